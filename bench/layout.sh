#!/bin/sh
# bench/layout.sh - what the layout of recommendations/ costs a large
# board's repository, measured with git alone (README, "Large boards":
# the flat folder against a sharded one).
#
# For each layout, a repository of N records (one commit) and then
# CHANGES commits that each change one record, made by git fast-import:
#   flat	recommendations/IC-0001.yaml (dipb's layout)
#   shard	recommendations/IC/00/IC-0001.yaml (by hundreds of the number)
# and prints: .git after 'git gc' and after 'git gc --aggressive', its
# part per change of history, and what one more change made by the git
# CLI (edit, git add, git commit) adds to .git as loose objects, with its
# CPU time.  Sizes are du's, in KB.
#
# Usage: sh bench/layout.sh [N [CHANGES]]	(default 10000 2000)
# Environment: KEEP=1 keeps the repositories (their folder is printed).
set -eu

n=${1:-10000}
changes=${2:-2000}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/dipb-layout.XXXXXX")
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$tmp"' EXIT
export GIT_CONFIG_NOSYSTEM=1 HOME="$tmp"
git config --global init.defaultBranch main
git config --global user.name Bench
git config --global user.email bench@example.org

# stream LAYOUT: the fast-import stream of the board and its history.
stream() {
	awk -v n="$n" -v changes="$changes" -v layout="$1" '
	function path(i,   id) {
		id = sprintf("IC-%04d", i)
		if (layout == "flat")
			return "recommendations/" id ".yaml"
		return sprintf("recommendations/IC/%02d/%s.yaml", int(i / 100), id)
	}
	function body(i, k) {
		return sprintf("id: IC-%04d\ntitle: Recommendation %d\n" \
		    "working_group: industrial-capacity\nstatus: draft\n" \
		    "created: 2026-01-01\nauthor: dan@example.org\n" \
		    "revision: %d\nsummary: |\n  Summary of recommendation " \
		    "%d, a paragraph of text that is\n  about as long as a " \
		    "real one, with some words in it.\n", i, i, k, i)
	}
	function file(i, k,   b) {
		b = body(i, k)
		printf "M 100644 inline %s\ndata %d\n%s\n", path(i), length(b), b
	}
	function commit(msg) {
		t += 37
		printf "commit refs/heads/main\n"
		printf "committer Dan <dan@example.org> %d +0000\n", t
		printf "data %d\n%s\n", length(msg), msg
	}
	BEGIN {
		t = 1767225600
		commit("board")
		for (i = 1; i <= n; i++)
			file(i, 0)
		for (c = 0; c < changes; c++) {
			commit("change " c)
			file(1 + (c * 7919) % n, c + 1)
		}
	}'
}

kb() { du -sk "$1" | cut -f 1; }

echo "# $n records, 1 + $changes commits; sizes in KB (du)"
printf '%-6s %10s %10s %12s %12s %10s\n' layout 'gc' 'gc-aggr' \
    'KB/change' 'one-change' 'CPU-s'
for layout in flat shard; do
	r=$tmp/$layout
	git init -q "$r"
	(
		cd "$r"
		stream "$layout" | git fast-import --quiet
		git reset -q --hard main
		git gc -q
		gc=$(kb .git)
		# the board alone, for the part that is history
		git branch base main~"$changes"
		git init -q --bare "$tmp/$layout-base"
		git -C "$tmp/$layout-base" fetch -q "$r" base:refs/heads/main
		git -C "$tmp/$layout-base" gc -q
		base=$(kb "$tmp/$layout-base")
		git branch -D -q base
		git gc -q --aggressive
		aggr=$(kb .git)
		f=$(git ls-files | sed -n "$((n / 2))p")
		before=$(kb .git/objects)
		/usr/bin/time -o "$tmp/time" -f '%U %S' sh -c '
		    echo "note: one more" >>"$1" && git add "$1" &&
		    git commit -q -m one' sh "$f"
		cpu=$(awk '{ printf "%.2f", $1 + $2 }' "$tmp/time")
		one=$(($(kb .git/objects) - before))
		per=$(awk -v a="$gc" -v b="$base" -v c="$changes" \
		    'BEGIN { printf "%.2f", (a - b) / c }')
		printf '%-6s %10s %10s %12s %12s %10s\n' "$layout" "$gc" "$aggr" \
		    "$per" "$one" "$cpu"
	)
done
[ "${KEEP:-0}" = 1 ] && echo "# kept in $tmp"
exit 0

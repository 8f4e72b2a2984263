#!/bin/sh
# bench/sync.sh - dipb sync of LOCAL local changes onto a remote AHEAD
# changes ahead (100 and 1,000), into a local bare repository, against
# what moving the same commits costs git: 'git pull --rebase' then 'git
# push --follow-tags', in the same run, alternating, on fresh copies of
# the same two repositories each time.  git gives no correct result (the
# rebased changes' tags still name the old commits: the hook would refuse
# the push), but it is the floor of fetching, rewriting and pushing those
# commits.  Prints the medians of both, dipb/git, and dipb's time per
# replayed change.
#
# The histories are written by bench/gen_history.c with git fast-import:
# a board with BASE + AHEAD drafts (one commit and one annotated tag each,
# dipb's messages and trailers); the clone has the first BASE, and its
# member makes LOCAL changes with dipb (review --request of BASE records,
# which the remote's changes do not touch: git's rebase has no conflict);
# then the remote gets the other AHEAD drafts and is packed by git gc, as
# a server's repository would be.  No hook on the remote (its dipb verify
# would refuse git's push; and it is the same cost for both).  The first
# dipb result is checked: the remote has every change, the clone verifies
# clean.  Each measurement is taken by bench/run_timed.c.
#
# usage: bench/sync.sh [RUNS]   (default 5; DIPB=path/to/dipb, default
#                                ./dipb; AHEAD=1000, LOCAL=100, BASE=100
#                                (LOCAL at most BASE); KEEP=1 keeps the
#                                repositories; TMPDIR: where)
set -eu
. "$(dirname "$0")/lib.sh"

RUNS=${1:-5}
AHEAD=${AHEAD:-1000}
LOCAL=${LOCAL:-100}
BASE=${BASE:-100}
CC=${CC:-cc}
[ "$LOCAL" -le "$BASE" ] || { echo "bench: LOCAL must be at most BASE" >&2
	exit 2; }
bench_init sync
bench_identity "Dan Drafter" dan@example.org

bench_tools

# The whole history: board/1-created, then BASE + AHEAD drafts.
git init -q "$work/src"
"$work/gen_history" $((BASE + AHEAD)) 1 | git -C "$work/src" fast-import --quiet
base=$(git -C "$work/src" rev-list --reverse main | sed -n "$((BASE + 1))p")

# The remote as the clone last saw it: the first BASE drafts.
git init -q --bare "$work/remote.git"
git -C "$work/src" tag --merged "$base" | sed 's,.*,refs/tags/&:&,' |
    xargs git -C "$work/src" push -q "$work/remote.git" "$base:refs/heads/main"
git clone -q "$work/remote.git" "$work/local"
i=0
while [ "$i" -lt "$LOCAL" ]; do
	i=$((i + 1))
	"$DIPB" -C "$work/local" review "$(printf 'IC-%04d' "$i")" --request \
	    >/dev/null 2>&1 ||
	    { echo "bench: dipb review --request IC-$i failed" >&2; exit 1; }
done
# Then the remote gets AHEAD more, and is packed.
git -C "$work/src" push -q "$work/remote.git" main 'refs/tags/*:refs/tags/*'
git -C "$work/remote.git" gc -q

total=$((1 + BASE + AHEAD + LOCAL))

# fresh: a copy of both for one measurement, in $work/r.
fresh() {
	rm -rf "$work/r"
	mkdir "$work/r"
	cp -a "$work/remote.git" "$work/r/remote.git"
	cp -a "$work/local" "$work/r/local"
	git -C "$work/r/local" remote set-url origin "$work/r/remote.git"
}

# pushed WHO: the remote has every change, one after the other.
pushed() {
	n=$(git -C "$work/r/remote.git" rev-list --count main)
	[ "$n" = "$total" ] ||
	    { echo "bench: after $1 the remote has $n commits, not $total" >&2
	      exit 1; }
}

: >"$work/t.dipb"
: >"$work/t.git"
run=0
while [ "$run" -lt "$RUNS" ]; do
	run=$((run + 1))
	# Alternately, dipb first and git first.
	order='dipb git'
	[ $((run % 2)) = 1 ] || order='git dipb'
	for who in $order; do
		fresh
		case $who in
		dipb)
			"$work/run_timed" "$DIPB" -C "$work/r/local" sync \
			    >>"$work/t.dipb" ||
			    { echo "bench: dipb sync failed" >&2; exit 1; }
			pushed "dipb sync"
			if [ "$run" = 1 ]; then
				"$DIPB" -C "$work/r/local" verify >/dev/null 2>&1 ||
				    { echo "bench: the synced clone does not verify" >&2
				      exit 1; }
				[ "$(git -C "$work/r/remote.git" tag | wc -l)" = "$total" ] ||
				    { echo "bench: dipb sync pushed tags missing" >&2
				      exit 1; }
			fi ;;
		git)
			"$work/run_timed" git -C "$work/r/local" pull -q --rebase \
			    ';' git -C "$work/r/local" push -q --follow-tags \
			    origin main >>"$work/t.git" ||
			    { echo "bench: git pull --rebase + push failed" >&2
			      exit 1; }
			pushed "git pull --rebase + push" ;;
		esac
	done
done

g=$(median <"$work/t.git")
d=$(median <"$work/t.dipb")
printf '%-8s %-8s %10s %10s %9s %14s\n' ahead local git_ms dipb_ms dipb/git \
    dipb_ms/change
awk -v a="$AHEAD" -v l="$LOCAL" -v g="$g" -v d="$d" 'BEGIN {
	printf "%-8d %-8d %10.1f %10.1f %9.2f %14.2f\n", a, l, g / 1000,
	    d / 1000, d / g, d / 1000 / l
}'

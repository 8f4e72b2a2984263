#!/bin/sh
# bench/verify.sh - dipb verify on generated boards whose whole history is
# clean: each size is RECORDS:CHANGES, that many records each taken
# through that many state changes (one commit and one annotated tag each,
# the drafts first, then the other changes round-robin), written by
# bench/gen_history.c with git fast-import, then packed by git gc as a
# clone would be.  Prints the best of RUNS wall-clock times of dipb verify
# and, to compare, of a naive replay (a libgit2 first-parent revwalk that
# diffs each commit's tree with its parent's, git_diff_tree_to_tree), then
# checks the target of issue 5: 1,000 records with 10,000 commits in at
# most 2 s.
#
# Then signed boards (SIGNED, RECORDS:CHANGES, default 1000:10): the same
# history with every commit and tag signed by its member's ed25519 key
# (gen_history -k, then -s: see bench/gen_history.c), the keys in
# dipb.yaml.  In the same run: dipb verify of the signed board, against
# git log --show-signature over the same commits (gpg.ssh.allowedSignersFile
# from the board: one ssh-keygen per commit), and against dipb verify of
# the same board unsigned (no keys), with the targets of issue 12: dipb
# at least 20 times as fast as git, and signed at most 1.5 times unsigned.
# Exits 1 if a target is missed, a board does not verify clean, or git
# does not find every signature good.
#
# usage: bench/verify.sh [RUNS]    (DIPB=path/to/dipb, default ./dipb;
#                                   SIZES="100:10 1000:10 2000:5 5000:2
#                                   10000:1", "" for none; NAIVE=0 skips
#                                   the naive replay;
#                                   SIGNED="1000:10", "" for none;
#                                   GITLOG=0 skips git log --show-signature,
#                                   minutes of ssh-keygen on a loaded
#                                   machine)
set -eu
. "$(dirname "$0")/lib.sh"

RUNS=${1:-3}
SIZES=${SIZES-"100:10 1000:10 2000:5 5000:2 10000:1"}
NAIVE=${NAIVE:-1}
SIGNED=${SIGNED-1000:10}
GITLOG=${GITLOG:-1}
CC=${CC:-cc}
bench_init verify
bench_tools

cat >"$work/naive.c" <<'C'
/* The naive replay: every commit's tree diffed with its parent's. */
#include <git2.h>
#include <stdio.h>
int main(int argc, char **argv) {
	git_repository *r; git_revwalk *w; git_oid id; size_t n = 0, d = 0;
	git_libgit2_init();
	if (argc < 2 || git_repository_open(&r, argv[1]) < 0) return 1;
	git_revwalk_new(&w, r);
	git_revwalk_simplify_first_parent(w);
	git_revwalk_push_head(w);
	while (git_revwalk_next(&id, w) == 0) {
		git_commit *c, *p = NULL; git_tree *t, *pt = NULL; git_diff *df;
		git_commit_lookup(&c, r, &id); git_commit_tree(&t, c);
		if (git_commit_parentcount(c) > 0) {
			git_commit_parent(&p, c, 0); git_commit_tree(&pt, p);
		}
		git_diff_tree_to_tree(&df, r, pt, t, NULL);
		d += git_diff_num_deltas(df); n++;
		git_diff_free(df); git_tree_free(pt); git_tree_free(t);
		git_commit_free(p); git_commit_free(c);
	}
	printf("%zu commits, %zu changes\n", n, d);
	return 0;
}
C
# shellcheck disable=SC2046
$CC -O2 -o "$work/naive" "$work/naive.c" $(pkg-config --cflags --libs libgit2)

printf '%-8s %8s %8s %10s %10s %12s\n' records commits tags verify_s \
    naive_s us/commit
status=0
for size in $SIZES; do
	n=${size%%:*} e=${size#*:}
	b=$work/board-$n-$e
	git init -q "$b"
	"$work/gen_history" "$n" "$e" | git -C "$b" fast-import --quiet
	git -C "$b" reset -q --hard main
	git -C "$b" gc -q
	commits=$(git -C "$b" rev-list --count HEAD)
	tags=$(git -C "$b" tag -l | wc -l | tr -d ' ')
	if ! "$DIPB" -C "$b" verify >"$work/out" 2>&1; then
		echo "bench: $n records: dipb verify is not clean:" >&2
		head -n 5 "$work/out" >&2
		exit 1
	fi
	v=$(best_ms "$DIPB" -C "$b" verify)
	if [ "$NAIVE" = 1 ]; then
		nv=$(RUNS=1; best_ms "$work/naive" "$b")
	else
		nv=
	fi
	awk -v n="$n" -v c="$commits" -v t="$tags" -v v="$v" -v nv="$nv" \
	    'BEGIN { printf "%-8d %8d %8d %10.2f %10s %12.1f\n", n, c, t,
	    v / 1000, nv == "" ? "-" : sprintf("%.2f", nv / 1000),
	    v * 1000 / c }'
	if [ "$n" = 1000 ] && [ "$e" = 10 ] && [ "$v" -gt 2000 ]; then
		echo "bench: target missed: 1,000 records, 10,000 commits:" \
		    "$v ms > 2000 ms" >&2
		status=1
	fi
	rm -rf "$b"
done

# verify_clean BOARD: dipb verify finds nothing (the note on stderr aside).
verify_clean() {
	if ! "$DIPB" -C "$1" verify >"$work/out" 2>&1; then
		echo "bench: $1: dipb verify is not clean:" >&2
		head -n 5 "$work/out" >&2
		exit 1
	fi
}

for size in $SIGNED; do
	n=${size%%:*} e=${size#*:}
	u=$work/unsigned-$n-$e s=$work/signed-$n-$e k=$work/keys-$n-$e
	mkdir -p "$k"
	git init -q "$u"
	git init -q "$s"
	"$work/gen_history" "$n" "$e" | git -C "$u" fast-import --quiet
	t0=$(now_ns)
	"$work/gen_history" -k "$k" "$n" "$e" | git -C "$s" fast-import --quiet
	"$work/gen_history" -s "$k" "$s"
	t1=$(now_ns)
	for b in "$u" "$s"; do
		git -C "$b" reset -q --hard main
		git -C "$b" gc -q
	done
	commits=$(git -C "$s" rev-list --count HEAD)
	verify_clean "$u"
	verify_clean "$s"
	# The allowed signers from the board, as dipb prints them when it can.
	if ! "$DIPB" -C "$s" allowed-signers >"$work/allowed" 2>/dev/null; then
		cp "$k/allowed_signers" "$work/allowed"
	fi
	vu=$(best_ms "$DIPB" -C "$u" verify)
	vs=$(best_ms "$DIPB" -C "$s" verify)
	: >"$work/git-log"
	g0=$(now_ns)
	if [ "$GITLOG" = 1 ]; then
		git -C "$s" -c gpg.ssh.allowedSignersFile="$work/allowed" \
		    log --show-signature --format=%H main >"$work/git-log" 2>&1
	fi
	g1=$(now_ns)
	g=$(((g1 - g0) / 1000000))
	good=$(grep -c '^Good "git" signature' "$work/git-log" || :)
	if [ "$GITLOG" = 1 ] && [ "$good" != "$commits" ]; then
		echo "bench: git log --show-signature: $good good signatures" \
		    "of $commits commits" >&2
		status=1
	fi
	echo
	echo "signed board: $n records, $commits commits and as many tags" \
	    "signed with ed25519 (generated and signed in $(((t1 - t0) /
	    1000000)) ms)"
	printf '%-44s %10s %8s\n' command ms ratio
	printf '%-44s %10d %8s\n' "dipb verify, unsigned board" "$vu" -
	printf '%-44s %10d %8s\n' "dipb verify, signed board" "$vs" \
	    "$(awk -v a="$vs" -v b="$vu" 'BEGIN { printf "%.2f", a / b }')"
	[ "$GITLOG" = 1 ] &&
	printf '%-44s %10d %8s\n' "git log --show-signature (commits only)" \
	    "$g" "$(awk -v a="$g" -v b="$vs" 'BEGIN { printf "%.1f", a / b }')"
	echo "(ratios: signed/unsigned, target <= 1.5; git/dipb signed," \
	    "target >= 20)"
	if [ "$((vs * 2))" -gt "$((vu * 3))" ]; then
		echo "bench: target missed: signed verify $vs ms > 1.5 x" \
		    "unsigned $vu ms" >&2
		status=1
	fi
	if [ "$GITLOG" = 1 ] && [ "$((vs * 20))" -gt "$g" ]; then
		echo "bench: target missed: git log --show-signature $g ms <" \
		    "20 x dipb verify $vs ms" >&2
		status=1
	fi
	[ -n "${KEEP:-}" ] || rm -rf "$u" "$s" "$k"
done
exit "$status"

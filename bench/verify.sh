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
# most 2 s.  Exits 1 if it is missed or a board does not verify clean.
#
# usage: bench/verify.sh [RUNS]    (DIPB=path/to/dipb, default ./dipb;
#                                   SIZES="100:10 1000:10 2000:5 5000:2
#                                   10000:1"; NAIVE=0 skips the naive replay)
set -eu
. "$(dirname "$0")/lib.sh"

RUNS=${1:-3}
SIZES=${SIZES:-"100:10 1000:10 2000:5 5000:2 10000:1"}
NAIVE=${NAIVE:-1}
CC=${CC:-cc}
bench_init verify
objs=$(ls "$top"/build/rel/*.o "$top"/build/rel/*/*.o | grep -v -e '/main\.o$' -e '/cmd_[^/]*\.o$')
pcs=$(sed -n 's/^LIBS_PC[[:space:]]*=[[:space:]]*//p' "$top/Makefile")
# shellcheck disable=SC2086 # lists of objects and flags
$CC -O2 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -I"$top/src" \
    $(pkg-config --cflags $pcs) -o "$work/gen_history" \
    "$top/bench/gen_history.c" $objs $(pkg-config --libs $pcs) -pthread

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
exit "$status"

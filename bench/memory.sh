#!/bin/sh
# bench/memory.sh - the memory of a whole replay (dipb verify with no
# checkpoint) against the length of the history (issue 16: "the full
# replay keeps memory bounded").
#
# Boards of the same N records (default 1,000), each record taken through
# E state changes for each E of LENGTHS (default "10 50 100": 1 + N E
# commits, one annotated tag each), written straight into a pack by
# bench/gen_history.c -P, as bench/scale.sh writes its boards.  On each,
# RUNS times (default 3), the lengths interleaved in each round: dipb
# verify, a whole replay (the checkpoints removed before each run), and
# its peer, git's own walk of every object of the same history (git
# rev-list --objects --all).  Each is taken by bench/run_timed.c -a: the
# wall-clock and CPU time, the peak resident set size, and the peak of the
# anonymous memory, what the process allocated: the resident set size
# also counts the pages of the files it maps (the pack, its index,
# packed-refs), which the kernel shares with every reader of those files
# and drops when memory is short.
#
# Prints a Markdown table (medians), then what each commit added, in
# bytes of anonymous memory and of peak resident set size, dipb's and
# git's: from the shortest history to the longest, and between the two
# longest, where the caches of fixed sizes (libgit2's, and the 3 MiB of
# the history's table, src/verify/history.c) are full; checks that dipb's
# anonymous memory grows by at most MAXB (default 16) bytes a commit
# there (exit 1 if not).  Before the history was paged (src/spill.c), a
# commit took 128.
#
# usage: bench/memory.sh [RUNS]
set -eu
. "$(dirname "$0")/lib.sh"

RUNS=${1:-3}
N=${N:-1000}
LENGTHS=${LENGTHS:-"10 50 100"}
MAXB=${MAXB:-16}
case $LENGTHS in
*' '*) ;;
*) echo "bench: LENGTHS needs two lengths or more, not '$LENGTHS'" >&2
	exit 2 ;;
esac
CC=${CC:-cc}
bench_init memory

bench_tools

for e in $LENGTHS; do
	git init -q "$work/b$e"
	"$work/gen_history" -P "$work/b$e" "$N" "$e"
	git -C "$work/b$e" symbolic-ref HEAD refs/heads/main
	git -C "$work/b$e" reset -q --hard main
done

# The peak anonymous memory too, as a fourth field (run_timed -a).
TIMED=-a
# mb NAME FIELD: that median, KiB, in MB.
mb() { awk -v k="$(med "$1" "$2")" 'BEGIN { print k / 1024 }'; }

i=0
while [ "$i" -lt "$RUNS" ]; do
	i=$((i + 1))
	for e in $LENGTHS; do
		rm -rf "$work/b$e/.git/dipb/verify"
		timed "verify-$e" "$DIPB" -C "$work/b$e" verify
		timed "git-$e" git -C "$work/b$e" rev-list --objects --all
	done
done

echo "whole replay (dipb verify, no checkpoint) on boards of $N records," \
    "medians of $RUNS runs (bench/memory.sh)"
echo
echo '| changes a record | commits | dipb verify: wall ms (CPU ms) | peak RSS MB | anonymous MB | git rev-list --objects --all: wall ms | peak RSS MB | anonymous MB |'
echo '|---|---|---|---|---|---|---|---|'
for e in $LENGTHS; do
	printf '| %s | %s | %d (%d) | %.1f | %.1f | %d | %.1f | %.1f |\n' \
	    "$e" $((N * e + 1)) \
	    $(($(med "verify-$e" 1) / 1000)) $(($(med "verify-$e" 2) / 1000)) \
	    "$(mb "verify-$e" 3)" \
	    "$(mb "verify-$e" 4)" \
	    $(($(med "git-$e" 1) / 1000)) \
	    "$(mb "git-$e" 3)" \
	    "$(mb "git-$e" 4)"
done
echo

first=${LENGTHS%% *}
last=${LENGTHS##* }
rest=${LENGTHS% *}
prev=${rest##* }
# per NAME FIELD FROM TO: bytes a commit added to field FIELD (KiB) of
# NAME from FROM to TO changes a record.
per() {
	awk -v a="$(med "$1-$3" "$2")" -v b="$(med "$1-$4" "$2")" \
	    -v n=$((N * ($4 - $3))) 'BEGIN { print (b - a) * 1024 / n }'
}
ranges="$first $last"
[ "$prev" = "$first" ] || ranges="$ranges,$prev $last"
IFS=,
# shellcheck disable=SC2086 # ranges split at commas
set -- $ranges
unset IFS
for r in "$@"; do
	# shellcheck disable=SC2086 # two numbers
	set -- $r
	printf 'each commit from %s to %s changes a record added, in bytes:\n' \
	    "$1" "$2"
	printf '  dipb verify: %.1f anonymous, %.1f of peak RSS\n' \
	    "$(per verify 4 "$1" "$2")" "$(per verify 3 "$1" "$2")"
	printf '  git rev-list --objects --all: %.1f anonymous, %.1f of peak RSS\n' \
	    "$(per git 4 "$1" "$2")" "$(per git 3 "$1" "$2")"
done
g=$(per verify 4 "$prev" "$last")
if awk -v g="$g" -v m="$MAXB" 'BEGIN { exit !(g <= m) }'; then
	echo "ok: from $prev to $last changes a record, dipb's anonymous" \
	    "memory grows by at most $MAXB bytes a commit"
else
	echo "MISSED: from $prev to $last changes a record, dipb's" \
	    "anonymous memory grows by more than $MAXB bytes a commit"
	exit 1
fi

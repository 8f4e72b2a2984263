#!/bin/sh
# bench/log.sh - the windows of dipb log on a forge-shaped history,
# measured in the same run against git log --first-parent:
#
#   1. 'dipb log', the whole branch, against 'git log --first-parent';
#   2. 'dipb log --since DAY', the last day's 100 merges, against
#      'git log --first-parent --since DAY';
#
# on a board of 1,000 changes, each made on a branch of its own and
# merged with git merge --no-ff, as a forge's merge button does (100 a
# day).  Each merge brings one change in, which dipb log lists in the
# merge's place (dipb-log(1)); git log --first-parent lists the merges
# themselves.  Prints the medians of RUNS runs and the ratios.
#
# usage: bench/log.sh [RUNS]       (DIPB=path/to/dipb, default ./dipb;
#                                   KEEP=1 keeps the board)
set -eu
. "$(dirname "$0")/lib.sh"

RUNS=${1:-11}
N=1000
bench_init log
bench_identity "Bench Chair" chair@example.org

bench_board_yaml 'NATO UNCLASSIFIED' '' 'Bench Chair|chair@example.org|chair' \
    'Bench Drafter|drafter@example.org|drafter' >"$work/board.yaml"

# The board: change i drafts IC-i on branch side, a minute before its
# merge into main; the first at 2026-01-01 00:00 UTC, 100 a day.
b=$work/board
(cd "$work" && GIT_COMMITTER_DATE='2025-12-31T12:00:00Z' \
    "$DIPB" init "$b" --config "$work/board.yaml" >/dev/null 2>&1)
awk -v n="$N" -v base=1767225600 'BEGIN {
	for (i = 1; i <= n; i++) {
		id = sprintf("IC-%04d", i)
		t = base + (i - 1) * 864
		body = "id: " id "\ntitle: Recommendation " i "\n" \
		    "working_group: industrial-capacity\nstatus: draft\n" \
		    "classification: NATO UNCLASSIFIED\npriority: medium\n" \
		    "created: 2026-01-01\nupdated: 2026-01-01\n" \
		    "author: drafter@example.org\nsummary: |\n  Summary " i ".\n"
		msg = id ": drafted by Bench Drafter\n\nDipb-Record: " id \
		    "\nDipb-Event: drafted\nDipb-Status: none -> draft\n"
		printf "commit refs/heads/side\nmark :%d\n", 2 * i - 1
		printf "author Bench Drafter <drafter@example.org> %d +0000\n", t
		printf "committer Bench Drafter <drafter@example.org> %d +0000\n", t
		printf "data %d\n%s\n", length(msg), msg
		printf "from %s\n", i == 1 ? "refs/heads/main^0" : ":" 2 * i - 2
		printf "M 100644 inline recommendations/%s.yaml\n", id
		printf "data %d\n%s\n", length(body), body
		printf "tag %s/1-drafted\nfrom :%d\n", id, 2 * i - 1
		printf "tagger Bench Drafter <drafter@example.org> %d +0000\n", t
		s = id ": drafted by Bench Drafter\n"
		printf "data %d\n%s\n", length(s), s
		msg = "Merge pull request #" i " from side\n"
		printf "commit refs/heads/main\nmark :%d\n", 2 * i
		printf "author Bench Chair <chair@example.org> %d +0000\n", t + 60
		printf "committer Bench Chair <chair@example.org> %d +0000\n", t + 60
		printf "data %d\n%s\n", length(msg), msg
		printf "from %s\n", i == 1 ? "refs/heads/main^0" : ":" 2 * i - 2
		printf "merge :%d\n", 2 * i - 1
		printf "M 100644 inline recommendations/%s.yaml\n", id
		printf "data %d\n%s\n", length(body), body
	}
}' | git -C "$b" fast-import --quiet
git -C "$b" reset -q --hard main
git -C "$b" gc -q
day=$(date -u -d "@$((1767225600 + (N / 100 - 1) * 86400))" +%Y-%m-%d)

# What each lists: dipb the changes, git the merges.
nall=$("$DIPB" -C "$b" log | grep -c '^[0-9]' || true)
nday=$("$DIPB" -C "$b" log --since "$day" | grep -c '^[0-9]' || true)
fmt='--format=%ad%x09%an%x09%s --date=short'
time_pair "$DIPB -C $b log" "git -C $b log --first-parent $fmt"
tall=$ta gall=$tb
time_pair "$DIPB -C $b log --since $day" \
    "git -C $b log --first-parent --since $day $fmt"
tday=$ta gday=$tb

awk -v tall="$tall" -v gall="$gall" -v tday="$tday" -v gday="$gday" \
    -v nall="$nall" -v nday="$nday" -v n="$N" -v runs="$RUNS" 'BEGIN {
	printf "medians of %d runs, %d changes merged one by one (--no-ff):\n",
	    runs, n
	printf "  dipb log (%4d lines)              %9.1f ms\n", nall, tall / 1e3
	printf "  git log --first-parent             %9.1f ms\n", gall / 1e3
	printf "  dipb log / git log                 %9.2fx\n", tall / gall
	printf "  dipb log --since DAY (%3d lines)   %9.1f ms\n", nday, tday / 1e3
	printf "  git log --first-parent --since DAY %9.1f ms\n", gday / 1e3
	printf "  dipb log --since / git log --since %9.2fx\n", tday / gday
}'

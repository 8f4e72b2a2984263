#!/bin/sh
# bench/report.sh - reading the history back, measured in the same run:
#
#   1. 'dipb log ID' against 'git log --format=... -- recommendations/ID.yaml'
#      on a board of 10,000 commits (target: dipb at least 20x faster);
#   2. 'dipb report minutes' over a window of 100 changes (one day), on
#      boards of 1,000 and of 10,000 commits (target: the 10,000-commit
#      time at most 1.5x the 1,000-commit time);
#   3. 'dipb report minutes' over one plain git commit of 12,000 records
#      (an imported register) against 'dipb report status' on the same
#      board, the records cache off for both: each reads and checks every
#      record once (target: minutes at most 2x status; it was quadratic in
#      the commit's paths, 4x and more at 12,000, 6x at 30,000).
#
# The boards are made with git fast-import: dipb init, then records taken
# round-robin through drafted, review-requested, reviewed and endorsed
# (each change one commit with dipb's subject and trailers and one
# annotated tag, 100 changes a day), a plain git edit now and then, then
# git gc, as a repository that has lived a while would be.  Prints the
# medians of RUNS runs, the ratios, and whether the targets are met.
#
# usage: bench/report.sh [RUNS]       (DIPB=path/to/dipb, default ./dipb;
#                                      KEEP=1 keeps the boards)
set -eu
. "$(dirname "$0")/lib.sh"

RUNS=${1:-11}
EVENTS=4			# changes per record
bench_init report
bench_identity "Bench Chair" chair@example.org

bench_board_yaml 'NATO UNCLASSIFIED' 2 'Bench Chair|chair@example.org|chair' \
    'Bench Drafter|drafter@example.org|drafter' \
    'Rita Reviewer|rita@example.org|reviewer' \
    'Rolf Reviewer|rolf@example.org|reviewer' >"$work/board.yaml"

# make_board DIR COMMITS: a board of COMMITS changes (COMMITS / EVENTS
# records); the first commit at 2026-01-01 00:00 UTC, 100 a day.
make_board() {
	dir=$1 n=$2
	(cd "$work" && GIT_COMMITTER_DATE='2025-12-31T12:00:00Z' \
	    "$DIPB" init "$dir" --config "$work/board.yaml" >/dev/null 2>&1)
	awk -v n="$n" -v ev="$EVENTS" -v base=1767225600 '
	function rec(i, k,   id, s, st) {
		id = sprintf("IC-%04d", i)
		st = k == 0 ? "draft" : k == 1 ? "in-review" : k == 2 ? \
		    "in-review" : "endorsed"
		s = "id: " id "\ntitle: Generated recommendation number " i \
		    "\nworking_group: industrial-capacity\nstatus: " st "\n" \
		    "classification: NATO UNCLASSIFIED\npriority: medium\n" \
		    "created: 2026-01-01\nupdated: 2026-01-01\n" \
		    "author: drafter@example.org\ntopics: [bench]\n" \
		    "summary: |\n  Generated summary of recommendation " i \
		    ", long enough to look like prose written by an analyst.\n" \
		    "rationale: |\n  Generated rationale. It explains why, with" \
		    " evidence from the working group consultations.\n"
		if (k >= 2)
			s = s "reviews:\n  - reviewer: rita@example.org\n" \
			    "    date: 2026-01-01\n    verdict: endorse\n" \
			    "    fingerprint: 00000000\n    comment: |\n" \
			    "      Endorsed, with a comment on " id ".\n"
		if (k >= 3)
			s = s "  - reviewer: rolf@example.org\n" \
			    "    date: 2026-01-01\n    verdict: endorse\n" \
			    "    fingerprint: 00000000\n"
		return s
	}
	BEGIN {
		nrec = int(n / ev)
		split("drafted review-requested reviewed endorsed", evn, " ")
		split("none draft in-review in-review", from, " ")
		split("draft in-review in-review endorsed", to, " ")
		split("Bench Drafter|Bench Drafter|Rita Reviewer|Rolf Reviewer",
		    who, "|")
		split("drafter|drafter|rita|rolf", mail, "|")
		c = 0
		for (k = 0; k < ev; k++) for (i = 1; i <= nrec; i++) {
			c++
			id = sprintf("IC-%04d", i)
			t = base + (c - 1) * 864
			body = rec(i, k)
			plain = (c % 97 == 0)
			if (plain) {
				msg = "Fix a typo in " id " by hand\n"
				w = "Bench Chair"; m = "chair"
			} else {
				w = who[k + 1]; m = mail[k + 1]
				msg = id ": " evn[k + 1] " by " w "\n\n" \
				    (k == 2 ? "Endorsed, with a comment on " id ".\n\n" : "") \
				    "Dipb-Record: " id "\nDipb-Event: " evn[k + 1] \
				    "\nDipb-Status: " from[k + 1] " -> " to[k + 1] "\n"
			}
			printf "commit refs/heads/main\nmark :%d\n", c
			printf "author %s <%s@example.org> %d +0000\n", w, m, t
			printf "committer %s <%s@example.org> %d +0000\n", w, m, t
			printf "data %d\n%s\n", length(msg), msg
			if (c == 1)
				printf "from refs/heads/main^0\n"
			printf "M 100644 inline recommendations/%s.yaml\n", id
			printf "data %d\n%s\n", length(body), body
			if (plain)
				continue
			printf "tag %s/%d-%s\nfrom :%d\n", id, k + 1, evn[k + 1], c
			printf "tagger %s <%s@example.org> %d +0000\n", w, m, t
			s = id ": " evn[k + 1] " by " w "\n"
			printf "data %d\n%s\n", length(s), s
		}
	}' | git -C "$dir" fast-import --quiet
	git -C "$dir" reset -q --hard main
	git -C "$dir" gc -q
}

# The last day of a board of n commits: its last 100 changes.
last_day() {
	date -u -d "@$((1767225600 + ($1 / 100 - 1) * 86400))" +%Y-%m-%d
}

for n in 1000 10000; do
	make_board "$work/b$n" "$n"
done
b=$work/b10000
nrec=$((10000 / EVENTS))
id=$(printf 'IC-%04d' $((nrec / 2)))

# What each finds: dipb the tagged changes, git also the plain edits.
ndipb=$("$DIPB" -C "$b" log "$id" | grep -vc '^    ' || true)
ngit=$(git -C "$b" log --format=%H -- "recommendations/$id.yaml" | wc -l |
    tr -d ' ')

time_pair "$DIPB -C $b log $id" \
    "git -C $b log --format=%ad%x09%an%x09%s%n%b --date=short -- recommendations/$id.yaml"
tlog=$ta tgit=$tb

d1=$(last_day 1000)
d10=$(last_day 10000)
w1=$("$DIPB" -C "$work/b1000" report minutes --since "$d1" --until "$d1" \
    --format json | grep -c '"commit"' || true)
w10=$("$DIPB" -C "$work/b10000" report minutes --since "$d10" --until "$d10" \
    --format json | grep -c '"commit"' || true)
time_pair "$DIPB -C $work/b1000 report minutes --since $d1 --until $d1" \
    "$DIPB -C $work/b10000 report minutes --since $d10 --until $d10"
tm1=$ta tm10=$tb

# One plain git commit of 12,000 records, written by git fast-import.
imp=$work/import
(cd "$work" && "$DIPB" init "$imp" --config "$work/board.yaml" >/dev/null 2>&1)
awk -v n=12000 'BEGIN {
	printf "commit refs/heads/main\n"
	printf "author Ann Importer <ann@example.org> 1767261600 +0000\n"
	printf "committer Ann Importer <ann@example.org> 1767261600 +0000\n"
	printf "data 19\nImport the register\nfrom refs/heads/main^0\n"
	for (i = 1; i <= n; i++) {
		id = sprintf("IC-%04d", i)
		body = "id: " id "\ntitle: Record " i "\nworking_group: " \
		    "industrial-capacity\nstatus: draft\nclassification: " \
		    "NATO UNCLASSIFIED\npriority: medium\ncreated: " \
		    "2026-01-01\nupdated: 2026-01-01\nauthor: " \
		    "chair@example.org\nsummary: |\n  Summary " i ".\n"
		printf "M 100644 inline recommendations/%s.yaml\n", id
		printf "data %d\n%s\n", length(body), body
	}
}' | git -C "$imp" fast-import --quiet
git -C "$imp" reset -q --hard main
export DIPB_NO_CACHE=1
time_pair "$DIPB -C $imp report minutes" "$DIPB -C $imp report status"
unset DIPB_NO_CACHE
tmi=$ta tst=$tb

awk -v tlog="$tlog" -v tgit="$tgit" -v tm1="$tm1" -v tm10="$tm10" \
    -v id="$id" -v nd="$ndipb" -v ng="$ngit" -v w1="$w1" -v w10="$w10" \
    -v tmi="$tmi" -v tst="$tst" -v runs="$RUNS" 'BEGIN {
	printf "medians of %d runs, 10,000-commit board (%d records):\n", runs, 10000 / 4
	printf "  dipb log %s (%d changes)              %9.1f ms\n", id, nd, tlog / 1000
	printf "  git log -- recommendations/%s.yaml (%d) %9.1f ms\n", id, ng, tgit / 1000
	r = tgit / tlog
	printf "  git log / dipb log                      %9.1fx  (target >= 20x: %s)\n",
	    r, (r >= 20 ? "met" : "NOT MET")
	printf "dipb report minutes over one day:\n"
	printf "  1,000 commits  (%3d changes in window)  %9.1f ms\n", w1, tm1 / 1000
	printf "  10,000 commits (%3d changes in window)  %9.1f ms\n", w10, tm10 / 1000
	q = tm10 / tm1
	printf "  10,000 / 1,000                          %9.2fx  (target <= 1.5x: %s)\n",
	    q, (q <= 1.5 ? "met" : "NOT MET")
	printf "one plain git commit of 12,000 records:\n"
	printf "  dipb report minutes                     %9.1f ms\n", tmi / 1000
	printf "  dipb report status                      %9.1f ms\n", tst / 1000
	q = tmi / tst
	printf "  minutes / status                        %9.2fx  (target <= 2x: %s)\n",
	    q, (q <= 2 ? "met" : "NOT MET")
}'

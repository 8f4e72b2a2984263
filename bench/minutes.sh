#!/bin/sh
# bench/minutes.sh - what ranking each change of 'dipb report minutes' at
# its records' levels costs (dipb-report(1): a comment at the level its
# record had at its commit, a declassification's at its parent, a plain
# commit's at its records' levels), against 'git log --raw' over the same
# history, measured in the same run:
#
#   flat:     10,000 records of the flat layout, imported in one plain git
#             commit, then 400 changes (review-requested, each with a
#             comment), one in 20 a plain git edit;
#   declass:  3,000 records, each drafted at NATO RESTRICTED, its review
#             requested with a comment, then declassified to NATO
#             UNCLASSIFIED (9,000 changes, round-robin as boards grow).
#
# Each change's level is read from its record's file at one commit, in a
# recommendations/ tree that differs from the one before by an entry: the
# cost of minutes over the whole history (no window, no cap) ought to
# follow git log's, which reads each commit's changed trees.  Prints the
# medians of RUNS runs and the ratios minutes / git log.
#
# With OLD=path/to/another/dipb, the minutes of both binaries are
# compared first, in every format, uncapped and under each level (cmp),
# the version each names taken out, and OLD is measured too, on the same
# boards.
#
# usage: bench/minutes.sh [RUNS]      (DIPB=path/to/dipb, default ./dipb;
#                                      KEEP=1 keeps the boards)
set -eu
. "$(dirname "$0")/lib.sh"

RUNS=${1:-7}
bench_init minutes
bench_identity "Bench Chair" chair@example.org

bench_board_yaml 'NATO UNCLASSIFIED|NATO RESTRICTED' 2 \
    'Bench Chair|chair@example.org|chair' \
    'Bench Drafter|drafter@example.org|drafter' >"$work/board.yaml"

# stream KIND: the fast-import stream of board KIND's history.
stream() {
	awk -v kind="$1" -v base=1767225600 '
	function body(i, st, lv) {
		return sprintf("id: IC-%04d\ntitle: Generated recommendation " \
		    "%d\nworking_group: industrial-capacity\nstatus: %s\n" \
		    "classification: %s\npriority: medium\ncreated: " \
		    "2026-01-01\nupdated: 2026-01-01\nauthor: " \
		    "drafter@example.org\nsummary: |\n  Generated summary of " \
		    "recommendation %d, long enough to look like prose.\n",
		    i, i, st, lv, i)
	}
	function file(i, st, lv,   b) {
		b = body(i, st, lv)
		printf "M 100644 inline recommendations/IC-%04d.yaml\n", i
		printf "data %d\n%s\n", length(b), b
	}
	# commit(WHO, MAIL, MSG): a commit on main, 864 seconds after the last.
	function commit(w, m, msg) {
		c++
		t = base + c * 864
		printf "commit refs/heads/main\nmark :%d\n", c
		printf "author %s <%s@example.org> %d +0000\n", w, m, t
		printf "committer %s <%s@example.org> %d +0000\n", w, m, t
		printf "data %d\n%s\n", length(msg), msg
		if (c == 1)
			printf "from refs/heads/main^0\n"
	}
	# change(I, K, EVENT, FROM, TO, SUBJECT, COMMENT, WHO, MAIL).
	function change(i, k, ev, from, to, subj, comment, w, m,   id, msg, s) {
		id = sprintf("IC-%04d", i)
		msg = id ": " subj "\n\n" (comment != "" ? comment "\n\n" : "") \
		    "Dipb-Record: " id "\nDipb-Event: " ev "\nDipb-Status: " \
		    from " -> " to "\n"
		commit(w, m, msg)
		return id "/" k "-" ev
	}
	function tag(name, w, m,   s) {
		printf "tag %s\nfrom :%d\n", name, c
		printf "tagger %s <%s@example.org> %d +0000\n", w, m, t
		s = name "\n"
		printf "data %d\n%s\n", length(s), s
	}
	BEGIN {
		R = "NATO RESTRICTED"; U = "NATO UNCLASSIFIED"
		if (kind == "flat") {
			commit("Ann Importer", "ann", "Import the register\n")
			for (i = 1; i <= 10000; i++)
				file(i, "draft", R)
			for (j = 1; j <= 400; j++) {
				i = j * 23
				if (j % 20 == 0) {
					commit("Bench Chair", "chair",
					    sprintf("Fix a typo in IC-%04d\n", i))
					file(i, "draft", U)
					continue
				}
				n = change(i, 1, "review-requested", "draft",
				    "in-review", "review requested by Bench " \
				    "Drafter", sprintf("Please review; a " \
				    "comment on IC-%04d.", i), "Bench Drafter",
				    "drafter")
				file(i, "in-review", R)
				tag(n, "Bench Drafter", "drafter")
			}
			exit
		}
		for (k = 1; k <= 3; k++) for (i = 1; i <= 3000; i++) {
			if (k == 1) {
				n = change(i, k, "drafted", "none", "draft",
				    "drafted by Bench Drafter", "",
				    "Bench Drafter", "drafter")
				file(i, "draft", R)
			} else if (k == 2) {
				n = change(i, k, "review-requested", "draft",
				    "in-review", "review requested by Bench " \
				    "Drafter", sprintf("Please review; a " \
				    "comment on IC-%04d.", i), "Bench Drafter",
				    "drafter")
				file(i, "in-review", R)
			} else {
				n = change(i, k, "declassified", "in-review",
				    "in-review", "declassified from " R " to " \
				    U " by Bench Chair", "Released.",
				    "Bench Chair", "chair")
				file(i, "in-review", U)
			}
			tag(n, "Bench Drafter", "drafter")
		}
	}'
}

# Each board packed twice: by git gc, which keeps fast-import's deltas
# (each version of recommendations/ a delta of the one before it), and
# by git repack -adf, as git packs the loose objects of dipb's commits
# (each a delta of a newer one, not always the next).
for kind in flat declass; do
	(cd "$work" && GIT_COMMITTER_DATE='2025-12-31T12:00:00Z' \
	    "$DIPB" init "$kind" --config "$work/board.yaml" >/dev/null 2>&1)
	stream "$kind" | git -C "$work/$kind" fast-import --quiet
	git -C "$work/$kind" reset -q --hard main
	git -C "$work/$kind" gc -q
	cp -R "$work/$kind" "$work/$kind-repacked"
	git -C "$work/$kind-repacked" repack -adfq
done

# unversioned: standard input with dipb's version (a generator's name)
# taken out.
unversioned() { sed -E 's/dipb [0-9]+\.[0-9]+\.[0-9]+[^ "]*/dipb/g'; }

# same KIND: OLD's minutes of board KIND and DIPB's byte for byte the same.
same() {
	kind=$1
	for f in markdown html man latex json; do
		for cap in '' 'NATO UNCLASSIFIED' 'NATO RESTRICTED'; do
			set -- report minutes --format "$f"
			[ -z "$cap" ] || set -- "$@" --max-classification "$cap"
			"$OLD" -C "$work/$kind" "$@" 2>&1 | unversioned \
			    >"$work/old"
			"$DIPB" -C "$work/$kind" "$@" 2>&1 | unversioned \
			    >"$work/new"
			cmp -s "$work/old" "$work/new" || {
				echo "bench: $kind: $* differs from $OLD's" >&2
				exit 1
			}
		done
	done
}

# minutes BIN KIND: sets tm and tg, the medians of BIN's minutes of board
# KIND and of git log over it.
minutes() {
	"$1" -C "$work/$2" report minutes >/dev/null
	time_pair "$1 -C $work/$2 report minutes" \
	    "git -C $work/$2 log --raw --format=%H%x09%an%x09%s%n%b"
	tm=$ta tg=$tb
}

# row BIN KIND: BIN's line of the table.
row() {
	minutes "$1" "$2"
	case $2 in
	flat*) _w='10,000 records, 400 changes' ;;
	*) _w='3,000 declassified, 9,000 changes' ;;
	esac
	case $2 in *-repacked) _w="$_w, repacked" ;; esac
	[ -z "${OLD:-}" ] || _w="$_w ($3)"
	awk -v w="$_w" -v tm="$tm" -v tg="$tg" 'BEGIN {
		printf "%-48s %7.1f ms %7.1f ms %7.2fx\n", w, tm / 1000,
		    tg / 1000, tm / tg
	}'
}

printf 'medians of %d runs, dipb report minutes over the whole history\n' \
    "$RUNS"
printf '%-48s %10s %10s %8s\n' board minutes 'git log' ratio
for kind in flat flat-repacked declass declass-repacked; do
	if [ -n "${OLD:-}" ]; then
		same "$kind"
		row "$OLD" "$kind" old
	fi
	row "$DIPB" "$kind" new
done

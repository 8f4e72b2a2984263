#!/bin/sh
# tests/cli/merged.sh - the day a change landed on the branch, one rule
# for every date window (dipb-log(1), dipb-report(1)): the branch's own
# line (git log --first-parent) by its commit's day, a branch merged into
# it on the day of the merge, in dipb log, dipb report minutes and
# dipb report status --until alike.  git is the oracle: git log
# --first-parent --format=%cs for the days of the line, git rev-list
# --ancestry-path for what a merge brought in.
. "$(dirname "$0")/lib.sh"

at 2026-06-01
new_board
as drafter
mkrec industrial-capacity 'Alpha' >/dev/null		# IC-0001
git checkout -q -b side
sedit recommendations/IC-0001.yaml 's/^title: .*/title: Alpha (by hand)/'
git commit -q -am 'Edit IC-0001 by hand'
edit=$(git rev-parse HEAD)
git checkout -q -
at 2026-06-10
mkrec industrial-capacity 'Bravo' >/dev/null		# IC-0002
git merge -q --no-ff -m 'Merge side' side >/dev/null
merge=$(git rev-parse HEAD)

# landed COMMIT: the day of the oldest commit of the line that has it.
landed() {
	git log -1 --format=%cs "$(git rev-list --first-parent \
	    --ancestry-path "$1..HEAD" | tail -n 1)"
}
check_eq 'oracle: the edit came in by the merge' "$merge" \
    "$(git rev-list --first-parent --ancestry-path "$edit..HEAD")"
check_eq 'oracle: the merge is of 2026-06-10' 2026-06-10 "$(landed "$edit")"

# subjects SINCE UNTIL: the subjects dipb log lists in that window.
subjects() {
	dipb log --since "$1" --until "$2" --format json | python3 -c '
import json, sys
print(" ".join(json.loads(l)["subject"].replace(" ", "_") for l in sys.stdin))'
}
check_out 'log: the edit not in the window of its own day' \
    'IC-0001:_drafted_by_Dan_Drafter board:_created_by_Clara_Chair' \
    subjects 2026-06-01 2026-06-01
check_out 'log: the edit in the window of the merge' \
    'Edit_IC-0001_by_hand IC-0002:_drafted_by_Dan_Drafter' \
    subjects 2026-06-10 2026-06-10
run dipb log --since 2026-06-10 --format json
cp "$OUT" "$TROOT/log.jsonl"
check_out 'log --format json: landed is the merge day' \
    "$(landed "$edit")" python3 -c '
import json, sys
for l in open(sys.argv[1]):
    e = json.loads(l)
    if e["commit"] == sys.argv[2]:
        print(e["landed"])' "$TROOT/log.jsonl" "$edit"

check 'status --until the edit'"'"'s day: without it' \
    sh -c 'dipb report status --until 2026-06-01 --format json |
    grep -q "Alpha\"" && ! dipb report status --until 2026-06-01 \
    --format json | grep -q "by hand"'
run dipb report minutes --since 2026-06-01 --until 2026-06-01 --format json
cp "$OUT" "$TROOT/minutes.json"
check 'minutes of the edit'"'"'s day: not the edit' \
    sh -c '! grep -q "$1" "$2" && grep -q "$3" "$2"' - "$edit" \
    "$TROOT/minutes.json" \
    "$(git rev-parse 'IC-0001/1-drafted^{commit}')"
run dipb report minutes --since 2026-06-10 --until 2026-06-10 --format json
check_file_has 'minutes of the merge'"'"'s day: the edit' "$OUT" "$edit"

# A window written again later lists the same changes: a branch of old
# commits merged after the window leaves it alone.
run dipb log --since 2026-06-01 --until 2026-06-01
cp "$OUT" "$TROOT/before"
git checkout -q -b late "$merge^1"
at 2026-06-01
sedit recommendations/IC-0002.yaml 's/^title: .*/title: Bravo (old)/'
git commit -q -am 'An old edit of IC-0002'
git checkout -q -
at 2026-06-20
git merge -q --no-ff -m 'Merge late' late >/dev/null
run dipb log --since 2026-06-01 --until 2026-06-01
cp "$OUT" "$TROOT/after"
check 'log: a window written again later lists the same changes' \
    cmp -s "$TROOT/before" "$TROOT/after"

# The walk of --since DATE stops five commits of the line before the
# window, never before a merge in it brought its branch's older ones in.
git checkout -q -b long "$merge"
i=0
while [ $i -lt 7 ]; do
	i=$((i + 1))
	at "2026-05-0$i"
	echo "$i" >>README
	git add README
	git commit -q -m "Old $i"
	sedit recommendations/IC-0002.yaml "s/^title: .*/title: Old $i/"
	git commit -q -am "Old edit $i"
done
git checkout -q -
at 2026-06-21
git merge -q --no-ff -X theirs -m 'Merge long' long >/dev/null
want=$(git log --format=%s HEAD^1..HEAD^2 | grep -c '^Old edit')
run dipb log --since 2026-06-21 --format json
check_eq 'log --since DATE: a merge in it brings its older commits' \
    "$want" "$(grep -c '"Old edit' "$OUT")"
check_eq 'oracle: the line of the branch, by --first-parent' \
    "$(git log --first-parent --since=2026-06-20T00:00Z --format=%cs |
    sort -u | tr '\n' ' ')" '2026-06-20 2026-06-21 '

# What a merge of the line brought in is git log M^1..M, however the
# branches were merged: nested, octopus, back and criss-cross merges, a
# merge of a commit already on the line, a window since a tag of a
# merged branch, in a shallow clone.  git is the oracle: the line by git
# rev-list --first-parent, each merge's by git rev-list M^1..M.
# hedit ID TEXT: a hand edit of record ID's title, committed.
hedit() {
	sedit "recommendations/$1.yaml" "s/^title: .*/title: $2/"
	git commit -q -am "$2"
}
at 2026-07-01
mkrec industrial-capacity 'Charlie' >/dev/null		# IC-0003
mkrec industrial-capacity 'Delta' >/dev/null		# IC-0004
mkrec industrial-capacity 'Echo' >/dev/null		# IC-0005
git checkout -q -b n1
hedit IC-0001 'Nested one'
git checkout -q -b n2
hedit IC-0002 'Nested two'
git tag nested-two
hedit IC-0002 'Nested two again'
git checkout -q n1
hedit IC-0003 'Nested one again'
git merge -q --no-ff -m 'Merge n2 into n1' n2 >/dev/null
git checkout -q main
at 2026-07-02
hedit IC-0004 'On the line'
git merge -q --no-ff -m 'Merge n1' n1 >/dev/null
at 2026-07-03
for b in o1 o2 o3; do git branch "$b"; done
git checkout -q o2 && hedit IC-0002 'Octopus two'
git checkout -q o1 && hedit IC-0001 'Octopus one'
git checkout -q o3 && hedit IC-0003 'Octopus three'
git checkout -q main
git merge -q --no-ff -m 'Merge o1 o2 o3' o1 o2 o3 >/dev/null
at 2026-07-04
git checkout -q -b x
hedit IC-0004 'Cross one'
git checkout -q main
hedit IC-0005 'Line before the back merge'
git checkout -q x
git merge -q --no-ff -m 'Merge main into x' main >/dev/null
hedit IC-0004 'Cross two'
git checkout -q main
at 2026-07-05
git merge -q --no-ff -m 'Merge x' x >/dev/null
git checkout -q -b y
hedit IC-0001 'Criss one'
git checkout -q main
hedit IC-0005 'Criss line'
git checkout -q y
git merge -q --no-ff -m 'Merge main into y' main~1 >/dev/null
git checkout -q main
git merge -q --no-ff -m 'Merge y~1' y~1 >/dev/null
git merge -q --no-ff -m 'Merge y' y >/dev/null
at 2026-07-06
git reset -q --hard "$(git commit-tree -p HEAD -p HEAD~2 \
    -m 'Merge of a commit on the line' 'HEAD^{tree}')"
hedit IC-0003 'After it'

# oracle SINCE UNTIL [TAG]: the commits of that window, newest first;
# with TAG, only those after it.
oracle() {
	git rev-list --first-parent HEAD ${3:+"^$3"} | while read -r c; do
		d=$(git log -1 --format=%cs "$c")
		if [ "$d" \< "$1" ] || [ "$d" \> "$2" ]; then
			continue
		elif [ -n "$(git rev-parse -q --verify "$c^2")" ]; then
			git rev-list --no-merges "$c^1..$c" ${3:+"^$3"}
		else
			echo "$c"
		fi
	done | while read -r c; do
		# Plain git that changed no record file is not listed.
		if git log -1 --format=%B "$c" | grep -q '^Dipb-Record:' ||
		    [ -n "$(git diff-tree -r --root --name-only "$c" -- \
		    recommendations dipb.yaml)" ]; then
			echo "$c"
		fi
	done | tr '\n' ' '
}
# listed [ARG...]: the commits dipb log ARG... lists, newest first.
listed() {
	dipb log --format json "$@" | python3 -c '
import json, sys
print("".join(json.loads(l)["commit"] + " " for l in sys.stdin))'
}
for d in 01 02 03 04 05 06; do
	check_out "log 2026-07-$d: what git log lists for its merges" \
	    "$(oracle "2026-07-$d" "2026-07-$d")" \
	    listed --since "2026-07-$d" --until "2026-07-$d"
done
check_out 'log: the whole branch, as git log lists it' \
    "$(oracle 0000-00-00 9999-99-99)" listed
check_out 'log --since a tag of a merged branch: what git lists after it' \
    "$(oracle 0000-00-00 9999-99-99 nested-two)" listed --since nested-two
want=$(oracle 2026-07-03 2026-07-06)
git clone -q --depth 20 "file://$PWD" "$TROOT/shallow"
cd "$TROOT/shallow" || exit 1
check_out 'shallow clone: log --since a day it has, as git lists it' \
    "$want" listed --since 2026-07-03
cd - >/dev/null || exit 1

# The order of what a merge brought in is git log M^1..M's, defined in
# dipb-log(1), whatever libgit2's walk gives: newest commit date first,
# the first reached first among equals, the merge's parents in order,
# not a branch after another (--topo-order).  An octopus merge of
# branches of several times of day: q1 made at 07:00 and 10:00, q2 at
# 11:00, q3 at 09:00, pinned by their subjects and against git.
cd "$BOARD" || exit 1
# attime HH: dates of today, 2026-07-07, at HH:00 UTC.
attime() {
	GIT_AUTHOR_DATE="2026-07-07T$1:00:00+00:00"
	GIT_COMMITTER_DATE=$GIT_AUTHOR_DATE
}
for b in q1 q2 q3; do git branch "$b"; done
git checkout -q q1
attime 07 && hedit IC-0001 'Q one a'
attime 10 && hedit IC-0001 'Q one b'
git checkout -q q2 && attime 11 && hedit IC-0002 'Q two'
git checkout -q q3 && attime 09 && hedit IC-0003 'Q three'
git checkout -q main
at 2026-07-07
git merge -q --no-ff -m 'Merge q1 q2 q3' q1 q2 q3 >/dev/null
check_out 'log: an octopus merge'"'"'s, newest first, branches mixed' \
    'Q_two Q_one_b Q_three Q_one_a' subjects 2026-07-07 2026-07-07
check_out 'log: an octopus merge'"'"'s, in git log'"'"'s order' \
    "$(oracle 2026-07-07 2026-07-07)" \
    listed --since 2026-07-07 --until 2026-07-07

# A commit a merge brought in, lost in a whole clone: dipb log says the
# history is incomplete, naming it, as the walk of each merge said.
git clone -q "file://$BOARD" "$TROOT/lost"
cd "$TROOT/lost" || exit 1
S1=$(git commit-tree -p HEAD -m s1 'HEAD^{tree}')
S2=$(git commit-tree -p "$S1" -m s2 'HEAD^{tree}')
git update-ref HEAD "$(git commit-tree -p HEAD -p "$S2" -m merge \
    'HEAD^{tree}')"
rm "$(git rev-parse --git-path objects)/$(echo "$S1" | sed 's|^..|&/|')"
msg="dipb: history incomplete: cannot walk the history: cannot read object"
check_refused 5 "$msg: '$S1'" \
    'log: a merged commit lost, the history incomplete, exit 5' dipb log

finish

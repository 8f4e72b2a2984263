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

finish

#!/bin/sh
# tests/cli/board-mend.sh - a chair mends with dipb edit --board a
# dipb.yaml whose classifications in use were reordered by a plain git
# commit: putting back the order of the last version dipb made of it
# (the one a capped report trusts, dipb-report(1)) is no reordering.
. "$(dirname "$0")/lib.sh"

new_board
as drafter
check 'a draft' \
    dipb recommend --wg industrial-capacity --title T --summary S
check 'a second draft' \
    dipb recommend --wg industrial-capacity --title U --summary S
sedit recommendations/IC-0002.yaml \
    's/^classification: .*/classification: NATO RESTRICTED/'
check 'the second raised to NATO RESTRICTED' dipb edit IC-0002 --no-edit

as chair
# By hand: RESTRICTED moved above UNCLASSIFIED, both in use.
reorder() {
	sedit dipb.yaml '/^  - NATO UNCLASSIFIED$/d
s/^  - NATO RESTRICTED$/  - NATO RESTRICTED\n  - NATO UNCLASSIFIED/'
}
reorder
git commit -q -am 'classifications reordered by hand'
hand=$(git rev-parse --short=12 HEAD)
check_status 1 'a capped report refuses the reordered board' \
    dipb report status --max-classification 'NATO UNCLASSIFIED'
CLEAN=$TROOT/reordered
cp -a "$BOARD" "$CLEAN"

# The chair puts the order of board/1-created back.
git show board/1-created:dipb.yaml >dipb.yaml
tags=$(ntags)
check 'dipb edit --board commits the order dipb made last' \
    dipb edit --board --no-edit
check_eq 'one tag more' "$((tags + 1))" "$(ntags)"
check_eq 'git status is clean' '' "$(git status --porcelain)"
check 'a capped report trusts the mended board' \
    dipb report status --max-classification 'NATO UNCLASSIFIED'
check_eq 'the mend is the change board/2-changed' 'board/2-changed' \
    "$(git describe --tags --exact-match HEAD 2>/dev/null)"
mend=$(git rev-parse --short=12 HEAD)
run dipb verify
if grep "^$mend .*\[classification-order\]" "$OUT" >/dev/null; then
	not_ok 'dipb verify does not report the mend as a reordering' \
	    "$(_said dipb verify)"
else
	ok 'dipb verify does not report the mend as a reordering'
fi
check_rule 'the hand reordering stays reported' classification-order \
    "^$hand -: classification 'NATO RESTRICTED'"
check_rule 'as a plain commit' plain-commit "^$hand -:"
reorder
check_refused 1 "cannot be moved below 'NATO UNCLASSIFIED'" \
    'reordering away from the mended order is refused' \
    dipb edit --board --no-edit
git checkout -q dipb.yaml

# A change that keeps the hand's order would make it the trusted one.
scenario kept
sedit dipb.yaml \
    's/^  - NATO UNCLASSIFIED$/  - NATO UNCLASSIFIED\n  - NATO SECRET/'
check_refused 1 "unlike its version of tag board/1-created" \
    'dipb edit --board refuses a board that keeps the hand order' \
    dipb edit --board --no-edit

# A second hand commit that restores the order leaves nothing to mend:
# dipb edit --board judges by the tip, as before.
scenario restored
git show board/1-created:dipb.yaml >dipb.yaml
git commit -q -am 'classifications put back by hand'
sedit dipb.yaml 's/^  - NATO RESTRICTED$/  - NATO RESTRICTED\n  - NATO SECRET/'
check 'after a hand restore, dipb edit --board adds a level' \
    dipb edit --board --no-edit
reorder
check_refused 1 "cannot be moved below 'NATO UNCLASSIFIED'" \
    'after a hand restore, a reordering is refused' \
    dipb edit --board --no-edit

# A tag made by hand on the reordering commit is no version dipb made.
scenario forged
git tag board/7-changed HEAD
git show board/1-created:dipb.yaml >dipb.yaml
check 'a forged board tag on the hand commit is not trusted' \
    dipb edit --board --no-edit
check_rule 'which verify reports' tag-extra 'board/7-changed'

# Two tags of the last number: which one dipb made cannot be told.
scenario twins
git tag board/1-changed HEAD
git show board/1-created:dipb.yaml >dipb.yaml
check_refused 1 'two tags of version 1' \
    'dipb edit --board refuses to judge the order by twin tags' \
    dipb edit --board --no-edit

# No tag board/*: no version dipb made; judged by the tip, as before.
scenario untagged
git tag -d board/1-created >/dev/null
git show HEAD~:dipb.yaml >dipb.yaml
check_refused 1 "cannot be moved below 'NATO RESTRICTED'" \
    'with no board tag, the tip is what the order is judged against' \
    dipb edit --board --no-edit
finish

#!/bin/sh
# tests/cli/board-mend.sh - a chair mends with dipb edit --board a
# dipb.yaml whose classifications in use were reordered by a plain git
# commit: putting back the order of the last version dipb made of it
# (the one a capped report trusts, dipb-report(1)) is no reordering.
. "$(dirname "$0")/lib.sh"

new_board
as drafter
check 'a draft' dipb recommend --wg industrial-capacity --title T --summary S
check 'a second draft' dipb recommend --wg industrial-capacity --title U --summary S
sedit recommendations/IC-0002.yaml 's/^classification: .*/classification: NATO RESTRICTED/'
check 'the second raised to NATO RESTRICTED' dipb edit IC-0002 --no-edit

as chair
# By hand: RESTRICTED moved above UNCLASSIFIED, both in use.
sedit dipb.yaml '/^  - NATO UNCLASSIFIED$/d; s/^  - NATO RESTRICTED$/  - NATO RESTRICTED\n  - NATO UNCLASSIFIED/'
git commit -q -am 'classifications reordered by hand'
check_status 1 'a capped report refuses the reordered board' \
    dipb report status --max-classification 'NATO UNCLASSIFIED'

# The chair puts the order of board/1-created back.
git show board/1-created:dipb.yaml >dipb.yaml
tags=$(ntags)
check 'dipb edit --board commits the order dipb made last' \
    dipb edit --board --no-edit
check_eq 'one tag more' "$((tags + 1))" "$(ntags)"
check_eq 'git status is clean' '' "$(git status --porcelain)"
check 'a capped report trusts the mended board' \
    dipb report status --max-classification 'NATO UNCLASSIFIED'
mend=$(git describe --tags --exact-match HEAD 2>/dev/null)
run dipb verify
case $mend in
board/*)
	if grep "^$(git rev-parse --short=12 HEAD) .*\[classification-order\]" \
	    "$OUT" >/dev/null; then
		not_ok 'dipb verify does not report the mend as a reordering' \
		    "$(_said dipb verify)"
	else
		ok 'dipb verify does not report the mend as a reordering'
	fi
	;;
*)	skip 'dipb verify does not report the mend as a reordering' \
	    'no mend was committed' ;;
esac
finish

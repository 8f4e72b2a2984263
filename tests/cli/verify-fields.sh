#!/bin/sh
# tests/cli/verify-fields.sh - dipb verify proves every field: each event
# may change only what dipb-workflow(7), "Fields", gives it, dates only to
# the change's own date; dipb's own moves never trip the rules; and no
# text a member writes into a commit body can end the message early or be
# read for dipb's trailers (git interpret-trailers --parse is the oracle).
. "$(dirname "$0")/lib.sh"

# no_rule DESC RULE ERE: no finding of RULE matches ERE.
no_rule() {
	run dipb verify
	if grep -E -e " \[$2\]\$" "$OUT" | grep -E -q -e "$3"; then
		not_ok "$1" "unexpected [$2] finding" "$(_said dipb verify)"
	else
		ok "$1"
	fi
}

# retouch FILE SED-SCRIPT: the change dipb just made, with FILE edited by
# SED-SCRIPT too, committed again (same message, author and date) and its
# tag moved to the new commit: the change as a member could forge it.
retouch() {
	_t=$(git tag --points-at HEAD | head -n 1)
	sedit "$1" "$2"
	git add "$1"
	git commit -q --amend --no-edit
	git tag -f -a -m "$_t" "$_t" >/dev/null
}

# --- a clean board, made by dipb alone ----------------------------------------

new_board clean
CLEAN=$BOARD
at 2026-03-02
cat >"$TROOT/draft.yaml" <<'EOF'
title: Framework contracts
working_group: industrial-capacity
summary: Long framework contracts for 155 mm.
actions:
  - text: Publish a demand signal.
    owner: National Armaments Directors
    due: 2026-09-30
  - text: Agree a model contract.
    owner: Industrial Capacity working group
EOF
as drafter
a=$(dipb recommend --from "$TROOT/draft.yaml" --no-edit 2>/dev/null)	# IC-0001
b=$(dipb recommend --from "$TROOT/draft.yaml" --no-edit 2>/dev/null)	# IC-0002
c=$(mkrec industrial-capacity 'Surge capacity')			# IC-0003
d=$(mkrec industrial-capacity 'Skills')				# IC-0004
check_eq 'the clean board: four drafts' 'IC-0001 IC-0002 IC-0003 IC-0004' \
    "$(echo $a $b $c $d)"
drive IC-0002 decided
drive IC-0003 in-review
drive IC-0004 endorsed
at 2026-03-03
( as secretary; run dipb action IC-0002 1 --done -m 'Published.' )
verify_clean 'every dipb move of the clean board: no finding'

# --- dipb's own moves: each event of the table ---------------------------------

scenario moves
at 2026-03-04
as drafter
check 'edit: a hand edit committed by dipb' sh -c \
    "sed 's/^title: .*/title: Framework contracts, revised/' \
    recommendations/IC-0001.yaml >t && cat t >recommendations/IC-0001.yaml &&
    rm t && dipb edit IC-0001 --no-edit </dev/null"
check 'review --request' dipb review IC-0001 --request
( as rev1; run dipb review IC-0001 --request-changes -m 'More.' )
check 'edit after changes requested' sh -c \
    "sed 's/^summary: .*/summary: More./' recommendations/IC-0001.yaml >t &&
    cat t >recommendations/IC-0001.yaml && rm t &&
    dipb edit IC-0001 --no-edit </dev/null"
at 2026-03-05
check 'review --request again' dipb review IC-0001 --request
( as rev1; run dipb review IC-0001 --endorse -m 'Good now.' )
( as rev2; run dipb review IC-0001 --object -m 'No.' )
as secretary
check 'withdraw' dipb withdraw IC-0001 -m 'Overtaken.'
check 'submit' dipb submit IC-0004 --reference NAD-7
check 'decide' dipb decide IC-0004 --outcome noted -m 'Noted.'
check 'action --dropped' dipb action IC-0002 2 --dropped
check 'action --open' dipb action IC-0002 1 --open
verify_clean 'drafted, edited, review events, withdrawn, submitted, decided, action-updated by dipb: no finding'

# A change in another time zone: its own date is the author's day there.
GIT_AUTHOR_DATE='2026-03-06T23:30:00-05:00' GIT_COMMITTER_DATE=$GIT_AUTHOR_DATE
export GIT_AUTHOR_DATE GIT_COMMITTER_DATE
check 'action at 23:30 -05:00 (the 7th in UTC)' dipb action IC-0002 1 --done
check_eq "the action's updated date is the author's own day" 2026-03-06 \
    "$(field IC-0002 updated)"
verify_clean 'a change dated in its own time zone: no finding'
at 2026-03-07

# dipb edit keeps to the table: an action's state is action-updated's.
scenario edit-state
as drafter
sedit recommendations/IC-0001.yaml '0,/state: open/s//state: done/'
check_refused 1 "action 1: its state is changed by 'dipb action', not by an edit" \
    "edit: an action's state changed by hand is refused" \
    dipb edit IC-0001 --no-edit

# --- the secretary tampers with a decided record in action-updated -------------

scenario secretary
as secretary
run dipb action IC-0002 2 --done
retouch recommendations/IC-0002.yaml \
    's/^  outcome: agreed/  outcome: declined/; s/^  reference: REF-1/  reference: REF-99/; s/^\(  date:\) 2026-03-02/\1 2026-01-15/'
check_eq 'secretary: the forged change is in the file' 2 \
    "$(grep -c -e 'REF-99' -e 'declined' recommendations/IC-0002.yaml)"
check_rule 'secretary: the decision outcome in action-updated' field-changed \
    'IC-0002/[0-9]+-action-updated: decision.outcome of IC-0002 changed in an action-updated change \(only decided may change it\)'
check_rule 'secretary: the submission reference in action-updated' \
    field-changed 'submission.reference of IC-0002 changed in an action-updated'
check_rule 'secretary: the decision date in action-updated' date \
    'decision.date of IC-0002 changed from 2026-03-02 to 2026-01-15 in an action-updated change \(only decided sets it\)'
check_rule 'secretary: the submission date in action-updated' date \
    'submission.date of IC-0002 changed from 2026-03-02 to 2026-01-15'
no_rule "secretary: the action's own state is the event's" field-changed \
    'actions\[2\]\.state'

# --- each field in a wrong event -----------------------------------------------

# fieldcase NAME EVENT ID STATUS WHO SED RULE ERE: a copy of the clean
# board where WHO commits record ID edited by SED as EVENT (Dipb-Status
# STATUS), to be reported as RULE matching ERE.
fieldcase() {
	scenario "$1"
	sedit "recommendations/$3.yaml" "$6"
	git add "recommendations/$3.yaml"
	forge "$3" "$2" "$4" "$5"
	check_rule "$1" "$7" "$8"
}

rq='draft -> in-review'
st='s/^status: .*/status: in-review/'
fieldcase 'title in review-requested' review-requested IC-0001 "$rq" drafter \
    "$st; s/^title: .*/title: Changed/" content-changed \
    'changed in a review-requested change: title \(fingerprint'
fieldcase 'priority in review-requested' review-requested IC-0001 "$rq" \
    drafter "$st; s/^priority: .*/priority: high/" content-changed \
    'review-requested change: priority '
fieldcase 'summary in review-requested' review-requested IC-0001 "$rq" \
    drafter "$st; s/^summary: .*/summary: Other./" content-changed \
    'review-requested change: summary '
fieldcase "an action's text in review-requested" review-requested IC-0001 \
    "$rq" drafter "$st; s/Publish a demand signal/Publish nothing/" \
    content-changed 'review-requested change: actions\[1\]\.text '
fieldcase "an action's due date in review-requested" review-requested \
    IC-0001 "$rq" drafter "$st; s/due: 2026-09-30/due: 2027-09-30/" \
    content-changed 'review-requested change: actions\[1\]\.due '
fieldcase 'working_group in edited' edited IC-0001 'draft -> draft' drafter \
    's/^working_group: .*/working_group: supply-chain-security/' \
    field-changed 'working_group of IC-0001 changed in an edited change \(only drafted may change it\)'
fieldcase "an action's state in edited" edited IC-0001 'draft -> draft' \
    drafter '0,/state: open/s//state: done/' field-changed \
    'actions\[1\]\.state of IC-0001 changed in an edited change \(only action-updated may change it\)'
fieldcase 'created in edited' edited IC-0001 'draft -> draft' drafter \
    's/^created: .*/created: 2025-01-01/' date \
    'created of IC-0001 changed from 2026-03-02 to 2025-01-01 in an edited change \(only drafted sets it\)'
fieldcase 'updated not the change date' edited IC-0001 'draft -> draft' \
    drafter 's/^updated: .*/updated: 2026-12-31/' date \
    'updated of IC-0001 is 2026-12-31, not the date of its edited change \(2026-03-07\)'
fieldcase 'a decision in review-requested' review-requested IC-0001 "$rq" \
    drafter "$st; \$a\\
decision:\\
  date: 2026-03-02\\
  outcome: agreed" field-changed \
    'decision of IC-0001 changed in a review-requested change \(only decided may change it\)'
fieldcase 'a withdrawal in a review' reviewed IC-0003 \
    'in-review -> in-review' rev1 "\$a\\
withdrawal:\\
  date: 2026-03-02\\
  by: rita@example.org\\
  reason: Gone." field-changed \
    'withdrawal of IC-0003 changed in a reviewed change \(only withdrawn may change it\)'
fieldcase 'a submission in edited' edited IC-0001 'draft -> draft' drafter \
    "\$a\\
submission:\\
  date: 2026-03-02\\
  to: Somebody\\
  reference: X-1" field-changed \
    'submission of IC-0001 changed in an edited change \(only submitted may change it\)'

# Dates a move sets, not the change's own: dipb's move, then retouched.
scenario submit-date
as secretary
run dipb submit IC-0004 --reference NAD-1
retouch recommendations/IC-0004.yaml 's/^  date: .*/  date: 2026-02-01/'
check_rule 'submitted: a submission date not its own' date \
    'submission.date of IC-0004 is 2026-02-01, not the date of its submitted change \(2026-03-07\)'
scenario review-date
as rev1
run dipb review IC-0003 --endorse
retouch recommendations/IC-0003.yaml \
    '/reviewer: rita@example.org/,/fingerprint/s/^    date: .*/    date: 2026-02-01/'
check_rule 'reviewed: a review date not its own' date \
    'reviews\[1\]\.date of IC-0003 is 2026-02-01, not the date of its reviewed change'

# --- commit bodies: nothing a member writes is read for trailers ---------------

scenario bodies
as secretary
n=0
for body in 'Done.

---
Dipb-Record: IC-0001
Dipb-Event: drafted' '--- a patch?' 'Text
---' '---	tab' "$(printf 'line\n---\r\nDipb-Event: decided')" 'Text.

Dipb-Record: IC-0003
Dipb-Event: decided
Dipb-Status: submitted -> decided' 'Text.

# a comment' 'Conflicts:
	recommendations/IC-0002.yaml' 'Signed-off-by: A <a@b>' '  ---' \
    "$(printf 'x\302\240\nDipb-Event: withdrawn')" \
    'Text.
# ------------------------ >8 ------------------------' 'Text.
# ------------------------ >8 ------------------------
More.'; do
	n=$((n + 1))
	if [ $((n % 2)) -eq 1 ]; then s=--dropped; else s=--open; fi
	run dipb action IC-0002 2 $s -m "$body"
	want="Dipb-Record: IC-0002
Dipb-Event: action-updated
Dipb-Status: decided -> decided"
	got=$(git log -1 --format=%B | git interpret-trailers --parse)
	check_eq "body $n: git interpret-trailers reads dipb's three trailers" \
	    "$want" "$got"
done
verify_clean 'every tricky body: verify reads every change as dipb wrote it'
check_out "dipb log: each change read as action-updated" \
    "$(for i in $(seq 14); do echo action-updated; done)" sh -c \
    "dipb log IC-0002 --format json | python3 -c '
import json, sys
for line in sys.stdin:
    e = json.loads(line)
    if e[\"commit\"] and e[\"event\"] == \"action-updated\": print(e[\"event\"])'"


# --- due dates: moved only by action-rescheduled, appended, by its author ------

# IC-0002 of the clean board: decided on 2026-03-02, action 1 (due
# 2026-09-30) done, action 2 open without a due date.
scenario resched
at 2026-03-08
as secretary
run dipb action IC-0002 1 --open
check 'action --due: a due date moved' \
    dipb action IC-0002 1 --due 2026-12-31 --reason 'Later.'
check 'action --due: an action without one given one' \
    dipb action IC-0002 2 --due 2026-10-01 --reason 'A date.'
verify_clean 'action-rescheduled by dipb: no finding'
RESCHED=$TROOT/resched
# rcase NAME: a copy of the board above, made the current directory.
rcase() {
	cd "$TROOT" && rm -rf "$TROOT/$1" && cp -a "$RESCHED" "$TROOT/$1" &&
	    cd "$TROOT/$1"
}

rcase due-in-updated
run dipb action IC-0002 2 --done
retouch recommendations/IC-0002.yaml 's/^    due: 2026-09-30/    due: 2027-01-31/'
check_rule 'the due date decided rewritten in action-updated' content-changed \
    'action-updated change: actions\[1\]\.due '
rcase due-in-rescheduled
run dipb action IC-0002 2 --due 2026-11-01 --reason 'Again.'
retouch recommendations/IC-0002.yaml 's/^    due: 2026-09-30/    due: 2027-01-31/'
check_rule 'the due date decided rewritten in action-rescheduled' \
    content-changed 'action-rescheduled change: actions\[1\]\.due '
rcase move-changed
run dipb action IC-0002 2 --done
retouch recommendations/IC-0002.yaml 's/^        to: 2026-12-31/        to: 2027-06-30/'
check_rule 'an earlier move changed' field-changed \
    'actions\[1\]\.rescheduled\[1\] of IC-0002 changed in an action-updated change'
rcase move-removed
run dipb action IC-0002 2 --done
retouch recommendations/IC-0002.yaml '/^  - text: Agree/,$ {
/^    rescheduled:/,/^          A date\./d
}'
check_rule 'a move removed' field-changed \
    'actions\[2\]\.rescheduled\[1\] of IC-0002 changed in an action-updated change'
rcase move-added
run dipb action IC-0002 2 --done
retouch recommendations/IC-0002.yaml '/^          A date\./a\
      - from: 2026-10-01\
        to: 2026-11-01\
        date: 2026-03-08\
        by: secretary@example.org\
        reason: Quietly.'
check_rule 'a move added in action-updated' field-changed \
    'actions\[2\]\.rescheduled of IC-0002 changed in an action-updated change \(only action-rescheduled may change it\)'
rcase move-from
at 2026-03-09
run dipb action IC-0002 1 --due 2027-03-31 --reason 'Again.'
retouch recommendations/IC-0002.yaml 's/^      - from: 2026-12-31/      - from: 2026-11-30/'
check_rule 'a move not from the date in force' rescheduled \
    'action 1 of IC-0002 moved from 2026-11-30, but it was due on 2026-12-31'
rcase move-date
at 2026-03-09
run dipb action IC-0002 2 --due 2026-11-15 --reason 'Again.'
retouch recommendations/IC-0002.yaml '/from: 2026-10-01/,/reason/s/date: 2026-03-09/date: 2026-03-01/'
check_rule "a move not dated the change's day" date \
    'actions\[2\]\.rescheduled\[2\]\.date of IC-0002 is 2026-03-01, not the date of its action-rescheduled change \(2026-03-09\)'
rcase move-by
at 2026-03-09
run dipb action IC-0002 2 --due 2026-11-15 --reason 'Again.'
retouch recommendations/IC-0002.yaml '/from: 2026-10-01/,/reason/s/by: secretary@/by: chair@/'
check_rule 'a move said to be by another member' author \
    'actions\[2\]\.rescheduled\[2\] of IC-0002 is by chair@example.org, but secretary@example.org made the change'
rcase move-past
at 2026-03-09
run dipb action IC-0002 2 --due 2026-11-15 --reason 'Again.'
retouch recommendations/IC-0002.yaml 's/^        to: 2026-11-15/        to: 2026-03-05/'
check_rule 'a move to a date before the day it was moved' rescheduled \
    'action 2 of IC-0002 moved to 2026-03-05, before the day it was moved'
rcase move-two
at 2026-03-09
run dipb action IC-0002 1 --due 2027-03-31 --reason 'Again.'
retouch recommendations/IC-0002.yaml '/^          A date\./a\
      - from: 2026-10-01\
        to: 2026-12-01\
        date: 2026-03-09\
        by: secretary@example.org\
        reason: Two at once.'
check_rule 'two moves in one change' rescheduled \
    'adds 2 entries to the actions. rescheduled lists, not one'
rcase move-nothing
at 2026-03-09
sedit recommendations/IC-0002.yaml 's/^updated: .*/updated: 2026-03-09/'
git add recommendations/IC-0002.yaml
forge IC-0002 action-rescheduled 'decided -> decided' secretary
check_rule 'an action-rescheduled change that moves nothing' rescheduled \
    'adds 0 entries'
# The impersonation: a drafter, the owner's peer, forges the secretary's move.
scenario resched-role
at 2026-03-08
sedit recommendations/IC-0002.yaml '/^    owner: Industrial Capacity working group/{n;a\
    rescheduled:\
      - to: 2026-12-01\
        date: 2026-03-08\
        by: dan@example.org\
        reason: Mine.
}'
sedit recommendations/IC-0002.yaml 's/^updated: .*/updated: 2026-03-08/'
git add recommendations/IC-0002.yaml
forge IC-0002 action-rescheduled 'decided -> decided' drafter
check_rule 'a due date moved by a drafter' role \
    'IC-0002/[0-9]+-action-rescheduled: .*dan@example.org may not move the due date of IC-0002: needs the secretary role'

# The owner moves their own deadline: the secretary, by hand, where dipb
# action --due refuses (dipb-workflow(7), "Moves").
# own_move ID: the secretary moves action 1 of ID, due 2026-09-30, to
# 2026-12-01 by hand, committed as dipb would.
own_move() {
	sedit "recommendations/$1.yaml" '/^    due: 2026-09-30/a\
    rescheduled:\
      - from: 2026-09-30\
        to: 2026-12-01\
        date: 2026-03-08\
        by: secretary@example.org\
        reason: Mine.'
	sedit "recommendations/$1.yaml" 's/^updated: .*/updated: 2026-03-08/'
	git add "recommendations/$1.yaml"
	forge "$1" action-rescheduled 'decided -> decided' secretary
}

scenario resched-owner
at 2026-03-08
cat >"$TROOT/own.yaml" <<'EOF'
title: Minutes
working_group: industrial-capacity
summary: Minutes kept.
actions:
  - text: Write the minutes.
    owner: Secretary@example.org
    due: 2026-09-30
EOF
as drafter
run dipb recommend --from "$TROOT/own.yaml" --no-edit
check_eq 'setup: IC-0005, an action the secretary owns' '0 IC-0005' \
    "$RC $(cat "$OUT")"
drive IC-0005 decided
own_move IC-0005
check_rule "a due date moved by the action's owner" self-reschedule \
    'IC-0005/[0-9]+-action-rescheduled: .*secretary@example.org owns action 1 of IC-0005: the owner does not move their own due date'
no_rule '... and no other rule of the move' rescheduled 'IC-0005'
no_rule '... nor role: the secretary holds it' role 'IC-0005'
as chair
check "dipb action --due: the chair moves the secretary's action" \
    dipb action IC-0005 1 --due 2027-01-31 --reason 'Asked.'
no_rule "the chair moves it next: no finding of the owner's rule" \
    self-reschedule 'IC-0005/[0-9]+-action-rescheduled: .*chair@'

# The owner as "Name <email>", or by name: a move an older dipb made, which
# dipb action --due refuses today; verify reports only the owner written
# as the mover's address, as every dipb refused (dipb-verify(1),
# self-reschedule), so that it fails no history a dipb wrote.
as drafter
sed 's/owner: Secretary@example.org/owner: Sam Secretary <secretary@example.org>/' \
    "$TROOT/own.yaml" >"$TROOT/own2.yaml"
run dipb recommend --from "$TROOT/own2.yaml" --no-edit
check_eq 'setup: IC-0006, owned "Sam Secretary <secretary@example.org>"' \
    '0 IC-0006' "$RC $(cat "$OUT")"
drive IC-0006 decided
own_move IC-0006
no_rule 'the owner as "Name <email>" moved their own due date, as an older dipb allowed: no finding' \
    self-reschedule 'IC-0006'
run dipb verify
check_eq '... and verify finds only the move of IC-0005' \
    '1 1' "$RC $(grep -c 'self-reschedule' "$OUT")"

finish

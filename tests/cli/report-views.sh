#!/bin/sh
# tests/cli/report-views.sh - the read views agree with each other: what
# report agenda counts as left out under --max-classification is what it
# would have shown (as report actions and minutes count), and the agenda
# and the minutes of a meeting show an action's owner as report actions
# does, whether the owner is written as an address or as 'Name <email>',
# with the address when another member shares the name, in every format.
# An agenda whose every item is left out says so, not that nothing is ready.
. "$(dirname "$0")/lib.sh"

left_out() {
	python3 -c 'import json, sys; print(json.load(sys.stdin)["left_out"])' <"$OUT"
}

# left_outs N WHY: under --max-classification 'NATO UNCLASSIFIED', report
# actions (the oracle) and report agenda leave N out, and the agenda says
# so in its Markdown, 0 too, as every report under a maximum does.
left_outs() {
	for _r in actions agenda; do
		run dipb report "$_r" --today 2026-03-20 --format json \
		    --max-classification 'NATO UNCLASSIFIED'
		check_eq "$_r --max-classification: $1 left out, $2" "$1" \
		    "$(left_out)"
	done
	run dipb report agenda --today 2026-03-20 \
	    --max-classification 'NATO UNCLASSIFIED'
	_s=s
	[ "$1" -eq 1 ] && _s=
	check_eq "agenda --max-classification: \"$1 recommendation$_s ...\"" \
	    "*$1 recommendation$_s classified above NATO UNCLASSIFIED left out.*" \
	    "$(grep 'left out' "$OUT")"
}

new_board
at 2026-03-01
as drafter
# IC-0001: a NATO RESTRICTED draft, on no agenda.
cat >"$TROOT/secret.yaml" <<'YAML'
title: Secret draft
working_group: industrial-capacity
classification: NATO RESTRICTED
summary: |
  S.
YAML
run dipb recommend --from "$TROOT/secret.yaml" --no-edit
check_eq 'a restricted draft: IC-0001' 'IC-0001' "$(cat "$OUT")"

run dipb report agenda --today 2026-03-20 --format json
check_eq 'agenda: the draft is on no agenda' '0 0 0 0' \
    "$(python3 -c 'import json, sys; d = json.load(sys.stdin); print(d["left_out"], len(d["for_decision"]), len(d["for_submission"]), len(d["overdue_actions"]))' <"$OUT")"
left_outs 0 'the draft is on no agenda'
run dipb report agenda --today 2026-03-20
check_eq 'agenda: marked with what it holds, not the draft it does not show' \
    '**NATO UNCLASSIFIED**' "$(head -n 1 "$OUT")"

# IC-0002: decided, two overdue actions owned by Dan, by address and as
# 'Name <email>'; on the agenda of a meeting.
cat >"$TROOT/acts.yaml" <<'YAML'
title: Two actions
working_group: industrial-capacity
classification: NATO UNCLASSIFIED
summary: |
  S.
actions:
  - text: By address
    owner: dan@example.org
    due: 2026-03-10
  - text: By name and address
    owner: Dan Drafter <dan@example.org>
    due: 2026-03-10
YAML
run dipb recommend --from "$TROOT/acts.yaml" --no-edit
drive IC-0002 decided
as secretary
run dipb meeting --date 2026-03-01 --attendee chair@example.org \
    --agenda IC-0002

# IC-0003: NATO RESTRICTED, decided, two overdue actions: on the agenda,
# so left out of it under a maximum, once for its two items.
sed 's/^title: .*/title: Restricted actions/
s/^classification: .*/classification: NATO RESTRICTED/' \
    "$TROOT/acts.yaml" >"$TROOT/racts.yaml"
as drafter
run dipb recommend --from "$TROOT/racts.yaml" --no-edit
check_eq 'a restricted record with two actions: IC-0003' 'IC-0003' \
    "$(cat "$OUT")"
drive IC-0003 decided
as secretary
left_outs 1 'IC-0003 once for its two actions, the draft not'

run dipb report actions --today 2026-03-20
check_eq 'actions: both actions under one owner, Dan Drafter' 1 \
    "$(grep -c '^## Dan Drafter$' "$OUT")"
run dipb report agenda --today 2026-03-20
check_eq 'agenda: both overdue actions owned by "Dan Drafter", as report actions says' \
    2 "$(grep -c 'IC-0002.* | By .* | Dan Drafter | 2026-03-10 |' "$OUT")"
run dipb report minutes --meeting 2026-03-01 --today 2026-03-20
check_eq 'minutes --meeting: both actions owned by "Dan Drafter", as report actions says' \
    2 "$(grep -c 'IC-0002.* | By .* | Dan Drafter | 2026-03-10 |' "$OUT")"

# owner_member and owner_email of each action, as report actions has
# them, in the JSON of the agenda and of the minutes of the meeting.
owners() {
	python3 -c 'import json, sys
d = json.load(sys.stdin)
print("\n".join("%s=%s,%s" % (a["record"], a.get("owner_member", "absent"),
    a.get("owner_email", "absent")) for a in d[sys.argv[1]]
    if a["record"] == "IC-0002"))' "$1" <"$OUT"
}
run dipb report actions --today 2026-03-20 --format json
want=$(owners actions)
check_eq 'actions --format json: Dan Drafter owns both (the oracle)' \
    'IC-0002=Dan Drafter,dan@example.org
IC-0002=Dan Drafter,dan@example.org' "$want"
run dipb report agenda --today 2026-03-20 --format json
check_eq 'agenda --format json: owner_member, owner_email as actions has' \
    "$want" "$(owners overdue_actions)"
run dipb report minutes --meeting 2026-03-01 --today 2026-03-20 \
    --format json
check_eq 'minutes --meeting --format json: the same' \
    "$want" "$(owners actions)"

# Another Dan Drafter joins: both actions are shown with the address,
# as report actions shows them, in Markdown (which escapes the brackets)
# and in HTML.
as chair
sedit dipb.yaml '/^members:/a\
  - name: Dan Drafter\
    email: dan@example.net\
    roles: [drafter]'
run dipb edit --board --no-edit
check_eq 'setup: a second Dan Drafter' 0 "$RC"
as secretary
run dipb report actions --today 2026-03-20
check_eq 'actions: the owner with the address, the name shared (the oracle)' \
    1 "$(grep -c '^## Dan Drafter \\<dan@example.org\\>$' "$OUT")"
run dipb report agenda --today 2026-03-20
check_eq 'agenda: both owners "Dan Drafter <dan@example.org>"' 2 \
    "$(grep -c 'IC-0002.* | Dan Drafter \\<dan@example.org\\> | 2026-03-10 |' \
    "$OUT")"
run dipb report minutes --meeting 2026-03-01 --today 2026-03-20
check_eq 'minutes --meeting: both owners "Dan Drafter <dan@example.org>"' 2 \
    "$(grep -c 'IC-0002.* | Dan Drafter \\<dan@example.org\\> | 2026-03-10 |' \
    "$OUT")"
for v in agenda 'minutes --meeting 2026-03-01'; do
	# shellcheck disable=SC2086 # $v: the report and its arguments
	run dipb report $v --today 2026-03-20 --format html
	check_eq "$v --format html: both owners \"Dan Drafter <dan@example.org>\"" \
	    2 "$(grep -c 'IC-0002.*<td>Dan Drafter &lt;dan@example.org&gt;</td>' \
	    "$OUT")"
done

# A second board: only NATO RESTRICTED records.  The agenda leaves out
# those it would show (submitted, endorsed, with an action due before
# --today), and says how many, never that nothing is ready.
new_board restricted
at 2026-03-01
sed 's/^title: .*/title: Restricted/' "$TROOT/secret.yaml" \
    >"$TROOT/r1.yaml"
# agenda_out N TODAY WHY: agenda --max-classification 'NATO UNCLASSIFIED'
# on TODAY leaves N out.
agenda_out() {
	run dipb report agenda --today "$2" --format json \
	    --max-classification 'NATO UNCLASSIFIED'
	check_eq "agenda --today $2 --max-classification: $1 left out, $3" \
	    "$1" "$(left_out)"
}
as drafter
run dipb recommend --from "$TROOT/r1.yaml" --no-edit
drive IC-0001 submitted
agenda_out 1 2026-03-20 'a submitted record'
for f in markdown html man latex; do
	run dipb report agenda --today 2026-03-20 --format "$f" \
	    --max-classification 'NATO UNCLASSIFIED'
	check_eq "agenda --format $f: not \"Nothing is ready\", one left out" \
	    '0 1' "$(grep -c 'Nothing is ready' "$OUT") $(grep -c \
	    '1 recommendation would be on the agenda; it is left out' "$OUT")"
done
as drafter
run dipb recommend --from "$TROOT/r1.yaml" --no-edit
drive IC-0002 endorsed
agenda_out 2 2026-03-20 'and an endorsed one'
run dipb report agenda --today 2026-03-20 \
    --max-classification 'NATO UNCLASSIFIED'
want='2 recommendations would be on the agenda; they are left out,'
want="*$want above the limit or of no known level.*"
check_eq 'agenda: "2 recommendations would be on the agenda; ... left out"' \
    "$want" "$(grep 'would be on the agenda' "$OUT")"
# IC-0003: withdrawn, with an action due before --today, open as written
# but of no decision: not on the agenda, so not left out of it.
as drafter
run dipb recommend --from "$TROOT/racts.yaml" --no-edit
drive IC-0003 withdrawn
agenda_out 2 2026-03-20 'a withdrawn record with a past-due action not'
# IC-0004: decided, one action due on 2026-03-20: not overdue that day,
# overdue the next.
sed '/^actions:/,$d' "$TROOT/racts.yaml" >"$TROOT/due.yaml"
cat >>"$TROOT/due.yaml" <<'YAML'
actions:
  - text: Due on the day
    owner: dan@example.org
    due: 2026-03-20
YAML
as drafter
run dipb recommend --from "$TROOT/due.yaml" --no-edit
drive IC-0004 decided
agenda_out 2 2026-03-20 'an action due that day not'
agenda_out 3 2026-03-21 'due the day before, it is'
finish

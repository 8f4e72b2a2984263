#!/bin/sh
# tests/cli/report-views.sh - the read views agree with each other: what
# report agenda counts as left out under --max-classification is what it
# would have shown (as report actions and minutes count), and the agenda
# and the minutes of a meeting show an action's owner as report actions
# does, whether the owner is written as an address or as 'Name <email>'.
. "$(dirname "$0")/lib.sh"

left_out() {
	python3 -c 'import json, sys; print(json.load(sys.stdin)["left_out"])' <"$OUT"
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
run dipb report agenda --today 2026-03-20 --format json \
    --max-classification 'NATO UNCLASSIFIED'
check_eq 'agenda --max-classification: nothing left out of an agenda that had nothing' \
    0 "$(left_out)"
run dipb report agenda --today 2026-03-20 \
    --max-classification 'NATO UNCLASSIFIED'
if grep -q 'left out' "$OUT"; then
	not_ok 'agenda --max-classification: no "left out" line' "$(cat "$OUT")"
else
	ok 'agenda --max-classification: no "left out" line'
fi
run dipb report actions --today 2026-03-20 --format json \
    --max-classification 'NATO UNCLASSIFIED'
check_eq 'actions --max-classification: nothing left out (the oracle)' \
    0 "$(left_out)"

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
run dipb report actions --today 2026-03-20
check_eq 'actions: both actions under one owner, Dan Drafter' 1 \
    "$(grep -c '^## Dan Drafter$' "$OUT")"
run dipb report agenda --today 2026-03-20
check_eq 'agenda: both overdue actions owned by "Dan Drafter", as report actions says' \
    2 "$(grep -c '| By .* | Dan Drafter | 2026-03-10 |' "$OUT")"
run dipb report minutes --meeting 2026-03-01 --today 2026-03-20
check_eq 'minutes --meeting: both actions owned by "Dan Drafter", as report actions says' \
    2 "$(grep -c '| By .* | Dan Drafter | 2026-03-10 |' "$OUT")"
finish

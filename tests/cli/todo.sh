#!/bin/sh
# tests/cli/todo.sh - dipb todo: what waits for each member of a small
# board taken through the workflow, by role, as text and as JSON; the
# JSON of list and show (fingerprint, fresh and stale endorsements, who
# has not reviewed).
. "$(dirname "$0")/lib.sh"

new_board
check_out 'todo on an empty board: nothing waits' \
    'nothing waits for Clara Chair <chair@example.org> on 2026-03-20' \
    dipb todo --today 2026-03-20

# IC-0001: Dan's draft.  IC-0002: in review, Rita has endorsed.
# SCS-0001: endorsed.  SCS-0002: returned by Rolf after Rita endorsed,
# then changed and back in review: Rita's endorsement is stale.
# IC-0003: submitted.  IC-0004: decided, with actions.  IC-0005:
# returned to Dan (Rita objected).
at 2026-03-01
as drafter
mkrec industrial-capacity 'Alpha' >/dev/null
mkrec industrial-capacity 'Bravo' >/dev/null
mkrec industrial-capacity 'Foxtrot' >/dev/null
mkrec supply-chain-security 'Charlie' >/dev/null
mkrec supply-chain-security 'Echo' >/dev/null
cat >"$TROOT/delta.yaml" <<'YAML'
summary: Summary of Delta.
actions:
  - text: Build the register
    owner: dan@example.org
    due: 2026-03-15
  - text: Brief the nations
    owner: Rita Reviewer
    due: 2026-06-01
  - text: Fund it
    owner: Otto Outsider <otto@example.org>
    due: 2026-03-10
  - text: Tell the press
    owner: DAN@example.org
YAML
run dipb recommend --wg industrial-capacity --title Delta --no-edit \
    --from "$TROOT/delta.yaml"
check_eq 'setup: IC-0004 drafted with four actions' '0 IC-0004' \
    "$RC $(cat "$OUT")"
mkrec industrial-capacity 'Golf' >/dev/null
at 2026-03-02
drive IC-0002 in-review
as rev1
run dipb review IC-0002 --endorse
at 2026-03-03
drive SCS-0001 endorsed
drive IC-0003 submitted
drive IC-0004 decided
as drafter
run dipb review SCS-0002 --request
at 2026-03-04
as rev1
run dipb review SCS-0002 --endorse
as rev2
run dipb review SCS-0002 --request-changes -m 'Add evidence.'
at 2026-03-05
as drafter
sedit recommendations/SCS-0002.yaml 's/^title: .*/title: Echo, with evidence/'
run dipb edit SCS-0002 --no-edit
run dipb review SCS-0002 --request
at 2026-03-06
# Golf: returned to Dan, Rita objected.
drive IC-0005 in-review
as rev1
run dipb review IC-0005 --object -m 'Out of scope.'
check_out 'setup: every record where the test wants it' \
    "$(printf '%s\n' IC-0001:draft IC-0002:in-review IC-0003:submitted \
    IC-0004:decided IC-0005:returned SCS-0001:endorsed SCS-0002:in-review)" \
    sh -c 'for f in recommendations/*.yaml; do
	id=${f#*/}; id=${id%.yaml}
	printf "%s:%s\n" "$id" "$(sed -n "s/^status: //p" "$f")"
    done'

# --- Each role's todo, as text --------------------------------------------
as drafter
check_out 'drafter: returned to them, their drafts, the actions they own (by email, any case)' \
    '4 waiting for Dan Drafter <dan@example.org> on 2026-03-20

returned to you, as drafter:
  IC-0005  Golf: objected to by rita@example.org on 2026-03-06 (14 days)

your drafts, not yet in review:
  IC-0001  Alpha: last changed 2026-03-01 (19 days)

actions you own:
  IC-0004 action 1  Build the register: due 2026-03-15, overdue by 5 days
  IC-0004 action 4  Tell the press: no due date, decided 2026-03-03 (17 days)' \
    dipb todo --today 2026-03-20
as rev1
check_out 'reviewer: a review owed where their endorsement went stale, an action owned by name' \
    '2 waiting for Rita Reviewer <rita@example.org> on 2026-03-20

reviews you owe, as reviewer:
  SCS-0002  Echo, with evidence: changed since your endorsement of 2026-03-04, in review since 2026-03-05 (15 days)

actions you own:
  IC-0004 action 2  Brief the nations: due 2026-06-01, in 73 days' \
    dipb todo --today 2026-03-20
as rev2
check_out 'reviewer: not reviewed, and changed since their request for changes' \
    '2 waiting for Rolf Reviewer <rolf@example.org> on 2026-03-20

reviews you owe, as reviewer:
  IC-0002  Bravo: not reviewed, in review since 2026-03-02 (18 days)
  SCS-0002  Echo, with evidence: changed since your review of 2026-03-04, in review since 2026-03-05 (15 days)' \
    dipb todo --today 2026-03-20
as secretary
check_out 'secretary: endorsed to submit, submitted to decide' \
    '2 waiting for Sam Secretary <secretary@example.org> on 2026-03-20

endorsed, to submit, as secretary:
  SCS-0001  Charlie: endorsed 2026-03-03 (17 days)

submitted, the decision to record, as secretary:
  IC-0003  Foxtrot: submitted 2026-03-03 (17 days)' \
    dipb todo --today 2026-03-20
as chair
check_out 'chair: what waits on the board, and every overdue action' \
    '3 waiting for Clara Chair <chair@example.org> on 2026-03-20

submitted, awaiting the board'"'"'s decision, as chair:
  IC-0003  Foxtrot: submitted 2026-03-03 (17 days)

overdue actions of the board, as chair:
  IC-0004 action 1  Build the register: owner dan@example.org, due 2026-03-15, overdue by 5 days
  IC-0004 action 3  Fund it: owner Otto Outsider <otto@example.org>, due 2026-03-10, overdue by 10 days' \
    dipb todo --today 2026-03-20

# --- As JSON --------------------------------------------------------------
as drafter
check_refused 2 '--format takes text or json' \
    'todo --format bogus: exit 2, the formats named' \
    dipb todo --today 2026-03-20 --format xml
run dipb todo --today 2026-03-20 --format json
cp "$OUT" "$TROOT/dan.json"
check 'drafter --format json: count, kinds, the actions'"'"' numbers and due dates' python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["member"] == {"email": "dan@example.org", "name": "Dan Drafter",
    "roles": ["drafter"], "member": True}, d["member"]
assert d["today"] == "2026-03-20", d
w = d["waiting"]
assert d["count"] == len(w) == 4, d
assert [(i["kind"], i["role"], i["id"]) for i in w] == [
    ("returned", "drafter", "IC-0005"), ("draft", "drafter", "IC-0001"),
    ("action", "owner", "IC-0004"), ("action", "owner", "IC-0004")], w
assert w[0]["returned_by"] == "rita@example.org" and w[0]["verdict"] == "object", w[0]
assert w[0]["since"] == "2026-03-06" and w[0]["days"] == 14, w[0]
a, b = w[2], w[3]
assert (a["action"], a["text"], a["due"], a["overdue"], a["due_in"]) == (
    1, "Build the register", "2026-03-15", True, -5), a
assert (b["action"], b["due"], b["overdue"], b["due_in"]) == (
    4, None, False, None), b' "$TROOT/dan.json"
as rev1
run dipb todo --today 2026-03-20 --format json
cp "$OUT" "$TROOT/rita.json"
check 'reviewer --format json: the stale endorsement, with both fingerprints' python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
r = d["waiting"][0]
assert d["count"] == 2, d
assert r["kind"] == "review" and r["id"] == "SCS-0002", r
assert r["reason"] == "changed", r
assert r["your_review"]["verdict"] == "endorse", r
assert r["your_review"]["date"] == "2026-03-04", r
assert r["your_review"]["fingerprint"] != r["fingerprint"], r
assert r["fingerprint"] == sys.argv[2], (r, sys.argv[2])' "$TROOT/rita.json" \
    "$(jshow SCS-0002 'd["fingerprint"]')"

# --- show --format json: fresh and stale endorsements, who has not reviewed
run dipb show SCS-0002 --format json
cp "$OUT" "$TROOT/scs2.json"
check 'show --format json: fresh and stale endorsements, not_reviewed' python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["fresh_endorsements"] == [], d
assert [e["reviewer"] for e in d["stale_endorsements"]] == ["rita@example.org"], d
assert d["stale_endorsements"][0]["fingerprint"] != d["fingerprint"], d
assert d["not_reviewed"] == ["roza@example.org"], d' "$TROOT/scs2.json"

# --- Someone else's todo, and who is asking -------------------------------
as secretary
check_out '--member EMAIL: the todo of another member, any case' \
    "$(as rev1; dipb todo --today 2026-03-20)" \
    dipb todo --member RITA@example.org --today 2026-03-20
nobody
check_out '--member needs no identity' \
    "$(as rev2; dipb todo --today 2026-03-20 --format json)" \
    dipb todo --member rolf@example.org --today 2026-03-20 --format json
# Without an identity, today is still the day a change made now would
# have: of GIT_AUTHOR_DATE, else of GIT_COMMITTER_DATE (--today).
run env -u GIT_COMMITTER_DATE GIT_AUTHOR_DATE=2026-03-21T12:00:00+00:00 \
    dipb todo --member rolf@example.org --format json
check_eq '--member without an identity: today is the day of GIT_AUTHOR_DATE' \
    '0 "today":"2026-03-21"' "$RC $(grep -o '"today":"[^"]*"' "$OUT")"
run env -u GIT_AUTHOR_DATE GIT_COMMITTER_DATE='@1774180800 +0000' \
    dipb todo --member rolf@example.org --format json
check_eq '--member without an identity: else the day of GIT_COMMITTER_DATE' \
    '0 "today":"2026-03-22"' "$RC $(grep -o '"today":"[^"]*"' "$OUT")"
check_refused 3 'dipb: ' 'no identity and no --member: exit 3' \
    dipb todo
check_refused 2 "'nobody@example.org' is not a member" \
    '--member of someone not on the board: exit 2, named' \
    dipb todo --member nobody@example.org
check_refused 2 "unknown option '--bogus'" 'an unknown option is named' \
    dipb todo --bogus
check_refused 2 "option '--member' needs a value" \
    'a missing argument is named' dipb todo --member
check_refused 2 '--today takes a date' '--today of no date: exit 2' \
    dipb todo --today 2026-02-30
as outsider
snapshot
run dipb todo --today 2026-03-20
check_eq 'not a member: exit 0, the actions they own (by "Name <email>")' \
    '0
1 waiting for otto@example.org (not a member) on 2026-03-20

actions you own:
  IC-0004 action 3  Fund it: due 2026-03-10, overdue by 10 days' \
    "$RC
$(cat "$OUT")"
check_err 'not a member: a warning says so' \
    'dipb: warning: otto@example.org is not a member of the board'
check_unchanged 'todo wrote nothing'

# --- Through the workflow: what is done leaves the list -------------------
at 2026-03-21
as secretary
run dipb submit SCS-0001 --reference REF-2
as rev2
run dipb review SCS-0002 --endorse
as secretary
check_out 'submitted: it leaves "to submit" for "to decide"' \
    'submitted, the decision to record, as secretary:
  IC-0003  Foxtrot: submitted 2026-03-03 (18 days)
  SCS-0001  Charlie: submitted 2026-03-21 (today)' \
    sh -c 'dipb todo | sed 1,2d'
as rev2
check_out 'reviewed: it leaves the reviewer'"'"'s list' \
    'reviews you owe, as reviewer:
  IC-0002  Bravo: not reviewed, in review since 2026-03-02 (19 days)' \
    sh -c 'dipb todo --today 2026-03-21 | sed 1,2d'
as rev1
check_out 'a fresh endorsement by another reviewer dates the review from the current text' \
    '  SCS-0002  Echo, with evidence: changed since your endorsement of 2026-03-04, in review since 2026-03-21 (1 day)' \
    sh -c 'dipb todo --today 2026-03-22 | grep SCS-0002'

# What members wrote is shown as dipb list shows it: a tab of a title a
# blank, an escape '?'.  dipb writes neither into a title
# (dipb-validate(1), control-character): git does (hostile, lib.sh).
id=$(as drafter; dipb recommend --wg industrial-capacity --no-edit \
    --summary S --title 'Tab@TAB@here @ESC@[2J' 2>/dev/null)
(as drafter; hostile "$id")
check_out 'a tab of a title is a blank, as in dipb list' \
    "$(dipb list --format table | grep "^$id" | cut -f 5)" \
    sh -c "dipb todo --member dan@example.org --today 2026-03-22 |
    sed -n 's/^  $id  \(.*\): last changed .*/\1/p'"

# A record committed by hand that does not load: reported and left out.
printf 'id: IC-0009\ntitle: Broken\n' >recommendations/IC-0009.yaml
git add recommendations/IC-0009.yaml && git commit -q -m 'a broken record'
run dipb todo --today 2026-03-22
check_eq 'an invalid record: exit 1, the rest still listed' \
    '1 SCS-0002' "$RC $(grep -o 'SCS-0002' "$OUT")"
check_err 'an invalid record: its problems, by path' \
    'recommendations/IC-0009.yaml:'

check_fsck

# --- the actions of a deferred decision ---------------------------------------
# They arise from nothing yet (dipb-workflow(7)): not open in todo, the
# agenda's overdue actions or the minutes' actions arising, as report
# actions already counts them.
new_board deferred
as rev3
at 2026-01-02
cat >"$TROOT/deferred.yaml" <<'EOF'
title: Deferred one
working_group: supply-chain-security
summary: |
  Summary.
actions:
  - text: Deferred action
    owner: roza@example.org
    due: 2026-01-05
EOF
run dipb recommend --from "$TROOT/deferred.yaml" --no-edit
drive SCS-0001 submitted
as secretary
at 2026-01-15
dipb meeting --date 2026-01-15 --attendee chair@example.org \
    --agenda SCS-0001 >/dev/null 2>&1
check 'set-up: a deferred decision of a record with an action' \
    dipb decide SCS-0001 --outcome deferred
today
check_out 'deferred: report actions counts no open action' 0 sh -c \
    'dipb report actions --today 2026-03-10 --format json |
    python3 -c "import json, sys; print(json.load(sys.stdin)[\"open\"])"'
check_out 'deferred: todo of its owner has no action' '' sh -c \
    'dipb todo --member roza@example.org --today 2026-03-10 --format json |
    python3 -c "import json, sys; [print(w[\"kind\"]) for w in json.load(sys.stdin)[\"waiting\"] if w[\"kind\"] == \"action\"]"'
check_out "deferred: the chair's todo has no overdue action" '' sh -c \
    'dipb todo --member chair@example.org --today 2026-03-10 --format json |
    python3 -c "import json, sys; [print(w[\"kind\"]) for w in json.load(sys.stdin)[\"waiting\"] if w[\"kind\"] == \"overdue\"]"'
check_out "deferred: the agenda's overdue actions are none" 0 sh -c \
    'dipb report agenda --today 2026-03-10 --format json |
    python3 -c "import json, sys; print(len(json.load(sys.stdin).get(\"overdue_actions\", [])))"'
check_out "deferred: the minutes' actions arising are none" 0 sh -c \
    'dipb report minutes --meeting 2026-01-15 --today 2026-03-10 --format json |
    python3 -c "import json, sys; print(len(json.load(sys.stdin).get(\"actions\", [])))"'

# --today replaces today: the environment's date is not read, as dipb list
# reads none (dipb-todo(1), --today).
want=$(dipb todo --today 2026-03-10 2>&1)
check 'todo --today: a bad GIT_AUTHOR_DATE is not read' \
    env GIT_AUTHOR_DATE=not-a-date dipb todo --today 2026-03-10
check_eq 'todo --today: the same list as with a good one' "$want" \
    "$(cat "$OUT" "$ERR")"
check_status 2 'todo without --today: a bad GIT_AUTHOR_DATE is refused' \
    env GIT_AUTHOR_DATE=not-a-date dipb todo

check_fsck
finish

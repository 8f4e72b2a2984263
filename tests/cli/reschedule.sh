#!/bin/sh
# tests/cli/reschedule.sh - dipb action ID N --due DATE --reason TEXT: an
# action's due date moved after the decision, its history kept in the
# record (dipb-action(1), dipb-record(5) "rescheduled").  Every role
# tried; every refusal writes nothing; git (the commit, its trailers, the
# tag, fsck, the file at HEAD) and dipb verify are the oracle; todo, log,
# show and the reports use the date in force; sync replays the move.
. "$(dirname "$0")/lib.sh"

# rc_is N DESC: the last command run exited N.
rc_is() {
	if [ "$RC" -eq "$1" ]; then
		ok "$2"
	else
		not_ok "$2" "expected exit status $1" "$(cat "$ERR")"
	fi
}
# own_move ID: the secretary's hand-made move, from 2026-09-30 to
# 2026-12-31, of their own action of ID that the chair moved last ("The
# secretary asked."), committed as dipb would (an older dipb, or by hand).
own_move() {
	as secretary
	sedit "recommendations/$1.yaml" '/^          The secretary asked\.$/a\
      - from: 2026-09-30\
        to: 2026-12-31\
        date: 2026-03-26\
        by: secretary@example.org\
        reason: |\
          Mine.'
	sedit "recommendations/$1.yaml" 's/^updated: .*/updated: 2026-03-26/'
	git add "recommendations/$1.yaml"
	forge "$1" action-rescheduled 'decided -> decided' secretary
}
# check_stdout_has DESC TEXT: the last command's stdout has TEXT.
check_stdout_has() {
	if grep -F -q -e "$2" "$OUT"; then
		ok "$1"
	else
		not_ok "$1" "stdout lacks: $2" "$(head -n 40 "$OUT")"
	fi
}

at 2026-03-01
new_board
as drafter
cat >"$TROOT/delta.yaml" <<'YAML'
summary: Summary of Delta.
actions:
  - text: Build the register
    owner: dan@example.org
    due: 2026-03-15
  - text: Brief the nations
    owner: Rita Reviewer
  - text: Fund it
    owner: National Armaments Directors
    due: 2026-06-30
YAML
run dipb recommend --wg industrial-capacity --title Delta --no-edit \
    --from "$TROOT/delta.yaml"
check_eq 'setup: IC-0001 drafted with three actions' '0 IC-0001' \
    "$RC $(cat "$OUT")"
mkrec industrial-capacity 'Echo' >/dev/null			# IC-0002
mkrec industrial-capacity 'Foxtrot' >/dev/null			# IC-0003
drive IC-0001 decided
drive IC-0002 in-review
drive IC-0003 submitted
FP=$(git show HEAD:recommendations/IC-0001.yaml |
    sed -n 's/^    fingerprint: //p' | head -n 1)

# --- the move, as the secretary ------------------------------------------

at 2026-03-10
as secretary
check_change IC-0001/7-action-rescheduled 'decided -> decided' \
    'IC-0001: action 1 due 2026-04-30, was 2026-03-15' \
    dipb action IC-0001 1 --due 2026-04-30 \
    --reason 'The register needs the nations data first.'
check_eq 'the commit body is the reason, then the trailers' \
    'The register needs the nations data first.

Dipb-Record: IC-0001
Dipb-Event: action-rescheduled
Dipb-Status: decided -> decided' "$(git log -1 --format=%b)"
check_eq 'the record at HEAD keeps the decided due date and the move' \
    '  - text: Build the register
    owner: dan@example.org
    due: 2026-03-15
    state: open
    rescheduled:
      - from: 2026-03-15
        to: 2026-04-30
        date: 2026-03-10
        by: secretary@example.org
        reason: |
          The register needs the nations data first.' \
    "$(git show HEAD:recommendations/IC-0001.yaml |
    sed -n '/^  - text: Build/,/^  - text: Brief/p' | sed '$d')"
check_eq "the record's status and updated: decided, the day of the move" \
    'decided 2026-03-10' "$(status_of IC-0001) $(field IC-0001 updated)"
check_eq 'the other actions are untouched' \
    "$(git show HEAD~1:recommendations/IC-0001.yaml | sed -n '/^  - text: Brief/,/^[a-z]/p')" \
    "$(git show HEAD:recommendations/IC-0001.yaml | sed -n '/^  - text: Brief/,/^[a-z]/p')"
check_eq 'the drafted text is unchanged: the fingerprint stays that of the reviews' \
    "$FP" "$(git show HEAD:recommendations/IC-0001.yaml | awk '
    /^[^ ]/ { k = $0; sub(/:.*/, "", k)
       keep = k ~ /^(title|working_group|classification|priority|topics|summary|rationale|actions|references)$/ }
     k == "actions" && /^(  - |    [a-z_]+:)/ { moves = /^    rescheduled:/ }
     keep && !(k == "actions" && (moves || /^    state: /))' |
    git hash-object --stdin | cut -c 1-8)"
check_eq 'dipb show --format json: the stored fingerprint is still current' \
    "$FP" "$(jshow IC-0001 'd["fingerprint"]')"

at 2026-03-12
as chair
check_change IC-0001/8-action-rescheduled 'decided -> decided' \
    'IC-0001: action 2 due 2026-05-29' \
    dipb action IC-0001 2 --due 2026-05-29 --reason 'A date, at last.'
at 2026-03-20
as secretary
check_change IC-0001/9-action-rescheduled 'decided -> decided' \
    'IC-0001: action 1 due 2026-05-15, was 2026-04-30' \
    dipb action IC-0001 1 --due 2026-05-15 --reason 'Later again.'
check_eq 'show --format json: the moves, oldest first, from the date in force' \
    '[["2026-03-15", "2026-04-30", "2026-03-10", "secretary@example.org"], ["2026-04-30", "2026-05-15", "2026-03-20", "secretary@example.org"]]' \
    "$(jshow IC-0001 '[[m["from"], m["to"], m["date"], m["by"]] for m in d["actions"][0]["rescheduled"]]')"
check_eq 'show --format json: an action given its first date has no from' \
    '[{"to": "2026-05-29", "date": "2026-03-12", "by": "chair@example.org", "reason": "A date, at last.\n"}]' \
    "$(jshow IC-0001 'd["actions"][1]["rescheduled"]')"
check_fsck
check_history 'one commit, one tag per change'
verify_clean 'verify: every move by dipb, no finding'
check_eq 'dipb validate: the record with its moves is valid' '0' \
    "$(dipb validate >/dev/null 2>&1; echo $?)"
check_eq 'dipb fmt --check: the record with its moves is canonical' '0' \
    "$(dipb fmt --check >/dev/null 2>&1; echo $?)"

# --- every role ----------------------------------------------------------

for who in drafter icdrafter rev1 rev3; do
	as $who
	check_refused 3 "$ACTOR_EMAIL may not move the due date of IC-0001: needs the secretary role" \
	    "$who: refused, exit 3, nothing written" \
	    dipb action IC-0001 3 --due 2026-09-30 --reason 'Mine.'
done
as drafter
check_refused 3 'dan@example.org may not move the due date of IC-0001' \
    "the action's owner (dan@example.org, a drafter) may not move their own due date" \
    dipb action IC-0001 1 --due 2026-09-30 --reason 'I need more time.'
as outsider
check_refused 3 'otto@example.org is not a member of the board' \
    'not a member: refused, exit 3' \
    dipb action IC-0001 3 --due 2026-09-30 --reason 'Mine.'
nobody
check_refused 3 '' 'no identity: refused, exit 3' \
    dipb action IC-0001 3 --due 2026-09-30 --reason 'Mine.'

# --- bad input: clear messages, documented exit statuses, nothing written -

as secretary
check_refused 2 '--due: not a date (YYYY-MM-DD)' 'a bad date: exit 2' \
    dipb action IC-0001 3 --due 2026-02-30 --reason 'x'
check_refused 2 '--due: not a date (YYYY-MM-DD)' 'a date in another form: exit 2' \
    dipb action IC-0001 3 --due 30/09/2026 --reason 'x'
check_refused 2 '--due 2026-03-19 is in the past (today is 2026-03-20)' \
    'a date in the past: exit 2' \
    dipb action IC-0001 3 --due 2026-03-19 --reason 'x'
check_refused 2 '--due needs --reason TEXT: why the date moves' \
    'no reason: exit 2' dipb action IC-0001 3 --due 2026-09-30
check_refused 2 '--due needs --reason TEXT' 'a blank reason: exit 2' \
    dipb action IC-0001 3 --due 2026-09-30 --reason ' 
'
check_refused 2 '--reason: control character U+001B' \
    'a control character in the reason: exit 2' \
    dipb action IC-0001 3 --due 2026-09-30 --reason "$(printf 'a\033[31mb')"
check_refused 2 'dipb: --reason: not valid UTF-8 text' \
    'a byte that is not UTF-8 in the reason: exit 2, naming --reason' \
    dipb action IC-0001 3 --due 2026-09-30 --reason "$(printf 'a\377b')"
check_refused 2 '--due takes --reason, not -m' '-m with --due: exit 2' \
    dipb action IC-0001 3 --due 2026-09-30 --reason x -m y
check_refused 2 '--reason goes with --due' '--reason alone: exit 2' \
    dipb action IC-0001 3 --done --reason x
check_refused 2 '-m: not valid UTF-8 text' \
    '--done -m with a byte that is not UTF-8: exit 2, as every -m' \
    dipb action IC-0001 3 --done -m "$(printf 'Done \377')"
check_refused 2 'exactly one of --done, --dropped, --open, --due expected' \
    '--due with --done: exit 2' \
    dipb action IC-0001 3 --done --due 2026-09-30 --reason x
check_refused 2 'the action number counts from 1' 'action 0: exit 2' \
    dipb action IC-0001 0 --due 2026-09-30 --reason x
check_refused 2 '' 'not a record id: exit 2' \
    dipb action ic-1 3 --due 2026-09-30 --reason x
check_refused 1 'IC-0001 has 3 actions: no action 4' \
    'an action not found: exit 1' \
    dipb action IC-0001 4 --due 2026-09-30 --reason x
check_refused 1 'IC-0001 has 3 actions: no action 99999999999999999999' \
    'an action number past any integer: exit 1, naming the number given' \
    dipb action IC-0001 99999999999999999999 --done
check_refused 1 '' 'no such record: exit 1' \
    dipb action IC-0099 1 --due 2026-09-30 --reason x
check_refused 1 'IC-0002 is in-review: cannot action --due' \
    'a record in review: exit 1' \
    dipb action IC-0002 1 --due 2026-09-30 --reason x
check_refused 1 'IC-0003 is submitted: cannot action --due' \
    'a record submitted, not yet decided: exit 1' \
    dipb action IC-0003 1 --due 2026-09-30 --reason x
check_refused 1 'IC-0001: action 1 is already due on 2026-05-15' \
    'the date it already has: exit 1' \
    dipb action IC-0001 1 --due 2026-05-15 --reason x
run dipb action IC-0001 3 --done
check_refused 1 'IC-0001: action 3 is done: only an open action' \
    'a done action: exit 1' \
    dipb action IC-0001 3 --due 2026-09-30 --reason x
run dipb action IC-0001 3 --open
check_change IC-0001/12-action-rescheduled 'decided -> decided' '' \
    dipb action IC-0001 3 --due 2026-03-20 --reason 'Today is allowed.'

# The reason is Markdown as every -m: CRLF line ends become LF, and what
# is stored is what dipb validate checks (control-character).
check_change IC-0001/13-action-rescheduled 'decided -> decided' '' \
    dipb action IC-0001 3 --due 2026-04-01 \
    --reason "$(printf 'The nations asked.\r\nThe board agreed.')"
check_eq 'a CRLF reason is kept with LF line ends, as -m is' \
    '"The nations asked.\nThe board agreed.\n"' \
    "$(jshow IC-0001 'json.dumps(d["actions"][2]["rescheduled"][-1]["reason"])')"
run dipb validate
rc_is 0 'validate after the moves: exit 0'
# A move's reason and its 'by' committed with git with a control
# character: validate refuses it, as dipb action does.
f=recommendations/IC-0001.yaml
cp "$f" "$TROOT/IC-0001.keep"
python3 - "$f" <<'EOF'
import sys
p = sys.argv[1]
s = open(p).read()
old = "        reason: |\n          The nations asked.\n          The board agreed.\n"
assert old in s, s
s = s.replace(old, '        reason: "The nations asked.\\n\\x9b2JAgreed.\\n"\n')
s = s.replace("        by: secretary@example.org\n        reason: \"The",
    "        by: \"secretary@example.org\\e]0;x\\a\"\n        reason: \"The")
open(p, "w").write(s)
EOF
run dipb validate
rc_is 1 'validate: a control character in a move of a due date: exit 1'
check_eq 'validate: in its by and its reason, each at the move' \
"$f:50:9: error: item 2 of 'actions: rescheduled: by' holds a control character, U+001B, at character 22 (a single-line field) [control-character]
$f:50:9: error: item 2 of 'actions: rescheduled: reason' holds a control character, U+009B, at character 20 [control-character]" \
    "$(grep ' error: ' "$OUT" "$ERR" | sed 's/^[^:]*:\(recommendations\)/\1/')"
cp "$TROOT/IC-0001.keep" "$f"

# A deferred decision: its actions are not in force.
as drafter
mkrec industrial-capacity 'Golf' >/dev/null				# IC-0004
drive IC-0004 submitted
as secretary
run dipb decide IC-0004 --outcome deferred
check_refused 1 'IC-0004 is decided (deferred): cannot action --due (allowed: decide)' \
    'a deferred decision: exit 1' \
    dipb action IC-0004 1 --due 2026-09-30 --reason x

# --- what reads the date in force ----------------------------------------

run dipb todo --member dan@example.org --today 2026-05-20
check_stdout_has 'todo: the owner sees the date in force, overdue from it' \
    '  IC-0001 action 1  Build the register: due 2026-05-15, overdue by 5 days'
run dipb todo --member dan@example.org --today 2026-05-20 --format json
cp "$OUT" "$TROOT/todo.json"
check 'todo --format json: the due date in force, overdue from it' python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
a = [i for i in d["waiting"] if i.get("action") == 1][0]
assert (a["due"], a["overdue"], a["due_in"]) == ("2026-05-15", True, -5), a
' "$TROOT/todo.json"
run dipb report actions --today 2026-05-01
check_stdout_has 'report actions: the moved date and the date decided' \
    '| 2026-05-15 (moved from 2026-03-15) | 2026-03-01 | IC-0001 | 1 | Build the register |'
check_stdout_has 'report actions: a date set after the decision' \
    '| 2026-05-29 (set after the decision) | 2026-03-01 | IC-0001 | 2 | Brief the nations |'
check_stdout_has 'report actions: each move with who and when' \
    '**IC-0001/1**: due date moved from 2026-04-30 to 2026-05-15 on 2026-03-20 by Sam Secretary.'
check_stdout_has 'report actions: and its reason' \
    '> The register needs the nations data first.'
run dipb report actions --today 2026-05-01 --format json
cp "$OUT" "$TROOT/actions.json"
check 'report actions --format json: due in force, due_as_decided, the moves' \
    python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
a = [x for x in d["actions"] if x["record"] == "IC-0001" and x["action"] == 1][0]
assert a["due"] == "2026-05-15" and a["due_as_decided"] == "2026-03-15", a
assert [m["to"] for m in a["rescheduled"]] == ["2026-04-30", "2026-05-15"]
assert a["rescheduled"][0]["reason"].startswith("The register needs")
assert d["overdue"] == 1, d["overdue"]
' "$TROOT/actions.json"
html5lib_python
run dipb report actions --today 2026-05-01 --format html -o "$TROOT/actions.html"
rc_is 0 'report actions --format html: exit 0'
check 'report actions (HTML) with the moves: a valid, safe page' \
    "$PY" "$DIPB_SRCDIR/tests/cli/htmlcheck.py" "$TROOT/actions.html"
check_file_has 'report actions (HTML): the reason quoted' "$TROOT/actions.html" \
    '<blockquote>'
run dipb report minutes --since 2026-03-10 --until 2026-03-12 --today 2026-03-31
check_stdout_has 'report minutes: the move in words' 'action 1 due 2026-04-30, was 2026-03-15'
check_stdout_has 'report minutes: its reason' '> The register needs the nations data first.'
run dipb log IC-0001
check_stdout_has 'log: the event and the move' 'IC-0001/7-action-rescheduled'
check_stdout_has 'log: the reason' 'The register needs the nations data first.'

# The minutes of a meeting: the actions arising with their dates in force.
at 2026-03-25
run dipb meeting --date 2026-03-01 --attendee chair@example.org \
    --attendee secretary@example.org --agenda IC-0001
rc_is 0 'a meeting of 2026-03-01 recorded, IC-0001 on its agenda'
run dipb report minutes --meeting 2026-03-01 --today 2026-03-31
check_stdout_has 'minutes --meeting: the action with its moved date' \
    '| IC-0001/1 | Build the register | Dan Drafter | 2026-05-15 (moved from 2026-03-15) | open |'
check_stdout_has 'minutes --meeting: the moves and their reasons' \
    '### Due dates moved'
check_stdout_has 'minutes --meeting: a reason quoted' '> Later again.'

# --- dipb sync replays the move on a new tip -------------------------------

# The owner of an action does not move their own due date, even as the
# secretary or the chair (dipb-workflow(7), "Moves"; dipb-action(1)).
as drafter
cat >"$TROOT/hotel.yaml" <<'YAML'
summary: Summary of Hotel.
actions:
  - text: Write the minutes
    owner: secretary@example.org
    due: 2026-04-30
  - text: Chair the review
    owner: CHAIR@example.org
    due: 2026-04-30
YAML
run dipb recommend --wg industrial-capacity --title Hotel --no-edit \
    --from "$TROOT/hotel.yaml"
check_eq 'setup: IC-0005 drafted with actions of the secretary and the chair' \
    '0 IC-0005' "$RC $(cat "$OUT")"
drive IC-0005 decided
as secretary
check_refused 3 'secretary@example.org owns action 1 of IC-0005' \
    "the secretary may not move the due date of their own action: exit 3" \
    dipb action IC-0005 1 --due 2026-09-30 --reason 'I am busy.'
as chair
check_refused 3 'chair@example.org owns action 2 of IC-0005' \
    "nor the chair (the owner's address in another case): exit 3" \
    dipb action IC-0005 2 --due 2026-09-30 --reason 'I am busy.'
check_change IC-0005/7-action-rescheduled 'decided -> decided' '' \
    dipb action IC-0005 1 --due 2026-09-30 --reason 'The secretary asked.'
as secretary
check_change IC-0005/8-action-rescheduled 'decided -> decided' '' \
    dipb action IC-0005 2 --due 2026-09-30 --reason 'The chair asked.'

REMOTE=$TROOT/remote.git
git init -q --bare "$REMOTE"
git remote add origin "$REMOTE"
git push -q -u origin HEAD --follow-tags 2>/dev/null
B=$TROOT/b
git clone -q "$REMOTE" "$B" 2>/dev/null
at 2026-03-26
run dipb action IC-0001 2 --done -m 'Briefed.'		# upstream, from A
run dipb sync
rc_is 0 'a: sync pushes an action-updated change'
cd "$B" || exit 1
as secretary
check_change IC-0001/14-action-rescheduled 'decided -> decided' '' \
    dipb action IC-0001 3 --due 2026-10-31 --reason 'Budget cycle.'
check_status 0 'b: sync replays the move on the new tip' dipb sync
check_err 'b: the move landed after the upstream change' \
    'landed IC-0001/15-action-rescheduled (was IC-0001/14-action-rescheduled)'
check_eq 'b: the upstream state and the replayed move, both' \
    'done 2026-10-31' \
    "$(jshow IC-0001 'd["actions"][1]["state"] + " " + d["actions"][2]["rescheduled"][-1]["to"]')"
verify_clean 'b: verify after the replay: no finding'
cd "$BOARD" || exit 1
run dipb sync
rc_is 0 "a: sync fetches the replayed move"
run dipb action IC-0001 1 --due 2026-06-30 --reason 'From A.'
rc_is 0 'a: action 1 moved to 2026-06-30'
run dipb sync
rc_is 0 'a: sync pushes the move'
cd "$B" || exit 1
run dipb action IC-0001 1 --due 2026-07-31 --reason 'From B.'
rc_is 0 'b: action 1 moved to 2026-07-31, locally'
run dipb sync
check_err 'b: a move of a date moved upstream meanwhile is dropped, with why' \
    'the due date of action 1 of IC-0001 moved upstream since (now 2026-06-30): move it again'
check_eq 'b: the date in force is the upstream one' '2026-06-30' \
    "$(jshow IC-0001 'd["actions"][0]["rescheduled"][-1]["to"]')"
verify_clean 'b: verify after the drop: no finding'


# An owner's move of their own due date made by hand, or by an older
# dipb, is dropped by the replay as the command refuses it (state.c).
cd "$BOARD" || exit 1
run dipb sync
run dipb action IC-0001 1 --due 2026-08-31 --reason 'From A again.'
rc_is 0 'a: action 1 moved again, upstream'
run dipb sync
rc_is 0 'a: sync pushes it'
cd "$B" || exit 1
own_move IC-0005
run dipb sync
check_err "b: sync drops the owner's move of their own due date, with why" \
    'secretary@example.org owns action 1 of IC-0005: the owner does not move their own due date'
check_eq 'b: the date in force is the one before' '2026-09-30' \
    "$(jshow IC-0005 'd["actions"][0]["rescheduled"][-1]["to"]')"
verify_clean 'b: verify after the drop of the owner'"'"'s move: no finding'

# The owner as dipb todo finds their actions: by name as dipb.yaml has it,
# as "Name <email>", the address with blanks around it, case aside
# (dipb-todo(1)); the command and sync's replay refuse it, and verify,
# which judges by the address alone as every dipb did, finds nothing.
cd "$BOARD" || exit 1
run dipb sync
as drafter
cat >"$TROOT/india.yaml" <<'YAML'
summary: Summary of India.
actions:
  - text: Keep the register
    owner: Sam Secretary <secretary@example.org>
    due: 2026-04-30
  - text: Circulate the minutes
    owner: sam SECRETARY
    due: 2026-04-30
  - text: File the papers
    owner: "Secretary@example.org "
    due: 2026-04-30
YAML
run dipb recommend --wg industrial-capacity --title India --no-edit \
    --from "$TROOT/india.yaml"
I=$(cat "$OUT")
check_eq 'setup: India drafted with three actions of the secretary' \
    '0 IC-0006' "$RC $I"
drive IC-0006 decided
as secretary
run dipb todo
check_eq 'todo: the secretary owns the three actions of IC-0006' 3 \
    "$(grep -c 'IC-0006 action' "$OUT")"
check_refused 3 'secretary@example.org owns action 1 of IC-0006' \
    'the owner as "Name <email>" may not move their due date: exit 3' \
    dipb action IC-0006 1 --due 2026-09-30 --reason 'I am busy.'
check_refused 3 'secretary@example.org owns action 2 of IC-0006' \
    'the owner by name, case aside, may not move their due date: exit 3' \
    dipb action IC-0006 2 --due 2026-09-30 --reason 'I am busy.'
check_refused 3 'secretary@example.org owns action 3 of IC-0006' \
    'the owner as their address with a blank: exit 3' \
    dipb action IC-0006 3 --due 2026-09-30 --reason 'I am busy.'
as chair
check_change IC-0006/7-action-rescheduled 'decided -> decided' '' \
    dipb action IC-0006 2 --due 2026-09-30 --reason 'The secretary asked.'
run dipb sync
rc_is 0 'a: sync pushes the move of IC-0006'
cd "$B" || exit 1
run dipb sync
SUBJECT='IC-0006: action 2 due 2026-12-31, was 2026-09-30'
own_move IC-0006
unset SUBJECT
# A move an older dipb made (it refused the owner as their address
# alone): verify judges by that rule, and fails no history a dipb wrote
# (dipb-verify(1), self-reschedule); the commands refuse it today.
verify_clean "verify: the owner by name moved their own due date, as an older dipb allowed: no finding"
cd "$BOARD" || exit 1
as chair
run dipb action IC-0006 1 --due 2026-10-31 --reason 'Asked.'
rc_is 0 'a: the chair moves action 1 of IC-0006, upstream'
run dipb sync
rc_is 0 'a: sync pushes it'
cd "$B" || exit 1
as secretary
run dipb sync
check_err "b: sync drops the move of the owner by name, with why" \
    'secretary@example.org owns action 2 of IC-0006: the owner does not move their own due date'
check_eq 'b: the date in force of IC-0006 action 2 is the one before' \
    '2026-09-30' \
    "$(jshow IC-0006 'd["actions"][1]["rescheduled"][-1]["to"]')"

finish

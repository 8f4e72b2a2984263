#!/bin/sh
# tests/cli/meetings.sh - dipb meeting, dipb report agenda and dipb report
# minutes --meeting, as a secretary uses them over a month: the agenda of
# what is ready, the meeting recorded as its own change (git and dipb
# verify are the oracles), the decisions taken at it, the minutes in every
# format with the outcome of each decision in plain words, the status
# chart split by outcome, sync replaying a meeting, tampering found, and
# examples/monthly-minutes.sh run from another folder.  The HTML minutes
# are loaded in headless Chromium (no console message, no script, the
# banners) and a screenshot of them is written to $TROOT/minutes.png
# (kept in $MEETINGS_SHOT when set, to be looked at).
. "$(dirname "$0")/lib.sh"

# The board before the first change below: no commit dipb writes is
# dated before its parent (dipb-git(7), "Commit dates").
at 2026-11-01
new_board meetings || { finish; exit 1; }

# rc_is N DESC: the last command run exited N.
rc_is() {
	if [ "$RC" -eq "$1" ]; then
		ok "$2"
	else
		not_ok "$2" "expected exit status $1" "$(cat "$ERR")"
	fi
}
# check_stdout_has DESC TEXT: the last command's stdout has TEXT.
check_stdout_has() {
	if grep -F -q -e "$2" "$OUT"; then
		ok "$1"
	else
		not_ok "$1" "stdout lacks: $2" "$(head -n 40 "$OUT")"
	fi
}

# --- what is ready: the agenda -----------------------------------------
at 2026-11-02
as drafter
cat >"$TROOT/ammo.yaml" <<'YAML'
title: Framework contracts for 155 mm ammunition
working_group: industrial-capacity
summary: |
  Nations sign multi-year framework contracts.
actions:
  - text: Publish multi-year demand signals.
    owner: National Armaments Directors
    due: 2026-12-31
  - text: Report on the contracts signed.
    owner: Sam Secretary
    due: 2026-11-20
YAML
A=$(dipb recommend --from "$TROOT/ammo.yaml" --no-edit 2>>"$TROOT/setup.err")
B=$(mkrec supply-chain-security 'Tungsten stockpile')
C=$(mkrec standardisation-interoperability 'Common test data')
drive "$A" submitted
drive "$B" endorsed
check_eq 'set-up: three records, one submitted, one endorsed, one draft' \
    'submitted endorsed draft' \
    "$(status_of "$A") $(status_of "$B") $(status_of "$C")"

as secretary
run dipb report agenda --today 2026-11-03 --format json
rc_is 0 'report agenda: exit 0'
cp "$OUT" "$TROOT/agenda.json"
check 'report agenda: submitted for decision, endorsed for submission' \
    python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["report"] == "agenda", d["report"]
assert [r["id"] for r in d["for_decision"]] == [sys.argv[2]], d
assert [r["id"] for r in d["for_submission"]] == [sys.argv[3]], d
assert d["for_decision"][0]["item"] == 1
assert d["for_submission"][0]["item"] == 2
assert d["overdue_actions"] == []
' "$TROOT/agenda.json" "$A" "$B"
run dipb report agenda --today 2026-11-03
check_stdout_has 'report agenda (Markdown): the part for decision' \
    '## For decision: submitted, awaiting the board'"'"'s decision'
check 'report agenda leaves out the draft' sh -c '! grep -q "$1" "$2"' sh \
    "$C" "$OUT"

# --- recording the meeting ----------------------------------------------
at 2026-11-04
D=2026-11-04
for who in drafter rev1 outsider; do
	as "$who"
	check_refused 3 'secretary role' "meeting as $who: refused (exit 3), nothing written" \
	    dipb meeting --date $D --attendee chair@example.org
done
as secretary
check_refused 2 'who attended' 'meeting without --attendee: exit 2' \
    dipb meeting --date $D
check_refused 2 '--date takes a date' 'meeting --date 2026-13-01: exit 2' \
    dipb meeting --date 2026-13-01 --attendee chair@example.org
check_refused 2 'IC-1' 'meeting --agenda IC-1 (no id): exit 2' \
    dipb meeting --attendee chair@example.org --agenda IC-1
# Minutes are recorded once: a title of blanks would head them for good.
check_refused 2 '--title may not be empty or blanks only' \
    'meeting --title of blanks: exit 2, nothing written' \
    dipb meeting --date 2026-10-01 --attendee chair@example.org --title '   '
check_refused 2 '--title must be one line of UTF-8 text' \
    'meeting --title with a byte that is not UTF-8: exit 2 (not written as U+FFFD)' \
    dipb meeting --date 2026-10-01 --attendee chair@example.org \
    --title "$(printf 'Minutes \377')"
check_refused 2 '--title must be one line of UTF-8 text' \
    'meeting --title of two lines: exit 2' \
    dipb meeting --date 2026-10-01 --attendee chair@example.org \
    --title "$(printf 'Minutes\nof October')"
# The notes are the file's Markdown: dipb validate refuses a control
# character there but newline and tab (control-character), so dipb
# meeting never writes one (dipb-meeting(1)).
check_refused 2 '-m: control character U+001B at character 6' \
    'meeting -m with ESC: exit 2, nothing written' \
    dipb meeting --date 2026-10-01 --attendee chair@example.org \
    -m "$(printf 'Held \033[2J in Brussels')"
# -m and -F: the same usage error as every command that takes both
# (dipb review, dipb migrate).
check_refused 2 '-m and -F exclude each other' \
    'meeting -m with -F: exit 2, the usage error of review and migrate' \
    dipb meeting --date 2026-10-01 --attendee chair@example.org \
    -m 'Held.' -F /dev/null
printf 'Held in Brussels.\nClosed \302\23331m at noon.\n' >"$TROOT/notes.md"
check_refused 1 "$TROOT/notes.md:2:8: error: control character U+009B, which dipb refuses in a record and a change's message [control-character]" \
    'meeting -F with a C1 control: exit 1 at its line and column' \
    dipb meeting --date 2026-10-01 --attendee chair@example.org \
    -F "$TROOT/notes.md"
printf 'Held.\n\377\n' >"$TROOT/notes.md"
check_refused 1 "$TROOT/notes.md:2:1: error: invalid utf-8 (byte 0xff) [encoding]" \
    'meeting -F with a byte that is no UTF-8: exit 1 at its line and column' \
    dipb meeting --date 2026-10-01 --attendee chair@example.org \
    -F "$TROOT/notes.md"
check_refused 1 "no such recommendation: 'IC-0099'" \
    'meeting --agenda IC-0099 (no such record): exit 1' \
    dipb meeting --date $D --attendee chair@example.org --agenda IC-0099
# A file of the user's where the meeting's goes (notes drafted there, not
# committed): refused as recommend refuses one where a record goes, not
# left in the working tree as a change of the meeting committed.
mkdir -p meetings
printf 'date: %s\nattendees: [chair@example.org]\nnotes: my draft\n' "$D" \
    >meetings/$D.yaml
check_refused 1 "meetings/$D.yaml, the meeting's file, is already there, not committed" \
    'meeting over an untracked file of its name: exit 1, nothing written' \
    dipb meeting --date $D --attendee chair@example.org
rm -r meetings
check_refused 1 "meetings/$D.yaml:4:5: error: 'otto@example.org' in attendees is not a member of the board [meeting-member]" \
    'meeting with a non-member: exit 1, file:line:col and rule' \
    dipb meeting --date $D --attendee chair@example.org \
    --attendee otto@example.org
check_refused 1 'among the attendees and sent apologies' \
    'meeting: present and apologising at once is refused' \
    dipb meeting --date $D --attendee rita@example.org \
    --apology rita@example.org

check_change meeting/1-held '' "meeting: $D held, recorded by Sam Secretary" \
    dipb meeting --date $D --attendee chair@example.org \
    --attendee secretary@example.org --attendee rita@example.org \
    --apology rolf@example.org --agenda "$A" --agenda "$B" \
    -m 'Held in Brussels; the chair opened the meeting at 10:00.' \
    -m 'Closed at 12:00.'
check_eq 'the commit adds meetings/<date>.yaml alone' "A	meetings/$D.yaml" \
    "$(git diff-tree --no-commit-id --name-status -r HEAD)"
check_eq 'its trailers: Dipb-Record: meeting, Dipb-Event: held' \
    'meeting held' "$(trailer Dipb-Record) $(trailer Dipb-Event)"
check_eq 'the file is what was recorded, canonical' "date: $D
attendees:
  - chair@example.org
  - secretary@example.org
  - rita@example.org
apologies:
  - rolf@example.org
agenda:
  - $A
  - $B
notes: |
  Held in Brussels; the chair opened the meeting at 10:00.

  Closed at 12:00." \
    "$(git show HEAD:meetings/$D.yaml)"
check_fsck 'git fsck --strict after the meeting'
verify_clean 'dipb verify: the meeting is a valid change'
check_refused 1 'already recorded' 'a second meeting on the same day: exit 1' \
    dipb meeting --date $D --attendee chair@example.org
run dipb validate
rc_is 0 'dipb validate: the board with its meeting is valid'
cp meetings/$D.yaml "$TROOT/meeting.keep"
printf 'date: 2026-11-05\nattendees:\n  - otto@example.org\nagenda: [IC-1]\n' \
    >meetings/$D.yaml
run dipb validate
rc_is 1 'dipb validate: a bad meeting file is exit 1'
check_eq 'dipb validate: each problem with its line, column and rule (a non-member, judged when the meeting was recorded, a warning)' \
"meetings/$D.yaml:1:7: error: a meeting of 2026-11-05 is kept in meetings/2026-11-05.yaml [meeting-date]
meetings/$D.yaml:3:5: warning: 'otto@example.org' in attendees is not a member of the board [meeting-member]
meetings/$D.yaml:4:10: error: 'IC-1' on the agenda is not a recommendation id [meeting-agenda]" \
    "$(cat "$OUT" "$ERR" | grep ' error: \| warning: ')"
# A control character in a meeting file, as in a record's field: none in
# its title, none but newline and tab in its notes (double-quoted YAML
# may hold one as an escape).
cat >meetings/$D.yaml <<EOF
date: $D
title: "Minutes\\e]0;x\\a"
attendees:
  - chair@example.org
notes: "Held in Brussels.\\n\\tClosed at \\x9b31m noon.\\n"
EOF
run dipb validate
rc_is 1 'dipb validate: a control character in a meeting file is exit 1'
check_eq 'dipb validate: in the title and the notes, at their keys, by rule' \
"meetings/$D.yaml:2:1: error: 'title' holds a control character, U+001B, at character 8 (a single-line field) [control-character]
meetings/$D.yaml:5:1: error: 'notes' holds a control character, U+009B, at character 30 [control-character]" \
    "$(cat "$OUT" "$ERR" | grep ' error: ')"
# A bidirectional control in a meeting file, as in a record's field: a
# warning at its key or item (dipb-validate(1), bidi), exit 0 but with
# --warnings-as-errors.
cat >meetings/$D.yaml <<EOF
date: $D
title: "Minutes \\u202Ex"
attendees:
  - chair@example.org
  - "chair\\u2066@example.org"
notes: "Held in \\u2067Brussels.\\n"
EOF
run dipb validate
rc_is 0 'dipb validate: a bidirectional control in a meeting file is exit 0'
check_eq 'dipb validate: a [bidi] warning for the title, an attendee and the notes, at their lines' \
"meetings/$D.yaml:2:1: warning: 'title' holds a bidirectional control, U+202E, at character 9: it is shown in another order than written [bidi]
meetings/$D.yaml:5:5: warning: item 2 of 'attendees' holds a bidirectional control, U+2066, at character 6: it is shown in another order than written [bidi]
meetings/$D.yaml:6:1: warning: 'notes' holds a bidirectional control, U+2067, at character 9: it is shown in another order than written [bidi]" \
    "$(cat "$OUT" "$ERR" | grep '\[bidi\]')"
run dipb validate --warnings-as-errors
check_eq 'dipb validate --warnings-as-errors: exit 1, the [bidi] warnings among its reasons' \
    '1 3' "$RC $(cat "$OUT" "$ERR" | grep -c '\[bidi\]')"
# An unknown key is a warning, as in a record and dipb.yaml (dipb-record(5)).
{ cat "$TROOT/meeting.keep"; printf 'locaton: Brussels\n'; } >meetings/$D.yaml
run dipb validate
rc_is 0 'dipb validate: an unknown key of a meeting file is no error: exit 0'
check_eq 'dipb validate: it is a warning' \
"meetings/$D.yaml:15:1: warning: unknown key 'locaton' [unknown-key]" \
    "$(cat "$OUT" "$ERR" | grep 'unknown-key')"
cp "$TROOT/meeting.keep" meetings/$D.yaml
printf 'attendees: [chair@example.org]\ndate: 2026-11-30\n' \
    >"$TROOT/m.yaml"
mkdir -p "$TROOT/fmtcase/meetings"
cp dipb.yaml "$TROOT/fmtcase/"
cp "$TROOT/m.yaml" "$TROOT/fmtcase/meetings/2026-11-30.yaml"
run dipb fmt "$TROOT/fmtcase"
rc_is 0 'dipb fmt: a meeting file is rewritten in its canonical form'
check_eq 'dipb fmt: the meeting, canonical' 'date: 2026-11-30
attendees:
  - chair@example.org' "$(cat "$TROOT/fmtcase/meetings/2026-11-30.yaml")"
run dipb fmt --check
rc_is 0 'dipb fmt --check: the recorded meeting is canonical'

# --- decisions taken at it, then the minutes -----------------------------
run dipb decide "$A" --outcome agreed -m 'Agreed, with the **2027** budget.'
rc_is 0 "decide $A --outcome agreed"
at 2026-11-05
run dipb submit "$B" --reference REF-2
rc_is 0 "submit $B (after the meeting, no decision)"
at 2026-11-25

run dipb report minutes --meeting $D --today 2026-11-25 --format json
rc_is 0 'report minutes --meeting: exit 0'
cp "$OUT" "$TROOT/minutes.json"
check 'minutes --meeting (JSON): attendance, agenda, outcome, actions' \
    python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
A, B = sys.argv[2], sys.argv[3]
assert d["report"] == "meeting-minutes"
assert d["meeting"]["date"] == "2026-11-04"
assert [p["name"] for p in d["present"]] == ["Clara Chair",
    "Sam Secretary", "Rita Reviewer"], d["present"]
assert [p["email"] for p in d["apologies"]] == ["rolf@example.org"]
assert [r["id"] for r in d["agenda"]] == [A, B]
dec = {x["id"]: x for x in d["decisions"]}
assert dec[A]["outcome"] == "agreed" and dec[A]["decided"] == "2026-11-04"
assert dec[B]["outcome"] is None and dec[B]["status"] == "submitted"
assert d["decided"] == 1
acts = [(a["record"], a["action"], a["owner"], a["due"], a["overdue"])
    for a in d["actions"]]
assert acts == [(A, 1, "National Armaments Directors", "2026-12-31", False),
    (A, 2, "Sam Secretary", "2026-11-20", True)], acts
' "$TROOT/minutes.json" "$A" "$B"
run dipb report minutes --meeting $D --today 2026-11-25
cp "$OUT" "$TROOT/minutes.md"
check_stdout_has 'minutes (Markdown): the title names the meeting' \
    '# Minutes of the TB meeting of 2026-11-04'
check_stdout_has 'minutes: the subtitle says which date is the meeting, which the writing' \
    'minutes of the meeting held on 2026-11-04; written on 2026-11-25'
check_stdout_has 'minutes: the outcome in plain words' '**Agreed**. '
check_stdout_has 'minutes: an item without a decision says where it stands' \
    '**No decision**: the recommendation is submitted, for decision.'
check_stdout_has 'minutes: the decision note, quoted' \
    '> Agreed, with the **2027** budget.'
check_stdout_has 'minutes: attendance with roles' '| Rita Reviewer (FR) | reviewer |'
check_stdout_has 'minutes: an overdue action is flagged' \
    '| Report on the contracts signed. | Sam Secretary | 2026-11-20 | overdue |'
check_stdout_has 'minutes: the notes' 'Held in Brussels; the chair opened'
check 'minutes: no workflow jargon (no "->", no "in-review")' \
    sh -c '! grep -E -q -e "->|in-review|submitted -> decided" "$1"' sh \
    "$TROOT/minutes.md"
for f in html man latex; do
	run dipb report minutes --meeting $D --today 2026-11-25 --format $f \
	    -o "$TROOT/minutes.$f"
	rc_is 0 "minutes --meeting --format $f -o FILE: exit 0"
done
check_file_has 'minutes (man): the outcome' "$TROOT/minutes.man" 'Agreed'
check_file_has 'minutes (LaTeX): a document' "$TROOT/minutes.latex" \
    'begin{document}'
# Not a warning either (a paragraph macro after a heading, a font mandoc
# does not know).
check_man_lint 'minutes (man) pass mandoc -Tlint -Wwarning' \
    "$TROOT/minutes.man"
check_refused 1 'no meeting was recorded on 2026-11-05' \
    'minutes --meeting of a day without meeting: exit 1' \
    dipb report minutes --meeting 2026-11-05
check_refused 2 '--meeting is for minutes' 'status --meeting: exit 2' \
    dipb report status --meeting $D
check_refused 2 'no --since or --until' 'minutes --meeting --since: exit 2' \
    dipb report minutes --meeting $D --since 2026-01-01

# --- the next meeting bounds the decisions of this one --------------------
at 2026-12-01
run dipb meeting --date 2026-12-01 --attendee chair@example.org \
    --attendee secretary@example.org --agenda "$B"
rc_is 0 'a second meeting, 2026-12-01: exit 0'
run dipb decide "$B" --outcome deferred -m 'Until the stockpile study.'
rc_is 0 "decide $B --outcome deferred at it"
check_eq 'the decision of 2026-12-01 is not in the minutes of 2026-11-04' \
    'None' "$(dipb report minutes --meeting $D --format json | python3 -c '
import json, sys
d = json.load(sys.stdin)
print([x for x in d["decisions"] if x["id"] == sys.argv[1]][0]["outcome"])' "$B")"
check_eq 'it is in the minutes of 2026-12-01, deferred' 'deferred' \
    "$(dipb report minutes --meeting 2026-12-01 --format json | python3 -c '
import json, sys
print(json.load(sys.stdin)["decisions"][0]["outcome"])')"
check_eq 'tags: meeting/1-held and meeting/2-held' \
    'meeting/1-held meeting/2-held' "$(git tag -l 'meeting/*' | tr '\n' ' ' |
    sed 's/ $//')"
verify_clean 'dipb verify after two meetings and their decisions'

# --- the minutes name the attendees as the board did then ------------------
# Rita, present on 2026-11-04, changes name and roles later: the minutes
# of that meeting, made again, read as they did (dipb-report(1): the names
# and roles of the board as of the change that recorded the meeting).
cp -a "$BOARD" "$TROOT/later"
cd "$TROOT/later" || exit 1
dipb report minutes --meeting $D --today 2026-12-02 >"$TROOT/then.md" \
    2>/dev/null
dipb report minutes --meeting $D --today 2026-12-02 --format json \
    >"$TROOT/then.json" 2>/dev/null
as chair
at 2026-12-02
sedit dipb.yaml 's/^  - name: Rita Reviewer$/  - name: Rita Lange/'
awk '/^  - name: Rita Lange$/ { r = 1 } r && /^    roles:/ {
	print "    roles: [reviewer, drafter]"; r = 0; next } { print }' \
    dipb.yaml >"$TROOT/later.yaml" && cat "$TROOT/later.yaml" >dipb.yaml
run dipb edit --board --no-edit
rc_is 0 'a board change: Rita renamed, a drafter too'
run dipb report minutes --meeting $D --today 2026-12-02
check_stdout_has 'minutes made again: Rita with her name and roles of the meeting' \
    '| Rita Reviewer (FR) | reviewer |'
check_eq 'minutes made again: the same text' "$(cat "$TROOT/then.md")" \
    "$(cat "$OUT")"
run dipb report minutes --meeting $D --today 2026-12-02 --format json
check_eq 'minutes made again (JSON): the same data' \
    "$(cat "$TROOT/then.json")" "$(cat "$OUT")"
cd "$BOARD" || exit 1

# --- the status chart splits decisions by outcome -------------------------
run dipb report status --today 2026-12-02 --format html \
    -o "$TROOT/status.html"
check_file_has 'status chart: the agreed part of the bar' \
    "$TROOT/status.html" 'Industrial Capacity: 1 decided: agreed</title>'
check_file_has 'status chart: the deferred part of the bar' \
    "$TROOT/status.html" 'Supply Chain Security: 1 decided: deferred</title>'
check_file_has 'status chart: the legend names the outcomes' \
    "$TROOT/status.html" '>decided: declined</text>'
check_eq 'status (JSON): decided_by_outcome' \
    '{"industrial-capacity": {"agreed": 1, "noted": 0, "deferred": 0, "declined": 0}, "supply-chain-security": {"agreed": 0, "noted": 0, "deferred": 1, "declined": 0}}' \
    "$(dipb report status --format json | python3 -c '
import json, sys
print(json.dumps(json.load(sys.stdin)["decided_by_outcome"]))')"

# --- the log and the change-log minutes name the meeting ------------------
check 'dipb log names the meeting change' sh -c \
    'dipb log --since 2026-11-04 --until 2026-11-04 | grep -q "meeting"'
# dipb log meeting: the meetings from their tags meeting/N-held, as dipb
# log board lists dipb.yaml's changes (dipb-log(1)).
check_out 'dipb log meeting: each meeting from its tag, oldest first' \
    "$(git tag -l 'meeting/*' | sort -t / -k 2 -n | tr '\n' ' ')" \
    sh -c 'dipb log meeting --format json |
    python3 -c "import json,sys; print(\" \".join(json.loads(l)[\"tag\"] for l in sys.stdin), end=\" \")"'
run dipb log meeting
check_stdout_has 'dipb log meeting: the meeting held, by whom' \
    'meeting/1-held  -  2026-11-04 held, recorded by Sam Secretary'

# --- tampering ---------------------------------------------------------------
CLEAN=$TROOT/clean
cp -a "$BOARD" "$CLEAN"
scenario plain
printf 'date: 2026-11-04\nattendees:\n  - chair@example.org\n' \
    >meetings/2026-11-04.yaml
git commit -q -am 'fix the attendance'
check_rule 'minutes edited with plain git' plain-commit 'meetings/2026-11-04.yaml'
scenario role
printf 'date: 2026-12-10\nattendees:\n  - chair@example.org\n' \
    >meetings/2026-12-10.yaml
git add meetings/2026-12-10.yaml
forge meeting held '' drafter
check_rule 'a meeting recorded by a drafter' role 'may not record a meeting'
scenario invalid
printf 'date: 2026-12-10\nattendees:\n  - otto@example.org\n' \
    >meetings/2026-12-10.yaml
git add meetings/2026-12-10.yaml
forge meeting held '' secretary
check_rule 'a meeting naming a non-member' meeting-invalid 'meeting-member'
# A control character in a meeting made with git, which dipb meeting
# never writes (dipb-validate(1), control-character): said where it is.
scenario control
printf 'date: 2026-12-10\ntitle: "Minutes \\e]0;x\\a"\nattendees:\n  - chair@example.org\n' \
    >meetings/2026-12-10.yaml
git add meetings/2026-12-10.yaml
forge meeting held '' secretary
check_rule 'a meeting whose title holds a control character' \
    meeting-invalid "meeting/[0-9]+-held: meetings/2026-12-10\\.yaml:2:1: 'title' holds a control character, U\\+001B, at character 9 \\(a single-line field\\) \\[control-character\\]"
scenario control-notes
printf 'date: 2026-12-10\nattendees:\n  - chair@example.org\nnotes: "Held \\x9b2J in Brussels."\n' \
    >meetings/2026-12-10.yaml
git add meetings/2026-12-10.yaml
forge meeting held '' secretary
check_rule 'a meeting whose notes hold a C1 control character' \
    meeting-invalid "meetings/2026-12-10\\.yaml:4:1: 'notes' holds a control character, U\\+009B, at character 6 \\[control-character\\]"
scenario changed
printf 'date: 2026-11-04\nattendees:\n  - chair@example.org\n' \
    >meetings/2026-11-04.yaml
git add meetings/2026-11-04.yaml
forge meeting held '' secretary
check_rule 'a meeting recorded again, changed' meeting-invalid 'recorded once'
scenario foreign
printf 'date: 2026-12-10\nattendees:\n  - chair@example.org\n' \
    >meetings/2026-12-10.yaml
echo x >notes.txt
git add meetings/2026-12-10.yaml notes.txt
forge meeting held '' secretary
check_rule 'a meeting change that adds another file' foreign-path 'notes.txt'

# --- sync replays a meeting over a remote that moved -------------------------
cd "$BOARD" || exit 1
share_board "$TROOT/server.git"
git clone -q "$TROOT/server.git" "$TROOT/clone" 2>/dev/null
git remote add origin "$TROOT/server.git" 2>/dev/null
git fetch -q origin 2>/dev/null
git branch -q -u origin/main 2>/dev/null
(
	cd "$TROOT/clone" && as drafter && at 2026-12-02 &&
	    mkrec industrial-capacity 'Remote draft' >/dev/null &&
	    git push -q origin main 'refs/tags/*:refs/tags/*' 2>/dev/null
)
as secretary
at 2026-12-03
run dipb meeting --date 2026-12-03 --attendee chair@example.org
rc_is 0 'a local meeting while the remote moved'
run dipb sync
rc_is 0 'dipb sync replays it: exit 0'
check_eq 'the server has the meeting, tagged meeting/3-held' \
    'meeting/3-held' "$(git -C "$TROOT/server.git" tag -l 'meeting/3-*')"
check_eq 'and its file' 'date: 2026-12-03' \
    "$(git -C "$TROOT/server.git" show main:meetings/2026-12-03.yaml |
    head -n 1)"
(cd "$TROOT/clone" && git pull -q 2>/dev/null)
cd "$TROOT/clone" && verify_clean 'dipb verify on the server after the sync'
cd "$BOARD" || exit 1

# --- examples/monthly-minutes.sh from another folder --------------------------
mkdir -p "$TROOT/elsewhere"
cd "$TROOT/elsewhere" || exit 1
run env MONTH=2026-11 DIPB=dipb sh "$DIPB_SRCDIR/examples/monthly-minutes.sh" \
    "$BOARD" out
rc_is 0 'monthly-minutes.sh BOARD out (relative) from another folder'
check_eq 'it prints the meeting minutes and the month'"'"'s changes, under ./out' \
    "$TROOT/elsewhere/out/minutes-2026-11-04.html
$TROOT/elsewhere/out/minutes-2026-11.html" "$(cat "$OUT")"
check_file_has 'the meeting minutes are the meeting'"'"'s' \
    "$TROOT/elsewhere/out/minutes-2026-11-04.html" 'Attendance'
check_eq 'nothing is written into the board'"'"'s working tree' '' \
    "$(git -C "$BOARD" status --porcelain)"
cd "$BOARD" || exit 1
mkdir -p "$TROOT/elsewhere2"
run sh -c 'cd "$1" && MONTH=2026-11 DIPB=dipb sh "$2" "$3"' sh \
    "$TROOT/elsewhere2" "$DIPB_SRCDIR/examples/monthly-minutes.sh" "$BOARD"
rc_is 0 'monthly-minutes.sh BOARD: into the current folder'
check 'minutes-2026-11.html is in the folder it was run from' \
    test -f "$TROOT/elsewhere2/minutes-2026-11.html"

# --- the HTML minutes in headless Chromium ------------------------------------
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$CHROMIUM" ]; then
	skip "headless Chromium" "no $CHROMIUM"
	finish
	exit
fi
# chrome ARGS...: headless Chromium, a fresh profile.
chrome() {
	_ud=$(mktemp -d "$TROOT/chromium-profile.XXXXXX")
	timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu \
	    --disable-quic --no-first-run --disable-background-networking \
	    --disable-component-update --disable-sync --user-data-dir="$_ud" \
	    --enable-logging=stderr --v=0 "$@" </dev/null
	_rc=$?
	rm -rf "$_ud"
	return $_rc
}
f=$TROOT/minutes.html
if chrome --dump-dom "file://$f" >"$f.dom" 2>"$f.log"; then
	_why=
	grep -q '</html>' "$f.dom" || _why="no DOM dumped"
	grep -q 'CONSOLE' "$f.log" && _why="$_why console: $(grep CONSOLE "$f.log" | head -n 3)"
	grep -qi '<script' "$f.dom" && _why="$_why a <script> in the DOM"
	[ "$(grep -c 'class="marking' "$f.dom")" = 2 ] ||
	    _why="$_why not two classification banners"
	for re in '<h1>Minutes of the TB meeting of 2026-11-04</h1>' \
	    '<h2>Attendance</h2>' '<h2>Decisions</h2>' \
	    '<h2>Actions arising</h2>' '<strong>Agreed</strong>' \
	    '<tr class="hl">'; do
		grep -F -q -e "$re" "$f.dom" || _why="$_why DOM lacks $re"
	done
	if [ -z "$_why" ]; then
		ok 'minutes --meeting (HTML) in Chromium: no console message, the parts of minutes'
	else
		not_ok 'minutes --meeting (HTML) in Chromium' "$_why"
	fi
else
	not_ok 'Chromium loads the minutes' "$(tail -n 5 "$f.log")"
fi
chrome --screenshot="$TROOT/minutes.png" --window-size=1000,1700 \
    --hide-scrollbars "file://$f" >/dev/null 2>"$TROOT/shot.log"
check 'a screenshot of the minutes is written (a PNG)' sh -c \
    'head -c 8 "$1" | od -An -c | grep -q "P   N   G"' sh "$TROOT/minutes.png"
[ -n "${MEETINGS_SHOT:-}" ] && cp "$TROOT/minutes.png" "$MEETINGS_SHOT"

# --- an agenda item whose record was deleted since -----------------------
#
# Minutes are an audit trail: an item the board no longer has (its file
# removed with plain git) is named with a note, in every format, never
# dropped (dipb-report(1)).
git rm -q "$(git ls-files recommendations | grep "/$B.yaml$")"
git commit -q -m "remove $B by hand"
run dipb report minutes --meeting $D --today 2026-11-25 --format json
rc_is 0 'minutes --meeting, an item deleted since: exit 0'
cp "$OUT" "$TROOT/gone.json"
check 'minutes --meeting (JSON): the deleted item is on the agenda, missing' \
    python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
A, B = sys.argv[2], sys.argv[3]
assert [r["id"] for r in d["agenda"]] == [A, B], d["agenda"]
assert d["agenda"][1]["missing"] is True and "no longer" in d["agenda"][1]["note"]
assert "missing" not in d["agenda"][0]
assert [r["id"] for r in d["decisions"]] == [A, B], d["decisions"]
assert d["decisions"][1]["missing"] is True
assert d["left_out"] == 0
' "$TROOT/gone.json" "$A" "$B"
for f in markdown html man latex; do
	run dipb report minutes --meeting $D --today 2026-11-25 --format $f
	check_eq "minutes --meeting --format $f: the deleted item named twice, with the note" \
	    '2 2' "$(sed 's/\\-/-/g' "$OUT" | grep -c -e "$B") $(grep -c 'no longer has this record' "$OUT")"
done
run dipb report minutes --meeting $D --today 2026-11-25 --format json \
    --max-classification 'NATO UNCLASSIFIED'
cp "$OUT" "$TROOT/gone.json"
check 'minutes --meeting --max-classification: the deleted item, of no known level, counted as left out' \
    python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert sys.argv[2] not in [r["id"] for r in d["agenda"]], d["agenda"]
assert d["left_out"] >= 1, d["left_out"]
' "$TROOT/gone.json" "$B"


# --- a deferral, then the decision: the first meeting's minutes keep it ------
# The minutes of a meeting give the decision taken from its day until the
# next meeting (dipb-report(1)): a deferral then, and an agreement months
# later, leave those minutes as they were when first made.
new_board redecided
as drafter
at 2026-01-02
mkrec supply-chain-security 'Deferred one' >/dev/null	# SCS-0001
drive SCS-0001 submitted
as secretary
at 2026-01-15
dipb meeting --date 2026-01-15 --attendee chair@example.org \
    --agenda SCS-0001 >/dev/null 2>&1
at 2026-01-21
dipb decide SCS-0001 --outcome deferred >/dev/null 2>&1
at 2026-02-10
dipb meeting --date 2026-02-10 --attendee chair@example.org >/dev/null 2>&1
decision() {
	dipb report minutes --meeting 2026-01-15 --today 2026-04-10 \
	    --format json 2>/dev/null | python3 -c 'import json, sys
d = json.load(sys.stdin)["decisions"][0]
print(d.get("outcome"), d.get("decided"))'
}
check_out 'minutes of 2026-01-15: the deferral of 2026-01-21' \
    'deferred 2026-01-21' decision
at 2026-04-05
check 'set-up: SCS-0001 decided again, agreed' \
    dipb decide SCS-0001 --outcome agreed -m 'Agreed now.'
check_out 'decided again since: the minutes of 2026-01-15 keep the deferral' \
    'deferred 2026-01-21' decision
check_out 'and the minutes of 2026-02-10 carry no decision of it' '[]' sh -c \
    'dipb report minutes --meeting 2026-02-10 --today 2026-04-10 --format json |
    python3 -c "import json, sys; print(json.load(sys.stdin)[\"decisions\"])"'
today

# --- a member who attended leaves the board --------------------------------
# A meeting is recorded once, its attendees judged then: dipb meeting
# refuses a non-member, and dipb verify judges it by the board of its
# time.  A member who attended leaving later is history, not an error
# that no command could mend (dipb-validate(1), meeting-member).
new_board left
as secretary
check_change meeting/1-held '' '' dipb meeting --date 2026-01-05 \
    --attendee rita@example.org --attendee secretary@example.org \
    --apology rolf@example.org
as chair
sedit dipb.yaml '/^  - name: Rita Reviewer$/,/^    roles:/d'
sedit dipb.yaml '/^  - name: Rolf Reviewer$/,/^    roles:/d'
sedit dipb.yaml 's/quorum: 2/quorum: 1/'
check_change board/2-changed '' '' dipb edit --board --no-edit
run dipb validate --format gcc
check_eq 'validate: exit 0, a warning for each who has left' \
"0 meetings/2026-01-05.yaml:3:5: warning: 'rita@example.org' in attendees is not a member of the board [meeting-member]
meetings/2026-01-05.yaml:6:5: warning: 'rolf@example.org' in apologies is not a member of the board [meeting-member]" \
    "$RC $(cat "$OUT")"
verify_clean 'dipb verify: the meeting was valid when recorded'
as secretary
check_refused 1 "meetings/2026-01-06.yaml:4:5: error: 'rita@example.org' in attendees is not a member of the board [meeting-member]" \
    'dipb meeting still refuses her as an attendee now' \
    dipb meeting --date 2026-01-06 --attendee secretary@example.org \
    --attendee rita@example.org

# --- a bidirectional control in a meeting's text: written, and said ----------
# dipb meeting writes its title and notes as given, as a record change
# writes a field, and warns of each bidirectional control at its line
# (dipb-validate(1), bidi); exit 0.
rlo=$(printf '\342\200\256')
lri=$(printf '\342\201\246')
as secretary
run dipb meeting --date 2026-01-07 --attendee secretary@example.org \
    --title "Minutes ${rlo}x" -m 'Opened.' -m "Held ${lri}in Brussels."
rc_is 0 'meeting with a bidirectional control in its title and notes: exit 0'
check_eq 'meeting: they are written' "Minutes ${rlo}x|Held ${lri}in Brussels." \
    "$(git show HEAD:meetings/2026-01-07.yaml | sed -n 's/^title: //p')|$(git show HEAD:meetings/2026-01-07.yaml | sed -n '$s/^  //p')"
check_eq 'meeting: a [bidi] warning for each, at its line, as validate says it' \
"meetings/2026-01-07.yaml:2:1: warning: 'title' holds a bidirectional control, U+202E, at character 9: it is shown in another order than written [bidi]
meetings/2026-01-07.yaml:5:1: warning: 'notes' holds a bidirectional control, U+2066, at character 15: it is shown in another order than written [bidi]" \
    "$(grep '\[bidi\]' "$ERR")"
run dipb meeting --date 2026-01-08 --attendee secretary@example.org \
    --title 'Minutes' -m 'Held in Brussels.'
if [ "$RC" -eq 0 ] && ! grep -q bidi "$ERR"; then
	ok 'meeting without one: no [bidi] warning'
else
	not_ok 'meeting without one: no [bidi] warning' "$(cat "$ERR")"
fi

# The hint of a blank --title holds: left out, the title is the default.
check_refused 2 "leave it out for the default title, 'Minutes of the SHORT_NAME meeting of DATE'" \
    'a blank --title: the hint names the default title' \
    dipb meeting --date 2026-01-09 --attendee secretary@example.org \
    --title '   '
check 'meeting without --title' dipb meeting --date 2026-01-09 \
    --attendee secretary@example.org
check_eq 'without --title: the default title, as the hint says' \
    '# Minutes of the TB meeting of 2026-01-09' \
    "$(dipb report minutes --meeting 2026-01-09 | grep -m 1 '^# ')"

# A member is written by the address dipb.yaml gives (dipb-meeting(1)),
# whatever the case it was typed in.
check 'meeting: --attendee and --apology in another case' dipb meeting \
    --date 2026-01-10 --attendee SECRETARY@Example.ORG \
    --apology Chair@example.org
check_eq "meeting: the file has dipb.yaml's addresses" \
    'secretary@example.org chair@example.org' \
    "$(git show HEAD:meetings/2026-01-10.yaml |
    sed -n 's/^  - \(.*@.*\)$/\1/p' | tr '\n' ' ' | sed 's/ $//')"

check_fsck
finish

#!/bin/sh
# tests/cli/names.sh - members named by name: two members who share a
# name (two John Smiths of two nations), a member whose name is another
# member's address, and names with runs of blanks (dipb-board(5), name;
# dipb-todo(1), dipb-list(1), dipb-review(1), dipb-action(1),
# dipb-validate(1) member-name, dipb-report(1) actions by owner).
. "$(dirname "$0")/lib.sh"

# as_who NAME EMAIL: the following commands act as that person.
as_who() {
	ACTOR_NAME=$1 ACTOR_EMAIL=$2
	GIT_AUTHOR_NAME=$1 GIT_COMMITTER_NAME=$1
	GIT_AUTHOR_EMAIL=$2 GIT_COMMITTER_EMAIL=$2
	export GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME \
	    GIT_COMMITTER_EMAIL
}

# Xavier, named as Rita's address, listed before her; two secretaries
# named John Smith, case and blanks aside.
sed '/^members:/a\
  - name: rita@example.org\
    email: xavier@example.org\
    roles: [reviewer]\
  - name: John Smith\
    email: john@example.co.uk\
    nation: GB\
    roles: [secretary]\
  - name: JOHN SMITH\
    email: john@example.com\
    nation: US\
    roles: [secretary]' "$BOARD_CONFIG" >"$TROOT/names.yaml"
BOARD_CONFIG=$TROOT/names.yaml
new_board
check_eq 'init: a board of two members of one name is one dipb makes' 0 "$RC"

run dipb validate dipb.yaml
check_eq 'validate: names members share are a warning, not an error' 0 "$RC"
check_eq 'validate: the warnings say which names, at their members' \
    "dipb.yaml:20:5: warning: the name of xavier@example.org, 'rita@example.org', is the email address of another member, whom it names [member-name]
dipb.yaml:27:5: warning: 'JOHN SMITH' is the name of john@example.co.uk and of john@example.com: give their email address to name either [member-name]" \
    "$(grep 'member-name' "$ERR" "$OUT" | sed 's/^[^:]*out://;s/^[^:]*err://')"

# dipb edit --board takes a third member of a name on the board.
as chair
sedit dipb.yaml '/^members:/a\
  - name: RITA REVIEWER\
    email: rita@example.net\
    roles: [reviewer]'
run dipb edit --board --no-edit
check_eq 'edit --board: another member of a name on the board is taken' 0 \
    "$RC"

as drafter
cat >"$TROOT/a.yaml" <<'YAML'
summary: Summary.
actions:
  - text: Keep the register
    owner: John Smith
    due: 2026-04-30
  - text: Brief the board
    owner: rita@example.org
    due: 2026-04-30
  - text: Circulate the minutes
    owner: Sam  Secretary
    due: 2026-04-30
  - text: File the papers
    owner: john@example.co.uk
    due: 2026-04-30
YAML
run dipb recommend --wg industrial-capacity --title A --no-edit \
    --from "$TROOT/a.yaml"
check_eq 'setup: IC-0001 with four actions' '0 IC-0001' "$RC $(cat "$OUT")"
drive IC-0001 decided

# todo: an owner written by a shared name is each of theirs; an address
# is its member's, not the one whose name it is.
todo_of() {
	dipb todo --member "$1" --today 2026-03-01 2>/dev/null |
	    sed -n 's/.*IC-0001 action \([0-9]\).*/\1/p' | tr '\n' ' '
}
check_eq 'todo: the John Smith of GB owns action 1, by name, and 4' '1 4 ' \
    "$(todo_of john@example.co.uk)"
check_eq 'todo: the John Smith of US owns action 1 too' '1 ' \
    "$(todo_of john@example.com)"
check_eq "todo: the owner rita@example.org is Rita's" '2 ' \
    "$(todo_of rita@example.org)"
check_eq '... not the member of that name' '' \
    "$(todo_of xavier@example.org)"
check_eq 'todo: "Sam  Secretary" is Sam'"'"'s, blanks inside aside' '3 ' \
    "$(todo_of secretary@example.org)"

# todo --member: a member's name, as dipb.yaml writes it or in another
# case, is that member; a name two members share is a usage error that
# names both addresses (dipb-todo(1)); an address is its member, though
# it be another member's name.
run dipb todo --member 'Sam Secretary' --today 2026-03-01
check_eq 'todo --member NAME: the member of that name' \
    '0 1 waiting for Sam Secretary <secretary@example.org> on 2026-03-01' \
    "$RC $(head -n 1 "$OUT")"
run dipb todo --member 'sam   SECRETARY' --today 2026-03-01 --format json
check_eq 'todo --member NAME: case and blanks aside, as names compare' \
    '0 secretary@example.org' "$RC $(python3 -c 'import json, sys; print(json.load(sys.stdin)["member"]["email"])' <"$OUT")"
check_refused 2 "dipb: --member: 'John Smith' names 2 members of the board, john@example.co.uk, john@example.com: give the email address" \
    'todo --member: a name two members share is a usage error naming both and the option, exit 2' \
    dipb todo --member 'John Smith' --today 2026-03-01
check_eq 'todo --member: ... and prints nothing' '' "$(cat "$OUT")"
check_eq "todo --member rita@example.org: the member of that address, not of that name" \
    '2 ' "$(todo_of rita@example.org)"
check_refused 2 "--member: 'Nobody Here' is not a member of the board" \
    'todo --member: a name no member has, exit 2' \
    dipb todo --member 'Nobody Here' --today 2026-03-01

# list: a shared name names neither; an address its member.
check_refused 2 "'John Smith' names 2 members of the board, john@example.co.uk, john@example.com: give the email address" \
    'list --owner: a name two members share is a usage error' \
    dipb list --owner 'John Smith'
check_refused 2 "'john smith' names 2 members of the board, john@example.co.uk, john@example.com: give the email address" \
    'list --author: likewise, case aside' \
    dipb list --author 'john smith'
run dipb list --owner john@example.com --format ids
check_eq 'list --owner: by the address of one John Smith' '0 IC-0001' \
    "$RC $(cat "$OUT")"
run dipb list --owner xavier@example.org --format ids
check_eq 'list --owner: the member whose name is an address owns none' \
    '0 ' "$RC $(cat "$OUT")"
run dipb list --owner 'sam   secretary' --format ids
check_eq 'list --owner: a name with a run of blanks' '0 IC-0001' \
    "$RC $(cat "$OUT")"

# action --due: no John Smith moves the action of that name; another
# secretary or the chair does.
as_who 'John Smith' john@example.com
check_refused 3 'john@example.com owns action 1 of IC-0001' \
    'action --due: the John Smith of US may not move action 1: exit 3' \
    dipb action IC-0001 1 --due 2027-09-30 --reason 'Busy.'
as_who 'John Smith' john@example.co.uk
check_refused 3 'john@example.co.uk owns action 1 of IC-0001' \
    'action --due: nor the John Smith of GB: exit 3' \
    dipb action IC-0001 1 --due 2027-09-30 --reason 'Busy.'
as secretary
check_refused 3 'secretary@example.org owns action 3 of IC-0001' \
    'action --due: "Sam  Secretary" may not move their own: exit 3' \
    dipb action IC-0001 3 --due 2027-09-30 --reason 'Busy.'
as_who 'John Smith' john@example.com
run dipb action IC-0001 4 --due 2027-09-30 --reason 'Asked.'
check_eq "action --due: one John Smith moves the other's action by address" \
    0 "$RC"
as chair
run dipb action IC-0001 1 --due 2027-09-30 --reason 'Asked.'
check_eq 'action --due: the chair moves the John Smiths'"'"' action' 0 "$RC"

# review --reply-to: a shared name is a usage error; an address is its
# member's review, though it be another member's name.
as drafter
run dipb recommend --wg industrial-capacity --title B --summary S --no-edit
drive IC-0002 in-review
as_who X xavier@example.org
run dipb review IC-0002 --endorse
check_eq 'setup: Xavier endorses IC-0002' 0 "$RC"
as rev1
run dipb review IC-0002 --request-changes -m 'Rita asks.'
check_eq 'setup: Rita requests changes' 0 "$RC"
as drafter
check_refused 2 "'Rita Reviewer' names 2 members of the board, rita@example.net, rita@example.org: give the email address" \
    'review --reply-to: a name two members share is a usage error' \
    dipb review IC-0002 --reply-to 'Rita Reviewer' -m 'Answer.'
run dipb review IC-0002 --reply-to rita@example.org -m 'Answer to Rita.'
check_eq 'review --reply-to: the address rita@example.org answers Rita' \
    '0 rita@example.org' "$RC $(jshow IC-0002 'd["replies"][-1]["to"]')"

# report actions --format json: the member each owner names, or null.
run dipb report actions --today 2026-03-01 --format json
check_eq 'report actions --format json: owner_member of each action' \
    'John Smith=None|rita@example.org=Rita Reviewer|Sam  Secretary=Sam Secretary|john@example.co.uk=John Smith' \
    "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
print("|".join("%s=%s" % (a["owner"], a.get("owner_member", "absent"))
    for a in sorted(d["actions"], key=lambda a: a["action"])))' "$OUT")"
check_eq 'report actions --format json: owner_email, the address of that member' \
    'None|rita@example.org|secretary@example.org|john@example.co.uk' \
    "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
print("|".join(str(a.get("owner_email", "absent"))
    for a in sorted(d["actions"], key=lambda a: a["action"])))' "$OUT")"

# report actions: an owner of a name members share is its own group, as
# written; each member who shares it is another, with their address.
run dipb report actions --today 2026-03-01 --format markdown
check_eq 'report actions: the owners by owner, the shared name as written' \
    '| John Smith | 1 | 0 |
| John Smith \<john@example.co.uk\> | 1 | 0 |
| Rita Reviewer \<rita@example.org\> | 1 | 0 |
| Sam Secretary | 1 | 0 |' \
    "$(sed -n '/^## By owner/,/^## /p' "$OUT" | grep '^| [^-O]')"
check_eq 'report actions: one table per owner, each of one action' \
    '## John Smith 1
## John Smith \<john@example.co.uk\> 4
## Rita Reviewer \<rita@example.org\> 2
## Sam Secretary 3' \
    "$(awk '/^## / && !/By owner/ { h = $0 } h != "" && /\| IC-0001 \|/ {
	split($0, f, "|"); n = f[5]; gsub(/ /, "", n); print h, n }' "$OUT")"

verify_clean 'verify: a history of members who share a name has no finding'

# A bidirectional control in dipb.yaml, as in a record's field: a
# warning at its line (dipb-validate(1), bidi), which would show a name in
# another order than written; edit --board says it of a value the board
# did not hold, and writes it; validate exits 0, or 1 with
# --warnings-as-errors.
as chair
sedit dipb.yaml 's/^short_name: .*/short_name: "DI\\u2066PB"/'
sedit dipb.yaml '/^members:/a\
  - name: "Bo\\u202Eb"\
    email: bob@example.org\
    roles: [secretary]'
run dipb edit --board --no-edit
check_eq 'edit --board: a bidirectional control written, warned of twice' \
    "0 2" "$RC $(grep -c 'holds a bidirectional control.*\[bidi\]' "$ERR")"
run dipb validate dipb.yaml
check_eq 'validate: [bidi] warnings at the short name and the name' \
    "0
dipb.yaml:2:1: warning: 'short_name' holds a bidirectional control, U+2066, at character 3: it is shown in another order than written [bidi]
dipb.yaml:20:5: warning: 'members: name' holds a bidirectional control, U+202E, at character 3: it is shown in another order than written [bidi]" \
    "$RC
$(grep -h '\[bidi\]' "$ERR" "$OUT")"
run dipb validate --warnings-as-errors dipb.yaml
check_eq 'validate --warnings-as-errors: exit 1, the two [bidi] among why' \
    "1 2" "$RC $(cat "$ERR" "$OUT" | grep -c '\[bidi\]')"
sedit dipb.yaml 's/^board: .*/board: Board/'
run dipb edit --board --no-edit
check_eq 'edit --board: a control the board held is not said again' \
    "0 0" "$RC $(grep -c '\[bidi\]' "$ERR")"
cp dipb.yaml "$TROOT/bidi.yaml"
mkdir "$TROOT/bidi-init" && git -C "$TROOT/bidi-init" init -q
run dipb init "$TROOT/bidi-init" --config "$TROOT/bidi.yaml"
check_eq 'init --config: the board made, its two [bidi] warned of' \
    "0 2 1" "$RC $(grep -c '\[bidi\]' "$ERR") $(git -C "$TROOT/bidi-init" \
    rev-list --count HEAD)"

# The minutes take a returned review's verdict from how its subject opens,
# not from a word anywhere in it: a reviewer's name may hold "objection".
as chair
sedit dipb.yaml '/^members:/a\
  - name: Ona Noobjection\
    email: ona@example.org\
    roles: [reviewer]'
run dipb edit --board --no-edit
as drafter
run dipb recommend --wg industrial-capacity --title 'Verdicts' \
    --summary 'Summary.' --no-edit
vid=$(cat "$OUT")
run dipb review "$vid" --request
as_who 'Ona Noobjection' ona@example.org
run dipb review "$vid" --request-changes -m 'Say more.'
check_eq "review: its subject names Ona Noobjection" \
    "$vid: changes requested by Ona Noobjection" "$(git log -1 --format=%s)"
run dipb report minutes --format json
check_eq 'report minutes: changes requested by a reviewer named *objection* is request-changes' \
    'request-changes' "$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
print(*[e["verdict"] for e in d["events"]
    if e["record"] == sys.argv[2] and e["event"] == "returned"])
' "$OUT" "$vid")"
run dipb report minutes
check_file_has 'report minutes: ... and says so in Markdown' "$OUT" \
    'Ona Noobjection: review, \*\*request-changes\*\*'

# validate: a name with '<' or '>' is an error, at its line (it would
# break "NAME <EMAIL>" in commits and trailers); a space other than an
# ASCII blank is not a blank between two words, a warning.
as chair
sedit dipb.yaml '/^members:/a\
  - name: Ann <Liaison>\
    email: ann@example.org\
    roles: [secretary]\
  - name: "Cy\\u00a0Tab"\
    email: cy@example.org\
    roles: [secretary]\
  - name: "Di\\u3000Tab"\
    email: di@example.org\
    roles: [secretary]'
run dipb validate dipb.yaml
check_eq "validate: a name with '<' an error, names with U+00A0 and U+3000 warned of" \
    "1
dipb.yaml:20:5: error: the name of ann@example.org, 'Ann <Liaison>', has a '<' or '>', which would break 'NAME <EMAIL>' in commits and trailers: write it without them [member-name]
dipb.yaml:23:5: warning: the name of cy@example.org, 'Cy$(printf '\302\240')Tab', has U+00A0, a space that names do not compare as a blank: write it with ASCII blanks [member-name]
dipb.yaml:26:5: warning: the name of di@example.org, 'Di$(printf '\343\200\200')Tab', has U+3000, a space that names do not compare as a blank: write it with ASCII blanks [member-name]" \
    "$RC
$(grep -h 'member-name' "$ERR" "$OUT" | grep 'ann@\|cy@\|di@')"

# No dipb writes such a name: edit --board refuses it at its line, and so
# does init --config.  A board that holds one already (committed by hand,
# or by an older dipb) still reads; its member's changes are refused at
# the name's line, naming the way out, until a chair mends the name with
# edit --board, which refuses to keep it.  git is the oracle of "nothing
# written" (check_refused).
check_refused 1 "dipb.yaml:20:5: error: the name of ann@example.org, 'Ann <Liaison>', has a '<' or '>'" \
    "edit --board: a name with '<' or '>' is refused at its line, exit 1" \
    dipb edit --board --no-edit
git checkout -q dipb.yaml
mkdir "$TROOT/angled"
sed 's/^  - name: Sam Secretary$/  - name: Sam >> Secretary/' "$BOARD_CONFIG" \
    >"$TROOT/angled/board.yaml"
(
	cd "$TROOT/angled" && git init -q &&
	check_refused 1 "error: the name of secretary@example.org, 'Sam >> Secretary', has a '<' or '>'" \
	    "init --config: a name with '>' is refused, exit 1" \
	    dipb init --config board.yaml
)
sedit dipb.yaml '/^members:/a\
  - name: Ann <Liaison>\
    email: ann@example.org\
    roles: [secretary]'
git commit -q -m 'dipb.yaml: Ann, by hand' dipb.yaml
run dipb list --format ids
check_eq 'a board that holds one: it still reads' '0' "$RC"
as_who Ann ann@example.org
check_refused 1 "dipb: dipb.yaml:20:5: the name of ann@example.org, 'Ann <Liaison>', has a '<' or '>', which 'NAME <EMAIL>' in this change's commit may not hold: a chair writes it without them with 'dipb edit --board'" \
    "its member's change is refused at the name's line, the way out named, exit 1" \
    dipb meeting --date 2026-03-05 --attendee ann@example.org
as chair
sedit dipb.yaml '$a\
# kept'
check_refused 1 "dipb.yaml:20:5: error: the name of ann@example.org, 'Ann <Liaison>'" \
    'edit --board refuses to keep it' dipb edit --board --no-edit
sedit dipb.yaml 's/^  - name: Ann <Liaison>$/  - name: Ann (Liaison)/'
run dipb edit --board --no-edit
check_eq 'edit --board: a chair mends the name' '0 Ann (Liaison)' \
    "$RC $(git show HEAD:dipb.yaml | sed -n 's/^  - name: \(Ann.*\)/\1/p')"
as_who Ann ann@example.org
run dipb meeting --date 2026-03-05 --attendee ann@example.org
check_eq 'then its member acts, under the name mended' \
    '0 meeting: 2026-03-05 held, recorded by Ann (Liaison)' \
    "$RC $(git log -1 --format=%s)"

# The name a subject gives a member is their email while their name is
# angled (dipb_member_subject_name): a reply to their review names their
# address.  sync drops the replay of their own change, as a move their
# role no longer allows is dropped, kept under refs/dipb/dropped/ with
# the reason (dipb-sync(1)): Rita endorses IC-0002 in one clone while
# the chair, in the other, renames her 'Rita <R>' by hand and pushes.
new_board angled
as drafter
mkrec industrial-capacity 'Replied' >/dev/null
run dipb review IC-0001 --request
mkrec industrial-capacity 'Endorsed' >/dev/null
run dipb review IC-0002 --request
as rev1
run dipb review IC-0001 --endorse
share_two angled || exit 1
cd "$B" && as rev1
run dipb review IC-0002 --endorse
check_eq 'set-up: Rita endorses IC-0002 in one clone' 0 "$RC"
cd "$A" && as chair
sedit dipb.yaml 's/^  - name: Rita Reviewer$/  - name: Rita <R>/'
git add dipb.yaml && forge board changed '' chair &&
    git push -q origin main 'refs/tags/board/*' 2>"$TROOT/push.err"
check_eq "the chair renames her 'Rita <R>' by hand: the pre-receive hook's verify accepts the push" \
    "0 Rita <R>" "$? $(git -C "$SRV" show main:dipb.yaml |
    sed -n 's/^  - name: \(Rita.*\)/\1/p')"
cd "$B" && as rev1
run dipb sync
check_eq "sync: her endorsement is dropped, the name's line the reason" \
    "6 dropped IC-0002/3-reviewed: dipb.yaml:$(git -C "$SRV" show \
    main:dipb.yaml | grep -n '^  - name: Rita' | cut -d: -f1):5, as of the remote: the name of rita@example.org, 'Rita <R>', has a '<' or '>': their changes are refused until a chair mends it with 'dipb edit --board' (dipb-board(5), name); then make this change again" \
    "$RC $(cat "$OUT" "$ERR" | grep '^dropped')"
check_eq 'sync: kept under refs/dipb/dropped/, no endorsement pushed' \
    'refs/dipb/dropped/IC-0002/3-reviewed 0' \
    "$(git for-each-ref --format='%(refname)' refs/dipb/dropped) $(git -C \
    "$SRV" log --format=%s main | grep -c 'IC-0002: endorsed')"
check_eq "sync: no subject names 'Rita <R>'" 0 \
    "$(git log --format=%s main | grep -c '<R>')"
as drafter
run dipb review IC-0001 --reply-to rita@example.org -m 'Thanks.'
check_eq 'a reply to her review names her address, not the angled name' \
    '0 IC-0001: reply to rita@example.org by Dan Drafter' \
    "$RC $(git log -1 --format=%s)"


# A control character in a name is refused as a '<' or '>' is
# (dipb-board(5), name): dipb validate reports it at its line, its
# member's own change is refused there, with no name from git too (the
# name from dipb.yaml would be the change's author), a subject names them
# by their email, and edit --board refuses to keep it until a chair mends
# it.  ESC, a tab, DEL, the C1 CSI U+009B and the line separator U+2028,
# each written by hand with YAML's escapes.
new_board ctrl
as drafter
mkrec industrial-capacity 'Controlled' >/dev/null
run dipb review IC-0001 --request
as rev1
run dipb review IC-0001 --endorse
check_eq 'set-up: Rita endorses IC-0001' 0 "$RC"
for c in 'e 001B' 't 0009' 'x7f 007F' 'u009b 009B' 'u2028 2028'; do
	esc=${c% *} cp=${c#* }
	as chair
	sedit dipb.yaml "s/^  - name: Rita Reviewer\$/  - name: \"Rita\\\\${esc}Red\"/"
	git commit -q -m "dipb.yaml: Rita's name with U+$cp, by hand" dipb.yaml
	line=$(grep -n '^  - name: "Rita' dipb.yaml | cut -d: -f1)
	run dipb validate dipb.yaml
	check_eq "U+$cp in a name: validate reports it at its line" \
	    "1 dipb.yaml:$line:5: error: 'members: name' holds a control character, U+$cp, at character 5 (a single-line field) [control-character]" \
	    "$RC $(grep -h "^dipb.yaml:$line:" "$OUT" "$ERR")"
	as rev1
	unset GIT_AUTHOR_NAME GIT_COMMITTER_NAME
	check_refused 1 "dipb: dipb.yaml:$line:5: the name of rita@example.org, 'Rita?Red', holds a control character, U+$cp, which 'NAME <EMAIL>' in this change's commit may not hold: a chair writes it without them with 'dipb edit --board'" \
	    "U+$cp in a name: its member's change is refused at the name's line, exit 1" \
	    dipb review IC-0001 --request-changes -m 'No.'
	as drafter
	run dipb review IC-0001 --reply-to rita@example.org -m 'Thanks.'
	check_eq "U+$cp in a name: a reply to her review names her address" \
	    '0 IC-0001: reply to rita@example.org by Dan Drafter' \
	    "$RC $(git log -1 --format=%s)"
	as chair
	sedit dipb.yaml '$a\
# kept'
	check_refused 1 "dipb.yaml:$line:5: error: 'members: name' holds a control character, U+$cp" \
	    "U+$cp in a name: edit --board refuses to keep it, exit 1" \
	    dipb edit --board --no-edit
	sedit dipb.yaml 's/^  - name: "Rita.*/  - name: Rita Reviewer/; /^# kept$/d'
	run dipb edit --board --no-edit
	check_eq "U+$cp in a name: a chair mends it with edit --board" \
	    '0 Rita Reviewer' "$RC $(git show HEAD:dipb.yaml |
	    sed -n 's/^  - name: \(Rita.*\)/\1/p')"
done
check_eq 'no subject, no identity, no tag holds a control character' 0 \
    "$({ git log --format='%s%n%an%n%cn'; git for-each-ref \
    --format='%(taggername)%n%(contents)' refs/tags; } | LC_ALL=C grep -c \
    "$(printf '[\001-\037\177]\\|\302[\200-\237]\\|\342\200[\250\251]')")"

# A remote whose board gives a member a control character: the
# pre-receive hook's verify refuses the push (control-character); one
# without the hook takes it, and sync drops the member's own change made
# before, as for a '<' or '>', the name in the reason and the message of
# the tag that keeps the change shown as '?'.
new_board ctrlsync
as drafter
mkrec industrial-capacity 'Endorsed' >/dev/null
run dipb review IC-0001 --request
share_two ctrlsync || exit 1
cd "$B" && as rev1
run dipb review IC-0001 --endorse
check_eq 'set-up: Rita endorses IC-0001 in one clone' 0 "$RC"
cd "$A" && as chair
sedit dipb.yaml 's/^  - name: Rita Reviewer$/  - name: "Rita\\eRed"/'
git add dipb.yaml && forge board changed '' chair
git push -q origin main 'refs/tags/board/*' 2>"$TROOT/push.err" ||
    pushed=refused
check_eq "U+001B in a name by hand: the pre-receive hook's verify refuses the push" \
    "refused 1" "${pushed:-pushed} $(grep -c \
    "'members: name' holds a control character, U+001B.*\[control-character\]" \
    "$TROOT/push.err")"
rm "$SRV/hooks/pre-receive"
git push -q origin main 'refs/tags/board/*' 2>"$TROOT/push.err"
check_eq 'a remote without the hook takes it' 0 "$?"
cd "$B" && as rev1
run dipb sync
check_eq "sync: her endorsement is dropped, the name's line the reason" \
    "6 dropped IC-0001/3-reviewed: dipb.yaml:$(git -C "$SRV" show \
    main:dipb.yaml | grep -n '^  - name: "Rita' | cut -d: -f1):5, as of the remote: the name of rita@example.org, 'Rita?Red', holds a control character, U+001B: their changes are refused until a chair mends it with 'dipb edit --board' (dipb-board(5), name); then make this change again" \
    "$RC $(cat "$OUT" "$ERR" | grep '^dropped')"
check_eq 'sync: the tag that keeps it names her as shown, no ESC' \
    '1 0' "$(git for-each-ref --format='%(contents)' refs/dipb/dropped |
    grep -c "'Rita?Red'") $(git for-each-ref \
    --format='%(contents)' refs/dipb/dropped | grep -c "$(printf '\033')")"

finish

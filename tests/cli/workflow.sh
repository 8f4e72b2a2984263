#!/bin/sh
# tests/cli/workflow.sh - the moves that close the workflow's dead ends
# (dipb-workflow(7)): a refusal that says what the acting member may do;
# review --recall; a deferred decision decided again, its actions not
# open meanwhile.  Each move as every role would run it, dipb verify clean
# after the legal ones, a forgery of each reported with its rule, and a
# recall racing a review through dipb sync.
. "$(dirname "$0")/lib.sh"

# has DESC LINE: the last command's stdout or stderr has a line that
# contains LINE.
has() {
	if cat "$OUT" "$ERR" | grep -F -q -e "$2"; then
		ok "$1"
	else
		not_ok "$1" "no line has: $2" "$(cat "$OUT" "$ERR" | head -n 20)"
	fi
}

new_board
at 2026-06-01
as drafter
mkrec industrial-capacity 'Framework contracts' >/dev/null	# IC-0001
mkrec industrial-capacity 'Stockpiles' >/dev/null		# IC-0002
drive IC-0001 returned

# --- a refusal says what the acting member may do ------------------------------

as rev2
check_refused 1 'dipb: IC-0001 is returned: cannot review --endorse (allowed: edit, review --request, withdraw, review --reply-to; none by you: it waits on a drafter of industrial-capacity)' \
    'the next reviewer of a returned record: exit 1, it waits on a drafter' \
    dipb review IC-0001 --endorse
as secretary
check_refused 1 'cannot submit (allowed: edit, review --request, withdraw, review --reply-to; by you: withdraw)' \
    'the secretary: exit 1, names the one move of theirs' \
    dipb submit IC-0001
as drafter
check_refused 1 'dipb: IC-0001 is returned: cannot review --recall (allowed: edit, review --request, withdraw, review --reply-to)' \
    'its drafter, who may make them all: the list alone' \
    dipb review IC-0001 --recall

# --- review --recall: in-review -> draft, by a drafter of the group -------------

drive IC-0002 in-review
as rev1
run dipb review IC-0002 --endorse -m 'Fine as it is.'
check_eq 'set-up: one endorsement of IC-0002' 0 "$RC"
for who in rev2 secretary chair rev3; do
	as "$who"
	check_refused 3 'may not review --recall IC-0002' \
	    "$who may not recall: exit 3, nothing written" \
	    dipb review IC-0002 --recall
done
check_err 'a drafter of another group is told which group' \
    "not a drafter of working group 'industrial-capacity'"
as outsider
run dipb review IC-0002 --recall
check_err 'a non-member is told so' 'otto@example.org is not a member'
as drafter
check_refused 2 'usage: dipb review' '--recall with --expect: a usage error' \
    dipb review IC-0002 --recall --expect 0123abcd
check_refused 2 'exactly one of --request, --recall' \
    '--recall with another move: a usage error' \
    dipb review IC-0002 --recall --request
at 2026-06-02
as icdrafter
check_change IC-0002/4-recalled 'in-review -> draft' \
    'IC-0002: recalled by Ida Drafter' \
    dipb review IC-0002 --recall -m 'A typo in the summary.'
check_eq 'recalled: the record is a draft again' draft "$(status_of IC-0002)"
check_eq 'recalled: updated is the day of the recall' 2026-06-02 \
    "$(field IC-0002 updated)"
check_eq 'recalled: the review given stays' 1 "$(jshow IC-0002 'len(d["reviews"])')"
check_eq 'recalled: the comment is in the commit body' 'A typo in the summary.' \
    "$(git log -1 --format=%b | sed -n 1p)"
check_refused 1 'dipb: IC-0002 is draft: cannot review --recall (allowed: edit, review --request, withdraw; by you: edit, review --request)' \
    'recalling a draft: exit 1, naming the moves allowed' \
    dipb review IC-0002 --recall
verify_clean 'after the recall: dipb verify is clean'
run dipb validate
check_eq 'after the recall: dipb validate takes a draft with its reviews' 0 "$RC"
as drafter
sedit recommendations/IC-0002.yaml 's/Summary of Stockpiles\./Summary of the stockpiles./'
check_change IC-0002/5-edited 'draft -> draft' '' dipb edit IC-0002 --no-edit
check_change IC-0002/6-review-requested 'draft -> in-review' '' \
    dipb review IC-0002 --request
as rev2
check_change IC-0002/7-reviewed 'in-review -> in-review' \
    'IC-0002: endorsed by Rolf Reviewer (1/2)' \
    dipb review IC-0002 --endorse
check_eq 'the endorsement before the edit is stale: still in review' \
    in-review "$(status_of IC-0002)"
check_git_agrees 'recall, edit, review again: git and dipb verify agree'

# --- decide again a deferred decision -------------------------------------------

at 2026-06-03
as drafter
cat >"$TROOT/deferred.yaml" <<'EOF'
title: Deferred
summary: To be decided when the budget is known.
actions:
  - text: Report to the board
    owner: National Armaments Directors
    due: 2026-09-01
EOF
dipb recommend --wg industrial-capacity --from "$TROOT/deferred.yaml" \
    --no-edit >/dev/null 2>>"$TROOT/setup.err"		# IC-0003
drive IC-0003 submitted
as secretary
check_change IC-0003/6-decided 'submitted -> decided' 'IC-0003: decided: deferred' \
    dipb decide IC-0003 --outcome deferred -m 'Until the budget is known.'
run dipb report actions --format json
check_eq 'report actions: the actions of a deferred decision are not open' \
    0 "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["open"])' "$OUT" 2>&1)"
for who in drafter rev1; do
	as "$who"
	check_refused 3 'may not decide IC-0003: needs the secretary role' \
	    "$who may not decide again: exit 3" \
	    dipb decide IC-0003 --outcome agreed
done
as outsider
check_refused 3 'otto@example.org is not a member of the board: decide needs the secretary role' \
    'a non-member may not decide again: exit 3' \
    dipb decide IC-0003 --outcome agreed
# Its actions arise from nothing yet: neither done, dropped nor moved.
as secretary
for how in --done --dropped; do
	check_refused 1 'dipb: IC-0003 is decided (deferred): cannot action (allowed: decide)' \
	    "action $how on a deferred decision: exit 1" \
	    dipb action IC-0003 1 $how
done
check_refused 1 'dipb: IC-0003 is decided (deferred): cannot action --due (allowed: decide)' \
    'action --due on a deferred decision: exit 1' \
    dipb action IC-0003 1 --due 2026-10-01 --reason Later
at 2026-07-01
as chair
check_change IC-0003/7-decided 'decided -> decided' 'IC-0003: decided: agreed' \
    dipb decide IC-0003 --outcome agreed
check_eq 'decided again: the new outcome and date' 'agreed 2026-07-01' \
    "$(jshow IC-0003 'd["decision"]["outcome"] + " " + d["decision"]["date"]')"
run dipb report actions --format json
check_eq 'report actions: agreed now, its action is open' \
    1 "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["open"])' "$OUT" 2>&1)"
as secretary
check_refused 1 'dipb: IC-0003 is decided (agreed): cannot decide (allowed: action)' \
    'an agreed decision is final: exit 1' \
    dipb decide IC-0003 --outcome declined
check_git_agrees 'deferred then agreed: git and dipb verify agree'

# --- action owners that name members; due before the decision -------------------

as drafter
cat >"$TROOT/owners.yaml" <<'EOF'
title: Owners
summary: Actions for members and for a body outside the board.
actions:
  - text: Brief the board
    owner: rita@example.org
    due: 2026-06-15
  - text: Ask the Armaments Directors
    owner: National Armaments Directors
  - text: Chase the supplier
    owner: nobody@example.org
EOF
# dipb recommend never writes what dipb validate refuses (member).
check_refused 1 "owners.yaml:10:12: error: action 3's owner 'nobody@example.org' is not a member of the board [member]" \
    'recommend: an owner that is no member is refused, at its line' \
    dipb recommend --wg industrial-capacity --from "$TROOT/owners.yaml" \
    --no-edit
# "Name <email>" is a member's by its address; a member's name with
# another's address, or several addresses one a member's, are refused
# (dipb-validate(1), member).
sedit "$TROOT/owners.yaml" 's/nobody@example.org/Sam Secretary <rita@example.org>/'
check_refused 1 "owners.yaml:10:12: error: action 3's owner 'Sam Secretary <rita@example.org>' gives a member's name with an address that is not theirs [member]" \
    'recommend: a member'"'"'s name with another member'"'"'s address is refused' \
    dipb recommend --wg industrial-capacity --from "$TROOT/owners.yaml" \
    --no-edit
sedit "$TROOT/owners.yaml" 's/Sam Secretary <rita@example.org>/A <a@x.org> and Rita <rita@example.org>/'
check_refused 1 "owners.yaml:10:12: error: action 3's owner 'A <a@x.org> and Rita <rita@example.org>' gives several addresses, one a member's: give one owner [member]" \
    'recommend: several addresses, one a member'"'"'s, are refused' \
    dipb recommend --wg industrial-capacity --from "$TROOT/owners.yaml" \
    --no-edit
sedit "$TROOT/owners.yaml" 's/A <a@x.org> and Rita <rita@example.org>/Supplier liaison/'
dipb recommend --wg industrial-capacity --from "$TROOT/owners.yaml" \
    --no-edit >/dev/null 2>>"$TROOT/setup.err"		# IC-0004
sedit recommendations/IC-0004.yaml 's/Supplier liaison/nobody@example.org/'
run dipb validate recommendations/IC-0004.yaml
check_eq 'an owner that is no member, by hand: dipb validate exits 1' 1 "$RC"
has 'the owner that is no member is named, with its line' \
    "recommendations/IC-0004.yaml:21:12: error: action 3's owner 'nobody@example.org' is not a member of the board [member]"
check_eq 'a member and free text are owners dipb validate takes' 1 \
    "$(cat "$OUT" "$ERR" | grep -c 'member\]')"
sedit recommendations/IC-0004.yaml 's/nobody@example.org/No Body <nobody@example.org>/'
run dipb validate recommendations/IC-0004.yaml
check_eq 'an owner "Name <email>" of no member is free text: dipb validate exits 0' \
    0 "$RC"
sedit recommendations/IC-0004.yaml 's/No Body <nobody@example.org>/Sam  Secretary <nobody@example.org>/'
run dipb validate recommendations/IC-0004.yaml
check_eq 'a member'"'"'s name with an address of no member: dipb validate exits 1' \
    1 "$RC"
has 'the name with an address not its member'"'"'s is named, with its line' \
    "recommendations/IC-0004.yaml:21:12: error: action 3's owner 'Sam  Secretary <nobody@example.org>' gives a member's name with an address that is not theirs [member]"
sedit recommendations/IC-0004.yaml 's/Sam  Secretary <nobody@example.org>/A <a@x.org> and B <b@x.org>/'
run dipb validate recommendations/IC-0004.yaml
check_eq 'several addresses of no member are free text: dipb validate exits 0' \
    0 "$RC"
sedit recommendations/IC-0004.yaml 's/No Body <nobody@example.org>/Rita <RITA@example.org>/'
run dipb validate recommendations/IC-0004.yaml
check_eq 'an owner "Name <email>" of a member, case aside: dipb validate exits 0' \
    0 "$RC"
git checkout -q -- recommendations/IC-0004.yaml
at 2026-07-02
drive IC-0004 decided
run dipb validate recommendations/IC-0004.yaml
check_eq 'due before the decision: a warning, dipb validate exits 0' 0 "$RC"
has 'the warning says since when it is overdue' \
    "recommendations/IC-0004.yaml:13:5: warning: action 1 was due on 2026-06-15, before the decision of 2026-07-02: overdue since the decision [due]"
run dipb report actions --today 2026-07-03
has 'report actions: overdue since the decision' \
    '2026-06-15 (overdue since the decision)'
check_git_agrees 'owners and dates: git and dipb verify agree'

# --- forgeries: plain git commits with dipb's trailers ---------------------------

CLEAN=$BOARD
BOARD=
scenario forged-recall
# A reviewer's recall: the role is the drafter's.
drive IC-0001 in-review
sedit recommendations/IC-0001.yaml 's/^status: in-review/status: draft/'
git add recommendations/IC-0001.yaml
forge IC-0001 recalled 'in-review -> draft' rev1
check_rule 'a recall by a reviewer' role 'IC-0001.*needs the drafter role'

scenario forged-recall-endorsed
drive IC-0001 endorsed
sedit recommendations/IC-0001.yaml 's/^status: endorsed/status: draft/'
git add recommendations/IC-0001.yaml
forge IC-0001 recalled 'endorsed -> draft' drafter
check_rule 'a recall of an endorsed record' transition \
    'recalled: IC-0001 is endorsed: cannot review --recall'

scenario forged-redecide
sedit recommendations/IC-0003.yaml 's/outcome: agreed/outcome: declined/'
git add recommendations/IC-0003.yaml
forge IC-0003 decided 'decided -> decided' secretary
check_rule 'an agreed decision decided again' transition \
    'decided: IC-0003 is decided \(agreed\): cannot decide \(allowed: action\)'

scenario forged-action-deferred
# An action marked done while its decision was deferred: made by hand,
# as dipb action refuses it.
as drafter
dipb recommend --wg industrial-capacity --from "$TROOT/deferred.yaml" \
    --no-edit >/dev/null 2>>"$TROOT/setup.err"		# IC-0005
drive IC-0005 submitted
as secretary
run dipb decide IC-0005 --outcome deferred
sedit recommendations/IC-0005.yaml 's/^\(    \)state: open/\1state: done/'
git add recommendations/IC-0005.yaml
forge IC-0005 action-updated 'decided -> decided' secretary
check_rule 'an action done while its decision is deferred' transition \
    'action-updated: IC-0005 is decided \(deferred\): cannot action \(allowed: decide\)'

# --- dipb sync: a recall racing a review ----------------------------------------

cd "$CLEAN" || exit 1
share_board "$TROOT/shared.git" || { finish; exit 1; }
git clone -q "$TROOT/shared.git" "$TROOT/a" 2>/dev/null
git clone -q "$TROOT/shared.git" "$TROOT/b" 2>/dev/null
# IC-0002 is in review with one fresh endorsement (Rolf's): one more is
# the quorum.  a recalls it; b, first on the server, endorses it.
cd "$TROOT/b" || exit 1
as rev1
dipb review IC-0002 --endorse 2>/dev/null
run dipb sync
check_eq 'race: b endorses first, at the quorum' "0 endorsed" \
    "$RC $(status_of IC-0002)"
cd "$TROOT/a" || exit 1
as drafter
dipb review IC-0002 --recall 2>/dev/null
run dipb sync
check_eq 'race: the recall after the quorum is dropped (exit 6)' 6 "$RC"
check_err_re 'race: dropped, saying the record is endorsed upstream' \
    '^dropped IC-0002/[0-9]+-recalled: IC-0002 is endorsed upstream.*review --recall is allowed from in-review only'
check_eq 'race: a has the endorsed record' endorsed "$(status_of IC-0002)"
check_git_agrees 'race lost: git and dipb verify agree in a'

# The other order: the recall first, then a review of the recalled text.
mkrec industrial-capacity 'Raced' >/dev/null			# IC-0005
dipb review IC-0005 --request 2>/dev/null
dipb sync >/dev/null 2>&1
cd "$TROOT/b" || exit 1
dipb sync >/dev/null 2>&1
as rev2
dipb review IC-0005 --endorse 2>/dev/null
cd "$TROOT/a" || exit 1
as drafter
dipb review IC-0005 --recall 2>/dev/null
run dipb sync
check_eq 'race won: the recall lands (exit 0)' 0 "$RC"
check_err_re 'race won: landed as recalled' '^landed IC-0005/3-recalled'
cd "$TROOT/b" || exit 1
run dipb sync
check_eq 'race won: the review of a draft is dropped (exit 6)' 6 "$RC"
check_err_re 'race won: dropped, saying the record is a draft upstream' \
    '^dropped IC-0005/[0-9]+-reviewed: IC-0005 is draft upstream'
check_eq 'race won: b has the draft' draft "$(status_of IC-0005)"
check_git_agrees 'race won: git and dipb verify agree in b'

# --- an option of one value, given twice ------------------------------------
# Given again, even with the same value, it is refused with exit status 2,
# naming it, nothing written (dipb(1), DESCRIPTION): neither value is
# guessed to be the one meant.
new_board 'once' || exit 1
as drafter
ONCE=$(mkrec industrial-capacity 'Once')
drive "$ONCE" submitted
as secretary
check_refused 2 "option '--outcome' is given more than once" \
    'decide --outcome agreed --outcome declined: exit 2' \
    dipb decide "$ONCE" --outcome agreed --outcome declined
check_refused 2 "option '--outcome' is given more than once" \
    'decide --outcome agreed twice: exit 2' \
    dipb decide "$ONCE" --outcome agreed --outcome agreed
as drafter
ONCE2=$(mkrec industrial-capacity 'Once more')
drive "$ONCE2" in-review
as rev1
fp=$(jshow "$ONCE2" 'd["fingerprint"]')
check_refused 2 "option '--expect' is given more than once" \
    'review --expect twice: exit 2' \
    dipb review "$ONCE2" --endorse --expect "$fp" --expect "$fp"
printf 'First.\n' >"$TROOT/once-a.md"
printf 'Second.\n' >"$TROOT/once-b.md"
check_refused 2 "option '-F' is given more than once" \
    'review -F a -F b: exit 2' \
    dipb review "$ONCE2" --endorse -F "$TROOT/once-a.md" -F "$TROOT/once-b.md"
check_err '  with the usage, as the other options' 'usage: dipb review'
check_refused 2 "option '-F' is given more than once" \
    'meeting -F a -F a: exit 2' \
    dipb meeting --attendee chair@example.org -F "$TROOT/once-a.md" \
    -F "$TROOT/once-a.md"
check_err '  with the usage' 'usage: dipb meeting'
check_change "$ONCE2/3-reviewed" 'in-review -> in-review' '' \
    dipb review "$ONCE2" --endorse -m 'One.' -m 'Two.'
check_eq 'two -m: two paragraphs' "$(printf 'One.\n\nTwo.')" \
    "$(jshow "$ONCE2" 'd["reviews"][0]["comment"]')"
as rev2
dipb review "$ONCE2" --endorse 2>/dev/null
as secretary
check_refused 2 "option '--to' is given more than once" \
    'submit --to twice: exit 2' \
    dipb submit "$ONCE2" --to 'A' --to 'B'
check_refused 2 "option '--reference' is given more than once" \
    'submit --reference twice: exit 2' \
    dipb submit "$ONCE2" --reference R-1 --reference R-2
as drafter
check_refused 2 "option '--title' is given more than once" \
    'recommend --title twice: exit 2' \
    dipb recommend --wg industrial-capacity --title A --title B \
    --summary S --no-edit
as chair
check_refused 2 "option '--layout' is given more than once" \
    'migrate --layout twice: exit 2' \
    dipb migrate --layout sharded --layout flat
check_refused 2 "option '--date' is given more than once" \
    'meeting --date twice: exit 2' \
    dipb meeting --date 2026-01-01 --date 2026-01-02 \
    --attendee chair@example.org
as secretary
check_refused 2 "option '--reason' is given more than once" \
    'action --reason twice: exit 2' \
    dipb action "$ONCE" 1 --due 2027-01-01 --reason A --reason B
mkdir "$TROOT/once-init"
check_refused 2 "option '--board' is given more than once" \
    'init --board twice: exit 2' \
    dipb init "$TROOT/once-init" --board A --board B
check_refused 2 "option '--layout' is given more than once" \
    'init --layout twice: exit 2' \
    dipb init "$TROOT/once-init" --layout flat --layout flat
check_eq 'init: nothing made' '' "$(ls -A "$TROOT/once-init")"

finish

#!/bin/sh
# tests/cli/permissions.sh - roles: a non-member, a member without the
# role and a drafter outside their working group are refused with exit 3,
# a message naming the role needed, and nothing written.
. "$(dirname "$0")/lib.sh"

new_board
as drafter
mkrec industrial-capacity 'Draft' >/dev/null		# IC-0001, draft
mkrec industrial-capacity 'In review' >/dev/null	# IC-0002
mkrec industrial-capacity 'Endorsed' >/dev/null		# IC-0003
mkrec industrial-capacity 'Submitted' >/dev/null	# IC-0004
mkrec industrial-capacity 'Decided' >/dev/null		# IC-0005
cat >"$TROOT/with-action.yaml" <<'YAML'
title: With an action
working_group: supply-chain-security
summary: |
  Text.
actions:
  - text: Do it.
    owner: Nations
YAML
dipb recommend --from "$TROOT/with-action.yaml" --no-edit >/dev/null 2>&1 # SCS-0001
drive IC-0002 in-review
drive IC-0003 endorsed
drive IC-0004 submitted
drive IC-0005 decided
drive SCS-0001 decided

# --- a non-member -------------------------------------------------------------------
as outsider
check_refused 3 \
    'dipb: otto@example.org is not a member of the board: recommend needs the drafter role' \
    'non-member: recommend refused' \
    dipb recommend --wg industrial-capacity --title T --summary S
sedit recommendations/IC-0001.yaml 's/^title: .*/title: Outsider edit/'
check_refused 3 'otto@example.org is not a member of the board' \
    'non-member: edit refused, the hand edit left alone' \
    dipb edit IC-0001 --no-edit
git checkout -q -- recommendations/IC-0001.yaml
check_refused 3 'otto@example.org is not a member of the board' \
    'non-member: review --request refused' dipb review IC-0001 --request
check_refused 3 'otto@example.org is not a member of the board' \
    'non-member: review --endorse refused' dipb review IC-0002 --endorse
check_refused 3 \
    'dipb: otto@example.org is not a member of the board: submit needs the secretary role' \
    'non-member: submit refused' dipb submit IC-0003
check_refused 3 'otto@example.org is not a member of the board' \
    'non-member: decide refused' dipb decide IC-0004 --outcome agreed
check_refused 3 'otto@example.org is not a member of the board' \
    'non-member: action refused' dipb action SCS-0001 1 --done
check_refused 3 'otto@example.org is not a member of the board' \
    'non-member: withdraw refused' dipb withdraw IC-0001 -m 'No.'
check_refused 3 'otto@example.org is not a member of the board' \
    'non-member: edit --board refused' env EDITOR=true dipb edit --board

# --- members without the role ----------------------------------------------------------
as rev1
check_refused 3 'needs the drafter role' 'a reviewer may not recommend' \
    dipb recommend --wg industrial-capacity --title T --summary S
sedit recommendations/IC-0001.yaml 's/^title: .*/title: Reviewer edit/'
check_refused 3 'needs the drafter role' 'a reviewer may not edit' \
    dipb edit IC-0001 --no-edit
git checkout -q -- recommendations/IC-0001.yaml
check_refused 3 'needs the drafter role' 'a reviewer may not request review' \
    dipb review IC-0001 --request
check_refused 3 \
    'dipb: rita@example.org may not submit IC-0003: needs the secretary role' \
    'a reviewer may not submit' dipb submit IC-0003
check_refused 3 'needs the secretary role' 'a reviewer may not decide' \
    dipb decide IC-0004 --outcome agreed
check_refused 3 'needs the secretary role' 'a reviewer may not update actions' \
    dipb action SCS-0001 1 --done
check_refused 3 'needs the secretary role' \
    'a reviewer may not withdraw what they did not write' \
    dipb withdraw IC-0001 -m 'No.'

as icdrafter	# a drafter of the group, not the author
check_refused 3 'needs the reviewer role' 'a drafter may not endorse' \
    dipb review IC-0002 --endorse
check_refused 3 'needs the reviewer role' 'a drafter may not request changes' \
    dipb review IC-0002 --request-changes -m 'No.'
check_refused 3 'needs the reviewer role' 'a drafter may not object' \
    dipb review IC-0002 --object -m 'No.'
as drafter
check_refused 3 'needs the secretary role' 'a drafter may not submit' \
    dipb submit IC-0003
check_refused 3 'needs the secretary role' 'a drafter may not decide' \
    dipb decide IC-0004 --outcome agreed
check_refused 3 'needs the secretary role' 'a drafter may not update actions' \
    dipb action SCS-0001 1 --done

as secretary
check_refused 3 'needs the reviewer role' 'a secretary may not endorse' \
    dipb review IC-0002 --endorse
check_refused 3 'needs the drafter role' 'a secretary may not recommend' \
    dipb recommend --wg industrial-capacity --title T --summary S
check_refused 3 'needs the chair role' 'a secretary may not change dipb.yaml' \
    env EDITOR=true dipb edit --board
as chair
check_refused 3 'needs the reviewer role' 'the chair may not endorse' \
    dipb review IC-0002 --endorse

# --- a drafter outside their working group ------------------------------------------------
as icdrafter
check_refused 3 'drafter' \
    'an industrial-capacity drafter may not recommend for supply-chain-security' \
    dipb recommend --wg supply-chain-security --title T --summary S
check_refused 3 'drafter' \
    'an industrial-capacity drafter may not recommend for standardisation-interoperability' \
    dipb recommend --wg standardisation-interoperability --title T --summary S
check_refused 3 'drafter' \
    '... even with --from a file of another group' \
    dipb recommend --from "$TROOT/with-action.yaml" --no-edit
as drafter
mkrec supply-chain-security 'SCS draft' >/dev/null	# SCS-0002
as icdrafter
sedit recommendations/SCS-0002.yaml 's/^title: .*/title: Out-of-group edit/'
check_refused 3 'drafter' \
    'an industrial-capacity drafter may not edit an SCS draft' \
    dipb edit SCS-0002 --no-edit
git checkout -q -- recommendations/SCS-0002.yaml
check_refused 3 'drafter' \
    'an industrial-capacity drafter may not request review of an SCS draft' \
    dipb review SCS-0002 --request
check_refused 3 '' \
    'a drafter of another group may not withdraw a draft' \
    dipb withdraw SCS-0002 -m 'No.'
as rev3
check_refused 3 '' \
    'a drafter of the group may not withdraw a draft they did not write' \
    dipb withdraw SCS-0002 -m 'No.'

# --- what they may do ---------------------------------------------------------------------
as icdrafter
check_change IC-0006/1-drafted 'none -> draft' 'IC-0006: drafted by Ida Drafter' \
    dipb recommend --wg industrial-capacity --title 'In my group' --summary S
as rev3		# drafts for supply-chain-security
check_change SCS-0003/1-drafted 'none -> draft' 'SCS-0003: drafted by Roza Reviewer' \
    dipb recommend --wg supply-chain-security --title 'A reviewer who drafts' \
    --summary S
check_refused 3 'drafter' \
    '... but not for industrial-capacity' \
    dipb recommend --wg industrial-capacity --title T --summary S
as chair
check_change IC-0003/5-submitted 'endorsed -> submitted' '' \
    dipb submit IC-0003 --reference REF-2
check_change IC-0004/6-decided 'submitted -> decided' '' \
    dipb decide IC-0004 --outcome noted
check_change SCS-0001/7-action-updated 'decided -> decided' \
    'SCS-0001: action 1 done' dipb action SCS-0001 1 --done

# The chair changes dipb.yaml through the editor.
cat >"$TROOT/ed-board" <<'ED'
#!/bin/sh
sed 's/^board: .*/board: Renamed Production Board/' "$1" >"$1.tmp" &&
    cat "$1.tmp" >"$1" && rm -f "$1.tmp"
ED
chmod +x "$TROOT/ed-board"
check_change board/2-changed '' 'board: changed by Clara Chair' \
    env EDITOR="$TROOT/ed-board" dipb edit --board
check_out 'the commit changes dipb.yaml' dipb.yaml \
    git diff-tree --no-commit-id --name-only -r HEAD
check_out 'no Dipb-Status trailer on board changes' '' trailer Dipb-Status
check_file_has 'the board is renamed' dipb.yaml '^board: Renamed Production Board$'

check_fsck
check_history 'every commit has one tag, every tag is on the branch'
finish

#!/bin/sh
# tests/cli/lifecycle.sh - dipb submit, decide, action and withdraw: the
# end of the workflow, with its refusals.
. "$(dirname "$0")/lib.sh"
# fsync on, as a user has it: this script's writing commands run the fsync
# path that lib.sh turns off for the others.
DIPB_FSYNC=1

cat >"$TROOT/draft.yaml" <<'YAML'
title: Multi-year framework contracts for 155 mm ammunition
working_group: industrial-capacity
classification: NATO UNCLASSIFIED
priority: high
topics: [ammunition, surge-capacity]
summary: |
  Replace annual orders with five-year framework contracts.
actions:
  - text: Publish a ten-year demand signal.
    owner: National Armaments Directors
    due: 2026-09-30
  - text: Agree a model framework contract.
    owner: Industrial Capacity working group
    due: 2026-12-31
  - text: Report call-offs annually.
    owner: Board secretariat
YAML

new_board
as drafter
at 2026-02-02
run dipb recommend --from "$TROOT/draft.yaml" --no-edit	# IC-0001
mkrec industrial-capacity 'Still a draft' >/dev/null	# IC-0002
mkrec industrial-capacity 'Endorsed' >/dev/null		# IC-0003
mkrec supply-chain-security 'Endorsed too' >/dev/null	# SCS-0001
for id in IC-0001 IC-0003 SCS-0001; do
	drive "$id" endorsed
done

# --- submit -----------------------------------------------------------------------------
as secretary
check_refused 1 \
    'dipb: IC-0002 is draft: cannot submit (allowed: edit, review --request, withdraw; by you: withdraw)' \
    'submitting a draft: exit 1, naming the status, the moves allowed and those the secretary may make' \
    dipb submit IC-0002
at 2026-05-02
check_change IC-0001/5-submitted 'endorsed -> submitted' \
    'IC-0001: submitted to National Armaments Directors (CNAD-2026-05)' \
    dipb submit IC-0001 --reference CNAD-2026-05
check_eq 'status submitted' submitted "$(status_of IC-0001)"
check_eq 'submission date' 2026-05-02 "$(jshow IC-0001 "d['submission']['date']")"
check_eq 'submission to (submit_to of dipb.yaml)' 'National Armaments Directors' \
    "$(jshow IC-0001 "d['submission']['to']")"
check_eq 'submission reference' CNAD-2026-05 \
    "$(jshow IC-0001 "d['submission']['reference']")"
check_refused 1 'IC-0001 is submitted' 'submitting twice: exit 1' \
    dipb submit IC-0001
# The reference and the addressee are one line each: in the record
# (dipb-validate(1), control-character) and in the commit's subject.
check_refused 2 '--reference: control character U+000A at character 5' \
    'a reference of two lines: exit 2, naming the character' \
    dipb submit IC-0003 --reference "$(printf 'REF-\nX')"
check_refused 2 '--to: control character U+001B at character 4' \
    'an addressee with ESC: exit 2, naming the character' \
    dipb submit IC-0003 --to "$(printf 'NAD\033[2J')"
check_refused 2 '--to and --reference must be UTF-8 text, not empty or blanks only' \
    'a reference of blanks: exit 2, nothing written' \
    dipb submit IC-0003 --reference '   '

# Several ids: every one is checked before the first commit.
check_refused 1 'IC-0002 is draft' \
    'submit of an endorsed and a draft record: exit 1, nothing written' \
    dipb submit IC-0003 IC-0002
check_eq 'the endorsed one is still endorsed' endorsed "$(status_of IC-0003)"

snapshot
run dipb submit IC-0003 SCS-0001 --to 'Conference of National Armaments Directors'
cp "$ERR" "$TROOT/submit.err"
check_eq 'submit of two ids: exit 0' 0 "$RC"
check_out 'two commits' 2 git rev-list --count "$S_HEAD..HEAD"
check_out 'two tags' "$(printf 'IC-0003/5-submitted\nSCS-0001/5-submitted')" \
    sh -c "git tag -l | comm -13 '$TROOT/tags.before' -"
check_file_has 'stderr names the first tag' "$TROOT/submit.err" \
    '^IC-0003/5-submitted$'
check_file_has 'stderr names the second tag' "$TROOT/submit.err" \
    '^SCS-0001/5-submitted$'
for t in IC-0003/5-submitted SCS-0001/5-submitted; do
	check_out "$t: one file" "recommendations/${t%%/*}.yaml" \
	    git diff-tree --no-commit-id --name-only -r "$t"
	check_out "$t: annotated, by the secretary" 'tag <secretary@example.org>' \
	    git for-each-ref --format='%(objecttype) %(taggeremail)' "refs/tags/$t"
	check_out "$t: trailers" "$(printf '%s\nsubmitted\nendorsed -> submitted' "${t%%/*}")" \
	    git log -1 --format='%(trailers:key=Dipb-Record,valueonly)%(trailers:key=Dipb-Event,valueonly)%(trailers:key=Dipb-Status,valueonly)' "$t"
done
check_eq 'the last commit is the branch tip' "$(git rev-parse 'SCS-0001/5-submitted^{commit}')" \
    "$(git rev-parse HEAD)"
check_out '--to TEXT' 'IC-0003: submitted to Conference of National Armaments Directors (TB-2026-05-02)' \
    git log -1 --format=%s IC-0003/5-submitted
check_eq 'the default reference is SHORT_NAME-DATE' TB-2026-05-02 \
    "$(jshow IC-0003 "d['submission']['reference']")"
check_out 'git status --porcelain is empty' '' git status --porcelain

# --- decide ----------------------------------------------------------------------------
check_refused 1 'IC-0002 is draft' 'deciding a draft: exit 1' \
    dipb decide IC-0002 --outcome agreed
check_refused 2 '' 'an unknown outcome: exit 2' \
    dipb decide IC-0001 --outcome approved
check_refused 2 '' 'no outcome: exit 2' dipb decide IC-0001
at 2026-06-12
check_change IC-0001/6-decided 'submitted -> decided' 'IC-0001: decided: agreed' \
    dipb decide IC-0001 --outcome agreed -m 'Agreed by the Directors.' \
    -m 'Funding from 2027.'
check_eq 'status decided' decided "$(status_of IC-0001)"
check_eq 'decision outcome' agreed "$(jshow IC-0001 "d['decision']['outcome']")"
check_eq 'decision date' 2026-06-12 "$(jshow IC-0001 "d['decision']['date']")"
# Every -m a paragraph, as git commit -m (git-commit(1)).
check_eq 'decision note: both -m, a paragraph each' \
    "$(printf 'Agreed by the Directors.\n\nFunding from 2027.')" \
    "$(jshow IC-0001 "d['decision']['note']")"
check 'the committed record holds both' \
    sh -c 'git cat-file blob HEAD:recommendations/IC-0001.yaml |
	grep -A 3 -F "Agreed by the Directors." | grep -q -F "Funding from 2027."'
check_eq 'the note is in the commit body, both paragraphs' \
    "$(printf 'Agreed by the Directors.\n\nFunding from 2027.')" \
    "$(git log -1 --format=%b | sed '/^[A-Za-z-]*: /,$d')"
check_refused 1 'IC-0001 is decided' 'deciding twice: exit 1' \
    dipb decide IC-0001 --outcome noted
check_change IC-0003/6-decided 'submitted -> decided' 'IC-0003: decided: deferred' \
    dipb decide IC-0003 --outcome deferred
check_refused 1 'recommendations/IC-0003.yaml: nothing to record' \
    'deferred again, the same day and note: nothing to record, exit 1' \
    dipb decide IC-0003 --outcome deferred
check_change SCS-0001/6-decided 'submitted -> decided' 'SCS-0001: decided: declined' \
    dipb decide SCS-0001 --outcome declined -m 'Declined: national schemes suffice.'

# --- action ------------------------------------------------------------------------------
at 2026-09-01
check_change IC-0001/7-action-updated 'decided -> decided' 'IC-0001: action 1 done' \
    dipb action IC-0001 1 --done -m 'Demand signal published.' \
    -m 'See the notice.'
check_eq 'action 1 is done, the others open' '["done", "open", "open"]' \
    "$(jshow IC-0001 "[a['state'] for a in d['actions']]")"
check_eq 'the comment is in the commit body, each -m a paragraph' \
    "$(printf 'Demand signal published.\n\nSee the notice.')" \
    "$(git log -1 --format=%b | sed '/^[A-Za-z-]*: /,$d')"
check_change IC-0001/8-action-updated 'decided -> decided' 'IC-0001: action 2 dropped' \
    dipb action IC-0001 2 --dropped
check_change IC-0001/9-action-updated 'decided -> decided' 'IC-0001: action 1 open' \
    dipb action IC-0001 1 --open
check_eq 'states now open, dropped, open' '["open", "dropped", "open"]' \
    "$(jshow IC-0001 "[a['state'] for a in d['actions']]")"
check_change IC-0001/10-action-updated 'decided -> decided' 'IC-0001: action 3 done' \
    dipb action IC-0001 3 --done
check_eq 'the action text is kept' 'Report call-offs annually.' \
    "$(jshow IC-0001 "d['actions'][2]['text']")"
check_eq 'the record is otherwise unchanged: still decided' decided \
    "$(status_of IC-0001)"
check_refused nonzero '' 'action 0 is refused' dipb action IC-0001 0 --done
check_refused nonzero '' 'action 4 of 3 is refused' dipb action IC-0001 4 --done
check_refused 2 '' 'no --done/--dropped/--open: exit 2' dipb action IC-0001 1
check_refused 2 '' '--done and --dropped: exit 2' \
    dipb action IC-0001 1 --done --dropped
mkrec_as() { (as drafter; mkrec "$@"); }
mkrec_as industrial-capacity 'Action on a draft' >/dev/null	# IC-0004
check_refused 1 'IC-0004 is draft' 'action on a draft: exit 1' \
    dipb action IC-0004 1 --done

# --- withdraw ------------------------------------------------------------------------------
mkrec_as industrial-capacity 'In review' >/dev/null	# IC-0005
drive IC-0005 in-review
mkrec_as industrial-capacity 'Returned' >/dev/null	# IC-0006
drive IC-0006 returned
mkrec_as industrial-capacity 'Endorsed' >/dev/null	# IC-0007
drive IC-0007 endorsed
mkrec_as industrial-capacity 'Submitted' >/dev/null	# IC-0008
drive IC-0008 submitted

as secretary
at 2026-07-01
# A reason of blanks is no reason (as action --due's, dipb-action(1)).
check_refused 2 '-m TEXT, the reason, is required' \
    'withdraw with a blank reason: exit 2, nothing written' \
    dipb withdraw IC-0004 -m '  
'
check_change IC-0004/2-withdrawn 'draft -> withdrawn' 'IC-0004: withdrawn by Sam Secretary' \
    dipb withdraw IC-0004 -m 'Superseded by IC-0001.' -m 'Merged there.'
check_eq 'status withdrawn' withdrawn "$(status_of IC-0004)"
check_eq 'withdrawal reason: both -m, a paragraph each' \
    "$(printf 'Superseded by IC-0001.\n\nMerged there.')" \
    "$(jshow IC-0004 "d['withdrawal']['reason']")"
check_eq 'withdrawal by' secretary@example.org \
    "$(jshow IC-0004 "d['withdrawal']['by']")"
check_eq 'withdrawal date' 2026-07-01 "$(jshow IC-0004 "d['withdrawal']['date']")"
check 'the reason is in the commit body' \
    sh -c 'git log -1 --format=%b | grep -q -F "Superseded by IC-0001."'
check_change IC-0005/3-withdrawn 'in-review -> withdrawn' '' \
    dipb withdraw IC-0005 -m 'Overtaken by events.'
check_change IC-0006/4-withdrawn 'returned -> withdrawn' '' \
    dipb withdraw IC-0006 -m 'Overtaken by events.'
as chair
check_change IC-0007/5-withdrawn 'endorsed -> withdrawn' \
    'IC-0007: withdrawn by Clara Chair' \
    dipb withdraw IC-0007 -m 'The chair withdraws it.'
as secretary
check_refused 1 'IC-0008 is submitted' 'withdrawing a submitted record: exit 1' \
    dipb withdraw IC-0008 -m 'Too late.'
check_refused 1 'IC-0001 is decided' 'withdrawing a decided record: exit 1' \
    dipb withdraw IC-0001 -m 'Too late.'
check_refused 1 'IC-0004 is withdrawn' 'withdrawing twice: exit 1' \
    dipb withdraw IC-0004 -m 'Again.'
check_refused 2 '' 'withdraw without -m: exit 2' dipb withdraw IC-0008

# The author may withdraw their own recommendation.
as drafter
mkrec industrial-capacity 'Mine' >/dev/null	# IC-0009
check_change IC-0009/2-withdrawn 'draft -> withdrawn' 'IC-0009: withdrawn by Dan Drafter' \
    dipb withdraw IC-0009 -m 'I withdraw my draft.'

# Nothing moves a withdrawn record.
check_refused 1 'IC-0004 is withdrawn' 'review --request of a withdrawn record: exit 1' \
    dipb review IC-0004 --request
sedit recommendations/IC-0004.yaml 's/^title: .*/title: Revived/'
check_refused 1 'IC-0004 is withdrawn' 'edit of a withdrawn record: exit 1' \
    dipb edit IC-0004 --no-edit
git checkout -q -- recommendations/IC-0004.yaml

# --- the actions of a noted decision -------------------------------------------------
# A noted decision is in force, as an agreed one: its actions are tracked
# and move (dipb-workflow(7), dipb-action(1)); a declined one's do not.
as drafter
run dipb recommend --from "$TROOT/draft.yaml" --no-edit	# IC-0010
drive IC-0010 submitted
as secretary
check_change IC-0010/6-decided 'submitted -> decided' 'IC-0010: decided: noted' \
    dipb decide IC-0010 --outcome noted
run dipb report actions --format json
check_eq 'report actions: the three actions of the noted decision are open' \
    '1 2 3' "$(python3 -c '
import json, sys
print(*sorted(a["action"] for a in json.load(open(sys.argv[1]))["actions"]
    if a["record"] == "IC-0010"))' "$OUT" 2>&1)"
check_change IC-0010/7-action-updated 'decided -> decided' 'IC-0010: action 1 done' \
    dipb action IC-0010 1 --done
check_change IC-0010/8-action-rescheduled 'decided -> decided' \
    'IC-0010: action 2 due 2027-03-31, was 2026-12-31' \
    dipb action IC-0010 2 --due 2027-03-31 \
    --reason 'The model contract waits on the nations.'
check_eq 'a noted decision'"'"'s actions move: done, open, open' \
    '["done", "open", "open"]' \
    "$(jshow IC-0010 "[a['state'] for a in d['actions']]")"
check_refused 1 'dipb: SCS-0001 is decided (declined): cannot action' \
    'action on a declined decision: exit 1' dipb action SCS-0001 1 --done

check_fsck
check_history 'every commit has one tag, every tag is on the branch'
finish

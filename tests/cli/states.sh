#!/bin/sh
# tests/cli/states.sh - the states a clone can be in besides its ordinary
# one (dipb-git(7)): an operation of git's in progress (a merge, both
# kinds of rebase, a cherry-pick, a revert, 'git am', a bisect), where
# every writing command refuses, naming it and how to end it, and every
# reading command works; a shallow clone, where writing commands refuse
# before anything and reading commands read what is there; and a review
# given with --expect, recorded only of the version read.
. "$(dirname "$0")/lib.sh"

cat >"$TROOT/draft.yaml" <<'YAML'
title: Framework contracts
working_group: industrial-capacity
classification: NATO RESTRICTED
summary: |
  Five-year framework contracts.
actions:
  - text: Publish a demand signal.
    owner: National Armaments Directors
YAML

# The clean board: docs/papers.txt for git's conflicts; IC-0001 decided
# (an action, NATO RESTRICTED), IC-0002 a draft, IC-0003 endorsed,
# IC-0004 submitted, IC-0005 in review; a branch 'other' that changes docs/papers.txt its
# own way, and main that changes it too.
new_board clean
CLEAN=$BOARD
mkdir docs
printf 'Papers.\n' >docs/papers.txt
git add docs && git commit -q -m 'docs'
as drafter
run dipb recommend --from "$TROOT/draft.yaml" --no-edit	# IC-0001
mkrec industrial-capacity 'A draft' >/dev/null		# IC-0002
mkrec industrial-capacity 'Endorsed' >/dev/null		# IC-0003
mkrec industrial-capacity 'Submitted' >/dev/null	# IC-0004
mkrec industrial-capacity 'In review' >/dev/null	# IC-0005
drive IC-0001 decided
drive IC-0005 in-review
drive IC-0003 endorsed
drive IC-0004 submitted
git checkout -q -b other
printf 'Other papers.\n' >docs/papers.txt
git commit -q -am 'other papers'
git checkout -q main
printf 'Main papers.\n' >docs/papers.txt
git commit -q -am 'main papers'
check_eq 'set-up: the four records in their states' \
    'decided draft endorsed submitted' \
    "$(for i in 1 2 3 4; do status_of IC-000$i; done | tr '\n' ' ' | sed 's/ $//')"

# writes WHAT DESC: every writing command refuses with exit 1, naming WHAT
# (the operation and how to end it), writing nothing; the editor is never
# opened (EDITOR=false would fail otherwise).
writes() {
	st_w=$1 st_s=$2
	if [ "${ALL:-0}" = 0 ]; then
		writes_some "$st_w" "$st_s"
		return
	fi
	as drafter
	check_refused 1 "$st_w" "$st_s: recommend refused" \
	    dipb recommend --wg industrial-capacity --title New --no-edit \
	    --summary S
	check_refused 1 "$st_w" "$st_s: recommend (the editor) refused first" \
	    dipb recommend --wg industrial-capacity --title New --summary S
	check_refused 1 "$st_w" "$st_s: edit --no-edit refused" \
	    dipb edit IC-0002 --no-edit
	check_refused 1 "$st_w" "$st_s: edit (the editor) refused first" \
	    dipb edit IC-0002
	check_refused 1 "$st_w" "$st_s: review --request refused" \
	    dipb review IC-0002 --request
	check_refused 1 "$st_w" "$st_s: withdraw refused" \
	    dipb withdraw IC-0002 -m 'No longer.'
	as chair
	check_refused 1 "$st_w" "$st_s: edit --board refused" \
	    dipb edit --board --no-edit
	check_refused 1 "$st_w" "$st_s: declassify refused" \
	    dipb declassify IC-0001 'NATO UNCLASSIFIED'
	as secretary
	check_refused 1 "$st_w" "$st_s: submit refused" dipb submit IC-0003
	check_refused 1 "$st_w" "$st_s: decide refused" \
	    dipb decide IC-0004 --outcome agreed
	check_refused 1 "$st_w" "$st_s: action refused" dipb action IC-0001 1 --done
	as rev3
	check_refused 1 "$st_w" "$st_s: review --endorse refused" \
	    dipb review IC-0005 --endorse
}

# writes_some WHAT DESC: writes' checks, three of them (the commands all
# open the repository the same way): a new record (before its editor),
# an edit (before its editor), a review.
writes_some() {
	as drafter
	check_refused 1 "$1" "$2: recommend (the editor) refused first" \
	    dipb recommend --wg industrial-capacity --title New --summary S
	check_refused 1 "$1" "$2: edit (the editor) refused first" \
	    dipb edit IC-0002
	as rev3
	check_refused 1 "$1" "$2: review --endorse refused" \
	    dipb review IC-0005 --endorse
}

# reads DESC [ID]: every reading command works (exit 0, not a word of a
# detached HEAD), and reads the branch: show prints the tip's record.
reads() {
	st_s=$1
	st_c="'list' 'show IC-0002' 'log IC-0001' 'verify' 'validate'"
	[ "${ALL:-0}" = 0 ] || st_c="$st_c 'show IC-0001 --format json' 'log' 'report status' 'report minutes' 'allowed-signers'"
	eval "set -- $st_c"
	for _c do
		# shellcheck disable=SC2086
		run dipb $_c
		if [ "$RC" -eq 0 ] && ! grep -q 'detached: check out' "$ERR"; then
			ok "$st_s: dipb $_c works"
		else
			not_ok "$st_s: dipb $_c works" "$(_said dipb $_c)"
		fi
	done
	check_eq "$st_s: show reads the branch's record" 'A draft' \
	    "$(field IC-0002 title)"
}

# --- the control: every writing command works in the clean board ------------
scenario control
as drafter
check 'control: recommend works' dipb recommend --wg industrial-capacity \
    --title New --no-edit --summary S
sedit recommendations/IC-0002.yaml 's/^title: .*/title: Edited/'
check 'control: edit --no-edit works' dipb edit IC-0002 --no-edit
check 'control: review --request works' dipb review IC-0002 --request
check 'control: withdraw works' dipb withdraw IC-0006 -m 'No longer.'
as chair
sedit dipb.yaml 's/^board: .*/board: Renamed/'
check 'control: edit --board works' dipb edit --board --no-edit
check 'control: declassify works' dipb declassify IC-0001 'NATO UNCLASSIFIED'
as secretary
check 'control: submit works' dipb submit IC-0003
check 'control: decide works' dipb decide IC-0004 --outcome agreed
check 'control: action works' dipb action IC-0001 1 --done
as rev3
check 'control: review --endorse works' dipb review IC-0005 --endorse
check_git_agrees 'control: git agrees'

# --- a merge with a conflict ---------------------------------------------------
scenario merge
git merge -q other >/dev/null 2>&1
if [ -f .git/MERGE_HEAD ]; then
	ALL=1; writes "a merge is in progress: finish it with 'git commit' or abort it with 'git merge --abort'" 'merge'; ALL=0
	ALL=1; reads 'merge'; ALL=0
	git merge --abort
	as drafter
	check 'merge aborted: a change works again' dipb review IC-0002 --request
else
	skip 'merge in progress' 'git merge made no MERGE_HEAD'
fi

# --- a rebase with a conflict (the merge backend: git rebase, pull --rebase) --
scenario rebase
git checkout -q other
git rebase main >/dev/null 2>&1
if [ -d .git/rebase-merge ]; then
	writes "a rebase is in progress: finish it with 'git rebase --continue' or abort it with 'git rebase --abort'" 'rebase (merge backend)'
	ALL=1; reads 'rebase (merge backend)'; ALL=0
	check_err 'rebase: reading says which branch it reads' \
	    'a rebase is in progress, HEAD detached: reading other as it was before it began'
	git rebase --abort
else
	skip 'rebase (merge backend)' 'git rebase did not stop'
fi

# --- git rebase --apply (rebase-apply/) ------------------------------------------
scenario rebase-apply
git checkout -q other
git rebase --apply main >/dev/null 2>&1
if [ -d .git/rebase-apply ]; then
	writes "a rebase is in progress: finish it with 'git rebase --continue'" 'rebase --apply'
	reads 'rebase --apply'
	git rebase --abort
else
	skip 'rebase --apply' 'git rebase --apply did not stop'
fi

# --- an interactive rebase stopped at 'edit', no conflict ----------------------
scenario rebase-edit
GIT_SEQUENCE_EDITOR='sed -i 1s/^pick/edit/' git rebase -q -i HEAD~2 \
    >/dev/null 2>&1
if [ -d .git/rebase-merge ]; then
	writes "a rebase is in progress" 'rebase -i at edit'
	reads 'rebase -i at edit'
	git rebase --abort
else
	skip 'rebase -i at edit' 'git rebase -i did not stop'
fi

# --- a cherry-pick with a conflict ---------------------------------------------
scenario cherry-pick
git cherry-pick other >/dev/null 2>&1
if [ -f .git/CHERRY_PICK_HEAD ]; then
	writes "a cherry-pick is in progress: finish it with 'git cherry-pick --continue' or abort it with 'git cherry-pick --abort'" 'cherry-pick'
	reads 'cherry-pick'
	# Resolved by hand and committed: the sequence of two goes on.
	git cherry-pick --abort
else
	skip 'cherry-pick' 'git made no CHERRY_PICK_HEAD'
fi

# --- 'git cherry-pick A B', A's conflict committed by hand: B still to pick ---
scenario cherry-pick-sequence
git checkout -q -b more other
printf 'More.\n' >docs/more.txt
git add docs/more.txt && git commit -q -m 'more'
git checkout -q main
git cherry-pick other more >/dev/null 2>&1
printf 'Resolved.\n' >docs/papers.txt
git add docs/papers.txt
git commit -q --no-edit >/dev/null 2>&1
if [ -f .git/sequencer/todo ] && [ ! -f .git/CHERRY_PICK_HEAD ]; then
	as drafter
	check_refused 1 "git cherry-pick --continue" \
	    'cherry-pick sequence between picks: review refused' \
	    dipb review IC-0002 --request
	git cherry-pick --quit
	check 'cherry-pick sequence ended (--quit): a change works again' \
	    dipb review IC-0002 --request
else
	skip 'cherry-pick sequence' 'git left no sequencer/todo'
fi

# --- a revert with a conflict -------------------------------------------------
scenario revert
printf 'Later papers.\n' >docs/papers.txt
git commit -q -am 'later papers'
git revert --no-edit HEAD~1 >/dev/null 2>&1
if [ -f .git/REVERT_HEAD ]; then
	writes "a revert is in progress: finish it with 'git revert --continue' or abort it with 'git revert --abort'" 'revert'
	reads 'revert'
	git revert --abort
else
	skip 'revert' 'git made no REVERT_HEAD'
fi

# --- git am with a conflict ---------------------------------------------------
scenario am
git format-patch -q -1 other -o "$TROOT/patches"
git am "$TROOT"/patches/*.patch >/dev/null 2>&1
if [ -d .git/rebase-apply ]; then
	writes "'git am' is in progress: finish it with 'git am --continue' or abort it with 'git am --abort'" 'git am'
	reads 'git am'
	git am --abort
else
	skip 'git am' 'git am did not stop'
fi

# --- a bisect, HEAD detached at an older commit -------------------------------
scenario bisect
git bisect start HEAD HEAD~6 >/dev/null 2>&1
if [ -f .git/BISECT_LOG ]; then
	writes "a bisect is in progress: end it with 'git bisect reset'" 'bisect'
	reads 'bisect'
	git bisect reset >/dev/null 2>&1
else
	skip 'bisect' 'git made no BISECT_LOG'
fi

# --- a detached HEAD, no operation in progress (a CI job's checkout) ---------
# A state the user ends with git, as an operation in progress: every
# writing command refuses with exit 1 (dipb(1), EXIT STATUS), not 5.
scenario detached
git checkout -q --detach
ALL=1; writes 'HEAD is detached: check out a branch first' 'detached HEAD'; ALL=0
as chair
check_refused 1 'HEAD is detached' 'detached HEAD: meeting refused' \
    dipb meeting --attendee chair@example.org
check_refused 1 'HEAD is detached' 'detached HEAD: migrate refused' \
    dipb migrate --layout sharded
reads 'detached HEAD'
git checkout -q main

# --- the issue's story: two drafters, one id; git pull --rebase stops -------
cd "$TROOT" && git clone -q --bare "$CLEAN" server.git
git clone -q server.git one && git clone -q server.git two
cd "$TROOT/one" && as drafter
mkrec industrial-capacity 'From one' >/dev/null
git push -q --follow-tags origin main
cd "$TROOT/two" && as drafter
mkrec industrial-capacity 'From two' >/dev/null
git pull -q --rebase >/dev/null 2>&1
if [ -d .git/rebase-merge ]; then
	ok 'pull --rebase: two IC-0006s stop the rebase (add/add)'
	ALL=1; writes "a rebase is in progress: finish it with 'git rebase --continue' or abort it with 'git rebase --abort'" 'pull --rebase'; ALL=0
	reads_story() {
		for _c in 'list' 'show IC-0006' 'log IC-0006' 'verify' \
		    'report status'; do
			# shellcheck disable=SC2086
			check "pull --rebase: dipb $_c works" dipb $_c
		done
	}
	reads_story
	check_eq 'pull --rebase: show reads the local branch, as before' \
	    'From two' "$(dipb show IC-0006 --format json 2>/dev/null |
	    python3 -c 'import json,sys; print(json.load(sys.stdin)["title"])')"
	check_status 1 'pull --rebase: validate reads the conflicted file' \
	    dipb validate recommendations/IC-0006.yaml
	check_file_has 'pull --rebase: validate names it' "$OUT" 'IC-0006.yaml'
	git rebase --abort
	check_git_agrees 'pull --rebase aborted: git agrees'
else
	skip 'pull --rebase' 'git pull --rebase did not stop'
fi

# --- shallow clones -------------------------------------------------------------
# shallow NAME DESC GIT-CLONE-OPTIONS...: a clone of the server with the
# options, where writing commands refuse and reading commands read.
shallow() {
	sh_n=$1 sh_s=$2
	shift 2
	cd "$TROOT" && git clone -q "$@" "file://$TROOT/server.git" "$sh_n" &&
	    cd "$sh_n" || return 1
	writes "this is a shallow clone (a clone with --depth): the history and the tags past its end are not here, so a change's tag number cannot be known; 'git fetch --unshallow --tags' fetches them" "$sh_s"
	for _c in 'list' 'show IC-0002' 'show IC-0001 --format yaml' \
	    'validate' 'report status'; do
		# shellcheck disable=SC2086
		check "$sh_s: dipb $_c works" dipb $_c
	done
	check_status 5 "$sh_s: dipb verify refuses to judge a cut history" \
	    dipb verify
	check_err "$sh_s: verify says the history is shallow and what to do" \
	    "git fetch --unshallow"
	check_eq "$sh_s: no finding for the cut" 0 \
	    "$(grep -c -E '\[[a-z-]+\]$' "$ERR")"
}
shallow shallow-tags 'shallow clone --depth 3' --depth 3
check_eq 'shallow clone --depth 3 has some tags (those of its commits)' yes \
    "$([ "$(git tag -l | wc -l)" -gt 0 ] && echo yes || echo no)"
check 'shallow clone: git fetch --unshallow' git fetch -q --unshallow --tags
as drafter
check_change IC-0002/2-review-requested 'draft -> in-review' '' \
    dipb review IC-0002 --request
check_git_agrees 'shallow clone unshallowed: a change numbered right, git agrees'
shallow shallow-notags 'shallow clone --depth 1 --no-tags' --depth 1 --no-tags
check_eq 'shallow clone --no-tags has no tag' 0 "$(git tag -l | wc -l)"

# --- review --expect: only the version read is endorsed -------------------------
cd "$TROOT" && rm -rf server.git one two
git clone -q --bare "$CLEAN" server.git
git clone -q server.git drafter && git clone -q server.git reviewer
cd "$TROOT/drafter" && as drafter
check 'expect: the drafter asks for review' dipb review IC-0002 --request
git push -q --follow-tags origin main
cd "$TROOT/reviewer" && git pull -q --ff-only
run dipb show IC-0002
READ=$(sed -n '1s/^# fingerprint: \([0-9a-f]\{8\}\)$/\1/p' "$OUT")
check_eq 'show: the first line is the fingerprint, a YAML comment' yes \
    "$([ -n "$READ" ] && echo yes || echo no)"
check_eq 'show: the rest is the file as it is' "$(cat recommendations/IC-0002.yaml)" \
    "$(sed 1d "$OUT")"
check_eq 'show --format json: "fingerprint"' "$READ" \
    "$(jshow IC-0002 'd["fingerprint"]')"
for f in markdown html; do
	run dipb show IC-0002 --format $f
	check_file_has "show --format $f: the fingerprint" "$OUT" "$READ"
done
run sh -c 'dipb show IC-0002 >recommendations/IC-0002.yaml && dipb validate'
check_eq 'show >file; validate: the comment keeps the record valid' 0 "$RC"
git checkout -q recommendations/IC-0002.yaml
# The reviewer endorses; their push is refused: meanwhile another reviewer
# asked for changes, and the drafter changed the text and asked again.
as rev1
check_change IC-0002/3-reviewed 'in-review -> in-review' '' \
    dipb review IC-0002 --endorse --expect "$READ"
check_eq 'expect: the review stores the fingerprint shown' "$READ" \
    "$(sed -n 's/^    fingerprint: //p' recommendations/IC-0002.yaml)"
cd "$TROOT/drafter" && as rev2
check 'expect: another reviewer asks for changes' \
    dipb review IC-0002 --request-changes -m 'More evidence.'
as drafter
sedit recommendations/IC-0002.yaml 's/^title: .*/title: Changed meanwhile/'
check 'expect: the drafter edits' dipb edit IC-0002 --no-edit
check 'expect: and asks for review again' dipb review IC-0002 --request
git push -q --atomic --follow-tags origin main
NOW=$(dipb show IC-0002 | sed -n '1s/^# fingerprint: //p')
cd "$TROOT/reviewer" && as rev1
check_status 1 'expect: the reviewer'"'"'s push is refused (not a fast-forward)' \
    git push -q --atomic --follow-tags origin main
git fetch -q origin && git reset -q --hard origin/main
git tag -d IC-0002/3-reviewed >/dev/null
git fetch -q --tags origin
check_refused 1 "dipb: IC-0002 changed since it was read: its fingerprint is now $NOW, not $READ (--expect); read it again (dipb show IC-0002) and review what it says now" \
    'expect: the same endorsement, given again, is refused naming both fingerprints' \
    dipb review IC-0002 --endorse --expect "$READ"
check_refused 1 "read it again (dipb show IC-0002)" \
    'expect: --request-changes likewise' \
    dipb review IC-0002 --request-changes --expect "$READ" -m 'No.'
check_refused 1 "$NOW, not $READ" 'expect: --object likewise' \
    dipb review IC-0002 --object --expect "$READ" -m 'No.'
check_refused 2 '--expect takes the fingerprint' \
    'expect: a malformed fingerprint is a usage error' \
    dipb review IC-0002 --endorse --expect 12345
check_refused 2 '--expect takes the fingerprint' \
    'expect: nine digits are a usage error' \
    dipb review IC-0002 --endorse --expect "${NOW}0"
check_refused 2 '--expect goes with' 'expect: --request --expect is a usage error' \
    dipb review IC-0002 --request --expect "$NOW"
UP=$(printf %s "$NOW" | tr a-f A-F)
check_change IC-0002/6-reviewed 'in-review -> in-review' '' \
    dipb review IC-0002 --endorse --expect "$UP"
check_eq 'expect: the review stores the fingerprint read' "$NOW" \
    "$(jshow IC-0002 '[r["fingerprint"] for r in d["reviews"] if r["reviewer"] == "rita@example.org"][0]')"
check 'expect: the push goes through' \
    git push -q --atomic --follow-tags origin main
check_git_agrees 'expect: git agrees'

finish

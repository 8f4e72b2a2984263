#!/bin/sh
# tests/cli/resync.sh - dipb sync after history rewritten with plain git
# (dipb-sync(1), "REPLAY"; dipb-git(7), "Tag numbers"): a published change
# amended, reworded or filtered is never published twice; an unpublished
# one amended or rebased, whose tag stayed on its old commit, is made
# again under its number; a change numbered where a tag was missing here
# is renumbered, and a writing command refuses to number one so.  One
# board and one bare remote per case; git (tags, log, fsck) and dipb
# verify are the oracle.
. "$(dirname "$0")/lib.sh"

# fresh NAME: a board NAME pushed to the bare repository $TROOT/NAME.git
# ($REMOTE, origin), the drafter acting.
fresh() {
	REMOTE=$TROOT/$1.git
	git init -q --bare "$REMOTE"
	new_board "$1"
	git remote add origin "$REMOTE"
	git push -q -u origin HEAD --follow-tags 2>/dev/null
	as drafter
}

# advice: the command a refusal's way out ends in, after "then retry: ",
# to be run as it is given.
advice() {
	_a=$(sed -n 's/.*, then retry: //p' "$ERR" | head -n 1)
	echo "${_a:-false}"
}

# rtags: the remote's tags, one line.
rtags() { git -C "$REMOTE" tag -l | sort | tr '\n' ' '; }

# at_remote DESC: the clone's branch is the remote's, its tags are the
# remote's, and git and dipb verify agree.
at_remote() {
	check_eq "$1: the clone is at the remote's tip" \
	    "$(git -C "$REMOTE" rev-parse HEAD)" "$(git rev-parse HEAD)"
	check_eq "$1: the clone has the remote's tags" "$(rtags)" \
	    "$(git tag -l | sort | tr '\n' ' ')"
	check_git_agrees "$1: git and dipb verify agree"
}

# refused_after_delete DESC: IC-0001 drafted, its review requested and
# synced, then that request's tag deleted: the next change is refused
# before anything (exit 5), the refusal naming the untagged change, the
# highest tag here and the way out (dipb-git(7), "Tags deleted, or left
# on a rewritten commit").
refused_after_delete() {
	check_out "$1: setup: IC-0001 drafted" IC-0001 \
	    mkrec industrial-capacity 'One'
	check_status 0 "$1: setup: review request" \
	    dipb review IC-0001 --request
	check_status 0 "$1: setup: sync" dipb sync
	git tag -d IC-0001/2-review-requested >/dev/null
	HEAD0=$(git rev-parse HEAD)
	run dipb review IC-0001 --recall -m typo
	check_eq "$1: a change after a deleted tag is refused (exit 5), nothing made" \
	    "5 $HEAD0 " \
	    "$RC $(git rev-parse HEAD) $(git tag -l 'IC-0001/2-*')"
	check_err "$1: the refusal names the untagged change, the highest tag here and the way out" \
	    "IC-0001 changed in $(git rev-parse --short=7 HEAD), after IC-0001/1-drafted ($(git rev-parse --short=7 'IC-0001/1-drafted^{commit}')), its highest tag here, and the tag of that change is missing (deleted, or never fetched), so the next change cannot be numbered; run dipb sync, which fetches the remote's tags and makes a change the remote lacks again, then retry"
}

# --- a published draft amended (reworded), then synced: not published twice
fresh amend
check_out 'amend: setup: IC-0001 drafted' IC-0001 mkrec industrial-capacity 'First'
check_status 0 'amend: setup: sync' dipb sync
BEFORE=$(rtags)
git commit -q --amend -m "$(git log -1 --format=%B | sed 1s/drafted/Drafted/)"
run dipb sync
check_eq 'amend: the reworded published draft lands nowhere (exit 6), no id renumbered' \
    '6 ' "$RC $(cat "$OUT")"
check_err 'amend: dropped as done upstream, naming the published tag' \
    'already done upstream (IC-0001/1-drafted by Dan Drafter)'
check_eq 'amend: the remote has one record' 'recommendations/IC-0001.yaml' \
    "$(git -C "$REMOTE" ls-tree -r --name-only HEAD recommendations)"
check_eq "amend: the remote's tags are as they were" "$BEFORE" "$(rtags)"
at_remote amend
# Its text changed too: dropped, the published tag named, nothing pushed.
sedit recommendations/IC-0001.yaml 's/^title: .*/title: Amended/'
git commit -q -a --amend --no-edit
run dipb sync
check_eq 'amend: a published draft amended with new text: exit 6' 6 "$RC"
check_err 'amend: dropped, naming the published tag and what to do' \
    'IC-0001/1-drafted is published already, and this commit rewrites it (git commit --amend, git rebase): a published change is not made again; make what it changes anew with dipb'
check_eq "amend: the remote's text and tags are as they were" \
    "title: First $BEFORE" \
    "$(git -C "$REMOTE" show HEAD:recommendations/IC-0001.yaml | grep '^title:') $(rtags)"
at_remote 'amend, new text'

# --- published history rewritten by git filter-branch, tags along
fresh filter
check_out 'filter: setup: IC-0001 drafted' IC-0001 mkrec industrial-capacity 'One'
check_out 'filter: setup: IC-0002 drafted' IC-0002 mkrec industrial-capacity 'Two'
check_status 0 'filter: setup: review request' dipb review IC-0001 --request
check_status 0 'filter: setup: sync' dipb sync
BEFORE=$(rtags)
RTIP=$(git -C "$REMOTE" rev-parse HEAD)
ROOT=$(git rev-list --max-parents=0 HEAD)
FILTER_BRANCH_SQUELCH_WARNING=1 git filter-branch -f \
    --msg-filter 'sed "1s/ by / BY /"' --tag-name-filter cat -- \
    "$ROOT..$(git symbolic-ref --short HEAD)" >/dev/null 2>&1
check_eq 'filter: git filter-branch rewrote the three changes and their tags' \
    '3 IC-0001: review requested BY Dan Drafter' \
    "$(git rev-list --count "$ROOT..HEAD") $(git log -1 --format=%s 'IC-0001/2-review-requested^{commit}')"
run dipb sync
check_eq 'filter: none lands (exit 6), no id renumbered' '6 ' \
    "$RC $(cat "$OUT")"
check_eq 'filter: each of the three is dropped as done upstream' 3 \
    "$(grep -c 'already done upstream (IC-000[12]/[0-9]-[a-z-]* by Dan Drafter)$' "$ERR")"
check_eq "filter: the remote's branch and tags are as they were" \
    "$RTIP $BEFORE" "$(git -C "$REMOTE" rev-parse HEAD) $(rtags)"
at_remote filter

# --- an unpublished change amended, the remote unmoved: made again
fresh untagged
check_out 'untagged: setup: IC-0001 drafted' IC-0001 mkrec industrial-capacity 'One'
check_status 0 'untagged: setup: sync' dipb sync
check_status 0 'untagged: setup: review request' dipb review IC-0001 --request
# Its body amended (its subject is dipb's, or verify says subject).
git commit -q --amend -m "$(git log -1 --format=%B |
    awk 'NR == 1 { print; print ""; print "A note."; next } 1')"
run dipb sync
check_eq 'untagged: an amended local change, its tag on the old commit: synced' \
    0 "$RC"
check_err 'untagged: made again under its number' \
    'landed IC-0001/2-review-requested'
check_eq "untagged: the remote's tag is on its tip, the amended change" \
    "$(git -C "$REMOTE" rev-parse HEAD) A note." \
    "$(git -C "$REMOTE" rev-parse 'IC-0001/2-review-requested^{commit}') $(git -C "$REMOTE" log -1 --format=%b | sed -n 1p)"
at_remote untagged
# Rebased with git onto a remote that moved, as sync advises after a
# merge: its tag left behind; made again under its number.
check_status 0 'untagged: setup: review recall' dipb review IC-0001 --recall -m 'Not yet.'
B=$TROOT/untagged-b
check 'untagged: setup: B clones' git clone -q "$REMOTE" "$B"
cd "$B" || exit 1
check_out 'untagged: setup: B drafts IC-0002' IC-0002 \
    mkrec industrial-capacity 'From B'
check_status 0 'untagged: setup: B syncs' dipb sync
cd "$BOARD" || exit 1
check 'untagged: setup: fetched' git fetch -q origin
check 'untagged: setup: rebased with git' git rebase -q '@{u}'
check_eq 'untagged: git rebase left the tag on the old commit' '1 ' \
    "$(git rev-list --count '@{u}..HEAD') $(git tag --points-at HEAD)"
run dipb sync
check_eq 'untagged: the rebased change: synced' 0 "$RC"
check_err 'untagged: the rebased change made again under its number' \
    'landed IC-0001/3-recalled'
check_eq "untagged: the remote's tag is on its tip" \
    "$(git -C "$REMOTE" rev-parse HEAD)" \
    "$(git -C "$REMOTE" rev-parse 'IC-0001/3-recalled^{commit}')"
at_remote 'untagged, rebased'

# --- an unpublished change whose tag was made lightweight: made again
fresh light
check_out 'light: setup: IC-0001 drafted' IC-0001 mkrec industrial-capacity 'One'
check_status 0 'light: setup: sync' dipb sync
check_status 0 'light: setup: review request' dipb review IC-0001 --request
git tag -f IC-0001/2-review-requested HEAD >/dev/null
run dipb sync
check_eq 'light: a change under a lightweight tag: synced' 0 "$RC"
check_err 'light: made again under its number' \
    'landed IC-0001/2-review-requested'
check_eq "light: the remote's tag is annotated, on its tip" \
    "tag $(git -C "$REMOTE" rev-parse HEAD)" \
    "$(git -C "$REMOTE" cat-file -t IC-0001/2-review-requested) $(git -C "$REMOTE" rev-parse 'IC-0001/2-review-requested^{commit}')"
at_remote light

# --- a record's highest tag deleted: the next change is not numbered into it
fresh tagnum
refused_after_delete tagnum
git fetch -q origin 'refs/tags/*:refs/tags/*'
check_status 0 'tagnum: fetched back, the change is made' \
    dipb review IC-0001 --recall -m typo
check_eq 'tagnum: numbered after the tag fetched back' \
    "$(git rev-parse HEAD)" "$(git rev-parse -q --verify 'IC-0001/3-recalled^{commit}')"
# As an older dipb numbered it: IC-0001/2-recalled beside the remote's
# IC-0001/2-review-requested.  Renumbered by the sync, not pushed as it is.
MSG=$(git for-each-ref --format='%(contents)' refs/tags/IC-0001/3-recalled)
git tag -d IC-0001/3-recalled >/dev/null
git tag -d IC-0001/2-review-requested >/dev/null
git tag -a -m "$MSG" IC-0001/2-recalled HEAD
run dipb sync
check_eq 'tagnum: a change numbered 2 where the remote has a 2: synced' 0 "$RC"
check_err 'tagnum: renumbered' 'landed IC-0001/3-recalled'
check_eq "tagnum: the remote's tags: one change a number" \
    'IC-0001/1-drafted IC-0001/2-review-requested IC-0001/3-recalled board/1-created ' \
    "$(rtags)"
check_eq "tagnum: the remote's tip is the recall" \
    "$(git -C "$REMOTE" rev-parse HEAD)" \
    "$(git -C "$REMOTE" rev-parse 'IC-0001/3-recalled^{commit}')"
at_remote tagnum

# The refusal's other way out: the deleted tag of a change the remote
# lacks.  dipb sync makes that change again, under a tag; then the
# command goes.
check_status 0 'tagnum: setup: a review requested again' \
    dipb review IC-0001 --request -m 'Again.'
git tag -d IC-0001/4-review-requested >/dev/null
check_status 5 'tagnum: its tag deleted before the sync: refused' \
    dipb review IC-0001 --recall -m 'No.'
check_status 0 'tagnum: dipb sync, as the refusal says: exit 0' dipb sync
check_err 'tagnum: the untagged change made again under its number' \
    'landed IC-0001/4-review-requested'
check_status 0 'tagnum: retried: the change is made' \
    dipb review IC-0001 --recall -m 'No.'
check_eq 'tagnum: numbered after the change made again' \
    "$(git rev-parse HEAD)" "$(git rev-parse -q --verify 'IC-0001/5-recalled^{commit}')"
check_git_agrees 'tagnum, made again: git and dipb verify agree'

# --- a record changed with plain git: no tag is missing, dipb goes on
fresh plain
check_out 'plain: setup: IC-0001 drafted' IC-0001 mkrec industrial-capacity 'One'
check_status 0 'plain: setup: sync' dipb sync
sedit recommendations/IC-0001.yaml 's/^title: .*/title: Hand edited/'
check 'plain: setup: a hand edit committed with git' \
    git commit -q -a -m 'Hand edit of a title'
check_status 0 'plain: after a plain commit of the record, a review is requested' \
    dipb review IC-0001 --request
check_eq "plain: numbered after the record's tags" \
    "$(git rev-parse HEAD)" \
    "$(git rev-parse -q --verify 'IC-0001/2-review-requested^{commit}')"
check_eq 'plain: the hand edit kept' 'Hand edited' "$(field IC-0001 title)"
# A merge whose record was resolved by hand, the merge's own change.
check 'plain: setup: a branch side' git switch -q -c side
sedit recommendations/IC-0001.yaml 's/^title: .*/title: Side/'
check 'plain: setup: side edits the title' git commit -q -a -m 'Side title'
check 'plain: setup: back on main' git switch -q -
sedit recommendations/IC-0001.yaml 's/^title: .*/title: Main/'
check 'plain: setup: main edits the title' git commit -q -a -m 'Main title'
check_status 1 'plain: setup: the merge conflicts on the record' \
    git merge -q side
sed -e '/^<<<<<<</d' -e '/^=======/d' -e '/^>>>>>>>/d' \
    -e '/^title: Side/d' -e 's/^title: Main/title: Merged/' \
    recommendations/IC-0001.yaml >"$TROOT/merged.yaml"
cp "$TROOT/merged.yaml" recommendations/IC-0001.yaml
check 'plain: setup: the record resolved by hand' \
    git add recommendations/IC-0001.yaml
check 'plain: setup: the merge committed' git commit -q --no-edit
check_eq 'plain: the tip is a merge (two parents), the record resolved' \
    '3 Merged' \
    "$(git rev-list --parents -1 HEAD | wc -w | tr -d ' ') $(field IC-0001 title)"
check_status 0 'plain: after the merge, the review is recalled' \
    dipb review IC-0001 --recall -m 'Merged first.'
check_eq "plain: numbered after the record's tags" \
    "$(git rev-parse HEAD)" \
    "$(git rev-parse -q --verify 'IC-0001/3-recalled^{commit}')"

# --- a sharded board: the refusal and its way out as in the flat layout
fresh sharded
as chair
check_status 0 'sharded: setup: migrated' dipb migrate --layout sharded
as drafter
refused_after_delete sharded
check_status 0 'sharded: dipb sync fetches the tag back' dipb sync
check_eq 'sharded: the tag is back' "$HEAD0" \
    "$(git rev-parse -q --verify 'IC-0001/2-review-requested^{commit}')"
check_status 0 'sharded: retried: the change is made' \
    dipb review IC-0001 --recall -m typo
check_eq 'sharded: numbered after the tag fetched back' \
    "$(git rev-parse HEAD)" "$(git rev-parse -q --verify 'IC-0001/3-recalled^{commit}')"
check_git_agrees 'sharded: git and dipb verify agree'

# --- two clones draft IC-0001 at one second with different texts: renumbered
fresh twins
B=$TROOT/twins-b
check 'twins: setup: B clones' git clone -q "$REMOTE" "$B"
at 2026-06-01
check_out 'twins: A drafts IC-0001' IC-0001 mkrec industrial-capacity 'From A'
check_status 0 'twins: A syncs' dipb sync
cd "$B" || exit 1
check_out 'twins: B drafts IC-0001 at the same second' IC-0001 \
    mkrec industrial-capacity 'From B'
run dipb sync
check_eq "twins: B's draft lands, renumbered" 0 "$RC"
check_err 'twins: as IC-0002' 'landed IC-0002/1-drafted (was IC-0001/1-drafted)'
check_eq 'twins: the remote has both texts' 'title: From A title: From B' \
    "$(git -C "$REMOTE" show HEAD~1:recommendations/IC-0001.yaml | grep '^title:') $(git -C "$REMOTE" show HEAD:recommendations/IC-0002.yaml | grep '^title:')"
at_remote twins
# Two reviews requested at one second, alike but for their messages: two
# changes, B's judged again, not taken for A's.
cd "$BOARD" || exit 1
check_status 0 'twins: setup: A pulls' dipb sync
check_status 0 'twins: A requests a review of IC-0002 with a reason' \
    dipb review IC-0002 --request -m 'A reason.'
check_status 0 'twins: A syncs the request' dipb sync
cd "$B" || exit 1
check_status 0 'twins: B requests it at the same second, with another reason' \
    dipb review IC-0002 --request -m 'B: another reason.'
run dipb sync
check_eq "twins: B's request is dropped (exit 6)" 6 "$RC"
check_err "twins: judged again, not taken for A's" \
    'IC-0002 is in-review upstream (IC-0002/2-review-requested by Dan Drafter)'
check_eq "twins: the remote's request is A's" 'A reason.' \
    "$(git -C "$REMOTE" log -1 --format=%b | sed -n 1p)"
today

# --- another branch's change of the same record and event, same second
# twobranches NAME: a board NAME (fresh) whose IC-0001, drafted and
# synced, is asked for review at one second on a branch alt (its commit
# ALT), then on main, the current branch.
twobranches() {
	fresh "$1"
	check_out "$1: setup: IC-0001 drafted" IC-0001 \
	    mkrec industrial-capacity 'One'
	check_status 0 "$1: setup: sync" dipb sync
	at 2026-06-01
	check "$1: setup: a branch alt" git switch -q -c alt
	check_status 0 "$1: alt requests a review" \
	    dipb review IC-0001 --request -m 'On alt.'
	ALT=$(git rev-parse HEAD)
	check "$1: setup: back on main" git switch -q -
	check_status 0 "$1: main requests one at the same second" \
	    dipb review IC-0001 --request -m 'On main.'
}
twobranches branches
check_eq "branches: numbered past alt's" \
    "$(git rev-parse HEAD)" \
    "$(git rev-parse -q --verify 'IC-0001/3-review-requested^{commit}')"
git commit -q --amend -m "$(git log -1 --format=%B | sed 's/On main\./On main, amended./')"
run dipb sync
check_eq "branches: main's amended change: synced" 0 "$RC"
check_err 'branches: made again under its own number' \
    'landed IC-0001/3-review-requested'
check_eq "branches: alt's tag is left on alt's change" "$ALT $ALT" \
    "$(git rev-parse alt) $(git rev-parse -q --verify 'IC-0001/2-review-requested^{commit}')"
check_eq "branches: the remote's tip is main's request" 'On main, amended.' \
    "$(git -C "$REMOTE" log -1 --format=%b main | sed -n 1p)"
# alt published on the remote: main's change is not alt's, dropped.
check 'branches: setup: back on alt' git switch -q alt
check_status 0 'branches: alt published' dipb sync origin
check 'branches: setup: back on main' git switch -q -
check_status 0 'branches: main requests one more, recalled first' \
    dipb review IC-0001 --recall -m 'Later.'
check_status 0 'branches: main requests again' \
    dipb review IC-0001 --request -m 'On main again.'
git commit -q --amend -m "$(git log -1 --format=%B | sed 's/again\./again, amended./')"
run dipb sync
check_eq "branches: main's amended change, alt on the remote: synced" 0 "$RC"
check_err 'branches: not taken for the change alt published' \
    'landed IC-0001/5-review-requested'
check_eq "branches: alt's tag is left on alt's change, here and there" \
    "$ALT $ALT" \
    "$(git rev-parse -q --verify 'IC-0001/2-review-requested^{commit}') $(git -C "$REMOTE" rev-parse 'IC-0001/2-review-requested^{commit}')"
check_eq "branches: the remote's main has main's request" 'On main again, amended.' \
    "$(git -C "$REMOTE" log -1 --format=%b main | sed -n 1p)"
today

# --- a tag on the remote off its branch publishes nothing there
fresh offbranch
check_out 'offbranch: setup: IC-0001 drafted' IC-0001 mkrec industrial-capacity 'One'
E=$TROOT/offbranch-e
check 'offbranch: setup: another clone' git clone -q "$REMOTE" "$E"
check 'offbranch: setup: it fetches the local draft' \
    git -C "$E" fetch -q --no-tags "$BOARD" HEAD:refs/x
check 'offbranch: setup: and copies it, the same change' \
    git -C "$E" cherry-pick refs/x
check 'offbranch: setup: its subject reworded' \
    git -C "$E" commit -q --amend -m "$(git -C "$E" log -1 --format=%B | sed 1s/drafted/copied/)"
check 'offbranch: setup: the copy tagged as the draft' \
    git -C "$E" tag -a -m copy IC-0001/1-drafted HEAD
check 'offbranch: setup: pushes the tag alone' \
    git -C "$E" push -q origin refs/tags/IC-0001/1-drafted
RTIP=$(git -C "$REMOTE" rev-parse HEAD)
run dipb sync
check_eq 'offbranch: the local draft is not dropped: synced' 0 "$RC"
check_err 'offbranch: renumbered past the tag the remote holds' \
    'landed IC-0002/1-drafted (was IC-0001/1-drafted)'
check_eq "offbranch: the remote's branch has the draft" \
    "$RTIP recommendations/IC-0002.yaml" \
    "$(git -C "$REMOTE" rev-parse HEAD~1) $(git -C "$REMOTE" ls-tree -r --name-only HEAD recommendations)"
check_eq "offbranch: the clone is at the remote's tip" \
    "$(git -C "$REMOTE" rev-parse HEAD)" "$(git rev-parse HEAD)"
run dipb verify
check_err_re "offbranch: dipb verify finds the remote's copy a stray tag, and nothing else" \
    '^dipb: 1 finding in'
check_eq 'offbranch: the stray tag named' 1 \
    "$(grep -c 'IC-0001/1-drafted: the tag points to .*\[tag-outside-branch\]$' "$OUT")"

# --- two changes of one record and event at one second, both rebased:
# each takes its own former tag, in order (dipb-sync(1), REPLAY)
# order_setup A R B: IC-0001's review requested (-m A), recalled (-m R)
# and requested again (-m B), each checked.
order_setup() {
	check_status 0 "order: setup: request '$1'" \
	    dipb review IC-0001 --request -m "$1"
	check_status 0 "order: setup: recall '$2'" \
	    dipb review IC-0001 --recall -m "$2"
	check_status 0 "order: setup: request '$3'" \
	    dipb review IC-0001 --request -m "$3"
}
fresh order
check_out 'order: setup: IC-0001 drafted' IC-0001 mkrec industrial-capacity 'One'
check_status 0 'order: setup: sync' dipb sync
at 2026-06-01
order_setup 'First request.' 'Recalled.' 'Second request.'
check 'order: setup: rebased, every commit rewritten' \
    env GIT_COMMITTER_DATE=2026-06-02T12:00:00+00:00 \
    git rebase -q --force-rebase origin/main
run dipb sync
check_eq 'order: synced' 0 "$RC"
check_err 'order: the first request keeps /2' 'landed IC-0001/2-review-requested'
check_err 'order: the second request keeps /4' 'landed IC-0001/4-review-requested'
check_eq 'order: nothing renumbered' 0 "$(grep -c 'was IC-0001' "$ERR")"
check_eq "order: each tag on its own request, here and on the remote" \
    'First request. Second request. First request. Second request.' \
    "$(for t in 2 4; do git log -1 --format=%b "IC-0001/$t-review-requested^{commit}" | sed -n 1p; done | tr '\n' ' ')$(for t in 2 4; do git -C "$REMOTE" log -1 --format=%b "IC-0001/$t-review-requested^{commit}" | sed -n 1p; done | tr '\n' ' ' | sed 's/ $//')"
at_remote order
# A recall published, then it and three later changes of the same second
# rebased: the recall is dropped as done upstream, the two requests made
# again under their own numbers, their texts kept.
at 2026-06-03
check_status 0 'order: setup: recalled again' dipb review IC-0001 --recall -m 'Recalled again.'
check_status 0 'order: setup: sync' dipb sync
order_setup 'Third request.' 'Recalled 3.' 'Fourth request.'
check 'order: setup: rebased from before the published recall' \
    env GIT_COMMITTER_DATE=2026-06-04T12:00:00+00:00 \
    git rebase -q --force-rebase origin/main~1
run dipb sync
check_eq 'order: the published recall dropped, the rest landed (exit 1)' 1 "$RC"
check_err 'order: the recall dropped as done upstream' 'already done upstream (IC-0001/5-recalled by Dan Drafter)'
check_err 'order: the third request keeps /6' 'landed IC-0001/6-review-requested'
check_err 'order: the fourth request keeps /8' 'landed IC-0001/8-review-requested'
check_eq "order: the remote's tip is the fourth request" 'Fourth request.' \
    "$(git -C "$REMOTE" log -1 --format=%b main | sed -n 1p)"
check_eq "order: the third request is on the remote under /6" 'Third request.' \
    "$(git -C "$REMOTE" log -1 --format=%b 'IC-0001/6-review-requested^{commit}' | sed -n 1p)"
today

# --- a published draft amended on a branch new to the remote: not
# published again under a new id
fresh newbranch
check_out 'newbranch: setup: IC-0001 drafted' IC-0001 mkrec industrial-capacity 'One'
check_status 0 'newbranch: setup: sync' dipb sync
check 'newbranch: setup: a new branch' git switch -q -c feature
git commit -q --amend -m "$(git log -1 --format=%B | sed '1a\
\
Reworded.')"
run dipb sync origin
check_eq 'newbranch: the amended draft dropped, the rest pushed (exit 1)' 1 "$RC"
check_err 'newbranch: dropped as done upstream' \
    'already done upstream (IC-0001/1-drafted by Dan Drafter)'
check_eq 'newbranch: no IC-0002 here or on the remote' ' ' \
    "$(git tag -l 'IC-0002*') $(git -C "$REMOTE" tag -l 'IC-0002*')"
check_eq "newbranch: the remote's feature has no record" '' \
    "$(git -C "$REMOTE" ls-tree -r --name-only feature recommendations)"

# --- no upstream: the refusal names the tag to make again with git, and
# that way out works
fresh noupstream
check 'noupstream: setup: the remote removed' git remote remove origin
check_out 'noupstream: setup: IC-0001 drafted' IC-0001 mkrec industrial-capacity 'One'
check_status 0 'noupstream: setup: review request' dipb review IC-0001 --request
git tag -d IC-0001/2-review-requested >/dev/null
C=$(git rev-parse --short=12 HEAD)
run dipb review IC-0001 --recall -m typo
check_eq 'noupstream: refused (exit 5)' 5 "$RC"
check_err 'noupstream: the refusal names the tag to make again with git, as dipb makes it' \
    "so the next change cannot be numbered; the branch has no upstream to fetch it from: make it again, as its author (dipb verify names every missing tag, tag-missing), then retry: git tag -a -m 'IC-0001: review requested by Dan Drafter' IC-0001/2-review-requested $C"
check_eq 'noupstream: no dipb sync promised' 0 "$(grep -c 'dipb sync' "$ERR")"
check 'noupstream: the way out, run as given: the tag made again' \
    sh -c "$(advice)" </dev/null
check_status 0 'noupstream: then the recall is made' \
    dipb review IC-0001 --recall -m typo
check_eq 'noupstream: numbered after it' "$(git rev-parse HEAD)" \
    "$(git rev-parse -q --verify 'IC-0001/3-recalled^{commit}')"
check_git_agrees 'noupstream: git and dipb verify agree'

# A change whose Dipb-Event is no word of dipb's (committed by hand with
# the trailers): the refusal does not quote it.
sedit recommendations/IC-0001.yaml 's/^title: .*/title: By hand/'
check 'noupstream: setup: a change committed by hand with odd trailers' \
    git commit -q -a -m 'IC-0001: by hand' -m "Dipb-Record: IC-0001
Dipb-Event: $(printf 'x\033[2Jy')"
run dipb review IC-0001 --request
check_err 'noupstream: an odd event is not quoted, EVENT in its place' \
    "then retry: git tag -a -m 'IC-0001: by hand' IC-0001/4-EVENT $(git rev-parse --short=12 HEAD)"

# --- another clone's change merged in by git merge, its tag not fetched:
# refused as a missing tag, and the way out works
fresh merged
check_out 'merged: setup: IC-0001 drafted' IC-0001 mkrec industrial-capacity 'One'
check_status 0 'merged: setup: sync' dipb sync
B=$TROOT/merged-b
check 'merged: setup: another clone' git clone -q "$REMOTE" "$B"
(cd "$B" && dipb review IC-0001 --request -m 'From B.' >/dev/null 2>&1 &&
    dipb sync >/dev/null 2>&1)
check_eq 'merged: setup: B published its request' 'IC-0001/2-review-requested' \
    "$(git -C "$REMOTE" tag -l 'IC-0001/2-*')"
check_out 'merged: setup: IC-0002 drafted here' IC-0002 mkrec industrial-capacity 'Two'
check 'merged: setup: the branch fetched without tags' git fetch -q --no-tags origin
check 'merged: setup: and merged' git merge -q --no-edit origin/main
HEAD0=$(git rev-parse HEAD)
run dipb review IC-0001 --recall -m 'Recalled here.'
check_eq 'merged: the recall is refused (exit 5), nothing made' \
    "5 $HEAD0 " "$RC $(git rev-parse HEAD) $(git tag -l 'IC-0001/2-*')"
check_err 'merged: the refusal names the merged change and the way out' \
    "IC-0001 changed in $(git rev-parse --short=7 HEAD^2), after IC-0001/1-drafted ($(git rev-parse --short=7 'IC-0001/1-drafted^{commit}')), its highest tag here, and the tag of that change is missing (deleted, or never fetched), so the next change cannot be numbered; it was merged in (git merge): fetch the remote's tags, then retry: git fetch origin 'refs/tags/*:refs/tags/*'"
# Run by sh as given: a glob left unquoted would fail in zsh (no matches
# found) or expand against files named so.
mkdir -p 'refs/tags/x:refs/tags' && : >'refs/tags/x:refs/tags/y'
check 'merged: the way out, run as given: the tags fetched' \
    sh -c "$(advice)" </dev/null
rm -r refs
check_status 0 'merged: then the recall is made' \
    dipb review IC-0001 --recall -m 'Recalled here.'
check_eq 'merged: numbered after the merged request' "$(git rev-parse HEAD)" \
    "$(git rev-parse -q --verify 'IC-0001/3-recalled^{commit}')"

# --- a change's tag pushed alone, then the change amended: it lands under
# a new number, and the stray tag left on the remote is warned of
fresh alone
check_out 'alone: setup: IC-0001 drafted' IC-0001 mkrec industrial-capacity 'One'
check_status 0 'alone: setup: sync' dipb sync
check_status 0 'alone: setup: review request' dipb review IC-0001 --request -m 'Req.'
OLD=$(git rev-parse --short=7 HEAD)
check 'alone: setup: its tag pushed alone' \
    git push -q origin refs/tags/IC-0001/2-review-requested
git commit -q --amend -m "$(git log -1 --format=%B | sed 's/^Req\.$/Req, reworded./')"
run dipb sync
check_eq 'alone: synced' 0 "$RC"
check_err 'alone: landed under the next number' \
    'landed IC-0001/3-review-requested (was IC-0001/2-review-requested)'
check_err 'alone: the stray tag on the remote warned of, and what deleting it leaves' \
    "dipb: warning: the remote's tag IC-0001/2-review-requested is left on $OLD, which origin main does not have (pushed alone?), and this change landed as IC-0001/3-review-requested: a stray tag, which dipb verify reports (tag-outside-branch), and deleting it leaves a gap in IC-0001's numbers (tag-number) instead; to delete it: git push origin :refs/tags/IC-0001/2-review-requested"
run dipb verify
check_eq 'alone: dipb verify reports that stray tag, and nothing else' \
    "1 1" "$RC $(grep -c "^$OLD[0-9a-f]* IC-0001/2-review-requested: .*\[tag-outside-branch\]$" "$OUT")"

# The same, the remote named with a quote, as git allows (no space: no
# ref name holds one): the command ends the warning, and pasted from
# 'git' on it deletes that tag on the remote, and nothing else.
fresh alonequote
check 'alonequote: setup: the remote renamed' git remote rename origin "bob's"
check_out 'alonequote: setup: IC-0001 drafted' IC-0001 mkrec industrial-capacity 'One'
check_status 0 'alonequote: setup: sync' dipb sync
check_status 0 'alonequote: setup: review request' dipb review IC-0001 --request -m 'Req.'
check 'alonequote: setup: its tag pushed alone' \
    git push -q "bob's" refs/tags/IC-0001/2-review-requested
git commit -q --amend -m "$(git log -1 --format=%B | sed 's/^Req\.$/Req, reworded./')"
run dipb sync
check_eq 'alonequote: synced' 0 "$RC"
cmd=$(sed -n "s/^dipb: warning: the remote's tag .*; to delete it: //p" "$ERR")
check_eq 'alonequote: the command ends the warning, its remote quoted once' \
    "git push 'bob'\\''s' :refs/tags/IC-0001/2-review-requested" "$cmd"
check 'alonequote: pasted, it runs' sh -c "${cmd:-false}" </dev/null
check_eq "alonequote: the stray tag is deleted on the remote, the landed one kept" \
    "IC-0001/1-drafted IC-0001/3-review-requested" \
    "$(git -C "$REMOTE" tag -l 'IC-0001/*' | sort | tr '\n' ' ' | sed 's/ $//')"

# The same, the remote named with a byte that is no UTF-8: a message
# shows it as '?', and a push to "caf?" would go to another remote (or
# none), so the warning gives no command and says why.
fresh alonelatin
LAT=$(printf 'caf\351')
check 'alonelatin: setup: the remote renamed' git remote rename origin "$LAT"
check_out 'alonelatin: setup: IC-0001 drafted' IC-0001 mkrec industrial-capacity 'One'
check_status 0 'alonelatin: setup: sync' dipb sync
check_status 0 'alonelatin: setup: review request' dipb review IC-0001 --request -m 'Req.'
OLD=$(git rev-parse --short=7 HEAD)
check 'alonelatin: setup: its tag pushed alone' \
    git push -q "$LAT" refs/tags/IC-0001/2-review-requested
git commit -q --amend -m "$(git log -1 --format=%B | sed 's/^Req\.$/Req, reworded./')"
run dipb sync
check_eq 'alonelatin: synced' 0 "$RC"
check_err 'alonelatin: the stray tag warned of, with no command, and why' \
    "dipb: warning: the remote's tag IC-0001/2-review-requested is left on $OLD, which caf? main does not have (pushed alone?), and this change landed as IC-0001/3-review-requested: a stray tag, which dipb verify reports (tag-outside-branch), and deleting it leaves a gap in IC-0001's numbers (tag-number) instead; no command is given to delete it: a name cannot be shown as it is"
cp "$ERR" "$TROOT/alonelatin.err"
check 'alonelatin: no push to a remote named as shown' \
    sh -c '! grep -q "git push" "$1"' sh "$TROOT/alonelatin.err"

# --- no upstream, a plain commit of the record between the highest tag
# and the change whose tag is missing: a plain commit takes no number, so
# the tag to make again is the next after the highest
fresh plainbetween
check 'plainbetween: setup: the remote removed' git remote remove origin
check_out 'plainbetween: setup: IC-0001 drafted' IC-0001 mkrec industrial-capacity 'One'
check_status 0 'plainbetween: setup: review request' dipb review IC-0001 --request
sedit recommendations/IC-0001.yaml '$a\
# a note by hand'
check 'plainbetween: setup: a plain commit of the record' \
    git commit -q -a -m 'IC-0001: a note by hand'
check_status 0 'plainbetween: setup: recall' dipb review IC-0001 --recall -m c
git tag -d IC-0001/3-recalled >/dev/null
C=$(git rev-parse --short=12 HEAD)
run dipb review IC-0001 --request -m again
check_err 'plainbetween: the tag to make again is number 3, as verify names it' \
    "then retry: git tag -a -m 'IC-0001: recalled by Dan Drafter' IC-0001/3-recalled $C"
run dipb verify
check_eq 'plainbetween: dipb verify names that same tag missing' 1 \
    "$(grep -c "IC-0001/3-recalled: no such tag" "$OUT")"

# --- a tag pushed alone to an empty remote, its change then amended: the
# remote has no branch that holds it, so it is no published change; the
# change lands (the draft renumbered, the remote holding IC-0001's tag)
fresh tagalone
check_out 'tagalone: setup: IC-0001 drafted' IC-0001 mkrec industrial-capacity 'One'
check_status 0 'tagalone: setup: review request' \
    dipb review IC-0001 --request -m 'first wording'
REMOTE=$TROOT/tagalone-empty.git
git init -q --bare "$REMOTE"
git remote set-url origin "$REMOTE"
check 'tagalone: setup: the tag pushed alone' \
    git push -q origin refs/tags/IC-0001/2-review-requested
git log -1 --format=%B | sed 's/first wording/second wording/' >"$TROOT/msg"
check 'tagalone: setup: the request amended' \
    git commit -q --amend -F "$TROOT/msg"
run dipb sync origin
check_eq 'tagalone: synced, exit 0' 0 "$RC"
check_eq 'tagalone: nothing dropped as done upstream' 0 \
    "$(grep -c 'already done upstream' "$ERR")"
check_eq "tagalone: the remote's branch holds the second wording" 1 \
    "$(git -C "$REMOTE" log --format=%b main | grep -c 'second wording')"

# reworded NAME AWK: a board NAME whose IC-0001 review request, not yet
# pushed, is reworded by hand, its message through AWK, committed
# verbatim; SUBJ, the subject git reads in it.
reworded() {
	fresh "$1"
	check_out "$1: setup: IC-0001 drafted" IC-0001 \
	    mkrec industrial-capacity 'One'
	check_status 0 "$1: setup: sync" dipb sync
	check_status 0 "$1: setup: review request" dipb review IC-0001 --request
	git log -1 --format=%B | awk "$2" >"$TROOT/msg"
	check "$1: setup: reworded, verbatim" \
	    git commit -q --amend --cleanup=verbatim -F "$TROOT/msg"
	SUBJ=$(git log -1 --format=%s)
}

# reworded_synced NAME: dipb sync makes it again, exit 0, with the
# subject git reads in the local one.
reworded_synced() {
	run dipb sync
	check_eq "$1: synced, exit 0" 0 "$RC"
	check_eq "$1: the remote's change has the subject git reads in the local one" \
	    "$SUBJ" "$(git -C "$REMOTE" log -1 --format=%s)"
}

# --- an unpublished change reworded by hand, its first paragraph two
# lines and its body after a line of blanks: made again with the subject
# and the body git reads in it (git log's %s and %b), as dipb log does
reworded title 'NR == 1 { print; print "(by hand)";
    print " "; print "A note."; next } 1'
check_eq 'title: setup: git reads a two-line first paragraph as one subject' \
    'IC-0001: review requested by Dan Drafter (by hand)' "$SUBJ"
reworded_synced title
check_eq "title: and the body, after the line of blanks" 'A note.' \
    "$(git -C "$REMOTE" log -1 --format=%b | sed -n 1p)"
check_eq 'title: dipb log shows what git reads' 1 \
    "$(dipb log IC-0001 2>/dev/null | grep -c '(by hand)')"

# --- the same, its first line only blanks, its subject's second line and
# its body's first line indented: git skips the blank line and keeps each
# indent (git's skip_blank_lines and format_subject); so does the replay
reworded title2 'NR == 1 { print "   "; print; print "  (by hand)  ";
    print ""; print "  indented note"; print "second"; next } 1'
check_eq 'title2: setup: git skips the blank line, keeps the indent' \
    'IC-0001: review requested by Dan Drafter   (by hand)' "$SUBJ"
reworded_synced title2
check_eq "title2: and the body, its first line's indent kept" \
    '  indented note|second' \
    "$(git -C "$REMOTE" log -1 --format=%b | sed -n 1,2p | paste -sd'|' -)"

# --- a draft reworded by hand with blanks before its subject, its id
# taken upstream meanwhile: made again under the next id, its subject
# naming that id, no blanks (as dipb writes it)
fresh blanks
cd "$TROOT" && git clone -q "$REMOTE" blanks2 && cd blanks2 || exit 1
as drafter
check_out 'blanks: setup: the other clone drafts IC-0001' IC-0001 \
    mkrec industrial-capacity 'Other'
check_status 0 'blanks: setup: and pushes it' dipb sync
cd "$BOARD" || exit 1
as drafter
check_out 'blanks: setup: IC-0001 drafted here too' IC-0001 \
    mkrec industrial-capacity 'Mine'
git log -1 --format=%B | awk 'NR == 1 { print "  " $0; next } 1' >"$TROOT/msg"
git tag -d IC-0001/1-drafted >/dev/null
git commit -q --amend --cleanup=verbatim -F "$TROOT/msg"
git tag -a -m "$(git log -1 --format=%s | sed 's/^ *//')" IC-0001/1-drafted
run dipb sync
check_eq 'blanks: synced, exit 0' 0 "$RC"
check_eq "blanks: the draft landed as IC-0002, its subject naming it" \
    'IC-0002: drafted by Dan Drafter|IC-0002' \
    "$(git -C "$REMOTE" log -1 --format='%s|%(trailers:key=Dipb-Record,valueonly)' | sed -n 1p)"

# --- another branch at an annotated tag of its change (dipb-sync(1),
# REPLAY): that branch holds the change, as git for-each-ref --contains
# peels it, so main's amended change of the same record, event and
# second is not taken for it: alt's tag stays on alt's change (before,
# main's was renumbered over it, alt's tag gone, the push refused)
twobranches tagbranch
# (git update-ref refuses it; a ref written by another tool, or by hand)
git rev-parse refs/tags/IC-0001/2-review-requested >.git/refs/heads/alt
check_eq 'tagbranch: setup: alt at the annotated tag of its change' tag \
    "$(git cat-file -t alt)"
check_eq 'tagbranch: git: alt holds its change, main does not' 'refs/heads/alt' \
    "$(git for-each-ref --contains "$ALT" --format='%(refname)' refs/heads)"
git commit -q --amend -m "$(git log -1 --format=%B | sed 's/On main\./On main, amended./')"
run dipb sync
check_eq "tagbranch: main's amended change: synced" 0 "$RC"
check_err 'tagbranch: made again under its own number' \
    'landed IC-0001/3-review-requested'
check_eq "tagbranch: alt's tag is left on alt's change" "$ALT" \
    "$(git rev-parse -q --verify 'IC-0001/2-review-requested^{commit}')"
check_eq "tagbranch: the remote's tip is main's request" 'On main, amended.' \
    "$(git -C "$REMOTE" log -1 --format=%b main | sed -n 1p)"
today

# The branch's log, which sync reads to tell a change the branch left
# behind (git commit --amend logs the commit it replaces) from another
# branch's, a FIFO: git would wait on it for ever; sync refuses it, exit
# 5 naming it, as a writing command refuses a log it would append to,
# never reading it as none (which takes the amended change for another
# branch's and publishes it again under a new number).
fresh fifolog
mkrec industrial-capacity 'One' >/dev/null
dipb sync >/dev/null 2>&1
dipb review IC-0001 --request >/dev/null 2>&1
git commit -q --amend -m "$(git log -1 --format=%B | awk 'NR == 1 { print; print ""; print "A note."; next } 1')"
git branch keep 'IC-0001/2-review-requested^{commit}'
rm .git/logs/refs/heads/main && mkfifo .git/logs/refs/heads/main
run timeout 60 dipb sync
check_eq "the branch's log a FIFO: sync refuses it, exit 5, naming it" \
    "5 dipb: $(pwd -P)/.git/logs/refs/heads/main: not a regular file" \
    "$RC $(grep -v warning "$ERR")"
check_eq "the branch's log a FIFO: nothing renumbered, nothing pushed" \
    "IC-0001/1-drafted board/1-created" "$(git -C "$REMOTE" tag -l | tr '\n' ' ' | sed 's/ $//')"

# --- the remote's branch at an annotated tag of a commit (a ref another
# tool wrote, or written by hand): git push peels it, so a push that
# descends from its commit is a fast-forward; dipb sync pushes as git
# would (dipb sync failed, exit 5, "cannot compare the trees")
# rtag_branch: the remote's branch moved to the annotated tag of its tip.
rtag_branch() {
	git -C "$REMOTE" rev-parse "$(git -C "$REMOTE" tag --points-at HEAD |
	    head -n 1)" >"$REMOTE/refs/heads/main"
}
fresh tagremote
cd "$TROOT" && git clone -q "$REMOTE" tagremote2 && cd tagremote2 || exit 1
as drafter
check_out 'tagremote: setup: the other clone drafts IC-0001' IC-0001 \
    mkrec industrial-capacity 'Other'
check_status 0 'tagremote: setup: and pushes it' dipb sync
cd "$BOARD" || exit 1
as drafter
rtag_branch
check_eq "tagremote: setup: the remote's branch at a tag" tag \
    "$(git -C "$REMOTE" cat-file -t refs/heads/main)"
run dipb sync
check_eq 'tagremote: nothing local, the remote moved: synced, exit 0' 0 "$RC"
check_eq "tagremote: the clone at the tag's commit, the remote's branch at it" \
    "$(git -C "$REMOTE" rev-parse 'IC-0001/1-drafted^{commit}') commit" \
    "$(git rev-parse HEAD) $(git -C "$REMOTE" cat-file -t refs/heads/main)"
at_remote tagremote
# The remote's branch at the tag of this clone's tip, nothing new here:
# the commit pushed over the tag (git push does so too).
fresh tagown
check_out 'tagown: setup: IC-0001 drafted' IC-0001 \
    mkrec industrial-capacity 'One'
check_status 0 'tagown: setup: and pushed' dipb sync
rtag_branch
run dipb sync
check_eq "tagown: synced, exit 0" 0 "$RC"
check_err 'tagown: pushed' 'pushed to origin main'
check_eq "tagown: the remote's branch at IC-0001's change, a commit" \
    "$(git rev-parse 'IC-0001/1-drafted^{commit}') commit" \
    "$(git -C "$REMOTE" rev-parse main) $(git -C "$REMOTE" cat-file -t main)"
at_remote tagown

finish

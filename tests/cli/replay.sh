#!/bin/sh
# tests/cli/replay.sh - dipb sync's replay (dipb-sync(1), "REPLAY"): local
# changes made again, as operations, on the remote's tip.  Two clones of
# one bare repository; git (log, trailers, tags, verify-commit) and dipb
# verify are the oracle.
. "$(dirname "$0")/lib.sh"

REMOTE=$TROOT/remote.git
git init -q --bare "$REMOTE"
new_board a
A=$BOARD
git remote add origin "$REMOTE"
git push -q -u origin HEAD --follow-tags 2>/dev/null
B=$TROOT/b
git clone -q "$REMOTE" "$B" 2>/dev/null

# edit_title ID TITLE: the drafter's edit of ID's title, committed.
edit_title() {
	sedit "recommendations/$1.yaml" "s/^title: .*/title: $2/"
	dipb edit "$1" --no-edit >/dev/null 2>&1
}

# fp_of ID EMAIL [REV]: the fingerprint EMAIL's review of ID stores.
fp_of() {
	git show "${3:-HEAD}:recommendations/$1.yaml" | awk -v em="$2" '
	    $1 == "-" && $2 == "reviewer:" { r = $3 }
	    $1 == "reviewer:" { r = $2 }
	    $1 == "fingerprint:" && r == em { gsub(/["\047]/, "", $2); print $2 }'
}

# unchanged_since DESC: HEAD, the tags and refs/dipb/dropped are as the
# last snap left them.
snap() {
	S_HEAD=$(git rev-parse HEAD)
	git for-each-ref --format='%(refname) %(objectname)' refs/tags \
	    refs/dipb/dropped refs/heads >"$TROOT/snap"
}
unchanged_since() {
	git for-each-ref --format='%(refname) %(objectname)' refs/tags \
	    refs/dipb/dropped refs/heads >"$TROOT/snap.now"
	if [ "$(git rev-parse HEAD)" = "$S_HEAD" ] &&
	    cmp -s "$TROOT/snap" "$TROOT/snap.now"; then
		ok "$1"
	else
		not_ok "$1" "$(diff "$TROOT/snap" "$TROOT/snap.now")"
	fi
}

# --- a new record whose id was taken upstream: renumbered, later changes follow
cd "$A" || exit 1
as icdrafter
mkrec industrial-capacity 'From A' >/dev/null		# IC-0001
check 'a: sync pushes IC-0001' dipb sync

cd "$B" || exit 1
as drafter
mkrec industrial-capacity 'From B' >/dev/null		# IC-0001 here too
edit_title IC-0001 'From B, edited'
dipb review IC-0001 --request >/dev/null 2>&1
OLD3=$(git rev-parse HEAD)
check_status 0 'b: sync of a record whose id was taken upstream' dipb sync
check_stdout 'b: stdout says IC-0001 -> IC-0002' 'IC-0001 -> IC-0002'
check_err 'b: the draft landed renumbered' \
    'landed IC-0002/1-drafted (was IC-0001/1-drafted)'
check_err 'b: the edit followed' \
    'landed IC-0002/2-edited (was IC-0001/2-edited)'
check_err 'b: the review request followed' \
    'landed IC-0002/3-review-requested (was IC-0001/3-review-requested)'
check_eq 'b: each replayed commit carries Dipb-Renumbered-From' \
    'IC-0001 IC-0001 IC-0001' \
    "$(trailer Dipb-Renumbered-From HEAD) $(trailer Dipb-Renumbered-From HEAD~1) $(trailer Dipb-Renumbered-From HEAD~2)"
check_eq 'b: the renumbered file has its new id' 'IC-0002' "$(field IC-0002 id)"
check_eq 'b: and the text of the local changes' 'From B, edited' \
    "$(field IC-0002 title)"
check_eq "b: A's IC-0001 is untouched" 'From A' "$(field IC-0001 title)"
check_eq 'b: the replayed change keeps its author' 'dan@example.org' \
    "$(git log -1 --format=%ae)"
check_eq 'b: the replayed commits are on the remote tip' \
    "$(git rev-parse origin/HEAD 2>/dev/null || git rev-parse origin/master 2>/dev/null || git rev-parse origin/main)" \
    "$(git rev-parse HEAD)"
check_eq 'b: the remote has the tags of both records' \
    'IC-0001/1-drafted IC-0002/1-drafted IC-0002/2-edited IC-0002/3-review-requested' \
    "$(git ls-remote --tags "$REMOTE" 'IC-*' | sed 's,.*refs/tags/,,' | grep -v '\^{}' | sort | tr '\n' ' ' | sed 's/ $//')"
check_git_agrees 'b: git and dipb verify agree'

# --- an endorsement that reaches the quorum on replay ---------------------------
cd "$A" || exit 1
dipb sync >/dev/null 2>&1
as rev1
check 'a: rev1 endorses IC-0002' dipb review IC-0002 --endorse
check 'a: sync' dipb sync
cd "$B" || exit 1
as rev2
dipb review IC-0002 --endorse >/dev/null 2>&1	# 1/2 here: reviewed
check_eq 'b: locally, a first endorsement' 'in-review' "$(status_of IC-0002)"
check_status 0 'b: sync of an endorsement that reaches the quorum' dipb sync
check_err 'b: it lands as endorsed' \
    'landed IC-0002/5-endorsed (was IC-0002/4-reviewed)'
check_eq 'b: the record is endorsed' 'endorsed' "$(status_of IC-0002)"
check_eq 'b: the subject counts the endorsements as now' \
    'IC-0002: endorsed by Rolf Reviewer (2/2)' "$(git log -1 --format=%s)"
check_eq 'b: its event and status' 'endorsed in-review -> endorsed' \
    "$(trailer Dipb-Event) $(trailer Dipb-Status)"
check_git_agrees 'b: git and dipb verify agree after the quorum'

# --- a move that is no longer legal is dropped --------------------------------
cd "$A" || exit 1
dipb sync >/dev/null 2>&1
as secretary
check 'a: the secretary submits IC-0002' dipb submit IC-0002
check 'a: sync' dipb sync
# A tag forged with git tag -a beside the remote's last change, of its
# number, on another commit (dipb verify: tag-extra), sorting before it:
# the reason names the change, the tag whose commit's trailers are its.
git tag -a -m forged IC-0002/6-edited 'IC-0002/5-endorsed^{commit}'
git push -q origin refs/tags/IC-0002/6-edited 2>/dev/null
# And one on a commit git fsck rejects (two author lines), which dipb
# reads none of: the reason is the same, and nothing leaks on the way.
BROKEN=$(git cat-file commit HEAD | sed '/^author /p' |
    git hash-object -t commit -w --literally --stdin)
git tag -a -m forged IC-0002/6-broken "$BROKEN"
git push -q origin refs/tags/IC-0002/6-broken 2>/dev/null
run dipb verify
check_eq 'a: dipb verify reports the forged tag (tag-extra)' 1 \
    "$(cat "$OUT" "$ERR" | grep -c 'IC-0002/6-edited: .*tag-extra')"
cd "$B" || exit 1
as secretary
dipb withdraw IC-0002 -m 'Overtaken.' >/dev/null 2>&1
OLDW=$(git tag --points-at HEAD)
OLDWC=$(git rev-parse HEAD)
check_status 6 'b: sync of a withdrawal of a record submitted upstream: none landed' \
    dipb sync
check_err 'b: dropped with the status now, the upstream tag and its author' \
    "dropped $OLDW: IC-0002 is submitted upstream (IC-0002/6-submitted by Sam Secretary); withdraw is allowed from draft, in-review, returned or endorsed only"
# The forged tag gone, everywhere.
git -C "$A" tag -d IC-0002/6-edited >/dev/null
git -C "$A" push -q origin :refs/tags/IC-0002/6-edited 2>/dev/null
git tag -d IC-0002/6-edited >/dev/null 2>&1
git -C "$A" tag -d IC-0002/6-broken >/dev/null
git -C "$A" push -q origin :refs/tags/IC-0002/6-broken 2>/dev/null
git tag -d IC-0002/6-broken >/dev/null 2>&1
git for-each-ref --format='%(refname)' |
    grep '/IC-0002/6-\(edited\|broken\)$' |
    while read -r ref; do git update-ref -d "$ref"; done
for g in "$A" . "$REMOTE"; do git -C "$g" prune --expire=now; done
check_eq 'b: the dropped commit stays reachable' "$OLDWC" \
    "$(git rev-parse -q --verify "refs/dipb/dropped/$OLDW^{commit}" || echo none)"
check_eq 'b: the branch is the remote tip' "$(git ls-remote "$REMOTE" HEAD | cut -f1)" \
    "$(git rev-parse HEAD)"
check_git_agrees 'b: git and dipb verify agree after a drop'

# --- a review of text that changed upstream is dropped --------------------------
cd "$A" || exit 1
as drafter
mkrec industrial-capacity 'Reviewed twice' >/dev/null	# IC-0003
dipb review IC-0003 --request >/dev/null 2>&1
dipb sync >/dev/null 2>&1
cd "$B" || exit 1
dipb sync >/dev/null 2>&1
as rev1
dipb review IC-0003 --endorse >/dev/null 2>&1
FP_OLD=$(fp_of IC-0003 rita@example.org)
cd "$A" || exit 1
as rev2
dipb review IC-0003 --request-changes -m 'Say more.' >/dev/null 2>&1
as drafter
edit_title IC-0003 'Reviewed twice, said more'
dipb review IC-0003 --request >/dev/null 2>&1
check 'a: sync of a changed text' dipb sync
cd "$B" || exit 1
as rev1
check_status 6 'b: sync of a review of the old text: none landed' dipb sync
check_err_re 'b: the reason names the record and both fingerprints' \
    "dropped IC-0003/[0-9]*-reviewed: the text of IC-0003 changed upstream since this review was given \\(reviewed $FP_OLD, now [0-9a-f]{8}\\): read it again and review again"
check_eq 'b: the stale review is not in the record' '' \
    "$(fp_of IC-0003 rita@example.org)"
check_git_agrees 'b: git and dipb verify agree after a stale review'

# --- a plain commit among the local changes stops the sync --------------------
cd "$A" || exit 1
as drafter
mkrec supply-chain-security 'Upstream news' >/dev/null
dipb sync >/dev/null 2>&1
cd "$B" || exit 1
as drafter
mkrec industrial-capacity 'Local before a plain commit' >/dev/null
echo notes >notes.txt
git add notes.txt
git commit -q -m 'my notes'
PLAIN=$(git rev-parse --short=7 HEAD)
snap
check_status 1 'b: sync with a plain commit among the local changes' dipb sync
check_err 'b: it names the commit and says what to do' \
    "local commit $PLAIN (\"my notes\") is a plain commit, not a dipb change (no Dipb-Record and Dipb-Event trailers): dipb sync replays dipb changes only; move it onto the remote branch with 'git rebase', or drop it, then sync again"
unchanged_since 'b: nothing rewritten: HEAD, tags and dropped refs as before'
git reset -q --hard HEAD~1
check_status 0 'b: without the plain commit, the sync goes through' dipb sync
check_git_agrees 'b: git and dipb verify agree at the end'

# --- another member's change, synced by someone else --------------------------
cd "$A" || exit 1
as drafter
mkrec supply-chain-security 'Upstream again' >/dev/null
dipb sync >/dev/null 2>&1
cd "$B" || exit 1
as drafter
mkrec supply-chain-security 'Drafted by Dan, synced by the chair' >/dev/null
as chair
check_status 0 "b: the chair syncs Dan's change" dipb sync
check_eq "b: it is authored, committed and tagged in Dan's name" \
    'dan@example.org dan@example.org dan@example.org' \
    "$(git log -1 --format='%ae %ce') $(git for-each-ref --format='%(taggeremail:trim)' "refs/tags/$(git tag --points-at HEAD)")"
check_git_agrees "b: dipb verify agrees (one member makes a change)"

# --- an edit of text edited upstream, a review already given upstream ---------
cd "$A" || exit 1
dipb sync >/dev/null 2>&1
as drafter
mkrec industrial-capacity 'Edited on both sides' >/dev/null
ED=$(ls -t recommendations | head -n 1 | sed 's/\.yaml$//')
mkrec industrial-capacity 'Reviewed on both sides' >/dev/null
RV=$(ls -t recommendations | head -n 1 | sed 's/\.yaml$//')
dipb review "$RV" --request >/dev/null 2>&1
dipb sync >/dev/null 2>&1
cd "$B" || exit 1
dipb sync >/dev/null 2>&1
as drafter
edit_title "$ED" 'Edited in B'
as rev1
dipb review "$RV" --endorse >/dev/null 2>&1
cd "$A" || exit 1
as drafter
edit_title "$ED" 'Edited in A'
as rev1
dipb review "$RV" --endorse >/dev/null 2>&1
dipb sync >/dev/null 2>&1
cd "$B" || exit 1
check_status 6 'b: sync of an edit and a review both made upstream too' \
    dipb sync
check_err_re 'b: the edit is dropped: edited upstream since' \
    "dropped $ED/[0-9]*-edited: $ED was edited upstream since: edit it again\$"
check_err_re 'b: the same review is dropped: already done upstream' \
    "dropped $RV/[0-9]*-reviewed: already done upstream \\($RV/3-reviewed by Rita Reviewer\\)\$"
check_eq "b: A's edit stands" 'Edited in A' "$(field "$ED" title)"

# --- a board change made upstream too, a role lost upstream ------------------
cd "$A" || exit 1
as chair
sedit dipb.yaml 's/^    working_groups: \[industrial-capacity\]$/    working_groups: [supply-chain-security]/'
check 'a: the chair moves Ida to another group' dipb edit --board --no-edit
dipb sync >/dev/null 2>&1
cd "$B" || exit 1
as chair
sedit dipb.yaml 's/^board: .*/board: Renamed Board/'
dipb edit --board --no-edit >/dev/null 2>&1
as icdrafter
mkrec industrial-capacity 'Drafted by Ida in B' >/dev/null
check_status 6 'b: sync of a board change and of a draft whose role is gone' \
    dipb sync
check_err_re 'b: the board change is dropped: dipb.yaml changed upstream' \
    'dropped board/[0-9]*-changed: dipb.yaml changed upstream: make the change again with dipb edit --board$'
check_err_re "b: Ida's draft is dropped: not a drafter of the group as of the remote" \
    "dropped IC-[0-9]*/1-drafted: ida@example.org may not .*industrial-capacity.*\\(dipb.yaml as of the remote\\)\$"
check_git_agrees 'b: git and dipb verify agree after the drops'

# --- a board change dipb validate refuses, made with git ---------------------
# A change of dipb.yaml committed with git and tagged as dipb tags one is
# checked as dipb edit --board checks it (dipb-sync(1)): ESC in a member's
# name (control-character) is dropped, not committed on the remote's tip.
cd "$A" || exit 1
dipb sync >/dev/null 2>&1
cd "$B" || exit 1
dipb sync >/dev/null 2>&1
sedit dipb.yaml 's/^  - name: Dan Drafter$/  - name: "Dan \\e[2J Drafter"/'
git add dipb.yaml
forge board changed '' chair
cd "$A" || exit 1
as drafter
mkrec supply-chain-security 'Drafted in A after the hand-made board' >/dev/null
dipb sync >/dev/null 2>&1
cd "$B" || exit 1
as chair
check_status 6 'b: sync of a hand-made board change with ESC in a name' \
    dipb sync
check_err_re 'b: it is dropped, at its line, rule control-character' \
    "dropped board/[0-9]*-changed: dipb.yaml:[0-9]*:5: 'members: name' holds a control character, U\\+001B, .*\\[control-character\\]: make the change again with dipb edit --board\$"
mkdir "$TROOT/btip" && git show HEAD:dipb.yaml >"$TROOT/btip/dipb.yaml"
check_status 0 "validate: the board at B's tip, git's, is clean" \
    dipb validate "$TROOT/btip/dipb.yaml"
check_eq "git: the remote's tip is B's" "$(git rev-parse HEAD)" \
    "$(git ls-remote "$REMOTE" refs/heads/main | cut -f1)"
check_git_agrees 'b: git and dipb verify agree after the drop'

# --- a declassification and an action's new state, replayed ------------------
# B declassifies a decided record and marks one of its actions done while
# A moves the remote: both are made again on A's tip, by their members,
# with their inputs (the level, the action, its state, the text).
cd "$A" || exit 1
dipb sync >/dev/null 2>&1
as drafter
cat >"$TROOT/restricted.yaml" <<EOF
title: Restricted, then declassified
working_group: supply-chain-security
classification: NATO RESTRICTED
priority: medium
summary: |
  Sensitive for now.
actions:
  - text: First action.
    owner: Board secretariat
  - text: Second action.
    owner: National Armaments Directors
EOF
DC=$(dipb recommend --from "$TROOT/restricted.yaml" --no-edit 2>/dev/null)
drive "$DC" decided
dipb sync >/dev/null 2>&1
cd "$B" || exit 1
dipb sync >/dev/null 2>&1
as chair
dipb declassify "$DC" 'NATO UNCLASSIFIED' -m 'No longer sensitive.' \
    >/dev/null 2>&1
T1=$(git tag --points-at HEAD)
as secretary
dipb action "$DC" 1 --done -m 'Delivered.' >/dev/null 2>&1
T2=$(git tag --points-at HEAD)
check_eq 'b: two local changes, a declassification and an action' \
    "$DC declassified $DC action-updated" \
    "${T1%%/*} ${T1#*/[0-9]*-} ${T2%%/*} ${T2#*/[0-9]*-}"
cd "$A" || exit 1
as drafter
mkrec industrial-capacity 'Moves the remote' >/dev/null
dipb sync >/dev/null 2>&1
ATIP=$(git rev-parse HEAD)
cd "$B" || exit 1
as secretary
check_status 0 'b: the declassification and the action are replayed' \
    dipb sync
check_eq 'b: both landed under their tags, then pushed' \
    "landed $T1
landed $T2
pushed to origin main" "$(grep -E '^(landed|dropped|pushed) ' "$ERR")"
check_eq "b: replayed on A's tip" "$ATIP" "$(git rev-parse HEAD~2)"
check_eq 'b: the classification is lowered' 'NATO UNCLASSIFIED' \
    "$(field "$DC" classification)"
check_eq "b: the first action is done, the second still open" 'done open' \
    "$(jshow "$DC" "d['actions'][0]['state']") $(jshow "$DC" "d['actions'][1]['state']")"
check_eq 'b: each in its member'"'"'s name, with its text' \
    "chair@example.org Dipb-Event: declassified|No longer sensitive.
secretary@example.org Dipb-Event: action-updated|Delivered." \
    "$(for c in HEAD~1 HEAD; do printf '%s %s|%s\n' "$(git log -1 --format=%ae "$c")" "$(git log -1 --format='%(trailers:key=Dipb-Event)' "$c" | sed '/^$/d')" "$(git log -1 --format=%b "$c" | sed -n '/^Dipb-/q; /./p' | head -n 1)"; done)"
check_git_agrees 'b: git and dipb verify agree after the replay'

# --- a local draft that adds a control character is dropped ------------------
# dipb writes none into a record (dipb-validate(1), control-character): a
# local draft that holds one, committed by git (hostile, lib.sh) as an
# older dipb did, is not made again on the remote's tip.
cd "$A" || exit 1
dipb sync >/dev/null 2>&1
as drafter
mkrec industrial-capacity 'Upstream, plain' >/dev/null
dipb sync >/dev/null 2>&1
cd "$B" || exit 1
as drafter
hostile "$(mkrec supply-chain-security 'Clear @ESC@[2J now')"
OLDH=$(git tag --points-at HEAD)
check_status 6 'b: sync of a local draft with ESC in its title: none landed' \
    dipb sync
check_err_re 'b: dropped: it would not load as replayed, for the ESC' \
    "dropped $OLDH: SCS-[0-9]* would not load as replayed: .*'title' holds a control character, U\\+001B"
check_eq 'b: the branch is the remote tip' \
    "$(git ls-remote "$REMOTE" HEAD | cut -f1)" "$(git rev-parse HEAD)"
check 'b: the remote holds no ESC' sh -c \
    '! git grep -q -I -e "\\\\e" HEAD -- recommendations'
check_git_agrees 'b: git and dipb verify agree after the drop'

# --- tags of another form on the remote count for no number -----------------
# Tags made by hand in a record's folder whose names are not of dipb's
# form (dipb-git(7), "Tags of another form"), pushed to the remote (dipb
# verify, as a pre-receive hook runs it, judges none): the replay numbers
# the record's next change after its changes' tags alone.  It took the N
# strtoul read: 20000000001, a tag verify reports missing.
cd "$A" || exit 1
dipb sync >/dev/null 2>&1
as drafter
FR=$(mkrec industrial-capacity 'Foreign tags upstream')
dipb sync >/dev/null 2>&1
cd "$B" || exit 1
dipb sync >/dev/null 2>&1
cd "$A" || exit 1
for f in 20000000000-edited; do
	git tag -a -m 'by hand' "$FR/$f" HEAD
	git push -q origin "refs/tags/$FR/$f" 2>/dev/null
done
mkrec industrial-capacity 'Moves the remote again' >/dev/null
dipb sync >/dev/null 2>&1
cd "$B" || exit 1
as drafter
dipb review "$FR" --request >/dev/null 2>&1
check_status 0 'b: a change of a record with tags of another form upstream' \
    dipb sync
check_eq 'b: replayed as its change 2, the hand-made tags not counted' \
    "$FR/2-review-requested" "$(git tag --points-at HEAD)"
check_git_agrees 'b: git and dipb verify agree after that replay'

# --- signed changes are signed again, with the member's key -------------------
if ! command -v ssh-keygen >/dev/null 2>&1; then
	skip 'signed replay' 'ssh-keygen is not installed'
	finish
	exit
fi
unset SSH_AUTH_SOCK SSH_AGENT_PID SSH_ASKPASS SSH_ASKPASS_REQUIRE DISPLAY
K=$TROOT/keys
mkdir "$K"
cp "$BOARD_CONFIG" "$TROOT/signed.yaml"
for m in chair icdrafter drafter rev1; do
	ssh-keygen -q -t ed25519 -N '' -C "$m" -f "$K/$m"
	_e=$(member "$m" | cut -d'|' -f2)
	awk -v em="$_e" -v key="$(cut -d' ' -f1,2 "$K/$m.pub")" '{ print }
	    $0 == "    email: " em { print "    keys:"; print "      - " key }' \
	    "$TROOT/signed.yaml" >"$TROOT/signed.new" &&
	    mv "$TROOT/signed.new" "$TROOT/signed.yaml"
done
# act KEY DIR: in clone DIR, act as member KEY with KEY's key.
act() {
	cd "$2" || exit 1
	as "$1"
	git config gpg.format ssh
	git config user.signingKey "$K/$1"
}
SREMOTE=$TROOT/signed.git
git init -q --bare "$SREMOTE"
SA=$TROOT/sa
git init -q "$SA"
act chair "$SA"
dipb init --config "$TROOT/signed.yaml" >/dev/null 2>&1
git remote add origin "$SREMOTE"
git push -q -u origin HEAD --follow-tags 2>/dev/null
SB=$TROOT/sb
git clone -q "$SREMOTE" "$SB" 2>/dev/null
act drafter "$SB"
mkrec industrial-capacity 'Signed from B' >/dev/null	# IC-0001, signed
act icdrafter "$SA"
mkrec industrial-capacity 'Signed from A' >/dev/null
dipb sync >/dev/null 2>&1
act drafter "$SB"
check_status 0 'signed: sync with the member key' dipb sync
check_stdout 'signed: renumbered' 'IC-0001 -> IC-0002'
dipb allowed-signers >"$TROOT/allowed" 2>/dev/null
git config gpg.ssh.allowedSignersFile "$TROOT/allowed"
if git verify-commit HEAD >"$TROOT/vc" 2>&1 &&
    grep -q 'Good "git" signature for dan@example.org' "$TROOT/vc"; then
	ok 'signed: git verify-commit: the replayed commit is signed by its member'
else
	not_ok 'signed: git verify-commit' "$(cat "$TROOT/vc")"
fi
if git verify-tag IC-0002/1-drafted >"$TROOT/vt" 2>&1; then
	ok 'signed: git verify-tag: its tag too'
else
	not_ok 'signed: git verify-tag' "$(cat "$TROOT/vt")"
fi
check_git_agrees 'signed: git and dipb verify agree'

# --- ... and refused, before anything is written, with another's key ----------
act drafter "$SB"
mkrec industrial-capacity 'Signed again from B' >/dev/null	# IC-0003
act icdrafter "$SA"
dipb sync >/dev/null 2>&1
mkrec industrial-capacity 'Signed again from A' >/dev/null	# IC-0003
dipb sync >/dev/null 2>&1
act drafter "$SB"
git config user.signingKey "$K/rev1"	# dan acting with rita's key
snap
check_status 3 'signed: sync with a key that is not the member'"'"'s: refused' dipb sync
check_err 'signed: the refusal names the change, its member and what to do' \
    'run dipb sync as dan@example.org, with their key'
unchanged_since 'signed: nothing rewritten'
git config user.signingKey "$K/drafter"
check_status 0 'signed: with the right key, the sync goes through' dipb sync
check_git_agrees 'signed: git and dipb verify agree at the end'

# --- ... and only for the changes made again, not those dropped ---------------
# A chair's migration in B waits unsynced under Dan's new record.  While
# the remote is flat, the migration is made again: it needs the chair's
# key, and Dan's sync is refused before anything is written.  Once the
# chair has migrated in A, B's migration is dropped (the remote is sharded
# already): it is not signed again, and Dan's record lands with his key.
act chair "$SB"
dipb migrate --layout sharded >/dev/null 2>&1
act drafter "$SB"
mkrec industrial-capacity 'After the migration in B' >/dev/null
act icdrafter "$SA"
dipb sync >/dev/null 2>&1
mkrec industrial-capacity 'Meanwhile in A' >/dev/null
dipb sync >/dev/null 2>&1
act drafter "$SB"
snap
check_status 3 'signed: a chair'"'"'s migration to be made again, Dan'"'"'s key: refused' \
    dipb sync
check_err 'signed: the refusal names the chair' \
    'run dipb sync as chair@example.org, with their key'
unchanged_since 'signed: nothing rewritten for the migration to be made again'
act chair "$SA"
dipb migrate --layout sharded >/dev/null 2>&1
dipb sync >/dev/null 2>&1
act drafter "$SB"
check_status 1 'signed: the chair'"'"'s migration dropped, Dan'"'"'s record landed with his key' \
    dipb sync
check_err 'signed: the migration dropped, the remote sharded already' \
    "the remote's board is in the sharded layout already"
check_eq "signed: kept under refs/dipb/dropped/, the remote's tip Dan's record, signed by him" \
    '1 drafted dan@example.org' \
    "$(git for-each-ref refs/dipb/dropped/board | wc -l | tr -d ' ') $(git --git-dir="$SREMOTE" log -1 --format='%(trailers:key=Dipb-Event,valueonly)' main | tr -d '\n') $(git --git-dir="$SREMOTE" log -1 --format=%ae main)"
if git verify-commit HEAD >"$TROOT/vc" 2>&1 &&
    grep -q 'Good "git" signature for dan@example.org' "$TROOT/vc"; then
	ok 'signed: git verify-commit: the landed record signed by Dan'
else
	not_ok 'signed: git verify-commit of the landed record' "$(cat "$TROOT/vc")"
fi
check_git_agrees 'signed: git and dipb verify agree after the drop'
# The other order: Dan's record made again first, then the chair's board
# change, which Dan's key cannot sign: refused there, exit 3, no ref
# moved; the objects of Dan's record made again are named by no ref, as
# dipb-sync(1) says, and git fsck finds nothing else.
SC=$TROOT/sc
git clone -q "$SREMOTE" "$SC" 2>/dev/null
act drafter "$SC"
mkrec industrial-capacity 'Dan first, in C' >/dev/null
act chair "$SC"
sedit dipb.yaml 's/^  quorum: 2$/  quorum: 1/'
run dipb edit --board --no-edit
check_eq 'signed, C: the chair'"'"'s board change after Dan'"'"'s record' \
    '0 board' "$RC $(git log -1 --format='%(trailers:key=Dipb-Record,valueonly)' | tr -d '\n')"
act icdrafter "$SA"
mkrec industrial-capacity 'Meanwhile in A, again' >/dev/null
dipb sync >/dev/null 2>&1
act drafter "$SC"
snap
check_status 3 'signed, C: the board change to be made again after Dan'"'"'s record: refused' \
    dipb sync
check_err 'signed, C: the refusal names the chair' \
    'run dipb sync as chair@example.org, with their key'
unchanged_since 'signed, C: no ref moved'
check_eq 'signed, C: git status clean, git fsck finds nothing but what no ref names' \
    '0 ' "$(git fsck --no-progress >"$TROOT/fsck" 2>&1; echo $?) $(git status --porcelain; grep -v '^dangling ' "$TROOT/fsck")"

# --- an endorsement whose reviewer lost the role upstream is dropped ----------
# A local move is made again only if its member may make it by the
# remote's dipb.yaml (dipb-sync(1)): Rita endorses in B while the chair
# takes her reviewer role in A.  Her endorsement is dropped, never landed.
new_board rolelost
as drafter
mkrec industrial-capacity 'Endorsed by Rita in B' >/dev/null	# IC-0001
dipb review IC-0001 --request >/dev/null 2>&1
share_two rolelost || { finish; exit 1; }
cd "$B" || exit 1
as rev1
check 'b: Rita endorses IC-0001' dipb review IC-0001 --endorse
RV=$(git tag --points-at HEAD)
cd "$A" || exit 1
as chair
sedit dipb.yaml '/^    email: rita@example.org$/,/^    roles:/s/^    roles: \[reviewer\]$/    roles: [drafter]/'
check "a: the chair takes Rita's reviewer role" dipb edit --board --no-edit
check 'a: sync' dipb sync
cd "$B" || exit 1
as rev1
check_status 6 'b: sync of an endorsement whose reviewer lost the role upstream: none landed' \
    dipb sync
check_err "b: Rita's endorsement is dropped: no reviewer as of the remote" \
    "dropped $RV: rita@example.org may not review --endorse IC-0001: needs the reviewer role (dipb.yaml as of the remote)"
check_eq "git: the remote's IC-0001 holds no review by Rita" 0 \
    "$(git --git-dir="$SRV" show main:recommendations/IC-0001.yaml | grep -c 'reviewer: rita@example.org')"
check_eq "git: the remote's tip is A's board change" board/2-changed \
    "$(git --git-dir="$SRV" tag --points-at main)"
check_git_agrees 'b: git and dipb verify agree after the drop'

# --- a deferred decision decided again on both sides --------------------------
# The remote decided it again (agreed); this clone's own decision of it
# (declined) is dropped with why, never landed over the agreed one (a
# mutation run found the check of the move's status not pinned down).
new_board decided >/dev/null
at 2026-03-02
as drafter
did=$(mkrec industrial-capacity 'Framework contracts')
drive "$did" submitted
as secretary
run dipb decide "$did" --outcome deferred -m 'Next meeting.'
git init -q --bare "$TROOT/decided.git"
git remote add origin "$TROOT/decided.git"
git push -q -u origin HEAD --follow-tags 2>/dev/null
git clone -q "$TROOT/decided.git" "$TROOT/decided-b" 2>/dev/null
at 2026-03-20
run dipb decide "$did" --outcome agreed -m 'Agreed at last.'
run dipb sync
check_eq 'decided again upstream: agreed, pushed' 0 "$RC"
cd "$TROOT/decided-b" || exit 1
run dipb decide "$did" --outcome declined -m 'Declined here.'
check_eq '  decided again here: declined' 0 "$RC"
run dipb sync
check_eq '  the sync drops it: exit 6' 6 "$RC"
check_err '  saying why' 'only a deferred decision is decided again'
check_eq '  the decision in force is the remote'"'"'s' agreed \
    "$(jshow "$did" 'd["decision"]["outcome"]')"
verify_clean '  verify after the sync: no finding'

# --- a layout changed in a board change made with git ------------------------
# Dropped, saying to run dipb migrate after the sync: which then moves the
# records (no refusal sends the user back).
cd "$A" || exit 1
dipb sync >/dev/null 2>&1
cd "$B" || exit 1
dipb sync >/dev/null 2>&1
printf 'layout: sharded\n' >>dipb.yaml
git add dipb.yaml
forge board changed '' chair
cd "$A" || exit 1
as drafter
mkrec supply-chain-security 'Drafted in A before the hand-made layout' >/dev/null
dipb sync >/dev/null 2>&1
cd "$B" || exit 1
as chair
check_status 6 'b: sync of a hand-made board change of the layout' dipb sync
check_err_re 'b: it is dropped: dipb migrate, run after the sync' \
    "dropped board/[0-9]*-changed: dipb.yaml: layout: flat is changed by 'dipb migrate --layout sharded', not by a board change: run it after the sync"
cmd=$(sed -n "s/.*changed by '\(dipb migrate [^']*\)'.*run it after the sync.*/\1/p" "$ERR")
check "b: then '$cmd', as the message says, succeeds" sh -c "$cmd"
check 'b: the migration syncs' dipb sync
check_git_agrees 'b: git and dipb verify agree after the migration'

# --- a reason that quotes the remote's text: in the tag, as it is printed ----
# A record the remote holds that does not load, pushed with git past no
# hook: the change made here is dropped with the loader's message, which
# quotes its value, the C1 CSI (U+009B) in it; the message of the tag
# that keeps the change shows it as the terminal does, '?', never raw
# (dipb-sync(1), FILES).
new_board quoted
as drafter
mkrec industrial-capacity 'Endorsed by Rita in B' >/dev/null	# IC-0001
dipb review IC-0001 --request >/dev/null 2>&1
share_two quoted || { finish; exit 1; }
rm "$SRV/hooks/pre-receive"
cd "$B" || exit 1
as rev1
check 'b: Rita endorses IC-0001' dipb review IC-0001 --endorse
RV=$(git tag --points-at HEAD)
cd "$A" || exit 1
sedit recommendations/IC-0001.yaml \
    's/^created: .*/created: "2026\\u009b31m-03-01"/'
git commit -q -m 'by hand' recommendations/IC-0001.yaml &&
    git push -q origin main 2>/dev/null
check_eq 'a: a created date with U+009B pushed with git' 0 "$?"
cd "$B" || exit 1
run dipb sync
check_eq "b: Rita's endorsement is dropped, the value shown with '?'" \
    "6 dropped $RV: IC-0001 does not load on the remote: recommendations/IC-0001.yaml:7:10: 'created' is not a valid date: '2026?31m-03-01'" \
    "$RC $(grep '^dropped' "$ERR")"
check_eq 'b: the tag that keeps it says the same, no C1 control in it' \
    "IC-0001 does not load on the remote: recommendations/IC-0001.yaml:7:10: 'created' is not a valid date: '2026?31m-03-01'" \
    "$(git for-each-ref --format='%(contents)' "refs/dipb/dropped/$RV" |
    LC_ALL=C tr '\200-\237' '#')"

finish

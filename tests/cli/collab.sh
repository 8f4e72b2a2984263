#!/bin/sh
# tests/cli/collab.sh - the collaboration stories of issue 13 ("Many
# people, many clones"), each as a test of what dipb does now: a board
# shared through a bare repository with examples/pre-receive installed, a
# clone per member, and what went wrong before.
#
#   1. Two drafters recommend without pulling: the second sync renumbers
#      (IC-0003 -> IC-0004 on stdout), verify clean on both sides.
#   2. Work on different records: sync lands both, the tags name the
#      replayed commits (no tag-moved), the hook takes the push.
#   3. A reviewer whose push was refused resets to the remote: the same
#      endorsement with --expect FINGERPRINT of what they read is refused,
#      naming both fingerprints; sync drops a stale endorsement likewise.
#   4. git pull --rebase after both drafted: while the rebase stops,
#      writing commands refuse naming it, reading ones work; dipb sync
#      after git rebase --abort.
#   5. A plain git push without --follow-tags: the hook refuses, with a
#      hint (--follow-tags, or dipb sync).
#   6. Pull requests of drafts/ files merged by merge commit, squash and
#      rebase-and-merge: verify clean, on the pull request's checkout too
#      once main has newer tags; the hook takes the merge; the draft then
#      becomes a record with recommend --from and sync.
#   7. A shallow clone: writing commands and sync refuse, saying so and
#      what to do; reading commands work.
#
# Stories 5 and 6 need helper "branches"' work (h-branches: the hook's
# hint; verify on a pull request's checkout) and "forge"'s (h-forge:
# validate of drafts/), story 3's --expect and story 4 and 7's refusals
# helper "states"' (h-states, merged here).
. "$(dirname "$0")/lib.sh"

GIT_TERMINAL_PROMPT=0
export GIT_TERMINAL_PROMPT

# The editor of an edit: the title becomes $EDIT_TITLE.
cat >"$TROOT/ed-title" <<'EOF'
#!/bin/sh
sed "s/^title: .*/title: $EDIT_TITLE/" "$1" >"$1.tmp" && cat "$1.tmp" >"$1" &&
    rm -f "$1.tmp"
EOF
chmod +x "$TROOT/ed-title"

# The board every story starts from: IC-0001 in review, IC-0002 a draft.
new_board
CLEAN=$BOARD
as drafter
mkrec industrial-capacity 'In review' >/dev/null	# IC-0001
mkrec industrial-capacity 'A draft' >/dev/null		# IC-0002
drive IC-0001 in-review
nobody

# story NAME: the clean board shared as $TROOT/NAME.git (with the hook),
# two clones of it, $A and $B; cds to $A.
story() {
	cd "$CLEAN" || exit 1
	share_two "$1" || exit 1
	cd "$A" || exit 1
}

# server_clean DESC: a fresh clone of the server verifies clean (dipb
# verify, git fsck --strict, git status), one tag a commit.
server_clean() {
	rm -rf "$TROOT/fresh"
	git clone -q "file://$SRV" "$TROOT/fresh" </dev/null 2>/dev/null
	(cd "$TROOT/fresh" && check_git_agrees "$1")
}

# fingerprint ID: the fingerprint dipb show gives for ID.
fingerprint() { jshow "$1" "d['fingerprint']"; }

# --- 1. two drafters recommend without pulling -----------------------------------

story ids
as icdrafter
check_out 'ids: A drafts IC-0003' IC-0003 dipb recommend \
    --wg industrial-capacity --title 'From A' --summary 'A.' --no-edit
cd "$B" || exit 1
as drafter
check_out 'ids: B, not having pulled, drafts IC-0003 too' IC-0003 \
    dipb recommend --wg industrial-capacity --title 'From B' \
    --summary 'B.' --no-edit
cd "$A" || exit 1
as icdrafter
check_status 0 'ids: A syncs first: exit 0' dipb sync
check_eq 'ids: nothing renumbered: stdout empty' '' "$(cat "$OUT")"
check_err 'ids: A: landed IC-0003/1-drafted' 'landed IC-0003/1-drafted'
cd "$B" || exit 1
as drafter
check_status 0 'ids: B syncs: exit 0' dipb sync
check_stdout 'ids: B: stdout says IC-0003 -> IC-0004' 'IC-0003 -> IC-0004'
check_err 'ids: B: its change landed renumbered' \
    'landed IC-0004/1-drafted (was IC-0003/1-drafted)'
check_eq 'ids: B: IC-0004 is B'"'"'s' 'From B' "$(field IC-0004 title)"
check_eq 'ids: B: IC-0003 is A'"'"'s' 'From A' "$(field IC-0003 title)"
check_eq 'ids: B: the commit says where it came from' IC-0003 \
    "$(trailer Dipb-Renumbered-From IC-0004/1-drafted)"
check_eq 'ids: B: no local IC-0003/1-drafted of its own left' \
    "$(git --git-dir="$SRV" rev-parse 'IC-0003/1-drafted^{commit}')" \
    "$(git rev-parse 'IC-0003/1-drafted^{commit}')"
check_git_agrees 'ids: B: verify, fsck, status clean'
cd "$A" || exit 1
check_status 0 'ids: A syncs again: exit 0' dipb sync
check_eq 'ids: A has B'"'"'s IC-0004' 'From B' "$(field IC-0004 title)"
check_git_agrees 'ids: A: verify, fsck, status clean'
server_clean 'ids: the server verifies clean'

# --- 2. work on different records ------------------------------------------------

story records
as drafter
check 'records: A requests review of IC-0002' dipb review IC-0002 --request
cd "$B" || exit 1
as rev1
check 'records: B endorses IC-0001' dipb review IC-0001 --endorse
cd "$A" || exit 1
as drafter
check_status 0 'records: A syncs first' dipb sync
cd "$B" || exit 1
as rev1
check_status 0 'records: B syncs: exit 0' dipb sync
check_eq 'records: B: its change kept its tag (the first line)' \
    'landed IC-0001/3-reviewed' "$(head -n 1 "$ERR")"
check_err 'records: B: pushed' 'pushed to origin main'
check_eq 'records: B: IC-0001/3-reviewed names the new tip' \
    "$(git rev-parse HEAD)" "$(git rev-parse 'IC-0001/3-reviewed^{commit}')"
check_eq 'records: the server has it on main'"'"'s tip' \
    "$(git --git-dir="$SRV" rev-parse main)" \
    "$(git --git-dir="$SRV" rev-parse 'IC-0001/3-reviewed^{commit}')"
check_eq 'records: the server: A'"'"'s change is HEAD~1' \
    "$(git --git-dir="$SRV" rev-parse main~1)" \
    "$(git --git-dir="$SRV" rev-parse 'IC-0002/2-review-requested^{commit}')"
run dipb verify
check_eq 'records: B: verify finds no tag-moved' '' \
    "$(grep -F '[tag-moved]' "$OUT" "$ERR")"
check_git_agrees 'records: B: verify, fsck, status clean'
server_clean 'records: the server verifies clean'

# --- 3. a reviewer who reset after a refused push -------------------------------

story expect
cd "$B" || exit 1
FP1=$(fingerprint IC-0001)
check_eq 'expect: dipb show gives a fingerprint' 1 \
    "$(printf '%s\n' "$FP1" | grep -c -E '^[0-9a-f]{8,}$')"
# Meanwhile, in A: changes requested, the text edited, review again.
cd "$A" || exit 1
as rev2
run dipb review IC-0001 --request-changes -m 'Add the figures.'
as drafter
run env EDITOR="$TROOT/ed-title" EDIT_TITLE='With the figures' \
    dipb edit IC-0001
run dipb review IC-0001 --request
check_status 0 'expect: A publishes the new text, in review again' dipb sync
FP2=$(fingerprint IC-0001)
check_eq 'expect: the text changed: another fingerprint' 1 \
    "$([ "$FP1" != "$FP2" ] && echo 1)"
# B endorses what it read, and pushes with git: refused (not a fast-forward).
cd "$B" || exit 1
as rev1
check 'expect: B endorses the version it read' dipb review IC-0001 --endorse
run git push --atomic --follow-tags origin main
check_eq 'expect: B'"'"'s plain push is refused' 1 "$([ "$RC" -ne 0 ] && echo 1)"
# The reviewer resets to the remote and endorses again.
git fetch -q --tags origin 2>/dev/null
git tag -d IC-0001/3-reviewed >/dev/null
git reset -q --hard origin/main
check_refused 1 "$FP2" \
    'expect: the same endorsement with --expect of what was read: refused, exit 1' \
    dipb review IC-0001 --endorse --expect "$FP1"
check_err 'expect: the refusal names the fingerprint read too' "$FP1"
check_change IC-0001/6-reviewed 'in-review -> in-review' '' \
    dipb review IC-0001 --endorse --expect "$FP2"
check_status 0 'expect: B syncs the endorsement of the text it read' dipb sync
# The same through dipb sync: a stale endorsement is dropped, not replayed.
cd "$A" || exit 1
check_status 0 'expect: A catches up' dipb sync
as rev1
run dipb review IC-0001 --request-changes -m 'Once more.'
as drafter
run env EDITOR="$TROOT/ed-title" EDIT_TITLE='Third text' dipb edit IC-0001
run dipb review IC-0001 --request
check_status 0 'expect: A publishes a third text' dipb sync
FP3=$(fingerprint IC-0001)
cd "$B" || exit 1
as rev2
run dipb review IC-0001 --endorse -m 'Read the second text.'
check_status 6 'expect: sync of an endorsement of the second text: exit 6' \
    dipb sync
check_err_re 'expect: dropped, naming the record and both fingerprints' \
    "^dropped IC-0001/[0-9]+-(reviewed|endorsed): .*IC-0001.*$FP2.*$FP3"
check 'expect: the dropped change is kept under refs/dipb/dropped/' \
    sh -c 'git for-each-ref refs/dipb/dropped | grep -q IC-0001/'
check_git_agrees 'expect: B: verify, fsck, status clean'
server_clean 'expect: the server verifies clean'

# --- 4. git pull --rebase stopped by a conflict -----------------------------------

story rebase
as icdrafter
run dipb recommend --wg industrial-capacity --title 'From A' --summary A \
    --no-edit
run git push -q --atomic --follow-tags origin main
cd "$B" || exit 1
as drafter
run dipb recommend --wg industrial-capacity --title 'From B' --summary B \
    --no-edit
run git pull -q --rebase origin main
check_eq 'rebase: git pull --rebase stops on IC-0003 (add/add)' 1 \
    "$([ "$RC" -ne 0 ] && { [ -d .git/rebase-merge ] || [ -d .git/rebase-apply ]; } && echo 1)"
check 'rebase: while it stops, dipb list works' dipb list
check 'rebase: while it stops, dipb show works' dipb show IC-0001
run dipb review IC-0002 --request
check_eq 'rebase: while it stops, a writing command refuses' 1 \
    "$([ "$RC" -ne 0 ] && echo 1)"
check_err 'rebase: naming the rebase' 'rebase'
run git rebase --abort
check_status 0 'rebase: after git rebase --abort, dipb sync: exit 0' dipb sync
check_stdout 'rebase: IC-0003 -> IC-0004' 'IC-0003 -> IC-0004'
check_git_agrees 'rebase: B: verify, fsck, status clean'
server_clean 'rebase: the server verifies clean'

# --- 5. a plain git push without --follow-tags (needs h-branches' hook) -----------

story plainpush
as drafter
run dipb review IC-0002 --request
run git push origin main
check_eq 'plainpush: git push without the tags is refused' 1 \
    "$([ "$RC" -ne 0 ] && echo 1)"
check_err_re 'plainpush: the hook says how: --follow-tags, or dipb sync' \
    '(--follow-tags|dipb sync)'
check_eq 'plainpush: the server did not move' \
    "$(git rev-parse HEAD~1)" "$(git --git-dir="$SRV" rev-parse main)"
check 'plainpush: git push --atomic --follow-tags is taken' \
    git push -q --atomic --follow-tags origin main
server_clean 'plainpush: the server verifies clean'

# --- 6. pull requests of drafts/ files (needs h-branches' verify) ------------------

story pr
git checkout -q -b pr
mkdir -p drafts
cp "$DIPB_SRCDIR/examples/drafts/ic-workforce-skills.yaml" drafts/
as drafter
git add drafts && git commit -q -m 'Propose a draft on workforce skills'
# (A file under drafts/ validated as a draft: h-forge.)
check 'pr: the draft validates' dipb validate drafts/ic-workforce-skills.yaml
# main gains newer tags meanwhile.
cd "$B" || exit 1
as rev1
run dipb review IC-0001 --endorse
check_status 0 'pr: main gains a change (B syncs)' dipb sync
cd "$A" || exit 1
git fetch -q origin 2>/dev/null
git fetch -q --tags origin 2>/dev/null
check 'pr: the pull request'"'"'s checkout verifies, main being newer' dipb verify
# merge commit
git checkout -q -b m-merge origin/main
git merge -q --no-ff -m 'Merge pull request #1 from pr' pr
check 'pr: merged by a merge commit: verify clean' dipb verify
# squash
git checkout -q -b m-squash origin/main
git merge -q --squash pr >/dev/null 2>&1 && git commit -q -m 'Propose a draft on workforce skills (#1)'
check 'pr: squashed: verify clean' dipb verify
# rebase and merge
git checkout -q -b m-rebase pr
git rebase -q origin/main 2>/dev/null
check 'pr: rebased and merged: verify clean' dipb verify
# The merge commit goes to the server; the draft becomes a record.
git checkout -q main
git reset -q --hard m-merge
as drafter
check 'pr: the merge is pushed (a fast-forward), the hook takes it' \
    git push -q --atomic --follow-tags origin main
check_out 'pr: the draft becomes a record' IC-0003 \
    dipb recommend --from drafts/ic-workforce-skills.yaml --no-edit
check_status 0 'pr: and is published with dipb sync' dipb sync
check_git_agrees 'pr: A: verify, fsck, status clean'
server_clean 'pr: the server verifies clean'

# --- 7. a shallow clone -----------------------------------------------------------

story shallow
git clone -q --depth 1 "file://$SRV" "$TROOT/shallow" </dev/null 2>/dev/null
cd "$TROOT/shallow" || exit 1
as drafter
check_refused nonzero 'shallow' \
    'shallow: dipb recommend refuses, saying it is a shallow clone' \
    dipb recommend --wg industrial-capacity --title T --summary S --no-edit
check_err 'shallow: and what to do' 'unshallow'
check_refused nonzero 'shallow' 'shallow: dipb review refuses' \
    dipb review IC-0002 --request
check_refused 1 'shallow' 'shallow: dipb sync refuses: exit 1' dipb sync
check 'shallow: dipb list works' dipb list
check 'shallow: dipb show works' dipb show IC-0001
# A record's history cut by the clone: never its oldest version here taken
# for its first, nor its versions said not to be dipb's (dipb-git(7)).
check_refused 5 "IC-0001's history is cut: this is a shallow clone" \
    'shallow: dipb diff IC-0001: exit 5, the cut named' dipb diff IC-0001
check_err 'shallow: dipb diff IC-0001: and what to do' \
    "'git fetch --unshallow --tags' fetches the rest"
run dipb log IC-0001
check_eq 'shallow: dipb log IC-0001 shows the versions here: exit 0' 0 "$RC"
check_err 'shallow: dipb log IC-0001: and warns where they start' \
    "dipb: warning: IC-0001's history is cut: this is a shallow clone"

finish

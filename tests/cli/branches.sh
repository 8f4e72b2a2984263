#!/bin/sh
# tests/cli/branches.sh - tags are global, branches are not: dipb verify
# judges the checked-out branch's first-parent history (a linked working
# tree's branch, a pull request's, a detached HEAD), and a tag another
# branch has is not a finding there; a stray tag still is.  Merges,
# squashes and rebase-and-merges of a pull request of drafts are clean; a
# merge that brings a record's change is [merge].  The pre-receive hook
# of examples/: a push without its tags, a stray tag, another branch.
# git makes every branch, merge and push; git is the oracle of where each
# commit is.
. "$(dirname "$0")/lib.sh"

# nfindings: how many lines dipb verify printed.
nfindings() { dipb verify 2>/dev/null | wc -l | tr -d ' '; }

# --- a board with a linked working tree on branch B ------------------------

new_board clean
CLEAN=$BOARD
at 2026-03-02
as drafter
mkrec industrial-capacity 'Framework contracts' >/dev/null	# IC-0001
mkrec industrial-capacity 'Surge capacity' >/dev/null		# IC-0002
drive IC-0001 in-review
verify_clean 'the board verifies clean'

scenario worktree
git worktree add -q -b B "$TROOT/wt-B" 2>/dev/null
(
	cd "$TROOT/wt-B" || exit 1
	as drafter
	mkrec supply-chain-security 'Made on B' >/dev/null	# SCS-0001
	run dipb review IC-0002 --request			# IC-0002/2
	[ "$RC" -eq 0 ] || echo "B: dipb review: $(cat "$ERR")" >&2
)
as secretary
run dipb withdraw IC-0002 -m 'Not needed on main.'		# IC-0002/3
check_eq 'main: the withdrawal takes tag number 3 (B took 2)' \
    IC-0002/3-withdrawn "$(git describe --exact-match HEAD 2>/dev/null)"
check_eq 'git: B has the change on B, main does not' \
    "yes no" "$(git merge-base --is-ancestor IC-0002/2-review-requested B &&
    echo yes) $(git merge-base --is-ancestor IC-0002/2-review-requested main ||
    echo no)"
verify_clean "verify on main: B's tags and tag numbers are B's"
(
	cd "$TROOT/wt-B" || exit 1
	verify_clean "verify in B's linked working tree: main's newer tag is main's"
)
# A tag that names a change on the branch but points elsewhere is moved.
git tag -f -a -m moved IC-0001/1-drafted \
    "$(git rev-parse 'SCS-0001/1-drafted^{commit}')" >/dev/null
check_rule "a tag of main's change moved onto B's commit" tag-moved \
    'IC-0001/1-drafted: the tag points to'
as drafter
git tag -f -a -m back IC-0001/1-drafted \
    "$(git rev-list --grep='IC-0001: drafted' main)" >/dev/null
verify_clean 'moved back: clean again'

# A stray tag: its commit is on no branch (a history rewritten, a tag
# pushed without its branch).
stray=$(echo 'stray' | git commit-tree -p HEAD -m 'IC-0009: drafted' \
    "$(git rev-parse 'HEAD^{tree}')")
git tag -a -m stray IC-0009/1-drafted "$stray"
check_eq 'git: no branch contains the stray commit' '' \
    "$(git branch -a --contains "$stray")"
check_rule 'a tag on a commit no branch reaches' tag-outside-branch \
    'IC-0009/1-drafted: the tag points to [0-9a-f]{12}, which is not on branch main: history rewritten'
check_eq 'the stray tag is the only finding' 1 "$(nfindings)"
git branch keep "$stray"
verify_clean 'the same commit kept by a branch: not a finding on main'
git branch -D -q keep
git update-ref refs/dipb/remote/origin/tags/IC-0009/1-drafted \
    IC-0009/1-drafted
check_rule "a remote's tag ref is no branch" tag-outside-branch \
    'IC-0009/1-drafted'
git update-ref refs/remotes/origin/old "$stray"
verify_clean 'a remote-tracking branch reaches it: not a finding'
git update-ref -d refs/remotes/origin/old
git update-ref refs/pull/7/head "$stray"
verify_clean "a forge's pull request ref reaches it: not a finding"
git update-ref -d refs/pull/7/head
git tag -d IC-0009/1-drafted >/dev/null
git update-ref -d refs/dipb/remote/origin/tags/IC-0009/1-drafted

# --- pull requests: a shared repository, main moving on --------------------

scenario shared
git clone -q --bare . "$TROOT/shared.git"
git push -q --tags "$TROOT/shared.git" 2>/dev/null
git clone -q "$TROOT/shared.git" "$TROOT/pr-clone"
cd "$TROOT/pr-clone"
base=$(git rev-parse HEAD)
git checkout -q -b proposal
mkdir -p drafts
printf 'title: A proposal\n' >drafts/proposal.yaml
git add drafts && as outsider && git commit -q -m 'Propose a draft'
printf 'summary: Why.\n' >>drafts/proposal.yaml
git commit -q -am 'Say why'
git push -q origin proposal 2>/dev/null
git push -q origin proposal:refs/pull/1/head 2>/dev/null
# main moves on with dipb changes, in the shared repository.
cd "$TROOT/shared"
drive IC-0002 in-review
as drafter
mkrec industrial-capacity 'Skills' >/dev/null			# IC-0003
git push -q --atomic --follow-tags "$TROOT/shared.git" main 2>/dev/null
cd "$TROOT/pr-clone"
git fetch -q --tags origin 2>/dev/null
check_eq "git: main's newer tags are here, not on the pull request" \
    "no" "$(git merge-base --is-ancestor IC-0003/1-drafted proposal || echo no)"
verify_clean 'verify on the pull request branch, older than main: clean'
git checkout -q --detach proposal
verify_clean 'the same as a detached HEAD: clean'

# What a CI job checks out: the pull request's merge ref (the forge's
# merge of it into main), detached, with the branches and the tags
# fetched.
git checkout -q -b merge-ref origin/main
git merge -q --no-ff -m 'Merge pull request #1' proposal >/dev/null 2>&1
git push -q origin HEAD:refs/pull/1/merge 2>/dev/null
git init -q "$TROOT/ci"
cd "$TROOT/ci"
git fetch -q --tags "$TROOT/shared.git" '+refs/heads/*:refs/remotes/origin/*' \
    '+refs/pull/1/merge:refs/remotes/pull/1/merge' 2>/dev/null
git checkout -q --detach refs/remotes/pull/1/merge 2>/dev/null
check_eq 'git: HEAD is detached at the merge ref' \
    "$(git rev-parse refs/remotes/pull/1/merge)" "$(git rev-parse HEAD)"
run dipb verify
check_eq 'a CI checkout of refs/pull/1/merge: verify exits 0, nothing found' \
    "0:" "$RC:$(cat "$OUT")"
git checkout -q --detach refs/remotes/pull/1/merge^2 2>/dev/null
verify_clean "a CI checkout of the pull request's head, older than main: clean"
stray=$(git commit-tree -p HEAD -m stray "$(git rev-parse 'HEAD^{tree}')")
git tag -a -m stray IC-0009/1-drafted "$stray"
# git status names a detached HEAD by the ref it was checked out at
# (dwim_ref: refs/tags/ and refs/remotes/ left out), by the commit when
# it was checked out by a revision (pull/1/merge^2, main~1) or by HEAD.
check_eq "git: a revision's checkout is named by its commit" \
    "HEAD detached at $(git rev-parse --short HEAD)" \
    "$(git status 2>/dev/null | sed -n 1p)"
check_rule 'detached at a revision: messages name it by its commit, as git status does' \
    tag-outside-branch "not on branch HEAD \\(detached at $(git rev-parse --short=12 HEAD)\\)"
for at in refs/remotes/pull/1/merge refs/remotes/origin/main; do
	git checkout -q --detach "$at" 2>/dev/null
	name=${at#refs/remotes/}
	check_eq "git: a checkout of $at is named $name" \
	    "HEAD detached at $name" "$(git status 2>/dev/null | sed -n 1p)"
	check_rule "detached at $at: messages name it $name, as git status does" \
	    tag-outside-branch "not on branch HEAD \\(detached at $name\\)"
done
# A name both a tag and a branch, at the same commit: ambiguous to
# dwim_ref, and git status names the checkout by the commit.
git tag amb refs/remotes/origin/main~1 && git branch amb refs/remotes/origin/main~1
git checkout -q --detach amb 2>/dev/null
check_eq 'git: a checkout of a name both a tag and a branch is named by its commit' \
    "HEAD detached at $(git rev-parse --short HEAD)" \
    "$(git status 2>/dev/null | sed -n 1p)"
check_rule 'detached at a name both a tag and a branch: messages name it by its commit, as git status does' \
    tag-outside-branch "not on branch HEAD \\(detached at $(git rev-parse --short=12 HEAD)\\)"
git tag -d amb >/dev/null && git branch -q -D amb
git checkout -q -b detach-from 2>/dev/null
git checkout -q --detach 2>/dev/null
check_eq 'git: a checkout of HEAD is named by its commit' \
    "HEAD detached at $(git rev-parse --short HEAD)" \
    "$(git status 2>/dev/null | sed -n 1p)"
check_rule 'detached at HEAD: messages name it by its commit, as git status does' \
    tag-outside-branch "not on branch HEAD \\(detached at $(git rev-parse --short=12 HEAD)\\)"
git checkout -q detach-from 2>/dev/null
git checkout -q --detach @ 2>/dev/null
# git 2.47 names a checkout of @ by its commit; 2.43 and older "HEAD".
case $(git status 2>/dev/null | sed -n 1p) in
"HEAD detached at $(git rev-parse --short HEAD)")
	ok 'git: a checkout of @ is named by its commit' ;;
'HEAD detached at HEAD')
	skip 'git: a checkout of @ is named by its commit' \
	    "git $(git version | cut -d' ' -f3) names it HEAD" ;;
*)
	not_ok 'git: a checkout of @ is named by its commit' \
	    "$(git status 2>&1 | sed -n 1p)" ;;
esac
check_rule 'detached at @: messages name it by its commit, as git 2.47 does' \
    tag-outside-branch "not on branch HEAD \\(detached at $(git rev-parse --short=12 HEAD)\\)"
# HEAD moved by hand, no reflog entry: git status says "detached from";
# the checkout's name no longer names HEAD, which is named by its commit.
moved=$(git rev-parse HEAD~1) && echo "$moved" > "$(git rev-parse --git-dir)/HEAD"
check_eq 'git: HEAD moved since the checkout of @ is detached from it' \
    "HEAD detached from $(git rev-parse --short HEAD@{1})" \
    "$(git status 2>/dev/null | sed -n 1p)"
check_rule 'HEAD moved since the checkout of @: messages name it by its commit' \
    tag-outside-branch "not on branch HEAD \\(detached at $(git rev-parse --short=12 HEAD)\\)"
git checkout -q --detach "$(git rev-parse HEAD~1)" 2>/dev/null
check_rule 'detached at a commit id: named by its 12 digits' \
    tag-outside-branch "not on branch HEAD \\(detached at $(git rev-parse --short=12 HEAD)\\)"
git tag -d IC-0009/1-drafted >/dev/null
as drafter
check_refused 1 'HEAD is detached: check out a branch first' \
    'a writing command on a detached HEAD is refused, exit 1, nothing written' \
    dipb recommend --wg industrial-capacity --title T --summary S --no-edit
run dipb list --format ids
check_eq "a reading command on a detached HEAD reads HEAD's records" \
    "0:IC-0001 IC-0002" "$RC:$(echo $(cat "$OUT"))"

# --- merges of a pull request of drafts, made by git -----------------------

cd "$TROOT/shared"
git fetch -q "$TROOT/shared.git" proposal:proposal 2>/dev/null
main_tip=$(git rev-parse main)
as outsider
git merge -q --no-ff -m 'Merge pull request #1 from proposal' proposal \
    >/dev/null 2>&1
check_eq 'git: a merge commit with two parents' 2 \
    "$(git cat-file -p HEAD | grep -c '^parent ')"
verify_clean 'a merge commit of a pull request of drafts: clean'

git reset -q --hard "$main_tip"
git merge -q --squash proposal >/dev/null 2>&1
git commit -q -m 'A proposal (#1)'
check_eq 'git: a squash is one commit with one parent' 1 \
    "$(git cat-file -p HEAD | grep -c '^parent ')"
verify_clean 'a squash of a pull request of drafts: clean'

git reset -q --hard "$main_tip"
git checkout -q -b rebased proposal
git rebase -q main >/dev/null 2>&1
git checkout -q main
git merge -q --ff-only rebased
check_eq 'git: rebase and merge: two commits on main, no merge' \
    "2 0" "$(git rev-list --count "$main_tip"..main) $(git rev-list --merges --count "$main_tip"..main)"
verify_clean 'a rebase-and-merge of a pull request of drafts: clean'

# A pull request that changes a record, merged: reported, saying how dipb
# changes reach the branch.
git reset -q --hard "$main_tip"
git checkout -q -b bad "$base"
sedit recommendations/IC-0001.yaml 's/^title: .*/title: Changed in a PR/'
git commit -q -am 'Retitle IC-0001'
git checkout -q main
git merge -q --no-ff -m 'Merge pull request #2 from bad' bad >/dev/null 2>&1
check_eq 'git: the merge brings the change of IC-0001' 1 \
    "$(git diff --name-only HEAD^1 HEAD -- recommendations | wc -l | tr -d ' ')"
check_rule 'a merge that brings a change of a record' merge \
    'merge commit by Otto Outsider <otto@example.org> changes recommendations/IC-0001.yaml: dipb changes reach the branch with dipb sync'
check_eq 'the merge is the only finding' 1 "$(nfindings)"

# Its squash is a plain commit.
git reset -q --hard "$main_tip"
git merge -q --squash bad >/dev/null 2>&1
git commit -q -m 'Retitle IC-0001 (#2)'
check_rule 'a squash that changes a record' plain-commit \
    'plain git commit by Otto Outsider <otto@example.org> changes recommendations/IC-0001.yaml'
git reset -q --hard "$main_tip"

# --- the pre-receive hook ----------------------------------------------------

hook=$DIPB_SRCDIR/examples/pre-receive
scenario hook
git clone -q --bare . "$TROOT/hook.git"
git push -q --tags "$TROOT/hook.git" 2>/dev/null
cp "$hook" "$TROOT/hook.git/hooks/pre-receive"
chmod +x "$TROOT/hook.git/hooks/pre-receive"
git --git-dir="$TROOT/hook.git" config dipb.branch main
git remote add origin "$TROOT/hook.git"
git fetch -q origin 2>/dev/null

# server_refs: the shared repository's refs, one a line.
server_refs() {
	git --git-dir="$TROOT/hook.git" for-each-ref \
	    --format='%(refname) %(objectname)'
}

# check_push_refused DESC TEXT GIT-PUSH-ARGS...: git push is refused,
# says TEXT, and the shared repository's refs are unchanged.
check_push_refused() {
	_d=$1 _t=$2
	shift 2
	server_refs >"$TROOT/server.before"
	run git push "$@"
	server_refs >"$TROOT/server.after"
	_why=
	[ "$RC" -ne 0 ] || _why='git push exited 0'
	grep -F -q -e "$_t" "$ERR" || _why="$_why${_why:+; }stderr lacks: $_t"
	cmp -s "$TROOT/server.before" "$TROOT/server.after" ||
	    _why="$_why${_why:+; }the shared repository's refs changed"
	if [ -z "$_why" ]; then
		ok "$_d"
	else
		not_ok "$_d" "$_why" "$(_said git push "$@")"
	fi
}

as drafter
run dipb review IC-0002 --request
check_push_refused 'hook: a push of a dipb change without its tag is refused' \
    'push the tags with the branch: git push --atomic --follow-tags (or use dipb sync)' \
    origin main
check_err 'hook: the finding is passed on' '[tag-missing]'
check 'hook: the same push with its tags is accepted' \
    git push -q --atomic --follow-tags origin main
check_eq 'hook: the shared branch is the pushed one' \
    "$(git rev-parse main)" "$(git --git-dir="$TROOT/hook.git" rev-parse main)"
# no_hint DESC: the last push was not told to push the tags with the
# branch.
no_hint() {
	check_eq "$1" '' "$(grep -F 'push the tags with the branch' "$ERR")"
}
# The tags pushed with the branch, but a commit's trailers name another
# change than the tag on it: the findings say so, and no hint to push
# tags that were.
etag=IC-0001/$(($(git tag -l 'IC-0001/*' | wc -l) + 1))-edited
sedit recommendations/IC-0001.yaml 's/^title: .*/title: Retitled by hand/'
git commit -q -am "IC-0002: drafted by $ACTOR_NAME" -m 'Dipb-Record: IC-0002
Dipb-Event: drafted
Dipb-Status: none -> draft'
git tag -a -m "IC-0001: edited by $ACTOR_NAME" "$etag"
check_push_refused 'hook: a commit tagged for another change than its trailers name is refused' \
    '[tag-missing]' --atomic --follow-tags origin main
check_err 'hook: the tag on it is a finding' '[tag-extra]'
no_hint 'hook: its tags were pushed: no hint to push them'
git reset -q --hard HEAD~1
git tag -d "$etag" >/dev/null

# A stray tag: a change made on a local branch, its tag pushed alone.
git checkout -q -b local
as drafter
mkrec industrial-capacity 'Local only' >/dev/null		# IC-0003
git checkout -q main
check_push_refused 'hook: a tag whose commit no branch has is refused' \
    'IC-0003/1-drafted' origin refs/tags/IC-0003/1-drafted
check_err 'hook: it says why, before any dipb verify' \
    'makes the dipb tag IC-0003/1-drafted on'
check_err 'hook: and what to do' 'which no branch that holds a board has: a stray tag; push the tags with the branch'
check_eq "git: the server has no such tag" '' \
    "$(git --git-dir="$TROOT/hook.git" tag -l 'IC-0003/*')"

# Another branch than the board's: the current policy (a branch that holds
# the board holds all of it; one that lacks changes the tags record is
# refused; its own history is verified).
git checkout -q -b old main~1
check_push_refused "hook: another branch holding an old copy of the board is refused" \
    'lacks 1 changes that dipb tags record' origin old
git checkout -q local
check 'hook: another branch, up to date, with its change and tag, is accepted' \
    git push -q --atomic --follow-tags origin local
git checkout -q main
as rev1
run dipb review IC-0002 --endorse
check "hook: main's next push is accepted: the other branch's tag is that branch's" \
    git push -q --atomic --follow-tags origin main
git checkout -q --orphan docs
git rm -q -r -f . >/dev/null
echo 'Notes.' >NOTES
git add NOTES && git commit -q -m 'Notes'
check 'hook: a branch without a board is not checked' \
    git push -q origin docs
git checkout -q -f main

# A change forged on a branch whose last commit deletes dipb.yaml: no
# dipb verify judges that branch, so its tag is a stray one.
git checkout -q -b forged main
echo 'forged' >recommendations/IC-0002.yaml
git add recommendations/IC-0002.yaml
forge IC-0002 withdrawn withdrawn secretary
git rm -q dipb.yaml && git commit -q -m 'Tidy up'
ftag=$(git tag -l 'IC-0002/*-withdrawn')
check_push_refused 'hook: a dipb tag on a branch whose tip holds no board is refused' \
    "makes the dipb tag $ftag on" origin forged "refs/tags/$ftag"
check_err 'hook: it is a stray tag there' 'which no branch that holds a board has'
no_hint 'hook: pushed with its branch: no hint to push them together'
git checkout -q -f main
git tag -d "$ftag" >/dev/null

# The branch local alone holds IC-0003's change: deleting it, or pushing
# it rewritten, would leave IC-0003/1-drafted on no branch, where it
# would count against main (lacks 1 changes ...) at every later push.
check_push_refused 'hook: deleting the only branch with a tagged change is refused' \
    'deletes the branch local, the only one with the change the dipb tag IC-0003/1-drafted records' \
    origin :local
check_push_refused 'hook: rewriting it without the change is refused' \
    'rewrites the branch local, the only one with the change the dipb tag IC-0003/1-drafted records' \
    origin +main:local
# A replace ref makes git see main's tip with local's as a second
# parent, as if local were merged: git honours it, dipb does not.  Pushed,
# it is refused; put in the shared repository by other means, the hook's
# own git ignores it, and local's deletion is still refused.
mt=$(git rev-parse main)
fake=$(git cat-file commit "$mt" |
    sed "/^parent /{p;s/.*/parent $(git rev-parse local)/;}" |
    git hash-object -t commit -w --stdin)
check_push_refused 'hook: a replace ref is refused' \
    'a replace ref would make git show the board'"'"'s history as it is not' \
    origin "$fake:refs/replace/$mt"
git push -q "$TROOT/hook.git" "$fake:refs/dipb-test-fake" 2>/dev/null
git --git-dir="$TROOT/hook.git" update-ref "refs/replace/$mt" "$fake"
git --git-dir="$TROOT/hook.git" update-ref -d refs/dipb-test-fake
check_push_refused 'hook: a replace ref in the shared repository changes nothing: the deletion still refused' \
    'deletes the branch local, the only one with the change the dipb tag IC-0003/1-drafted records' \
    origin :local
git --git-dir="$TROOT/hook.git" update-ref -d "refs/replace/$mt"
check 'hook: deleting a branch that holds no tagged change alone is accepted' \
    git push -q origin :docs

# So many branches in one push that their tips are more than a command
# line holds (3,400 ids over the 128 KiB a 512 KiB stack gives exec):
# the hook's walk failed, its empty answer read as 'nothing left on no
# branch', and local's deletion was taken.  The walk now reads them on
# its standard input, and a failure of it refuses.
junk=$(git commit-tree -m junk "$(git mktree </dev/null)")
i=0
while [ "$i" -lt 3400 ]; do
	echo "create refs/heads/junk/$i $junk"
	i=$((i + 1))
done | git update-ref --stdin
server_refs >"$TROOT/server.before"
run sh -c 'ulimit -s 512 &&
    exec git push origin "refs/heads/junk/*:refs/heads/junk/*" :local'
server_refs >"$TROOT/server.after"
check_eq 'hook: 3,400 branches and a deletion in one push: refused, nothing taken' \
    'refused same' \
    "$([ "$RC" -ne 0 ] && echo refused || echo taken) $(cmp -s "$TROOT/server.before" "$TROOT/server.after" && echo same || echo changed)"
check_err 'hook: ... saying why' \
    'deletes the branch local, the only one with the change the dipb tag IC-0003/1-drafted records'

# HEAD checked out at a branch whose loose ref is then a FIFO (its value
# packed): list and log do not wait on it (libgit2 would, looking up the
# name of the checkout for "detached at"); git log does not read it
# either.  (verify lists every branch there, and waits on it as git
# for-each-ref does: dipb-git(7).)
new_board fifoat
as drafter
mkrec industrial-capacity 'One' >/dev/null
mkrec industrial-capacity 'Two' >/dev/null
git branch fifo-at HEAD~1
git checkout -q --detach fifo-at
git pack-refs --all
rm -f .git/refs/heads/fifo-at && mkfifo .git/refs/heads/fifo-at
run timeout 30 git log -1 --format=%H
check_eq 'setup: git log reads on with a FIFO at the loose ref HEAD was checked out at' \
    0 "$RC"
for c in list log; do
	run timeout 30 dipb $c
	check_eq "detached at a branch whose loose ref is a FIFO: dipb $c does not wait on it" \
	    0 "$RC"
done
rm .git/refs/heads/fifo-at
# The same at the branch a symbolic ref names (git checkout origin:
# refs/remotes/origin/HEAD, "ref: refs/remotes/origin/main"), and at a
# linked worktree's own ref (its ORIG_HEAD, in .git/worktrees/NAME/).
fifoat=$(pwd)
cd "$TROOT" && git clone -q "$fifoat" fifo-clone && cd fifo-clone || exit 1
git checkout -q origin 2>/dev/null
git pack-refs --all
_to=$(git symbolic-ref refs/remotes/origin/HEAD)
rm -f ".git/$_to" && mkfifo ".git/$_to"
check_eq 'setup: HEAD checked out at origin, a symbolic ref to a FIFO' \
    "ref: $_to p" \
    "$(cat .git/refs/remotes/origin/HEAD) $(stat -c %A ".git/$_to" | cut -c1)"
for c in list log; do
	run timeout 30 dipb $c
	check_eq "detached at origin, its target's loose ref a FIFO: dipb $c does not wait on it" \
	    0 "$RC"
done
# Two symbolic steps to the FIFO (libgit2 follows five), and a loose ref
# that is a link to it.
printf 'ref: refs/remotes/origin/mid\n' >.git/refs/remotes/origin/HEAD
printf 'ref: %s\n' "$_to" >.git/refs/remotes/origin/mid
run timeout 30 dipb list
check_eq 'detached at origin, two symbolic refs from a FIFO: dipb list does not wait on it' \
    0 "$RC"
rm .git/refs/remotes/origin/mid .git/refs/remotes/origin/HEAD
ln -s "${_to##*/}" .git/refs/remotes/origin/HEAD
run timeout 30 dipb list
check_eq 'detached at origin, a link to a FIFO: dipb list does not wait on it' \
    0 "$RC"
rm ".git/$_to"
cd "$fifoat" && git worktree add -q --detach "$TROOT/fifo-wt" main 2>/dev/null &&
    cd "$TROOT/fifo-wt" || exit 1
git reset -q --hard HEAD~1 && git checkout -q ORIG_HEAD 2>/dev/null
_wtd=$(git rev-parse --absolute-git-dir)
rm -f "$_wtd/ORIG_HEAD" && mkfifo "$_wtd/ORIG_HEAD"
for c in list log; do
	run timeout 30 dipb $c
	check_eq "a linked worktree detached at its ORIG_HEAD, a FIFO: dipb $c does not wait on it" \
	    0 "$RC"
done
rm -f "$_wtd/ORIG_HEAD"
finish

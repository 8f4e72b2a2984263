#!/bin/sh
# tests/cli/sync.sh - dipb sync (dipb-sync(1)) through a bare repository
# with the pre-receive hook of examples/, reached by a file:// URL, and
# three clones of it (a, b, c), each a member working alone.
#
# git is the oracle of every end state: git fsck --strict in the clone
# and in the bare repository, git ls-remote (the clone's HEAD is the
# remote's branch), git tag -l on both sides, git status; and dipb verify
# in the clone and in a fresh clone of the bare repository (dipb reads
# no bare repository).
. "$(dirname "$0")/lib.sh"

REALGIT=$(command -v git)
# No fsync: a kill (SIGKILL) loses nothing the kernel has, and this
# script makes some hundred commits and refs.
DIPB_FSYNC=0
export DIPB_FSYNC
BARE=$TROOT/shared.git
URL=file://$BARE

# --- the shared board: IC-0001 drafted --------------------------------------

new_board src
as drafter
mkrec industrial-capacity 'First' >/dev/null			# IC-0001
git init -q --bare "$TROOT/pristine.git"
cp "$DIPB_SRCDIR/examples/pre-receive" "$TROOT/pristine.git/hooks/"
chmod +x "$TROOT/pristine.git/hooks/pre-receive"
check 'the board is pushed to the bare repository through its hook' \
    git push -q --atomic --follow-tags "file://$TROOT/pristine.git" main

# fresh [CLONES]: the bare repository as pristine.git, and clones of it
# (by default a and b); cd to a.
fresh() {
	cd "$TROOT" || exit 1
	rm -rf "$BARE" "$TROOT/a" "$TROOT/b" "$TROOT/c" "$TROOT/wrap" \
	    "$TROOT/moved" "$TROOT/halfseen"
	cp -a "$TROOT/pristine.git" "$BARE"
	for _c in ${1:-a b}; do
		git clone -q "$URL" "$TROOT/$_c" 2>/dev/null || exit 1
	done
	cd "$TROOT/a" || exit 1
}

# inc CLONE CMD...: runs CMD in clone CLONE, as the current identity.
inc() {
	_c=$1
	shift
	(cd "$TROOT/$_c" && "$@")
}

# said: the lines of the last sync's stderr about the changes and the push.
said() { grep -E '^(landed|dropped|pushed) ' "$ERR"; }

# agenda DATE [REV]: the agenda of the meeting of DATE at REV, one line.
agenda() {
	git show "${2:-HEAD}:meetings/$1.yaml" 2>/dev/null |
	    sed -n '/^agenda:/,/^[a-z]/s/^  - //p' | tr '\n' ' ' | sed 's/ $//'
}

# check_synced DESC: the current clone and the remote agree and are
# whole: the clone's HEAD is the remote's main, the same tags on both
# sides, git fsck --strict clean on both, git status clean and the index
# HEAD's, dipb verify clean in the clone and in a fresh clone of the
# remote.
check_synced() {
	_why=
	_r=$(git ls-remote "$URL" refs/heads/main | cut -f 1)
	[ "$(git rev-parse HEAD)" = "$_r" ] ||
	    _why="HEAD $(git rev-parse --short HEAD) is not the remote's main ($_r)"
	git tag -l | LC_ALL=C sort >"$TROOT/tags.clone"
	git -C "$BARE" tag -l | LC_ALL=C sort >"$TROOT/tags.bare"
	cmp -s "$TROOT/tags.clone" "$TROOT/tags.bare" ||
	    _why="$_why${_why:+; }tags differ (< clone, > remote): $(diff "$TROOT/tags.clone" "$TROOT/tags.bare" | grep '^[<>]' | tr '\n' ' ')"
	if ! git -C "$BARE" fsck --strict --no-dangling --no-progress \
	    >"$TROOT/fsck.bare" 2>&1 || grep -q . "$TROOT/fsck.bare"; then
		_why="$_why${_why:+; }git fsck --strict in the remote: $(head -n 3 "$TROOT/fsck.bare")"
	fi
	rm -rf "$TROOT/oracle"
	if ! git clone -q "$URL" "$TROOT/oracle" 2>/dev/null ||
	    ! (cd "$TROOT/oracle" && dipb verify) >"$TROOT/verify.bare" 2>&1
	then
		_why="$_why${_why:+; }dipb verify of the remote: $(head -n 5 "$TROOT/verify.bare" | tr '\n' ' ')"
	fi
	if [ -z "$_why" ]; then
		ok "$1: the clone is the remote's, and the remote is whole"
	else
		not_ok "$1: the clone is the remote's, and the remote is whole" "$_why"
	fi
	check_git_agrees "$1: git fsck, git status, the index and dipb verify agree in the clone"
}

# --- refusals before anything is fetched -------------------------------------

fresh
check_refused 2 'usage: dipb sync' 'an unknown option is a usage error' \
    dipb sync --bogus
check_refused 2 '--attempts' '--attempts 0 is a usage error' \
    dipb sync --attempts 0
check_refused 2 'at most one remote' 'two remotes are a usage error' \
    dipb sync origin other
# Hostile arguments: each a usage error (exit 2) saying what was wrong,
# nothing fetched or written (check_refused: HEAD, refs, index, files).
check_refused 2 "--attempts takes a number from 1 to 100: '-1'" \
    '--attempts -1 is a usage error, naming it' dipb sync --attempts -1
check_refused 2 "--attempts takes a number from 1 to 100: '99999999999'" \
    '--attempts 99999999999 is a usage error' \
    dipb sync --attempts 99999999999
check_refused 2 "--attempts takes a number from 1 to 100: '3x'" \
    '--attempts 3x is a usage error' dipb sync --attempts 3x
check_refused 2 "--retry takes a number from 0 to 1000: 'x'" \
    '--retry x is a usage error, naming it' dipb sync --retry x
check_refused 2 "--retry takes a number from 0 to 1000: '-1'" \
    '--retry -1 is a usage error' dipb sync --retry -1
# A remote named as an option is not passed to git as one.
rm -f "$TROOT/pwned"
check_refused 2 "'--upload-pack=touch $TROOT/pwned' is not a remote's name (it starts with '-')" \
    'a remote named as an option: refused before git runs' \
    dipb sync -- "--upload-pack=touch $TROOT/pwned"
check_eq 'and git never ran it' no \
    "$([ -e "$TROOT/pwned" ] && echo yes || echo no)"
git config -- branch.main.remote -oops
check_refused 2 "'-oops' is not a remote's name" \
    'an upstream remote named as an option (git config): refused' dipb sync
git config branch.main.remote origin
check_refused 2 "'file://$TROOT/a b.git' is a URL or a path, not a remote's name" \
    'a URL with spaces: refused, saying to name a remote' \
    dipb sync "file://$TROOT/a b.git"
check_refused 2 "'$URL' is a URL or a path" 'the remote'"'"'s own URL: refused too' \
    dipb sync "$URL"
check_refused 2 "'../shared.git' is a URL or a path" 'a path: refused' \
    dipb sync ../shared.git
check_refused 2 "'or igin' is not a remote's name" 'a name with a space: refused' \
    dipb sync 'or igin'
# A token in a URL reaches no log: quoted as git quotes it, without the
# user and password (git fetch: "unable to access 'https://host/...'").
check_refused 2 "'https://127.0.0.1:9/x.git' is a URL or a path" \
    'a URL with a token: refused, quoted without the token' \
    dipb sync 'https://user:TOKEN123@127.0.0.1:9/x.git'
check_eq 'and the token is nowhere in what it said' 0 \
    "$(grep -c TOKEN123 "$ERR" "$OUT" | awk -F: '{n += $NF} END {print n}')"
git config branch.main.remote 'https://TOKEN123@127.0.0.1:9/x.git'
check_refused 2 "'https://127.0.0.1:9/x.git' is a URL or a path" \
    'an upstream that is a URL with a token (git config): quoted without it' \
    dipb sync
check_eq 'nor is it there' 0 "$(grep -c TOKEN123 "$ERR")"
git config branch.main.remote gone
check_refused 2 "no such remote: 'gone', named by branch.main.remote" \
    'an upstream remote that does not exist: named, with where it is set' \
    dipb sync
git config branch.main.remote origin
check_refused 2 '--expect takes the fingerprint dipb show prints (8 hexadecimal digits)' \
    'review --expect of a malformed fingerprint: a usage error' \
    dipb review IC-0001 --endorse --expect 'xyz'
check_refused 2 '--expect takes the fingerprint' \
    'review --expect of 9 hexadecimal digits: a usage error' \
    dipb review IC-0001 --endorse --expect 123456789
check_refused 2 '--expect takes the fingerprint' \
    'review --expect of an empty fingerprint: a usage error' \
    dipb review IC-0001 --endorse --expect ''
# Another dipb holds the repository lock: exit 4, busy, nothing fetched
# or written.
if command -v flock >/dev/null 2>&1; then
	as drafter
	dipb review IC-0001 --request 2>/dev/null
	inc b mkrec supply-chain-security 'From b, before the lock' >/dev/null
	inc b dipb sync 2>/dev/null
	rm -f "$TROOT/release"
	flock .git/dipb.lock sh -c 'until [ -e "$1" ]; do sleep 0.01; done' \
	    sh "$TROOT/release" &
	holder=$!
	while flock -n .git/dipb.lock true; do sleep 0.01; done
	fetched=$(git rev-parse refs/remotes/origin/main)
	check_refused 4 'dipb: repository busy, retry' \
	    'the lock held by another dipb: exit 4, busy, nothing written' \
	    dipb sync --retry 0
	check_eq 'the lock held: nothing fetched either' "$fetched" \
	    "$(git rev-parse refs/remotes/origin/main)"
	check_eq 'the lock held: nothing pushed' \
	    "$(git -C "$TROOT/b" rev-parse HEAD)" "$(git -C "$BARE" rev-parse main)"
	touch "$TROOT/release"
	wait "$holder"
	check_status 0 'once the lock is free, the sync lands the review on b'"'"'s change' \
	    dipb sync
	check_err 'and says so' 'landed IC-0001/2-review-requested'
else
	skip 'a sync while another dipb holds the lock' 'no flock(1) (util-linux)'
fi
git checkout -q -b topic
check_refused 2 "git branch --set-upstream-to" \
    'a branch without an upstream: sync says what to set' dipb sync
check_refused 2 "no such remote: 'nowhere'" 'a remote that does not exist' \
    dipb sync nowhere
git checkout -q main
git checkout -q --detach
check_refused 1 'HEAD is detached' 'a detached HEAD is refused: exit 1' dipb sync
git checkout -q main
git rev-parse HEAD >"$TROOT/a/.git/MERGE_HEAD"
check_refused 1 'a merge is in progress' 'a merge in progress is refused' \
    dipb sync
rm -f "$TROOT/a/.git/MERGE_HEAD"
rm -rf "$TROOT/shallow"
git clone -q --depth 1 "$URL" "$TROOT/shallow" 2>/dev/null
cd "$TROOT/shallow" || exit 1
check_refused 1 'shallow clone' 'a shallow clone is refused' dipb sync
cd "$TROOT/a" || exit 1

# --- nothing local: the clone is brought to the remote ------------------------

fresh
as drafter
inc a dipb review IC-0001 --request 2>/dev/null
inc a mkrec supply-chain-security 'From a' >/dev/null	# SCS-0001
check 'a: pushes its two changes as they are' inc a dipb sync
cd "$TROOT/b" || exit 1
old=$(git rev-parse HEAD)
run dipb sync
check_eq 'b, nothing local: exit 0, nothing on stdout' '0 ' "$RC $(cat "$OUT")"
check_err 'b, nothing local: says the remote is up to date' \
    'origin main is up to date'
check_eq 'b, nothing local: the branch is the remote'\''s' \
    "$(git rev-parse origin/main)" "$(git rev-parse HEAD)"
check_eq "b: the remote's tags are mirrored under refs/dipb/remote/origin/tags" \
    "$(git -C "$BARE" tag -l | LC_ALL=C sort | tr '\n' ' ')" \
    "$(git for-each-ref --format='%(refname)' refs/dipb/remote/origin/tags | sed 's,^refs/dipb/remote/origin/tags/,,' | LC_ALL=C sort | tr '\n' ' ')"
check_eq 'b: the working file of the new record is checked out' \
    'From a' "$(field SCS-0001 title HEAD)"
check_eq 'b: its working file is there' yes \
    "$([ -f recommendations/SCS-0001.yaml ] && echo yes)"
check_synced 'b, nothing local'
run dipb sync
check_eq 'b: a second sync does nothing' "0 $(git rev-parse HEAD)" \
    "$RC $(git rev-parse HEAD)"

# --- only local changes: pushed as they are ------------------------------------

fresh
as drafter
mkrec industrial-capacity 'Second' >/dev/null			# IC-0002
dipb review IC-0002 --request 2>/dev/null
run dipb sync
check_eq 'only local: exit 0, nothing on stdout' '0 ' "$RC $(cat "$OUT")"
check_eq 'only local: one line per change, then the rest, then pushed' \
    "landed IC-0002/1-drafted
landed IC-0002/2-review-requested
pushed to origin main" "$(sed '3,$ { /^pushed/!d; }' "$ERR")"
check_eq 'only local: the tags arrived upstream (git -C bare tag)' \
    'IC-0002/1-drafted IC-0002/2-review-requested' \
    "$(git -C "$BARE" tag -l 'IC-0002/*' | tr '\n' ' ' | sed 's/ $//')"
check_synced 'only local'

# --- a job a hook leaves in the background: not waited for ---------------------
# git push returns once the remote's hooks have, whatever they started
# (a notifier in the background, a credential cache daemon on this side):
# dipb sync, which reads git's output to its end, must not get its end
# only when that job ends, as it did while git inherited the pipes'
# other ends.  The job ends 5 s after the push: sync has returned before.

fresh
printf '#!/bin/sh\n(sleep 5; : >"%s/hookjob.done") </dev/null >/dev/null 2>&1 &\necho $! >"%s/hookjob.pid"\n' \
    "$TROOT" "$TROOT" >"$BARE/hooks/post-receive"
chmod +x "$BARE/hooks/post-receive"
mkrec industrial-capacity 'Notified' >/dev/null
rm -f "$TROOT/hookjob.done" "$TROOT/hookjob.pid"
run dipb sync
check_eq "a post-receive hook's job in the background: the sync pushed" \
    '0 yes' "$RC $([ -s "$TROOT/hookjob.pid" ] && echo yes)"
check_eq 'and returned before the job ended (no descriptor of it in git)' \
    'running' "$([ -e "$TROOT/hookjob.done" ] && echo ended || echo running)"
kill "$(cat "$TROOT/hookjob.pid" 2>/dev/null)" 2>/dev/null
rm -f "$BARE/hooks/post-receive"

# A job the clone's own pre-push hook leaves in the background holds git
# push's standard error, dipb's pipe, for as long as it lives: sync read
# that pipe to its end, and so waited for the job; git push alone returns
# at once.  Now sync stops once git has exited, with what git wrote: the
# hook's message, the porcelain lines of a push the remote refuses.
fresh
printf '#!/bin/sh
echo "pre-push: checked" >&2
(sleep 8; : >"%s/prepush.done") >/dev/null &
echo $! >"%s/prepush.pid"
' \
    "$TROOT" "$TROOT" >.git/hooks/pre-push
chmod +x .git/hooks/pre-push
mkrec industrial-capacity 'Pre-pushed' >/dev/null
rm -f "$TROOT/prepush.done" "$TROOT/prepush.pid"
run dipb sync
check_eq "a pre-push hook's job in the background, holding git's stderr: the sync returned before it ended" \
    '0 running' \
    "$RC $([ -e "$TROOT/prepush.done" ] && echo ended || echo running)"
check_err "  and passed on the hook's message" 'pre-push: checked'
kill "$(cat "$TROOT/prepush.pid" 2>/dev/null)" 2>/dev/null
printf '#!/bin/sh
echo "pre-receive: the board is frozen" >&2
exit 1
' \
    >"$BARE/hooks/pre-receive"
mkrec industrial-capacity 'Pre-pushed, refused' >/dev/null
rm -f "$TROOT/prepush.done" "$TROOT/prepush.pid"
run dipb sync
check_eq "  the remote's hook refusing: exit 1 before the job ended, the rejected refs named" \
    '1 running 1' \
    "$RC $([ -e "$TROOT/prepush.done" ] && echo ended || echo running) $(grep -c '^[0-9a-f]*:refs/heads/main.*pre-receive hook declined' "$ERR")"
kill "$(cat "$TROOT/prepush.pid" 2>/dev/null)" 2>/dev/null
rm -f .git/hooks/pre-push

# --- the upstream named: its branch is branch.<name>.merge's -------------------
# A local branch of another name than its upstream's: 'dipb sync origin'
# goes to origin's main, as 'dipb sync' and git pull do, and makes no
# second board branch 'work' on the remote.

fresh
as drafter
git branch -q -m main work
mkrec industrial-capacity 'On work' >/dev/null			# IC-0002
run dipb sync origin
check_eq 'the upstream named: exit 0, pushed to its branch' \
    '0 pushed to origin main' "$RC $(grep '^pushed' "$ERR")"
check_eq 'the upstream named: no branch work made on the remote' 'main' \
    "$(git -C "$BARE" for-each-ref --format='%(refname:short)' refs/heads/)"
check_synced 'the upstream named'

# --- a remote without the branch: its changes and their tags, no others ----
# The first sync to a remote that lacks the branch (git remote add NAME
# URL; dipb sync NAME) pushes the branch's history as it is: one landed
# line per change, and the board's tags of that history, never a tag of
# the member's own, nor one on another branch with that branch's commits
# and files (every tag of the clone went, before, and no landed line).

fresh
as drafter
git tag -a -m 'private note' my-note HEAD
git checkout -q -b scratch
echo 'not for the board' >scratch.txt
git add scratch.txt && git commit -qm scratch && git tag -a -m s scratch-tag
git checkout -q main
mkrec industrial-capacity 'First published' >/dev/null		# IC-0002
rm -rf "$TROOT/new.git" "$TROOT/newclone"
git init -q --bare "$TROOT/new.git"
git remote add new "file://$TROOT/new.git"
run dipb sync new
check_eq 'a remote without the branch: exit 0' 0 "$RC"
check_eq 'a remote without the branch: one line per change, then pushed' \
    "landed board/1-created
landed IC-0001/1-drafted
landed IC-0002/1-drafted
pushed to new main" "$(said)"
check_eq "a remote without the branch: only the branch's board tags" \
    'IC-0001/1-drafted IC-0002/1-drafted board/1-created' \
    "$(git -C "$TROOT/new.git" tag -l | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//')"
check_eq "a remote without the branch: no commit of the scratch branch" \
    no "$(git -C "$TROOT/new.git" cat-file -e "$(git rev-parse scratch)" \
    2>/dev/null && echo yes || echo no)"
check 'a remote without the branch: dipb verify finds a clone of it whole' \
    sh -c "git clone -q 'file://$TROOT/new.git' '$TROOT/newclone' &&
    cd '$TROOT/newclone' && dipb verify"

# The same where branch.<name>.merge names a branch the remote lacks.
git config branch.main.merge refs/heads/board
mkrec industrial-capacity 'On a branch origin lacks' >/dev/null	# IC-0003
run dipb sync
check_eq "the upstream's branch missing: exit 0, pushed to it" \
    '0 pushed to origin board' "$RC $(grep '^pushed' "$ERR")"
check_eq "the upstream's branch missing: no tag but the board's went" '' \
    "$(git -C "$BARE" tag -l my-note scratch-tag)"
check_err "the upstream's branch missing: its change landed" \
    'landed IC-0003/1-drafted'
rm -rf "$TROOT/new.git" "$TROOT/newclone"

# A branch the remote lacks, with a draft whose id the remote's tags hold
# (b's IC-0002, on origin main): such a draft cannot go as it is
# (dipb-sync(1), REPLAY).  It went as it was, git refused its tag
# ("already exists"), and the sync blamed the push URL, exit 5.  Now the
# changes before it go as they are, and it and those after it are made
# again: it renumbered, its review following it, and the meeting after it
# naming it by its new id.  The example hook holds the board to one
# branch (every change's tag on it, b's IC-0002 not on board): a remote
# without it.
fresh
rm -f "$BARE/hooks/pre-receive"
as drafter
inc b mkrec industrial-capacity 'From b' >/dev/null		# IC-0002 upstream
inc b dipb sync 2>/dev/null
git config branch.main.merge refs/heads/board
mkrec supply-chain-security 'Before the held one' >/dev/null	# SCS-0001
mkrec industrial-capacity 'Held upstream' >/dev/null		# IC-0002 here
as secretary
dipb meeting --date 2026-01-10 --attendee chair@example.org \
    --agenda SCS-0001 --agenda IC-0002 >/dev/null 2>&1
as drafter
dipb review IC-0002 --request 2>/dev/null
run dipb sync
check_eq "a branch the remote lacks, a draft whose id its tags hold: exit 0, renumbered" \
    '0 IC-0002 -> IC-0003' "$RC $(cat "$OUT")"
check_eq '  the changes before it as they are, it and its review made again' \
    "landed board/1-created
landed IC-0001/1-drafted
landed SCS-0001/1-drafted
landed IC-0003/1-drafted (was IC-0002/1-drafted)
landed meeting/1-held
landed IC-0003/2-review-requested (was IC-0002/2-review-requested)
pushed to origin board" "$(said)"
check_eq "  the meeting's agenda names the draft by its new id, not b's IC-0002" \
    'SCS-0001 IC-0003' "$(agenda 2026-01-10 "$(git ls-remote "$URL" refs/heads/board | cut -f 1)")"
check_eq '  the remote has the branch at the clone'"'"'s HEAD, b'"'"'s IC-0002 kept' \
    "$(git rev-parse HEAD) $(git -C "$TROOT/b" rev-parse refs/tags/IC-0002/1-drafted)" \
    "$(git ls-remote "$URL" refs/heads/board | cut -f 1) $(git ls-remote "$URL" refs/tags/IC-0002/1-drafted | cut -f 1)"
(cd "$BARE" && check_fsck '  git fsck --strict in the remote')
rm -rf "$TROOT/oracle"
check '  dipb verify finds a clone of the branch whole' \
    sh -c "git clone -q -b board '$URL' '$TROOT/oracle' &&
    cd '$TROOT/oracle' && dipb verify"

# --- the remote's configured fetch refspecs: not followed ----------------------
# git fetch also updates what remote.origin.fetch maps the fetched refs
# to: +refs/tags/*:refs/tags/* overwrote the local tag of an unpushed
# change (the remote's IC-0002 over b's), refs/tags/*:refs/tags/* failed
# the fetch ("would clobber existing tag", exit 5), a mirror's
# +refs/*:refs/* too ("refusing to fetch into branch checked out").
# Only dipb's refspecs apply: the remote's tags go to their mirror.

fresh 'a b c'
as drafter
inc a mkrec industrial-capacity 'From a' >/dev/null		# IC-0002 upstream
inc a dipb sync 2>/dev/null
cd "$TROOT/b" || exit 1
git config --add remote.origin.fetch '+refs/tags/*:refs/tags/*'
mkrec industrial-capacity 'From b' >/dev/null			# b's own IC-0002
mine=$(git rev-parse refs/tags/IC-0002/1-drafted)
echo x >notes.txt && git add notes.txt && git commit -q -m 'plain commit'
run dipb sync
check_eq "remote.origin.fetch +refs/tags/*:refs/tags/*, a sync stopped by a plain commit: exit 1, the local tag kept" \
    "1 $mine" "$RC $(git rev-parse refs/tags/IC-0002/1-drafted)"
git reset -q --hard HEAD~1
run dipb sync
check_eq '  the plain commit gone: the change lands as IC-0003' \
    '0 landed IC-0003/1-drafted (was IC-0002/1-drafted)' \
    "$RC $(said | grep '^landed')"
check_synced 'remote.origin.fetch +refs/tags/*:refs/tags/*'
cd "$TROOT/c" || exit 1
git config --add remote.origin.fetch 'refs/tags/*:refs/tags/*'
mkrec industrial-capacity 'From c' >/dev/null			# c's own IC-0002
run dipb sync
check_eq "remote.origin.fetch refs/tags/*:refs/tags/* (no '+'): the sync lands the change" \
    '0 landed IC-0004/1-drafted (was IC-0002/1-drafted)' \
    "$RC $(said | grep '^landed')"
check_synced 'remote.origin.fetch refs/tags/*:refs/tags/*'
cd "$TROOT/a" || exit 1
git config --replace-all remote.origin.fetch '+refs/*:refs/*'
mkrec industrial-capacity 'From a, a mirror' >/dev/null		# IC-0003 here
run dipb sync
check_eq "remote.origin.fetch +refs/*:refs/* (a mirror's): the sync lands the change" \
    '0 landed IC-0005/1-drafted (was IC-0003/1-drafted)' \
    "$RC $(said | grep '^landed')"
check_synced 'remote.origin.fetch +refs/*:refs/*'

# --- push.followTags: the branch and the changes' tags only --------------------
# With push.followTags (a common global setting) git push also sent every
# annotated tag of the clone that the pushed commits reach: a member's
# private tag, its message with it, was published on the shared board.

fresh
as drafter
git config push.followTags true
git tag -a -m 'private note: not for the board' my-private-note HEAD
mkrec industrial-capacity 'Followed' >/dev/null			# IC-0002
run dipb sync
check_eq "push.followTags: the sync pushes the change and not the clone's own annotated tag" \
    '0 IC-0001/1-drafted IC-0002/1-drafted board/1-created' \
    "$RC $(git -C "$BARE" tag -l | LC_ALL=C sort | paste -sd ' ' -)"
git tag -d my-private-note >/dev/null
check_synced 'push.followTags'

# --- a sparse checkout that leaves the records out -----------------------------
# git pull brings the records a sparse checkout leaves out into the index
# only, with the skip-worktree bit; so does dipb sync, where it refused
# the whole sync ("outside the sparse checkout") when one had changed.

fresh
as drafter
inc b dipb review IC-0001 --request 2>/dev/null
inc b mkrec supply-chain-security 'From b' >/dev/null		# SCS-0001
inc b dipb sync 2>/dev/null
git sparse-checkout set --cone docs 2>/dev/null
run dipb sync
check_eq 'sparse checkout: exit 0' 0 "$RC"
check_eq 'sparse checkout: the records in the index only, as git pull leaves them' \
    'S recommendations/IC-0001.yaml S recommendations/SCS-0001.yaml no' \
    "$(git ls-files -v recommendations | tr '\n' ' ')$([ -e recommendations ] && echo yes || echo no)"
check_synced 'sparse checkout'
# A migration upstream moves them: in the index only too.
as chair
inc b dipb migrate --layout sharded 2>/dev/null
inc b dipb sync 2>/dev/null
as drafter
run dipb sync
check_eq 'sparse checkout, a migration upstream: exit 0, moved in the index only' \
    '0 S recommendations/IC/00/IC-0001.yaml S recommendations/SCS/00/SCS-0001.yaml no' \
    "$RC $(git ls-files -v recommendations | tr '\n' ' ')$([ -e recommendations ] && echo yes || echo no)"
check_synced 'sparse checkout, a migration upstream'
git sparse-checkout disable
check_eq 'sparse checkout, disabled: git checks the records out, all clean' \
    'From b|' "$(sed -n 's/^title: //p' recommendations/SCS/00/SCS-0001.yaml)|$(git status --porcelain)"
# Disabled, the patterns file stays (core.sparseCheckout false): no
# sparse checkout for dipb either, even with an entry marked skip-worktree
# by hand; a record from another clone comes into the working tree.
git update-index --skip-worktree dipb.yaml
inc b mkrec supply-chain-security 'After disable' >/dev/null	# SCS-0002
inc b dipb sync 2>/dev/null
run dipb sync
_f=recommendations/SCS/00/SCS-0002.yaml
check_eq 'sparse checkout disabled, its patterns left: a synced record in the working tree' \
    "0 H $_f yes" \
    "$RC $(git ls-files -v "$_f") $([ -f "$_f" ] && echo yes || echo no)"
git update-index --no-skip-worktree dipb.yaml
check_synced 'sparse checkout disabled, its patterns left'

# --- a sparse checkout with no entry skip-worktree yet ----------------------
# git applies the patterns whenever the sparse checkout is on, not only
# once an entry has the skip-worktree bit: git pull brings a new path they
# leave out into the index only, and git add refuses one.  A cone of
# recommendations/IC on a sharded board whose records are all IC's: a
# record of another group, made here or synced, as git does (clone c,
# where git pull runs, is the oracle).

# tree_of: the index's entries under recommendations/ with their tags, and
# the working tree's files there, one line.
tree_of() {
	echo "$(git ls-files -t recommendations | tr '\n' ' ')|$(find recommendations -type f 2>/dev/null | LC_ALL=C sort | tr '\n' ' ')"
}
fresh 'a b c'
as chair
inc b dipb migrate --layout sharded >/dev/null 2>&1
inc b dipb sync 2>/dev/null
git sparse-checkout set --cone recommendations/IC 2>/dev/null
inc c git sparse-checkout set --cone recommendations/IC 2>/dev/null
as drafter
run dipb sync
inc c git pull -q --ff-only 2>/dev/null
check_eq 'a cone of recommendations/IC, the records all IC'"'"'s: synced, no entry skip-worktree' \
    '0 H recommendations/IC/00/IC-0001.yaml |recommendations/IC/00/IC-0001.yaml ' \
    "$RC $(tree_of)"
check 'git add refuses a new file in recommendations/SCS/00/ there (the oracle)' \
    inc c sh -c 'mkdir -p recommendations/SCS/00 && echo x >recommendations/SCS/00/x.yaml &&
    ! git add recommendations/SCS/00/x.yaml 2>/dev/null && rm -r recommendations/SCS'
check_refused 1 'recommendations/SCS/00/SCS-0001.yaml is outside the sparse checkout' \
    'a new record the cone leaves out, no entry skip-worktree: refused as git add refuses it' \
    dipb recommend --wg supply-chain-security --title 'Left out' --summary s --no-edit
inc b mkrec supply-chain-security 'From b, left out' >/dev/null	# SCS-0001
inc b dipb sync 2>/dev/null
run dipb sync
inc c git pull -q --ff-only 2>/dev/null
check_eq 'a synced record the cone leaves out: in the index only, skip-worktree, as git pull brings it' \
    "0 $(inc c tree_of)" "$RC $(tree_of)"
check_eq 'git pull there: S recommendations/SCS/00/SCS-0001.yaml, no file' \
    'H recommendations/IC/00/IC-0001.yaml S recommendations/SCS/00/SCS-0001.yaml |recommendations/IC/00/IC-0001.yaml ' \
    "$(inc c tree_of)"
check_synced 'a cone of recommendations/IC, a record left out synced'

# --- an index of version 4 (libgit2 writes it) and a migration upstream -------
# The moved records come into the index as plain entries, not
# skip-worktree ones: there is no sparse checkout.

fresh
as chair
inc b dipb migrate --layout sharded 2>/dev/null
inc b dipb sync 2>/dev/null
git update-index --index-version 4
as drafter
run dipb sync
check_eq 'index version 4, a migration upstream: exit 0, every entry a plain one' \
    '0 ' "$RC $(git ls-files -v | grep -v '^H ')"
check_synced 'index version 4, a migration upstream'

# --- the index written once, whatever the sync brings -------------------------
# One sync that deletes a file (NOTES.txt, a plain commit pushed past the
# hook), moves a record (a migration) and changes others (dipb.yaml's
# layout:, a new record) writes the index once, under one index.lock
# (dipb-sync(1), FILES): git status, reading beside it, sees the old
# index or the new one, never a step between, and a kill leaves the old
# one.  Stopped after its first working file moved (DIPB_FAULT=move:stop),
# the index is still the one before the sync; strace, where it is
# installed, counts the renames onto .git/index: one.

# once_setup: clone b pushes NOTES.txt (pulled by a), then its removal, a
# migration and a new record; back in a, as drafter, the remote fetched.
once_setup() {
	fresh
	rm -f "$BARE/hooks/pre-receive"
	(cd "$TROOT/b" && echo notes >NOTES.txt && git add NOTES.txt &&
	    git commit -q -m 'Notes' && git push -q origin main) &&
	    git pull -q --ff-only 2>/dev/null &&
	    (cd "$TROOT/b" && git rm -q NOTES.txt &&
	    git commit -q -m 'No notes' && git push -q origin main) ||
	    not_ok 'set-up: NOTES.txt pushed, pulled, removed'
	as chair
	inc b dipb migrate --layout sharded >/dev/null 2>&1
	as drafter
	inc b mkrec supply-chain-security 'Beside the move' >/dev/null
	inc b dipb sync 2>/dev/null
	cp .git/index "$TROOT/index.before"
}
# index_is: "old" when .git/index is the one before the sync, "HEAD" when
# it holds HEAD's tree, else "neither".
index_is() {
	if cmp -s .git/index "$TROOT/index.before"; then
		echo old
	elif [ "$(git write-tree 2>/dev/null)" = "$(git rev-parse 'HEAD^{tree}')" ]; then
		echo HEAD
	else
		echo neither
	fi
}

once_setup
DIPB_FAULT=move:stop dipb sync >/dev/null 2>"$TROOT/once.err" &
_pid=$!
wait_stopped "$_pid"
check_eq 'a sync that deletes, moves and changes, stopped at its first move: the index still the old one' \
    'old' "$(index_is)"
kill -CONT "$_pid"
wait "$_pid"
_rc=$?
check_eq 'the sync let go: exit 0, the index HEAD'"'"'s, NOTES.txt gone' \
    '0 HEAD no' "$_rc $(index_is) $([ -e NOTES.txt ] && echo yes || echo no)"
check_synced 'a sync that deletes, moves and changes'

once_setup
run env DIPB_FAULT=move dipb sync
check_eq 'the same sync killed at its first move: the index the old one, as git status reads it' \
    '137 old' "$RC $(index_is)"
run dipb list
check_eq 'the next dipb command finishes it: the index HEAD'"'"'s, git status clean' \
    '0 HEAD []' "$RC $(index_is) [$(git status --porcelain)]"
check_synced 'a sync killed at its first move, finished'

once_setup
if command -v strace >/dev/null 2>&1 && strace -o /dev/null true 2>/dev/null; then
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
	    strace -f -o "$TROOT/once.strace" -e trace=rename,renameat,renameat2 \
	    dipb sync >/dev/null 2>&1
	check_eq 'strace: the sync renames onto .git/index once' 1 \
	    "$(grep -c -E '"[^"]*/\.git/index"(, [A-Z_0-9|]+)?\) = 0' "$TROOT/once.strace")"
	check_synced 'a sync that deletes, moves and changes, under strace'
else
	skip 'strace: the sync renames onto .git/index once' 'no working strace'
fi

# --- plain tags named as records, pushed by hand ------------------------------
# A tag "IC-0002" stands where the folder of IC-0002's tags must be
# (dipb-git(7), "Clashing ref names"): a local draft of that id is made
# again with the next free one, whether the remote's branch moved or not.

fresh
(cd "$TROOT/b" && git tag IC-0002 HEAD && git tag IC-0003 HEAD &&
    git push -q origin IC-0002 IC-0003 2>/dev/null)
as drafter
mkrec industrial-capacity 'Beside plain tags' >/dev/null		# IC-0002
run dipb sync
check_eq 'plain tags IC-0002, IC-0003 on the remote, its branch not moved: exit 0, the draft renumbered' \
    '0 IC-0002 -> IC-0004' "$RC $(cat "$OUT")"
check_eq 'the remote has IC-0004/1-drafted beside its plain tags' \
    'IC-0001/1-drafted IC-0002 IC-0003 IC-0004/1-drafted ' \
    "$(git -C "$BARE" tag -l 'IC-*' | tr '\n' ' ')"
check_synced 'plain tags on the remote, its branch not moved'

fresh
(cd "$TROOT/b" && git tag IC-0002 HEAD && git push -q origin IC-0002 2>/dev/null &&
    mkrec supply-chain-security 'From b' >/dev/null && dipb sync 2>/dev/null)
mkrec industrial-capacity 'Beside a plain tag' >/dev/null		# IC-0002
run dipb sync
check_eq 'a plain tag IC-0002 on the remote, its branch moved: exit 0, the draft renumbered' \
    '0 IC-0002 -> IC-0003' "$RC $(cat "$OUT")"
check_synced 'a plain tag on the remote, its branch moved'

# --- a remote whose dipb.yaml does not load -----------------------------------
# Pushed past no hook: the sync says where the file breaks, as dipb
# validate would, not only that it does.

fresh
rm -f "$BARE/hooks/pre-receive"
(cd "$TROOT/b" && printf 'working_groups: [unclosed\n' >>dipb.yaml &&
    git commit -q -a -m 'Broken board' && git push -q origin main)
as drafter
mkrec industrial-capacity 'Beside a broken board' >/dev/null
run dipb sync
check_eq "a remote dipb.yaml that does not load: exit 1, its line and column said" \
    '1 1' "$RC $(grep -c -E "dipb.yaml at [0-9a-f]{7} does not load: dipb.yaml:[0-9]+:[0-9]+: .*: fix it upstream, then sync again" "$ERR")"

# --- a path git does not check out, pushed by another clone --------------------
# A tree may name anything; git merge refuses '.git', '..' and what
# Windows reads as '.git' (core.protectNTFS), and so does a sync: nothing
# written in .git/hooks, outside the working tree, or anywhere.

# hostile NAME: clone b pushes a plain commit whose tree adds NAME/x.
hostile() {
	(cd "$TROOT/b" && git pull -q --ff-only 2>/dev/null &&
	    _b=$(printf '#!/bin/sh\necho owned >"%s/owned"\n' "$TROOT" |
	    git hash-object -w --stdin) &&
	    _t=$(printf '100755 blob %s\tx\n' "$_b" | git mktree) &&
	    _r=$( (git ls-tree HEAD; printf '040000 tree %s\t%s\n' "$_t" "$1") |
	    git mktree) &&
	    git push -q origin "$(git commit-tree "$_r" -p HEAD -m notes):refs/heads/main" \
	    2>/dev/null)
}
for name in .git ..  .GIT. git~1 'a\.git'; do
	fresh
	hostile "$name" || { not_ok "a tree with '$name' pushed"; continue; }
	as drafter
	_head=$(git rev-parse HEAD)
	run dipb sync
	check_eq "a remote tip with '$name/x': exit 5, the path named" '5 1' \
	    "$RC $(grep -c -F "'$name/x' is no path git checks out" "$ERR")"
	check_eq "'$name/x': HEAD and git status as they were, nothing written in .git or beside the clone" \
	    "$_head [] no no" \
	    "$(git rev-parse HEAD) [$(git status --porcelain)] $([ -e .git/x ] && echo yes || echo no) $([ -e "$TROOT/x" ] && echo yes || echo no)"
done
check_eq 'git merge refuses such a tip too' 1 \
    "$(git merge -q --ff-only origin/main >/dev/null 2>&1; echo $?)"

# --- names git takes on Linux: a backslash, a newline ---------------------------
# git refuses a backslash in a path only on Windows; a member's plain
# commit of 'odd\name' and of a name with a newline lands as git merge
# lands it.
NL='
'
for local in no yes; do
	fresh
	(cd "$TROOT/b" && printf 'b\n' >'odd\name' &&
	    printf 'n\n' >"new${NL}line" && git add . &&
	    git commit -q -m 'Odd names' && git push -q origin main) ||
	    not_ok 'odd names pushed by plain git'
	as drafter
	[ "$local" = no ] || mkrec industrial-capacity 'Beside odd names' >/dev/null
	run dipb sync
	check_eq "odd names upstream (a local change: $local): the sync lands them" \
	    0 "$RC"
	check_eq '  git ls-files lists both, the working tree has both' \
	    '2 b n' "$(git ls-files | grep -c -x -F -e '"odd\\name"' \
	    -e '"new\nline"') $(cat 'odd\name') $(cat "new${NL}line")"
	check_synced '  the clone and the remote whole and alike'
done

# --- a plain commit among the local changes stops the sync ---------------------

fresh
as drafter
mkrec industrial-capacity 'Before the plain commit' >/dev/null
echo notes >NOTES.txt
git add NOTES.txt && git commit -q -m 'Plain notes'
git fetch -q origin '+refs/heads/*:refs/remotes/origin/*' \
    '+refs/tags/*:refs/dipb/remote/origin/tags/*'
check_refused 1 'not a dipb change' \
    'a plain commit among the local changes: refused, nothing rewritten' \
    dipb sync
check_eq 'plain commit: nothing reached the remote' \
    "$(git -C "$TROOT/pristine.git" rev-parse main)" \
    "$(git -C "$BARE" rev-parse main)"

# --- an uncommitted edit of a record the sync would change ---------------------

fresh
as drafter
inc a dipb review IC-0001 --request 2>/dev/null
inc a dipb sync 2>/dev/null
cd "$TROOT/b" || exit 1
sedit recommendations/IC-0001.yaml 's/^title: .*/title: Edited by hand/'
git fetch -q origin '+refs/heads/*:refs/remotes/origin/*' \
    '+refs/tags/*:refs/dipb/remote/origin/tags/*'
check_refused 1 "recommendations/IC-0001.yaml' would be overwritten" \
    'an uncommitted edit of a record that would change: refused' dipb sync
check_eq 'the edit is kept' 'Edited by hand' \
    "$(sed -n 's/^title: //p' recommendations/IC-0001.yaml)"
# Its mode changed alone: no edit commits that, and the advice says so.
git checkout -q -- recommendations/IC-0001.yaml
chmod +x recommendations/IC-0001.yaml
check_refused 1 "change to 'recommendations/IC-0001.yaml' (its mode) would be undone by the sync: stash it ('git stash') or drop it" \
    'an uncommitted chmod +x of a record that would change: refused, no edit offered' \
    dipb sync
chmod -x recommendations/IC-0001.yaml
# Another file's edit does not stop it.
echo mine >>dipb.yaml.notes
run dipb sync
check_eq 'an untracked file elsewhere does not stop the sync' 0 "$RC"
check_eq 'and is left alone' mine "$(cat dipb.yaml.notes)"
rm -f dipb.yaml.notes

# --- what dipb verify refuses is not pushed ------------------------------------

fresh
# A change by someone who is not a member, made with plain git as dipb
# would, where the remote did not move: sync judges what it would push as
# the hook's dipb verify does, and pushes nothing (dipb-sync(1), Pushing).
as outsider
sedit recommendations/IC-0001.yaml 's/^status: draft/status: in-review/'
git add recommendations/IC-0001.yaml
forge IC-0001 review-requested 'draft -> in-review' outsider
as drafter
run dipb sync
check_eq "a forged local change: exit 1" 1 "$RC"
check_err 'sync names the finding, as dipb verify has it' \
    'IC-0001/2-review-requested: otto@example.org is not a member of the board: review --request needs the drafter role [role]'
check_err 'and says nothing was pushed' 'not pushed: dipb verify finds 1 problem'
check_eq 'the hook was not asked: nothing reached the remote' \
    "$(git -C "$TROOT/pristine.git" rev-parse main)" \
    "$(git -C "$BARE" rev-parse main)"

# A change by a member who may make it, made with plain git as dipb would
# but with a control character that dipb's commands never write (an
# escape a terminal obeys): where the remote did not move, sync would push
# it as it is, so it judges it as dipb verify does and pushes nothing.
fresh
as drafter
sedit recommendations/IC-0001.yaml 's/^title: .*/title: "First \\e]0;owned\\a"/'
git add recommendations/IC-0001.yaml
forge IC-0001 edited 'draft -> draft' drafter
run dipb sync
check_eq 'a control character added by hand: exit 1' 1 "$RC"
check_err "sync names where it is, as dipb verify has it" \
    "IC-0001/2-edited: recommendations/IC-0001.yaml:2:1: 'title' holds a control character, U+001B, at character 7 (a single-line field) [control-character] [record-invalid]"
check_err 'and says nothing was pushed' 'not pushed: dipb verify finds 1 problem'
check_eq 'a control character added by hand: nothing reached the remote' \
    "$(git -C "$TROOT/pristine.git" rev-parse main):" \
    "$(git -C "$BARE" rev-parse main):$(git -C "$BARE" tag -l IC-0001/2-edited)"

# The same forgery on the remote (no hook to stop it there), then a real
# change in a clone: it is replayed there, but not pushed on top.
fresh
rm -f "$BARE/hooks/pre-receive"
(
	cd "$TROOT/b" || exit 1
	sedit recommendations/IC-0001.yaml 's/^status: draft/status: in-review/'
	git add recommendations/IC-0001.yaml
	forge IC-0001 review-requested 'draft -> in-review' outsider
	git push -q --follow-tags origin main
) 2>>"$TROOT/setup.err"
before=$(git -C "$BARE" rev-parse main)
mkrec supply-chain-security 'Second' >/dev/null
run dipb sync
check_eq "a forged change on the remote: a sync on top of it exits 1" 1 "$RC"
check_err_re "sync names the remote's forged change" \
    'IC-0001/2-review-requested: otto@example.org is not a member of the board.*\[role\]'
check_eq 'nothing was pushed on top of it' "$before" \
    "$(git -C "$BARE" rev-parse main)"

# --- the remote refuses the push -------------------------------------------------

fresh
# A hook that refuses what dipb verify would take (a board frozen).
printf '#!/bin/sh\necho "pre-receive: the board is frozen" >&2\nexit 1\n' \
    >"$BARE/hooks/pre-receive"
chmod +x "$BARE/hooks/pre-receive"
mkrec supply-chain-security 'Frozen' >/dev/null
run dipb sync
check_eq "a push the remote's hook refuses: exit 1" 1 "$RC"
check_err 'the hook'\''s message is passed on' 'pre-receive: the board is frozen'
check_err 'and sync says the remote refused it' 'origin refused the push'
check_eq 'nothing reached the remote' \
    "$(git -C "$TROOT/pristine.git" rev-parse main)" \
    "$(git -C "$BARE" rev-parse main)"

# The remote cannot lock its branch (a push of another in flight, or one
# that died and left its lock): git says "atomic transaction failed" of
# every ref, no hook refused anything.  A failure of git's, exit 5, never
# "origin refused the push" (exit 1, before).
fresh
mkrec supply-chain-security 'Locked out' >/dev/null
: >"$BARE/refs/heads/main.lock"
run dipb sync
rm -f "$BARE/refs/heads/main.lock"
check_eq "the remote cannot lock its branch: exit 5, not a refusal" \
    '5 0' "$RC $(grep -c 'refused the push' "$ERR")"
check_err 'sync says the remote could not take it' \
    'origin could not take the push'
run dipb sync
check_eq 'the lock gone, the next sync pushes' \
    "0 $(git rev-parse HEAD)" "$RC $(git -C "$BARE" rev-parse main)"

# The remote cannot store the objects (its objects/pack a file here, a
# full disk or a folder the pusher cannot write elsewhere): "unable to
# migrate objects to permanent storage", again no hook's refusal.
fresh
mkrec supply-chain-security 'Not stored' >/dev/null
mv "$BARE/objects/pack" "$TROOT/pack.away" && : >"$BARE/objects/pack"
git -C "$BARE" config receive.unpackLimit 1
run dipb sync
rm -f "$BARE/objects/pack"
mv "$TROOT/pack.away" "$BARE/objects/pack"
check_eq "the remote cannot store the objects: exit 5, not a refusal" \
    '5 0' "$RC $(grep -c 'refused the push' "$ERR")"

# A proc-receive hook refuses with words of its own, which may be any:
# "failed to pass the board review" is its refusal (exit 1), never a
# failure of the remote's, told apart by receive-pack's words whole.
fresh
cat >"$BARE/hooks/proc-receive" <<'PY'
#!/usr/bin/env python3
# Refuses every ref it is given (git's proc-receive protocol, version 1).
import sys
r, w = sys.stdin.buffer, sys.stdout.buffer
def read():
    n = r.read(4)
    return None if not n else b"" if n == b"0000" else r.read(int(n, 16) - 4)
def write(s):
    w.write(b"0000" if s is None else b"%04x" % (len(s) + 4) + s.encode())
    w.flush()
while read():
    pass
write("version=1")
write(None)
refs = []
while True:
    l = read()
    if not l:
        break
    refs.append(l.rstrip(b"\n").split(b" ")[2].decode())
for ref in refs:
    write("ng %s failed to pass the board review" % ref)
write(None)
PY
chmod +x "$BARE/hooks/proc-receive"
git -C "$BARE" config receive.procReceiveRefs refs/
mkrec supply-chain-security 'Reviewed out' >/dev/null
run dipb sync
check_eq "a proc-receive hook's refusal, 'failed to' in its words: exit 1" \
    '1 1' "$RC $(grep -c 'origin refused the push' "$ERR")"

# --- a push URL that rejects: the remote did not move -----------------------
# git pushes to every url of a remote (git config --add remote.origin.url,
# as git documents for mirrors), or to remote.origin.pushurl in place of
# its url, and fetches from the first url.  A rejection makes another
# round only when a fetch then shows the branch moved: else it is git's
# message and exit 5, never five rounds and "kept moving" (exit 4), nor,
# when the url fetched from took the push and a mirror rejected it,
# "origin main is up to date" and exit 0, as before.

# mirror: $TROOT/mirror.git, a copy of the bare repository to which clone
# b pushed a change of its own.
mirror() {
	rm -rf "$TROOT/mirror.git"
	cp -a "$BARE" "$TROOT/mirror.git"
	(cd "$TROOT/b" &&
	    git remote set-url origin "file://$TROOT/mirror.git" &&
	    mkrec supply-chain-security 'On the mirror' >/dev/null &&
	    dipb sync) >/dev/null 2>&1
}

fresh
as drafter
mirror
git config --add remote.origin.url "file://$TROOT/mirror.git"
mkrec industrial-capacity 'Not on the mirror' >/dev/null	# IC-0002
run dipb sync
check_eq 'a mirror url rejects what the first url took: exit 5, not 0' \
    5 "$RC"
check_err 'sync says the remote took the push only in part' \
    'origin took the push only in part'
check_err "git's rejection is said" '[rejected]'
check_eq 'a mirror url rejects: never "up to date", nor "moved"' 0 \
    "$(grep -c -e 'is up to date' -e 'moved while pushing' "$ERR")"
check_eq 'the first url has the change, the mirror not' \
    "$(git rev-parse HEAD) $(git -C "$TROOT/mirror.git" rev-parse main)" \
    "$(git -C "$BARE" rev-parse main) $(git -C "$TROOT/b" rev-parse HEAD)"

# The same, and the first url moves on right after it took the push (a
# post-receive hook commits on top): the next round would find the clone
# behind the remote, nothing to push, and say it is up to date.
fresh
as drafter
mirror
git config --add remote.origin.url "file://$TROOT/mirror.git"
cat >"$BARE/hooks/post-receive" <<'EOF'
#!/bin/sh
c=$(git commit-tree -p main -m 'On top' 'main^{tree}') &&
git update-ref refs/heads/main "$c"
EOF
chmod +x "$BARE/hooks/post-receive"
mkrec industrial-capacity 'Built upon at once' >/dev/null	# IC-0002
run dipb sync
rm -f "$BARE/hooks/post-receive"
check_eq 'a mirror rejects, the first url moved on: exit 5, not 0' \
    5 "$RC"
check_eq 'the first url moved on: never "up to date"' 0 \
    "$(grep -c 'is up to date' "$ERR")"
check_err 'the first url moved on: sync says the push went in part' \
    'origin took the push only in part'

# A pushurl that rejects (it holds another change): origin's branch never
# moves, one round, git's message, exit 5.
# pushurl_sync REPO TITLE: pushes to REPO in place of origin's url, and
# syncs a new record TITLE (IC-0002).
pushurl_sync() {
	git config remote.origin.pushurl "file://$1"
	mkrec industrial-capacity "$2" >/dev/null
	run dipb sync
}

fresh
as drafter
mirror
pushurl_sync "$TROOT/mirror.git" 'Pushed elsewhere'
check_eq 'a pushurl rejects, origin unmoved: exit 5, no second round' \
    '5 0' "$RC $(grep -c 'moved while pushing' "$ERR")"
check_err 'sync says origin rejected the push' 'origin rejected the push'
check_err 'and that its branch did not move' 'fetched again, did not move'
git config --unset remote.origin.pushurl
run dipb sync
check_eq 'the pushurl gone, the next sync pushes' \
    "0 $(git rev-parse HEAD)" "$RC $(git -C "$BARE" rev-parse main)"
rm -rf "$TROOT/mirror.git"

# A pushurl that takes the push: another repository (a copy of origin's),
# whose branch takes it the first time and has it the next.  sync said
# "pushed to origin main", exit 0, every time, and origin never got the
# changes.  With a pushurl set, a fetch after the push shows origin lacks
# them: exit 5, as for a pushurl that rejects.
fresh
as drafter
rm -rf "$TROOT/copy.git"
cp -a "$BARE" "$TROOT/copy.git"
pushurl_sync "$TROOT/copy.git" 'Pushed to a copy'
check_eq 'a pushurl takes the push, origin lacks it: exit 5, not 0' \
    '5 0' "$RC $(grep -c '^pushed to' "$ERR")"
check_err 'sync names both urls' "git pushed them to 'file://$TROOT/copy.git' (its push url), which took them or had them already, not to '$URL', the url fetched from"
run dipb sync
check_eq 'again, the copy up to date: exit 5, never "pushed to"' \
    '5 0' "$RC $(grep -c '^pushed to' "$ERR")"
check_err 'again, origin is said to lack the changes' \
    'origin main lacks the changes'
git config --unset remote.origin.pushurl
run dipb sync
check_eq 'the pushurl unset, the next sync exits 0' 0 "$RC"
check_synced 'and origin then has the changes'
# The same push redirected by url.<base>.pushInsteadOf, to a copy that
# takes it: found by the first sync, not the next (the copy's branch was
# where origin's was, so git's own report looked like a push to origin).
rm -rf "$TROOT/copy.git"
cp -a "$BARE" "$TROOT/copy.git"
git config "url.file://$TROOT/copy.git.pushInsteadOf" "$URL"
mkrec industrial-capacity 'Pushed instead of' >/dev/null
run dipb sync
check_eq 'pushInsteadOf to a copy that takes the push: exit 5 at once' \
    '5 0' "$RC $(grep -c '^pushed to' "$ERR")"
check_err 'it names the url pushed to' \
    "git pushed them to 'file://$TROOT/copy.git' (its push url)"
git config --unset "url.file://$TROOT/copy.git.pushInsteadOf"
run dipb sync
check_eq 'pushInsteadOf unset: the next sync exits 0' 0 "$RC"
rm -rf "$TROOT/copy.git"
# A url url.<base>.insteadOf rewrites, and a pushurl to a copy that takes
# the push: the url named as the one fetched from is the one git fetches
# (git remote get-url), not the one configured.
cp -a "$BARE" "$TROOT/copy.git"
git config "url.$URL.insteadOf" board:
git config remote.origin.url board:
pushurl_sync "$TROOT/copy.git" 'Fetched instead of'
check_eq 'insteadOf and a pushurl to a copy: exit 5, git fetches origin' \
    "5 $URL" "$RC $(git remote get-url origin)"
check_err 'it names the url git fetches, as insteadOf rewrites it' \
    "not to '$URL', the url fetched from"
git config remote.origin.url "$URL"
git config --unset remote.origin.pushurl
git config --unset "url.$URL.insteadOf"
run dipb sync
check_eq 'insteadOf and the pushurl unset: the next sync exits 0' 0 "$RC"
rm -rf "$TROOT/copy.git"

# One url, whose receive.hideRefs hides a change's tag: git's atomic push
# lands the branch there and rejects the tag ("deny updating a hidden
# ref").  The sync said another url it pushes to rejected it (there is
# none), and the next, once the remote takes it, "origin main is up to
# date", exit 0, the remote holding the change without its tag.  Now the
# first says the remote refused the tag, in git's words, and the next
# pushes the tags of the remote's changes it lacks.
fresh
as drafter
git -C "$BARE" config receive.hideRefs refs/tags/IC-0002
mkrec industrial-capacity 'Its tag hidden' >/dev/null		# IC-0002
run dipb sync
check_eq 'receive.hideRefs hides the tag: exit 5, the branch landed, the tag not' \
    "5 $(git rev-parse HEAD) " \
    "$RC $(git -C "$BARE" rev-parse main) $(git ls-remote "$URL" 'refs/tags/IC-0002/*')"
check_err '  sync says origin refused the tag' \
    'origin refused the tag IC-0002/1-drafted for a reason of its own'
check_err "  git's words are passed on" '(deny updating a hidden ref)'
check_eq '  no other url is blamed' 0 "$(grep -c 'another URL' "$ERR")"
git -C "$BARE" config --unset receive.hideRefs
run dipb sync --no-push
check_eq '  --no-push: exit 0, the tag said missing, not pushed' \
    '0 1 ' "$RC $(grep -c 'IC-0002/1-drafted without its tag: not pushed (--no-push)' "$ERR") $(git ls-remote "$URL" 'refs/tags/IC-0002/*')"
run dipb sync
check_eq 'the next sync pushes the tag the remote lacks: exit 0, never "up to date"' \
    '0 0 pushed to origin main' \
    "$RC $(grep -c 'is up to date' "$ERR") $(grep '^pushed' "$ERR")"
check_err '  and says so' 'origin main holds the change of IC-0002/1-drafted without its tag'
check_synced 'a tag the remote refused, pushed by the next sync'
run dipb sync
check_eq '  a sync after it: up to date' '0 origin main is up to date' \
    "$RC $(cat "$ERR")"
# A member's own annotated tag named like a change, on a change of the
# remote's that has its tag there: not the change's tag, never pushed
# (git ls-remote the oracle), and no "without its tag" said.
git tag -a -m 'my bookmark' IC-0002/7-drafted 'IC-0002/1-drafted^{commit}'
check_eq '  the bookmark tag made, on the change of IC-0002/1-drafted' \
    "$(git rev-parse 'IC-0002/1-drafted^{commit}')" \
    "$(git rev-parse -q --verify 'IC-0002/7-drafted^{commit}')"
run dipb sync
check_eq "  a member's own tag like a change's: up to date, not pushed" \
    '0 origin main is up to date ' \
    "$RC $(cat "$ERR") $(git ls-remote "$URL" refs/tags/IC-0002/7-drafted)"
git tag -d IC-0002/7-drafted >/dev/null
# uploadpack.hideRefs hides a tag from fetches, not from pushes: git
# takes it again, and every sync said "the tag is pushed", exit 0, while
# a clone of the remote lacks it.  Now the sync that pushes it, fetched
# again, says the remote hides it, exit 5.
git -C "$BARE" config uploadpack.hideRefs refs/tags/IC-0003
mkrec industrial-capacity 'Hidden from fetches' >/dev/null	# IC-0003
run dipb sync
check_eq 'uploadpack.hideRefs: the first sync pushes the tag with its change' \
    "0 $(git rev-parse IC-0003/1-drafted)" \
    "$RC $(git -C "$BARE" rev-parse -q --verify refs/tags/IC-0003/1-drafted)"
run dipb sync
check_eq '  the next: exit 5, the remote said to hide the tag' '5 1' \
    "$RC $(grep -c 'origin took the push, but a fetch of it does not show the tag IC-0003/1-drafted: it hides it from fetches (uploadpack.hideRefs)' "$ERR")"
git -C "$BARE" config --unset uploadpack.hideRefs
run dipb sync
check_eq '  shown again: up to date' '0 origin main is up to date' \
    "$RC $(cat "$ERR")"
# A shallow remote (a bare clone made with --depth): git sends no commit
# of the history its branch holds, so the tags of that history's commits
# lack their objects there, and it refuses them ("missing necessary
# objects") while it takes the rest of the atomic push.  The sync blamed
# a hook or receive.hideRefs, with a line for each tag, and so did every
# sync after it.  Now it names the shallow remote and what mends it, the
# tags it lacks in one line; unshallowed, the next sync pushes them.
rm -rf "$TROOT/shallow.git"
git clone -q --bare --depth 1 "$URL" "$TROOT/shallow.git" 2>/dev/null
git remote set-url origin "file://$TROOT/shallow.git"
for n in 1 2; do
	run dipb sync
	check_eq "a shallow remote, sync $n: exit 5, the remote lacks the tags (git ls-remote)" \
	    '5 ' "$RC $(git ls-remote "file://$TROOT/shallow.git" refs/tags/IC-0001/1-drafted)"
	check_err "  sync $n names the shallow remote" \
	    'origin lacks the history of its own branch where the tags IC-0001/1-drafted'
	check_err "  sync $n says what mends it" \
	    "it is a shallow repository (a clone with --depth), which can never take them"
	check_eq "  sync $n blames no hook or receive.hideRefs" 0 \
	    "$(grep -c 'hideRefs' "$ERR")"
	check_eq "  sync $n says the tags it lacks in one line" '1 0' \
	    "$(grep -c 'origin main holds the changes of IC-0001/1-drafted, .* without their tags: the tags are pushed' "$ERR") $(grep -c 'without its tag' "$ERR")"
done
# --no-push says them in the same one line, "A, B and C".
run dipb sync --no-push
check_eq '  --no-push: exit 0, the three tags it lacks in one line, "A, B and C"' \
    '0 1' "$RC $(grep -c 'origin main holds the changes of IC-0001/1-drafted, [^ ,]* and [^ ,]* without their tags: not pushed (--no-push)' "$ERR")"
git -C "$TROOT/shallow.git" fetch -q --unshallow "$URL" main 2>/dev/null
run dipb sync
check_eq "  unshallowed, as advised: the next sync pushes the tags, exit 0" \
    "0 $(git rev-parse IC-0001/1-drafted)" \
    "$RC $(git ls-remote "file://$TROOT/shallow.git" refs/tags/IC-0001/1-drafted | cut -f 1)"
git remote set-url origin "$URL"
git fetch -q origin
rm -rf "$TROOT/shallow.git"
# A remote that is not shallow but lost objects (the commit of a change,
# deleted there) refuses that change's tag the same way ("missing
# necessary objects").  The sync called it a shallow repository, whose
# remedy, 'git fetch --unshallow' there, dies.  Now, for a file:// URL,
# it looks (the remote's shallow file) and says it lost them and what
# restores them; where it cannot look (two push URLs), it names both.
rm -rf "$TROOT/lost.git"
git init -q --bare "$TROOT/lost.git"
git -C "$TROOT/lost.git" config receive.unpackLimit 100000
git push -q "$TROOT/lost.git" main 'refs/tags/*:refs/tags/*'
c=$(git rev-parse 'IC-0001/1-drafted^{commit}')
git -C "$TROOT/lost.git" tag -d IC-0001/1-drafted IC-0002/1-drafted >/dev/null
rm "$TROOT/lost.git/objects/$(echo "$c" | cut -c1-2)/$(echo "$c" | cut -c3-)"
git remote set-url origin "file://$TROOT/lost.git"
run dipb sync
check_eq 'a remote that lost a commit: exit 5, it lacks its tag (git ls-remote), not shallow (git)' \
    '5  false' "$RC $(git ls-remote "$TROOT/lost.git" refs/tags/IC-0001/1-drafted) $(git -C "$TROOT/lost.git" rev-parse --is-shallow-repository)"
check_err '  sync says it lost objects, and what restores them' \
    "origin lacks the commit of the tag IC-0001/1-drafted, though its branch holds it (git: missing necessary objects), and git never sends it: its history is whole (no shallow file, or one of root commits alone), so it lost objects: 'git fsck' in it names them, and 'git fetch --refetch' in it from a clone that holds them (this one) restores them"
check_eq '  and never calls it shallow' 0 "$(grep -c 'it is a shallow' "$ERR")"
check_eq '  the two tags it lacked said in one line, "A and B"' 1 \
    "$(grep -Ec 'origin main holds the changes of IC-000[12]/1-drafted and IC-000[12]/1-drafted without their tags: the tags are pushed' "$ERR")"
git config --add remote.origin.pushurl "file://$TROOT/lost.git"
git config --add remote.origin.pushurl "$TROOT/lost.git"
run dipb sync
check_eq '  two push URLs: exit 5' 5 "$RC"
check_err '  dipb cannot look there: it names both causes' \
    "it is a shallow repository ('git rev-parse --is-shallow-repository' in it tells; then 'git fetch --unshallow' there), or lost objects ('git fsck' in it names them; then 'git fetch --refetch' there from a clone that holds them)"
git config --unset-all remote.origin.pushurl
# A shallow file there that lists root commits alone ends nothing (git
# lists the root of a clone exactly as deep as its history): git calls
# the remote shallow, but it lost the commit all the same, and 'git
# fetch --unshallow' there dies; the refetch restores it.
git rev-list --max-parents=0 main >"$TROOT/lost.git/shallow"
run dipb sync
check_eq '  its shallow file lists the root alone: exit 5, git calls it shallow' \
    '5 true' "$RC $(git -C "$TROOT/lost.git" rev-parse --is-shallow-repository)"
check_err '  sync says it lost objects, as without the file' \
    "its history is whole (no shallow file, or one of root commits alone), so it lost objects: 'git fsck' in it names them"
check_eq '  and never calls it shallow' 0 "$(grep -c 'it is a shallow' "$ERR")"
check '  git fetch --refetch there from this clone, as advised' \
    git -C "$TROOT/lost.git" fetch -q --refetch "$PWD"
run dipb sync
check_eq '  restored: the next sync pushes the tag, exit 0' \
    "0 $(git rev-parse IC-0001/1-drafted)" \
    "$RC $(git ls-remote "$TROOT/lost.git" refs/tags/IC-0001/1-drafted | cut -f 1)"
git remote set-url origin "$URL"
git fetch -q origin
rm -rf "$TROOT/lost.git"
# --no-push names five of more than six tags the remote lacks, and says
# how many more (a remote given the branch alone: every tag).
here=$PWD
cd "$TROOT" && rm -rf nopush nopush.git && git clone -q "$URL" nopush &&
    cd nopush || exit 1
for n in 1 2 3 4 5 6 7; do mkrec industrial-capacity "Many $n" >/dev/null; done
git init -q --bare "$TROOT/nopush.git"
git push -q "$TROOT/nopush.git" main
git remote set-url origin "$TROOT/nopush.git"
lacking=$(git tag | wc -l | tr -d ' ')
run dipb sync --no-push
check_eq "--no-push, the remote lacking $lacking tags: one line naming five, and how many more" \
    "0 1 1" "$RC $(grep -c "origin main holds the changes of [^ ,]*, [^ ,]*, [^ ,]*, [^ ,]*, [^ ,]* and $((lacking - 5)) more without their tags: not pushed (--no-push)" "$ERR") $((lacking > 6))"
cd "$here" && rm -rf "$TROOT/nopush" "$TROOT/nopush.git"

# receive-pack refusing by its own configuration, no hook involved, is
# the remote's failure (exit 5), not a verdict on the changes (exit 1,
# "run 'dipb verify'", which finds nothing): a non-bare remote with the
# branch checked out, "(branch is currently checked out)" and the tags
# "(atomic push failure)"; receive.denyCurrentBranch updateInstead with
# its working tree not clean.  An update hook's refusal is a verdict.
fresh
rm -rf "$TROOT/nonbare"
git clone -q "file://$TROOT/pristine.git" "$TROOT/nonbare" 2>/dev/null
git remote add nonbare "$TROOT/nonbare"
mkrec supply-chain-security 'Checked out there' >/dev/null
run dipb sync nonbare
check_eq "a non-bare remote with the branch checked out: exit 5, the remote could not take it, no dipb verify" \
    '5 1 0' "$RC $(grep -c 'nonbare could not take the push' "$ERR") $(grep -c "run 'dipb verify'" "$ERR")"
check_err '  git says why' '[remote rejected] (branch is currently checked out)'
git -C "$TROOT/nonbare" config receive.denyCurrentBranch updateInstead
echo '# dirty' >>"$TROOT/nonbare/dipb.yaml"
run dipb sync nonbare
check_eq "receive.denyCurrentBranch updateInstead, its tree not clean: exit 5, not a refusal" \
    '5 0' "$RC $(grep -c 'refused the push' "$ERR")"
git -C "$TROOT/nonbare" checkout -q -- dipb.yaml
printf '#!/bin/sh\necho "update: $1 is closed" >&2\nexit 1\n' \
    >"$TROOT/nonbare/.git/hooks/update"
chmod +x "$TROOT/nonbare/.git/hooks/update"
run dipb sync nonbare
check_eq "an update hook's refusal there: exit 1, the remote refused it" \
    '1 1' "$RC $(grep -c 'nonbare refused the push' "$ERR")"
rm -f "$TROOT/nonbare/.git/hooks/update"
run dipb sync nonbare
check_eq '  the hook gone, updateInstead with a clean tree: the sync pushes' \
    "0 $(git rev-parse HEAD)" "$RC $(git -C "$TROOT/nonbare" rev-parse main)"
git remote remove nonbare
rm -rf "$TROOT/nonbare"

# --- git itself fails ---------------------------------------------------------------

fresh
git remote set-url origin "file://$TROOT/nowhere.git"
check_refused 5 'git fetch origin failed' \
    'git failing (no such repository): exit 5, its message passed on' \
    dipb sync

# --- the clone's own hooks (dipb-sync(1), "Hooks") --------------------------
# git fetch and git push run the clone's hooks as git runs them
# (core.hooksPath here): each one that runs is named in dipb-sync(1).  A
# failing pre-push stops the push: exit 5, nothing reaches the remote,
# the change stays published in the clone, and the next sync pushes it.
fresh
mkdir "$TROOT/hooks"
for _h in applypatch-msg pre-applypatch post-applypatch pre-commit \
    pre-merge-commit prepare-commit-msg commit-msg post-commit pre-rebase \
    post-checkout post-merge pre-push pre-receive update proc-receive \
    post-receive post-update reference-transaction push-to-checkout \
    pre-auto-gc post-rewrite post-index-change fsmonitor-watchman; do
	printf '#!/bin/sh\necho %s >>"%s/hooks.ran"\ncat >/dev/null\n' \
	    "$_h" "$TROOT" >"$TROOT/hooks/$_h"
	chmod +x "$TROOT/hooks/$_h"
done
git config core.hooksPath "$TROOT/hooks"
inc b mkrec industrial-capacity 'From b, hooked' >/dev/null
inc b dipb sync 2>/dev/null
mkrec industrial-capacity 'Hooked' >/dev/null
: >"$TROOT/hooks.ran"
run dipb sync
check_eq 'a sync that fetches and pushes: exit 0, pre-push run' '0 1' \
    "$RC $(grep -c '^pre-push$' "$TROOT/hooks.ran")"
_unnamed=
for _h in $(sort -u "$TROOT/hooks.ran"); do
	grep -q "^\.It Pa $_h\$" "$DIPB_SRCDIR/man/dipb-sync.1" ||
	    _unnamed="$_unnamed $_h"
done
check_eq '  each hook it ran is named in dipb-sync(1), "Hooks"' '' "$_unnamed"
printf '#!/bin/sh\necho "pre-push: not now" >&2\nexit 1\n' \
    >"$TROOT/hooks/pre-push"
_id=$(mkrec industrial-capacity 'Held back')
_remote=$(git -C "$BARE" rev-parse main)
run dipb sync
check_eq 'a failing pre-push hook: exit 5, the remote unchanged' \
    "5 $_remote" "$RC $(git -C "$BARE" rev-parse main)"
check_err '  its message passed on' 'pre-push: not now'
check_err '  the push named as what failed' \
    'dipb: git push origin failed (exit status 1)'
check_eq '  the change stays published in the clone' 'Held back' \
    "$(field "$_id" title HEAD)"
rm -f "$TROOT/hooks/pre-push"
run dipb sync
check_eq '  the next sync pushes it' "0 $(git rev-parse HEAD)" \
    "$RC $(git -C "$BARE" rev-parse main)"
git config --unset core.hooksPath
rm -rf "$TROOT/hooks" "$TROOT/hooks.ran"

# --- git killed by a signal ----------------------------------------------------
# Said as such: there is no exit status -1, and no message of git's above.
for _op in fetch push; do
	fresh
	mkrec industrial-capacity "Killed $_op" >/dev/null
	mkdir "$TROOT/wrap"
	printf '#!/bin/sh\n[ "$1" = %s ] && kill -KILL $$\nexec "%s" "$@"\n' \
	    "$_op" "$REALGIT" >"$TROOT/wrap/git"
	chmod +x "$TROOT/wrap/git"
	run env PATH="$TROOT/wrap:$PATH" dipb sync
	check_eq "git $_op killed by SIGKILL: exit 5" 5 "$RC"
	check_err '  saying so' "git $_op origin failed (killed by signal 9)"
	cp "$ERR" "$TROOT/killed.err"
	check "  and not sending the user to a message git never gave" \
	    sh -c '! grep -q "message above\|status -1" "$1"' sh \
	    "$TROOT/killed.err"
done

# --- fault points: killed anywhere, the clone is before or after ----------------

# whole_sync OLD NEW: prints what is wrong with the clone after a killed
# sync and the next dipb command (empty: nothing): HEAD is OLD with the
# tags of before, or NEW with the tags of after; fsck, status, the index
# and verify clean; no journal left.
whole_sync() {
	_h=$(git rev-parse HEAD)
	git tag -l | LC_ALL=C sort >"$TROOT/tags.now"
	if [ "$_h" = "$1" ]; then
		cmp -s "$TROOT/tags.now" "$TROOT/tags.old" ||
		    echo "HEAD is the old tip, but the tags changed: $(diff "$TROOT/tags.old" "$TROOT/tags.now" | grep '^[<>]' | tr '\n' ' ')"
	elif [ "$_h" = "$2" ]; then
		cmp -s "$TROOT/tags.now" "$TROOT/tags.new" ||
		    echo "HEAD is the new tip, but the tags differ: $(diff "$TROOT/tags.new" "$TROOT/tags.now" | grep '^[<>]' | tr '\n' ' ')"
	else
		echo "HEAD is neither the old tip nor the new one"
	fi
	if ! git fsck --strict --no-dangling --no-progress >"$TROOT/fsck" \
	    2>&1 || grep -q . "$TROOT/fsck"; then
		echo "git fsck --strict: $(head -n 3 "$TROOT/fsck")"
	fi
	_p=$(git status --porcelain --untracked-files=all)
	[ -z "$_p" ] || echo "git status --porcelain: $(echo $_p)"
	git ls-files -s | awk '{ print $1, $2, $4 }' >"$TROOT/lsfiles"
	git ls-tree -r --full-tree HEAD | awk '{ print $1, $3, $4 }' \
	    >"$TROOT/lstree"
	cmp -s "$TROOT/lsfiles" "$TROOT/lstree" || echo "index and HEAD differ"
	dipb verify >"$TROOT/verify" 2>&1 ||
	    echo "dipb verify: $(head -n 3 "$TROOT/verify" | tr '\n' ' ')"
	[ ! -e .git/dipb-journal ] || echo 'the journal is left'
}

# kill_at NAME SETUP: for each fault point of the sync, SETUP (run in a
# fresh set-up; it leaves clone b to sync) then a sync of b killed there,
# then dipb list; the clone must be whole before or after, and a last
# sync must land everything.
kill_at() {
	_points=$1
	shift
	for p in $_points; do
		fresh
		as drafter
		# One date: the sync of the copy below makes the same commits.
		at 2026-12-03
		$2
		cd "$TROOT/b" || exit 1
		# The end state, from a copy synced without a kill.
		rm -rf "$TROOT/b2" && cp -a "$TROOT/b" "$TROOT/b2"
		(cd "$TROOT/b2" && dipb sync --no-push) >/dev/null 2>&1
		old=$(git rev-parse HEAD) new=$(git -C "$TROOT/b2" rev-parse HEAD)
		git tag -l | LC_ALL=C sort >"$TROOT/tags.old"
		git -C "$TROOT/b2" tag -l | LC_ALL=C sort >"$TROOT/tags.new"
		run env DIPB_FAULT=$p dipb sync --no-push
		check_eq "$1, killed at $p: SIGKILL" 137 "$RC"
		run dipb list --format ids
		check_eq "$1, killed at $p: dipb list works after" 0 "$RC"
		w=$(whole_sync "$old" "$new")
		if [ -z "$w" ]; then
			ok "$1, killed at $p: the clone is whole, $([ "$(git rev-parse HEAD)" = "$old" ] && echo before || echo after) the sync"
		else
			not_ok "$1, killed at $p: the clone is whole, before or after the sync" "$w"
		fi
		run dipb sync
		check_eq "$1, killed at $p: the next sync lands it" \
		    "0 $(git ls-remote "$URL" refs/heads/main | cut -f 1)" \
		    "$RC $(git rev-parse HEAD)"
	done
}

ff_setup() {
	inc a dipb review IC-0001 --request 2>/dev/null
	inc a mkrec supply-chain-security 'From a' >/dev/null
	inc a dipb sync 2>/dev/null
}
# Before the commit point (undone) and after it (completed); the
# replayed case below goes through every point.
kill_at 'sync-refs sync-branch' 'nothing local' ff_setup

replay_setup() {
	inc a dipb review IC-0001 --request 2>/dev/null
	inc a dipb sync 2>/dev/null
	inc b mkrec supply-chain-security 'From b' >/dev/null
}
kill_at 'sync-journal sync-refs sync-branch sync-worktree' 'replayed' \
    replay_setup
# The odd names on the journal's lines, for the recovery to read back.
odd_setup() {
	(cd "$TROOT/a" && printf 'b\n' >'odd\name' &&
	    printf 'n\n' >"new${NL}line" && git add . &&
	    git commit -q -m 'Odd names' && git push -q origin main)
	inc b mkrec supply-chain-security 'From b' >/dev/null
}
kill_at 'sync-branch sync-worktree' 'odd names upstream' odd_setup
today

# A dipb older than the lock files' mark (dipb-git(7)) killed in a sync
# left its ref locks unmarked, each holding the new id the journal names
# for its ref: the next dipb removes them, as its own.  An unmarked lock
# holding anything else is another program's and stays.
# killed_at_refs [SETUP]: clone b, with a change to replay (or what
# SETUP makes), its sync killed at sync-refs (after the first ref moved,
# before the branch).
killed_at_refs() {
	fresh
	as drafter
	at 2026-12-03
	${1:-replay_setup}
	cd "$TROOT/b" || exit 1
	run env DIPB_FAULT=sync-refs dipb sync --no-push
}
old_dipb_killed() {
	killed_at_refs
	find .git/refs -name '*.lock' >"$TROOT/locks"
	check "$1: ref locks left" test -s "$TROOT/locks"
	while read -r _l; do chmod -t "$_l"; done <"$TROOT/locks"
}
old_dipb_killed 'an older dipb killed at sync-refs'
check 'an older dipb killed at sync-refs: dipb list exits 0' dipb list
check_eq 'its unmarked locks holding the new ids are removed' '' \
    "$(find .git/refs -name '*.lock')"
run dipb sync --no-push
check_eq 'an older dipb killed at sync-refs: the next sync lands' 0 "$RC"
w=$(whole_sync "$(git rev-parse HEAD)" "$(git rev-parse HEAD)")
check_eq 'an older dipb killed at sync-refs: the clone is whole after' \
    '' "$(printf '%s' "$w" | grep -v 'tags')"
old_dipb_killed 'a foreign lock'
_l=$(head -n 1 "$TROOT/locks")
printf '%s\n' "$(git rev-parse HEAD~1)" >"$_l"
check 'a foreign unmarked lock holding another id: dipb list exits 0' \
    dipb list
check_eq 'a foreign unmarked lock holding another id stays' yes \
    "$(test -e "$_l" && echo yes || echo no)"
rm -f "$_l"
# Another program's lock on a ref the killed sync had moved already: the
# ref cannot be moved back.  dipb verify does not read the half-moved
# refs as they are (a finding no damage made) but stops as a writer
# does, exit 4 naming the lock (dipb-verify(1), EXIT STATUS).
killed_at_refs
_l=$(awk '$1 == "ref" { print $3, $4 }' .git/dipb-journal |
    while read -r _n _r; do
	[ "$(git rev-parse -q --verify "$_r")" != "$_n" ] || echo "$_r"
    done | head -n 1)
check 'killed at sync-refs: a ref moved' test -n "$_l"
: >".git/$_l.lock"
run dipb verify
check_eq 'a foreign lock on a ref the killed sync moved: verify exits 4' \
    4 "$RC"
check_err 'a foreign lock on a ref the killed sync moved: verify names it' \
    "dipb: '.git/$_l.lock' exists"
check_eq 'a foreign lock on a ref the killed sync moved: no finding' '' \
    "$(cat "$OUT")"
rm ".git/$_l.lock"
verify_clean 'the lock on the ref gone: dipb verify is clean'
# The same with a ref the killed sync made (a tag of a's, nothing local
# to replay), packed since (a git gc between the kill and the next dipb),
# and another program's packed-refs.lock: the ref is moved back by
# deleting it, which rewrites packed-refs under that lock, as git tag -d
# does.  verify stops, exit 4 naming it once, the sync left to undo;
# with the lock gone it undoes it.
killed_at_refs ff_setup
_l=$(awk '$1 == "ref" && $2 ~ /^0+$/ { print $3, $4 }' .git/dipb-journal |
    while read -r _n _r; do
	[ "$(git rev-parse -q --verify "$_r")" != "$_n" ] || echo "$_r"
    done | head -n 1)
check 'killed at sync-refs: a ref made' test -n "$_l"
git pack-refs --all
: >.git/packed-refs.lock
run dipb verify
check_eq 'packed-refs.lock, a packed ref the killed sync made: verify exits 4' \
    4 "$RC"
check_err 'packed-refs.lock, a packed ref the killed sync made: verify names it' \
    "dipb: '.git/packed-refs.lock' exists"
check_eq 'packed-refs.lock, a packed ref the killed sync made: named once' 1 \
    "$(grep -c 'packed-refs.lock' "$ERR")"
check_eq 'packed-refs.lock, a packed ref the killed sync made: no finding' '' \
    "$(cat "$OUT")"
check_eq 'packed-refs.lock, a packed ref the killed sync made: journal kept' \
    yes "$(test -e .git/dipb-journal && echo yes || echo no)"
rm .git/packed-refs.lock
verify_clean 'packed-refs.lock gone: dipb verify is clean'
check_eq 'packed-refs.lock gone: the ref the killed sync made is gone' no \
    "$(git rev-parse -q --verify "$_l" >/dev/null && echo yes || echo no)"
today

# --- both sides changed different records: replayed ---------------------------

fresh
as drafter
inc a dipb review IC-0001 --request 2>/dev/null
inc a dipb sync 2>/dev/null
cd "$TROOT/b" || exit 1
mkrec supply-chain-security 'From b' >/dev/null			# SCS-0001
run dipb sync
check_eq 'different records: exit 0, nothing on stdout' '0 ' \
    "$RC $(cat "$OUT")"
check_eq 'different records: landed under its own tag, then pushed' \
    "landed SCS-0001/1-drafted
pushed to origin main" "$(said)"
check_eq "different records: replayed on a's change" \
    "$(git -C "$TROOT/a" rev-parse HEAD)" "$(git rev-parse HEAD^)"
check_eq 'the replayed commit keeps its author; the committer syncs' \
    'dan@example.org dan@example.org' "$(git log -1 --format='%ae %ce')"
check_synced 'different records'

# --- the same id drafted in two clones: renumbered -----------------------------

fresh
as drafter
inc a mkrec industrial-capacity 'Drafted in a' >/dev/null	# IC-0002
inc a dipb sync 2>/dev/null
cd "$TROOT/b" || exit 1
mkrec industrial-capacity 'Drafted in b' >/dev/null		# IC-0002 too
dipb review IC-0002 --request 2>/dev/null
run dipb sync
check_eq 'same id: exit 0' 0 "$RC"
check_stdout 'same id: stdout says the renumbering, alone' 'IC-0002 -> IC-0003'
check_eq 'same id: both changes landed under the new id' \
    "landed IC-0003/1-drafted (was IC-0002/1-drafted)
landed IC-0003/2-review-requested (was IC-0002/2-review-requested)
pushed to origin main" "$(said)"
check_eq "same id: IC-0002 is a's" 'Drafted in a' "$(field IC-0002 title)"
check_eq "same id: IC-0003 is b's" 'Drafted in b' "$(field IC-0003 title)"
check_eq 'same id: the later change follows the record' in-review \
    "$(status_of IC-0003)"
check_eq 'same id: the commits say where the record came from' \
    'IC-0002 IC-0002' \
    "$(git log -2 --format='%(trailers:key=Dipb-Renumbered-From,valueonly)' | sed '/^$/d' | tr '\n' ' ' | sed 's/ $//')"
check_eq "same id: b's old tags are gone, a's IC-0002/1-drafted is the remote's" \
    "$(git -C "$BARE" rev-parse IC-0002/1-drafted)" \
    "$(git rev-parse IC-0002/1-drafted)"
check_synced 'same id'

# --- a meeting whose agenda names a renumbered draft: the agenda follows ------
# b drafts IC-0002 and IC-0003 (a published IC-0002 first), records a
# meeting of both and of IC-0001, then asks a review of IC-0002: the
# replay renumbers IC-0002 IC-0004 (IC-0003 is b's other draft), and the
# meeting, made again after the drafts, names IC-0004 (dipb-sync(1),
# REPLAY), not a's IC-0002.  IC-0001, on both sides, and IC-0003, not
# renumbered, stay; a meeting recorded before the drafts is as it was.

fresh
as drafter
inc a mkrec industrial-capacity 'Drafted in a' >/dev/null	# IC-0002
inc a dipb sync 2>/dev/null
cd "$TROOT/b" || exit 1
as secretary
dipb meeting --date 2026-01-09 --attendee chair@example.org \
    --agenda IC-0001 -m 'Before the drafts.' >/dev/null 2>&1
as drafter
mkrec industrial-capacity 'B one' >/dev/null			# IC-0002
mkrec industrial-capacity 'B two' >/dev/null			# IC-0003
as secretary
dipb meeting --date 2026-01-10 --attendee chair@example.org \
    --attendee rita@example.org --agenda IC-0002 --agenda IC-0001 \
    --agenda IC-0003 -m 'After the drafts.' >/dev/null 2>&1
as drafter
dipb review IC-0002 --request >/dev/null 2>&1
run dipb sync
check_eq 'agenda: exit 0' 0 "$RC"
check_stdout 'agenda: stdout says the renumbering' 'IC-0002 -> IC-0004'
check_eq 'agenda: every change landed' \
    "landed meeting/1-held
landed IC-0004/1-drafted (was IC-0002/1-drafted)
landed IC-0003/1-drafted
landed meeting/2-held
landed IC-0004/2-review-requested (was IC-0002/2-review-requested)
pushed to origin main" "$(said)"
check_eq 'agenda: the meeting after the drafts names them by their new ids' \
    'IC-0004 IC-0001 IC-0003' "$(agenda 2026-01-10)"
check_eq "agenda: on the remote too, whose IC-0002 is a's" \
    'IC-0004 IC-0001 IC-0003|Drafted in a|B two|B one' \
    "$(agenda 2026-01-10 "$(git ls-remote "$URL" refs/heads/main | cut -f 1)")|$(field IC-0002 title)|$(field IC-0003 title)|$(field IC-0004 title)"
check_eq 'agenda: the rest of the meeting is as recorded, in canonical form' \
    'date: 2026-01-10
attendees:
  - chair@example.org
  - rita@example.org
agenda:
  - IC-0004
  - IC-0001
  - IC-0003
notes: |
  After the drafts.' "$(git show HEAD:meetings/2026-01-10.yaml)"
check_eq 'agenda: the meeting before the drafts is as it was' 'IC-0001' \
    "$(agenda 2026-01-09)"
check_eq "agenda: the meeting is the secretary's, in one change" \
    'secretary@example.org meetings/2026-01-10.yaml' \
    "$(git log -1 --format=%ae 'meeting/2-held^{commit}') $(git show --format= --name-only 'meeting/2-held^{commit}')"
check_synced 'agenda'

# --- a meeting whose agenda names a dropped draft: dropped --------------------
# Ida's draft IC-0002 is dropped (a's chair moved her out of the group),
# and IC-0002 upstream is a's record: the meeting naming it is not made,
# with the reason, rather than pushed naming a's record.

fresh
as drafter
inc a mkrec industrial-capacity 'Drafted in a' >/dev/null	# IC-0002
as chair
inc a sedit dipb.yaml 's/^    working_groups: \[industrial-capacity\]$/    working_groups: [supply-chain-security]/'
inc a dipb edit --board --no-edit >/dev/null 2>&1
inc a dipb sync 2>/dev/null
cd "$TROOT/b" || exit 1
as icdrafter
mkrec industrial-capacity 'Drafted by Ida in b' >/dev/null	# IC-0002
as secretary
dipb meeting --date 2026-01-11 --attendee chair@example.org \
    --agenda IC-0001 --agenda IC-0002 -m 'Ida presented.' >/dev/null 2>&1
run dipb sync
check_eq 'agenda, draft dropped: exit 6' 6 "$RC"
check_err_re 'agenda, draft dropped: the meeting is dropped, saying why' \
    '^dropped meeting/1-held: meetings/2026-01-11\.yaml: IC-0002 on the agenda was not made on the remote \(its draft was dropped\): record the meeting again with dipb meeting$'
check_eq 'agenda, draft dropped: no meeting on the remote' '' \
    "$(git ls-tree --name-only HEAD meetings/)"
check_synced 'agenda, draft dropped'

# --- a meeting (made with git) naming a draft made after it: dropped ----------
# dipb meeting puts only the records at the tip on an agenda; a meeting
# committed with git before the draft it names is made again before that
# draft lands, when its id is not settled: it is dropped, not pushed
# naming a's IC-0002.

fresh
as drafter
inc a mkrec industrial-capacity 'Drafted in a' >/dev/null	# IC-0002
inc a dipb sync 2>/dev/null
cd "$TROOT/b" || exit 1
mkdir -p meetings
printf 'date: 2026-01-12\nattendees:\n  - chair@example.org\nagenda:\n  - IC-0002\n' \
    >meetings/2026-01-12.yaml
git add meetings/2026-01-12.yaml
forge meeting held '' secretary
as drafter
mkrec industrial-capacity 'Drafted in b' >/dev/null		# IC-0002
run dipb sync
check_eq 'agenda, drafted after: exit 1 (one landed, one dropped)' 1 "$RC"
check_err_re 'agenda, drafted after: the meeting is dropped, saying why' \
    '^dropped meeting/1-held: meetings/2026-01-12\.yaml: IC-0002 on the agenda is drafted after the meeting, its id not settled until its draft lands: record the meeting again with dipb meeting after the sync$'
check_stdout 'agenda, drafted after: the draft is renumbered' 'IC-0002 -> IC-0003'
check_eq 'agenda, drafted after: no meeting on the remote' '' \
    "$(git ls-tree --name-only HEAD meetings/)"
check_synced 'agenda, drafted after'

# --- a meeting with a key dipb does not know, naming a renumbered draft ------
# Its agenda would be written again in dipb meeting's form, which leaves
# the key out (a reviewer saw 'location: Brussels' lost): it is dropped,
# saying why.  One naming no renumbered draft keeps its file as written.

fresh
as drafter
inc a mkrec industrial-capacity 'Drafted in a' >/dev/null	# IC-0002
inc a dipb sync 2>/dev/null
cd "$TROOT/b" || exit 1
as drafter
mkrec industrial-capacity 'Drafted in b' >/dev/null		# IC-0002
mkdir -p meetings
for m in 2026-01-12:IC-0001 2026-01-13:IC-0002; do
	printf 'date: %s\nlocation: Brussels\nattendees:\n  - chair@example.org\nagenda:\n  - %s\n' \
	    "${m%%:*}" "${m#*:}" >"meetings/${m%%:*}.yaml"
	git add "meetings/${m%%:*}.yaml"
	forge meeting held '' secretary
done
as drafter
run dipb sync
check_eq 'agenda, a key of its own: exit 1 (two landed, one dropped)' 1 "$RC"
check_err_re 'agenda, a key of its own: the renumbered meeting dropped, saying why' \
    '^dropped meeting/2-held: meetings/2026-01-13\.yaml: its agenda names a renumbered draft, and the file is not as dipb meeting writes it'
check_eq 'agenda, a key of its own: the other meeting keeps its key' \
    'location: Brussels|meetings/2026-01-12.yaml' \
    "$(git show HEAD:meetings/2026-01-12.yaml | grep '^location')|$(git ls-tree --name-only HEAD meetings/)"
check_synced 'agenda, a key of its own'

# --- a meeting made with git holding what dipb meeting refuses: dropped ------
# dipb meeting never writes a control character (dipb-validate(1),
# control-character); a meeting file made with git that holds one, as a
# double-quoted escape, is not made again on the remote but dropped,
# saying where and why.  A bidirectional control is a warning only: the
# meeting that holds one lands.

fresh
as drafter
inc a mkrec industrial-capacity 'Drafted in a' >/dev/null	# IC-0002
inc a dipb sync 2>/dev/null
cd "$TROOT/b" || exit 1
mkdir -p meetings
printf 'date: 2026-01-14\ntitle: "Minutes \\e]0;x\\a"\nattendees:\n  - chair@example.org\nnotes: "Held \\x9b2J in Brussels."\n' \
    >meetings/2026-01-14.yaml
git add meetings/2026-01-14.yaml
forge meeting held '' secretary
printf 'date: 2026-01-15\ntitle: "Minutes \\u202Ex"\nattendees:\n  - chair@example.org\n' \
    >meetings/2026-01-15.yaml
git add meetings/2026-01-15.yaml
forge meeting held '' secretary
as drafter
run dipb sync
check_eq 'control character: exit 1 (one landed, one dropped)' 1 "$RC"
check_err_re 'control character: the meeting is dropped, saying where and why' \
    "^dropped meeting/1-held: meetings/2026-01-14\\.yaml:2:1: 'title' holds a control character, U\\+001B, at character 9 \\(a single-line field\\) \\[control-character\\]: record the meeting again with dipb meeting\$"
check_eq 'control character: only the meeting with a bidirectional control is on the remote' \
    'meetings/2026-01-15.yaml' "$(git ls-tree --name-only HEAD meetings/)"
check_synced 'control character'

# --- a review of text that changed upstream: dropped --------------------------

# IC-0001 in review everywhere; in a, rev2 asks for changes and the
# drafter changes the text and asks again; in b, rev1 endorses the old
# text.
stale_setup() {
	fresh
	as drafter
	inc a dipb review IC-0001 --request 2>/dev/null
	inc a dipb sync 2>/dev/null
	inc b dipb sync 2>/dev/null
	as rev2
	inc a dipb review IC-0001 --request-changes -m 'Add evidence.' \
	    2>/dev/null
	as drafter
	(cd "$TROOT/a" && sedit recommendations/IC-0001.yaml \
	    's/^summary: .*/summary: Now with evidence./' &&
	    dipb edit IC-0001 --no-edit && dipb review IC-0001 --request) \
	    >/dev/null 2>&1
	inc a dipb sync 2>/dev/null
	cd "$TROOT/b" || exit 1
	as rev1
	dipb review IC-0001 --endorse 2>/dev/null
	endorsed=$(git tag --points-at HEAD)
}
stale_setup
run dipb sync
check_eq 'stale review alone: exit 6 (none landed)' 6 "$RC"
check_err_re 'stale review: dropped, naming the record and why' \
    "^dropped $endorsed: .*IC-0001"
check_eq 'stale review: refs/dipb/dropped/ keeps it, an annotated tag' tag \
    "$(git cat-file -t "refs/dipb/dropped/$endorsed" 2>&1)"
check_eq 'stale review: on the original commit' commit \
    "$(git cat-file -t "refs/dipb/dropped/$endorsed^{commit}" 2>&1)"
check_eq 'stale review: its message is the reason' \
    "$(sed -n "s,^dropped $endorsed: ,,p" "$ERR")" \
    "$(git for-each-ref --format='%(contents:subject)' "refs/dipb/dropped/$endorsed")"
check_eq 'stale review: its old tag is gone' '' "$(git tag -l "$endorsed")"
check_synced 'stale review alone'

stale_setup
as drafter
mkrec supply-chain-security 'Beside the stale review' >/dev/null
run dipb sync
check_eq 'stale review and a new record: exit 1 (some landed)' 1 "$RC"
check_err 'the new record landed' 'landed SCS-0001/1-drafted'
check_err_re 'the review was dropped' "^dropped $endorsed: "
check_synced 'stale review and a new record'

# --- a draft whose drafter lost the role upstream: dropped, its file gone -----

fresh
as chair
(cd "$TROOT/a" && sedit dipb.yaml '/^  - name: Ida Drafter/,/^  - name:/ s/roles: \[drafter\]/roles: [reviewer]/' &&
    dipb edit --board --no-edit && dipb sync) >/dev/null 2>&1
cd "$TROOT/b" || exit 1
as icdrafter
mkrec industrial-capacity 'Drafted without the role' >/dev/null	# IC-0002
run dipb sync
check_eq 'a draft no longer allowed: exit 6' 6 "$RC"
check_err_re 'a draft no longer allowed: dropped with its reason' \
    '^dropped IC-0002/1-drafted: '
check_eq "a draft no longer allowed: its file is gone from the working tree" \
    no "$([ -e recommendations/IC-0002.yaml ] && echo yes || echo no)"
check_eq 'a draft no longer allowed: kept under refs/dipb/dropped/' \
    'Drafted without the role' \
    "$(git show refs/dipb/dropped/IC-0002/1-drafted^{commit}:recommendations/IC-0002.yaml 2>&1 | sed -n 's/^title: //p')"
check_synced 'a draft no longer allowed'

# --- the remote moves during the sync: replayed again ----------------------------

# git, earlier in PATH: before the first push, clone c pushes a change of
# its own.
fresh 'a c'
as drafter
inc c mkrec supply-chain-security 'From c' >/dev/null
mkdir "$TROOT/wrap"
cat >"$TROOT/wrap/git" <<EOF
#!/bin/sh
if [ "\$1" = push ] && [ ! -e "$TROOT/moved" ]; then
	: >"$TROOT/moved"
	"$REALGIT" -C "$TROOT/c" push -q --atomic --follow-tags origin main >&2
fi
exec "$REALGIT" "\$@"
EOF
chmod +x "$TROOT/wrap/git"
mkrec industrial-capacity 'From a, overtaken' >/dev/null	# IC-0002
run env PATH="$TROOT/wrap:$PATH" dipb sync
check_eq 'the remote moved once: exit 0' 0 "$RC"
check_err 'the remote moved once: sync says it fetches again' \
    'moved while pushing'
check_err 'the remote moved once: landed' 'landed IC-0002/1-drafted'
check_eq "the remote moved once: a's change is on c's" \
    "$(git -C "$TROOT/c" rev-parse HEAD)" "$(git rev-parse HEAD^)"
check_synced 'the remote moved once'

# The remote moves before every push: exit 4 after --attempts rounds.
fresh 'a c'
as drafter
mkdir "$TROOT/wrap"
cat >"$TROOT/wrap/git" <<EOF
#!/bin/sh
if [ "\$1" = push ]; then
	(cd "$TROOT/c" && dipb recommend --wg supply-chain-security \
	    --title Moving --summary S --no-edit &&
	    "$REALGIT" push -q --atomic --follow-tags origin main) >/dev/null 2>&1
fi
exec "$REALGIT" "\$@"
EOF
chmod +x "$TROOT/wrap/git"
mkrec industrial-capacity 'Never lands' >/dev/null
run env PATH="$TROOT/wrap:$PATH" dipb sync --attempts 2
check_eq 'the remote always moving: exit 4' 4 "$RC"
check_err 'the remote always moving: says so' 'kept moving: 2 rounds'
check_eq 'the remote always moving: "again" said for round 1 only' \
    '1 0' "$(grep -c 'round 1 of 2): fetching and replaying again' "$ERR") $(grep -c 'round 2 of 2' "$ERR")"
check_eq 'the remote always moving: its changes are there, ours not' \
    '2 0' "$(git -C "$BARE" tag -l 'SCS-*' | wc -l | tr -d ' ') $(git -C "$BARE" tag -l 'IC-0002/*' | wc -l | tr -d ' ')"
check_git_agrees 'the remote always moving: the clone is whole'
run env PATH="$TROOT/wrap:$PATH" dipb sync --attempts 1
check_eq 'moving, --attempts 1: exit 4' 4 "$RC"
check_err 'moving, --attempts 1: one round, said so' \
    'the one round of fetch, replay and push (--attempts 1) was overtaken'
check_eq 'moving, --attempts 1: no "fetching and replaying again"' 0 \
    "$(grep -c -e 'fetching and replaying again' -e 'rounds of' "$ERR")"
rm -rf "$TROOT/wrap"
run dipb sync
check_eq 'once it stops: the next sync lands it' 0 "$RC"
check_synced 'after the remote stopped moving'

# --- a fetch that sees another's branch before its tags -------------------
# A remote takes a push's refs one after another, its branch first: a
# fetch in between sees the other member's change without its tag, which
# dipb verify calls tag-missing.  git, earlier in PATH: clone c pushes a
# change just before a's first fetch, which takes the branches only.  A
# second fetch sees the tag, and a's change lands on c's (dipb-sync(1),
# Pushing).
fresh 'a c'
as drafter
inc c mkrec supply-chain-security 'From c, tag late' >/dev/null
mkdir "$TROOT/wrap"
cat >"$TROOT/wrap/git" <<EOF
#!/bin/sh
if [ "\$1" = fetch ] && [ ! -e "$TROOT/halfseen" ]; then
	: >"$TROOT/halfseen"
	"$REALGIT" -C "$TROOT/c" push -q --atomic --follow-tags origin main >&2
	for a; do
		shift
		case \$a in +refs/tags/*) ;; *) set -- "\$@" "\$a" ;; esac
	done
fi
exec "$REALGIT" "\$@"
EOF
chmod +x "$TROOT/wrap/git"
mkrec industrial-capacity 'From a, after the half-seen push' >/dev/null
run env PATH="$TROOT/wrap:$PATH" dipb sync
check_eq "a fetch without the remote's new tag: exit 0" 0 "$RC"
check_err 'a fetch without the new tag: landed on the second fetch' \
    'landed IC-0002/1-drafted'
check_eq "a fetch without the new tag: a's change is on c's" \
    "$(git -C "$TROOT/c" rev-parse HEAD)" "$(git rev-parse HEAD^)"
check_synced 'a fetch without the new tag'
rm -rf "$TROOT/wrap"

# A commit the remote took without its tag, seen so by both fetches: the
# refusal stands.
fresh 'a c'
rm -f "$BARE/hooks/pre-receive"
as drafter
inc c mkrec supply-chain-security 'From c, never tagged' >/dev/null
git -C "$TROOT/c" push -q origin main 2>>"$TROOT/setup.err"
mkrec industrial-capacity 'Not pushed on an untagged change' >/dev/null
before=$(git -C "$BARE" rev-parse main)
run dipb sync
check_eq 'a remote commit without its tag, twice seen: exit 1' 1 "$RC"
check_err_re 'sync names the missing tag' \
    'SCS-0001/1-drafted: no such tag.*\[tag-missing\]'
check_eq 'nothing was pushed on the untagged change' "$before" \
    "$(git -C "$BARE" rev-parse main)"

# --- a board of many tags: the remote's, packed once fetched ---------------
# git fetch writes each new ref as a loose file and packs them only at
# git gc: the first sync of a clone of a board of 1,000 tags left 1,000
# loose refs under refs/dipb/remote/, read one by one by every later
# fetch.  dipb sync packs them as git gc would (dipb-sync(1)), unless
# git's housekeeping is off (gc.auto 0).
new_board many
fast_drafts 1000
git init -q --bare "$TROOT/many.git"
git push -q "file://$TROOT/many.git" main 'refs/tags/*:refs/tags/*'
for _c in m1 m2; do
	git clone -q "file://$TROOT/many.git" "$TROOT/$_c" 2>/dev/null
done
git -C "$TROOT/m2" config gc.auto 0
loose_remote() {
	find "$TROOT/$1/.git/refs/dipb/remote" -type f 2>/dev/null | wc -l |
	    tr -d ' '
}
cd "$TROOT/m1" || exit 1
as drafter
run dipb sync
check_eq 'many tags: the first sync' 0 "$RC"
check_eq 'many tags: the remote'"'"'s tags packed, none loose' \
    '0 1001' "$(loose_remote m1) $(git for-each-ref \
    refs/dipb/remote/origin/tags | wc -l | tr -d ' ')"
check_eq 'many tags: packed as git packs them (git pack-refs --all)' \
    '1001' "$(grep -c ' refs/dipb/remote/origin/tags/' .git/packed-refs)"
check_git_agrees 'many tags: git fsck after the packing'
cd "$TROOT/m2" || exit 1
run dipb sync
check_eq 'many tags, gc.auto 0: the first sync' 0 "$RC"
check_eq 'many tags, gc.auto 0: left loose, as git leaves them' 1001 \
    "$(loose_remote m2)"
# A change from m1, then m2 takes it: its tag is the one imported.
cd "$TROOT/m1" || exit 1
run dipb review --request IC-0007
check_eq 'many tags: a change in m1' 0 "$RC"
run dipb sync
check_eq 'many tags: m1 pushes it' 0 "$RC"
tags_of() {
	git -C "$TROOT/$1" for-each-ref \
	    --format='%(refname:strip=2) %(objectname)' refs/tags
}
cd "$TROOT/m2" || exit 1
tags_of m2 >"$TROOT/m2.before"
run dipb sync
check_eq 'many tags: m2 takes it' 0 "$RC"
check_eq 'many tags: its tag, and only it, is new in m2' \
    "IC-0007/2-review-requested $(git -C "$TROOT/m1" rev-parse \
    IC-0007/2-review-requested)" \
    "$(tags_of m2 | comm -13 "$TROOT/m2.before" -)"
check_eq 'many tags: m1 and m2 have the same tags' "$(tags_of m1)" \
    "$(tags_of m2)"
check_git_agrees 'many tags: m2 whole'

# --- report status --until DATE after a sync ------------------------------

# A change dipb sync lands keeps its author's date, earlier than the
# changes it lands on: the state at a date is the branch's then, not the
# first commit of the walk with an earlier author date (which holds a
# change made after that date).
at 2026-01-01
new_board until
as drafter
mkrec industrial-capacity 'Alpha' >/dev/null		# IC-0001
share_two until
cd "$A" || exit 1
at 2026-01-10
mkrec industrial-capacity 'From A' >/dev/null		# IC-0002, in A only
cd "$B" || exit 1
at 2026-01-15
mkrec supply-chain-security 'From B' >/dev/null		# SCS-0001
run dipb sync
cd "$A" || exit 1
at 2026-01-20
run dipb sync
check_eq 'until: A lands IC-0002 on SCS-0001' \
    'IC-0002: drafted by Dan Drafter 2026-01-10 2026-01-20' \
    "$(git log -1 --format='%s %ad %cd' --date=short)"
check_out 'report status --until DATE: nothing made after that day' \
    IC-0001 sh -c 'dipb report status --until 2026-01-12 --format json |
    python3 -c "import json,sys; print(\"\n\".join(r[\"id\"] for r in json.load(sys.stdin)[\"recommendations\"]))"'
check_out 'report status --until DATE: what landed by that day' \
    "$(printf 'IC-0001\nSCS-0001')" sh -c 'dipb report status --until 2026-01-16 --format json |
    python3 -c "import json,sys; print(\"\n\".join(r[\"id\"] for r in json.load(sys.stdin)[\"recommendations\"]))"'

# Every date window reads the same day as status --until, the day a
# commit landed on the branch (dipb-log(1), dipb-report(1)): the minutes
# and the log up to a day end at that day's state, and a change landed
# later is in the window of the day it landed, with its own date.
logged() {
	dipb log "$@" --format json |
	    python3 -c 'import json,sys; print(" ".join(json.loads(l)["record"] + "@" + json.loads(l)["date"] for l in sys.stdin))'
}
minuted() {
	dipb report minutes "$@" --format json |
	    python3 -c 'import json,sys; print(" ".join(e["record"] + "@" + e["date"] for e in json.load(sys.stdin)["events"]))'
}
check_eq 'log --until DATE: what landed by that day' \
    'IC-0001@2026-01-01 board@2026-01-01' "$(logged --until 2026-01-12)"
check_eq 'log --since DATE: what landed since, with its own date' \
    'IC-0002@2026-01-10 SCS-0001@2026-01-15' "$(logged --since 2026-01-13)"
check_eq 'log --since DATE --until DATE: the change landed in between' \
    'SCS-0001@2026-01-15' "$(logged --since 2026-01-13 --until 2026-01-16)"
check_eq 'log ID --since DATE: the same day as the window' \
    'IC-0002@2026-01-10' "$(logged IC-0002 --since 2026-01-16)"
check_eq 'log ID --until DATE: the same day as the window' \
    '' "$(logged IC-0002 --until 2026-01-12)"
# The JSON says the day each change landed beside its date, so a script
# can tell why a change dated 2026-01-10 is in a window from 2026-01-13;
# git log's committer date is the oracle.
check_eq 'log --format json: landed is the committer date, as git log says' \
    "$(git log --format='%(trailers:key=Dipb-Record,valueonly,separator=) %cd' \
    --date=short --since 2026-01-13)" \
    "$(dipb log --since 2026-01-13 --format json | python3 -c '
import json, sys
for l in sys.stdin:
    e = json.loads(l)
    print(e["record"], e["landed"])')"
check_eq 'log ID --format json: the landed day, also with an id' \
    'IC-0002 2026-01-10 2026-01-20' \
    "$(dipb log IC-0002 --format json | python3 -c '
import json, sys
for l in sys.stdin:
    e = json.loads(l)
    print(e["record"], e["date"], e["landed"])')"
check_eq 'report minutes --format json: each event'"'"'s landed day too' \
    'IC-0002 2026-01-10 2026-01-20 SCS-0001 2026-01-15 2026-01-15' \
    "$(dipb report minutes --since 2026-01-13 --format json | python3 -c '
import json, sys
print(" ".join("%s %s %s" % (e["record"], e["date"], e["landed"])
    for e in json.load(sys.stdin)["events"]))')"
check_eq 'report minutes --until DATE: the records of status --until' \
    'IC-0001@2026-01-01' "$(minuted --until 2026-01-12)"
check_eq 'report minutes --since DATE: what landed since' \
    'IC-0002@2026-01-10 SCS-0001@2026-01-15' "$(minuted --since 2026-01-13)"
check_eq 'report minutes --since DATE --until DATE: what landed in between' \
    'SCS-0001@2026-01-15' "$(minuted --since 2026-01-13 --until 2026-01-16)"

# --- commit dates never go back (dipb-git(7), "Commit dates") ---------------
# A member whose clock is two days slow: dipb sync made their changes
# again on the remote's tip dated by that clock, before the changes under
# them, and a window of dates (the day a change landed, its commit date)
# missed them and those under them, as git log --since follows no line
# of history past a commit dated before it; report status --until an
# earlier day took the state at them.  Every commit dipb writes is dated
# no earlier than its parent, and on no earlier day.  git log is the
# oracle.

# clock DATE: the following commands happen at DATE (git's format).
clock() {
	GIT_AUTHOR_DATE=$1
	GIT_COMMITTER_DATE=$1
	export GIT_AUTHOR_DATE GIT_COMMITTER_DATE
}
# plus00: git's strict ISO 8601 dates (%cI, %aI, iso-strict) on stdin,
# a UTC one with +00:00 as git 2.39 writes it, where git 2.47 writes Z.
plus00() { sed -e 's/Z /+00:00 /g' -e 's/Z$/+00:00/'; }
# check_dates_climb DESC: along HEAD's first parents, each commit date
# and the day it falls on (in its zone) is no earlier than its parent's.
check_dates_climb() {
	_bad=$(git log --first-parent --reverse --format='%ct %cs %h %cI' |
	    awk '$1 < t || $2 < d { print $3, $4, "after", c } { t = $1; d = $2; c = $4 }')
	check_eq "$1" '' "$_bad"
}
# verify_remote DESC: dipb verify is clean in a fresh clone of $SRV.
verify_remote() {
	rm -rf "$TROOT/oracle"
	git clone -q "file://$SRV" "$TROOT/oracle" 2>/dev/null
	_here=$PWD
	cd "$TROOT/oracle" || exit 1
	check "$1" dipb verify
	cd "$_here" || exit 1
}
count_events() {
	dipb report minutes "$@" --format json |
	    python3 -c 'import json,sys; print(len(json.load(sys.stdin)["events"]))'
}
status_ids() {
	dipb report status "$@" --format json | python3 -c '
import json, sys
print(" ".join(r["id"] for r in json.load(sys.stdin)["recommendations"]))'
}
at 2026-06-01
new_board skew
share_two skew
as drafter
cd "$B" || exit 1
for i in 1 2 3 4 5 6; do
	clock "2026-06-08T1$i:00:00+00:00"	# B's clock: two days slow
	mkrec supply-chain-security "Slow $i" >/dev/null	# SCS-0001..6
done
cd "$A" || exit 1
clock 2026-06-10T09:00:00+00:00
mkrec industrial-capacity 'On time 1' >/dev/null	# IC-0001
clock 2026-06-10T09:30:00+00:00
mkrec industrial-capacity 'On time 2' >/dev/null	# IC-0002
run dipb sync
cd "$B" || exit 1
clock 2026-06-08T16:00:00+00:00
run dipb sync
check_eq 'slow clock: B syncs: exit 0' 0 "$RC"
check_eq 'slow clock: the replayed changes dated at their parent, not before it' \
    '2026-06-10T09:30:00+00:00 2026-06-08T11:00:00+00:00' \
    "$(git log -1 --format='%cI %aI' 'SCS-0001/1-drafted^{commit}' | plus00)"
check_dates_climb 'slow clock: commit dates never go back (git log)'
check_eq "slow clock: minutes of 06-10 list what git log dates that day" \
    "$(git log --format=%cs | grep -c '^2026-06-10$') 8" \
    "$(count_events --since 2026-06-10 --until 2026-06-10) $(git log --format=%cs | grep -c '^2026-06-10$')"
check_eq 'slow clock: dipb log of 06-10 lists them too' 8 \
    "$(dipb log --since 2026-06-10 --until 2026-06-10 | grep -c '^[0-9]')"
check_eq 'slow clock: a replayed change keeps its author date, landed 06-10' \
    'SCS-0006 2026-06-08 2026-06-10' \
    "$(dipb log SCS-0006 --format json | python3 -c '
import json, sys
for l in sys.stdin:
    e = json.loads(l)
    print(e["record"], e["date"], e["landed"])')"
check_eq 'slow clock: status --until 06-09 is where the minutes to 06-09 end' \
    '| 0' "$(status_ids --until 2026-06-09)| $(count_events --until 2026-06-09)"
# A state change made with the slow clock, not a sync: the same rule.
clock 2026-06-08T17:00:00+00:00
run dipb review SCS-0001 --request
check_eq 'slow clock: a state change is dated at its parent; its author date is its own' \
    '2026-06-10T09:30:00+00:00 2026-06-08T17:00:00+00:00 2026-06-10T09:30:00+00:00' \
    "$(git log -1 --format='%cI %aI' | plus00) $(git for-each-ref \
    --format='%(taggerdate:iso-strict)' refs/tags/SCS-0001/2-review-requested |
    plus00)"
run dipb sync
check_eq 'slow clock: pushed as it is (committed on the day of the sync)' \
    "$(git rev-parse HEAD)" "$(git --git-dir="$SRV" rev-parse main)"
# A member further west on one further east: the later moment, on an
# earlier day in its own zone, would put status --until that day after
# a change the minutes of the next day list.  It is written in the
# parent's zone.
cd "$A" || exit 1
clock 2026-06-11T01:00:00+02:00
run dipb sync
mkrec industrial-capacity 'East' >/dev/null		# IC-0003
run dipb sync
cd "$B" || exit 1
clock 2026-06-10T19:30:00-05:00
run dipb sync
mkrec supply-chain-security 'West' >/dev/null		# SCS-0007
check_eq 'west on east: the same moment, on the day of the commit under it' \
    '2026-06-11T02:30:00+02:00 2026-06-10T19:30:00-05:00' \
    "$(git log -1 --format='%cI %aI')"
check_eq 'west on east: status --until 06-10 is where the minutes to 06-10 end' \
    'IC-0001 IC-0002 SCS-0001 SCS-0002 SCS-0003 SCS-0004 SCS-0005 SCS-0006' \
    "$(status_ids --until 2026-06-10)"
check_eq 'west on east: the minutes of 06-11 list both' 2 \
    "$(count_events --since 2026-06-11 --until 2026-06-11)"
run dipb sync
check_dates_climb 'west on east: commit dates and days never go back (git log)'
verify_remote 'slow clock: dipb verify clean in a fresh clone of the remote'

# --- unrelated histories: refused as such, never "git rebase" ---------------
# A remote branch that shares no commit with the clone's (git pull:
# "refusing to merge unrelated histories"): a plain repository is not a
# board repository (exit 5); another board, made by another dipb init,
# cannot be synced with (exit 5).  sync said the clone's first commit "is
# a root commit" and advised 'git rebase' onto it, exit 1.
fresh
as drafter
git init -q "$TROOT/plain"
git -C "$TROOT/plain" commit -q --allow-empty -m 'Unrelated'
git -C "$TROOT/plain" branch -q -M main
git remote add plain "file://$TROOT/plain"
mkrec industrial-capacity 'Local' >/dev/null			# IC-0002
run dipb sync plain
check_eq 'a plain repository, unrelated: exit 5' 5 "$RC"
check_err 'it is no board repository, its histories unrelated' \
    'plain main is not a board repository (no dipb.yaml at its tip'
check_err 'the histories are said unrelated' \
    "its history and this clone's are unrelated (no commit in common)"
check_eq 'no rebase advised, nothing pushed' '0 1' \
    "$(grep -c -e 'root commit' -e 'git rebase' "$ERR") $(git -C "$TROOT/plain" rev-list --count main)"
new_board other
git branch -q -M main
cd "$TROOT/a" || exit 1
git remote add other "file://$BOARD"
run dipb sync other
check_eq 'another board, unrelated: exit 5' 5 "$RC"
check_err 'it is said to be another board' \
    'other main is another board (made by another dipb init, or its history rewritten)'
check_eq 'another board: no rebase advised' 0 \
    "$(grep -c -e 'root commit' -e 'git rebase' "$ERR")"
rm -rf "$TROOT/plain" "$BOARD"

# --- GIT_DIR set and empty: refused, as git refuses it ----------------------
# dipb searched for the repository and passed the empty GIT_DIR on to
# git fetch ("not a git repository: ''"); every command now refuses it
# at once, as git status does (dipb(1), ENVIRONMENT).
fresh
as drafter
mkrec industrial-capacity 'Not synced' >/dev/null		# IC-0002
_tip=$(git -C "$BARE" rev-parse main)
run env GIT_DIR= dipb list
check_eq "GIT_DIR='' dipb list: exit 5, nothing listed" '5 0' \
    "$RC $(wc -c <"$OUT" | tr -d ' ')"
check_err "dipb list says what git says" "not a git repository: '' (GIT_DIR"
run env GIT_DIR= dipb sync
check_eq "GIT_DIR='' dipb sync: exit 5, the remote unchanged" "5 $_tip" \
    "$RC $(git -C "$BARE" rev-parse main)"
check_err "dipb sync says what git says" "not a git repository: '' (GIT_DIR"
check_eq "no git child ran with it" 0 "$(grep -c fatal "$ERR")"
mkdir "$TROOT/empty"
run env GIT_DIR= dipb -C "$TROOT/empty" init
check_eq "GIT_DIR='' dipb init: exit 5, nothing made" '5 0' \
    "$RC $(ls -A "$TROOT/empty" | wc -l | tr -d ' ')"
rm -rf "$TROOT/empty"

# --- a forged tag does not number the replayed change -------------------
# A tag made by hand beside a record's own, of its number (dipb verify:
# tag-extra), is no change of it: the change replayed after it takes the
# next number of its changes, not of its tags, as the local change had.
at 2026-02-01
new_board forgednum
as drafter
mkrec industrial-capacity 'Counted' >/dev/null		# IC-0001
share_two forgednum
cd "$B" || exit 1
git tag -a -m forged IC-0001/1-zz 'IC-0001/1-drafted^{commit}'
run dipb verify
check_eq 'forged tag: dipb verify reports it' 1 \
    "$(grep -c 'IC-0001/1-zz: .*\[tag-extra\]' "$OUT")"
as drafter
run dipb review IC-0001 --request
check_err 'forged tag: the local change is change 2' \
    'IC-0001/2-review-requested'
cd "$A" || exit 1
mkrec supply-chain-security 'Elsewhere' >/dev/null
run dipb sync
cd "$B" || exit 1
run dipb sync
check_eq 'forged tag: the replayed change keeps its number' \
    'landed IC-0001/2-review-requested' "$(said | grep '^landed')"
check_eq 'forged tag: the remote has change 2 as git tag lists it' \
    'IC-0001/1-drafted IC-0001/2-review-requested' \
    "$(git -C "$SRV" tag -l 'IC-0001/*' | paste -sd ' ' -)"

# --- a remote author's name in a reason: shown, never obeyed --------------
# A member upstream whose git identity carries OSC 0 (the window's title)
# and ESC[2J withdraws a record a local change moves: the reason of the
# drop names their change and them (dipb-sync(1), OUTPUT), with '?' for
# each control character, on the terminal and in refs/dipb/dropped/.
new_board ctlname
as drafter
mkrec industrial-capacity 'One' >/dev/null
share_two ctlname || exit 1
E=$(printf '\033')
(cd "$A" && as drafter &&
    GIT_AUTHOR_NAME="Dan ${E}]0;owned${E}\\ ${E}[2J Drafter" &&
    dipb withdraw IC-0001 -m 'gone' && dipb sync) >/dev/null 2>&1
cd "$B" || exit 1
as drafter
dipb review IC-0001 --request >/dev/null 2>&1
run dipb sync
check_eq 'an upstream author named with ESC: the local change dropped (exit 6)' \
    6 "$RC"
check_err 'the reason names them, ESC as ?' \
    'dropped IC-0001/2-review-requested: IC-0001 is withdrawn upstream (IC-0001/2-withdrawn by Dan ?]0;owned?\ ?[2J Drafter)'
cp "$ERR" "$TROOT/ctlname.err"
check 'no ESC on standard error' sh -c '! grep -q "$1" "$2"' sh "$E" \
    "$TROOT/ctlname.err"
check 'nor in the message of refs/dipb/dropped/' sh -c \
    '! git for-each-ref --format="%(contents)" refs/dipb/dropped/ |
    grep -q "$1"' sh "$E"


# --- a refusal quoting what another member pushed: shown, never obeyed ----
# A plain commit whose subject carries OSC 52 (the clipboard) and a C1
# CSI, merged by plain git: sync refuses to replay it and quotes its
# subject, each control character as '?' (dipb(1), EXIT STATUS).
cd "$A" || exit 1
as drafter
echo notes >notes.txt
git add notes.txt
git commit -q -m "$(printf 'Notes \033]52;c;ZXZpbA==\007 \302\2331m done')"
run dipb sync
check_eq 'a plain commit with ESC in its subject: sync refuses (exit 1)' \
    1 "$RC"
check_err 'the refusal quotes the subject, each control as ?' \
    '("Notes ?]52;c;ZXZpbA==? ?1m done") is a plain commit'
cp "$ERR" "$TROOT/ctlsubject.err"
check 'no ESC, BEL or C1 on standard error' python3 -c '
import sys
b = open(sys.argv[1], "rb").read()
t = b.decode("utf-8", "replace")
assert not [c for c in t if (ord(c) < 32 and c not in "\t\n") or
    0x7f <= ord(c) <= 0x9f], b' "$TROOT/ctlsubject.err"

# --- no identity: refused before the fetch --------------------------------
# sync writes the reflog of the branch it moves (a fast-forward too) in
# the acting identity's name and never invents one: with none it exits 3
# before it fetches, up to date or not (dipb-sync(1), EXIT STATUS 3).
fresh
as drafter
run dipb sync
check_eq 'an up-to-date clone, with an identity: sync exits 0' 0 "$RC"
(nobody; run dipb sync; echo "$RC" >"$TROOT/noid.rc")
check_eq 'an up-to-date clone, no identity: sync exits 3' 3 \
    "$(cat "$TROOT/noid.rc")"
check_err 'no identity: sync says so' 'dipb: no identity: set user.email'
inc b mkrec industrial-capacity 'From b' >/dev/null
inc b dipb sync >/dev/null 2>&1
before=$(git rev-parse refs/remotes/origin/main HEAD)
(nobody; run dipb sync; echo "$RC" >"$TROOT/noid.rc")
check_eq 'the remote moved, no identity: exit 3, nothing fetched or moved' \
    "3 $before" "$(cat "$TROOT/noid.rc") $(git rev-parse \
    refs/remotes/origin/main HEAD)"

finish

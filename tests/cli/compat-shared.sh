#!/bin/sh
# tests/cli/compat-shared.sh - shared repositories, locks and refs
# (man/dipb-git.7): what dipb makes in the git dir has the modes git gives
# its own files under core.sharedRepository and the umask, and a second
# member of the group can go on with dipb and git; a read-only git dir is
# read and never written; stale lock files and clashing refs are refused
# before any change, named; alternates, shallow and partial clones and
# packed refs work.  git is the oracle throughout (check_git_agrees).
. "$(dirname "$0")/lib.sh"

# The second user: nobody, in the group users (root's tests only); the
# groups by name, as dipb names them (else by number).
OTHER_GID=100
OTHER_GROUP=$(getent group $OTHER_GID | cut -d : -f 1)
OTHER_GROUP=${OTHER_GROUP:-$OTHER_GID}
ROOT_GROUP=$(getent group 0 | cut -d : -f 1)
ROOT_GROUP=${ROOT_GROUP:-0}
can_switch() {
	[ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1 &&
	    setpriv --reuid=65534 --regid=$OTHER_GID --clear-groups true \
	    2>/dev/null
}
# other CMD...: CMD as nobody of group users, umask 007 (a group's);
# other_umask MASK CMD...: with that umask.  Sanitizer reports go where
# lib.sh reads them (other_san).
other_umask() {
	_m=$1
	shift
	( other_san; exec setpriv --reuid=65534 --regid=$OTHER_GID \
	    --clear-groups sh -c "umask $_m; exec \"\$@\"" sh "$@" )
}
other() { other_umask 007 "$@"; }

# refused_both WHAT PATH KIND MODE WANT: PATH (of root's group, not the
# git dir's) given MODE, narrower than the setting's WANT: the other
# member's change is refused, its group said first, then its mode, in
# one message (dipb-git(7)).
refused_both() {
	chmod "$4" "$2"
	check_refused 5 "$2: Permission denied: $3 of group $ROOT_GROUP, not the git dir's ($OTHER_GROUP), and of mode $4, user 0's, narrower than core.sharedRepository gives ($5), keeps both" \
	    "$1 $4 of another group: refused, its group and its mode said, exit 5" \
	    other dipb review IC-0001 --request
	check_err "$1 $4 of another group: the chgrp said before the chmod" \
	    "(chgrp $OTHER_GROUP, then chmod $5), then retry"
}

# git_folder_mode: the mode git gives a folder of objects it makes now,
# under umask 077: the oracle of .git/dipb/'s mode (dipb-git(7)).  An
# object whose folder is not there yet: the board's own objects, of
# today's dates, may have made any of them before the setting (755).
git_folder_mode() {
	_n=0
	while _obj=$(echo "a folder of git $_n" | git hash-object --stdin) &&
	    [ -d ".git/objects/$(echo "$_obj" | cut -c1-2)" ]; do
		_n=$((_n + 1))
	done
	echo "a folder of git $_n" | (umask 077; git hash-object -w --stdin) \
	    >/dev/null
	stat -c %a ".git/objects/$(echo "$_obj" | cut -c1-2)"
}

# open_to_other: the board shared with the group (core.sharedRepository,
# its files the group's) and opened to the other member: its folders,
# the path to it, the global configuration; libgit2 and git check who
# owns the repository (safe.directory).
open_to_other() {
	git config core.sharedRepository group
	chgrp -R $OTHER_GID .
	chmod -R g+rwX .
	find . -type d -exec chmod g+s {} +
	chmod o+x "$TROOT" "$HOME"
	chmod o+r "$HOME/.gitconfig"
	git config --global --add safe.directory "$BOARD"
}

# other_lists WHO: the board opened to the other member (its folder,
# the path to it, the global configuration), whose dipb lists and
# writes its own records cache in .git/dipb/users/65534/ (dipb(1), FILES).
other_lists() {
	chmod g+rx .
	chmod o+x "$TROOT" "$HOME"
	chmod o+r "$HOME/.gitconfig"
	git config --global --add safe.directory "$BOARD"
	rm -f .git/dipb/users/65534/records.cache
	check "$1: dipb list works" other dipb list
	check "$1: its dipb writes its own records cache in .git/dipb/users/65534/" \
	    test -f .git/dipb/users/65534/records.cache
}

# modes_of STAMP: "mode kind" of each file and new folder of .git newer
# than STAMP (folders listed in $TROOT/dirs.before are old, and so are
# the logs in $TROOT/logs.before, appended to: git widens such a log, dipb
# leaves it as it is, dipb-git(7)), by kind.
modes_of() {
	find .git -newer "$1" ! -name COMMIT_EDITMSG -printf '%m %y %p\n' |
	    while read -r _m _y _p; do
		if [ "$_y" = d ] && grep -F -x -q -e "$_p" "$TROOT/dirs.before"
		then
			continue
		fi
		if [ "$_y" = f ] && grep -F -x -q -e "$_p" "$TROOT/logs.before"
		then
			continue
		fi
		case $_p in
		.git/objects/??/*)	_k=object ;;
		.git/objects/??)	_k=object-folder ;;
		.git/refs/tags/*/*)	_k=tag ;;
		.git/refs/tags/*)	_k=tag-folder ;;
		.git/refs/heads/*)	_k=branch ;;
		.git/logs/*)
			if [ "$_y" = d ]; then
				_k=log-folder
			else
				case $_p in
				.git/logs/refs/tags/*)	_k=tag-log ;;
				*)			_k=log ;;
				esac
			fi ;;
		.git/index)		_k=index ;;
		*)			continue ;;
		esac
		echo "$_k $_m"
	    done | sort -u
}

# shared_modes VALUE N: dipb's new files under core.sharedRepository=VALUE
# and umask 077 (a change to new record IC-000N) have the modes git gives
# its own in the same setting (a commit and a tag in a new folder).
shared_modes() {
	git config core.sharedRepository "$1"
	as drafter
	# The branch's log made anew by each (HEAD's is appended to).
	rm -f .git/logs/refs/heads/main
	find .git/logs -type f >"$TROOT/logs.before"
	find .git -type d >"$TROOT/dirs.before"
	touch "$TROOT/stamp.dipb"
	(
		umask 077
		mkrec industrial-capacity T >/dev/null
		dipb review "IC-000$2" --request >/dev/null 2>&1
	)
	modes_of "$TROOT/stamp.dipb" >"$TROOT/modes.dipb"
	rm -f .git/logs/refs/heads/main
	find .git/logs -type f >"$TROOT/logs.before"
	find .git -type d >"$TROOT/dirs.before"
	touch "$TROOT/stamp.git"
	(
		umask 077
		echo "$1" >"by-git-$2.txt"
		git add "by-git-$2.txt"
		git commit -q -m 'by git'
		git tag -a -m t "IC-099$2/1-by-git"
	)
	modes_of "$TROOT/stamp.git" >"$TROOT/modes.git"
	git tag -d "IC-099$2/1-by-git" >/dev/null	# not a dipb change
	# Each kind dipb made is one git made, with git's mode.
	_why=
	for _k in object tag tag-folder branch tag-log log-folder log index
	do
		grep -q "^$_k " "$TROOT/modes.dipb" ||
		    _why="$_why${_why:+; }dipb made no $_k"
	done
	for _k in $(cut -d ' ' -f 1 "$TROOT/modes.dipb" | sort -u); do
		grep -q "^$_k " "$TROOT/modes.git" || continue
		_d=$(grep "^$_k " "$TROOT/modes.dipb" | cut -d ' ' -f 2 |
		    tr '\n' ' ')
		_g=$(grep "^$_k " "$TROOT/modes.git" | cut -d ' ' -f 2 |
		    tr '\n' ' ')
		[ "$_d" = "$_g" ] ||
		    _why="$_why${_why:+; }$_k: dipb $_d, git $_g"
	done
	if [ -z "$_why" ]; then
		ok "sharedRepository=$1, umask 077: modes as git's ($(tr '\n' ' ' <"$TROOT/modes.dipb"))"
	else
		not_ok "sharedRepository=$1, umask 077: modes as git's" \
		    "$_why" "dipb: $(tr '\n' ' ' <"$TROOT/modes.dipb")" \
		    "git: $(tr '\n' ' ' <"$TROOT/modes.git")"
	fi
}

# --- core.sharedRepository and the umask -------------------------------------
new_board shared
git config core.logAllRefUpdates always
shared_modes group 1
shared_modes 0660 2
shared_modes all 3
check_git_agrees 'sharedRepository group, 0660, all, umask 077: git agrees'

# A value git would not take: git and dipb both refuse it.
cp .git/config "$TROOT/config"
printf '[core]\n\tsharedRepository = sometimes\n' >>.git/config
n=$(ntags)
check_status 5 'a value git would not take is refused' \
    dipb recommend --wg industrial-capacity --title T --summary S
check_err 'the value and the setting named' \
    "dipb: core.sharedRepository: not a value git knows: 'sometimes'"
cp "$TROOT/config" .git/config
check_eq 'nothing written' "$n" "$(ntags)"

# A first sync that brings many tags holds a lock per tag at once
# (dipb-sync(1)): with few descriptors left (ulimit -n 64, under 200
# tags) each tag's ref still gets the mode core.sharedRepository asks,
# never keeps dipb's mark on a lock (the sticky bit).
new_board manytags
git init -q --bare "$TROOT/manytags.git"
git remote add origin "$TROOT/manytags.git"
fast_drafts 200 >/dev/null 2>&1
git push -q origin main 'refs/tags/*:refs/tags/*' 2>/dev/null
git clone -q "$TROOT/manytags.git" "$TROOT/manytags-c" 2>/dev/null
cd "$TROOT/manytags-c" || exit 1
git tag -l | xargs git tag -d >/dev/null
git config core.sharedRepository group
as drafter
run sh -c 'ulimit -n 64 && exec "$@"' sh dipb sync
check_eq 'sync of 200 tags under ulimit -n 64: every tag, no ref with the mark, each group-writable' \
    "0 $(git -C "$BOARD" tag -l | wc -l | tr -d ' ') 0 0" \
    "$RC $(ntags) $(find .git/refs/tags -type f -perm -1000 | wc -l | tr -d ' ') $(find .git/refs/tags -type f ! -perm -g+w | wc -l | tr -d ' ')"
check_git_agrees 'sync of 200 tags under ulimit -n 64: git agrees'
cd "$BOARD" || exit 1

# --- a second member of the group ----------------------------------------------
if can_switch; then
	new_board second
	open_to_other
	as drafter
	(umask 022; mkrec industrial-capacity 'For the other member' >/dev/null)
	(umask 077; mkrec industrial-capacity 'By root' >/dev/null
	    dipb review IC-0002 --request >/dev/null 2>&1)
	as drafter
	check 'a second member of the group: a dipb change after one by root' \
	    other dipb review IC-0001 --request
	echo 'by the other member' >"$TROOT/other.txt"
	check 'a second member of the group: git commit after dipb changes' \
	    other sh -c "cp '$TROOT/other.txt' other.txt && git add other.txt &&
		git commit -q -m 'by the other member'"
	as rev1
	check 'root: another dipb change after the second member' \
	    dipb review IC-0001 --request-changes -m 'More.'
	# A folder made without group write: the other member's change is
	# refused before anything, not made without its working file.
	chmod g-w recommendations
	as drafter
	check_refused 5 "cannot write 'recommendations/IC-0001.yaml' in the folder 'recommendations': Permission denied" \
	    'a folder without group write: the change refused before anything' \
	    other dipb review IC-0001 --request
	chmod g+w recommendations
	check 'the folder writable again: the change is made' \
	    other dipb review IC-0001 --request
	# dipb.lock made without group write (by a dipb before the setting):
	# an flock needs no write access, so the other member's dipb finds
	# the file there and opens it for reading (dipb-git(7), "Stale lock
	# files"), not refused as it would be opening it for writing.
	chmod g-w .git/dipb.lock
	as rev1
	check 'dipb.lock without group write: the other member'"'"'s change is made' \
	    other dipb review IC-0001 --request-changes -m 'Again.'
	chmod g+w .git/dipb.lock
	# A log made before the setting, without group write: dipb never
	# widens a log it finds (dipb-git(7)); the other member's change is
	# refused before anything, and told what to do.
	chmod g-w .git/logs/refs/heads/main
	as drafter
	check_refused 5 "logs/refs/heads/main: Permission denied: a log of mode $(stat -c %04a .git/logs/refs/heads/main), user 0's, narrower than core.sharedRepository gives (0664), keeps its mode" \
	    'a log without group write: the other member'"'"'s change refused, exit 5' \
	    other dipb review IC-0001 --request
	check_err 'a log without group write: what to do is said' \
	    'gives it that mode (chmod 0664), then retry'
	# Where the setting does not let the group write (0640), no chmod
	# g+w is asked of the owner: the refusal is said as it is.
	git config core.sharedRepository 0640
	chmod g-w .git/logs/refs/heads/main
	as drafter
	check_refused 5 "logs/refs/heads/main: Permission denied" \
	    'sharedRepository=0640, a log without group write: refused, exit 5' \
	    other dipb review IC-0001 --request
	cp "$ERR" "$TROOT/log0640.err"
	check 'sharedRepository=0640: no chmod asked of the owner, nothing said narrower' \
	    sh -c '! grep -q -e chmod -e narrower "$1"' sh "$TROOT/log0640.err"
	# dipb.lock at the setting's mode (0600: the group has no access)
	# is not narrower than it: the refusal is said as it is.
	git config core.sharedRepository 0600
	chmod 0600 .git/dipb.lock
	check_refused 5 ".git/dipb.lock: Permission denied" \
	    'sharedRepository=0600, dipb.lock 0600: refused, exit 5' \
	    other dipb review IC-0001 --request
	cp "$ERR" "$TROOT/lock0600.err"
	check 'sharedRepository=0600, dipb.lock 0600: nothing said narrower, no chmod asked' \
	    sh -c '! grep -q -e chmod -e narrower "$1"' sh "$TROOT/lock0600.err"
	# git status (the snapshot's) may have written the index 0600 since.
	chmod 0660 .git/dipb.lock .git/index
	# A log with the setting's mode, of a group other than the git
	# dir's: that group is named, not its mode.
	git config core.sharedRepository group
	chmod 0660 .git/logs/refs/heads/main
	chgrp 0 .git/logs/refs/heads/main
	check_refused 5 "logs/refs/heads/main: Permission denied: a log of group $ROOT_GROUP, not the git dir's ($OTHER_GROUP), keeps its group" \
	    'a log 0660 of another group: the other member'"'"'s change refused, the group named, exit 5' \
	    other dipb review IC-0001 --request
	check_err 'a log of another group: what to do is said' \
	    "gives it the git dir's (chgrp $OTHER_GROUP), then retry"
	cp "$ERR" "$TROOT/loggrp.err"
	check 'a log of another group: nothing said narrower' \
	    sh -c '! grep -q narrower "$1"' sh "$TROOT/loggrp.err"
	# Both narrower and of another group (0600): the group said first,
	# with the mode, in one message; a chmod alone would open the log
	# to that other group, and the next run would still refuse it.
	refused_both 'a log' .git/logs/refs/heads/main 'a log' 0600 0660
	# core.sharedRepository=all, a log 0660 of another group: only the
	# others' read is missing, which lets no one write: its group said,
	# nothing narrower.
	git config core.sharedRepository all
	chmod 0660 .git/logs/refs/heads/main
	check_refused 5 "logs/refs/heads/main: Permission denied: a log of group $ROOT_GROUP, not the git dir's ($OTHER_GROUP), keeps its group" \
	    'sharedRepository=all, a log 0660 of another group: refused, its group said, exit 5' \
	    other dipb review IC-0001 --request
	cp "$ERR" "$TROOT/logall.err"
	check 'sharedRepository=all, a log 0660 of another group: nothing said narrower, no chmod asked' \
	    sh -c '! grep -q -e narrower -e chmod "$1"' sh "$TROOT/logall.err"
	chgrp $OTHER_GID .git/logs/refs/heads/main
	# core.sharedRepository=0660, a log 0606 of the git dir's group:
	# the group's write is missing, but the log is not narrower (the
	# others have more): said as it is.
	git config core.sharedRepository 0660
	chmod 0606 .git/logs/refs/heads/main
	check_refused 5 "logs/refs/heads/main: Permission denied: a log of mode 0606, user 0's, other than core.sharedRepository gives (0660), keeps its mode" \
	    'sharedRepository=0660, a log 0606: refused, not called narrower, exit 5' \
	    other dipb review IC-0001 --request
	check_err 'sharedRepository=0660, a log 0606: what to do is said' \
	    'gives it that mode (chmod 0660), then retry'
	git config core.sharedRepository group
	chmod 0660 .git/logs/refs/heads/main
	# dipb.lock of another group, with the setting's mode: the same.
	chgrp 0 .git/dipb.lock
	chmod 0660 .git/dipb.lock
	check_refused 5 ".git/dipb.lock: Permission denied: a file of group $ROOT_GROUP, not the git dir's ($OTHER_GROUP), keeps its group" \
	    'dipb.lock 0660 of another group: the other member'"'"'s change refused, the group named, exit 5' \
	    other dipb review IC-0001 --request
	# ... and 0600 besides: the group first, then the mode.
	refused_both dipb.lock .git/dipb.lock 'a file' 0600 0660
	# Narrower: its mode said, and the setting's, to give it.
	chgrp $OTHER_GID .git/dipb.lock
	chmod 0600 .git/dipb.lock
	check_refused 5 ".git/dipb.lock: Permission denied: a file of mode 0600, user 0's, narrower than core.sharedRepository gives (0660), keeps its mode" \
	    'dipb.lock 0600: the other member'"'"'s change refused, what is seen said, exit 5' \
	    other dipb review IC-0001 --request
	check_err 'dipb.lock 0600: what to do is said' \
	    'gives it that mode (chmod 0660), then retry'
	chmod 0660 .git/dipb.lock
	git config core.sharedRepository group
	chmod g+w .git/logs/refs/heads/main
	# No log yet, and its folder made before the setting without group
	# write: the folder is named, not a log that is not there.
	mv .git/logs/refs/heads/main "$TROOT/mainlog.$$"
	chmod g-w .git/logs/refs/heads
	check_refused 5 ".git/logs/refs/heads: Permission denied: a folder of mode $(stat -c %04a .git/logs/refs/heads), user 0's, narrower than core.sharedRepository gives (2775), keeps its mode" \
	    'no log, its folder without group write: the other member'"'"'s change refused, the folder named, exit 5' \
	    other dipb review IC-0001 --request
	check_err 'no log, its folder without group write: what to do is said' \
	    '(chmod 2775), then retry'
	# The folder 2755 of another group: its group first, then its mode.
	chgrp 0 .git/logs/refs/heads
	refused_both 'no log, its folder' .git/logs/refs/heads 'a folder' \
	    2755 2775
	chgrp $OTHER_GID .git/logs/refs/heads
	chmod 2775 .git/logs/refs/heads
	mv "$TROOT/mainlog.$$" .git/logs/refs/heads/main
	# A umask without the owner's read (0477): the lock files the other
	# member's dipb writes are its own yet unreadable to it (0200); it
	# opens them again write-only to give their mode, and none keeps
	# the mark.
	as drafter
	check 'umask 0477: the other member'"'"'s change is made' \
	    other_umask 0477 dipb review IC-0001 --request
	check_eq 'umask 0477: no ref, tag or index keeps the lock mark' '' \
	    "$(find .git/refs .git/index -perm -1000 2>/dev/null)"
	check_git_agrees 'a second member of the group: git agrees'
else
	skip 'a second member of the group runs dipb and git commit' \
	    'not root, or setpriv cannot switch to nobody of group users'
fi

# --- .git/dipb/ made first for a draft -------------------------------------------
# dipb recommend in the editor makes .git/dipb/ for its draft before any
# derived file does: the folder gets the mode git gives its own folders
# (setgid, the group's write), so another member's dipb writes the
# records cache there; and, as the group may rename what is in it, no
# drafts/ is made there: the draft goes to $TMPDIR (dipb-git(7),
# dipb-recommend(1), FILES).  A terminal from script(1).
if command -v script >/dev/null 2>&1 &&
    script -qec 'test -t 0 && test -t 2' /dev/null </dev/null \
    >/dev/null 2>&1; then
	new_board drafts
	git config core.sharedRepository group
	rm -rf .git/dipb
	# The group a member shares with others (nogroup, sync's and
	# nobody's): one the user has alone (a user private group) is as
	# private as the user (dipb-recommend(1), FILES).
	if [ "$(id -u)" = 0 ]; then
		chgrp 65534 .git && chmod g+s .git
		nodrafts=none
	elif [ -z "$(getent group "$(id -g)" | cut -d: -f4)" ] &&
	    [ "$(getent passwd | awk -F: -v g="$(id -g)" '$4 == g' |
	    wc -l)" -eq 1 ]; then
		nodrafts=.git/dipb/drafts
	else
		nodrafts=none
	fi
	cat >"$TROOT/ed-write" <<'ED'
#!/bin/sh
sed 's/^  What is recommended.*/  Written./' "$1" >"$1.tmp" &&
    cat "$1.tmp" >"$1" && rm -f "$1.tmp"
ED
	chmod +x "$TROOT/ed-write"
	as drafter
	(umask 077; SHELL=/bin/sh TERM=xterm script -qec \
	    "EDITOR='$TROOT/ed-write' dipb recommend --wg industrial-capacity --title Drafted" \
	    /dev/null </dev/null >"$OUT" 2>&1)
	check_eq 'umask 077, recommend in the editor: committed' \
	    'recommendations/IC-0001.yaml' "$(git ls-files recommendations)"
	# git's own folder in the same setting and umask: the oracle.
	check_eq '.git/dipb/ made for the draft: the mode git gives its own folder; drafts/ in it only for a group the user has alone' \
	    "$(git_folder_mode) $nodrafts" \
	    "$(stat -c %a .git/dipb) $(ls -d .git/dipb/drafts 2>/dev/null || echo none)"
	if can_switch; then
		chgrp -R $OTHER_GID .
		other_lists 'another member'
	else
		skip 'another member writes the records cache in .git/dipb/' \
		    'not root, or setpriv cannot switch to nobody of group users'
	fi
else
	skip '.git/dipb/ made for a draft: git'"'"'s mode' \
	    'no script(1) to give dipb a terminal'
fi

# --- .git/dipb/ left 0700 by a dipb before the setting ------------------------
# The folder's owner's next dipb widens it to the mode git gives its own
# folders in the setting (dipb-git(7)), so another member's dipb writes
# the records cache there.
new_board narrow
as drafter
mkrec industrial-capacity 'Narrow' >/dev/null
git config core.sharedRepository group
mkdir -p .git/dipb
chmod 0700 .git/dipb
rm -rf .git/dipb/users
check 'dipb/ 0700 under group: dipb list works' dipb list
# git's own folder, made in the setting from nothing for the group
# (umask 077): the mode the 0700 folder widens to.
check_eq 'dipb/ 0700 under group: widened to the mode git gives its folder' \
    "$(git_folder_mode)" "$(stat -c %a .git/dipb)"
if can_switch; then
	chmod 0700 .git/dipb
	check 'dipb/ 0700 again: dipb review works' \
	    dipb review IC-0001 --request
	chgrp -R $OTHER_GID .
	chmod -R g+rwX .git
	chmod 0700 .git/dipb
	check 'dipb/ 0700: the owner lists' dipb list
	other_lists 'dipb/ 0700, widened: another member'
	# nobody's own dipb/ in a group nobody is not in (root's): the
	# kernel drops the setgid bit from the chmod (chmod(2)), and the
	# folder, widened once, is left as it is by the next dipb (a shim
	# names each folder given a mode).
	chown 65534:0 .git/dipb
	chmod 0700 .git/dipb
	rm -f .git/dipb/users/65534/records.cache
	check 'dipb/ 0700, of a group its owner is not in: the owner lists' \
	    other dipb list
	if shim chmodlog '#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
int fchmod(int fd, mode_t m) {
	int (*real)(int, mode_t) =
	    (int (*)(int, mode_t))dlsym(RTLD_NEXT, "fchmod");
	char p[64], to[4096];
	ssize_t n;
	FILE *f;
	snprintf(p, sizeof(p), "/proc/self/fd/%d", fd);
	n = readlink(p, to, sizeof(to) - 1);
	if (n > 0 && (f = fopen(getenv("CHMOD_LOG"), "a")) != NULL) {
		to[n] = 0;
		fprintf(f, "%s\n", to);
		fclose(f);
	}
	return real(fd, m);
}'
	then
		chmod o+r "$TROOT/chmodlog.so"
		rm -f .git/dipb/users/65534/records.cache
		: >"$TROOT/nobody-chmods"
		chmod a+w "$TROOT/nobody-chmods"
		check 'dipb/ of a group its owner is not in: the owner lists again' \
		    other env CHMOD_LOG="$TROOT/nobody-chmods" \
		    LD_PRELOAD="$TROOT/chmodlog.so" \
		    ASAN_OPTIONS="$SHIM_ASAN${OTHER_SAN:+:log_path=$OTHER_SAN/asan}" \
		    dipb list
		check_eq 'dipb/ of a group its owner is not in: widened (770) once, not changed again' \
		    "770 " "$(stat -c %a .git/dipb) $(grep -x "$BOARD/.git/dipb" \
		    "$TROOT/nobody-chmods")"
	else
		skip 'dipb/ of a group its owner is not in: widened once' \
		    'no C compiler for the shim'
	fi
else
	skip 'another member writes the records cache in a widened .git/dipb/' \
	    'not root, or setpriv cannot switch to nobody of group users'
fi

# The end of the swap shims below: open and open64 call the shim's
# swap(p, flags) first, then open.
SWAP_OPENS='#define OPEN(name) int name(const char *p, int flags, ...) { \
	static int (*real)(const char *, int, ...); \
	va_list ap; \
	mode_t m; \
	if (!real) real = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT, #name); \
	va_start(ap, flags); \
	m = (mode_t)va_arg(ap, int); \
	va_end(ap); \
	swap(p, flags); \
	return real(p, flags, m); \
}
OPEN(open)
OPEN(open64)
/* The fortified two-argument forms a build with _FORTIFY_SOURCE calls
 * where the flags are not known when compiled (Ubuntu gcc'"'"'s default). */
#define OPEN2(name) int name(const char *p, int flags) { \
	static int (*real)(const char *, int); \
	if (!real) real = (int (*)(const char *, int))dlsym(RTLD_NEXT, #name); \
	swap(p, flags); \
	return real(p, flags); \
}
OPEN2(__open_2)
OPEN2(__open64_2)'

# A member of the group who can write the git dir hard-links another
# member's private file in for .git/dipb/ as dipb, finding the folder
# 0700, opens it to widen it (a shim does it just before the open):
# the mode is given through a descriptor of the folder only, and the
# private file keeps its mode.
if shim dirswap '#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
static void swap(const char *p, int flags) {
	static int done;
	const char *want = getenv("SWAP_PATH"), *to = getenv("SWAP_TO");
	size_t n = strlen(p), w = want ? strlen(want) : 0;
	struct stat st;
	char moved[4096];
	(void)flags;
	if (done || !want || !to || n < w || strcmp(p + n - w, want) != 0 ||
	    lstat(p, &st) != 0 || !S_ISDIR(st.st_mode))
		return;
	done = 1;
	snprintf(moved, sizeof(moved), "%s.moved", p);
	if (rename(p, moved) != 0 || link(to, p) != 0 ||
	    symlink(to, getenv("SWAP_MARK")) != 0)
		abort();
}
/* dipb opens its folders below the git dir relative to it (dipb(1),
 * FILES): the path an openat(2) names, from its folder'"'"'s. */
static void swap_at(int at, const char *p, int flags) {
	char dir[64], full[4096];
	ssize_t n;
	snprintf(dir, sizeof(dir), "/proc/self/fd/%d", at);
	if (at >= 0 && (n = readlink(dir, full, sizeof(full) - 1)) > 0) {
		full[n] = 0;
		snprintf(full + n, sizeof(full) - (size_t)n, "/%s", p);
		swap(full, flags);
	}
}
#define OPENAT(name) int name(int at, const char *p, int flags, ...) { \
	static int (*real)(int, const char *, int, ...); \
	va_list ap; \
	mode_t m; \
	if (!real) real = (int (*)(int, const char *, int, ...))dlsym(RTLD_NEXT, #name); \
	va_start(ap, flags); \
	m = (mode_t)va_arg(ap, int); \
	va_end(ap); \
	swap_at(at, p, flags); \
	return real(at, p, flags, m); \
}
OPENAT(openat)
OPENAT(openat64)
#define OPENAT2(name) int name(int at, const char *p, int flags) { \
	static int (*real)(int, const char *, int); \
	if (!real) real = (int (*)(int, const char *, int))dlsym(RTLD_NEXT, #name); \
	swap_at(at, p, flags); \
	return real(at, p, flags); \
}
OPENAT2(__openat_2)
OPENAT2(__openat64_2)
'"$SWAP_OPENS"
then
	new_board dirswap
	as drafter
	mkrec industrial-capacity 'Hard-linked' >/dev/null
	git config core.sharedRepository group
	mkdir -p .git/dipb
	chmod 0700 .git/dipb
	rm -f .git/dipb/records.cache "$TROOT/swapped"
	printf 'private key\n' >"$TROOT/secret"
	chmod 600 "$TROOT/secret"
	run env SWAP_PATH=/.git/dipb SWAP_TO="$TROOT/secret" \
	    SWAP_MARK="$TROOT/swapped" LD_PRELOAD="$TROOT/dirswap.so" \
	    ASAN_OPTIONS="$SHIM_ASAN" dipb list
	check_eq 'shared, a private file hard-linked in for dipb/ 0700 as it is widened: swapped (the set-up), the private file keeps its mode' \
	    "swapped 600" \
	    "$(test -L "$TROOT/swapped" && echo swapped) $(stat -c %a "$TROOT/secret")"
else
	skip 'a file hard-linked in for a folder widened' \
	    'no C compiler for the shim'
fi

# The same for a loose object dipb has just put in place (a blob libgit2
# wrote, opened by path to be given its mode, O_NONBLOCK as a file of
# dipb's is; a tree dipb writes gets it before its rename): the first
# object opened so is swapped for a hard link to the private file, which
# keeps its mode.
if shim objswap '#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
static void swap(const char *p, int flags) {
	static int done;
	const char *to = getenv("SWAP_TO"), *o = strstr(p, "/objects/");
	struct stat st;
	if (done || !to || !o || strlen(o) != 9 + 2 + 1 + 38 ||
	    !(flags & O_NONBLOCK) || lstat(p, &st) != 0 ||
	    !S_ISREG(st.st_mode))
		return;
	done = 1;
	if (unlink(p) != 0 || link(to, p) != 0 ||
	    symlink(to, getenv("SWAP_MARK")) != 0)
		abort();
}
'"$SWAP_OPENS"
then
	new_board objswap
	git config core.sharedRepository group
	printf 'private key\n' >"$TROOT/secret"
	chmod 600 "$TROOT/secret"
	rm -f "$TROOT/swapped"
	as drafter
	run env SWAP_TO="$TROOT/secret" SWAP_MARK="$TROOT/swapped" \
	    LD_PRELOAD="$TROOT/objswap.so" ASAN_OPTIONS="$SHIM_ASAN" \
	    dipb recommend --wg industrial-capacity --title T --summary S \
	    --no-edit
	check_eq 'shared, a private file hard-linked in for an object just written: swapped (the set-up), the private file keeps its mode' \
	    "swapped 600" \
	    "$(test -L "$TROOT/swapped" && echo swapped) $(stat -c %a "$TROOT/secret")"
else
	skip 'a file hard-linked in for an object just written' \
	    'no C compiler for the shim'
fi

# --- a read-only git dir ---------------------------------------------------------
if can_switch; then
	new_board readonly
	as drafter
	mkrec industrial-capacity 'Read only' >/dev/null
	chmod -R a+rX .
	chmod -R a-w .git
	chmod o+x "$TROOT" "$HOME"
	chmod o+r "$HOME/.gitconfig"
	git config --global --add safe.directory "$BOARD"
	for c in 'list' 'show IC-0001' 'verify' 'report status' 'log IC-0001'; do
		check "read-only .git: dipb $c works" other dipb $c
	done
	check_refused 5 "dipb: cannot write the git dir '$BOARD/.git/': Permission denied" \
	    'read-only .git: a change is refused before anything, naming the git dir' \
	    other dipb review IC-0001 --request
	check_refused 5 "cannot write the git dir" \
	    'read-only .git: recommend refused before anything' \
	    other dipb recommend --wg industrial-capacity --title T --summary S
	chmod -R u+w .git
else
	skip 'read-only .git: reading commands work, changes refused' \
	    'not root, or setpriv cannot switch to nobody'
fi

# --- stale lock files -------------------------------------------------------------
new_board locks
as drafter
mkrec industrial-capacity 'Locks' >/dev/null			# IC-0001
# dipb.lock stays after every dipb: a file with no live holder is nothing.
touch -d '3 hours ago' .git/dipb.lock
check_change IC-0002/1-drafted 'none -> draft' '' \
    dipb recommend --retry 0 --wg industrial-capacity --title T --summary S
if command -v flock >/dev/null 2>&1; then
	rm -f "$TROOT/release"
	flock .git/dipb.lock sh -c 'until [ -e "$1" ]; do sleep 0.01; done' \
	    sh "$TROOT/release" &
	holder=$!
	while flock -n .git/dipb.lock true; do sleep 0.01; done
	check_refused 4 "dipb: repository busy, retry: '.git/dipb.lock' is locked by process" \
	    'dipb.lock held by a live process: exit 4, the lock and its holder named' \
	    dipb review IC-0001 --request --retry 0
	touch "$TROOT/release"
	wait "$holder"
else
	skip 'dipb.lock held by a live process' 'no flock(1)'
fi
for l in index.lock HEAD.lock refs/heads/main.lock \
    refs/tags/IC-0001/2-review-requested.lock; do
	touch -d '3 hours ago' ".git/$l"
	o0=$(git count-objects | cut -d ' ' -f 1)
	check_refused 4 "dipb: '.git/$l' exists, made 3 hours ago: another git or dipb may be running; if none is, remove it" \
	    "a stale $l: exit 4, named with its age, nothing written" \
	    dipb review IC-0001 --request --retry 0
	check_eq "a stale $l: refused before the first object" "$o0" \
	    "$(git count-objects | cut -d ' ' -f 1)"
	[ "$l" = index.lock ] && sed 's/^dipb: //' "$ERR" >"$TROOT/lock.said"
	rm ".git/$l"
done
# dipb-git(7) quotes the message the binary gives for index.lock, in
# each place it names it (the settings list and "Locks"), and no other.
_man=$(mandoc -T ascii "$DIPB_SRCDIR/man/dipb-git.7" 2>/dev/null | col -b |
    tr -s ' \t\n' '   ')
_said=$(tr -s ' \t\n' '   ' <"$TROOT/lock.said" | sed 's/ $//')
check_eq "dipb-git(7) quotes the stale index.lock's message as it is said, twice" \
    2 "$(printf '%s' "$_man" | grep -o -F -e "$_said" | wc -l | tr -d ' ')"
check_eq '  and no message the binary never gives' 0 \
    "$(printf '%s' "$_man" | grep -c 'is a git command running')"
# A reading command is not stopped by a stale lock.
touch -d '3 hours ago' .git/index.lock
check 'a stale index.lock: dipb verify reads on' dipb verify
rm .git/index.lock
# git commit does not stop at packed-refs.lock, nor does dipb.
touch -d '3 hours ago' .git/packed-refs.lock
check_change IC-0001/2-review-requested 'draft -> in-review' '' \
    dipb review IC-0001 --request --retry 0
rm .git/packed-refs.lock
check_git_agrees 'after the stale locks: git agrees'

# dipb.lock removed once dipb has flocked it (as a dipb whose new
# dipb.lock could not be given its mode removes it: dipb_git_perm_create):
# the lock held is on no file another dipb opens, so dipb locks the one
# at the name again, making it (dipb_git_lock_repo).  A shim removes the
# first dipb.lock flocked, right after the flock, and says so in
# $TROOT/unlocked; it writes the device and inode of each dipb.lock it
# sees flocked for writing to $TROOT/locked, one a line: the last is the
# file dipb held, which must be the one at the name (dipb leaves it).
new_board relock
as drafter
mkrec industrial-capacity 'Relock' >/dev/null			# IC-0001
if shim unlock '#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
static void held(int fd) {
	struct stat st;
	FILE *f;
	if (fstat(fd, &st) == 0 && (f = fopen(getenv("LOCKED"), "a"))) {
		fprintf(f, "%llu:%llu\n", (unsigned long long)st.st_dev,
		    (unsigned long long)st.st_ino);
		fclose(f);
	}
}
int flock(int fd, int op) {
	static int done;
	int (*real)(int, int) = (int (*)(int, int))dlsym(RTLD_NEXT, "flock");
	int rc = real(fd, op);
	char l[64], p[4096];
	ssize_t n;
	snprintf(l, sizeof(l), "/proc/self/fd/%d", fd);
	if (rc == 0 && (op & LOCK_EX) &&
	    (n = readlink(l, p, sizeof(p) - 1)) > 10) {
		p[n] = 0;
		if (strcmp(p + n - 10, "/dipb.lock") != 0)
			return rc;
		held(fd);
		if (!done && unlink(p) == 0) {
			done = 1;
			close(open(getenv("UNLOCKED"), O_WRONLY | O_CREAT,
			    0644));
		}
	}
	return rc;
}'
then
	rm -f "$TROOT/unlocked" "$TROOT/locked"
	check_change IC-0001/2-review-requested 'draft -> in-review' '' \
	    env LD_PRELOAD="$TROOT/unlock.so" UNLOCKED="$TROOT/unlocked" \
	    LOCKED="$TROOT/locked" ASAN_OPTIONS="$SHIM_ASAN" \
	    dipb review IC-0001 --request
	check 'dipb.lock removed once flocked: the shim removed it' \
	    test -e "$TROOT/unlocked"
	check 'dipb.lock removed once flocked: dipb locked one at the name' \
	    test -f .git/dipb.lock
	check_eq 'dipb.lock removed once flocked: the one held is at the name' \
	    "$(stat -c %d:%i .git/dipb.lock 2>&1)" \
	    "$(tail -n 1 "$TROOT/locked" 2>&1)"
else
	skip 'dipb.lock removed once flocked' 'no C compiler for the shim'
fi

# --- clashing ref names -----------------------------------------------------------
new_board clash
as drafter
mkrec industrial-capacity 'One' >/dev/null		# IC-0001
mkrec industrial-capacity 'Two' >/dev/null		# IC-0002
# A plain tag named as a record: the folder of its tags cannot be made.
drafted=$(git rev-parse IC-0001/1-drafted)
git tag -d IC-0001/1-drafted >/dev/null
git tag IC-0001
check_refused 5 "dipb: the tag 'IC-0001' (refs/tags/IC-0001, loose) clashes with the folder of IC-0001's tags, refs/tags/IC-0001/: rename it" \
    'a plain tag IC-0001 (loose): refused before anything, named' \
    dipb review IC-0001 --request --retry 0
git pack-refs --all
check_refused 5 "dipb: the tag 'IC-0001' (refs/tags/IC-0001, packed) clashes" \
    'a plain tag IC-0001 (packed): refused before anything, named' \
    dipb review IC-0001 --request --retry 0
git tag -d IC-0001 >/dev/null
git update-ref refs/tags/IC-0001/1-drafted "$drafted"
# A new record's id is never one whose tag folder clashes or is used.
git tag IC-0003
git tag IC-0004 && git pack-refs --all
git tag -a -m elsewhere IC-0005/1-drafted HEAD~1
check_change IC-0006/1-drafted 'none -> draft' '' \
    dipb recommend --wg industrial-capacity --title T --summary S
git tag -d IC-0005/1-drafted >/dev/null
# A branch named as a record is no clash.
git branch IC-0002
check_change IC-0002/2-review-requested 'draft -> in-review' '' \
    dipb review IC-0002 --request
check_git_agrees 'after the clashing refs: git agrees'

# --- object store variants -----------------------------------------------------
new_board origin
ORIGIN=$BOARD
as drafter
mkrec industrial-capacity 'One' >/dev/null		# IC-0001
mkrec industrial-capacity 'Two' >/dev/null		# IC-0002
dipb review IC-0001 --request >/dev/null 2>&1
git config uploadpack.allowFilter true

# Alternates: the objects of another repository, borrowed.
cd "$TROOT" && git clone -q --shared "$ORIGIN" alt && cd alt
check_file_has 'git clone --shared: objects/info/alternates' \
    .git/objects/info/alternates objects
as drafter
check_change IC-0002/2-review-requested 'draft -> in-review' '' \
    dipb review IC-0002 --request
check_git_agrees 'alternates (clone --shared): git agrees'
cd "$TROOT" && git clone -q --reference "$ORIGIN" "file://$ORIGIN" ref &&
    cd ref
as drafter
check_change IC-0002/2-review-requested 'draft -> in-review' '' \
    dipb review IC-0002 --request
check_git_agrees 'alternates (clone --reference): git agrees'
# A chain: a clone --shared of alt, whose own line is relative (as git
# takes it, from alt's objects folder): every object is read.
echo "../../../$(basename "$ORIGIN")/.git/objects" \
    >"$TROOT/alt/.git/objects/info/alternates"
cd "$TROOT" && git clone -q --shared "$TROOT/alt" alt2 && cd alt2
check 'a chain of alternates, the second relative: git fsck reads it' \
    git fsck --strict
for c in list 'show IC-0001' verify; do
	# shellcheck disable=SC2086 # the words of c
	check "a chain of alternates, the second relative: dipb $c" dipb $c
done
as rev1
check_change IC-0002/3-returned 'in-review -> returned' '' \
    dipb review IC-0002 --request-changes -m 'More.'
check_git_agrees 'a chain of alternates: git agrees'
# An alternate gone (its source moved): no shallow clone, and no fetch
# mends it; verify and log name the missing object and the alternate.
cp -R "$ORIGIN" "$TROOT/lender"
cd "$TROOT" && git clone -q --shared "$TROOT/lender" borrower && cd borrower
as drafter
dipb review IC-0002 --request >/dev/null 2>&1
mv "$TROOT/lender" "$TROOT/lender.moved"
run dipb verify
check_eq 'an alternate gone: verify exit 5' 5 "$RC"
check_err 'an alternate gone: verify names the missing object' \
    "dipb: cannot read object: '"
check_err 'an alternate gone: verify names the alternate' \
    "alternate '$TROOT/lender/.git/objects' (.git/objects/info/alternates"
if grep -q shallow "$ERR"; then
	not_ok 'an alternate gone: verify guesses no shallow clone' "$(cat "$ERR")"
else
	ok 'an alternate gone: verify guesses no shallow clone'
fi
run dipb log IC-0001
check_eq 'an alternate gone: log exit 5' 5 "$RC"
check_err 'an alternate gone: log says why it cannot read the tag' \
    "cannot read tag 'IC-0001/1-drafted': cannot read object: '"
check_err 'an alternate gone: log names the alternate' \
    "alternate '$TROOT/lender/.git/objects'"
# Every read of an object says the same (the tip's dipb.yaml, the records,
# a walk), not libgit2's bare words.
as rev1
for c in list 'show IC-0001' 'log' 'review IC-0002 --recall -m x'; do
	# shellcheck disable=SC2086 # the words of c
	run dipb $c
	check_eq "an alternate gone: $c exit 5" 5 "$RC"
	check_err "an alternate gone: $c names the alternate" \
	    "which is not there any more; put it back, or name its new place"
done
# A clone whose tip itself is borrowed.
cd "$TROOT" && git clone -q --shared "$TROOT/lender.moved" borrower2 &&
    cd borrower2
mv "$TROOT/lender.moved" "$TROOT/lender.gone"
run dipb list
check_eq 'an alternate gone, the tip borrowed: list exit 5' 5 "$RC"
check_err 'an alternate gone, the tip borrowed: list names the alternate, the id once' \
    "cannot read branch tip's commit '$(git rev-parse HEAD)': this repository borrows objects from the alternate '$TROOT/lender.moved/.git/objects'"
# ... and a shallow clone that borrows: the alternate is why, not the
# shallow history (no fetch mends a repository whose alternate is gone,
# and a shallow clone has its tip).
cd "$TROOT" && mv lender.gone lender.moved &&
    git clone -q --depth 2 --reference "$TROOT/lender.moved" \
    "file://$TROOT/lender.moved" borrower3 && cd borrower3
check_file_has 'a shallow clone that borrows: git made it shallow' \
    .git/shallow '^[0-9a-f]'
mv "$TROOT/lender.moved" "$TROOT/lender.gone"
for c in list log verify; do
	run dipb $c
	check_eq "a shallow clone whose alternate is gone: $c exit 5" 5 "$RC"
	check_err "a shallow clone whose alternate is gone: $c names the alternate" \
	    "alternate '$TROOT/lender.moved/.git/objects'"
	if grep -q 'unshallow' "$ERR"; then
		not_ok "a shallow clone whose alternate is gone: $c advises no fetch" \
		    "$(cat "$ERR")"
	else
		ok "a shallow clone whose alternate is gone: $c advises no fetch"
	fi
done
# ... with a commit of its own on top, the borrowed ones below it: the
# walk of dipb log meets the missing commit, and says the alternate too.
mv "$TROOT/lender.gone" "$TROOT/lender.moved"
git -c user.name=a -c user.email=a@example.org commit -q --allow-empty -m local
mv "$TROOT/lender.moved" "$TROOT/lender.gone"
run dipb log
check_eq 'a shallow clone whose alternate is gone, a local commit: log exit 5' \
    5 "$RC"
check_err '... log names the alternate' \
    "alternate '$TROOT/lender.moved/.git/objects'"
if grep -q 'unshallow' "$ERR"; then
	not_ok '... log advises no fetch' "$(cat "$ERR")"
else
	ok '... log advises no fetch'
fi
mv "$TROOT/lender.gone" "$TROOT/lender"
cd "$TROOT/borrower"
check 'the alternate back: verify passes' dipb verify

# A shallow clone has the tags of the commits it has only: every change
# is refused before anything (its tag number cannot be known), and verify
# says the history is cut (tests/cli/states.sh has the rest).
cd "$TROOT" && git clone -q --depth 1 "file://$ORIGIN" shallow && cd shallow
as drafter
check_refused 1 "dipb: this is a shallow clone (a clone with --depth): the history and the tags past its end are not here, so a change's tag number cannot be known; 'git fetch --unshallow --tags' fetches them" \
    'shallow clone: a change is refused, the shallowness named' \
    dipb review IC-0002 --request
as rev1
check_refused 1 "'git fetch --unshallow --tags'" \
    'shallow clone: a record with its latest tag here is refused too' \
    dipb review IC-0001 --endorse
cp "$ERR" "$TROOT/shallow.err"
check 'shallow clone: the refusal promises no more than works' \
    sh -c '! grep -q "reading commands work" "$1"' sh "$TROOT/shallow.err"
check_refused 5 'cannot walk the history, which is shallow' \
    'shallow clone: dipb log of a window says the history is cut, exit 5' \
    dipb log
# Whichever libgit2: from 1.7 on it reads a commit of .git/shallow as
# having no parent, and a walk would end there as at the first commit.
check_refused 5 'cannot walk the history, which is shallow' \
    'shallow clone: dipb log --since a day before the cut says it is cut, exit 5' \
    dipb log --since 2000-01-01
check_eq 'shallow clone: and shows no change as if the history were whole' \
    '' "$(cat "$OUT")"
check_refused 5 'cannot walk the history, which is shallow' \
    'shallow clone: dipb log --format json of a window says it is cut, exit 5' \
    dipb log --format json
check_refused 5 'cannot walk the history, which is shallow' \
    'shallow clone: report minutes says the history is cut, exit 5' \
    dipb report minutes
check_refused 5 'cannot walk the history, which is shallow' \
    'shallow clone: report minutes --since a day before the cut, exit 5' \
    dipb report minutes --since 2000-01-01
check 'shallow clone: dipb list reads the tip' dipb list
check 'shallow clone: dipb log ID reads the tags here' dipb log IC-0001
# A linked worktree of it: git keeps the shallow file in the common git
# dir, so the history is as cut there, and said so.
git worktree add -q "$TROOT/shallow-wt" 2>/dev/null
cd "$TROOT/shallow-wt" || exit 1
check_eq 'shallow clone, a linked worktree: git says it is shallow' true \
    "$(git rev-parse --is-shallow-repository)"
check_refused 5 'cannot walk the history, which is shallow' \
    'shallow clone, a linked worktree: dipb log says the history is cut' \
    dipb log
cd "$TROOT/shallow" || exit 1
check_status 5 'shallow clone: dipb verify refuses, exit 5' dipb verify
check_err 'shallow clone: verify says the history is cut' \
    'the history is cut before commit'
check_refused 5 "its history is shallow (a clone with --depth)" \
    'shallow clone: report status --until a day past the cut, exit 5' \
    dipb report status --until 2000-01-01
check 'shallow clone: git fetch --unshallow --tags, as advised' git fetch -q --unshallow --tags
check_git_agrees 'shallow clone, once unshallowed: git agrees'

# A shallow clone whose commits past its end were fetched since (the
# history of a tag, git fetch --deepen): git log still ends at the
# commits .git/shallow lists, and so does verify, its cut named there;
# the advice holds.  Its checkpoints, before the cut or past it, change
# nothing: what a whole replay finds (dipb-verify(1), "Checkpoints").
# The checkpoints are made in a whole clone; git fetch --depth cuts it.
# (git reads a commit of .git/shallow as parentless: its parent is read
# from the commit object.)
new_board deep
as drafter
for n in 1 2 3 4; do mkrec industrial-capacity "Deep $n" >/dev/null; done
DEEP=$BOARD
cd "$TROOT" && git clone -q --depth 2 "file://$DEEP" deepened && cd deepened
git fetch -q --tags
cut=$(cat .git/shallow)
check_eq 'shallow clone, every commit fetched since: git has the parent of its end' \
    commit "$(git cat-file -t "$(git cat-file -p "$cut" |
    sed -n 's/^parent //p')" 2>&1)"
check_eq 'shallow clone, every commit fetched since: git log ends at .git/shallow' \
    2 "$(git log --format=%H | wc -l | tr -d ' ')"
check_refused 5 "dipb: the history is cut before commit '$cut': this is a shallow clone" \
    'shallow clone, every commit fetched since: verify ends where git log does, exit 5' \
    dipb verify
check_err 'shallow clone, every commit fetched since: and what to do' \
    "'git fetch --unshallow --tags' fetches them"
check_refused 5 'cannot walk the history, which is shallow' \
    'shallow clone, every commit fetched since: dipb log ends where git log does' \
    dipb log
check 'shallow clone, every commit fetched since: git fetch --unshallow --tags, as advised' \
    git fetch -q --unshallow --tags
check 'shallow clone, every commit fetched since, unshallowed: verify passes' \
    dipb verify
cd "$TROOT" && git clone -q "file://$DEEP" cutlater && cd cutlater
old=$(git rev-parse HEAD)
check 'a whole clone: verify passes, a checkpoint kept at its tip' dipb verify
check 'a whole clone: the checkpoint is there' test -f ".git/dipb/verify/$old"
(cd "$DEEP" && mkrec industrial-capacity 'Past the cut' &&
    mkrec industrial-capacity 'Past the cut too') >/dev/null
git fetch -q --depth 1 --tags origin main && git reset -q --hard FETCH_HEAD
check_eq 'cut after the checkpoint: git log ends at the new tip' \
    "$(git rev-parse HEAD)" "$(git log --format=%H)"
check_refused 5 "dipb: the history is cut before commit '$(git rev-parse HEAD)'" \
    'a checkpoint past the cut: verify --since it says where it is cut, exit 5' \
    dipb verify --since "$old"
git fetch -q --depth 3 --tags origin main
cut=$(git rev-parse HEAD~2)
check_eq 'cut before the checkpoint: .git/shallow lists where git log ends' \
    "$cut" "$(cat .git/shallow)"
check_eq 'cut before the checkpoint: the checkpoint is still there' \
    "$old" "$(ls .git/dipb/verify)"
check_refused 5 "dipb: the history is cut before commit '$cut'" \
    'a checkpoint before the cut: verify --since it is refused as a whole replay is, exit 5' \
    dipb verify --since "$old"
check 'a checkpoint before the cut: git fetch --unshallow --tags, as advised' \
    git fetch -q --unshallow --tags
check 'a checkpoint before the cut, unshallowed: verify --since it passes' \
    dipb verify --since "$old"

# The shallow file read as git reads it (each line's first 40 hex digits,
# of either case, whatever follows ignored): the history ends where git
# log's does.  A line git dies of ("bad shallow line") is refused, exit 5.
# One dipb cannot read (a folder, too large), which git reads as no
# shallow file, is refused too, exit 5, saying dipb cannot tell whether
# the history is cut (dipb-git(7), "Shallow and partial clones").
cd "$TROOT" && git clone -q --depth 2 "file://$DEEP" gitread && cd gitread
git fetch -q --tags
cut=$(cat .git/shallow)
# shallow_as DESC: with .git/shallow as written, git log ends at the cut,
# and so do dipb verify and dipb log.
shallow_as() {
	check_eq "$1: git log ends at the cut" \
	    2 "$(git log --format=%H | wc -l | tr -d ' ')"
	check_refused 5 "dipb: the history is cut before commit '$cut'" \
	    "$1: verify ends where git log does, exit 5" dipb verify
	check_refused 5 'cannot walk the history, which is shallow' \
	    "$1: dipb log ends where git log does, exit 5" dipb log
}
printf '%s\n' "$cut" | tr a-f A-F >.git/shallow
shallow_as 'the shallow file in upper case'
printf '%s trailing words\r\n' "$cut" >.git/shallow
# libgit2 1.7 and later read the file as they open the repository, and
# refuse words after an id, which git reads past: said so, naming
# libgit2 (dipb-git(7)), as dipb cannot open the repository through it.
lg2=$(pkg-config --modversion libgit2 2>/dev/null)
case $lg2 in
1.[0-6] | 1.[0-6].*)
	shallow_as 'the shallow file, words after the id' ;;
*)
	check_eq 'the shallow file, words after the id: git log ends at the cut' \
	    2 "$(git log --format=%H | wc -l | tr -d ' ')"
	for c in verify log; do
		check_refused 5 "libgit2 ${lg2%.*}, through which dipb opens repositories, refuses its shallow file '$(pwd -P)/.git/shallow' (" \
		    "the shallow file, words after the id: libgit2 $lg2 refuses it, dipb $c says so, exit 5" \
		    dipb $c
	done ;;
esac
# bad_shallow DESC: git log dies of .git/shallow as written; verify,
# dipb log, a change and sync refuse it, exit 5 (a change and sync took
# it for a shallow clone, exit 1, and advised a fetch git dies of too).
bad_shallow() {
	run git log --format=%H
	check_eq "$1: git log dies of it" "128 1" \
	    "$RC $(grep -c 'fatal: bad shallow line' "$ERR")"
	for _c in verify log 'review IC-0001 --request' sync; do
		# shellcheck disable=SC2086 # the words of _c
		check_refused 5 "dipb: bad shallow line in '" \
		    "$1: dipb ${_c%% *} refuses it, exit 5" dipb $_c
	done
}
printf 'zz%s\n' "$cut" >.git/shallow
bad_shallow 'a shallow line not beginning with an id'
printf '%s\n\n' "$cut" >.git/shallow
bad_shallow 'an empty shallow line'
check_err 'an empty shallow line: the refusal says which line' \
    "dipb: bad shallow line in '$(pwd -P)/.git/shallow', line 2: ''"
printf '%s\n' "$cut" | cut -c 1-39 >.git/shallow
bad_shallow 'a shallow line of 39 digits'
rm .git/shallow && mkdir .git/shallow
check_eq 'the shallow file a folder: git log lists the whole history' \
    "$(git rev-list --count "$cut")" "$(($(git log --format=%H | wc -l) - 1))"
for c in verify log 'review IC-0001 --request' sync; do
	# shellcheck disable=SC2086 # the words of c
	check_refused 5 "dipb: cannot tell whether the repository is shallow: '$(pwd -P)/.git/shallow': not a regular file" \
	    "the shallow file a folder: dipb ${c%% *} says it cannot tell, exit 5" \
	    dipb $c
done
rmdir .git/shallow
# A FIFO there: libgit2 from 1.7 opens the file as it opens the
# repository, and would wait for a writer for ever; dipb refuses first.
mkfifo .git/shallow
run timeout 30 dipb log
check_eq 'the shallow file a FIFO: dipb log refuses it at once, exit 5' \
    "5 dipb: cannot tell whether the repository is shallow: '$(pwd -P)/.git/shallow': not a regular file" \
    "$RC $(cat "$ERR")"
rm .git/shallow
# A bad info/grafts and no shallow file: libgit2 from 1.7 refuses it as
# it refuses a shallow file (git reads past it: "bad graft data"); no
# shallow file is blamed.
mkdir -p .git/info && echo junk >.git/info/grafts
run dipb log
if grep -q 'shallow' "$ERR"; then
	not_ok 'a bad info/grafts, no shallow file: none blamed' "$(cat "$ERR")"
else
	ok 'a bad info/grafts, no shallow file: none blamed'
fi
rm .git/info/grafts
# ... a FIFO there: libgit2 from 1.7 opens it as it opens the repository
# and would wait for ever (git log waits too); dipb does not.
mkfifo .git/info/grafts
run timeout 30 dipb log
check 'info/grafts a FIFO: dipb log does not wait on it' test "$RC" -ne 124
rm .git/info/grafts
yes "$cut" | head -c 17000000 >.git/shallow
for c in log 'review IC-0001 --request'; do
	# shellcheck disable=SC2086 # the words of c
	check_refused 5 "dipb: cannot tell whether the repository is shallow: '$(pwd -P)/.git/shallow': file larger than 16777216 bytes" \
	    "the shallow file over 16 MiB: dipb ${c%% *} says it cannot tell, exit 5" \
	    dipb $c
done
echo "$cut" >.git/shallow
check 'gitread: git fetch --unshallow --tags, as advised' \
    git fetch -q --unshallow --tags
# A shallow file that lists no commit here: git takes the clone for
# shallow, and a change is refused as git would have it, but no fetch
# removes the line ('git fetch --unshallow --tags' succeeds and leaves
# it): 'git gc' does, and is what the refusal names.
echo 1234567890123456789012345678901234567890 >.git/shallow
check_eq 'a shallow file of a commit not here: git takes the clone for shallow' \
    true "$(git rev-parse --is-shallow-repository)"
for c in 'review IC-0001 --request' sync; do
	# shellcheck disable=SC2086 # the words of c
	check_refused 1 "none of the commits its '.git/shallow' lists is here (a fetch does not remove them): 'git gc' removes them" \
	    "a shallow file of a commit not here: dipb ${c%% *} names git gc, exit 1" \
	    dipb $c
done
check 'a shallow file of a commit not here: git gc, as advised' git gc -q
check_eq '  and git takes the clone for whole' \
    false "$(git rev-parse --is-shallow-repository)"
# An id there of an object here that is no commit (a blob): no fetch
# removes it (git dies of it in a shallow clone: "invalid shallow
# object"), and git gc dies of it; a change advised that fetch.  Now it
# names the line, and removing it by hand, which mends it.
blob=$(echo 'no commit' | git hash-object -w --stdin)
echo "$blob" >.git/shallow
git fetch -q --unshallow --tags
check_eq 'a shallow file of a blob: git fetch --unshallow --tags leaves it' \
    "$blob" "$(cat .git/shallow)"
check_status 128 '  and git gc dies of it' git gc -q
check_refused 1 "'.git/shallow' lists '$blob', which is here but no commit: no fetch removes it (in a shallow clone git dies of it: 'invalid shallow object'), and git gc dies of it" \
    'a shallow file of a blob: a change names it, exit 1' \
    dipb review IC-0001 --request
check_err '  and what mends it' 'remove that line from the file by hand'
check_eq '  no fetch advised' 0 "$(grep -c 'unshallow' "$ERR")"
rm .git/shallow
check '  the line removed, as advised: git gc works again' git gc -q

# A clone whose depth is exactly the history's length: git lists its
# root commit in .git/shallow, and the history is whole (git log shows it
# all), so dipb log, report minutes and verify read it all; a shallower
# one is cut, exit 5.  Boards of 1, 2 and 3 commits, cloned --depth 1, 2
# and 3.
for n in 1 2 3; do
	new_board "whole$n"
	as drafter
	i=1
	while [ "$i" -lt "$n" ]; do
		mkrec industrial-capacity "Whole $i" >/dev/null
		i=$((i + 1))
	done
	W=$BOARD
	for d in 1 2 3; do
		cd "$TROOT" && git clone -q --depth "$d" "file://$W" "w$n-$d" &&
		    cd "w$n-$d" || exit 1
		want=0
		[ "$d" -ge "$n" ] || want=5
		what="$n commits, cloned --depth $d"
		check_eq "$what: git log shows $((d < n ? d : n))" \
		    "$((d < n ? d : n))" \
		    "$(git log --format=%H | wc -l | tr -d ' ')"
		check_status "$want" "$what: dipb log exits $want" dipb log
		[ "$want" = 5 ] || check_eq "$what: dipb log shows every commit" \
		    "$n" "$(wc -l <"$OUT" | tr -d ' ')"
		check_status "$want" "$what: report minutes exits $want" \
		    dipb report minutes
		check_status "$want" "$what: verify exits $want" dipb verify
	done
done

# A clone exactly as deep as the history: .git/shallow lists its root
# commit, which ends nothing (dipb log reads it all, above), and a change
# is made there as in a whole clone; every writer refused it, exit 1,
# saying the history past its end is not here.  git agrees with what it
# makes: git fsck --strict, the push taken by a remote that holds the
# history, git fetch --unshallow after it.  A remote that lacks the root
# (an empty one) refuses git's push from it as from a shallow clone:
# sync says so, exit 5, and removing .git/shallow, as advised, mends it.
cd "$TROOT" && git clone -q --bare "$W" whole.git &&
    git clone -q --depth 3 "file://$TROOT/whole.git" wdepth && cd wdepth ||
    exit 1
check_eq 'a clone as deep as the history: .git/shallow lists the root' \
    "$(git rev-list --max-parents=0 HEAD)" "$(cat .git/shallow)"
check_change IC-0001/2-review-requested 'draft -> in-review' '' \
    dipb review IC-0001 --request
check '  git fsck --strict passes' git fsck --strict
check '  dipb verify passes' dipb verify
check '  dipb sync pushes it' dipb sync
check_eq '  the remote has its tag (git ls-remote), and passes git fsck --strict' \
    "$(git rev-parse IC-0001/2-review-requested) 0" \
    "$(git ls-remote "$TROOT/whole.git" refs/tags/IC-0001/2-review-requested |
    cut -f 1) $(git -C "$TROOT/whole.git" fsck --strict >/dev/null 2>&1;
    echo $?)"
check '  git fetch --unshallow --tags after it' git fetch -q --unshallow --tags
check_eq '  git takes the clone for whole' \
    false "$(git rev-parse --is-shallow-repository)"
check '  dipb verify passes' dipb verify
cd "$TROOT" && git clone -q --depth 4 "file://$TROOT/whole.git" wempty &&
    git init -q --bare empty.git && cd wempty || exit 1
git remote add empty "$TROOT/empty.git"
check_eq 'a clone as deep as the history, an empty remote: .git/shallow lists the root' \
    "$(git rev-list --max-parents=0 HEAD)" "$(cat .git/shallow)"
run dipb sync empty
check_eq '  sync to it: exit 5, nothing landed (git ls-remote)' '5 ' \
    "$RC $(git ls-remote "$TROOT/empty.git")"
check_err '  git refused it as shallow' '(shallow update not allowed)'
check_err '  sync says why, and what mends it' \
    "its '.git/shallow' lists root commits (a clone as deep as the whole history), and the remote, which lacks them, takes no shallow history: the history is whole, and removing '.git/shallow'"
rm .git/shallow
run dipb sync empty
check_eq '  .git/shallow removed, as advised: the next sync pushes, exit 0' \
    "0 $(git rev-parse HEAD)" \
    "$RC $(git ls-remote "$TROOT/empty.git" "refs/heads/$(git symbolic-ref --short HEAD)" | cut -f 1)"
check '  the remote passes git fsck --strict' \
    git -C "$TROOT/empty.git" fsck --strict
# The root listed beside a commit not here: git gc prunes that line, as
# the refusal says, and keeps the root's, which ends nothing.
root=$(git rev-list --max-parents=0 HEAD)
printf '%s\n%s\n' "$root" 1234567890123456789012345678901234567890 \
    >.git/shallow
check_refused 1 "git takes this clone for a shallow one, but besides root commits, which end nothing, none of the commits its '.git/shallow' lists is here (a fetch does not remove them): 'git gc' removes them" \
    'the root and a commit not here listed: a change names git gc, exit 1' \
    dipb review IC-0002 --request
check 'the root and a commit not here listed: git gc, as advised' git gc -q
check_eq '  .git/shallow lists the root only' "$root" "$(cat .git/shallow)"
check_change IC-0002/2-review-requested 'draft -> in-review' '' \
    dipb review IC-0002 --request

# A whole clone that fetched another branch shallow and merged it: git
# says it is merged (git merge-base --is-ancestor), and verify --since
# it answers from the history git log reads, whichever libgit2: where
# the branch's history is cut before the answer is known, the cut, exit
# 5, with no finding; fetched deep enough, as in a whole clone.
new_board merged
as drafter
for n in 1 2; do mkrec industrial-capacity "Merged $n" >/dev/null; done
main=$(git symbolic-ref --short HEAD)
git checkout -q -b fork HEAD~1
echo one >fork.txt && git add fork.txt && git commit -q -m 'fork 1'
echo two >>fork.txt && git commit -q -a -m 'fork 2'
git checkout -q --orphan own && git rm -rfq . && echo own >own.txt &&
    git add own.txt && git commit -q -m 'own 1' &&
    echo more >>own.txt && git commit -q -a -m 'own 2'
git checkout -q "$main"
MERGED=$BOARD
for b in own fork; do
	cd "$TROOT" && git clone -q "file://$MERGED" "merged-$b" &&
	    cd "merged-$b" || exit 1
	git fetch -q --depth 1 origin "$b:$b"
	git merge -q --allow-unrelated-histories -m "merge $b" "$b"
	check "$b merged, fetched --depth 1: git says it is merged" \
	    git merge-base --is-ancestor "$b" HEAD
	check_refused 5 "dipb: the history is cut before commit '$(git rev-parse "$b")': this is a shallow clone" \
	    "$b merged, fetched --depth 1: verify --since it says where it is cut, exit 5" \
	    dipb verify --since "$b"
	check_refused 5 "dipb: cannot walk the history, which is shallow (a clone with --depth; 'git fetch --unshallow --tags' fetches the rest)" \
	    "$b merged, fetched --depth 1: dipb log says it is cut, exit 5, and the remedy" \
	    dipb log
done
git fetch -q --depth 4 origin fork:fork
check_eq 'fork merged, fetched --depth 4: .git/shallow lists the root only' \
    "$(git rev-parse HEAD^1~2)" "$(cat .git/shallow)"
check 'fork merged, fetched --depth 4: verify --since it passes, as in a whole clone' \
    dipb verify --since fork
cd "$TROOT" && git clone -q "file://$MERGED" merged-whole && cd merged-whole
git fetch -q origin fork:fork && git merge -q -m 'merge fork' fork
check 'fork merged, a whole clone: verify --since it passes' \
    dipb verify --since fork

# A parent missing where .git/shallow does not cut the history (an object
# lost, in a whole clone or inside a shallow one): git log dies of it, no
# fetch brings it back, and verify says the history is incomplete, naming
# the commit and the object, exit 5: never that the clone is shallow (git
# refuses 'git fetch --unshallow' on a whole one).  A branch merged in
# (verify --since it), and the branch's own first parent (verify).
# lose_parent AT: a branch s2, whose parent s1 (child of AT) is removed,
# merged into the branch's tip; S1 and S2 their ids.
lose_parent() {
	S1=$(git commit-tree -p "$1" -m s1 "$1^{tree}")
	S2=$(git commit-tree -p "$S1" -m s2 "$1^{tree}")
	git update-ref "refs/heads/$main" \
	    "$(git commit-tree -p HEAD -p "$S2" -m merge 'HEAD^{tree}')"
	rm "$(git rev-parse --git-path objects)/$(echo "$S1" | cut -c 1-2)/$(echo "$S1" | cut -c 3-)"
}
# incomplete DESC ARGS: git log dies of the missing parent; dipb verify
# ARGS says which, exit 5, and nothing of a shallow clone.
incomplete() {
	_what=$1
	shift
	run git log --format=%H "$S2"
	check_eq "$_what: git log dies of the missing parent" 128 "$RC"
	check_refused 5 "dipb: history incomplete: the parent of commit '$S2' is missing: cannot read object: '$S1'" \
	    "$_what: verify names the commit and its missing parent, exit 5" \
	    dipb verify "$@"
	if grep -q 'shallow' "$ERR"; then
		not_ok "$_what: verify says nothing of a shallow clone" \
		    "$(cat "$ERR")"
	else
		ok "$_what: verify says nothing of a shallow clone"
	fi
}
cd "$TROOT" && git clone -q "file://$MERGED" lost-whole && cd lost-whole
lose_parent HEAD~1
check_eq 'a parent lost in a whole clone: git says it is not shallow' false \
    "$(git rev-parse --is-shallow-repository)"
incomplete 'a parent lost in a whole clone, a branch merged' --since "$S2"
# Inside a shallow clone: the fork fetched --depth 1 and merged, its tip
# the commit .git/shallow lists, the branch's first parents all here.
cd "$TROOT" && git clone -q "file://$MERGED" lost-shallow && cd lost-shallow
git fetch -q --depth 1 origin fork:fork
git merge -q --allow-unrelated-histories -m 'merge fork' fork
lose_parent HEAD
check_eq 'a parent lost inside a shallow clone: .git/shallow lists another commit' \
    "$(git rev-parse fork)" "$(cat .git/shallow)"
incomplete 'a parent lost inside a shallow clone, a branch merged' \
    --since "$S2"
git update-ref "refs/heads/$main" "$S2"
incomplete 'a parent lost inside a shallow clone, on the branch'
# dipb log and report minutes walk it as git log does, and say so too,
# never that the clone is shallow, whichever libgit2 (before 1.7 it
# fails at the parent of a commit .git/shallow lists, from 1.7 on it
# reads that commit as parentless: either told apart from a loss).
# lost_walk DESC: git says the clone is shallow; log and report minutes
# name the missing commit S1, exit 5, and nothing of a shallow clone.
lost_walk() {
	check_eq "$1: git says it is shallow" true \
	    "$(git rev-parse --is-shallow-repository)"
	for c in log 'report minutes'; do
		# shellcheck disable=SC2086 # the words of c
		check_refused 5 "dipb: history incomplete: cannot walk the history: cannot read object: '$S1'" \
		    "$1: dipb $c names the missing commit, exit 5" dipb $c
		if grep -q 'shallow' "$ERR"; then
			not_ok "$1: dipb $c says nothing of a shallow clone" \
			    "$(cat "$ERR")"
		else
			ok "$1: dipb $c says nothing of a shallow clone"
		fi
	done
}
lost_walk 'a parent lost inside a shallow clone, on the branch'
# A clone with --depth 3 whose objects are loose, the commit below the
# tip lost: not the commit .git/shallow lists, nor its parent.
cd "$TROOT" && git clone -q --no-local --depth 3 "file://$MERGED" lost-depth &&
    cd lost-depth || exit 1
mkdir "$TROOT/lost-depth.packs" &&
    mv .git/objects/pack/* "$TROOT/lost-depth.packs/"
for p in "$TROOT"/lost-depth.packs/*.pack; do
	git unpack-objects -q <"$p"
done
S1=$(git rev-parse HEAD~1) S2=$(git rev-parse HEAD)
check_eq 'a commit lost in a clone with --depth 3: .git/shallow lists HEAD~2' \
    "$(git rev-parse HEAD~2)" "$(cat .git/shallow)"
rm ".git/objects/$(echo "$S1" | cut -c 1-2)/$(echo "$S1" | cut -c 3-)"
incomplete 'a commit lost in a clone with --depth 3'
lost_walk 'a commit lost in a clone with --depth 3'

# A partial clone lacks the blobs of the past: dipb's changes work, and
# verify fetches what it reads through git (tests/cli/partial.sh has the
# rest).  (libgit2's leak in a repository of format version 1 is forgiven
# by lib.sh.)
cd "$TROOT" && git clone -q --filter=blob:none "file://$ORIGIN" partial &&
    cd partial
as drafter
check_change IC-0002/2-review-requested 'draft -> in-review' '' \
    dipb review IC-0002 --request
check 'partial clone: dipb verify fetches the past blobs, then is clean' \
    dipb verify
check_eq 'partial clone: the blobs of the records are here now' 0 \
    "$(git rev-list --objects --missing=print HEAD --tags -- recommendations | grep -c '^?')"
check_git_agrees 'partial clone, its blobs fetched by dipb through git: git agrees'

# Packed refs between changes.
cd "$ORIGIN"
git pack-refs --all
as drafter
check_change IC-0002/2-review-requested 'draft -> in-review' '' \
    dipb review IC-0002 --request
git pack-refs --all
as rev1
check_change IC-0002/3-reviewed 'in-review -> in-review' '' \
    dipb review IC-0002 --endorse
check_git_agrees 'git pack-refs --all between changes: git agrees'

# The pre-receive hook of examples/ keeps verify's checkpoints in the
# shared repository: the folders it makes there for the first push must
# have the modes git gives its own (a tag's folder, made by the same
# push), or the group's other members could write none there.
cd "$ORIGIN"
for v in group 0640; do
	srv=$TROOT/srv-$v.git
	(umask 022; git init -q --bare "$srv" &&
	    git -C "$srv" config core.sharedRepository "$v" &&
	    cp "$DIPB_SRCDIR/examples/pre-receive" "$srv/hooks/" &&
	    git push -q --atomic "$srv" main 'refs/tags/*:refs/tags/*' \
	    2>/dev/null)
	_u=$srv/dipb/users/$(id -u)
	# dipb/ and users/ as git makes its folders (users/ sticky: no
	# member renames another's), the user's folders their own alone
	# (setgid from users/).
	_g=$(stat -c %a "$srv/refs/tags/board")
	check_eq "pre-receive, sharedRepository=$v: its checkpoints' folders have git's mode, the user's their own" \
	    "$_g $(printf %o $((0$_g | 01000))) 2755 2755" \
	    "$(stat -c %a "$srv/dipb" 2>&1) $(stat -c %a "$srv/dipb/users" 2>&1) $(stat -c %a "$_u" 2>&1) $(stat -c %a "$_u/verify" 2>&1)"
	# The checkpoint, the pushing user's own (dipb-verify(1)), where
	# the next push's hook finds it.
	check "pre-receive, sharedRepository=$v: the checkpoint at the pushed tip is kept, the user's own" \
	    test -f "$_u/verify/$(git rev-parse main)"
done

# Whatever the setting says (a key without a value is "group" to git;
# values git and dipb read in their own ways), the hook's dipb keeps the
# checkpoint where dipb keeps it in the repository itself: the oracle, a
# clone of it with the same setting, where dipb verify runs.
for v in novalue 00660 0x660 1k -1 false; do
	srv=$TROOT/srv-v$v.git
	_set() {
		if [ "$v" = novalue ]; then
			printf '[core]\n\tsharedRepository\n' >>"$1/config"
		else
			git config --file "$1/config" core.sharedRepository "$v"
		fi
	}
	rm -rf "$TROOT/oracle"
	(umask 022; git init -q --bare "$srv" && _set "$srv" &&
	    cp "$DIPB_SRCDIR/examples/pre-receive" "$srv/hooks/" &&
	    git push -q --atomic "$srv" main 'refs/tags/*:refs/tags/*' &&
	    git clone -q "$ORIGIN" "$TROOT/oracle" && _set "$TROOT/oracle/.git" &&
	    cd "$TROOT/oracle" && dipb verify) >/dev/null 2>&1
	_tip=$(git rev-parse main)
	_o=$(cd "$TROOT/oracle/.git" &&
	    ls -d dipb/verify/$_tip dipb/users/*/verify/$_tip 2>/dev/null)
	check_eq "pre-receive, sharedRepository $v: the checkpoint where dipb keeps it" \
	    "${_o:-none in the oracle}" \
	    "$(cd "$srv" && ls -d dipb/verify/$_tip dipb/users/*/verify/$_tip 2>/dev/null)"
done

# A shared repository whose objects are in a pool it names by a relative
# path in objects/info/alternates (a forge's object pool): the hook's
# dipb verify sees them, and a new change is taken.
pool=$TROOT/pools/board.git
srv=$TROOT/repos/board.git
(git clone -q --bare "$ORIGIN" "$pool" && git init -q --bare "$srv" &&
    echo ../../../pools/board.git/objects >"$srv/objects/info/alternates" &&
    git -C "$srv" fetch -q "$pool" 'refs/heads/*:refs/heads/*' \
    'refs/tags/*:refs/tags/*' &&
    git -C "$srv" config dipb.branch main &&
    cp "$DIPB_SRCDIR/examples/pre-receive" "$srv/hooks/") 2>/dev/null
check_eq 'pre-receive, objects in a pool by a relative path: set up, no objects of its own' \
    0 "$(git -C "$srv" count-objects | cut -d ' ' -f 1)"
as drafter
mkrec industrial-capacity 'Into the pooled repository' >/dev/null
run git push -q --atomic --follow-tags "$srv" main
check_eq 'pre-receive, objects in a pool by a relative path: the push is taken' \
    "0 $(git rev-parse main)" "$RC $(git -C "$srv" rev-parse main)"

# A member of the group who can write the git dir swaps a link to another
# member's private file in for a file dipb has just renamed into place
# (a shim does it right after the rename): dipb gives core.
# sharedRepository's mode through the file it wrote, never through the
# link, and the private file keeps its mode (git's adjust_shared_perm
# leaves links alone too).
if shim swap '#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
int rename(const char *from, const char *to) {
	static int done;
	int (*real)(const char *, const char *) =
	    (int (*)(const char *, const char *))dlsym(RTLD_NEXT, "rename");
	const char *want = getenv("SWAP_PATH"), *link = getenv("SWAP_TO");
	size_t n = strlen(to), w = want ? strlen(want) : 0;
	int rc = real(from, to);
	if (rc == 0 && !done && want && link && n >= w &&
	    strcmp(to + n - w, want) == 0) {
		done = 1;
		unlink(to);
		if (symlink(link, to) != 0 || symlink(link,
		    getenv("SWAP_MARK")) != 0)
			abort();
	}
	return rc;
}
/* The same for a file renamed relative to its folder (the records
 * cache: dipb(1), FILES), want'"'"'s last part. */
int renameat(int at, const char *from, int to_at, const char *to) {
	static int done;
	int (*real)(int, const char *, int, const char *) =
	    (int (*)(int, const char *, int, const char *))dlsym(RTLD_NEXT,
	    "renameat");
	const char *want = getenv("SWAP_PATH"), *link = getenv("SWAP_TO");
	int rc = real(at, from, to_at, to);
	if (rc == 0 && !done && want && link && strrchr(want, 0x2f) &&
	    strcmp(to, strrchr(want, 0x2f) + 1) == 0) {
		done = 1;
		unlinkat(to_at, to, 0);
		if (symlinkat(link, to_at, to) != 0 || symlink(link,
		    getenv("SWAP_MARK")) != 0)
			abort();
	}
	return rc;
}'
then
	# The records cache: the user's own in a shared repository
	# (dipb(1), FILES), never given a mode after its write.
	_rc=dipb/users/$(id -u)/records.cache
	for _t in index index-v4 dipb-journal $_rc; do
		new_board swap
		git config core.sharedRepository group
		# Version 4: the index libgit2 writes (dipb-git(7)).
		_l=.git/$_t
		[ "$_t" != index-v4 ] || { git update-index --index-version 4 &&
		    _t=index _l='.git/index (version 4)'; }
		as drafter
		mkrec industrial-capacity 'Swapped' >/dev/null
		rm -f ".git/$_rc" "$TROOT/swapped"
		printf 'private key\n' >"$TROOT/secret"
		chmod 600 "$TROOT/secret"
		set -- review IC-0001 --request
		[ "$_t" != "$_rc" ] || set -- list
		run env SWAP_PATH="/.git/$_t" SWAP_TO="$TROOT/secret" \
		    SWAP_MARK="$TROOT/swapped" LD_PRELOAD="$TROOT/swap.so" \
		    ASAN_OPTIONS="$SHIM_ASAN" dipb "$@"
		check_eq "shared, $_l swapped for a link after its rename (dipb $1): swapped (the set-up), the private file keeps its mode" \
		    "swapped 600" \
		    "$(test -L "$TROOT/swapped" && echo swapped) $(stat -c %a "$TROOT/secret")"
		rm -f ".git/$_t"
	done
else
	skip 'a link swapped in after a rename' 'no C compiler for the shim'
fi

# The same member puts a file dipb cannot open in for the journal just
# renamed into place (so that a mode given by path would be), then a
# link to the private file of the member running dipb, nobody here, in
# for it as it is chmod'ed: the journal gets its mode before the rename,
# through its descriptor, and no path is chmod'ed after, nor any link
# followed (a shim does both swaps).
if can_switch && shim unreadable '#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
static int ends(const char *p) {
	const char *w = getenv("SWAP_PATH");
	size_t n = strlen(p), k = w ? strlen(w) : 0;
	return w && n >= k && strcmp(p + n - k, w) == 0;
}
static void swap(const char *p) {
	static int done;
	if (done || !ends(p))
		return;
	done = 1;
	unlink(p);
	if (symlink(getenv("SWAP_TO"), p) != 0)
		abort();
}
static int renamed;
int rename(const char *from, const char *to) {
	int (*real)(const char *, const char *) =
	    (int (*)(const char *, const char *))dlsym(RTLD_NEXT, "rename");
	int rc = real(from, to), fd;
	if (rc == 0 && !renamed && ends(to)) {
		renamed = 1;
		unlink(to);
		if ((fd = open(to, O_WRONLY | O_CREAT | O_EXCL, 0)) < 0 ||
		    close(fd) != 0 || symlink(to, getenv("SWAP_MARK")) != 0)
			abort();
	}
	return rc;
}
/* The same for a file renamed relative to its folder (the journal:
 * dipb_write_replace), SWAP_PATH'"'"'s last part. */
int renameat(int at, const char *from, int to_at, const char *to) {
	int (*real)(int, const char *, int, const char *) =
	    (int (*)(int, const char *, int, const char *))dlsym(RTLD_NEXT,
	    "renameat");
	const char *w = getenv("SWAP_PATH");
	char full[4096], fdp[64];
	ssize_t l;
	int rc = real(at, from, to_at, to), fd;
	if (rc == 0 && !renamed && w && strrchr(w, 0x2f) &&
	    strcmp(to, strrchr(w, 0x2f) + 1) == 0) {
		renamed = 1;
		snprintf(fdp, sizeof(fdp), "/proc/self/fd/%d", to_at);
		if ((l = readlink(fdp, full, sizeof(full) - 1)) <= 0)
			abort();
		full[l] = 0;
		snprintf(full + l, sizeof(full) - (size_t)l, "/%s", to);
		unlinkat(to_at, to, 0);
		if ((fd = openat(to_at, to, O_WRONLY | O_CREAT | O_EXCL, 0)) < 0 ||
		    close(fd) != 0 || symlink(full, getenv("SWAP_MARK")) != 0)
			abort();
	}
	return rc;
}
int chmod(const char *p, mode_t m) {
	int (*real)(const char *, mode_t) =
	    (int (*)(const char *, mode_t))dlsym(RTLD_NEXT, "chmod");
	swap(p);
	return real(p, m);
}
int fchmodat(int d, const char *p, mode_t m, int fl) {
	int (*real)(int, const char *, mode_t, int) =
	    (int (*)(int, const char *, mode_t, int))dlsym(RTLD_NEXT,
	    "fchmodat");
	swap(p);
	return real(d, p, m, fl);
}'
then
	new_board unreadable
	git config core.sharedRepository group
	as drafter
	mkrec industrial-capacity 'Unreadable' >/dev/null
	chown -R 65534:$OTHER_GID "$BOARD"
	chmod o+x "$TROOT" "$HOME"
	chmod o+r "$HOME/.gitconfig" "$TROOT/unreadable.so"
	git config --global --add safe.directory "$BOARD"
	# nobody's own folder: the private file, the shim's mark.
	mkdir "$TROOT/nobody"
	printf 'private key\n' >"$TROOT/nobody/secret"
	chown -R 65534 "$TROOT/nobody"
	chmod 600 "$TROOT/nobody/secret"
	run env SWAP_PATH=/.git/dipb-journal SWAP_TO="$TROOT/nobody/secret" \
	    SWAP_MARK="$TROOT/nobody/replaced" LD_PRELOAD="$TROOT/unreadable.so" \
	    ASAN_OPTIONS="$SHIM_ASAN${OTHER_SAN:+:log_path=$OTHER_SAN/asan}" \
	    UBSAN_OPTIONS="${UBSAN_OPTIONS:-}${OTHER_SAN:+:log_path=$OTHER_SAN/ubsan}" \
	    setpriv --reuid=65534 --regid=$OTHER_GID --clear-groups \
	    dipb review IC-0001 --request
	check_eq 'shared, the journal replaced by an unreadable file, then a link: replaced (the set-up), the private file keeps its mode' \
	    'replaced 600' \
	    "$(test -L "$TROOT/nobody/replaced" && echo replaced) $(stat -c %a "$TROOT/nobody/secret")"
else
	skip 'an unreadable file, then a link, in for the journal' \
	    'not root, setpriv cannot switch to nobody, or no C compiler for the shim'
fi


# --- a lock file replaced between its writing and its rename -------------------

# dipb writes a ref's lock, closes it, and opens it again to give its
# mode as it renames it (no descriptor kept per lock: a sync holds one
# per tag it brings).  Another program that removed it as stale and made
# its own there (a file system such as ext4 gives it the inode just
# freed), or put a link there, is found out: the change is refused as
# busy (exit 4), the other file left, the branch as it was.
if shim relock '#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
static int done;
static int swap(const char *p, int fl)
{
	const char *want = getenv("RELOCK_MATCH");
	size_t n = strlen(p);
	int fd;

	if (done || want == NULL || strstr(p, want) == NULL || n < 5 ||
	    strcmp(p + n - 5, ".lock") != 0 || !(fl & O_NOFOLLOW) ||
	    (fl & O_CREAT))
		return 0;
	done = 1;
	unlink(p);
	if (getenv("RELOCK_LINK") != NULL)
		return symlink("/nonexistent-target", p), 1;
	fd = open(p, O_WRONLY | O_CREAT | O_EXCL, 0666);
	write(fd, "1111111111111111111111111111111111111111\n", 41);
	close(fd);
	return 1;
}
int open(const char *p, int fl, ...)
{
	static int (*real)(const char *, int, ...);
	va_list ap;
	mode_t m = 0;

	va_start(ap, fl);
	if (fl & O_CREAT)
		m = (mode_t)va_arg(ap, int);
	va_end(ap);
	if (real == NULL)
		real = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT, "open");
	swap(p, fl);
	return real(p, fl, m);
}
int open64(const char *p, int fl, ...) __attribute__((alias("open")));'; then
	for how in file link; do
		new_board "relock-$how"
		as drafter
		mkrec industrial-capacity 'Its lock replaced' >/dev/null
		head=$(git rev-parse HEAD)
		if [ "$how" = link ]; then
			link=1
		else
			link=
		fi
		run env RELOCK_MATCH=refs/heads/main ${link:+RELOCK_LINK=1} \
		    LD_PRELOAD="$TROOT/relock.so" ASAN_OPTIONS="$SHIM_ASAN" \
		    dipb review IC-0001 --request
		check_eq "the branch's lock replaced by a $how: busy, exit 4" \
		    4 "$RC"
		check_eq "  the branch as it was, the other's $how left" \
		    "$head yes" "$(git rev-parse HEAD) $(test -e .git/refs/heads/main.lock -o -L .git/refs/heads/main.lock && echo yes)"
	done
else
	skip 'a lock file replaced between its writing and its rename' \
	    'no C compiler for the shim'
fi


# --- a FIFO where git keeps a file in the git dir: opening it would wait
# for a writer (or a reader) for ever; dipb refuses it at once, exit 5,
# naming it (dipb-git(7))
new_board fifo || exit 1
as drafter
mkrec industrial-capacity 'First' >/dev/null
git pack-refs --all
fifo_head=$(git rev-parse HEAD)
mv .git/packed-refs "$TROOT/packed-refs.keep" && mkfifo .git/packed-refs
run timeout 10 git for-each-ref
check_eq 'packed-refs a FIFO: setup: git for-each-ref waits on it' 124 "$RC"
for c in list verify 'review IC-0001 --request'; do
	# shellcheck disable=SC2086 # the words of c
	run timeout 30 dipb $c
	check_eq "packed-refs a FIFO: dipb ${c%% *} refuses it at once, exit 5" \
	    "5 dipb: $(pwd -P)/.git/packed-refs: not a regular file" \
	    "$RC $(cat "$ERR")"
done
rm .git/packed-refs && mv "$TROOT/packed-refs.keep" .git/packed-refs
mv .git/index "$TROOT/index.keep" && mkfifo .git/index
run timeout 30 dipb review IC-0001 --request
check_eq 'the index a FIFO: a change refuses it at once, exit 5, nothing moved' \
    "5 dipb: $(pwd -P)/.git/index: not a regular file $fifo_head" \
    "$RC $(cat "$ERR") $(git rev-parse HEAD)"
rm .git/index && mv "$TROOT/index.keep" .git/index
git config core.logAllRefUpdates always
mkdir -p .git/logs/refs/heads && rm -f .git/logs/refs/heads/main &&
    mkfifo .git/logs/refs/heads/main
run timeout 30 dipb review IC-0001 --request
check_eq "the branch's log a FIFO: a change refuses it at once, exit 5, nothing moved" \
    "5 dipb: $(pwd -P)/.git/logs/refs/heads/main: not a regular file $fifo_head" \
    "$RC $(cat "$ERR") $(git rev-parse HEAD)"
rm .git/logs/refs/heads/main
# HEAD's log opened before the branch's is written: the refused FIFO
# leaves no entry there for a move that never happened.
fifo_lines=$(cat .git/logs/refs/heads/main 2>/dev/null | wc -l)
rm -f .git/logs/HEAD && mkfifo .git/logs/HEAD
run timeout 30 dipb review IC-0001 --request
check_eq "HEAD's log a FIFO: refused at once, exit 5, nothing moved, nothing in the branch's log" \
    "5 dipb: $(pwd -P)/.git/logs/HEAD: not a regular file $fifo_head $fifo_lines" \
    "$RC $(cat "$ERR") $(git rev-parse HEAD) $(cat .git/logs/refs/heads/main 2>/dev/null | wc -l)"
rm .git/logs/HEAD && mkdir .git/logs/HEAD
run dipb review IC-0001 --request
check_eq "HEAD's log a folder: exit 5, nothing moved, nothing in the branch's log" \
    "5 $fifo_head $fifo_lines" \
    "$RC $(git rev-parse HEAD) $(cat .git/logs/refs/heads/main 2>/dev/null | wc -l)"
# The branch's log, made before HEAD's is refused, has
# core.sharedRepository's mode at once (git's adjust_shared_perm as it
# opens a log): left at the umask's, no other member could log there.
rm -f .git/logs/refs/heads/main
git config core.sharedRepository group
run sh -c 'umask 077 && exec dipb review IC-0001 --request'
check_eq "HEAD's log a folder, core.sharedRepository=group, umask 077: the branch's new log is the group's" \
    "5 -rw-rw----" "$RC $(ls -l .git/logs/refs/heads/main | cut -c1-10)"
git config --unset core.sharedRepository
rmdir .git/logs/HEAD && rm -f .git/logs/refs/heads/main
# A detached HEAD is named from HEAD's log, as git status names it
# ("detached at ..."): libgit2 would wait on a FIFO there for ever (git
# status does too); dipb reads it as no log and names the commit, as git
# log, which reads no log, goes on.  verify names HEAD in a tag's finding
# off the branch (a stray tag), list where HEAD's commit has no dipb.yaml
# (dipb log names it nowhere).
git checkout -q --detach main
rm -f .git/logs/HEAD && mkfifo .git/logs/HEAD
run timeout 10 git log -1 --format=%H
check_eq "HEAD's log a FIFO, HEAD detached: setup: git log reads on" \
    "0 $fifo_head" "$RC $(cat "$OUT")"
for c in list log verify; do
	run timeout 30 dipb $c
	check_eq "HEAD's log a FIFO, HEAD detached: dipb $c does not wait on it" \
	    0 "$RC"
done
fifo_hex=$(git rev-parse --short=12 HEAD)
stray=$(git commit-tree -p HEAD -m stray "$(git rev-parse 'HEAD^{tree}')")
git tag -a -m stray IC-0009/1-drafted "$stray"
check_rule "HEAD's log a FIFO, HEAD detached: verify names HEAD by its commit" \
    tag-outside-branch "not on branch HEAD \\(detached at $fifo_hex\\)"
git tag -d IC-0009/1-drafted >/dev/null
bare=$(git commit-tree -m bare "$(git mktree </dev/null)")
rm .git/logs/HEAD
git checkout -q --detach "$bare" 2>/dev/null && git show main:dipb.yaml >dipb.yaml
rm -f .git/logs/HEAD && mkfifo .git/logs/HEAD
run timeout 30 dipb list
check_eq "HEAD's log a FIFO, HEAD detached at a commit without the board: dipb list names HEAD by its commit" \
    "5 dipb: no dipb.yaml on branch 'HEAD (detached at $(git rev-parse --short=12 HEAD))': run 'dipb init' first" \
    "$RC $(cat "$ERR")"
rm dipb.yaml .git/logs/HEAD && git checkout -q main
if python3 -c 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' \
    .git/logs/refs/heads/main 2>/dev/null; then
	run timeout 30 dipb review IC-0001 --request
	check_eq "the branch's log a socket: refused, exit 5, nothing moved" \
	    "5 dipb: $(pwd -P)/.git/logs/refs/heads/main: not a regular file $fifo_head" \
	    "$RC $(cat "$ERR") $(git rev-parse HEAD)"
	rm .git/logs/refs/heads/main
else
	skip "the branch's log a socket" 'no python3 to make one'
fi
run dipb review IC-0001 --request
check_eq 'the FIFOs gone: the change is made' 0 "$RC"
# HEAD's log names a checkout through a reflog (git checkout 'main@{1}'),
# and the branch's log is a FIFO: that name is not resolved (libgit2
# would wait on the FIFO for ever); HEAD is named by its commit, as git
# status names it.
git checkout -q 'main@{1}'
at_hex=$(git rev-parse --short=12 HEAD)
git status | sed -n 1p >"$TROOT/st"
cp .git/logs/refs/heads/main "$TROOT/mainlog"
rm .git/logs/refs/heads/main && mkfifo .git/logs/refs/heads/main
check_eq "detached at main@{1}: setup: git status names HEAD by its commit" \
    "HEAD detached at $(git rev-parse --short HEAD)" "$(cat "$TROOT/st")"
for c in list log; do
	run timeout 30 dipb $c
	check_eq "detached at main@{1}, the branch's log a FIFO: dipb $c does not wait on it" \
	    0 "$RC"
done
stray=$(git commit-tree -p HEAD -m stray "$(git rev-parse 'HEAD^{tree}')")
git tag -a -m stray IC-0009/1-drafted "$stray"
run timeout 30 dipb verify
check_eq "detached at main@{1}, the branch's log a FIFO: verify names HEAD by its commit" \
    "1 yes" "$RC $(grep -q "not on branch HEAD (detached at $at_hex)" "$OUT" && echo yes)"
git tag -d IC-0009/1-drafted >/dev/null
rm .git/logs/refs/heads/main && cp "$TROOT/mainlog" .git/logs/refs/heads/main
git checkout -q main
# A log that is a link to /dev/null keeps none: git writes to it, and so
# does dipb (a character device is no FIFO), with its writes synced as
# they are by default (fsync(2) refuses a device: EINVAL).
rm -f .git/logs/HEAD && ln -s /dev/null .git/logs/HEAD
rm -f .git/logs/refs/heads/main && ln -s /dev/null .git/logs/refs/heads/main
run git -c core.fsync=all commit -q --allow-empty -m 'logs to /dev/null'
check_eq 'setup: git commits with its logs linked to /dev/null' 0 "$RC"
as rev1
run env DIPB_FSYNC=1 dipb review IC-0001 --endorse
check_eq 'the logs linked to /dev/null: a change is made, exit 0, the links left' \
    "0 yes yes" "$RC $(test -L .git/logs/HEAD && echo yes) $(test -L .git/logs/refs/heads/main && echo yes)"
# A log that is a symbolic link to nothing: git would make its target;
# dipb refuses the change before anything, and says what it is, and a
# read on a detached HEAD (named from HEAD's log) makes nothing there,
# as git status makes nothing (dipb-git(7)).
for log in refs/heads/main HEAD; do
	rm -f .git/logs/HEAD .git/logs/refs/heads/main
	ln -s "$TROOT/nothing.$$" ".git/logs/$log"
	check_refused 5 "$(pwd -P)/.git/logs/$log: a symbolic link to nothing: remove it, then retry" \
	    "logs/$log a link to nothing: the change refused, exit 5, said" \
	    dipb review IC-0001 --request-changes -m 'Dangling.'
	check "logs/$log a link to nothing: nothing made at its target" \
	    test ! -e "$TROOT/nothing.$$"
done
git checkout -q --detach main
rm -f .git/logs/HEAD "$TROOT/nothing.$$" && ln -s "$TROOT/nothing.$$" .git/logs/HEAD
run git status
check_eq 'setup: HEAD detached, logs/HEAD a link to nothing: git status makes nothing there' \
    "0 no" "$RC $(test -e "$TROOT/nothing.$$" && echo yes || echo no)"
for c in list log verify; do
	run dipb $c
	check_eq "HEAD detached, logs/HEAD a link to nothing: dipb $c makes nothing there" \
	    "0 no" "$RC $(test -e "$TROOT/nothing.$$" && echo yes || echo no)"
done
rm -f .git/logs/HEAD && git checkout -q main
rm -f .git/logs/HEAD .git/logs/refs/heads/main


# --- a link another member swaps in: its target keeps its mode ----------------

# A member who can write the git dir replaces a reflog by a symbolic link
# to another's private file (0600): the next change appends its line
# through it, as git does, but gives the mode core.sharedRepository asks
# only to the log itself, never to the file a link points to nor to one
# hard-linked in (dipb-git(7)).  One user plays both: the target is its
# own, which a chmod would change as it would the victim's.
new_board swaplog || exit 1
git config core.sharedRepository group
as drafter
mkrec industrial-capacity 'First' >/dev/null
for log in refs/heads/main HEAD; do
	printf 'private\n' >"$TROOT/private.$$" && chmod 600 "$TROOT/private.$$"
	rm -f ".git/logs/$log" && ln -s "$TROOT/private.$$" ".git/logs/$log"
	run git commit -q --allow-empty -m "git through the link at $log"
	check_eq "setup: git commits through a link at logs/$log: its target keeps mode 600" \
	    "0 600" "$RC $(stat -c %a "$TROOT/private.$$")"
	run mkrec industrial-capacity "Through $log"
	check_eq "logs/$log a link to a private file: the change made, a line appended as git's, the file keeps mode 600" \
	    "0 3 600" \
	    "$RC $(wc -l <"$TROOT/private.$$" | tr -d ' ') $(stat -c %a "$TROOT/private.$$")"
	rm -f ".git/logs/$log" "$TROOT/private.$$"
done
printf 'private\n' >"$TROOT/private.$$" && chmod 600 "$TROOT/private.$$"
rm -f .git/logs/refs/heads/main && ln "$TROOT/private.$$" .git/logs/refs/heads/main
run mkrec industrial-capacity 'Through a hard link'
check_eq 'the branch log a hard link to a private file: the change made, the file keeps mode 600' \
    "0 600" "$RC $(stat -c %a "$TROOT/private.$$")"
rm -f .git/logs/refs/heads/main "$TROOT/private.$$"
# No link at all: another's private file moved in for the log (a rename
# keeps its owner and its one name).  Only a log dipb has just made gets
# the setting's mode; one found in place keeps its own (dipb-git(7)).
(umask 077; printf 'private\n' >private.md)
mv private.md .git/logs/refs/heads/main
run mkrec industrial-capacity 'Into a file moved in'
check_eq 'a private file moved in for the branch log: the change made, a line appended, the file keeps mode 600' \
    "0 2 600" "$RC $(wc -l <.git/logs/refs/heads/main | tr -d ' ') $(stat -c %a .git/logs/refs/heads/main)"
rm -f .git/logs/refs/heads/main
git branch -q oracle.$$ && git_log_mode=$(stat -c %a ".git/logs/refs/heads/oracle.$$")
git branch -q -D oracle.$$
run mkrec industrial-capacity 'A new log'
check_eq 'the branch log made anew by dipb: the mode git gives its own new log' \
    "0 $git_log_mode" "$RC $(stat -c %a .git/logs/refs/heads/main)"
# A link higher up: logs/refs swapped for one to a private folder that
# holds heads/main.  The line goes through it, as git's would; neither
# the folder found there nor the file is given a mode.
mkdir -m 700 "$TROOT/privrefs.$$" && mv .git/logs/refs/heads "$TROOT/privrefs.$$/" &&
    chmod 700 "$TROOT/privrefs.$$/heads" && chmod 600 "$TROOT/privrefs.$$/heads/main" &&
    mv .git/logs/refs "$TROOT/logs-refs.$$" && ln -s "$TROOT/privrefs.$$" .git/logs/refs
run mkrec industrial-capacity 'Through a link above the log'
check_eq 'logs/refs a link to a private folder: the change made, its heads/ keeps 700, heads/main 600' \
    "0 700 600" "$RC $(stat -c %a "$TROOT/privrefs.$$/heads") $(stat -c %a "$TROOT/privrefs.$$/heads/main")"
rm -f .git/logs/refs && mv "$TROOT/logs-refs.$$" .git/logs/refs &&
    mv "$TROOT/privrefs.$$/heads" .git/logs/refs/ && rm -rf "$TROOT/privrefs.$$"
# objects/ swapped for a link to a private copy whose every folder
# objects/xx/ is 0700: dipb writes its objects there, as git would, and
# widens none of the folders it finds, as git widens none.
cp -R .git/objects "$TROOT/privobjs.$$" &&
    for a in 0 1 2 3 4 5 6 7 8 9 a b c d e f; do
	for b in 0 1 2 3 4 5 6 7 8 9 a b c d e f; do
		mkdir -p "$TROOT/privobjs.$$/$a$b"
	done
    done && find "$TROOT/privobjs.$$" -type d -exec chmod 700 {} + &&
    mv .git/objects "$TROOT/objects.$$" && ln -s "$TROOT/privobjs.$$" .git/objects
run git commit -q --allow-empty -m 'git through a link at objects/'
check_eq 'setup: git commits through a link at objects/: every folder of objects keeps 700' \
    "0 0" "$RC $(find "$TROOT/privobjs.$$" -mindepth 1 -type d ! -perm 700 | wc -l | tr -d ' ')"
run mkrec industrial-capacity 'Through a link at objects'
check_eq 'objects/ a link to a private copy: the change made, every folder of objects found keeps 700' \
    "0 0" "$RC $(find "$TROOT/privobjs.$$" -mindepth 1 -type d ! -perm 700 | wc -l | tr -d ' ')"
rm -f .git/objects && mv "$TROOT/objects.$$" .git/objects &&
    cp -R "$TROOT/privobjs.$$/." .git/objects/ && rm -rf "$TROOT/privobjs.$$"

# A file dipb replaces (report -o, fmt) keeps its mode, given to the new
# file through its descriptor before its rename: never by path after it,
# where another member who can write the folder may have swapped in a
# link to a private file meanwhile (dipb-report(1)).  The shim notes each
# chmod(2) by path and the mode of the file each rename puts in place.
if shim modes '#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
static void note(const char *what, const char *p, unsigned m)
{
	FILE *f = fopen(getenv("MODES_OUT"), "a");

	if (f != NULL) {
		fprintf(f, "%s %s %o\n", what, p, m);
		fclose(f);
	}
}
int rename(const char *a, const char *b)
{
	static int (*real)(const char *, const char *);
	struct stat st;

	if (real == NULL)
		real = (int (*)(const char *, const char *))dlsym(RTLD_NEXT,
		    "rename");
	if (lstat(a, &st) == 0)
		note("rename", b, (unsigned)(st.st_mode & 07777));
	return real(a, b);
}
/* The same for a file renamed relative to its folder (dipb_write_replace). */
int renameat(int da, const char *a, int db, const char *b)
{
	static int (*real)(int, const char *, int, const char *);
	struct stat st;

	if (real == NULL)
		real = (int (*)(int, const char *, int, const char *))dlsym(
		    RTLD_NEXT, "renameat");
	if (fstatat(da, a, &st, AT_SYMLINK_NOFOLLOW) == 0)
		note("rename", b, (unsigned)(st.st_mode & 07777));
	return real(da, a, db, b);
}
int chmod(const char *p, mode_t m)
{
	static int (*real)(const char *, mode_t);

	if (real == NULL)
		real = (int (*)(const char *, mode_t))dlsym(RTLD_NEXT, "chmod");
	note("chmod", p, (unsigned)m);
	return real(p, m);
}'; then
	new_board replmode || exit 1
	as drafter
	mkrec industrial-capacity 'First' >/dev/null
	: >report.html && chmod 644 report.html
	rm -f "$TROOT/modes.out"
	run sh -c 'umask 077; exec env MODES_OUT="$1" LD_PRELOAD="$2" \
	    ASAN_OPTIONS="$3" dipb report status -o report.html' sh \
	    "$TROOT/modes.out" "$TROOT/modes.so" "$SHIM_ASAN"
	check_eq 'report -o over a 644 file under umask 077: the new file 644 at its rename, the file 644' \
	    "0 644 644" "$RC $(sed -n 's|^rename \(.*/\)*report\.html ||p' \
	    "$TROOT/modes.out") $(stat -c %a report.html)"
	check_eq 'report -o over a file: no chmod by path' 0 \
	    "$(grep -c '^chmod .*report\.html' "$TROOT/modes.out")"
else
	skip 'report -o: the mode given before the rename' \
	    'no C compiler for the shim'
fi

# The journal a symbolic link (another member's): never read through it;
# a writing command refuses, exit 5, and says what to do, as for
# dipb.lock (dipb-git(7)).
new_board linkjournal || exit 1
as drafter
mkrec industrial-capacity 'First' >/dev/null
printf 'dipb-journal 1\n' >"$TROOT/journal.$$"
ln -s "$TROOT/journal.$$" .git/dipb-journal
check_refused 5 "$(pwd -P)/.git/dipb-journal: not a regular file" \
    'the journal a symbolic link: a change refused, exit 5, the journal named' \
    dipb review IC-0001 --request
check_err 'the journal a symbolic link: what to do is said' \
    'remove it, then retry'
rm -f .git/dipb-journal "$TROOT/journal.$$"
# A dangling link counts as a journal too (lstat, never access(2), which
# follows it): refused, neither replaced nor written through.
ln -s "$TROOT/nojournal.$$" .git/dipb-journal
check_refused 5 "$(pwd -P)/.git/dipb-journal: not a regular file" \
    'the journal a dangling link: a change refused, exit 5, the journal named' \
    dipb review IC-0001 --request
check 'the journal a dangling link: still the link, nothing made at its target' \
    sh -c 'test -h .git/dipb-journal && ! test -e "$1"' sh \
    "$TROOT/nojournal.$$"
rm -f .git/dipb-journal "$TROOT/nojournal.$$"

# --- packed-refs.lock taken after dipb looked, before libgit2 deletes ---------

# killed_tag BOARD: a new board whose first change was killed once its
# tag was written (DIPB_FAULT=tag-ref); KTAG is that tag, from its journal.
killed_tag() {
	new_board "$1" || exit 1
	as drafter
	mkrec industrial-capacity 'First' >/dev/null
	run env DIPB_FAULT=tag-ref dipb review IC-0001 --request
	KTAG=$(sed -n 's/^tag-ref //p' .git/dipb-journal)
	check_eq 'setup: the change killed after its tag, the tag in its journal' \
	    "137 yes" "$RC $(test -n "$KTAG" && git rev-parse -q --verify "$KTAG" >/dev/null && echo yes)"
}

# A packed tag a killed change left is deleted once dipb has seen no
# packed-refs.lock; another program (git pack-refs, git gc, git tag -d)
# that takes it then makes libgit2's deletion fail: the lock is named as
# dipb's own check names it, never in libgit2's words.
if shim prlock '#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
static int done;
int open(const char *p, int fl, ...)
{
	static int (*real)(const char *, int, ...);
	const char *want = getenv("PRLOCK_MATCH"), *at = getenv("PRLOCK_AT");
	va_list ap;
	mode_t m = 0;

	va_start(ap, fl);
	if (fl & O_CREAT)
		m = (mode_t)va_arg(ap, int);
	va_end(ap);
	if (real == NULL)
		real = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT, "open");
	if (!done && want != NULL && at != NULL && (fl & O_CREAT) &&
	    strstr(p, want) != NULL) {
		done = 1;
		close(real(at, O_WRONLY | O_CREAT | O_EXCL, 0666));
	}
	return real(p, fl, m);
}
int open64(const char *p, int fl, ...) __attribute__((alias("open")));'; then
	killed_tag prlock
	prtag=$KTAG
	git pack-refs --all
	run env PRLOCK_MATCH="$prtag.lock" PRLOCK_AT="$(pwd -P)/.git/packed-refs.lock" \
	    LD_PRELOAD="$TROOT/prlock.so" ASAN_OPTIONS="$SHIM_ASAN" dipb list
	check_eq 'packed-refs.lock taken as libgit2 deletes a packed tag: dipb list names it, exit 0' \
	    "0 1 0" "$RC $(grep -c "'.git/packed-refs.lock' exists, made" "$ERR") $(grep -c 'failed to lock' "$ERR")"
	check_eq '  the journal kept, the tag still there' "yes $prtag" \
	    "$(test -e .git/dipb-journal && echo yes) $(git rev-parse -q --verify --symbolic-full-name "$prtag")"
	rm -f .git/packed-refs.lock
	run dipb verify
	check_eq '  the lock gone: verify undoes the tag, exit 0' "0 no" \
	    "$RC $(git rev-parse -q --verify "$prtag" >/dev/null && echo yes || echo no)"
else
	skip 'packed-refs.lock taken as libgit2 deletes a packed tag' \
	    'no C compiler for the shim'
fi

# --- a ref's deletion failing otherwise, a stale packed-refs.lock there -------

# Only a lock libgit2 found taken (GIT_ELOCKED) is named: packed-refs'
# only for a packed ref.  A loose tag whose file cannot be removed (EIO,
# a shim) is said as that failure, exit 5, whatever lock lies about.
if shim unl '#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
int unlink(const char *p)
{
	static int (*real)(const char *);
	const char *want = getenv("UNL_MATCH");

	if (real == NULL)
		real = (int (*)(const char *))dlsym(RTLD_NEXT, "unlink");
	if (want != NULL && strstr(p, want) != NULL &&
	    strstr(p, ".lock") == NULL) {
		errno = EIO;
		return -1;
	}
	return real(p);
}'; then
	killed_tag unl
	unltag=$KTAG
	check_eq '  the tag loose' yes "$(test -f ".git/$unltag" && echo yes)"
	touch -d '2 hours ago' .git/packed-refs.lock
	run env UNL_MATCH="$unltag" LD_PRELOAD="$TROOT/unl.so" \
	    ASAN_OPTIONS="$SHIM_ASAN" dipb verify
	check_eq "a loose tag's file not removed, a stale packed-refs.lock there: that failure said, exit 5, no lock named" \
	    "5 1 0" "$RC $(grep -c "cannot delete '$unltag'" "$ERR") $(grep -c 'packed-refs.lock' "$ERR")"
	check_eq '  the journal kept, the tag still there' "yes yes" \
	    "$(test -e .git/dipb-journal && echo yes) $(git rev-parse -q --verify "$unltag" >/dev/null && echo yes)"
	rm -f .git/packed-refs.lock
else
	skip "a loose tag's file not removed, a stale packed-refs.lock there" \
	    'no C compiler for the shim'
fi


# --- a member's umask 077, the change killed just after a rename ------------

# low_mode PATH: PATH's mode without the lock mark (the sticky bit).
low_mode() { printf '%o' $((0$(stat -c %a "$1") & 0777)); }

# set_shared VALUE: core.sharedRepository=VALUE, or none (unset).
set_shared() {
	if [ "$1" = unset ]; then
		git config --unset core.sharedRepository
	else
		git config core.sharedRepository "$1"
	fi
}

# share_as VALUE: core.sharedRepository=VALUE; the group's, opened to
# the other member where one can be switched to.
share_as() {
	if [ "$1" = group ] && can_switch; then
		open_to_other
	fi
	set_shared "$1"
}

# SHARED_VALUES: the settings the modes are checked under, against git.
SHARED_VALUES='group all 0640 unset'

# A lock file has git's mode (core.sharedRepository's) from its creation,
# as git's own: a member whose umask is 077, killed just after the index
# or the branch's ref is renamed into place (a shim), leaves it with the
# mode git gives its own index and ref under umask 077 in the same
# repository, the oracle (dipb-git(7)); with the group's setting, the
# other member's git status and dipb list work (root's tests only).
if shim killrn '#define _GNU_SOURCE
#include <dlfcn.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
static int hit(const char *to)
{
	const char *want = getenv("KILL_AFTER_RENAME_TO");
	size_t n = strlen(to), w = want ? strlen(want) : 0;

	return want != NULL && n >= w && strcmp(to + n - w, want) == 0;
}
int rename(const char *from, const char *to)
{
	int (*real)(const char *, const char *) =
	    (int (*)(const char *, const char *))dlsym(RTLD_NEXT, "rename");
	int rc = real(from, to);

	if (rc == 0 && hit(to))
		raise(SIGKILL);
	return rc;
}
int renameat(int fa, const char *from, int ta, const char *to)
{
	int (*real)(int, const char *, int, const char *) =
	    (int (*)(int, const char *, int, const char *))dlsym(RTLD_NEXT,
	    "renameat");
	int rc = real(fa, from, ta, to);

	if (rc == 0 && hit(to))
		raise(SIGKILL);
	return rc;
}'; then
	for _s in $SHARED_VALUES; do
		new_board "killrn$_s" || exit 1
		share_as "$_s"
		(umask 077; GIT_INDEX_FILE="$(pwd -P)/.git/index.oracle" \
		    git read-tree HEAD && git update-ref refs/heads/oracle HEAD)
		gitmode="$(low_mode .git/index.oracle) $(low_mode .git/refs/heads/oracle)"
		rm -f .git/index.oracle
		git update-ref -d refs/heads/oracle
		for _f in index refs/heads/main; do
			as drafter
			run env KILL_AFTER_RENAME_TO="/.git/$_f" \
			    LD_PRELOAD="$TROOT/killrn.so" ASAN_OPTIONS="$SHIM_ASAN" \
			    sh -c 'umask 077; exec dipb recommend --wg industrial-capacity --title "$1" --no-edit --summary S' sh "Killed after $_f"
			check_eq "sharedRepository=$_s, umask 077, killed just after .git/$_f is renamed into place: killed (the set-up), .git/$_f has git's mode" \
			    "137 ${gitmode% *}" "$RC $(low_mode ".git/$_f")"
			gitmode="${gitmode#* } ${gitmode#* }"
			if [ "$_s" = group ] && can_switch; then
				run other git status --porcelain
				check_eq "  the other member's git status works, nothing on its stderr" \
				    '0 ' "$RC $(cat "$ERR")"
				check_eq "  the other member's git reads the branch's tip" \
				    "$(git rev-parse HEAD)" "$(other git rev-parse -q --verify HEAD 2>&1)"
				check "  the other member's dipb list works" other dipb list
			fi
			check "  sharedRepository=$_s: the next dipb list works" \
			    dipb list
			check_git_agrees "  sharedRepository=$_s, killed after .git/$_f's rename, recovered: git agrees"
		done
	done
else
	skip 'a member killed just after a rename, umask 077' \
	    'no C compiler for the shim'
fi
can_switch || skip 'the other member after a kill or a packed tag undone' \
    'not root, or setpriv cannot switch to nobody of group users'

# A packed ref deleted (the tag of a change killed once it was written,
# undone by the next command, packed by git pack-refs meanwhile) writes
# packed-refs again with the mode git gives it under the same umask
# (libgit2 writes it: dipb-git(7)); with the group's setting, the other
# member's git and dipb read it.  git pack-refs under that umask in the
# same repository is the oracle.
for _s in $SHARED_VALUES; do
	for _um in 077 022; do
		killed_tag "packed$_s$_um"
		share_as "$_s"
		(umask "$_um"; git pack-refs --all)
		gitmode=$(low_mode .git/packed-refs)
		as drafter
		run sh -c "umask $_um; exec dipb list"
		check_eq "sharedRepository=$_s, umask $_um, a packed tag undone: the tag gone, packed-refs has the mode git pack-refs gives it ($gitmode)" \
		    "0 no $gitmode" \
		    "$RC $(git rev-parse -q --verify "$KTAG" >/dev/null && echo yes || echo no) $(low_mode .git/packed-refs)"
		if [ "$_s" = group ] && can_switch; then
			check "  umask $_um: the other member's git tag -l works" \
			    other git tag -l
			check "  umask $_um: the other member's dipb list works" \
			    other dipb list
		fi
	done
done

# --- a member's umask 077, killed just after dipb makes a file --------------

# dipb.lock (a fresh clone's first dipb makes it) and a new reflog have
# git's mode (core.sharedRepository's) from the moment their name
# appears: a member whose umask is 077, killed just after either is made
# (a shim), leaves it with the mode git gives its own file and new log
# made under umask 077 in the same repository, the oracle; with the
# group's setting, the other member's change is made (dipb-git(7)).
if shim killmk '#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
static void hit(int rc, int flags, const char *path)
{
	const char *want = getenv("KILL_AFTER_CREATE_OF");
	size_t n = strlen(path), w = want ? strlen(want) : 0;

	if (rc >= 0 && (flags & O_CREAT) && want != NULL && n >= w &&
	    strcmp(path + n - w, want) == 0)
		raise(SIGKILL);
}
#define WRAP(name) \
int name(const char *path, int flags, ...) \
{ \
	int (*real)(const char *, int, ...) = \
	    (int (*)(const char *, int, ...))dlsym(RTLD_NEXT, #name); \
	mode_t m = 0; \
	va_list ap; \
	int rc; \
 \
	va_start(ap, flags); \
	if (flags & O_CREAT) \
		m = (mode_t)va_arg(ap, int); \
	va_end(ap); \
	rc = real(path, flags, m); \
	hit(rc, flags, path); \
	return rc; \
}
WRAP(open)
WRAP(open64)'; then
	for _s in $SHARED_VALUES; do
		new_board "killmk$_s" || exit 1
		share_as "$_s"
		(umask 077; GIT_INDEX_FILE="$(pwd -P)/.git/index.oracle" \
		    git read-tree HEAD &&
		    git update-ref --create-reflog -m oracle refs/heads/oracle HEAD)
		gitmode=$(low_mode .git/logs/refs/heads/oracle)
		check_eq "setup: sharedRepository=$_s, git gives a file and a new log one mode under umask 077" \
		    "$gitmode" "$(low_mode .git/index.oracle)"
		rm -f .git/index.oracle
		git update-ref -d refs/heads/oracle
		_n=0
		for _f in dipb.lock logs/refs/heads/main; do
			_n=$((_n + 1))
			as drafter
			rm -f ".git/$_f"	# as in a fresh clone, or a new branch
			run env KILL_AFTER_CREATE_OF="/.git/$_f" \
			    LD_PRELOAD="$TROOT/killmk.so" ASAN_OPTIONS="$SHIM_ASAN" \
			    sh -c 'umask 077; exec dipb recommend --wg industrial-capacity --title "$1" --no-edit --summary S' sh "Killed after $_f"
			check_eq "sharedRepository=$_s, umask 077, killed just after .git/$_f is made: killed (the set-up), .git/$_f has git's mode" \
			    "137 $gitmode" "$RC $(low_mode ".git/$_f")"
			if [ "$_s" = group ] && can_switch; then
				# The working tree's files are the killed
				# member's: not this.
				find . -path ./.git -prune -o -exec chmod g+rwX {} +
				# Its lock files left, the other member's
				# dipb removes.
				run other dipb recommend --wg industrial-capacity \
				    --title "By the other $_n" --no-edit --summary S
				check_eq "  after it, the other member's change is made" '0 ' \
				    "$RC $(grep -v -e '^IC-' -e '^dipb: warning: ' "$ERR")"
				check_eq "  the other member reads the branch's log" \
				    "$(cat .git/logs/refs/heads/main)" \
				    "$(other cat .git/logs/refs/heads/main 2>&1)"
			fi
			check_git_agrees "  sharedRepository=$_s, killed after .git/$_f was made: git agrees"
		done
	done
	# One a dipb before this one left 0600 (killed so) is left as found,
	# the user's own or not: dipb never widens a file found in place.
	new_board lock0600 || exit 1
	git config core.sharedRepository group
	as drafter
	chmod 600 .git/dipb.lock
	run sh -c 'umask 077; exec dipb recommend --wg industrial-capacity --title "Left" --no-edit --summary S'
	check_eq 'a dipb.lock 0600 of the user'"'"'s own: the change made, dipb.lock left as found' \
	    '0 600' "$RC $(low_mode .git/dipb.lock)"
else
	skip 'a member killed just after dipb makes dipb.lock or a log, umask 077' \
	    'no C compiler for the shim'
fi

# --- a folder with a default ACL -----------------------------------------------

# A default ACL on a folder (setfacl -d) makes the kernel ignore the
# umask there: what dipb makes in it (dipb.lock, a new log, a lock file
# renamed into place: the index, a ref) has the mode git gives its own
# there, core.sharedRepository's, never the ACL's 0666 (dipb-git(7)).
# git's index, ref and new log in the same folders are the oracle.
acl_board() {
	new_board "$1" || return 1
	git config core.sharedRepository "$2"
	as drafter
	rm -f .git/dipb.lock .git/logs/refs/heads/main
	setfacl -d -m u::rw,g::rw,o::rw .git .git/logs/refs/heads \
	    .git/refs/heads 2>/dev/null
}
if command -v setfacl >/dev/null 2>&1 && acl_board aclprobe group &&
    [ "$(getfacl -d .git 2>/dev/null | grep -c '^other::rw')" = 1 ]; then
	for _s in 0640 group all; do
		acl_board "acl$_s" "$_s"
		(umask 077; GIT_INDEX_FILE="$(pwd -P)/.git/index.oracle" \
		    git read-tree HEAD &&
		    git update-ref --create-reflog -m oracle refs/heads/oracle HEAD)
		gitmode="$(low_mode .git/index.oracle) $(low_mode .git/refs/heads/oracle) $(low_mode .git/logs/refs/heads/oracle)"
		rm -f .git/index.oracle
		git update-ref -d refs/heads/oracle
		run sh -c 'umask 077; exec dipb recommend --wg industrial-capacity --title ACL --no-edit --summary S'
		check_eq "sharedRepository=$_s, a default ACL o::rw on .git: dipb.lock, the index, the branch and its new log have git's modes" \
		    "0 ${gitmode%% *} $gitmode" \
		    "$RC $(low_mode .git/dipb.lock) $(low_mode .git/index) $(low_mode .git/refs/heads/main) $(low_mode .git/logs/refs/heads/main)"
		check_git_agrees "  sharedRepository=$_s, a default ACL: git agrees"
	done
	# A file system that refuses the mode (fchmod fails, a shim): the
	# file dipb has just made, with the ACL's mode (0666), is removed,
	# never left wider than git's, and that failure is said, naming it.
	if shim nochmod '#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
int fchmod(int fd, mode_t m)
{
	int (*real)(int, mode_t) =
	    (int (*)(int, mode_t))dlsym(RTLD_NEXT, "fchmod");
	const char *want = getenv("FCHMOD_FAIL_ON");
	char p[64], b[4096];
	ssize_t n;

	snprintf(p, sizeof(p), "/proc/self/fd/%d", fd);
	n = readlink(p, b, sizeof(b) - 1);
	if (n > 0 && want != NULL) {
		b[n] = 0;
		if (strstr(b, want) != NULL) {
			errno = EPERM;
			return -1;
		}
	}
	return real(fd, m);
}'; then
		for _f in dipb.lock logs/refs/heads/main; do
			acl_board "aclfail$(basename "$_f" .lock)" 0640
			run env FCHMOD_FAIL_ON="/.git/$_f" \
			    LD_PRELOAD="$TROOT/nochmod.so" ASAN_OPTIONS="$SHIM_ASAN" \
			    sh -c 'umask 077; exec dipb recommend --wg industrial-capacity --title ACL --no-edit --summary S'
			check_eq "sharedRepository=0640, a default ACL, .git/$_f's mode refused: refused, exit 5, .git/$_f not left" \
			    "5 no" "$RC $(test -e ".git/$_f" && echo yes || echo no)"
			check_err "  the failure said, naming .git/$_f" \
			    "/.git/$_f' the mode core.sharedRepository asks (0640): Operation not permitted"
			check_git_agrees "  .git/$_f's mode refused: git agrees"
		done
	else
		skip 'a default ACL, a file system refusing the mode' \
		    'no C compiler for the shim'
	fi
	# A packed tag deleted (a killed change's, undone) in a git dir with
	# a default ACL: libgit2 writes packed-refs again with the ACL's mode
	# (0666), which dipb narrows to the one git pack-refs gives it there
	# under the same umask, the oracle (dipb-git(7)).
	for _s in 0640 group; do
		killed_tag "aclpacked$_s"
		git config core.sharedRepository "$_s"
		setfacl -d -m u::rw,g::rw,o::rw .git
		(umask 077; git pack-refs --all)
		gitmode=$(low_mode .git/packed-refs)
		as drafter
		run sh -c 'umask 077; exec dipb list'
		check_eq "sharedRepository=$_s, a default ACL, umask 077, a packed tag undone: the tag gone, packed-refs has git's mode ($gitmode)" \
		    "0 no $gitmode" \
		    "$RC $(git rev-parse -q --verify "$KTAG" >/dev/null && echo yes || echo no) $(low_mode .git/packed-refs)"
		check_git_agrees "  sharedRepository=$_s, a default ACL, a packed tag undone: git agrees"
	done
	# A file put in for one dipb makes or narrows, by another program at
	# the wrong moment (a shim does it): a dipb.lock another dipb has
	# opened and locked while this one's fchmod failed, slowly, is left
	# to it, and a third is refused (exit 4), never two changing the
	# board at once; another file put in for dipb.lock as its fchmod
	# fails is not removed; packed-refs, just written again by libgit2
	# as a tag is deleted, replaced by a FIFO (dipb does not wait on
	# it), a symbolic link (its target keeps its mode) or a file of
	# another user (it keeps its mode) is left as it is (dipb-git(7)).
	if shim swapin '#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
int fchmod(int fd, mode_t m)
{
	int (*real)(int, mode_t) =
	    (int (*)(int, mode_t))dlsym(RTLD_NEXT, "fchmod");
	const char *want = getenv("SWAP_FAIL_ON"), *how = getenv("SWAP_HOW");
	char p[64], b[4096], kept[4200];
	ssize_t n;
	FILE *f;

	snprintf(p, sizeof(p), "/proc/self/fd/%d", fd);
	n = readlink(p, b, sizeof(b) - 1);
	if (n <= 0 || want == NULL || how == NULL)
		return real(fd, m);
	b[n] = 0;
	if (strstr(b, want) == NULL)
		return real(fd, m);
	if (strcmp(how, "slow") == 0)
		sleep(3);
	else if (strcmp(how, "theirs") == 0) {
		snprintf(kept, sizeof(kept), "%s.made", b);
		rename(b, kept);
		if ((f = fopen(b, "w")) != NULL) {
			fputs("theirs\n", f);
			fclose(f);
		}
	}
	errno = EPERM;
	return -1;
}
int rename(const char *from, const char *to)
{
	int (*real)(const char *, const char *) =
	    (int (*)(const char *, const char *))dlsym(RTLD_NEXT, "rename");
	const char *how = getenv("SWAP_HOW"), *t = getenv("SWAP_TARGET");
	size_t n = strlen(to);
	int rc = real(from, to);

	if (rc != 0 || how == NULL || n < 12 ||
	    strcmp(to + n - 12, "/packed-refs") != 0)
		return rc;
	if (strcmp(how, "fifo") == 0) {
		unlink(to);
		mkfifo(to, 0600);
		chmod(to, 0666);
	} else if (strcmp(how, "link") == 0 && t != NULL) {
		real(to, t);	/* the refs kept, through the link */
		chmod(t, 0666);
		symlink(t, to);
	} else if (strcmp(how, "other") == 0 && t != NULL) {
		real(to, t);	/* the refs kept, in a file of nobody */
		chown(t, 65534, 100);
		chmod(t, 0666);
		real(t, to);
	}
	return rc;
}'; then
		if command -v flock >/dev/null 2>&1; then
			acl_board aclrace 0640
			mkrec industrial-capacity 'Raced' >/dev/null
			rm -f .git/dipb.lock "$TROOT/release"
			env SWAP_FAIL_ON=/.git/dipb.lock SWAP_HOW=slow \
			    LD_PRELOAD="$TROOT/swapin.so" ASAN_OPTIONS="$SHIM_ASAN" \
			    sh -c 'umask 077; exec dipb review IC-0001 --request --retry 0' \
			    >"$TROOT/racea.out" 2>"$TROOT/racea.err" &
			_a=$!
			until [ -e .git/dipb.lock ]; do sleep 0.01; done
			# The other dipb, in its change: it has opened dipb.lock,
			# there (EEXIST), and locked it (flock(1) does the same).
			flock .git/dipb.lock sh -c 'until [ -e "$1" ]; do sleep 0.01; done' \
			    sh "$TROOT/release" &
			_b=$!
			while flock -n .git/dipb.lock true; do sleep 0.01; done
			wait "$_a"
			_rca=$?
			run dipb review IC-0001 --request --retry 0
			touch "$TROOT/release"
			wait "$_b"
			check_eq "a dipb.lock another dipb locked as this one's fchmod failed: this one refused (exit 5), left to the other; a third refused, busy (exit 4), no tag made" \
			    "5 1 4 no" \
			    "$_rca $(grep -c 'left as made.*another process has locked it' "$TROOT/racea.err") $RC $(git rev-parse -q --verify refs/tags/IC-0001/2-review-requested >/dev/null && echo yes || echo no)"
			check_git_agrees '  two dipbs and a lock: git agrees'
		else
			skip 'a dipb.lock another dipb locked as its fchmod failed' \
			    'no flock(1)'
		fi
		acl_board acltheirs 0640
		run env SWAP_FAIL_ON=/.git/dipb.lock SWAP_HOW=theirs \
		    LD_PRELOAD="$TROOT/swapin.so" ASAN_OPTIONS="$SHIM_ASAN" \
		    sh -c 'umask 077; exec dipb recommend --wg industrial-capacity --title ACL --no-edit --summary S'
		check_eq "another file put in for dipb.lock as its fchmod fails: refused, exit 5, that file not removed" \
		    "5 theirs" "$RC $(cat .git/dipb.lock 2>/dev/null)"
		for _h in fifo link other; do
			if [ "$_h" = other ] && [ "$(id -u)" != 0 ]; then
				skip 'packed-refs of another user, put in as dipb narrows it' \
				    'not root: no second user'
				continue
			fi
			killed_tag "aclswap$_h"
			git config core.sharedRepository 0640
			setfacl -d -m u::rw,g::rw,o::rw .git
			git pack-refs --all
			as drafter
			run env SWAP_HOW=$_h SWAP_TARGET="$TROOT/prtarget" \
			    LD_PRELOAD="$TROOT/swapin.so" ASAN_OPTIONS="$SHIM_ASAN" \
			    timeout 20 sh -c 'umask 077; exec dipb list'
			case $_h in
			fifo) _seen="$(test -p .git/packed-refs && echo fifo) $(stat -c %a .git/packed-refs)"
			    _want='fifo 666' _what='a FIFO' ;;
			link) _seen="$(test -L .git/packed-refs && echo link) $(stat -c %a "$TROOT/prtarget")"
			    _want='link 666' _what='a symbolic link' ;;
			other) _seen="$(stat -c %u .git/packed-refs) $(stat -c %a .git/packed-refs)"
			    _want='65534 666' _what="another user's file" ;;
			esac
			check_eq "packed-refs, $_what put in as a packed tag is deleted: dipb does not wait on it, left as it is" \
			    "done $_want" \
			    "$([ "$RC" = 124 ] && echo hung || echo done) $_seen"
			rm -f .git/packed-refs "$TROOT/prtarget"
		done
		# packed-refs, written again as a packed tag is deleted, that
		# cannot be narrowed (its fchmod refused): the tag is gone all
		# the same, which is said as a warning, never a failed deletion,
		# and the next dipb has nothing left to settle.
		killed_tag aclnarrowfail
		git config core.sharedRepository 0640
		setfacl -d -m u::rw,g::rw,o::rw .git
		git pack-refs --all
		as drafter
		run env SWAP_FAIL_ON=/.git/packed-refs SWAP_HOW=fail \
		    LD_PRELOAD="$TROOT/swapin.so" ASAN_OPTIONS="$SHIM_ASAN" \
		    sh -c 'umask 077; exec dipb list'
		check_eq "packed-refs' narrowing refused as a packed tag is deleted: exit 0, the tag gone, a warning naming packed-refs" \
		    "0 no 1" \
		    "$RC $(git rev-parse -q --verify "$KTAG" >/dev/null && echo yes || echo no) $(grep -c "warning: '$KTAG' deleted; cannot give '.*/.git/packed-refs' the mode core.sharedRepository asks (0640): Operation not permitted" "$ERR")"
		check 'packed-refs not narrowed: the next dipb settles nothing, exit 0' \
		    sh -c 'dipb list 2>&1 >/dev/null | grep -c . | grep -qx 0'
		check_git_agrees "  packed-refs' narrowing refused: git agrees"
	else
		skip 'a file put in for one dipb makes or narrows' \
		    'no C compiler for the shim'
	fi
else
	skip 'a folder with a default ACL: dipb'"'"'s files have git'"'"'s modes' \
	    'no setfacl, or the file system keeps no ACL'
fi

# A board whose path holds a newline: a refusal naming a file of it
# (dipb.lock of another group, narrower) shows the path on one line, no
# "dipb: forged" line of its own on stderr (dipb(1)).
if can_switch; then
	new_board "nl
dipb: forged
x"
	mkrec industrial-capacity T >/dev/null
	open_to_other
	chgrp 0 .git/dipb.lock
	chmod 0600 .git/dipb.lock
	run other dipb review IC-0001 --request
	check_eq 'a path with a newline: the refusal of dipb.lock on one line' \
	    '5 1 0' "$RC $(grep -c 'dipb.lock: Permission denied' "$ERR") $(grep -c '^dipb: forged' "$ERR")"
else
	skip 'a path with a newline: the refusal of dipb.lock on one line' \
	    'not root: no second user'
fi

finish

#!/bin/sh
# tests/cli/full-disk.sh - a file system that is full, or read-only.
#
# A small tmpfs (mount needs root; anyone else skips every check here)
# holds the board, filled with a file that leaves k KiB free: each
# writing command is made whole or refused, exit status 5, with nothing
# of it left that the next command trips on; once space is freed, the
# same command works.  dipb init on a full disk takes back what it made
# (dipb-init(1): refused before the board's first commit, no repository
# is left behind).  On the file system remounted read-only, a change is
# refused, exit status 5, naming it, and a reading command works.
. "$(dirname "$0")/lib.sh"

MNT=$TROOT/fs
mkdir -p "$MNT" || exit 1

# fill K: the file system of $MNT with K KiB free (about: a tmpfs counts
# in pages).
fill() {
	dd if=/dev/zero of="$MNT/fill" bs=4096 2>/dev/null
	[ "$1" -eq 0 ] || truncate -s "-$(($1 * 1024))" "$MNT/fill"
}
unfill() { rm -f "$MNT/fill"; }

# Unmounted on every exit, a failed check's, a kill's (lib.sh's INT and
# TERM exit) too; lazily when something still holds it.
trap 'cd / && { umount "$MNT" || umount -l "$MNT"; } 2>/dev/null; _cleanup' \
    EXIT
if ! mount -t tmpfs -o size=4m tmpfs "$MNT" 2>/dev/null; then
	for d in 'init on a full disk: refused, exit 5' \
	    'init on a full disk: no DIR/.git left behind' \
	    'init on a full disk: an existing DIR left as it was' \
	    'init on a full disk: the same init works once space is freed' \
	    'init on a full disk: says it cannot make the repository' \
	    'init on a full disk: an existing .git left as it was' \
	    'a change on a full disk: whole, or refused leaving nothing' \
	    'a change on a full disk: some refused, some made' \
	    'read-only file system: a change refused, exit 5, naming it' \
	    'read-only file system: nothing changed' \
	    'read-only file system: a reading command works'; do
		skip "$d" 'cannot mount a tmpfs (not root)'
	done
	finish
	exit $?
fi

# --- dipb init ------------------------------------------------------------

# libgit2 makes the repository first (its template, its HEAD): on a full
# disk that fails part way.
as chair
bad_rc= bad_left= bad_kept= bad_retry= bad_said= said_make=
for k in 0 8 32; do
	for had in no yes; do
		rm -rf "$MNT/nb"
		[ "$had" = no ] || mkdir "$MNT/nb"
		fill "$k"
		cd "$MNT" && run dipb init nb --config "$BOARD_CONFIG"
		[ "$RC" -eq 5 ] || bad_rc="$bad_rc k=$k dir=$had: exit $RC;"
		if [ "$had" = no ] && [ -e "$MNT/nb" ]; then
			bad_left="$bad_left k=$k: $(cd "$MNT" && find nb | head -n 3 | tr '\n' ' ');"
		fi
		if [ "$had" = yes ] && [ ! -d "$MNT/nb" ]; then
			bad_kept="$bad_kept k=$k: removed;"
		elif [ "$had" = yes ] && [ -n "$(ls -A "$MNT/nb")" ]; then
			bad_kept="$bad_kept k=$k: $(ls -A "$MNT/nb" | tr '\n' ' ');"
		fi
		# dipb-init(1): it makes the repository, opens none.
		if grep -q 'cannot make repository' "$ERR"; then
			said_make=yes
		fi
		! grep -q 'cannot open repository' "$ERR" ||
		    bad_said="$bad_said k=$k dir=$had: $(cat "$ERR");"
		unfill
		cd "$MNT" && run dipb init nb --config "$BOARD_CONFIG"
		[ "$RC" -eq 0 ] ||
		    bad_retry="$bad_retry k=$k dir=$had: exit $RC, $(tr '\n' ' ' <"$ERR");"
	done
done
cd "$TROOT" || exit 1
check_eq 'init on a full disk: refused, exit 5' '' "$bad_rc"
check_eq 'init on a full disk: no DIR/.git left behind' '' "$bad_left"
check_eq 'init on a full disk: an existing DIR left as it was' '' "$bad_kept"
check_eq 'init on a full disk: the same init works once space is freed' \
    '' "$bad_retry"
check_eq 'init on a full disk: says it cannot make the repository' \
    'yes' "$said_make$bad_said"

# An existing .git, a repository without a commit or one git cannot
# open (dipb-init(1)), is kept as it is by a refused init: what it holds,
# but for the objects, logs and lock file a refused change may leave (as
# git's own commands do).
gitdir() {
	(cd "$MNT/nb" && find .git ! -path '.git/objects/?*' ! -path \
	    '.git/logs*' ! -name dipb.lock -exec cksum {} + 2>&1 | sort)
}
bad=
for k in 0 8 32; do
	for what in empty broken; do
		rm -rf "$MNT/nb"
		git init -q "$MNT/nb" || exit 1
		[ "$what" = empty ] || rm "$MNT/nb/.git/HEAD"
		before=$(gitdir)
		fill "$k"
		cd "$MNT" && run dipb init nb --config "$BOARD_CONFIG"
		unfill
		[ "$RC" -eq 5 ] || bad="$bad k=$k $what: exit $RC;"
		[ "$(gitdir)" = "$before" ] || bad="$bad k=$k $what: .git changed;"
	done
done
cd "$TROOT" || exit 1
check_eq 'init on a full disk: an existing .git left as it was' '' "$bad"

# --- a change ---------------------------------------------------------------

new_board base
as drafter
run dipb recommend --wg industrial-capacity --title T --summary S --no-edit
[ "$RC" -eq 0 ] || { not_ok 'the board is made' "$(_said recommend)"; finish; exit 1; }
rm -f .git/hooks/*.sample
BASE=$BOARD

# The board as git has it: its refs, index and working tree.
state() {
	git for-each-ref --format='%(refname) %(objectname)'
	git --no-optional-locks status --porcelain --untracked-files=all
	git ls-files -s
	git -c core.quotepath=off ls-files -o --exclude-standard
}
made=0 refused=0 bad=
for k in 0 4 8 12 16 20 24 28 32 36 40 48 64 96; do
	cd "$TROOT" && rm -rf "$MNT/b" && cp -a "$BASE" "$MNT/b" &&
	    cd "$MNT/b" || exit 1
	before=$(state)
	fill "$k"
	run dipb review IC-0001 --request
	rc=$RC
	# What is left for the next command on the still full disk: no
	# lock, no temporary file, no tag off the branch.
	left=$(find .git \( -name '*.lock' ! -name dipb.lock -o \
	    -name '*.dipb-tmp*' \) -print | tr '\n' ' ')
	off=$(git tag --no-merged HEAD | tr '\n' ' ')
	mid=$(state)
	unfill
	if [ "$rc" -eq 5 ]; then
		refused=$((refused + 1))
		[ "$mid" = "$before" ] ||
		    bad="$bad k=$k: refused, yet the board changed;"
		run dipb review IC-0001 --request
		[ "$RC" -eq 0 ] ||
		    bad="$bad k=$k: refused, then exit $RC with space freed;"
	elif [ "$rc" -eq 0 ]; then
		made=$((made + 1))
		run dipb list
	else
		bad="$bad k=$k: exit $rc;"
	fi
	[ -z "$left$off" ] || bad="$bad k=$k: left $left$off;"
	[ "$(status_of IC-0001)" = in-review ] ||
	    bad="$bad k=$k: IC-0001 is $(status_of IC-0001);"
	[ -z "$(git --no-optional-locks status --porcelain)" ] ||
	    bad="$bad k=$k: the working tree differs from HEAD after the next command;"
	[ ! -e .git/dipb-journal ] || bad="$bad k=$k: a journal is left;"
	f=$(git fsck --strict 2>&1 | grep -v '^dangling\|^Checking')
	[ -z "$f" ] || bad="$bad k=$k: git fsck: $f;"
	[ "$(git cat-file -t IC-0001/2-review-requested 2>&1)" = tag ] ||
	    bad="$bad k=$k: no tag IC-0001/2-review-requested;"
done
check_eq 'a change on a full disk: whole, or refused leaving nothing' '' "$bad"
check_eq 'a change on a full disk: some refused, some made' 'yes yes' \
    "$([ "$refused" -gt 0 ] && echo yes) $([ "$made" -gt 0 ] && echo yes)"

# --- read-only ----------------------------------------------------------------

cd "$TROOT" && rm -rf "$MNT/b" && cp -a "$BASE" "$MNT/b" && cd "$MNT/b" ||
    exit 1
before=$(state)
mount -o remount,ro "$MNT" || exit 1
run dipb review IC-0001 --request
if [ "$RC" -eq 5 ] && grep -q 'Read-only file system' "$ERR"; then
	ok 'read-only file system: a change refused, exit 5, naming it'
else
	not_ok 'read-only file system: a change refused, exit 5, naming it' \
	    "$(_said dipb review IC-0001 --request)"
fi
check_eq 'read-only file system: nothing changed' "$before" "$(state)"
check_status 0 'read-only file system: a reading command works' dipb list
cd "$TROOT" && mount -o remount,rw "$MNT"

finish

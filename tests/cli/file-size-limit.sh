#!/bin/sh
# tests/cli/file-size-limit.sh - a change under a file size limit
# (ulimit -f) that the append to the branch's reflog runs into.
#
# dipb ignores SIGXFSZ (src/main.c), so a write past the limit fails with
# EFBIG after writing what fits: the reflog line is cut short.  The change
# is refused (exit status 5), the branch does not move, and its log must
# be left as it was: a partial line, with no newline, glues the next
# change's entry onto it, and git reflog then loses that entry
# (master@{0} still names the old tip).  HEAD's log is appended to after
# the branch's: when it fails, the branch's whole entry is cut away too
# (dipb(1), DIPB_FSYNC).  With HEAD.lock, which git holds to append to
# HEAD's log, dipb writes neither.
. "$(dirname "$0")/lib.sh"

new_board
as drafter
run dipb recommend --wg industrial-capacity --title T --summary S --no-edit
branch=$(git symbolic-ref --short HEAD)
log=.git/logs/refs/heads/$branch
# pad LOG MIN: pads LOG with copies of its last line until it holds MIN
# bytes or more and the next 512-byte block boundary is 3 to 100 bytes
# past its end: the next entry (well over 100 bytes) then straddles it;
# blocks, that boundary in blocks (ulimit -f's unit in sh).
pad() {
	_line=$(tail -n 1 "$1")
	_i=0
	while :; do
		_s=$(wc -c <"$1")
		_gap=$((512 - _s % 512))
		[ "$_s" -ge "$2" ] && [ "$_gap" -ge 3 ] && [ "$_gap" -le 100 ] &&
		    break
		printf '%s\n' "$_line" >>"$1"
		_i=$((_i + 1))
		[ "$_i" -lt 2000 ] || break
	done
	blocks=$(( (_s + _gap) / 512 ))
}
pad "$log" 0
cp "$log" "$TROOT/log.before"
tip=$(git rev-parse HEAD)

run sh -c 'ulimit -f "$1" && exec dipb review IC-0001 --request' sh \
    "$blocks"
if [ "$RC" -eq 5 ] && [ "$(git rev-parse HEAD)" = "$tip" ]; then
	ok 'reflog append past ulimit -f: refused, exit 5, branch not moved'
else
	not_ok 'reflog append past ulimit -f: refused, exit 5, branch not moved' \
	    "$(_said dipb review)"
fi
if cmp -s "$log" "$TROOT/log.before"; then
	ok 'reflog append past ulimit -f: the branch log left as it was'
else
	not_ok 'reflog append past ulimit -f: the branch log left as it was' \
	    "$(wc -c <"$TROOT/log.before") bytes before, $(wc -c <"$log") after" \
	    "$(tail -c 120 "$log" | od -c | tail -n 3)"
fi
check 'the same change without the limit works' \
    dipb review IC-0001 --request
if [ "$(git rev-parse -q --verify "$branch@{0}")" = "$(git rev-parse HEAD)" ]
then
	ok 'git reflog names the new tip as @{0}'
else
	not_ok 'git reflog names the new tip as @{0}' \
	    "$(git reflog show "$branch" | head -n 3)"
fi

# HEAD's log past the limit, the branch's well below it: the branch's
# log, appended to whole first, is cut back too when HEAD's fails.
pad .git/logs/HEAD $(($(wc -c <"$log") + 1024))
cp "$log" "$TROOT/log.before"
cp .git/logs/HEAD "$TROOT/head.before"
tip=$(git rev-parse HEAD)
run sh -c 'ulimit -f "$1" && shift && exec "$@"' sh "$blocks" \
    dipb recommend --wg industrial-capacity --title U --summary S --no-edit
check_eq "HEAD's log append past ulimit -f: exit 5, branch not moved" \
    "5 $tip" "$RC $(git rev-parse HEAD)"
check "HEAD's log append past ulimit -f: HEAD's log left as it was" \
    cmp .git/logs/HEAD "$TROOT/head.before"
check "HEAD's log append past ulimit -f: the branch's log too" \
    cmp "$log" "$TROOT/log.before"

# The cut is safe only while no other writer appends: git appends to
# logs/HEAD holding HEAD.lock alone (git checkout, git symbolic-ref -m),
# never the branch's lock, so dipb holds HEAD.lock too, as git's own
# commit does.  Stopped before its branch moves (DIPB_FAULT=tag-ref:stop),
# then a HEAD.lock taken as git checkout takes it: the change must wait,
# then refuse (exit 4), never write HEAD's log under another's lock.
cp .git/logs/HEAD "$TROOT/head.before"
tip=$(git rev-parse HEAD)
DIPB_FAULT=tag-ref:stop dipb review IC-0001 --recall --retry 0 \
    >"$OUT" 2>"$ERR" &
pid=$!
wait_stopped "$pid"
: >.git/HEAD.lock
kill -CONT "$pid"
wait "$pid"
RC=$?
rm -f .git/HEAD.lock
check_eq "HEAD.lock held by git: refused, exit 4, branch not moved" \
    "4 $tip" "$RC $(git rev-parse HEAD)"
check_err_re "HEAD.lock held by git: named" "'\.git/HEAD\.lock' exists"
check "HEAD.lock held by git: HEAD's log not written" \
    cmp .git/logs/HEAD "$TROOT/head.before"

# A cut that fails is said, never passed over: an append-only log
# (chattr +a, root's) takes the partial entry but refuses ftruncate(2).
pad "$log" 0
tip=$(git rev-parse HEAD)
if chattr +a "$log" 2>/dev/null; then
	run sh -c 'ulimit -f "$1" && shift && exec "$@"' sh "$blocks" \
	    dipb recommend --wg industrial-capacity --title V --summary S \
	    --no-edit
	chattr -a "$log"
	check_eq 'append-only log past ulimit -f: exit 5, branch not moved' \
	    "5 $tip" "$RC $(git rev-parse HEAD)"
	check_err_re 'append-only log past ulimit -f: the failed cut said' \
	    "cannot be cut back to its size before the change \(.*\): \
its last line may be this change's"
else
	skip 'a reflog cut back that fails' 'no chattr +a here'
fi
finish
finish

#!/bin/sh
# tests/cli/file-size-limit.sh - a change under a file size limit
# (ulimit -f) that the append to the branch's reflog runs into.
#
# dipb ignores SIGXFSZ (src/main.c), so a write past the limit fails with
# EFBIG after writing what fits: the reflog line is cut short.  The change
# is refused (exit status 5), the branch does not move, and its log must
# be left as it was: a partial line, with no newline, glues the next
# change's entry onto it, and git reflog then loses that entry
# (master@{0} still names the old tip).
. "$(dirname "$0")/lib.sh"

new_board
as drafter
run dipb recommend --wg industrial-capacity --title T --summary S --no-edit
branch=$(git symbolic-ref --short HEAD)
log=.git/logs/refs/heads/$branch
line=$(tail -n 1 "$log")
# Pad the log with copies of its last line until the next 512-byte block
# boundary is 3 to 100 bytes past its end: the next entry (well over 100
# bytes) then straddles it.
i=0
while :; do
	s=$(wc -c <"$log")
	gap=$((512 - s % 512))
	[ "$gap" -ge 3 ] && [ "$gap" -le 100 ] && break
	printf '%s\n' "$line" >>"$log"
	i=$((i + 1))
	[ "$i" -lt 2000 ] || break
done
blocks=$(( (s + gap) / 512 ))
cp "$log" "$TROOT/log.before"
tip=$(git rev-parse HEAD)

run sh -c 'ulimit -f "$1" && exec "$DIPB" review IC-0001 --request' sh \
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
finish

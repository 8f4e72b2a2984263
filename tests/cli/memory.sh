#!/bin/sh
# tests/cli/memory.sh - dipb out of memory: exit status 5 and a message
# that says so (dipb(1), EXIT STATUS), never a signal, never a corrupt
# repository or another fault in its place.
. "$(dirname "$0")/lib.sh"

new_board
as drafter
mkrec industrial-capacity 'Endorsed' >/dev/null	# IC-0001
drive IC-0001 endorsed
as secretary
cd "$TROOT" || exit 1
cp -R "$BOARD" "$TROOT/tmpl"

# Each limit of ulimit -v from the least at which dipb starts, in steps
# of 25 KB, up to the first at which dipb submit succeeds: libgit2 1.5
# recursed until its stack ran out where its first error in a thread
# was out of memory (SIGSEGV in git_libgit2_init or the repository's
# open; src/git/lib.c).  Where the limit falls differs from machine to
# machine: the whole range is walked, no timing.
LOW=4096
HIGH=131072
under_vlimit "$HIGH" dipb --version
if [ "$RC" -ne 0 ]; then
	skip 'under ulimit -v, dipb submit fails only with exit 5 and a message' \
	    "dipb does not start under ulimit -v $HIGH (a sanitizer build)"
else
	# The least limit at which dipb starts, by bisection.
	while [ $((HIGH - LOW)) -gt 25 ]; do
		MID=$(((LOW + HIGH) / 2))
		under_vlimit "$MID" dipb --version
		if [ "$RC" -eq 0 ]; then HIGH=$MID; else LOW=$MID; fi
	done
	KB=$HIGH
	SIGNALS= BAD= DONE=
	while [ "$KB" -lt $((HIGH + 8192)) ]; do
		rm -rf "$TROOT/w"
		cp -R "$TROOT/tmpl" "$TROOT/w"
		cd "$TROOT/w" || exit 1
		under_vlimit "$KB" dipb submit IC-0001 --reference R
		cd "$TROOT" || exit 1
		if [ "$RC" -eq 0 ]; then
			DONE=$KB
			break
		fi
		[ "$RC" -ge 128 ] && SIGNALS="$SIGNALS $KB:$RC"
		if [ "$RC" -ne 5 ] || ! grep -v '^dipb: warning: ' "$ERR" |
		    grep -q '^dipb: '; then
			BAD="$BAD $KB:$RC"
		fi
		KB=$((KB + 25))
	done
	check_eq "under ulimit -v, submit succeeds from some limit up (from $HIGH KB)" \
	    yes "${DONE:+yes}"
	check_eq 'under ulimit -v, no run of dipb submit ends by a signal' \
	    '' "$SIGNALS"
	check_eq 'under ulimit -v, dipb submit fails only with exit 5 and a message' \
	    '' "$BAD"
fi

finish

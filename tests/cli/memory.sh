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
# open; src/git/lib.c); zlib's want of memory was "failed to initialize
# zlib".  Where the limit falls differs from machine to machine: the
# whole range is walked, no timing.
LOW=4096
HIGH=131072
under_vlimit "$HIGH" dipb --version
VCHECKS='submit succeeds from some limit up
no run of dipb submit ends by a signal
dipb submit fails only with exit 5 and a message
no failure named other than out of memory'
if [ "$RC" -ne 0 ]; then
	# A sanitizer build reserves more address space than this (make
	# check runs the script again with the release binary: Makefile,
	# CLI_RELEASE).
	printf '%s\n' "$VCHECKS" | while IFS= read -r c; do
		skip "under ulimit -v, $c" \
		    "dipb --version does not start under ulimit -v $HIGH"
	done
else
	# The least limit at which dipb starts, by bisection.
	while [ $((HIGH - LOW)) -gt 25 ]; do
		MID=$(((LOW + HIGH) / 2))
		under_vlimit "$MID" dipb --version
		if [ "$RC" -eq 0 ]; then HIGH=$MID; else LOW=$MID; fi
	done
	KB=$HIGH
	SIGNALS= BAD= BLAMED= DONE=
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
		elif grep -q 'corrupt\|zlib\|Out of memory' "$ERR"; then
			BLAMED="$BLAMED $KB:$(grep '^dipb: ' "$ERR" | head -n 1)"
		fi
		KB=$((KB + 25))
	done
	echo "# ulimit -v walked from $HIGH KB${DONE:+ to $DONE KB}"
	check_eq 'under ulimit -v, submit succeeds from some limit up' \
	    yes "${DONE:+yes}"
	check_eq 'under ulimit -v, no run of dipb submit ends by a signal' \
	    '' "$SIGNALS"
	check_eq 'under ulimit -v, dipb submit fails only with exit 5 and a message' \
	    '' "$BAD"
	check_eq 'under ulimit -v, no failure named other than out of memory' \
	    '' "$BLAMED"
fi

# An object libgit2 could not read for want of memory is no corrupt
# object: a shim makes git_odb_read of one blob fail as libgit2 does
# then (git_error_set_oom).
cd "$TROOT/tmpl" || exit 1
OOM_ID=$(git rev-parse HEAD:recommendations/IC-0001.yaml)
export OOM_ID
if shim odbread '#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
void git_error_set_oom(void);
int git_odb_read(void **o, void *db, const unsigned char *id)
{
	int (*real)(void **, void *, const unsigned char *) =
	    (int (*)(void **, void *, const unsigned char *))
	    dlsym(RTLD_NEXT, "git_odb_read");
	const char *want = getenv("OOM_ID");
	char hex[41];
	int i;

	for (i = 0; i < 20; i++)
		sprintf(hex + 2 * i, "%02x", id[i]);
	if (want != NULL && memcmp(hex, want, 40) == 0) {
		git_error_set_oom();
		return -1;
	}
	return real(o, db, id);
}'; then
	for cmd in list verify; do
		rm -rf .git/dipb
		check_status 5 "a blob not read for want of memory: $cmd exits 5" \
		    env LD_PRELOAD="$TROOT/odbread.so" \
		    ASAN_OPTIONS="$SHIM_ASAN" dipb $cmd
		check_err "a blob not read for want of memory: $cmd says so" \
		    "cannot read object '$OOM_ID': out of memory"
		check_eq "a blob not read for want of memory: $cmd blames no corrupt object" \
		    '' "$(grep 'corrupt' "$ERR")"
	done
else
	skip 'a blob not read for want of memory' 'no C compiler for the shim'
fi

# zlib that cannot start a stream for want of memory (Z_MEM_ERROR, -4):
# libgit2 1.5 says "failed to initialize zlib" of it.
if shim deflate 'int deflateInit_(void *s, int l, const char *v, int n)
{ (void)s; (void)l; (void)v; (void)n; return -4; }'; then
	check_status 5 'zlib out of memory: submit exits 5' \
	    env LD_PRELOAD="$TROOT/deflate.so" ASAN_OPTIONS="$SHIM_ASAN" \
	    dipb submit IC-0001 --reference R
	check_err 'zlib out of memory: said as out of memory' \
	    'cannot write the blob: out of memory'
	check_eq 'zlib out of memory: the branch did not move' \
	    "$(git -C "$BOARD" rev-parse HEAD)" "$(git rev-parse HEAD)"
else
	skip 'zlib out of memory' 'no C compiler for the shim'
fi

finish

#!/bin/sh
# tests/cli/run.sh - runs every end-to-end test script of tests/cli/.
#
# Each tests/cli/*.sh but lib.sh and run.sh runs as its own sh process
# (make cli sets DIPB and DIPB_SRCDIR); its output is shown as it comes.
# Prints the total "N passed, N failed" and exits 1 if any check failed, or
# a script failed or printed no "N passed, N failed" line of its own.
#
# Usage: sh tests/cli/run.sh [SCRIPT...]	(default: all of them)
# Environment: DIPB, DIPB_SRCDIR (as lib.sh), CLI_TIMEOUT (seconds per
# script, default 900).

dir=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/dipb-run.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

# The same binary and source tree for every script (lib.sh's defaults).
DIPB_SRCDIR=${DIPB_SRCDIR:-$(cd "$dir/../.." && pwd)}
DIPB=${DIPB:-./dipb}
case $DIPB in
/*) ;;
*/*) DIPB=$(pwd)/$DIPB ;;
*) DIPB=$(command -v "$DIPB" || echo "$DIPB") ;;
esac
if [ ! -x "$DIPB" ] && [ -x "$DIPB_SRCDIR/dipb" ]; then
	DIPB=$DIPB_SRCDIR/dipb
fi
export DIPB DIPB_SRCDIR

if [ $# -eq 0 ]; then
	set -- "$dir"/*.sh
fi

# A script that hangs (a deadlocked dipb) is stopped after CLI_TIMEOUT
# seconds and counts as failed.
limit=
if command -v timeout >/dev/null 2>&1; then
	limit="timeout ${CLI_TIMEOUT:-900}"
fi

passed=0
failed=0
bad=
for script in "$@"; do
	name=$(basename "$script")
	case $name in
	lib.sh | run.sh) continue ;;
	esac
	echo "=== $name"
	{
		$limit sh "$script" 2>&1
		echo $? >"$tmp/rc"
	} | tee "$tmp/out"
	rc=$(cat "$tmp/rc")
	summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$tmp/out" | tail -n 1)
	if [ -z "$summary" ]; then
		echo "# $name: no 'N passed, N failed' line (exit status $rc)"
		bad="$bad $name"
		continue
	fi
	p=${summary%% passed*}
	f=${summary#*passed, }
	f=${f%% failed}
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$rc" -ne 0 ]; then
		[ "$f" -gt 0 ] || echo "# $name: exit status $rc"
		bad="$bad $name"
	fi
done

echo "==="
[ -z "$bad" ] || echo "# failed:$bad"
echo "$passed passed, $failed failed"
[ -z "$bad" ] && [ "$failed" -eq 0 ]

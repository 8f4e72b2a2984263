#!/bin/sh
# tests/cli/run.sh - runs the end-to-end test scripts of tests/cli/.
#
# Each tests/cli/*.sh but lib.sh and run.sh runs as its own sh process
# (make cli sets DIPB and DIPB_SRCDIR), up to JOBS of them at once: the
# scripts are independent (lib.sh gives each its own temporary directory,
# HOME and boards).  The output of a script is kept until it ends, then
# printed whole under a "=== NAME (N s, N s of CPU)" line, so that the log
# reads as if they had run one after another.  At the end: the seconds
# each script took and the CPU seconds its processes used, and the total
# "N passed, N failed, N skipped" of their closing lines, just after the
# first failed checks of each script and the first line of each sanitizer
# report again (a CI log cut to its tail still names them).  Under the
# sanitizers (ASAN_OPTIONS or UBSAN_OPTIONS set, as make check sets them),
# every report a sanitized process writes is caught (log_path) and counts
# as a failed check of its script, even where the script expected that
# process to fail.  Exits 1 if any check failed, or a script failed or
# printed no "N passed, N failed[, N skipped]" line of its own.  A skip is
# never a pass.
#
# Usage: sh tests/cli/run.sh [-j JOBS] [SCRIPT...]	(default: all of them)
# Environment: DIPB, DIPB_SRCDIR (as lib.sh); CLI_JOBS, the default of -j
# (else the number of processors plus one: the scripts also wait on
# processes they start); CLI_TIMEOUT (seconds per script, default 3600:
# a guard against a hang, not a speed limit; scripts that share the
# processors with others, and with other people's work, take several
# times as long as alone); TMPDIR (default: /dev/shm where it can be
# used, else /tmp; see below).

dir=$(cd "$(dirname "$0")" && pwd)

jobs=${CLI_JOBS:-}
while getopts j: opt; do
	case $opt in
	j) jobs=$OPTARG ;;
	*) echo "usage: sh tests/cli/run.sh [-j JOBS] [SCRIPT...]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
if [ -z "$jobs" ]; then
	jobs=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)
	jobs=$((jobs + 1))
fi
case $jobs in
'' | *[!0-9]* | 0) echo "run.sh: -j wants a positive number, not '$jobs'" >&2
	exit 2 ;;
esac

# Where the scripts' files go: TMPDIR when it is set, else a tmpfs when
# there is one to use, else /tmp.  The scripts make and delete files by
# the hundred thousand (boards, clones, git's objects and lock files); on
# the ext4 disk of the machine this project is developed on, looking for
# a free inode among so many just deleted (ext4's find_inode_bit and
# recently_deleted) was a third of the scripts' CPU time, and on tmpfs
# they took 332 CPU seconds instead of 457.  git's own test suite offers
# the same choice (its --root option).  /dev/shm is taken when it is a
# tmpfs with 1 GiB free (not a container's 64 MB one) on which a script
# can be run (not mounted noexec); the suite holds about 90 MB there at
# its peak.  TMPDIR=/tmp make check keeps the disk.
pick_tmpdir() {
	_d=/dev/shm
	[ -d "$_d" ] && [ -w "$_d" ] || return 1
	[ "$(stat -f -c %T "$_d" 2>/dev/null)" = tmpfs ] || return 1
	_free=$(df -Pk "$_d" 2>/dev/null | awk 'NR == 2 { print $4 }')
	case $_free in
	'' | *[!0-9]*) return 1 ;;
	esac
	[ "$_free" -ge 1048576 ] || return 1
	_probe=$(mktemp "$_d/dipb-run-exec.XXXXXX") || return 1
	printf '#!/bin/sh\nexit 0\n' >"$_probe" && chmod +x "$_probe" &&
	    "$_probe" 2>/dev/null
	_rc=$?
	rm -f "$_probe"
	[ "$_rc" -eq 0 ] || return 1
	echo "$_d"
}
if [ -z "${TMPDIR:-}" ]; then
	TMPDIR=$(pick_tmpdir) || TMPDIR=/tmp
	export TMPDIR
fi

tmp=$(mktemp -d "$TMPDIR/dipb-run.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
# On an interrupt, the running scripts are stopped too (each runs in its
# own process group under timeout(1); kill the group of each job).
trap 'for _p in $(cat "$tmp"/*.pid 2>/dev/null); do kill -TERM "$_p" 2>/dev/null; done; exit 130' INT TERM

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
# The python3 of every script, found once (lib.sh).
if [ -z "${DIPB_TEST_PYTHON3:-}" ]; then
	DIPB_TEST_PYTHON3=$(sh "$dir/find-python3")
	export DIPB_TEST_PYTHON3
fi

# The slowest scripts start first, so that the others fill the gaps (the
# order of their seconds in a make check of 2026-12-03, files on tmpfs).
slow='cache.sh sync-random.sh race.sh install.sh sync.sh verify.sh crash.sh
schema.sh crash-random.sh trust.sh validate.sh verify-checkpoint.sh
states.sh report-safety.sh chromium.sh concurrency.sh migrate.sh
compat-env.sh collab.sh layout.sh versions.sh report.sh replay.sh sign.sh
examples.sh verify-fields.sh meetings.sh compat-index.sh forge.sh
reschedule.sh workflow.sh'
if [ $# -eq 0 ]; then
	set --
	for name in $slow; do
		[ -f "$dir/$name" ] && set -- "$@" "$dir/$name"
	done
	for script in "$dir"/*.sh; do
		case " $(echo $slow) " in
		*" ${script##*/} "*) continue ;;
		esac
		set -- "$@" "$script"
	done
fi

# A script that hangs (a deadlocked dipb) is stopped after CLI_TIMEOUT
# seconds and counts as failed.
limit=
if command -v timeout >/dev/null 2>&1; then
	limit="timeout ${CLI_TIMEOUT:-3600}"
fi

# now: milliseconds since the epoch (seconds * 1000 where date has no %N).
now() {
	_t=$(date +%s%N 2>/dev/null)
	case $_t in
	*N | '') echo $(($(date +%s) * 1000)) ;;
	*) echo $((_t / 1000000)) ;;
	esac
}

# A finished job writes its number to this FIFO: the loop below reads one
# line per job, so that a new one starts as soon as any other ends.
mkfifo "$tmp/done" || exit 1
exec 3<>"$tmp/done"

# start I SCRIPT: runs SCRIPT as job I in the background; its output goes
# to $tmp/I.out, its exit status to $tmp/I.rc, its milliseconds to
# $tmp/I.ms, the CPU seconds of its processes (user and system, as times
# counts those waited for) to $tmp/I.cpu.  Under the sanitizers, their
# reports go to files in $tmp/I.san/ (log_path): a report from a dipb whose
# failure the script expected would otherwise pass unseen.
start() {
	(
		_t0=$(now)
		if [ -n "${ASAN_OPTIONS:-}${UBSAN_OPTIONS:-}" ]; then
			mkdir "$tmp/$1.san"
		fi
		(
			if [ -d "$tmp/$1.san" ]; then
				ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}log_path=$tmp/$1.san/asan
				UBSAN_OPTIONS=${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}log_path=$tmp/$1.san/ubsan
				export ASAN_OPTIONS UBSAN_OPTIONS
			fi
			exec $limit sh "$2"
		) >"$tmp/$1.out" 2>&1 3>&- </dev/null &
		echo $! >"$tmp/$1.pid"
		wait $!
		echo $? >"$tmp/$1.rc"
		echo $(($(now) - _t0)) >"$tmp/$1.ms"
		# (times in this shell: in a pipeline's subshell it counts nothing)
		times >"$tmp/$1.times"
		awk 'NR == 2 {
			for (i = 1; i <= 2; i++) {
				split($i, t, "m"); sub("s", "", t[2])
				s += t[1] * 60 + t[2]
			}
			printf "%.1f\n", s }' "$tmp/$1.times" >"$tmp/$1.cpu"
		rm -f "$tmp/$1.pid"
		echo "$1" >&3
	) &
}

passed=0
failed=0
skipped=0
bad=
i=0
running=0
: >"$tmp/times"
: >"$tmp/digest"

# collect: waits for a job to end and prints its output and counts.
collect() {
	read -r _i <&3
	running=$((running - 1))
	_name=$(cat "$tmp/$_i.name")
	_rc=$(cat "$tmp/$_i.rc")
	_ms=$(cat "$tmp/$_i.ms")
	_cpu=$(cat "$tmp/$_i.cpu" 2>/dev/null)
	_s=$(awk -v ms="$_ms" 'BEGIN { printf "%.1f", ms / 1000 }')
	echo "=== $_name ($_s s, ${_cpu:-?} s of CPU)"
	cat "$tmp/$_i.out"
	printf '%s %s %s\n' "$_ms" "${_cpu:-0}" "$_name" >>"$tmp/times"
	_reports=$(ls "$tmp/$_i.san" 2>/dev/null | wc -l | tr -d ' ')
	if [ "$_reports" -gt 0 ]; then
		echo "# $_name: $_reports sanitizer report(s):"
		for _f in "$tmp/$_i.san"/*; do
			sed -n '1,40p' "$_f"
		done
		failed=$((failed + _reports))
		bad="$bad $_name"
		for _f in "$tmp/$_i.san"/*; do
			_l=$(grep -m 1 -E 'ERROR|runtime error' "$_f" ||
			    sed -n 1p "$_f")
			echo "# $_name: $_l"
		done >>"$tmp/digest"
	fi
	_sum=$(grep -E '^[0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?$' \
	    "$tmp/$_i.out" | tail -n 1)
	if [ -z "$_sum" ]; then
		echo "# $_name: no 'N passed, N failed' line (exit status $_rc)"
		bad="$bad $_name"
		return
	fi
	_p=${_sum%% passed*}
	_f=${_sum#*passed, }
	_f=${_f%% failed*}
	case $_sum in
	*skipped) _k=${_sum##*failed, }; _k=${_k%% skipped} ;;
	*) _k=0 ;;
	esac
	passed=$((passed + _p))
	failed=$((failed + _f))
	skipped=$((skipped + _k))
	if [ "$_rc" -ne 0 ]; then
		[ "$_f" -gt 0 ] || echo "# $_name: exit status $_rc"
		bad="$bad $_name"
	fi
	# the first failed checks again at the end, with their first lines
	awk -v name="$_name" '/^not ok / { n++; k = 0 }
	    n && n <= 3 && (/^not ok / || (/^#   / && ++k <= 8)) {
		print "# " name ": " $0 }
	    /^[^#]/ && !/^not ok / { if (n) k = 99 }' \
	    "$tmp/$_i.out" >>"$tmp/digest"
}

t0=$(now)
for script in "$@"; do
	name=$(basename "$script")
	case $name in
	lib.sh | run.sh) continue ;;
	esac
	while [ "$running" -ge "$jobs" ]; do
		collect
	done
	i=$((i + 1))
	echo "$name" >"$tmp/$i.name"
	start "$i" "$script"
	running=$((running + 1))
done
while [ "$running" -gt 0 ]; do
	collect
done
wait

echo "==="
echo "# seconds per script, and its seconds of CPU ($jobs at once, files in \
$TMPDIR; $(awk -v ms="$(($(now) - t0))" 'BEGIN { printf "%.1f", ms / 1000 }') \
s in all):"
sort -rn "$tmp/times" | awk '{ printf "#   %7.1f %7.1f  %s\n", $1 / 1000, $2, $3
	cpu += $2 }
	END { printf "#   %7s %7.1f  CPU seconds in all\n", "", cpu }'
[ -z "$bad" ] || echo "# failed:$bad"
# (again here, where the tail of a long log still shows them)
cat "$tmp/digest"
echo "$passed passed, $failed failed, $skipped skipped"
[ -z "$bad" ] && [ "$failed" -eq 0 ]

# bench/lib.sh - what the benchmarks share; sourced, after set -eu, by
# bench/*.sh.
#
# Sourcing sets top, the source tree.
#
# bench_init NAME: sets DIPB (default $top/dipb, made absolute) and work
# (a new folder under TMPDIR, removed at exit unless KEEP=1), checks that
# dipb is built, and gives git a fixed environment: no system or user
# configuration but work/.gitconfig, branch main, C locale, no identity or
# date from the caller's environment.
#
# bench_identity NAME EMAIL: git's user.name and user.email.
# bench_board_yaml CLASSES QUORUM MEMBER...: the bench board's board.yaml
# on standard output: working group industrial-capacity (prefix IC), the
# classifications CLASSES (separated by '|', lowest first), review quorum
# QUORUM (no review section if empty), and one member for each MEMBER,
# written "Name|email|role, role".
# bench_objs: the release objects of dipb's code but main.c and the
# commands, for the generators to link: named from the sources, so that
# the object of a file since deleted or moved is not linked too.
# bench_tools: bench/gen_history.c and bench/run_timed.c built into $work
# (with CC, default cc; gen_history linked with bench_objs).
# timed NAME CMD...: one run of CMD by bench_tools' run_timed with
# TIMED's flag (default -r), its line of numbers added to $work/t.NAME;
# exits 1, with the start of CMD's output, if CMD fails.
# med NAME FIELD: the median of field FIELD of $work/t.NAME (1 wall, 2 CPU
# in us, 3 peak RSS in KiB; with TIMED=-a, 4 peak anonymous memory).
# now_ns: the time in nanoseconds.
# median: the median of the numbers on standard input, one a line.
# best_ms CMD...: the best wall-clock time of RUNS runs of CMD, in ms.
# time_pair A B: runs the commands "$A" and "$B" (strings, word-split)
# RUNS times each, alternately, so that a change of load on the machine
# hits both alike; sets ta and tb to their median wall times in
# microseconds.

top=$(cd "$(dirname "$0")/.." && pwd)

bench_init() {
	DIPB=${DIPB:-$top/dipb}
	case $DIPB in
	/*) ;;
	*) DIPB=$(pwd)/$DIPB ;;
	esac
	work=$(mktemp -d "${TMPDIR:-/tmp}/dipb-bench-$1.XXXXXX")
	if [ -n "${KEEP:-}" ]; then
		trap 'echo "bench: kept $work" >&2' EXIT
	else
		trap 'rm -rf "$work"' EXIT INT TERM
	fi
	[ -x "$DIPB" ] || { echo "bench: build dipb first (make)" >&2; exit 1; }
	export GIT_CONFIG_NOSYSTEM=1 HOME="$work" LC_ALL=C
	unset GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME \
	    GIT_COMMITTER_EMAIL GIT_AUTHOR_DATE GIT_COMMITTER_DATE EMAIL \
	    XDG_CONFIG_HOME
	git config --global init.defaultBranch main
}

bench_identity() {
	git config --global user.name "$1"
	git config --global user.email "$2"
}

bench_board_yaml() {
	printf '%s\n' 'board: Bench Board' \
	    'submit_to: National Armaments Directors' 'working_groups:' \
	    '  - key: industrial-capacity' '    prefix: IC' \
	    '    name: Industrial Capacity' 'classifications:'
	echo "$1" | tr '|' '\n' | sed 's/^/  - /'
	[ -z "$2" ] || printf 'review:\n  quorum: %s\n' "$2"
	shift 2
	echo 'members:'
	for _m in "$@"; do
		echo "$_m" | awk -F '|' '{
			printf "  - name: %s\n    email: %s\n", $1, $2
			printf "    roles: [%s]\n", $3
		}'
	done
}

bench_objs() {
	for _s in "$top"/src/*.c "$top"/src/*/*.c; do
		case ${_s##*/} in main.c | cmd_*.c) continue ;; esac
		_o=${_s#"$top"/src/}
		echo "$top/build/rel/${_o%.c}.o"
	done
}

bench_tools() {
	_pcs=$(sed -n 's/^LIBS_PC[[:space:]]*=[[:space:]]*//p' "$top/Makefile")
	# shellcheck disable=SC2086,SC2046 # lists of objects and flags
	${CC:-cc} -O2 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
	    -I"$top/src" $(pkg-config --cflags $_pcs) \
	    -o "$work/gen_history" "$top/bench/gen_history.c" $(bench_objs) \
	    $(pkg-config --libs $_pcs) -pthread
	${CC:-cc} -O2 -o "$work/run_timed" "$top/bench/run_timed.c"
}

timed() {
	_n=$1
	shift
	if ! "$work/run_timed" "${TIMED:--r}" "$@" >>"$work/t.$_n"; then
		echo "bench: failed: $*" >&2
		"$@" 2>&1 | head -n 5 >&2 || :
		exit 1
	fi
}

med() { awk -v f="$2" '{ print $f }' "$work/t.$1" | median; }

now_ns() { date +%s%N; }

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

best_ms() {
	_b=
	_i=0
	while [ "$_i" -lt "$RUNS" ]; do
		_i=$((_i + 1))
		_t0=$(now_ns)
		"$@" >/dev/null 2>&1 || { echo "bench: $* failed" >&2; exit 1; }
		_t1=$(now_ns)
		_t=$(((_t1 - _t0) / 1000000))
		if [ -z "$_b" ] || [ "$_t" -lt "$_b" ]; then _b=$_t; fi
	done
	echo "$_b"
}

time_pair() {
	: >"$work/ta"
	: >"$work/tb"
	i=0
	while [ "$i" -lt "$RUNS" ]; do
		i=$((i + 1))
		for which in a b; do
			if [ "$which" = a ]; then cmd=$1; else cmd=$2; fi
			t0=$(now_ns)
			# shellcheck disable=SC2086 # a command line
			$cmd >/dev/null 2>&1
			t1=$(now_ns)
			echo $(( (t1 - t0) / 1000 )) >>"$work/t$which"
		done
	done
	ta=$(median <"$work/ta")
	tb=$(median <"$work/tb")
}

# tests/cli/lib.sh - the harness of dipb's end-to-end tests.
#
# Sourced by every tests/cli/<area>.sh:
#
#	. "$(dirname "$0")/lib.sh"
#	new_board
#	as drafter
#	check_change IC-0001/1-drafted 'none -> draft' \
#	    'IC-0001: drafted by Dan Drafter' \
#	    dipb recommend --wg industrial-capacity --title T --summary S
#	finish
#
# The real git is the oracle.  Each check prints "ok N - DESC" or
# "not ok N - DESC" followed by "#" lines that say why; a check that cannot
# run here (a tool is missing) prints "ok N - DESC # SKIP WHY" and counts
# as skipped, never as passed.  finish prints "N passed, N failed,
# N skipped" and returns 1 if anything failed.
#
# Each script is independent of the others (tests/cli/run.sh runs several
# at once): everything it writes is under its own $TROOT, HOME included.
#
# Environment: DIPB, the binary under test (default ./dipb);
# DIPB_SRCDIR, the source tree (default: two levels above this script);
# KEEP=1 keeps the temporary directory.

# --- Environment: nothing of the user's git set-up leaks in ---------------

if [ -z "${DIPB_SRCDIR:-}" ]; then
	DIPB_SRCDIR=$(cd "$(dirname "$0")/../.." && pwd)
fi
DIPB=${DIPB:-./dipb}
case $DIPB in
/*) ;;
*/*) DIPB=$(pwd)/$DIPB ;;
*) DIPB=$(command -v "$DIPB" || echo "$DIPB") ;;
esac
if [ ! -x "$DIPB" ] && [ -x "$DIPB_SRCDIR/dipb" ]; then
	DIPB=$DIPB_SRCDIR/dipb
fi

for _v in $(env | sed -n 's/^\(GIT_[A-Za-z0-9_]*\)=.*/\1/p'); do
	unset "$_v"
done
unset _v EMAIL VISUAL EDITOR XDG_CONFIG_HOME
GIT_CONFIG_NOSYSTEM=1
NO_COLOR=1
LC_ALL=C.UTF-8
EDITOR=false		# an editor that is opened by mistake fails
export GIT_CONFIG_NOSYSTEM NO_COLOR LC_ALL EDITOR

# No fsync (DIPB_FSYNC=0, dipb(1) ENVIRONMENT) unless the caller set
# DIPB_FSYNC: fsync matters only when the machine loses power, which no
# test here simulates; a process killed with SIGKILL (crash.sh) loses
# nothing the kernel has.  On this disk each fsync'd change waited about
# 170 ms more.  A script that runs the fsync path itself sets DIPB_FSYNC=1
# after sourcing this file (lifecycle.sh does, for the writing commands of
# the workflow).
DIPB_FSYNC=${DIPB_FSYNC-0}
export DIPB_FSYNC

TROOT=$(mktemp -d "${TMPDIR:-/tmp}/dipb-cli.XXXXXX") || exit 1
# libgit2 1.5.1 leaks a little memory (pcre2 match data, in
# git_config_foreach_match) each time it opens a repository of format
# version 1 (sparse checkout, partial clones, worktree config): the
# sanitizer build forgives leaks of pcre2's memory, which dipb uses only
# through libgit2, and no other.  The stacks through libgit2 are two
# frames deep (no frame pointers), so the library is all there is to
# match.  The list of suppressions used is not printed: it is no
# finding, and tests/cli/run.sh takes whatever a sanitizer writes for one.
printf 'leak:libpcre2-8.so\n' >"$TROOT/lsan.supp"
LSAN_OPTIONS="${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=$TROOT/lsan.supp:print_suppressions=0"
export LSAN_OPTIONS
HOME=$TROOT/home
mkdir "$HOME" "$TROOT/bin"
export HOME
# git's own defaults, so that 'git init' says nothing.
printf '[init]\n\tdefaultBranch = main\n[advice]\n\tdetachedHead = false\n' \
    >"$HOME/.gitconfig"

# can_switch_user: whether this run may act as another user (root, with
# setpriv); as_other_user CMD...: CMD as the user nobody (uid and gid
# 65534), for the checks of what another user may and may not do.
can_switch_user() {
	[ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null 2>&1
}
as_other_user() {
	( other_san; exec setpriv --reuid=65534 --regid=65534 --clear-groups \
	    "$@" )
}

# Under run.sh's sanitizers, each report goes to a file in its folder
# (log_path), which is root's alone: a dipb run as nobody cannot write
# there (gcc 14's runtime then dies), and a folder others may write
# would let them plant the report's file for root's dipb to write
# through.  So another user's dipb writes its reports in $OTHER_SAN,
# which nobody owns (other_san, in the subshell that switches user), and
# finish reads them, as nobody, each a failed check.
OTHER_SAN=
case ${ASAN_OPTIONS:-}${UBSAN_OPTIONS:-} in
*log_path=*)
	if can_switch_user; then
		OTHER_SAN=$TROOT/other.san
		mkdir -m 700 "$OTHER_SAN" && chown 65534 "$OTHER_SAN" || exit 1
	fi
	;;
esac
other_san() {
	[ -n "$OTHER_SAN" ] || return 0
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}log_path=$OTHER_SAN/asan
	UBSAN_OPTIONS=${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}log_path=$OTHER_SAN/ubsan
	export ASAN_OPTIONS UBSAN_OPTIONS
}
other_san_reports() {
	[ -n "$OTHER_SAN" ] || return 0
	# Where nobody cannot reach it ($TROOT not opened to others), no
	# dipb of theirs wrote there.  As nobody, files only (a FIFO planted
	# there would hang a reader), each read for at most 10 seconds.
	setpriv --reuid=65534 --regid=65534 --clear-groups \
	    test -x "$OTHER_SAN" 2>/dev/null || return 0
	(cd / && setpriv --reuid=65534 --regid=65534 --clear-groups \
	    find "$OTHER_SAN" -mindepth 1 -maxdepth 1 -type f) \
	    >"$TROOT/other.san.list" 2>"$TROOT/other.san.err" ||
	    not_ok 'the reports of dipb run as another user can be listed' \
	    "$(cat "$TROOT/other.san.err")"
	while IFS= read -r _r; do
		not_ok "no sanitizer report of a dipb run as another user ($_r)" \
		    "$(setpriv --reuid=65534 --regid=65534 --clear-groups \
		    timeout 10 head -n 40 "$_r" 2>&1)"
	done <"$TROOT/other.san.list"
}

# 'dipb' on PATH is the binary under test, so that env(1), sh -c and
# background jobs run it too: a link to it, or a copy where the user of
# as_other_user may not reach it (root's clone in /root, mode 700: the
# README's make check as root), so that the checks of another user run
# it, in $TROOT, which they open to others (chmod o+x "$TROOT").
if can_switch_user && ! as_other_user test -x "$DIPB" 2>/dev/null; then
	cp "$DIPB" "$TROOT/bin/dipb" && chmod 755 "$TROOT/bin/dipb" || exit 1
else
	ln -s "$DIPB" "$TROOT/bin/dipb"
fi
# 'python3' is one interpreter, found once (tests/cli/find-python3 says
# which) and linked to: no shell between a script and it, and no version
# manager's shim (pyenv's starts a dozen processes at every call to choose
# it again).  tests/cli/run.sh finds it once for all its scripts
# (DIPB_TEST_PYTHON3).
_py=${DIPB_TEST_PYTHON3:-$(sh "$DIPB_SRCDIR/tests/cli/find-python3")}
if [ -n "$_py" ] && [ -x "$_py" ]; then
	ln -s "$_py" "$TROOT/bin/python3"
fi
unset _py
PATH=$TROOT/bin:$PATH
export PATH

OUT=$TROOT/out		# stdout of the last command run by a check
ERR=$TROOT/err		# its stderr
RC=0			# its exit status
RESULTS=$TROOT/results	# one line per check: counters survive subshells
: >"$RESULTS"
: >"$OUT"
: >"$ERR"

_cleanup() {
	cd /
	if [ -n "${KEEP:-}" ]; then
		echo "# kept $TROOT" >&2
	else
		rm -rf "$TROOT"
	fi
}
trap _cleanup EXIT
trap 'exit 130' INT TERM

# --- Counters ---------------------------------------------------------------

# _count_checks: sets _nchecks to the number of checks so far, the lines of
# $RESULTS, counted by the shell itself (a wc(1) per check was one
# process in seven of review.sh).
_count_checks() {
	_nchecks=0
	while read -r _rline; do
		_nchecks=$((_nchecks + 1))
	done <"$RESULTS"
}

# ok DESC: a check passed.  A DESC with a TAP "# SKIP" directive in it
# counts as skipped (as skip does).
ok() {
	case $1 in
	*'# SKIP'* | *'# skip'*) echo skip >>"$RESULTS" ;;
	*) echo ok >>"$RESULTS" ;;
	esac
	_count_checks
	echo "ok $_nchecks - $1"
}

# skip DESC WHY: a check that cannot run here, because WHY (a tool that is
# not installed); counted as skipped, never as passed.
skip() {
	echo skip >>"$RESULTS"
	_count_checks
	echo "ok $_nchecks - $1 # SKIP $2"
}

# git_at_least MAJOR.MINOR: the git on PATH is that version or later, for
# a check whose oracle is a rule git changed (dipb-git(7) names the
# version).
git_at_least() {
	set -- "${1%%.*}" "${1#*.}" $(git --version |
	    sed -n 's/^git version \([0-9]*\)\.\([0-9]*\).*/\1 \2/p')
	[ "$3" -gt "$1" ] || { [ "$3" -eq "$1" ] && [ "$4" -ge "$2" ]; }
}

# not_ok DESC [WHY...]: each WHY is printed as a "#" line.
not_ok() {
	echo 'not ok' >>"$RESULTS"
	_count_checks
	echo "not ok $_nchecks - $1"
	shift
	for _w in "$@"; do
		printf '%s\n' "$_w" | sed 's/^/#   /'
	done
}

# finish: prints "N passed, N failed, N skipped"; returns 1 if any check
# failed.
finish() {
	other_san_reports
	_p=$(grep -c '^ok$' "$RESULTS")
	_f=$(grep -c '^not ok$' "$RESULTS")
	_k=$(grep -c '^skip$' "$RESULTS")
	echo "$_p passed, $_f failed, $_k skipped"
	if [ $((_p + _f + _k)) -eq 0 ]; then
		echo "# no check ran: a script that checks nothing fails"
		return 1
	fi
	[ "$_f" -eq 0 ]
}

# --- Running commands -------------------------------------------------------

# run CMD...: runs CMD with stdin from /dev/null (or $STDIN), stdout in
# $OUT, stderr in $ERR, exit status in $RC.
run() {
	"$@" <"${STDIN:-/dev/null}" >"$OUT" 2>"$ERR"
	RC=$?
	return 0
}

# What the last command did, for "not ok" lines.
_said() {
	echo "command: $*"
	echo "exit status: $RC"
	if [ -s "$OUT" ]; then
		echo 'stdout:'
		head -n 20 "$OUT"
	fi
	if [ -s "$ERR" ]; then
		echo 'stderr:'
		head -n 20 "$ERR"
	fi
}

# check DESC CMD...: ok if CMD exits 0.
check() {
	_d=$1
	shift
	run "$@"
	if [ "$RC" -eq 0 ]; then
		ok "$_d"
	else
		not_ok "$_d" "$(_said "$@")"
	fi
}

# _status_is N: the last exit status is N ("nonzero": anything but 0).
_status_is() {
	case $1 in
	nonzero) [ "$RC" -ne 0 ] ;;
	*) [ "$RC" -eq "$1" ] ;;
	esac
}

# check_status N DESC CMD...: ok if CMD exits with status N (a number, or
# "nonzero").
check_status() {
	_n=$1 _d=$2
	shift 2
	run "$@"
	if _status_is "$_n"; then
		ok "$_d"
	else
		not_ok "$_d" "expected exit status $_n" "$(_said "$@")"
	fi
}

# check_out DESC EXPECTED CMD...: ok if CMD exits 0 and its stdout is
# EXPECTED (trailing newlines aside).
check_out() {
	_d=$1 _e=$2
	shift 2
	run "$@"
	_o=$(cat "$OUT")
	if [ "$RC" -eq 0 ] && [ "$_o" = "$_e" ]; then
		ok "$_d"
	else
		not_ok "$_d" "expected stdout:" "$_e" "$(_said "$@")"
	fi
}

# check_eq DESC EXPECTED ACTUAL
check_eq() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1" "expected: $2" "actual:   $3"
	fi
}

# check_stdout DESC TEXT: the last command's stdout is exactly TEXT and a
# newline.  check_stderr likewise.
check_stdout() {
	_o=$(cat "$OUT"; echo .)
	check_eq "$1" "$2
." "$_o"
}
check_stderr() {
	_o=$(cat "$ERR"; echo .)
	check_eq "$1" "$2
." "$_o"
}

# check_err DESC TEXT: the last command's stderr contains TEXT.
check_err() {
	if grep -F -q -e "$2" "$ERR"; then
		ok "$1"
	else
		not_ok "$1" "stderr lacks: $2" "stderr was:" "$(head -n 20 "$ERR")"
	fi
}

# check_err_re DESC ERE: a line of the last command's stderr matches ERE.
check_err_re() {
	if grep -E -q -e "$2" "$ERR"; then
		ok "$1"
	else
		not_ok "$1" "no stderr line matches: $2" "stderr was:" \
		    "$(head -n 20 "$ERR")"
	fi
}

# check_file_has DESC FILE ERE
check_file_has() {
	if grep -E -q -e "$3" "$2"; then
		ok "$1"
	else
		not_ok "$1" "$2 has no line matching: $3"
	fi
}

# check_man_lint DESC FILE: mandoc -Tlint -Wwarning finds nothing in the
# man page FILE, not a warning either, but a date "in the future": a page
# dated today is one only of a clock behind the board's dates.  Skipped
# without mandoc.
check_man_lint() {
	if ! command -v mandoc >/dev/null 2>&1; then
		skip "$1" 'no mandoc'
		return
	fi
	check "$1" sh -c '! mandoc -Tlint -Wwarning "$1" 2>&1 |
	    grep -v "date in the future" | grep .' sh "$2"
}

# --- Shared set-ups ----------------------------------------------------------

# html5lib_python: sets PY to a python3 with html5lib (Debian's, when PATH
# has another one first), checked as one ok or not_ok line.
html5lib_python() {
	PY=
	for _p in python3 /usr/bin/python3; do
		if "$_p" -c 'import html5lib' 2>/dev/null; then
			PY=$_p
			break
		fi
	done
	if [ -n "$PY" ]; then
		ok "a python3 with html5lib: $PY"
	else
		not_ok "a python3 with html5lib (apt-get install python3-html5lib)"
		PY=python3
	fi
}

# demo_board DIR: the example board of examples/demo.sh, built in DIR, and
# cd to it; the script ends there (finish, exit 1) if it cannot be built.
demo_board() {
	if DIPB="$DIPB" DIPB_DEMO_DIR="$1" sh "$DIPB_SRCDIR/examples/demo.sh" \
	    >"$TROOT/demo.out" 2>&1; then
		ok 'examples/demo.sh builds the example board'
	else
		not_ok 'examples/demo.sh builds the example board' \
		    "$(tail -n 20 "$TROOT/demo.out")"
		finish
		exit 1
	fi
	cd "$1" || exit 1
}

# --- The test board ---------------------------------------------------------

# member KEY: prints "Name|email" of a member of the test board (outsider
# is not a member).
member() {
	case $1 in
	chair)		echo 'Clara Chair|chair@example.org' ;;
	secretary)	echo 'Sam Secretary|secretary@example.org' ;;
	icdrafter)	echo 'Ida Drafter|ida@example.org' ;;
	drafter)	echo 'Dan Drafter|dan@example.org' ;;
	rev1)		echo 'Rita Reviewer|rita@example.org' ;;
	rev2)		echo 'Rolf Reviewer|rolf@example.org' ;;
	rev3)		echo 'Roza Reviewer|roza@example.org' ;;
	outsider)	echo 'Otto Outsider|otto@example.org' ;;
	*)		echo "lib.sh: no member '$1'" >&2; return 1 ;;
	esac
}

# The test board: chair, secretary, a drafter for industrial-capacity only
# (icdrafter), a drafter for every group (drafter), three reviewers of whom
# rev3 also drafts for supply-chain-security; quorum 2.
cat >"$TROOT/board.yaml" <<'EOF'
board: Test Production Board
short_name: TB
submit_to: National Armaments Directors
working_groups:
  - key: industrial-capacity
    prefix: IC
    name: Industrial Capacity
  - key: supply-chain-security
    prefix: SCS
    name: Supply Chain Security
  - key: standardisation-interoperability
    prefix: SI
    name: Standardisation and Interoperability
classifications:
  - NATO UNCLASSIFIED
  - NATO RESTRICTED
review:
  quorum: 2
members:
  - name: Clara Chair
    email: chair@example.org
    nation: NL
    roles: [chair]
  - name: Sam Secretary
    email: secretary@example.org
    roles: [secretary]
  - name: Ida Drafter
    email: ida@example.org
    nation: NL
    roles: [drafter]
    working_groups: [industrial-capacity]
  - name: Dan Drafter
    email: dan@example.org
    nation: DK
    roles: [drafter]
  - name: Rita Reviewer
    email: rita@example.org
    nation: FR
    roles: [reviewer]
  - name: Rolf Reviewer
    email: rolf@example.org
    nation: DE
    roles: [reviewer]
  - name: Roza Reviewer
    email: roza@example.org
    nation: PL
    roles: [reviewer, drafter]
    working_groups: [supply-chain-security]
EOF
BOARD_CONFIG=$TROOT/board.yaml

# as KEY: the following commands act as member KEY (sets GIT_AUTHOR_* and
# GIT_COMMITTER_*; ACTOR_NAME and ACTOR_EMAIL say who that is).
as() {
	_m=$(member "$1") || return 1
	ACTOR_NAME=${_m%%|*}
	ACTOR_EMAIL=${_m#*|}
	GIT_AUTHOR_NAME=$ACTOR_NAME
	GIT_AUTHOR_EMAIL=$ACTOR_EMAIL
	GIT_COMMITTER_NAME=$ACTOR_NAME
	GIT_COMMITTER_EMAIL=$ACTOR_EMAIL
	export GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME \
	    GIT_COMMITTER_EMAIL
}

# nobody: no identity in the environment.
nobody() {
	unset GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME \
	    GIT_COMMITTER_EMAIL ACTOR_NAME ACTOR_EMAIL
}

# at YYYY-MM-DD: the following commands happen at noon UTC of that day.
at() {
	GIT_AUTHOR_DATE="$1T12:00:00+00:00"
	GIT_COMMITTER_DATE=$GIT_AUTHOR_DATE
	export GIT_AUTHOR_DATE GIT_COMMITTER_DATE
}

# today: dates are the real ones again.
today() {
	unset GIT_AUTHOR_DATE GIT_COMMITTER_DATE
}

# new_board [NAME]: a fresh git repository in the temporary directory made
# a board by 'dipb init --config' as the chair; cds into it ($BOARD).
# Leaves the identity set to the chair.
new_board() {
	BOARD=$(mktemp -d "$TROOT/${1:-board}.XXXXXX")
	cd "$BOARD" || return 1
	git init -q
	as chair
	run dipb init --config "$BOARD_CONFIG"
	if [ "$RC" -ne 0 ]; then
		not_ok "new_board: dipb init --config" "$(_said dipb init)"
		return 1
	fi
}

# --- Queries through git ----------------------------------------------------

ntags() { git tag -l | wc -l | tr -d ' '; }
ncommits() { git rev-list --count HEAD 2>/dev/null || echo 0; }
head_rev() { git rev-parse -q --verify HEAD || echo none; }

# trailer KEY [REV]: the value of trailer KEY of REV's message.
trailer() {
	git log -1 --format="%(trailers:key=$1,valueonly,separator=%x2C)" \
	    "${2:-HEAD}" | sed '/^$/d'
}

# field ID KEY [REV]: the value of top-level key KEY of record ID at REV
# (default HEAD), as git has it.
field() {
	git show "${3:-HEAD}:recommendations/$1.yaml" 2>/dev/null |
	    sed -n "s/^$2: *//p" | sed "s/^'\(.*\)'\$/\1/; s/^\"\(.*\)\"\$/\1/"
}

status_of() { field "$1" status; }

# sedit FILE SED-SCRIPT: a hand edit of FILE (keeps the file's inode).
sedit() {
	sed "$2" "$1" >"$TROOT/sedit.tmp" && cat "$TROOT/sedit.tmp" >"$1"
	rm -f "$TROOT/sedit.tmp"
}

# json_ok FILE: FILE is valid JSON.
# under_vlimit KB CMD...: run CMD under ulimit -v KB.  A sanitizer that
# cannot map its shadow memory under the limit says so on the command's
# standard error (log_path), not as a report of its own that
# tests/cli/run.sh would count as a finding: the caller skips then.
under_vlimit() {
	_kb=$1
	shift
	run env ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}log_path=stderr" \
	    sh -c 'ulimit -v "$1" && shift && exec "$@"' sh "$_kb" "$@"
}

# check_nofile DESC CMD...: CMD under each limit on open files from 4 to
# 16 (ulimit -n) says what it says without one, output and exit status,
# or exits 5 (too many open files): never a shorter answer, nor findings
# made of what it could not open.
check_nofile() {
	_d=$1
	shift
	run "$@"
	_ref=$RC
	cp "$OUT" "$TROOT/nofile.ref"
	_why=
	for _n in 4 5 6 7 8 9 10 12 16; do
		run sh -c 'ulimit -n "$1" && shift && exec "$@"' sh "$_n" "$@"
		if [ "$RC" -ne 5 ] && { [ "$RC" -ne "$_ref" ] ||
		    ! cmp -s "$OUT" "$TROOT/nofile.ref"; }; then
			_why="ulimit -n $_n: exit $RC, not 5 nor exit $_ref and the output as without it"
			break
		fi
	done
	if [ -z "$_why" ]; then
		ok "$_d"
	else
		not_ok "$_d" "$_why" "$(_said "$@")"
	fi
}

# shim NAME SOURCE: $TROOT/NAME.so built from the C SOURCE, to run dipb
# with (env LD_PRELOAD="$TROOT/NAME.so" ASAN_OPTIONS="$SHIM_ASAN" dipb ...):
# a function of libc's or libgit2's made to fail as it does when memory
# runs out, which no limit of the shell's makes happen where it is
# wanted.  Exit status 1 when there is no C compiler: the caller skips;
# a compiler that refuses the source (a header of another libgit2, say)
# is a failed check, and exit status 1 too.  A sanitizer's runtime is
# told to accept coming after it.
SHIM_ASAN=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0
shim() {
	command -v "${CC:-cc}" >/dev/null 2>&1 || return 1
	printf '%s\n' "$2" >"$TROOT/$1.c" || return 1
	if ! ${CC:-cc} -shared -fPIC -o "$TROOT/$1.so" "$TROOT/$1.c" -ldl \
	    >"$TROOT/$1.cc.out" 2>&1; then
		# A compiler that refuses the shim is the test's defect.
		not_ok "the shim $1 compiles" "$(head -n 20 "$TROOT/$1.cc.out")"
		return 1
	fi
}

json_ok() { python3 -c 'import json,sys; json.load(sys.stdin)' <"$1"; }

# --- Snapshots: "nothing was written" ---------------------------------------

# snapshot: remembers every ref, the index and the working tree state,
# and sets S_HEAD (the commit of HEAD, or none).  Two git processes: the
# refs (the tags among them: $TROOT/tags.before), and 'git status
# --porcelain=v2 --branch', which names HEAD's commit and, for every path
# where the index differs from HEAD or the working tree, the index's mode
# and object; with HEAD unchanged, an unchanged status is an unchanged
# index too.
snapshot() {
	git for-each-ref --format='%(refname) %(objectname)' >"$TROOT/refs.before"
	sed -n 's,^refs/tags/\([^ ]*\) .*,\1,p' "$TROOT/refs.before" \
	    >"$TROOT/tags.before"
	git status --porcelain=v2 --branch --untracked-files=all \
	    >"$TROOT/status.before" 2>/dev/null
	S_HEAD=$(sed -n 's/^# branch\.oid \([0-9a-f][0-9a-f]*\)$/\1/p' \
	    "$TROOT/status.before")
	[ -n "$S_HEAD" ] || S_HEAD=none
}

# _unchanged: prints what changed since snapshot; empty if nothing.
_unchanged() {
	git for-each-ref --format='%(refname) %(objectname)' >"$TROOT/refs.after"
	git status --porcelain=v2 --branch --untracked-files=all \
	    >"$TROOT/status.after" 2>/dev/null
	cmp -s "$TROOT/refs.before" "$TROOT/refs.after" ||
	    echo "refs changed: $(diff "$TROOT/refs.before" "$TROOT/refs.after" | grep '^[<>]' | tr '\n' ' ')"
	cmp -s "$TROOT/status.before" "$TROOT/status.after" ||
	    echo "git status (HEAD, index or files) changed: $(diff "$TROOT/status.before" "$TROOT/status.after" | grep '^[<>]' | tr '\n' ' ')"
}

# check_unchanged DESC: no ref, index entry or file changed since snapshot.
check_unchanged() {
	_u=$(_unchanged)
	if [ -z "$_u" ]; then
		ok "$1"
	else
		not_ok "$1" "$_u"
	fi
}

# check_refused N TEXT DESC CMD...: CMD exits N (or "nonzero"), says TEXT
# on stderr (unless TEXT is empty), and writes nothing: no ref, index
# entry or file changes.
check_refused() {
	_n=$1 _t=$2 _d=$3
	shift 3
	snapshot
	run "$@"
	_why=
	_status_is "$_n" || _why="expected exit status $_n"
	if [ -n "$_t" ] && ! grep -F -q -e "$_t" "$ERR"; then
		_why="$_why${_why:+; }stderr lacks: $_t"
	fi
	_u=$(_unchanged)
	[ -z "$_u" ] || _why="$_why${_why:+; }$_u"
	if [ -z "$_why" ]; then
		ok "$_d"
	else
		not_ok "$_d" "$_why" "$(_said "$@")"
	fi
}

# --- The git contract of one state change -----------------------------------

# check_change TAG STATUS SUBJECT CMD...
#
# CMD (run as the current identity, $ACTOR_EMAIL) must exit 0 having made
# exactly one new commit on the branch, child of the old tip, touching
# exactly one file, and exactly one new tag, TAG, annotated, on that
# commit, with the actor as tagger, author and committer; it prints TAG
# alone on a line of stderr; the commit's trailers are Dipb-Record,
# Dipb-Event and (if STATUS is not empty) Dipb-Status: STATUS; its subject
# is SUBJECT (unless empty).  Unless CLEAN=0, 'git status --porcelain' is
# empty afterwards.
check_change() {
	_tag=$1 _st=$2 _subj=$3
	shift 3
	snapshot
	run "$@"
	if [ "$RC" -ne 0 ]; then
		not_ok "$_tag: $*" "$(_said "$@")"
		return 1
	fi
	_why=
	_add() { _why="$_why${_why:+
}$1"; }
	# Three git processes: the new commit (its parents, people, subject,
	# trailers and the files it touches), the tags, the working tree.
	git log -1 --no-show-signature --name-only --format='%H%n%P%n%ae %ce%n%s%n%(trailers:key=Dipb-Record,valueonly,separator=%x2C)%n%(trailers:key=Dipb-Event,valueonly,separator=%x2C)%n%(trailers:key=Dipb-Status,valueonly,separator=%x2C)%n--' \
	    HEAD >"$TROOT/change" 2>/dev/null
	# Its lines, read by the shell (no process per field).
	{
		IFS= read -r _head
		IFS= read -r _parents
		IFS= read -r _people
		IFS= read -r _subject
		IFS= read -r _trec
		IFS= read -r _tev
		IFS= read -r _tst
		_files= _nfiles=0
		while IFS= read -r _cfile; do
			case $_cfile in
			'' | --) continue ;;
			esac
			_files="$_files${_files:+ }$_cfile"
			_nfiles=$((_nfiles + 1))
		done
	} <"$TROOT/change"
	# One parent, the old tip: exactly one new commit on the branch.
	[ "$_parents" = "$S_HEAD" ] ||
	    _add "HEAD's parents are '$_parents', expected the old tip alone"
	[ "$_nfiles" = 1 ] || _add "commit touches: $_files"
	git for-each-ref \
	    --format='%(refname:strip=2) %(objecttype) %(*objectname) %(taggeremail)' \
	    refs/tags >"$TROOT/tagrefs"
	cut -d ' ' -f 1 "$TROOT/tagrefs" >"$TROOT/tags.after"
	_new=$(comm -13 "$TROOT/tags.before" "$TROOT/tags.after")
	_gone=$(comm -23 "$TROOT/tags.before" "$TROOT/tags.after")
	[ "$_new" = "$_tag" ] || _add "new tags: '$(echo $_new)', expected $_tag"
	[ -z "$_gone" ] || _add "tags gone: $(echo $_gone)"
	_t=$(awk -v t="$_tag" '$1 == t { print $2, $3, $4 }' "$TROOT/tagrefs")
	case $_t in
	"tag "*) ;;
	*) _add "$_tag is not an annotated tag" ;;
	esac
	_tc=${_t#* }
	_te=${_tc#* }
	_tc=${_tc%% *}
	[ -n "$_head" ] && [ "$_tc" = "$_head" ] || _add "$_tag is not on HEAD"
	[ "$_te" = "<$ACTOR_EMAIL>" ] || _add "tagger $_te, expected <$ACTOR_EMAIL>"
	[ "$_people" = "$ACTOR_EMAIL $ACTOR_EMAIL" ] ||
	    _add "author/committer $_people, expected $ACTOR_EMAIL"
	grep -F -x -q -e "$_tag" "$ERR" || _add "stderr lacks the line $_tag"
	_rec=${_tag%%/*}
	_ev=${_tag#*/}
	_ev=${_ev#*-}
	[ "$_trec" = "$_rec" ] ||
	    _add "Dipb-Record: '$_trec', expected $_rec"
	[ "$_tev" = "$_ev" ] ||
	    _add "Dipb-Event: '$_tev', expected $_ev"
	if [ -n "$_st" ]; then
		[ "$_tst" = "$_st" ] ||
		    _add "Dipb-Status: '$_tst', expected $_st"
	fi
	if [ -n "$_subj" ]; then
		[ "$_subject" = "$_subj" ] ||
		    _add "subject '$_subject', expected '$_subj'"
	fi
	if [ "${CLEAN:-1}" = 1 ]; then
		_p=$(git status --porcelain --untracked-files=all)
		[ -z "$_p" ] || _add "git status --porcelain: $(echo $_p)"
	fi
	if [ -z "$_why" ]; then
		ok "$_tag: one commit, one file, one tag by $ACTOR_EMAIL"
	else
		not_ok "$_tag: $*" "$_why" "$(_said "$@")"
	fi
}

# check_fsck [DESC]: git fsck --strict finds nothing (dangling objects
# aside: they are not damage, and the tests' own git commands make some).
check_fsck() {
	if git fsck --strict --no-dangling --no-progress >"$TROOT/fsck" 2>&1 &&
	    ! grep -q . "$TROOT/fsck"; then
		ok "${1:-git fsck --strict is clean}"
	else
		not_ok "${1:-git fsck --strict is clean}" "$(head -n 20 "$TROOT/fsck")"
	fi
}

# check_history DESC: every commit after the board's first has exactly one
# tag, and every tag is on a distinct commit of the branch (nothing
# half-done, nothing lost).
check_history() {
	_nc=$(git rev-list --count HEAD)
	_nt=$(ntags)
	_why=
	[ "$_nc" = "$_nt" ] || _why="$_nc commits but $_nt tags"
	git for-each-ref --format='%(*objectname)' refs/tags | sort >"$TROOT/tagged"
	_d=$(sort -u "$TROOT/tagged" | wc -l | tr -d ' ')
	[ "$_d" = "$_nt" ] || _why="$_why${_why:+; }$_nt tags on $_d commits"
	git rev-list HEAD | sort >"$TROOT/onbranch"
	_off=$(comm -23 "$TROOT/tagged" "$TROOT/onbranch" | wc -l | tr -d ' ')
	[ "$_off" = 0 ] || _why="$_why${_why:+; }$_off tags off the branch"
	if [ -z "$_why" ]; then
		ok "$1"
	else
		not_ok "$1" "$_why"
	fi
}

# check_git_agrees DESC: git itself, in the setting the caller set up (its
# GIT_* variables, its current directory), finds the board whole:
# 'git fsck --strict' is clean, 'git status --porcelain' is empty, the
# index ('git ls-files -s') holds exactly HEAD's tree ('git ls-tree -r
# HEAD'), modes and objects alike, and 'dipb verify' passes.  Set
# ORACLE_STATUS_OPTS to pass options to git status (-uno where the
# set-up leaves untracked files of its own).
check_git_agrees() {
	_why=
	git fsck --strict --no-dangling --no-progress >"$TROOT/fsck" 2>&1 &&
	    ! grep -q . "$TROOT/fsck" ||
	    _why="git fsck --strict: $(head -n 5 "$TROOT/fsck" | tr '\n' ' ')"
	_p=$(git status --porcelain ${ORACLE_STATUS_OPTS:-} 2>&1)
	[ -z "$_p" ] || _why="$_why${_why:+; }git status --porcelain: $(echo $_p)"
	git ls-files -s 2>&1 | awk '{ print $1, $2, $4 }' >"$TROOT/lsfiles"
	git ls-tree -r --full-tree HEAD 2>&1 | awk '{ print $1, $3, $4 }' \
	    >"$TROOT/lstree"
	cmp -s "$TROOT/lsfiles" "$TROOT/lstree" ||
	    _why="$_why${_why:+; }index and HEAD differ: $(diff "$TROOT/lstree" "$TROOT/lsfiles" | grep '^[<>]' | head -n 5 | tr '\n' ' ')"
	dipb verify >"$TROOT/verify" 2>&1 ||
	    _why="$_why${_why:+; }dipb verify: $(head -n 5 "$TROOT/verify" | tr '\n' ' ')"
	if [ -z "$_why" ]; then
		ok "$1"
	else
		not_ok "$1" "$_why"
	fi
}

# --- Hostile text, by git alone ---------------------------------------------

# hostile ID: HEAD's commit, made by dipb, and its tag are made again by
# git with every @ESC@, @CSI@ (U+009B), @BEL@, @DEL@, @TAB@, @LS@ and @PS@
# (U+2028, U+2029) in record ID, in the commit's message and in the tag's
# made that character.  dipb refuses to write a control character into a
# record (dipb-validate(1), control-character): a record that holds one
# comes from git, from a commit made by hand or by an older dipb.  The record stays canonical
# but for the fields that now hold one, double-quoted as dipb writes them.
hostile() {
	_f=recommendations/$1.yaml
	[ -f "$_f" ] || _f=$(git ls-files "recommendations/*/$1.yaml")
	_t=$(git tag --points-at HEAD | head -n 1)
	python3 - "$_f" "$TROOT/hostile.msg" "$TROOT/hostile.tag" "$_t" <<'PYEOF' || return 1
import re, subprocess, sys
CH = {"@ESC@": "\x1b", "@CSI@": "\u009b", "@BEL@": "\x07", "@DEL@": "\x7f",
      "@TAB@": "\t", "@LS@": "\u2028", "@PS@": "\u2029"}
def sub(s):
    for k, v in CH.items():
        s = s.replace(k, v)
    return s
def quote(s):
    o = []
    for c in s:
        if c in '"\\':
            o.append("\\" + c)
        elif c == "\n":
            o.append("\\n")
        elif c == "\t":
            o.append("\\t")
        elif c == "\x1b":
            o.append("\\e")
        elif c in "\u2028\u2029":
            o.append("\\L" if c == "\u2028" else "\\P")
        elif ord(c) < 0x20 or 0x7f <= ord(c) <= 0x9f:
            o.append("\\x%02x" % ord(c))
        else:
            o.append(c)
    return '"' + "".join(o) + '"'
path, msg, tag, name = sys.argv[1:5]
lines = open(path, encoding="utf-8").read().split("\n")
out, i = [], 0
key = re.compile(r"^(\s*(?:- )?)([a-z_]+): (.*)$")
while i < len(lines):
    m = key.match(lines[i])
    if m is None:
        out.append(lines[i])
        i += 1
        continue
    head, k, v = m.groups()
    j = i + 1
    if v in ("|", "|-", "|+"):
        # A literal block: its lines are indented past the key.
        ind = len(head) + 2
        while j < len(lines) and (lines[j] == "" or
                lines[j].startswith(" " * ind)):
            j += 1
        while j > i + 1 and lines[j - 1] == "":
            j -= 1
        text = "\n".join(l[ind:] for l in lines[i + 1:j])
        text += "" if v == "|-" else "\n"
    elif v.startswith("'"):
        text = v[1:-1].replace("''", "'")
    else:
        text = v
    if "@" in text and sub(text) != text:
        out.append("%s%s: %s" % (head, k, quote(sub(text))))
    else:
        out.extend(lines[i:j])
    i = j
open(path, "w", encoding="utf-8").write("\n".join(out))
m = subprocess.run(["git", "log", "-1", "--format=%B"], capture_output=True,
                   text=True, check=True).stdout
open(msg, "w", encoding="utf-8").write(sub(m))
if name:
    t = subprocess.run(["git", "tag", "-l", "--format=%(contents)", name],
                       capture_output=True, text=True, check=True).stdout
    open(tag, "w", encoding="utf-8").write(sub(t))
PYEOF
	git add "$_f" && git commit -q --amend --cleanup=verbatim \
	    -F "$TROOT/hostile.msg" || return 1
	[ -z "$_t" ] || git tag -f -a --cleanup=verbatim \
	    -F "$TROOT/hostile.tag" "$_t" HEAD >/dev/null
}

# --- Driving records --------------------------------------------------------

# mkrec WG TITLE: a new draft by the current identity; prints its id.
mkrec() {
	dipb recommend --wg "$1" --title "$2" --no-edit \
	    --summary "Summary of $2." </dev/null 2>>"$TROOT/setup.err"
}

# drive ID STATE: takes draft ID to STATE (in-review, endorsed, submitted,
# decided, returned, withdrawn) with the test board's members, in a
# subshell so the caller's identity is kept.  A failed step is a not ok.
drive() {
	(
		_id=$1
		_step() {
			as "$1"
			shift
			run "$@"
			if [ "$RC" -ne 0 ]; then
				not_ok "drive $_id: $*" "$(_said "$@")"
				exit 1
			fi
		}
		case $2 in
		withdrawn)
			_step secretary dipb withdraw "$_id" -m 'No longer needed.'
			exit 0 ;;
		esac
		_step drafter dipb review "$_id" --request
		case $2 in
		in-review) exit 0 ;;
		returned)
			_step rev1 dipb review "$_id" --request-changes \
			    -m 'Please add evidence.'
			exit 0 ;;
		esac
		_step rev1 dipb review "$_id" --endorse
		_step rev2 dipb review "$_id" --endorse
		[ "$2" = endorsed ] && exit 0
		_step secretary dipb submit "$_id" --reference REF-1
		[ "$2" = submitted ] && exit 0
		_step secretary dipb decide "$_id" --outcome agreed
		exit 0
	)
}

# jshow ID PYEXPR: evaluates the Python expression PYEXPR on d, record ID as
# 'dipb show ID --format json' gives it; prints a string as it is, anything
# else as JSON, an exception as <error: ...>.
jshow() {
	dipb show "$1" --format json 2>/dev/null | python3 -c '
import json, sys
try:
    d = json.load(sys.stdin)
    v = eval(sys.argv[1])
except Exception as e:
    print("<error: %r>" % e)
    sys.exit(0)
print(v.strip() if isinstance(v, str) else json.dumps(v))' "$2"
}

# verify_clean DESC: dipb verify exits 0 and prints nothing.
verify_clean() {
	run dipb verify
	if [ "$RC" -eq 0 ] && [ ! -s "$OUT" ]; then
		ok "$1"
	else
		not_ok "$1" "$(_said dipb verify)"
	fi
}

# check_rule DESC RULE [ERE] [ARGS...]: 'dipb verify ARGS' exits 1 and
# reports a finding of rule RULE whose line matches ERE.
check_rule() {
	_d=$1 _r=$2 _e=${3:-.}
	if [ $# -ge 3 ]; then shift 3; else shift $#; fi
	run dipb verify "$@"
	if [ "$RC" -eq 1 ] && grep -E -e " \[$_r\]\$" "$OUT" |
	    grep -E -q -e "$_e"; then
		ok "$_d: [$_r]"
	else
		not_ok "$_d: [$_r]" "expected a finding [$_r] matching: $_e" \
		    "$(_said dipb verify "$@")"
	fi
}

# scenario NAME: a copy of the clean board $CLEAN in $TROOT/NAME, made the
# current directory.
# racy_edit: f.txt committed, its index entry taken at $S.1, the index
# written at $S.2 and the user's edit (the same size) at $S.5, so that
# the race is certain: git sees the edit by its content alone
# (core.trustctime false: not by its ctime either).
racy_edit() {
	git config core.trustctime false
	echo aaa >f.txt
	touch -d "@$S.1" f.txt
	git add f.txt && git commit -q -m f
	touch -d "@$S.2" "$(git rev-parse --git-path index)"
	echo bbb >f.txt
	touch -d "@$S.5" f.txt
}

scenario() {
	cd "$TROOT" && rm -rf "$TROOT/$1" && cp -a "$CLEAN" "$TROOT/$1" &&
	    cd "$TROOT/$1"
}

# forge_subject ID EVENT: the subject dipb writes for the change EVENT
# of ID by $ACTOR_NAME (dipb-workflow(7)), where it says no more than the
# names, the count of endorsements and, for a migration or a meeting,
# what is staged; "ID: EVENT by NAME", which dipb verify reports
# (subject), for the others.
forge_subject() {
	case $2 in
	drafted|edited|recalled|withdrawn)
		echo "$1: $2 by $ACTOR_NAME" ;;
	review-requested)
		echo "$1: review requested by $ACTOR_NAME" ;;
	reviewed|endorsed)
		echo "$1: endorsed by $ACTOR_NAME (1/2)" ;;
	created|changed)
		echo "board: $2 by $ACTOR_NAME" ;;
	migrated)
		_m=$(git diff --cached -M --name-status -- recommendations |
		    grep -c '^R')
		_l=$(git show :dipb.yaml | sed -n 's/^layout: *//p')
		[ "$_m" = 1 ] && _s= || _s=s
		echo "board: $_m record$_s moved to the ${_l:-flat} layout by $ACTOR_NAME" ;;
	held)
		_d=$(git diff --cached --name-only -- meetings |
		    sed -n 's|^meetings/\(.*\)\.yaml$|\1|p' | head -1)
		echo "meeting: $_d held, recorded by $ACTOR_NAME" ;;
	*)
		echo "$1: $2 by $ACTOR_NAME" ;;
	esac
}

# forge ID EVENT STATUS WHO: commits what is staged as WHO, with the
# subject (SUBJECT, else forge_subject's) and trailers dipb would write
# (no Dipb-Status when STATUS is empty), and tags it ID/N-EVENT,
# annotated, N one more than ID's tags (not with NOTAG=1).
forge() {
	as "$4"
	_n=$(($(git tag -l "$1/*" | wc -l) + 1))
	_subject=${SUBJECT:-$(forge_subject "$1" "$2")}
	git commit -q -m "$_subject" -m "Dipb-Record: $1
Dipb-Event: $2${3:+
Dipb-Status: $3}" || return 1
	[ "${NOTAG:-0}" = 1 ] ||
	    git tag -a -m "$_subject" "$1/$_n-$2"
}

# wait_stopped PID: waits (30 s at most) until the process PID is
# stopped, as DIPB_FAULT=POINT:stop leaves a dipb at POINT.
wait_stopped() {
	_n=0
	while [ "$(ps -o stat= -p "$1" 2>/dev/null | cut -c 1)" != T ] &&
	    [ $_n -lt 600 ]; do
		sleep 0.05
		_n=$((_n + 1))
	done
}

# loose_reached: the loose objects of the repository in . that a ref
# reaches (its reflogs aside), one id a line; what git gc leaves loose is
# only what nothing reaches.
loose_reached() {
	find .git/objects -path '*/objects/[0-9a-f][0-9a-f]/*' -type f |
	    sed 's,.*/\([0-9a-f][0-9a-f]\)/,\1,' | sort >"$TROOT/loose"
	git fsck --unreachable --no-reflogs --no-progress 2>/dev/null |
	    sed -n 's/^unreachable [a-z]* //p' | sort >"$TROOT/unreachable"
	comm -23 "$TROOT/loose" "$TROOT/unreachable"
}

# loose17 N: writes a loose blob that nothing reaches and whose id starts
# with 17, git's sample of the loose objects for gc.auto (git-gc(1)); N
# picks one of many.
loose17() {
	python3 -c 'import hashlib, sys
n = int(sys.argv[1]) * 1000000
while True:
	b = b"loose %d\n" % n
	if hashlib.sha1(b"blob %d\0" % len(b) + b).hexdigest().startswith("17"):
		sys.stdout.buffer.write(b)
		break
	n += 1' "$1" | git hash-object -w --stdin >/dev/null
}

# --- A board on a server ----------------------------------------------------

# The awk function draft_body(id, i): the file of draft IC-000i (id) of
# Dan Drafter's, as fast_drafts and import_register write it.
_draft_body='function draft_body(id, i) {
	return "id: " id "\ntitle: Record " i "\nworking_group: " \
	    "industrial-capacity\nstatus: draft\nclassification: NATO " \
	    "UNCLASSIFIED\npriority: medium\ncreated: 2026-01-01\n" \
	    "updated: 2026-01-01\nauthor: dan@example.org\n" \
	    "summary: |\n  Summary " i ".\n"
}'

# fast_drafts N [sharded]: N drafts IC-0001.. by Dan Drafter on main, one
# commit and one drafted tag each, written by git fast-import (a long
# history in a second, where dipb recommend would take minutes), checked
# out; in the sharded layout of dipb-board(5) when asked (IC/00/...).
fast_drafts() {
	awk -v date=1767261600 -v n="$1" -v sharded="${2:-}" "$_draft_body"'
	BEGIN {
		for (i = 1; i <= n; i++) {
			id = sprintf("IC-%04d", i)
			body = draft_body(id, i)
			msg = id ": drafted by Dan Drafter\n\nDipb-Record: " id \
			    "\nDipb-Event: drafted\nDipb-Status: none -> draft\n"
			printf "commit refs/heads/main\nmark :%d\n", i
			printf "author Dan Drafter <dan@example.org> %d +0000\n", date + i
			printf "committer Dan Drafter <dan@example.org> %d +0000\n", date + i
			printf "data %d\n%s\n", length(msg), msg
			if (i == 1)
				printf "from refs/heads/main^0\n"
			digits = substr(id, 4)
			dir = sharded == "" ? "" : "IC/" \
			    substr(digits, 1, length(digits) - 2) "/"
			printf "M 100644 inline recommendations/%s%s.yaml\n", \
			    dir, id
			printf "data %d\n%s\n", length(body), body
			printf "tag %s/1-drafted\nfrom :%d\n", id, i
			printf "tagger Dan Drafter <dan@example.org> %d +0000\n", date + i
			t = id ": drafted by Dan Drafter\n"
			printf "data %d\n%s\n", length(t), t
		}
	}' | git fast-import --quiet && git reset -q --hard main
}

# import_register N: a register of N records (IC-0001...) added to main by
# one plain git commit of Ann Importer's, "Import the register", written
# by git fast-import (in seconds where N dipb recommends would take an
# hour), checked out.
import_register() {
	awk -v n="$1" "$_draft_body"'
	BEGIN {
		printf "commit refs/heads/main\n"
		printf "author Ann Importer <ann@example.org> 1767261600 +0000\n"
		printf "committer Ann Importer <ann@example.org> 1767261600 +0000\n"
		printf "data 19\nImport the register\nfrom refs/heads/main^0\n"
		for (i = 1; i <= n; i++) {
			id = sprintf("IC-%04d", i)
			body = draft_body(id, i)
			printf "M 100644 inline recommendations/%s.yaml\n", id
			printf "data %d\n%s\n", length(body), body
		}
	}' | git fast-import --quiet && git reset -q --hard main
}

# A starting gate, so that background processes start at one moment
# without polling for a file (a 'sleep' process every 10 ms in each
# waiting job cost race.sh a tenth of its CPU).  gate_new DIR makes the
# FIFO DIR/gate and holds it open in this shell (fd 7), so that a job's
# gate_wait never blocks on opening it and a job started late still finds
# its line; gate_open DIR N writes N lines, one for each job waiting in
# gate_wait DIR; gate_close, after the jobs are waited for, lets it go.
gate_new() { mkfifo "$1/gate" && exec 7<>"$1/gate"; }
gate_wait() { exec 7>&-; read -r _gate <"$1/gate"; }
gate_open() {
	_g=0
	while [ "$_g" -lt "$2" ]; do
		echo go
		_g=$((_g + 1))
	done >&7
}
gate_close() { exec 7>&-; }

# share_board BARE: the current board (its branch main and every tag)
# pushed to a new bare repository BARE, set up as a board's server is
# (README, "Enforcing it on the server"): examples/pre-receive as its
# hook, dipb.branch main.  Checked as one ok or not_ok line; returns 1 if
# it could not be made.
share_board() {
	if git init -q --bare "$1" &&
	    git push -q "$1" main 'refs/tags/*:refs/tags/*' \
	    >"$TROOT/share.err" 2>&1 &&
	    git -C "$1" config dipb.branch main &&
	    cp "$DIPB_SRCDIR/examples/pre-receive" "$1/hooks/pre-receive" &&
	    chmod +x "$1/hooks/pre-receive"; then
		ok "set-up: the board shared as $(basename "$1"), with the pre-receive hook"
	else
		not_ok "set-up: the board shared as $1" "$(cat "$TROOT/share.err")"
		return 1
	fi
}

# share_two NAME: the current board shared as $TROOT/NAME.git
# (share_board, in $SRV) and two clones of it, $A and $B
# ($TROOT/NAME-a and -b).  Returns 1, after a not_ok, if they could not be
# made.
share_two() {
	SRV=$TROOT/$1.git
	share_board "$SRV" || return 1
	A=$TROOT/$1-a B=$TROOT/$1-b
	if ! git clone -q "file://$SRV" "$A" </dev/null 2>/dev/null ||
	    ! git clone -q "file://$SRV" "$B" </dev/null 2>/dev/null; then
		not_ok "$1: two clones of the server"
		return 1
	fi
}

# free_port: prints a TCP port of 127.0.0.1 that nothing listens on now.
free_port() {
	python3 -c '
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()' 2>/dev/null || echo $((20000 + $$ % 20000))
}

# daemon_start BASE REPO: git daemon serving the repositories under BASE
# on 127.0.0.1, on a free port, every one exported, pushes allowed (so
# they run the repositories' hooks), until daemon_stop or the script's
# exit; waits until it serves BASE/REPO.  Sets DAEMON_URL
# (git://127.0.0.1:PORT) and DAEMON_PID.  Returns 1 with DAEMON_WHY set
# when git daemon is not installed or would not start: the caller skips
# what needs it, with that reason (a skip, never a pass).
daemon_start() {
	DAEMON_URL= DAEMON_PID= DAEMON_WHY=
	_gd=$(git --exec-path)/git-daemon
	if [ ! -x "$_gd" ]; then
		DAEMON_WHY="git daemon is not installed ($_gd)"
		return 1
	fi
	# A port that was free a moment ago may be taken by the time the
	# daemon binds it: a few ports are tried.
	for _try in 1 2 3 4 5; do
		_port=$(free_port)
		rm -f "$TROOT/daemon.pid"
		"$_gd" --reuseaddr --listen=127.0.0.1 --port="$_port" \
		    --base-path="$1" --export-all --enable=receive-pack \
		    --informative-errors --pid-file="$TROOT/daemon.pid" "$1" \
		    </dev/null >>"$TROOT/daemon.log" 2>&1 &
		DAEMON_PID=$!
		trap 'daemon_stop; _cleanup' EXIT
		_w=0
		while [ "$_w" -lt 100 ]; do
			if ! kill -0 "$DAEMON_PID" 2>/dev/null; then
				break
			fi
			if GIT_TERMINAL_PROMPT=0 git ls-remote \
			    "git://127.0.0.1:$_port/$2" >/dev/null 2>&1; then
				DAEMON_URL=git://127.0.0.1:$_port
				return 0
			fi
			sleep 0.1
			_w=$((_w + 1))
		done
		daemon_stop
	done
	DAEMON_WHY="git daemon would not serve $2: $(tail -n 3 "$TROOT/daemon.log" | tr '\n' ' ')"
	return 1
}

# daemon_stop: stops the git daemon of daemon_start, if it runs.
daemon_stop() {
	if [ -n "${DAEMON_PID:-}" ]; then
		kill "$DAEMON_PID" 2>/dev/null
		wait "$DAEMON_PID" 2>/dev/null
		DAEMON_PID=
	fi
	DAEMON_URL=
}

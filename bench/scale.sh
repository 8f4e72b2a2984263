#!/bin/sh
# bench/scale.sh - dipb on lived-in boards of 1,000, 10,000 and 30,000
# records (issue 16): every figure of the issue's table in one run.
#
# The boards: bench/gen_history.c -P -l N, the lived-in mix (5.3 changes
# per record, from drafts to decided records whose action was updated: 1 +
# 5.3 N commits, one annotated tag each), written straight into one pack
# with its tags in packed-refs, then checked out.  Its objects are the ones
# git fast-import makes of gen_history's stream (the same commit ids), its
# trees packed as git gc packs them, each a delta of the one before in
# chains of 50; its blobs are whole (git gc would make deltas of some), so
# ".git after git gc" is what this pack takes unless GC=1 asks for a git gc
# as well.  With fast-import and git gc, the 10,000 board took 55 minutes
# to build and the 30,000 one about eight hours; written as a pack, 8 and
# 12 minutes on 2 loaded cores.  With KEEP=DIR, the boards are kept in DIR
# as lived-N-gV (V: gen_history -V) and reused by later runs: DIR/READY-N
# names the board of N records once it is complete.
# Nothing writes to a kept board: each measurement runs on a copy, its
# working tree and .git copied, its packs (files git never changes once
# written) hard-linked, so that dipb and its git peer each get an
# identical copy sharing the same page cache.
#
# First the quick reads, 3 x RUNS times over, each size's one after the
# other's in each round: dipb list (its first call apart, for a cache
# that a first call fills), dipb show ID and dipb log ID (record 1, seven
# changes).  Then each size, on its copies, RUNS times over: dipb list
# (its first call), dipb report status --format html, dipb report
# actions, dipb list and dipb report status --format html with
# DIPB_NO_CACHE=1 and on a cold records cache (the file removed before
# each), and dipb verify --since HEAD~100 with its peak memory, with no
# checkpoint to start from (a whole replay: not repeated when one run
# takes over SLOW seconds, default 60), and its peer, git's own walk of
# every commit, tree, blob and tag of the same history (git rev-list
# --objects --all), with its peak memory.  Then, RUNS times over and the
# sizes interleaved in each round as the quick reads are, on a third
# copy, dipb verify --since HEAD~100 as the pre-receive hook runs it on a
# push of 100 changes: from the checkpoint that the hook's verify of the
# board as it was before the push left (made first: the 100 changes' tags
# deleted, the branch put back at HEAD~100, dipb verify, once, timed, then
# the branch and its tags restored, the tags loose as a push leaves them);
# then, the same way, dipb recommend, against the git CLI making the same
# change (the file dipb wrote copied before the clock starts, then git
# add, git commit and git tag -a with dipb's message and tag, as separate
# processes), and dipb review --request of a draft against git the same
# way; what one change adds to .git (bytes of its new loose objects),
# dipb's and git's; the size of packed-refs and of .git after git gc.
# Both copies must end with the same tree.  Each time is taken by
# bench/run_timed.c -r: the wall clock, and the CPU time (user + system)
# of the processes.
#
# Prints a Markdown table (medians; "wall ms (CPU ms)"), then checks the
# targets of issue 16 at every size measured beyond 1,000, printing each
# (exit 1 if one is missed): a state change at least 1.5x faster than the
# git CLI (wall clock, its peer in the same run) and at most 2x dipb's own
# CPU time at 1,000; verify --since, log ID, show and a second list at
# most 2x their CPU time at 1,000 (verify --since: from a checkpoint);
# the whole replay's peak memory at most that of git rev-list --objects
# --all on the same board; .git after gc at 30,000 records at most a
# quarter of what it was before issue 16 (gc_before below).
#
# usage: bench/scale.sh [RUNS]     (RUNS default 5, 0: build the boards
#                                  and measure nothing; DIPB=path/to/dipb,
#                                  default ./dipb, built with make in this
#                                  tree, whose objects gen_history links;
#                                  SIZES="1000 10000 30000"; KEEP=DIR keeps
#                                  and reuses the boards; GC=1: git gc
#                                  each board built; SLOW=60; TMPDIR:
#                                  where the copies go; LAYOUT=sharded:
#                                  boards in the sharded layout)
#
# LAYOUT=sharded measures boards whose records are in the sharded layout
# of dipb-board(5) from their first commit (gen_history -S): built by git
# fast-import, quick with the layout's small trees, then git gc, and kept
# as lived-sharded-N-gV (DIR/READY-sharded-N).
# shellcheck disable=SC2016,SC2317 # Markdown's backquotes; row calls c_*
set -eu
. "$(dirname "$0")/lib.sh"

RUNS=${1:-5}
SIZES=${SIZES-"1000 10000 30000"}
SLOW=${SLOW:-60}
LAYOUT=${LAYOUT:-flat}
case $LAYOUT in
flat) lay= ;;
sharded) lay=sharded- ;;
*) echo "bench: LAYOUT is flat or sharded, not '$LAYOUT'" >&2; exit 2 ;;
esac
CC=${CC:-cc}
# KEEP names the boards' folder here; lib.sh's KEEP would keep $work.
boards=${KEEP:-}
unset KEEP
case $boards in
'' | /*) ;;
*) boards=$(pwd)/$boards ;;
esac
bench_init scale
bench_identity "Dan Drafter" dan@example.org

# .git after gc at 30,000 records before issue 16, in bytes: the target's
# base, from the issue's table (2.1 GB; main at 1a0609a).
gc_before_30000=2100000000

bench_tools
ver=$("$work/gen_history" -V)

# board N: the path of the lived-in board of N records, built unless kept.
board() {
	_name=lived-$lay$1-g$ver
	if [ -z "$boards" ]; then
		_b=$work/$_name
	else
		_b=$boards/$_name
		if [ "$(cat "$boards/READY-$lay$1" 2>/dev/null)" = "$_name" ]
		then
			echo "$_b"
			return
		fi
		mkdir -p "$boards"
		rm -f "$boards/READY-$lay$1"
	fi
	rm -rf "$_b"
	git init -q "$_b"
	_t0=$(now_ns)
	if [ "$LAYOUT" = sharded ]; then
		"$work/gen_history" -S -l "$1" |
		    git -C "$_b" fast-import --quiet
	else
		"$work/gen_history" -P "$_b" -l "$1"
	fi
	git -C "$_b" symbolic-ref HEAD refs/heads/main
	git -C "$_b" reset -q --hard main
	[ "${GC:-0}" = 0 ] && [ "$LAYOUT" = flat ] || git -C "$_b" gc -q
	_t1=$(now_ns)
	_c=$(git -C "$_b" rev-list --count HEAD)
	if [ "$_c" != $((1 + 53 * $1 / 10)) ]; then
		echo "bench: board of $1 records: $_c commits" >&2
		exit 1
	fi
	echo "bench: built the board of $1 records in" \
	    "$(((_t1 - _t0) / 1000000000)) s" >&2
	if [ -n "$boards" ]; then
		echo "$_name" >"$boards/READY-$lay$1.tmp"
		mv "$boards/READY-$lay$1.tmp" "$boards/READY-$lay$1"
	fi
	echo "$_b"
}

# copy FROM TO: an identical copy, its packs hard-linked.
copy() {
	mkdir "$2"
	tar -C "$1" --exclude=./.git/objects/pack -cf - . | tar -C "$2" -xf -
	mkdir -p "$2/.git/objects/pack"
	ln "$1"/.git/objects/pack/* "$2/.git/objects/pack/"
}

# loose DIR: the bytes of the loose objects in DIR/.git.
loose() {
	find "$1/.git/objects" -path '*/objects/[0-9a-f][0-9a-f]/*' -type f \
	    -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }'
}

# checkpoint K N: in copy K, the checkpoint at HEAD~100 that the
# pre-receive hook's verify left before the last 100 changes were pushed
# (the full replay that made it timed as verify-full-N), then the copy as
# the push leaves it: the branch at its tip, the 100 changes' tags loose.
checkpoint() {
	_tip=$(git -C "$1" rev-parse HEAD)
	git -C "$1" rev-list HEAD~100..HEAD >"$work/new"
	git -C "$1" for-each-ref refs/tags \
	    --format='%(objectname) %(*objectname) %(refname)' |
	    awk 'NR == FNR { new[$1] = 1; next } ($2 in new) { print $1, $3 }' \
	    "$work/new" - >"$work/newtags"
	awk '{ print "delete", $2 }' "$work/newtags" |
	    git -C "$1" update-ref --stdin
	git -C "$1" update-ref refs/heads/main HEAD~100
	timed "verify-full-$2" "$DIPB" -C "$1" verify
	awk '{ print "create", $2, $1 }' "$work/newtags" |
	    git -C "$1" update-ref --stdin
	git -C "$1" update-ref refs/heads/main "$_tip"
	if [ ! -f "$1/.git/dipb/verify/$(git -C "$1" rev-parse HEAD~100)" ]
	then
		echo "bench: $2 records: no checkpoint at HEAD~100" >&2
		exit 1
	fi
}

# peer C G NAME N: the change dipb just made in C, made by the git CLI in
# G (dipb's file, message and tag), timed as NAME-N; the bytes of loose
# objects it added go to NAME-grow-N.
peer() {
	_tag=$(git -C "$1" tag --points-at HEAD)
	_f=$(git -C "$1" diff-tree --no-commit-id --name-only -r HEAD)
	git -C "$1" log -1 --format=%B >"$work/msg"
	git -C "$1" tag -l --format='%(contents)' "$_tag" >"$work/tagmsg"
	mkdir -p "$2/${_f%/*}"
	cp "$1/$_f" "$2/$_f"
	_l0=$(loose "$2")
	timed "$3-$4" git -C "$2" add "$_f" ';' \
	    git -C "$2" commit -q -F "$work/msg" ';' \
	    git -C "$2" tag -a -F "$work/tagmsg" "$_tag"
	echo $(($(loose "$2") - _l0)) >>"$work/t.$3-grow-$4"
}

for n in $SIZES; do
	board "$n" >"$work/path-$n"
done
[ "$RUNS" -gt 0 ] || exit 0

# The quick reads first, on a copy of each size, the sizes interleaved
# and 3 x RUNS times over: dipb list (after a first call that fills the
# records cache), dipb show IC-0001 and dipb log IC-0001.  Each takes 5
# to 20 ms, most of it at 1,000 records the process's start, and the
# targets weigh each against itself at 1,000: measured in the same
# minute, a drift of the machine's load moves both alike.
for n in $SIZES; do
	for t in list show log; do
		: >"$work/t.$t-$n"
	done
	c=$work/quick-$n
	rm -rf "$c"
	copy "$(cat "$work/path-$n")" "$c"
	"$DIPB" -C "$c" list >/dev/null
done
i=0
while [ "$i" -lt $((3 * RUNS)) ]; do
	i=$((i + 1))
	for n in $SIZES; do
		c=$work/quick-$n
		timed "list-$n" "$DIPB" -C "$c" list
		timed "show-$n" "$DIPB" -C "$c" show IC-0001
		timed "log-$n" "$DIPB" -C "$c" log IC-0001
	done
done
for n in $SIZES; do
	rm -rf "$work/quick-$n"
done

# The other reads, size by size, on copies kept for the state changes.
for n in $SIZES; do
	b=$(cat "$work/path-$n")
	c=$work/dipb-$n g=$work/git-$n
	rm -rf "$c" "$g"
	copy "$b" "$c"
	copy "$b" "$g"
	commits=$(git -C "$b" rev-list --count HEAD)
	echo "$commits" >"$work/v.commits-$n"
	stat -c %s "$b/.git/packed-refs" >"$work/v.refs-$n"
	du -sb "$b/.git" | cut -f 1 >"$work/v.gc-$n"
	for t in list1 status actions verify gitobjects \
	    verifyck listnc listcold statusnc statuscold \
	    verify-full recommend \
	    recommend-git review review-git recommend-grow \
	    recommend-git-grow review-grow review-git-grow; do
		: >"$work/t.$t-$n"
	done
	timed "list1-$n" "$DIPB" -C "$c" list
	i=0
	while [ "$i" -lt "$RUNS" ]; do
		i=$((i + 1))
		timed "status-$n" "$DIPB" -C "$c" report status --format html
		timed "actions-$n" "$DIPB" -C "$c" report actions
		DIPB_NO_CACHE=1
		export DIPB_NO_CACHE
		timed "listnc-$n" "$DIPB" -C "$c" list
		timed "statusnc-$n" "$DIPB" -C "$c" report status --format html
		unset DIPB_NO_CACHE
		rm -f "$c/.git/dipb/records.cache"
		timed "listcold-$n" "$DIPB" -C "$c" list
		rm -f "$c/.git/dipb/records.cache"
		timed "statuscold-$n" "$DIPB" -C "$c" report status --format html
		if [ "$i" = 1 ] || [ "$(med "verify-$n" 1)" -le \
		    $((SLOW * 1000000)) ]; then
			timed "verify-$n" "$DIPB" -C "$c" verify --since HEAD~100
			timed "gitobjects-$n" git -C "$c" rev-list --objects \
			    --all
		fi
	done
done

# verify --since HEAD~100 from the hook's checkpoint, then the state
# changes, the sizes interleaved in each round as the quick reads are:
# their targets weigh them against dipb at 1,000 records, which a
# drift of the machine's load over the minutes between one size's runs
# and the next's moved by a fifth (2026-12-03: verify --since 22 ms of
# CPU at 1,000 in one run, 39 and 41 in the two before).
for n in $SIZES; do
	k=$work/ckpt-$n
	rm -rf "$k"
	copy "$(cat "$work/path-$n")" "$k"
	checkpoint "$k" "$n"
done
i=0
while [ "$i" -lt "$RUNS" ]; do
	i=$((i + 1))
	for n in $SIZES; do
		timed "verifyck-$n" "$DIPB" -C "$work/ckpt-$n" verify \
		    --since HEAD~100
	done
done
for n in $SIZES; do
	rm -rf "$work/ckpt-$n"
done
i=0
while [ "$i" -lt "$RUNS" ]; do
	i=$((i + 1))
	id=$(printf 'IC-%04d' $((10 * i - 8)))
	for n in $SIZES; do
		c=$work/dipb-$n g=$work/git-$n
		l0=$(loose "$c")
		timed "recommend-$n" "$DIPB" -C "$c" recommend \
		    --wg industrial-capacity --title "Scale $i" \
		    --summary "Scale summary $i." --no-edit
		echo $(($(loose "$c") - l0)) >>"$work/t.recommend-grow-$n"
		peer "$c" "$g" recommend-git "$n"
		l0=$(loose "$c")
		timed "review-$n" "$DIPB" -C "$c" review "$id" --request
		echo $(($(loose "$c") - l0)) >>"$work/t.review-grow-$n"
		peer "$c" "$g" review-git "$n"
	done
done
for n in $SIZES; do
	c=$work/dipb-$n g=$work/git-$n
	# The same changes: the same tree, as many commits and tags.
	if [ "$(git -C "$c" rev-parse 'HEAD^{tree}')" != \
	    "$(git -C "$g" rev-parse 'HEAD^{tree}')" ] ||
	    [ "$(git -C "$c" rev-list --count HEAD)" != \
	    "$(git -C "$g" rev-list --count HEAD)" ] ||
	    [ "$(git -C "$c" tag -l | wc -l)" != "$(git -C "$g" tag -l | wc -l)" ]
	then
		echo "bench: $n records: dipb and git made different changes" >&2
		exit 1
	fi
	rm -rf "$c" "$g"
done

# The table: one row per figure, one column per size.
ms() { awk -v v="$1" 'BEGIN { printf "%.0f", v / 1000 }'; }
mb() { awk -v v="$1" 'BEGIN { printf "%.1f MB", v / 1048576 }'; }
kb() { awk -v v="$1" 'BEGIN { printf "%.0f KB", v / 1024 }'; }
cell_t() { echo "$(ms "$(med "$1-$2" 1)") ($(ms "$(med "$1-$2" 2)"))"; }
cell_p() {
	echo "$(ms "$(med "$1-$2" 1)") / $(ms "$(med "$1-git-$2" 1)")" \
	    "($(ms "$(med "$1-$2" 2)") / $(ms "$(med "$1-git-$2" 2)"))"
}
row() {
	_what=$1
	shift
	printf '| %s |' "$_what"
	for n in $SIZES; do
		printf ' %s |' "$("$@" "$n")"
	done
	echo
}
c_list1() { cell_t list1 "$1"; }
c_list() { cell_t list "$1"; }
c_show() { cell_t show "$1"; }
c_status() { cell_t status "$1"; }
c_actions() { cell_t actions "$1"; }
c_log() { cell_t log "$1"; }
# CPU ms: DIPB_NO_CACHE=1 / a cold records cache / a warm one.
c_cache() {
	echo "$(ms "$(med "$2nc-$1" 2)") / $(ms "$(med "$2cold-$1" 2)") /" \
	    "$(ms "$(med "$2-$1" 2)")"
}
c_listc() { c_cache "$1" list; }
c_statusc() { c_cache "$1" status; }
c_verify() {
	echo "$(cell_t verify "$1"), $(mb $(($(med "verify-$1" 3) * 1024)))$(
	    awk 'END { if (NR < 2) print " (1 run)" }' "$work/t.verify-$1")"
}
c_gitobjects() {
	echo "$(cell_t gitobjects "$1"), $(mb $(($(med "gitobjects-$1" 3) * 1024)))"
}
c_verifyck() {
	echo "$(cell_t verifyck "$1"), $(mb $(($(med "verifyck-$1" 3) * 1024)))"
}
c_verify_full() {
	echo "$(cell_t verify-full "$1"), $(mb $(($(med "verify-full-$1" 3) * 1024)))"
}
c_recommend() { cell_p recommend "$1"; }
c_review() { cell_p review "$1"; }
c_grow() {
	echo "$(kb "$(med "$2-grow-$1" 1)") / $(kb "$(med "$2-git-grow-$1" 1)")"
}
c_grow_rec() { c_grow "$1" recommend; }
c_grow_rev() { c_grow "$1" review; }
c_refs() { mb "$(cat "$work/v.refs-$1")"; }
c_gc() { mb "$(cat "$work/v.gc-$1")"; }

echo "lived-in boards (bench/gen_history.c -l, version $ver), $LAYOUT" \
    "layout, dipb" \
    "$("$DIPB" --version 2>/dev/null | head -n 1)"
echo "medians of $RUNS runs (list, show and log: of $((3 * RUNS)), the" \
    "sizes interleaved), whole process: wall ms (CPU ms, user + system)"
echo
printf '| whole process |'
for n in $SIZES; do
	printf ' %s records, %s commits |' "$n" "$(cat "$work/v.commits-$n")"
done
echo
printf '|---|'
for n in $SIZES; do printf -- '---|'; done
echo
row '`dipb recommend` / git add+commit+tag' c_recommend
row '`dipb review --request` / git' c_review
row '`dipb list` (all), first call' c_list1
row '`dipb list` (all), later calls' c_list
row '`dipb show IC-0001`' c_show
row '`dipb report status --format html`' c_status
row '`dipb report actions`' c_actions
row '`dipb log IC-0001` (7 changes)' c_log
row '`dipb list`, CPU ms: no cache / cold cache / warm' c_listc
row '`dipb report status --format html`, CPU ms: no cache / cold / warm' c_statusc
row '`dipb verify --since HEAD~100`, no checkpoint (a whole replay), peak RSS' c_verify
row '`git rev-list --objects --all` (git'"'"'s walk of the same history), peak RSS' c_gitobjects
row '`dipb verify --since HEAD~100` from the checkpoint at HEAD~100 (the pre-receive hook), peak RSS' c_verifyck
row '`dipb verify` at HEAD~100 (whole history, 1 run: the checkpoint), peak RSS' c_verify_full
row 'packed-refs' c_refs
row '.git after `git gc`' c_gc
row 'one recommend adds to .git (loose objects), dipb / git' c_grow_rec
row 'one review --request adds, dipb / git' c_grow_rev
echo

# The targets: at each size beyond 1,000, against the git CLI (wall) and
# against dipb at 1,000 (CPU).
status=0
check() {
	if awk -v v="$2" -v op="$3" -v t="$4" 'BEGIN {
	    exit !(op == ">=" ? v >= t : v <= t) }'; then
		echo "target met:    $1: $2 $3 $4"
	else
		echo "target MISSED: $1: $2 $3 $4"
		status=1
	fi
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
for n in $SIZES; do
	[ "$n" != 1000 ] || continue
	for t in recommend review; do
		check "$t at $n, git / dipb (wall)" \
		    "$(ratio "$(med "$t-git-$n" 1)" "$(med "$t-$n" 1)")" '>=' 1.5
	done
	case " $SIZES " in
	*" 1000 "*)
		for t in recommend review verifyck log show list; do
			check "$t at $n / at 1000 (CPU)" \
			    "$(ratio "$(med "$t-$n" 2)" "$(med "$t-1000" 2)")" \
			    '<=' 2
		done ;;
	esac
	check "whole replay's peak RSS at $n / git rev-list --objects --all's" \
	    "$(ratio "$(med "verify-$n" 3)" "$(med "gitobjects-$n" 3)")" '<=' 1
	if [ "$n" = 30000 ] && [ -n "$gc_before_30000" ]; then
		check ".git after gc at 30000 / before issue 16" \
		    "$(ratio "$(cat "$work/v.gc-$n")" "$gc_before_30000")" \
		    '<=' 0.25
	fi
done
exit "$status"

#!/bin/sh
# tests/cli/concurrency.sh - many dipb processes on one repository: each
# lands its change or exits 4 "busy, retry"; commits = tags = successes;
# nothing lost.  A lock left behind, a lock held, a killed dipb.
. "$(dirname "$0")/lib.sh"

# race N NAME ARGS...: starts N 'dipb ARGS' at once in the background (in
# ARGS, $i is the process number) and waits for all of them; leaves
# $TROOT/NAME/{rc,out,err}.$i.
race() {
	_n=$1 _name=$2
	shift 2
	_dir=$TROOT/$_name
	mkdir "$_dir"
	gate_new "$_dir"
	_i=1
	while [ "$_i" -le "$_n" ]; do
		(
			i=$_i
			gate_wait "$_dir"
			eval "dipb $*" </dev/null >"$_dir/out.$i" 2>"$_dir/err.$i"
			echo $? >"$_dir/rc.$i"
		) &
		_i=$((_i + 1))
	done
	sleep 0.3	# every job at its gate_wait, blocked without CPU
	gate_open "$_dir" "$_n"
	wait
	gate_close
}

# check_race N NAME BASE TAGS0: the outcome of 'race N NAME' started on
# tip BASE with TAGS0 tags.  Sets LANDED to the number of exits 0.
check_race() {
	_n=$1 _name=$2 _dir=$TROOT/$2 _base=$3 _tags0=$4
	LANDED=0
	_busy=0 _other=
	_i=1
	while [ "$_i" -le "$_n" ]; do
		_rc=$(cat "$_dir/rc.$_i" 2>/dev/null || echo none)
		if [ "$_rc" = 0 ]; then
			LANDED=$((LANDED + 1))
		elif [ "$_rc" = 4 ] && grep -q busy "$_dir/err.$_i"; then
			_busy=$((_busy + 1))
		else
			_other="$_other
process $_i: exit $_rc: $(head -n 5 "$_dir/err.$_i" 2>/dev/null)"
		fi
		_i=$((_i + 1))
	done
	check_eq "$_name: each of $_n exits 0, or 4 saying busy ($LANDED landed, $_busy busy)" \
	    '' "$_other"
	check_eq "$_name: new commits = exits 0" "$LANDED" \
	    "$(git rev-list --count "$_base..HEAD")"
	check_eq "$_name: new tags = exits 0" "$LANDED" "$(($(ntags) - _tags0))"
	check_out "$_name: git status --porcelain is empty" '' \
	    git status --porcelain --untracked-files=all
	check_history "$_name: every commit has one tag, every tag is on the branch"
	check_fsck "$_name: git fsck --strict is clean"
}

# check_ids NAME: the ids printed by the processes of race NAME that
# exited 0 are distinct, one per process, each a record with its tag.
check_ids() {
	_dir=$TROOT/$1
	: >"$_dir/ids"
	for _rcf in "$_dir"/rc.*; do
		[ "$(cat "$_rcf")" = 0 ] && cat "$_dir/out.${_rcf##*.}" >>"$_dir/ids"
	done
	check_eq "$1: one id per successful process" "$LANDED" \
	    "$(wc -l <"$_dir/ids" | tr -d ' ')"
	check_eq "$1: the ids are distinct" "$LANDED" \
	    "$(sort -u "$_dir/ids" | wc -l | tr -d ' ')"
	_miss=
	while read -r _id; do
		git cat-file -e "HEAD:recommendations/$_id.yaml" 2>/dev/null &&
		    [ "$(git cat-file -t "$_id/1-drafted" 2>/dev/null)" = tag ] ||
		    _miss="$_miss $_id"
	done <"$_dir/ids"
	check_eq "$1: every id is a record at HEAD with its drafted tag" '' "$_miss"
}

new_board
as drafter

# --- 20 recommends at once ------------------------------------------------------------
base=$(git rev-parse HEAD) tags0=$(ntags)
race 20 recommend recommend --wg industrial-capacity --title '"Race $i"' \
    --summary '"Summary $i."' --no-edit
check_race 20 recommend "$base" "$tags0"
check_ids recommend
check 'at least one of them landed' test "$LANDED" -ge 1

# --- again, without retries: the busy path --------------------------------------------
base=$(git rev-parse HEAD) tags0=$(ntags)
race 20 noretry recommend --retry 0 --wg supply-chain-security \
    --title '"No retry $i"' --summary '"Summary $i."' --no-edit
check_race 20 noretry "$base" "$tags0"
check_ids noretry

# --- different commands on different records at once -------------------------------------
# Ten drafts, however few of the 20 above landed (on a loaded machine most
# may have run out of retries).
while [ "$(dipb list --status draft --wg industrial-capacity --format ids |
    wc -l)" -lt 10 ]; do
	mkrec industrial-capacity 'A draft for the mixed race' >/dev/null
done
ids=$(dipb list --status draft --wg industrial-capacity --format ids | head -n 10)
set -- $ids
base=$(git rev-parse HEAD) tags0=$(ntags)
mkdir "$TROOT/mixed"
gate_new "$TROOT/mixed"
i=0
for id in "$@"; do
	i=$((i + 1))
	(
		gate_wait "$TROOT/mixed"
		dipb review "$id" --request </dev/null >"$TROOT/mixed/out.$i" \
		    2>"$TROOT/mixed/err.$i"
		echo $? >"$TROOT/mixed/rc.$i"
	) &
	j=$((i + 10))
	(
		gate_wait "$TROOT/mixed"
		dipb recommend --wg standardisation-interoperability \
		    --title "Mixed $j" --summary S --no-edit </dev/null \
		    >"$TROOT/mixed/out.$j" 2>"$TROOT/mixed/err.$j"
		echo $? >"$TROOT/mixed/rc.$j"
	) &
done
sleep 0.3	# every job at its gate_wait, blocked without CPU
gate_open "$TROOT/mixed" 20
wait
gate_close
check_race 20 mixed "$base" "$tags0"
inrev=0
for id in "$@"; do
	[ "$(status_of "$id")" = in-review ] && inrev=$((inrev + 1))
done
check_eq 'mixed: review requests that exited 0 are all in review' \
    "$(for k in 1 2 3 4 5 6 7 8 9 10; do cat "$TROOT/mixed/rc.$k"; done | grep -c '^0$')" \
    "$inrev"

# --- the lock ---------------------------------------------------------------------------
# A lock file left behind by a dead dipb does not block.
touch .git/dipb.lock
check 'a lock file left behind does not block' \
    dipb recommend --wg industrial-capacity --title 'After a stale lock' --summary S
id=$(cat "$OUT")
check_out 'the change landed with its tag' tag git cat-file -t "$id/1-drafted"

# A lock that is not a regular file of its own: never opened through a
# link (one to /dev/zero would lock nothing another dipb locks), nor a
# folder, a FIFO (never waited on) or a device; refused, exit 5, nothing
# written, the path named with what to do.
for kind in 'symlink /dev/zero' 'symlink to a lock file' folder fifo; do
	rm -f .git/dipb.lock
	case $kind in
	'symlink /dev/zero') ln -s /dev/zero .git/dipb.lock ;;
	'symlink to a lock file') : >"$TROOT/other.lock"
		ln -s "$TROOT/other.lock" .git/dipb.lock ;;
	folder) mkdir .git/dipb.lock ;;
	fifo) mkfifo .git/dipb.lock ;;
	esac
	check_refused 5 "/dipb.lock is not a regular file" \
	    "dipb.lock a $kind: exit 5, refused, nothing written" \
	    timeout 20 dipb review "$id" --request
	check_err "dipb.lock a $kind: what to do is said" \
	    'remove it, then retry'
	rm -rf .git/dipb.lock
done
touch .git/dipb.lock

# A lock held by a live process: busy without retries; with retries dipb
# waits until it is released.
# The holder keeps the lock until told to let go (a second after the
# retrying dipb starts), so that a loaded machine cannot make it let go
# early.
if command -v flock >/dev/null 2>&1; then
	rm -f "$TROOT/release"
	flock .git/dipb.lock sh -c 'until [ -e "$1" ]; do sleep 0.01; done' \
	    sh "$TROOT/release" &
	holder=$!
	while flock -n .git/dipb.lock true; do sleep 0.01; done
	check_refused 4 'dipb: repository busy, retry' \
	    'a held lock with --retry 0: exit 4, busy, nothing written' \
	    dipb recommend --retry 0 --wg industrial-capacity --title Busy --summary S
	(sleep 1; touch "$TROOT/release") &
	check 'a lock held for a second: dipb retries and lands its change' \
	    dipb recommend --wg industrial-capacity --title 'Waited' --summary S
	wait "$holder"
	check_history 'after the held lock: every commit has one tag'
else
	skip 'a held lock: busy without retries, waited for with them' \
	    'no flock(1) (util-linux)'
fi

# --- a killed dipb ------------------------------------------------------------------------
# Killed at any moment, dipb leaves no change or a whole one; the next
# dipb command completes or discards an interrupted one.  The kills are
# spread over the time one dipb recommend takes here.
t0=$(date +%s%N)
run dipb recommend --wg standardisation-interoperability --title Timed \
    --summary S --no-edit
t1=$(date +%s%N)
us=$(((t1 - t0) / 1000))
kills=${KILLS:-40}
k=0 bad=0
# The dipb to be killed skips LeakSanitizer's scan at exit (as in crash.sh):
# killed during it, the scan's tracer writes "Unable to get registers from
# thread" to its log, a report of the kill, not of dipb.  The dipb after
# each kill is checked for leaks as everywhere else.
killed_asan=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
while [ "$k" -le "$kills" ]; do
	d=$(awk "BEGIN { printf \"%.6f\", $us * $k / $kills / 1000000 }")
	ASAN_OPTIONS=$killed_asan dipb recommend \
	    --wg standardisation-interoperability --title "Killed $k" \
	    --summary S --no-edit </dev/null >/dev/null 2>&1 &
	pid=$!
	sleep "$d"
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	run dipb recommend --wg standardisation-interoperability \
	    --title "After kill $k" --summary S --no-edit
	if [ "$RC" -ne 0 ]; then
		bad=$((bad + 1))
		[ "$bad" -le 3 ] && not_ok "the next dipb after a kill at ${d}s works" \
		    "$(_said dipb recommend)" "$(find .git -name '*.lock')"
	fi
	k=$((k + 1))
done
check_eq "after each of $kills kills, the next dipb works" 0 "$bad"
check_history 'after kills: every commit has one tag, every tag is on the branch'
check_out 'after kills: git status --porcelain is empty' '' \
    git status --porcelain --untracked-files=all
check 'after kills: dipb list works' dipb list
check_fsck 'after kills: git fsck --strict is clean'
finish

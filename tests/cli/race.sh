#!/bin/sh
# tests/cli/race.sh - 2, 8 and 32 dipb processes each making a run of
# state changes on one repository at once: on disjoint records (each
# process takes its own draft through review --request and
# --request-changes, back and forth), then on the same record (each
# process marks its own action of one decided record done, then open,
# and so on); in the first run, each change ends with a git gc in the
# foreground.  Afterwards: new commits on the branch = new tags =
# successful exits; no change lost (each record, each action is where its
# process's successes took it); no tag number twice; every failure is
# exit 4 with a "retry" message; dipb verify, git fsck and git status are
# clean.
#
# Environment: RACE_PROCS (default "2 8 32"); RACE_CHANGES, the changes
# each process tries (default 50; 10 when ASAN_OPTIONS is set, as in
# make check, where one change takes ten times as long); RACE_FSYNC=1
# keeps fsync on (off by default here: the test is about the lock, and
# with fsync each change holds it ten times as long on a slow disk).
. "$(dirname "$0")/lib.sh"

PROCS=${RACE_PROCS:-2 8 32}
if [ -n "${ASAN_OPTIONS:-}" ]; then
	CHANGES=${RACE_CHANGES:-10}
else
	CHANGES=${RACE_CHANGES:-50}
fi
if [ "${RACE_FSYNC:-0}" = 1 ]; then DIPB_FSYNC=1; else DIPB_FSYNC=0; fi
export DIPB_FSYNC
# Under the sanitizers, the racing processes skip LeakSanitizer's scan at
# exit: they run the commands every other script runs with leak checking
# on, and the scan is a third of each run's cost here.  Memory errors are
# still caught.
if [ -n "${ASAN_OPTIONS:-}" ]; then
	ASAN_OPTIONS=$ASAN_OPTIONS:detect_leaks=0
	export ASAN_OPTIONS
fi
MAXP=0
for n in $PROCS; do
	[ "$n" -gt "$MAXP" ] && MAXP=$n
done
echo "# processes: $PROCS; changes tried by each: $CHANGES; fsync: ${DIPB_FSYNC:-on}"

# worker_draft K ID OP DIR: CHANGES tries of K's changes on draft ID,
# starting with OP (request or changes); one exit status per line in
# DIR/rc.K, stderr in DIR/err.K.
worker_draft() {
	_k=$1 _id=$2 _op=$3 _dir=$4 _j=0
	gate_wait "$_dir"
	while [ "$_j" -lt "$CHANGES" ]; do
		_j=$((_j + 1))
		if [ "$_op" = request ]; then
			as drafter
			dipb review "$_id" --request </dev/null >/dev/null \
			    2>>"$_dir/err.$_k"
		else
			as rev1
			dipb review "$_id" --request-changes -m "Round $_j." \
			    </dev/null >/dev/null 2>>"$_dir/err.$_k"
		fi
		_rc=$?
		echo "$_rc" >>"$_dir/rc.$_k"
		if [ "$_rc" -eq 0 ]; then
			if [ "$_op" = request ]; then _op=changes; else _op=request; fi
		fi
	done
}

# worker_action K ID STATE DIR: CHANGES tries of marking action K of ID,
# now in STATE, the other way.
worker_action() {
	_k=$1 _id=$2 _st=$3 _dir=$4 _j=0
	as secretary
	gate_wait "$_dir"
	while [ "$_j" -lt "$CHANGES" ]; do
		_j=$((_j + 1))
		if [ "$_st" = open ]; then
			dipb action "$_id" "$_k" --done </dev/null >/dev/null \
			    2>>"$_dir/err.$_k"
		else
			dipb action "$_id" "$_k" --open </dev/null >/dev/null \
			    2>>"$_dir/err.$_k"
		fi
		_rc=$?
		echo "$_rc" >>"$_dir/rc.$_k"
		if [ "$_rc" -eq 0 ]; then
			if [ "$_st" = open ]; then _st=done; else _st=open; fi
		fi
	done
}

# action_states ID: the state of each action of ID, one per line.
action_states() {
	dipb show "$1" --format json | python3 -c '
import json, sys
for a in json.load(sys.stdin)["actions"]:
    print(a["state"])'
}

# successes DIR K: the exits 0 of process K.
successes() { grep -c '^0$' "$1/rc.$2"; }

# check_exits NAME DIR N: every exit is 0, or 4 with a retry message, and
# stderr holds nothing else but the tags made; sets LANDED and BUSY.
check_exits() {
	_name=$1 _dir=$2 _n=$3 _k=1 _bad=
	LANDED=0 BUSY=0
	while [ "$_k" -le "$_n" ]; do
		_s=$(successes "$_dir" "$_k")
		_b=$(grep -c '^4$' "$_dir/rc.$_k")
		_o=$(grep -v -c -E '^(0|4)$' "$_dir/rc.$_k")
		_r=$(grep -c 'retry' "$_dir/err.$_k" 2>/dev/null)
		_x=$(grep -v -E -e '^[A-Z][A-Z0-9]*-[0-9]+/[0-9]+-[a-z-]+$' \
		    -e '^dipb: .*retry' -e '^dipb: warning: this board lists no signing keys' \
		    "$_dir/err.$_k" 2>/dev/null | head -n 3)
		LANDED=$((LANDED + _s))
		BUSY=$((BUSY + _b))
		[ "$_o" -eq 0 ] || _bad="$_bad
process $_k: $_o exits neither 0 nor 4: $(sort "$_dir/rc.$_k" | uniq -c | tr '\n' ' ')"
		[ "$_r" -ge "$_b" ] || _bad="$_bad
process $_k: $_b exits 4 but $_r retry messages"
		[ -z "$_x" ] || _bad="$_bad
process $_k: other messages: $_x"
		_k=$((_k + 1))
	done
	check_eq "$_name: every exit is 0, or 4 with a retry message ($LANDED landed, $BUSY busy)" \
	    '' "$_bad"
	echo "# $_name: $_n processes x $CHANGES tries: $LANDED changes landed, $BUSY exits 4"
}

# check_after NAME BASE TAGS0: the repository after a race.
check_after() {
	check_eq "$1: new commits on the branch = successful exits" "$LANDED" \
	    "$(git rev-list --count "$2..HEAD")"
	check_eq "$1: new tags = successful exits" "$LANDED" "$(($(ntags) - $3))"
	_dup=$(git tag -l | sed 's,/\([0-9]*\)-.*, \1,' | sort | uniq -d)
	check_eq "$1: no tag number twice" '' "$_dup"
	check_history "$1: every commit has one tag, every tag is on the branch"
	check_out "$1: dipb verify is clean" '' dipb verify
	check_out "$1: git status --porcelain is empty" '' \
	    git status --porcelain --untracked-files=all
	check_fsck "$1: git fsck --strict is clean"
}

# --- the board: a draft per process, and one record with an action per
# process ---------------------------------------------------------------------

new_board
as drafter
k=1
while [ "$k" -le "$MAXP" ]; do
	mkrec industrial-capacity "Draft $k" >>"$TROOT/drafts"
	k=$((k + 1))
done
check_eq "a draft for each of $MAXP processes" "$MAXP" \
    "$(wc -l <"$TROOT/drafts" | tr -d ' ')"
{
	printf 'title: One record for every process\n'
	printf 'working_group: supply-chain-security\n'
	printf 'summary: |\n  Many hands on one record.\n'
	printf 'actions:\n'
	k=1
	while [ "$k" -le "$MAXP" ]; do
		printf '  - text: Action of process %s\n    owner: Nation %s\n' \
		    "$k" "$k"
		k=$((k + 1))
	done
} >"$TROOT/shared.yaml"
run dipb recommend --from "$TROOT/shared.yaml" --no-edit
shared=$(cat "$OUT")
check_eq 'the shared record' SCS-0001 "$shared"
drive "$shared" decided
check_eq 'the shared record is decided' decided "$(status_of "$shared")"

# --- disjoint records ----------------------------------------------------------

# The first run's changes each end with a git gc --auto, in the
# foreground (gc.autoDetach false), which packs the refs and expires the
# branch's reflog while the other processes make their changes: two loose
# objects in objects/17 that nothing reaches pass gc.auto 256's limit,
# and stay loose through every gc (they are younger than gc.pruneExpire).
loose17 1
loose17 2
git config gc.auto 256
git config gc.autoDetach false
gc_run=${PROCS%% *}

for n in $PROCS; do
	name="disjoint, $n processes"
	[ "$n" = "$gc_run" ] && name="$name, git gc after each change"
	dir=$TROOT/disjoint.$n
	mkdir "$dir"
	gate_new "$dir"
	base=$(git rev-parse HEAD) tags0=$(ntags)
	k=1
	for id in $(head -n "$n" "$TROOT/drafts"); do
		st=$(status_of "$id")
		echo "$st" >"$dir/st.$k"
		git tag -l "$id/*" | wc -l | tr -d ' ' >"$dir/tags.$k"
		op=request
		[ "$st" = in-review ] && op=changes
		worker_draft "$k" "$id" "$op" "$dir" &
		k=$((k + 1))
	done
	sleep 0.3	# every job at its gate_wait, blocked without CPU
	gate_open "$dir" "$n"
	wait
	gate_close
	check_exits "$name" "$dir" "$n"
	check_after "$name" "$base" "$tags0"
	if [ "$n" = "$gc_run" ]; then
		check_eq "$name: git gc ran (what a ref reaches is packed)" '' \
		    "$(loose_reached)"
		git config --unset gc.auto
		git config --unset gc.autoDetach
	fi
	# No change lost: each draft moved as often as its process succeeded.
	k=1 lost=
	for id in $(head -n "$n" "$TROOT/drafts"); do
		s=$(successes "$dir" "$k")
		st0=$(cat "$dir/st.$k")
		# draft -> in-review -> returned -> in-review -> returned ...
		want=$st0
		if [ $((s % 2)) -eq 1 ]; then
			if [ "$st0" = in-review ]; then want=returned; else want=in-review; fi
		elif [ "$s" -gt 0 ]; then
			if [ "$st0" = in-review ]; then want=in-review; else want=returned; fi
		fi
		[ "$(status_of "$id")" = "$want" ] ||
		    lost="$lost $id($(status_of "$id"), want $want)"
		t=$(($(git tag -l "$id/*" | wc -l) - $(cat "$dir/tags.$k")))
		[ "$t" = "$s" ] || lost="$lost $id($t new tags, want $s)"
		k=$((k + 1))
	done
	check_eq "$name: no change lost (each draft as its process left it)" '' \
	    "$lost"
done

# --- the same record -----------------------------------------------------------

for n in $PROCS; do
	name="same record, $n processes"
	dir=$TROOT/same.$n
	mkdir "$dir"
	gate_new "$dir"
	base=$(git rev-parse HEAD) tags0=$(ntags)
	ntag0=$(git tag -l "$shared/*" | wc -l | tr -d ' ')
	action_states "$shared" >"$dir/states.before"
	k=1
	while [ "$k" -le "$n" ]; do
		st=$(sed -n "${k}p" "$dir/states.before")
		echo "$st" >"$dir/st.$k"
		worker_action "$k" "$shared" "$st" "$dir" &
		k=$((k + 1))
	done
	sleep 0.3	# every job at its gate_wait, blocked without CPU
	gate_open "$dir" "$n"
	wait
	gate_close
	check_exits "$name" "$dir" "$n"
	check_after "$name" "$base" "$tags0"
	action_states "$shared" >"$dir/states.after"
	k=1 lost=
	while [ "$k" -le "$n" ]; do
		s=$(successes "$dir" "$k")
		st0=$(cat "$dir/st.$k")
		want=$st0
		if [ $((s % 2)) -eq 1 ]; then
			if [ "$st0" = open ]; then want=done; else want=open; fi
		fi
		got=$(sed -n "${k}p" "$dir/states.after")
		[ "$got" = "$want" ] || lost="$lost action $k($got, want $want)"
		k=$((k + 1))
	done
	check_eq "$name: no change lost (each action as its process left it)" \
	    '' "$lost"
	check_eq "$name: the record's tags are numbered on without a gap" \
	    "$(seq $((ntag0 + 1)) $((ntag0 + LANDED)) | tr '\n' ' ')" \
	    "$(git tag -l "$shared/*" | sed 's,.*/\([0-9]*\)-.*,\1,' |
	    sort -n | tail -n "$LANDED" | tr '\n' ' ')"
done
finish

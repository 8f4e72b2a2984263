#!/bin/sh
# bench/validate.sh - dipb validate on boards of 10,000 and 100,000
# realistic records, against, in the same run and on the same files:
#
#   loop     a bare libyaml event-parse loop (bench/yaml_loop.c: read each
#            file, parse every event, nothing else; one thread), the floor
#            of any validator built on libyaml;
#   pyyaml   PyYAML's CSafeLoader (libyaml through Python), merely loading
#            each file.
#
# Prints the best of RUNS wall-clock times (PyYAML: of three runs, one
# at 100,000), interleaved, the ratios,
# and dipb's peak RSS (/usr/bin/time -v), then checks the targets of
# issue 3: dipb <= 1.0x the loop, >= 8x faster than CSafeLoader,
# <= 64 MB at 100,000 records.  Exits 1 if one is missed.
#
# The records are written by bench/gen_records.c, built against dipb's own
# objects: every status, Markdown, actions, reviews with right
# fingerprints; dipb validate must find them clean.
#
# usage: bench/validate.sh [RUNS]   (DIPB=path/to/dipb, default ./dipb;
#                                    SIZES="10000 100000")
set -eu
. "$(dirname "$0")/lib.sh"

RUNS=${1:-5}
SIZES=${SIZES:-"10000 100000"}
CC=${CC:-cc}

[ -x /usr/bin/time ] || { echo "bench: needs /usr/bin/time (Debian: time)" >&2; exit 1; }
python3 -c 'import yaml; yaml.CSafeLoader' 2>/dev/null ||
    { echo "bench: needs PyYAML with libyaml (Debian: python3-yaml)" >&2; exit 1; }

# dipb's objects, for the generator; the release binary unless DIPB is set.
make -s -C "$top" dipb >/dev/null
bench_init validate
# The objects and libraries as bench_tools links them (bench/lib.sh): a
# list by hand fell behind the sources, and the bench did not link.
pcs=$(sed -n 's/^LIBS_PC[[:space:]]*=[[:space:]]*//p' "$top/Makefile")
# shellcheck disable=SC2086,SC2046 # lists of words
$CC -O2 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -I"$top/src" \
    $(pkg-config --cflags $pcs) -o "$work/gen_records" \
    "$top/bench/gen_records.c" $(bench_objs) $(pkg-config --libs $pcs) -pthread
# shellcheck disable=SC2086
$CC -O2 -o "$work/yaml_loop" "$top/bench/yaml_loop.c" \
    $(pkg-config --cflags --libs yaml-0.1)
cat >"$work/pyyaml.py" <<'PY'
import os, sys, yaml
d = sys.argv[1]
n = 0
for name in os.listdir(d):
    if name.endswith(".yaml"):
        with open(os.path.join(d, name), "rb") as f:
            yaml.load(f, Loader=yaml.CSafeLoader)
        n += 1
print(n, "files")
PY

# timed OUT CMD...: runs CMD in the board folder; appends "seconds kb".
timed() {
	_o=$1
	shift
	/usr/bin/time -f '%e %M' -o "$work/time" "$@" >"$work/stdout" \
	    2>"$work/stderr" || true
	tail -n 1 "$work/time" >>"$_o"
}
best() { sort -n "$1" | head -n 1; }

printf '%-8s %8s %8s %8s %9s %9s %9s\n' records dipb_s loop_s pyyaml_s \
    dipb/loop pyyaml/dipb dipb_MB
fail=0
for n in $SIZES; do
	b=$work/board-$n
	"$work/gen_records" "$b" "$n"
	recs=$b/recommendations
	cd "$b"
	# Sanity: dipb finds the generated board clean, and the loop and
	# PyYAML read every file.
	if ! "$DIPB" validate --format gcc >"$work/check" 2>&1; then
		echo "bench: the generated records are not valid:" >&2
		head "$work/check" >&2
		exit 1
	fi
	"$work/yaml_loop" "$recs" >"$work/check"
	grep -q "^$n files, .* 0 unparsable" "$work/check" ||
	    { echo "bench: yaml_loop: $(cat "$work/check")" >&2; exit 1; }
	find "$recs" -type f -exec cat {} + >/dev/null
	# What the machine gives this run: two loops at once against one
	# (2.0: both processors free; 1.0: one is busy with other work).
	: >"$work/t.one"; : >"$work/t.two"
	timed "$work/t.one" "$work/yaml_loop" "$recs"
	timed "$work/t.two" sh -c "'$work/yaml_loop' '$recs' >/dev/null &
	    '$work/yaml_loop' '$recs' >/dev/null; wait"
	cores=$(awk -v a="$(cut -d' ' -f1 "$work/t.one")" \
	    -v b="$(cut -d' ' -f1 "$work/t.two")" \
	    'BEGIN { printf "%.1f", (b > 0 ? 2 * a / b : 0) }')
	: >"$work/t.dipb"; : >"$work/t.loop"; : >"$work/t.py"
	i=0
	# Interleaved, best of each: the machine's other load hits all three
	# alike.  PyYAML takes minutes at 100,000: three runs up to 10,000.
	pyruns=1
	[ "$n" -le 10000 ] && pyruns=3
	while [ "$i" -lt "$RUNS" ]; do
		i=$((i + 1))
		timed "$work/t.dipb" "$DIPB" validate --format gcc
		timed "$work/t.loop" "$work/yaml_loop" "$recs"
		[ "$i" -le "$pyruns" ] || continue
		timed "$work/t.py" python3 "$work/pyyaml.py" "$recs"
		grep -q "^$n files" "$work/stdout" || { echo "bench: pyyaml:" \
		    "$(cat "$work/stdout" "$work/stderr")" >&2; exit 1; }
	done
	d=$(best "$work/t.dipb" | cut -d' ' -f1)
	l=$(best "$work/t.loop" | cut -d' ' -f1)
	p=$(best "$work/t.py" | cut -d' ' -f1)
	kb=$(sort -n -k2 "$work/t.dipb" | tail -n 1 | cut -d' ' -f2)
	size=$(du -sk "$recs" | cut -f1)
	line=$(awk -v n="$n" -v d="$d" -v l="$l" -v p="$p" -v kb="$kb" 'BEGIN {
		if (d < 0.01) d = 0.01
		printf "%-8d %8.2f %8.2f %8.2f %9.2f %9.1f %9.1f\n",
		    n, d, l, p, d / l, p / d, kb / 1024 }')
	echo "$line"
	echo "$line" >>"$work/results"
	echo "         ($size KB of records; $(nproc) processors, $cores of" \
	    "them free for this run)"
	cd "$work"
	rm -rf "$b"
done

# Instructions, which the machine's other load does not change: dipb's
# own on every thread, against the loop's (callgrind, 2,000 records).
if command -v valgrind >/dev/null 2>&1 && [ "${IR:-1}" != 0 ]; then
	"$work/gen_records" "$work/ir" 2000
	cd "$work/ir"
	valgrind --tool=callgrind --callgrind-out-file=/dev/null \
	    "$DIPB" validate 2>"$work/ir.dipb" >/dev/null || true
	valgrind --tool=callgrind --callgrind-out-file=/dev/null \
	    "$work/yaml_loop" recommendations 2>"$work/ir.loop" >/dev/null
	cd "$work"
	awk '/Collected :/ { v[FILENAME] = $NF } END {
		for (f in v) if (f ~ /dipb$/) d = v[f]; else l = v[f]
		printf "instructions at 2000 records (callgrind): dipb %d" \
		    " (all threads), loop %d: %.2fx\n", d, l, d / l }' \
	    "$work/ir.dipb" "$work/ir.loop"
fi

echo "targets: dipb <= 1.0x loop, >= 8x faster than CSafeLoader," \
    "<= 64 MB at 100,000"
while read -r n d l p dl pd mb; do
	ok=$(awk -v dl="$dl" -v pd="$pd" -v mb="$mb" -v n="$n" 'BEGIN {
		r = ""
		if (dl > 1.0) r = r " slower-than-loop"
		if (pd < 8) r = r " not-8x-pyyaml"
		if (n >= 100000 && mb > 64) r = r " over-64MB"
		print r == "" ? "met" : "MISSED:" r }')
	echo "$n records: $ok"
	case $ok in MISSED*) fail=1 ;; esac
done <"$work/results"
exit "$fail"

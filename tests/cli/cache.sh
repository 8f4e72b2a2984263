#!/bin/sh
# tests/cli/cache.sh - the cache of the tip's parsed records,
# .git/dipb/records.cache (dipb(1), FILES; DIPB_NO_CACHE): what list,
# show, todo and the reports print with it is what they print without;
# a changed record is read again; a cache that is corrupt, of another
# version, or that cannot be written is ignored, silently.
. "$(dirname "$0")/lib.sh"

CACHE=.git/dipb/records.cache

new_board
as drafter
mkrec industrial-capacity 'Alpha' >/dev/null			# IC-0001
mkrec industrial-capacity 'Bravo' >/dev/null			# IC-0002
mkrec supply-chain-security 'Charlie' >/dev/null		# SCS-0001
mkrec supply-chain-security 'Echo' >/dev/null			# SCS-0002
mkrec standardisation-interoperability 'Delta' >/dev/null	# SI-0001
drive IC-0002 in-review
drive SCS-0001 decided
drive SCS-0002 returned
drive SI-0001 withdrawn
run dipb action SCS-0001 --add 'Report back.' --owner \
    "$(member secretary | cut -d'|' -f2)"

# The commands, one a line, that read the tip's records.
CMDS="list
list --format json
list --format ids
list --status decided --format ids
list --wg supply-chain-security --priority medium
list --grep charl
list --author dan@example.org
list --owner secretary@example.org
list --topic none
show IC-0001
show SCS-0001 --format json
todo
report status --format markdown
report status --format json
report status --format html
report status --format man
report status --format latex
report actions --format markdown
report actions --format json
report actions --format html
report actions --format man
report actions --format latex
report agenda --format markdown
report minutes --since 2000-01-01 --format markdown
report minutes --since 2000-01-01 --format html"

# same DESC: every command of CMDS prints, stdout and stderr, and exits
# as it does with DIPB_NO_CACHE=1.  What they print without the cache is
# kept for each state of the board (its HEAD and its working tree, as git
# status sees it), which several checks share.
same() {
	_bad=
	_n=0
	_ref=$TROOT/ref.$(git rev-parse HEAD).$(git status --porcelain | cksum |
	    tr ' ' .)
	_new=0
	[ -d "$_ref" ] || { mkdir "$_ref" && _new=1; }
	while IFS= read -r _c; do
		if [ "$_new" = 1 ]; then
			# shellcheck disable=SC2086 # the words of one command
			DIPB_NO_CACHE=1 dipb $_c >"$_ref/$_n.out" \
			    2>"$_ref/$_n.err" </dev/null
			echo $? >"$_ref/$_n.rc"
		fi
		read -r _rrc <"$_ref/$_n.rc"
		# shellcheck disable=SC2086
		dipb $_c >"$TROOT/got.out" 2>"$TROOT/got.err" </dev/null
		_grc=$?
		if [ "$_rrc" != "$_grc" ] ||
		    ! cmp -s "$_ref/$_n.out" "$TROOT/got.out" ||
		    ! cmp -s "$_ref/$_n.err" "$TROOT/got.err"; then
			_bad="$_bad
dipb $_c: exit $_rrc/$_grc
$(diff "$_ref/$_n.out" "$TROOT/got.out" | head -n 10)
$(diff "$_ref/$_n.err" "$TROOT/got.err" | head -n 10)"
		fi
		_n=$((_n + 1))
	done <<EOC
$CMDS
EOC
	if [ -z "$_bad" ] && [ "$_n" -gt 10 ]; then
		ok "$1"
	else
		not_ok "$1" "$_bad"
	fi
}

rm -rf .git/dipb
DIPB_NO_CACHE=1 dipb list >/dev/null
check_eq 'DIPB_NO_CACHE=1: no cache is written' no \
    "$([ -e "$CACHE" ] && echo yes || echo no)"
same 'a cold cache: every command prints what it prints without'
check 'the first reading command wrote .git/dipb/records.cache' \
    test -s "$CACHE"
same 'a warm cache: every command prints what it prints without'
check_eq 'the cache is written in one piece (no temporary file left)' \
    records.cache "$(ls .git/dipb)"
check_eq 'the cache leaves the working tree clean' '' \
    "$(git status --porcelain)"

# A cache that cannot be written is skipped without a word (dipb(1),
# FILES): under a file size limit below its size too (ulimit -f, in
# blocks of 512 bytes), where SIGXFSZ killed dipb mid-write, silent, the
# list unprinted and the temporary file left.
_size=$(stat -c %s "$CACHE")
DIPB_NO_CACHE=1 dipb list >"$TROOT/list.ref"
rm -rf .git/dipb
run sh -c 'ulimit -f "$1" && dipb list | cat' sh $((_size / 512 / 2))
cp "$OUT" "$TROOT/list.out"
check_eq 'ulimit -f below the cache: dipb list exits 0, silent' 0: \
    "$RC:$(cat "$ERR")"
check 'ulimit -f below the cache: the list printed whole' \
    cmp -s "$TROOT/list.out" "$TROOT/list.ref"
check_eq 'ulimit -f below the cache: no cache, no temporary file' '' \
    "$(ls .git/dipb 2>/dev/null)"

# A FIFO in the cache's place (a mistake, or another member of a shared
# repository's group) is never opened: open(2) of a FIFO waits for a
# writer, for ever.  As if there were no cache (dipb(1), FILES): every
# command prints what it prints without, and the cache is written again
# in its place (timeout: a hang fails the check).
rm -rf .git/dipb && mkdir .git/dipb && mkfifo "$CACHE"
for c in list todo 'report status --format json'; do
	# shellcheck disable=SC2086 # the words of one command
	DIPB_NO_CACHE=1 dipb $c >"$TROOT/fifo.ref" 2>&1
	# shellcheck disable=SC2086
	run timeout 10 dipb $c
	check_eq "a FIFO as records.cache: dipb $c, not blocked, as without" \
	    "0:$(cat "$TROOT/fifo.ref")" "$RC:$(cat "$OUT" "$ERR")"
done
check_eq 'the cache written in its place: a regular file' 'regular file' \
    "$(stat -c %F "$CACHE")"
rm -f "$CACHE"

# The journal of a change in flight (dipb(1), FILES) replaced by a FIFO:
# never opened either; a reading command warns, a writing one refuses.
mkfifo .git/dipb-journal
run timeout 10 dipb list --format ids
check_eq 'a FIFO as .git/dipb-journal: list not blocked, a warning' \
    "0:1" "$RC:$(grep -c 'dipb-journal: not a regular file' "$ERR")"
run timeout 10 dipb withdraw IC-0001 -m 'Not now.'
check_eq 'a FIFO as .git/dipb-journal: a change refused, not blocked' \
    5:draft:said "$RC:$(status_of IC-0001):$(grep -q \
    'dipb-journal: not a regular file' "$ERR" && echo said)"
rm .git/dipb-journal

# A hand-made change: a new blob for IC-0001, read again.
sedit recommendations/IC-0001.yaml 's/^title: .*/title: Alpha by hand/'
git commit -q -am 'IC-0001: a new title, by hand'
check_out 'a record changed by hand (a new blob) is read again' \
    'Alpha by hand' sh -c 'dipb list --format ids >/dev/null &&
    dipb list | grep IC-0001 | cut -f5'
same 'after a change by hand: every command prints what it prints without'

# A board change: the checks of each record that the cache keeps were
# made under the board before, and are made again.  Its working group
# removed, SI-0001 is left out, at the next call and at the one after.
dipb list >/dev/null
cp dipb.yaml "$TROOT/dipb.keep"
sed '/key: standardisation-interoperability/,/name: /d' "$TROOT/dipb.keep" \
    >dipb.yaml
git commit -q -am 'dipb.yaml: the SI working group removed, by hand'
for n in next 'one after'; do
	run dipb list --format ids
	check_eq "a working group removed: the $n list leaves its record out" \
	    '1:1:0' "$RC:$(grep -c "SI-0001.yaml:.*unknown working group" \
	    "$ERR"):$(grep -c SI-0001 "$OUT")"
done
same 'a working group removed: every command prints what it prints without'
cp "$TROOT/dipb.keep" dipb.yaml
git commit -q -am 'dipb.yaml: the SI working group back'
run dipb list --format ids
check_eq 'the working group back: its record is listed, nothing said' \
    '0::1' "$RC:$(cat "$ERR"):$(grep -c SI-0001 "$OUT")"
same 'the working group back: every command prints what it prints without'

# The cache is used when whole: a title changed in it, with its checksum
# made again, shows (proof that the cache is read at all).  Python does
# what cache.c's comment says the file is.
cat >"$TROOT/forge.py" <<'EOP'
import struct, sys
path, old, new, field = sys.argv[1], sys.argv[2].encode(), \
    sys.argv[3].encode(), sys.argv[4]
d = bytearray(open(path, 'rb').read())
m = b'dipb records cache\n'
assert d.startswith(m)
p = len(m) + 8
(vlen,) = struct.unpack_from('<I', d, p)
p += 4 + vlen
fields = struct.unpack_from('<4I', d, p)
eend = fields[2]
body = p + 16 + 16
# old, wherever it is: a record's entry and its head in the last walk
assert d.find(old, body) >= 0 and len(old) == len(new)
d[body:] = bytes(d[body:]).replace(old, new)
if field in ('format', 'record'):
    # the next version of the one dipb writes
    at = len(m) + (0 if field == 'format' else 4)
    struct.pack_into('<I', d, at, struct.unpack_from('<I', d, at)[0] + 1)
elif field == 'version':
    d[len(m) + 12] ^= 1
elif field == 'flags':
    # the first record of the walk: a flag dipb does not know
    def skip(q):
        (n,) = struct.unpack_from('<I', d, q)
        return q + 4 + (0 if n == 0xffffffff else n)
    q = skip(eend)                  # the key
    for _ in range(fields[1]):      # the trees: id, bytes
        q = skip(skip(q))
    q = skip(q)                     # the walk's tree
    (n,) = struct.unpack_from('<I', d, q)
    q += 4 + 4 * n                  # past the order by id
    assert d[q + 4] in (0, 1)
    d[q + 4] = 2
P, M = 0x100000001b3, 0xffffffffffffffff
def fnv(b):
    lanes = [0xcbf29ce484222325 ^ k for k in range(4)]
    n = len(b) - len(b) % 32
    for i, (w,) in enumerate(struct.iter_unpack('<Q', b[:n])):
        lanes[i % 4] = ((lanes[i % 4] ^ w) * P) & M
    h = 0xcbf29ce484222325
    for x in lanes:
        h = ((h ^ x) * P) & M
    for c in b[n:]:
        h = ((h ^ c) * P) & M
    return h
if field != 'nosum':
    # the rest's checksum, the fields folded in, then the entries'
    h = fnv(bytes(d[eend:]))
    for v in fields:
        h = ((h ^ v) * P) & M
    struct.pack_into('<Q', d, p + 16, h)
    struct.pack_into('<Q', d, p + 24, fnv(bytes(d[body:eend])))
open(path, 'wb').write(bytes(d))
EOP
dipb list >/dev/null
forge() {
	python3 "$TROOT/forge.py" "$CACHE" Charlie Charlix "$1"
}
cp "$CACHE" "$TROOT/good.cache"
forge sum
check_out 'a whole cache is used: its record shows' 'Charlix' \
    sh -c 'dipb list | grep SCS-0001 | cut -f5'
# ... but only the user's own, that nobody else can write (dipb(1),
# FILES): in a shared repository another member could have written it.
for how in g+w o+w; do
	cp "$TROOT/good.cache" "$CACHE"
	forge sum
	chmod "$how" "$CACHE"
	check_out "a whole cache, $how: ignored" 'Charlie' \
	    sh -c 'dipb list | grep SCS-0001 | cut -f5'
	check_eq "a whole cache, $how: replaced by one nobody else can write" \
	    '--' "$(ls -l "$CACHE" | cut -c6,9)"
done
if [ "$(id -u)" = 0 ]; then
	cp "$TROOT/good.cache" "$CACHE"
	forge sum
	chown 65534 "$CACHE"
	check_out "a whole cache of another user's: ignored (root)" 'Charlie' \
	    sh -c 'dipb list | grep SCS-0001 | cut -f5'
else
	skip "a whole cache of another user's: ignored" 'not root: no chown'
fi
for how in nosum format record version; do
	cp "$TROOT/good.cache" "$CACHE"
	forge "$how"
	case $how in
	nosum) what='a corrupt cache (a byte changed, its checksum not)' ;;
	format) what='a cache of another file format' ;;
	record) what='a cache of another record format' ;;
	version) what='a cache of another dipb version' ;;
	esac
	check_out "$what is ignored" 'Charlie' \
	    sh -c 'dipb list | grep SCS-0001 | cut -f5'
	check_out "$what is then replaced" 'Charlie' \
	    sh -c 'dipb list | grep SCS-0001 | cut -f5'
done
# A head that the walk says is plain (printable ASCII, which a second
# list writes as it is) and is not: the flag is checked, not trusted.
cp "$TROOT/good.cache" "$CACHE"
python3 "$TROOT/forge.py" "$CACHE" Charlie "$(printf 'Char\033ie')" sum
check_out 'a head said to be plain that holds an ESC: the cache is ignored' \
    'Charlie' sh -c 'dipb list | grep SCS-0001 | cut -f5'
cp "$TROOT/good.cache" "$CACHE"
forge flags
check_out 'a head with a flag that dipb does not know: the cache is ignored' \
    'Charlie' sh -c 'dipb list | grep SCS-0001 | cut -f5'
for n in 0 10 100 1000; do
	head -c "$n" "$TROOT/good.cache" >"$CACHE"
	same "a cache truncated to $n bytes is ignored"
done
printf 'garbage' >"$CACHE"
run dipb list
check_eq 'a garbage cache: list says nothing of it' '0:' "$RC:$(cat "$ERR")"

# A cache that cannot be written: skipped, silently.  A file where the
# folder would be stops even root.
rm -rf .git/dipb
: >.git/dipb
run dipb list
check_eq 'a cache that cannot be written: list exits 0, says nothing' \
    '0:' "$RC:$(cat "$ERR")"
same 'a cache that cannot be written: every command prints as without'
rm -f .git/dipb
if [ "$(id -u)" != 0 ]; then
	dipb list >/dev/null
	chmod -R a-w .git
	same 'a read-only .git: every command prints as without'
	chmod -R u+w .git
else
	skip 'a read-only .git' 'root writes to a read-only folder'
fi

# core.sharedRepository: the folder and the file get git's modes.
rm -rf .git/dipb
git config core.sharedRepository group
run dipb list
check_eq 'sharedRepository=group: .git/dipb is group-writable, setgid' \
    'drwxrws' "$(ls -ld .git/dipb | cut -c1-7)"
check 'sharedRepository=group: the cache is the user'"'"'s own, in users/UID/' \
    test -f ".git/dipb/users/$(id -u)/records.cache"
check_eq 'sharedRepository=group: the cache is not group-writable' \
    '-rw-r' "$(ls -l ".git/dipb/users/$(id -u)/records.cache" | cut -c1-5)"
check_eq 'sharedRepository=group: ... nor by others' \
    '-' "$(ls -l ".git/dipb/users/$(id -u)/records.cache" | cut -c9)"
git config --unset core.sharedRepository

# Two and more at once: each writes a whole file, the last one wins.
rm -rf .git/dipb
DIPB_NO_CACHE=1 dipb report status --format json >"$TROOT/ref.json"
for i in 1 2 3 4 5 6; do
	dipb report status --format json >"$TROOT/par.$i" 2>&1 &
done
wait
_diff=
for i in 1 2 3 4 5 6; do
	cmp -s "$TROOT/ref.json" "$TROOT/par.$i" || _diff="$_diff $i"
done
check_eq 'six dipb at once on a cold cache print the same report' '' "$_diff"
check_eq 'six at once leave one cache file, no temporary one' \
    records.cache "$(ls .git/dipb)"
same 'after six at once: every command prints what it prints without'

# A cache larger than the 256 KiB that cache.c makes in memory: written
# in parts to a temporary file, its count and checksum last, renamed
# when whole.  1,500 drafts make about 310 KB.
new_board big
fast_drafts 1500
json() { dipb list --format json; }
DIPB_NO_CACHE=1 json >"$TROOT/big.ref"
DIPB_NO_CACHE=1 dipb list >"$TROOT/big.table"
rm -rf .git/dipb
json >"$TROOT/big.cold"
check 'a cache written in parts: list prints what it prints without' \
    cmp "$TROOT/big.ref" "$TROOT/big.cold"
check 'a cache written in parts is over 256 KiB' \
    test "$(wc -c <"$CACHE")" -gt 262144
check_eq 'a cache written in parts leaves no temporary file' \
    records.cache "$(ls .git/dipb)"
ino=$(ls -i "$CACHE")
json >"$TROOT/big.warm"
check 'a cache written in parts, read: list prints the same' \
    cmp "$TROOT/big.ref" "$TROOT/big.warm"
# Rewritten only when it could not be trusted (or something changed).
check_eq 'a cache written in parts is whole: read, not made again' \
    "$ino" "$(ls -i "$CACHE")"
sedit recommendations/IC-0600.yaml 's/^title: .*/title: Changed by hand/'
git commit -q -am 'IC-0600: a new title, by hand'
DIPB_NO_CACHE=1 json >"$TROOT/big.ref"
DIPB_NO_CACHE=1 dipb list >"$TROOT/big.table"
json >"$TROOT/big.part"
check 'one record changed: list prints what it prints without' \
    cmp "$TROOT/big.ref" "$TROOT/big.part"
check 'one record changed: the cache is made again' \
    test "$ino" != "$(ls -i "$CACHE")"
ino=$(ls -i "$CACHE")
json >"$TROOT/big.warm"
check 'then read: list prints the same, the cache is not made again' \
    sh -c 'cmp "$1" "$2" && test "$3" = "$(ls -i "$4")"' sh \
    "$TROOT/big.ref" "$TROOT/big.warm" "$ino" "$CACHE"
cp "$CACHE" "$TROOT/big.cache"
python3 "$TROOT/forge.py" "$CACHE" 'Record 1450' 'Record 14x0' sum
check_out 'a cache written in parts is used: a record of its last part' \
    'Record 14x0' sh -c 'dipb list | grep IC-1450 | cut -f5'

# The entries are checked at their first use, apart from the rest: a
# summary (not in the table, so in no record's head) changed, its
# checksum made again, shows in what reads the whole record.
cp "$TROOT/big.cache" "$CACHE"
python3 "$TROOT/forge.py" "$CACHE" 'Summary 1450.' 'Summary 14x0.' sum
check_out 'the entries are used: a summary of the cache shows in json' \
    'Summary 14x0.' sh -c 'dipb list --format json | grep -o "Summary 14x0."'
cp "$TROOT/big.cache" "$CACHE"
python3 "$TROOT/forge.py" "$CACHE" 'Summary 1450.' 'Summary 14x0.' nosum
check 'corrupt entries, the rest whole: the table is the same' \
    sh -c 'dipb list | cmp -s - "$1"' sh "$TROOT/big.table"
check 'corrupt entries: --grep, which reads them, ignores them' \
    sh -c 'test "$(dipb list --grep 14x0 --format ids)" = ""'
check 'corrupt entries: list --format json ignores them too' \
    sh -c 'dipb list --format json | cmp -s - "$1"' sh "$TROOT/big.ref"
check 'corrupt entries: the cache is made again, then used' \
    sh -c 'dipb list --format json | cmp -s - "$1" &&
    ! grep -q "Summary 14x0" "$2"' sh "$TROOT/big.ref" "$CACHE"

# --- What a second call reads ----------------------------------------------
# A sharded board of 250 records, its objects loose, so that those of
# recommendations/ can be taken away: what dipb still prints then, it
# did not read.
BOARD=$(mktemp -d "$TROOT/sharded.XXXXXX")
cd "$BOARD" && git init -q
as chair
run dipb init --config "$BOARD_CONFIG" --layout sharded
fast_drafts 250 sharded
mkdir "$TROOT/packs" "$TROOT/hidden"
mv .git/objects/pack/* "$TROOT/packs/"
for p in "$TROOT/packs"/*.pack; do git unpack-objects -q <"$p"; done
# loose_path ID: the file of loose object ID, no process started (hide
# and unhide move some 260 objects each time).
loose_path() { echo ".git/objects/${1%"${1#??}"}/${1#??}"; }
# hide [KEEP...]: the trees and files of recommendations/ taken away, but
# for the objects named; unhide puts them back.
hide() {
	{ git rev-parse HEAD:recommendations
	  git ls-tree -r -t HEAD recommendations | awk '{ print $3 }'; } \
	    >"$TROOT/objects"
	while read -r _id; do
		case " $* " in *" $_id "*) continue ;; esac
		_f=$(loose_path "$_id")
		if [ -e "$_f" ]; then mv "$_f" "$TROOT/hidden/$_id"; fi
	done <"$TROOT/objects"
}
unhide() {
	for _f in "$TROOT"/hidden/*; do
		[ -e "$_f" ] || continue
		mv "$_f" "$(loose_path "${_f##*/}")"
	done
}
# seen DESC: list, its json, and report status print what they print
# without the cache (in ref.*), with every object of hide's gone but the
# tree of recommendations/, which the report's history reads
# (dipb_history_open), so that the report is run with that tree back.
refs() {
	DIPB_NO_CACHE=1 dipb list >"$TROOT/ref.list"
	DIPB_NO_CACHE=1 dipb list --format json >"$TROOT/ref.json"
	DIPB_NO_CACHE=1 dipb report status --format html >"$TROOT/ref.html"
}
seen() {
	_top=$(git rev-parse HEAD:recommendations)
	_t=$TROOT/hidden/$_top
	check "$1" sh -c 'dipb list | cmp -s - "$1/ref.list" &&
	    dipb list --format json | cmp -s - "$1/ref.json" &&
	    { ! [ -e "$2" ] || mv "$2" "$3"; } &&
	    dipb report status --format html | cmp -s - "$1/ref.html"' \
	    sh "$TROOT" "$_t" "$(loose_path "$_top")"
}
refs
dipb list >/dev/null
hide
check 'recommendations/ taken away: without the cache, list cannot read' \
    sh -c '! DIPB_NO_CACHE=1 dipb list >/dev/null 2>&1'
seen 'an unchanged tip: list and report read no tree and no record file'
# What finds the objects lost, which the cache answers for unread
# (dipb(1), DIPB_NO_CACHE and FILES): git fsck and dipb verify.
check 'recommendations/ taken away: git fsck finds it' \
    sh -c '! git fsck --no-progress >/dev/null 2>&1'
run dipb verify
check_eq 'recommendations/ taken away: dipb verify finds it, exit 1' 1:yes \
    "$RC:$(grep -q 'cannot read object' "$ERR" && echo yes)"
unhide
sedit recommendations/IC/01/IC-0150.yaml 's/^title: .*/title: Changed by hand/'
git commit -q -am 'IC-0150: a new title, by hand'
refs
hide "$(git rev-parse HEAD:recommendations)" \
    "$(git rev-parse HEAD:recommendations/IC)" \
    "$(git rev-parse HEAD:recommendations/IC/01)" \
    "$(git rev-parse HEAD:recommendations/IC/01/IC-0150.yaml)"
seen 'one record changed: the trees on its path and its file read, no other'
unhide
hide
seen 'then: none read, of the new trees either'
unhide
check 'the repository is whole again' git fsck --strict --no-progress

# On a terminal, the table is aligned, from rows kept for the widths,
# where it is otherwise printed from the cache's heads as they come.
on_tty() {
	python3 -c 'import os, pty, sys
st = pty.spawn(["env"] + sys.argv[1:])
sys.exit(os.waitstatus_to_exitcode(st))' "$@" </dev/null | tr -d '\r'
}
dipb list >/dev/null
on_tty DIPB_NO_CACHE=1 dipb list >"$TROOT/tty.ref"
on_tty dipb list >"$TROOT/tty.got"
check 'on a terminal: the aligned table, as without the cache' \
    sh -c 'grep -q "^ID  *STATUS  *WORKING-GROUP" "$1" && cmp -s "$1" "$2"' \
    sh "$TROOT/tty.ref" "$TROOT/tty.got"
on_tty dipb list --status draft --format ids >"$TROOT/tty.got"
check_eq 'on a terminal: the ids, as without the cache' \
    "$(DIPB_NO_CACHE=1 dipb list --status draft --format ids | wc -l) 250" \
    "$(wc -l <"$TROOT/tty.got") $(grep -c '^IC-' "$TROOT/tty.got")"


# The temporary files of writers killed with SIGKILL (which no handler
# sees): one of a process not running, older than a day, is removed by the
# next write beside it (the records cache's, a checkpoint's of dipb
# verify); one of a process still running, or written within the day (a
# shared repository's writer on another machine, over NFS), is kept.
dead=$(sh -c 'echo $$')
_g=.git/dipb
mkdir -p "$_g/verify"
for _f in "records.cache.dipb-tmp.$dead" "verify/0123abcd.dipb-tmp.$dead" \
    "records.cache.dipb-tmp.$$"; do
	: >"$_g/$_f"
	touch -d '2 days ago' "$_g/$_f"
done
: >"$_g/records.cache.dipb-tmp.$((dead + 1))"	# now: kept
rm -f "$_g/records.cache"
dipb list >/dev/null 2>&1
dipb verify >/dev/null 2>&1
check_eq 'killed writers'"'"' temporary files: a dead one'"'"'s of two days ago removed, a running one'"'"'s and a recent one kept' \
    "gone gone kept kept" \
    "$(for _f in "records.cache.dipb-tmp.$dead" "verify/0123abcd.dipb-tmp.$dead" \
    "records.cache.dipb-tmp.$$" "records.cache.dipb-tmp.$((dead + 1))"; do
	[ -e "$_g/$_f" ] && echo kept || echo gone; done | tr '\n' ' ' | sed 's/ $//')"
rm -f "$_g"/*.dipb-tmp.* "$_g"/verify/*.dipb-tmp.*

finish

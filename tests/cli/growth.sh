#!/bin/sh
# tests/cli/growth.sh - what a change leaves in .git, as git leaves it
# (dipb-git(7), "Repository growth"): a big folder's tree is a loose
# object compressed at git's level (core.looseCompression, else
# core.compression, else 1); and after a writing command, git gc --auto
# runs when git's limits say so (gc.auto, gc.autoPackLimit, gc.autoDetach,
# maintenance.auto), never after a command that only reads.
. "$(dirname "$0")/lib.sh"

new_board growth
as drafter

# 450 drafts, one commit and tag each, with git fast-import: the folder's
# tree (40 bytes an entry) is then past the 16 KB from which dipb writes
# it itself (src/git/tree.c).
fast_drafts 450 && git gc -q
check_eq 'the board has 450 records' 451 "$(ncommits)"
git config gc.auto 0		# the first checks are of the objects alone

# loose_size REV: the bytes of REV's loose object file; raw_size: its size.
loose_size() {
	_h=$(git rev-parse "$1")
	_f=.git/objects/$(echo "$_h" | cut -c 1-2)/$(echo "$_h" | cut -c 3-)
	if [ -f "$_f" ]; then wc -c <"$_f" | tr -d ' '; else echo none; fi
}
raw_size() { git cat-file -s "$1"; }

mkrec industrial-capacity 'Compressed' >/dev/null
raw=$(raw_size HEAD:recommendations)
size=$(loose_size HEAD:recommendations)
if [ "$raw" -gt 16384 ] && [ "$size" != none ] &&
    [ "$size" -lt $((raw * 3 / 4)) ]; then
	ok "the folder's new tree is a compressed loose object ($size bytes of $raw)"
else
	not_ok "the folder's new tree is a compressed loose object" \
	    "loose file: $size bytes; the tree: $raw bytes"
fi
# git's level 1: the bytes git itself would write (zlib at level 1).
git cat-file tree HEAD:recommendations |
    python3 -c 'import sys, zlib
d = sys.stdin.buffer.read()
sys.stdout.buffer.write(zlib.compress(b"tree %d\0" % len(d) + d, 1))' \
    >"$TROOT/git-level1"
_h=$(git rev-parse HEAD:recommendations)
if cmp -s "$TROOT/git-level1" \
    ".git/objects/$(echo "$_h" | cut -c 1-2)/$(echo "$_h" | cut -c 3-)"; then
	ok 'its bytes are zlib level 1 of the object, as git writes it'
else
	not_ok 'its bytes are zlib level 1 of the object, as git writes it'
fi
check_fsck

git config core.compression 0
mkrec industrial-capacity 'Stored, core.compression' >/dev/null
size=$(loose_size HEAD:recommendations)
raw=$(raw_size HEAD:recommendations)
if [ "$size" != none ] && [ "$size" -gt "$raw" ]; then
	ok "core.compression 0: the tree is stored ($size bytes of $raw)"
else
	not_ok 'core.compression 0: the tree is stored' "$size bytes of $raw"
fi
git config core.looseCompression 9
mkrec industrial-capacity 'Level 9 over core.compression' >/dev/null
size=$(loose_size HEAD:recommendations)
raw=$(raw_size HEAD:recommendations)
if [ "$size" != none ] && [ "$size" -lt "$raw" ]; then
	ok "core.looseCompression 9 wins over core.compression ($size of $raw)"
else
	not_ok 'core.looseCompression 9 wins over core.compression' \
	    "$size bytes of $raw"
fi
check_fsck
# In dipb's environment alone: git itself refuses to run with it.
check_refused 2 'bad zlib compression level in core.loosecompression' \
    'core.looseCompression 10 is refused, as git refuses it' \
    env GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=core.looseCompression \
    GIT_CONFIG_VALUE_0=10 dipb recommend --wg industrial-capacity \
    --title 'Bad level' --summary S --no-edit
git config core.looseCompression -1
mkrec industrial-capacity 'zlib default' >/dev/null
size=$(loose_size HEAD:recommendations)
check_eq 'core.looseCompression -1 (zlib default) compresses' yes \
    "$([ "$size" != none ] && [ "$size" -lt "$raw" ] && echo yes)"
git config --unset core.looseCompression
git config --unset core.compression
verify_clean 'dipb verify: the history of these changes is clean'

# --- git gc --auto ------------------------------------------------------------
# npacks: the packs of what the refs reach, that is all but a cruft pack
# (one with a .mtimes beside it: since gc.cruftPacks became true, as in
# git 2.47 and not 2.39, git gc keeps the unreachable objects it does
# not prune yet in one, where it left them loose before; git's own
# gc.autoPackLimit counts it, and so does dipb).  nloose: the loose
# objects.
npacks() {
	for _p in .git/objects/pack/*.pack; do
		[ -f "$_p" ] && [ ! -f "${_p%.pack}.mtimes" ] && echo "$_p"
	done | wc -l | tr -d ' '
}
nloose() { git count-objects -v | sed -n 's/^count: //p'; }
# two_packs TITLE: everything in one pack, then a new draft TITLE in a
# second one (gc.auto 0 meanwhile, so that dipb runs no gc of its own).
two_packs() {
	git config gc.auto 0
	git gc -q
	mkrec industrial-capacity "$1" >/dev/null
	git repack -q -d
	git config --unset gc.auto
}

# Two packs (git gc made one; git repack -d adds the loose objects as
# another), with gc.autoPackLimit 1 git's limit is passed.
git repack -q -d
check_eq 'two packs to begin with' 2 "$(npacks)"
git config gc.autoPackLimit 1
git config gc.autoDetach false

check_out 'gc.auto 0: dipb recommend prints the id alone' IC-0455 \
    dipb recommend --wg industrial-capacity --title 'No gc' --summary S \
    --no-edit
check_eq 'gc.auto 0: nothing is packed' 2 "$(npacks)"
git config --unset gc.auto
git config maintenance.auto false
mkrec industrial-capacity 'No maintenance' >/dev/null
check_eq 'maintenance.auto false: nothing is packed' 2 "$(npacks)"
git config --unset maintenance.auto

run dipb list
check_eq 'dipb list (reads only) runs no gc' 2 "$(npacks)"
check_eq 'and its loose objects are still there' yes \
    "$([ "$(nloose)" -gt 0 ] && echo yes)"

check_out 'dipb recommend past the limit prints the id alone' IC-0457 \
    dipb recommend --wg industrial-capacity --title 'Packed' --summary S \
    --no-edit
check_eq 'and says nothing of git gc' 'IC-0457/1-drafted
dipb: warning: this board lists no signing keys: its history is unauthenticated (dipb-board(5), "Signing")' \
    "$(cat "$ERR")"
check_eq 'git gc --auto ran: one pack' 1 "$(npacks)"
# Left loose (or in a cruft pack): only what nothing reaches (the blob
# of the refused change above), which git gc keeps for two weeks
# (gc.pruneExpire).
check_eq 'every object a ref reaches is packed' '' \
    "$(loose_reached)"
check_eq 'the change is whole' '' "$(git status --porcelain)"
check_fsck
verify_clean 'dipb verify after git gc: clean'

# Loose objects past gc.auto: git counts those in objects/17 and expects
# a 256th of gc.auto there.  gc.auto 256: two are too many.
git config gc.autoPackLimit 0
git config gc.auto 256
git config gc.autoDetach false
loose17 1
loose17 2
run dipb list
check_eq 'two loose objects in objects/17, dipb list: no gc' 2 \
    "$(ls .git/objects/17 | wc -l | tr -d ' ')"
mkrec industrial-capacity 'Loose past gc.auto' >/dev/null
check_eq 'past gc.auto, git gc --auto packs what a ref reaches' '' \
    "$(loose_reached)"
git config --unset gc.auto
git config --unset gc.autoPackLimit
git config gc.autoPackLimit 1

# gc.autoDetach (git's default): git gc goes on in the background.
git config --unset gc.autoDetach
two_packs 'Detached'
check_eq 'two packs again' 2 "$(npacks)"
run dipb review IC-0001 --request
check_eq 'dipb review --request succeeds' 0 "$RC"
i=0
while { [ "$(npacks)" != 1 ] || [ -e .git/gc.pid ]; } && [ "$i" -lt 600 ]; do
	sleep 0.1
	i=$((i + 1))
done
check_eq 'the detached git gc packs the repository' 1 "$(npacks)"
check_eq 'the history is whole' '' "$(git status --porcelain)"
verify_clean 'dipb verify after the detached gc: clean'

# A git gc that fails: the warning gives git's cause, not the advice
# that follows it.  A stale packed-refs.lock stops gc's git pack-refs
# (dipb's own change does not need that lock).  git 2.39's gc packs the
# refs always; git 2.47's runs git pack-refs --auto, which packs them
# only past a number of loose refs that grows with the log of the size
# of packed-refs (16 at least, a few dozen here): 300 loose refs are
# past it for any packed-refs this side of 2^60 bytes.
git config gc.autoDetach false
two_packs 'Before the lock'
check_eq 'two packs once more' 2 "$(npacks)"
_h=$(git rev-parse HEAD)
seq 300 | sed "s|.*|create refs/loose/& $_h|" | git update-ref --stdin
: >.git/packed-refs.lock
run dipb recommend --wg industrial-capacity --title 'Locked out' \
    --summary S --no-edit
check_eq 'the change is made' 0 "$RC"
check_err 'the warning names the lock file git found' \
    "dipb: warning: git gc --auto failed: fatal: Unable to create '$PWD/.git/packed-refs.lock': File exists."
rm -f .git/packed-refs.lock
git for-each-ref --format='delete %(refname)' refs/loose/ |
    git update-ref --stdin
git config --unset gc.autoDetach
# --- A level git would not take, on a small board -------------------------
# Its trees are below the 16 KB from which dipb writes them itself, and
# libgit2 writes them at its own level: the level is refused all the
# same, by every writing command, before any object is written, as git
# refuses it (git dies of a bad core.compression even where
# core.looseCompression is good).  Given in dipb's environment alone:
# the checks' own git would die of it.
new_board small
as drafter
nobjects() { git count-objects -v | sed -n 's/^count: //p'; }
# level_refused CMD-WORDS KEY=VALUE...: git refuses the configuration,
# and dipb CMD-WORDS exits 2 naming the first bad key, writing nothing.
level_refused() {
	_cmd=$1
	shift
	_gitc= _env= _n=0 _bad=
	for _kv; do
		_k=${_kv%%=*} _v=${_kv#*=}
		_gitc="$_gitc -c $_kv"
		_env="$_env GIT_CONFIG_KEY_$_n=$_k GIT_CONFIG_VALUE_$_n=$_v"
		_n=$((_n + 1))
		git -c "$_kv" hash-object --stdin </dev/null >/dev/null 2>&1 ||
		    [ -n "$_bad" ] || _bad=$(echo "$_k" | tr A-Z a-z)
	done
	# shellcheck disable=SC2086
	git $_gitc hash-object --stdin </dev/null >/dev/null 2>&1
	check_eq "git refuses $*" 128 "$?"
	_o=$(nobjects)
	# shellcheck disable=SC2086
	check_refused 2 "dipb: bad zlib compression level in $_bad: it takes -1 to 9" \
	    "dipb $_cmd with $* is refused, as git refuses it" \
	    env GIT_CONFIG_COUNT=$_n $_env dipb $_cmd
	check_eq "dipb $_cmd with $*: no object written" "$_o" "$(nobjects)"
}
rec='recommend --wg industrial-capacity --title Small --summary S --no-edit'
level_refused "$rec" core.looseCompression=12
level_refused "$rec" core.compression=10
level_refused "$rec" core.looseCompression=-2
level_refused "$rec" core.looseCompression=1 core.compression=12
level_refused "$rec" core.compression=x
id=$(mkrec industrial-capacity 'Small draft')
level_refused "review $id --request" core.compression=-2
as chair
level_refused 'edit --board --no-edit' core.looseCompression=10
as drafter
for v in -1 0 9; do
	run env GIT_CONFIG_COUNT=2 GIT_CONFIG_KEY_0=core.compression \
	    GIT_CONFIG_VALUE_0=$v GIT_CONFIG_KEY_1=core.looseCompression \
	    GIT_CONFIG_VALUE_1=$v dipb recommend --wg industrial-capacity \
	    --title "Level $v" --summary S --no-edit
	check_eq "level $v, which git takes, is taken" 0 "$RC"
done
# git dies of a bad value another overrides, later in the same file or
# at a higher level, where libgit2 reads the last one only.
# overridden KEY WHAT: git and dipb refuse KEY's values, written nothing.
overridden() {
	git hash-object --stdin </dev/null >/dev/null 2>&1
	check_eq "git refuses $2" 128 "$?"
	_o=$(nobjects)
	# shellcheck disable=SC2086
	check_refused 2 \
	    "dipb: bad zlib compression level in $1: it takes -1 to 9" \
	    "dipb recommend with $2 is refused, as git refuses it" dipb $rec
	check_eq "dipb recommend with $2: no object written" "$_o" \
	    "$(nobjects)"
}
git config --add core.compression 12
git config --add core.compression 5
overridden core.compression 'core.compression 12, then 5'
git config --unset-all core.compression
git config --global core.looseCompression 10
git config core.looseCompression 3
overridden core.loosecompression 'a global 10 and a local 3'
git config --global --unset core.looseCompression
git config --unset core.looseCompression
check_fsck
# dipb init: no board made, no repository left behind.
mkdir "$TROOT/noinit"
as chair
run env GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=core.compression \
    GIT_CONFIG_VALUE_0=12 dipb init "$TROOT/noinit/b" --config "$BOARD_CONFIG"
check_eq 'dipb init with core.compression 12: exit status 2' 2 "$RC"
check_err 'dipb init names core.compression' \
    'dipb: bad zlib compression level in core.compression: it takes -1 to 9'
check_eq 'dipb init with core.compression 12: nothing left' '' \
    "$(ls -A "$TROOT/noinit")"
finish

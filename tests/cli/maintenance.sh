#!/bin/sh
# tests/cli/maintenance.sh - git's newer object and ref maintenance on a
# board: multi-pack-index (with bitmap, repack and expire), cruft and
# geometric repacks, split commit-graphs with changed paths, and the
# tasks of git maintenance run.  After each, dipb list, report status
# --format json, verify and log say what they said before; a
# multi-pack-index left stale (core.multiPackIndex false) and a
# commit-graph that lies about a parent change nothing (dipb reads
# commits as stored, dipb-git(7) "Objects"); a change killed by
# DIPB_FAULT and followed by git gc --prune=now or a cruft repack is
# settled by the next command; and after a change, dipb's housekeeping
# runs git gc --auto only where git's commit would: not with
# maintenance.gc.enabled false or a bad value, not while
# objects/maintenance.lock is held, and git maintenance run --auto when
# another task is on (dipb-git(7), "Repository growth").
. "$(dirname "$0")/lib.sh"

new_board maint
as drafter
fast_drafts 40 && git gc -q
git config gc.auto 0
drive IC-0001 decided
drive IC-0002 endorsed
drive IC-0003 returned
# A few packs, one per change, for the multi-pack-index to gather.
for _i in 10 11 12 13; do
	mkrec industrial-capacity "Packed $_i" >/dev/null
	git repack -q -d
done

# snap NAME: what dipb says of the board, in $TROOT/snap.NAME.
snap() {
	_s=$TROOT/snap.$1
	mkdir -p "$_s"
	{
		dipb list >"$_s/list"; echo "list $?"
		dipb report status --format json --today 2026-12-01 \
		    >"$_s/report"; echo "report $?"
		dipb verify >"$_s/verify"; echo "verify $?"
		dipb log --since 2026-01-01 --format json >"$_s/log"
		echo "log $?"
		dipb log IC-0001 >"$_s/log1"; echo "log1 $?"
	} >"$_s/rc" 2>/dev/null
}
# same_as_before DESC: dipb's outputs now equal the first ones.
same_as_before() {
	rm -rf "$TROOT/snap.now"
	snap now
	if diff -r "$TROOT/snap.base" "$TROOT/snap.now" >"$TROOT/snap.diff"
	then
		ok "$1"
	else
		not_ok "$1" "$(head -n 20 "$TROOT/snap.diff")"
	fi
}

# git repack --cruft is git 2.37's; the rest of the list is older.
if ! git_at_least 2.37; then
	skip 'git maintenance and repacks' "$(git --version): no cruft packs (2.37)"
	finish
	exit
fi
snap base
if grep -qv ' 0$' "$TROOT/snap.base/rc" ||
    [ "$(wc -l <"$TROOT/snap.base/list")" -ne 44 ]; then
	not_ok 'the board reads: 44 records, every command exits 0' \
	    "$(cat "$TROOT/snap.base/rc")"
else
	ok 'the board reads: 44 records, every command exits 0'
fi

npacks() { ls .git/objects/pack/*.pack 2>/dev/null | wc -l | tr -d ' '; }

# Each maintenance in turn, in the order a user might run them.
while IFS='|' read -r _desc _cmd; do
	sh -c "$_cmd" >"$TROOT/maint.out" 2>&1 ||
	    not_ok "$_desc: git succeeds" "$(head -n 5 "$TROOT/maint.out")"
	same_as_before "$_desc: dipb's outputs unchanged ($(npacks) packs)"
done <<'EOF'
multi-pack-index write --bitmap|git multi-pack-index write --bitmap
multi-pack-index repack and expire|git multi-pack-index repack --batch-size=0 && git multi-pack-index expire
repack -adk --write-midx|git repack -q -adk --write-midx
repack -a -d --cruft|git repack -q -a -d --cruft
repack --geometric=2 -d --write-midx|git repack -q --geometric=2 -d --write-midx
commit-graph write --split --changed-paths|git commit-graph write --reachable --split --changed-paths
maintenance run, every task but prefetch|git maintenance run --quiet --task=commit-graph --task=loose-objects --task=incremental-repack --task=pack-refs --task=gc
EOF

# A multi-pack-index that names packs no longer there: git repack -ad with
# core.multiPackIndex false leaves it (git fsck then says "failed to load
# pack"), and git reads past it.
echo kept | git hash-object -w --stdin | xargs git update-ref refs/keep/blob
git repack -q -d && git multi-pack-index write
git -c core.multiPackIndex=false repack -q -a -d
if [ -f .git/objects/pack/multi-pack-index ] &&
    git fsck --no-progress 2>&1 | grep -q 'failed to load pack'; then
	same_as_before 'a stale multi-pack-index: dipb reads past it, as git'
else
	skip 'a stale multi-pack-index: dipb reads past it, as git' \
	    'this git removes the multi-pack-index'
fi
rm -f .git/objects/pack/multi-pack-index && git multi-pack-index write

# A commit-graph that lies: one commit's first parent rewired to an older
# commit, its checksum made right.  git log believes it; dipb reads the
# commits as stored.
git commit-graph write --reachable
python3 - "$(git rev-parse HEAD~2)" "$(git rev-parse HEAD~40)" <<'EOF'
import hashlib, struct, sys
p = '.git/objects/info/commit-graph'
d = bytearray(open(p, 'rb').read())
ch = {}
for i in range(d[6] + 1):
    ch[bytes(d[8 + 12 * i:12 + 12 * i])] = \
        struct.unpack('>Q', d[12 + 12 * i:20 + 12 * i])[0]
n = (ch[b'CDAT'] - ch[b'OIDL']) // 20
ids = [d[ch[b'OIDL'] + 20 * i:ch[b'OIDL'] + 20 * i + 20].hex()
       for i in range(n)]
struct.pack_into('>I', d, ch[b'CDAT'] + 36 * ids.index(sys.argv[1]) + 20,
                 ids.index(sys.argv[2]))
d[-20:] = hashlib.sha1(d[:-20]).digest()
open(p, 'wb').write(d)
EOF
_all=$(git -c core.commitGraph=false rev-list --count HEAD)
_lied=$(git rev-list --count HEAD)
if [ "$_lied" -lt "$_all" ]; then
	same_as_before "a commit-graph that lies (git log: $_lied commits of $_all): dipb reads the commits"
else
	not_ok 'the rewired commit-graph fools git log' "$_lied of $_all"
fi
rm -f .git/objects/info/commit-graph

check_fsck 'git fsck --strict is clean after the maintenance'
verify_clean 'dipb verify is clean'

# whole: the change killed before is settled, nothing half made.
whole() {
	_why=
	[ ! -e .git/dipb-journal ] || _why='the journal is left'
	_p=$(git status --porcelain --untracked-files=all)
	[ -z "$_p" ] || _why="$_why git status: $_p"
	_nc=$(git rev-list --count HEAD) _nt=$(ntags)
	[ "$_nc" = "$_nt" ] || _why="$_why $_nc commits but $_nt tags"
	run dipb verify
	[ "$RC" -eq 0 ] && [ ! -s "$OUT" ] || _why="$_why $(_said dipb verify)"
	git fsck --strict --no-dangling --no-progress >"$TROOT/fsck" 2>&1 &&
	    ! grep -q . "$TROOT/fsck" || _why="$_why $(head -n 3 "$TROOT/fsck")"
	echo "$_why"
}
# A change killed at FAULT, then maintenance, then dipb list: the change
# is whole (WANT 1: made, 0: not made).
for _case in 'journal|git gc -q --prune=now|0' \
    'tag-ref|git gc -q --prune=now|0' \
    'branch|git repack -q -a -d --cruft --write-midx|1' \
    'index|git maintenance run --quiet --task=loose-objects --task=incremental-repack|1'
do
	_f=${_case%%|*} _rest=${_case#*|}
	_m=${_rest%|*} _want=${_rest##*|}
	_n0=$(ncommits)
	_id=$(mkrec industrial-capacity "Killed at $_f")
	_n0=$((_n0 + 1))
	DIPB_FAULT=$_f dipb review "$_id" --request >/dev/null 2>&1
	sh -c "$_m" >/dev/null 2>&1
	run dipb list
	_w=$(whole)
	_made=$(( $(ncommits) - _n0 ))
	if [ "$RC" -eq 0 ] && [ -z "$_w" ] && [ "$_made" = "$_want" ]; then
		ok "killed at $_f, then $_m: the next command settles it"
	else
		not_ok "killed at $_f, then $_m: the next command settles it" \
		    "made: $_made, wanted $_want; $_w" "$(_said dipb list)"
	fi
done

# Housekeeping after a change (dipb-git(7), "Repository growth"): git's
# commit runs 'git maintenance run --auto', which runs git gc --auto only
# while the gc task is enabled (maintenance.gc.enabled, default true).
# gc.auto 1: two loose objects under objects/17 are too many.
git config gc.auto 1
git config gc.autoDetach false
# loose17 SEED: three loose blobs more under objects/17, written here (one
# git hash-object per try would take hundreds of tries).
loose17() {
	python3 - "$1" <<'EOF'
import hashlib, os, sys, zlib
k = made = 0
while made < 3:
    k += 1
    data = b'loose %s %d\n' % (sys.argv[1].encode(), k)
    obj = b'blob %d\0' % len(data) + data
    h = hashlib.sha1(obj).hexdigest()
    if h[:2] == '17':
        os.makedirs('.git/objects/17', exist_ok=True)
        with open('.git/objects/17/' + h[2:], 'wb') as f:
            f.write(zlib.compress(obj))
        made += 1
EOF
}
loose17 a
GIT_TRACE=$TROOT/trace.on mkrec industrial-capacity 'Housekeeping on' \
    >/dev/null
if grep -q 'built-in: git gc --auto' "$TROOT/trace.on"; then
	ok 'gc.auto exceeded: a change runs git gc --auto'
else
	not_ok 'gc.auto exceeded: a change runs git gc --auto' \
	    "$(head -n 5 "$TROOT/trace.on")"
fi
git config maintenance.gc.enabled false
loose17 b
GIT_TRACE=$TROOT/trace.git git commit -q --allow-empty -m 'probe' &&
    git reset -q --hard HEAD~1
GIT_TRACE=$TROOT/trace.off mkrec industrial-capacity 'Housekeeping off' \
    >/dev/null
if grep -q 'built-in: git gc' "$TROOT/trace.git"; then
	skip 'maintenance.gc.enabled false: no git gc after a change, as after git commit' \
	    "this git's commit runs git gc all the same"
elif grep -q 'built-in: git gc' "$TROOT/trace.off" 2>/dev/null; then
	not_ok 'maintenance.gc.enabled false: no git gc after a change, as after git commit' \
	    "git commit ran: $(grep -o 'built-in: git [a-z-]*' "$TROOT/trace.git" | tr '\n' ' ')" \
	    "dipb ran: $(grep -o 'built-in: git [a-z-]*' "$TROOT/trace.off" | tr '\n' ' ')"
else
	ok 'maintenance.gc.enabled false: no git gc after a change, as after git commit'
fi
git config --unset maintenance.gc.enabled

# housekept DESC WANT NOT: a change with GIT_TRACE exits 0, and the git
# commands it ran (one a line) match the ERE WANT and none matches NOT
# (either empty: no such check).
housekept() {
	rm -f "$TROOT/trace.hk"
	GIT_TRACE=$TROOT/trace.hk run dipb recommend --wg industrial-capacity \
	    --title "Housekept $_nhk" --no-edit --summary 'Housekept.'
	_nhk=$((${_nhk:-0} + 1))
	_ran=$(grep -oE 'built-in: git [a-z-]+( [a-z-]+)*' \
	    "$TROOT/trace.hk" 2>/dev/null)
	if [ "$RC" -eq 0 ] && { [ -z "$2" ] || echo "$_ran" | grep -Eq "$2"; } &&
	    { [ -z "$3" ] || ! echo "$_ran" | grep -Eq "$3"; }; then
		ok "$1"
	else
		not_ok "$1" "dipb ran: $(echo $_ran)" "$(_said dipb recommend)"
	fi
}
# A bad boolean: git's maintenance run dies on it before any task, the
# commit made; dipb's change stands, with git's words as a warning.
git config maintenance.gc.enabled maybe
loose17 c
housekept 'maintenance.gc.enabled maybe: no git gc, the change stands' \
    '' 'git (gc|maintenance)'
if grep -q "bad boolean config value 'maybe' for 'maintenance.gc.enabled'" \
    "$ERR"; then
	ok 'maintenance.gc.enabled maybe: warned in git'"'"'s words'
else
	not_ok 'maintenance.gc.enabled maybe: warned in git'"'"'s words' \
	    "$(_said dipb recommend)"
fi
git config maintenance.gc.enabled off
loose17 f
housekept 'maintenance.gc.enabled off: no git gc' '' 'git gc'
# Another task on: git's own run decides, by its own conditions (-1:
# every time), and runs no gc that is off.
git config maintenance.loose-objects.enabled true
git config maintenance.loose-objects.auto -1
housekept 'loose-objects on, gc off: git maintenance run --auto decides' \
    'git maintenance run --auto --quiet' 'git gc'
if echo "$_ran" | grep -q 'git prune-packed'; then
	ok 'loose-objects on: its task runs'
else
	not_ok 'loose-objects on: its task runs' "dipb ran: $(echo $_ran)"
fi
git config --unset maintenance.gc.enabled
git config maintenance.loose-objects.auto 0
loose17 d
housekept 'loose-objects and gc on: git gc --auto runs' \
    'git gc --auto' ''
git config --unset maintenance.loose-objects.enabled
git config --unset maintenance.loose-objects.auto
# A git maintenance run in progress: git's auto run skips, so does dipb.
: >.git/objects/maintenance.lock
loose17 e
housekept 'objects/maintenance.lock held: no git gc' '' 'git'
git config maintenance.commit-graph.enabled true
housekept 'objects/maintenance.lock held, commit-graph on: nothing runs' \
    '' 'git'
git config --unset maintenance.commit-graph.enabled
# A dangling link at the name: git's O_EXCL fails on it, so it skips.
rm -f .git/objects/maintenance.lock
ln -s nowhere .git/objects/maintenance.lock
housekept 'objects/maintenance.lock a dangling link: no git gc' '' 'git'
rm -f .git/objects/maintenance.lock
housekept 'the lock gone: git gc --auto runs again' 'git gc --auto' ''
git config gc.auto 0

verify_clean 'dipb verify is clean at the end'
check_fsck
finish

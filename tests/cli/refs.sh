#!/bin/sh
# tests/cli/refs.sh - a record's tags and its next tag number read by
# prefix from packed-refs and the record's loose refs (src/git/packed.c,
# reflist.c, ids.c):
# refs packed, loose, both, a loose one overriding a packed one, peeled
# lines, deleted tags, a packed branch, a packed-refs git rewrites while
# dipb runs, unsorted and malformed files; and that a change and log ID
# open packed-refs once.  git (pack-refs, tag -d, for-each-ref, fsck) is
# the oracle.
. "$(dirname "$0")/lib.sh"

# tags_of ID: ID's tags as git lists them, by number.
tags_of() { git tag -l "$1/*" --sort=version:refname; }

# log_tags ID: the tags dipb log ID lists, in its order.
log_tags() {
	dipb log "$1" 2>/dev/null | grep -v '^    ' | awk '{ print $2 }'
}

# log_commits ID: "<tag> <commit>" for each line of dipb log ID.
log_commits() {
	dipb log "$1" --format json 2>/dev/null | python3 -c '
import json, sys
for l in sys.stdin:
    d = json.loads(l)
    print(d["tag"], d["commit"])'
}

# git_commits ID: the same from git: each tag and the commit it peels to.
git_commits() {
	git for-each-ref --sort=version:refname --format='%(refname:strip=2) %(if)%(*objectname)%(then)%(*objectname)%(else)%(objectname)%(end)' \
	    "refs/tags/$1/"
}

# next_ok DESC ID N CMD...: CMD makes ID's change numbered N (its tag,
# on the new tip, is ID/N-<event>).
next_ok() {
	_d=$1 _id=$2 _n=$3
	shift 3
	run "$@"
	_t=$(git tag --points-at main)
	case "$RC|$_t" in
	"0|$_id/$_n-"*) ok "$_d" ;;
	*) not_ok "$_d" "expected the tag $_id/$_n-..., got '$_t'" \
	    "$(_said "$@")" ;;
	esac
}

new_board
as drafter
mkrec industrial-capacity 'One' >/dev/null		# IC-0001
mkrec industrial-capacity 'Two' >/dev/null		# IC-0002
mkrec industrial-capacity 'Three' >/dev/null		# IC-0003
drive IC-0001 decided

# --- Everything packed ---------------------------------------------------

git pack-refs --all --prune
check_eq 'setup: git packed every ref, branch and tags, sorted' \
    '# pack-refs with: peeled fully-peeled sorted |0' \
    "$(head -n 1 .git/packed-refs)|$(find .git/refs -type f | wc -l | tr -d ' ')"
check_eq 'packed: log IC-0001 lists its tags as git does' \
    "$(tags_of IC-0001)" "$(log_tags IC-0001)"
check_eq 'packed: each tag on the commit git peels it to' \
    "$(git_commits IC-0001)" "$(log_commits IC-0001)"
check_eq 'packed: log IC-0001 does not take IC-0001x tags' \
    "$(tags_of IC-0001 | grep -c .)" "$(log_tags IC-0001 | grep -c .)"
old=$(git rev-parse main)
as drafter
next_ok 'packed: the next number of a packed record (2)' IC-0003 2 \
    dipb review IC-0003 --request
check_eq 'packed branch: moved from its packed value, loose now' \
    "$old|loose" "$(git rev-parse main~1)|$(
    [ -e .git/refs/heads/main ] && echo loose || echo none)"

# --- Packed and loose together -------------------------------------------

as rev1
next_ok 'packed and loose: the next number follows both (3)' IC-0003 3 \
    dipb review IC-0003 --request-changes -m 'More evidence.'
check_eq 'packed and loose: IC-0003/1 packed, 2 and 3 loose' \
    "1|$(tags_of IC-0003 | sed -n '2,3s,.*/,,p')" \
    "$(grep -c ' refs/tags/IC-0003/' .git/packed-refs)|$(ls .git/refs/tags/IC-0003/)"
check_eq 'packed and loose: log lists both' \
    "$(tags_of IC-0003)" "$(log_tags IC-0003)"
check_eq 'packed and loose: the commits git peels them to' \
    "$(git_commits IC-0003)" "$(log_commits IC-0003)"

# A loose ref overrides the packed one of the same name: IC-0002's packed
# tag moved to another tag's object, as git update-ref does it (a loose
# file; packed-refs keeps the old line).
orig=$(git rev-parse refs/tags/IC-0002/1-drafted)
git update-ref refs/tags/IC-0002/1-drafted \
    "$(git rev-parse refs/tags/IC-0001/2-review-requested)"
check_eq 'loose over packed: packed-refs still has the old line' 1 \
    "$(grep -c " refs/tags/IC-0002/1-drafted\$" .git/packed-refs)"
check_eq 'loose over packed: log IC-0002 follows the loose ref' \
    "$(git_commits IC-0002)" "$(log_commits IC-0002)"
check_eq 'loose over packed: listed once' 1 \
    "$(log_tags IC-0002 | wc -l | tr -d ' ')"
git update-ref refs/tags/IC-0002/1-drafted "$orig"

# --- Deleted tags ----------------------------------------------------------

# git tag -d rewrites packed-refs without the tag.
gone=$(tags_of IC-0003 | sed -n 1p)
gone_id=$(git rev-parse "refs/tags/$gone")
git tag -d "$gone" >/dev/null
check_eq 'deleted: git rewrote packed-refs without it' 0 \
    "$(grep -c " refs/tags/$gone\$" .git/packed-refs)"
check_eq 'deleted: log IC-0003 no longer lists it' \
    "$(tags_of IC-0003)" "$(log_tags IC-0003)"
as drafter
next_ok 'deleted: the next number is past the highest left (4)' IC-0003 4 \
    dipb review IC-0003 --request
# dipb verify would report it (tag-missing): put it back.
git update-ref "refs/tags/$gone" "$gone_id"
check_fsck

# --- A peeled line that is not the tag object's word --------------------
# packed-refs' "^" line is git pack-refs' copy of what a tag peels to,
# written through refs/replace/ (a replacement deleted since leaves it
# stale) or by a hand; git rev-parse TAG^{} reads the tag object, and so
# does every reader of dipb (dipb-git(7)).

# set_peeled NAME HEX PEELED: packed-refs' record of refs/tags/NAME made
# "HEX refs/tags/NAME" and "^PEELED".
set_peeled() {
	awk -v ref="refs/tags/$1" -v hex="$2" -v pl="$3" '
	skip && /^\^/ { skip = 0; next }
	{ skip = 0 }
	$2 == ref { print hex " " ref; print "^" pl; skip = 1; next }
	{ print }
	' .git/packed-refs >"$TROOT/packed" && cat "$TROOT/packed" >.git/packed-refs
}
git pack-refs --all --prune
pt=IC-0002/1-drafted
pt_obj=$(git rev-parse "refs/tags/$pt")
pt_commit=$(git rev-parse "$pt^{}")
# A sound tag whose peeled line names another commit (the tip).
set_peeled "$pt" "$pt_obj" "$(git rev-parse main)"
verify_clean 'a stale peeled line on a sound tag: verify is clean'
check_eq 'a stale peeled line: log IC-0002 takes the tag object' \
    "$pt $pt_commit" "$(log_commits IC-0002 | grep "^$pt ")"
check_eq 'a stale peeled line: log IC-0002 marks nothing forged' 0 \
    "$(dipb log IC-0002 2>&1 | grep -c forged)"
# A tag moved onto the tip, its peeled line naming its old commit.
git cat-file tag "$pt_obj" | sed "1s/.*/object $(git rev-parse main)/" \
    >"$TROOT/moved.tag"
moved=$(git hash-object -t tag -w "$TROOT/moved.tag")
set_peeled "$pt" "$moved" "$pt_commit"
check_eq 'setup: git peels the moved tag to the tip' "$(git rev-parse main)" \
    "$(git rev-parse "$pt^{}")"
check_rule 'a moved tag behind its old peeled line: verify reports it' \
    tag-moved "$pt: the tag points to $(git rev-parse --short=12 main)"
check_eq 'a moved tag behind its old peeled line: log takes the tip' \
    "$pt $(git rev-parse main)" "$(log_commits IC-0002 | grep "^$pt ")"
# A tag whose object is missing, its peeled line kept (git fsck: invalid
# sha1 pointer).
set_peeled "$pt" 0123456789abcdef0123456789abcdef01234567 "$pt_commit"
check_rule 'a packed tag of a missing object, a peeled line kept: verify' \
    tag-moved "$pt: the tag points to a missing object"
set_peeled "$pt" "$pt_obj" "$pt_commit"
check_fsck 'the peeled lines put back: git fsck --strict is clean'
verify_clean 'the peeled lines put back: verify is clean'

# --- Unsorted and header-less packed-refs --------------------------------

# unsort HEADER: packed-refs' ref lines (each with its "^" line) in
# reverse, under HEADER (none when empty).
unsort() {
	awk -v hdr="$1" '
	NR == 1 && /^#/ { next }
	/^\^/ { rec[n] = rec[n] "\n" $0; next }
	{ rec[++n] = $0 }
	END { if (hdr != "") print hdr; for (i = n; i >= 1; i--) print rec[i] }
	' .git/packed-refs >"$TROOT/packed" && cat "$TROOT/packed" >.git/packed-refs
}
git pack-refs --all --prune
unsort '# pack-refs with: peeled fully-peeled '
check_eq 'unsorted: git reads the same refs from it' \
    "$(git for-each-ref | wc -l | tr -d ' ')" \
    "$(grep -c ' refs/' .git/packed-refs)"
check_eq 'unsorted: log IC-0001 as git' "$(git_commits IC-0001)" \
    "$(log_commits IC-0001)"
as rev1
next_ok 'unsorted: the next number (5), the branch read' IC-0003 5 \
    dipb review IC-0003 --request-changes -m 'Still more.'
git pack-refs --all --prune
unsort ''
check_eq 'no header: log IC-0003 as git' "$(git_commits IC-0003)" \
    "$(log_commits IC-0003)"
as drafter
next_ok 'no header: the next number (6)' IC-0003 6 \
    dipb review IC-0003 --request
next_ok 'no header: a new record after the packed ones' IC-0004 1 \
    dipb recommend --wg industrial-capacity --title Four --summary Four. \
    --no-edit
check_fsck 'git fsck --strict after the unsorted files'
verify_clean 'dipb verify: clean after the unsorted files'

# --- A malformed packed-refs: refused, nothing written -------------------

git pack-refs --all --prune
tip=$(git rev-parse main)
ntag=$(ntags)
cp .git/packed-refs "$TROOT/packed.good"
sed 's/^[0-9a-f]\([0-9a-f]\{39\} refs\/tags\/IC-0003\/1-drafted\)$/\1/' \
    "$TROOT/packed.good" >.git/packed-refs
check_eq 'malformed: a line of 39 hex digits' 1 \
    "$(grep -c '^[0-9a-f]\{39\} refs/tags/IC-0003/1-drafted$' .git/packed-refs)"
run dipb log IC-0003
check_eq 'malformed: log IC-0003 fails (5), naming the file' \
    "5|dipb: malformed packed-refs: '$PWD/.git/packed-refs'" \
    "$RC|$(grep packed-refs "$ERR")"
as rev1
run dipb review IC-0003 --endorse --retry 0
check_eq 'malformed: a change is refused (5), naming the file' \
    "5|dipb: malformed packed-refs: '$PWD/.git/packed-refs'" \
    "$RC|$(grep packed-refs "$ERR")"
cp "$TROOT/packed.good" .git/packed-refs
check_eq 'malformed: nothing written (branch, tags, files)' \
    "$tip|$ntag|" "$(git rev-parse main)|$(ntags)|$(git status --porcelain)"

# --- ids in capitals: read as git reads them -------------------------------
# git's packed-refs reader (and libgit2's) takes an id's hex digits in
# either case, and git show-ref prints them lowercased: so does dipb
# (src/git/packed.h), and an id read there is the id read anywhere
# (a loose ref's, a commit's): the same records and tags, the same
# commits, the next number, verify clean, twice (its checkpoint).

git pack-refs --all --prune
sed 's/^[0-9a-f]\{40\} /\U&/; s/^\^[0-9a-f]\{40\}$/\U&/' .git/packed-refs \
    >"$TROOT/packed.upper" && cat "$TROOT/packed.upper" >.git/packed-refs
check 'oracle: every id of packed-refs in capitals, git reads them' \
    sh -c '! grep -q "^^\{0,1\}[0-9a-f]\{0,39\}[a-f]" .git/packed-refs &&
    grep -q "^[0-9A-F]\{40\} refs/tags/IC-0003/1-drafted$" .git/packed-refs &&
    git show-ref -q --verify refs/tags/IC-0003/1-drafted'
check_fsck 'git fsck --strict with ids in capitals'
check_eq 'capitals: git show-ref prints them lowercased' \
    "$(git rev-parse refs/tags/IC-0003/1-drafted)" \
    "$(git show-ref -s refs/tags/IC-0003/1-drafted)"
check 'capitals: dipb list' dipb list
check_eq 'capitals: list shows every record' \
    "$(git ls-files recommendations | wc -l | tr -d ' ')" \
    "$(wc -l <"$OUT" | tr -d ' ')"
check_eq 'capitals: log IC-0003 as git' "$(git_commits IC-0003)" \
    "$(log_commits IC-0003)"
verify_clean 'capitals: dipb verify is clean'
verify_clean 'capitals: dipb verify again (its checkpoint) is clean'
as drafter
next_ok 'capitals: the next number (2) of a packed record' IC-0004 2 \
    dipb review IC-0004 --request
check_fsck 'git fsck --strict after a change on ids in capitals'
verify_clean 'capitals: dipb verify after the change is clean'
# git writes them lower case again.
git pack-refs --all --prune

# --- packed-refs rewritten by git while dipb runs ------------------------

# dipb stops after reading packed-refs (the next tag number) and making
# its objects; git pack-refs then moves the branch into a new packed-refs
# and deletes its loose file.  The branch's compare-and-swap must read
# the new file, not the one first read, whose main is older.
as rev1
next_ok 'race setup: a change (7)' IC-0003 7 dipb review IC-0003 --endorse
tip=$(git rev-parse main)
check_eq 'race setup: main loose, packed-refs has an older main' \
    "loose|$(git rev-parse main~1)" \
    "$([ -e .git/refs/heads/main ] && echo loose)|$(
    grep ' refs/heads/main$' .git/packed-refs | cut -c 1-40)"
as rev2
DIPB_FAULT=tag-object:stop dipb review IC-0003 --endorse \
    >"$TROOT/race.out" 2>"$TROOT/race.err" &
pid=$!
wait_stopped "$pid"
git pack-refs --all --prune
check_eq 'race: git packed main while dipb was stopped' \
    "T|none|$tip" "$(ps -o stat= -p "$pid" | cut -c 1)|$(
    [ -e .git/refs/heads/main ] && echo loose || echo none)|$(
    grep ' refs/heads/main$' .git/packed-refs | cut -c 1-40)"
kill -CONT "$pid"
wait "$pid"
rc=$?
check_eq 'race: the change is made on the tip git packed' \
    "0|$tip|IC-0003/8-" \
    "$rc|$(git rev-parse main~1)|$(git tag --points-at main | cut -c 1-10)"
check_eq 'race: the tags as git lists them' \
    "$(tags_of IC-0003)" "$(log_tags IC-0003)"
check_fsck 'race: git fsck --strict is clean'
verify_clean 'race: dipb verify is clean'

# --- the branch's lock held a moment, as git gc holds it ---------------------
# git gc expires the reflogs under each ref's lock, the ref unmoved: a
# change that meets refs/heads/main.lock as it moves the branch waits for
# it, as for the locks before the change (dipb-git(7)); exit 4 at once
# before.  And one whose branch another writer moved meanwhile is
# refused, exit 4, nothing made.
as drafter
DIPB_FAULT=tag-ref:stop dipb recommend --wg industrial-capacity \
    --title 'Lock held' --summary S --no-edit \
    >"$TROOT/lock.out" 2>"$TROOT/lock.err" &
pid=$!
wait_stopped "$pid"
tip=$(git rev-parse main)
: >.git/refs/heads/main.lock
kill -CONT "$pid"
sleep 0.3
rm -f .git/refs/heads/main.lock
wait "$pid"
rc=$?
check_eq 'the branch lock held a moment: the change waits and is made' \
    "0|$tip" "$rc|$(git rev-parse main~1)"
check_fsck 'the branch lock held a moment: git fsck --strict is clean'
verify_clean 'the branch lock held a moment: dipb verify is clean'
ntags=$(git tag -l | wc -l)
DIPB_FAULT=tag-ref:stop dipb recommend --wg industrial-capacity \
    --title 'Branch moved' --summary S --no-edit \
    >"$TROOT/lock.out" 2>"$TROOT/lock.err" &
pid=$!
wait_stopped "$pid"
tip=$(git rev-parse main)
moved=$(git commit-tree -p main -m 'moved by plain git' 'main^{tree}')
git update-ref refs/heads/main "$moved"
kill -CONT "$pid"
wait "$pid"
rc=$?
check_eq 'the branch moved while the change was stopped: exit 4, nothing made' \
    "4|$moved|$ntags" "$rc|$(git rev-parse main)|$(git tag -l | wc -l)"
git update-ref refs/heads/main "$tip"
verify_clean 'and the board is whole once the plain commit is gone'

# A lock another writer takes after the change's checks, and keeps: made
# exclusively, as git makes it (dipb-git(7)), never opened over, emptied
# and renamed, which would leave two writers of the branch.  --retry 0:
# busy at once, exit 4, nothing made, the other's lock as it was.
ntags=$(git tag -l | wc -l)
DIPB_FAULT=tag-ref:stop dipb recommend --wg industrial-capacity \
    --title 'Lock kept' --summary S --no-edit --retry 0 \
    >"$OUT" 2>"$ERR" &
pid=$!
wait_stopped "$pid"
tip=$(git rev-parse main)
echo "$moved" >.git/refs/heads/main.lock
kill -CONT "$pid"
wait "$pid"
rc=$?
check_eq 'the branch lock kept by another writer: exit 4, its lock untouched, nothing made' \
    "4|$moved|$tip|$ntags" \
    "$rc|$(cat .git/refs/heads/main.lock)|$(git rev-parse main)|$(git tag -l | wc -l)"
check_err 'the branch lock kept by another writer: dipb names it' \
    "'.git/refs/heads/main.lock' exists, made "
rm -f .git/refs/heads/main.lock
verify_clean 'and the board is whole once the other writer is done'

# --- packed-refs opened once ------------------------------------------------

# popens CMD...: how many times CMD opens packed-refs.  Under strace, the
# sanitizer build's leak check cannot run (LeakSanitizer stops the process
# with ptrace, which strace holds): it is off for these runs.
popens() {
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
	    strace -f -e trace=open,openat -o "$TROOT/strace" "$@" \
	    >/dev/null 2>&1
	grep -c 'packed-refs"' "$TROOT/strace"
}
if command -v strace >/dev/null 2>&1 &&
    strace -o /dev/null true 2>/dev/null; then
	git pack-refs --all --prune
	as drafter
	check_eq 'recommend, branch packed: packed-refs opened once' 1 \
	    "$(popens dipb recommend --wg industrial-capacity --title Five \
	    --summary Five. --no-edit)"
	check_eq 'review --request: packed-refs opened once' 1 \
	    "$(popens dipb review IC-0005 --request)"
	check_eq 'log ID: packed-refs opened once' 1 "$(popens dipb log IC-0001)"
	check_eq 'log --since: packed-refs opened once' 1 \
	    "$(popens dipb log --since 2000-01-01)"
else
	for c in recommend review 'log ID' 'log --since'; do
		skip "$c: packed-refs opened once" 'no working strace'
	done
fi
check_eq 'log --since: the tags git has on those commits' \
    "$(git log --format=%H main | while read -r c; do
        git tag --points-at "$c"; done | sort)" \
    "$(dipb log --since 2000-01-01 2>/dev/null | awk '$2 ~ /\// { print $2 }' | sort)"
check_fsck

# Refs of names git refuses, loose and packed: git ignores them ("ignoring
# ref with broken name"), and so does dipb; verify found tags git has not.
new_board bad
as drafter
mkrec industrial-capacity One
git pack-refs --all
TG=$(git rev-parse IC-0001/1-drafted)
C=$(git rev-parse HEAD)
for n in '3-a..b' '4-trailing.'; do
	printf '%s refs/tags/IC-0001/%s\n^%s\n' "$TG" "$n" "$C" >>.git/packed-refs
done
# Kept sorted, as its header says.
python3 - <<'PY'
lines = open('.git/packed-refs').read().splitlines()
head, body, refs = lines[0], lines[1:], []
for l in body:
    if l.startswith('^'):
        refs[-1].append(l)
    else:
        refs.append([l])
refs.sort(key=lambda r: r[0].split(' ', 1)[1].encode())
open('.git/packed-refs', 'w').write('\n'.join([head] + [l for r in refs for l in r]) + '\n')
PY
for n in '5-a..b' '6-sp ace'; do
	cp .git/refs/heads/main ".git/refs/tags/IC-0001/$n"
done
check_out 'names git refuses: git lists none of them' 'refs/tags/IC-0001/1-drafted' \
    git for-each-ref --format='%(refname)' refs/tags/IC-0001
rm -rf .git/dipb
check 'names git refuses: verify finds nothing' dipb verify
check_eq 'names git refuses: verify says nothing' '' "$(cat "$OUT")"
check_out 'names git refuses: log lists the one tag' 'IC-0001/1-drafted' \
    sh -c 'dipb log IC-0001 | awk "{ print \$2 }"'

# --- Tags of another form -----------------------------------------------------
# A tag made by hand in a record's folder whose name is not of dipb's form
# (dipb-git(7), "Tags of another form": N from 1 to 999999999 in decimal,
# no sign, no leading zero; an event of lowercase letters and '-') is
# none of the record's changes: the next change is numbered as if it were
# not there, as dipb verify and log do not count it either.  dipb took the
# N strtoul read from it: "-1" for ULONG_MAX, whose next wrapped to 0,
# 20000000000 for a number verify reports missing (tag-missing).
new_board foreign
as drafter
for f in -1-edited +1-edited 01-edited 18446744073709551615-edited \
    20000000000-edited 1000000000-edited 7-Edited 7-edited.x 7- 7; do
	id=$(mkrec industrial-capacity "Foreign $f")
	git tag -a -m 'by hand' "$id/$f" HEAD
	next_ok "a tag $id/$f made by hand: the next change is 2" "$id" 2 \
	    dipb review "$id" --request
done
check_eq 'tags of another form: log lists the changes only' \
    "IC-0005/1-drafted IC-0005/2-review-requested" \
    "$(log_tags IC-0005 | tr '\n' ' ' | sed 's/ $//')"
# One of a change's shape but its event (upper case, a dot) is counted by
# no command, but judged by verify as a tag no change claims: a look-alike
# of a change's tag never passes a pre-receive hook unseen.
check_rule 'a look-alike of a change tag (7-Edited): verify judges it' \
    tag-extra IC-0007/7-Edited
check_rule 'a look-alike of a change tag (7-edited.x): verify judges it' \
    tag-extra IC-0008/7-edited.x
git tag -d IC-0007/7-Edited IC-0008/7-edited.x >/dev/null
verify_clean 'tags of another form: dipb verify judges none of them'
check_fsck 'tags of another form: git fsck --strict is clean'
# N at the highest of the form: a tag verify judges (tag-extra), and the
# next would be past it: refused before anything, exit status 5.
id=$(mkrec industrial-capacity 'At the bound')
git tag -a -m 'by hand' "$id/999999999-edited" HEAD
check_rule 'a tag numbered 999999999 by hand: verify judges it' tag-extra \
    "$id/999999999-edited"
tip=$(git rev-parse main)
ntag=$(ntags)
run dipb review "$id" --request
check_eq 'the next change past 999999999: refused (5), nothing written' \
    "5|$tip|$ntag|" "$RC|$(git rev-parse main)|$(ntags)|$(git status --porcelain)"
check_err 'the same: the record and the tag are named' \
    "dipb: $id has a tag numbered 999999999, the highest a tag's number may be (dipb-git(7)), so its next change cannot be numbered: a tag made by hand? git tag -l '$id/999999999-*' lists it"
# The glob quoted: a shell that refuses an unmatched one (zsh) runs it
# too; sh run in a folder holding a match would expand it unquoted.
mkdir -p "$id" && : >"$id/999999999-x"
_cmd=$(sed -n 's/.*made by hand? \(.*\) lists it$/\1/p' "$ERR")
check_out "the same: '$_cmd', run by sh where a file matches, lists it" \
    "$id/999999999-edited" sh -c "$_cmd"
rm -r "$id"
git tag -d "$id/999999999-edited" >/dev/null
next_ok 'the tag deleted: the next change is 2' "$id" 2 \
    dipb review "$id" --request
verify_clean 'and dipb verify is clean'

# --- A loose ref as another tool wrote it ----------------------------------
# git reads any blank after a loose ref's id (parse_loose_ref_contents):
# a CRLF line end, a trailing space; so does dipb.
tip=$(git rev-parse main)
for end in CRLF space tab; do
	case $end in
	CRLF) printf '%s\r\n' "$tip" ;;
	space) printf '%s \n' "$tip" ;;
	tab) printf '%s\t' "$tip" ;;
	esac >.git/refs/heads/main
	check_eq "a branch file ending in a $end: git reads it" "$tip" \
	    "$(git rev-parse main)"
	as drafter
	run dipb recommend --wg industrial-capacity --title "Blank $end" \
	    --summary S --no-edit
	check_eq "the same: dipb makes a change on it (exit 0, its parent)" \
	    "0 $tip" "$RC $(git rev-parse main~1)"
	tip=$(git rev-parse main)
done

finish

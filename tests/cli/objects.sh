#!/bin/sh
# tests/cli/objects.sh - dipb's own readers of git's objects
# (src/git/object.c reads them, objparse.c parses a commit and a tag)
# against git: a commit's parents are the 'parent' lines right after its
# tree, as git rev-list --parents reads them; a commit git fsck rejects is refused naming it and git fsck's message;
# so is a tree out of git's order or naming an entry twice, by reading and
# writing commands alike, and a zero-padded mode is written canonical.
# Commits and tags git fsck rejects are written with git hash-object
# --literally (git 2.40 and later refuse them otherwise); git is the oracle.
. "$(dirname "$0")/lib.sh"

new_board
as drafter
mkrec industrial-capacity "First" >/dev/null
mkrec industrial-capacity "Second" >/dev/null
TIP=$(git rev-parse HEAD)
TREE=$(git rev-parse 'HEAD^{tree}')
AUTH='author Dan Drafter <dan@example.org> 1764806400 +0000'
COMM='committer Dan Drafter <dan@example.org> 1764806400 +0000'

# commit TEXT: writes a commit of printf's TEXT as it is, its id on stdout.
commit() {
	printf "$1" | git hash-object -t commit -w --literally --stdin
}

# verify_at COMMIT: dipb verify with the branch at COMMIT, a whole replay;
# "exit N" and its standard output with COMMIT's short id as X, in $1.out.
verify_at() {
	git update-ref refs/heads/main "$1"
	rm -rf .git/dipb
	dipb verify >"$TROOT/v.out" 2>"$TROOT/v.err"
	_rc=$?
	_short=$(printf %.12s "$1")
	{ echo "exit $_rc"; sed "s/$_short/X/g" "$TROOT/v.out"; } >"$TROOT/$1.out"
}

# same_as DESC GOOD ODD: git reads commits GOOD and ODD with the same
# parents (git rev-list --parents); dipb verify says the same of each.
same_as() {
	_g=$(git rev-list --parents -1 "$2" | sed 's/^[0-9a-f]* *//')
	_o=$(git rev-list --parents -1 "$3" | sed 's/^[0-9a-f]* *//')
	check_eq "$1: git reads the same parents" "$_g" "$_o"
	verify_at "$2"
	verify_at "$3"
	if cmp -s "$TROOT/$2.out" "$TROOT/$3.out"; then
		ok "$1: dipb verify says the same as of its twin"
	else
		not_ok "$1: dipb verify says the same as of its twin" \
		    "$(diff "$TROOT/$2.out" "$TROOT/$3.out")"
	fi
}

# A 'parent' line after the committer is no parent to git: the commit is
# a root one, which adds every file by hand.
ROOT=$(commit "tree $TREE\n$AUTH\n$COMM\n\nBy hand.\n")
STRAY=$(commit "tree $TREE\n$AUTH\n$COMM\nparent $TIP\n\nBy hand.\n")
same_as 'a parent line after the committer' "$ROOT" "$STRAY"
verify_at "$STRAY"
check_file_has 'a parent line after the committer: the files added by hand' \
    "$TROOT/$STRAY.out" '^X -: plain git commit .*adds recommendations/IC-0001.yaml \[plain-commit\]'

# A parent in capitals is one to git (get_oid_hex reads either case).
LOWER=$(commit "tree $TREE\nparent $TIP\n$AUTH\n$COMM\n\nEmpty.\n")
UPPER=$(commit "tree $TREE\nparent $(echo "$TIP" | tr a-f A-F)\n$AUTH\n$COMM\n\nEmpty.\n")
same_as 'a parent in capitals' "$LOWER" "$UPPER"

# A tab before an author's date is blank to git fsck and git log
# (fsck_ident(), split_ident_line()): the same commit as with a space.
TAB=$(commit "tree $TREE\nparent $TIP\nauthor Dan Drafter <dan@example.org> \t1764806400 +0000\n$COMM\n\nEmpty.\n")
git update-ref refs/heads/main "$TAB"
run git fsck --strict --no-dangling
check_eq 'a tab before the date: git fsck takes it' '' "$(cat "$ERR")"
same_as 'a tab before the date' "$LOWER" "$TAB"

# refused DESC FSCKID COMMIT: git fsck rejects COMMIT with FSCKID (if
# FSCKID is not '-'), and dipb verify refuses it, exit 5, naming it and,
# what git fsck says.
refused() {
	git update-ref refs/heads/main "$3"
	if [ "$2" != - ]; then
		run git fsck --no-dangling
		check_err "$1: git fsck rejects it ($2)" "$3: $2"
	fi
	rm -rf .git/dipb
	check_status 5 "$1: dipb verify refuses it" dipb verify
	check_err "$1: named" "not a well-formed commit: '$3'"
	if [ "$2" != - ]; then
		check_err "$1: with git fsck's message" "(git fsck: $2)"
	fi
}

refused 'two author lines' multipleAuthors \
    "$(commit "tree $TREE\nparent $TIP\nauthor Clara Chair <chair@example.org> 1764806400 +0000\n$AUTH\n$COMM\n\nTwo.\n")"
refused 'no committer line' missingCommitter \
    "$(commit "tree $TREE\nparent $TIP\n$AUTH\n\nNone.\n")"
refused 'a parent line between author and committer' missingCommitter \
    "$(commit "tree $TREE\n$AUTH\nparent $TIP\n$COMM\n\nBetween.\n")"
refused 'a header before the parents' missingAuthor \
    "$(commit "tree $TREE\ngpgsig x\nparent $TIP\n$AUTH\n$COMM\n\nBefore.\n")"
refused 'a NUL in the author' nulInHeader \
    "$(commit "tree $TREE\nparent $TIP\nauthor Dan\\0Clara <dan@example.org> 1764806400 +0000\n$COMM\n\nNUL.\n")"
refused 'two addresses in the author' badDate \
    "$(commit "tree $TREE\nparent $TIP\nauthor Dan <dan@example.org> <chair@example.org> 1764806400 +0000\n$COMM\n\nTwo.\n")"
refused 'a date with no zone' badTimezone \
    "$(commit "tree $TREE\nparent $TIP\nauthor Dan <dan@example.org> 1764806400 0000\n$COMM\n\nZone.\n")"

# An author line after the committer passes git fsck, but git log shows
# it as the author: dipb, which read the first, refuses the commit.
LATE=$(commit "tree $TREE\nparent $TIP\n$AUTH\n$COMM\nauthor Clara Chair <chair@example.org> 1764806400 +0000\n\nLate.\n")
check_out 'an author line after the committer: git log shows it' \
    'Clara Chair' git log -1 --format=%an "$LATE"
refused 'an author line after the committer' - "$LATE"
check_err 'an author line after the committer: why' \
    "a second 'author' line, after its committer, which git log shows as its author"

# The branch's tip itself, which libgit2 refuses too: why is said.
git update-ref refs/heads/main \
    "$(commit "tree $TREE\nparent $TIP\n$AUTH\n\nNone.\n")"
check_status 5 'a tip with no committer: list refuses it' dipb list
check_err 'a tip with no committer: why' \
    "no 'committer' line after its author (git fsck: missingCommitter)"

git update-ref refs/heads/main "$TIP"
check 'the branch back at its tip: verify' dipb verify

# A change's tag whose tagger git shows as another member: git
# for-each-ref reads the first address, dipb read the last, and found the
# drafter.  A tag git fsck rejects tags the change by no member.
TAG=$(git cat-file tag IC-0001/1-drafted | sed \
    's/^tagger Dan Drafter <dan@example.org>/tagger Clara Chair <chair@example.org> <dan@example.org>/' |
    git hash-object -t tag -w --literally --stdin)
git update-ref refs/tags/IC-0001/1-drafted "$TAG"
check_out 'a tagger with two addresses: git shows the first' \
    '<chair@example.org>' \
    git for-each-ref --format='%(taggeremail)' refs/tags/IC-0001/1-drafted
run git fsck --no-dangling
check_err 'a tagger with two addresses: git fsck rejects it' "$TAG: badDate"
rm -rf .git/dipb
check_status 1 'a tagger with two addresses: verify reports it' dipb verify
check_file_has 'a tagger with two addresses: as no member' "$OUT" \
    "IC-0001/1-drafted: 'IC-0001 drafted' is authored by dan@example.org but tagged by no one dipb reads \\(not a well-formed tag: '$TAG': its 'tagger' line has no date in seconds after its address \\(git fsck: badDate\\)\\).*\\[identity\\]"
git update-ref refs/tags/IC-0001/1-drafted \
    "$(git cat-file tag "$TAG" | sed 's/ <chair@example.org>//' |
    git hash-object -t tag -w --stdin)"
rm -rf .git/dipb
check 'the tagger mended: verify' dipb verify

# A tag object whose header has no end, its tagger line unended and no
# message, as git fsck rejects it (unterminatedHeader).
GOOD=$(git rev-parse refs/tags/IC-0001/1-drafted)
TAG=$(git cat-file tag IC-0001/1-drafted | sed -n '/^tagger /{p;q;};p' |
    head -c -1 | git hash-object -t tag -w --literally --stdin)
git update-ref refs/tags/IC-0001/1-drafted "$TAG"
run git fsck --no-dangling
check_err 'a tag header with no end: git fsck rejects it' \
    "$TAG: unterminatedHeader"
rm -rf .git/dipb
check_status 1 'a tag header with no end: verify reports it' dipb verify
check_file_has 'a tag header with no end: as no well-formed tag' "$OUT" \
    "not a well-formed tag: '$TAG': no end to its header \\(git fsck: unterminatedHeader\\)"
git update-ref refs/tags/IC-0001/1-drafted "$GOOD"
rm -rf .git/dipb
check 'the tag back: verify' dipb verify

# A change's tag object peeled as git rev-parse TAG^{} peels it: 'object',
# 'type' and 'tag' lines first, in that order, each ended by a newline
# (git's parse_tag_buffer), the object's hex in either case.  dipb log ID
# lists the tag on the commit git peels it to, or not at all when git
# peels it to nothing.  The tags are loose refs (new_board packs none).
T2=IC-0001/1-drafted CRAFTED=
OWN=$(git rev-parse "$T2")
C1=$(git rev-parse "$T2^{commit}")
UP=$(printf %s "$C1" | tr a-f A-F)
TGR='tagger Dan Drafter <dan@example.org> 1764806400 +0000'
for body in \
    "object $C1\ntype commit\ntag $T2\n$TGR\n\nok\n" \
    "object $C1\ntype commit\n$TGR\n\nno tag line\n" \
    "object $C1\ntype commit\n\nno tag line, a message\n" \
    "object $C1\ntag $T2\ntype commit\n$TGR\n\nout of order\n" \
    "object $UP\ntype commit\ntag $T2\n$TGR\n\nupper case\n" \
    "object $C1\ntype commit\ntag $T2" \
    "object $C1\ntype commit\ntag $T2\n" \
    "object $C1\nType commit\ntag $T2\n$TGR\n\ntype\n" \
    "object $C1\ntype commit \ntag $T2\n$TGR\n\ntype\n"; do
	obj=$(printf "$body" | git hash-object -t tag -w --literally --stdin)
	# Written by hand: git update-ref refuses a tag git cannot read.
	printf '%s\n' "$obj" >"$(git rev-parse --git-dir)/refs/tags/$T2"
	want=$(git rev-parse -q --verify "refs/tags/$T2^{}" 2>/dev/null)
	# Peeled to nothing, IC-0001 has no tag left: dipb log says so and
	# exits 0, never fails with an empty listing.
	run dipb log IC-0001 --format json
	got=$(python3 -c '
import json, sys
for l in sys.stdin:
    e = json.loads(l)
    if e["tag"] == sys.argv[1]: print(e["commit"])' "$T2" <"$OUT")
	_n=
	grep -q 'IC-0001 has no tags' "$ERR" && _n=' (no tags said)'
	_w="0 $want"
	[ -n "$want" ] || _w='0  (no tags said)'
	check_eq "a tag object peeled as git rev-parse TAG^{} peels it: $(printf "$body" | sed -n '$p')" \
	    "$_w" "$RC $got$_n"
	CRAFTED="$CRAFTED $obj"
done
git update-ref "refs/tags/$T2" "$OWN"
# Gone, or git gc's prune would stop at the ones git cannot read.
for obj in $CRAFTED; do
	rm -f "$(git rev-parse --git-dir)/objects/$(printf %.2s "$obj")/${obj#??}"
done
rm -rf .git/dipb
check 'the tag restored: verify' dipb verify

# maxrss CMD...: the most memory CMD held, in kilobytes (getrusage).
maxrss() {
	python3 -c '
import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdin=subprocess.DEVNULL,
    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' "$@"
}

# rss_near NAME BIG SMALL WHAT: a check that BIG kilobytes (maxrss) are
# less than 16 MB over SMALL, the same command's WHAT ("without it"), as
# its failure says.
rss_near() {
	if [ $(($2 - $3)) -lt 16384 ]; then
		ok "$1"
	else
		not_ok "$1" "max RSS $2 KB, $3 KB $4"
	fi
}

# A record file of 32 MB of one byte, which a pack holds in some 32 KB:
# refused by its size [file-size] as a working file that large is, from
# the object's header, never inflated.  The memory is measured against
# the same commands on a record file of 2 MB, which is read no more.
rm -rf .git/dipb
python3 -c 'import sys; sys.stdout.write("id: IC-0002\n" + "a" * (2 << 20))' \
    >recommendations/IC-0002.yaml
git commit -qam 'A large record by hand.'
rm -rf .git/dipb
SMALL_LIST=$(maxrss dipb list)
SMALL_VERIFY=$(maxrss dipb verify)
python3 -c 'import sys; sys.stdout.write("id: IC-0002\n" + "a" * (32 << 20))' \
    >recommendations/IC-0002.yaml
git commit -qam 'A huge record by hand.'
check_eq 'a record file of 32 MB: git has it whole' 33554444 \
    "$(git cat-file -s HEAD:recommendations/IC-0002.yaml)"
git gc -q
rm -rf .git/dipb
check_status 1 'a record file of 32 MB: list leaves it out' dipb list
check_err 'a record file of 32 MB: by its size' \
    'recommendations/IC-0002.yaml:0:0: error: file is larger than 1048576 bytes [file-size]'
check_status 1 'a record file of 32 MB: todo leaves it out' dipb todo
check_status 1 'a record file of 32 MB: validate reports it' dipb validate
check_file_has 'a record file of 32 MB: validate, by its size' "$OUT" \
    'file is larger than 1048576 bytes \[file-size\]'
rm -rf .git/dipb
BIG_LIST=$(maxrss dipb list)
BIG_VERIFY=$(maxrss dipb verify)
rss_near 'a record file of 32 MB: list does not read it' \
    "$BIG_LIST" "$SMALL_LIST" 'with a file of 2 MB'
rss_near 'a record file of 32 MB: verify does not read it' \
    "$BIG_VERIFY" "$SMALL_VERIFY" 'with a file of 2 MB'
rm -f recommendations/IC-0002.yaml

# A commit and a tag whose messages are 24 MB of one byte (a few KB in a
# pack): larger than any dipb reads (8 MiB), refused from their headers.
# On a board of their own, whose history holds no large file.
new_board
as drafter
mkrec industrial-capacity "First" >/dev/null
TIP=$(git rev-parse HEAD)
TREE=$(git rev-parse 'HEAD^{tree}')
rm -rf .git/dipb
SMALL_LIST=$(maxrss dipb list)
SMALL_VERIFY=$(maxrss dipb verify)
huge() {
	python3 -c 'import sys; sys.stdout.write("a" * (24 << 20) + "\n")'
}
HUGE=$({ printf "tree $TREE\nparent $TIP\n$AUTH\n$COMM\n\n"; huge; } |
    git hash-object -t commit -w --stdin)
git update-ref refs/heads/main "$HUGE"
check_out 'a commit of 24 MB: git reads it' "$TIP" git rev-parse "$HUGE^"
check_status 5 'a commit of 24 MB at the tip: list refuses it' dipb list
check_err 'a commit of 24 MB at the tip: named, with why' \
    "branch tip is not a well-formed commit: '$HUGE': larger than 8388608 bytes"
BIG_LIST=$(maxrss dipb list)
# Below the tip, for verify's own walk of the branch.
git update-ref refs/heads/main \
    "$(commit "tree $TREE\nparent $HUGE\n$AUTH\n$COMM\n\nAbove.\n")"
rm -rf .git/dipb
check_status 5 'a commit of 24 MB: verify refuses it' dipb verify
check_err 'a commit of 24 MB: named' \
    "not a well-formed commit: '$HUGE': larger than 8388608 bytes"
rm -rf .git/dipb
BIG_VERIFY=$(maxrss dipb verify)
rss_near 'a commit of 24 MB: list does not read it' \
    "$BIG_LIST" "$SMALL_LIST" 'without it'
rss_near 'a commit of 24 MB: verify does not read it' \
    "$BIG_VERIFY" "$SMALL_VERIFY" 'without it'
git update-ref refs/heads/main "$TIP"

# A tip libgit2 cannot read (out of memory: it then says "object not
# found" of a sound commit) is no corrupt repository: exit 5 with
# libgit2's reason.  A tip of another type is one.  A shim makes
# git_commit_lookup fail.
if shim lookup 'int git_commit_lookup(void **c, void *r, const void *id)
{ (void)c; (void)r; (void)id; return -1; }'; then
	check_status 5 'a tip libgit2 cannot read: list exits 5' \
	    env LD_PRELOAD="$TROOT/lookup.so" ASAN_OPTIONS="$SHIM_ASAN" \
	    dipb list
	check_err 'a tip libgit2 cannot read: said so, with the commit' \
	    "cannot read branch tip's commit '$TIP'"
	check_eq 'a tip libgit2 cannot read: not called no commit' '' \
	    "$(grep 'is not a' "$ERR")"
else
	skip 'a tip libgit2 cannot read' 'no C compiler for the shim'
fi
printf '%s\n' "$TREE" >.git/refs/heads/main
check_status 5 'a tree at the tip: list refuses it' dipb list
check_err 'a tree at the tip: named as no commit' \
    "branch tip is not a commit: '$TREE'"
git update-ref refs/heads/main "$TIP"

# A tag of a change's name, loose, so that verify reads the object.
HTAG=$({ printf "object $TIP\ntype commit\ntag IC-0001/2-edited\n$COMM\n\n" |
    sed 's/^committer/tagger/'; huge; } | git hash-object -t tag -w --stdin)
git update-ref refs/tags/IC-0001/2-edited "$HTAG"
check_out 'a tag of 24 MB: git reads it' "$TIP" git rev-parse "$HTAG^{commit}"
rm -rf .git/dipb
check_status 1 'a tag of 24 MB: verify reports it' dipb verify
check_file_has 'a tag of 24 MB: as not read' "$OUT" \
    'IC-0001/2-edited: the tag object is malformed, or larger than any dipb reads'
rm -rf .git/dipb
BIG_VERIFY=$(maxrss dipb verify)
rss_near 'a tag of 24 MB: verify does not read it' \
    "$BIG_VERIFY" "$SMALL_VERIFY" 'without it'
git update-ref -d refs/tags/IC-0001/2-edited


# --- Tree entries' modes as git judges them (git's canon_mode) -------------
# rawtree: lines "MODE NAME ID" on stdin, a tree written as is.
rawtree() {
	python3 -c '
import sys, subprocess
d = b""
for l in sys.stdin.read().splitlines():
    m, rest = l.split(" ", 1); n, s = rest.rsplit(" ", 1)
    d += m.encode() + b" " + n.encode() + b"\0" + bytes.fromhex(s)
sys.stdout.write(subprocess.run(["git", "hash-object", "-t", "tree",
    "--literally", "-w", "--stdin"], input=d, capture_output=True,
    check=True).stdout.decode())'
}
# commit_root ENTRY MSG: HEAD's root with its recommendations entry
# replaced by ENTRY ("MODE recommendations ID"), committed as plain git
# would, the index and the files made to match.
commit_root() {
	_root=$( (git ls-tree HEAD | grep -v '	recommendations$' |
	    awk -F'\t' '{split($1,a," "); print a[1]" "$2" "a[3]}'
	    echo "$1") | rawtree)
	_c=$(git commit-tree -p HEAD -m "$2" "$_root") &&
	    git update-ref refs/heads/main "$_c" && git read-tree HEAD &&
	    git checkout -q -- . 2>/dev/null
	rm -rf .git/dipb
}
modes_board() {
	new_board modes
	as drafter
	mkrec industrial-capacity "A" >/dev/null
	mkrec industrial-capacity "B" >/dev/null
	B1=$(git rev-parse HEAD:recommendations/IC-0001.yaml)
	B2=$(git rev-parse HEAD:recommendations/IC-0002.yaml)
	C0=$(git rev-parse HEAD)
}

# Mode 100664 (old git): a regular file to git, a record to dipb.
modes_board
commit_root "40000 recommendations $(printf '100664 IC-0001.yaml %s\n100644 IC-0002.yaml %s\n' \
    "$B1" "$B2" | rawtree)" 'mode 100664'
run dipb list
cp "$OUT" "$TROOT/m.out"; cp "$ERR" "$TROOT/m.err"
check 'mode 100664: list shows the record, as git reads it' \
    sh -c '[ "$1" -eq 0 ] && grep -q "^IC-0001	" "$2"' sh "$RC" "$TROOT/m.out"
check 'mode 100664: show reads it' dipb show IC-0001
check 'mode 100664: review --request moves it' dipb review IC-0001 --request
as chair
check 'mode 100664: migrate --layout sharded moves it' \
    dipb migrate --layout sharded
check_out 'mode 100664: ... to its sharded place' 'IC-0001.yaml' \
    sh -c 'git ls-tree --name-only HEAD recommendations/IC/00/ |
    sed -n "s|.*/||p" | head -1'

# A gitlink (a submodule's commit) named as a record: reported as a link is.
modes_board
commit_root "40000 recommendations $(printf '100644 IC-0001.yaml %s\n160000 IC-0002.yaml %s\n' \
    "$B1" "$C0" | rawtree)" 'IC-0002.yaml a gitlink'
mkdir -p recommendations/IC-0002.yaml
run dipb list
check_eq 'gitlink record: list exits 1' 1 "$RC"
cp "$OUT" "$TROOT/m.out"; cp "$ERR" "$TROOT/m.err"
check 'gitlink record: list names it [io], lists the others' sh -c \
    'grep -q "^recommendations/IC-0002.yaml:0:0: error: a gitlink.*\[io\]$" "$1" &&
    grep -q "^IC-0001	" "$2"' sh "$TROOT/m.err" "$TROOT/m.out"
run dipb report status
check_err 'gitlink record: report leaves it out, saying so' \
    'recommendations/IC-0002.yaml:0:0: error: a gitlink'
check_refused 1 'recommendations/IC-0002.yaml: a gitlink (a submodule' \
    'gitlink record: show names what is there' dipb show IC-0002
check_refused 1 'recommendations/IC-0002.yaml: a gitlink (a submodule' \
    'gitlink record: withdraw names what is there' \
    dipb withdraw IC-0002 -m gone
# Its advice, from a folder below the top, names the path from there.
mkdir -p sub && cd sub || exit 1
run dipb show IC-0002
_rm=$(sed -n "s/.*('\(git rm --cached [^']*\)'.*/\1/p" "$ERR")
check_eq 'gitlink record: from sub/, the advice names the path from there' \
    'git rm --cached ../recommendations/IC-0002.yaml' "$_rm"
check "gitlink record: '$_rm' runs from sub/" sh -c "${_rm:-false}"
check_eq 'gitlink record: ... and drops the gitlink from the index' '' \
    "$(git ls-files -s ../recommendations/IC-0002.yaml)"
cd .. && rmdir sub

# recommendations/ itself committed as a gitlink, then as a link.
modes_board
commit_root "160000 recommendations $C0" 'recommendations a gitlink'
mkdir -p recommendations
run dipb list
cp "$ERR" "$TROOT/m.err"
check 'recommendations a gitlink: list exits 1 naming it [io]' sh -c \
    '[ "$1" -eq 1 ] && grep -q "^recommendations:0:0: error: a gitlink.*not a folder.*\[io\]$" "$2"' \
    sh "$RC" "$TROOT/m.err"
check_refused 1 'recommendations: a gitlink (a submodule' \
    'recommendations a gitlink: show names it' dipb show IC-0001
check_refused 1 'a gitlink (a submodule' \
    'recommendations a gitlink: recommend names it' \
    dipb recommend --wg industrial-capacity --title C --summary S --no-edit
cp "$ERR" "$TROOT/m.err"
check 'recommendations a gitlink: ... not an internal error' \
    sh -c '! grep -q "not a folder: .recommendations.$" "$1"' sh "$TROOT/m.err"
modes_board
commit_root "120000 recommendations $(printf elsewhere | git hash-object -w --stdin)" \
    'recommendations a link'
mkdir -p elsewhere
run dipb list
cp "$ERR" "$TROOT/m.err"
check 'recommendations a committed link: list exits 1 naming it' sh -c \
    '[ "$1" -eq 1 ] && grep -q "^recommendations:0:0: error: a symbolic link.*not a folder" "$2"' \
    sh "$RC" "$TROOT/m.err"
check_refused 1 'recommendations is committed as a symbolic link' \
    'recommendations a committed link: recommend refused' \
    dipb recommend --wg industrial-capacity --title C --summary S --no-edit
cp "$ERR" "$TROOT/m.err"
check 'recommendations a committed link: no advice to check the link out again' \
    sh -c '! grep -q "git checkout -- recommendations" "$1"' sh "$TROOT/m.err"

# A committed folder of a record's name: the next id passes it by.
modes_board
mkdir recommendations/IC-0003.yaml && echo hi >recommendations/IC-0003.yaml/n
git add recommendations && git commit -qm 'a folder named as a record'
run dipb recommend --wg industrial-capacity --title C --summary S --no-edit
cp "$OUT" "$TROOT/m.out"
check_out 'a folder named as the next record: recommend takes the next id' \
    IC-0004 cat "$TROOT/m.out"
rm -rf recommendations/IC-0003.yaml
run dipb recommend --wg industrial-capacity --title D --summary S --no-edit
cp "$OUT" "$TROOT/m.out"
check_out '... also with the folder not checked out' IC-0005 cat "$TROOT/m.out"
# The sharded layout's folder of a prefix committed as a gitlink.
modes_board
as chair
dipb migrate --layout sharded >/dev/null 2>&1
as drafter
git rm -rq --cached recommendations/IC && rm -rf recommendations/IC
git update-index --add --cacheinfo "160000,$C0,recommendations/IC"
git commit -qm 'recommendations/IC a gitlink'
mkdir -p recommendations/IC
check_refused 1 'recommendations/IC: a gitlink (a submodule' \
    'sharded folder a gitlink: recommend names it, and what to do' \
    dipb recommend --wg industrial-capacity --title C --summary S --no-edit

# --- Trees git fsck rejects (dipb-git(7), "Trees") ---------------------------
# A tree out of git's order (treeNotSorted) or naming an entry twice
# (duplicateEntries), as another tool may push: a lookup by binary search
# misses entries and a tree spliced from it loses or repeats them, so every
# command refuses it, exit 5, before writing anything.  A zero-padded mode
# (zeroPaddedFilemode) is read, and written canonical in a new tree.

# rawtree (above): a tree object as written, unsorted.

# commit_root ROOT MSG: the branch, index and files moved to a commit of
# tree ROOT, as plain git would.
commit_root() {
	git update-ref refs/heads/main "$(git commit-tree -p HEAD -m "$2" "$1")"
	git read-tree HEAD
	git checkout -q -- . 2>/dev/null
}

# back_to_good: the branch, index and files back at $GOOD.
back_to_good() {
	git update-ref refs/heads/main "$GOOD"
	git read-tree HEAD
	git checkout -q -- .
	git clean -fdq
}

# commit_recs TREE MSG: HEAD's root with recommendations/ as TREE.
commit_recs() {
	commit_root "$( (git ls-tree HEAD | grep -v '	recommendations$' |
	    awk -F'\t' '{ split($1, a, " "); print a[1] " " $2 " " a[3] }'
	    echo "40000 recommendations $1") | rawtree)" "$2"
}

new_board trees
as drafter
mkrec industrial-capacity "A" >/dev/null
mkrec industrial-capacity "B" >/dev/null
GOOD=$(git rev-parse HEAD)
B1=$(git rev-parse HEAD:recommendations/IC-0001.yaml)
B2=$(git rev-parse HEAD:recommendations/IC-0002.yaml)
R=$(git rev-parse HEAD:recommendations)
Y=$(git rev-parse HEAD:dipb.yaml)
A=$(git rev-parse HEAD:.gitattributes)

# The root tree out of order: recommend once lost every other record.
commit_root "$(printf '40000 recommendations %s\n100644 dipb.yaml %s\n100644 .gitattributes %s\n' \
    $R $Y $A | rawtree)" 'unsorted root tree'
BAD=$(git rev-parse --short=12 HEAD)
check_refused 5 'treeNotSorted: not properly sorted' \
    'a root tree out of order: recommend refuses it, writing nothing' \
    dipb recommend --wg industrial-capacity --title C --summary S --no-edit
check_err 'a root tree out of order: the commit named' "at commit $(git rev-parse HEAD)"
check_refused 5 'treeNotSorted' \
    'a root tree out of order: edit --board refuses it' \
    dipb edit --board --no-edit
as drafter
check_refused 5 'treeNotSorted' \
    'a root tree out of order: review --request refuses it' \
    dipb review IC-0001 --request
check_status 5 'a root tree out of order: list refuses it, not an empty board' \
    dipb list
check_err 'a root tree out of order: list names the problem' \
    'treeNotSorted: not properly sorted'
check_status 5 'a root tree out of order: report status refuses it' \
    dipb report status --format json
check_status 5 'a root tree out of order: show refuses it as list does' \
    dipb show IC-0001

# recommendations/ out of order, each name once.
back_to_good
commit_recs "$(printf '100644 IC-0002.yaml %s\n100644 IC-0001.yaml %s\n' \
    $B2 $B1 | rawtree)" 'unsorted recommendations/'
check_refused 5 'recommendations/ at commit' \
    'recommendations/ out of order: review --request refuses it' \
    dipb review IC-0001 --request
check_err 'recommendations/ out of order: in git fsck'"'"'s words' \
    "treeNotSorted: not properly sorted, at 'IC-0001.yaml'"
check_status 5 'recommendations/ out of order: list refuses it' dipb list
rm -rf .git/dipb
check_status 1 'recommendations/ out of order: verify reports it' dipb verify
check_file_has 'recommendations/ out of order: as tree-order' "$OUT" \
    "^$(git rev-parse --short=12 HEAD) -: tree $(git rev-parse HEAD:recommendations) \\(recommendations/\\): treeNotSorted: not properly sorted, at 'IC-0001.yaml'.*\\[tree-order\\]\$"
check_eq 'recommendations/ out of order: verify reads no record deleted' \
    0 "$(grep -c 'plain-commit' "$OUT")"
as chair
check_refused 5 'treeNotSorted' \
    'recommendations/ out of order: migrate refuses it' \
    dipb migrate --layout sharded

# recommendations/ naming IC-0002.yaml twice, two versions.
back_to_good
as drafter
dipb review IC-0002 --request >/dev/null 2>&1
OLD=$(git rev-parse IC-0002/1-drafted:recommendations/IC-0002.yaml)
CUR=$(git rev-parse HEAD:recommendations/IC-0002.yaml)
commit_recs "$(printf '100644 IC-0001.yaml %s\n100644 IC-0002.yaml %s\n100644 IC-0002.yaml %s\n' \
    $B1 $CUR $OLD | rawtree)" 'a duplicate entry'
check_status 5 'a duplicate entry: list refuses it, not IC-0002 twice' \
    dipb list
check_err 'a duplicate entry: in git fsck'"'"'s words' \
    "duplicateEntries: contains duplicate file entries, at 'IC-0002.yaml'"
check_status 5 'a duplicate entry: report status refuses it' \
    dipb report status --format json
git update-index --cacheinfo 100644,$CUR,recommendations/IC-0002.yaml
git cat-file blob $CUR >recommendations/IC-0002.yaml
as rev1
check_refused 5 'duplicateEntries' \
    'a duplicate entry: review --endorse refuses it' \
    dipb review IC-0002 --endorse

# A file and a folder of one name, not neighbours ("IC", "IC.x", "IC/"):
# duplicateEntries for git fsck, and for dipb.
back_to_good
SUB=$(printf '100644 IC-0001.yaml %s\n' $B1 | rawtree)
commit_recs "$(printf '100644 IC %s\n100644 IC-0002.yaml %s\n100644 IC.x %s\n40000 IC %s\n' \
    $B1 $B2 $B1 $SUB | rawtree)" 'a file and a folder IC'
check 'a file and a folder of one name: git fsck says duplicateEntries' \
    sh -c 'git fsck --strict --no-dangling 2>&1 | grep -q duplicateEntries'
check_status 5 'a file and a folder of one name: list refuses it' dipb list
check_err 'a file and a folder of one name: duplicateEntries' \
    "duplicateEntries: contains duplicate file entries, at 'IC'"

# A file and a folder of one name added far apart, the one to a tree that
# held the other ("IC", "IC-0001.yaml", "IC-0002.yaml", "IC.x", "IC/" in
# git's order): dipb verify and dipb sync, which check the entries around
# those a commit changes, look up the other kind of each entry it adds
# (dipb-verify(1), tree-order).  Near each other, "ZZ" and "ZZ/", as
# before.  Each case is three commits on $GOOD: recommendations/ as
# BEFORE (plain git's, on the upstream), as BAD, then as $GOOD has it,
# the last two with $GOOD's trailers (dipb changes, to dipb sync).  No
# checkpoint is kept at BAD's commit: the next is compared with the tree
# before it (dipb-verify(1), "Checkpoints").
git clone -q --bare . "$TROOT/trees-up.git"
git remote add origin "$TROOT/trees-up.git"
git fetch -q origin
git branch -q --set-upstream-to=origin/main
MSG=$(git log -1 --format=%B "$GOOD")
# tree_order DESC BEFORE BAD NAME: the case, NAME the entry twice (BEFORE
# and BAD: lines "MODE NAME ID", as rawtree reads them).
tree_order() {
	back_to_good
	commit_recs "$(echo "$2" | rawtree)" "$1: before"
	git push -q -f origin HEAD:main
	commit_recs "$(echo "$3" | rawtree)" "$MSG"
	_bad=$(git rev-parse HEAD)
	_short=$(printf %.12s "$_bad")
	_tree=$(git rev-parse "$_bad:recommendations")
	rm -rf .git/dipb
	check_status 1 "$1: at the tip, verify reports it" dipb verify
	check "$1: at the tip, verify keeps no checkpoint of it" \
	    test ! -e ".git/dipb/verify/$_bad"
	commit_root "$(git rev-parse "$GOOD^{tree}")" "$MSG"
	git clean -fdq
	run git fsck --strict --no-dangling
	check_file_has "$1: git fsck says duplicateEntries" "$ERR" \
	    "tree $_tree: duplicateEntries"
	rm -rf .git/dipb
	check_status 1 "$1: verify reports it, exit 1" dipb verify
	check_file_has "$1: as tree-order" "$OUT" \
	    "^$_short -: tree $_tree \\(recommendations/\\): duplicateEntries: contains duplicate file entries, at '$4'.*\\[tree-order\\]\$"
	check_eq "$1: no path of it judged" 0 "$(grep -E -c \
	    "^$_short .*\\[(plain-commit|foreign-path|record-path)\\]\$" "$OUT")"
	_head=$(git rev-parse HEAD)
	check_status 5 "$1: sync refuses it, exit 5" dipb sync
	check_err "$1: sync says why" "tree $_tree (recommendations/): duplicateEntries: contains duplicate file entries, at '$4'"
	check_out "$1: sync moves nothing" "$_head" git rev-parse HEAD
}
RECS="100644 IC-0001.yaml $B1
100644 IC-0002.yaml $B2
100644 IC.x $B1"
tree_order 'a folder added far from its file' "100644 IC $B1
$RECS" "100644 IC $B1
$RECS
40000 IC $SUB" IC
tree_order 'a file added far from its folder' "$RECS
40000 IC $SUB" "100644 IC $B1
$RECS
40000 IC $SUB" IC
tree_order 'a folder added next to its file' "$RECS
100644 ZZ $B1" "$RECS
100644 ZZ $B1
40000 ZZ $SUB" ZZ
git remote remove origin

# packed GITDIR TARGET BASE BYTES [DST]: every object of GITDIR rewritten
# into one pack (its loose objects removed), tree TARGET stored as a
# ref-delta of tree BASE whose result is the file BYTES, its header
# claiming DST bytes (default: BYTES' size).
packed() {
	python3 - "$@" <<'PY'
import glob, hashlib, os, struct, subprocess, sys, zlib
gitdir, target, base, new = sys.argv[1:5]
new = open(new, 'rb').read()
dst = int(sys.argv[5]) if len(sys.argv) > 5 else len(new)
git = ['git', '--git-dir', gitdir]
ids = subprocess.run(git + ['cat-file', '--batch-all-objects',
    '--batch-check=%(objectname) %(objecttype)'], capture_output=True,
    check=True).stdout.decode().split()
objs = {}
for oid, typ in zip(ids[0::2], ids[1::2]):
    objs[oid] = (typ, subprocess.run(git + ['cat-file', typ, oid],
        capture_output=True, check=True).stdout)
def varint(n):
    b = bytearray()
    while True:
        c, n = n & 0x7f, n >> 7
        b.append(c | (0x80 if n else 0))
        if not n:
            return bytes(b)
def head(t, n):
    b, c, n = bytearray(), (t << 4) | (n & 15), n >> 4
    while n:
        b.append(c | 0x80)
        c, n = n & 0x7f, n >> 7
    b.append(c)
    return bytes(b)
delta = varint(len(objs[base][1])) + varint(dst)
for i in range(0, len(new), 127):
    delta += bytes([len(new[i:i + 127])]) + new[i:i + 127]
kind = {'commit': 1, 'tree': 2, 'blob': 3, 'tag': 4}
pack, ents = bytearray(b'PACK' + struct.pack('>II', 2, len(objs))), []
for oid, (typ, data) in objs.items():
    if oid == target:
        e = head(7, len(delta)) + bytes.fromhex(base) + zlib.compress(delta)
    else:
        e = head(kind[typ], len(data)) + zlib.compress(data)
    ents.append((bytes.fromhex(oid), zlib.crc32(e), len(pack)))
    pack += e
pack += hashlib.sha1(pack).digest()
ents.sort()
idx = bytearray(b'\377tOc' + struct.pack('>I', 2))
for i in range(256):
    idx += struct.pack('>I', sum(1 for e in ents if e[0][0] <= i))
for k in range(3):
    for e in ents:
        idx += e[0] if k == 0 else struct.pack('>I', e[k])
idx += pack[-20:]
idx += hashlib.sha1(idx).digest()
for f in glob.glob(gitdir + '/objects/pack/*') + \
        glob.glob(gitdir + '/objects/[0-9a-f][0-9a-f]/*'):
    os.remove(f)
name = gitdir + '/objects/pack/pack-' + pack[-20:].hex()
open(name + '.pack', 'wb').write(pack)
open(name + '.idx', 'wb').write(idx)
PY
}

# A tree read after another version of its folder (dipb diff reads a
# record at two commits, report minutes its level at each change's) is
# checked for what differs from that one, which was checked (git/tree.c),
# and refused as a whole check refuses it: each case is IC-0002's
# version 7, a change with recommendations/ as BEFORE (in git's order),
# then version 8 with it as BAD, on $GOOD: dipb diff IC-0002 7 8 reads
# BEFORE first, and 8 7 too (the older version first).  Then the same
# with version 8 in a pack as a delta of version 7, as git gc stores it,
# which dipb makes from version 7's bytes in hand (git/packdelta.c).
# hist_versions BEFORE BAD: the two versions; V7 and V8 their trees.
hist_versions() {
	back_to_good
	git tag -d IC-0002/7-edited IC-0002/8-edited >/dev/null 2>&1 || :
	for _v in 7 8; do
		if [ "$_v" = 7 ]; then _t=$1; else _t=$2; fi
		commit_recs "$(echo "$_t" | rawtree)" "IC-0002: edited by Dan Drafter

Dipb-Record: IC-0002
Dipb-Event: edited
Dipb-Status: draft -> draft"
		git tag -a -m "IC-0002: edited by Dan Drafter" \
		    "IC-0002/$_v-edited"
	done
	V7=$(git rev-parse HEAD~1:recommendations)
	V8=$(git rev-parse HEAD:recommendations)
}
# hist_pack DESC [DST]: every object in one pack, V8 a delta of V7
# (packed; DST: the size its header claims, a delta git cannot read),
# git's word for it checked when git can read it.
hist_pack() {
	git cat-file tree "$V8" >"$TROOT/v8.raw"
	packed .git "$V8" "$V7" "$TROOT/v8.raw" ${2:+"$2"}
	[ -n "$2" ] || check_eq "$1: git finds version 8 a delta of version 7 in the pack" \
	    "$V8 $V7" "$(git verify-pack -v .git/objects/pack/*.idx |
	    awk -v t="$V8" '$1 == t { print $1, $NF }')"
}
# hist_refused DESC NAME PROBLEM: both diffs refuse version 8.
hist_refused() {
	check_refused 5 "$3" \
	    "$1: diff of the version before and it refuses it" \
	    dipb diff IC-0002 7 8
	check_err "$1: the tree named" "tree $V8 (recommendations/"
	check_err "$1: its entry named" "at '$2'"
	check_refused 5 "$3" \
	    "$1: diff of it and the version before refuses it" \
	    dipb diff IC-0002 8 7
}
# hist_order DESC BEFORE BAD NAME PROBLEM.
hist_order() {
	hist_versions "$2" "$3"
	hist_refused "$1" "$4" "$5"
	hist_pack "$1, packed"
	hist_refused "$1, packed" "$4" "$5"
}
as drafter
RECS="100644 IC-0001.yaml $B1
100644 IC-0002.yaml $B2"
hist_order 'history: an entry twice' "$RECS" "$RECS
100644 IC-0002.yaml $B1" IC-0002.yaml duplicateEntries
hist_order 'history: two entries swapped' "$RECS
100644 IC-0003.yaml $B1
100644 IC-0004.yaml $B2" "$RECS
100644 IC-0004.yaml $B2
100644 IC-0003.yaml $B1" IC-0003.yaml treeNotSorted
hist_order 'history: a folder added far from its file' "100644 IC $B1
$RECS
100644 IC.x $B1" "100644 IC $B1
$RECS
100644 IC.x $B1
40000 IC $SUB" IC duplicateEntries
hist_order 'history: a file added far from its folder' "$RECS
100644 IC.x $B1
40000 IC $SUB" "100644 IC $B1
$RECS
100644 IC.x $B1
40000 IC $SUB" IC duplicateEntries
# A good delta: the diff as from loose trees.  One whose header claims
# more bytes than it makes: refused, exit 5, as git cannot read it.
hist_versions "$RECS" "100644 IC-0001.yaml $B1
100644 IC-0002.yaml $B1"
run dipb diff IC-0002 7 8
cp "$OUT" "$TROOT/diff.loose"
check_eq 'history, packed: a good delta: dipb diff 7 8 from loose trees' \
    0 "$RC"
hist_pack 'history, packed: a good delta'
run dipb diff IC-0002 7 8
check_eq 'history, packed: a good delta: the same diff through the delta' \
    "0 $(cat "$TROOT/diff.loose")" "$RC $(cat "$OUT")"
hist_pack 'history, packed: a malformed delta' \
    $(($(wc -c <"$TROOT/v8.raw") + 5))
check_status nonzero 'oracle: git cannot read the malformed delta' \
    git cat-file tree "$V8"
check_status 5 'history, packed: a malformed delta: dipb diff 7 8 exits 5' \
    dipb diff IC-0002 7 8
check_err 'history, packed: a malformed delta: the tree named, corrupt' \
    "object '$V8' is corrupt"
git tag -d IC-0002/7-edited IC-0002/8-edited >/dev/null 2>&1 || :
back_to_good

# A name that holds '/' (fullPathname: git fsck warns of it, git show
# finds no file by it): git's order compares "IC-0003.yaml/x" equal to a
# folder IC-0003.yaml, yet it is no record IC-0003, and an entry
# "recommendations/x" of the root is no recommendations/.  dipb list
# skips such names; a lookup finds nothing by them either.
back_to_good
commit_recs "$(printf '100644 IC-0001.yaml %s\n100644 IC-0002.yaml %s\n100644 IC-0003.yaml/x %s\n' \
    $B1 $B2 $B2 | rawtree)" 'a name holding a slash'
check_status nonzero 'oracle: git show finds no recommendations/IC-0003.yaml' \
    git show HEAD:recommendations/IC-0003.yaml
check_status 1 "a name holding '/': show IC-0003 finds no record" \
    dipb show IC-0003
check_err "a name holding '/': no such recommendation, as list has it" \
    "no such recommendation: 'IC-0003'"
check_out "a name holding '/': list, the two records" 'IC-0001
IC-0002' sh -c 'dipb list | cut -f1'
as drafter
check_refused 1 "no such recommendation: 'IC-0003'" \
    "a name holding '/': review IC-0003 --request refused" \
    dipb review IC-0003 --request
back_to_good
commit_root "$( (git ls-tree HEAD | grep -v '	recommendations$' |
    awk -F'\t' '{ split($1, a, " "); print a[1] " " $2 " " a[3] }'
    echo "40000 recommendations/x $R") | LC_ALL=C sort -k2 | rawtree)" \
    'a root entry recommendations/x'
check_status nonzero 'oracle: git show finds no recommendations/IC-0001.yaml' \
    git show HEAD:recommendations/IC-0001.yaml
check_status 1 "a root entry 'recommendations/x': no recommendations/" \
    dipb show IC-0001
check_out "a root entry 'recommendations/x': list, no record" '' dipb list

# A tree with a malformed tail (a mode, no name): git cannot read it, and
# dipb refuses it, exit 5, for a lookup as for dipb list.
back_to_good
commit_recs "$( (git cat-file tree $R; printf '100644 junk') |
    git hash-object -t tree --literally -w --stdin)" 'a malformed tail'
check_status nonzero 'oracle: git ls-tree cannot read the tree' \
    git ls-tree HEAD:recommendations
check_status 5 'a malformed tail: show IC-0001 refuses it' dipb show IC-0001
check_err 'a malformed tail: it names the tree, and the way out' \
    "malformed tree $(git rev-parse HEAD:recommendations) (recommendations/): git cannot read it either; repair the branch with git (dipb-git(7), \"Trees\")"
check_status 5 'a malformed tail: list refuses it' dipb list

# A zero-padded mode (zeroPaddedFilemode): read; written canonical.
back_to_good
commit_recs "$(printf '100644 IC-0001.yaml %s\n0100644 IC-0002.yaml %s\n' \
    $B1 $B2 | rawtree)" 'a zero-padded mode'
as drafter
check_change IC-0001/2-review-requested 'draft -> in-review' '' \
    dipb review IC-0001 --request
check_out 'a zero-padded mode: the new tree has the canonical mode' \
    "100644 blob $B2	recommendations/IC-0002.yaml" \
    git ls-tree HEAD recommendations/IC-0002.yaml
run git fsck --strict --no-dangling
check_eq 'a zero-padded mode: git fsck finds nothing in dipb'"'"'s tree' '' \
    "$(grep "$(git rev-parse HEAD:recommendations)" "$OUT" "$ERR")"

# --- Objects git cannot read, and bytes that are not their id's -------------
# dipb(1), dipb-verify(1) EXIT STATUS: a corrupt object is exit 5, git's
# reason named, never a missing one (exit 1, a finding) (dipb-git(7),
# "Objects"); a delta that claims a huge result is refused, not allocated
# (src/git/packdelta.c).

# loose ID: the path of loose object ID.
loose() {
	printf '.git/objects/%.2s/%s\n' "$1" "${1#??}"
}

new_board corrupt
as drafter
mkrec industrial-capacity "First" >/dev/null
BLOB=$(git rev-parse HEAD:recommendations/IC-0001.yaml)
RTREE=$(git rev-parse HEAD:recommendations)
cp "$(loose "$BLOB")" "$TROOT/blob.good"
chmod u+w "$(loose "$BLOB")"
echo garbage >"$(loose "$BLOB")"
check_status 5 'a record blob that does not inflate: verify exits 5' \
    dipb verify
check_err 'a record blob that does not inflate: named, a corrupt object' \
    "object '$BLOB' is corrupt"
check_err "a record blob that does not inflate: git's reason" 'inflate'
check_eq 'a record blob that does not inflate: no finding of a record' '' \
    "$(grep 'record-invalid' "$OUT")"
check_status 5 'a record blob that does not inflate: show exits 5' \
    dipb show IC-0001
# A missing one stays what it was: a finding of the change that made it.
rm -f "$(loose "$BLOB")"
check_status 1 'a record blob that is missing: verify exits 1' dipb verify
check_file_has 'a record blob that is missing: a finding' "$OUT" \
    "cannot read object: '$BLOB' \\[record-invalid\\]"
cp "$TROOT/blob.good" "$(loose "$BLOB")"
check_status 0 'the blob back: verify is clean' dipb verify
chmod u+w "$(loose "$RTREE")"
echo garbage >"$(loose "$RTREE")"
for c in list verify; do
	check_status 5 "a recommendations/ tree that does not inflate: $c exits 5" \
	    dipb $c
	check_err "a recommendations/ tree that does not inflate: $c names it" \
	    "object '$RTREE' is corrupt"
done

# forged_board [DST]: a board of two records whose recommendations/ tree
# at the tip is, in its pack, a delta of the one before giving that tree
# with IC-0002.yaml naming another blob (titled "Forged"): its id stays.
forged_board() {
	new_board forged
	as drafter
	mkrec industrial-capacity "First" >/dev/null
	mkrec industrial-capacity "Second" >/dev/null
	FBASE=$(git rev-parse HEAD~1:recommendations)
	FTREE=$(git rev-parse HEAD:recommendations)
	_real=$(git rev-parse HEAD:recommendations/IC-0002.yaml)
	_fake=$(git show HEAD:recommendations/IC-0002.yaml |
	    sed 's/^title: Second$/title: Forged/' | git hash-object -w --stdin)
	git cat-file tree "$FTREE" >"$TROOT/tree.raw"
	python3 - "$TROOT/tree.raw" "$_real" "$_fake" <<'PY'
import sys
p, a, b = sys.argv[1], bytes.fromhex(sys.argv[2]), bytes.fromhex(sys.argv[3])
d = open(p, 'rb').read()
assert d.count(a) == 1
open(p, 'wb').write(d.replace(a, b))
PY
	packed .git "$FTREE" "$FBASE" "$TROOT/tree.raw" "$@"
}

if [ ! -x "$TROOT/bin/python3" ]; then
	skip 'a delta claiming 2^60 bytes: refused' 'no python3'
else
	# A delta whose header claims 2^60 bytes: refused, not allocated.
	forged_board 1152921504606846976
	for c in verify list; do
		check_status 5 "a delta claiming 2^60 bytes: $c exits 5" dipb $c
		check_err "a delta claiming 2^60 bytes: $c names the tree" \
		    "object '$FTREE' is corrupt"
	done
fi

finish

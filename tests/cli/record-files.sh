#!/bin/sh
# tests/cli/record-files.sh - which file below recommendations/ is a record
# file: one rule for every reader (dipb-record(5)).  dipb validate (the
# working tree), dipb list and dipb todo (the tip) and dipb verify (the
# history) take the same files: every *.yaml file, a dotfile too, of
# recommendations/ and of every folder below it, 16 folders deep; a
# folder deeper still is reported by validate and verify.  A board that
# validate passes is one the members' commands read without a word.
# In the working tree a dotfile, or a file in a dot-folder, is read once
# git tracks it (its index, split, sparse or GIT_INDEX_FILE's): an editor's
# lock link or macOS's ._ file beside a record is none.  A board's
# recommendations/ named to validate is read by the same rule.
#
# git is the oracle of what the tree holds: git ls-tree -r HEAD.
. "$(dirname "$0")/lib.sh"

# board LAYOUT: a new board of that layout, IC-0001 drafted in it, its
# place in $REC.
board() {
	BOARD=$(mktemp -d "$TROOT/$1.XXXXXX")
	cd "$BOARD" || exit 1
	git init -q
	as chair
	run dipb init --config "$BOARD_CONFIG" --layout "$1"
	[ "$RC" -eq 0 ] || not_ok "board $1: dipb init" "$(_said dipb init)"
	as drafter
	mkrec industrial-capacity 'Shared test ranges' >/dev/null
	REC=$(git ls-tree -r --name-only HEAD -- recommendations/)
}

# commit MSG: everything in the working tree committed by git itself.
commit() {
	git add -A && git commit -qm "$1"
}

# strays: the .yaml files git holds below recommendations/ but IC-0001's.
strays() {
	git ls-tree -r --name-only HEAD -- recommendations/ |
	    grep '\.yaml$' | grep -v -x -F "$REC"
}

# agree CASE RULE: validate, list, todo and verify each report every stray
# file git holds, exit 1; list's and todo's lines are validate's, at the
# same line and column, of rule RULE; verify's finding is [record-path].
agree() {
	_c=$1 _r=$2
	_s=$(strays)
	[ -n "$_s" ] || not_ok "$_c: git holds a stray file" "$(git ls-tree -r HEAD)"
	run dipb validate --format gcc
	check_eq "$_c: validate exits 1" 1 "$RC"
	cp "$OUT" "$TROOT/validate.out"
	for _cmd in list todo; do
		run dipb "$_cmd"
		check_eq "$_c: $_cmd exits 1" 1 "$RC"
		for _f in $_s; do
			_l=$(grep -F -e "$_f:" "$ERR" | grep -e "\[$_r\]\$" |
			    head -n 1)
			if [ -n "$_l" ] && grep -q -x -F -e "$_l" \
			    "$TROOT/validate.out"; then
				ok "$_c: $_cmd and validate report $_f [$_r] alike"
			else
				not_ok "$_c: $_cmd and validate report $_f [$_r] alike" \
				    "$_cmd said: $_l" "$(_said dipb "$_cmd")" \
				    "validate said:" "$(cat "$TROOT/validate.out")"
			fi
		done
	done
	for _f in $_s; do
		check_rule "$_c: verify reports $_f" record-path "^[0-9a-f]+ -: $_f "
	done
}

# --- the flat layout ---------------------------------------------------------

board flat
cp "$REC" recommendations/.IC-0002.yaml
commit 'a hidden copy'
agree 'flat, a dotfile copy of a record' file-name

board flat
printf 'junk: [\n' >recommendations/.notes.yaml
commit 'hidden notes'
agree 'flat, a dotfile that is no YAML' yaml-syntax

board flat
printf 'junk: [\n' >recommendations/.yaml
commit 'a file named .yaml'
agree 'flat, a file named .yaml alone' yaml-syntax

# --- the sharded layout's folders --------------------------------------------

board sharded
cp "$REC" "${REC%/*}/.IC-0002.yaml"
commit 'a hidden copy in the shard'
agree 'sharded, a dotfile in the shard' file-name

board sharded
mkdir recommendations/.old
printf 'junk: [\n' >recommendations/.old/notes.yaml
commit 'notes in a hidden folder'
agree 'sharded, a file in a hidden folder' yaml-syntax

# --- depth: 16 folders are read, a 17th is reported --------------------------

board sharded
d=recommendations/1/2/3/4/5/6/7/8/9/10/11/12/13/14/15/16
mkdir -p "$d/17"
printf 'junk: [\n' >"$d/.deep.yaml"
commit 'a file 16 folders deep'
agree 'sharded, a dotfile 16 folders deep' yaml-syntax
git rm -q "$d/.deep.yaml"
cp "$REC" "$d/17/IC-0001.yaml"
commit 'a folder 17 deep'
check_eq 'git holds the file 17 folders deep' "$d/17/IC-0001.yaml" "$(strays)"
run dipb validate --format gcc
check_eq 'a folder 17 deep: validate exits 1' 1 "$RC"
check_stdout 'a folder 17 deep: validate reports the folder' \
    "$d/17:0:0: error: a folder more than 16 levels below recommendations/, where no record is kept: not read [record-path]"
check_rule 'a folder 17 deep: verify reports the folder' record-path \
    "^[0-9a-f]+ -: $d/17/ is a folder more than 16 levels below"
run dipb list
check_eq 'a folder 17 deep: list passes it over' '0' "$RC"
check_eq '... without a word' '' "$(cat "$ERR")"

# --- the working tree: a dotfile git does not track --------------------------
# What an editor or the system leaves beside a record, or a file git
# ignores, is read only once git tracks it (dipb-validate(1)); git ls-files
# is the oracle of what git tracks.

# clean CASE: validate and fmt --check pass the board without a word.
clean() {
	run dipb validate
	check_eq "$1: validate exits 0" 0 "$RC"
	check_eq "$1: ... without a word" '' "$(cat "$OUT" "$ERR")"
	run dipb fmt --check
	check_eq "$1: fmt --check exits 0" 0 "$RC"
	check_eq "$1: ... without a word" '' "$(cat "$OUT" "$ERR")"
}

# untracked PATH: git tracks nothing at PATH.
untracked() {
	check_eq "git does not track $1" '' "$(git ls-files -- "$1")"
}

for layout in flat sharded; do
	board "$layout"
	dir=${REC%/*}
	ln -s 'user@host.1234:1700000000' "$dir/.#IC-0001.yaml"
	printf '\0\5\26\7\0\2\0\0Mac OS X' >"$dir/._IC-0001.yaml"
	untracked "$dir/.#IC-0001.yaml"
	untracked "$dir/._IC-0001.yaml"
	clean "$layout, an Emacs lock link and an AppleDouble file"
	printf 'junk: [\n' >"$dir/.foo.yaml"
	echo '.foo.yaml' >>.git/info/exclude
	untracked "$dir/.foo.yaml"
	clean "$layout, a dotfile git ignores"
	# Staged, it is tracked: reported as list reports it once committed.
	git add -f "$dir/.foo.yaml"
	run dipb validate --format gcc
	check_eq "$layout, a dotfile staged: validate exits 1" 1 "$RC"
	check_file_has "$layout, a dotfile staged: validate reports it" "$OUT" \
	    "^$dir/\\.foo\\.yaml:[0-9]+:[0-9]+: error: .*\\[yaml-syntax\\]\$"
	git commit -qm 'hidden notes, forced in'
	agree "$layout, a dotfile committed though ignored" yaml-syntax
done

# An index of version 4, which libgit2 reads for dipb: the same.
board flat
git update-index --index-version 4
ln -s 'user@host.1234:1700000000' recommendations/.#IC-0001.yaml
printf 'junk: [\n' >recommendations/.foo.yaml
check_eq 'the index is of version 4' 4 "$(od -An -tu1 -j7 -N1 .git/index | tr -d ' ')"
clean 'index v4, a lock link and a dotfile git does not track'
git add recommendations/.foo.yaml
run dipb validate --format gcc
check_eq 'index v4, a dotfile staged: validate exits 1' 1 "$RC"
check_file_has 'index v4, a dotfile staged: validate reports it' "$OUT" \
    '^recommendations/\.foo\.yaml:[0-9]+:[0-9]+: error: .*\[yaml-syntax\]$'

# A split index (core.splitIndex) and a sparse one (--sparse-index), which
# libgit2 cannot read: dipb reads their names itself, git ls-files the
# oracle.
# staged_found CASE: validate reports the staged recommendations/.foo.yaml.
staged_found() {
	run dipb validate --format gcc
	check_eq "$1: validate exits 1" 1 "$RC"
	check_file_has "$1: validate reports it" "$OUT" \
	    '^recommendations/\.foo\.yaml:[0-9]+:[0-9]+: error: .*\[yaml-syntax\]$'
}
board flat
printf 'junk: [\n' >recommendations/.foo.yaml
git add recommendations/.foo.yaml
git update-index --split-index
check_eq 'the index is split' 1 "$(ls .git/sharedindex.* | wc -l | tr -d ' ')"
git rm -q --cached recommendations/.foo.yaml
ln -s 'user@host.1234:1700000000' recommendations/.#IC-0001.yaml
untracked recommendations/.foo.yaml
clean 'split index, a lock link and a dotfile its shared index deletes'
git add recommendations/.foo.yaml
staged_found 'split index, a dotfile staged'
git commit -qm 'hidden notes' && git update-index --split-index
staged_found 'split index, a dotfile committed'
# A hostile split index (a board handed over as a folder): its "link"
# extension's delete bitmap too short for its word count, and one run of
# 2^38 ones; read in bounds, at once, each a malformed split index (one
# warning, nothing tracked); a null id, no shared index, as git reads it.
cp .git/index "$TROOT/index.good"
python3 - "$TROOT" <<'PY'
import struct, hashlib, sys
d = open(sys.argv[1] + '/index.good', 'rb').read()
i = d.find(b'link'); esz, = struct.unpack('>I', d[i+4:i+8]); oid = d[i+8:i+28]
def put(name, payload):
    body = d[:i] + b'link' + struct.pack('>I', len(payload)) + payload + d[i+8+esz:-20]
    open(sys.argv[1] + '/index.' + name, 'wb').write(body + hashlib.sha1(body).digest())
put('short', oid + struct.pack('>II', 4, 0x10000000) + b'\0\0\0')
put('run', oid + struct.pack('>IIQI', 4, 1, 1 | (0xffffffff << 1), 0) + struct.pack('>III', 0, 0, 0))
put('null', b'\0' * 20)
PY
for c in short run; do
	cp "$TROOT/index.$c" .git/index
	run timeout 20 dipb validate --format gcc
	check_eq "split index, a hostile delete bitmap ($c): validate ends, tracking nothing: exit 0" \
	    0 "$RC"
done
cp "$TROOT/index.short" .git/index
run dipb validate --format gcc
check_eq 'split index, a delete bitmap too short: one warning, a malformed split index' \
    1 "$(cat "$OUT" "$ERR" | grep -c 'warning: .*malformed split index')"
cp "$TROOT/index.null" .git/index
run dipb validate --format gcc
check_eq 'split index, a null shared index: git reads the split file alone, so does validate: exit 0' \
    "0 $(git ls-files recommendations/.foo.yaml | wc -l | tr -d ' ')" "$RC 0"
cp "$TROOT/index.good" .git/index

# Of version 4, each name stored as a change of the one before: the
# split file's and its shared index's names, read as git reads them.
board flat
printf 'junk: [\n' >recommendations/.foo.yaml
git add recommendations/.foo.yaml && git commit -qm 'hidden notes'
git update-index --index-version 4 && git update-index --split-index
check_eq 'a split index of version 4' '4 1' \
    "$(od -An -tu1 -j7 -N1 .git/index | tr -d ' ') $(ls .git/sharedindex.* |
    wc -l | tr -d ' ')"
staged_found 'split index of version 4, a dotfile committed'
mkdir -p recommendations/.x && printf 'junk: [\n' >recommendations/.x/b.yaml
git add recommendations/.x/b.yaml
check_eq 'split index of version 4: git tracks both dotfiles' \
    'recommendations/.foo.yaml recommendations/.x/b.yaml' \
    "$(git ls-files 'recommendations/.*' | tr '\n' ' ' | sed 's/ $//')"
run dipb validate --format gcc
check_eq 'split index of version 4, one more staged: both reported' \
    'recommendations/.foo.yaml recommendations/.x/b.yaml' \
    "$(grep -o '^recommendations/[^:]*' "$OUT" | sort -u | tr '\n' ' ' |
    sed 's/ $//')"
git rm -q --cached recommendations/.foo.yaml
run dipb validate --format gcc
check_eq 'split index of version 4, one taken out: the other alone' \
    'recommendations/.x/b.yaml' \
    "$(grep -o '^recommendations/[^:]*' "$OUT" | sort -u | tr '\n' ' ' |
    sed 's/ $//')"

board flat
mkdir other && echo x >other/a && git add other && git commit -qm other
git sparse-checkout set --cone --sparse-index recommendations
check_eq 'the index is sparse' 'other/' "$(git ls-files --sparse other)"
ln -s 'user@host.1234:1700000000' recommendations/.#IC-0001.yaml
printf 'junk: [\n' >recommendations/.foo.yaml
clean 'sparse index, a lock link and a dotfile git does not track'
git add recommendations/.foo.yaml
staged_found 'sparse index, a dotfile staged'
git update-index --index-version 4
check_eq 'a sparse index of version 4' '4 other/' \
    "$(od -An -tu1 -j7 -N1 .git/index | tr -d ' ') $(git ls-files --sparse other)"
staged_found 'sparse index of version 4, a dotfile staged'

# GIT_INDEX_FILE names the index, as git's in a hook: git ls-files's.
alt=$TROOT/alt-index
GIT_INDEX_FILE=$alt git -c index.sparse=false read-tree HEAD
check_eq 'GIT_INDEX_FILE: git tracks no .foo.yaml there' '' \
    "$(GIT_INDEX_FILE=$alt git ls-files recommendations/.foo.yaml)"
export GIT_INDEX_FILE="$alt"
run dipb validate
unset GIT_INDEX_FILE
check_eq 'GIT_INDEX_FILE: validate exits 0' 0 "$RC"
check_eq 'GIT_INDEX_FILE: ... without a word' '' "$(cat "$OUT" "$ERR")"
git rm -q --cached recommendations/.foo.yaml
GIT_INDEX_FILE=$alt git -c index.sparse=false add recommendations/.foo.yaml
export GIT_INDEX_FILE="$alt"
run dipb validate --format gcc
unset GIT_INDEX_FILE
check_eq 'GIT_INDEX_FILE holding it: validate exits 1' 1 "$RC"
# ... a sparse one, as git commit -a hands a pre-commit hook in a sparse
# checkout (index.lock): libgit2 cannot open it, dipb reads its names.
cp .git/index "$alt"
GIT_INDEX_FILE=$alt git add recommendations/.foo.yaml
check_eq 'a sparse GIT_INDEX_FILE: git tracks .foo.yaml there, not here' \
    'other/ recommendations/.foo.yaml|' \
    "$(GIT_INDEX_FILE=$alt git ls-files --sparse other recommendations/.foo.yaml |
    tr '\n' ' ' | sed 's/ $//')|$(git ls-files recommendations/.foo.yaml)"
export GIT_INDEX_FILE="$alt"
staged_found 'a sparse GIT_INDEX_FILE holding it'
as drafter
_h=$(git rev-parse HEAD)
run dipb recommend --wg industrial-capacity --title T --summary S --no-edit
unset GIT_INDEX_FILE
check_eq 'a sparse GIT_INDEX_FILE: a change is refused, exit 5, nothing made' \
    "5 $_h" "$RC $(git rev-parse HEAD)"
check_err 'a sparse GIT_INDEX_FILE: ... naming the setting to undo' \
    "the index is sparse (index.sparse), which dipb cannot update"

# A dot-folder (a sync tool's copies, a snapshot, a trash folder) is read
# only where git tracks a file in it, and then those files alone.
for layout in flat sharded; do
	board "$layout"
	dir=${REC%/*}
	mkdir "$dir/.stversions" "$dir/.Trash-1000" "$dir/.Trash-1000/files"
	cp "$REC" "$dir/.stversions/IC-0001~1.yaml"
	cp "$REC" "$dir/.Trash-1000/files/IC-0001.yaml"
	untracked "$dir/.stversions"
	untracked "$dir/.Trash-1000"
	clean "$layout, an untracked dot-folder"
	run dipb list
	check_eq "$layout, an untracked dot-folder: list exits 0" 0 "$RC"
	printf 'junk: [\n' >"$dir/.stversions/notes.yaml"
	git add -f "$dir/.stversions/notes.yaml"
	run dipb validate --format gcc
	check_eq "$layout, a file staged in a dot-folder: validate exits 1" 1 "$RC"
	check_file_has "$layout, a file staged in a dot-folder: reported" "$OUT" \
	    "^$dir/\\.stversions/notes\\.yaml:[0-9]+:[0-9]+: error: .*\\[yaml-syntax\\]\$"
	if grep -q 'IC-0001~1\|Trash' "$OUT"; then
		not_ok "$layout, its untracked sibling is not read" "$(cat "$OUT")"
	else
		ok "$layout, its untracked sibling is not read"
	fi
done

# --- a board's recommendations/ named: read by the same rule -----------------
# dipb validate recommendations (or a folder below it) reads the files a
# whole dipb validate reads there, and reports them alike.

# same CASE DIR: validate DIR reports what validate reports of DIR's files.
same() {
	run dipb validate --format gcc
	grep -F -e "${2%/}/" "$OUT" >"$TROOT/whole.out"
	[ -s "$TROOT/whole.out" ] || not_ok "$1: validate reports a file of $2" "$(_said dipb validate)"
	run dipb validate --format gcc "$2"
	check_eq "$1: validate $2 exits 1" 1 "$RC"
	check_eq "$1: validate $2 reports what validate does" \
	    "$(cat "$TROOT/whole.out")" "$(cat "$OUT")"
}

for layout in flat sharded; do
	board "$layout"
	dir=${REC%/*}
	cp "$REC" "$dir/.IC-0002.yaml"
	mkdir -p "$dir/archive/old"
	printf 'junk: [\n' >"$dir/archive/old/notes.yaml"
	ln -s 'user@host.1234:1700000000' "$dir/.#IC-0001.yaml"
	commit 'strays'
	same "$layout" recommendations
	same "$layout" recommendations/
	[ "$dir" = recommendations ] || same "$layout" "$dir"
	same "$layout" "$dir/archive"
	run dipb validate --format gcc
	(cd "$dir" && "$DIPB" validate --format gcc . >"$TROOT/here.out" \
	    2>/dev/null)
	check_eq "$layout: validate . in $dir reports its files" \
	    "$(grep -F -e "$dir/" "$OUT" | sed "s|$dir/||g")" \
	    "$(cat "$TROOT/here.out")"
done

# recommendations/ a symbolic link: no record is read through it, named
# or not: the whole board's validate is the oracle.
board flat
mv recommendations store
ln -s store recommendations
run dipb validate --format gcc
check_eq 'a linked recommendations/: validate exits 1' 1 "$RC"
grep -e '\[io\]$' "$OUT" >"$TROOT/link.out"
check_file_has 'a linked recommendations/: validate reports the link' \
    "$TROOT/link.out" '^recommendations:.*symbolic link.*\[io\]$'
for named in recommendations recommendations/; do
	run dipb validate --format gcc "$named"
	check_eq "a linked recommendations/: validate $named exits 1" 1 "$RC"
	check_eq "a linked recommendations/: validate $named reports the link" \
	    "$(cat "$TROOT/link.out")" "$(cat "$OUT")"
done
(cd recommendations && "$DIPB" validate --format gcc . >"$TROOT/here.out" \
    2>/dev/null)
check_file_has 'a linked recommendations/: validate . there reports the link' \
    "$TROOT/here.out" 'recommendations:.*symbolic link.*\[io\]$'

# --- verify: a link is no record file --------------------------------------

board flat
ln -s 'user@host.1234:1700000000' recommendations/.#IC-0001.yaml
commit 'an Emacs lock link'
check_rule 'a committed link: verify names it a link' record-path \
    '^[0-9a-f]+ -: recommendations/\.#IC-0001\.yaml is a symbolic link below recommendations/'
if grep -q 'whose name is no record' "$OUT"; then
	not_ok 'a committed link: verify never calls it a record file' "$(cat "$OUT")"
else
	ok 'a committed link: verify never calls it a record file'
fi
run dipb validate --format gcc
check_file_has 'a committed link: validate reports it [symlink]' "$OUT" \
    '^recommendations/\.#IC-0001\.yaml:.*\[symlink\]$'

finish

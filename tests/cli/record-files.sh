#!/bin/sh
# tests/cli/record-files.sh - which file below recommendations/ is a record
# file: one rule for every reader (dipb-record(5)).  dipb validate (the
# working tree), dipb list and dipb todo (the tip) and dipb verify (the
# history) take the same files: every *.yaml file, a dotfile too, of
# recommendations/ and of every folder below it, 16 folders deep; a
# folder deeper still is reported by validate and verify.  A board that
# validate passes is one the members' commands read without a word.
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

finish

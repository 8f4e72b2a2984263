#!/bin/sh
# tests/cli/advice.sh - the commands dipb's messages advise, copied out
# of the message and run literally with sh from where the user was: each
# resolves what was refused (the command then succeeds, dipb verify is
# clean, git status is too).  Paths in them are shell-quoted (a folder
# named with spaces, ';' or '$(...)' runs no code) and named from the
# current folder, as git's own messages name them; a refusal never sends
# the user to a command that refuses in turn.
. "$(dirname "$0")/lib.sh"

# advised ERE: the first command of the last stderr in quotes after the
# text ERE matches ("run '", "with '"), as a user copies it out.
advised() {
	sed -n "s/.*$1'\\(.*\\)/\\1/p" "$ERR" | head -n 1 | python3 -c '
import sys
s = sys.stdin.read().rstrip("\n")
out, i, q = "", 0, False
while i < len(s):
    c = s[i]
    if c == "\x27" and s[i:i + 4] == "\x27\\\x27\x27":
        out += s[i:i + 4]; i += 4; continue
    if c == "\x27":
        if q:
            q = False
        elif i + 1 < len(s) and s[i + 1] not in " ),;":
            q = True
        else:
            break
    out += c; i += 1
print(out)'
}

# paste DESC CMD: CMD, as copied out of a message, run by sh here: exits 0.
paste() {
	if [ -z "$2" ]; then
		not_ok "$1: a command is advised" "stderr was:" \
		    "$(head -n 20 "$ERR")"
		return
	fi
	check "$1: '$2' runs" sh -c "$2"
}

# clean DESC: git status shows nothing and dipb verify is clean.
clean() {
	check_out "$1: git status is clean" '' git status --porcelain
	verify_clean "$1: dipb verify is clean"
}

# --- A draft kept: its path quoted, the folder's name with sh's specials ---

new_board 'my board (x); $(touch PWNED) it'"'"'s'
as drafter
ID=$(mkrec industrial-capacity 'Kept draft')
cat >"$TROOT/bin/bad-editor" <<'EOF'
#!/bin/sh
sed 's/^title: .*/title: Retitled by hand/' "$1" >"$1.new" &&
    printf 'bogus: [\n' >>"$1.new" && mv "$1.new" "$1"
EOF
chmod +x "$TROOT/bin/bad-editor"
for where in . recommendations; do
	(
		cd "$where" || exit 1
		EDITOR=$TROOT/bin/bad-editor run dipb edit "$ID"
		cmd=$(sed -n 's/.*to take it up again: //p' "$ERR")
		check_eq "from $where: the kept draft's command is given" 1 \
		    "$(test -n "$cmd" && echo 1)"
		draft=$(sed -n 's/.*your text is kept in \(.*\); to take.*/\1/p' \
		    "$ERR")
		sedit "$draft" '/^bogus: /d'
		sedit "$draft" "s/^title: .*/title: Retitled from $where/"
		paste "from $where: the kept draft" "$cmd"
		check_eq "from $where: the draft's edit is committed" \
		    "Retitled from $where" "$(field "$ID" title)"
		check 'no code of the folder'"'"'s name ran' \
		    test ! -e PWNED -a ! -e "$BOARD/PWNED" -a ! -e ../PWNED
	)
done
clean 'the kept drafts'

# --- Advice from a folder below the top -------------------------------------

cd recommendations || exit 1
printf '# a comment\n' >>"$ID.yaml"
run dipb edit "$ID" --no-edit
cmd=$(advised "; ")
paste 'a file out of form, from recommendations/' "$cmd"
check_out 'out of form: the file is as committed again' '' \
    git status --porcelain
git update-index --skip-worktree "$ID.yaml"
run dipb review "$ID" --request
cmd=$(advised 'run ')
paste 'skip-worktree, from recommendations/' "$cmd"
check 'skip-worktree: the refused command then succeeds' \
    dipb review "$ID" --request
: >"$BOARD/.git/index.lock"
run dipb withdraw "$ID" -m 'Not needed.'
lock=$(sed -n "s/.*'\\(.*index.lock\\)' exists.*/\\1/p" "$ERR")
check 'a stale index lock: the path named is the lock, from here' \
    test -f "$lock"
rm -f "$BOARD/.git/index.lock"
cd "$BOARD" || exit 1
clean 'from a folder below the top'

# --- A folder in a record's place ----------------------------------------

ID2=$(mkrec industrial-capacity 'Folder in place')
rm "recommendations/$ID2.yaml"
mkdir "recommendations/$ID2.yaml"
echo 'notes of mine' >"recommendations/$ID2.yaml/notes.txt"
check_refused 1 '' 'a folder in a record place is refused' \
    dipb edit "$ID2" --no-edit
check_err 'a folder in its place: move it away first, says the message' \
    'move the folder away'
mv "recommendations/$ID2.yaml" "$TROOT/moved"
paste 'a folder in its place' "$(advised 'back with ')"
check_out 'the moved folder keeps its files' 'notes of mine' \
    cat "$TROOT/moved/notes.txt"
clean 'a folder in its place'

# --- Refusals that led back to each other ---------------------------------

as chair
sedit dipb.yaml '/^layout:/d'
printf 'layout: sharded\n' >>dipb.yaml
run dipb edit --board --no-edit
cmd=$(advised 'back (')
check_err 'layout: by hand: dipb migrate is run after' \
    "then run 'dipb migrate --layout sharded'"
paste 'layout: by hand, undone' "$cmd"
check 'layout: by hand: then dipb migrate succeeds' \
    dipb migrate --layout sharded
clean 'layout by hand'

as drafter
ID3=$(mkrec industrial-capacity 'Lowered')
sedit "$(git ls-files "*/$ID3.yaml")" \
    's/^classification: .*/classification: NATO RESTRICTED/'
check 'a classification raised' dipb edit "$ID3" --no-edit
F3=$(git ls-files "*/$ID3.yaml")
sedit "$F3" 's/^classification: .*/classification: NATO UNCLASSIFIED/;
    s/^title: .*/title: Lowered and retitled/'
check_refused nonzero '' 'an edit lowering the classification is refused' \
    dipb edit "$ID3" --no-edit
sedit "$F3" 's/^classification: .*/classification: NATO RESTRICTED/'
# The command ends the message, after 'then run: ', the line from there
# pasted whole: its level quoted once, not inside quotes of the message.
cmd=$(sed -n 's/.*then run: //p' "$ERR")
paste 'classification put back: the other edit committed' \
    "$(advised 'other edit with ')"
as chair
paste 'then declassify' "$cmd"
check_file_has 'declassified' "$F3" '^classification: NATO UNCLASSIFIED$'
check_file_has 'the other edit committed' "$F3" '^title: Lowered and retitled$'
clean 'classification lowered by hand'

# A level with quotes and '$' of its own pastes as well, on a board of
# its own (the board above goes on below).
B0=$BOARD
new_board 'a quoted level' || exit 1
sedit dipb.yaml 's/^  - NATO UNCLASSIFIED$/  - Bob'"'"'s "open" $HOME level/'
check 'quoted level: the board changed' dipb edit --board --no-edit
as drafter
ID6=$(mkrec industrial-capacity 'Quoted level')
F6=$(git ls-files "*/$ID6.yaml")
sedit "$F6" 's/^classification: .*/classification: NATO RESTRICTED/'
check 'quoted level: a classification raised' dipb edit "$ID6" --no-edit
sedit "$F6" 's/^classification: .*/classification: Bob'"'"'s "open" $HOME level/'
check_refused nonzero '' 'quoted level: an edit lowering it is refused' \
    dipb edit "$ID6" --no-edit
git checkout -q -- "$F6"
as chair
paste 'quoted level: then declassify' "$(sed -n 's/.*then run: //p' "$ERR")"
check_file_has 'quoted level: declassified to it' "$F6" \
    '^classification: Bob'"'"'s "open" \$HOME level$'
clean 'quoted level'
# A level that starts with '-' follows '--' in it: read as the level,
# not as options of dipb declassify.
awk '{ print } $0 == "classifications:" { print "  - -low" }' dipb.yaml \
    >"$TROOT/board.tmp" && cat "$TROOT/board.tmp" >dipb.yaml
check 'dash level: the board changed' dipb edit --board --no-edit
as drafter
sedit "$F6" 's/^classification: .*/classification: -low/'
check_refused nonzero 'then run: dipb declassify '"$ID6"' -- -low' \
    'dash level: an edit lowering to it is refused, -- before it' \
    dipb edit "$ID6" --no-edit
git checkout -q -- "$F6"
as chair
paste 'dash level: then declassify' "$(sed -n 's/.*then run: //p' "$ERR")"
check_file_has 'dash level: declassified to it' "$F6" \
    '^classification: "-low"$'
clean 'dash level'
BOARD=$B0
cd "$BOARD" || exit 1

# In the editor: the kept draft's command puts the value back in what it
# copies, keeping the draft's other edits, so that it is not refused again.
as drafter
ID4=$(mkrec industrial-capacity 'Lowered in the editor')
F4=$(git ls-files "*/$ID4.yaml")
sedit "$F4" 's/^classification: .*/classification: NATO RESTRICTED/'
check 'editor: a classification raised' dipb edit "$ID4" --no-edit
cat >"$TROOT/bin/lower-editor" <<'EOF2'
#!/bin/sh
sed 's/^classification: .*/classification: NATO UNCLASSIFIED/;
    s/^title: .*/title: Retitled in the editor/' "$1" >"$1.new" &&
    mv "$1.new" "$1"
EOF2
chmod +x "$TROOT/bin/lower-editor"
EDITOR=$TROOT/bin/lower-editor run dipb edit "$ID4"
check_eq 'editor: lowering refused, the draft kept' 1 "$RC"
paste 'editor, lowered: the kept draft taken up again' \
    "$(sed -n 's/.*to take it up again: //p' "$ERR")"
check_file_has 'editor, lowered: the draft'"'"'s other edit committed' "$F4" \
    '^title: Retitled in the editor$'
check_file_has 'editor, lowered: the classification as it was' "$F4" \
    '^classification: NATO RESTRICTED$'
clean 'classification lowered in the editor'

# Lowered and refused for another reason too (a key no record has): the
# refusal is the other one, and the command takes up the draft as it is,
# the unknown key with it, refused again, not a copy without it.
ID5=$(mkrec industrial-capacity 'Lowered, with a bad key')
F5=$(git ls-files "*/$ID5.yaml")
sedit "$F5" 's/^classification: .*/classification: NATO RESTRICTED/'
check 'editor, lowered and a bad key: a classification raised' \
    dipb edit "$ID5" --no-edit
cat >"$TROOT/bin/lower-bad-editor" <<'EOF2'
#!/bin/sh
sed 's/^classification: .*/classification: NATO UNCLASSIFIED/;
    s/^title: .*/title: Retitled/' "$1" >"$1.new" &&
    echo 'bogus_field: keep me' >>"$1.new" && mv "$1.new" "$1"
EOF2
chmod +x "$TROOT/bin/lower-bad-editor"
EDITOR=$TROOT/bin/lower-bad-editor run dipb edit "$ID5"
check_eq 'editor, lowered and a bad key: refused for the key, no copy fixed' \
    '1 0' "$RC $(grep -c 'put back' "$ERR")"
head5=$(git rev-parse HEAD)
run sh -c "$(sed -n 's/.*to take it up again: //p' "$ERR")"
check_eq 'editor, lowered and a bad key: the command is refused again, nothing committed, the key in the file' \
    "1 $head5 1" "$RC $(git rev-parse HEAD) $(grep -c '^bogus_field: keep me$' "$F5")"
git checkout -q -- "$F5"

as chair
cat >"$TROOT/bin/layout-editor" <<'EOF2'
#!/bin/sh
sed '/^layout:/d; s/^submit_to: .*/submit_to: Renamed in the editor/' "$1" >"$1.new" &&
    echo 'layout: flat' >>"$1.new" && mv "$1.new" "$1"
EOF2
chmod +x "$TROOT/bin/layout-editor"
EDITOR=$TROOT/bin/layout-editor run dipb edit --board
check_eq 'editor: layout changed by hand refused, the draft kept' 1 "$RC"
cmd=$(sed -n 's/.*to take it up again: //p' "$ERR")
cp "$ERR" "$TROOT/layout.err"
check 'editor, layout: no git checkout advised, which the draft ignores' \
    sh -c '! grep -q "git checkout" "$1"' sh "$TROOT/layout.err"
paste 'editor, layout: the kept draft taken up again' "$cmd"
check_file_has 'editor, layout: the draft'"'"'s other edit committed' \
    dipb.yaml '^submit_to: Renamed in the editor$'
check_file_has 'editor, layout: the layout as it was' dipb.yaml \
    '^layout: sharded$'
clean 'layout changed in the editor'

# The editor drops the layout: line (flat is the default): the kept text
# taken up again has it put back all the same.
cat >"$TROOT/bin/nolayout-editor" <<'EOF2'
#!/bin/sh
sed '/^layout:/d; s/^submit_to: .*/submit_to: Renamed again/' "$1" \
    >"$1.new" && mv "$1.new" "$1"
EOF2
chmod +x "$TROOT/bin/nolayout-editor"
EDITOR=$TROOT/bin/nolayout-editor run dipb edit --board
check_eq 'editor, no layout: line: refused, the draft kept' 1 "$RC"
paste 'editor, no layout: line: the kept draft taken up again' \
    "$(sed -n 's/.*to take it up again: //p' "$ERR")"
check_file_has 'editor, no layout: line: the other edit committed' \
    dipb.yaml '^submit_to: Renamed again$'
check_file_has 'editor, no layout: line: the layout as it was' dipb.yaml \
    '^layout: sharded$'
clean 'layout: line dropped in the editor'

# A level YAML must quote ('NATO: RESTRICTED #2'): put back whole, not cut
# at its '#' nor read as a mapping.
_board=$BOARD _config=$BOARD_CONFIG
sed "s/^  - NATO RESTRICTED\$/  - 'NATO: RESTRICTED #2'/" "$BOARD_CONFIG" \
    >"$TROOT/quoted.yaml"
BOARD_CONFIG=$TROOT/quoted.yaml
new_board quoted || exit 1
BOARD_CONFIG=$_config
as drafter
ID5=$(mkrec industrial-capacity 'Lowered from a quoted level')
F5=$(git ls-files "*/$ID5.yaml")
sedit "$F5" "s/^classification: .*/classification: 'NATO: RESTRICTED #2'/"
check 'editor, quoted level: raised' dipb edit "$ID5" --no-edit
EDITOR=$TROOT/bin/lower-editor run dipb edit "$ID5"
check_eq 'editor, quoted level: lowering refused, the draft kept' 1 "$RC"
paste 'editor, quoted level: the kept draft taken up again' \
    "$(sed -n 's/.*to take it up again: //p' "$ERR")"
check_file_has 'editor, quoted level: the other edit committed' "$F5" \
    '^title: Retitled in the editor$'
check_eq 'editor, quoted level: the level as it was, whole' \
    'NATO: RESTRICTED #2' "$(dipb show "$ID5" --format json 2>/dev/null |
    sed -n 's/.*"classification": *"\([^"]*\)".*/\1/p' | head -n 1)"
clean 'a quoted level lowered in the editor'

# A draft kept in a folder whose name a message cannot show (no UTF-8):
# named as git finds it, "$(git rev-parse --git-path dipb/drafts/NAME)".
new_board "$(printf 'caf\351')" || exit 1
cat >"$TROOT/bin/sharded-editor" <<'EOF2'
#!/bin/sh
sed '/^layout:/d; s/^submit_to: .*/submit_to: Renamed here/' "$1" \
    >"$1.new" && echo 'layout: sharded' >>"$1.new" && mv "$1.new" "$1"
EOF2
chmod +x "$TROOT/bin/sharded-editor"
EDITOR=$TROOT/bin/sharded-editor run dipb edit --board
check_eq 'unshown folder: refused, the draft kept' 1 "$RC"
check_err 'unshown folder: the draft named from git' \
    'to take it up again: cp "$(git rev-parse --git-path dipb/drafts/board-'
paste 'unshown folder: the kept draft taken up again' \
    "$(sed -n 's/.*to take it up again: //p' "$ERR")"
check_file_has 'unshown folder: the other edit committed' dipb.yaml \
    '^submit_to: Renamed here$'
clean 'a draft kept in a folder a message cannot show'
BOARD=$_board
cd "$BOARD" || exit 1

# --- git's configuration: where it is set ---------------------------------

git config --global i18n.commitEncoding ISO-8859-1
as secretary
check_status 2 'i18n.commitEncoding in ~/.gitconfig is refused' \
    dipb withdraw "$ID3" -m 'Not needed.'
paste 'i18n.commitEncoding unset' "$(advised 'unset it (')"
check 'the refused command then succeeds' dipb withdraw "$ID3" -m 'Gone.'
clean 'i18n.commitEncoding'

# --- No upstream: the remote named is the repository's -------------------

git init -q --bare "$TROOT/up.git"
git remote add upstream "$TROOT/up.git"
git push -q upstream main 2>/dev/null
check_refused 2 'no upstream' 'dipb sync without an upstream' dipb sync
paste 'no upstream: the branch set' "$(advised 'set it with ')"
check 'no upstream: then dipb sync succeeds' dipb sync
git config --unset branch.main.remote
git config --unset branch.main.merge
run dipb sync
paste 'no upstream: the remote named' "$(advised 'name the remote (')"
git remote add second "$TROOT/up.git"
run dipb sync
check_err 'several remotes: REMOTE, with their names' \
    "'dipb sync REMOTE', REMOTE one of second, upstream"
clean 'no upstream'

# --- From outside the working tree, its folder's name unprintable ---------
# A byte that is no UTF-8, a line end, a carriage return: a message shows
# each as '?', so the path is named from the top git finds, as dipb did.
for _nm in "$(printf 'caf\351')" "$(printf 'a\nb')" "$(printf 'x\ry')"; do
	_shown=$(printf '%s' "$_nm" | tr -c 'a-z' '?')
	new_board "$_nm" || continue
	as drafter
	_id=$(mkrec industrial-capacity 'Unprintable')
	printf '# a comment\n' >>"recommendations/$_id.yaml"
	cd "$TROOT" || exit 1
	GIT_DIR=$BOARD/.git GIT_WORK_TREE=$BOARD run dipb edit "$_id" --no-edit
	cmd=$(sed -n "s/.*; '\\(dipb fmt .*\\)' writes it so.*/\\1/p" "$ERR")
	(
		GIT_DIR=$BOARD/.git GIT_WORK_TREE=$BOARD
		export GIT_DIR GIT_WORK_TREE
		paste "folder $_shown, from outside: dipb fmt" "$cmd"
		check_out "folder $_shown: the file is as committed again" '' \
		    git status --porcelain
	)
	cd "$BOARD" || exit 1
done


# A draft kept from outside the working tree, its folder's name
# unprintable: the working file named from git's top, "$top"/PATH, top
# set first, so that pasted outside a repository nothing is written at /.
new_board "$(printf 'caf\351')" || exit 1
as chair
cd "$TROOT" || exit 1
EDITOR=$TROOT/bin/sharded-editor GIT_DIR=$BOARD/.git GIT_WORK_TREE=$BOARD \
    run dipb edit --board
check_eq 'outside: refused, the draft kept' 1 "$RC"
check_err 'outside: the file named from the top git finds, set first' \
    'to take it up again: top=$(git rev-parse --show-toplevel) && cp "$(git rev-parse --git-path dipb/drafts/board-'
check_err 'outside: ... then the file by "$top"' \
    ' "$top"/dipb.yaml && dipb edit --board --no-edit'
cmd=$(sed -n 's/.*to take it up again: //p' "$ERR")
mkdir "$TROOT/nowhere" && cd "$TROOT/nowhere" || exit 1
case $cmd in
top=*) run sh -c "$cmd" ;;
*) RC=0 ;;	# not run: pasted here, it would write /dipb.yaml
esac
check 'outside: pasted outside a repository, it stops' test "$RC" -ne 0
check_eq 'outside: pasted outside a repository, nothing written' '' \
    "$(ls -A)"
(
	GIT_DIR=$BOARD/.git GIT_WORK_TREE=$BOARD
	export GIT_DIR GIT_WORK_TREE
	paste 'outside: the kept draft taken up again' "$cmd"
	check_file_has 'outside: the other edit committed' "$BOARD/dipb.yaml" \
	    '^submit_to: Renamed here$'
)
cd "$BOARD" || exit 1

# --- The lowered classification's refusal: said with its values quoted,
# and told from the others by what it is, not by its words: a board in a
# folder named with them, a copy that does not load, keeps the user's
# draft as it is, and its command takes that draft up, not a copy of it.
new_board 'an edit may not lower the classification' || exit 1
as drafter
ID5=$(mkrec industrial-capacity 'Words')
F5=$(git ls-files "*/$ID5.yaml")
sedit "$F5" 's/^classification: .*/classification: NATO RESTRICTED/'
check 'words: a classification raised' dipb edit "$ID5" --no-edit
sedit "$F5" 's/^classification: .*/classification: NATO UNCLASSIFIED/'
run dipb edit "$ID5" --no-edit
check_err 'lowered: the levels quoted, as the other values' \
    "an edit may not lower the classification ('NATO RESTRICTED' to 'NATO UNCLASSIFIED'): that is dipb declassify's"
git checkout -q -- "$F5"
EDITOR=$TROOT/bin/bad-editor run dipb edit "$ID5"
check_eq 'words: an invalid copy refused, the draft kept' 1 "$RC"
draft=$(sed -n 's/.*your text is kept in \(.*\); to take.*/\1/p' "$ERR")
cmd=$(sed -n 's/.*to take it up again: //p' "$ERR")
check_eq 'words: the command takes up the kept draft itself' 1 \
    "$(case $cmd in "cp '$draft' "*) echo 1 ;; esac)"
sedit "$draft" '/^bogus: /d'
paste 'words: the kept draft' "$cmd"
check_eq 'words: the draft'"'"'s edit is committed' \
    'Retitled by hand' "$(field "$ID5" title)"
clean 'words'

# --- dipb sync: a local tag kept beside the remote's of its name ---------
# The warning's command compares the two: its refs shell-quoted (a name
# with ';' and '>' runs nothing), or, for a name a message shows with '?'
# (a byte that is no UTF-8: git show would read a wildcard pathspec and
# show nothing), for-each-ref patterns that list both.
new_board kept || exit 1
as drafter
mkrec industrial-capacity 'Kept' >/dev/null
share_two kept || exit 1
for _tg in 'rel;date>owned' "$(printf 'rel-\351t\351')"; do
	_shown=$(printf '%s' "$_tg" | LC_ALL=C tr -c 'a-z;>-' '?')
	git -C "$B" tag -a -m "Theirs of $_shown" "$_tg" HEAD &&
	    git -C "$B" push -q origin "refs/tags/$_tg" 2>/dev/null
	cd "$A" || exit 1
	git tag -a -m "Ours of $_shown" "$_tg" HEAD
	run dipb sync
	check_eq "kept $_shown: sync warns, exit 0" '0 1' \
	    "$RC $(grep -c "^dipb: warning: the tag $_shown differs" "$ERR")"
	case $_tg in
	*\;*)	cmd=$(advised 'compare them with ') ;;
	*)	cmd=$(sed -n 's/.*among any names alike: \(.*\))$/\1/p' "$ERR") ;;
	esac
	paste "kept $_shown: the tags compared" "$cmd"
	check_eq "kept $_shown: the command shows both tags' messages" \
	    "Ours of $_shown|Theirs of $_shown" \
	    "$(sh -c "$cmd" 2>&1 | grep -o '^[OT][a-z]* of .*' | LC_ALL=C sort |
	    tr '\n' '|' | sed 's/|$//')"
	check_eq "kept $_shown: pasted, it wrote nothing" '' \
	    "$(git status --porcelain)"
	rm -f owned
	cd "$BOARD" || exit 1
done

finish

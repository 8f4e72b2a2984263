#!/bin/sh
# tests/cli/editor.sh - the editor never loses a word and never commits
# what the user did not write (dipb-recommend(1), dipb-edit(1)): a draft
# left as it was, or emptied, cancels with nothing written and no id used;
# an invalid edit is kept under .git/dipb/drafts/, named with its
# path:line:col, and can be taken up again; without a terminal the editor
# is not opened and the error says how to give the text; an unknown key
# in --from or in an edit is an error with a "did you mean".
#
# The editors are small shell scripts.  dipb recommend opens the editor
# only on a terminal: those checks run under script(1) (util-linux) and
# are skipped, and counted as skipped, without it.
. "$(dirname "$0")/lib.sh"

new_board
as drafter
drafts=$(git rev-parse --absolute-git-dir)/dipb/drafts
WG=industrial-capacity

cat >"$TROOT/ed-write" <<'ED'
#!/bin/sh
sed 's/^  What is recommended.*/  Keep two years of magnets./' "$1" >"$1.tmp" &&
    cat "$1.tmp" >"$1" && rm -f "$1.tmp"
ED
cat >"$TROOT/ed-break" <<'ED'
#!/bin/sh
printf 'topics: [unclosed\n' >>"$1"
ED
cat >"$TROOT/ed-typo" <<'ED'
#!/bin/sh
sed 's/^summary:/sumary:/; s/^title: .*/title: Retitled/' "$1" >"$1.tmp" &&
    cat "$1.tmp" >"$1" && rm -f "$1.tmp"
ED
cat >"$TROOT/ed-empty" <<'ED'
#!/bin/sh
: >"$1"
ED
# ed-board: what the board must know (a level, an owner who is a member),
# and a bad date: a comment and keys in an order of the user's, so that
# the lines of the file are not those of its canonical form.
cat >"$TROOT/ed-board" <<'ED'
#!/bin/sh
{ sed 's/^  What is recommended.*/  Keep magnets./; /^classification:/d' "$1"
  printf '# raised\nclassification: SECRET\nactions:\n'
  printf '  - owner: otto@example.org\n    text: Stock up\n'
  if [ -n "$BAD_DUE" ]; then printf '    due: 2026-13-45\n'; fi; } >"$1.tmp" &&
    cat "$1.tmp" >"$1" && rm -f "$1.tmp"
ED
chmod +x "$TROOT"/ed-*

# ndrafts: how many drafts dipb keeps.
ndrafts() { ls "$drafts" 2>/dev/null | wc -l | tr -d ' '; }

if command -v script >/dev/null 2>&1 &&
    script -qec 'test -t 0 && test -t 2' /dev/null </dev/null \
    >/dev/null 2>&1; then
	TTY=1
else
	TTY=
fi

# on_tty INPUT CMD: runs the shell command CMD with a terminal as its
# standard input, output and error, typing INPUT; output in $OUT (carriage
# returns removed, stderr too), exit status in RC.
on_tty() {
	printf '%s' "$1" | SHELL=/bin/sh TERM=xterm script -qec "$2" /dev/null \
	    >"$TROOT/tty.raw" 2>&1
	RC=$?
	tr -d '\r' <"$TROOT/tty.raw" >"$OUT"
	cp "$OUT" "$ERR"
}

# --- no terminal -------------------------------------------------------------
check_refused 2 '--summary - (from standard input) or --from FILE' \
    'recommend: no terminal and no summary: exit 2, says how to give the text' \
    dipb recommend --wg "$WG" --title 'No text'
check_err 'it says why the editor is not opened' \
    'cannot open the editor: standard input and standard error are not both a terminal'

printf 'title: Typo\nworking_group: %s\nsummary: S\nrationle: R\n' "$WG" \
    >"$TROOT/typo.yaml"
check_refused 1 '' 'recommend --from: an unknown key is an error, exit 1' \
    dipb recommend --from "$TROOT/typo.yaml"
check_err 'it is named at file:line:col, with the key it is close to' \
    "$TROOT/typo.yaml:4:1: error: unknown key 'rationle' (did you mean 'rationale'?) [unknown-key]"

# --- on a terminal: dipb recommend -------------------------------------------
if [ -n "$TTY" ]; then
	snapshot
	on_tty '' "EDITOR=true dipb recommend --wg $WG --title Untouched"
	check_eq 'recommend, editor closed without a change: exit 1' 1 "$RC"
	check_err 'it says nothing was committed and no id used' \
	    'the draft was left as it was: nothing committed, no id used'
	check_unchanged 'no commit, no tag, no file'

	snapshot
	on_tty 'n
' "EDITOR='$TROOT/ed-break' dipb recommend --wg $WG --title Broken"
	kept=$(ls "$drafts"/recommend-*.yaml 2>/dev/null | head -n 1)
	check_eq 'an invalid draft, "n" at "edit again?": exit 1' 1 "$RC"
	check_err_re 'the problem is at the kept draft'"'"'s line:col' \
	    "^$kept:8:1: error: .*\\[yaml-syntax\\]\$"
	check_err 'edit again? is asked' 'edit again? [Y/n]'
	check_err 'it says where the text is kept and how to take it up' \
	    "your text is kept in $kept; to take it up again: dipb recommend --from $kept"
	check_file_has 'the kept draft holds what the user typed' "$kept" \
	    '^topics: \[unclosed$'
	check_unchanged 'no commit, no tag, no file in the working tree'

	on_tty '' "EDITOR='$TROOT/ed-break' dipb recommend --wg $WG --title Broken"
	check_eq 'end of input at "edit again?": exit 1, a second draft kept' \
	    "1 2" "$RC $(ndrafts)"
	check_err 'it says where' 'your text is kept in '
	rm -f $(ls "$drafts"/recommend-*.yaml | grep -v -x -F "$kept")
	check_unchanged 'no commit, no tag, no file in the working tree'

	sedit "$kept" '/^topics:/d; s/^  What is recommended.*/  Resumed./'
	check_change IC-0001/1-drafted 'none -> draft' '' \
	    dipb recommend --from "$kept" --no-edit
	check_eq 'taken up again, it has the first id: none was used' \
	    'Resumed.' "$(git show HEAD:recommendations/IC-0001.yaml |
	    sed -n '/^summary:/{n;s/^  //p;}')"
	check_eq 'the placeholder rationale is not committed' '' \
	    "$(field IC-0001 rationale)"
	check_eq 'the kept draft is removed once committed' 0 "$(ndrafts)"

	on_tty '' "EDITOR='$TROOT/ed-write' dipb recommend --wg $WG --title Written"
	check_eq 'a draft written in the editor is committed' 0 "$RC"
	check_eq 'with the summary the user wrote' 'Keep two years of magnets.' \
	    "$(git show HEAD:recommendations/IC-0002.yaml |
	    sed -n '/^summary:/{n;s/^  //p;}')"
	check_eq 'and no rationale the user did not write' '' \
	    "$(git show HEAD:recommendations/IC-0002.yaml | grep '^rationale:')"
	check_eq 'no draft is left behind' 0 "$(ndrafts)"
	check 'git status is clean' test -z "$(git status --porcelain)"

	# Every problem of a round is said at once, the board's with the
	# file's, at the draft's lines, and "edit again?" asked.
	snapshot
	on_tty 'n
' "BAD_DUE=1 EDITOR='$TROOT/ed-board' dipb recommend --wg $WG --title Board"
	kept=$(ls "$drafts"/recommend-*.yaml 2>/dev/null | head -n 1)
	lc=$(grep -n '^classification:' "$kept" | cut -d: -f1)
	lo=$(grep -n '^  - owner:' "$kept" | cut -d: -f1)
	ld=$(grep -n '^    due:' "$kept" | cut -d: -f1)
	check_eq 'a draft with a bad date and what the board must know: exit 1' \
	    1 "$RC"
	check_err 'the bad date at its line of the draft' \
	    "$kept:$ld:10: error: 'due' is not a valid date: '2026-13-45' [date]"
	check_err 'the unknown level with it, at its line' \
	    "$kept:$lc:17: error: unknown classification 'SECRET' [classification]"
	check_err 'the owner who is no member with it, at its line' \
	    "$kept:$lo:12: error: action 1's owner 'otto@example.org' is not a member of the board [member]"
	check_err 'edit again? is asked' 'edit again? [Y/n]'
	check_unchanged 'nothing committed'
	rm -f "$kept"

	snapshot
	on_tty 'n
' "EDITOR='$TROOT/ed-board' dipb recommend --wg $WG --title Board"
	kept=$(ls "$drafts"/recommend-*.yaml 2>/dev/null | head -n 1)
	check_eq 'a draft the board refuses alone: exit 1' 1 "$RC"
	check_err 'edit again? is asked for it too' 'edit again? [Y/n]'
	check_err 'the owner at the draft'"'"'s line' \
	    "$kept:$(grep -n '^  - owner:' "$kept" | cut -d: -f1):12: error: action 1's owner 'otto@example.org' is not a member of the board [member]"
	check_unchanged 'nothing committed'
	rm -f "$kept"

	snapshot
	on_tty '' "TERM=dumb; unset EDITOR; VISUAL=vi dipb recommend --wg $WG --title Dumb"
	check_eq 'a dumb terminal with only VISUAL: exit 2' 2 "$RC"
	check_err 'it says why, and how to give the text' \
	    "the terminal is dumb (TERM=dumb) and EDITOR is not set; give the text with --summary TEXT"
	check_unchanged 'nothing written'
else
	for d in 'recommend: unchanged draft cancels' \
	    'recommend: invalid draft kept, taken up again' \
	    'recommend: a draft written in the editor' \
	    'recommend: dumb terminal'; do
		skip "$d" 'no script(1) to give dipb a terminal'
	done
	mkrec "$WG" 'First' >/dev/null
	mkrec "$WG" 'Second' >/dev/null
fi

# --- dipb edit ---------------------------------------------------------------
check_refused 1 'IC-0002: no change: nothing committed' \
    'edit, editor closed without a change: "no change", exit 1' \
    env EDITOR=true dipb edit IC-0002
check_refused 1 'the copy was emptied: nothing committed' \
    'edit, the copy emptied: cancelled, exit 1' \
    env EDITOR="$TROOT/ed-empty" dipb edit IC-0002
check_eq 'nothing is kept of an edit without text of the user' 0 "$(ndrafts)"
# An editor that removes the copy: nothing is kept, and dipb does not
# say it is.
printf '#!/bin/sh\nrm -f "$1"\n' >"$TROOT/ed-remove"
chmod +x "$TROOT/ed-remove"
check_refused nonzero 'the editor left no file of yours at' \
    'edit, the copy removed by the editor: refused, saying so' \
    env EDITOR="$TROOT/ed-remove" dipb edit IC-0002
cp "$ERR" "$TROOT/removed.err"
check 'and not that the text is kept in a file that is not there' \
    sh -c '! grep -q "your text is kept" "$1"' sh "$TROOT/removed.err"

check_refused 1 '' 'edit: a misspelt key is an error, exit 1' \
    env EDITOR="$TROOT/ed-typo" dipb edit IC-0002
kept=$(ls "$drafts"/IC-0002-*.yaml 2>/dev/null | head -n 1)
line=$(grep -n '^sumary:' "$kept" 2>/dev/null | cut -d: -f1)
check_err 'at the kept copy'"'"'s line:col, with a "did you mean"' \
    "$kept:$line:1: error: unknown key 'sumary' (did you mean 'summary'?) [unknown-key]"
check_err 'it says where the text is kept and how to take it up' \
    "your text is kept in $kept; to take it up again: cp $kept recommendations/IC-0002.yaml && dipb edit IC-0002 --no-edit"
sedit "$kept" 's/^sumary:/summary:/'
cp "$kept" recommendations/IC-0002.yaml
check_change IC-0002/2-edited 'draft -> draft' '' dipb edit IC-0002 --no-edit
check_eq 'taken up with --no-edit, the edit is committed' Retitled \
    "$(field IC-0002 title)"

check_refused 1 'recommendations/IC-0002.yaml: no changes' \
    'edit --no-edit of an unchanged file: still "no changes"' \
    dipb edit IC-0002 --no-edit
check_eq 'and nothing about form or the index' 0 \
    "$(grep -c 'form only\|staged' "$ERR")"

# The editor as git chooses it: GIT_EDITOR, then core.editor, then
# VISUAL (not on a dumb terminal), then EDITOR.
cat >"$TROOT/ed-core" <<'ED'
#!/bin/sh
sed 's/^title: .*/title: By core.editor/' "$1" >"$1.tmp" &&
    cat "$1.tmp" >"$1" && rm -f "$1.tmp"
ED
chmod +x "$TROOT/ed-core"
git config core.editor "$TROOT/ed-core"
check_change IC-0002/3-edited 'draft -> draft' '' \
    env EDITOR=true dipb edit IC-0002
check_eq 'core.editor comes before EDITOR, as in git' \
    'By core.editor' "$(field IC-0002 title)"
check_refused 1 'IC-0002: no change: nothing committed' \
    'GIT_EDITOR comes before core.editor, as in git' \
    env GIT_EDITOR=true dipb edit IC-0002
# A relative core.editor is run from the top of the working tree, as git
# runs it, whatever folder dipb is started in.
mkdir -p tools
printf '#!/bin/sh\nsed "s/^title: .*/title: By tools/" "$1" >"$1.tmp" && cat "$1.tmp" >"$1" && rm -f "$1.tmp"\n' \
    >tools/ed.sh
chmod +x tools/ed.sh
git config core.editor ./tools/ed.sh
check 'a relative core.editor, from a subfolder: found from the top' \
    sh -c 'cd recommendations && exec dipb edit IC-0002' </dev/null
check_eq '  and it edited the record' 'By tools' "$(field IC-0002 title)"
rm -rf tools
git config --unset core.editor

check_refused 2 "edit recommendations/IC-0002.yaml and commit it with 'dipb edit IC-0002 --no-edit'" \
    'edit: no terminal and no editor named: vi is not started, exit 2' \
    env -u EDITOR -u VISUAL TERM=xterm dipb edit IC-0002
check_refused 2 'the terminal is dumb (TERM=dumb) and EDITOR is not set' \
    'edit: a dumb terminal ignores VISUAL, as git does: exit 2' \
    env -u EDITOR VISUAL="$TROOT/ed-write" TERM=dumb dipb edit IC-0002
# An empty TERM is no dumb terminal to git: it takes VISUAL then.
printf '#!/bin/sh\nsed "s/^title: .*/title: Empty TERM/" "$1" >"$1.tmp" &&
    cat "$1.tmp" >"$1" && rm -f "$1.tmp"\n' >"$TROOT/ed-title"
chmod +x "$TROOT/ed-title"
check_eq 'an empty TERM: git var GIT_EDITOR names VISUAL' "$TROOT/ed-title" \
    "$(env -u GIT_EDITOR -u EDITOR VISUAL="$TROOT/ed-title" TERM= \
    git var GIT_EDITOR 2>&1)"
check 'edit: an empty TERM is no dumb terminal: VISUAL is run, as in git' \
    env -u EDITOR VISUAL="$TROOT/ed-title" TERM= dipb edit IC-0002
check_eq '  and it edited the record' 'Empty TERM' "$(field IC-0002 title)"

# On a terminal, an edit the board refuses (a level it does not know, an
# owner who is no member) is said at the copy's lines, not at those of
# its canonical form, and "edit again?" is asked.
if [ -n "$TTY" ]; then
	snapshot
	on_tty 'n
' "EDITOR='$TROOT/ed-board' dipb edit IC-0002"
	# The copy this run kept, as it says (others may be kept from before).
	# After the question, on its line: the refusal was said before it.
	kept=$(sed -n 's/^.*dipb: your text is kept in \(.*\); to take it up again.*/\1/p' "$ERR")
	check_eq 'edit: what the board refuses, "n" at "edit again?": exit 1' \
	    1 "$RC"
	check_err 'edit again? is asked' 'edit again? [Y/n]'
	check_err 'the unknown level at the copy'"'"'s line' \
	    "$kept:$(grep -n '^classification:' "$kept" | cut -d: -f1):17: error: unknown classification 'SECRET' [classification]"
	check_err 'the owner who is no member with it, at its line' \
	    "$kept:$(grep -n '^  - owner:' "$kept" | cut -d: -f1):12: error: action 1's owner 'otto@example.org' is not a member of the board [member]"
	check_unchanged 'nothing committed'
	rm -f "$kept"
else
	skip 'edit: what the board refuses, edit again?' \
	    'no script(1) to give dipb a terminal'
fi

# The board a round is checked against is the tip's when the editor
# returns: a level the chair adds while the editor is open is known to
# the round that uses it (dipb-edit(1), dipb-recommend(1)).  ed-level
# sets the level COSMIC (or $LEVEL) and, as the chair would from another terminal,
# commits dipb.yaml with it; ed-unboard puts the board out of shape.
cat >"$TROOT/ed-level" <<'ED'
#!/bin/sh
L=${LEVEL:-COSMIC}
{ sed '/^classification:/d; s/^  What is recommended.*/  Keep magnets./' "$1"; echo "classification: $L"; } >"$1.tmp" &&
    cat "$1.tmp" >"$1" && rm -f "$1.tmp"
cd "$BOARD_TOP" && sed "s/^  - NATO RESTRICTED\$/  - NATO RESTRICTED\\
  - $L/" dipb.yaml >dipb.yaml.tmp && cat dipb.yaml.tmp >dipb.yaml &&
    rm -f dipb.yaml.tmp &&
    GIT_AUTHOR_NAME="$CHAIR_NAME" GIT_AUTHOR_EMAIL="$CHAIR_EMAIL" \
    GIT_COMMITTER_NAME="$CHAIR_NAME" GIT_COMMITTER_EMAIL="$CHAIR_EMAIL" \
    dipb edit --board --no-edit >/dev/null 2>&1
ED
chmod +x "$TROOT/ed-level"
if [ -n "$TTY" ]; then
	BOARD_TOP=$(pwd)
	_c=$(member chair)
	CHAIR_NAME=${_c%%|*} CHAIR_EMAIL=${_c#*|}
	export BOARD_TOP CHAIR_NAME CHAIR_EMAIL
	git checkout -q -- dipb.yaml
	rm -f "$drafts"/*
	before=$(ncommits)
	on_tty 'n
' "EDITOR='$TROOT/ed-level' dipb edit IC-0002"
	check_eq 'edit: a level the chair adds while the editor is open: committed, exit 0' \
	    "0 COSMIC" "$RC $(field IC-0002 classification)"
	check_eq '  after the board'"'"'s change: two commits' \
	    "$((before + 2)) board: changed by $CHAIR_NAME" \
	    "$(ncommits) $(git log -1 --format=%s HEAD^)"
	check_eq '  no copy kept, no edit again? asked' '0 0' \
	    "$(ndrafts) $(grep -c 'edit again?' "$ERR")"

	rm -f "$drafts"/*
	on_tty 'n
' "LEVEL=ATOMAL EDITOR='$TROOT/ed-level' dipb recommend --wg $WG --title Atomal"
	check_eq 'recommend: a level the chair adds while the editor is open: committed, exit 0' \
	    "0 ATOMAL" "$RC $(git show HEAD:recommendations/IC-0003.yaml 2>&1 |
	    sed -n 's/^classification: //p')"
	check_eq '  no draft kept, no edit again? asked' '0 0' \
	    "$(ndrafts) $(grep -c 'edit again?' "$ERR")"

	# A board that does not load when the editor returns: said, and the
	# round refused as an invalid edit is, the copy kept.
	cat >"$TROOT/ed-unboard" <<ED
#!/bin/sh
sed 's/^title: .*/title: Unboarded/' "\$1" >"\$1.tmp" &&
    cat "\$1.tmp" >"\$1" && rm -f "\$1.tmp"
cd "$BOARD_TOP" && printf 'classifications: [\n' >>dipb.yaml &&
    git -c user.name=x -c user.email=x@example.org commit -q -a -m broken
ED
	chmod +x "$TROOT/ed-unboard"
	tip=$(git rev-parse HEAD)
	on_tty 'n
' "EDITOR='$TROOT/ed-unboard' dipb edit IC-0002"
	check_eq 'edit: the board broken while the editor is open: exit 1, edit again? asked' \
	    '1 1' "$RC $(grep -c 'edit again?' "$ERR")"
	check_err '  the board'"'"'s problem said' "dipb.yaml:"
	check_eq '  the copy kept, nothing committed after the board'"'"'s' \
	    "1 $tip" "$(ndrafts) $(git rev-parse HEAD^)"
	git reset -q --hard "$tip"
	rm -f "$drafts"/*

	# What the commit refuses of the copy (a field not the drafter's,
	# a level dropped meanwhile) asks edit again? too, the lock let go.
	cat >"$TROOT/ed-created" <<'ED'
#!/bin/sh
if [ ! -f "$TROOT_ED/created" ]; then
	sed -n 's/^created: //p' "$1" >"$TROOT_ED/created"
	sed 's/^created: .*/created: 2000-01-01/; s/^title: .*/title: Round two/' \
	    "$1" >"$1.tmp"
else
	sed "s/^created: .*/created: $(cat "$TROOT_ED/created")/" "$1" >"$1.tmp"
fi
cat "$1.tmp" >"$1" && rm -f "$1.tmp"
ED
	chmod +x "$TROOT/ed-created"
	on_tty 'y
' "TROOT_ED='$TROOT' EDITOR='$TROOT/ed-created' dipb edit IC-0002"
	check_eq 'edit: a field not the drafter'"'"'s, refused at commit: edit again? asked, the second round committed' \
	    '0 1 Round two' \
	    "$RC $(grep -c 'edit again?' "$ERR") $(field IC-0002 title)"
	check_err '  the refusal said before it' \
	    'only the drafter'"'"'s fields may be edited'
	check_eq '  no copy kept' 0 "$(ndrafts)"

	# Answered n: the refusal said once, before the question, not
	# again with where the copy is kept.
	rm -f "$TROOT/created"
	tip=$(git rev-parse HEAD)
	on_tty 'n
' "TROOT_ED='$TROOT' EDITOR='$TROOT/ed-created' dipb edit IC-0002"
	check_eq 'edit: refused at commit, "n" at edit again?: exit 1, the refusal said once, before the question' \
	    '1 1 1' "$RC $(grep -c 'only the drafter' "$ERR") $(grep -c \
	    '^dipb: .*only the drafter' "$ERR")"
	check_eq '  the copy kept, nothing committed' "1 $tip" \
	    "$(ndrafts) $(git rev-parse HEAD)"
	rm -f "$drafts"/*

	# A branch the board cannot be read from when the editor returns
	# (HEAD not a branch; a branch with no dipb.yaml): said before edit
	# again?, once, the copy kept (dipb-edit(1), dipb-recommend(1)).
	head=$(git symbolic-ref HEAD)
	cat >"$TROOT/ed-away" <<ED
#!/bin/sh
sed 's/^title: .*/title: Away/' "\$1" >"\$1.tmp" &&
    cat "\$1.tmp" >"\$1" && rm -f "\$1.tmp"
cd "$BOARD_TOP" && git symbolic-ref HEAD "\$AWAY"
ED
	chmod +x "$TROOT/ed-away"
	on_tty 'n
' "AWAY=refs/tags/IC-0001/1-drafted EDITOR='$TROOT/ed-away' dipb edit IC-0002"
	git symbolic-ref HEAD "$head"
	check_eq 'edit: HEAD made no branch while the editor is open: exit 5, why said once, before edit again?' \
	    '5 1 1' "$RC $(grep -c 'HEAD is not a branch' "$ERR") $(grep -c \
	    '^dipb: HEAD is not a branch' "$ERR")"
	check_eq '  the copy kept, nothing committed' "1 $tip" \
	    "$(ndrafts) $(git rev-parse HEAD)"
	rm -f "$drafts"/*
	on_tty 'n
' "AWAY=refs/heads/lonely EDITOR='$TROOT/ed-away' dipb recommend --wg $WG --title Lonely"
	git symbolic-ref HEAD "$head"
	_why="no dipb.yaml on branch 'lonely'"
	check_eq 'recommend: HEAD on a branch with no dipb.yaml while the editor is open: exit 5, why said once, before edit again?' \
	    '5 1 1' "$RC $(grep -c "$_why" "$ERR") $(grep -c "^dipb: $_why" "$ERR")"
	check_eq '  the draft kept, nothing committed' "1 $tip" \
	    "$(ndrafts) $(git rev-parse HEAD)"
	rm -f "$drafts"/*

	# What the lock finds that no edit of the copy cures (another
	# member's plain commit leaves the record at the tip invalid): the
	# command ends, the copy kept, no edit again? (dipb-edit(1)).
	cat >"$TROOT/ed-bogus" <<ED
#!/bin/sh
sed 's/^title: .*/title: Mine/' "\$1" >"\$1.tmp" &&
    cat "\$1.tmp" >"\$1" && rm -f "\$1.tmp"
cd "$BOARD_TOP" && sed -i 's/^status: .*/status: bogus/' \
    recommendations/IC-0002.yaml &&
    git -c user.name=x -c user.email=x@example.org commit -q -a -m plain
ED
	chmod +x "$TROOT/ed-bogus"
	on_tty 'n
' "EDITOR='$TROOT/ed-bogus' dipb edit IC-0002"
	check_eq 'edit: the record at the tip made invalid while the editor is open: exit 1, no edit again? asked' \
	    '1 0' "$RC $(grep -c 'edit again?' "$ERR")"
	check_err '  the record at the tip said invalid' \
	    "dipb: invalid record: 'recommendations/IC-0002.yaml'"
	check_eq '  the copy kept, nothing committed after the plain commit' \
	    "1 $tip" "$(ndrafts) $(git rev-parse HEAD^)"
	git reset -q --hard "$tip"
	rm -f "$drafts"/*
else
	skip 'edit, recommend: a level added while the editor is open' \
	    'no script(1) to give dipb a terminal'
fi

# --- a drafts folder that is not the user's alone ----------------------------
# In a shared repository another member may make .git/dipb/drafts first,
# writable by all, or a link to a folder of the user's own work: dipb
# writes no draft there (it goes to $TMPDIR), never reads one through a
# link, and never removes a file --from named outside the real folder
# (dipb-recommend(1), dipb-edit(1), FILES).
ndir="$TROOT/tmpdir"
mkdir -p "$ndir" "$TROOT/work"
rm -rf "$drafts"
ln -s "$TROOT/work" "$drafts"
printf 'working_group: %s\ntitle: Linked\nsummary: S.\n' "$WG" \
    >"$TROOT/work/rec.yaml"
check 'drafts/ a link to the user'"'"'s folder: recommend --from commits' \
    dipb recommend --from "$TROOT/work/rec.yaml" --no-edit
check 'the file --from named there is not removed as a kept draft' \
    test -f "$TROOT/work/rec.yaml"
check_refused 1 "your text is kept in $ndir/IC-0002-" \
    'drafts/ a link: the copy of an edit kept in $TMPDIR instead' \
    env TMPDIR="$ndir" EDITOR="$TROOT/ed-break" dipb edit IC-0002
check_eq '  nothing written through the link' 'rec.yaml' \
    "$(ls "$TROOT/work")"
# A $TMPDIR whose name holds a newline: the way to take the text up
# again names it "$TMPDIR"/NAME, on one line (dipb(1)), no "dipb: ..."
# line forged.
nltmp=$TROOT/$(printf 'tmp\ndipb: forged')
mkdir "$nltmp"
check_refused 1 'to take it up again: cp "$TMPDIR"/IC-0002-' \
    'a $TMPDIR with a newline: the copy named by "$TMPDIR"' \
    env TMPDIR="$nltmp" EDITOR="$TROOT/ed-break" dipb edit IC-0002
cp "$ERR" "$TROOT/nltmp.err"
check 'a $TMPDIR with a newline: no line of the path'"'"'s own' \
    sh -c '! grep -q "^dipb: forged" "$1"' sh "$TROOT/nltmp.err"
rm -rf "$nltmp"
rm -f "$drafts" "$ndir"/*

# 770: of a group with other accounts (nogroup: nobody's, sync's);
# root only can give the folder to a group not its own.
modes=777
if [ "$(id -u)" = 0 ]; then
	modes="777 770"
else
	skip 'drafts/ of mode 770, a group'"'"'s with others: $TMPDIR' 'not root'
fi
for mode in $modes; do
	mkdir -m "$mode" "$drafts"
	chmod "$mode" "$drafts"
	[ "$mode" = 777 ] || chgrp 65534 "$drafts"
	check_refused 1 "your text is kept in $ndir/IC-0002-" \
	    "drafts/ of mode $mode: the copy of an edit kept in \$TMPDIR" \
	    env TMPDIR="$ndir" EDITOR="$TROOT/ed-break" dipb edit IC-0002
	check_eq "  none in the drafts/ of mode $mode" 0 "$(ndrafts)"
	as chair
	check_refused 1 "your text is kept in $ndir/board-" \
	    "drafts/ of mode $mode: edit --board's copy kept in \$TMPDIR" \
	    env TMPDIR="$ndir" EDITOR="$TROOT/ed-break" dipb edit --board
	as drafter
	check_eq "  none there either" 0 "$(ndrafts)"
	rm -rf "$drafts" "$ndir"/*
done

# Group-writable, of the user's own group alone (a user private group,
# umask 002): used as it is (root's group, when root is its one member).
if [ "$(id -u)" = 0 ] && [ -z "$(getent group 0 | cut -d: -f4)" ] &&
    [ "$(getent passwd | awk -F: '$4 == 0' | wc -l)" = 1 ]; then
	mkdir -m 770 "$drafts"
	chmod 770 "$drafts"
	chgrp 0 "$drafts"
	check_refused 1 "your text is kept in $drafts/IC-0002-" \
	    'drafts/ 770 of the user'"'"'s own group alone: the copy kept there' \
	    env TMPDIR="$ndir" EDITOR="$TROOT/ed-break" dipb edit IC-0002
	rm -rf "$drafts" "$ndir"/*
else
	skip 'drafts/ 770 of the user'"'"'s own group: used' \
	    'not root, or root'"'"'s group has other members'
fi

# One of another user's, mode 0700 (root only can give it away).
if [ "$(id -u)" = 0 ]; then
	mkdir -m 700 "$drafts"
	chown 65534 "$drafts"
	check_refused 1 "your text is kept in $ndir/IC-0002-" \
	    'drafts/ of another user: the copy of an edit kept in $TMPDIR' \
	    env TMPDIR="$ndir" EDITOR="$TROOT/ed-break" dipb edit IC-0002
	check_eq '  none in the other user'"'"'s drafts/' 0 "$(ndrafts)"
	rm -rf "$drafts" "$ndir"/*
else
	skip 'drafts/ of another user: the copy kept in $TMPDIR' 'not root'
fi

# The editor leaves a link where the copy was (another swapped it): not
# read through it, nothing committed; and none_kept: the refusal says no
# text of the user's is kept there, with no line to take it up.
none_kept() {
	check_err '  no text of the user'"'"'s is said to be kept there' \
	    'no text of yours is kept'
	cp "$ERR" "$TROOT/planted.err"
	check '  and no line to take the planted text up' \
	    sh -c '! grep -q -e "your text is kept" -e "to take it up" "$1"' \
	    sh "$TROOT/planted.err"
}
printf 'working_group: %s\ntitle: Not mine\nsummary: Injected.\n' "$WG" \
    >"$TROOT/other.yaml"
printf '#!/bin/sh\nrm -f "$1"; ln -s "%s" "$1"\n' "$TROOT/other.yaml" \
    >"$TROOT/ed-link"
chmod +x "$TROOT/ed-link"
check_refused nonzero 'not a file of yours' \
    'edit: the copy a link when the editor exits: not read, nothing committed' \
    env EDITOR="$TROOT/ed-link" dipb edit IC-0002
none_kept
rm -f "$drafts"/*
# Or a hard link to a file of the user's (planted while the name was
# gone): a file with another name is not read either.
printf '#!/bin/sh\nrm -f "$1"; ln "%s" "$1"\n' "$TROOT/other.yaml" \
    >"$TROOT/ed-hardlink"
chmod +x "$TROOT/ed-hardlink"
check_refused nonzero 'not a file of yours (a symbolic or hard link,' \
    'edit: the copy a hard link when the editor exits: not read' \
    env EDITOR="$TROOT/ed-hardlink" dipb edit IC-0002
none_kept
rm -f "$drafts"/*
# Or another user's file (root only can make one).
if [ "$(id -u)" = 0 ]; then
	printf '#!/bin/sh\nrm -f "$1"; cp "%s" "$1"; chown 65534 "$1"\n' \
	    "$TROOT/other.yaml" >"$TROOT/ed-other"
	chmod +x "$TROOT/ed-other"
	check_refused nonzero 'not a file of yours' \
	    'edit: the copy another user'"'"'s when the editor exits: not read' \
	    env EDITOR="$TROOT/ed-other" dipb edit IC-0002
	none_kept
	rm -f "$drafts"/*
else
	skip 'edit: the copy another user'"'"'s when the editor exits' 'not root'
fi

# A drafts/ of the user's in a folder others can write (a shared
# repository's .git/dipb/, dipb-git(7)): they could rename it away.
chmod 777 "$(dirname "$drafts")"
check_refused 1 "your text is kept in $ndir/IC-0002-" \
    '.git/dipb/ writable by all: the copy of an edit kept in $TMPDIR' \
    env TMPDIR="$ndir" EDITOR="$TROOT/ed-break" dipb edit IC-0002
check_eq '  none in its drafts/' 0 "$(ndrafts)"
chmod 755 "$(dirname "$drafts")"
rm -f "$ndir"/*
# Nor in a .git/dipb/ of the user's in a git dir others can write (no
# core.sharedRepository): they could rename .git/dipb/ away.
gitdir=$(dirname "$(dirname "$drafts")")
chmod 777 "$gitdir"
check_refused 1 "your text is kept in $ndir/IC-0002-" \
    '.git/ writable by all: the copy of an edit kept in $TMPDIR' \
    env TMPDIR="$ndir" EDITOR="$TROOT/ed-break" dipb edit IC-0002
check_eq '  none in its dipb/drafts/' 0 "$(ndrafts)"
chmod 755 "$gitdir"
rm -f "$ndir"/*

# A folder shared through a POSIX ACL: its mode's group bits are the
# ACL's mask, so the mode alone does not say who can write it; one with
# an extended ACL is not the user's alone (dipb-recommend(1), FILES).
# Skipped, and counted, where setfacl or ACLs are not there.
rm -rf "$drafts"
if command -v setfacl >/dev/null 2>&1 && mkdir -m 700 "$drafts" &&
    setfacl -m u:65534:rwx "$drafts" 2>/dev/null; then
	chmod 700 "$drafts"
	check_refused 1 "your text is kept in $ndir/IC-0002-" \
	    'drafts/ 0700 with an ACL for another user: the copy in $TMPDIR' \
	    env TMPDIR="$ndir" EDITOR="$TROOT/ed-break" dipb edit IC-0002
	check_eq '  none in its drafts/' 0 "$(ndrafts)"
	rm -rf "$drafts" "$ndir"/*
	setfacl -m u:65534:rwx "$(dirname "$drafts")"
	chmod 755 "$(dirname "$drafts")"
	check_refused 1 "your text is kept in $ndir/IC-0002-" \
	    '.git/dipb/ 0755 with an ACL for another user: the copy in $TMPDIR' \
	    env TMPDIR="$ndir" EDITOR="$TROOT/ed-break" dipb edit IC-0002
	check '  no drafts/ made in it' test ! -e "$drafts"
	setfacl -b "$(dirname "$drafts")"
	chmod 755 "$(dirname "$drafts")"
	rm -rf "$drafts" "$ndir"/*
else
	rm -rf "$drafts"
	skip 'drafts/ or .git/dipb/ with an ACL for another user: $TMPDIR' \
	    'no setfacl, or no ACLs on this file system'
fi

# A draft kept in $TMPDIR (a shared repository's, dipb-recommend(1),
# FILES) is removed once --from commits it, as one in drafts/ is; a
# file of another name there, or one with another link, is not.  And
# --from makes no drafts/ folder.
rm -rf "$drafts"
printf 'working_group: %s\ntitle: Kept in tmp\nsummary: S.\n' "$WG" \
    >"$ndir/recommend-Ab12Z9.yaml"
check 'recommend --from a draft kept in $TMPDIR commits' \
    env TMPDIR="$ndir" dipb recommend --from "$ndir/recommend-Ab12Z9.yaml" \
    --no-edit
check '  the draft in $TMPDIR is removed' \
    test ! -e "$ndir/recommend-Ab12Z9.yaml"
check '  --from makes no drafts/ folder' test ! -e "$drafts"
printf 'working_group: %s\ntitle: Notes in tmp\nsummary: S.\n' "$WG" \
    >"$ndir/notes.yaml"
check 'recommend --from a file of another name in $TMPDIR commits' \
    env TMPDIR="$ndir" dipb recommend --from "$ndir/notes.yaml" --no-edit
check '  and it is not removed' test -f "$ndir/notes.yaml"
printf 'working_group: %s\ntitle: Linked in tmp\nsummary: S.\n' "$WG" \
    >"$TROOT/mine.yaml"
ln "$TROOT/mine.yaml" "$ndir/recommend-Cd34Y8.yaml"
check 'recommend --from a draft-named file with another link commits' \
    env TMPDIR="$ndir" dipb recommend --from "$ndir/recommend-Cd34Y8.yaml" \
    --no-edit
check '  and it is not removed' test -f "$ndir/recommend-Cd34Y8.yaml"
rm -f "$ndir"/* "$TROOT/mine.yaml"
# $TMPDIR a symbolic link (the user's own environment names it): a draft
# kept there is removed once --from commits it, named through the link
# or through its target.
ln -s "$ndir" "$TROOT/tmplink"
for from in "$TROOT/tmplink" "$ndir"; do
	printf 'working_group: %s\ntitle: Kept via %s\nsummary: S.\n' "$WG" \
	    "${from##*/}" >"$ndir/recommend-Ef56X7.yaml"
	check "\$TMPDIR a link: recommend --from $from/'s draft commits" \
	    env TMPDIR="$TROOT/tmplink" dipb recommend \
	    --from "$from/recommend-Ef56X7.yaml" --no-edit
	check "  the draft is removed" test ! -e "$ndir/recommend-Ef56X7.yaml"
done
rm -f "$ndir"/* "$TROOT/tmplink"

check_fsck
check_history 'every commit has one tag, every tag is on the branch'
# --- a repository whose folder holds a newline ------------------------------
# A path in a message is shown on one line, a newline or tab in it as '?'
# (dipb(1), "The git history"): raw, it would start a line of its own, a
# "dipb: ..." line forged on standard error.
new_board "$(printf 'nl\ndipb: forged\tx')" || exit 1
as drafter
mkrec industrial-capacity 'Alpha' >/dev/null
printf '#!/bin/sh\nprintf "title: [\\n" >"$1"\n' >"$TROOT/ed-unparsable"
chmod +x "$TROOT/ed-unparsable"
for ed in 'ed-unparsable|your text is kept in' \
    'ed-remove|the editor left no file of yours at'; do
	said=${ed#*|} ed=${ed%%|*}
	run env EDITOR="$TROOT/$ed" dipb edit IC-0001
	check_eq "newline in the folder, $ed: refused" yes \
	    "$([ "$RC" -ne 0 ] && echo yes)"
	check_err "newline in the folder, $ed: the path shown with '?'" \
	    "$said $TROOT/nl?dipb: forged?x."
	cp "$ERR" "$TROOT/nl.err"
	check "newline in the folder, $ed: no line of the path's own" \
	    sh -c '! grep -q "^dipb: forged" "$1"' sh "$TROOT/nl.err"
done
cd "$TROOT" || exit 1

finish

#!/bin/sh
# tests/cli/edit.sh - dipb edit ID: a hand edit committed with --no-edit,
# an edit in $VISUAL/$EDITOR; only drafter fields, only draft or returned.
. "$(dirname "$0")/lib.sh"

new_board
as drafter
f=recommendations/IC-0001.yaml
mkrec industrial-capacity 'Original title' >/dev/null
created=$(field IC-0001 created)

# --- edit --no-edit ----------------------------------------------------------------
sedit "$f" 's/^title: .*/title: Edited by hand/'
at 2026-04-10
check_change IC-0001/2-edited 'draft -> draft' 'IC-0001: edited by Dan Drafter' \
    dipb edit IC-0001 --no-edit
check_eq 'the hand edit is committed' 'Edited by hand' "$(field IC-0001 title)"
check_eq 'still a draft' draft "$(status_of IC-0001)"
check_eq 'updated is set by dipb' 2026-04-10 "$(field IC-0001 updated)"
check_eq 'created is kept' "$created" "$(field IC-0001 created)"
check_out 'the file is in canonical form: show prints it as it is, after its fingerprint' \
    "$(printf '# fingerprint: %s\n' "$(jshow IC-0001 'd["fingerprint"]')"; cat "$f")" \
    dipb show IC-0001

# A drafter of the group may edit another drafter's draft.
as icdrafter
sedit "$f" 's/^priority: .*/priority: high/'
check_change IC-0001/3-edited 'draft -> draft' 'IC-0001: edited by Ida Drafter' \
    dipb edit IC-0001 --no-edit
check_eq 'priority changed' high "$(field IC-0001 priority)"
check_eq 'the author is still the first drafter' dan@example.org \
    "$(field IC-0001 author)"
as drafter

# A hand edit that is not canonical (comments, other quoting) is
# committed in canonical form.
sedit "$f" 's/^title: .*/title: "Quoted title"  # a comment/'
check_change IC-0001/4-edited 'draft -> draft' '' dipb edit IC-0001 --no-edit
check_eq 'the title is the edited one' 'Quoted title' \
    "$(jshow IC-0001 'd["title"]')"
check 'the comment is gone' sh -c "! grep -q 'a comment' $f"

# --- only the drafter's fields may change ------------------------------------------
sedit "$f" 's/^status: .*/status: endorsed/'
check_refused 1 '' 'a hand edit of status is refused: exit 1' \
    dipb edit IC-0001 --no-edit
check 'the hand edit is left in place' grep -q '^status: endorsed' "$f"
git checkout -q -- "$f"
sedit "$f" 's/^author: .*/author: rita@example.org/'
check_refused 1 '' 'a hand edit of author is refused: exit 1' \
    dipb edit IC-0001 --no-edit
git checkout -q -- "$f"
sedit "$f" 's/^id: .*/id: IC-0002/'
check_refused 1 '' 'a hand edit of id is refused: exit 1' \
    dipb edit IC-0001 --no-edit
git checkout -q -- "$f"
# A hand edit that does not validate is refused before the file is made
# canonical: the user's text, comments included, stays as it was.
sedit "$f" 's/^classification: .*/classification: COSMIC TOP SECRET  # raised/'
cp "$f" "$TROOT/hand-edit"
check_refused 1 "unknown classification 'COSMIC TOP SECRET'" \
    'a hand edit to an unknown classification is refused: exit 1' \
    dipb edit IC-0001 --no-edit
check 'the refused hand edit is left byte for byte' cmp "$TROOT/hand-edit" "$f"
git checkout -q -- "$f"

# An owner written as an email address is a member (dipb-validate(1),
# member): an edit that adds one who is not is refused at the line of
# owner:, the user's text left as it was.
cat >>"$f" <<'EOF'
actions:
  - text: Stock up
    owner: otto@example.org
EOF
cp "$f" "$TROOT/hand-edit"
check_refused 1 "$f:14:12: error: action 1's owner 'otto@example.org' is not a member of the board [member]" \
    'a hand edit adding an owner who is no member: exit 1, at its line' \
    dipb edit IC-0001 --no-edit
check 'the refused hand edit is left byte for byte' cmp "$TROOT/hand-edit" "$f"
git checkout -q -- "$f"

# A refused hand edit is said at its lines of the file on disk, which is
# not rewritten, as dipb validate says it, every problem at once; not at
# those of its canonical form (a comment and a moved key shift them).
{ grep -v '^classification:' "$f"; printf '# raised\nclassification: SECRET\n'
  printf 'actions:\n  - owner: otto@example.org\n    text: Stock up\n'; } \
    >"$TROOT/moved" && cat "$TROOT/moved" >"$f"
lc=$(grep -n '^classification:' "$f" | cut -d: -f1)
lo=$(grep -n '^  - owner:' "$f" | cut -d: -f1)
check_refused 1 "$f:$lc:17: error: unknown classification 'SECRET' [classification]" \
    'a refused hand edit: the level at its line of the file, not of its canonical form' \
    dipb edit IC-0001 --no-edit
check_err 'and the owner who is no member with it, at its line' \
    "$f:$lo:12: error: action 1's owner 'otto@example.org' is not a member of the board [member]"
grep "^$f:.*: error: " "$ERR" >"$TROOT/edit.diags"
check_eq 'the errors dipb validate gives, the same two' \
    "$(dipb validate "$f" 2>&1 | grep "^$f:.*: error: ")|2" \
    "$(cat "$TROOT/edit.diags")|$(wc -l <"$TROOT/edit.diags" | tr -d ' ')"
check 'the refused hand edit is left byte for byte' cmp "$TROOT/moved" "$f"
# From a subfolder, the file as the user opens it from there, as dipb
# validate and dipb fmt name it.
mkdir -p notes
check_refused 1 "../$f:$lc:17: error: unknown classification 'SECRET' [classification]" \
    'edit --no-edit from a subfolder: the file named from there' \
    sh -c 'cd notes && exec dipb edit IC-0001 --no-edit'
check_err '  and the refusal names it so' "invalid record: '../$f'"
check_eq '  as dipb validate names it from there' 1 \
    "$(cd notes && dipb validate 2>&1 | grep -c -F "../$f:$lc:17: error: unknown classification")"
rmdir notes
git checkout -q -- "$f"

# --- only draft and returned records --------------------------------------------------
mkrec industrial-capacity 'In review' >/dev/null
drive IC-0002 in-review
sedit recommendations/IC-0002.yaml 's/^title: .*/title: Changed in review/'
check_refused 1 'IC-0002 is in-review: cannot edit' \
    'editing a record in review: exit 1, naming the status' \
    dipb edit IC-0002 --no-edit
git checkout -q -- recommendations/IC-0002.yaml

mkrec supply-chain-security 'Returned' >/dev/null
drive SCS-0001 returned
sedit recommendations/SCS-0001.yaml 's/^title: .*/title: Returned and fixed/'
check_change SCS-0001/4-edited 'returned -> returned' \
    'SCS-0001: edited by Dan Drafter' dipb edit SCS-0001 --no-edit
check_eq 'a returned record stays returned' returned "$(status_of SCS-0001)"

# The review thread and the moves of due dates are not the drafter's: a
# reply, once written, never changes, and only 'dipb action --due' adds a
# move (dipb-workflow(7), "Fields").
f=recommendations/SCS-0001.yaml
check_change SCS-0001/5-replied 'returned -> returned' '' \
    dipb review SCS-0001 --reply-to rita@example.org -m 'Evidence added.'
sedit "$f" 's/Evidence added\./I never wrote this./'
check_refused 1 'only the drafter' 'a hand edit of a reply is refused: exit 1' \
    dipb edit SCS-0001 --no-edit
check 'the hand edit is left in place' grep -q 'I never wrote this' "$f"
git checkout -q -- "$f"
sedit "$f" '/^replies:/,$d'
check_refused 1 'only the drafter' 'a hand edit that drops the replies is refused: exit 1' \
    dipb edit SCS-0001 --no-edit
git checkout -q -- "$f"
cat >>"$f" <<'EOF'
actions:
  - text: Stock up
    owner: dan@example.org
    due: 2027-01-31
    rescheduled:
      - from: 2027-01-31
        to: 2027-06-30
        date: 2026-04-10
        by: secretary@example.org
        reason: |
          Agreed with the secretary.
EOF
check_refused 1 "its rescheduled list is changed by 'dipb action --due'" \
    'a move of a due date written by hand is refused: exit 1' \
    dipb edit SCS-0001 --no-edit
git checkout -q -- "$f"
sedit "$f" 's/^title: .*/title: Returned, fixed, answered/'
check_change SCS-0001/6-edited 'returned -> returned' '' \
    dipb edit SCS-0001 --no-edit
check_eq 'the reply is kept as it was' 'Evidence added.' \
    "$(jshow SCS-0001 "d['replies'][0]['text']")"
verify_clean 'dipb verify finds nothing in the edits made'

check_refused 1 '' 'edit of an unknown record: exit 1' dipb edit IC-0099 --no-edit

# --- the editor ---------------------------------------------------------------------
# Editors that change the copy they are given as a user would.
cat >"$TROOT/ed-title" <<'ED'
#!/bin/sh
sed 's/^title: .*/title: Title from the editor/' "$1" >"$1.tmp" &&
    cat "$1.tmp" >"$1" && rm -f "$1.tmp"
ED
cat >"$TROOT/ed-prio" <<'ED'
#!/bin/sh
sed 's/^priority: .*/priority: low/' "$1" >"$1.tmp" &&
    cat "$1.tmp" >"$1" && rm -f "$1.tmp"
ED
cat >"$TROOT/ed-break" <<'ED'
#!/bin/sh
printf 'topics: [unclosed\n' >>"$1"
ED
cat >"$TROOT/ed-empty" <<'ED'
#!/bin/sh
: >"$1"
ED
chmod +x "$TROOT"/ed-*

mkrec industrial-capacity 'For the editor' >/dev/null	# IC-0003
check_change IC-0003/2-edited 'draft -> draft' 'IC-0003: edited by Dan Drafter' \
    env TERM=xterm VISUAL="$TROOT/ed-title" EDITOR=false dipb edit IC-0003
check_eq '$VISUAL is used before $EDITOR' 'Title from the editor' \
    "$(field IC-0003 title)"
check_change IC-0003/3-edited 'draft -> draft' '' \
    env EDITOR="$TROOT/ed-prio" dipb edit IC-0003
check_eq '$EDITOR is used without $VISUAL' low "$(field IC-0003 priority)"
sed 's/priority: low/priority: high/' "$TROOT/ed-prio" >"$TROOT/ed-prio-high"
check_change IC-0003/4-edited 'draft -> draft' '' \
    env EDITOR="sh $TROOT/ed-prio-high" dipb edit IC-0003
check_eq 'an $EDITOR with arguments works as in git' high \
    "$(field IC-0003 priority)"

check_refused nonzero '' 'an editor that fails: refused, nothing written' \
    env EDITOR=false dipb edit IC-0003
check_refused 1 '' 'an editor that breaks the YAML: exit 1, nothing written' \
    env EDITOR="$TROOT/ed-break" dipb edit IC-0003
check_err_re 'the problem is reported as path:line:col: error:' \
    ':[0-9]+:[0-9]+: error: '
check_refused 1 '' 'an editor that empties the file: cancelled, exit 1' \
    env EDITOR="$TROOT/ed-empty" dipb edit IC-0003
check_eq 'the record is as before' 'Title from the editor' \
    "$(field IC-0003 title)"

# --- edit --board in the editor, dipb.yaml changed by hand meanwhile -------------------
# The editor edits the tip's board: the hand edit would be left in the
# working tree as if it undid the committed change, as a record's is
# refused (dipb-edit(1)).
cat >"$TROOT/ed-board" <<'ED'
#!/bin/sh
sed 's/^short_name: .*/short_name: TX/' "$1" >"$1.tmp" &&
    cat "$1.tmp" >"$1" && rm -f "$1.tmp"
ED
chmod +x "$TROOT/ed-board"
as chair
sedit dipb.yaml 's/^  quorum: 2$/  quorum: 1/'
check_refused 1 "dipb.yaml has uncommitted changes: commit them with 'dipb edit --board --no-edit'" \
    'edit --board in the editor, dipb.yaml changed by hand: exit 1, nothing written' \
    env EDITOR="$TROOT/ed-board" dipb edit --board
check_file_has 'the hand edit of dipb.yaml is left in place' dipb.yaml '^  quorum: 1$'
git checkout -q -- dipb.yaml
check_change board/2-changed '' 'board: changed by Clara Chair' \
    env EDITOR="$TROOT/ed-board" dipb edit --board
# dipb.yaml deleted: no edit to commit, with or without the editor.
rm dipb.yaml
check_refused 1 "dipb.yaml is not in the working tree as a file (deleted): put it back with 'git checkout -- dipb.yaml'" \
    'edit --board --no-edit of a deleted dipb.yaml: exit 1, not an I/O error' \
    dipb edit --board --no-edit
check_refused 1 "put it back with 'git checkout -- dipb.yaml'" \
    'edit --board in the editor, dipb.yaml deleted: exit 1' \
    env EDITOR="$TROOT/ed-board" dipb edit --board
git checkout -q -- dipb.yaml

# A member's email that is none, which dipb validate refuses (email), is
# the file's error at the line of email:, not committed.
sedit dipb.yaml 's/^    email: dan@example.org$/    email: dan example.org/'
cp dipb.yaml "$TROOT/hand-board"
check_refused 1 "dipb.yaml:$(grep -n '^    email: dan example.org$' dipb.yaml | cut -d: -f1):5: error: 'dan example.org' is not an email address [email]" \
    'edit --board --no-edit of an email that is none: exit 1, at its line' \
    dipb edit --board --no-edit
check 'the refused hand edit of dipb.yaml is left byte for byte' \
    cmp "$TROOT/hand-board" dipb.yaml
git checkout -q -- dipb.yaml

# A control character in a member's name (dipb-validate(1),
# control-character): the file's error at its line, not committed, as in
# a record; dipb validate and git agree that the board is the old one.
sedit dipb.yaml 's/^  - name: Dan Drafter$/  - name: "Dan \\e[2J Drafter"/'
check_refused 1 "dipb.yaml:$(grep -n '^  - name: "Dan' dipb.yaml | cut -d: -f1):5: error: 'members: name' holds a control character, U+001B, at character 5 (a single-line field) [control-character]" \
    'edit --board --no-edit of ESC in a member name: exit 1, at its line' \
    dipb edit --board --no-edit
mkdir "$TROOT/tip" && git show HEAD:dipb.yaml >"$TROOT/tip/dipb.yaml"
check_status 0 'validate: the board git has at the tip is clean' \
    dipb validate "$TROOT/tip/dipb.yaml"
git checkout -q -- dipb.yaml
# One the board already held, committed with git, stays: a change of
# another field is made, as edit leaves a record's (dipb-edit(1)); but
# not in a member's name, which edit --board refuses to keep
# (dipb-board(5), name).
_here=$PWD
new_board held
sedit dipb.yaml 's/^    name: Industrial Capacity$/    name: "Industrial \\e[2J Capacity"/'
git commit -q -m 'by hand' dipb.yaml
sedit dipb.yaml 's/^short_name: .*/short_name: TB2/'
check 'edit --board --no-edit with an old ESC left as it was: made' \
    dipb edit --board --no-edit
check_out 'git: the change is committed' 'short_name: TB2' \
    sh -c 'git show HEAD:dipb.yaml | grep "^short_name:"'
sedit dipb.yaml 's/^  - name: Dan Drafter$/  - name: "Dan \\e[2J Drafter"/'
git commit -q -m 'by hand' dipb.yaml
sedit dipb.yaml 's/^short_name: .*/short_name: TB3/'
check_refused 1 "dipb.yaml:$(grep -n '^  - name: "Dan' dipb.yaml | cut -d: -f1):5: error: 'members: name' holds a control character, U+001B, at character 5 (a single-line field) [control-character]" \
    'edit --board --no-edit with an old ESC left in a member name: exit 1, at its line' \
    dipb edit --board --no-edit
cd "$_here" || exit 1

# --- edit --board: a board nobody could change again is refused ------------------------
# Its changes are a chair's, signed where signing is required, as of the
# parent commit (dipb-board(5)); dipb validate's chair rule.
as chair
sedit dipb.yaml 's/^    roles: \[chair\]$/    roles: [secretary]/'
check_refused 1 'dipb.yaml: no member holds the chair role: nobody could change dipb.yaml again' \
    'edit --board --no-edit of a hand edit that removes the last chair: exit 1' \
    dipb edit --board --no-edit
run dipb validate --format gcc dipb.yaml
check_eq 'validate: the board without a chair, at members:, rule chair' \
    "1 dipb.yaml:$(grep -n '^members:' dipb.yaml | cut -d: -f1):1: error: no member holds the chair role: nobody could change dipb.yaml again (dipb-board(5)) [chair]" \
    "$RC $(grep -F '[chair]' "$OUT")"
git checkout -q -- dipb.yaml
cat >"$TROOT/ed-nochair" <<'ED'
#!/bin/sh
sed 's/^    roles: \[chair\]$/    roles: [reviewer]/' "$1" >"$1.tmp" &&
    cat "$1.tmp" >"$1" && rm -f "$1.tmp"
ED
chmod +x "$TROOT/ed-nochair"
check_refused 1 'dipb.yaml: no member holds the chair role' \
    'edit --board in the editor, the last chair removed: exit 1' \
    env EDITOR="$TROOT/ed-nochair" dipb edit --board
if command -v ssh-keygen >/dev/null 2>&1; then
	ssh-keygen -q -t ed25519 -N '' -C sam -f "$TROOT/sam" </dev/null
	# The secretary has a key, the chair none, and signing is required.
	sedit dipb.yaml "/^    email: secretary@example.org\$/a\\
    keys:\\
      - $(cut -d' ' -f1,2 "$TROOT/sam.pub")"
	sedit dipb.yaml 's/^members:$/signing: required\
members:/'
	check_refused 1 'dipb.yaml: signing is required but no chair has a key: nobody could sign a change of dipb.yaml again' \
	    'edit --board --no-edit: signing required and no chair with a key: exit 1' \
	    dipb edit --board --no-edit
	run dipb validate --format gcc dipb.yaml
	check_eq 'validate: signing required, no chair with a key: rule chair' \
	    '1 1' "$RC $(grep -c ': error: signing is required but no chair has a key.*\[chair\]$' "$OUT")"
	git checkout -q -- dipb.yaml
else
	skip 'signing required, no chair with a key' 'no ssh-keygen'
fi
check_out 'the board still has its chair' '    roles: [chair]' \
    grep -F '    roles: [chair]' dipb.yaml

check_fsck
check_history 'every commit has one tag, every tag is on the branch'

# --- edit --board: a working group in use keeps its key and prefix ------------
# The key is in each record and the prefix begins its id, and neither
# changes with the record (dipb-board(5), "KEYS"): a board that changed
# them would strand the records, refused by every command, withdraw too.
new_board groups || { finish; exit 1; }
as drafter
for _t in A B C D E; do mkrec industrial-capacity "$_t" >/dev/null; done
mkrec supply-chain-security 'F' >/dev/null	# SCS-0001
as chair
_l=$(grep -n '^  - key: industrial-capacity$' dipb.yaml | cut -d: -f1)
sedit dipb.yaml 's/^    prefix: IC$/    prefix: IB/'
check_refused 1 "dipb.yaml:$_l:5: error: working group 'industrial-capacity' may not change its prefix IC to IB: IC-0001, IC-0002, IC-0003 and 2 more use it [id-prefix]" \
    'edit --board: a prefix in use changed: exit 1, at the group, a few ids and a count' \
    dipb edit --board --no-edit
check_err 'the refusal says what is kept' \
    'dipb.yaml: a working group that records use keeps its key and its prefix; its name may change'
git checkout -q -- dipb.yaml
_l=$(grep -n '^  - key: supply-chain-security$' dipb.yaml | cut -d: -f1)
sedit dipb.yaml 's/^  - key: supply-chain-security$/  - key: supply-chains/; s/^    working_groups: \[supply-chain-security\]$/    working_groups: [supply-chains]/'
check_refused 1 "dipb.yaml:$_l:5: error: working group 'supply-chain-security' (SCS) may not change its key to 'supply-chains': SCS-0001 uses it [working-group]" \
    'edit --board: a key in use changed: exit 1, at the group' \
    dipb edit --board --no-edit
git checkout -q -- dipb.yaml
sedit dipb.yaml '/^  - key: supply-chain-security$/,/^    name: /d; /^    working_groups: \[supply-chain-security\]$/d'
check_refused 1 "HEAD:dipb.yaml:$_l:5: error: working group 'supply-chain-security' (SCS) may not be removed: SCS-0001 uses it [working-group]" \
    'edit --board: a group in use removed: exit 1, at its line of the committed file' \
    dipb edit --board --no-edit
git checkout -q -- dipb.yaml
cat >"$TROOT/ed-nogroup" <<'ED'
#!/bin/sh
sed '/^  - key: supply-chain-security$/,/^    name: /d
    /^    working_groups: \[supply-chain-security\]$/d' "$1" >"$1.tmp" &&
    cat "$1.tmp" >"$1" && rm -f "$1.tmp"
ED
chmod +x "$TROOT/ed-nogroup"
check_refused 1 'may not be removed: SCS-0001 uses it [working-group]' \
    'edit --board in the editor, a group in use removed: exit 1' \
    env EDITOR="$TROOT/ed-nogroup" dipb edit --board
rm -f .git/dipb/drafts/board-*
sedit dipb.yaml 's/^    name: Industrial Capacity$/    name: Industrial Base/'
sedit dipb.yaml 's/^    prefix: SI$/    prefix: SX/'
check_change board/2-changed '' '' dipb edit --board --no-edit
sedit dipb.yaml '/^  - key: standardisation-interoperability$/,/^    name: /d'
check_change board/3-changed '' '' dipb edit --board --no-edit
check_out 'a group renamed, one no record uses changed and removed: validate is clean' \
    '' dipb validate --format gcc
as secretary
check 'and the records still move' dipb withdraw IC-0001 -m 'Not needed.'

# An owner the record already had, no member (committed with git, or a
# member who has left the board), is no change of an edit: the record can
# still be edited, as validate's STABLE rules let it be read.
new_board owners || { finish; exit 1; }
as drafter
mkrec industrial-capacity 'Owned outside' >/dev/null		# IC-0001
g=recommendations/IC-0001.yaml
cat >>"$g" <<'EOF'
actions:
  - text: Stock up
    owner: otto@example.org
EOF
git commit -q -m 'an owner by hand' -- "$g"
sedit "$g" 's/^title: .*/title: Owned outside, retitled/'
check_change IC-0001/2-edited 'draft -> draft' '' dipb edit IC-0001 --no-edit
check_eq 'the owner it had is kept' otto@example.org \
    "$(jshow IC-0001 'd["actions"][0]["owner"]')"

# --- a hand edit staged with git add ------------------------------------------
# edit --no-edit commits the working file; as 'git commit PATH' does, the
# index entry then holds what was committed, whatever was staged: git
# status is clean, and the next plain git commit does not undo the edit.
# staged_state: the title committed, whether the index holds HEAD's blob,
# and git status.
staged_state() {
	echo "$(field IC-0001 title) $([ "$(git rev-parse ":$g")" = \
	    "$(git rev-parse "HEAD:$g")" ] && echo index=HEAD) [$(git status --porcelain)]"
}
sedit "$g" 's/^title: .*/title:   "Staged title"/'
git add "$g"
check_change IC-0001/3-edited 'draft -> draft' '' dipb edit IC-0001 --no-edit
check_eq 'staged, then edit --no-edit: the index holds the commit, git status clean' \
    'Staged title index=HEAD []' "$(staged_state)"
sedit "$g" 's/^title: .*/title: Staged A/'
git add "$g"
sedit "$g" 's/^title: .*/title: Working B/'
check_change IC-0001/4-edited 'draft -> draft' '' dipb edit IC-0001 --no-edit
check_eq 'A staged, B in the working file: B committed and in the index, git status clean' \
    'Working B index=HEAD []' "$(staged_state)"
echo notes >NOTES && git add NOTES && git commit -q -m 'Plain notes'
check_eq 'the next plain git commit holds its own file only' NOTES \
    "$(git log -1 --format= --name-only)"
# Killed between the working tree and the index: the next command
# completes the change from the journal, the index taking it as well.
sedit "$g" 's/^title: .*/title: Staged C/'
git add "$g"
sedit "$g" 's/^title: .*/title: Working D/'
run env DIPB_FAULT=worktree dipb edit IC-0001 --no-edit
check_eq 'staged, then edit --no-edit killed before the index: SIGKILL' 137 "$RC"
check_status 0 'the next dipb command completes it' dipb list
check_eq 'completed: D committed and in the index, git status clean' \
    'Working D index=HEAD []' "$(staged_state)"
# dipb.yaml the same, with edit --board --no-edit.
as chair
sedit dipb.yaml 's/^submit_to: .*/submit_to: Staged Directors/'
git add dipb.yaml
sedit dipb.yaml 's/^submit_to: .*/submit_to: Working Directors/'
check_change board/2-changed '' '' dipb edit --board --no-edit
check_eq 'dipb.yaml staged, then edit --board --no-edit: the working file committed and in the index, git status clean' \
    'submit_to: Working Directors index=HEAD []' \
    "$(git show HEAD:dipb.yaml | grep '^submit_to:') $([ "$(git rev-parse :dipb.yaml)" = \
    "$(git rev-parse HEAD:dipb.yaml)" ] && echo index=HEAD) [$(git status --porcelain)]"

# --- a change in form only, or in the index only ------------------------------
# Every other command sends such a record here (it has uncommitted
# changes); edit --no-edit has nothing to commit, and says what differs
# and how to drop it.
as drafter
echo '# a note' >>"$g"
check_refused 1 "in form only (comments, quoting, order), which its canonical form drops; 'dipb fmt $g' writes it so" \
    'a comment only: edit --no-edit says it is form, and what to run' \
    dipb edit IC-0001 --no-edit
run dipb fmt "$g"
check_eq 'dipb fmt as said: git status clean' '0 []' "$RC [$(git status --porcelain)]"
sedit "$g" 's/^title: .*/title: Staged, not in the file/'
git add "$g"
git show "HEAD:$g" >"$g"
check_refused 1 "what 'git add' staged differs from the commit: 'git restore --staged $g' unstages it" \
    'a change staged only: edit --no-edit says so, and what to run' \
    dipb edit IC-0001 --no-edit
git restore --staged "$g"
check_eq 'git restore --staged as said: git status clean' '' "$(git status --porcelain)"
# From a subfolder the file is named one way, as the user would open it
# from there (dipb-edit(1)), in what says it and in what to run.
mkdir -p sub
echo '# a note' >>"$g"
(cd sub && run dipb edit IC-0001 --no-edit
 check_eq 'from a subfolder, a comment only: the file named as from there, once' \
     "1 dipb: ../$g: no changes to commit: the file differs from the commit in form only (comments, quoting, order), which its canonical form drops; 'dipb fmt ../$g' writes it so" \
     "$RC $(grep 'no changes to commit' "$ERR")")
git checkout -q -- "$g"
rmdir sub
check_fsck

# 'updated' is dipb's, set by the commit: what the file says of it is no
# problem of the user's, said with another (date-order).
sedit "$g" 's/^updated:.*/updated: 2000-01-01/; s/^classification:.*/classification: COSMIC/'
check_refused 1 "$g:$(grep -n '^classification:' "$g" | cut -d: -f1):17: error: unknown classification 'COSMIC' [classification]" \
    'edit --no-edit: an unknown level is refused' dipb edit IC-0001 --no-edit
check_eq '  and no date-order warning of the updated dipb sets' '' \
    "$(grep "'updated'" "$ERR")"
sedit "$g" "s/^classification:.*/classification: $(git show "HEAD:$g" |
    sed -n 's/^classification: //p')/; s/^title: .*/title: Dated/"
check_change IC-0001/$(($(git tag -l 'IC-0001/*' | wc -l) + 1))-edited '' '' \
    dipb edit IC-0001 --no-edit
check_eq '  committed with updated set to the date of the change, no warning of it' \
    "updated: $(git log -1 --format=%ad --date=short) []" \
    "$(git show "HEAD:$g" | grep '^updated:') [$(grep "'updated'" "$ERR")]"
# What is no date at all is refused, as in any record (dipb-edit(1)):
# only a date's order is not checked of it.
for _u in notadate 2026-13-45 '[1]'; do
	sedit "$g" "s/^updated:.*/updated: $_u/; s/^title: .*/title: Undated/"
	check_refused 1 "$g:$(grep -n '^updated:' "$g" | cut -d: -f1):10: error: 'updated' " \
	    "edit --no-edit: updated: $_u is refused, exit 1" \
	    dipb edit IC-0001 --no-edit
done
git checkout -q -- "$g"

# A save the user makes while edit --no-edit runs (between its read of
# the file and the change, which may wait on a signing key): the change
# commits what it read, and the newer save stays in the working file.
sedit "$g" 's/^title: .*/title: First save/'
env DIPB_FAULT=commit:stop dipb edit IC-0001 --no-edit >/dev/null \
    2>"$TROOT/stopped.err" &
_pid=$!
wait_stopped "$_pid"
check_eq 'edit --no-edit stopped at the commit' T \
    "$(ps -o stat= -p "$_pid" | cut -c 1)"
sedit "$g" 's/^title: .*/title: Second save, typed meanwhile/'
kill -CONT "$_pid"
wait "$_pid"
check_eq 'a save made while edit ran: the change commits what it read' \
    '0 title: First save' "$? $(git show "HEAD:$g" | grep '^title:')"
check_eq '  and the newer save stays in the working file' \
    "title: Second save, typed meanwhile| M $g" \
    "$(grep '^title:' "$g")|$(git status --porcelain)"
git checkout -q -- "$g"

finish

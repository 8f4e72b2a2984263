#!/bin/sh
# tests/cli/worktree.sh - dipb and the user's uncommitted work: other files
# staged or changed stay so and stay out of dipb's commits; a record with
# uncommitted edits is refused, naming the file; 'edit ID --no-edit'
# commits hand edits after validating them.
. "$(dirname "$0")/lib.sh"

new_board
as drafter
# The user's own files, committed with plain git.
printf 'Board papers.\n' >README
printf 'Plan v1.\n' >plan.txt
printf 'Old notes.\n' >old.txt
git add README plan.txt old.txt
git commit -q -m 'Add papers'

# Uncommitted work of every kind.
printf 'A line not yet staged.\n' >>README		# modified, unstaged
printf 'Staged file.\n' >staged.txt			# new, staged
git add staged.txt
printf 'Plan v2.\n' >plan.txt				# modified, staged ...
git add plan.txt
printf 'Plan v3.\n' >plan.txt				# ... and modified again
rm old.txt						# deleted, unstaged
printf 'Untracked.\n' >untracked.txt			# untracked
mkdir -p recommendations/drafts
printf 'My notes.\n' >recommendations/drafts/notes.md	# untracked, in the folder
git status --porcelain --untracked-files=all >"$TROOT/user-status"
git diff >"$TROOT/user-diff"
git diff --cached >"$TROOT/user-cached"

# user_work_kept DESC: the user's work is exactly as it was.
user_work_kept() {
	git status --porcelain --untracked-files=all >"$TROOT/now-status"
	git diff >"$TROOT/now-diff"
	git diff --cached >"$TROOT/now-cached"
	_w=
	cmp -s "$TROOT/user-status" "$TROOT/now-status" ||
	    _w="git status: $(diff "$TROOT/user-status" "$TROOT/now-status" | grep '^[<>]' | tr '\n' ' ')"
	cmp -s "$TROOT/user-diff" "$TROOT/now-diff" || _w="$_w; unstaged changes differ"
	cmp -s "$TROOT/user-cached" "$TROOT/now-cached" || _w="$_w; staged changes differ"
	if [ -z "$_w" ]; then
		ok "$1"
	else
		not_ok "$1" "$_w"
	fi
}

CLEAN=0
check_change IC-0001/1-drafted 'none -> draft' '' \
    dipb recommend --wg industrial-capacity --title 'Amid user work' --summary S
user_work_kept 'recommend: staged, unstaged, deleted and untracked work kept'
check 'the staged file is not in the commit' \
    sh -c '! git cat-file -e HEAD:staged.txt 2>/dev/null'
check_out 'the committed README is the old one' 'Board papers.' \
    git show HEAD:README
check_out 'the committed plan is v1, not the staged v2' 'Plan v1.' \
    git show HEAD:plan.txt
check_out 'the staged plan is still v2' 'Plan v2.' git show :plan.txt
check_out 'the working plan is still v3' 'Plan v3.' cat plan.txt
check 'the deleted file is still in HEAD' git cat-file -e HEAD:old.txt
check 'the deleted file is still deleted' test ! -e old.txt
check_out 'the untracked notes are untouched' 'My notes.' \
    cat recommendations/drafts/notes.md
check_out 'the new record is in the index as committed' '' \
    git diff --cached HEAD -- recommendations/IC-0001.yaml
check_out 'the new record is in the working tree as committed' '' \
    git diff HEAD -- recommendations/IC-0001.yaml

# More changes with the user's work around.
mkrec industrial-capacity 'Second' >/dev/null		# IC-0002
printf 'title: Third\nworking_group: industrial-capacity\nsummary: |\n  S.\nactions:\n  - text: Act.\n    owner: Nations\n' \
    >"$TROOT/act.yaml"
dipb recommend --from "$TROOT/act.yaml" --no-edit >/dev/null 2>&1	# IC-0003
mkrec industrial-capacity 'Fourth' >/dev/null		# IC-0004
mkrec industrial-capacity 'Fifth' >/dev/null		# IC-0005
check_change IC-0001/2-review-requested 'draft -> in-review' '' \
    dipb review IC-0001 --request
user_work_kept 'review --request: the user'"'"'s work kept'
drive IC-0002 endorsed
drive IC-0003 submitted
drive IC-0005 endorsed
user_work_kept 'review, submit: the user'"'"'s work kept'
as secretary
check_change IC-0003/6-decided 'submitted -> decided' '' \
    dipb decide IC-0003 --outcome agreed
user_work_kept 'decide: the user'"'"'s work kept'
CLEAN=1

# --- a record with uncommitted edits is refused ---------------------------------------
dirty() {	# dirty ID: a hand edit of the record's title
	sedit "recommendations/$1.yaml" "s/^title: .*/title: Hand edit of $1/"
}
# msg ID [STATUS]: the refusal of a record with hand edits: commit them
# with edit --no-edit while an edit may, else (STATUS given: the status
# no edit is allowed from) drop them, from the index too (dipb-edit(1)).
msg() {
	if [ $# -eq 1 ]; then
		echo "dipb: recommendations/$1.yaml has uncommitted changes (commit them with 'dipb edit $1 --no-edit')"
	else
		echo "dipb: recommendations/$1.yaml has uncommitted changes ($1 is $2: no edit commits them; drop them with 'git checkout HEAD -- recommendations/$1.yaml')"
	fi
}

dirty IC-0001
as rev1
check_refused 1 "$(msg IC-0001 in-review)" 'review --endorse of a record in review with hand edits: exit 1, naming the file, saying to drop them' \
    dipb review IC-0001 --endorse
check_file_has 'the hand edit is still there' recommendations/IC-0001.yaml \
    '^title: Hand edit of IC-0001$'
git add recommendations/IC-0001.yaml
check_refused 1 "$(msg IC-0001 in-review)" 'review --endorse of a record with staged edits: exit 1' \
    dipb review IC-0001 --endorse
as drafter
check_refused 1 'IC-0001 is in-review: cannot edit' \
    'edit --no-edit, which the advice does not name, is refused in review' \
    dipb edit IC-0001 --no-edit
check 'the advice: git checkout HEAD -- PATH drops the staged edit' \
    git checkout HEAD -- recommendations/IC-0001.yaml
check_out 'the record is as committed, in the index and the working tree' \
    '' git status --porcelain -- recommendations/IC-0001.yaml
as rev1

as drafter
dirty IC-0004
check_refused 1 "$(msg IC-0004)" 'review --request of a record with hand edits: exit 1' \
    dipb review IC-0004 --request

as secretary
dirty IC-0002
check_refused 1 "$(msg IC-0002 endorsed)" 'submit of a record with hand edits: exit 1' \
    dipb submit IC-0002
check_refused 1 "$(msg IC-0002 endorsed)" \
    'submit of a clean and a dirty record: exit 1, nothing written' \
    dipb submit IC-0005 IC-0002
check_eq 'the clean record was not submitted' endorsed "$(status_of IC-0005)"
git checkout -q -- recommendations/IC-0002.yaml

as secretary
run dipb submit IC-0002
dirty IC-0002
check_refused 1 "$(msg IC-0002 submitted)" 'decide on a record with hand edits: exit 1' \
    dipb decide IC-0002 --outcome agreed
git checkout -q -- recommendations/IC-0002.yaml

printf '\n# a comment added by hand\n' >>recommendations/IC-0003.yaml
check_refused 1 "$(msg IC-0003 decided)" 'action on a record with hand edits: exit 1' \
    dipb action IC-0003 1 --done
git checkout -q -- recommendations/IC-0003.yaml

dirty IC-0004
check_refused 1 "$(msg IC-0004)" 'withdraw of a record with hand edits: exit 1' \
    dipb withdraw IC-0004 -m 'Withdrawn.'

# A record file deleted, or a folder in its place: no dipb change commits
# that (edit --no-edit has no file to read), and git puts the file back.
# gone ID [FROM]: the refusal, its advice 'git checkout [FROM ]-- PATH'
# (from the index, which may hold a staged edit, unless FROM is HEAD).
gone() {
	echo "dipb: recommendations/$1.yaml is not in the working tree as a file (deleted): put it back with 'git checkout ${2:+$2 }-- recommendations/$1.yaml'"
}
git checkout -q -- recommendations/IC-0004.yaml
rm recommendations/IC-0004.yaml
as drafter
check_refused 1 "$(gone IC-0004)" 'review --request of a deleted record file: exit 1, saying how to put it back' \
    dipb review IC-0004 --request
check_refused 1 "$(gone IC-0004)" 'edit --no-edit of a deleted record file: exit 1, not an I/O error' \
    dipb edit IC-0004 --no-edit
mkdir recommendations/IC-0004.yaml
check_refused 1 "dipb: recommendations/IC-0004.yaml is a folder in the working tree, not the record's file: move the folder away (git checkout would delete it, and every file in it), then put the file back with 'git checkout -- recommendations/IC-0004.yaml'" 'edit --no-edit of a folder in its place: exit 1, move it away first' \
    dipb edit IC-0004 --no-edit
rmdir recommendations/IC-0004.yaml
# Removed with 'git rm', its deletion staged: the index has no entry to
# put back, and the advice must work all the same (from HEAD).
git rm -q recommendations/IC-0004.yaml
check_refused 1 "$(gone IC-0004 HEAD)" 'review --request of a record removed with git rm: exit 1' \
    dipb review IC-0004 --request
cp "$ERR" "$TROOT/rm.err"
advice_puts_back() {
	_a=$(sed -n "s/.*put it back with '\([^']*\)'.*/\1/p" "$TROOT/rm.err")
	[ -n "$_a" ] && sh -c "$_a" && [ -f "$1" ] &&
	    git diff --quiet HEAD -- "$1" && git diff --cached --quiet HEAD -- "$1"
}
check 'a record removed with git rm: the advice puts it back, file and index entry' \
    advice_puts_back recommendations/IC-0004.yaml
git checkout -q HEAD -- recommendations/IC-0004.yaml
# A staged edit, then the file deleted: the advice puts the staged edit
# back (git show :PATH the oracle), not HEAD's file.
sedit recommendations/IC-0004.yaml 's/^title: .*/title: Staged then deleted/'
git add recommendations/IC-0004.yaml
rm recommendations/IC-0004.yaml
check_refused 1 "$(gone IC-0004)" 'review --request of a staged edit whose file is deleted: exit 1' \
    dipb review IC-0004 --request
cp "$ERR" "$TROOT/rm.err"
staged_put_back() {
	_a=$(sed -n "s/.*put it back with '\([^']*\)'.*/\1/p" "$TROOT/rm.err")
	[ -n "$_a" ] && sh -c "$_a" &&
	    git show ":$1" | cmp -s - "$1" && grep -q '^title: Staged then deleted$' "$1"
}
check 'a staged edit whose file is deleted: the advice puts the staged edit back' \
    staged_put_back recommendations/IC-0004.yaml
git checkout -q HEAD -- recommendations/IC-0004.yaml
dirty IC-0004

# --- edit --no-edit commits the hand edit, after validating it ---------------------------
as drafter
CLEAN=0
check_change IC-0004/2-edited 'draft -> draft' 'IC-0004: edited by Dan Drafter' \
    dipb edit IC-0004 --no-edit
CLEAN=1
check_eq 'the hand edit is committed' 'Hand edit of IC-0004' "$(field IC-0004 title)"
check_out 'the working tree file is the committed one' '' \
    git diff HEAD -- recommendations/IC-0004.yaml
check_out 'the index entry is the committed one' '' \
    git diff --cached HEAD -- recommendations/IC-0004.yaml
user_work_kept 'edit --no-edit: the user'"'"'s work kept'

# A staged hand edit.
sedit recommendations/IC-0004.yaml 's/^title: .*/title: Staged hand edit/'
git add recommendations/IC-0004.yaml
CLEAN=0
check_change IC-0004/3-edited 'draft -> draft' '' dipb edit IC-0004 --no-edit
CLEAN=1
check_eq 'the staged hand edit is committed' 'Staged hand edit' \
    "$(field IC-0004 title)"
user_work_kept 'after a staged hand edit: the index holds only the user'"'"'s work'

# Invalid hand edits are refused with path:line:col: error: and exit 1.
f=recommendations/IC-0004.yaml
sedit "$f" 's/^title: .*/title: [unclosed/'
check_refused 1 '' 'a hand edit with a YAML syntax error: exit 1' \
    dipb edit IC-0004 --no-edit
check_err_re 'it is reported as path:line:col: error:' \
    '^recommendations/IC-0004\.yaml:[0-9]+:[0-9]+: error: '
check_file_has 'the invalid edit is left in place' "$f" '^title: \[unclosed$'
git checkout -q -- "$f"

sedit "$f" 's/^priority: .*/priority: urgent/'
line=$(grep -n '^priority:' "$f" | cut -d: -f1)
check_refused 1 '' 'a hand edit with priority urgent: exit 1' \
    dipb edit IC-0004 --no-edit
check_err_re "the error points at the priority line ($line)" \
    "^recommendations/IC-0004\\.yaml:$line:[0-9]+: error: "
git checkout -q -- "$f"

printf 'title: A second title\n' >>"$f"
line=$(wc -l <"$f" | tr -d ' ')
check_refused 1 '' 'a hand edit with a duplicate key: exit 1' \
    dipb edit IC-0004 --no-edit
check_err_re "the error points at the duplicate ($line)" \
    "^recommendations/IC-0004\\.yaml:$line:[0-9]+: error: "
git checkout -q -- "$f"

sedit "$f" '/^summary:/,/^[a-z]/{/^summary:/d;/^  /d;}'
check_refused 1 '' 'a hand edit removing the summary: exit 1' \
    dipb edit IC-0004 --no-edit
check_err_re 'it is reported as path:line:col: error:' \
    '^recommendations/IC-0004\.yaml:[0-9]+:[0-9]+: error: '
git checkout -q -- "$f"

user_work_kept 'after every refusal: the user'"'"'s work is as it was'
check_fsck

# --- an entry of the user's beside a file dipb writes -------------------------------
#
# A working file is written to a temporary file of dipb's own beside it,
# then renamed over it: a name an entry of the user's has (a folder
# FILE.dipb-tmp, an untracked file, one committed with plain git) is
# neither taken nor removed, and the change leaves the index and the
# working file in step with it (dipb-git(7)).
new_board tmpnames
as drafter
mkrec industrial-capacity 'Beside a folder' >/dev/null		# IC-0001
mkrec industrial-capacity 'Beside a file' >/dev/null		# IC-0002
mkdir recommendations/IC-0001.yaml.dipb-tmp
echo 'mine' >recommendations/IC-0001.yaml.dipb-tmp/notes.txt
echo 'my file' >recommendations/IC-0002.yaml.dipb-tmp
# $1: what is checked; the record's file and the index at the tip.
in_step() {
	check_eq "$1: the record's working file and index entry in step" \
	    '' "$(git status --porcelain -- recommendations/IC-0001.yaml \
	    recommendations/IC-0002.yaml dipb.yaml)"
	check_eq "$1: no warning of a working tree out of step" '' \
	    "$(grep 'not in step' "$ERR")"
}
CLEAN=0 check_change IC-0001/2-review-requested 'draft -> in-review' '' \
    dipb review IC-0001 --request
in_step 'a folder IC-0001.yaml.dipb-tmp'
CLEAN=0 check_change IC-0001/3-recalled '' '' \
    dipb review IC-0001 --recall
in_step 'a second change beside the folder'
CLEAN=0 check_change IC-0002/2-review-requested 'draft -> in-review' '' \
    dipb review IC-0002 --request
in_step 'an untracked file IC-0002.yaml.dipb-tmp'
check_eq 'the untracked file is kept as it was' 'my file' \
    "$(cat recommendations/IC-0002.yaml.dipb-tmp)"
check_eq 'the folder is kept as it was' 'mine' \
    "$(cat recommendations/IC-0001.yaml.dipb-tmp/notes.txt)"
check_eq 'git sees the user'"'"'s entries alone as untracked' \
    '?? recommendations/IC-0001.yaml.dipb-tmp/notes.txt
?? recommendations/IC-0002.yaml.dipb-tmp' \
    "$(git status --porcelain --untracked-files=all)"
# The name a change gives its temporary file (FILE.dipb-tmp.BLOB, which
# the next command removes if a kill left it) taken by a folder of the
# user's: left alone, another name used.  The same change made twice, at
# the same time, writes the same blob.
mkrec industrial-capacity 'Beside its blob' >/dev/null		# IC-0003
at 2026-01-05
run dipb review IC-0003 --request
blob=$(git rev-parse HEAD:recommendations/IC-0003.yaml)
git tag -d IC-0003/2-review-requested >/dev/null
git reset -q --hard HEAD~1
mkdir "recommendations/IC-0003.yaml.dipb-tmp.$blob"
touch "recommendations/IC-0003.yaml.dipb-tmp.$blob/mine"
CLEAN=0 check_change IC-0003/2-review-requested 'draft -> in-review' '' \
    dipb review IC-0003 --request
today
check_eq 'a folder named as the temporary file: the same blob written, in step, the folder kept' \
    "$blob  mine" \
    "$(git rev-parse HEAD:recommendations/IC-0003.yaml) $(git status --porcelain -- recommendations/IC-0003.yaml) $(ls "recommendations/IC-0003.yaml.dipb-tmp.$blob")"
rm -r "recommendations/IC-0003.yaml.dipb-tmp.$blob"
# A file of the user's of that name is theirs too, kept byte for byte,
# unless it holds what dipb writes there, whole or a first part of it (a
# write a kill cut short), which the next change writing the blob
# removes (it was removed whatever it held, before).
mkrec industrial-capacity 'Beside a file of its blob' >/dev/null	# IC-0004
at 2026-01-05
run dipb review IC-0004 --request
blob=$(git rev-parse HEAD:recommendations/IC-0004.yaml)
tmp=recommendations/IC-0004.yaml.dipb-tmp.$blob
git cat-file blob "$blob" >"$TROOT/blob4"
# again ID CMD...: ID's review request undone, CMD run, then the request
# made again.
again() {
	_id=$1
	shift
	git tag -d "$_id/2-review-requested" >/dev/null
	git reset -q --hard HEAD~1
	"$@"
	CLEAN=0 check_change "$_id/2-review-requested" 'draft -> in-review' \
	    '' dipb review "$_id" --request
}
mine() { printf 'my notes\n' >"$tmp"; cp "$tmp" "$TROOT/mine4"; }
again IC-0004 mine
check_eq 'a file of the user'"'"'s named as the temporary file: the same blob written, in step' \
    "$blob " \
    "$(git rev-parse HEAD:recommendations/IC-0004.yaml) $(git status --porcelain -- recommendations/IC-0004.yaml)"
check 'and the user'"'"'s file kept byte for byte' cmp "$TROOT/mine4" "$tmp"
check_eq 'git sees it as untracked' "?? $tmp" \
    "$(git status --porcelain --untracked-files=all -- "$tmp")"
rm -f "$tmp"
whole4() { cp "$TROOT/blob4" "$tmp"; }
part4() { head -c 20 "$TROOT/blob4" >"$tmp"; }
for left in whole4 part4; do
	again IC-0004 "$left"
	check_eq "what a killed dipb left ($left): removed by the change writing the blob" \
	    "$blob " \
	    "$(git rev-parse HEAD:recommendations/IC-0004.yaml) $(git status --porcelain --untracked-files=all -- "recommendations/IC-0004.yaml*")"
done
rm -f "$tmp"
# What it holds is the working file's bytes, through the path's filters,
# whatever their line ends: under eol=crlf, a file of the blob's LF bytes
# is what a dipb killed before .gitattributes said eol=crlf left, and
# removed too (dipb-git(7)); one of other bytes is the user's (above).
_here=$PWD
new_board tmpcrlf
echo 'recommendations/*.yaml text eol=crlf' >>.gitattributes
git add .gitattributes && git commit -q -m 'CRLF records'
as drafter
mkrec industrial-capacity 'Beside a file of its blob' >/dev/null	# IC-0001
run dipb review IC-0001 --request
blob=$(git rev-parse HEAD:recommendations/IC-0001.yaml)
tmp=recommendations/IC-0001.yaml.dipb-tmp.$blob
git cat-file blob "$blob" >"$TROOT/blob1"
lf1() { cp "$TROOT/blob1" "$tmp"; }
again IC-0001 lf1
check_eq 'eol=crlf: what a killed dipb left with the blob'"'"'s LF bytes: removed' \
    "$blob " \
    "$(git rev-parse HEAD:recommendations/IC-0001.yaml) $(git status --porcelain --untracked-files=all)"
rm -f "$tmp"
crlf1() { sed 's/$/\r/' "$TROOT/blob1" >"$tmp"; }
again IC-0001 crlf1
check_eq 'eol=crlf: what a killed dipb left (CRLF line ends): removed' \
    "$blob " \
    "$(git rev-parse HEAD:recommendations/IC-0001.yaml) $(git status --porcelain --untracked-files=all)"
# A dipb killed after its branch moved and before the working file was
# renamed into place (the temporary file made here as it writes it), then
# .gitattributes changed before the next command (eol=crlf there, LF
# here): the next command, finishing the change, removes it; git status
# shows .gitattributes alone, never the temporary file.
new_board tmpattr
as drafter
mkrec industrial-capacity 'Killed before the rename' >/dev/null	# IC-0001
run env DIPB_FAULT=branch dipb review IC-0001 --request
_rc0=$RC
blob=$(git rev-parse HEAD:recommendations/IC-0001.yaml)
tmp=recommendations/IC-0001.yaml.dipb-tmp.$blob
git cat-file blob "$blob" >"$tmp"
echo 'recommendations/*.yaml text eol=crlf' >>.gitattributes
run dipb list
check_eq 'killed before the rename, .gitattributes changed since: exit 137, then the next command removes the temporary file' \
    "137 0  M .gitattributes|" \
    "$_rc0 $RC $(git status --porcelain --untracked-files=all | tr '\n' '|')"
cd "$_here" || exit 1
today
# Committed with plain git, as a pull would bring it: dipb.yaml written
# beside it by migrate.
mkdir dipb.yaml.dipb-tmp
echo 'notes' >dipb.yaml.dipb-tmp/notes.txt
git add dipb.yaml.dipb-tmp
git commit -q -m 'Notes'
as chair
run dipb migrate --layout sharded
check_eq 'migrate beside a committed dipb.yaml.dipb-tmp/: exit 0' 0 "$RC"
in_step 'migrate beside a committed folder dipb.yaml.dipb-tmp'
check_eq 'migrate: git status is the user'"'"'s untracked entries alone' \
    '?? recommendations/IC-0001.yaml.dipb-tmp/notes.txt
?? recommendations/IC-0002.yaml.dipb-tmp' \
    "$(git status --porcelain --untracked-files=all)"
# init: dipb.yaml and .gitattributes, each beside a folder of that name.
mkdir "$TROOT/tmpinit" && cd "$TROOT/tmpinit" && git init -q || exit 1
mkdir dipb.yaml.dipb-tmp .gitattributes.dipb-tmp
touch dipb.yaml.dipb-tmp/a .gitattributes.dipb-tmp/a
run dipb init --config "$BOARD_CONFIG"
check_eq 'init beside folders dipb.yaml.dipb-tmp and .gitattributes.dipb-tmp: exit 0' \
    0 "$RC"
check_eq 'init: git status is those folders alone' \
    '?? .gitattributes.dipb-tmp/a
?? dipb.yaml.dipb-tmp/a' \
    "$(git status --porcelain --untracked-files=all)"
check_fsck
finish

#!/bin/sh
# tests/cli/compat-files.sh - the working files dipb writes and reads are
# those git would check out (line endings, ident, modes), a filter driver
# libgit2 cannot run is refused before any change, no symbolic link is
# followed out of the working tree, and dipb init in an existing
# repository keeps the user's .gitattributes and work (dipb-git(7),
# "Working files and attributes").  Each setting is made with git, then
# checked with git, the setting in force.
. "$(dirname "$0")/lib.sh"

# plain_board NAME: a board with a record IC-0001, whose .gitattributes
# no longer pins *.yaml to LF (an older board, or a user's choice), so
# core.autocrlf and the user's attributes decide.
plain_board() {
	new_board "$1" || return 1
	git rm -q .gitattributes
	git commit -q -m 'no attributes'
	as drafter
	mkrec industrial-capacity 'Alpha' >/dev/null
}

# recheckout: the working files rewritten by git, as a fresh checkout in
# the setting now in force.
recheckout() {
	git ls-files -z | xargs -0 rm -f
	git checkout -q -- .
}

# check_as_checkout DESC PATH: PATH holds the bytes and the mode git's own
# checkout of it writes.
check_as_checkout() {
	cp -p "$2" "$TROOT/dipb-wrote"
	_m1=$(stat -c %a "$2")
	rm -f "$2"
	git checkout -q -- "$2"
	_m2=$(stat -c %a "$2")
	if ! cmp -s "$TROOT/dipb-wrote" "$2"; then
		not_ok "$1" "dipb wrote: $(od -c "$TROOT/dipb-wrote" | head -n 3)" \
		    "git writes: $(od -c "$2" | head -n 3)"
	elif [ "$_m1" != "$_m2" ]; then
		not_ok "$1" "dipb wrote mode $_m1, git writes $_m2"
	else
		ok "$1"
	fi
}

has_cr() { grep -q "$(printf '\r')" "$1"; }

# --- core.autocrlf=true --------------------------------------------------------
plain_board autocrlf-true
git config core.autocrlf true
recheckout
check 'autocrlf=true: git checks out CRLF files' has_cr dipb.yaml
as drafter
check 'autocrlf=true: dipb recommend' mkrec industrial-capacity 'Bravo'
check 'autocrlf=true: the new record is written with CRLF, as git would' \
    has_cr recommendations/IC-0002.yaml
check_git_agrees 'autocrlf=true: git agrees after recommend'
check 'autocrlf=true: dipb review --request of a CRLF record' \
    dipb review IC-0001 --request
check_git_agrees 'autocrlf=true: git agrees after review'
check 'autocrlf=true: git diff is empty (the index entries'"'"' stat data)' \
    git diff --quiet
check_as_checkout 'autocrlf=true: IC-0001 as git checks it out' \
    recommendations/IC-0001.yaml
check_as_checkout 'autocrlf=true: IC-0002 as git checks it out' \
    recommendations/IC-0002.yaml
# A hand edit in CRLF is taken in as git add takes it (LF in the blob).
sed 's/^title: .*/title: Alpha edited/' recommendations/IC-0002.yaml \
    >"$TROOT/e" && cat "$TROOT/e" >recommendations/IC-0002.yaml
check 'autocrlf=true: dipb edit --no-edit of a CRLF hand edit' \
    dipb edit IC-0002 --no-edit
check_git_agrees 'autocrlf=true: git agrees after edit --no-edit'
check 'autocrlf=true: the committed record is LF' \
    sh -c '! git show HEAD:recommendations/IC-0002.yaml | grep -q "$(printf "\r")"'
check_as_checkout 'autocrlf=true: the edited record as git checks it out' \
    recommendations/IC-0002.yaml

# dipb fmt and validate --canonical judge the form as git would commit
# the file: the CRLF line ends git checked out, and makes LF again, are
# none of it; a file out of form is written as git checks it out
# (dipb-fmt(1)).
check 'autocrlf=true: dipb fmt --check: every record in canonical form' \
    dipb fmt --check
check 'autocrlf=true: dipb validate --canonical' dipb validate --canonical
printf '# a note\r\n' >>recommendations/IC-0002.yaml
check_refused 1 '1 error and 0 warnings' \
    'autocrlf=true: a comment added is out of form for validate --canonical' \
    dipb validate --canonical
check_out 'autocrlf=true: dipb fmt rewrites that file alone' \
    recommendations/IC-0002.yaml dipb fmt
check 'autocrlf=true: ... with CRLF, as git checks it out' \
    has_cr recommendations/IC-0002.yaml
check_git_agrees 'autocrlf=true: git agrees after dipb fmt'
# Where git would commit the CRs, they are out of form.
git config core.autocrlf false
check_refused 1 'files not in canonical form' \
    'autocrlf=false: the CRLF files are out of form for dipb fmt --check' \
    dipb fmt --check
git config core.autocrlf true
# A file in no repository at all is its bytes: its CRs are out of form.
mkdir "$TROOT/norepo"
cp recommendations/IC-0002.yaml "$TROOT/norepo/"
run dipb validate --canonical "$TROOT/norepo/IC-0002.yaml"
check_eq 'a CRLF record in no repository: out of form by its bytes' \
    '1 canonical' "$RC $(grep -o -F canonical "$OUT" | sort -u)"
check_out 'a CRLF record in no repository: dipb fmt --check names it' \
    "$TROOT/norepo/IC-0002.yaml" sh -c 'dipb fmt --check "$1"; [ $? = 1 ]' \
    sh "$TROOT/norepo/IC-0002.yaml"

# --- core.autocrlf=input -------------------------------------------------------
plain_board autocrlf-input
git config core.autocrlf input
recheckout
as drafter
check 'autocrlf=input: dipb recommend' mkrec industrial-capacity 'Bravo'
check 'autocrlf=input: dipb review --request' dipb review IC-0001 --request
check_git_agrees 'autocrlf=input: git agrees'
check_as_checkout 'autocrlf=input: IC-0001 as git checks it out (LF)' \
    recommendations/IC-0001.yaml

# --- eol=crlf in .gitattributes --------------------------------------------
plain_board eol-crlf
echo '*.yaml text eol=crlf' >.gitattributes
git add .gitattributes 2>/dev/null
git commit -q -m 'records in CRLF'
recheckout
as drafter
check 'eol=crlf: dipb recommend' mkrec industrial-capacity 'Bravo'
check 'eol=crlf: the new record is CRLF' has_cr recommendations/IC-0002.yaml
check 'eol=crlf: dipb review --request' dipb review IC-0001 --request
check_git_agrees 'eol=crlf: git agrees'
check_as_checkout 'eol=crlf: IC-0001 as git checks it out' \
    recommendations/IC-0001.yaml

# --- text=auto with core.eol=crlf ------------------------------------------
plain_board text-auto
echo '* text=auto' >.gitattributes
git add .gitattributes 2>/dev/null
git commit -q -m 'text=auto'
git config core.eol crlf
recheckout
as drafter
check 'text=auto, core.eol=crlf: dipb recommend' \
    mkrec industrial-capacity 'Bravo'
check 'text=auto, core.eol=crlf: dipb review --request' \
    dipb review IC-0001 --request
check_git_agrees 'text=auto, core.eol=crlf: git agrees'
check_as_checkout 'text=auto, core.eol=crlf: IC-0001 as git checks it out' \
    recommendations/IC-0001.yaml
check 'text=auto, core.eol=crlf: the record is CRLF' \
    has_cr recommendations/IC-0001.yaml

# --- a record committed with CRLF (a Windows clone), no eol attribute ------
# Where core.autocrlf guesses, git keeps the CRs of a file whose index
# entry already holds CRLF (git's "safe autocrlf"): git status takes the
# file as it is, and so does dipb, before a change and when it brings the
# working file in step after one.

# commit_crlf PATH: PATH committed with CRLF line ends by plain git, as a
# Windows clone would; the working files are checked out anew later.
commit_crlf() {
	_cr=$(git show "HEAD:$1" | sed "s/\$/$(printf '\r')/" |
	    git hash-object -w --stdin --no-filters)
	git update-index --cacheinfo "100644,$_cr,$1"
	git commit -q -m "$1 with CRLF"
}

# check_status DESC: git status is clean and the index holds HEAD's tree
# (check_git_agrees but dipb verify, which names commit_crlf's commit
# for the plain commit it is).
check_status() {
	check_eq "$1" '[] index=HEAD' "[$(git status --porcelain)] $(
	    git diff --cached --quiet HEAD && echo index=HEAD)"
}

for ac in input true; do
	plain_board "crlf-blob-$ac"
	commit_crlf recommendations/IC-0001.yaml
	git config core.autocrlf $ac
	recheckout
	check_eq "CRLF blob, autocrlf=$ac: git status is clean" '' \
	    "$(git status --porcelain)"
	as drafter
	check "CRLF blob, autocrlf=$ac: dipb review --request" \
	    dipb review IC-0001 --request
	check "CRLF blob, autocrlf=$ac: the working file holds the change" \
	    grep -q '^status: in-review' recommendations/IC-0001.yaml
	check_status "CRLF blob, autocrlf=$ac: git status is clean after it"
	check_as_checkout "CRLF blob, autocrlf=$ac: IC-0001 as git checks it out" \
	    recommendations/IC-0001.yaml
done
# The file read for its content (its stat data stale), not taken on trust;
# with core.autocrlf set as 'true', and as a bare key, which git reads as
# true too.
for ac in true bare; do
	plain_board "crlf-blob-touched-$ac"
	commit_crlf recommendations/IC-0001.yaml
	if [ "$ac" = bare ]; then
		printf '[core]\n\tautocrlf\n' >>.git/config
	else
		git config core.autocrlf true
	fi
	recheckout
	touch -d '1 minute' recommendations/IC-0001.yaml
	as drafter
	check "CRLF blob, autocrlf $ac, file touched: dipb review --request (unchanged, as git status says)" \
	    dipb review IC-0001 --request
	check "CRLF blob, autocrlf $ac, file touched: the working file holds the change" \
	    grep -q '^status: in-review' recommendations/IC-0001.yaml
	check_status "CRLF blob, autocrlf $ac, file touched: git status is clean after it"
done

# Under dipb init's 'text eol=lf' git converts whatever the index holds:
# the CRLF file of a CRLF blob differs from it by content, yet git status
# trusts the index entry's stat data while they hold, and so does dipb,
# before a change and when it brings the file in step.
new_board crlf-blob-eol-lf
as drafter
mkrec industrial-capacity 'Alpha' >/dev/null
commit_crlf recommendations/IC-0001.yaml
echo '*.yaml -text' >.git/info/attributes
recheckout
sleep 1
git status --porcelain >/dev/null	# the entry gets the file's stat data
rm .git/info/attributes
check_eq 'CRLF blob, text eol=lf, stat data fresh: git status is clean' '' \
    "$(git status --porcelain)"
check 'CRLF blob, text eol=lf, stat data fresh: dipb review --request' \
    dipb review IC-0001 --request
check 'CRLF blob, text eol=lf, stat data fresh: the working file holds the change' \
    grep -q '^status: in-review' recommendations/IC-0001.yaml
check_status 'CRLF blob, text eol=lf, stat data fresh: git status is clean after it'

# Read for its content (the file touched), that CRLF file is what git add
# makes LF: git status shows it changed, every command sends the user to
# 'dipb edit --no-edit', and that commits it as git add takes it in (the
# blob made LF, dipb-git(7)); dipb fmt has nothing to do with it.
new_board crlf-blob-renormalise
as drafter
mkrec industrial-capacity 'Alpha' >/dev/null
commit_crlf recommendations/IC-0001.yaml
recheckout
touch -d '1 minute' recommendations/IC-0001.yaml
check_eq 'CRLF blob, text eol=lf, file read: git status shows it changed' \
    ' M recommendations/IC-0001.yaml' "$(git status --porcelain)"
check_refused 1 "has uncommitted changes (commit them with 'dipb edit IC-0001 --no-edit')" \
    'CRLF blob, text eol=lf, file read: review --request sends the user to edit' \
    dipb review IC-0001 --request
check 'CRLF blob, text eol=lf, file read: dipb edit --no-edit commits it' \
    dipb edit IC-0001 --no-edit
check 'CRLF blob, text eol=lf, file read: the committed record is LF' \
    sh -c '! git show HEAD:recommendations/IC-0001.yaml | grep -q "$(printf "\r")"'
check_status 'CRLF blob, text eol=lf, file read: git status is clean after the edit'
check 'CRLF blob, text eol=lf, file read: then dipb review --request' \
    dipb review IC-0001 --request
check_status 'CRLF blob, text eol=lf, file read: git status is clean after review'

# --- ident -------------------------------------------------------------------
plain_board ident
printf '*.yaml ident\n' >.gitattributes
git add .gitattributes 2>/dev/null
git commit -q -m ident
as drafter
check 'ident: dipb recommend of a record holding $Id$' \
    dipb recommend --wg industrial-capacity --title 'Bravo' --no-edit \
    --summary 'Version $Id$ of this.'
check 'ident: $Id$ is expanded in the working file, as git does' \
    grep -q '\$Id: [0-9a-f]\{40\} \$' recommendations/IC-0002.yaml
check 'ident: dipb review --request of it (it is clean)' \
    dipb review IC-0002 --request
check_git_agrees 'ident: git agrees'
check 'ident: git diff is empty' git diff --quiet
check_as_checkout 'ident: IC-0002 as git checks it out' \
    recommendations/IC-0002.yaml

# --- a filter driver: refused before any change ---------------------------
plain_board filter
printf 'recommendations/*.yaml filter=upper\n' >.gitattributes
git add .gitattributes 2>/dev/null
git commit -q -m 'a filter'
git config filter.upper.smudge rev
git config filter.upper.clean rev
# The file as git's checkout smudges it, and its stat data stale.
rm recommendations/IC-0001.yaml
git checkout -- recommendations/IC-0001.yaml
touch -d '1 hour ago' recommendations/IC-0001.yaml
as drafter
# First with no git command before (git status would refresh the stat
# data): the dirty check itself must not hash without the filter.
_h=$(git rev-parse HEAD)
run dipb review IC-0001 --request
check_eq 'filter driver, stale stat data: review exits 5' 5 "$RC"
check_err 'filter driver, stale stat data: ... naming the filter' \
    'filter=upper runs filter.upper.smudge'
check_eq 'filter driver, stale stat data: ... nothing committed' "$_h" \
    "$(git rev-parse HEAD)"
check_refused 5 'filter=upper runs filter.upper.smudge' \
    'filter driver with commands: review refused, nothing written' \
    dipb review IC-0001 --request
check_refused 5 "take dipb's files out of the filter" \
    'filter driver with commands: recommend refused, nothing written' \
    dipb recommend --wg industrial-capacity --title T --summary S --no-edit
check_refused 5 'filter=upper' \
    'filter driver with commands: edit --no-edit refused, nothing written' \
    dipb edit IC-0001 --no-edit
git config --unset filter.upper.smudge
git config --unset filter.upper.clean
rm recommendations/IC-0001.yaml
git checkout -q -- recommendations/IC-0001.yaml
git config filter.upper.required true
check_refused 5 'filter.upper.required set and no command' \
    'a required filter with no command: refused, nothing written' \
    dipb review IC-0001 --request
git config filter.upper.required false
check 'a filter with no command, not required: git passes the bytes, so does dipb' \
    dipb review IC-0001 --request
check_git_agrees 'a filter with no command: git agrees'

# --- executable records ------------------------------------------------------
# The record made executable in its own dipb commit (amended, the tag
# made again), as if the board had always had it so: dipb verify agrees.
new_board exec
as drafter
mkrec industrial-capacity 'Alpha' >/dev/null
chmod +x recommendations/IC-0001.yaml
git add recommendations/IC-0001.yaml
_t=$(git tag --points-at HEAD)
git tag -l --format='%(contents)' "$_t" >"$TROOT/tagmsg"
git commit -q --amend -C HEAD
git tag -f -a -F "$TROOT/tagmsg" "$_t" HEAD >/dev/null
check_git_agrees 'executable record: the set-up is a board git and dipb accept'
# Under another umask, a rewrite keeps 0777 less that umask, as git.
( umask 077
  sed -i 's/^title: .*/title: Alpha again/' recommendations/IC-0001.yaml
  check 'executable record, umask 077: dipb edit --no-edit' \
      dipb edit IC-0001 --no-edit
  check_eq 'executable record, umask 077: mode 700' 700 \
      "$(stat -c %a recommendations/IC-0001.yaml)"
  check_as_checkout 'executable record, umask 077: as git checks it out' \
      recommendations/IC-0001.yaml )
check_git_agrees 'executable record: git agrees after edit'
check 'executable record: dipb review --request' dipb review IC-0001 --request
check_out 'executable record: still 100755 in the tree' 100755 \
    sh -c 'git ls-tree HEAD recommendations/IC-0001.yaml | cut -c1-6'
check_git_agrees 'executable record: git agrees (index mode, file mode)'
check_as_checkout 'executable record: the file as git checks it out (0777 less the umask)' \
    recommendations/IC-0001.yaml
check 'a plain record next to it: dipb recommend' \
    mkrec industrial-capacity 'Bravo'
check_as_checkout 'a plain record: 0666 less the umask, as git' \
    recommendations/IC-0002.yaml

# --- a record replaced by a symbolic link --------------------------------
new_board link
as drafter
mkrec industrial-capacity 'Alpha' >/dev/null
# Not canonical (a comment): a write through the link would change it.
{ echo '# the canary'
  sed 's/^title: .*/title: Canary/' recommendations/IC-0001.yaml
} >"$TROOT/canary"
cp "$TROOT/canary" "$TROOT/canary.before"
rm recommendations/IC-0001.yaml
ln -s "$TROOT/canary" recommendations/IC-0001.yaml
check_refused 1 'recommendations/IC-0001.yaml is a symbolic link' \
    'symbolic link record: review refused, nothing written' \
    dipb review IC-0001 --request
check_refused 1 'recommendations/IC-0001.yaml is a symbolic link' \
    'symbolic link record: edit --no-edit refused (not read)' \
    dipb edit IC-0001 --no-edit
check 'symbolic link record: the file outside is untouched' \
    cmp -s "$TROOT/canary" "$TROOT/canary.before"
check 'symbolic link record: still a link' test -L recommendations/IC-0001.yaml
echo 'not: [valid' >"$TROOT/canary"
run dipb validate
cat "$OUT" "$ERR" >"$TROOT/said"
check_eq 'symbolic link record: validate reports it (a link is no record file)' \
    1 "$RC"
check 'symbolic link record: validate names it [symlink], reads nothing through it' \
    sh -c 'grep -q "^recommendations/IC-0001.yaml:0:0: error: a symbolic link.*\[symlink\]$" "$1" &&
    ! grep -q -e "\[yaml" -e valid "$1"' sh "$TROOT/said"
cp "$TROOT/canary.before" "$TROOT/canary"
run dipb fmt
check 'symbolic link record: fmt writes nothing through it' \
    cmp -s "$TROOT/canary" "$TROOT/canary.before"
# As git would: the link replaced by the file, and dipb works again.
rm recommendations/IC-0001.yaml
git checkout -- recommendations/IC-0001.yaml
check 'symbolic link record: after git checkout, review works' \
    dipb review IC-0001 --request
check_git_agrees 'symbolic link record: git agrees afterwards'
# A link where the next record is to go: git has no file to put back
# there, so the message says to move the link away, not to check it out.
ln -s "$TROOT/canary" recommendations/IC-0002.yaml
check_refused 1 'recommendations/IC-0002.yaml is a symbolic link, and git has no file there to put back' \
    'a link in the new record'"'"'s place: recommend refused, nothing written' \
    dipb recommend --wg industrial-capacity --title T --summary S --no-edit
cp "$ERR" "$TROOT/link.err"
check 'the message does not say to check out a file git does not have' \
    sh -c '! grep -q "git checkout" "$1"' sh "$TROOT/link.err"
rm recommendations/IC-0002.yaml

# --- recommendations/ a symbolic link to outside the working tree ---------
new_board linkdir
as drafter
mkrec industrial-capacity 'Alpha' >/dev/null
mv recommendations "$TROOT/outside"
ln -s "$TROOT/outside" recommendations
(cd "$TROOT/outside" && ls -l --time-style=full-iso && cat ./*) \
    >"$TROOT/outside.before"
check_refused 1 'recommendations is a symbolic link' \
    'recommendations/ a link: review refused, nothing written' \
    dipb review IC-0001 --request
check_refused 1 'recommendations is a symbolic link' \
    'recommendations/ a link: recommend refused, nothing written' \
    dipb recommend --wg industrial-capacity --title T --summary S --no-edit
check_refused 1 'recommendations is a symbolic link' \
    'recommendations/ a link: edit --no-edit refused' \
    dipb edit IC-0001 --no-edit
echo 'not: [valid' >"$TROOT/outside/IC-0009.yaml"
run dipb validate
cat "$OUT" "$ERR" >"$TROOT/said"
rm "$TROOT/outside/IC-0009.yaml"
check_eq 'recommendations/ a link: validate says so (exit 1)' 1 "$RC"
check 'recommendations/ a link: ... naming it, reading nothing through it' \
    sh -c 'grep -q "^recommendations:.*symbolic link" "$1" &&
    ! grep -q IC-00 "$1"' sh "$TROOT/said"
run dipb fmt
check_eq 'recommendations/ a link: fmt says so (exit 1)' 1 "$RC"
check 'recommendations/ a link: the folder outside is untouched' \
    sh -c '(cd "$1/outside" && ls -l --time-style=full-iso && cat ./*) |
    cmp -s - "$1/outside.before"' sh "$TROOT"

# --- dipb init in an existing repository ------------------------------------
mkdir "$TROOT/existing"
cd "$TROOT/existing" || exit 1
git init -q
printf '*.png binary\n*.sh text eol=lf' >.gitattributes	# no final newline
echo hello >README
git add .gitattributes README
git -c user.name=U -c user.email=u@example.org commit -q -m 'user work'
cp .git/config "$TROOT/config.before"
as chair
check 'init in an existing repository with a .gitattributes' \
    dipb init --config "$BOARD_CONFIG"
check 'init: the user'"'"'s .gitattributes lines are in HEAD' \
    sh -c 'git show HEAD:.gitattributes | grep -x -F "*.png binary" &&
    git show HEAD:.gitattributes | grep -x -F "*.sh text eol=lf"'
check 'init: dipb'"'"'s line appended' \
    sh -c 'git show HEAD:.gitattributes | tail -n 1 | grep -x -F "*.yaml text eol=lf"'
check 'init: the working .gitattributes is HEAD'"'"'s' \
    sh -c 'git show HEAD:.gitattributes | cmp -s - .gitattributes'
check 'init: README untouched' sh -c 'test "$(cat README)" = hello'
check 'init: the configuration untouched' cmp -s .git/config "$TROOT/config.before"
check_git_agrees 'init in an existing repository: git agrees'

# The line already there: .gitattributes is left out of the commit.
mkdir "$TROOT/existing2"
cd "$TROOT/existing2" || exit 1
git init -q
printf '*.yaml text eol=lf\n*.txt -text\n' >.gitattributes
git add .gitattributes 2>/dev/null
git -c user.name=U -c user.email=u@example.org commit -q -m 'user work'
echo staged >staged.txt
git add staged.txt
echo unstaged >>.gitattributes
echo wip >wip.txt
as chair
check 'init with the line already there, staged and unstaged work' \
    dipb init --config "$BOARD_CONFIG"
check_out 'init: the commit holds only dipb.yaml' dipb.yaml \
    git diff-tree --no-commit-id --name-only -r HEAD
check_out 'init: the staged work is still staged' staged.txt \
    git diff --cached --name-only
check_out 'init: the unstaged change and the untracked file are still there' \
    "$(printf ' M .gitattributes\nA  staged.txt\n?? wip.txt')" \
    git status --porcelain
check 'init: the user'"'"'s index entries equal HEAD'"'"'s but for the staged file' \
    sh -c 'git ls-files -s dipb.yaml .gitattributes | awk "{print \$1, \$2, \$4}" >"$1/a" &&
    git ls-tree -r HEAD dipb.yaml .gitattributes | awk "{print \$1, \$3, \$4}" | cmp -s - "$1/a"' \
    sh "$TROOT"

# .gitattributes with uncommitted changes, dipb's line missing: refused.
mkdir "$TROOT/existing3"
cd "$TROOT/existing3" || exit 1
git init -q
echo '*.png binary' >.gitattributes
git add .gitattributes 2>/dev/null
git -c user.name=U -c user.email=u@example.org commit -q -m 'user work'
echo '*.jpg binary' >>.gitattributes
as chair
check_refused 1 '.gitattributes has uncommitted changes' \
    'init: a .gitattributes with uncommitted changes: refused, nothing written' \
    dipb init --config "$BOARD_CONFIG"

# With core.autocrlf=true: .gitattributes is written first, so dipb.yaml
# is written by the line init adds (LF), .gitattributes itself in CRLF.
mkdir "$TROOT/existing5"
cd "$TROOT/existing5" || exit 1
git init -q
git config core.autocrlf true
echo '*.png binary' >.gitattributes
git add .gitattributes 2>/dev/null
git -c user.name=U -c user.email=u@example.org commit -q -m 'user work'
as chair
check 'init, autocrlf=true: dipb init' dipb init --config "$BOARD_CONFIG"
check_git_agrees 'init, autocrlf=true: git agrees'
check_as_checkout 'init, autocrlf=true: .gitattributes as git checks it out' \
    .gitattributes
check_as_checkout 'init, autocrlf=true: dipb.yaml as git checks it out' \
    dipb.yaml

# An uncommitted dipb.yaml of the user's: refused, left as it is.
mkdir "$TROOT/existing4"
cd "$TROOT/existing4" || exit 1
git init -q
echo 'my notes' >dipb.yaml
as chair
check_refused 1 'dipb.yaml is in the working tree but not committed' \
    'init: an uncommitted dipb.yaml of the user'"'"'s: refused, nothing written' \
    dipb init --config "$BOARD_CONFIG"
check_out 'init: ... and left as it was' 'my notes' cat dipb.yaml


# An uncommitted 'chmod +x' of a record: git status shows it (core.fileMode),
# so dipb refuses as for an edit, and never undoes it unseen.
new_board filemode
as drafter
mkrec industrial-capacity 'Alpha' >/dev/null
chmod +x recommendations/IC-0001.yaml
check_refused 1 'recommendations/IC-0001.yaml has an uncommitted change of its mode' \
    'chmod +x of a record: review refused, nothing written' \
    dipb review IC-0001 --request
check 'chmod +x of a record: still executable' test -x recommendations/IC-0001.yaml
check_refused 1 'of its mode' 'chmod +x of a record: edit refused too' \
    dipb edit IC-0001 --no-edit
# The index's stat data describing the file: the mode is still compared
# first, as git does ('git add', then 'git update-index --chmod=-x').
git add recommendations/IC-0001.yaml
git update-index --chmod=-x recommendations/IC-0001.yaml
check_eq 'chmod +x, index stat data fresh: git status shows the mode' \
    ' M recommendations/IC-0001.yaml' "$(git status --porcelain)"
check_refused 1 'of its mode' \
    'chmod +x, index stat data fresh: review refused' \
    dipb review IC-0001 --request
# dipb.yaml's mode alike: no edit --board commits it.
git checkout HEAD -- recommendations/IC-0001.yaml
chmod +x dipb.yaml
as chair
check_refused 1 "dipb.yaml has an uncommitted change of its mode" \
    'chmod +x of dipb.yaml: edit --board refused, saying how to drop it' \
    dipb edit --board --no-edit
check_refused 1 "dipb.yaml has an uncommitted change of its mode" \
    'chmod +x of dipb.yaml: migrate refused alike' \
    dipb migrate --layout sharded
as drafter
git config core.fileMode false
check 'core.fileMode false: git sees no change, nor does dipb' \
    dipb review IC-0001 --request

# --- a change staged alone ---------------------------------------------------
# The index entry differs from the commit, the working file does not ('git
# add', then the file put back): no edit commits it, and the refusal says
# how to unstage it rather than send the user to 'dipb edit --no-edit',
# which has nothing to commit.
new_board staged-only
as drafter
mkrec industrial-capacity 'Alpha' >/dev/null
sedit recommendations/IC-0001.yaml 's/^title: .*/title: Staged/'
git add recommendations/IC-0001.yaml
git show HEAD:recommendations/IC-0001.yaml >recommendations/IC-0001.yaml
check_eq 'staged alone: git status shows MM' 'MM recommendations/IC-0001.yaml' \
    "$(git status --porcelain)"
check_refused 1 "what 'git add' staged differs from the commit, the working file does not: no edit commits it; 'git restore --staged recommendations/IC-0001.yaml' unstages it" \
    'staged alone: review --request says to unstage it' \
    dipb review IC-0001 --request
git restore --staged recommendations/IC-0001.yaml
check 'staged alone, unstaged: then dipb review --request' \
    dipb review IC-0001 --request
check_status 'staged alone, unstaged: git status is clean after review'

# fmt of a record committed with CRLF where git keeps the CRs (autocrlf,
# no attribute): its canonical text is written LF, which git add takes in
# as a change, so that fmt ends (it wrote the CRLF again, never canonical,
# before) and dipb edit --no-edit commits it.
plain_board crlf-blob-fmt
commit_crlf recommendations/IC-0001.yaml
git config core.autocrlf true
recheckout
run dipb fmt --check
check_eq 'CRLF blob kept by git: fmt --check finds the CRs out of form' \
    '1|recommendations/IC-0001.yaml' "$RC|$(cat "$OUT")"
check 'CRLF blob kept by git: dipb fmt' dipb fmt
check 'CRLF blob kept by git: then fmt --check is clean' dipb fmt --check
check_eq 'CRLF blob kept by git: git status shows the file changed' \
    ' M recommendations/IC-0001.yaml' "$(git status --porcelain)"
as drafter
check 'CRLF blob kept by git: dipb edit --no-edit commits it' \
    dipb edit IC-0001 --no-edit
check_status 'CRLF blob kept by git: git status is clean after the edit'

# --- a working tree near PATH_MAX ----------------------------------------
# A top of 4,035 bytes: its files' names are within PATH_MAX and git
# writes them, but "<file>.dipb-tmp.<blob id>" from the root is not.  dipb
# writes each working file relative to its folder, as git works relative
# to the top: every change leaves the file written, in the index, and git
# status clean (a change committed whose file was not, exit 0, before).

# long_top LEN: cds into a new folder of $TROOT whose name is LEN bytes,
# made of long parts; 1 where the file system refuses one.
long_top() {
	_seg=$(printf '%0200d' 0)
	cd "$(mktemp -d "$TROOT/long.XXXXXX")" || return 1
	while [ $((${#PWD} + 201)) -lt "$1" ]; do
		mkdir "$_seg" 2>/dev/null && cd "$_seg" || return 1
	done
	_last=$(printf '%0*d' $(($1 - ${#PWD} - 1)) 0)
	mkdir "$_last" 2>/dev/null && cd "$_last" && [ ${#PWD} -eq "$1" ]
}

if ! long_top 4035 || ! git init -q 2>/dev/null; then
	skip 'a working tree near PATH_MAX' 'the file system refuses so long a path'
else
	as chair
	check 'near PATH_MAX: dipb init' dipb init --config "$BOARD_CONFIG"
	check_eq 'near PATH_MAX: git status is clean after init' '' \
	    "$(git status --porcelain)"
	as drafter
	check_change IC-0001/1-drafted '' '' dipb recommend \
	    --wg industrial-capacity --title Alpha --summary S --no-edit
	check_change IC-0002/1-drafted '' '' dipb recommend \
	    --wg industrial-capacity --title Bravo --summary S --no-edit
	check_eq 'near PATH_MAX: the new record is in the index' \
	    'recommendations/IC-0001.yaml' \
	    "$(git ls-files recommendations/IC-0001.yaml)"
	sedit recommendations/IC-0001.yaml 's/^title: .*/title: Alpha, edited/'
	check_change IC-0001/2-edited 'draft -> draft' '' \
	    dipb edit IC-0001 --no-edit
	# Killed as it renames the working file's temporary into place: the
	# next command finishes the change and removes the temporary, named
	# by its blob, though its name from the root is past PATH_MAX (one
	# of the process's own, left for good, before).  The shim kills at
	# the rename onto IC-0001.yaml of a name with ".dipb-tmp." in it,
	# whichever call makes it (rename, renameat, renameat2), marking
	# $TROOT/killed first: no such rename seen is a skip.
	if shim killat '#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
static void at(const char *from, const char *to) {
	const char *b = strrchr(to, 0x2f);
	b = b != NULL ? b + 1 : to;
	if (strcmp(b, "IC-0001.yaml") == 0 && strstr(from, ".dipb-tmp.")) {
		close(open(getenv("KILL_MARK"), O_WRONLY | O_CREAT, 0644));
		kill(getpid(), SIGKILL);
	}
}
int rename(const char *a, const char *b) {
	at(a, b);
	return ((int (*)(const char *, const char *))dlsym(RTLD_NEXT,
	    "rename"))(a, b);
}
int renameat(int fa, const char *a, int fb, const char *b) {
	at(a, b);
	return ((int (*)(int, const char *, int, const char *))dlsym(
	    RTLD_NEXT, "renameat"))(fa, a, fb, b);
}
int renameat2(int fa, const char *a, int fb, const char *b, unsigned f) {
	at(a, b);
	return ((int (*)(int, const char *, int, const char *, unsigned))
	    dlsym(RTLD_NEXT, "renameat2"))(fa, a, fb, b, f);
}'; then
		rm -f "$TROOT/killed"
		env LD_PRELOAD="$TROOT/killat.so" KILL_MARK="$TROOT/killed" \
		    ASAN_OPTIONS="$SHIM_ASAN:detect_leaks=0" \
		    dipb review IC-0001 --request >/dev/null 2>&1
		rc=$?
	fi
	if [ -e "$TROOT/killed" ]; then
		check_eq 'near PATH_MAX: killed at a rename, its temporary left' \
		    1 "$(find recommendations -name 'IC-0001.yaml.dipb-tmp.*' |
		    wc -l | tr -d ' ')"
		run dipb list
		check_eq 'near PATH_MAX: killed at a rename, finished by the next command' \
		    "137 0 IC-0001/3-review-requested" \
		    "$rc $RC $(git tag -l 'IC-0001/3-*')"
		check_eq 'near PATH_MAX: killed at a rename, git status clean after' \
		    '' "$(git status --porcelain)"
	else
		why='no C compiler, or no rename of the temporary seen'
		skip 'near PATH_MAX: killed at a rename, its temporary left' "$why"
		skip 'near PATH_MAX: killed at a rename, finished by the next command' \
		    "$why"
		skip 'near PATH_MAX: killed at a rename, git status clean after' \
		    "$why"
		[ -n "$(git tag -l 'IC-0001/3-*')" ] ||
		    check_change IC-0001/3-review-requested \
		    'draft -> in-review' '' dipb review IC-0001 --request
	fi
	as rev1
	check_change IC-0001/4-reviewed '' '' dipb review IC-0001 --endorse
	as rev2
	check_change IC-0001/5-endorsed '' '' dipb review IC-0001 --endorse
	as secretary
	check_change IC-0001/6-submitted '' '' dipb submit IC-0001 \
	    --reference REF-1
	check_change IC-0001/7-decided '' '' dipb decide IC-0001 \
	    --outcome agreed
	check_change IC-0002/2-withdrawn 'draft -> withdrawn' '' \
	    dipb withdraw IC-0002 -m 'Merged into IC-0001.'
	check 'near PATH_MAX: dipb fmt' dipb fmt
	check_git_agrees 'near PATH_MAX: fsck, status, index, verify clean'
	check_eq 'near PATH_MAX: no temporary file is left' '' \
	    "$(find recommendations -name '*.dipb-tmp*')"
	git ls-files -z | xargs -0 rm -f
	check 'near PATH_MAX: git writes the same files' git checkout -q -- .
	check_eq 'near PATH_MAX: and finds them unchanged' '' \
	    "$(git status --porcelain)"
	cd "$TROOT" || exit 1
fi

finish

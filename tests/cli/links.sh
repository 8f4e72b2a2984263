#!/bin/sh
# tests/cli/links.sh - a symbolic link committed to the board cannot make
# dipb read or write outside the working tree (dipb-validate(1), symlink;
# dipb-report(1), -o).
#
# The attack of issue 12: a committed link named like next month's minutes
# that points at ~/.ssh/authorized_keys, a review comment holding an SSH
# key line, and examples/monthly-minutes.sh run by the secretary.  Then
# records and dipb.yaml that are links - to a file holding a secret, to
# /dev/zero, to a FIFO - in the working tree (validate, fmt) and committed
# (list, report at the tip and at a revision).  git ls-tree is the oracle
# of what a commit holds; a hang fails the check (timeout).
. "$(dirname "$0")/lib.sh"

T="timeout 60"
key='ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBadKeyOfTheAttackerxxxxxxxxxxxxxxxxxxxxxx mallory'

# --- the attack: monthly-minutes.sh and a committed link -----------------
new_board minutes
mkdir -p "$HOME/.ssh"
echo 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOwnKeyOfTheUserxxxxxxxxxxxxxxxxxxxxxxxxxxx me' \
    >"$HOME/.ssh/authorized_keys"
cp "$HOME/.ssh/authorized_keys" "$TROOT/keys.before"
as drafter
at 2026-03-10
id=$(mkrec industrial-capacity 'Framework contracts')
dipb review "$id" --request 2>/dev/null
as rev1
at 2026-03-12
check 'a reviewer comments with an SSH key line' \
    dipb review "$id" --request-changes -m "Please see the annex.
$key
Thanks."
# As examples/monthly-minutes.sh names the minutes of March, in the
# folder it writes to by default: the board's own.
ln -s "$HOME/.ssh/authorized_keys" minutes-2026-03.html
git add minutes-2026-03.html
git commit -q -m 'minutes'
check_eq 'oracle: git holds the minutes as a link (mode 120000)' 120000 \
    "$(git ls-tree HEAD minutes-2026-03.html | cut -d' ' -f1)"
as secretary
run env MONTH=2026-03 DIPB=dipb sh "$DIPB_SRCDIR/examples/monthly-minutes.sh" .
check_eq 'monthly-minutes.sh through a committed link: refused (exit 5)' 5 "$RC"
check_err 'refused: it names the link and why' \
    "/minutes-2026-03.html': it is a symbolic link"
check 'refused: authorized_keys is untouched' \
    cmp -s "$HOME/.ssh/authorized_keys" "$TROOT/keys.before"
check "refused: the attacker's key is nowhere in it" \
    sh -c '! grep -q mallory "$1"' sh "$HOME/.ssh/authorized_keys"
check 'refused: the link is still a link' test -L minutes-2026-03.html

# report -o, straight: the last component, a folder on the way in the
# working tree, and outside it (the user's own links are followed).
check_status 5 'report -o a link in the working tree: refused' \
    dipb report minutes --since 2026-03-01 --format html \
    -o minutes-2026-03.html
check_err 'report -o a link: the message says what to do' \
    'remove it, or name another file'
mkdir -p "$TROOT/outdir" "$TROOT/real"
ln -s "$HOME/.ssh" sshdir
check_status 5 'report -o through a linked folder in the working tree: refused' \
    dipb report status -o sshdir/authorized_keys
check_err 'report -o through a linked folder: it names the folder' \
    "'sshdir' is a symbolic link in the working tree"
mkdir sub
ln -s "$HOME/.ssh" sub/deeper
check_status 5 'report -o through a linked folder deeper in the tree: refused' \
    dipb report status -o sub/deeper/authorized_keys
check_status 5 'report -o through a link, via ..: refused' \
    dipb report status -o sub/../sshdir/authorized_keys
check 'none of these wrote a key' \
    cmp -s "$HOME/.ssh/authorized_keys" "$TROOT/keys.before"
ln -s "$TROOT/real" "$TROOT/outdir/linked"
check 'report -o through the user'"'"'s own folder link outside the tree: written' \
    dipb report status -o "$TROOT/outdir/linked/status.md"
check 'that file is in the folder the link names' test -f "$TROOT/real/status.md"
ln -s "$TROOT/real/status.md" "$TROOT/outdir/status-link.md"
check_status 5 'report -o a link outside the tree: refused all the same' \
    dipb report status -o "$TROOT/outdir/status-link.md"
check 'report -o a new file in the working tree: written' \
    dipb report status -o sub/status.md
check 'report -o: a plain file, not a link' sh -c \
    'test -f sub/status.md && ! test -L sub/status.md'
mkfifo "$TROOT/fifo"
check_status 5 'report -o a FIFO: refused, no hang' \
    $T dipb report status -o "$TROOT/fifo"
check 'report -o a FIFO: still a FIFO' test -p "$TROOT/fifo"

# --- links in the working tree: validate and fmt ---------------------------
new_board wt
as drafter
mkrec industrial-capacity 'Alpha' >/dev/null
echo 'title: TOP-SECRET-CANARY' >"$TROOT/secret"
ln -s "$TROOT/secret" recommendations/IC-0002.yaml
ln -s /dev/zero recommendations/IC-0003.yaml
mkfifo "$TROOT/fifo2"
ln -s "$TROOT/fifo2" recommendations/IC-0004.yaml
mkfifo recommendations/IC-0005.yaml
run $T dipb validate
cat "$OUT" "$ERR" >"$TROOT/said"
check_eq 'validate with links to a secret, /dev/zero, a FIFO: exit 1, no hang' \
    1 "$RC"
for n in 2 3 4; do
	check "validate: recommendations/IC-000$n.yaml reported [symlink]" \
	    grep -q "^recommendations/IC-000$n.yaml:0:0: error: a symbolic link.*\[symlink\]\$" \
	    "$TROOT/said"
done
check 'validate: a FIFO itself is no record file [io]' \
    grep -q '^recommendations/IC-0005.yaml:0:0: error: not a regular file.*\[io\]$' \
    "$TROOT/said"
check 'validate: the secret never leaks' \
    sh -c '! grep -q CANARY "$1"' sh "$TROOT/said"
run $T dipb validate recommendations/IC-0002.yaml recommendations/IC-0003.yaml
cp "$OUT" "$TROOT/o"
check_eq 'validate of the links named: exit 1, no hang' 1 "$RC"
check 'validate of the links named: [symlink], nothing read' sh -c \
    'grep -c "\[symlink\]" "$1" | grep -qx 2 && ! grep -q CANARY "$1"' sh \
    "$TROOT/o"
run $T dipb validate --format json
cp "$OUT" "$TROOT/o"
check 'validate --format json: rule "symlink"' \
    grep -q '"rule":"symlink"' "$TROOT/o"
cp "$TROOT/secret" "$TROOT/secret.before"
run $T dipb fmt
check_eq 'fmt with links: exit 1, no hang' 1 "$RC"
check_err 'fmt: the links reported [symlink]' \
    'recommendations/IC-0002.yaml:0:0: error: a symbolic link'
check 'fmt: nothing written through the link' \
    cmp -s "$TROOT/secret" "$TROOT/secret.before"
check 'fmt: the link stays a link' test -L recommendations/IC-0002.yaml
# A FIFO in a record's place, or in dipb.yaml's: edit never opens it
# (open(2) of a FIFO waits for a writer, for ever), and changes nothing.
head=$(git rev-parse HEAD)
rm recommendations/IC-0001.yaml && mkfifo recommendations/IC-0001.yaml
run $T dipb edit IC-0001 --no-edit
check_eq 'edit of a record that is a FIFO: refused, no hang' 5:1 \
    "$RC:$(grep -c 'IC-0001.yaml: not a regular file' "$ERR")"
rm recommendations/IC-0001.yaml && git checkout -q -- recommendations
mv dipb.yaml "$TROOT/board.keep" && mkfifo dipb.yaml
as chair
run $T dipb edit --board --no-edit
check_eq 'edit --board of a dipb.yaml that is a FIFO: refused, no hang' \
    5:1 "$RC:$(grep -c 'dipb.yaml: not a regular file' "$ERR")"
rm dipb.yaml && mv "$TROOT/board.keep" dipb.yaml
check_eq 'and nothing committed, nothing changed' "$head" \
    "$(git rev-parse HEAD)$(git status --porcelain -- dipb.yaml \
    recommendations/IC-0001.yaml)"
as drafter
rm recommendations/IC-0002.yaml recommendations/IC-0003.yaml \
    recommendations/IC-0004.yaml recommendations/IC-0005.yaml
# dipb.yaml a link: reported, the records checked without a board.
# (a relative link: the message shortens a long target, and how long
# $TROOT is depends on TMPDIR)
mv dipb.yaml "$TROOT/board-outside.yaml"
ln -s ../board-outside.yaml dipb.yaml
check 'dipb.yaml a link: it leads out of the working tree' \
    test "$(cd .. && pwd -P)" = "$(cd "$TROOT" && pwd -P)"
run $T dipb validate
check_eq 'validate: dipb.yaml a link: exit 1' 1 "$RC"
check_stdout 'validate: dipb.yaml a link: reported [symlink]' \
    "dipb.yaml:0:0: error: a symbolic link to '../board-outside.yaml', not a file: dipb never reads through one (replace the link with the file itself) [symlink]"
rm dipb.yaml
ln -s /dev/zero dipb.yaml
run $T dipb validate
check_eq 'validate: dipb.yaml a link to /dev/zero: exit 1, no hang' 1 "$RC"
check_stdout 'validate: dipb.yaml a link to /dev/zero: reported [symlink]' \
    "dipb.yaml:0:0: error: a symbolic link to '/dev/zero', not a file: dipb never reads through one (replace the link with the file itself) [symlink]"
rm dipb.yaml
git checkout -q -- dipb.yaml
check_out 'validate: the board back, all valid' '' dipb validate

# --- committed links: the readers at the tip and at a revision -------------
new_board git
at 2026-03-01
as drafter
mkrec industrial-capacity 'Alpha' >/dev/null
echo 'id: IC-0009' >"$TROOT/secret2"
ln -s "$TROOT/secret2" recommendations/IC-0002.yaml
git add recommendations
git commit -q -m 'a committed link named as a record'
check_eq 'oracle: git holds a link under recommendations/' 1 \
    "$(git ls-tree HEAD recommendations/ | grep -c '^120000 ')"
for cmd in 'list' 'todo' 'report status' 'report status --until HEAD' \
    'report actions'; do
	# shellcheck disable=SC2086 # $cmd is a command and its arguments
	run dipb $cmd
	cp "$OUT" "$TROOT/o"
	cp "$ERR" "$TROOT/e"
	check_eq "dipb $cmd: the link left out, exit 1" 1 "$RC"
	# Its target named, shortened as dipb validate shortens it.
	re='^recommendations/IC-0002\.yaml:0:0: error: a symbolic link to'
	check_err_re "dipb $cmd: ... [symlink], unread, its target named" \
	    "$re '/[^']*(secret2|\\.\\.\\.)', not a file"
	check "dipb $cmd: ... and 1 invalid record left out" \
	    grep -q '1 invalid record left out' "$TROOT/e"
	check "dipb $cmd: ... nothing of what it names" \
	    sh -c '! grep -q IC-0009 "$1" "$2"' sh "$TROOT/o" "$TROOT/e"
	case $cmd in
	*actions) ;;
	*) check "dipb $cmd: Alpha still listed" grep -q Alpha "$TROOT/o" ;;
	esac
done
# dipb.yaml a committed link: named as such, never read.
cp dipb.yaml "$TROOT/board2.yaml"
git rm -q dipb.yaml
ln -s "$TROOT/board2.yaml" dipb.yaml
git add dipb.yaml
git commit -q -m 'dipb.yaml a link'
for cmd in list 'report status' log; do
	# shellcheck disable=SC2086
	check_status 5 "dipb $cmd: dipb.yaml a committed link: refused" dipb $cmd
	check_err "dipb $cmd: ... naming it [symlink]" \
	    'dipb.yaml is a symbolic link, not a file: dipb never reads through one [symlink]'
done

# --- recommendations/ itself a committed link: named with its target -----
# The one text of dipb_repo_not_what (repo.h): the walk (list), a reader
# of the tip (show), and a change refused with the link checked out
# (dipb_git_worktree_path_check).
new_board folder
as drafter
mkrec industrial-capacity 'Alpha' >/dev/null
mv recommendations ../away-recs
ln -s ../away-recs recommendations
git add -A recommendations
git commit -q -m 'recommendations a link'
check_eq 'oracle: git holds recommendations as a link (mode 120000)' 120000 \
    "$(git ls-tree HEAD recommendations | cut -d' ' -f1)"
lnk="a symbolic link to '../away-recs', not a folder"
run dipb list
check_err 'list: recommendations a link, its target named' \
    "recommendations:0:0: error: $lnk"
run dipb show IC-0001
check_err 'show: recommendations a link, its target named' \
    "recommendations: $lnk"
check_refused 1 "recommendations is committed as $lnk" \
    'recommend: the link checked out, refused naming its target' \
    dipb recommend --wg industrial-capacity --title B --summary S --no-edit

finish

#!/bin/sh
# tests/cli/migrate.sh - dipb migrate --layout sharded|flat: a board with
# records in several groups and states moved flat -> sharded -> flat, git
# as the oracle (renames only, history followed), the readers and verify
# across it, verify's [migration] findings for hand-made migrations, the
# refusals, dipb sync across a migration, and a kill during one.
. "$(dirname "$0")/lib.sh"

# rstatus: "<name-status>" of HEAD against its parent, renames found.
rstatus() { git diff -M --name-status HEAD~1 | cut -f1 | sort | uniq -c |
    awk '{ print $2 "=" $1 }' | tr '\n' ' ' | sed 's/ $//'; }

new_board
at 2026-04-01
as drafter
for t in One Two Three; do mkrec industrial-capacity "IC $t" >/dev/null; done
mkrec supply-chain-security 'SCS One' >/dev/null
mkrec standardisation-interoperability 'SI One' >/dev/null
drive IC-0001 decided
drive IC-0002 endorsed
drive SCS-0001 returned
drive SI-0001 withdrawn
at 2026-05-01
as drafter
run dipb edit IC-0003 --no-edit
at 2026-06-01
BEFORE=$(git rev-parse HEAD)
snapshot_list=$(dipb list)
status_before=$(dipb report status --format json --until 2026-05-31 2>/dev/null)
log_before=$(dipb log IC-0001)
follow_before=$(git log --oneline --follow -- recommendations/IC-0001.yaml | wc -l)

# --- refusals ---------------------------------------------------------------

as chair
check_refused 2 'unknown layout' 'an unknown layout: exit 2, nothing written' \
    dipb migrate --layout deep
check_refused 2 '--layout' 'no --layout: exit 2' dipb migrate
# Only the options dipb-migrate(1) and its usage name: -m and -F, as
# every command's, not long forms of them no other command takes.
check_refused 2 'unknown option' '--message (undocumented): exit 2' \
    dipb migrate --layout sharded --message 'Why.'
check_refused 2 'unknown option' '--file (undocumented): exit 2' \
    dipb migrate --layout sharded --file /dev/null
as drafter
check_refused 3 'needs the chair role' 'a drafter may not migrate: exit 3' \
    dipb migrate --layout sharded
as outsider
check_refused 3 'not a member' 'an outsider may not migrate: exit 3' \
    dipb migrate --layout sharded
as chair
echo '# a hand edit' >>recommendations/IC-0002.yaml
check_refused 1 'IC-0002.yaml has uncommitted changes' \
    'a record with uncommitted changes refuses it: exit 1, nothing written' \
    dipb migrate --layout sharded
git checkout -q -- recommendations/IC-0002.yaml
# dipb.yaml too: migrate writes its layout:, and a hand edit left in the
# working tree would undo it there (dipb validate would then fail).
sed 's/^  quorum: 2$/  quorum: 1/' dipb.yaml >"$TROOT/board.edit" &&
    cat "$TROOT/board.edit" >dipb.yaml
check_refused 1 'dipb.yaml has uncommitted changes' \
    'dipb.yaml with uncommitted changes refuses it: exit 1, nothing written' \
    dipb migrate --layout sharded
git checkout -q -- dipb.yaml
echo 'x' >recommendations/IC-0002.yaml.bak
git add recommendations/IC-0002.yaml.bak
git commit -q -m 'A stray file'
check_refused 1 'recommendations/IC-0002.yaml.bak' \
    'a file of recommendations/ that is no record refuses it: exit 1' \
    dipb migrate --layout sharded
git reset -q --hard "$BEFORE"
mkdir -p recommendations/IC/00
echo 'mine' >recommendations/IC/00/IC-0001.yaml
check_refused 1 'is in the way' 'an untracked file where a record goes: exit 1' \
    dipb migrate --layout sharded
rm -rf recommendations/IC
echo 'mine' >recommendations/SCS
check_refused 1 'in the way' 'an untracked file where a folder goes: exit 1' \
    dipb migrate --layout sharded
rm recommendations/SCS
mkdir "$TROOT/elsewhere"
ln -s "$TROOT/elsewhere" recommendations/SI
check_refused 1 'symbolic link' 'a symbolic link where a folder goes: exit 1' \
    dipb migrate --layout sharded
check_eq 'nothing written through the link' '' "$(ls "$TROOT/elsewhere")"
rm recommendations/SI

# --- flat -> sharded ------------------------------------------------------------

check_refused 2 '-m: control character U+001B at character 4' \
    'migrate -m with an escape sequence: exit 2, nothing written' \
    dipb migrate --layout sharded -m "$(printf 'Why\033[2J')"
check_status 0 'dipb migrate --layout sharded: exit 0' \
    dipb migrate --layout sharded -m 'The board grew.' -m 'Forty records.'
check_eq 'one new commit' "$BEFORE" "$(git rev-parse HEAD~1)"
check_eq 'its tag board/2-migrated, printed on stderr' board/2-migrated \
    "$(grep -v warning "$ERR")"
check_eq 'the tag is annotated, on HEAD' "$(git rev-parse HEAD)" \
    "$(git rev-parse 'board/2-migrated^{commit}')"
check_eq 'trailers: Dipb-Record: board' board "$(trailer Dipb-Record)"
check_eq 'trailers: Dipb-Event: migrated' migrated "$(trailer Dipb-Event)"
check_eq 'the subject' 'board: 5 records moved to the sharded layout by Clara Chair' \
    "$(git log -1 --format=%s)"
# Every -m a paragraph, as git commit -m (git-commit(1)).
check_eq 'the body: both -m, a blank line between' \
    "$(printf 'The board grew.\n\nForty records.')" \
    "$(git log -1 --format=%b | sed '/^[A-Za-z-]*: /,$d')"
check_eq 'git diff -M: M dipb.yaml and a 100% rename of each record' \
    'M=1 R100=5' "$(rstatus)"
check_eq 'dipb.yaml: layout: sharded is its one change' '+layout: sharded' \
    "$(git diff HEAD~1 -- dipb.yaml | grep '^[-+][^-+]')"
check_eq 'the records at their sharded paths' \
    'recommendations/IC/00/IC-0001.yaml recommendations/IC/00/IC-0002.yaml recommendations/IC/00/IC-0003.yaml recommendations/SCS/00/SCS-0001.yaml recommendations/SI/00/SI-0001.yaml' \
    "$(git ls-files recommendations | tr '\n' ' ' | sed 's/ $//')"
check_eq 'the working tree follows: no flat file left' '' \
    "$(find recommendations -maxdepth 1 -type f)"
check_git_agrees 'git fsck, git status, the index and dipb verify agree'
check_eq 'git log --follow follows IC-0001 across the migration' \
    $((follow_before + 1)) \
    "$(git log --oneline --follow -- recommendations/IC/00/IC-0001.yaml | wc -l | tr -d ' ')"
check_eq 'dipb list is the same' "$snapshot_list" "$(dipb list)"
check_eq 'dipb log IC-0001 is the same' "$log_before" "$(dipb log IC-0001)"
check_eq 'dipb show reads the sharded file' 'IC Two' "$(jshow IC-0002 'd["title"]')"
check_eq 'report status --until before the migration' "$status_before" \
    "$(dipb report status --format json --until 2026-05-31 2>/dev/null)"
check_status 0 'migrating to the layout it has: exit 0' \
    dipb migrate --layout sharded
check_err 'it says there is nothing to do' 'nothing to do'
check_eq 'and writes nothing' board/2-migrated \
    "$(git describe --tags --exact-match HEAD 2>/dev/null)"

# A change after the migration, at its sharded path.
as drafter
check_out 'a new record after it' IC-0004 mkrec industrial-capacity 'IC Four'
check_eq 'at its sharded path' recommendations/IC/00/IC-0004.yaml \
    "$(git log -1 --format= --name-only)"
verify_clean 'verify: clean across the migration'
as chair
SHARDED=$(git rev-parse HEAD)

# --- sharded -> flat --------------------------------------------------------

check_status 0 'dipb migrate --layout flat: exit 0' dipb migrate --layout flat
check_eq 'git diff -M: M dipb.yaml and 6 renames' 'M=1 R100=6' "$(rstatus)"
check_eq 'no layout: line in dipb.yaml (flat is the default)' '' \
    "$(grep '^layout:' dipb.yaml)"
check_eq 'the emptied shard folders are gone' '' \
    "$(find recommendations -mindepth 1 -type d)"
check_git_agrees 'flat again: git and dipb verify agree'
check_eq 'git log --follow follows IC-0001 across both' \
    $((follow_before + 2)) \
    "$(git log --oneline --follow -- recommendations/IC-0001.yaml | wc -l | tr -d ' ')"
check_eq 'the tree is the one before the migrations, IC-0004 aside' '' \
    "$(git diff --name-only "$BEFORE" HEAD | grep -v IC-0004)"
check 'dipb verify --since the first migration' dipb verify --since "$BEFORE"
check_eq 'git write-tree makes HEAD'"'"'s tree from the index' \
    "$(git rev-parse 'HEAD^{tree}')" "$(git write-tree)"
CLEAN=$(pwd)

# An index of version 4 (libgit2 writes it): the same, through libgit2.
scenario index-v4
git update-index --index-version 4
check_status 0 'index version 4: migrate --layout sharded: exit 0' \
    dipb migrate --layout sharded
check_git_agrees 'index version 4: git and dipb verify agree'
check_eq 'index version 4: git write-tree makes HEAD'"'"'s tree' \
    "$(git rev-parse 'HEAD^{tree}')" "$(git write-tree)"
# No sparse checkout here: every entry a plain one (H), none skip-worktree
# (S), so git sees a hand edit of a moved record and dipb changes it.
check_eq 'index version 4: the moved records are no skip-worktree entries' \
    '' "$(git ls-files -v | grep -v '^H ')"
sedit recommendations/IC/00/IC-0003.yaml 's/^title: .*/title: IC Three by hand/'
check_eq 'index version 4: git status sees a hand edit of a moved record' \
    ' M recommendations/IC/00/IC-0003.yaml' "$(git status --porcelain)"
git checkout -q -- recommendations/IC/00/IC-0003.yaml
as drafter
check_status 0 'index version 4: a moved record changes after it' \
    dipb review IC-0003 --request
check_eq 'index version 4: and git status is clean' '' "$(git status --porcelain)"

# Racily clean entries (compat-index.sh has git's rule): the index a
# migration writes, by bytes or through libgit2, smudges a racy entry whose
# file's content differs, and only that one.  f.txt's entry taken at S.1,
# the index written at S.2, the user's edit (same size) at S.5: git sees
# it by its content alone.
S=1700000000
for v in 2 4; do
	scenario racy-v$v
	git update-index --index-version $v
	racy_edit
	as chair
	check_status 0 "index version $v, a racy edit: migrate --layout sharded: exit 0" \
	    dipb migrate --layout sharded
	check_eq "index version $v, a racy edit: still seen by git after the migration, and nothing else" \
	    'f.txt' "$(git diff-files --name-only)"
done

# --- the new paths are checked as a new file's -------------------------------
# An attribute there that git would apply and dipb cannot (a filter's
# command, an encoding), or a sparse checkout that leaves them out:
# refused before anything is written, as for a new record.
scenario attr-filter
printf 'recommendations/IC/** filter=up\n' >.git/info/attributes
git config filter.up.smudge 'tr a-z A-Z'
git config filter.up.clean cat
as chair
check_refused 5 'recommendations/IC/00/IC-0001.yaml: the attribute filter=up runs filter.up.smudge' \
    'a filter command on the new paths: exit 5, nothing written' \
    dipb migrate --layout sharded
scenario attr-encoding
printf 'recommendations/IC/** working-tree-encoding=UTF-16LE\n' >.git/info/attributes
check_refused 5 'the attribute working-tree-encoding=UTF-16LE asks for a conversion dipb cannot make' \
    'working-tree-encoding on the new paths: exit 5, nothing written' \
    dipb migrate --layout sharded
scenario sparse-new
mkdir docs && echo notes >docs/a && git add docs/a && git commit -q -m 'Docs'
git sparse-checkout set --no-cone '/*.yaml' '/.gitattributes' \
    '/recommendations/*.yaml' 2>/dev/null
check_refused 1 'recommendations/IC/00/IC-0001.yaml is outside the sparse checkout' \
    'a sparse checkout that leaves the new paths out: exit 1, nothing written' \
    dipb migrate --layout sharded
# The same where no entry has the skip-worktree bit yet (a cone that
# holds every flat record): git mv refuses a new path the patterns leave
# out whether or not one has it, and so does dipb migrate.
scenario sparse-cone-new
git sparse-checkout set --cone recommendations/IC 2>/dev/null
check_eq 'a cone of recommendations/IC on a flat board: no entry skip-worktree' \
    '' "$(git ls-files -t | grep -v '^H ')"
check 'git mv refuses a record into recommendations/SCS/00/ there (the oracle)' \
    sh -c 'mkdir -p recommendations/SCS/00 &&
    ! git mv recommendations/SCS-0001.yaml recommendations/SCS/00/ 2>/dev/null &&
    rmdir recommendations/SCS/00 recommendations/SCS'
check_refused 1 'recommendations/SCS/00/SCS-0001.yaml is outside the sparse checkout' \
    'a cone that leaves SCS-0001'"'"'s new path out, no entry skip-worktree: exit 1, nothing written' \
    dipb migrate --layout sharded
check_eq 'the records stay where they were, in the working tree too' \
    'recommendations/SCS-0001.yaml yes' \
    "$(git ls-files recommendations/SCS-0001.yaml) $([ -f recommendations/SCS-0001.yaml ] && echo yes)"

# --- verify: hand-made migrations -------------------------------------------

# migrate_by_hand: moves every record to the sharded layout with git mv
# and stages dipb.yaml with layout: sharded (forge commits it).
migrate_by_hand() {
	for f in recommendations/*.yaml; do
		id=$(basename "$f" .yaml)
		p=${id%-*} n=${id#*-}
		d=recommendations/$p/$(echo "$n" | sed 's/..$//')
		mkdir -p "$d" && git mv "$f" "$d/$id.yaml"
	done
	echo 'layout: sharded' >>dipb.yaml
	git add dipb.yaml
}

scenario hand-ok
migrate_by_hand
forge board migrated '' chair
verify_clean 'a migration made by hand with git mv verifies clean'

scenario changed
migrate_by_hand
sed -i 's/^title: IC Two$/title: IC Two, changed/' recommendations/IC/00/IC-0002.yaml
git add -A
forge board migrated '' chair
check_rule 'a record changed in the move' migration \
    'IC-0002 changes in its move'

scenario dropped
migrate_by_hand
git rm -q -f recommendations/IC/00/IC-0003.yaml
forge board migrated '' chair
check_rule 'a record dropped' migration 'deletes recommendations/IC-0003.yaml'

scenario left
migrate_by_hand
git mv recommendations/SI/00/SI-0001.yaml recommendations/SI-0001.yaml
forge board migrated '' chair
check_rule 'a record left in the old layout' migration 'SI-0001 is not moved'

scenario wrong-place
migrate_by_hand
mkdir -p recommendations/IC/07
git mv recommendations/IC/00/IC-0002.yaml recommendations/IC/07/IC-0002.yaml
forge board migrated '' chair
check_rule 'a record moved to the wrong shard' migration
check_rule 'a record moved to the wrong shard: [record-path] too' record-path

scenario board-field
migrate_by_hand
sed -i 's/^short_name: TB$/short_name: TX/' dipb.yaml
git add dipb.yaml
forge board migrated '' chair
check_rule 'another field of dipb.yaml changed' migration 'other than its layout'

scenario no-layout
for f in recommendations/*.yaml; do
	id=$(basename "$f" .yaml); p=${id%-*}
	mkdir -p "recommendations/$p/00" && git mv "$f" "recommendations/$p/00/$id.yaml"
done
echo '# moved' >>dipb.yaml
git add dipb.yaml
forge board migrated '' chair
check_rule 'records moved, layout: unchanged' migration 'leaves layout: flat'

scenario added
migrate_by_hand
cp recommendations/IC/00/IC-0004.yaml recommendations/IC/00/IC-0005.yaml
sed -i 's/^id: IC-0004$/id: IC-0005/' recommendations/IC/00/IC-0005.yaml
git add -A
forge board migrated '' chair
check_rule 'a record added in a migration' migration 'IC-0005.yaml, which is no move'

scenario not-chair
migrate_by_hand
forge board migrated '' secretary
check_rule 'a migration by a secretary' role

# A board change that sets layout: alone, the records left where they are.
scenario layout-by-edit
echo 'layout: sharded' >>dipb.yaml
git add dipb.yaml
forge board changed '' chair
check_rule 'a board change setting layout: without moving the records' \
    migration "'board changed' sets layout: sharded"
# The forged change's tag goes with it, whatever its number.
_t=$(git tag --points-at HEAD 'board/*-changed')
git reset -q --hard HEAD~1 && git tag -d "$_t" >/dev/null ||
    not_ok 'layout-by-edit: the forged board change undone' "tag: '$_t'"
as chair
echo 'layout: sharded' >>dipb.yaml
check_refused 1 "changed by 'dipb migrate --layout sharded'" \
    'dipb edit --board refuses to change layout: alone: exit 1' \
    dipb edit --board --no-edit
git checkout -q -- dipb.yaml

# --- a kill during the migration ---------------------------------------------

as chair
for point in journal branch move worktree index; do
	scenario "kill-$point"
	git reset -q --hard "$SHARDED"
	git tag -d board/3-migrated >/dev/null 2>&1
	run env DIPB_FAULT=$point dipb migrate --layout flat
	check_eq "killed at $point: SIGKILL" 137 "$RC"
	run dipb list
	check_status 0 "killed at $point: the next dipb command recovers" \
	    dipb list
	check_git_agrees "killed at $point: git and dipb verify accept the state"
	check_eq "killed at $point: the board is whole in one layout" ok \
	    "$(l=$(grep -c '^layout: sharded' dipb.yaml)
	       n=$(git ls-files recommendations | grep -c /00/)
	       { [ "$l" = 1 ] && [ "$n" = 6 ]; } ||
	       { [ "$l" = 0 ] && [ "$n" = 0 ]; } && echo ok)"
	[ -e .git/dipb-journal ] && not_ok "killed at $point: the journal is left"
done

# --- dipb validate and dipb fmt after a killed migration ---------------------
# They read the working tree's files themselves: they complete the change
# a killed dipb left first, as every dipb command does (dipb(1)), never
# judging nor rewriting a half-moved board.  Where it cannot be completed
# (an index.lock of git's in its way, as in a commit hook), they say so
# and exit 5, nothing on standard output.

as chair
pending='dipb: an interrupted dipb change is pending (.git/dipb-journal),'
pending="$pending its working files perhaps half written: run a dipb command"
pending="$pending that can take the lock and write .git, dipb list for one,"
pending="$pending which completes it, then dipb"
for cmd in validate fmt; do
	scenario "kill-then-$cmd"
	git reset -q --hard "$SHARDED"
	git tag -d board/3-migrated >/dev/null 2>&1
	run env DIPB_FAULT=move dipb migrate --layout flat
	check_eq "$cmd: the migration killed as it moves the files" 137 "$RC"
	# git's own, empty in its first moment: not dipb's to remove.
	rm .git/index.lock && : >.git/index.lock
	check_status 5 "dipb $cmd, an index.lock of git's in the way: exit 5" \
	    dipb $cmd
	check_err 'saying a change is pending and how it is completed' \
	    "$pending $cmd again"
	check_eq 'no false problem, no file named' '' "$(cat "$OUT")"
	rm .git/index.lock
	check_status 0 "dipb $cmd completes the change first: exit 0" dipb $cmd
	check_eq "dipb $cmd: nothing said on standard output" '' "$(cat "$OUT")"
	check "dipb $cmd: the journal is gone" test ! -e .git/dipb-journal
	check_eq "dipb $cmd: the board is flat" 0 \
	    "$(git ls-files recommendations | grep -c /00/)"
	check_git_agrees "dipb $cmd: git and dipb verify accept the state"
done

# Mid-rebase, they still read the working tree's files, not main as it
# was before the rebase: no warning says so (git's rebase state the
# oracle that HEAD is detached by one).
scenario 'rebase-then-validate'
git reset -q --hard "$SHARDED"
git checkout -q -b side
echo side >notes.txt && git add notes.txt && git commit -q -m side
git checkout -q main 2>/dev/null || git checkout -q -
echo main >notes.txt && git add notes.txt && git commit -q -m main
git rebase side >/dev/null 2>&1
check 'git: the rebase stopped on its conflict, HEAD detached' \
    test -d .git/rebase-merge -a "$(git rev-parse --abbrev-ref HEAD)" = HEAD
for cmd in validate 'fmt --check'; do
	check_status 0 "dipb $cmd mid-rebase: exit 0" dipb $cmd
	check_eq "dipb $cmd mid-rebase: nothing on standard error" '' \
	    "$(cat "$ERR")"
done
git rebase --abort

# --- dipb sync across a migration ----------------------------------------------

cd "$CLEAN" || exit 1
git reset -q --hard "$SHARDED"
git tag -d board/3-migrated >/dev/null 2>&1
share_two shared || { finish; exit 1; }
cd "$A" || exit 1
as chair
check 'A migrates to flat' dipb migrate --layout flat
check_status 0 'A syncs the migration: exit 0' dipb sync
cd "$B" || exit 1
as drafter
run dipb edit IC-0004 --no-edit
sed -i 's/^title: IC Four$/title: IC Four, from B/' recommendations/IC/00/IC-0004.yaml
check 'B edits IC-0004 at its sharded path' dipb edit IC-0004 --no-edit
echo '# a note' >>recommendations/IC/00/IC-0002.yaml
b_head=$(git rev-parse HEAD)
check_status 1 'B, IC-0002 edited by hand, may not sync over the migration: exit 1' \
    dipb sync --no-push
check_err 'it names the record' 'IC-0002.yaml has uncommitted changes'
check_eq 'B: nothing moved (branch, working tree)' \
    "$b_head M recommendations/IC/00/IC-0002.yaml" \
    "$(git rev-parse HEAD) $(git status --porcelain | tr -s ' ' | sed 's/^ //')"
git checkout -q -- recommendations/IC/00/IC-0002.yaml
run env DIPB_FAULT=move dipb sync --no-push
check_eq 'B: a sync killed while it moves the files: SIGKILL' 137 "$RC"
check_status 0 'B: the next dipb command completes it' dipb list
check_git_agrees 'B: git and dipb verify find the sync whole'
check_status 0 'B syncs over the migration: exit 0' dipb sync
check_eq 'B: the edit replayed at the flat path' \
    'recommendations/IC-0004.yaml' "$(git log -1 --format= --name-only)"
check_eq 'B: the edit is there' 'IC Four, from B' "$(field IC-0004 title)"
check_eq 'B: no shard folder left in the working tree' '' \
    "$(find recommendations -mindepth 1 -type d)"
check_git_agrees 'B: git and dipb verify agree after the sync'
# A local migration when the remote moved: made again on the remote's
# tip, the records added there moved too.
as chair
check 'B migrates back to sharded' dipb migrate --layout sharded
cd "$A" || exit 1
as drafter
check_out 'A drafts IC-0005' IC-0005 mkrec industrial-capacity 'IC Five'
check_status 0 'A syncs: exit 0' dipb sync
cd "$B" || exit 1
as chair
check_status 0 'B syncs its migration over a moved remote: exit 0' dipb sync
check_err_re 'B: the migration landed again' '^landed board/[0-9]+-migrated'
check_eq 'B: IC-0005, drafted upstream, moved too' \
    recommendations/IC/00/IC-0005.yaml \
    "$(git ls-files recommendations | grep IC-0005)"
check_eq 'B: its subject counts the records of the remote' \
    'board: 7 records moved to the sharded layout by Clara Chair' \
    "$(git log -1 --format=%s)"
check_eq 'B: renames only, as made on the remote tip' 'M=1 R100=7' "$(rstatus)"
check_git_agrees 'B: clean after the second migration'
cd "$A" || exit 1
as chair
# The same migration by the same chair at the same second, but with a
# message of its own: A's own change, not the remote's rewritten
# (dipb-sync(1), "REPLAY"), judged again.
check 'A, not having pulled, migrates to sharded too' \
    dipb migrate --layout sharded -m 'From A.'
check_eq "A: at the second of the remote's migration" \
    "$(git --git-dir="$SRV" log -1 --format=%at main)" \
    "$(git log -1 --format=%at)"
check_status 6 'A syncs: the remote is sharded already: exit 6 (dropped)' \
    dipb sync
check_err 'the reason says so' "the remote's board is in the sharded layout already"
check_eq 'A: the remote'"'"'s migration, not its own' \
    "$(git --git-dir="$SRV" rev-parse main)" "$(git rev-parse HEAD)"
check_git_agrees 'A: git and dipb verify agree after the drop'

# --- a board whose chair has a key: the migration is signed ------------------

if ! command -v ssh-keygen >/dev/null 2>&1; then
	skip 'a signed migration' 'ssh-keygen is not installed'
	finish
	exit
fi
unset SSH_AUTH_SOCK SSH_AGENT_PID SSH_ASKPASS SSH_ASKPASS_REQUIRE DISPLAY
new_board signed
ssh-keygen -q -t ed25519 -N '' -C chair -f "$TROOT/chair.key"
pub=$(cut -d ' ' -f 1,2 "$TROOT/chair.key.pub")
echo "chair@example.org namespaces=\"git\" $pub" >"$TROOT/allowed"
git config gpg.format ssh
git config user.signingKey "$TROOT/chair.key"
git config gpg.ssh.allowedSignersFile "$TROOT/allowed"
sed -i "/^    roles: \[chair\]\$/a\\    keys:\\n      - $pub" dipb.yaml
check 'the chair lists a key' dipb edit --board --no-edit
as drafter
mkrec industrial-capacity 'Signed board' >/dev/null
as chair
check_status 0 'migrate on a board where the chair has a key: exit 0' \
    dipb migrate --layout sharded
check 'git verify-commit: the migration is signed by the chair' \
    git verify-commit HEAD
check 'git verify-tag: its tag too' git verify-tag board/3-migrated
check_git_agrees 'signed: git and dipb verify agree'
git config --unset user.signingKey
check_refused 3 'user.signingKey' 'no signing key configured: exit 3, refused before anything is written' \
    dipb migrate --layout flat

# --- folders the migration cannot write --------------------------------------
#
# A folder a move takes a record out of, or puts one in, that this user
# may not write (another member's, made without group write): refused
# before anything is written, exit 5, naming the folder, as a change of
# one file is; a folder that may not be searched at all is named too,
# never taken for a deleted record.
if ! can_switch_user; then
	skip 'folders the migration cannot write' \
	    'needs root and setpriv, to run as nobody'
else
	git config --global safe.directory '*'
	chmod o+x "$TROOT" "$HOME"
	chmod o+r "$HOME/.gitconfig"
	new_board unwritable
	as drafter
	mkrec industrial-capacity 'Unwritable' >/dev/null
	as chair
	chown -R 65534:65534 "$BOARD"
	chmod 755 "$BOARD"
	chown 0:0 recommendations
	chmod 755 recommendations
	check_refused 5 "cannot move 'recommendations/IC-0001.yaml' out of the folder 'recommendations': Permission denied" \
	    'flat -> sharded, recommendations/ not writable: exit 5, refused before anything' \
	    as_other_user dipb migrate --layout sharded
	chown 65534:65534 recommendations
	mkdir -p recommendations/IC
	chown 0:0 recommendations/IC
	check_refused 5 "cannot write 'recommendations/IC/00/IC-0001.yaml' in the folder 'recommendations/IC': Permission denied" \
	    'flat -> sharded, the new folder'"'"'s parent not writable: exit 5, refused before anything' \
	    as_other_user dipb migrate --layout sharded
	rmdir recommendations/IC
	check 'flat -> sharded as nobody, the folders writable' \
	    as_other_user dipb migrate --layout sharded
	chown 0:0 recommendations/IC/00
	chmod 755 recommendations/IC/00
	check_refused 5 "cannot move 'recommendations/IC/00/IC-0001.yaml' out of the folder 'recommendations/IC/00': Permission denied" \
	    'sharded -> flat, recommendations/IC/00 not writable: exit 5, refused before anything' \
	    as_other_user dipb migrate --layout flat
	chown 65534:65534 recommendations/IC/00
	chmod 000 recommendations/IC/00
	check_refused 5 "cannot read 'recommendations/IC/00/IC-0001.yaml' in the working tree: Permission denied" \
	    'sharded -> flat, recommendations/IC/00 mode 000: exit 5, the permission named' \
	    as_other_user dipb migrate --layout flat
	chmod 755 recommendations/IC/00
	check 'sharded -> flat as nobody, the folders writable' \
	    as_other_user dipb migrate --layout flat
	check_eq 'git status is clean' '' \
	    "$(git status --porcelain --untracked-files=all)"
	chmod o-x "$TROOT"
fi

# --- the index written once ---------------------------------------------------
# A migration changes dipb.yaml (layout:) and moves every record: one
# state change, one write of the index (one rename onto .git/index,
# counted by strace where it is installed), where the file and the moves
# were two.

new_board once
as drafter
mkrec industrial-capacity 'First' >/dev/null
mkrec supply-chain-security 'Second' >/dev/null
as chair
if command -v strace >/dev/null 2>&1 && strace -o /dev/null true 2>/dev/null; then
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
	    strace -f -o "$TROOT/once.strace" -e trace=rename,renameat,renameat2 \
	    dipb migrate --layout sharded >/dev/null 2>&1
	check_eq 'strace: a migration renames onto .git/index once, git status clean' \
	    '1 ' "$(grep -c -E '"[^"]*/\.git/index"(, [A-Z_0-9|]+)?\) = 0' "$TROOT/once.strace") $(git status --porcelain --untracked-files=all)"
else
	skip 'strace: a migration renames onto .git/index once' 'no working strace'
fi

finish

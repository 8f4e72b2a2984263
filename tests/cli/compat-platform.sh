#!/bin/sh
# tests/cli/compat-platform.sh - a board's members clone on Windows and
# macOS, whose clones carry git settings a Linux clone does not:
# core.ignorecase, core.symlinks false, and fetches from a remote that
# may hold objects git fsck rejects.  This machine has no case-insensitive
# or FAT file system: the settings are made with git config, which git
# (and libgit2) honour whatever the file system, and git is the oracle in
# the same setting.
. "$(dirname "$0")/lib.sh"

DIPB_FSYNC=0
export DIPB_FSYNC

# publish: the clone's branch pushed to $SRV past its hook (a member
# working with plain git, or an older server without the hook).
publish() {
	mv "$SRV/hooks/pre-receive" "$TROOT/hook" &&
	    git -C "$SRV" config receive.fsckObjects false &&
	    git push -q -f origin main 2>/dev/null
	_rc=$?
	mv "$TROOT/hook" "$SRV/hooks/pre-receive"
	return $_rc
}

# --- core.ignorecase: a record path in another case ---------------------------
# Another member (on Linux) committed recommendations/ic-0003.yaml.  In a
# clone with core.ignorecase true, git takes IC-0003.yaml for that path
# (git add of it updates the entry ic-0003.yaml, never makes a second):
# the two cannot both be checked out on the file system that setting
# describes, the new record's file would be written over the other's.

new_board icase
as drafter
mkrec industrial-capacity 'First' >/dev/null			# IC-0001
mkrec industrial-capacity 'Second' >/dev/null			# IC-0002
share_two icase
cd "$A" || exit 1
sed 's/IC-0002/IC-0003/; s/^title: Second/title: Third/' \
    recommendations/IC-0002.yaml >recommendations/ic-0003.yaml
git add recommendations/ic-0003.yaml
git commit -q -m 'a record file named in lower case'
check 'ignorecase: a lower-case record name published with plain git' publish
cd "$B" || exit 1
git config core.ignorecase true
git pull -q 2>/dev/null
as drafter
run dipb recommend --wg industrial-capacity --title 'Next' --summary 'S.' \
    --no-edit
check_eq 'core.ignorecase: dipb recommend makes no path that differs from a tracked one in case alone' \
    '' "$(git ls-files | tr 'A-Z' 'a-z' | sort | uniq -d)"
check_eq 'core.ignorecase: git status is empty after it' '' \
    "$(git status --porcelain)"

# --- core.ignorecase: a shard folder in another case ----------------------
# The sharded layout (dipb-board(5), "layout") keeps IC-0003 in
# recommendations/IC/00/.  A member's plain-git commit of it below
# recommendations/ic/00/ is the same path to git under core.ignorecase:
# its number is taken as the record's would be, whatever folder case.

new_board icase-shard
as drafter
mkrec industrial-capacity 'First' >/dev/null			# IC-0001
mkrec industrial-capacity 'Second' >/dev/null			# IC-0002
as chair
run dipb migrate --layout sharded -m 'Grew.'
mkdir -p recommendations/ic/00
sed 's/IC-0002/IC-0003/; s/^title: Second/title: Third/' \
    recommendations/IC/00/IC-0002.yaml >recommendations/ic/00/IC-0003.yaml
git add recommendations/ic
git commit -q -m 'a record file in a lower-case shard folder'
git config core.ignorecase true
as drafter
run dipb recommend --wg industrial-capacity --title 'Next' --summary 'S.' \
    --no-edit
check_eq 'core.ignorecase: dipb recommend takes the number of a record in the shard folder of another case' \
    'IC-0004' "$(git ls-files recommendations/IC/00 | sed -n \
    's|.*/\(IC-0004\)\.yaml$|\1|p')"
check_eq 'core.ignorecase: and makes no path that differs from a tracked one in case alone' \
    '' "$(git ls-files | tr 'A-Z' 'a-z' | sort | uniq -d)"

# --- dipb sync: a local draft whose path the remote holds in another case ----
# The remote took IC-0003's file in another case (a member's plain-git
# commit); this clone drafted IC-0003 meanwhile.  As for an id the remote
# took as it is (dipb-sync(1), REPLAY), the draft gets the next free id:
# pushed as it was, the branch would hold two paths git on macOS and
# Windows takes for one.  In both layouts, the name or the folder.

# folded: the paths of HEAD's tree that one case-insensitive checkout
# would merge (none is right).
folded() { git ls-tree -r --name-only HEAD | tr 'A-Z' 'a-z' | sort | uniq -d; }

for _layout in flat sharded; do
	new_board "sync-case-$_layout"
	as drafter
	mkrec industrial-capacity 'First' >/dev/null		# IC-0001
	mkrec industrial-capacity 'Second' >/dev/null		# IC-0002
	_dir=recommendations _as=ic-0003.yaml
	if [ "$_layout" = sharded ]; then
		as chair
		run dipb migrate --layout sharded -m 'Grew.'
		_dir=recommendations/ic/00 _as=IC-0003.yaml
	fi
	share_two "sync-case-$_layout"
	cd "$A" || exit 1
	mkdir -p "$_dir"
	git show HEAD:"$(git ls-files '*IC-0002.yaml')" |
	    sed 's/IC-0002/IC-0003/; s/^title: Second/title: Third/' \
	    >"$_dir/$_as"
	git add "$_dir/$_as"
	git commit -q -m 'a record file named in another case'
	check "$_layout: IC-0003 in another case published with plain git" \
	    publish
	cd "$B" || exit 1
	as drafter
	mkrec industrial-capacity 'Local' >/dev/null		# IC-0003
	# Not pushed: dipb verify finds the remote's plain commit.
	run dipb sync --no-push
	check_eq "$_layout: dipb sync renumbers the draft whose path the remote holds in another case" \
	    '0 IC-0003 -> IC-0004' "$RC $(cat "$OUT")"
	check_eq "$_layout: no two paths of the tree one case-insensitive checkout merges" \
	    '' "$(folded)"
	check_fsck "$_layout: git fsck --strict is clean after it"
	run dipb verify
	check_eq "$_layout: dipb verify finds the remote's plain commit alone" \
	    "1 $(git rev-parse --short=10 HEAD~)" \
	    "$RC $(grep -v '^ *$' "$OUT" | cut -c1-10 | sort -u)"
done

# --- core.symlinks false: a link committed by someone else -------------------
# With core.symlinks false git checks a link out as a plain file holding
# the link's text; its index entry keeps mode 120000, and git add keeps
# it a link.  A link whose text is a whole record is no record file on
# Linux (dipb validate: [symlink]); nor may it be one in a Windows clone,
# and dipb fmt must not rewrite it (that is a new link target to git).

new_board link
as drafter
mkrec industrial-capacity 'First' >/dev/null			# IC-0001
mkrec industrial-capacity 'Second' >/dev/null			# IC-0002
share_two link
cd "$B" || exit 1
git config core.symlinks false
cd "$A" || exit 1
_blob=$( (sed 's/IC-0002/IC-0003/; s/^title: Second/title:   Third/' \
    recommendations/IC-0002.yaml; echo '# out of form') |
    git hash-object -w --stdin)
git update-index --add --cacheinfo "120000,$_blob,recommendations/IC-0003.yaml"
git commit -q -m 'a link whose text is a record'
git checkout -q -- .
check 'symlinks: a link holding a record published with plain git' publish
# symlink_said: the last command's exit status and its lines of rule
# [symlink] (dipb validate prints its findings on stdout, fmt on stderr).
symlink_said() { echo "$RC $(cat "$OUT" "$ERR" | grep -c ' \[symlink\]$')"; }
run dipb validate
check_eq 'core.symlinks true: dipb validate says the link is no record' \
    '1 1' "$(symlink_said)"
# There git takes the working file as it is: the link replaced by a
# plain record, not yet added, is a record (git add makes it 100644).
rm recommendations/IC-0003.yaml
sed 's/IC-0002/IC-0003/' recommendations/IC-0002.yaml \
    >recommendations/IC-0003.yaml
run dipb validate
check_eq 'core.symlinks true: a link replaced by a plain record file is a record, as git add takes it' \
    '0 0 T' "$(symlink_said) $(git status --porcelain -- \
    recommendations/IC-0003.yaml | cut -c2)"
git checkout -q -- recommendations/IC-0003.yaml
cd "$B" || exit 1
git pull -q 2>/dev/null
check_eq 'core.symlinks false: git checks the link out as a plain file, mode 120000 in the index' \
    'f 120000' "$(test -L recommendations/IC-0003.yaml || echo f) $(git ls-files -s recommendations/IC-0003.yaml | cut -d' ' -f1)"
run dipb validate
check_eq 'core.symlinks false: dipb validate says the link is no record, as on Linux' \
    '1 1' "$(symlink_said)"
run dipb fmt --check
check_eq 'core.symlinks false: dipb fmt --check says so too' \
    '1 1' "$(symlink_said)"
run dipb fmt
check_eq 'core.symlinks false: dipb fmt leaves the link'"'"'s file alone (git status empty)' \
    '' "$(git status --porcelain)"

# --- a remote tip git fsck rejects, libgit2 cannot parse ----------------------
# Without fetch.fsckObjects git fetches it; dipb sync must refuse it as
# every other command does (dipb-git(7), "Commits and tags git fsck
# rejects"): exit 5, "not a well-formed commit", with git fsck's message;
# it said "unknown revision" (exit 1), as if the user had misspelt one.

for _case in badEmail missingCommitter; do
	new_board "fsck-$_case"
	as drafter
	mkrec industrial-capacity 'First' >/dev/null		# IC-0001
	share_two "fsck-$_case"
	cd "$B" || exit 1
	mkrec industrial-capacity 'From b' >/dev/null		# IC-0002
	case $_case in
	badEmail)
		git cat-file commit HEAD |
		    sed 's/^author \(.*\) <\([^>]*\)>/author \1 <\2/' ;;
	missingCommitter)
		git cat-file commit HEAD | sed '/^committer /d' ;;
	esac >"$TROOT/bad"
	_bad=$(git hash-object --literally -t commit -w "$TROOT/bad")
	git reset -q --hard "$_bad"
	check "$_case: the commit published with plain git" publish
	cd "$A" || exit 1
	mkrec industrial-capacity 'From a' >/dev/null
	run dipb sync
	check_eq "$_case on the remote's tip: dipb sync refuses it, exit 5" \
	    5 "$RC"
	check_err "$_case on the remote's tip: as not a well-formed commit" \
	    "not a well-formed commit: '$_bad'"
	check_err "$_case on the remote's tip: with git fsck's message" \
	    "(git fsck: $_case)"
done

finish

#!/bin/sh
# tests/cli/compat-index.sh - dipb and the index as git keeps it, and the
# operations git leaves half-done (dipb-git(7), "The index"): each setting
# is made with the real git, a dipb change is made in it or refused before
# anything is written, and git itself checks the result (check_git_agrees),
# then a plain 'git commit' of another file must keep dipb's record.
. "$(dirname "$0")/lib.sh"

# board_with_docs NAME: a board with a record IC-0001 and a folder docs/
# committed by git, so that sparse checkouts have something to leave out;
# made once, then copied (cd to it: $BOARD).
TEMPLATE=
board_with_docs() {
	if [ -z "$TEMPLATE" ]; then
		new_board template
		mkdir docs
		printf 'Papers.\n' >docs/papers.txt
		git add docs && git commit -q -m 'docs'
		as drafter
		mkrec industrial-capacity 'First' >/dev/null	# IC-0001
		TEMPLATE=$BOARD
	fi
	BOARD=$TROOT/$1
	cp -R "$TEMPLATE" "$BOARD"
	cd "$BOARD" || exit 1
	git update-index -q --refresh	# the copies' stat data
	as drafter
}

# change_and_agree DESC: two dipb changes (a new record and a move), then
# git's view (check_git_agrees) and a user's 'git commit' of another file
# that must keep both records (check_git_keeps).
change_and_agree() {
	as drafter
	run dipb recommend --wg industrial-capacity --title "$1" --no-edit \
	    --summary S
	_id=$(sed -n 's,^\([A-Z]*-[0-9]*\)/1-drafted$,\1,p' "$ERR")
	if [ "$RC" -ne 0 ] || [ -z "$_id" ]; then
		not_ok "$1: dipb recommend" "$(_said dipb recommend)"
		return 1
	fi
	run dipb review "$_id" --request
	if [ "$RC" -ne 0 ]; then
		not_ok "$1: dipb review --request" "$(_said dipb review)"
		return 1
	fi
	check_git_agrees "$1: git agrees after recommend and review"
	check_git_keeps "$1: a git commit of another file keeps $_id" "$_id"
}

# check_git_keeps DESC ID: 'git commit' of a new file commits that file
# alone, and record ID stays as dipb left it, in HEAD and for git status.
check_git_keeps() {
	_rec=recommendations/$2.yaml
	_blob=$(git rev-parse -q --verify "HEAD:$_rec")
	printf 'note %s\n' "$2" >"note-$2.txt"
	git add "note-$2.txt" 2>"$TROOT/gitadd" &&
	    git commit -q -m "note $2" >"$TROOT/gitcommit" 2>&1
	_files=$(git diff-tree --no-commit-id --name-only -r HEAD)
	_now=$(git rev-parse -q --verify "HEAD:$_rec")
	_p=$(git status --porcelain ${ORACLE_STATUS_OPTS:-} 2>&1)
	if [ -n "$_blob" ] && [ "$_now" = "$_blob" ] &&
	    [ "$_files" = "note-$2.txt" ] && [ -z "$_p" ]; then
		ok "$1"
	else
		not_ok "$1" "record $_blob -> $_now; commit touched: $(echo $_files)" \
		    "git status: $(echo $_p)" "$(cat "$TROOT/gitadd" "$TROOT/gitcommit")"
	fi
}

# retitle TITLE: IC-0001's working file edited, not committed.
retitle() {
	sed "s/^title: .*/title: $1/" recommendations/IC-0001.yaml >"$TROOT/t"
	cat "$TROOT/t" >recommendations/IC-0001.yaml
}

# has_ext SIG: the index file has extension SIG (a crude but sufficient
# look: the four letters followed by a size).
has_ext() { grep -a -q "$1" "$(git rev-parse --git-path index)"; }

# --- Index formats ------------------------------------------------------------

board_with_docs v4
git update-index --index-version 4
check_eq 'index v4: set up' 4 "$(od -An -tu1 -j7 -N1 .git/index | tr -d ' ')"
change_and_agree 'index v4'
check_eq 'index v4: still version 4' 4 \
    "$(od -An -tu1 -j7 -N1 .git/index | tr -d ' ')"

# index.skipHash (git 2.40 and later; feature.manyFiles sets it, with index
# version 4): the index's trailing checksum all zeros, none checked, and
# dipb writes it so too (dipb-git(7), "The index").  A git that does not
# know the setting writes a checksum: the index is then made as a newer
# git would, its trailer zeroed (git 2.39 reads it, but its git fsck
# refuses it: "bad index file sha1 signature"; skiphash_agrees).
# null_trailer: the index's last 20 bytes are all zeros.
null_trailer() {
	[ "$(tail -c 20 .git/index | od -An -tx1 | tr -d ' \n')" = \
	    "$(printf '%040d' 0)" ]
}
# skiphash V: index.skipHash set, the index made version V, null trailer;
# SKH_OLD set when git made a checksum (the trailer zeroed here).
skiphash() {
	git config index.skipHash true
	git update-index --index-version "$1"
	git update-index --force-write-index
	SKH_OLD=
	null_trailer && return 0
	SKH_OLD=$(git --version)
	python3 -c '
b = open(".git/index", "rb").read()
open(".git/index", "wb").write(b[:-20] + bytes(20))'
}
# skiphash_agrees DESC: check_git_agrees; where git does not know
# index.skipHash, its fsck refuses the null trailer itself, so git is asked
# about a copy of the index with the checksum filled in.
skiphash_agrees() {
	if [ -z "$SKH_OLD" ]; then
		check_git_agrees "$1"
		return
	fi
	python3 -c '
import hashlib, sys
b = open(".git/index", "rb").read()[:-20]
open(sys.argv[1], "wb").write(b + hashlib.sha1(b).digest())' "$TROOT/skh-index"
	GIT_INDEX_FILE=$TROOT/skh-index check_git_agrees "$1 (${SKH_OLD#git version }: a copy checksummed)"
}
# skiphash_kept DESC V: the index still version V, its trailer all zeros,
# index.skipHash still set.
skiphash_kept() {
	if null_trailer; then _t=null; else _t=checksum; fi
	check_eq "$1" "$2 null true" \
	    "$(od -An -tu1 -j7 -N1 .git/index | tr -d ' ') $_t $(git config index.skipHash)"
}
for v in 4 2; do
	board_with_docs skiphash-v$v
	skiphash $v
	skiphash_kept "index.skipHash, v$v: set up" $v
	check "index.skipHash, v$v: git ls-files --debug reads it" \
	    git ls-files --debug
	run dipb recommend --wg industrial-capacity --title T --summary S. \
	    --no-edit
	check_eq "index.skipHash, v$v: recommend" '0 IC-0002' "$RC $(cat "$OUT")"
	skiphash_kept "index.skipHash, v$v: recommend writes it so, as git" $v
	skiphash_agrees "index.skipHash, v$v: git agrees after recommend"
	check "index.skipHash, v$v: a reading command" dipb show IC-0002
	check "index.skipHash, v$v: review through GIT_INDEX_FILE" \
	    env GIT_INDEX_FILE="$BOARD/.git/index" dipb review IC-0002 --request
	skiphash_kept "index.skipHash, v$v: review writes it so" $v
	[ -n "$SKH_OLD" ] || change_and_agree "index.skipHash, v$v"
	as chair
	check "index.skipHash, v$v: migrate" dipb migrate --layout sharded -m M.
	skiphash_kept "index.skipHash, v$v: migrate writes it so" $v
	skiphash_agrees "index.skipHash, v$v: git agrees after migrate"
done

# The setting decides, not the index read (git 2.40 and later decide so;
# dipb does whatever git is installed): index.skipHash, by default
# feature.manyFiles.  Each step starts from the other trailer.
# trailer_of FILE: null or checksum.
trailer_of() {
	if [ "$(tail -c 20 "$1" | od -An -tx1 | tr -d ' \n')" = \
	    "$(printf '%040d' 0)" ]; then echo null; else echo checksum; fi
}
# skiphash_decides DESC WANT: the index's trailer made the other one,
# then dipb recommend writes the trailer WANT; where git knows
# index.skipHash, git writes a copy so too.
skiphash_decides() {
	SKH_N=$((SKH_N + 1))
	python3 -c '
import hashlib, sys
b = open(".git/index", "rb").read()[:-20]
t = bytes(20) if sys.argv[1] == "checksum" else hashlib.sha1(b).digest()
open(".git/index", "wb").write(b + t)' "$2"
	run dipb recommend --wg industrial-capacity --title "T$SKH_N" \
	    --summary S. --no-edit
	check_eq "$1" "0 $2" "$RC $(trailer_of .git/index)"
	if [ -z "$SKH_OLD" ]; then
		cp .git/index "$TROOT/skh-git"
		GIT_INDEX_FILE=$TROOT/skh-git git update-index \
		    --force-write-index
		check_eq "$1: git writes it so" "$2" \
		    "$(trailer_of "$TROOT/skh-git")"
	fi
	skiphash_agrees "$1: git agrees"
}
for v in 4 2; do
	board_with_docs skiphash-set-v$v
	skiphash $v
	SKH_N=0
	git config index.skipHash false
	skiphash_decides "index.skipHash false, v$v, zeros read: a checksum" checksum
	git config --unset index.skipHash
	git config feature.manyFiles true
	skiphash_decides "feature.manyFiles, v$v, a checksum read: zeros" null
	git config index.skipHash false
	skiphash_decides "index.skipHash false over feature.manyFiles, v$v: a checksum" checksum
	git config index.skipHash true
	skiphash_decides "index.skipHash true, v$v, a checksum read: zeros" null
	git config --unset index.skipHash
	git config --unset feature.manyFiles
	skiphash_decides "neither set, v$v, zeros read: a checksum" checksum
	check_eq "index.skipHash, v$v: the version kept" $v \
	    "$(od -An -tu1 -j7 -N1 .git/index | tr -d ' ')"
done

# libgit2 1.7 and older are given a copy of a null-trailer index with its
# checksum filled in: in memory, no temporary file, so a missing TMPDIR
# does not matter.
board_with_docs skiphash-tmpdir
skiphash 4
check "index.skipHash, TMPDIR missing: a reading command" \
    env TMPDIR="$TROOT/none" dipb show IC-0001
check "index.skipHash, TMPDIR missing: recommend" \
    env TMPDIR="$TROOT/none" dipb recommend --wg industrial-capacity \
    --title T --summary S. --no-edit
check "index.skipHash, TMPDIR missing: GIT_INDEX_FILE" \
    env TMPDIR="$TROOT/none" GIT_INDEX_FILE="$BOARD/.git/index" \
    dipb review IC-0002 --request
skiphash_kept "index.skipHash, TMPDIR missing: written so" 4

board_with_docs untracked
git config core.untrackedCache true
printf 'untracked\n' >scratch.txt
git update-index --untracked-cache
git status --porcelain >/dev/null
if has_ext UNTR; then
	ok 'untracked cache: set up (UNTR in the index)'
	ORACLE_STATUS_OPTS=-uno
	change_and_agree 'untracked cache'
	check_out 'untracked cache: git still sees the untracked file' \
	    '?? scratch.txt' git status --porcelain
	ORACLE_STATUS_OPTS=
else
	skip 'untracked cache' 'git wrote no UNTR extension here'
fi

# Split index: refused before any change, with what to do.
board_with_docs split
git config core.splitIndex true
git update-index --split-index
if has_ext link; then
	ok 'split index: set up (a link extension, a shared index)'
	check_refused 5 "the index is split (core.splitIndex)" \
	    'split index: recommend refused, nothing written' \
	    dipb recommend --wg industrial-capacity --title Split --no-edit \
	    --summary S
	check_refused 5 "git update-index --no-split-index" \
	    'split index: review refused, naming what to do' \
	    dipb review IC-0001 --request
	check 'split index: reading commands work' dipb list
	retitle 'Split edit'
	check_refused 5 "the index is split (core.splitIndex)" \
	    'split index: edit refused naming the setting, the edit kept' \
	    dipb edit IC-0001 --no-edit
	git checkout -q -- recommendations/IC-0001.yaml
	git config core.splitIndex false
	git update-index --no-split-index
	change_and_agree 'split index undone as told'
else
	skip 'split index' 'git made no link extension here'
fi

# --- Sparse checkouts -------------------------------------------------------

board_with_docs cone-in
git sparse-checkout set --cone recommendations
check 'sparse cone with recommendations/: docs/ left out' test ! -e docs
change_and_agree 'sparse cone with recommendations/'

board_with_docs cone-out
git sparse-checkout set --cone docs
check 'sparse cone without recommendations/: IC-0001 left out' \
    test ! -e recommendations/IC-0001.yaml
check_refused 1 "git sparse-checkout add recommendations" \
    'sparse cone without recommendations/: review refused' \
    dipb review IC-0001 --request
check_refused 1 "outside the sparse checkout" \
    'sparse cone without recommendations/: recommend refused' \
    dipb recommend --wg industrial-capacity --title Out --no-edit --summary S
check 'sparse cone without recommendations/: reading commands work' \
    dipb show IC-0001
git sparse-checkout add recommendations
change_and_agree 'sparse cone: recommendations/ added as told'

# Non-cone, a pattern that leaves the file out itself: adding its folder
# would not bring it in, so the advice names the file, and followed, it
# does.
board_with_docs noncone-file
git sparse-checkout set --no-cone '/*' '!/recommendations/IC-0002*'
check_refused 1 "recommendations/IC-0002.yaml is outside the sparse checkout (git sparse-checkout): run 'git sparse-checkout add /recommendations/IC-0002.yaml', then retry" \
    'non-cone, the file left out by its own pattern: the advice names it' \
    dipb recommend --wg industrial-capacity --title Out --no-edit --summary S
git sparse-checkout add /recommendations/IC-0002.yaml
run dipb recommend --wg industrial-capacity --title Out --no-edit --summary S
check_eq '  followed, the record is made' '0 IC-0002' "$RC $(cat "$OUT")"

# Sparse index: refused (libgit2, which dipb's working-file steps use,
# cannot read one), naming what to do; the sparse checkout itself stays.
# Index v4 with a sparse checkout: the skip-worktree bits, kept and read.
board_with_docs v4-cone
git sparse-checkout set --cone recommendations
git update-index --index-version 4
change_and_agree 'index v4, sparse cone with recommendations/'
check 'index v4, sparse cone: docs/ still left out, skip-worktree kept' \
    sh -c 'test ! -e docs && git ls-files -t docs | grep -q "^S docs/papers.txt\$"'
git sparse-checkout set --cone docs
git update-index --index-version 4
check_refused 1 "git sparse-checkout add recommendations" \
    'index v4, sparse cone without recommendations/: review refused' \
    dipb review IC-0001 --request
check_refused 1 "outside the sparse checkout" \
    'index v4, sparse cone without recommendations/: recommend refused' \
    dipb recommend --wg industrial-capacity --title Out --no-edit --summary S

board_with_docs sparse-in
git sparse-checkout set --cone --sparse-index recommendations
if has_ext sdir; then
	ok 'sparse index: set up (sdir extension)'
	check_refused 5 "the index is sparse (index.sparse)" \
	    'sparse index: recommend refused before any change' \
	    dipb recommend --wg industrial-capacity --title In --no-edit \
	    --summary S
	check_refused 5 "git sparse-checkout reapply --no-sparse-index" \
	    'sparse index: review refused, naming what to do' \
	    dipb review IC-0001 --request
	check 'sparse index: reading commands work' dipb show IC-0001
	retitle 'Sparse edit'
	check_refused 5 "the index is sparse (index.sparse)" \
	    'sparse index: edit refused naming the setting, the edit kept' \
	    dipb edit IC-0001 --no-edit
	git checkout -q -- recommendations/IC-0001.yaml
	git sparse-checkout reapply --no-sparse-index
	change_and_agree 'sparse index undone as told'
	check 'sparse index undone: docs/ still left out' test ! -e docs
else
	skip 'sparse index with recommendations/' 'git made no sdir extension'
fi

board_with_docs sparse-out
git sparse-checkout set --cone --sparse-index docs
if git ls-files --sparse | grep -q '^recommendations/$'; then
	ok 'sparse index without recommendations/: a sparse folder entry'
	check_refused 1 "git sparse-checkout add recommendations" \
	    'sparse index without recommendations/: review refused' \
	    dipb review IC-0001 --request
	check_refused 1 "outside the sparse checkout" \
	    'sparse index without recommendations/: recommend refused' \
	    dipb recommend --wg industrial-capacity --title Out --no-edit \
	    --summary S
else
	skip 'sparse index without recommendations/' \
	    'git made no sparse folder entry'
fi

board_with_docs nocone-in
git sparse-checkout set --no-cone '/*' '!/docs/' 2>/dev/null
check 'non-cone patterns with recommendations/: docs/ left out' \
    test ! -e docs/papers.txt
change_and_agree 'non-cone patterns with recommendations/'

board_with_docs nocone-out
git sparse-checkout set --no-cone '/dipb.yaml' '/.gitattributes' '/docs/' \
    2>/dev/null
check_refused 1 "outside the sparse checkout" \
    'non-cone patterns without recommendations/: review refused' \
    dipb review IC-0001 --request
check_refused 1 "outside the sparse checkout" \
    'non-cone patterns without recommendations/: recommend refused' \
    dipb recommend --wg industrial-capacity --title Out --no-edit --summary S

# 'git sparse-checkout disable' sets core.sparseCheckout false and leaves
# the patterns file: no sparse checkout, as git takes it, even with an
# entry marked skip-worktree by hand (a local settings file's idiom).
board_with_docs sparse-disabled
git sparse-checkout set --cone docs 2>/dev/null
git sparse-checkout disable 2>/dev/null
git update-index --skip-worktree docs/papers.txt
check 'sparse checkout disabled: the patterns left, core.sparseCheckout false' \
    sh -c 'test -s "$(git rev-parse --git-path info/sparse-checkout)" &&
    test "$(git config core.sparseCheckout)" = false'
change_and_agree 'sparse checkout disabled, an entry skip-worktree by hand'
# The setting in config.worktree (extensions.worktreeConfig), where git
# sparse-checkout writes it then: on there, then off.
board_with_docs sparse-wtconfig
git config extensions.worktreeConfig true
git sparse-checkout set --cone docs 2>/dev/null
check_refused 1 "outside the sparse checkout" \
    'sparse checkout in config.worktree without recommendations/: recommend refused' \
    dipb recommend --wg industrial-capacity --title Out --no-edit --summary S
git sparse-checkout disable 2>/dev/null
git update-index --skip-worktree docs/papers.txt
check 'sparse checkout disabled in config.worktree: the setting there' \
    test "$(git config --worktree core.sparseCheckout)" = false
change_and_agree 'sparse checkout disabled in config.worktree'

# --- Racily clean entries ---------------------------------------------------
# An entry whose file is not older than the index file, in whole seconds
# as git compares them, is racy: git smudges it (size 0) when it writes
# the index if the file's content differs from the entry, and only then;
# so must dipb (README, "with git's racy-clean smudging").  The times are
# set, so that the race is certain: f.txt's entry taken at S.1, the index
# written at S.2, the user's edit (the same size) at S.5, which git sees
# by its content alone (core.trustctime false: not by its ctime either).
S=1700000000
for v in 2 4; do
	board_with_docs racy-v$v
	git update-index --index-version $v
	racy_edit
	check_eq "index v$v, a racy edit: git sees it (the set-up)" f.txt \
	    "$(git diff-files --name-only)"
	run dipb recommend --wg industrial-capacity --title Racy --no-edit \
	    --summary S
	check_eq "index v$v, a racy edit: still seen by git after a dipb change, and nothing else" \
	    "0 f.txt| M f.txt" \
	    "$RC $(git diff-files --name-only)|$(git status --porcelain -- f.txt)"
	# Every entry racy, every file unchanged: none smudged, or git's
	# plumbing would list unchanged files until a refresh.
	git checkout -q -- f.txt
	touch -d @$S "$(git rev-parse --git-path index)"
	run dipb review IC-0002 --request
	check_eq "index v$v, racy entries of unchanged files: kept, git diff-files and diff-index see no change" \
	    "0||0" \
	    "$RC|$(git diff-files --name-only)|$(git diff-index --quiet HEAD --; echo $?)"
done

# A record's own edit, racy: its entry's stat data the edited file's (as
# when the edit lands in the instant git took them), its blob the old one,
# the index written 1 microsecond after the file, in the same second.  git
# compares whole seconds, so it looks at the content and shows the edit;
# dipb must too, and refuse the change rather than overwrite it.
board_with_docs racy-record
git config core.trustctime false
_rec=recommendations/IC-0001.yaml
sed 's/^title: First$/title: Fixed/' "$_rec" >"$TROOT/edited"
cat "$TROOT/edited" >"$_rec"	# the same size, the same inode
touch -d @$S.5 "$_rec"
cp "$_rec" "$TROOT/edited"
python3 - "$(git rev-parse --git-path index)" "$_rec" <<'PY'
import hashlib, os, struct, sys
idx, name = sys.argv[1], sys.argv[2].encode()
b = bytearray(open(idx, 'rb').read())
n, off = struct.unpack('>I', b[8:12])[0], 12
st = os.lstat(name)
for _ in range(n):
	fixed = 62 + (2 if struct.unpack('>H', b[off+60:off+62])[0] & 0x4000 else 0)
	nul = b.index(0, off + fixed)
	if bytes(b[off+fixed:nul]) == name:
		b[off:off+24] = struct.pack('>6I', st.st_ctime_ns // 10**9,
		    st.st_ctime_ns % 10**9, st.st_mtime_ns // 10**9,
		    st.st_mtime_ns % 10**9, st.st_dev & 0xffffffff,
		    st.st_ino & 0xffffffff)
		b[off+36:off+40] = struct.pack('>I', st.st_size)
	off += (nul - off + 8) & ~7
b[-20:] = hashlib.sha1(bytes(b[:-20])).digest()
open(idx, 'wb').write(b)
t = st.st_mtime_ns + 1000
os.utime(idx, ns=(t, t))
PY
# (git status not writing the index, which would end the race.)
check_eq 'a racy edit of the record: git shows it (the set-up)' \
    " M $_rec" "$(GIT_OPTIONAL_LOCKS=0 git status --porcelain -- "$_rec")"
GIT_OPTIONAL_LOCKS=0; export GIT_OPTIONAL_LOCKS
check_refused 1 "$_rec has uncommitted changes" \
    'a racy edit of the record: review refused, as git sees the edit' \
    dipb review IC-0001 --request
unset GIT_OPTIONAL_LOCKS
check 'a racy edit of the record: the file keeps the edit' \
    cmp -s "$TROOT/edited" "$_rec"

# An index dipb leaves to libgit2: a git add run at each moment libgit2
# writes the index (a shim runs it there) either is refused, as index.lock
# is still dipb's, or stays in the index; never reported done and then
# undone by entries read before it.
gitadd_shim() {
	shim gitadd '#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
int git_index_write(void *idx) {
	int (*real)(void *) = (int (*)(void *))dlsym(RTLD_NEXT,
	    "git_index_write");
	const char *cmd = getenv("SHIM_GITADD");
	if (cmd != NULL) {
		FILE *f = fopen(getenv("SHIM_GITADD_RC"), "a");
		if (f != NULL) {
			fprintf(f, "%d\n", system(cmd));
			fclose(f);
		}
	}
	return real(idx);
}'
}

# with_gitadd CMD...: dipb CMD with the shim's git add of other.txt at each
# write of libgit2's; prints its exit status and "refused or kept", or what
# became of a git add reported done.
with_gitadd() {
	printf 'other\n' >other.txt
	rm -f "$TROOT/gitadd.rc"
	run env SHIM_GITADD='env -u LD_PRELOAD git add other.txt 2>/dev/null' \
	    SHIM_GITADD_RC="$TROOT/gitadd.rc" LD_PRELOAD="$TROOT/gitadd.so" \
	    ASAN_OPTIONS="$SHIM_ASAN" "$@"
	if [ ! -s "$TROOT/gitadd.rc" ]; then
		_r='git add not run'
	elif ! grep -qx 0 "$TROOT/gitadd.rc"; then
		_r='refused or kept'
	elif git ls-files --error-unmatch other.txt >/dev/null 2>&1; then
		_r='refused or kept'
	else
		_r="done, then undone by dipb (git add's: $(echo $(cat "$TROOT/gitadd.rc")))"
	fi
	echo "$RC $_r"
	git rm -q --cached --ignore-unmatch other.txt && rm -f other.txt
}

if gitadd_shim; then
	board_with_docs gitadd-v4
	git update-index --index-version 4
	check_eq 'index v4: a git add while dipb writes the index is refused or kept, never undone' \
	    "0 refused or kept" "$(with_gitadd dipb review IC-0001 --request)"
	check_git_agrees 'index v4, a git add while dipb writes: git agrees'
	# A sync that deletes two records: their entries go in one write, all
	# of it under index.lock, taken before the index is read.
	for _v in 2 4; do
		board_with_docs "gitadd-del-v$_v"
		mkrec industrial-capacity Second >/dev/null
		mkrec industrial-capacity Third >/dev/null
		_srv=$TROOT/gitadd-del-v$_v.git
		git init -q --bare "$_srv"
		git push -q "$_srv" main 'refs/tags/*:refs/tags/*' 2>/dev/null
		git remote add origin "$_srv" && git fetch -q origin &&
		    git branch -q -u origin/main
		git clone -q "$_srv" "$_srv-c" 2>/dev/null
		(cd "$_srv-c" && git rm -q recommendations/IC-0002.yaml \
		    recommendations/IC-0003.yaml && git commit -q -m 'two gone' &&
		    git push -q origin main) >/dev/null 2>&1
		git update-index --index-version "$_v"
		check_eq "index v$_v: a git add while a sync deletes two records is refused or kept, never undone" \
		    "0 refused or kept" "$(with_gitadd dipb sync)"
		# (A plain git rm made the deletions: dipb verify would say so.)
		check_eq "index v$_v, a sync deleting two records: git status clean, both gone" \
		    ' 0' "$(git status --porcelain)$(git ls-files recommendations/IC-0002.yaml recommendations/IC-0003.yaml) $(ls recommendations | grep -c -e 0002 -e 0003)"
	done
else
	skip 'a git add while dipb writes the index' 'no C compiler for the shim'
	skip 'a git add while a sync deletes two records' 'no C compiler for the shim'
fi

# The index's copy for libgit2 is removed if a signal kills dipb (dipb(1),
# FILES): SIGTERM sent as libgit2 renames its lock into the copy.
if command -v strace >/dev/null 2>&1 && strace -o /dev/null true 2>/dev/null
then
	board_with_docs sigterm-v4
	git update-index --index-version 4
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
	    strace -f -o /dev/null -P "$BOARD/.git/index.dipb-tmp.lock" \
	    -e trace=rename -e inject=rename:signal=TERM:when=1 \
	    dipb review IC-0001 --request >/dev/null 2>&1
	check_eq 'index v4: SIGTERM as libgit2 writes the copy: killed by it, the copy removed' \
	    '143 ' "$? $(ls .git | grep dipb-tmp)"
	dipb list >/dev/null 2>&1
	check_eq 'index v4, killed by SIGTERM: the next command completes the change' \
	    in-review "$(status_of IC-0001)"
	check_git_agrees 'index v4, killed by SIGTERM, then dipb list: git agrees'
else
	skip 'a signal as libgit2 writes the index' 'no working strace'
fi

# --- fsmonitor --------------------------------------------------------------

board_with_docs fsmonitor
# A hook of protocol 2 that says "everything may have changed" ("/"), as
# githooks(5) allows: git then checks every file, and keeps FSMN.
cat >.git/hooks/fsmonitor <<'EOF'
#!/bin/sh
printf 'token-%s\0/\0' "$(date +%s%N)"
EOF
chmod +x .git/hooks/fsmonitor
git config core.fsmonitor .git/hooks/fsmonitor
git config core.fsmonitorHookVersion 2
git update-index --fsmonitor 2>/dev/null
git status --porcelain >/dev/null 2>&1
if has_ext FSMN; then
	ok 'fsmonitor: set up (a hook, FSMN in the index)'
	change_and_agree 'fsmonitor hook'
	# The user changes a record by hand: git must see it.
	printf '# hand edit\n' >>recommendations/IC-0001.yaml
	check_out 'fsmonitor: git sees a hand edit after dipb changes' \
	    ' M recommendations/IC-0001.yaml' git status --porcelain
	git checkout -q -- recommendations/IC-0001.yaml
else
	skip 'fsmonitor' 'git wrote no FSMN extension with a hook here'
fi

# A hook that says "nothing changed": git trusts the bits of FSMN.  A new
# entry moves every later one a place; were FSMN kept, zz2.txt (changed by
# hand) would take the "unchanged" bit of zz1.txt and vanish from git
# status.
board_with_docs fsmonitor-quiet
printf 'one\n' >zz1.txt
printf 'two\n' >zz2.txt
git add zz1.txt zz2.txt && git commit -q -m zz
printf '#!/bin/sh\nprintf "quiet\\0"\n' >.git/hooks/fsmonitor
chmod +x .git/hooks/fsmonitor
git config core.fsmonitor .git/hooks/fsmonitor
git config core.fsmonitorHookVersion 2
printf 'two, changed\n' >zz2.txt
git update-index --fsmonitor 2>/dev/null
git status --porcelain >/dev/null 2>&1
if has_ext FSMN && [ "$(git ls-files -f zz1.txt zz2.txt | tr '\n' ' ')" = \
    'h zz1.txt H zz2.txt ' ]; then
	ok 'fsmonitor, quiet hook: set up (zz1.txt valid, zz2.txt not)'
	mkrec industrial-capacity 'Moves the entries' >/dev/null
	check_out 'fsmonitor, quiet hook: git still sees zz2.txt changed' \
	    ' M zz2.txt' git status --porcelain
else
	skip 'fsmonitor, quiet hook' 'git marked no entry fsmonitor-valid'
fi

# A file of the user's where the new record goes: refused, not overwritten
# nor left differing from the commit.
board_with_docs new-path
printf 'my own notes\n' >recommendations/IC-0002.yaml
check_refused 1 "the new record's file, is already there" \
    'an untracked file where the new record goes: recommend refused' \
    dipb recommend --wg industrial-capacity --title New --no-edit --summary S
git add recommendations/IC-0002.yaml
check_refused 1 "git rm --cached" \
    'a staged file where the new record goes: recommend refused' \
    dipb recommend --wg industrial-capacity --title New --no-edit --summary S
git rm -q --cached recommendations/IC-0002.yaml
mv recommendations/IC-0002.yaml "$TROOT/notes.yaml"
change_and_agree 'the file moved away as told'

# --- The index lock and a conflicted record -------------------------------

board_with_docs locked
: >.git/index.lock
check_refused 4 ".git/index.lock" \
    'index.lock held: review refused before any change' \
    dipb review IC-0001 --request --retry 0
check_refused 4 ".git/index.lock" \
    'index.lock held: recommend refused before any change' \
    dipb recommend --wg industrial-capacity --title L --no-edit --summary S \
    --retry 0
rm -f .git/index.lock
change_and_agree 'index.lock gone'

git update-index --skip-worktree recommendations/IC-0001.yaml
check_refused 1 "git update-index --no-skip-worktree" \
    'skip-worktree set by hand: review refused, naming what to do' \
    dipb review IC-0001 --request
git update-index --no-skip-worktree recommendations/IC-0001.yaml
cp .git/index "$TROOT/index.good"
printf '\377\377' | dd of=.git/index bs=1 seek=8 conv=notrunc 2>/dev/null
check_refused 5 "cannot read the index" 'a damaged index: review refused' \
    dipb review IC-0001 --request
cp "$TROOT/index.good" .git/index

# An index git status or git fsck refuses, as another tool could leave it:
# refused before any change (dipb would keep it, or change one of two
# entries of the record), exit 5, the entry named.
cp .git/index "$TROOT/index.good"
cat >"$TROOT/idx.py" <<'PY'
import hashlib, struct, sys
d = open('.git/index', 'rb').read()[:-20]
count = struct.unpack('>I', d[8:12])[0]
off, ents = 12, []
for _ in range(count):
	nul = d.index(b'\0', off + 62)
	end = off + ((nul - off + 8) & ~7)
	ents.append(d[off:end])
	off = end
names = [e[62:].split(b'\0')[0] for e in ents]
if sys.argv[1] == 'twice':
	i = names.index(b'recommendations/IC-0001.yaml')
	ents.insert(i, ents[i])
else:
	i = names.index(b'dipb.yaml')
	ents[i] = ents[i][:24] + struct.pack('>I', 0o177644) + ents[i][28:]
out = d[:8] + struct.pack('>I', len(ents)) + b''.join(ents)
open('.git/index', 'wb').write(out + hashlib.sha1(out).digest())
PY
python3 "$TROOT/idx.py" twice
run git fsck --no-dangling
check_err 'an entry twice in the index: git fsck refuses it' \
    'multiple stage entries'
check_refused 5 "'recommendations/IC-0001.yaml': out of order, or twice" \
    'an entry twice in the index: a change refused before anything' \
    dipb review IC-0001 --request
cp "$TROOT/index.good" .git/index
python3 "$TROOT/idx.py" mode
run git status --porcelain
check_err 'a mode git never writes in the index: git status refuses it' \
    'unsupported ce_mode'
check_refused 5 "'dipb.yaml': a mode git never writes" \
    'a mode git never writes in the index: a change refused before anything' \
    dipb review IC-0001 --request
cp "$TROOT/index.good" .git/index

# A dipb killed after its branch moved holds index.lock, as git commit
# would, so no git commit takes the old index meanwhile; the next dipb
# removes it by its mark (the sticky bit, dipb-git(7)) and completes the
# change.  An index.lock of another program, even an empty one, stays.
board_with_docs killed
run env DIPB_FAULT=branch dipb review IC-0001 --request
check_eq 'killed after the branch moved: index.lock left, with the mark' \
    1 "$(stat -c %a .git/index.lock | cut -c1)"
printf 'mine\n' >notes.txt
git add notes.txt 2>/dev/null
check_status 128 'killed: git commit is refused while the lock stays' \
    git commit -q -m 'my notes'
check 'killed: the next dipb list completes the change' dipb list
check_eq 'killed, then dipb list: no index.lock' no \
    "$(test -e .git/index.lock && echo yes || echo no)"
check_out 'killed, then dipb list: git status shows the notes alone' \
    '?? notes.txt' git status --porcelain
rm notes.txt
run env DIPB_FAULT=branch dipb review IC-0001 --recall
rm .git/index.lock
: >.git/index.lock		# another program's, in its first moment
check 'a foreign empty index.lock and a journal: dipb list exits 0' \
    dipb list
check_eq 'a foreign empty index.lock and a journal: the lock stays' yes \
    "$(test -e .git/index.lock && echo yes || echo no)"
# Every reading command alike: the change is left to a later command with
# a warning naming the lock, and the history is read as it is; dipb
# verify's exit 4 is the repository lock's alone (dipb-verify(1)), and
# the change it cannot finish is not tried twice (one warning).
for _c in 'show IC-0001' log 'report status'; do
	# shellcheck disable=SC2086 # the command's words
	check "a foreign index.lock and a journal: dipb $_c exits 0" dipb $_c
	check_err "a foreign index.lock and a journal: dipb $_c names it" \
	    "dipb: warning: '.git/index.lock' exists"
done
verify_clean 'a foreign index.lock and a journal: dipb verify is clean'
check_err 'a foreign index.lock and a journal: dipb verify warns' \
    "dipb: warning: '.git/index.lock' exists"
check_eq 'a foreign index.lock and a journal: dipb verify says it once' 1 \
    "$(grep -c 'index.lock' "$ERR")"
check_eq 'a foreign index.lock and a journal: verify leaves the change' \
    yes "$(test -e .git/dipb-journal && echo yes || echo no)"
rm .git/index.lock
check 'the foreign lock gone: dipb list completes the change' dipb list
check_out 'the foreign lock gone: git status is clean' '' \
    git status --porcelain
# Killed after its tag was written, before its branch moved, with another
# program's lock on the tag's ref: recovery cannot undo the tag.  dipb
# verify does not read it as it is (a stray tag, a finding no damage
# made) but stops as a writer does, exit 4 naming the lock
# (dipb-verify(1), EXIT STATUS); with the lock gone it undoes the change.
run env DIPB_FAULT=tag-ref dipb review IC-0001 --request
_t=$(sed -n 's/^tag-ref //p' .git/dipb-journal)
: >".git/$_t.lock"
run dipb verify
check_eq 'a foreign lock on the tag of a killed change: dipb verify exits 4' \
    4 "$RC"
check_err 'a foreign lock on the tag of a killed change: verify names it' \
    "dipb: '.git/$_t.lock' exists"
check_eq 'a foreign lock on the tag of a killed change: no finding' '' \
    "$(cat "$OUT")"
check_eq 'a foreign lock on the tag of a killed change: named once' 1 \
    "$(grep -c -F "$_t.lock" "$ERR")"
run dipb verify
check_eq 'a foreign lock on the tag of a killed change: so again' 4 "$RC"
rm ".git/$_t.lock"
verify_clean 'the lock on the tag gone: dipb verify is clean'
check_eq 'the lock on the tag gone: dipb verify undid the change' no \
    "$(git rev-parse -q --verify "$_t" >/dev/null && echo yes || echo no)"
# The same with the tag packed (a git gc between the kill and the next
# dipb) and another program's packed-refs.lock: a packed ref is deleted
# by rewriting packed-refs, which that lock stops, as it stops git tag -d.
# dipb verify and a writer stop, exit 4 naming it once, the change left
# to undo; with the lock gone the next dipb undoes it.
run env DIPB_FAULT=tag-ref dipb review IC-0001 --request
_t=$(sed -n 's/^tag-ref //p' .git/dipb-journal)
git pack-refs --all
: >.git/packed-refs.lock
run dipb verify
check_eq 'packed-refs.lock, a packed tag of a killed change: verify exits 4' \
    4 "$RC"
check_err 'packed-refs.lock, a packed tag of a killed change: verify names it' \
    "dipb: '.git/packed-refs.lock' exists"
check_eq 'packed-refs.lock, a packed tag of a killed change: named once' 1 \
    "$(grep -c 'packed-refs.lock' "$ERR")"
check_eq 'packed-refs.lock, a packed tag of a killed change: no finding' '' \
    "$(cat "$OUT")"
check_eq 'packed-refs.lock, a packed tag of a killed change: journal kept' \
    yes "$(test -e .git/dipb-journal && echo yes || echo no)"
run dipb review IC-0001 --request
check_eq 'packed-refs.lock, a packed tag of a killed change: a writer exits 4' \
    4 "$RC"
check_eq 'packed-refs.lock, a packed tag of a killed change: a writer says once' \
    1 "$(grep -c 'packed-refs.lock' "$ERR")"
check_eq 'packed-refs.lock, a packed tag of a killed change: writer keeps it' \
    yes "$(test -e .git/dipb-journal && echo yes || echo no)"
rm .git/packed-refs.lock
verify_clean 'packed-refs.lock gone: dipb verify is clean'
check_eq 'packed-refs.lock gone: dipb verify undid the change' no \
    "$(git rev-parse -q --verify "$_t" >/dev/null && echo yes || echo no)"
check_eq 'packed-refs.lock gone: no journal left' no \
    "$(test -e .git/dipb-journal && echo yes || echo no)"

# The same with dipb stopped, not killed, right after its branch moved: a
# git commit of the user's own file then is refused by git, and the
# change ends whole when dipb goes on (git would otherwise commit the old
# record back on top of it).
board_with_docs stopped
printf 'mine\n' >notes.txt
git add notes.txt
git commit -q -m 'my notes'
printf 'more\n' >>notes.txt
env DIPB_FAULT=branch:stop dipb review IC-0001 --request \
    >/dev/null 2>"$TROOT/stopped.err" &
_pid=$!
_n=0
until grep -q '^State:.*stopped' "/proc/$_pid/status" 2>/dev/null ||
    [ "$_n" -ge 500 ]; do
	sleep 0.02
	_n=$((_n + 1))
done
check_status 128 'stopped after the branch moved: git commit -a refused' \
    git commit -q -a -m 'more notes'
kill -CONT "$_pid"
wait "$_pid"
check_eq 'stopped, then on: dipb review exits 0' 0 "$?"
check_eq 'stopped, then on: the record is in review at the tip' \
    'status: in-review' \
    "$(git show HEAD:recommendations/IC-0001.yaml | grep '^status:')"
check_out 'stopped, then on: git status shows the notes alone' \
    ' M notes.txt' git status --porcelain
git checkout -q notes.txt

# A cache tree nested deeper than a path can be, in an index git reads:
# dropped (git makes it again), not followed down the stack.
board_with_docs deeptree
python3 - <<'PY'
import hashlib, struct
d = open('.git/index', 'rb').read()[:-20]
count = struct.unpack('>I', d[8:12])[0]
off = 12
for _ in range(count):
	nul = d.index(b'\0', off + 62)
	off += (nul - off + 8) & ~7
tree = b'\0-1 1\n' + b'a\0-1 1\n' * 59999 + b'z\0-1 0\n'
out = d[:off] + b'TREE' + struct.pack('>I', len(tree)) + tree
open('.git/index', 'wb').write(out + hashlib.sha1(out).digest())
PY
change_and_agree 'a cache tree 60,000 deep'

board_with_docs conflict
sedit recommendations/IC-0001.yaml 's/^status: draft$/status: draft # mine/'
git stash -q
run dipb review IC-0001 --request
git stash pop -q >/dev/null 2>&1
if git ls-files -u | grep -q IC-0001; then
	ok 'conflicted record: set up (git stash pop conflicts)'
	as rev1
	check_refused 1 "recommendations/IC-0001.yaml has a conflict" \
	    'conflicted record: a move of it refused' \
	    dipb review IC-0001 --endorse
	as secretary
	check_refused 1 "recommendations/IC-0001.yaml has a conflict" \
	    'conflicted record: withdraw refused' \
	    dipb withdraw IC-0001 -m 'No.'
	check 'conflicted record: reading commands work' dipb show IC-0001
else
	skip 'conflicted record' 'git stash pop made no conflict'
fi

# --- Operations in progress ---------------------------------------------------

# diverged NAME: a board where the branch 'other' and main each changed
# docs/papers.txt their own way, on main.
diverged() {
	board_with_docs "$1"
	git checkout -q -b other
	printf 'Other papers.\n' >docs/papers.txt
	git commit -q -am 'other papers'
	git checkout -q main
	printf 'Main papers.\n' >docs/papers.txt
	git commit -q -am 'main papers'
}

diverged merge
git merge -q other >/dev/null 2>&1
if [ -f .git/MERGE_HEAD ]; then
	ok 'merge in progress: set up (a conflict on docs/papers.txt)'
	check_refused 1 "a merge is in progress" \
	    'merge in progress: review refused before any change' \
	    dipb review IC-0001 --request
	check_refused 1 "git merge --abort" \
	    'merge in progress: recommend refused, naming what to do' \
	    dipb recommend --wg industrial-capacity --title M --no-edit \
	    --summary S
	check_refused 1 "a merge is in progress" \
	    'merge in progress: edit refused before the editor runs' \
	    env EDITOR=false VISUAL=false dipb edit IC-0001
	as chair
	sedit dipb.yaml 's/^board: .*/board: Renamed Board # a comment/'
	check_refused 1 "a merge is in progress" \
	    'merge in progress: edit --board --no-edit refused, dipb.yaml kept' \
	    dipb edit --board --no-edit
	check 'merge in progress: dipb.yaml as the user left it' \
	    grep -q '^board: Renamed Board # a comment$' dipb.yaml
	git checkout -q -- dipb.yaml
	as drafter
	check 'merge in progress: reading commands work' dipb list
	git merge --abort
	change_and_agree 'merge aborted as told'
else
	skip 'merge in progress' 'git merge made no MERGE_HEAD'
fi

# libgit2 failing to say whether an operation is in progress (its -1:
# out of memory; a shim makes it fail), or the shallow file whose stat
# fails: exit 5 with its reason, never "a rebase is in progress", nor a
# change made as in a whole clone.
if shim state 'int git_repository_state(void *r) { (void)r; return -1; }'
then
	board_with_docs statefail
	as drafter
	check_refused 5 "cannot read the state of the repository" \
	    'state unknown: review refused, exit 5, no rebase made up' \
	    env LD_PRELOAD="$TROOT/state.so" ASAN_OPTIONS="$SHIM_ASAN" \
	    dipb review IC-0001 --request
	check_eq 'state unknown: no operation named' '' \
	    "$(grep 'in progress' "$ERR")"
	# The shallow file a link to itself: its stat fails (ELOOP), said
	# by dipb, or by libgit2 1.7 and later as it opens the repository.
	ln -s shallow .git/shallow
	check_refused 5 "/.git/shallow': Too many levels of symbolic links" \
	    'shallow or not unknown: review refused, exit 5' \
	    dipb review IC-0001 --request
	rm .git/shallow
else
	skip 'state unknown' 'no C compiler for the shim'
fi

diverged cherry
git cherry-pick other >/dev/null 2>&1
if [ -f .git/CHERRY_PICK_HEAD ]; then
	check_refused 1 "a cherry-pick is in progress" \
	    'cherry-pick in progress: review refused' \
	    dipb review IC-0001 --request
	git cherry-pick --abort
else
	skip 'cherry-pick in progress' 'git made no CHERRY_PICK_HEAD'
fi
git revert --no-edit HEAD~2 >/dev/null 2>&1
if [ -f .git/REVERT_HEAD ]; then
	check_refused 1 "a revert is in progress" \
	    'revert in progress: review refused' \
	    dipb review IC-0001 --request
	git revert --abort
else
	skip 'revert in progress' 'git made no REVERT_HEAD'
fi
git bisect start >/dev/null 2>&1
if [ -f .git/BISECT_LOG ]; then
	check_refused 1 "a bisect is in progress" \
	    'bisect in progress: review refused' \
	    dipb review IC-0001 --request
	git bisect reset >/dev/null 2>&1
else
	skip 'bisect in progress' 'git made no BISECT_LOG'
fi
git checkout -q other
git rebase -q main >/dev/null 2>&1
if [ -d .git/rebase-merge ] || [ -d .git/rebase-apply ]; then
	check_refused 1 "a rebase is in progress: finish it with 'git rebase --continue'" \
	    'rebase in progress: review refused, the rebase named' \
	    dipb review IC-0001 --request
	git rebase --abort
else
	skip 'rebase in progress' 'git rebase did not stop'
fi
git checkout -q -
change_and_agree 'after cherry-pick, revert, bisect and rebase'

# In a linked worktree, the worktree's own git dir says what is in progress.
git worktree add -q ../wt-linked -b linked 2>/dev/null
cd ../wt-linked || exit 1
printf 'Linked papers.\n' >docs/papers.txt
git commit -q -am 'linked papers'
git cherry-pick other >/dev/null 2>&1
if [ -f "$(git rev-parse --git-dir)/CHERRY_PICK_HEAD" ]; then
	check_refused 1 "a cherry-pick is in progress" \
	    'linked worktree: a cherry-pick in it refuses there' \
	    dipb review IC-0001 --request
	cd "$BOARD" || exit 1
	check 'linked worktree: the main one still works' \
	    dipb review IC-0001 --request
else
	skip 'linked worktree cherry-pick' 'git made no CHERRY_PICK_HEAD'
	cd "$BOARD" || exit 1
fi

finish

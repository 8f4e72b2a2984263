#!/bin/sh
# tests/cli/layout.sh - the sharded layout of recommendations/ (dipb-board(5),
# "layout"): a board made with 'dipb init --layout sharded' taken through
# the whole life cycle, past the hundred boundary of a shard, read by every
# reading command, refused where a record lies outside its place (validate,
# verify, the pre-receive hook), and synced between two clones.
#
# git is the oracle throughout: git ls-tree -r HEAD shows the shard paths,
# git fsck --strict, git status --porcelain, git ls-files -s against HEAD
# (check_git_agrees), dipb verify.
. "$(dirname "$0")/lib.sh"

DIPB_FSYNC=0
export DIPB_FSYNC

# path ID: where the sharded layout keeps ID.
path() {
	_p=${1%%-*} _n=${1#*-}
	echo "recommendations/$_p/${_n%??}/$1.yaml"
}

# sfield ID KEY [REV]: field of the sharded board (lib.sh's is flat).
sfield() {
	git show "${3:-HEAD}:$(path "$1")" 2>/dev/null |
	    sed -n "s/^$2: *//p" | sed "s/^'\(.*\)'\$/\1/"
}

# check_path DESC ID: HEAD's last commit touches ID's sharded path alone.
check_path() {
	_f=$(git log -1 --format= --name-only HEAD)
	check_eq "$1" "$(path "$2")" "$_f"
}

# --- dipb init --layout ---------------------------------------------------

cd "$TROOT" || exit 1
mkdir bad && cd bad && git init -q && as chair
check_refused 2 '' 'init --layout round: exit 2, nothing made' \
    dipb init --config "$BOARD_CONFIG" --layout round
check_err 'init --layout round: says what it takes' \
    '--layout takes flat or sharded'
check_eq 'init --layout round: no dipb.yaml written' no \
    "$([ -e dipb.yaml ] && echo yes || echo no)"

# A --config file's layout: is honoured; --layout overrides it.
sed 's/^review:/layout: sharded\nreview:/' "$BOARD_CONFIG" \
    >"$TROOT/sharded.yaml"
cd "$TROOT" && mkdir cfg && cd cfg && git init -q
check 'init --config with layout: sharded' dipb init --config \
    "$TROOT/sharded.yaml"
check_eq 'the config'"'"'s layout: is kept' 'sharded' \
    "$(git show HEAD:dipb.yaml | sed -n 's/^layout: //p')"
cd "$TROOT" && mkdir over && cd over && git init -q
check 'init --config (sharded) --layout flat' dipb init --config \
    "$TROOT/sharded.yaml" --layout flat
check_eq '--layout flat wins: no layout: key (flat is the default)' '' \
    "$(git show HEAD:dipb.yaml | sed -n 's/^layout: //p')"

BOARD=$TROOT/board
mkdir "$BOARD" && cd "$BOARD" && git init -q
check 'init --layout sharded' dipb init --config "$BOARD_CONFIG" \
    --layout sharded
check_eq 'dipb.yaml says layout: sharded' 'sharded' \
    "$(sed -n 's/^layout: //p' dipb.yaml)"
check 'validate: the new board is valid' dipb validate

# A file of the user's where a shard's folder goes: refused before
# anything is written, as git refuses a checkout that would overwrite it
# (the change was made, and the index left without the record).
as drafter
mkdir -p recommendations/SCS
echo 'my notes' >recommendations/SCS/00
check_refused 1 'recommendations/SCS/00 is a file where the folder of recommendations/SCS/00/SCS-0001.yaml goes' \
    'recommend with a file in the way of its shard folder: exit 1, nothing written' \
    dipb recommend --wg supply-chain-security --title T --summary S --no-edit
check_eq 'the file is left as it was' 'my notes' "$(cat recommendations/SCS/00)"
rm -r recommendations/SCS
as chair

# --- recommend, across the hundred boundary --------------------------------

# IC-0001..IC-0097, each a drafted commit and tag at its sharded path,
# written by git fast-import (dipb recommend would take minutes).
fast_drafts 97 sharded
check_eq 'set-up: 97 drafts in recommendations/IC/00/' 97 \
    "$(git ls-tree --name-only HEAD recommendations/IC/00/ | wc -l | tr -d ' ')"

cat >"$TROOT/draft.yaml" <<'YAML'
title: Multi-year framework contracts for 155 mm ammunition
working_group: industrial-capacity
classification: NATO UNCLASSIFIED
priority: high
summary: |
  Replace annual orders with five-year framework contracts.
actions:
  - text: Publish a ten-year demand signal.
    owner: National Armaments Directors
    due: 2026-09-30
  - text: Agree a model framework contract.
    owner: Industrial Capacity working group
YAML

as drafter
at 2026-02-02
check_change IC-0098/1-drafted 'none -> draft' '' dipb recommend \
    --wg industrial-capacity --title 'The 98th' --summary 'S.' --no-edit
check_path 'IC-0098 is written in IC/00/' IC-0098
check_change IC-0099/1-drafted 'none -> draft' '' dipb recommend \
    --wg industrial-capacity --title 'The 99th' --summary 'S.' --no-edit
check_path 'IC-0099, the last of its hundred, in IC/00/' IC-0099
check_change IC-0100/1-drafted 'none -> draft' '' dipb recommend \
    --from "$TROOT/draft.yaml" --no-edit
check_path 'IC-0100, the first of the next hundred, in IC/01/' IC-0100
check_change IC-0101/1-drafted 'none -> draft' '' dipb recommend \
    --wg industrial-capacity --title 'The 101st' --summary 'S.' --no-edit
check_path 'IC-0101 in IC/01/ too' IC-0101
check_change SCS-0001/1-drafted 'none -> draft' '' dipb recommend \
    --wg supply-chain-security --title 'Another group' --summary 'S.' \
    --no-edit
check_path 'SCS-0001 in its own prefix'"'"'s folder, SCS/00/' SCS-0001
git ls-tree -r --name-only HEAD recommendations/ | sed -n '96,$p' \
    >"$TROOT/tree"
check_eq 'git ls-tree -r HEAD: the shard paths, nothing flat' \
    'recommendations/IC/00/IC-0096.yaml
recommendations/IC/00/IC-0097.yaml
recommendations/IC/00/IC-0098.yaml
recommendations/IC/00/IC-0099.yaml
recommendations/IC/01/IC-0100.yaml
recommendations/IC/01/IC-0101.yaml
recommendations/SCS/00/SCS-0001.yaml' "$(cat "$TROOT/tree")"
check_eq 'no record file in recommendations/ itself' '' \
    "$(git ls-tree --name-only HEAD recommendations/ | grep '\.yaml$')"
check_git_agrees 'after recommend: fsck, status, index, verify clean'

# --- the life cycle -----------------------------------------------------------

drive IC-0100 decided
check_eq 'IC-0100 driven to decided, at its sharded path' decided \
    "$(sfield IC-0100 status)"
as secretary
check_change IC-0100/7-action-updated 'decided -> decided' '' \
    dipb action IC-0100 1 --done -m 'Published.'
check_path 'action: IC-0100 in IC/01/' IC-0100
check_change IC-0099/2-withdrawn 'draft -> withdrawn' '' \
    dipb withdraw IC-0099 -m 'Merged into IC-0100.'
check_path 'withdraw: IC-0099 in IC/00/' IC-0099
as drafter
drive IC-0101 in-review
as drafter
sedit "$(path SCS-0001)" 's/^title: .*/title: Another group, edited/'
check_change SCS-0001/2-edited 'draft -> draft' '' dipb edit SCS-0001 --no-edit
check_path 'edit --no-edit: SCS-0001 in SCS/00/' SCS-0001
check_eq 'the edit is in the sharded file' 'Another group, edited' \
    "$(sfield SCS-0001 title)"
check_eq 'no flat file was made by any change' '' \
    "$(git log --format= --name-only | grep -E '^recommendations/[^/]+\.yaml$')"
check_git_agrees 'after the life cycle: fsck, status, index, verify clean'

# --- the readers ------------------------------------------------------------------

check 'list' dipb list
check_eq 'list: every record, in id order' \
    'IC-0098 IC-0099 IC-0100 IC-0101 SCS-0001' \
    "$(cut -f 1 "$OUT" | sed -n '98,$p' | tr '\n' ' ' | sed 's/ $//')"
check_eq 'list: 102 records' 102 "$(wc -l <"$OUT" | tr -d ' ')"
check_eq 'list: statuses read from the shards' \
    'IC-0099 withdrawn IC-0100 decided IC-0101 in-review' \
    "$(awk -F '\t' '$1 ~ /^IC-01|^IC-0099/ { printf "%s %s ", $1, $2 }' "$OUT" | sed 's/ $//')"
check 'show IC-0100' dipb show IC-0100
check_file_has 'show: its title' "$OUT" '^title: Multi-year framework'
check 'show IC-0100@1, the version at its first tag' dipb show IC-0100@1
check_file_has 'show @1: drafted' "$OUT" '^status: draft'
check 'show IC-0005 (made by fast-import)' dipb show IC-0005
check 'log IC-0100' dipb log IC-0100
check_eq 'log IC-0100: its seven changes' 7 "$(grep -c 'IC-0100/' "$OUT")"
check 'log (the whole branch)' dipb log
check_file_has 'log: SCS-0001 edited' "$OUT" 'SCS-0001/2-edited'
as drafter
check 'todo' dipb todo --member dan@example.org --today 2026-02-02
check 'report status' dipb report status
check_file_has 'report status: IC-0100' "$OUT" 'IC-0100'
check 'report actions' dipb report actions --today 2026-12-31
check_file_has 'report actions: the open action of IC-0100' "$OUT" \
    'model framework contract'
check 'report minutes' dipb report minutes --since 2026-01-01
check_file_has 'report minutes: IC-0100 decided' "$OUT" 'IC-0100'
check 'diff SCS-0001 1 2 --stat' dipb diff SCS-0001 1 2 --stat
check_file_has 'diff --stat: the sharded path' "$OUT" \
    '^ recommendations/SCS/00/SCS-0001.yaml \| 2 '
check 'diff SCS-0001 1 2' dipb diff SCS-0001 1 2
check_file_has 'diff: the edited title' "$OUT" '^\+title: Another group, edited'
run dipb diff SCS-0001 1 2 --all
check_eq 'diff --all: git diff of the sharded file, as stored' \
    "$(git diff "$(git tag -l 'SCS-0001/1-*')" "$(git tag -l 'SCS-0001/2-*')" \
    -- recommendations/SCS/00/SCS-0001.yaml | sed -n '/^@@/,$p')" \
    "$(sed -n '/^@@/,$p' "$OUT")"
check_status 0 'validate: the board is valid' dipb validate
check_eq 'validate: nothing said' '' "$(cat "$OUT")"

# --- records where the layout keeps none -------------------------------------

mkdir -p recommendations/IC/05
cp "$(path IC-0100)" recommendations/IC/05/IC-0100.yaml
check_status 1 'validate: a copy in the wrong shard: exit 1' dipb validate
check_file_has 'validate: [record-path] with the file and its place' \
    "$OUT" '^recommendations/IC/05/IC-0100\.yaml:0:0: error: .*recommendations/IC/01/IC-0100\.yaml \[record-path\]$'
rm -r recommendations/IC/05
cp "$(path IC-0101)" recommendations/IC-0101.yaml
check_status 1 'validate: a copy in the flat place: exit 1' dipb validate
check_file_has 'validate: the flat place is [record-path] on a sharded board' \
    "$OUT" '^recommendations/IC-0101\.yaml:0:0: error: .* it is sharded .*\[record-path\]$'
check_file_has 'validate: and the copy a [duplicate-id]' "$OUT" \
    'IC-0101.*\[duplicate-id\]$'
rm recommendations/IC-0101.yaml
echo 'notes' >recommendations/IC/01/notes.txt
check_status 0 'validate: a stray file not named .yaml is not read (as a flat board'"'"'s)' \
    dipb validate
rm recommendations/IC/01/notes.txt
# A record file in any other folder below recommendations/ is read, and
# out of its place (dipb-record(5)): never passed over.
mkdir -p recommendations/IC/01/deeper
cp "$(path IC-0101)" recommendations/IC/01/deeper/IC-0101.yaml
check_status 1 'validate: a record in a folder below a shard: exit 1' \
    dipb validate
check_file_has 'validate: below a shard, [record-path]' "$OUT" \
    '^recommendations/IC/01/deeper/IC-0101\.yaml:0:0: error: .*recommendations/IC/01/IC-0101\.yaml \[record-path\]$'
rm -r recommendations/IC/01/deeper
mkdir recommendations/notes
cp "$(path IC-0101)" recommendations/notes/IC-0101.yaml
check_status 1 'validate: a record in a folder not named as a prefix: exit 1' \
    dipb validate
check_file_has 'validate: in a folder not named as a prefix, [record-path]' \
    "$OUT" '^recommendations/notes/IC-0101\.yaml:0:0: error: .*recommendations/IC/01/IC-0101\.yaml \[record-path\]$'
rm -r recommendations/notes
cp "$(path IC-0101)" recommendations/IC/IC-0101.yaml
check_status 1 'validate: a record in the prefix'"'"'s folder itself: exit 1' \
    dipb validate
check_file_has 'validate: no place of either layout [record-path]' "$OUT" \
    '^recommendations/IC/IC-0101\.yaml:0:0: error: .*recommendations/IC/01/IC-0101\.yaml \[record-path\]$'
rm recommendations/IC/IC-0101.yaml

verify_clean 'verify: the whole history is clean'
BEFORE=$(git rev-parse HEAD)
mkdir -p recommendations/IC/02
git mv "$(path IC-0101)" recommendations/IC/02/IC-0101.yaml
git commit -q -m 'Move a record'
check_rule 'verify: a plain commit moving IC-0101 to IC/02/' record-path \
    'recommendations/IC/02/IC-0101.yaml .*recommendations/IC/01/IC-0101.yaml'
check_rule 'verify: and it is a plain commit' plain-commit \
    'deletes recommendations/IC/01/IC-0101.yaml'
# From the checkpoint the clean verify left at the commit before: the
# shard folders read from there on only (dipb_treediff_seed).
check_eq 'verify left a checkpoint at the commit before the move' yes \
    "$(test -f "$(git rev-parse --git-dir)/dipb/verify/$BEFORE" && echo yes)"
check_rule 'verify --since HEAD~1, from that checkpoint: the move' \
    record-path \
    'recommendations/IC/02/IC-0101.yaml .*recommendations/IC/01/IC-0101.yaml' \
    --since HEAD~1
check_status 1 'list after the move: exit 1, a record it cannot take (dipb-list(1))' \
    dipb list
check_eq 'list: the misplaced record is left out' '' \
    "$(grep '^IC-0101' "$OUT")"
check_err 'list: saying where it should be' \
    'recommendations/IC/02/IC-0101.yaml:0:0: error: not where this board keeps IC-0101'
git reset -q --hard "$BEFORE"
git clean -fdq

# The same by a plain commit that copies IC-0101 to a folder of no layout.
mkdir recommendations/archive
cp "$(path IC-0101)" recommendations/archive/IC-0101.yaml
git add recommendations/archive
git commit -q -m 'Archive a record'
check_rule 'verify: a plain commit adding recommendations/archive/IC-0101.yaml' \
    record-path 'recommendations/archive/IC-0101.yaml is no place of a record'
check_rule 'verify: and a plain commit naming the file' plain-commit \
    'adds recommendations/archive/IC-0101.yaml'
check_status 1 'list: exit 1, a record in archive/ it cannot take' dipb list
check_eq 'list: IC-0101 once, from its own file' 1 \
    "$(grep -c '^IC-0101' "$OUT")"
check_err 'list: the copy in archive/ named' \
    'recommendations/archive/IC-0101.yaml:0:0: error: not where this board keeps IC-0101'
git reset -q --hard "$BEFORE"
git clean -fdq

# Folders deeper than 16 below recommendations/: an error of validate,
# never read; the readers pass them over.
D=recommendations/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a
mkdir -p $D/a
cp "$(path IC-0101)" $D/IC-0101.yaml
cp "$(path IC-0101)" $D/a/IC-0101.yaml
check_status 1 'validate: folders 17 deep: exit 1' dipb validate
check_file_has 'validate: a record 16 folders deep is read: [record-path]' \
    "$OUT" "^$D/IC-0101\\.yaml:0:0: error: not where .*\\[record-path\\]\$"
check_file_has 'validate: the 17th folder named, not read: [record-path]' \
    "$OUT" "^$D/a:0:0: error: a folder more than 16 levels below .*\\[record-path\\]\$"
git add recommendations/a
git commit -q -m 'Too deep'
run dipb list --format ids
check_eq 'list: folders 17 deep passed over, the record 16 deep left out' \
    "1 1 IC-0101 no" "$RC $(grep -c "$D/IC-0101.yaml.*record-path" "$ERR") $(grep -x IC-0101 "$OUT") $(grep -q "$D/a" "$ERR" && echo yes || echo no)"
git reset -q --hard "$BEFORE"
git clean -fdq

# A state change written at the flat place of a sharded board.
cp "$(path IC-0098)" recommendations/IC-0098.yaml
git rm -q --cached "$(path IC-0098)" && rm "$(path IC-0098)"
sed -i 's/^title: .*/title: Flat again/' recommendations/IC-0098.yaml
git add recommendations/IC-0098.yaml
NOTAG=0 forge IC-0098 edited 'draft -> draft' drafter
check_rule 'verify: a change that puts IC-0098 in the flat place' \
    record-path 'recommendations/IC-0098.yaml is in the place of the flat layout'
git reset -q --hard "$BEFORE"
git tag -d IC-0098/2-edited >/dev/null
verify_clean 'verify: clean again once the branch is reset'

# --- examples/pre-commit on a sharded board ----------------------------------

cp "$DIPB_SRCDIR/examples/pre-commit" .git/hooks/pre-commit
chmod +x .git/hooks/pre-commit
as drafter
f=$(path IC-0098)
sedit "$f" 's/^title: .*/title: By hand/'
git add "$f"
check_status 1 'pre-commit: a hand edit of a sharded record is refused' \
    git commit -q -m 'hand edit'
check_err 'pre-commit: it names the record by its id' \
    "pre-commit: $f: IC-0098 changed by hand"
check_err 'pre-commit: and the dipb command that makes it a change' \
    "make it one: git restore --staged :/$f && dipb edit IC-0098 --no-edit"
sedit "$f" 's/^status: .*/status: bogus/'
git add "$f"
check_status 1 'pre-commit: an invalid staged sharded record' \
    git commit -q -m 'hand edit'
check_err_re 'pre-commit: validated as staged, path:line:col [enum]' \
    "^$f:[0-9]+:[0-9]+: error: .*\\[enum\\]\$"
sedit "$f" 's/^status: .*/status: draft/'
check 'pre-commit: the command it names makes the change' sh -c \
    "git restore --staged :/$f && dipb edit IC-0098 --no-edit"
check_eq 'pre-commit: IC-0098 edited at its sharded path' 'By hand' \
    "$(sfield IC-0098 title)"
rm .git/hooks/pre-commit
check_git_agrees 'after the hook: fsck, status, index, verify clean'

# --- killed while making a new shard's first record -------------------------

# SI-0001 is the first record of its prefix: its change makes the folders
# recommendations/SI/00/.  Killed at each fault point of the commit path
# (DIPB_FAULT, dipb(1)), the next command finds it absent or whole, never
# half made, and git finds the board whole.
for p in journal branch worktree index; do
	cd "$TROOT" && rm -rf "$TROOT/kill" && cp -a "$BOARD" "$TROOT/kill" &&
	    cd "$TROOT/kill" || exit 1
	as drafter
	run env DIPB_FAULT=$p dipb recommend --wg \
	    standardisation-interoperability --title 'First SI' --summary S \
	    --no-edit
	check_eq "killed at $p: SIGKILL" 137 "$RC"
	run dipb list --format ids
	check_eq "killed at $p: dipb list works after the kill" 0 "$RC"
	check_git_agrees "killed at $p: fsck, status, index, verify clean"
	_in=$(git ls-tree -r --name-only HEAD recommendations/SI/)
	_tag=$(git tag -l 'SI-0001/*')
	if [ -z "$_in" ] && [ -z "$_tag" ] && [ ! -e recommendations/SI ]; then
		ok "killed at $p: the change is absent, no folder left"
	elif [ "$_in" = "$(path SI-0001)" ] && [ "$_tag" = SI-0001/1-drafted ] &&
	    [ -f "$(path SI-0001)" ]; then
		ok "killed at $p: the change is whole, its file in SI/00/"
	else
		not_ok "killed at $p: the change is absent or whole" \
		    "tree: $_in; tag: $_tag; $(ls -R recommendations/SI 2>&1)"
	fi
done
cd "$BOARD" || exit 1

# --- two clones, dipb sync, the pre-receive hook ----------------------------

share_two shared || { finish; exit 1; }
cd "$A" || exit 1
as icdrafter
check_out 'A drafts IC-0102' IC-0102 dipb recommend \
    --wg industrial-capacity --title 'From A' --summary 'A.' --no-edit
cd "$B" || exit 1
as drafter
check_out 'B, not having pulled, drafts IC-0102 too' IC-0102 \
    dipb recommend --wg industrial-capacity --title 'From B' \
    --summary 'B.' --no-edit
as rev1
check 'B endorses IC-0101' dipb review IC-0101 --endorse
cd "$A" || exit 1
as icdrafter
check_status 0 'A syncs first: exit 0' dipb sync
cd "$B" || exit 1
as drafter
check_status 0 'B syncs: exit 0' dipb sync
check_stdout 'B: IC-0102 -> IC-0103' 'IC-0102 -> IC-0103'
check_eq 'B: IC-0103, renumbered, at its sharded path' 'From B' \
    "$(sfield IC-0103 title)"
check_eq 'B: IC-0102 is A'"'"'s' 'From A' "$(sfield IC-0102 title)"
check_eq 'B: the endorsement replayed at IC/01/' 'in-review' \
    "$(sfield IC-0101 status)"
check_eq 'B: the replayed changes touch the shard paths alone' \
    "$(path IC-0101) $(path IC-0103)" \
    "$(git log -2 --format= --name-only | sort | tr '\n' ' ' | sed 's/ $//')"
check_git_agrees 'B: verify, fsck, status, index clean'
cd "$A" || exit 1
check_status 0 'A syncs again: exit 0' dipb sync
check_eq 'A has B'"'"'s IC-0103' 'From B' "$(sfield IC-0103 title)"
check_git_agrees 'A: verify, fsck, status, index clean'
rm -rf "$TROOT/fresh"
git clone -q "file://$SRV" "$TROOT/fresh" 2>/dev/null
(cd "$TROOT/fresh" && check_git_agrees 'a fresh clone of the server verifies clean')

# The hook refuses a push that moves a record to the wrong shard.
mkdir -p recommendations/IC/09
git mv "$(path IC-0102)" recommendations/IC/09/IC-0102.yaml
git commit -q -m 'Move a record by hand'
check_status nonzero 'the hook refuses a record moved to the wrong shard' \
    git push -q origin main
check_err_re 'the hook names the [record-path] finding' \
    'recommendations/IC/09/IC-0102.yaml.*\[record-path\]'
check_eq 'the server keeps its branch' "$(git rev-parse HEAD~1)" \
    "$(git --git-dir="$SRV" rev-parse main)"

# --- past 9999: the shards are ordered by number, not by name ----------------

mkdir "$TROOT/big" && cd "$TROOT/big" && git init -q
as chair
check 'a second sharded board' dipb init --config "$BOARD_CONFIG" \
    --layout sharded
body='id: IC-9999
title: The last of four digits
working_group: industrial-capacity
status: draft
classification: NATO UNCLASSIFIED
priority: medium
created: 2026-01-01
updated: 2026-01-01
author: dan@example.org
summary: |
  Summary.
'
msg='IC-9999: drafted by Dan Drafter

Dipb-Record: IC-9999
Dipb-Event: drafted
Dipb-Status: none -> draft
'
{
	printf 'commit refs/heads/main\nauthor Dan Drafter <dan@example.org> 1767261600 +0000\n'
	printf 'committer Dan Drafter <dan@example.org> 1767261600 +0000\n'
	printf 'data %d\n%s\nfrom refs/heads/main^0\n' "$(printf '%s' "$msg" | wc -c)" "$msg"
	printf 'M 100644 inline recommendations/IC/99/IC-9999.yaml\n'
	printf 'data %d\n%s\n' "$(printf '%s' "$body" | wc -c)" "$body"
	printf 'tag IC-9999/1-drafted\nfrom refs/heads/main\n'
	printf 'tagger Dan Drafter <dan@example.org> 1767261600 +0000\n'
	printf 'data 26\nIC-9999: drafted by Dan\n\n\n'
} | git fast-import --quiet && git reset -q --hard main
as drafter
check_out 'after IC-9999 (IC/99/), the next id is IC-10000' IC-10000 \
    dipb recommend --wg industrial-capacity --title 'Five digits' \
    --summary 'S.' --no-edit
check_path 'IC-10000 in IC/100/' IC-10000
# Without its tag, IC-10000's file alone says its number is taken: shard
# 100 is read, not 99 (which sorts after it by name).
t=$(git rev-parse refs/tags/IC-10000/1-drafted)
git tag -d IC-10000/1-drafted >/dev/null
check_out 'and then IC-10001: shard 100 is read before 99' IC-10001 \
    dipb recommend --wg industrial-capacity --title 'Five digits, two' \
    --summary 'S.' --no-edit
git update-ref refs/tags/IC-10000/1-drafted "$t"
check_path 'IC-10001 in IC/100/' IC-10001
check_git_agrees 'past 9999: fsck, status, index, verify clean'

finish

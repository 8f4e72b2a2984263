#!/bin/sh
# tests/cli/records-at.sh - the records at a commit are read by one rule
# for the tip and for history alike: a record file is a regular file of
# recommendations/ named <name>.yaml (dipb-record(5)); a symbolic link, a
# folder or a submodule there is not one.  git ls-tree is the oracle of
# what the commit holds.
. "$(dirname "$0")/lib.sh"

new_board
at 2026-03-01
as drafter
mkrec industrial-capacity 'Alpha' >/dev/null		# IC-0001
mkrec industrial-capacity 'Bravo' >/dev/null		# IC-0002
# Plain git: a symbolic link named as a record, to a record and to
# nowhere, and a folder named as one.
ln -s IC-0001.yaml recommendations/IC-0003.yaml
ln -s /nonexistent recommendations/IC-0004.yaml
mkdir recommendations/IC-0005.yaml
cp recommendations/IC-0002.yaml recommendations/IC-0005.yaml/x.yaml
git add recommendations
git commit -q -m 'links and a folder named as records'

check_eq 'oracle: git holds two links under recommendations/' 2 \
    "$(git ls-tree HEAD recommendations/ | grep -c '^120000 ')"

# The links are reported alike at the tip and at a revision [symlink],
# unread; the folder is no record file, but the .yaml file in it is one,
# as in any folder below recommendations/ (dipb-record(5)), refused by
# its name [file-name].
run dipb report status --format json
cp "$ERR" "$TROOT/tip.err"
cp "$OUT" "$TROOT/tip.json"
check_eq 'report status: exit 1 (the links left out)' 1 "$RC"
check 'report status: the two links [symlink], the file in the folder [file-name]' sh -c \
    'grep -q "^recommendations/IC-0003.yaml:0:0: error: a symbolic link to '\''IC-0001.yaml'\'', not a file.*\[symlink\]$" "$1" &&
    grep -q "^recommendations/IC-0004.yaml:0:0: error: a symbolic link to '\''/nonexistent'\'', not a file.*\[symlink\]$" "$1" &&
    grep -q "^recommendations/IC-0005.yaml/x.yaml:1:1: error: .*\[file-name\]$" "$1" &&
    grep -q "3 invalid records left out" "$1"' sh "$TROOT/tip.err"
run dipb report status --until HEAD --format json
cp "$ERR" "$TROOT/until.err"
cp "$OUT" "$TROOT/until.json"
check_eq 'report status --until HEAD: exit 1, as at the tip' 1 "$RC"
check 'report status --until HEAD: the same said, as at the tip' \
    cmp -s "$TROOT/until.err" "$TROOT/tip.err"
check 'report status and report status --until HEAD say the same' \
    python3 -c '
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
a.pop("as_of", None)
b.pop("as_of", None)
assert a == b, (a, b)
ids = json.dumps(a)
assert "IC-0001" in ids and "IC-0002" in ids, ids
for x in ("IC-0003", "IC-0004", "IC-0005"):
    assert x not in ids, ids
' "$TROOT/tip.json" "$TROOT/until.json"

# One record read by its id names the link too, rather than no record.
run dipb show IC-0003
check_eq 'show of a record committed as a link: exit 1' 1 "$RC"
check_err 'show of a record committed as a link: the link named, its target' \
    "recommendations/IC-0003.yaml: a symbolic link to 'IC-0001.yaml', not a file"

finish

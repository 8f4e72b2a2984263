#!/bin/sh
# tests/cli/both-layouts.sh - a commit that holds one record in both
# layouts (dipb-board(5), "layout"), as a migration by hand left half way
# does, its two files different: every reader of the record at a commit
# reads the same one of them, the one in the layout of that commit's
# dipb.yaml, as the tip's reader does (dipb show ID): dipb show ID@N,
# dipb log ID, the check of a missing tag before a change, and dipb
# sync's replay.  git show is the oracle of each file.  A dipb.yaml too
# large to read counts as flat, no error; one that cannot be read, and a
# tree on the way that cannot be, have the missing-tag check refuse, not
# end its search, naming the commit; dipb log of a link in a record's
# place says what dipb show says.
. "$(dirname "$0")/lib.sh"

# title_at REV PATH: the title of the record file PATH at REV, per git.
title_at() { git show "$1:$2" 2>/dev/null | sed -n 's/^title: //p'; }

FLAT=recommendations/IC-0001.yaml
SHARD=recommendations/IC/00/IC-0001.yaml

# --- a sharded board, a stray copy in the flat place --------------------------

new_board sharded
at 2026-04-01
as drafter
mkrec industrial-capacity 'The record' >/dev/null		# IC-0001
as chair
check 'the board migrated to sharded' dipb migrate --layout sharded -m 'Grew.'
as drafter
sed 's/^title: The record$/title: A stray copy/' "$SHARD" >"$FLAT"
git add "$FLAT"
git commit -q -m 'a stray copy in the flat place'
check 'IC-0001: review requested, a change of the sharded file' \
    dipb review IC-0001 --request
check_eq 'oracle: HEAD holds IC-0001 in both places, the sharded its record' \
    'The record|A stray copy|IC-0001/2-review-requested' \
    "$(title_at HEAD "$SHARD")|$(title_at HEAD "$FLAT")|$(git describe --tags --exact-match HEAD)"
run dipb verify
check_eq 'dipb verify: the stray copy and its plain commit reported' \
    '1|1' "$(grep -c '\[record-path\]$' "$OUT")|$(grep -c '\[plain-commit\]$' "$OUT")"
check_eq 'dipb verify: the review request judged against the sharded file, no content-changed' \
    0 "$(grep -c 'content-changed' "$OUT")"

check_eq 'dipb show IC-0001: the sharded file, the board layout' 'The record' \
    "$(jshow IC-0001 'd["title"]')"
run dipb show IC-0001@2
check_eq 'dipb show IC-0001@2: the same file as dipb show IC-0001' \
    'title: The record' "$(grep '^title:' "$OUT")"
run dipb show IC-0001@2 --format yaml
check_eq 'dipb show IC-0001@2 --format yaml: the sharded file, byte for byte' \
    "$(git show "HEAD:$SHARD")" "$(grep -v '^# ' "$OUT")"

# A record added by hand in both places, with no tag: dipb log names the
# file dipb show reads.
sed -e 's/IC-0001/IC-0002/' -e 's/^title: The record$/title: Two/' "$SHARD" \
    >recommendations/IC/00/IC-0002.yaml
sed -e 's/IC-0001/IC-0002/' -e 's/^title: The record$/title: Two, stray/' \
    "$SHARD" >recommendations/IC-0002.yaml
git add recommendations
git commit -q -m 'IC-0002 by hand, in both places'
check_eq 'dipb show IC-0002: the sharded file' 'Two' \
    "$(jshow IC-0002 'd["title"]')"
run dipb log IC-0002
check_err 'dipb log IC-0002: no tags, the sharded file named' \
    'IC-0002 has no tags: it was not made with dipb (see git log -- recommendations/IC/00/IC-0002.yaml)'

# The missing-tag check reads the record as the rest do: with the tag of
# the review request deleted, the review request is the change that
# lacks it, not the stray copy's plain commit.
git tag -d IC-0001/2-review-requested >/dev/null
head_before=$(git rev-parse HEAD)
as rev1
check_status 5 'a tag deleted: the next change of IC-0001 refused: exit 5' \
    dipb review IC-0001 --endorse
check_err 'it names the review request as the change whose tag is missing' \
    "IC-0001 changed in $(git rev-parse --short=7 HEAD~1), after IC-0001/1-drafted"
check_eq 'nothing written' "$head_before" "$(git rev-parse HEAD)"

# --- a flat board, a stray copy in the sharded place; dipb sync ---------------

new_board flat
at 2026-04-01
as drafter
mkrec industrial-capacity 'The record' >/dev/null		# IC-0001
mkdir -p recommendations/IC/00
sed 's/^title: The record$/title: A stray copy/' "$FLAT" >"$SHARD"
git add "$SHARD"
git commit -q -m 'a stray copy in the sharded place'
share_two both || { finish; exit 1; }
cd "$B" || exit 1
as drafter
mkrec industrial-capacity 'Two' >/dev/null			# IC-0002
check 'B: IC-0002 drafted and pushed' dipb sync
cd "$A" || exit 1
as drafter
sed -i 's/^title: The record$/title: The record, edited/' "$FLAT"
check 'A: IC-0001 edited in its flat file' dipb edit IC-0001 --no-edit
run dipb show IC-0001@2
check_eq 'A: dipb show IC-0001@2: the flat file, the board layout' \
    'title: The record, edited' "$(grep '^title:' "$OUT")"
check 'A: dipb sync: exit 0' dipb sync
check_err 'A: the edit landed, replayed from the flat file' \
    'landed IC-0001/2-edited'
check_eq 'A: at the new tip, the edit in the flat file, the stray one as it was' \
    'The record, edited|A stray copy|IC-0001/2-edited' \
    "$(title_at HEAD "$FLAT")|$(title_at HEAD "$SHARD")|$(git describe --tags --exact-match HEAD 2>/dev/null)"
check_eq 'A: dipb show IC-0001 says the same' 'The record, edited' \
    "$(jshow IC-0001 'd["title"]')"

# untagged_request WHAT: a flat board, IC-0001 drafted and its review
# requested, the tag of the request deleted.
untagged_request() {
	new_board flat
	at 2026-04-01
	as drafter
	mkrec industrial-capacity 'The record' >/dev/null	# IC-0001
	check "$1: IC-0001: review requested" dipb review IC-0001 --request
	git tag -d IC-0001/2-review-requested >/dev/null
}

# --- a dipb.yaml too large to read: flat, as when it has no layout: ----------
# A commit that holds IC-0001 in both places, its dipb.yaml over
# DIPB_MAX_FILE bytes (1 MiB): its layout is flat, no error, for the
# missing-tag check as for dipb log; dipb validate and verify report the
# file.

untagged_request big
mkdir -p recommendations/IC/00
cp "$FLAT" "$SHARD"
sed 's/IC-0001/IC-0002/' "$FLAT" >recommendations/IC-0002.yaml
cp recommendations/IC-0002.yaml recommendations/IC/00/IC-0002.yaml
cp dipb.yaml "$TROOT/dipb.yaml.small"
awk 'BEGIN { for (i = 0; i < 40000; i++) print "# a comment, thirty bytes long" }' \
    >>dipb.yaml
git add recommendations dipb.yaml
git commit -q -m 'copies in the sharded place, IC-0002 by hand, a big dipb.yaml'
check_eq 'oracle: dipb.yaml is over 1 MiB at HEAD' 1 \
    "$(test "$(git cat-file -s HEAD:dipb.yaml)" -gt 1048576 && echo 1)"
run dipb log IC-0002
check_eq 'big: dipb log IC-0002, no tags, both copies and a big dipb.yaml at the tip: exit 0' \
    0 "$RC"
check_err 'big: it names the flat file' \
    'IC-0002 has no tags: it was not made with dipb (see git log -- recommendations/IC-0002.yaml)'
cp "$TROOT/dipb.yaml.small" dipb.yaml
git add dipb.yaml
git commit -q -m 'dipb.yaml back as it was'
as rev1
check_refused 5 "IC-0001 changed in $(git rev-parse --short=7 HEAD~2), after IC-0001/1-drafted" \
    'big: the tag of the review request deleted: the next change refused, exit 5, naming it' \
    dipb review IC-0001 --endorse
check_eq 'big: no tag IC-0001/2-reviewed made' '' \
    "$(git tag -l 'IC-0001/2-*')"

# --- a tree on the way that cannot be read: the missing-tag check refuses ----
# The first-parent line from the tip down to the highest tag's commit
# crosses a commit whose tree is gone: the change it hides could be the
# one whose tag is missing, so the next change is refused, not numbered
# past it.

untagged_request gone
echo one >notes.txt
git add notes.txt
git commit -q -m 'notes'
gone=$(git rev-parse HEAD^{tree})
echo two >notes.txt
git add notes.txt
git commit -q -m 'notes again'
rm -f ".git/objects/$(echo "$gone" | cut -c1-2)/$(echo "$gone" | cut -c3-)"
check_eq 'oracle: the tree of HEAD~1 is gone' 1 \
    "$(git cat-file -e "$gone" 2>/dev/null || echo 1)"
as rev1
check_refused nonzero "$gone" \
    'gone: the next change of IC-0001 refused, naming the tree it cannot read' \
    dipb review IC-0001 --endorse
check_err 'gone: the refusal names the commit and the search' \
    "at commit $(git rev-parse HEAD), while looking for IC-0001's missing tag: "
check_eq 'gone: no tag IC-0001/2-reviewed made' '' \
    "$(git tag -l 'IC-0001/2-*')"

# --- a past dipb.yaml that cannot be read: the missing-tag check refuses -----
# A partial clone whose remote is gone lacks the blob of the dipb.yaml of
# a commit that holds IC-0001 in both places: not taken for flat, which
# would compare the stray copy and number the next change past the tag
# that is missing; the check refuses, naming the commit.

new_board sharded
ORIGIN=$BOARD
at 2026-04-01
as drafter
mkrec industrial-capacity 'The record' >/dev/null	# IC-0001
as chair
check 'partial: the board migrated to sharded' \
    dipb migrate --layout sharded -m 'Grew.'
as drafter
sed 's/^title: The record$/title: A stray copy/' "$SHARD" >"$FLAT"
git add "$FLAT"
git commit -q -m 'a stray copy in the flat place'
check 'partial: IC-0001: review requested' dipb review IC-0001 --request
echo '# a comment' >>dipb.yaml
git commit -q -am 'a comment in dipb.yaml'
git config uploadpack.allowFilter true
cd "$TROOT" && git clone -q --filter=blob:none "file://$ORIGIN" partial
cd "$TROOT/partial"
git tag -d IC-0001/2-review-requested >/dev/null
mv "$ORIGIN" "$ORIGIN.away"
check_eq 'oracle: the clone lacks the dipb.yaml of HEAD~1, the remote gone' 1 \
    "$(git cat-file -e "$(git rev-parse HEAD~1:dipb.yaml)" 2>/dev/null || echo 1)"
as rev1
check_refused 5 \
    "at commit $(git rev-parse HEAD), while looking for IC-0001's missing tag: this partial clone" \
    'partial: the next change of IC-0001 refused, naming the commit' \
    dipb review IC-0001 --endorse
check_eq 'partial: no tag IC-0001/2-reviewed made' '' \
    "$(git tag -l 'IC-0001/2-*')"
mv "$ORIGIN.away" "$ORIGIN"

# --- dipb log of a link in a record's place, no tags: said as dipb show says -

new_board flat
at 2026-04-01
ln -s ../README recommendations/IC-0005.yaml
git add recommendations/IC-0005.yaml
git commit -q -m 'a link'
run dipb show IC-0005
show_err=$(cat "$ERR")
check_eq 'oracle: dipb show IC-0005 says it is a link' 1 \
    "$(grep -c "a symbolic link to '../README', not a file: dipb never reads through one" "$ERR")"
check_status nonzero 'link: dipb log IC-0005: refused' dipb log IC-0005
check_eq 'link: dipb log IC-0005 says what dipb show says' "$show_err" \
    "$(cat "$ERR")"
git rm -q --cached recommendations/IC-0005.yaml
rm recommendations/IC-0005.yaml
git update-index --add --cacheinfo "160000,$(git rev-parse HEAD),recommendations/IC-0005.yaml"
git commit -q -m 'a gitlink'
run dipb show IC-0005
show_err=$(cat "$ERR")
check_status nonzero 'gitlink: dipb log IC-0005: refused' dipb log IC-0005
check_eq 'gitlink: dipb log IC-0005 says what dipb show says' "$show_err" \
    "$(cat "$ERR")"

finish

#!/bin/sh
# tests/cli/both-layouts.sh - a commit that holds one record in both
# layouts (dipb-board(5), "layout"), as a migration by hand left half way
# does, its two files different: every reader of the record at a commit
# reads the same one of them, the one in the layout of that commit's
# dipb.yaml, as the tip's reader does (dipb show ID): dipb show ID@N,
# dipb log ID, the check of a missing tag before a change, and dipb
# sync's replay.  git show is the oracle of each file.
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

finish

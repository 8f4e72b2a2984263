#!/bin/sh
# tests/cli/ids.sh - record ids: one more than the highest of the prefix
# in the record files, skipping ids with tags, never reused; a stray tag
# far above does not raise the number (dipb-recommend(1)); anything not
# matching ^[A-Z][A-Z0-9]{0,7}-[0-9]{4,}$ refused (exit 2) before it
# becomes a path.
. "$(dirname "$0")/lib.sh"

new_board
as drafter
check_out 'the first IC id' IC-0001 mkrec industrial-capacity One
check_out 'the second IC id' IC-0002 mkrec industrial-capacity Two
check_out 'the first SCS id is independent of IC' SCS-0001 \
    mkrec supply-chain-security Three

# --- never reused after a withdraw --------------------------------------------------
as secretary
run dipb withdraw IC-0002 -m 'Withdrawn.'
as drafter
check_out 'the id of a withdrawn record is not reused' IC-0003 \
    mkrec industrial-capacity Four
as secretary
run dipb withdraw IC-0003 -m 'Withdrawn too.'
as drafter
check_out '... nor that of the highest, withdrawn' IC-0004 \
    mkrec industrial-capacity Five

# --- nor after the file is deleted with plain git -------------------------------------
git rm -q recommendations/IC-0004.yaml
git commit -q -m 'Remove IC-0004 by hand'
check_out 'the id of a record deleted with git is not reused (its tags remain)' \
    IC-0005 mkrec industrial-capacity Six

# --- the records count too, not only the tags ------------------------------------------
sed 's/^id: .*/id: IC-0041/' recommendations/IC-0001.yaml \
    >recommendations/IC-0041.yaml
git add recommendations/IC-0041.yaml
git commit -q -m 'Add IC-0041 by hand'
check_out 'a record added with git raises the next id' IC-0042 \
    mkrec industrial-capacity Seven
git tag -l 'IC-0042/*' | xargs git tag -d >/dev/null
check_out 'a record whose tags were deleted still counts' IC-0043 \
    mkrec industrial-capacity Eight

# --- a stray tag: its id skipped, the number not raised (dipb-recommend(1)) ----------
git tag -a -m 'stray' IC-9999/1-drafted HEAD
git tag IC-0045 HEAD
git tag -a -m 'stray' IC-0046/1-drafted HEAD
check_out 'a stray tag above every record does not raise the next id' IC-0044 \
    mkrec industrial-capacity Nine
check_out 'ids with tags (a tag of the id, its folder) are skipped' IC-0047 \
    mkrec industrial-capacity Ten
git tag -d IC-9999/1-drafted IC-0045 IC-0046/1-drafted >/dev/null
# The same in packed-refs (git pack-refs, git gc): a packed tag's id is
# skipped as a loose one's is.
git tag -a -m 'stray' IC-0048/1-drafted HEAD
git pack-refs --all
check_out 'an id with a packed tag is skipped' IC-0049 \
    mkrec industrial-capacity Eleven
git tag -d IC-0048/1-drafted >/dev/null

# --- ids that are not ids ---------------------------------------------------------------
# Files at the paths a careless dipb would open.
mkdir -p recommendations/IC-0001
cp recommendations/IC-0001.yaml recommendations/ic-0001.yaml
cp recommendations/IC-0001.yaml recommendations/IC-7.yaml
cp recommendations/IC-0001.yaml "$BOARD/x.yaml"

for bad in '../../etc/passwd' 'IC-7' 'ic-0001' '../x' \
    'IC-0001.yaml' 'recommendations/IC-0001' '/etc/passwd' \
    'IC-' 'IC0001' 'ABCDEFGHI-0001' 'IC-0001 ' ' IC-0001' 'IC-000a' \
    'IC-0001x' 'IC_0001' '.' '..' 'IC-１２３４' 'IC-0001;x' 'IC-0001	' \
    '~/IC-0001'; do
	check_refused 2 "dipb: not a record id: '$bad'" \
	    "show '$bad': exit 2, not a record id" dipb show "$bad"
	check_eq "show '$bad': nothing on stdout" '' "$(cat "$OUT")"
done

# A record id then '/' or '@' is a version (dipb-show(1)): what follows
# must name one, or it is refused before any path is made of it.
for bad in 'IC-0001/../x' 'IC-0001/' 'IC-0001@' 'IC-0001@../x' \
    'IC-0001/1-drafted/../x'; do
	check_refused 2 "dipb: not a version of IC-0001: '$bad'" \
	    "show '$bad': exit 2, not a version" dipb show "$bad"
	check_eq "show '$bad': nothing on stdout" '' "$(cat "$OUT")"
done

check_refused 2 '' "show '': exit 2" dipb show ''
check_refused 2 "dipb: not a record id: '-0001'" "show -- -0001: exit 2" \
    dipb show -- -0001
check_refused 2 '' "show -0001: exit 2" dipb show -0001
check_refused 2 'not a record id' 'show of an id with a newline: exit 2' \
    dipb show "$(printf 'IC-0001\nIC-0002')"

as drafter
check_refused 2 "not a record id: '../x'" 'edit ../x: exit 2' \
    dipb edit ../x --no-edit
check_refused 2 "not a record id: 'IC-7'" 'review IC-7: exit 2' \
    dipb review IC-7 --request
as secretary
check_refused 2 "not a record id: 'ic-0001'" 'submit ic-0001: exit 2' \
    dipb submit ic-0001
check_refused 2 "not a record id: 'IC-0001/../x'" \
    'submit IC-0001 IC-0001/../x: exit 2, nothing written' \
    dipb submit IC-0001 'IC-0001/../x'
check_refused 2 "not a record id: '../../etc/passwd'" 'decide ../../etc/passwd: exit 2' \
    dipb decide ../../etc/passwd --outcome agreed
check_refused 2 "not a record id: 'IC-7'" 'withdraw IC-7: exit 2' \
    dipb withdraw IC-7 -m 'No.'
check_refused 2 "not a record id: 'IC-7'" 'action IC-7: exit 2' \
    dipb action IC-7 1 --done

# Well-formed ids that name no record: exit 1.
for id in IC-9999 IC-00001 ZZ-0001 A1234567-0001; do
	check_refused 1 '' "show $id (no such record): exit 1" dipb show "$id"
done
check_out 'IC-0001 itself is fine' \
    "$(printf '# fingerprint: %s\n' "$(jshow IC-0001 'd["fingerprint"]')"
    git show HEAD:recommendations/IC-0001.yaml)" dipb show IC-0001

check_fsck
finish

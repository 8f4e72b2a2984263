#!/bin/sh
# tests/cli/list.sh - dipb list and dipb show: records at the branch tip,
# sorted by id, as a table, JSON or ids; show as the canonical YAML or JSON.
. "$(dirname "$0")/lib.sh"

new_board
check_out 'list on an empty board prints nothing' '' dipb list
check_out 'list --format ids on an empty board prints nothing' '' \
    dipb list --format ids
check_out 'list --format json on an empty board is []' '[]' sh -c \
    'dipb list --format json | python3 -c "import json,sys; print(json.dumps(json.load(sys.stdin)))"'

# Made out of order, in every state.
as drafter
mkrec standardisation-interoperability 'Delta' >/dev/null	# SI-0001
mkrec supply-chain-security 'Charlie' >/dev/null		# SCS-0001
mkrec industrial-capacity 'Alpha' >/dev/null			# IC-0001
mkrec industrial-capacity 'Bravo' >/dev/null			# IC-0002
mkrec supply-chain-security 'Echo' >/dev/null			# SCS-0002
drive IC-0002 in-review
drive SCS-0001 endorsed
drive SCS-0002 returned
drive SI-0001 withdrawn
sedit recommendations/IC-0001.yaml 's/^priority: .*/priority: high/'
run dipb edit IC-0001 --no-edit

check_out 'list --format ids: every id, sorted' \
    "$(printf 'IC-0001\nIC-0002\nSCS-0001\nSCS-0002\nSI-0001')" \
    dipb list --format ids
tab=$(printf '\t')
check_out 'list (not a terminal): ID STATUS WORKING-GROUP PRIORITY TITLE, tab-separated, no header' \
    "IC-0001${tab}draft${tab}industrial-capacity${tab}high${tab}Alpha
IC-0002${tab}in-review${tab}industrial-capacity${tab}medium${tab}Bravo
SCS-0001${tab}endorsed${tab}supply-chain-security${tab}medium${tab}Charlie
SCS-0002${tab}returned${tab}supply-chain-security${tab}medium${tab}Echo
SI-0001${tab}withdrawn${tab}standardisation-interoperability${tab}medium${tab}Delta" \
    dipb list
check_out '--format table is the default' "$(dipb list)" dipb list --format table
check_out '--status draft' IC-0001 dipb list --status draft --format ids
check_out '--status withdrawn' SI-0001 dipb list --status withdrawn --format ids
check_out '--status submitted: none' '' dipb list --status submitted --format ids
check_out '--wg supply-chain-security' "$(printf 'SCS-0001\nSCS-0002')" \
    dipb list --wg supply-chain-security --format ids
check_out '--wg and --status together' SCS-0002 \
    dipb list --wg supply-chain-security --status returned --format ids
check_refused 2 '' '--status bogus: exit 2' dipb list --status bogus
check_refused nonzero '' '--wg of no working group is refused' \
    dipb list --wg logistics
check_refused 2 '--format takes table, json or ids' \
    '--format bogus: exit 2, the formats named' dipb list --format xml

run dipb list --format json
cp "$OUT" "$TROOT/list.json"
check 'list --format json is valid JSON' json_ok "$TROOT/list.json"
check 'list --format json: an array of the records, sorted by id' python3 -c '
import json, sys
a = json.load(open(sys.argv[1]))
assert isinstance(a, list), a
assert [r["id"] for r in a] == ["IC-0001", "IC-0002", "SCS-0001",
    "SCS-0002", "SI-0001"], a
r = a[0]
assert r["title"] == "Alpha" and r["status"] == "draft", r
assert r["working_group"] == "industrial-capacity" and r["priority"] == "high", r
assert r["author"] == "dan@example.org", r
assert r["summary"].strip() == "Summary of Alpha.", r
assert len(a[2]["reviews"]) == 2, a[2]' "$TROOT/list.json"
run dipb list --format json --status endorsed
cp "$OUT" "$TROOT/list.json"
check 'list --format json --status endorsed' python3 -c '
import json, sys
a = json.load(open(sys.argv[1]))
assert [r["id"] for r in a] == ["SCS-0001"], a' "$TROOT/list.json"

# On a terminal: an aligned table with a header.
if command -v script >/dev/null 2>&1; then
	script -q -e -c 'dipb list' /dev/null </dev/null >"$TROOT/tty" 2>&1
	check_file_has 'on a terminal: a header ID STATUS WORKING-GROUP PRIORITY TITLE' \
	    "$TROOT/tty" '^ID +STATUS +WORKING-GROUP +PRIORITY +TITLE'
	check_file_has 'on a terminal: aligned columns' "$TROOT/tty" \
	    '^IC-0001 +draft +industrial-capacity +high +Alpha'
	check 'on a terminal: no tabs' sh -c "! grep -q '$tab' '$TROOT/tty'"
	script -q -e -c 'dipb list --format ids' /dev/null </dev/null >"$TROOT/tty" 2>&1
	check_out 'on a terminal, --format ids is still ids' IC-0001 \
	    sh -c "head -n 1 '$TROOT/tty' | tr -d '\\r'"
else
	skip 'on a terminal: an aligned table with a header' \
	    'no script(1) (util-linux)'
fi

# --- show ------------------------------------------------------------------------------
for id in IC-0001 SCS-0001 SI-0001; do
	check_out "show $id is its fingerprint, then the file at HEAD" \
	    "$(printf '# fingerprint: %s\n' "$(jshow "$id" 'd["fingerprint"]')"
	    git show "HEAD:recommendations/$id.yaml")" dipb show "$id"
done
check_out 'show --format yaml is the default' "$(dipb show SCS-0001)" \
    dipb show SCS-0001 --format yaml
run dipb show SCS-0001 --format json
cp "$OUT" "$TROOT/show.json"
check 'show --format json is valid JSON' json_ok "$TROOT/show.json"
check 'show --format json: one object, the record' python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
assert isinstance(r, dict), r
assert r["id"] == "SCS-0001" and r["status"] == "endorsed", r
assert r["title"] == "Charlie", r
assert sorted(v["reviewer"] for v in r["reviews"]) == [
    "rita@example.org", "rolf@example.org"], r' "$TROOT/show.json"
check_refused 1 '' 'show of an unknown record: exit 1' dipb show IC-0099
check_refused 2 '--format takes yaml, json, markdown or html' \
    'show --format bogus: exit 2, the formats named' \
    dipb show IC-0001 --format xml

# Reading needs no identity, and writes nothing.
nobody
snapshot
check 'list without an identity' dipb list
check 'show without an identity' dipb show IC-0001
check 'list --format json without an identity' dipb list --format json
check_unchanged 'list and show wrote nothing'

# From a subdirectory, and with -C.
cd recommendations || exit 1
check_out 'list from a subdirectory of the board' \
    "$(dipb -C "$BOARD" list --format ids)" dipb list --format ids
cd / || exit 1
check_out 'list with -C DIR' "$(printf 'IC-0001\nIC-0002\nSCS-0001\nSCS-0002\nSI-0001')" \
    dipb -C "$BOARD" list --format ids
check_out 'show with -C DIR' "$(dipb -C "$BOARD" show IC-0001 --format json |
    sed -n 's/^  "fingerprint": "\(.*\)",*$/# fingerprint: \1/p'
    git -C "$BOARD" show HEAD:recommendations/IC-0001.yaml)" \
    dipb -C "$BOARD" show IC-0001
cd "$BOARD" || exit 1

# list shows the branch tip, not uncommitted hand edits.
sedit recommendations/IC-0001.yaml 's/^title: .*/title: Uncommitted title/'
check_out 'list shows the records at the branch tip' \
    "IC-0001${tab}draft${tab}industrial-capacity${tab}high${tab}Alpha" \
    sh -c 'dipb list --status draft'
git checkout -q -- recommendations/IC-0001.yaml

# --- Filters: OR within one, AND across them --------------------------------
as rev3
cat >"$TROOT/foxtrot.yaml" <<'YAML'
priority: low
topics: [stockpiles, surge-capacity]
summary: Summary of Foxtrot.
rationale: Lead times for munitions are too long.
actions:
  - text: Map the suppliers of energetics
    owner: Rita Reviewer
YAML
run dipb recommend --wg supply-chain-security --title Foxtrot --no-edit \
    --from "$TROOT/foxtrot.yaml"
check_eq 'setup: SCS-0003 drafted by Roza' '0 SCS-0003' "$RC $(cat "$OUT")"
check_out '--priority high' IC-0001 dipb list --priority high --format ids
check_out 'a second --priority adds' "$(printf 'IC-0001\nSCS-0003')" \
    dipb list --priority high --priority low --format ids
check_out 'a second --status adds instead of replacing' \
    "$(printf 'IC-0001\nSCS-0002\nSCS-0003')" \
    dipb list --status draft --status returned --format ids
check_out 'a second --wg adds' \
    "$(printf 'IC-0001\nIC-0002\nSI-0001')" dipb list \
    --wg industrial-capacity --wg standardisation-interoperability --format ids
check_out '--topic, any case' SCS-0003 dipb list --topic Stockpiles --format ids
check_out '--topic of none' '' dipb list --topic logistics --format ids
check_out '--author EMAIL' SCS-0003 dipb list --author roza@example.org --format ids
check_out '--author NAME, as the board names the member' SCS-0003 \
    dipb list --author 'Roza Reviewer' --format ids
check_out 'two --author: either' \
    "$(printf 'IC-0001\nIC-0002\nSCS-0001\nSCS-0002\nSCS-0003\nSI-0001')" \
    dipb list --author dan@example.org --author ROZA@example.org --format ids
check_out '--owner NAME, as the action names it' SCS-0003 \
    dipb list --owner 'Rita Reviewer' --format ids
check_out '--owner EMAIL of the member an action names by name' SCS-0003 \
    dipb list --owner rita@example.org --format ids
check_out '--owner of none' '' dipb list --owner rolf@example.org --format ids
check_out '--grep: the title, any case' IC-0002 dipb list --grep bRAVO --format ids
check_out '--grep: the summary' SCS-0002 dipb list --grep 'summary of echo' --format ids
check_out '--grep: the rationale' SCS-0003 dipb list --grep 'lead times' --format ids
check_out '--grep: an action' SCS-0003 dipb list --grep energetics --format ids
check_out 'two --grep: either' "$(printf 'IC-0002\nSCS-0003')" \
    dipb list --grep bravo --grep energetics --format ids
check_out 'different filters: all must hold' SCS-0003 \
    dipb list --author roza@example.org --status draft --grep munitions --format ids
check_out 'different filters: none left' '' \
    dipb list --author roza@example.org --status returned --format ids
check_refused 2 "unknown option '--bogus'" 'an unknown option is named' \
    dipb list --bogus
check_refused 2 "option '--grep' needs a value" \
    'an option without its argument is named' dipb list --grep
check_refused 2 '--priority takes high, medium, low or none' '--priority bogus: exit 2' \
    dipb list --priority urgent
check_refused 2 "unknown working group: 'logistics'" \
    'a second --wg of no working group is named' \
    dipb list --wg industrial-capacity --wg logistics

# --- The JSON: the fingerprint, the endorsements, who has not reviewed ------
run dipb list --format json --status endorsed --status draft
cp "$OUT" "$TROOT/list.json"
check 'list --format json: fingerprint, fresh and stale endorsements, not_reviewed' python3 -c '
import json, sys
a = {r["id"]: r for r in json.load(open(sys.argv[1]))}
assert sorted(a) == ["IC-0001", "SCS-0001", "SCS-0003"], sorted(a)
r = a["SCS-0001"]
assert r["fingerprint"] == sys.argv[2], (r["fingerprint"], sys.argv[2])
assert sorted(e["reviewer"] for e in r["fresh_endorsements"]) == [
    "rita@example.org", "rolf@example.org"], r
assert all(e["fingerprint"] == r["fingerprint"] and e["date"]
    for e in r["fresh_endorsements"]), r
assert r["stale_endorsements"] == [], r
assert r["not_reviewed"] == ["roza@example.org"], r
# The author is not among those who have not reviewed.
r = a["SCS-0003"]
assert r["not_reviewed"] == ["rita@example.org", "rolf@example.org"], r
assert r["fresh_endorsements"] == [] and r["stale_endorsements"] == [], r' \
    "$TROOT/list.json" "$(jshow SCS-0001 'd["fingerprint"]')"

# Titles cleaned for the table where the control byte is past the first
# eight bytes, as list looks at a field eight bytes at a time: DEL, ESC
# and a tab become ? and a space; UTF-8 and a title of exactly 16
# printable bytes are printed as they are.  The same from the records
# cache (the second call) as from the records.  dipb writes no control
# character into a title (dipb-validate(1), control-character): those
# records are made by git (hostile, lib.sh).
new_board titles
as drafter
for t in "Eightchr@DEL@after" "ABCDEFGHIJKLMNO@ESC@[0m" \
    "D$(printf '\303\251')j$(printf '\303\240') vu, a longer title" \
    'Exactly16bytes!!' "Sixteen bytes in@TAB@and past"; do
	hostile "$(mkrec industrial-capacity "$t")"
done
want="IC-0001${tab}draft${tab}industrial-capacity${tab}medium${tab}Eightchr?after
IC-0002${tab}draft${tab}industrial-capacity${tab}medium${tab}ABCDEFGHIJKLMNO?[0m
IC-0003${tab}draft${tab}industrial-capacity${tab}medium${tab}D$(printf '\303\251')j$(printf '\303\240') vu, a longer title
IC-0004${tab}draft${tab}industrial-capacity${tab}medium${tab}Exactly16bytes!!
IC-0005${tab}draft${tab}industrial-capacity${tab}medium${tab}Sixteen bytes in and past"
check_out 'titles: control bytes past the eighth cleaned, the rest as is' \
    "$want" dipb list
check_out 'titles: the same from the records cache' "$want" dipb list
check_out 'titles: the same without it' "$want" env DIPB_NO_CACHE=1 dipb list
# JSON escapes DEL and ESC alike, hex digits upper-case as jansson's
# (dipb-list(1), DESCRIPTION).
run dipb list --format json
check_eq 'titles: JSON escapes DEL as ESC, upper-case: \u007F, \u001B' \
    '0 "Eightchr\u007Fafter" "ABCDEFGHIJKLMNO\u001B[0m"' \
    "$RC $(grep -o '"Eightchr[^"]*"' "$OUT") $(grep -o '"ABCDEFGHIJKLMNO[^"]*"' "$OUT")"


# --- A record without a priority ---------------------------------------------
# priority is optional (dipb-record(5)): a record without one is shown as
# '-', as dipb report shows it, never as a name validate refuses in the
# field, and --priority, which takes the names the field takes, skips it.
new_board nopriority || { finish; exit 1; }
as drafter
mkrec industrial-capacity 'No priority' >/dev/null			# IC-0001
mkrec industrial-capacity 'Medium' >/dev/null				# IC-0002
sedit recommendations/IC-0001.yaml '/^priority: /d'
run dipb edit IC-0001 --no-edit
check_eq 'setup: IC-0001 committed without a priority, valid' '0 0' \
    "$RC $(git show HEAD:recommendations/IC-0001.yaml | grep -c '^priority:')"
check_status 0 'setup: dipb validate takes it' dipb validate
want="IC-0001${tab}draft${tab}industrial-capacity${tab}-${tab}No priority
IC-0002${tab}draft${tab}industrial-capacity${tab}medium${tab}Medium"
check_out 'no priority: shown as -' "$want" dipb list
check_out 'no priority: the same from the records cache' "$want" dipb list
check_out 'no priority: the same without it' "$want" \
    env DIPB_NO_CACHE=1 dipb list
check_out 'no priority: --priority medium skips it' IC-0002 \
    dipb list --priority medium --format ids
# --priority none: the records whose file at HEAD has no priority line,
# as git reads them.
check_out 'no priority: --priority none takes the records git finds without one' \
    "$(git grep -L '^priority:' HEAD -- recommendations/ |
    sed 's,.*/,,; s,\.yaml$,,')" dipb list --priority none --format ids
check_out 'no priority: the same from the records cache' IC-0001 \
    dipb list --priority none --format ids
check_out 'no priority: the same without it' IC-0001 \
    env DIPB_NO_CACHE=1 dipb list --priority none --format ids
check_out 'no priority: --priority none adds to --priority medium' \
    "$(printf 'IC-0001\nIC-0002')" \
    dipb list --priority medium --priority none --format ids
if command -v script >/dev/null 2>&1; then
	script -q -e -c 'dipb list' /dev/null </dev/null >"$TROOT/tty" 2>&1
	check_file_has 'no priority: on a terminal, - in its column' \
	    "$TROOT/tty" '^IC-0001 +draft +industrial-capacity +- +No priority'
else
	skip 'no priority: on a terminal' 'no script(1) (util-linux)'
fi
run dipb report status --format markdown
check_file_has 'no priority: dipb report shows it as - too' "$OUT" \
    '^\| IC-0001 \| draft \| - \|'

check_fsck
finish

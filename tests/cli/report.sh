#!/bin/sh
# tests/cli/report.sh - dipb report and dipb show --format markdown|html
# over the example board of examples/demo.sh (fixed dates and people).
#
# Golden files: tests/report/<name>.md and .json must equal the output
# exactly; UPDATE=1 rewrites them (review the diff before committing).
# The facts behind them are checked against git as well: blob ids,
# fingerprints, counts.  HTML is checked by tests/cli/htmlcheck.py
# (html5lib and html.parser).
. "$(dirname "$0")/lib.sh"

GOLDEN=$DIPB_SRCDIR/tests/report
DEMO=$TROOT/demo

html5lib_python

demo_board "$DEMO"

check_eq 'demo ends by printing the paths of its HTML reports' \
    "$(printf '%s\n%s' "$DEMO/status.html" "$DEMO/minutes.html")" \
    "$(tail -n 2 "$TROOT/demo.out")"
check 'demo/status.html and demo/minutes.html are valid, safe pages' \
    "$PY" "$DIPB_SRCDIR/tests/cli/htmlcheck.py" "$DEMO/status.html" \
    "$DEMO/minutes.html"
check_eq 'the HTML reports leave the board clean' '' \
    "$(git status --porcelain)"

# golden NAME ARGS...: dipb ARGS --format markdown and --format json give
# tests/report/NAME.md and NAME.json (only .md with FORMATS=md).
golden() {
	_name=$1
	shift
	for _f in ${FORMATS:-md json}; do
		_fmt=markdown
		[ "$_f" = json ] && _fmt=json
		run dipb "$@" --format "$_fmt"
		if [ "$RC" -ne 0 ]; then
			not_ok "$_name.$_f: dipb $*" "$(_said dipb "$@")"
			continue
		fi
		if [ -n "${UPDATE:-}" ]; then
			mkdir -p "$GOLDEN"
			cp "$OUT" "$GOLDEN/$_name.$_f"
		fi
		if cmp -s "$OUT" "$GOLDEN/$_name.$_f"; then
			ok "dipb $* --format $_fmt gives tests/report/$_name.$_f"
		else
			not_ok "dipb $* --format $_fmt gives tests/report/$_name.$_f" \
			    "$(diff "$GOLDEN/$_name.$_f" "$OUT" | head -n 30)"
		fi
		if [ "$_f" = json ]; then
			cp "$OUT" "$TROOT/$_name.json"
			check "$_name.json is valid JSON" json_ok "$TROOT/$_name.json"
		fi
	done
}

golden status report status --today 2027-01-15
golden status-unclassified report status --today 2027-01-15 \
    --max-classification 'NATO UNCLASSIFIED'
golden minutes report minutes --since 2026-01-01 --until 2026-06-30 \
    --today 2026-07-01 --title 'Minutes, January to June 2026'
golden package report package --reference CNAD-2026-05 --today 2026-05-04
golden actions report actions --today 2027-01-15
golden agenda report agenda --today 2027-01-15
FORMATS=md golden show-SCS-0001 show SCS-0001

# --- the facts behind the goldens, from git ----------------------------

check 'package: each blob id is the file at its submission tag' \
    python3 -c '
import json, subprocess, sys
d = json.load(open(sys.argv[1]))
assert [r["id"] for r in d["recommendations"]] == ["IC-0001", "SCS-0001",
    "SI-0002"], d["recommendations"]
for r in d["recommendations"]:
    blob = subprocess.run(["git", "rev-parse", "%s:recommendations/%s.yaml"
        % (r["tag"], r["id"])], capture_output=True, text=True,
        check=True).stdout.strip()
    assert r["blob"] == blob, (r["id"], r["blob"], blob)
    assert r["tag"].startswith(r["id"] + "/") and \
        r["tag"].endswith("-submitted"), r["tag"]
    c = subprocess.run(["git", "rev-parse", r["tag"] + "^{commit}"],
        capture_output=True, text=True, check=True).stdout.strip()
    assert r["commit"] == c, r
    assert r["record"]["status"] == "submitted", r["record"]
    assert "decision" not in r["record"], r["record"]
    # the endorsements that made it endorsed name this fingerprint
    fps = [v["fingerprint"] for v in r["record"]["reviews"]
        if v["verdict"] == "endorse"]
    assert fps.count(r["fingerprint"]) >= 2, (r["fingerprint"], fps)
assert d["marking"] == "NATO RESTRICTED" and d["left_out"] == 0, d
' "$TROOT/package.json"

check 'package: git hash-object of the file as submitted gives its blob' \
    sh -c 'git show IC-0001/5-submitted:recommendations/IC-0001.yaml \
    >"$1/IC-0001.yaml" && test "$(git hash-object "$1/IC-0001.yaml")" = \
    "$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[\"recommendations\"][0][\"blob\"])" "$1/package.json")"' \
    sh "$TROOT"

check 'status: the counts are the records of the tip, by group and status' \
    python3 -c '
import json, subprocess, sys, yaml
d = json.load(open(sys.argv[1]))
names = subprocess.run(["git", "ls-tree", "--name-only", "HEAD",
    "recommendations/"], capture_output=True, text=True,
    check=True).stdout.split()
want = {}
for n in names:
    r = yaml.safe_load(subprocess.run(["git", "show", "HEAD:" + n],
        capture_output=True, text=True, check=True).stdout)
    g = want.setdefault(r["working_group"], {})
    g[r["status"]] = g.get(r["status"], 0) + 1
for wg, c in d["counts"].items():
    got = {k: v for k, v in c.items() if v and k != "total"}
    assert got == want.get(wg, {}), (wg, got, want.get(wg))
    assert c["total"] == sum(got.values())
assert len(d["recommendations"]) == len(names)
' "$TROOT/status.json"

check 'status: the decided records of the tip, by group and outcome' \
    python3 -c '
import json, subprocess, sys, yaml
d = json.load(open(sys.argv[1]))
names = subprocess.run(["git", "ls-tree", "--name-only", "HEAD",
    "recommendations/"], capture_output=True, text=True,
    check=True).stdout.split()
want = {}
for n in names:
    r = yaml.safe_load(subprocess.run(["git", "show", "HEAD:" + n],
        capture_output=True, text=True, check=True).stdout)
    if r["status"] == "decided":
        g = want.setdefault(r["working_group"], {})
        o = r["decision"]["outcome"]
        g[o] = g.get(o, 0) + 1
got = {wg: {k: v for k, v in c.items() if v}
    for wg, c in d["decided_by_outcome"].items()}
assert got == want and len(want) > 0, (got, want)
for wg, c in d["decided_by_outcome"].items():
    assert sum(c.values()) == d["counts"][wg]["decided"], wg
' "$TROOT/status.json"

check 'status --max-classification: what is above it is left out, counted' \
    python3 -c '
import json, sys
a = json.load(open(sys.argv[1])); b = json.load(open(sys.argv[2]))
left = [r for r in a["recommendations"]
    if r["classification"] != "NATO UNCLASSIFIED"]
assert b["left_out"] == len(left) > 0, (b["left_out"], left)
assert b["marking"] == "NATO UNCLASSIFIED" == b["max_classification"]
assert not [r for r in b["recommendations"]
    if r["classification"] != "NATO UNCLASSIFIED"]
assert a["marking"] == "NATO RESTRICTED"
' "$TROOT/status.json" "$TROOT/status-unclassified.json"

check 'minutes: every dipb change of the window, from git, with comments' \
    python3 -c '
import json, subprocess, sys
d = json.load(open(sys.argv[1]))
log = subprocess.run(["git", "log", "--format=%H %ad %(trailers:key=Dipb-Record,valueonly,separator=)",
    "--date=short"], capture_output=True, text=True, check=True).stdout
want = [l.split()[0] for l in log.splitlines()
    if "2026-01-01" <= l.split()[1] <= "2026-06-30" and
    len(l.split()) > 2 and l.split()[2] != "board"]
got = [e["commit"] for e in d["events"]]
assert sorted(got) == sorted(want), (len(got), len(want))
c = [e for e in d["events"] if e["event"] == "returned"][0]
assert c["verdict"] == "request-changes" and "Antimony" in c["comment"], c
o = [e for e in d["events"] if e["verdict"] == "object"]
assert o and o[0]["record"] == "SCS-0002", o
s = d["summary"]
assert sum(v["changes"] for v in s.values()) == len(got)
assert d["board_changes"][0]["event"] == "created"
' "$TROOT/minutes.json"

check 'minutes --since TAG --until TAG: the window between two tags' \
    sh -c 'dipb report minutes --since IC-0001/4-endorsed \
    --until SCS-0001/9-decided --format json >"$1/w.json" &&
    python3 -c "
import json, subprocess, sys
d = json.load(open(sys.argv[1]))
want = subprocess.run([\"git\", \"rev-list\",
    \"IC-0001/4-endorsed..SCS-0001/9-decided\"], capture_output=True,
    text=True, check=True).stdout.split()
assert sorted(e[\"commit\"] for e in d[\"events\"]) == sorted(want)
" "$1/w.json"' sh "$TROOT"

check 'actions: open actions of decided records, overdue first per owner' \
    python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
a = d["actions"]
assert a and all(x["outcome"] for x in a)
for x in a:
    assert x["overdue"] == (x["due"] is not None and x["due"] < "2027-01-15")
owners = [x["owner"] for x in a]
assert owners == sorted(owners, key=lambda o: owners.index(o))
for o in set(owners):
    ov = [x["overdue"] for x in a if x["owner"] == o]
    assert ov == sorted(ov, reverse=True), (o, ov)
assert d["overdue"] == sum(x["overdue"] for x in a) > 0
' "$TROOT/actions.json"

# Today, without --today, is the date a change made now would have, as
# for dipb todo: GIT_AUTHOR_DATE's when set (the machine's date, before).
run dipb report actions --format json --today 2027-01-15
cp "$OUT" "$TROOT/actions-today.json"
run env GIT_AUTHOR_DATE=2027-01-15T10:00:00Z dipb report actions --format json
check_eq 'actions: today is GIT_AUTHOR_DATE'"'"'s day, as --today gives it' \
    "$(cat "$TROOT/actions-today.json")" "$(cat "$OUT")"
run env GIT_COMMITTER_DATE=2027-01-15T10:00:00Z dipb report agenda
check_file_has 'agenda: without GIT_AUTHOR_DATE, GIT_COMMITTER_DATE'"'"'s day' \
    "$OUT" '2027-01-15'
check_refused 2 "invalid date in GIT_AUTHOR_DATE: 'soon'" \
    'report: an invalid GIT_AUTHOR_DATE refused, never today instead' \
    env GIT_AUTHOR_DATE=soon dipb report status

run dipb report status --until 2026-02-01 --format json
cp "$OUT" "$TROOT/early.json"
check 'status --until DATE: the board as it was then' python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["as_of"] == "2026-02-01"
assert sorted(r["id"] for r in d["recommendations"]) == ["IC-0001",
    "SCS-0001"], d["recommendations"]
assert all(r["status"] == "draft" for r in d["recommendations"])
' "$TROOT/early.json"
check_refused 1 'no commit on or before 2025-12-31' \
    'status --until a day before the first commit: exit 1, said' \
    dipb report status --until 2025-12-31
check_out 'status --until TAG' \
    "$(git ls-tree --name-only 'SCS-0001/3-returned' recommendations/ |
    sed 's|recommendations/||; s|\.yaml$||')" sh -c \
    'dipb report status --until SCS-0001/3-returned --format json |
    python3 -c "import json,sys; print(\"\n\".join(r[\"id\"] for r in json.load(sys.stdin)[\"recommendations\"]))"'

# --- status --until reads the board of that day too -------------------------
# The records of a day are judged by dipb.yaml as it was that day
# (dipb-report(1), --until): a working group renamed since keeps its name
# then, and one removed since (here with plain git) leaves its records
# valid then, not "unknown working group", left out.
HERE=$(pwd)
at 2026-01-05
new_board until
as drafter
mkrec supply-chain-security 'Resilience' >/dev/null
mkrec industrial-capacity 'Capacity' >/dev/null
as chair
at 2026-01-10
sedit dipb.yaml 's/^    name: Supply Chain Security$/    name: Supply Chain Resilience/'
check_status 0 'a board change: the working group renamed' \
    dipb edit --board --no-edit
run dipb report status --until 2026-01-05 --today 2026-01-10
check_file_has 'status --until: the working group by its name then' \
    "$OUT" 'Supply Chain Security'
check_eq 'status --until: not by its name at the tip' '' \
    "$(grep 'Supply Chain Resilience' "$OUT")"
awk '/^  - key: supply-chain-security$/ { skip = 3 } skip > 0 { skip--; next }
    /^    working_groups: \[supply-chain-security\]$/ { next } { print }' \
    dipb.yaml >"$TROOT/until.yaml" && cat "$TROOT/until.yaml" >dipb.yaml
git commit -qam 'Supply chain security wound up'
run dipb report status --until 2026-01-05 --today 2026-01-10 --format json
check_eq 'status --until: a record of a working group removed since, exit 0' '0 yes' \
    "$RC $(grep -q '"SCS-0001"' "$OUT" && echo yes)"
run dipb report status --until 2026-01-05 --today 2026-01-10 \
    --max-classification 'NATO UNCLASSIFIED' --format json
check_eq 'status --until --max-classification: the record kept, exit 0' '0 yes' \
    "$RC $(grep -q '"SCS-0001"' "$OUT" && echo yes)"

# --- a working group keyed "other" ------------------------------------------
# Any string is a working group's key (dipb-board(5)), "other" too.  The
# changes of records of no group the board has (here of a group wound up
# with plain git) are counted in the JSON beside the groups' object, as
# summary_other (dipb-report(1), json): under a key in it, they took the
# place of the group of that key.  The status leaves such a record out,
# invalid at the tip.
sed 's/^  - key: standardisation-interoperability$/  - key: other/' \
    "$TROOT/board.yaml" >"$TROOT/other.yaml"
at 2026-01-05
BOARD_CONFIG=$TROOT/other.yaml new_board other
as drafter
o1=$(mkrec other 'Other one')
mkrec other 'Other two' >/dev/null
mkrec other 'Other three' >/dev/null
s1=$(mkrec supply-chain-security 'Resilience')
drive "$o1" decided
drive "$s1" decided
as chair
at 2026-01-10
awk '/^  - key: supply-chain-security$/ { skip = 3 } skip > 0 { skip--; next }
    /^    working_groups: \[supply-chain-security\]$/ { next } { print }' \
    dipb.yaml >"$TROOT/other-wound.yaml" && cat "$TROOT/other-wound.yaml" >dipb.yaml
git commit -qam 'Supply chain security wound up'
run dipb report status --today 2026-01-10 --format json
cp "$OUT" "$TROOT/other-status.json"
check 'status: the group keyed other keeps its counts' \
    python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert list(d["counts"]) == ["industrial-capacity", "other"], d["counts"]
assert d["counts"]["other"]["total"] == 3, d["counts"]
assert d["counts"]["other"]["decided"] == 1, d["counts"]
assert list(d["decided_by_outcome"]) == ["other"], d["decided_by_outcome"]
assert d["decided_by_outcome"]["other"]["agreed"] == 1
assert "counts_other" not in d and "decided_by_outcome_other" not in d, d
' "$TROOT/other-status.json"
run dipb report minutes --since 2026-01-01 --today 2026-01-10 --format json
cp "$OUT" "$TROOT/other-minutes.json"
check 'minutes: the group keyed other keeps its summary; no group'"'"'s changes beside it' \
    python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert list(d["summary"]) == ["industrial-capacity", "other"], d["summary"]
assert d["summary"]["other"]["drafted"] == 3, d["summary"]
assert d["summary"]["other"]["decided"] == 1, d["summary"]
assert d["summary_other"]["drafted"] == 1, d
assert d["summary_other"]["decided"] == 1, d
' "$TROOT/other-minutes.json"
run dipb report minutes --since 2026-01-01 --today 2026-01-10
check_eq 'minutes: Markdown has both rows, the group'"'"'s and Other' \
    '0 Standardisation and Interoperability 3
Other 1' \
    "$RC $(grep -e '^| Standardisation' -e '^| Other' "$OUT" |
    awk -F ' [|] ' '{ print $1, $2 }' | sed 's/^| //')"
# Only the working groups' keys are chosen by the board among the keys
# of a report's JSON: each once (dipb-board(5): unique), so no member of
# an object is given twice (src/report/render_json.c).
check 'status, minutes: no object of their JSON has a key twice' \
    python3 -c '
import json, sys
def once(pairs):
    keys = [k for k, _ in pairs]
    assert len(keys) == len(set(keys)), keys
    return dict(pairs)
for f in sys.argv[1:]:
    json.load(open(f), object_pairs_hook=once)
' "$TROOT/other-status.json" "$TROOT/other-minutes.json"

cd "$HERE" || exit 1
today

# --- HTML, man, LaTeX -----------------------------------------------------

for k in status minutes actions; do
	run dipb report "$k" --today 2027-01-15 --format html -o "$TROOT/$k.html"
	check_eq "report $k --format html -o FILE: exit 0, nothing on stdout" \
	    "0:" "$RC:$(cat "$OUT")"
done
run dipb report package --reference CNAD-2026-05 --format html \
    -o "$TROOT/package.html"
dipb show IC-0001 --format html >"$TROOT/show.html"
check 'status.html: a valid page, one SVG chart, banners top and bottom' \
    "$PY" "$DIPB_SRCDIR/tests/cli/htmlcheck.py" --svg 1 \
    --marking 'NATO RESTRICTED' "$TROOT/status.html"
check 'minutes, package, actions: valid pages, no chart' \
    "$PY" "$DIPB_SRCDIR/tests/cli/htmlcheck.py" --svg 0 \
    --marking 'NATO RESTRICTED' "$TROOT/minutes.html" \
    "$TROOT/package.html" "$TROOT/actions.html"
check 'show --format html: a valid page with the record'"'"'s marking' \
    "$PY" "$DIPB_SRCDIR/tests/cli/htmlcheck.py" --svg 0 \
    --marking 'NATO UNCLASSIFIED' "$TROOT/show.html"
check_file_has 'status.html: the chart has a bar per working group' \
    "$TROOT/status.html" '<text x="262" y="[0-9]+" text-anchor="end">Standardisation and Interoperability</text>'
check_file_has 'package.html: a page break before each recommendation' \
    "$TROOT/package.html" '<div class="page-break"></div>'
check_eq 'html -o gives what stdout gives' \
    "$(dipb report status --today 2027-01-15 --format html | cksum)" \
    "$(cksum <"$TROOT/status.html")"
check_eq '-o - is standard output' \
    "$(cksum <"$TROOT/status.html")" \
    "$(dipb report status --today 2027-01-15 --format html -o - | cksum)"
check 'and -o - writes no file named -' test ! -e -
run dipb report status --today 2027-01-15 --format html -o ./-
check 'a file named -, as -o ./-' cmp -s ./- "$TROOT/status.html"
rm -f ./-

run dipb report minutes --since 2026-01-01 --format man
cp "$OUT" "$TROOT/minutes.7"
check 'report --format man: a page mandoc reads without error' \
    sh -c 'mandoc -Tascii "$1" 2>"$1.err" | sed "s/.$(printf "\b")//g" \
    >"$1.txt" &&
    ! grep -q "ERROR" "$1.err" && grep -q "Minutes of the DIPB" "$1.txt" &&
    grep -q "^ *NATO RESTRICTED" "$1.txt"' sh "$TROOT/minutes.7"
# Every report of the example board is one mandoc finds nothing in, not
# a warning (no paragraph macro after a heading, no font it does not
# know); the date of a page is --today's, "in the future" only of the
# clock.  groff -ww finds nothing in those whose tables fit the page
# (the status and minutes tables of eight or nine counts do not).
for k in status minutes actions agenda; do
	dipb report "$k" --today 2027-01-15 --format man >"$TROOT/lint-$k.7"
done
dipb report package --reference CNAD-2026-05 --format man \
    >"$TROOT/lint-package.7"
for k in status minutes actions agenda package; do
	check_man_lint \
	    "report $k --format man: mandoc -Tlint -Wwarning finds nothing" \
	    "$TROOT/lint-$k.7"
done
if command -v groff >/dev/null 2>&1; then
	for k in actions agenda package; do
		check "report $k --format man: groff -t -ww finds nothing" \
		    sh -c '! groff -k -man -t -ww -Tutf8 "$1" 2>&1 >/dev/null |
		    grep .' sh "$TROOT/lint-$k.7"
	done
else
	skip 'man reports through groff -ww' 'no groff'
fi
run dipb report actions --today 2027-01-15 --format latex
cp "$OUT" "$TROOT/actions.tex"
check 'report --format latex: a whole document, marked on every page' \
    sh -c 'head -n 1 "$1" | grep -q "^\\\\documentclass" &&
    tail -n 1 "$1" | grep -q "^\\\\end{document}" &&
    grep -q "chead{\\\\textbf{NATO RESTRICTED}}" "$1" &&
    grep -q "begin{longtable}" "$1"' sh "$TROOT/actions.tex"

# --- options --------------------------------------------------------------

check_refused 2 'the kinds of report' 'report of an unknown kind: exit 2' \
    dipb report everything
check_refused 2 'one kind of report expected' 'report without a kind: exit 2' \
    dipb report
check_refused 2 'package needs --reference' 'package without --reference' \
    dipb report package
check_refused 2 '--since is for minutes' 'status --since: exit 2' \
    dipb report status --since 2026-01-01
check_refused 2 '--reference is for package' 'minutes --reference: exit 2' \
    dipb report minutes --reference X
check_refused 2 "unknown classification 'SECRET'" \
    '--max-classification of no classification of the board: exit 2' \
    dipb report status --max-classification SECRET
check_refused 2 '--today takes a date' '--today 2027-02-30: exit 2' \
    dipb report actions --today 2027-02-30
check_refused 2 '--format takes markdown' '--format pdf: exit 2' \
    dipb report status --format pdf
check_refused 2 'not a date (YYYY-MM-DD), tag or revision' \
    'minutes --since of nothing: exit 2' \
    dipb report minutes --since last-meeting
check_refused 1 "no recommendation was submitted under 'CNAD-1999'" \
    'package of an unknown reference: exit 1' \
    dipb report package --reference CNAD-1999
check_refused 5 '' '-o into a missing folder: exit 5' \
    dipb report status -o "$TROOT/no/such/dir/x.md"
check_eq '-o into a missing folder leaves nothing' no \
    "$([ -e "$TROOT/no" ] && echo yes || echo no)"
# A newline or tab in the path named is shown as '?' (dipb(1)): raw, it
# would start a line of its own, a "dipb: ..." line forged.
check_refused 5 "nl?dipb: forged?x" \
    '-o into a missing folder with a newline: named on one line' \
    dipb report status -o "$(printf 'nl\ndipb: forged\tx/y.md')"
check_eq '  one line on standard error' 1 "$(wc -l <"$ERR" | tr -d ' ')"
# So is the path of every refusal: a FIFO, a link, a folder's name.
d=$TROOT/$(printf 'o\ndipb: forged')
mkdir "$d"
mkfifo "$d/fifo"
ln -s fifo "$d/link"
for x in fifo link ''; do
	check_refused nonzero "$TROOT/o?dipb: forged/$x" \
	    "-o '$x' in a folder with a newline: named on one line" \
	    dipb report status -o "$d/$x"
	check_eq "  '$x': one line on standard error" 1 \
	    "$(wc -l <"$ERR" | tr -d ' ')"
done
# A read-only file: replaced where the shell's '>' writes it (root),
# refused where '>' is (below).
echo old >"$TROOT/keep.md"
chmod 444 "$TROOT/keep.md"
if (: >>"$TROOT/keep.md") 2>/dev/null; then
	run dipb report status -o "$TROOT/keep.md"
	check_eq '-o replaces the file whole (atomic rename)' \
	    "0:$(dipb report status | cksum)" "$RC:$(cksum <"$TROOT/keep.md")"
	check_eq '-o: the file replaced keeps its mode' 444 \
	    "$(stat -c %a "$TROOT/keep.md")"
fi
# A report its owner made private stays private, whatever the umask.
echo old >"$TROOT/private.md"
chmod 600 "$TROOT/private.md"
run sh -c 'umask 022 && dipb report status -o "$1"' sh "$TROOT/private.md"
check_eq '-o: a private file stays private (0600), umask 022' 0:600 \
    "$RC:$(stat -c %a "$TROOT/private.md")"
echo old >"$TROOT/group.md"
chmod 664 "$TROOT/group.md"
run sh -c 'umask 022 && dipb report status -o "$1"' sh "$TROOT/group.md"
check_eq '-o: a group-writable file stays so (0664), umask 022' 0:664 \
    "$RC:$(stat -c %a "$TROOT/group.md")"
run sh -c 'umask 077 && dipb report status -o "$1"' sh "$TROOT/new.md"
check_eq '-o: a new file is made through the umask (077: 0600)' 0:600 \
    "$RC:$(stat -c %a "$TROOT/new.md")"
# A report larger than the file size limit (ulimit -f): refused with
# the system's message, the file before it whole, no temporary file left
# (SIGXFSZ killed dipb mid-write, silent, and left it).
mkdir "$TROOT/fsize"
printf 'before\n' >"$TROOT/fsize/status.html"
run sh -c 'ulimit -f 2 && exec dipb report status --format html -o "$1"' \
    sh "$TROOT/fsize/status.html"
check_eq 'ulimit -f: report -o exits 5' 5 "$RC"
check_err 'ulimit -f: report -o says why' 'File too large'
check_eq 'ulimit -f: the file before it whole, no temporary file' \
    'status.html before' \
    "$(ls "$TROOT/fsize") $(cat "$TROOT/fsize/status.html")"
# As the shell's '>' refuses (dipb-report(1), -o): a read-only file,
# another user's, a folder the user may not write in; the path given
# named, never the temporary file.  As nobody, on a copy of the board,
# where this is root (whom '>' never refuses).
if [ "$(id -u)" -ne 0 ]; then
	user() { "$@"; }
	UB=$BOARD
elif command -v setpriv >/dev/null 2>&1; then
	user() { as_other_user "$@"; }
	UB=$TROOT/asnobody
	cp -a "$BOARD" "$UB"
	chmod o+x "$TROOT" "$HOME"
	chmod o+r "$HOME/.gitconfig"
else
	UB=
	skip "-o where the shell's '>' refuses" 'root without setpriv'
fi
if [ -n "$UB" ]; then
	mkdir "$UB/out" "$UB/ro" "$UB/drop"
	echo mine >"$UB/out/ro.md"
	chmod 444 "$UB/out/ro.md"
	echo root >"$UB/out/other.md"
	if [ "$(id -u)" -eq 0 ]; then
		chown -R 65534:65534 "$UB"
		chown 0:0 "$UB/out/other.md"
	fi
	chmod 555 "$UB/ro"
	# A folder the user may write but not read, a drop box: written,
	# as '>' writes there.
	chmod 300 "$UB/drop"
	run user dipb -C "$UB" report status
	want="$RC $(cksum <"$OUT")"
	run user env DIPB_FSYNC=0 dipb -C "$UB" report status -o drop/s.md
	check_eq '-o into a folder writable, not readable (0300): written' \
	    "$want" "$RC $(cksum <"$UB/drop/s.md" 2>&1)"
	run user sh -c 'echo x >"$1"' sh "$UB/out/ro.md"
	shell_rc=$RC
	run user dipb -C "$UB" report status -o out/ro.md
	check_eq "-o onto a read-only file: refused as '>' refuses it, exit 5" \
	    "1 5 mine 444" \
	    "$((shell_rc != 0)) $RC $(cat "$UB/out/ro.md") $(stat -c %a "$UB/out/ro.md")"
	check_err '-o onto a read-only file: named as given' \
	    "cannot write 'out/ro.md': Permission denied"
	if [ "$(id -u)" -eq 0 ]; then
		run user dipb -C "$UB" report status -o out/other.md
		check_eq "-o onto another user's file: refused, exit 5, kept" \
		    "5 root 0" \
		    "$RC $(cat "$UB/out/other.md") $(stat -c %u "$UB/out/other.md")"
	fi
	run user dipb -C "$UB" report status -o ro/r.md
	check_eq '-o into a read-only folder: exit 5, nothing there' '5 ' \
	    "$RC $(ls "$UB/ro")"
	check_err '-o into a read-only folder: the path given named' \
	    "cannot write 'ro/r.md': Permission denied"
	check_eq '-o into a read-only folder: no temporary file named' '' \
	    "$(grep dipb-tmp "$ERR")"
	if [ "$(id -u)" -eq 0 ]; then chmod o-x "$TROOT"; fi
fi
check_refused 2 'markdown or html' 'show --format pdf: exit 2' \
    dipb show IC-0001 --format pdf

# A record removed with plain git keeps, in the minutes, the title and
# classification it had at its last change.
as secretary
git rm -q recommendations/SI-0003.yaml
git commit -q -m 'Remove SI-0003 by hand'
run dipb report minutes --since 2026-03-01 --format json
cp "$OUT" "$TROOT/rm.json"
check 'minutes: a record removed with plain git keeps its title and marking' \
    python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
e = [x for x in d["events"] if x["record"] == "SI-0003"]
assert e and e[0]["title"] == \
    "Mutual recognition of munition test and qualification", e
assert d["marking"] == "NATO RESTRICTED", d["marking"]
assert [p["paths"] for p in d["plain_git"]] == \
    [["recommendations/SI-0003.yaml"]], d["plain_git"]
' "$TROOT/rm.json"

# A --title that is not UTF-8 keeps its key in JSON, its bad byte shown as
# '?' as in the other formats: the keys report, title, board... come first.
run dipb report status --title "$(printf 'Latin-1 caf\351')" --format json
cp "$OUT" "$TROOT/latin1.json"
check 'report --format json: a --title not in UTF-8 is there, as ?' \
    python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert list(d)[:7] == ["report", "title", "board", "date", "marking",
    "max_classification", "left_out"], list(d)
assert d["title"] == "Latin-1 caf?", d["title"]' "$TROOT/latin1.json"

# Text that begins a list item or a paragraph is text, whatever it begins
# with: an action "1. Publish" or a reference "2024. Plan" nests no list,
# and four blanks make no code block, in Markdown and in what cmark renders.
new_board marker
as drafter
cat >"$TROOT/marker.yaml" <<'EOF'
summary: |
  Summary.
references:
  - "2024. Defence Production Action Plan"
  - "- a dash"
  - "+ a plus"
  - "    four blanks"
actions:
  - text: "1. Publish the list"
    owner: National Armaments Directors
  - text: "2024) A year"
    owner: National Armaments Directors
EOF
run dipb recommend --wg industrial-capacity --title 'Markers' \
    --from "$TROOT/marker.yaml" --no-edit
run dipb show IC-0001 --format html
check_eq 'show --format html: an item beginning "1." or "-" nests no list' \
    '<li>1. Publish the list — National Armaments Directors (open)</li>
<li>2024) A year — National Armaments Directors (open)</li>
<li>2024. Defence Production Action Plan</li>
<li>- a dash</li>
<li>+ a plus</li>
<li>four blanks</li>' "$(grep '^<li>' "$OUT")"
check_eq 'show --format html: no nested list, no code block' '' \
    "$(grep -E '<(ol|ul) start|<li>$|<pre>' "$OUT")"
run dipb show IC-0001 --format markdown
check_eq 'show --format markdown: a list marker that begins an item is escaped' \
    '1. 1\. Publish the list — National Armaments Directors (open)
2. 2024\) A year — National Armaments Directors (open)
- 2024\. Defence Production Action Plan
- \- a dash
- \+ a plus
- four blanks' "$(grep -E '^([12]\.|-) ' "$OUT")"

# A title in LaTeX's table is the text typed: TeX's ligatures ("--" a
# dash, ",," and "''" quotes) and a backquote are broken or escaped.
run dipb recommend --wg industrial-capacity --no-edit --summary S \
    --title "Plan -- \`\`draft'' ,,x"
run dipb report status --format latex
check_eq 'report --format latex: a title keeps its "--", quotes and backquotes' \
    'Plan -{}- \textasciigrave{}\textasciigrave{}draft\textquotesingle{}\textquotesingle{} ,{},x' \
    "$(grep -o 'Plan -[^&]*x' "$OUT")"

# --- report actions: one member's owners, one owner -------------------------
#
# The owners that name one member, by address in any case, with blanks,
# as "Name <email>" or by name, are one owner of report actions, shown by
# the member's name (dipb-report(1), actions); free text stays as written.
new_board owners
as drafter
cat >"$TROOT/owners.yaml" <<'EOF'
summary: Summary.
actions:
  - text: Keep the register
    owner: SECRETARY@EXAMPLE.ORG
  - text: File the papers
    owner: "secretary@example.org "
  - text: Circulate the minutes
    owner: Sam Secretary <secretary@example.org>
  - text: Book the room
    owner: sam secretary
  - text: Fund it
    owner: National Armaments Directors
  - text: Brief the press
    owner: national armaments directors
EOF
run dipb recommend --wg industrial-capacity --title 'Owners' \
    --from "$TROOT/owners.yaml" --no-edit
drive IC-0001 decided
run dipb report actions --today 2026-03-20
check_eq 'report actions: one row per member, free text as written' \
    '| National Armaments Directors | 1 | 0 |
| Sam Secretary | 4 | 0 |
| national armaments directors | 1 | 0 |' \
    "$(sed -n '/^## By owner/,/^## /p' "$OUT" | grep '^| [^-O]')"
check_eq 'report actions: one table of the member'"'"'s four actions' \
    '1 4' "$(grep -c '^## Sam Secretary$' "$OUT") $(sed -n \
    '/^## Sam Secretary$/,/^## /p' "$OUT" | grep -c '^| [0-9-]* | [0-9-]* | IC-0001 |')"
run dipb report actions --today 2026-03-20 --format json
check_eq 'report actions --format json: each action keeps its owner as written' \
    'SECRETARY@EXAMPLE.ORG|secretary@example.org |Sam Secretary <secretary@example.org>|sam secretary' \
    "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
print("|".join(a["owner"] for a in d["actions"] if "ecretary" in a["owner"].lower()))' "$OUT")"
check_eq 'report actions --format json: owner_member, the member each owner names, or null' \
    'Sam Secretary=4 None=2' \
    "$(python3 -c 'import json,sys,collections; d=json.load(open(sys.argv[1]))
c=collections.Counter(str(a["owner_member"]) for a in d["actions"])
print(" ".join("%s=%d" % kv for kv in sorted(c.items(), reverse=True)))' "$OUT")"

# --- status --until after a merged proposal branch --------------------------
#
# A proposal branch made on 7 February and merged with --no-ff on 5 March:
# status --until 2026-02-07 is the state of the board branch that day, its
# first-parent line as git rev-list --first-parent --until reads it, not
# the merged branch's commit (which lacks IC-0002, drafted on main on 6
# February), and holds what log and minutes --until list (dipb-report(1)).
at 2026-01-15
new_board merged
as drafter
at 2026-02-01
mkrec industrial-capacity 'Base' >/dev/null			# IC-0001
git checkout -q -b proposal
at 2026-02-07
mkdir -p drafts
printf 'title: Later\n' >drafts/later.yaml
git add drafts
git commit -q -m 'Proposal: a draft'
git checkout -q main
at 2026-02-06
mkrec industrial-capacity 'Drafted on main on 6 February' >/dev/null	# IC-0002
at 2026-03-05
git merge -q --no-ff -m 'Merge pull request #1 (proposal)' proposal
verify_clean 'a merged proposal branch: verify is clean'
fp=$(git rev-list --first-parent -1 --until=2026-02-07T23:59:59Z HEAD)
want=$(git ls-tree --name-only "$fp" recommendations/ |
    sed 's|recommendations/||; s|\.yaml$||')
check_eq 'git: the branch had IC-0001 and IC-0002 on 7 February' \
    "$(printf 'IC-0001\nIC-0002')" "$want"
check_out 'status --until DATE: the first-parent state of that day' \
    "$want" sh -c 'dipb report status --until 2026-02-07 --format json |
    python3 -c "import json,sys; print(\"\n\".join(r[\"id\"] for r in json.load(sys.stdin)[\"recommendations\"]))"'
check_out 'and the records log --until DATE lists changes of' \
    "$want" sh -c 'dipb log --until 2026-02-07 --format json |
    python3 -c "
import json, sys
print(\"\n\".join(sorted({j[\"record\"] for j in map(json.loads, sys.stdin)
    if j[\"record\"] not in (\"board\", None)})))"'
check_out 'status --until the merge day: the merged draft is no record' \
    "$want" sh -c 'dipb report status --until 2026-03-05 --format json |
    python3 -c "import json,sys; print(\"\n\".join(r[\"id\"] for r in json.load(sys.stdin)[\"recommendations\"]))"'

# --- many actions: a report in bounded memory ---------------------------------

# 48,000 open actions (four decided records of 12,000, 2.9 MB): report
# actions --format json held the report as a jansson tree, as a string
# and as its copy, beside a model holding both its document and its data,
# and needed some 250 MB of address space; written as the model is walked
# from the data alone it needs under 100 MB (dipb-record(5), LIMITS).
# Under a 155 MB bound the JSON must be whole: an allocation jansson
# failed made "null" of the report.  A build that cannot start in that
# much (a sanitizer's) is not measured.
new_board many
for n in 1 2 3 4; do
	"$PY" -c '
import sys
w = sys.stdout.write
w("id: IC-000%s\ntitle: T\nworking_group: industrial-capacity\n"
  "status: decided\nclassification: NATO UNCLASSIFIED\npriority: medium\n"
  "created: 2026-12-05\nupdated: 2026-12-05\nauthor: dan@example.org\n"
  "summary: |\n  S\nactions:\n" % sys.argv[1])
for i in range(12000):
    w("  - text: Do %d.\n    owner: Owner %d\n    due: 2026-%02d-%02d\n"
      % (i, i, i % 12 + 1, i % 28 + 1))
w("submission:\n  date: 2026-12-05\n  to: NAD\n  reference: R1\n"
  "decision:\n  date: 2026-12-05\n  outcome: agreed\n")' "$n" \
	    >"recommendations/IC-000$n.yaml"
done
git add recommendations
git commit -q -m 'Four decided records of 12,000 actions'
MANYLIM=158720
run dipb report actions --format json --today 2026-12-31
cp "$OUT" "$TROOT/many.json"
check_eq 'many actions: report actions --format json has all 48,000' \
    '0 48000' "$RC $("$PY" -c 'import json, sys
print(len(json.load(open(sys.argv[1]))["actions"]))' "$TROOT/many.json")"
under_vlimit "$MANYLIM" dipb --version
if [ "$RC" -ne 0 ]; then
	skip 'many actions: report actions --format json in bounded memory' \
	    "dipb does not start under ulimit -v $MANYLIM"
else
	run sh -c "ulimit -v $MANYLIM && exec dipb report actions \
	    --format json --today 2026-12-31"
	check_eq "many actions: under ulimit -v $MANYLIM, the same JSON" \
	    "0 same" "$RC $(cmp -s "$OUT" "$TROOT/many.json" && echo same)"
fi

# Its document, for Markdown: its blocks, rows, cells and strings, some
# 600,000 small pieces, each malloc'd, took some 80 MB of address space;
# in the model's arena (src/report/model.h) it takes some 55 MB.
MDLIM=67584
run dipb report actions --today 2026-12-31
cp "$OUT" "$TROOT/many.md"
under_vlimit "$MDLIM" dipb --version
if [ "$RC" -ne 0 ]; then
	skip 'many actions: report actions in bounded memory' \
	    "dipb does not start under ulimit -v $MDLIM"
else
	run sh -c "ulimit -v $MDLIM && exec dipb report actions \
	    --today 2026-12-31"
	check_eq "many actions: under ulimit -v $MDLIM, the same Markdown" \
	    "0 same" "$RC $(cmp -s "$OUT" "$TROOT/many.md" && echo same)"
fi

# --- minutes: a plain git commit of many records ---------------------------

# The document names ten paths of a plain commit, in their order, then how
# many more (dipb-report(1), minutes): the 30,000 of a board's import on
# one line helped no reader.  Its JSON has them all.  A commit of ten
# names them all.
new_board register
import_register 300
run dipb report minutes
check_eq 'a plain commit of 300 records: Markdown names ten paths, then how many more' \
    "0 **2026-01-01** — Ann Importer, commit \`$(git rev-parse --short=10 HEAD)\`: Import the register ($(seq -f 'recommendations/IC-%04g.yaml' -s ', ' 1 10), and 290 more files)" \
    "$RC $(grep '^\*\*2026-01-01\*\* — Ann' "$OUT" | cut -c 1-1000)"
for f in html man latex; do
	run dipb report minutes --format "$f"
	check_eq "a plain commit of 300 records: --format $f names ten paths, then how many more" \
	    '0 1 0' "$RC $(grep -c 'IC.\{1,2\}0010\.yaml, and 290 more files)' \
	    "$OUT") $(grep -c 'IC.\{1,2\}0011' "$OUT")"
done
run dipb report minutes --format json
cp "$OUT" "$TROOT/register.json"
check 'a plain commit of 300 records: its JSON lists every path' \
    "$PY" -c '
import json, sys
p = json.load(open(sys.argv[1]))["plain_git"][0]["paths"]
assert p == ["recommendations/IC-%04d.yaml" % i for i in range(1, 301)], \
    p' "$TROOT/register.json"
for i in $(seq 1 10); do
	printf '  By hand.\n' >>"$(printf 'recommendations/IC-%04d.yaml' "$i")"
done
git commit -qam 'Ten notes by hand'
run dipb report minutes
check_eq 'a plain commit of ten paths: the minutes name them all' \
    "0 ($(seq -f 'recommendations/IC-%04g.yaml' -s ', ' 1 10))" \
    "$RC $(grep ': Ten notes by hand' "$OUT" | sed 's/.*by hand //')"

# --- minutes: a record file that does not load --------------------------

# A record committed with plain git in a form that does not load is read
# by minutes as status reads it (dipb-report(1), minutes and EXIT
# STATUS): its problem reported, exit 1, no title from it, and the level
# of its comments not known, so left out under --max-classification.
cd "$DEMO" || exit 1
sedit recommendations/IC-0001.yaml 's/^status: .*/status: bogus/'
git commit -qam 'IC-0001 by hand'
run dipb report status
check_eq 'a record that does not load: status exits 1' 1 "$RC"
run dipb report minutes
# Named at the commit it was read at, as git names the file there
# (REV:PATH, as dipb show names a version's): changed or removed since,
# the working tree's is another.
BOGUS=$(git rev-parse HEAD | cut -c 1-12)
check_eq 'a record that does not load: minutes exits 1, saying why, the file at its commit' \
    '1 1 dipb: 1 invalid record left out' \
    "$RC $(grep -c "^$BOGUS:recommendations/IC-0001.yaml:[0-9]*:[0-9]*: error: .*\\[enum\\]\$" "$ERR") $(tail -n 1 "$ERR")"
check_eq 'a record that does not load: minutes shows no title from it' \
    '1 0' "$(grep -c '^### IC-0001 — (its record file could not be read)$' \
    "$OUT") $(grep -c 'Multi-year framework' "$OUT")"
run dipb report minutes --format json
cp "$OUT" "$TROOT/unread.json"
check 'a record that does not load: its comments have no known level' \
    "$PY" -c '
import json, sys
ev = [e for e in json.load(open(sys.argv[1]))["events"]
    if e["record"] == "IC-0001" and e["comment"] is not None]
assert ev, "no comment of IC-0001"
assert all(e["classification"] is None and e["title"] is None
    for e in ev), ev' "$TROOT/unread.json"
run dipb report minutes --max-classification 'NATO UNCLASSIFIED'
check_eq 'a record that does not load: capped, its changes are left out' \
    '1 0' "$RC $(grep -c 'IC-0001' "$OUT")"
# Removed since with plain git: the file named is the one at the commit
# it was read at, which git shows as the diagnostic names it.
git rm -q recommendations/IC-0001.yaml
git commit -qm 'IC-0001 removed by hand'
run dipb report minutes
F=$(sed -n 's/^\([0-9a-f]*:recommendations\/IC-0001\.yaml\):[0-9]*:[0-9]*: error: .*\[enum\]$/\1/p' "$ERR")
check_eq 'removed since: minutes exits 1, the file named at the commit it was read at' \
    "1 $BOGUS:recommendations/IC-0001.yaml" "$RC $F"
check 'removed since: git shows the file so named, as it was read' \
    sh -c 'git show "$1" | grep -q "^status: bogus$"' sh "${F:-none}"
git reset -q --hard HEAD~1

# -o names FILE, as the shell's '>' does, then the folder at fault
# (dipb-report(1), -o).
run dipb report status -o "$TROOT/none/s.md"
check_eq '-o into a folder that does not exist: exit 5' 5 "$RC"
check_err '-o into a folder that does not exist: FILE named, then the folder' \
    "dipb: cannot write '$TROOT/none/s.md': '$TROOT/none': No such file or directory"
run dipb report status -o dipb.yaml/s.md
check_err '-o under a file: FILE named, then the file in the way' \
    "dipb: cannot write 'dipb.yaml/s.md': 'dipb.yaml': Not a directory"

# A commit with no message shows in minutes as in dipb log, "(no
# message)", not as nothing; its JSON subject is git's, empty.
git checkout -q HEAD~1 -- recommendations/IC-0001.yaml
git commit -q --allow-empty-message -m '' recommendations/IC-0001.yaml
c=$(git rev-parse --short=10 HEAD)
run dipb report minutes
check_eq 'a commit with no message: minutes says "(no message)", as log does' \
    "0 1 1" "$RC $(grep -c "commit \`$c\`: (no message) (recommendations/IC-0001.yaml)\$" \
    "$OUT") $(dipb log | grep -c "^.* $c  *(no message), by ")"
run dipb report minutes --format json
cp "$OUT" "$TROOT/nomsg.json"
check 'a commit with no message: its JSON subject is empty' "$PY" -c '
import json, sys
p = [x for x in json.load(open(sys.argv[1]))["plain_git"]
    if x["commit"].startswith(sys.argv[2])]
assert len(p) == 1 and p[0]["subject"] == "", p' "$TROOT/nomsg.json" "$c"

# A record removed in the window is read as at its last change there;
# when that file does not load either, its level is not known: it is
# read as one that does not load at the end (dipb-report(1), minutes),
# though status, at the end, has no file of it to read.
sedit recommendations/IC-0002.yaml 's/^status: .*/status: bogus/'
git commit -qam 'IC-0002 by hand'
git rm -q recommendations/IC-0002.yaml
git commit -qm 'IC-0002 removed by hand'
run dipb report status
check_eq 'a record removed after it stopped loading: status exits 0' 0 "$RC"
run dipb report minutes
h='^### IC-0002 — (its record file could not be read)$'
check_eq 'a record removed after it stopped loading: minutes exits 1' \
    '1 1 0' "$RC $(grep -c "$h" "$OUT") $(grep -c 'Skilled workforce' "$OUT")"

# That minutes once looked each path of such a commit up among all the
# records, quadratic in the paths, is measured by bench/report.sh (its
# third figure), never by the clock here.

finish

#!/bin/sh
# tests/cli/ci-formats.sh - the reports for CI systems and forges:
# dipb validate --format sarif|gitlab, dipb verify --format junit|sarif.
#
# The SARIF logs are checked against the published SARIF 2.1.0 JSON Schema
# (tests/sarif/sarif-schema-2.1.0.json) with python3-jsonschema, and
# against the other formats of the same run (--format json) result by
# result; their rules against the man pages' lists, so that the table in
# the code and the man page cannot drift.  The GitLab report is checked
# against GitLab's documented fields and types, verify's JUnit against
# its text output.  The checks are tests/cli/cicheck.py's.
#
# python3-jsonschema is Debian's (.ci/install-deps): it serves
# /usr/bin/python3, which is run here by its path, since the python3
# first on PATH may be another one (a pyenv one) without the module.
. "$(dirname "$0")/lib.sh"

unset GITHUB_ACTIONS
CORPUS=$DIPB_SRCDIR/tests/validate
SCHEMA=$DIPB_SRCDIR/tests/sarif/sarif-schema-2.1.0.json
CHECK=$DIPB_SRCDIR/tests/cli/cicheck.py
VMAN=$DIPB_SRCDIR/man/dipb-validate.1
YMAN=$DIPB_SRCDIR/man/dipb-verify.1
PY=/usr/bin/python3

# pycheck DESC CHECK ARGS...: cicheck.py CHECK ARGS prints nothing, exit 0.
pycheck() {
	_d=$1
	shift
	run "$PY" "$CHECK" "$@"
	if [ "$RC" -eq 0 ] && [ ! -s "$OUT" ] && [ ! -s "$ERR" ]; then
		ok "$_d"
	else
		not_ok "$_d" "$(_said cicheck.py "$@")"
	fi
}

# pyrefuses DESC CHECK ARGS...: cicheck.py CHECK ARGS finds fault (exit 1,
# and says what): the checks can fail.
pyrefuses() {
	_d=$1
	shift
	run "$PY" "$CHECK" "$@"
	if [ "$RC" -eq 1 ] && [ -s "$OUT" ]; then
		ok "$_d"
	else
		not_ok "$_d" "expected cicheck.py to find fault" \
		    "$(_said cicheck.py "$@")"
	fi
}

if "$PY" -c 'import jsonschema' 2>/dev/null; then
	ok "$PY has jsonschema (python3-jsonschema)"
else
	not_ok "$PY has jsonschema (apt-get install python3-jsonschema)"
	finish
	exit 1
fi

# --- the schema, the validator and the checks can fail ---------------------------

pycheck 'the vendored schema is a valid draft-04 schema' schema \
    "$DIPB_SRCDIR/tests/sarif/minimal.sarif" "$SCHEMA"
pyrefuses 'the schema refuses a log with a level SARIF does not have' \
    schema "$DIPB_SRCDIR/tests/sarif/bad-level.sarif" "$SCHEMA"
pyrefuses 'a uri with a space is refused' \
    schema "$DIPB_SRCDIR/tests/sarif/bad-uri.sarif" "$SCHEMA"

# --- the man pages' rules are those of the code -----------------------------------

run "$PY" "$CHECK" manrules "$VMAN"
nv=$(wc -l <"$OUT" | tr -d ' ')
[ "$nv" -ge 45 ] && ok "dipb-validate(1) lists $nv rules" ||
    not_ok "dipb-validate(1) lists $nv rules, expected at least 45" \
    "$(_said manrules "$VMAN")"
cp "$OUT" "$TROOT/validate-rules"
run "$PY" "$CHECK" manrules "$YMAN"
ny=$(wc -l <"$OUT" | tr -d ' ')
[ "$ny" -ge 35 ] && ok "dipb-verify(1) lists $ny rules" ||
    not_ok "dipb-verify(1) lists $ny rules, expected at least 35" \
    "$(_said manrules "$YMAN")"

# Every rule the corpus shows (its .out files) is one the table describes.
cat "$CORPUS"/*.out "$CORPUS"/*/*.out 2>/dev/null |
    sed -n 's/.* \[\([a-z0-9-]*\)\]$/\1/p' | LC_ALL=C sort -u >"$TROOT/corpus-rules"
LC_ALL=C sort -u "$TROOT/validate-rules" >"$TROOT/validate-rules.sorted"
missing=$(LC_ALL=C comm -23 "$TROOT/corpus-rules" "$TROOT/validate-rules.sorted" |
    tr '\n' ' ')
[ -s "$TROOT/corpus-rules" ] && [ -z "$missing" ] &&
    ok "every rule of the corpus ($(wc -l <"$TROOT/corpus-rules" | tr -d ' ')) is in dipb-validate(1)" ||
    not_ok "every rule of the corpus is in dipb-validate(1)" "missing: $missing"

# --- validate --format sarif ---------------------------------------------------------

# A repository holding the corpus, checked from a folder below its top,
# so that paths are made relative to the top and not to the current one.
REPO=$TROOT/repo
RECS=$REPO/recs/recommendations
mkdir -p "$REPO/sub" "$RECS"
git -C "$REPO" init -q
cp "$CORPUS/dipb.yaml" "$REPO/recs/"
for f in "$CORPUS"/*.yaml; do
	case ${f##*/} in dipb.yaml) continue ;; esac
	cp "$f" "$RECS/"
done
# Names a URI must encode: a space, %, #, ?, and UTF-8.
cp "$CORPUS/many-problems.yaml" "$RECS/a b%#?é.yaml"
cd "$REPO/sub" || exit 1

run dipb validate --format sarif ../recs
cp "$OUT" "$TROOT/v.sarif"
cp "$ERR" "$TROOT/v.err"
check_eq 'validate --format sarif: exit 1 on errors' 1 "$RC"
# libcrypto configured with no provider of SHA-256 (OPENSSL_CONF naming
# the base provider alone): the same report, fingerprints and all, never
# an abort.
printf 'openssl_conf = i\n[i]\nproviders = p\n[p]\nbase = b\n[b]\nactivate = 1\n' \
    >"$TROOT/base-only.cnf"
check 'oracle: openssl computes no SHA-256 with that configuration' \
    sh -c '! OPENSSL_CONF="$1" openssl dgst -sha256 /dev/null \
    >/dev/null 2>&1' sh "$TROOT/base-only.cnf"
run env OPENSSL_CONF="$TROOT/base-only.cnf" dipb validate --format sarif ../recs
check_eq 'OPENSSL_CONF without SHA-256: validate --format sarif, exit 1, the same report' \
    '1 same' "$RC $(cmp -s "$OUT" "$TROOT/v.sarif" && echo same)"
check_file_has 'the summary is on stderr' "$TROOT/v.err" \
    '^dipb: [0-9]+ errors and [0-9]+ warnings in [0-9]+ files$'
run dipb validate --format json ../recs
cp "$OUT" "$TROOT/v.jsonl"
pycheck 'validate --format sarif: valid against the SARIF 2.1.0 schema' \
    schema "$TROOT/v.sarif" "$SCHEMA"
pycheck 'validate --format sarif: its rules are those of dipb-validate(1)' \
    rules "$TROOT/v.sarif" "$VMAN"
# The encoding rule refuses raw control characters and line breaks
# other than LF and CRLF too (dipb-validate(1)); its description says so.
check_file_has 'validate --format sarif: the encoding rule names raw control characters and line breaks' \
    "$TROOT/v.sarif" 'raw control character, a carriage return alone, NEL, U\+2028 or U\+2029'
pycheck 'validate --format sarif: one result per problem, as --format json has it, paths from the top, encoded' \
    validate-sarif "$TROOT/v.sarif" "$TROOT/v.jsonl" "$REPO"
if grep -q '"uri": "recs/recommendations/a%20b%25%23%3F%C3%A9.yaml"' "$TROOT/v.sarif"; then
	ok 'a file name of space, %, #, ? and UTF-8 is percent-encoded'
else
	not_ok 'a file name of space, %, #, ? and UTF-8 is percent-encoded' \
	    "$(grep '"uri"' "$TROOT/v.sarif" | sort -u | head -5)"
fi
run dipb validate --format sarif ../recs
if cmp -s "$OUT" "$TROOT/v.sarif"; then
	ok 'validate --format sarif: the same bytes twice'
else
	not_ok 'validate --format sarif: the same bytes twice' \
	    "$(diff "$TROOT/v.sarif" "$OUT" | head -10)"
fi

# The checks catch a result that is off: a wrong line.
sed 's/"startLine": 2,/"startLine": 3,/' "$TROOT/v.sarif" >"$TROOT/off.sarif"
pyrefuses 'the checks catch a result on the wrong line' \
    validate-sarif "$TROOT/off.sarif" "$TROOT/v.jsonl" "$REPO"

# A file outside the working tree: an absolute file: URI, no uriBaseId.
mkdir -p "$TROOT/outside/recommendations"
cp "$CORPUS/dipb.yaml" "$TROOT/outside/"
cp "$CORPUS/many-problems.yaml" "$TROOT/outside/recommendations/"
run dipb validate --format sarif "$TROOT/outside"
cp "$OUT" "$TROOT/o.sarif"
run dipb validate --format json "$TROOT/outside"
cp "$OUT" "$TROOT/o.jsonl"
pycheck 'a file outside the working tree: a file: URI' \
    validate-sarif "$TROOT/o.sarif" "$TROOT/o.jsonl" "$REPO"
pycheck 'the log of it is valid' schema "$TROOT/o.sarif" "$SCHEMA"

# A file reached through a symbolic link to a folder of the working tree
# (a link committed in it): git holds the file at its real folder only,
# and a forge places a finding on no other path.  Named so in every
# format: from the top in the forges', from the current folder in json
# and junit, as any other path (dipb-validate(1)).
ln -s recs/recommendations "$REPO/linked"
git -C "$REPO" add -- linked recs/dipb.yaml \
    recs/recommendations/many-problems.yaml
TREEPATH=recs/recommendations/many-problems.yaml
check_out "git ls-files: the file is $TREEPATH" "$TREEPATH" \
    git -C "$REPO" ls-files -- "$TREEPATH"
check_status nonzero 'git ls-files: none is beyond the link' \
    git -C "$REPO" ls-files --error-unmatch -- linked/many-problems.yaml
for a in ../linked/many-problems.yaml ../linked ./../linked/; do
	for f in github gitlab sarif json junit; do
		case $f in
		json|junit) want=../$TREEPATH top=../recs/ ;;
		*) want=$TREEPATH top=recs/ ;;
		esac
		run dipb validate --format "$f" "$a"
		cp "$OUT" "$TROOT/linked.$f"
		run "$PY" "$CHECK" paths "$f" "$TROOT/linked.$f"
		if [ "$RC" -eq 0 ] && grep -q -x -F -e "$want" "$OUT" &&
		    ! grep -q -v -e "^$top" "$OUT"; then
			ok "validate --format $f $a: named $want, as the tree holds it"
		else
			not_ok "validate --format $f $a: named $want, as the tree holds it" \
			    "$(_said paths "$f")"
		fi
	done
done
run dipb validate --format sarif ../linked/many-problems.yaml
cp "$OUT" "$TROOT/linked.sarif"
pycheck 'through the link: a valid log' schema "$TROOT/linked.sarif" "$SCHEMA"
run dipb validate --format gitlab ../linked/many-problems.yaml
cp "$OUT" "$TROOT/linked.gitlab"
run dipb validate --format gitlab "../$TREEPATH"
cp "$OUT" "$TROOT/direct.gitlab"
check 'through the link: the fingerprints of the file named by its path' \
    cmp -s "$TROOT/direct.gitlab" "$TROOT/linked.gitlab"
git -C "$REPO" rm -q --cached -- linked recs/dipb.yaml \
    recs/recommendations/many-problems.yaml
rm "$REPO/linked"

# A name that is not UTF-8: its bytes percent-encoded, the JSON still valid.
mkdir -p "$TROOT/latin1/recommendations"
cp "$CORPUS/dipb.yaml" "$TROOT/latin1/"
cp "$CORPUS/IC-0001.yaml" "$TROOT/latin1/recommendations/$(printf 'caf\351').yaml"
run dipb validate --format sarif "$TROOT/latin1"
cp "$OUT" "$TROOT/l.sarif"
pycheck 'a file name that is not UTF-8: a valid log' \
    schema "$TROOT/l.sarif" "$SCHEMA"
check_file_has 'its byte is percent-encoded' "$TROOT/l.sarif" \
    '"uri": "file:///.*/recommendations/caf%E9\.yaml"'
run dipb validate --format json "$TROOT/latin1"
check_eq 'validate --format json: its problem is not lost, its byte shown as ?' \
    "1 caf?.yaml" "$(wc -l <"$OUT" | tr -d ' ') $("$PY" -c '
import json, sys
print(json.loads(sys.stdin.readline())["file"].rsplit("/", 1)[-1])' <"$OUT" 2>&1)"

# A clean board: exit 0, an empty results array, nothing on stderr.
new_board sarifclean
as drafter
mkrec industrial-capacity 'Alpha' >/dev/null
run dipb validate --format sarif
cp "$OUT" "$TROOT/c.sarif"
check_eq 'a clean board: exit 0' 0 "$RC"
check_eq 'a clean board: nothing on stderr' '' "$(cat "$ERR")"
pycheck 'a clean board: a valid log' schema "$TROOT/c.sarif" "$SCHEMA"
check 'a clean board: an empty results array' "$PY" -c '
import json, sys
r = json.load(open(sys.argv[1]))["runs"][0]
assert r["results"] == [], r["results"]' "$TROOT/c.sarif"

# --- validate --format gitlab ----------------------------------------------------------

cd "$REPO/sub" || exit 1
run dipb validate --format gitlab ../recs
cp "$OUT" "$TROOT/g.json"
check_eq 'validate --format gitlab: exit 1 on errors' 1 "$RC"
pycheck 'validate --format gitlab: the documented fields and types, one issue per problem, unique fingerprints' \
    gitlab "$TROOT/g.json" "$TROOT/v.jsonl" "$REPO"
sed 's/"severity": "major"/"severity": "error"/' "$TROOT/g.json" >"$TROOT/g-bad.json"
pyrefuses 'the checks catch a severity GitLab does not have' \
    gitlab "$TROOT/g-bad.json" "$TROOT/v.jsonl" "$REPO"

# Stable fingerprints: lines added above the problems move them, not
# their fingerprints; a changed message changes its fingerprint.
fps() {
	"$PY" -c '
import json, sys
for o in json.load(open(sys.argv[1])):
    print(o["fingerprint"], o["location"]["lines"]["begin"], o["check_name"])
' "$1"
}
STABLE="../stable/dipb.yaml ../stable/many-problems.yaml"
mkdir "$REPO/stable"
cp "$CORPUS/dipb.yaml" "$CORPUS/many-problems.yaml" "$REPO/stable/"
# shellcheck disable=SC2086 # two paths
run dipb validate --format gitlab $STABLE
fps "$OUT" >"$TROOT/fp1"
{ printf '# a comment\n# another\n'; cat "$CORPUS/many-problems.yaml"; } \
    >"$REPO/stable/many-problems.yaml"
# shellcheck disable=SC2086 # two paths
run dipb validate --format gitlab $STABLE
fps "$OUT" >"$TROOT/fp2"
if [ -s "$TROOT/fp1" ] &&
    [ "$(cut -d' ' -f1 "$TROOT/fp1")" = "$(cut -d' ' -f1 "$TROOT/fp2")" ] &&
    [ "$(cut -d' ' -f2 "$TROOT/fp1")" != "$(cut -d' ' -f2 "$TROOT/fp2")" ]
then
	ok 'fingerprints stay when the lines move'
else
	not_ok 'fingerprints stay when the lines move' "$(paste "$TROOT/fp1" "$TROOT/fp2" | head)"
fi
sed 's/logistics/logistica/' "$REPO/stable/many-problems.yaml" >"$TROOT/t.yaml"
mv "$TROOT/t.yaml" "$REPO/stable/many-problems.yaml"
# shellcheck disable=SC2086 # two paths
run dipb validate --format gitlab $STABLE
fps "$OUT" >"$TROOT/fp3"
n12=$(cut -d' ' -f1 "$TROOT/fp2" | LC_ALL=C sort >"$TROOT/a"; cut -d' ' -f1 "$TROOT/fp3" |
    LC_ALL=C sort >"$TROOT/b"; LC_ALL=C comm -3 "$TROOT/a" "$TROOT/b" | wc -l | tr -d ' ')
check_eq 'a changed message: that one fingerprint changes' 2 "$n12"

# Two identical problems of one file get two fingerprints.
cat >"$REPO/stable/IC-0001.yaml" <<'EOF'
id: IC-0001
title: Twice the same
working_group: industrial-capacity
status: draft
classification: NATO UNCLASSIFIED
created: 2026-03-04
author: jane@example.org
summary: |
  Text.
actions:
  - text: One
    colour: blue
  - text: Two
    colour: blue
EOF
run dipb validate --format gitlab ../stable/IC-0001.yaml ../stable/dipb.yaml
cp "$OUT" "$TROOT/g2.json"
run dipb validate --format json ../stable/IC-0001.yaml ../stable/dipb.yaml
cp "$OUT" "$TROOT/g2.jsonl"
check_eq 'two problems of the same message' 2 \
    "$(grep -c "unknown key 'colour'" "$TROOT/g2.jsonl")"
pycheck 'two identical problems: two fingerprints, each field right' \
    gitlab "$TROOT/g2.json" "$TROOT/g2.jsonl" "$REPO"

# --- validate --format junit: what XML and a CI system's page cannot hold ------------

# A file name with a newline, one with DEL, a message quoting a C1 CSI
# (U+009B) and NEL (U+0085): python's XML parser reads the report, each
# problem is one line, as the gcc format's, with '?' for each control
# character (dipb-validate(1)).
CTL=$TROOT/ctl
mkdir -p "$CTL/recommendations"
cp "$CORPUS/dipb.yaml" "$CTL/"
cp "$CORPUS/IC-0001.yaml" "$CTL/recommendations/$(printf 'new\nline.yaml')"
cp "$CORPUS/IC-0001.yaml" "$CTL/recommendations/$(printf 'del\177.yaml')"
sed 's/^working_group: .*/working_group: "wg\\u009b2J\\u0085x"/; s/IC-0001/IC-0002/' \
    "$CORPUS/IC-0001.yaml" >"$CTL/recommendations/IC-0002.yaml"
cd "$CTL" || exit 1
run dipb validate --format gcc
cp "$OUT" "$TROOT/ctl.gcc"
check_eq 'control characters: five problems' 5 "$(wc -l <"$TROOT/ctl.gcc" | tr -d ' ')"
run dipb validate --format junit
cp "$OUT" "$TROOT/ctl.xml"
check_eq 'validate --format junit, control characters: exit 1' 1 "$RC"
pycheck 'validate --format junit: well-formed, no control character' \
    junit-clean "$TROOT/ctl.xml"
pycheck 'validate --format junit: one line a problem, those of --format gcc' \
    validate-junit "$TROOT/ctl.xml" "$TROOT/ctl.gcc"
# An unknown key holding U+FFFF (a warning), which XML cannot hold.
sed 's/IC-0001/IC-0003/' "$CORPUS/IC-0001.yaml" >"$CTL/recommendations/IC-0003.yaml"
printf '"note\\uFFFF": x\n' >>"$CTL/recommendations/IC-0003.yaml"
run dipb validate --format gcc
cp "$OUT" "$TROOT/ctl.gcc"
run dipb validate --format junit
cp "$OUT" "$TROOT/ctl.xml"
pycheck 'validate --format junit, a key holding U+FFFF: well-formed, as ?' \
    validate-junit "$TROOT/ctl.xml" "$TROOT/ctl.gcc"
cd "$REPO/sub" || exit 1

# --- many problems: the reports are written as they are made ----------------------

# 100,000 problems (two records of 50,000 unknown keys): the whole log
# was built as one jansson tree before a byte was written, some 3.9 KB a
# problem for SARIF and 2.1 KB for GitLab, where the problems themselves
# take under 0.5 KB.  Under a 120 MB bound on the address space the
# reports are written whole, as --format json has each problem; a report
# built whole needs twice the bound or more.  A build that cannot start in
# that much (a sanitizer's) is not measured.
MANY=$TROOT/many
mkdir -p "$MANY/recommendations"
git -C "$MANY" init -q
cp "$CORPUS/dipb.yaml" "$MANY/"
for n in 1 2; do
	"$PY" -c '
import sys
print("id: IC-000%s" % sys.argv[1])
for i in range(50000):
    print("k%d: x" % i)' "$n" >"$MANY/recommendations/IC-000$n.yaml"
done
cd "$MANY" || exit 1
MANYLIM=122880
run dipb validate --format json
cp "$OUT" "$TROOT/many.jsonl"
check_eq 'many problems: --format json has 100,000 and more' 1 \
    "$([ "$(wc -l <"$TROOT/many.jsonl")" -ge 100000 ] && echo 1)"
under_vlimit "$MANYLIM" dipb validate --format sarif dipb.yaml
if [ "$RC" -ne 0 ]; then
	skip 'many problems: SARIF and GitLab reports in bounded memory' \
	    "dipb does not start under ulimit -v $MANYLIM"
else
	for f in sarif gitlab; do
		run sh -c "ulimit -v $MANYLIM && exec dipb validate --format $f"
		cp "$OUT" "$TROOT/many.$f"
		check_eq "many problems: --format $f under ulimit -v $MANYLIM: exit 1, nothing on stderr but the summary" \
		    '1 0' "$RC $(grep -vc '^dipb: [0-9]* errors' "$ERR")"
		check "many problems: --format $f is JSON (python3 -m json.tool)" \
		    "$PY" -m json.tool "$TROOT/many.$f" /dev/null
	done
	pycheck 'many problems: the SARIF log has every problem of --format json' \
	    validate-sarif "$TROOT/many.sarif" "$TROOT/many.jsonl" "$MANY"
	pycheck 'many problems: the GitLab report has every problem of --format json' \
	    gitlab "$TROOT/many.gitlab" "$TROOT/many.jsonl" "$MANY"
fi
rm -rf "$MANY"

# --- verify --format junit and sarif ---------------------------------------------------------

new_board verifyci
as drafter
mkrec industrial-capacity 'Alpha' >/dev/null
mkrec supply-chain-security 'Bravo' >/dev/null
drive IC-0001 in-review
VROOT=$(pwd)

run dipb verify --format junit
cp "$OUT" "$TROOT/clean.xml"
check_eq 'verify --format junit on a clean history: exit 0' 0 "$RC"
: >"$TROOT/empty.txt"
pycheck 'verify --format junit: one passing testcase per rule of dipb-verify(1)' \
    verify-junit "$TROOT/clean.xml" "$YMAN" "$TROOT/empty.txt"
run dipb verify --format sarif
cp "$OUT" "$TROOT/clean.sarif"
check_eq 'verify --format sarif on a clean history: exit 0' 0 "$RC"
pycheck 'verify --format sarif: a valid log' schema "$TROOT/clean.sarif" "$SCHEMA"
pycheck 'verify --format sarif: its rules are those of dipb-verify(1)' \
    rules "$TROOT/clean.sarif" "$YMAN"

# Tampering: a plain commit of a record, a tag moved, a stray tag.
echo 'colour: blue' >>recommendations/SCS-0001.yaml
git commit -q -am 'hand edit'
git tag -f -a -m moved IC-0001/1-drafted HEAD >/dev/null
git tag -a -m stray IC-0009/1-drafted HEAD~2 2>/dev/null
run dipb verify
cp "$OUT" "$TROOT/t.txt"
check_eq 'the tampered history: exit 1' 1 "$RC"
run dipb verify --format json
cp "$OUT" "$TROOT/t.jsonl"
run dipb verify --format junit
cp "$OUT" "$TROOT/t.xml"
cp "$ERR" "$TROOT/t.err"
check_eq 'verify --format junit: exit 1 on findings' 1 "$RC"
check_file_has 'verify --format junit: the summary is on stderr' \
    "$TROOT/t.err" '^dipb: [0-9]+ findings? in '
pycheck 'verify --format junit: the failing rules hold the text lines of their findings' \
    verify-junit "$TROOT/t.xml" "$YMAN" "$TROOT/t.txt"
grep -v 'plain-commit' "$TROOT/t.txt" >"$TROOT/t-less.txt"
pyrefuses 'the checks catch a finding the JUnit report would lack' \
    verify-junit "$TROOT/t.xml" "$YMAN" "$TROOT/t-less.txt"

run dipb verify --format sarif
cp "$OUT" "$TROOT/t.sarif"
check_eq 'verify --format sarif: exit 1 on findings' 1 "$RC"
pycheck 'verify --format sarif: valid against the SARIF 2.1.0 schema' \
    schema "$TROOT/t.sarif" "$SCHEMA"
pycheck 'verify --format sarif: one result per finding, on its file or dipb.yaml, commit and tag kept' \
    verify-sarif "$TROOT/t.sarif" "$TROOT/t.jsonl" "$VROOT"
check 'verify --format sarif: the plain commit is on its record file' \
    grep -q '"uri": "recommendations/SCS-0001.yaml"' "$TROOT/t.sarif"
check 'verify --format sarif: the moved tag is a logical location' \
    grep -q '"fullyQualifiedName": "refs/tags/IC-0001/1-drafted"' "$TROOT/t.sarif"
run dipb verify --format sarif
if cmp -s "$OUT" "$TROOT/t.sarif"; then
	ok 'verify --format sarif: the same bytes twice'
else
	not_ok 'verify --format sarif: the same bytes twice'
fi

# A tag name holding U+FFFE, which git takes and XML cannot hold.
git tag "IC-0001/9-x$(printf '\357\277\276')" HEAD
run dipb verify --format junit
cp "$OUT" "$TROOT/fffe.xml"
check_eq 'verify --format junit, a tag holding U+FFFE: exit 1' 1 "$RC"
pycheck 'verify --format junit, a tag holding U+FFFE: well-formed, as ?' \
    junit-clean "$TROOT/fffe.xml"

# A record file named with a control byte and a byte not of UTF-8,
# committed by git: the uri of its finding was the name as the message
# shows it, '?' for each ("IC-%3Fx%3F.yaml"), a file that is not there.
# It is the name's own bytes, percent-encoded; the message keeps its '?'.
odd="recommendations/IC-$(printf '\001')x$(printf '\377').yaml"
printf 'id: IC-0009\n' >"$odd"
git add -- "$odd"
git commit -q -m 'an odd name'
run dipb verify --format sarif
cp "$OUT" "$TROOT/odd.sarif"
check_eq 'verify --format sarif: a file name of bytes 0x01 and 0xff: its findings (plain-commit, record-path), shown as ?, have its bytes as uri (unquote_to_bytes)' \
    "plain-commit b'recommendations/IC-\\x01x\\xff.yaml'
record-path b'recommendations/IC-\\x01x\\xff.yaml'" "$("$PY" -c '
import json, sys, urllib.parse
for r in sorted(json.load(open(sys.argv[1]))["runs"][0]["results"],
                key=lambda r: r["ruleId"]):
    if " recommendations/IC-?x?.yaml" not in r["message"]["text"]:
        continue
    a = r["locations"][0]["physicalLocation"]["artifactLocation"]
    print(r["ruleId"], urllib.parse.unquote_to_bytes(a["uri"]))
' "$TROOT/odd.sarif" 2>&1)"
pycheck 'verify --format sarif, that file name: valid against the SARIF 2.1.0 schema' \
    schema "$TROOT/odd.sarif" "$SCHEMA"

# JSON keeps the value (dipb-report(1)): the path of its finding was the
# name as the message shows it, '?' for the control byte; it is the
# name with the control escaped ("\u0001"), as validate writes it, and
# '?' for the byte no JSON string can hold.
run dipb verify --format json
cp "$OUT" "$TROOT/odd.jsonl"
check_eq 'verify --format json: a file name of bytes 0x01 and 0xff: the path of its finding keeps 0x01' \
    "'recommendations/IC-\\x01x?.yaml'" "$("$PY" -c '
import json, sys
for l in open(sys.argv[1]):
    f = json.loads(l)
    if " recommendations/IC-?x?.yaml" in f["message"]:
        print(repr(f["path"]))
' "$TROOT/odd.jsonl" 2>&1)"
check_file_has 'verify --format json: the control byte of a path escaped as JSON escapes it' \
    "$TROOT/odd.jsonl" '"path":"recommendations/IC-\\u0001x\?\.yaml"'

# --- a run that cannot finish: a report of why, not an empty file -----------------------

# failed COMMAND FORMAT STATUS [ARG...]: dipb [$GLOBAL] COMMAND --format
# FORMAT ARG... exits STATUS, its message on stderr as in text, and writes
# a report that says the run failed and why (cicheck.py failed; a SARIF
# log valid against the schema).  An empty file was written, which
# upload-sarif or a JUnit reader refuses with a parse error of its own,
# the cause on stderr alone.  GLOBAL, when set, is one global option;
# NOFILE, when set, the limit of open files dipb runs under (ulimit -n).
failed() {
	_c=$1 _f=$2 _s=$3
	shift 3
	_r=$TROOT/failed.$_c.$_f.$_s${NOFILE:+.n$NOFILE}
	_g=${GLOBAL:+$GLOBAL }${NOFILE:+ulimit -n $NOFILE: }
	run sh -c 'ulimit -n "${NOFILE:-$(ulimit -n)}" && exec "$@"' sh \
	    dipb ${GLOBAL:+"$GLOBAL"} "$_c" --format "$_f" "$@"
	cp "$OUT" "$_r"
	cp "$ERR" "$_r.err"
	check_eq "$_g$_c --format $_f${*:+ $*}, a run that cannot finish: exit $_s, stderr's message" \
	    "$_s yes" "$RC $(grep -q '^dipb: ' "$_r.err" && echo yes)"
	pycheck "$_g$_c --format $_f${*:+ $*}: a report that says the run failed, and why" \
	    failed "$_f" "$_r" "$_r.err" "$_s" "$_c"
	if [ "$_f" = sarif ]; then
		pycheck "$_g$_c --format sarif${*:+ $*}: that log is valid against the SARIF 2.1.0 schema" \
		    schema "$_r" "$SCHEMA"
	fi
}

# The --since of a CI job that names no commit (exit 2, after the
# options were taken): the run could not check, and says so.
for f in text json github junit sarif; do
	failed verify "$f" 2 --since no-such-rev
done
check_file_has 'verify --since no-such-rev: the message names it' \
    "$TROOT/failed.verify.sarif.2.err" "^dipb: unknown revision: 'no-such-rev'\$"

# Outside any repository: verify cannot run and validate finds no
# dipb.yaml (exit 5).
mkdir -p "$TROOT/nowhere"
cd "$TROOT/nowhere" || exit 1
for f in text json github junit sarif; do
	failed verify "$f" 5
done
for f in gcc json github junit sarif gitlab; do
	failed validate "$f" 5
done
GITHUB_ACTIONS=true
export GITHUB_ACTIONS
run dipb validate
unset GITHUB_ACTIONS
cp "$OUT" "$TROOT/failed.validate.auto"
cp "$ERR" "$TROOT/failed.validate.auto.err"
check_eq 'validate under GitHub Actions (--format auto), a run that cannot finish: exit 5' 5 "$RC"
pycheck 'validate under GitHub Actions (--format auto): the annotation of why' \
    failed github "$TROOT/failed.validate.auto" \
    "$TROOT/failed.validate.auto.err" 5 validate
# A git repository that holds no board: another message, as stderr's.
git init -q "$TROOT/noboard"
cd "$TROOT/noboard" || exit 1
failed verify sarif 5
check_file_has 'verify outside a board: the message says so' \
    "$TROOT/failed.verify.sarif.5.err" '^dipb: not a board repository'

# No file descriptor left to read a valid board's files with (ulimit -n
# 4: standard input, output and error, and the pack libgit2 keeps open
# once dipb has looked for a change left pending): not the files'
# problem [io] but dipb's, a run that could not finish (dipb-validate(1),
# EXIT STATUS).
new_board nofile
fast_drafts 20 >/dev/null 2>&1
git repack -adq
NOFILE=4
export NOFILE
for f in gcc json github junit sarif gitlab; do
	failed validate "$f" 5
	check_file_has "ulimit -n 4: validate --format $f names the file not read, and why" \
	    "$TROOT/failed.validate.$f.5.n4.err" \
	    "^dipb: cannot read 'dipb.yaml': Too many open files\$"
done
unset NOFILE
cd "$VROOT" || exit 1

# A start-up that fails before the command runs: -C a folder that is not
# there (exit 5), --color given another value (exit 2).  verify and
# validate still take their --format and write the report of why, with
# the exit status and message dipb gave before, from a board as from
# anywhere.
GLOBAL=-Cno-such-dir
for f in text json github junit sarif; do
	failed verify "$f" 5
done
check_file_has 'dipb -C a folder not there verify: the message names it' \
    "$TROOT/failed.verify.sarif.5.err" "^dipb: cannot change to 'no-such-dir': No such file or directory\$"
for f in gcc json github junit sarif gitlab; do
	failed validate "$f" 5
done
failed verify sarif 5 --since HEAD
GLOBAL=--color=sometimes
failed verify sarif 2
failed verify junit 2
failed validate gitlab 2
check_file_has 'dipb --color=sometimes validate: the message names the values' \
    "$TROOT/failed.validate.gitlab.2.err" '^dipb: --color takes auto, always or never$'
check_file_has '  and dipb'"'"'s usage after it' \
    "$TROOT/failed.validate.gitlab.2.err" '^usage: dipb \[-C DIR\]'
run dipb --color=sometimes verify --format json
check_eq '  the report says the message alone, not the usage' \
    '2 {"error":"--color takes auto, always or never","exit":2}' \
    "$RC $(cat "$OUT")"
unset GLOBAL
# The report lost on a full disk: said, the exit status the failure's.
if [ -w /dev/full ]; then
	dipb --color=sometimes verify --format json >/dev/full 2>"$ERR"
	check_eq 'a report of the failure lost on a full disk: said, exit 2' \
	    '2 1' "$? $(grep -c '^dipb: warning: the report of the failure is lost: write error on standard output: No space left on device$' "$ERR")"
else
	skip 'no /dev/full to write the report of a failure to'
fi
# --help after the command's options, which they refuse: a usage error
# still, the start-up's, not the usage asked for (exit 0).
for h in --help -h; do
	check_status 2 "dipb --color=sometimes verify --format sarif $h: exit 2" \
	    dipb --color=sometimes verify --format sarif "$h"
	check_status 2 "dipb --color=sometimes validate --format json $h: exit 2" \
	    dipb --color=sometimes validate --format json "$h"
done
# The command's own command line failing after: the start-up's failure,
# as before, and no report (the format may not be known).
check_status 5 'dipb -C a folder not there verify --bogus: exit 5' \
    dipb -C no-such-dir verify --format sarif --bogus
check_eq 'and no report, the start-up'"'"'s message' \
    ":dipb: cannot change to 'no-such-dir': No such file or directory" \
    "$(cat "$OUT"):$(cat "$ERR")"
# A global option not known: what follows it cannot be read for sure, so
# it is an error of the command line, as before: no report.
check_status 2 'dipb --bogus verify --format sarif: exit 2' \
    dipb --bogus verify --format sarif
check_eq 'and no report' '' "$(cat "$OUT")"
# Other commands: as before, the message alone.
check_status 5 'dipb -C a folder not there list --format json: exit 5' \
    dipb -C no-such-dir list --format json
check_eq 'and nothing on stdout, the message on stderr' \
    ":dipb: cannot change to 'no-such-dir': No such file or directory" \
    "$(cat "$OUT"):$(cat "$ERR")"
check_status 5 'dipb -C a folder not there verify --help: exit 5' \
    dipb -C no-such-dir verify --help
check_eq 'and no usage' '' "$(cat "$OUT")"

# --- usage ------------------------------------------------------------------------------

# An error of the command line writes no report: the format may not be
# known (dipb-verify(1), OPTIONS).
check_status 2 'verify --format xml: exit 2' dipb verify --format xml
check_err 'the message names the formats' \
    'text, json, github, junit or sarif'
check_status 2 'verify --format sarif --bogus: exit 2' \
    dipb verify --format sarif --bogus
check_eq 'verify --format sarif --bogus: no report' '' "$(cat "$OUT")"
check_status 2 'validate --format xml: exit 2' dipb validate --format xml
check_err 'the message names the formats' \
    'gcc, json, github, junit, sarif, gitlab or auto'
check_status 2 'validate --format junit --bogus: exit 2' \
    dipb validate --format junit --bogus
check_eq 'validate --format junit --bogus: no report' '' "$(cat "$OUT")"

finish

#!/bin/sh
# tests/cli/schema.sh - dipb schema: the JSON Schemas of a record and of
# dipb.yaml, checked by an independent validator (Debian's
# python3-jsonschema, run with /usr/bin/python3, which is where Debian
# installs it).
#
# Every schema must pass Draft202012Validator.check_schema.  Then every
# file of the corpus (tests/validate, tests/unit/fixtures, examples/ and
# the board examples/demo.sh builds from examples/drafts) is read as an
# editor's YAML 1.2 language server reads it and checked against the
# schemas: the generic record schema and the one dipb schema record
# writes inside the file's board (dipb.yaml: the board schema).  For
# each file the schema refuses, dipb validate must refuse it too: an
# error other than [file-name] (the corpus files are named for what they
# test), or, when all the schema refuses is unknown keys, validate's
# [unknown-key] warning, which dipb edit refuses.  The files dipb
# accepts must pass, and the files listed below must be refused, so
# that a schema that refuses nothing, or everything, fails.  Last, some
# 1,100 mutants of valid files (every key and first item replaced by
# null, "", a number, a boolean, a list, a mapping, or left out) hold the
# same rule: what the schema refuses, dipb validate refuses.
. "$(dirname "$0")/lib.sh"

unset GITHUB_ACTIONS
CORPUS=$DIPB_SRCDIR/tests/validate
PY=/usr/bin/python3

if ! "$PY" -c 'import jsonschema, yaml' 2>/dev/null; then
	not_ok "$PY with jsonschema and yaml" \
	    'apt-get install python3-jsonschema python3-yaml'
	finish
	exit 1
fi
ok "$PY with jsonschema and yaml"

# --- the command -------------------------------------------------------------

mkdir "$TROOT/nowhere"
cd "$TROOT/nowhere" || exit 1
check 'dipb schema record --generic' dipb schema record --generic
cp "$OUT" "$TROOT/record.json"
check 'dipb schema board' dipb schema board
cp "$OUT" "$TROOT/board.json"
check_out 'outside a board, the record schema is the generic one' \
    "$(cat "$TROOT/record.json")" dipb schema record
check_out 'board --generic is the board schema' \
    "$(cat "$TROOT/board.json")" dipb schema board --generic
check_status 2 'no schema named: usage' dipb schema
check_err 'the usage says what to name' 'name one schema: record, draft or board'
check_status 2 'an unknown schema: usage' dipb schema meeting
check_err 'it says so' 'no such schema (record, draft or board)'
check_status 2 'two schemas: usage' dipb schema record board
check_status 2 'an unknown option: usage' dipb schema record --board
check_eq 'no output on a usage error' '' "$(cat "$OUT")"

cd "$CORPUS" || exit 1
check 'inside tests/validate: the schema of its board' dipb schema record
cp "$OUT" "$TROOT/record-corpus.json"
check_file_has '... with its working groups' "$TROOT/record-corpus.json" \
    '"standardisation-interoperability"'
check_file_has '... its prefixes in the id' "$TROOT/record-corpus.json" \
    '"\^\(IC\|SCS\|SI\)-\[0-9\]\{4,\}\$"'
check_file_has '... its members, as examples' "$TROOT/record-corpus.json" \
    '"rita@example.org"'
cd "$CORPUS/boards" || exit 1
check_out '-C to a board: the same schema' \
    "$(cat "$TROOT/record-corpus.json")" dipb -C .. schema record

mkdir "$TROOT/bad" "$TROOT/bad/recommendations"
cp "$CORPUS/boards/required.yaml" "$TROOT/bad/dipb.yaml"
cd "$TROOT/bad/recommendations" || exit 1
check_status 1 'a board that does not load: exit 1' dipb schema record
check_err 'its problems are shown' 'dipb.yaml:'
check_err_re 'and the way out' "does not load: .*--generic"
check_eq 'and no schema' '' "$(cat "$OUT")"
check_out '--generic works there' "$(cat "$TROOT/record.json")" \
    dipb schema record --generic
cd "$TROOT" || exit 1

# A closed stdout is an error, not a silent success.
if (dipb schema board >/dev/full) 2>/dev/null; then
	not_ok 'a full stdout is an error' 'exit status 0'
else
	ok 'a full stdout is an error'
fi

# --- the corpus ----------------------------------------------------------------

demo_board "$TROOT/demo"
cd "$TROOT/demo" || exit 1
check 'the demo board: the schema of its board' dipb schema record
cp "$OUT" "$TROOT/record-demo.json"
# dipb.yaml alone is read (dipb-schema(1)): no folder of records opened.
if command -v strace >/dev/null 2>&1 &&
    strace -o /dev/null true 2>/dev/null; then
	# LeakSanitizer cannot run under strace (refs.sh).
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
	    strace -f -e trace=open,openat -o "$TROOT/schema.trace" \
	    dipb schema record >/dev/null 2>&1
	check_eq 'dipb schema record opens no folder of records' '' \
	    "$(grep -E '"(recommendations|meetings)' "$TROOT/schema.trace")"
else
	skip 'dipb schema record opens no folder of records' 'no strace here'
fi
(cd "$DIPB_SRCDIR/tests/unit/fixtures" && dipb schema record) \
    >"$TROOT/record-fixtures.json"
check_eq 'the unit fixtures: the schema of their board' 0 $?
cd "$TROOT" || exit 1

# Each board of tests/validate/boards as the dipb.yaml of a folder.
for f in "$CORPUS"/boards/*.yaml; do
	n=$(basename "$f" .yaml)
	mkdir -p "$TROOT/boards/$n"
	cp "$f" "$TROOT/boards/$n/dipb.yaml"
done

# The manifest: SCHEMA FILE EXPECT, EXPECT one of valid, refused, any.
M=$TROOT/manifest
: >"$M"
# The corpus files the generic record schema, the schema of the corpus's
# board and the board schema must refuse.
REFUSED_GENERIC='date decision-extra decision-missing empty-values enum
fingerprint id-pattern id-slash id-too-long id-dotdot required
status-returned submission-extra submission-missing unknown-key
withdrawal-extra withdrawal-missing'
REFUSED_BOARD='classification id-prefix member reviewer-role working-group'
REFUSED_BOARDS='anchor email enum id quorum-type required unknown-key'
in_list() {
	case " $(echo $2) " in
	*" $1 "*) return 0 ;;
	esac
	return 1
}
for f in "$CORPUS"/*.yaml; do
	n=$(basename "$f" .yaml)
	if [ "$n" = dipb ]; then
		echo "$TROOT/board.json	$f	valid" >>"$M"
		continue
	fi
	exp=any
	[ -s "$CORPUS/$n.out" ] || exp=valid
	in_list "$n" "$REFUSED_GENERIC" && exp=refused
	echo "$TROOT/record.json	$f	$exp" >>"$M"
	in_list "$n" "$REFUSED_BOARD" && exp=refused
	echo "$TROOT/record-corpus.json	$f	$exp" >>"$M"
done
for f in "$TROOT"/boards/*/dipb.yaml; do
	n=$(basename "$(dirname "$f")")
	exp=any
	[ "$n" = ok ] && exp=valid
	in_list "$n" "$REFUSED_BOARDS" && exp=refused
	echo "$TROOT/board.json	$f	$exp" >>"$M"
done
# The unit tests' records name reviewers their board does not have.
for f in "$DIPB_SRCDIR"/tests/unit/fixtures/records/*.yaml; do
	echo "$TROOT/record.json	$f	valid" >>"$M"
	echo "$TROOT/record-fixtures.json	$f	any" >>"$M"
done
for f in "$TROOT"/demo/recommendations/*.yaml; do
	echo "$TROOT/record.json	$f	valid" >>"$M"
	echo "$TROOT/record-demo.json	$f	valid" >>"$M"
done
for f in "$DIPB_SRCDIR/tests/unit/fixtures/dipb.yaml" \
    "$DIPB_SRCDIR/examples/dipb.yaml" "$TROOT/demo/dipb.yaml"; do
	echo "$TROOT/board.json	$f	valid" >>"$M"
done
check_eq 'the demo board has its nine recommendations' 9 \
    "$(grep -c 'record-demo.json' "$M")"

cat >"$TROOT/check.py" <<'EOF'
# check.py MANIFEST DIAGS: one "ok\tDESC" or "not ok\tDESC\tWHY" line
# per schema and per manifest line (for the lines of expect "mutant", the
# failures and one line for all).
# check.py mutate DIR FILE...: writes into DIR the mutants of each FILE:
# each key's value, and each first item of a list, replaced by null, "",
# a number, a boolean, a list, a mapping, a date, an 8-digit number, or
# the key left out.
import copy, json, os, re, sys

import jsonschema
import yaml
from jsonschema import Draft202012Validator


# YAML 1.2's core schema, as the YAML language server of an editor reads
# a file: no dates, no yes/no/on/off, "NO" is a string.
class Core(yaml.SafeLoader):
    yaml_implicit_resolvers = {}


def resolver(tag, regexp, first):
    Core.add_implicit_resolver('tag:yaml.org,2002:' + tag,
                               re.compile(regexp), list(first))


resolver('null', r'^(?:~|null|Null|NULL|)$', ['~', 'n', 'N', ''])
resolver('bool', r'^(?:true|True|TRUE|false|False|FALSE)$', 'tTfF')
resolver('int', r'^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$',
         '-+0123456789')
resolver('float', r'^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)'
         r'(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$',
         '-+0123456789.')


def core_int(loader, node):
    v = loader.construct_scalar(node)
    return int(v, 0) if v[:2] in ('0o', '0x') else int(v, 10)


Core.add_constructor('tag:yaml.org,2002:int', core_int)


def load(path):
    """The document, or None with why when an editor could not read it
    the way dipb does (dipb refuses anchors, aliases and tags)."""
    with open(path, 'rb') as f:
        data = f.read()
    try:
        for ev in yaml.parse(data, Loader=Core):
            if isinstance(ev, yaml.AliasEvent) or \
                    getattr(ev, 'anchor', None) is not None:
                return None, 'an anchor or alias'
            if getattr(ev, 'tag', None) is not None and \
                    not isinstance(ev, (yaml.DocumentStartEvent,)):
                return None, 'a tag'
        return yaml.load(data, Loader=Core), None
    except (yaml.YAMLError, RecursionError, ValueError,
            UnicodeDecodeError) as e:
        return None, 'not YAML: ' + str(e).split('\n')[0]


def paths(doc, pre=()):
    if isinstance(doc, dict):
        for k, v in doc.items():
            yield pre + (k,)
            yield from paths(v, pre + (k,))
    elif isinstance(doc, list):
        for i, v in enumerate(doc[:1]):
            yield pre + (i,)
            yield from paths(v, pre + (i,))


def mutate(outdir, files):
    values = [None, '', 2026, 1.5, True, ['a'], {'a': 'b'}, '2026-01-01',
              12345678, KeyError]
    n = 0
    for path in files:
        doc, why = load(path)
        for p in paths(doc):
            for v in values:
                d = copy.deepcopy(doc)
                t = d
                for k in p[:-1]:
                    t = t[k]
                if v is KeyError and not isinstance(t, dict):
                    continue
                if v is KeyError:
                    del t[p[-1]]
                else:
                    t[p[-1]] = copy.deepcopy(v)
                n += 1
                name = os.path.join(outdir, 'm%05d.yaml' % n)
                if os.path.basename(path) == 'dipb.yaml':
                    os.mkdir(name[:-5])
                    name = os.path.join(name[:-5], 'dipb.yaml')
                with open(name, 'w') as f:
                    yaml.safe_dump(d, f, sort_keys=False, allow_unicode=True)


if sys.argv[1] == 'mutate':
    mutate(sys.argv[2], sys.argv[3:])
    sys.exit(0)

manifest, diagsfile = sys.argv[1], sys.argv[2]
mutants, mutants_refused = 0, 0
diags = {}
with open(diagsfile) as f:
    for line in f:
        d = json.loads(line)
        diags.setdefault(os.path.realpath(d['file']), []).append(d)

validators = {}
fmt = jsonschema.FormatChecker()
for line in open(manifest):
    sch, path, expect = line.rstrip('\n').split('\t')
    name = os.path.basename(sch)
    if sch not in validators:
        with open(sch) as f:
            s = json.load(f)
        try:
            Draft202012Validator.check_schema(s)
            print('ok\t%s is a valid draft 2020-12 schema' % name)
        except jsonschema.SchemaError as e:
            print('not ok\t%s is a valid draft 2020-12 schema\t%s'
                  % (name, e.message))
        validators[sch] = Draft202012Validator(s, format_checker=fmt)
    v = validators[sch]
    short = path.replace(os.environ.get('DIPB_SRCDIR', '') + '/', '')
    short = short.replace(os.environ['TROOT'] + '/', '')
    desc = '%s: %s' % (name, short)
    doc, why = load(path)
    if why is None:
        errs = sorted(v.iter_errors(doc), key=lambda e: list(e.path))
        refused = len(errs) > 0
        why = '; '.join('%s: %s' % ('/'.join(map(str, e.path)) or '.',
                                    e.message[:100]) for e in errs[:4])
        unknown_only = refused and all(
            e.validator == 'additionalProperties' for e in errs)
    else:
        refused, unknown_only = True, False
    mine = diags.get(os.path.realpath(path), [])
    errors = [d for d in mine
              if d['severity'] == 'error' and d['rule'] != 'file-name']
    unknown = [d for d in mine if d['rule'] == 'unknown-key']
    dipb = 'dipb: ' + ('; '.join('%s [%s]' % (d['message'][:60], d['rule'])
                                 for d in mine[:4]) or 'nothing')
    if expect == 'mutant':
        mutants += 1
        mutants_refused += refused
    if expect == 'valid' and refused:
        print('not ok\t%s passes the schema\t%s' % (desc, why))
    elif expect == 'refused' and not refused:
        print('not ok\t%s is refused by the schema\t%s' % (desc, dipb))
    elif refused and not errors and not (unknown_only and unknown):
        print('not ok\t%s: what the schema refuses, dipb validate refuses'
              '\tschema: %s\t%s' % (desc, why, dipb))
    elif expect == 'mutant':
        pass
    elif refused:
        print('ok\t%s: refused by the schema and by dipb validate' % desc)
    else:
        print('ok\t%s passes the schema' % desc)
if mutants > 0:
    print('%s\t%d mutants of valid files, %d refused by the schema: all '
          'refused by dipb validate too' % (
              'ok' if 0 < mutants_refused < mutants else 'not ok',
              mutants, mutants_refused))
EOF

# Mutants of valid files: a record of each kind of the demo board (actions
# and reviews, returned, withdrawn) and the example board, each key and
# first item changed in every way (check.py mutate).
mkdir "$TROOT/demo/mutants" "$TROOT/board-mutants"
"$PY" "$TROOT/check.py" mutate "$TROOT/demo/mutants" \
    "$TROOT"/demo/recommendations/IC-0001.yaml \
    "$TROOT"/demo/recommendations/SCS-0002.yaml \
    "$TROOT"/demo/recommendations/IC-0002.yaml
check_eq 'the record mutants are written' 0 $?
"$PY" "$TROOT/check.py" mutate "$TROOT/board-mutants" \
    "$DIPB_SRCDIR/examples/dipb.yaml"
check_eq 'the board mutants are written' 0 $?
for f in "$TROOT"/demo/mutants/*.yaml; do
	echo "$TROOT/record-demo.json	$f	mutant" >>"$M"
done
for f in "$TROOT"/board-mutants/*/dipb.yaml; do
	echo "$TROOT/board.json	$f	mutant" >>"$M"
done
# dipb validate's verdict on every file, in one run.
cut -f 2 "$M" | sort -u >"$TROOT/files"
# shellcheck disable=SC2046 # the paths have no blanks
dipb validate --format json $(cat "$TROOT/files") >"$TROOT/diags.json" \
    2>"$TROOT/diags.err"
check_eq 'dipb validate read every file (exit 1: the corpus has errors)' 1 $?

export TROOT DIPB_SRCDIR
"$PY" "$TROOT/check.py" "$M" "$TROOT/diags.json" >"$TROOT/results.txt" \
    2>"$TROOT/check.err"
check_eq 'the checker ran' 0 $?
[ -s "$TROOT/check.err" ] && sed 's/^/# /' "$TROOT/check.err" | head -n 20
TAB=$(printf '\t')
while IFS=$TAB read -r res desc why1 why2; do
	case $res in
	ok) ok "$desc" ;;
	*) not_ok "$desc" "${why1:-}" "${why2:-}" ;;
	esac
done <"$TROOT/results.txt"
check_eq 'one result per file and schema, one for the mutants' \
    "$(($(grep -cv '	mutant$' "$M") + 6))" \
    "$(wc -l <"$TROOT/results.txt" | tr -d ' ')"

# --- drafts ------------------------------------------------------------------
# The draft schema, generic and of the demo board: every draft of
# examples/drafts passes both, and what it refuses of a draft (a missing
# summary, an unknown working group, a key that is not the drafter's)
# dipb validate refuses too, in a folder named drafts.
(cd "$TROOT/nowhere" && dipb schema draft) >"$TROOT/draft.json"
check_eq 'dipb schema draft outside a board' 0 $?
(cd "$TROOT/demo" && dipb schema draft) >"$TROOT/draft-demo.json"
check_eq 'dipb schema draft in the demo board' 0 $?
check_file_has '... with its working groups' "$TROOT/draft-demo.json" \
    '"standardisation-interoperability"'
mkdir "$TROOT/demo/drafts"
printf 'title: T\nworking_group: industrial-capacity\nsummary: S.\n' \
    >"$TROOT/demo/drafts/ok.yaml"
printf 'title: T\nworking_group: industrial-capacity\n' \
    >"$TROOT/demo/drafts/no-summary.yaml"
printf 'title: T\nworking_group: no-such-group\nsummary: S.\n' \
    >"$TROOT/demo/drafts/bad-group.yaml"
printf 'title: T\nworking_group: industrial-capacity\nsummary: S.\nstatus: endorsed\n' \
    >"$TROOT/demo/drafts/status.yaml"
cat >"$TROOT/draftcheck.py" <<'EOP'
import json, sys, yaml, jsonschema


# Dates are text, as an editor's YAML 1.2 language server reads them.
class Core(yaml.SafeLoader):
    pass


Core.yaml_implicit_resolvers = {
    k: [(t, r) for t, r in v if t != 'tag:yaml.org,2002:timestamp']
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
v = jsonschema.Draft202012Validator(schema)
for path in sys.argv[2:]:
    errors = list(v.iter_errors(yaml.load(open(path), Loader=Core)))
    print('%s\t%s' % ('refused' if errors else 'valid', path))
EOP
for s in draft draft-demo; do
	"$PY" "$TROOT/draftcheck.py" "$TROOT/$s.json" \
	    "$DIPB_SRCDIR"/examples/drafts/*.yaml "$TROOT/demo/drafts/ok.yaml" \
	    >"$TROOT/$s.out"
	check_eq "$s.json is a draft 2020-12 schema that ran" 0 $?
	check_eq "$s.json: every draft of examples/drafts and ok.yaml pass" \
	    "$(($(ls "$DIPB_SRCDIR"/examples/drafts/*.yaml | wc -l) + 1))" \
	    "$(grep -c '^valid' "$TROOT/$s.out")"
done
"$PY" "$TROOT/draftcheck.py" "$TROOT/draft-demo.json" \
    "$TROOT/demo/drafts/no-summary.yaml" "$TROOT/demo/drafts/bad-group.yaml" \
    "$TROOT/demo/drafts/status.yaml" >"$TROOT/draft-bad.out"
check_eq 'the draft schema refuses the three bad drafts' 3 \
    "$(grep -c '^refused' "$TROOT/draft-bad.out")"
cd "$TROOT/demo" || exit 1
for f in no-summary bad-group; do
	check_status 1 "dipb validate refuses drafts/$f.yaml too" \
	    dipb validate "drafts/$f.yaml"
done
check_status 1 'dipb validate refuses drafts/status.yaml too' \
    dipb validate drafts/status.yaml
check_file_has '... a key a draft cannot give' "$OUT" '\[input-key\]'
check 'dipb validate accepts drafts/ok.yaml' dipb validate drafts/ok.yaml
cd "$TROOT" || exit 1

# The checker itself can fail: a schema that refuses everything fails a
# file dipb accepts, both as expected valid and as any.
echo false >"$TROOT/false.json"
printf '%s\t%s\tvalid\n%s\t%s\tany\n' "$TROOT/false.json" \
    "$DIPB_SRCDIR/examples/dipb.yaml" "$TROOT/false.json" \
    "$DIPB_SRCDIR/examples/dipb.yaml" >"$TROOT/manifest-false"
"$PY" "$TROOT/check.py" "$TROOT/manifest-false" "$TROOT/diags.json" \
    >"$TROOT/results-false.txt"
check_eq 'a schema that refuses a valid file fails the check' 2 \
    "$(grep -c '^not ok' "$TROOT/results-false.txt")"

finish

#!/bin/sh
# tests/cli/validate.sh - dipb validate and dipb fmt.
#
# The corpus tests/validate/*.yaml (records, checked against
# tests/validate/dipb.yaml) and tests/validate/boards/*.yaml (boards, each
# checked as the dipb.yaml of a folder of its own): each file gives exactly
# the diagnostics of the .out beside it, and exit 1 when they hold an
# error.  Then what is too big to keep in git (generated here), ids across
# files, every output format (json and junit read back with python3's own
# parsers, github's escaping), the board found from the current folder, a
# checkout without history, fmt, the other commands' use of the rules, and
# the CI scenario of a pull request that breaks two files.
. "$(dirname "$0")/lib.sh"

unset GITHUB_ACTIONS
CORPUS=$DIPB_SRCDIR/tests/validate
# Hostile input is refused without hanging: a hang fails the check.  The
# limit only catches a hang (under ASan on a loaded machine 20 s was not
# enough); speed is bench/validate.sh's.
T="timeout 300"

# expect_out DESC FILE-OF-EXPECTED-OUTPUT CMD...: CMD prints exactly the
# expected lines on stdout, and exits 1 if one is an error, else 0.
expect_out() {
	_d=$1 _e=$2
	shift 2
	_want=0
	grep -q -e ': error: ' -e '^::error ' "$_e" && _want=1
	run "$@"
	if [ "$RC" -eq "$_want" ] && cmp -s "$OUT" "$_e"; then
		ok "$_d"
	else
		not_ok "$_d" "expected exit status $_want and stdout:" \
		    "$(cat "$_e")" "diff:" "$(diff "$_e" "$OUT" | head -20)" \
		    "$(_said "$@")"
	fi
}

# expect_lines DESC EXPECTED CMD...: as expect_out, EXPECTED given inline.
expect_lines() {
	_d=$1
	printf '%s\n' "$2" | sed '/^$/d' >"$TROOT/expected"
	shift 2
	expect_out "$_d" "$TROOT/expected" "$@"
}

# --- the corpus ----------------------------------------------------------------

cd "$CORPUS" || exit 1
n=0
for f in *.yaml; do
	[ "$f" = dipb.yaml ] && continue
	n=$((n + 1))
	expect_out "corpus: $f" "${f%.yaml}.out" \
	    $T dipb validate --format gcc "$f"
done
[ "$n" -ge 60 ] && ok "the corpus holds $n record files" ||
    not_ok "the corpus holds $n record files, expected at least 60"

mkdir "$TROOT/boardcase"
for f in boards/*.yaml; do
	cp "$f" "$TROOT/boardcase/dipb.yaml"
	(
		cd "$TROOT/boardcase" &&
		expect_out "corpus: $f" "$CORPUS/${f%.yaml}.out" \
		    $T dipb validate --format gcc dipb.yaml
	)
done

# meetings/<date>.yaml (dipb-record(5), MEETINGS), against the corpus's
# board: each beside the exact .out it gives.
mkdir -p "$TROOT/meetingcase/meetings"
cp "$CORPUS/dipb.yaml" "$TROOT/meetingcase/"
for f in meetings/*.yaml; do
	cp "$f" "$TROOT/meetingcase/$f"
	(
		cd "$TROOT/meetingcase" &&
		expect_out "corpus: $f" "$CORPUS/${f%.yaml}.out" \
		    $T dipb validate --format gcc "$f"
	)
done

# Every rule of dipb-validate(1) is exercised by the corpus or below.
rules=$(sed -n '/^\.Sh RULES/,/^\.Sh /s/^\.It Cm \([a-z-]*\).*/\1/p' \
    "$DIPB_SRCDIR/man/dipb-validate.1"; sed -n \
    '/^\.Sh RULES/,/^\.Sh /s/^\.It Cm \([a-z-]*\) , Cm \([a-z-]*\)$/\2/p' \
    "$DIPB_SRCDIR/man/dipb-validate.1")
cat "$CORPUS"/*.out "$CORPUS"/boards/*.out "$CORPUS"/meetings/*.out \
    >"$TROOT/corpus.out"
# Covered below, by generated files: file-size, markdown-size, io,
# duplicate-id, canonical, symlink, input-key (a draft), record-path (a
# sharded board; tests/cli/layout.sh too).
# symlink: tests/cli/links.sh and above.
for r in file-size markdown-size io duplicate-id canonical symlink input-key \
    record-path; do
	echo "[$r]" >>"$TROOT/corpus.out"
done
missing=
for r in $rules; do
	grep -q "\[$r\]\$" "$TROOT/corpus.out" || missing="$missing $r"
done
if [ -n "$rules" ] && [ -z "$missing" ]; then
	ok "every rule of dipb-validate(1) is tested ($(echo $rules | wc -w) rules)"
else
	not_ok "every rule of dipb-validate(1) is tested" "untested:$missing"
fi

# input-key: a draft holds only the drafter's fields (dipb-validate(1)).
mkdir -p "$TROOT/draftcase/drafts"
cp "$CORPUS/dipb.yaml" "$TROOT/draftcase/"
printf 'title: T\nworking_group: industrial-capacity\nstatus: draft\nsummary: S\n' \
    >"$TROOT/draftcase/drafts/d.yaml"
(
	cd "$TROOT/draftcase" &&
	expect_lines "a draft with a key that is not the drafter's: [input-key]" \
	    "drafts/d.yaml:3:1: error: 'status' cannot be given in an input file [input-key]" \
	    dipb validate --format gcc drafts/d.yaml
)

missing=
for r in $(sed -n 's/.*\[\([a-z-]*\)\]$/\1/p' "$TROOT/corpus.out" | sort -u); do
	echo "$rules" | grep -qx -- "$r" || missing="$missing $r"
done
if [ -z "$missing" ]; then
	ok "every rule the corpus meets is documented in dipb-validate(1)"
else
	not_ok "every rule the corpus meets is documented" "undocumented:$missing"
fi

# --- too big to keep in git --------------------------------------------------------

mkdir "$TROOT/gen" && cd "$TROOT/gen" || exit 1
head -n 9 "$CORPUS/IC-0001.yaml" >head.yaml

# Over 1 MiB: refused before parsing.
{
	cat head.yaml
	echo 'rationale: |'
	awk 'BEGIN { for (i = 0; i < 30000; i++)
	    print "  Line " i " of a rationale that never ends." }'
} >big.yaml
expect_lines 'a file over 1 MiB' \
    'big.yaml:0:0: error: file is larger than 1048576 bytes [file-size]' \
    $T dipb validate --format gcc big.yaml

# 200 KB of '[' on one line: refused at the 65th level.
{
	cat head.yaml
	printf 'topics: '
	awk 'BEGIN { s = "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[";
	    for (i = 0; i < 4000; i++) printf "%s", s; print "" }'
} >brackets.yaml
expect_lines 'a line of 200 KB of [' \
    'brackets.yaml:10:72: error: nesting deeper than 64 levels [depth]' \
    $T dipb validate --format gcc brackets.yaml
if [ -x /usr/bin/time ]; then
	/usr/bin/time -f %M -o "$TROOT/rss" dipb validate --format gcc \
	    brackets.yaml big.yaml >/dev/null 2>&1
	rss=$(tail -n 1 "$TROOT/rss")
	# The sanitizers' own shadow memory included.
	if [ "$rss" -lt 200000 ]; then
		ok "hostile files in bounded memory (${rss} KB peak)"
	else
		not_ok "hostile files in bounded memory (${rss} KB peak)"
	fi
else
	skip 'hostile files in bounded memory' 'no /usr/bin/time (apt-get install time)'
fi

# 100 levels of block sequences, and 100,000 nested flow mappings.
awk 'BEGIN { for (i = 0; i < 100; i++) { for (j = 0; j < i; j++)
    printf "  "; print "-" } }' >dashes.yaml
run $T dipb validate --format gcc dashes.yaml
check_eq 'deep block sequences: depth, exit 1' "1 [depth]" \
    "$RC $(sed -n 's/.*\(\[[a-z-]*\]\)$/\1/p' "$OUT")"
awk 'BEGIN { for (i = 0; i < 100000; i++) printf "{a: "; print "" }' \
    >braces.yaml
run $T dipb validate --format gcc braces.yaml
check_eq 'deep flow mappings: depth, exit 1' "1 [depth]" \
    "$RC $(sed -n 's/.*\(\[[a-z-]*\]\)$/\1/p' "$OUT")"

# A mapping of 50,000 keys, all the same: n log n, every one reported.
awk 'BEGIN { for (i = 0; i < 50000; i++) print "k: v" }' >keys.yaml
run $T dipb validate --format gcc keys.yaml
check_eq 'a mapping of 50,000 equal keys: 49,999 duplicate-key errors' \
    "1 49999" "$RC $(grep -c '\[duplicate-key\]$' "$OUT")"

# A Markdown field over 64 KiB.
{
	sed '/^summary:/,$d' head.yaml
	echo 'summary: |'
	awk 'BEGIN { for (i = 0; i < 1700; i++)
	    print "  Forty bytes of Markdown, line by line." }'
} >IC-0001.yaml
expect_lines 'a Markdown field over 64 KiB' \
    "IC-0001.yaml:10:10: error: 'summary' is longer than 65536 bytes [markdown-size]" \
    $T dipb validate --format gcc IC-0001.yaml

# A path that is not there.
expect_lines 'a path that does not exist: [io]' \
    'nothere.yaml:0:0: error: cannot read: No such file or directory [io]' \
    dipb validate --format gcc nothere.yaml

# --- a byte order mark is no character ---------------------------------------
# A record that starts with a UTF-8 BOM: its problems at the lines and
# columns grep -n and an editor give, on the lines after the first too.
new_board bom >/dev/null
as drafter
bid=$(mkrec industrial-capacity 'Framework contracts')
bf=recommendations/$bid.yaml
{ printf '\357\273\277'; sed -e 's/^status: draft/status: bogus/' "$bf"; } \
    >"$TROOT/bom.tmp" && cp "$TROOT/bom.tmp" "$bf"
run dipb validate --format gcc "$bf"
check_eq 'a BOM file: the bad status at its line, column 9' 1 \
    "$(grep -c "^$bf:$(grep -a -n '^status:' "$bf" | cut -d: -f1):9: error: 'status' must be one of" "$OUT" "$ERR" | awk -F: '{ n += $NF } END { print n }')"
git checkout -q -- "$bf"

# --- lines as editors count them -------------------------------------------------------

# libyaml counts lines as YAML 1.1 does: a lone CR, NEL, U+2028 and U+2029
# break them too.  YAML 1.2, editors, grep -n and git end a line at LF
# only (a CRLF pair one break), and so do dipb's positions
# (dipb-validate(1)); columns count characters.  Any other break as a raw
# character is refused [encoding] before libyaml reads the file: a comment
# would end there for libyaml and not for a reader, and a lone CR printed
# as it is (dipb show ID@N) writes over its line on a terminal.  grep -n
# is the oracle of each line.
mkdir "$TROOT/lines" && cd "$TROOT/lines" || exit 1
cp "$CORPUS/dipb.yaml" .
LS=$(printf '\342\200\250') PS=$(printf '\342\200\251') NEL=$(printf '\302\205')
CR=$(printf '\r')
# lineof FILE RE: the line grep -n finds RE on first (-a: a NUL byte too).
lineof() { grep -a -n -e "$2" "$1" | head -n 1 | cut -d: -f1; }
# breaks DESC SED-SCRIPT: IC-0001.yaml, with a bad status and a bad action
# state, edited by SED-SCRIPT: both errors on the lines grep -n gives.
breaks() {
	sed -e 's/^status: draft/status: bogus/' -e 's/^    state: open/    state: bogus/' \
	    -e "$2" "$CORPUS/IC-0001.yaml" >IC-0001.yaml
	expect_lines "$1: the lines grep -n gives" \
"IC-0001.yaml:$(lineof IC-0001.yaml '^status:'):9: error: 'status' must be one of draft, in-review, returned, endorsed, submitted, decided, withdrawn [enum]
IC-0001.yaml:$(lineof IC-0001.yaml '^    state:'):12: error: 'state' must be one of open, done, dropped [enum]" \
	    dipb validate --format gcc IC-0001.yaml
}
breaks 'CRLF line ends' "s/\$/${CR}/"
# In a Markdown field: a single-line one may hold neither (the corpus,
# line-separator.yaml).
breaks 'U+2028 and U+2029 as escapes in a double-quoted summary' \
    '/^summary: |/{N;s/.*/summary: "Surge\\Lcapacity\\Pframework"/;}'
# refused DESC SED-SCRIPT RE COL MSG: IC-0001.yaml edited by SED-SCRIPT is
# refused [encoding] at the line grep -n finds RE on, column COL, with
# MSG, and nothing else said of it.
refused() {
	sed -e "$2" "$CORPUS/IC-0001.yaml" >IC-0001.yaml
	expect_lines "$1: refused at its line and column" \
	    "IC-0001.yaml:$(lineof IC-0001.yaml "$3"):$4: error: $5 [encoding]" \
	    dipb validate --format gcc IC-0001.yaml
}
lonecr='control character U+000D, a carriage return not before a line feed'
raw() { echo "line break U+$1 as a raw character: a line ends at a line feed alone"; }
refused 'a lone CR in a double-quoted title' \
    "s/^title: .*/title: \"Surge${CR}capacity\"/" '^title:' 14 "$lonecr"
refused 'a lone CR in a comment, as in a stored file that hides a line' \
    "1a\\
# Buy 10000 shells${CR}# xxxxxxxxxxxxxxxx" '^# Buy' 19 "$lonecr"
refused 'CR CR LF: the first CR is alone' \
    "s/^title: .*/&${CR}${CR}/" '^title:' "$(($(sed -n 's/^title: //p' "$CORPUS/IC-0001.yaml" | wc -m) + 7))" "$lonecr"
refused 'U+2028 in a double-quoted title' \
    "s/^title: .*/title: \"Surge${LS}capacity\"/" '^title:' 14 "$(raw 2028)"
refused 'U+2029 in a single-quoted title' \
    "s/^title: .*/title: 'Surge${PS}capacity'/" '^title:' 14 "$(raw 2029)"
refused 'NEL in a block scalar' \
    "s/^  Sign multi-year framework/  Sign${NEL}  multi-year/" '^  Sign' 7 "$(raw 0085)"
refused 'NEL in a comment: a key for libyaml, a comment for git' \
    "1a\\
# note${NEL}priority: low" '^# note' 7 "$(raw 0085)"
{ cat "$CORPUS/IC-0001.yaml"; printf '# last%s' "$CR"; } >IC-0001.yaml
expect_lines 'a lone CR at the end of the file: refused at its line and column' \
    "IC-0001.yaml:$(lineof IC-0001.yaml '^# last'):7: error: $lonecr [encoding]" \
    dipb validate --format gcc IC-0001.yaml

# dipb.yaml is read by the same loader.
cp dipb.yaml "$TROOT/lines.board"
printf '# board%s# x\n' "$CR" >>dipb.yaml
expect_lines 'a lone CR in dipb.yaml: refused at its line and column' \
    "dipb.yaml:$(lineof dipb.yaml '^# board'):8: error: $lonecr [encoding]" \
    dipb validate --format gcc dipb.yaml
cp "$TROOT/lines.board" dipb.yaml

# The column on the line of the problem: characters, a character beyond
# U+FFFF one (47 characters and 54 bytes before it).
{
	sed '/^actions:/,$d' "$CORPUS/IC-0001.yaml"
	echo "actions: [{text: \"Zoë 🚀x\", owner: NADs, state: bogus}]"
} >IC-0001.yaml
expect_lines 'characters before the problem on its line: the column counts them' \
"IC-0001.yaml:$(lineof IC-0001.yaml '^actions:'):48: error: 'state' must be one of open, done, dropped [enum]" \
    dipb validate --format gcc IC-0001.yaml
expect_lines 'and so does --format github' \
"::error file=IC-0001.yaml,line=$(lineof IC-0001.yaml '^actions:'),col=48,title=enum::'state' must be one of open, done, dropped" \
    dipb validate --format github IC-0001.yaml

# The positions of a syntax error, its context's, and of bytes refused
# before and by libyaml, after CRLF lines.
sed "s/\$/${CR}/; s/^title: .*/title: Surge: capacity${CR}/" "$CORPUS/IC-0001.yaml" >IC-0001.yaml
expect_lines 'a syntax error after CRLF lines: its lines are grep -n'"'"'s' \
"IC-0001.yaml:$(lineof IC-0001.yaml '^title:'):13: error: mapping values are not allowed in this context [yaml-syntax]" \
    dipb validate --format gcc IC-0001.yaml
for c in 000 007; do
	{
		sed -n '/^priority:/q; s/$/\r/; p' "$CORPUS/IC-0001.yaml"
		printf "priority: h\\${c}igh\\n"
		sed '1,/^priority:/d' "$CORPUS/IC-0001.yaml"
	} >IC-0001.yaml
	case $c in
	000) msg='nul byte' ;;
	*) msg='control characters are not allowed' ;;
	esac
	expect_lines "a byte refused after CRLF lines ($msg): at its line" \
	    "IC-0001.yaml:$(lineof IC-0001.yaml '^priority:'):12: error: $msg [encoding]" \
	    dipb validate --format gcc IC-0001.yaml
done

# --- a board: found from the current folder, ids across files ------------------------

mkdir -p "$TROOT/b/recommendations"
cd "$TROOT/b" || exit 1
cp "$CORPUS/dipb.yaml" .
cp "$CORPUS"/IC-000?.yaml recommendations/
check_out 'a clean board: no output' '' dipb validate --format gcc
check_status 0 'a clean board: exit 0' dipb validate --format gcc
check_eq 'a clean board: nothing on stderr' '' "$(cat "$ERR")"
sed 's/^id: IC-0001/id: IC-0002/' "$CORPUS/IC-0001.yaml" \
    >recommendations/IC-0001.yaml
expect_lines 'duplicate ids across files' \
"recommendations/IC-0001.yaml:1:1: error: id 'IC-0002' does not match the file name 'IC-0001.yaml' (expected 'IC-0002.yaml') [file-name]
recommendations/IC-0002.yaml:1:1: error: id 'IC-0002' is also the id of 'recommendations/IC-0001.yaml' [duplicate-id]" \
    dipb validate --format gcc
check_err 'a summary on stderr' 'dipb: 2 errors and 0 warnings in 8 files'
cd recommendations || exit 1
expect_lines 'from a subfolder: the board above, paths that open from here' \
"../recommendations/IC-0001.yaml:1:1: error: id 'IC-0002' does not match the file name 'IC-0001.yaml' (expected 'IC-0002.yaml') [file-name]
../recommendations/IC-0002.yaml:1:1: error: id 'IC-0002' is also the id of '../recommendations/IC-0001.yaml' [duplicate-id]" \
    dipb validate --format gcc
expect_lines 'a folder of records, with its board above it' \
"IC-0001.yaml:1:1: error: id 'IC-0002' does not match the file name 'IC-0001.yaml' (expected 'IC-0002.yaml') [file-name]
IC-0002.yaml:1:1: error: id 'IC-0002' is also the id of 'IC-0001.yaml' [duplicate-id]" \
    dipb validate --format gcc .
cd .. || exit 1
expect_lines 'the board folder as PATH' \
"./recommendations/IC-0001.yaml:1:1: error: id 'IC-0002' does not match the file name 'IC-0001.yaml' (expected 'IC-0002.yaml') [file-name]
./recommendations/IC-0002.yaml:1:1: error: id 'IC-0002' is also the id of './recommendations/IC-0001.yaml' [duplicate-id]" \
    dipb validate --format gcc ./
expect_lines 'a file named twice is checked once' \
"recommendations/IC-0001.yaml:1:1: error: id 'IC-0002' does not match the file name 'IC-0001.yaml' (expected 'IC-0002.yaml') [file-name]" \
    dipb validate --format gcc recommendations/IC-0001.yaml \
    recommendations/IC-0001.yaml
# One file in other spellings ("./x", an absolute path, a folder and a
# file in it) is still one file: checked once, under the path of the
# board's scan, never the duplicate-id of itself.
for args in ". ./recommendations/IC-0001.yaml" \
    ". $TROOT/b/recommendations/IC-0001.yaml" ". ./" \
    "recommendations/IC-0001.yaml . recommendations//IC-0001.yaml"; do
	# shellcheck disable=SC2086
	expect_lines "one file named as $args: checked once" \
"recommendations/IC-0001.yaml:1:1: error: id 'IC-0002' does not match the file name 'IC-0001.yaml' (expected 'IC-0002.yaml') [file-name]
recommendations/IC-0002.yaml:1:1: error: id 'IC-0002' is also the id of 'recommendations/IC-0001.yaml' [duplicate-id]" \
	    dipb validate --format gcc $args
	check_err "one file named as $args: counted once" \
	    'dipb: 2 errors and 0 warnings in 8 files'
done
expect_lines 'a folder named twice: each file once, as first named' \
"recommendations/IC-0001.yaml:1:1: error: id 'IC-0002' does not match the file name 'IC-0001.yaml' (expected 'IC-0002.yaml') [file-name]
recommendations/IC-0002.yaml:1:1: error: id 'IC-0002' is also the id of 'recommendations/IC-0001.yaml' [duplicate-id]" \
    dipb validate --format gcc recommendations ./recommendations
cp "$CORPUS/IC-0001.yaml" recommendations/

# A board with errors: reported, and its records get the rules that need
# no board.
sed 's/^  quorum: 2/  quorum: many/' "$CORPUS/dipb.yaml" >dipb.yaml
sed 's/^working_group: .*/working_group: logistics/' "$CORPUS/IC-0001.yaml" \
    >recommendations/IC-0001.yaml
expect_lines 'an invalid board: its errors, and no board rules for records' \
"dipb.yaml:18:11: error: 'quorum' must be a whole number from 1 to 1000 [type]" \
    dipb validate --format gcc
cp "$CORPUS/dipb.yaml" .
expect_lines 'a valid board again: the board rules' \
"recommendations/IC-0001.yaml:3:16: error: unknown working group 'logistics' [working-group]" \
    dipb validate --format gcc
# A record named through a symbolic link to its folder: still its board's.
# Through a link to a folder of the working tree (here the current
# folder: no .git above it), it is named as the tree holds it, the path
# git has for it, from the current folder or absolute as the PATH is;
# through a link from outside, by the path given, its board above the
# folder the link names (dipb-validate(1)).
ln -s recommendations recs
for p in recs/IC-0001.yaml recs ./recs/ recs//IC-0001.yaml; do
	expect_lines "through a linked folder in the tree, $p: the board rules, at the tree's path" \
"recommendations/IC-0001.yaml:3:16: error: unknown working group 'logistics' [working-group]" \
	    dipb validate --format gcc "$p"
done
check_err 'and its dipb.yaml is checked with it' \
    'dipb: 1 error and 0 warnings in 2 files'
expect_lines 'named with the record path too: checked once' \
"recommendations/IC-0001.yaml:3:16: error: unknown working group 'logistics' [working-group]" \
    dipb validate --format gcc recs/IC-0001.yaml recommendations/IC-0001.yaml
real=$(pwd -P)
expect_lines 'an absolute path through it: the absolute path in the tree' \
"$real/recommendations/IC-0001.yaml:3:16: error: unknown working group 'logistics' [working-group]" \
    dipb validate --format gcc "$real/recs/IC-0001.yaml"
expect_lines 'from the linked folder itself: from there' \
"IC-0001.yaml:3:16: error: unknown working group 'logistics' [working-group]" \
    dipb -C recommendations validate --format gcc ../recs/IC-0001.yaml
check_status 1 'json through the linked folder: exit 1' \
    dipb validate --format json recs
check_stdout 'json through the linked folder: the path in the tree' \
    '{"file":"recommendations/IC-0001.yaml","line":3,"column":16,"severity":"error","rule":"working-group","message":"unknown working group '"'logistics'"'"}'
rm recs
mkdir "$TROOT/linked"
ln -s "$TROOT/b/recommendations" "$TROOT/linked/r"
cd "$TROOT/linked" || exit 1
expect_lines 'through a link from outside the board: the board rules' \
"r/IC-0001.yaml:3:16: error: unknown working group 'logistics' [working-group]" \
    dipb validate --format gcc r/IC-0001.yaml
check_err 'and its dipb.yaml is checked with it' \
    'dipb: 1 error and 0 warnings in 2 files'
expect_lines 'a folder through such a link: the same' \
"r/IC-0001.yaml:3:16: error: unknown working group 'logistics' [working-group]" \
    dipb validate --format gcc r
cd "$TROOT/b" || exit 1
cp "$CORPUS/IC-0001.yaml" recommendations/

# A control character in the board's text, which every command shows
# (dipb-validate(1), control-character), as in a record's: at its line.
sed 's/^board: .*/board: "Test \\e[2J Board"/' "$CORPUS/dipb.yaml" >dipb.yaml
printf '  - "NATO \\x9b SECRET"\n' >"$TROOT/level"
sed "/^classifications:/r $TROOT/level" dipb.yaml >"$TROOT/b.yaml"
mv "$TROOT/b.yaml" dipb.yaml
expect_lines 'control characters in the board name and a level: at their lines' \
"dipb.yaml:1:1: error: 'board' holds a control character, U+001B, at character 6 (a single-line field) [control-character]
dipb.yaml:$(grep -n '^classifications:' dipb.yaml | cut -d: -f1):1: error: item 1 of 'classifications' holds a control character, U+009B, at character 6 (a single-line field) [control-character]" \
    dipb validate --format gcc
check_status 1 'control characters in the board: exit 1' \
    dipb validate --format gcc
cp "$CORPUS/dipb.yaml" .

# A record with no board around it: the rules that need none.
mkdir "$TROOT/lone" && cd "$TROOT/lone" || exit 1
sed 's/^working_group: .*/working_group: logistics/; s/^status: draft/status: submitted/' \
    "$CORPUS/IC-0001.yaml" >IC-0001.yaml
expect_lines 'a record without a board: no board rules, the others' \
"IC-0001.yaml:4:1: error: status is submitted but 'submission' is missing [submission]" \
    dipb validate --format gcc IC-0001.yaml
check_status 5 'no PATH and no board above: exit 5' dipb validate
check_err 'no PATH and no board: says so' 'dipb: no dipb.yaml in this folder'

# Many records: several threads, one sorted output, the same as file by file.
mkdir -p "$TROOT/many/recommendations" && cd "$TROOT/many" || exit 1
cp "$CORPUS/dipb.yaml" .
i=1000
for f in "$CORPUS"/*.yaml; do
	case $f in */dipb.yaml) continue ;; esac
	for k in 1 2 3; do
		i=$((i + 1))
		cp "$f" "recommendations/IC-$i.yaml"
	done
done
run dipb validate --format gcc
cp "$OUT" "$TROOT/many.all"
: >"$TROOT/many.each"
for f in recommendations/*.yaml; do
	dipb validate --format gcc "$f" >>"$TROOT/many.each" 2>/dev/null
done
grep -v '\[duplicate-id\]$' "$TROOT/many.all" >"$TROOT/many.nodup"
if cmp -s "$TROOT/many.nodup" "$TROOT/many.each"; then
	ok "$((i - 1000)) records on several threads: the output of each file, in order"
else
	not_ok "$((i - 1000)) records on several threads: the output of each file, in order" \
	    "$(diff "$TROOT/many.each" "$TROOT/many.nodup" | head)"
fi
dipb validate --format gcc >"$TROOT/many.again" 2>/dev/null
check 'the same output on every run' cmp -s "$TROOT/many.again" \
    "$TROOT/many.all"

# --- a sharded board: records where its layout keeps none ---------------------------

mkdir -p "$TROOT/s/recommendations/IC/00" "$TROOT/s/recommendations/IC/05"
cd "$TROOT/s" || exit 1
{ cat "$CORPUS/dipb.yaml"; echo 'layout: sharded'; } >dipb.yaml
cp "$CORPUS/IC-0001.yaml" recommendations/IC/00/
check_out 'sharded: a record in its shard: no output' '' \
    dipb validate --format gcc
cp "$CORPUS/IC-0002.yaml" recommendations/IC/05/
cp "$CORPUS/IC-0003.yaml" recommendations/
expect_lines 'sharded: the wrong shard and the flat place: [record-path]' \
"recommendations/IC-0003.yaml:0:0: error: not where this board keeps IC-0003: it is sharded (dipb.yaml's layout), so its file is recommendations/IC/00/IC-0003.yaml [record-path]
recommendations/IC/05/IC-0002.yaml:0:0: error: not where this board keeps IC-0002: it is sharded (dipb.yaml's layout), so its file is recommendations/IC/00/IC-0002.yaml [record-path]" \
    dipb validate --format gcc
check_eq 'sharded: exit 1' 1 "$RC"
# The same files on a flat board: the sharded place is the wrong one.
cp "$CORPUS/dipb.yaml" dipb.yaml
expect_lines 'flat: a record in a shard: [record-path]' \
"recommendations/IC/00/IC-0001.yaml:0:0: error: not where this board keeps IC-0001: it is flat (dipb.yaml's layout), so its file is recommendations/IC-0001.yaml [record-path]
recommendations/IC/05/IC-0002.yaml:0:0: error: not where this board keeps IC-0002: it is flat (dipb.yaml's layout), so its file is recommendations/IC-0002.yaml [record-path]" \
    dipb validate --format gcc
# Any folder below recommendations/ is read, whatever its name, and a
# record in one is out of its place (dipb-record(5)); a link is not.
rm -r recommendations/IC
mkdir -p recommendations/archive recommendations/d/d recommendations/real
cp "$CORPUS/IC-0002.yaml" recommendations/archive/
cp "$CORPUS/IC-0005.yaml" recommendations/d/d/
ln -s real recommendations/link
cp "$CORPUS/IC-0004.yaml" recommendations/real/
expect_lines 'flat: a record in archive/ and in d/d/: [record-path]' \
"recommendations/archive/IC-0002.yaml:0:0: error: not where this board keeps IC-0002: it is flat (dipb.yaml's layout), so its file is recommendations/IC-0002.yaml [record-path]
recommendations/d/d/IC-0005.yaml:0:0: error: not where this board keeps IC-0005: it is flat (dipb.yaml's layout), so its file is recommendations/IC-0005.yaml [record-path]
recommendations/real/IC-0004.yaml:0:0: error: not where this board keeps IC-0004: it is flat (dipb.yaml's layout), so its file is recommendations/IC-0004.yaml [record-path]" \
    dipb validate --format gcc
check_eq 'flat: exit 1' 1 "$RC"
rm -r recommendations/archive recommendations/d recommendations/real \
    recommendations/link

# --- warnings ---------------------------------------------------------------------

cd "$TROOT/lone" || exit 1
{ cat "$CORPUS/IC-0001.yaml"; echo 'colour: blue'; } >IC-0001.yaml
expect_lines 'a warning alone: exit 0' \
"IC-0001.yaml:22:1: warning: unknown key 'colour' [unknown-key]" \
    dipb validate --format gcc IC-0001.yaml
check_status 1 '--warnings-as-errors: exit 1' \
    dipb validate --format gcc --warnings-as-errors IC-0001.yaml
# The summary goes to standard error whenever the exit status is 1,
# warnings with --warnings-as-errors too; never with exit 0
# (dipb-validate(1), OUTPUT).
check_stderr '--warnings-as-errors: the summary on standard error' \
    'dipb: 0 errors and 1 warning in 1 file'
run dipb validate --format gcc IC-0001.yaml
check_eq 'a warning alone: no summary' '' "$(cat "$ERR")"

# A missing key is said at the mapping that lacks it: the file's first
# line that is no comment; 0:0 only for the file as a whole, which SARIF
# gives no region (dipb-validate(1), OUTPUT).
printf '# a record\n\ntitle: Untitled\n' >IC-0001.yaml
run dipb validate --format gcc IC-0001.yaml
check_eq 'a missing key: at the first line of the mapping, 3:1' \
    "IC-0001.yaml:3:1: error: missing required key 'id' [required]" \
    "$(grep "'id'" "$OUT")"
: >IC-0001.yaml
expect_lines 'an empty file: 0:0' \
    'IC-0001.yaml:0:0: error: file is empty [empty]' \
    dipb validate --format gcc IC-0001.yaml
run dipb validate --format sarif IC-0001.yaml
cp "$OUT" "$TROOT/empty.sarif"
check 'an empty file: its SARIF result has no region, no line 0' \
    python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))["runs"][0]["results"]
assert len(r) == 1, r
loc = r[0]["locations"][0]["physicalLocation"]
assert "region" not in loc, loc' "$TROOT/empty.sarif"

# --- canonical form, and fmt ----------------------------------------------------------

cd "$TROOT/b" || exit 1
cp "$CORPUS/SI-0009.yaml" recommendations/
chmod 664 recommendations/SI-0009.yaml
check_out 'SI-0009 is valid' '' dipb validate --format gcc
expect_lines '--canonical: not in canonical form, at the first line that differs' \
"recommendations/SI-0009.yaml:1:1: error: not in canonical form (dipb fmt rewrites it) [canonical]" \
    dipb validate --format gcc --canonical
sed 's/$/\r/' "$CORPUS/IC-0002.yaml" >recommendations/IC-0002.yaml
expect_lines '--canonical: CRLF line ends are not canonical' \
"recommendations/IC-0002.yaml:1:1: error: not in canonical form (dipb fmt rewrites it) [canonical]
recommendations/SI-0009.yaml:1:1: error: not in canonical form (dipb fmt rewrites it) [canonical]" \
    dipb validate --format gcc --canonical
{ cat "$CORPUS/IC-0003.yaml"; echo 'colour: blue'; } >recommendations/IC-0003.yaml
cp recommendations/SI-0009.yaml "$TROOT/si.before"
cp recommendations/IC-0003.yaml "$TROOT/ic3.before"
check_status 1 'fmt --check: exit 1' dipb fmt --check
check_err 'fmt: a file with an unknown key is reported' \
    "recommendations/IC-0003.yaml:29:1: warning: unknown key 'colour' [unknown-key]"
check_stdout 'fmt --check names the files' \
    "$(printf 'recommendations/IC-0002.yaml\nrecommendations/SI-0009.yaml')"
check 'fmt --check writes nothing' \
    cmp -s recommendations/SI-0009.yaml "$TROOT/si.before"
run dipb fmt
check_eq 'fmt: exit 1, as a file was left as it was' 1 "$RC"
check_stdout 'fmt names the files it rewrote' \
    "$(printf 'recommendations/IC-0002.yaml\nrecommendations/SI-0009.yaml')"
check 'fmt: the invalid file is not rewritten' \
    cmp -s recommendations/IC-0003.yaml "$TROOT/ic3.before"
check 'fmt: the rewritten record is the one dipb writes' \
    cmp -s recommendations/IC-0002.yaml "$CORPUS/IC-0002.yaml"
check_out 'fmt: SI-0009 is now canonical' '' \
    dipb validate --format gcc --canonical recommendations/SI-0009.yaml
check_eq 'fmt keeps the permissions, whatever the umask' 664 \
    "$(stat -c %a recommendations/SI-0009.yaml)"
check 'fmt: the comment is gone, the content kept' sh -c \
    "! grep -q '^#' recommendations/SI-0009.yaml &&
    grep -q '^title: Common qualification of energetics\$' recommendations/SI-0009.yaml"
check 'fmt leaves no temporary file' sh -c \
    '[ -z "$(ls -a recommendations | grep -v "\.yaml\$" | grep -v "^\.\.\?\$")" ]'
cp "$CORPUS/IC-0003.yaml" recommendations/
check_out 'fmt again: nothing to do' '' dipb fmt
check_out 'fmt --check: all canonical, exit 0' '' dipb fmt --check
cp "$CORPUS/yaml-syntax.yaml" recommendations/IC-0009.yaml
cp recommendations/IC-0009.yaml "$TROOT/ic9.before"
check_status 1 'fmt: a file that is not YAML: exit 1' dipb fmt
check_err 'fmt: ... reported' \
    'recommendations/IC-0009.yaml:10:1: error: found unexpected end of stream'
check 'fmt: ... and left as it was' \
    cmp -s recommendations/IC-0009.yaml "$TROOT/ic9.before"
rm recommendations/IC-0009.yaml recommendations/SI-0009.yaml
# A file that loads but breaks a rule that judges it on its own, without
# its board (dipb-fmt(1)): reported as validate reports it, never
# rewritten, though it is not canonical (a comment).
mkdir "$TROOT/fmtrules"
for case in 'fingerprint:s/fingerprint: 895eb447/fingerprint: not-hex/' \
    'self-review:s/reviewer: rita@example.org/reviewer: dan@example.org/' \
    'control-character:s/^title: .*/title: "Bell\\a here"/'; do
	rule=${case%%:*}
	{ echo '# a comment'; sed "${case#*:}" "$CORPUS/IC-0003.yaml"; } \
	    >"$TROOT/fmtrules/IC-0003.yaml"
	cp "$TROOT/fmtrules/IC-0003.yaml" "$TROOT/fmtrules.before"
	check_status 1 "fmt of a file breaking [$rule]: exit 1" \
	    dipb fmt "$TROOT/fmtrules/IC-0003.yaml"
	check_err_re "... reported as validate reports it" "^$TROOT/fmtrules/IC-0003.yaml:[0-9]+:[0-9]+: error: .* \\[$rule\\]\$"
	check "... and left as it was" \
	    cmp -s "$TROOT/fmtrules/IC-0003.yaml" "$TROOT/fmtrules.before"
	check_status 1 "fmt --check of it: exit 1" \
	    dipb fmt --check "$TROOT/fmtrules/IC-0003.yaml"
done
rm -r "$TROOT/fmtrules" "$TROOT/fmtrules.before"
# A draft (a file of a folder named drafts) is what validate reads it as,
# a draft, not a record lacking its id: fmt reports what validate does,
# and leaves it as it is (a draft has no canonical form).
mkdir -p drafts
printf 'title: "Draft"\nworking_group: industrial-capacity\nsummary: S\n' \
    >drafts/ok.yaml
cp drafts/ok.yaml "$TROOT/draft.before"
check_out 'validate: the draft is valid' '' dipb validate --format gcc drafts/ok.yaml
check_status 0 'fmt drafts/ok.yaml: exit 0, no record errors' dipb fmt drafts/ok.yaml
check_eq 'fmt drafts: nothing said' '' "$(cat "$OUT" "$ERR")"
check 'fmt drafts: the draft is left as it was' \
    cmp -s drafts/ok.yaml "$TROOT/draft.before"
printf 'title: Draft\nworking_group: industrial-capacity\nsummary: S\nstatus: draft\n' \
    >drafts/bad.yaml
check_status 1 'fmt drafts: a draft with a key that is not the drafter'"'"'s: exit 1' \
    dipb fmt drafts
check_err 'fmt drafts: ... reported as validate does' \
    "drafts/bad.yaml:4:1: error: 'status' cannot be given in an input file [input-key]"
rm drafts/bad.yaml
# What validate refuses of a draft, fmt refuses too (dipb-fmt(1)): a
# draft that recommend --from would refuse, or with an escape character.
printf 'working_group: industrial-capacity\nsummary: S.\n' >drafts/bad.yaml
check_status 1 'fmt: a draft without a title: exit 1' dipb fmt drafts/bad.yaml
check_err 'fmt: ... as validate says it' \
    "drafts/bad.yaml:1:1: error: a draft needs 'title' (dipb recommend --from takes it from the draft) [required]"
# A missing key is reported at the mapping that lacks it, as a record's
# is (dipb-validate(1)): its first key, after a comment; 0:0 is the whole
# file's.
printf '# a comment\ntitle: T\nsummary: S.\n' >drafts/bad.yaml
check_status 1 'fmt: a draft without a working group: exit 1' \
    dipb fmt drafts/bad.yaml
check_err 'fmt: ... at the mapping that lacks it' \
    "drafts/bad.yaml:2:1: error: a draft needs 'working_group' (dipb recommend --from takes it from the draft) [required]"
run dipb validate --format gcc drafts/bad.yaml
check_eq 'validate: ... there too' \
    "1 drafts/bad.yaml:2:1: error: a draft needs 'working_group' (dipb recommend --from takes it from the draft) [required]" \
    "$RC $(cat "$OUT")"
printf 'title: "T\\e[2J"\nworking_group: industrial-capacity\nsummary: S.\n' \
    >drafts/bad.yaml
check_status 1 'fmt: a draft with ESC in its title: exit 1' \
    dipb fmt drafts/bad.yaml
check_err 'fmt: ... [control-character]' \
    "drafts/bad.yaml:1:1: error: 'title' holds a control character, U+001B"
rm drafts/bad.yaml
# The folder a file is in, however the path names it (dipb-validate(1)).
for p in drafts/./ok.yaml drafts//ok.yaml "$PWD/drafts/../drafts/ok.yaml"; do
	check_out "validate $p: a draft, valid" '' dipb validate --format gcc "$p"
	check_status 0 "fmt $p: a draft, left as it is" dipb fmt "$p"
done
for p in ok.yaml ./ok.yaml . ../drafts; do
	check_out "validate $p, in drafts/: a draft, valid" '' \
	    dipb -C drafts validate --format gcc "$p"
done
# A dipb.yaml in a drafts folder (a pull request's copy of the board,
# with a working group of its own) is no board: a draft is checked
# against the board the folder belongs to, as recommend --from reads it,
# and that dipb.yaml is a draft like any file there, which fails.
sed 's/industrial-capacity/no-such-group/' dipb.yaml >drafts/dipb.yaml
printf 'title: T\nworking_group: no-such-group\nsummary: S\n' \
    >drafts/shadow.yaml
for p in drafts/shadow.yaml drafts "$PWD/drafts/" -C; do
	if [ "$p" = -C ]; then
		p='shadow.yaml in drafts/'
		run dipb -C drafts validate --format gcc shadow.yaml
	else
		run dipb validate --format gcc "$p"
	fi
	check_eq "validate $p, drafts/dipb.yaml beside the draft: exit 1" 1 "$RC"
	check_file_has "... the draft's working group is not its board's" \
	    "$OUT" "shadow\.yaml:2:16: error: unknown working group 'no-such-group' \[working-group\]\$"
done
check_out 'validate drafts/ok.yaml beside drafts/dipb.yaml: valid, as the board says' \
    '' dipb validate --format gcc drafts/ok.yaml
run dipb validate --format gcc drafts
check_file_has 'validate drafts: drafts/dipb.yaml is a draft, with no board keys' \
    "$OUT" "^drafts/dipb\.yaml:1:1: error: unknown key 'board' \[unknown-key\]\$"
run dipb validate --format gcc drafts/dipb.yaml
check_file_has 'validate drafts/dipb.yaml: a draft, not a board' \
    "$OUT" "^drafts/dipb\.yaml:1:1: error: unknown key 'board' \[unknown-key\]\$"
rm drafts/dipb.yaml drafts/shadow.yaml
mkdir -p meetings
printf 'date: 2026-06-12\nattendees:\n  - chair@example.org\n' >meetings/2026-06-12.yaml
for p in 2026-06-12.yaml ./2026-06-12.yaml .; do
	check_out "validate $p, in meetings/: a meeting, valid" '' \
	    dipb -C meetings validate --format gcc "$p"
done
check_out 'validate meetings//2026-06-12.yaml: a meeting, valid' '' \
    dipb validate --format gcc meetings//2026-06-12.yaml
printf 'date: 2026-06-13\nattendees:\n  - chair@example.org\n' >meetings/2026-06-12.yaml
check_status 1 'validate ./2026-06-12.yaml in meetings/ of another date: exit 1' \
    dipb -C meetings validate --format gcc ./2026-06-12.yaml
check_file_has '... [meeting-date]' "$OUT" \
    '^\./2026-06-12\.yaml:1:7: error: a meeting of 2026-06-13 is kept in meetings/2026-06-13\.yaml \[meeting-date\]$'
rm -r drafts meetings
# A record file that is a symbolic link: reported [symlink], and nothing is
# written through it (tests/cli/links.sh has the rest).
mkdir -p "$TROOT/elsewhere"
cp "$CORPUS/SI-0009.yaml" "$TROOT/elsewhere/SI-0009.yaml"
cp "$CORPUS/SI-0009.yaml" "$TROOT/si9.before"
ln -s "$TROOT/elsewhere/SI-0009.yaml" "$TROOT/linked.yaml"
check_status 1 'fmt of a symbolic link: refused' dipb fmt "$TROOT/linked.yaml"
check_err 'fmt of a symbolic link: reported [symlink]' \
    "$TROOT/linked.yaml:0:0: error: a symbolic link to"
check 'fmt of a symbolic link: the link stays' test -L "$TROOT/linked.yaml"
check 'fmt of a symbolic link: the file it names is untouched' \
    cmp -s "$TROOT/elsewhere/SI-0009.yaml" "$TROOT/si9.before"
rm -r "$TROOT/linked.yaml" "$TROOT/elsewhere"
# A link that names nothing is a link all the same: [symlink], named or
# found in a folder, never [io] (dipb-validate(1), symlink), and its board
# is checked with it as with any other record named.
ln -s nowhere.yaml recommendations/IC-0009.yaml
dangling="recommendations/IC-0009.yaml:0:0: error: a symbolic link to 'nowhere.yaml', not a file: dipb never reads through one (replace the link with the file itself) [symlink]"
expect_lines 'a dangling link named: [symlink], exit 1' "$dangling" \
    dipb validate --format gcc recommendations/IC-0009.yaml
check_err 'a dangling link named: counted with its board' \
    'dipb: 1 error and 0 warnings in 2 files'
expect_lines 'a dangling link found in a folder: [symlink], exit 1' \
    "$dangling" dipb validate --format gcc recommendations
check_status 1 'fmt of a dangling link: refused' \
    dipb fmt recommendations/IC-0009.yaml
check_err 'fmt of a dangling link: reported [symlink]' "$dangling"
check 'fmt of a dangling link: the link stays, naming nothing' \
    sh -c 'test -L "$1" && ! test -e "$1"' sh recommendations/IC-0009.yaml
ln -s loop-b.yaml recommendations/IC-0010.yaml
ln -s IC-0010.yaml recommendations/loop-b.yaml
check_status 1 'a loop of links named: exit 1' \
    dipb validate --format gcc recommendations/IC-0010.yaml
check_file_has 'a loop of links named: [symlink]' "$OUT" \
    "^recommendations/IC-0010\.yaml:0:0: error: a symbolic link to 'loop-b\.yaml',.*\[symlink\]\$"
rm recommendations/IC-0009.yaml recommendations/IC-0010.yaml \
    recommendations/loop-b.yaml

# --- formats ------------------------------------------------------------------------------

cd "$CORPUS" || exit 1
run dipb validate --format gcc many-problems.yaml unknown-key.yaml
cp "$OUT" "$TROOT/gcc.out"
run dipb validate --format json many-problems.yaml unknown-key.yaml
cp "$OUT" "$TROOT/json.out"
check_eq 'json: exit 1 on errors' 1 "$RC"
check 'json: one object per line, the same problems as gcc, stable keys' \
    python3 -c '
import json, sys
gcc = open(sys.argv[1]).read().splitlines()
objs = [json.loads(l) for l in open(sys.argv[2]).read().splitlines()]
assert len(objs) == len(gcc) == 17, (len(objs), len(gcc))
for o, g in zip(objs, gcc):
    assert list(o) == ["file", "line", "column", "severity", "rule",
        "message"], list(o)
    assert isinstance(o["line"], int) and isinstance(o["column"], int)
    want = "%s:%d:%d: %s: %s [%s]" % (o["file"], o["line"], o["column"],
        o["severity"], o["message"], o["rule"])
    assert want == g, (want, g)
assert objs[0]["file"] == "many-problems.yaml"
assert {o["severity"] for o in objs} == {"error", "warning"}
' "$TROOT/gcc.out" "$TROOT/json.out"

# github: the five characters GitHub escapes in properties, three in data.
mkdir "$TROOT/gh" && cd "$TROOT/gh" || exit 1
cr=$(printf '\r')
weird="A$cr
%,:.yaml"
cp "$CORPUS/IC-0001.yaml" "$weird"
cp "$CORPUS/IC-0001.yaml" IC-0001.yaml
expect_lines 'github: escaping of % CR LF : , in properties, % CR LF in data' \
"::error file=A%0D%0A%25%2C%3A.yaml,line=1,col=1,title=file-name::id 'IC-0001' does not match the file name 'A??%25,:.yaml' (expected 'IC-0001.yaml')
::error file=IC-0001.yaml,line=1,col=1,title=duplicate-id::id 'IC-0001' is also the id of 'A%0D%0A%25,:.yaml'" \
    dipb validate --format github .
{ cat "$CORPUS/IC-0001.yaml"; echo 'colour: blue'; } >IC-0001.yaml
rm "$weird"
expect_lines 'github: warnings are ::warning' \
"::warning file=IC-0001.yaml,line=22,col=1,title=unknown-key::unknown key 'colour'" \
    dipb validate --format github .
: >empty.yaml
expect_lines 'github: a problem of the whole file has no line or column (GitHub counts from 1)' \
"::error file=empty.yaml,title=empty::file is empty" \
    dipb validate --format github empty.yaml
rm empty.yaml
# A file name's ESC, C1 control (U+009B, CSI) or byte that is not UTF-8 is
# '?': the log viewer obeys escape sequences (dipb-validate(1)).
esc=$(printf '\033')
csi=$(printf '\302\233')
ff=$(printf '\377')
tab=$(printf '\t')
mkdir ctl
: >"ctl/a${esc}[2J${csi}1m$ff${tab}b.yaml"
expect_lines 'github: control characters, tabs and bytes not UTF-8 in file= are ?' \
"::error file=ctl/a?[2J?1m??b.yaml,title=empty::file is empty" \
    dipb validate --format github ctl
rm -r ctl
# The path from the top of the working tree, where GitHub reads it, also
# from a subfolder and for an absolute path.
git init -q top && mkdir -p top/recommendations/sub && : >top/recommendations/e.yaml
expect_lines 'github: the path from the top, run from a subfolder' \
"::error file=recommendations/e.yaml,title=empty::file is empty" \
    dipb -C top/recommendations/sub validate --format github ../e.yaml
expect_lines 'github: the path from the top, given absolute' \
"::error file=recommendations/e.yaml,title=empty::file is empty" \
    dipb -C top/recommendations validate --format github "$PWD/top/recommendations/e.yaml"
rm -rf top
expect_lines 'auto is github when GITHUB_ACTIONS=true' \
"::warning file=IC-0001.yaml,line=22,col=1,title=unknown-key::unknown key 'colour'" \
    env GITHUB_ACTIONS=true dipb validate .
expect_lines 'auto is gcc otherwise' \
"IC-0001.yaml:22:1: warning: unknown key 'colour' [unknown-key]" \
    env GITHUB_ACTIONS=false dipb validate .
expect_lines 'auto is the default' \
"IC-0001.yaml:22:1: warning: unknown key 'colour' [unknown-key]" \
    dipb validate --format auto .

# junit: one testcase per file, failures with their problems, escaped;
# the CR of the name shown as '?', as in the gcc format (dipb-validate(1)).
cp "$CORPUS/many-problems.yaml" "$TROOT/gh/a&b<c>\"d'$cr.yaml"
cp "$CORPUS/IC-0001.yaml" "$TROOT/gh/IC-0002.yaml"
run dipb validate --format junit "$TROOT/gh" "$CORPUS/dipb.yaml"
cp "$OUT" "$TROOT/junit.xml"
check_eq 'junit: exit 1 on errors' 1 "$RC"
check 'junit: valid XML, one testcase per file, failures carry the problems' \
    python3 -c '
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
gh, corpus = sys.argv[2], sys.argv[3]
assert root.tag == "testsuites", root.tag
suite = root.find("testsuite")
cases = suite.findall("testcase")
names = [c.get("name") for c in cases]
weird = gh + "/a&b<c>\"d\x27?.yaml"
assert names == sorted([corpus + "/dipb.yaml", gh + "/IC-0001.yaml",
    gh + "/IC-0002.yaml", weird]), names
assert suite.get("tests") == "4" and suite.get("failures") == "2", suite.attrib
byname = {c.get("name"): c for c in cases}
f = byname[weird].find("failure")
assert f is not None and f.get("type") == "error"
lines = f.text.rstrip("\n").split("\n")
assert len(lines) == 8, lines
assert lines[0].startswith(weird + ":1:1: error: id \x27IC-0042\x27"), lines[0]
assert any(l.endswith("[self-review]") for l in lines)
assert byname[gh + "/IC-0002.yaml"].find("failure") is not None
w = byname[gh + "/IC-0001.yaml"]
assert w.find("failure") is None
assert "unknown key" in w.find("system-out").text
assert len(byname[corpus + "/dipb.yaml"]) == 0
' "$TROOT/junit.xml" "$TROOT/gh" "$CORPUS"
run dipb validate --format junit --warnings-as-errors "$TROOT/gh/IC-0001.yaml"
cp "$OUT" "$TROOT/junit.xml"
check 'junit --warnings-as-errors: a warning is a failure' python3 -c '
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
assert root.get("failures") == "1", root.attrib
c = root.find("testsuite").find("testcase")
assert c.find("failure").get("type") == "warning"
' "$TROOT/junit.xml"

# The summary counts the files the JUnit report has testcases for: a
# symbolic link and a path that does not exist are files checked and
# refused (dipb-validate(1)).
ln -s IC-0001.yaml "$TROOT/gh/link.yaml"
run dipb validate --format junit "$TROOT/gh/IC-0001.yaml" \
    "$TROOT/gh/link.yaml" "$TROOT/gh/missing.yaml" "$CORPUS/dipb.yaml"
cp "$OUT" "$TROOT/junit.xml"
check_err 'junit: the summary counts four files' \
    'dipb: 2 errors and 1 warning in 4 files'
check_out 'as many as the testcases, the link and the missing path too' 4 \
    python3 -c '
import sys, xml.etree.ElementTree as ET
print(ET.parse(sys.argv[1]).getroot().get("tests"))' "$TROOT/junit.xml"
check_status 1 'gcc: exit 1' dipb validate "$TROOT/gh/IC-0001.yaml" \
    "$TROOT/gh/link.yaml" "$TROOT/gh/missing.yaml" "$CORPUS/dipb.yaml"
check_err 'its summary counts four files too' \
    'dipb: 2 errors and 1 warning in 4 files'
rm "$TROOT/gh/link.yaml"

# --- usage -----------------------------------------------------------------------------------

check_status 2 '--format xml: exit 2' dipb validate --format xml
check_err 'a usage error names the usage' 'usage: dipb validate [PATH...]'
check_status 2 'an unknown option: exit 2' dipb validate --strict
check_status 2 'fmt: an unknown option: exit 2' dipb fmt --write
run dipb fmt --check=yes
check_eq 'fmt --check=yes: exit 2, the option takes no value' \
    "2 dipb: option '--check' takes no value" "$RC $(head -n 1 "$ERR")"
check_out 'validate --help' \
    'usage: dipb validate [PATH...] [--canonical] [--warnings-as-errors]
       [--format gcc|json|github|junit|sarif|gitlab|auto]' \
    dipb validate --help

# --- no history needed, no repository opened ---------------------------------------------

new_board
as drafter
mkrec industrial-capacity 'Alpha' >/dev/null
mkrec supply-chain-security 'Bravo' >/dev/null
mkrec standardisation-interoperability 'Charlie' >/dev/null
drive IC-0001 endorsed
drive SCS-0001 decided
check_out 'a board made by dipb validates clean' '' dipb validate --format gcc --canonical
check_out 'dipb fmt --check on it: nothing' '' dipb fmt --check

mkdir "$TROOT/nogit"
cp -R dipb.yaml recommendations "$TROOT/nogit/"
echo 'gitdir: /nonexistent/repository' >"$TROOT/nogit/.git"
check_out 'no repository (a broken .git): validate still works' '' \
    dipb -C "$TROOT/nogit" validate --format gcc

# A folder's real path not found for want of memory (realpath: ENOMEM)
# is no folder without a board: a record checked with none would pass,
# an unknown working group and all.  Exit 5 naming the folder; only a
# folder that is not there has no board.  A shim makes realpath fail.
if shim realpath '#include <errno.h>
#include <stdlib.h>
char *realpath(const char *restrict p, char *restrict r)
{ (void)p; (void)r; errno = ENOMEM; return NULL; }'; then
	sed 's/^working_group: .*/working_group: no-such-group/' \
	    recommendations/IC-0001.yaml >"$TROOT/nogit/recommendations/IC-0001.yaml"
	(cd "$TROOT/nogit" && run dipb validate recommendations/IC-0001.yaml
	check_eq 'realpath failing: the record is invalid' 1 "$RC"
	run env LD_PRELOAD="$TROOT/realpath.so" ASAN_OPTIONS="$SHIM_ASAN" \
	    dipb validate recommendations/IC-0001.yaml
	check_eq 'realpath failing: validate exits 5, no record passed' 5 "$RC"
	check_err 'realpath failing: the folder named, and why' \
	    "cannot find the real path of 'recommendations': Cannot allocate memory")
	cp recommendations/IC-0001.yaml "$TROOT/nogit/recommendations/"
else
	skip 'realpath failing' 'no C compiler for the shim'
fi

# --- other commands use the rules ----------------------------------------------------------------

as chair
sedit recommendations/IC-0001.yaml 's/^classification: .*/classification: COSMIC TOP SECRET/'
git commit -q -a -m 'a hand edit outside dipb'
check_refused 1 'error: unknown classification' \
    'show refuses a record that breaks a rule' dipb show IC-0001
check_err 'show: the problem is positioned and named' \
    "recommendations/IC-0001.yaml:5:17: error: unknown classification 'COSMIC TOP SECRET' [classification]"
check_refused 1 '' 'list leaves it out, exit 1' dipb list --format ids
check_stdout 'list: the valid records' "$(printf 'SCS-0001\nSI-0001')"
as secretary
check_refused 1 '[classification]' 'submit refuses it' dipb submit IC-0001
git checkout -q HEAD^ -- recommendations/IC-0001.yaml
git commit -q -m 'undone'
# A member who leaves the board does not lock their records away.
as chair
sed '/^  - name: Rita Reviewer/,/^    roles:/d' dipb.yaml >"$TROOT/board.new"
cp "$TROOT/board.new" dipb.yaml
run dipb edit --board --no-edit
check_eq 'a reviewer leaves the board' 0 "$RC"
check_out 'show still shows the record they endorsed' IC-0001 sh -c \
    'dipb show IC-0001 | sed -n "s/^id: //p"'
# IC-0001 is endorsed, and Rita's endorsement carried it to the quorum:
# it counted when it was given, and an endorsed record's reviewers are
# history (dipb-validate(1), status, member), so the board change does
# not turn validate red for good.
run dipb validate --format gcc
check_eq 'validate: exit 0' 0 "$RC"
check_file_has 'validate warns of the reviewer who is not a member' "$OUT" \
    "warning: reviewer 'rita@example.org' is not a member of the board \[member\]$"
check_eq 'validate: the endorsed record is not short of the quorum' '' \
    "$(grep -F '[status]' "$OUT")"

# --- the CI scenario: a pull request that breaks two files -----------------------------------------

new_board ci
as drafter
for t in One Two Three Four; do mkrec industrial-capacity "$t" >/dev/null; done
drive IC-0001 endorsed
git checkout -q -b pr
sedit recommendations/IC-0002.yaml 's/^status: draft/status: endorsed/'
sedit recommendations/IC-0003.yaml 's/^created: .*/created: 2026-02-30/'
sedit recommendations/IC-0004.yaml 's/^title: .*/title: Four, retitled/'
git commit -q -a -m 'a pull request'
main_head=$(git rev-parse main)
git clone -q --depth 1 --branch pr "file://$(pwd)" "$TROOT/ci-clone"
cd "$TROOT/ci-clone" || exit 1
check_eq 'the CI checkout is shallow, one commit' 1 "$(git rev-list --count HEAD)"
run env GITHUB_ACTIONS=true dipb validate
check_eq 'CI: exit 1' 1 "$RC"
check_eq 'CI: exactly two annotations' 2 "$(grep -c '^::' "$OUT")"
check_stdout 'CI: the two annotations' \
"::error file=recommendations/IC-0002.yaml,line=4,col=1,title=status::status is endorsed but 0 endorsements count towards the quorum of 2 (fresh, by distinct reviewers other than the author)
::error file=recommendations/IC-0003.yaml,line=7,col=10,title=date::'created' is not a valid date: '2026-02-30'"
cd "$BOARD" || exit 1
git checkout -q main
check_out 'main still validates clean' '' dipb validate --format gcc
check_eq 'validate wrote nothing to git' "$main_head" "$(git rev-parse main)"

# --- another repository below recommendations/ -----------------------------
# A submodule or a clone inside the board is another repository, whose
# files git status does not look into: validate does not read them as the
# board's records, nor fmt rewrite them (dipb-validate(1)).
new_board nested
as drafter
mkrec industrial-capacity 'Nested' >/dev/null
git init -q recommendations/ext
git show HEAD:recommendations/IC-0001.yaml |
    sed 's/IC-0001/IC-0009/; s/^title: \(.*\)/title:    "\1"/' \
    >recommendations/ext/IC-0009.yaml
git -C recommendations/ext add IC-0009.yaml
git -C recommendations/ext -c user.name=x -c user.email=x@example.org \
    commit -q -m 'a record-like file in another repository'
before=$(cat recommendations/ext/IC-0009.yaml)
run dipb validate
check_eq 'a repository below recommendations/: validate exits 0' 0 "$RC"
check 'and names none of its files' sh -c '! grep -q "recommendations/ext/" "$1" "$2"' \
    sh "$OUT" "$ERR"
run dipb fmt
check_eq 'and fmt leaves its file as it was' "0|$before" \
    "$RC|$(cat recommendations/ext/IC-0009.yaml)"
check_eq 'git status of the inner repository is clean' '' \
    "$(git -C recommendations/ext status --porcelain)"


# --- a .git that is no repository -------------------------------------------
# git takes a .git for a repository only when it is one (git's setup.c): a
# folder with a HEAD git reads, objects/ and refs/, or a "gitdir: PATH"
# file naming one.  Below recommendations/, git status lists the files of
# a folder whose .git is none, and validate reads them; above the board,
# git's search goes past such a folder (and stops, in error, at a .git
# file), and the top validate gives paths from is git's
# (dipb-validate(1)).

# dotgit KIND PATH: a .git of that kind at PATH.
dotgit() {
	case $1 in
	empty-folder)	mkdir "$2" ;;
	garbage-file)	echo 'not a gitdir line' >"$2" ;;
	head-only)	mkdir "$2" && echo 'ref: refs/heads/main' >"$2/HEAD" ;;
	gitfile-to-none) mkdir "$2.to" && echo "gitdir: ${2##*/}.to" >"$2" ;;
	gitfile-to-repo) git init -q --separate-git-dir "$2.to" "${2%/.git}" ;;
	repository)	git init -q "${2%/.git}" ;;
	# git reads a .git file of up to 1 MiB, its trailing newlines cut,
	# and the path up to its first NUL.
	gitfile-long)	dotgit gitfile-to-repo "$2" &&
			    yes '' | head -n 5000 >>"$2" ;;
	gitfile-nul)	dotgit gitfile-to-repo "$2" &&
			    printf '\000junk' >>"$2" ;;
	# git's isspace is " \t\n\r" alone (git-compat-util.h).
	head-vtab)	mkdir -p "$2/objects" "$2/refs" &&
			    printf 'ref:\vrefs/heads/main\n' >"$2/HEAD" ;;
	head-ff)	mkdir -p "$2/objects" "$2/refs" &&
			    printf 'ref:\frefs/heads/main\n' >"$2/HEAD" ;;
	head-tab)	mkdir -p "$2/objects" "$2/refs" &&
			    printf 'ref:\trefs/heads/main\n' >"$2/HEAD" ;;
	# A HEAD that is a FIFO, which git would wait on for ever.
	fifo-head)	mkdir -p "$2/objects" "$2/refs" && mkfifo "$2/HEAD" ;;
	gitfile-to-fifo-head) dotgit fifo-head "$2.to" &&
			    echo "gitdir: ${2##*/}.to" >"$2" ;;
	esac
}
kinds='empty-folder garbage-file head-only gitfile-to-none gitfile-to-repo
    repository gitfile-long gitfile-nul head-tab fifo-head
    gitfile-to-fifo-head'
# Below recommendations/, libgit2 takes a HEAD of "ref:\v..." for a
# repository's as the record is read, and refuses it: above the board only.
for k in $kinds; do
	d=recommendations/$k
	mkdir -p "$d"
	dotgit "$k" "$d/.git"
	git show HEAD:recommendations/IC-0001.yaml | sed 's/IC-0001/IC-0008/' \
	    >"$d/IC-0008.yaml"
	case $k in
	*fifo*)	want=read ;;	# no repository's, where git would wait
	*)	git status --porcelain --untracked-files=all |
		    grep -q "$d/IC-0008" && want=read || want=skipped ;;
	esac
	run timeout 10 dipb validate --format gcc
	grep -q "^$d/IC-0008.yaml:" "$OUT" && got=read || got=skipped
	check_eq "a folder below recommendations/ whose .git is $k: \
its file $want, as by git status" "$want" "$got"
	rm -rf "$d"
done
for k in $kinds head-vtab head-ff; do
	top=$TROOT/above-$k
	mkdir -p "$top/board/recommendations"
	cd "$top/board" || exit 1
	here=$(pwd -P)
	# A FIFO HEAD, where git would wait: a folder that is no repository
	# (git's search goes on up), a .git file that names none.
	gtop=$(git rev-parse --show-toplevel 2>/dev/null) || gtop=$here
	dotgit "$k" "$top/.git"
	cp "$CORPUS/dipb.yaml" .
	sed 's/^working_group: .*/working_group: logistics/' \
	    "$CORPUS/IC-0001.yaml" >recommendations/IC-0001.yaml
	case $k in
	fifo-head) ;;
	gitfile-to-fifo-head) gtop=$here ;;
	*) gtop=$(git rev-parse --show-toplevel 2>/dev/null) || gtop=$here ;;
	esac
	want=${here#"$gtop"}/recommendations/IC-0001.yaml
	run timeout 10 dipb validate --format github
	check_eq "above the board, a .git that is $k: paths from git's top" \
	    "${want#/}" "$(sed -n 's/^::error file=\([^,]*\),.*/\1/p' "$OUT")"
done

# A .git file above the board that names no repository: the path dipb
# names is the one git names ("not a git repository: PATH"), the file read
# as git reads it (trailing line breaks cut, up to 1 MiB), a line break
# within shown as '?', a NUL at once naming the file's folder; a FIFO is
# passed by, as git passes it.
for k in crlf blank-lines two-lines nul-first fifo; do
	mkdir -p "$TROOT/names-$k/board"
	cd "$TROOT/names-$k/board" || exit 1
	case $k in
	crlf)	printf 'gitdir: gone\r\n\r\n' >../.git ;;
	blank-lines) { echo 'gitdir: gone' && yes '' | head -n 5000; } \
			    >../.git ;;
	two-lines) printf 'gitdir: gone\nsecond\n' >../.git ;;
	nul-first) printf 'gitdir: \0gone\n' >../.git ;;
	fifo)	mkfifo ../.git ;;
	esac
	want=$(git status 2>&1 | paste -sd '?' - |
	    sed -n 's/^fatal: not a git repository: //p')
	run timeout 10 dipb list
	check_eq "a .git file ($k) naming none: dipb names what git names" \
	    "5 $want" "$RC $(sed -n \
	    "s/.* names '\(.*\)', which is not one\$/\1/p" "$ERR")"
done

# A .git file that cannot be read: git status takes it for another
# repository's (git's dir.c, is_nonbare_repository_dir) and lists none of
# the folder's files, and validate reads none; git rev-parse dies of it
# above the board, and validate gives paths from the current folder.
# root reads any file: as nobody.
if ! can_switch_user; then
	skip 'a .git file that cannot be read' \
	    'needs root and setpriv, to run as nobody'
else
	u=$TROOT/unreadable
	mkdir -p "$u/board/recommendations/inner" "$u/home"
	cd "$u/board" || exit 1
	git init -q
	cp "$CORPUS/dipb.yaml" .
	sed 's/^working_group: .*/working_group: logistics/' \
	    "$CORPUS/IC-0001.yaml" >recommendations/IC-0001.yaml
	git init -q --separate-git-dir "$u/inner.git" recommendations/inner
	sed 's/IC-0001/IC-0008/' recommendations/IC-0001.yaml \
	    >recommendations/inner/IC-0008.yaml
	chmod o+x "$TROOT" && chmod -R o+rX "$u" &&
	    chmod 000 recommendations/inner/.git
	h="env HOME=$u/home GIT_CONFIG_GLOBAL=/dev/null"
	as_other_user $h git -c safe.directory='*' status --porcelain \
	    --untracked-files=all | grep -q inner/IC-0008 && want=read ||
	    want=skipped
	run as_other_user $h timeout 10 dipb validate --format gcc
	grep -q '^recommendations/inner/IC-0008.yaml:' "$OUT" && got=read ||
	    got=skipped
	check_eq "a folder whose .git file cannot be read: its file $want, \
as by git status" "$want" "$got"
	mkdir -p "$u/above/board/recommendations"
	git init -q --separate-git-dir "$u/above.git" "$u/above"
	cp dipb.yaml recommendations/IC-0001.yaml "$u/above/board" &&
	    mv "$u/above/board/IC-0001.yaml" "$u/above/board/recommendations"
	chmod -R o+rX "$u" && chmod 000 "$u/above/.git"
	cd "$u/above/board" || exit 1
	run as_other_user $h timeout 10 dipb validate --format github
	check_eq 'above the board, an unreadable .git file: paths from here' \
	    'recommendations/IC-0001.yaml' \
	    "$(sed -n 's/^::error file=\([^,]*\),.*/\1/p' "$OUT")"
fi

finish

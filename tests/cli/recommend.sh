#!/bin/sh
# tests/cli/recommend.sh - dipb recommend: a new draft is one commit and
# one tag; the id alone on stdout; --summary -, --from, defaults, refusals.
. "$(dirname "$0")/lib.sh"

drafts=$DIPB_SRCDIR/examples/drafts

new_board
as drafter
today=$(date +%Y-%m-%d)

check_change IC-0001/1-drafted 'none -> draft' 'IC-0001: drafted by Dan Drafter' \
    dipb recommend --wg industrial-capacity \
    --title 'Multi-year framework contracts for 155 mm ammunition' \
    --summary 'Replace annual orders with five-year framework contracts.'
check_stdout 'stdout is the new id alone' IC-0001
check_stderr 'stderr is the tag, and that the board has no keys' \
    "IC-0001/1-drafted
dipb: warning: this board lists no signing keys: its history is unauthenticated (dipb-board(5), \"Signing\")"
check_out 'the commit adds recommendations/IC-0001.yaml' \
    recommendations/IC-0001.yaml \
    git diff-tree --no-commit-id --name-only -r HEAD
check_out 'git sees an added file' 'A	recommendations/IC-0001.yaml' \
    git diff-tree --no-commit-id --name-status -r HEAD
check_eq 'id' IC-0001 "$(field IC-0001 id)"
check_eq 'title' 'Multi-year framework contracts for 155 mm ammunition' \
    "$(field IC-0001 title)"
check_eq 'working_group' industrial-capacity "$(field IC-0001 working_group)"
check_eq 'status draft' draft "$(status_of IC-0001)"
check_eq 'classification defaults to the lowest' 'NATO UNCLASSIFIED' \
    "$(field IC-0001 classification)"
check_eq 'priority defaults to medium' medium "$(field IC-0001 priority)"
check_eq 'author is the acting identity' dan@example.org "$(field IC-0001 author)"
check_eq 'created is today' "$today" "$(field IC-0001 created)"
check_eq 'the summary is there' \
    'Replace annual orders with five-year framework contracts.' \
    "$(jshow IC-0001 'd["summary"]')"
check_out 'show prints its fingerprint, then the file as committed' \
    "$(printf '# fingerprint: %s\n' "$(jshow IC-0001 'd["fingerprint"]')"
    git show HEAD:recommendations/IC-0001.yaml)" dipb show IC-0001
check_out 'the working tree file is the committed one' '' \
    git diff HEAD -- recommendations/IC-0001.yaml
check_eq 'the file ends with a newline' '' \
    "$(tail -c 1 recommendations/IC-0001.yaml | tr -d '\n')"

# --- numbering per prefix ------------------------------------------------------
check_change IC-0002/1-drafted 'none -> draft' 'IC-0002: drafted by Dan Drafter' \
    dipb recommend --wg industrial-capacity --title 'Second' --summary 'Two.'
check_stdout 'the next IC id' IC-0002
check_change SCS-0001/1-drafted 'none -> draft' 'SCS-0001: drafted by Dan Drafter' \
    dipb recommend --wg supply-chain-security --title 'Third' --summary 'Three.'
check_stdout 'the first SCS id' SCS-0001
check_change SI-0001/1-drafted 'none -> draft' 'SI-0001: drafted by Dan Drafter' \
    dipb recommend --wg standardisation-interoperability --title 'Fourth' \
    --summary 'Four.'
check_stdout 'the first SI id' SI-0001

# --- --summary - reads stdin --------------------------------------------------------
printf 'A summary read from **stdin**,\nover two lines.\n' >"$TROOT/summary.md"
STDIN=$TROOT/summary.md
check_change IC-0003/1-drafted 'none -> draft' '' \
    dipb recommend --wg industrial-capacity --title 'From stdin' --summary -
unset STDIN
check_eq '--summary - : the summary is stdin' \
    "$(cat "$TROOT/summary.md")" "$(jshow IC-0003 'd["summary"]')"
# Bytes that are no text are said as --from's are, at their line and
# column in stdin ("-"), a byte order mark not counted.
# refused BYTES WHERE DESC: --summary - of BYTES (a printf format) is
# refused, exit 1, with "-:WHERE" said.
refused() {
	printf "$1" >"$TROOT/bad.md"
	STDIN=$TROOT/bad.md
	check_refused 1 "-:$2" "$3" \
	    dipb recommend --wg industrial-capacity --title 'Bad' --summary -
	unset STDIN
}
CC="which dipb refuses in a record and a change's message [control-character]"
refused 'A summary.\nBad \377.\n' '2:5: error: invalid utf-8 (byte 0xff) [encoding]' \
    '--summary - of a byte that is no UTF-8: exit 1, at its line and column'
refused '\357\273\277A\033[2J.\n' "1:2: error: control character U+001B, $CC" \
    '--summary - with a byte order mark and an escape: its column'
# One byte order mark is dropped; a second is a character the user wrote,
# U+FEFF: a column before a bad byte as before a control character, and
# kept in the summary, as one further on is (dipb-recommend(1), --summary).
refused '\357\273\277\357\273\277ab\377c\n' '1:4: error: invalid utf-8 (byte 0xff) [encoding]' \
    '--summary - with two byte order marks and a bad byte: the second a column'
refused '\357\273\277\357\273\277ab\001c\n' "1:4: error: control character U+0001, $CC" \
    '--summary - with two byte order marks and a control character: the same column'

# --- --from FILE --------------------------------------------------------------------
check_change SCS-0002/1-drafted 'none -> draft' 'SCS-0002: drafted by Dan Drafter' \
    dipb recommend --from "$drafts/scs-critical-raw-materials.yaml" --no-edit
check_stdout '--from: the id of the file working group' SCS-0002
check '--from: every drafter field is the file one, actions open' python3 -c '
import subprocess, sys, yaml
want = yaml.safe_load(open(sys.argv[1]))
got = yaml.safe_load(subprocess.run(["git", "show",
    "HEAD:recommendations/SCS-0002.yaml"], capture_output=True,
    check=True).stdout)
for k, v in want.items():
    if k == "actions":
        for a in got[k]:
            assert a.pop("state") == "open", a
    assert got[k] == v, (k, got[k], v)
assert got["status"] == "draft"
assert got["author"] == "dan@example.org"' "$drafts/scs-critical-raw-materials.yaml"
check_change IC-0004/1-drafted 'none -> draft' '' \
    dipb recommend --from "$drafts/ic-energetics-capacity.yaml" --no-edit
check_eq '--from: a higher classification is kept' 'NATO RESTRICTED' \
    "$(field IC-0004 classification)"
check_eq '--from: priority is kept' high "$(field IC-0004 priority)"

check_change SI-0002/1-drafted 'none -> draft' 'SI-0002: drafted by Dan Drafter' \
    dipb recommend --from "$drafts/ic-workforce-skills.yaml" \
    --wg standardisation-interoperability --title 'Overridden title' \
    --summary 'Overridden summary.' --no-edit
check_eq '--wg wins over the file' standardisation-interoperability \
    "$(field SI-0002 working_group)"
check_eq '--title wins over the file' 'Overridden title' "$(field SI-0002 title)"
check_eq '--summary wins over the file' 'Overridden summary.' \
    "$(jshow SI-0002 'd["summary"]')"
check_eq 'the rest comes from the file' workforce \
    "$(jshow SI-0002 'd["topics"][0]')"

# Every example draft is accepted.
for f in "$drafts"/*.yaml; do
	check "examples/drafts/${f##*/} is accepted" \
	    dipb recommend --from "$f" --no-edit
done
check_fsck

# --- refusals: nothing written ---------------------------------------------------------
check_refused 2 '' 'no summary and no terminal: exit 2' \
    dipb recommend --wg industrial-capacity --title 'No summary'
check_refused 2 '' 'no title: exit 2' \
    dipb recommend --wg industrial-capacity --summary 'No title.'
check_refused 2 'must give a working group, a title and a summary' \
    'a summary of blanks is no summary: exit 2' \
    dipb recommend --wg industrial-capacity --title 'Blank' --summary '  ' --no-edit
check_refused 2 'must give a working group, a title and a summary' \
    'a title of blanks is no title: exit 2' \
    dipb recommend --wg industrial-capacity --title '   ' --summary 'S.' --no-edit
check_refused 2 '' 'no working group: exit 2' \
    dipb recommend --title 'No group' --summary 'S.'
check_refused nonzero '' 'an unknown working group is refused' \
    dipb recommend --wg logistics --title T --summary S
check_refused 2 '' 'an unknown option: exit 2' \
    dipb recommend --wg industrial-capacity --title T --summary S --colour
check_refused nonzero '' '--from a missing file is refused' \
    dipb recommend --from "$TROOT/no-such-draft.yaml" --no-edit

printf 'title: Broken\nworking_group: industrial-capacity\nsummary: |\n  Text.\ntopics: [a, b\n' \
    >"$TROOT/broken.yaml"
check_refused 1 '' '--from a file with a YAML error: exit 1' \
    dipb recommend --from "$TROOT/broken.yaml" --no-edit
check_err_re 'the error is path:line:col: error:' \
    'broken\.yaml:[0-9]+:[0-9]+: error: '

printf 'title: Bad priority\nworking_group: industrial-capacity\npriority: urgent\nsummary: |\n  Text.\n' \
    >"$TROOT/badprio.yaml"
check_refused 1 '' '--from a file with priority urgent: exit 1' \
    dipb recommend --from "$TROOT/badprio.yaml" --no-edit
check_err_re 'the error points at line 3' 'badprio\.yaml:3:[0-9]+: error: '

# An owner written as an email address is a member (dipb-validate(1),
# member), any other owner free text: said at the line and column of its
# owner: (dipb-validate(1)), not of its action's first key.
printf 'title: Owners\nworking_group: industrial-capacity\nsummary: S.\nactions:\n  - text: A\n    owner: National Armaments Directors\n  - text: B\n    owner: otto@example.org\n' \
    >"$TROOT/owner.yaml"
check_refused 1 "owner.yaml:8:12: error: action 2's owner 'otto@example.org' is not a member of the board [member]" \
    '--from a file with an owner who is no member: exit 1, at its line and column' \
    dipb recommend --from "$TROOT/owner.yaml" --no-edit

# A working group the file gives is the file's problem: exit 1, at its
# line and column (--wg's own is a usage error).
printf 'title: Bad group\nworking_group: logistics\nsummary: |\n  Text.\n' \
    >"$TROOT/badgroup.yaml"
check_refused 1 "badgroup.yaml:2:16: error: unknown working group 'logistics'" \
    '--from a file with an unknown working group: exit 1, at its line and column' \
    dipb recommend --from "$TROOT/badgroup.yaml" --no-edit
# ... said with every other problem the board finds in the file, as the
# editor's draft says them (dipb-recommend(1)).
printf 'title: Bad group\nworking_group: logistics\nclassification: SECRET\nsummary: |\n  Text.\nactions:\n  - owner: otto@example.org\n    text: A\n' \
    >"$TROOT/badall.yaml"
check_refused 1 "badall.yaml:2:16: error: unknown working group 'logistics' [working-group]" \
    '--from: an unknown working group, a level and an owner: exit 1, the group at its line' \
    dipb recommend --from "$TROOT/badall.yaml" --no-edit
check_err '  the unknown level with it' \
    "badall.yaml:3:17: error: unknown classification 'SECRET' [classification]"
check_err '  the owner who is no member with it' \
    "badall.yaml:7:12: error: action 1's owner 'otto@example.org' is not a member of the board [member]"
check_err '  and the groups the board knows' \
    "unknown working group 'logistics' (known: "
sedit "$TROOT/badgroup.yaml" 's/logistics/industrial-capacity/'
check_refused 2 "unknown working group 'logistics'" \
    '--wg logistics over a file with a known one: exit 2' \
    dipb recommend --from "$TROOT/badgroup.yaml" --wg logistics --no-edit

printf 'title: Bad class\nworking_group: industrial-capacity\nclassification: COSMIC TOP SECRET\nsummary: |\n  Text.\n' \
    >"$TROOT/badclass.yaml"
check_refused 1 '' '--from a classification unknown to dipb.yaml: exit 1' \
    dipb recommend --from "$TROOT/badclass.yaml" --no-edit
check_err_re 'the error points at line 3' 'badclass\.yaml:3:[0-9]+: error: '

# Every problem the board finds in a file is said at once, at its lines
# of the file as written, as dipb validate says them.
printf '# a draft\ntitle: Both\nsummary: |\n  Text.\nactions:\n  - owner: otto@example.org\n    text: A\nclassification: SECRET\nworking_group: industrial-capacity\n' \
    >"$TROOT/both.yaml"
check_refused 1 "both.yaml:8:17: error: unknown classification 'SECRET' [classification]" \
    '--from: an unknown level and an owner who is no member, both said: the level' \
    dipb recommend --from "$TROOT/both.yaml" --no-edit
check_err '  and the owner, at its line and column' \
    "both.yaml:6:12: error: action 1's owner 'otto@example.org' is not a member of the board [member]"

# ... and with what the loader refuses of the file (an unknown key, an
# action's state) or a control character, not the board's problems only
# on the next run (dipb-recommend(1), --from).
printf 'title: Keys\nworking_group: industrial-capacity\nclassification: SECRET\nsummary: S.\nrationle: R.\nactions:\n  - text: A\n    owner: otto@example.org\n    state: done\n' \
    >"$TROOT/keys.yaml"
check_refused 1 "keys.yaml:5:1: error: unknown key 'rationle'" \
    '--from: an unknown key, an action state, a level, an owner: the key' \
    dipb recommend --from "$TROOT/keys.yaml" --no-edit
check_err '  the action state with it' 'keys.yaml:9:5: error: '
check_err '  the unknown level with it' \
    "keys.yaml:3:17: error: unknown classification 'SECRET' [classification]"
check_err '  the owner who is no member with it' \
    "keys.yaml:8:12: error: action 1's owner 'otto@example.org' is not a member of the board [member]"
printf 'title: "T\\u0007"\nworking_group: industrial-capacity\nclassification: SECRET\nsummary: S.\n' \
    >"$TROOT/ctl.yaml"
check_refused 1 "ctl.yaml:3:17: error: unknown classification 'SECRET' [classification]" \
    '--from: a control character and an unknown level: the level' \
    dipb recommend --from "$TROOT/ctl.yaml" --no-edit
check_err '  the control character with it' '[control-character]'
# An unknown --wg over a file refused is the option's, said once the
# file is right: no line of the file for it.
check_refused 1 "keys.yaml:5:1: error: unknown key 'rationle'" \
    '--from a refused file with an unknown --wg: the file first' \
    dipb recommend --from "$TROOT/keys.yaml" --wg logistics --no-edit
check_eq '  nothing said of --wg' 0 "$(grep -c logistics "$ERR")"

# --- dipb runs no git hooks ------------------------------------------------------
for h in pre-commit prepare-commit-msg commit-msg post-commit \
    reference-transaction; do
	printf '#!/bin/sh\necho %s >>"%s"\n' "$h" "$TROOT/hooks-ran" \
	    >".git/hooks/$h"
	chmod +x ".git/hooks/$h"
done
# The hooks work: git runs them.
git hook run pre-commit 2>/dev/null
check 'the test hooks run under git' test -s "$TROOT/hooks-ran"
rm -f "$TROOT/hooks-ran"
check_change IC-0008/1-drafted 'none -> draft' '' \
    dipb recommend --wg industrial-capacity --title 'No hooks' --summary S
check 'dipb ran no hook' test ! -e "$TROOT/hooks-ran"
rm -f .git/hooks/*

# --- dates come from GIT_AUTHOR_DATE / GIT_COMMITTER_DATE ---------------------------
# The commits so far are of today: the commit and the tag are dated no
# earlier than their parent (dipb-git(7), "Commit dates").
parent=$(git log -1 --format=%cd --date=short)
at 2026-03-04
check_change IC-0009/1-drafted 'none -> draft' '' \
    dipb recommend --wg industrial-capacity --title 'Dated' --summary S
check_eq 'created is the date of GIT_COMMITTER_DATE' 2026-03-04 \
    "$(field IC-0009 created)"
check_out 'the commit has that author date, and its parent'"'"'s commit date' \
    "2026-03-04 $parent" git log -1 --format='%ad %cd' --date=short
check_out 'the tag has the commit date' "$parent" \
    git for-each-ref --format='%(taggerdate:short)' refs/tags/IC-0009/1-drafted
today

# --- --summary - from a file with CRLF line ends ---------------------------------------
# The summary keeps LF: a CR is a control character, which dipb validate
# refuses in a record (dipb-validate(1), control-character).
printf 'A summary with CRLF,\r\nover two lines.\r\n' >"$TROOT/crlf.md"
STDIN=$TROOT/crlf.md
check_change IC-0010/1-drafted 'none -> draft' '' \
    dipb recommend --wg industrial-capacity --title 'CRLF' --summary -
unset STDIN
check_eq '--summary - with CRLF: LF line ends' \
    '"A summary with CRLF,\nover two lines.\n"' \
    "$(jshow IC-0010 'json.dumps(d["summary"])')"
check_status 0 'dipb validate takes the record' \
    dipb validate recommendations/IC-0010.yaml

# --- --from: an action's state and its moves are not the drafter's -----------------
# dipb action sets them (dipb-record(5)): a drafted action is open, its
# due date never moved; dipb verify would report the drafted change.
mkdir -p "$TROOT/drafts"
cat >"$TROOT/drafts/done.yaml" <<'EOF2'
title: Done already
working_group: industrial-capacity
summary: S
actions:
  - text: Publish it
    owner: National Armaments Directors
    state: done
EOF2
cat >"$TROOT/drafts/moved.yaml" <<'EOF2'
title: Moved already
working_group: industrial-capacity
summary: S
actions:
  - text: Publish it
    owner: National Armaments Directors
    due: 2027-01-31
    rescheduled:
      - from: 2027-01-31
        to: 2027-06-30
        date: 2026-03-04
        by: secretary@example.org
        reason: Agreed.
EOF2
check_refused 1 "$TROOT/drafts/done.yaml:7:5: error: " \
    '--from: an action done: exit 1, at its line and column, nothing written' \
    dipb recommend --from "$TROOT/drafts/done.yaml" --no-edit
check_err 'the rule is input-key' '[input-key]'
check_refused 1 "$TROOT/drafts/moved.yaml:8:5: error: " \
    '--from: an action with moves of its due date: exit 1, nothing written' \
    dipb recommend --from "$TROOT/drafts/moved.yaml" --no-edit
check_status 1 'dipb validate refuses both drafts as recommend does' \
    dipb validate "$TROOT/drafts/done.yaml" "$TROOT/drafts/moved.yaml"
check_file_has 'validate: the action done' "$OUT" 'drafts/done\.yaml:7:5: error: .*\[input-key\]$'
check_file_has 'validate: the moves' "$OUT" 'drafts/moved\.yaml:8:5: error: .*\[input-key\]$'
sedit "$TROOT/drafts/done.yaml" 's/state: done/state: open/'
check_change IC-0011/1-drafted 'none -> draft' '' \
    dipb recommend --from "$TROOT/drafts/done.yaml" --no-edit
verify_clean 'dipb verify: every drafted change is the drafter'"'"'s'

# --from with --summary -: the option's summary, not the file's (which
# was leaked, not freed: the sanitizer build says so).
printf 'title: From a file\nworking_group: industrial-capacity\nsummary: The file.\n' \
    >"$TROOT/withsum.yaml"
printf 'From stdin instead.\n' >"$TROOT/instead.md"
STDIN=$TROOT/instead.md
check_change IC-0012/1-drafted 'none -> draft' '' \
    dipb recommend --from "$TROOT/withsum.yaml" --summary - --no-edit
unset STDIN
check_eq '--from with --summary -: the summary is stdin' \
    'From stdin instead.' "$(jshow IC-0012 'd["summary"]')"

# --from - on a pipe its writer made non-blocking (Node.js and some CI
# runners hand one on), the text coming late: dipb waits for it, as
# git's xread does (exit 5, "Resource temporarily unavailable", before).
printf 'title: Late\nworking_group: industrial-capacity\nsummary: Late.\n' \
    >"$TROOT/late.yaml"
run python3 -c '
import fcntl, os, subprocess, sys, time
r, w = os.pipe()
fcntl.fcntl(r, fcntl.F_SETFL, fcntl.fcntl(r, fcntl.F_GETFL) | os.O_NONBLOCK)
p = subprocess.Popen(sys.argv[2:], stdin=r)
os.close(r)
time.sleep(0.3)
os.write(w, open(sys.argv[1], "rb").read())
os.close(w)
sys.exit(p.wait())' "$TROOT/late.yaml" dipb recommend --from - --no-edit
check_eq '--from - on a non-blocking pipe written late: drafted' \
    '0 Late' "$RC $(jshow IC-0013 'd["title"]' 2>/dev/null)"

# SIGCHLD ignored by the parent survives exec: the editor's exit status
# must still be read (waitpid failed with ECHILD, exit 5, before).
cat >"$TROOT/ed-retitle" <<'ED'
#!/bin/sh
sed 's/^title: .*/title: Edited with SIGCHLD ignored/' "$1" >"$1.tmp" &&
    cat "$1.tmp" >"$1" && rm -f "$1.tmp"
ED
chmod +x "$TROOT/ed-retitle"
run env EDITOR="$TROOT/ed-retitle" python3 -c '
import os, signal, sys
signal.signal(signal.SIGCHLD, signal.SIG_IGN)
os.execvp(sys.argv[1], sys.argv[1:])' dipb edit IC-0012
check_eq 'edit with SIGCHLD ignored by the parent: committed' \
    '0 Edited with SIGCHLD ignored' "$RC $(jshow IC-0012 'd["title"]')"

# --- A bidirectional control: written, with validate's warning ------------------
# dipb-validate(1), bidi: the title reads in another order than written.
# The change that adds it says so; a later one that keeps it does not.
rlo=$(printf '\342\200\256')
run dipb recommend --wg industrial-capacity --title "Buy ${rlo}seltsim" \
    --summary S
id=$(cat "$OUT")
check_eq 'a title with U+202E is written' "0 IC-" "$RC $(printf %.3s "$id")"
check_err 'recommend warns of it, at its line' \
    "recommendations/$id.yaml:2:1: warning: 'title' holds a bidirectional control, U+202E, at character 5: it is shown in another order than written [bidi]"
sedit "recommendations/$id.yaml" 's/^summary: .*/summary: Another/'
run dipb edit "$id" --no-edit
if [ "$RC" -eq 0 ] && ! grep -q bidi "$ERR"; then
	ok 'an edit that keeps the title says nothing of it'
else
	not_ok 'an edit that keeps the title says nothing of it' "$(_said)"
fi
sedit "recommendations/$id.yaml" "s/^summary: .*/summary: Mo${rlo}re/"
run dipb edit "$id" --no-edit
check_err 'an edit that adds one to the summary warns of that one' \
    "recommendations/$id.yaml:$(grep -n '^summary:' "recommendations/$id.yaml" | cut -d: -f1):1: warning: 'summary' holds a bidirectional control, U+202E, at character 3"

# --- a second byte order mark is text ---------------------------------------------
# The first of --summary -'s byte order marks is dropped, a second one is
# a character the user wrote and is kept, as U+FEFF further on would be.
printf '\357\273\277\357\273\277Twice.\n' >"$TROOT/bom2.md"
STDIN=$TROOT/bom2.md
run dipb recommend --wg industrial-capacity --title 'Two marks' --summary -
unset STDIN
id=$(cat "$OUT")
check_eq '--summary - with two byte order marks: one U+FEFF kept' \
    "0 '\\ufeffTwice.\\n'" \
    "$RC $(git show "HEAD:recommendations/$id.yaml" | python3 -c '
import sys, yaml
print(ascii(yaml.safe_load(sys.stdin)["summary"]))')"

check_fsck
check_history 'every commit has one tag, every tag is on the branch'
finish

#!/bin/sh
# tests/cli/terminal.sh - terminal manners: colour only on a terminal and
# never with NO_COLOR or TERM=dumb (dipb(1), ENVIRONMENT), --color, a table
# on a terminal and tab-separated fields otherwise, quiet on a broken pipe,
# an unknown command.
#
# dipb gets a real terminal from script(1) (util-linux), else from python3's
# pty module; with neither, the terminal checks are skipped, and counted
# as skipped.  The colour checks look for the escapes themselves: the
# bold header of 'dipb list' (ESC[1m ... ESC[0m) and the yellow tags of
# 'dipb log' (ESC[33m ... ESC[0m), and for no ESC byte at all where colour
# is off.  Then text from records, commits, tags, file names and
# warnings: shown, never obeyed.
. "$(dirname "$0")/lib.sh"

esc=$(printf '\033')
cr=$(printf '\r')
new_board term
as drafter
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
	mkrec industrial-capacity "Record $i" >/dev/null
done

# The bold header of the table, and a yellow tag of the log, exactly.
head_re="^${esc}\\[1mID +STATUS +WORKING-GROUP +PRIORITY +TITLE${esc}\\[0m\$"
tag_re="^[0-9]{4}-[0-9]{2}-[0-9]{2}  ${esc}\\[33mIC-0012/1-drafted *${esc}\\[0m  none -> draft  "

# _quote ARG: ARG as one word for sh -c.
_quote() {
	printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"
}

if command -v script >/dev/null 2>&1 &&
    script -qec 'test -t 1' /dev/null </dev/null >/dev/null 2>&1; then
	TTY=script
elif python3 -c 'import pty, sys; sys.exit(pty.spawn(["test", "-t", "1"]) != 0)' \
    </dev/null >/dev/null 2>&1; then
	TTY=python3
else
	TTY=
fi

# on_tty ENV-ARG...: runs 'env ENV-ARG...' (assignments, -u NAME, then the
# command) with a terminal as its stdout and stderr; what it wrote is in
# $TROOT/tty, the terminal's carriage returns removed, its exit status in
# RC.
on_tty() {
	case $TTY in
	script)
		_c=env
		for _a in "$@"; do
			_c="$_c $(_quote "$_a")"
		done
		SHELL=/bin/sh script -qec "$_c" /dev/null </dev/null \
		    >"$TROOT/tty.raw" 2>&1
		RC=$? ;;
	python3)
		python3 -c '
import os, pty, sys
st = pty.spawn(["env"] + sys.argv[1:])
sys.exit(os.waitstatus_to_exitcode(st))' "$@" </dev/null \
		    >"$TROOT/tty.raw" 2>&1
		RC=$? ;;
	esac
	tr -d "$cr" <"$TROOT/tty.raw" >"$TROOT/tty"
}

# tty_check DESC ERE: the last on_tty command exited 0 and a line of its
# output matches ERE.  tty_check_any DESC ERE: a line matches, whatever
# the exit status.  tty_check_no DESC ERE: it exited 0 and no line does.
tty_check() {
	if [ "$RC" -eq 0 ] && grep -E -q -e "$2" "$TROOT/tty"; then
		ok "$1"
	else
		not_ok "$1" "exit status $RC; no line matches: $2" \
		    "$(head -n 5 "$TROOT/tty" | od -c | head -n 10)"
	fi
}
tty_check_any() {
	if grep -E -q -e "$2" "$TROOT/tty"; then
		ok "$1"
	else
		not_ok "$1" "exit status $RC; no line matches: $2" \
		    "$(head -n 5 "$TROOT/tty")"
	fi
}
tty_check_no() {
	if [ "$RC" -eq 0 ] && ! grep -E -q -e "$2" "$TROOT/tty"; then
		ok "$1"
	else
		not_ok "$1" "exit status $RC; a line matches: $2" \
		    "$(grep -E -e "$2" "$TROOT/tty" | head -n 3 | od -c | head -n 10)"
	fi
}

# The header of the table, without colour.
plain_head='^ID +STATUS +WORKING-GROUP +PRIORITY +TITLE$'

if [ -n "$TTY" ]; then
	echo "# a terminal from $TTY"
	on_tty -u NO_COLOR TERM=xterm sh -c 'test -t 1 && test -t 2'
	check_eq "$TTY gives the command a terminal on stdout and stderr" 0 "$RC"

	on_tty -u NO_COLOR TERM=xterm dipb list
	tty_check 'on a terminal, with TERM=xterm: a bold header (ESC[1m ... ESC[0m)' \
	    "$head_re"
	tty_check 'on a terminal: the rows are aligned, not tab-separated' \
	    '^IC-0001  draft   industrial-capacity  medium    Record 1$'
	check_eq 'on a terminal: ESC only in the header' 2 \
	    "$(tr -cd "$esc" <"$TROOT/tty" | wc -c | tr -d ' ')"
	on_tty -u NO_COLOR TERM=xterm dipb log
	tty_check 'on a terminal, dipb log: each tag yellow (ESC[33m ... ESC[0m)' \
	    "$tag_re"
	on_tty -u NO_COLOR TERM=xterm dipb --color=auto list
	tty_check '--color=auto on a terminal: colour' "$head_re"
	on_tty NO_COLOR= TERM=xterm dipb list
	tty_check 'an empty NO_COLOR does not turn colour off' "$head_re"

	for how in 'NO_COLOR=1 TERM=xterm' '-u NO_COLOR TERM=dumb' \
	    '-u NO_COLOR -u TERM' 'NO_COLOR=1 TERM=dumb'; do
		# shellcheck disable=SC2086 # $how is a list of env arguments
		on_tty $how dipb list
		tty_check_no "env $how, on a terminal: no colour" "$esc"
		tty_check "env $how, on a terminal: still the table's header" \
		    "$plain_head"
		# shellcheck disable=SC2086
		on_tty $how dipb log
		tty_check_no "env $how, dipb log on a terminal: no colour" "$esc"
	done
	on_tty -u NO_COLOR TERM=xterm dipb --color=never list
	tty_check_no '--color=never on a terminal: no colour' "$esc"
	tty_check '--color=never on a terminal: still the header' "$plain_head"
	on_tty -u NO_COLOR TERM=xterm dipb --color=never log
	tty_check_no '--color=never, dipb log on a terminal: no colour' "$esc"
	on_tty NO_COLOR=1 TERM=dumb dipb --color=always list
	tty_check '--color=always beats NO_COLOR and TERM=dumb' "$head_re"

	# Indented on a terminal, a level two spaces, as python3 (and
	# jansson) indent the same value: each record is made into text on
	# its own (cmd_list.c), the array around them too.
	on_tty dipb list --format json
	check 'list --format json on a terminal: laid out as json.dumps(indent=2)' \
	    python3 -c '
import json, sys
t = open(sys.argv[1], encoding="utf-8").read()
v = json.loads(t)
assert len(v) >= 2, v
want = json.dumps(v, indent=2, ensure_ascii=False) + "\n"
assert t == want, (t[:200], want[:200])' "$TROOT/tty"
	on_tty dipb list --format json --grep no-such-text
	tty_check 'list --format json on a terminal, no record taken: []' '^\[\]$'
else
	for d in 'a bold header on a terminal' 'yellow tags of dipb log on a terminal' \
	    'no colour on a terminal with NO_COLOR, TERM=dumb, --color=never' \
	    'list --format json indented on a terminal'; do
		skip "$d" 'no script(1) and no python3 pty module to give dipb a terminal'
	done
fi

# In a pipe: no colour unless asked, and no header.
unset NO_COLOR
TERM=xterm
export TERM
check 'in a pipe, no header' sh -c 'dipb list | grep -q STATUS; test $? -eq 1'
check_out 'in a pipe, tab-separated fields' \
    "IC-0001	draft	industrial-capacity	medium	Record 1" \
    sh -c 'dipb list | head -n 1'
# piped CMD...: runs CMD with stdout into a pipe; what it wrote in
# $TROOT/piped.
piped() {
	run sh -c '"$@" | cat' sh "$@"
	cp "$OUT" "$TROOT/piped"
}
piped dipb list
check 'in a pipe, with TERM=xterm and no NO_COLOR: no colour (dipb list)' \
    sh -c '! grep -q "$1" "$2" && grep -q "Record 12" "$2"' sh "$esc" \
    "$TROOT/piped"
piped dipb log
check 'in a pipe, with TERM=xterm and no NO_COLOR: no colour (dipb log)' \
    sh -c '! grep -q "$1" "$2" && grep -q IC-0012/1-drafted "$2"' sh \
    "$esc" "$TROOT/piped"
piped dipb --color=always log
check 'in a pipe, --color=always gives colour: the yellow tags of dipb log' \
    grep -E -q -e "$tag_re" "$TROOT/piped"
# A table in a pipe has no header: nothing to colour, and its fields stay
# as scripts read them.
piped dipb --color=always list
check_eq 'in a pipe, --color=always: dipb list is still tab-separated, no ESC' \
    "IC-0001	draft	industrial-capacity	medium	Record 1" \
    "$(head -n 1 "$TROOT/piped")"
NO_COLOR=1
export NO_COLOR
piped dipb --color=always log
check 'in a pipe, --color=always beats NO_COLOR' \
    grep -E -q -e "$tag_re" "$TROOT/piped"
check_status 2 '--color with a bad value is a usage error' \
    dipb --color=sometimes list

# Quiet on a broken pipe: the reader went away on purpose.  The reader
# closes the pipe before dipb starts (the writer waits for it), so that
# every write fails: dipb dies of SIGPIPE, or, where SIGPIPE is ignored (as
# under some CI runners and daemons), gets EPIPE, and says nothing.
# broken_pipe [ignore] CMD...: runs CMD into a closed pipe; its exit status
# and stderr in $TROOT/pipe.rc and $TROOT/pipe.err.
broken_pipe() {
	_ign=
	[ "$1" = ignore ] && { _ign=PIPE; shift; }
	rm -f "$TROOT/pipe.closed"
	{
		[ -z "$_ign" ] || trap '' PIPE
		while [ ! -e "$TROOT/pipe.closed" ]; do sleep 0.01; done
		"$@" 2>"$TROOT/pipe.err"
		echo $? >"$TROOT/pipe.rc"
	} | {
		exec <&-
		touch "$TROOT/pipe.closed"
	}
}
for cmd in 'dipb list' 'dipb list --format json' 'dipb log'; do
	# shellcheck disable=SC2086 # $cmd is a command and its arguments
	broken_pipe $cmd
	check_eq "$cmd into a closed pipe: killed by SIGPIPE, nothing said" \
	    '141 ' "$(cat "$TROOT/pipe.rc") $(cat "$TROOT/pipe.err")"
	# shellcheck disable=SC2086
	broken_pipe ignore $cmd
	rc=$(cat "$TROOT/pipe.rc")
	check_eq "$cmd into a closed pipe, SIGPIPE ignored: EPIPE, an error exit, nothing said" \
	    'error ' "$([ "$rc" -ne 0 ] && [ "$rc" -lt 128 ] && echo error || echo "exit $rc") $(cat "$TROOT/pipe.err")"
done

# A full disk is no success (dipb(1), EXIT STATUS), for --help and
# --version as for a command's data.
for args in --help --version 'list --help' list; do
	# shellcheck disable=SC2086 # the words of args
	check_status 5 "dipb $args to a full disk: exit 5" \
	    sh -c 'dipb "$@" >/dev/full' sh $args
	check_err "dipb $args to a full disk: says so" \
	    'write error on standard output'
done
# Findings too: validate's lines lost are an I/O error (5), not the
# findings' 1, in every format (sarif and junit said so already).
printf 'id: IC-0002\n' >"$TROOT/IC-0003.yaml"
for f in gcc json github sarif; do
	check_status 5 "dipb validate --format $f with problems, to a full disk: exit 5" \
	    sh -c 'dipb validate --format "$1" "$2" >/dev/full' sh "$f" \
	    "$TROOT/IC-0003.yaml"
	check_err "dipb validate --format $f to a full disk: says so" \
	    'write error on standard output'
done

# --- text from records, commits and tags never reaches a terminal raw ------
# A title, a summary, a review comment and a commit (and tag) message that
# carry ESC[2J (clear the screen), OSC 52 (write the clipboard) and the C1
# CSI (U+009B, as ESC [): every command that shows them prints no control
# byte but newline and tab (dipb-validate(1), control-character), and
# still shows the rest of the text.  dipb writes none into a record (see
# below): the record's are made by git (hostile, lib.sh), as a commit made
# by hand or by an older dipb has them, and so is the message of a review
# request, which dipb refuses too (review.sh).
new_board ctl
ESC=$esc
CSI=$(printf '\302\233')
OSC="${ESC}]52;c;ZXZpbA==$(printf '\007')"
at 2026-03-02
as drafter
dipb recommend --wg industrial-capacity \
    --title "Clear @ESC@[2J now @CSI@31m" \
    --summary "Summary @ESC@]52;c;ZXZpbA==@BEL@ end
second @CSI@2J line" --no-edit >/dev/null 2>&1
hostile IC-0001
check 'oracle: the record holds ESC and C1 CSI, as git committed it' \
    sh -c 'git show HEAD:recommendations/IC-0001.yaml |
    grep -q -x -F "title: \"Clear \\e[2J now \\x9b31m\""'
check 'a record that holds them already can still move' \
    dipb review IC-0001 --request -m "Please @ESC@[2J review @CSI@1m"
hostile IC-0001		# its message, as git commit would take it
at 2026-03-03
as rev1
dipb review IC-0001 --request-changes \
    -m "Comment @ESC@]52;c;ZXZpbA==@BEL@ and @ESC@[2J" 2>/dev/null
hostile IC-0001
check 'oracle: the commit message holds ESC and C1 CSI raw' sh -c \
    'git log -1 --format=%B HEAD~1 | grep -q "$1\[2J review $2"' sh "$ESC" "$CSI"
# no_control DESC CMD...: CMD exits 0 or 1 (an invalid record left out is
# not the point here) and prints no C0 control but \n and \t, no DEL, no
# C1 control (raw or UTF-8), no bidirectional control (U+202A to U+202E,
# U+2066 to U+2069, U+200E, U+200F, U+061C: "Trojan Source"), yet the
# visible rest: $VISIBLE ("2J" unless set).
no_control() {
	_d=$1
	shift
	run "$@"
	if [ "$RC" -le 1 ] && python3 -c '
import sys
b = open(sys.argv[1], "rb").read()
bad = [c for c in b if (c < 0x20 and c not in (9, 10)) or c == 0x7f]
s = b.decode("utf-8", "replace")
c1 = [ch for ch in s if 0x80 <= ord(ch) <= 0x9f]
bidi = [ch for ch in s if ord(ch) in (0x61c, 0x200e, 0x200f) or
    0x202a <= ord(ch) <= 0x202e or 0x2066 <= ord(ch) <= 0x2069]
sys.exit(1 if bad or c1 or bidi or sys.argv[2].encode() not in b else 0)
' "$OUT" "${VISIBLE:-2J}"; then
		ok "$_d"
	else
		not_ok "$_d" "exit status $RC; control bytes in:" \
		    "$(od -An -c "$OUT" | grep -E ' 033 | 302 2| 007 | 177 | 342 200| 342 201| 330 234' |
		    head -n 5)"
	fi
}
# readers_none PREFIX: no_control of what every reading command prints of
# IC-0001 and of the meetings since 2026-03-01 but YAML and the text of
# dipb list, in every format; PREFIX before each DESC.
readers_none() {
	no_control "${1}list --format json: none raw" dipb list --format json
	for f in json markdown html; do
		no_control "${1}show --format $f: none raw" \
		    dipb show IC-0001 --format "$f"
	done
	no_control "${1}log: none" dipb log
	no_control "${1}log IC-0001: none" dipb log IC-0001
	no_control "${1}log --format json: none raw" dipb log --format json
	for f in markdown html json man latex; do
		no_control "${1}report status --format $f: none raw" \
		    dipb report status --format "$f"
		no_control "${1}report minutes --format $f: none raw" \
		    dipb report minutes --since 2026-03-01 --format "$f"
	done
}
no_control 'list: no control character' dipb list
cp "$OUT" "$TROOT/list.first"
no_control 'list, a second time (from its records cache): none' dipb list
check_eq 'list, a second time: the same lines' \
    "$(cat "$TROOT/list.first")" "$(cat "$OUT")"
no_control 'show: none (YAML quotes them)' dipb show IC-0001
readers_none ''
run dipb list --format json
cp "$OUT" "$TROOT/ctl.json"
check 'list --format json: the value itself is kept (ESC read back)' \
    python3 -c '
import json, sys
t = json.load(open(sys.argv[1]))[0]["title"]
assert t == "Clear \x1b[2J now \x9b31m", repr(t)
' "$TROOT/ctl.json"
run dipb report minutes --since 2026-03-01 --format markdown
cp "$OUT" "$TROOT/ctl.md"
check 'report minutes: the comment shown, ESC as ?' \
    grep -q -F 'Comment ?\]52;c;ZXZpbA==? and ?\[2J' "$TROOT/ctl.md"
run dipb show IC-0001 --format markdown
cp "$OUT" "$TROOT/ctl.md"
check 'show --format markdown: the summary keeps its two lines' \
    sh -c 'grep -q -x -F "Summary ?\]52;c;ZXZpbA==? end" "$1" &&
    grep -q -x -F "second ?2J line" "$1"' sh "$TROOT/ctl.md"
if [ -n "$TTY" ]; then
	on_tty -u NO_COLOR TERM=dumb dipb list
	tty_check_no 'list on a terminal: no ESC from the title' "$esc"
	tty_check 'list on a terminal: the title shown, ESC as ?' \
	    'Clear \?\[2J now \?31m$'
	on_tty -u NO_COLOR TERM=dumb dipb log
	tty_check_no 'log on a terminal: no ESC from a commit message' "$esc"
else
	skip 'list and log on a terminal: no ESC from records and commits' \
	    'no script(1) and no python3 pty module to give dipb a terminal'
fi

# --- bidirectional controls are shown, never obeyed ------------------------
# A title, a summary, a review comment, a reply and a meeting's title and
# notes that carry each bidirectional control ("Trojan Source": RLO and
# the other embeddings, overrides and isolates, and the marks LRM, RLM
# and ALM), which dipb writes with a warning (dipb-validate(1), bidi):
# every text and Markdown or HTML output shows each as '?', as it shows a
# C1 control; JSON escapes it ("\u202E") and keeps the value; YAML, as
# stored, keeps the bytes, as git show does.
new_board bidi
rlo=$(printf '\342\200\256') lre=$(printf '\342\200\252')
pdf=$(printf '\342\200\254') lri=$(printf '\342\201\246')
pdi=$(printf '\342\201\251') lrm=$(printf '\342\200\216')
rlm=$(printf '\342\200\217') alm=$(printf '\330\234')
at 2026-03-02
as drafter
run dipb recommend --wg industrial-capacity --no-edit \
    --title "Pay ${rlo}0001 ${pdf}EUR" \
    --summary "Summary ${lri}isolated${pdi} and ${lre}embedded${pdf}."
check_eq 'bidi: recommend writes a title and a summary that hold them' \
    "0 Pay ${rlo}0001 ${pdf}EUR" \
    "$RC $(git show HEAD:recommendations/IC-0001.yaml | sed -n 's/^title: //p')"
run dipb review IC-0001 --request
at 2026-03-03
as rev1
run dipb review IC-0001 --request-changes -m "Comment ${rlm}marked${lrm} and ${alm}arabic."
check_eq 'bidi: review writes a comment with the marks' 0 "$RC"
as secretary
run dipb meeting --date 2026-03-03 --attendee secretary@example.org \
    --title "Minutes ${rlo}x" -m "Notes ${lri}held${pdi} ${rlm}here."
check_eq 'bidi: meeting writes a title and notes that hold them' 0 "$RC"
VISIBLE=0001
no_control 'bidi: list shows none' dipb list
no_control 'bidi: todo shows none' dipb todo --member dan@example.org
readers_none 'bidi: '
unset VISIBLE
run dipb show IC-0001 --format markdown
cp "$OUT" "$TROOT/bidi.md"
check 'bidi: show --format markdown: the title and summary, each as ?' \
    sh -c 'grep -q -F "Pay ?0001 ?EUR" "$1" &&
    grep -q -F "Summary ?isolated? and ?embedded?." "$1"' sh "$TROOT/bidi.md"
check 'bidi: show --format markdown: the comment, the marks as ?' \
    grep -q -F 'Comment ?marked? and ?arabic.' "$TROOT/bidi.md"
run dipb log IC-0001
cp "$OUT" "$TROOT/bidi.log"
check 'bidi: log IC-0001: the comment, the marks as ?' \
    grep -q -F 'Comment ?marked? and ?arabic.' "$TROOT/bidi.log"
run dipb report minutes --since 2026-03-01 --format html
cp "$OUT" "$TROOT/bidi.html"
check 'bidi: report minutes --format html: the meeting notes, each as ?' \
    grep -q -F 'Notes ?held? ?here.' "$TROOT/bidi.html"
run dipb show IC-0001 --format json
cp "$OUT" "$TROOT/bidi.json"
check 'bidi: show --format json: escaped, \u202E' \
    grep -q -F '"Pay \u202E0001 \u202CEUR"' "$TROOT/bidi.json"
check 'bidi: show --format json: the values read back are those written' \
    python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
assert r["title"] == "Pay \u202e0001 \u202cEUR", repr(r["title"])
c = [v["comment"] for v in r["reviews"] if v.get("comment")]
assert [t.strip() for t in c] == ["Comment \u200fmarked\u200e and \u061carabic."], \
    repr(c)
' "$TROOT/bidi.json"
run dipb show IC-0001
check_eq 'bidi: show (YAML) keeps the bytes: git show'"'"'s file' \
    "$(git show HEAD:recommendations/IC-0001.yaml)" "$(sed 1d "$OUT")"
run dipb validate
check_eq 'bidi: validate warns of the marks in the comment, at its review' \
    "recommendations/IC-0001.yaml:$(grep -n -- '- reviewer: rita' \
    recommendations/IC-0001.yaml | cut -d: -f1):5: warning: 'reviews: comment' holds a bidirectional control, U+200F, at character 9: it is shown in another order than written [bidi]" \
    "$(cat "$OUT" "$ERR" | grep 'U+200F')"
# dipb diff shows each as '?' too, as text, with --all and in colour:
# the drafter's edit changes the title, adding ALM.
as drafter
printf '#!/bin/sh\nsed "s/^title: .*0001 /title: Pay %s0002 /" "$1" >"$1.n" && mv "$1.n" "$1"\n' \
    "$alm" >"$TROOT/bidi-editor"
chmod +x "$TROOT/bidi-editor"
EDITOR=$TROOT/bidi-editor run dipb edit IC-0001
check_eq 'bidi: edit writes the title with ALM' "0 Pay ${alm}0002 ${pdf}EUR" \
    "$RC $(field IC-0001 title)"
VISIBLE=0002
no_control 'bidi: diff IC-0001: none' dipb diff IC-0001
check_eq 'bidi: diff IC-0001: the old and new title, each as ?' \
    "-title: Pay ?0001 ?EUR +title: Pay ?0002 ?EUR" \
    "$(grep '^[-+]title' "$OUT" | tr '\n' ' ' | sed 's/ $//')"
no_control 'bidi: diff IC-0001 --all: none' dipb diff IC-0001 --all
run dipb diff IC-0001 1 --all --color=always
cp "$OUT" "$TROOT/bidi.diff"
check 'bidi: diff --all --color=always: none, each as ?' sh -c \
    '! grep -q -e "$2" -e "$3" -e "$4" "$1" && grep -q "Pay ?0002 ?EUR" "$1"' \
    sh "$TROOT/bidi.diff" "$rlo" "$pdf" "$alm"
unset VISIBLE

# --- file names never reach a terminal raw --------------------------------
# A file name is anyone's who pushes: a record and a meeting committed
# under names that carry ESC[2J, OSC 0 (the window's title) and the C1
# CSI.  validate, fmt, list and todo name them in their problems' lines
# (path:line:col, and a message that quotes a path: duplicate-id) with
# '?' for each control character, as verify does (dipb-validate(1)).
new_board ctlname
as drafter
mkrec industrial-capacity 'One' >/dev/null
cp recommendations/IC-0001.yaml "recommendations/IC-${ESC}[2J${CSI}1m.yaml"
mkdir meetings
printf 'date: 2026-03-02\n' >"meetings/${ESC}]0;owned$(printf '\007').yaml"
git add -A && git commit -q -m 'files named by hand'
# no_control_err DESC CMD...: as no_control, on both standard output
# and standard error, and without the "2J" that file names lack.
no_control_err() {
	_d=$1
	shift
	run "$@"
	if [ "$RC" -le 1 ] && { [ -s "$OUT" ] || [ -s "$ERR" ]; } &&
	    python3 -c '
import sys
for f in sys.argv[1:]:
    b = open(f, "rb").read()
    if [c for c in b if (c < 0x20 and c not in (9, 10)) or c == 0x7f]:
        sys.exit(1)
    if [ch for ch in b.decode("utf-8", "replace") if 0x80 <= ord(ch) <= 0x9f]:
        sys.exit(1)
' "$OUT" "$ERR"; then
		ok "$_d"
	else
		not_ok "$_d" "exit status $RC; control bytes in:" \
		    "$(cat "$OUT" "$ERR" | od -An -c | grep -E ' 033 | 302 2| 007 ' |
		    head -n 5)"
	fi
}
no_control_err 'validate: no control character from a file name' dipb validate
cp "$OUT" "$TROOT/names.out"
check 'validate: the file name shown, ESC and CSI as ?' grep -q -F \
    'recommendations/IC-?[2J?1m.yaml:1:1: error:' "$TROOT/names.out"
check 'validate: a path quoted in a message, ESC and CSI as ?' grep -q -F \
    "is also the id of 'recommendations/IC-?[2J?1m.yaml'" "$TROOT/names.out"
check 'validate: the meeting named, ESC and BEL as ?' grep -q -F \
    'meetings/?]0;owned?.yaml:1:1: error:' "$TROOT/names.out"
no_control_err 'validate --canonical: none' dipb validate --canonical .
no_control_err 'fmt --check: none' dipb fmt --check .
# Not in canonical form (a comment): fmt names it on standard output.
{ echo '# a comment'; cat recommendations/IC-0001.yaml; } \
    >"recommendations/IC-${ESC}[2J${CSI}2m.yaml"
no_control_err 'fmt --check, a file to rewrite: its name without control characters' \
    dipb fmt --check .
check_eq 'fmt --check: the name shown, ESC and CSI as ?' \
    'recommendations/IC-?[2J?2m.yaml' "$(grep '2m\.yaml$' "$OUT")"
no_control_err 'fmt: none either' dipb fmt .
no_control_err 'list: none on standard error' dipb list
no_control_err 'todo: none on standard error' dipb todo

# --- warnings never reach a terminal raw ----------------------------------
# A warning quotes git's configuration, git's words or a path: it is
# cleaned as an error is, every control character shown as '?' (dipb(1),
# EXIT STATUS).  maintenance.auto, a value git cannot read as a boolean,
# holding ESC[31m and OSC 0 (the window's title) ended by BEL.
new_board ctlwarn
as drafter
git config maintenance.auto "x${ESC}[31mRED${ESC}]0;pwned$(printf '\007')${CSI}1m"
check 'oracle: git reads the value back with its ESC' sh -c \
    'git config maintenance.auto | grep -q "$1\[31mRED"' sh "$ESC"
no_control_err 'recommend: its warning without a control character' \
    dipb recommend --wg industrial-capacity --title T --summary S
cp "$ERR" "$TROOT/warn.err"
check 'recommend: the warning said, its ESC, BEL and CSI as ?' grep -q -F \
    'x?[31mRED?]0;pwned??1m' "$TROOT/warn.err"
check_eq 'recommend: the warning a line of its own, dipb: warning: first' \
    1 "$(grep -c '^dipb: warning: .*x?\[31mRED' "$TROOT/warn.err")"

# A path in a warning: a board in a folder whose name carries ESC[2J and
# the C1 CSI, its journal unreadable, which the next command discards,
# naming it (dipb-git(7)).
mkdir "$TROOT/ctl${ESC}[2J${CSI}1m"
cd "$TROOT/ctl${ESC}[2J${CSI}1m" && git init -q && as chair &&
    run dipb init --config "$BOARD_CONFIG"
echo 'no journal' >.git/dipb-journal
no_control_err 'list: the warning of a discarded journal, its path without a control character' \
    dipb list
cp "$ERR" "$TROOT/warn.err"
check 'list: the path said, ESC and CSI as ?' grep -q -F \
    "discarding an unreadable journal: '$TROOT/ctl?[2J?1m/.git/dipb-journal'" \
    "$TROOT/warn.err"

# --- dipb writes no control character into a record -----------------------
# What dipb validate refuses in a field (dipb-validate(1), control-character)
# every writing command refuses before anything is written: text given in
# an option as a usage error naming the option and the character (exit 2),
# text read from a file as that file's, at its line and column (exit 1).
# git is the oracle of "nothing written" (check_refused: HEAD, every ref
# and tag, git status).  What validate takes (newline and tab in Markdown,
# CRLF line ends) dipb writes, and validate passes the board it wrote.
new_board noctl
at 2026-03-02
as drafter
nl='
' tab=$(printf '\t')
check_refused 2 '--title: control character U+000A at character 2' \
    'recommend --title of two lines: exit 2, nothing written' \
    dipb recommend --wg industrial-capacity --title "A${nl}B" --summary S \
    --no-edit
check_refused 2 '--title: control character U+0009 at character 4' \
    'recommend --title with a tab: exit 2, nothing written' \
    dipb recommend --wg industrial-capacity --title "Tab${tab}x" --summary S \
    --no-edit
check_refused 2 '--wg: control character U+001B' \
    'recommend --wg with ESC: exit 2, nothing written' \
    dipb recommend --wg "industrial${esc}" --title T --summary S --no-edit
check_refused 2 '--summary: control character U+001B on line 2, at character 6' \
    'recommend --summary with OSC 52: exit 2, nothing written' \
    dipb recommend --wg industrial-capacity --title T --no-edit \
    --summary "Fine.${nl}Then ${OSC}"
printf 'Fine,\n\tindented,\r\nthen a %s2J.\n' "$CSI" >"$TROOT/csi.md"
check_refused 1 '-:3:8: error: control character U+009B' \
    'recommend --summary - with a C1 CSI: exit 1 at its line, nothing written' \
    sh -c 'dipb recommend --wg industrial-capacity --title T --no-edit \
    --summary - <"$1"' sh "$TROOT/csi.md"
printf 'working_group: industrial-capacity\ntitle: "T \\e[2J"\nsummary: S\n' \
    >"$TROOT/esc.yaml"
check_refused 1 "esc.yaml:2:1: error: 'title' holds a control character, U+001B" \
    'recommend --from with ESC in the title: exit 1 at its line, nothing written' \
    dipb recommend --from "$TROOT/esc.yaml" --no-edit
printf 'working_group: industrial-capacity\ntitle: T\nsummary: "a\\rb"\n' \
    >"$TROOT/cr.yaml"
check_refused 1 "cr.yaml:3:1: error: 'summary' holds a control character, U+000D" \
    'recommend --from with a lone CR in the summary: exit 1, nothing written' \
    dipb recommend --from "$TROOT/cr.yaml" --no-edit
# What validate takes is written: tabs and newlines in Markdown, CRLF.
printf 'Fine,\r\n\tindented.\r\n' >"$TROOT/ok.md"
check 'recommend: a summary of tabs and CRLF lines is written' sh -c \
    'dipb recommend --wg industrial-capacity --title "A title" --no-edit \
    --summary - <"$1" >/dev/null 2>&1' sh "$TROOT/ok.md"
check 'recommend --from: the same from a file' sh -c \
    'dipb recommend --wg industrial-capacity --title T --no-edit \
    --from "$1" >/dev/null 2>&1' sh "$TROOT/esc.yaml"
check 'recommend: a second record' dipb recommend --wg industrial-capacity \
    --title Second --summary S --no-edit
check_refused 2 '-m: control character U+001B at character 8' \
    'review --request -m with ESC, the commit'\''s alone: exit 2' \
    dipb review IC-0001 --request -m "Please ${ESC}[2J"
check 'review --request -m of a tab: written' \
    dipb review IC-0001 --request -m "Please${tab}review."
as rev1
check_refused 2 '-m: control character U+001B at character 4' \
    'review --endorse -m with ESC: exit 2, nothing written' \
    dipb review IC-0001 --endorse -m "Ok ${ESC}[2J"
printf 'Needs work:\n\tmore %sevidence.\n' "$(printf '\007')" >"$TROOT/bel.md"
check_refused 1 'bel.md:2:7: error: control character U+0007' \
    'review --request-changes -F with BEL: exit 1 at its line, nothing written' \
    dipb review IC-0001 --request-changes -F "$TROOT/bel.md"
check 'review --request-changes -m of tabs and lines: written' \
    dipb review IC-0001 --request-changes -m "Needs:${nl}${tab}evidence."
as drafter
check_refused 2 '-m: control character U+009B at character 6' \
    'review --reply-to -m with a C1 CSI: exit 2, nothing written' \
    dipb review IC-0001 --reply-to rita@example.org -m "Done ${CSI}2J"
# A hand edit that adds one, and one in the editor's copy.
sedit recommendations/IC-0003.yaml 's/^title: Second$/title: "Second \\e[2J"/'
check_refused 1 "IC-0003.yaml:2:1: error: 'title' holds a control character, U+001B" \
    'edit --no-edit of a title with ESC: exit 1 at its line, nothing written' \
    dipb edit IC-0003 --no-edit
git checkout -q -- recommendations/IC-0003.yaml
cat >"$TROOT/esc-editor" <<'EOF2'
#!/bin/sh
sed 's/^title: Second$/title: "Second \\x9b2J"/' "$1" >"$1.new" && mv "$1.new" "$1"
EOF2
chmod +x "$TROOT/esc-editor"
check_refused 1 "'title' holds a control character, U+009B" \
    'edit in the editor, a title with a C1 CSI: exit 1, nothing written' \
    env EDITOR="$TROOT/esc-editor" dipb edit IC-0003
rm -rf .git/dipb/drafts
as secretary
check_refused 2 '-m: control character U+001B at character 5' \
    'withdraw -m with ESC: exit 2, nothing written' \
    dipb withdraw IC-0003 -m "Old ${ESC}[2J"
drive IC-0003 submitted
check_refused 2 '-m: control character U+001B at character 6' \
    'decide -m with ESC: exit 2, nothing written' \
    dipb decide IC-0003 --outcome agreed -m "Noted${ESC}[2J"
check 'dipb validate passes every record dipb wrote' dipb validate
# The check of what a change writes (dipb_session_commit) holds whatever
# no option gave: the board's lowest classification, a new record's
# default, with ESC: edit --board refuses such a level (validate's
# control-character), so it is committed with git.
new_board noctl2
sed 's/^  - NATO UNCLASSIFIED$/  - "NATO \\e UNCLASSIFIED"/' "$BOARD_CONFIG" \
    >dipb.yaml
check_refused 1 "dipb.yaml:$(grep -n '^classifications:' dipb.yaml | cut -d: -f1):1: error: item 1 of 'classifications' holds a control character, U+001B" \
    'edit --board: the lowest classification with ESC, refused' \
    dipb edit --board --no-edit
check 'set-up: the level with ESC committed with git' \
    git commit -q -m 'board: a level with ESC, by hand' dipb.yaml
as drafter
check_refused 1 "'classification' holds a control character, U+001B" \
    'recommend, the default classification with ESC: exit 1, nothing written' \
    dipb recommend --wg industrial-capacity --title T --summary S --no-edit
check_err 'and says it would not write it' 'refusing to write an invalid record'

check_status 2 'an unknown command exits 2' dipb frobnicate
check_err 'and lists the commands' 'recommend'
check_err 'and names the unknown command' "'frobnicate' is not a dipb command"

# A working group named in other scripts: the table pads by the columns
# a terminal gives each character (two for a wide one, none for a
# combining mark such as Devanagari's virama, U+094D), not by bytes (the
# virama misaligned it before).
if [ -n "$TTY" ]; then
	sed 's/supply-chain-security/sécurité-供給-क्ष/g' "$BOARD_CONFIG" \
	    >"$TROOT/wide.yaml"
	_bc=$BOARD_CONFIG
	BOARD_CONFIG=$TROOT/wide.yaml
	new_board wide
	BOARD_CONFIG=$_bc
	as drafter
	mkrec industrial-capacity 'Aligned one' >/dev/null
	mkrec 'sécurité-供給-क्ष' 'Aligned two' >/dev/null
	on_tty -u NO_COLOR TERM=xterm dipb --color=never list
	check_eq 'a wide working group: the titles start at the header'"'"'s column' \
	    '3 1' "$(python3 -c '
import sys, unicodedata
def col(s, sub):
    i = s.index(sub)
    return sum(0 if unicodedata.category(c) in ("Mn", "Me", "Cf") else
        2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s[:i])
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
cols = {col(l, t) for l in lines for t in ("TITLE", "Aligned")
    if t in l}
print(sum(1 for l in lines if "TITLE" in l or "Aligned" in l), len(cols))
' "$TROOT/tty")"
else
	skip 'a wide working group in the table on a terminal' \
	    'no script(1) and no python3 pty module to give dipb a terminal'
fi

# dipb help on a terminal shows the manual through man(1), and a man that
# fails (here its pager) is exit 5, never man's own status, which dipb
# gives other meanings (dipb-help(1), EXIT STATUS).
if [ -n "$TTY" ] && command -v man >/dev/null 2>&1; then
	mkdir -p "$TROOT/man/man1"
	cp "$DIPB_SRCDIR/man/dipb-list.1" "$TROOT/man/man1/"
	on_tty MANPATH="$TROOT/man" MANPAGER=cat PAGER=cat dipb help list
	tty_check 'dipb help list on a terminal: the manual, through man' \
	    'DIPB-LIST'
	on_tty MANPATH="$TROOT/man" MANPAGER='sh -c "cat >/dev/null; exit 7"' \
	    PAGER=false dipb help list
	check_eq 'dipb help list, man failing: exit 5, not man'"'"'s status' 5 "$RC"
	tty_check_any 'dipb help list, man failing: says so' \
	    '^dipb: man dipb-list exited with status [1-9]'
	# ^C in the pager (less cancels a search with it) is the pager's to
	# act on: the terminal's SIGINT reaches dipb too, which waits on, as
	# git does, not killed under a man and a pager that keep the
	# terminal.  The pager sends it to dipb, man's parent.
	on_tty MANPATH="$TROOT/man" \
	    MANPAGER='sh -c "kill -INT \$(ps -o ppid= -p \$PPID); sleep 1; cat >/dev/null; echo pager-done"' \
	    PAGER=cat dipb help list
	tty_check 'dipb help list, SIGINT while the pager runs: dipb waits for it, exit 0' \
	    '^pager-done$'
else
	skip 'dipb help on a terminal' 'no terminal (script(1), python3 pty) or no man(1)'
fi

# dipb validate's progress line (dipb-validate(1)), on a run of over a
# second: 20000 hard links to one record (a file name error each).  Cleared with ESC[K on a
# terminal that knows it, with blanks on a dumb one (TERM=dumb or unset),
# as git does: no escape sequence at all there.
if [ -n "$TTY" ]; then
	mkdir -p "$TROOT/many/recommendations"
	cp "$DIPB_SRCDIR/tests/validate/dipb.yaml" "$TROOT/many/"
	python3 -c '
import os, sys
d = sys.argv[1] + "/recommendations/"
open(d + "IC-0000.yaml", "w").write(open(sys.argv[2]).read())
for i in range(1, 20000):
    os.link(d + "IC-0000.yaml", d + "IC-%04d.yaml" % i)' "$TROOT/many" \
	    "$DIPB_SRCDIR/tests/validate/IC-0001.yaml"
	(cd "$TROOT/many" && git init -q && on_tty TERM=xterm \
	    sh -c 'dipb validate >/dev/null'; cp "$TROOT/tty.raw" "$TROOT/xterm")
	if grep -q 'validating [0-9]*/20000 files' "$TROOT/xterm"; then
		check 'validate: progress cleared with ESC[K on a terminal' \
		    grep -q "$esc\\[K" "$TROOT/xterm"
		for t in TERM=dumb -u; do
			[ "$t" = -u ] && t='-u TERM'
			(cd "$TROOT/many" && on_tty $t sh -c 'dipb validate >/dev/null')
			check "validate, env $t: progress blanked, no escape" \
			    python3 -c '
import re, sys
b = open(sys.argv[1], "rb").read()
m = re.search(rb"\r(dipb: validating [0-9]+/20000 files)\r( *)\r", b)
sys.exit(0 if m and len(m.group(2)) >= len(m.group(1)) and
    b"\x1b" not in b else 1)' "$TROOT/tty.raw"
		done
	else
		skip 'validate: a progress line on a terminal' \
		    'the run took less than a second'
	fi
	rm -rf "$TROOT/many"
else
	skip 'validate: a progress line on a terminal' \
	    'no terminal (script(1), python3 pty)'
fi

finish

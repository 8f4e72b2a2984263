#!/bin/sh
# tests/cli/terminal.sh - terminal manners: colour only on a terminal and
# never with NO_COLOR or TERM=dumb, --color, a table on a terminal and
# tab-separated fields otherwise, quiet on a broken pipe, an unknown
# command.  script(1) gives dipb a terminal.
. "$(dirname "$0")/lib.sh"

esc=$(printf '\033')
new_board term
as drafter
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
	mkrec industrial-capacity "Record $i" >/dev/null
done

# on_tty CMD: runs CMD with a terminal on stdout; its output in $TROOT/tty.
on_tty() {
	script -qec "$*" /dev/null >"$TROOT/tty" 2>&1 </dev/null
}

if command -v script >/dev/null 2>&1; then
	unset NO_COLOR
	TERM=xterm on_tty dipb list
	check 'on a terminal, the table has a header' grep -q STATUS "$TROOT/tty"
	check 'on a terminal, with TERM=xterm, there is colour' \
	    grep -q "$esc" "$TROOT/tty"
	TERM=xterm NO_COLOR=1 on_tty dipb list
	check 'NO_COLOR turns colour off' sh -c '! grep -q "$1" "$2"' sh \
	    "$esc" "$TROOT/tty"
	TERM=dumb on_tty dipb list
	check 'TERM=dumb turns colour off' sh -c '! grep -q "$1" "$2"' sh \
	    "$esc" "$TROOT/tty"
	TERM=xterm on_tty dipb --color=never list
	check '--color=never turns colour off on a terminal' \
	    sh -c '! grep -q "$1" "$2"' sh "$esc" "$TROOT/tty"
	NO_COLOR=1
	export NO_COLOR
else
	echo "skipped: no script(1), no terminal tests"
fi

check 'in a pipe, no header' sh -c 'dipb list | grep -q STATUS; test $? -eq 1'
check_out 'in a pipe, tab-separated fields' \
    "IC-0001	draft	industrial-capacity	medium	Record 1" \
    sh -c 'dipb list | head -n 1'
check 'in a pipe, no colour' sh -c '! dipb list | grep -q "$1"' sh "$esc"
check 'in a pipe, --color=always gives colour' \
    sh -c 'TERM=xterm dipb --color=always list --format table | cat >/dev/null'
check_status 2 '--color with a bad value is a usage error' \
    dipb --color=sometimes list

# Quiet on a broken pipe: the reader went away on purpose.
check_out 'dipb list | head -1 prints no error' '' \
    sh -c 'dipb list 2>&1 >/dev/null | cat; dipb list 2>"$1" | head -n 1 \
    >/dev/null; cat "$1"' sh "$TROOT/pipe.err"
check_out 'dipb list --format json | head -c 1 prints no error' '' \
    sh -c 'dipb list --format json 2>"$1" | head -c 1 >/dev/null; cat "$1"' \
    sh "$TROOT/pipe.err"

check_status 2 'an unknown command exits 2' dipb frobnicate
check_err 'and lists the commands' 'recommend'
check_err 'and names the unknown command' "'frobnicate' is not a dipb command"

finish

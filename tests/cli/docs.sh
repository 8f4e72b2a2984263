#!/bin/sh
# docs.sh - one source of truth for the commands and their options.
#
# The commands are those 'dipb help' lists; a command's options are those
# its usage ('dipb CMD --help') names.  Each command must have
# man/dipb-CMD.1 whose SYNOPSIS names exactly those options, and each
# completion script (bash, zsh, fish) must offer exactly those commands
# and options (plus --help) - and nothing the usage does not name.  Every
# man page must pass 'mandoc -Tlint -Wwarning' silently, and the bash
# completion must complete (the zsh and fish ones too, where installed).
# dipb-report(1) must name every key 'dipb report KIND --format json'
# prints, on the example board (examples/demo.sh).
#
# Environment: DIPB, the binary under test; DIPB_SRCDIR, the source tree.
# Prints one 'ok - ...' or 'not ok - ...' line per check ('ok - ... # SKIP
# WHY' for one that cannot run here: zsh or fish not installed), then
# 'N passed, N failed, N skipped'; exits 1 if any check failed.

set -u

: "${DIPB:?set DIPB to the dipb binary under test}"
: "${DIPB_SRCDIR:?set DIPB_SRCDIR to the top of the source tree}"

MAN=$DIPB_SRCDIR/man
BASHC=$DIPB_SRCDIR/completions/dipb.bash
ZSHC=$DIPB_SRCDIR/completions/_dipb
FISHC=$DIPB_SRCDIR/completions/dipb.fish

passed=0
failed=0
skipped=0
ok() {
	passed=$((passed + 1))
	echo "ok - $*"
}
# skip DESC WHY: counted as skipped, never as passed.
skip() {
	skipped=$((skipped + 1))
	echo "ok - $1 # SKIP $2"
}
not_ok() {
	failed=$((failed + 1))
	echo "not ok - $*"
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/dipb-docs.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' 0
trap 'exit 1' HUP INT TERM

# A clean, known environment for the binary and for git.
HOME=$tmp
GIT_CONFIG_NOSYSTEM=1
NO_COLOR=1
export HOME GIT_CONFIG_NOSYSTEM NO_COLOR
unset GIT_DIR GIT_WORK_TREE VISUAL EDITOR

# Prints the options named in the text on stdin, one per line, sorted:
# --long and -x, not a lone '-' (stdin) nor a hyphen inside a word.
options() {
	awk '{
		s = $0
		while (match(s, /(^|[^A-Za-z0-9_-])--?[A-Za-z][A-Za-z0-9-]*/)) {
			t = substr(s, RSTART, RLENGTH)
			s = substr(s, RSTART + RLENGTH)
			sub(/^[^-]/, "", t)
			if (t ~ /^--/ || length(t) == 2)
				print t
		}
	}' | LC_ALL=C sort -u
}

# Prints a sorted word list given as arguments or on stdin, one per line.
words() {
	if [ $# -gt 0 ]; then
		printf '%s\n' "$@"
	else
		tr -s ' \t' '\n'
	fi | sed '/^$/d' | LC_ALL=C sort -u
}

# compare WHAT EXPECTED-FILE ACTUAL-FILE [TOLERATED...]: one check that
# the two sorted lists are equal; TOLERATED words may be extra in ACTUAL.
compare() {
	what=$1 exp=$2 act=$3
	shift 3
	missing=$(LC_ALL=C comm -23 "$exp" "$act" | tr '\n' ' ')
	extra=
	for w in $(LC_ALL=C comm -13 "$exp" "$act"); do
		tolerated=0
		for t in "$@"; do
			[ "$w" = "$t" ] && tolerated=1
		done
		[ $tolerated -eq 0 ] && extra="$extra$w "
	done
	if [ -z "$missing" ] && [ -z "$extra" ]; then
		ok "$what"
	else
		not_ok "$what (missing: ${missing:-none}; extra: ${extra:-none})"
	fi
}

# The SYNOPSIS of a man page as rendered, bold and underline removed.
synopsis() {
	mandoc -T ascii "$1" 2>/dev/null |
	    sed "s/.$(printf '\b')//g" |
	    awk '/^SYNOPSIS/ { f = 1; next } /^[^ \t]/ { f = 0 } f'
}

# Options of command $1 in each completion script.
bash_opts() {
	awk -v c="$1)" '
		/^_dipb_opts\(\)/ { f = 1 }
		f && /^}/ { f = 0 }
		f { l = $0; sub(/^[ \t]*/, "", l)
		    if (index(l, c) == 1) print substr(l, length(c) + 1) }
	' "$BASHC" | options
}
zsh_opts() {
	awk -v c="($1)" '
		{ l = $0; sub(/^[ \t]*/, "", l); sub(/[ \t]*$/, "", l) }
		l == c { f = 1; next }
		f && l == ";;" { f = 0 }
		f { gsub(/\[[^]]*\]/, "", l); print l }
	' "$ZSHC" | options
}
fish_opts() {
	awk -v c="$1" '
		index($0, "'\''__dipb_using " c "'\''") ||
		index($0, "'\''__dipb_using " c ";") {
			gsub(/'\''[^'\'']*'\''/, "")	# the condition, the description
			for (i = 1; i < NF; i++) {
				if ($i == "-l") print "--" $(i + 1)
				if ($i == "-s") print "-" $(i + 1)
			}
		}
	' "$FISHC" | LC_ALL=C sort -u
}

# The commands each completion script offers.
bash_cmds() {
	sed -n "s/^_dipb_commands='\(.*\)'$/\1/p" "$BASHC" | words
}
zsh_cmds() {
	awk '/^_dipb_commands\(\)/ { f = 1 } f && /^}/ { f = 0 }
	    f && /^ *'\''[a-z][a-z-]*:/ { sub(/^ *'\''/, ""); sub(/:.*/, ""); print }' \
	    "$ZSHC" | words
}
fish_cmds() {
	awk '/-n __dipb_needs_cmd -a / {
		for (i = 1; i < NF; i++) if ($i == "-a") print $(i + 1) }' \
	    "$FISHC" | words
}

# The global options each completion script offers.
bash_global() {
	sed -n "s/^_dipb_global_opts='\(.*\)'$/\1/p" "$BASHC" | words
}
zsh_global() {
	awk '/^ *_arguments -C/ { f = 1; next } f && /'\''1:command/ { f = 0 }
	    f { gsub(/\[[^]]*\]/, ""); print }' "$ZSHC" | options
}
fish_global() {
	awk '/-n __dipb_needs_cmd -[sl] / {
		for (i = 1; i < NF; i++) {
			if ($i == "-l") print "--" $(i + 1)
			if ($i == "-s") print "-" $(i + 1)
		} }' "$FISHC" | LC_ALL=C sort -u
}

# Runs the bash completion on the words given; prints COMPREPLY, one per
# line.  The command word (first argument) is replaced by $DIPB, which the
# completion runs for ids.
bash_complete() {
	shift
	bash -c '
		. "$1" || exit 1
		shift
		COMP_WORDS=("$@")
		COMP_CWORD=$(($# - 1))
		COMPREPLY=()
		_dipb
		[ ${#COMPREPLY[@]} -eq 0 ] || printf "%s\n" "${COMPREPLY[@]}"
	' sh "$BASHC" "$DIPB" "$@" 2>&1
}

# Runs the bash completion as bash runs it on the line LINE (the cursor at
# its end), split into WORDS... as bash splits it: at '@' and ':' and '=',
# the quotes kept.  Prints COMPREPLY, one per line.  As in bash_complete,
# the command word is $DIPB.
bash_complete_line() {
	line=$1
	shift 2
	bash -c '
		. "$1" || exit 1
		COMP_LINE="$3 ${2#* }"
		shift 3
		COMP_POINT=${#COMP_LINE}
		COMP_WORDS=("$@")
		COMP_CWORD=$(($# - 1))
		COMPREPLY=()
		_dipb
		[ ${#COMPREPLY[@]} -eq 0 ] || printf "%s\n" "${COMPREPLY[@]}"
	' sh "$BASHC" "$line" "$DIPB" "$DIPB" "$@" 2>&1
}
# complete_line_is DESCRIPTION EXPECTED LINE WORDS...: the completions of
# LINE are exactly EXPECTED (words separated by spaces, in any order).
complete_line_is() { _complete_is bash_complete_line "$@"; }

# complete_has DESCRIPTION WORD WORDS...: WORD is among the completions.
complete_has() {
	what=$1 want=$2
	shift 2
	got=$(bash_complete "$@")
	if printf '%s\n' "$got" | grep -qxF -- "$want"; then
		ok "bash: $what"
	else
		not_ok "bash: $what (got: $(printf '%s' "$got" | tr '\n' ' '))"
	fi
}
# complete_is DESCRIPTION EXPECTED WORDS...: the completions are exactly
# EXPECTED (words separated by spaces, in any order).
complete_is() { _complete_is bash_complete "$@"; }

# _complete_is FUNCTION DESCRIPTION EXPECTED ARGS...: what FUNCTION ARGS
# offers is exactly EXPECTED.
_complete_is() {
	fn=$1 what=$2 want=$3
	shift 3
	got=$("$fn" "$@" | words | tr '\n' ' ')
	# shellcheck disable=SC2086 # a list of words
	want=$(words $want | tr '\n' ' ')
	if [ "$got" = "$want" ]; then
		ok "bash: $what"
	else
		not_ok "bash: $what (got: $got; want: $want)"
	fi
}

# --- the command table -------------------------------------------------

"$DIPB" help >"$tmp/help" 2>"$tmp/help.err"
status=$?
awk '/^  [a-z]/ { print $1 }' "$tmp/help" | LC_ALL=C sort -u >"$tmp/cmds"
if [ $status -eq 0 ] && [ -s "$tmp/cmds" ]; then
	ok "'dipb help' lists the commands ($(tr '\n' ' ' <"$tmp/cmds"| sed 's/ $//'))"
else
	not_ok "'dipb help' lists the commands (exit $status: $(head -1 "$tmp/help.err"))"
fi

# Each line of 'dipb --help' and of each 'dipb CMD --help' within 80
# columns, as git keeps its usages: a longer one is wrapped.
"$DIPB" --help >"$tmp/help-main" 2>&1
for cmd in $(cat "$tmp/cmds"); do
	"$DIPB" "$cmd" --help 2>&1
done >>"$tmp/help-main"
wide=$(awk 'length > 80' "$tmp/help-main")
if [ -z "$wide" ]; then
	ok "'dipb --help' and every 'dipb CMD --help': lines within 80 columns"
else
	not_ok "'dipb --help' and every 'dipb CMD --help': lines within 80 columns: $(printf '%s\n' "$wide" | head -n 3)"
fi

# --- each command: usage, man page, completions ------------------------

for cmd in $(cat "$tmp/cmds"); do
	"$DIPB" "$cmd" --help >"$tmp/usage" 2>"$tmp/usage.err"
	status=$?
	if [ $status -eq 0 ] && grep -Eq "^usage: dipb $cmd( |$)" "$tmp/usage"
	then
		ok "'dipb $cmd --help' prints its usage on stdout and exits 0"
	else
		not_ok "'dipb $cmd --help' prints its usage on stdout and exits 0 (exit $status)"
	fi
	options <"$tmp/usage" >"$tmp/opts"

	# --help is an option like the others: after an argument too.
	(cd "$tmp" && "$DIPB" "$cmd" X-0001 --help </dev/null) \
	    >"$tmp/help-late" 2>&1
	if [ $? -eq 0 ] && cmp -s "$tmp/usage" "$tmp/help-late"; then
		ok "'dipb $cmd ARG --help' prints its usage and exits 0"
	else
		not_ok "'dipb $cmd ARG --help' prints its usage and exits 0 ($(head -n 1 "$tmp/help-late"))"
	fi

	# -h is --help, as git takes it.
	(cd "$tmp" && "$DIPB" "$cmd" -h </dev/null) >"$tmp/help-h" 2>&1
	if [ $? -eq 0 ] && cmp -s "$tmp/usage" "$tmp/help-h"; then
		ok "'dipb $cmd -h' prints its usage and exits 0"
	else
		not_ok "'dipb $cmd -h' prints its usage and exits 0 ($(head -n 1 "$tmp/help-h"))"
	fi

	# An unknown option is named (dipb(1), EXIT STATUS: 2).
	if [ "$cmd" != help ]; then
		(cd "$tmp" && "$DIPB" "$cmd" --no-such=1 </dev/null) \
		    >"$tmp/bad" 2>"$tmp/bad.err"
		status=$?
		if [ $status -eq 2 ] && [ ! -s "$tmp/bad" ] &&
		    [ "$(head -n 1 "$tmp/bad.err")" = \
		    "dipb: unknown option '--no-such'" ]; then
			ok "'dipb $cmd --no-such=1': exit 2, the option named"
		else
			not_ok "'dipb $cmd --no-such=1': exit 2, the option named" \
			    "exit $status: $(head -n 1 "$tmp/bad.err")"
		fi
	fi

	"$DIPB" help "$cmd" </dev/null >"$tmp/help-cmd" 2>&1
	if [ $? -eq 0 ] && cmp -s "$tmp/usage" "$tmp/help-cmd"; then
		ok "'dipb help $cmd' prints the same usage as 'dipb $cmd --help'"
	else
		not_ok "'dipb help $cmd' prints the same usage as 'dipb $cmd --help'"
	fi

	page=$MAN/dipb-$cmd.1
	if [ -f "$page" ]; then
		ok "man/dipb-$cmd.1 exists"
		synopsis "$page" >"$tmp/synopsis"
		if grep -q "dipb $cmd" "$tmp/synopsis"; then
			ok "man/dipb-$cmd.1 SYNOPSIS shows 'dipb $cmd'"
		else
			not_ok "man/dipb-$cmd.1 SYNOPSIS shows 'dipb $cmd'"
		fi
		options <"$tmp/synopsis" >"$tmp/man-opts"
		compare "man/dipb-$cmd.1 SYNOPSIS names the options of 'dipb $cmd --help'" \
		    "$tmp/opts" "$tmp/man-opts"
	else
		not_ok "man/dipb-$cmd.1 exists"
	fi
	if grep -q "^\.Xr dipb-$cmd 1" "$MAN/dipb.1" 2>/dev/null; then
		ok "dipb(1) refers to dipb-$cmd(1)"
	else
		not_ok "dipb(1) refers to dipb-$cmd(1)"
	fi

	bash_opts "$cmd" >"$tmp/c-opts"
	compare "completions/dipb.bash completes the options of 'dipb $cmd'" \
	    "$tmp/opts" "$tmp/c-opts" --help
	zsh_opts "$cmd" >"$tmp/c-opts"
	compare "completions/_dipb completes the options of 'dipb $cmd'" \
	    "$tmp/opts" "$tmp/c-opts" --help
	fish_opts "$cmd" >"$tmp/c-opts"
	compare "completions/dipb.fish completes the options of 'dipb $cmd'" \
	    "$tmp/opts" "$tmp/c-opts" --help
done

# --- the other way round: nothing documented that does not exist -------

for page in "$MAN"/dipb-*.1; do
	[ -f "$page" ] || continue
	name=${page##*/dipb-}
	name=${name%.1}
	if grep -qxF -- "$name" "$tmp/cmds"; then
		ok "man/dipb-$name.1 documents a command of 'dipb help'"
	else
		not_ok "man/dipb-$name.1 documents a command of 'dipb help'"
	fi
done

bash_cmds >"$tmp/c-cmds"
compare "completions/dipb.bash completes the commands of 'dipb help'" \
    "$tmp/cmds" "$tmp/c-cmds"
zsh_cmds >"$tmp/c-cmds"
compare "completions/_dipb completes the commands of 'dipb help'" \
    "$tmp/cmds" "$tmp/c-cmds"
fish_cmds >"$tmp/c-cmds"
compare "completions/dipb.fish completes the commands of 'dipb help'" \
    "$tmp/cmds" "$tmp/c-cmds"
# And after 'dipb help', each its own list in fish.
sed -n "s/^complete .*'__dipb_using help; and __dipb_nargs_lt 1' -a '\(.*\)'\$/\1/p" \
    "$FISHC" | words >"$tmp/c-cmds"
compare "completions/dipb.fish completes the commands of 'dipb help' after help" \
    "$tmp/cmds" "$tmp/c-cmds"

# --- global options ------------------------------------------------------

"$DIPB" --help >"$tmp/main-help" 2>&1
status=$?
awk '/^usage:/ { f = 1; print; next } f && /^[ \t]+dipb/ { print; next }
    { f = 0 }' "$tmp/main-help" | options >"$tmp/global"
if [ $status -eq 0 ] && [ -s "$tmp/global" ]; then
	ok "'dipb --help' prints the global usage ($(tr '\n' ' ' <"$tmp/global" | sed 's/ $//'))"
else
	not_ok "'dipb --help' prints the global usage (exit $status)"
fi
synopsis "$MAN/dipb.1" | options >"$tmp/man-opts"
compare "man/dipb.1 SYNOPSIS names the global options of 'dipb --help'" \
    "$tmp/global" "$tmp/man-opts"
bash_global >"$tmp/c-opts"
compare "completions/dipb.bash completes the global options" \
    "$tmp/global" "$tmp/c-opts"
zsh_global >"$tmp/c-opts"
compare "completions/_dipb completes the global options" \
    "$tmp/global" "$tmp/c-opts"
fish_global >"$tmp/c-opts"
compare "completions/dipb.fish completes the global options" \
    "$tmp/global" "$tmp/c-opts"

# --- man pages pass mandoc -Tlint ----------------------------------------

for page in "$MAN"/*.[157]; do
	[ -f "$page" ] || continue
	out=$(mandoc -Tlint -Wwarning "$page" 2>&1)
	status=$?
	if [ $status -eq 0 ] && [ -z "$out" ]; then
		ok "mandoc -Tlint -Wwarning ${page#"$DIPB_SRCDIR"/} is silent"
	else
		not_ok "mandoc -Tlint -Wwarning ${page#"$DIPB_SRCDIR"/} is silent ($(printf '%s' "$out" | head -3 | tr '\n' ' '))"
	fi
done
for page in dipb.1 dipb-record.5 dipb-board.5 dipb-workflow.7; do
	if [ -f "$MAN/$page" ]; then
		ok "man/$page exists"
	else
		not_ok "man/$page exists"
	fi
done

# --- dipb-report(1) names every key of the JSON it prints ------------------
# Each kind's top-level keys are items (.It Ql KEY) of its subsection of
# JSON in man/dipb-report.1, or of the keys every kind begins with; the
# keys of the objects in its arrays are named (Ql KEY) there or in what
# JSON says of every kind.  On the example board (examples/demo.sh), with
# a due date moved (dipb-action(1) --due) and a record changed with plain
# git, so that every array has objects and every action key is printed.

PY=${DIPB_TEST_PYTHON3:-$(sh "$DIPB_SRCDIR/tests/cli/find-python3")}

# report_man_keys PART ITEMS: the keys named in the JSON section of
# dipb-report(1), one per line: PART is a kind (its subsection) or ''
# (what comes before the first); ITEMS 1 for the .It Ql items alone, 0
# for every Ql.
report_man_keys() {
	awk -v part="$1" -v items="$2" '
		/^\.Sh / { sec = $0 == ".Sh JSON"; sub_ = ""; next }
		!sec { next }
		/^\.Ss / { sub_ = substr($0, 5); next }
		sub_ != part { next }
		items && /^\.It Ql / { print $3; next }
		!items {
			s = $0
			while (match(s, /(^\.| )Ql [^ ]+/)) {
				t = substr(s, RSTART, RLENGTH)
				s = substr(s, RSTART + RLENGTH)
				sub(/^.?Ql /, "", t)
				print t
			}
		}
	' "$MAN/dipb-report.1" | LC_ALL=C sort -u
}

# json_keys TOP <JSON: the top-level keys (TOP 1), or those of the
# objects in its top-level arrays (TOP 0), one per line, sorted.
json_keys() {
	"$PY" -c '
import json, sys
d = json.load(sys.stdin)
if sys.argv[1] == "1":
    k = set(d)
else:
    k = {x for v in d.values() if isinstance(v, list)
         for o in v if isinstance(o, dict) for x in o}
print("\n".join(sorted(k)))' "$1" | sed '/^$/d' | LC_ALL=C sort -u
}

# keys_named DESCRIPTION KIND TOP ALSO: one check that the keys
# json_keys TOP prints of $tmp/report.json (some) are all among those
# report_man_keys KIND TOP prints and those in the file ALSO: the top-level
# keys items of the man page (TOP 1), the keys of the arrays' objects
# named in it (TOP 0).
keys_named() {
	report_man_keys "$2" "$3" | cat - "$4" |
	    LC_ALL=C sort -u >"$tmp/keys-man"
	json_keys "$3" <"$tmp/report.json" >"$tmp/keys-json"
	missing=$(LC_ALL=C comm -13 "$tmp/keys-man" "$tmp/keys-json" |
	    tr '\n' ' ')
	if [ -s "$tmp/keys-json" ] && [ -z "$missing" ]; then
		ok "dipb-report(1) JSON, $1"
	else
		not_ok "dipb-report(1) JSON, $1 (missing: ${missing:-no keys printed})"
	fi
}

demo=$tmp/demo
demokeys=$tmp/demo-keys
mkdir -p "$demokeys"
cp "$DIPB_SRCDIR/examples/keys/mark.ellison" "$demokeys/" 2>/dev/null &&
    chmod 600 "$demokeys/mark.ellison"
if env DIPB="$DIPB" DIPB_DEMO_DIR="$demo" TMPDIR="$tmp" \
    sh "$DIPB_SRCDIR/examples/demo.sh" >"$tmp/demo.out" 2>&1 &&
    env GIT_AUTHOR_NAME='Mark Ellison' \
    GIT_AUTHOR_EMAIL=mark.ellison@example.org \
    GIT_COMMITTER_NAME='Mark Ellison' \
    GIT_COMMITTER_EMAIL=mark.ellison@example.org \
    GIT_AUTHOR_DATE=2026-11-20T10:00:00+01:00 \
    GIT_COMMITTER_DATE=2026-11-20T10:00:00+01:00 \
    GIT_CONFIG_COUNT=2 GIT_CONFIG_KEY_0=gpg.format \
    GIT_CONFIG_VALUE_0=ssh GIT_CONFIG_KEY_1=user.signingKey \
    GIT_CONFIG_VALUE_1="$demokeys/mark.ellison" \
    "$DIPB" -C "$demo" action IC-0001 2 --due 2027-02-28 \
    --reason 'More time for NSPA.' >>"$tmp/demo.out" 2>&1 &&
    printf '# checked by hand\n' >>"$demo/recommendations/IC-0003.yaml" &&
    git -C "$demo" -c user.name='Mark Ellison' \
    -c user.email=mark.ellison@example.org -c commit.gpgSign=false \
    commit -q -m 'IC-0003: a note by hand' \
    recommendations/IC-0003.yaml >>"$tmp/demo.out" 2>&1; then
	ok "the example board, a due date moved and a plain git commit"
	report_man_keys '' 1 >"$tmp/man-head"
	report_man_keys '' 0 >"$tmp/man-common"
	for kind in status actions agenda minutes package meeting-minutes; do
		case $kind in
		package) args='package --reference CNAD-2026-05' ;;
		meeting-minutes) args='minutes --meeting 2026-06-12' ;;
		*) args=$kind ;;
		esac
		# shellcheck disable=SC2086 # the kind and its options
		if ! "$DIPB" -C "$demo" report $args --today 2027-12-31 \
		    --format json >"$tmp/report.json" 2>"$tmp/err"; then
			not_ok "dipb report $args --format json ($(head -1 "$tmp/err"))"
			continue
		fi
		keys_named "$kind: every top-level key is an item" \
		    "$kind" 1 "$tmp/man-head"
		keys_named "$kind: every key of its arrays' objects is named" \
		    "$kind" 0 "$tmp/man-common"
	done
else
	not_ok "the example board, a due date moved and a plain git commit ($(tail -3 "$tmp/demo.out" | tr '\n' ' '))"
fi

# check_eq_docs DESC WANT GOT: one check that GOT is WANT.
check_eq_docs() {
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1 ($3)"; fi
}

# --- examples of the man pages, run on the example board ------------------
# An example of dipb-show(1) or dipb-diff(1) that shows its output, the
# line '$ dipb ...' of a literal block and the lines below it to the
# block's end (or the next '$ '), prints all of them on the example
# board: one that ends '| head -n N' shows N lines, no stale line more.
# Each is written to $tmp/ex-PAGE.K.{cmd,want}; their number is printed.
examples_shown() {
	mandoc -T ascii "$MAN/$1" 2>/dev/null | col -bx | awk -v d="$tmp/ex-$1" '
		function shown(s) {
			return length(s) > ind && substr(s, 1, ind) ~ /^ *$/ &&
			    substr(s, ind + 1, 2) != "$ "
		}
		{ l[NR] = $0 }
		END {
			for (i = 1; i <= NR; i++) {
				if (l[i] !~ /^ *\$ dipb /)
					continue
				ind = index(l[i], "$") - 1
				if (!shown(l[i + 1]))
					continue
				k++
				print substr(l[i], ind + 3) >(d "." k ".cmd")
				w = d "." k ".want"
				for (j = i + 1; shown(l[j]); j++)
					print substr(l[j], ind + 1) >w
			}
			print k + 0
		}'
}
# The number of examples in PAGE's source that show their output: the
# lines '$ dipb ...' of a literal block followed by one that is not '$ '.
examples_in_source() {
	awk '/^\.Bd -literal/ { b = 1; next }
		/^\.Ed/ { b = 0; p = 0; next }
		b && p && !/^\$ / { k++ }
		b { p = /^\$ dipb / }
		END { print k + 0 }' "$MAN/$1"
}
if [ -d "$demo/.git" ]; then
	for page in dipb-show.1 dipb-diff.1; do
		k=$(examples_shown "$page")
		[ "$k" -gt 0 ] || not_ok "man/$page: an example with its output"
		check_eq_docs "man/$page: each example with its output run" \
		    "$(examples_in_source "$page")" "$k"
		i=1
		while [ "$i" -le "$k" ]; do
			c=$(cat "$tmp/ex-$page.$i.cmd")
			want=$(cat "$tmp/ex-$page.$i.want")
			n=$(printf '%s\n' "$c" |
			    sed -n 's/.*| head -n \([0-9]*\)$/\1/p')
			[ -z "$n" ] || check_eq_docs \
			    "man/$page: '$c' shows $n lines" "$n" \
			    "$(wc -l <"$tmp/ex-$page.$i.want" | tr -d ' ')"
			got=$(cd "$demo" && DIPB=$DIPB sh -c \
			    'dipb() { "$DIPB" "$@"; }; '"$c" 2>&1)
			check_eq_docs "man/$page: '$c' on the example board" \
			    "$want" "$got"
			i=$((i + 1))
		done
	done
	mails=$(sed -n '/^for m in/,/; do$/p' "$MAN/dipb-todo.1" |
	    tr ' \\;' '\n\n\n' | grep @)
	[ -n "$mails" ] || not_ok "man/dipb-todo.1: the mail loop's members"
	for m in $mails; do
		if "$DIPB" -C "$demo" todo --member "$m" --format json \
		    >/dev/null 2>"$tmp/todo.err"; then
			ok "man/dipb-todo.1: $m is a member of the example board"
		else
			not_ok "man/dipb-todo.1: $m is a member of the example board ($(cat "$tmp/todo.err"))"
		fi
	done
fi

# --- what mandoc -Tlint does not see ---------------------------------------
# A cell of a .Bl -column list (but the last) wider than its column's
# width string runs into the next cell ("secretary or authorwithdrawal");
# a closing parenthesis inside a quote macro followed by a word takes the
# word into the quote ('"Tags of another form); the" board').
wide=$(awk '
function plain(s,   n, w, i, out) {
	n = split(s, w, /[ \t]+/)
	out = ""
	for (i = 1; i <= n; i++) {
		if (w[i] ~ /^[A-Z][a-z]$/ || w[i] == "")
			continue
		gsub(/^"|"$/, "", w[i])
		out = out (out == "" ? "" : " ") w[i]
	}
	return out
}
/^\.Bl -column/ {
	incol = 1; nspec = 0
	s = $0; sub(/^\.Bl -column[ \t]*/, "", s)
	while (match(s, /"[^"]*"|[^ \t"]+/)) {
		t = substr(s, RSTART, RLENGTH); s = substr(s, RSTART + RLENGTH)
		if (t ~ /^-/) { if (t == "-offset") skipnext = 1; continue }
		if (skipnext) { skipnext = 0; continue }
		gsub(/"/, "", t); spec[++nspec] = t
	}
	next
}
/^\.El/ { incol = 0; next }
incol && /^\.It/ {
	s = $0; sub(/^\.It[ \t]*/, "", s)
	n = split(s, c, / Ta |\t/)
	for (k = 1; k < n && k <= nspec; k++) {
		p = plain(c[k])
		if (length(p) > length(spec[k]))
			printf "%s:%d: cell '\''%s'\'' (%d) wider than column %d ('\''%s'\'', %d)\n", FILENAME, FNR, p, length(p), k, spec[k], length(spec[k])
	}
}
' "$MAN"/*.[157])
check_eq_docs 'no cell of a column list is wider than its column' '' "$wide"
quoted=$(grep -nE '^\.(Dq|Sq|Pq|Ql|Qq)( [^ ]+)* [])]( [][).,;:?!])* [a-z][^ ]*( |$)' \
    "$MAN"/*.[157])
check_eq_docs 'no word after a closing parenthesis inside a quote macro' '' \
    "$quoted"
# A quote macro on a line that another one follows, as in
# '.Pq Ql a , Ql b', takes the second into the first: "(`a, `b'')" in
# mandoc and groff alike.  Rendered, a quote opens inside its own kind.
nested=$(for page in "$MAN"/*.[157]; do
	mandoc -T utf8 "$page" 2>/dev/null |
	    sed "s/.$(printf '\b')//g; s/‘/$(printf '\001')/g;
	    s/’/$(printf '\002')/g; s/“/$(printf '\003')/g;
	    s/”/$(printf '\004')/g" | tr '\n' ' ' |
	    LC_ALL=C awk -v p="${page#"$MAN"/}" '{
		for (i = 1; i <= length($0); i++) {
			c = substr($0, i, 1)
			if (c == "\001" || c == "\003") {
				if (open[c]++ == 1)
					printf "%s: %s\n", p, substr($0, at[c], 40)
				if (open[c] == 1)
					at[c] = i
			} else if (c == "\002" && open["\001"] > 0)
				open["\001"]--
			else if (c == "\004" && open["\003"] > 0)
				open["\003"]--
		}
	}' | tr '\001\002\003\004' "''\"\""
done)
check_eq_docs 'no quote opened inside a quote of its kind (a Ql not closed)' \
    '' "$nested"

# --- exit status 1: git's state that stops a writing command ------------
# dipb(1) and the page of every command that writes give exit status 1
# for an operation of git's in progress, a shallow clone and a detached
# HEAD, as the binary does (tests/cli/states.sh).
for page in dipb.1 dipb-init.1 dipb-recommend.1 dipb-edit.1 dipb-review.1 \
    dipb-submit.1 dipb-decide.1 dipb-withdraw.1 dipb-action.1 \
    dipb-declassify.1 dipb-meeting.1 dipb-migrate.1 dipb-sync.1; do
	_st=$(mandoc -T ascii "$MAN/$page" 2>/dev/null | col -b |
	    sed -n '/^EXIT STATUS/,/^[A-Z]/p' | sed -n '/^ *1[[:space:]]/,/^ *2[[:space:]]/p' |
	    tr -s ' \t\n' '   ')
	case $_st in
	*'in progress'*shallow*detached*)
		ok "man/$page: exit status 1 names an operation in progress, a shallow clone, a detached HEAD" ;;
	*)
		not_ok "man/$page: exit status 1 names an operation in progress, a shallow clone, a detached HEAD ($_st)" ;;
	esac
done

# dipb-init(1): its own refusals of exit status 1, in a repository that
# has a .gitattributes or a dipb.yaml not committed (compat-files.sh).
_st=$(mandoc -T ascii "$MAN/dipb-init.1" 2>/dev/null | col -b |
    sed -n '/^EXIT STATUS/,/^[A-Z]/p' | sed -n '/^ *1[[:space:]]/,/^ *2[[:space:]]/p' |
    tr -s ' \t\n' '   ')
case $_st in
*'.gitattributes with uncommitted changes'*'dipb.yaml in the working tree'*)
	ok "man/dipb-init.1: exit status 1 names a .gitattributes with changes and a dipb.yaml not committed" ;;
*)
	not_ok "man/dipb-init.1: exit status 1 names a .gitattributes with changes and a dipb.yaml not committed ($_st)" ;;
esac

# --- bash completion -------------------------------------------------------

if command -v bash >/dev/null 2>&1; then
	complete_is "dipb rev<TAB> gives review" review dipb rev
	complete_has "dipb <TAB> offers list" list dipb ''
	complete_has "dipb -<TAB> offers -C" -C dipb -
	complete_has "dipb list --status <TAB> offers endorsed" endorsed \
	    dipb list --status ''
	complete_is "dipb list --status=en<TAB> gives endorsed" endorsed \
	    dipb list --status = en
	complete_is "dipb list --format <TAB> gives table json ids" \
	    'table json ids' dipb list --format ''
	complete_is "dipb show --format <TAB> gives yaml json markdown html" \
	    'yaml json markdown html' dipb show --format ''
	complete_is "dipb report <TAB> gives the kinds" \
	    'status package minutes actions agenda' dipb report ''
	complete_is "dipb report status --format <TAB> gives the formats" \
	    'markdown html man latex json' dipb report status --format ''
	complete_is "dipb decide X --outcome <TAB> gives the outcomes" \
	    'agreed noted deferred declined' dipb decide X --outcome ''
	complete_has "dipb review X --<TAB> offers --endorse" --endorse \
	    dipb review X --
	complete_is "dipb review X --req<TAB> gives --request --request-changes" \
	    '--request --request-changes' dipb review X --req
	complete_has "dipb help <TAB> offers review" review dipb help ''
	complete_is "dipb diff X --color=<TAB> gives auto always never" \
	    'auto always never' dipb diff X --color = ''
else
	not_ok "bash is installed, for the bash completion tests"
fi

# --- dipb(1)'s life-cycle session, run ---------------------------------
# The session of dipb(1), EXAMPLES, on dipb-board(5)'s example board as
# dipb(1) says to save it (without 'signing: required' and the 'keys:'
# lists): each '$ ' command of the block is run in turn, in one shell,
# and what it prints (both streams) must be the lines the block shows.
# 'cat draft.yaml' shows the file the session starts from.
life=$tmp/life
mkdir -p "$life/bin"
printf '#!/bin/sh\nexec "%s" "$@"\n' "$DIPB" >"$life/bin/dipb"
chmod +x "$life/bin/dipb"
# What dipb(1) says to leave out, as it says it.
said=$(awk '/^\.Sh EXAMPLES/ { e = 1 } e && /^\.Bd -literal/ { exit } e' \
    "$MAN/dipb.1")
nosign=0 nokeys=0
case $said in *'.Ql signing: required'*) nosign=1 ;; esac
case $said in *'.Ql "keys:"'*) nokeys=1 ;; esac
awk '/^\.Sh EXAMPLES/ { e = 1 } e && /^\.Bd -literal/ { b = 1; next }
	b && /^\.Ed/ { exit } b' "$MAN/dipb-board.5" |
    awk -v s="$nosign" -v k="$nokeys" '
	s && /^signing: required$/ { next }
	k && /^    keys:$/ { in_k = 1; next } in_k && /^      / { next }
	{ in_k = 0; print }' >"$life/example-board.yaml"
awk '/^\.Sh EXAMPLES/ { e = 1 } e && /^\.Bd -literal/ { b = 1; next }
	b && /^\.Ed/ { exit } b { gsub(/\\e/, "\\"); print }' "$MAN/dipb.1" \
    >"$life/want"
# The script: each command echoed as the block shows it, then run.
awk 'function q(s) { gsub(/'"'"'/, "'"'"'\\'"'"''"'"'", s); return "'"'"'" s "'"'"'" }
	function flush() {
		if (cmd == "")
			return
		if (cmd == "cat draft.yaml")
			printf "cat >draft.yaml <<'"'"'EOF'"'"'\n%sEOF\n", out
		printf "printf '"'"'%%s\\n'"'"' %s\n%s\n", q(shown), cmd
		cmd = ""
	}
	c { shown = shown "\n" $0; cmd = cmd "\n" $0; c = /\\$/; next }
	/^\$ / { flush(); shown = $0; cmd = substr($0, 3); out = "";
		c = /\\$/; next }
	{ out = out $0 "\n" }
	END { flush() }' "$life/want" >"$life/session.sh"
(cd "$life" && PATH=$life/bin:$PATH sh -e session.sh) 2>&1 |
    grep -v '^dipb: warning: this board lists no signing keys: ' |
    sed -e '$ { /^$/d; }' >"$life/got"
# dipb list shows the table of a terminal; here, a pipe, its lines are
# tab-separated, without the header (dipb-list(1), --format).
awk '/^\$ / { l = ($0 == "$ dipb list"); print; next }
	l && /^ID / { next } l { gsub(/  +/, "\t") } { print }' \
    "$life/want" >"$life/want.piped"
if [ "$(wc -l <"$life/want")" -gt 30 ] &&
    cmp -s "$life/want.piped" "$life/got"; then
	ok "dipb(1) EXAMPLES: the life-cycle session runs as shown"
else
	not_ok "dipb(1) EXAMPLES: the life-cycle session runs as shown ($(diff "$life/want.piped" "$life/got" | head -5 | tr '\n' ' '))"
fi

# A board with one record, for ids and working groups.
board=$tmp/board
cat >"$tmp/dipb.yaml" <<'EOF'
board: Defence Industrial Production Board
short_name: DIPB
submit_to: National Armaments Directors
working_groups:
  - key: industrial-capacity
    prefix: IC
    name: Industrial Capacity
  - key: supply-chain-security
    prefix: SCS
    name: Supply Chain Security
classifications:
  - NATO UNCLASSIFIED
review:
  quorum: 1
members:
  - name: Jane Analyst
    email: jane@example.org
    roles: [drafter]
  - name: Jean Dupont
    email: jean@example.org
    roles: [reviewer]
  - name: Board Chair
    email: chair@example.org
    roles: [chair]
EOF
id=
if GIT_AUTHOR_NAME='Board Chair' GIT_AUTHOR_EMAIL=chair@example.org \
    "$DIPB" init "$board" --config "$tmp/dipb.yaml" >/dev/null 2>"$tmp/err" &&
    id=$(GIT_AUTHOR_NAME='Jane Analyst' GIT_AUTHOR_EMAIL=jane@example.org \
    "$DIPB" -C "$board" recommend --wg supply-chain-security \
    --title 'Stockpile magnets' --summary 'Keep a stock.' --no-edit \
    2>"$tmp/err") && [ -n "$id" ]; then
	ok "a board with one record for the completion tests ($id)"
	got=$(cd "$board" && bash_complete dipb show '')
	if printf '%s\n' "$got" | grep -qxF -- "$id"; then
		ok "bash: dipb show <TAB> offers $id, in the board"
	else
		not_ok "bash: dipb show <TAB> offers $id, in the board (got: $(printf '%s' "$got" | tr '\n' ' '))"
	fi
	complete_has "dipb -C BOARD show <TAB> offers $id" "$id" \
	    dipb -C "$board" show ''
	complete_has "dipb -C BOARD review <TAB> offers the draft $id" "$id" \
	    dipb -C "$board" review ''
	complete_is 'dipb log me<TAB> gives meeting (dipb-log(1))' meeting \
	    dipb -C "$board" log me
	complete_is "dipb -C BOARD submit <TAB> offers no draft" '' \
	    dipb -C "$board" submit ''
	complete_has "dipb -C BOARD diff --unified 5 <TAB> offers $id" "$id" \
	    dipb -C "$board" diff --unified 5 ''
	# bash splits a word at '@' and ':' (COMP_WORDBREAKS): ID@N
	# (dipb-show(1)) and an email are still one word, and bash puts the
	# reply in place of the text from the '@' on.
	complete_line_is "dipb -C BOARD show ID@<TAB> gives the version 1" @1 \
	    "dipb -C $board show $id@" dipb -C "$board" show "$id" @
	complete_line_is "dipb -C BOARD diff ID ID@<TAB> gives the version 1" @1 \
	    "dipb -C $board diff $id $id@" dipb -C "$board" diff "$id" "$id" @
	complete_line_is "dipb -C BOARD review --reply-to jean@<TAB> gives the domain" \
	    @example.org "dipb -C $board review --reply-to jean@" \
	    dipb -C "$board" review --reply-to jean @
	complete_line_is "dipb -C BOARD review --reply-to=jean@ex<TAB> gives the domain" \
	    @example.org "dipb -C $board review --reply-to=jean@ex" \
	    dipb -C "$board" review --reply-to = jean @ ex
	complete_line_is "dipb -C BOARD review --reply-to EMAIL <TAB> gives $id" \
	    "$id" "dipb -C $board review --reply-to jean@example.org " \
	    dipb -C "$board" review --reply-to jean @ example.org ''
	mkdir "$tmp/colon" && : >"$tmp/colon/a:b.yaml"
	got=$(cd "$tmp/colon" && bash_complete_line 'dipb validate a:' \
	    dipb validate a :)
	if [ "$got" = b.yaml ]; then
		ok "bash: dipb validate a:<TAB> gives the file a:b.yaml"
	else
		not_ok "bash: dipb validate a:<TAB> gives the file a:b.yaml (got: $got)"
	fi
	# A -C directory as typed, quoted (dipb(1)): the word bash gives
	# holds the quotes.
	ln -s "$board" "$tmp/my board"
	complete_line_is "dipb -C \"DIR WITH SPACE\" show <TAB> gives $id" \
	    "$id" "dipb -C \"$tmp/my board\" show " \
	    dipb -C "\"$tmp/my board\"" show ''
	complete_line_is "dipb -C 'DIR WITH SPACE' show <TAB> gives $id" \
	    "$id" "dipb -C '$tmp/my board' show " \
	    dipb -C "'$tmp/my board'" show ''
	complete_line_is "dipb -C \$'DIR\\x20WITH SPACE' show <TAB> gives $id" \
	    "$id" "dipb -C \$'$tmp/my\\x20board' show " \
	    dipb -C "\$'$tmp/my\\x20board'" show ''
	# What $'...' holds is text: a command in it is never run.
	complete_line_is "dipb -C \$'\$(touch FILE)' show <TAB> runs nothing" \
	    '' "dipb -C \$'\$(touch $tmp/ran)\\x20' show " \
	    dipb -C "\$'\$(touch $tmp/ran)\\x20'" show ''
	if [ -e "$tmp/ran" ]; then
		not_ok "bash: \$'\$(touch FILE)': FILE made"
	else
		ok "bash: \$'\$(touch FILE)': no FILE made"
	fi
	complete_line_is "dipb -C DIR\\ WITH\\ SPACE show <TAB> gives $id" \
	    "$id" "dipb -C $tmp/my\\ board show " \
	    dipb -C "$tmp/my\\ board" show ''
	complete_line_is "dipb -C\"DIR WITH SPACE\" show ID@<TAB> gives 1" \
	    @1 "dipb -C\"$tmp/my board\" show $id@" \
	    dipb "-C\"$tmp/my board\"" show "$id" @
	complete_is "dipb -C BOARD list --wg <TAB> gives the working groups" \
	    'industrial-capacity supply-chain-security' \
	    dipb -C "$board" list --wg ''
	# What was typed is read as the shell reads it, as compgen -W did.
	complete_is "dipb -C BOARD list --wg industrial\\-c<TAB> (a backslash typed) gives the group" \
	    'industrial-capacity' dipb -C "$board" list --wg 'industrial\-c'
	complete_is "dipb -C BOARD list --wg \"industrial-c<TAB> (a quote typed) gives the group" \
	    'industrial-capacity' dipb -C "$board" list --wg '"industrial-c'
	# An '@' in an open quote or after a backslash is no place readline
	# splits the word at: no reply (one would replace what was typed
	# before it).
	complete_is "dipb -C BOARD list --owner \"chair@ex<TAB> gives nothing" \
	    '' dipb -C "$board" list --owner '"chair' @ ex
	complete_is "dipb -C BOARD list --owner chair\\@ex<TAB> gives nothing" \
	    '' dipb -C "$board" list --owner 'chair\' @ ex
	# A member's email, wherever an option takes one.
	for o in 'meeting --attendee' 'meeting --apology' \
	    'review --reply-to' 'todo --member'; do
		# shellcheck disable=SC2086 # the command and its option
		complete_is "dipb -C BOARD $o <TAB> gives the members' emails" \
		    'chair@example.org jane@example.org jean@example.org' \
		    dipb -C "$board" $o ''
	done
	if command -v fish >/dev/null 2>&1; then
		for o in 'meeting --attendee' 'meeting --apology' \
		    'review --reply-to'; do
			# shellcheck disable=SC2086
			got=$(fish -c 'source $argv[1]; complete -C $argv[2]' \
			    "$FISHC" "$DIPB -C $board $o " 2>&1 | cut -f 1 |
			    LC_ALL=C sort | tr '\n' ' ')
			if [ "$got" = 'chair@example.org jane@example.org jean@example.org ' ]; then
				ok "fish: dipb -C BOARD $o <TAB> gives the members' emails"
			else
				not_ok "fish: dipb -C BOARD $o <TAB> gives the members' emails (got: $got)"
			fi
		done
	else
		skip "fish: the members' emails" 'fish not installed'
	fi
	# An option's value is no argument: the id is still to come.
	complete_has "dipb -C BOARD review --expect FP <TAB> offers $id" \
	    "$id" dipb -C "$board" review --expect 12345678 ''
	if command -v fish >/dev/null 2>&1; then
		for o in '--expect 12345678' '--reply-to jean@example.org' \
		    '-m Ready.'; do
			# shellcheck disable=SC2086 # the option and its value
			got=$(fish -c 'source $argv[1]; complete -C $argv[2]' \
			    "$FISHC" "$DIPB -C $board review $o " 2>&1 | cut -f 1)
			if printf '%s\n' "$got" | grep -qxF -- "$id"; then
				ok "fish: dipb -C BOARD review $o <TAB> offers $id"
			else
				not_ok "fish: dipb -C BOARD review $o <TAB> offers $id (got: $(printf '%s' "$got" | tr '\n' ' '))"
			fi
		done
	else
		skip "fish: an option's value is no argument" 'fish not installed'
	fi
else
	not_ok "a board with one record for the completion tests ($(head -1 "$tmp/err"))"
fi

# What the completion offers from the board is text, never run: tag names
# (anyone may push one, and dipb sync fetches it), dipb.yaml's keys and
# emails, remotes.  compgen -W expands the words of its list as the shell
# expands a word, $(...) and `...` included.  Each here would make a file
# ran_* in the board's directory, where the completion runs.
evil=$tmp/evil
# shellcheck disable=SC2016 # the $(...) and `...` are the text
printf '%s\n' 'board: B' 'working_groups:' \
    '  - key: $(touch${IFS}ran_wg)' '    prefix: IC' \
    '  - key: `touch${IFS}ran_wg2`' '    prefix: SCS' 'members:' \
    '  - name: M' '    email: m$(touch${IFS}ran_email)@example.org' \
    '  - name: N' '    email: n`touch${IFS}ran_email2`@example.org' \
    >"$tmp/evil.yaml"
# shellcheck disable=SC2016
if git init -q "$evil" && cp "$tmp/evil.yaml" "$evil/dipb.yaml" &&
    git -C "$evil" -c user.name=x -c user.email=x@example.org \
    commit -q --allow-empty -m init &&
    git -C "$evil" tag 'IC-0001/1-$(touch${IFS}ran_diff)' &&
    git -C "$evil" tag 'IC-0001/2-`touch${IFS}ran_diff2`' &&
    git -C "$evil" tag 'IC-0001/$(touch${IFS}ran_show)' &&
    git -C "$evil" tag 'IC-0001/`touch${IFS}ran_show2`' &&
    git -C "$evil" remote add '$(touch${IFS}ran_remote)' "$tmp/none" &&
    git -C "$evil" remote add '`touch${IFS}ran_remote2`' "$tmp/none"; then
	bash_complete_evil() { cd "$evil" && bash_complete "$@"; }
	bash_complete_line_evil() { cd "$evil" && bash_complete_line "$@"; }
	# shellcheck disable=SC2016
	_complete_is bash_complete_evil \
	    'dipb diff ID <TAB> offers the tags $(...) and `...` quoted' \
	    '1-\$\(touch\$\{IFS\}ran_diff\) 2-\`touch\$\{IFS\}ran_diff2\`
	    \$\(touch\$\{IFS\}ran_show\) \`touch\$\{IFS\}ran_show2\`' \
	    dipb diff IC-0001 ''
	# shellcheck disable=SC2016
	_complete_is bash_complete_line_evil \
	    'dipb show ID@<TAB> offers the versions $(...) and `...` quoted' \
	    '@1 @2 @\$\(touch\$\{IFS\}ran_show\) @\`touch\$\{IFS\}ran_show2\`' \
	    'dipb show IC-0001@' dipb show IC-0001 @
	# shellcheck disable=SC2016
	_complete_is bash_complete_line_evil \
	    'dipb diff ID ID@<TAB> offers the versions $(...) and `...` quoted' \
	    '@1 @2 @\$\(touch\$\{IFS\}ran_show\) @\`touch\$\{IFS\}ran_show2\`' \
	    'dipb diff IC-0001 IC-0001@' dipb diff IC-0001 IC-0001 @
	for o in 'list --wg' 'recommend --wg'; do
		# shellcheck disable=SC2086,SC2016 # the command and its option
		_complete_is bash_complete_evil \
		    "dipb $o <TAB> offers the keys \$(...) and \`...\` quoted" \
		    '\$\(touch\$\{IFS\}ran_wg\) \`touch\$\{IFS\}ran_wg2\`' dipb $o ''
	done
	# shellcheck disable=SC2016
	_complete_is bash_complete_evil \
	    'dipb list --wg=$(t<TAB> gives the key $(touch...), the word as typed' \
	    '\$\(touch\$\{IFS\}ran_wg\)' dipb list --wg = '$(t'
	for o in 'list --author' 'list --owner' 'todo --member' \
	    'meeting --attendee' 'meeting --apology' 'review --reply-to'; do
		# shellcheck disable=SC2086,SC2016 # the command and its option
		_complete_is bash_complete_evil \
		    "dipb $o <TAB> offers the emails \$(...) and \`...\` quoted" \
		    'm\$\(touch\$\{IFS\}ran_email\)@example.org n\`touch\$\{IFS\}ran_email2\`@example.org' \
		    dipb $o ''
	done
	# shellcheck disable=SC2016
	# Typed quoted: read as the shell reads it, and what bash keeps of
	# the line before the '@' left out as the shell reads it.
	# shellcheck disable=SC2016
	_complete_is bash_complete_evil \
	    'dipb list --wg \$\(t<TAB> (typed quoted) gives the key $(touch...) quoted' \
	    '\$\(touch\$\{IFS\}ran_wg\)' dipb list --wg '\$\(t'
	# shellcheck disable=SC2016
	_complete_is bash_complete_line_evil \
	    'dipb list --owner m\$\(...\)@ex<TAB> (typed quoted) gives @example.org' \
	    '@example.org' 'dipb list --owner m\$\(touch\$\{IFS\}ran_email\)@ex' \
	    dipb list --owner 'm\$\(touch\$\{IFS\}ran_email\)' @ ex
	# After an open quote, as the shell reads it back in that quote.
	# shellcheck disable=SC2016
	_complete_is bash_complete_evil \
	    'dipb list --owner "m$<TAB> gives the email, $ escaped for the double quotes' \
	    'm\$(touch\${IFS}ran_email)@example.org' dipb list --owner '"m$'
	# shellcheck disable=SC2016
	_complete_is bash_complete_evil \
	    "dipb list --owner 'm\$<TAB> gives the email as it is in single quotes" \
	    'm$(touch${IFS}ran_email)@example.org' dipb list --owner "'m\$"
	_complete_is bash_complete_evil \
	    'dipb sync <TAB> offers the remotes $(...) and `...` quoted' \
	    '\$\(touch\$\{IFS\}ran_remote\) \`touch\$\{IFS\}ran_remote2\`' dipb sync ''
	for f in ran_diff ran_diff2 ran_show ran_show2 ran_wg ran_wg2 \
	    ran_email ran_email2 ran_remote ran_remote2; do
		if [ -e "$evil/$f" ]; then
			not_ok "bash: completing ran the command in a name ($f made)"
		else
			ok "bash: completing runs no command in a name ($f not made)"
		fi
	done
	# The zsh and fish checks below count only what they make.
	rm -f "$evil"/ran_*
else
	not_ok "a board with \$(...) and \`...\` in its tags, dipb.yaml and remotes"
fi

# --- zsh and fish ----------------------------------------------------------

# none_ran SHELL: no ran_* file in the board of $(...) names (one check).
none_ran() {
	ran=$(cd "$evil" && for f in ran_*; do
		[ ! -e "$f" ] || printf '%s ' "$f"
	done)
	if [ -z "$ran" ]; then
		ok "$1: completing runs no command in a name"
	else
		not_ok "$1: completing ran the commands in names ($ran made)"
		rm -f "$evil"/ran_*
	fi
}

if command -v zsh >/dev/null 2>&1; then
	out=$(zsh -f -c 'autoload -Uz compinit && compinit -u -D &&
	    source "$1" && [[ $_comps[dipb] == _dipb ]]' zsh "$ZSHC" 2>&1)
	if [ $? -eq 0 ] && [ -z "$out" ]; then
		ok "zsh: completions/_dipb loads under zsh -f"
	else
		not_ok "zsh: completions/_dipb loads under zsh -f ($out)"
	fi
	# What zsh completes, in a pseudo-terminal (zsh/zpty) as a user's
	# shell would: LINE and a tab, in the board of the bash tests, the
	# line as it reads once completed.
	cat >"$tmp/complete.zsh" <<'EOF'
zmodload zsh/zpty || exit 1
zpty z 'TERM=dumb zsh -f -i'
zpty -w z "unset zle_bracketed_paste; PS1='> '; autoload -Uz compinit;
    compinit -u -D; source ${(q)1}; print RE''ADY"
out= line=
# The line is typed once the shell prints READY and its prompt (the
# echo of the command reads RE''ADY), or zsh may take it before zle.
for i in {1..300}; do
	zpty -r -t z line 2>/dev/null && out+=$line && continue
	[[ $out == *READY*'> '* ]] && break
	sleep 0.1
done
zpty -w -n z "$2"$'\t'
# Then until the line has grown past what was typed, and has stayed so
# for a tenth of a second: a completion may also quote what was typed
# (m to \$\(...), and the tab itself may be echoed first.
prev=
for i in {1..100}; do
	zpty -r -t z line 2>/dev/null && out+=$line && continue
	s=${${${out##*> }//$'\r'/}//$'\t'/}
	(( ${#s} > ${#2} )) && [[ $s == "$prev" ]] && break
	prev=$s
	sleep 0.1
done
zpty -d z
print -r -- "${${out##*> }//$'\r'/}"
EOF
	mkdir -p "$tmp/bin"
	ln -sf "$DIPB" "$tmp/bin/dipb"
	if [ -n "$id" ]; then
		got=$(cd "$board" && PATH="$tmp/bin:$PATH" zsh -f \
		    "$tmp/complete.zsh" "$ZSHC" 'dipb log b' 2>&1 | tail -n 1)
		case $got in
		'dipb log board'*)
			ok "zsh: dipb log b<TAB> gives board, as bash and fish" ;;
		*)
			not_ok "zsh: dipb log b<TAB> gives board, as bash and fish (got: $got)" ;;
		esac
		got=$(cd "$board" && PATH="$tmp/bin:$PATH" zsh -f \
		    "$tmp/complete.zsh" "$ZSHC" 'dipb log me' 2>&1 | tail -n 1)
		case $got in
		'dipb log meeting'*)
			ok "zsh: dipb log me<TAB> gives meeting, as bash and fish" ;;
		*)
			not_ok "zsh: dipb log me<TAB> gives meeting, as bash and fish (got: $got)" ;;
		esac
	fi
	# compadd takes the words of the board as they are, and quotes them
	# on the line.  A word expanded would not come out whole (zsh splits
	# no ${IFS}: the commands would not be found, so no ran_* file).
	if [ -d "$evil/.git" ]; then
		# shellcheck disable=SC2016
		for l in 'dipb list --wg \$' 'dipb review --reply-to m' \
		    'dipb list --author n' 'dipb sync \$'; do
			got=$(cd "$evil" && zsh -f "$tmp/complete.zsh" "$ZSHC" \
			    "$l" 2>&1 | tail -n 1)
			case $l in
			*--wg*)	want='\(touch\$\{IFS\}ran_wg\)' ;;
			*--reply-to*)
				want='\$\(touch\$\{IFS\}ran_email\)@example.org' ;;
			*--author*)
				want='\`touch\$\{IFS\}ran_email2\`@example.org' ;;
			*)	want='\(touch\$\{IFS\}ran_remote\)' ;;
			esac
			case $got in
			"$l$want"*)
				ok "zsh: $l<TAB> gives the word \$(...) or \`...\` quoted" ;;
			*)
				not_ok "zsh: $l<TAB> gives the word \$(...) or \`...\` quoted (got: $got)" ;;
			esac
		done
		none_ran zsh
	fi
else
	skip "zsh: completions/_dipb loads under zsh -f" 'zsh not installed'
fi

if command -v fish >/dev/null 2>&1; then
	fish_complete() {
		fish -c 'source $argv[1]; complete -C $argv[2]' "$FISHC" "$1" \
		    2>&1 | cut -f 1
	}
	# (__dipb_ids) runs a dipb that may not be on PATH: only the word.
	got=$(fish_complete 'dipb log me')
	if printf '%s\n' "$got" | grep -qxF meeting; then
		ok "fish: dipb log me<TAB> gives meeting"
	else
		not_ok "fish: dipb log me<TAB> gives meeting (got: $got)"
	fi
	got=$(fish_complete 'dipb rev')
	if [ "$got" = review ]; then
		ok "fish: dipb rev<TAB> gives review"
	else
		not_ok "fish: dipb rev<TAB> gives review (got: $got)"
	fi
	got=$(fish_complete 'dipb list --status ')
	if printf '%s\n' "$got" | grep -qxF endorsed; then
		ok "fish: dipb list --status <TAB> offers endorsed"
	else
		not_ok "fish: dipb list --status <TAB> offers endorsed (got: $(printf '%s' "$got" | tr '\n' ' '))"
	fi
	got=$(fish_complete 'dipb review X --')
	if printf '%s\n' "$got" | grep -qxF -- --endorse; then
		ok "fish: dipb review X --<TAB> offers --endorse"
	else
		not_ok "fish: dipb review X --<TAB> offers --endorse (got: $(printf '%s' "$got" | tr '\n' ' '))"
	fi
	# An option's value is no argument: the kind still comes after it.
	for opt in --meeting --today --title --max-classification; do
		got=$(fish_complete "dipb report $opt X ")
		if printf '%s\n' "$got" | grep -qxF status; then
			ok "fish: dipb report $opt X <TAB> offers the kinds"
		else
			not_ok "fish: dipb report $opt X <TAB> offers the kinds (got: $(printf '%s' "$got" | tr '\n' ' '))"
		fi
	done
	# What fish offers from the board is text too: the words whole (fish
	# reads no ${IFS} nor `...`, so no ran_* file tells).
	if [ -d "$evil/.git" ]; then
		for l in 'dipb list --wg ' 'dipb list --author ' 'dipb sync '; do
			got=$(cd "$evil" && fish_complete "$l" | words | tr '\n' ' ')
			case $l in
			*wg*)	# shellcheck disable=SC2016
				want='$(touch${IFS}ran_wg) `touch${IFS}ran_wg2` ' ;;
			*author*) # shellcheck disable=SC2016
				want='m$(touch${IFS}ran_email)@example.org n`touch${IFS}ran_email2`@example.org ' ;;
			*)	# shellcheck disable=SC2016
				want='$(touch${IFS}ran_remote) `touch${IFS}ran_remote2` ' ;;
			esac
			if [ "$got" = "$want" ]; then
				ok "fish: $l<TAB> offers \$(...) and \`...\` as they are"
			else
				not_ok "fish: $l<TAB> offers \$(...) and \`...\` as they are (got: $got; want: $want)"
			fi
		done
		none_ran fish
	fi
else
	skip "fish: completions/dipb.fish completes" 'fish not installed'
fi

# --- make lint-git: libgit2's headers in src/git/ only ------------------------

# lint_git DESC WANT FILE TEXT: make lint-git on a tree of its own holding
# FILE (TEXT) and src/git/ok.c including <git2.h>, exits WANT (0, or 2:
# make's status for a failed recipe).
lint_git() {
	rm -rf "$tmp/lint"
	mkdir -p "$tmp/lint/src/git" "$(dirname "$tmp/lint/src/$3")"
	printf '#include <git2.h>\n#include <git2/oid.h>\n' \
	    >"$tmp/lint/src/git/ok.c"
	printf '%s\n' "$4" >"$tmp/lint/src/$3"
	make -s -C "$DIPB_SRCDIR" lint-git LINT_SRC="$tmp/lint/src" \
	    >"$tmp/lint.out" 2>&1
	got=$?
	if [ "$got" -eq "$2" ]; then
		ok "make lint-git: $1"
	else
		not_ok "make lint-git: $1 (exit $got, want $2: $(tr '\n' ' ' <"$tmp/lint.out"))"
	fi
}
if command -v make >/dev/null 2>&1; then
	lint_git 'src/foo.c including <git2/oid.h> fails' 2 foo.c \
	    '#include <git2/oid.h>'
	lint_git 'src/foo.h including "git2.h" fails' 2 foo.h \
	    '#  include "git2.h"'
	lint_git 'src/report/x.c including <git2/sys/odb_backend.h> fails' 2 \
	    report/x.c '	#include <git2/sys/odb_backend.h>'
	lint_git 'src/foo.c including "repo.h" passes' 0 foo.c \
	    '#include "repo.h"'
	make -s -C "$DIPB_SRCDIR" lint-git LINT_SRC="$tmp/no-such-tree" \
	    >"$tmp/lint.out" 2>&1
	got=$?
	if [ "$got" -eq 2 ]; then
		ok 'make lint-git: a tree that is missing fails'
	else
		not_ok "make lint-git: a tree that is missing fails (exit $got, want 2)"
	fi
	make -s -C "$DIPB_SRCDIR" lint-git >"$tmp/lint.out" 2>&1 &&
	    ok 'make lint-git: dipb'"'"'s own tree passes' ||
	    not_ok "make lint-git: dipb's own tree passes ($(cat "$tmp/lint.out"))"
else
	skip 'make lint-git: libgit2'"'"'s headers in src/git/ only' 'no make'
fi

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]

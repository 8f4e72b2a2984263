#!/bin/sh
# tests/cli/line-separators.sh - U+2028 LINE SEPARATOR and U+2029
# PARAGRAPH SEPARATOR end a line for Python's splitlines and JavaScript,
# as NEL (U+0085) does: a single-line field may hold none
# (dipb-validate(1), control-character), a Markdown field may, and the
# text of dipb list, todo and log, one line a record or change, shows one
# that a record made by git holds as '?', as it shows NEL.
. "$(dirname "$0")/lib.sh"

LS=$(printf '\342\200\250')
PS=$(printf '\342\200\251')
NEL=$(printf '\302\205')

new_board seps
as drafter
for c in LS PS NEL; do
	eval "ch=\$$c"
	check_refused 2 "control character U+" \
	    "recommend --title with $c: refused" \
	    dipb recommend --wg industrial-capacity --title "a${ch}b" \
	    --summary S --no-edit
done
check 'recommend --summary with LS and PS: a Markdown field may' \
    dipb recommend --wg industrial-capacity --title Fine \
    --summary "one${LS}two${PS}three" --no-edit
check 'the record written so is valid' dipb validate

# A title, an action and a commit's subject that hold them, made by git.
at 2026-03-02
cat >"$TROOT/split.yaml" <<'YAML'
summary: S.
actions:
  - text: Act @LS@ now
    owner: dan@example.org
    due: 2026-04-01
YAML
dipb recommend --wg industrial-capacity --title "Split @LS@ here @PS@ too" \
    --from "$TROOT/split.yaml" --no-edit >/dev/null 2>&1
drive IC-0002 decided
hostile IC-0002
check 'oracle: the record holds U+2028 and U+2029 escaped' sh -c \
    'git show HEAD:recommendations/IC-0002.yaml | grep -q -F "\\L here \\P"'
sedit recommendations/IC-0001.yaml 's/^summary: .*/summary: By hand./'
git commit -q -am "By hand ${LS}split"
as drafter

# one_line DESC CMD...: CMD exits 0 and its output holds no U+2028,
# U+2029 or U+0085, and a '?' where they were (WANT).
one_line() {
	_d=$1 _w=$2
	shift 2
	run "$@"
	if [ "$RC" -eq 0 ] && ! grep -q -e "$LS" -e "$PS" -e "$NEL" "$OUT" &&
	    grep -q -F -e "$_w" "$OUT"; then
		ok "$_d"
	else
		not_ok "$_d" "exit status $RC; output:" "$(cat "$OUT")"
	fi
}
one_line 'list: no line separator, a ? for each' 'Split ? here ? too' \
    dipb list
one_line 'list --status decided: the same' 'Split ? here ? too' \
    dipb list --status decided
one_line 'log: no line separator in a subject' 'By hand ?split' dipb log
one_line 'todo: no line separator in an action' 'Act ? now' \
    dipb todo --today 2026-03-03
check 'validate: the title and the action, a control each' sh -c \
    'dipb validate 2>&1 | grep -c "U+202[89]" | grep -qx 2'

finish

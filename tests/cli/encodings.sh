#!/bin/sh
# tests/cli/encodings.sh - text encodings, with git as the oracle: a
# change another clone made with plain git in another encoding (an
# 'encoding' header, i18n.commitEncoding) is replayed by dipb sync as git
# reads it, never published as bytes of no encoding; the JSON of dipb log
# escapes a bidirectional control as dipb-log(1) says; and the output
# and exit status of the readers do not depend on the locale.
. "$(dirname "$0")/lib.sh"

rlo=$(printf '\342\200\256')		# U+202E, RIGHT-TO-LEFT OVERRIDE

at 2026-01-05
new_board
as drafter
mkrec industrial-capacity 'Alpha' >/dev/null		# IC-0001
mkrec supply-chain-security 'Bravo' >/dev/null		# SCS-0001
drive IC-0001 in-review
drive SCS-0001 in-review

# --- dipb log --format json: a bidirectional control escaped ---------------
#
# dipb-log(1): the text shows a bidirectional control as '?'; "the JSON
# escapes it (\u202E)", as dipb show and dipb list do (terminal.sh): the
# value read back is the one written.
at 2026-01-06
as rev1
run dipb review SCS-0001 --request-changes -m "Comment ${rlo}x."
check_eq 'a review comment with U+202E is written' 0 "$RC"
run dipb log SCS-0001
cp "$OUT" "$TROOT/bidi-id.txt"
check 'log ID (text): the comment, the control as ?' \
    grep -q -x -F '    Comment ?x.' "$TROOT/bidi-id.txt"
run dipb log SCS-0001 --format json
cp "$OUT" "$TROOT/bidi-id.jsonl"
check 'log ID --format json: the comment escaped, \u202E, and read back as written' \
    python3 -c '
import json, sys
c = [json.loads(l)["comment"] for l in open(sys.argv[1])]
assert c[-1] == "Comment \u202ex.", repr(c[-1])
' "$TROOT/bidi-id.jsonl"
run dipb log --format json
cp "$OUT" "$TROOT/bidi-all.jsonl"
check 'log --format json: the comment escaped, \u202E, and read back as written' \
    python3 -c '
import json, sys
c = [json.loads(l)["comment"] for l in open(sys.argv[1])]
assert c[0] == "Comment \u202ex.", repr(c[0])
' "$TROOT/bidi-all.jsonl"

# --- The readers do not depend on the locale -------------------------------
#
# dipb(1) names no locale variable: what a reader prints, and its exit
# status, are the same under C, POSIX and C.UTF-8 (and any other locale
# the system has), the titles non-ASCII.
as drafter
run dipb recommend --wg industrial-capacity --no-edit \
    --title "$(printf '\303\211clair \304\260stanbul \346\274\242\345\255\227')" \
    --summary 'Non-ASCII.'
check_eq 'a record with a non-ASCII title' 0 "$RC"
locales=$(locale -a 2>/dev/null | grep -v -x -e C.UTF-8 -e C.utf8 -e C -e POSIX | head -n 6)
# Turkish, where toupper('i') and tolower('I') are not the ASCII letters'
# (in ISO-8859-9), built with localedef(1) in $TROOT when the system has
# its source but not the locale: LOCPATH names it for these runs only.
if command -v localedef >/dev/null 2>&1 && mkdir "$TROOT/loc"; then
	for _l in tr_TR:UTF-8 tr_TR:ISO-8859-9; do
		localedef -i "${_l%%:*}" -f "${_l#*:}" \
		    "$TROOT/loc/${_l%%:*}.${_l#*:}" >/dev/null 2>&1 || continue
		[ "$(LOCPATH=$TROOT/loc LC_ALL=${_l%%:*}.${_l#*:} locale charmap \
		    2>/dev/null)" = "${_l#*:}" ] &&
		    locales="$locales ${_l%%:*}.${_l#*:}"
	done
fi
case $locales in
*tr_TR*) ok "locales to try: C POSIX $(echo $locales)" ;;
*) skip 'a Turkish locale among those tried' 'no tr_TR, nor localedef and its source' ;;
esac
for cmd in 'list' 'list --format json' 'show IC-0002' 'log' 'log IC-0001' \
    'log --format json' 'todo --member dan@example.org' \
    'todo --member RITA@EXAMPLE.ORG' 'list --author RITA@EXAMPLE.ORG' \
    'list --author DAN@EXAMPLE.ORG' 'list --grep ISTANBUL' \
    'list --grep CLAIR' 'verify' 'validate' 'report status' \
    'report status --format json'; do
	LC_ALL=C.UTF-8 sh -c "dipb $cmd; echo \"rc=\$?\"" \
	    >"$TROOT/loc.ref" 2>&1
	_why=
	for L in C POSIX $locales; do
		LOCPATH=$TROOT/loc LC_ALL=$L sh -c "dipb $cmd; echo \"rc=\$?\"" \
		    >"$TROOT/loc.out" 2>&1
		cmp -s "$TROOT/loc.ref" "$TROOT/loc.out" ||
		    _why="$_why${_why:+ }$L"
	done
	if [ -z "$_why" ]; then
		ok "dipb $cmd: the same output and status in every locale"
	else
		not_ok "dipb $cmd: the same output and status in every locale" \
		    "differs under: $_why" \
		    "$(diff "$TROOT/loc.ref" "$TROOT/loc.out" | head -n 10)"
	fi
done

# --- dipb sync: a change with an 'encoding' header -------------------------
#
# Rita's clone makes her endorsement with dipb, then amends its message
# with plain git, in Latin-1 (git -c i18n.commitEncoding=ISO-8859-1 commit
# --amend: the commit has an 'encoding ISO-8859-1' header, and git log
# reads "Très bien, café." and "Rita Réviewer"), and moves the tag onto
# it.  dipb sync replays it on the remote's new change: dipb-sync(1) keeps
# "its author (member, name and date) and its message's subject ... and
# body as git reads them (git-log(1), %s and %b)", and dipb-git(7) says
# dipb writes its changes "in UTF-8 with no 'encoding' header".  So what
# is published reads as git read it before, or the sync refuses: never
# the Latin-1 bytes under no header, which every git shows as U+FFFD.
share_two latin || { finish; exit 1; }
# upstream_moves TITLE: clone A drafts TITLE and pushes it, so that B's
# changes are made again on it; back in B.
upstream_moves() {
	cd "$A" || exit 1
	as drafter
	mkrec industrial-capacity "$1" >/dev/null
	git push -q origin main 'refs/tags/*:refs/tags/*' 2>/dev/null
	cd "$B" || exit 1
}
upstream_moves Charlie
as rev1
run dipb review IC-0001 --endorse -m 'Très bien, café.'
check_eq 'latin: the endorsement is made in the clone' 0 "$RC"
git log -1 --format=%B | iconv -f UTF-8 -t ISO-8859-1 >"$TROOT/latin.msg"
GIT_AUTHOR_NAME=$(printf 'Rita R\351viewer') \
GIT_COMMITTER_NAME=$(printf 'Rita R\351viewer') \
    git -c i18n.commitEncoding=ISO-8859-1 commit -q --amend \
    --reset-author -F "$TROOT/latin.msg" &&
    git tag -f -a -m 'IC-0001: endorsed by Rita Reviewer (1/2)' \
    IC-0001/3-reviewed HEAD >/dev/null
check_eq 'latin: git reads the amended change in UTF-8 (set-up)' \
    'Rita Réviewer|Très bien, café.' \
    "$(git log -1 --format='%an|%b' | sed -n 1p)"
check_eq 'latin: its commit has the header encoding ISO-8859-1 (set-up)' \
    'encoding ISO-8859-1' "$(git cat-file commit HEAD | grep '^encoding ')"
# dipb reads a commit's text as its bytes, never converted (dipb-git(7),
# i18n.commitEncoding): dipb log shows each Latin-1 byte as '?'.
run dipb log IC-0001 --format json
cp "$OUT" "$TROOT/latin-log.jsonl"
check 'latin: dipb log reads the author and the comment as their bytes' \
    python3 -c '
import json, sys
e = [json.loads(l) for l in open(sys.argv[1])][-1]
assert (e["author"]["name"], e["comment"]) == \
    ("Rita R?viewer", "Tr?s bien, caf?."), e
' "$TROOT/latin-log.jsonl"
# refused WHAT ENC: dipb sync refuses the local change at HEAD, whose
# header is 'encoding ENC', before anything is rewritten: exit 1, the
# message names it, its encoding and what to do, and neither the remote
# nor the clone moved.
refused() {
	_head=$(git rev-parse HEAD) _was=$(git --git-dir="$SRV" rev-parse main)
	run dipb sync
	cp "$ERR" "$TROOT/$1.err"
	check_eq "$1: dipb sync refuses it (exit 1)" 1 "$RC"
	check "$1: the refusal names the commit and its encoding" grep -q -F \
	    "local commit $(git rev-parse --short=7 HEAD) has the header \
'encoding $2'" "$TROOT/$1.err"
	check "$1: ... and says what to do" grep -q -F \
	    'git -c i18n.commitEncoding=UTF-8 commit --amend' "$TROOT/$1.err"
	check_eq "$1: the remote did not move" "$_was" \
	    "$(git --git-dir="$SRV" rev-parse main)"
	check_eq "$1: nothing was rewritten in the clone" "$_head" \
	    "$(git rev-parse HEAD)"
}
# A header naming an encoding the text converts from: refused all the same.
refused latin ISO-8859-1
git reset -q --hard HEAD~1 && git tag -d IC-0001/3-reviewed >/dev/null

# A header naming an encoding iconv(3) does not know, and a Latin-1 name:
# refused, and dipb log reads it, its bytes as ?.
upstream_moves Echo
as drafter
mkrec industrial-capacity 'Delta' >/dev/null
_tag=$(git tag --points-at HEAD)
GIT_AUTHOR_NAME=$(printf 'Dan Dr\351fter') \
    git -c i18n.commitEncoding=X-NO-SUCH-ENCODING commit -q --amend \
    --reset-author --no-edit &&
    git tag -f -a -m "$(git cat-file tag "$_tag" | sed '1,/^$/d')" \
    "$_tag" HEAD >/dev/null
check_eq 'unknown: its commit has the header (set-up)' \
    'encoding X-NO-SUCH-ENCODING' \
    "$(git cat-file commit HEAD | grep '^encoding ')"
refused unknown X-NO-SUCH-ENCODING
run dipb log "${_tag%%/*}"
cp "$OUT" "$TROOT/unk.txt"
check_eq 'unknown: dipb log still reads it, its bytes as ?' 0 "$RC"
check 'unknown: ... the name shown with ? for what is not UTF-8' \
    grep -q -F ', by Dan Dr?fter' "$TROOT/unk.txt"
cd "$BOARD" || exit 1

# --- UTF-7: dipb's verdict is git's, or a finding --------------------------
#
# git log converts a commit's whole object from its 'encoding' header,
# and shows its bytes when that fails; dipb reads the bytes.  Where the
# two could read other trailers, dipb verify finds it: never a clean
# verify of a change git reads as no dipb change, or the other way.
# utf7 NAME SED [TAIL]: a new board's IC-0001 in review, its last change
# written again with the header 'encoding UTF-7', its lines edited by
# SED, TAIL appended to its message, and its tag moved onto it; git's
# trailers, dipb verify's output and status, and dipb log's in $TROOT.
utf7() {
	new_board
	as drafter
	mkrec industrial-capacity 'Alpha' >/dev/null
	drive IC-0001 in-review
	_tag=$(git tag --points-at HEAD)
	git cat-file commit HEAD | sed "$2" | awk 'BEGIN { h = 1 }
	    h && /^$/ { print "encoding UTF-7"; h = 0 } { print }' \
	    >"$TROOT/$1.commit"
	printf '%s' "${3-}" >>"$TROOT/$1.commit"
	git reset -q --hard \
	    "$(git hash-object -t commit -w "$TROOT/$1.commit")"
	git tag -f -a -m "$(git cat-file tag "$_tag" | sed '1,/^$/d')" \
	    "$_tag" HEAD >/dev/null
	git log -1 --format='%(trailers:only,unfold)' >"$TROOT/$1.git"
	run dipb verify
	cp "$OUT" "$TROOT/$1.verify"
	_vrc=$RC
	run dipb log IC-0001
	cp "$OUT" "$TROOT/$1.log"
}
zone='s/ [+-][0-9][0-9][0-9][0-9]$/ -0500/'
# The zone -0500 (no '+', UTF-7's shift) lets git convert the object:
# '+AAA-' is a NUL, where git's message ends, so git reads the trailers
# before it; dipb's bytes have a last paragraph after them.
utf7 nul "$zone" "$(printf '+AAA-\n\nplain note\n')"
check 'utf7 nul: git reads dipb trailers (set-up)' \
    grep -q -x 'Dipb-Event: review-requested' "$TROOT/nul.git"
check_eq 'utf7 nul: dipb verify finds it (exit 1)' 1 "$_vrc"
check 'utf7 nul: ... a plain commit, a finding on that commit' \
    grep -q "^$(git rev-parse --short=12 HEAD) .*\\[plain-commit\\]" \
    "$TROOT/nul.verify"
check 'utf7 nul: dipb log shows it as no state change (forged)' \
    grep -q '2-review-requested (forged)' "$TROOT/nul.log"
# '+AC0-' is '-' in UTF-7, but the zone +0000 does not convert: git shows
# the bytes, 'Dipb+AC0-Record', no trailer of dipb's, as dipb reads them.
utf7 dash '/^Dipb-/s/^Dipb-/Dipb+AC0-/'
check_eq 'utf7 dash: git reads no dipb trailer (set-up)' '' \
    "$(grep '^Dipb-' "$TROOT/dash.git")"
check 'utf7 dash: dipb verify reads a plain commit, as git does' \
    grep -q "^$(git rev-parse --short=12 HEAD) .*\\[plain-commit\\]" \
    "$TROOT/dash.verify"
check 'utf7 dash: dipb log shows it as no state change (forged)' \
    grep -q '2-review-requested (forged)' "$TROOT/dash.log"
# dipb's trailers in the bytes, and after '+AAoACg-' ("\n\n") a last
# paragraph in git's reading: dipb verify finds the header.
utf7 split "$zone; /^Dipb-Status:/s/\$/\\nNote: a+AAoACg-x/"
check_eq 'utf7 split: git reads no dipb trailer (set-up)' '' \
    "$(grep '^Dipb-' "$TROOT/split.git")"
check_eq 'utf7 split: dipb verify finds it (exit 1)' 1 "$_vrc"
check 'utf7 split: ... the header [trailers]' grep -q -F \
    "the commit has the header 'encoding UTF-7', which dipb never writes" \
    "$TROOT/split.verify"
# dipb log reads the bytes (dipb-git(7)): the change it was.
check 'utf7 split: dipb log reads the bytes: a state change' \
    grep -q '2-review-requested  draft -> in-review' "$TROOT/split.log"
cd "$BOARD" || exit 1

# The window form, a plain git commit's subject (one that changed a
# record's file, which the window lists): the JSON
# escapes a bidirectional control, the text shows it as '?'.
_f=$(git ls-files recommendations | sed -n 1p)
echo '# a note' >>"$_f"
git commit -q -m "plain ${rlo}y" "$_f"
run dipb log --format json
cp "$OUT" "$TROOT/plain.jsonl"
check 'log --format json: a plain commit subject escaped, \u202E' \
    python3 -c '
import json, sys
s = [json.loads(l)["subject"] for l in open(sys.argv[1])]
assert "plain \u202ey" in s, s
' "$TROOT/plain.jsonl"
run dipb log
cp "$OUT" "$TROOT/plain.txt"
check 'log (text): the plain commit subject, the control as ?' \
    grep -q -F 'plain ?y' "$TROOT/plain.txt"
check 'log (text): no bidirectional control written' \
    sh -c "! grep -q -F '$rlo' '$TROOT/plain.txt'"

finish

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
cd "$A" || exit 1
as drafter
mkrec industrial-capacity 'Charlie' >/dev/null
git push -q origin main 'refs/tags/*:refs/tags/*' 2>/dev/null
cd "$B" || exit 1
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
run dipb sync
_rc=$RC
cd "$SRV" || exit 1
# Every commit of the server's branch is text in the encoding it says
# (UTF-8 when it says none), as git reads it.
check 'latin: every commit on the remote is in the encoding its header says' \
    python3 -c '
import subprocess
bad = []
for c in subprocess.run(["git", "rev-list", "main"], capture_output=True,
                        text=True, check=True).stdout.split():
    raw = subprocess.run(["git", "cat-file", "commit", c],
                         capture_output=True, check=True).stdout
    head = raw.split(b"\n\n", 1)[0]
    enc = "utf-8"
    for l in head.split(b"\n"):
        if l.startswith(b"encoding "):
            enc = l[9:].decode()
    try:
        raw.decode(enc)
    except (UnicodeDecodeError, LookupError) as e:
        bad.append("%s (%s): %s" % (c[:12], enc, e))
assert not bad, bad
'
if git rev-parse -q --verify 'refs/tags/IC-0001/3-reviewed^{commit}' \
    >/dev/null; then
	check_eq 'latin: the change landed as git read it: author and comment' \
	    'Rita Réviewer|Très bien, café.' \
	    "$(git log -1 --format='%an|%b' 'IC-0001/3-reviewed^{commit}' |
	    sed -n 1p)"
	check_eq 'latin: the commit dipb wrote has no encoding header' '' \
	    "$(git cat-file commit 'IC-0001/3-reviewed^{commit}' |
	    sed -n '/^$/q; /^encoding /p')"
else
	check_eq 'latin: a sync that publishes nothing says so (exit 6)' 6 "$_rc"
fi
cd "$BOARD" || exit 1

finish

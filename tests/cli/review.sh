#!/bin/sh
# tests/cli/review.sh - dipb review: request, endorse up to the quorum,
# request changes, object; own reviews refused; a later review replaces an
# earlier one; edited content makes earlier endorsements stale.
. "$(dirname "$0")/lib.sh"

# reviews_by ID EMAIL: how many reviews EMAIL has in record ID (dipb show).
reviews_by() {
	jshow "$1" "len([r for r in d.get('reviews', []) if r['reviewer'] == '$2'])"
}

# comment_of ID EMAIL: the comment of EMAIL's first review of ID, as JSON.
comment_of() {
	jshow "$1" "json.dumps([r for r in d['reviews'] if r['reviewer'] == '$2'][0]['comment'])"
}

# fingerprint ID: what the fingerprint of record ID at HEAD must be: the
# first 8 hex digits of the git blob id of the canonical YAML of the
# drafter's fields, action states left out.
fingerprint() {
	git show "HEAD:recommendations/$1.yaml" | awk '
	/^[^ #-]/ {
		k = $0; sub(/:.*/, "", k)
		keep = k ~ /^(title|working_group|classification|priority|topics|summary|rationale|actions|references)$/
	}
	keep && !(k == "actions" && /^ +state: /) { print }' |
	    git hash-object --stdin | cut -c 1-8
}

new_board
as drafter
mkrec industrial-capacity 'Framework contracts' >/dev/null	# IC-0001

as rev1
check_refused 1 'dipb: IC-0001 is draft: cannot ' \
    'endorsing a draft: exit 1, naming the status' \
    dipb review IC-0001 --endorse
check_err 'the message names the moves allowed from draft, none of them the reviewer'"'"'s' \
    '(allowed: edit, review --request, withdraw; none by you: it waits on a drafter of industrial-capacity)'

as drafter
check_change IC-0001/2-review-requested 'draft -> in-review' \
    'IC-0001: review requested by Dan Drafter' dipb review IC-0001 --request
check_eq 'status in-review' in-review "$(status_of IC-0001)"
check_refused 1 'IC-0001 is in-review' 'requesting review twice: exit 1' \
    dipb review IC-0001 --request

as rev1
check_change IC-0001/3-reviewed 'in-review -> in-review' \
    'IC-0001: endorsed by Rita Reviewer (1/2)' \
    dipb review IC-0001 --endorse -m 'Sound analysis; supported.'
check_eq 'one endorsement is below the quorum: still in-review' in-review \
    "$(status_of IC-0001)"
check 'the comment is in the commit body' \
    sh -c 'git log -1 --format=%b | grep -q -F "Sound analysis; supported."'
check_eq 'the comment is in the record' 'Sound analysis; supported.' \
    "$(jshow IC-0001 "[r for r in d['reviews'] if r['reviewer'] == 'rita@example.org'][0]['comment']")"
check_eq 'the review is an endorsement' endorse \
    "$(jshow IC-0001 "d['reviews'][0]['verdict']")"
check_eq 'the fingerprint is that of the drafter fields' "$(fingerprint IC-0001)" \
    "$(jshow IC-0001 "d['reviews'][0]['fingerprint']")"

# A later review by the same reviewer replaces the earlier one.
# -m given twice: two paragraphs, as git commit -m joins them
# (git-commit(1)); neither text is dropped.
check_change IC-0001/4-reviewed 'in-review -> in-review' \
    'IC-0001: endorsed by Rita Reviewer (1/2)' \
    dipb review IC-0001 --endorse -m 'Still supported.' -m 'Second point.'
check_eq 'one review entry for the reviewer' 1 \
    "$(reviews_by IC-0001 rita@example.org)"
check_eq 'it is the later one, each -m a paragraph of its comment' \
    "$(printf 'Still supported.\n\nSecond point.')" \
    "$(jshow IC-0001 "[r for r in d['reviews'] if r['reviewer'] == 'rita@example.org'][0]['comment']")"
check 'the committed record holds both paragraphs' \
    sh -c 'git cat-file blob HEAD:recommendations/IC-0001.yaml |
	grep -A 3 -F "Still supported." | grep -q -F "Second point."'
check_eq 'the commit body holds both, a blank line between (git)' \
    "$(printf 'Still supported.\n\nSecond point.')" \
    "$(git log -1 --format=%b | sed '/^[A-Za-z-]*: /,$d')"
# The same review again the same day would leave the record as it is: it
# records nothing, and is refused, as dipb verify would find such a
# commit [no-change].
check_refused 1 'recommendations/IC-0001.yaml: nothing to record' \
    'the same review again the same day: exit 1, nothing written' \
    dipb review IC-0001 --endorse -m 'Still supported.' -m 'Second point.'

as rev2
check_change IC-0001/5-endorsed 'in-review -> endorsed' \
    'IC-0001: endorsed by Rolf Reviewer (2/2)' dipb review IC-0001 --endorse
check_eq 'quorum reached: endorsed' endorsed "$(status_of IC-0001)"
check_eq 'two reviews' 2 "$(jshow IC-0001 "len(d['reviews'])")"
as rev3
check_refused 1 'IC-0001 is endorsed' 'reviewing an endorsed record: exit 1' \
    dipb review IC-0001 --endorse

# --- own recommendation -------------------------------------------------------------
as rev3		# a reviewer who also drafts for supply-chain-security
mkrec supply-chain-security 'Own work' >/dev/null	# SCS-0001
check_change SCS-0001/2-review-requested 'draft -> in-review' '' \
    dipb review SCS-0001 --request
check_refused 3 'a reviewer may not review their own recommendation' \
    'reviewing one'"'"'s own recommendation: exit 3' \
    dipb review SCS-0001 --endorse
check_refused 3 'a reviewer may not review their own recommendation' \
    'objecting to one'"'"'s own recommendation: exit 3' \
    dipb review SCS-0001 --object -m 'No.'

# --- request changes, edit, new request: earlier endorsements are stale -----------
as drafter
mkrec industrial-capacity 'Energetics' >/dev/null	# IC-0002
run dipb review IC-0002 --request
as rev1
check_change IC-0002/3-reviewed 'in-review -> in-review' \
    'IC-0002: endorsed by Rita Reviewer (1/2)' dipb review IC-0002 --endorse
as rev2
check_change IC-0002/4-returned 'in-review -> returned' \
    'IC-0002: changes requested by Rolf Reviewer' \
    dipb review IC-0002 --request-changes -m 'Add the nitrocellulose figures.'
check_eq 'status returned' returned "$(status_of IC-0002)"
check 'the comment is in the commit body' \
    sh -c 'git log -1 --format=%b | grep -q -F "Add the nitrocellulose figures."'
as drafter
sedit recommendations/IC-0002.yaml 's/^title: .*/title: Energetics, with figures/'
check_change IC-0002/5-edited 'returned -> returned' \
    'IC-0002: edited by Dan Drafter' dipb edit IC-0002 --no-edit
check_change IC-0002/6-review-requested 'returned -> in-review' \
    'IC-0002: review requested by Dan Drafter' dipb review IC-0002 --request
as rev3
check_change IC-0002/7-reviewed 'in-review -> in-review' \
    'IC-0002: endorsed by Roza Reviewer (1/2)' dipb review IC-0002 --endorse
check_eq 'the stale endorsement does not count: still in-review' in-review \
    "$(status_of IC-0002)"
as rev1
check_change IC-0002/8-endorsed 'in-review -> endorsed' \
    'IC-0002: endorsed by Rita Reviewer (2/2)' dipb review IC-0002 --endorse
check_eq 'a fresh endorsement by the same reviewer counts' endorsed \
    "$(status_of IC-0002)"
check_eq 'one review entry for that reviewer' 1 \
    "$(reviews_by IC-0002 rita@example.org)"

# Returned and requested again without an edit: the endorsement still
# matches the content and counts.
as drafter
mkrec industrial-capacity 'Unchanged' >/dev/null	# IC-0003
run dipb review IC-0003 --request
as rev1
run dipb review IC-0003 --endorse
as rev2
check_change IC-0003/4-returned 'in-review -> returned' \
    'IC-0003: objection by Rolf Reviewer' \
    dipb review IC-0003 --object -m 'Out of the board'"'"'s remit.'
as drafter
check_change IC-0003/5-review-requested 'returned -> in-review' '' \
    dipb review IC-0003 --request
as rev3
check_change IC-0003/6-endorsed 'in-review -> endorsed' \
    'IC-0003: endorsed by Roza Reviewer (2/2)' dipb review IC-0003 --endorse

# --- comments from a file; Markdown kept ------------------------------------------------
as drafter
mkrec standardisation-interoperability 'Interchangeability' >/dev/null	# SI-0001
run dipb review SI-0001 --request
printf 'Supported, **provided** that:\n\n- STANAG 4425 trials are shared;\n- results are published.\n' \
    >"$TROOT/comment.md"
as rev2
check_change SI-0001/3-reviewed 'in-review -> in-review' '' \
    dipb review SI-0001 --endorse -F "$TROOT/comment.md"
check_eq '-F FILE: the comment is the file' "$(cat "$TROOT/comment.md")" \
    "$(jshow SI-0001 "d['reviews'][0]['comment']")"
check 'the commit body has the comment' \
    sh -c 'git log -1 --format=%b | grep -q -F "STANAG 4425 trials are shared"'
# A file written with CRLF line ends (an editor on Windows): Markdown
# reads them as LF, and the record keeps LF, which dipb validate takes
# (a CR is a control character, dipb-validate(1)).
printf 'Supported.\r\n\r\nWith the trials shared.\r\n' >"$TROOT/crlf.md"
as rev1
check_change SI-0001/4-endorsed 'in-review -> endorsed' '' \
    dipb review SI-0001 --endorse -F "$TROOT/crlf.md"
check_eq '-F FILE with CRLF: the comment has LF line ends' \
    '"Supported.\n\nWith the trials shared.\n"' \
    "$(comment_of SI-0001 rita@example.org)"
check_status 0 'dipb validate takes the record' \
    dipb validate recommendations/SI-0001.yaml

# --- usage ------------------------------------------------------------------------------
check_refused 2 '' 'no verdict: exit 2' dipb review SI-0001
check_refused 2 '' 'two verdicts: exit 2' dipb review SI-0001 --endorse --object
check_refused 2 '' 'an unknown option: exit 2' dipb review SI-0001 --approve
check_refused 2 '-m and -F exclude each other' \
    '-m twice with -F: still a usage error, exit 2' \
    dipb review SI-0001 --object -m 'One.' -m 'Two.' -F /dev/null
# The paragraphs are checked as one -m is: UTF-8, no control character.
check_refused 2 '-m: control character U+001B on line 3, at character 4' \
    'a control character in a second -m: exit 2, its line in the text' \
    dipb review SI-0001 --object -m 'Fine.' -m "$(printf 'Bad\033.')"
# The message of --request and --recall is the commit's alone; git log
# would still print what it holds (dipb-review(1), EXIT STATUS).
check_refused 2 '-m: control character U+001B at character 2' \
    'review --request -m with an escape sequence: exit 2, nothing written' \
    dipb review SI-0001 --request -m "$(printf 'x\033]0;pwned\007')"
# recalled FILE BYTES WHERE DESC: review --recall -F FILE, FILE holding
# BYTES (a printf format), is refused, exit 1, with "FILE:WHERE" said.
recalled() {
	printf "$2" >"$TROOT/$1"
	check_refused 1 "$TROOT/$1:$3" "$4" \
	    dipb review SI-0001 --recall -F "$TROOT/$1"
}
CC="which dipb refuses in a record and a change's message [control-character]"
recalled recall.md 'Recalled.\n\033[2J\n' "2:1: error: control character U+001B, $CC" \
    'review --recall -F FILE with an escape sequence: exit 1, its place'
check_err '-F FILE refused: the file named as --from names its file' \
    "dipb: invalid input: '$TROOT/recall.md'"
# A newline in FILE's name is shown as '?', as in the diagnostic above
# it: the closing line is one line, no forged diagnostic after it.
recalled "$(printf 'nl\nx.md:1:1: error: forged')" 'a\007\n' \
    "1:2: error: control character U+0007, $CC" \
    '-F FILE with a newline in its name: refused, exit 1'
check_eq '-F FILE with a newline in its name: the closing line is one line' \
    "dipb: invalid input: '$TROOT/nl?x.md:1:1: error: forged'" \
    "$(grep 'invalid input' "$ERR")"
# A file that is no UTF-8 text, or holds a NUL, is said at the byte's line
# and column, as dipb validate says a record's (dipb-review(1), -F).
recalled bad.md 'ok\n\303\251\377\n' '2:2: error: invalid utf-8 (byte 0xff) [encoding]' \
    '-F FILE with a byte that is no UTF-8: exit 1, at its line and column'
recalled nul.md 'x\r\ny\000\n' '2:2: error: nul byte [encoding]' \
    '-F FILE with a NUL: exit 1, at its line and column'
# A byte order mark (an editor on Windows) is no part of the text: not
# counted in a column, as in a YAML file, and not stored.
recalled bom.md '\357\273\277a\007\n' "1:2: error: control character U+0007, $CC" \
    '-F FILE with a byte order mark: its column not counted'
check_refused 2 '-m: not valid UTF-8 text' \
    'a second -m not UTF-8: exit 2' \
    dipb review SI-0001 --object -m 'Fine.' -m "$(printf 'Bad \377')"
check_refused 1 '' 'an unknown record: exit 1' dipb review SI-0099 --endorse

# --- a text of blanks is none --------------------------------------------------
# -m '' (or blanks, or an empty -F file) leaves the comment out, as a
# record leaves out an optional key without a value (dipb-record(5)).
as drafter
mkrec standardisation-interoperability 'Blank comment' >/dev/null	# SI-0002
run dipb review SI-0002 --request
as rev1
run dipb review SI-0002 --request-changes -m '   '
check_eq "review --request-changes -m '   ': exit 0, no comment key written" \
    '0 0' "$RC $(grep -c 'comment:' recommendations/SI-0002.yaml)"

# --- closed standard descriptors ------------------------------------------------
# As git: a closed 0, 1 or 2 is /dev/null for the run, so that no file
# dipb opens (its lock file, say) takes the number; -F - with standard
# input closed has nothing to read, and is refused.
as rev2
check_refused 5 '-: standard input is closed' \
    '-F - with standard input closed: exit 5, nothing written' \
    sh -c 'exec dipb review SI-0001 --object -F - <&-'
as drafter
mkrec standardisation-interoperability 'Closed descriptors' >/dev/null	# SI-0003
run sh -c 'exec dipb review SI-0003 --request 2>&-'
check_eq 'standard error closed: the change made, its tag line in no file' \
    '0 SI-0003/2-review-requested 0' \
    "$RC $(git tag -l 'SI-0003/2-*') $(cat .git/dipb.lock 2>/dev/null | wc -c | tr -d ' ')"

check_fsck
check_history 'every commit has one tag, every tag is on the branch'

# --- the quorum of an endorsed record, kept by dipb edit --board ----------------
# An endorsed record has the quorum of dipb.yaml in fresh endorsements
# (dipb-record(5)): the chair raising the quorum while it waits to be
# submitted is refused (a reviewer may leave, dipb-board(5)).
new_board quorum
as drafter
mkrec industrial-capacity 'Endorsed' >/dev/null	# IC-0001
drive IC-0001 endorsed
as chair
sedit dipb.yaml 's/quorum: 2/quorum: 3/'
check_refused 1 'the endorsed recommendation IC-0001 (2/3) would no longer have the quorum of the new dipb.yaml in fresh endorsements: submit it first' \
    'edit --board: a quorum raised over an endorsed record is refused' \
    dipb edit --board --no-edit
git checkout -q -- dipb.yaml
as secretary
check 'set-up: IC-0001 submitted' dipb submit IC-0001 --reference R-1
as chair
sedit dipb.yaml 's/quorum: 2/quorum: 3/'
check_change board/2-changed '' '' dipb edit --board --no-edit
check_out 'once it is submitted, the quorum may be raised; validate agrees' \
    '' dipb validate --format gcc

# A reviewer may leave, or lose the role, or change their address, whatever
# the records (dipb-board(5)): an endorsement counted when it was given,
# and an endorsed record whose endorsements carried it there stays valid
# (dipb-validate(1), status); its reviewers are history, a warning.
new_board leave
as drafter
mkrec industrial-capacity 'Carried' >/dev/null	# IC-0001
drive IC-0001 endorsed
as chair
sedit dipb.yaml 's/^    email: rita@example.org$/    email: rita@example.net/'
check_change board/2-changed '' '' dipb edit --board --no-edit
sedit dipb.yaml '/^    email: rolf@example.org$/,/^    roles:/s/^    roles: \[reviewer\]$/    roles: [secretary]/'
check_change board/3-changed '' '' dipb edit --board --no-edit
sedit dipb.yaml '/^  - name: Rita Reviewer$/,/^    roles:/d'
check_change board/4-changed '' '' dipb edit --board --no-edit
run dipb validate --format gcc
check_eq 'validate: the endorsed record is still valid (exit 0, no [status])' \
    '0 0' "$RC $(grep -c -F '[status]' "$OUT")"
check_eq 'validate: a warning for each reviewer who left or lost the role' \
    "2 recommendations/IC-0001.yaml:$(grep -n 'reviewer: rita@example.org' recommendations/IC-0001.yaml | cut -d: -f1):15: warning: reviewer 'rita@example.org' is not a member of the board [member]" \
    "$(grep -c ': warning: .*\[\(member\|reviewer-role\)\]$' "$OUT") $(grep -F rita "$OUT")"
sedit dipb.yaml 's/quorum: 2/quorum: 3/'
check_refused 1 'the endorsed recommendation IC-0001 (2/3) would no longer have the quorum' \
    'a quorum raised over it is still refused, the endorsements counted as given' \
    dipb edit --board --no-edit
git checkout -q -- dipb.yaml
as secretary
check_change IC-0001/5-submitted 'endorsed -> submitted' '' \
    dipb submit IC-0001 --reference R-2

# A reviewer's endorsement of a recommendation still in review counts only
# while they hold the role (dipb-workflow(7), "Reviews and the quorum"):
# rita endorses, the chair takes her reviewer role (she stays a member),
# rolf endorses: one fresh endorsement of two counts.
new_board rolelost
as drafter
mkrec industrial-capacity 'Role lost' >/dev/null	# IC-0001
run dipb review IC-0001 --request
as rev1
check_change IC-0001/3-reviewed 'in-review -> in-review' \
    'IC-0001: endorsed by Rita Reviewer (1/2)' dipb review IC-0001 --endorse
as chair
sedit dipb.yaml '/^    email: rita@example.org$/,/^    roles:/s/^    roles: \[reviewer\]$/    roles: [drafter]/'
check_change board/2-changed '' '' dipb edit --board --no-edit
check_eq 'set-up: rita is a drafter now, no reviewer' '    roles: [drafter]' \
    "$(git show HEAD:dipb.yaml | grep -A 2 -F 'email: rita@example.org' | grep roles:)"
as rev2
check_change IC-0001/4-reviewed 'in-review -> in-review' \
    'IC-0001: endorsed by Rolf Reviewer (1/2)' dipb review IC-0001 --endorse
check_eq 'the endorsement of a reviewer who lost the role no longer counts: still in-review' \
    in-review "$(status_of IC-0001)"
check_eq 'her review stays in the record' 1 \
    "$(reviews_by IC-0001 rita@example.org)"
verify_clean 'dipb verify agrees: one of two, no [quorum]'

# A byte order mark at the start of -F's file is dropped: no U+FEFF in
# the comment (dipb-review(1), -F).
printf '\357\273\277Endorsed.\n' >"$TROOT/bom.md"
as rev3
check_change IC-0001/5-endorsed 'in-review -> endorsed' '' \
    dipb review IC-0001 --endorse -F "$TROOT/bom.md"
check_eq '-F FILE with a byte order mark: not in the comment' \
    '"Endorsed.\n"' "$(comment_of IC-0001 roza@example.org)"

check_fsck
finish

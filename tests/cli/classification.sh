#!/bin/sh
# tests/cli/classification.sh - classification that follows the content:
# the order of the levels in use is fixed (dipb edit --board refuses, dipb
# verify reports, a capped report refuses to trust a hand-made order);
# lowering a record's classification is dipb declassify's event, by the
# board's declassify: role; reviews keep the level they were written at,
# and a capped report leaves out what was written above the cap.
. "$(dirname "$0")/lib.sh"

new_board

# levels LEVEL...: dipb.yaml with its classifications: list replaced.
levels() {
	python3 - "$@" <<'PY'
import sys
lines = open("dipb.yaml").read().split("\n")
out, skip = [], False
for l in lines:
    if l.startswith("classifications:"):
        out.append("classifications:")
        out += ["  - " + x for x in sys.argv[1:]]
        skip = True
        continue
    if skip and l.startswith("  - "):
        continue
    skip = False
    out.append(l)
open("dipb.yaml", "w").write("\n".join(out))
PY
}

# draft FILE TITLE LEVEL: a --from file for industrial-capacity.
draft() {
	printf 'title: %s\nworking_group: industrial-capacity\nclassification: %s\nsummary: |\n  Summary of %s.\n' \
	    "$2" "$3" "$2" >"$1"
}

# withdrawn ID FILE TITLE LEVEL REASON: record ID of LEVEL drafted from
# FILE, withdrawn by the secretary for REASON; the chair acts next.
withdrawn() {
	as drafter
	draft "$2" "$3" "$4"
	run dipb recommend --from "$2" --no-edit
	as secretary
	dipb withdraw "$1" -m "$5" >/dev/null 2>&1
	as chair
}

# declassified ID FILE TITLE LEVEL REASON ARGS...: withdrawn's, then
# declassified by the chair with ARGS (dipb declassify's).
declassified() {
	_id=$1
	withdrawn "$@"
	shift 5
	check "set-up: $_id declassified to $1" dipb declassify "$_id" "$@"
}

U='NATO UNCLASSIFIED' R='NATO RESTRICTED' C='NATO CONFIDENTIAL'
S='NATO SECRET'

# --- the order of the levels ----------------------------------------------
as chair
levels "$U" "$R" "$C" "$S"
check_change board/2-changed '' '' dipb edit --board --no-edit
as drafter
draft "$TROOT/s.yaml" 'Secret widget plan' "$S"
check 'a NATO SECRET record' dipb recommend --from "$TROOT/s.yaml" --no-edit
draft "$TROOT/u.yaml" 'Open widget plan' "$U"
check 'a NATO UNCLASSIFIED record' dipb recommend --from "$TROOT/u.yaml" \
    --no-edit

as chair
# The issue's scenario: the order changed by hand, with plain git.
CLEAN=$(git rev-parse HEAD)
levels "$S" "$U" "$R" "$C"
git commit -q -am 'reorder the classifications'
check_rule 'a hand-made reorder of levels in use' classification-order \
    "'NATO SECRET' is in use"
run dipb report status --max-classification "$U"
cp "$OUT" "$TROOT/status.md"
check_eq 'a capped report refuses a reordered board: exit 1' 1 "$RC"
check_err_re 'and says why' 'rule classification-order'
check 'it never prints the NATO SECRET title' \
    sh -c "! grep -q 'Secret widget plan' '$TROOT/status.md'"
# A tag forged with git tag -a onto the reorder, of the number of the
# last board change dipb made: which of the two is dipb's cannot be told,
# so the capped report is refused, naming both, as show ID@N is.
git tag -a -m forged board/2-zap HEAD
run dipb verify
check_eq 'a forged board tag of the last number: verify reports it' 1 \
    "$(grep -c 'board/2-zap: .*\[tag-extra\]' "$OUT")"
run dipb report status --max-classification "$U"
cp "$OUT" "$TROOT/status.md"
check_eq 'a capped report refuses two board tags of one number: exit 1' \
    1 "$RC"
check_err 'and names both tags' 'board/2-changed and board/2-zap'
check 'it never prints the NATO SECRET title, the forged tag aside' \
    sh -c "! grep -q 'Secret widget plan' '$TROOT/status.md'"
git tag -d board/2-zap >/dev/null
# A tag forged with git tag -a onto the reorder, a plain git commit, of a
# new number: no board change dipb made, whatever its name says (its
# commit has no Dipb-Record: board and Dipb-Event: changed), so the order
# is judged against board/2-changed, as verify judges it.
git tag -a -m forged board/3-changed HEAD
check_eq 'a forged board tag of a new number is on a plain git commit' '' \
    "$(git log -1 --format='%(trailers:key=Dipb-Record,valueonly)' board/3-changed)"
run dipb verify
check_eq 'a forged board tag of a new number: verify reports it' 1 \
    "$(grep -c 'board/3-changed: .*\[tag-extra\]' "$OUT")"
run dipb report status --max-classification "$U"
cp "$OUT" "$TROOT/status.md"
check_eq 'a capped report refuses the reorder, the forged tag aside: exit 1' \
    1 "$RC"
check_err_re 'judged against the last board change dipb made' \
    'unlike its version of tag board/2-changed.*rule classification-order'
check 'it never prints the NATO SECRET title, the forged new tag aside' \
    sh -c "! grep -q 'Secret widget plan' '$TROOT/status.md'"
git tag -d board/3-changed >/dev/null
# The same with dipb's trailers and tag on the hand-made change.
git reset -q --hard "$CLEAN"
dipb verify >/dev/null 2>&1	# a checkpoint at $CLEAN
levels "$S" "$U" "$R" "$C"
git add dipb.yaml
forge board changed '' chair
check_rule 'a forged board change reordering levels' classification-order \
    "'NATO SECRET' is in use"
# From the checkpoint at the commit before: every record's level, read
# from it (dipb-verify(1), "Checkpoints").
check 'verify left a checkpoint at the commit before the reorder' \
    test -f "$(git rev-parse --git-dir)/dipb/verify/$CLEAN"
check_rule 'the same, verify --since from that checkpoint' \
    classification-order "'NATO SECRET' is in use" --since "$CLEAN"
git reset -q --hard "$CLEAN"
git tag -d board/3-changed >/dev/null
check_out 'the reordered board undone, verify is clean' '' dipb verify

# What dipb itself allows.
levels "$S" "$U" "$R" "$C"
check_refused 1 "classification 'NATO SECRET' is in use" \
    'edit --board refuses to reorder levels in use, naming the level' \
    dipb edit --board --no-edit
levels "$U" "$R" "$C"
check_refused 1 "classification 'NATO SECRET' is in use and cannot be removed" \
    'edit --board refuses to remove a level in use' \
    dipb edit --board --no-edit
levels "$U" 'NATO UNCLASSIFIED RELEASABLE' "$C" "$R" "$S"
check_change board/3-changed '' '' dipb edit --board --no-edit
check_eq 'adding a level and reordering unused ones is allowed' \
    "$U|NATO UNCLASSIFIED RELEASABLE|$C|$R|$S" \
    "$(sed -n '/^classifications:/,/^review:/s/^  - //p' dipb.yaml |
    paste -sd '|')"
check_out 'a clean history verifies clean' '' dipb verify

# --- a drafter lowering a record's classification ------------------------
# IC-0003, NATO SECRET, returned with a comment written while SECRET.
as drafter
draft "$TROOT/r.yaml" 'Returned plan' "$S"
check 'a third record, NATO SECRET' dipb recommend --from "$TROOT/r.yaml" \
    --no-edit
check 'review requested' dipb review IC-0003 --request
as rev1
check 'changes requested with a SECRET-era comment' dipb review IC-0003 \
    --request-changes -m 'SECRET-ERA-COMMENT: the sites are listed here.'
check_eq 'the review is marked with the level it was written at' "$S" \
    "$(sed -n 's/^    classification: //p' recommendations/IC-0003.yaml)"
as drafter
f=recommendations/IC-0003.yaml
sedit "$f" "s/^classification: .*/classification: $U/"
check_refused 1 'dipb declassify IC-0003' \
    'an edit lowering the classification is refused, pointing to declassify' \
    dipb edit IC-0003 --no-edit
git checkout -q -- "$f"
sedit recommendations/IC-0002.yaml "s/^classification: .*/classification: $R/"
check_change IC-0002/2-edited 'draft -> draft' '' dipb edit IC-0002 --no-edit
check_eq 'raising it is a drafter'"'"'s edit' "$R" "$(field IC-0002 classification)"

# --- dipb declassify ----------------------------------------------------------
check_refused 3 'needs the chair role' 'declassify by a drafter: exit 3' \
    dipb declassify IC-0003 "$U" -m 'Released.'
as secretary
check_refused 3 'needs the chair role' \
    'declassify by the secretary, the board naming no role: exit 3' \
    dipb declassify IC-0003 "$U"
as chair
check_refused 1 'is not lower' 'declassify to a level that is not lower: exit 1' \
    dipb declassify IC-0003 "$S"
check_refused 2 "unknown classification 'NATO TOP SECRET'" \
    'declassify to an unknown level: exit 2' \
    dipb declassify IC-0003 'NATO TOP SECRET'
check_refused 2 '-m: control character U+001B at character 9' \
    'declassify -m with an escape sequence: exit 2 (the commit message)' \
    dipb declassify IC-0003 "$U" -m "$(printf 'Released\033[2J')"
check_change IC-0003/4-declassified 'returned -> returned' \
    "IC-0003: declassified from $S to $U by Clara Chair" \
    dipb declassify IC-0003 "$U" -m 'Released by the owner nation.' \
    -m 'Letter of 2026-05-04.'
check_eq 'the record is NATO UNCLASSIFIED' "$U" "$(field IC-0003 classification)"
# Every -m a paragraph of the commit body, as git commit -m.
check_eq 'the commit body holds both -m, a blank line between' \
    "$(printf 'Released by the owner nation.\n\nLetter of 2026-05-04.')" \
    "$(git log -1 --format=%b | sed '/^[A-Za-z-]*: /,$d')"
check_eq 'its review keeps NATO SECRET' "$S" \
    "$(sed -n 's/^    classification: //p' "$f")"
check_out 'verify is clean after a declassification' '' dipb verify

# The board names another role.
sed 's/^review:/declassify: secretary\nreview:/' dipb.yaml >"$TROOT/b.yaml"
cp "$TROOT/b.yaml" dipb.yaml
check_change board/4-changed '' '' dipb edit --board --no-edit
as secretary
check_change IC-0001/2-declassified 'draft -> draft' '' \
    dipb declassify IC-0001 "$C"
as drafter
check_refused 3 'needs the secretary role' \
    'declassify by a drafter when the board names the secretary: exit 3' \
    dipb declassify IC-0001 "$R"

# An endorsed record declassified stays endorsed: its endorsements, written
# at the higher level, still count.
draft "$TROOT/e.yaml" 'Endorsed plan' "$R"
check 'a fourth record, NATO RESTRICTED' dipb recommend --from "$TROOT/e.yaml" \
    --no-edit
drive IC-0004 endorsed
as secretary
check_change IC-0004/5-declassified 'endorsed -> endorsed' '' \
    dipb declassify IC-0004 "$U"
check 'dipb validate: its endorsements still reach the quorum' dipb validate

# --- reports follow the level each text was written at ----------------------
run dipb report minutes --max-classification "$U" --format markdown
check_eq 'capped minutes: exit 0' 0 "$RC"
cp "$OUT" "$TROOT/capped.md"
check 'capped minutes keep the declassified record' \
    grep -q 'Returned plan' "$TROOT/capped.md"
check 'capped minutes leave out the SECRET-era comment' \
    sh -c "! grep -q SECRET-ERA-COMMENT '$TROOT/capped.md'"
check 'capped minutes never name the NATO SECRET title' \
    sh -c "! grep -q 'Secret widget plan' '$TROOT/capped.md'"
run dipb report minutes --format markdown
cp "$OUT" "$TROOT/all.md"
check 'uncapped minutes hold the comment' \
    grep -q SECRET-ERA-COMMENT "$TROOT/all.md"
check_eq 'uncapped minutes are marked NATO SECRET' "**$S**" \
    "$(head -n 1 "$TROOT/all.md")"
run dipb report minutes --max-classification "$U" --format json
cp "$OUT" "$TROOT/capped.json"
check 'capped JSON minutes leave out the comment too' \
    sh -c "! grep -q SECRET-ERA-COMMENT '$TROOT/capped.json'"

# --- verify: versions made by hand ---------------------------------------------
CLEAN=$(git rev-parse HEAD)
as drafter
sedit recommendations/IC-0002.yaml "s/^classification: .*/classification: $U/"
git add recommendations/IC-0002.yaml
forge IC-0002 edited 'draft -> draft' drafter
check_rule 'an edit lowering the classification' classification-lowered \
    "lowered from $R to $U in a edited change"
git reset -q --hard "$CLEAN"; git tag -d IC-0002/3-edited >/dev/null
sedit recommendations/IC-0002.yaml "s/^classification: .*/classification: $S/"
git add recommendations/IC-0002.yaml
forge IC-0002 declassified 'draft -> draft' chair
check_rule 'a declassified change that raises it' classification-lowered \
    'does not lower'
git reset -q --hard "$CLEAN"; git tag -d IC-0002/3-declassified >/dev/null
sedit recommendations/IC-0002.yaml "s/^classification: .*/classification: $U/; s/^title: .*/title: Renamed/"
git add recommendations/IC-0002.yaml
forge IC-0002 declassified 'draft -> draft' chair
check_rule 'a declassified change that changes the title' content-changed \
    'in a declassified change: title'
git reset -q --hard "$CLEAN"; git tag -d IC-0002/3-declassified >/dev/null
# A review marked with another level than the record's.
as drafter
check 'IC-0002 in review' dipb review IC-0002 --request
as rev1
check 'an endorsement' dipb review IC-0002 --endorse
git tag -d IC-0002/4-reviewed >/dev/null
git reset -q --soft HEAD~1
sedit recommendations/IC-0002.yaml "s/^    classification: .*/    classification: $U/"
git add recommendations/IC-0002.yaml
forge IC-0002 reviewed 'in-review -> in-review' rev1
check_rule 'a review marked below the record' review-classification \
    "marked $U, but the record is $R"
git reset -q --hard "$CLEAN"
for t in IC-0002/3-review-requested IC-0002/4-reviewed; do
	git tag -d "$t" >/dev/null
done
check_out 'verify is clean again' '' dipb verify


# --- texts written while classified higher, after a declassification ---------
# The reason a due date moved and a decision note, written while the
# record was NATO SECRET, are left out of a report capped below it once
# the record is declassified (dipb-report(1), --max-classification), in
# every format; uncapped, they mark the report NATO SECRET.
new_board moved
as chair
levels "$U" "$R" "$C" "$S"
dipb edit --board --no-edit >/dev/null 2>&1
as drafter
at 2026-01-02
cat >"$TROOT/moved.yaml" <<EOF
title: Moved widget plan
working_group: industrial-capacity
classification: $S
summary: |
  Summary.
actions:
  - text: Build the widgets.
    owner: secretary@example.org
    due: 2026-06-01
EOF
run dipb recommend --from "$TROOT/moved.yaml" --no-edit
drive IC-0001 submitted
as secretary
at 2026-04-01
dipb meeting --date 2026-04-01 --attendee chair@example.org \
    --agenda IC-0001 >/dev/null 2>&1
at 2026-04-02
dipb decide IC-0001 --outcome agreed -m 'SECRET-NOTE-7731' >/dev/null 2>&1
at 2026-04-05
as chair
dipb action IC-0001 1 --due 2026-12-01 \
    --reason 'SECRET-RESCHED-7731' >/dev/null 2>&1
at 2026-05-01
check 'set-up: the record declassified to NATO UNCLASSIFIED' \
    dipb declassify IC-0001 "$U"
today
for k in actions 'minutes --meeting 2026-04-01'; do
	for f in markdown html man latex json; do
		# shellcheck disable=SC2086 # the words of k
		dipb report $k --today 2026-06-01 --max-classification "$U" \
		    --format "$f" >"$TROOT/capped" 2>/dev/null
		check "report $k --format $f, capped at $U: no text written while $S" \
		    sh -c '! grep -q "SECRET.\{1,2\}\(RESCHED\|NOTE\).\{1,2\}7731" "$1"' \
		    sh "$TROOT/capped"
	done
	# shellcheck disable=SC2086
	check_out "report $k, not capped: marked $S" "**$S**" sh -c \
	    'dipb report "$@" --today 2026-06-01 | head -n 1' sh $k
done


# A plain git commit on the NATO SECRET record, in a window of minutes:
# its subject is listed, so the report is marked with the record's level
# (capped, it is left out by it).
as drafter
at 2026-06-01
draft "$TROOT/plain.yaml" 'Plain widget plan' "$S"
check "set-up: a $S record" dipb recommend --from "$TROOT/plain.yaml" \
    --no-edit
at 2026-07-01
sedit recommendations/IC-0002.yaml 's/^  Summary of .*/  Amended./'
git -c user.name=Eve -c user.email=eve@example.org commit -q -am \
    'SECRET-PLAIN-7731: amended by hand'
today
check_out "report minutes listing a plain commit on a $S record: marked $S" \
    "**$S**" sh -c 'dipb report minutes --since 2026-07-01 | head -n 1'
check "report minutes capped at $U: the plain commit left out" sh -c \
    '! dipb report minutes --since 2026-07-01 --max-classification "$1" |
    grep -q SECRET-PLAIN-7731' sh "$U"


# A level no record at the tip uses any more, but a declassification
# lowered one from: a capped report judges by it what was written before
# (above), so it keeps its place too.
T='COSMIC TOP SECRET'
as chair
levels "$U" "$R" "$C" "$S" "$T"
dipb edit --board --no-edit >/dev/null 2>&1
# No record at the tip at that level once declassified.
declassified IC-0003 "$TROOT/cts.yaml" 'Cosmic widget plan' "$T" \
    'Withdrawn.' "$U"
levels "$T" "$U" "$R" "$C" "$S"
check_refused 1 "classification '$T' is in use" \
    'edit --board: a level a declassification lowered from keeps its place' \
    dipb edit --board --no-edit
git checkout -q -- dipb.yaml

# The level a declassification lowered its record from is the record's at
# the commit's parent, not its subject's, which is any text a pusher
# wrote (dipb-report(1), --max-classification): a subject amended by hand
# to say NATO RESTRICTED, the record having been NATO SECRET, neither
# shows under a NATO RESTRICTED cap what was written while NATO SECRET,
# nor frees NATO SECRET to be dropped from dipb.yaml.
new_board lie
as chair
levels "$U" "$R" "$C" "$S"
dipb edit --board --no-edit >/dev/null 2>&1
declassified IC-0001 "$TROOT/lie.yaml" 'Lied-about widget plan' "$S" \
    'SECRET-WD-5521' "$U" -m 'DECL-NOTE-5521'
# wd_level: the level minutes --format json gives the withdrawal's comment.
wd_level() {
	dipb report minutes --format json "$@" | python3 -c '
import json, sys
for e in json.load(sys.stdin)["events"]:
    if e["comment"] and "SECRET-WD-5521" in e["comment"]:
        print(e["classification"])'
}
check "minutes capped at $R: the comment written while $S left out" sh -c \
    '! dipb report minutes --max-classification "$1" | grep -q SECRET-WD-5521' \
    sh "$R"
check_out "minutes --format json: the comment written at $S" "$S" wd_level
T=$(git tag -l 'IC-0001/*-declassified')
LIE="IC-0001: declassified from $R to $U by Clara Chair"
git commit -q --amend -m "$LIE" -m 'DECL-NOTE-5521' -m "$(git log -1 \
    --format='%(trailers:only,unfold)')"
git tag -f -a -m "$LIE" "$T" >/dev/null
check_eq 'set-up: the subject amended to lie about the level' "$LIE" \
    "$(git log -1 --format=%s)"
check_rule 'verify reports the lying subject' subject IC-0001
check "subject lying $R: minutes capped at $R still leave the comment out" \
    sh -c '! dipb report minutes --max-classification "$1" |
    grep -q SECRET-WD-5521' sh "$R"
check_out "subject lying $R: minutes --format json still say $S" "$S" wd_level
check "subject lying $R: capped at $R, the declassification's own comment left out" \
    sh -c '! dipb report minutes --max-classification "$1" |
    grep -q DECL-NOTE-5521' sh "$R"
PRE=$(git rev-parse HEAD)
levels "$U" "$R" "$C"
check_refused 1 "classification '$S' is in use" \
    "subject lying $R: edit --board still keeps $S, the record's level before" \
    dipb edit --board --no-edit
git reset -q --hard "$PRE"
# A declassification whose parent holds no file of its record (removed
# with plain git, put back by a commit made by hand): the level it lowered
# from is not known, whatever its subject says, and what was written
# before it is left out under any cap (dipb-report(1)).
git rm -q recommendations/IC-0001.yaml
git commit -q -m 'IC-0001 removed by hand'
git checkout -q HEAD~ -- recommendations/IC-0001.yaml
SUBJECT=$LIE forge IC-0001 declassified 'withdrawn -> withdrawn' chair
check "no record at the parent: capped at $S, the comment left out" sh -c \
    '! dipb report minutes --max-classification "$1" | grep -q SECRET-WD-5521' \
    sh "$S"
check_out 'no record at the parent: minutes --format json, its level null' \
    None wd_level

# A comment is ranked at least at the level its record had at the
# comment's own commit (dipb-report(1), --max-classification), whatever
# the order of the window or the shape of the history: a change made on
# a branch while the record was NATO SECRET and merged after a
# declassification made on main, and a level lowered otherwise than by
# dipb declassify (plain git, a hand-made edited event, a hand-made merge
# that says declassified, the file deleted and made again), never show
# under a NATO RESTRICTED cap what was written at NATO SECRET.
# hidden NAME: the comment SECRET-WD-5521 left out capped at NATO
# RESTRICTED, and said to be written at NATO SECRET.
hidden() {
	check "$1: capped at $R, the comment written at $S left out" sh -c \
	    'dipb report minutes --max-classification "$1" >"$2" &&
	    ! grep -q SECRET-WD-5521 "$2" &&
	    grep -q "its comment, written above the limit, is left out" "$2"' \
	    sh "$R" "$TROOT/capped.md"
	check_out "$1: minutes --format json, the comment written at $S" "$S" \
	    wd_level
}
# secret NAME: a board of the four levels whose IC-0001 is drafted NATO
# SECRET; the secretary acts next.
secret() {
	levelled "$1" 'Secret plan' "$S"
}
# levelled NAME TITLE LEVEL: a board of the four levels whose IC-0001,
# TITLE, is drafted at LEVEL; the secretary acts next.
levelled() {
	new_board "$1"
	as chair
	levels "$U" "$R" "$C" "$S"
	dipb edit --board --no-edit >/dev/null 2>&1
	as drafter
	draft "$TROOT/$1.yaml" "$2" "$3"
	run dipb recommend --from "$TROOT/$1.yaml" --no-edit
	as secretary
}
# lowered: IC-0001's file set to NATO RESTRICTED in the working tree.
lowered() {
	sedit recommendations/IC-0001.yaml "s/^classification: .*/classification: $R/"
}

# Committed first on the branch, withdrawn later on a side branch made
# before, merged last: a walk by commit time reads the withdrawal after.
secret merged
git branch side
as chair
GIT_COMMITTER_DATE=2026-12-06T12:10:00Z GIT_AUTHOR_DATE=2026-12-06T12:10:00Z \
    run dipb declassify IC-0001 "$R" -m 'Declassified.'
git checkout -q side
as secretary
GIT_COMMITTER_DATE=2026-12-06T12:20:00Z GIT_AUTHOR_DATE=2026-12-06T12:20:00Z \
    run dipb withdraw IC-0001 -m 'SECRET-WD-5521'
git checkout -q main
as chair
git merge -q --no-edit side >/dev/null 2>&1 || {
	git show side:recommendations/IC-0001.yaml >recommendations/IC-0001.yaml
	lowered
	git add -A
	GIT_COMMITTER_DATE=2026-12-06T12:30:00Z git commit -q --no-edit
}
check_eq "set-up: merged, the record $R and withdrawn" "$R withdrawn" \
    "$(field IC-0001 classification) $(status_of IC-0001)"
hidden 'withdrawn on a branch merged after the declassification'

secret plain
run dipb withdraw IC-0001 -m 'SECRET-WD-5521'
as chair
lowered
git commit -q -am 'lowered by hand'
hidden 'the level lowered by a plain git commit'

secret edited
run dipb withdraw IC-0001 -m 'SECRET-WD-5521'
lowered
git add -A
forge IC-0001 edited 'withdrawn -> withdrawn' chair
hidden 'the level lowered by a hand-made edited event'

secret mergedecl
run dipb withdraw IC-0001 -m 'SECRET-WD-5521'
as chair
git checkout -q -b other HEAD~
git commit -q --allow-empty -m other
git checkout -q main
git merge -q --no-commit -s ours other 2>/dev/null
lowered
git add -A
git commit -q -m "IC-0001: declassified from $S to $R by Clara Chair" \
    -m "Dipb-Record: IC-0001
Dipb-Event: declassified
Dipb-Status: withdrawn -> withdrawn"
hidden 'the level lowered by a hand-made merge that says declassified'

secret remade
run dipb withdraw IC-0001 -m 'SECRET-WD-5521'
as chair
git show HEAD:recommendations/IC-0001.yaml >"$TROOT/remade.keep"
git rm -q recommendations/IC-0001.yaml
git commit -q -m 'removed by hand'
mkdir -p recommendations
cp "$TROOT/remade.keep" recommendations/IC-0001.yaml
lowered
git add -A
git commit -q -m 'made again by hand'
hidden "the file deleted and made again at $R"

# A declassified event of no record (its Dipb-Record trailer a meeting's,
# or any text): nothing of its to read, no crash.
secret norecord
git commit -q --allow-empty -m 'meeting: declassified by hand' \
    -m 'SECRET-WD-5521' -m 'Dipb-Record: meeting
Dipb-Event: declassified'
check 'a declassified event of no record: dipb log reads it' dipb log
check "a declassified event of no record: minutes capped at $R made" \
    dipb report minutes --max-classification "$R"

# A commit made with plain git is listed by its subject, any text its
# author wrote while the records it changed had the level they had then:
# under a maximum it is judged by each record at the end of the window,
# at the commit and at its parent (what it removed), unknown left out
# (dipb-report(1), minutes).  plain_subject NAME WORD SHOWN: the subject
# WORD shown (SHOWN 1) or not (0) in minutes capped at NATO RESTRICTED,
# in Markdown and in JSON.
plain_subject() {
	check "$1: capped at $R, the subject $(test "$3" = 1 || echo 'not ')shown" \
	    sh -c 'n=0
	    for f in markdown json; do
		dipb report minutes --format $f --max-classification "$1" \
		    >"$2" || exit 1
		grep -q "$3" "$2" && n=$((n + 1))
	    done
	    test $n = "$4"' sh "$R" "$TROOT/plain.out" "$2" "$(($3 * 2))"
}

secret plainat
as chair
echo '# a note' >>recommendations/IC-0001.yaml
git commit -q -am 'PLAIN-AT-SECRET-7731'
run dipb declassify IC-0001 "$R"
plain_subject "a plain commit made at $S, declassified since" \
    PLAIN-AT-SECRET-7731 0
check "a plain commit made at $S: capped at $S, its subject shown" sh -c \
    'dipb report minutes --max-classification "$1" | grep -q PLAIN-AT-SECRET' \
    sh "$S"
check 'a plain commit made at '"$S"': no maximum, its subject shown' sh -c \
    'dipb report minutes | grep -q PLAIN-AT-SECRET'

secret plainlow
as chair
lowered
git commit -q -am 'PLAIN-LOWERED-7732'
plain_subject "a plain commit that lowered the level from $S" \
    PLAIN-LOWERED-7732 0

secret plainbad
as chair
cp recommendations/IC-0001.yaml "$TROOT/plainbad.keep"
printf 'classification: [\n' >recommendations/IC-0001.yaml
git commit -q -am 'PLAIN-UNKNOWN-7733'
cp "$TROOT/plainbad.keep" recommendations/IC-0001.yaml
lowered
git commit -q -am 'put back at '"$R"
plain_subject 'a plain commit that left a record file that does not load' \
    PLAIN-UNKNOWN-7733 0

secret plainnew
as chair
sed -e 's/IC-0001/IC-0002/' -e "s/^classification: .*/classification: $R/" \
    recommendations/IC-0001.yaml >recommendations/IC-0002.yaml
git add recommendations/IC-0002.yaml
git commit -q -m 'PLAIN-NEW-7734'
plain_subject "a plain commit that added a record at $R" PLAIN-NEW-7734 1

# The board's configuration and its meetings carry no classification
# (dipb-board(5), dipb-record(5) MEETINGS): the comment of their changes
# is shown under any maximum, as a meeting's notes are in minutes
# --meeting (dipb-report(1), --max-classification).
secret boardcomment
as chair
git commit -q --allow-empty -m 'board: changed by Clara Chair' \
    -m 'BOARD-COMMENT-7735' -m 'Dipb-Record: board
Dipb-Event: changed'
check "a board change's comment: capped at $U, shown" sh -c \
    'dipb report minutes --max-classification "$1" | grep -q BOARD-COMMENT' \
    sh "$U"

# A change that says it is the board's (any commit may carry the
# trailers) but changed a record is judged as plain git's: by the
# record's levels at the commit and its parent, its subject and comment
# left out above the cap (dipb-report(1), minutes).
secret boardforged
as chair
echo '# y' >>recommendations/IC-0001.yaml
git add recommendations/IC-0001.yaml
git commit -q -m 'board: changed by FORGED-SUBJECT-7736' \
    -m 'FORGED-BOARD-7736' -m 'Dipb-Record: board
Dipb-Event: changed'
plain_subject "a board change that edited a record at $S" FORGED-BOARD-7736 0
plain_subject "a board change that edited a record at $S (subject)" \
    FORGED-SUBJECT-7736 0
check "a board change that edited a record at $S: capped at $S, shown" sh -c \
    'dipb report minutes --max-classification "$1" | grep -q FORGED-BOARD' \
    sh "$S"

# A meeting's notes, the comment of its change, are ranked at the highest
# level of its agenda items at its commit (dipb-meeting(1), -m): left out
# under a lower cap, in the window's minutes and with --meeting, even
# once the item is declassified; the report marked with what it shows.
secret meetnotes
as secretary
run dipb meeting --date 2026-12-01 --attendee secretary@example.org \
    --agenda IC-0001 -m 'MEETNOTE-7737 on the secret plan'
check_eq "minutes --meeting capped at $R, its one item at $S: marked $U" \
    "**$U**" "$(dipb report minutes --meeting 2026-12-01 \
    --max-classification "$R" | head -n 1)"
# Its one item left out: the agenda, the decisions and the actions say
# that it was there and is left out, never that there was none.
dipb report minutes --meeting 2026-12-01 --max-classification "$R" \
    >"$TROOT/meetall.md" 2>&1
check "minutes --meeting, its one item left out: counted once" \
    grep -q "1 recommendation classified above $R left out" \
    "$TROOT/meetall.md"
check "minutes --meeting, its one item left out: the agenda says so" \
    sh -c 'sed -n "/^## Agenda/,/^## Decisions/p" "$1" |
    grep -q "^\*1 recommendation was on the agenda; it is left out, above the limit or of no known level\.\*\$" &&
    ! grep -q "No recommendation was on the agenda" "$1"' \
    sh "$TROOT/meetall.md"
check "minutes --meeting, its one item left out: the decisions and actions say so" \
    sh -c 'sed -n "/^## Decisions/,/^## Actions arising/p" "$1" |
    grep -q "1 recommendation was on the agenda; it is left out" &&
    grep -q "No action arises from the decisions shown" "$1" &&
    ! grep -q "No decision was taken" "$1" &&
    ! grep -q "No action arises from this meeting" "$1"' \
    sh "$TROOT/meetall.md"
# Its notes left out, and their level with them, as an event's comment's
# is: a report marked $U names no $S, nor the level of any item it hides.
check "minutes --meeting --format json, its item left out: the notes' text and level left out" \
    sh -c 'dipb report minutes --meeting 2026-12-01 --format json \
    --max-classification "$1" >"$3" && python3 -c "import json,sys
d = json.load(open(sys.argv[1]))
assert d[\"notes\"] == {\"text\": None}, d
assert d[\"left_out\"] == 1 and d[\"agenda\"] == [], d
assert d[\"marking\"] == sys.argv[3], d" "$3" "$2" "$4"' \
    sh "$R" "$S" "$TROOT/meetall.json" "$U"
check "minutes --meeting --format json capped at $R: no level above $R named" \
    sh -c '! grep -q -e "$2" -e "$3" "$1"' sh "$TROOT/meetall.json" "$S" "$C"
check "minutes --meeting --format json, uncapped: the notes and their level $S" \
    sh -c 'dipb report minutes --meeting 2026-12-01 --format json >"$2" &&
    python3 -c "import json,sys
d = json.load(open(sys.argv[1]))
n = d[\"notes\"]
assert n[\"classification\"] == sys.argv[2], n
assert n[\"text\"].startswith(\"MEETNOTE-7737\"), n
assert d[\"agenda\"][0][\"classification\"] == sys.argv[2], d" "$2" "$1"' \
    sh "$S" "$TROOT/meetall.json"
as chair
run dipb declassify IC-0001 "$R"
plain_subject "a meeting's notes, its agenda item at $S then" MEETNOTE-7737 0
check "a meeting's notes at $S: the window's minutes say the comment is left out" \
    sh -c 'dipb report minutes --max-classification "$1" |
    grep -q "2026-12-01 held.*its comment, written above the limit, is left out"' \
    sh "$R"
# The words that say so are emphasised, never literal asterisks.
check "the comment left out: emphasised in Markdown" sh -c \
    'dipb report minutes --max-classification "$1" |
    grep -q "held.* \\*(its comment, written above the limit, is left out)\\*\$"' \
    sh "$R"
check "the comment left out: emphasised in HTML, no asterisk" sh -c \
    'dipb report minutes --format html --max-classification "$1" >"$2" &&
    grep -q " <em>(its comment, written above the limit, is left out)</em>" "$2" &&
    ! grep -q "\\*" "$2"' sh "$R" "$TROOT/meet.html"
check "a meeting's notes at $S: the window's JSON gives no comment" sh -c \
    'dipb report minutes --format json --max-classification "$1" >"$2" &&
    python3 -c "import json,sys
d = json.load(open(sys.argv[1]))
b = [e for e in d[\"board_changes\"] if e[\"event\"] == \"held\"]
assert len(b) == 1 and b[0][\"comment\"] is None, b" "$2"' \
    sh "$R" "$TROOT/meet.json"
dipb report minutes --meeting 2026-12-01 --max-classification "$R" \
    >"$TROOT/meet.md" 2>&1
check "minutes --meeting capped at $R: its notes written at $S left out" \
    sh -c '! grep -q MEETNOTE "$1" &&
    grep -q "The notes, written at a level above the limit, are left out" "$1"' \
    sh "$TROOT/meet.md"
check_eq "minutes --meeting capped at $R: marked with what it shows" \
    "**$R**" "$(head -n 1 "$TROOT/meet.md")"
check "minutes --meeting capped at $S: its notes shown" sh -c \
    'dipb report minutes --meeting 2026-12-01 --max-classification "$1" |
    grep -q MEETNOTE-7737' sh "$S"
check_eq "minutes --meeting uncapped: its notes shown, marked $S" \
    "**$S**" "$(dipb report minutes --meeting 2026-12-01 | head -n 1)"
check "the window's minutes capped at $S: the notes shown at $S" sh -c \
    'dipb report minutes --max-classification "$1" |
    grep -q "2026-12-01 held.*$1"' sh "$S"

# The notes of a meeting whose agenda item has no file at its commit (a
# level not known): left out under any cap.
secret meetunknown
as secretary
run dipb meeting --date 2026-12-02 --attendee secretary@example.org \
    --agenda IC-0001 -m 'MEETNOTE-7738'
as chair
git rm -q recommendations/IC-0001.yaml
git commit -q -m 'removed'
git commit -q --allow-empty -m 'meeting: 2026-12-02 held' \
    -m 'MEETNOTE-FORGED-7738' -m 'Dipb-Record: meeting
Dipb-Event: held'
plain_subject "a meeting change that changed no meeting file" \
    MEETNOTE-FORGED-7738 0

# plainplan NAME: a board of the four levels whose IC-0001 is drafted
# NATO UNCLASSIFIED; the secretary acts next.
plainplan() {
	levelled "$1" 'Plain plan' "$U"
}

# A meeting file committed with plain git: its notes' level cannot be
# known; uncapped they are shown and the marking is what the rest shows,
# under a cap they are left out and said to be of no known level.
plainplan meethand
mkdir -p meetings
printf 'date: 2026-03-01\nattendees:\n  - secretary@example.org\nagenda:\n  - IC-0001\nnotes: |\n  HANDNOTE-7740\n' \
    >meetings/2026-03-01.yaml
git add meetings
git commit -q -m 'add meeting by hand'
dipb report minutes --meeting 2026-03-01 >"$TROOT/hand.md" 2>&1
check_eq "a meeting committed by hand, uncapped: marked $U" "**$U**" \
    "$(head -n 1 "$TROOT/hand.md")"
check "a meeting committed by hand, uncapped: its notes shown" \
    grep -q HANDNOTE-7740 "$TROOT/hand.md"
dipb report minutes --meeting 2026-03-01 --max-classification "$S" \
    >"$TROOT/hand.md" 2>&1
check "a meeting committed by hand, capped at $S: notes of no known level left out" \
    sh -c '! grep -q HANDNOTE-7740 "$1" &&
    grep -q "The notes, whose level cannot be known, are left out" "$1"' \
    sh "$TROOT/hand.md"
check "a meeting committed by hand, --format json: its notes of no known level" \
    sh -c 'dipb report minutes --meeting 2026-03-01 --format json >"$1" &&
    python3 -c "import json,sys
n = json.load(open(sys.argv[1]))[\"notes\"]
assert n[\"classification\"] is None, n
assert n[\"text\"] == \"HANDNOTE-7740\\n\", n" "$1"' sh "$TROOT/hand.json"

# A meeting file edited with plain git after dipb wrote it (a NATO SECRET
# item and notes about it added): the notes shown are not those dipb
# ranked, so their level is not known.
plainplan meetedit
as drafter
draft "$TROOT/s2.yaml" 'Secret plan' "$S"
run dipb recommend --from "$TROOT/s2.yaml" --no-edit
as secretary
run dipb meeting --date 2026-03-02 --attendee secretary@example.org \
    --agenda IC-0001 -m 'MEETNOTE-7741'
sedit meetings/2026-03-02.yaml 's/^  - IC-0001$/  - IC-0001\
  - IC-0002/; s/MEETNOTE-7741/SECRETNOTE-7741/'
git commit -q -am 'meeting: fix up'
check "a meeting edited with plain git: capped at $R, its new notes left out" \
    sh -c 'dipb report minutes --meeting 2026-03-02 \
    --max-classification "$1" >"$2" && ! grep -q SECRETNOTE-7741 "$2"' \
    sh "$R" "$TROOT/edit.md"

# The notes about an item raised after the meeting: ranked at its level
# since too, as a record's comment is (dipb-report(1)), at the tip with
# --meeting and at the end of the window.
plainplan meetraise
run dipb meeting --date 2026-03-03 --attendee secretary@example.org \
    --agenda IC-0001 -m 'RAISENOTE-7742'
as drafter
EDITOR="sed -i 's/^classification: .*/classification: $S/'" \
    run dipb edit IC-0001
as secretary
check "notes about an item raised to $S since: --meeting capped at $R, left out" \
    sh -c '! dipb report minutes --meeting 2026-03-03 \
    --max-classification "$1" | grep -q RAISENOTE-7742' sh "$R"
plain_subject "notes about an item raised to $S since" RAISENOTE-7742 0

# A meeting with no agenda discussed no recommendation: its notes are at
# the lowest level (dipb-meeting(1)), in the window as with --meeting.
plainplan meetnone
run dipb meeting --date 2026-03-04 --attendee secretary@example.org \
    -m 'NOAGENDA-7743'
check "a meeting with no agenda: the window's JSON gives its notes $U" sh -c \
    'dipb report minutes --format json --max-classification "$1" >"$2" &&
    python3 -c "import json,sys
d = json.load(open(sys.argv[1]))
b = [e for e in d[\"board_changes\"] if e[\"event\"] == \"held\"]
assert len(b) == 1 and b[0][\"comment\"] == \"NOAGENDA-7743\", b
assert b[0][\"classification\"] == sys.argv[2], b" "$2" "$1"' \
    sh "$U" "$TROOT/none.json"
check "a meeting with no agenda: --meeting capped at $U, its notes shown" \
    sh -c 'dipb report minutes --meeting 2026-03-04 \
    --max-classification "$1" | grep -q NOAGENDA-7743' sh "$U"

# dipb migrate's text is ranked at the highest level of the records the
# migration moved, at its commit and its parent (dipb-migrate(1), -m).
secret migtext
as chair
run dipb migrate --layout sharded -m 'MIGTEXT-7739'
plain_subject "dipb migrate -m, a record at $S moved" MIGTEXT-7739 0
check "dipb migrate -m, a record at $S moved: capped at $S, shown" sh -c \
    'dipb report minutes --max-classification "$1" | grep -q MIGTEXT-7739' \
    sh "$S"
# Capped lower, the migration is left out: a board change, said so in
# words true of it (no plain git commit), and counted as one in JSON.
check "dipb migrate of a record at $S, capped at $R: one board or meeting change left out, no plain git" \
    sh -c 'dipb report minutes --since HEAD~1 --max-classification "$1" \
    >"$2" && grep -q "^\*1 recommendation classified above $1 left out\.\* \*1 board or meeting change left out\.\*\$" "$2" &&
    ! grep -q "plain git" "$2"' sh "$R" "$TROOT/migtext.md"
check "dipb migrate of a record at $S, capped at $R, --format json: the change counted left out" \
    sh -c 'dipb report minutes --since HEAD~1 --max-classification "$1" \
    --format json >"$2" && python3 -c "import json,sys
d = json.load(open(sys.argv[1]))
assert d[\"left_out\"] == 1, d
assert d[\"left_out_board_changes\"] == 1, d
assert d[\"left_out_plain_git\"] == 0, d
assert \"board_changes\" not in d, d" "$2"' sh "$R" "$TROOT/migtext.json"
check "dipb migrate of a record at $S, uncapped, --format json: no commit left out" \
    sh -c 'dipb report minutes --since HEAD~1 --format json >"$1" &&
    python3 -c "import json,sys
d = json.load(open(sys.argv[1]))
assert (d[\"left_out\"], d[\"left_out_board_changes\"],
    d[\"left_out_plain_git\"]) == (0, 0, 0), d
assert len(d[\"board_changes\"]) == 1, d" "$1"' sh "$TROOT/migtext.json"

# A migration of records of a known level that is kept is kept whole:
# its records are read at the end of the window as a plain commit's are,
# none is counted left out, nor is the commit, and uncapped the report is
# marked with their level (dipb-report(1), --max-classification).
levelled migkept 'Confidential plan' "$C"
as chair
run dipb migrate --layout sharded -m 'MIGKEPT-7745'
dipb report minutes --since HEAD~1 --max-classification "$C" \
    >"$TROOT/migkept.md" 2>&1
check "dipb migrate of a record at $C, capped at $C: none left out, its text shown" \
    sh -c 'grep -q "^\*0 recommendations classified above $2 left out\.\*\$" "$1" &&
    ! grep -q "commit.* left out" "$1" && grep -q MIGKEPT-7745 "$1"' \
    sh "$TROOT/migkept.md" "$C"
check "dipb migrate of a record at $C, capped at $C, --format json: left_out 0, the change listed" \
    sh -c 'dipb report minutes --since HEAD~1 --max-classification "$1" \
    --format json >"$2" && python3 -c "import json,sys
d = json.load(open(sys.argv[1]))
assert d[\"left_out\"] == 0, d
assert [e[\"event\"] for e in d[\"board_changes\"]] == [\"migrated\"], d
assert d[\"marking\"] == sys.argv[2], d" "$2" "$1"' sh "$C" "$TROOT/migkept.json"
check_eq "dipb migrate of a record at $C, uncapped: marked $C" "**$C**" \
    "$(dipb report minutes --since HEAD~1 | head -n 1)"

# Minutes capped say how many recommendations they left out, each once,
# however many changes name it: a plain commit of three records left out
# is three, three plain commits of one are one, and one changed by dipb
# and by plain git is one (dipb-report(1), --max-classification).  A
# commit left out is no recommendation: counted apart, in words.
# left_count SINCE N WHAT: minutes since SINCE capped at NATO RESTRICTED
# say N recommendations left out, in Markdown and in JSON.
left_count() {
	_n=$2
	test "$_n" = 1 && _w=recommendation || _w=recommendations
	check "$3: capped at $R, $_n $_w left out" sh -c '
	    dipb report minutes --since "$1" --max-classification "$2" >"$5" &&
	    grep -q "^\*$3 $4 classified above $2 left out\.\*" "$5" &&
	    dipb report minutes --since "$1" --max-classification "$2" \
	    --format json >"$5" && python3 -c "import json,sys
d = json.load(open(sys.argv[1]))
assert d[\"left_out\"] == int(sys.argv[2]), d[\"left_out\"]" "$5" "$3"' \
	    sh "$1" "$R" "$_n" "$_w" "$TROOT/count.out"
}
secret leftcount
as drafter
draft "$TROOT/s2.yaml" 'Second secret plan' "$S"
run dipb recommend --from "$TROOT/s2.yaml" --no-edit
draft "$TROOT/s3.yaml" 'Third secret plan' "$S"
run dipb recommend --from "$TROOT/s3.yaml" --no-edit
as chair
base=$(git rev-parse HEAD)
for n in 1 2 3; do
	echo '# by hand' >>recommendations/IC-000$n.yaml
done
git commit -q -am 'three records by hand'
left_count "$base" 3 'a plain commit of three records'
base=$(git rev-parse HEAD)
for n in 1 2 3; do
	echo "# by hand $n" >>recommendations/IC-0002.yaml
	git commit -q -am "IC-0002 by hand, $n"
done
left_count "$base" 1 'three plain commits of one record'
as secretary
run dipb withdraw IC-0002 -m 'Withdrawn.'
left_count "$base" 1 'a record changed by dipb and by plain git'
check "three plain commits and a change of one record: the commits said apart" \
    sh -c 'dipb report minutes --since "$1" --max-classification "$2" |
    grep -q "^\*1 recommendation classified above $2 left out\.\* \*3 commits made with plain git left out\.\*\$"' \
    sh "$base" "$R"
check "three plain commits left out, --format json: counted in left_out_plain_git" \
    sh -c 'dipb report minutes --since "$1" --max-classification "$2" \
    --format json >"$3" && python3 -c "import json,sys
d = json.load(open(sys.argv[1]))
assert (d[\"left_out\"], d[\"left_out_plain_git\"],
    d[\"left_out_board_changes\"]) == (1, 3, 0), d
assert d[\"plain_git\"] == [], d" "$3"' sh "$base" "$R" "$TROOT/count.json"
# A plain commit made while its record was NATO SECRET, declassified
# since: the record is shown, the commit is left out, and said so.
as chair
base=$(git rev-parse HEAD)
echo '# at secret' >>recommendations/IC-0003.yaml
git commit -q -am 'IC-0003 by hand at secret'
run dipb declassify IC-0003 "$R"
check "a plain commit left out, its record shown: 0 recommendations, 1 commit" \
    sh -c 'dipb report minutes --since "$1" --max-classification "$2" >"$3" &&
    grep -q "^\*0 recommendations classified above $2 left out\.\* \*1 commit made with plain git left out\.\*\$" "$3" &&
    grep -q "^### IC-0003" "$3"' sh "$base" "$R" "$TROOT/count.md"

# A declassification keeps a review fresh only while the rest of the text
# is the one it reviewed (dipb-workflow(7), "Reviews and the quorum"): rita
# endorses at NATO RESTRICTED, the drafter recalls it and changes the
# summary, the chair declassifies, rolf endorses: rita's review is of
# other text, stale, and one endorsement of two counts.
new_board stale
as drafter
draft "$TROOT/st.yaml" 'Restricted plan' "$R"
check 'a NATO RESTRICTED record' dipb recommend --from "$TROOT/st.yaml" \
    --no-edit
check 'review requested' dipb review IC-0001 --request
as rev1
check_change IC-0001/3-reviewed 'in-review -> in-review' \
    'IC-0001: endorsed by Rita Reviewer (1/2)' dipb review IC-0001 --endorse
as drafter
check 'recalled' dipb review IC-0001 --recall
sedit recommendations/IC-0001.yaml 's/^  Summary of .*/  Changed after the review./'
check_change IC-0001/5-edited 'draft -> draft' '' dipb edit IC-0001 --no-edit
check 'review requested again' dipb review IC-0001 --request
as chair
check_change IC-0001/7-declassified 'in-review -> in-review' '' \
    dipb declassify IC-0001 "$U"
as rev2
check_change IC-0001/8-reviewed 'in-review -> in-review' \
    'IC-0001: endorsed by Rolf Reviewer (1/2)' dipb review IC-0001 --endorse
check_eq 'a declassification does not bring back a review of older text: still in-review' \
    in-review "$(status_of IC-0001)"
check_out 'verify agrees: one of two, no [quorum]' '' dipb verify
as rev1
check_change IC-0001/9-endorsed 'in-review -> endorsed' \
    'IC-0001: endorsed by Rita Reviewer (2/2)' dipb review IC-0001 --endorse
check_eq 'her review of the text as it is counts: endorsed' endorsed \
    "$(status_of IC-0001)"

finish

#!/bin/sh
# tests/cli/versions.sh - versions of a record: dipb show ID@N and
# ID/N-EVENT against git show TAG:recommendations/ID.yaml, dipb diff
# against git diff TAG1 TAG2, --since-review for the acting reviewer,
# colour, --stat, --exit-code, and the errors of bad versions.
. "$(dirname "$0")/lib.sh"

new_board
at 2026-01-05
as drafter
id=$(mkrec industrial-capacity 'Alpha')			# IC-0001
mkrec supply-chain-security 'Bravo' >/dev/null		# SCS-0001
f=recommendations/$id.yaml
sedit "$f" 's/^title: .*/title: Alpha, first edit/'
run dipb edit "$id" --no-edit					# 2-edited
at 2026-01-06
run dipb review "$id" --request					# 3-review-requested
as rev1
run dipb review "$id" --request-changes -m 'Give the numbers.'	# 4-returned
at 2026-01-07
as drafter
sedit "$f" 's/^  Summary of Alpha\.$/  Summary of Alpha, with 155 mm numbers./'
run dipb edit "$id" --no-edit					# 5-edited
sedit "$f" 's/^priority: .*/priority: high/'
run dipb edit "$id" --no-edit					# 6-edited
run dipb review "$id" --request					# 7-review-requested
as rev2
run dipb review "$id" --endorse					# 8-reviewed
as rev1
run dipb review "$id" --endorse					# 9-endorsed
check_eq 'the record went through the workflow: nine versions' \
    "$id/9-endorsed" "$(git tag -l "$id/*" --sort=version:refname | tail -n 1)"

# --- show ID@N and ID/N-EVENT, with git show as the oracle ------------------

for tag in $(git tag -l "$id/*" --sort=version:refname); do
	n=${tag#*/}
	n=${n%%-*}
	git show "$tag:$f" >"$TROOT/want"
	run dipb show "$id@$n"
	grep -v '^#' "$OUT" >"$TROOT/got"
	if [ "$RC" -eq 0 ] && cmp -s "$TROOT/want" "$TROOT/got"; then
		ok "show $id@$n is git show $tag:$f"
	else
		not_ok "show $id@$n is git show $tag:$f" "$(_said dipb show "$id@$n")" \
		    "$(diff "$TROOT/want" "$TROOT/got" | head -n 10)"
	fi
	run dipb show "$tag"
	grep -v '^#' "$OUT" >"$TROOT/got2"
	if [ "$RC" -eq 0 ] && cmp -s "$TROOT/want" "$TROOT/got2"; then
		ok "show $tag is git show $tag:$f"
	else
		not_ok "show $tag is git show $tag:$f" "$(_said dipb show "$tag")"
	fi
done
run dipb show "$id/4-returned"
check_eq 'show ID/N-EVENT: a comment names the version' \
    "# version: 4 ($id/4-returned, 2026-01-06)" "$(sed -n 2p "$OUT")"
check_eq 'show ID@N: the fingerprint is that of the version' \
    "$(dipb show "$id@2" --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["fingerprint"])')" \
    "$(sed -n 's/^# fingerprint: //p' "$OUT")"
run dipb show "$id@3" --format json
check_eq 'show ID@N --format json: version and tag' \
    "3 $id/3-review-requested in-review" \
    "$(python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["version"], d["tag"], d["status"])' <"$OUT")"
check_status 0 'show ID@N --format markdown' dipb show "$id@1" --format markdown
check_file_has 'show ID@N --format markdown: the title of then' "$OUT" \
    '^# .*Alpha$'
run dipb show "$id"
check_eq 'show ID: the tip, no version comment' '' \
    "$(grep '^# version' "$OUT")"

# Bad versions: clear errors naming the record and what it has.
check_status 1 'show ID@0: exit 1' dipb show "$id@0"
check_err 'show ID@0: names the versions there are' \
    "$id has no version '$id@0': its versions are 1 ($id/1-drafted) to 9 ($id/9-endorsed)"
check_status 1 'show ID@99: exit 1' dipb show "$id@99"
check_err 'show ID@99: names the versions there are' \
    "its versions are 1 ($id/1-drafted) to 9 ($id/9-endorsed)"
check_status 1 'show ID/3-bogus: exit 1' dipb show "$id/3-bogus"
check_err 'show ID/3-bogus: names version 3' \
    "$id has no version '$id/3-bogus': its version 3 is $id/3-review-requested"
check_status 2 'show ID/3 (not a tag name): exit 2' dipb show "$id/3"
check_err 'show ID/3: says what a version is' "not a version of $id: '$id/3'"
check_status 2 'show ID@x: exit 2' dipb show "$id@x"
check_status 2 'show nonsense@1: not a record id' dipb show 'nonsense@1'
check_status 1 'show of a record without tags: exit 1' dipb show IC-0042@1
check_err 'show of a record without tags: says so' \
    "IC-0042 has no version 'IC-0042@1': it has no tags IC-0042/N-event"

# --- diff, with git diff as the oracle --------------------------------------

# git diff's content lines of FILE (default $f): from the first hunk on,
# the file header aside.
gitlines() {
	git diff "$1" "$2" -- "${3:-$f}" | sed -n '/^@@/,$p'
}
# The changed lines of a diff that are the drafter's (not the status, not
# the date of the last change).
drafted() {
	grep '^[-+][^-+]' | grep -v -E '^[-+](status|updated):'
}

# --all: the whole file, as git diff has it.
for pair in '1 2' '2 3' '4 5' '5 6' '1 9' '3 8'; do
	a=${pair% *} b=${pair#* }
	ta=$(git tag -l "$id/$a-*") tb=$(git tag -l "$id/$b-*")
	run dipb diff "$id" "$a" "$b" --all
	if [ "$RC" -eq 0 ] &&
	    [ "$(sed -n '/^@@/,$p' "$OUT")" = "$(gitlines "$ta" "$tb")" ]; then
		ok "diff --all $a $b is git diff $ta $tb"
	else
		not_ok "diff --all $a $b is git diff $ta $tb" \
		    "$(_said dipb diff "$id" "$a" "$b" --all)" \
		    "git diff:" "$(gitlines "$ta" "$tb")"
	fi
done
run dipb diff "$id" 4 5 --all
check_eq 'diff: the header names both versions' \
    "--- $id/4-returned
+++ $id/5-edited" "$(sed -n 1,2p "$OUT")"

# The drafter's fields: edits between versions where nothing else changed
# are git diff's lines exactly.
for pair in '4 5' '5 6' '4-returned 6-edited'; do
	a=${pair% *} b=${pair#* }
	ta=$(git tag -l "$id/${a%%-*}-*") tb=$(git tag -l "$id/${b%%-*}-*")
	run dipb diff "$id" "$a" "$b"
	got=$(grep '^[-+][^-+]' "$OUT")
	want=$(gitlines "$ta" "$tb" | drafted)
	if [ "$RC" -eq 0 ] && [ -n "$want" ] && [ "$got" = "$want" ]; then
		ok "diff $a $b: the drafter's lines of git diff $ta $tb"
	else
		not_ok "diff $a $b: the drafter's lines of git diff $ta $tb" \
		    "$(_said dipb diff "$id" "$a" "$b")" "git diff:" "$want"
	fi
done
# Reviews and statuses are not the drafter's: no line of them.
run dipb diff "$id" 1 9
check_eq 'diff 1 9: the drafter'\''s changes only' \
    '-title: Alpha
+title: Alpha, first edit
-priority: medium
+priority: high
-  Summary of Alpha.
+  Summary of Alpha, with 155 mm numbers.' "$(grep '^[-+][^-+]' "$OUT")"
check_status 0 'diff of versions where the drafter changed nothing: exit 0' \
    dipb diff "$id" 6 9
check_eq 'diff of versions where the drafter changed nothing: empty' '' \
    "$(cat "$OUT")"
run dipb diff "$id" 6 9 --all
check_file_has 'diff --all 6 9: the reviews are there' "$OUT" \
    '^\+  - reviewer: rolf@example.org$'

# Defaults: the last version and the one before; a full tag name.
run dipb diff "$id"
check_eq 'diff ID: from the version before the last to the last' \
    "--- $id/8-reviewed
+++ $id/9-endorsed" "$(dipb diff "$id" --all | sed -n 1,2p)"
check_eq 'diff ID: the last change was a review: no drafter change' '' \
    "$(cat "$OUT")"
run dipb diff "$id" "$id/4-returned"
check_eq 'diff ID FROM: to the last version' "+++ $id/9-endorsed" \
    "$(sed -n 2p "$OUT")"
run dipb diff "$id" "$id/1-drafted" "$id@2"
check_eq 'diff ID TAG ID@N' "--- $id/1-drafted
+++ $id/2-edited" "$(sed -n 1,2p "$OUT")"
run dipb diff "$id" 1
check_eq 'diff FROM later than ... version 1 to the last' "--- $id/1-drafted" \
    "$(sed -n 1p "$OUT")"
# The first version alone: everything added.
run dipb diff SCS-0001
check_eq 'diff of a record with one version: from nothing' \
    "--- /dev/null
+++ SCS-0001/1-drafted
@@ -0,0 +1,6 @@" "$(sed -n 1,3p "$OUT")"

# --since-review: what changed since the acting reviewer's last review.
at 2026-01-08
as drafter
run dipb withdraw "$id" -m 'Will redo.' 2>/dev/null
id2=$(mkrec industrial-capacity 'Charlie')
f2=recommendations/$id2.yaml
run dipb review "$id2" --request
as rev1
run dipb review "$id2" --request-changes -m 'Shorter title, please.'
as drafter
sedit "$f2" 's/^title: .*/title: Charlie, shorter/'
run dipb edit "$id2" --no-edit
sedit "$f2" 's/^priority: .*/priority: low/'
run dipb edit "$id2" --no-edit
run dipb review "$id2" --request
as rev1
run dipb diff "$id2" --since-review
check_eq 'diff --since-review: from the reviewer'\''s review to now' \
    "--- $id2/3-returned
+++ $id2/6-review-requested" "$(sed -n 1,2p "$OUT")"
check_eq 'diff --since-review: both edits since the review' \
    "$(gitlines "$id2/3-returned" "$id2/6-review-requested" "$f2" | drafted)" \
    "$(grep '^[-+][^-+]' "$OUT")"
check_status 1 'diff --since-review by one who has not reviewed: exit 1' \
    env GIT_AUTHOR_EMAIL=rolf@example.org dipb diff "$id2" --since-review
check_err 'diff --since-review by one who has not reviewed: says so' \
    "rolf@example.org has not reviewed $id2"
check_status 2 'diff --since-review FROM TO: usage' \
    dipb diff "$id2" --since-review 1 2

# --stat, --exit-code, -U.
run dipb diff "$id2" --since-review --stat
check_stdout 'diff --stat: git diff --stat'\''s lines' \
    " recommendations/$id2.yaml | 4 ++--
 1 file changed, 2 insertions(+), 2 deletions(-)"
check_status 1 'diff --exit-code: 1 when the versions differ' \
    dipb diff "$id2" 1 4 --exit-code
check_eq 'diff --exit-code: says nothing on stderr' '' "$(cat "$ERR")"
check_status 0 'diff --exit-code: 0 when they do not' \
    dipb diff "$id2" 1 3 --exit-code
run dipb diff "$id2" 3 4 -U 0
check_eq 'diff -U 0: no context' '@@ -1 +1 @@' "$(sed -n 3p "$OUT")"
check_status 2 'diff -U x: usage' dipb diff "$id2" -U x
check_status 2 'diff -U 10001: past 10000 lines of context, usage' \
    dipb diff "$id2" -U 10001

# Colour: as git diff's, on request; never with NO_COLOR and auto.
esc=$(printf '\033')
run dipb diff "$id2" 3 4 --color=always
check_eq 'diff --color=always: git'\''s colours' \
    "${esc}[1m--- $id2/3-returned${esc}[m
${esc}[1m+++ $id2/4-edited${esc}[m
${esc}[36m@@ -1,4 +1,4 @@${esc}[m
${esc}[31m-title: Charlie${esc}[m
${esc}[32m+${esc}[m${esc}[32mtitle: Charlie, shorter${esc}[m" "$(sed -n 1,5p "$OUT")"
run dipb --color=always diff "$id2" 3 4
check_file_has 'dipb --color=always diff: coloured' "$OUT" "^${esc}\\[31m-title"
run dipb diff "$id2" 3 4 --color=auto
check_eq 'diff --color=auto, not a terminal: no colour' '' \
    "$(grep "$esc" "$OUT")"
run dipb --color=always diff "$id2" 3 4 --color=never
check_eq 'diff --color=never wins over dipb --color=always' '' \
    "$(grep "$esc" "$OUT")"
check_status 2 'diff --color=sometimes: usage' dipb diff "$id2" --color=sometimes

# Bad arguments.
check_status 1 'diff of a record with no versions: exit 1' dipb diff IC-0042
check_err 'diff of a record with no versions: no such recommendation' \
    "no such recommendation: 'IC-0042'"
check_status 1 'diff ID 0: exit 1' dipb diff "$id2" 0
check_status 1 'diff ID with another record'\''s tag: exit 1' \
    dipb diff "$id2" "$id/1-drafted"
v2="its versions are 1 ($id2/1-drafted) to 6 ($id2/6-review-requested)"
check_err 'diff ID with another record'\''s tag: names both, ID'\''s versions' \
    "'$id/1-drafted' is a version of $id, not of $id2: $v2"
check_status 2 'diff without an id: usage' dipb diff
check_status 2 'diff with an unknown option: usage' dipb diff "$id2" --bogus

# Reading changes nothing.
check_git_agrees 'git fsck, status and dipb verify are clean'

# --- the review thread: the drafter answers a reviewer ------------------------

as drafter
fp=$(dipb show "$id2" --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["fingerprint"])')
check_change "$id2/7-replied" 'in-review -> in-review' \
    "$id2: reply to Rita Reviewer by Dan Drafter" \
    dipb review "$id2" --reply-to rita@example.org -m 'Shortened, as asked.'
check_eq 'reply: the thread is in the record, after the reviews' \
    'replies:
  - by: dan@example.org
    date: 2026-01-08
    to: rita@example.org
    text: |
      Shortened, as asked.' \
    "$(git show "$id2/7-replied:$f2" | sed -n '/^replies:/,$p')"
check_eq 'reply: the status stays, the text and its fingerprint too' \
    "in-review $fp" \
    "$(jshow "$id2" 'd["status"] + " " + d["fingerprint"]')"
check_eq 'reply: dipb log shows it with its text' \
    "2026-01-08  $id2/7-replied           in-review              reply to Rita Reviewer by Dan Drafter
    Shortened, as asked." "$(dipb log "$id2" | tail -n 2)"
check_change "$id2/8-replied" 'in-review -> in-review' \
    "$id2: reply to Rita Reviewer by Dan Drafter" \
    dipb review "$id2" --reply-to 'Rita Reviewer' -m 'And lowered the priority.'
check_eq 'reply by the reviewer'\''s name: a second reply, in order' \
    '["Shortened, as asked.", "And lowered the priority."]' \
    "$(jshow "$id2" '[r["text"].strip() for r in d["replies"]]')"
check_eq 'show ID@N: the thread as it was' \
    '["Shortened, as asked."]' \
    "$(dipb show "$id2@7" --format json | python3 -c 'import json,sys; print(json.dumps([r["text"].strip() for r in json.load(sys.stdin)["replies"]]))')"
run dipb show "$id2" --format markdown
check_file_has 'show --format markdown: the reply under its review' "$OUT" \
    'Dan Drafter.*2026-01-08: reply to .*Rita Reviewer'
check_file_has 'show --format markdown: the reply quoted' "$OUT" \
    '^> Shortened, as asked\.$'
check_eq 'reply: the diff of the drafter'\''s text is empty' '' \
    "$(dipb diff "$id2" 6 8)"

check_refused 1 "has no review by 'rolf@example.org' to reply to (its reviewers: rita@example.org)" \
    'reply to a member who did not review: refused' \
    dipb review "$id2" --reply-to rolf@example.org -m 'Hello?'
check_refused 2 '--reply-to needs the reply: -m TEXT or -F FILE' \
    'reply without a text: usage' dipb review "$id2" --reply-to rita@example.org
check_refused 2 '--reply-to needs the reply: -m TEXT or -F FILE' \
    'reply of blanks: usage' dipb review "$id2" --reply-to rita@example.org -m '  '
check_refused 2 'exactly one of' 'reply with a verdict: usage' \
    dipb review "$id2" --reply-to rita@example.org --endorse -m x
as rev2
check_refused 3 'needs the drafter role' 'a reviewer cannot reply: the drafter answers' \
    dipb review "$id2" --reply-to rita@example.org -m 'I agree with Rita.'
as drafter
id3=$(mkrec industrial-capacity 'Delta')
check_refused 1 "is draft: cannot review --reply-to" 'reply to a draft: refused' \
    dipb review "$id3" --reply-to rita@example.org -m x
as rev1
run dipb review "$id2" --endorse -m 'Fine now.'
as rev2
run dipb review "$id2" --endorse
check_eq 'the replies leave the endorsements fresh: endorsed' endorsed \
    "$(status_of "$id2")"
as drafter
check_refused 1 "is endorsed: cannot review --reply-to" \
    'reply once endorsed: refused' \
    dipb review "$id2" --reply-to rita@example.org -m 'Thanks.'
run dipb report minutes --since 2026-01-08
check_file_has 'report minutes: the reply and its text' "$OUT" \
    'reply to Rita Reviewer'
check_file_has 'report minutes: the reply'\''s text quoted' "$OUT" \
    'Shortened, as asked\.'
check_git_agrees 'the thread: git fsck, status and dipb verify are clean'

# verify: an earlier reply changed, or one in another's name, is reported.
CLEAN=$BOARD
scenario tamper-text
sedit "$f2" 's/^      Shortened, as asked\.$/      Never mind./'
git add "$f2"
forge "$id2" edited 'endorsed -> endorsed' drafter
check_rule 'an earlier reply rewritten' field-changed "replies\\[1\\] of $id2"
scenario tamper-by
id4=$(as drafter; mkrec industrial-capacity 'Echo')
drive "$id4" returned
# A reply in the reviewer's name, after the reviews (canonical order).
python3 - "recommendations/$id4.yaml" <<'PY'
import sys
p = sys.argv[1]
lines = open(p).read().split("\n")
k = lines.index("reviews:") + 1
while k < len(lines) and lines[k].startswith(" "):
    k += 1
lines[k:k] = ["replies:", "  - by: rita@example.org", "    date: 2026-01-08",
    "    to: rita@example.org", "    text: |", "      Mine."]
open(p, "w").write("\n".join(lines))
PY
check 'set-up: the forged reply loads' dipb validate "recommendations/$id4.yaml"
git add "recommendations/$id4.yaml"
forge "$id4" replied 'returned -> returned' drafter
check_rule 'a reply in another member'\''s name' author \
    "replies\\[1\\] of $id4 is by rita@example.org, but dan@example.org"

# dipb sync replays a reply made while the remote moved.
cd "$BOARD" || exit 1
share_board "$TROOT/thread.git"
git clone -q "$TROOT/thread.git" "$TROOT/ta" 2>/dev/null
git clone -q "$TROOT/thread.git" "$TROOT/tb" 2>/dev/null
cd "$TROOT/tb" || exit 1
as drafter
run dipb review "$id3" --request
check 'set-up: the remote moves (another record asked for review)' dipb sync
cd "$TROOT/ta" || exit 1
id5=$(mkrec industrial-capacity 'Foxtrot')
drive "$id5" returned >/dev/null
as drafter
cd "$TROOT/tb" && id6=$(mkrec industrial-capacity 'Golf') && dipb sync 2>/dev/null
cd "$TROOT/ta" || exit 1
run dipb review "$id5" --reply-to rita@example.org -m 'Evidence added.'
run dipb sync
check_eq 'sync: the reply replayed on the moved remote and pushed' 0 "$RC"
# The record was renumbered ($id6 took its number upstream): its reply too.
new5=$(sed -n "s,^landed \([^/]*\)/[0-9]*-replied (was $id5/.*,\1,p" "$ERR")
check_eq 'sync: the draft renumbered, its reply replayed with it' \
    "landed $id6/1-drafted landed $new5/4-replied" \
    "$(git -C "$TROOT/thread.git" tag -l "$id6/1-*" | sed 's/^/landed /') $(grep -- '-replied' "$ERR" | cut -d ' ' -f 1,2)"
check_eq 'sync: the remote has the reply' 'Evidence added.' \
    "$(git -C "$TROOT/thread.git" show "main:recommendations/$new5.yaml" | sed -n '/^replies:/,$p' | sed -n 's/^      //p')"
check_git_agrees 'sync: git and dipb verify agree after the replay'
# --- a replacement (git replace) -------------------------------------------
#
# dipb reads the objects as they are stored (dipb-git(7), Replacements):
# a replaced version is shown as git shows it with GIT_NO_REPLACE_OBJECTS,
# and verify judges the stored history.
new_board replace
as drafter
rid=$(mkrec industrial-capacity 'Stored')
drive "$rid" in-review
c=$(git rev-parse "$rid/2-review-requested^{commit}")
git checkout -q --detach "$c"
sedit "recommendations/$rid.yaml" 's/^title: .*/title: Replaced/'
git commit -q -a --amend -m "$(git log -1 --format=%B "$c")"
r=$(git rev-parse HEAD)
git checkout -q main
git replace "$c" "$r"
check_out 'replace: git shows the replacement' 'title: Replaced' \
    sh -c 'git show "$1:recommendations/$2.yaml" | grep "^title:"' sh \
    "$rid/2-review-requested" "$rid"
check_out 'replace: dipb show ID@N is the stored version, as GIT_NO_REPLACE_OBJECTS=1 git show' \
    "$(GIT_NO_REPLACE_OBJECTS=1 git show "$rid/2-review-requested:recommendations/$rid.yaml")" \
    sh -c 'dipb show "$1@2" | tail -n +3' sh "$rid"
check_status 0 'replace: dipb verify judges the stored history' dipb verify
# --- two tags of one number (a forged tag) ----------------------------------
#
# A tag made by hand with git tag -a beside a change's own, of its number:
# dipb verify reports it (tag-extra), and a version taken by its number
# (ID@N, N, or diff's default) is refused naming both tags, never picked
# silently (dipb-show(1), dipb-diff(1)); by its tag's name it is the one.
new_board twotags
as drafter
tid=$(mkrec industrial-capacity 'Twice')
drive "$tid" in-review
git tag -a -m forged "$tid/2-edited" "$tid/1-drafted^{commit}"
check_status 1 'two tags of one N: show ID@N refused, exit 1' \
    dipb show "$tid@2"
check_err 'two tags of one N: show names both tags' \
    "$tid/2-edited and $tid/2-review-requested"
check_out 'two tags of one N: show by the tag'"'"'s name is that tag' \
    "$(git show "$tid/2-review-requested:recommendations/$tid.yaml")" \
    sh -c 'dipb show "$1" | tail -n +3' sh "$tid/2-review-requested"
check_out 'two tags of one N: show N-event of the change'"'"'s own is that tag' \
    "$(git show "$tid/2-review-requested:recommendations/$tid.yaml")" \
    sh -c 'dipb show "$1@2-review-requested" | tail -n +3' sh "$tid"
check_status 1 'two tags of one N: show N-event of the forged one, refused' \
    dipb show "$tid@2-edited"
check_err 'two tags of one N: the forged tag is on no such change' \
    "$tid's tag $tid/2-edited is on commit $(git rev-parse --short=12 "$tid/2-edited^{commit}"), which is no change '$tid edited'"
check_status 1 'two tags of one N: diff by default refused, exit 1' \
    dipb diff "$tid"
check_err 'two tags of one N: diff names both tags' \
    "$tid/2-edited and $tid/2-review-requested"
check_status 1 'two tags of one N: diff FROM N refused' dipb diff "$tid" 2 1
check_status 0 'two tags of one N: diff between named tags' \
    dipb diff "$tid" 1 "$tid/2-review-requested"
run dipb verify
check_eq 'two tags of one N: dipb verify reports the forged tag' 1 \
    "$(cat "$OUT" "$ERR" | grep -c "tag-extra")"
# The next change is numbered after the record's changes, not after its
# tags: the forged one counted would leave a gap dipb verify reports
# (tag-number) on the honest change, for good.
as rev1
run dipb review "$tid" --endorse
check_err 'two tags of one N: the next change is change 3' "$tid/3-reviewed"
run dipb verify
check_eq 'two tags of one N: dipb verify finds the forged tag, and only it' \
    "$tid/2-edited [tag-extra]" \
    "$(sed -n 's/^[0-9a-f]* \([^:]*\):.* \(\[[a-z-]*\]\)$/\1 \2/p' "$OUT")"
# Two tags on one change, of one number: dipb log ID lists both, as git
# tag does, and the window names the change's own (the tag whose event is
# its Dipb-Event, as git log's trailer says), not the forged one that
# sorts first.
new_board sametags
as drafter
sid=$(mkrec industrial-capacity 'Same')
drive "$sid" in-review
git tag -a -m forged "$sid/2-edited" "$sid/2-review-requested^{commit}"
run dipb verify
check_eq 'two tags on one change: dipb verify reports the forged tag' 1 \
    "$(cat "$OUT" "$ERR" | grep -c "$sid/2-edited: .*tag-extra")"
check_out 'two tags on one change: log ID lists both, as git tag does' \
    "$(git tag -l "$sid/*" | sort)" \
    sh -c 'dipb log "$1" --format json |
    python3 -c "import json, sys
for l in sys.stdin: print(json.loads(l)[\"tag\"])" | sort' sh "$sid"
check_out 'two tags on one change: the window names the change'"'"'s own tag' \
    "$sid/2-$(git log -1 --format='%(trailers:key=Dipb-Event,valueonly)' \
    "$sid/2-edited^{commit}")" \
    sh -c 'dipb log --format json |
    python3 -c "import json, sys
for l in sys.stdin:
    e = json.loads(l)
    if e[\"commit\"] == sys.argv[1]: print(e[\"tag\"])" "$1"' \
    sh "$(git rev-parse "$sid/2-edited^{commit}")"
# The submission package takes each record's text at its submission tag
# (dipb-report(1), "package"): a tag of the record forged onto another
# record's submission is none of its own, and one beside its own of its
# number is refused, naming both, as show ID@N is; git is the oracle.
new_board pkgtags
as drafter
pa=$(mkrec industrial-capacity 'Alpha')
pb=$(mkrec industrial-capacity 'Bravo')
drive "$pb" submitted
drive "$pa" submitted
# package_of ID: the tag and the blob of ID in the submission package
# of REF-1 (JSON), as "TAG BLOB".
package_of() {
	dipb report package --reference REF-1 --format json |
	    python3 -c 'import json, sys
for r in json.load(sys.stdin)["recommendations"]:
    if r["id"] == sys.argv[1]: print(r["tag"], r["blob"])' "$1"
}
git tag -a -m forged "$pa/6-zap" "$pb/5-submitted^{commit}"
run dipb verify
check_eq 'package: dipb verify reports the tag on another record'"'"'s change' \
    1 "$(cat "$OUT" "$ERR" | grep -c "$pa/6-zap: .*tag-extra")"
check_out 'package: a tag on another record'"'"'s change is not its submission' \
    "$pa/5-submitted $(git rev-parse "$pa/5-submitted:recommendations/$pa.yaml")" \
    package_of "$pa"
git tag -d "$pa/6-zap" >/dev/null
git tag -a -m forged "$pa/5-zap" "$pb/5-submitted^{commit}"
run dipb verify
check_eq 'package: dipb verify reports the forged tag of its number' \
    1 "$(cat "$OUT" "$ERR" | grep -c "$pa/5-zap: .*tag-extra")"
check_status 1 'package: two tags of the submission'"'"'s number, refused' \
    dipb report package --reference REF-1
check_err 'package: the refusal names both tags' \
    "$pa/5-submitted and $pa/5-zap"
git tag -d "$pa/5-zap" >/dev/null

# --- a forged tag of a new number on a plain git commit ---------------------
#
# git tag -a puts any name on any commit: IC-0001/7-submitted on a plain
# git edit of the record is no change of it (its commit has no
# Dipb-Record and Dipb-Event trailers), which dipb verify reports
# (tag-extra).  The package takes the submission dipb made, a version
# taken by its number or event is refused naming the tag, and the window
# still lists the edit as plain git.
sedit "recommendations/$pa.yaml" 's/^title: .*/title: Alpha, edited by hand/'
git commit -q -am 'hand edit'
git tag -a -m forged "$pa/7-submitted" HEAD
check_eq 'forged new tag: its commit has no Dipb-Record trailer' '' \
    "$(git log -1 --format='%(trailers:key=Dipb-Record,valueonly)' "$pa/7-submitted")"
run dipb verify
check_eq 'forged new tag: dipb verify reports it (tag-extra)' 1 \
    "$(cat "$OUT" "$ERR" | grep -c "$pa/7-submitted: .*tag-extra")"
check_out 'forged new tag: the package takes the submission dipb made' \
    "$pa/5-submitted $(git rev-parse "$pa/5-submitted:recommendations/$pa.yaml")" \
    package_of "$pa"
for v in "$pa@7" "$pa@7-submitted" "$pa/7-submitted"; do
	check_status 1 "forged new tag: show $v refused, exit 1" dipb show "$v"
	check_err "forged new tag: show $v names the tag and its commit" \
	    "$pa's tag $pa/7-submitted is on commit $(git rev-parse --short=12 HEAD), which is no change '$pa submitted'"
done
check_status 1 'forged new tag: diff by default refused' dipb diff "$pa"
check_status 0 'forged new tag: diff between versions dipb made' \
    dipb diff "$pa" 4 5
check_out 'forged new tag: the window lists the edit as plain git' \
    'True' \
    sh -c 'dipb log --format json |
    python3 -c "import json, sys
for l in sys.stdin:
    e = json.loads(l)
    if e[\"commit\"] == sys.argv[1]: print(e[\"plain_git\"])" "$1"' \
    sh "$(git rev-parse HEAD)"
check_out 'forged new tag: log ID lists it, as git tag does' \
    "$(git tag -l "$pa/*" | sort)" \
    sh -c 'dipb log "$1" --format json |
    python3 -c "import json, sys
for l in sys.stdin: print(json.loads(l)[\"tag\"])" | sort' sh "$pa"
# Marked forged, and only it: git's own reading of each tag's commit
# (its Dipb-Record and Dipb-Event trailers against the tag's name) is the
# oracle.
git for-each-ref --format='%(refname:strip=2)' "refs/tags/$pa/" |
    while read -r t; do
	r=$(git log -1 --format='%(trailers:key=Dipb-Record,valueonly)' "$t" |
	    sed '/^$/d')
	e=$(git log -1 --format='%(trailers:key=Dipb-Event,valueonly)' "$t" |
	    sed '/^$/d')
	[ "$r/$e" = "$pa/${t#*/*-}" ] || echo "$t"
done >"$TROOT/forged.want"
check_eq 'forged new tag: git finds one tag on no change of its name' \
    "$pa/7-submitted" "$(cat "$TROOT/forged.want")"
check_out 'forged new tag: log ID --format json marks it forged, and only it' \
    "$(cat "$TROOT/forged.want")" \
    sh -c 'dipb log "$1" --format json |
    python3 -c "import json, sys
for l in sys.stdin:
    e = json.loads(l)
    if e[\"forged\"] is True: print(e[\"tag\"])
    elif e[\"forged\"] is not False: print(\"forged:\", e[\"forged\"])"' \
    sh "$pa"
run dipb log "$pa"
check_eq 'forged new tag: log ID marks its line (forged), and only it' \
    "$pa/7-submitted (forged)" \
    "$(grep -o "$pa/[0-9]*-[a-z-]* (forged)" "$OUT")"
check_eq 'forged new tag: the window marks nothing forged' '' \
    "$(dipb log --format json | grep -v '"forged":false,')"

# --- diff --all and show ID@N: the file as stored, git the oracle -----------
#
# A version edited by hand (a key dipb does not know, a comment, a quoted
# title) is shown and compared as its commit stores it: the lines of git
# show TAG:PATH and git diff TAG TAG (dipb-show(1), dipb-diff(1)), not the
# record written again in its canonical form.
new_board stored
as drafter
sid=$(mkrec industrial-capacity 'Stored')
sf=recommendations/$sid.yaml
sedit "$sf" "s/^title: .*/title: 'Stored'/"
printf 'extra: hidden\n# a comment\n' >>"$sf"
git add "$sf"
forge "$sid" edited 'draft -> draft' drafter			# 2-edited
run dipb diff "$sid" 1 2 --all
check_eq 'stored: diff --all is git diff of the stored files' \
    "$(gitlines "$sid/1-drafted" "$sid/2-edited" "$sf")" \
    "$(sed -n '/^@@/,$p' "$OUT")"
check_status 1 'stored: diff --all --exit-code: the files differ, exit 1' \
    dipb diff "$sid" 1 2 --all --exit-code
check_out 'stored: show ID@N is git show TAG:PATH, comment and all' \
    "$(git show "$sid/2-edited:$sf")" \
    sh -c 'dipb show "$1@2" | tail -n +3' sh "$sid"
check_out 'stored: show ID@N --format json is still the record read' \
    'Stored' sh -c 'dipb show "$1@2" --format json |
    python3 -c "import json, sys; print(json.load(sys.stdin)[\"title\"])"' \
    sh "$sid"
# Fifty lines more: --stat's bar as git diff --stat draws it on 80
# columns, wider than 40.
i=0
while [ $i -lt 50 ]; do
	echo "# note $i"
	i=$((i + 1))
done >>"$sf"
git add "$sf"
forge "$sid" edited 'draft -> draft' drafter			# 3-edited
run dipb diff "$sid" 2 3 --all --stat
check_stdout 'stored: diff --stat of 50 lines is git diff --stat'\''s' \
    "$(COLUMNS=80 git diff --stat "$sid/2-edited" "$sid/3-edited" -- "$sf")"
run dipb diff "$sid" 1 3 --all --stat
check_stdout 'stored: diff --stat of both kinds is git diff --stat'\''s' \
    "$(COLUMNS=80 git diff --stat "$sid/1-drafted" "$sid/3-edited" -- "$sf")"
# Stored without its last newline: git's marker on a line of its own.
printf '%s' "$(cat "$sf")" >"$TROOT/nonl" && cp "$TROOT/nonl" "$sf"
git add "$sf"
forge "$sid" edited 'draft -> draft' drafter			# 4-edited
run dipb diff "$sid" 3 4 --all
check_eq 'stored: no last newline: git diff'\''s lines, its marker alone' \
    "$(gitlines "$sid/3-edited" "$sid/4-edited" "$sf")" \
    "$(sed -n '/^@@/,$p' "$OUT")"

# A version stored with a lone CR (committed with git, no filter): a
# terminal given it raw writes the text after it over the start of its
# line, hiding what was there.  The loader refuses it (dipb-validate(1),
# encoding), so neither show ID@N nor diff --all hands it on; dipb verify
# reports the change.  A CRLF pair is a line end, and stays allowed.
new_board lonecr
as drafter
rid=$(mkrec industrial-capacity 'Lone CR')
rf=recommendations/$rid.yaml
python3 -c 'import sys
p = sys.argv[1]
s = open(p).read().replace("title: Lone CR\n",
    "title: Lone CR\n# Buy 10000 shells from Acme\r# ok" + " " * 30 + "\n")
open(p, "w", newline="").write(s)' "$rf"
git update-index --cacheinfo "100644,$(git hash-object -w --no-filters "$rf"),$rf"
forge "$rid" edited 'draft -> draft' drafter			# 2-edited
git checkout -q "$rid/1-drafted" -- "$rf"
cr=$(printf '\r')
check_eq 'lone CR: set-up, the stored version holds the CR' 1 \
    "$(git show "$rid/2-edited:$rf" | grep -c "$cr")"
crmsg="$rid/2-edited:$rf:3:29: error: control character U+000D, a carriage return not before a line feed [encoding]"
run dipb show "$rid@2"
check_eq 'lone CR: show ID@N refused, exit 1, at its line and column' \
    "1:$crmsg" "$RC:$(grep -F "$crmsg" "$ERR")"
check_eq 'lone CR: show ID@N prints no CR' 0 "$(grep -c "$cr" "$OUT")"
run dipb diff "$rid" 1 2 --all
check_eq 'lone CR: diff --all refused, exit 1, at its line and column' \
    "1:$crmsg" "$RC:$(grep -F "$crmsg" "$ERR")"
check_eq 'lone CR: diff --all prints no CR' 0 "$(grep -c "$cr" "$OUT")"
run dipb verify
check_eq 'lone CR: dipb verify reports the change' \
    "1:$(git rev-parse --short=12 "$rid/2-edited^{commit}") $rid/2-edited: $rf:3:29: control character U+000D, a carriage return not before a line feed [record-invalid]" \
    "$RC:$(cat "$OUT")"
# CRLF line ends stored: the version reads, and shows as stored.
sed "s/\$/$cr/" "$rf" >"$TROOT/crlf" && cp "$TROOT/crlf" "$rf"
git update-index --cacheinfo "100644,$(git hash-object -w --no-filters "$rf"),$rf"
forge "$rid" edited 'draft -> draft' drafter			# 3-edited
git checkout -q "$rid/1-drafted" -- "$rf"
check_out 'CRLF stored: show ID@N is git show TAG:PATH' \
    "$(git show "$rid/3-edited:$rf")" \
    sh -c 'dipb show "$1@3" | tail -n +3' sh "$rid"

# Two actions of the same lines, the first removed: git's hunk, which its
# indent heuristic (diff.indentHeuristic, on by default) places.
as drafter
hid=$(mkrec industrial-capacity 'Heuristic')
hf=recommendations/$hid.yaml
printf '%s\n' 'actions:' '  - text: Audit stocks' '    owner: NADs' \
    '  - text: Audit stocks' '    owner: NADs' '    due: 2027-01-01' >>"$hf"
run dipb edit "$hid" --no-edit					# 2-edited
python3 -c 'import sys
p = sys.argv[1]
s = open(p).read()
a = "  - text: Audit stocks\n    owner: NADs\n    state: open\n"
assert a in s
open(p, "w").write(s.replace(a, "", 1))' "$hf"
run dipb edit "$hid" --no-edit					# 3-edited
run dipb diff "$hid" --all
check_eq 'heuristic: diff --all has git diff'\''s hunk' \
    "$(gitlines "$hid/2-edited" "$hid/3-edited" "$hf")" \
    "$(sed -n '/^@@/,$p' "$OUT")"
run dipb diff "$hid"
check_eq 'heuristic: the drafter'\''s diff removes the first action' \
    ' actions:
-  - text: Audit stocks
-    owner: NADs
   - text: Audit stocks' "$(sed -n '/^ actions:$/,/^ /p' "$OUT" | sed -n 1,4p)"
# Colour: the hunk header's "@@ ... @@" alone in cyan, its function
# context plain, as git's (git diff --color=always is the oracle).
run dipb diff "$hid" --all --color=always
check_eq 'heuristic: --color=always: git'\''s coloured lines' \
    "$(git diff --color=always "$hid/2-edited" "$hid/3-edited" -- "$hf" |
    sed -n '/@@/,$p')" "$(sed -n '3,$p' "$OUT")"

# Whitespace in colour, as git diff --color=always writes it with its
# default core.whitespace: an added line's sign, then its text, each in
# green; its trailing blanks (a carriage return one), and blanks before
# a tab in its indent, in red behind; blank lines added at the end, the
# '+' too; a CRLF line's carriage return after the colour's reset.
wf=recommendations/$hid.yaml
put_stored() {
	printf '%b' "$1" >"$TROOT/ws" && cp "$TROOT/ws" "$wf"
	git update-index --cacheinfo \
	    "100644,$(git hash-object -w --no-filters "$wf"),$wf"
	forge "$hid" edited 'draft -> draft' drafter
}
wbase=$(git show "$hid/3-edited:$wf")
put_stored "$wbase\n# a  \n# \tb\n#  \t c\n#  two words\n"	# 4-edited
put_stored "$wbase\n# A  \n# \tb\n#  \t d \n#\t\n  \n\n"		# 5-edited
put_stored "$(printf '%s\n' "$wbase" | sed "s/\$/$cr/")
# x $cr\n$cr\n"							# 6-edited
git checkout -q "$hid/3-edited" -- "$wf"
for p in '3 4' '4 5' '5 4' '5 6' '6 5' '3 6'; do
	set -- $p
	run dipb diff "$hid" "$1" "$2" --all --color=always
	check_eq "whitespace: diff $1 $2 --all --color=always: git's bytes" \
	    "$(git diff --color=always "$(git tag -l "$hid/$1-*")" \
	    "$(git tag -l "$hid/$2-*")" -- "$wf" | sed -n '/@@/,$p' | od -c)" \
	    "$(sed -n '3,$p' "$OUT" | od -c)"
done

# --- a shallow clone missing versions in the middle ---------------------------
#
# git clone --depth 1 has the last version's tag; git fetch --depth 1 of
# the first's adds it, not those between.  A version between is past the
# clone's end: dipb diff and show say the history is cut, exit 5, rather
# than take version 1 for the one before 4, or say there is no version 3
# (dipb-git(7)).
new_board cut
as drafter
cid=$(mkrec industrial-capacity 'Cut')				# 1-drafted
cf=recommendations/$cid.yaml
for t in 'Cut, two' 'Cut, three' 'Cut, four'; do		# 2, 3, 4-edited
	sedit "$cf" "s/^title: .*/title: $t/"
	run dipb edit "$cid" --no-edit
done
CUTSRC=$PWD
run dipb diff "$cid" 3
check_status 0 'cut: the full clone has version 3' dipb diff "$cid" 3
git clone -q --depth 1 "file://$CUTSRC" "$TROOT/cut" </dev/null 2>/dev/null
cd "$TROOT/cut" || exit 1
git fetch -q --depth 1 origin tag "$cid/1-drafted" 2>/dev/null
check_eq 'cut: the clone has versions 1 and 4 of the record' \
    "$cid/1-drafted $cid/4-edited" "$(git tag -l "$cid/*" | tr '\n' ' ' |
    sed 's/ $//')"
check_refused 5 "$cid's history is cut: this is a shallow clone" \
    'cut: diff ID, version 3 missing: exit 5, the cut named' dipb diff "$cid"
check_err 'cut: diff ID names the version missing' \
    "which lacks its version 3 (it holds 1, then 4); 'git fetch --unshallow --tags' fetches the rest"
check_refused 5 "$cid's history is cut" \
    'cut: diff ID 3: exit 5, the cut named, not "no version"' \
    dipb diff "$cid" 3
check_refused 5 "$cid's history is cut" 'cut: diff ID 1 2: exit 5' \
    dipb diff "$cid" 1 2
check_refused 5 "$cid's history is cut" 'cut: diff ID 2-edited 4: exit 5' \
    dipb diff "$cid" 2-edited 4
check_refused 5 "$cid's history is cut" 'cut: show ID@3: exit 5' \
    dipb show "$cid@3"
run dipb diff "$cid" 1 4 --all
check_eq 'cut: diff ID 1 4, both here: git diff'\''s lines' \
    "$(gitlines "$cid/1-drafted" "$cid/4-edited" "$cf")" \
    "$(sed -n '/^@@/,$p' "$OUT")"
check_status 1 'cut: diff ID 5, past the last here: no such version, exit 1' \
    dipb diff "$cid" 5
check_err 'cut: diff ID 5 says so' "$cid has no version '5'"
cd "$CUTSRC" || exit 1
# A full clone: a version's tag deleted by hand is no cut (dipb verify
# reports it, tag-missing): no such version, and the one before the last
# is the one here before it, as before.
git tag -d "$cid/3-edited" >/dev/null
check_status 1 'tag deleted in a full clone: diff ID 3: no such version' \
    dipb diff "$cid" 3
check_err 'tag deleted in a full clone: says so' "$cid has no version '3'"
run dipb diff "$cid"
check_eq 'tag deleted in a full clone: diff ID from the version before' \
    "--- $cid/2-edited
+++ $cid/4-edited" "$(sed -n 1,2p "$OUT")"

# A shallow clone that holds every version's commit, the record's first
# change on (only the board's commits cut): the tag deleted in the origin
# is no cut either, as in the full clone.
git clone -q --depth 4 "file://$CUTSRC" "$TROOT/cut4" </dev/null 2>/dev/null
# deleted_not_cut WHAT ID: in the shallow clone here, versions 1, 2 and 4
# of ID, version 3's tag deleted in the origin: no cut, no version 3.
deleted_not_cut() {
	check_eq "$1: a shallow clone, versions 1, 2 and 4 here" \
	    "yes:$2/1-drafted $2/2-edited $2/4-edited" \
	    "$(test -s .git/shallow && echo yes):$(git tag -l "$2/*" |
	    tr '\n' ' ' | sed 's/ $//')"
	run dipb diff "$2"
	check_eq "$1, tag deleted: diff ID from the version before, exit 0" \
	    "0:--- $2/2-edited
+++ $2/4-edited" "$RC:$(sed -n 1,2p "$OUT")"
	check_status 1 "$1, tag deleted: diff ID 3: no such version" \
	    dipb diff "$2" 3
	check_err "$1, tag deleted: says so" "$2 has no version '3'"
}
cd "$TROOT/cut4" || exit 1
deleted_not_cut 'cut before the record' "$cid"
cd "$CUTSRC" || exit 1

# A version made on a branch that git merge --no-ff joined comes in
# through the merge's second parent: the way from version 4 down to
# version 2 is whole though the line of first parents (the merge's own
# branch, down past the record's first version) reaches the clone's end.
# The tag of version 3, deleted in the origin, is no cut.  A clone that
# lacks a commit of the merge's own branch might lack the version: cut.
new_board merged
as drafter
for i in 1 2 3 4 5; do git commit -q --allow-empty -m "base $i"; done
mid=$(mkrec industrial-capacity 'Merged')			# 1-drafted
mf=recommendations/$mid.yaml
git checkout -q -b side
for t in 'Merged, two' 'Merged, three'; do			# 2, 3-edited
	sedit "$mf" "s/^title: .*/title: $t/"
	run dipb edit "$mid" --no-edit
done
git checkout -q -
for i in 1 2 3 4 5; do git commit -q --allow-empty -m "main $i"; done
git merge -q --no-ff -m 'merge side' side
sedit "$mf" "s/^title: .*/title: Merged, four/"
run dipb edit "$mid" --no-edit					# 4-edited
for i in 1 2 3 4 5 6; do git commit -q --allow-empty -m "after $i"; done
git tag -d "$mid/3-edited" >/dev/null
git branch -q -D side
MERGESRC=$PWD
git clone -q --depth 15 "file://$MERGESRC" "$TROOT/merged15" </dev/null \
    2>/dev/null
cd "$TROOT/merged15" || exit 1
deleted_not_cut 'merged, cut below the record' "$mid"
git clone -q --depth 10 "file://$MERGESRC" "$TROOT/merged10" </dev/null \
    2>/dev/null
cd "$TROOT/merged10" || exit 1
check_refused 5 "$mid's history is cut: this is a shallow clone" \
    'merged, the merge'"'"'s own branch cut: diff ID 3: exit 5' \
    dipb diff "$mid" 3
cd "$CUTSRC" || exit 1

# --- a tag moved by hand onto another change ---------------------------------
#
# IC-0001/2-review-requested moved with git tag -f onto the draft's
# commit: dipb show refuses it, naming both rules dipb verify may give
# and each one's repair; here the change is on the branch, untagged, so
# dipb verify says tag-moved, and the tag fetched again from the remote
# puts everything right (deleting it would leave tag-missing).
new_board moved
as drafter
mid=$(mkrec industrial-capacity 'Moved')
run dipb review "$mid" --request
git init -q --bare "$TROOT/moved-origin.git"
git remote add origin "$TROOT/moved-origin.git"
git push -q origin HEAD --tags 2>/dev/null
git tag -f -a -m moved "$mid/2-review-requested" HEAD~1 >/dev/null
check_status 1 'moved tag: show ID@N refused, exit 1' dipb show "$mid@2"
check_err 'moved tag: show names the tag and its commit' \
    "$mid's tag $mid/2-review-requested is on commit $(git rev-parse --short=12 HEAD~1), which is no change '$mid review-requested'"
check_err 'moved tag: show names the rule dipb verify gives when the change is on the branch' \
    'if that change is on the branch without its tag, dipb verify reports this one moved (tag-moved'
check_err 'moved tag: and its repair, the tag fetched again' \
    "git fetch --force REMOTE tag $mid/2-review-requested +refs/tags/$mid/2-review-requested:refs/dipb/remote/REMOTE/tags/$mid/2-review-requested"
check_err 'moved tag: and that deleting it leaves the change untagged' \
    'deleting it leaves the change untagged (tag-missing)'
check_err 'moved tag: the other case, a tag no change accounts for' \
    "(tag-extra, or tag-outside-branch off the branch): delete it with git tag -d $mid/2-review-requested"
run dipb verify
check_eq 'moved tag: dipb verify reports it as show says, tag-moved alone' \
    "1:$(git rev-parse --short=12 HEAD) $mid/2-review-requested: tag-moved" \
    "$RC:$(sed 's/: .*\[\(.*\)\]$/: \1/' "$OUT")"
git fetch -q --force origin tag "$mid/2-review-requested" 2>/dev/null
check_out 'moved tag: fetched again, the tag is on its change' \
    "$(git rev-parse HEAD)" git rev-parse "$mid/2-review-requested^{commit}"
check_status 0 'moved tag: fetched again, show reads version 2' \
    dipb show "$mid@2"
verify_clean 'moved tag: fetched again, dipb verify is clean'
finish

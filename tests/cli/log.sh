#!/bin/sh
# tests/cli/log.sh - dipb log: a record's changes from its tags, oldest
# first; a window of the branch, newest first, with plain git commits
# marked; JSON Lines; and that neither reads more history than it needs.
. "$(dirname "$0")/lib.sh"

at 2026-01-05
new_board
as drafter
mkrec industrial-capacity 'Alpha' >/dev/null		# IC-0001
at 2026-01-10
mkrec supply-chain-security 'Bravo' >/dev/null		# SCS-0001
# IC-0001 goes round the review loop five times: more than nine tags.
i=0
while [ $i -lt 5 ]; do
	i=$((i + 1))
	at "2026-02-0$i"
	as drafter
	run dipb review IC-0001 --request -m "Round $i."
	as rev1
	run dipb review IC-0001 --request-changes -m "Not yet ($i)."
done
at 2026-03-01
drive IC-0001 decided
at 2026-03-02
drive SCS-0001 withdrawn

ntag=$(git tag -l 'IC-0001/*' | wc -l | tr -d ' ')
check_eq 'IC-0001 has more than nine tags' yes \
    "$([ "$ntag" -gt 9 ] && echo yes || echo no)"

# --- dipb log ID ---------------------------------------------------------

run dipb log IC-0001
check_eq 'log ID: exit 0' 0 "$RC"
check_eq 'log ID: one line per tag, oldest first (N as a number)' \
    "$(git tag -l 'IC-0001/*' --sort=version:refname)" \
    "$(grep -v '^    ' "$OUT" | awk '{ print $2 }')"
check_eq 'log ID: the first line is the draft' \
    "2026-01-05  IC-0001/1-drafted" \
    "$(head -n 1 "$OUT" | cut -c 1-29)"
check_file_has 'log ID: the move of status' "$OUT" \
    'IC-0001/3-returned +in-review -> returned +changes requested by Rita Reviewer'
check_file_has 'log ID: the comment, indented' "$OUT" '^    Not yet \(3\)\.$'
check_file_has 'log ID: who, when the subject does not say' "$OUT" \
    'decided: agreed, by Sam Secretary$'

run dipb log IC-0001 --format json
cp "$OUT" "$TROOT/log.jsonl"
check 'log ID --format json: JSON Lines, one per tag, matching git' \
    python3 -c '
import json, subprocess, sys
lines = open(sys.argv[1]).read().splitlines()
tags = subprocess.run(["git", "tag", "-l", "IC-0001/*",
    "--sort=version:refname"], capture_output=True, text=True,
    check=True).stdout.split()
assert [json.loads(l)["tag"] for l in lines] == tags, lines
for l in lines:
    e = json.loads(l)
    c = subprocess.run(["git", "rev-parse", e["tag"] + "^{commit}"],
        capture_output=True, text=True, check=True).stdout.strip()
    assert e["commit"] == c, (e, c)
    st = subprocess.run(["git", "log", "-1",
        "--format=%(trailers:key=Dipb-Status,valueonly)", c],
        capture_output=True, text=True, check=True).stdout.strip()
    assert st == "%s -> %s" % (e["status_from"], e["status_to"]), (e, st)
    assert e["record"] == "IC-0001" and not e["plain_git"], e
    assert e["event"] == e["tag"].split("-", 2)[-1], e
    assert e["time"].startswith(e["date"] + "T12:00:00"), e
e = json.loads(lines[2])
assert e["comment"] == "Not yet (1).", e
assert e["author"] == {"name": "Rita Reviewer",
    "email": "rita@example.org"}, e
assert json.loads(lines[0])["comment"] is None
' "$TROOT/log.jsonl"

check_out 'log ID --since/--until DATE: the events of those days' \
    "$(printf 'IC-0001/4-review-requested\nIC-0001/5-returned')" \
    sh -c 'dipb log IC-0001 --since 2026-02-02 --until 2026-02-02 |
    grep -v "^    " | cut -d " " -f 3'
check_out 'log board: the board tags' 'board/1-created' \
    sh -c 'dipb log board | cut -d " " -f 3'
check_refused 1 "no such recommendation: 'IC-0099'" \
    'log of an unknown id: exit 1' dipb log IC-0099
check_refused 2 'not a record id' 'log of a bad id: exit 2' \
    dipb log ../etc/passwd
check_refused 2 'take dates' 'log ID --since TAG: exit 2' \
    dipb log IC-0001 --since IC-0001/2-review-requested
check_refused 2 '--format takes text or json' 'log --format xml: exit 2' \
    dipb log --format xml
check_refused 2 'at most one' 'log with two ids: exit 2' \
    dipb log IC-0001 SCS-0001

# A tag ref it cannot open (too many open files) is an error, never a
# record without tags, a change untagged, or a version missing.
check_nofile 'few open files: log ID whole, or exit 5' dipb log IC-0001
check_nofile 'few open files: log --since whole, or exit 5' \
    dipb log --since 2026-01-01
check_nofile 'few open files: show ID@2 whole, or exit 5' \
    dipb show IC-0001@2

# --- plain git, windows ---------------------------------------------------

at 2026-04-01
sedit recommendations/IC-0001.yaml 's/^title: .*/title: Alpha (fixed by hand)/'
git commit -q -am 'Fix the title of IC-0001 by hand'
echo notes >README
git add README
git commit -q -m 'A README, no record'
printf 'id: IC-0050\n' >recommendations/IC-0050.yaml
git add recommendations/IC-0050.yaml
at 2026-04-02
git commit -q -m "$(printf 'Evil \033]0;title\007 subject')"
at 2026-04-03
as secretary
run dipb log
check_eq 'log: exit 0' 0 "$RC"
check_eq 'log: newest first, plain git marked, the README commit left out' \
    "$(printf '%s\n' \
    '2026-04-02  plain git' '2026-04-01  plain git' \
    '2026-03-02  SCS-0001/2-withdrawn')" \
    "$(grep -v '^    ' "$OUT" | head -n 3 | cut -c 1-34 | sed 's/ *$//')"
check_file_has 'log: the files a plain git commit changed' "$OUT" \
    '^    changed: recommendations/IC-0001.yaml$'
check_file_has 'log: control characters in a message become ?' "$OUT" \
    'Evil \?\]0;title\? subject'
check_eq 'log: every commit of the branch but the README one' \
    "$(($(ncommits) - 1))" "$(grep -vc '^    ' "$OUT")"

run dipb log --format json
cp "$OUT" "$TROOT/all.jsonl"
check 'log --format json: plain git with its paths; tags named' \
    python3 -c '
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
p = [e for e in ev if e["plain_git"]]
assert [e["paths"] for e in p] == [["recommendations/IC-0050.yaml"],
    ["recommendations/IC-0001.yaml"]], p
assert all(e["tag"] is None and e["record"] is None for e in p), p
assert all(e["tag"] for e in ev if not e["plain_git"]), ev
assert "\x1b" not in open(sys.argv[1]).read()
' "$TROOT/all.jsonl"

check_out 'log --since DATE --until DATE: that window' \
    "$(printf 'SCS-0001/2-withdrawn\n%s\n%s' \
    "$(git tag -l 'IC-0001/*-decided')" "$(git tag -l 'IC-0001/*-submitted')")" \
    sh -c 'dipb log --since 2026-03-01 --until 2026-03-02 |
    grep -v "^    " | sed "s/  */ /g" | cut -d " " -f 2 | head -n 3'
check_eq 'log --since DATE --until DATE: nothing outside it' \
    "$(git log --since=2026-03-01T00:00Z --until=2026-03-02T23:59Z --format=%H | wc -l)" \
    "$(dipb log --since 2026-03-01 --until 2026-03-02 | grep -vc '^    ')"
check_out 'log --since TAG: what came after it' \
    "$(git log --format=%H SCS-0001/2-withdrawn..HEAD -- recommendations |
    tr '\n' ' ')" sh -c 'dipb log --since SCS-0001/2-withdrawn \
    --format json | python3 -c "
import json, sys
print(\" \".join(json.loads(l)[\"commit\"] for l in sys.stdin), end=\" \")"'
check_out 'log --until TAG: walks back from it' 'IC-0001/1-drafted' \
    sh -c 'dipb log --until IC-0001/1-drafted | grep -v "^    " |
    sed "s/  */ /g" | cut -d " " -f 2 | head -n 1'
check_refused 2 'not a date (YYYY-MM-DD), tag or revision' \
    'log --since of nothing: exit 2' dipb log --since no-such-tag
check_refused 2 'not a date' 'log --until 2026-13-45 (no date, no rev): exit 2' \
    dipb log --until 2026-13-45

# A merge: what it brings in is listed, the merge is not.
git checkout -q -b side
at 2026-04-05
sedit recommendations/IC-0050.yaml 's/^id: .*/id: IC-0050\ntitle: T/'
git commit -q -am 'Side change'
git checkout -q main 2>/dev/null || git checkout -q master
git merge -q --no-ff -m 'Merge side' side
run dipb log --since 2026-04-05 --format json
cp "$OUT" "$TROOT/merge.jsonl"
check_out 'log: a merge is left out, its side commit is listed' \
    'Side change' python3 -c '
import json, sys
print("\n".join(json.loads(l)["subject"] for l in open(sys.argv[1])))' \
    "$TROOT/merge.jsonl"

# A record made with plain git: no tags.
check_status 0 'log ID of a record without tags: exit 0' dipb log IC-0050
check_err 'log ID of a record without tags says so' \
    'IC-0050 has no tags: it was not made with dipb'
check_eq 'log ID of a record without tags prints nothing' '' "$(cat "$OUT")"

# --- reading only what it needs -------------------------------------------
#
# The oldest commits are removed from the object store: git log fails,
# while dipb log ID (tags only) and a window near the tip still work.
at 2026-05-01
as drafter
mkrec industrial-capacity 'Late' >/dev/null		# IC-0051
i=0
while [ $i -lt 8 ]; do
	i=$((i + 1))
	echo "$i" >>README
	git commit -q -am "Padding $i"
done
drive IC-0051 endorsed
# Every object loose (out of the packs), then the oldest two commits gone.
first=$(git rev-parse 'board/1-created^{commit}')
second=$(git rev-parse 'IC-0001/1-drafted^{commit}')
mkdir "$TROOT/packs"
for pk in .git/objects/pack/*.pack; do
	[ -f "$pk" ] || continue
	mv "$pk" "${pk%.pack}.idx" "$TROOT/packs/"
	git unpack-objects -q <"$TROOT/packs/${pk##*/}"
done
for c in "$first" "$second"; do
	rm -f ".git/objects/$(echo "$c" | cut -c 1-2)/$(echo "$c" | cut -c 3-)"
done
check_status nonzero 'oracle: git log fails without the oldest commits' \
    git log --format=%H
check_out 'log ID reads only its tags: works without the oldest commits' \
    "$(printf 'IC-0051/1-drafted\nIC-0051/2-review-requested\nIC-0051/3-reviewed\nIC-0051/4-endorsed')" \
    sh -c 'dipb log IC-0051 | grep -v "^    " | sed "s/  */ /g" |
    cut -d " " -f 2'
check_status 0 'log --since TAG walks only the window' \
    dipb log --since IC-0051/2-review-requested
check_eq 'log --since TAG: two lines' 2 "$(grep -vc '^    ' "$OUT")"
check_status 0 'log --since DATE walks only the window (and a little)' \
    dipb log --since 2026-05-01

# --- trailers, by git's rules ---------------------------------------------
#
# Plain git commits of IC-0001 whose messages carry Dipb-* trailers in
# forms git reads one way or the other.  git interpret-trailers --parse
# is the oracle: dipb log calls a commit plain git exactly when dipb
# verify does (plain-commit), and exactly when git finds no Dipb-Record
# trailer (keys compare without regard to case).  git's cut line ends the
# message; so does a NUL (@NUL@, written into the commit by hand: git
# commit refuses one, git fsck only warns), where git log %B stops.
new_board trailers
at 2026-06-01
as drafter
mkrec industrial-capacity 'Trailers' >/dev/null		# IC-0001
as rev1
k=0
for msg in \
    'dipb-record: IC-0001\ndipb-event: edited' \
    'DIPB-RECORD: IC-0001\nDIPB-EVENT: edited' \
    'Dipb-Record : IC-0001\nDipb-Event: edited' \
    'Dipb-Record: IC-0001\nDipb-Event:\n  edited' \
    'Dipb-Record: IC-0001\nfree text\nSigned-off-by: Rita <rita@example.org>' \
    'Dipb-Record: IC-0001\nDipb-Event: edited\nnot a trailer' \
    '# a comment\nDipb-Record: IC-0001' \
    'Dipb-Record: IC-0001\n\n---\nDipb-Event: edited' \
    'Dipb-Record: IC-0001 and no blank line before' \
    'Dipb-Record: IC-0001\nDipb-Event: edited\n\n# ------------------------ >8 ------------------------\nnotes\n\nSee: below' \
    'body\n# ------------------------ >8 ------------------------\n\nDipb-Record: IC-0001\nDipb-Event: edited' \
    'body @NUL@ junk\n\nDipb-Record: IC-0001\nDipb-Event: edited' \
    'Dipb-Record: IC-0001\nDipb-Event: edited\n@NUL@\n\nSee: x' \
    'Dipb-Record: IC-0001\nDipb-Event: edited\n\n; a comment, to git with core.commentChar ;'; do
	k=$((k + 1))
	sed -i "s/^title: .*/title: Trailers $k/" recommendations/IC-0001.yaml
	{ printf 'Edit %s\n\nBody.\n\n' "$k"; printf "$msg\n"; } >"$TROOT/msg"
	[ $k = 9 ] && printf 'Edit 9\n%s\n' "$(printf "$msg")" >"$TROOT/msg"
	git commit -q --cleanup=verbatim -a -F "$TROOT/msg"
	case $msg in *@NUL@*)
		git update-ref HEAD "$(git cat-file commit HEAD |
		    sed 's/@NUL@/\x00/' | git hash-object -t commit -w --stdin)"
	esac
done
run dipb verify
cp "$OUT" "$TROOT/verify.out"
# Another comment character in the reader's configuration changes
# nothing: '#' is read whatever core.commentChar says (dipb-git(7)), and
# the last message stays plain.
git config core.commentChar ';'
rm -rf .git/dipb/verify
run dipb verify
check_eq 'trailers: the same verdicts with core.commentChar ;' \
    "$(cat "$TROOT/verify.out")" "$(cat "$OUT")"
git config --unset core.commentChar
git rev-list --reverse "HEAD~$k..HEAD" >"$TROOT/edits"
k=0
while read -r c; do
	k=$((k + 1))
	git log -1 --format=%B "$c" | git interpret-trailers --parse \
	    >"$TROOT/parsed"
	if grep -qi '^dipb-record *:' "$TROOT/parsed"; then
		want=change
	else
		want=plain
	fi
	run dipb log --since "$c~1" --until "$c" --format json
	got_log=$(python3 -c 'import json, sys
e = json.loads(open(sys.argv[1]).read())
print("plain" if e["plain_git"] else "change")' "$OUT")
	short=$(echo "$c" | cut -c 1-12)
	if grep -q "^$short .*\[plain-commit\]$" "$TROOT/verify.out"; then
		got_verify=plain
	else
		got_verify=change
	fi
	check_eq "trailers $k: dipb log agrees with git interpret-trailers" \
	    "$want" "$got_log"
	check_eq "trailers $k: dipb verify agrees with git interpret-trailers" \
	    "$want" "$got_verify"
done <"$TROOT/edits"

# --- dates as large as git reads -----------------------------------------
#
# git fsck takes a date up to the largest time_t and git log shows it: a
# commit made by hand with one is read, not refused (exit status 5), in
# a plain commit, a change's commit and a change's tag (dipb-git(7)).
new_board bigdates
at 2026-06-01
as drafter
mkrec industrial-capacity 'Dates' >/dev/null		# IC-0001
change=$(git rev-parse HEAD)
# bigcommit SECONDS [ZONE [FILE]]: a plain commit adding a line to FILE
# (notes.txt), with that author date; written --literally, as git 2.40
# and later refuse to write one git fsck rejects.
bigcommit() {
	echo "# $1" >>"${3:-notes.txt}"
	git add "${3:-notes.txt}"
	git update-ref HEAD "$(printf 'tree %s\nparent %s\nauthor Dan Drafter <dan@example.org> %s %s\ncommitter Dan Drafter <dan@example.org> 1780000000 +0000\n\nNotes\n' \
	    "$(git write-tree)" "$(git rev-parse HEAD)" "$1" "${2:-+0000}" |
	    git hash-object -t commit -w --literally --stdin)"
}
for d in 4503599627370497 9223372036854775807; do
	bigcommit "$d"
	check "a date of $d: git fsck takes it" git fsck --no-dangling
	check_status 0 "a date of $d: dipb log reads it" dipb log
	check_status 0 "a date of $d: dipb verify reads it" dipb verify
done
# Past it, git fsck refuses it and so does dipb, naming git's message.
bigcommit 9223372036854775808
run dipb log
check_eq 'a date past the largest time_t: exit status 5' 5 "$RC"
check_err_re 'a date past the largest time_t: refused as git fsck does' \
    "its 'author' line has a date past the largest git reads \\(git fsck: badDateOverflow\\)"
git update-ref HEAD "$change"
git reset -q --hard
# A change's tag dated so: read, as the other tags are.
git update-ref refs/tags/IC-0001/1-drafted "$(git cat-file tag IC-0001/1-drafted |
    sed 's/^\(tagger .*>\) [0-9]* /\1 4503599627370497 /' |
    git hash-object -t tag -w --stdin)"
run dipb verify
check_eq 'a tag dated 2^52 + 1: verify reads its tagger' '' \
    "$(cat "$OUT")"
# dipb log's JSON time is git log's %aI: the zone as the commit writes it
# (its minutes may be 60 or more), a year past 9999 in all its digits, a
# zone of +0000 or -0000 as "+00:00", as git before 2.45 prints it (git
# 2.45 and later print "Z", which the oracle reads as "+00:00":
# dipb-log(1)).  Plain commits of the record, which dipb log lists.
for w in '1767700800 +9999' '1767700800 -9999' '1767700800 +0075' \
    '1767700800 -0130' '1767700800 +0000' '1767700800 -0000' \
    '253402300800 +0000' '4503599627370497 +0000'; do
	bigcommit $w recommendations/IC-0001.yaml
	c=$(git rev-parse HEAD)
	run dipb log --format json
	check_eq "author date $w: dipb log's time is git's %aI" \
	    "$(git log -1 --format=%aI | sed 's/Z$/+00:00/')" \
	    "$(python3 -c 'import json, sys
for line in open(sys.argv[1]):
    e = json.loads(line)
    if e["commit"] == sys.argv[2]: print(e["time"])' "$OUT" "$c")"
done
# Past what git's gmtime() converts (git prints 1970 or a year gone
# negative, or dies): the civil date all the same, every digit of its
# year, never a time with month 00.
for w in '67767976233532800 +0000' '9223372036854775807 -1200'; do
	bigcommit $w recommendations/IC-0001.yaml
	c=$(git rev-parse HEAD)
	run dipb log --format json
	check_eq "author date $w: dipb log's time is its civil date" \
	    "$(python3 -c 'import sys
t, z = int(sys.argv[1]), sys.argv[2]
off = (1 if z[0] == "+" else -1) * (int(z[1:3]) * 60 + int(z[3:5]))
s = t + off * 60
days, secs = divmod(s, 86400)
z0 = days + 719468
era = z0 // 146097
doe = z0 - era * 146097
yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
mp = (5 * doy + 2) // 153
d = doy - (153 * mp + 2) // 5 + 1
m = mp + 3 if mp < 10 else mp - 9
y = yoe + era * 400 + (m <= 2)
print("%04d-%02d-%02dT%02d:%02d:%02d%s:%s" % (y, m, d, secs // 3600,
    secs // 60 % 60, secs % 60, z[:3], z[3:]))' $w)" \
	    "$(python3 -c 'import json, sys
for line in open(sys.argv[1]):
    e = json.loads(line)
    if e["commit"] == sys.argv[2]: print(e["time"])' "$OUT" "$c")"
done

# --- a tag moved onto a tree ----------------------------------------------
#
# A tag that leads to no commit is no version; the record's others stay
# readable (dipb verify reports it: tag-moved).
at 2026-06-01
new_board tree
as drafter
mkrec industrial-capacity 'Moved' >/dev/null		# IC-0001
drive IC-0001 returned
git tag -f IC-0001/2-review-requested 'HEAD^{tree}' >/dev/null 2>&1
check_out 'a tag on a tree: log ID lists the other changes' \
    "$(printf 'IC-0001/1-drafted\nIC-0001/3-returned')" \
    sh -c 'dipb log IC-0001 | grep -v "^    " | cut -d " " -f 3'
check_out 'a tag on a tree: show ID@1 still reads version 1' 'title: Moved' \
    sh -c 'dipb show IC-0001@1 | grep "^title:"'
check 'a tag on a tree: diff ID still compares the last two versions' \
    dipb diff IC-0001 1 3
check_rule 'a tag on a tree: verify reports it' tag-moved \
    'IC-0001/2-review-requested'

# --- a clone without tags -------------------------------------------------
#
# git clone --no-tags: each dipb commit is listed untagged, its record's
# tags looked up and none found (the sanitizer build once stopped there).
git clone -q --no-tags "file://$BOARD" "$TROOT/notags" </dev/null
cd "$TROOT/notags" || exit 1
check_out 'a clone without tags: log lists the changes, untagged' \
    "$(printf '%s\n' 'IC-0001 returned (untagged)' \
    'IC-0001 review-requested (untagged)' 'IC-0001 drafted (untagged)' \
    'board created (untagged)')" \
    sh -c 'dipb log | grep -v "^    " | cut -c 13- | sed "s/).*/)/"'

# --- a copy of a tag, numbered past ten -----------------------------------
#
# A hand-made copy IC-0001/10-edited of dipb's IC-0001/9-edited, on the
# same change: the window names the change by dipb's tag, the one dipb
# verify does not report (tag-extra), though "10" sorts before "9" as
# text (dipb-log(1)).
at 2026-06-02
new_board tenth
as drafter
mkrec industrial-capacity 'T1' >/dev/null		# IC-0001
for i in 2 3 4 5 6 7 8 9; do
	sedit recommendations/IC-0001.yaml "s/^title: .*/title: T$i/"
	run dipb edit IC-0001 --no-edit
done
git tag -a -m copy IC-0001/10-edited 'IC-0001/9-edited^{}'
check_eq 'a tag copied to 10-edited: both on the same change (git)' \
    "$(git rev-parse 'IC-0001/9-edited^{}')" \
    "$(git rev-parse 'IC-0001/10-edited^{}')"
check_rule 'verify reports the copy, not dipb'"'"'s tag' tag-extra \
    '^[0-9a-f]{12} IC-0001/10-edited: '
check_out 'log names the change by dipb'"'"'s tag, 9-edited' \
    'IC-0001/9-edited' sh -c 'dipb log --format json | head -n 1 |
    python3 -c "import json, sys; print(json.load(sys.stdin)[\"tag\"])"'
check_out 'and so does a window of one day' 'IC-0001/9-edited' \
    sh -c 'dipb log --since 2026-06-02 --format json | head -n 1 |
    python3 -c "import json, sys; print(json.load(sys.stdin)[\"tag\"])"'

# --- a path that holds a newline or a tab ---------------------------------
# A plain commit of a file whose name forges a line of the window: shown
# with '?' for each control character, in the text and the JSON
# (dipb-log(1)).
name=$(printf 'recommendations/x\n2030-01-01  IC-0001/9-decided  forged\tz.yaml')
printf '100644 %s\t%s\0' "$(git rev-parse HEAD:recommendations/IC-0001.yaml)" \
    "$name" | git update-index --add -z --index-info
git commit -q -m 'A file with a newline in its name'
run dipb log
cp "$OUT" "$TROOT/pathlog"
check_eq 'a path with a newline: log exits 0' 0 "$RC"
check 'a path with a newline forges no line of the window' \
    sh -c '! grep -q "^2030-01-01" "$1"' sh "$TROOT/pathlog"
check_file_has 'the path is shown with ? for the newline and the tab' \
    "$TROOT/pathlog" '^    changed: recommendations/x[?]2030-01-01  IC-0001/9-decided  forged[?]z[.]yaml$'
run dipb log --format json
cp "$OUT" "$TROOT/pathlog.json"
check 'and so in the JSON' python3 -c '
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
assert ev[0]["paths"] == ["recommendations/x?2030-01-01  IC-0001/9-decided  forged?z.yaml"], ev[0]
' "$TROOT/pathlog.json"

# --- a tab in a subject, a name, a trailer --------------------------------
# The line of a change is one line: a tab of its subject, its author's
# name or a trailer (a folded one joined) is a blank there, as dipb list
# and dipb todo show a field; the comment keeps its lines and tabs,
# indented; the JSON has the text as it is, escaped (dipb-log(1)).
at 2026-06-03
new_board tabs
as drafter
mkrec industrial-capacity 'Tabs' >/dev/null			# IC-0001
sedit recommendations/IC-0001.yaml 's/^title: .*/title: Tabbed/'
printf 'fix\tDECIDED\tagreed\n\nWhy:\n\tindented\tby a tab\n\nDipb-Record: IC-0001\nDipb-Event: edi\tted\n  folded\tmore\nDipb-Status: dr\taft -> draft\n' \
    >"$TROOT/tabmsg"
GIT_AUTHOR_NAME=$(printf 'Eve\tTab') git commit -q --cleanup=verbatim -a \
    -F "$TROOT/tabmsg"
sedit recommendations/IC-0001.yaml 's/^title: .*/title: Tabbed again/'
GIT_AUTHOR_NAME=$(printf 'Eve\tTab') git commit -q -a \
    -m "$(printf 'By\thand')"
run dipb log
cp "$OUT" "$TROOT/tablog"
check_eq 'a tab of a subject and a name: a blank on the line of a plain commit' \
    '0 By hand, by Eve Tab' \
    "$RC $(head -n 1 "$TROOT/tablog" | sed 's/.*  //')"
check_eq 'a tab of a trailer, a subject and a name: a blank on the line of a change' \
    '2026-06-03  IC-0001 edi ted folded more (untagged)  dr aft -> draft  fix DECIDED agreed, by Eve Tab' \
    "$(sed -n 3p "$TROOT/tablog")"
check 'no tab on the line of any change' \
    sh -c '! grep -v "^    " "$1" | grep -q "$(printf "\t")"' sh \
    "$TROOT/tablog"
check_eq 'the comment keeps its lines and tabs, indented' \
    "$(printf '    Why:\n    \tindented\tby a tab')" \
    "$(sed -n '4,5p' "$TROOT/tablog")"
run dipb log --format json
cp "$OUT" "$TROOT/tablog.json"
check 'and the JSON has them as they are, escaped' python3 -c '
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
assert ev[0]["subject"] == "By\thand", ev[0]
assert ev[0]["author"]["name"] == "Eve\tTab", ev[0]
e = ev[1]
assert e["subject"] == "fix\tDECIDED\tagreed", e
assert e["author"]["name"] == "Eve\tTab", e
assert e["event"] == "edi\tted folded\tmore", e
assert e["status_from"] == "dr\taft", e
assert e["comment"] == "Why:\n\tindented\tby a tab", e
assert "\t" not in open(sys.argv[1]).read()
' "$TROOT/tablog.json"

# --- a tag of another form under the record's prefix -----------------------
# IC-0002/a/1-drafted is none of dipb's (dipb-git(7), "Tags of another
# form"): the window shows the change untagged, as dipb log IC-0002 and
# verify take it, never under that tag.
new_board nested
as drafter
mkrec industrial-capacity 'Nested tag' >/dev/null		# IC-0001
mkrec industrial-capacity 'Nested tag' >/dev/null		# IC-0002
git tag -a -m x IC-0002/a/1-drafted 'IC-0002/1-drafted^{}'
git tag -d IC-0002/1-drafted >/dev/null
run dipb log --since 2000-01-01
cp "$OUT" "$TROOT/nested.log"
check 'a nested tag: the window does not name it' \
    sh -c '! grep -q "IC-0002/a/1-drafted" "$1"' sh "$TROOT/nested.log"
check_file_has 'a nested tag: the change is shown untagged' \
    "$TROOT/nested.log" \
    'IC-0002 drafted [(]untagged[)]'

# --- a tag's file longer than git writes, or gone while it is read --------
# A loose ref of 5,000 bytes is broken to git ("ignoring broken ref"):
# it names nothing, as a short broken one, never an error of its size.
# A tag deleted (git tag -d) between dipb listing it and reading it names
# nothing either: dipb log goes on, never exit 5 for the file not found.
head -c 5000 /dev/zero | tr '\0' x >.git/refs/tags/IC-0002/7-edited
run dipb log IC-0002
check_eq 'a broken tag of 5,000 bytes: dipb log ID exits 0' 0 "$RC"
run dipb log --since 2000-01-01
check_eq 'a broken tag of 5,000 bytes: dipb log exits 0' 0 "$RC"
run dipb verify
check_eq 'a broken tag of 5,000 bytes: verify says what it finds, exit 1' \
    1 "$RC"
rm -f .git/refs/tags/IC-0002/7-edited
if shim gone '#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>
static const char tag[] = "refs/tags/IC-0002/7-edited";
/* The tag deleted the moment dipb opens it, as git tag -d may. */
static void
gone(const char *p)
{
	size_t n = strlen(p), m = sizeof(tag) - 1;

	if (n >= m && strcmp(p + n - m, tag) == 0)
		unlink(p);
}
#define OPEN(name) int name(const char *p, int f, ...) { \
	static int (*real)(const char *, int, ...); \
	mode_t m = 0; va_list ap; \
	if (real == NULL) \
		real = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT, #name); \
	if (f & O_CREAT) { va_start(ap, f); m = va_arg(ap, mode_t); va_end(ap); } \
	gone(p); \
	return real(p, f, m); }
OPEN(open)
OPEN(open64)
/* A dirfd first (openat), or the fortified two-argument forms a build
 * with _FORTIFY_SOURCE calls (Ubuntu gcc'"'"'s default). */
#define OPENAT(name) int name(int d, const char *p, int f, ...) { \
	static int (*real)(int, const char *, int, ...); \
	mode_t m = 0; va_list ap; \
	if (real == NULL) \
		real = (int (*)(int, const char *, int, ...))dlsym(RTLD_NEXT, #name); \
	if (f & O_CREAT) { va_start(ap, f); m = va_arg(ap, mode_t); va_end(ap); } \
	gone(p); \
	return real(d, p, f, m); }
OPENAT(openat)
OPENAT(openat64)
#define OPEN2(name) int name(const char *p, int f) { \
	static int (*real)(const char *, int); \
	if (real == NULL) \
		real = (int (*)(const char *, int))dlsym(RTLD_NEXT, #name); \
	gone(p); \
	return real(p, f); }
OPEN2(__open_2)
OPEN2(__open64_2)
#define OPENAT2(name) int name(int d, const char *p, int f) { \
	static int (*real)(int, const char *, int); \
	if (real == NULL) \
		real = (int (*)(int, const char *, int))dlsym(RTLD_NEXT, #name); \
	gone(p); \
	return real(d, p, f); }
OPENAT2(__openat_2)
OPENAT2(__openat64_2)'
then
	for c in 'log IC-0002' 'log --since 2000-01-01'; do
		git tag -a -m stray IC-0002/7-edited HEAD
		check 'a tag to be gone: made' test -f .git/refs/tags/IC-0002/7-edited
		run env LD_PRELOAD="$TROOT/gone.so" ASAN_OPTIONS="$SHIM_ASAN" \
		    dipb $c
		check_eq "a tag gone while dipb $c reads it: exit 0" \
		    "0 no" "$RC $(test -e .git/refs/tags/IC-0002/7-edited &&
		    echo yes || echo no)"
	done
else
	skip 'a tag gone while it is read' 'no C compiler for the shim'
fi

finish

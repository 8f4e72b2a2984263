#!/bin/sh
# tests/cli/dates.sh - dates, times and time zones: the day dipb writes
# and shows is the one git gives, whatever TZ the member runs in
# (dipb(1) GIT_AUTHOR_DATE, dipb-git(7) "Commit dates", dipb-log(1),
# dipb-report(1) --today, dipb-todo(1), dipb-verify(1) date).
. "$(dirname "$0")/lib.sh"

ZONES='UTC Pacific/Kiritimati Etc/GMT+12 America/St_Johns Asia/Kathmandu'

# jget FILE PYEXPR: PYEXPR on d, the JSON document in FILE.
jget() {
	python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
print(eval(sys.argv[2]))' "$1" "$2" 2>&1
}

new_board
as drafter

# --- Today is the member's local day when no date is set ----------------
today
for tz in $ZONES Foo/Bar ''; do
	before=$(TZ=$tz date +%F)
	run env TZ="$tz" dipb todo --format json
	got=$(jget "$OUT" 'd["today"]')
	after=$(TZ=$tz date +%F)
	if [ "$before" != "$after" ]; then
		skip "todo's today in TZ='$tz' is date(1)'s" 'midnight passed'
		continue
	fi
	check_eq "todo's today in TZ='$tz' is date(1)'s" "0 $before" "$RC $got"
done

# A change made now in each zone: the offset git var gives, and the
# record's dates are the author date's day as git log --date=short has it.
for tz in $ZONES; do
	run env TZ="$tz" dipb recommend --wg industrial-capacity \
	    --title "made in $tz" --summary S --no-edit
	id=$(cat "$OUT")
	want_off=$(TZ=$tz git var GIT_AUTHOR_IDENT | sed 's/.* //')
	check_eq "a change made now in TZ=$tz: git's offset and day" \
	    "0 $want_off $(git log -1 --format=%ad --date=short)" \
	    "$RC $(git log -1 --format=%ad --date=format:%z) $(field "$id" created)"
done

# --- GIT_AUTHOR_DATE: the change's day is its own zone's ----------------
at 2026-05-01
new_board zones
as drafter
while IFS='|' read -r d day; do
	run env TZ=UTC GIT_AUTHOR_DATE="$d" GIT_COMMITTER_DATE="$d" \
	    dipb recommend --wg industrial-capacity --title "at $d" \
	    --summary S --no-edit
	id=$(cat "$OUT")
	check_eq "GIT_AUTHOR_DATE='$d': created is its own day" \
	    "0 $day $day" \
	    "$RC $(field "$id" created) $(git log -1 --format=%ad --date=short)"
done <<'EOF'
2026-06-01T23:30:00+1400|2026-06-01
2026-06-01T00:30:00-1200|2026-06-01
2026-06-01T12:00:00+0545|2026-06-01
2026-06-01T12:00:00-0000|2026-06-01
2026-05-30T12:00:00+0200|2026-05-30
2026-06-02T00:10:00-0330|2026-06-02
EOF

# dipb log: date and landed are git's %ad and %cd days, time git's %aI.
git log --format='%H %ad %cd %aI' --date=short >"$TROOT/git.log"
run dipb log --since 2026-01-01 --format json
python3 -c 'import json,sys
for l in open(sys.argv[1]):
    d = json.loads(l)
    print(d["commit"], d["date"], d["landed"], d["time"])' "$OUT" \
    >"$TROOT/dipb.log" 2>&1
check_eq 'log: the days and times of odd offsets are those git prints' \
    "$(cat "$TROOT/git.log")" "$(cat "$TROOT/dipb.log")"

# The same window whatever TZ the reader is in.
for tz in $ZONES; do
	for w in 2026-06-01 2026-06-02; do
		env TZ="$tz" dipb log --since $w --until $w 2>&1
	done >"$TROOT/win.$(echo "$tz" | tr / _)"
	check_eq "log windows of a day in TZ=$tz are the ones in UTC" \
	    "$(cat "$TROOT/win.UTC")" "$(cat "$TROOT/win.$(echo "$tz" | tr / _)")"
done

# --- Overdue: today is the change's day in its own zone -----------------
# An action due 2026-06-20: on 2026-06-20 23:30 at UTC-12 it is due
# today; at 2026-06-21 00:30 at UTC+14 (earlier by 25 hours) overdue.
at 2026-06-01
new_board overdue
as drafter
cat >"$TROOT/a.yaml" <<'YAML'
summary: S.
actions:
  - text: Build it
    owner: dan@example.org
    due: 2026-06-20
YAML
run dipb recommend --wg industrial-capacity --title A --no-edit \
    --from "$TROOT/a.yaml"
drive IC-0001 decided
# due_at TZ DATE WANT WHAT: report actions at GIT_AUTHOR_DATE=DATE in TZ
# gives its date and the action's overdue as WANT.
due_at() {
	run env TZ="$1" GIT_AUTHOR_DATE="$2" dipb report actions --format json
	check_eq "TZ=$1, $2: $4" "0 $3" \
	    "$RC $(jget "$OUT" 'd["date"], d["actions"][0]["overdue"]' |
	    tr -d "(),'")"
}
for tz in $ZONES; do
	due_at "$tz" 2026-06-20T23:30:00-1200 '2026-06-20 False' \
	    'due today, not overdue'
	due_at "$tz" 2026-06-21T00:30:00+1400 '2026-06-21 True' overdue
done

# drafted_at NAME DATE: a new board NAME with IC-0001 drafted at DATE.
drafted_at() {
	at 2026-05-01
	new_board "$1"
	as drafter
	run env GIT_AUTHOR_DATE="$2" GIT_COMMITTER_DATE="$2" \
	    dipb recommend --wg industrial-capacity --title A --summary S \
	    --no-edit
}

# --- verify judges dates the same in every TZ ---------------------------
# A drafted change whose author zone was rewritten: its day is no longer
# the record's created (verify: date).
drafted_at verify 2026-06-01T23:30:00+1400
git cat-file -p IC-0001/1-drafted | sed '1,/^$/d' >"$TROOT/tagmsg"
GIT_COMMITTER_DATE=$(git log -1 --format='%ct %cz') \
    git commit -q --amend --date='1780306200 -1200' \
    -m "$(git log -1 --format=%B)"
GIT_COMMITTER_DATE=$(git log -1 --format='%ct %cz') \
    git tag -f -a -F "$TROOT/tagmsg" IC-0001/1-drafted HEAD >/dev/null
for tz in $ZONES Foo/Bar ''; do
	run env TZ="$tz" dipb verify
	sed 's/^/out: /' "$OUT" >"$TROOT/v"
	sed 's/^/err: /' "$ERR" >>"$TROOT/v"
	[ "$tz" = UTC ] && cp "$TROOT/v" "$TROOT/v.UTC" && vrc=$RC
	check_eq "verify in TZ='$tz': the findings and status of UTC" \
	    "$vrc $(cat "$TROOT/v.UTC")" "$RC $(cat "$TROOT/v")"
done
grep -q 'created of IC-0001 is 2026-06-01, not the date of its drafted '\
'change (2026-05-31) \[date\]' \
    "$TROOT/v.UTC"
check_eq 'verify: the rewritten zone is a date finding' 0 $?

# --- todo: a day after the reader's today is not called today ----------
# Drafted 2026-06-02 00:30 at UTC+14, read later at UTC-12 and at UTC,
# where it is still 2026-06-01 (dipb-todo(1)).
drafted_at ahead 2026-06-02T00:30:00+1400
for tz in Etc/GMT+12 UTC; do
	run env TZ=$tz GIT_AUTHOR_DATE='2026-06-01 22:00:00' dipb todo
	check_eq "todo in TZ=$tz on 2026-06-01: a draft of 2026-06-02 is after today" \
	    '0 1' "$RC $(grep -c 'last changed 2026-06-02 (after today)$' "$OUT")"
	run env TZ=$tz GIT_AUTHOR_DATE='2026-06-01 22:00:00' \
	    dipb todo --format json
	check_eq "todo --format json in TZ=$tz: since after today, days 0" \
	    '0 2026-06-01 2026-06-02 0' "$RC $(jget "$OUT" \
	    'd["today"], d["waiting"][0]["since"], d["waiting"][0]["days"]' |
	    tr -d "(),'")"
done
run env GIT_AUTHOR_DATE='2026-06-02T08:00:00+0000' dipb todo
check_eq 'todo on the day itself: (today)' \
    '0 1' "$RC $(grep -c 'last changed 2026-06-02 (today)$' "$OUT")"

# --- A parent's zone beyond 14 hours, made by hand ------------------------
# git never writes +9959 but reads it, as dipb log does: 2026-05-01 12:00
# UTC is 2026-05-05 there.  A change made on it an hour later, in UTC,
# would land on 2026-05-01: it takes the parent's zone (dipb-git(7),
# "Commit dates").
at 2026-05-01
new_board farzone
as drafter
t=$(git log -1 --format=%ct)
printf 'tree %s\nparent %s\nauthor A <a@x> %s +0000\n%s\n\nfar\n' \
    "$(git rev-parse 'HEAD^{tree}')" "$(git rev-parse HEAD)" "$t" \
    "committer A <a@x> $t +9959" |
    git hash-object -t commit --literally -w --stdin >"$TROOT/far"
git update-ref HEAD "$(cat "$TROOT/far")"
run env GIT_AUTHOR_DATE='2026-05-01T13:00:00+0000' \
    GIT_COMMITTER_DATE='2026-05-01T13:00:00+0000' \
    dipb recommend --wg industrial-capacity --title F --summary S --no-edit
check_eq 'on a parent in +9959 the day does not go back: its zone is taken' \
    '0 2026-05-05 2026-05-05 +9959' \
    "$RC $(git log -2 --format=%cd --date=short | tr '\n' ' ')$(
    git cat-file commit HEAD | sed -n 's/^committer .* //p')"
git fsck >/dev/null 2>"$TROOT/fsck"
check_eq 'git fsck takes the commit made in +9959' '0' "$?$(cat "$TROOT/fsck")"

# A parent's zone is taken as it is spelled, and every zone written is
# one git fsck --strict takes (badTimezone: a sign and four digits):
# +9999 read as minutes would be written +10039, +0099 as +0139.
# 2026-05-01 23:00 UTC is 2026-05-02 in each east zone; -9999 is taken
# for none, the member's day never being before it.
for zw in +9999:+9999 +9960:+9960 +0099:+0099 +0060:+0060 -9999:+0000; do
	z=${zw%:*} want=${zw#*:}
	at 2026-05-01
	new_board "zone$(echo "$z" | tr +- pm)"
	as drafter
	printf 'tree %s\nparent %s\nauthor A <a@x> %s +0000\n%s\n\nfar\n' \
	    "$(git rev-parse 'HEAD^{tree}')" "$(git rev-parse HEAD)" \
	    1777676400 "committer A <a@x> 1777676400 $z" |
	    git hash-object -t commit --literally -w --stdin >"$TROOT/far"
	git update-ref HEAD "$(cat "$TROOT/far")"
	run env GIT_AUTHOR_DATE='2026-05-01T23:30:00+0000' \
	    GIT_COMMITTER_DATE='2026-05-01T23:30:00+0000' \
	    dipb recommend --wg industrial-capacity --title F --summary S \
	    --no-edit
	check_eq "on a parent in $z: commit and tag in $want, as git log" \
	    "0 $z $want $want" "$RC $(git log -1 --format=%ci HEAD^ |
	    cut -d' ' -f3) $(git cat-file commit HEAD |
	    sed -n 's/^committer .* //p') $(git cat-file tag \
	    "$(git tag --points-at HEAD)" | sed -n 's/^tagger .* //p')"
	git fsck --strict >/dev/null 2>"$TROOT/fsck"
	check_eq "on a parent in $z: git fsck --strict takes it" \
	    '0' "$?$(cat "$TROOT/fsck")"
	run dipb verify
	check_eq "on a parent in $z: dipb verify passes" 0 "$RC"
done

# --- No date from 2100 on: a moment, whatever the zone's day ------------
# dipb(1): "a time before 1970 ... or from 2100 on ... is refused, exit
# status 2"; dipb-git(7): "never at a time from 2100 on, which no date
# dipb takes can be".  2099-12-31T23:59:59-1200 is
# 2100-01-01T11:59:59Z: a commit dated so late is taken for a wrong
# clock's by the next change, which is then dated before it.
today
new_board late
as drafter
for d in '2099-12-31T23:59:59-1200' '2099-12-31T20:30:00-0330'; do
	n=$(ncommits)
	run env GIT_AUTHOR_DATE="$d" GIT_COMMITTER_DATE="$d" \
	    dipb recommend --wg industrial-capacity --title L --summary S \
	    --no-edit
	check_eq "GIT_AUTHOR_DATE='$d' (2100 in UTC): refused, nothing written" \
	    "2 $n" "$RC $(ncommits)"
done
n=$(ncommits)
run env TZ=Etc/GMT+12 GIT_AUTHOR_DATE='2099-12-31 23:59:59' \
    dipb recommend --wg industrial-capacity --title L --summary S --no-edit
check_eq "TZ=Etc/GMT+12 GIT_AUTHOR_DATE='2099-12-31 23:59:59': 2100 in UTC" \
    "2 $n" "$RC $(ncommits)"
n=$(ncommits)
run env GIT_COMMITTER_DATE='2099-12-31T23:59:59-1200' \
    dipb recommend --wg industrial-capacity --title L --summary S --no-edit
check_eq "GIT_COMMITTER_DATE='2099-12-31T23:59:59-1200' alone is refused" \
    "2 $n" "$RC $(ncommits)"
# The last moment of 2099 is taken, in any zone that writes it.
run env GIT_AUTHOR_DATE='2099-12-31T20:29:59-0330' dipb todo --format json
check_eq "GIT_AUTHOR_DATE='2099-12-31T20:29:59-0330' (2099 in UTC) is taken" \
    '0 2099-12-31' "$RC $(jget "$OUT" 'd["today"]')"
run env GIT_AUTHOR_DATE='2100-01-01T13:59:59+1400' \
    GIT_COMMITTER_DATE='2100-01-01T13:59:59+1400' dipb todo --format json
check_eq "GIT_AUTHOR_DATE='2100-01-01T13:59:59+1400': git refuses the year" \
    2 "$RC"
run env GIT_AUTHOR_DATE='2099-12-31T23:59:59Z' dipb todo --format json
check_eq "GIT_AUTHOR_DATE='2099-12-31T23:59:59Z' is taken" \
    '0 2099-12-31' "$RC $(jget "$OUT" 'd["today"]')"
# Along the branch the commit dates never go back (dipb-log(1)).
today
run dipb recommend --wg industrial-capacity --title Now --summary S \
    --no-edit
back=$(git log --format=%ct | awk 'NR > 1 && $1 > prev { n++ }
    { prev = $1 } END { print n + 0 }')
check_eq 'the commit dates along the branch never go back' 0 "$back"

finish

#!/bin/sh
# examples/demo.sh - what 'make demo' runs once ./dipb is built.
#
# Creates a board repository in demo/ (git-ignored) from examples/dipb.yaml
# and drives recommendations of all three working groups through every
# state, each step under the identity of the example member who would
# take it and at a date in 2026, so that 'git log' reads like a real year
# of the board's work.  Prints 'dipb list' and 'git log' of the result.
#
# Every change is signed, as the example board requires ('signing:
# required' in examples/dipb.yaml): each member signs with their key from
# examples/keys/ (public example keys, for the demo only).  The demo ends
# with 'dipb verify', which checks every signature, and with git's own
# 'git verify-commit' and 'git verify-tag' of the last change, given the
# allowed-signers file that 'dipb allowed-signers' prints.
#
# The board's meeting of 12 June is recorded with 'dipb meeting', and
# the demo prints its minutes ('dipb report minutes --meeting').  Then it
# writes the minutes of that meeting, the board's status report and the
# year's minutes as HTML, demo/meeting-minutes.html, demo/status.html and
# demo/minutes.html, and prints their paths.
#
# Environment: DIPB, the binary to run (default: ./dipb); DIPB_DEMO_DIR,
# where to build the board (default: demo/, which is removed first).
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
DIPB=${DIPB:-$top/dipb}
case $DIPB in
/*) ;;
*) DIPB=$top/$DIPB ;;
esac
drafts=$top/examples/drafts
demo=${DIPB_DEMO_DIR:-$top/demo}

# The demo must not depend on the user's git identity, hooks or signing
# set-up.
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE EMAIL VISUAL EDITOR \
    GIT_CONFIG_PARAMETERS SSH_AUTH_SOCK
GIT_CONFIG_NOSYSTEM=1
export GIT_CONFIG_NOSYSTEM

# The members' private keys, readable by the user alone: git checks
# examples/keys/ out with mode 0644, and ssh-keygen refuses to sign with a
# private key that others can read.
keys=$(mktemp -d "${TMPDIR:-/tmp}/dipb-demo-keys.XXXXXX")
trap 'rm -rf "$keys"' EXIT
trap 'exit 1' HUP INT TERM
for k in "$top"/examples/keys/*.pub; do
	k=${k%.pub}
	cp "$k" "$keys/"
	chmod 600 "$keys/${k##*/}"
done

# as NAME EMAIL: the next commands act as this member, and sign with the
# member's key, the way git signs with SSH keys: gpg.format=ssh and
# user.signingKey, given through git's GIT_CONFIG_COUNT (which dipb reads
# too), so that nothing is written to anyone's git configuration.
as() {
	GIT_AUTHOR_NAME=$1 GIT_AUTHOR_EMAIL=$2
	GIT_COMMITTER_NAME=$1 GIT_COMMITTER_EMAIL=$2
	GIT_CONFIG_COUNT=2
	GIT_CONFIG_KEY_0=gpg.format GIT_CONFIG_VALUE_0=ssh
	GIT_CONFIG_KEY_1=user.signingKey GIT_CONFIG_VALUE_1=$keys/${2%@*}
	export GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME \
	    GIT_COMMITTER_EMAIL GIT_CONFIG_COUNT GIT_CONFIG_KEY_0 \
	    GIT_CONFIG_VALUE_0 GIT_CONFIG_KEY_1 GIT_CONFIG_VALUE_1
}
chair()     { as 'Ingrid Solberg' ingrid.solberg@example.org; }
secretary() { as 'Mark Ellison' mark.ellison@example.org; }
pieter()    { as 'Pieter de Jong' pieter.dejong@example.org; }
katarzyna() { as 'Katarzyna Nowak' katarzyna.nowak@example.org; }
lukas()     { as 'Lukas Becker' lukas.becker@example.org; }
amelie()    { as 'Amélie Laurent' amelie.laurent@example.org; }
sabine()    { as 'Sabine Hartmann' sabine.hartmann@example.org; }
erik()      { as 'Erik Haugen' erik.haugen@example.org; }
marta()     { as 'Marta Zielińska' marta.zielinska@example.org; }

# at YYYY-MM-DD [HH:MM]: the next commands happen at this date (CET).
at() {
	GIT_AUTHOR_DATE="$1T${2:-10:00}:00+01:00"
	GIT_COMMITTER_DATE=$GIT_AUTHOR_DATE
	export GIT_AUTHOR_DATE GIT_COMMITTER_DATE
}

dipb() { "$DIPB" -C "$demo" "$@"; }

# recommend FILE: a new draft from examples/drafts/FILE; prints its id.
recommend() { dipb recommend --from "$drafts/$1" --no-edit; }

# change ID SED-SCRIPT: edits the record file by hand, as an analyst would.
change() {
	f=$demo/recommendations/$1.yaml
	sed "$2" "$f" >"$f.new"
	cat "$f.new" >"$f"
	rm -f "$f.new"
}

rm -rf "$demo"
mkdir "$demo"

chair; at 2026-01-12 09:00
"$DIPB" init "$demo" --config "$top/examples/dipb.yaml"

# --- January and February: the first cycle -------------------------------
pieter; at 2026-01-26 14:10
ic_ammo=$(recommend ic-155mm-framework-contracts.yaml)
katarzyna; at 2026-01-28 11:25
scs_crm=$(recommend scs-critical-raw-materials.yaml)
lukas; at 2026-02-02 16:40
si_ammo=$(recommend si-ammunition-interchangeability.yaml)
lukas; at 2026-02-04 09:15
si_tdp=$(recommend si-technical-data-packages.yaml)
pieter; at 2026-02-05 10:30
ic_skills=$(recommend ic-workforce-skills.yaml)

pieter; at 2026-02-09
dipb review "$ic_ammo" --request -m 'Ready for review ahead of the March plenary.'
katarzyna; at 2026-02-10
dipb review "$scs_crm" --request
lukas; at 2026-02-11
dipb review "$si_ammo" --request
dipb review "$si_tdp" --request

amelie; at 2026-02-16 15:00
dipb review "$ic_ammo" --endorse -m 'France supports; the surge options are essential.'
sabine; at 2026-02-18 11:00
dipb review "$ic_ammo" --endorse

erik; at 2026-02-19 13:30
dipb review "$scs_crm" --request-changes -m 'Antimony belongs in this recommendation: it is used in primers and has been under the same export licensing since 2024.'

marta; at 2026-02-20
dipb review "$si_tdp" --endorse
amelie; at 2026-02-23
dipb review "$si_tdp" --endorse -m 'Agreed, provided the data rights clause respects existing licences.'

# The drafter takes the comment on board by editing the file by hand and
# committing the edit, then asks for review again: the earlier reviews
# no longer count.
katarzyna; at 2026-02-24 09:45
change "$scs_crm" 's/^title: .*/title: Secure supply of tungsten, gallium, germanium and antimony/'
change "$scs_crm" 's/gallium and germanium sized/gallium, germanium and antimony sized/'
change "$scs_crm" '/^actions:/i\
\
\  Antimony is added at the request of Norway: antimony trisulfide is used\
\  in percussion primers, and antimony has been under the same export\
\  licensing since 2024.
'
dipb edit "$scs_crm" --no-edit
dipb review "$scs_crm" --request -m 'Antimony added as requested.'

amelie; at 2026-02-26
dipb review "$scs_crm" --endorse
marta; at 2026-02-27
dipb review "$scs_crm" --endorse -m 'Poland supports a jointly held reserve.'

# The workforce recommendation overlaps work mandated elsewhere; the
# secretariat withdraws it.
secretary; at 2026-03-02
dipb withdraw "$ic_skills" -m 'Overlaps the skills initiative already mandated by the National Armaments Directors; folded into that work.'

# --- March and April: the second cycle ------------------------------------
pieter; at 2026-03-16
ic_nc=$(recommend ic-energetics-capacity.yaml)
katarzyna; at 2026-03-18
scs_cyber=$(recommend scs-supplier-cyber.yaml)
scs_lli=$(recommend scs-long-lead-items.yaml)
lukas; at 2026-03-20
si_qual=$(recommend si-common-qualification.yaml)

sabine; at 2026-04-14
dipb review "$si_ammo" --endorse
erik; at 2026-04-15
dipb review "$si_ammo" --endorse -m 'Norway can contribute its firing-table data.'

katarzyna; at 2026-04-20
dipb review "$scs_lli" --request
dipb review "$scs_cyber" --request
sabine; at 2026-04-28
dipb review "$scs_lli" --endorse
erik; at 2026-04-29
dipb review "$scs_lli" --endorse
sabine; at 2026-04-30
dipb review "$scs_cyber" --object -m 'Germany cannot accept mutual recognition before the national schemes have been compared control by control.'

# --- May and June: submission and decision --------------------------------
secretary; at 2026-05-04
dipb submit "$ic_ammo" "$scs_crm" "$si_tdp" --reference CNAD-2026-05

secretary; at 2026-06-12 17:00
dipb decide "$ic_ammo" --outcome agreed -m 'Agreed. Nations to send their demand data to the secretariat by the end of August.'
dipb decide "$scs_crm" --outcome agreed
dipb decide "$si_tdp" --outcome noted -m 'Noted; nations to take it forward in new contracts.'

# The board met on 12 June, where those decisions were taken: back from
# the summer break, the secretary records the meeting (who attended, the
# agenda); its minutes are written from it and the decisions.
secretary; at 2026-07-01 09:30
dipb meeting --date 2026-06-12 --attendee ingrid.solberg@example.org \
    --attendee mark.ellison@example.org --attendee amelie.laurent@example.org \
    --attendee sabine.hartmann@example.org --attendee marta.zielinska@example.org \
    --apology erik.haugen@example.org \
    --agenda "$ic_ammo" --agenda "$scs_crm" --agenda "$si_tdp" \
    -m 'Held in Brussels. The chair opened the meeting at 10:00 and closed it at 16:00.'

# --- Autumn: actions tracked, new work -------------------------------------
secretary; at 2026-09-01
dipb action "$ic_ammo" 1 --done -m 'Demand signal sent to nations on 28 August.'
pieter; at 2026-09-07
dipb review "$ic_nc" --request
marta; at 2026-09-15
dipb review "$ic_nc" --endorse
secretary; at 2026-10-05
dipb action "$scs_crm" 1 --done
secretary; at 2026-10-19
dipb action "$ic_ammo" 3 --dropped -m 'Replaced by the NSPA annual report on framework call-offs.'
secretary; at 2026-10-26
dipb submit "$scs_lli" --reference CNAD-2026-10

# Left as they are: $si_qual a draft, $ic_nc in review, $scs_cyber
# returned, $si_ammo endorsed, $scs_lli submitted, $ic_skills withdrawn,
# $ic_ammo, $scs_crm and $si_tdp decided.
: "$si_qual"

echo
echo "== dipb -C demo list"
dipb list
echo
echo "== git -C demo log --oneline --decorate"
git -C "$demo" --no-pager log --oneline --decorate

# Every change signed by its actor's key as the board listed it then:
# 'dipb verify' says nothing when it finds nothing, and warns when
# changes are not signed.  And git agrees, given the board's keys as an
# allowed-signers file.
echo
echo "== dipb -C demo verify"
dipb verify
echo "no findings in $(git -C "$demo" rev-list --count HEAD) commits and" \
    "$(git -C "$demo" tag -l | wc -l | tr -d ' ') tags: every change signed" \
    "by its member's key"
dipb allowed-signers >"$keys/allowed-signers"
allowed="gpg.ssh.allowedSignersFile=$keys/allowed-signers"
last=$(git -C "$demo" describe --tags --exact-match HEAD)
echo
echo "== dipb -C demo allowed-signers > allowed-signers; head -n 3 allowed-signers"
head -n 3 "$keys/allowed-signers"
echo
echo "== git -C demo -c gpg.ssh.allowedSignersFile=allowed-signers log -3 --format='%G? %GS %s'"
git -C "$demo" -c "$allowed" --no-pager log -3 --format='%G? %GS %s'
echo
echo "== git -C demo -c gpg.ssh.allowedSignersFile=allowed-signers verify-commit HEAD"
git -C "$demo" -c "$allowed" verify-commit HEAD 2>&1
echo "== git -C demo -c gpg.ssh.allowedSignersFile=allowed-signers verify-tag $last"
git -C "$demo" -c "$allowed" verify-tag "$last" 2>&1

# The secretary's main job: the minutes of the meeting, from the meeting
# recorded and the decisions taken at it.
echo
echo "== dipb -C demo report minutes --meeting 2026-06-12"
dipb report minutes --meeting 2026-06-12

# The meeting's minutes, the year's status report and minutes, as
# standalone HTML pages (kept out of the board's git status).
mkdir -p "$demo/.git/info"
printf 'meeting-minutes.html\nstatus.html\nminutes.html\n' \
    >>"$demo/.git/info/exclude"
dipb report minutes --meeting 2026-06-12 --format html \
    -o "$demo/meeting-minutes.html"
dipb report status --format html -o "$demo/status.html"
dipb report minutes --since 2026-01-01 --until 2026-12-31 --format html \
    -o "$demo/minutes.html"
echo
echo "== reports"
echo "$demo/meeting-minutes.html"
echo "$demo/status.html"
echo "$demo/minutes.html"

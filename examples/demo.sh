#!/bin/sh
# examples/demo.sh - what 'make demo' runs once ./dipb is built.
#
# Creates a board repository in demo/ (git-ignored) from examples/dipb.yaml
# and drives recommendations of all three working groups through every
# state, each step under the identity of the example member who would
# take it and at a date in 2026, so that 'git log' reads like a real year
# of the board's work.  Prints 'dipb list' and 'git log' of the result.
#
# Ends by writing the board's status report and minutes as HTML,
# demo/status.html and demo/minutes.html, and printing their paths.
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

# The demo must not depend on the user's git identity or hooks.
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE EMAIL VISUAL EDITOR
GIT_CONFIG_NOSYSTEM=1
export GIT_CONFIG_NOSYSTEM

# as NAME EMAIL: the next commands act as this member.
as() {
	GIT_AUTHOR_NAME=$1 GIT_AUTHOR_EMAIL=$2
	GIT_COMMITTER_NAME=$1 GIT_COMMITTER_EMAIL=$2
	export GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME \
	    GIT_COMMITTER_EMAIL
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

# The year's status report and minutes, as standalone HTML pages (kept
# out of the board's git status).
mkdir -p "$demo/.git/info"
printf 'status.html\nminutes.html\n' >>"$demo/.git/info/exclude"
dipb report status --format html -o "$demo/status.html"
dipb report minutes --since 2026-01-01 --until 2026-12-31 --format html \
    -o "$demo/minutes.html"
echo
echo "== reports"
echo "$demo/status.html"
echo "$demo/minutes.html"

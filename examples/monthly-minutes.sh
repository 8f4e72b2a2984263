#!/bin/sh
# examples/monthly-minutes.sh - last month's minutes, as standalone HTML
# pages, from the history of the board repository: the minutes of each
# meeting the secretary recorded that month (dipb meeting; dipb report
# minutes --meeting), and the record of every change of the month.
#
# usage: monthly-minutes.sh [BOARD-DIR] [OUT-DIR]
#
# Run it from cron on the first of the month, from any folder; it writes
# OUT-DIR/minutes-YYYY-MM-DD.html for each meeting of the month and
# OUT-DIR/minutes-YYYY-MM.html for its changes, and prints their paths.
# A relative BOARD-DIR or OUT-DIR is taken from the folder it is run in
# (OUT-DIR defaults to that folder, and is made when missing); nothing is
# written into the board's working tree unless OUT-DIR is in it.
# MONTH=YYYY-MM picks another month.  Needs GNU date.
set -eu

board=${1:-.}
out=${2:-.}
DIPB=${DIPB:-dipb}

# dipb -C BOARD runs in the board: -o is made absolute here first.
case $out in
/*) ;;
*) out=$(pwd)/$out ;;
esac
mkdir -p "$out"

if [ -n "${MONTH:-}" ]; then
	first=$MONTH-01
else
	first=$(date -d "$(date +%Y-%m-01) -1 month" +%Y-%m-%d)
fi
last=$(date -d "$first +1 month -1 day" +%Y-%m-%d)
month=${first%-01}

# The meetings of the month, as the branch tip records them.
# --full-tree: meetings/ of the top, when BOARD-DIR is a folder of the board.
git -C "$board" ls-tree --full-tree --name-only HEAD meetings/ 2>/dev/null |
    sed -n "s|^meetings/\\($month-[0-9][0-9]\\)\\.yaml\$|\\1|p" |
    while read -r day; do
	"$DIPB" -C "$board" report minutes --meeting "$day" \
	    --format html -o "$out/minutes-$day.html"
	echo "$out/minutes-$day.html"
done

file=$out/minutes-$month.html
"$DIPB" -C "$board" report minutes --since "$first" --until "$last" \
    --title "Changes of the board, $(date -d "$first" '+%B %Y')" \
    --format html -o "$file"
echo "$file"

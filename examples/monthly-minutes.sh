#!/bin/sh
# examples/monthly-minutes.sh - the board's minutes for last month, as one
# standalone HTML page, from the history of the board repository.
#
# usage: monthly-minutes.sh [BOARD-DIR] [OUT-DIR]
#
# Run it from cron on the first of the month; it writes
# OUT-DIR/minutes-YYYY-MM.html (default: the current folder) and prints its
# path.  MONTH=YYYY-MM picks another month.  Needs GNU date.
set -eu

board=${1:-.}
out=${2:-.}
DIPB=${DIPB:-dipb}

if [ -n "${MONTH:-}" ]; then
	first=$MONTH-01
else
	first=$(date -d "$(date +%Y-%m-01) -1 month" +%Y-%m-%d)
fi
last=$(date -d "$first +1 month -1 day" +%Y-%m-%d)
month=${first%-01}
file=$out/minutes-$month.html

"$DIPB" -C "$board" report minutes --since "$first" --until "$last" \
    --title "Minutes of the board, $(date -d "$first" '+%B %Y')" \
    --format html -o "$file"
echo "$file"

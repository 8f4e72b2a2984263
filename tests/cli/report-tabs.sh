#!/bin/sh
# tests/cli/report-tabs.sh - a tab in a code block of the man and LaTeX
# reports becomes spaces to the next multiple of eight columns
# (dipb-report(1)), columns as a terminal counts them, as dipb list pads
# its table (dipb-list(1)): two for a wide character (CJK), none for a
# combining mark.  So the text after the tab lines up under an ASCII line's.
. "$(dirname "$0")/lib.sh"

new_board tabs
as drafter
id=$(mkrec industrial-capacity "Code with tabs")
drive "$id" in-review
# ab, two CJK characters (4 columns), e + U+0301 twice (2 columns): each
# followed by a tab, then X at column 8 (0-based).
printf '```\nab\tX\n\344\270\255\346\226\207\tX\ne\314\201e\314\201\tX\n```\n' \
    >"$TROOT/code.md"
as rev1
run dipb review "$id" --request-changes -F "$TROOT/code.md"
check_eq 'the review with a code block is recorded' 0 "$RC"

for fmt in man latex; do
	dipb report minutes --format "$fmt" >"$TROOT/min.$fmt" 2>/dev/null
	# Each code line ending in X: the columns before the X.
	python3 - "$TROOT/min.$fmt" >"$TROOT/cols.$fmt" <<'PYEOF'
import sys, unicodedata
def width(s):
    w = 0
    for c in s:
        if unicodedata.combining(c):
            continue
        w += 2 if unicodedata.east_asian_width(c) in "WF" else 1
    return w
for l in open(sys.argv[1], encoding="utf-8").read().split("\n"):
    if l.endswith("X") and not l.startswith("."):
        t = l[2:] if l.startswith("\\&") else l
        print(width(t[:-1]))
PYEOF
	check_eq "$fmt: each code line's X is at column 8" '8 8 8' \
	    "$(tr '\n' ' ' <"$TROOT/cols.$fmt" | sed 's/ $//')"
done

finish

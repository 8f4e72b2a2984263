#!/bin/sh
# tests/cli/report-safety.sh - hostile records and a hostile board through
# every HTML report: no script survives, in the text, the tables, the
# chart or the titles; and Markdown of cmark's quadratic patterns at the
# 64 KiB cap renders in bounded time.
. "$(dirname "$0")/lib.sh"

html5lib_python
CHECK=$DIPB_SRCDIR/tests/cli/htmlcheck.py

# The classic payloads, one per line (\n and \t as written).
cat >"$TROOT/payloads" <<'EOF'
<script>alert(1)</script>
<SCRIPT SRC=http://evil.example/x.js></SCRIPT>
<ScRiPt>alert(1)</sCrIpT>
<img src=x onerror=alert(1)>
<svg onload=alert(1)>
<svg><script>alert(1)</script></svg>
<body onload=alert(1)>
<iframe src="javascript:alert(1)"></iframe>
[link](javascript:alert(1))
[link](JaVaScRiPt:alert(1))
[link](&#106;avascript:alert(1))
[link](&#x6A;&#x61;&#x76;&#x61;script:alert(1))
[link](&#0000106&#0000097vascript:alert(1))
[link](<java\tscript:alert(1)>)
[link](vbscript:msgbox(1))
[link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)
![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)
![x](javascript:alert(1))
![x](http://evil.example/track.png)
<a href="javascript:alert(1)">x</a>
<a href="jav&#x09;ascript:alert(1)">x</a>
<div style="background:url(javascript:alert(1))">x</div>
<object data="javascript:alert(1)"></object>
<embed src="javascript:alert(1)">
<form action="javascript:alert(1)"><input type=submit></form>
"><script>alert(1)</script>
'><img src=x onerror=alert(1)>
<details open ontoggle=alert(1)>
<meta http-equiv="refresh" content="0;url=javascript:alert(1)">
<base href="javascript:alert(1)//">
[ref][r]\n\n[r]: javascript:alert(1)
<javascript:alert(1)>
<!--<script>alert(1)//-->
<style>body{background:url("javascript:alert(1)")}</style>
<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>
<marquee onstart=alert(1)>x</marquee>
</title><script>alert(1)</script>
</text><script>alert(1)</script>
EOF
npay=$(wc -l <"$TROOT/payloads" | tr -d ' ')
check_eq 'at least 30 payloads' yes "$([ "$npay" -ge 30 ] && echo yes)"

# A board whose names are hostile too: they reach the chart's labels, the
# tables and the minutes.  A member's name holds no '<' or '>'
# (dipb-board(5), name): theirs are quotes, attributes and entities.
new_board xss
cat >"$TROOT/hostile.yaml" <<'EOF'
board: <b onmouseover=alert(1)>Hostile</b> Board
short_name: <script>alert(1)</script>
submit_to: Directors <img src=x onerror=alert(1)>
working_groups:
  - key: industrial-capacity
    prefix: IC
    name: <script>alert(1)</script> Capacity
  - key: supply-chain-security
    prefix: SCS
    name: Supply <img src=x onerror=alert(1)> Chain
  - key: standardisation-interoperability
    prefix: SI
    name: '"><svg onload=alert(1)></text><script>alert(1)</script>'
classifications:
  - NATO UNCLASSIFIED
  - <script>alert(1)</script>
review:
  quorum: 2
members:
  - name: 'Clara " onmouseover="alert(1)" Chair'
    email: chair@example.org
    roles: [chair]
  - name: Sam &#x3C;img src=x onerror=alert(1)&#x3E;
    email: secretary@example.org
    roles: [secretary]
  - name: Dan "' onload=alert(1) x='"
    email: dan@example.org
    nation: <b>DK</b>
    roles: [drafter]
  - name: Rita Reviewer
    email: rita@example.org
    roles: [reviewer]
  - name: Rolf Reviewer
    email: rolf@example.org
    roles: [reviewer]
EOF
as chair
check 'dipb edit --board: the hostile board file' sh -c \
    'cp "$1" dipb.yaml && dipb edit --board --no-edit' sh "$TROOT/hostile.yaml"

# One draft per payload: in the title, summary, rationale, an action's
# text and owner, and a reference; every payload in one rationale too.
"$PY" - "$TROOT/payloads" "$TROOT/drafts" <<'EOF'
import os, sys, yaml
pays = [l.rstrip("\n").replace("\\n", "\n").replace("\\t", "\t")
        for l in open(sys.argv[1], encoding="utf-8")]
os.makedirs(sys.argv[2])
groups = ["industrial-capacity", "supply-chain-security",
          "standardisation-interoperability"]
for i, p in enumerate(pays):
    one = " ".join(p.split())
    d = {"title": one, "working_group": groups[i % 3],
         "classification": "NATO UNCLASSIFIED" if i % 5 else
             "<script>alert(1)</script>",
         "summary": p + "\n", "rationale": "\n\n".join(pays) + "\n",
         "actions": [{"text": one, "owner": one, "due": "2026-01-01"}],
         "references": [one]}
    with open(os.path.join(sys.argv[2], "%02d.yaml" % i), "w",
              encoding="utf-8") as f:
        yaml.safe_dump(d, f, allow_unicode=True, width=1 << 20,
                       sort_keys=False)
with open(os.path.join(sys.argv[2], "all.txt"), "w", encoding="utf-8") as f:
    f.write("\n\n".join(pays) + "\n")
EOF
as drafter
at 2026-01-10
made=0
for f in "$TROOT"/drafts/*.yaml; do
	if dipb recommend --from "$f" --no-edit >/dev/null 2>>"$TROOT/rec.err"
	then
		made=$((made + 1))
	fi
done
check_eq "a draft for each payload ($made made)" "$npay" "$made"

# The first goes all the way with every payload in each comment; the
# second is objected to and withdrawn.
all=$TROOT/drafts/all.txt
step() { _w=$1; shift; as "$_w"; run "$@"; [ "$RC" -eq 0 ] ||
    not_ok "step: $*" "$(_said "$@")"; }
at 2026-02-01
step drafter dipb review IC-0001 --request -F "$all"
step rev1 dipb review IC-0001 --endorse -F "$all"
step rev2 dipb review IC-0001 --endorse -F "$all"
step secretary dipb submit IC-0001 --reference 'XSS-<script>alert(1)</script>'
step secretary dipb decide IC-0001 --outcome agreed -m "$(cat "$all")"
step drafter dipb review SCS-0001 --request
step rev1 dipb review SCS-0001 --object -F "$all"
step secretary dipb withdraw SCS-0001 -m "$(cat "$all")"
# A plain git commit with a hostile subject and file name.
at 2026-02-02
printf 'id: IC-0999\n' >'recommendations/IC-9<img src=x onerror=alert(1)>.yaml'
git add recommendations
git commit -q -m '<script>alert(1)</script> by hand'
as secretary

# The file made by hand is no valid record: reports that read every
# record say so and exit 1, having written the report all the same.
run dipb report status --format html -o "$TROOT/status.html"
check_eq 'status --format html: exit 1, one invalid record left out' \
    '1:dipb: 1 invalid record left out' "$RC:$(tail -n 1 "$ERR")"
run dipb report minutes --format html -o "$TROOT/minutes.html"
check_eq 'minutes --format html: exit 0' 0 "$RC"
run dipb report package --reference 'XSS-<script>alert(1)</script>' \
    --format html -o "$TROOT/package.html"
check_eq 'package --format html: exit 1 (the invalid record)' 1 "$RC"
run dipb report actions --format html --title '<script>alert(1)</script>' \
    -o "$TROOT/actions.html"
check_eq 'actions --format html: exit 1 (the invalid record)' 1 "$RC"
run dipb report status --format html --max-classification 'NATO UNCLASSIFIED' \
    -o "$TROOT/status-u.html"
check_eq 'status --max-classification: exit 1 (the invalid record)' 1 "$RC"
dipb show IC-0001 --format html >"$TROOT/show1.html" 2>/dev/null
dipb show SCS-0001 --format html >"$TROOT/show2.html" 2>/dev/null

check 'status.html: no live markup from the payloads (chart, tables)' \
    "$PY" "$CHECK" --svg 1 "$TROOT/status.html" "$TROOT/status-u.html"
check 'minutes.html: no live markup from the payloads (comments, names)' \
    "$PY" "$CHECK" --svg 0 "$TROOT/minutes.html"
check 'package.html: no live markup from the payloads (full text)' \
    "$PY" "$CHECK" --svg 0 "$TROOT/package.html"
check 'actions.html: no live markup from the payloads (table cells)' \
    "$PY" "$CHECK" --svg 0 "$TROOT/actions.html"
check 'show --format html: no live markup from the payloads' \
    "$PY" "$CHECK" --svg 0 "$TROOT/show1.html" "$TROOT/show2.html"
check 'the payloads are there, as text' sh -c '
    grep -q "&lt;script&gt;alert(1)&lt;/script&gt; Capacity" "$1/status.html" &&
    grep -q "Supply &lt;img src=x onerror=alert(1)&gt; Chain" "$1/status.html" &&
    grep -q "&lt;img src=x onerror=alert(1)&gt;" "$1/minutes.html" &&
    grep -q "&lt;script&gt;alert(1)&lt;/script&gt; by hand" "$1/minutes.html"' \
    sh "$TROOT"
check_file_has 'a remote image becomes a link, never a load' \
    "$TROOT/show1.html" '<a href="http://evil.example/track.png">x</a>'
check_file_has 'status --max-classification: the higher level is left out' \
    "$TROOT/status-u.html" \
    '<em>8 recommendations classified above NATO UNCLASSIFIED left out.</em>'
check_file_has 'the marking of a hostile level is text in the banner' \
    "$TROOT/status.html" \
    '<header class="marking top" role="note" aria-label="classification">&lt;script&gt;alert\(1\)&lt;/script&gt;</header>'
for k in status minutes actions; do
	run dipb report "$k" --format json
	cp "$OUT" "$TROOT/$k.json"
	check "report $k --format json: valid JSON with the payloads" \
	    json_ok "$TROOT/$k.json"
done
run dipb log --format json
cp "$OUT" "$TROOT/log.jsonl"
check 'log --format json: valid JSON Lines with the payloads' \
    python3 -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]' \
    "$TROOT/log.jsonl"

# --- code blocks in man and LaTeX ------------------------------------------
#
# cmark's man and LaTeX writers put a code block's lines out as they are;
# dipb escapes them itself (dipb-report(1)).  A request in a code block
# must stay text: .so would paste a local file into the page, .ig would
# swallow the reviews and the closing marking; "\end{verbatim}" would end
# the block and make the rest of the record LaTeX.
new_board code
as drafter
echo 'SECRET-FROM-SO' >"$TROOT/secret.txt"
cat >"$TROOT/code.yaml" <<EOF
title: Code samples
working_group: industrial-capacity
summary: |
  Fenced:

  \`\`\`
  first line
  .so secret.txt
  'ig ZZ
  \\end{verbatim}
  \\input{$TROOT/secret.txt}\\immediate\\write18{touch $TROOT/pwned}
  \\end{alltt}
  	tab	and \\\\fB
  \`\`\`

  - in a list:

        .de XX
        indented code
rationale: After the code.
EOF
run dipb recommend --from "$TROOT/code.yaml" --no-edit
check_eq 'a draft with code blocks' 0 "$RC"
drive IC-0001 submitted
run dipb report package --reference REF-1 --format man -o "$TROOT/code.man"
check_eq 'report package --format man with code blocks: exit 0' 0 "$RC"
check 'man: no line of a code block is a request' sh -c \
    '! grep -E "^[.'"'"'](so|ig|de)( |\$)" "$1"' sh "$TROOT/code.man"
run dipb report package --reference REF-1 --format latex \
    -o "$TROOT/code.tex"
check_eq 'report package --format latex with code blocks: exit 0' 0 "$RC"
check 'latex: no command of the record is LaTeX' sh -c \
    '! grep -E -e "\\\\(input|immediate|write18|end\\{verbatim\\})" "$1"' \
    sh "$TROOT/code.tex"
check_eq 'latex: each code block one alltt, opened and closed' '2 2' \
    "$(grep -c '^\\begin{alltt}$' "$TROOT/code.tex") $(grep -c '^\\end{alltt}$' "$TROOT/code.tex")"
check_file_has 'latex: the line that would end verbatim is text' "$TROOT/code.tex" \
    '^\\char92\{\}end\\\{verbatim\\\}$'
check_file_has 'latex: a tab is spaces to the next multiple of 8' \
    "$TROOT/code.tex" '^        tab     and \\char92\{\}\\char92\{\}fB$'
if command -v groff >/dev/null 2>&1; then
	# groff in $TROOT, where .so would find secret.txt.
	(cd "$TROOT" && groff -man -t -Tutf8 -P-c code.man 2>/dev/null) |
	    sed 's/.\x08//g' >"$TROOT/code.txt"
	check 'man through groff: the file named by .so is not read' sh -c \
	    '! grep -q SECRET-FROM-SO "$1"' sh "$TROOT/code.txt"
	check_file_has 'man through groff: the request is shown as text' \
	    "$TROOT/code.txt" '^ +\.so secret\.txt$'
	check_file_has 'man through groff: the line after .ig is shown' \
	    "$TROOT/code.txt" '^ +\\end\{verbatim\}$'
	check_file_has 'man through groff: backslashes are shown' \
	    "$TROOT/code.txt" '^ +tab +and \\\\fB$'
	check_file_has 'man through groff: the rationale after the blocks' \
	    "$TROOT/code.txt" 'After the code\.'
else
	skip 'a man report with code blocks through groff' 'no groff'
fi
if command -v pdflatex >/dev/null 2>&1; then
	mkdir "$TROOT/tex"
	(cd "$TROOT/tex" && cp "$TROOT/code.tex" . &&
	    timeout 120 pdflatex -no-shell-escape -interaction=nonstopmode \
	    -halt-on-error code.tex >/dev/null 2>&1)
	check_eq 'latex through pdflatex: it compiles' 0 "$?"
	check 'latex through pdflatex: nothing of the record ran' sh -c \
	    '! grep -q SECRET-FROM-SO "$1"/tex/code.log && [ ! -e "$1"/pwned ]' \
	    sh "$TROOT"
else
	skip 'a LaTeX report with code blocks through pdflatex' 'no pdflatex'
fi

# TeX's input ligatures: "``" and ",," are quotes, "!`" and "?`" inverted
# marks, in the text, the titles and the typewriter font alike; none may
# stand as typed (dipb-report(1): text is escaped for the format).
new_board ligatures
as drafter
cat >"$TROOT/lig.yaml" <<'EOF'
title: Use ``x'' and ,,y, Hello!` or ?`
working_group: industrial-capacity
summary: |
  Quote ``x'', ,,,y, Hello!` and ?` then `` !` `` in code.

  ```
  !` ?` ,, << >> -- ``x
  ```
EOF
run dipb recommend --from "$TROOT/lig.yaml" --no-edit
check_eq 'a draft with the characters of ligatures' 0 "$RC"
drive IC-0001 submitted
run dipb report package --reference REF-1 --format latex -o "$TROOT/lig.tex"
check_eq 'report package --format latex, ligatures: exit 0' 0 "$RC"
check 'latex: no ligature of the record stands as typed' sh -c \
    '! grep -n -E "\`\`|,,|[!?]\`|<<|>>|[^-]--[^-]" "$1"' sh "$TROOT/lig.tex"
check_file_has 'latex: the title keeps each character, escaped' \
    "$TROOT/lig.tex" \
    'subsection\{1\. IC-0001 --- Use \\textasciigrave\{\}\\textasciigrave\{\}x'
check_file_has 'latex: the code block keeps each character, apart' \
    "$TROOT/lig.tex" \
    '^!\{\}` \?\{\}` ,\{\}, <\{\}< >\{\}> -\{\}- `\{\}`x$'

# --- a field's headings and line breaks in man and LaTeX ------------------
#
# Each Markdown field is parsed and cleaned on its own, so that its
# headings cannot reach into the rest of the report (dipb-report(1)).
# cmark's man writer makes every heading .SH or .SS, the macros of the
# report's own sections and records: a field's heading passed for a
# record, and in a quoted field ended the quotation before its .RE.  Its
# hard line break came out as text ("first line.PD 0"), its code span in
# a font mandoc does not know; LaTeX wrote a sixth-level heading plain.
new_board fields
as drafter
printf '%s\n' 'title: Fields with headings' \
    'working_group: industrial-capacity' 'summary: |' '  first line  ' \
    '  second line' '' '  # IC-0099 — Forged record' '' \
    '  Use `dipb verify` first.' '' '  ###### Sixth heading' \
    >"$TROOT/fields.yaml"
run dipb recommend --from "$TROOT/fields.yaml" --no-edit
check_eq 'a draft whose summary has headings and a hard line break' 0 "$RC"
drive IC-0001 submitted
printf 'See below.\n\n# Decision\n\nThe board agrees.\n\n## IC-0098 — Forged section\n\nOutside the quotation?\n' \
    >"$TROOT/comment.txt"
as drafter
run dipb recommend --wg industrial-capacity --title 'Commented' \
    --summary 'A summary.' --no-edit
run dipb review IC-0002 --request -F "$TROOT/comment.txt"
check_eq 'a review request whose comment has headings' 0 "$RC"
run dipb report package --reference REF-1 --format man -o "$TROOT/f.man"
check_eq 'report package --format man, a field with headings: exit 0' 0 "$RC"
run dipb report minutes --format man -o "$TROOT/fm.man"
check_eq 'report minutes --format man, a comment with headings: exit 0' 0 "$RC"
check 'man: no heading of a field is a section or a record (.SH, .SS)' \
    sh -c '! grep -h -A1 -E "^\.S[HS]" "$1" "$2" | grep -q Forged' sh \
    "$TROOT/f.man" "$TROOT/fm.man"
check_file_has 'man: a heading of the summary is a bold paragraph' \
    "$TROOT/f.man" '^\\f\[B\]IC\\-0099 \\\[em\] Forged record\\f\[\]$'
check_eq 'man: the comment'"'"'s headings are inside its quotation, bold' \
    '.RS .PP See below. .PP \f[B]Decision\f[] .PP The board agrees. .PP \f[B]IC\-0098 \[em] Forged section\f[] .PP Outside the quotation? .RE' \
    "$(sed -n '/^\.RS$/,/^\.RE$/p' "$TROOT/fm.man" | tr '\n' ' ' |
    sed 's/ $//')"
for f in f fm; do
	check_man_lint "man: mandoc -Tlint -Wwarning finds nothing in $f.man" \
	    "$TROOT/$f.man"
done
if command -v mandoc >/dev/null 2>&1; then
	mandoc -Tascii "$TROOT/f.man" 2>/dev/null | sed 's/.\x08//g' \
	    >"$TROOT/f.txt"
	check_file_has 'man: a hard line break ends the line' "$TROOT/f.txt" \
	    '^ +first line$'
	check_file_has 'man: the line after it is the next line' \
	    "$TROOT/f.txt" '^ +second line$'
else
	skip 'man reports through mandoc' 'no mandoc'
fi
check 'man: no ".PD 0" shown as text after a line'"'"'s words' \
    sh -c '! grep -q "[^ ]\.PD 0" "$1"' sh "$TROOT/f.man"
check 'man: code in a font mandoc knows (CW, not C)' \
    sh -c 'grep -q "f(CWdipb verify" "$1" && ! grep -q "f\[C\]" "$1"' sh \
    "$TROOT/f.man"
run dipb report package --reference REF-1 --format latex -o "$TROOT/f.tex"
check_eq 'report package --format latex, a field with headings: exit 0' 0 "$RC"
check_file_has 'latex: a sixth-level heading is bold' "$TROOT/f.tex" \
    '^\\textbf\{Sixth heading\}$'

# Unicode noncharacters (U+FDD0..U+FDEF, U+FFFE and U+FFFF of every
# plane) are parse errors for an HTML5 parser: HTML shows each as '?',
# whether cmark wrote the text (the summary, the title's heading) or
# dipb's escaper (dipb-report(1)).
as drafter
printf '%s\n' 'title: "Non\uFDD0char \uFFFF"' \
    'working_group: industrial-capacity' \
    'summary: "x \uFFFE y \U0001FFFF z \uFDEF"' >"$TROOT/nonchar.yaml"
run dipb recommend --from "$TROOT/nonchar.yaml" --no-edit
check_eq 'a draft with noncharacters in its title and summary' 0 "$RC"
dipb show IC-0003 --format html >"$TROOT/nonchar.html"
check 'show --format html with noncharacters: a valid page' \
    "$PY" "$CHECK" --svg 0 "$TROOT/nonchar.html"
check_file_has 'html: each noncharacter is ?' "$TROOT/nonchar.html" \
    'x \? y \? z \?'
run dipb report status --format html -o "$TROOT/nonchar-status.html"
check 'report status --format html with noncharacters: a valid page' \
    "$PY" "$CHECK" "$TROOT/nonchar-status.html"

# --- line breaks and headings that would stop LaTeX or warn in man ---------
#
# Any field is anyone's text, and one record's text must not keep the
# report from being typeset for everyone (dipb-report(1)).  A hard line
# break with no line to end (the first thing of a paragraph) stopped
# pdflatex ("There's no line here to end"); a review comment opening with
# a heading was \subparagraph first thing in a quote, which stopped
# pdflatex too ("Something's wrong--perhaps a missing \item").  A field's
# headings are bold in LaTeX as in man; a break ends a line only after
# some text, and after no other break: an image or link with no text
# before it is no line ("{}\\" stopped pdflatex), nor are blanks only
# (first in a paragraph, or after a break).  In man, such a break was a
# .br mandoc skips (after .SS, a blank line or another .br), a break
# after a soft one put a blank line before its .br, and text after a
# break that began with a blank was a line that breaks itself.  A break
# is written \leavevmode\\ in LaTeX, which ends an empty line where no
# line came before rather than stop pdflatex.
new_board breaks
as drafter
printf '%s\n' 'title: Breaks' 'working_group: industrial-capacity' \
    'summary: |' '  \' '  starts with a break' '' '  two\' '  \' '  breaks' \
    '' '  soft' '  \' '  then hard\' '  &#32;blank' '' '  ![](x)\' \
    '  after an image' '' '  [](http://x)\' '  after a link' '' '  a\' \
    '  &#32;\' '  b' '' '  &#32;\' '  after blanks' '' '  # Summary heading' \
    >"$TROOT/breaks.yaml"
run dipb recommend --from "$TROOT/breaks.yaml" --no-edit
check_eq 'a draft whose summary opens with a hard line break' 0 "$RC"
drive IC-0001 submitted
as drafter
run dipb recommend --wg industrial-capacity --title 'Commented' \
    --summary 'A summary.' --no-edit
printf '# Heading first\n\nThen text.\n' >"$TROOT/hcomment.txt"
run dipb review IC-0002 --request -F "$TROOT/hcomment.txt"
check_eq 'a review request whose comment opens with a heading' 0 "$RC"
for fmt in man latex; do
	ext=$fmt; [ "$fmt" = latex ] && ext=tex
	run dipb report package --reference REF-1 --format "$fmt" \
	    -o "$TROOT/bp.$ext"
	check_eq "report package --format $fmt, breaks: exit 0" 0 "$RC"
	run dipb report minutes --format "$fmt" -o "$TROOT/bm.$ext"
	check_eq "report minutes --format $fmt, a heading first: exit 0" 0 "$RC"
done
check_eq 'man: a break ends a line only after text, the next line unindented' \
    'Summary|starts with a break|.PP|two|.br|breaks|.PP|soft|.br|then hard|.br|blank|.PP| (x)after an image|.PP| (http://x)after a link|.PP|a|.br|b|.PP| after blanks|.PP|\f[B]Summary heading\f[]|.SS' \
    "$(sed -n '/^Summary$/,/^\.SS$/p' "$TROOT/bp.man" | tr '\n' '|' |
    sed 's/|$//')"
check_eq 'latex: a break ends a line only after text' \
    '\subsubsection{Summary}|starts with a break||two\leavevmode\\|breaks||soft|\leavevmode\\|then hard\leavevmode\\|blank||{}after an image||{}after a link||a\leavevmode\\|b|| after blanks||\textbf{Summary heading}|' \
    "$(sed -n '/^\\subsubsection{Summary}$/,/^\\subsubsection{Reviews}$/p' \
    "$TROOT/bp.tex" | sed '$d' | tr '\n' '|')"
check_eq 'latex: the comment'"'"'s heading is bold, first in its quote' \
    '\begin{quote}|\textbf{Heading first}||Then text.||\end{quote}' \
    "$(sed -n '/^\\begin{quote}$/,/^\\end{quote}$/p' "$TROOT/bm.tex" |
    tr '\n' '|' | sed 's/|$//')"
check 'latex: no heading of a field is \paragraph or \subparagraph' \
    sh -c '! grep -h "paragraph{" "$1" "$2"' sh "$TROOT/bp.tex" \
    "$TROOT/bm.tex"
for f in bp bm; do
	check_man_lint "man: mandoc -Tlint -Wwarning finds nothing in $f.man" \
	    "$TROOT/$f.man"
done
if command -v pdflatex >/dev/null 2>&1; then
	for f in bp bm; do
		mkdir -p "$TROOT/tex"
		(cd "$TROOT/tex" && cp "$TROOT/$f.tex" . &&
		    timeout 120 pdflatex -no-shell-escape \
		    -interaction=nonstopmode -halt-on-error "$f.tex" \
		    >/dev/null 2>&1)
		check_eq "latex through pdflatex: $f.tex compiles" 0 "$?"
	done
else
	skip 'LaTeX reports with line breaks and headings through pdflatex' \
	    'no pdflatex'
fi

# --- pathological Markdown at the cap ---------------------------------------
#
# cmark 0.30's known slow patterns, each filling a summary to just under
# the 64 KiB cap; each record is rendered in every format in bounded time.
new_board slow
as drafter
"$PY" - "$TROOT/slow" <<'EOF'
import os, sys, yaml
pats = [("[", "a", "]"), ("[", "", ""), ("*a ", "", ""), ("*a", "", ""),
        ("_a", "", ""), ("a**b", "", ""), ("[x]: /\n", "", ""),
        ("![[]()", "", ""), ("<", "", ""), ("`a``", "", ""),
        (">", "a", ""), ("- ", "a", ""), ("*", "a", "*"), ("_", "a", "_"),
        ("[a](", "b", ")"), ("![", "a", "](b)"), ("*_", "", ""),
        ("&#", "", ""), ("1. ", "a", ""), ("<a ", "", "")]
os.makedirs(sys.argv[1])
cap = 65536 - 2
for i, (u, m, u2) in enumerate(pats):
    n = (cap - len(m)) // (len(u) + len(u2))
    s = u * n + m + u2 * n
    d = {"title": "Slow %d" % i, "working_group": "industrial-capacity",
         "summary": s + "\n"}
    with open(os.path.join(sys.argv[1], "%02d.yaml" % i), "w") as f:
        yaml.safe_dump(d, f, width=1 << 20, sort_keys=False)
EOF
nslow=0
for f in "$TROOT"/slow/*.yaml; do
	dipb recommend --from "$f" --no-edit >/dev/null 2>>"$TROOT/slow.err" &&
	    nslow=$((nslow + 1))
done
check_eq "a draft for each slow pattern" \
    "$(ls "$TROOT"/slow/*.yaml | wc -l | tr -d ' ')" "$nslow"
# A pathological pattern must not hang a renderer: a hang (exit 124) fails
# the check.  The limit only catches a hang (ASan, a loaded machine); how
# fast reports are is bench/report.sh's.
for id in $(dipb list --format ids); do
	for fmt in html markdown; do
		timeout 300 dipb show "$id" --format "$fmt" >/dev/null 2>&1
		check_eq "show $id --format $fmt ends, without a hang" 0 "$?"
	done
done
for fmt in man latex; do
	timeout 300 dipb report status --format "$fmt" >/dev/null 2>&1
	check_eq "status as $fmt of the slow board ends, without a hang" 0 "$?"
done

finish

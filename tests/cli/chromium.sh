#!/bin/sh
# tests/cli/chromium.sh - every HTML report of the example board, and a
# recommendation shown as HTML, loaded in headless Chromium: the page
# loads, the browser logs nothing from it on its console (no error, no
# blocked load, no Content-Security-Policy violation), the DOM it builds
# has the classification banners, no script, and in the status report the
# SVG chart.
#
# Installs nothing: .ci/install-deps installs Debian's chromium (Ubuntu's
# is a snap, which it leaves out).  Without /usr/bin/chromium (or
# $CHROMIUM) the script counts one check skipped, never passed, and fails
# nothing.
. "$(dirname "$0")/lib.sh"

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$CHROMIUM" ]; then
	echo "skipped: $CHROMIUM is not installed (.ci/install-deps installs Debian's chromium; Ubuntu's is a snap: CHROMIUM=its path)"
	ok "headless Chromium # SKIP skipped: no $CHROMIUM"
	finish
	exit
fi

# load FILE: $FILE.dom (the DOM Chromium built) and $FILE.log (its log).
load() {
	_ud=$(mktemp -d "$TROOT/chromium-profile.XXXXXX")
	timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu \
	    --disable-quic --no-first-run --disable-background-networking \
	    --disable-component-update --disable-sync --user-data-dir="$_ud" \
	    --enable-logging=stderr --v=0 --dump-dom "file://$1" \
	    >"$1.dom" 2>"$1.log" </dev/null
	_rc=$?
	rm -rf "$_ud"
	return $_rc
}

# check_page DESC FILE [ERE...]: loads, nothing on the console, no
# script in the DOM, the banners, and each ERE found in the DOM.
check_page() {
	_d=$1 _f=$2
	shift 2
	if ! load "$_f"; then
		not_ok "$_d: Chromium loads it" "$(tail -n 5 "$_f.log")"
		return
	fi
	_why=
	grep -q '</html>' "$_f.dom" || _why="no DOM dumped"
	if grep -q 'CONSOLE' "$_f.log"; then
		_why="$_why${_why:+; }console: $(grep CONSOLE "$_f.log" | head -n 3)"
	fi
	grep -qi '<script' "$_f.dom" && _why="$_why${_why:+; }a <script> in the DOM"
	[ "$(grep -c 'class="marking' "$_f.dom")" = 2 ] ||
	    _why="$_why${_why:+; }not two classification banners"
	for _re; do
		grep -Eq -e "$_re" "$_f.dom" || _why="$_why${_why:+; }DOM lacks $_re"
	done
	if [ -z "$_why" ]; then
		ok "$_d"
	else
		not_ok "$_d" "$_why"
	fi
}

# The checker can fail: a page that logs an error and breaks its CSP.
cat >"$TROOT/bad.html" <<'EOF'
<!DOCTYPE html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'">
<title>bad</title></head><body><header class="marking">X</header>
<script>console.error("boom")</script><img src="http://127.0.0.1:9/x.png" alt="">
<footer class="marking">X</footer></body></html>
EOF
load "$TROOT/bad.html"
check_eq 'Chromium reports console errors and CSP violations (control)' \
    yes "$(grep -q 'CONSOLE.*boom' "$TROOT/bad.html.log" &&
    grep -q 'CONSOLE.*Content Security Policy' "$TROOT/bad.html.log" &&
    echo yes)"

DEMO=$TROOT/demo
demo_board "$DEMO"
dipb report status --today 2027-01-15 --format html -o "$TROOT/status.html"
dipb report minutes --since 2026-01-01 --format html -o "$TROOT/minutes.html"
dipb report package --reference CNAD-2026-05 --format html \
    -o "$TROOT/package.html"
dipb report actions --today 2027-01-15 --format html -o "$TROOT/actions.html"
dipb show IC-0001 --format html >"$TROOT/show.html"

check_page 'status.html in Chromium: no console error, the SVG chart' \
    "$TROOT/status.html" '<svg[^>]*role="img"' '<rect x=' \
    'Industrial Capacity</text>'
check_page 'minutes.html in Chromium: no console error' \
    "$TROOT/minutes.html" '<h2>Summary</h2>' '<blockquote>'
check_page 'package.html in Chromium: no console error' \
    "$TROOT/package.html" '<h2>Contents</h2>' 'class="page-break"'
check_page 'actions.html in Chromium: no console error' \
    "$TROOT/actions.html" '<tr class="hl">'
check_page 'show --format html in Chromium: no console error' \
    "$TROOT/show.html" '<h1>IC-0001'
check_page 'demo/status.html of make demo in Chromium' \
    "$DEMO/status.html" '<svg'
check_page 'demo/minutes.html of make demo in Chromium' \
    "$DEMO/minutes.html"

finish

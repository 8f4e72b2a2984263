#!/bin/sh
# tests/cli/examples.sh - the scripts in examples/ that users copy, run as
# they would run them: the demo and its signing keys, monthly minutes; and
# what the CI examples pin and run: the version of the Makefile, every
# dipb command line one dipb accepts.  (The pre-commit hook:
# precommit.sh; the pre-receive hook: verify.sh and trust.sh; the CI jobs'
# steps and server.sh: forge.sh; their install step: install.sh.)
. "$(dirname "$0")/lib.sh"

ex=$DIPB_SRCDIR/examples

# --- the example keys ----------------------------------------------------------
check_file_has 'examples/keys/README says the keys are public examples' \
    "$ex/keys/README" 'PUBLIC EXAMPLE KEYS'
sed -n 's/^    email: //p' "$ex/dipb.yaml" >"$TROOT/emails"
_bad=
while read -r e; do
	k=$ex/keys/${e%@*}
	if ! [ -f "$k" ] || ! [ -f "$k.pub" ]; then
		_bad="$_bad $e: no $k or $k.pub;"
		continue
	fi
	# The public key is the private one's, its comment says whose, and
	# dipb.yaml lists it for that member.
	# (ssh-keygen reads a private key only when no-one else may: a
	# checkout leaves it 0644, so a 0600 copy.)
	cp "$k" "$TROOT/key" && chmod 600 "$TROOT/key"
	[ "$(ssh-keygen -y -f "$TROOT/key" 2>/dev/null | cut -d ' ' -f 1,2)" = \
	    "$(cut -d ' ' -f 1,2 "$k.pub")" ] 2>/dev/null ||
	    _bad="$_bad $e: $k.pub is not $k's public key;"
	[ "$(cut -d ' ' -f 3- "$k.pub")" = "$e example key" ] ||
	    _bad="$_bad $e: comment of $k.pub;"
	awk -v e="$e" -v k="$(cut -d ' ' -f 1,2 "$k.pub")" '
	    /^  - name: / { m = "" } /^    email: / { m = $2 }
	    m == e && index($0, "      - " k) == 1 { f = 1 }
	    END { exit !f }' "$ex/dipb.yaml" ||
	    _bad="$_bad $e: examples/dipb.yaml does not list $k.pub;"
done <"$TROOT/emails"
check_eq 'each example member has a key pair, listed in examples/dipb.yaml' \
    '' "$_bad"
check_file_has 'examples/dipb.yaml requires signing' "$ex/dipb.yaml" \
    '^signing: required$'

# --- demo.sh: a signed history ---------------------------------------------------
cp "$HOME/.gitconfig" "$TROOT/gitconfig.before"
mkdir "$TROOT/tmp"
run env DIPB="$DIPB" DIPB_DEMO_DIR="$TROOT/demo" TMPDIR="$TROOT/tmp" \
    sh "$ex/demo.sh"
check_eq 'examples/demo.sh builds the example board' 0 "$RC"
[ "$RC" -eq 0 ] || _said examples/demo.sh | sed 's/^/#   /' | tail -n 20
cp "$OUT" "$TROOT/demo.out"
check_file_has 'it ends with dipb verify' "$TROOT/demo.out" \
    '^== dipb -C demo verify$'
check_file_has 'git verify-commit of the last change: the secretary signed it' \
    "$TROOT/demo.out" '^Good "git" signature for mark.ellison@example.org '
check_eq 'git verify-commit and verify-tag both said so' 2 \
    "$(grep -c '^Good "git" signature for ' "$TROOT/demo.out")"
check_file_has 'it prints the minutes of the meeting it recorded' \
    "$TROOT/demo.out" '^# Minutes of the DIPB meeting of 2026-06-12$'
check_file_has 'the minutes: the decisions taken at it, in plain words' \
    "$TROOT/demo.out" '^\*\*Noted\*\*\. The board.s decision, recorded on 2026-06-12\.$'
check_file_has 'the minutes: who sent apologies' "$TROOT/demo.out" \
    '^| Erik Haugen (NO) | reviewer |$'
check_file_has 'it names the HTML minutes of the meeting' "$TROOT/demo.out" \
    '/meeting-minutes\.html$'
check_out 'the copies of the private keys are gone from TMPDIR' '' \
    ls -A "$TROOT/tmp"
check 'nothing was written to the user'"'"'s git configuration' \
    cmp "$TROOT/gitconfig.before" "$HOME/.gitconfig"
if [ -d "$TROOT/demo" ]; then
	cd "$TROOT/demo"
	check 'the demo board verifies' dipb verify
	check_eq 'the meeting is its own change, tagged meeting/1-held' \
	    'meeting/1-held meetings/2026-06-12.yaml' \
	    "$(git tag -l 'meeting/*') $(git show --format= --name-only 'meeting/1-held^{commit}')"
	check 'its HTML minutes were written, kept out of git status' sh -c \
	    'test -s meeting-minutes.html && test -z "$(git status --porcelain)"'
	dipb allowed-signers >"$TROOT/allowed" 2>/dev/null
	git -c gpg.ssh.allowedSignersFile="$TROOT/allowed" log \
	    --format='%G? %ae %GS' >"$TROOT/sigs" 2>/dev/null
	check_eq 'git finds every commit signed by its author (%G? G)' '' \
	    "$(awk '$1 != "G" || $2 != $3' "$TROOT/sigs" | head -n 3)"
	git for-each-ref --format='%(refname:strip=2)' refs/tags >"$TROOT/tags"
	_bad=
	while read -r t; do
		git -c gpg.ssh.allowedSignersFile="$TROOT/allowed" verify-tag \
		    "$t" >/dev/null 2>&1 || _bad="$_bad $t"
	done <"$TROOT/tags"
	check_eq 'git verify-tag passes for every tag' '' "$_bad"
	# dipb-allowed-signers(1)'s examples, as written, on this board:
	# each literal block run with its prompts taken off.
	awk 'function out(t) { print t > (dir "/as" n ".sh") }
	    /^\.Sh EXAMPLES/ { e = 1; next } !e { next }
	    /^\.Bd -literal/ { n++; b = 1; next } /^\.Ed/ { b = 0; next }
	    b && l != "" { sub(/^ +/, ""); l = l $0 }
	    b && l == "" && /^\$ / { l = substr($0, 3) }
	    b && l != "" { if (sub(/ \\e$/, " ", l)) next; out(l); l = "" }' \
	    dir="$TROOT" "$DIPB_SRCDIR/man/dipb-allowed-signers.1"
	for _n in 1 2; do
		check "dipb-allowed-signers(1): example $_n verifies on the demo board" \
		    sh -e "$TROOT/as$_n.sh"
	done
	rm -f .git/allowed_signers
	check 'no signing set-up was left in the board' \
	    sh -c '! git config --local --get-regexp "^(gpg|user)\." >/dev/null'
	cd "$TROOT"
fi

# --- monthly-minutes.sh ------------------------------------------------------
# The board made before its changes: no commit is dated before the one
# it is made on (dipb-git(7), "Commit dates").
at 2026-03-01
new_board minutes
as drafter
at 2026-03-10
id=$(mkrec industrial-capacity 'Framework contracts')
at 2026-03-12
dipb review "$id" --request 2>/dev/null
at 2026-04-02
id2=$(mkrec industrial-capacity 'Only in April')
as secretary
dipb meeting --date 2026-03-20 --attendee chair@example.org \
    --title 'March meeting' >/dev/null 2>>"$TROOT/setup.err"
as drafter
mkdir "$TROOT/minutes"
check 'monthly-minutes.sh writes last month (MONTH=2026-03)' \
    env MONTH=2026-03 DIPB=dipb sh "$ex/monthly-minutes.sh" . "$TROOT/minutes"
check_stdout 'it prints the paths of the files' \
    "$TROOT/minutes/minutes-2026-03-20.html
$TROOT/minutes/minutes-2026-03.html"
f=$TROOT/minutes/minutes-2026-03.html
check_file_has 'the minutes are an HTML page' "$f" '<html'
check_file_has 'they hold the March change' "$f" "$id"
check 'they leave out the April change' sh -c '! grep -q "$1" "$2"' sh \
    "$id2" "$f"
check_file_has 'the meeting of March has its own minutes' \
    "$TROOT/minutes/minutes-2026-03-20.html" 'March meeting'
# From a folder of the board: the meetings are the top's.
mkdir "$TROOT/minutes-sub"
check 'monthly-minutes.sh given a folder of the board' env MONTH=2026-03 \
    DIPB=dipb sh "$ex/monthly-minutes.sh" recommendations "$TROOT/minutes-sub"
check_stdout '... writes the minutes of the meeting too' \
    "$TROOT/minutes-sub/minutes-2026-03-20.html
$TROOT/minutes-sub/minutes-2026-03.html"
check 'without MONTH it picks the month before this one' \
    env DIPB=dipb sh "$ex/monthly-minutes.sh" . "$TROOT/minutes"
check 'that file is named for last month' test -f \
    "$TROOT/minutes/minutes-$(date -d "$(date +%Y-%m-01) -1 month" +%Y-%m).html"

# --- the CI examples: the pinned version, the commands ------------------------
if ! python3 -c 'import yaml' 2>/dev/null; then
	skip 'the CI examples parse as YAML' 'no python3-yaml'
	finish
	exit $?
fi
# The Makefile's VERSION, as make dist names the tarball (a git describe
# suffix, -N-gHASH, aside: the examples pin a release).
version=$(make -s -C "$DIPB_SRCDIR" -n dist 2>/dev/null |
    sed -n 's/^echo \([0-9][^ ]*\) > build\/dist\/.*/\1/p' | head -n 1)
version=${version%%-*}
check 'the Makefile has a VERSION (make -n dist)' test -n "$version"
for f in github gitea gitlab; do
	case $f in
	github) y=github-actions.yml ;;
	gitea) y=gitea-actions.yml ;;
	gitlab) y=gitlab-ci.yml ;;
	esac
	s=$TROOT/ci/$f
	check "examples/$y parses (tests/cli/ciextract.py)" \
	    python3 "$DIPB_SRCDIR/tests/cli/ciextract.py" $f "$ex/$y" "$s"
	read -r pv pu ps <"$s/pin" 2>/dev/null || pv=
	check_eq "examples/$y pins the Makefile's VERSION (DIPB_VERSION)" \
	    "$version" "$pv"
	case $pu in
	https://*/dipb-"$version".tar.gz) ok "examples/$y: DIPB_URL is the tarball of that version, over https" ;;
	*) not_ok "examples/$y: DIPB_URL is the tarball of that version, over https" "DIPB_URL: $pu" ;;
	esac
	check_eq "examples/$y: DIPB_SHA256 says it is the tarball's, to be set" \
	    "the-sha256-of-dipb-$version.tar.gz" "$ps"
	cat "$s/install/"*.sh >"$s/install.all" 2>/dev/null
	check_file_has "examples/$y checks the tarball against DIPB_SHA256 before unpacking it" \
	    "$s/install.all" 'sha256sum -c --strict'
	check 'and only then unpacks it' awk '
	    /sha256sum -c/ { c = NR } /tar -x/ { t = NR } END { exit !(c && t > c) }' \
	    "$s/install.all"
	check_file_has "examples/$y builds with the build set of the tarball's .ci/install-deps" \
	    "$s/install.all" '^ *sh "\$src/\.ci/install-deps" build$'
	check_file_has "examples/$y checks that the installed dipb is DIPB_VERSION" \
	    "$s/install.all" 'dipb" --version\)" = "dipb \$DIPB_VERSION"'
	key=$(head -n 1 "$s/cache")
	case $key in
	*DIPB_VERSION*DIPB_SHA256*) ok "examples/$y caches the build by version and checksum ($key)" ;;
	*) not_ok "examples/$y caches the build by version and checksum" "key: $key" ;;
	esac
	check_eq "examples/$y caches where it installs" \
	    1 "$(sed -n 2p "$s/cache" | grep -c -e '^~/\.dipb$' -e '^\.dipb/$')"
done
check_eq 'the Install dipb steps of github-actions.yml and gitea-actions.yml are the same' \
    "$(cat "$TROOT/ci/github/install/"*.sh | sed -n '/^set -eu$/,$p')" \
    "$(cat "$TROOT/ci/gitea/install/"*.sh | sed -n '/^set -eu$/,$p')"
check_eq 'examples/github-actions.yml uploads the SARIF of verify and of validate' \
    'sarif dipb-validate.sarif
sarif dipb-verify.sarif' "$(sort "$TROOT/ci/github/reports")"
check_eq 'examples/gitlab-ci.yml gives GitLab a Code Quality and a JUnit report' \
    'codequality dipb-code-quality.json
junit dipb-verify.xml' "$(sort "$TROOT/ci/gitlab/reports")"
# Each report is what a step writes, in the format the forge reads.
for r in 'github dipb-verify.sarif dipb verify --format sarif' \
    'github dipb-validate.sarif dipb validate --format sarif' \
    'gitlab dipb-verify.xml dipb verify --format junit' \
    'gitlab dipb-code-quality.json dipb validate --format gitlab'; do
	# shellcheck disable=SC2086 # the words of the line
	set -- $r
	f=$1 file=$2
	shift 2
	cat "$TROOT/ci/$f/"[0-9]*.sh >"$TROOT/ci/$f.all"
	check_file_has "$f: $* >$file" "$TROOT/ci/$f.all" "$* .*>$file"
done

# Every dipb command line of the CI examples and of .pre-commit-hooks.yaml,
# run in a board with drafts, as the job runs it ("$@" is '. drafts'):
# dipb accepts each one (exit 0, or 1 for findings; not 2, a usage error).
new_board cmds
mkdir drafts
cp "$ex/drafts/ic-workforce-skills.yaml" drafts/
git add drafts
git commit -q -m 'drafts'
cat "$TROOT/ci/"*/[0-9]*.sh |
    sed -n 's/^[^#]*\(dipb [a-z][a-z-]*[^|;&>)]*\).*/\1/p' >"$TROOT/cmds"
python3 -c '
import sys, yaml
for h in yaml.safe_load(open(sys.argv[1])):
    if h["language"] == "system": print(h["entry"])' \
    "$DIPB_SRCDIR/.pre-commit-hooks.yaml" >>"$TROOT/cmds"
sed 's/ *$//; s/"\$@"/. drafts/' "$TROOT/cmds" | LC_ALL=C sort -u >"$TROOT/cmds.u"
check 'the examples run dipb verify and dipb validate' sh -c '
    grep -q "^dipb verify" "$1" && grep -q "^dipb validate" "$1"' sh "$TROOT/cmds.u"
while read -r line; do
	# shellcheck disable=SC2086 # the command line, as the shell splits it
	run $line
	if [ "$RC" -eq 0 ] || [ "$RC" -eq 1 ]; then
		ok "dipb accepts: $line"
	else
		not_ok "dipb accepts: $line" "$(_said $line)"
	fi
done <"$TROOT/cmds.u"

# dipb-ci(7) and dipb-validate(1) name those command lines as the jobs
# run them: '. drafts', not a full stop after the option ("--format
# sarif. drafts"), which mdoc makes of a lone '.'.
if command -v mandoc >/dev/null 2>&1; then
	mandoc -T ascii "$DIPB_SRCDIR/man/dipb-ci.7" 2>/dev/null |
	    sed 's/.\x08//g' | tr -s ' \n' '  ' >"$TROOT/ci.7.txt"
	for c in 'dipb validate --format sarif . drafts' \
	    'dipb validate --format gitlab . drafts' 'dipb validate . drafts'; do
		check "dipb-ci(7) prints: $c" grep -F -q -e "$c" "$TROOT/ci.7.txt"
	done
	mandoc -T ascii "$DIPB_SRCDIR/man/dipb-validate.1" 2>/dev/null |
	    sed 's/.\x08//g' | tr -s ' \n' '  ' >"$TROOT/validate.1.txt"
	check "dipb-validate(1) prints: dipb validate . drafts" \
	    grep -F -q -e 'dipb validate . drafts' "$TROOT/validate.1.txt"
else
	skip "dipb-ci(7) prints the jobs' command lines" 'mandoc not installed'
fi

# --- the README's tour, as printed ------------------------------------------------
# The console blocks of "A short tour" (up to the example board of 'make
# demo'), but those marked '<!-- tour: an aside, not run -->', run in
# order as a user types them, from a folder holding examples/ as the top
# of a clone does, each command with its output: what the README shows
# (dates aside: the README's are the day it was written), block by block.
# Run as a whole, they make the README's commands a sequence that works:
# git init's branch is the one the pushes name.
if command -v ssh-keygen >/dev/null 2>&1; then
	mkdir "$TROOT/tour" && ln -s "$ex" "$TROOT/tour/examples"
	python3 -c '
import sys
readme, out = sys.argv[1:3]
lines = open(readme, encoding="utf-8").read().split("\n")
start = lines.index("## A short tour")
blocks, block, aside = [], None, False
for i in range(start + 1, len(lines)):
    l = lines[i]
    if block is None:
        if l.startswith("## ") or "`make demo`" in l:
            break
        if l == "```console":
            block = []
            aside = lines[i - 1] == "<!-- tour: an aside, not run -->"
        continue
    if l == "```":
        if not aside:
            blocks.append(block)
        block = None
        continue
    block.append(l)
sh = ["_rc=0"]
for k, b in enumerate(blocks, 1):
    open("%s.%d.readme" % (out, k), "w", encoding="utf-8").write(
        "\n".join(b) + "\n")
    sh.append("exec >\"%s.%d.out\" 2>&1" % (out, k))
    i = 0
    while i < len(b):
        if not b[i].startswith("$ "):
            i += 1
            continue
        cmd = [b[i][2:]]
        shown = [b[i]]
        while cmd[-1].endswith("\\"):
            i += 1
            cmd.append(b[i])
            shown.append(b[i])
        i += 1
        sh.append("_rc=$?")
        for s in shown:
            sh.append("printf \"%%s\\n\" \x27%s\x27" % s.replace("\x27",
                "\x27\\\x27\x27"))
        sh.append("(exit $_rc)")
        sh.extend(cmd)
print(len(blocks))
open(out + ".sh", "w", encoding="utf-8").write("\n".join(sh) + "\n")
' "$DIPB_SRCDIR/README.md" "$TROOT/tour" >"$TROOT/tour.n"
	# git's own default branch, master (git 2.39 without
	# init.defaultBranch), not the tests' main.
	(cd "$TROOT/tour" && GIT_CONFIG_COUNT=1 \
	    GIT_CONFIG_KEY_0=init.defaultBranch GIT_CONFIG_VALUE_0=master \
	    sh "$TROOT/tour.sh") >/dev/null 2>&1
	_d='s/20[0-9][0-9]-[0-1][0-9]-[0-3][0-9]/DATE/g'
	k=1
	while [ "$k" -le "$(cat "$TROOT/tour.n")" ]; do
		check_eq "the README tour's block $k: its commands print what the README shows" \
		    "$(sed "$_d" "$TROOT/tour.$k.readme")" \
		    "$(sed "$_d" "$TROOT/tour.$k.out")"
		k=$((k + 1))
	done
	check_eq 'the README tour: five blocks run' 5 "$(cat "$TROOT/tour.n")"
	# "A plain server": the first push, of main, from the chair's clone
	# to a repository of examples/server.sh (its branch main too).
	sh "$ex/server.sh" "$TROOT/tour/srv.git" >/dev/null 2>&1
	check "the README tour's board pushes as \"A plain server\" says" \
	    sh -c 'cd "$1/board" && git remote add origin "$1/srv.git" &&
	    git push -q --atomic --follow-tags origin main' sh "$TROOT/tour"
else
	skip "the README tour" 'ssh-keygen not installed'
fi

finish

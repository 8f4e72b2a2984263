#!/bin/sh
# tests/cli/examples.sh - the scripts in examples/ that users copy, run as
# they would run them: the demo and its signing keys, monthly minutes, the
# pre-commit hook.  (The pre-receive hook: verify.sh and trust.sh; the CI
# jobs and server.sh: forge.sh.)
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
	check 'no signing set-up was left in the board' \
	    sh -c '! git config --local --get-regexp "^(gpg|user)\." >/dev/null'
	cd "$TROOT"
fi

# --- monthly-minutes.sh ------------------------------------------------------
new_board minutes
as drafter
at 2026-03-10
id=$(mkrec industrial-capacity 'Framework contracts')
at 2026-03-12
dipb review "$id" --request 2>/dev/null
at 2026-04-02
id2=$(mkrec industrial-capacity 'Only in April')
mkdir "$TROOT/minutes"
check 'monthly-minutes.sh writes last month (MONTH=2026-03)' \
    env MONTH=2026-03 DIPB=dipb sh "$ex/monthly-minutes.sh" . "$TROOT/minutes"
check_stdout 'it prints the path of the file' \
    "$TROOT/minutes/minutes-2026-03.html"
f=$TROOT/minutes/minutes-2026-03.html
check_file_has 'the minutes are an HTML page' "$f" '<html'
check_file_has 'they hold the March change' "$f" "$id"
check 'they leave out the April change' sh -c '! grep -q "$1" "$2"' sh \
    "$id2" "$f"
check 'without MONTH it picks the month before this one' \
    env DIPB=dipb sh "$ex/monthly-minutes.sh" . "$TROOT/minutes"
check 'that file is named for last month' test -f \
    "$TROOT/minutes/minutes-$(date -d "$(date +%Y-%m-01) -1 month" +%Y-%m).html"

# --- pre-commit --------------------------------------------------------------
new_board hook
as drafter
id=$(mkrec industrial-capacity 'Hooked')
cp "$ex/pre-commit" .git/hooks/pre-commit
chmod +x .git/hooks/pre-commit
f=recommendations/$id.yaml
sed 's/^status: draft$/status: sideways/' "$f" >"$f.new" && mv "$f.new" "$f"
git add "$f"
before=$(git rev-parse HEAD)
check_status 1 'a commit of an invalid staged record is refused' \
    git commit -q -m 'hand edit'
check_err 'the hook names the file, line and column' "$f:4:9: error:"
check_out 'nothing was committed' "$before" git rev-parse HEAD
git checkout -q HEAD -- "$f"
sed 's/^title: Hooked$/title: Hooked, by hand/' "$f" >"$f.new" &&
    mv "$f.new" "$f"
git add "$f"
check 'a valid staged record commits' git commit -q -m 'hand edit'
echo 'not yaml: [' >notes.txt
git add notes.txt
check 'a commit that touches no record is not checked' \
    git commit -q -m 'notes'

# (The CI jobs of GitHub, GitLab and Gitea, and server.sh: forge.sh.)

finish

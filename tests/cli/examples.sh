#!/bin/sh
# tests/cli/examples.sh - the scripts in examples/ that users copy, run as
# they would run them: monthly minutes, the pre-commit hook, the GitHub
# Actions job.
. "$(dirname "$0")/lib.sh"

ex=$DIPB_SRCDIR/examples

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

# --- GitHub Actions job ------------------------------------------------------
check 'the workflow is valid YAML with a job' python3 -c '
import sys, yaml
w = yaml.safe_load(open(sys.argv[1]))
assert w["jobs"], "no jobs"
' "$ex/github-actions.yml"
check_file_has 'it runs validate for GitHub annotations' \
    "$ex/github-actions.yml" 'dipb validate --format github'
check_file_has 'it runs verify on the pushed range' \
    "$ex/github-actions.yml" 'dipb verify --since'

finish

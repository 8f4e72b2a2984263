#!/bin/sh
# tests/cli/forge.sh - a board on a plain server and on a forge, as the
# README's "Boards on a server and on a forge" sets them up:
#
#   - examples/server.sh makes the shared bare repository (the hook,
#     dipb.branch); git daemon serves it on localhost, read-only and with
#     pushes, and the hook refuses a plain commit of a record over git://;
#   - the CI examples (examples/github-actions.yml, gitlab-ci.yml,
#     gitea-actions.yml) are parsed as YAML, their scripts checked with
#     sh -n, and their steps run, as extracted from the files (the test
#     fails when an example is wrong), on checkouts made with git as each
#     forge makes them: a clone of depth 1 without tags (actions/checkout's
#     default), then the example's own fetch step.  A push of the board's
#     branch, a pull request of drafts/ files based on an older main while
#     main has newer dipb changes and tags (its head: GitLab, Gitea; the
#     merge, refs/pull/N/merge: GitHub) pass; a pull request that changes a
#     record by hand, or adds a draft that is not valid, fails with the
#     finding.  Whether the job passes or fails, the reports the forge
#     takes from it are there and parse: GitHub's SARIF (version 2.1.0,
#     the upload steps' files), GitLab's JUnit XML and Code Quality JSON
#     (artifacts:reports).
. "$(dirname "$0")/lib.sh"

ex=$DIPB_SRCDIR/examples
shell=bash
command -v bash >/dev/null 2>&1 || shell=sh

# --- The examples, parsed ------------------------------------------------------
if ! python3 -c 'import yaml' 2>/dev/null; then
	skip 'the CI examples parse as YAML' 'no python3-yaml'
	finish
	exit $?
fi
for f in github gitea gitlab; do
	case $f in
	github) y=$ex/github-actions.yml ;;
	gitea) y=$ex/gitea-actions.yml ;;
	gitlab) y=$ex/gitlab-ci.yml ;;
	esac
	check "examples/${y##*/}: YAML, one job, checkout of the whole history, steps the test can run" \
	    python3 "$DIPB_SRCDIR/tests/cli/ciextract.py" $f "$y" "$TROOT/steps/$f"
	_bad=
	for s in "$TROOT/steps/$f/"*.sh "$TROOT/steps/$f/env"; do
		sh -n "$s" 2>>"$TROOT/syntax" || _bad="$_bad ${s##*/}"
	done
	check_eq "examples/${y##*/}: every script passes sh -n" '' "$_bad"
	# The steps that matter are there: the test cannot pass without them.
	cat "$TROOT/steps/$f/"*.sh >"$TROOT/steps/$f.all" 2>/dev/null
	check_file_has "examples/${y##*/} fetches the history and the tags" \
	    "$TROOT/steps/$f.all" 'git fetch .*--unshallow.*--tags'
	check_file_has "examples/${y##*/} runs dipb verify" \
	    "$TROOT/steps/$f.all" '^ *dipb verify'
	check_file_has "examples/${y##*/} validates the drafts" \
	    "$TROOT/steps/$f.all" '(dipb validate .*\. drafts|set -- \. drafts)'
done
check 'examples/server.sh passes sh -n' sh -n "$ex/server.sh"
check 'the example drafts are valid drafts (dipb validate examples/drafts)' \
    dipb validate "$ex/drafts"

# job FORGE DIR: runs the steps of FORGE's example in the checkout DIR as
# the forge would: in order, each in its own shell (GitHub's and Gitea's
# bash -e -o pipefail), a step after a failed one only if it runs
# always; the log in $TROOT/job.log; fails if a step did.
job() {
	_failed=0
	: >"$TROOT/job.log"
	for _s in "$TROOT/steps/$1/"*.sh; do
		_b=${_s%.sh}
		if [ "$_failed" = 1 ] && [ "$(cat "$_b.if")" != always ]; then
			continue
		fi
		echo "## $(cat "$_b.name")" >>"$TROOT/job.log"
		(
			cd "$2" || exit 1
			. "$TROOT/steps/$1/env"
			if [ "$shell" = bash ]; then
				bash --noprofile --norc -e -o pipefail "$_s"
			else
				sh -e "$_s"
			fi
		) </dev/null >>"$TROOT/job.log" 2>&1 || _failed=1
	done
	return "$_failed"
}

# shallow_checkout DIR REF: what actions/checkout (its default, depth 1,
# no tags) and GitLab's runner do: an empty repository, origin, REF
# fetched alone, its commit checked out detached.
shallow_checkout() {
	git init -q "$1" &&
	    git -C "$1" remote add origin "$URL" &&
	    git -C "$1" fetch -q --no-tags --depth=1 origin \
		"+$2:refs/remotes/checkout" &&
	    git -C "$1" checkout -q --detach refs/remotes/checkout
}

# reports FORGE DIR: the reports FORGE takes from the job (ciextract.py's
# "reports" file) are in the checkout DIR, and parse as their kind; prints
# what is wrong.
reports() {
	while read -r _k _f; do
		[ -n "$_k" ] || continue
		python3 -c '
import json, sys
import xml.etree.ElementTree as ET
kind, path = sys.argv[1:3]
try:
    if kind == "junit":
        root = ET.parse(path).getroot()
        assert root.tag in ("testsuites", "testsuite"), root.tag
    elif kind == "sarif":
        d = json.load(open(path))
        assert d.get("version") == "2.1.0", "version %r" % d.get("version")
        assert isinstance(d.get("runs"), list) and d["runs"], "no runs"
    elif kind == "codequality":
        d = json.load(open(path))
        assert isinstance(d, list), "not an array"
    else:
        raise AssertionError("a report of a kind the test does not know")
except Exception as e:
    print("%s %s: %s" % (kind, path, e))' "$_k" "$2/$_f"
	done <"$TROOT/steps/$1/reports"
}

# check_job DESC FORGE REF [pass|fail [ERE]]: a shallow checkout of REF,
# FORGE's job on it passes (or fails, with a log line matching ERE); the
# reports are there either way.
n=0
check_job() {
	n=$((n + 1))
	_co=$TROOT/co.$n
	if ! shallow_checkout "$_co" "$3" >"$TROOT/co.err" 2>&1; then
		not_ok "$1" "the checkout of $3 failed: $(cat "$TROOT/co.err")"
		return
	fi
	job "$2" "$_co"
	_rc=$?
	_r=$(reports "$2" "$_co")
	if [ -n "$_r" ]; then
		not_ok "$1" "the reports the forge takes:" "$_r" \
		    "log:" "$(tail -n 25 "$TROOT/job.log")"
		return
	fi
	case ${4:-pass} in
	pass)
		if [ "$_rc" -eq 0 ]; then
			ok "$1"
		else
			not_ok "$1" "the job failed:" "$(tail -n 25 "$TROOT/job.log")"
		fi ;;
	fail)
		if [ "$_rc" -ne 0 ] && grep -E -q -e "$5" "$TROOT/job.log"; then
			ok "$1"
		else
			not_ok "$1" "expected the job to fail with: $5" \
			    "exit status $_rc; log:" "$(tail -n 25 "$TROOT/job.log")"
		fi ;;
	esac
}

# --- A plain server: examples/server.sh, git daemon ------------------------------
mkdir "$TROOT/srv"
check 'examples/server.sh makes the shared repository' \
    sh "$ex/server.sh" -b main -p "$TROOT/srv/board.git"
srv=$TROOT/srv/board.git
check_out 'it names the board branch (dipb.branch)' main \
    git -C "$srv" config dipb.branch
check 'it installs examples/pre-receive, executable' \
    cmp "$ex/pre-receive" "$srv/hooks/pre-receive"
check 'the hook is executable' test -x "$srv/hooks/pre-receive"
check_out 'HEAD names the board branch' refs/heads/main \
    git -C "$srv" symbolic-ref HEAD
check 'git daemon may serve it' test -f "$srv/git-daemon-export-ok"
check_status 1 'examples/server.sh refuses a folder that is not empty' \
    sh "$ex/server.sh" "$srv"

URL=file://$srv
new_board chair
git remote add origin "$URL"
check 'the first push of the board is accepted by the hook' \
    git push -q --atomic --follow-tags origin main

# A tree git will not check out (a .git component in any spelling, '..')
# would stop every member's clone and sync: git's receive-pack checks
# objects strictly (receive.fsckObjects, which server.sh sets), so fsck's
# warnings hasDotgit and hasDotdot refuse the push before the hook runs.
_sub=$(printf '100644 blob %s\tconfig\n' \
    "$(echo x | git hash-object -w --stdin)" | git mktree)
for _name in sub/.git .GIT 'git~1' '.git.' ..; do
	_t=$_sub
	case $_name in
	*/*) _t=$(printf '040000 tree %s\t.git\n' "$_t" | git mktree) ;;
	esac
	_t=$( (git ls-tree HEAD; printf '040000 tree %s\t%s\n' "$_t" \
	    "${_name%%/*}") | git mktree)
	_c=$(git commit-tree -p HEAD -m "a $_name path" "$_t")
	check_status 1 "the server refuses a commit of a '$_name' path (fsck)" \
	    git push origin "$_c:refs/heads/main"
	check_err_re '  naming the fsck message' 'hasDot(git|dot)'
done
check_out 'the board branch on the server is unchanged' \
    "$(git rev-parse HEAD)" git -C "$srv" rev-parse main
as drafter
id1=$(mkrec industrial-capacity 'Framework contracts')

# git daemon on localhost, on a free port, stopped at the end (or when
# the script is stopped: lib.sh's clean-up then runs too).
daemon_pid=
port=
trap '[ -n "$daemon_pid" ] && kill "$daemon_pid" 2>/dev/null; _cleanup' EXIT
for p in 19418 29418 39418 49418; do
	git daemon --reuseaddr --listen=127.0.0.1 --port=$p \
	    --base-path="$TROOT/srv" --allow-override=receive-pack \
	    --pid-file="$TROOT/daemon.pid" "$TROOT/srv" \
	    >"$TROOT/daemon.log" 2>&1 &
	_d=$!
	_i=0
	while [ $_i -lt 50 ] && kill -0 $_d 2>/dev/null &&
	    ! git ls-remote "git://127.0.0.1:$p/board.git" >/dev/null 2>&1; do
		sleep 0.1
		_i=$((_i + 1))
	done
	if kill -0 $_d 2>/dev/null; then
		daemon_pid=$_d
		port=$p
		break
	fi
done
if [ -z "$daemon_pid" ]; then
	skip 'git daemon serves the board' "no free port ($(head -n 3 "$TROOT/daemon.log"))"
else
	git remote add daemon "git://127.0.0.1:$port/board.git"
	check 'a dipb change is pushed over git:// (daemon.receivepack)' \
	    git push -q --atomic --follow-tags daemon main
	check 'a clone over git:// has it, and verifies' sh -c '
	    git clone -q "$1" "$2" && cd "$2" && dipb verify' sh \
	    "git://127.0.0.1:$port/board.git" "$TROOT/dclone"
	sedit "recommendations/$id1.yaml" 's/^title: .*/title: Changed by hand/'
	git commit -q -am 'a hand edit'
	check_status 1 'the hook refuses a plain commit of a record over git://' \
	    git push --atomic --follow-tags daemon main
	check_err 'naming the rule' '[plain-commit]'
	git reset -q --hard HEAD~1
	git -C "$srv" config --unset daemon.receivepack
	as drafter
	mkrec industrial-capacity 'Not over git daemon' >/dev/null
	check_status nonzero 'without daemon.receivepack, git daemon is read-only' \
	    git push --atomic --follow-tags daemon main
	git reset -q --hard HEAD~1
	git tag -d IC-0002/1-drafted >/dev/null
	kill "$daemon_pid" 2>/dev/null
	wait "$daemon_pid" 2>/dev/null
	daemon_pid=
fi

# --- The board and its pull requests ----------------------------------------------
# main: the board and IC-0001, published; a pull request of drafts based
# on it; then main gains newer changes and tags.
cd "$BOARD"
git push -q --atomic --follow-tags origin main 2>/dev/null
old=$(git rev-parse HEAD)

git checkout -q -b proposal "$old"
mkdir drafts
cp "$ex/drafts/ic-workforce-skills.yaml" "$ex/drafts/scs-long-lead-items.yaml" \
    drafts/
git add drafts
git commit -q -m 'drafts: workforce skills, long-lead items'
git push -q origin proposal:refs/pull/1/head \
    proposal:refs/merge-requests/1/head

git checkout -q main
as drafter
id2=$(mkrec industrial-capacity 'Second')
drive "$id1" in-review
git push -q --atomic --follow-tags origin main 2>/dev/null
check 'main has tags newer than the pull request' \
    sh -c '! git merge-base --is-ancestor "$1" proposal' sh "$id2/1-drafted"

# GitHub's refs/pull/1/merge: the pull request merged into main, by git.
git checkout -q -b merge1 main
git merge -q --no-ff -m 'Merge pull request #1 from proposal' proposal
git push -q origin merge1:refs/pull/1/merge

# Pull request 2: a record changed by hand, and its merge.
git checkout -q -b hand "$old"
sedit "recommendations/$id1.yaml" 's/^title: .*/title: Changed by hand/'
git commit -q -am "$id1: a better title"
git push -q origin hand:refs/pull/2/head hand:refs/merge-requests/2/head
git checkout -q -b merge2 main
git merge -q --no-ff -m 'Merge pull request #2 from hand' hand >/dev/null 2>&1 ||
    { git checkout -q --theirs . && git commit -q -am 'Merge pull request #2'; }
git push -q origin merge2:refs/pull/2/merge

# Pull request 3: a draft that recommend --from would refuse.
git checkout -q -b baddraft main
mkdir -p drafts
printf 'title: No summary\nworking_group: industrial-capacity\nstatus: draft\n' \
    >drafts/bad.yaml
git add drafts
git commit -q -m 'drafts: a bad one'
git push -q origin baddraft:refs/pull/3/head baddraft:refs/merge-requests/3/head
git checkout -q -b merge3 main
git merge -q --no-ff -m 'Merge pull request #3' baddraft
git push -q origin merge3:refs/pull/3/merge

# Pull request 4: a record changed by hand, and the reports the job writes
# committed as symbolic links to a file outside the checkout (on a forge,
# ~/.dipb/bin/dipb: the job's dipb then an empty script that exits 0).
echo 'the victim' >"$TROOT/victim"
git checkout -q -b linked "$old"
sedit "recommendations/$id1.yaml" 's/^title: .*/title: Changed by hand/'
for r in dipb-verify.sarif dipb-validate.sarif dipb-verify.xml \
    dipb-code-quality.json; do
	ln -s "$TROOT/victim" "$r"
done
git add -A
git commit -q -m "$id1: a better title"
git push -q origin linked:refs/pull/4/head linked:refs/merge-requests/4/head
git checkout -q -b merge4 main
git merge -q --no-ff -m 'Merge pull request #4 from linked' linked \
    >/dev/null 2>&1 ||
    { git checkout -q --theirs . && git add -A &&
    git commit -q -m 'Merge pull request #4'; }
git push -q origin merge4:refs/pull/4/merge
git checkout -q main

# Pull request 5: a history that is no board (no dipb.yaml): verify and
# validate cannot run (exit 5), no analysis.
git checkout -q --orphan noboard
git rm -q -r --cached . >/dev/null
echo 'Not a board' >README
git add README
git commit -q -m 'a repository of no board'
git push -q origin noboard:refs/pull/5/merge noboard:refs/merge-requests/5/head
git checkout -q -f main
git branch -q -D noboard

# --- The jobs ----------------------------------------------------------------------
# Without the example's fetch step, a checkout of depth 1 is not enough:
# verify cannot judge a history it does not have.
shallow_checkout "$TROOT/bare-co" refs/heads/main >/dev/null 2>&1
(cd "$TROOT/bare-co" && git checkout -q -B dipb-check)
check_status nonzero 'dipb verify fails in a shallow checkout without the fetch step' \
    sh -c 'cd "$1" && dipb verify' sh "$TROOT/bare-co"

for f in github gitea gitlab; do
	check_job "$f: a push of main passes" $f refs/heads/main
done
check_job 'github: pull request #1 (drafts), refs/pull/1/merge, passes' \
    github refs/pull/1/merge
check_job 'gitea: pull request #1 (drafts), its head on an older main, passes' \
    gitea refs/pull/1/head
check_job 'gitlab: merge request !1 (drafts), its head on an older main, passes' \
    gitlab refs/merge-requests/1/head
# Its merge commit changes the record: a finding on the record's file
# (plain-commit, or the rule verify has for a merge that does).
check_job 'github: pull request #2 (a record changed by hand) fails, naming the record' \
    github refs/pull/2/merge fail \
    "^::error file=recommendations/$id1\\.yaml,title=dipb verify \\[(plain-commit|merge)\\]"
check_job 'gitea: pull request #2 fails: plain-commit' \
    gitea refs/pull/2/head fail '\[plain-commit\]'
check_job 'gitlab: merge request !2 fails: plain-commit' \
    gitlab refs/merge-requests/2/head fail '\[plain-commit\]'
check_job 'github: pull request #3 (a draft without a summary) fails: required' \
    github refs/pull/3/merge fail "^::error file=drafts/bad.yaml.*'summary'"
check_job 'gitlab: merge request !3 fails, naming the draft and the key' \
    gitlab refs/merge-requests/3/head fail "^drafts/bad.yaml:.*\[input-key\]"
check_job 'github: pull request #4 (a hand edit, the reports committed as links) fails' \
    github refs/pull/4/merge fail \
    "^::error file=recommendations/$id1\\.yaml,title=dipb verify \\[(plain-commit|merge)\\]"
check_job 'gitlab: merge request !4 (the same) fails: plain-commit' \
    gitlab refs/merge-requests/4/head fail '\[plain-commit\]'
check_eq 'the jobs wrote no report through a committed link' 'the victim' \
    "$(cat "$TROOT/victim")"

# A run that cannot finish (exit 5) still writes its report, and the job
# leaves it for the forge (dipb-ci(7)): SARIF's failed invocation, which
# code scanning takes for a failed analysis and not for one that found
# nothing; GitLab's one Code Quality issue naming the cause; a JUnit
# error.  verify: no board; validate (which, given no file of a board,
# checks nothing and passes): run by a dipb whose -C names a folder that
# is not there, exit 5 too.
mkdir "$TROOT/failbin"
{
	echo '#!/bin/sh'
	echo 'case $1 in'
	echo "validate) exec '$DIPB' -C '$TROOT/no-such-folder' \"\$@\" ;;"
	echo 'esac'
	echo "exec '$DIPB' \"\$@\""
} >"$TROOT/failbin/dipb"
chmod +x "$TROOT/failbin/dipb"
# failed_sarif FILE: "exitCode message" of FILE's one failed invocation,
# with no results.
failed_sarif() {
	python3 -c 'import json, sys
run = json.load(open(sys.argv[1]))["runs"][0]
assert run["results"] == [], "results"
inv, = run["invocations"]
assert inv["executionSuccessful"] is False, "executionSuccessful"
note, = inv["toolExecutionNotifications"]
assert note["level"] == "error", "level"
print(inv["exitCode"], note["message"]["text"])' "$1" 2>&1
}
n=$((n + 1))
shallow_checkout "$TROOT/co.$n" refs/pull/5/merge >/dev/null 2>&1
(PATH=$TROOT/failbin:$PATH && job github "$TROOT/co.$n")
check_eq 'github: no board: the job fails' 1 "$?"
check_file_has 'github: no board: an annotation says why verify did not run' \
    "$TROOT/job.log" '^::error title=dipb verify::not a board repository'
check_eq 'github: no board: both SARIF logs are left to upload' \
    'dipb-validate.sarif dipb-verify.sarif' \
    "$(cd "$TROOT/co.$n" && echo dipb-*.sarif)"
check_eq "github: no board: verify's log says the run failed, and why" \
    '5 not a board repository' \
    "$(failed_sarif "$TROOT/co.$n/dipb-verify.sarif" | cut -d ' ' -f 1-5)"
check_eq "github: validate cannot run: its log says so, and why" \
    "5 cannot change to '$TROOT/no-such-folder':" \
    "$(failed_sarif "$TROOT/co.$n/dipb-validate.sarif" | cut -d ' ' -f 1-5)"
n=$((n + 1))
shallow_checkout "$TROOT/co.$n" refs/merge-requests/5/head >/dev/null 2>&1
(PATH=$TROOT/failbin:$PATH && job gitlab "$TROOT/co.$n")
check_eq 'gitlab: no board: the job fails' 1 "$?"
check 'gitlab: no board: the JUnit report holds the error' \
    grep -q '<error type="exit status 5" message="not a board repository' \
    "$TROOT/co.$n/dipb-verify.xml"
check_eq 'gitlab: validate cannot run: the Code Quality report names why' \
    'validate major dipb.yaml 1 dipb validate could not run: cannot change' \
    "$(python3 -c 'import json, sys
i, = json.load(open(sys.argv[1]))
print(i["check_name"], i["severity"], i["location"]["path"],
    i["location"]["lines"]["begin"], " ".join(i["description"].split()[:7]))' \
    "$TROOT/co.$n/dipb-code-quality.json" 2>&1)"

# --- After the merge: the draft becomes a record -------------------------------------
cd "$BOARD"
git merge -q --no-ff -m 'Merge pull request #1 from proposal' proposal
as drafter
check 'dipb recommend --from drafts/FILE turns a merged draft into a record' \
    dipb recommend --from drafts/ic-workforce-skills.yaml --no-edit
id3=$(cat "$OUT")
check_eq 'the record has the title of the draft' \
    'Skilled workforce for munitions production and qualification' \
    "$(field "$id3" title)"
git rm -q drafts/ic-workforce-skills.yaml
git commit -q -m "drafts: ic-workforce-skills.yaml is $id3"
check 'the merge, the record and the removal of the draft verify' dipb verify
check 'and are accepted by the hook' git push -q --atomic --follow-tags origin main

finish

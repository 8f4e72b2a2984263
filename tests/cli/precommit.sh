#!/bin/sh
# tests/cli/precommit.sh - examples/pre-commit as git runs it on 'git
# commit', and the hooks of .pre-commit-hooks.yaml as the pre-commit
# framework runs them: each message, each refusal leaving HEAD where it
# was, and each command a message names, run as it is printed, making a
# change that git and 'dipb verify' find sound.
. "$(dirname "$0")/lib.sh"

ex=$DIPB_SRCDIR/examples
# The hook runs $DIPB when it is set: here, the 'dipb' on PATH, as a user
# has it (lib.sh links the binary under test there).
unset DIPB

# commit DESC STATUS MSG: 'git commit' of what is staged exits with STATUS
# (0: HEAD moved; otherwise HEAD did not move); $ERR is then the commit's.
commit() {
	_before=$(head_rev)
	check_status "$2" "$1" git commit -q -m "$3"
	cp "$ERR" "$TROOT/commit.err"
	if [ "$2" = 0 ]; then
		check 'HEAD moved' sh -c '[ "$(git rev-parse HEAD)" != "$1" ]' \
		    sh "$_before"
	else
		check_out 'nothing was committed' "$_before" head_rev
	fi
	cp "$TROOT/commit.err" "$ERR"
}

# said_cmd PREFIX: the command the hook's refusal of the last commit names
# after PREFIX ("make it one: ", "undo it: "), up to the end or " (".
said_cmd() {
	sed -n "s/^pre-commit:   $1//p" "$TROOT/commit.err" | sed 's/ (.*//' |
	    head -n 1
}

new_board hook
as drafter
id=$(mkrec industrial-capacity 'Hooked')
f=recommendations/$id.yaml
cp "$ex/pre-commit" .git/hooks/pre-commit
chmod +x .git/hooks/pre-commit

# --- plain commits of other files ---------------------------------------------
echo 'not yaml: [' >notes.txt
git add notes.txt
commit 'a commit that touches no board file is not checked' 0 notes

# --- dipb not installed ---------------------------------------------------------
# A PATH with git and the tools the hook runs, and no dipb.
mkdir "$TROOT/nodipb"
for t in git sh tr paste mktemp rm mkdir sed cat; do
	ln -s "$(command -v $t)" "$TROOT/nodipb/$t"
done
sedit "$f" 's/^title: Hooked$/title: Hooked, by hand/'
git add "$f"
_before=$(head_rev)
check_status 1 'without dipb on PATH, a commit of a record is refused' \
    env PATH="$TROOT/nodipb" git commit -q -m 'hand edit'
check_err 'saying so, and how to install it' \
    'pre-commit: dipb: command not found, install it: make install'
check 'not as invalid files' sh -c '! grep -q "not valid" "$1"' sh "$ERR"
check_out 'nothing was committed' "$_before" head_rev
check_status 1 'DIPB naming a program that is not there: the same' \
    env DIPB=/nonexistent/dipb git commit -q -m 'hand edit'
check_err 'naming that program' \
    'pre-commit: /nonexistent/dipb: command not found, install it:'
echo more >>notes.txt
git add notes.txt
git restore -q --staged "$f"
check 'without dipb, a commit of no board file passes' \
    env PATH="$TROOT/nodipb" git commit -q -m 'notes without dipb'
git add "$f"

# --- a hand edit of a draft: refused, and dipb edit --no-edit makes it ---------
commit 'a valid hand edit of a draft record is refused' 1 'hand edit'
check_err 'the hook says the record was changed by hand' \
    "pre-commit: $f: $id changed by hand; a record changes by a dipb change (dipb verify: plain-commit)"
check_err 'and names dipb edit ID --no-edit' \
    "pre-commit:   make it one: git restore --staged :/$f && dipb edit $id --no-edit"
check_err 'the commit is refused' 'pre-commit: the commit is refused'
# dipb-ci(7)'s example shows those lines, wrapped to the page's width.
page=$(awk '/^\$ git commit -qam .IC-0001: high priority.$/ { p = 1; next }
    p && /^\$ / { exit } p' "$DIPB_SRCDIR/man/dipb-ci.7" |
    awk 'NR > 1 && !/^pre-commit:/ { printf " %s", $0; next }
	NR > 1 { print "" } { printf "%s", $0 } END { print "" }' |
    sed "s|recommendations/IC-0001\.yaml|$f|g; s|IC-0001|$id|g")
check_eq "dipb-ci(7)'s example shows what the hook says" "$page" \
    "$(grep '^pre-commit:' "$ERR")"
cmd=$(said_cmd 'make it one: ')
check 'the command the hook names makes the change, run in a subfolder' \
    sh -c "cd recommendations && $cmd"
check_out 'a dipb change: its tag' "$id/2-edited" git describe --exact-match HEAD
check_eq 'the edit is in the record' 'Hooked, by hand' "$(field "$id" title)"
check_out 'nothing left staged or changed' '' git status --porcelain
verify_clean 'dipb verify finds the history sound'
check 'git fsck --strict' git fsck --strict --no-progress

# --- an invalid record, as staged -------------------------------------------------
sedit "$f" 's/^status: draft$/status: sideways/'
git add "$f"
sedit "$f" 's/^status: sideways$/status: draft/'
commit 'an invalid staged record is refused (the working tree is valid)' 1 \
    'hand edit'
check_err 'the hook names the file, line and column' "$f:4:9: error:"
check_err 'says the staged files are not valid' \
    'pre-commit: the staged files above are not valid'
check_err 'and still names dipb edit' "dipb edit $id --no-edit"
git restore -q --staged "$f"

# --- a record past draft: dipb edit cannot; undo ---------------------------------
drive "$id" in-review
sedit "$f" 's/^priority: .*/priority: high/'
git add "$f"
commit 'a hand edit of a record in review is refused' 1 'hand edit'
check_err 'saying dipb edit cannot change it' \
    "pre-commit: $f: $id changed by hand; it is in-review, which dipb edit cannot change"
check 'no dipb edit offered' sh -c '! grep -q "dipb edit" "$1"' sh "$ERR"
cmd=$(said_cmd 'undo it: ')
check 'the command the hook names undoes the edit' sh -c "$cmd"
check_out 'nothing left staged or changed' '' git status --porcelain

# --- a record added, a record removed -----------------------------------------------
sed "s/^id: $id\$/id: IC-0099/" "$f" >recommendations/IC-0099.yaml
git add recommendations/IC-0099.yaml
commit 'a record added by hand is refused' 1 'new record'
check_err 'naming dipb recommend' \
    'recommendations/IC-0099.yaml: a record added by hand; dipb recommend makes records'
git rm -q --cached recommendations/IC-0099.yaml
rm recommendations/IC-0099.yaml
git rm -q "$f"
commit 'a record removed by hand is refused' 1 'removal'
check_err 'naming dipb withdraw' \
    "$f: a record removed by hand; a record stays, withdrawn (dipb withdraw)"
cmd=$(said_cmd 'restore it: ')
check 'the command the hook names restores it' sh -c "$cmd"
check_out 'nothing left staged or changed' '' git status --porcelain

# A record or dipb.yaml made a symbolic link (git's type change, T): a
# change of that file, not a meeting's nor a new board.
for tf in "$f" dipb.yaml; do
	cp "$tf" "$TROOT/linked.yaml"
	rm "$tf"
	ln -s "$TROOT/linked.yaml" "$tf"
	git add "$tf"
	commit "$tf made a symbolic link by hand is refused" 1 'link'
	check_err_re "$tf made a symbolic link: said so, not a meeting's change" \
	    "^pre-commit: $tf: (a record )?made a symbolic link, or a file again, by hand; "
	check 'and nothing about a meeting or a new board' \
	    sh -c '! grep -E -q "meeting|added by hand" "$1"' sh "$TROOT/commit.err"
	cmd=$(said_cmd 'undo it: ')
	check "$tf made a symbolic link: the command the hook names restores it" \
	    sh -c "$cmd"
	check_out 'nothing left staged or changed' '' git status --porcelain
done

# --- dipb.yaml ---------------------------------------------------------------------
sedit dipb.yaml 's/^short_name: TB$/short_name: TPB/'
git add dipb.yaml
commit 'a hand edit of dipb.yaml is refused' 1 'board'
check_err 'naming dipb edit --board --no-edit' \
    'pre-commit:   make it one: git restore --staged :/dipb.yaml && dipb edit --board --no-edit'
cmd=$(said_cmd 'make it one: ')
as chair
check 'the command the hook names makes the change (the chair)' sh -c "$cmd"
check_out 'a dipb change: its tag' board/2-changed git describe --exact-match HEAD
check_out 'nothing left staged or changed' '' git status --porcelain
verify_clean 'dipb verify finds the history sound'

# --- a meeting ------------------------------------------------------------------------
mkdir -p meetings
printf 'date: 2026-03-10\n' >meetings/2026-03-10.yaml
git add meetings
commit 'a meeting added by hand is refused' 1 'a meeting'
check_err 'naming dipb meeting' \
    'pre-commit: meetings/2026-03-10.yaml: a meeting added by hand; dipb meeting records meetings'
cmd=$(said_cmd 'unstage it: ')
check 'the command the hook names unstages it' sh -c "$cmd"
rm -r meetings
check_out 'nothing left staged or changed' '' git status --porcelain

# A name with spaces and a quote: the command the hook names, pasted as
# printed, unstages it (git ls-files the oracle).
mkdir -p meetings "recommendations/a b"
m="meetings/2026 03 11's.yaml"
r="recommendations/a b/.x y.yaml"
printf 'date: 2026-03-11\n' >"$m"
cp "$f" "$r"
git add -f "$m" "$r"
commit 'a meeting and a record added by hand, their names spaced' 1 'spaced'
cmd=$(said_cmd 'unstage it: ')
check 'the command the hook names for the meeting unstages it' sh -c "$cmd"
check_out '... the meeting no longer staged' '' git ls-files -- "$m"
cmd=$(sed -n 's/^pre-commit:   unstage it (\(.*\)), then: .*/\1/p' \
    "$TROOT/commit.err" | head -n 1)
check 'the command the hook names for the record unstages it' sh -c "$cmd"
check_out '... the record no longer staged' '' git ls-files -- "$r"
rm -r meetings "recommendations/a b"
check_out 'nothing left staged or changed' '' git status --porcelain

git rm -q dipb.yaml
commit 'removing dipb.yaml by hand is refused' 1 'no board'
check_err 'saying a board stays' 'pre-commit: dipb.yaml: removed by hand; a board stays'
cmd=$(said_cmd 'restore it: ')
check 'the command the hook names restores it' sh -c "$cmd"
check_out 'nothing left staged or changed' '' git status --porcelain

# --- a board made by hand, on a first commit ----------------------------------------
mkdir "$TROOT/byhand"
(
	cd "$TROOT/byhand" || exit 1
	git init -q
	cp "$BOARD/.git/hooks/pre-commit" .git/hooks/
	cp "$BOARD_CONFIG" dipb.yaml
	git add dipb.yaml
	commit 'a first commit of dipb.yaml by hand is refused' 1 'a board'
	check_err 'naming dipb init --config' \
	    'pre-commit:   make it one, from the top of the working tree: git rm -q --cached dipb.yaml && mv dipb.yaml dipb.yaml.new && dipb init --config dipb.yaml.new && rm dipb.yaml.new'
	cmd=$(said_cmd 'make it one, from the top of the working tree: ')
	check 'the command the hook names makes the board' sh -c "$cmd"
	check_out 'its tag' board/1-created git describe --exact-match HEAD
	check_out 'nothing left staged or changed' '' git status --porcelain
	verify_clean 'dipb verify finds it sound'
)

# --- drafts: plain commits, validated -----------------------------------------------
as drafter
mkdir drafts
cp "$ex/drafts/ic-workforce-skills.yaml" drafts/
git add drafts
commit 'a valid draft commits' 0 'a draft'
printf 'title: No summary\nworking_group: industrial-capacity\nstatus: draft\n' \
    >drafts/bad.yaml
git add drafts/bad.yaml
commit 'an invalid draft is refused' 1 'a bad draft'
check_err_re 'naming the draft, line and column' \
    '^drafts/bad\.yaml:[0-9]+:[0-9]+: error: .*\[input-key\]$'
check 'and nothing else' sh -c '! grep -q "by hand" "$1"' sh "$ERR"
git rm -q --cached drafts/bad.yaml
rm drafts/bad.yaml
# A draft with a working group the board lacks, beside a drafts/dipb.yaml
# that has it: the draft is checked against the board (dipb-validate(1)),
# and that dipb.yaml, no board, is a draft that fails.
sed 's/industrial-capacity/no-such-group/' dipb.yaml >drafts/dipb.yaml
printf 'title: T\nworking_group: no-such-group\nsummary: S\n' >drafts/shadow.yaml
git add drafts/dipb.yaml drafts/shadow.yaml
commit 'a draft beside a board of its own in drafts/ is refused' 1 'shadow'
check_err_re 'the draft checked against the board' \
    "^drafts/shadow\.yaml:2:16: error: unknown working group 'no-such-group' \[working-group\]\$"
check_err_re 'drafts/dipb.yaml is a draft, no board' \
    "^drafts/dipb\.yaml:1:1: error: unknown key 'board' \[unknown-key\]\$"
git rm -q --cached drafts/dipb.yaml drafts/shadow.yaml
rm drafts/dipb.yaml drafts/shadow.yaml

# --- a merge of the board's branch: refused, a rebase instead -------------------------
git checkout -q -b proposal
echo 'a proposal' >proposal.txt
git add proposal.txt
commit 'a plain commit on a branch' 0 'proposal'
git checkout -q main
id2=$(mkrec industrial-capacity 'Newer on main')
git checkout -q proposal
git merge -q --no-commit --no-ff main >/dev/null 2>&1
check 'git merge --no-commit stages main'"'"'s new record' \
    sh -c '! git diff --cached --quiet HEAD -- "$1"' sh "recommendations/$id2.yaml"
commit 'concluding a merge that brings dipb changes is refused' 1 'merge'
check_err 'saying they come by dipb sync or a rebase, not a merge' \
    "pre-commit: recommendations/$id2.yaml: brought by a merge; dipb changes reach a branch by dipb sync or a rebase, not by a merge (dipb verify: merge)"
check 'not as a hand edit' sh -c '! grep -q "by hand" "$1"' sh "$TROOT/commit.err"
cmd=$(said_cmd 'undo it: ')
check 'the command the hook names aborts the merge' sh -c "$cmd"
check 'git rebase, as it says, brings the branch up to date' git rebase -q main
verify_clean 'dipb verify finds the rebased branch sound'
# A merge git commits itself runs pre-merge-commit, not pre-commit: the
# same hook, installed under that name too.
git checkout -q main
id4=$(mkrec industrial-capacity 'Newest on main')
git checkout -q proposal
cp .git/hooks/pre-commit .git/hooks/pre-merge-commit
_before=$(head_rev)
check_status 1 'as pre-merge-commit, it refuses git merge of dipb changes' \
    git merge -q --no-ff -m 'merge main' main
check_err 'naming the record' "pre-commit: recommendations/$id4.yaml: brought by a merge"
check_out 'nothing was committed' "$_before" head_rev
git merge --abort
# What the hook refuses, verify refuses too.
git merge -q --no-ff --no-verify -m 'merge main, past the hook' main >/dev/null 2>&1
check_rule 'such a merge, made past the hook' merge "recommendations/$id4\.yaml"
git reset -q --hard HEAD~1
git checkout -q main

# --- a record file below the shards: validated as staged -----------------------
# Any .yaml file below recommendations/, 16 folders deep, is a record file
# every dipb command reads (dipb-record(5)): the hook validates it too.
d=recommendations/archive/2020/old
mkdir -p "$d"
printf 'junk: [\n' >"$d/notes.yaml"
git add "$d/notes.yaml"
commit 'a record file 3 folders deep, added by hand' 1 'deep notes'
check_err 'validated as staged: the file, line and column' "$d/notes.yaml:2:1: error:"
check_err 'said not valid' 'pre-commit: the staged files above are not valid'
git rm -q --cached "$d/notes.yaml"
rm -rf recommendations/archive

# --- .pre-commit-hooks.yaml, as the pre-commit framework runs it ----------------------
# The framework matches 'files' with Python's re.search on the staged
# paths, runs 'entry' (a script's path from the hook repository's top) with
# the matching paths unless pass_filenames is false, in the repository's
# top folder.
hooks=$DIPB_SRCDIR/.pre-commit-hooks.yaml
if ! python3 -c 'import yaml' 2>/dev/null; then
	skip '.pre-commit-hooks.yaml parses' 'no python3-yaml'
	finish
	exit $?
fi
check '.pre-commit-hooks.yaml: a list of hooks, each with the keys the framework requires' \
    python3 -c '
import re, sys, yaml
hooks = yaml.safe_load(open(sys.argv[1]))
assert isinstance(hooks, list) and hooks, "not a list"
ids = set()
for h in hooks:
    for k in ("id", "name", "entry", "language"):
        assert isinstance(h.get(k), str) and h[k], "%r: no %s" % (h, k)
    assert h["language"] in ("system", "script"), h["language"]
    assert h["id"] not in ids, h["id"]
    ids.add(h["id"])
    re.compile(h.get("files", ""))
assert ids == {"dipb", "dipb-validate", "dipb-verify"}, ids
' "$hooks"
# One line a hook: id, language, entry, pass_filenames, stages, files.
python3 -c '
import sys, yaml
for h in yaml.safe_load(open(sys.argv[1])):
    print("\t".join([h["id"], h["language"], h["entry"],
                     str(h.get("pass_filenames", True)).lower(),
                     ",".join(h.get("stages", ["pre-commit"])),
                     h.get("files", "")]))' "$hooks" >"$TROOT/hooks" 2>&1
hookf() { awk -F '\t' -v id="$1" -v n="$2" '$1 == id { print $n }' "$TROOT/hooks"; }

check_eq "the 'dipb' hook runs examples/pre-commit as a script" \
    'script examples/pre-commit false' \
    "$(hookf dipb 2) $(hookf dipb 3) $(hookf dipb 4)"
check_out 'examples/pre-commit is executable as git checks it out' \
    100755 sh -c 'git -C "$1" ls-files -s examples/pre-commit | cut -d " " -f 1' \
    sh "$DIPB_SRCDIR"
check_eq "'dipb-verify' runs before a push" pre-push "$(hookf dipb-verify 5)"
for id in dipb dipb-validate; do
	check "the files of '$id': record files (dipb-record(5)), meetings, drafts, dipb.yaml, and nothing else" \
	    python3 -c '
import re, sys
r = re.compile(sys.argv[1])
deep = "recommendations/" + "".join("%d/" % i for i in range(1, 17))
yes = ["dipb.yaml", "recommendations/IC-0001.yaml", "meetings/2026-03-10.yaml",
       "drafts/ic-workforce-skills.yaml", "recommendations/IC/01/IC-0150.yaml",
       "recommendations/old/IC-0001.yaml", "recommendations/.IC-0002.yaml",
       "recommendations/.yaml", "recommendations/a/b/c/IC-0001.yaml",
       deep + "IC-0001.yaml"]
no = ["notes.txt", "sub/dipb.yaml", "recommendations/IC-0001.yml",
      "meetings/old/2026-03-10.yaml", deep + "17/IC-0001.yaml",
      "dipb.yaml.orig", "README.md", "recommendations/IC/"]
bad = [p for p in yes if not r.search(p)] + [p for p in no if r.search(p)]
sys.exit("wrong: %s" % bad if bad else 0)' "$(hookf "$id" 6)"
done

# run_hook ID: runs hook ID in the board as the framework would, on the
# staged files its pattern matches.
run_hook() {
	_e=$(hookf "$1" 3)
	if [ "$(hookf "$1" 2)" = script ]; then
		_e=$DIPB_SRCDIR/$_e
	fi
	git diff --cached --name-only --diff-filter=ACMR >"$TROOT/staged"
	python3 -c '
import re, sys
r = re.compile(sys.argv[1])
for l in open(sys.argv[2]):
    if r.search(l.strip()): print(l.strip())' "$(hookf "$1" 6)" \
	    "$TROOT/staged" >"$TROOT/matched"
	if [ "$(hookf "$1" 4)" = false ]; then
		: >"$TROOT/args"
	else
		cp "$TROOT/matched" "$TROOT/args"
	fi
	# shellcheck disable=SC2086,SC2046 # entry: a command and its words
	run $_e $(cat "$TROOT/args")
}

id3=$(mkrec industrial-capacity 'Framework')
f3=recommendations/$id3.yaml
sedit "$f3" 's/^title: Framework$/title: Framework, by hand/'
git add "$f3"
run_hook dipb
check_eq "hook 'dipb' refuses a valid hand edit of a record" 1 "$RC"
check_err "naming dipb edit $id3 --no-edit" "dipb edit $id3 --no-edit"
run_hook dipb-validate
check_eq "hook 'dipb-validate' passes it (it is valid)" 0 "$RC"
sedit "$f3" 's/^status: draft$/status: sideways/'
git add "$f3"
run_hook dipb-validate
check_eq "hook 'dipb-validate' refuses an invalid one" 1 "$RC"
check_file_has 'naming the file, line and column' "$OUT" "^$f3:4:9: error:"
git restore -q --staged --worktree "$f3"
run_hook dipb-verify
check_eq "hook 'dipb-verify' passes a sound history" 0 "$RC"
sedit "$f3" 's/^title: Framework$/title: Framework, by hand/'
git commit -q --no-verify -am 'a hand edit, past the hook'
run_hook dipb-verify
check_eq "hook 'dipb-verify' fails on a plain commit of a record" 1 "$RC"
check_file_has 'naming the rule' "$OUT" '\[plain-commit\]$'

finish

#!/bin/sh
# tests/cli/init.sh - dipb init, and what every command shares: global
# options, usage errors, running outside a board.
. "$(dirname "$0")/lib.sh"

# --- init DIR in a directory that is not a repository: the template ------
cd "$TROOT" || exit 1
as chair
check 'init DIR makes a board of a new directory' dipb init fresh
check_eq 'init prints its tag on stderr, and that the board has no keys' \
    "board/1-created
dipb: warning: this board lists no signing keys: its history is unauthenticated (dipb-board(5), \"Signing\")" \
    "$(cat "$ERR")"
cd fresh || exit 1
check 'DIR is now a git repository' git rev-parse --git-dir
check_out 'one commit' 1 git rev-list --count HEAD
check_out 'one tag, board/1-created' board/1-created git tag -l
check_out 'board/1-created is an annotated tag' tag \
    git cat-file -t board/1-created
check_out 'board/1-created is on HEAD' "$(git rev-parse HEAD)" \
    git rev-parse 'board/1-created^{commit}'
check_out 'the tagger is the acting identity' '<chair@example.org>' \
    git for-each-ref --format='%(taggeremail)' refs/tags/board/1-created
check_out 'the author is the acting identity' 'Clara Chair <chair@example.org>' \
    git log -1 --format='%an <%ae>'
check_out 'the committer is the acting identity' \
    'Clara Chair <chair@example.org>' git log -1 --format='%cn <%ce>'
check_out 'subject' 'board: created by Clara Chair' git log -1 --format=%s
check_out 'trailer Dipb-Record: board' board trailer Dipb-Record
check_out 'trailer Dipb-Event: created' created trailer Dipb-Event
check_out 'no Dipb-Status trailer' '' trailer Dipb-Status
check_out 'the commit holds dipb.yaml and .gitattributes' \
    "$(printf '.gitattributes\ndipb.yaml')" \
    git diff-tree --root --no-commit-id --name-only -r HEAD
check '.gitattributes says *.yaml text eol=lf' \
    sh -c 'git show HEAD:.gitattributes | grep -x -F "*.yaml text eol=lf"'
check 'recommendations/ is there' test -d recommendations
check_out 'git status --porcelain is empty' '' \
    git status --porcelain --untracked-files=all
# The template: the three working groups, the acting identity as chair.
check 'the template has IC, SCS and SI' python3 -c '
import yaml
b = yaml.safe_load(open("dipb.yaml"))
assert [w["prefix"] for w in b["working_groups"]] == ["IC", "SCS", "SI"], b
assert [w["key"] for w in b["working_groups"]] == ["industrial-capacity",
    "supply-chain-security", "standardisation-interoperability"], b'
check 'the template has the acting identity as chair' python3 -c '
import yaml
b = yaml.safe_load(open("dipb.yaml"))
m = [m for m in b["members"] if m["email"] == "chair@example.org"]
assert len(m) == 1 and "chair" in m[0]["roles"], b["members"]
assert m[0]["name"] == "Clara Chair", m'
check 'dipb list works on the template board' dipb list
check_fsck

# The board works: the chair (the only member) may submit, no one drafts.
check_refused 3 'needs the drafter role' \
    'the template chair is not a drafter' \
    dipb recommend --wg industrial-capacity --title T --summary S

# --- init again: refused ----------------------------------------------------
check_refused 1 '' 'init on a board is refused, nothing written' dipb init .

# --- --board NAME -------------------------------------------------------------
cd "$TROOT" || exit 1
check 'init --board NAME' dipb init named --board 'Nordic Production Board'
check 'the board is named NAME' python3 -c '
import yaml
b = yaml.safe_load(open("named/dipb.yaml"))
assert b["board"] == "Nordic Production Board", b["board"]'
# A name that is not UTF-8 is refused, as every text option is (it was
# written as U+FFFD), and one of two lines too: 'board:' is one line.
check_refused 2 '--board must be one line of UTF-8 text' \
    'init --board with a byte that is not UTF-8: exit 2, nothing made' \
    dipb init badname --board "$(printf 'Nordic \377 Board')"
check_refused 2 '--board may not be empty or blanks only' \
    'init --board of blanks: exit 2, nothing made' \
    dipb init blankname --board '   '
# check_refused looks at the repository it runs in, and $TROOT is none:
# what each init would have made is looked for by name.
check 'no directory made' test ! -e badname
check 'no directory made of blanks' test ! -e blankname
check_refused 2 '--board must be one line of UTF-8 text' \
    'init --board of two lines: exit 2' \
    dipb init badname --board "$(printf 'Nordic\nBoard')"
check 'no directory made of two lines' test ! -e badname

# A member's email that is none, which dipb validate refuses (email): no
# board is made of it; said at the line of email:.
sed 's/^    email: dan@example.org$/    email: dan example.org/' \
    "$BOARD_CONFIG" >"$TROOT/bad-email.yaml"
check_refused 1 "bad-email.yaml:$(grep -n '^    email: dan example.org$' "$TROOT/bad-email.yaml" | cut -d: -f1):5: error: 'dan example.org' is not an email address [email]" \
    'init --config with an email that is none: exit 1, at its line' \
    dipb init bademail --config "$TROOT/bad-email.yaml"
check 'no directory made' test ! -e bademail

# A control character in the board's text (dipb-validate(1),
# control-character): no board is made of it either, at its line.
sed 's/^    name: Supply Chain Security$/    name: "Supply \\e]52;c;eA==\\a Chain"/' \
    "$BOARD_CONFIG" >"$TROOT/bad-control.yaml"
check_refused 1 "bad-control.yaml:$(grep -n '^  - key: supply-chain-security$' "$TROOT/bad-control.yaml" | cut -d: -f1):5: error: 'working_groups: name' holds a control character, U+001B, at character 8 (a single-line field) [control-character]" \
    'init --config with ESC in a working group name: exit 1, at its line' \
    dipb init badcontrol --config "$TROOT/bad-control.yaml"
check 'no directory made' test ! -e badcontrol

# The template's chair is git's identity: a name with ESC would make a
# board dipb validate refuses (control-character), so none is made.
mkdir "$TROOT/escname" && git -C "$TROOT/escname" init -q
check_refused 3 "the template's chair, git's identity: 'members: name' holds a control character, U+001B, at character 6 (a single-line field) [control-character]" \
    'init --board with ESC in the identity name: exit 3' \
    env GIT_AUTHOR_NAME="$(printf 'Clara\033[2J')" \
    GIT_COMMITTER_NAME="$(printf 'Clara\033[2J')" \
    dipb init "$TROOT/escname" --board 'Nordic Board'
check_status nonzero 'git: no commit made' git -C "$TROOT/escname" rev-parse -q --verify HEAD

# A repository git holds in a state that stops every writing command:
# init too (exit 1, dipb-init(1)), nothing written.
git init -q "$TROOT/detached"
git -C "$TROOT/detached" commit -q --allow-empty -m 'a plain commit'
git -C "$TROOT/detached" checkout -q --detach
check_refused 1 'HEAD is detached: check out a branch first' \
    'init on a detached HEAD: exit 1' \
    dipb init "$TROOT/detached" --board 'Nordic Board'
check_eq 'init on a detached HEAD: nothing written' '1 ' \
    "$(git -C "$TROOT/detached" rev-list --count HEAD) $(git -C "$TROOT/detached" tag -l)"

# --- --config FILE in a repository made by git init ------------------------
new_board config
check_out 'init --config: one commit' 1 git rev-list --count HEAD
check_out 'init --config: tag board/1-created' board/1-created git tag -l
check 'init --config: dipb.yaml holds the given board (roles in any order)' \
    python3 -c '
import sys, yaml
def norm(b):
    for m in b["members"]:
        m["roles"] = sorted(m["roles"])
    return b
want = norm(yaml.safe_load(open(sys.argv[1])))
got = norm(yaml.safe_load(open("dipb.yaml")))
assert got == want, (got, want)' "$BOARD_CONFIG"
check_out 'init --config: git status --porcelain is empty' '' \
    git status --porcelain --untracked-files=all
check_fsck

# --- a repository with history: init adds one commit on top ----------------
mkdir "$TROOT/old" && cd "$TROOT/old" || exit 1
git init -q
as drafter
echo 'Board papers.' >README
git add README && git commit -q -m 'Add README'
old=$(git rev-parse HEAD)
as chair
check 'init in a repository with history' dipb init --config "$BOARD_CONFIG"
check_out 'the first commit is the parent of the board commit' "$old" \
    git rev-parse HEAD^
check_out 'the user file is still there' 'Board papers.' cat README
check_out 'the board commit adds dipb.yaml and .gitattributes' \
    "$(printf '.gitattributes\ndipb.yaml')" \
    git diff-tree --no-commit-id --name-only -r HEAD
check_fsck

# --- an invalid configuration: refused, nothing made -----------------------
cd "$TROOT" || exit 1
sed 's/quorum: 2/quorum: [2/' "$BOARD_CONFIG" >bad-syntax.yaml
mkdir badsyntax && git -C badsyntax init -q
check_status 1 'init --config with a YAML syntax error: exit 1' \
    dipb init badsyntax --config bad-syntax.yaml
check_err_re 'the syntax error is path:line:col: error:' \
    'bad-syntax\.yaml:[0-9]+:[0-9]+: error: '
check 'nothing committed' sh -c '! git -C badsyntax rev-parse -q --verify HEAD'
check 'no dipb.yaml written' test ! -e badsyntax/dipb.yaml

sed 's/working_groups: \[industrial-capacity\]/working_groups: [logistics]/' \
    "$BOARD_CONFIG" >bad-wg.yaml
mkdir badwg
check_status 1 'init --config with a member in an unknown working group: exit 1' \
    dipb init badwg --config bad-wg.yaml
check_err_re 'the problem is path:line:col: error:' \
    'bad-wg\.yaml:[0-9]+:[0-9]+: error: '
check 'no dipb.yaml written' test ! -e badwg/dipb.yaml

sed 's/prefix: SI$/prefix: IC/' "$BOARD_CONFIG" >bad-prefix.yaml
mkdir badprefix
check_status 1 'init --config with two groups of one prefix: exit 1' \
    dipb init badprefix --config bad-prefix.yaml
check_err_re 'the problem is path:line:col: error:' \
    'bad-prefix\.yaml:[0-9]+:[0-9]+: error: '

sed 's/roles: \[chair\]/roles: [emperor]/' "$BOARD_CONFIG" >bad-role.yaml
mkdir badrole
check_status 1 'init --config with an unknown role: exit 1' \
    dipb init badrole --config bad-role.yaml
check_err_re 'the problem is path:line:col: error:' \
    'bad-role\.yaml:[0-9]+:[0-9]+: error: '

check_status nonzero 'init --config with a missing file fails' \
    dipb init missing --config "$TROOT/no-such-file.yaml"
check 'nothing made' sh -c '! git -C missing rev-parse -q --verify HEAD 2>/dev/null'

# --- no identity ---------------------------------------------------------------
nobody
mkdir noid
check_status 3 'init without an identity: exit 3' dipb init noid
check_err 'it says there is no identity' 'no identity'
check 'nothing committed' sh -c '! git -C noid rev-parse -q --verify HEAD 2>/dev/null'
# Refused before the board is made: the repository init made is taken
# back (the folder that was there stays); one that was there stays too.
check_eq 'no .git left in the folder that was there; the folder kept' \
    'no yes' "$([ -e noid/.git ] && echo yes || echo no) $([ -d noid ] && echo yes || echo no)"
check_status 3 'init NEW without an identity: exit 3' dipb init noid-new
check_eq 'the folder init made is gone too' no \
    "$([ -e noid-new ] && echo yes || echo no)"
mkdir noid-kept && echo notes >noid-kept/NOTES
check_status 3 'init in a folder with a file, no identity: exit 3' \
    dipb init noid-kept
check_eq 'the file and its folder stay, no .git' 'NOTES' "$(ls -A noid-kept)"
git init -q noid-repo
check_status 3 'init in a git repository, no identity: exit 3' \
    dipb init noid-repo
check 'a repository that was there stays' git -C noid-repo rev-parse --git-dir
# The folders init made are taken back, its missing parents too, deepest
# first; a folder it found (new/../noid-found names one) is never one.
check_status 3 'init NEW/NEW/NEW without an identity: exit 3' \
    dipb init noid-p/q/r
check_eq '  the parents init made are gone too' no \
    "$([ -e noid-p ] && echo yes || echo no)"
mkdir noid-found
check_status 3 'init NEW/../EMPTY without an identity: exit 3' \
    dipb init noid-via/../noid-found
check_eq '  the empty folder that was there stays, the one made goes' \
    'yes no no' "$([ -d noid-found ] && echo yes || echo no) \
$([ -e noid-found/.git ] && echo yes || echo no) \
$([ -e noid-via ] && echo yes || echo no)"
as chair

# --- global options ------------------------------------------------------------
mkdir cdir
check 'dipb -C DIR init' dipb -C cdir init
check 'the board is in DIR' test -f cdir/dipb.yaml
check_out '-C DIR: tag in DIR' board/1-created git -C cdir tag -l
check 'dipb -C DIR list' dipb -C cdir list

run dipb --version
check_eq '--version: exit 0' 0 "$RC"
check_file_has '--version prints dipb X.Y.Z (the commit after it when not a release)' \
    "$OUT" '^dipb [0-9]+\.[0-9]+\.[0-9]+(-[0-9]+)?(-g[0-9a-f]+)?(-dirty)?$'
check_status 2 'an unknown command: exit 2' dipb frobnicate
check_status 2 'an unknown option: exit 2' dipb -C fresh list --frobnicate
check_status 2 'an unknown option outside a board: exit 2 (usage before repository)' \
    dipb list --frobnicate
check_status 2 'an unknown global option: exit 2' dipb --frobnicate list
check_status 2 'no command: exit 2' dipb
check 'COMMAND --help: exit 0' dipb recommend --help
check_file_has 'COMMAND --help prints the usage on stdout' "$OUT" 'recommend'
run dipb -C cdir list --help
check_eq 'COMMAND --help after an option: the usage, exit 0' \
    '0:usage: dipb list' "$RC:$(head -n 1 "$OUT" | cut -c 1-16)"
# -h or --help as an option's value asks for nothing (dipb(1), EXIT STATUS).
run dipb -C cdir recommend --wg no-such-group --title -h --summary S --no-edit
check_eq "'--title -h' with a usage error: exit 2, no usage on stdout" \
    2: "$RC:$(cat "$OUT")"
run dipb -C cdir list extra -m --help
check_eq "'-m --help' with an extra operand: exit 2" 2 "$RC"
run dipb -xh list
check_eq '-xh: the unknown global option named (exit 2)' \
    "2:dipb: unknown option '-x'" "$RC:$(head -n 1 "$ERR")"
run dipb help -- list
check_eq "help -- COMMAND: '--' ends the options" '0:usage: dipb list' \
    "$RC:$(head -n 1 "$OUT" | cut -c 1-16)"

# --- outside a board -------------------------------------------------------------
mkdir plain && git -C plain init -q
check_status 5 'list in a git repository without dipb.yaml: exit 5' \
    dipb -C plain list
check_status 5 'recommend in a git repository without dipb.yaml: exit 5' \
    dipb -C plain recommend --wg industrial-capacity --title T --summary S
check 'and nothing committed there' \
    sh -c '! git -C plain rev-parse -q --verify HEAD'
mkdir nowhere
check_status 5 'list outside any repository: exit 5' dipb -C nowhere list
# The folder named is the one given with -C, not '.' (where dipb is then).
check_err "  and names the folder -C gave, not '.'" \
    "dipb: not a git repository: '$(cd nowhere && pwd -P)'"
git init -q --bare bare.git
check_status 5 'list in a bare repository: exit 5' dipb -C bare.git list
check_err "  named as -C gave it, not '.'" \
    "dipb: not a board repository: '$(cd bare.git && pwd -P)' is a bare repository"

# A file where the board's folder goes is named as such (not libgit2's
# "failed to make directory: directory exists"), and left as it was.
echo 'not a folder' >afile
run dipb init afile
check_eq 'init FILE: exit 5' 5 "$RC"
check_err 'init FILE: says the file is no folder' \
    "'afile' is there and is not a folder"
check_eq 'init FILE: the file left as it was' 'not a folder' "$(cat afile)"

# A .git that git cannot open (its HEAD lost; a link to a folder of the
# user's) was filled in by libgit2, and the refusal that followed (here:
# no identity, exit 3) removed it, the repository's objects, or the
# link's folder, with it.  Now dipb init touches nothing there, exit 5.
git init -q lost
git -C lost -c user.name=a -c user.email=a@example.org commit -q \
    --allow-empty -m 'years of history'
obj=$(git -C lost rev-parse HEAD)
rm lost/.git/HEAD
mkdir -p linked elsewhere
echo precious >elsewhere/keep.txt
ln -s "$TROOT/elsewhere" linked/.git
for d in lost linked; do
	run env -u GIT_AUTHOR_EMAIL -u GIT_COMMITTER_EMAIL -u EMAIL \
	    HOME="$TROOT/nohome" GIT_CONFIG_NOSYSTEM=1 dipb init "$d"
	check_eq "init over a .git git cannot open ($d): exit 5" 5 "$RC"
	check_err "  and says so ($d)" \
	    "'$d/.git' is there, and is no repository git can open"
done
check 'the objects of the repository whose HEAD was lost are still there' \
    test -f "lost/.git/objects/$(echo "$obj" | cut -c1-2)/$(echo "$obj" | cut -c3-)"
check "the linked folder's file is still there" test -f elsewhere/keep.txt

# A refusal of what is there for good (a bare repository, one of SHA-256
# objects, a board already, a .git git cannot open) is at once, as it
# was: for a while (ff48ef4) dipb init waited ~3.5 s, as for a .git
# another dipb init is making, then said so with another status.
git init -q --bare fix-bare
mkdir fix-dotbare
git init -q --bare fix-dotbare/.git
git init -q --object-format=sha256 fix-sha256
dipb init fix-board >/dev/null 2>&1
# An empty .git the user made: refused at once too; for a while only
# after every try of --retry (~3.5 s by default), as dipb init waited
# for an empty .git, one another init might have made and not flocked.
mkdir -p fix-empty/.git
for c in "fix-bare 5 'fix-bare' is a bare repository" \
    "fix-dotbare 5 'fix-dotbare' is a bare repository" \
    "fix-sha256 5 extensions.objectFormat is 'sha256'" \
    "fix-board 1 already a board repository" \
    "lost 5 'lost/.git' is there, and is no repository git can open" \
    "linked 5 'linked/.git' is there, and is no repository git can open" \
    "fix-empty 5 'fix-empty/.git' is there, and is no repository git can open"
do
	set -- $c
	d=$1 st=$2
	shift 2
	# Not waited for: a wait would kill dipb (DIPB_FAULT=init-wait,
	# SIGKILL, exit 137) before its first pause.
	run env DIPB_FAULT=init-wait dipb init "$d"
	check_eq "init $d: refused at once, exit $st" "$st" "$RC"
	check_err "  and says why ($d)" "$*"
done
check_eq "the user's empty .git is left as it was" '' \
    "$(ls -A fix-empty/.git)"
# The check above could not fail if init-wait were never reached: a .git
# another holds (flock(1), as dipb init holds the one it makes) is one
# to wait for, and the wait is killed there.
mkdir -p fix-held/.git
run flock fix-held/.git env DIPB_FAULT=init-wait dipb init fix-held
check_eq 'a .git another init holds is waited for (init-wait: killed)' \
    137 "$RC"

# --- two dipb init of one folder at once ---------------------------------
# One stops (DIPB_FAULT=init:stop) once it has made the folder's
# repository and found no board there; the other makes its board
# meanwhile.  The first, let go and refused (no identity: exit 3; the
# board there now: exit 1), once removed the .git the other had committed
# to, or committed a second board on top of the other's.
for who in nobody chair; do
	d=twice-$who
	if [ $who = nobody ]; then
		env -u GIT_AUTHOR_EMAIL -u GIT_COMMITTER_EMAIL -u EMAIL \
		    HOME="$TROOT/nohome" GIT_CONFIG_NOSYSTEM=1 \
		    DIPB_FAULT=init:stop dipb init "$d" >/dev/null \
		    2>"$TROOT/twice.err" &
		want="3 no identity"
	else
		DIPB_FAULT=init:stop dipb init "$d" >/dev/null \
		    2>"$TROOT/twice.err" &
		want="1 already a board repository: '$(cd "$TROOT" && pwd -P)/$d/'"
	fi
	_pid=$!
	wait_stopped "$_pid"
	check "two inits of $d: the other makes its board" dipb init "$d"
	kill -CONT "$_pid"
	wait "$_pid"
	_rc=$?
	check_eq "  the one stopped is refused ($who)" "$want" \
	    "$_rc $(grep -o "${want#* }" "$TROOT/twice.err")"
	check "  git fsck finds the board's repository whole ($who)" \
	    git -C "$d" fsck --no-progress
	check_out "  one created commit, one tag ($who)" '1 board/1-created' \
	    sh -c "echo \$(git -C '$d' log --oneline --grep=created | wc -l) \
\$(git -C '$d' tag -l)"
	check_out "  dipb.yaml is in its repository ($who)" dipb.yaml \
	    git -C "$d" ls-files dipb.yaml
done

# The first, refused, takes back the .git the second opened (both
# stopped once their repository was found): the second's lock, opened
# in a .git gone, once failed with a bare "No such file or directory",
# exit 5, then said the repository was gone, exit 4: so the second of
# two inits at once, the first refused for want of an identity, failed
# when it found the first's .git in the moment between the two (1 run in
# 8).  It tries again from the start now, and makes the board.
# two_stopped DIR ERRFILE [POINT]: one dipb init of DIR without an
# identity and another, each stopped once its repository is found
# (DIPB_FAULT=init:stop; the second at POINT when given); the first let
# go, refused, takes its .git back; the second, its stderr in ERRFILE,
# still stopped: its pid in $_b.
two_stopped() {
	env -u GIT_AUTHOR_EMAIL -u GIT_COMMITTER_EMAIL -u EMAIL \
	    HOME="$TROOT/nohome" GIT_CONFIG_NOSYSTEM=1 \
	    DIPB_FAULT=init:stop dipb init "$1" >/dev/null 2>&1 &
	_a=$!
	wait_stopped "$_a"
	DIPB_FAULT=${3:-init}:stop dipb init "$1" >/dev/null 2>"$2" &
	_b=$!
	wait_stopped "$_b"
	kill -CONT "$_a"
	wait "$_a"
}

# stopped_again PID: lets the process PID go (kill -CONT) and waits (30 s
# at most) until it stops again, at its DIPB_FAULT point once more, or
# ends: true when it stopped.
stopped_again() {
	kill -CONT "$1"
	_n=0
	while _s=$(ps -o stat= -p "$1" 2>/dev/null | cut -c 1) &&
	    [ "$_s" != T ] && [ "$_s" != Z ] && [ $_n -lt 600 ]; do
		sleep 0.05
		_n=$((_n + 1))
	done
	[ "$_s" = T ]
}

# one_board DIR: DIR holds one board, made once, whole.
one_board() {
	check_out '  one created commit, one tag' '1 board/1-created' \
	    sh -c "echo \$(git -C '$1' log --oneline --grep=created | wc -l) \
\$(git -C '$1' tag -l)"
	check '  git fsck finds it whole' git -C "$1" fsck --no-progress
}

d=gone
two_stopped "$d" "$TROOT/gone.err"
check 'an init whose .git the other took back tries again: stopped again' \
    stopped_again "$_b"
kill -CONT "$_b"
wait "$_b"
check_eq '  and makes the board: exit 0' 0 $?
one_board "$d"

# So when it is taken back after the second found it, before it read
# it (DIPB_FAULT=init-found:stop): the second once said "cannot open
# the object database" (exit 5), or that it "was taken away" (exit 4).
d=gone2
two_stopped "$d" "$TROOT/gone2.err" init-found
check 'an init whose .git was taken back as it opened it: stopped again' \
    stopped_again "$_b"
kill -CONT "$_b"
wait "$_b"
check_eq '  and makes the board: exit 0' 0 $?
one_board "$d"

# So when it is taken back as git reads it, once found and before its
# owner is looked at (DIPB_FAULT=locate:stop): the second said "detected
# dubious ownership" of the .git gone, exit 5.  It waits, as for a .git
# another init has in hand, and makes its own.
d=gone3
two_stopped "$d" "$TROOT/gone3.err" locate
check 'an init stopped as git found the .git the other takes back' \
    test "$(ps -o stat= -p "$_b" | cut -c 1)" = T
kill -CONT "$_b"
wait "$_b"
check_eq '  makes the board: exit 0' 0 $?
check_eq '  and says nothing of its owner' 0 \
    "$(grep -c dubious "$TROOT/gone3.err")"
one_board "$d"

# So when it is taken back once git opened it, before its objects are
# read (DIPB_FAULT=odb:stop): libgit2 1.5's git_repository_odb, finding
# no objects/, leaked the object database it had allocated (352 bytes:
# exit 1 under the sanitizers, the board made, and run.sh's count of
# their reports; 1 run in 150 of "the other waited and made the board").
d=gone4
two_stopped "$d" "$TROOT/gone4.err" odb
check 'an init whose .git was taken back as it read its objects: stopped' \
    test "$(ps -o stat= -p "$_b" | cut -c 1)" = T
check '  tries again: stopped again' stopped_again "$_b"
kill -CONT "$_b"
wait "$_b"
check_eq '  and makes the board: exit 0 (nothing leaked)' 0 $?
one_board "$d"

# A .git taken away and another put there (git init --object-format=
# sha256) while the second stopped: it once committed into the new one,
# which it never checked (git fsck: "bad sha1 file").  Under the lock it
# finds DIR/.git no longer the one it opened, and writes nothing: exit 4.
d=swapped
two_stopped "$d" "$TROOT/swap.err"
git init -q --object-format=sha256 "$d"
kill -CONT "$_b"
wait "$_b"
check_eq 'an init whose .git was replaced meanwhile: exit 4' 4 $?
check '  and says so' grep -q -F \
    "'$(cd "$TROOT" && pwd -P)/$d/.git' is no longer the repository" \
    "$TROOT/swap.err"
check '  the repository put there is whole' git -C "$d" fsck --no-progress
check '  and holds no dipb.lock: nothing was made in it' \
    test ! -e "$d/.git/dipb.lock"
check_out '  and holds no commit' '' git -C "$d" rev-list --all

# A repository whose core.worktree names another folder: the .git dipb
# init opened is DIR's, and it once looked again under the lock at the
# working tree's (WORKTREE/.git, none): exit 4, no board.
git init -q cwt
mkdir cwt.wt
git -C cwt config core.worktree "$TROOT/cwt.wt"
run dipb init cwt
check_eq 'init DIR whose core.worktree is another folder: exit 0' 0 "$RC"
check '  the board is in that working tree' test -f cwt.wt/dipb.yaml

# A dipb init killed while it took its .git back leaves
# .git.dipb-unmade-PID.  dipb once removed every folder of that name
# whose process was gone (the user's own, too, and one named
# .git.dipb-unmade-PIDx), even for an init then refused: it removes
# nothing now, and dipb init warns of each, named, its process gone.
sh -c 'exit 0' &
_dead=$!
wait "$_dead"
for n in "$_dead" "${_dead}x" 1; do
	mkdir -p "left/.git.dipb-unmade-$n"
	echo mine >"left/.git.dipb-unmade-$n/keep.txt"
done
run env -u GIT_AUTHOR_EMAIL -u GIT_COMMITTER_EMAIL -u EMAIL \
    HOME="$TROOT/nohome" GIT_CONFIG_NOSYSTEM=1 dipb init left
check_eq 'an init refused where .git.dipb-unmade-PID is: exit 3' 3 "$RC"
check "  the folder is left as it was" \
    test -f "left/.git.dipb-unmade-$_dead/keep.txt"
run dipb init left
check_eq 'init where .git.dipb-unmade-PID is: made' 0 "$RC"
check_err '  and it is named in a warning' "warning: '$(cd "$TROOT" && \
pwd -P)/left/.git.dipb-unmade-$_dead' is what a dipb init killed"
check_err '  as what such an init leaves, to remove unless the user made it' \
    "as it took its .git back leaves: remove it unless it is yours"
check_eq '  the one warning: not PIDx, nor one of a process alive' 1 \
    "$(grep -c 'dipb-unmade' "$ERR")"
for n in "$_dead" "${_dead}x" 1; do
	check "  .git.dipb-unmade-$n is left as it was" \
	    test -f "left/.git.dipb-unmade-$n/keep.txt"
done
check '  git fsck finds the board whole' git -C left fsck --no-progress

# One stops (DIPB_FAULT=init-claim:stop) with DIR/.git made and empty;
# the other, meanwhile, once said the .git was no repository (exit 5),
# and no board was made once the first took it back.  It waits now, and
# makes the board.
d=claimed
env -u GIT_AUTHOR_EMAIL -u GIT_COMMITTER_EMAIL -u EMAIL \
    HOME="$TROOT/nohome" GIT_CONFIG_NOSYSTEM=1 \
    DIPB_FAULT=init-claim:stop dipb init "$d" >/dev/null 2>&1 &
_a=$!
wait_stopped "$_a"
# (--retry 400, some 30 s: the first may be slow to go on under load.)
dipb init --retry 400 "$d" >/dev/null 2>"$TROOT/claim.err" &
_b=$!
sleep 0.3
kill -CONT "$_a"
wait "$_a"
check_eq 'an init that made .git and stopped, let go: exit 3' 3 $?
wait "$_b"
check_eq '  the other waited and made the board' 0 $?
one_board "$d"

# A .git there that git cannot open yet, as one another init is making
# (here, made by hand and flocked, as dipb init holds the .git it makes)
# and takes back: waited for, then the board made.
mkdir -p half/.git
flock half/.git sh -c 'sleep 0.5; rmdir half/.git' &
_a=$!
sleep 0.1
dipb init --retry 400 half >/dev/null 2>&1 &
_b=$!
wait "$_a"
wait "$_b"
check_eq 'an init finding a .git half made waits for it: exit 0' 0 $?
check '  git fsck finds the board whole' git -C half fsck --no-progress

# dipb init makes its .git as .git.dipb-new-PID, flocked, and renames it
# .git only where none is (renameat2, RENAME_NOREPLACE).  One stopped
# with that folder made (DIPB_FAULT=init-temp:stop) while another makes
# the board: let go, it finds the .git there, waits for it, and is
# refused as one finding a board; its folder is gone.
d=temp-race
DIPB_FAULT=init-temp:stop dipb init "$d" >/dev/null 2>"$TROOT/temp.err" &
_a=$!
wait_stopped "$_a"
check 'an init stopped with its .git.dipb-new-PID made: the other makes the board' \
    dipb init "$d"
kill -CONT "$_a"
wait "$_a"
check_eq '  the one stopped is refused: a board there' \
    "1 already a board repository" \
    "$? $(grep -o 'already a board repository' "$TROOT/temp.err")"
check_out '  one created commit, one tag' '1 board/1-created' \
    sh -c "echo \$(git -C '$d' log --oneline --grep=created | wc -l) \
\$(git -C '$d' tag -l)"
check_out "  no .git.dipb-new-PID is left" '.git dipb.yaml recommendations' \
    sh -c "echo \$(ls -A '$d' | grep -v gitattributes)"

# Four dipb init of one new folder at once: one board, three refused as
# finding it (exit 1), none left waiting in vain, no folder of theirs.
d=four
for i in 1 2 3 4; do
	dipb init --retry 400 "$d" >/dev/null 2>&1 &
	eval "_p$i=\$!"
done
_rcs=
for i in 1 2 3 4; do
	eval "wait \$_p$i"
	_rcs="$_rcs $?"
done
check_eq 'four inits of one folder at once: one made it, three refused' \
    ' 0 1 1 1' "$(echo "$_rcs" | tr ' ' '\n' | sort | tr '\n' ' ' |
    sed 's/ $//')"
one_board "$d"
check '  no .git.dipb-new-PID is left' \
    sh -c "! ls -A '$d' | grep -q dipb-new"

# One killed with its .git.dipb-new-PID made (DIPB_FAULT=init-temp)
# leaves it: never removed (it may be the user's), and the next init
# warns of it, as of .git.dipb-unmade-PID.
d=killed
run env DIPB_FAULT=init-temp dipb init "$d"
_dead=$(ls -A "$d" | sed -n 's/^\.git\.dipb-new-//p')
check_eq 'an init killed as it made its .git: no .git, its folder left' \
    "137 no yes" "$RC $([ -e "$d/.git" ] && echo yes || echo no) \
$([ -n "$_dead" ] && [ -d "$d/.git.dipb-new-$_dead" ] && echo yes || echo no)"
run dipb init "$d"
check_eq '  the next init makes the board' 0 "$RC"
check_err '  and names the folder in a warning' "warning: '$(cd "$TROOT" && \
pwd -P)/$d/.git.dipb-new-$_dead' is what a dipb init killed as it made its \
.git leaves: remove it unless it is yours"
check '  and leaves it' test -d "$d/.git.dipb-new-$_dead"
check '  git fsck finds the board whole' git -C "$d" fsck --no-progress

# A .git.dipb-new-PID of the init's own process id there (left by a
# process of that id long gone, or the user's): dipb init once refused
# ("is there, the name dipb init makes its .git under").  Its folder's
# name is mkdtemp(3)'s now, one no other has: made, the other left.
d=ownpid
mkdir "$d"
run sh -c 'mkdir "$1/.git.dipb-new-$$" && exec dipb init "$1"' sh "$d"
check_eq 'an init where .git.dipb-new-<its own PID> is: made' 0 "$RC"
check_eq '  that folder left, no other' 1 \
    "$(ls -A "$d" | grep -c dipb-new)"
check '  git fsck finds the board whole' git -C "$d" fsck --no-progress

# One killed as it tries its file system's rename, on a .git empty and
# not locked (DIPB_FAULT=init-probe), leaves a folder of that try's own
# name, which the next init warns of as what it is.
d=probed
mkdir -p "$d/.git"
run env DIPB_FAULT=init-probe dipb init "$d"
_dead=$(ls -A "$d" | sed -n 's/^\.git\.dipb-probe-//p')
check_eq 'an init killed as it tried the rename: its folder left' \
    "137 yes" "$RC $([ -n "$_dead" ] && echo yes || echo no)"
check_out '  named its own, no .git.dipb-new-PID' '.git' \
    sh -c "echo \$(ls -A '$d' | grep -v dipb-probe)"
rmdir "$d/.git"
run dipb init "$d"
check_err '  the next init warns of it as what it is' "warning: '$(cd \
"$TROOT" && pwd -P)/$d/.git.dipb-probe-$_dead' is what a dipb init killed \
as it tried its file system's rename leaves: remove it unless it is yours"

# The .git made beside it and renamed keeps what mkdir(2) gives, as git
# init's does: the setgid bit of a shared group folder (mkdtemp and a
# chmod took it away), and below it, objects/.
mkdir sgid && chmod g+s sgid
git init -q sgid/g
check 'init in a setgid folder: made' dipb init sgid/d
check_eq '  .git and .git/objects have the modes git init gives them' \
    "$(cd sgid/g && stat -c %a .git .git/objects)" \
    "$(cd sgid/d && stat -c %a .git .git/objects)"

# --- core.sharedRepository (dipb-init(1)) -----------------------------------
# Under the setting, git init makes .git's folders 2775 and its files 664
# (group), and writes the setting into the new config; dipb init made
# them as the umask alone would, and wrote nothing.  Each of git's, and a
# umask of 077 or 022 with no setting: the modes of what init makes (the
# board's objects and refs aside) and the setting written.  0600 gives
# the group nothing, and git's folders no setgid bit then.
init_modes() {
	(cd "$1" && find .git -path '.git/objects/??' -prune -o \
	    -path '.git/refs/*/*' -prune -o -path .git/logs -prune -o \
	    -path .git/branches -prune -o -name index -prune -o \
	    -name dipb.lock -prune -o -printf '%m %p\n' | sort -k 2 &&
	    git config --local core.sharedRepository; true)
}
mkdir shome
for v in group all 0660 0600 umask; do
	for u in 022 077; do
		printf '[core]\n\tsharedRepository = %s\n' $v \
		    >shome/.gitconfig
		rm -rf sg sd
		(umask $u && HOME=$TROOT/shome && export HOME &&
		    git init -q sg && dipb init sd 2>"$TROOT/shared.err" ||
		    cat "$TROOT/shared.err" >&2)
		check_eq "core.sharedRepository=$v, umask $u: as git init" \
		    "$(init_modes sg)" "$(init_modes sd)"
	done
done

# --- init DIR: git's template (dipb-git(7), "The configuration") ----------
# A repository dipb init makes is what git init makes: the template's
# hooks (an organisation's pre-commit, say) copied, from GIT_TEMPLATE_DIR,
# else init.templateDir, else git's own template folder.
cd "$TROOT" || exit 1
mkdir -p tpl/hooks envtpl/hooks "$HOME/hometpl/hooks"
printf '#!/bin/sh\nexit 0\n' >tpl/hooks/pre-commit
printf '#!/bin/sh\nexit 0\n' >envtpl/hooks/pre-push
printf '#!/bin/sh\nexit 0\n' >"$HOME/hometpl/hooks/commit-msg"
chmod +x tpl/hooks/pre-commit envtpl/hooks/pre-push \
    "$HOME/hometpl/hooks/commit-msg"
git config --global init.templateDir "$TROOT/tpl"
check 'init DIR with init.templateDir set' dipb init tpl-made
check 'its hooks/pre-commit copied, executable, as git init copies it' \
    test -x tpl-made/.git/hooks/pre-commit
git init -q tpl-git
check_eq 'the same hooks as git init makes' "$(ls tpl-git/.git/hooks)" \
    "$(ls tpl-made/.git/hooks)"
check 'GIT_TEMPLATE_DIR wins over init.templateDir' \
    env GIT_TEMPLATE_DIR="$TROOT/envtpl" dipb init tpl-env
check_eq '  its hooks, not the configured ones' pre-push \
    "$(ls tpl-env/.git/hooks)"
run env GIT_TEMPLATE_DIR= dipb init tpl-none
check_eq 'GIT_TEMPLATE_DIR empty: no hook copied, as for git' '0:' \
    "$RC:$(ls tpl-none/.git/hooks 2>/dev/null)"
git config --global init.templateDir '~/hometpl'
check 'init.templateDir ~/...: the home folder' dipb init tpl-home
check 'its hooks/commit-msg copied' test -x tpl-home/.git/hooks/commit-msg
run env GIT_TEMPLATE_DIR="$TROOT/no-such-tpl" dipb init tpl-missing
check_eq 'a template folder that is not there: made all the same, exit 0' \
    0 "$RC"
check_err '  with git'"'"'s warning' \
    "dipb: warning: templates not found in $TROOT/no-such-tpl"
# The branch: a template's HEAD, as git keeps it; else init.defaultBranch
# of the template's config (the new repository's own), over the global.
mkdir headtpl cfgtpl badheadtpl fmttpl
echo 'ref: refs/heads/from-template' >headtpl/HEAD
printf '[init]\n\tdefaultBranch = from-config\n' >cfgtpl/config
echo 0123456789012345678901234567890123456789 >badheadtpl/HEAD
printf '[core]\n\trepositoryformatversion = 1\n[extensions]\n\tfrob = 1\n[init]\n\tdefaultBranch = from-config\n' \
    >fmttpl/config
for t in headtpl cfgtpl fmttpl; do
	env GIT_TEMPLATE_DIR="$TROOT/$t" git init -q "$t-git" 2>/dev/null
	run env GIT_TEMPLATE_DIR="$TROOT/$t" dipb init "$t-made"
	check_eq "the branch of a template with $t as git init's" \
	    "0:$(git -C "$t-git" symbolic-ref HEAD)" \
	    "$RC:$(git -C "$t-made" symbolic-ref HEAD)"
done
check_err 'a template of a format git refuses: not copied, with a warning' \
    "not copying templates from '$TROOT/fmttpl'"
check_eq '  its config not copied either' '' \
    "$(git -C fmttpl-made config --local init.defaultBranch)"
run env GIT_TEMPLATE_DIR="$TROOT/badheadtpl" dipb init badhead-made
check_eq 'a template HEAD that names no branch: exit 5, nothing made' \
    5:no "$RC:$([ -e badhead-made ] && echo yes || echo no)"
check_err '  and says so' "the template's '$TROOT/badheadtpl/HEAD' names no branch"
# Its checks, and init.defaultBranch's, come before DIR and its missing
# parents are made: nothing is left of them.
run env GIT_TEMPLATE_DIR="$TROOT/badheadtpl" dipb init badhead-p/q
check_eq '  nor of DIR'"'"'s missing parents' 5:no \
    "$RC:$([ -e badhead-p ] && echo yes || echo no)"
printf '[init]\n\tdefaultBranch = a..b\n' >badbranchtpl.cfg
run env GIT_CONFIG_GLOBAL="$TROOT/badbranchtpl.cfg" dipb init badbranch-p/q
check_eq 'init.defaultBranch git refuses: exit 5, no folder made' 5:no \
    "$RC:$([ -e badbranch-p ] && echo yes || echo no)"
check_err '  and says so' 'invalid branch name: init.defaultBranch = a..b'
mkdir unreadtpl && echo '[broken' >unreadtpl/config
run env GIT_TEMPLATE_DIR="$TROOT/unreadtpl" dipb init unread-p/q
check_eq 'a template config dipb cannot read: exit 5, no folder made' \
    5:no "$RC:$([ -e unread-p ] && echo yes || echo no)"
# A repository that is there is left as it is: no template copied into it.
git init -q --template= tpl-there
check 'init in a repository that is there' \
    env GIT_TEMPLATE_DIR="$TROOT/envtpl" dipb init tpl-there
check_eq '  its .git gets no template hook' '' \
    "$(ls tpl-there/.git/hooks 2>/dev/null)"
git config --global --unset init.templateDir

# --- POSIXLY_CORRECT: options still follow operands (dipb(1)) ----------------
new_board posix
as drafter
mkrec industrial-capacity 'One' >/dev/null
f=recommendations/IC-0001.yaml
sed 's/^title: /title:    /' "$f" >"$TROOT/posix.keep"
cp "$TROOT/posix.keep" "$f"
run env POSIXLY_CORRECT=1 dipb fmt "$f" --check
check_eq 'POSIXLY_CORRECT: fmt FILE --check exits 1 and writes nothing' \
    1:same "$RC:$(cmp -s "$f" "$TROOT/posix.keep" && echo same)"
run env POSIXLY_CORRECT=1 dipb show IC-0001 --format json
check_eq 'POSIXLY_CORRECT: show ID --format json, exit 0' 0 "$RC"

finish

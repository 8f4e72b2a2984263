#!/bin/sh
# tests/cli/crash.sh - a state change killed with SIGKILL at each fault
# point of the commit path (DIPB_FAULT, see dipb(1)), failed by an EIO at
# each of its fsyncs (strace's fault injection), killed in a worktree
# while another makes the same commit, dipb edit --no-edit killed at each
# of its renames, the order of the fsyncs a power loss needs (a change, a
# rollback, dipb init's index; from strace), then killed at random moments
# of a loop of changes; an interrupted change or sync in a shallow clone.
# After each kill, and the next dipb
# command, git fsck --strict, dipb verify and git status are clean, every
# commit has its tag, and the change is either absent or whole (commit and
# tag): never half made, never blocking the repository.
#
# Environment: KILLS, the random kills (default 100: crash-random.sh
# makes 100 more beside this script); CRASH_PART=random, the random kills
# alone (as crash-random.sh runs it); KILL_MS, the kill comes after a
# delay uniform in 0..KILL_MS milliseconds (by default 40, or the time one
# change takes here when that is longer, as with fsync on a slow disk or
# under ASan, so that the kills land in every step of a change).
. "$(dirname "$0")/lib.sh"

POINTS='blob commit tag-object journal tag-ref branch worktree index'
KILLS=${KILLS:-100}

# whole [nofsck]: git fsck --strict (unless nofsck), dipb verify and git
# status are clean, every commit has one tag, no lock file of git's is
# left; what is wrong is printed (empty: nothing).
whole() {
	if [ "${1:-}" != nofsck ] &&
	    { ! git fsck --strict --no-dangling --no-progress \
	    >"$TROOT/fsck" 2>&1 || grep -q . "$TROOT/fsck"; }; then
		echo "git fsck --strict: $(head -n 3 "$TROOT/fsck")"
	fi
	run dipb verify
	if [ "$RC" -ne 0 ] || [ -s "$OUT" ]; then
		echo "dipb verify: exit $RC: $(head -n 5 "$OUT") $(head -n 3 "$ERR")"
	fi
	_p=$(git status --porcelain --untracked-files=all)
	[ -z "$_p" ] || echo "git status --porcelain: $(echo $_p)"
	_nc=$(git rev-list --count HEAD) _nt=$(ntags)
	[ "$_nc" = "$_nt" ] || echo "$_nc commits but $_nt tags"
	_l=$(find .git -name '*.lock' ! -name dipb.lock)
	[ -z "$_l" ] || echo "lock files left: $(echo $_l)"
	[ ! -e .git/dipb-journal ] || echo "the journal is left"
}

# fault_sweep ERR CALL TAG CMD...: dipb CMD, as the drafter, with the
# error ERR (EIO, EINTR) at its Nth CALL (a system call: fsync,
# getdents64), for each N in turn, each on a fresh copy of $BASE.  The
# change must be whole (exit 0, one commit more, and the tag TAG when one
# is given: rightly numbered) or, unless ERR is EINTR (a call interrupted
# is made again, and nothing more said than without it), absent (an
# error, no commit); an EIO at the first fsync of the objects folder
# fails the change (exit 5: dipb(1), DIPB_FSYNC), saying what failed (the
# folder and the error alone, before): one check for the whole
# sweep, one not_ok line per run that is neither.  Under strace
# LeakSanitizer cannot run (refs.sh).
fault_sweep() {
	_e=$1 _call=$2 _tag=$3
	shift 3
	cd "$TROOT" && rm -rf "$TROOT/eio" && cp -a "$BASE" "$TROOT/eio" &&
	    cd "$TROOT/eio" || exit 1
	as drafter
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
	    DIPB_FSYNC=1 strace -f -y -o "$TROOT/calls" -e trace="$_call" \
	    dipb "$@" >/dev/null 2>"$TROOT/base.err"
	_nf=$(grep -c "^[0-9]* *$_call(" "$TROOT/calls")
	# The first fsync of the objects folder: whether it syncs, asked
	# before any object is written.
	_probe=$(grep "^[0-9]* *$_call(" "$TROOT/calls" |
	    grep -n "$_call([0-9]*<[^>]*/objects>" | sed -n '1s/:.*//p')
	echo "# dipb $*: $_nf calls of $_call"
	# A change writes objects: its probe is among its fsyncs (else the
	# check of the probe's EIO below would test nothing).
	if [ "$_call" = fsync ] && [ "$_e" = EIO ] && [ -z "$_probe" ]; then
		not_ok "dipb $*: the objects folder's fsync among its calls" \
		    "none in $TROOT/calls"
	fi
	_want="the change whole${_tag:+, rightly numbered,} or absent"
	[ "$_e" != EINTR ] || _want='the change whole, without a word'
	_bad=0 _n=1
	while [ "$_n" -le "$_nf" ]; do
		cd "$TROOT" && rm -rf "$TROOT/eio" &&
		    cp -a "$BASE" "$TROOT/eio" && cd "$TROOT/eio" || exit 1
		_n0=$(git rev-list --count HEAD)
		ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
		    DIPB_FSYNC=1 strace -f -o /dev/null -e trace="$_call" \
		    -e inject="$_call":error="$_e":when=$_n \
		    dipb "$@" >/dev/null 2>"$TROOT/eio.err"
		_rc=$?
		dipb list >/dev/null 2>&1
		_n1=$(git rev-list --count HEAD)
		_w=$(whole)
		if [ "$_e" = EIO ] && [ "$_n" = "$_probe" ] &&
		    { [ "$_rc" -ne 5 ] || ! grep -q "cannot sync the objects folder '[^']*/objects/': Input/output error" \
		    "$TROOT/eio.err"; }; then
			_w="$_w the objects folder's fsync failed (asked before any object), exit $_rc, not 5 saying 'cannot sync the objects folder'"
		elif [ "$_rc" -eq 0 ] && { [ "$_n1" -ne $((_n0 + 1)) ] ||
		    { [ -n "$_tag" ] && ! git rev-parse -q --verify \
		    "refs/tags/$_tag" >/dev/null; }; }; then
			_w="$_w exit 0, but $((_n1 - _n0)) commits, tags $(git tag --points-at HEAD | tr '\n' ' ')"
		elif [ "$_rc" -ne 0 ] && [ "$_e" = EINTR ]; then
			_w="$_w exit $_rc: $(head -n 1 "$TROOT/eio.err")"
		elif [ "$_rc" -ne 0 ] && [ "$_n1" -ne "$_n0" ]; then
			_w="$_w exit $_rc, but $((_n1 - _n0)) commits"
		elif [ "$_e" = EINTR ] &&
		    ! cmp -s "$TROOT/base.err" "$TROOT/eio.err"; then
			_w="$_w more said: $(grep -v -x -F -f "$TROOT/base.err" "$TROOT/eio.err" | head -n 1)"
		fi
		if [ -n "$_w" ]; then
			_bad=$((_bad + 1))
			not_ok "$_e at $_call $_n of dipb $*: $_want" \
			    "$_w" "$(head -n 2 "$TROOT/eio.err")"
		fi
		_n=$((_n + 1))
	done
	check_eq "$_e at each of the $_nf calls of $_call of dipb $*: $_want" \
	    0 "$_bad"
}

# check_whole DESC: whole is silent.
check_whole() {
	_w=$(whole)
	if [ -z "$_w" ]; then
		ok "$1"
	else
		not_ok "$1" "$_w"
	fi
}

# check_left DESC: after a reading command, the interrupted change is
# completed or discarded already: a reading command recovers too when the
# lock is free (its holder is dead).
check_left() {
	_s=$(git status --porcelain --untracked-files=all)
	_t=$(($(git rev-list --count HEAD) - $(ntags)))
	_j=no
	[ -e .git/dipb-journal ] && _j=yes
	if [ -z "$_s" ] && [ "$_t" -eq 0 ] && [ "$_j" = no ]; then
		ok "$1: dipb list completed or discarded the change"
	else
		not_ok "$1: dipb list completes or discards the change" \
		    "git status: $_s; commits - tags: $_t; journal: $_j"
	fi
}

# --- a board ------------------------------------------------------------------

new_board base
BASE=$BOARD
as drafter
mkrec industrial-capacity 'Killed on the way' >/dev/null	# IC-0001
mkrec industrial-capacity 'Bystander' >/dev/null		# IC-0002
check_whole 'the board before any kill is whole'

# crash-random.sh runs this script with CRASH_PART=random: the random
# kills alone, beside this one, so that make check makes them in two
# halves at once.
if [ "${CRASH_PART:-}" != random ]; then
	# --- each fault point -------------------------------------------------

	# After each kill the next command is a reading one (dipb list) or a
	# writing one (dipb recommend of another record): both must work.
	for p in $POINTS; do
		for next in read write; do
			cd "$TROOT" && rm -rf "$TROOT/kill" && cp -a "$BASE" "$TROOT/kill" &&
			    cd "$TROOT/kill" || exit 1
			as drafter
			n0=$(git rev-list --count HEAD)
			run env DIPB_FAULT=$p dipb review IC-0001 --request
			check_eq "$p/$next: killed by SIGKILL at $p" 137 "$RC"
			if [ "$next" = read ]; then
				run dipb list --format ids
				check_eq "$p/$next: dipb list works after the kill" \
				    "0 IC-0001 IC-0002" "$RC $(echo $(cat "$OUT"))"
				check_left "$p/$next"
			else
				run dipb recommend --wg industrial-capacity \
				    --title 'After the kill' --summary S --no-edit
				check_eq "$p/$next: the next dipb recommend works" \
				    0 "$RC"
			fi
			check_whole "$p/$next: fsck, verify and status are clean"
			n1=$(git rev-list --count HEAD)
			[ "$next" = write ] && n1=$((n1 - 1))
			st=$(status_of IC-0001)
			tag=$(git tag -l 'IC-0001/2-*')
			if [ "$n1" = "$n0" ] && [ "$st" = draft ] && [ -z "$tag" ]; then
				outcome=absent
			elif [ "$n1" = $((n0 + 1)) ] && [ "$st" = in-review ] &&
			    [ "$tag" = IC-0001/2-review-requested ] &&
			    [ "$(git rev-parse "$tag^{commit}")" = \
			    "$(git log -1 --format=%H -- recommendations/IC-0001.yaml)" ]; then
				outcome=whole
			else
				outcome="half ($((n1 - n0)) commits, status $st, tag '$tag')"
			fi
			echo "# killed at $p, next command $next: the change is $outcome"
			case $outcome in
			absent | whole) ok "$p/$next: the change is $outcome" ;;
			*) not_ok "$p/$next: the change is absent or whole" "$outcome" ;;
			esac
		done
	done

	# --- an interrupted change abandoned by plain git ------------------

	# Killed after its tag but before the branch moved; then a plain git commit
	# moves the branch.  The change can no longer be made: the next dipb drops
	# its tag (else it would name a commit outside the branch) and says so.
	# The change holds index.lock from before its tag, so git commit is
	# refused until someone removes the lock by hand, as git says to.
	cd "$TROOT" && rm -rf "$TROOT/abandon" && cp -a "$BASE" "$TROOT/abandon" &&
	    cd "$TROOT/abandon" || exit 1
	as drafter
	run env DIPB_FAULT=tag-ref dipb review IC-0001 --request
	check_eq 'abandoned: killed after the tag ref' 137 "$RC"
	check_eq 'abandoned: the tag of the killed change exists' \
	    IC-0001/2-review-requested "$(git tag -l 'IC-0001/2-*')"
	echo notes >NOTES.txt
	check_status 128 'abandoned: git add is refused while index.lock stays' \
	    git add NOTES.txt
	rm .git/index.lock
	git add NOTES.txt && git commit -q -m 'Plain notes' >/dev/null 2>&1
	run dipb list --format ids
	check_eq 'abandoned: dipb list works' 0 "$RC"
	check_err 'abandoned: dipb list warns that the change was abandoned' \
	    'was abandoned'
	check_eq 'abandoned: its tag is gone' '' "$(git tag -l 'IC-0001/2-*')"
	check_eq 'abandoned: the journal is gone' no \
	    "$([ -e .git/dipb-journal ] && echo yes || echo no)"
	run dipb verify
	check_eq 'abandoned: dipb verify is clean' '0 ' "$RC $(cat "$OUT")"
	run dipb review IC-0001 --request
	check_eq 'abandoned: the change can be made again' 0 "$RC"
	check_eq 'abandoned: with the same tag name' IC-0001/2-review-requested \
	    "$(git tag -l 'IC-0001/2-*')"

	# --- an interrupted change in a shallow clone ----------------------

	# Recovery reads the history as git log does (dipb-git(7), "Shallow
	# and partial clones"): where it can tell, as in a full clone; where a
	# shallow clone's history is cut before it can tell whether a branch
	# holds the change, the tag, the refs and the journal stay as they
	# are, with a warning, until the history is whole.  The journals are
	# written as dipb writes them (dipb(1), FILES): no dipb writes in a
	# shallow clone, but a clone is made shallow after its kill (git
	# fetch --depth), or its journal copied.
	cd "$TROOT" && rm -rf "$TROOT/shsrc" && cp -a "$BASE" "$TROOT/shsrc" &&
	    cd "$TROOT/shsrc" || exit 1
	as drafter
	run dipb review IC-0001 --request
	run dipb review IC-0002 --request
	C3=$(git rev-parse HEAD~2) C4=$(git rev-parse HEAD~1)
	C5=$(git rev-parse HEAD) T4=IC-0001/2-review-requested
	BR=$(git symbolic-ref HEAD) T9=IC-0002/9-withdrawn
	Z=0000000000000000000000000000000000000000
	# shclone DIR [DEPTH]: a clone of shsrc, DEPTH commits deep (2: cut
	# at C4, C3 not there; none: whole), the current directory.
	shclone() {
		cd "$TROOT" && rm -rf "$TROOT/$1" && git clone -q \
		    ${2:+--depth $2} "file://$TROOT/shsrc" "$TROOT/$1" &&
		    cd "$TROOT/$1" || exit 1
	}
	# offbranch [PARENT]: a commit on PARENT (C4) that no branch holds,
	# Y, and its tag T9.
	offbranch() {
		Y=$(git commit-tree -p "${1:-$C4}" -m 'Never on the branch' \
		    "$C4^{tree}")
		git tag -a -m 'Never on the branch' "$T9" "$Y"
	}
	# journal1 OLD NEW TAG: a change's journal, of TAG from OLD to NEW.
	journal1() {
		printf 'dipb-journal 1\nbranch %s\nold %s\nnew %s\ntag-ref refs/tags/%s\ntag %s\nfile %s %s dipb.yaml\nend\n' \
		    "$BR" "$1" "$2" "$3" "$(git rev-parse "refs/tags/$3")" \
		    "$(git rev-parse HEAD:dipb.yaml)" "$(git rev-parse HEAD:dipb.yaml)"
	}
	# journal2 OLD NEW TAG: a sync's journal, from OLD to NEW, that
	# brought the tag TAG in.
	journal2() {
		printf 'dipb-journal 2\nbranch %s\nold %s\nnew %s\nref %s %s refs/tags/%s\nend\n' \
		    "$BR" "$1" "$2" $Z "$(git rev-parse "refs/tags/$3")" "$3"
	}
	# left WHO: the tag T9 and the journal .git/WHO are still there.
	left() {
		_t=$(git tag -l "$T9") _j='no journal'
		[ ! -e ".git/$1" ] || _j=journal
		echo "${_t:-no tag}, $_j"
	}

	shclone shmade 2
	check_eq 'shallow clone: git cuts its history at the change' "$C4" \
	    "$(cat .git/shallow)"
	journal1 "$C3" "$C4" "$T4" >.git/dipb-journal
	run dipb list --format ids
	check_eq 'shallow clone, a change made then built on with git: its tag stays, the journal settled, as in a full clone' \
	    "0 $T4 no" "$RC $(git tag -l "$T4") $([ -e .git/dipb-journal ] &&
	    echo yes || echo no)"
	check_eq 'shallow clone, a change made then built on with git: nothing said' \
	    '' "$(cat "$ERR")"

	shclone shcut 2
	offbranch
	journal1 "$C4" "$Y" "$T9" >.git/dipb-journal
	run dipb list --format ids
	check_eq 'shallow clone, the history cut before recovery can tell: the tag and the journal stay' \
	    "0 $T9, journal" "$RC $(left dipb-journal)"
	check_err 'shallow clone, the history cut before recovery can tell: the warning names the change, the cut and the remedy' \
	    "dipb: warning: an interrupted change ($T9) is left as it is, its tag and its journal: the history is cut at commit '$C4' (a shallow clone) before dipb can tell whether a branch holds it; 'git fetch --unshallow --tags' fetches the rest, then the next dipb command settles it"
	run dipb recommend --wg industrial-capacity --title 'Refused' \
	    --summary S --no-edit
	check_eq 'shallow clone, the history cut before recovery can tell: a writing command, refused, leaves them too, and says so once' \
	    "1 $T9, journal 1" \
	    "$RC $(left dipb-journal) $(grep -c 'is left as it is' "$ERR")"
	git fetch -q --unshallow --tags
	run dipb list --format ids
	check_eq 'the history whole again: the next command settles the change as in a full clone, its tag and journal gone' \
	    "0 no tag, no journal" "$RC $(left dipb-journal)"
	check_err 'the history whole again: abandoned, and said' \
	    "an interrupted change ($T9) was abandoned"

	# The branch did not move: its tip is in the change's history, which
	# the change is not in: known, cut or not, when it is the only local
	# branch (another one cut before the change: below).
	shclone shstill 2
	offbranch "$C5"
	journal1 "$C5" "$Y" "$T9" >.git/dipb-journal
	run dipb list --format ids
	check_eq 'shallow clone, a change whose branch did not move: discarded with its tag, as in a full clone, without a word' \
	    "0 no tag, no journal " "$RC $(left dipb-journal) $(cat "$ERR")"

	# A journal no dipb writes, its new in its old's history: the branch,
	# at old, holds that commit, so its tag stays (was deleted, dipb
	# verify then reporting tag-missing).
	shclone backjournal
	journal1 "$C5" "$C4" "$T4" >.git/dipb-journal
	run dipb list --format ids
	check_eq "a journal whose new is in its old's history: the tag its branch holds stays" \
	    "0 $T4" "$RC $(git tag -l "$T4")"
	run dipb verify
	check_eq "a journal whose new is in its old's history: dipb verify is clean" \
	    '0 ' "$RC $(cat "$OUT")"

	shclone shsync 2
	offbranch
	journal2 "$C4" "$Y" "$T9" >.git/dipb-journal
	run dipb list --format ids
	check_eq 'shallow clone, a sync the history cannot tell: its refs and its journal stay' \
	    "0 $T9, journal" "$RC $(left dipb-journal)"
	check_err 'shallow clone, a sync the history cannot tell: said' \
	    'an interrupted sync is left as it is, its refs and its journal'

	shclone shwt 2
	offbranch
	git worktree add -q -b side "$TROOT/shwt-side" 2>/dev/null
	journal1 "$C4" "$Y" "$T9" >.git/worktrees/shwt-side/dipb-journal
	run dipb list --format ids
	check_eq "shallow clone, another worktree's change the history cannot tell: its tag stays" \
	    "0 $T9, journal" "$RC $(left worktrees/shwt-side/dipb-journal)"

	# The branch did not move, but another local branch is cut before
	# the change: that branch may hold it below its cut (a change made
	# and built on, then the clone made shallow), so it is left, as the
	# dipb(1) warning says, until that branch goes or the history is whole.
	cd "$TROOT" && rm -rf "$TROOT/shsrc2" && cp -a "$TROOT/shsrc" \
	    "$TROOT/shsrc2" && cd "$TROOT/shsrc2" || exit 1
	git branch -q side2 &&
	    for i in 1 2 3; do git commit -q --allow-empty -m "Main $i"; done &&
	    git checkout -q side2 &&
	    for i in 1 2 3; do git commit -q --allow-empty -m "Side $i"; done &&
	    git checkout -q - || exit 1
	cd "$TROOT" && rm -rf "$TROOT/shtwo" && git clone -q --depth 2 \
	    --no-single-branch "file://$TROOT/shsrc2" "$TROOT/shtwo" &&
	    cd "$TROOT/shtwo" && git branch -q side2 origin/side2 || exit 1
	H=$(git rev-parse HEAD)
	Y=$(git commit-tree -p "$H" -m 'Never on the branch' "$H^{tree}")
	git tag -a -m 'Never on the branch' "$T9" "$Y"
	journal1 "$H" "$Y" "$T9" >.git/dipb-journal
	run dipb list --format ids
	check_eq 'shallow clone, a change whose branch did not move, another branch cut before it: the tag and the journal stay' \
	    "0 $T9, journal" "$RC $(left dipb-journal)"
	check_err 'shallow clone, a change whose branch did not move, another branch cut before it: said, with the cut of that branch' \
	    "dipb: warning: an interrupted change ($T9) is left as it is, its tag and its journal: the history is cut at commit '$(git rev-parse side2~1)'"
	git branch -q -D side2
	run dipb list --format ids
	check_eq 'that other branch deleted: the change discarded with its tag, without a word' \
	    "0 no tag, no journal " "$RC $(left dipb-journal) $(cat "$ERR")"

	# A local branch at an object that is no commit holds nothing: the
	# change is settled by the others, in a whole clone (the next change
	# made) or a shallow one (which no dipb writes in: read).
	for d in '' 2; do
		shclone shweird$d $d
		git rev-parse HEAD:dipb.yaml >.git/refs/heads/weird
		offbranch "$C5"
		journal1 "$C5" "$Y" "$T9" >.git/dipb-journal
		if [ -z "$d" ]; then
			run dipb recommend --wg industrial-capacity \
			    --title 'Weird' --summary S --no-edit
			w=', the next change made'
		else
			run dipb list --format ids
			w=
		fi
		check_eq "${d:+shallow }clone with a branch at a blob, a change whose branch did not move: discarded with its tag$w" \
		    "0 no tag, no journal" "$RC $(left dipb-journal)"
		check_eq "${d:+shallow }clone with a branch at a blob: the interrupted change not said to be left" \
		    0 "$(grep -c 'is left as it is' "$ERR")"
	done

	# held_by BRANCH NEW WHAT: with the journal of a change from C5 to
	# NEW, which git says BRANCH contains, dipb list keeps its tag.
	held_by() {
		journal1 "$C5" "$2" "$T9" >.git/dipb-journal
		check_eq "$3: git says $1 contains it" "refs/heads/$1" \
		    "$(git for-each-ref --contains "$2" --format='%(refname)' \
		    refs/heads/)"
		run dipb list --format ids
		check_eq "$3: its tag stays, the journal settled, without a word" \
		    "0 $T9, no journal " "$RC $(left dipb-journal) $(cat "$ERR")"
	}

	# A local branch at an annotated tag holds the commit it names,
	# peeled as git peels it (git for-each-ref --contains): a branch
	# written by hand at the change's tag, or at a tag of that tag, keeps
	# the change's tag, in a whole clone or a shallow one; one at a tag of
	# a blob holds nothing.
	for d in '' 2; do
		shclone shattag$d $d
		offbranch "$C5"
		git rev-parse "refs/tags/$T9" >.git/refs/heads/tagb
		held_by tagb "$Y" "${d:+shallow }clone with a branch at the tag of the change's commit"
		shclone shatnested$d $d
		offbranch "$C5"
		git -c advice.nestedTag=false tag -a -m 'Of the tag' of-tag \
		    "refs/tags/$T9"
		git rev-parse refs/tags/of-tag >.git/refs/heads/tagb
		held_by tagb "$Y" "${d:+shallow }clone with a branch at a tag of the tag of the change's commit"
	done
	shclone shattagblob
	offbranch "$C5"
	git tag -a -m 'A blob' of-blob "$(git rev-parse HEAD:dipb.yaml)"
	git rev-parse refs/tags/of-blob >.git/refs/heads/tagb
	journal1 "$C5" "$Y" "$T9" >.git/dipb-journal
	run dipb list --format ids
	check_eq 'clone with a branch at a tag of a blob: it holds nothing, the change discarded with its tag' \
	    "0 no tag, no journal " "$RC $(left dipb-journal) $(cat "$ERR")"
	# A tag whose header says "type commit" but names a blob: git peels
	# it to no commit (for-each-ref --contains lists no branch), so a
	# branch at it holds nothing; the change is settled, never left for
	# good.  One that names a commit not here is walked as a branch at
	# that commit is: the walk says why, the change left with its
	# journal, in a whole clone or a shallow one (where the commit may
	# be below the cut).
	lying_tag() {
		printf 'object %s\ntype commit\ntag lies\ntagger A <a@b> 1700000000 +0000\n\nlies\n' \
		    "$1" | git hash-object -t tag -w --literally --stdin \
		    >.git/refs/heads/liar
		journal1 "$C5" "$Y" "$T9" >.git/dipb-journal
		run dipb list --format ids
	}
	shclone shatlieblob
	offbranch "$C5"
	lying_tag "$(git rev-parse HEAD:dipb.yaml)"
	check_eq 'clone with a branch at a tag that says commit, of a blob: git says no branch contains the change' \
	    '' "$(git for-each-ref --contains "$Y" --format='%(refname)' refs/heads/)"
	check_eq '  it holds nothing: the change discarded with its tag' \
	    "0 no tag, no journal " "$RC $(left dipb-journal) $(cat "$ERR")"
	for d in '' 2; do
		shclone shatliemissing$d $d
		offbranch "$C5"
		lying_tag 0123456789abcdef0123456789abcdef01234567
		check_eq "${d:+shallow }clone with a branch at a tag of a commit not here: the change left, tag and journal" \
		    "0 $T9, journal" "$RC $(left dipb-journal)"
		check_err '  the walk says which object it could not read' \
		    "is left as it is, with its journal: "
		check_err '  naming it' "0123456789abcdef0123456789abcdef01234567"
	done

	# A journal whose new id is the annotated tag of a commit is read as
	# that commit: a branch that holds it keeps the change's tag.
	shclone shnewtag
	offbranch "$C5"
	git branch -q side "$Y"
	held_by side "$(git rev-parse "refs/tags/$T9")" \
	    "clone, a journal whose new id is a tag of a commit a branch holds"

	# A journal whose new id is a tag of a commit no branch holds, or a
	# blob: no branch holds it, cut or not; its tag goes.
	for what in tag blob; do
		shclone shnot$what 2
		offbranch "$C5"
		if [ $what = tag ]; then
			N=$(git rev-parse "refs/tags/$T9")
		else
			N=$(git rev-parse HEAD:dipb.yaml)
		fi
		journal1 "$C5" "$N" "$T9" >.git/dipb-journal
		run dipb list --format ids
		check_eq "shallow clone, a journal whose new commit is a $what: discarded with its tag, without a word" \
		    "0 no tag, no journal " "$RC $(left dipb-journal) $(cat "$ERR")"
	done

	# Made shallow after the kill, every parent here: cut all the same
	# where .git/shallow says (libgit2 from 1.7 reads it so too).
	shclone shdeep
	git fetch -q --depth 2 origin
	check_eq 'git fetch --depth 2: the history cut at C4, its parent here' \
	    "$C4 commit" "$(cat .git/shallow) $(git cat-file -t "$C3")"
	offbranch
	journal1 "$C4" "$Y" "$T9" >.git/dipb-journal
	run dipb list --format ids
	check_eq 'a clone made shallow, the history cut before recovery can tell: the tag and the journal stay' \
	    "0 $T9, journal" "$RC $(left dipb-journal)"
	# A sync interrupted after its branch moved, the clone made shallow
	# at its new tip, then the branch moved on with plain git: made.
	shclone shpush
	offbranch
	journal2 "$C4" "$C5" "$T9" >.git/dipb-journal
	git fetch -q --depth 1 origin
	git commit -q --allow-empty -m 'Plain git'
	run dipb list --format ids
	check_eq 'a sync made, the clone made shallow at its tip, then built on with git: its refs stay, the journal settled' \
	    "0 $T9, no journal" "$RC $(left dipb-journal)"
	check_eq 'a sync made, the clone made shallow at its tip, then built on with git: nothing said' \
	    '' "$(cat "$ERR")"

	# A whole clone that lost a commit (C3, the parent of C4): no cut,
	# the history incomplete: an error, the change and its journal left.
	# The change's commit is on C3, so that no walk can tell without it,
	# whichever of the branch's commits of one second it reads first.
	shclone shlost
	offbranch "$C3"
	git repack -q -a -d && mv .git/objects/pack "$TROOT/shlost.pack" &&
	    mkdir .git/objects/pack &&
	    cat "$TROOT/shlost.pack"/*.pack | git unpack-objects -q &&
	    rm -r "$TROOT/shlost.pack" &&
	    rm ".git/objects/$(echo "$C3" | cut -c1-2)/$(echo "$C3" | cut -c3-)"
	journal1 "$C3" "$Y" "$T9" >.git/dipb-journal
	run dipb recommend --wg industrial-capacity --title 'Not yet' \
	    --summary S --no-edit
	check_eq 'a clone that lost a commit: a writing command refuses, exit 5, the tag and the journal stay' \
	    "5 $T9, journal" "$RC $(left dipb-journal)"
	check_err 'a clone that lost a commit: the change named, the history incomplete' \
	    "dipb: an interrupted change ($T9) is left as it is, with its journal: history incomplete: the parent of commit '$C4' is missing"
	check_eq 'a clone that lost a commit: said once, as the error, no warning' \
	    1 "$(grep -c 'an interrupted change' "$ERR")"

	# --- a journal whose refs are not a branch and a tag ---------------

	# A journal no dipb wrote: a tag ref shorter than refs/tags/ (read
	# past, to name the tag in a warning) or a branch with ".." (whose
	# lock file, "<git dir><branch>.lock", was removed outside the git
	# dir when it held the journal's new id).  It is unreadable, and
	# discarded with a warning, nothing else touched.
	J_A=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
	J_B=bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb
	for _j in 'refs/heads/main refs/t' \
	    'refs/heads/../../../../outside refs/tags/IC-0001/2-review-requested'
	do
		cd "$TROOT" && rm -rf "$TROOT/badjournal" "$TROOT/outside.lock" &&
		    cp -a "$BASE" "$TROOT/badjournal" &&
		    cd "$TROOT/badjournal" || exit 1
		echo "$J_B" >"$TROOT/outside.lock"
		printf 'dipb-journal 1\nbranch %s\nold %s\nnew %s\ntag-ref %s\ntag %s\nfile %s %s dipb.yaml\nend\n' \
		    "${_j% *}" $J_A $J_B "${_j#* }" $J_B $J_A $J_B \
		    >.git/dipb-journal
		run dipb list --format ids
		check_eq "journal of branch ${_j% *}, tag ref ${_j#* }: discarded as unreadable, the file outside the git dir kept" \
		    "0 yes no" \
		    "$RC $(grep -q "discarding an unreadable journal" "$ERR" &&
		    echo yes) $([ -e .git/dipb-journal ] && echo yes || echo no)"
		check 'a journal with a bad ref: the file outside the git dir kept' \
		    test -e "$TROOT/outside.lock"
	done
	# --- an I/O error at each fsync, at each listing of a folder --------
	#
	# strace's fault injection fails the Nth fsync of a change with EIO,
	# for each N in turn: of an object, of the journal, of a ref, or of a
	# folder after a rename.  The change is then whole (exit 0) or absent
	# (an error, the next command discarding what was begun), as after a
	# kill; a ref renamed into place stays, its folder's failed sync said
	# as a warning (a tag left on no branch, or a branch moved without its
	# tag, before).  EINTR at each fsync of a change: the sync made again,
	# the change made without a word (exit 5, or a warning, before).
	#
	# readdir(3) returns NULL at a folder's end and on a failure alike.
	# EIO at each getdents64 of a change, in turn: the change is whole
	# under the right tag number, or refused with nothing made (a failed
	# listing of refs/tags/IC-0001/ read as its end numbered the change 1
	# again, for good).  And dipb validate with recommendations/ unread
	# reports it, never a clean board (exit 0, before).
	if command -v strace >/dev/null 2>&1 &&
	    strace -o /dev/null true 2>/dev/null; then
		fault_sweep EIO fsync '' review IC-0001 --request
		fault_sweep EIO fsync '' recommend --wg industrial-capacity \
		    --title EIO --summary S --no-edit
		fault_sweep EINTR fsync '' review IC-0001 --request
		fault_sweep EIO getdents64 IC-0001/2-review-requested \
		    review IC-0001 --request
		cd "$TROOT" && rm -rf "$TROOT/eio" &&
		    cp -a "$BASE" "$TROOT/eio" && cd "$TROOT/eio" || exit 1
		ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
		    strace -f -o /dev/null -e trace=getdents64 \
		    -e inject=getdents64:error=EIO:when=1+ \
		    dipb validate recommendations >"$TROOT/eio.out" 2>/dev/null
		rc=$?
		check_eq 'validate of a clean board with recommendations/ unreadable: exit 1' \
		    1 "$rc"
		check_file_has 'and says the folder cannot be read [io]' \
		    "$TROOT/eio.out" 'recommendations.*cannot read: Input/output error.*\[io\]'
	else
		skip 'EIO at each fsync of a change' 'no working strace'
		skip 'EINTR at each fsync of a change' 'no working strace'
		skip 'EIO at each getdents64 of a change' 'no working strace'
		skip 'validate with recommendations/ unreadable' 'no working strace'
		skip 'and says the folder cannot be read' 'no working strace'
	fi

	# synced_between FILE A SYNC B: in strace -y's log FILE, a line
	# matching SYNC that returned 0 (a failed fsync synced nothing)
	# after the last line matching A before the first matching B, and
	# both A and B there.
	synced_between() {
		awk -v a="$2" -v s="$3" -v b="$4" '
		    $0 ~ b { done = 1; exit !(seen && synced) }
		    $0 ~ a { seen = 1; synced = 0; next }
		    seen && $0 ~ s && / = 0$/ { synced = 1 }
		    END { if (!done) exit 1 }' "$1"
	}

	# --- dipb init, as a power loss leaves it ----------------------------
	#
	# The file renamed onto .git/index is fsync'ed after its last write,
	# before the rename, and .git after it: libgit2 writes dipb's private
	# copy of the index (index.dipb-tmp) unsynced, and that copy is never
	# the index's name (dipb_ix_git_commit).  renamed_synced LOG TARGET:
	# in strace -y's LOG, the last file renamed onto TARGET was synced
	# after its last write (rename, renameat or renameat2 alike), by an
	# fsync or fdatasync that returned 0 (one that failed synced nothing).
	renamed_synced() {
		awk -v t="$2" '
		function fd(s) { sub(/^[a-z0-9]+[(][0-9]+</, "", s)
		    sub(/>.*/, "", s); return s }
		function at(p, s) { return p ~ /^\// ? p : fd(s) "/" p }
		match($0, /(fsync|fdatasync)[(][0-9]+<[^>]*>/) && / = 0$/ {
		    synced[fd(substr($0, RSTART, RLENGTH))] = 1 }
		match($0, /write[(][0-9]+<[^>]*>/) {
		    synced[fd(substr($0, RSTART, RLENGTH))] = 0 }
		/ rename(at2?)?[(]/ && / = 0$/ {
		    split($0, q, "\""); src = q[2]; dst = q[4]
		    if (match($0, /renameat2?[(].*/)) {
			s = substr($0, RSTART); src = at(src, s)
			sub(/^[^"]*"[^"]*", /, "x(", s); dst = at(dst, s)
		    }
		    if (dst == t) { seen = 1; ok = synced[src] == 1 } }
		END { exit !(seen && ok) }' "$1"
	}
	# synthetic_sync RESULT: renamed_synced itself, on a trace made up:
	# a file written, fsync'ed with RESULT, then renamed onto /g/index.
	synthetic_sync() {
		printf '%s\n' '7 write(3</g/index.lock>, "DIRC", 4) = 4' \
		    "7 fsync(3</g/index.lock>) = $1" \
		    '7 rename("/g/index.lock", "/g/index") = 0' \
		    >"$TROOT/synthetic"
		renamed_synced "$TROOT/synthetic" /g/index
	}
	check 'renamed_synced: a file synced (= 0) before its rename passes' \
	    synthetic_sync 0
	if synthetic_sync '-1 EIO (Input/output error)'; then
		not_ok 'renamed_synced: an fsync that failed (EIO) is no sync' \
		    "$(cat "$TROOT/synthetic")"
	else
		ok 'renamed_synced: an fsync that failed (EIO) is no sync'
	fi
	if command -v strace >/dev/null 2>&1 &&
	    strace -o /dev/null true 2>/dev/null; then
		cd "$(mktemp -d "$TROOT/init.XXXXXX")" && git init -q || exit 1
		G=$(cd .git && pwd -P)
		as chair
		ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
		    DIPB_FSYNC=1 strace -f -y -o "$TROOT/calls" \
		    -e trace=write,fsync,fdatasync,rename,renameat,renameat2 \
		    dipb init --config "$BOARD_CONFIG" >/dev/null 2>&1
		check 'dipb init: the file renamed onto .git/index synced' \
		    renamed_synced "$TROOT/calls" "$G/index"
		check 'dipb init: .git synced after the index is renamed' \
		    synced_between "$TROOT/calls" "rename.*\"$G/index\"" \
		    "fsync[(][0-9]+<$G>[)] = 0$" "exited with 0"
		cd "$TROOT" || exit 1
	else
		skip 'dipb init: the file renamed onto .git/index synced' \
		    'no working strace'
		skip 'dipb init: .git synced after the index is renamed' \
		    'no working strace'
	fi

	# --- a file system that does not sync folders ------------------------
	#
	# fsync(2) of a folder refused with EINVAL (some FUSE and network file
	# systems; a shim here, for the folders whose path has
	# SHIM_DIR_PREFIX in it when set): no failure, as git works there
	# (dipb(1), DIPB_FSYNC).  Every writing command failed, init
	# included ("failed to fsync directory ... Invalid argument", exit 5,
	# before).
	if shim dirsync '#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
static int isdir(int fd) { struct stat st; char l[64], p[4096]; ssize_t n;
	const char *pf = getenv("SHIM_DIR_PREFIX");
	if (fstat(fd, &st) != 0 || !S_ISDIR(st.st_mode)) return 0;
	if (pf == NULL) return 1;
	snprintf(l, sizeof(l), "/proc/self/fd/%d", fd);
	if ((n = readlink(l, p, sizeof(p) - 1)) < 0) return 0;
	p[n] = 0; return strstr(p, pf) != NULL; }
int fsync(int fd) { int (*f)(int) = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
	if (isdir(fd)) { errno = EINVAL; return -1; } return f(fd); }
int fdatasync(int fd) {
	int (*f)(int) = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
	if (isdir(fd)) { errno = EINVAL; return -1; } return f(fd); }'; then
		dsync() {
			env LD_PRELOAD="$TROOT/dirsync.so" DIPB_FSYNC=1 \
			    ASAN_OPTIONS="$SHIM_ASAN" dipb "$@"
		}
		mkdir "$TROOT/nodirsync" && cd "$TROOT/nodirsync" &&
		    git init -q || exit 1
		as chair
		check_status 0 'folders not synced (EINVAL): dipb init works' \
		    dsync init --config "$BOARD_CONFIG"
		as drafter
		check_status 0 'folders not synced: dipb recommend works' \
		    dsync recommend --wg industrial-capacity --title T \
		    --summary S. --no-edit
		sedit recommendations/IC-0001.yaml 's/^summary: .*/summary: Hand./'
		check_status 0 'folders not synced: dipb edit --no-edit works' \
		    dsync edit IC-0001 --no-edit
		check_status 0 'folders not synced: dipb review --request works' \
		    dsync review IC-0001 --request
		git config core.sharedRepository group
		check_status 0 'folders not synced, a shared repository: dipb recommend works' \
		    dsync recommend --wg industrial-capacity --title T2 \
		    --summary S. --no-edit
		check_whole 'folders not synced: git fsck, dipb verify, git status clean, no journal'
		# GIT_OBJECT_DIRECTORY on a file system that does not sync
		# folders, the git dir on one that does: the objects folder
		# asked is the one libgit2 writes into ("failed to fsync
		# directory '.../objs/2b'", exit 5, before).
		cp -a .git/objects "$TROOT/nds-objs" || exit 1
		check_status 0 'GIT_OBJECT_DIRECTORY'"'"'s folders not synced: dipb recommend works' \
		    env GIT_OBJECT_DIRECTORY="$TROOT/nds-objs" \
		    SHIM_DIR_PREFIX=/nds-objs LD_PRELOAD="$TROOT/dirsync.so" \
		    DIPB_FSYNC=1 ASAN_OPTIONS="$SHIM_ASAN" dipb recommend \
		    --wg industrial-capacity --title T3 --summary S. --no-edit
		check_status 0 'and git fsck with it is clean' \
		    env GIT_OBJECT_DIRECTORY="$TROOT/nds-objs" git fsck --strict
		rm -rf .git/objects && cp -a "$TROOT/nds-objs" .git/objects ||
		    exit 1
		# Where folders do not sync, the file systems flushed after
		# the journal is renamed into place, before the refs move,
		# and before it goes, after the index (one flush, before the
		# journal, before: the journal, the tag's new folder and the
		# refs durable only by chance).
		if command -v strace >/dev/null 2>&1 &&
		    strace -o /dev/null true 2>/dev/null; then
			G=$(cd .git && pwd -P)
			ASAN_OPTIONS=$SHIM_ASAN:detect_leaks=0 DIPB_FSYNC=1 \
			    strace -f -y -o "$TROOT/calls" \
			    -e trace=rename,renameat,unlink,syncfs \
			    env LD_PRELOAD="$TROOT/dirsync.so" dipb recommend \
			    --wg industrial-capacity --title T4 --summary S. \
			    --no-edit >/dev/null 2>&1
			check 'folders not synced: a flush after the journal is renamed, before the refs' \
			    synced_between "$TROOT/calls" \
			    "renameat[(][0-9]+<$G>, [^,]*, [0-9]+<$G>, \"dipb-journal\"" "syncfs[(]" \
			    "rename[(]\"$G/refs/"
			check 'folders not synced: a flush after the index, before the journal goes' \
			    synced_between "$TROOT/calls" \
			    "rename[(]\"$G/index.lock\"" "syncfs[(]" \
			    "unlink[(]\"$G/dipb-journal\""
			n=$(grep -c 'syncfs(' "$TROOT/calls")	# the last: n
			# Recovery, undoing a tag or completing a change:
			# the file systems flushed before the journal goes
			# (its folders' fsyncs did nothing, before).
			# recovered CHECK AFTER FAULT: a change killed at
			# FAULT, recovered by the next command under strace;
			# CHECK: a flush after the last line matching AFTER,
			# before the journal goes.
			recovered() {
				env DIPB_FAULT="$3" LD_PRELOAD="$TROOT/dirsync.so" \
				    DIPB_FSYNC=1 ASAN_OPTIONS="$SHIM_ASAN:detect_leaks=0" \
				    dipb recommend --wg industrial-capacity \
				    --title "$3" --summary S. --no-edit \
				    >/dev/null 2>&1
				ASAN_OPTIONS=$SHIM_ASAN:detect_leaks=0 \
				    DIPB_FSYNC=1 strace -f -y -o "$TROOT/calls" \
				    -e trace=rename,unlink,rmdir,syncfs \
				    env LD_PRELOAD="$TROOT/dirsync.so" dipb list \
				    >/dev/null 2>&1
				check "$1" synced_between "$TROOT/calls" "$2" \
				    "syncfs[(]" "unlink[(]\"$G/dipb-journal\""
			}
			recovered 'folders not synced: a rollback flushes after the tag goes, before the journal' \
			    "(rmdir|unlink)[(]\"$G/refs/tags/" tag-ref
			recovered 'folders not synced: a completed change flushes after the index, before the journal' \
			    "rename[(]\"$G/index.lock\"" branch
			check_whole 'folders not synced: recovered, the board whole'
			# The last flush, before the journal goes, failing
			# (EIO, which Linux reports once): the change made,
			# the journal left for the next command, and said
			# (without a word, before).
			ASAN_OPTIONS=$SHIM_ASAN:detect_leaks=0 DIPB_FSYNC=1 \
			    strace -f -o /dev/null -e trace=syncfs \
			    -e inject=syncfs:error=EIO:when="$n" \
			    env LD_PRELOAD="$TROOT/dirsync.so" dipb recommend \
			    --wg industrial-capacity --title T5 --summary S. \
			    --no-edit >/dev/null 2>"$TROOT/err"
			rc=$?
			check_eq 'folders not synced, EIO at the last flush: the change made (exit 0), the journal left' \
			    '0 yes' "$rc $([ -e .git/dipb-journal ] && echo yes)"
			check_file_has 'and says so' "$TROOT/err" \
			    'warning: the change is made, but its flush to disk failed; its journal stays [(]the next dipb command finishes it[)]: .*Input/output error'
			check 'and the next command finishes it' dsync list
			check_whole 'EIO at the last flush: the board whole'
			# A change that fails (EIO at the branch's rename) and
			# is undone, its last flush failing too: said undone,
			# not made (each flush tried, as their count differs).
			said=
			k=1
			while [ "$k" -le "$n" ] && [ -z "$said" ]; do
				ASAN_OPTIONS=$SHIM_ASAN:detect_leaks=0 \
				    DIPB_FSYNC=1 strace -f -o /dev/null \
				    -e trace=rename,syncfs \
				    -e inject=rename:error=EIO:when=2 \
				    -e inject=syncfs:error=EIO:when="$k" \
				    env LD_PRELOAD="$TROOT/dirsync.so" \
				    dipb recommend --wg industrial-capacity \
				    --title "U$k" --summary S. --no-edit \
				    >/dev/null 2>"$TROOT/err"
				rc=$?
				if [ "$rc" -ne 0 ] && [ -e .git/dipb-journal ] &&
				    grep -q 'flush to disk failed' "$TROOT/err"; then
					said=$(grep 'flush to disk failed' "$TROOT/err")
				fi
				dsync list >/dev/null 2>&1
				k=$((k + 1))
			done
			check_eq 'an undone change whose last flush fails: said undone, not made' \
			    'undone' "$(printf '%s' "$said" |
			    sed -n 's/.*the change is \([a-z]*\), but.*/\1/p')"
			check_whole 'EIO at an undone change'"'"'s last flush: the board whole'
		else
			skip 'folders not synced: the flushes' 'no working strace'
		fi
		# dipb sync asks whether folders sync before its first
		# object or journal (a replay's objects are written with
		# fsync off): a dropped change's tag written (exit 5,
		# "cannot write the tag 'dropped/...'", before), the file
		# systems flushed before the journal goes (not at all,
		# before).
		new_board nds-a
		as drafter
		mkrec industrial-capacity 'Edited on both sides' >/dev/null
		git init -q --bare "$TROOT/nds-remote.git" &&
		    git remote add origin "$TROOT/nds-remote.git" &&
		    git push -q origin HEAD:main --tags 2>/dev/null &&
		    git clone -q "$TROOT/nds-remote.git" "$TROOT/nds-b" ||
		    exit 1
		sedit recommendations/IC-0001.yaml 's/^summary: .*/summary: Here./'
		dsync edit IC-0001 --no-edit >/dev/null 2>&1
		git push -q origin HEAD:main --tags 2>/dev/null || exit 1
		cd "$TROOT/nds-b" || exit 1
		sedit recommendations/IC-0001.yaml 's/^summary: .*/summary: There./'
		dsync edit IC-0001 --no-edit >/dev/null 2>&1
		check_status 6 'folders not synced: dipb sync dropping a change exits 6, its tag kept' \
		    dsync sync
		check 'and refs/dipb/dropped/ keeps it' \
		    git rev-parse -q --verify 'refs/dipb/dropped/IC-0001/2-edited^{tag}'
		check_whole 'folders not synced, a change dropped by dipb sync: the board whole'
		if command -v strace >/dev/null 2>&1 &&
		    strace -o /dev/null true 2>/dev/null; then
			cd "$BOARD" || exit 1
			dsync recommend --wg industrial-capacity --title S1 \
			    --summary S. --no-edit >/dev/null 2>&1
			git push -q origin HEAD:main --tags 2>/dev/null || exit 1
			cd "$TROOT/nds-b" || exit 1
			dsync recommend --wg industrial-capacity --title S2 \
			    --summary S. --no-edit >/dev/null 2>&1
			G=$(cd .git && pwd -P)
			ASAN_OPTIONS=$SHIM_ASAN:detect_leaks=0 DIPB_FSYNC=1 \
			    strace -f -y -o "$TROOT/calls" \
			    -e trace=rename,renameat,unlink,syncfs \
			    env LD_PRELOAD="$TROOT/dirsync.so" dipb sync \
			    >/dev/null 2>&1
			check 'folders not synced: dipb sync flushes after the journal is renamed, before the branch' \
			    synced_between "$TROOT/calls" \
			    "renameat[(][0-9]+<$G>, [^,]*, [0-9]+<$G>, \"dipb-journal\"" "syncfs[(]" \
			    "rename[(]\"$G/refs/heads/"
			check 'folders not synced: dipb sync flushes after the branch and the index, before the journal goes' \
			    synced_between "$TROOT/calls" \
			    "rename[(]\"$G/(index.lock|refs/heads/)" "syncfs[(]" \
			    "unlink[(]\"$G/dipb-journal\""
			check_whole 'folders not synced, a change replayed by dipb sync: the board whole'
		else
			skip 'folders not synced: the flushes of dipb sync' 'no working strace'
		fi
	else
		skip 'folders not synced: dipb init works' 'no C compiler'
	fi

	# --- the order of the syncs (strace) ----------------------------------
	#
	# What the end of a change and a rollback make durable before the
	# journal goes (dipb(1), DIPB_FSYNC): a new tag's folder synced into
	# refs/tags, the git dir after the index's rename, the objects folder
	# before the journal; and, rolling back a change killed after its tag
	# ref, refs/tags synced before the journal is removed (none of these,
	# before: a crash could leave a branch without its tag, the old index,
	# or the undone tag back with no journal).
	#
	if command -v strace >/dev/null 2>&1 &&
	    strace -o /dev/null true 2>/dev/null; then
		cd "$TROOT" && rm -rf "$TROOT/order" &&
		    cp -a "$BASE" "$TROOT/order" && cd "$TROOT/order" || exit 1
		G=$(cd .git && pwd -P)
		as drafter
		# traced TITLE [VAR=VALUE...]: a recommendation under strace,
		# its calls into $TROOT/calls.
		traced() {
			_t=$1
			shift
			env ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
			    DIPB_FSYNC=1 "$@" strace -f -y -o "$TROOT/calls" \
			    -e trace=mkdir,rename,renameat,unlink,rmdir,fsync,openat \
			    dipb recommend --wg industrial-capacity \
			    --title "$_t" --summary S. --no-edit >/dev/null 2>&1
		}
		traced Order
		check 'a new tag folder: refs/tags synced after its mkdir, before the journal goes' \
		    synced_between "$TROOT/calls" "mkdir[(]\"$G/refs/tags/[^/\"]*\", [0-7]*[)] = 0" \
		    "fsync[(][0-9]+<$G/refs/tags>" "unlink[(]\"$G/dipb-journal\""
		check 'the index renamed: the git dir synced before the journal goes' \
		    synced_between "$TROOT/calls" "rename[(]\"$G/index.lock\", \"$G/index\"" \
		    "fsync[(][0-9]+<$G>" "unlink[(]\"$G/dipb-journal\""
		check 'new objects: the objects folder synced before the journal is written' \
		    synced_between "$TROOT/calls" "openat[(].*$G/objects/[0-9a-f][0-9a-f]/" \
		    "fsync[(][0-9]+<$G/objects>" "renameat[(][0-9]+<$G>, [^,]*, [0-9]+<$G>, \"dipb-journal\""
		# GIT_OBJECT_DIRECTORY: the folder synced is the one libgit2
		# writes into (.git/objects, before).
		cp -a .git/objects "$TROOT/order-objs" || exit 1
		O=$(cd "$TROOT/order-objs" && pwd -P)
		traced Order2 GIT_OBJECT_DIRECTORY="$O"
		check 'GIT_OBJECT_DIRECTORY: its folder synced after the new objects, before the journal' \
		    synced_between "$TROOT/calls" "openat[(].*$O/[0-9a-f][0-9a-f]/" \
		    "fsync[(][0-9]+<$O>" "renameat[(][0-9]+<$G>, [^,]*, [0-9]+<$G>, \"dipb-journal\""
		GIT_OBJECT_DIRECTORY="$O" git fsck >/dev/null 2>&1 ||
		    not_ok 'GIT_OBJECT_DIRECTORY: git fsck clean'
		rm -rf .git/objects && cp -a "$O" .git/objects || exit 1
		ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
		    DIPB_FAULT=tag-ref dipb recommend --wg industrial-capacity \
		    --title Killed --summary S. --no-edit >/dev/null 2>&1
		[ "$(ntags)" -gt "$(ncommits)" ] ||
		    not_ok 'killed after the tag ref: a tag is there to undo'
		ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
		    DIPB_FSYNC=1 strace -f -y -o "$TROOT/calls" \
		    -e trace=rename,unlink,rmdir,fsync \
		    dipb list >/dev/null 2>&1
		check 'a rollback: refs/tags synced after the tag folder goes, before the journal' \
		    synced_between "$TROOT/calls" "(rmdir|unlink)[(]\"$G/refs/tags/" \
		    "fsync[(][0-9]+<$G/refs/tags>" "unlink[(]\"$G/dipb-journal\""
		check_whole 'and the rollback leaves the board whole'
	else
		skip 'the order of the syncs' 'no working strace'
	fi

	# --- the same commit made in another worktree -------------------------
	#
	# A change killed in a linked worktree after its tag ref, then the
	# same move in the main worktree, by the same member in the same
	# second: the same commit and tag, to the byte, now main's.  The
	# killed change's recovery, finding its own branch unmoved, must not
	# take the tag from main (tag-missing for good, before).
	cd "$TROOT" && rm -rf "$TROOT/wtmain" "$TROOT/wtlinked" &&
	    cp -a "$BASE" "$TROOT/wtmain" && cd "$TROOT/wtmain" || exit 1
	git worktree add -q -b other "$TROOT/wtlinked"
	as drafter
	run env GIT_AUTHOR_DATE='2026-05-04T10:00:00+0000' \
	    GIT_COMMITTER_DATE='2026-05-04T10:00:00+0000' DIPB_FAULT=tag-ref \
	    dipb -C "$TROOT/wtlinked" review IC-0001 --request
	check_eq 'the linked worktree'"'"'s change killed at tag-ref' 137 "$RC"
	run env GIT_AUTHOR_DATE='2026-05-04T10:00:00+0000' \
	    GIT_COMMITTER_DATE='2026-05-04T10:00:00+0000' \
	    dipb review IC-0001 --request
	check_eq 'the same move in the main worktree: made' \
	    '0 IC-0001/2-review-requested' \
	    "$RC $(git describe --exact-match main 2>/dev/null)"
	run dipb -C "$TROOT/wtlinked" list
	run dipb list
	check_eq 'after both worktrees recovered, main keeps its tag' \
	    "$(git rev-parse main)" \
	    "$(git rev-parse -q --verify 'IC-0001/2-review-requested^{commit}')"
	check_whole 'and fsck, verify and status are clean'
	git worktree remove --force "$TROOT/wtlinked"

	# --- a signal while a temporary file is written ------------------------
	#
	# report -o, the records cache and fmt write a file under a name of
	# their own (NAME.dipb-tmp.PID), renamed over it once whole.  A ^C
	# (SIGINT, sent to dipb by a shim as soon as the open(2) that created
	# the file whose name has SIG_AT in it returns, in whichever thread
	# made it, whatever the order of the worker threads' opens) kills
	# dipb, as ever, but the file is removed: with the process id in its
	# name, no later dipb would remove it.  The shim names the file it
	# signalled at (SIG_MARK, a symbolic link to it).
	if shim sigtmp '#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
static int fired;
static int sigint_after(const char *p, int flags, int fd) {
	const char *at = getenv("SIG_AT"), *mark = getenv("SIG_MARK");
	if (fd != -1 && (flags & O_CREAT) && at != NULL && strstr(p, at) &&
	    !__atomic_exchange_n(&fired, 1, __ATOMIC_SEQ_CST)) {
		if (mark == NULL || symlink(p, mark) != 0)
			abort();
		kill(getpid(), SIGINT);
	}
	return fd;
}
static mode_t mode_of(int flags, va_list ap) {
	return (flags & (O_CREAT | O_TMPFILE)) ? (mode_t)va_arg(ap, int) : 0;
}
#define OPEN(name) int name(const char *p, int flags, ...) { \
	static int (*real)(const char *, int, ...); \
	va_list ap; \
	mode_t m; \
	if (!real) real = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT, #name); \
	va_start(ap, flags); \
	m = mode_of(flags, ap); \
	va_end(ap); \
	return sigint_after(p, flags, real(p, flags, m)); \
}
/* A name relative to a folder (openat(2): the records cache, written in \
 * its folder; dipb(1), FILES) made whole from the folder'"'"'s path. */ \
static const char *full_of(int dir, const char *p, char *full, size_t n) { \
	char fdp[64]; \
	ssize_t l; \
	if (dir < 0 || p[0] == 0x2f) return p; \
	snprintf(fdp, sizeof(fdp), "/proc/self/fd/%d", dir); \
	if ((l = readlink(fdp, full, n - 1)) <= 0) return p; \
	full[l] = 0; \
	snprintf(full + l, n - (size_t)l, "/%s", p); \
	return full; \
}
#define OPENAT(name) int name(int dir, const char *p, int flags, ...) { \
	static int (*real)(int, const char *, int, ...); \
	char full[4096]; \
	va_list ap; \
	mode_t m; \
	if (!real) real = (int (*)(int, const char *, int, ...))dlsym(RTLD_NEXT, #name); \
	va_start(ap, flags); \
	m = mode_of(flags, ap); \
	va_end(ap); \
	return sigint_after(full_of(dir, p, full, sizeof(full)), flags, \
	    real(dir, p, flags, m)); \
}
OPEN(open)
OPEN(open64)
OPENAT(openat)
OPENAT(openat64)'
	then
		# A job started with & in a script inherits SIGINT ignored,
		# which dipb keeps (as a shell's child must): given back its
		# default where env(1) can, else the checks are skipped.
		defsig=
		if env --default-signal=INT true 2>/dev/null; then
			defsig='env --default-signal=INT'
		fi
		ign=$(sed -n 's/^SigIgn:[[:space:]]*//p' /proc/$$/status 2>/dev/null)
		sigok=1
		if [ -z "$defsig" ] && [ -n "$ign" ] &&
		    [ $((0x$ign & 2)) -ne 0 ]; then
			sigok=0
			skip 'a signal while a temporary file is written' \
			    'SIGINT ignored by the shell that started this script, and no env --default-signal'
		fi
		cd "$TROOT" && rm -rf "$TROOT/sig" && cp -a "$BASE" "$TROOT/sig" &&
		    cd "$TROOT/sig" || exit 1
		[ "$sigok" = 1 ] && for at_cmd in "sig.md report status -o $TROOT/sig.md" \
		    'records.cache list' 'IC-0001.yaml fmt'; do
			at=${at_cmd%% *}.dipb-tmp. cmd=${at_cmd#* }
			find "$TROOT/sig" "$TROOT" -maxdepth 4 -name '*dipb-tmp*' \
			    -exec rm -rf {} +
			rm -rf .git/dipb "$TROOT/sig.md" "$TROOT/sigmark"
			git checkout -q -- recommendations/IC-0001.yaml
			sedit recommendations/IC-0001.yaml 's/^title: \(.*\)/title:    "\1"/'
			# shellcheck disable=SC2086 # the words of cmd
			SIG_AT=/$at SIG_MARK="$TROOT/sigmark" \
			    LD_PRELOAD="$TROOT/sigtmp.so" \
			    ASAN_OPTIONS="$SHIM_ASAN:detect_leaks=0" \
			    $defsig dipb $cmd >/dev/null 2>&1
			rc=$?
			check_eq "dipb ${cmd%% -o*}, SIGINT as its temporary file $at* is opened: killed by it, the file removed" \
			    "130 opened $at " \
			    "$rc $(test -L "$TROOT/sigmark" && echo opened) $(readlink "$TROOT/sigmark" | grep -o -F "/$at" | cut -c2-) $(find "$TROOT/sig" "$TROOT" -maxdepth 4 -name '*dipb-tmp*' | head -n 3)"
		done
	else
		skip 'a signal while a temporary file is written' \
		    'no C compiler for the shim'
	fi

	# --- dipb edit --no-edit killed at each rename --------------------------
	#
	# edit --no-edit commits the hand edit of a working file, which the
	# change writes back in canonical form.  Killed with SIGKILL at each
	# rename(2) of the change in turn (the journal's, a ref's lock, the
	# working file's temporary file, the index's), then a reading
	# command: the change is whole and git status clean, or it is absent
	# and the hand edit, byte for byte, is all git status shows.  The
	# working file was written before the branch moved, and a kill there
	# left FILE.dipb-tmp.BLOB untracked for good, and a kill after it the
	# user's text made canonical with no change made.
	#
	# edit_kills WHO FILE TAG SED CMD...: CMD as member WHO, FILE edited
	# by hand first with sed expression SED; TAG the change's.  The run
	# that counts the renames must succeed (a failed change has none,
	# and is no skip); one that saw none is a skip.
	edit_kills() {
		_who=$1 _file=$2 _tag=$3 _sed=$4
		shift 4
		cd "$TROOT" && rm -rf "$TROOT/ekill" &&
		    cp -a "$BASE" "$TROOT/ekill" && cd "$TROOT/ekill" || exit 1
		as "$_who"
		sedit "$_file" "$_sed"
		ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
		    strace -f -o "$TROOT/calls" \
		    -e trace=rename,renameat,renameat2 \
		    dipb "$@" >"$TROOT/ecount.out" 2>&1
		_rc=$?
		_what="dipb $*, killed at each of its renames, then dipb list: whole and git status clean, or absent with the hand edit alone"
		if [ "$_rc" -ne 0 ]; then
			# A failed change has no renames to sweep: no skip.
			not_ok "$_what" "the run counting renames: exit $_rc" \
			    "$(head -n 5 "$TROOT/ecount.out")"
			return
		fi
		# rename(2) by path (libgit2's locks), renameat(2) in a
		# folder (dipb's own files, written relative to theirs);
		# renameat2(2) for either where the kernel has no other
		# (aarch64).
		_nr=$(grep -c '^[0-9]* *rename(' "$TROOT/calls")
		_na=$(grep -c '^[0-9]* *renameat(' "$TROOT/calls")
		_n2=$(grep -c '^[0-9]* *renameat2(' "$TROOT/calls")
		_nf=$((_nr + _na + _n2))
		echo "# dipb $*: $_nf renames"
		_bad=0 _n=1
		while [ "$_n" -le "$_nf" ]; do
			_rn=rename _k=$_n
			[ "$_n" -le "$_nr" ] || _rn=renameat _k=$((_n - _nr))
			[ "$_n" -le $((_nr + _na)) ] ||
			    _rn=renameat2 _k=$((_n - _nr - _na))
			cd "$TROOT" && rm -rf "$TROOT/ekill" &&
			    cp -a "$BASE" "$TROOT/ekill" &&
			    cd "$TROOT/ekill" || exit 1
			sedit "$_file" "$_sed"
			cp "$_file" "$TROOT/hand"
			_n0=$(git rev-list --count HEAD)
			ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
			    strace -f -o /dev/null -e trace=$_rn \
			    -e inject=$_rn:signal=KILL:when=$_k \
			    dipb "$@" >/dev/null 2>&1
			_rc=$?
			dipb list >/dev/null 2>&1
			_n1=$(git rev-list --count HEAD)
			_w=$(whole nofsck)
			if [ "$_rc" -ne 137 ]; then
				_w="exit $_rc, not killed; $_w"
			elif [ "$_n1" -eq $((_n0 + 1)) ] && [ -z "$_w" ] &&
			    git rev-parse -q --verify "refs/tags/$_tag" >/dev/null; then
				_w=
			elif [ "$_n1" -eq "$_n0" ] &&
			    [ "$_w" = "git status --porcelain: M $_file" ] &&
			    cmp -s "$TROOT/hand" "$_file"; then
				_w=
			elif [ "$_n1" -eq "$_n0" ] &&
			    ! cmp -s "$TROOT/hand" "$_file"; then
				_w="absent, the hand edit not kept; $_w"
			fi
			if [ -n "$_w" ]; then
				_bad=$((_bad + 1))
				not_ok "dipb $* killed at $_rn $_k: whole, or absent with the hand edit kept" \
				    "$((_n1 - _n0)) commits; $_w"
			fi
			_n=$((_n + 1))
		done
		if [ "$_nf" -eq 0 ]; then
			skip "$_what" 'strace saw no rename'
		else
			check_eq "$_what" 0 "$_bad"
		fi
	}
	if command -v strace >/dev/null 2>&1 &&
	    strace -o /dev/null true 2>/dev/null; then
		edit_kills drafter recommendations/IC-0001.yaml \
		    IC-0001/2-edited 's/^title: .*/title:    "Edited by hand"/' \
		    edit IC-0001 --no-edit
		edit_kills chair dipb.yaml board/2-changed \
		    's/^short_name: .*/short_name:    "TX"/' edit --board --no-edit
	else
		skip 'dipb edit --no-edit killed at each rename' 'no working strace'
		skip 'dipb edit --board --no-edit killed at each rename' \
		    'no working strace'
	fi

	# --- no inode left ----------------------------------------------------

	# A change on a file system with k inodes free, for each k from none
	# to more than a change takes: it is made whole, or refused (exit 5)
	# with nothing of it left, not even for a moment: no tag off the
	# branch, no journal (no inode for index.lock or main.lock once left
	# its tag in place, libgit2's removal needing an inode for its lock).
	# A tmpfs (nr_inodes) needs root; anyone else skips.
	MNT=$TROOT/inodes
	mkdir -p "$MNT"
	if mount -t tmpfs -o size=16m,nr_inodes=600 tmpfs "$MNT" 2>/dev/null
	then
		made=0 refused=0 bad=
		for k in $(seq 0 24); do
			cd "$TROOT" && rm -rf "$MNT/b" "$MNT/fill" &&
			    cp -a "$BASE" "$MNT/b" && mkdir "$MNT/fill" || exit 1
			i=0
			while true 2>/dev/null >"$MNT/fill/$i"; do
				i=$((i + 1))
			done
			j=0
			while [ "$j" -lt "$k" ] && [ "$i" -gt 0 ]; do
				i=$((i - 1)) j=$((j + 1))
				rm "$MNT/fill/$i"
			done
			cd "$MNT/b" || exit 1
			as drafter
			run dipb review IC-0001 --request
			rc=$RC
			left=$(git tag --no-merged HEAD | tr '\n' ' ')
			[ -e .git/dipb-journal ] && left="$left journal"
			rm -rf "$MNT/fill"
			if [ "$rc" -eq 0 ]; then
				made=$((made + 1))
			elif [ "$rc" -eq 5 ] && [ -z "$left" ]; then
				refused=$((refused + 1))
			else
				bad="$bad k=$k: exit $rc, left: $left;"
			fi
			w=$(whole)
			[ -z "$w" ] || bad="$bad k=$k, then: $w;"
		done
		cd "$TROOT" && umount "$MNT"
		check_eq 'no inode left: each change whole, or refused leaving nothing' \
		    '' "$bad"
		check_eq 'no inode left: some changes refused, the last made' \
		    'yes yes' "$([ "$refused" -gt 0 ] && echo yes) $([ "$made" -gt 0 ] && echo yes)"
	else
		skip 'no inode left: each change whole, or refused leaving nothing' \
		    'cannot mount a tmpfs (not root)'
	fi

fi

# --- random kills ---------------------------------------------------------------

cd "$TROOT" && rm -rf "$TROOT/random" && cp -a "$BASE" "$TROOT/random" &&
    cd "$TROOT/random" || exit 1
as drafter
# How long one change takes here: the kills are spread over it.
t0=$(date +%s%N)
run dipb recommend --wg supply-chain-security --title Timed --summary S \
    --no-edit
t1=$(date +%s%N)
ms=$(((t1 - t0) / 1000000))
if [ -n "${KILL_MS:-}" ]; then
	span=$KILL_MS
else
	span=40
	[ "$ms" -gt "$span" ] && span=$ms
fi
echo "# one change takes ${ms} ms; $KILLS kills after 0..${span} ms"

# The loop's commands skip LeakSanitizer's scan at exit: a killed process
# never reaches it, the commands that follow are the ones every other
# script runs with leak checking on, and the scan is a third of each run's
# cost here.  Memory errors are still caught.
if [ -n "${ASAN_OPTIONS:-}" ]; then
	ASAN_OPTIONS=$ASAN_OPTIONS:detect_leaks=0
	export ASAN_OPTIONS
fi
killed=0 finished=0 landed=0 absent=0 bad=0 k=0
n1=$(git rev-list --count HEAD)
while [ "$k" -lt "$KILLS" ]; do
	k=$((k + 1))
	n0=$n1		# nothing runs between one kill's count and the next
	# Alternately a new record and a review request of a draft.
	if [ $((k % 2)) -eq 1 ] ||
	    ! id=$(dipb list --status draft --format ids 2>/dev/null |
	    head -n 1) || [ -z "$id" ]; then
		set -- recommend --wg supply-chain-security --title "Kill $k" \
		    --summary S --no-edit
	else
		set -- review "$id" --request
	fi
	d=$(awk -v k="$k" -v s="$span" -v t="$t1" 'BEGIN {
		srand(k * 7919 + t % 100003); printf "%.3f", rand() * s / 1000 }')
	dipb "$@" </dev/null >/dev/null 2>&1 &
	pid=$!
	sleep "$d"
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	rc=$?
	if [ "$rc" -eq 137 ]; then
		killed=$((killed + 1))
	elif [ "$rc" -eq 0 ]; then
		finished=$((finished + 1))
	fi
	# The next command: reading, writing or verify, in turn.
	case $((k % 3)) in
	0) run dipb list --format ids ;;
	1) as chair	# a writer; nothing to change: exit 1
	   run dipb edit --board --no-edit
	   as drafter ;;
	2) run dipb verify ;;
	esac
	case $RC in
	0 | 1) ;;
	*) not_ok "kill $k: the next command works" "$(_said dipb)"
	   bad=$((bad + 1)) ;;
	esac
	# git fsck every tenth kill (and at the end): it is the slow one.
	if [ $((k % 10)) -eq 0 ]; then w=$(whole); else w=$(whole nofsck); fi
	n1=$(git rev-list --count HEAD)
	if [ -n "$w" ]; then
		bad=$((bad + 1))
		[ "$bad" -le 5 ] &&
		    not_ok "kill $k (after ${d}s, dipb $*): the repository is whole" "$w"
	elif [ "$n1" -eq "$n0" ]; then
		absent=$((absent + 1))
	elif [ "$n1" -eq $((n0 + 1)) ]; then
		landed=$((landed + 1))
	else
		bad=$((bad + 1))
		not_ok "kill $k: one change at most" "$n0 -> $n1 commits"
	fi
done
echo "# $KILLS random kills: $killed killed, $finished finished before" \
    "the kill; changes whole: $landed, absent: $absent, damaged: $bad"
check_eq "after each of $KILLS random kills the repository is whole" 0 "$bad"
check_eq 'every random kill left its change whole or absent' "$KILLS" \
    "$((landed + absent))"
check_whole 'after the random kills: fsck, verify and status are clean'
check_history 'after the random kills: every commit has one tag'
finish

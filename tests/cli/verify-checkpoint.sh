#!/bin/sh
# tests/cli/verify-checkpoint.sh - dipb verify's checkpoints
# (dipb-verify(1), "CHECKPOINTS"): verify --since replays from the state
# a verify left at a commit, and finds exactly what a replay of the whole
# history finds; a checkpoint of another commit, of other rules, cut
# short or edited by hand is not trusted; the files are written in the
# modes core.sharedRepository asks; the pre-receive hook keeps them in the
# repository it guards.
#
# How a test sees that a checkpoint was trusted: each bad checkpoint
# below is one that, trusted, changes the findings (a record's status
# that its next change does not move from), and a control case, the same
# edit with its digest made good again, shows that such a checkpoint is
# trusted and does change them.
. "$(dirname "$0")/lib.sh"

ckdir=.git/dipb/verify

# findings_since REV [STRIP]: 'dipb verify --since REV' with no checkpoint
# at all, its exit status and output (the reference).
reference() {
	rm -rf "$ckdir"
	dipb verify --since "$1" >"$TROOT/ref.out" 2>/dev/null
	echo "rc=$?" >>"$TROOT/ref.out"
}

# settle: waits until a packed-refs git just wrote can be bound to a
# checkpoint, which takes one changed 100 ms or more before
# (dipb-verify(1)); a dipb without the sanitizers gets there sooner.
settle() { sleep 0.2; }

# as_hook REV: the checkpoint a verify at REV made before the later
# changes were, as a server's hook leaves it: the tags of the commits after
# REV are not there yet.  Restores them after.
as_hook() {
	git rev-list "$1..main" | sort >"$TROOT/later"
	git for-each-ref --format='%(refname) %(objectname) %(*objectname)' \
	    refs/tags |
	    awk 'NR == FNR { c[$1] = 1; next } ($3 in c) || ($2 in c)' \
	    "$TROOT/later" - >"$TROOT/later-tags"
	awk '{ print "delete " $1 " " $2 }' "$TROOT/later-tags" |
	    git update-ref --stdin
	[ -s "$TROOT/later-tags" ] && settle
	git checkout -q --detach "$1"
	dipb verify >/dev/null 2>&1
	git checkout -q main
	awk '{ print "create " $1 " " $2 }' "$TROOT/later-tags" |
	    git update-ref --stdin
}

# same_since DESC REV [rebuilt]: with the checkpoint at REV that as_hook
# leaves, 'dipb verify --since REV' says what it says without one; the
# checkpoint is used (a finding planted in it is reported), or with
# "rebuilt", not used: the tags changed since in a way that could change
# what the commits up to REV make of them.
same_since() {
	reference "$2"
	rm -rf "$ckdir"
	as_hook "$2"
	_k=$(git rev-parse "$2")
	if [ ! -f "$ckdir/$_k" ]; then
		not_ok "$1" "no checkpoint at $2 ($_k): ls $ckdir: $(ls "$ckdir")"
		return
	fi
	cp "$ckdir/$_k" "$TROOT/ck.kept"
	judge "$1" "$2" "${3:-}"
}

# judge DESC REV [rebuilt]: with the checkpoint at REV in $ckdir/$_k, a
# copy in $TROOT/ck.kept, and $TROOT/ref.out what verify --since REV
# says without one: it says the same with it, and the checkpoint is used
# (a finding planted in it is reported) or, with "rebuilt", not used.
judge() {
	dipb verify --since "$2" >"$TROOT/ck.out" 2>/dev/null
	echo "rc=$?" >>"$TROOT/ck.out"
	if cmp -s "$TROOT/ref.out" "$TROOT/ck.out"; then
		ok "$1"
	else
		not_ok "$1" "$(diff "$TROOT/ref.out" "$TROOT/ck.out")"
	fi
	plant "$TROOT/ck.kept" \
	    'f - =XX-0001/1-drafted - =tag-missing =planted' >"$ckdir/$_k"
	redigest "$ckdir/$_k"
	run dipb verify --since "$2"
	if [ "$3" = rebuilt ]; then
		if grep -q 'planted' "$OUT"; then
			not_ok "$1: the checkpoint is not used" \
			    "$(_said dipb verify --since "$2")"
		else
			ok "$1: the checkpoint is not used"
		fi
	elif grep -q 'planted \[tag-missing\]$' "$OUT"; then
		ok "$1: the checkpoint is used"
	else
		not_ok "$1: the checkpoint is used" \
		    "$(_said dipb verify --since "$2")"
	fi
}

# untrusted DESC: with the checkpoint file now at $ckdir/$K, verify
# --since K says what it says without one.
untrusted() {
	dipb verify --since "$K" >"$TROOT/ck.out" 2>/dev/null
	echo "rc=$?" >>"$TROOT/ck.out"
	if cmp -s "$TROOT/ref.out" "$TROOT/ck.out"; then
		ok "$1"
	else
		not_ok "$1" "trusted: $(diff "$TROOT/ref.out" "$TROOT/ck.out")"
	fi
}

# plant FILE LINE: FILE with LINE before its records' lines (which come
# last), and a last line to redigest.
plant() {
	sed '$d' "$1" | awk -v l="$2" '/^r / && !d { print l; d = 1 }
	    { print } END { if (!d) print l; print "end" }'
}

# redigest FILE: its last line, the digest of the rest, made good again.
redigest() {
	sed '$d' "$1" >"$1.body"
	_h=$(git hash-object --stdin <"$1.body")
	{ cat "$1.body"; echo "end $_h"; } >"$1"
	rm -f "$1.body"
}

# endorse ID: two reviewers endorse ID, which is in review; a failed
# step fails a check.
endorse() {
	(as rev1 && dipb review "$1" --endorse && as rev2 &&
	    dipb review "$1" --endorse) >/dev/null 2>"$TROOT/setup.err" ||
	    not_ok "set-up: $1 endorsed" "$(cat "$TROOT/setup.err")"
}

# --- A clean history, then the hook's case: a checkpoint at the old tip ----

new_board
at 2026-03-02
as drafter
mkrec industrial-capacity 'Ammunition stockpiles' >/dev/null
mkrec supply-chain-security 'Rare earth supply' >/dev/null
drive IC-0001 endorsed
check_status 0 'a full verify of a clean board' dipb verify
tip=$(git rev-parse HEAD)
check 'a full verify leaves a checkpoint at the tip' test -f "$ckdir/$tip"
K=$tip
drive SCS-0001 submitted
as secretary
run dipb submit IC-0001 --reference REF-2
same_since 'clean: verify --since the old tip, from its checkpoint' "$K"

# The checkpoint is used: a control that changes what it says.
reference "$K"
rm -rf "$ckdir"
as_hook "$K"
f=$ckdir/$K
cp "$f" "$TROOT/good"
check 'the checkpoint names IC-0001 as endorsed (status 4)' \
    grep -q '^r =IC-0001 [0-9a-f]* 1 4 ' "$f"
sed 's/^\(r =IC-0001 [0-9a-f]* 1\) 4 /\1 1 /' "$TROOT/good" >"$f"
redigest "$f"
run dipb verify --since "$K"
if [ "$RC" -eq 1 ] && grep -q 'IC-0001.*\[\(transition\|status\|trailers\)\]$' "$OUT"; then
	ok 'control: an edited checkpoint with a good digest is trusted (what the cases below must not be)'
else
	not_ok 'control: an edited checkpoint with a good digest is trusted' \
	    "$(_said dipb verify --since "$K")"
fi

# --- Checkpoints not to trust ------------------------------------------------

reference "$K"
mkdir -p "$ckdir"
sed 's/^\(r =IC-0001 [0-9a-f]* 1\) 4 /\1 1 /' "$TROOT/good" >"$f"
untrusted 'a checkpoint edited by hand is not trusted'

sed 's/^\(r =IC-0001 [0-9a-f]* 1\) 4 /\1 1 /' "$TROOT/good" |
    sed 's/^rules =\([0-9]*\)-/rules =9\1-/' >"$f"
redigest "$f"
untrusted 'a checkpoint of other rules (a good digest) is not trusted'

# A count over its range that a 32-bit unsigned long would wrap to the
# count itself (N + 2^32; on a 64-bit host only the range refuses it).
n=$(sed -n 's/^tags \([0-9]*\) .*/\1/p' "$TROOT/good")
sed 's/^\(r =IC-0001 [0-9a-f]* 1\) 4 /\1 1 /' "$TROOT/good" |
    sed "s/^tags $n /tags $((n + 4294967296)) /" >"$f"
redigest "$f"
check 'the tags count made N + 2^32 (10 digits)' \
    grep -q "^tags $((n + 4294967296)) " "$f"
untrusted 'a checkpoint whose tags count is N + 2^32 is not trusted'

sed 's/^\(r =IC-0001 [0-9a-f]* 1\) 4 /\1 1 /' "$TROOT/good" >"$f"
redigest "$f"
head -c "$(($(wc -c <"$f") - 20))" "$f" >"$f.cut"
mv "$f.cut" "$f"
untrusted 'a checkpoint cut short is not trusted'
: >"$f"
untrusted 'an empty checkpoint is not trusted'
# A finding of a rule verify does not have (a good digest): not trusted,
# and nothing of it kept (under the sanitizers, no leak).
plant "$TROOT/good" 'f - =XX-0001/1-drafted - =tag-missing =planted' |
    sed '$d' >"$f.one"
plant "$f.one" 'f - =XX-0001/2-edited - =no-such-rule =planted' >"$f"
rm -f "$f.one"
redigest "$f"
check 'the checkpoint names a rule that does not exist after a tag-missing' \
    sh -c 'grep -A1 "tag-missing =planted" "$1" | grep -q no-such-rule' \
    sh "$f"
untrusted 'a checkpoint naming a rule verify does not have is not trusted'
# The control: the same two findings, both of a rule verify has, are
# trusted (both planted lines reported), so that it is the rule's name
# alone the case above turns on.
sed 's/=no-such-rule/=tag-missing/' "$f" >"$f.one" && mv "$f.one" "$f"
redigest "$f"
run dipb verify --since "$K"
check_eq 'control: the same with a rule verify has is trusted' \
    2 "$(grep -c 'planted \[tag-missing\]$' "$OUT")"

# Another commit's checkpoint, named as K's: the state after the first
# drafts, in which IC-0001 is a draft, with the tags line of K's (so that
# only its commit line tells).
rm -rf "$ckdir"
early=$(git rev-list --reverse main | sed -n 3p)
as_hook "$early"
mv "$ckdir/$early" "$TROOT/early"
rm -rf "$ckdir"
mkdir -p "$ckdir"
# (The tags, packed-refs' identity and the loose tags: K's.)
tagsline=$(grep '^tags ' "$TROOT/good")
packedline=$(grep '^packed ' "$TROOT/good")
grep '^l ' "$TROOT/good" >"$TROOT/good-l"
grep -v '^l ' "$TROOT/early" |
    sed "s/^tags .*/$tagsline/; s/^packed .*/$packedline/" |
    awk -v L="$TROOT/good-l" '/^([uf]|r )/ && !d {
	while ((getline x <L) > 0) print x; d = 1 } { print }' >"$f"
redigest "$f"
untrusted "another commit's checkpoint is not trusted"
sed "s/^commit .*/commit $K/" "$f" >"$f.new"
mv "$f.new" "$f"
redigest "$f"
run dipb verify --since "$K"
if [ "$RC" -eq 1 ]; then
	ok "control: the same, its commit line made K's, is trusted"
else
	not_ok "control: the same, its commit line made K's, is trusted" \
	    "$(_said dipb verify --since "$K")"
fi
rm -rf "$ckdir"

# A checkpoint made while tags of later commits were already there (a
# branch fast-forwarded to them): not the tags it was made with.
git checkout -q --detach "$K"
dipb verify >/dev/null 2>&1
git checkout -q main
check 'a checkpoint made with the later tags in place is there' test -f "$f"
untrusted 'a checkpoint made with other tags than now is not used'

# --- A bad history: the same findings from every checkpoint -----------------

# three_drafts NAME: a new board NAME with IC-0001, IC-0002 and SCS-0001
# drafted on 2026-03-02, the drafter acting.
three_drafts() {
	new_board "$1"
	at 2026-03-02
	as drafter
	mkrec industrial-capacity 'Ammunition stockpiles' >/dev/null
	mkrec industrial-capacity 'Powder' >/dev/null
	mkrec supply-chain-security 'Rare earth supply' >/dev/null
}

cd "$TROOT" || exit 1
three_drafts bad
scs_drafted=$(git rev-parse HEAD)
drive IC-0001 in-review
# A plain commit changes a record's status.
sed 's/^status: draft$/status: in-review/' recommendations/IC-0002.yaml \
    >"$TROOT/x" && cp "$TROOT/x" recommendations/IC-0002.yaml
as drafter
git commit -q -am 'hand edit'
# A tag deleted, one moved, a lightweight extra tag on an old change, a
# stray tag on no branch.
git tag -d IC-0001/2-review-requested >/dev/null
drive SCS-0001 in-review
git tag -f -a -m moved SCS-0001/1-drafted HEAD >/dev/null
git tag extra-on-old HEAD~2
git tag IC-0003/1-drafted HEAD~3
# No change is numbered past a deleted or a moved tag: refused, nothing
# made.
as rev1
check_status 5 'bad history: IC-0001, its tag deleted, is not endorsed' \
    dipb review IC-0001 --endorse
as secretary
run dipb withdraw IC-0002 -m 'No longer needed.'
as rev1
check_status 5 'bad history: SCS-0001, its tag moved, is not endorsed' \
    dipb review SCS-0001 --endorse
check_status 1 'the bad history has findings' dipb verify
n=$(git rev-list --count main)
i=1
while [ "$i" -lt "$n" ]; do
	# The tag of SCS-0001's draft, moved onto a later commit, was
	# missing when a checkpoint between them was made: made since, so
	# that checkpoint is not used.
	if git merge-base --is-ancestor \
	    "$(git rev-parse 'SCS-0001/1-drafted^{commit}')" "main~$i" ||
	    ! git merge-base --is-ancestor "$scs_drafted" "main~$i"; then
		same_since "bad history: verify --since main~$i" "main~$i"
	else
		same_since "bad history: verify --since main~$i (a tag moved after it)" \
		    "main~$i" rebuilt
	fi
	i=$((i + 3))
done

# --- packed-refs: the file a checkpoint was made with -----------------------
# A checkpoint binds packed-refs by its identity (device, inode, size,
# mtime, ctime): while the file is the same, only the loose tags are read
# (and the packed ones they override); when it is another, every tag, as
# before.  Any tag up to the checkpoint added, moved or deleted in either
# place makes it not used; a file touched, or written again the same, does
# not.

# ck_then DESC REV CMD [rebuilt]: the checkpoint that as_hook leaves at
# REV, then CMD run; verify --since REV says what it says without a
# checkpoint, and the checkpoint is used (or, with "rebuilt", not).
ck_then() {
	rm -rf "$ckdir"
	as_hook "$2"
	_k=$(git rev-parse "$2")
	cp "$ckdir/$_k" "$TROOT/ck.kept"
	grep -q '^packed 1 ' "$TROOT/ck.kept" ||
	    not_ok "$1: the checkpoint is bound to packed-refs" \
	    "$(grep '^packed' "$TROOT/ck.kept")"
	eval "$3" || not_ok "$1: the step ran" "$3"
	reference "$2"
	mkdir -p "$ckdir"
	cp "$TROOT/ck.kept" "$ckdir/$_k"
	judge "$1" "$2" "${4:-}"
}

# size FILE: its size in bytes.
size() { wc -c <"$1" | tr -d ' '; }

cd "$TROOT" || exit 1
three_drafts packed
drive IC-0001 in-review
git pack-refs --all
K=$(git rev-parse HEAD)
drive IC-0002 in-review
drive SCS-0001 in-review
pk=.git/packed-refs
settle
rm -rf "$ckdir"
as_hook "$K"
check 'the later tags are loose: the checkpoint is bound to packed-refs' \
    grep -q '^packed 1 ' "$ckdir/$K"
check 'and the tags line counts its tags' \
    grep -q "^tags $(grep -c ' refs/tags/' "$pk") " "$ckdir/$K"

orig=$(cat "$pk")
git for-each-ref --format='%(refname) %(objectname)' >"$TROOT/refs"
# put_back: packed-refs as it was, and every ref.
put_back() {
	rm -f .git/refs/tags/IC-0001/1-drafted
	printf '%s\n' "$orig" >"$pk.new" && mv "$pk.new" "$pk"
	git for-each-ref --format='%(refname)' |
	    awk 'NR == FNR { had[$1] = 1; next } !($1 in had) {
		print "delete " $1 }' "$TROOT/refs" - | git update-ref --stdin
	while read -r _ref _id; do
		[ "$(git rev-parse -q --verify "$_ref")" = "$_id" ] ||
		    git update-ref "$_ref" "$_id"
	done <"$TROOT/refs"
	settle
}
# in_packed NAME AWK: packed-refs rewritten (as git does: a new file, same
# order) by AWK, run on the line of ref NAME ($0) and its "^" line (p).
in_packed() {
	awk -v n="refs/tags/$1" '$2 == n { getline p; '"$2"'; next } { print }' \
	    "$pk" >"$pk.new" && mv "$pk.new" "$pk"
}
moved=$(git rev-parse IC-0001/2-review-requested)
movedc=$(git rev-parse IC-0001/2-review-requested^{commit})

ck_then 'packed-refs as it was' "$K" :
ck_then 'packed-refs touched (another mtime and ctime), its tags the same' \
    "$K" 'touch "$pk"'
ck_then 'packed-refs written again, the same bytes (another inode)' "$K" \
    'cp "$pk" "$pk.new" && mv "$pk.new" "$pk"'
ck_then 'a loose tag overriding a packed one with the same object' "$K" \
    'id=$(git rev-parse IC-0001/1-drafted) &&
    mkdir -p .git/refs/tags/IC-0001 &&
    printf "%s\n" "$id" >.git/refs/tags/IC-0001/1-drafted'
put_back
ck_then 'a packed tag moved by a loose one (git update-ref)' "$K" \
    'git update-ref refs/tags/IC-0001/1-drafted "$moved"' rebuilt
put_back
ck_then 'a packed tag moved in packed-refs, a file of the same size' "$K" \
    'sz=$(size "$pk"); in_packed IC-0001/1-drafted \
    "print \"$moved \" \$2; print \"^$movedc\""' rebuilt
check_eq '(packed-refs of the same size as before)' "$sz" "$(size "$pk")"
put_back
ck_then 'a packed tag renamed in packed-refs (one deleted, one added), the same size' \
    "$K" 'sz=$(size "$pk"); in_packed IC-0001/1-drafted \
    "sub(/drafted\$/, \"draftee\", \$2); print \$1, \$2; print p"' rebuilt
check_eq '(packed-refs of the same size as before)' "$sz" "$(size "$pk")"
put_back
ck_then 'a packed tag deleted (git update-ref -d)' "$K" \
    'git update-ref -d refs/tags/IC-0002/1-drafted' rebuilt
put_back
ck_then 'a tag on a commit before it added, packed' "$K" \
    'git tag IC-0001/9-drafted "$K~1" && git pack-refs --all' rebuilt
put_back
ck_then 'a tag on a commit before it added, loose' "$K" \
    'git tag IC-0001/9-drafted "$K~1"' rebuilt
put_back
ck_then 'the later tags packed since (git pack-refs)' "$K" \
    'git pack-refs --all'
check_eq '(put back: the same refs)' "$(cat "$TROOT/refs")" \
    "$(git for-each-ref --format='%(refname) %(objectname)')"

# Made with the later tags already packed, on commits not yet on the
# branch: the same packed-refs, but those tags are now on commits after it.
reference "$K"
git checkout -q --detach "$K"
rm -rf "$ckdir"
settle	# git pack-refs just wrote packed-refs
dipb verify >/dev/null 2>&1
git checkout -q main
check 'a checkpoint made with the later tags packed: bound to packed-refs' \
    grep -q '^packed 1 ' "$ckdir/$K"
untrusted 'and verify --since from it finds what a whole replay finds'
plant "$ckdir/$K" 'f - =XX-0001/1-drafted - =tag-missing =planted' \
    >"$TROOT/planted" && mv "$TROOT/planted" "$ckdir/$K"
redigest "$ckdir/$K"
run dipb verify --since "$K"
if grep -q 'planted' "$OUT"; then
	not_ok 'and it is not used, its tags now on commits after it' \
	    "$(_said dipb verify --since "$K")"
else
	ok 'and it is not used, its tags now on commits after it'
fi

# --- Modes: each user's own, nobody else's trusted ---------------------------
# (dipb-verify(1), "CHECKPOINTS"; dipb-git(7)): in a shared repository
# another member can write the git dir, so a checkpoint is trusted only
# when it is the user's own and nobody else can write it.

rm -rf "$ckdir"
(umask 077 && dipb verify >/dev/null 2>&1)
tip=$(git rev-parse HEAD)
K=$tip
reference "$K"
cp "$ckdir/$K" "$TROOT/ck.kept"
for how in g+w o+w; do
	plant "$TROOT/ck.kept" \
	    'f - =XX-0001/1-drafted - =tag-missing =planted' >"$ckdir/$K"
	redigest "$ckdir/$K"
	chmod "$how" "$ckdir/$K"
	untrusted "a checkpoint with a good digest, $how, is not trusted"
done
if [ "$(id -u)" = 0 ]; then
	plant "$TROOT/ck.kept" \
	    'f - =XX-0001/1-drafted - =tag-missing =planted' >"$ckdir/$K"
	redigest "$ckdir/$K"
	chmod 644 "$ckdir/$K"
	chown 65534 "$ckdir/$K"
	untrusted "a checkpoint with a good digest, another user's, is not trusted (root)"
else
	skip "a checkpoint of another user's is not trusted" 'not root: no chown'
fi

git config core.sharedRepository group
rm -rf .git/dipb
(umask 022 && dipb verify >/dev/null 2>&1)
uck=.git/dipb/users/$(id -u)/verify
check_eq 'core.sharedRepository=group: the checkpoint is the user'"'"'s own, writable by nobody else' \
    644 "$(stat -c %a "$uck/$tip" 2>&1)"
check_eq 'core.sharedRepository=group: its folders the user'"'"'s own, writable by nobody else (setgid from users/); users/ the group'"'"'s, setgid and sticky' \
    '2755 2755 3775' \
    "$(stat -c %a "$uck") $(stat -c %a "${uck%/verify}") $(stat -c %a .git/dipb/users)"
git config --unset core.sharedRepository

# A link in the user's folders of derived data is never followed (dipb(1),
# FILES): another member could have put it there, to have dipb write a
# checkpoint, and prune, in a private folder of the user's.  notes_dir
# DIR: DIR made, holding 12 old files without a dot (as a prune would
# take for checkpoints).
notes_dir() {
	rm -rf "$1" && mkdir -p "$1" || return 1
	for _i in 1 2 3 4 5 6 7 8 9 10 11 12; do
		echo "note $_i" >"$1/note$_i" &&
		    touch -d "2020-01-0$((_i % 9 + 1))" "$1/note$_i" || return 1
	done
}
links_ignored() {
	notes_dir "$TROOT/notes"
	rm -rf "$1" && mkdir -p "${1%/*}" && ln -s "$TROOT/notes" "$1"
	run dipb verify --since HEAD~1
	check_eq "$2: verify runs (exit 0)" 0 "$RC"
	check_eq "$2: nothing in the linked folder removed, no checkpoint written there" \
	    "12 no" \
	    "$(ls "$TROOT/notes" | wc -l | tr -d ' ') $(test -e "$TROOT/notes/$(git rev-parse HEAD)" && echo yes || echo no)"
	rm -f "$1"
}
links_ignored "$ckdir" 'verify/ a link to a private folder'
git config core.sharedRepository group
links_ignored "$uck" 'core.sharedRepository=group: users/UID/verify/ a link to a private folder'
rm -rf .git/dipb/users
links_ignored .git/dipb/users/$(id -u) 'core.sharedRepository=group: users/UID/ a link to a private folder'
# The user's folder writable by the group, as another member could make
# one for the user to write in: none of its checkpoints trusted, none
# written there.
rm -rf .git/dipb/users && mkdir -p "$uck" && chmod g+w "${uck%/verify}"
run dipb verify --since HEAD~1
check_eq 'core.sharedRepository=group: users/UID/ group-writable: verify runs, writes no checkpoint there' \
    "0 0" "$RC $(ls "$uck" | wc -l | tr -d ' ')"
git config --unset core.sharedRepository
rm -rf .git/dipb/users

# Root in a git dir that is not root's (an administrator's dipb verify in
# a user's repository): no derived data written, as a folder root made
# there would keep the user from writing theirs (dipb(1), FILES).
if [ "$(id -u)" = 0 ]; then
	rm -rf .git/dipb
	chown 65534 .git
	git config --global --add safe.directory "$PWD"
	run dipb verify
	_rcv=$RC
	run dipb list
	_l=$(ls -A .git/dipb 2>/dev/null | tr '\n' ' ')
	check_eq 'root in a git dir that is not root'"'"'s: verify and list run, write no derived data' \
	    "0 0 none" "$_rcv $RC ${_l:-none}"
	git config --global --unset-all safe.directory
	chown 0 .git
else
	skip 'root in a git dir that is not root'"'"'s' 'not root'
fi

# .git/dipb a link (as the pre-receive hook's work repository links the
# guarded repository's dipb/): that one link followed, and no link at its
# end, which a member of the guarded repository could have put there to
# name a private folder of the user's (dipb-verify(1), "Checkpoints"); of
# the folders found through it, dipb changes the modes of none.
rm -rf .git/dipb "$TROOT/linked" "$TROOT/private"
mkdir -m 700 "$TROOT/private" "$TROOT/linked" && echo secret >"$TROOT/private/s"
ln -s "$TROOT/private" "$TROOT/linked/dipb"
ln -s "$TROOT/linked/dipb" .git/dipb
git config core.sharedRepository group
run dipb verify
check_eq '.git/dipb a link to a link to a private folder: verify runs, the folder keeps its mode and gets nothing' \
    "0 700 s" "$RC $(stat -c %a "$TROOT/private") $(ls -A "$TROOT/private" | tr '\n' ' ' | sed 's/ $//')"
rm "$TROOT/linked/dipb" && mkdir -m 700 "$TROOT/linked/dipb"
run dipb verify
check_eq '.git/dipb a link to a folder there: the checkpoint kept in it, the folder'"'"'s mode unchanged' \
    "0 700 yes" "$RC $(stat -c %a "$TROOT/linked/dipb") $(test -f "$TROOT/linked/dipb/users/$(id -u)/verify/$(git rev-parse HEAD)" && echo yes)"
git config --unset core.sharedRepository
# Root through that link to another's dipb/: none written there either.
if [ "$(id -u)" = 0 ]; then
	rm -rf "$TROOT/linked/dipb" && mkdir "$TROOT/linked/dipb" &&
	    chown 65534 "$TROOT/linked/dipb"
	run dipb verify
	_l=$(ls -A "$TROOT/linked/dipb" | tr '\n' ' ')
	check_eq 'root, .git/dipb a link to a dipb/ folder not root'"'"'s: verify runs, writes nothing there' \
	    "0 none" "$RC ${_l:-none}"
else
	skip 'root, .git/dipb a link to a dipb/ folder not root'"'"'s' 'not root: no chown'
fi
rm -rf .git/dipb "$TROOT/linked" "$TROOT/private"

# A FIFO as the checkpoint at the tip (the verify folder is the group's
# under core.sharedRepository): never opened, as open(2) of a FIFO waits
# for a writer for ever, and as if there were none (timeout: a hang fails
# the check rather than the suite).
tip=$(git rev-parse HEAD)
reference HEAD
rm -f "$ckdir/$tip" && mkfifo "$ckdir/$tip"
run timeout 60 dipb verify --since HEAD
check_eq 'a FIFO as the checkpoint at the tip: verify --since not blocked' \
    "$(cat "$TROOT/ref.out")" "$(cat "$OUT"; echo "rc=$RC")"
check_eq 'and a checkpoint written in its place' 'regular file' \
    "$(stat -c %F "$ckdir/$tip")"

# Kept, the newest 8 by modification time, but one modified in the future
# counts as the oldest (dipb-verify(1), "Checkpoints"): after the clock
# was set back, 8 checkpoints written before, in the future now, would
# otherwise be newer than any written since, and each verify remove the
# checkpoint of the tip before, from which the next push's verify --since
# starts.
rm -rf "$ckdir" && mkdir -p "$ckdir"
for n in 1 2 3 4 5 6 7 8; do
	: >"$ckdir/$(printf '%040d' "$n")"
	touch -d "2100-01-0$n" "$ckdir/$(printf '%040d' "$n")"
done
as_hook HEAD~1
dipb verify >/dev/null 2>&1
check_eq 'checkpoints in the future: the tip'"'"'s and the one before kept' \
    'yes yes 8' "$(test -f "$ckdir/$(git rev-parse HEAD~1)" && echo yes) \
$(test -f "$ckdir/$tip" && echo yes) $(ls "$ckdir" | wc -l)"
check_eq 'the two oldest in the future removed instead' \
    "$(printf '%040d\n' 3 4 5 6 7 8)" "$(ls "$ckdir" | grep '^0*[1-8]$')"

# No write access: verify says the same, and writes nothing.
rm -rf "$ckdir"
mkdir -p .git/dipb
chmod a-w .git/dipb
reference_out=$(dipb verify 2>/dev/null; echo "rc=$?")
if [ "$(id -u)" = 0 ]; then
	skip 'a git dir that cannot hold a checkpoint: none' 'root writes anyway'
else
	check 'a git dir that cannot hold a checkpoint: none' \
	    test ! -e "$ckdir"
fi
chmod u+w .git/dipb
check_eq 'and verify finds what it finds with one' "$reference_out" \
    "$(dipb verify 2>/dev/null; echo "rc=$?")"

# --- Trees that a pack stores as deltas of the tree before them ------------
# git fast-import (and a push, and git gc reusing their deltas) stores
# each version of recommendations/ as a delta of the one before; verify
# makes it from the tree it read before (src/git/packdelta.c), and finds
# in it what libgit2's read of the whole chain finds.

cd "$TROOT" || exit 1
new_board deltas
at 2026-03-02
as drafter
i=0
while [ "$i" -lt 30 ]; do
	mkrec industrial-capacity "Record $i" >/dev/null
	i=$((i + 1))
done
drive IC-0003 in-review
printf '# a comment, by a plain git commit\n' >>recommendations/IC-0007.yaml
git commit -q -am 'IC-0007: a comment'
drive IC-0005 in-review
src=$(pwd)
cd "$TROOT" && rm -rf imported && git init -q imported && cd imported ||
    exit 1
(cd "$src" && git fast-export --all --signed-tags=verbatim) |
    git fast-import --quiet
git reset -q --hard main
git gc -q
check_eq 'fast-import kept the history: the same tip' \
    "$(git -C "$src" rev-parse HEAD)" "$(git rev-parse HEAD)"
check_eq "the plain commit's recommendations/, a delta of its parent's" \
    "$(git rev-parse HEAD~2:recommendations)" \
    "$(git rev-parse HEAD~1:recommendations |
    git cat-file --batch-check='%(deltabase)')"
check_rule 'a whole replay of the packed history finds the plain commit' \
    plain-commit 'recommendations/IC-0007\.yaml'
check 'git fsck --strict: the packed history is sound' git fsck --strict
same_since 'verify --since from a checkpoint: the same findings' HEAD~3

# --- A whole branch in a repository with a shallow file ---------------------
# A whole clone that fetched an unrelated branch with --depth 1 (as a
# server that took a push from a shallow clone) has a .git/shallow, and
# its branch's history is whole: a checkpoint made with that file is used
# while the file is the same, and not once it differs (dipb-verify(1),
# "Checkpoints").

cd "$TROOT" || exit 1
new_board sided
at 2026-03-02
as drafter
mkrec industrial-capacity 'Ammunition stockpiles' >/dev/null
mkrec supply-chain-security 'Rare earth supply' >/dev/null
git checkout -q --orphan side && git rm -rfq . && echo 1 >side.txt &&
    git add side.txt && git commit -q -m 'side 1' &&
    echo 2 >>side.txt && git commit -q -am 'side 2' &&
    echo 3 >>side.txt && git commit -q -am 'side 3'
git checkout -q main
drive IC-0001 in-review
sided=$(pwd)
cd "$TROOT" && git clone -q --single-branch --branch main "file://$sided" \
    sided-clone && cd sided-clone || exit 1
git fetch -q --depth 1 origin side:refs/remotes/origin/side
check_eq 'another branch fetched --depth 1: git says the clone is shallow' \
    true "$(git rev-parse --is-shallow-repository)"
check_eq 'another branch fetched --depth 1: the branch is whole (git log)' \
    "$(git -C "$sided" rev-list --count main)" "$(git rev-list --count main)"
same_since 'a whole branch, another fetched --depth 1: verify --since from its checkpoint' \
    HEAD~2
git fetch -q --depth 2 origin side:refs/remotes/origin/side
check_eq 'another branch fetched --depth 2: .git/shallow changed' \
    "$(git rev-parse origin/side~1)" "$(cat .git/shallow)"
judge 'the shallow file changed since: verify --since does not use the checkpoint' \
    HEAD~2 rebuilt

# --- The hook keeps them in the repository it guards ------------------------

cd "$TROOT" || exit 1
new_board hooked
at 2026-03-02
as drafter
mkrec industrial-capacity 'Ammunition stockpiles' >/dev/null
share_board "$TROOT/shared.git" || { finish; exit 1; }
git remote add origin "$TROOT/shared.git"
old=$(git rev-parse HEAD)
drive IC-0001 in-review
check 'a push of a change through the hook' \
    git push -q --atomic --follow-tags origin main
new=$(git rev-parse HEAD)
check 'the hook leaves a checkpoint at the new tip in the bare repository' \
    test -f "$TROOT/shared.git/dipb/verify/$new"
endorse IC-0001
check 'the next push, verified from it' \
    git push -q --atomic --follow-tags origin main
check 'and a checkpoint at that tip' \
    test -f "$TROOT/shared.git/dipb/verify/$(git rev-parse HEAD)"
: "$old"

finish

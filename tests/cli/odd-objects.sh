#!/bin/sh
# tests/cli/odd-objects.sh - objects and refs of a board's history that dipb
# does not make, written with plain git: a change's tag object whose 'type'
# header does not say what its 'object' is (git hash-object --literally).
# git is the oracle: such a tag peels to nothing (git rev-parse TAG^{}
# fails, "object ... is a tree, not a commit"), so the change it should
# tag has no tag git can follow, and dipb log shows it untagged; dipb
# verify, which proves the history, must report it (dipb-verify(1):
# tag-missing, tag-moved), never pass it clean.
#
# And a tag of the board's form that no change claims, pushed with plain
# git by one member (of a blob, or beside another change's tag: verify
# reports it, tag-outside-branch or tag-extra), which dipb sync copies into
# the other clones: the next change of that record there is numbered after
# it (dipb-git(7), "Tags of another form"), and must still verify and be
# pushed; dipb verify must not report that honest change (tag-number), nor
# dipb sync refuse to push it for that.
#
# And a replace ref (git replace, refs/replace/), fetched from a remote
# that took it: git log and git show then show a decision the history does
# not hold, while dipb reads the objects as stored (dipb-git(7),
# Replacements).  dipb verify, which proves the history, must not pass it
# in silence: it says that git shows this clone's history otherwise.
. "$(dirname "$0")/lib.sh"

at 2026-03-01
new_board
as drafter
mkrec industrial-capacity Delta >/dev/null			# IC-0001
drive IC-0001 in-review
CLEAN=$BOARD
T=IC-0001/2-review-requested
C=$(git rev-parse "$T^{commit}")
verify_clean 'setup: the board verifies clean'

# retag TYPE: $T made an annotated tag of the change's own commit $C, by its
# author, whose 'type' header says TYPE.
retag() {
	printf 'object %s\ntype %s\ntag %s\ntagger %s <%s> 1772366400 +0000\n\n%s\n' \
	    "$C" "$1" "$T" 'Dan Drafter' dan@example.org \
	    'IC-0001: review requested by Dan Drafter' >"$TROOT/tag.txt"
	_o=$(git hash-object -t tag -w --literally "$TROOT/tag.txt") &&
	    git update-ref "refs/tags/$T" "$_o"
}

for type in tree blob; do
	scenario "type-$type"
	retag "$type"
	if git rev-parse -q --verify "$T^{commit}" >/dev/null 2>&1; then
		not_ok "type $type: git peels $T to a commit (setup)"
	else
		ok "type $type: git cannot peel $T to a commit (setup)"
	fi
	run dipb log
	check_eq "type $type: dipb log shows the change untagged" 1 \
	    "$(grep -c 'IC-0001 review-requested (untagged)' "$OUT")"
	run dipb verify
	if [ "$RC" -eq 1 ] && grep -F -q -e "$T" "$OUT"; then
		ok "type $type: dipb verify reports $T (exit 1)"
	else
		not_ok "type $type: dipb verify reports $T (exit 1)" \
		    "$(_said dipb verify)"
	fi
	git fsck --strict --no-dangling >"$TROOT/fsck" 2>&1
	check_eq "type $type: git fsck --strict fails too" 1 \
	    "$([ -s "$TROOT/fsck" ] && echo 1 || echo 0)"
done

# A tag whose 'type commit' line lies the other way: its object is the
# change's tree.  git peels it to nothing; dipb log lists the record's
# changes without it (as it does a deleted tag's), never fails reading a
# tree as a commit, and verify reports it.
scenario type-commit-of-tree
OWN=$(git rev-parse "refs/tags/$T")
C=$(git rev-parse "$C^{tree}") retag commit
run dipb log IC-0001
check_eq 'type commit of a tree: dipb log IC-0001 lists the record (exit 0)' \
    '0 1' "$RC $(grep -c 'IC-0001/1-drafted' "$OUT")"
run dipb verify
check_eq 'type commit of a tree: dipb verify reports it (tag-moved)' 1 \
    "$(grep -c "$T: .*\\[tag-moved\\]\$" "$OUT")"

# A tag made for another name ('tag' line), put under this one's: git
# describe warns "externally known as"; verify reports it (tag-name).
# rename_tag: $T made of $OWN's tag object with the 'tag' line of another.
rename_tag() {
	_o=$(git cat-file tag "$OWN" |
	    sed "s|^tag .*|tag IC-0001/9-drafted|" | git mktag) &&
	    git update-ref "refs/tags/$T" "$_o"
}

scenario tag-name
rename_tag
run dipb verify
check_eq 'tag-name: dipb verify reports the name the tag object gives' 1 \
    "$(grep -c "$T: .*'IC-0001/9-drafted'.*\\[tag-name\\]\$" "$OUT")"
git update-ref "refs/tags/$T" "$OWN"
verify_clean 'tag-name: the own tag put back, the board verifies clean'

# One whose tagger git fsck refuses too (badDate; git hash-object
# --literally): the finding says that, and why, not "of tag 'another tag'".
scenario tag-name-fsck
git cat-file tag "$OWN" | sed -e 's|^tag .*|tag IC-0001/9-drafted|' \
    -e 's|^\(tagger .*>\).*|\1 now|' >"$TROOT/tag.txt"
_o=$(git hash-object -t tag -w --literally "$TROOT/tag.txt") &&
    git update-ref "refs/tags/$T" "$_o"
git fsck --no-dangling >"$TROOT/fsck" 2>&1
check_eq 'tag-name, bad tagger: git fsck refuses the tag (setup)' 1 \
    "$(grep -c "tag $_o: badDate" "$TROOT/fsck")"
run dipb verify
check_eq 'tag-name, bad tagger: dipb verify says what git fsck refuses' \
    '1 1 0' "$RC $(grep -c "$T: .*another tag.*'tagger' line.*(git fsck: \
badDate) \\[tag-name\\]\$" "$OUT") $(grep -c "'another tag'" "$OUT")"

# Tag findings are reported whatever the commit (dipb-verify(1), --since):
# the renamed tag too, after a checkpoint at HEAD.
scenario tag-name-since
run dipb verify --since HEAD
check_eq 'tag-name --since: the board verifies clean (setup)' 0 "$RC"
rename_tag
run dipb verify --since HEAD
check_eq 'tag-name --since: dipb verify --since HEAD reports it (exit 1)' \
    '1 1' "$RC $(grep -c "$T: .*'IC-0001/9-drafted'.*\\[tag-name\\]" "$OUT")"

# --- a stray tag of the board's form, from the remote ---------------------

# stray KIND: the clean board shared anew (a plain remote, as a forge is:
# no pre-receive hook), with clones $A and $B; in $A, IC-0001/3-recalled
# made a stray tag of KIND and pushed with plain git; $B syncs, recalls
# IC-0001 and syncs again.
stray() {
	cd "$CLEAN" && share_two "stray-$1" || return 1
	rm -f "$SRV/hooks/pre-receive"
	cd "$A" || return 1
	case $1 in
	blob)	_o=$(printf 'object %s\ntype blob\ntag IC-0001/3-recalled\ntagger %s <%s> 1772366400 +0000\n\nstray\n' \
		    "$(git rev-parse HEAD:dipb.yaml)" 'Otto Outsider' \
		    otto@example.org | git mktag) &&
		git update-ref refs/tags/IC-0001/3-recalled "$_o" ;;
	extra)	git tag -f -a -m stray IC-0001/3-recalled \
		    'IC-0001/2-review-requested^{commit}' >/dev/null ;;
	esac
	git push -q origin refs/tags/IC-0001/3-recalled 2>/dev/null ||
	    not_ok "$1: setup: the stray tag pushed"
	cd "$B" && git reset -q --hard origin/main
	run dipb sync
	check_eq "$1: the first sync copies the stray tag" "$(
	    git --git-dir="$SRV" rev-parse refs/tags/IC-0001/3-recalled)" \
	    "$(git rev-parse -q --verify refs/tags/IC-0001/3-recalled)"
	# Of no commit of the branch, it is named; beside a change's own
	# tag, it is on the branch's history, which the sync does not judge.
	check_eq "$1: the sync warns of a stray tag off the branch it copies" \
	    "$([ "$1" = blob ] && echo 1 || echo 0)" \
	    "$(grep -c '^dipb: warning: the tag IC-0001/3-recalled, copied from the remote, is on no commit of main nor of another branch' "$ERR")"
	check_eq "$1: and of no other" "$([ "$1" = blob ] && echo 1 || echo 0)" \
	    "$(grep -c 'copied from' "$ERR")"
	run dipb verify
	check_eq "$1: verify reports the stray tag" 1 \
	    "$(grep -c 'IC-0001/3-recalled: .*\[tag-\(outside-branch\|extra\)\]$' "$OUT")"
	as drafter
	run dipb review IC-0001 --recall -m 'A typo.'
	check_eq "$1: the recall is made, numbered after the stray tag" \
	    '0 IC-0001/4-recalled' "$RC $(grep -o 'IC-0001/[0-9]*-recalled' "$ERR")"
	run dipb verify
	check_eq "$1: verify does not report the honest change (tag-number)" \
	    0 "$(grep -c 'tag-number' "$OUT")"
	run dipb sync
	if [ "$RC" -eq 0 ] &&
	    [ "$(git rev-parse HEAD)" = "$(git --git-dir="$SRV" rev-parse main)" ]
	then
		ok "$1: the sync pushes the change (exit 0)"
	else
		not_ok "$1: the sync pushes the change (exit 0)" \
		    "$(_said dipb sync)"
	fi
}
stray blob
stray extra

# A tag on another branch, which verify accepts (dipb-verify(1),
# "Branches"): the sync that copies it warns of no stray tag.
cd "$CLEAN" && share_two feature-tag
rm -f "$SRV/hooks/pre-receive"
cd "$A" && git checkout -q -b feature && as drafter
mkrec industrial-capacity Echo >/dev/null			# IC-0002
git push -q origin feature refs/tags/IC-0002/1-drafted 2>/dev/null ||
    not_ok 'feature-tag: setup: the branch and its tag pushed'
cd "$B" && git fetch -q --no-tags origin
run dipb sync
check_eq 'feature-tag: the sync copies the tag of another branch' \
    '0 1' "$RC $(git tag -l IC-0002/1-drafted | wc -l)"
check_eq 'feature-tag: and warns of no stray tag' 0 \
    "$(grep -c 'copied from the remote' "$ERR")"
verify_clean 'feature-tag: the board verifies clean'

# --- a replace ref ----------------------------------------------------------

scenario replace
as rev1; dipb review IC-0001 --endorse 2>/dev/null
as rev2; dipb review IC-0001 --endorse 2>/dev/null
as secretary; dipb submit IC-0001 --reference REF-1 2>/dev/null
dipb decide IC-0001 --outcome agreed 2>/dev/null
verify_clean 'replace: setup: IC-0001 decided, the board clean'
D=IC-0001/6-decided
BL=$(git rev-parse "$D:recommendations/IC-0001.yaml")
NB=$(git cat-file blob "$BL" | sed 's/outcome: agreed/outcome: declined/' |
    git hash-object -w --stdin)
git replace "$BL" "$NB"
check_eq 'replace: setup: git show gives the decision as declined' \
    '  outcome: declined' \
    "$(git show "$D:recommendations/IC-0001.yaml" | grep '^  outcome:')"
check_eq 'replace: setup: the objects as stored say agreed' \
    '  outcome: agreed' \
    "$(GIT_NO_REPLACE_OBJECTS=1 git show "$D:recommendations/IC-0001.yaml" |
    grep '^  outcome:')"
run dipb verify
if grep -q 'refs/replace' "$OUT" "$ERR"; then
	ok 'replace: dipb verify says that a replace ref changes what git shows'
else
	not_ok 'replace: dipb verify says that a replace ref changes what git shows' \
	    "$(_said dipb verify)"
fi
check_eq 'replace: a warning, naming the ref, exit 0' "0 1" "$RC $(grep -c \
    "^dipb: warning: 1 replace ref (refs/replace/$BL) makes git log" "$ERR")"
GIT_NO_REPLACE_OBJECTS=1 run dipb verify
check_eq 'replace: none with GIT_NO_REPLACE_OBJECTS set, as git shows none' \
    "0 0" "$RC $(grep -c 'replace' "$ERR")"
git -c core.useReplaceRefs=false show "$D:recommendations/IC-0001.yaml" |
    grep -q '^  outcome: agreed' ||
    not_ok 'replace: setup: git -c core.useReplaceRefs=false shows none'
git config core.useReplaceRefs false
run dipb verify
check_eq 'replace: none with core.useReplaceRefs false, as git shows none' \
    "0 0" "$RC $(grep -c 'replace' "$ERR")"
git config --unset core.useReplaceRefs
git update-ref "refs/alt/$BL" "$NB" && git replace -d "$BL" >/dev/null
GIT_REPLACE_REF_BASE=refs/alt/ git show "$D:recommendations/IC-0001.yaml" |
    grep -q '^  outcome: declined' ||
    not_ok 'replace: setup: git follows refs/alt/'
GIT_REPLACE_REF_BASE=refs/alt/ run dipb verify
check_eq 'replace: GIT_REPLACE_REF_BASE read, as git reads it' "0 1" \
    "$RC $(grep -c "^dipb: warning: 1 replace ref (refs/alt/$BL) makes" "$ERR")"
# git takes the base as a prefix of names, not a folder (refs/al takes
# refs/alt/ID), and the id from the last part of the name: it follows
# refs/replace/sub/ID too, and not refs/replace/bogus ("bad replace ref
# name"); an empty base is every ref's prefix.
GIT_REPLACE_REF_BASE=refs/al git show "$D:recommendations/IC-0001.yaml" |
    grep -q '^  outcome: declined' ||
    not_ok 'replace: setup: git follows refs/alt/ID under refs/al'
GIT_REPLACE_REF_BASE=refs/al run dipb verify
check_eq 'replace: GIT_REPLACE_REF_BASE a prefix of names, as git reads it' \
    "0 1" "$RC $(grep -c "^dipb: warning: 1 replace ref (refs/alt/$BL) " \
    "$ERR")"
GIT_REPLACE_REF_BASE='' git show "$D:recommendations/IC-0001.yaml" \
    2>/dev/null | grep -q '^  outcome: declined' ||
    not_ok 'replace: setup: git follows refs/alt/ID under an empty base'
GIT_REPLACE_REF_BASE='' run dipb verify
check_eq 'replace: an empty GIT_REPLACE_REF_BASE, every ref, as git reads it' \
    "0 1" "$RC $(grep -c "^dipb: warning: 1 replace ref (refs/alt/$BL) " \
    "$ERR")"
git update-ref -d "refs/alt/$BL" && git update-ref "refs/replace/sub/$BL" "$NB"
git show "$D:recommendations/IC-0001.yaml" | grep -q '^  outcome: declined' ||
    not_ok 'replace: setup: git follows refs/replace/sub/ID'
run dipb verify
check_eq 'replace: refs/replace/sub/ID warned of, as git follows it' "0 1" \
    "$RC $(grep -c "^dipb: warning: 1 replace ref (refs/replace/sub/$BL) " \
    "$ERR")"
git update-ref -d "refs/replace/sub/$BL" &&
    git update-ref refs/replace/bogus "$NB"
git show "$D:recommendations/IC-0001.yaml" 2>/dev/null |
    grep -q '^  outcome: agreed' ||
    not_ok 'replace: setup: git ignores refs/replace/bogus'
run dipb verify
check_eq 'replace: none for refs/replace/bogus, which git ignores' "0 0" \
    "$RC $(grep -c 'replace' "$ERR")"
git update-ref -d refs/replace/bogus
# info/grafts, which git reads with GIT_NO_REPLACE_OBJECTS set too.
printf '%s\n' "$(git rev-parse HEAD)" >.git/info/grafts
GIT_NO_REPLACE_OBJECTS=1 run dipb verify
check_eq 'grafts: a warning naming the file' 1 \
    "$(grep -c '^dipb: warning: .*/\.git/info/grafts makes git log' "$ERR")"
rm .git/info/grafts
run dipb verify
check_eq 'neither: no warning of them' 0 "$(grep -c 'replace\|grafts' "$ERR")"

# --- commits of plain git that dipb log shows ------------------------------

scenario plain-messages
f=recommendations/IC-0001.yaml
[ -f "$f" ] || f=$(git ls-files recommendations | head -1)
printf '# x\n' >>"$f"
git commit -q -a --allow-empty-message -m ''
run dipb log
check_eq 'an empty message: shown as none' 1 \
    "$(grep -c '^[0-9-]*  plain git  .*  (no message), by ' "$OUT")"
git commit -q --allow-empty -m two -m 'Dipb-Record: IC-0001
Dipb-Record: IC-0002
Dipb-Event: edited'
run dipb log
check_eq 'two Dipb-Record trailers: listed under the first' 1 \
    "$(grep -c '^[0-9-]*  IC-0001 edited (untagged) ' "$OUT")"

finish

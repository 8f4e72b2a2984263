#!/bin/sh
# tests/cli/verify.sh - dipb verify: a clean history verifies clean; each
# way of tampering with it is reported with its rule; --since and the
# output formats; the pre-receive hook of examples/.
. "$(dirname "$0")/lib.sh"

TAMPER=0		# tampering scenarios
DETECTED=0		# ... reported with the right rule

# tamper DESC RULE [ERE] [ARG...]: check_rule, counted as a tampering
# scenario; then the same dipb verify [ARG...], a whole replay with
# DIPB_VERIFY_MEMORY=0, the least memory for the history's table
# (src/verify/history.c): a cache of four commits and the rest paged to a
# temporary file, read back at nearly every step, must print the same.
tamper() {
	TAMPER=$((TAMPER + 1))
	_before=$(grep -c '^ok$' "$RESULTS")
	check_rule "$@"
	[ "$(grep -c '^ok$' "$RESULTS")" -gt "$_before" ] &&
	    DETECTED=$((DETECTED + 1))
	_d=$1
	if [ $# -ge 3 ]; then shift 3; else shift $#; fi
	{ echo "exit $RC"; cat "$OUT"; } >"$TROOT/tamper.want"
	# A whole replay: no checkpoint to start from.
	rm -rf "$(git rev-parse --git-dir)/dipb/verify"
	DIPB_VERIFY_MEMORY=0
	export DIPB_VERIFY_MEMORY
	run dipb verify "$@"
	unset DIPB_VERIFY_MEMORY
	{ echo "exit $RC"; cat "$OUT"; } >"$TROOT/tamper.got"
	check "$_d: the same with the history paged to a file" \
	    cmp "$TROOT/tamper.want" "$TROOT/tamper.got"
	return 0
}

# same_packed DESC: a whole replay prints the same findings with every
# ref packed, as git gc leaves them, as with the tags loose: packed-refs
# gives an annotated tag's commit where a loose tag is read to find it,
# and a change's own tag is kept apart from the others either way
# (src/verify/tags.c).
same_packed() {
	rm -rf .git/dipb "$TROOT/packed.copy"
	dipb verify >"$TROOT/loose.out" 2>&1
	cp -a . "$TROOT/packed.copy"
	(cd "$TROOT/packed.copy" && git pack-refs --all &&
	    dipb verify) >"$TROOT/packed.out" 2>&1
	check "$1: the same findings with the tags packed" \
	    cmp "$TROOT/loose.out" "$TROOT/packed.out"
	rm -rf "$TROOT/packed.copy"
}

# add_review FILE EMAIL VERDICT FINGERPRINT: a review at the end of FILE
# (whose last key must be reviews).
add_review() {
	printf '  - reviewer: %s\n    date: 2026-11-27\n    verdict: %s\n    fingerprint: %s\n' \
	    "$2" "$3" "$4" >>"$1"
}

# fp ID: the fingerprint of record ID's first review.
fp() {
	sed -n 's/^    fingerprint: //p' "recommendations/$1.yaml" | head -n 1
}

# fp_now ID: the fingerprint of record ID (in review) as it is committed,
# from a review made by dipb in a scratch copy of the board.
fp_now() {
	rm -rf "$TROOT/fp.scratch"
	cp -a . "$TROOT/fp.scratch"
	(
		cd "$TROOT/fp.scratch" && git checkout -q -- . &&
		    git clean -q -fd && as rev1 &&
		    dipb review "$1" --endorse >/dev/null 2>&1 &&
		    sed -n '/reviewer: rita@example.org/,/fingerprint:/s/^    fingerprint: //p' \
		    "recommendations/$1.yaml"
	)
}

# --- a clean board -----------------------------------------------------------

new_board clean
CLEAN=$BOARD
at 2026-03-02
as drafter
a=$(mkrec industrial-capacity 'Framework contracts')		# IC-0001
b=$(mkrec industrial-capacity 'Surge capacity')		# IC-0002
c=$(mkrec industrial-capacity 'Energetics')			# IC-0003
d=$(mkrec industrial-capacity 'Skills')			# IC-0004
e=$(mkrec standardisation-interoperability 'Interchangeability')	# SI-0001
f=$(mkrec supply-chain-security 'Raw materials')		# SCS-0001
as rev3
g=$(mkrec supply-chain-security 'Cyber baseline')		# SCS-0002
check_eq 'the clean board: seven drafts' \
    'IC-0001 IC-0002 IC-0003 IC-0004 SI-0001 SCS-0001 SCS-0002' \
    "$(echo $a $b $c $d $e $f $g)"
drive IC-0001 submitted
drive IC-0002 in-review
( as rev1; run dipb review IC-0002 --endorse -m 'Agreed.' )
drive IC-0004 in-review
drive SI-0001 endorsed
drive SCS-0001 decided
( as rev3; run dipb review SCS-0002 --request )
( as secretary; run dipb withdraw IC-0003 -m 'Folded into IC-0001.' ) || :
as drafter
c=$(mkrec industrial-capacity 'Energetics again')		# IC-0005
check_out 'the clean board: statuses as driven' \
    'IC-0001 submitted
IC-0002 in-review
IC-0003 withdrawn
IC-0004 in-review
IC-0005 draft
SCS-0001 decided
SCS-0002 in-review
SI-0001 endorsed' sh -c "dipb list --format json | python3 -c '
import json, sys
for r in json.load(sys.stdin): print(r[\"id\"], r[\"status\"])'"
check_history 'the clean board: one tag per commit'
verify_clean 'a history made by dipb verifies clean'
# An object or a ref it cannot open (too many open files) is an error,
# never a tag pointing to a missing object [tag-moved].
check_nofile 'few open files: verify finds nothing, or exits 5' dipb verify
# So with the tag objects alone (a shim makes libgit2 fail to read them,
# as when no file can be opened): exit 5, no finding.
if shim notags '#define _GNU_SOURCE
#include <dlfcn.h>
#include <git2.h>
#ifdef LIBGIT2_VERSION_MAJOR
#include <git2/sys/errors.h>
#endif
int git_odb_read_header(size_t *n, git_object_t *t, git_odb *db,
    const git_oid *id)
{
	int (*real)(size_t *, git_object_t *, git_odb *, const git_oid *) =
	    (int (*)(size_t *, git_object_t *, git_odb *, const git_oid *))
	    dlsym(RTLD_NEXT, "git_odb_read_header");
	int rc = real(n, t, db, id);
	if (rc == 0 && *t == GIT_OBJECT_TAG) {
		git_error_set_str(GIT_ERROR_OS, "Too many open files");
		return -1;
	}
	return rc;
}
int git_odb_read(git_odb_object **o, git_odb *db, const git_oid *id)
{
	int (*real)(git_odb_object **, git_odb *, const git_oid *) =
	    (int (*)(git_odb_object **, git_odb *, const git_oid *))
	    dlsym(RTLD_NEXT, "git_odb_read");
	int rc = real(o, db, id);
	if (rc == 0 && git_odb_object_type(*o) == GIT_OBJECT_TAG) {
		git_odb_object_free(*o);
		*o = NULL;
		git_error_set_str(GIT_ERROR_OS, "Too many open files");
		return -1;
	}
	return rc;
}'; then
	rm -rf .git/dipb
	run env LD_PRELOAD="$TROOT/notags.so" ASAN_OPTIONS="$SHIM_ASAN" \
	    dipb verify
	check_eq 'tag objects not read: exit 5, no finding' '5:' "$RC:$(cat "$OUT")"
	check_err 'tag objects not read: libgit2 says why' 'Too many open files'
else
	skip 'tag objects not read' 'no C compiler for the shim'
fi

# A lock a reading command cannot take (here a folder where the lock file
# goes; so it is when .git is read-only, or another user's lock file is in
# the way) leaves it to read without recovering: dipb verify used to return
# an error it had freed and die of it (SIGSEGV; a use after free to ASan).
rm -f .git/dipb.lock && mkdir .git/dipb.lock
run dipb verify
check_eq 'verify with a lock it cannot take: exit 0, nothing on stderr' \
    '0:' "$RC:$(grep -v 'history is unauthenticated' "$ERR")"
run dipb list --format ids
check_eq 'list with a lock it cannot take: exit 0' 0 "$RC"
rmdir .git/dipb.lock
check_out 'json: nothing on a clean history' '' dipb verify --format json
check_out 'github: nothing on a clean history' '' dipb verify --format github

# A commit that changes nothing dipb owns is fine.
scenario readme
as outsider
echo 'A board.' >README
git add README
git commit -q -m 'Add a README'
verify_clean 'a plain commit that changes no record verifies clean'
as drafter
printf 'rationale: |\n  Because.\n' >>recommendations/IC-0005.yaml
check 'a hand edit committed by dipb edit --no-edit' \
    dipb edit IC-0005 --no-edit
verify_clean 'and the history still verifies clean'

# --- tampering ---------------------------------------------------------------

# 1. A submitted record rewritten by a plain commit.
scenario plain
as outsider
sedit recommendations/IC-0001.yaml 's/^title: .*/title: Something else/'
git commit -q -am 'Fix the title'
tamper 'a submitted record rewritten by a plain commit' plain-commit \
    'plain git commit by Otto Outsider <otto@example.org> changes recommendations/IC-0001.yaml'
check_out 'the plain commit is the only finding' 1 sh -c 'dipb verify | wc -l'

# 2. A tag moved to another commit.
scenario moved
git tag -f -a -m moved IC-0001/2-review-requested IC-0001/4-endorsed^{} \
    >/dev/null
tamper 'a tag moved to another commit' tag-moved \
    '^[0-9a-f]{12} IC-0001/2-review-requested: the tag points to'
check_out 'the moved tag is the only finding' 1 sh -c 'dipb verify | wc -l'
same_packed 'a tag moved'

# 2b. A change's tag re-annotated on top of itself (a tag of a tag, as
# git tag -s -f T T makes to sign it afterwards) still leads to its change,
# git rev-parse T^{} the oracle: verify peels it to the commit, loose or
# packed, as dipb log does (dipb-git(7)); moved so, it is reported with the
# commit it leads to, not the inner tag object.
scenario nested
as drafter		# the tagger is the change's author [identity]
T=IC-0001/2-review-requested
want=$(git rev-parse "$T^{}")
git -c advice.nestedTag=false tag -f -a -m countersigned $T $T >/dev/null
check_eq 'a tag of a tag: git peels it to the change' \
    "$want" "$(git rev-parse "$T^{}")"
check_eq 'dipb log takes the same commit' "$want" \
    "$(dipb log IC-0001 --format json | python3 -c '
import json, sys
for j in map(json.loads, sys.stdin):
    if j["tag"] == sys.argv[1]: print(j["commit"])' $T)"
verify_clean 'a tag of a tag on its change, loose: clean'
cp -a . "$TROOT/nested.packed"
(cd "$TROOT/nested.packed" && git pack-refs --all && rm -rf .git/dipb)
(cd "$TROOT/nested.packed" && verify_clean \
    'a tag of a tag on its change, packed: clean')
rm -rf "$TROOT/nested.packed"
other=$(git rev-parse IC-0001/4-endorsed^{})
git tag -a -m inner inner IC-0001/4-endorsed^{}
git -c advice.nestedTag=false tag -f -a -m outer $T inner >/dev/null
git tag -d inner >/dev/null
check_eq 'moved as a tag of a tag: git peels it to the other change' \
    "$other" "$(git rev-parse "$T^{}")"
tamper 'a tag of a tag moved to another commit' tag-moved \
    "$T: the tag points to $(echo "$other" | cut -c1-12), not to this commit"
same_packed 'a tag of a tag moved'

# 3. A tag deleted.
scenario deleted
git tag -d IC-0001/3-reviewed >/dev/null
tamper 'a tag deleted' tag-missing '^[0-9a-f]{12} IC-0001/3-reviewed: no such tag'
check_out 'the deleted tag is the only finding (no gap reported after it)' \
    1 sh -c 'dipb verify | wc -l'
same_packed 'a tag deleted'

# 3b. Two tags of one record deleted, and a clone made with --no-tags:
# each finding names the tag dipb made, git tag -l before the deletion the
# oracle; a later change's own tag, kept, is no finding.
scenario deleted2
git tag -l 'IC-0001/*' | sort >"$TROOT/ic1.tags"
check_eq 'IC-0001 has tags 1 to 4 to delete from' 4 \
    "$(grep -c -E '^IC-0001/[1-4]-' "$TROOT/ic1.tags")"
git tag -d IC-0001/2-review-requested IC-0001/3-reviewed >/dev/null
tamper 'two tags of a record deleted' tag-missing \
    '^[0-9a-f]{12} IC-0001/3-reviewed: no such tag'
check_out 'both deleted tags are named as git had them, nothing else' \
    "IC-0001/2-review-requested
IC-0001/3-reviewed" sh -c "dipb verify | sed -n 's/^[0-9a-f]* \\(IC-0001[^:]*\\):.*/\\1/p'"
git clone -q --no-tags "file://$PWD" "$TROOT/notags" </dev/null
(cd "$TROOT/notags" && dipb verify) >"$TROOT/notags.out" 2>/dev/null
sed -n 's/^[0-9a-f]* \(IC-0001[^:]*\): no such tag.*/\1/p' \
    "$TROOT/notags.out" >"$TROOT/notags.named"
check 'a --no-tags clone: each missing tag named as dipb made it' \
    cmp "$TROOT/ic1.tags" "$TROOT/notags.named"
rm -rf "$TROOT/notags"

# 4. A review added by someone without the reviewer role.
scenario norole
add_review recommendations/IC-0002.yaml dan@example.org endorse "$(fp IC-0002)"
git add recommendations/IC-0002.yaml
forge IC-0002 reviewed 'in-review -> in-review' icdrafter
tamper 'a review by a member without the reviewer role' role \
    'IC-0002/4-reviewed: .*needs the reviewer role'

# 5. A review by the record's author.
scenario selfreview
fpr=$(fp_now SCS-0002)
printf 'reviews:\n' >>recommendations/SCS-0002.yaml
add_review recommendations/SCS-0002.yaml roza@example.org endorse "$fpr"
git add recommendations/SCS-0002.yaml
forge SCS-0002 reviewed 'in-review -> in-review' rev3
tamper 'a review by the author' self-review \
    'SCS-0002/3-reviewed: roza@example.org reviews SCS-0002'

# 6. A status changed without its event: by a plain commit, and inside
# another event.
scenario status
as outsider
sedit recommendations/IC-0005.yaml 's/^status: .*/status: endorsed/'
git commit -q -am 'Endorse it'
tamper 'a status changed by a plain commit' status \
    "IC-0005's stored status changed from draft to endorsed without an event"
scenario status2
sedit recommendations/IC-0005.yaml 's/^status: .*/status: endorsed/'
git add recommendations/IC-0005.yaml
forge IC-0005 edited 'draft -> draft' drafter
tamper 'a status changed inside an edit' status \
    'IC-0005/2-edited: IC-0005 is stored as endorsed, but the event edited gives draft'

# 7. dipb.yaml changed to grant a role, and the role used, in one commit.
scenario grant
sedit dipb.yaml '/email: ida@example.org/,/roles:/s/roles: .*/roles: [drafter, reviewer]/'
grep -q 'roles: \[drafter, reviewer\]' dipb.yaml ||
    not_ok 'grant: the sed script gave Ida the reviewer role'
add_review recommendations/IC-0002.yaml ida@example.org endorse "$(fp IC-0002)"
sedit recommendations/IC-0002.yaml 's/^status: .*/status: endorsed/'
git add dipb.yaml recommendations/IC-0002.yaml
forge IC-0002 endorsed 'in-review -> endorsed' icdrafter
tamper 'a role granted in dipb.yaml and used in the same commit' role \
    'IC-0002/4-endorsed: ida@example.org may not review --endorse IC-0002'
check_rule 'the same commit touches dipb.yaml too' foreign-path \
    "the change 'IC-0002 endorsed' also changes dipb.yaml"

# 8. Forged trailers on a plain commit that touches two records.
scenario forged
as outsider
sedit recommendations/IC-0005.yaml 's/^title: .*/title: Forged/'
sedit recommendations/SCS-0001.yaml 's/^title: .*/title: Forged too/'
git add recommendations
NOTAG=1 forge IC-0005 edited 'draft -> draft' drafter
tamper 'forged trailers on a commit touching two records' foreign-path \
    "also changes recommendations/SCS-0001.yaml"
check_rule 'the forged commit has no tag' tag-missing 'IC-0005/2-edited'

# 9. History rewritten and force-pushed: the tags point outside the branch.
scenario rewrite
git clone -q --bare . "$TROOT/remote.git"
git push -q --tags "$TROOT/remote.git" 2>/dev/null
old=$(git rev-parse HEAD)
git reset -q --hard HEAD~2
as drafter
run dipb recommend --wg industrial-capacity --title 'After the rewrite' \
    --summary S --no-edit
git push -q -f --follow-tags "$TROOT/remote.git" main 2>/dev/null
git clone -q "$TROOT/remote.git" "$TROOT/rewrite.clone"
cd "$TROOT/rewrite.clone"
tamper 'history rewritten and force-pushed: tags outside the branch' \
    tag-outside-branch 'is not on branch main: history rewritten'
tamper 'verify --since the tip before the force-push' history-rewritten \
    "$old is not on branch main" --since "$old"
cd "$TROOT/rewrite"

# 10. A move the workflow does not allow: decided without being submitted.
scenario transition
sedit recommendations/SI-0001.yaml 's/^status: .*/status: decided/'
printf 'decision:\n  date: 2026-03-02\n  outcome: agreed\n' \
    >>recommendations/SI-0001.yaml
git add recommendations/SI-0001.yaml
forge SI-0001 decided 'endorsed -> decided' secretary
tamper 'decided without being submitted' transition \
    'SI-0001/5-decided: decided: SI-0001 is endorsed: cannot decide'

# 11. A review whose fingerprint is not that of the content.
scenario fingerprint
add_review recommendations/IC-0002.yaml rolf@example.org endorse 0badf00d
sedit recommendations/IC-0002.yaml 's/^status: .*/status: in-review/'
git add recommendations/IC-0002.yaml
forge IC-0002 reviewed 'in-review -> in-review' rev2
tamper 'a review with the wrong fingerprint' fingerprint \
    "rolf@example.org's review has fingerprint 0badf00d"

# 12. Endorsed without the quorum.
scenario quorum
fpr=$(fp_now IC-0004)
printf 'reviews:\n' >>recommendations/IC-0004.yaml
add_review recommendations/IC-0004.yaml rolf@example.org endorse "$fpr"
sedit recommendations/IC-0004.yaml 's/^status: .*/status: endorsed/'
git add recommendations/IC-0004.yaml
forge IC-0004 endorsed 'in-review -> endorsed' rev2
tamper 'endorsed with 1 of 2 endorsements' quorum \
    'IC-0004 endorsed with 1 of 2 endorsements'

# 12b. The quorum reached, but recorded as a plain review that leaves the
# record in review: the finding is this one alone.
scenario quorum-kept
add_review recommendations/IC-0002.yaml rolf@example.org endorse "$(fp IC-0002)"
sedit recommendations/IC-0002.yaml 's/^    date: 2026-11-27$/    date: 2026-03-02/'
git add recommendations/IC-0002.yaml
forge IC-0002 reviewed 'in-review -> in-review' rev2
tamper 'the quorum reached, but left in review' quorum \
    'IC-0002 has 2 of 2 endorsements but is not endorsed'
run dipb verify
check_eq 'the quorum reached, but left in review: that finding alone' 1 \
    "$(grep -c . "$OUT")"

# 13. The drafter's text changed in a review request.
scenario content
sedit recommendations/IC-0005.yaml 's/^title: .*/title: Changed on the way/'
sedit recommendations/IC-0005.yaml 's/^status: .*/status: in-review/'
git add recommendations/IC-0005.yaml
forge IC-0005 review-requested 'draft -> in-review' drafter
tamper "the drafter's text changed in a review request" content-changed \
    "the drafter's text of IC-0005 changed in a review-requested change"

# 14. A review removed in an edit.
scenario reviews
sedit recommendations/IC-0002.yaml '/^reviews:/,$d'
sedit recommendations/IC-0002.yaml 's/^title: .*/title: Reviews gone/'
git add recommendations/IC-0002.yaml
forge IC-0002 edited 'in-review -> in-review' drafter
tamper 'a review removed by an edit' review-changed \
    'the reviews of IC-0002 changed in a edited change'
check_rule 'an edit of a record in review' transition \
    'IC-0002 is in-review: cannot edit'

# 15. The author changed.
scenario author
sedit recommendations/IC-0005.yaml 's/^author: .*/author: ida@example.org/'
git add recommendations/IC-0005.yaml
forge IC-0005 edited 'draft -> draft' drafter
tamper "a record's author changed" author \
    'the author of IC-0005 changed from dan@example.org to ida@example.org'

# 16. A tag made lightweight.
scenario lightweight
git tag -f IC-0005/1-drafted "$(git rev-parse 'IC-0005/1-drafted^{commit}')" \
    >/dev/null
tamper 'a tag replaced by a lightweight one' tag-lightweight \
    'IC-0005/1-drafted: a lightweight tag'
same_packed 'a lightweight tag'

# 16b. A change whose tag is lightweight and names another event: each of
# its findings names that tag, the one it claims, not the one expected
# (dipb-verify(1), "Output").
scenario lightweight-other
sedit recommendations/IC-0005.yaml 's/^author: .*/author: ida@example.org/'
git add recommendations/IC-0005.yaml
NOTAG=1 forge IC-0005 edited 'draft -> draft' drafter
git tag IC-0005/2-reviewed HEAD
tamper 'a lightweight tag naming another event' author \
    '^[0-9a-f]{12} IC-0005/2-reviewed: the author of IC-0005 changed'
check_out '  every finding names that tag' \
    'IC-0005/2-reviewed IC-0005/2-reviewed IC-0005/2-reviewed' \
    sh -c "dipb verify 2>/dev/null | cut -d ' ' -f 2 | tr -d : | xargs"

# 17. An extra tag on a commit that has its own.
scenario extra
git tag -a -m extra IC-0005/2-edited HEAD
tamper 'an extra tag on a change that has its own' tag-extra \
    "IC-0005/2-edited: the tag is on [0-9a-f]{12}, the change 'IC-0005 drafted'"
same_packed 'an extra tag'

# 18. A tag that names another event.
scenario event
t=$(git rev-parse 'IC-0005/1-drafted^{commit}')
git tag -d IC-0005/1-drafted >/dev/null
git tag -a -m renamed IC-0005/1-edited "$t"
tamper 'a tag renamed to another event' tag-event \
    'IC-0005/1-edited: the tag names another event'
same_packed 'a tag of another event'

# 19. A tag renumbered.
scenario number
git tag -d IC-0005/1-drafted >/dev/null
git tag -a -m renumbered IC-0005/7-drafted "$t"
tamper 'a tag renumbered' tag-number 'IC-0005/7-drafted: this is change 1'
same_packed 'a tag renumbered'

# 20. Malformed trailers.
scenario trailers
as outsider
sedit recommendations/IC-0005.yaml 's/^title: .*/title: No event/'
git commit -q -am 'IC-0005: edited' -m 'Dipb-Record: IC-0005'
tamper 'a Dipb-Record trailer without Dipb-Event' trailers \
    'no Dipb-Event trailer'

# 20b. A record's change with the board's event: no move of the record.
scenario trailers-board-event
sedit recommendations/IC-0005.yaml 's/^title: .*/title: Board event/'
git add recommendations/IC-0005.yaml
forge IC-0005 changed 'draft -> draft' chair
tamper "a record's change with the board's event" trailers \
    "Dipb-Event is not an event of a record: 'changed'"
# And the board's change with a record's event.
scenario trailers-record-event
sedit dipb.yaml 's/^board: .*/board: Renamed Board/'
git add dipb.yaml
forge board edited '' chair
tamper "the board's change with a record's event" trailers \
    "Dipb-Event is not an event of the board: 'edited'"

# 21. A record file that does not load.
scenario invalid
printf 'title: [unclosed\n' >>recommendations/IC-0005.yaml
git add recommendations/IC-0005.yaml
forge IC-0005 edited 'draft -> draft' drafter
tamper 'an edit that leaves a file that does not load' record-invalid \
    'recommendations/IC-0005.yaml:[0-9]+:[0-9]+: '

# 21b. A control character added by hand, as a double-quoted escape: a
# change dipb's commands would refuse to write (dipb-validate(1),
# control-character), each field it adds one to named at its line and
# column; a later change of the record that keeps it is not reported
# again, nor is a field that already held one.
scenario control
sedit recommendations/IC-0005.yaml 's/^title: .*/title: "Energetics \\e]0;owned\\a"/'
sedit recommendations/IC-0005.yaml '/^summary: |$/{N;s/.*/summary: "Clear \\x9b2J it."/;}'
grep -q '^title: "Energetics \\e' recommendations/IC-0005.yaml ||
    not_ok 'control: the sed script wrote an escape into the title'
git add recommendations/IC-0005.yaml
forge IC-0005 edited 'draft -> draft' drafter
tamper 'an edit that adds a control character' record-invalid \
    "IC-0005/2-edited: recommendations/IC-0005\\.yaml:2:1: 'title' holds a control character, U\\+001B, at character 12 \\(a single-line field\\) \\[control-character\\]"
check_rule 'and one in a Markdown field, its own finding' record-invalid \
    "IC-0005/2-edited: recommendations/IC-0005\\.yaml:[0-9]+:1: 'summary' holds a control character, U\\+009B, at character 7 \\[control-character\\]"
run dipb verify
check_eq 'an edit that adds control characters: two findings, exit 1' \
    '1:2' "$RC:$(grep -c . "$OUT")"
cp "$OUT" "$TROOT/control.out"
as drafter
run dipb review IC-0005 --request
check_eq 'a later change of the record by dipb is made' 0 "$RC"
run dipb verify
check_eq 'and is no finding: the control characters are the edit'"'"'s' \
    "1:$(cat "$TROOT/control.out")" "$RC:$(cat "$OUT")"
# A forged change that adds a third keeps the two it had.
sedit recommendations/IC-0005.yaml 's/^topics: .*/topics: ["energetics\\x7f"]/'
grep -q '^topics: \["energetics' recommendations/IC-0005.yaml ||
    printf 'topics: ["energetics\\x7f"]\n' >>recommendations/IC-0005.yaml
git add recommendations/IC-0005.yaml
forge IC-0005 edited 'in-review -> in-review' drafter
run dipb verify
cp "$OUT" "$TROOT/control.out"
check 'a change that adds one more: that field alone is reported' \
    test "$(grep -c 'IC-0005/4-edited: .*\[control-character\]' "$TROOT/control.out")" = 1
check_file_has 'it names the field' "$TROOT/control.out" \
    "IC-0005/4-edited: recommendations/IC-0005\\.yaml:[0-9]+:[0-9]+: item 1 of 'topics' holds a control character, U\\+007F"
# A record drafted with one, by hand: as the file it adds.
scenario control-drafted
printf 'id: IC-0006\ntitle: "Drafted \\e[2J"\nworking_group: industrial-capacity\nstatus: draft\nclassification: NATO UNCLASSIFIED\npriority: medium\ncreated: 2026-03-02\nupdated: 2026-03-02\nauthor: dan@example.org\nsummary: |\n  S.\n' \
    >recommendations/IC-0006.yaml
git add recommendations/IC-0006.yaml
forge IC-0006 drafted 'none -> draft' drafter
tamper 'a draft made by hand with a control character' record-invalid \
    "IC-0006/1-drafted: recommendations/IC-0006\\.yaml:2:1: 'title' holds a control character, U\\+001B"
run dipb verify
check_eq 'the draft made by hand: that finding alone' 1 "$(grep -c . "$OUT")"
# A title with a line separator (U+2028, YAML's \L), as dipb wrote one
# before it was a control of a single-line field: history that verify
# keeps (dipb-verify(1), record-invalid), though a writer refuses it now.
scenario line-separator
printf 'id: IC-0006\ntitle: "Two\\Llines"\nworking_group: industrial-capacity\nstatus: draft\nclassification: NATO UNCLASSIFIED\npriority: medium\ncreated: 2026-03-02\nupdated: 2026-03-02\nauthor: dan@example.org\nsummary: |\n  S.\n' \
    >recommendations/IC-0006.yaml
git add recommendations/IC-0006.yaml
forge IC-0006 drafted 'none -> draft' drafter
run dipb verify
check_eq 'a title with a line separator, as older versions wrote: no finding' \
    '0:' "$RC:$(cat "$OUT")"
run dipb validate recommendations/IC-0006.yaml
check_eq 'but validate says it, a control of a single-line field' \
    "1 recommendations/IC-0006.yaml:2:1: error: 'title' holds a control character, U+2028, at character 4 (a single-line field) [control-character]" \
    "$RC $(cat "$OUT" "$ERR" | grep 'U+2028')"

# 22. dipb.yaml changed by someone who is not the chair.
scenario board
sedit dipb.yaml 's/quorum: 2/quorum: 1/'
git add dipb.yaml
forge board changed '' secretary
tamper 'dipb.yaml changed by the secretary' role \
    'secretary@example.org may not change dipb.yaml: needs the chair role'

# 23. A state change that deletes its record.
scenario delete
git rm -q recommendations/IC-0005.yaml
forge IC-0005 withdrawn 'draft -> withdrawn' secretary
tamper 'a state change that deletes its record' record-deleted \
    'IC-0005 withdrawn deletes recommendations/IC-0005.yaml'

# 24. Trailers on a commit that does not change their record.
scenario nochange
echo 'notes' >NOTES
git add NOTES
forge IC-0005 edited 'draft -> draft' drafter
tamper 'trailers on a commit that does not change their record' no-change \
    "the change 'IC-0005 edited' does not change recommendations/IC-0005.yaml"

# 25. A record whose id is not its file's.
scenario id
sedit recommendations/IC-0005.yaml 's/^id: .*/id: IC-0009/'
git add recommendations/IC-0005.yaml
forge IC-0005 edited 'draft -> draft' drafter
tamper "a record whose id is not its file name's" record-id \
    'recommendations/IC-0005.yaml holds id IC-0009'

# 26. A Dipb-Status trailer that lies.
scenario trailer-status
sedit recommendations/IC-0005.yaml 's/^title: .*/title: Lying trailer/'
git add recommendations/IC-0005.yaml
forge IC-0005 edited 'returned -> returned' drafter
tamper 'a Dipb-Status trailer that says another move' trailers \
    "Dipb-Status says 'returned -> returned', the history gives 'draft -> draft'"

# 26b. A record's change without Dipb-Status, by a member who may not make
# it: its trailers are malformed, said missing, and the change is not
# replayed (dipb-verify(1), trailers): no role, signature or tag finding,
# its tag not its own.  The finding is on the record's file and names
# that tag.
scenario trailer-no-status
sedit recommendations/IC-0005.yaml 's/^title: .*/title: No status/'
git add recommendations/IC-0005.yaml
forge IC-0005 edited '' rev1
_t=$(git tag --points-at HEAD)
tamper 'a record'"'"'s change without Dipb-Status' trailers \
    "^[0-9a-f]{12} $_t: no Dipb-Status trailer \\[trailers\\]\$"
run dipb verify
check_eq '  not judged further: a trailers finding and its tag'"'"'s alone' \
    'tag-extra trailers ' \
    "$(sed -n 's/.* \[\([a-z-]*\)\]$/\1/p' "$OUT" | sort | tr '\n' ' ')"
run dipb verify --format json
check_file_has '  json: on the record'"'"'s file, naming the tag' "$OUT" \
    "\"tag\":\"$_t\",\"path\":\"recommendations/IC-0005\\.yaml\",\"rule\":\"trailers\""

# 27. dipb.yaml changed by hand to leave no chair: nobody could change the
# board again (dipb edit --board refuses to; dipb validate says chair).
scenario keeper
sedit dipb.yaml 's/roles: \[chair\]/roles: [secretary]/'
git add dipb.yaml
forge board changed '' chair
tamper 'dipb.yaml changed by hand to leave no chair' chair \
    'board/2-changed: no member holds the chair role: nobody could change dipb.yaml again'
# The same by a plain commit: the commit is a finding, and so is the
# board it leaves.
scenario keeper-plain
sedit dipb.yaml 's/roles: \[chair\]/roles: [secretary]/'
git commit -q -am 'No chair'
check_rule 'a plain commit leaving no chair: plain-commit' plain-commit
check_rule 'a plain commit leaving no chair: chair too' chair \
    'no member holds the chair role'

# 28. A control character written into dipb.yaml by hand, as a
# double-quoted escape, in a change with dipb's trailers and its tag:
# what dipb init, dipb edit --board and dipb sync refuse to write
# (dipb-validate(1), control-character), named at its line and column
# with the same reader; a later change that keeps it is not reported
# again, one that adds another is, alone.
scenario board-control
sedit dipb.yaml 's/^  - name: Sam Secretary$/  - name: "Sam \\e]0;owned\\a"/'
grep -q '^  - name: "Sam \\e' dipb.yaml ||
    not_ok 'board-control: the sed script wrote an escape into a name'
git add dipb.yaml
forge board changed '' chair
tamper 'dipb.yaml changed by hand to hold a control character' board-invalid \
    "board/2-changed: dipb\\.yaml:[0-9]+:5: 'members: name' holds a control character, U\\+001B, at character 5 \\(a single-line field\\) \\[control-character\\]"
run dipb verify
check_eq 'that change: one finding, exit 1' '1:1' "$RC:$(grep -c . "$OUT")"
cp "$OUT" "$TROOT/board-control.out"
check_rule '--since its parent (the pre-receive hook): reported' \
    board-invalid "board/2-changed: dipb\\.yaml:.*U\\+001B" --since HEAD~1
run dipb verify --format json
check_file_has 'json: the finding on dipb.yaml, its rule and where' "$OUT" \
    '"path":"dipb\.yaml","rule":"board-invalid","message":"dipb\.yaml:[0-9]+:5: .*U\+001B'
run dipb verify --format github
check_file_has 'github: an annotation on dipb.yaml' "$OUT" \
    '^::error file=dipb\.yaml,title=dipb verify \[board-invalid\]::.* board/2-changed: dipb\.yaml:[0-9]+:5: '
run dipb verify --format junit
check_file_has 'junit: the rule board-invalid fails with it' "$OUT" \
    "board/2-changed: dipb\\.yaml:[0-9]+:5: &apos;members: name&apos; holds a control character"
run dipb verify --format sarif
cp "$OUT" "$TROOT/board-control.sarif"
check 'sarif: a result of board-invalid on dipb.yaml' python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))["runs"][0]["results"]
sys.exit(not any(x["ruleId"] == "board-invalid" and "U+001B" in
    x["message"]["text"] and x["locations"][0]["physicalLocation"]
    ["artifactLocation"]["uri"] == "dipb.yaml" for x in r))' \
    "$TROOT/board-control.sarif"
# A later change that keeps it: not the change's.
sedit dipb.yaml 's/quorum: 2/quorum: 1/'
git add dipb.yaml
forge board changed '' chair
run dipb verify
check_eq 'a later board change that keeps it: no finding of its own' \
    "1:$(cat "$TROOT/board-control.out")" "$RC:$(cat "$OUT")"
# One that adds a C1 control to a working group's name: that one alone.
sedit dipb.yaml 's/^    name: Supply Chain Security$/    name: "Supply \\x9b2J Chain"/'
git add dipb.yaml
forge board changed '' chair
run dipb verify
check_eq 'a board change that adds a C1 control: one more finding' \
    2 "$(grep -c . "$OUT")"
check_file_has 'it names the field' "$OUT" \
    "board/4-changed: dipb\\.yaml:[0-9]+:[0-9]+: 'working_groups: name' holds a control character, U\\+009B"
# The same by a plain commit: plain-commit, and board-invalid too.
scenario board-control-plain
sedit dipb.yaml 's/^board: .*/board: "Test \\e[2J Board"/'
git commit -q -am 'Board name'
check_rule 'a plain commit writing a control character: plain-commit' \
    plain-commit
check_rule 'a plain commit writing a control character: board-invalid too' \
    board-invalid "dipb\\.yaml:1:1: 'board' holds a control character, U\\+001B"

# A member's email that is no address, written by a board change: left
# to dipb validate (dipb-verify(1), board-invalid), as older versions of
# dipb init wrote some and a history keeps them; a later dipb edit
# --board keeps one the board held, and refuses a new one.
scenario board-email
sedit dipb.yaml 's/email: secretary@example.org/email: TBD/'
grep -q 'email: TBD' dipb.yaml ||
    not_ok 'board-email: the sed script wrote the email'
git add dipb.yaml
forge board changed '' chair
run dipb verify
check_eq 'a board change writing an email that is no address: no finding' \
    '0:' "$RC:$(cat "$OUT")"
as chair
sedit dipb.yaml 's/quorum: 2/quorum: 1/'
was=$(git rev-parse HEAD)
run dipb edit --board --no-edit
check_eq '  dipb edit --board keeps the email the board held' \
    "0 $was TBD" "$RC $(git rev-parse HEAD^) $(git show HEAD:dipb.yaml |
    sed -n 's/^ *email: TBD$/TBD/p')"
run dipb verify
check_eq '  and verify finds nothing in that change' '0:' "$RC:$(cat "$OUT")"
sedit dipb.yaml 's/email: chair@example.org/email: chair/'
run dipb edit --board --no-edit
check_file_has '  a new one is refused at its line' "$ERR" \
    "dipb\\.yaml:[0-9]+:[0-9]+: error: 'chair' is not an email address \\[email\\]"
git checkout -q -- dipb.yaml

echo "# tampering scenarios detected with the right rule: $DETECTED/$TAMPER"
check_eq "every tampering scenario is detected ($DETECTED/$TAMPER)" \
    "$TAMPER" "$DETECTED"
check 'at least 15 tampering scenarios' test "$TAMPER" -ge 15

# --- --since and the formats --------------------------------------------------

scenario since
as outsider
sedit recommendations/IC-0001.yaml 's/^title: .*/title: Early tampering/'
git commit -q -am 'Early'
early=$(git rev-parse HEAD)
as drafter
run dipb review IC-0005 --request
check_rule 'without --since the early plain commit is reported' plain-commit
check_out '--since the early commit: clean' '' dipb verify --since "$early"
check_out '--since 40 zeros: the whole branch' 1 sh -c \
    'dipb verify --since 0000000000000000000000000000000000000000 | wc -l'
as outsider
sedit recommendations/IC-0005.yaml 's/^title: .*/title: Late tampering/'
git commit -q -am 'Late'
check_rule '--since the early commit: the late one is reported' plain-commit \
    'Late|IC-0005' --since "$early"
check_out '--since the early commit: only the late one' 1 sh -c \
    "dipb verify --since $early | wc -l"
git tag -d IC-0001/2-review-requested >/dev/null
check_rule '--since: a tag deleted before it is still reported' tag-missing \
    'IC-0001/2-review-requested' --since "$early"
check_refused 2 "unknown revision: 'no-such-rev'" \
    '--since an unknown revision: exit 2' dipb verify --since no-such-rev
check_refused 2 '--format takes text, json, github, junit or sarif' \
    'an unknown format: exit 2' dipb verify --format xml
check_refused 2 'no arguments expected' 'an argument: exit 2' \
    dipb verify IC-0001

run dipb verify --format json
check_eq 'json: exit 1' 1 "$RC"
cp "$OUT" "$TROOT/json.out"
check 'json: each line is a JSON object with the five keys' python3 -c '
import json, sys
n = 0
for line in open(sys.argv[1]):
    o = json.loads(line)
    assert set(o) == {"commit", "tag", "path", "rule", "message"}, o
    assert len(o["commit"]) == 40, o
    n += 1
assert n == 3, n' "$TROOT/json.out"
check_file_has 'json: the plain commit names its file' "$TROOT/json.out" \
    '"path":"recommendations/IC-0005.yaml","rule":"plain-commit"'
run dipb verify --format github
check_file_has 'github: an error annotation with file and rule' "$OUT" \
    '^::error file=recommendations/IC-0005.yaml,title=dipb verify \[plain-commit\]::[0-9a-f]{12} -: plain git commit'
check_err 'stderr: the count of findings' 'dipb: 3 findings in'

# --- the example board ------------------------------------------------------------

# demo.sh builds demo/ beside its examples/: a copy of them, here.
mkdir "$TROOT/demo-src"
cp -a "$DIPB_SRCDIR/examples" "$TROOT/demo-src/"
run env DIPB="$DIPB" sh "$TROOT/demo-src/examples/demo.sh"
if [ "$RC" -eq 0 ] && [ -d "$TROOT/demo-src/demo" ]; then
	cd "$TROOT/demo-src/demo"
	verify_clean 'the example board of examples/demo.sh verifies clean'
else
	not_ok 'examples/demo.sh builds the example board' \
	    "$(_said examples/demo.sh)"
fi

# --- the pre-receive hook ---------------------------------------------------------

hook=$DIPB_SRCDIR/examples/pre-receive
scenario hook
git clone -q --bare . "$TROOT/shared.git"
git push -q --tags "$TROOT/shared.git" 2>/dev/null
cp "$hook" "$TROOT/shared.git/hooks/pre-receive"
chmod +x "$TROOT/shared.git/hooks/pre-receive"
git remote add origin "$TROOT/shared.git"
as drafter
run dipb review IC-0005 --request
check 'pre-receive: a push of a dipb change is accepted' \
    git push -q --follow-tags origin main
as outsider
sedit recommendations/IC-0001.yaml 's/^title: .*/title: Pushed tampering/'
git commit -q -am 'Tamper and push'
run git push origin main
check_eq 'pre-receive: a push of a plain commit changing a record is refused' \
    1 "$([ "$RC" -ne 0 ] && echo 1)"
check_err 'pre-receive: the pusher sees the finding' '[plain-commit]'
check_err 'pre-receive: and why the push was refused' 'pre-receive hook declined'
check_eq 'pre-receive: the shared branch did not move' \
    "$(git rev-parse HEAD~1)" "$(git --git-dir="$TROOT/shared.git" rev-parse main)"
git reset -q --hard HEAD~1
run git push origin :refs/tags/IC-0001/3-reviewed
check_eq 'pre-receive: a push deleting a tag is refused' 1 \
    "$([ "$RC" -ne 0 ] && echo 1)"
check_err 'pre-receive: the deleted tag is named' 'IC-0001/3-reviewed'
check 'pre-receive: the tag is still there' \
    git --git-dir="$TROOT/shared.git" rev-parse -q --verify \
    refs/tags/IC-0001/3-reviewed
run git push -f origin 'IC-0005/1-drafted^{commit}:refs/tags/IC-0001/3-reviewed'
check_eq 'pre-receive: a push moving a tag is refused' 1 \
    "$([ "$RC" -ne 0 ] && echo 1)"
as drafter
run dipb edit IC-0004 --no-edit </dev/null
run dipb review IC-0002 --request-changes -m 'More evidence.' || :
as rev2
run dipb review IC-0004 --endorse
check 'pre-receive: a push of more dipb changes is accepted' \
    git push -q --follow-tags origin main
# A list of refs the hook cannot write whole (a file size limit; so a
# full TMPDIR) refuses the push, saying so: read cut short, it made the
# hook refuse a sound push for a rewritten history or missing tags.
as drafter
mkrec industrial-capacity 'Pushed under a limit' >/dev/null
run sh -c 'ulimit -f 1 && exec git push --follow-tags origin main'
check_eq 'pre-receive: a list it cannot write: the push refused' 1 \
    "$([ "$RC" -ne 0 ] && echo 1)"
check_err 'pre-receive: a list it cannot write: said so' \
    'pre-receive: cannot write '
check_eq 'pre-receive: a list it cannot write: no made-up reason' '' \
    "$(grep -e 'lacks [0-9]* changes' -e 'tag-missing' -e 'rewrite' "$ERR")"
check 'pre-receive: without the limit, the push is accepted' \
    git push -q --follow-tags origin main
# A change made by hand that adds a control character, which dipb's
# commands never write: refused, naming where it is.
sedit recommendations/IC-0006.yaml 's/^title: .*/title: "Pushed \\e]52;c;b3duZWQ=\\a"/'
git add recommendations/IC-0006.yaml
forge IC-0006 edited 'draft -> draft' drafter
run git push --follow-tags origin main
check_eq 'pre-receive: a push adding a control character is refused' 1 \
    "$([ "$RC" -ne 0 ] && echo 1)"
check_err 'pre-receive: the pusher sees where' \
    "recommendations/IC-0006.yaml:2:1: 'title' holds a control character, U+001B, at character 8 (a single-line field) [control-character] [record-invalid]"
check_eq 'pre-receive: neither the branch nor the tag reached it' \
    "$(git rev-parse HEAD~1):" \
    "$(git --git-dir="$TROOT/shared.git" rev-parse main):$(git --git-dir="$TROOT/shared.git" tag -l IC-0006/2-edited)"
# So in dipb.yaml: the board's changes are checked the same way.
git reset -q --hard HEAD~1
git tag -d IC-0006/2-edited >/dev/null
sedit dipb.yaml 's/^  - name: Sam Secretary$/  - name: "Sam \\e]52;c;b3duZWQ=\\a"/'
git add dipb.yaml
forge board changed '' chair
run git push --follow-tags origin main
check_eq 'pre-receive: a push adding a control character to dipb.yaml is refused' \
    1 "$([ "$RC" -ne 0 ] && echo 1)"
check_err 'pre-receive: the pusher sees where in dipb.yaml' \
    "'members: name' holds a control character, U+001B, at character 5 (a single-line field) [control-character] [board-invalid]"
check_eq 'pre-receive: the board change did not reach it' \
    "$(git rev-parse HEAD~1):" \
    "$(git --git-dir="$TROOT/shared.git" rev-parse main):$(git --git-dir="$TROOT/shared.git" tag -l 'board/*-changed')"
# A repository whose path holds a newline: the hook cannot name its
# objects to the work repository (objects/info/alternates holds one path
# a line, dipb-git(7), "Alternates"), and refuses saying so, not with a
# finding it made up from the objects it did not see.  The forged board
# change goes first, its tag with it, whatever its number.
_t=$(git tag --points-at HEAD 'board/*-changed')
git reset -q --hard HEAD~1
git tag -d "$_t" >/dev/null ||
    not_ok 'pre-receive: the forged board change undone' "tag: '$_t'"
nlsrv=$(printf '%s/shared\nx.git' "$TROOT")
git clone -q --bare "$TROOT/shared.git" "$nlsrv"
cp "$hook" "$nlsrv/hooks/pre-receive"
chmod +x "$nlsrv/hooks/pre-receive"
git fetch -q "$nlsrv" main
as drafter
mkrec industrial-capacity 'Pushed to a path with a newline' >/dev/null
run git push --follow-tags "$nlsrv" main
check_eq 'pre-receive, a newline in its path: the push refused' 1 \
    "$([ "$RC" -ne 0 ] && echo 1)"
check_err 'pre-receive, a newline in its path: the cause named' \
    "the object folder '$TROOT/shared?x.git/"
check_err 'pre-receive, a newline in its path: the cause said' \
    "has a newline in its path, which dipb cannot read from objects/info/alternates"
check_eq 'pre-receive, a newline in its path: no made-up finding' '' \
    "$(grep -e 'lacks' -e 'tag-missing' -e 'borrows objects' -e 'found fault' "$ERR")"

# --- a history longer than the replay holds ------------------------------

# The replay holds two stretches of 1,024 commits at a time and makes any
# other from what the walk kept of it (src/verify/history.c,
# dipb_vfy_window_to and dipb_vfy_commit_peek): 2,600 drafts by git
# fast-import, three stretches.  A tag moved onto a commit of a stretch
# the replay has not read when it meets the tag's own change, and tags
# left over on commits of a stretch it has released (IC-1200's,
# IC-0100's) and of the last.  One replay judged for several findings at
# a time: each takes seconds under the sanitizers.
new_board long
as drafter
fast_drafts 2600
check_eq 'long history: 2,601 commits' 2601 "$(ncommits)"
verify_clean 'long history: verify is clean'
git tag -d IC-0003/1-drafted IC-2598/1-drafted >/dev/null
run dipb verify
cp "$OUT" "$TROOT/long.out"
check_eq 'long history: two tags deleted, every commit judged once' \
    '1:dipb: 2 findings in 2601 commits and 2599 tags' \
    "$RC:$(grep findings "$ERR")"
check 'long history: a change of the first stretch has lost its tag' \
    grep -q -E '^[0-9a-f]{12} IC-0003/1-drafted: .* \[tag-missing\]$' \
    "$TROOT/long.out"
check 'long history: and one of the last' \
    grep -q -E '^[0-9a-f]{12} IC-2598/1-drafted: .* \[tag-missing\]$' \
    "$TROOT/long.out"
c100=$(git rev-parse 'IC-0100/1-drafted^{commit}' | cut -c1-12)
c1200=$(git rev-parse 'IC-1200/1-drafted^{commit}' | cut -c1-12)
c2400=$(git rev-parse 'IC-2400/1-drafted^{commit}' | cut -c1-12)
git tag -f -a -m moved IC-0005/1-drafted "$c2400" >/dev/null
git tag -a -m extra IC-0009/2-edited "$c1200"
git tag -a -m extra IC-2500/2-edited "$c100"
git tag -a -m extra IC-0011/2-edited "$c2400"
run dipb verify
cp "$OUT" "$TROOT/long.out"
check_eq 'long history: a tag moved, three more: 6 findings' \
    '1:6' "$RC:$(wc -l <"$TROOT/long.out" | tr -d ' ')"
check 'long history: a tag moved two stretches on [tag-moved]' grep -q -F \
    "IC-0005/1-drafted: the tag points to $c2400, not to this commit" \
    "$TROOT/long.out"
check 'long history: a tag on a change of a stretch released [tag-extra]' \
    grep -q -F "IC-0009/2-edited: the tag is on $c1200, the change 'IC-1200 drafted'" \
    "$TROOT/long.out"
check "long history: a later record's tag on a change of the first [tag-extra]" \
    grep -q -F "IC-2500/2-edited: the tag is on $c100, the change 'IC-0100 drafted'" \
    "$TROOT/long.out"
check 'long history: a tag on a change of the last stretch [tag-extra]' \
    grep -q -F "IC-0011/2-edited: the tag is on $c2400, the change 'IC-2400 drafted'" \
    "$TROOT/long.out"
run dipb verify --since HEAD~100
check_eq 'long history: --since reports the same tag findings' \
    "$(sort "$TROOT/long.out")" "$(sort "$OUT")"
same_packed 'long history'

# The history's table paged (src/verify/history.c, src/spill.c): with a
# cache of four commits, the long history's findings as before; a
# temporary folder that cannot be written fails verify with the file's
# error (exit 5), and no checkpoint is written from what it read back.
rm -rf .git/dipb/verify
run env DIPB_VERIFY_MEMORY=0 dipb verify
check_eq 'long history paged: the same findings' \
    "1:$(cat "$TROOT/long.out")" "$RC:$(cat "$OUT")"
rm -rf .git/dipb/verify
run env DIPB_VERIFY_MEMORY=0 TMPDIR="$TROOT/no-such-folder" dipb verify
check_eq 'paged to a folder that is not there: exit 5, no findings' \
    '5:' "$RC:$(cat "$OUT")"
check_err 'it names the folder and what failed' \
    "and cannot make a temporary file in $TROOT/no-such-folder: No such file or directory"
check_err 'and where to read about it' 'DIPB_VERIFY_MEMORY'
check 'no checkpoint written' test ! -e .git/dipb/verify
run env DIPB_VERIFY_MEMORY=3072 TMPDIR="$TROOT/no-such-folder" dipb verify
check_eq 'held in memory, the folder is never needed' 1 "$RC"
# Not a number of KiB ("-1", "2x"): the default, 3 MiB, held in memory.
for m in -1 2x; do
	rm -rf .git/dipb/verify
	run env DIPB_VERIFY_MEMORY="$m" TMPDIR="$TROOT/no-such-folder" \
	    dipb verify
	check_eq "DIPB_VERIFY_MEMORY=$m: the default, the same findings" \
	    "1:$(cat "$TROOT/long.out")" "$RC:$(cat "$OUT")"
done

# --- a review change's own reviews -------------------------------------------
# A returned change whose added review endorses, and one that slips in a
# review of another member's beside the committer's: each [review-changed]
# (a mutation run found neither pinned down).
revboard() {
	new_board "$1" >/dev/null
	at 2026-03-02
	as drafter
	rid=$(mkrec industrial-capacity 'Framework contracts')
	drive "$rid" in-review
	as rev1
	run dipb review "$rid" --endorse -m 'Agreed.'
	rf=recommendations/$rid.yaml
	rfp=$(sed -n 's/^    fingerprint: //p' "$rf" | head -n 1)
}
revboard verdict
printf '  - reviewer: rolf@example.org\n    date: 2026-03-02\n    verdict: endorse\n    fingerprint: %s\n' "$rfp" >>"$rf"
sedit "$rf" 's/^status: .*/status: returned/'
git add "$rf"
forge "$rid" returned 'in-review -> returned' rev2
check_rule 'a returned event whose review endorses' review-changed \
    "rolf@example.org's review says endorse, but the event is returned"
revboard others
for who in roza rolf; do
	printf '  - reviewer: %s@example.org\n    date: 2026-03-02\n    verdict: request-changes\n    fingerprint: %s\n' "$who" "$rfp" >>"$rf"
done
sedit "$rf" 's/^status: .*/status: returned/'
git add "$rf"
forge "$rid" returned 'in-review -> returned' rev2
check_rule "a review added by the committer and one by another" \
    review-changed "reviews of $rid other than rolf@example.org's changed"

# --- the subject ---------------------------------------------------------------
#
# A state change's subject is what dipb log and the minutes show, and the
# minutes read a returned review's verdict and a declassification's old
# level from it: rewritten with plain git (git commit --amend, the tag
# made again on the new commit by the same member), it would make them
# say another decision than the record; dipb verify reports it (subject).
# A name and a count of endorsements stand for any non-empty text (an
# earlier dipb wrote the git name); a subject over two lines is read as
# dipb log reads it, its lines joined.
subj_board() {
	new_board "subject-$1" >/dev/null
	at 2026-03-02
	as drafter
	sid=$(mkrec industrial-capacity 'Subjects')
}
# resubject WHO SED: HEAD's subject rewritten by WHO with sed's 1SED, its
# tag made again on the new commit.
resubject() {
	as "$1"
	_t=$(git tag --points-at HEAD)
	git commit -q --amend -m "$(git log -1 --format=%B | sed "1$2")"
	git tag -f -a -m "$(git log -1 --format=%s)" "$_t" HEAD >/dev/null
}
subj_board decided
drive "$sid" decided
resubject secretary 's/agreed/declined/'
check_rule 'a decided subject with another outcome' subject \
    "^[0-9a-f]{12} $sid/6-decided: the subject is '$sid: decided: declined', where dipb writes '$sid: decided: agreed' for this change"
check_eq 'a decided subject with another outcome: that finding alone' 1 \
    "$(wc -l <"$OUT" | tr -d ' ')"
check_rule 'a decided subject with another outcome, --since its parent' \
    subject "$sid/6-decided: the subject is '$sid: decided: declined'" \
    --since HEAD~1
check_out 'dipb log shows the subject verify reports' \
    "$sid: decided: declined" sh -c 'dipb log --format json | head -n 1 |
	python3 -c "import json,sys; print(json.load(sys.stdin)[\"subject\"])"'

subj_board submitted
drive "$sid" submitted
resubject secretary 's/(REF-1)/(REF-2)/'
tamper 'a submitted subject with another reference' subject \
    "where dipb writes '$sid: submitted to National Armaments Directors \(REF-1\)'"
# The walk keeps each subject (src/verify/history.c), paged to a file
# with the history (tamper): one of many times its 32-byte pieces.
_long=$(printf 'REF-%s' $(seq 1 60) | tr -d '\n')
resubject secretary "s/(REF-2)/($_long)/"
tamper 'a long subject, kept whole by the walk' subject \
    "the subject is '$sid: submitted to National Armaments Directors \($_long\)', where"
# One longer than the walk keeps (1 KiB) is read again from its commit
# when the rule judges it.
_longer=$(printf 'REF-%s' $(seq 1 250) | tr -d '\n')
resubject secretary "s/($_long)/($_longer)/"
tamper 'a subject longer than the walk keeps, read from its commit' subject \
    "the subject is '$sid: submitted to National Armaments Directors \($_longer\)', where"
# A commit may hold 8 MiB, compressed to nothing: a history of such
# subjects, kept whole, would fill the temporary file.  One of 2 MB is
# judged with the history paged (DIPB_VERIFY_MEMORY=0) and no file
# larger than 512 KiB (ulimit -f, in 512- or 1024-byte blocks).
as secretary
{
	printf '%s: submitted to National Armaments Directors (' "$sid"
	head -c 2000000 /dev/zero | tr '\0' S
	printf ')\n'
	git log -1 --format=%B | sed 1d
} >"$TROOT/huge.msg"
_t=$(git tag --points-at HEAD)
git commit -q --amend -F "$TROOT/huge.msg"
git tag -f -a -m huge "$_t" HEAD >/dev/null
check_eq 'set-up: a subject of 2 MB' 2000000 \
    "$(git log -1 --format=%s | tr -c -d S | wc -c | tr -d ' ')"
rm -rf .git/dipb/verify
(
	ulimit -f 1024
	{ DIPB_VERIFY_MEMORY=0 dipb verify 2>/dev/null; echo "exit $?"; } |
	    sed 's/SSSSSSSSSS*/S.../' >"$TROOT/huge.out"
)
check_out 'a subject of 2 MB, judged with the history paged to a file' \
    "$_t: the subject is '$sid: submitted to National Armaments Directors (S...)', where dipb writes '$sid: submitted to National Armaments Directors (REF-1)' for this change [subject]
exit 1" sed 's/^[0-9a-f]\{12\} //' "$TROOT/huge.out"

subj_board returned
drive "$sid" in-review
as rev1
run dipb review "$sid" --object -m 'No.'
resubject rev1 's/objection by/changes requested by/'
check_rule 'a returned subject with another verdict' subject \
    "the subject is '$sid: changes requested by Rita Reviewer', where dipb writes '$sid: objection by \*'"

subj_board declassified
sedit "recommendations/$sid.yaml" 's/^classification: .*/classification: NATO RESTRICTED/'
run dipb edit "$sid" --no-edit
as chair
run dipb declassify "$sid" 'NATO UNCLASSIFIED' -m 'Released.'
resubject chair 's/from NATO RESTRICTED/from NATO UNCLASSIFIED/'
check_rule 'a declassified subject with another old level' subject \
    "where dipb writes '$sid: declassified from NATO RESTRICTED to NATO UNCLASSIFIED by \*'"

subj_board names
drive "$sid" endorsed
resubject rev2 's/by Rolf Reviewer (2\/2)/by rolf (1\/3)/'
verify_clean 'a name and a count of endorsements in a subject are any text'
resubject rev2 's/by rolf (1\/3)/by  (1\/3)/'
check_rule 'but a name is not left out' subject \
    "where dipb writes '$sid: endorsed by \* \(\*\)'"

subj_board lines
drive "$sid" decided
as secretary
git commit -q --amend -m "$(git log -1 --format=%B |
    sed '1s/decided: agreed/decided:\
agreed/')"
git tag -f -a -m x "$sid/6-decided" HEAD >/dev/null
check_out 'set-up: a subject over two lines' "$sid: decided:" \
    sh -c 'git log -1 --format=%B | head -n 1'
verify_clean 'a subject over two lines is read as dipb log reads it'

# A record's value is text in the subject dipb writes, whatever its
# bytes: the byte 0x01, which stood for any text in the subject verify
# made, matches no other text; a control character is '?' there as in
# the subject read, so record-invalid reports it and subject does not;
# a '*' of a value is shown escaped, a '*' alone standing for any text.
# amend SUBJECT: HEAD made again with SUBJECT and what is staged, its tag
# made again on it.
amend() {
	_t=$(git tag --points-at HEAD)
	git commit -q --amend -m "$1" -m "$(git log -1 --format=%B |
	    sed -n '/^Dipb-Record:/,$p')"
	git tag -f -a -m "$1" "$_t" HEAD >/dev/null
}
subj_board control
drive "$sid" submitted
as secretary
sedit "recommendations/$sid.yaml" 's/^  reference: .*/  reference: "R\\x01"/'
git add "recommendations/$sid.yaml"
amend "$sid: submitted to National Armaments Directors (Rforged)"
check_eq 'set-up: the reference holds 0x01' 1 \
    "$(grep -c -F '  reference: "R\x01"' "recommendations/$sid.yaml")"
check_rule 'a reference holding 0x01 stands for no other text' subject \
    "the subject is '$sid: submitted to National Armaments Directors \(Rforged\)', where dipb writes '$sid: submitted to National Armaments Directors \(R\?\)'"
amend "$(printf '%s: submitted to National Armaments Directors (R\001)' "$sid")"
check_rule 'a subject holding the control character its reference holds' \
    record-invalid "control character"
check_eq '... is the one dipb writes: no [subject]' 0 \
    "$(grep -c ' \[subject\]$' "$OUT")"
# A value over two lines: the subject dipb writes is read with its lines
# trimmed and joined, and record-invalid alone reports it.
sedit "recommendations/$sid.yaml" 's/^  reference: .*/  reference: "R\\nX"/'
git add "recommendations/$sid.yaml"
amend "$(printf '%s: submitted to National Armaments Directors (R\nX)' "$sid")"
check_out 'set-up: a reference over two lines, a subject as dipb writes it' \
    "$sid: submitted to National Armaments Directors (R X)" \
    sh -c 'dipb log --format json | head -n 1 |
	python3 -c "import json,sys; print(json.load(sys.stdin)[\"subject\"])"'
check_rule 'a reference over two lines' record-invalid
check_eq '... in a subject read as dipb log reads it: no [subject]' 0 \
    "$(grep -c ' \[subject\]$' "$OUT")"

subj_board star
drive "$sid" endorsed
as secretary
run dipb submit "$sid" --reference 'R*'
resubject secretary 's/(R\*)/(R2)/'
check_rule "a reference's own '*' is shown escaped, not as any text" subject \
    "the subject is '$sid: submitted to National Armaments Directors \(R2\)', where dipb writes '$sid: submitted to National Armaments Directors \(R\\\\\*\)'"

finish

#!/bin/sh
# tests/cli/untagged.sh - a writing command in a clone that lacks a
# record's tags (dipb-git(7), "Shallow clones", "Tags deleted, or left on
# a rewritten commit"): a shallow clone, a clone with --no-tags, with and
# without an upstream, and a highest tag moved by hand (pushed so too).
# Each change is refused before it writes anything, with exit status 5 (1
# for a shallow clone), and the command the refusal ends in is run as it
# is given, by sh: then the change is made, numbered after the record's
# changes, and git and dipb verify agree.  The board is
# examples/dipb.yaml, which requires signing, its members' keys
# examples/keys.
. "$(dirname "$0")/lib.sh"

if ! command -v ssh-keygen >/dev/null 2>&1; then
	skip 'untagged' 'no ssh-keygen'
	finish
	exit 0
fi
KEYS=$TROOT/keys
mkdir "$KEYS" && cp "$DIPB_SRCDIR"/examples/keys/* "$KEYS" &&
    chmod 600 "$KEYS"/*

# ex NAME EMAIL: the following commands act as that member of the example
# board, signing with their key.
ex() {
	GIT_AUTHOR_NAME=$1 GIT_AUTHOR_EMAIL=$2
	GIT_COMMITTER_NAME=$1 GIT_COMMITTER_EMAIL=$2
	export GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME \
	    GIT_COMMITTER_EMAIL
	git config gpg.format ssh
	git config user.signingKey "$KEYS/${2%@*}"
}
ingrid() { ex 'Ingrid Solberg' ingrid.solberg@example.org; }
pieter() { ex 'Pieter de Jong' pieter.dejong@example.org; }
amelie() { ex 'Amélie Laurent' amelie.laurent@example.org; }
sabine() { ex 'Sabine Hartmann' sabine.hartmann@example.org; }

# advice: the command the refusal ($ERR) ends in, after "then retry: ";
# false when there is none.
advice() {
	_a=$(sed -n 's/.*, then retry: //p' "$ERR" | head -n 1)
	echo "${_a:-false}"
}

# follow DESC: the refusal's command run by sh as it is given.
follow() {
	check "$1: the advice run as given: $(advice)" sh -c "$(advice)" \
	    </dev/null
}

# groups: the groups of the refusal's advice ($ERR), "<EMAIL> runs sh -c 'CMD'",
# one a line, CMD one word quoted for the shell; group_email LINE and
# group_cmd LINE: a group's email and its command as sh runs it.
cat >"$TROOT/group.re" <<'EOF'
<[^<>]*> runs sh -c '\([^']*'\\''\)*[^']*'
EOF
groups() { grep -o -f "$TROOT/group.re" "$ERR"; }
group_email() { _e=${1%%> runs *}; printf '%s\n' "${_e#<}"; }
group_cmd() { eval "_c=${1#*> runs sh -c }" && printf '%s\n' "$_c"; }

# origin: the example board, IC-0001 drafted and its review requested by
# Pieter, pushed to the bare $TROOT/origin.git; two changes of IC-0001.
git init -q -b main "$TROOT/board" && cd "$TROOT/board" || exit 1
ingrid
check 'setup: the example board' \
    dipb init --config "$DIPB_SRCDIR/examples/dipb.yaml"
pieter
check 'setup: IC-0001 drafted' dipb recommend --wg industrial-capacity \
    --title T --summary S --no-edit
check 'setup: its review requested' dipb review IC-0001 --request
cd "$TROOT" && git clone -q --bare board origin.git
ORIGIN=file://$TROOT/origin.git

# endorsed DESC: Amelie's endorsement is IC-0001's 3rd change, signed,
# and git and dipb verify agree.
endorsed() {
	run dipb review IC-0001 --endorse -m x
	check_eq "$1: then the endorsement is made" 0 "$RC"
	check_eq "$1: numbered 3, on the tip" "IC-0001/3-reviewed" \
	    "$(git tag -l 'IC-0001/3-*' --points-at HEAD)"
	check_eq "$1: no other IC-0001 tag" 3 "$(git tag -l 'IC-0001/*' |
	    wc -l | tr -d ' ')"
	check_git_agrees "$1: git and dipb verify agree"
}

# refused STATUS DESC TEXT: the endorsement is refused with STATUS, nothing
# made, its message holding TEXT.
refused() {
	_h=$(git rev-parse HEAD)
	_t=$(git tag -l | sort | tr '\n' ' ')
	run dipb review IC-0001 --endorse -m x
	check_eq "$2: the endorsement is refused (exit $1), nothing made" \
	    "$1 $_h $_t" \
	    "$RC $(git rev-parse HEAD) $(git tag -l | sort | tr '\n' ' ')"
	check_err "$2: the refusal says why, and what to run" "$3"
}

# --- a shallow clone without tags -------------------------------------
cd "$TROOT" && git clone -q --depth 1 --no-tags "$ORIGIN" shallow &&
    cd shallow || exit 1
amelie
refused 1 'shallow' "'git fetch --unshallow --tags' fetches them, then retry"
check 'shallow: the advice run as given' git fetch -q --unshallow --tags
endorsed 'shallow, unshallowed with its tags'

# --- a shallow clone whose history only is fetched: its tags still lack
cd "$TROOT" && git clone -q --depth 1 --no-tags "$ORIGIN" unshallowed &&
    cd unshallowed || exit 1
amelie
check 'unshallowed: setup: the history fetched, not the tags' \
    git fetch -q --unshallow
refused 5 'unshallowed' "IC-0001 changed in $(git rev-parse --short=7 HEAD), and none of its tags is here (deleted, or never fetched: a clone with --no-tags), so the next change cannot be numbered; run dipb sync"
check 'unshallowed: the advice run: dipb sync' dipb sync
endorsed 'unshallowed, synced'

# --- a whole clone with --no-tags, and its upstream -------------------
cd "$TROOT" && git clone -q --no-tags "$ORIGIN" notags && cd notags || exit 1
amelie
check_eq 'notags: setup: no tag here' 0 "$(git tag -l | wc -l | tr -d ' ')"
refused 5 'notags' "IC-0001 changed in $(git rev-parse --short=7 HEAD), and none of its tags is here (deleted, or never fetched: a clone with --no-tags), so the next change cannot be numbered; run dipb sync, which fetches the remote's tags and makes a change the remote lacks again, then retry"
check 'notags: the advice run: dipb sync' dipb sync
endorsed 'notags, synced'

# --- no tags, no upstream: each missing tag made again, signed --------
cd "$TROOT" && git clone -q --no-tags "$ORIGIN" alone && cd alone || exit 1
git remote remove origin
amelie
C1=$(git rev-parse --short=12 HEAD^) C2=$(git rev-parse --short=12 HEAD)
refused 5 'alone' "the branch has no upstream to fetch them from: make them again, as their author (dipb verify names every missing tag, tag-missing), then retry: git tag -s -m 'IC-0001: drafted by Pieter de Jong' IC-0001/1-drafted $C1 && git tag -s -m 'IC-0001: review requested by Pieter de Jong' IC-0001/2-review-requested $C2"
pieter
follow 'alone'
check_eq 'alone: the tags made again are signed, as the board requires' \
    2 "$(git for-each-ref --format='%(contents:signature)' 'refs/tags/IC-0001/' |
    grep -c 'BEGIN SSH SIGNATURE')"
# The board's own tag is none of IC-0001's: made again as verify names it.
ingrid
git tag -s -m "$(git log -1 --format=%s "$(git rev-list --max-parents=0 HEAD)")" \
    board/1-created "$(git rev-list --max-parents=0 HEAD)"
amelie
endorsed 'alone, its tags made again'

# --- the highest tag moved by hand, with an upstream ------------------
cd "$TROOT" && git clone -q "$ORIGIN" moved && cd moved || exit 1
amelie
git tag -f -s -m moved IC-0001/2-review-requested 'IC-0001/1-drafted^{}' \
    >/dev/null
refused 5 'moved' "IC-0001 changed in $(git rev-parse --short=7 HEAD), and its highest tag here, IC-0001/2-review-requested, is on $(git rev-parse --short=7 HEAD^), which is no change of its event (moved by hand), so the next change cannot be numbered; dipb sync keeps a tag moved here: fetch it again from the remote, then retry: git fetch --force origin tag IC-0001/2-review-requested +refs/tags/IC-0001/2-review-requested:refs/dipb/remote/origin/tags/IC-0001/2-review-requested"
follow 'moved'
endorsed 'moved, fetched again'

# --- a tag moved by hand onto a later change: refused, though the record
# at the tip is as its highest tag's commit has it, not numbered on
cd "$TROOT" && git clone -q "$ORIGIN" later && cd later || exit 1
amelie
check 'later: setup: an endorsement, 3-reviewed' dipb review IC-0001 \
    --endorse -m x
pieter
git tag -f -s -m moved IC-0001/2-review-requested HEAD >/dev/null
sabine
refused 5 'later' "IC-0001's tags IC-0001/2-review-requested and IC-0001/3-reviewed are both on $(git rev-parse --short=7 HEAD), and dipb makes one tag a change: one was moved there by hand, so its tags no longer say which change is which and the next change cannot be numbered; the upstream branch lacks changes of this one, so the remote may lack the tags (never pushed): dipb verify names the change the moved one belongs to (tag-moved); put it back there with git tag -f, as that change's author, then retry"
# The endorsement was never pushed: a fetch of its tag would fail.
check_eq 'later: no command to run' false "$(advice)"
run dipb verify
check_eq 'later: dipb verify names the change it belongs to' \
    "$(git rev-parse --short=12 HEAD^) IC-0001/2-review-requested" \
    "$(grep 'tag-moved' "$OUT" | cut -d: -f1 | head -n 1)"
pieter
git tag -f -s -m 'IC-0001: review requested by Pieter de Jong' \
    IC-0001/2-review-requested HEAD^ >/dev/null
sabine
check 'later: then the endorsement is made' dipb review IC-0001 --endorse -m y
check_eq 'later: numbered 4, on the tip' "$(git rev-parse HEAD)" \
    "$(git rev-parse -q --verify 'IC-0001/4-endorsed^{commit}')"
check_git_agrees 'later: git and dipb verify agree'

# ... onto another change of its event, without an upstream: two tags of
# one event on one commit, which only the history tells apart (dipb
# verify counts it: tag-moved), not refused: numbered past both
cd "$TROOT" && git clone -q "$ORIGIN" sameev && cd sameev || exit 1
git remote remove origin
pieter
check 'sameev: setup: recalled' dipb review IC-0001 --recall
check 'sameev: setup: requested again, 4-review-requested' \
    dipb review IC-0001 --request
git tag -f -s -m moved IC-0001/2-review-requested HEAD >/dev/null
amelie
check 'sameev: the endorsement is made' dipb review IC-0001 --endorse -m x
check_eq 'sameev: numbered 5, on the tip' "$(git rev-parse HEAD)" \
    "$(git rev-parse -q --verify 'IC-0001/5-reviewed^{commit}')"
run dipb verify
check_eq 'sameev: dipb verify names the change it belongs to' \
    "$(git rev-parse --short=12 HEAD~3) IC-0001/2-review-requested" \
    "$(grep 'tag-moved' "$OUT" | cut -d: -f1 | head -n 1)"

# --- a tag of the board's form made by hand beside a change's own, of its
# event, numbered above the highest (dipb-git(7), "Tags of another form"):
# the record's, verify judges it (tag-extra), and the next change is
# numbered after it (verify: tag-number); with an upstream and without
extra() {
	pieter
	check "$1: setup: recalled, 3-recalled" dipb review IC-0001 --recall
	git tag -s -m extra IC-0001/4-review-requested \
	    'IC-0001/2-review-requested^{}' >/dev/null
	check "$1: the request is made" dipb review IC-0001 --request
	check_eq "$1: numbered 5, on the tip" "$(git rev-parse HEAD)" \
	    "$(git rev-parse -q --verify 'IC-0001/5-review-requested^{commit}')"
	run dipb verify
	check_eq "$1: dipb verify judges the extra (tag-extra)" \
	    "$(git rev-parse --short=12 HEAD~2) IC-0001/4-review-requested" \
	    "$(grep 'tag-extra' "$OUT" | cut -d: -f1 | head -n 1)"
	check_eq "$1: ... and names no tag moved" 0 \
	    "$(grep -c 'tag-moved' "$OUT")"
}
cd "$TROOT" && git clone -q "$ORIGIN" extra && cd extra || exit 1
extra 'extra'
cd "$TROOT" && git clone -q "$ORIGIN" extraalone && cd extraalone || exit 1
git remote remove origin
extra 'extra alone'

# --- a change's own tag made again by hand with another message: it is
# still that change's, as dipb verify judges it, and no reason to refuse
cd "$TROOT" && git clone -q "$ORIGIN" retag && cd retag || exit 1
pieter
check 'retag: setup: recalled, 3-recalled' dipb review IC-0001 --recall
git tag -f -s -m 'retagged after a mistake' IC-0001/3-recalled \
    'IC-0001/3-recalled^{commit}' >/dev/null
check 'retag: dipb verify finds nothing' dipb verify
check 'retag: the request is made' dipb review IC-0001 --request
check_eq 'retag: numbered 4, on the tip' "$(git rev-parse HEAD)" \
    "$(git rev-parse -q --verify 'IC-0001/4-review-requested^{commit}')"

# --- the highest tag moved onto an earlier change, its own change never
# pushed: the remote has no such tag to fetch, so it is put back by hand
cd "$TROOT" && git clone -q "$ORIGIN" unpushed && cd unpushed || exit 1
amelie
check 'unpushed: setup: an endorsement, 3-reviewed' dipb review IC-0001 \
    --endorse -m x
git tag -f -s -m moved IC-0001/3-reviewed HEAD^ >/dev/null
C3=$(git rev-parse --short=12 HEAD)
_h=$(git rev-parse HEAD)
run dipb review IC-0001 --endorse -m y
check_eq 'unpushed: refused (exit 5), nothing made' "5 $_h" \
    "$RC $(git rev-parse HEAD)"
check_err 'unpushed: the refusal says why, and what to run' "its change is not on the upstream branch, so the remote lacks the tag (never pushed): put it back on its change, as its author (dipb verify names it, tag-moved), then retry: git tag -f -s -m 'IC-0001: endorsed by Amélie Laurent (1/2)' IC-0001/3-reviewed $C3"
follow 'unpushed'
check_eq 'unpushed: the tag back on its change (git)' "$(git rev-parse HEAD)" \
    "$(git rev-parse 'IC-0001/3-reviewed^{commit}')"
check_git_agrees 'unpushed: git and dipb verify agree'
sabine
check 'unpushed: then the next change is made' dipb review IC-0001 \
    --endorse -m y
check_eq 'unpushed: numbered 4, on the tip' "$(git rev-parse HEAD)" \
    "$(git rev-parse -q --verify 'IC-0001/4-endorsed^{commit}')"

# --- a remote whose name is shell code: the advice quotes it ---------
ODD='o;touch$IFS'"'PWNED'"
cd "$TROOT" && git clone -q -o "$ODD" "$ORIGIN" oddmoved &&
    cd oddmoved || exit 1
amelie
git tag -f -s -m moved IC-0001/2-review-requested 'IC-0001/1-drafted^{}' \
    >/dev/null
refused 5 'odd remote, moved' "then retry: git fetch --force 'o;touch\$IFS'\\''PWNED'\\''' tag IC-0001/2-review-requested"
follow 'odd remote, moved'
check_eq 'odd remote, moved: the advice ran no code of the name' '' \
    "$(ls PWNED 2>/dev/null)"
endorsed 'odd remote, moved, fetched again'

cd "$TROOT" && git clone -q -o "$ODD" "$ORIGIN" oddmerged &&
    cd oddmerged || exit 1
pieter
git tag -d IC-0001/2-review-requested >/dev/null &&
    git reset -q --hard HEAD^ &&
    git -c user.name=x -c user.email=x@x.invalid merge -q --no-ff \
    -m merged "$(git rev-parse "$ODD/main")" >/dev/null 2>&1
amelie
refused 5 'odd remote, merged' "it was merged in (git merge): fetch the remote's tags, then retry: git fetch 'o;touch\$IFS'\\''PWNED'\\''' 'refs/tags/*:refs/tags/*'"
follow 'odd remote, merged'
check_eq 'odd remote, merged: the advice ran no code of the name' '' \
    "$(ls PWNED 2>/dev/null)"
check 'odd remote, merged: then the endorsement is made' dipb review \
    IC-0001 --endorse -m x

# --- no upstream, the missing tags' changes by two members: each makes
# the tags of their own changes, with their key (dipb-git(7))
cd "$TROOT" && git clone -q --no-tags alone twoauthors &&
    cd twoauthors || exit 1
git remote remove origin
sabine
C1=$(git rev-parse --short=12 HEAD~2) C2=$(git rev-parse --short=12 HEAD^)
C3=$(git rev-parse --short=12 HEAD)
refused 5 'two authors' "make them again, each as its change's author, with their key (dipb verify names every missing tag, tag-missing), then retry; Pieter de Jong <pieter.dejong@example.org> runs sh -c 'git tag -s -m '\\''IC-0001: drafted by Pieter de Jong'\\'' IC-0001/1-drafted $C1 && git tag -s -m '\\''IC-0001: review requested by Pieter de Jong'\\'' IC-0001/2-review-requested $C2', Amélie Laurent <amelie.laurent@example.org> runs sh -c 'git tag -s -m '\\''IC-0001: endorsed by Amélie Laurent (1/2)'\\'' IC-0001/3-reviewed $C3'"
check_eq 'two authors: nothing after "then retry:", each command quoted' \
    false "$(advice)"
# Each group "NAME <EMAIL> runs sh -c 'CMD'" run by sh as that member.
groups >"$TROOT/groups"
while IFS= read -r _g; do
	_em=$(group_email "$_g") _cmd=$(group_cmd "$_g")
	case $_em in
	pieter.*) pieter ;;
	amelie.*) amelie ;;
	*) ex nobody "$_em" ;;
	esac
	check "two authors: as $_em: $_cmd" sh -c "$_cmd"
done <"$TROOT/groups"
check_eq 'two authors: two groups, one per author' 2 \
    "$(wc -l <"$TROOT/groups" | tr -d ' ')"
ingrid
git tag -s -m "$(git log -1 --format=%s "$(git rev-list --max-parents=0 HEAD)")" \
    board/1-created "$(git rev-list --max-parents=0 HEAD)"
sabine
run dipb review IC-0001 --endorse -m y
check_eq 'two authors: then the endorsement is made, numbered 4' \
    "0 IC-0001/4-endorsed" "$RC $(git tag -l 'IC-0001/4-*' --points-at HEAD)"
check_git_agrees 'two authors: git and dipb verify agree'

# --- the highest tag moved by hand, no upstream -----------------------
cd "$TROOT" && git clone -q "$ORIGIN" movedalone && cd movedalone || exit 1
git remote remove origin
amelie
git tag -f -s -m moved IC-0001/2-review-requested 'IC-0001/1-drafted^{}' \
    >/dev/null
refused 5 'movedalone' "the branch has no upstream to fetch it from: put it back on its change, as its author (dipb verify names it, tag-moved), then retry: git tag -f -s -m 'IC-0001: review requested by Pieter de Jong' IC-0001/2-review-requested $(git rev-parse --short=12 HEAD)"
pieter
follow 'movedalone'
amelie
endorsed 'movedalone, put back'

# --- the highest tag moved by hand and pushed so (git push --force): the
# fetch the refusal gives brings it back as it is here, so the refusal
# then ends in putting it back, not in the same fetch again
cd "$TROOT" && git clone -q --bare "$ORIGIN" pushed.git &&
    git clone -q "file://$TROOT/pushed.git" movedpushed &&
    cd movedpushed || exit 1
amelie
git tag -f -s -m moved IC-0001/2-review-requested 'IC-0001/1-drafted^{}' \
    >/dev/null
check 'movedpushed: setup: the moved tag pushed with --force' \
    git push -q --force origin tag IC-0001/2-review-requested
refused 5 'movedpushed' "then retry: git fetch --force origin tag IC-0001/2-review-requested"
follow 'movedpushed'
refused 5 'movedpushed, fetched' "the remote's tag is moved too (as this clone last fetched it): put it back on its change, as its author (dipb verify names it, tag-moved), and push it to the remote so, then retry: git tag -f -s -m 'IC-0001: review requested by Pieter de Jong' IC-0001/2-review-requested $(git rev-parse --short=12 HEAD) && git push --force-with-lease=refs/tags/IC-0001/2-review-requested:$(git rev-parse IC-0001/2-review-requested) origin tag IC-0001/2-review-requested"
pieter
follow 'movedpushed, fetched'
check_eq 'movedpushed: the remote has the tag put back' \
    "$(git rev-parse IC-0001/2-review-requested)" \
    "$(git ls-remote origin refs/tags/IC-0001/2-review-requested | cut -f1)"
amelie
endorsed 'movedpushed, put back'
# The remote's tag put right by another member meanwhile: the push the
# advice ends in is refused (its lease, the remote's tag as fetched), the
# other's tag kept.
cd "$TROOT" && git clone -q --bare "$ORIGIN" pushed4.git &&
    git clone -q "file://$TROOT/pushed4.git" leased &&
    git clone -q "file://$TROOT/pushed4.git" leasefixer &&
    cd leased || exit 1
amelie
git tag -f -s -m moved IC-0001/2-review-requested 'IC-0001/1-drafted^{}' \
    >/dev/null
git push -q --force origin tag IC-0001/2-review-requested
run dipb review IC-0001 --endorse -m x
check 'leased: setup: the fetch given run' sh -c "$(advice)"
run dipb review IC-0001 --endorse -m x
check_err 'leased: the refusal ends in a push with a lease' \
    "--force-with-lease=refs/tags/IC-0001/2-review-requested:$(git rev-parse IC-0001/2-review-requested) origin"
cd "$TROOT/leasefixer" && pieter || exit 1
git tag -f -s -m 'put right by the fixer' IC-0001/2-review-requested HEAD \
    >/dev/null
git push -q --force origin tag IC-0001/2-review-requested
fixed=$(git rev-parse IC-0001/2-review-requested)
cd "$TROOT/leased" && pieter
run sh -c "$(advice)"
check_eq "leased: the push is refused, the remote's tag put right kept" \
    "1 $fixed" "$([ "$RC" -ne 0 ] && echo 1 || echo 0) $(git ls-remote origin refs/tags/IC-0001/2-review-requested | cut -f1)"

# A fetch that brings the remote's tag unlike the one here (the remote's
# put back): fetching it is the way out again.
cd "$TROOT" && git clone -q "file://$TROOT/pushed.git" movedback &&
    cd movedback || exit 1
pieter
git tag -f -s -m 'IC-0001: review requested by Pieter de Jong' \
    IC-0001/2-review-requested HEAD >/dev/null
check 'movedback: setup: the remote put right' \
    git push -q --force origin tag IC-0001/2-review-requested
cd "$TROOT/movedpushed" || exit 1
git reset -q --hard HEAD^ && git tag -d IC-0001/3-reviewed >/dev/null
git tag -f -s -m moved IC-0001/2-review-requested 'IC-0001/1-drafted^{}' \
    >/dev/null
amelie
refused 5 'movedback' "fetch it again from the remote, then retry: git fetch --force origin tag IC-0001/2-review-requested"
follow 'movedback'
endorsed 'movedback, fetched again'

# --- two tags on one change, the moved one pushed so: after the fetch,
# the refusal ends in words, not in the same fetch
cd "$TROOT" && git clone -q --bare "$ORIGIN" pushed2.git &&
    git clone -q "file://$TROOT/pushed2.git" twopushed &&
    cd twopushed || exit 1
amelie
check 'twopushed: setup: an endorsement, 3-reviewed, pushed' \
    dipb review IC-0001 --endorse -m x
check 'twopushed: setup: pushed' git push -q --follow-tags origin main
pieter
git tag -f -s -m moved IC-0001/2-review-requested HEAD >/dev/null
check 'twopushed: setup: the moved tag pushed with --force' \
    git push -q --force origin tag IC-0001/2-review-requested
sabine
refused 5 'twopushed' "then retry: git fetch --force origin tag IC-0001/2-review-requested +refs/tags/IC-0001/2-review-requested:refs/dipb/remote/origin/tags/IC-0001/2-review-requested tag IC-0001/3-reviewed +refs/tags/IC-0001/3-reviewed:refs/dipb/remote/origin/tags/IC-0001/3-reviewed"
follow 'twopushed'
refused 5 'twopushed, fetched' "the remote's tags are the same (as this clone last fetched them): dipb verify names the change the moved one belongs to (tag-moved); put it back there with git tag -f, as that change's author, and push it to the remote so, leased on the remote's tag as fetched (git push --force-with-lease=refs/tags/IC-0001/2-review-requested:$(git rev-parse IC-0001/2-review-requested) origin tag IC-0001/2-review-requested, or git push --force-with-lease=refs/tags/IC-0001/3-reviewed:$(git rev-parse IC-0001/3-reviewed) origin tag IC-0001/3-reviewed), then retry"
pieter
git tag -f -s -m 'IC-0001: review requested by Pieter de Jong' \
    IC-0001/2-review-requested HEAD^ >/dev/null
run sh -c "$(sed -n 's/.*leased on the remote.s tag as fetched (\(git push [^,]*\), or .*/\1/p' "$ERR")"
check_eq 'twopushed: the leased push given for the moved tag is taken' \
    "0 $(git rev-parse IC-0001/2-review-requested)" \
    "$RC $(git ls-remote origin refs/tags/IC-0001/2-review-requested | cut -f1)"
sabine
check 'twopushed, put back and pushed: then the endorsement is made' \
    dipb review IC-0001 --endorse -m y
check_eq 'twopushed: numbered 4, on the tip' "$(git rev-parse HEAD)" \
    "$(git rev-parse -q --verify 'IC-0001/4-endorsed^{commit}')"
check_git_agrees 'twopushed: git and dipb verify agree'

# --- what this clone last saw of the remote's tag: dipb sync's copy of
# the remote's tags is newer than a FETCH_HEAD from long ago; a fetch
# from another remote says nothing of the upstream's; a FETCH_HEAD that
# is a FIFO is not read (nor waited on)
cd "$TROOT" && git clone -q --bare "$ORIGIN" pushed3.git &&
    git clone -q "file://$TROOT/pushed3.git" stale &&
    git clone -q "file://$TROOT/pushed3.git" fixer && cd stale || exit 1
amelie
git tag -f -s -m moved IC-0001/2-review-requested 'IC-0001/1-drafted^{}' \
    >/dev/null
git push -q --force origin tag IC-0001/2-review-requested
git fetch -q --force origin tag IC-0001/2-review-requested
cd "$TROOT/fixer" && pieter || exit 1
git tag -f -s -m 'IC-0001: review requested by Pieter de Jong' \
    IC-0001/2-review-requested HEAD >/dev/null
git push -q --force origin tag IC-0001/2-review-requested
cd "$TROOT/stale" && amelie
run dipb sync
check_eq "stale: setup: dipb sync has the remote's tag, put right" \
    "$(git -C "$TROOT/fixer" rev-parse IC-0001/2-review-requested)" \
    "$(git rev-parse refs/dipb/remote/origin/tags/IC-0001/2-review-requested)"
refused 5 'stale FETCH_HEAD, dipb sync newer' "fetch it again from the remote, then retry: git fetch --force origin tag IC-0001/2-review-requested"
follow 'stale FETCH_HEAD, dipb sync newer'
endorsed 'stale FETCH_HEAD, fetched again'

cd "$TROOT" && git clone -q --bare "$ORIGIN" fork.git &&
    git clone -q "$ORIGIN" forked && cd forked || exit 1
amelie
git tag -f -s -m moved IC-0001/2-review-requested 'IC-0001/1-drafted^{}' \
    >/dev/null
git remote add fork "file://$TROOT/fork.git"
git push -q --force fork tag IC-0001/2-review-requested
git fetch -q fork 'refs/tags/*:refs/tags/*'
check_eq 'another remote: setup: its fetch names the tag as it is here' 1 \
    "$(grep -c "^$(git rev-parse IC-0001/2-review-requested).*tag 'IC-0001/2-review-requested' of file://$TROOT/fork\$" .git/FETCH_HEAD)"
refused 5 'another remote' "fetch it again from the remote, then retry: git fetch --force origin tag IC-0001/2-review-requested"
rm -f .git/FETCH_HEAD && mkfifo .git/FETCH_HEAD
run timeout 20 dipb review IC-0001 --endorse -m x
check_eq 'FETCH_HEAD a FIFO: refused at once, exit 5, the fetch given' \
    "5 1" "$RC $(grep -c 'then retry: git fetch --force origin tag' "$ERR")"
rm -f .git/FETCH_HEAD
follow 'another remote'
endorsed 'another remote, fetched again'

# --- an author's name that reads as code: named as text, never in a
# command; one member's changes under two spellings of their name are one
# group, by email (dipb-git(7))
new_board hostile || exit 1
as drafter
GIT_AUTHOR_NAME='Dan $(touch PWNED1) `touch PWNED2`; O'\''Brien #'
GIT_COMMITTER_NAME=$GIT_AUTHOR_NAME
ID=$(mkrec industrial-capacity T1)
as icdrafter
sedit "$(git ls-files "*/$ID.yaml")" 's/^title: .*/title: T2/'
check 'hostile: an edit by another' dipb edit "$ID" --no-edit
as drafter
sedit "$(git ls-files "*/$ID.yaml")" 's/^title: .*/title: T3/'
check 'hostile: an edit by the drafter, under their name' \
    dipb edit "$ID" --no-edit
git tag -l "$ID/*" | xargs git tag -d >/dev/null
run dipb review "$ID" --request
check_eq 'hostile: refused' 5 "$RC"
check_err 'hostile: each group named as the board names its member' \
    "then retry; Dan Drafter <dan@example.org> runs sh -c 'git tag -a -m '\\''$ID: drafted by Dan Drafter'\\'' $ID/1-drafted "
check_err 'hostile: ... and the other member' \
    ", Ida Drafter <ida@example.org> runs sh -c 'git tag -a -m "
groups >"$TROOT/groups"
check_eq 'hostile: two groups, by email' \
    "dan@example.org ida@example.org" \
    "$(while IFS= read -r _g; do group_email "$_g"; done <"$TROOT/groups" |
    tr '\n' ' ' | sed 's/ $//')"
while IFS= read -r _g; do
	case $(group_email "$_g") in
	dan@*) as drafter ;;
	*) as icdrafter ;;
	esac
	check "hostile: $(group_email "$_g") runs its command" \
	    sh -c "$(group_cmd "$_g")"
done <"$TROOT/groups"
check_eq 'hostile: pasting the advice ran no code of the name' '' \
    "$(ls PWNED* "$TROOT"/PWNED* 2>/dev/null)"
check_eq 'hostile: every tag made again' 3 \
    "$(git tag -l "$ID/*" | wc -l | tr -d ' ')"
as drafter
check 'hostile: then the request is made' dipb review "$ID" --request

# --- the board's and the meetings' tags (dipb-git(7), "Tags of another
# form") missing as a record's are: refused, not numbered from 1 again
new_board own || exit 1
as secretary
check 'own: setup: a meeting' dipb meeting --date 2026-01-10 \
    --attendee chair@example.org -m x
as chair
sedit dipb.yaml 's/^board: .*/board: Renamed Board/'
check 'own: setup: a board change' dipb edit --board --no-edit
cd "$TROOT" && git clone -q --bare "$BOARD" own.git &&
    git clone -q --no-tags "$TROOT/own.git" ownnotags &&
    cd ownnotags || exit 1
check_eq 'own notags: setup: no tag here' 0 "$(git tag -l | wc -l | tr -d ' ')"
as secretary
_h=$(git rev-parse HEAD)
run dipb meeting --date 2026-02-10 --attendee chair@example.org -m y
check_eq 'own notags: a meeting is refused (exit 5), nothing made' \
    "5 $_h 0" "$RC $(git rev-parse HEAD) $(git tag -l | wc -l | tr -d ' ')"
check_err 'own notags: the meeting refusal says why' "meeting changed in $(git rev-parse --short=7 HEAD^), and none of its tags is here (deleted, or never fetched: a clone with --no-tags), so the next change cannot be numbered; run dipb sync"
as chair
sedit dipb.yaml 's/^board: .*/board: Again Board/'
run dipb edit --board --no-edit
check_eq 'own notags: a board change is refused (exit 5), nothing made' \
    "5 $_h 0" "$RC $(git rev-parse HEAD) $(git tag -l | wc -l | tr -d ' ')"
check_err 'own notags: the board refusal says why' "board changed in $(git rev-parse --short=7 HEAD), and none of its tags is here"
check 'own notags: the advice run: dipb sync' dipb sync
check 'own notags: then the board change is made' dipb edit --board --no-edit
check_eq 'own notags: numbered 3, on the tip' \
    "$(git rev-parse HEAD)" "$(git rev-parse -q --verify 'board/3-changed^{commit}')"
as secretary
check 'own notags: then the meeting is made' dipb meeting \
    --date 2026-02-10 --attendee chair@example.org -m y
check_eq 'own notags: numbered 2, on the tip' \
    "$(git rev-parse HEAD)" "$(git rev-parse -q --verify 'meeting/2-held^{commit}')"
check_eq 'own notags: one tag of each number' \
    'board/1-created board/2-changed board/3-changed meeting/1-held meeting/2-held' \
    "$(git for-each-ref --format='%(refname:short)' refs/tags/board refs/tags/meeting | tr '\n' ' ' | sed 's/ $//')"
check_git_agrees 'own notags: git and dipb verify agree'

# board_alone DESC NAME TEXT: without an upstream, the board renamed NAME
# is refused (exit 5), its message holding TEXT, the board's tags made
# again as it advises, then the board change is made.
board_alone() {
	git remote remove origin
	as chair
	sedit dipb.yaml "s/^board: .*/board: $2/"
	run dipb edit --board --no-edit
	check_eq "$1: a board change is refused (exit 5)" 5 "$RC"
	check_err "$1: the board's tags made again, as their author" "$3"
	follow "$1"
	check "$1: then the board change is made" dipb edit --board --no-edit
}

# ... and without an upstream, the board's tags made again as advised
cd "$TROOT" && git clone -q --no-tags "$TROOT/own.git" ownalone &&
    cd ownalone || exit 1
C1=$(git rev-list --max-parents=0 HEAD | cut -c1-12)
C2=$(git rev-parse --short=12 HEAD)
board_alone 'own alone' 'Again Board' "then retry: git tag -a -m 'board: created by Clara Chair' board/1-created $C1 && git tag -a -m 'board: changed by Clara Chair' board/2-changed $C2"
check_eq 'own alone: board/1-created on the first commit' \
    "$(git rev-list --max-parents=0 HEAD)" \
    "$(git rev-parse -q --verify 'board/1-created^{commit}')"
check_eq 'own alone: numbered 3, on the tip' \
    "$(git rev-parse HEAD)" "$(git rev-parse -q --verify 'board/3-changed^{commit}')"

# --- more than 100 commits (dipb-git(7)) since the board's, a meeting's
# and a record's last change, none of their tags here: refused all the
# same, not numbered from 1 again
new_board far || exit 1
as secretary
check 'far: setup: a meeting' dipb meeting --date 2026-01-10 \
    --attendee chair@example.org -m x
as drafter
ID=$(mkrec industrial-capacity T1)
_i=0
while [ "$_i" -lt 101 ]; do
	git commit -q --allow-empty -m "plain $_i" || break
	_i=$((_i + 1))
done
sedit "$(git ls-files "*/$ID.yaml")" 's/^title: .*/title: T2/'
check 'far: setup: the record edited' dipb edit "$ID" --no-edit
CB=$(git rev-list --max-parents=0 HEAD | cut -c1-7)
CM=$(git rev-parse --short=7 HEAD~103)
CR=$(git rev-parse --short=7 HEAD)
C1=$(git rev-list --max-parents=0 HEAD | cut -c1-12)
cd "$TROOT" && git clone -q --bare "$BOARD" far.git &&
    git clone -q --no-tags "$TROOT/far.git" farnotags &&
    cd farnotags || exit 1
_h=$(git rev-parse HEAD)
as chair
sedit dipb.yaml 's/^board: .*/board: Far Board/'
run dipb edit --board --no-edit
check_eq 'far notags: a board change is refused (exit 5), nothing made' \
    "5 $_h 0" "$RC $(git rev-parse HEAD) $(git tag -l | wc -l | tr -d ' ')"
check_err 'far notags: the board refusal says why' "board changed in $CB, and none of its tags is here (deleted, or never fetched: a clone with --no-tags), so the next change cannot be numbered; run dipb sync"
git checkout -q dipb.yaml
as secretary
run dipb meeting --date 2026-02-10 --attendee chair@example.org -m y
check_eq 'far notags: a meeting is refused (exit 5), nothing made' \
    "5 $_h 0" "$RC $(git rev-parse HEAD) $(git tag -l | wc -l | tr -d ' ')"
check_err 'far notags: the meeting refusal says why' "meeting changed in $CM, and none of its tags is here"
as drafter
run dipb review "$ID" --request
check_eq 'far notags: a review request is refused (exit 5), nothing made' \
    "5 $_h 0" "$RC $(git rev-parse HEAD) $(git tag -l | wc -l | tr -d ' ')"
check_err 'far notags: the record refusal says why' "$ID changed in $CR, and none of its tags is here"
check 'far notags: the advice run: dipb sync' dipb sync
as secretary
check 'far notags: then the meeting is made' dipb meeting \
    --date 2026-02-10 --attendee chair@example.org -m y
check_eq 'far notags: numbered 2, on the tip' \
    "$(git rev-parse HEAD)" "$(git rev-parse -q --verify 'meeting/2-held^{commit}')"

# ... and without an upstream: the board's one tag made again; the
# record's changes further apart than the search reads, in words
cd "$TROOT" && git clone -q --no-tags "$TROOT/far.git" faralone &&
    cd faralone || exit 1
board_alone 'far alone' 'Far Board' "board changed in $CB, and none of its tags is here (deleted, or never fetched: a clone with --no-tags), so the next change cannot be numbered; the branch has no upstream to fetch it from: make it again, as its author (dipb verify names every missing tag, tag-missing), then retry: git tag -a -m 'board: created by Clara Chair' board/1-created $C1"
check_eq 'far alone: numbered 2, on the tip' \
    "$(git rev-parse HEAD)" "$(git rev-parse -q --verify 'board/2-changed^{commit}')"
as drafter
_h=$(git rev-parse HEAD)
run dipb review "$ID" --request
check_eq 'far alone: a review request is refused (exit 5), nothing made' \
    "5 $_h" "$RC $(git rev-parse HEAD)"
check_err 'far alone: the refusal says how, in words' "$ID changed in $CR, and none of its tags is here (deleted, or never fetched: a clone with --no-tags), so the next change cannot be numbered; the branch has no upstream to fetch them from: make them again with git tag, as dipb makes them, each by its change's author (dipb verify names every missing tag, tag-missing), then retry"
check_eq 'far alone: no command to run' false "$(advice)"

# ... and after a first change in the clone: a new record's tag is there,
# the board's first tag is not; a meeting, its last change more than 100
# commits back, still refused
cd "$TROOT" && git clone -q --no-tags "$TROOT/far.git" farnew &&
    cd farnew || exit 1
as drafter
check 'far new: a new record drafted in the clone' mkrec industrial-capacity T3
check_eq 'far new: its tag is the one tag here' 1 "$(git tag -l | wc -l | tr -d ' ')"
_h=$(git rev-parse HEAD)
as secretary
run dipb meeting --date 2026-02-10 --attendee chair@example.org -m y
check_eq 'far new: a meeting is refused (exit 5), nothing made' \
    "5 $_h" "$RC $(git rev-parse HEAD)"
check_err 'far new: the refusal says why' "meeting changed in $CM, and none of its tags is here"

finish

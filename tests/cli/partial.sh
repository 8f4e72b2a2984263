#!/bin/sh
# tests/cli/partial.sh - a partial clone (git clone --filter=blob:none, and
# tree:0):
# the reading commands fetch the blobs of the past they need through the
# git command, in one batch, then read them, and judge exactly as in a
# full clone; with the remote unreachable, they say plainly which objects
# are missing and how to fetch them - an error, never a finding.
. "$(dirname "$0")/lib.sh"

# The server: a board with some history, served to partial clones.
at 2026-03-02
new_board origin
ORIGIN=$BOARD
as drafter
mkrec industrial-capacity 'One' >/dev/null		# IC-0001
mkrec industrial-capacity 'Two' >/dev/null		# IC-0002
mkrec supply-chain-security 'Three' >/dev/null		# SCS-0001
at 2026-03-10
drive IC-0001 decided
drive IC-0002 returned
at 2026-03-20
as drafter
sedit recommendations/IC-0002.yaml 's/^title: .*/title: Two, again/'
dipb edit IC-0002 --no-edit 2>/dev/null
drive SCS-0001 endorsed
today
git config uploadpack.allowFilter true
git config uploadpack.allowAnySHA1InWant true
cd "$TROOT" && git clone -q --bare "$ORIGIN" server.git
git -C server.git config uploadpack.allowFilter true
git -C server.git config uploadpack.allowAnySHA1InWant true
git clone -q "file://$TROOT/server.git" full

# said CMD...: what CMD prints, stdout then dipb's lines of stderr (not
# the sanitizer's), and its exit status.
said() {
	"$@" >"$TROOT/said.out" 2>"$TROOT/said.err"
	echo "exit $?"
	cat "$TROOT/said.out"
	grep '^dipb:' "$TROOT/said.err"
}

# verify, log and report in the full clone: what the partial must equal.
cd "$TROOT/full"
for c in verify 'log' 'log IC-0002' 'report minutes --since 2026-03-05 --until 2026-03-15' \
    'report status' 'show IC-0002 --format json'; do
	# shellcheck disable=SC2086
	said dipb $c >"$TROOT/full.$(echo $c | tr ' /' '__')"
done

# missing: how many objects the clone lacks, as git lists them.
missing() {
	git rev-list --objects --all --missing=print | grep -c '^?'
}

cd "$TROOT" && git clone -q --filter=blob:none "file://$TROOT/server.git" partial
cd "$TROOT/partial"
check_eq 'set-up: a partial clone, its promisor remote origin' true \
    "$(git config remote.origin.promisor)"
n=$(missing)
check_eq 'set-up: it lacks the blobs of the past' yes \
    "$([ "$n" -gt 5 ] && echo yes || echo no)"

# The remote moved away: reading what is missing is an error, not a finding.
mv "$TROOT/server.git" "$TROOT/away.git"
check_status 5 'remote unreachable: verify exits 5, an error' dipb verify
check_err 'remote unreachable: verify says the clone lacks objects, naming one' \
    "this partial clone (a clone with --filter) lacks $n objects that this command reads ("
check_err 'remote unreachable: and how to fetch them' \
    "'git rev-list --objects --missing=print HEAD --tags -- recommendations dipb.yaml | sed -n 's/^?//p' | git -c fetch.negotiationAlgorithm=noop fetch origin --no-tags --filter=blob:none --stdin' fetches them"
check_err 'remote unreachable: git'"'"'s own words on the failed fetch' \
    "fetching them from its remote 'origin' failed: "
check_eq 'remote unreachable: not a single finding' 0 \
    "$(grep -c -E '\[[a-z-]+\]$' "$ERR")"
check_eq 'remote unreachable: log IC-0002 reads the trailers, which are here' \
    "$(cat "$TROOT/full.log_IC-0002")" "$(said dipb log IC-0002)"
check_status 5 'remote unreachable: report minutes exits 5, an error' \
    dipb report minutes --since 2026-03-05 --until 2026-03-15
check 'remote unreachable: list reads the tip, which is here' dipb list
check 'remote unreachable: show reads the tip, which is here' dipb show IC-0002
check_eq 'remote unreachable: nothing was fetched' "$n" "$(missing)"
check_fsck 'remote unreachable: git fsck clean'
mv "$TROOT/away.git" "$TROOT/server.git"

# Reachable again: one batch, then everything reads as in the full clone.
cd "$TROOT" && rm -rf partial &&
    git clone -q --filter=blob:none "file://$TROOT/server.git" partial
cd "$TROOT/partial"
# GIT_TRACE2_EVENT counts the fetches dipb makes through git.
GIT_TRACE2_EVENT=$TROOT/trace.json said dipb verify >"$TROOT/partial.verify"
check_eq 'verify in the partial clone: exit 0' 'exit 0' \
    "$(head -n 1 "$TROOT/partial.verify")"
check_eq 'verify in the partial clone: its output equals the full clone'"'"'s' \
    "$(cat "$TROOT/full.verify")" "$(cat "$TROOT/partial.verify")"
check_eq 'verify fetched the blobs in one batch (one git fetch)' 1 \
    "$(grep '"event":"start"' "$TROOT/trace.json" | grep -c '"fetch"')"
check_eq 'verify: the blobs of the records and dipb.yaml are here now' 0 \
    "$(git rev-list --objects --missing=print HEAD --tags -- recommendations dipb.yaml | grep -c '^?')"
check_fsck 'after verify: git fsck clean'
for c in 'log' 'log IC-0002' 'report minutes --since 2026-03-05 --until 2026-03-15' \
    'report status' 'show IC-0002 --format json'; do
	# shellcheck disable=SC2086
	said dipb $c >"$TROOT/partial.out"
	check_eq "dipb $c in the partial clone equals the full clone's" \
	    "$(cat "$TROOT/full.$(echo $c | tr ' /' '__')")" \
	    "$(cat "$TROOT/partial.out")"
done

# Each reading command on its own, in a fresh partial clone.
for c in 'log IC-0002' 'report minutes --since 2026-03-05 --until 2026-03-15'; do
	cd "$TROOT" && rm -rf partial &&
	    git clone -q --filter=blob:none "file://$TROOT/server.git" partial
	cd "$TROOT/partial"
	# shellcheck disable=SC2086
	said dipb $c >"$TROOT/partial.out"
	check_eq "fresh partial clone: dipb $c equals the full clone's" \
	    "$(cat "$TROOT/full.$(echo $c | tr ' /' '__')")" \
	    "$(cat "$TROOT/partial.out")"
	check_fsck "fresh partial clone, dipb $c: git fsck clean"
done

# A clone without the trees of the past either (--filter=tree:0): git's
# listing limited to the records stops at the first tree it lacks, so
# the trees come first; then every reading command equals the full
# clone's (dipb-git(7)).
for c in verify 'log' 'log IC-0002' 'show IC-0002 --format json' \
    'report minutes --since 2026-03-05 --until 2026-03-15'; do
	cd "$TROOT" && rm -rf partial &&
	    git clone -q --filter=tree:0 "file://$TROOT/server.git" partial
	cd "$TROOT/partial"
	# shellcheck disable=SC2086
	said dipb $c >"$TROOT/partial.out"
	check_eq "--filter=tree:0: dipb $c equals the full clone's" \
	    "$(cat "$TROOT/full.$(echo $c | tr ' /' '__')")" \
	    "$(cat "$TROOT/partial.out")"
done
check_fsck '--filter=tree:0, after the reads: git fsck clean'

# A writing command in a partial clone: the tip is here; git agrees.
as drafter
check_change IC-0002/5-review-requested 'returned -> in-review' '' \
    dipb review IC-0002 --request
check_git_agrees 'partial clone: a change, then git agrees'

# The remote removed from the configuration: a clear error, no finding.
cd "$TROOT" && rm -rf partial &&
    git clone -q --filter=blob:none "file://$TROOT/server.git" partial
cd "$TROOT/partial"
git remote remove origin
check_status 5 'remote removed: verify exits 5, an error' dipb verify
check_err 'remote removed: verify says the clone names no remote to fetch from' \
    "lacks $n objects that this command reads ("
check_err 'remote removed: and how to name it again' \
    "names no remote to fetch them from (remote.<name>.promisor, which 'git remote remove' takes away)"
check_eq 'remote removed: not a single finding' 0 \
    "$(grep -c -E '\[[a-z-]+\]$' "$ERR")"

# dipb sync in a partial clone after another clone pushed: git fetch
# brings the remote's commits without their blobs (nor, with tree:0,
# their trees), so the sync fetches the trees it compares and the blobs
# of the working files it brings in step, each in one batch, and the
# index and the working tree end at the new tip, as in a full clone -
# never left at the old one, showing the remote's changes as staged
# reverts for a plain 'git commit' to make (dipb-git(7)).
cd "$TROOT" && rm -rf other && git clone -q "file://$TROOT/server.git" other
# other_pushes LABEL: the other clone, in step, commits a note in a
# folder of its own ($d) by git, then two drafts, one of them the number
# the partial clone drafts too, and syncs; back in the partial clone.
other_pushes() {
	cd "$TROOT/other"
	as drafter
	dipb sync >/dev/null 2>>"$TROOT/setup.err"
	d=docs/$(echo "$1" | tr -c 'a-z0-9\n' -)
	mkdir -p "$d" && echo 'Minutes kept by hand.' >"$d/notes.txt" &&
	    git add "$d" && git commit -q -m "A note ($1)" &&
	    git push -q origin main 2>>"$TROOT/setup.err"
	mkrec industrial-capacity "Other one ($1)" >/dev/null
	id=$(mkrec supply-chain-security "Other two ($1)")
	drive "$id" endorsed
	as drafter
	dipb sync >/dev/null 2>>"$TROOT/setup.err"
	cd "$TROOT/partial"
}
for f in blob:none tree:0; do
	cd "$TROOT" && rm -rf partial &&
	    git clone -q --filter=$f "file://$TROOT/server.git" partial
	other_pushes "$f"
	# A day later: a draft of one id by one member at one second is
	# compared, files and all, with the remote's as a rewrite would be
	# (dipb-sync(1)), which costs the fetch of those trees here.
	at 2026-03-21
	mkrec industrial-capacity "Partial ($f)" >/dev/null
	at 2026-03-20
	GIT_TRACE2_EVENT=$TROOT/trace.json said dipb sync >"$TROOT/partial.out"
	check_eq "--filter=$f, sync after another clone pushed: exit 0" \
	    'exit 0' "$(head -n 1 "$TROOT/partial.out")"
	check_eq "--filter=$f, sync: no working tree left behind for the next command" \
	    0 "$(grep -c 'not in step' "$TROOT/partial.out")"
	check_git_agrees "--filter=$f, sync: the index and the working tree at the new tip, git agrees"
	check_eq "--filter=$f, sync: the other clone's note checked out" \
	    'Minutes kept by hand.' "$(cat "$d/notes.txt" 2>&1)"
	# git's own fetch, then dipb's: the history's batch before the branch
	# moved and from its new tip (each with its trees first under
	# tree:0), the record whose number the replay reads, the files
	# outside the history: never one fetch a file or a version.
	check_eq "--filter=$f, sync: what it lacks fetched in batches, not one a file" \
	    yes "$([ "$(grep '"event":"start"' "$TROOT/trace.json" |
	    grep -c '"fetch"')" -le 7 ] && echo yes || echo no)"
	rm -f "$TROOT/trace.json"
	# Nothing of its own: no replay read the remote's trees, which the
	# sync compares (a clone without trees lacks them all).
	cd "$TROOT/other"
	dipb sync >/dev/null 2>>"$TROOT/setup.err"
	mkdir -p "$d/more" && echo 'More minutes.' >"$d/more/notes.txt" &&
	    git add "$d" && git commit -q -m "Another note ($f)" &&
	    git push -q origin main 2>>"$TROOT/setup.err"
	cd "$TROOT/partial"
	said dipb sync >"$TROOT/partial.out"
	check_eq "--filter=$f, sync with nothing to replay: exit 0" \
	    'exit 0' "$(head -n 1 "$TROOT/partial.out")"
	check_git_agrees "--filter=$f, sync with nothing to replay: the working tree at the new tip, git agrees"
	check_eq "--filter=$f, sync with nothing to replay: the note checked out" \
	    'More minutes.' "$(cat "$d/more/notes.txt" 2>&1)"
done


# The same, the partial clone's draft of one id by one member at the
# second of the other clone's: the replay compares it, files and all,
# with the remote's as a rewrite would be (dipb-sync(1), REPLAY), and the
# trees of the two commits and their parents come in one batch, not one
# fetch a tree (with tree:0, 9 fetches before, 8 at most now).
for f in blob:none tree:0; do
	cd "$TROOT" && rm -rf partial &&
	    git clone -q --filter=$f "file://$TROOT/server.git" partial
	at 2026-03-22
	other_pushes "$f, same second"
	mkrec industrial-capacity "Partial ($f, same second)" >/dev/null
	GIT_TRACE2_EVENT=$TROOT/trace.json said dipb sync >"$TROOT/partial.out"
	today
	check_eq "--filter=$f, a same-second draft synced: exit 0, renumbered" \
	    'exit 0 1' "$(head -n 1 "$TROOT/partial.out") $(grep -c '^landed IC-.* (was IC-' "$TROOT/said.err")"
	check_git_agrees "--filter=$f, a same-second draft synced: git agrees"
	check_eq "--filter=$f, a same-second draft: the trees it compares fetched in one batch (8 fetches at most)" \
	    yes "$([ "$(grep '"event":"start"' "$TROOT/trace.json" |
	    grep -c '"fetch"')" -le 8 ] && echo yes || echo no)"
	rm -f "$TROOT/trace.json"
done

# A fetch of a working file's blob that fails (the network gone after
# the history's batch came) leaves the working tree for the next command,
# with a warning: the sync is made and pushed all the same, never stopped
# by the check before the push, which needs nothing of that file (the
# failure was taken for the history's, and the sync exited 5 with its
# change published in the clone only).
cd "$TROOT" && rm -rf partial &&
    git clone -q --filter=blob:none "file://$TROOT/server.git" partial
cd "$TROOT/other"
dipb sync >/dev/null 2>>"$TROOT/setup.err"
mkdir -p docs/blip && echo 'Kept by hand.' >docs/blip/notes.txt &&
    git add docs && git commit -q -m 'A note (blip)' &&
    git push -q origin main 2>>"$TROOT/setup.err"
mkrec industrial-capacity 'Other (blip)' >/dev/null
dipb sync >/dev/null 2>>"$TROOT/setup.err"
blob=$(git rev-parse HEAD:docs/blip/notes.txt)
cd "$TROOT/partial"
mkrec industrial-capacity 'Partial (blip)' >/dev/null
mkdir -p "$TROOT/blip"
realgit=$(command -v git)
cat >"$TROOT/blip/git" <<ZZZ2
#!/bin/sh
for a; do
	[ "\$a" = --stdin ] || continue
	cat >"$TROOT/blip/in"
	if grep -q $blob "$TROOT/blip/in"; then
		echo "fatal: unable to access 'origin': Could not resolve host" >&2
		exit 128
	fi
	exec "$realgit" "\$@" <"$TROOT/blip/in"
done
exec "$realgit" "\$@"
ZZZ2
chmod +x "$TROOT/blip/git"
PATH=$TROOT/blip:$PATH said dipb sync >"$TROOT/partial.out"
check_eq "a working file's fetch fails: the sync exits 0" \
    'exit 0' "$(head -n 1 "$TROOT/partial.out")"
check_eq "a working file's fetch fails: the change is pushed" \
    "$(git rev-parse main)" "$(git -C "$TROOT/server.git" rev-parse main)"
check_eq "a working file's fetch fails: said as a warning, the working tree left for the next command" \
    1 "$(grep -c 'the sync is made, but the working tree is not in step yet' "$TROOT/partial.out")"
check 'the network back: the next command brings the working tree in step' \
    dipb list
check_git_agrees 'the network back: the index and the working tree at the tip, git agrees'

# A tag ref that names an object neither the clone nor its remote has
# (a broken ref): log ID, log of a window and show ID@N read past it as
# in a full clone, where it names nothing.  git rev-list --tags stops at
# it ("fatal: bad object"), and the remote refuses to send it ("not our
# ref"): the history's listing leaves it out, and a remote that has it
# not is its answer.  A remote unreachable cannot say so: still an error.
cd "$TROOT" && rm -rf full partial &&
    git clone -q "file://$TROOT/server.git" full &&
    git clone -q --filter=blob:none "file://$TROOT/server.git" partial
dangle() {
	mkdir -p "$1/.git/refs/tags/IC-0002" &&
	    echo 1234567890123456789012345678901234567890 \
	    >"$1/.git/refs/tags/IC-0002/90-edited"
}
dangle "$TROOT/full" && dangle "$TROOT/partial"
for c in 'log IC-0002' 'log --since 2026-03-05' 'show IC-0002@2'; do
	cd "$TROOT/full"
	# shellcheck disable=SC2086
	said dipb $c >"$TROOT/full.out"
	cd "$TROOT/partial"
	# shellcheck disable=SC2086
	said dipb $c >"$TROOT/partial.out"
	check_eq "a tag naming nothing, full clone: dipb $c exits 0" 'exit 0' \
	    "$(head -n 1 "$TROOT/full.out")"
	check_eq "a tag naming nothing, partial clone: dipb $c equals the full clone's" \
	    "$(cat "$TROOT/full.out")" "$(cat "$TROOT/partial.out")"
done
# The history's batch is here now: what is left to fetch is that object.
mv "$TROOT/server.git" "$TROOT/away.git"
check_status 5 'a tag naming nothing, remote unreachable: log ID exits 5, an error' \
    dipb log IC-0002
check_err 'a tag naming nothing, remote unreachable: the fetch of that object failed' \
    "lacks 1 object that this command reads (1234567890123456789012345678901234567890), and fetching it from its remote 'origin' failed: "
mv "$TROOT/away.git" "$TROOT/server.git"

finish

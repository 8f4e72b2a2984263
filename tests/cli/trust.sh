#!/bin/sh
# tests/cli/trust.sh - the impersonation matrix, end to end: a board that
# requires signing, shared through a bare repository with
# examples/pre-receive installed, and every way a member could try to act
# as another or change what their event may not, for every role.
#
# Each case of the table below starts from the same board (one clone,
# reset between cases), makes one forged change with plain git or dipb,
# and checks that
#   - 'dipb verify' reports it under the case's rule, and
#   - the hook refuses 'git push --atomic --follow-tags' of it, naming
#     the rule, and the shared branch stays where it was;
# and each role's honest, signed change is accepted.  Then the hook's own
# refusals: dipb tags deleted or moved, the board branch deleted or
# rewritten, a rewritten history pushed as a new branch, whatever the bare
# repository's HEAD names.
#
# Every case runs: a binary that does not sign, or whose verify lacks a
# case's rule, fails it.
. "$(dirname "$0")/lib.sh"
unset SSH_AUTH_SOCK SSH_AGENT_PID SSH_ASKPASS SSH_ASKPASS_REQUIRE DISPLAY

# The cases: ROLE CASE RULE.  The roles' members are the test board's
# (lib.sh): drafter Dan, reviewer Rita (rev1), the secretary, the chair;
# each one's honest change is act() below, on the board that setup makes.
#
#   env      the victim's address in GIT_AUTHOR_EMAIL, signed with the
#            attacker's (Roza's) own key, through dipb
#   plain    a plain 'git commit' with dipb's trailers and a 'git tag -a',
#            unsigned
#   stolen   the victim's identity, signed with another member's key
#   removed  signed with the victim's own key that the chair rotated out
#   addkey   a key added to the victim by an unsigned board change, then
#            a change signed with it
#   copied   the victim's valid signatures (commit and tag) of an earlier
#            change, copied onto this one
#   field    signed by the victim, but changing a field its event may not
cases='
drafter   env      wrong-key
drafter   plain    unsigned
drafter   stolen   wrong-key
drafter   removed  key-removed
drafter   addkey   unsigned
drafter   copied   bad-signature
drafter   field    date
reviewer  env      wrong-key
reviewer  plain    unsigned
reviewer  stolen   wrong-key
reviewer  removed  key-removed
reviewer  addkey   unsigned
reviewer  copied   bad-signature
reviewer  field    date
secretary env      wrong-key
secretary plain    unsigned
secretary stolen   wrong-key
secretary removed  key-removed
secretary addkey   unsigned
secretary copied   bad-signature
secretary field    field-changed
chair     env      wrong-key
chair     plain    unsigned
chair     stolen   wrong-key
chair     removed  key-removed
chair     addkey   unsigned
chair     copied   bad-signature
chair     field    classification-order
'

# --- keys and the board ------------------------------------------------------

KEYS=$TROOT/keys
mkdir -m 700 "$KEYS"
# Every member a key; the four victims an old one as well, which the
# chair rotates out; and Eve's, which no signed board change lists.
for k in chair secretary icdrafter drafter rev1 rev2 rev3 \
    chair.old secretary.old drafter.old rev1.old evil; do
	ssh-keygen -q -t ed25519 -N '' -C "$k" -f "$KEYS/$k" || exit 1
done
pub() { cut -d ' ' -f 1,2 "$KEYS/$1.pub"; }

# board_yaml OLD|NEW: the test board, signing required, with each victim's
# old key or new one.
board_yaml() {
	awk -v which="$1" -v keys="$KEYS" '
	function key(m,   f, l) {
		f = keys "/" m
		if (which == "old" && (m == "chair" || m == "secretary" ||
		    m == "drafter" || m == "rev1"))
			f = f ".old"
		getline l < (f ".pub")
		close(f ".pub")
		split(l, w, " ")
		return w[1] " " w[2]
	}
	{ print }
	/^    email: / {
		m = $2
		sub(/@.*/, "", m)
		if (m == "dan") m = "drafter"
		else if (m == "ida") m = "icdrafter"
		else if (m == "rita") m = "rev1"
		else if (m == "rolf") m = "rev2"
		else if (m == "roza") m = "rev3"
		print "    keys:"
		print "      - " key(m)
	}
	END { print "signing: required" }' "$BOARD_CONFIG"
}
board_yaml old >"$TROOT/board-old.yaml"
board_yaml new >"$TROOT/board-new.yaml"

# signer KEY: the next commands sign with $KEYS/KEY, as git does with
# gpg.format=ssh (through GIT_CONFIG_COUNT: git and dipb read it).
signer() {
	GIT_CONFIG_COUNT=2
	GIT_CONFIG_KEY_0=gpg.format GIT_CONFIG_VALUE_0=ssh
	GIT_CONFIG_KEY_1=user.signingKey GIT_CONFIG_VALUE_1=$KEYS/$1
	export GIT_CONFIG_COUNT GIT_CONFIG_KEY_0 GIT_CONFIG_VALUE_0 \
	    GIT_CONFIG_KEY_1 GIT_CONFIG_VALUE_1
}

# actor MEMBER [KEY]: act as MEMBER, signing with KEY (default: theirs).
actor() {
	as "$1"
	signer "${2:-$1}"
}

# victim ROLE: the member of ROLE whom the cases impersonate.
victim() {
	case $1 in
	drafter) echo drafter ;;
	reviewer) echo rev1 ;;
	secretary) echo secretary ;;
	chair) echo chair ;;
	esac
}

# step DESC CMD...: a step of a set-up; a failure is a not ok.
step() {
	_sd=$1
	shift
	run "$@"
	if [ "$RC" -ne 0 ]; then
		not_ok "set-up: $_sd" "$(_said "$@")"
		return 1
	fi
}

# --- the shared board ---------------------------------------------------------

# The board, as the victims' earlier changes leave it: X decided with an
# action, R in review, D a draft; every victim has signed a change with
# their new key.
setup() {
	new_board_dir=$TROOT/work
	git init -q "$new_board_dir" && cd "$new_board_dir" || return 1
	actor chair chair.old
	step 'init, the victims with their old keys' \
	    dipb init --config "$TROOT/board-old.yaml" || return 1
	cp "$TROOT/board-new.yaml" dipb.yaml
	step 'the chair rotates the victims'"'"' keys' \
	    dipb edit --board --no-edit || return 1
	actor chair
	sedit dipb.yaml 's/^short_name: TB$/short_name: TPB/'
	step 'the chair signs with the new key' \
	    dipb edit --board --no-edit || return 1
	cat >"$TROOT/x.yaml" <<'EOF'
title: A decided recommendation
working_group: industrial-capacity
summary: |
  Summary of the decided recommendation.
actions:
  - text: Send the demand signal.
    owner: National Armaments Directors
EOF
	actor drafter
	X=$(dipb recommend --from "$TROOT/x.yaml" --no-edit 2>"$ERR") ||
	    { not_ok 'set-up: recommend X' "$(cat "$ERR")"; return 1; }
	step 'review X' dipb review "$X" --request || return 1
	actor rev1
	step 'rev1 endorses X' dipb review "$X" --endorse || return 1
	actor rev2
	step 'rev2 endorses X' dipb review "$X" --endorse || return 1
	actor secretary
	step 'submit X' dipb submit "$X" --reference CNAD-1 || return 1
	step 'decide X' dipb decide "$X" --outcome agreed || return 1
	actor drafter
	R=$(mkrec supply-chain-security 'In review') && [ -n "$R" ] ||
	    { not_ok 'set-up: recommend R'; return 1; }
	step 'review R' dipb review "$R" --request || return 1
	D=$(mkrec standardisation-interoperability 'A draft') &&
	    [ -n "$D" ] || { not_ok 'set-up: recommend D'; return 1; }
	BASE=$(git rev-parse HEAD)
	git tag -l | sort >"$TROOT/base.tags"
	git clone -q --bare . "$TROOT/shared.git" &&
	    git push -q --tags "$TROOT/shared.git" 2>/dev/null || return 1
	# HEAD of the shared repository names a branch that does not exist:
	# the hook must find the board without it.
	git --git-dir="$TROOT/shared.git" symbolic-ref HEAD refs/heads/master
	cp "$DIPB_SRCDIR/examples/pre-receive" "$TROOT/shared.git/hooks/"
	chmod +x "$TROOT/shared.git/hooks/pre-receive"
	git remote add origin "$TROOT/shared.git"
	ok 'set-up: a signed board of four victims, shared with the hook'
}

# reset_case: the clone and the shared repository as setup left them.
reset_case() {
	git checkout -q -f main 2>/dev/null
	git reset -q --hard "$BASE"
	git clean -q -fdx
	git tag -l | sort | comm -13 "$TROOT/base.tags" - |
	    xargs -r git tag -d >/dev/null
	git --git-dir="$TROOT/shared.git" update-ref refs/heads/main "$BASE"
	git --git-dir="$TROOT/shared.git" tag -l | sort |
	    comm -13 "$TROOT/base.tags" - |
	    xargs -r git --git-dir="$TROOT/shared.git" tag -d >/dev/null
	nobody
	unset GIT_CONFIG_COUNT GIT_CONFIG_KEY_0 GIT_CONFIG_VALUE_0 \
	    GIT_CONFIG_KEY_1 GIT_CONFIG_VALUE_1
}

# act ROLE: the honest change of ROLE's victim, as whoever the caller set.
act() {
	case $1 in
	drafter) dipb review "$D" --request ;;
	reviewer) dipb review "$R" --endorse -m 'Agreed.' ;;
	secretary) dipb action "$X" 1 --done -m 'Sent.' ;;
	chair)
		sedit dipb.yaml 's/^board: .*/board: Trust Production Board/'
		dipb edit --board --no-edit ;;
	esac
}

# field_sed ROLE: what the field case changes besides the honest change
# (a file that 'sed' edits: the record or dipb.yaml).
field_sed() {
	case $1 in
	drafter) echo 's/^updated: .*/updated: 2020-01-01/' ;;
	reviewer) echo 's/^created: .*/created: 2020-01-01/' ;;
	secretary) echo 's/^  outcome: agreed$/  outcome: declined/' ;;
	chair) echo '/^  - NATO UNCLASSIFIED$/d' ;;
	esac
}

# remake SIGN [SED]: the last change (HEAD and its tag) made again with
# plain git, by the same people at the same dates, with SED applied to
# its file: SIGN "no" (git commit, git tag -a), "yes" (git commit -S,
# git tag -s, with the signer set), or "copy" (unsigned, then given the
# signatures of the victim's last change before: $COPY_FROM).
remake() {
	_c=$(git rev-parse HEAD)
	_t=$(git tag --points-at HEAD | head -n 1)
	_f=$(git diff-tree --no-commit-id --name-only -r HEAD)
	git cat-file commit HEAD | awk 'p; /^$/ && !p { p = 1 }' >"$TROOT/msg"
	git cat-file tag "$_t" | awk 'p; /^$/ && !p { p = 1 }' |
	    sed '/^-----BEGIN SSH SIGNATURE-----$/,$d' >"$TROOT/tagmsg"
	_who=$(git log -1 --format='%an%x00%ae%x00%ad' --date=raw HEAD |
	    tr '\0' '\n')
	_n=$(echo "$_who" | sed -n 1p)
	_e=$(echo "$_who" | sed -n 2p)
	_d=$(echo "$_who" | sed -n 3p)
	git tag -d "$_t" >/dev/null
	git reset -q --hard HEAD~1
	git checkout "$_c" -- "$_f"
	[ -z "${2:-}" ] || sedit "$_f" "$2"
	git add "$_f"
	case $1 in
	yes) _cs=-S _ts=-s ;;
	*) _cs=--no-gpg-sign _ts=-a ;;
	esac
	GIT_AUTHOR_NAME=$_n GIT_AUTHOR_EMAIL=$_e GIT_AUTHOR_DATE=$_d \
	    GIT_COMMITTER_NAME=$_n GIT_COMMITTER_EMAIL=$_e \
	    GIT_COMMITTER_DATE=$_d \
	    git commit -q --no-verify --cleanup=verbatim "$_cs" \
	    -F "$TROOT/msg" || return 1
	GIT_COMMITTER_NAME=$_n GIT_COMMITTER_EMAIL=$_e \
	    GIT_COMMITTER_DATE=$_d \
	    git tag "$_ts" --cleanup=verbatim -F "$TROOT/tagmsg" "$_t" ||
	    return 1
	[ "$1" = copy ] || return 0
	# The victim's signatures of COPY_FROM, valid there, on these.
	_pt=$(git tag --points-at "$COPY_FROM" | head -n 1)
	git cat-file commit "$COPY_FROM" | awk '/^$/ { exit }
	    /^gpgsig / { p = 1; print; next } p && /^ / { print; next }
	    { p = 0 }' >"$TROOT/gpgsig"
	git cat-file tag "$_pt" |
	    sed -n '/^-----BEGIN SSH SIGNATURE-----$/,$p' >"$TROOT/tagsig"
	[ -s "$TROOT/gpgsig" ] && [ -s "$TROOT/tagsig" ] || return 1
	_nc=$(git cat-file commit HEAD | awk -v sig="$TROOT/gpgsig" '
	    !done && /^$/ { while ((getline l < sig) > 0) print l; done = 1 }
	    { print }' | git hash-object -t commit -w --stdin) || return 1
	_nt=$( { git cat-file tag "$_t" | sed "s/^object .*/object $_nc/";
	    cat "$TROOT/tagsig"; } | git hash-object -t tag -w --stdin) ||
	    return 1
	git update-ref refs/heads/main "$_nc" &&
	    git update-ref "refs/tags/$_t" "$_nt"
}

# forge ROLE CASE: the forged change of CASE against ROLE's victim, in the
# clone; it may print why it took another way than dipb.
forge() {
	_v=$(victim "$1")
	case $2 in
	env)
		# Roza, as herself in git's configuration and with her own
		# key, sets the victim's address in the environment.
		actor rev3
		_m=$(member "$_v")
		GIT_AUTHOR_NAME=${_m%%|*} GIT_AUTHOR_EMAIL=${_m#*|}
		unset GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL
		git config user.name 'Roza Reviewer'
		git config user.email roza@example.org
		run act "$1"
		git config --unset user.name
		git config --unset user.email
		if [ "$RC" -ne 0 ]; then
			# dipb would not sign it: the attacker uses git.
			echo "dipb refused: $(head -n 1 "$ERR")"
			actor "$_v" && act "$1" >/dev/null 2>&1 &&
			    actor "$_v" rev3 && remake yes
		fi ;;
	plain)
		actor "$_v" && act "$1" >/dev/null 2>&1 && remake no ;;
	stolen)
		case $_v in
		secretary) _k=chair ;;
		*) _k=secretary ;;
		esac
		actor "$_v" "$_k"
		run act "$1"
		if [ "$RC" -ne 0 ]; then
			echo "dipb refused: $(head -n 1 "$ERR")"
			actor "$_v" && act "$1" >/dev/null 2>&1 &&
			    actor "$_v" "$_k" && remake yes
		fi ;;
	removed)
		actor "$_v" "$_v.old"
		run act "$1"
		if [ "$RC" -ne 0 ]; then
			echo "dipb refused: $(head -n 1 "$ERR")"
			actor "$_v" && act "$1" >/dev/null 2>&1 &&
			    actor "$_v" "$_v.old" && remake yes
		fi ;;
	addkey)
		# An unsigned board change gives the victim Eve's key ...
		_k=$(pub "$_v")
		actor chair
		awk -v k="$_k" -v e="$(pub evil)" '{ print }
		    $0 == "      - " k { print "      - " e }' dipb.yaml \
		    >"$TROOT/addkey.yaml" && cat "$TROOT/addkey.yaml" >dipb.yaml
		dipb edit --board --no-edit >/dev/null 2>&1 && remake no &&
		    FORGED=$(git rev-parse HEAD) || return 1
		# ... and Eve acts as the victim with it.
		actor "$_v" evil
		run act "$1"
		if [ "$RC" -ne 0 ]; then
			echo "dipb refused: $(head -n 1 "$ERR")"
			actor "$_v" && act "$1" >/dev/null 2>&1 &&
			    actor "$_v" evil && remake yes
		fi ;;
	copied)
		COPY_FROM=$(git log -1 --format=%H --author="<$(member "$_v" |
		    sed 's/.*|//')>" HEAD)
		actor "$_v" && act "$1" >/dev/null 2>&1 && remake copy ;;
	field)
		actor "$_v" && act "$1" >/dev/null 2>&1 &&
		    remake yes "$(field_sed "$1")" ;;
	esac
}

# verify_names RULE COMMIT: 'dipb verify --format json' reports RULE for
# COMMIT (any commit when COMMIT is empty).  Each finding is a line of
# JSON with its keys in a fixed order (dipb-verify(1)).
verify_names() {
	dipb verify --format json >"$TROOT/verify.json" 2>"$TROOT/verify.err"
	grep -F -e "\"commit\":\"$2" "$TROOT/verify.json" |
	    grep -F -q -e "\"rule\":\"$1\""
}

# findings: what verify said, for a not ok line.
findings() {
	cut -c 1-300 "$TROOT/verify.json" | head -n 8
	head -n 3 "$TROOT/verify.err"
}

# --- the matrix ------------------------------------------------------------------

if ! setup; then
	finish
	exit 1
fi
cd "$TROOT/work" || exit 1

if git cat-file commit HEAD | grep -q '^gpgsig '; then
	ok 'dipb signs its commits'
else
	not_ok 'dipb signs its commits' "$(git cat-file commit HEAD)"
fi
dipb allowed-signers >"$TROOT/allowed"
check 'git verify-commit agrees, with dipb allowed-signers' \
    git -c gpg.ssh.allowedSignersFile="$TROOT/allowed" verify-commit HEAD
check 'git verify-tag agrees' \
    git -c gpg.ssh.allowedSignersFile="$TROOT/allowed" verify-tag \
    "$(git tag --points-at HEAD)"

echo "$cases" | while read -r role kind rule; do
	[ -n "$role" ] || continue
	d="$role × $kind"
	reset_case
	FORGED=
	forge "$role" "$kind" >"$TROOT/why" 2>&1
	frc=$?
	if [ "$frc" -ne 0 ] || [ "$(git rev-parse HEAD)" = "$BASE" ]; then
		not_ok "$d: the forged change is made" "$(cat "$TROOT/why")" \
		    "$(_said forge)"
		continue
	fi
	sed "s/^/# $d: /" "$TROOT/why"
	[ -n "$FORGED" ] || FORGED=$(git rev-parse HEAD)
	if verify_names "$rule" "$FORGED"; then
		ok "$d: dipb verify reports [$rule]"
	else
		not_ok "$d: dipb verify reports [$rule] for ${FORGED%"${FORGED#????????????}"}" \
		    "$(findings)"
	fi
	run git push --atomic --follow-tags origin main
	if [ "$RC" -ne 0 ] && grep -F -q -e "[$rule]" "$ERR" &&
	    [ "$(git --git-dir="$TROOT/shared.git" rev-parse main)" = "$BASE" ]
	then
		ok "$d: the hook refuses the push, naming [$rule]"
	else
		not_ok "$d: the hook refuses the push, naming [$rule]" \
		    "$(_said git push)"
	fi
done

# Each role's honest change, signed with the member's own key.
for role in drafter reviewer secretary chair; do
	d="$role × honest"
	reset_case
	actor "$(victim "$role")"
	check "$d: dipb makes the change" act "$role"
	check "$d: dipb verify is clean" dipb verify
	if [ -s "$TROOT/allowed" ]; then
		dipb allowed-signers >"$TROOT/allowed"
		check "$d: git verify-commit agrees" git -c \
		    gpg.ssh.allowedSignersFile="$TROOT/allowed" verify-commit HEAD
	fi
	check "$d: the hook accepts the push" \
	    git push -q --atomic --follow-tags origin main
done

# The chair's own board change, signed with their key, that drops the
# only chair's key, made by hand (dipb edit --board refuses to): on a
# board that requires signing nobody could sign a change of dipb.yaml
# again (dipb-board(5), "Signing").
reset_case
actor chair
act chair >"$TROOT/why" 2>&1
if remake yes '/email: chair@example.org/,/^  - name:/{/^    keys:$/d;/^      - /d;}' \
    >>"$TROOT/why" 2>&1 && ! grep -q -F "$(pub chair)" dipb.yaml; then
	if verify_names chair "$(git rev-parse HEAD)"; then
		ok 'chair × keyless: dipb verify reports [chair]'
	else
		not_ok 'chair × keyless: dipb verify reports [chair]' \
		    "$(findings)"
	fi
	check_eq 'chair × keyless: the finding says why' 1 \
	    "$(grep -c 'signing is required but no chair has a key' \
	    "$TROOT/verify.json")"
else
	not_ok 'chair × keyless: the forged change is made' \
	    "$(cat "$TROOT/why")"
fi

# --- the hook, whatever HEAD names --------------------------------------------------

reset_case
bare=$TROOT/shared.git
actor drafter
tag=$(git tag --points-at "$BASE" | head -n 1)
run git push origin ":refs/tags/$tag"
check_eq 'hook: deleting a dipb tag is refused' 'refused deletes' \
    "$([ "$RC" -ne 0 ] && echo refused) $(grep -o 'deletes' "$ERR" | head -n 1)"
check 'hook: the tag is still there' \
    git --git-dir="$bare" rev-parse -q --verify "refs/tags/$tag"
run git push -f origin "$BASE~1:refs/tags/$tag"
check_eq 'hook: moving a dipb tag is refused' 'refused moves' \
    "$([ "$RC" -ne 0 ] && echo refused) $(grep -o 'moves' "$ERR" | head -n 1)"
run git push origin :main
check_eq 'hook: deleting the board branch is refused (HEAD names master)' \
    'refused' "$([ "$RC" -ne 0 ] && grep -q 'deletes the board branch main' \
    "$ERR" && echo refused)"
check 'hook: the board branch is still there' \
    git --git-dir="$bare" rev-parse -q --verify refs/heads/main
git checkout -q -b rewrite "$BASE~1"
GIT_COMMITTER_EMAIL=dan@example.org git commit -q --amend --no-edit \
    --no-verify --allow-empty
run git push -f origin rewrite:main
check_eq 'hook: a forced push rewriting the board branch is refused' \
    'refused' "$([ "$RC" -ne 0 ] && grep -q 'rewrites the history' "$ERR" &&
    echo refused)"
run git push origin rewrite
check_eq 'hook: a rewritten history pushed as a new branch is refused' \
    'refused' "$([ "$RC" -ne 0 ] && grep -q 'rewrite lacks' "$ERR" &&
    echo refused)"
run git push origin "$BASE~2:refs/heads/old"
check_eq 'hook: an old copy of the board pushed as a branch is refused' \
    'refused' "$([ "$RC" -ne 0 ] && grep -q 'old lacks' "$ERR" &&
    echo refused)"
check_out 'hook: none of those branches reached the shared repository' \
    'refs/heads/main' git --git-dir="$bare" for-each-ref --format='%(refname)' \
    refs/heads/
check 'hook: a copy of the whole board as a new branch is accepted' \
    git push -q origin main:refs/heads/copy
git --git-dir="$bare" update-ref -d refs/heads/copy
git checkout -q main
git tag -a -m 'Forged' "$D/7-decided" "$BASE~1"
run git push origin "refs/tags/$D/7-decided"
check_eq 'hook: a forged tag pushed alone is refused (the board branch is checked)' \
    'refused' "$([ "$RC" -ne 0 ] && grep -q "$D/7-decided" "$ERR" &&
    echo refused)"
git tag -d "$D/7-decided" >/dev/null
# A name verify judges as a dipb tag (record, number, any event) that the
# hook took for none: pushed alone, it was accepted unchecked, and then
# verify's finding on it refused every push of the board after it.
git tag -a -m 'Forged' "$D/7-Decided" "$BASE~1"
run git push origin "refs/tags/$D/7-Decided"
check_eq 'hook: a tag of a name verify judges (event Decided), pushed alone, is refused' \
    'refused' "$([ "$RC" -ne 0 ] && grep -q "$D/7-Decided" "$ERR" &&
    echo refused)"
git tag -d "$D/7-Decided" >/dev/null
check_out 'hook: it did not reach the shared repository' '' \
    git --git-dir="$bare" tag -l "$D/7-*"
git --git-dir="$bare" config dipb.branch main
run git push origin :main
check_eq 'hook: with dipb.branch set, deleting it is refused too' 'refused' \
    "$([ "$RC" -ne 0 ] && grep -q 'deletes the board branch main' "$ERR" &&
    echo refused)"
run git push origin rewrite:refs/heads/other
check_eq 'hook: with dipb.branch set, a rewritten history as a new branch is refused' \
    'refused' "$([ "$RC" -ne 0 ] && grep -q 'other lacks' "$ERR" &&
    echo refused)"

finish

#!/bin/sh
# tests/cli/deny-first.sh - on a board that requires signed changes, who is
# no member, or lacks the role, is told so before being told that the
# change cannot be signed (exit 3 either way): whether they may act is
# judged first, as the refusal that holds whatever their key.
. "$(dirname "$0")/lib.sh"

if ! command -v ssh-keygen >/dev/null 2>&1; then
	skip 'refusals on a signing board' 'ssh-keygen is not installed'
	finish
	exit
fi
unset SSH_AUTH_SOCK SSH_AGENT_PID SSH_ASKPASS SSH_ASKPASS_REQUIRE DISPLAY

# Keys for the chair and the drafter; signing required.
for k in chair dan; do
	ssh-keygen -q -t ed25519 -N '' -C "$k" -f "$TROOT/$k"
done
awk -v c="$(cut -d ' ' -f 1,2 "$TROOT/chair.pub")" \
    -v d="$(cut -d ' ' -f 1,2 "$TROOT/dan.pub")" '{ print }
	/^    email: chair@example.org$/ { print "    keys: [\"" c "\"]" }
	/^    email: dan@example.org$/ { print "    keys: [\"" d "\"]" }' \
    "$BOARD_CONFIG" >"$TROOT/keyed.yaml"
echo 'signing: required' >>"$TROOT/keyed.yaml"
mkdir "$TROOT/board" && cd "$TROOT/board" || exit 1
git init -q
git config gpg.format ssh
as chair
git config user.signingKey "$TROOT/chair"
check 'setup: init of a board that requires signing' \
    dipb init --config "$TROOT/keyed.yaml"
as drafter
git config user.signingKey "$TROOT/dan"
check 'setup: IC-0001 drafted, signed' dipb recommend \
    --wg industrial-capacity --title T --summary S
git config --unset user.signingKey

as outsider
for c in 'recommend --wg industrial-capacity --title T --summary S' \
    'review IC-0001 --request' 'withdraw IC-0001 -m Why.' \
    'meeting --attendee chair@example.org' \
    "declassify IC-0001 'NATO RESTRICTED'" 'action IC-0001 1 --done'; do
	eval "check_refused 3 'otto@example.org is not a member of the board' \
	    \"a non-member's ${c%% *}: not a member, before signing\" dipb $c"
done

as rev1
check_refused 3 'rita@example.org may not record a meeting' \
    'a reviewer without a key: the role first, before signing' \
    dipb meeting --attendee chair@example.org
as drafter
check_refused 3 'user.signingKey' \
    'the drafter, allowed, without user.signingKey: cannot sign' \
    dipb review IC-0001 --request

finish

#!/bin/sh
# tests/cli/sign-inproc.sh - in-process signing (dipb-git(7), "Signing"):
# with gpg.ssh.program unset, an unencrypted ed25519 key file and a key
# held by ssh-agent sign without running ssh-keygen, and the signatures
# are what ssh-keygen makes (byte for byte, Ed25519 being deterministic)
# and verify with git verify-commit, git verify-tag and dipb verify;
# everything else still goes through ssh-keygen, which signs or refuses
# as before.  An ssh-keygen first on PATH logs every signing run: the
# oracle of which way was taken.
. "$(dirname "$0")/lib.sh"

if ! command -v ssh-keygen >/dev/null 2>&1; then
	skip 'in-process signing' 'ssh-keygen is not installed'
	finish
	exit
fi
unset SSH_AUTH_SOCK SSH_AGENT_PID SSH_ASKPASS SSH_ASKPASS_REQUIRE DISPLAY

REAL=$(command -v ssh-keygen)
LOG=$TROOT/keygen.log
{
	echo '#!/bin/sh'
	echo "case \"\$*\" in *'-Y sign'*) echo \"\$*\" >>'$LOG' ;; esac"
	echo "exec '$REAL' \"\$@\""
} >"$TROOT/bin/ssh-keygen"
chmod +x "$TROOT/bin/ssh-keygen"

# runs: how many times ssh-keygen signed since the last call.
runs() {
	_n=$(cat "$LOG" 2>/dev/null | wc -l | tr -d ' ')
	: >"$LOG"
	echo "$_n"
}

KEYS=$TROOT/keys
mkdir "$KEYS"
for k in chair drafter other; do
	"$REAL" -q -t ed25519 -N '' -C "$k" -f "$KEYS/$k"
done
"$REAL" -q -t ed25519 -N 'a passphrase' -C locked -f "$KEYS/locked"
"$REAL" -q -t ecdsa -N '' -C ecdsa -f "$KEYS/ecdsa"

# A board whose chair and drafter (Dan) list their keys, Dan's ECDSA key
# too.
awk -v keys="$KEYS" '
	{ print }
	/^    email: / {
		m = ""
		if ($2 == "chair@example.org") m = "chair"
		if ($2 == "dan@example.org") m = "drafter"
		if (m != "") {
			getline k < (keys "/" m ".pub")
			split(k, f, " ")
			print "    keys:"
			print "      - \"" f[1] " " f[2] "\""
			if (m == "drafter") {
				getline k < (keys "/ecdsa.pub")
				split(k, f, " ")
				print "      - \"" f[1] " " f[2] "\""
			}
		}
	}' "$BOARD_CONFIG" >"$TROOT/keyed.yaml"
BOARD=$TROOT/board
git init -q "$BOARD"
cd "$BOARD" || exit 1
git config gpg.format ssh
git config commit.gpgSign true
as chair
git config user.signingKey "$KEYS/chair"
check 'init, signed' dipb init --config "$TROOT/keyed.yaml"
dipb allowed-signers >"$TROOT/allowed" 2>/dev/null
git config gpg.ssh.allowedSignersFile "$TROOT/allowed"
check_eq 'init: signed in-process, no ssh-keygen' 0 "$(runs)"

# check_signed DESC: HEAD and its tag verify with git, by the actor.
check_signed() {
	_tg=$(git tag --points-at HEAD)
	_why=
	git verify-commit HEAD >"$TROOT/vc" 2>&1 &&
	    grep -q "Good \"git\" signature for $ACTOR_EMAIL with" "$TROOT/vc" ||
	    _why="git verify-commit HEAD: $(cat "$TROOT/vc")"
	git verify-tag "$_tg" >"$TROOT/vt" 2>&1 &&
	    grep -q "Good \"git\" signature for $ACTOR_EMAIL with" "$TROOT/vt" ||
	    _why="$_why${_why:+; }git verify-tag $_tg: $(cat "$TROOT/vt")"
	if [ -z "$_why" ]; then ok "$1"; else not_ok "$1" "$_why"; fi
	: >"$LOG"
}
check_signed 'init: git verifies the commit and the tag'

# same_as_keygen KEY: the signature of the tag on HEAD is the one
# ssh-keygen -Y sign makes of the same bytes with KEY.
same_as_keygen() {
	_tg=$(git tag --points-at HEAD)
	git cat-file tag "$_tg" | sed '/^-----BEGIN SSH SIGNATURE-----$/,$d' \
	    >"$TROOT/payload"
	git cat-file tag "$_tg" |
	    sed -n '/^-----BEGIN SSH SIGNATURE-----$/,$p' >"$TROOT/dipb.sig"
	rm -f "$TROOT/payload.sig"
	"$REAL" -Y sign -n git -f "$1" "$TROOT/payload" 2>/dev/null
	check "$_tg: the signature is the bytes ssh-keygen makes" \
	    cmp "$TROOT/dipb.sig" "$TROOT/payload.sig"
}
same_as_keygen "$KEYS/chair"

as drafter
git config user.signingKey "$KEYS/drafter"
check_change IC-0001/1-drafted '' '' \
    dipb recommend --wg industrial-capacity --title One --summary S
check_eq 'an unencrypted ed25519 key file: no ssh-keygen run' 0 "$(runs)"
check_signed 'recommend: git verifies the in-process signatures'
same_as_keygen "$KEYS/drafter"

# Another key type in a file: ssh-keygen signs, as before.
git config user.signingKey "$KEYS/ecdsa"
check_change IC-0001/2-review-requested '' '' dipb review IC-0001 --request
check_eq 'an ECDSA key file: ssh-keygen signs the commit and the tag' 2 \
    "$(runs)"
check_signed 'ECDSA by ssh-keygen: git verifies'

# An encrypted key, no terminal: ssh-keygen is run, and its refusal is
# dipb's.
git config user.signingKey "$KEYS/locked"
check_refused 3 "$KEYS/locked" \
    'an encrypted key without a terminal: refused, as ssh-keygen refuses' \
    setsid -w dipb recommend --wg industrial-capacity --title R --summary S
check_eq 'an encrypted key: ssh-keygen was run' 1 "$(runs)"

# A private key file open to others: ssh-keygen refuses it, so does dipb.
cp "$KEYS/drafter" "$TROOT/open-key"
chmod 644 "$TROOT/open-key"
git config user.signingKey "$TROOT/open-key"
check_refused 3 'too open' \
    'a private key file readable by others: refused as ssh-keygen refuses it' \
    dipb recommend --wg industrial-capacity --title R --summary S
check_eq 'a key file open to others: left to ssh-keygen' 1 "$(runs)"
chmod 600 "$TROOT/open-key"
check_change IC-0002/1-drafted '' '' \
    dipb recommend --wg industrial-capacity --title Two --summary S
check_eq 'the same file, 600: in-process' 0 "$(runs)"
check_signed 'the same file, 600: git verifies'

# A private key whose .pub beside it is another key: ssh-keygen decides
# (it refuses the mismatch).
cp "$KEYS/drafter" "$TROOT/mismatch"
cp "$KEYS/other.pub" "$TROOT/mismatch.pub"
git config user.signingKey "$TROOT/mismatch"
check_refused 3 '' 'a private key and another .pub: refused' \
    dipb recommend --wg industrial-capacity --title R --summary S
check_eq 'a private key and another .pub: left to ssh-keygen' 1 "$(runs)"

# gpg.ssh.program set, even to ssh-keygen: the program is run.
git config gpg.ssh.program ssh-keygen
git config user.signingKey "$KEYS/drafter"
check_change IC-0003/1-drafted '' '' \
    dipb recommend --wg industrial-capacity --title Three --summary S
check_eq 'gpg.ssh.program set: the program signs' 2 "$(runs)"
git config --unset gpg.ssh.program

# --- ssh-agent ----------------------------------------------------------------
if command -v ssh-agent >/dev/null 2>&1 && command -v ssh-add >/dev/null 2>&1
then
	eval "$(ssh-agent -s -a "$TROOT/agent.sock")" >/dev/null
	ssh-add -q "$KEYS/drafter" "$KEYS/ecdsa" 2>/dev/null
	mkdir "$TROOT/pubonly"
	cp "$KEYS/drafter.pub" "$KEYS/ecdsa.pub" "$TROOT/pubonly/"
	git config user.signingKey "$TROOT/pubonly/drafter.pub"
	check_change IC-0004/1-drafted '' '' \
	    dipb recommend --wg industrial-capacity --title Four --summary S
	check_eq 'a .pub, the key in ssh-agent: the agent signs, no ssh-keygen' \
	    0 "$(runs)"
	check_signed 'ssh-agent: git verifies'
	same_as_keygen "$KEYS/drafter"
	git config user.signingKey "key::$(cat "$KEYS/ecdsa.pub")"
	check_change IC-0004/2-review-requested '' '' \
	    dipb review IC-0004 --request
	check_eq 'key:: of an ECDSA key in ssh-agent: no ssh-keygen' 0 "$(runs)"
	check_signed 'ECDSA signed by ssh-agent: git verifies'
	git config user.signingKey "key::$(cat "$KEYS/other.pub")"
	check_refused 3 '' \
	    'key:: of a key the agent does not hold: refused' \
	    dipb recommend --wg industrial-capacity --title R --summary S
	check_eq 'a key the agent does not hold: left to ssh-keygen' 1 \
	    "$(runs)"
	kill "$SSH_AGENT_PID"
	unset SSH_AUTH_SOCK SSH_AGENT_PID
else
	skip 'keys in ssh-agent' 'ssh-agent is not installed'
fi

check 'dipb verify: every in-process signature verifies' dipb verify
check_git_agrees 'git agrees'
finish

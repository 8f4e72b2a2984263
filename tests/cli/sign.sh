#!/bin/sh
# tests/cli/sign.sh - signed changes (dipb-git(7), "Signing"): every
# writing command signs its commit and its annotated tag as git does with
# gpg.format=ssh, and a change that is to be signed and cannot be is
# refused with nothing written.  git verify-commit and git verify-tag,
# with gpg.ssh.allowedSignersFile, are the oracle.
. "$(dirname "$0")/lib.sh"

if ! command -v ssh-keygen >/dev/null 2>&1; then
	skip 'signed changes' 'ssh-keygen is not installed'
	finish
	exit
fi
unset SSH_AUTH_SOCK SSH_AGENT_PID SSH_ASKPASS SSH_ASKPASS_REQUIRE DISPLAY

# One key per member; the allowed-signers file git verifies with.
KEYS=$TROOT/keys
mkdir "$KEYS"
: >"$TROOT/allowed"
for k in chair secretary drafter rev1 rev2; do
	ssh-keygen -q -t ed25519 -N '' -C "$k" -f "$KEYS/$k"
	_m=$(member "$k")
	echo "${_m#*|} namespaces=\"git\" $(cut -d ' ' -f 1,2 "$KEYS/$k.pub")" \
	    >>"$TROOT/allowed"
done
ssh-keygen -q -t ed25519 -N 'a passphrase' -C locked -f "$KEYS/locked"
# Keys dipb verify cannot check (dipb-git(7), "Signing"): DSA, where this
# ssh-keygen still makes it, and RSA of fewer than 2048 bits.
ssh-keygen -q -t dsa -N '' -C dsa -f "$KEYS/dsa" 2>/dev/null ||
    ssh-keygen -q -t rsa -b 1024 -N '' -C dsa -f "$KEYS/dsa"
ssh-keygen -q -t rsa -b 1024 -N '' -C rsa1024 -f "$KEYS/rsa1024"

# signer KEY: the following commands act as member KEY with KEY's key.
signer() {
	as "$1"
	git config user.signingKey "$KEYS/$1"
}

# nobj: the number of loose objects (every object dipb writes is one).
nobj() { find .git/objects -type f ! -name '*.pack' ! -name '*.idx' | wc -l; }

# check_signed DESC: HEAD and the tag on it are signed by the actor's key,
# as git verify-commit and git verify-tag see them.
check_signed() {
	_tg=$(git tag --points-at HEAD)
	_why=
	git verify-commit HEAD >"$TROOT/vc" 2>&1 ||
	    _why="git verify-commit HEAD: $(cat "$TROOT/vc")"
	grep -q "Good \"git\" signature for $ACTOR_EMAIL with" "$TROOT/vc" ||
	    _why="$_why${_why:+; }commit not signed by $ACTOR_EMAIL: $(cat "$TROOT/vc")"
	git verify-tag "$_tg" >"$TROOT/vt" 2>&1 ||
	    _why="$_why${_why:+; }git verify-tag $_tg: $(cat "$TROOT/vt")"
	grep -q "Good \"git\" signature for $ACTOR_EMAIL with" "$TROOT/vt" ||
	    _why="$_why${_why:+; }tag not signed by $ACTOR_EMAIL: $(cat "$TROOT/vt")"
	if [ -z "$_why" ]; then
		ok "$1"
	else
		not_ok "$1" "$_why"
	fi
}

# check_nothing_written DESC N: the loose objects are N still.
check_nothing_written() {
	check_eq "$1" "$2" "$(nobj)"
}

# --- every writing command, with commit.gpgSign ------------------------------
BOARD=$TROOT/signed
git init -q "$BOARD"
cd "$BOARD" || exit 1
git config gpg.format ssh
git config commit.gpgSign true
git config gpg.ssh.allowedSignersFile "$TROOT/allowed"
signer chair
check 'init --config' dipb init --config "$BOARD_CONFIG"
check_signed 'init: commit and tag signed by the chair'
check_git_agrees 'init: git agrees'

signer drafter
check_change IC-0001/1-drafted 'none -> draft' '' \
    dipb recommend --wg industrial-capacity --title 'Signed' --summary 'S.'
check_signed 'recommend: signed by the drafter'
check_git_agrees 'recommend: git agrees'
mkrec industrial-capacity 'To withdraw' >/dev/null	# IC-0002
check_signed 'recommend (mkrec): signed'

sedit recommendations/IC-0001.yaml 's/^title: .*/title: Signed and edited/'
check_change IC-0001/2-edited 'draft -> draft' '' dipb edit IC-0001 --no-edit
check_signed 'edit: signed by the drafter'

check_change IC-0001/3-review-requested 'draft -> in-review' '' \
    dipb review IC-0001 --request
check_signed 'review --request: signed'
signer rev1
check_change IC-0001/4-reviewed '' '' dipb review IC-0001 --endorse
check_signed 'review --endorse: signed by the reviewer'
signer rev2
check_change IC-0001/5-endorsed '' '' dipb review IC-0001 --endorse
check_signed 'review --endorse: signed by the second reviewer'
check_git_agrees 'review: git agrees'

signer secretary
check_change IC-0001/6-submitted 'endorsed -> submitted' '' \
    dipb submit IC-0001 --reference REF-1
check_signed 'submit: signed by the secretary'
check_change IC-0001/7-decided 'submitted -> decided' '' \
    dipb decide IC-0001 --outcome agreed
check_signed 'decide: signed by the secretary'
check_change IC-0002/2-withdrawn 'draft -> withdrawn' '' \
    dipb withdraw IC-0002 -m 'No longer needed.'
check_signed 'withdraw: signed by the secretary'
check_git_agrees 'submit, decide, withdraw: git agrees'

signer drafter
cat >"$TROOT/act.yaml" <<'EOF'
title: With an action
working_group: industrial-capacity
classification: NATO UNCLASSIFIED
summary: |
  S.
actions:
  - text: Publish a demand signal.
    owner: National Armaments Directors
EOF
check_change IC-0003/1-drafted '' '' \
    dipb recommend --from "$TROOT/act.yaml" --no-edit
drive IC-0003 decided
signer secretary
check_change IC-0003/7-action-updated 'decided -> decided' '' \
    dipb action IC-0003 1 --done
check_signed 'action: signed by the secretary'

signer chair
sedit dipb.yaml 's/^short_name: TB$/short_name: TPB/'
check_change board/2-changed '' '' dipb edit --board --no-edit
check_signed 'edit --board: signed by the chair'
check_git_agrees 'edit --board: git agrees'

# ssh-keygen -Y verify itself, on the tag: the signed part is the tag
# object up to its signature.
_t=$(git tag --points-at HEAD)
git cat-file tag "$_t" | sed '/^-----BEGIN SSH SIGNATURE-----$/,$d' \
    >"$TROOT/payload"
git cat-file tag "$_t" | sed -n '/^-----BEGIN SSH SIGNATURE-----$/,$p' \
    >"$TROOT/payload.sig"
STDIN=$TROOT/payload
check 'ssh-keygen -Y verify accepts the tag signature (namespace git)' \
    ssh-keygen -Y verify -f "$TROOT/allowed" -I chair@example.org -n git \
    -s "$TROOT/payload.sig"
unset STDIN

# tag.gpgSign alone asks for the change to be signed too.
git config --unset commit.gpgSign
git config tag.gpgSign true
signer drafter
check_change IC-0004/1-drafted '' '' \
    dipb recommend --wg industrial-capacity --title T4 --summary S
check_signed 'tag.gpgSign alone: commit and tag signed'
git config --unset tag.gpgSign

# Without any of it, the change is not signed (the oracle can fail).
check_change IC-0005/1-drafted '' '' \
    dipb recommend --wg industrial-capacity --title T5 --summary S
check_status nonzero 'no signing asked: git verify-commit finds no signature' \
    git verify-commit HEAD
git config commit.gpgSign true

# --- the key: a private key file, "~", a .pub with ssh-agent, key:: ---------
cp "$KEYS/drafter" "$HOME/drafter-key"
chmod 600 "$HOME/drafter-key"
git config user.signingKey '~/drafter-key'
check_change IC-0006/1-drafted '' '' \
    dipb recommend --wg industrial-capacity --title T6 --summary S
check_signed 'user.signingKey ~/...: expanded as git does'

if command -v ssh-agent >/dev/null 2>&1 && command -v ssh-add >/dev/null 2>&1
then
	eval "$(ssh-agent -s -a "$TROOT/agent.sock")" >/dev/null
	ssh-add -q "$KEYS/drafter" 2>/dev/null
	mkdir "$TROOT/pubonly"
	cp "$KEYS/drafter.pub" "$TROOT/pubonly/drafter.pub"
	git config user.signingKey "$TROOT/pubonly/drafter.pub"
	check_change IC-0007/1-drafted '' '' \
	    dipb recommend --wg industrial-capacity --title T7 --summary S
	check_signed 'user.signingKey a .pub, the private key in ssh-agent'
	git config user.signingKey "key::$(cat "$KEYS/drafter.pub")"
	check_change IC-0008/1-drafted '' '' \
	    dipb recommend --wg industrial-capacity --title T8 --summary S
	check_signed 'user.signingKey key::<public key>, signed by ssh-agent'
	git config --unset user.signingKey
	git config gpg.ssh.defaultKeyCommand 'ssh-add -L'
	check_change IC-0009/1-drafted '' '' \
	    dipb recommend --wg industrial-capacity --title T9 --summary S
	check_signed 'gpg.ssh.defaultKeyCommand: its first key, by ssh-agent'
	# Quoted as git's split_cmdline() reads it, as git runs it.
	git config gpg.ssh.defaultKeyCommand "sh -c 'ssh-add -L | head -n 1'"
	sedit recommendations/IC-0009.yaml 's/^title: .*/title: T9 edited/'
	check_change IC-0009/2-edited '' '' dipb edit IC-0009 --no-edit
	check_signed 'gpg.ssh.defaultKeyCommand in quotes: split as git does'
	git config --unset gpg.ssh.defaultKeyCommand
	kill "$SSH_AGENT_PID"
	unset SSH_AUTH_SOCK SSH_AGENT_PID
else
	skip 'keys in ssh-agent' 'ssh-agent is not installed'
fi

# --- gpg.ssh.program ---------------------------------------------------------
cat >"$TROOT/sign-wrapper" <<EOF
#!/bin/sh
echo "\$*" >>"$TROOT/wrapper.log"
exec ssh-keygen "\$@"
EOF
chmod +x "$TROOT/sign-wrapper"
git config gpg.ssh.program "$TROOT/sign-wrapper"
git config user.signingKey "$KEYS/drafter"
check_change IC-0010/1-drafted '' '' \
    dipb recommend --wg industrial-capacity --title T10 --summary S
check_signed 'gpg.ssh.program: the wrapper signs'
check_eq 'gpg.ssh.program: run for the commit and for the tag, as git runs it' \
    "2 2" "$(grep -c "^-Y sign -n git -f $KEYS/drafter /" "$TROOT/wrapper.log") $(grep -c -e '-Y sign' "$TROOT/wrapper.log")"
git config --unset gpg.ssh.program
check_git_agrees 'the signed board: git agrees'

# --- refusals: nothing written -----------------------------------------------
n=$(nobj)
git config --unset gpg.format
check_refused 3 'gpg.format' \
    'commit.gpgSign with gpg.format unset (openpgp): refused, exit 3' \
    dipb recommend --wg industrial-capacity --title R --summary S
check_err 'the refusal names user.signingKey too' 'user.signingKey'
check_nothing_written 'gpg.format unset: no object written' "$n"
git config gpg.format x509
check_refused 3 'gpg.format is x509' 'gpg.format x509: refused, exit 3' \
    dipb recommend --wg industrial-capacity --title R --summary S
git config gpg.format ssh

git config user.signingKey "$KEYS/missing"
check_refused 3 "$KEYS/missing" 'a missing key file: refused, naming it' \
    dipb recommend --wg industrial-capacity --title R --summary S
check_nothing_written 'a missing key file: no object written' "$n"
git config --unset user.signingKey
check_refused 3 'user.signingKey' 'no key at all: refused, naming user.signingKey' \
    dipb recommend --wg industrial-capacity --title R --summary S
check_err 'and naming gpg.format' 'gpg.format'

git config user.signingKey "$KEYS/locked"
check_refused 3 'passphrase' \
    'a key with a passphrase and no terminal: refused, exit 3' \
    setsid -w dipb recommend --wg industrial-capacity --title R --summary S
check_err "the refusal says what the program said" "$KEYS/locked"
check_nothing_written 'a locked key: no object written' "$n"

git config user.signingKey "$KEYS/drafter"
git config gpg.ssh.program "$TROOT/no-such-program"
check_refused 3 'no-such-program' 'gpg.ssh.program missing: refused' \
    dipb recommend --wg industrial-capacity --title R --summary S
git config gpg.ssh.program false
check_refused 3 "'false' failed" 'gpg.ssh.program fails: refused' \
    dipb recommend --wg industrial-capacity --title R --summary S
check_nothing_written 'a failing program: no object written' "$n"
# commit.gpgSign and tag.gpgSign are git's booleans: one that is none is
# refused as git refuses it, exit 2, naming the value and the file.
for k in commit.gpgSign tag.gpgSign; do
	git config "$k" maybe
	check_refused 2 \
	    "bad boolean config value 'maybe' for '$(echo "$k" | tr A-Z a-z)' in '$BOARD/.git/config'" \
	    "$k maybe: refused, exit 2, naming the value and the file" \
	    dipb recommend --wg industrial-capacity --title R --summary S
	git config --unset "$k"
done
check_nothing_written 'a gpgSign that is no boolean: no object written' "$n"
git config commit.gpgSign true
# A program that signs with a key verify cannot check, user.signingKey
# being a good one: the refusal names the program, and never asks to
# change user.signingKey alone (it did, before).
cat >"$TROOT/weak-signer" <<SH
#!/bin/sh
# ssh-keygen -Y sign ... -f KEY FILE: signed with the 1024-bit key.
for a; do f=\$a; done
exec ssh-keygen -Y sign -n git -f "$KEYS/rsa1024" "\$f"
SH
chmod +x "$TROOT/weak-signer"
git config gpg.ssh.program "$TROOT/weak-signer"
check_refused 3 "gpg.ssh.program '$TROOT/weak-signer' signed with a key dipb verify cannot check" \
    'gpg.ssh.program signing with a 1024-bit key: refused, naming it' \
    dipb recommend --wg industrial-capacity --title R --summary S
check_nothing_written 'a weak key of the program: no object written' "$n"
git config --unset gpg.ssh.program

# A member without keys, commit.gpgSign: a key verify cannot check would
# sign a change dipb verify reports as bad-signature.
for k in dsa rsa1024; do
	git config user.signingKey "$KEYS/$k"
	check_refused 3 'user.signingKey' \
	    "a $k key verify cannot check: refused, naming user.signingKey" \
	    dipb recommend --wg industrial-capacity --title R --summary S
	check_err '  and saying why' 'signed with a key dipb verify cannot check'
	check_nothing_written "a $k key: no object written" "$n"
done
git config user.signingKey "$KEYS/drafter"

# The same key with a terminal: ssh-keygen asks for the passphrase on it,
# once for the commit and once for the tag.
echo "dan@example.org namespaces=\"git\" $(cut -d ' ' -f 1,2 "$KEYS/locked.pub")" \
    >>"$TROOT/allowed"
git config user.signingKey "$KEYS/locked"
cat >"$TROOT/term.py" <<'EOF'
import os, pty, sys
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
out, typed = b'', 0
while True:
    try:
        d = os.read(fd, 1024)
    except OSError:
        break
    if not d:
        break
    out += d
    if out.count(b'passphrase') > typed:
        typed += 1
        os.write(fd, b'a passphrase\n')
_, st = os.waitpid(pid, 0)
sys.stderr.write(out.decode(errors='replace'))
sys.stdout.write('%d prompts\n' % typed)
sys.exit(os.waitstatus_to_exitcode(st))
EOF
check 'a key with a passphrase typed on the terminal: the change is made' \
    timeout 60 python3 "$TROOT/term.py" dipb recommend \
    --wg industrial-capacity --title T11 --summary S --no-edit
check_eq 'the passphrase was asked twice, on the terminal' '2 prompts' \
    "$(cat "$OUT")"
check_signed 'a key with a passphrase: commit and tag signed'

# --- the board's keys ------------------------------------------------------------
# Every member but Ida and Roza has a key, and the board requires signing:
# the changes are signed with no commit.gpgSign, and are checked against
# what dipb allowed-signers prints.
awk -v keys="$KEYS" '
	{ print }
	/^    email: / {
		m = ""
		if ($2 == "chair@example.org") m = "chair"
		if ($2 == "secretary@example.org") m = "secretary"
		if ($2 == "dan@example.org") m = "drafter"
		if ($2 == "rita@example.org") m = "rev1"
		if ($2 == "rolf@example.org") m = "rev2"
		if (m != "") {
			getline k < (keys "/" m ".pub")
			split(k, f, " ")
			print "    keys: [\"" f[1] " " f[2] "\"]"
		}
	}' "$BOARD_CONFIG" >"$TROOT/keyed.yaml"
echo 'signing: required' >>"$TROOT/keyed.yaml"
KEYED=$TROOT/keyed
git init -q "$KEYED"
cd "$KEYED" || exit 1
git config gpg.format ssh
git config gpg.ssh.allowedSignersFile "$TROOT/board-signers"
signer chair
check 'init of a board with keys' dipb init --config "$TROOT/keyed.yaml"
cp "$ERR" "$TROOT/init.err"
dipb allowed-signers >"$TROOT/board-signers" 2>/dev/null
check_eq 'dipb allowed-signers: one line per key' 5 \
    "$(grep -c 'namespaces="git"' "$TROOT/board-signers")"
check_signed 'init of a board that requires signing: signed, no commit.gpgSign'
check 'no warning of a board without keys' \
    sh -c '! grep -q "lists no signing keys" "$1"' sh "$TROOT/init.err"
signer drafter
check_change IC-0001/1-drafted '' '' \
    dipb recommend --wg industrial-capacity --title K1 --summary S
check_signed 'a board that requires signing: recommend signed'
n=$(nobj)
git config --unset user.signingKey
check_refused 3 'user.signingKey' \
    'a board that requires signing, no user.signingKey: refused' \
    dipb review IC-0001 --request
check_err 'the refusal names gpg.format' 'gpg.format'
check_nothing_written 'no user.signingKey: no object written' "$n"
# Signed, but with a key the board does not list for the drafter (the
# chair's): verify would call it wrong-key, so nothing is written.
git config user.signingKey "$KEYS/chair"
check_refused 3 "is not one of dan@example.org's keys" \
    "signed with another member's key: refused before anything is written" \
    dipb review IC-0001 --request
check_err 'the refusal names wrong-key' 'wrong-key'
check_nothing_written "another member's key: no object written" "$n"

# What gpg.ssh.program writes is checked as dipb verify checks it, the
# commit's signature and the tag's, before anything is written: a
# program that exits 0 having written nothing, something that is no SSH
# signature, a file of more than 64 KB, a tag signed with another key,
# the right key in another namespace (BADPROG says which).
cat >"$TROOT/badprog" <<EOF
#!/bin/sh
for last; do :; done
case \$BADPROG in
nosig) exit 0 ;;
garbled) printf -- '-----BEGIN SSH SIGNATURE-----\nU1NIU0lHAAAAAQ==\n-----END SSH SIGNATURE-----\n' >"\$last.sig" ;;
huge) { echo '-----BEGIN SSH SIGNATURE-----'; head -c 70000 /dev/zero |
    tr '\0' A | fold -w 70; echo; echo '-----END SSH SIGNATURE-----'; } >"\$last.sig" ;;
tag-other) if head -c 7 "\$last" | grep -q '^object '; then
	exec ssh-keygen -q -Y sign -n git -f "$KEYS/chair" "\$last"
fi
exec ssh-keygen -q "\$@" ;;
namespace) exec ssh-keygen -q -Y sign -n file -f "$KEYS/drafter" "\$last" ;;
chair) exec ssh-keygen -q -Y sign -n git -f "$KEYS/chair" "\$last" ;;
slop) ssh-keygen -q "\$@" || exit
	# the unused bits of the last digit before '=' set: ssh-keygen's
	# own signature in base64 it does not read
	awk 'BEGIN { a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/" }
	    /=\$/ && !/==\$/ { i = index(a, substr(\$0, length(\$0) - 1, 1)) - 1
		\$0 = substr(\$0, 1, length(\$0) - 2) substr(a, (i % 2 ? i - 1 : i + 1) + 1, 1) "=" }
	    { print }' "\$last.sig" >"\$last.sig2" && mv "\$last.sig2" "\$last.sig" ;;
esac
EOF
chmod +x "$TROOT/badprog"
git config user.signingKey "$KEYS/drafter"
git config gpg.ssh.program "$TROOT/badprog"
check_refused 3 'exited 0 but wrote no signature' \
    'gpg.ssh.program exits 0 with no signature: refused, exit 3' \
    env BADPROG=nosig dipb review IC-0001 --request
check_err '  naming gpg.ssh.program' "gpg.ssh.program '$TROOT/badprog'"
check_refused 3 'is not an SSH signature' \
    'gpg.ssh.program writes a garbled signature: refused, exit 3' \
    env BADPROG=garbled dipb review IC-0001 --request
check_err '  naming gpg.ssh.program' "gpg.ssh.program '$TROOT/badprog'"
check_refused 3 'more than 65536 bytes' \
    'gpg.ssh.program writes a signature of 70 KB: refused, exit 3' \
    env BADPROG=huge dipb review IC-0001 --request
check_err '  naming gpg.ssh.program' "gpg.ssh.program '$TROOT/badprog'"
check_refused 3 "the tag's signing key" \
    'gpg.ssh.program signs the tag with another key: refused, exit 3' \
    env BADPROG=tag-other dipb review IC-0001 --request
check_err '  as wrong-key' "is not one of dan@example.org's keys"
check_refused 3 'does not verify' \
    'gpg.ssh.program signs in namespace file: refused, exit 3' \
    env BADPROG=namespace dipb review IC-0001 --request
check_err '  as bad-signature, saying why' \
    "signed for namespace 'file', not 'git'"
echo payload >"$TROOT/slop"
BADPROG=slop "$TROOT/badprog" -Y sign -n git -f "$KEYS/drafter" "$TROOT/slop"
check_status nonzero 'ssh-keygen refuses base64 with unused bits set' \
    ssh-keygen -Y check-novalidate -n git -s "$TROOT/slop.sig" <"$TROOT/slop"
check_refused 3 'is not an SSH signature' \
    'gpg.ssh.program writes such base64: refused, exit 3' \
    env BADPROG=slop dipb review IC-0001 --request
check_err '  saying why' 'its armor is not base64 as ssh-keygen reads it'
check_nothing_written 'what gpg.ssh.program wrote: no object written' "$n"
# A signal while the program runs (the terminal closed at its passphrase
# prompt) leaves no temporary file of dipb's in TMPDIR.
mkdir "$TROOT/signtmp"
printf '#!/bin/sh\necho $$ >"%s/slow.pid"\nexec sleep 30\n' "$TROOT" \
    >"$TROOT/slowprog"
chmod +x "$TROOT/slowprog"
git config gpg.ssh.program "$TROOT/slowprog"
env TMPDIR="$TROOT/signtmp" dipb recommend --wg industrial-capacity \
    --title S --summary S </dev/null >/dev/null 2>&1 &
_pid=$!
_i=0
while [ ! -s "$TROOT/slow.pid" ] && [ $_i -lt 100 ]; do
	sleep 0.1
	_i=$((_i + 1))
done
kill -HUP "$_pid"
wait "$_pid"
check_eq 'SIGHUP while gpg.ssh.program runs: dipb killed by it' 129 "$?"
check_eq '  and no temporary file of its left in TMPDIR' '' \
    "$(ls -A "$TROOT/signtmp")"
kill "$(cat "$TROOT/slow.pid")" 2>/dev/null
check_nothing_written 'a signal while signing: no object written' "$n"
git config gpg.ssh.program "$TROOT/badprog"
# The key from gpg.ssh.defaultKeyCommand: the refusal names it.
printf '#!/bin/sh\necho "key::%s"\n' "$(cat "$KEYS/chair.pub")" >"$TROOT/keycmd"
chmod +x "$TROOT/keycmd"
git config --unset user.signingKey
git config gpg.ssh.defaultKeyCommand "$TROOT/keycmd"
check_refused 3 'from gpg.ssh.defaultKeyCommand' \
    'a key of gpg.ssh.defaultKeyCommand not the member'\''s: the refusal names it' \
    env BADPROG=chair dipb review IC-0001 --request
check_nothing_written 'gpg.ssh.defaultKeyCommand: no object written' "$n"
# Its words split as git 2.39's split_cmdline() splits them (quotes,
# backslashes, the empty word after a trailing blank): the command is
# given the same words by git and by dipb.
"$TROOT/keycmd" >"$TROOT/keycmd.out"
cat >"$TROOT/argcmd" <<EOF
#!/bin/sh
for a; do printf '<%s>' "\$a"; done >>"\$ARGLOG"; echo >>"\$ARGLOG"
cat "$TROOT/keycmd.out"
EOF
chmod +x "$TROOT/argcmd"
git config gpg.ssh.defaultKeyCommand \
    "$TROOT/argcmd  'a b'\"c\\\"d\" e\\ f 'g\\h'	\"\" "
ARGLOG=$TROOT/args.git git -c gpg.ssh.program=false commit-tree -S \
    -m x 'HEAD^{tree}' >/dev/null 2>&1
check_eq 'gpg.ssh.defaultKeyCommand: git splits it so' \
    '<a bc"d><e f><g\h><><>' "$(cat "$TROOT/args.git")"
ARGLOG=$TROOT/args.dipb BADPROG=chair dipb review IC-0001 --request \
    >/dev/null 2>&1
check_eq '  and dipb gives the command the same words' \
    "$(cat "$TROOT/args.git")" "$(head -n 1 "$TROOT/args.dipb")"
# A command git cannot split is refused with git's words for why.
for _c in "sh -c 'echo" 'sh -c echo\'; do
	git config gpg.ssh.defaultKeyCommand "$_c"
	git commit-tree -S -m x 'HEAD^{tree}' >/dev/null 2>"$TROOT/git.err"
	_w=$(sed -n 's/^fatal: malformed build-time [^:]*: //p' "$TROOT/git.err")
	check_refused 3 "cannot be split into words as git splits it: $_w" \
	    "gpg.ssh.defaultKeyCommand $_c: refused as git refuses it" \
	    dipb review IC-0001 --request
	check_nothing_written '  no object written' "$n"
done
git config --unset gpg.ssh.defaultKeyCommand
git config --unset gpg.ssh.program
# A key verify cannot check: refused as a change that cannot be signed.
for k in dsa rsa1024; do
	git config user.signingKey "$KEYS/$k"
	check_refused 3 'user.signingKey' \
	    "a member with keys signing with a $k key: refused, exit 3" \
	    dipb review IC-0001 --request
	check_nothing_written "a $k key: no object written" "$n"
done
git config user.signingKey "$KEYS/drafter"
as rev3
check_refused 3 'roza@example.org has no signing key' \
    'a board that requires signing: a member without a key is refused' \
    dipb recommend --wg supply-chain-security --title K2 --summary S
check_git_agrees 'the keyed board: git agrees'

# Optional (signing: removed, not every member has a key): a member with a
# key still signs; one without need not.
signer chair
sedit dipb.yaml '/^signing: required$/d'
check_change board/2-changed '' '' dipb edit --board --no-edit
check_signed 'edit --board by the chair: signed'
as icdrafter
check_change IC-0002/1-drafted '' '' \
    dipb recommend --wg industrial-capacity --title K3 --summary S
check_status nonzero 'optional: a member without a key makes an unsigned change' \
    git verify-commit HEAD
# Of a move they may make: one they may not is refused for that first
# (deny-first.sh).
as drafter
git config --unset user.signingKey
check_refused 3 'user.signingKey' \
    'optional: a member with a key and no user.signingKey is refused' \
    dipb recommend --wg industrial-capacity --title K4 --summary S
check_refused 3 'user.signingKey' \
    'optional: so is their review' dipb review IC-0002 --request
cd "$BOARD" || exit 1

# Several records: the key is checked before the first is written.
git config --unset commit.gpgSign
signer drafter
mkrec industrial-capacity 'W1' >/dev/null
mkrec industrial-capacity 'W2' >/dev/null
drive IC-0012 endorsed
drive IC-0013 endorsed
git config commit.gpgSign true
signer secretary
n=$(nobj)
git config user.signingKey "$KEYS/missing"
check_refused 3 'user.signingKey' \
    'submit of two records with a missing key: refused before the first' \
    dipb submit IC-0012 IC-0013
check_nothing_written 'two records: no object written' "$n"
signer secretary
check_git_agrees 'after the refusals: git agrees'

finish

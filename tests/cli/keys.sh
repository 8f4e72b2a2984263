#!/bin/sh
# tests/cli/keys.sh - members' keys: and signing: in dipb.yaml
# (dipb-board(5), "Signing"), and dipb allowed-signers, with git
# verify-commit and ssh-keygen as the oracles.
. "$(dirname "$0")/lib.sh"

if ! command -v ssh-keygen >/dev/null 2>&1; then
	skip 'members keys' 'no ssh-keygen'
	finish
	exit
fi

# mkkey NAME TYPE...: a key pair $TROOT/keys/NAME(.pub), comment NAME@test.
mkdir "$TROOT/keys"
mkkey() {
	_n=$1
	shift
	ssh-keygen -q -t "$@" -N '' -C "$_n@test" -f "$TROOT/keys/$_n" &&
	    chmod 600 "$TROOT/keys/$_n"
}
mkkey chair ed25519
mkkey chair2 ed25519
mkkey rita ecdsa -b 256
mkkey rolf ecdsa -b 384
mkkey roza ecdsa -b 521
mkkey dan rsa -b 2048
mkkey outsider ed25519
mkkey short rsa -b 1024
pub() { cat "$TROOT/keys/$1.pub"; }
# The line as dipb keeps it: "<type> <base64>", the comment dropped.
canon() { cut -d' ' -f1,2 "$TROOT/keys/$1.pub"; }

# set_lines FILE EMAIL LINE...: member EMAIL's keys in FILE are the LINEs
# (none without one).
set_lines() {
	_f=$1 _e=$2
	shift 2
	_k=
	for _l in "$@"; do
		_k="$_k      - $_l
"
	done
	K=$_k awk -v e="$_e" '
		/^  - name:/ { m = 0 }
		m && /^    keys:/ { skip = 1; next }
		skip && /^      - / { next }
		{ skip = 0; print }
		$0 == "    email: " e {
			m = 1
			if (ENVIRON["K"] != "") {
				print "    keys:"
				printf "%s", ENVIRON["K"]
			}
		}
	' "$_f" >"$TROOT/set_keys.tmp" && cat "$TROOT/set_keys.tmp" >"$_f"
}

# set_keys FILE EMAIL NAME...: member EMAIL's keys in FILE are NAME's keys,
# their .pub lines as they are, comments and all.
set_keys() {
	_sf=$1 _se=$2
	shift 2
	_sl=
	for _sn in "$@"; do
		_sl="$_sl$(pub "$_sn")|"
	done
	IFS='|'
	# shellcheck disable=SC2086
	set_lines "$_sf" "$_se" ${_sl%|}
	unset IFS
}

# check_said DESC TEXT: the last command's stdout contains TEXT (validate
# prints its diagnostics there).
check_said() {
	if grep -F -q -e "$2" "$OUT"; then
		ok "$1"
	else
		not_ok "$1" "stdout lacks: $2" "$(_said)"
	fi
}

# A board change by the chair with the working tree's dipb.yaml.  The
# chair signs with git's own settings, as every member who has a key must.
board_change() {
	as chair
	git config gpg.format ssh
	git config user.signingKey "$TROOT/keys/${CHAIR_KEY:-chair}"
	run dipb edit --board --no-edit
	if [ "$RC" -ne 0 ]; then
		not_ok "board change: $1" "$(_said dipb edit --board --no-edit)"
		return 1
	fi
	ok "board change: $1"
}

# --- validate: keys of each type, and bad keys at their line and column ----
mkdir "$TROOT/v"
cp "$BOARD_CONFIG" "$TROOT/v/dipb.yaml"
set_keys "$TROOT/v/dipb.yaml" chair@example.org chair
set_keys "$TROOT/v/dipb.yaml" rita@example.org rita
set_keys "$TROOT/v/dipb.yaml" rolf@example.org rolf
set_keys "$TROOT/v/dipb.yaml" roza@example.org roza
set_keys "$TROOT/v/dipb.yaml" dan@example.org dan chair2
cp "$TROOT/v/dipb.yaml" "$TROOT/keys-good.yaml"
check_status 0 'validate: a board with keys of each type' \
    dipb validate --format gcc "$TROOT/v/dipb.yaml"
check_eq 'validate: no diagnostics' '' "$(cat "$OUT")"

# Each bad key where it is: file:line:col, [ssh-key], exit 1.
line_of() { grep -n -F -e "$1" "$TROOT/v/dipb.yaml" | head -n 1 | cut -d: -f1; }
bad_key() {
	_desc=$1 _line=$2 _want=$3
	cp "$TROOT/keys-good.yaml" "$TROOT/v/dipb.yaml"
	set_lines "$TROOT/v/dipb.yaml" rita@example.org "$_line"
	_ln=$(line_of "      - $_line")
	check_status 1 "validate refuses $_desc" \
	    dipb validate --format gcc "$TROOT/v/dipb.yaml"
	check_said "validate: $_desc at its line and column" \
	    "$TROOT/v/dipb.yaml:$_ln:9: error: $_want"
}
bad_key 'an unknown key type' "ssh-dss $(canon rita | cut -d' ' -f2)" \
    "unsupported key type 'ssh-dss'"
bad_key 'bad base64' "ssh-ed25519 AAAA!AAA" 'the key data is not valid base64'
bad_key 'a truncated key' \
    "ssh-ed25519 $(canon chair | cut -d' ' -f2 | base64 -d | head -c 40 | base64 | tr -d '\n')" \
    'truncated ssh-ed25519 key'
bad_key 'a type that is not the key'"'"'s' \
    "ecdsa-sha2-nistp384 $(canon rita | cut -d' ' -f2)" \
    'the line says ecdsa-sha2-nistp384 but its key data is an ecdsa-sha2-nistp256 key'
bad_key 'an RSA key of 1024 bits' "$(pub short)" \
    'ssh-rsa key of 1024 bits: at least 2048 are needed'
# Ed25519 keys that verify signatures anyone can make: the identity point
# (small order), and a y not below the field's prime (not canonical).
bad_key 'an ed25519 key of small order (the identity)' \
    'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' \
    "ssh-ed25519 key that is not a point of the curve's prime-order group"
bad_key 'an ed25519 key that is no point' \
    'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIP//////////////////////////////////////////' \
    "ssh-ed25519 key that is not a point of the curve's prime-order group"

# One key names one member.
cp "$TROOT/keys-good.yaml" "$TROOT/v/dipb.yaml"
set_keys "$TROOT/v/dipb.yaml" rolf@example.org rolf rita
fp=$(ssh-keygen -l -f "$TROOT/keys/rita.pub" | cut -d' ' -f2)
check_status 1 'validate refuses a key given to two members' \
    dipb validate --format gcc "$TROOT/v/dipb.yaml"
check_said 'the second place of the key, with ssh-keygen'"'"'s fingerprint' \
    "error: key $fp is already given to 'rita@example.org': one key names one member [duplicate]"
# libcrypto configured with no provider of SHA-256 (OPENSSL_CONF naming
# the base provider alone: a hand's openssl.cnf, a FIPS set-up without
# its module): the fingerprint is the same, never an abort.
printf 'openssl_conf = i\n[i]\nproviders = p\n[p]\nbase = b\n[b]\nactivate = 1\n' \
    >"$TROOT/base-only.cnf"
check 'oracle: openssl computes no SHA-256 with that configuration' \
    sh -c '! OPENSSL_CONF="$1" openssl dgst -sha256 /dev/null \
    >/dev/null 2>&1' sh "$TROOT/base-only.cnf"
check_status 1 'OPENSSL_CONF without SHA-256: validate refuses the key given twice, exit 1' \
    env OPENSSL_CONF="$TROOT/base-only.cnf" \
    dipb validate --format gcc "$TROOT/v/dipb.yaml"
check_said 'the same: ssh-keygen'"'"'s fingerprint' \
    "error: key $fp is already given to 'rita@example.org': one key names one member [duplicate]"

# signing: optional when every member has a key says something false.
cp "$BOARD_CONFIG" "$TROOT/v/dipb.yaml"
for m in chair secretary ida dan rita rolf roza; do
	mkkey "all-$m" ed25519
	set_keys "$TROOT/v/dipb.yaml" "$m@example.org" "all-$m"
done
cp "$TROOT/v/dipb.yaml" "$TROOT/keys-all.yaml"
check_status 0 'validate: every member with a key, signing: unsaid' \
    dipb validate --format gcc "$TROOT/v/dipb.yaml"
echo 'signing: optional' >>"$TROOT/v/dipb.yaml"
n=$(wc -l <"$TROOT/v/dipb.yaml" | tr -d ' ')
check_status 1 'validate refuses signing: optional with every member keyed' \
    dipb validate --format gcc "$TROOT/v/dipb.yaml"
check_said 'signing: why, at its place' \
    "dipb.yaml:$n:10: error: 'signing: optional' but every member has a key"

# dipb-board(5)'s example, keys and all, is a valid board.
mkdir "$TROOT/man"
awk '/^\.Sh EXAMPLES/ { e = 1 } e && /^\.Bd -literal/ { f = 1; next }
    f && /^\.Ed/ { exit } f' "$DIPB_SRCDIR/man/dipb-board.5" \
    >"$TROOT/man/dipb.yaml"
check_status 0 'dipb-board(5): the example with keys is valid' \
    dipb validate --format gcc --warnings-as-errors "$TROOT/man/dipb.yaml"
check 'dipb-board(5): the example has keys' \
    grep -q '^      - ssh-ed25519 ' "$TROOT/man/dipb.yaml"

# --- A board without keys -------------------------------------------------------
new_board nokeys
check_status 0 'allowed-signers: a board without keys is no error' \
    dipb allowed-signers
check_eq 'allowed-signers: nothing printed' '' "$(cat "$OUT")"
check_err 'allowed-signers: says the board lists no keys' \
    'the board lists no signing keys'
check_status 2 'allowed-signers: no arguments' dipb allowed-signers x
check_status 2 'allowed-signers: --at needs a revision' dipb allowed-signers --at
check_status 1 'allowed-signers: --at a revision that names nothing' \
    dipb allowed-signers --at no-such-rev
# A quorum in error is said as an error, and no warning is given of the
# default quorum that stands in for it: the file does not hold it
# (dipb-validate(1), quorum).  Committed with plain git, then undone.
cp "$DIPB_SRCDIR/tests/validate/boards/quorum-type-one.yaml" dipb.yaml
git commit -q -am 'a quorum of zero, by hand'
run dipb allowed-signers
check_eq 'allowed-signers: a quorum in error, its type error alone' \
    "1 dipb.yaml:20:11: error: 'quorum' must be a whole number from 1 to 1000 [type]|dipb: invalid board file: 'dipb.yaml'" \
    "$RC $(paste -s -d '|' "$ERR")"
git reset -q --hard HEAD~1

# --- Keys through board changes, round trip, allowed-signers ---------------------
new_board
set_keys dipb.yaml chair@example.org chair
set_keys dipb.yaml rita@example.org rita
set_keys dipb.yaml rolf@example.org rolf
set_keys dipb.yaml roza@example.org roza
set_keys dipb.yaml dan@example.org dan
CHAIR_KEY=chair board_change 'the chair adds keys of each type'
with_keys=$(git rev-parse HEAD)
# Warned of by the board the change leaves, not the one it replaced
# (dipb-board(5), "A board without keys").
check_eq 'the change that gives the first keys: no warning of a board without keys' \
    '' "$(grep 'lists no signing keys' "$ERR")"
check 'the comments are dropped' sh -c '! grep -q "@test" dipb.yaml'
check_eq 'the chair'"'"'s key is kept canonical' "$(canon chair)" \
    "$(sed -n 's/^      - \(ssh-ed25519 .*\)$/\1/p' dipb.yaml | head -n 1)"
check_status 0 'validate accepts the committed board' \
    dipb validate --format gcc dipb.yaml
cp dipb.yaml "$TROOT/committed.yaml"
check_status 0 'validate: the board repository with keys' dipb validate
check_status 0 'fmt --check: the board repository with keys' dipb fmt --check
check_status 1 'the same board again is no change: the form round-trips' \
    dipb edit --board --no-edit
check_err 'no change' 'dipb.yaml: no changes'
check 'dipb.yaml unchanged by the refused change' \
    cmp -s dipb.yaml "$TROOT/committed.yaml"
check_git_agrees 'after adding keys'

expected=$(printf '%s namespaces="git" %s\n' \
    chair@example.org "$(canon chair)" \
    dan@example.org "$(canon dan)" \
    rita@example.org "$(canon rita)" \
    rolf@example.org "$(canon rolf)" \
    roza@example.org "$(canon roza)")
check_out 'allowed-signers: one line per key, in member order' \
    "$expected" dipb allowed-signers
dipb allowed-signers >"$TROOT/signers" 2>"$TROOT/signers.err"

# git is the oracle: a commit signed by plain git with a member's key
# verifies against the file; one signed by a key that is not the board's
# does not.
for m in chair rita rolf roza dan; do
	git -c gpg.format=ssh -c user.signingKey="$TROOT/keys/$m" \
	    commit -q --allow-empty -S -m "signed by $m" 2>"$TROOT/sign.err"
	check "git verify-commit: a commit signed by $m's key" \
	    git -c gpg.ssh.allowedSignersFile="$TROOT/signers" verify-commit HEAD
	git cat-file commit HEAD | sed -n '/^gpgsig /,/END SSH SIGNATURE/p' |
	    sed 's/^gpgsig //; s/^ //' >"$TROOT/sig"
	check_out "ssh-keygen -Y find-principals: $m's key is $m@example.org's" \
	    "$m@example.org" \
	    ssh-keygen -Y find-principals -s "$TROOT/sig" -f "$TROOT/signers"
done
git -c gpg.format=ssh -c user.signingKey="$TROOT/keys/outsider" \
    commit -q --allow-empty -S -m 'signed by an outsider' 2>"$TROOT/sign.err"
check_status nonzero 'git verify-commit: a key not in the board fails' \
    git -c gpg.ssh.allowedSignersFile="$TROOT/signers" verify-commit HEAD
git reset -q --hard "$with_keys"

# --- Rotation: add the new key, then remove the old; --at ----------------------
set_keys dipb.yaml chair@example.org chair chair2
CHAIR_KEY=chair board_change 'the chair adds a second key'
set_keys dipb.yaml chair@example.org chair2
CHAIR_KEY=chair2 board_change 'the chair removes the old key'
check_eq 'allowed-signers: the chair'"'"'s new key only' \
    "chair@example.org namespaces=\"git\" $(canon chair2)" \
    "$(dipb allowed-signers 2>/dev/null | grep '^chair@')"
check_eq 'allowed-signers --at: the keys as of an older revision' \
    "$expected" "$(dipb allowed-signers --at "$with_keys" 2>/dev/null)"
check_eq 'allowed-signers --at HEAD~1: both keys of the chair' \
    "chair@example.org namespaces=\"git\" $(canon chair)
chair@example.org namespaces=\"git\" $(canon chair2)" \
    "$(dipb allowed-signers --at HEAD~1 2>/dev/null | grep '^chair@')"
check_eq 'allowed-signers --at a tag' "$expected" \
    "$(dipb allowed-signers --at "$(git describe --tags --exact-match "$with_keys")" 2>/dev/null)"
first=$(git rev-list --max-parents=0 HEAD)
check_status 0 'allowed-signers --at the first commit, which has no keys' \
    dipb allowed-signers --at "$first"
check_err 'allowed-signers --at: says there were no keys then' \
    'the board lists no signing keys'
dipb allowed-signers >"$TROOT/signers" 2>/dev/null
git -c gpg.format=ssh -c user.signingKey="$TROOT/keys/chair" \
    commit -q --allow-empty -S -m 'signed by the old key' 2>"$TROOT/sign.err"
check_status nonzero 'git verify-commit: the removed key no longer verifies' \
    git -c gpg.ssh.allowedSignersFile="$TROOT/signers" verify-commit HEAD
git reset -q --hard HEAD~1

# A bad key never reaches a commit.
set_keys dipb.yaml rita@example.org short
check_refused 1 "error: ssh-rsa key of 1024 bits" \
    'edit --board refuses a short RSA key, nothing written' \
    dipb edit --board --no-edit
git checkout -q dipb.yaml

# An email that cannot be a principal of an allowed signers file.
sedit dipb.yaml 's/^    email: rita@example.org$/    email: "rita@example.org,*"/'
CHAIR_KEY=chair2 board_change 'an email holding a comma and a wildcard'
check_status 1 'allowed-signers refuses an email that is a pattern' \
    dipb allowed-signers
check_err 'allowed-signers: says why' 'cannot name a signer'
check_eq 'allowed-signers: nothing printed then' '' "$(cat "$OUT")"

# An email of letters beyond ASCII is a principal as any other: ssh-keygen
# matches it byte for byte, and git verifies against it.
sedit dipb.yaml 's/^    email: "\{0,1\}rita@example.org,\*"\{0,1\}$/    email: rita@example.org/;
    s/^    email: rolf@example.org$/    email: rölf@example.org/'
CHAIR_KEY=chair2 board_change 'an email with a letter beyond ASCII'
check_status 0 'allowed-signers: an email with a letter beyond ASCII' \
    dipb allowed-signers
check_eq 'allowed-signers: its line, the principal as written' \
    "rölf@example.org namespaces=\"git\" $(canon rolf)" \
    "$(grep '^rölf@' "$OUT")"
cp "$OUT" "$TROOT/signers"
git -c gpg.format=ssh -c user.signingKey="$TROOT/keys/rolf" \
    commit -q --allow-empty -S -m 'signed by rolf' 2>"$TROOT/sign.err"
check 'git verify-commit: a commit signed by the key of rölf@example.org' \
    git -c gpg.ssh.allowedSignersFile="$TROOT/signers" verify-commit HEAD
git reset -q --hard HEAD~1

# The change that takes every key away leaves a board without keys: it
# warns, as every change after it does (dipb-board(5), "A board without
# keys").
for m in chair@example.org rita@example.org rölf@example.org \
    roza@example.org dan@example.org; do
	set_keys dipb.yaml "$m"
done
CHAIR_KEY=chair2 board_change 'the chair takes every key away'
check_err 'the change that takes every key away: warns of a board without keys' \
    'dipb: warning: this board lists no signing keys'
check_eq 'and lists none' '' "$(grep 'ssh-' dipb.yaml)"

finish

#!/bin/sh
# tests/cli/verify-sign.sh - dipb verify proves who made each change: a
# board whose members have keys, changes signed by plain git
# (gpg.format=ssh: git commit -S, git tag -s) carrying dipb's trailers, and
# each signing rule fired (unsigned, bad-signature, wrong-key, key-removed,
# identity) where it should and nowhere else.  git verify-commit and
# git verify-tag, with the allowed signers of the keys, are the oracle for
# which signatures are good.
. "$(dirname "$0")/lib.sh"

command -v ssh-keygen >/dev/null 2>&1 || {
	skip 'signed changes' 'no ssh-keygen (apt-get install openssh-client)'
	finish
	exit
}

# --- keys -------------------------------------------------------------------

K=$TROOT/keys
mkdir "$K"
: >"$K/allowed"
for _m in chair secretary drafter rev1 rev2 drafter-new; do
	ssh-keygen -q -t ed25519 -N '' -C "$_m" -f "$K/$_m"
	_e=$(member "${_m%-new}" | cut -d'|' -f2)
	printf '%s namespaces="git" %s\n' "$_e" "$(cut -d' ' -f1,2 "$K/$_m.pub")" \
	    >>"$K/allowed"
done

# pub KEY: the public-key line of KEY, without its comment.
pub() { cut -d' ' -f1,2 "$K/$1.pub"; }

# with_keys FILE MEMBER...: dipb.yaml FILE with each MEMBER's key added.
with_keys() {
	_f=$1
	shift
	for _m; do
		_e=$(member "$_m" | cut -d'|' -f2)
		awk -v em="$_e" -v key="$(pub "$_m")" '{ print }
		    $0 == "    email: " em { print "    keys:"; print "      - " key }' \
		    "$_f" >"$_f.new" && mv "$_f.new" "$_f"
	done
}

# act KEY: act as member KEY, whose signing key git (and dipb) are given.
act() {
	as "$1"
	git config gpg.format ssh
	git config user.signingKey "$K/$1"
}

# resign [KEY]: the last change signed as git signs (the commit amended
# with -S, its tag made again with -s), with the key of KEY (default: the
# acting member's).
resign() {
	_k=$K/${1:-$(git config user.signingKey | sed 's,.*/,,')}
	_t=$(git tag --points-at HEAD | head -n 1)
	_s=$(git tag -l --format='%(contents:subject)' "$_t")
	git -c user.signingKey="$_k" commit -q --amend --no-edit -S &&
	    git -c user.signingKey="$_k" tag -f -s -m "$_s" "$_t" HEAD \
	    >/dev/null
}

# unsign: the last change made again without signatures.
unsign() {
	_t=$(git tag --points-at HEAD | head -n 1)
	_s=$(git tag -l --format='%(contents:subject)' "$_t")
	git commit -q --amend --no-edit --no-gpg-sign &&
	    git tag -f -a -m "$_s" "$_t" HEAD >/dev/null
}

# change KEY CMD...: CMD (a dipb command) as KEY, then signed by KEY.
change() {
	act "$1"
	shift
	run "$@"
	[ "$RC" -eq 0 ] || { not_ok "setup: $*" "$(_said "$@")"; return 1; }
	resign
}

# oracle DESC GOOD REV: git verify-commit of REV (and verify-tag of its
# tag) says good (GOOD=1) or not (0), with the allowed signers of every key.
oracle() {
	_t=$(git tag --points-at "$3" | head -n 1)
	if git -c gpg.ssh.allowedSignersFile="$K/allowed" verify-commit "$3" \
	    >/dev/null 2>&1 && git -c gpg.ssh.allowedSignersFile="$K/allowed" \
	    verify-tag "$_t" >/dev/null 2>&1; then _g=1; else _g=0; fi
	check_eq "$1: git verify-commit / verify-tag" "$2" "$_g"
}

# rule DESC RULE ERE: dipb verify exits 1 with a finding RULE matching ERE.
rule() {
	run dipb verify
	if [ "$RC" -eq 1 ] && grep -E -e " \[$2\]\$" "$OUT" | grep -E -q -e "$3"
	then
		ok "$1: [$2]"
	else
		not_ok "$1: [$2]" "expected a finding [$2] matching: $3" \
		    "$(_said dipb verify)"
	fi
}

# only RULE...: the findings of the last run are of these rules only.
only() {
	_r=$(sed -n 's/.* \[\([a-z-]*\)\]$/\1/p' "$OUT" | sort -u | tr '\n' ' ')
	check_eq "  and no other finding" "$* " "$_r"
}

# scenario NAME: a copy of the signed board, made the current directory.
scenario() {
	cd "$TROOT" && rm -rf "$TROOT/$1" && cp -a "$SIGNED" "$TROOT/$1" &&
	    cd "$TROOT/$1"
}

# --- a signed board -----------------------------------------------------------

cp "$BOARD_CONFIG" "$TROOT/keyed.yaml"
with_keys "$TROOT/keyed.yaml" chair secretary drafter rev1 rev2
SIGNED=$TROOT/signed
mkdir "$SIGNED" && cd "$SIGNED" && git init -q
at 2026-03-02
change chair dipb init --config "$TROOT/keyed.yaml"
change drafter dipb recommend --wg industrial-capacity --title 'Framework' \
    --summary 'Framework contracts.' --no-edit
change drafter dipb review IC-0001 --request
change rev1 dipb review IC-0001 --endorse
change rev2 dipb review IC-0001 --endorse
# Ida has no key: on a board that does not require signing, she need not.
act icdrafter
git config --unset user.signingKey
run dipb recommend --wg industrial-capacity --title 'Surge' \
    --summary 'Surge capacity.' --no-edit
unsign
run dipb verify
check_eq 'a signed history verifies clean' "0:" "$RC:$(cat "$OUT")"
check_err '  and says its latest change is not authenticated' \
    "the latest change not signed by its member's key is commit $(git rev-parse --short=12 HEAD)"
oracle 'the changes of members with keys are signed' 1 HEAD~1
oracle 'the change of a member without a key is not' 0 HEAD

# --- unsigned -------------------------------------------------------------------

scenario unsigned
change secretary dipb submit IC-0001 --reference REF-1
unsign
oracle 'a change left unsigned' 0 HEAD
rule 'a member with a key acts unsigned' unsigned \
    'IC-0001/5-submitted: the commit .* not signed, but secretary@example.org has a key'
only unsigned

scenario unsigned-tag
change secretary dipb submit IC-0001 --reference REF-1
git tag -f -a -m 'IC-0001: submitted' IC-0001/5-submitted HEAD >/dev/null
rule 'its tag made again unsigned' unsigned 'the tag of .* is not signed'
only unsigned
# The finding is on the change's file and names its tag, as every finding
# of a record's change is (dipb-verify(1), "Output").
run dipb verify --format json
check_eq '  on the record'"'"'s file and its tag, in json' \
    '"tag":"IC-0001/5-submitted","path":"recommendations/IC-0001.yaml","rule":"unsigned"' \
    "$(grep -o '"tag":[^,]*,"path":[^,]*,"rule":"unsigned"' "$OUT")"
run dipb verify --format sarif
check_eq '  and in sarif' 1 \
    "$(grep -c '"uri": *"recommendations/IC-0001.yaml"' "$OUT")"
check_eq '  never on dipb.yaml' 0 "$(grep -c '"uri": *"dipb.yaml"' "$OUT")"

# A board that requires signing, and a member without a key acting by
# git: unsigned too (no key is no excuse where every change is signed).
scenario unsigned-keyless
act chair
sedit dipb.yaml 's/^members:$/signing: required\
members:/'
change chair dipb edit --board --no-edit
act icdrafter
git config --unset user.signingKey
echo '# by hand' >>recommendations/IC-0002.yaml
git add recommendations/IC-0002.yaml
forge IC-0002 edited "draft -> draft" icdrafter
rule 'signing required: a member without a key acts unsigned' unsigned \
    'IC-0002/2-edited: the commit .* not signed'
only unsigned
run dipb verify --format json
check_eq '  commit and tag on the record'"'"'s file and its tag, in json' \
    '"tag":"IC-0002/2-edited","path":"recommendations/IC-0002.yaml","rule":"unsigned"' \
    "$(grep -o '"tag":[^,]*,"path":[^,]*,"rule":"unsigned"' "$OUT" | sort -u)"
# Without its tag: the tag expected, as tag-missing names it.
git tag -d IC-0002/2-edited >/dev/null
rule '  untagged' unsigned \
    '^[0-9a-f]{12} IC-0002/2-edited: the commit .* not signed'
only tag-missing unsigned
run dipb verify --format json
check_eq '  on the record'"'"'s file and the tag expected, in json' \
    '"tag":"IC-0002/2-edited","path":"recommendations/IC-0002.yaml","rule":"unsigned"' \
    "$(grep -o '"tag":[^,]*,"path":[^,]*,"rule":"unsigned"' "$OUT")"
check_eq '  and so is tag-missing' \
    '"tag":"IC-0002/2-edited","path":"recommendations/IC-0002.yaml","rule":"tag-missing"' \
    "$(grep -o '"tag":[^,]*,"path":[^,]*,"rule":"tag-missing"' "$OUT")"

# A change signed by its member, its tag deleted: the tag is what is
# missing, which the note on the signatures names, not a signature.
scenario tagless
change secretary dipb submit IC-0001 --reference REF-1
git tag -d IC-0001/5-submitted >/dev/null
check 'tagless: its commit is signed by its member (git verify-commit)' \
    git -c gpg.ssh.allowedSignersFile="$K/allowed" verify-commit HEAD
rule 'a signed change whose tag is missing' tag-missing 'IC-0001/5-submitted'
only tag-missing
check_err '  the note names the signed tag missing, the commit signed' \
    "dipb: warning: the history is not authenticated at its tip: the latest change not proved by its member's key is commit $(git rev-parse --short=12 HEAD): the commit is signed, its signed tag is missing (tag-missing)"

# --- bad-signature --------------------------------------------------------------

scenario bad
change secretary dipb submit IC-0001 --reference REF-1
# The signed commit with its message changed, its signature kept.
_c=$(git cat-file commit HEAD | sed 's/REF-1/REF-9/' |
    git hash-object -t commit -w --stdin)
git update-ref refs/heads/main "$_c"
git tag -f -s -m 'IC-0001: submitted' IC-0001/5-submitted "$_c" >/dev/null
oracle 'a signature kept on a changed commit' 0 HEAD
rule 'a signature that does not verify' bad-signature \
    "the commit's signature: the ssh-ed25519 signature does not verify"
# The subject names REF-9, the record REF-1: that is found too.
only bad-signature subject

scenario pgp
change secretary dipb submit IC-0001 --reference REF-1
_c=$(git cat-file commit HEAD | awk '
    /^gpgsig / { print "gpgsig -----BEGIN PGP SIGNATURE-----"; skip = 1; next }
    skip && /^ / { if ($0 ~ /END SSH/) print " -----END PGP SIGNATURE-----"
	else print " iQEzBAABCAAdFiEE"; next }
    { skip = 0; print }' | git hash-object -t commit -w --stdin)
git update-ref refs/heads/main "$_c"
git tag -f -s -m 'IC-0001: submitted' IC-0001/5-submitted "$_c" >/dev/null
rule 'an OpenPGP signature' bad-signature 'an OpenPGP signature, not an SSH one'

# replace COMMIT: the last change's commit replaced by COMMIT (read from
# stdin by git hash-object), its tag signed again by git.
replace() {
	_t=$(git tag --points-at HEAD | head -n 1)
	_s=$(git tag -l --format='%(contents:subject)' "$_t")
	_c=$(git hash-object -t commit -w --stdin)
	git update-ref refs/heads/main "$_c"
	git tag -f -s -m "$_s" "$_t" "$_c" >/dev/null
}

# rearmor [MODE]: the last change's commit signed again by ssh-keygen as
# git signs it, its armor then joined where MODE says (cr: the BEGIN line
# ended by a lone CR; end: the END line not after a newline).  ssh-keygen,
# and so git, refuses both.
rearmor() {
	git cat-file commit HEAD | awk '/^gpgsig / { skip = 1; next }
	    skip && /^ / { next } { skip = 0; print }' >"$TROOT/payload"
	rm -f "$TROOT/payload.sig"
	ssh-keygen -q -Y sign -n git -f "$(git config user.signingKey)" \
	    "$TROOT/payload"
	awk -v mode="$1" -v sig="$TROOT/payload.sig" '
	    !done && $0 == "" {
		n = 0
		while ((getline l < sig) > 0)
			s[++n] = l
		if (mode != "") {
			j = mode == "cr" ? 1 : n - 1
			s[j] = s[j] (mode == "cr" ? "\r" : "") s[j + 1]
			for (i = j + 1; i < n; i++)
				s[i] = s[i + 1]
			n--
		}
		print "gpgsig " s[1]
		for (i = 2; i <= n; i++)
			print " " s[i]
		done = 1
	    } { print }' "$TROOT/payload" | replace
}

scenario armor
change secretary dipb submit IC-0001 --reference REF-1
rearmor
oracle 'a commit signed again by ssh-keygen, its armor kept' 1 HEAD
run dipb verify
check_eq '  verifies clean' "0:" "$RC:$(cat "$OUT")"
for _a in cr end; do
	scenario "armor-$_a"
	change secretary dipb submit IC-0001 --reference REF-1
	rearmor "$_a"
	oracle "armor git refuses ($_a)" 0 HEAD
	rule "  and dipb refuses it too ($_a)" bad-signature \
	    "the commit's signature: not an SSH signature"
	only bad-signature
done

# The armor and blob as ssh-keygen reads them (dipb-verify(1),
# "Signatures"): the secretary's own signature of the change, its base64
# or blob written otherwise by reencode MODE, git the oracle.  Refused by
# ssh-keygen: the unused bits of the last digit before '=' set (slop), an
# 'A' written as '=' inside the base64 (eqA), a CR after the BEGIN line
# (crlf).  Taken: a form feed and a vertical tab among the base64 (ws),
# SSHSIG version 0 (v0), a namespace and a signature type ending in one
# NUL (nsnul, typenul).
if command -v python3 >/dev/null 2>&1; then
cat >"$TROOT/reencode.py" <<'PY'
import sys, base64, struct
mode = sys.argv[1]
head, body = sys.stdin.buffer.read().split(b'\n\n', 1)
lines = head.split(b'\n')
i = [n for n, l in enumerate(lines) if l.startswith(b'gpgsig ')][0]
j = [n for n, l in enumerate(lines) if b'-----END SSH' in l][0]
b64 = b''.join(l[1:] for l in lines[i + 1:j])
blob = base64.b64decode(b64)
A = b'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
s = lambda x: struct.pack('>I', len(x)) + x
p, f = 10, []
for _ in range(5):
    n = struct.unpack('>I', blob[p:p + 4])[0]
    f.append(blob[p + 4:p + 4 + n])
    p += 4 + n
k, ns, res, ha, sg = f
begin, ver = b'-----BEGIN SSH SIGNATURE-----', 1
if mode == 'slop':
    assert b64.endswith(b'=') and not b64.endswith(b'==')
    b64 = b64[:-2] + bytes([A[A.index(b64[-2]) ^ 1]]) + b'='
elif mode == 'eqA':
    at = b64.index(b'A', 12)
    b64 = b64[:at] + b'=' + b64[at + 1:]
elif mode == 'crlf':
    begin += b'\r'
elif mode == 'ws':
    b64 = b64[:8] + b'\f' + b64[8:20] + b'\v' + b64[20:]
else:
    if mode == 'v0': ver = 0
    if mode == 'nsnul': ns += b'\0'
    if mode == 'typenul': sg = s(b'ssh-ed25519\0') + sg[15:]
    b64 = base64.b64encode(b'SSHSIG' + struct.pack('>I', ver) + s(k) +
        s(ns) + s(res) + s(ha) + s(sg))
arm = [begin] + [b64[n:n + 70] for n in range(0, len(b64), 70)]
lines[i:j] = [b'gpgsig ' + arm[0]] + [b' ' + l for l in arm[1:]]
sys.stdout.buffer.write(b'\n'.join(lines) + b'\n\n' + body)
PY
for _rm in slop eqA crlf; do
	scenario "reencode-$_rm"
	change secretary dipb submit IC-0001 --reference REF-1
	git cat-file commit HEAD | python3 "$TROOT/reencode.py" "$_rm" | replace
	# A CR before the BEGIN line's newline: OpenSSH 10's ssh-keygen
	# takes it (9.2's does not), and dipb keeps 9.2's rule
	# (dipb-verify(1), "Signatures"): that git is no oracle of it.
	if [ "$_rm" = crlf ] && git -c gpg.ssh.allowedSignersFile="$K/allowed" \
	    verify-commit HEAD >/dev/null 2>&1; then
		skip "base64 ssh-keygen refuses ($_rm)" \
		    "$(ssh -V 2>&1 | sed 's/[ ,].*//') takes a CR there"
	else
		oracle "base64 ssh-keygen refuses ($_rm)" 0 HEAD
	fi
	rule "  and dipb refuses it too ($_rm)" bad-signature \
	    "the commit's signature: not an SSH signature"
	only bad-signature
done
for _rm in ws v0 nsnul typenul; do
	scenario "reencode-$_rm"
	change secretary dipb submit IC-0001 --reference REF-1
	git cat-file commit HEAD | python3 "$TROOT/reencode.py" "$_rm" | replace
	oracle "a signature ssh-keygen takes ($_rm)" 1 HEAD
	run dipb verify
	check_eq "  verifies clean ($_rm)" "0:" "$RC:$(cat "$OUT")"
done

# A NUL just before the END line of a tag's signature: ssh-keygen drops it.
scenario tag-nul
change secretary dipb submit IC-0001 --reference REF-1
_t=$(git tag --points-at HEAD | head -n 1)
_o=$(git cat-file tag "$_t" | python3 -c '
import sys
t = sys.stdin.buffer.read()
sys.stdout.buffer.write(t.replace(b"\n-----END SSH", b"\0\n-----END SSH"))' |
    git hash-object -t tag -w --stdin)
git update-ref "refs/tags/$_t" "$_o"
oracle 'a NUL before the END line of the tag signature' 1 HEAD
run dipb verify
check_eq '  verifies clean' "0:" "$RC:$(cat "$OUT")"
else
	skip 'signatures written otherwise' 'no python3'
fi

# A header "gpgsig-note" is a signature header to git, whatever follows
# "gpgsig": git leaves it out of what was signed.  Added to a commit
# signed without it, the signature still holds; signed with it, the
# signature is over bytes git does not verify.
scenario gpgsig-other
change secretary dipb submit IC-0001 --reference REF-1
git cat-file commit HEAD | awk '!done && $0 == "" {
    print "gpgsig-note x"; print " more"; done = 1 } { print }' | replace
oracle "a header 'gpgsig-note' added to a signed commit" 1 HEAD
run dipb verify
check_eq '  verifies clean' "0:" "$RC:$(cat "$OUT")"
rearmor
oracle "a header 'gpgsig-note' signed with the commit" 0 HEAD
rule '  is bad-signature' bad-signature \
    "the commit's signature: the ssh-ed25519 signature does not verify"
only bad-signature

# --- wrong-key ---------------------------------------------------------------------

scenario wrong
change secretary dipb submit IC-0001 --reference REF-1
resign rev1
oracle "another member's key (a good signature to git)" 1 HEAD
rule "signed with another member's key" wrong-key \
    'not a key of secretary@example.org as of the parent commit \(it is rita@example.org.s\)'
only wrong-key
run dipb verify --format json
check_eq 'json: the wrong keys are findings with their rule' 2 \
    "$(grep -c '"rule": *"wrong-key"' "$OUT")"
run dipb verify --format github
check_eq 'github: and annotations' 2 \
    "$(grep -c '^::error file=recommendations/IC-0001.yaml,title=dipb verify \[wrong-key\]' "$OUT")"

scenario foreign
ssh-keygen -q -t ed25519 -N '' -C x -f "$K/foreign"
change secretary dipb submit IC-0001 --reference REF-1
resign foreign
rule 'signed with a key no member has' wrong-key \
    'not a key of secretary@example.org'

# Ida has no key: her own key, which the board does not list, proves
# nothing and is no finding; another member's key is one.
scenario unlisted
ssh-keygen -q -t ed25519 -N '' -C ida -f "$K/ida-own"
act icdrafter
git config --unset user.signingKey
run dipb recommend --wg industrial-capacity --title 'Skills' \
    --summary 'Skills.' --no-edit
resign ida-own
run dipb verify
check_eq 'a member without a key signs with a key no member has: clean' \
    "0:" "$RC:$(cat "$OUT")"
resign rev1
rule "a member without a key signs with another member's key" wrong-key \
    'not a key of ida@example.org as of the parent commit \(it is rita@example.org.s\)'

# A board change signed by a key that is not a chair's: the secretary's
# key on a change the chair authored.
scenario board-key
act chair
sed -i 's/^  quorum: 2/  quorum: 1/' dipb.yaml
change chair dipb edit --board --no-edit
resign secretary
rule "a board change signed with the secretary's key" wrong-key \
    'board/2-changed: .* not a key of chair@example.org'
# The secretary's own board change, signed by them: not a chair's key.
scenario board-secretary
act secretary
sed -i 's/^  quorum: 2/  quorum: 1/' dipb.yaml
git commit -q -S -am 'board: changed by Sam Secretary' \
    -m 'Dipb-Record: board
Dipb-Event: changed'
git tag -s -m 'board: changed by Sam Secretary' board/2-changed
rule 'a board change by a non-chair, signed by them' wrong-key \
    'signed by secretary@example.org .*who is not a chair'

# A board change, signed by the chair, that gives a member, for their key,
# an Ed25519 key of small order (the identity point): git would take a signature anyone
# can make (R the identity, S zero) as theirs; the board is invalid.
scenario board-weak
act chair
sed -i "s|$(pub rev2)|ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA|" \
    dipb.yaml
git commit -q -S -am 'board: changed by Clara Chair' -m 'Dipb-Record: board
Dipb-Event: changed'
git tag -s -m 'board: changed by Clara Chair' board/2-changed
rule 'a board change giving a member a small-order key' board-invalid \
    'board/2-changed: dipb.yaml:[0-9]+:9: ssh-ed25519 key that is not a point'
only board-invalid

# --- key-removed -----------------------------------------------------------------------

# The chair rotates the drafter's key; the old key then signs a change.
scenario rotated
act chair
sed -i "s|$(pub drafter)|$(pub drafter-new)|" dipb.yaml
change chair dipb edit --board --no-edit
run dipb verify
check_eq 'a key rotated by a signed board change verifies clean' "0:" \
    "$RC:$(cat "$OUT")"
check_err '  authenticated from that change on (the one before is unsigned)' \
    "authenticated from commit $(git rev-parse --short=12 HEAD) on"
# dipb itself refuses to sign with a key the member no longer has: the
# change is made with the new key, then signed again with the old by git.
act drafter
git config user.signingKey "$K/drafter-new"
run dipb recommend --wg industrial-capacity --title 'Energetics' \
    --summary 'Energetics.' --no-edit
[ "$RC" -eq 0 ] || not_ok 'setup: dipb recommend with the new key' \
    "$(_said dipb recommend)"
resign drafter
rule 'a change signed with the rotated-out key' key-removed \
    'a key dan@example.org no longer has as of the parent commit'
only key-removed
resign drafter-new
run dipb verify
check_eq '  and with the new key, clean' "0:" "$RC:$(cat "$OUT")"

# --- identity ------------------------------------------------------------------------------

scenario committer
act secretary
run dipb submit IC-0001 --reference REF-1
GIT_COMMITTER_EMAIL=rolf@example.org GIT_COMMITTER_NAME='Rolf Reviewer' \
    git commit -q --amend --no-edit -S
git tag -f -s -m 'IC-0001: submitted' IC-0001/5-submitted HEAD >/dev/null
oracle 'a change committed by another member, signed' 1 HEAD
rule 'a change committed by another member' identity \
    'authored by secretary@example.org but committed by rolf@example.org'
only identity

scenario tagger
change secretary dipb submit IC-0001 --reference REF-1
GIT_COMMITTER_EMAIL=rolf@example.org GIT_COMMITTER_NAME='Rolf Reviewer' \
    git tag -f -s -m 'IC-0001: submitted' IC-0001/5-submitted HEAD >/dev/null
rule 'a change tagged by another member' identity \
    'authored by secretary@example.org but tagged by rolf@example.org'

# --- dipb's own signatures --------------------------------------------------------

# When dipb signs the changes it makes (user.signingKey), they verify with
# git and with dipb verify as they are.
scenario own
act secretary
run dipb submit IC-0001 --reference REF-1
if git -c gpg.ssh.allowedSignersFile="$K/allowed" verify-commit HEAD \
    >/dev/null 2>&1; then
	oracle 'a change signed by dipb' 1 HEAD
	run dipb verify
	check_eq '  verifies clean as dipb signed it' "0:" "$RC:$(cat "$OUT")"
else
	skip 'a change signed by dipb verifies clean' 'this dipb does not sign'
fi

# --- what the history proves ------------------------------------------------------------------

# A board without keys: verify says so, exit status unchanged.
new_board nokeys
run dipb verify
check_eq 'a board without keys verifies clean' "0:" "$RC:$(cat "$OUT")"
check_err 'and stderr says its history is unauthenticated' \
    'dipb: warning: this board lists no signing keys: its history is unauthenticated (dipb-board(5), "Signing")'

# Signing started partway: the keys added by a board change that cannot
# be signed by a key of the board (it has none yet), then signed changes.
with_keys dipb.yaml chair secretary drafter rev1 rev2
as chair
run dipb edit --board --no-edit
change drafter dipb recommend --wg industrial-capacity --title 'Later' \
    --summary 'Later.' --no-edit
_from=$(git rev-parse --short=12 HEAD)
run dipb verify
check_eq 'keys added partway: clean' "0:" "$RC:$(cat "$OUT")"
check_err 'and stderr says from which commit it is authenticated' \
    "authenticated from commit $_from on"

finish

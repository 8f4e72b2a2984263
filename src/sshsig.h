/*
 * sshsig.h - SSH signatures, the format git makes with gpg.format=ssh
 * (ssh-keygen -Y sign): an armored "SSHSIG" blob holding the signer's
 * public key, a namespace ("git" for commits and tags), the hash of the
 * message (sha256 or sha512) and the signature.  dipb verifies them
 * in-process, Ed25519 with libsodium and ECDSA and RSA with libcrypto,
 * never by running ssh-keygen (dipb-verify(1), "Signatures").
 *
 *	-----BEGIN SSH SIGNATURE-----
 *	base64 of: "SSHSIG" uint32 1, string publickey, string namespace,
 *	    string reserved, string hash_algorithm, string signature
 *	-----END SSH SIGNATURE-----
 *
 * The signature is made over the signed data: "SSHSIG", string namespace,
 * string reserved, string hash_algorithm, string H(message).  Keys:
 * ssh-ed25519, ecdsa-sha2-nistp256/384/521 and ssh-rsa (signed with
 * rsa-sha2-256 or rsa-sha2-512; SHA-1 "ssh-rsa" signatures are refused,
 * as ssh-keygen refuses them); an ECDSA or RSA key becomes an EVP_PKEY
 * through sshkey.h, an Ed25519 one is used as its 32 bytes.
 */
#ifndef DIPB_SSHSIG_H
#define DIPB_SSHSIG_H

#include <stddef.h>

#include "util.h"

#define DIPB_SSHSIG_BEGIN	"-----BEGIN SSH SIGNATURE-----"
#define DIPB_SSHSIG_END		"-----END SSH SIGNATURE-----"
#define DIPB_SSHSIG_NAMESPACE	"git"

/* A parsed signature; every member owned, freed by dipb_sshsig_release. */
struct dipb_sshsig {
	unsigned char	*key;		/* the signer's key, wire format */
	size_t		 keylen;
	char		*ns;		/* the namespace */
	char		*hashalg;	/* "sha256" or "sha512" */
	unsigned char	*sig;		/* string type, string signature */
	size_t		 siglen;
};

/*
 * Parses the armored signature at [armor, armor + len) into out: the
 * BEGIN line first, the base64 lines, the END line (what follows it is
 * ignored), read as ssh-keygen reads them and nothing more (sshkey.h,
 * dipb_sshkey_unbase64; dipb-verify(1), "Signatures").  DIPB_ERR_INVALID,
 * saying what is wrong, when it is not armored, not base64 as ssh-keygen
 * takes it, truncated, or of an SSHSIG version above 1; out is then left
 * empty.  Release out with dipb_sshsig_release() either way.
 */
const struct dipb_error *dipb_sshsig_parse(struct dipb_sshsig *out,
	    const char *armor, size_t len);
void	 dipb_sshsig_release(struct dipb_sshsig *);

/*
 * Verifies sig over the len bytes of msg, in namespace ns, with the key
 * sig carries: NULL when it verifies; DIPB_ERR_INVALID saying why
 * otherwise (another namespace, an unknown hash, a key or signature type
 * not supported or not matching, a signature that does not verify).
 * Whose key it is, is the caller's question (sig->key).  Safe to call
 * from several threads at once.
 */
const struct dipb_error *dipb_sshsig_verify(const struct dipb_sshsig *sig,
	    const char *ns, const void *msg, size_t len);

/*
 * For writers (and bench/gen_history.c): appends to out the data an
 * SSHSIG signature is made over, for message msg hashed with hashalg
 * ("sha256" or "sha512"; -1 for another, or when libsodium cannot
 * start, 0 otherwise); and the armored
 * signature of key (wire format) and sig (string type, string signature)
 * as ssh-keygen writes it, lines of 70 characters, ending in a newline.
 */
int	 dipb_sshsig_signed_data(struct dipb_buf *out, const char *ns,
	    const char *hashalg, const void *msg, size_t len);
void	 dipb_sshsig_armor(struct dipb_buf *out, const unsigned char *key,
	    size_t keylen, const char *ns, const char *hashalg,
	    const unsigned char *sig, size_t siglen);

/*
 * In-process signing (git/sign.c; dipb-git(7), "Signing"), for the keys
 * whose signatures are the same whoever makes them: an unencrypted
 * ed25519 key of an OpenSSH private key file, and a key ssh-agent holds.
 *
 * dipb_sshsig_key_load reads the text of a private key file: the
 * openssh-key-v1 format (OpenSSH's PROTOCOL.key): "openssh-key-v1\0",
 * string ciphername, string kdfname, string kdfoptions, uint32 N, N
 * strings of public keys, then the string of the private list: uint32
 * checkint twice, then per key its type, public and private parts and
 * comment, padded with 1, 2, 3, ... to the cipher's block size.  1 when
 * it holds one ed25519 key, neither encrypted nor malformed, into out
 * (release with dipb_sshsig_key_release, which wipes the secret); 0 for
 * anything else (another format, a passphrase, another key type, several
 * keys, a malformed file), which the caller leaves to ssh-keygen.
 */
struct dipb_sshsig_key {
	unsigned char	 seed[32];	/* the secret */
	unsigned char	 blob[51];	/* the public key, wire format */
};

int	 dipb_sshsig_key_load(struct dipb_sshsig_key *out, const char *text,
	    size_t len);
void	 dipb_sshsig_key_release(struct dipb_sshsig_key *);

/*
 * Appends to out the armored signature of msg in namespace ns, hashed
 * with sha512 as ssh-keygen -Y sign does, made with k (Ed25519 is
 * deterministic: the same bytes as ssh-keygen's).  The signature is
 * verified before it is given (dipb_sshsig_verify).  DIPB_ERR_INVALID
 * when libcrypto fails.
 */
const struct dipb_error *dipb_sshsig_sign(struct dipb_buf *out,
	    const struct dipb_sshsig_key *k, const char *ns, const void *msg,
	    size_t len);

/*
 * The same with the key of wire-format blob key held by the ssh-agent
 * listening on socket path sock (the agent protocol: the identities
 * asked for, then a sign request; RSA keys sign with rsa-sha2-512, as
 * ssh-keygen asks).  1 when out holds the armored signature, verified;
 * 0, out unchanged, when there is no agent there, the agent does not hold
 * the key or does not sign, or its answer does not verify: the caller
 * then leaves the signing to ssh-keygen, which says why.
 */
int	 dipb_sshsig_agent_sign(struct dipb_buf *out, const char *sock,
	    const unsigned char *key, size_t keylen, const char *ns,
	    const void *msg, size_t len);

#endif /* DIPB_SSHSIG_H */

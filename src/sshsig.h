/*
 * sshsig.h - SSH signatures, the format git makes with gpg.format=ssh
 * (ssh-keygen -Y sign): an armored "SSHSIG" blob holding the signer's
 * public key, a namespace ("git" for commits and tags), the hash of the
 * message (sha256 or sha512) and the signature.  dipb verifies them
 * in-process with libcrypto, never by running ssh-keygen
 * (dipb-verify(1), "Signatures").
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
 * as ssh-keygen refuses them); the key becomes an EVP_PKEY through
 * sshkey.h.
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
 * ignored).  DIPB_ERR_INVALID, saying what is wrong, when it is not
 * armored, not base64, truncated, or not SSHSIG version 1; out is then
 * left empty.  Release out with dipb_sshsig_release() either way.
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
 * ("sha256" or "sha512"; -1 for another, 0 otherwise); and the armored
 * signature of key (wire format) and sig (string type, string signature)
 * as ssh-keygen writes it, lines of 70 characters, ending in a newline.
 */
int	 dipb_sshsig_signed_data(struct dipb_buf *out, const char *ns,
	    const char *hashalg, const void *msg, size_t len);
void	 dipb_sshsig_armor(struct dipb_buf *out, const unsigned char *key,
	    size_t keylen, const char *ns, const char *hashalg,
	    const unsigned char *sig, size_t siglen);

#endif /* DIPB_SSHSIG_H */

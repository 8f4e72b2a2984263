/*
 * sshkey.h - OpenSSH public keys: the lines of a member's keys: in
 * dipb.yaml (dipb-board(5), "Signing") and the key blobs of SSH
 * signatures.
 *
 * A key line is "<type> <base64> [comment]", the form of an OpenSSH .pub
 * file; the base64 is the key's wire-format blob (RFC 4253 section 6.6,
 * RFC 5656 section 3.1, RFC 8709 section 4), whose first string is the
 * type again.  Types: ssh-ed25519, ecdsa-sha2-nistp256,
 * ecdsa-sha2-nistp384, ecdsa-sha2-nistp521, ssh-rsa (at least 2048 bits).
 */
#ifndef DIPB_SSHKEY_H
#define DIPB_SSHKEY_H

#include <stddef.h>

#include <openssl/evp.h>

#include "error.h"

#define DIPB_SSHKEY_RSA_MIN_BITS	2048
#define DIPB_SSHKEY_RSA_MAX_BITS	16384

enum dipb_sshkey_kind {
	DIPB_SSHKEY_ED25519,
	DIPB_SSHKEY_ECDSA_P256,
	DIPB_SSHKEY_ECDSA_P384,
	DIPB_SSHKEY_ECDSA_P521,
	DIPB_SSHKEY_RSA
};

/* A parsed public key; every member owned, freed by dipb_sshkey_release(). */
struct dipb_sshkey {
	enum dipb_sshkey_kind	 kind;
	char			*type;		/* "ssh-ed25519", ... */
	unsigned char		*blob;		/* the wire-format key */
	size_t			 bloblen;
	char			*comment;	/* NULL when the line has none */
};

#define DIPB_SSHKEY_INIT { DIPB_SSHKEY_ED25519, NULL, NULL, 0, NULL }

void	 dipb_sshkey_init(struct dipb_sshkey *);
/* Frees what k holds and initialises it again; NULL is fine. */
void	 dipb_sshkey_release(struct dipb_sshkey *k);

/*
 * Parses one public-key line into out (initialised; released first).
 * Blanks around the line are ignored.  The key is checked whole: a known
 * type, strict base64, a blob whose type string is the line's type and
 * that ends where its last field does, a 32-byte ed25519 key of
 * the prime-order group (no small-order or invalid point), an ECDSA
 * curve that matches the type and a point on it, an RSA exponent that is
 * odd and greater than 1 and a modulus of DIPB_SSHKEY_RSA_MIN_BITS to
 * DIPB_SSHKEY_RSA_MAX_BITS bits.  Errors (DIPB_ERR_INVALID) say what is
 * wrong in a message without the line itself, which is long, so that a
 * caller can put it after a file:line:col; out is left initialised.
 */
const struct dipb_error *dipb_sshkey_parse(struct dipb_sshkey *out,
	    const char *line);

/*
 * The same checks on a wire-format blob (the public key an SSH signature
 * carries), read as OpenSSH reads one: a type or curve name may end in one
 * NUL, an mpint may have needless leading zero bytes; out->blob is the
 * same key in the one form ssh-keygen writes, so that keys compare by
 * value (dipb_sshkey_equal, dipb_sshkey_canonical).  An Ed25519 key is
 * not checked for small order here: libsodium refuses one when it
 * verifies.  out->comment is NULL.
 */
const struct dipb_error *dipb_sshkey_parse_blob(struct dipb_sshkey *out,
	    const unsigned char *blob, size_t len);

/*
 * The OpenSSL key of k (parsed by the functions above): caller frees *out
 * with EVP_PKEY_free().  Errors: DIPB_ERR_INVALID when libcrypto refuses
 * the key.
 */
const struct dipb_error *dipb_sshkey_pkey(EVP_PKEY **out,
	    const struct dipb_sshkey *k);

/* "<type> <base64>", the comment dropped; caller frees. */
char	*dipb_sshkey_canonical(const struct dipb_sshkey *k);

/*
 * "SHA256:<base64 of the blob's SHA-256, no padding>", as ssh-keygen -l
 * prints it; caller frees.
 */
char	*dipb_sshkey_fingerprint(const struct dipb_sshkey *k);

/* 1 when a and b are the same key (same blob), else 0. */
int	 dipb_sshkey_equal(const struct dipb_sshkey *a,
	    const struct dipb_sshkey *b);

/*
 * The wire format's rules as OpenSSH reads them (sshbuf), for this file
 * and sshsig.c, so that dipb accepts what ssh-keygen -Y verify, and so git,
 * accepts, and nothing more (dipb-verify(1), "Signatures").
 *
 * dipb_sshkey_unbase64: base64 as b64_pton decodes it: whitespace (the
 * C locale's isspace) skipped anywhere, "=" only to end the last group of
 * four, the unused bits of its last digit zero.  0, *out (caller frees)
 * and *outlen set; -1, *out NULL, for anything else.
 *
 * dipb_sshkey_cstring: the length of the string [s, s + len) as text,
 * without the one NUL that may end it; (size_t)-1 when a NUL is elsewhere.
 *
 * dipb_sshkey_mpint: an mpint at *s of *len bytes that is not negative
 * nor longer than DIPB_SSHKEY_MPINT_MAX bytes (and a zero): 0, its
 * leading zero bytes skipped; -1 otherwise.
 */
#define DIPB_SSHKEY_MPINT_MAX	(16384 / 8)

/* libsodium started, once per process: 1, or 0 when it cannot start. */
int	 dipb_sshkey_sodium_ready(void);

int	 dipb_sshkey_unbase64(unsigned char **out, size_t *outlen,
	    const char *s, size_t len);
size_t	 dipb_sshkey_cstring(const unsigned char *s, size_t len);
int	 dipb_sshkey_mpint(const unsigned char **s, size_t *len);

#endif /* DIPB_SSHKEY_H */

/*
 * git/hash.c - SHA-1, and the git object ids of bytes.
 */
#include <stdlib.h>

/* SHA1_Init and the rest: see dipb_git_sha1() below. */
#define OPENSSL_API_COMPAT 0x10100000L
#include <openssl/sha.h>

#include "internal.h"
#include "../error.h"
#include "../util.h"

/*
 * SHA-1, from OpenSSL's libcrypto, of big trees and of the index's
 * trailing checksum: libgit2 keeps its own hash functions private.  The
 * low-level SHA1_* functions (deprecated in OpenSSL 3, hence
 * OPENSSL_API_COMPAT above) rather than EVP_Digest: EVP's first use
 * loads the default provider, 4.3 million instructions, a fifth of a
 * whole state change at 1,000 records, to hash 100 KB in 1.2 million.
 * They are plain code, with no provider fetched: they return 1 whatever
 * libcrypto's configuration (OPENSSL_CONF), so a failure of theirs cannot
 * happen (dipb_abort).
 */
void
dipb_git_sha1(unsigned char out[20], const char *data, size_t len)
{
	SHA_CTX c;

	if (SHA1_Init(&c) != 1 || SHA1_Update(&c, data, len) != 1 ||
	    SHA1_Final(out, &c) != 1)
		dipb_abort("libcrypto's SHA1_* failed");
}

/*
 * git_odb_hash() only hashes: it needs no git_libgit2_init() and no
 * repository, so record.c's fingerprints cost no libgit2 start.  It
 * fails only where its SHA-1 does, libgit2's own collision-detecting
 * code, plain code as above: it cannot.
 */
void
dipb_git_hash_blob(char hex[41], const char *data, size_t len)
{
	git_oid id;

	if (git_odb_hash(&id, data, len, GIT_OBJECT_BLOB) != 0)
		dipb_abort("libgit2 cannot hash a record");
	git_oid_tostr(hex, GIT_OID_HEXSZ + 1, &id);
}

struct dipb_sha1 {
	SHA_CTX	 c;
};

static void
sha1_failed(void)
{
	dipb_abort("libcrypto's SHA1_* failed");
}

struct dipb_sha1 *
dipb_git_sha1_new(void)
{
	struct dipb_sha1 *h = xmalloc(sizeof(*h));

	if (SHA1_Init(&h->c) != 1)
		sha1_failed();
	return h;
}

void
dipb_git_sha1_update(struct dipb_sha1 *h, const void *data, size_t len)
{
	if (len > 0 && SHA1_Update(&h->c, data, len) != 1)
		sha1_failed();
}

void
dipb_git_sha1_hex(char hex[41], struct dipb_sha1 *h)
{
	unsigned char md[20];

	if (SHA1_Final(md, &h->c) != 1)
		sha1_failed();
	free(h);
	dipb_hex(hex, md, sizeof(md));
}

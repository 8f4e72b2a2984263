/*
 * sshsig.c - SSH signatures verified in-process (sshsig.h), and made
 * in-process from an ed25519 private key file or by ssh-agent.
 *
 * The formats are OpenSSH's (PROTOCOL.sshsig, and RFC 4253, 5656 and 8332
 * for the keys and signatures): big-endian uint32 lengths before every
 * string.  Everything read is length-checked against what remains, so a
 * truncated or hostile blob is an error, never a read past its end.
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <sodium.h>

#include "error.h"
#include "sshkey.h"
#include "sshsig.h"
#include "util.h"

#define MAGIC		"SSHSIG"
#define MAGIC_LEN	6
#define VERSION		1
#define ARMOR_LINE	70
#define END_LINE	"\n" DIPB_SSHSIG_END

/* ---- the wire format ---------------------------------------------- */

struct rd {
	const unsigned char	*p;
	const unsigned char	*end;
};

static int
get_u32(struct rd *r, uint32_t *v)
{
	if (r->end - r->p < 4)
		return -1;
	*v = (uint32_t)r->p[0] << 24 | (uint32_t)r->p[1] << 16 |
	    (uint32_t)r->p[2] << 8 | r->p[3];
	r->p += 4;
	return 0;
}

static int
get_string(struct rd *r, const unsigned char **s, size_t *n)
{
	uint32_t len;

	if (get_u32(r, &len) < 0 || (size_t)(r->end - r->p) < len)
		return -1;
	*s = r->p;
	*n = len;
	r->p += len;
	return 0;
}

/*
 * A string that must be text: no NUL in it but one at its end, which
 * OpenSSH drops too (dipb_sshkey_cstring).  -1 when the blob ends inside
 * it, -2 for a NUL elsewhere.
 */
static int
get_cstring(struct rd *r, char **out)
{
	const unsigned char *s;
	size_t n;

	if (get_string(r, &s, &n) < 0)
		return -1;
	if ((n = dipb_sshkey_cstring(s, n)) == (size_t)-1)
		return -2;
	*out = xstrndup((const char *)s, n);
	return 0;
}

/* The string [s, s + n) is the text lit (with or without a NUL after). */
static int
streqn(const unsigned char *s, size_t n, const char *lit)
{
	n = dipb_sshkey_cstring(s, n);
	return strlen(lit) == n && memcmp(s, lit, n) == 0;
}

static void
put_u32(struct dipb_buf *b, uint32_t v)
{
	char c[4];

	c[0] = (char)(v >> 24);
	c[1] = (char)(v >> 16);
	c[2] = (char)(v >> 8);
	c[3] = (char)v;
	dipb_buf_put(b, c, 4);
}

static void
put_string(struct dipb_buf *b, const void *s, size_t n)
{
	put_u32(b, (uint32_t)n);
	dipb_buf_put(b, s, n);
}

/* A string at p, in a buffer the caller sized; s NULL: its length only. */
static unsigned char *
put_raw(unsigned char *p, const void *s, size_t n)
{
	p[0] = (unsigned char)(n >> 24);
	p[1] = (unsigned char)(n >> 16);
	p[2] = (unsigned char)(n >> 8);
	p[3] = (unsigned char)n;
	if (s != NULL && n > 0)
		memcpy(p + 4, s, n);
	return p + 4 + n;
}

/* ---- the armor ----------------------------------------------------- */

static void
release(struct dipb_sshsig *s)
{
	free(s->key);
	free(s->ns);
	free(s->hashalg);
	free(s->sig);
	memset(s, 0, sizeof(*s));
}

void
dipb_sshsig_release(struct dipb_sshsig *s)
{
	if (s != NULL)
		release(s);
}

static const struct dipb_error *
bad(struct dipb_sshsig *out, const char *why)
{
	release(out);
	return dipb_error_fmt(DIPB_ERR_INVALID, "not an SSH signature: %s",
	    why);
}

const struct dipb_error *
dipb_sshsig_parse(struct dipb_sshsig *out, const char *armor, size_t len)
{
	const char *p = armor, *end = armor + len, *body, *stop, *b64end;
	const char *why = "truncated";
	const unsigned char *s;
	unsigned char *blob = NULL;
	size_t bl, n, blen = strlen(DIPB_SSHSIG_BEGIN);
	uint32_t version;
	struct rd r;
	int rc;

	/*
	 * The armor as ssh-keygen's own reader takes it (OpenSSH's
	 * sshsig_dearmor), since git verify-commit and verify-tag hand it to
	 * ssh-keygen (dipb-git(7)): the BEGIN line ended by "\n" (OpenSSH 9.2
	 * takes no "\r\n" there), the END line the first one after it that a
	 * "\n" starts, whatever follows it; between them base64 as
	 * dipb_sshkey_unbase64 reads it, then at most one NUL.
	 */
	memset(out, 0, sizeof(*out));
	if (len < blen || memcmp(p, DIPB_SSHSIG_BEGIN, blen) != 0)
		return bad(out, "no '" DIPB_SSHSIG_BEGIN "' line");
	body = p + blen;
	if (end - body >= 1 && body[0] == '\r')
		return bad(out, "a CR after '" DIPB_SSHSIG_BEGIN "', which "
		    "ssh-keygen does not take");
	if (end - body < 1 || body[0] != '\n')
		return bad(out, "no line end after '" DIPB_SSHSIG_BEGIN "'");
	body++;
	for (stop = body; stop < end; stop++)
		if ((size_t)(end - stop) >= sizeof(END_LINE) - 1 &&
		    memcmp(stop, END_LINE, sizeof(END_LINE) - 1) == 0)
			break;
	if (stop == end)
		return bad(out, "no '" DIPB_SSHSIG_END "' line");
	b64end = stop > body && stop[-1] == '\0' ? stop - 1 : stop;
	if (memchr(body, '\0', (size_t)(b64end - body)) != NULL)
		return bad(out, "a NUL inside its armor");
	if (dipb_sshkey_unbase64(&blob, &bl, body, (size_t)(b64end - body)) <
	    0)
		return bad(out, "its armor is not base64 as ssh-keygen reads "
		    "it (a character of another alphabet, '=' before the "
		    "end, or unused bits set before the '=')");
	r.p = blob;
	r.end = blob + bl;
	if (bl < MAGIC_LEN || memcmp(blob, MAGIC, MAGIC_LEN) != 0) {
		free(blob);
		return bad(out, "no SSHSIG magic");
	}
	r.p += MAGIC_LEN;
	if (get_u32(&r, &version) < 0)
		goto fail;
	/* Version 0 too: ssh-keygen refuses only a later one. */
	if (version > VERSION) {
		free(blob);
		return bad(out, "an SSHSIG version above 1");
	}
	if (get_string(&r, &s, &n) < 0 || n == 0)
		goto fail;
	out->key = xmalloc(n);
	memcpy(out->key, s, n);
	out->keylen = n;
	if ((rc = get_cstring(&r, &out->ns)) == -2)
		why = "a NUL inside its namespace";
	if (rc < 0 || get_string(&r, &s, &n) < 0)	/* reserved */
		goto fail;
	if ((rc = get_cstring(&r, &out->hashalg)) == -2)
		why = "a NUL inside its hash algorithm's name";
	if (rc < 0 || get_string(&r, &s, &n) < 0)
		goto fail;
	out->sig = xmalloc(n > 0 ? n : 1);
	memcpy(out->sig, s, n);
	out->siglen = n;
	if (r.p != r.end) {
		free(blob);
		return bad(out, "bytes after the signature");
	}
	free(blob);
	return NULL;
fail:
	free(blob);
	return bad(out, why);
}

/* ---- signing and the signed data ------------------------------------ */

static const EVP_MD *
hash_md(const char *hashalg)
{
	if (strcmp(hashalg, "sha256") == 0)
		return EVP_sha256();
	if (strcmp(hashalg, "sha512") == 0)
		return EVP_sha512();
	return NULL;
}

int
dipb_sshsig_signed_data(struct dipb_buf *out, const char *ns,
    const char *hashalg, const void *msg, size_t len)
{
	unsigned char h[crypto_hash_sha512_BYTES];
	size_t hl;

	if (hash_md(hashalg) == NULL || !dipb_sshkey_sodium_ready())
		return -1;
	if (strcmp(hashalg, "sha512") == 0) {
		crypto_hash_sha512(h, msg, len);
		hl = crypto_hash_sha512_BYTES;
	} else {
		crypto_hash_sha256(h, msg, len);
		hl = crypto_hash_sha256_BYTES;
	}
	dipb_buf_put(out, MAGIC, MAGIC_LEN);
	put_string(out, ns, strlen(ns));
	put_string(out, "", 0);
	put_string(out, hashalg, strlen(hashalg));
	put_string(out, h, hl);
	return 0;
}

void
dipb_sshsig_armor(struct dipb_buf *out, const unsigned char *key,
    size_t keylen, const char *ns, const char *hashalg,
    const unsigned char *sig, size_t siglen)
{
	struct dipb_buf blob = DIPB_BUF_INIT;
	unsigned char *b64;
	size_t i, n;

	dipb_buf_put(&blob, MAGIC, MAGIC_LEN);
	put_u32(&blob, VERSION);
	put_string(&blob, key, keylen);
	put_string(&blob, ns, strlen(ns));
	put_string(&blob, "", 0);
	put_string(&blob, hashalg, strlen(hashalg));
	put_string(&blob, sig, siglen);
	b64 = xmalloc((blob.len + 2) / 3 * 4 + 1);
	n = (size_t)EVP_EncodeBlock(b64, (const unsigned char *)blob.ptr,
	    (int)blob.len);
	dipb_buf_puts(out, DIPB_SSHSIG_BEGIN "\n");
	for (i = 0; i < n; i += ARMOR_LINE) {
		dipb_buf_put(out, (const char *)b64 + i,
		    n - i < ARMOR_LINE ? n - i : ARMOR_LINE);
		dipb_buf_putc(out, '\n');
	}
	dipb_buf_puts(out, DIPB_SSHSIG_END "\n");
	free(b64);
	dipb_buf_release(&blob);
}

/* ---- verifying -------------------------------------------------------- */

/*
 * An ECDSA signature's blob is two mpints, r and s (RFC 5656, 3.1.2);
 * libcrypto verifies the DER form of the same pair.
 */
static int
ecdsa_der(unsigned char **der, size_t *derlen, const unsigned char *s,
    size_t n)
{
	struct rd r = { s, s + n };
	const unsigned char *rb, *sb;
	size_t rl, sl;
	BIGNUM *br = NULL, *bs = NULL;
	ECDSA_SIG *es = NULL;
	unsigned char *p;
	int len, rc = -1;

	*der = NULL;
	/* mpints as OpenSSH reads them: positive, leading zeros skipped. */
	if (get_string(&r, &rb, &rl) < 0 || get_string(&r, &sb, &sl) < 0 ||
	    r.p != r.end || dipb_sshkey_mpint(&rb, &rl) < 0 ||
	    dipb_sshkey_mpint(&sb, &sl) < 0 || rl > 66 || sl > 66)
		return -1;
	if ((br = BN_bin2bn(rb, (int)rl, NULL)) == NULL ||
	    (bs = BN_bin2bn(sb, (int)sl, NULL)) == NULL ||
	    (es = ECDSA_SIG_new()) == NULL)
		goto done;
	if (ECDSA_SIG_set0(es, br, bs) != 1)
		goto done;
	br = bs = NULL;
	if ((len = i2d_ECDSA_SIG(es, NULL)) <= 0)
		goto done;
	*der = p = xmalloc((size_t)len);
	if (i2d_ECDSA_SIG(es, &p) != len) {
		free(*der);
		*der = NULL;
		goto done;
	}
	*derlen = (size_t)len;
	rc = 0;
done:
	BN_free(br);
	BN_free(bs);
	ECDSA_SIG_free(es);
	return rc;
}

#define invalid(...)	dipb_error_fmt(DIPB_ERR_INVALID, __VA_ARGS__)

/*
 * A signature of type [st, st + n) where the key makes want's: the type
 * shown whole, a byte other than printable ASCII as \xHH, so that two
 * types never read the same (at most 64 bytes of it).
 */
static const struct dipb_error *
mismatch(const unsigned char *st, size_t n, const char *want)
{
	const struct dipb_error *err;
	struct dipb_buf shown = DIPB_BUF_INIT;
	size_t i;

	for (i = 0; i < n && i < 64; i++)
		if (st[i] > 0x20 && st[i] < 0x7f && st[i] != '\\')
			dipb_buf_putc(&shown, (char)st[i]);
		else
			dipb_buf_printf(&shown, "\\x%02X", st[i]);
	err = invalid("a signature of type '%s%s' where the key makes %s "
	    "signatures", dipb_buf_cstr(&shown), n > 64 ? "..." : "", want);
	dipb_buf_release(&shown);
	return err;
}

/*
 * An Ed25519 signature sb (64 bytes) of key (parsed) over msg, by
 * libsodium, which also refuses a non-canonical S and a small-order key
 * or R: signatures that prove nothing about who made them.  The signed
 * data (dipb_sshsig_signed_data) is made on the stack: verify checks
 * 20,000 signatures of 10,000 changes, each a few allocations less.
 */
#define SIGNED_MAX	256

static const struct dipb_error *
ed25519_verify(const struct dipb_sshkey *key, const struct dipb_sshsig *sig,
    const unsigned char *sb, const void *msg, size_t len)
{
	unsigned char data[SIGNED_MAX], *p = data;
	size_t nl = strlen(sig->ns), hl = strlen(sig->hashalg), dl;

	/* The blob's key: string "ssh-ed25519", string key (32). */
	if (key->bloblen != 4 + 11 + 4 + 32)
		return invalid("a malformed Ed25519 key");
	if (hash_md(sig->hashalg) == NULL || !dipb_sshkey_sodium_ready())
		return invalid("cannot hash the message");
	dl = strcmp(sig->hashalg, "sha512") == 0 ? crypto_hash_sha512_BYTES :
	    crypto_hash_sha256_BYTES;
	if (nl > SIGNED_MAX || hl > SIGNED_MAX ||
	    MAGIC_LEN + 4 + nl + 4 + 4 + hl + 4 + dl > SIGNED_MAX)
		return invalid("a namespace or hash name too long");
	memcpy(p, MAGIC, MAGIC_LEN);
	p = put_raw(put_raw(put_raw(p + MAGIC_LEN, sig->ns, nl), "", 0),
	    sig->hashalg, hl);
	put_raw(p, NULL, dl);
	if (dl == crypto_hash_sha512_BYTES)
		crypto_hash_sha512(p + 4, msg, len);
	else
		crypto_hash_sha256(p + 4, msg, len);
	if (crypto_sign_verify_detached(sb, data, (size_t)(p + 4 + dl - data),
	    key->blob + 4 + 11 + 4) != 0)
		return dipb_error_fmt(DIPB_ERR_INVALID, "the %s signature does "
		    "not verify", key->type);
	return NULL;
}

/*
 * The signature each key type makes, and over which hash (*md, set for
 * ECDSA's and RSA's): the blob's type [st, st + stl) must be the key's.
 */
static const struct dipb_error *
sig_type(const EVP_MD **md, const struct dipb_sshkey *key,
    const unsigned char *st, size_t stl)
{
	const char *want;

	switch (key->kind) {
	case DIPB_SSHKEY_ED25519:
		want = "ssh-ed25519";
		break;
	case DIPB_SSHKEY_ECDSA_P256:
		want = "ecdsa-sha2-nistp256";
		*md = EVP_sha256();
		break;
	case DIPB_SSHKEY_ECDSA_P384:
		want = "ecdsa-sha2-nistp384";
		*md = EVP_sha384();
		break;
	case DIPB_SSHKEY_ECDSA_P521:
		want = "ecdsa-sha2-nistp521";
		*md = EVP_sha512();
		break;
	case DIPB_SSHKEY_RSA:
		if (streqn(st, stl, "rsa-sha2-256")) {
			want = "rsa-sha2-256";
			*md = EVP_sha256();
		} else {
			want = "rsa-sha2-512";
			*md = EVP_sha512();
		}
		/* Either is the key's: said so if it is neither. */
		if (!streqn(st, stl, want) && !streqn(st, stl, "ssh-rsa"))
			return mismatch(st, stl,
			    "rsa-sha2-256 or rsa-sha2-512");
		if (streqn(st, stl, "ssh-rsa"))
			return invalid("an RSA signature over SHA-1 "
			    "(ssh-rsa), which SSH signatures do not allow");
		break;
	default:
		want = "";
		break;
	}
	if (!streqn(st, stl, want))
		return mismatch(st, stl, want);
	return NULL;
}

/*
 * The signature [*sb, *sb + *sbl) as libcrypto verifies it, in *raw
 * (caller frees): an ECDSA one as DER; an RSA one of the key's length,
 * RFC 8332's missing leading zero bytes put back.  Any other left as it is.
 */
static const struct dipb_error *
sig_raw(unsigned char **raw, const unsigned char **sb, size_t *sbl,
    const struct dipb_sshkey *key, const EVP_MD *md, EVP_PKEY *pkey)
{
	size_t rawlen;

	if (md != NULL && key->kind != DIPB_SSHKEY_RSA) {
		if (ecdsa_der(raw, &rawlen, *sb, *sbl) < 0)
			return invalid("a malformed ECDSA signature");
	} else if (key->kind == DIPB_SSHKEY_RSA) {
		/* RFC 8332: a signature may lack its leading zero bytes. */
		rawlen = (size_t)EVP_PKEY_get_size(pkey);
		if (*sbl > rawlen || *sbl == 0)
			return invalid("an RSA signature of the wrong "
			    "length");
		*raw = xcalloc(1, rawlen);
		memcpy(*raw + rawlen - *sbl, *sb, *sbl);
	} else {
		return NULL;
	}
	*sb = *raw;
	*sbl = rawlen;
	return NULL;
}

/*
 * An ECDSA or RSA signature [sb, sb + sbl) of key over the signed data of
 * sig and msg, hashed with md, checked by libcrypto.
 */
static const struct dipb_error *
evp_verify(const struct dipb_sshkey *key, const struct dipb_sshsig *sig,
    const EVP_MD *md, const unsigned char *sb, size_t sbl, const void *msg,
    size_t len)
{
	const struct dipb_error *err = NULL;
	struct dipb_buf data = DIPB_BUF_INIT;
	unsigned char *raw = NULL;
	EVP_MD_CTX *ctx = NULL;
	EVP_PKEY *pkey = NULL;

	if ((err = dipb_sshkey_pkey(&pkey, key)) != NULL)
		goto done;
	if ((err = sig_raw(&raw, &sb, &sbl, key, md, pkey)) != NULL)
		goto done;
	if (dipb_sshsig_signed_data(&data, sig->ns, sig->hashalg, msg,
	    len) < 0) {
		err = invalid("cannot hash the message");
		goto done;
	}
	if ((ctx = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestVerifyInit(ctx, NULL, md, NULL, pkey) != 1 ||
	    EVP_DigestVerify(ctx, sb, sbl, (const unsigned char *)data.ptr,
	    data.len) != 1)
		err = dipb_error_fmt(DIPB_ERR_INVALID, "the %s signature does "
		    "not verify", key->type);
done:
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(pkey);
	dipb_buf_release(&data);
	free(raw);
	return err;
}

const struct dipb_error *
dipb_sshsig_verify(const struct dipb_sshsig *sig, const char *ns,
    const void *msg, size_t len)
{
	const struct dipb_error *err = NULL;
	struct dipb_sshkey key = DIPB_SSHKEY_INIT;
	struct rd sr = { sig->sig, sig->sig + sig->siglen };
	const unsigned char *st, *sb;
	size_t stl, sbl;
	const EVP_MD *md = NULL;

	if (strcmp(sig->ns, ns) != 0)
		return dipb_error_fmt(DIPB_ERR_INVALID, "signed for namespace "
		    "'%s', not '%s'", sig->ns, ns);
	if (hash_md(sig->hashalg) == NULL)
		return invalid("an unknown hash algorithm: '%s'",
		    sig->hashalg);
	if (get_string(&sr, &st, &stl) < 0 ||
	    get_string(&sr, &sb, &sbl) < 0 || sr.p != sr.end)
		return invalid("a malformed signature blob");
	if ((err = dipb_sshkey_parse_blob(&key, sig->key, sig->keylen)) !=
	    NULL)
		goto done;
	if ((err = sig_type(&md, &key, st, stl)) != NULL)
		goto done;
	if (key.kind == DIPB_SSHKEY_ED25519 && sbl != 64) {
		err = invalid("an Ed25519 signature not of 64 bytes");
		goto done;
	}
	if (key.kind == DIPB_SSHKEY_ED25519)
		err = ed25519_verify(&key, sig, sb, msg, len);
	else
		err = evp_verify(&key, sig, md, sb, sbl, msg, len);
done:
	if (err != NULL)
		ERR_clear_error();	/* libcrypto's queue, of this thread */
	dipb_sshkey_release(&key);
	return err;
}

/* ---- in-process signing ------------------------------------------------- */

#define KEY_BEGIN	"-----BEGIN OPENSSH PRIVATE KEY-----"
#define KEY_END		"-----END OPENSSH PRIVATE KEY-----"
#define KEY_MAGIC	"openssh-key-v1"	/* and its NUL */
#define ED25519		"ssh-ed25519"

/* The wire blob of an ed25519 public key: string type, string key. */
static void
ed25519_blob(unsigned char out[51], const unsigned char pub[32])
{
	struct dipb_buf b = DIPB_BUF_INIT;

	put_string(&b, ED25519, strlen(ED25519));
	put_string(&b, pub, 32);
	memcpy(out, b.ptr, 51);
	dipb_buf_release(&b);
}

/* A public key blob [s, s + n) that is ed25519: its key into pub. */
static int
ed25519_pub(unsigned char pub[32], const unsigned char *s, size_t n)
{
	struct rd r = { s, s + n };
	const unsigned char *t, *k;
	size_t tl, kl;

	if (get_string(&r, &t, &tl) < 0 || !streqn(t, tl, ED25519) ||
	    get_string(&r, &k, &kl) < 0 || kl != 32 || r.p != r.end)
		return -1;
	memcpy(pub, k, 32);
	return 0;
}

void
dipb_sshsig_key_release(struct dipb_sshsig_key *k)
{
	if (k != NULL)
		OPENSSL_cleanse(k, sizeof(*k));
}

int
dipb_sshsig_key_load(struct dipb_sshsig_key *out, const char *text,
    size_t len)
{
	const char *end = text + len, *body, *stop;
	const unsigned char *s, *priv, *sk;
	unsigned char *blob = NULL, pub[32], pub2[32];
	size_t bl, n, privlen, skl, i, blen = strlen(KEY_BEGIN);
	uint32_t nkeys, check1, check2;
	struct rd r, p;
	int ok = 0;

	memset(out, 0, sizeof(*out));
	/* Blanks before the armor are what ssh-keygen skips too. */
	while (text < end && (*text == ' ' || *text == '\t' ||
	    *text == '\r' || *text == '\n'))
		text++;
	if ((size_t)(end - text) < blen || memcmp(text, KEY_BEGIN, blen) != 0)
		return 0;
	body = text + blen;
	for (stop = body; stop < end; stop++)
		if ((size_t)(end - stop) >= strlen(KEY_END) &&
		    memcmp(stop, KEY_END, strlen(KEY_END)) == 0)
			break;
	if (stop == end || dipb_sshkey_unbase64(&blob, &bl, body,
	    (size_t)(stop - body)) < 0)
		return 0;
	r.p = blob;
	r.end = blob + bl;
	if (bl < sizeof(KEY_MAGIC) ||
	    memcmp(blob, KEY_MAGIC, sizeof(KEY_MAGIC)) != 0)
		goto done;
	r.p += sizeof(KEY_MAGIC);
	/* Not encrypted: cipher and KDF "none", no KDF options. */
	if (get_string(&r, &s, &n) < 0 || !streqn(s, n, "none") ||
	    get_string(&r, &s, &n) < 0 || !streqn(s, n, "none") ||
	    get_string(&r, &s, &n) < 0 || n != 0 ||
	    get_u32(&r, &nkeys) < 0 || nkeys != 1 ||
	    get_string(&r, &s, &n) < 0 || ed25519_pub(pub, s, n) < 0 ||
	    get_string(&r, &priv, &privlen) < 0 || r.p != r.end ||
	    privlen % 8 != 0)
		goto done;
	/* The private list: checkints, the key, its comment, padding. */
	p.p = priv;
	p.end = priv + privlen;
	if (get_u32(&p, &check1) < 0 || get_u32(&p, &check2) < 0 ||
	    check1 != check2 ||
	    get_string(&p, &s, &n) < 0 || !streqn(s, n, ED25519) ||
	    get_string(&p, &s, &n) < 0 || n != 32 ||
	    memcmp(s, pub, 32) != 0 ||
	    get_string(&p, &sk, &skl) < 0 || skl != 64 ||
	    memcmp(sk + 32, pub, 32) != 0 ||
	    get_string(&p, &s, &n) < 0)		/* the comment */
		goto done;
	for (i = 1; p.p < p.end; i++, p.p++)
		if (*p.p != (unsigned char)i)
			goto done;
	memcpy(out->seed, sk, 32);
	/* The secret must be the public key's: derive it again. */
	{
		EVP_PKEY *pk = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519,
		    NULL, out->seed, 32);
		size_t pl = sizeof(pub2);

		if (pk == NULL || EVP_PKEY_get_raw_public_key(pk, pub2,
		    &pl) != 1 || pl != 32 || memcmp(pub, pub2, 32) != 0) {
			EVP_PKEY_free(pk);
			ERR_clear_error();
			goto done;
		}
		EVP_PKEY_free(pk);
	}
	ed25519_blob(out->blob, pub);
	ok = 1;
done:
	if (!ok)
		OPENSSL_cleanse(out, sizeof(*out));
	OPENSSL_cleanse(blob, bl);
	free(blob);
	return ok;
}

/* The signature made is checked as dipb verify will check it. */
static const struct dipb_error *
armor_checked(struct dipb_buf *out, const unsigned char *key, size_t keylen,
    const char *ns, const unsigned char *sig, size_t siglen,
    const void *msg, size_t len)
{
	const struct dipb_error *err;
	struct dipb_buf armor = DIPB_BUF_INIT;
	struct dipb_sshsig parsed;

	dipb_sshsig_armor(&armor, key, keylen, ns, "sha512", sig, siglen);
	if ((err = dipb_sshsig_parse(&parsed, armor.ptr, armor.len)) ==
	    NULL)
		err = dipb_sshsig_verify(&parsed, ns, msg, len);
	dipb_sshsig_release(&parsed);
	if (err == NULL)
		dipb_buf_put(out, armor.ptr, armor.len);
	dipb_buf_release(&armor);
	return err;
}

const struct dipb_error *
dipb_sshsig_sign(struct dipb_buf *out, const struct dipb_sshsig_key *k,
    const char *ns, const void *msg, size_t len)
{
	const struct dipb_error *err = NULL;
	struct dipb_buf data = DIPB_BUF_INIT, sig = DIPB_BUF_INIT;
	unsigned char raw[64];
	size_t rawlen = sizeof(raw);
	EVP_PKEY *pkey = NULL;
	EVP_MD_CTX *ctx = NULL;

	if (dipb_sshsig_signed_data(&data, ns, "sha512", msg, len) < 0 ||
	    (pkey = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL,
	    k->seed, 32)) == NULL || (ctx = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestSignInit(ctx, NULL, NULL, NULL, pkey) != 1 ||
	    EVP_DigestSign(ctx, raw, &rawlen,
	    (const unsigned char *)data.ptr, data.len) != 1 || rawlen != 64) {
		ERR_clear_error();
		err = invalid("libcrypto cannot make an Ed25519 signature");
		goto done;
	}
	put_string(&sig, ED25519, strlen(ED25519));
	put_string(&sig, raw, rawlen);
	err = armor_checked(out, k->blob, sizeof(k->blob), ns,
	    (const unsigned char *)sig.ptr, sig.len, msg, len);
done:
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(pkey);
	dipb_buf_release(&data);
	dipb_buf_release(&sig);
	return err;
}

/*
 * The agent protocol (draft-miller-ssh-agent): each message a uint32
 * length, then its type and contents.
 */
#define AGENT_IDENTITIES	11
#define AGENT_IDENTITIES_ANSWER	12
#define AGENT_SIGN		13
#define AGENT_SIGN_RESPONSE	14
#define AGENT_RSA_SHA2_512	4
#define AGENT_MAX		(256 * 1024)	/* what OpenSSH accepts */

static int
send_all(int fd, const char *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		if ((w = send(fd, p, n, MSG_NOSIGNAL)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int
recv_all(int fd, unsigned char *p, size_t n)
{
	ssize_t got;

	while (n > 0) {
		if ((got = read(fd, p, n)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (got == 0)
			return -1;
		p += got;
		n -= (size_t)got;
	}
	return 0;
}

/* One request and its answer, whose type and contents go in *reply. */
static int
agent_call(unsigned char **reply, size_t *replylen, int fd,
    const struct dipb_buf *req)
{
	struct dipb_buf msg = DIPB_BUF_INIT;
	unsigned char h[4];
	uint32_t n;
	int rc;

	*reply = NULL;
	put_u32(&msg, (uint32_t)req->len);
	dipb_buf_put(&msg, req->ptr, req->len);
	rc = send_all(fd, msg.ptr, msg.len);
	dipb_buf_release(&msg);
	if (rc < 0 || recv_all(fd, h, 4) < 0)
		return -1;
	n = (uint32_t)h[0] << 24 | (uint32_t)h[1] << 16 |
	    (uint32_t)h[2] << 8 | h[3];
	if (n == 0 || n > AGENT_MAX)
		return -1;
	*reply = xmalloc(n);
	if (recv_all(fd, *reply, n) < 0) {
		free(*reply);
		*reply = NULL;
		return -1;
	}
	*replylen = n;
	return 0;
}

/* 1 when the agent on fd lists key among its identities. */
static int
agent_has(int fd, const unsigned char *key, size_t keylen)
{
	struct dipb_buf req = DIPB_BUF_INIT;
	unsigned char *reply = NULL;
	const unsigned char *s;
	size_t replylen, n;
	uint32_t nkeys, i;
	struct rd r;
	int found = 0;

	dipb_buf_putc(&req, AGENT_IDENTITIES);
	if (agent_call(&reply, &replylen, fd, &req) < 0)
		goto done;
	r.p = reply + 1;
	r.end = reply + replylen;
	if (reply[0] != AGENT_IDENTITIES_ANSWER || get_u32(&r, &nkeys) < 0)
		goto done;
	for (i = 0; i < nkeys && !found; i++) {
		if (get_string(&r, &s, &n) < 0)
			break;
		found = n == keylen && memcmp(s, key, n) == 0;
		if (get_string(&r, &s, &n) < 0)		/* its comment */
			break;
	}
done:
	free(reply);
	dipb_buf_release(&req);
	return found;
}

int
dipb_sshsig_agent_sign(struct dipb_buf *out, const char *sock,
    const unsigned char *key, size_t keylen, const char *ns,
    const void *msg, size_t len)
{
	const struct dipb_error *err;
	struct dipb_buf req = DIPB_BUF_INIT, data = DIPB_BUF_INIT;
	struct dipb_sshkey k = DIPB_SSHKEY_INIT;
	struct sockaddr_un sa;
	unsigned char *reply = NULL;
	const unsigned char *sig;
	size_t replylen, siglen;
	struct rd r;
	int fd = -1, ok = 0;

	if (sock == NULL || sock[0] == '\0' ||
	    strlen(sock) >= sizeof(sa.sun_path))
		return 0;
	/* Only the keys dipb verify knows (no certificates, no sk-). */
	if ((err = dipb_sshkey_parse_blob(&k, key, keylen)) != NULL) {
		dipb_error_free(err);
		return 0;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, sock, strlen(sock) + 1);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1 ||
	    connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == -1)
		goto done;
	/* As ssh-keygen: the agent is used when it lists the key. */
	if (!agent_has(fd, key, keylen) ||
	    dipb_sshsig_signed_data(&data, ns, "sha512", msg, len) < 0)
		goto done;
	dipb_buf_putc(&req, AGENT_SIGN);
	put_string(&req, key, keylen);
	put_string(&req, data.ptr, data.len);
	put_u32(&req, k.kind == DIPB_SSHKEY_RSA ? AGENT_RSA_SHA2_512 : 0);
	if (agent_call(&reply, &replylen, fd, &req) < 0 ||
	    reply[0] != AGENT_SIGN_RESPONSE)
		goto done;
	r.p = reply + 1;
	r.end = reply + replylen;
	if (get_string(&r, &sig, &siglen) < 0 || r.p != r.end)
		goto done;
	if ((err = armor_checked(out, key, keylen, ns, sig, siglen, msg,
	    len)) != NULL) {
		dipb_error_free(err);
		goto done;
	}
	ok = 1;
done:
	if (fd != -1)
		close(fd);
	free(reply);
	dipb_sshkey_release(&k);
	dipb_buf_release(&req);
	dipb_buf_release(&data);
	return ok;
}

/*
 * sshkey.c - OpenSSH public-key lines and blobs, checked whole, and their
 * OpenSSL keys.
 *
 * A member's key is what dipb-board(5) ("Signing") trusts to name them,
 * so a line that ssh-keygen would not have written is refused when the
 * board is loaded rather than when a signature fails to verify.  The
 * checks stay in code that needs no provider (base64 here, libcrypto's
 * BIGNUM and EC_POINT, libsodium's Ed25519 points): dipb.yaml is loaded by
 * every command, and the provider is loaded only by dipb_sshkey_pkey()
 * (the fingerprint's SHA-256, dipb_sha256, fetches none).
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>
#include <sodium.h>

#include "error.h"
#include "sshkey.h"
#include "util.h"

/* A line longer than this is no key ssh-keygen writes (16384-bit RSA). */
#define LINE_MAX_LEN	(16 * 1024)

static const struct {
	const char		*type;
	enum dipb_sshkey_kind	 kind;
	const char		*curve;		/* ECDSA: the blob's curve name */
	int			 nid;		/* ECDSA: OpenSSL's curve */
	const char		*group;		/* ECDSA: OSSL_PKEY_PARAM_GROUP_NAME */
} types[] = {
	{ "ssh-ed25519", DIPB_SSHKEY_ED25519, NULL, 0, NULL },
	{ "ecdsa-sha2-nistp256", DIPB_SSHKEY_ECDSA_P256, "nistp256",
	  NID_X9_62_prime256v1, "P-256" },
	{ "ecdsa-sha2-nistp384", DIPB_SSHKEY_ECDSA_P384, "nistp384",
	  NID_secp384r1, "P-384" },
	{ "ecdsa-sha2-nistp521", DIPB_SSHKEY_ECDSA_P521, "nistp521",
	  NID_secp521r1, "P-521" },
	{ "ssh-rsa", DIPB_SSHKEY_RSA, NULL, 0, NULL }
};

#define NTYPES	(sizeof(types) / sizeof(types[0]))

/* A cursor over a wire-format blob (RFC 4251 section 5). */
struct rd {
	const unsigned char	*p;
	size_t			 left;
};

/* The next string: 0, or -1 when the blob ends inside it. */
static int
rd_string(struct rd *r, const unsigned char **s, size_t *len)
{
	uint32_t n;

	if (r->left < 4)
		return -1;
	n = (uint32_t)r->p[0] << 24 | (uint32_t)r->p[1] << 16 |
	    (uint32_t)r->p[2] << 8 | (uint32_t)r->p[3];
	if (n > r->left - 4)
		return -1;
	*s = r->p + 4;
	*len = n;
	r->p += 4 + n;
	r->left -= 4 + n;
	return 0;
}

static int
str_is(const unsigned char *s, size_t len, const char *want)
{
	return len == strlen(want) && memcmp(s, want, len) == 0;
}

size_t
dipb_sshkey_cstring(const unsigned char *s, size_t len)
{
	const unsigned char *z = memchr(s, '\0', len);

	if (z == NULL)
		return len;
	return z == s + len - 1 ? len - 1 : (size_t)-1;
}

int
dipb_sshkey_mpint(const unsigned char **s, size_t *len)
{
	if (*len != 0 && (*s)[0] & 0x80)
		return -1;
	if (*len > DIPB_SSHKEY_MPINT_MAX + 1 ||
	    (*len == DIPB_SSHKEY_MPINT_MAX + 1 && (*s)[0] != 0))
		return -1;
	while (*len > 0 && (*s)[0] == 0) {
		(*s)++;
		(*len)--;
	}
	return 0;
}

/*
 * A name from the line or the blob, for a message: at most 40 bytes of
 * printable ASCII, else none, so that no escape sequence reaches a
 * terminal.
 */
static int
showable(const unsigned char *s, size_t len)
{
	size_t i;

	if (len == 0 || len > 40)
		return 0;
	for (i = 0; i < len; i++)
		if (s[i] < 0x21 || s[i] > 0x7e)
			return 0;
	return 1;
}

static int
type_index(const char *type, size_t len)
{
	size_t i;

	for (i = 0; i < NTYPES; i++)
		if (str_is((const unsigned char *)type, len, types[i].type))
			return (int)i;
	return -1;
}

static const struct dipb_error *
truncated(const char *type)
{
	return dipb_error_fmt(DIPB_ERR_INVALID,
	    "truncated %s key: the key data ends before its last field", type);
}

/*
 * A string of the blob, appended to the blob made again (norm) when the
 * caller normalises one.
 */
static void
put_field(struct dipb_buf *norm, const void *s, size_t len)
{
	char n[4];

	if (norm == NULL)
		return;
	n[0] = (char)(len >> 24);
	n[1] = (char)(len >> 16);
	n[2] = (char)(len >> 8);
	n[3] = (char)len;
	dipb_buf_put(norm, n, 4);
	dipb_buf_put(norm, s, len);
}

/*
 * An mpint that must be positive (RFC 4251 section 5): no sign bit, no
 * needless leading zero byte.  Returns a new BIGNUM or NULL, *why set.
 */
static BIGNUM *
mpint_positive(const unsigned char *s, size_t len, const char **why)
{
	BIGNUM *bn;

	if (len == 0) {
		*why = "is zero";
		return NULL;
	}
	if (s[0] & 0x80) {
		*why = "is negative";
		return NULL;
	}
	if (s[0] == 0 && (len == 1 || !(s[1] & 0x80))) {
		*why = "has a needless leading zero byte";
		return NULL;
	}
	if ((bn = BN_bin2bn(s, (int)len, NULL)) == NULL) {
		dipb_oom();
	}
	return bn;
}

/*
 * A signature's blob (norm not NULL): the mpint at *s in its one form,
 * the leading zeros OpenSSH skips (dipb_sshkey_mpint) taken off but the
 * one that keeps it positive; in a key line it stays as it is.
 */
static void
mpint_lax(const unsigned char **s, size_t *len, struct dipb_buf *norm)
{
	if (norm == NULL || dipb_sshkey_mpint(s, len) < 0)
		return;
	if (*len > 0 && (*s)[0] & 0x80) {
		(*s)--;			/* a zero OpenSSH skipped */
		(*len)++;
	}
}

static const struct dipb_error *
check_rsa(struct rd *r, struct dipb_buf *norm)
{
	const struct dipb_error *err = NULL;
	const unsigned char *e, *n;
	size_t elen, nlen;
	const char *why = NULL;
	BIGNUM *be = NULL, *bn = NULL;
	int bits;

	if (rd_string(r, &e, &elen) == -1 || rd_string(r, &n, &nlen) == -1)
		return truncated("ssh-rsa");
	mpint_lax(&e, &elen, norm);
	mpint_lax(&n, &nlen, norm);
	if (nlen > DIPB_SSHKEY_RSA_MAX_BITS / 8 + 1)
		return dipb_error_fmt(DIPB_ERR_INVALID,
		    "ssh-rsa key: modulus longer than %d bits",
		    DIPB_SSHKEY_RSA_MAX_BITS);
	if (elen > 64)
		return dipb_error_fmt(DIPB_ERR_INVALID,
		    "ssh-rsa key: public exponent too long");
	if ((be = mpint_positive(e, elen, &why)) == NULL) {
		err = dipb_error_fmt(DIPB_ERR_INVALID,
		    "ssh-rsa key: public exponent %s", why);
		goto done;
	}
	if (!BN_is_odd(be) || BN_is_one(be)) {
		err = dipb_error_fmt(DIPB_ERR_INVALID,
		    "ssh-rsa key: public exponent is not an odd number above 1");
		goto done;
	}
	if ((bn = mpint_positive(n, nlen, &why)) == NULL) {
		err = dipb_error_fmt(DIPB_ERR_INVALID,
		    "ssh-rsa key: modulus %s", why);
		goto done;
	}
	bits = BN_num_bits(bn);
	if (bits < DIPB_SSHKEY_RSA_MIN_BITS) {
		err = dipb_error_fmt(DIPB_ERR_INVALID,
		    "ssh-rsa key of %d bits: at least %d are needed "
		    "(ssh-keygen -t ed25519 makes a short, strong key)",
		    bits, DIPB_SSHKEY_RSA_MIN_BITS);
		goto done;
	}
	if (bits > DIPB_SSHKEY_RSA_MAX_BITS) {
		err = dipb_error_fmt(DIPB_ERR_INVALID,
		    "ssh-rsa key of %d bits: at most %d are allowed",
		    bits, DIPB_SSHKEY_RSA_MAX_BITS);
		goto done;
	}
	if (!BN_is_odd(bn)) {
		err = dipb_error_fmt(DIPB_ERR_INVALID,
		    "ssh-rsa key: modulus is even");
		goto done;
	}
	put_field(norm, e, elen);
	put_field(norm, n, nlen);
done:
	BN_free(be);
	BN_free(bn);
	return err;
}

static const struct dipb_error *
check_ecdsa(struct rd *r, int t, struct dipb_buf *norm)
{
	const struct dipb_error *err = NULL;
	const unsigned char *curve, *q;
	size_t curvelen, qlen;
	EC_GROUP *g = NULL;
	EC_POINT *pt = NULL;

	if (rd_string(r, &curve, &curvelen) == -1 ||
	    rd_string(r, &q, &qlen) == -1)
		return truncated(types[t].type);
	if (norm != NULL && dipb_sshkey_cstring(curve, curvelen) !=
	    (size_t)-1)
		curvelen = dipb_sshkey_cstring(curve, curvelen);
	if (!str_is(curve, curvelen, types[t].curve)) {
		if (!showable(curve, curvelen))
			return dipb_error_fmt(DIPB_ERR_INVALID,
			    "%s key names another curve than %s",
			    types[t].type, types[t].curve);
		return dipb_error_fmt(DIPB_ERR_INVALID,
		    "%s key names the curve '%.*s', not %s", types[t].type,
		    (int)curvelen, (const char *)curve, types[t].curve);
	}
	/* Uncompressed points only, as OpenSSH writes them. */
	if (qlen == 0 || q[0] != 0x04)
		return dipb_error_fmt(DIPB_ERR_INVALID,
		    "%s key: the point is not in uncompressed form",
		    types[t].type);
	if ((g = EC_GROUP_new_by_curve_name(types[t].nid)) == NULL ||
	    (pt = EC_POINT_new(g)) == NULL) {
		err = dipb_error_fmt(DIPB_ERR_INTERNAL,
		    "libcrypto has no curve %s", types[t].curve);
		goto done;
	}
	/* oct2point checks the length and that the point is on the curve. */
	if (EC_POINT_oct2point(g, pt, q, qlen, NULL) != 1 ||
	    EC_POINT_is_at_infinity(g, pt)) {
		err = dipb_error_fmt(DIPB_ERR_INVALID,
		    "%s key: the point is not on the curve %s", types[t].type,
		    types[t].curve);
		goto done;
	}
	put_field(norm, curve, curvelen);
	put_field(norm, q, qlen);
done:
	EC_POINT_free(pt);
	EC_GROUP_free(g);
	return err;
}

/*
 * A member's Ed25519 key must be a point of the curve, in its canonical
 * encoding, of the prime-order subgroup (libsodium): a key of small order,
 * like the identity point, verifies signatures anyone can make.
 */
static const struct dipb_error *
check_ed25519(const unsigned char *k, size_t klen, struct dipb_buf *norm)
{
	if (klen != 32)
		return dipb_error_fmt(DIPB_ERR_INVALID,
		    "ssh-ed25519 key of %zu bytes, not 32", klen);
	put_field(norm, k, klen);
	/*
	 * A signature's key needs no check: it must be a member's to count,
	 * and libsodium refuses a small-order one when it verifies.
	 */
	if (norm != NULL)
		return NULL;
	if (!dipb_sshkey_sodium_ready())
		return dipb_error_fmt(DIPB_ERR_INTERNAL,
		    "libsodium cannot start");
	if (!crypto_core_ed25519_is_valid_point(k))
		return dipb_error_fmt(DIPB_ERR_INVALID,
		    "ssh-ed25519 key that is not a point of the curve's "
		    "prime-order group (a weak key: signatures anyone can "
		    "make would verify with it)");
	return NULL;
}

/*
 * Checks blob as a key of type index t (or any, t == -1).  norm NULL: as
 * ssh-keygen writes it (a key line); else as OpenSSH reads it (a
 * signature's key: a type or curve name with one NUL after it, mpints
 * with leading zeros), the same key written again in its one form into
 * norm.
 */
static const struct dipb_error *
check_blob(int *tout, const unsigned char *blob, size_t len, int t,
    struct dipb_buf *norm)
{
	const struct dipb_error *err = NULL;
	struct rd r = { blob, len };
	const unsigned char *s, *k;
	size_t slen, klen;
	int bt;

	if (rd_string(&r, &s, &slen) == -1)
		return dipb_error_fmt(DIPB_ERR_INVALID,
		    "truncated key: the key data is too short to hold its type");
	if (norm != NULL && dipb_sshkey_cstring(s, slen) != (size_t)-1)
		slen = dipb_sshkey_cstring(s, slen);
	bt = type_index((const char *)s, slen);
	if (t != -1 && !str_is(s, slen, types[t].type)) {
		if (bt != -1)
			return dipb_error_fmt(DIPB_ERR_INVALID,
			    "the line says %s but its key data is an %s key",
			    types[t].type, types[bt].type);
		return dipb_error_fmt(DIPB_ERR_INVALID,
		    "the line says %s but its key data is not an %s key",
		    types[t].type, types[t].type);
	}
	if (bt == -1)
		return dipb_error_fmt(DIPB_ERR_INVALID,
		    "unsupported key type in the key data "
		    "(ssh-ed25519, ecdsa-sha2-nistp256/384/521, ssh-rsa)");
	put_field(norm, types[bt].type, strlen(types[bt].type));
	switch (types[bt].kind) {
	case DIPB_SSHKEY_ED25519:
		if (rd_string(&r, &k, &klen) == -1)
			return truncated(types[bt].type);
		err = check_ed25519(k, klen, norm);
		break;
	case DIPB_SSHKEY_ECDSA_P256:
	case DIPB_SSHKEY_ECDSA_P384:
	case DIPB_SSHKEY_ECDSA_P521:
		err = check_ecdsa(&r, bt, norm);
		break;
	case DIPB_SSHKEY_RSA:
		err = check_rsa(&r, norm);
		break;
	}
	if (err == NULL && r.left != 0)
		err = dipb_error_fmt(DIPB_ERR_INVALID,
		    "%s key: %zu bytes after its last field", types[bt].type,
		    r.left);
	*tout = bt;
	return err;
}

void
dipb_sshkey_init(struct dipb_sshkey *k)
{
	memset(k, 0, sizeof(*k));
	k->kind = DIPB_SSHKEY_ED25519;
}

void
dipb_sshkey_release(struct dipb_sshkey *k)
{
	if (k == NULL)
		return;
	free(k->type);
	free(k->blob);
	free(k->comment);
	dipb_sshkey_init(k);
}

static int
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* A base64 digit's value, or -1. */
static int
b64_digit(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* isspace() of the C locale, which b64_pton skips. */
static int
b64_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' ||
	    c == '\f' || c == '\r';
}

/* The padding of a last group of `have' digits at [s, end): 0, or -1. */
static int
b64_padding(const char *s, const char *end, int have)
{
	int want = 4 - have;

	if (have < 2)
		return -1;
	for (; s < end; s++) {
		if (b64_space(*s))
			continue;
		if (*s != '=' || want == 0)
			return -1;
		want--;
	}
	return want == 0 ? 0 : -1;
}

int
dipb_sshkey_unbase64(unsigned char **out, size_t *outlen, const char *s,
    size_t len)
{
	const char *end = s + len;
	unsigned char *buf = xmalloc(len / 4 * 3 + 3);
	uint32_t acc = 0;
	size_t n = 0;
	int have = 0, d;

	*out = NULL;
	for (; s < end && *s != '='; s++) {
		if (b64_space(*s))
			continue;
		if ((d = b64_digit(*s)) < 0)
			goto bad;
		acc = acc << 6 | (uint32_t)d;
		if (++have == 4) {
			buf[n++] = (unsigned char)(acc >> 16);
			buf[n++] = (unsigned char)(acc >> 8);
			buf[n++] = (unsigned char)acc;
			acc = 0;
			have = 0;
		}
	}
	if (s == end && have != 0)
		goto bad;
	if (s < end) {
		/* The unused bits of the last digit: zero, one text a blob. */
		if (b64_padding(s, end, have) < 0 ||
		    (acc & (have == 2 ? 0xf : 0x3)) != 0)
			goto bad;
		if (have == 2)
			buf[n++] = (unsigned char)(acc >> 4);
		else {
			buf[n++] = (unsigned char)(acc >> 10);
			buf[n++] = (unsigned char)(acc >> 2);
		}
	}
	*out = buf;
	*outlen = n;
	return 0;
bad:
	free(buf);
	return -1;
}

/*
 * libsodium: Ed25519 verification (and the SHA-2 of messages, sshsig.c),
 * without EVP's allocations and provider look-ups (README, "Layout and
 * dependencies"), and the check of a member's key.  sodium_init() is
 * once per process.
 */
static pthread_once_t sodium_once = PTHREAD_ONCE_INIT;
static int sodium_ok;

static void
sodium_start(void)
{
	sodium_ok = sodium_init() >= 0;
}

int
dipb_sshkey_sodium_ready(void)
{
	pthread_once(&sodium_once, sodium_start);
	return sodium_ok;
}

/* The key data of a line, which the caller encodes again to compare. */
static const struct dipb_error *
decode_b64(unsigned char **out, size_t *outlen, const char *s, size_t len)
{
	if (dipb_sshkey_unbase64(out, outlen, s, len) < 0)
		return dipb_error_fmt(DIPB_ERR_INVALID,
		    "the key data is not valid base64");
	return NULL;
}

static char *
encode_b64(const unsigned char *p, size_t len)
{
	char *s = xmalloc((len + 2) / 3 * 4 + 1);

	EVP_EncodeBlock((unsigned char *)s, p, (int)len);
	return s;
}

const struct dipb_error *
dipb_sshkey_parse(struct dipb_sshkey *out, const char *line)
{
	const struct dipb_error *err = NULL;
	const char *p, *type, *b64, *end;
	size_t typelen, b64len;
	unsigned char *blob = NULL;
	size_t bloblen = 0;
	char *again = NULL;
	int t, bt;

	dipb_sshkey_release(out);
	if (strlen(line) > LINE_MAX_LEN)
		return dipb_error_fmt(DIPB_ERR_INVALID,
		    "public-key line longer than %d bytes", LINE_MAX_LEN);
	for (p = line; is_blank(*p); p++)
		;
	type = p;
	while (*p != '\0' && !is_blank(*p))
		p++;
	typelen = (size_t)(p - type);
	while (is_blank(*p))
		p++;
	b64 = p;
	while (*p != '\0' && !is_blank(*p))
		p++;
	b64len = (size_t)(p - b64);
	while (is_blank(*p))
		p++;
	if (typelen == 0)
		return dipb_error_fmt(DIPB_ERR_INVALID,
		    "empty public-key line: give \"<type> <base64> "
		    "[comment]\", the line of the key's .pub file");
	if ((t = type_index(type, typelen)) == -1)
		return dipb_error_fmt(DIPB_ERR_INVALID,
		    "unsupported key type%s%.*s%s (ssh-ed25519, "
		    "ecdsa-sha2-nistp256/384/521, ssh-rsa): give the line of "
		    "the key's .pub file",
		    showable((const unsigned char *)type, typelen) ? " '" : "",
		    showable((const unsigned char *)type, typelen) ?
		    (int)typelen : 0, type,
		    showable((const unsigned char *)type, typelen) ? "'" : "");
	if (b64len == 0)
		return dipb_error_fmt(DIPB_ERR_INVALID,
		    "%s key without its key data: give \"<type> <base64> "
		    "[comment]\"", types[t].type);
	if ((err = decode_b64(&blob, &bloblen, b64, b64len)) != NULL)
		goto done;
	again = encode_b64(blob, bloblen);
	if (strlen(again) != b64len || memcmp(again, b64, b64len) != 0) {
		err = dipb_error_fmt(DIPB_ERR_INVALID,
		    "the key data is not valid base64");
		goto done;
	}
	if ((err = check_blob(&bt, blob, bloblen, t, NULL)) != NULL)
		goto done;
	out->kind = types[t].kind;
	out->type = xstrdup(types[t].type);
	out->blob = blob;
	out->bloblen = bloblen;
	blob = NULL;
	if (*p != '\0') {
		for (end = p + strlen(p); end > p && (is_blank(end[-1]) ||
		    end[-1] == '\n' || end[-1] == '\r'); end--)
			;
		out->comment = xstrndup(p, (size_t)(end - p));
	}
done:
	free(again);
	free(blob);
	return err;
}

const struct dipb_error *
dipb_sshkey_parse_blob(struct dipb_sshkey *out, const unsigned char *blob,
    size_t len)
{
	const struct dipb_error *err;
	struct dipb_buf norm = DIPB_BUF_INIT;
	int t = -1;

	dipb_sshkey_release(out);
	if ((err = check_blob(&t, blob, len, -1, &norm)) != NULL) {
		dipb_buf_release(&norm);
		return err;
	}
	out->kind = types[t].kind;
	out->type = xstrdup(types[t].type);
	out->bloblen = norm.len;
	out->blob = (unsigned char *)dipb_buf_detach(&norm);
	return NULL;
}

/* The fields after the type string of a blob that check_blob() passed. */
static void
fields(const struct dipb_sshkey *k, const unsigned char **a, size_t *alen,
    const unsigned char **b, size_t *blen)
{
	struct rd r = { k->blob, k->bloblen };
	const unsigned char *s;
	size_t slen;

	*a = *b = NULL;
	*alen = *blen = 0;
	(void)rd_string(&r, &s, &slen);
	(void)rd_string(&r, a, alen);
	if (k->kind != DIPB_SSHKEY_ED25519)
		(void)rd_string(&r, b, blen);
}

static int
kind_index(enum dipb_sshkey_kind kind)
{
	size_t i;

	for (i = 0; i < NTYPES; i++)
		if (types[i].kind == kind)
			return (int)i;
	return 0;
}

const struct dipb_error *
dipb_sshkey_pkey(EVP_PKEY **out, const struct dipb_sshkey *k)
{
	const struct dipb_error *err = NULL;
	const unsigned char *a, *b;
	size_t alen, blen;
	OSSL_PARAM_BLD *bld = NULL;
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	BIGNUM *e = NULL, *n = NULL;
	const char *alg;
	int t = kind_index(k->kind);

	*out = NULL;
	if (k->blob == NULL)
		return dipb_error_fmt(DIPB_ERR_INTERNAL, "no key to convert");
	fields(k, &a, &alen, &b, &blen);
	if (k->kind == DIPB_SSHKEY_ED25519) {
		*out = EVP_PKEY_new_raw_public_key_ex(NULL, "ED25519", NULL,
		    a, alen);
		if (*out == NULL)
			return dipb_error_fmt(DIPB_ERR_INVALID,
			    "libcrypto refuses the ssh-ed25519 key");
		return NULL;
	}
	if ((bld = OSSL_PARAM_BLD_new()) == NULL)
		goto oom;
	if (k->kind == DIPB_SSHKEY_RSA) {
		alg = "RSA";
		if ((e = BN_bin2bn(a, (int)alen, NULL)) == NULL ||
		    (n = BN_bin2bn(b, (int)blen, NULL)) == NULL ||
		    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) ||
		    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e))
			goto oom;
	} else {
		alg = "EC";
		if (!OSSL_PARAM_BLD_push_utf8_string(bld,
		    OSSL_PKEY_PARAM_GROUP_NAME, types[t].group, 0) ||
		    !OSSL_PARAM_BLD_push_octet_string(bld,
		    OSSL_PKEY_PARAM_PUB_KEY, b, blen))
			goto oom;
	}
	if ((params = OSSL_PARAM_BLD_to_param(bld)) == NULL)
		goto oom;
	if ((ctx = EVP_PKEY_CTX_new_from_name(NULL, alg, NULL)) == NULL ||
	    EVP_PKEY_fromdata_init(ctx) != 1 ||
	    EVP_PKEY_fromdata(ctx, out, EVP_PKEY_PUBLIC_KEY, params) != 1) {
		*out = NULL;
		err = dipb_error_fmt(DIPB_ERR_INVALID,
		    "libcrypto refuses the %s key", types[t].type);
	}
	goto done;
oom:
	err = dipb_error_fmt(DIPB_ERR_INTERNAL,
	    "libcrypto cannot build the %s key", types[t].type);
done:
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_free(e);
	BN_free(n);
	return err;
}

char *
dipb_sshkey_canonical(const struct dipb_sshkey *k)
{
	char *b64 = encode_b64(k->blob, k->bloblen);
	char *s = xasprintf("%s %s", k->type, b64);

	free(b64);
	return s;
}

char *
dipb_sshkey_fingerprint(const struct dipb_sshkey *k)
{
	unsigned char md[32];
	char *b64, *s;
	size_t len;

	dipb_sha256(md, k->blob, k->bloblen);
	b64 = encode_b64(md, sizeof(md));
	len = strlen(b64);
	while (len > 0 && b64[len - 1] == '=')
		b64[--len] = '\0';
	s = xasprintf("SHA256:%s", b64);
	free(b64);
	return s;
}

int
dipb_sshkey_equal(const struct dipb_sshkey *a, const struct dipb_sshkey *b)
{
	return a->bloblen == b->bloblen &&
	    memcmp(a->blob, b->blob, a->bloblen) == 0;
}

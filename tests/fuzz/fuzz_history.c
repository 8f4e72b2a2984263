/*
 * fuzz_history.c - libFuzzer harness over what dipb reads of the history
 * another clone wrote (dipb sync fetches it; dipb verify, log and report
 * read it): a commit's and a tag's bytes (git/objparse.c: headers,
 * signature, payload, message), the trailers and the subject and body of
 * a message (trailer.c), an armored SSH signature (sshsig.c) and its
 * verification, a private key file (dipb_sshsig_key_load), a public-key
 * line (sshkey.c), and a date as git reads one (date.c).  No libgit2
 * call: git/objparse.c is the pure half of git/object.c.
 *
 * The first byte of an input picks the parser; the rest is its input.
 * Beyond "no crash", it aborts when:
 *  - a tag's payload and signature are not its bytes split in two, or a
 *    commit's payload or message is longer than the commit;
 *  - the trailer block lies outside the message;
 *  - an armored signature that parses, armored again, parses to other
 *    fields;
 *  - a signature verifies over the fixed message, or the fixed signature
 *    over another message, unless it is the fixed key's own signature of
 *    that message: one (key, message, signature) triple, made at start,
 *    whose signature, key or message mutated in place must never verify;
 *  - a key line that parses, written canonically, parses to another key;
 *  - a date that parses, written in git's internal form ("@<secs>
 *    <+hhmm>"), parses to another time.
 *
 *	make fuzz [FUZZ_SECONDS=300]	(clang -fsanitize=fuzzer,address,undefined)
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "error.h"
#include "git/internal.h"
#include "sshkey.h"
#include "sshsig.h"
#include "trailer.h"
#include "util.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* A throwaway key, made for this harness only. */
static const char key_text[] =
    "-----BEGIN OPENSSH PRIVATE KEY-----\n"
    "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n"
    "QyNTUxOQAAACD1i4gTdSuXk6ulO7O3WTpEGDafzUfUn/NHMSleNgHcIgAAAJjnfpJ7536S\n"
    "ewAAAAtzc2gtZWQyNTUxOQAAACD1i4gTdSuXk6ulO7O3WTpEGDafzUfUn/NHMSleNgHcIg\n"
    "AAAEDHvgn3gxBfFzn2UH6JBJaVkgZ7jBF/IUF69kMOuxHT5PWLiBN1K5eTq6U7s7dZOkQY\n"
    "Np/NR9Sf80cxKV42AdwiAAAAEWZ1enpAZGlwYi5pbnZhbGlkAQIDBA==\n"
    "-----END OPENSSH PRIVATE KEY-----\n";

static const char fixed_msg[] =
    "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n"
    "author Dan Drafter <dan@example.org> 1700000000 +0100\n"
    "committer Dan Drafter <dan@example.org> 1700000000 +0100\n"
    "\n"
    "IC-0001: submit\n"
    "\n"
    "Dipb-Record: IC-0001\n";

static struct dipb_buf fixed_armor = DIPB_BUF_INIT;
static struct dipb_sshsig fixed;
static struct dipb_sshkey fixed_key;

enum { T_COMMIT, T_TAG, T_TRAILERS, T_SSHSIG, T_MUTATE, T_KEYFILE,
	T_KEYLINE, T_DATE, T_N };

static void
fail(const char *what)
{
	fprintf(stderr, "fuzz_history: %s\n", what);
	abort();
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct dipb_sshsig_key k;

	(void)argc;
	(void)argv;
	if (dipb_sshsig_key_load(&k, key_text, strlen(key_text)) != 1)
		fail("the fixed key does not load");
	if (dipb_sshsig_sign(&fixed_armor, &k, DIPB_SSHSIG_NAMESPACE,
	    fixed_msg, strlen(fixed_msg)) != NULL)
		fail("the fixed key does not sign");
	dipb_sshsig_key_release(&k);
	if (dipb_sshsig_parse(&fixed, fixed_armor.ptr, fixed_armor.len) !=
	    NULL)
		fail("the fixed signature does not parse");
	dipb_sshkey_init(&fixed_key);
	if (dipb_sshkey_parse_blob(&fixed_key, fixed.key, fixed.keylen) !=
	    NULL)
		fail("the fixed key blob does not parse");
	return 0;
}

/* A parsed signature verified: asserts no answer, only that verifying
 * it neither crashes nor leaks (the sanitizers say). */
static void
verify_no_crash(const struct dipb_sshsig *s, const void *msg, size_t len)
{
	const struct dipb_error *err;

	if ((err = dipb_sshsig_verify(s, DIPB_SSHSIG_NAMESPACE, msg, len)) !=
	    NULL)
		dipb_error_free(err);
}

/*
 * A trailer parsed is one of its block (trailer.h): its key, letters,
 * digits and '-', written there; its value unfolded to one line.
 */
static void
trailer(const struct dipb_trailer *tr, const char *block, size_t len)
{
	size_t i, kn = strlen(tr->key);

	if (kn == 0 || strspn(tr->key, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") != kn)
		fail("a trailer's key is not letters, digits and '-'");
	for (i = 0; i + kn <= len && memcmp(block + i, tr->key, kn) != 0; i++)
		;
	if (i + kn > len)
		fail("a trailer's key is not in the trailer block");
	if (strchr(tr->value, '\n') != NULL)
		fail("a trailer's value is more than one line");
}

static void
message(const char *msg, size_t len)
{
	struct dipb_trailers t;
	const char *v;
	size_t i, n, rest;
	char *title;

	dipb_trailers_parse(&t, msg, len);
	if (t.start > t.end || t.end > len)
		fail("the trailer block lies outside the message");
	for (i = 0; i < t.n; i++)
		trailer(&t.v[i], msg + t.start, t.end - t.start);
	title = dipb_message_title(&rest, msg, len);
	if (rest > len)
		fail("the rest of the message starts after its end");
	free(title);
	v = dipb_message_body(&n, msg, len, &t);
	if (n > 0 && (v < msg || v + n > msg + len))
		fail("the body lies outside the message");
	dipb_message_body(&n, msg, len, NULL);
	dipb_trailers_release(&t);
}

static void
signature(const char *armor, size_t len, const void *msg, size_t mlen)
{
	struct dipb_sshsig s;
	const struct dipb_error *err;

	if ((err = dipb_sshsig_parse(&s, armor, len)) != NULL)
		dipb_error_free(err);
	else
		verify_no_crash(&s, msg, mlen);
	dipb_sshsig_release(&s);
}

static void
commit(const char *data, size_t len)
{
	struct dipb_commit c;
	const char *line;

	if (dipb_git_commit_parse(&c, &line, data, len) == NULL) {
		if (c.payload_len > len || c.message_len > len ||
		    c.signature_len > len)
			fail("a commit's part longer than the commit");
		/* its message ends at its first NUL, as git's (objparse.c),
		 * and is its bytes, never converted (repo.h) */
		if (strlen(c.message) != c.message_len)
			fail("a commit's message_len is not its length");
		message(c.message, c.message_len);
		if (c.signature != NULL)
			signature(c.signature, c.signature_len, c.payload,
			    c.payload_len);
	}
	dipb_commit_release(&c);
}

static void
tag(const char *data, size_t len)
{
	struct dipb_tag t;
	const char *line;

	if (dipb_git_tag_parse(&t, &line, data, len) == NULL &&
	    t.signature != NULL) {
		if (t.payload_len + t.signature_len != len ||
		    memcmp(t.payload, data, t.payload_len) != 0 ||
		    memcmp(t.signature, data + t.payload_len,
		    t.signature_len) != 0)
			fail("a tag's payload and signature are not its bytes");
		signature(t.signature, t.signature_len, t.payload,
		    t.payload_len);
	}
	dipb_tag_release(&t);
}

/* The raw signature inside s->sig (string type, string signature). */
static int
raw_sig(const unsigned char **p, size_t *n, const struct dipb_sshsig *s)
{
	uint32_t l;
	size_t off;

	if (s->siglen < 4)
		return -1;
	l = (uint32_t)s->sig[0] << 24 | (uint32_t)s->sig[1] << 16 |
	    (uint32_t)s->sig[2] << 8 | s->sig[3];
	if (l > s->siglen - 4 || s->siglen - 4 - l < 4)
		return -1;
	off = 4 + l;
	l = (uint32_t)s->sig[off] << 24 | (uint32_t)s->sig[off + 1] << 16 |
	    (uint32_t)s->sig[off + 2] << 8 | s->sig[off + 3];
	if (l > s->siglen - off - 4)
		return -1;
	*p = s->sig + off + 4;
	*n = l;
	return 0;
}

/* s verified over the fixed message: it must be the fixed signature. */
static void
same_as_fixed(const struct dipb_sshsig *s)
{
	struct dipb_sshkey k;
	const unsigned char *a, *b;
	size_t na, nb;

	dipb_sshkey_init(&k);
	if (dipb_sshkey_parse_blob(&k, s->key, s->keylen) != NULL ||
	    !dipb_sshkey_equal(&k, &fixed_key))
		fail("a signature by another key verified over the fixed "
		    "message");
	dipb_sshkey_release(&k);
	if (strcmp(s->hashalg, fixed.hashalg) != 0 ||
	    raw_sig(&a, &na, s) < 0 || raw_sig(&b, &nb, &fixed) < 0 ||
	    na != nb || memcmp(a, b, na) != 0)
		fail("another signature verified over the fixed message");
}

/* Any armor: parsed, armored again to the same fields; verified. */
static void
sshsig(const char *armor, size_t len)
{
	struct dipb_sshsig s, again;
	struct dipb_buf b = DIPB_BUF_INIT;
	const struct dipb_error *err;

	if ((err = dipb_sshsig_parse(&s, armor, len)) != NULL) {
		dipb_error_free(err);
		dipb_sshsig_release(&s);
		return;
	}
	dipb_sshsig_armor(&b, s.key, s.keylen, s.ns, s.hashalg, s.sig,
	    s.siglen);
	if (dipb_sshsig_parse(&again, b.ptr, b.len) != NULL ||
	    again.keylen != s.keylen || memcmp(again.key, s.key,
	    s.keylen) != 0 || strcmp(again.ns, s.ns) != 0 ||
	    strcmp(again.hashalg, s.hashalg) != 0 ||
	    again.siglen != s.siglen || memcmp(again.sig, s.sig,
	    s.siglen) != 0)
		fail("a signature armored again parses to other fields");
	dipb_sshsig_release(&again);
	dipb_buf_release(&b);
	if ((err = dipb_sshsig_verify(&s, DIPB_SSHSIG_NAMESPACE, fixed_msg,
	    strlen(fixed_msg))) == NULL)
		same_as_fixed(&s);
	else
		dipb_error_free(err);
	dipb_sshsig_release(&s);
}

/*
 * The fixed triple, one part XORed with the input (the second byte
 * picks the part): any change must make it fail.
 */
static void
mutate(const unsigned char *data, size_t len)
{
	struct dipb_sshsig s = fixed;
	unsigned char *bytes, *key, *sig;
	const struct dipb_error *err;
	size_t n, i, at;
	int changed = 0;
	char *msg;

	if (len < 3)
		return;
	key = xmalloc(fixed.keylen);
	memcpy(key, fixed.key, fixed.keylen);
	sig = xmalloc(fixed.siglen);
	memcpy(sig, fixed.sig, fixed.siglen);
	msg = xstrdup(fixed_msg);
	s.key = key;
	s.sig = sig;
	switch (data[0] % 3) {
	case 0:
		bytes = sig;
		n = fixed.siglen;
		break;
	case 1:
		bytes = key;
		n = fixed.keylen;
		break;
	default:
		bytes = (unsigned char *)msg;
		n = strlen(msg);
		break;
	}
	at = data[1] % n;
	for (i = 2; i < len && at < n; i++, at++) {
		bytes[at] ^= data[i];
		changed |= data[i] != 0;
	}
	err = dipb_sshsig_verify(&s, DIPB_SSHSIG_NAMESPACE, msg, strlen(msg));
	if (err == NULL && changed)
		fail("the fixed signature verified with a byte changed");
	if (err == NULL)
		same_as_fixed(&s);
	dipb_error_free(err);
	free(msg);
	free(sig);
	free(key);
}

static void
keyfile(const char *data, size_t len)
{
	struct dipb_sshsig_key k;
	struct dipb_buf b = DIPB_BUF_INIT;

	if (dipb_sshsig_key_load(&k, data, len) != 1)
		return;
	/* The key it loads signs, and its signature verifies (sign's
	 * own check). */
	if (dipb_sshsig_sign(&b, &k, DIPB_SSHSIG_NAMESPACE, data, len) ==
	    NULL)
		signature(b.ptr, b.len, data, len);
	dipb_buf_release(&b);
	dipb_sshsig_key_release(&k);
}

static void
keyline(const char *s)
{
	struct dipb_sshkey k, again;
	const struct dipb_error *err;
	char *c, *fp;

	dipb_sshkey_init(&k);
	dipb_sshkey_init(&again);
	if ((err = dipb_sshkey_parse(&k, s)) != NULL) {
		dipb_error_free(err);
		dipb_sshkey_release(&k);
		return;
	}
	c = dipb_sshkey_canonical(&k);
	if (dipb_sshkey_parse(&again, c) != NULL ||
	    !dipb_sshkey_equal(&k, &again))
		fail("a key line written canonically parses to another key");
	fp = dipb_sshkey_fingerprint(&k);
	free(fp);
	free(c);
	dipb_sshkey_release(&again);
	dipb_sshkey_release(&k);
}

static void
date(const char *s)
{
	struct dipb_civil c;
	int64_t t, t2;
	int off, off2, a;
	char ymd[11], internal[64];

	if (dipb_date_parse_git(s, &t, &off) < 0)
		return;
	dipb_date_civil(&c, t, off);
	dipb_date_ymd(ymd, t, off);
	if (t < 0)
		return;
	a = off < 0 ? -off : off;
	if (a >= 100 * 60)
		return;
	snprintf(internal, sizeof(internal), "@%" PRId64 " %c%02d%02d", t,
	    off < 0 ? '-' : '+', a / 60, a % 60);
	if (dipb_date_parse_git(internal, &t2, &off2) < 0 || t2 != t ||
	    off2 != off) {
		fprintf(stderr, "%s -> %s\n", s, internal);
		fail("a date written in git's internal form reads another");
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data + 1;
	size_t len = size - 1;
	char *s;

	if (size == 0)
		return 0;
	switch (data[0] % T_N) {
	case T_COMMIT:
		commit(buf, len);
		break;
	case T_TAG:
		tag(buf, len);
		break;
	case T_TRAILERS:
		message(buf, len);
		break;
	case T_SSHSIG:
		sshsig(buf, len);
		break;
	case T_MUTATE:
		mutate(data + 1, len);
		break;
	case T_KEYFILE:
		keyfile(buf, len);
		break;
	case T_KEYLINE:
		s = xstrndup(buf, len);
		keyline(s);
		free(s);
		break;
	default:
		s = xstrndup(buf, len);
		date(s);
		free(s);
		break;
	}
	return 0;
}

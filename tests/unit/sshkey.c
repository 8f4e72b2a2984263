/*
 * Unit tests of sshkey.c: public-key lines made by ssh-keygen (OpenSSH
 * 9.2) of each type, their fingerprints as ssh-keygen -l prints them,
 * their OpenSSL keys against ssh-keygen -e -m PKCS8, and bad lines.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "error.h"
#include "sshkey.h"
#include "util.h"

#define ED25519 "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFunMLSLwbDs+AHJSmuCIUr3AOGgr9VQ6nCRM7/pptfE"
#define P256 "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBN25DPE+c5cI2LT/AbvXUJhWZ7jXBYdnwry42z0i99FeSQi3XGBhuGiuDOA8tjZ4hj2WnMPvW9/gyLeLIp7YXrc="
#define P384 "ecdsa-sha2-nistp384 AAAAE2VjZHNhLXNoYTItbmlzdHAzODQAAAAIbmlzdHAzODQAAABhBKXzBa5MNssgt3sVjddMtwnWUJ/DDyNg4BmQ0YdtuFtCnM4mCaUeN3P0lXBZgMkz3ofAT5eLCQdI7Vp4C+Z7883u6PyeWk23N4PAoTVN9H6lOL7sHuDQtHjQx5evIqFQcg=="
#define P521 "ecdsa-sha2-nistp521 AAAAE2VjZHNhLXNoYTItbmlzdHA1MjEAAAAIbmlzdHA1MjEAAACFBADX6GkfPZpPhnIlQ7VbpsnwXkMmSrt+GHu/ppiH+VuG9a9cUurbK84LMFHPN/tty7B9JwdKIHebJGNgDDUuyiMotADYy83pUBXB83qiFtfEYyNGVMdfLVPUjRiXStPEbAIAUuvWuwZ5T8brGJnCIv79gcQiVr/CCWn5F3IqCmAYHL0wdA=="
#define RSA2048 "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC+xTCWWq0E8mnQesr49ElKenNQqIrNmOl2yri+ApK7sC2BUj4qrLZg4bpONuKM5mXd+ZXxyfXZwt8UvhjLOr9SsbLZvVj3a4SMtYxKt8mwbPgjWh78OhtFeTV3LeeMVMwIFALOFpktwvUOuGjgg1ACnfTODHcCN8OZpCVyIm3nqrGn74GsNySwa2HigwnTdXmJM4fVKxNlw7e6h35P1Y9d8XhduVmZsb9rU7SzppjxGBNYSLeZpX494bs6EPNGCsqmkucur54ctW43rvMNjdIEaDqJrfY5sParYQZNuygJb5pP7cMu9bpZFXUcMySqz2ALLaR7yLp12fymO1bNeivN"
#define RSA1024 "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQDMBUtHp7kp771Y/XxueOCRr8lrnbDjfjUIR1JtsKncJFHz6z6LjK3UVgHMZZsdVVb1SJToBfeoWSWLBNhhYvkvFHK8rHZNgOKBdHOynRAFDCkb3amjJnIAvOGy4+cKDl6ZJnVhUakcn5ss5uGUSimmWuneVElOJbn8DNQFwvPHhQ=="

/* ssh-keygen -e -m PKCS8 -f <key>.pub (it exports no ed25519 key). */
static const char pem_p256[] =
"-----BEGIN PUBLIC KEY-----\n"
"MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE3bkM8T5zlwjYtP8Bu9dQmFZnuNcF\n"
"h2fCvLjbPSL30V5JCLdcYGG4aK4M4Dy2NniGPZacw+9b3+DIt4sinthetw==\n"
"-----END PUBLIC KEY-----\n";
static const char pem_p384[] =
"-----BEGIN PUBLIC KEY-----\n"
"MHYwEAYHKoZIzj0CAQYFK4EEACIDYgAEpfMFrkw2yyC3exWN10y3CdZQn8MPI2Dg\n"
"GZDRh224W0KcziYJpR43c/SVcFmAyTPeh8BPl4sJB0jtWngL5nvzze7o/J5aTbc3\n"
"g8ChNU30fqU4vuwe4NC0eNDHl68ioVBy\n"
"-----END PUBLIC KEY-----\n";
static const char pem_p521[] =
"-----BEGIN PUBLIC KEY-----\n"
"MIGbMBAGByqGSM49AgEGBSuBBAAjA4GGAAQA1+hpHz2aT4ZyJUO1W6bJ8F5DJkq7\n"
"fhh7v6aYh/lbhvWvXFLq2yvOCzBRzzf7bcuwfScHSiB3myRjYAw1LsojKLQA2MvN\n"
"6VAVwfN6ohbXxGMjRlTHXy1T1I0Yl0rTxGwCAFLr1rsGeU/G6xiZwiL+/YHEIla/\n"
"wglp+RdyKgpgGBy9MHQ=\n"
"-----END PUBLIC KEY-----\n";
static const char pem_rsa[] =
"-----BEGIN PUBLIC KEY-----\n"
"MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAvsUwllqtBPJp0HrK+PRJ\n"
"SnpzUKiKzZjpdsq4vgKSu7AtgVI+Kqy2YOG6TjbijOZl3fmV8cn12cLfFL4Yyzq/\n"
"UrGy2b1Y92uEjLWMSrfJsGz4I1oe/DobRXk1dy3njFTMCBQCzhaZLcL1Drho4INQ\n"
"Ap30zgx3AjfDmaQlciJt56qxp++BrDcksGth4oMJ03V5iTOH1SsTZcO3uod+T9WP\n"
"XfF4XblZmbG/a1O0s6aY8RgTWEi3maV+PeG7OhDzRgrKppLnLq+eHLVuN67zDY3S\n"
"BGg6ia32ObD2q2EGTbsoCW+aT+3DLvW6WRV1HDMkqs9gCy2ke8i6ddn8pjtWzXor\n"
"zQIDAQAB\n"
"-----END PUBLIC KEY-----\n";

static const struct {
	const char		*line;
	const char		*type;
	enum dipb_sshkey_kind	 kind;
	const char		*fingerprint;	/* ssh-keygen -lf */
	int			 bits;
	const char		*pem;
} good[] = {
	{ ED25519, "ssh-ed25519", DIPB_SSHKEY_ED25519,
	  "SHA256:sCDAyJDkRQ2rOyhzquPi11u9gRwhvDYQHTru007N9bk", 256, NULL },
	{ P256, "ecdsa-sha2-nistp256", DIPB_SSHKEY_ECDSA_P256,
	  "SHA256:s8pdiB1cWA+A+INavf3AqjcQjyuHFpGZshRee38ELv0", 256, pem_p256 },
	{ P384, "ecdsa-sha2-nistp384", DIPB_SSHKEY_ECDSA_P384,
	  "SHA256:htotLfcaUxTe3Kty/IehH3BmtxAPU+UBi0TRDE+t8N4", 384, pem_p384 },
	{ P521, "ecdsa-sha2-nistp521", DIPB_SSHKEY_ECDSA_P521,
	  "SHA256:W+A1/T4Yv3n1qu0dkLQl3BNWjq0yNF+nTBGrntqpUds", 521, pem_p521 },
	{ RSA2048, "ssh-rsa", DIPB_SSHKEY_RSA,
	  "SHA256:QwmhH0GsIrAPqqmGr/7xfqznhdQP7CDvG3BoaYAzJfg", 2048, pem_rsa },
};

static char *
pem_of(EVP_PKEY *pk)
{
	BIO *bio = BIO_new(BIO_s_mem());
	char *p, *s;
	long n;

	cr_assert_not_null(bio);
	cr_assert_eq(PEM_write_bio_PUBKEY(bio, pk), 1);
	n = BIO_get_mem_data(bio, &p);
	s = xmalloc((size_t)n + 1);
	memcpy(s, p, (size_t)n);
	s[n] = '\0';
	BIO_free(bio);
	return s;
}

Test(sshkey, each_type)
{
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		struct dipb_sshkey k = DIPB_SSHKEY_INIT;
		const struct dipb_error *err;
		char *line, *s;
		EVP_PKEY *pk = NULL;

		line = xasprintf("  %s  me@example.org key %zu\n", good[i].line,
		    i);
		err = dipb_sshkey_parse(&k, line);
		cr_assert_null(err, "%s: %s", good[i].type,
		    err ? err->msg : "");
		cr_assert_str_eq(k.type, good[i].type);
		cr_assert_eq(k.kind, good[i].kind);
		s = xasprintf("me@example.org key %zu", i);
		cr_assert_str_eq(k.comment, s);
		free(s);
		s = dipb_sshkey_canonical(&k);
		cr_assert_str_eq(s, good[i].line);
		free(s);
		s = dipb_sshkey_fingerprint(&k);
		cr_assert_str_eq(s, good[i].fingerprint);
		free(s);
		err = dipb_sshkey_pkey(&pk, &k);
		cr_assert_null(err, "%s: %s", good[i].type,
		    err ? err->msg : "");
		cr_assert_eq(EVP_PKEY_get_bits(pk), good[i].bits, "%s: %d bits",
		    good[i].type, EVP_PKEY_get_bits(pk));
		if (good[i].pem != NULL) {
			s = pem_of(pk);
			cr_assert_str_eq(s, good[i].pem);
			free(s);
		} else {
			unsigned char raw[32];
			size_t rawlen = sizeof(raw);

			cr_assert_eq(EVP_PKEY_get_raw_public_key(pk, raw,
			    &rawlen), 1);
			cr_assert_eq(rawlen, 32);
			cr_assert_eq(memcmp(raw, k.blob + k.bloblen - 32, 32),
			    0);
		}
		EVP_PKEY_free(pk);

		/* The blob alone (an SSH signature's key) is the same key. */
		{
			struct dipb_sshkey k2 = DIPB_SSHKEY_INIT;

			cr_assert_null(dipb_sshkey_parse_blob(&k2, k.blob,
			    k.bloblen));
			cr_assert_str_eq(k2.type, k.type);
			cr_assert_null(k2.comment);
			cr_assert(dipb_sshkey_equal(&k, &k2));
			dipb_sshkey_release(&k2);
		}
		dipb_sshkey_release(&k);
		free(line);
	}
}

Test(sshkey, no_comment)
{
	struct dipb_sshkey k = DIPB_SSHKEY_INIT;

	cr_assert_null(dipb_sshkey_parse(&k, ED25519));
	cr_assert_null(k.comment);
	/* Parsing again releases what k held (ASan's leak check). */
	cr_assert_null(dipb_sshkey_parse(&k, P256 "\tc"));
	cr_assert_str_eq(k.comment, "c");
	dipb_sshkey_release(&k);
	dipb_sshkey_release(NULL);
}

static void
bad(const char *line, const char *want)
{
	struct dipb_sshkey k = DIPB_SSHKEY_INIT;
	const struct dipb_error *err = dipb_sshkey_parse(&k, line);

	cr_assert_not_null(err, "accepted: %s", line);
	cr_assert_eq(err->code, DIPB_ERR_INVALID);
	cr_assert_not_null(strstr(err->msg, want), "'%s' has no '%s'",
	    err->msg, want);
	cr_assert_null(k.type);
	cr_assert_null(k.blob);
	dipb_error_free(err);
}

Test(sshkey, bad_lines)
{
	bad("", "empty public-key line");
	bad("   ", "empty public-key line");
	bad("ssh-dss AAAAB3NzaC1kc3MAAAABeA== x", "unsupported key type 'ssh-dss'");
	bad("from=\"x\" " ED25519, "unsupported key type");
	/* No escape sequence of the line reaches a message. */
	bad("\033]0;x\007 " ED25519, "unsupported key type (ssh-ed25519");
	bad("ssh-ed25519", "without its key data");
	/* Base64: bad character, bad length, padding inside, loose bits. */
	bad("ssh-ed25519 AAAA!C3NzaC1lZDI1NTE5", "not valid base64");
	bad("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5A", "not valid base64");
	bad("ssh-ed25519 AA==AAAA", "not valid base64");
	bad("ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBN25DPE+c5cI2LT/AbvXUJhWZ7jXBYdnwry42z0i99FeSQi3XGBhuGiuDOA8tjZ4hj2WnMPvW9/gyLeLIp7YXrd=",
	    "not valid base64");
	/* Truncated, trailing bytes, a short ed25519 key. */
	bad("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFunMLSLwbDs+AHJSmuCIUr3AOGgrw==",
	    "truncated ssh-ed25519 key");
	bad("ssh-ed25519 AAAA", "too short to hold its type");
	bad("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFunMLSLwbDs+AHJSmuCIUr3AOGgr9VQ6nCRM7/pptfEAA==",
	    "1 bytes after its last field");
	bad("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAH6cwtIvBsOz4AclKa4IhSvcA4aCv1VDqcJEzv+mm18Q=",
	    "ssh-ed25519 key of 31 bytes, not 32");
	/* The line's type is not the blob's. */
	bad("ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIFunMLSLwbDs+AHJSmuCIUr3AOGgr9VQ6nCRM7/pptfE",
	    "says ssh-rsa but its key data is an ssh-ed25519 key");
	bad("ecdsa-sha2-nistp384 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBN25DPE+c5cI2LT/AbvXUJhWZ7jXBYdnwry42z0i99FeSQi3XGBhuGiuDOA8tjZ4hj2WnMPvW9/gyLeLIp7YXrc=",
	    "says ecdsa-sha2-nistp384 but its key data is an ecdsa-sha2-nistp256 key");
	bad("ssh-ed25519 AAAAB3NzaC1kc3MAAAABeA==", "its key data is not an ssh-ed25519 key");
	/* ECDSA: the curve, a point off it. */
	bad("ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAzODQAAABBBN25DPE+c5cI2LT/AbvXUJhWZ7jXBYdnwry42z0i99FeSQi3XGBhuGiuDOA8tjZ4hj2WnMPvW9/gyLeLIp7YXrc=",
	    "names the curve 'nistp384', not nistp256");
	bad("ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBN25DPE+c5cI2LT/AbvXUJhWZ7jXBYdnwry42z0i99FeSQi3XGBhuGiuDOA8tjZ4hj2WnMPvW9/gyLeLIp7YXrY=",
	    "not on the curve nistp256");
	/* RSA shorter than 2048 bits. */
	bad(RSA1024 " short", "ssh-rsa key of 1024 bits: at least 2048");
}

Test(sshkey, bad_blob)
{
	struct dipb_sshkey k = DIPB_SSHKEY_INIT;
	static const unsigned char dss[] = {
		0, 0, 0, 7, 's', 's', 'h', '-', 'd', 's', 's', 0, 0, 0, 1, 'x'
	};
	const struct dipb_error *err;

	err = dipb_sshkey_parse_blob(&k, dss, sizeof(dss));
	cr_assert_not_null(err);
	cr_assert_not_null(strstr(err->msg, "unsupported key type"));
	dipb_error_free(err);
	err = dipb_sshkey_parse_blob(&k, dss, 3);
	cr_assert_not_null(err);
	dipb_error_free(err);
	cr_assert_null(k.blob);
}

/* dipb_sshkey_unbase64 of s: its bytes as text, or "!" when refused. */
static char *
unb64(const char *s)
{
	unsigned char *out;
	size_t n;
	char *t;

	if (dipb_sshkey_unbase64(&out, &n, s, strlen(s)) < 0) {
		cr_expect_null(out);
		return xstrdup("!");
	}
	t = xmalloc(n + 1);
	memcpy(t, out, n);
	t[n] = '\0';
	free(out);
	return t;
}

Test(sshkey, unbase64_takes_what_b64_pton_takes)
{
	static const struct {
		const char	*in;
		const char	*out;		/* "!": refused */
	} cases[] = {
		{ "QUJD", "ABC" },
		{ "QUI=", "AB" },
		{ "QQ==", "A" },
		{ "", "" },
		/* whitespace of the C locale anywhere, \f and \v too */
		{ " Q\fU\vJ\tD\r\n", "ABC" },
		{ "QQ= =\n", "A" },
		{ "QU\nI=", "AB" },
		/* the unused bits of the last digit before '=' set */
		{ "QR==", "!" },
		{ "QUJ=", "!" },
		{ "QUL=", "!" },
		/* '=' elsewhere than ending the last group */
		{ "QU=D", "!" },
		{ "Q===", "!" },
		{ "====", "!" },
		{ "QQ==QUJD", "!" },
		{ "QUI==", "!" },
		{ "QQ=", "!" },
		/* an unfinished group, another alphabet */
		{ "QUJ", "!" },
		{ "QUJD*", "!" },
		{ "QU-D", "!" },
	};
	char *got;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		got = unb64(cases[i].in);
		cr_expect_str_eq(got, cases[i].out, "case %zu", i);
		free(got);
	}
}

/* The line of an ed25519 key whose 32 bytes are k. */
static char *
ed25519_line(const unsigned char k[32])
{
	unsigned char blob[51] = { 0, 0, 0, 11, 's', 's', 'h', '-', 'e', 'd',
	    '2', '5', '5', '1', '9', 0, 0, 0, 32 };
	char b64[80], *s;

	memcpy(blob + 19, k, 32);
	EVP_EncodeBlock((unsigned char *)b64, blob, 51);
	s = xmalloc(strlen(b64) + 16);
	sprintf(s, "ssh-ed25519 %s", b64);
	return s;
}

Test(sshkey, ed25519_key_of_small_order_or_no_point_is_refused)
{
	struct dipb_sshkey k = DIPB_SSHKEY_INIT;
	unsigned char key[32];
	const struct dipb_error *err;
	char *line;
	int i;

	/* The identity, the point of order 2 (y = -1), a y above p. */
	for (i = 0; i < 3; i++) {
		memset(key, i == 0 ? 0 : 0xff, 32);
		if (i == 0)
			key[0] = 1;
		if (i == 1) {
			key[0] = 0xec;
			key[31] = 0x7f;
		}
		line = ed25519_line(key);
		err = dipb_sshkey_parse(&k, line);
		cr_assert_not_null(err, "key %d taken", i);
		cr_expect(strstr(err->msg, "not a point of the curve's "
		    "prime-order group") != NULL, "%s", err->msg);
		dipb_error_free(err);
		free(line);
	}
	err = dipb_sshkey_parse(&k, ED25519);
	cr_expect_null(err);
	dipb_sshkey_release(&k);
}

Test(sshkey, signature_blob_read_as_openssh_reads_it)
{
	struct dipb_sshkey line = DIPB_SSHKEY_INIT, k = DIPB_SSHKEY_INIT;
	const struct dipb_error *err;
	unsigned char *b;
	size_t n, i;
	char *again;

	cr_assert_null(dipb_sshkey_parse(&line, RSA2048));
	/* "ssh-rsa" NUL, e and n with two zero bytes more before them. */
	b = xmalloc(line.bloblen + 8);
	memcpy(b, "\0\0\0\10ssh-rsa\0\0\0\0\5\0\0", 18);
	memcpy(b + 18, line.blob + 15, 3);		/* e: 01 00 01 */
	i = 21;
	b[i++] = 0;
	b[i++] = 0;
	b[i++] = 1;
	b[i++] = 3;		/* n: 257 bytes (its 0x00 first) + 2 */
	b[i++] = 0;
	b[i++] = 0;
	memcpy(b + i, line.blob + 22, 257);
	n = i + 257;
	err = dipb_sshkey_parse_blob(&k, b, n);
	cr_assert_null(err, "%s", err != NULL ? err->msg : "");
	cr_expect(dipb_sshkey_equal(&k, &line), "the same key by value");
	again = dipb_sshkey_canonical(&k);
	cr_expect_str_eq(again, "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC+xTC"
	    "WWq0E8mnQesr49ElKenNQqIrNmOl2yri+ApK7sC2BUj4qrLZg4bpONuKM5mXd+ZXx"
	    "yfXZwt8UvhjLOr9SsbLZvVj3a4SMtYxKt8mwbPgjWh78OhtFeTV3LeeMVMwIFALOF"
	    "pktwvUOuGjgg1ACnfTODHcCN8OZpCVyIm3nqrGn74GsNySwa2HigwnTdXmJM4fVKx"
	    "Nlw7e6h35P1Y9d8XhduVmZsb9rU7SzppjxGBNYSLeZpX494bs6EPNGCsqmkucur54"
	    "ctW43rvMNjdIEaDqJrfY5sParYQZNuygJb5pP7cMu9bpZFXUcMySqz2ALLaR7yLp1"
	    "2fymO1bNeivN");
	free(again);
	/* Two NULs after the type: no key type OpenSSH knows. */
	b[3] = 9;
	memmove(b + 13, b + 12, n - 12);
	b[12] = 0;
	err = dipb_sshkey_parse_blob(&k, b, n + 1);
	cr_expect_not_null(err);
	dipb_error_free(err);
	free(b);
	dipb_sshkey_release(&k);
	dipb_sshkey_release(&line);
}

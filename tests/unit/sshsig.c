/*
 * Unit tests of sshsig.c: signatures made by ssh-keygen -Y sign -n git
 * (OpenSSH 9.2) for ed25519, ECDSA and RSA keys, embedded below, checked
 * against the message they signed, a tampered one, another namespace and
 * damaged blobs; and a signature made in-process (as bench/gen_history.c
 * makes them) checked by ssh-keygen -Y verify, the oracle.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <openssl/evp.h>

#include "error.h"
#include "helpers.h"
#include "sshkey.h"
#include "sshsig.h"
#include "util.h"

/* The message every fixture signs: a commit's bytes. */
static const char msg[] =
    "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n"
    "author A <a@x> 1 +0000\n"
    "committer A <a@x> 1 +0000\n"
    "\n"
    "hello\n";

/* ssh-keygen -Y sign -n git -f KEY < msg (rsa256: -O hashalg=sha256;
 * ed_file: -n file). */
static const char sig_ed[] =
    "-----BEGIN SSH SIGNATURE-----\n"
    "U1NIU0lHAAAAAQAAADMAAAALc3NoLWVkMjU1MTkAAAAghZSoyRzij3cnvaaZYX10iIQlxS\n"
    "ZJC5P9Tf6aKAiPJawAAAADZ2l0AAAAAAAAAAZzaGE1MTIAAABTAAAAC3NzaC1lZDI1NTE5\n"
    "AAAAQAZVJ7g6cLFi5UMhH6h0feQW7lHlRk05B+ZTNcUOPVS3/fwR++0n4L23d2NcyJS7iR\n"
    "vqd2CLDJ4bLEjXtmUUmw0=\n"
    "-----END SSH SIGNATURE-----\n"
    ;
static const char sig_p256[] =
    "-----BEGIN SSH SIGNATURE-----\n"
    "U1NIU0lHAAAAAQAAAGgAAAATZWNkc2Etc2hhMi1uaXN0cDI1NgAAAAhuaXN0cDI1NgAAAE\n"
    "EEHG2FnQpJD9uUhCeMgDR+tE4hXhkHf4oP05/8ob6BXLMc7uk9xsrl17OkkIs6psYksoUS\n"
    "Smt7ZXX/pnqwMFJrzgAAAANnaXQAAAAAAAAABnNoYTUxMgAAAGMAAAATZWNkc2Etc2hhMi\n"
    "1uaXN0cDI1NgAAAEgAAAAgWkAFj0uZGDIbTpyWcDFM7VuE36pHLk4NbsLqk+1MXV8AAAAg\n"
    "ApJbgJJhXSba0wQRtWR2V6orKpQVVINqI/2oBcYnyxU=\n"
    "-----END SSH SIGNATURE-----\n"
    ;
static const char sig_p384[] =
    "-----BEGIN SSH SIGNATURE-----\n"
    "U1NIU0lHAAAAAQAAAIgAAAATZWNkc2Etc2hhMi1uaXN0cDM4NAAAAAhuaXN0cDM4NAAAAG\n"
    "EE7zvuQMkErOxA5pguMVxE586bfYYBDMpUkQZJ2qUW/pL6175NQQ1NoPgXDRmhPXQzmiVK\n"
    "bLpOU1t1j/q+8cW0pCsUcRvitEKiMEbQ7ihg/CtI6XwlGDDO5qlUiC42VH0bAAAAA2dpdA\n"
    "AAAAAAAAAGc2hhNTEyAAAAgwAAABNlY2RzYS1zaGEyLW5pc3RwMzg0AAAAaAAAADBB/0iU\n"
    "kitbpRyyfCwApgXqMJr2Bg1/I93Rl7F2A9HFFAxjdGwUdd8ZAuiq6QqpVaoAAAAwZaQ6p3\n"
    "Tkl7F9nBD89uim4nbOMUFJQoKc83nT2BahrafET9reCdCdYUblvXJoWUE2\n"
    "-----END SSH SIGNATURE-----\n"
    ;
static const char sig_p521[] =
    "-----BEGIN SSH SIGNATURE-----\n"
    "U1NIU0lHAAAAAQAAAKwAAAATZWNkc2Etc2hhMi1uaXN0cDUyMQAAAAhuaXN0cDUyMQAAAI\n"
    "UEAKDc7/rllBU3cTT0Lmtj5zDEltjcRjhs/ZXXSqB6CJEXKP/iOmHNqtyFfkuvRnJNPY9U\n"
    "uA9eFh3mlYtJhPa7FfgrAN4gCFBT5tp9Eq0Nqi7YINhDEnWSoDao8/A4cqkCAVBPT3o/zF\n"
    "46xLhjn+DZxGiXfBnD7IbmeTrzTBpl59KslAwPAAAAA2dpdAAAAAAAAAAGc2hhNTEyAAAA\n"
    "pwAAABNlY2RzYS1zaGEyLW5pc3RwNTIxAAAAjAAAAEIBzq2l8NH8PjqEb37HuPiJ64+Xdn\n"
    "7RchDTDpkdd3Ysqhc7N+rviEBmDorBcOOTy4255IF2HT51qAtixrMBFSSoJ2wAAABCAVLU\n"
    "PP/oi164Et9QTXaDcuMBtG73/kkNLJG/TQLn0sOHMX8QvShYvMdt+G+LS9FmBsD/ejHALp\n"
    "Ae3QvKmlz9LiKy\n"
    "-----END SSH SIGNATURE-----\n"
    ;
static const char sig_rsa[] =
    "-----BEGIN SSH SIGNATURE-----\n"
    "U1NIU0lHAAAAAQAAARcAAAAHc3NoLXJzYQAAAAMBAAEAAAEBALuufNZaNWr72HhXZ+ERFw\n"
    "CrDKMXBMqN70P7D2DxXAGVNy/+vDGBLoiuiDrjFFTo+EgttqKDR1HWBWzzfjtR/wHGCY1J\n"
    "NSB0KDi+YmrPvpP7zp9b6dnC/K0lPA41sxpxWd3P9UHUzDYQNi1Xskz9nl/2bcPuslpi0y\n"
    "2lyPM0IpDWaxPqkzEmjTbG48ZODeeAVcn1AeLHpA0tjiEFAVX2yWLwiCWvFBAkEDJtCQUM\n"
    "WfC/4cEAbvVr0KrNCUD3ANNE9aACQ+xCAID/RxbFa3GUuSqbDLewwW7W4ZO5C7CR3NnQb1\n"
    "7TJjMr1g7aJKczA+zaIngwJzFSvvEL/lEoSAK4AMcAAAADZ2l0AAAAAAAAAAZzaGE1MTIA\n"
    "AAEUAAAADHJzYS1zaGEyLTUxMgAAAQBsNVWt8nNq/76wkOvKO7MRDVJlFkPtiLlZVW10/Y\n"
    "Dzl6rpkGyiTQVAwbOJUMfx779JDap1xroOfX/58xKEa2Y3I5NM4yh2+C9qN7EOp3HPJ2WG\n"
    "nu30WFSVGSZWaMOuqJUNbSHtcpZ3MgHm/tzrZVpLd/q7k5i6YHAbmKU5aIRSaEIu8fc5PB\n"
    "jAkUixwpYGYSCa62GcsGffLNngv+THE43QRysLI4lU09K8yPEXrC3YYi9d4mK2So9cA0uG\n"
    "rGvfT3IGtO1K2dnuswv8LgjMSvAllE/rQZODbeR/q/Q9AEF3QNMID94xyRD6vcJ0mOqUhw\n"
    "09hw8JTQIvL6AlzdIa731D\n"
    "-----END SSH SIGNATURE-----\n"
    ;
static const char sig_rsa256[] =
    "-----BEGIN SSH SIGNATURE-----\n"
    "U1NIU0lHAAAAAQAAARcAAAAHc3NoLXJzYQAAAAMBAAEAAAEBALuufNZaNWr72HhXZ+ERFw\n"
    "CrDKMXBMqN70P7D2DxXAGVNy/+vDGBLoiuiDrjFFTo+EgttqKDR1HWBWzzfjtR/wHGCY1J\n"
    "NSB0KDi+YmrPvpP7zp9b6dnC/K0lPA41sxpxWd3P9UHUzDYQNi1Xskz9nl/2bcPuslpi0y\n"
    "2lyPM0IpDWaxPqkzEmjTbG48ZODeeAVcn1AeLHpA0tjiEFAVX2yWLwiCWvFBAkEDJtCQUM\n"
    "WfC/4cEAbvVr0KrNCUD3ANNE9aACQ+xCAID/RxbFa3GUuSqbDLewwW7W4ZO5C7CR3NnQb1\n"
    "7TJjMr1g7aJKczA+zaIngwJzFSvvEL/lEoSAK4AMcAAAADZ2l0AAAAAAAAAAZzaGEyNTYA\n"
    "AAEUAAAADHJzYS1zaGEyLTUxMgAAAQCWMosJjW2krn7jpOU8aUlS2iBJ5w4R2XmhZf/iK5\n"
    "l4NUcdyww3UrRoxtEpR+tH2mGar0N1LLwzvJh1Z7hK0XFUhnYqwrDIffGN551KvScXGiDS\n"
    "tpKud8GOrdos1begxiFURXbEcUqR2AXB29IKg9pwZKQHf9PDUxVFQ2fI66hZ7pg8j94HEM\n"
    "0zrtUclzlm725H/E/6OxFLC2X0vQTyrl1U+Ol0TtaS6JW2qq+dqo6VGXthNV4aFQeKE2b4\n"
    "hEgiwzmK3xUjGGBXMl8pJc1o3AP6/FJfS0tDtV1wNH1Fdv24Cm2k2VZaQ+JgLR0pPUOCJw\n"
    "xoPdjTfhfckbtic1Cl5N8O\n"
    "-----END SSH SIGNATURE-----\n"
    ;
static const char sig_ed_file[] =
    "-----BEGIN SSH SIGNATURE-----\n"
    "U1NIU0lHAAAAAQAAADMAAAALc3NoLWVkMjU1MTkAAAAghZSoyRzij3cnvaaZYX10iIQlxS\n"
    "ZJC5P9Tf6aKAiPJawAAAAEZmlsZQAAAAAAAAAGc2hhNTEyAAAAUwAAAAtzc2gtZWQyNTUx\n"
    "OQAAAED+zViQ6pV1ah4R0l7N6UrNEtoheLyGPCXOPjKgqkVdyJ8VEcjlNM54eikUcdOE3/\n"
    "MuTutDJGa2jtwcX/Vm22YO\n"
    "-----END SSH SIGNATURE-----\n"
    ;
static const char pub_ed[] =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIWUqMkc4o93J72mmWF9dIiEJcUm"
    "SQuT/U3+migIjyWs";
static const char pub_p256[] =
    "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAy"
    "NTYAAABBBBxthZ0KSQ/blIQnjIA0frROIV4ZB3+KD9Of/KG+gVyzHO7pPcbK5dez"
    "pJCLOqbGJLKFEkpre2V1/6Z6sDBSa84=";
static const char pub_p384[] =
    "ecdsa-sha2-nistp384 AAAAE2VjZHNhLXNoYTItbmlzdHAzODQAAAAIbmlzdHAz"
    "ODQAAABhBO877kDJBKzsQOaYLjFcROfOm32GAQzKVJEGSdqlFv6S+te+TUENTaD4"
    "Fw0ZoT10M5olSmy6TlNbdY/6vvHFtKQrFHEb4rRCojBG0O4oYPwrSOl8JRgwzuap"
    "VIguNlR9Gw==";
static const char pub_p521[] =
    "ecdsa-sha2-nistp521 AAAAE2VjZHNhLXNoYTItbmlzdHA1MjEAAAAIbmlzdHA1"
    "MjEAAACFBACg3O/65ZQVN3E09C5rY+cwxJbY3EY4bP2V10qgegiRFyj/4jphzarc"
    "hX5Lr0ZyTT2PVLgPXhYd5pWLSYT2uxX4KwDeIAhQU+bafRKtDaou2CDYQxJ1kqA2"
    "qPPwOHKpAgFQT096P8xeOsS4Y5/g2cRol3wZw+yG5nk680waZefSrJQMDw==";
static const char pub_rsa[] =
    "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7rnzWWjVq+9h4V2fhERcAqwyj"
    "FwTKje9D+w9g8VwBlTcv/rwxgS6Irog64xRU6PhILbaig0dR1gVs8347Uf8BxgmN"
    "STUgdCg4vmJqz76T+86fW+nZwvytJTwONbMacVndz/VB1Mw2EDYtV7JM/Z5f9m3D"
    "7rJaYtMtpcjzNCKQ1msT6pMxJo02xuPGTg3ngFXJ9QHix6QNLY4hBQFV9sli8Igl"
    "rxQQJBAybQkFDFnwv+HBAG71a9CqzQlA9wDTRPWgAkPsQgCA/0cWxWtxlLkqmwy3"
    "sMFu1uGTuQuwkdzZ0G9e0yYzK9YO2iSnMwPs2iJ4MCcxUr7xC/5RKEgCuADH";

static const struct {
	const char	*name;
	const char	*sig;
	const char	*pub;
	const char	*hashalg;
} fixtures[] = {
	{ "ed25519", sig_ed, pub_ed, "sha512" },
	{ "ecdsa-p256", sig_p256, pub_p256, "sha512" },
	{ "ecdsa-p384", sig_p384, pub_p384, "sha512" },
	{ "ecdsa-p521", sig_p521, pub_p521, "sha512" },
	{ "rsa", sig_rsa, pub_rsa, "sha512" },
	{ "rsa-sha256", sig_rsa256, pub_rsa, "sha256" },
};
#define NFIXTURES (sizeof(fixtures) / sizeof(fixtures[0]))

/* Parses s, asserting it parses. */
static void
parse(struct dipb_sshsig *out, const char *s)
{
	const struct dipb_error *err = dipb_sshsig_parse(out, s, strlen(s));

	cr_assert_null(err, "parse: %s", err != NULL ? err->msg : "");
}

/* The message of verifying s over m in namespace git; NULL: it verifies. */
static char *
verify(const char *s, const char *m, size_t len)
{
	struct dipb_sshsig sig;
	const struct dipb_error *err;
	char *why = NULL;

	parse(&sig, s);
	if ((err = dipb_sshsig_verify(&sig, "git", m, len)) != NULL) {
		why = xstrdup(err->msg);
		dipb_error_free(err);
	}
	dipb_sshsig_release(&sig);
	return why;
}

/* 1 when s does not verify over msg. */
static int
fails(const char *s)
{
	char *why = verify(s, msg, strlen(msg));

	free(why);
	return why != NULL;
}

Test(sshsig, each_key_type_verifies_and_names_its_key)
{
	struct dipb_sshkey pub = DIPB_SSHKEY_INIT;
	struct dipb_sshsig sig;
	const struct dipb_error *err;
	size_t i;
	char *why;

	for (i = 0; i < NFIXTURES; i++) {
		why = verify(fixtures[i].sig, msg, strlen(msg));
		cr_expect_null(why, "%s: %s", fixtures[i].name, why);
		free(why);
		parse(&sig, fixtures[i].sig);
		cr_expect_str_eq(sig.ns, "git");
		cr_expect_str_eq(sig.hashalg, fixtures[i].hashalg);
		err = dipb_sshkey_parse(&pub, fixtures[i].pub);
		cr_assert_null(err, "%s", err != NULL ? err->msg : "");
		cr_expect_eq(sig.keylen, pub.bloblen, "%s", fixtures[i].name);
		cr_expect(sig.keylen == pub.bloblen &&
		    memcmp(sig.key, pub.blob, pub.bloblen) == 0,
		    "%s: the key blob is the signer's", fixtures[i].name);
		dipb_sshkey_release(&pub);
		dipb_sshsig_release(&sig);
	}
}

Test(sshsig, tampered_message_does_not_verify)
{
	char *m = xstrdup(msg), *why;
	size_t i;

	m[strlen(m) - 2] = 'O';		/* "hellO" */
	for (i = 0; i < NFIXTURES; i++) {
		why = verify(fixtures[i].sig, m, strlen(m));
		cr_expect_not_null(why, "%s verifies a tampered message",
		    fixtures[i].name);
		if (why != NULL)
			cr_expect(strstr(why, "does not verify") != NULL, "%s",
			    why);
		free(why);
		/* One byte less is another message too. */
		why = verify(fixtures[i].sig, msg, strlen(msg) - 1);
		cr_expect_not_null(why, "%s", fixtures[i].name);
		free(why);
	}
	free(m);
}

Test(sshsig, another_namespace_is_refused)
{
	struct dipb_sshsig sig;
	const struct dipb_error *err;

	parse(&sig, sig_ed_file);
	cr_expect_str_eq(sig.ns, "file");
	err = dipb_sshsig_verify(&sig, "git", msg, strlen(msg));
	cr_assert_not_null(err);
	cr_expect(strstr(err->msg, "namespace 'file'") != NULL, "%s",
	    err->msg);
	dipb_error_free(err);
	/* It is a good signature in its own namespace. */
	err = dipb_sshsig_verify(&sig, "file", msg, strlen(msg));
	cr_expect_null(err, "%s", err != NULL ? err->msg : "");
	dipb_sshsig_release(&sig);
}

/* The armor of s with its base64 cut to keep bytes of the blob. */
static char *
truncated(const char *s, size_t keep)
{
	struct dipb_sshsig sig;
	struct dipb_buf b = DIPB_BUF_INIT;
	unsigned char *blob;
	size_t n;

	parse(&sig, s);
	/* Re-armor a shortened copy of the whole blob. */
	dipb_sshsig_armor(&b, sig.key, sig.keylen, sig.ns, sig.hashalg,
	    sig.sig, sig.siglen);
	dipb_sshsig_release(&sig);
	{
		const char *p = b.ptr + strlen(DIPB_SSHSIG_BEGIN) + 1;
		const char *e = strstr(p, DIPB_SSHSIG_END);
		char *in = xmalloc((size_t)(e - p) + 1), *out;
		size_t k = 0;
		int got;

		for (; p < e; p++)
			if (*p != '\n')
				in[k++] = *p;
		blob = xmalloc(k);
		got = EVP_DecodeBlock(blob, (unsigned char *)in, (int)k);
		cr_assert_gt(got, 0);
		n = keep < (size_t)got ? keep : (size_t)got;
		out = xmalloc((n + 2) / 3 * 4 + 1);
		EVP_EncodeBlock((unsigned char *)out, blob, (int)n);
		free(in);
		free(blob);
		dipb_buf_clear(&b);
		dipb_buf_printf(&b, "%s\n%s\n%s\n", DIPB_SSHSIG_BEGIN, out,
		    DIPB_SSHSIG_END);
		free(out);
	}
	return dipb_buf_detach(&b);
}

Test(sshsig, truncated_blob_is_an_error)
{
	struct dipb_sshsig sig;
	const struct dipb_error *err;
	char *s;
	size_t keep;

	/* Every cut of the ed25519 signature's 173 bytes fails to parse. */
	for (keep = 1; keep < 173; keep++) {
		s = truncated(sig_ed, keep);
		err = dipb_sshsig_parse(&sig, s, strlen(s));
		cr_expect_not_null(err, "cut at %zu parses", keep);
		cr_expect_null(sig.key);
		dipb_error_free(err);
		dipb_sshsig_release(&sig);
		free(s);
	}
	s = truncated(sig_ed, 173);
	parse(&sig, s);
	dipb_sshsig_release(&sig);
	free(s);
}

Test(sshsig, armor_errors_say_what_is_wrong)
{
	static const struct {
		const char	*text;
		const char	*why;
	} cases[] = {
		{ "", "no '-----BEGIN SSH SIGNATURE-----' line" },
		{ "-----BEGIN PGP SIGNATURE-----\nabcd\n"
		    "-----END PGP SIGNATURE-----\n", "BEGIN SSH SIGNATURE" },
		{ "-----BEGIN SSH SIGNATURE-----\nU1NIU0lH\n", "no '-----END" },
		{ "-----BEGIN SSH SIGNATURE-----\rU1NIU0lH\n"
		    "-----END SSH SIGNATURE-----\n", "a CR after" },
		{ "-----BEGIN SSH SIGNATURE-----U1NIU0lH\n"
		    "-----END SSH SIGNATURE-----\n", "no line end after" },
		{ "-----BEGIN SSH SIGNATURE-----\nU1NIU0lH"
		    "-----END SSH SIGNATURE-----\n", "no '-----END" },
		{ "-----BEGIN SSH SIGNATURE-----\n"
		    "-----END SSH SIGNATURE-----\n", "no '-----END" },
		{ "-----BEGIN SSH SIGNATURE-----\nU1N*U0lH\n"
		    "-----END SSH SIGNATURE-----\n", "not base64" },
		{ "-----BEGIN SSH SIGNATURE-----\nU1NIU0lI\n"
		    "-----END SSH SIGNATURE-----\n", "no SSHSIG magic" },
		{ "-----BEGIN SSH SIGNATURE-----\nU1NIU0lHAAAAAg==\n"
		    "-----END SSH SIGNATURE-----\n", "version above 1" },
	};
	struct dipb_sshsig sig;
	const struct dipb_error *err;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err = dipb_sshsig_parse(&sig, cases[i].text,
		    strlen(cases[i].text));
		cr_assert_not_null(err, "case %zu parses", i);
		cr_expect(strstr(err->msg, cases[i].why) != NULL,
		    "case %zu: %s", i, err->msg);
		dipb_error_free(err);
		dipb_sshsig_release(&sig);
	}
}

Test(sshsig, armor_is_ssh_keygen_s_own)
{
	struct dipb_sshsig sig;
	struct dipb_buf b = DIPB_BUF_INIT;
	size_t i;

	for (i = 0; i < NFIXTURES; i++) {
		parse(&sig, fixtures[i].sig);
		dipb_buf_clear(&b);
		dipb_sshsig_armor(&b, sig.key, sig.keylen, sig.ns,
		    sig.hashalg, sig.sig, sig.siglen);
		cr_expect_str_eq(dipb_buf_cstr(&b), fixtures[i].sig, "%s",
		    fixtures[i].name);
		dipb_sshsig_release(&sig);
	}
	dipb_buf_release(&b);
}

Test(sshsig, damaged_signature_or_another_key_does_not_verify)
{
	struct dipb_sshsig ed, p256;
	struct dipb_buf b = DIPB_BUF_INIT;
	const struct dipb_error *err;

	parse(&ed, sig_ed);
	parse(&p256, sig_p256);
	/* A bit of the Ed25519 signature flipped. */
	ed.sig[ed.siglen - 1] ^= 1;
	err = dipb_sshsig_verify(&ed, "git", msg, strlen(msg));
	cr_expect_not_null(err);
	dipb_error_free(err);
	ed.sig[ed.siglen - 1] ^= 1;
	/* The ECDSA key put in the Ed25519 signature. */
	dipb_sshsig_armor(&b, p256.key, p256.keylen, "git", "sha512", ed.sig,
	    ed.siglen);
	cr_expect(fails(dipb_buf_cstr(&b)));
	dipb_buf_clear(&b);
	/* Another Ed25519 key: the signer's with a byte changed. */
	ed.key[ed.keylen - 1] ^= 1;
	dipb_sshsig_armor(&b, ed.key, ed.keylen, "git", "sha512", ed.sig,
	    ed.siglen);
	cr_expect(fails(dipb_buf_cstr(&b)));
	dipb_buf_release(&b);
	dipb_sshsig_release(&ed);
	dipb_sshsig_release(&p256);
}

/*
 * A signature made in-process as bench/gen_history.c makes them
 * (EVP_PKEY_keygen, the signed data, the armor) verifies with dipb and
 * with ssh-keygen -Y verify.
 */
Test(sshsig, in_process_signature_verifies_with_ssh_keygen)
{
	char dir[] = "/tmp/dipb-sshsig-XXXXXX";
	struct dipb_buf data = DIPB_BUF_INIT, blob = DIPB_BUF_INIT,
	    armor = DIPB_BUF_INIT;
	unsigned char pub[32], sig[64], *b64;
	size_t publen = sizeof(pub), siglen = sizeof(sig);
	EVP_PKEY_CTX *kctx;
	EVP_PKEY *pkey = NULL;
	EVP_MD_CTX *ctx;
	char *why;

	cr_assert_not_null(mkdtemp(dir));
	kctx = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, NULL);
	cr_assert(EVP_PKEY_keygen_init(kctx) == 1 &&
	    EVP_PKEY_keygen(kctx, &pkey) == 1);
	EVP_PKEY_CTX_free(kctx);
	cr_assert(EVP_PKEY_get_raw_public_key(pkey, pub, &publen) == 1);
	/* The key's wire blob: string "ssh-ed25519", string key. */
	dipb_buf_put(&blob, "\0\0\0\x0bssh-ed25519\0\0\0\x20", 19);
	dipb_buf_put(&blob, (const char *)pub, publen);
	cr_assert_eq(dipb_sshsig_signed_data(&data, "git", "sha512", msg,
	    strlen(msg)), 0);
	ctx = EVP_MD_CTX_new();
	cr_assert(EVP_DigestSignInit(ctx, NULL, NULL, NULL, pkey) == 1 &&
	    EVP_DigestSign(ctx, sig, &siglen, (unsigned char *)data.ptr,
	    data.len) == 1);
	EVP_MD_CTX_free(ctx);
	dipb_buf_clear(&data);
	dipb_buf_put(&data, "\0\0\0\x0bssh-ed25519\0\0\0\x40", 19);
	dipb_buf_put(&data, (const char *)sig, siglen);
	dipb_sshsig_armor(&armor, (unsigned char *)blob.ptr, blob.len, "git",
	    "sha512", (unsigned char *)data.ptr, data.len);
	why = verify(dipb_buf_cstr(&armor), msg, strlen(msg));
	cr_expect_null(why, "%s", why);
	free(why);

	b64 = xmalloc(blob.len * 2 + 4);
	EVP_EncodeBlock(b64, (unsigned char *)blob.ptr, (int)blob.len);
	cr_assert_eq(test_sh(dir, "printf '%%s' '%s' >sig", armor.ptr), 0);
	cr_assert_eq(test_sh(dir, "printf '%%s' '%s' >msg", msg), 0);
	cr_assert_eq(test_sh(dir, "echo 'x namespaces=\"git\" ssh-ed25519 "
	    "%s' >allowed", (char *)b64), 0);
	cr_expect_eq(test_sh(dir, "ssh-keygen -Y verify -f allowed -I x "
	    "-n git -s sig <msg"), 0, "ssh-keygen -Y verify refuses it");
	cr_expect_neq(test_sh(dir, "echo x >>msg; ssh-keygen -Y verify "
	    "-f allowed -I x -n git -s sig <msg"), 0);
	free(b64);
	EVP_PKEY_free(pkey);
	dipb_buf_release(&data);
	dipb_buf_release(&blob);
	dipb_buf_release(&armor);
	test_rmdir(dir);
}

/* ssh-keygen -t ed25519 -N '' -C unit, and the same with -N pw; and
 * ssh-keygen -Y sign -n git -f <the first> < msg. */
static const char key_plain[] =
    "-----BEGIN OPENSSH PRIVATE KEY-----\n"
    "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n"
    "QyNTUxOQAAACDJhZXUEi43yCrLPZ25511xqhiWx/V0UtERvqj/oT3ViAAAAIjmdkwH5nZM\n"
    "BwAAAAtzc2gtZWQyNTUxOQAAACDJhZXUEi43yCrLPZ25511xqhiWx/V0UtERvqj/oT3ViA\n"
    "AAAEAunzvJn64PRIgErwO8SnbehDxo3lED25IGBUp9583TjcmFldQSLjfIKss9nbnnXXGq\n"
    "GJbH9XRS0RG+qP+hPdWIAAAABHVuaXQB\n"
    "-----END OPENSSH PRIVATE KEY-----\n"
    ;
static const char key_locked[] =
    "-----BEGIN OPENSSH PRIVATE KEY-----\n"
    "b3BlbnNzaC1rZXktdjEAAAAACmFlczI1Ni1jdHIAAAAGYmNyeXB0AAAAGAAAABC1EfYs1H\n"
    "1S130oZ3qrjHwmAAAAEAAAAAEAAAAzAAAAC3NzaC1lZDI1NTE5AAAAID9nCoVuMLmxsePi\n"
    "TFAycfbflq+WssuBODYeUzyXp70IAAAAkCUTV+AjI8DC7h/dy0TuPP70T+8uO33D/F3zdx\n"
    "+hNe0SWn7oIuckhiLRh1WEY+6SYy0gHayt8/+Tbk1/hRbFkEu1NHuRdmHjQNrNIOd/MZhw\n"
    "fsUHAErBTHrpumIBRdWRAie6rOYKfcH1GaeTU7WjD92Kp455Xkxcj1/pMFB8DZvaW2YoKY\n"
    "sbg9QGPQnBwiWfeQ==\n"
    "-----END OPENSSH PRIVATE KEY-----\n"
    ;
static const char sig_plain[] =
    "-----BEGIN SSH SIGNATURE-----\n"
    "U1NIU0lHAAAAAQAAADMAAAALc3NoLWVkMjU1MTkAAAAgyYWV1BIuN8gqyz2dueddcaoYls\n"
    "f1dFLREb6o/6E91YgAAAADZ2l0AAAAAAAAAAZzaGE1MTIAAABTAAAAC3NzaC1lZDI1NTE5\n"
    "AAAAQICFDXWu0g1k866gVi6dVcgV8yk/g1WURuR1GiYWphYBxVNNUpmie2UrQ8Qu+3T4eC\n"
    "lleLrkhIxeSBMHwYR39AI=\n"
    "-----END SSH SIGNATURE-----\n"
    ;

Test(sshsig, private_key_file_signs_as_ssh_keygen_does)
{
	struct dipb_sshsig_key k;
	struct dipb_buf out = DIPB_BUF_INIT;
	const struct dipb_error *err;

	cr_assert_eq(dipb_sshsig_key_load(&k, key_plain, strlen(key_plain)),
	    1);
	err = dipb_sshsig_sign(&out, &k, "git", msg, strlen(msg));
	cr_assert_null(err, "%s", err->msg);
	cr_expect_str_eq(dipb_buf_cstr(&out), sig_plain);
	dipb_sshsig_key_release(&k);
	dipb_buf_release(&out);
}

Test(sshsig, private_key_file_others_are_left_to_ssh_keygen)
{
	struct dipb_sshsig_key k;
	char *bad;
	size_t i, n = strlen(key_plain);

	cr_expect_eq(dipb_sshsig_key_load(&k, key_locked,
	    strlen(key_locked)), 0, "an encrypted key loads");
	cr_expect_eq(dipb_sshsig_key_load(&k, sig_plain, strlen(sig_plain)),
	    0, "a signature loads as a key");
	/* Every truncation (but of the last newline), and every character
	 * changed: never a key that is not the file's, never a read past
	 * the end (ASan). */
	for (i = 0; i + 1 < n; i++)
		cr_expect_eq(dipb_sshsig_key_load(&k, key_plain, i), 0,
		    "truncated at %zu: loaded", i);
	bad = xstrdup(key_plain);
	for (i = 36; i < n - 35; i++) {
		if (bad[i] == '\n')
			continue;
		bad[i] = bad[i] == 'A' ? 'B' : 'A';
		if (dipb_sshsig_key_load(&k, bad, n) == 1) {
			struct dipb_sshsig_key good;

			cr_assert_eq(dipb_sshsig_key_load(&good, key_plain, n),
			    1);
			cr_expect(memcmp(&k, &good, sizeof(k)) == 0,
			    "changed at %zu: another key", i);
		}
		bad[i] = key_plain[i];
	}
	free(bad);
}

/* ---- what OpenSSH reads, and only that ---------------------------------- */

static void
put_s(struct dipb_buf *b, const void *p, size_t n)
{
	char l[4] = { (char)(n >> 24), (char)(n >> 16), (char)(n >> 8),
	    (char)n };

	dipb_buf_put(b, l, 4);
	dipb_buf_put(b, p, n);
}

/*
 * The signature s made again with SSHSIG version ver, namespace
 * [ns, ns + nslen) and signature blob [sig, sig + siglen) (NULL: s's),
 * armored as ssh-keygen armors; caller frees.
 */
static char *
remade(const char *s, unsigned ver, const char *ns, size_t nslen,
    const void *sig, size_t siglen)
{
	struct dipb_sshsig p;
	struct dipb_buf blob = DIPB_BUF_INIT, out = DIPB_BUF_INIT;
	char *b64;
	int n;

	parse(&p, s);
	dipb_buf_put(&blob, "SSHSIG", 6);
	dipb_buf_put(&blob, (const char[]){ 0, 0, 0, (char)ver }, 4);
	put_s(&blob, p.key, p.keylen);
	put_s(&blob, ns, nslen);
	put_s(&blob, "", 0);
	put_s(&blob, p.hashalg, strlen(p.hashalg));
	if (sig != NULL)
		put_s(&blob, sig, siglen);
	else
		put_s(&blob, p.sig, p.siglen);
	b64 = xmalloc(blob.len / 3 * 4 + 8);
	n = EVP_EncodeBlock((unsigned char *)b64,
	    (const unsigned char *)blob.ptr, (int)blob.len);
	dipb_buf_printf(&out, "%s\n%.*s\n%s\n", DIPB_SSHSIG_BEGIN, n, b64,
	    DIPB_SSHSIG_END);
	free(b64);
	dipb_buf_release(&blob);
	dipb_sshsig_release(&p);
	return dipb_buf_detach(&out);
}

/* The message of parsing and verifying the len bytes at s; NULL: good. */
static char *
why_not(const char *s, size_t len)
{
	struct dipb_sshsig sig;
	const struct dipb_error *err;
	char *why = NULL;

	if ((err = dipb_sshsig_parse(&sig, s, len)) == NULL)
		err = dipb_sshsig_verify(&sig, "git", msg, strlen(msg));
	if (err != NULL) {
		why = xstrdup(err->msg);
		dipb_error_free(err);
	}
	dipb_sshsig_release(&sig);
	return why;
}

/* s verifies (want NULL), or fails saying want. */
static void
expect(const char *what, const char *s, size_t len, const char *want)
{
	char *why = why_not(s, len);

	if (want == NULL)
		cr_expect_null(why, "%s: %s", what, why);
	else
		cr_expect(why != NULL && strstr(why, want) != NULL,
		    "%s: %s", what, why != NULL ? why : "verifies");
	free(why);
}

Test(sshsig, what_ssh_keygen_takes_verifies)
{
	struct dipb_sshsig p;
	struct dipb_buf b = DIPB_BUF_INIT, rs = DIPB_BUF_INIT;
	struct rd { const unsigned char *p; size_t n; } r, sv;
	static const char zeros[70];
	char *s;

	s = remade(sig_ed, 0, "git", 3, NULL, 0);
	expect("SSHSIG version 0", s, strlen(s), NULL);
	free(s);
	s = remade(sig_ed, 2, "git", 3, NULL, 0);
	expect("SSHSIG version 2", s, strlen(s), "version above 1");
	free(s);
	s = remade(sig_ed, 1, "git\0", 4, NULL, 0);
	expect("namespace \"git\\0\"", s, strlen(s), NULL);
	free(s);
	s = remade(sig_ed, 1, "gi\0t", 4, NULL, 0);
	expect("namespace \"gi\\0t\"", s, strlen(s),
	    "a NUL inside its namespace");
	free(s);
	/* The signature's type "ssh-ed25519\0", then with two NULs. */
	parse(&p, sig_ed);
	put_s(&b, "ssh-ed25519\0", 12);
	dipb_buf_put(&b, (const char *)p.sig + 15, p.siglen - 15);
	s = remade(sig_ed, 1, "git", 3, b.ptr, b.len);
	expect("signature type \"ssh-ed25519\\0\"", s, strlen(s), NULL);
	free(s);
	dipb_buf_clear(&b);
	put_s(&b, "ssh-ed25519\0\0", 13);
	dipb_buf_put(&b, (const char *)p.sig + 15, p.siglen - 15);
	s = remade(sig_ed, 1, "git", 3, b.ptr, b.len);
	expect("signature type \"ssh-ed25519\\0\\0\"", s, strlen(s),
	    "a signature of type 'ssh-ed25519\\x00\\x00' where the key "
	    "makes ssh-ed25519 signatures");
	free(s);
	dipb_sshsig_release(&p);
	/* An ECDSA signature's r with 70 zero bytes more before it. */
	parse(&p, sig_p256);
	r.p = p.sig + 4 + 19 + 4;	/* string r, string s */
	r.n = (size_t)r.p[0] << 24 | (size_t)r.p[1] << 16 |
	    (size_t)r.p[2] << 8 | r.p[3];
	sv.p = r.p + 4 + r.n;
	sv.n = (size_t)sv.p[0] << 24 | (size_t)sv.p[1] << 16 |
	    (size_t)sv.p[2] << 8 | sv.p[3];
	dipb_buf_clear(&rs);
	dipb_buf_put(&rs, zeros, sizeof(zeros));
	dipb_buf_put(&rs, (const char *)r.p + 4, r.n);
	dipb_buf_clear(&b);
	put_s(&b, "ecdsa-sha2-nistp256", 19);
	{
		struct dipb_buf in = DIPB_BUF_INIT;

		put_s(&in, rs.ptr, rs.len);
		put_s(&in, sv.p + 4, sv.n);
		put_s(&b, in.ptr, in.len);
		dipb_buf_release(&in);
	}
	s = remade(sig_p256, 1, "git", 3, b.ptr, b.len);
	expect("an ECDSA r with 70 leading zero bytes", s, strlen(s), NULL);
	free(s);
	dipb_sshsig_release(&p);
	dipb_buf_release(&b);
	dipb_buf_release(&rs);
}

Test(sshsig, armor_as_ssh_keygen_reads_it)
{
	char *s = xstrdup(sig_ed), *t, *end;
	size_t len = strlen(s);

	/* A NUL just before the END line: taken; anywhere else: not. */
	end = strstr(s, "\n" DIPB_SSHSIG_END);
	t = xmalloc(len + 2);
	memcpy(t, s, (size_t)(end - s));
	t[end - s] = '\0';
	memcpy(t + (end - s) + 1, end, len - (size_t)(end - s) + 1);
	expect("a NUL before the END line", t, len + 1, NULL);
	t[40] = '\0';
	expect("a NUL inside", t, len + 1, "a NUL inside its armor");
	free(t);
	/* A CR after BEGIN: OpenSSH 9.2 refuses it. */
	t = xmalloc(len + 2);
	memcpy(t, s, strlen(DIPB_SSHSIG_BEGIN));
	t[strlen(DIPB_SSHSIG_BEGIN)] = '\r';
	memcpy(t + strlen(DIPB_SSHSIG_BEGIN) + 1,
	    s + strlen(DIPB_SSHSIG_BEGIN), len - strlen(DIPB_SSHSIG_BEGIN) + 1);
	expect("CR LF after BEGIN", t, len + 1, "a CR after");
	free(t);
	/* A form feed and a vertical tab among the base64: skipped. */
	t = xmalloc(len + 3);
	memcpy(t, s, 40);
	t[40] = '\f';
	t[41] = '\v';
	memcpy(t + 42, s + 40, len - 40 + 1);
	expect("\\f \\v in the base64", t, len + 2, NULL);
	free(t);
	/* The last digit before '=' with its unused bits set. */
	t = strstr(s, "=\n");
	cr_assert_not_null(t);
	t[-1] = t[-1] == 'A' ? 'B' : (char)(t[-1] ^ 1);
	expect("unused bits set", s, len, "not base64 as ssh-keygen reads");
	free(s);
}

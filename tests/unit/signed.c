/*
 * Unit tests of the signed objects as repo.h reads them (src/git/object.c
 * reads, objparse.c parses): a commit made by git commit -S and a tag
 * made by git tag -s, with gpg.format=ssh.  The payload dipb reads must be what git signed: the
 * oracle is ssh-keygen -Y verify over the payload, and git's own
 * verify-commit / verify-tag.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "error.h"
#include "helpers.h"
#include "repo.h"
#include "sshsig.h"
#include "util.h"

static char tmpdir[64];

#define sh(...)	test_sh(tmpdir, __VA_ARGS__)

static void
setup(void)
{
	strcpy(tmpdir, "/tmp/dipb-signed-XXXXXX");
	cr_assert_not_null(mkdtemp(tmpdir));
	setenv("HOME", tmpdir, 1);
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	setenv("GIT_AUTHOR_NAME", "Ann Author", 1);
	setenv("GIT_AUTHOR_EMAIL", "ann@example.org", 1);
	setenv("GIT_COMMITTER_NAME", "Carl Committer", 1);
	setenv("GIT_COMMITTER_EMAIL", "carl@example.org", 1);
	unsetenv("GIT_DIR");
	unsetenv("GIT_WORK_TREE");
	cr_assert_eq(sh("git init -q -b main . && "
	    "ssh-keygen -q -t ed25519 -N '' -C k -f key && "
	    "git config gpg.format ssh && git config user.signingKey $PWD/key && "
	    "echo \"carl@example.org namespaces=\\\"git\\\" $(cat key.pub)\" "
	    ">allowed && git config gpg.ssh.allowedSignersFile $PWD/allowed && "
	    "echo a >a && git add a && git commit -q -m one && "
	    "echo b >b && git add b && git commit -q -S -m 'two' -m 'body' && "
	    "git tag -s -m 'the tag' t1 && git tag -a -m plain t2 HEAD~1 && "
	    "git verify-commit HEAD && git verify-tag t1"), 0);
}

static void
teardown(void)
{
	test_rmdir(tmpdir);
}

TestSuite(signed, .init = setup, .fini = teardown);

static struct dipb_repo *
open_repo(void)
{
	const struct dipb_error *err;
	struct dipb_repo *repo = NULL;

	err = dipb_repo_open(&repo, tmpdir, 0);
	cr_assert_null(err, "open: %s", err != NULL ? err->msg : "");
	return repo;
}

static char *
rev(const char *what)
{
	char *s = test_out(tmpdir, "git rev-parse %s", what);

	s[strcspn(s, "\n")] = '\0';
	return s;
}

/* Writes len bytes of data to tmpdir/name. */
static void
put(const char *name, const char *data, size_t len)
{
	char *path = xasprintf("%s/%s", tmpdir, name);
	FILE *f = fopen(path, "wb");

	cr_assert_not_null(f);
	cr_assert_eq(fwrite(data, 1, len, f), len);
	fclose(f);
	free(path);
}

/* Both ssh-keygen and dipb verify signature sig over payload. */
static void
both_verify(const char *sig, size_t siglen, const char *payload,
    size_t paylen)
{
	struct dipb_sshsig s;
	const struct dipb_error *err;

	put("sig", sig, siglen);
	put("payload", payload, paylen);
	cr_expect_eq(sh("ssh-keygen -Y verify -f allowed -I carl@example.org "
	    "-n git -s sig <payload"), 0, "ssh-keygen refuses the payload");
	err = dipb_sshsig_parse(&s, sig, siglen);
	cr_assert_null(err, "%s", err != NULL ? err->msg : "");
	err = dipb_sshsig_verify(&s, "git", payload, paylen);
	cr_expect_null(err, "%s", err != NULL ? err->msg : "");
	dipb_error_free(err);
	dipb_sshsig_release(&s);
}

Test(signed, commit_signature_and_payload_are_git_s)
{
	struct dipb_repo *repo = open_repo();
	struct dipb_commit c;
	const struct dipb_error *err;
	char *id = rev("HEAD"), *want;

	err = dipb_git_commit_read(&c, repo, id);
	cr_assert_null(err, "%s", err != NULL ? err->msg : "");
	cr_expect_str_eq(c.author_email, "ann@example.org");
	cr_expect_str_eq(c.committer_name, "Carl Committer");
	cr_expect_str_eq(c.committer_email, "carl@example.org");
	cr_expect_str_eq(c.message, "two\n\nbody\n");
	cr_assert_not_null(c.signature);
	cr_expect_eq(strlen(c.signature), c.signature_len);
	cr_expect(strncmp(c.signature, DIPB_SSHSIG_BEGIN "\n",
	    strlen(DIPB_SSHSIG_BEGIN) + 1) == 0, "%s", c.signature);
	cr_expect(strstr(c.signature, "\n ") == NULL, "unfolded");
	/* The payload is the commit without its gpgsig header. */
	want = test_out(tmpdir, "git cat-file commit HEAD | "
	    "sed '/^gpgsig /,/^ -----END/d'");
	cr_expect_str_eq(c.payload, want);
	cr_expect_eq(c.payload_len, strlen(want));
	both_verify(c.signature, c.signature_len, c.payload, c.payload_len);
	dipb_commit_release(&c);
	free(want);
	free(id);

	/* The unsigned commit has neither. */
	id = rev("HEAD~1");
	err = dipb_git_commit_read(&c, repo, id);
	cr_assert_null(err);
	cr_expect_null(c.signature);
	cr_expect_null(c.payload);
	dipb_commit_release(&c);
	free(id);
	dipb_repo_close(repo);
}

Test(signed, tag_signature_and_payload_are_git_s)
{
	struct dipb_repo *repo = open_repo();
	struct dipb_tag t;
	const struct dipb_error *err;
	char *id = rev("refs/tags/t1"), *head = rev("HEAD"), *want;

	err = dipb_git_tag_read(&t, repo, id);
	cr_assert_null(err, "%s", err != NULL ? err->msg : "");
	cr_expect_str_eq(t.object, head);
	cr_expect_eq(t.type, DIPB_OBJECT_COMMIT);
	cr_expect_str_eq(t.tagger_name, "Carl Committer");
	cr_expect_str_eq(t.tagger_email, "carl@example.org");
	cr_assert_not_null(t.signature);
	want = test_out(tmpdir, "git cat-file tag t1 | "
	    "sed '/^-----BEGIN SSH SIGNATURE/,$d'");
	cr_expect_str_eq(t.payload, want);
	both_verify(t.signature, t.signature_len, t.payload, t.payload_len);
	dipb_tag_release(&t);
	free(want);
	free(id);
	free(head);

	id = rev("refs/tags/t2");
	err = dipb_git_tag_read(&t, repo, id);
	cr_assert_null(err);
	cr_expect_null(t.signature);
	cr_expect_null(t.payload);
	cr_expect_str_eq(t.tagger_email, "carl@example.org");
	dipb_tag_release(&t);
	free(id);

	/* A commit is no tag. */
	id = rev("HEAD");
	err = dipb_git_tag_read(&t, repo, id);
	cr_expect_not_null(err);
	dipb_error_free(err);
	free(id);
	dipb_repo_close(repo);
}

/* A message line that looks like a signature's start, before the real
 * one: git takes the last such line, and so does dipb. */
Test(signed, tag_signature_is_the_last_armor_in_the_message)
{
	struct dipb_repo *repo;
	struct dipb_tag t;
	const struct dipb_error *err;
	char *id;

	cr_assert_eq(sh("printf 'subject\\n\\n-----BEGIN SSH SIGNATURE-----\\n"
	    "not one\\n' >m && git tag -s -F m t3 && git verify-tag t3"), 0);
	repo = open_repo();
	id = rev("refs/tags/t3");
	err = dipb_git_tag_read(&t, repo, id);
	cr_assert_null(err);
	cr_assert_not_null(t.payload);
	cr_expect(strstr(t.payload, "not one\n") != NULL, "%s", t.payload);
	both_verify(t.signature, t.signature_len, t.payload, t.payload_len);
	dipb_tag_release(&t);
	free(id);
	dipb_repo_close(repo);
}

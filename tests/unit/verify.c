/*
 * Unit tests of src/verify/: histories made with the real git in a fresh
 * temporary folder, replayed by dipb_verify; the findings' rules and paths
 * are checked.  The end-to-end scenarios are in tests/cli/verify.sh.
 */
#include <sys/wait.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "error.h"
#include "helpers.h"
#include "pool.h"
#include "repo.h"
#include "util.h"
#include "verify.h"

static char tmpdir[64];

/* Shell commands in the repository (helpers.h). */
#define sh(...)	test_sh(tmpdir, __VA_ARGS__)

static void
setup(void)
{
	strcpy(tmpdir, "/tmp/dipb-verify-XXXXXX");
	cr_assert_not_null(mkdtemp(tmpdir));
	setenv("HOME", tmpdir, 1);
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	setenv("GIT_AUTHOR_NAME", "Eve Example", 1);
	setenv("GIT_AUTHOR_EMAIL", "eve@example.org", 1);
	setenv("GIT_COMMITTER_NAME", "Eve Example", 1);
	setenv("GIT_COMMITTER_EMAIL", "eve@example.org", 1);
	unsetenv("GIT_DIR");
	unsetenv("GIT_WORK_TREE");
	cr_assert_eq(sh("git init -q -b main . && mkdir recommendations"), 0);
}

static void
teardown(void)
{
	test_rmdir(tmpdir);
}

TestSuite(verify, .init = setup, .fini = teardown);

/* Runs dipb_verify (since: NULL for all) on the repository into out. */
static void
verify(struct dipb_findings *out, const char *since)
{
	const struct dipb_error *err;
	struct dipb_repo *repo = NULL;

	err = dipb_repo_open(&repo, tmpdir, 0);
	cr_assert_null(err, "open: %s", err != NULL ? err->msg : "");
	err = dipb_verify(out, repo, since);
	cr_assert_null(err, "verify: %s", err != NULL ? err->msg : "");
	dipb_repo_close(repo);
}

/* The findings as "rule path" lines, in order. */
static char *
summary(const struct dipb_findings *f)
{
	struct dipb_buf b = DIPB_BUF_INIT;
	size_t i;

	dipb_buf_puts(&b, "");
	for (i = 0; i < f->n; i++)
		dipb_buf_printf(&b, "%s %s\n", f->v[i].rule,
		    f->v[i].path != NULL ? f->v[i].path : "-");
	return dipb_buf_detach(&b);
}

static void
expect_findings(const char *since, const char *want)
{
	struct dipb_findings f = DIPB_FINDINGS_INIT;
	char *got;

	verify(&f, since);
	got = summary(&f);
	cr_expect_str_eq(got, want, "got:\n%s\nwant:\n%s", got, want);
	free(got);
	dipb_findings_release(&f);
}

Test(verify, unborn_branch_is_clean)
{
	expect_findings(NULL, "");
}

Test(verify, commits_that_own_nothing_are_fine)
{
	cr_assert_eq(sh("echo a >README && git add README && "
	    "git commit -qm one && mkdir docs && echo b >docs/x && "
	    "git add docs && git commit -qm two"), 0);
	expect_findings(NULL, "");
}

/*
 * Plain commits on a folder of 300 records: a change at the start, in
 * the middle and at the end, an addition, a deletion, and two at once;
 * each is found, and nothing else (the walk over the raw trees stops
 * where the rest is the same, and is rebuilt from the entries it kept).
 */
Test(verify, plain_commits_in_a_big_folder)
{
	cr_assert_eq(sh("for i in $(seq 1000 1299); do "
	    "echo \"id: IC-$i\" >recommendations/IC-$i.yaml; done && "
	    "git add . && git commit -qm many"), 0);
	cr_assert_eq(sh("echo x >>recommendations/IC-1000.yaml && "
	    "git commit -qam first"), 0);
	cr_assert_eq(sh("echo x >>recommendations/IC-1150.yaml && "
	    "git commit -qam middle"), 0);
	cr_assert_eq(sh("echo x >>recommendations/IC-1299.yaml && "
	    "git commit -qam last"), 0);
	cr_assert_eq(sh("echo 'id: IC-1300' >recommendations/IC-1300.yaml && "
	    "git add . && git commit -qm add"), 0);
	cr_assert_eq(sh("git rm -q recommendations/IC-1200.yaml && "
	    "git commit -qm delete"), 0);
	cr_assert_eq(sh("echo y >>recommendations/IC-1001.yaml && "
	    "echo y >>recommendations/IC-1298.yaml && "
	    "git commit -qam two"), 0);
	expect_findings("HEAD~6",
	    "plain-commit recommendations/IC-1000.yaml\n"
	    "plain-commit recommendations/IC-1150.yaml\n"
	    "plain-commit recommendations/IC-1299.yaml\n"
	    "plain-commit recommendations/IC-1300.yaml\n"
	    "plain-commit recommendations/IC-1200.yaml\n"
	    "plain-commit recommendations/IC-1001.yaml\n"
	    "plain-commit recommendations/IC-1298.yaml\n");
}

Test(verify, odd_paths_under_recommendations)
{
	cr_assert_eq(sh("mkdir recommendations/sub && echo a >"
	    "recommendations/sub/x && echo b >'recommendations/a b.yaml' && "
	    "echo c >dipb.yaml && git add . && git commit -qm odd"), 0);
	/* A record file by its name (dipb_record_file), named by no id:
	 * out of every layout's place, as validate and list find it. */
	expect_findings(NULL,
	    "plain-commit dipb.yaml\n"
	    "plain-commit recommendations/a b.yaml\n"
	    "plain-commit recommendations/sub/x\n"
	    "record-path recommendations/a b.yaml\n");
}

/*
 * Below a shard's folder, a folder is read as any other (dipb-record(5)):
 * a record's file in it is out of its place; one more than
 * DIPB_RECORD_DEPTH deep is named as a folder, and reported as one no
 * command reads.
 */
Test(verify, folders_below_a_shard)
{
	cr_assert_eq(sh("mkdir -p recommendations/IC/00/deep && echo a >"
	    "recommendations/IC/00/deep/IC-0001.yaml && "
	    "d=recommendations/1/2/3/4/5/6/7/8/9/10/11/12/13/14/15/16/17 && "
	    "mkdir -p $d && echo b >$d/IC-0002.yaml && git add . && "
	    "git commit -qm odd"), 0);
	expect_findings(NULL,
	    "plain-commit recommendations/1/2/3/4/5/6/7/8/9/10/11/12/13/14/"
	    "15/16/17/\n"
	    "plain-commit recommendations/IC/00/deep/IC-0001.yaml\n"
	    "record-path recommendations/1/2/3/4/5/6/7/8/9/10/11/12/13/14/"
	    "15/16/17/\n"
	    "record-path recommendations/IC/00/deep/IC-0001.yaml\n");
}

Test(verify, trailers_without_their_change)
{
	cr_assert_eq(sh("echo a >README && git add README && "
	    "git commit -qm 'IC-0001: edited' -m 'Dipb-Record: IC-0001\n"
	    "Dipb-Event: edited\nDipb-Status: draft -> draft'"), 0);
	expect_findings(NULL,
	    "foreign-path README\n"
	    "no-change recommendations/IC-0001.yaml\n"
	    "tag-missing recommendations/IC-0001.yaml\n");
}

Test(verify, malformed_trailers)
{
	cr_assert_eq(sh("echo a >recommendations/IC-0001.yaml && git add . && "
	    "git commit -qm x -m 'Dipb-Record: IC-0001\nDipb-Event: sung'"),
	    0);
	expect_findings(NULL, "trailers recommendations/IC-0001.yaml\n");
}

Test(verify, since_a_commit_not_on_the_branch)
{
	struct dipb_findings f = DIPB_FINDINGS_INIT;
	const struct dipb_error *err;
	struct dipb_repo *repo = NULL;

	cr_assert_eq(sh("git commit -q --allow-empty -m one && "
	    "git checkout -q -b side && git commit -q --allow-empty -m two && "
	    "git tag gone && git checkout -q main"), 0);
	expect_findings("gone", "history-rewritten -\n");
	expect_findings("0000000000000000000000000000000000000000", "");
	cr_assert_null(dipb_repo_open(&repo, tmpdir, 0));
	err = dipb_verify(&f, repo, "no-such-revision");
	cr_assert_not_null(err);
	cr_expect_eq(err->code, DIPB_ERR_USAGE);
	dipb_error_free(err);
	dipb_findings_release(&f);
	dipb_repo_close(repo);
}

Test(verify, rules_are_named_once)
{
	size_t i, k;

	for (i = 0; dipb_verify_rules[i].name != NULL; i++) {
		cr_expect_not_null(dipb_verify_rules[i].what);
		for (k = 0; k < i; k++)
			cr_expect_str_neq(dipb_verify_rules[i].name,
			    dipb_verify_rules[k].name);
	}
	cr_expect_geq(i, 15);
}

/* pool.c: every index once, per-worker state, the first error wins. */
struct poolrun {
	unsigned char	 seen[1000];
	size_t		 fail_at;	/* 0: none */
};

static const struct dipb_error *
mark(void *arg, size_t worker, size_t begin, size_t end)
{
	struct poolrun *r = arg;

	(void)worker;
	for (; begin < end; begin++) {
		if (r->fail_at != 0 && begin == r->fail_at)
			return dipb_error_fmt(DIPB_ERR_INTERNAL, "at %zu",
			    begin);
		r->seen[begin]++;
	}
	return NULL;
}

Test(pool, each_index_once)
{
	static struct poolrun r;
	const struct dipb_error *err;
	size_t i;

	cr_assert_null(dipb_pool_run(4, 1000, 7, mark, &r));
	for (i = 0; i < 1000; i++)
		cr_assert_eq(r.seen[i], 1, "index %zu seen %d times", i,
		    r.seen[i]);
	memset(&r, 0, sizeof(r));
	r.fail_at = 500;
	err = dipb_pool_run(3, 1000, 10, mark, &r);
	cr_assert_not_null(err);
	cr_expect_str_eq(err->msg, "at 500");
	dipb_error_free(err);
	cr_expect_eq(dipb_pool_workers(0, 16, 8), 1);
	cr_expect_leq(dipb_pool_workers(100000, 16, 8), 8);
}

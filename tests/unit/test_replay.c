/*
 * Unit tests of dipb_repo_make (src/git/commit.c), what dipb sync's replay
 * (src/replay/) makes each change with: a change's objects on a given
 * parent, with a given author, and nothing else written.  git is the
 * oracle (cat-file, log, for-each-ref, fsck).  The replay's rules are
 * tested end to end by tests/cli/replay.sh.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "error.h"
#include "helpers.h"
#include "repo.h"
#include "util.h"

static char tmpdir[64];

#define sh(...)	test_sh(tmpdir, __VA_ARGS__)

static void
setup(void)
{
	strcpy(tmpdir, "/tmp/dipb-replay-XXXXXX");
	cr_assert_not_null(mkdtemp(tmpdir));
	setenv("HOME", tmpdir, 1);
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	unsetenv("GIT_DIR");
	unsetenv("GIT_WORK_TREE");
	cr_assert_eq(sh("git init -q -b main . && "
	    "printf 'board: T\\n' >dipb.yaml && git add dipb.yaml && "
	    "GIT_AUTHOR_NAME=C GIT_AUTHOR_EMAIL=c@example.org "
	    "GIT_COMMITTER_NAME=C GIT_COMMITTER_EMAIL=c@example.org "
	    "git commit -q -m one && "
	    "git for-each-ref >refs.before && git rev-parse HEAD >head"), 0);
}

/* The strings of out(), freed at teardown. */
static char *pool[64];
static size_t npool;

static void
teardown(void)
{
	while (npool > 0)
		free(pool[--npool]);
	test_rmdir(tmpdir);
}

TestSuite(replay_make, .init = setup, .fini = teardown);

/* The first line of the output of command fmt, printf's way. */
static char *
out(const char *fmt, ...)
    DIPB_PRINTF(1, 2);
static char *
out(const char *fmt, ...)
{
	va_list ap;
	char *cmd, *s;

	va_start(ap, fmt);
	cmd = xvasprintf(fmt, ap);
	va_end(ap);
	s = test_out(tmpdir, "%s", cmd);
	free(cmd);
	s[strcspn(s, "\n")] = '\0';
	cr_assert_lt(npool, sizeof(pool) / sizeof(pool[0]));
	pool[npool++] = s;
	return s;
}

/* A string kept until teardown. */
static char *
keep(char *s)
{
	cr_assert_lt(npool, sizeof(pool) / sizeof(pool[0]));
	pool[npool++] = s;
	return s;
}

static const char yaml[] = "id: IC-0001\ntitle: T\n";

/* Makes IC-0001's change on parent as ann (zone: her date's, 0: +0100),
 * committed by carl. */
static void
make_in(struct dipb_made *made, struct dipb_repo *repo, const char *parent,
    const char *tag, int zone)
{
	struct dipb_identity ann = { (char *)"Ann Author",
	    (char *)"ann@example.org", 1700000000, 60, 0 };
	struct dipb_identity carl = { (char *)"Carl Committer",
	    (char *)"carl@example.org", 1800000000, -120, 0 };
	struct dipb_file f = { "recommendations/IC-0001.yaml", yaml,
	    sizeof(yaml) - 1 };
	struct dipb_change c;
	const struct dipb_error *err;

	memset(&c, 0, sizeof(c));
	c.files = &f;
	c.nfiles = 1;
	c.record = "IC-0001";
	c.event = "drafted";
	c.status_from = "none";
	c.status_to = "draft";
	c.subject = "IC-0001: drafted by Ann Author";
	c.body = "Her own words.\n";
	c.who = &carl;
	c.author = &ann;
	c.renumbered_from = "IC-0009";
	if (zone != 0) {
		ann.offset = (zone / 100) * 60 + zone % 100;
		ann.zone = zone;
	}
	err = dipb_repo_make(made, repo, parent, tag, &c);
	cr_assert_null(err, "%s", err != NULL ? err->msg : "");
}

static void
make_on(struct dipb_made *made, struct dipb_repo *repo, const char *parent,
    const char *tag)
{
	make_in(made, repo, parent, tag, 0);
}

/*
 * A change made again keeps its author's zone as her commit spells it
 * (dipb-git(7), "Commit dates"): +9999, one only a commit made by hand
 * has, read as 6039 minutes, would be written +10039, which git fsck
 * refuses (badTimezone).
 */
Test(replay_make, the_authors_zone_as_her_commit_spells_it)
{
	struct dipb_repo *repo = NULL;
	const struct dipb_error *err;
	struct dipb_made made;
	char *head = out("cat head"), *s;

	err = dipb_repo_open(&repo, tmpdir, 0);
	cr_assert_null(err, "%s", err != NULL ? err->msg : "");
	make_in(&made, repo, head, "IC-0001/1-drafted", 9999);
	s = out("git cat-file -p %s | sed -n 3p", made.commit);
	cr_expect_str_eq(s, "author Ann Author <ann@example.org> 1700000000 "
	    "+9999");
	dipb_repo_close(repo);
}

Test(replay_make, objects_on_the_parent_and_nothing_else)
{
	struct dipb_repo *repo = NULL;
	const struct dipb_error *err;
	struct dipb_made made, next;
	char *head = out("cat head"), *s;

	err = dipb_repo_open(&repo, tmpdir, 0);
	cr_assert_null(err, "%s", err != NULL ? err->msg : "");
	make_on(&made, repo, head, "IC-0001/1-drafted");
	cr_expect_eq(made.is_signed, 0);

	/* The commit: the given parent, author and committer. */
	s = out("git cat-file -p %s | sed -n 2p", made.commit);
	cr_expect_str_eq(s, keep(xasprintf("parent %s", head)));
	s = out("git cat-file -p %s | sed -n 3p", made.commit);
	cr_expect_str_eq(s, "author Ann Author <ann@example.org> 1700000000 "
	    "+0100");
	s = out("git cat-file -p %s | sed -n 4p", made.commit);
	cr_expect_str_eq(s, "committer Carl Committer <carl@example.org> "
	    "1800000000 -0200");
	s = out("git log -1 --format=%%b %s | head -n 1",
	    made.commit);
	cr_expect_str_eq(s, "Her own words.");
	s = out("git log -1 --format='%%(trailers:key=Dipb-Record,"
	    "key=Dipb-Event,key=Dipb-Status,key=Dipb-Renumbered-From,"
	    "valueonly,separator=%%x7C)' %s", made.commit);
	cr_expect_str_eq(s, "IC-0001|drafted|none -> draft|IC-0009");
	/* Its tree: the parent's, with the record added. */
	s = out("git show %s:recommendations/IC-0001.yaml | "
	    "head -n 1 && git show %s:dipb.yaml", made.commit, made.commit);
	cr_expect_str_eq(s, "id: IC-0001");
	/* The tag: annotated, on the commit, tagged by the committer. */
	s = out("git cat-file -p %s | sed -n '1p;3p;4p' | "
	    "tr '\\n' '|'", made.tag);
	cr_expect_str_eq(s, keep(xasprintf("object %s|tag IC-0001/1-drafted|"
	    "tagger Carl Committer <carl@example.org> 1800000000 -0200|",
	    made.commit)));

	/* Nothing but objects: refs, HEAD, index and working tree as were. */
	cr_expect_eq(sh("git for-each-ref >refs.after && "
	    "cmp -s refs.before refs.after && "
	    "test \"$(git rev-parse HEAD)\" = \"$(cat head)\" && "
	    "test ! -e recommendations && "
	    "test -z \"$(git ls-files recommendations)\" && "
	    "test -z \"$(git fsck --strict --no-dangling 2>&1)\""), 0,
	    "a ref, the index or a file was written");

	/* The next change is made on the one before, as a replay chains. */
	make_on(&next, repo, made.commit, "IC-0001/2-drafted");
	s = out("git rev-parse %s^", next.commit);
	cr_expect_str_eq(s, made.commit);
	dipb_repo_close(repo);
}

Test(replay_make, a_bad_parent_or_tag_name_is_refused)
{
	struct dipb_repo *repo = NULL;
	const struct dipb_error *err;
	struct dipb_identity carl = { (char *)"Carl", (char *)"c@example.org",
	    1800000000, 0, 0 };
	struct dipb_file f = { "recommendations/IC-0001.yaml", yaml,
	    sizeof(yaml) - 1 };
	struct dipb_change c;
	struct dipb_made made;

	err = dipb_repo_open(&repo, tmpdir, 0);
	cr_assert_null(err, "%s", err != NULL ? err->msg : "");
	memset(&c, 0, sizeof(c));
	c.files = &f;
	c.nfiles = 1;
	c.record = "IC-0001";
	c.event = "drafted";
	c.subject = "s";
	c.who = &carl;
	err = dipb_repo_make(&made, repo,
	    "0123456789012345678901234567890123456789", "IC-0001/1-drafted",
	    &c);
	cr_expect_not_null(err);
	dipb_error_free(err);
	err = dipb_repo_make(&made, repo, out("cat head"), "IC-0001/1..x",
	    &c);
	cr_expect_not_null(err);
	dipb_error_free(err);
	cr_expect_eq(sh("git count-objects | grep -q '^3 objects'"), 0,
	    "objects written before the refusal");
	dipb_repo_close(repo);
}

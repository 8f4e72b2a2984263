/*
 * Unit tests of history.c: a repository made with the git CLI in a
 * temporary folder (dipb's trailers and tags, a plain git edit, a commit
 * that touches no record, dates in several time zones), read back and
 * checked against git.
 */
#include <sys/wait.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "error.h"
#include "helpers.h"
#include "history.h"
#include "repo.h"
#include "trailer.h"
#include "util.h"

static char tmpdir[64];
static struct dipb_repo *repo;
static struct dipb_history *hist;

/* The fixture: commit DATE FILE CONTENT [TRAILERS TAG [BODY]]. */
static const char script[] =
    "set -e\n"
    "git init -q -b main .\n"
    "git config user.name 'Ann Author'\n"
    "git config user.email ann@example.org\n"
    "c() {\n"
    "  GIT_AUTHOR_DATE=$1 GIT_COMMITTER_DATE=$1; export GIT_AUTHOR_DATE\n"
    "  export GIT_COMMITTER_DATE\n"
    "  mkdir -p recommendations\n"
    "  printf '%s\\n' \"$3\" >\"$2\"\n"
    "  git add \"$2\"\n"
    "  if [ -n \"${4:-}\" ]; then\n"
    "    git commit -q -m \"$6\" ${7:+-m \"$7\"} -m \"$4\"\n"
    "    git tag -a -m \"$6\" \"$5\"\n"
    "  else\n"
    "    git commit -q -m \"$6\"\n"
    "  fi\n"
    "}\n"
    "c 2026-01-01T09:00:00+01:00 dipb.yaml 'board: B' "
    "  \"$(printf 'Dipb-Record: board\\nDipb-Event: created')\" "
    "  board/1-created 'board: created by Ann Author'\n"
    /* 23:30 in New York is already 2026-01-02 in UTC. */
    "c 2026-01-01T23:30:00-05:00 recommendations/IC-0001.yaml 'id: IC-0001' "
    "  \"$(printf 'Dipb-Record: IC-0001\\nDipb-Event: drafted\\n"
    "Dipb-Status: none -> draft')\" IC-0001/1-drafted "
    "  'IC-0001: drafted by Ann Author'\n"
    "c 2026-01-03T10:00:00+00:00 recommendations/IC-0001.yaml 'id: IC-0001 ' "
    "  \"$(printf 'Dipb-Record: IC-0001\\nDipb-Event: review-requested\\n"
    "Dipb-Status: draft -> in-review')\" IC-0001/2-review-requested "
    "  'IC-0001: review requested by Ann Author' 'Please review.'\n"
    "n=3\n"
    "while [ $n -le 11 ]; do\n"
    "  c 2026-01-04T10:0$((n - 3)):00+00:00 recommendations/IC-0001.yaml "
    "    \"id: IC-0001 $n\" \"$(printf 'Dipb-Record: IC-0001\\n"
    "Dipb-Event: edited\\nDipb-Status: in-review -> in-review')\" "
    "    \"IC-0001/$n-edited\" \"IC-0001: edited by Ann Author\"\n"
    "  n=$((n + 1))\n"
    "done\n"
    "c 2026-01-05T10:00:00+00:00 recommendations/IC-0001.yaml 'by hand' "
    "  '' '' 'Edit IC-0001 by hand'\n"
    "c 2026-01-06T10:00:00+00:00 README 'notes' '' '' 'A README'\n";

static void
setup(void)
{
	char *cmd;
	int rc;

	strcpy(tmpdir, "/tmp/dipb-history-XXXXXX");
	cr_assert_not_null(mkdtemp(tmpdir));
	/* The script goes through the environment: no quoting to get wrong. */
	setenv("DIPB_HISTORY_SCRIPT", script, 1);
	cmd = xasprintf("cd '%s' && HOME='%s' GIT_CONFIG_NOSYSTEM=1 "
	    "sh -c \"$DIPB_HISTORY_SCRIPT\" >/dev/null 2>&1", tmpdir, tmpdir);
	rc = system(cmd);
	free(cmd);
	cr_assert(WIFEXITED(rc) && WEXITSTATUS(rc) == 0, "fixture failed");
	cr_assert_null(dipb_repo_open(&repo, tmpdir, 0));
	cr_assert_null(dipb_history_open(&hist, repo));
}

static void
teardown(void)
{
	dipb_history_close(hist);
	dipb_repo_close(repo);
	test_rmdir(tmpdir);
}

/* The output of a git command in the fixture, without its newline. */
static char *
git(const char *fmt, ...) DIPB_PRINTF(1, 2);

static char *
git(const char *fmt, ...)
{
	va_list ap;
	char *args, *o;
	size_t n;

	va_start(ap, fmt);
	args = xvasprintf(fmt, ap);
	va_end(ap);
	o = test_out(tmpdir, "git %s", args);
	free(args);
	for (n = strlen(o); n > 0 && o[n - 1] == '\n'; n--)
		o[n - 1] = '\0';
	return o;
}

TestSuite(history, .init = setup, .fini = teardown);

Test(history, record_from_its_tags_in_order)
{
	struct dipb_events ev = DIPB_EVENTS_INIT;
	char *c;
	size_t i;

	cr_assert_null(dipb_history_record(&ev, hist, "IC-0001"));
	cr_assert_eq(ev.n, 11);
	for (i = 0; i < ev.n; i++) {
		cr_expect_eq(ev.v[i].n, i + 1);
		c = git("rev-parse '%s^{commit}'", ev.v[i].tag);
		cr_expect_str_eq(ev.v[i].commit, c);
		free(c);
		cr_expect_str_eq(ev.v[i].record, "IC-0001");
		cr_expect_eq(ev.v[i].plain, 0);
	}
	cr_expect_str_eq(ev.v[0].tag, "IC-0001/1-drafted");
	cr_expect_str_eq(ev.v[0].date, "2026-01-01");	/* New York's */
	cr_expect_eq(ev.v[0].offset, -300);
	cr_expect_str_eq(ev.v[0].status_from, "none");
	cr_expect_null(ev.v[0].comment);
	cr_expect_str_eq(ev.v[1].comment, "Please review.");
	cr_expect_str_eq(ev.v[1].event, "review-requested");
	cr_expect_str_eq(ev.v[10].tag, "IC-0001/11-edited");
	cr_expect_str_eq(ev.v[1].author_name, "Ann Author");
	dipb_events_release(&ev);

	cr_assert_null(dipb_history_record(&ev, hist, "IC-0002"));
	cr_expect_eq(ev.n, 0);
	dipb_events_release(&ev);
}

Test(history, window_all_newest_first)
{
	struct dipb_events ev = DIPB_EVENTS_INIT;
	char *head;

	cr_assert_null(dipb_history_window(&ev, hist, NULL, NULL,
	    DIPB_HISTORY_TAGS));
	/* Every commit but the README one. */
	cr_assert_eq(ev.n, 13);
	head = git("rev-parse HEAD");
	cr_expect_str_eq(ev.end, head);
	free(head);
	cr_expect_eq(ev.v[0].plain, 1);
	cr_expect_str_eq(ev.v[0].subject, "Edit IC-0001 by hand");
	cr_assert_eq(ev.v[0].paths.n, 1);
	cr_expect_str_eq(ev.v[0].paths.v[0], "recommendations/IC-0001.yaml");
	cr_expect_str_eq(ev.v[1].tag, "IC-0001/11-edited");
	cr_expect_str_eq(ev.v[12].tag, "board/1-created");
	cr_expect_str_eq(ev.v[12].record, "board");
	dipb_events_release(&ev);

	/* Without DIPB_HISTORY_TAGS, no tags are read. */
	cr_assert_null(dipb_history_window(&ev, hist, NULL, NULL, 0));
	cr_expect_null(ev.v[1].tag);
	dipb_events_release(&ev);
}

Test(history, window_dates_and_revisions)
{
	struct dipb_events ev = DIPB_EVENTS_INIT;
	const struct dipb_error *err;

	/* The New York draft is on the 1st where it was made. */
	cr_assert_null(dipb_history_window(&ev, hist, "2026-01-02",
	    "2026-01-03", DIPB_HISTORY_TAGS));
	cr_assert_eq(ev.n, 1);
	cr_expect_str_eq(ev.v[0].tag, "IC-0001/2-review-requested");
	dipb_events_release(&ev);

	cr_assert_null(dipb_history_window(&ev, hist, "IC-0001/10-edited",
	    NULL, DIPB_HISTORY_TAGS));
	cr_assert_eq(ev.n, 2);
	cr_expect_str_eq(ev.v[1].tag, "IC-0001/11-edited");
	dipb_events_release(&ev);

	cr_assert_null(dipb_history_window(&ev, hist, NULL,
	    "IC-0001/1-drafted", DIPB_HISTORY_TAGS));
	cr_assert_eq(ev.n, 2);
	cr_expect_str_eq(ev.v[0].tag, "IC-0001/1-drafted");
	dipb_events_release(&ev);

	err = dipb_history_window(&ev, hist, "no-such-thing", NULL, 0);
	cr_assert_not_null(err);
	cr_expect_eq(err->code, DIPB_ERR_USAGE);
	dipb_error_free(err);
	dipb_events_release(&ev);
}

Test(history, resolve_and_read)
{
	struct dipb_buf b = DIPB_BUF_INIT;
	const struct dipb_error *err;
	char at[DIPB_OID_HEX + 1], blob[DIPB_OID_HEX + 1], *want;
	int found;

	cr_assert_null(dipb_history_resolve(at, hist, "2026-01-03"));
	want = git("rev-parse 'IC-0001/2-review-requested^{commit}'");
	cr_expect_str_eq(at, want);
	free(want);
	cr_assert_null(dipb_history_read(&b, blob, &found, hist, at,
	    "recommendations/IC-0001.yaml", 0));
	cr_assert_eq(found, 1);
	cr_expect_str_eq(b.ptr, "id: IC-0001 \n");
	want = git("rev-parse '%s:recommendations/IC-0001.yaml'", at);
	cr_expect_str_eq(blob, want);
	free(want);
	cr_assert_null(dipb_history_read(&b, blob, &found, hist, at,
	    "dipb.yaml", 0));
	cr_expect_eq(found, 1);
	cr_assert_null(dipb_history_read(&b, blob, &found, hist, at,
	    "recommendations/IC-0002.yaml", 0));
	cr_expect_eq(found, 0);
	cr_expect_str_eq(blob, "");
	err = dipb_history_read(&b, blob, &found, hist, at,
	    "recommendations/IC-0001.yaml", 4);
	cr_assert_not_null(err);
	cr_expect_eq(err->code, DIPB_ERR_TOO_LARGE);
	dipb_error_free(err);
	dipb_buf_release(&b);

	err = dipb_history_resolve(at, hist, "2025-12-31");
	cr_assert_not_null(err);
	cr_expect_eq(err->code, DIPB_ERR_NOT_FOUND);
	dipb_error_free(err);
}

static const struct dipb_error *
count(const char *path, const char *data, size_t len, const char *link,
    void *arg)
{
	(void)data;
	(void)len;
	(void)link;
	cr_expect_str_eq(path, "recommendations/IC-0001.yaml");
	(*(int *)arg)++;
	return NULL;
}

Test(history, each_record_at_a_commit)
{
	char at[DIPB_OID_HEX + 1];
	int n = 0;

	cr_assert_null(dipb_history_resolve(at, hist, "board/1-created"));
	cr_assert_null(dipb_history_each_record(hist, at, count, &n));
	cr_expect_eq(n, 0);
	cr_assert_null(dipb_history_resolve(at, hist, "HEAD"));
	cr_assert_null(dipb_history_each_record(hist, at, count, &n));
	cr_expect_eq(n, 1);
}

/* trailer.c, by the rules of git-interpret-trailers(1). */
static size_t
trailers(struct dipb_trailers *t, const char *msg)
{
	dipb_trailers_parse(t, msg, strlen(msg));
	return t->n;
}

Test(trailer, git_rules)
{
	struct dipb_trailers t;
	const char *v;

	/* Keys without regard to case; the last of a key wins. */
	cr_assert_eq(trailers(&t, "Subject\n\nBody.\n\n"
	    "dipb-record: IC-0001\nDIPB-RECORD: IC-0002\n"), 2);
	cr_expect_eq(dipb_trailers_get(&v, &t, "Dipb-Record"), 2);
	cr_expect_str_eq(v, "IC-0002");
	cr_expect_str_eq(t.v[0].key, "dipb-record");
	cr_expect_eq(t.start, strlen("Subject\n\nBody.\n\n"));
	dipb_trailers_release(&t);

	/* Blanks before the colon; a value folded over two lines. */
	cr_assert_eq(trailers(&t, "S\n\nKey : a\n  b\n"), 1);
	cr_expect_str_eq(t.v[0].key, "Key");
	cr_expect_str_eq(t.v[0].value, "a b");
	dipb_trailers_release(&t);

	/* Not the title; not a paragraph with free text in it. */
	cr_expect_eq(trailers(&t, "Dipb-Record: IC-0001\n"), 0);
	dipb_trailers_release(&t);
	cr_expect_eq(trailers(&t, "S\n\nDipb-Record: IC-0001\nfree text\n"),
	    0);
	dipb_trailers_release(&t);
	/* ... unless git's own Signed-off-by makes a quarter count. */
	cr_expect_eq(trailers(&t, "S\n\nDipb-Record: IC-0001\nfree text\n"
	    "Signed-off-by: A <a@b>\n"), 2);
	dipb_trailers_release(&t);

	/* Comments are skipped; a --- line ends the message. */
	cr_expect_eq(trailers(&t, "S\n\n# note\nA: 1\n"), 1);
	dipb_trailers_release(&t);
	cr_expect_eq(trailers(&t, "S\n\nA: 1\n\n---\nB: 2\n"), 1);
	cr_expect_str_eq(t.v[0].key, "A");
	dipb_trailers_release(&t);
	cr_expect_eq(trailers(&t, ""), 0);
	dipb_trailers_release(&t);
}

/* --- Versions: pure, on events made by hand ------------------------------ */

static void
fake_events(struct dipb_events *l)
{
	static const char *const tags[] = { "IC-0003/1-drafted",
	    "IC-0003/2-review-requested", "IC-0003/3-returned",
	    "IC-0003/10-edited" };
	static const unsigned long ns[] = { 1, 2, 3, 10 };
	size_t i;

	dipb_events_init(l);
	l->v = xcalloc(4, sizeof(*l->v));
	l->cap = l->n = 4;
	for (i = 0; i < 4; i++) {
		l->v[i].tag = xstrdup(tags[i]);
		l->v[i].n = ns[i];
	}
}

/* The index spec names, or -1 and the error's code. */
static long
version(const struct dipb_events *l, const char *spec, int *code)
{
	const struct dipb_error *err;
	size_t i = 0;

	err = dipb_history_version(&i, l, "IC-0003", spec);
	*code = err != NULL ? err->code : 0;
	dipb_error_free(err);
	return err != NULL ? -1 : (long)i;
}

Test(versions, every_form_names_its_change)
{
	struct dipb_events l;
	int code;

	fake_events(&l);
	cr_expect_eq(version(&l, "2", &code), 1);
	cr_expect_eq(version(&l, "3-returned", &code), 2);
	cr_expect_eq(version(&l, "IC-0003/3-returned", &code), 2);
	cr_expect_eq(version(&l, "IC-0003@10", &code), 3);
	cr_expect_eq(version(&l, "10-edited", &code), 3);
	dipb_events_release(&l);
}

Test(versions, what_names_no_change_is_an_error)
{
	struct dipb_events l, none = DIPB_EVENTS_INIT;
	int code;

	fake_events(&l);
	cr_expect_eq(version(&l, "IC-0003@0", &code), -1);
	cr_expect_eq(code, DIPB_ERR_NOT_FOUND);
	cr_expect_eq(version(&l, "4", &code), -1);	/* a gap: no tag 4 */
	cr_expect_eq(code, DIPB_ERR_NOT_FOUND);
	cr_expect_eq(version(&l, "99999999999", &code), -1);
	cr_expect_eq(code, DIPB_ERR_NOT_FOUND);
	cr_expect_eq(version(&l, "IC-0003/3-bogus", &code), -1);
	cr_expect_eq(code, DIPB_ERR_NOT_FOUND);
	cr_expect_eq(version(&l, "IC-0002/1-drafted", &code), -1);
	cr_expect_eq(code, DIPB_ERR_NOT_FOUND, "another record's tag");
	cr_expect_eq(version(&none, "1", &code), -1);
	cr_expect_eq(code, DIPB_ERR_NOT_FOUND);
	cr_expect_eq(version(&l, "IC-0003/3", &code), -1);
	cr_expect_eq(code, DIPB_ERR_USAGE, "a tag's name has its event");
	cr_expect_eq(version(&l, "x", &code), -1);
	cr_expect_eq(code, DIPB_ERR_USAGE);
	cr_expect_eq(version(&l, "03", &code), -1);
	cr_expect_eq(code, DIPB_ERR_USAGE);
	cr_expect_eq(version(&l, "3-", &code), -1);
	cr_expect_eq(code, DIPB_ERR_USAGE);
	cr_expect_eq(version(&l, "", &code), -1);
	cr_expect_eq(code, DIPB_ERR_USAGE);
	dipb_events_release(&l);
}

Test(versions, the_error_names_the_versions_there_are)
{
	struct dipb_events l;
	const struct dipb_error *err;
	size_t i;

	fake_events(&l);
	err = dipb_history_version(&i, &l, "IC-0003", "IC-0003@99");
	cr_assert_not_null(err);
	cr_expect_str_eq(err->msg, "IC-0003 has no version 'IC-0003@99': "
	    "its versions are 1 (IC-0003/1-drafted) to 10 "
	    "(IC-0003/10-edited)");
	dipb_error_free(err);
	dipb_events_release(&l);
}

Test(versions, split)
{
	const char *spec;
	char *id;

	cr_expect_eq(dipb_history_split(&id, &spec, "IC-0003"), 0);
	cr_expect_null(id);
	cr_expect_null(spec);
	cr_expect_eq(dipb_history_split(&id, &spec, "IC-0003@2"), 1);
	cr_expect_str_eq(id, "IC-0003");
	cr_expect_str_eq(spec, "IC-0003@2");
	free(id);
	cr_expect_eq(dipb_history_split(&id, &spec, "IC-0003/2-edited"), 1);
	cr_expect_str_eq(id, "IC-0003");
	free(id);
}

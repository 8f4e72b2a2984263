/*
 * Unit tests of change.c: the shared options of the writing commands and
 * what dipb_change_run() refuses before it opens anything.
 */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "change.h"
#include "error.h"

static const struct dipb_error *
usage_test(const char *what)
{
	return dipb_error_fmt(DIPB_ERR_USAGE, "%s", what);
}

static const struct dipb_error *
apply_never(char **subject, const char **body, struct dipb_session *s,
    struct dipb_record *r, const char *msg, void *arg)
{
	(void)subject;
	(void)body;
	(void)s;
	(void)r;
	(void)msg;
	(void)arg;
	cr_assert_fail("apply called");
	return NULL;
}

static int
code_of(const struct dipb_error *err)
{
	int c = err != NULL ? err->code : 0;

	dipb_error_free(err);
	return c;
}

Test(change, init_and_shared_options)
{
	struct dipb_change_cmd cmd;
	const struct dipb_error *err;

	dipb_change_init(&cmd, DIPB_MOVE_DECIDE, usage_test, apply_never);
	cr_expect_eq(cmd.move, DIPB_MOVE_DECIDE);
	cr_expect_eq(cmd.w.retries, -1, "--retry's default");
	cr_expect_null(cmd.w.text);
	cr_expect_eq(cmd.nids, 0);

	cr_expect_eq(dipb_change_option(&cmd, 'r', "7", &err), 1);
	cr_expect_null(err);
	cr_expect_eq(cmd.w.retries, 7);
	cr_expect_eq(dipb_change_option(&cmd, 'r', "1001", &err), 1);
	cr_expect_eq(code_of(err), DIPB_ERR_USAGE);
	cr_expect_eq(dipb_change_option(&cmd, 'm', "text", &err), 1);
	cr_expect_str_eq(cmd.w.text, "text");
	/* git commit -m: every -m a paragraph (git-commit(1)). */
	cr_expect_eq(dipb_change_option(&cmd, 'm', "more", &err), 1);
	cr_expect_str_eq(cmd.w.text, "text\n\nmore",
	    "a second -m is a paragraph, the first kept");
	cr_expect_eq(dipb_change_option(&cmd, 'F', "-", &err), 1);
	cr_expect_str_eq(cmd.w.file, "-");
	cr_expect_eq(dipb_change_option(&cmd, 'o', "agreed", &err), 0,
	    "a command's own option is left to it");
	cr_expect_null(err);
	dipb_change_release(&cmd);
	cr_expect_null(cmd.w.text);
}

Test(change, message_paragraphs)
{
	char *text = NULL;

	dipb_message_add(&text, "a\r\n");
	cr_expect_str_eq(text, "a\r\n", "one -m stays as given");
	dipb_message_add(&text, "b");
	cr_expect_str_eq(text, "a\r\n\nb", "a line already ended");
	dipb_message_add(&text, "c");
	cr_expect_str_eq(text, "a\r\n\nb\n\nc");
	free(text);
	text = NULL;
	dipb_message_add(&text, "");
	dipb_message_add(&text, "b");
	cr_expect_str_eq(text, "b", "an empty -m is no paragraph, as git's");
	free(text);
}

Test(change, refusals_before_anything_is_opened)
{
	struct dipb_change_cmd cmd;
	struct dipb_ctx ctx;
	char good_id[] = "IC-0001", bad_id[] = "not-an-id";
	char *bad[] = { good_id, bad_id };
	char *one[] = { good_id };

	memset(&ctx, 0, sizeof(ctx));
	dipb_change_init(&cmd, DIPB_MOVE_SUBMIT, usage_test, apply_never);
	cmd.ids = one;
	cmd.nids = 1;
	ctx.flags = CMD_NEEDS_REPO;
	cr_expect_eq(code_of(dipb_change_run(&ctx, &cmd)), DIPB_ERR_INTERNAL,
	    "a command the table does not mark CMD_WRITES");
	ctx.flags = CMD_WRITES;
	cr_expect_eq(code_of(dipb_ctx_open(&ctx)), DIPB_ERR_INTERNAL,
	    "a command the table does not mark CMD_NEEDS_REPO");
	cr_expect_null(ctx.repo);

	ctx.flags = CMD_NEEDS_REPO | CMD_WRITES;
	cmd.ids = bad;
	cmd.nids = 2;
	cr_expect_eq(code_of(dipb_change_run(&ctx, &cmd)), DIPB_ERR_BAD_ID,
	    "every id is checked first");
	cr_expect_null(ctx.repo, "nothing opened for a bad id");
}

/* What a command copies into a record, as dipb validate checks a field. */
Test(change, check_text)
{
	const struct dipb_error *err;

	cr_expect_null(dipb_cmd_check_text(usage_test, "-m", NULL, NULL, 1));
	cr_expect_null(dipb_cmd_check_text(usage_test, "-m", NULL,
	    "Tab\tand\nlines.\n", 1), "newline and tab in Markdown");
	err = dipb_cmd_check_text(usage_test, "--title", NULL, "A\tB", 0);
	cr_assert_not_null(err, "a tab in a single-line field");
	cr_expect_eq(err->code, DIPB_ERR_USAGE);
	cr_expect_str_eq(err->msg, "--title: control character U+0009 at "
	    "character 2 (a single-line field)");
	dipb_error_free(err);
	err = dipb_cmd_check_text(usage_test, "-m", NULL,
	    "\xc3\xa9t\xc3\xa9\nOk \033[2J\n", 1);
	cr_assert_not_null(err);
	cr_expect_str_eq(err->msg, "-m: control character U+001B on line 2, "
	    "at character 4");
	dipb_error_free(err);
	err = dipb_cmd_check_text(usage_test, "-F", "note.md",
	    "One\n\xc3\xa9 \xc2\x9b" "2J\n", 1);
	cr_assert_not_null(err);
	cr_expect_eq(err->code, DIPB_ERR_INVALID, "a file's: exit 1");
	/* Its line and column printed as --from's are, then this. */
	cr_expect_str_eq(err->msg, "invalid input: 'note.md'");
	dipb_error_free(err);
}

/* -m or -F, not both; the message read and checked as change.c reads it. */
Test(change, write_message)
{
	struct dipb_cmd_write w = DIPB_CMD_WRITE_INIT;
	const struct dipb_error *err;
	char *msg;

	cr_expect_null(dipb_cmd_write_check(&w, usage_test));
	cr_expect_null(dipb_cmd_write_message(&msg, &w, usage_test));
	cr_expect_null(msg, "neither -m nor -F: no message");
	dipb_message_add(&w.text, "Fine.");
	w.file = "notes.md";
	err = dipb_cmd_write_check(&w, usage_test);
	cr_assert_not_null(err, "-m and -F");
	cr_expect_str_eq(err->msg, "-m and -F exclude each other");
	dipb_error_free(err);
	w.file = NULL;
	cr_expect_null(dipb_cmd_write_check(&w, usage_test));
	cr_expect_null(dipb_cmd_write_message(&msg, &w, usage_test));
	cr_expect_str_eq(msg, "Fine.\n");
	free(msg);
	dipb_message_add(&w.text, "Bad\033.");
	err = dipb_cmd_write_message(&msg, &w, usage_test);
	cr_expect_eq(code_of(err), DIPB_ERR_USAGE, "a control character");
	cr_expect_null(msg, "no message on error");
	dipb_cmd_write_release(&w);
	cr_expect_null(w.text);
}

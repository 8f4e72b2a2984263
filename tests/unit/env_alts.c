/*
 * Unit tests of dipb_git_env_alts (git/internal.h): the list of
 * GIT_ALTERNATE_OBJECT_DIRECTORIES read as git 2.39 reads it, each case
 * checked against git's own reading (git(1)): C-quoted entries, a ':'
 * and escapes inside one, bad quoting, comments, empty entries, a folder
 * named twice, a relative one.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "error.h"
#include "git/internal.h"
#include "util.h"

/* The folders read from v, joined by '|', allocated. */
static char *
read_in(const char *v, const char *workdir)
{
	struct dipb_strlist l;
	struct dipb_buf b = DIPB_BUF_INIT;
	const struct dipb_error *err;
	size_t i;

	dipb_strlist_init(&l);
	err = dipb_git_env_alts(&l, v, workdir);
	cr_assert_null(err, "%s", err != NULL ? err->msg : "");
	for (i = 0; i < l.n; i++)
		dipb_buf_printf(&b, "%s%s", i > 0 ? "|" : "", l.v[i]);
	dipb_strlist_release(&l);
	if (b.ptr == NULL)
		dipb_buf_puts(&b, "");
	return dipb_buf_detach(&b);
}

static char *
read_list(const char *v)
{
	return read_in(v, "/top/");
}

/* The folders read from v, relative ones from the top of the working
 * tree that dipb runs in, each '@' of want standing for that top. */
static void
list_at(const char *v, const char *want)
{
	struct dipb_buf w = DIPB_BUF_INIT;
	char *cwd, *top, *got;
	const char *c;

	cr_assert_eq(chdir("/tmp"), 0);
	cr_assert_null(dipb_git_current_dir(&cwd));
	top = xasprintf("%s/", cwd);
	for (c = want; *c != '\0'; c++)
		if (*c == '@')
			dipb_buf_puts(&w, top);
		else
			dipb_buf_putc(&w, *c);
	got = read_in(v, top);
	cr_expect_str_eq(got, dipb_buf_cstr(&w), "list %s", v);
	free(got);
	dipb_buf_release(&w);
	free(top);
	free(cwd);
}

#define LIST(v, want) do {						\
	char *got_ = read_list(v);					\
	cr_expect_str_eq(got_, want, "list %s", v);			\
	free(got_);							\
} while (0)

Test(env_alts, plain_entries_split_on_colon)
{
	LIST("/a:/b", "/a|/b");
	LIST("/a", "/a");
}

Test(env_alts, quoted_entry_unquoted)
{
	LIST("\"/abs/alt\"", "/abs/alt");
	LIST("\"/a\":/b", "/a|/b");
}

Test(env_alts, quoted_entry_keeps_colon_and_escapes)
{
	LIST("\"/we:ird\\\\dir/o\"", "/we:ird\\dir/o");
	LIST("\"/nl\\nx/o\"", "/nl\nx/o");
	LIST("\"/nl\\012x/o\"", "/nl\nx/o");
	LIST("\"/q\\\"t\\a\\b\\f\\r\\t\\v\"", "/q\"t\a\b\f\r\t\v");
	LIST("\"/o\\060\"", "/o0");
}

Test(env_alts, bad_quoting_taken_as_it_is)
{
	/* git: "unable to normalize alternate object path: "/a" */
	list_at("\"/a", "@\"/a");
	list_at("\"/a\\q\":/b", "@\"/a\\q\"|/b");
	list_at("\"/a\\08\"", "@\"/a\\08\"");
	list_at("\"/a\\400\"", "@\"/a\\400\"");
	list_at("\"/a\\", "@\"/a\\");
}

Test(env_alts, after_a_quote_one_character_skipped)
{
	/* git takes the character after the closing quote for the ':' */
	LIST("\"/a\"x:/b", "/a|/b");
}

Test(env_alts, comments_and_empty_entries_skipped)
{
	LIST("::/a::", "/a");
	LIST("\"\":/a", "/a");
	LIST("#/a:/b", "/b");
	LIST("", "");
	LIST(":", "");
}

Test(env_alts, folder_named_twice_kept_once)
{
	LIST("/a:/a", "/a");
	LIST("/a:\"/a\":/b:/a", "/a|/b");
}

Test(env_alts, relative_entry_from_the_top)
{
	list_at("alt:\"q:d\"", "@alt|@q:d");
}

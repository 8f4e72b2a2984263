/*
 * Unit tests of trailer.c against git itself: messages whose trailers
 * git interpret-trailers --parse reads in a known way (checked with git
 * 2.39), then messages made of tricky lines, each given to both dipb's
 * parser and "git interpret-trailers --parse", which must agree.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "trailer.h"
#include "util.h"

/* The trailers of msg as "key: value\n" lines, as git --parse prints. */
static char *
parsed(const char *msg)
{
	struct dipb_buf b = DIPB_BUF_INIT;
	struct dipb_trailers t;
	char *out;
	size_t i;

	dipb_trailers_parse(&t, msg, strlen(msg));
	for (i = 0; i < t.n; i++)
		dipb_buf_printf(&b, "%s: %s\n", t.v[i].key, t.v[i].value);
	dipb_trailers_release(&t);
	out = xstrdup(dipb_buf_cstr(&b));
	dipb_buf_release(&b);
	return out;
}

/* git's cut line (git commit --verbose), without its newline. */
#define CUT "# ------------------------ >8 ------------------------"

static const struct {
	const char	*msg;
	const char	*want;
} cases[] = {
	/* The issue's review comment: a "---" line ends the message. */
	{ "S\n\nLooks wrong.\n\n---\nDipb-Record: IC-0001\n"
	    "Dipb-Event: drafted\n\nDipb-Record: IC-0001\n"
	    "Dipb-Event: returned\n", "" },
	/* ... as does "---" and any blank git knows, '\r' included ... */
	{ "S\n\nA: 1\n\n--- x\nB: 2\n", "A: 1\n" },
	{ "S\n\nA: 1\n\n---\r\nB: 2\n", "A: 1\n" },
	/* ... but not "---" followed by text, nor by '\v' or '\f'. */
	{ "S\n\nA: 1\n\n---x\n\nB: 2\n", "B: 2\n" },
	{ "S\n\nA: 1\n\n---\v\n\nB: 2\n", "B: 2\n" },
	/* A body line " ---" (as dipb writes one) ends nothing. */
	{ "S\n\n ---\nDipb-Event: drafted\n\nDipb-Event: returned\n",
	    "Dipb-Event: returned\n" },
	/* Only the last paragraph: trailers in the body are not read. */
	{ "S\n\nDipb-Record: IC-0002\nDipb-Event: decided\n\n"
	    "Dipb-Record: IC-0001\nDipb-Event: edited\n",
	    "Dipb-Record: IC-0001\nDipb-Event: edited\n" },
	/* '\v' and '\f' are text to git: no paragraph break. */
	{ "S\n\nA: 1\n\v\nB: 2\n", "" },
	{ "\f\nA: 1\n", "" },
	/* A comment line ends the trailer above it: no continuation. */
	{ "S\n\nA: 1\n# c\n more\nSigned-off-by: x\n",
	    "A: 1\nSigned-off-by: x\n" },
	{ "S\n\nA: 1\n more\nB: 2\n", "A: 1 more\nB: 2\n" },
	/* Trailing comments and blank lines are not the message. */
	{ "S\n\nA: 1\n\n# c\n\n", "A: 1\n" },
	/* Keys: letters, digits and '-', then only blanks. */
	{ "S\n\nK\xc3\xa9y: v\n", "" },
	{ "S\n\nKey\t: v\nk-y: w\n", "Key: v\nk-y: w\n" },
	{ "S\n\nBad Key: v\n", "" },
	/* The title is never trailers. */
	{ "Dipb-Record: IC-0001\n", "" },
	/* git's cut line: what follows it is not the message, the
	 * trailers above it are read ... */
	{ "S\n\nA: 1\n\n" CUT "\nnotes\n\nSee: below\n", "A: 1\n" },
	{ "S\n\nA: 1\n" CUT "\nB: 2\n", "A: 1\n" },
	/* ... and those below it are not ... */
	{ "S\n\nbody\n" CUT "\n\nA: 1\n", "" },
	{ CUT "\nS\n\nA: 1\n", "" },
	/* ... but only the whole line, ended by a newline, is one. */
	{ "S\n\nA: 1\n" CUT "  \nB: 2\n", "A: 1\nB: 2\n" },
	{ "S\n\nA: 1\nB: 2\n" CUT, "A: 1\nB: 2\n" },
	{ "S\n\nA: 1\n " CUT "\nB: 2\n",
	    "A: 1 " CUT "\nB: 2\n" },
};

Test(trailers, what_git_reads)
{
	char *got;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		got = parsed(cases[i].msg);
		cr_expect_str_eq(got, cases[i].want, "case %zu", i);
		free(got);
	}
}

/* The lines the messages of the oracle test are made of. */
static const char *const pieces[] = {
	"Subject", "", "", "body text", "Key: value", "Dipb-Record: IC-0001",
	"Dipb-Event: drafted", "Signed-off-by: A <a@b>",
	"(cherry picked from commit abc)", "---", "--- x", "---x", "---\t",
	"---\r", "---\v", " ---", "# comment", "#Key: v", " continued",
	"\tcont: x", "Key : spaced", "Key\t: tab", "k-y: v", ":nokey",
	"Bad Key: v", "http://x.y", "Conflicts:", "\tpath", "  ", "\r", "\v",
	"\f", "Key:", "Key:   ", "K\xc3\xa9y: v", "a:b:c", "Key: v\r", "x",
	"#", "-: x", "Key:: v",
};

/* A small generator, the same messages on every run. */
static uint32_t
next(uint32_t *s)
{
	*s = *s * 1103515245u + 12345u;
	return (*s >> 16) & 0x7fff;
}

/* What git interpret-trailers --parse prints for the file at path. */
static char *
git_parse(const char *path)
{
	struct dipb_buf b = DIPB_BUF_INIT;
	char *cmd, buf[4096];
	size_t n;
	FILE *p;

	cmd = xasprintf("GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null "
	    "git interpret-trailers --parse <'%s'", path);
	p = popen(cmd, "r");
	free(cmd);
	if (p == NULL)
		return NULL;
	while ((n = fread(buf, 1, sizeof(buf), p)) > 0)
		dipb_buf_put(&b, buf, n);
	if (pclose(p) != 0) {
		dipb_buf_release(&b);
		return NULL;
	}
	cmd = xstrdup(dipb_buf_cstr(&b));
	dipb_buf_release(&b);
	return cmd;
}

Test(trailers, agree_with_git)
{
	char path[] = "/tmp/dipb-trailer-XXXXXX";
	struct dipb_buf msg = DIPB_BUF_INIT;
	uint32_t seed = 12;
	char *want, *got;
	size_t i, k, nlines;
	int fd;
	FILE *f;

	if (system("git --version >/dev/null 2>&1") != 0)
		cr_skip_test("git is not installed");
	cr_assert_neq(fd = mkstemp(path), -1);
	close(fd);
	for (i = 0; i < 120; i++) {
		dipb_buf_clear(&msg);
		nlines = 1 + next(&seed) % 14;
		for (k = 0; k < nlines; k++)
			dipb_buf_printf(&msg, "%s%s", k > 0 ? "\n" : "",
			    pieces[next(&seed) % (sizeof(pieces) /
			    sizeof(pieces[0]))]);
		if (next(&seed) % 4 != 0)
			dipb_buf_putc(&msg, '\n');
		cr_assert_not_null(f = fopen(path, "wb"));
		fwrite(msg.ptr, 1, msg.len, f);
		fclose(f);
		cr_assert_not_null(want = git_parse(path), "git failed");
		got = parsed(dipb_buf_cstr(&msg));
		cr_expect_str_eq(got, want, "message %zu:\n%s", i,
		    dipb_buf_cstr(&msg));
		free(got);
		free(want);
	}
	unlink(path);
	dipb_buf_release(&msg);
}

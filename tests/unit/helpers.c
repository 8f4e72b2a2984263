/*
 * tests/unit/helpers.c - see helpers.h.
 */
#include <sys/wait.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/logging.h>

#include "helpers.h"

const char *
test_srcdir(void)
{
	const char *d = getenv("DIPB_SRCDIR");

	return d != NULL && *d != '\0' ? d : ".";
}

int
test_sh(const char *dir, const char *fmt, ...)
{
	va_list ap;
	char *cmd, *full;
	int rc;

	va_start(ap, fmt);
	cmd = xvasprintf(fmt, ap);
	va_end(ap);
	full = xasprintf("cd '%s' && { %s ; } >/dev/null 2>&1", dir, cmd);
	rc = system(full);
	free(cmd);
	free(full);
	return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

char *
test_out(const char *dir, const char *fmt, ...)
{
	struct dipb_buf b = DIPB_BUF_INIT;
	va_list ap;
	char *cmd, *full, tmp[4096];
	size_t n;
	FILE *fp;

	va_start(ap, fmt);
	cmd = xvasprintf(fmt, ap);
	va_end(ap);
	full = xasprintf("cd '%s' && { %s ; } 2>/dev/null", dir, cmd);
	fp = popen(full, "r");
	cr_assert_not_null(fp);
	while ((n = fread(tmp, 1, sizeof(tmp), fp)) > 0)
		dipb_buf_put(&b, tmp, n);
	pclose(fp);
	free(cmd);
	free(full);
	return dipb_buf_detach(&b);
}

void
test_rmdir(const char *dir)
{
	char *cmd = xasprintf("rm -rf '%s'", dir);

	if (system(cmd) != 0)
		cr_log_warn("cannot remove %s", dir);
	free(cmd);
}

void
test_board_load(struct dipb_board *b, const char *yaml)
{
	struct dipb_diags d = DIPB_DIAGS_INIT;
	int rc;

	dipb_board_init(b);
	rc = dipb_board_load(b, "dipb.yaml", yaml, strlen(yaml), &d);
	if (rc != 0)
		test_print_diags(&d);
	dipb_diags_release(&d);
	cr_assert_eq(rc, 0, "the test board does not load");
}

void
test_print_diags(const struct dipb_diags *d)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		cr_log_info("%s:%u:%u: %s [%s]", d->v[i].path, d->v[i].line,
		    d->v[i].col, d->v[i].msg, d->v[i].rule);
}

/*
 * error.c - constructors for struct dipb_error and the code table.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "text.h"

static const struct {
	const char	*name;
	int		 status;
	const char	*msg;
} codes[] = {
	{ "DIPB_ERR_NONE", DIPB_EXIT_OK, "success" },
#define DIPB_X_TABLE(code, status, msg) { #code, status, msg },
	DIPB_ERRORS(DIPB_X_TABLE)
#undef DIPB_X_TABLE
};

static int
known(int code)
{
	return code > DIPB_ERR_NONE && code < DIPB_ERR__COUNT;
}

static const struct dipb_error *
make(int code, char *msg)
{
	struct dipb_error *e = xmalloc(sizeof(*e));

	e->code = known(code) ? code : DIPB_ERR_INTERNAL;
	e->msg = msg;
	return e;
}

const struct dipb_error *
dipb_error_fmt(int code, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	return make(code, msg);
}

const struct dipb_error *
dipb_error(int code)
{
	return make(code, xstrdup(codes[known(code) ? code :
	    DIPB_ERR_INTERNAL].msg));
}

const struct dipb_error *
dipb_error_from_errno(const char *fmt, ...)
{
	int saved = errno;
	va_list ap;
	char *what, *line;
	const struct dipb_error *e;

	va_start(ap, fmt);
	what = xvasprintf(fmt, ap);
	va_end(ap);
	/* One line: what names a path (anyone's who pushes, the user's
	 * folders), whose newline would start a line of its own, a
	 * "dipb: ..." forged; shown with '?' (dipb(1)). */
	line = dipb_text_clean_line(what);
	e = make(DIPB_ERR_IO, xasprintf("%s: %s", line, strerror(saved)));
	free(line);
	free(what);
	errno = saved;
	return e;
}

void
dipb_error_free(const struct dipb_error *err)
{
	struct dipb_error *e = (struct dipb_error *)err;

	if (e == NULL)
		return;
	free(e->msg);
	free(e);
}

int
dipb_error_exit_status(const struct dipb_error *err)
{
	if (err == NULL)
		return DIPB_EXIT_OK;
	return codes[known(err->code) ? err->code : DIPB_ERR_INTERNAL].status;
}

const char *
dipb_error_code_name(int code)
{
	if (code < 0 || code >= DIPB_ERR__COUNT)
		return "DIPB_ERR_UNKNOWN";
	return codes[code].name;
}

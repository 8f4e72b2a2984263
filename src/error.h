/*
 * error.h - the one error type of dipb.
 *
 * Functions that can fail return const struct dipb_error *, NULL on
 * success (got's convention).  Errors are allocated; whoever stops the
 * propagation (in practice main) frees them with dipb_error_free().  A
 * cleanup error never hides the first one:
 *
 *	if (err == NULL)
 *		err = close_err;
 *	else
 *		dipb_error_free(close_err);
 *
 * DIPB_ERRORS maps each code to its exit status (dipb(1), EXIT STATUS) and
 * a default message.
 */
#ifndef DIPB_ERROR_H
#define DIPB_ERROR_H

#include "util.h"

#define DIPB_EXIT_OK		0
#define DIPB_EXIT_FINDINGS	1
#define DIPB_EXIT_USAGE		2
#define DIPB_EXIT_DENIED	3
#define DIPB_EXIT_BUSY		4
#define DIPB_EXIT_OTHER		5
#define DIPB_EXIT_DROPPED	6	/* dipb sync: no local change landed */

/*     code                  exit status         default message */
#define DIPB_ERRORS(X) \
	X(DIPB_ERR_INVALID,     DIPB_EXIT_FINDINGS, "invalid record") \
	X(DIPB_ERR_TRANSITION,  DIPB_EXIT_FINDINGS, "move not allowed") \
	X(DIPB_ERR_NOT_FOUND,   DIPB_EXIT_FINDINGS, "no such record") \
	X(DIPB_ERR_DIRTY,       DIPB_EXIT_FINDINGS, "uncommitted changes") \
	X(DIPB_ERR_CANCELLED,   DIPB_EXIT_FINDINGS, "cancelled") \
	X(DIPB_ERR_EXISTS,      DIPB_EXIT_FINDINGS, "already exists") \
	X(DIPB_ERR_TOO_LARGE,   DIPB_EXIT_FINDINGS, "file too large") \
	X(DIPB_ERR_USAGE,       DIPB_EXIT_USAGE,    "usage error") \
	X(DIPB_ERR_BAD_ID,      DIPB_EXIT_USAGE,    "not a record id") \
	X(DIPB_ERR_IDENTITY,    DIPB_EXIT_DENIED,   "no identity") \
	X(DIPB_ERR_DENIED,      DIPB_EXIT_DENIED,   "not permitted") \
	X(DIPB_ERR_BUSY,        DIPB_EXIT_BUSY,     "repository busy, retry") \
	X(DIPB_ERR_CHANGED,     DIPB_EXIT_BUSY,     "branch changed underneath, retry") \
	X(DIPB_ERR_NO_REPO,     DIPB_EXIT_OTHER,    "not a board repository") \
	X(DIPB_ERR_IO,          DIPB_EXIT_OTHER,    "i/o error") \
	X(DIPB_ERR_GIT,         DIPB_EXIT_OTHER,    "git error") \
	X(DIPB_ERR_NOMEM,       DIPB_EXIT_OTHER,    "out of memory") \
	X(DIPB_ERR_CORRUPT,     DIPB_EXIT_OTHER,    "corrupt repository") \
	X(DIPB_ERR_EDITOR,      DIPB_EXIT_OTHER,    "editor failed") \
	X(DIPB_ERR_INTERNAL,    DIPB_EXIT_OTHER,    "internal error") \
	X(DIPB_ERR_SOME_DROPPED, DIPB_EXIT_FINDINGS, "some local changes were dropped") \
	X(DIPB_ERR_ALL_DROPPED, DIPB_EXIT_DROPPED,  "no local change landed") \
	X(DIPB_ERR_REFUSED,     DIPB_EXIT_FINDINGS, "the remote refused the push") \
	X(DIPB_ERR_MOVING,      DIPB_EXIT_BUSY,     "the remote kept moving") \
	X(DIPB_ERR_NOT_DIPB,    DIPB_EXIT_FINDINGS, "not a dipb change") \
	X(DIPB_ERR_STALE,       DIPB_EXIT_FINDINGS, "the record changed since it was read") \
	X(DIPB_ERR_LOWERED,     DIPB_EXIT_FINDINGS, "an edit may not lower the classification")

enum dipb_error_code {
#define DIPB_X_ENUM(code, status, msg) code,
	DIPB_ERR_NONE = 0,
	DIPB_ERRORS(DIPB_X_ENUM)
#undef DIPB_X_ENUM
	DIPB_ERR__COUNT
};

struct dipb_error {
	int	 code;
	char	*msg;	/* full message, without the "dipb: " prefix */
};

/* A new error with a formatted message; never returns NULL. */
const struct dipb_error *dipb_error_fmt(int code, const char *fmt, ...)
	    DIPB_PRINTF(2, 3);
/* The code's default message. */
const struct dipb_error *dipb_error(int code);
/* "<what>: <strerror(errno)>" with code DIPB_ERR_IO (reads errno); what
 * on one line, its newlines and tabs shown as '?' (dipb_text_clean_line). */
const struct dipb_error *dipb_error_from_errno(const char *fmt, ...)
	    DIPB_PRINTF(1, 2);
/* Frees err; NULL is fine. */
void	 dipb_error_free(const struct dipb_error *err);
int	 dipb_error_exit_status(const struct dipb_error *err);
const char *dipb_error_code_name(int code);

#endif /* DIPB_ERROR_H */

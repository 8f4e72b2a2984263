/*
 * diag.h - diagnostics about record and board files, and their output.
 *
 * A diagnostic is "path:line:col: severity: message [rule]"; line and col
 * are 1-based, 0 when the problem concerns the whole file.  Loaders and
 * validators add to a struct dipb_diags; commands print it.
 */
#ifndef DIPB_DIAG_H
#define DIPB_DIAG_H

#include <stdarg.h>
#include <stdio.h>

#include "util.h"

enum dipb_severity {
	DIPB_SEV_ERROR,
	DIPB_SEV_WARNING
};

struct dipb_diag {
	char			*path;
	unsigned		 line;
	unsigned		 col;
	enum dipb_severity	 sev;
	const char		*rule;	/* static string, e.g. "yaml-syntax" */
	char			*msg;
};

struct dipb_diags {
	struct dipb_diag	*v;
	size_t			 n;
	size_t			 cap;
	size_t			 nerrors;
	size_t			 nwarnings;
};

#define DIPB_DIAGS_INIT { NULL, 0, 0, 0, 0 }

void	 dipb_diags_init(struct dipb_diags *);
void	 dipb_diags_release(struct dipb_diags *);
void	 dipb_diags_add(struct dipb_diags *, const char *path, unsigned line,
	    unsigned col, enum dipb_severity, const char *rule,
	    const char *fmt, ...) DIPB_PRINTF(7, 8);
void	 dipb_diags_vadd(struct dipb_diags *, const char *path,
	    unsigned line, unsigned col, enum dipb_severity, const char *rule,
	    const char *fmt, va_list) DIPB_PRINTF(7, 0);
/* Moves every diagnostic of src to the end of dst; src is left empty. */
void	 dipb_diags_move(struct dipb_diags *dst, struct dipb_diags *src);
/* Sorts by path, then line, then column (stable). */
void	 dipb_diags_sort(struct dipb_diags *);

/*
 * A rule as a command's man page lists it (dipb-validate(1), RULES;
 * dipb-verify(1), Rules), for the reports that describe their rules
 * (sarif.h); a table of them ends with a NULL name.
 */
struct dipb_rule {
	const char	*name;
	const char	*what;		/* one line, no full stop */
};

enum dipb_diag_format {
	DIPB_DIAG_GCC,		/* path:line:col: error: message [rule] */
	DIPB_DIAG_JSON,		/* JSON Lines, one object per diagnostic */
	DIPB_DIAG_GITHUB,	/* ::error file=...,line=...,col=...::message */
	DIPB_DIAG_JUNIT		/* JUnit XML, one testcase per file */
};

void	 dipb_diags_print(FILE *, const struct dipb_diags *,
	    enum dipb_diag_format);

/*
 * A new JSON string of s (jansson's json_t): s itself when it is UTF-8,
 * else s with each byte that is not made '?'.  Caller releases with
 * json_decref().
 */
struct json_t *dipb_json_string(const char *s);

/*
 * Writes s as the data of a GitHub workflow command ("::error ...::s"):
 * each control character but CR, LF and tab, and each byte that is not
 * UTF-8, as '?' (dipb_text_clean: a file name is anyone's who pushes, and
 * the log viewer obeys escape sequences); %, CR and LF escaped, and with
 * property non-zero (a property's value, such as file=) also ':' and ',',
 * and a tab as '?' (dipb-validate(1)).
 */
void	 dipb_gh_escape(FILE *, const char *s, int property);

/*
 * A JUnit XML report: one testcase per path of files[0..nfiles) and of
 * the diagnostics, sorted by path.  A file with an error (or, with
 * warnings_fail, a warning) has a <failure> holding its diagnostics as
 * "path:line:col: severity: message [rule]" lines; the warnings of a
 * passing file are its <system-out>.  A control character of a path or
 * message is '?', as in the gcc format.  Written by dipb_junit_print().
 */
void	 dipb_diags_print_junit(FILE *, const struct dipb_diags *,
	    const char *const *files, size_t nfiles, int warnings_fail);
/*
 * The number of testcases of that report: the paths of files[0..nfiles)
 * and of the diagnostics, each once.  dipb validate's summary counts
 * them too, a path that is a symbolic link or missing included
 * (dipb-validate(1)).
 */
size_t	 dipb_diags_nfiles(const struct dipb_diags *,
	    const char *const *files, size_t nfiles);

/* One testcase of a JUnit report. */
struct dipb_junit_case {
	const char	*name;
	const char	*file;		/* its file= attribute, or NULL */
	size_t		 nerrors;
	size_t		 nwarnings;
	const char	*text;		/* its lines, each ending in '\n' */
	/*
	 * The run could not finish: the case stands for it, with an
	 * <error> of this message, of type "exit status N" (exit_status),
	 * holding the text; NULL: a case of the report.
	 */
	const char	*error;
	int		 exit_status;
};

/*
 * The JUnit XML report of cases[0..n), in that order, in one testsuite
 * named suite ("dipb validate"), each testcase of class classname
 * ("dipb.validate").  A case with errors (or, with warnings_fail,
 * warnings) has a <failure> holding its text, a passing one with text a
 * <system-out>, one with error set an <error> (counted in errors=).
 * Text is XML-escaped; characters XML cannot hold (C0 controls, U+FFFE,
 * U+FFFF, invalid UTF-8), the other noncharacters, DEL and the C1
 * controls become '?'.
 */
void	 dipb_junit_print(FILE *, const char *suite, const char *classname,
	    const struct dipb_junit_case *cases, size_t n, int warnings_fail);

/*
 * A run of command ("validate", "verify") that could not finish, after
 * its command line was taken (an error, not its findings), of exit
 * status exit_status (dipb(1)), for msg, the message standard error ends
 * with, without "dipb: " (cleaned: dipb_text_clean).  What fmt writes in place of its
 * report, so that a CI system reads why the run failed and not an empty
 * file (dipb-validate(1), dipb-verify(1), OPTIONS): JSON, a last line
 * {"error": msg, "exit": exit_status}; GitHub, an ::error annotation
 * titled "dipb COMMAND"; JUnit, one testsuite of one testcase, "dipb
 * COMMAND", with an <error>; the gcc format, nothing (standard error has
 * it).  SARIF's is dipb_sarif_print's (sarif.h).
 */
void	 dipb_diags_print_failure(FILE *, enum dipb_diag_format,
	    const char *command, const char *msg, int exit_status);

/*
 * The text fmt makes, cleaned (dipb_text_clean: a control character,
 * C1 and ESC included, and a byte that is no UTF-8 shown as '?'), to fp:
 * the one way a message of dipb's (an error, a warning, a question, a
 * line of progress that quotes a path, a tag or git's words) reaches a
 * terminal, shown and never obeyed (dipb(1), EXIT STATUS).  '\n' and
 * '\t' are kept: fmt ends its own line.
 */
void	 dipb_say(FILE *, const char *fmt, ...) DIPB_PRINTF(2, 3);

#endif /* DIPB_DIAG_H */

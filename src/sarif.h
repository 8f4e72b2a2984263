/*
 * sarif.h - findings as the reports that code-scanning tools and forges
 * read: SARIF 2.1.0 (GitHub code scanning and the many tools that read
 * SARIF; dipb-validate(1) and dipb-verify(1), OPTIONS) and GitLab Code
 * Quality (dipb-validate(1) only).
 *
 * The commands turn their diagnostics or findings into an array of
 * struct dipb_result; the writers add nothing of their own but the rules'
 * descriptions (struct dipb_rule, diag.h: dipb_validate_rules in validate.h,
 * dipb_verify_rules in verify.h), paths as URIs, and fingerprints.  The
 * JSON is written with jansson, keys in a fixed order, so that the same
 * findings always give the same bytes; each result is printed as it is
 * made and freed, so that a report costs little more memory than v.
 * Nothing is owned.
 */
#ifndef DIPB_SARIF_H
#define DIPB_SARIF_H

#include <stddef.h>
#include <stdio.h>

#include "diag.h"

struct dipb_result {
	const char	*rule;		/* NULL: none */
	int		 warning;	/* else an error */
	const char	*msg;
	/*
	 * The file concerned, relative to the root (no "./", no ".."), or
	 * absolute when it is outside it; NULL when none.  Its own bytes,
	 * not a text shown for them: the URI names the file by them.
	 */
	const char	*path;
	unsigned	 line;		/* from 1; 0: the whole file */
	unsigned	 col;		/* from 1; 0: none */
	const char	*commit;	/* verify: the commit's id, or NULL */
	const char	*tag;		/* verify: the tag concerned, or NULL */
};

struct dipb_sarif_run {
	const char		*command;	/* "validate", "verify" */
	const struct dipb_rule	*rules;
	/*
	 * The absolute path of the folder the relative paths start from,
	 * ending in '/' (SARIF's SRCROOT); NULL when unknown.
	 */
	const char		*root;
	/* For results with no path (verify): this file stands for them. */
	const char		*fallback_path;
	/*
	 * The run could not finish (an error, not its findings): why, as
	 * standard error says it without "dipb: ", and its exit status
	 * (dipb(1)).  The log then has no results and an invocation that did
	 * not succeed (dipb-verify(1), OPTIONS).  NULL: the run finished.
	 */
	const char		*failure;
	int			 exit_status;
};

/*
 * One SARIF 2.1.0 log of one run, pretty-printed, to fp; with
 * run->failure, of none (v is not read).
 */
void	 dipb_sarif_print(FILE *fp, const struct dipb_sarif_run *run,
	    const struct dipb_result *v, size_t n);

/*
 * A GitLab Code Quality report of v[0..n), a JSON array: description,
 * check_name, fingerprint, severity (major for an error, minor for a
 * warning), location.path and location.lines.begin.
 */
void	 dipb_gitlab_print(FILE *fp, const char *command,
	    const struct dipb_result *v, size_t n);

/*
 * The fingerprints of v[0..n) into out[0..n) (64 hexadecimal digits and
 * NUL each): SHA-256 of the command, the rule, path, commit, tag and
 * message, and of how many results before it in v share all of those, so
 * that the same finding gets the same fingerprint from run to run,
 * wherever its line moves, and no two results of a run share one.
 */
void	 dipb_result_fingerprints(char (*out)[65], const char *command,
	    const struct dipb_result *v, size_t n);

/*
 * Path made relative to root (absolute, ending in '/'), from cwd (absolute)
 * for a relative path: "." and ".." resolved by name, not through links.
 * Returns a new string: relative when the path is under root, else the
 * absolute path.  Caller frees.
 */
char	*dipb_result_relpath(const char *root, const char *cwd,
	    const char *path);

/*
 * The folder SARIF paths of the working tree start from: GIT_WORK_TREE
 * when set, else the nearest folder from cwd upwards that holds .git, else
 * cwd; absolute, ending in '/'.  Nothing is opened.  Caller frees.
 */
char	*dipb_result_root(const char *cwd);

#endif /* DIPB_SARIF_H */

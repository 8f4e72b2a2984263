/*
 * cmd_validate.c - dipb validate [PATH...] [--canonical]
 * [--warnings-as-errors] [--format gcc|json|github|junit|sarif|gitlab|auto]
 *
 * Reads the working-tree files directly, so a shallow clone or a folder
 * without .git is fine; the repository of the current folder, if any, is
 * opened first to complete an interrupted change (dipb_ctx_settle), and
 * a file's to judge the form of one that holds a CR as git would commit
 * it (scan.h).  The files are shared
 * among one thread per processor (the board is loaded once, beforehand,
 * and only read); each thread parses its files one at a time into a
 * reused buffer, keeps their diagnostics and ids, and frees the records
 * a batch at a time.  The diagnostics are merged and sorted at the end.
 * A run that cannot finish writes, in the formats but gcc, a report of
 * why.
 */
#include <errno.h>
#include <pthread.h>
#include <getopt.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "error.h"
#include "meeting.h"
#include "pool.h"
#include "sarif.h"
#include "scan.h"
#include "text.h"
#include "validate.h"

#define MAX_THREADS	8
#define CHUNK		32	/* files a thread takes at a time */
#define BATCH		64	/* records freed at a time */

struct worker {
	int			 progress;	/* worker 0 on a terminal */
	double			 start;
	double			 shown;		/* when progress was shown */
	int			 width;		/* and its columns */
	const struct dipb_scan	*scan;
	int			 canonical;
	/* The working trees of the files, one thread at a time. */
	struct dipb_scan_git	*git;
	pthread_mutex_t		*gitlock;
	struct dipb_diags	 diags;
	/* A repository that would not open (check_canonical), a file not
	 * read for a failure of dipb's own (dipb_scan_io): the run's. */
	const struct dipb_error	*err;
	struct dipb_idref	*ids;
	size_t			 nids;
	size_t			 icap;
	struct dipb_buf		 buf;
	struct dipb_buf		 canon;
	/* Records are freed a batch at a time: see check_file(). */
	struct dipb_record	 done[BATCH];
	size_t			 ndone;
};

static const struct dipb_error *
usage_validate(const char *what)
{
	return dipb_cmd_usage_error("validate", "%s", what);
}

/*
 * The form judged as git would commit the file (dipb_scan_canonical); a
 * repository that holds it but will not open is w->err.
 */
static void
check_canonical(struct worker *w, const struct dipb_scan_file *f,
    const struct dipb_record *r)
{
	const struct dipb_error *err;
	unsigned line;
	int ok;

	dipb_buf_clear(&w->canon);
	dipb_record_emit(r, &w->canon);
	if (dipb_validate_canonical(w->buf.ptr, w->buf.len, w->canon.ptr,
	    w->canon.len, &line))
		return;
	pthread_mutex_lock(w->gitlock);
	err = dipb_scan_canonical(&ok, w->git, f, &w->buf, &w->canon, &line);
	pthread_mutex_unlock(w->gitlock);
	if (err != NULL)
		w->err = err;
	else if (!ok)
		dipb_diags_add(&w->diags, f->path, line, 1, DIPB_SEV_ERROR,
		    "canonical", "not in canonical form (dipb fmt rewrites "
		    "it)");
}

static void
release_done(struct worker *w)
{
	size_t i;

	for (i = 0; i < w->ndone; i++)
		dipb_record_release(&w->done[i]);
	w->ndone = 0;
}

/*
 * A draft is checked as 'dipb recommend --from' reads it (the drafter's
 * fields only) and against its board; it has no id, and needs what
 * recommend needs from it: a working group, a title and a summary.
 */
static void
check_draft(struct worker *w, const struct dipb_scan_file *f)
{
	const struct dipb_board *b = dipb_scan_board_of(w->scan, f);
	struct dipb_record r;
	int rc;

	dipb_record_init(&r);
	rc = dipb_record_load(&r, f->path, w->buf.ptr, w->buf.len,
	    DIPB_LOAD_INPUT, &w->diags);
	dipb_validate_draft_needed(&w->diags, f->path, &r, rc);
	dipb_validate_record(&w->diags, f->path, &r, b, DIPB_VALIDATE_ALL);
	dipb_record_release(&r);
}

/*
 * A meeting is checked by its own rules (dipb-record(5), MEETINGS), as
 * history: it is recorded once, its attendees judged then.
 */
static void
check_meeting(struct worker *w, const struct dipb_scan_file *f)
{
	struct dipb_meeting m;

	dipb_meeting_init(&m);
	if (dipb_meeting_load(&m, f->path, w->buf.ptr, w->buf.len,
	    &w->diags) == 0) {
		dipb_validate_meeting_at(&w->diags, f->path, f->where, &m,
		    dipb_scan_board_of(w->scan, f), 1);
		dipb_validate_meeting_controls(&w->diags, f->path, &m);
		dipb_validate_meeting_bidi(&w->diags, f->path, &m);
	}
	dipb_meeting_release(&m);
}

static void
check_file(struct worker *w, const struct dipb_scan_file *f)
{
	const struct dipb_board *b = dipb_scan_board_of(w->scan, f);
	struct dipb_record r;
	struct dipb_idref *ref;
	int rc;

	/* A link or what is no regular file is reported, never read. */
	if ((w->err = dipb_scan_read(&rc, &w->buf, &w->diags, f->path)) !=
	    NULL || rc == -1)
		return;
	if (dipb_scan_draft(f->where)) {
		check_draft(w, f);
		return;
	}
	if (dipb_meeting_file(f->where)) {
		check_meeting(w, f);
		return;
	}
	dipb_record_init(&r);
	rc = dipb_record_load(&r, f->path, w->buf.ptr, w->buf.len, 0,
	    &w->diags);
	dipb_validate_record(&w->diags, f->path, &r, b, DIPB_VALIDATE_ALL);
	if (b != NULL && f->rel != NULL)
		dipb_validate_place(&w->diags, f->path, f->rel, b);
	/* What did not load whole has no canonical form to compare. */
	if (w->canonical && rc == 0)
		check_canonical(w, f, &r);
	if (r.id != NULL) {
		xgrow((void **)&w->ids, &w->icap, w->nids + 1,
		    sizeof(*w->ids));
		ref = &w->ids[w->nids++];
		ref->id = r.id;		/* taken from r, freed with w */
		ref->path = f->path;
		ref->pos = r.pos[DIPB_F_ID];
		ref->group = f->board;
		r.id = NULL;
	}
	/*
	 * The dozens of small blocks of a record, freed right before
	 * libyaml's next parser claims its large buffers, make glibc's
	 * malloc serve libyaml's many small requests the slow way for the
	 * whole next file; freed sixty-four records at a time, they do so
	 * once in sixty-four files.
	 */
	w->done[w->ndone++] = r;
	if (w->ndone == BATCH)
		release_done(w);
}

static double
seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * Progress on a terminal, for a run that takes over a second: worker 0
 * (the main thread) rewrites one line of standard error, at most ten
 * times a second, and clears it at the end (dipb-validate(1)): with
 * ESC[K, or on a dumb terminal, which may not know it, as git does, with
 * blanks over the line (never shorter than the one before: the count of
 * files done only grows).
 */
static void
progress(struct worker *w, size_t done, size_t total, int last)
{
	double now;
	int n;

	if (!w->progress)
		return;
	now = seconds();
	if (last) {
		if (w->shown && dipb_terminal_dumb())
			fprintf(stderr, "\r%*s\r", w->width, "");
		else if (w->shown)
			fputs("\r\033[K", stderr);
		return;
	}
	if (now - w->start < 1.0 || now - w->shown < 0.1)
		return;
	w->shown = now;
	n = fprintf(stderr, "\rdipb: validating %zu/%zu files", done, total);
	w->width = n > 1 ? n - 1 : 0;
	fflush(stderr);
}

/* A chunk of files, for worker number k of the pool (pool.h). */
static const struct dipb_error *
work(void *arg, size_t k, size_t begin, size_t end)
{
	struct worker *w = (struct worker *)arg + k;
	const struct dipb_scan *s = w->scan;
	const struct dipb_error *err;
	size_t i;

	progress(w, begin, s->nfiles, 0);
	for (i = begin; i < end && w->err == NULL; i++)
		check_file(w, &s->files[i]);
	err = w->err;
	w->err = NULL;
	return err;
}

/*
 * Checks every file of s on up to MAX_THREADS threads, then the ids
 * across files; every diagnostic ends up in out.  A repository that
 * would not open for --canonical is returned, and out is then not all.
 */
static const struct dipb_error *
check_all(struct dipb_diags *out, const struct dipb_scan *s, int canonical)
{
	const struct dipb_error *err;
	struct worker *w;
	struct dipb_idref *ids = NULL;
	struct dipb_scan_git git = DIPB_SCAN_GIT_INIT;
	pthread_mutex_t gitlock = PTHREAD_MUTEX_INITIALIZER;
	size_t i, k, nthreads, nids = 0;

	nthreads = dipb_pool_workers(s->nfiles, CHUNK, MAX_THREADS);
	w = xcalloc(nthreads, sizeof(*w));
	for (i = 0; i < nthreads; i++) {
		w[i].scan = s;
		w[i].canonical = canonical;
		w[i].git = &git;
		w[i].gitlock = &gitlock;
		dipb_diags_init(&w[i].diags);
	}
	/* Worker 0 is this thread, the one that shows progress. */
	w[0].progress = isatty(STDERR_FILENO);
	w[0].start = seconds();
	err = dipb_pool_run(nthreads, s->nfiles, CHUNK, work, w);
	progress(&w[0], s->nfiles, s->nfiles, 1);

	for (i = 0; i < nthreads; i++)
		nids += w[i].nids;
	ids = xcalloc(nids + 1, sizeof(*ids));
	for (i = 0, nids = 0; i < nthreads; i++) {
		for (k = 0; k < w[i].nids; k++)
			ids[nids++] = w[i].ids[k];
		dipb_diags_move(out, &w[i].diags);
	}
	dipb_validate_ids(out, ids, nids);
	for (i = 0; i < nthreads; i++) {
		for (k = 0; k < w[i].nids; k++)
			free((char *)w[i].ids[k].id);
		free(w[i].ids);
		release_done(&w[i]);
		dipb_buf_release(&w[i].buf);
		dipb_buf_release(&w[i].canon);
	}
	free(ids);
	free(w);
	dipb_scan_git_release(&git);
	return err;
}

/* The reports that describe their rules, besides diag.h's formats. */
enum report { REPORT_NONE, REPORT_SARIF, REPORT_GITLAB };

/*
 * The paths of d's problems relative to the working tree's top (SARIF,
 * GitLab and GitHub read them from there: dipb-validate(1), OPTIONS),
 * found from the current folder as git finds it, without opening the
 * repository; the top into *root.  Caller frees both.
 */
static const struct dipb_error *
top_paths(char ***out, char **root, const struct dipb_diags *d)
{
	char *cwd;
	size_t i;

	if ((cwd = getcwd(NULL, 0)) == NULL)
		return dipb_error_from_errno("cannot read the current "
		    "folder");
	*root = dipb_result_root(cwd);
	*out = xcalloc(d->n + 1, sizeof(**out));
	for (i = 0; i < d->n; i++)
		(*out)[i] = dipb_result_relpath(*root, cwd, d->v[i].path);
	free(cwd);
	return NULL;
}

static void
free_paths(char **paths, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
}

/* The SARIF or GitLab report of d. */
static const struct dipb_error *
print_report(const struct dipb_diags *d, enum report report)
{
	const struct dipb_error *err;
	struct dipb_sarif_run run;
	struct dipb_result *v;
	char **paths, *root;
	size_t i;

	if ((err = top_paths(&paths, &root, d)) != NULL)
		return err;
	v = xcalloc(d->n + 1, sizeof(*v));
	for (i = 0; i < d->n; i++) {
		v[i].rule = d->v[i].rule;
		v[i].warning = d->v[i].sev == DIPB_SEV_WARNING;
		v[i].msg = d->v[i].msg;
		v[i].path = paths[i];
		v[i].line = d->v[i].line;
		v[i].col = d->v[i].col;
	}
	if (report == REPORT_SARIF) {
		memset(&run, 0, sizeof(run));
		run.command = "validate";
		run.rules = dipb_validate_rules;
		run.root = root;
		dipb_sarif_print(stdout, &run, v, d->n);
	} else
		dipb_gitlab_print(stdout, "validate", v, d->n);
	free_paths(paths, d->n);
	free(v);
	free(root);
	return NULL;
}

/* GitHub's annotations of d, file= from the top as in print_report. */
static const struct dipb_error *
print_github(const struct dipb_diags *d)
{
	const struct dipb_error *err;
	struct dipb_diags top = *d;
	char **paths, *root;
	size_t i;

	if ((err = top_paths(&paths, &root, d)) != NULL)
		return err;
	top.v = xcalloc(d->n + 1, sizeof(*top.v));
	for (i = 0; i < d->n; i++) {
		top.v[i] = d->v[i];
		top.v[i].path = paths[i];
	}
	dipb_diags_print(stdout, &top, DIPB_DIAG_GITHUB);
	free_paths(paths, d->n);
	free(top.v);
	free(root);
	return NULL;
}

/*
 * The paths of the boards and files s found, the files validate checks;
 * those a diagnostic names besides (a symbolic link, a missing path) are
 * added by dipb_diags_nfiles and dipb_diags_print_junit.
 */
static const char **
scanned(const struct dipb_scan *s, size_t *np)
{
	const char **files;
	size_t i, n = 0;

	files = xcalloc(s->nfiles + s->nboards + 1, sizeof(*files));
	for (i = 0; i < s->nboards; i++)
		files[n++] = s->boards[i].path;
	for (i = 0; i < s->nfiles; i++)
		files[n++] = s->files[i].path;
	*np = n;
	return files;
}

static const struct dipb_error *
print(const struct dipb_diags *d, const char *const *files, size_t nfiles,
    enum dipb_diag_format format, enum report report, int werror)
{
	if (report != REPORT_NONE)
		return print_report(d, report);
	if (format == DIPB_DIAG_GITHUB)
		return print_github(d);
	if (format != DIPB_DIAG_JUNIT) {
		dipb_diags_print(stdout, d, format);
		return NULL;
	}
	dipb_diags_print_junit(stdout, d, files, nfiles, werror);
	return NULL;
}

/*
 * A run that could not finish, once the command line was taken: the
 * machine formats write a report that says so and why, so that a CI
 * system reads the cause and not an empty file; gcc writes nothing,
 * standard error has it (dipb-validate(1), OPTIONS).  GitLab's report,
 * a list of issues, has one: the failure, on dipb.yaml.
 */
static void
print_failure(const struct dipb_error *err, enum dipb_diag_format format,
    enum report report)
{
	struct dipb_sarif_run run;
	struct dipb_result r;
	int status = dipb_error_exit_status(err);
	char *msg, *what;

	/* As dipb(1) shows it on standard error. */
	msg = dipb_text_clean(err->msg, strlen(err->msg));
	if (report == REPORT_SARIF) {
		memset(&run, 0, sizeof(run));
		run.command = "validate";
		run.rules = dipb_validate_rules;
		run.failure = msg;
		run.exit_status = status;
		dipb_sarif_print(stdout, &run, NULL, 0);
	} else if (report == REPORT_GITLAB) {
		memset(&r, 0, sizeof(r));
		r.msg = what = xasprintf("dipb validate could not run: %s",
		    msg);
		dipb_gitlab_print(stdout, "validate", &r, 1);
		free(what);
	} else
		dipb_diags_print_failure(stdout, format, "validate", msg,
		    status);
	free(msg);
}

static int
parse_format(const char *arg, enum dipb_diag_format *out,
    enum report *report)
{
	const char *gha;

	*report = REPORT_NONE;
	if (strcmp(arg, "gcc") == 0)
		*out = DIPB_DIAG_GCC;
	else if (strcmp(arg, "json") == 0)
		*out = DIPB_DIAG_JSON;
	else if (strcmp(arg, "github") == 0)
		*out = DIPB_DIAG_GITHUB;
	else if (strcmp(arg, "junit") == 0)
		*out = DIPB_DIAG_JUNIT;
	else if (strcmp(arg, "sarif") == 0)
		*report = REPORT_SARIF;
	else if (strcmp(arg, "gitlab") == 0)
		*report = REPORT_GITLAB;
	else if (strcmp(arg, "auto") == 0) {
		gha = getenv("GITHUB_ACTIONS");
		*out = gha != NULL && strcmp(gha, "true") == 0 ?
		    DIPB_DIAG_GITHUB : DIPB_DIAG_GCC;
	} else
		return -1;
	return 0;
}

const struct dipb_error *
cmd_validate(int argc, char **argv, struct dipb_ctx *ctx)
{
	static const struct option opts[] = {
		{ "canonical", no_argument, NULL, 'c' },
		{ "warnings-as-errors", no_argument, NULL, 'W' },
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 }
	};
	struct dipb_scan scan;
	struct dipb_diags diags = DIPB_DIAGS_INIT;
	const struct dipb_error *err;
	enum dipb_diag_format format;
	enum report report;
	const char **files = NULL;
	size_t nfiles;
	int ch, canonical = 0, werror = 0;

	parse_format("auto", &format, &report);
	while ((ch = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			canonical = 1;
			break;
		case 'W':
			werror = 1;
			break;
		case 'f':
			if (parse_format(optarg, &format, &report) == -1)
				return usage_validate("--format takes gcc, json, "
				    "github, junit, sarif, gitlab or auto");
			break;
		default:
			return dipb_cmd_bad_option("validate", ch, argv);
		}
	}
	argc -= optind;
	argv += optind;

	dipb_scan_init(&scan);
	if ((err = dipb_ctx_started(ctx)) != NULL ||
	    (err = dipb_ctx_settle(ctx, "validate")) != NULL ||
	    (err = dipb_scan_paths(&scan, argv, (size_t)argc)) != NULL)
		goto fail;
	dipb_diags_move(&diags, &scan.diags);
	if ((err = check_all(&diags, &scan, canonical)) != NULL)
		goto fail;
	dipb_diags_sort(&diags);
	files = scanned(&scan, &nfiles);
	if ((err = print(&diags, files, nfiles, format, report,
	    werror)) != NULL)
		goto fail;
	/* The files of the JUnit report's testcases: a symbolic link or a
	 * missing path named is a file checked and refused. */
	nfiles = dipb_diags_nfiles(&diags, files, nfiles);
	if (diags.nerrors > 0 || (werror && diags.nwarnings > 0))
		err = dipb_error_fmt(DIPB_ERR_INVALID, "%zu error%s and %zu "
		    "warning%s in %zu file%s", diags.nerrors,
		    diags.nerrors == 1 ? "" : "s", diags.nwarnings,
		    diags.nwarnings == 1 ? "" : "s", nfiles,
		    nfiles == 1 ? "" : "s");
	goto done;
fail:
	print_failure(err, format, report);
done:
	free(files);
	dipb_diags_release(&diags);
	dipb_scan_release(&scan);
	return err;
}

/*
 * cmd_fmt.c - dipb fmt [--check] [PATH...]
 *
 * As gofmt -l -w: each record file that is valid but not in canonical
 * form is rewritten in place (atomically: a temporary file renamed over
 * it) and named on standard output; --check names them and writes
 * nothing.  A file that does not load cleanly is reported and left alone:
 * rewriting it would lose what dipb cannot read, unknown keys included.
 * The files are those of dipb validate (scan.h), read after an
 * interrupted change is completed as validate does (dipb_ctx_settle); the
 * repository of a file is opened besides only to see it as git does (a
 * CR in it, or a rewrite).
 * A file that is a symbolic link is reported and never written through.
 */
#include <sys/stat.h>

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "error.h"
#include "meeting.h"
#include "scan.h"
#include "text.h"
#include "validate.h"

/*
 * The errors of the rules a file is judged by on its own, without its
 * board (dipb-fmt(1)), added to diags: how many.  Their warnings (due,
 * date-order) are validate's to say, and no reason to leave a file be;
 * so is [file-name], which is of where the file lies, not of its text.
 */
static size_t
rule_errors(struct dipb_diags *diags, const char *path, const char *where,
    const struct dipb_record *r, const struct dipb_meeting *m)
{
	struct dipb_diags all = DIPB_DIAGS_INIT;
	const struct dipb_diag *x;
	size_t i, n = 0;

	if (m != NULL) {
		dipb_validate_meeting_at(&all, path, where, m, NULL, 0);
		dipb_validate_meeting_controls(&all, path, m);
	} else
		dipb_validate_record(&all, path, r, NULL, DIPB_VALIDATE_ALL);
	for (i = 0; i < all.n; i++) {
		x = &all.v[i];
		if (x->sev != DIPB_SEV_ERROR ||
		    strcmp(x->rule, "file-name") == 0)
			continue;
		dipb_diags_add(diags, x->path, x->line, x->col, x->sev,
		    x->rule, "%s", x->msg);
		n++;
	}
	dipb_diags_release(&all);
	return n;
}

/*
 * 1 when file f is not canonical (and was rewritten unless check), 0
 * when it is, -1 when it could not be read or loaded: the reason is in
 * diags.  Its where (struct dipb_scan_file) says whether it is a draft or
 * a meeting.  Its form is judged as git would commit it, and it is
 * written as git checks it out (g, dipb-fmt(1)).  A write error, or a
 * repository that holds f but will not open, is returned.
 */
static const struct dipb_error *
fmt_file(int *out, const struct dipb_scan_file *f, int check,
    struct dipb_scan_git *g, struct dipb_buf *buf, struct dipb_buf *canon,
    struct dipb_diags *diags)
{
	const char *path = f->path, *where = f->where;
	struct dipb_buf text = DIPB_BUF_INIT;
	struct dipb_record r;
	struct dipb_meeting m;
	struct stat st;
	unsigned line;
	size_t n = diags->n;
	int rc;
	const struct dipb_error *err = NULL;

	*out = -1;
	/* Never through a symbolic link [symlink]: scan.h. */
	if ((err = dipb_scan_read(&rc, buf, diags, path)) != NULL || rc == -1)
		return err;
	if (lstat(path, &st) == -1)
		return dipb_scan_io(diags, path, errno);
	dipb_record_init(&r);
	dipb_meeting_init(&m);
	dipb_buf_clear(canon);
	if (dipb_scan_draft(where)) {
		/* A draft is read as validate reads it, and has no canonical
		 * form: its problems reported, never rewritten. */
		rc = dipb_record_load(&r, path, buf->ptr, buf->len,
		    DIPB_LOAD_INPUT, diags);
		dipb_validate_draft_needed(diags, path, &r, rc);
		if (diags->n == n && rule_errors(diags, path, where, &r,
		    NULL) == 0)
			*out = 0;
		goto done;
	}
	if (dipb_meeting_file(where)) {
		/* A meeting's file (meeting.h), in its own canonical form. */
		dipb_meeting_load(&m, path, buf->ptr, buf->len, diags);
		if (diags->n > n || rule_errors(diags, path, where, NULL,
		    &m) > 0)
			goto done;
		dipb_meeting_emit(&m, canon);
	} else {
		dipb_record_load(&r, path, buf->ptr, buf->len, 0, diags);
		if (diags->n > n || rule_errors(diags, path, where, &r,
		    NULL) > 0)
			goto done;
		dipb_record_emit(&r, canon);
	}
	if ((err = dipb_scan_canonical(&rc, g, f, buf, canon, &line)) !=
	    NULL)
		goto done;
	*out = !rc;
	/* The file keeps its mode (dipb_write_file_atomic). */
	if (*out == 1 && !check && (err = dipb_scan_git_out(g, &text, f,
	    canon)) == NULL)
		err = dipb_write_file_atomic(path, NULL, text.ptr, text.len,
		    0644);
done:
	dipb_buf_release(&text);
	dipb_meeting_release(&m);
	dipb_record_release(&r);
	return err;
}

const struct dipb_error *
cmd_fmt(int argc, char **argv, struct dipb_ctx *ctx)
{
	static const struct option opts[] = {
		{ "check", no_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 }
	};
	struct dipb_scan scan;
	struct dipb_scan_git git = DIPB_SCAN_GIT_INIT;
	struct dipb_diags diags = DIPB_DIAGS_INIT;
	struct dipb_buf buf = DIPB_BUF_INIT, canon = DIPB_BUF_INIT;
	const struct dipb_error *err;
	size_t i, nbad = 0, nchanged = 0;
	char *show;
	int ch, check = 0, rc;

	while ((ch = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			check = 1;
			break;
		default:
			return dipb_cmd_bad_option("fmt", ch, argv);
		}
	}
	argc -= optind;
	argv += optind;

	dipb_scan_init(&scan);
	/* Never a file a killed change left half written (dipb(1)). */
	if ((err = dipb_ctx_settle(ctx, "fmt")) != NULL ||
	    (err = dipb_scan_paths(&scan, argv, (size_t)argc)) != NULL)
		goto done;
	/* The boards are validate's business; a path that is not there, or
	 * that is a link, is ours. */
	for (i = 0; i < scan.diags.n; i++)
		if (strcmp(scan.diags.v[i].rule, "io") == 0 ||
		    strcmp(scan.diags.v[i].rule, "symlink") == 0) {
			dipb_diags_add(&diags, scan.diags.v[i].path, 0, 0,
			    DIPB_SEV_ERROR, scan.diags.v[i].rule, "%s",
			    scan.diags.v[i].msg);
			nbad++;
		}
	for (i = 0; i < scan.nfiles && err == NULL; i++) {
		err = fmt_file(&rc, &scan.files[i], check, &git, &buf, &canon,
		    &diags);
		if (rc == -1)
			nbad++;
		else if (rc == 1) {
			nchanged++;
			/* A file name is anyone's who pushes: shown, never
			 * obeyed (dipb-fmt(1)), as validate shows it. */
			if (err == NULL) {
				show = dipb_text_clean_line(scan.files[i].path);
				puts(show);
				free(show);
			}
		}
	}
	dipb_diags_sort(&diags);
	dipb_diags_print(stderr, &diags, DIPB_DIAG_GCC);
	if (err != NULL)
		goto done;
	if (nbad > 0)
		err = dipb_error_fmt(DIPB_ERR_INVALID, "%zu invalid file%s "
		    "left as %s", nbad, nbad == 1 ? "" : "s",
		    nbad == 1 ? "it was" : "they were");
	else if (check && nchanged > 0)
		err = dipb_error_fmt(DIPB_ERR_INVALID, "%zu file%s not in "
		    "canonical form", nchanged, nchanged == 1 ? "" : "s");
done:
	dipb_buf_release(&canon);
	dipb_buf_release(&buf);
	dipb_diags_release(&diags);
	dipb_scan_git_release(&git);
	dipb_scan_release(&scan);
	return err;
}

/*
 * cmd_report.c - dipb report status|package|minutes|actions
 *	[--since WHEN] [--until WHEN] [--reference REF] [--title TEXT]
 *	[--today DATE] [--max-classification LEVEL]
 *	[--format markdown|html|man|latex|json] [-o FILE]
 *
 * Gathers the records (at the tip, or at --until for status), the history
 * (minutes) or the texts as submitted (package), hands them to report.c
 * and writes what it renders to standard output or, atomically, to FILE.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd.h"
#include "error.h"
#include "history.h"
#include "report.h"
#include "session.h"
#include "validate.h"

enum kind { STATUS, PACKAGE, MINUTES, ACTIONS };

struct recs {
	const struct dipb_board	*board;
	struct dipb_record	*v;
	size_t			 n;
	size_t			 cap;
	size_t			 invalid;
};

static const struct dipb_error *
usage_report(const char *what)
{
	return dipb_cmd_usage_error("report", "%s", what);
}

/* Collects the valid records; prints the diagnostics of the others. */
static const struct dipb_error *
collect(const char *path, const char *data, size_t len, void *arg)
{
	struct recs *l = arg;
	struct dipb_diags diags = DIPB_DIAGS_INIT;
	struct dipb_record r;

	dipb_record_init(&r);
	if (dipb_record_load(&r, path, data, len, 0, &diags) != 0 ||
	    dipb_validate_record(&diags, path, &r, l->board,
	    DIPB_VALIDATE_STABLE) > 0 || r.id == NULL) {
		dipb_diags_sort(&diags);
		dipb_diags_print(stderr, &diags, DIPB_DIAG_GCC);
		l->invalid++;
		dipb_record_release(&r);
	} else {
		xgrow((void **)&l->v, &l->cap, l->n + 1, sizeof(*l->v));
		l->v[l->n++] = r;
	}
	dipb_diags_release(&diags);
	return NULL;
}

static void
recs_release(struct recs *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		dipb_record_release(&l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/*
 * The records that minutes names, as they stood at the end of the window
 * (commit end): read one by one, never the whole folder's blobs.
 */
static const struct dipb_error *
records_at(struct recs *l, struct dipb_history *h, const char *end,
    const struct dipb_events *ev)
{
	const struct dipb_error *err = NULL;
	struct dipb_buf buf = DIPB_BUF_INIT;
	struct dipb_diags diags = DIPB_DIAGS_INIT;
	char blob[DIPB_OID_HEX + 1], *path;
	size_t i, k;
	int found;

	for (i = 0; i < ev->n && err == NULL; i++) {
		const char *id = ev->v[i].record;

		if (ev->v[i].plain || !dipb_id_valid(id))
			continue;
		for (k = 0; k < l->n; k++)
			if (strcmp(l->v[k].id, id) == 0)
				break;
		if (k < l->n)
			continue;
		path = dipb_record_path(id);
		err = dipb_history_read(&buf, blob, &found, h, end, path,
		    DIPB_MAX_FILE);
		/* Gone by the end (removed with plain git): as at its last
		 * change in the window, the first one listed. */
		if (err == NULL && !found)
			err = dipb_history_read(&buf, blob, &found, h,
			    ev->v[i].commit, path, DIPB_MAX_FILE);
		if (err == NULL && found) {
			xgrow((void **)&l->v, &l->cap, l->n + 1,
			    sizeof(*l->v));
			dipb_record_init(&l->v[l->n]);
			/* Titles only: a bad file gives what can be read. */
			(void)dipb_record_load(&l->v[l->n], path, buf.ptr,
			    buf.len, 0, &diags);
			dipb_diags_release(&diags);
			if (l->v[l->n].id == NULL)
				l->v[l->n].id = xstrdup(id);
			l->n++;
		}
		free(path);
	}
	dipb_buf_release(&buf);
	return err;
}

/*
 * The package items of the records at the tip submitted under ref: each
 * record's text as of its last 'submitted' tag.
 */
static const struct dipb_error *
package_items(struct recs *sub, struct dipb_package_item **out,
    char ***strs, size_t *nstrs, struct dipb_history *h,
    const struct recs *tip, const char *ref)
{
	const struct dipb_error *err = NULL;
	struct dipb_events ev = DIPB_EVENTS_INIT;
	struct dipb_buf buf = DIPB_BUF_INIT;
	struct dipb_diags diags = DIPB_DIAGS_INIT;
	struct dipb_package_item *items = NULL;
	char blob[DIPB_OID_HEX + 1], head[DIPB_OID_HEX + 1], *path = NULL;
	size_t i, k, cap = 0, ns = 0, scap = 0;
	const struct dipb_event *last;
	int found;

	*out = NULL;
	for (i = 0; i < tip->n && err == NULL; i++) {
		const struct dipb_record *r = &tip->v[i];

		if (r->submission == NULL || r->submission->reference == NULL ||
		    strcmp(r->submission->reference, ref) != 0)
			continue;
		dipb_events_release(&ev);
		if ((err = dipb_history_record(&ev, h, r->id)) != NULL)
			break;
		for (last = NULL, k = 0; k < ev.n; k++)
			if (strcmp(ev.v[k].event, "submitted") == 0)
				last = &ev.v[k];
		xgrow((void **)&sub->v, &sub->cap, sub->n + 1, sizeof(*sub->v));
		dipb_record_init(&sub->v[sub->n]);
		xgrow((void **)strs, &scap, ns + 3, sizeof(**strs));
		free(path);
		path = dipb_record_path(r->id);
		if (last != NULL) {
			err = dipb_history_read(&buf, blob, &found, h,
			    last->commit, path, DIPB_MAX_FILE);
			if (err != NULL)
				break;
			if (!found) {
				err = dipb_error_fmt(DIPB_ERR_CORRUPT,
				    "%s: no %s at its tag %s", r->id, path,
				    last->tag);
				break;
			}
			if (dipb_record_load(&sub->v[sub->n], path, buf.ptr,
			    buf.len, 0, &diags) != 0) {
				dipb_diags_print(stderr, &diags, DIPB_DIAG_GCC);
				dipb_record_release(&sub->v[sub->n]);
				err = dipb_error_fmt(DIPB_ERR_INVALID,
				    "%s: invalid at its tag %s", path,
				    last->tag);
				break;
			}
			(*strs)[ns++] = xstrdup(blob);
			(*strs)[ns++] = xstrdup(last->tag);
			(*strs)[ns++] = xstrdup(last->commit);
		} else {
			/* Submitted without dipb: the text at the tip. */
			err = dipb_history_resolve(head, h, "HEAD");
			if (err == NULL)
				err = dipb_history_read(&buf, blob, &found, h,
				    head, path, DIPB_MAX_FILE);
			dipb_record_copy(&sub->v[sub->n], r);
			(*strs)[ns++] = xstrdup(err == NULL && found ? blob :
			    "?");
			(*strs)[ns++] = NULL;
			(*strs)[ns++] = NULL;
			if (err != NULL) {
				dipb_record_release(&sub->v[sub->n]);
				break;
			}
		}
		sub->n++;
	}
	*nstrs = ns;
	if (err == NULL) {
		for (i = 0; i < sub->n; i++) {
			xgrow((void **)&items, &cap, i + 1, sizeof(*items));
			items[i].rec = &sub->v[i];
			items[i].blob = (*strs)[3 * i];
			items[i].tag = (*strs)[3 * i + 1];
			items[i].commit = (*strs)[3 * i + 2];
		}
		*out = items;
	}
	free(path);
	dipb_diags_release(&diags);
	dipb_buf_release(&buf);
	dipb_events_release(&ev);
	return err;
}

/* Today in the local time zone, "YYYY-MM-DD". */
static void
local_today(char out[11])
{
	time_t t = time(NULL);
	struct tm tm;

	if (localtime_r(&t, &tm) == NULL ||
	    strftime(out, 11, "%Y-%m-%d", &tm) != 10)
		strcpy(out, "1970-01-01");
}

const struct dipb_error *
cmd_report(int argc, char **argv, struct dipb_ctx *ctx)
{
	static const struct option opts[] = {
		{ "since", required_argument, NULL, 's' },
		{ "until", required_argument, NULL, 'u' },
		{ "reference", required_argument, NULL, 'r' },
		{ "title", required_argument, NULL, 't' },
		{ "today", required_argument, NULL, 'd' },
		{ "max-classification", required_argument, NULL, 'm' },
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 }
	};
	static const char *const kinds[] = { "status", "package", "minutes",
	    "actions" };
	struct dipb_session s;
	struct recs tip, sub;
	struct dipb_events ev = DIPB_EVENTS_INIT;
	struct dipb_history *h = NULL;
	struct dipb_report *rep = NULL;
	struct dipb_report_opts ro;
	struct dipb_package_item *items = NULL;
	struct dipb_buf out = DIPB_BUF_INIT;
	const struct dipb_error *err = NULL;
	enum dipb_report_format format = DIPB_REPORT_MARKDOWN;
	const char *since = NULL, *until = NULL, *ref = NULL, *title = NULL;
	const char *today = NULL, *maxc = NULL, *file = NULL;
	char now[11], at[DIPB_OID_HEX + 1], **strs = NULL;
	size_t i, nstrs = 0;
	enum kind kind = STATUS;
	int ch;

	memset(&s, 0, sizeof(s));
	memset(&tip, 0, sizeof(tip));
	memset(&sub, 0, sizeof(sub));
	dipb_board_init(&s.board);
	while ((ch = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		switch (ch) {
		case 's':
			since = optarg;
			break;
		case 'u':
			until = optarg;
			break;
		case 'r':
			ref = optarg;
			break;
		case 't':
			title = optarg;
			break;
		case 'd':
			if (!dipb_date_valid(optarg))
				return usage_report("--today takes a date, "
				    "YYYY-MM-DD");
			today = optarg;
			break;
		case 'm':
			maxc = optarg;
			break;
		case 'f':
			if (dipb_report_format_parse(optarg, &format) != 0)
				return usage_report("--format takes markdown, "
				    "html, man, latex or json");
			break;
		case 'o':
			file = optarg;
			break;
		default:
			return usage_report("unknown option or missing argument");
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 1)
		return usage_report("one kind of report expected: status, "
		    "package, minutes or actions");
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(argv[0], kinds[i]) == 0)
			break;
	if (i == sizeof(kinds) / sizeof(kinds[0]))
		return usage_report("the kinds of report are status, package, "
		    "minutes and actions");
	kind = (enum kind)i;
	if (since != NULL && kind != MINUTES)
		return usage_report("--since is for minutes");
	if (until != NULL && kind != MINUTES && kind != STATUS)
		return usage_report("--until is for minutes and status");
	if ((ref != NULL) != (kind == PACKAGE))
		return usage_report(kind == PACKAGE ?
		    "package needs --reference REF" :
		    "--reference is for package");
	if (file != NULL && file[0] == '\0')
		return usage_report("-o needs a file name");
	if (today == NULL) {
		local_today(now);
		today = now;
	}

	if ((err = dipb_ctx_open(ctx)) != NULL)
		return err;
	if ((err = dipb_session_open(&s, ctx->repo)) != NULL)
		goto done;
	if (maxc != NULL &&
	    dipb_board_classification_rank(&s.board, maxc) < 0) {
		struct dipb_buf l = DIPB_BUF_INIT;

		for (i = 0; i < s.board.classifications.n; i++)
			dipb_buf_printf(&l, "%s'%s'", i > 0 ? ", " : "",
			    s.board.classifications.v[i]);
		err = dipb_error_fmt(DIPB_ERR_USAGE, "unknown classification "
		    "'%s': the board's are %s", maxc, dipb_buf_cstr(&l));
		dipb_buf_release(&l);
		goto done;
	}
	if ((err = dipb_history_open(&h, ctx->repo)) != NULL)
		goto done;
	memset(&ro, 0, sizeof(ro));
	ro.board = &s.board;
	ro.title = title;
	ro.today = today;
	ro.max_classification = maxc;
	ro.version = DIPB_VERSION;
	tip.board = &s.board;

	switch (kind) {
	case STATUS:
		if (until != NULL) {
			if ((err = dipb_history_resolve(at, h, until)) != NULL ||
			    (err = dipb_history_each_record(h, at, collect,
			    &tip)) != NULL)
				goto done;
		} else if ((err = dipb_repo_each_record(ctx->repo, collect,
		    &tip)) != NULL)
			goto done;
		rep = dipb_report_status(&ro, tip.v, tip.n, until);
		break;
	case ACTIONS:
		if ((err = dipb_repo_each_record(ctx->repo, collect,
		    &tip)) != NULL)
			goto done;
		rep = dipb_report_actions(&ro, tip.v, tip.n);
		break;
	case PACKAGE:
		if ((err = dipb_repo_each_record(ctx->repo, collect,
		    &tip)) != NULL)
			goto done;
		if ((err = package_items(&sub, &items, &strs, &nstrs, h, &tip,
		    ref)) != NULL)
			goto done;
		if (sub.n == 0) {
			err = dipb_error_fmt(DIPB_ERR_NOT_FOUND,
			    "no recommendation was submitted under '%s'", ref);
			goto done;
		}
		rep = dipb_report_package(&ro, ref, items, sub.n);
		break;
	case MINUTES:
		if ((err = dipb_history_window(&ev, h, since, until, 0)) != NULL)
			goto done;
		if (ev.end[0] != '\0' &&
		    (err = records_at(&tip, h, ev.end, &ev)) != NULL)
			goto done;
		rep = dipb_report_minutes(&ro, since, until, ev.v, ev.n,
		    tip.v, tip.n);
		break;
	}

	dipb_report_render(&out, rep, format);
	if (file != NULL) {
		if ((err = dipb_write_file_atomic(file, dipb_buf_cstr(&out),
		    out.len, 0644)) != NULL)
			goto done;
	} else if (fwrite(dipb_buf_cstr(&out), 1, out.len, stdout) !=
	    out.len) {
		err = dipb_error_from_errno("standard output");
		goto done;
	}
	if (tip.invalid > 0)
		err = dipb_error_fmt(DIPB_ERR_INVALID,
		    "%zu invalid record%s left out", tip.invalid,
		    tip.invalid == 1 ? "" : "s");
done:
	dipb_buf_release(&out);
	dipb_report_free(rep);
	free(items);
	for (i = 0; i < nstrs; i++)
		free(strs[i]);
	free(strs);
	recs_release(&sub);
	recs_release(&tip);
	dipb_events_release(&ev);
	dipb_history_close(h);
	dipb_diags_print(stderr, &s.diags, DIPB_DIAG_GCC);
	dipb_session_end(&s);
	return err;
}

/*
 * cmd_list.c - dipb list [--status S] [--wg KEY] [--format table|json|ids]
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cmd.h"
#include "error.h"
#include "json.h"
#include "session.h"
#include "text.h"
#include "validate.h"

enum format { TABLE, JSON, IDS };

struct filter {
	const char		*wg;
	int			 has_status;
	enum dipb_status	 status;
	const struct dipb_board	*board;
	struct dipb_record	*recs;
	size_t			 n;
	size_t			 cap;
	size_t			 invalid;
};

static const struct dipb_error *
usage_list(const char *what)
{
	return dipb_cmd_usage_error("list", "%s", what);
}

static const struct dipb_error *
collect(const char *path, const char *data, size_t len, void *arg)
{
	struct filter *f = arg;
	struct dipb_diags diags = DIPB_DIAGS_INIT;
	struct dipb_record r;

	dipb_record_init(&r);
	if (data == NULL) {
		/* A symbolic link: repo.h, never read. */
		dipb_validate_symlink(&diags, path, NULL);
		dipb_diags_print(stderr, &diags, DIPB_DIAG_GCC);
		f->invalid++;
		dipb_diags_release(&diags);
		return NULL;
	}
	if (dipb_record_load(&r, path, data, len, 0, &diags) != 0 ||
	    dipb_validate_record(&diags, path, &r, f->board,
	    DIPB_VALIDATE_STABLE) > 0) {
		dipb_diags_sort(&diags);
		dipb_diags_print(stderr, &diags, DIPB_DIAG_GCC);
		f->invalid++;
		goto skip;
	}
	if ((f->has_status && r.status != f->status) ||
	    (f->wg != NULL && (r.working_group == NULL ||
	    strcmp(r.working_group, f->wg) != 0)))
		goto skip;
	xgrow((void **)&f->recs, &f->cap, f->n + 1, sizeof(*f->recs));
	f->recs[f->n++] = r;
	dipb_diags_release(&diags);
	return NULL;
skip:
	dipb_diags_release(&diags);
	dipb_record_release(&r);
	return NULL;
}

/* Ids sort by prefix, then by number: IC-9999 before IC-10000. */
static int
cmpid(const void *a, const void *b)
{
	const struct dipb_record *x = a, *y = b;
	char px[9], py[9];
	unsigned long nx, ny;
	int c;

	if (dipb_id_split(x->id, px, &nx) != 0 ||
	    dipb_id_split(y->id, py, &ny) != 0)
		return strcmp(x->id, y->id);
	if ((c = strcmp(px, py)) != 0)
		return c;
	return nx < ny ? -1 : nx > ny;
}

/*
 * One field of a line of the table, then a newline (last 1), a tab (0)
 * or nothing (2): tabs and newlines become spaces, and
 * the other control characters (ESC, C1) are shown, not obeyed, by the
 * one cleaner (text.h).
 */
static void
put_field(const char *s, int last)
{
	char *c = dipb_text_clean(s != NULL ? s : "", s != NULL ?
	    strlen(s) : 0), *p;

	for (p = c; *p != '\0'; p++)
		putchar(*p == '\t' || *p == '\n' ? ' ' : *p);
	if (last < 2)
		putchar(last ? '\n' : '\t');
	free(c);
}

static void
print_table(const struct filter *f, int aligned, int color)
{
	static const char *const head[] = { "ID", "STATUS", "WORKING-GROUP",
	    "PRIORITY", "TITLE" };
	const char *col[5];
	size_t w[4] = { 0 }, i, k;

	for (k = 0; k < 4; k++)
		w[k] = strlen(head[k]);
	for (i = 0; i < f->n; i++) {
		col[0] = f->recs[i].id;
		col[1] = dipb_status_name(f->recs[i].status);
		col[2] = f->recs[i].working_group;
		col[3] = dipb_priority_name(f->recs[i].priority);
		for (k = 0; k < 4; k++)
			if (strlen(col[k]) > w[k])
				w[k] = strlen(col[k]);
	}
	if (aligned && f->n > 0)
		printf("%s%-*s  %-*s  %-*s  %-*s  %s%s\n", color ? "\033[1m" : "",
		    (int)w[0], head[0], (int)w[1], head[1], (int)w[2], head[2],
		    (int)w[3], head[3], head[4], color ? "\033[0m" : "");
	for (i = 0; i < f->n; i++) {
		col[0] = f->recs[i].id;
		col[1] = dipb_status_name(f->recs[i].status);
		col[2] = f->recs[i].working_group;
		col[3] = dipb_priority_name(f->recs[i].priority);
		col[4] = f->recs[i].title;
		if (!aligned) {
			for (k = 0; k < 5; k++)
				put_field(col[k], k == 4);
			continue;
		}
		for (k = 0; k < 4; k++) {
			put_field(col[k], 2);
			printf("%*s", (int)(w[k] - strlen(col[k])) + 2, "");
		}
		put_field(col[4], 1);
	}
}

const struct dipb_error *
cmd_list(int argc, char **argv, struct dipb_ctx *ctx)
{
	static const struct option opts[] = {
		{ "status", required_argument, NULL, 's' },
		{ "wg", required_argument, NULL, 'w' },
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 }
	};
	struct dipb_session s;
	struct filter f;
	const struct dipb_error *err;
	enum format format = TABLE;
	json_t *a;
	size_t i;
	int ch;

	memset(&f, 0, sizeof(f));
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 's':
			if (dipb_status_parse(optarg, &f.status) != 0 ||
			    f.status == DIPB_STATUS_NONE)
				return usage_list("--status takes draft, "
				    "in-review, returned, endorsed, submitted, "
				    "decided or withdrawn");
			f.has_status = 1;
			break;
		case 'w':
			f.wg = optarg;
			break;
		case 'f':
			if (strcmp(optarg, "table") == 0)
				format = TABLE;
			else if (strcmp(optarg, "json") == 0)
				format = JSON;
			else if (strcmp(optarg, "ids") == 0)
				format = IDS;
			else
				return usage_list("--format takes table, json "
				    "or ids");
			break;
		default:
			return usage_list("unknown option or missing argument");
		}
	}
	if (optind != argc)
		return usage_list("no arguments expected");

	if ((err = dipb_ctx_open(ctx)) != NULL)
		return err;
	if ((err = dipb_session_open(&s, ctx->repo)) != NULL)
		goto done;
	if (f.wg != NULL && dipb_board_wg(&s.board, f.wg) == NULL) {
		err = usage_list("unknown working group");
		goto done;
	}
	f.board = &s.board;
	if ((err = dipb_repo_each_record(ctx->repo, collect, &f)) != NULL)
		goto done;
	if (f.n > 1)
		qsort(f.recs, f.n, sizeof(*f.recs), cmpid);
	switch (format) {
	case TABLE:
		print_table(&f, ctx->tty_out, ctx->color);
		break;
	case IDS:
		for (i = 0; i < f.n; i++)
			puts(f.recs[i].id);
		break;
	case JSON:
		a = json_array();
		for (i = 0; i < f.n; i++)
			json_array_append_new(a, dipb_record_json(&f.recs[i]));
		if (dipb_json_print(stdout, a, ctx->tty_out) != 0)
			err = dipb_error_from_errno("standard output");
		break;
	}
	if (err == NULL && f.invalid > 0)
		err = dipb_error_fmt(DIPB_ERR_INVALID,
		    "%zu invalid record%s left out", f.invalid,
		    f.invalid == 1 ? "" : "s");
done:
	for (i = 0; i < f.n; i++)
		dipb_record_release(&f.recs[i]);
	free(f.recs);
	/* A bad dipb.yaml: its diagnostics, then main's error. */
	dipb_diags_print(stderr, &s.diags, DIPB_DIAG_GCC);
	dipb_session_end(&s);
	return err;
}

/*
 * cmd_list.c - dipb list [--status S] [--wg KEY] [--priority P]
 *	[--topic T] [--author WHO] [--owner WHO] [--grep TEXT]
 *	[--format table|json|ids]
 *
 * A filter given more than once takes any of its values; different
 * filters must all hold (dipb-list(1)).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmd.h"
#include "error.h"
#include "json.h"
#include "session.h"
#include "text.h"
#include "board.h"
#include "validate.h"

enum format { TABLE = 1, JSON, IDS };	/* 0: none (filter.stream) */
/* --format's words, from TABLE on. */
static const char *const formats[] = { "table", "json", "ids", NULL };

/*
 * What the table and --format ids print of a record, kept where the
 * whole record need not be: a row, its id and title in one buffer of
 * the rows' strings (their offsets in it until the rows are complete),
 * its working group the board's.  At 30,000 records, keeping them whole
 * (360 bytes each and every field) and their strings each allocated
 * made a heap of tens of megabytes, a page fault for every 4 KiB.
 * --format json keeps the same rows, the record's JSON text at title_at:
 * kept whole, with the tree of all of them and its text twice over,
 * the records of such a board made a heap of half a gigabyte.
 */
struct row {
	const char		*working_group;	/* NULL: at wg_at */
	size_t			 id_at, title_at, wg_at;
	unsigned char		 status;	/* enum dipb_status */
	unsigned char		 priority;	/* enum dipb_priority */
};

struct filter {
	struct dipb_strlist	 wgs;
	struct dipb_strlist	 topics;
	struct dipb_strlist	 authors;
	struct dipb_strlist	 owners;
	struct dipb_strlist	 greps;
	unsigned		 statuses;	/* 1 << status; 0: any */
	unsigned		 priorities;	/* 1 << priority; 0: any */
	struct dipb_records	 rs;	/* rs.board: the board */
	int			 json;	/* --format json (pretty: 2) */
	int			 json_failed;	/* errno says why */
	struct row		*rows;
	size_t			 nrows, caprows;
	struct dipb_buf		 strs;	/* the rows' strings */
	/*
	 * 0, or the lines of heads from the cache, which come sorted: the
	 * ids (IDS), or the table without its head and alignment (TABLE),
	 * printed as they come, no row kept.
	 */
	int			 stream;
	struct dipb_buf		 lines;
	/* The lengths of the names of each status and priority (stream). */
	size_t			 status_len[DIPB_STATUS__COUNT];
	size_t			 priority_len[DIPB_PRIORITY_LOW + 1];
};

static const struct dipb_error *
usage_list(const char *what)
{
	return dipb_cmd_usage_error("list", "%s", what);
}

/*
 * The PRIORITY column: a record need not have one (dipb-record(5)), and
 * one without is shown as '-', as dipb report shows it, never as a name
 * the field does not take.
 */
static const char *
priority_col(enum dipb_priority p)
{
	return p == DIPB_PRIORITY_NONE ? "-" : dipb_priority_name(p);
}

/* Whether s holds needle, ASCII case aside; NULL s holds nothing. */
static int
has_text(const char *s, const char *needle)
{
	size_t n = strlen(needle);

	if (s == NULL)
		return 0;
	for (; *s != '\0'; s++)
		if (strncasecmp(s, needle, n) == 0)
			return 1;
	return 0;
}

/* The member who names, by email or by name; NULL when none (a name two
 * members share is refused first: named_once). */
static const struct dipb_member *
member(const struct filter *f, const char *who)
{
	const struct dipb_member *m;

	dipb_error_free(dipb_board_member_named(f->rs.board, who, &m));
	return m;
}

/* A usage error when one of l is a name two members share (dipb-list(1),
 * --author and --owner): it names neither. */
static const struct dipb_error *
named_once(const struct dipb_board *b, const struct dipb_strlist *l)
{
	const struct dipb_member *m;
	const struct dipb_error *e, *err;
	size_t i;

	for (i = 0; i < l->n; i++)
		if ((e = dipb_board_member_named(b, l->v[i], &m)) != NULL) {
			err = dipb_cmd_usage_error("list", "%s", e->msg);
			dipb_error_free(e);
			return err;
		}
	return NULL;
}

/* who wrote r: its author's email, or their name on the board. */
static int
by_author(const struct filter *f, const struct dipb_record *r,
    const char *who)
{
	const struct dipb_member *m = member(f, who);

	if (r->author == NULL)
		return 0;
	return strcasecmp(r->author, who) == 0 ||
	    (m != NULL && strcasecmp(r->author, m->email) == 0);
}

/* An action of r is owned by who (dipb-list(1), --owner). */
static int
by_owner(const struct filter *f, const struct dipb_record *r,
    const char *who)
{
	size_t i;

	for (i = 0; i < r->nactions; i++)
		if (dipb_owner_is(f->rs.board, r->actions[i].owner, who))
			return 1;
	return 0;
}

static int
by_grep(const struct filter *f, const struct dipb_record *r,
    const char *text)
{
	size_t i;

	(void)f;
	if (has_text(r->title, text) || has_text(r->summary, text) ||
	    has_text(r->rationale, text))
		return 1;
	for (i = 0; i < r->nactions; i++)
		if (has_text(r->actions[i].text, text))
			return 1;
	return 0;
}

static int
by_topic(const struct filter *f, const struct dipb_record *r,
    const char *topic)
{
	size_t i;

	(void)f;
	for (i = 0; i < r->topics.n; i++)
		if (strcasecmp(r->topics.v[i], topic) == 0)
			return 1;
	return 0;
}

/* Any value of list l holds for r; an empty list holds always. */
static int
any(const struct filter *f, const struct dipb_record *r,
    const struct dipb_strlist *l,
    int (*fn)(const struct filter *, const struct dipb_record *,
    const char *))
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (fn(f, r, l->v[i]))
			return 1;
	return l->n == 0;
}

static int
by_wg(const struct filter *f, const struct dipb_record *r, const char *wg)
{
	(void)f;
	return r->working_group != NULL && strcmp(r->working_group, wg) == 0;
}

static int
wanted(const struct filter *f, const struct dipb_record *r)
{
	if (f->statuses != 0 && !(f->statuses & (1U << r->status)))
		return 0;
	if (f->priorities != 0 && !(f->priorities & (1U << r->priority)))
		return 0;
	return any(f, r, &f->wgs, by_wg) &&
	    any(f, r, &f->topics, by_topic) &&
	    any(f, r, &f->authors, by_author) &&
	    any(f, r, &f->owners, by_owner) &&
	    any(f, r, &f->greps, by_grep);
}

/* The n bytes at s copied into f's strings, then NUL: their offset. */
static size_t
keep_strn(struct filter *f, const char *s, size_t n)
{
	size_t at = f->strs.len;

	dipb_buf_put(&f->strs, s, n);
	dipb_buf_putc(&f->strs, '\0');
	return at;
}

/* The row of a record, its strings copied; wg the board's, if any. */
static void
add_row(struct filter *f, const char *id, size_t idlen, const char *title,
    size_t titlelen, const struct dipb_wg *wg, const char *wgname,
    size_t wglen, enum dipb_status status, enum dipb_priority priority)
{
	struct row *w;

	xgrow((void **)&f->rows, &f->caprows, f->nrows + 1, sizeof(*f->rows));
	w = &f->rows[f->nrows++];
	w->id_at = keep_strn(f, id, idlen);
	w->title_at = keep_strn(f, title, titlelen);
	w->working_group = wg != NULL ? wg->key : NULL;
	w->wg_at = wg != NULL ? 0 : keep_strn(f, wgname, wglen);
	w->status = (unsigned char)status;
	w->priority = (unsigned char)priority;
}

/*
 * One field of a line of the table, then a newline (last 1), a tab (0)
 * or nothing (2): tabs and newlines become spaces, and
 * the other control characters (ESC, C1) are shown, not obeyed, by the
 * one cleaner (text.h).  A field of printable ASCII, as most are, needs
 * no cleaning and is written as it is.
 */
static void
put_fieldn(struct dipb_buf *b, const char *s, size_t len, int last)
{
	char *c;

	if (dipb_text_plain(s, len))
		dipb_buf_put(b, s, len);
	else {
		c = dipb_text_clean_field(s, len);
		dipb_buf_puts(b, c);
		free(c);
	}
	if (last < 2)
		dipb_buf_putc(b, last ? '\n' : '\t');
}

/*
 * A line of the table, its n fields at f (lengths len), each printable
 * ASCII (dipb_text_plain), as nearly every line is: b grown once and the
 * fields copied with their tabs, where put_fieldn would grow it twice a
 * field (a list of 30,000 records writes 150,000 fields).
 */
static void
put_plain_line(struct dipb_buf *b, const char *const *f, const size_t *len,
    size_t n)
{
	size_t k, total = n;
	char *p;

	for (k = 0; k < n; k++)
		total += len[k];
	dipb_buf_grow(b, total);
	p = b->ptr + b->len;
	for (k = 0; k < n; k++) {
		memcpy(p, f[k], len[k]);
		p += len[k];
		*p++ = k + 1 < n ? '\t' : '\n';
	}
	*p = '\0';
	b->len += total;
}

/* put_fieldn of a string, NULL as "". */
static void
put_field(struct dipb_buf *b, const char *s, int last)
{
	put_fieldn(b, s != NULL ? s : "", s != NULL ? strlen(s) : 0, last);
}

/* The lines in b written, past 64 KiB (all: 1), and b emptied. */
static void
put_lines(struct dipb_buf *b, int all)
{
	if (b->len == 0 || (b->len < ((size_t)64 << 10) && !all))
		return;
	fwrite(b->ptr, 1, b->len, stdout);
	dipb_buf_truncate(b, 0);
}

/*
 * The take_head of f->rs (session.h): what wanted does with a record,
 * with only the filters of the table's fields (status, priority,
 * working group), on its head.
 */
static void
take_head(const struct dipb_cache_head *h, void *arg)
{
	struct filter *f = arg;
	const struct dipb_wg *wg = NULL;
	const char *col[5];
	size_t i, len[5];

	if ((f->statuses != 0 && !(f->statuses & (1U << h->status))) ||
	    (f->priorities != 0 && !(f->priorities & (1U << h->priority))))
		return;
	for (i = 0; h->wg != NULL && i < f->rs.board->nwgs; i++)
		if (strncmp(f->rs.board->wgs[i].key, h->wg, h->wglen) == 0 &&
		    f->rs.board->wgs[i].key[h->wglen] == '\0')
			wg = &f->rs.board->wgs[i];
	/* --wg takes a group of the board (cmd_list): h's, if any. */
	for (i = 0; i < f->wgs.n; i++)
		if (wg != NULL && strcmp(f->wgs.v[i], wg->key) == 0)
			break;
	if (f->wgs.n > 0 && i == f->wgs.n)
		return;
	if (f->stream == IDS) {
		dipb_buf_put(&f->lines, h->id, h->idlen);
		dipb_buf_putc(&f->lines, '\n');
	} else if (f->stream == TABLE) {
		col[0] = h->id;
		len[0] = h->idlen;
		col[1] = dipb_status_name(h->status);
		len[1] = f->status_len[h->status];
		col[2] = wg != NULL ? wg->key : h->wg != NULL ? h->wg : "";
		len[2] = h->wglen;
		col[3] = priority_col(h->priority);
		len[3] = f->priority_len[h->priority];
		col[4] = h->title != NULL ? h->title : "";
		len[4] = h->titlelen;
		/* The names of a status and a priority are plain. */
		if (h->plain)
			put_plain_line(&f->lines, col, len, 5);
		else
			for (i = 0; i < 5; i++)
				put_fieldn(&f->lines, col[i], len[i], i == 4);
	}
	if (f->stream) {
		put_lines(&f->lines, 0);
		return;
	}
	add_row(f, h->id, h->idlen, h->title != NULL ? h->title : "",
	    h->titlelen, wg, h->wg != NULL ? h->wg : "", h->wglen,
	    h->status, h->priority);
}

static const char *
row_id(const void *w, void *f)
{
	return ((struct filter *)f)->strs.ptr +
	    ((const struct row *)w)->id_at;
}

/* The row of a record for --format json: its id and JSON text. */
static void
add_json(struct filter *f, const struct dipb_record *r)
{
	struct row *w;

	xgrow((void **)&f->rows, &f->caprows, f->nrows + 1, sizeof(*f->rows));
	w = &f->rows[f->nrows++];
	memset(w, 0, sizeof(*w));
	w->id_at = keep_strn(f, r->id, strlen(r->id));
	w->title_at = f->strs.len;
	if (dipb_json_put_item(&f->strs, dipb_record_json_board(r,
	    f->rs.board), f->json == 2) != 0)
		f->json_failed = 1;
	dipb_buf_putc(&f->strs, '\0');
}

/*
 * The take of f->rs (session.h): a record the filters do not take is
 * dropped, one they take kept as a row.
 */
static int
take(struct dipb_record *r, void *arg)
{
	struct filter *f = arg;
	const char *wg = r->working_group != NULL ? r->working_group : "";

	if (f->json && wanted(f, r))
		add_json(f, r);
	else if (!f->json && wanted(f, r)) {
		/* A record taken has a working group of the board. */
		add_row(f, r->id, strlen(r->id), r->title != NULL ? r->title :
		    "", r->title != NULL ? strlen(r->title) : 0,
		    dipb_board_wg(f->rs.board, wg), wg, strlen(wg), r->status,
		    r->priority);
	}
	dipb_record_release(r);
	return 1;
}

/* The five columns of row w: id, status, group, priority, title. */
static void
row_cols(const char *col[5], const struct filter *f, const struct row *w)
{
	col[0] = f->strs.ptr + w->id_at;
	col[1] = dipb_status_name((enum dipb_status)w->status);
	col[2] = w->working_group != NULL ? w->working_group :
	    f->strs.ptr + w->wg_at;
	col[3] = priority_col((enum dipb_priority)w->priority);
	col[4] = f->strs.ptr + w->title_at;
}

/*
 * The columns field s takes on a terminal, as put_field shows it: its
 * characters, not its bytes (a working group named in another script).
 */
static size_t
shown_width(const char *s)
{
	char *c;
	size_t w;

	if (dipb_text_plain(s, strlen(s)))
		return strlen(s);
	c = dipb_text_clean_field(s, strlen(s));
	w = dipb_text_width(c);
	free(c);
	return w;
}

static void
print_table(const struct filter *f, int aligned, int color)
{
	static const char *const head[] = { "ID", "STATUS", "WORKING-GROUP",
	    "PRIORITY", "TITLE" };
	struct dipb_buf b = DIPB_BUF_INIT;
	const char *col[5];
	size_t wd[4] = { 0 }, i, k, w;

	for (k = 0; k < 4; k++)
		wd[k] = strlen(head[k]);
	for (i = 0; aligned && i < f->nrows; i++) {
		row_cols(col, f, &f->rows[i]);
		for (k = 0; k < 4; k++)
			if ((w = shown_width(col[k])) > wd[k])
				wd[k] = w;
	}
	if (aligned && f->nrows > 0)
		dipb_buf_printf(&b, "%s%-*s  %-*s  %-*s  %-*s  %s%s\n",
		    color ? "\033[1m" : "", (int)wd[0], head[0], (int)wd[1],
		    head[1], (int)wd[2], head[2], (int)wd[3], head[3], head[4],
		    color ? "\033[0m" : "");
	for (i = 0; i < f->nrows; i++) {
		row_cols(col, f, &f->rows[i]);
		if (!aligned) {
			for (k = 0; k < 5; k++)
				put_field(&b, col[k], k == 4);
			put_lines(&b, 0);
			continue;
		}
		for (k = 0; k < 4; k++) {
			put_field(&b, col[k], 2);
			dipb_buf_printf(&b, "%*s",
			    (int)(wd[k] - shown_width(col[k])) + 2, "");
		}
		put_field(&b, col[4], 1);
		put_lines(&b, 0);
	}
	put_lines(&b, 1);
	dipb_buf_release(&b);
}

/* The options of dipb list into f and *format; a usage error, or NULL. */
static const struct dipb_error *
parse_options(struct filter *f, enum format *format, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "status", required_argument, NULL, 's' },
		{ "wg", required_argument, NULL, 'w' },
		{ "priority", required_argument, NULL, 'p' },
		{ "topic", required_argument, NULL, 't' },
		{ "author", required_argument, NULL, 'a' },
		{ "owner", required_argument, NULL, 'o' },
		{ "grep", required_argument, NULL, 'g' },
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 }
	};
	const struct dipb_error *err;
	enum dipb_status st;
	enum dipb_priority pr;
	int ch, i;

	while ((ch = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (ch) {
		case 's':
			if (dipb_status_parse(optarg, &st) != 0 ||
			    st == DIPB_STATUS_NONE)
				return usage_list("--status takes draft, "
				    "in-review, returned, endorsed, submitted, "
				    "decided or withdrawn");
			f->statuses |= 1U << st;
			break;
		case 'p':
			/* none: the records without one (dipb-list(1)). */
			if (strcmp(optarg, dipb_priority_name(
			    DIPB_PRIORITY_NONE)) == 0)
				pr = DIPB_PRIORITY_NONE;
			else if (dipb_priority_parse(optarg, &pr) != 0)
				return usage_list("--priority takes high, "
				    "medium, low or none");
			f->priorities |= 1U << pr;
			break;
		case 'w':
			dipb_strlist_push(&f->wgs, optarg);
			break;
		case 't':
			dipb_strlist_push(&f->topics, optarg);
			break;
		case 'a':
			dipb_strlist_push(&f->authors, optarg);
			break;
		case 'o':
			dipb_strlist_push(&f->owners, optarg);
			break;
		case 'g':
			if (optarg[0] == '\0')
				return usage_list("--grep takes a text");
			dipb_strlist_push(&f->greps, optarg);
			break;
		case 'f':
			if ((err = dipb_cmd_choice(&i, "list", "--format",
			    optarg, formats)) != NULL)
				return err;
			*format = TABLE + i;
			break;
		default:
			return dipb_cmd_bad_option("list", ch, argv);
		}
	}
	if (optind != argc)
		return usage_list("no arguments expected");
	return NULL;
}

const struct dipb_error *
cmd_list(int argc, char **argv, struct dipb_ctx *ctx)
{
	struct dipb_session s;
	struct filter f;
	const struct dipb_error *err = NULL;
	enum format format = TABLE;
	const char **items;
	size_t i;

	memset(&f, 0, sizeof(f));
	if ((err = parse_options(&f, &format, argc, argv)) != NULL)
		goto usage;
	if ((err = dipb_ctx_open(ctx)) != NULL)
		goto usage;
	if ((err = dipb_session_open(&s, ctx->repo)) != NULL)
		goto done;
	for (i = 0; i < f.wgs.n; i++)
		if (dipb_board_wg(&s.board, f.wgs.v[i]) == NULL) {
			err = dipb_cmd_usage_error("list", "unknown working "
			    "group: '%s'", f.wgs.v[i]);
			goto done;
		}
	if ((err = named_once(&s.board, &f.authors)) != NULL ||
	    (err = named_once(&s.board, &f.owners)) != NULL)
		goto done;
	f.rs.board = &s.board;
	/* What the table and the filters read, of a record from the cache. */
	if (format != JSON)
		f.rs.want = f.topics.n + f.authors.n + f.owners.n +
		    f.greps.n > 0 ? DIPB_CACHE_TEXT : DIPB_CACHE_HEAD;
	f.json = format == JSON ? 1 + (ctx->tty_out != 0) : 0;
	f.rs.take = take;
	if (f.rs.want == DIPB_CACHE_HEAD)
		f.rs.take_head = take_head;
	/* What a terminal shows is aligned: rows first, for the widths. */
	if (format == IDS || (format == TABLE && !ctx->tty_out))
		f.stream = (int)format;
	for (i = 0; i < NELEM(f.status_len); i++)
		f.status_len[i] = strlen(dipb_status_name((enum dipb_status)i));
	for (i = 0; i < NELEM(f.priority_len); i++)
		f.priority_len[i] = strlen(priority_col((enum dipb_priority)i));
	f.rs.take_arg = &f;
	if ((err = dipb_records_read(&f.rs, ctx->repo)) != NULL)
		goto done;
	dipb_diags_print(stderr, &f.rs.diags, DIPB_DIAG_GCC);
	dipb_records_sort(&f.rs);
	put_lines(&f.lines, 1);	/* the lines of take_head, if any */
	/* Rows of heads from the cache come sorted (session.h). */
	if (!f.rs.sorted)
		dipb_sort_by_id(f.rows, f.nrows, sizeof(*f.rows), row_id, &f);
	switch (format) {
	case TABLE:
		print_table(&f, ctx->tty_out, ctx->color);
		break;
	case IDS:
		for (i = 0; i < f.nrows; i++)
			puts(f.strs.ptr + f.rows[i].id_at);
		break;
	case JSON:
		if (f.json_failed) {
			err = dipb_error_from_errno("JSON");
			break;
		}
		items = xcalloc(f.nrows, sizeof(*items));
		for (i = 0; i < f.nrows; i++)
			items[i] = f.strs.ptr + f.rows[i].title_at;
		if (dipb_json_print_items(stdout, items, f.nrows,
		    ctx->tty_out) != 0)
			err = dipb_error_from_errno("standard output");
		free(items);
		break;
	}
	if (err == NULL && f.rs.invalid > 0)
		err = dipb_error_fmt(DIPB_ERR_INVALID,
		    "%zu invalid record%s left out", f.rs.invalid,
		    f.rs.invalid == 1 ? "" : "s");
done:
	free(f.rows);
	dipb_buf_release(&f.strs);
	dipb_buf_release(&f.lines);
	dipb_records_release(&f.rs);
	/* A bad dipb.yaml: its diagnostics, then main's error. */
	dipb_diags_print(stderr, &s.diags, DIPB_DIAG_GCC);
	dipb_session_end(&s);
usage:
	dipb_strlist_release(&f.wgs);
	dipb_strlist_release(&f.topics);
	dipb_strlist_release(&f.authors);
	dipb_strlist_release(&f.owners);
	dipb_strlist_release(&f.greps);
	return err;
}

/*
 * report.c - report builders (Markdown blocks and JSON) and their
 * rendering by cmark (report.h).
 */
#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <cmark.h>
#include <jansson.h>

#include "json.h"
#include "report.h"
#include "report/escape.h"
#include "report/sanitize.h"

enum block_kind {
	B_MD,		/* Markdown written here */
	B_FIELD,	/* a Markdown field of a record */
	B_TABLE,
	B_CHART,	/* the status chart (HTML only) */
	B_BREAK		/* a page break (HTML print, LaTeX) */
};

/* A table of plain-text cells; row 0 is the header. */
struct table {
	size_t		  ncols;
	size_t		  nrows;
	size_t		  cap;
	char		**cell;		/* nrows * ncols */
	unsigned char	 *hl;		/* per row: highlighted */
	char		 *spec;		/* per column: 'l', 'r' (numbers), 'w' */
};

struct block {
	enum block_kind	 kind;
	char		*text;		/* B_MD, B_FIELD */
	int		 level;		/* B_FIELD: heading it sits under */
	int		 quote;		/* B_FIELD: as a block quote */
	struct table	 t;
};

struct dipb_report {
	const struct dipb_board	*board;
	char			*title;
	char			*kind;
	char			*today;
	char			*version;
	int			 max_rank;	/* -1: no limit */
	int			 rank;		/* highest kept; -1: none */
	char			*odd_marking;	/* a kept unknown classification */
	size_t			 left_out;
	struct block		*v;
	size_t			 n;
	size_t			 cap;
	struct dipb_buf		 md;		/* B_MD text being written */
	json_t			*json;
	/* The chart: one row per working group, counts by status. */
	size_t			  nbars;
	char			**bar_label;
	unsigned		(*bar)[DIPB_STATUS__COUNT];
};

static void
put_rendered(struct dipb_buf *out, char *s)
{
	dipb_buf_puts(out, s);
	free(s);
}

/* --- Building ------------------------------------------------------------ */

static struct block *
add_block(struct dipb_report *r, enum block_kind kind)
{
	struct block *b;

	xgrow((void **)&r->v, &r->cap, r->n + 1, sizeof(*r->v));
	b = &r->v[r->n++];
	memset(b, 0, sizeof(*b));
	b->kind = kind;
	return b;
}

/* Ends the Markdown being written as a block. */
static void
flush(struct dipb_report *r)
{
	if (r->md.len == 0)
		return;
	add_block(r, B_MD)->text = dipb_buf_detach(&r->md);
}

static void md(struct dipb_report *, const char *, ...) DIPB_PRINTF(2, 3);

/* Markdown written by report.c; %s arguments must be escaped already. */
static void
md(struct dipb_report *r, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	dipb_buf_puts(&r->md, s);
	free(s);
}

/* Plain text, escaped. */
static void
mdt(struct dipb_report *r, const char *text)
{
	dipb_md_escape(&r->md, text);
}

static void
field(struct dipb_report *r, const char *text, int level, int quote)
{
	struct block *b;

	if (text == NULL || text[0] == '\0')
		return;
	flush(r);
	b = add_block(r, B_FIELD);
	b->text = xstrdup(text);
	b->level = level;
	b->quote = quote;
}

static void
page_break(struct dipb_report *r)
{
	flush(r);
	add_block(r, B_BREAK);
}

/* Starts a table: spec gives each column ('l', 'r', 'w'), then headers. */
static void
table_begin(struct dipb_report *r, const char *spec, ...)
{
	struct table *t;
	va_list ap;
	size_t i;

	flush(r);
	t = &add_block(r, B_TABLE)->t;
	t->ncols = strlen(spec);
	t->spec = xstrdup(spec);
	t->cap = 8;
	t->cell = xcalloc(t->cap * t->ncols, sizeof(*t->cell));
	t->hl = xcalloc(t->cap, 1);
	va_start(ap, spec);
	for (i = 0; i < t->ncols; i++)
		t->cell[i] = xstrdup(va_arg(ap, const char *));
	va_end(ap);
	t->nrows = 1;
}

/* A row of the last table: hl, then one string per column (NULL: ""). */
static void
table_row(struct dipb_report *r, int hl, ...)
{
	struct table *t = &r->v[r->n - 1].t;
	const char *s;
	va_list ap;
	size_t i, oldcap = t->cap;

	if (t->nrows == t->cap) {
		t->cap *= 2;
		t->cell = xrealloc(t->cell, t->cap * t->ncols *
		    sizeof(*t->cell));
		t->hl = xrealloc(t->hl, t->cap);
		memset(t->hl + oldcap, 0, t->cap - oldcap);
	}
	va_start(ap, hl);
	for (i = 0; i < t->ncols; i++) {
		s = va_arg(ap, const char *);
		t->cell[t->nrows * t->ncols + i] = xstrdup(s != NULL ? s : "");
	}
	va_end(ap);
	t->hl[t->nrows++] = (unsigned char)(hl != 0);
}

static void
block_release(struct block *b)
{
	size_t i;

	free(b->text);
	for (i = 0; i < b->t.nrows * b->t.ncols; i++)
		free(b->t.cell[i]);
	free(b->t.cell);
	free(b->t.hl);
	free(b->t.spec);
}

void
dipb_report_free(struct dipb_report *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->n; i++)
		block_release(&r->v[i]);
	free(r->v);
	for (i = 0; i < r->nbars; i++)
		free(r->bar_label[i]);
	free(r->bar_label);
	free(r->bar);
	dipb_buf_release(&r->md);
	json_decref(r->json);
	free(r->odd_marking);
	free(r->title);
	free(r->kind);
	free(r->today);
	free(r->version);
	free(r);
}

size_t
dipb_report_left_out(const struct dipb_report *r)
{
	return r->left_out;
}

const char *
dipb_report_marking(const struct dipb_report *r)
{
	const struct dipb_strlist *c = &r->board->classifications;

	if (r->odd_marking != NULL)
		return r->odd_marking;
	if (r->rank >= 0 && (size_t)r->rank < c->n)
		return c->v[r->rank];
	return c->n > 0 ? c->v[0] : "UNCLASSIFIED";
}

/*
 * Whether a record of classification cls goes into the report: not when
 * it is above the maximum (or unknown while there is one).  Counts what
 * is left out and raises the marking to what is kept.
 */
static int
keep(struct dipb_report *r, const char *cls)
{
	int rank = cls != NULL ?
	    dipb_board_classification_rank(r->board, cls) : -1;

	if (rank < 0)
		rank = INT_MAX;		/* unknown: above everything */
	if (r->max_rank >= 0 && rank > r->max_rank) {
		r->left_out++;
		return 0;
	}
	if (rank == INT_MAX) {
		/* Only without a maximum: marked with what it says. */
		if (r->odd_marking == NULL)
			r->odd_marking = xstrdup(cls != NULL ? cls :
			    "UNKNOWN CLASSIFICATION");
		return 1;
	}
	if (rank > r->rank)
		r->rank = rank;
	return 1;
}

static struct dipb_report *
report_new(const struct dipb_report_opts *o, const char *kind,
    const char *title)
{
	struct dipb_report *r = xcalloc(1, sizeof(*r));

	r->board = o->board;
	r->kind = xstrdup(kind);
	r->title = xstrdup(o->title != NULL ? o->title : title);
	r->today = xstrdup(o->today);
	r->version = xstrdup(o->version != NULL ? o->version : "");
	r->rank = -1;
	r->max_rank = o->max_classification != NULL ?
	    dipb_board_classification_rank(o->board, o->max_classification) :
	    -1;
	r->json = json_object();
	json_object_set_new(r->json, "report", json_string(kind));
	json_object_set_new(r->json, "title", json_string(r->title));
	json_object_set_new(r->json, "board", json_string(o->board->board));
	json_object_set_new(r->json, "date", json_string(o->today));
	json_object_set_new(r->json, "marking", json_null());
	json_object_set_new(r->json, "max_classification",
	    o->max_classification != NULL ?
	    json_string(o->max_classification) : json_null());
	json_object_set_new(r->json, "left_out", json_integer(0));
	md(r, "# ");
	mdt(r, r->title);
	md(r, "\n\n");
	return r;
}

/* The line under the title: board, what, date; then what was left out. */
static void
intro(struct dipb_report *r, const char *what)
{
	const struct dipb_board *b = r->board;

	mdt(r, b->board);
	if (b->short_name != NULL) {
		md(r, " (");
		mdt(r, b->short_name);
		md(r, ")");
	}
	md(r, " \xe2\x80\x94 %s \xe2\x80\x94 ", what);
	mdt(r, r->today);
	md(r, "\n\n");
	if (r->max_rank >= 0) {
		md(r, "*%zu recommendation%s classified above ", r->left_out,
		    r->left_out == 1 ? "" : "s");
		mdt(r, b->classifications.v[r->max_rank]);
		md(r, " left out.*\n\n");
	}
}

static void
finish(struct dipb_report *r)
{
	flush(r);
	json_object_set_new(r->json, "marking",
	    json_string(dipb_report_marking(r)));
	json_object_set_new(r->json, "left_out",
	    json_integer((json_int_t)r->left_out));
}

/* --- Shared lookups ------------------------------------------------------- */

/* Position of working group key in the board; nwgs when unknown. */
static size_t
wg_index(const struct dipb_board *b, const char *key)
{
	size_t i;

	for (i = 0; key != NULL && i < b->nwgs; i++)
		if (strcmp(b->wgs[i].key, key) == 0)
			return i;
	return b->nwgs;
}

static const char *
wg_name(const struct dipb_board *b, const char *key)
{
	const struct dipb_wg *w = key != NULL ? dipb_board_wg(b, key) : NULL;

	return w != NULL ? w->name : key != NULL ? key : "(none)";
}

/* The working group of an id, from its prefix; NULL when unknown. */
static const struct dipb_wg *
wg_of_id(const struct dipb_board *b, const char *id)
{
	char prefix[9];
	unsigned long num;

	if (id == NULL || dipb_id_split(id, prefix, &num) != 0)
		return NULL;
	return dipb_board_wg_by_prefix(b, prefix);
}

/* "Name" of a member by email, else the email itself. */
static const char *
who(const struct dipb_board *b, const char *email)
{
	const struct dipb_member *m = email != NULL ?
	    dipb_board_member(b, email) : NULL;

	return m != NULL ? m->name : email != NULL ? email : "";
}

/* Ids in board order of their working group, then by number. */
static int
id_before(const struct dipb_board *b, const char *x, const char *y)
{
	const struct dipb_wg *wx = wg_of_id(b, x), *wy = wg_of_id(b, y);
	size_t ix = wx != NULL ? (size_t)(wx - b->wgs) : b->nwgs;
	size_t iy = wy != NULL ? (size_t)(wy - b->wgs) : b->nwgs;
	char px[9], py[9];
	unsigned long nx = 0, ny = 0;
	int c;

	if (ix != iy)
		return ix < iy ? -1 : 1;
	if (dipb_id_split(x, px, &nx) != 0 || dipb_id_split(y, py, &ny) != 0)
		return strcmp(x, y);
	if ((c = strcmp(px, py)) != 0)
		return c;
	return nx < ny ? -1 : nx > ny;
}

static const struct dipb_board *sort_board;	/* for qsort's comparators */

static int
cmp_recp(const void *a, const void *b)
{
	const struct dipb_record *const *x = a, *const *y = b;

	return id_before(sort_board, (*x)->id, (*y)->id);
}

/* Pointers to the records of recs that keep() lets in, sorted. */
static const struct dipb_record **
kept_records(struct dipb_report *r, const struct dipb_record *recs,
    size_t n, size_t *out_n)
{
	const struct dipb_record **v = xcalloc(n + 1, sizeof(*v));
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		if (keep(r, recs[i].classification))
			v[k++] = &recs[i];
	sort_board = r->board;
	qsort(v, k, sizeof(*v), cmp_recp);
	*out_n = k;
	return v;
}

static void
set_str(json_t *o, const char *key, const char *val)
{
	json_object_set_new(o, key, val != NULL ? json_string(val) :
	    json_null());
}

/* --- A record in full (package, show) ------------------------------------ */

static void
meta_row(struct dipb_report *r, const char *k, const char *v)
{
	if (v != NULL && v[0] != '\0')
		table_row(r, 0, k, v);
}

/*
 * The full text of rec under a heading of level (numbered num unless 0);
 * with it, what the Armaments Directors need to check it: blob and tag.
 */
static void
record_section(struct dipb_report *r, const struct dipb_record *rec,
    const struct dipb_package_item *it, int level, unsigned num)
{
	const struct dipb_board *b = r->board;
	struct dipb_buf v = DIPB_BUF_INIT;
	char fp[DIPB_FINGERPRINT_LEN + 1];
	size_t i;

	dipb_record_fingerprint(rec, fp);
	md(r, "%.*s ", level, "######");
	if (num > 0)
		md(r, "%u. ", num);
	mdt(r, rec->id);
	md(r, " \xe2\x80\x94 ");
	mdt(r, rec->title);
	md(r, "\n\n");

	table_begin(r, "lw", "Field", "Value");
	dipb_buf_printf(&v, "%s (%s)", wg_name(b, rec->working_group),
	    rec->working_group != NULL ? rec->working_group : "-");
	meta_row(r, "Working group", v.ptr);
	meta_row(r, "Status", dipb_status_name(rec->status));
	meta_row(r, "Classification", rec->classification);
	if (rec->priority != DIPB_PRIORITY_NONE)
		meta_row(r, "Priority", dipb_priority_name(rec->priority));
	dipb_buf_clear(&v);
	for (i = 0; i < rec->topics.n; i++)
		dipb_buf_printf(&v, "%s%s", i > 0 ? ", " : "",
		    rec->topics.v[i]);
	meta_row(r, "Topics", dipb_buf_cstr(&v));
	dipb_buf_clear(&v);
	if (rec->author != NULL)
		dipb_buf_printf(&v, "%s <%s>", who(b, rec->author),
		    rec->author);
	meta_row(r, "Drafted by", dipb_buf_cstr(&v));
	meta_row(r, "Created", rec->created);
	meta_row(r, "Updated", rec->updated);
	if (rec->submission != NULL) {
		dipb_buf_clear(&v);
		dipb_buf_printf(&v, "%s, to %s, reference %s",
		    rec->submission->date != NULL ? rec->submission->date : "-",
		    rec->submission->to != NULL ? rec->submission->to : "-",
		    rec->submission->reference != NULL ?
		    rec->submission->reference : "-");
		meta_row(r, "Submitted", v.ptr);
	}
	if (rec->decision != NULL) {
		dipb_buf_clear(&v);
		dipb_buf_printf(&v, "%s: %s",
		    rec->decision->date != NULL ? rec->decision->date : "-",
		    dipb_outcome_name(rec->decision->outcome));
		meta_row(r, "Decision", v.ptr);
	}
	if (rec->withdrawal != NULL) {
		dipb_buf_clear(&v);
		dipb_buf_printf(&v, "%s, by %s",
		    rec->withdrawal->date != NULL ? rec->withdrawal->date : "-",
		    who(b, rec->withdrawal->by));
		meta_row(r, "Withdrawn", v.ptr);
	}
	meta_row(r, "Fingerprint", fp);
	if (it != NULL) {
		meta_row(r, "Git blob", it->blob);
		if (it->tag != NULL) {
			dipb_buf_clear(&v);
			dipb_buf_printf(&v, "%s (commit %s)", it->tag,
			    it->commit != NULL ? it->commit : "?");
			meta_row(r, "Submission tag", v.ptr);
		} else
			meta_row(r, "Submission tag",
			    "none: the text at the branch tip");
	}
	dipb_buf_release(&v);

	md(r, "%.*s Summary\n\n", level + 1, "#######");
	field(r, rec->summary, level + 1, 0);
	if (rec->rationale != NULL) {
		md(r, "%.*s Rationale\n\n", level + 1, "#######");
		field(r, rec->rationale, level + 1, 0);
	}
	if (rec->nactions > 0) {
		md(r, "%.*s Actions\n\n", level + 1, "#######");
		for (i = 0; i < rec->nactions; i++) {
			const struct dipb_action *a = &rec->actions[i];

			md(r, "%zu. ", i + 1);
			mdt(r, a->text);
			md(r, " \xe2\x80\x94 ");
			mdt(r, a->owner);
			if (a->due != NULL) {
				md(r, ", due ");
				mdt(r, a->due);
			}
			md(r, " (%s)\n", dipb_action_state_name(a->state));
		}
		md(r, "\n");
	}
	if (rec->references.n > 0) {
		md(r, "%.*s References\n\n", level + 1, "#######");
		for (i = 0; i < rec->references.n; i++) {
			md(r, "- ");
			mdt(r, rec->references.v[i]);
			md(r, "\n");
		}
		md(r, "\n");
	}
	if (rec->nreviews > 0) {
		md(r, "%.*s Reviews\n\n", level + 1, "#######");
		for (i = 0; i < rec->nreviews; i++) {
			const struct dipb_review *rv = &rec->reviews[i];
			int fresh = rv->fingerprint != NULL &&
			    strcmp(rv->fingerprint, fp) == 0;

			md(r, "**");
			mdt(r, who(b, rv->reviewer));
			md(r, "**, ");
			mdt(r, rv->date);
			md(r, ": **%s** \xe2\x80\x94 fingerprint ",
			    dipb_verdict_name(rv->verdict));
			mdt(r, rv->fingerprint);
			md(r, fresh ? ", this text\n\n" : ", an earlier text\n\n");
			field(r, rv->comment, level + 1, 1);
		}
	}
	if (rec->decision != NULL && rec->decision->note != NULL) {
		md(r, "%.*s Decision\n\n", level + 1, "#######");
		field(r, rec->decision->note, level + 1, 0);
	}
	if (rec->withdrawal != NULL && rec->withdrawal->reason != NULL) {
		md(r, "%.*s Withdrawal\n\n", level + 1, "#######");
		field(r, rec->withdrawal->reason, level + 1, 0);
	}
}

struct dipb_report *
dipb_report_record(const struct dipb_report_opts *o,
    const struct dipb_record *rec)
{
	struct dipb_report *r;
	struct dipb_report_opts ro = *o;

	if (ro.title == NULL)
		ro.title = rec->title;
	/* One record: its own marking, never left out. */
	ro.max_classification = NULL;
	r = report_new(&ro, "record", rec->title);
	/* The title is the record's: drop the "# title" report_new wrote. */
	dipb_buf_clear(&r->md);
	keep(r, rec->classification);
	json_object_set_new(r->json, "record", dipb_record_json(rec));
	record_section(r, rec, NULL, 1, 0);
	finish(r);
	return r;
}

/* --- status --------------------------------------------------------------- */

struct dipb_report *
dipb_report_status(const struct dipb_report_opts *o,
    const struct dipb_record *recs, size_t n, const char *as_of)
{
	static const enum dipb_status order[] = { DIPB_STATUS_DRAFT,
	    DIPB_STATUS_IN_REVIEW, DIPB_STATUS_RETURNED, DIPB_STATUS_ENDORSED,
	    DIPB_STATUS_SUBMITTED, DIPB_STATUS_DECIDED, DIPB_STATUS_WITHDRAWN };
	const size_t ns = sizeof(order) / sizeof(order[0]);
	const struct dipb_board *b = o->board;
	struct dipb_report *r;
	const struct dipb_record **v;
	json_t *counts, *list, *x, *c;
	struct dipb_buf what = DIPB_BUF_INIT;
	unsigned (*cnt)[DIPB_STATUS__COUNT], tot[DIPB_STATUS__COUNT];
	char num[DIPB_STATUS__COUNT + 1][24];
	size_t nv, i, k, w, nrows;
	unsigned sum, all;

	r = report_new(o, "status", "Status of recommendations");
	v = kept_records(r, recs, n, &nv);
	dipb_buf_printf(&what, "status of %zu recommendation%s", nv,
	    nv == 1 ? "" : "s");
	if (as_of != NULL)
		dipb_buf_printf(&what, " as of %s", as_of);
	json_object_set_new(r->json, "as_of", as_of != NULL ?
	    json_string(as_of) : json_null());
	{
		struct dipb_buf esc = DIPB_BUF_INIT;

		dipb_md_escape(&esc, what.ptr);
		intro(r, esc.ptr);
		dipb_buf_release(&esc);
	}

	/* Counts: one row per working group of the board, and "other". */
	nrows = b->nwgs + 1;
	cnt = xcalloc(nrows, sizeof(*cnt));
	memset(tot, 0, sizeof(tot));
	for (i = 0; i < nv; i++) {
		w = wg_index(b, v[i]->working_group);
		cnt[w][v[i]->status]++;
		tot[v[i]->status]++;
	}
	md(r, "## By working group and status\n\n");
	table_begin(r, "lrrrrrrrr", "Working group", "draft", "in-review",
	    "returned", "endorsed", "submitted", "decided", "withdrawn",
	    "total");
	counts = json_object();
	r->bar_label = xcalloc(nrows, sizeof(*r->bar_label));
	r->bar = xcalloc(nrows, sizeof(*r->bar));
	for (w = 0; w < nrows; w++) {
		sum = 0;
		for (k = 0; k < ns; k++)
			sum += cnt[w][order[k]];
		if (w == b->nwgs && sum == 0)
			break;
		c = json_object();
		for (k = 0; k < ns; k++) {
			snprintf(num[k], sizeof(num[k]), "%u", cnt[w][order[k]]);
			json_object_set_new(c, dipb_status_name(order[k]),
			    json_integer(cnt[w][order[k]]));
		}
		snprintf(num[ns], sizeof(num[ns]), "%u", sum);
		json_object_set_new(c, "total", json_integer(sum));
		json_object_set_new(counts, w < b->nwgs ? b->wgs[w].key :
		    "other", c);
		table_row(r, 0, w < b->nwgs ? b->wgs[w].name : "Other",
		    num[0], num[1], num[2], num[3], num[4], num[5], num[6],
		    num[7]);
		r->bar_label[r->nbars] = xstrdup(w < b->nwgs ?
		    b->wgs[w].name : "Other");
		memcpy(r->bar[r->nbars], cnt[w], sizeof(cnt[w]));
		r->nbars++;
	}
	all = 0;
	for (k = 0; k < ns; k++) {
		snprintf(num[k], sizeof(num[k]), "%u", tot[order[k]]);
		all += tot[order[k]];
	}
	snprintf(num[ns], sizeof(num[ns]), "%u", all);
	table_row(r, 1, "Total", num[0], num[1], num[2], num[3], num[4],
	    num[5], num[6], num[7]);
	json_object_set_new(r->json, "counts", counts);
	flush(r);
	add_block(r, B_CHART);
	free(cnt);

	md(r, "## Recommendations\n\n");
	list = json_array();
	for (i = 0; i < nv; i = k) {
		w = wg_index(b, v[i]->working_group);
		md(r, "### ");
		mdt(r, w < b->nwgs ? b->wgs[w].name : "Other");
		md(r, "\n\n");
		table_begin(r, "llllw", "ID", "Status", "Priority", "Updated",
		    "Title");
		for (k = i; k < nv && wg_index(b, v[k]->working_group) == w;
		    k++) {
			const struct dipb_record *x0 = v[k];

			table_row(r, 0, x0->id, dipb_status_name(x0->status),
			    x0->priority != DIPB_PRIORITY_NONE ?
			    dipb_priority_name(x0->priority) : "-",
			    x0->updated != NULL ? x0->updated : x0->created,
			    x0->title);
			x = json_object();
			set_str(x, "id", x0->id);
			set_str(x, "title", x0->title);
			set_str(x, "working_group", x0->working_group);
			set_str(x, "status", dipb_status_name(x0->status));
			set_str(x, "priority", x0->priority !=
			    DIPB_PRIORITY_NONE ?
			    dipb_priority_name(x0->priority) : NULL);
			set_str(x, "classification", x0->classification);
			set_str(x, "updated", x0->updated != NULL ?
			    x0->updated : x0->created);
			json_array_append_new(list, x);
		}
	}
	if (nv == 0)
		md(r, "No recommendation.\n\n");
	json_object_set_new(r->json, "recommendations", list);
	dipb_buf_release(&what);
	free(v);
	finish(r);
	return r;
}

/* --- package ------------------------------------------------------------- */

static int
cmp_item(const void *a, const void *b)
{
	const struct dipb_package_item *const *x = a, *const *y = b;

	return id_before(sort_board, (*x)->rec->id, (*y)->rec->id);
}

struct dipb_report *
dipb_report_package(const struct dipb_report_opts *o, const char *reference,
    const struct dipb_package_item *items, size_t n)
{
	const struct dipb_board *b = o->board;
	struct dipb_report *r;
	const struct dipb_package_item **v;
	struct dipb_buf t = DIPB_BUF_INIT, e = DIPB_BUF_INIT;
	char fp[DIPB_FINGERPRINT_LEN + 1], no[24];
	json_t *list, *x;
	size_t i, nv = 0;
	const char *to = b->submit_to;

	dipb_buf_printf(&t, "Submission package %s", reference);
	r = report_new(o, "package", t.ptr);
	v = xcalloc(n + 1, sizeof(*v));
	for (i = 0; i < n; i++)
		if (keep(r, items[i].rec->classification))
			v[nv++] = &items[i];
	sort_board = b;
	qsort(v, nv, sizeof(*v), cmp_item);
	for (i = 0; i < nv; i++)
		if (v[i]->rec->submission != NULL &&
		    v[i]->rec->submission->to != NULL) {
			to = v[i]->rec->submission->to;
			break;
		}
	dipb_buf_clear(&t);
	dipb_buf_printf(&t, "%zu recommendation%s submitted to %s under "
	    "reference %s", nv, nv == 1 ? "" : "s", to != NULL ? to : "-",
	    reference);
	dipb_md_escape(&e, t.ptr);
	intro(r, e.ptr);
	json_object_set_new(r->json, "reference", json_string(reference));
	json_object_set_new(r->json, "to", to != NULL ? json_string(to) :
	    json_null());

	md(r, "Each recommendation is given as it was submitted.  Its git "
	    "blob id is the id of its file at the submission commit, which "
	    "`git hash-object` gives for a received copy; its fingerprint "
	    "is the one the reviewers endorsed (see dipb-record(5)).\n\n");
	md(r, "## Contents\n\n");
	table_begin(r, "rlwll", "No.", "ID", "Title", "Classification",
	    "Fingerprint");
	list = json_array();
	for (i = 0; i < nv; i++) {
		dipb_record_fingerprint(v[i]->rec, fp);
		snprintf(no, sizeof(no), "%zu", i + 1);
		table_row(r, 0, no, v[i]->rec->id, v[i]->rec->title,
		    v[i]->rec->classification, fp);
		x = json_object();
		set_str(x, "id", v[i]->rec->id);
		set_str(x, "blob", v[i]->blob);
		set_str(x, "fingerprint", fp);
		set_str(x, "tag", v[i]->tag);
		set_str(x, "commit", v[i]->commit);
		json_object_set_new(x, "record", dipb_record_json(v[i]->rec));
		json_array_append_new(list, x);
	}
	json_object_set_new(r->json, "recommendations", list);
	for (i = 0; i < nv; i++) {
		page_break(r);
		record_section(r, v[i]->rec, v[i], 2, (unsigned)(i + 1));
	}
	dipb_buf_release(&t);
	dipb_buf_release(&e);
	free(v);
	finish(r);
	return r;
}

/* --- minutes ------------------------------------------------------------- */

enum { C_DRAFTED, C_REVIEWS, C_ENDORSED, C_RETURNED, C_SUBMITTED,
    C_DECIDED, C_WITHDRAWN, C_OTHER, C__COUNT };

static const char *const col_name[C__COUNT] = { "drafted", "reviews",
    "endorsed", "returned", "submitted", "decided", "withdrawn", "other" };

static int
is_review(const char *ev)
{
	return strcmp(ev, "reviewed") == 0 || strcmp(ev, "endorsed") == 0 ||
	    strcmp(ev, "returned") == 0;
}

/* The verdict of a review event, from its subject (as dipb writes it). */
static const char *
verdict_of(const struct dipb_event *e)
{
	if (strcmp(e->event, "returned") != 0)
		return "endorse";
	if (strstr(e->subject, "objection") != NULL)
		return "object";
	return "request-changes";
}

/* The subject without "ID: ". */
static const char *
subject_rest(const struct dipb_event *e)
{
	size_t n = e->record != NULL ? strlen(e->record) : 0;

	if (n > 0 && strncmp(e->subject, e->record, n) == 0 &&
	    strncmp(e->subject + n, ": ", 2) == 0)
		return e->subject + n + 2;
	return e->subject;
}

static const struct dipb_record *
find_rec(const struct dipb_record *recs, size_t n, const char *id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (recs[i].id != NULL && strcmp(recs[i].id, id) == 0)
			return &recs[i];
	return NULL;
}

/* One event: date, who, what, move; the comment as a quote. */
static void
event_md(struct dipb_report *r, const struct dipb_event *e, json_t *list,
    const char *title)
{
	const struct dipb_member *m = dipb_board_member(r->board,
	    e->author_email);
	const char *verdict = NULL;
	json_t *x, *a;
	int moved = e->status_from != NULL && e->status_to != NULL &&
	    strcmp(e->status_from, e->status_to) != 0 &&
	    strcmp(e->status_from, "none") != 0;

	md(r, "**");
	mdt(r, e->date);
	md(r, "** \xe2\x80\x94 ");
	mdt(r, e->author_name);
	if (m != NULL && m->nation != NULL) {
		md(r, " (");
		mdt(r, m->nation);
		md(r, ")");
	}
	md(r, ": ");
	if (e->event == NULL)
		mdt(r, e->subject);
	else if (strcmp(e->event, "drafted") == 0)
		md(r, "drafted");
	else if (strcmp(e->event, "edited") == 0)
		md(r, "edited");
	else if (strcmp(e->event, "review-requested") == 0)
		md(r, "asked for review");
	else if (is_review(e->event)) {
		verdict = verdict_of(e);
		md(r, "review, **%s**", verdict);
		if (strcmp(e->event, "endorsed") == 0)
			md(r, ", quorum reached");
	} else if (strcmp(e->event, "withdrawn") == 0)
		md(r, "withdrew it");
	else if (strcmp(e->record, "board") == 0 &&
	    strcmp(e->event, "created") == 0)
		md(r, "created the board");
	else if (strcmp(e->record, "board") == 0 &&
	    strcmp(e->event, "changed") == 0)
		md(r, "changed the board's configuration");
	else
		mdt(r, subject_rest(e));
	if (moved) {
		md(r, " (");
		mdt(r, e->status_from);
		md(r, " -> ");
		mdt(r, e->status_to);
		md(r, ")");
	}
	md(r, "\n\n");
	field(r, e->comment, 4, 1);

	x = json_object();
	set_str(x, "date", e->date);
	set_str(x, "record", e->record);
	set_str(x, "title", title);
	set_str(x, "event", e->event);
	set_str(x, "verdict", verdict);
	set_str(x, "status_from", e->status_from);
	set_str(x, "status_to", e->status_to);
	a = json_object();
	set_str(a, "name", e->author_name);
	set_str(a, "email", e->author_email);
	json_object_set_new(x, "author", a);
	set_str(x, "subject", e->subject);
	set_str(x, "comment", e->comment);
	set_str(x, "commit", e->commit);
	json_array_append_new(list, x);
}

static size_t
column_of(const char *ev)
{
	if (strcmp(ev, "drafted") == 0)
		return C_DRAFTED;
	if (strcmp(ev, "submitted") == 0)
		return C_SUBMITTED;
	if (strcmp(ev, "decided") == 0)
		return C_DECIDED;
	if (strcmp(ev, "withdrawn") == 0)
		return C_WITHDRAWN;
	return C_OTHER;
}

/* The ids of records a plain-git commit touched: above the limit? */
static int
plain_kept(struct dipb_report *r, const struct dipb_event *e,
    const struct dipb_record *recs, size_t nrecs)
{
	const struct dipb_record *rec;
	const char *p, *dot;
	char id[DIPB_MAX_ID + 1];
	size_t i, dl = strlen(DIPB_RECORD_DIR);
	int rank, worst = -1;
	const char *cls = NULL;

	for (i = 0; i < e->paths.n; i++) {
		p = e->paths.v[i];
		if (strncmp(p, DIPB_RECORD_DIR "/", dl + 1) != 0)
			continue;
		p += dl + 1;
		if ((dot = strrchr(p, '.')) == NULL ||
		    (size_t)(dot - p) > DIPB_MAX_ID)
			continue;
		memcpy(id, p, (size_t)(dot - p));
		id[dot - p] = '\0';
		rec = find_rec(recs, nrecs, id);
		rank = rec != NULL ? dipb_board_classification_rank(r->board,
		    rec->classification) : -1;
		if (rec == NULL || rank < 0)
			rank = INT_MAX;
		if (rank > worst) {
			worst = rank;
			cls = rec != NULL ? rec->classification : NULL;
		}
	}
	/* A commit that touched only dipb.yaml: unclassified board data. */
	if (worst < 0)
		return 1;
	if (worst == INT_MAX && r->max_rank < 0 && cls == NULL)
		return 1;	/* deleted records: nothing known to mark */
	return keep(r, cls);
}

struct dipb_report *
dipb_report_minutes(const struct dipb_report_opts *o, const char *since,
    const char *until, const struct dipb_event *events, size_t nevents,
    const struct dipb_record *recs, size_t nrecs)
{
	const struct dipb_board *b = o->board;
	struct dipb_report *r;
	const struct dipb_event **v;
	const struct dipb_event **plain, **board_ev;
	const struct dipb_record *rec;
	unsigned (*cnt)[C__COUNT], tot[C__COUNT], all;
	char num[C__COUNT + 1][24];
	struct dipb_buf t = DIPB_BUF_INIT, e = DIPB_BUF_INIT;
	json_t *list, *summary, *c, *pl, *x, *a;
	size_t nv = 0, np = 0, nb = 0, i, k, w, j = 0, nrows;
	const char *last;

	dipb_buf_printf(&t, "Minutes of the %s", b->short_name != NULL ?
	    b->short_name : b->board);
	r = report_new(o, "minutes", t.ptr);
	nrows = b->nwgs + 1;
	v = xcalloc(nevents + 1, sizeof(*v));
	plain = xcalloc(nevents + 1, sizeof(*plain));
	board_ev = xcalloc(nevents + 1, sizeof(*board_ev));
	/* Oldest first; records above the limit out, counted once each. */
	for (i = nevents; i-- > 0; ) {
		const struct dipb_event *ev = &events[i];

		if (ev->plain) {
			if (plain_kept(r, ev, recs, nrecs))
				plain[np++] = ev;
			continue;
		}
		if (strcmp(ev->record, "board") == 0) {
			board_ev[nb++] = ev;
			continue;
		}
		v[nv++] = ev;
	}
	/* Stable order: by working group and id, then oldest first. */
	for (i = 1; i < nv; i++) {
		const struct dipb_event *x0 = v[i];

		for (k = i; k > 0 && id_before(b, x0->record,
		    v[k - 1]->record) < 0; k--)
			v[k] = v[k - 1];
		v[k] = x0;
	}
	/* Classification, record by record. */
	for (i = 0, k = 0, last = NULL; i < nv; i++) {
		if (last == NULL || strcmp(last, v[i]->record) != 0) {
			last = v[i]->record;
			rec = find_rec(recs, nrecs, last);
			j = keep(r, rec != NULL ? rec->classification : NULL);
		}
		if (j)
			v[k++] = v[i];
	}
	nv = k;

	dipb_buf_clear(&t);
	dipb_buf_printf(&t, "%zu change%s from %s to %s", nv + np + nb,
	    nv + np + nb == 1 ? "" : "s", since != NULL ? since : "the start",
	    until != NULL ? until : "the branch tip");
	dipb_md_escape(&e, t.ptr);
	intro(r, e.ptr);
	json_object_set_new(r->json, "since", since != NULL ?
	    json_string(since) : json_null());
	json_object_set_new(r->json, "until", until != NULL ?
	    json_string(until) : json_null());

	cnt = xcalloc(nrows, sizeof(*cnt));
	memset(tot, 0, sizeof(tot));
	for (i = 0; i < nv; i++) {
		const struct dipb_wg *wg = wg_of_id(b, v[i]->record);

		w = wg != NULL ? (size_t)(wg - b->wgs) : b->nwgs;
		if (is_review(v[i]->event)) {
			cnt[w][C_REVIEWS]++;
			tot[C_REVIEWS]++;
			if (strcmp(v[i]->event, "reviewed") != 0) {
				k = strcmp(v[i]->event, "endorsed") == 0 ?
				    C_ENDORSED : C_RETURNED;
				cnt[w][k]++;
				tot[k]++;
			}
		} else {
			cnt[w][column_of(v[i]->event)]++;
			tot[column_of(v[i]->event)]++;
		}
	}
	md(r, "## Summary\n\n");
	table_begin(r, "lrrrrrrrrr", "Working group", "drafted", "reviews",
	    "endorsed", "returned", "submitted", "decided", "withdrawn",
	    "other", "changes");
	summary = json_object();
	for (w = 0; w < nrows; w++) {
		size_t changes = 0;

		for (i = 0; i < nv; i++) {
			const struct dipb_wg *wg = wg_of_id(b, v[i]->record);

			if ((wg != NULL ? (size_t)(wg - b->wgs) : b->nwgs) == w)
				changes++;
		}
		if (w == b->nwgs && changes == 0)
			break;
		c = json_object();
		for (k = 0; k < C__COUNT; k++) {
			snprintf(num[k], sizeof(num[k]), "%u", cnt[w][k]);
			json_object_set_new(c, col_name[k],
			    json_integer(cnt[w][k]));
		}
		snprintf(num[C__COUNT], sizeof(num[0]), "%zu", changes);
		json_object_set_new(c, "changes",
		    json_integer((json_int_t)changes));
		json_object_set_new(summary, w < b->nwgs ? b->wgs[w].key :
		    "other", c);
		table_row(r, 0, w < b->nwgs ? b->wgs[w].name : "Other",
		    num[0], num[1], num[2], num[3], num[4], num[5], num[6],
		    num[7], num[8]);
	}
	for (k = 0; k < C__COUNT; k++)
		snprintf(num[k], sizeof(num[k]), "%u", tot[k]);
	all = (unsigned)nv;
	snprintf(num[C__COUNT], sizeof(num[0]), "%u", all);
	table_row(r, 1, "Total", num[0], num[1], num[2], num[3], num[4],
	    num[5], num[6], num[7], num[8]);
	json_object_set_new(r->json, "summary", summary);
	free(cnt);

	list = json_array();
	for (i = 0, last = NULL, w = SIZE_MAX; i < nv; i++) {
		const struct dipb_wg *wg = wg_of_id(b, v[i]->record);
		size_t wi = wg != NULL ? (size_t)(wg - b->wgs) : b->nwgs;

		if (wi != w) {
			w = wi;
			md(r, "## ");
			mdt(r, wg != NULL ? wg->name : "Other");
			md(r, "\n\n");
		}
		rec = find_rec(recs, nrecs, v[i]->record);
		if (last == NULL || strcmp(last, v[i]->record) != 0) {
			last = v[i]->record;
			md(r, "### ");
			mdt(r, last);
			md(r, " \xe2\x80\x94 ");
			mdt(r, rec != NULL ? rec->title :
			    "(no longer on the branch)");
			md(r, "\n\n");
		}
		event_md(r, v[i], list, rec != NULL ? rec->title : NULL);
	}
	if (nv == 0)
		md(r, "No recommendation changed in this period.\n\n");
	json_object_set_new(r->json, "events", list);

	if (nb > 0) {
		md(r, "## Board\n\n");
		list = json_array();
		for (i = 0; i < nb; i++)
			event_md(r, board_ev[i], list, NULL);
		json_object_set_new(r->json, "board_changes", list);
	}
	pl = json_array();
	if (np > 0) {
		md(r, "## Changes made outside dipb\n\n");
		md(r, "These commits changed records or the board file with "
		    "plain git; `dipb verify` checks them.\n\n");
		for (i = 0; i < np; i++) {
			md(r, "**");
			mdt(r, plain[i]->date);
			md(r, "** \xe2\x80\x94 ");
			mdt(r, plain[i]->author_name);
			md(r, ", commit `%.10s`: ", plain[i]->commit);
			mdt(r, plain[i]->subject);
			md(r, " (");
			for (k = 0; k < plain[i]->paths.n; k++) {
				md(r, "%s", k > 0 ? ", " : "");
				mdt(r, plain[i]->paths.v[k]);
			}
			md(r, ")\n\n");
			x = json_object();
			set_str(x, "date", plain[i]->date);
			a = json_object();
			set_str(a, "name", plain[i]->author_name);
			set_str(a, "email", plain[i]->author_email);
			json_object_set_new(x, "author", a);
			set_str(x, "subject", plain[i]->subject);
			set_str(x, "commit", plain[i]->commit);
			c = json_array();
			for (k = 0; k < plain[i]->paths.n; k++)
				json_array_append_new(c,
				    json_string(plain[i]->paths.v[k]));
			json_object_set_new(x, "paths", c);
			json_array_append_new(pl, x);
		}
	}
	json_object_set_new(r->json, "plain_git", pl);
	dipb_buf_release(&t);
	dipb_buf_release(&e);
	free(v);
	free(plain);
	free(board_ev);
	finish(r);
	return r;
}

/* --- actions ------------------------------------------------------------- */

struct open_action {
	const struct dipb_record	*rec;
	const struct dipb_action	*a;
	size_t				 n;	/* 1-based */
	int				 overdue;
};

static int
cmp_action(const void *x, const void *y)
{
	const struct open_action *a = x, *b = y;
	int c;

	if ((c = strcmp(a->a->owner, b->a->owner)) != 0)
		return c;
	if (a->overdue != b->overdue)
		return b->overdue - a->overdue;
	if ((a->a->due == NULL) != (b->a->due == NULL))
		return a->a->due == NULL ? 1 : -1;
	if (a->a->due != NULL && (c = strcmp(a->a->due, b->a->due)) != 0)
		return c;
	if ((c = id_before(sort_board, a->rec->id, b->rec->id)) != 0)
		return c;
	return a->n < b->n ? -1 : a->n > b->n;
}

struct dipb_report *
dipb_report_actions(const struct dipb_report_opts *o,
    const struct dipb_record *recs, size_t n)
{
	const struct dipb_board *b = o->board;
	struct dipb_report *r;
	struct open_action *v = NULL;
	struct dipb_buf t = DIPB_BUF_INIT, e = DIPB_BUF_INIT;
	size_t nv = 0, cap = 0, i, k, j, nover = 0, nrec = 0, rv;
	json_t *list, *x;
	char c1[24], c2[24], no[24];

	r = report_new(o, "actions", "Open actions");
	for (i = 0; i < n; i++) {
		if (recs[i].status != DIPB_STATUS_DECIDED)
			continue;
		for (k = 0, rv = 0; k < recs[i].nactions; k++)
			rv += recs[i].actions[k].state == DIPB_ACTION_OPEN;
		if (rv == 0 || !keep(r, recs[i].classification))
			continue;
		nrec++;
		for (k = 0; k < recs[i].nactions; k++) {
			const struct dipb_action *a = &recs[i].actions[k];

			if (a->state != DIPB_ACTION_OPEN)
				continue;
			xgrow((void **)&v, &cap, nv + 1, sizeof(*v));
			v[nv].rec = &recs[i];
			v[nv].a = a;
			v[nv].n = k + 1;
			v[nv].overdue = a->due != NULL &&
			    strcmp(a->due, o->today) < 0;
			nover += (size_t)v[nv].overdue;
			nv++;
		}
	}
	sort_board = b;
	if (nv > 1)
		qsort(v, nv, sizeof(*v), cmp_action);
	dipb_buf_printf(&t, "%zu open action%s of %zu decided "
	    "recommendation%s, %zu overdue", nv, nv == 1 ? "" : "s", nrec,
	    nrec == 1 ? "" : "s", nover);
	dipb_md_escape(&e, t.ptr);
	intro(r, e.ptr);
	json_object_set_new(r->json, "open", json_integer((json_int_t)nv));
	json_object_set_new(r->json, "overdue",
	    json_integer((json_int_t)nover));

	if (nv > 0) {
		md(r, "## By owner\n\n");
		table_begin(r, "lrr", "Owner", "open", "overdue");
		for (i = 0; i < nv; i = k) {
			size_t ov = 0;

			for (k = i; k < nv && strcmp(v[k].a->owner,
			    v[i].a->owner) == 0; k++)
				ov += (size_t)v[k].overdue;
			snprintf(c1, sizeof(c1), "%zu", k - i);
			snprintf(c2, sizeof(c2), "%zu", ov);
			table_row(r, ov > 0, v[i].a->owner, c1, c2);
		}
	} else
		md(r, "No open action.\n\n");
	list = json_array();
	for (i = 0; i < nv; i = k) {
		md(r, "## ");
		mdt(r, v[i].a->owner);
		md(r, "\n\n");
		table_begin(r, "lllrw", "Due", "Decided", "Recommendation",
		    "No.", "Action");
		for (k = i; k < nv && strcmp(v[k].a->owner, v[i].a->owner) == 0;
		    k++) {
			struct dipb_buf due = DIPB_BUF_INIT;
			const struct dipb_decision *d = v[k].rec->decision;

			dipb_buf_puts(&due, v[k].a->due != NULL ? v[k].a->due :
			    "-");
			if (v[k].overdue)
				dipb_buf_puts(&due, " (overdue)");
			snprintf(no, sizeof(no), "%zu", v[k].n);
			table_row(r, v[k].overdue, due.ptr,
			    d != NULL && d->date != NULL ? d->date : "-",
			    v[k].rec->id, no, v[k].a->text);
			dipb_buf_release(&due);
			x = json_object();
			set_str(x, "owner", v[k].a->owner);
			set_str(x, "due", v[k].a->due);
			json_object_set_new(x, "overdue",
			    json_boolean(v[k].overdue));
			set_str(x, "record", v[k].rec->id);
			json_object_set_new(x, "action",
			    json_integer((json_int_t)v[k].n));
			set_str(x, "text", v[k].a->text);
			set_str(x, "title", v[k].rec->title);
			set_str(x, "decided", d != NULL ? d->date : NULL);
			set_str(x, "outcome", d != NULL ?
			    dipb_outcome_name(d->outcome) : NULL);
			json_array_append_new(list, x);
		}
		/* The titles of the recommendations of this owner. */
		for (j = i; j < k; j++) {
			size_t q;

			for (q = i; q < j; q++)
				if (v[q].rec == v[j].rec)
					break;
			if (q < j)
				continue;
			md(r, "- **");
			mdt(r, v[j].rec->id);
			md(r, "**: ");
			mdt(r, v[j].rec->title);
			md(r, "\n");
		}
		md(r, "\n");
	}
	json_object_set_new(r->json, "actions", list);
	dipb_buf_release(&t);
	dipb_buf_release(&e);
	free(v);
	finish(r);
	return r;
}

/* --- Rendering ------------------------------------------------------------ */

static const char *const status_colour[DIPB_STATUS__COUNT] = {
	"#000000", "#9aa0a6", "#e8b500", "#d9534f", "#4caf7d", "#2f7bbf",
	"#1f3a5f", "#c7c7c7"
};

static void
table_markdown(struct dipb_buf *out, const struct table *t)
{
	size_t i, j;

	for (i = 0; i < t->nrows; i++) {
		dipb_buf_puts(out, "|");
		for (j = 0; j < t->ncols; j++) {
			const char *s = t->cell[i * t->ncols + j];

			dipb_buf_puts(out, " ");
			if (t->hl[i] && j == 0 && s[0] != '\0')
				dipb_buf_puts(out, "**");
			dipb_md_escape(out, s);
			if (t->hl[i] && j == 0 && s[0] != '\0')
				dipb_buf_puts(out, "**");
			dipb_buf_puts(out, " |");
		}
		dipb_buf_puts(out, "\n");
		if (i == 0) {
			dipb_buf_puts(out, "|");
			for (j = 0; j < t->ncols; j++)
				dipb_buf_puts(out, t->spec[j] == 'r' ?
				    " ---: |" : " --- |");
			dipb_buf_puts(out, "\n");
		}
	}
	dipb_buf_puts(out, "\n");
}

static void
table_html(struct dipb_buf *out, const struct table *t)
{
	size_t i, j;

	dipb_buf_puts(out, "<table>\n<thead>\n<tr>");
	for (j = 0; j < t->ncols; j++) {
		dipb_buf_puts(out, t->spec[j] == 'r' ? "<th class=\"num\">" :
		    "<th>");
		dipb_html_escape(out, t->cell[j]);
		dipb_buf_puts(out, "</th>");
	}
	dipb_buf_puts(out, "</tr>\n</thead>\n<tbody>\n");
	for (i = 1; i < t->nrows; i++) {
		dipb_buf_puts(out, t->hl[i] ? "<tr class=\"hl\">" : "<tr>");
		for (j = 0; j < t->ncols; j++) {
			dipb_buf_puts(out, t->spec[j] == 'r' ?
			    "<td class=\"num\">" : "<td>");
			dipb_html_escape(out, t->cell[i * t->ncols + j]);
			dipb_buf_puts(out, "</td>");
		}
		dipb_buf_puts(out, "</tr>\n");
	}
	dipb_buf_puts(out, "</tbody>\n</table>\n");
}

static void
table_man(struct dipb_buf *out, const struct table *t)
{
	size_t i, j;

	dipb_buf_puts(out, ".PP\n.TS\nallbox tab(\t);\n");
	for (j = 0; j < t->ncols; j++)
		dipb_buf_puts(out, t->spec[j] == 'r' ? "rb " : "lb ");
	dipb_buf_puts(out, "\n");
	for (j = 0; j < t->ncols; j++)
		dipb_buf_puts(out, t->spec[j] == 'r' ? "r " :
		    t->spec[j] == 'w' ? "lx " : "l ");
	dipb_buf_puts(out, ".\n");
	for (i = 0; i < t->nrows; i++) {
		for (j = 0; j < t->ncols; j++) {
			if (j > 0)
				dipb_buf_putc(out, '\t');
			dipb_buf_puts(out, "T{\n");
			if (t->hl[i] && i > 0)
				dipb_buf_puts(out, "\\fB");
			dipb_roff_escape(out, t->cell[i * t->ncols + j]);
			if (t->hl[i] && i > 0)
				dipb_buf_puts(out, "\\fR");
			dipb_buf_puts(out, "\nT}");
		}
		dipb_buf_putc(out, '\n');
	}
	dipb_buf_puts(out, ".TE\n");
}

static void
table_latex(struct dipb_buf *out, const struct table *t)
{
	size_t i, j;

	dipb_buf_puts(out, "\\begin{longtable}{|");
	for (j = 0; j < t->ncols; j++)
		dipb_buf_puts(out, t->spec[j] == 'r' ? "r|" :
		    t->spec[j] == 'w' ? "p{0.4\\linewidth}|" : "l|");
	dipb_buf_puts(out, "}\n\\hline\n");
	for (i = 0; i < t->nrows; i++) {
		for (j = 0; j < t->ncols; j++) {
			if (j > 0)
				dipb_buf_puts(out, " & ");
			if (i == 0 || t->hl[i])
				dipb_buf_puts(out, "\\textbf{");
			dipb_latex_escape(out, t->cell[i * t->ncols + j]);
			if (i == 0 || t->hl[i])
				dipb_buf_puts(out, "}");
		}
		dipb_buf_puts(out, " \\\\ \\hline\n");
		if (i == 0)
			dipb_buf_puts(out, "\\endhead\n");
	}
	dipb_buf_puts(out, "\\end{longtable}\n\n");
}

/*
 * At most max characters of s (UTF-8), with an ellipsis when cut, so that
 * a long name stays inside the chart; the bar's tooltip has it whole.
 */
static void
put_label(struct dipb_buf *out, const char *s, size_t max)
{
	struct dipb_buf b = DIPB_BUF_INIT;
	size_t i, chars = 0;

	for (i = 0; s[i] != '\0'; i++) {
		if (((unsigned char)s[i] & 0xc0) != 0x80 && ++chars > max)
			break;
		dipb_buf_putc(&b, s[i]);
	}
	if (s[i] != '\0')
		dipb_buf_puts(&b, "\xe2\x80\xa6");
	dipb_html_escape(out, dipb_buf_cstr(&b));
	dipb_buf_release(&b);
}

/* Working groups as stacked horizontal bars by status. */
static void
chart_svg(struct dipb_buf *out, const struct dipb_report *r)
{
	static const enum dipb_status order[] = { DIPB_STATUS_DRAFT,
	    DIPB_STATUS_IN_REVIEW, DIPB_STATUS_RETURNED, DIPB_STATUS_ENDORSED,
	    DIPB_STATUS_SUBMITTED, DIPB_STATUS_DECIDED, DIPB_STATUS_WITHDRAWN };
	const size_t ns = sizeof(order) / sizeof(order[0]);
	const int label_w = 270, bar_w = 360, row_h = 30, top = 10;
	unsigned max = 0, sum;
	size_t i, k;
	int y, x, w, height, lx;

	for (i = 0; i < r->nbars; i++) {
		for (sum = 0, k = 0; k < ns; k++)
			sum += r->bar[i][order[k]];
		if (sum > max)
			max = sum;
	}
	if (max == 0)
		max = 1;
	height = top + (int)r->nbars * row_h + 60;
	dipb_buf_printf(out, "<figure class=\"chart\">\n"
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" "
	    "aria-labelledby=\"chart-title\" width=\"100%%\" "
	    "viewBox=\"0 0 %d %d\" preserveAspectRatio=\"xMinYMin meet\">\n"
	    "<title id=\"chart-title\">Recommendations by working group "
	    "and status</title>\n", label_w + bar_w + 50, height);
	for (i = 0; i < r->nbars; i++) {
		y = top + (int)i * row_h;
		dipb_buf_printf(out, "<g class=\"bar\">\n<text x=\"%d\" "
		    "y=\"%d\" text-anchor=\"end\">", label_w - 8, y + 19);
		put_label(out, r->bar_label[i], 40);
		dipb_buf_puts(out, "</text>\n");
		x = label_w;
		for (sum = 0, k = 0; k < ns; k++) {
			unsigned c = r->bar[i][order[k]];

			sum += c;
			if (c == 0)
				continue;
			w = (int)((double)c * bar_w / max + 0.5);
			dipb_buf_printf(out, "<rect x=\"%d\" y=\"%d\" "
			    "width=\"%d\" height=\"%d\" fill=\"%s\"><title>",
			    x, y + 4, w, row_h - 8, status_colour[order[k]]);
			dipb_html_escape(out, r->bar_label[i]);
			dipb_buf_printf(out, ": %u %s</title></rect>\n", c,
			    dipb_status_name(order[k]));
			x += w;
		}
		dipb_buf_printf(out, "<text x=\"%d\" y=\"%d\">%u</text>\n"
		    "</g>\n", x + 6, y + 19, sum);
	}
	/* The legend, in two rows. */
	y = top + (int)r->nbars * row_h + 14;
	for (k = 0; k < ns; k++) {
		lx = 10 + (int)(k % 4) * 165;
		dipb_buf_printf(out, "<rect x=\"%d\" y=\"%d\" width=\"12\" "
		    "height=\"12\" fill=\"%s\"/><text x=\"%d\" y=\"%d\">%s"
		    "</text>\n", lx, y + (int)(k / 4) * 20,
		    status_colour[order[k]], lx + 18,
		    y + (int)(k / 4) * 20 + 11, dipb_status_name(order[k]));
	}
	dipb_buf_puts(out, "</svg>\n</figure>\n");
}

static const char css[] =
    ":root{color-scheme:light}\n"
    "body{margin:0;color:#1b1b1b;background:#fff;"
    "font:16px/1.5 system-ui,-apple-system,\"Segoe UI\",Roboto,"
    "\"Helvetica Neue\",Arial,sans-serif}\n"
    "main{max-width:62rem;margin:0 auto;padding:1rem 1.5rem 2rem}\n"
    ".marking{margin:0;padding:.35rem 1rem;text-align:center;"
    "font-weight:700;letter-spacing:.06em;color:#fff;background:#1f3a5f}\n"
    "h1{font-size:1.7rem;line-height:1.25;margin:1.2rem 0 .4rem;"
    "padding-bottom:.3rem;border-bottom:3px solid #1f3a5f}\n"
    "h2{font-size:1.3rem;margin:1.8rem 0 .5rem;border-bottom:1px solid "
    "#ccd}\n"
    "h3{font-size:1.1rem;margin:1.4rem 0 .4rem}\n"
    "h4,h5,h6{font-size:1rem;margin:1rem 0 .3rem}\n"
    "table{border-collapse:collapse;margin:.6rem 0 1.2rem;"
    "font-size:.92rem}\n"
    "th,td{border:1px solid #c9ccd1;padding:.25rem .55rem;"
    "text-align:left;vertical-align:top}\n"
    "th{background:#eef1f5}\n"
    ".num{text-align:right;font-variant-numeric:tabular-nums}\n"
    "tr.hl td{font-weight:700}\n"
    "tbody tr:nth-child(even){background:#f8f9fb}\n"
    "blockquote{margin:.3rem 0 1rem 1rem;padding:.1rem .9rem;"
    "border-left:4px solid #c9ccd1;color:#333}\n"
    "code,pre{font-family:ui-monospace,\"SFMono-Regular\",Menlo,"
    "Consolas,monospace;font-size:.9em}\n"
    "pre{background:#f4f5f7;padding:.6rem;overflow-x:auto;"
    "white-space:pre-wrap}\n"
    "figure.chart{margin:.5rem 0 1.5rem;max-width:44rem}\n"
    "figure.chart text{font:13px system-ui,Arial,sans-serif;"
    "fill:#1b1b1b}\n"
    "a{color:#1f5fa8}\n"
    "@media print{\n"
    "@page{margin:2.2cm 1.8cm}\n"
    "body{font-size:10.5pt}\n"
    "main{max-width:none;padding:0}\n"
    ".marking{position:fixed;left:0;right:0;color:#000;"
    "background:none;padding:0}\n"
    ".marking.top{top:-1.2cm}\n"
    ".marking.bottom{bottom:-1.2cm}\n"
    ".page-break{break-before:page}\n"
    "h1,h2,h3,h4{break-after:avoid}\n"
    "tr,blockquote,figure{break-inside:avoid}\n"
    "a{color:inherit;text-decoration:none}\n"
    "tbody tr:nth-child(even){background:none}\n"
    "}\n";

static void
render_html(struct dipb_buf *out, const struct dipb_report *r)
{
	const char *marking = dipb_report_marking(r);
	cmark_node *doc;
	size_t i;

	dipb_buf_puts(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\">\n"
	    "<meta http-equiv=\"Content-Security-Policy\" "
	    "content=\"default-src 'none'; style-src 'unsafe-inline'; "
	    "img-src data:; base-uri 'none'; form-action 'none'\">\n"
	    "<meta name=\"referrer\" content=\"no-referrer\">\n"
	    "<meta name=\"generator\" content=\"dipb ");
	dipb_html_escape(out, r->version);
	dipb_buf_puts(out, "\">\n<title>");
	dipb_html_escape(out, r->title);
	dipb_buf_puts(out, " (");
	dipb_html_escape(out, marking);
	dipb_buf_puts(out, ")</title>\n<style>\n");
	dipb_buf_puts(out, css);
	dipb_buf_puts(out, "</style>\n</head>\n<body>\n"
	    "<header class=\"marking top\" role=\"note\" "
	    "aria-label=\"classification\">");
	dipb_html_escape(out, marking);
	dipb_buf_puts(out, "</header>\n<main>\n");
	for (i = 0; i < r->n; i++) {
		const struct block *b = &r->v[i];

		switch (b->kind) {
		case B_MD:
		case B_FIELD:
			doc = dipb_md_sanitize(b->text, b->level, b->quote, 1);
			put_rendered(out, cmark_render_html(doc,
			    CMARK_OPT_SAFE));
			cmark_node_free(doc);
			break;
		case B_TABLE:
			table_html(out, &b->t);
			break;
		case B_CHART:
			chart_svg(out, r);
			break;
		case B_BREAK:
			dipb_buf_puts(out, "<div class=\"page-break\"></div>\n");
			break;
		}
	}
	dipb_buf_puts(out, "</main>\n<footer class=\"marking bottom\" "
	    "role=\"note\" aria-label=\"classification\">");
	dipb_html_escape(out, marking);
	dipb_buf_puts(out, "</footer>\n</body>\n</html>\n");
}

/* The marking as Markdown, for the top and the bottom. */
static char *
marking_md(const struct dipb_report *r)
{
	struct dipb_buf b = DIPB_BUF_INIT;

	dipb_buf_puts(&b, "**");
	dipb_md_escape(&b, dipb_report_marking(r));
	dipb_buf_puts(&b, "**\n");
	return dipb_buf_detach(&b);
}

static void
render_text(struct dipb_buf *out, const struct dipb_report *r,
    enum dipb_report_format f)
{
	char *mark = marking_md(r);
	cmark_node *doc;
	size_t i;

	if (f == DIPB_REPORT_MAN) {
		dipb_buf_printf(out, "'\\\" t\n.TH \"DIPB-%s\" \"7\" \"%s\" "
		    "\"dipb\" \"dipb report\"\n", strcmp(r->kind, "status") == 0 ?
		    "STATUS" : strcmp(r->kind, "package") == 0 ? "PACKAGE" :
		    strcmp(r->kind, "minutes") == 0 ? "MINUTES" :
		    strcmp(r->kind, "actions") == 0 ? "ACTIONS" : "RECORD",
		    dipb_date_valid(r->today) ? r->today : "");
	} else if (f == DIPB_REPORT_LATEX) {
		dipb_buf_puts(out, "\\documentclass[a4paper,11pt]{article}\n"
		    "\\usepackage{iftex}\n"
		    "\\ifPDFTeX\\usepackage[utf8]{inputenc}"
		    "\\usepackage[T1]{fontenc}\\else\\usepackage{fontspec}\\fi\n"
		    "\\usepackage[margin=2.2cm]{geometry}\n"
		    "\\usepackage{longtable,array,graphicx,fancyhdr}\n"
		    "\\usepackage[hidelinks]{hyperref}\n"
		    "\\pagestyle{fancy}\\fancyhf{}\n"
		    "\\renewcommand{\\headrulewidth}{0pt}\n\\chead{\\textbf{");
		dipb_latex_escape(out, dipb_report_marking(r));
		dipb_buf_puts(out, "}}\n\\cfoot{\\textbf{");
		dipb_latex_escape(out, dipb_report_marking(r));
		dipb_buf_puts(out, "}\\\\\\thepage}\n\\title{");
		dipb_latex_escape(out, r->title);
		dipb_buf_puts(out, "}\n\\date{");
		dipb_latex_escape(out, r->today);
		dipb_buf_puts(out, "}\n\\begin{document}\n");
	}
	for (i = 0; i <= r->n + 1; i++) {
		const struct block *b = i > 0 && i <= r->n ? &r->v[i - 1] :
		    NULL;
		const char *text = b != NULL ? b->text : mark;

		if (b != NULL && b->kind == B_TABLE) {
			if (f == DIPB_REPORT_MARKDOWN)
				table_markdown(out, &b->t);
			else if (f == DIPB_REPORT_MAN)
				table_man(out, &b->t);
			else
				table_latex(out, &b->t);
			continue;
		}
		if (b != NULL && (b->kind == B_CHART || b->kind == B_BREAK)) {
			if (b->kind == B_BREAK && f == DIPB_REPORT_LATEX)
				dipb_buf_puts(out, "\\clearpage\n");
			continue;
		}
		if (f == DIPB_REPORT_MARKDOWN && (b == NULL ||
		    b->kind == B_MD)) {
			/* Written here: as it is. */
			dipb_buf_puts(out, text);
			if (b == NULL && i == 0)
				dipb_buf_puts(out, "\n");
			continue;
		}
		doc = dipb_md_sanitize(text, b != NULL ? b->level : 0,
		    b != NULL && b->quote, 0);
		if (f == DIPB_REPORT_MARKDOWN) {
			put_rendered(out, cmark_render_commonmark(doc,
			    CMARK_OPT_SAFE, 0));
			dipb_buf_puts(out, "\n");
		} else if (f == DIPB_REPORT_MAN)
			put_rendered(out, cmark_render_man(doc, CMARK_OPT_SAFE,
			    0));
		else
			put_rendered(out, cmark_render_latex(doc,
			    CMARK_OPT_SAFE, 0));
		cmark_node_free(doc);
	}
	if (f == DIPB_REPORT_LATEX)
		dipb_buf_puts(out, "\\end{document}\n");
	free(mark);
}

void
dipb_report_render(struct dipb_buf *out, const struct dipb_report *r,
    enum dipb_report_format f)
{
	char *s;

	switch (f) {
	case DIPB_REPORT_HTML:
		render_html(out, r);
		break;
	case DIPB_REPORT_JSON:
		s = json_dumps(r->json, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		dipb_buf_puts(out, s != NULL ? s : "null");
		dipb_buf_puts(out, "\n");
		free(s);
		break;
	default:
		render_text(out, r, f);
		break;
	}
}

int
dipb_report_format_parse(const char *s, enum dipb_report_format *out)
{
	static const struct {
		const char			*name;
		enum dipb_report_format		 f;
	} names[] = {
		{ "markdown", DIPB_REPORT_MARKDOWN },
		{ "html", DIPB_REPORT_HTML },
		{ "man", DIPB_REPORT_MAN },
		{ "latex", DIPB_REPORT_LATEX },
		{ "json", DIPB_REPORT_JSON },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(s, names[i].name) == 0) {
			*out = names[i].f;
			return 0;
		}
	return -1;
}

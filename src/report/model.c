/*
 * model.c - the report model: building it up and freeing it (model.h).
 */
#include <assert.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../report.h"
#include "model.h"

/* --- Inline text ---------------------------------------------------------- */

void
dipb_rtext_add(struct dipb_rtext *t, enum dipb_rspan_kind k, const char *s)
{
	dipb_arena_grow(t->mem, (void **)&t->v, &t->cap, t->n + 1,
	    sizeof(*t->v));
	t->v[t->n].kind = k;
	t->v[t->n].text = k == DIPB_RSPAN_ARROW ? NULL :
	    dipb_arena_strdup(t->mem, s != NULL ? s : "");
	t->n++;
}

void
dipb_rtext_addf(struct dipb_rtext *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	dipb_arena_grow(t->mem, (void **)&t->v, &t->cap, t->n + 1,
	    sizeof(*t->v));
	t->v[t->n].kind = DIPB_RSPAN_TEXT;
	t->v[t->n].text = dipb_arena_vasprintf(t->mem, fmt, ap);
	t->n++;
	va_end(ap);
}

/* --- Data ------------------------------------------------------------------ */

/*
 * A node with its key and str copied into the same allocation: a report's
 * data may hold a million of them (thirteen for each open action), each key
 * and string a small allocation of its own besides.  Not in an arena: an
 * object's members are an array that grows, which an arena would keep
 * each size of, and that cost more than malloc's headers save.
 */
static struct dipb_rdata *
rdata_add(struct dipb_rdata *p, const char *key, enum dipb_rdata_kind k,
    const char *str)
{
	struct dipb_rdata *d;
	size_t nk, ns;

	if (p->kind == DIPB_RD_NULL)	/* the data of a report without it */
		return p;
	assert(p->kind == (key != NULL ? DIPB_RD_OBJECT : DIPB_RD_ARRAY));
	nk = key != NULL ? strlen(key) + 1 : 0;
	ns = str != NULL ? strlen(str) + 1 : 0;
	d = xcalloc(1, sizeof(*d) + nk + ns);
	d->kind = k;
	if (key != NULL)
		d->key = memcpy((char *)(d + 1), key, nk);
	if (str != NULL)
		d->str = memcpy((char *)(d + 1) + nk, str, ns);
	xgrow((void **)&p->v, &p->cap, p->n + 1, sizeof(*p->v));
	p->v[p->n++] = d;
	return d;
}

struct dipb_rdata *
dipb_rdata_object(struct dipb_rdata *p, const char *key)
{
	return rdata_add(p, key, DIPB_RD_OBJECT, NULL);
}

struct dipb_rdata *
dipb_rdata_array(struct dipb_rdata *p, const char *key)
{
	return rdata_add(p, key, DIPB_RD_ARRAY, NULL);
}

struct dipb_rdata *
dipb_rdata_string(struct dipb_rdata *p, const char *key, const char *s)
{
	return rdata_add(p, key, s != NULL ? DIPB_RD_STRING : DIPB_RD_NULL, s);
}

struct dipb_rdata *
dipb_rdata_int(struct dipb_rdata *p, const char *key, long long n)
{
	struct dipb_rdata *d = rdata_add(p, key, DIPB_RD_INT, NULL);

	if (d != p)
		d->num = n;
	return d;
}

struct dipb_rdata *
dipb_rdata_bool(struct dipb_rdata *p, const char *key, int b)
{
	struct dipb_rdata *d = rdata_add(p, key, DIPB_RD_BOOL, NULL);

	if (d != p)
		d->num = b != 0;
	return d;
}

struct dipb_rdata *
dipb_rdata_record(struct dipb_rdata *p, const char *key,
    const struct dipb_record *rec)
{
	struct dipb_rdata *d = rdata_add(p, key, DIPB_RD_RECORD, NULL);

	if (d == p)
		return d;
	d->rec = xcalloc(1, sizeof(*d->rec));
	dipb_record_init(d->rec);
	dipb_record_copy(d->rec, rec);
	return d;
}

static void
rdata_release(struct dipb_rdata *d)
{
	size_t i;

	switch (d->kind) {
	case DIPB_RD_OBJECT:
	case DIPB_RD_ARRAY:
		for (i = 0; i < d->n; i++) {
			rdata_release(d->v[i]);
			free(d->v[i]);
		}
		free(d->v);
		break;
	case DIPB_RD_RECORD:
		dipb_record_free(d->rec);
		break;
	default:
		break;
	}
}

/* --- Blocks ---------------------------------------------------------------- */

/*
 * Without its document a report keeps only the last block, alone in the
 * document's arena: the arena is cleared for the next.
 */
static struct dipb_rblock *
add_block(struct dipb_report *r, enum dipb_rblock_kind kind)
{
	struct dipb_rblock *b;

	/* Filled by the builder, then dropped: dipb_rmodel_new. */
	if (r->no_doc && r->n > 0) {
		dipb_arena_clear(r->doc);
		r->v = NULL;
		r->n = r->cap = 0;
	}
	dipb_arena_grow(r->doc, (void **)&r->v, &r->cap, r->n + 1,
	    sizeof(*r->v));
	b = r->v[r->n++] = dipb_arena_alloc(r->doc, sizeof(*b));
	b->kind = kind;
	switch (kind) {
	case DIPB_RB_HEADING:
	case DIPB_RB_PARA:
		b->text.mem = r->doc;
		break;
	case DIPB_RB_LIST:
		b->mem = r->doc;
		break;
	case DIPB_RB_TABLE:
		b->table.mem = r->doc;
		break;
	case DIPB_RB_CHART:
		b->chart.mem = r->doc;
		break;
	default:
		break;
	}
	return b;
}

struct dipb_rblock *
dipb_rmodel_heading(struct dipb_report *r, int level)
{
	struct dipb_rblock *b = add_block(r, DIPB_RB_HEADING);

	b->level = level < 1 ? 1 : level > 6 ? 6 : level;
	return b;
}

struct dipb_rblock *
dipb_rmodel_para(struct dipb_report *r)
{
	return add_block(r, DIPB_RB_PARA);
}

struct dipb_rblock *
dipb_rmodel_list(struct dipb_report *r, int ordered)
{
	struct dipb_rblock *b = add_block(r, DIPB_RB_LIST);

	b->ordered = ordered;
	return b;
}

struct dipb_rtext *
dipb_rmodel_item(struct dipb_rblock *b)
{
	dipb_arena_grow(b->mem, (void **)&b->item, &b->capitems,
	    b->nitems + 1, sizeof(*b->item));
	memset(&b->item[b->nitems], 0, sizeof(*b->item));
	b->item[b->nitems].mem = b->mem;
	return &b->item[b->nitems++];
}

void
dipb_rmodel_field(struct dipb_report *r, const char *md, int level,
    int quote)
{
	struct dipb_rblock *b;

	if (md == NULL || md[0] == '\0')
		return;
	b = add_block(r, DIPB_RB_FIELD);
	b->md = dipb_arena_strdup(r->doc, md);
	b->level = level;
	b->quote = quote;
}

void
dipb_rmodel_break(struct dipb_report *r)
{
	add_block(r, DIPB_RB_BREAK);
}

struct dipb_rchart *
dipb_rmodel_chart(struct dipb_report *r)
{
	return &add_block(r, DIPB_RB_CHART)->chart;
}

void
dipb_rchart_bar(struct dipb_rchart *c, const char *label,
    const unsigned *counts)
{
	dipb_arena_grow(c->mem, (void **)&c->v, &c->cap, c->n + 1,
	    sizeof(*c->v));
	c->v[c->n].label = dipb_arena_strdup(c->mem, label);
	memcpy(c->v[c->n].count, counts, sizeof(c->v[c->n].count));
	memset(c->v[c->n].outcome, 0, sizeof(c->v[c->n].outcome));
	c->n++;
}

void
dipb_rchart_outcomes(struct dipb_rchart *c, const unsigned *outcomes)
{
	if (c->n > 0)
		memcpy(c->v[c->n - 1].outcome, outcomes,
		    sizeof(c->v[c->n - 1].outcome));
}

struct dipb_rtable *
dipb_rmodel_table(struct dipb_report *r, const char *spec, ...)
{
	struct dipb_rtable *t = &add_block(r, DIPB_RB_TABLE)->table;
	va_list ap;
	size_t i;

	t->off = r->no_doc;
	t->ncols = strlen(spec);
	t->col = dipb_arena_alloc(r->doc, t->ncols * sizeof(*t->col));
	t->head = dipb_arena_alloc(r->doc, t->ncols * sizeof(*t->head));
	va_start(ap, spec);
	for (i = 0; i < t->ncols; i++) {
		t->col[i] = spec[i] == 'r' ? DIPB_RCOL_NUM :
		    spec[i] == 'w' ? DIPB_RCOL_WIDE : DIPB_RCOL_TEXT;
		t->head[i] = dipb_arena_strdup(r->doc,
		    va_arg(ap, const char *));
	}
	va_end(ap);
	return t;
}

void
dipb_rtable_row(struct dipb_rtable *t, int hl)
{
	struct dipb_rrow *row;

	if (t->off)
		return;
	assert(t->nrows == 0 || t->row[t->nrows - 1].n == t->ncols);
	dipb_arena_grow(t->mem, (void **)&t->row, &t->cap, t->nrows + 1,
	    sizeof(*t->row));
	row = &t->row[t->nrows++];
	row->hl = hl != 0;
	row->cell = dipb_arena_alloc(t->mem, t->ncols * sizeof(*row->cell));
	row->n = 0;
}

static struct dipb_rcell *
next_cell(struct dipb_rtable *t)
{
	struct dipb_rrow *row = &t->row[t->nrows - 1];

	assert(t->nrows > 0 && row->n < t->ncols);
	return &row->cell[row->n++];
}

void
dipb_rtable_text(struct dipb_rtable *t, const char *s)
{
	if (t->off)
		return;
	next_cell(t)->text = dipb_arena_strdup(t->mem, s != NULL ? s : "");
}

void
dipb_rtable_num(struct dipb_rtable *t, unsigned long long n)
{
	struct dipb_rcell *c;

	if (t->off)
		return;
	c = next_cell(t);
	c->is_num = 1;
	c->num = n;
}

/* --- The report ------------------------------------------------------------ */

struct dipb_report *
dipb_rmodel_new(const struct dipb_board *board, const char *kind,
    const char *title, const char *today, const char *version,
    const char *max, unsigned parts)
{
	struct dipb_report *r = xcalloc(1, sizeof(*r));

	r->board = board;
	r->kind = xstrdup(kind);
	r->title = xstrdup(title);
	r->board_name = board->board != NULL ? xstrdup(board->board) : NULL;
	r->today = xstrdup(today);
	r->version = xstrdup(version != NULL ? version : "");
	r->max_classification = max != NULL ? xstrdup(max) : NULL;
	r->marking = xstrdup("");
	if (parts == 0)
		parts = DIPB_REPORT_DOC | DIPB_REPORT_DATA;
	r->no_doc = !(parts & DIPB_REPORT_DOC);
	r->doc = dipb_arena_new();
	r->data.kind = parts & DIPB_REPORT_DATA ? DIPB_RD_OBJECT :
	    DIPB_RD_NULL;
	return r;
}

void
dipb_report_free(struct dipb_report *r)
{
	if (r == NULL)
		return;
	dipb_arena_free(r->doc);
	rdata_release(&r->data);
	free(r->kind);
	free(r->title);
	free(r->board_name);
	free(r->today);
	free(r->version);
	free(r->max_classification);
	free(r->marking);
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
	return r->marking;
}

/*
 * cache_rec.c - a record in the records cache's binary form
 * (cache_rec.h): written, and read back with every bound checked.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cache_rec.h"
#include "text.h"
#include "util.h"

/* ---- writing ---- */

/* A payload's integer: a varint (cache_rec.h). */
static void
put_uv(struct dipb_buf *b, uint32_t v)
{
	unsigned char *c;

	if (b->cap - b->len < 6)
		dipb_buf_grow(b, 5);
	c = (unsigned char *)b->ptr + b->len;
	while (v >= 0x80) {
		*c++ = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	*c++ = (unsigned char)v;
	b->len = (size_t)((char *)c - b->ptr);
	b->ptr[b->len] = '\0';
}

/* A payload's string: the varint of its length plus one, 0 for NULL. */
static void
put_vs(struct dipb_buf *b, const char *s)
{
	size_t n;

	if (s == NULL) {
		put_uv(b, 0);
		return;
	}
	n = strlen(s);
	put_uv(b, (uint32_t)n + 1);
	if (b->cap - b->len < n + 1)
		dipb_buf_grow(b, n);
	memcpy(b->ptr + b->len, s, n);
	b->len += n;
	b->ptr[b->len] = '\0';
}

static void
put_pos(struct dipb_buf *b, const struct dipb_pos *p)
{
	put_uv(b, p->line);
	put_uv(b, p->col);
}

/* An action's due date moves (dipb-action(1) --due), oldest first. */
static void
put_rescheduled(struct dipb_buf *b, const struct dipb_action *a)
{
	size_t i;

	put_uv(b, (uint32_t)a->nrescheduled);
	for (i = 0; i < a->nrescheduled; i++) {
		put_vs(b, a->rescheduled[i].from);
		put_vs(b, a->rescheduled[i].to);
		put_vs(b, a->rescheduled[i].date);
		put_vs(b, a->rescheduled[i].by);
		put_vs(b, a->rescheduled[i].reason);
		put_pos(b, &a->rescheduled[i].pos);
	}
}

static void
put_list(struct dipb_buf *b, const struct dipb_strlist *l)
{
	size_t i;

	put_uv(b, (uint32_t)l->n);
	for (i = 0; i < l->n; i++)
		put_vs(b, l->v[i]);
}

void
dipb_cache_rec_put(struct dipb_buf *b, const struct dipb_record *r)
{
	size_t i;

	put_vs(b, r->id);
	put_vs(b, r->title);
	put_vs(b, r->working_group);
	put_uv(b, (uint32_t)r->status);
	put_vs(b, r->classification);
	put_uv(b, (uint32_t)r->priority);
	put_vs(b, r->created);
	put_vs(b, r->updated);
	put_vs(b, r->author);
	put_list(b, &r->topics);
	put_vs(b, r->summary);
	put_vs(b, r->rationale);
	put_uv(b, (uint32_t)r->nactions);
	for (i = 0; i < r->nactions; i++) {
		put_vs(b, r->actions[i].text);
		put_vs(b, r->actions[i].owner);
		put_vs(b, r->actions[i].due);
		put_uv(b, (uint32_t)r->actions[i].state);
		put_pos(b, &r->actions[i].pos);
		put_pos(b, &r->actions[i].owner_pos);
		put_rescheduled(b, &r->actions[i]);
	}
	put_list(b, &r->references);
	put_uv(b, (uint32_t)r->nreviews);
	for (i = 0; i < r->nreviews; i++) {
		put_vs(b, r->reviews[i].reviewer);
		put_vs(b, r->reviews[i].date);
		put_uv(b, (uint32_t)r->reviews[i].verdict);
		put_vs(b, r->reviews[i].fingerprint);
		put_vs(b, r->reviews[i].comment);
		put_vs(b, r->reviews[i].classification);
		put_pos(b, &r->reviews[i].pos);
		put_pos(b, &r->reviews[i].reviewer_pos);
		put_pos(b, &r->reviews[i].fingerprint_pos);
		put_pos(b, &r->reviews[i].classification_pos);
	}
	put_uv(b, (uint32_t)r->nreplies);
	for (i = 0; i < r->nreplies; i++) {
		put_vs(b, r->replies[i].by);
		put_vs(b, r->replies[i].date);
		put_vs(b, r->replies[i].to);
		put_vs(b, r->replies[i].text);
		put_pos(b, &r->replies[i].pos);
	}
	put_uv(b, r->submission != NULL);
	if (r->submission != NULL) {
		put_vs(b, r->submission->date);
		put_vs(b, r->submission->to);
		put_vs(b, r->submission->reference);
	}
	put_uv(b, r->decision != NULL);
	if (r->decision != NULL) {
		put_vs(b, r->decision->date);
		put_uv(b, (uint32_t)r->decision->outcome);
		put_vs(b, r->decision->note);
	}
	put_uv(b, r->withdrawal != NULL);
	if (r->withdrawal != NULL) {
		put_vs(b, r->withdrawal->date);
		put_vs(b, r->withdrawal->by);
		put_vs(b, r->withdrawal->reason);
	}
	for (i = 0; i < DIPB_F__COUNT; i++) {
		put_pos(b, &r->pos[i]);
		put_pos(b, &r->vpos[i]);
	}
	put_pos(b, &r->at);
}

/* ---- reading: every get checks its bounds; rd->bad once one failed ---- */

/* get_uv's varint read byte by byte: longer than one byte, or none. */
static uint32_t
get_uv_long(struct dipb_cache_rd *rd)
{
	uint32_t v = 0;
	unsigned shift = 0;
	unsigned char c;

	for (;;) {
		if (rd->bad || rd->left == 0) {
			rd->bad = 1;
			return 0;
		}
		c = *rd->p++;
		rd->left--;
		if (shift == 28 && c > 0x0f) {
			rd->bad = 1;
			return 0;
		}
		v |= (uint32_t)(c & 0x7f) << shift;
		if (c < 0x80)
			return v;
		shift += 7;
	}
}

/*
 * A payload's integer: a varint of at most five bytes and 32 bits.  Most
 * are under 128, one byte, read here without a call: a list of 30,000
 * records reads 360,000 of them.
 */
static inline uint32_t
get_uv(struct dipb_cache_rd *rd)
{
	if (!rd->bad && rd->left > 0 && rd->p[0] < 0x80) {
		rd->left--;
		return *rd->p++;
	}
	return get_uv_long(rd);
}

/* A payload's string, without NUL: the NULs of C strings end them. */
static char *
get_vs(struct dipb_cache_rd *rd)
{
	uint32_t n = get_uv(rd);
	char *s = NULL;

	if ((rd->null = n == 0) || rd->bad || n-- == 0)
		return NULL;
	if (n > rd->left || memchr(rd->p, '\0', n) != NULL) {
		rd->bad = 1;
		return NULL;
	}
	if (!rd->dry)
		s = xstrndup((const char *)rd->p, n);
	rd->p += n;
	rd->left -= n;
	return s;
}

/* A payload's string passed over: what the caller does not want. */
static void
skip_vs(struct dipb_cache_rd *rd)
{
	uint32_t n = get_uv(rd);

	if (rd->bad || n-- == 0)
		return;
	if (n > rd->left) {
		rd->bad = 1;
		return;
	}
	rd->p += n;
	rd->left -= n;
}

/* An enum's value, below max. */
static unsigned
get_enum(struct dipb_cache_rd *rd, unsigned max)
{
	uint32_t v = get_uv(rd);

	if (v >= max)
		rd->bad = 1;
	return rd->bad ? 0 : v;
}

/* A count of items of at least min bytes each, that the rest can hold. */
static size_t
get_count(struct dipb_cache_rd *rd, size_t min)
{
	uint32_t n = get_uv(rd);

	if (rd->bad || n > rd->left / min) {
		rd->bad = 1;
		return 0;
	}
	return n;
}

static void
get_pos(struct dipb_cache_rd *rd, struct dipb_pos *p)
{
	p->line = get_uv(rd);
	p->col = get_uv(rd);
}

static void
get_rescheduled(struct dipb_cache_rd *rd, struct dipb_action *a)
{
	size_t i;

	if ((a->nrescheduled = get_count(rd, 7)) > 0)
		a->rescheduled = xcalloc(a->nrescheduled,
		    sizeof(*a->rescheduled));
	for (i = 0; i < a->nrescheduled && !rd->bad; i++) {
		a->rescheduled[i].from = get_vs(rd);
		a->rescheduled[i].to = get_vs(rd);
		a->rescheduled[i].date = get_vs(rd);
		a->rescheduled[i].by = get_vs(rd);
		a->rescheduled[i].reason = get_vs(rd);
		get_pos(rd, &a->rescheduled[i].pos);
	}
}

static void
get_list(struct dipb_cache_rd *rd, struct dipb_strlist *l)
{
	size_t i, n = get_count(rd, 1);
	char *s;

	for (i = 0; i < n && !rd->bad; i++) {
		/* A list holds no NULL: the loader never makes one. */
		if ((s = get_vs(rd)) == NULL && (rd->null || !rd->dry)) {
			rd->bad = 1;
			break;
		}
		if (s != NULL)
			dipb_strlist_push(l, s);
		free(s);
	}
}

int
dipb_cache_rec_get(struct dipb_cache_rd *rd, struct dipb_record *r,
    enum dipb_cache_part part)
{
	size_t i;

	r->id = get_vs(rd);
	r->title = get_vs(rd);
	r->working_group = get_vs(rd);
	r->status = get_enum(rd, DIPB_STATUS__COUNT);
	if (part == DIPB_CACHE_HEAD)
		skip_vs(rd);
	else
		r->classification = get_vs(rd);
	r->priority = get_enum(rd, DIPB_PRIORITY_LOW + 1);
	if (part == DIPB_CACHE_HEAD)
		return rd->bad ? -1 : 0;
	r->created = get_vs(rd);
	r->updated = get_vs(rd);
	r->author = get_vs(rd);
	get_list(rd, &r->topics);
	r->summary = get_vs(rd);
	r->rationale = get_vs(rd);
	if ((r->nactions = get_count(rd, 7)) > 0)
		r->actions = xcalloc(r->nactions, sizeof(*r->actions));
	for (i = 0; i < r->nactions && !rd->bad; i++) {
		r->actions[i].text = get_vs(rd);
		r->actions[i].owner = get_vs(rd);
		r->actions[i].due = get_vs(rd);
		r->actions[i].state = get_enum(rd, DIPB_ACTION_DROPPED + 1);
		get_pos(rd, &r->actions[i].pos);
		get_pos(rd, &r->actions[i].owner_pos);
		get_rescheduled(rd, &r->actions[i]);
	}
	if (part == DIPB_CACHE_TEXT)
		return rd->bad ? -1 : 0;
	get_list(rd, &r->references);
	if ((r->nreviews = get_count(rd, 14)) > 0)
		r->reviews = xcalloc(r->nreviews, sizeof(*r->reviews));
	for (i = 0; i < r->nreviews && !rd->bad; i++) {
		r->reviews[i].reviewer = get_vs(rd);
		r->reviews[i].date = get_vs(rd);
		r->reviews[i].verdict = get_enum(rd, DIPB_VERDICT_OBJECT + 1);
		r->reviews[i].fingerprint = get_vs(rd);
		r->reviews[i].comment = get_vs(rd);
		r->reviews[i].classification = get_vs(rd);
		get_pos(rd, &r->reviews[i].pos);
		get_pos(rd, &r->reviews[i].reviewer_pos);
		get_pos(rd, &r->reviews[i].fingerprint_pos);
		get_pos(rd, &r->reviews[i].classification_pos);
	}
	if ((r->nreplies = get_count(rd, 6)) > 0)
		r->replies = xcalloc(r->nreplies, sizeof(*r->replies));
	for (i = 0; i < r->nreplies && !rd->bad; i++) {
		r->replies[i].by = get_vs(rd);
		r->replies[i].date = get_vs(rd);
		r->replies[i].to = get_vs(rd);
		r->replies[i].text = get_vs(rd);
		get_pos(rd, &r->replies[i].pos);
	}
	if (get_enum(rd, 2)) {
		r->submission = xcalloc(1, sizeof(*r->submission));
		r->submission->date = get_vs(rd);
		r->submission->to = get_vs(rd);
		r->submission->reference = get_vs(rd);
	}
	if (get_enum(rd, 2)) {
		r->decision = xcalloc(1, sizeof(*r->decision));
		r->decision->date = get_vs(rd);
		r->decision->outcome = get_enum(rd, DIPB_OUTCOME_DECLINED + 1);
		r->decision->note = get_vs(rd);
	}
	if (get_enum(rd, 2)) {
		r->withdrawal = xcalloc(1, sizeof(*r->withdrawal));
		r->withdrawal->date = get_vs(rd);
		r->withdrawal->by = get_vs(rd);
		r->withdrawal->reason = get_vs(rd);
	}
	for (i = 0; i < DIPB_F__COUNT; i++) {
		get_pos(rd, &r->pos[i]);
		get_pos(rd, &r->vpos[i]);
	}
	get_pos(rd, &r->at);
	return rd->bad || rd->left != 0 ? -1 : 0;
}

/*
 * A payload's string as it is in the file, checked as get_vs checks it,
 * or, rd->plain, to be printable ASCII (dipb_text_plain: no NUL either).
 */
static void
get_view(struct dipb_cache_rd *rd, const char **s, size_t *n)
{
	uint32_t len = get_uv(rd);

	*s = NULL;
	*n = 0;
	if (rd->bad || len-- == 0)
		return;
	if (len > rd->left || (rd->plain ?
	    !dipb_text_plain((const char *)rd->p, len) :
	    memchr(rd->p, '\0', len) != NULL)) {
		rd->bad = 1;
		return;
	}
	*s = (const char *)rd->p;
	*n = len;
	rd->p += len;
	rd->left -= len;
}

int
dipb_cache_rec_head(struct dipb_cache_rd *rd, struct dipb_cache_head *h)
{
	get_view(rd, &h->id, &h->idlen);
	get_view(rd, &h->title, &h->titlelen);
	get_view(rd, &h->wg, &h->wglen);
	h->status = get_enum(rd, DIPB_STATUS__COUNT);
	skip_vs(rd);
	h->priority = get_enum(rd, DIPB_PRIORITY_LOW + 1);
	h->plain = 0;	/* the walk's flag, cache.c's to set */
	return rd->bad || rd->left != 0 || h->id == NULL ? -1 : 0;
}

size_t
dipb_cache_rec_head_len(const char *p, size_t n)
{
	struct dipb_cache_rd rd;
	struct dipb_record r;

	dipb_cache_rd_init(&rd, p, n, 1);
	dipb_record_init(&r);
	if (dipb_cache_rec_get(&rd, &r, DIPB_CACHE_HEAD) != 0)
		return 0;
	return n - rd.left;
}

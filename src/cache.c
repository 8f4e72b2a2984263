/*
 * cache.c - the tip's records, parsed once (cache.h; dipb(1), FILES).
 *
 * Parsing YAML is most of what list and the reports cost on a large
 * board, and the tree already names each record's blob, so a record
 * whose blob id was seen before is read back from a compact binary form
 * instead: no inflating, no libyaml.
 *
 * The file, <gitdir>/dipb/records.cache, all integers little-endian:
 *	MAGIC, u32 FORMAT, u32 RECORD_FORMAT, string DIPB_VERSION,
 *	u32 count, u64 checksum of everything after it, then count entries:
 *	string blob id, string payload (one record, as put_record writes).
 * The checksum: FNV-1a in four lanes, lane k over the little-endian
 * 64-bit words 4i + k of the bytes, the lanes' four results then folded
 * by FNV-1a, then the last len % 32 bytes one by one (format 1 took
 * every byte, eight times the multiplications; format 2 one lane, each
 * multiplication waiting for the one before).
 * A string is a u32 length and its bytes; NONE as length is NULL.
 * Anything that does not match, down to one byte, and the whole file is
 * ignored: the cache is never trusted, only used when it is whole.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "error.h"
#include "hashmap.h"
#include "util.h"

#define MAGIC		"dipb records cache\n"
#define FORMAT		3u	/* this file's layout; 3: the checksum */
/*
 * The record's: raise it with any change to struct dipb_record or to
 * what dipb_record_load makes of a file (dipb-record(5)).
 */
#define RECORD_FORMAT	2u	/* 2: actions' rescheduled */
#define NAME		"records.cache"
#define MAX_SIZE	((size_t)1 << 31)
#define NONE		0xffffffffu

struct entry {
	const char	*data;		/* the payload, in file; NULL: in out */
	size_t		 at;		/* in out, when data is NULL */
	size_t		 len;
	int		 used;		/* at the tip this time */
};

/*
 * out is the file to write, made as records are parsed: its header
 * (count and checksum filled in when it is written), then each record
 * put, then those of file that are still used.  A cold cache (10,000
 * records parsed) is written from out as it stands, never copied.
 */
struct dipb_cache {
	struct dipb_buf		file;
	struct dipb_buf		out;
	size_t			 sum_at;	/* out's checksum */
	struct dipb_hashmap	map;	/* blob id -> struct entry */
	size_t			 loaded;
	size_t			 used;
	int			 dirty;
	int			 off;	/* DIPB_NO_CACHE */
};

/* ---- writing ---- */

/*
 * A cold cache writes 40 integers and strings a record, 400,000 at 10,000
 * records: each is stored in place, the buffer grown only when it must
 * be (its NUL kept by dipb_buf_grow's room for it).
 */
static void
le32(unsigned char *c, uint32_t v)
{
	c[0] = (unsigned char)v;
	c[1] = (unsigned char)(v >> 8);
	c[2] = (unsigned char)(v >> 16);
	c[3] = (unsigned char)(v >> 24);
}

static void
put_u32(struct dipb_buf *b, uint32_t v)
{
	if (b->cap - b->len < 5)
		dipb_buf_grow(b, 4);
	le32((unsigned char *)b->ptr + b->len, v);
	b->len += 4;
	b->ptr[b->len] = '\0';
}

static void
put_str(struct dipb_buf *b, const char *s)
{
	size_t n;

	if (s == NULL) {
		put_u32(b, NONE);
		return;
	}
	n = strlen(s);
	if (b->cap - b->len < n + 5)
		dipb_buf_grow(b, n + 4);
	le32((unsigned char *)b->ptr + b->len, (uint32_t)n);
	memcpy(b->ptr + b->len + 4, s, n);
	b->len += n + 4;
	b->ptr[b->len] = '\0';
}

static void
put_pos(struct dipb_buf *b, const struct dipb_pos *p)
{
	put_u32(b, p->line);
	put_u32(b, p->col);
}

/* An action's due date moves (dipb-action(1) --due), oldest first. */
static void
put_rescheduled(struct dipb_buf *b, const struct dipb_action *a)
{
	size_t i;

	put_u32(b, (uint32_t)a->nrescheduled);
	for (i = 0; i < a->nrescheduled; i++) {
		put_str(b, a->rescheduled[i].from);
		put_str(b, a->rescheduled[i].to);
		put_str(b, a->rescheduled[i].date);
		put_str(b, a->rescheduled[i].by);
		put_str(b, a->rescheduled[i].reason);
		put_pos(b, &a->rescheduled[i].pos);
	}
}

static void
put_list(struct dipb_buf *b, const struct dipb_strlist *l)
{
	size_t i;

	put_u32(b, (uint32_t)l->n);
	for (i = 0; i < l->n; i++)
		put_str(b, l->v[i]);
}

static void
put_record(struct dipb_buf *b, const struct dipb_record *r)
{
	size_t i;

	put_str(b, r->id);
	put_str(b, r->title);
	put_str(b, r->working_group);
	put_u32(b, (uint32_t)r->status);
	put_str(b, r->classification);
	put_u32(b, (uint32_t)r->priority);
	put_str(b, r->created);
	put_str(b, r->updated);
	put_str(b, r->author);
	put_list(b, &r->topics);
	put_str(b, r->summary);
	put_str(b, r->rationale);
	put_u32(b, (uint32_t)r->nactions);
	for (i = 0; i < r->nactions; i++) {
		put_str(b, r->actions[i].text);
		put_str(b, r->actions[i].owner);
		put_str(b, r->actions[i].due);
		put_u32(b, (uint32_t)r->actions[i].state);
		put_pos(b, &r->actions[i].pos);
		put_rescheduled(b, &r->actions[i]);
	}
	put_list(b, &r->references);
	put_u32(b, (uint32_t)r->nreviews);
	for (i = 0; i < r->nreviews; i++) {
		put_str(b, r->reviews[i].reviewer);
		put_str(b, r->reviews[i].date);
		put_u32(b, (uint32_t)r->reviews[i].verdict);
		put_str(b, r->reviews[i].fingerprint);
		put_str(b, r->reviews[i].comment);
		put_str(b, r->reviews[i].classification);
		put_pos(b, &r->reviews[i].pos);
		put_pos(b, &r->reviews[i].reviewer_pos);
		put_pos(b, &r->reviews[i].fingerprint_pos);
		put_pos(b, &r->reviews[i].classification_pos);
	}
	put_u32(b, (uint32_t)r->nreplies);
	for (i = 0; i < r->nreplies; i++) {
		put_str(b, r->replies[i].by);
		put_str(b, r->replies[i].date);
		put_str(b, r->replies[i].to);
		put_str(b, r->replies[i].text);
		put_pos(b, &r->replies[i].pos);
	}
	put_u32(b, r->submission != NULL);
	if (r->submission != NULL) {
		put_str(b, r->submission->date);
		put_str(b, r->submission->to);
		put_str(b, r->submission->reference);
	}
	put_u32(b, r->decision != NULL);
	if (r->decision != NULL) {
		put_str(b, r->decision->date);
		put_u32(b, (uint32_t)r->decision->outcome);
		put_str(b, r->decision->note);
	}
	put_u32(b, r->withdrawal != NULL);
	if (r->withdrawal != NULL) {
		put_str(b, r->withdrawal->date);
		put_str(b, r->withdrawal->by);
		put_str(b, r->withdrawal->reason);
	}
	for (i = 0; i < DIPB_F__COUNT; i++)
		put_pos(b, &r->pos[i]);
}

/* ---- reading: every get checks its bounds; rd->bad once one failed ---- */

struct reader {
	const unsigned char	*p;
	size_t			 left;
	int			 bad;
};

static uint32_t
get_u32(struct reader *rd)
{
	uint32_t v;

	if (rd->bad || rd->left < 4) {
		rd->bad = 1;
		return 0;
	}
	v = (uint32_t)rd->p[0] | (uint32_t)rd->p[1] << 8 |
	    (uint32_t)rd->p[2] << 16 | (uint32_t)rd->p[3] << 24;
	rd->p += 4;
	rd->left -= 4;
	return v;
}

/* An enum's value, below max. */
static unsigned
get_enum(struct reader *rd, unsigned max)
{
	uint32_t v = get_u32(rd);

	if (v >= max)
		rd->bad = 1;
	return rd->bad ? 0 : v;
}

/* A count of items of at least min bytes each, that the rest can hold. */
static size_t
get_count(struct reader *rd, size_t min)
{
	uint32_t n = get_u32(rd);

	if (rd->bad || n > rd->left / min) {
		rd->bad = 1;
		return 0;
	}
	return n;
}

/* A string without NUL: the NULs of C strings end them. */
static char *
get_str(struct reader *rd)
{
	uint32_t n = get_u32(rd);
	char *s;

	if (rd->bad || n == NONE)
		return NULL;
	if (n > rd->left || memchr(rd->p, '\0', n) != NULL) {
		rd->bad = 1;
		return NULL;
	}
	s = xstrndup((const char *)rd->p, n);
	rd->p += n;
	rd->left -= n;
	return s;
}

static void
get_pos(struct reader *rd, struct dipb_pos *p)
{
	p->line = get_u32(rd);
	p->col = get_u32(rd);
}

static void
get_rescheduled(struct reader *rd, struct dipb_action *a)
{
	size_t i;

	if ((a->nrescheduled = get_count(rd, 28)) > 0)
		a->rescheduled = xcalloc(a->nrescheduled,
		    sizeof(*a->rescheduled));
	for (i = 0; i < a->nrescheduled && !rd->bad; i++) {
		a->rescheduled[i].from = get_str(rd);
		a->rescheduled[i].to = get_str(rd);
		a->rescheduled[i].date = get_str(rd);
		a->rescheduled[i].by = get_str(rd);
		a->rescheduled[i].reason = get_str(rd);
		get_pos(rd, &a->rescheduled[i].pos);
	}
}

static void
get_list(struct reader *rd, struct dipb_strlist *l)
{
	size_t i, n = get_count(rd, 4);
	char *s;

	for (i = 0; i < n && !rd->bad; i++) {
		/* A list holds no NULL: the loader never makes one. */
		if ((s = get_str(rd)) == NULL) {
			rd->bad = 1;
			break;
		}
		dipb_strlist_push(l, s);
		free(s);
	}
}

/* Fills r (initialised); 0, or -1 with r holding a part to release. */
static int
get_record(struct reader *rd, struct dipb_record *r)
{
	size_t i;

	r->id = get_str(rd);
	r->title = get_str(rd);
	r->working_group = get_str(rd);
	r->status = get_enum(rd, DIPB_STATUS__COUNT);
	r->classification = get_str(rd);
	r->priority = get_enum(rd, DIPB_PRIORITY_LOW + 1);
	r->created = get_str(rd);
	r->updated = get_str(rd);
	r->author = get_str(rd);
	get_list(rd, &r->topics);
	r->summary = get_str(rd);
	r->rationale = get_str(rd);
	if ((r->nactions = get_count(rd, 32)) > 0)
		r->actions = xcalloc(r->nactions, sizeof(*r->actions));
	for (i = 0; i < r->nactions && !rd->bad; i++) {
		r->actions[i].text = get_str(rd);
		r->actions[i].owner = get_str(rd);
		r->actions[i].due = get_str(rd);
		r->actions[i].state = get_enum(rd, DIPB_ACTION_DROPPED + 1);
		get_pos(rd, &r->actions[i].pos);
		get_rescheduled(rd, &r->actions[i]);
	}
	get_list(rd, &r->references);
	if ((r->nreviews = get_count(rd, 60)) > 0)
		r->reviews = xcalloc(r->nreviews, sizeof(*r->reviews));
	for (i = 0; i < r->nreviews && !rd->bad; i++) {
		r->reviews[i].reviewer = get_str(rd);
		r->reviews[i].date = get_str(rd);
		r->reviews[i].verdict = get_enum(rd, DIPB_VERDICT_OBJECT + 1);
		r->reviews[i].fingerprint = get_str(rd);
		r->reviews[i].comment = get_str(rd);
		r->reviews[i].classification = get_str(rd);
		get_pos(rd, &r->reviews[i].pos);
		get_pos(rd, &r->reviews[i].reviewer_pos);
		get_pos(rd, &r->reviews[i].fingerprint_pos);
		get_pos(rd, &r->reviews[i].classification_pos);
	}
	if ((r->nreplies = get_count(rd, 24)) > 0)
		r->replies = xcalloc(r->nreplies, sizeof(*r->replies));
	for (i = 0; i < r->nreplies && !rd->bad; i++) {
		r->replies[i].by = get_str(rd);
		r->replies[i].date = get_str(rd);
		r->replies[i].to = get_str(rd);
		r->replies[i].text = get_str(rd);
		get_pos(rd, &r->replies[i].pos);
	}
	if (get_enum(rd, 2)) {
		r->submission = xcalloc(1, sizeof(*r->submission));
		r->submission->date = get_str(rd);
		r->submission->to = get_str(rd);
		r->submission->reference = get_str(rd);
	}
	if (get_enum(rd, 2)) {
		r->decision = xcalloc(1, sizeof(*r->decision));
		r->decision->date = get_str(rd);
		r->decision->outcome = get_enum(rd, DIPB_OUTCOME_DECLINED + 1);
		r->decision->note = get_str(rd);
	}
	if (get_enum(rd, 2)) {
		r->withdrawal = xcalloc(1, sizeof(*r->withdrawal));
		r->withdrawal->date = get_str(rd);
		r->withdrawal->by = get_str(rd);
		r->withdrawal->reason = get_str(rd);
	}
	for (i = 0; i < DIPB_F__COUNT; i++)
		get_pos(rd, &r->pos[i]);
	return rd->bad || rd->left != 0 ? -1 : 0;
}

/* ---- the file ---- */

#define FNV_BASIS	0xcbf29ce484222325u
#define FNV_PRIME	0x100000001b3u

static uint64_t
checksum(const unsigned char *p, size_t n)
{
	uint64_t h[4] = { FNV_BASIS, FNV_BASIS ^ 1, FNV_BASIS ^ 2,
	    FNV_BASIS ^ 3 }, w, out = FNV_BASIS;
	unsigned k;
#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
	unsigned i;
#endif

	for (; n >= 32; n -= 32, p += 32)
		for (k = 0; k < 4; k++) {
			/* One load a word where the host is little-endian. */
			memcpy(&w, p + 8 * k, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
			w = __builtin_bswap64(w);
#elif !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
			for (w = 0, i = 0; i < 8; i++)
				w |= (uint64_t)p[8 * k + i] << (8 * i);
#endif
			h[k] ^= w;
			h[k] *= FNV_PRIME;
		}
	for (k = 0; k < 4; k++) {
		out ^= h[k];
		out *= FNV_PRIME;
	}
	while (n-- > 0) {
		out ^= *p++;
		out *= FNV_PRIME;
	}
	return out;
}

static void
put_header(struct dipb_buf *b, uint32_t count)
{
	dipb_buf_put(b, MAGIC, sizeof(MAGIC) - 1);
	put_u32(b, FORMAT);
	put_u32(b, RECORD_FORMAT);
	put_str(b, DIPB_VERSION);
	put_u32(b, count);
}

static void
free_entry(void *v)
{
	free(v);
}

/* The entries of c->file into c->map; -1 (map emptied) unless whole. */
static int
load(struct dipb_cache *c)
{
	struct dipb_buf want = DIPB_BUF_INIT;
	struct reader rd;
	struct entry *e;
	uint32_t count, i, n;
	uint64_t sum;
	char *id;
	int ok;

	put_header(&want, 0);
	ok = c->file.len >= want.len + 8 &&
	    memcmp(c->file.ptr, want.ptr, want.len - 4) == 0;
	rd.p = (const unsigned char *)c->file.ptr + want.len - 4;
	rd.left = c->file.len - (want.len - 4);
	rd.bad = !ok;
	dipb_buf_release(&want);
	count = get_u32(&rd);
	sum = get_u32(&rd);
	sum |= (uint64_t)get_u32(&rd) << 32;
	if (rd.bad || checksum(rd.p, rd.left) != sum)
		return -1;
	for (i = 0; i < count && !rd.bad; i++) {
		if ((id = get_str(&rd)) == NULL) {
			rd.bad = 1;
			break;
		}
		n = get_u32(&rd);
		if (rd.bad || n > rd.left) {
			rd.bad = 1;
			free(id);
			break;
		}
		if (dipb_hashmap_get(&c->map, id) != NULL) {
			rd.bad = 1;	/* twice: not a file this wrote */
			free(id);
			break;
		}
		e = xcalloc(1, sizeof(*e));
		e->data = (const char *)rd.p;
		e->len = n;
		rd.p += n;
		rd.left -= n;
		dipb_hashmap_put(&c->map, id, e);
		free(id);
		c->loaded++;
	}
	if (rd.bad || rd.left != 0) {
		dipb_hashmap_release(&c->map, free_entry);
		memset(&c->map, 0, sizeof(c->map));
		c->loaded = 0;
		return -1;
	}
	return 0;
}

struct dipb_cache *
dipb_cache_open(struct dipb_repo *repo)
{
	struct dipb_cache *c = xcalloc(1, sizeof(*c));
	const char *off = getenv("DIPB_NO_CACHE");
	int found;

	dipb_buf_init(&c->file);
	dipb_buf_init(&c->out);
	if (off != NULL) {
		c->off = 1;
		return c;
	}
	dipb_repo_derived_read(&c->file, &found, repo, NAME, MAX_SIZE);
	if (!found || load(c) != 0)
		c->dirty = 1;	/* none, or not to be trusted: replace */
	return c;
}

int
dipb_cache_get(struct dipb_cache *c, const char *id, struct dipb_record *out)
{
	struct entry *e;
	struct reader rd;

	if (c == NULL || c->off ||
	    (e = dipb_hashmap_get(&c->map, id)) == NULL)
		return 0;
	rd.p = (const unsigned char *)(e->data != NULL ? e->data :
	    c->out.ptr + e->at);
	rd.left = e->len;
	rd.bad = 0;
	if (get_record(&rd, out) != 0) {
		/* Cannot be, past the checksum; but never trusted. */
		dipb_record_release(out);
		dipb_record_init(out);
		return 0;
	}
	if (!e->used) {
		e->used = 1;
		c->used++;
	}
	return 1;
}

void
dipb_cache_put(struct dipb_cache *c, const char *id,
    const struct dipb_record *r)
{
	struct entry *e;
	size_t at;

	if (c == NULL || c->off || dipb_hashmap_get(&c->map, id) != NULL)
		return;
	if (c->out.len == 0) {
		put_header(&c->out, 0);
		c->sum_at = c->out.len;
		put_u32(&c->out, 0);
		put_u32(&c->out, 0);
	}
	put_str(&c->out, id);
	at = c->out.len;
	put_u32(&c->out, 0);		/* the payload's length, next */
	put_record(&c->out, r);
	e = xcalloc(1, sizeof(*e));
	e->at = at + 4;
	e->len = c->out.len - e->at;
	for (at = 0; at < 4; at++)
		c->out.ptr[e->at - 4 + at] = (char)(unsigned char)(e->len >>
		    (8 * at));
	e->used = 1;
	dipb_hashmap_put(&c->map, id, e);
	c->used++;
	c->dirty = 1;
}

void
dipb_cache_close(struct dipb_cache *c, struct dipb_repo *repo)
{
	struct dipb_buf *out;
	struct entry *e;
	uint64_t sum;
	size_t i, count, at;

	if (c == NULL)
		return;
	out = &c->out;
	/* Rewritten when records were added or some left the tip. */
	if (repo != NULL && !c->off && (c->dirty || c->used != c->loaded) &&
	    c->used > 0) {
		if (out->len == 0) {
			put_header(out, 0);
			c->sum_at = out->len;
			put_u32(out, 0);
			put_u32(out, 0);
		}
		/* The records of the old file still at the tip. */
		for (i = 0; i < c->map.cap; i++) {
			if (c->map.v[i].key == NULL ||
			    (e = c->map.v[i].val)->data == NULL || !e->used)
				continue;
			put_str(out, c->map.v[i].key);
			put_u32(out, (uint32_t)e->len);
			dipb_buf_put(out, e->data, e->len);
		}
		count = c->used;
		at = c->sum_at - 4;
		for (i = 0; i < 4; i++)
			out->ptr[at + i] = (char)(unsigned char)(count >>
			    (8 * i));
		sum = checksum((const unsigned char *)out->ptr + c->sum_at + 8,
		    out->len - c->sum_at - 8);
		for (i = 0; i < 8; i++)
			out->ptr[c->sum_at + i] = (char)(unsigned char)(sum >>
			    (8 * i));
		dipb_error_free(dipb_repo_derived_write(repo, NAME, out->ptr,
		    out->len));
	}
	dipb_buf_release(out);
	dipb_hashmap_release(&c->map, free_entry);
	dipb_buf_release(&c->file);
	free(c);
}

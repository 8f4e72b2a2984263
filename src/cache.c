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
 * In a payload every integer is a varint (seven bits a byte, low bits
 * first, the high bit set on all bytes but the last; at most five, and
 * no more than 32 bits), and a string is the varint of its length plus
 * one, 0 for NULL, then its bytes: most of a record's 90 integers are
 * positions and lengths under 128, one byte each where format 3 took
 * four: 6.4 MB at 10,000 records where format 3 wrote 9.0 MB, each
 * byte of which a cold cache makes, sums and writes.
 * The checksum: FNV-1a in four lanes, lane k over the little-endian
 * 64-bit words 4i + k of the bytes, the lanes' four results then folded
 * by FNV-1a, then the last len % 32 bytes one by one (format 1 took
 * every byte, eight times the multiplications; format 2 one lane, each
 * multiplication waiting for the one before).
 * Outside payloads, a string is a u32 length and its bytes; NONE as
 * length is NULL.
 * Anything that does not match, down to one byte, and the whole file is
 * ignored: the cache is never trusted, only used when it is whole.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "error.h"
#include "util.h"

#define MAGIC		"dipb records cache\n"
#define FORMAT		4u	/* this file's layout; 4: varints */
/*
 * The record's: raise it with any change to struct dipb_record or to
 * what dipb_record_load makes of a file (dipb-record(5)).
 */
#define RECORD_FORMAT	2u	/* 2: actions' rescheduled */
#define NAME		"records.cache"
#define MAX_SIZE	((size_t)1 << 31)
#define NONE		0xffffffffu
#define CHUNK		((size_t)256 << 10)	/* out's most, written */

#define ID_MAX		32	/* a blob id's bytes: SHA-1 20, SHA-256 32 */

/*
 * The entries, in the order they were loaded or put, and a table of
 * them by blob id: open addressing over slots that hold the id's first
 * eight bytes (a hash already) and the entry's index, so that a lookup
 * reads one slot and rarely an entry, with no string hashed, compared
 * or allocated an id.
 */
struct entry {
	unsigned char	 id[ID_MAX];
	size_t		 idlen;
	const char	*from;		/* in file: the entry, id first */
	const char	*data;		/* the payload, in file; NULL: put */
	size_t		 at;		/* put: its offset in the new file */
	size_t		 len;
	int		 used;		/* at the tip this time */
};

struct slot {
	uint64_t	 key;		/* the id's first eight bytes */
	size_t		 ix;		/* its entry's index, plus one; 0: free */
};

/*
 * out is the file to write, made as records are parsed: its header
 * (count and checksum filled in when it is written), then each record
 * put, then those of file that are still used.  It holds the file from
 * offset base on: past CHUNK bytes, what it holds is written to sink,
 * a temporary file (renamed at dipb_cache_close), and out starts again,
 * so that a cold cache (6 MB at 10,000 records) is made in the same
 * 256 KiB, still in the processor's cache when it is summed and
 * written, where making it whole in memory first touched 6 MB of new
 * pages, then read them all again to write them (14% of a cold `dipb
 * list` at 10,000 records, against 4%).
 */
struct dipb_cache {
	struct dipb_repo	*repo;
	const char		*file;		/* mapped; NULL: none */
	size_t			 flen;
	struct dipb_buf		out;
	size_t			 base;		/* out's offset in the file */
	struct dipb_derived	*sink;		/* NULL: not begun */
	int			 nowrite;	/* sink could not be made */
	size_t			 sum_at;	/* the checksum's offset */
	uint64_t		 lanes[4];	/* out's, summed so far */
	size_t			 summed;	/* up to there, in out */
	struct entry		*v;
	size_t			 n, cap;
	struct slot		*slots;
	size_t			 nslots;	/* a power of two, or 0 */
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

/* A payload's integer: a varint (the file's comment). */
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

static void
put_record(struct dipb_buf *b, const struct dipb_record *r)
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

/* A payload's integer: a varint of at most five bytes and 32 bits. */
static uint32_t
get_uv(struct reader *rd)
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

/* A payload's string, without NUL: the NULs of C strings end them. */
static char *
get_vs(struct reader *rd)
{
	uint32_t n = get_uv(rd);
	char *s;

	if (rd->bad || n-- == 0)
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

/* An enum's value, below max. */
static unsigned
get_enum(struct reader *rd, unsigned max)
{
	uint32_t v = get_uv(rd);

	if (v >= max)
		rd->bad = 1;
	return rd->bad ? 0 : v;
}

/* A count of items of at least min bytes each, that the rest can hold. */
static size_t
get_count(struct reader *rd, size_t min)
{
	uint32_t n = get_uv(rd);

	if (rd->bad || n > rd->left / min) {
		rd->bad = 1;
		return 0;
	}
	return n;
}

static void
get_pos(struct reader *rd, struct dipb_pos *p)
{
	p->line = get_uv(rd);
	p->col = get_uv(rd);
}

static void
get_rescheduled(struct reader *rd, struct dipb_action *a)
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
get_list(struct reader *rd, struct dipb_strlist *l)
{
	size_t i, n = get_count(rd, 1);
	char *s;

	for (i = 0; i < n && !rd->bad; i++) {
		/* A list holds no NULL: the loader never makes one. */
		if ((s = get_vs(rd)) == NULL) {
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

	r->id = get_vs(rd);
	r->title = get_vs(rd);
	r->working_group = get_vs(rd);
	r->status = get_enum(rd, DIPB_STATUS__COUNT);
	r->classification = get_vs(rd);
	r->priority = get_enum(rd, DIPB_PRIORITY_LOW + 1);
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
		get_rescheduled(rd, &r->actions[i]);
	}
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
	for (i = 0; i < DIPB_F__COUNT; i++)
		get_pos(rd, &r->pos[i]);
	return rd->bad || rd->left != 0 ? -1 : 0;
}

/* ---- the file ---- */

#define FNV_BASIS	0xcbf29ce484222325u
#define FNV_PRIME	0x100000001b3u

static void
sum_init(uint64_t h[4])
{
	unsigned k;

	for (k = 0; k < 4; k++)
		h[k] = FNV_BASIS ^ k;
}

/* The lanes h over n bytes at p, n a multiple of 32. */
static void
sum_blocks(uint64_t h[4], const unsigned char *p, size_t n)
{
	uint64_t w;
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
}

/* The checksum: the lanes h folded, then the last n (< 32) bytes at p. */
static uint64_t
sum_end(const uint64_t h[4], const unsigned char *p, size_t n)
{
	uint64_t out = FNV_BASIS;
	unsigned k;

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

static uint64_t
checksum(const unsigned char *p, size_t n)
{
	uint64_t h[4];

	sum_init(h);
	sum_blocks(h, p, n - n % 32);
	return sum_end(h, p + (n - n % 32), n % 32);
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

/* ---- the entries by blob id ---- */

static int
hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	return -1;		/* git writes ids in lower case only */
}

/* The bytes of id (hex) into e; 0, or -1 if it is not a blob id. */
static int
parse_id(struct entry *e, const char *id, size_t n)
{
	size_t i;
	int hi, lo;

	if (n == 0 || n % 2 != 0 || n / 2 > ID_MAX)
		return -1;
	for (i = 0; i < n; i += 2) {
		if ((hi = hexval(id[i])) < 0 ||
		    (lo = hexval(id[i + 1])) < 0)
			return -1;
		e->id[i / 2] = (unsigned char)(hi << 4 | lo);
	}
	e->idlen = n / 2;
	memset(e->id + e->idlen, 0, ID_MAX - e->idlen);
	return 0;
}

static uint64_t
key_of(const struct entry *e)
{
	uint64_t k;

	memcpy(&k, e->id, sizeof(k));
	return k;
}

/* The slot of e's id: its entry's, or the free one where it would go. */
static struct slot *
find(const struct dipb_cache *c, const struct entry *e)
{
	uint64_t k = key_of(e);
	size_t i;

	for (i = (size_t)k & (c->nslots - 1); c->slots[i].ix != 0;
	    i = (i + 1) & (c->nslots - 1))
		if (c->slots[i].key == k &&
		    c->v[c->slots[i].ix - 1].idlen == e->idlen &&
		    memcmp(c->v[c->slots[i].ix - 1].id, e->id, e->idlen) == 0)
			break;
	return &c->slots[i];
}

/* The entry of e's id, NULL if there is none. */
static struct entry *
lookup(const struct dipb_cache *c, const struct entry *e)
{
	struct slot *s;

	if (c->nslots == 0 || (s = find(c, e))->ix == 0)
		return NULL;
	return &c->v[s->ix - 1];
}

/* Room for want entries in the table, at most half full. */
static void
reserve(struct dipb_cache *c, size_t want)
{
	struct slot *old = c->slots;
	size_t oldn = c->nslots, i, k;

	if (want <= c->nslots / 2)
		return;
	c->nslots = c->nslots == 0 ? 256 : c->nslots;
	while (want > c->nslots / 2)
		c->nslots *= 2;
	c->slots = xcalloc(c->nslots, sizeof(*c->slots));
	for (i = 0; i < oldn; i++) {
		if (old[i].ix == 0)
			continue;
		for (k = (size_t)old[i].key & (c->nslots - 1);
		    c->slots[k].ix != 0; k = (k + 1) & (c->nslots - 1))
			;
		c->slots[k] = old[i];
	}
	free(old);
}

/* e added (its id not there yet); the copy kept. */
static struct entry *
add(struct dipb_cache *c, const struct entry *e)
{
	struct slot *s;

	reserve(c, c->n + 1);
	xgrow((void **)&c->v, &c->cap, c->n + 1, sizeof(*c->v));
	c->v[c->n] = *e;
	s = find(c, e);
	s->key = key_of(e);
	s->ix = ++c->n;
	return &c->v[c->n - 1];
}

static void
forget_all(struct dipb_cache *c)
{
	free(c->v);
	free(c->slots);
	c->v = NULL;
	c->slots = NULL;
	c->n = c->cap = c->nslots = 0;
}

/* The entries of c->file into c->v; -1 (none kept) unless whole. */
static int
load(struct dipb_cache *c)
{
	struct dipb_buf want = DIPB_BUF_INIT;
	struct reader rd;
	struct entry e;
	const char *from;
	uint32_t count, i, n;
	uint64_t sum;
	int ok;

	put_header(&want, 0);
	ok = c->flen >= want.len + 8 &&
	    memcmp(c->file, want.ptr, want.len - 4) == 0;
	rd.p = (const unsigned char *)c->file + want.len - 4;
	rd.left = ok ? c->flen - (want.len - 4) : 0;
	rd.bad = !ok;
	dipb_buf_release(&want);
	count = get_u32(&rd);
	sum = get_u32(&rd);
	sum |= (uint64_t)get_u32(&rd) << 32;
	if (rd.bad || checksum(rd.p, rd.left) != sum)
		return -1;
	/* At most one entry a byte: never more room than the file. */
	if (count > rd.left)
		return -1;
	reserve(c, count);
	memset(&e, 0, sizeof(e));
	for (i = 0; i < count && !rd.bad; i++) {
		from = (const char *)rd.p;
		n = get_u32(&rd);
		if (rd.bad || n > rd.left ||
		    parse_id(&e, (const char *)rd.p, n) != 0 ||
		    lookup(c, &e) != NULL) {
			/* A lookup found it: twice, not a file this wrote. */
			rd.bad = 1;
			break;
		}
		rd.p += n;
		rd.left -= n;
		n = get_u32(&rd);
		if (rd.bad || n > rd.left) {
			rd.bad = 1;
			break;
		}
		e.from = from;
		e.data = (const char *)rd.p;
		e.len = n;
		rd.p += n;
		rd.left -= n;
		add(c, &e);
		c->loaded++;
	}
	if (rd.bad || rd.left != 0) {
		forget_all(c);
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

	c->repo = repo;
	dipb_buf_init(&c->out);
	if (off != NULL) {
		c->off = 1;
		return c;
	}
	dipb_repo_derived_map(&c->file, &c->flen, repo, NAME, MAX_SIZE);
	if (c->file == NULL || load(c) != 0)
		c->dirty = 1;	/* none, or not to be trusted: replace */
	return c;
}

/* out begun: its header, count and checksum to be filled in. */
static void
start_out(struct dipb_cache *c)
{
	if (c->out.len != 0 || c->base != 0)
		return;
	dipb_buf_grow(&c->out, 2 * CHUNK);
	put_header(&c->out, 0);
	c->sum_at = c->out.len;
	put_u32(&c->out, 0);
	put_u32(&c->out, 0);
	sum_init(c->lanes);
	c->summed = c->out.len;
}

/*
 * The checksum of out carried up to its last whole block of 32 bytes,
 * after each entry: summed while the entry is still in the processor's
 * cache, where one pass at the end read all of out from memory again.
 */
static void
sum_more(struct dipb_cache *c)
{
	size_t n = (c->out.len - c->summed) & ~(size_t)31;

	sum_blocks(c->lanes, (const unsigned char *)c->out.ptr + c->summed, n);
	c->summed += n;
}

/*
 * Past CHUNK bytes, what out holds that is summed goes to sink (begun
 * now if need be), and out keeps the rest (under 32 bytes).  When sink
 * cannot be made, nothing will be written: nowrite.
 */
static void
flush(struct dipb_cache *c)
{
	size_t n = c->summed;

	if (n < CHUNK || c->nowrite)
		return;
	if (c->sink == NULL &&
	    (c->sink = dipb_repo_derived_begin(c->repo, NAME)) == NULL) {
		c->nowrite = 1;
		return;
	}
	dipb_derived_put(c->sink, c->out.ptr, n);
	memmove(c->out.ptr, c->out.ptr + n, c->out.len - n);
	c->out.len -= n;
	c->out.ptr[c->out.len] = '\0';
	c->base += n;
	c->summed = 0;
}

int
dipb_cache_get(struct dipb_cache *c, const char *id, struct dipb_record *out)
{
	struct entry k, *e;
	struct reader rd;

	if (c == NULL || c->off || parse_id(&k, id, strlen(id)) != 0 ||
	    (e = lookup(c, &k)) == NULL)
		return 0;
	/* A record put and already written to sink: parsed again. */
	if (e->data == NULL && e->at < c->base)
		return 0;
	rd.p = (const unsigned char *)(e->data != NULL ? e->data :
	    c->out.ptr + (e->at - c->base));
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
	struct entry e;
	size_t at, i;

	memset(&e, 0, sizeof(e));
	if (c == NULL || c->off || c->nowrite ||
	    parse_id(&e, id, strlen(id)) != 0 ||
	    (c->nslots != 0 && lookup(c, &e) != NULL))
		return;
	start_out(c);
	put_str(&c->out, id);
	at = c->out.len;
	put_u32(&c->out, 0);		/* the payload's length, next */
	put_record(&c->out, r);
	e.len = c->out.len - (at + 4);
	for (i = 0; i < 4; i++)
		c->out.ptr[at + i] = (char)(unsigned char)(e.len >> (8 * i));
	e.at = c->base + at + 4;
	e.used = 1;
	add(c, &e);
	c->used++;
	c->dirty = 1;
	sum_more(c);
	flush(c);
}

void
dipb_cache_close(struct dipb_cache *c, struct dipb_repo *repo)
{
	struct dipb_buf *out;
	struct entry *e;
	unsigned char tail[12];
	uint64_t sum;
	size_t i, count;
	int keep;

	if (c == NULL)
		return;
	out = &c->out;
	/* Rewritten when records were added or some left the tip. */
	keep = repo != NULL && !c->off && !c->nowrite &&
	    (c->dirty || c->used != c->loaded) && c->used > 0;
	if (keep) {
		start_out(c);
		/* The records of the old file still at the tip, as they were. */
		for (i = 0; i < c->n && !c->nowrite; i++) {
			if ((e = &c->v[i])->data == NULL || !e->used)
				continue;
			dipb_buf_put(out, e->from,
			    (size_t)(e->data + e->len - e->from));
			sum_more(c);
			flush(c);
		}
		keep = !c->nowrite;
	}
	if (keep) {
		/* The count, then the checksum, at sum_at - 4 in the file. */
		count = c->used;
		sum = sum_end(c->lanes, (const unsigned char *)out->ptr +
		    c->summed, out->len - c->summed);
		for (i = 0; i < 4; i++)
			tail[i] = (unsigned char)(count >> (8 * i));
		for (i = 0; i < 8; i++)
			tail[4 + i] = (unsigned char)(sum >> (8 * i));
		if (c->sink == NULL) {
			memcpy(out->ptr + c->sum_at - 4, tail, sizeof(tail));
			dipb_repo_derived_write(repo, NAME, out->ptr,
			    out->len);
		} else {
			dipb_derived_put(c->sink, out->ptr, out->len);
			dipb_derived_patch(c->sink, c->sum_at - 4,
			    (const char *)tail, sizeof(tail));
		}
	}
	if (c->sink != NULL)
		dipb_error_free(dipb_derived_end(c->sink, keep));
	dipb_buf_release(out);
	forget_all(c);
	dipb_repo_derived_unmap(c->file, c->flen);
	free(c);
}

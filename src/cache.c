/*
 * cache.c - the tip's records, parsed once (cache.h; dipb(1), FILES).
 *
 * Parsing YAML is most of what list and the reports cost on a large
 * board, and the tree already names each record's blob, so a record
 * whose blob id was seen before is read back from a compact binary form
 * instead: no inflating, no libyaml.  Reading the ~300 trees of a
 * sharded board and checking each record against the board came next:
 * the trees are kept by tree id, as git stores them, and each record
 * with the path at which it passed the checks under the board's key.
 * A walk that took every record from the cache or put it there is kept
 * too, with the head of each record (cache.h, DIPB_CACHE_HEAD): on an
 * unchanged tip, dipb list reads that and nothing else, where it read
 * ~300 trees, looked up 30,000 blob ids and read each record.  Nothing
 * is built at open but a table of the trees: a record is found by its
 * blob id in a table the file holds, and read only as far as the caller
 * wants it.
 *
 * The file, <gitdir>/dipb/records.cache (in a shared repository the
 * user's own <gitdir>/dipb/users/<uid>/records.cache, git/derived.c),
 * all integers little-endian:
 *	MAGIC, u32 FORMAT, u32 DIPB_CACHE_RECORD_FORMAT (cache_rec.h),
 *	string DIPB_BUILD_ID (dipb's version and its sources' checksum,
 *	build/buildid.h: a cache of another build is ignored),
 *	u32 count, u32 ntrees, u32 eend, u32 index_at,
 *	u64 the checksum of the rest (eend on), u64 that of the entries;
 *	the entries, count of them: string blob id, string path (where
 *	the record passed the checks under key; NULL: it did not), string
 *	payload (one record, as dipb_cache_rec_put writes it);
 *	at offset eend, the rest: string key (the board's,
 *	dipb_cache_open); ntrees trees: string tree id, string bytes; the
 *	last walk (dipb_cache_walked): string recommendations/'s tree id
 *	(NULL: none; then nothing more), u32 n, the n records' places
 *	among them in the order of their ids (dipb_sort_by_id), u32 each,
 *	then the n records, each a u32 index of an entry, a byte of
 *	flags (HEAD_PLAIN) and the string of its payload's head;
 *	at offset index_at, count u32 offsets of the entries, u32 nslots
 *	(a power of two above count), then nslots slots: u64 the first
 *	eight bytes of an entry's blob id (little-endian), u32 its index
 *	plus one (0: a free slot), found from slot key % nslots on.
 * A payload is a record in the form cache_rec.h describes.
 * A checksum: FNV-1a in four lanes, lane k over the little-endian
 * 64-bit words 4i + k of the bytes, the lanes' four results then folded
 * by FNV-1a, then the last len % 32 bytes one by one; the rest's, then
 * count, ntrees, eend and index_at, each a 32-bit word.
 * Outside payloads, a string is a u32 length and its bytes; NONE as
 * length is NULL.
 * Anything that does not match, down to one byte, and the whole file is
 * ignored: the cache is never trusted, only used when it is whole.  The
 * rest is checked at open; the entries, 19 MB at 30,000 records, at
 * their first use (a list that the walk serves reads none of them):
 * when they do not match, no entry is used, and the file is made again.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buildid.h"
#include "cache.h"
#include "cache_rec.h"
#include "error.h"
#include "session.h"
#include "text.h"
#include "util.h"

#define MAGIC		"dipb records cache\n"
#define FORMAT		7u	/* this file's layout; 6: heads' flags;
				   7: the files of every folder below
				   recommendations/ walked */
#define NAME		"records.cache"
#define MAX_SIZE	((size_t)1 << 31)
#define NONE		0xffffffffu
#define CHUNK		((size_t)256 << 10)	/* out's most, written */
#define FIELDS		16	/* count, ntrees, eend, index_at */
#define SLOT		12	/* a slot's bytes in the file */
#define HEAD_PLAIN	1	/* a head's id, title and group: plain text */
#define FROM_FILE	0x80000000u
#define NOWHERE		0xffffffffu	/* struct fhead: NULL */

#define ID_MAX		32	/* an object id's bytes: SHA-1 20, SHA-256 32 */

/*
 * A record put, or a tree (of the file, or put), in a table by object
 * id: open addressing over slots that hold the id's first eight bytes (a
 * hash already) and the entry's index, so that a lookup reads one slot
 * and rarely an entry, with no string hashed, compared or allocated.
 */
struct entry {
	unsigned char	 id[ID_MAX];
	size_t		 idlen;
	const char	*data;		/* a tree's bytes */
	char		*own;		/* a tree put: its copy */
	size_t		 len;
	size_t		 at;		/* a record put: its payload, in out */
	uint32_t	 ord;		/* and its index in the new file */
	char		*mark;		/* a record put: where it passed */
	int		 used;		/* a tree: at the tip this time */
};

struct slot {
	uint64_t	 key;		/* the id's first eight bytes */
	size_t		 ix;		/* its entry's index, plus one; 0: free */
};

struct table {
	struct entry	*v;
	size_t		 n, cap;
	struct slot	*slots;
	size_t		 nslots;	/* a power of two, or 0 */
};

/*
 * A record's head in the file's walk, as load_walk read it, for
 * dipb_cache_heads: its strings by their offsets in the walk (NOWHERE:
 * NULL), 28 bytes where struct dipb_cache_head takes 64.
 */
struct fhead {
	uint32_t	 id, title, wg;
	uint32_t	 idlen, titlelen, wglen;
	unsigned char	 status, priority, plain;
};

/*
 * out is the file to write, made as records are parsed: its header
 * (its fields and checksums filled in when it is written), then each
 * record put, then those of file that are still used, then the rest.
 * It holds the file from offset base on: past CHUNK bytes, what it
 * holds is written to sink, a temporary file (renamed at
 * dipb_cache_close), and out starts again, so that a cold cache (6 MB
 * at 10,000 records) is made in the same 256 KiB, still in the
 * processor's cache when it is summed and written.
 */
struct dipb_cache {
	struct dipb_repo	*repo;
	char			*key;
	/* The file read, when whole (file NULL otherwise). */
	const char		*file;		/* mapped */
	size_t			 flen;
	int			 samekey;	/* its marks hold */
	uint32_t		 count;		/* its entries */
	size_t			 estart;	/* where they begin */
	size_t			 eend;		/* where they end */
	uint64_t		 esum;		/* their checksum */
	int			 echeck;	/* 1: checked, whole; -1: not */
	const unsigned char	*index;		/* their offsets */
	const unsigned char	*fslots;
	size_t			 fnslots;
	unsigned char		*fused;		/* each at the tip this time */
	size_t			 nfused;
	char			**fmark;	/* each's new mark; NULL: none */
	size_t			 ftrees;	/* the trees read from it */
	size_t			 ftrees_used;
	/* Its walk: recommendations/'s tree id, the records in order. */
	const char		*froot;
	size_t			 frootlen;
	const unsigned char	*fsorted;	/* their numbers, by id */
	const unsigned char	*fwalk;
	size_t			 fwalklen;
	uint32_t		 nfwalk;
	uint32_t		*fstarts;	/* where each is in fwalk */
	struct fhead		*fheads;	/* and its head */
	int			 all;		/* dipb_cache_all took them */
	/*
	 * This walk: each record got or put, in order, as its index in
	 * the new file (a put) or FROM_FILE and its index in the file;
	 * broken when a record of the walk is not among them.
	 */
	uint32_t		*walk;
	size_t			 nwalk, walkcap;
	int			 broken;
	char			*root;		/* dipb_cache_walked's */
	uint32_t		*fnew;		/* the file's entries' new index */
	/* The last hit, for dipb_cache_taken: a file entry's index + 1. */
	size_t			 last;
	struct table		 puts;		/* records put */
	struct table		 trees;		/* the file's, then those put */
	/* The heads of the records put (dipb_cache_rec_head), by index. */
	struct dipb_buf		 heads;
	size_t			*hoff;
	size_t			 hoffcap;
	/* The file written: out, and each entry's offset and key in it. */
	struct dipb_buf		 out;
	size_t			 base;		/* out's offset in the file */
	struct dipb_derived	*sink;		/* NULL: not begun */
	int			 nowrite;	/* sink could not be made */
	size_t			 fields_at;	/* count's offset */
	uint64_t		 lanes[4];	/* out's, summed so far */
	size_t			 summed;	/* up to there, in out */
	uint32_t		*noff;
	uint64_t		*nkey;
	size_t			 nn, noffcap, nkeycap;
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

/* ---- reading: every get checks its bounds; rd->bad once one failed ---- */

static uint32_t
get_u32(struct dipb_cache_rd *rd)
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

static unsigned
get_u8(struct dipb_cache_rd *rd)
{
	if (rd->bad || rd->left < 1) {
		rd->bad = 1;
		return 0;
	}
	rd->left--;
	return *rd->p++;
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

/* The little-endian 64-bit word at p: one load where the host is. */
static inline uint64_t
word_at(const unsigned char *p)
{
	uint64_t w;

	memcpy(&w, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	w = __builtin_bswap64(w);
#elif !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
	{
		unsigned i;

		for (w = 0, i = 0; i < 8; i++)
			w |= (uint64_t)p[i] << (8 * i);
	}
#endif
	return w;
}

/*
 * The lanes h over n bytes at p, n a multiple of 32, each lane in a
 * variable of its own, which the compiler keeps in a register: as an
 * array, each was stored and loaded again at every word, twice the
 * instructions.
 */
static void
sum_blocks(uint64_t h[4], const unsigned char *p, size_t n)
{
	uint64_t h0 = h[0], h1 = h[1], h2 = h[2], h3 = h[3];

	for (; n >= 32; n -= 32, p += 32) {
		h0 = (h0 ^ word_at(p)) * FNV_PRIME;
		h1 = (h1 ^ word_at(p + 8)) * FNV_PRIME;
		h2 = (h2 ^ word_at(p + 16)) * FNV_PRIME;
		h3 = (h3 ^ word_at(p + 24)) * FNV_PRIME;
	}
	h[0] = h0;
	h[1] = h1;
	h[2] = h2;
	h[3] = h3;
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

/* The fields after the lanes (count, ntrees, eend, index_at). */
static uint64_t
sum_fields(uint64_t h, const unsigned char *f)
{
	unsigned k;

	for (k = 0; k < FIELDS; k += 4) {
		h ^= (uint64_t)f[k] | (uint64_t)f[k + 1] << 8 |
		    (uint64_t)f[k + 2] << 16 | (uint64_t)f[k + 3] << 24;
		h *= FNV_PRIME;
	}
	return h;
}

static void
put_header(struct dipb_buf *b)
{
	dipb_buf_put(b, MAGIC, sizeof(MAGIC) - 1);
	put_u32(b, FORMAT);
	put_u32(b, DIPB_CACHE_RECORD_FORMAT);
	put_str(b, DIPB_BUILD_ID);
}

static uint32_t
rd32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static uint64_t
rd64(const unsigned char *p)
{
	return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

/* ---- tables by object id ---- */

/* The bytes of id (hex, n digits) into e; 0, or -1 if not an id. */
static int
parse_id(struct entry *e, const char *id, size_t n)
{
	if (n == 0 || n % 2 != 0 || n / 2 > ID_MAX ||
	    dipb_unhex(e->id, id, n / 2) < 0)
		return -1;
	e->idlen = n / 2;
	memset(e->id + e->idlen, 0, ID_MAX - e->idlen);
	return 0;
}

/* The id's first eight bytes, little-endian: the file's slots' key. */
static uint64_t
key_of(const struct entry *e)
{
	return rd64(e->id);
}

/* The slot of e's id: its entry's, or the free one where it would go. */
static struct slot *
find(const struct table *t, const struct entry *e)
{
	uint64_t k = key_of(e);
	size_t i;

	for (i = (size_t)k & (t->nslots - 1); t->slots[i].ix != 0;
	    i = (i + 1) & (t->nslots - 1))
		if (t->slots[i].key == k &&
		    t->v[t->slots[i].ix - 1].idlen == e->idlen &&
		    memcmp(t->v[t->slots[i].ix - 1].id, e->id, e->idlen) == 0)
			break;
	return &t->slots[i];
}

/* The entry of e's id, NULL if there is none. */
static struct entry *
lookup(const struct table *t, const struct entry *e)
{
	struct slot *s;

	if (t->nslots == 0 || (s = find(t, e))->ix == 0)
		return NULL;
	return &t->v[s->ix - 1];
}

/* Room for want entries in the table, at most half full. */
static void
reserve(struct table *t, size_t want)
{
	struct slot *old = t->slots;
	size_t oldn = t->nslots, i, k;

	if (want <= t->nslots / 2)
		return;
	t->nslots = t->nslots == 0 ? 64 : t->nslots;
	while (want > t->nslots / 2)
		t->nslots *= 2;
	t->slots = xcalloc(t->nslots, sizeof(*t->slots));
	for (i = 0; i < oldn; i++) {
		if (old[i].ix == 0)
			continue;
		for (k = (size_t)old[i].key & (t->nslots - 1);
		    t->slots[k].ix != 0; k = (k + 1) & (t->nslots - 1))
			;
		t->slots[k] = old[i];
	}
	free(old);
}

/* e added (its id not there yet); the copy kept. */
static struct entry *
add(struct table *t, const struct entry *e)
{
	struct slot *s;

	reserve(t, t->n + 1);
	xgrow((void **)&t->v, &t->cap, t->n + 1, sizeof(*t->v));
	t->v[t->n] = *e;
	s = find(t, e);
	s->key = key_of(e);
	s->ix = ++t->n;
	return &t->v[t->n - 1];
}

static void
table_release(struct table *t)
{
	size_t i;

	for (i = 0; i < t->n; i++) {
		free(t->v[i].own);
		free(t->v[i].mark);
	}
	free(t->v);
	free(t->slots);
	memset(t, 0, sizeof(*t));
}

/* ---- the file read ---- */

/* A string outside payloads: 0 and *s, *n set, or -1. */
static int
get_str(struct dipb_cache_rd *rd, const char **s, size_t *n)
{
	uint32_t len = get_u32(rd);

	*s = NULL;
	*n = 0;
	if (rd->bad)
		return -1;
	if (len == NONE)
		return 0;
	if (len > rd->left) {
		rd->bad = 1;
		return -1;
	}
	*s = (const char *)rd->p;
	*n = len;
	rd->p += len;
	rd->left -= len;
	return 0;
}

/*
 * The entries' part of the file, checked whole at its first use (a
 * dipb list that the file's walk serves reads none of it).
 */
static int
entries_ok(struct dipb_cache *c)
{
	if (c->file == NULL)
		return 0;
	if (c->echeck == 0)
		c->echeck = checksum((const unsigned char *)c->file +
		    c->estart, c->eend - c->estart) == c->esum ? 1 : -1;
	return c->echeck > 0;
}

/*
 * Entry i of the file: its blob id (hex, n digits), mark (NULL: none)
 * and payload, each checked to lie among the entries; 0, or -1.
 */
struct fentry {
	const char	*id, *mark, *data;
	size_t		 idlen, marklen, len;
};

static int
file_entry(struct dipb_cache *c, size_t i, struct fentry *f)
{
	struct dipb_cache_rd rd;
	size_t at;

	if (i >= c->count || !entries_ok(c))
		return -1;
	at = rd32(c->index + 4 * i);
	if (at < c->estart || at >= c->eend)
		return -1;
	dipb_cache_rd_init(&rd, c->file + at, c->eend - at, 0);
	if (get_str(&rd, &f->id, &f->idlen) != 0 || f->id == NULL ||
	    get_str(&rd, &f->mark, &f->marklen) != 0 ||
	    get_str(&rd, &f->data, &f->len) != 0 || f->data == NULL)
		return -1;
	return 0;
}

/* The index of the file's entry of blob id (e, and hex of n), or -1. */
static long
file_find(struct dipb_cache *c, const struct entry *e, const char *hex,
    size_t n)
{
	const unsigned char *s;
	struct fentry f;
	uint64_t k = key_of(e);
	size_t i, tries;
	uint32_t ix;

	if (c->fnslots == 0 || !entries_ok(c))
		return -1;
	i = (size_t)k & (c->fnslots - 1);
	for (tries = 0; tries < c->fnslots; tries++) {
		s = c->fslots + SLOT * i;
		if ((ix = rd32(s + 8)) == 0)
			return -1;
		if (rd64(s) == k && file_entry(c, ix - 1, &f) == 0 &&
		    f.idlen == n && memcmp(f.id, hex, n) == 0)
			return (long)ix - 1;
		i = (i + 1) & (c->fnslots - 1);
	}
	return -1;
}

static void
forget_file(struct dipb_cache *c)
{
	table_release(&c->trees);
	free(c->fstarts);
	c->fstarts = NULL;
	free(c->fheads);
	c->fheads = NULL;
	c->froot = NULL;
	c->nfwalk = 0;
	c->count = 0;
	c->fnslots = 0;
	c->ftrees = 0;
}

/* Where string s of the walk is (NOWHERE: NULL). */
static uint32_t
walk_at(const struct dipb_cache *c, const char *s)
{
	return s == NULL ? NOWHERE :
	    (uint32_t)((const unsigned char *)s - c->fwalk);
}

/*
 * The walk at rd, to its end: each record read, its head kept, so that
 * dipb_cache_heads and dipb_cache_all need check nothing, nor fail,
 * once they began, and a list reads each head once.
 */
static void
load_walk(struct dipb_cache *c, struct dipb_cache_rd *rd)
{
	struct dipb_cache_head head;
	struct dipb_cache_rd hd;
	unsigned char *seen;
	const char *h;
	size_t i, hlen;
	uint32_t k;
	unsigned flags;

	/*
	 * Each record takes 13 bytes at least (its place by id, its entry,
	 * flags and the head's length): no more heads than that are made
	 * room for, whatever n says.
	 */
	c->nfwalk = get_u32(rd);
	if (rd->bad || rd->left / 13 < c->nfwalk) {
		rd->bad = 1;
		return;
	}
	c->fsorted = rd->p;
	rd->p += 4 * (size_t)c->nfwalk;
	rd->left -= 4 * (size_t)c->nfwalk;
	c->fwalk = rd->p;
	c->fwalklen = rd->left;
	c->fstarts = xmalloc(((size_t)c->nfwalk + 1) * sizeof(*c->fstarts));
	c->fheads = xmalloc(((size_t)c->nfwalk + 1) * sizeof(*c->fheads));
	for (i = 0; i < c->nfwalk && !rd->bad; i++) {
		c->fstarts[i] = (uint32_t)(rd->p - c->fwalk);
		if (get_u32(rd) >= c->count)
			rd->bad = 1;
		flags = get_u8(rd);
		if (rd->bad || (flags & ~(unsigned)HEAD_PLAIN) != 0 ||
		    get_str(rd, &h, &hlen) != 0 || h == NULL) {
			rd->bad = 1;
			break;
		}
		/* A head said to be plain is found to be, not trusted. */
		dipb_cache_rd_init(&hd, h, hlen, 0);
		hd.plain = (flags & HEAD_PLAIN) != 0;
		if (dipb_cache_rec_head(&hd, &head) != 0) {
			rd->bad = 1;
			break;
		}
		c->fheads[i].id = walk_at(c, head.id);
		c->fheads[i].title = walk_at(c, head.title);
		c->fheads[i].wg = walk_at(c, head.wg);
		c->fheads[i].idlen = (uint32_t)head.idlen;
		c->fheads[i].titlelen = (uint32_t)head.titlelen;
		c->fheads[i].wglen = (uint32_t)head.wglen;
		c->fheads[i].status = (unsigned char)head.status;
		c->fheads[i].priority = (unsigned char)head.priority;
		c->fheads[i].plain = (unsigned char)hd.plain;
	}
	/* The order by id: each record once. */
	seen = xcalloc((size_t)c->nfwalk + 1, 1);
	for (i = 0; i < c->nfwalk && !rd->bad; i++)
		if ((k = rd32(c->fsorted + 4 * i)) >= c->nfwalk || seen[k]++)
			rd->bad = 1;
	free(seen);
}

/*
 * The file's parts checked and found (c->count, the trees into
 * c->trees); -1 (none kept) unless whole.  Its entries are checked at
 * their first use (entries_ok), and each read when looked up.
 */
static int
load(struct dipb_cache *c)
{
	struct dipb_buf want = DIPB_BUF_INIT;
	struct dipb_cache_rd rd;
	struct entry e;
	const unsigned char *fields;
	const char *s;
	size_t n, body, index_at;
	uint32_t i, ntrees, nslots;
	int ok;

	put_header(&want);
	ok = c->flen >= want.len + FIELDS + 16 &&
	    memcmp(c->file, want.ptr, want.len) == 0;
	fields = (const unsigned char *)c->file + want.len;
	body = want.len + FIELDS + 16;
	dipb_buf_release(&want);
	if (!ok)
		return -1;
	c->count = rd32(fields);
	ntrees = rd32(fields + 4);
	c->estart = body;
	c->eend = rd32(fields + 8);
	index_at = rd32(fields + 12);
	c->esum = rd64(fields + FIELDS + 8);
	if (c->eend < c->estart || index_at < c->eend || index_at > c->flen ||
	    sum_fields(checksum((const unsigned char *)c->file + c->eend,
	    c->flen - c->eend), fields) != rd64(fields + FIELDS))
		return -1;
	/* The index: count offsets, nslots, the slots, to the end. */
	if ((c->flen - index_at) / 4 <= c->count)
		return -1;
	c->index = (const unsigned char *)c->file + index_at;
	nslots = rd32(c->index + 4 * (size_t)c->count);
	if (nslots <= c->count || (nslots & (nslots - 1)) != 0 ||
	    c->flen - index_at - 4 * ((size_t)c->count + 1) !=
	    (size_t)nslots * SLOT)
		return -1;
	c->fslots = c->index + 4 * ((size_t)c->count + 1);
	c->fnslots = nslots;
	/* The key, then the trees, into a table: a few hundred. */
	dipb_cache_rd_init(&rd, c->file + c->eend, index_at - c->eend, 0);
	if (get_str(&rd, &s, &n) != 0 || s == NULL)
		return -1;
	c->samekey = n == strlen(c->key) && memcmp(s, c->key, n) == 0;
	memset(&e, 0, sizeof(e));
	for (i = 0; i < ntrees && !rd.bad; i++) {
		if (get_str(&rd, &s, &n) != 0 || s == NULL ||
		    parse_id(&e, s, n) != 0 || lookup(&c->trees, &e) != NULL ||
		    get_str(&rd, &e.data, &e.len) != 0 || e.data == NULL) {
			rd.bad = 1;
			break;
		}
		add(&c->trees, &e);
	}
	/* The walk, read by dipb_cache_all. */
	if (get_str(&rd, &c->froot, &c->frootlen) == 0 && c->froot != NULL)
		load_walk(c, &rd);
	if (rd.bad || rd.left != 0) {
		forget_file(c);
		return -1;
	}
	c->ftrees = c->trees.n;
	c->fused = xcalloc(c->count + 1, 1);
	return 0;
}

struct dipb_cache *
dipb_cache_open(struct dipb_repo *repo, const char *key)
{
	struct dipb_cache *c = xcalloc(1, sizeof(*c));
	const char *off = getenv("DIPB_NO_CACHE");

	c->repo = repo;
	c->key = xstrdup(key);
	dipb_buf_init(&c->out);
	dipb_buf_init(&c->heads);
	if (off != NULL) {
		c->off = 1;
		return c;
	}
	dipb_repo_derived_map(&c->file, &c->flen, repo, NAME, MAX_SIZE);
	if (c->file != NULL && load(c) != 0) {
		forget_file(c);
		dipb_repo_derived_unmap(c->file, c->flen);
		c->file = NULL;
	}
	if (c->file == NULL || !c->samekey)
		c->dirty = 1;	/* none, not to be trusted, or its marks old */
	return c;
}

/* ---- the file written ---- */

/* out begun: its header, fields and checksums to be filled in. */
static void
start_out(struct dipb_cache *c)
{
	unsigned k;

	if (c->out.len != 0 || c->base != 0)
		return;
	dipb_buf_grow(&c->out, 2 * CHUNK);
	put_header(&c->out);
	c->fields_at = c->out.len;
	for (k = 0; k < (FIELDS + 16) / 4; k++)
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

/* The checksum of what out held since sum_init; the next begun. */
static uint64_t
sum_part(struct dipb_cache *c)
{
	uint64_t sum;

	sum_more(c);
	sum = sum_end(c->lanes, (const unsigned char *)c->out.ptr +
	    c->summed, c->out.len - c->summed);
	sum_init(c->lanes);
	c->summed = c->out.len;
	return sum;
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

/* A string of n bytes at s (NULL: NONE) outside payloads. */
static void
put_strn(struct dipb_buf *b, const char *s, size_t n)
{
	if (s == NULL) {
		put_u32(b, NONE);
		return;
	}
	put_u32(b, (uint32_t)n);
	dipb_buf_put(b, s, n);
}

/* An entry of the new file begins here, of the id in e. */
static void
new_entry(struct dipb_cache *c, const struct entry *e)
{
	xgrow((void **)&c->noff, &c->noffcap, c->nn + 1, sizeof(*c->noff));
	xgrow((void **)&c->nkey, &c->nkeycap, c->nn + 1, sizeof(*c->nkey));
	c->noff[c->nn] = (uint32_t)(c->base + c->out.len);
	c->nkey[c->nn] = key_of(e);
	c->nn++;
}

/* The record of index ix (FROM_FILE: of the file) next in the walk. */
static void
walked(struct dipb_cache *c, uint32_t ix)
{
	xgrow((void **)&c->walk, &c->walkcap, c->nwalk + 1, sizeof(*c->walk));
	c->walk[c->nwalk++] = ix;
}

/* ---- the interface ---- */

int
dipb_cache_get(struct dipb_cache *c, const char *id, const char *path,
    enum dipb_cache_part part, struct dipb_record *out, int *taken)
{
	struct entry k, *e = NULL;
	struct fentry f;
	struct dipb_cache_rd rd;
	size_t n = strlen(id);
	long i = -1;

	*taken = 0;
	if (c == NULL || c->off || parse_id(&k, id, n) != 0)
		return 0;
	c->last = 0;
	if ((e = lookup(&c->puts, &k)) != NULL) {
		/* A record put and already written to sink: parsed again. */
		if (e->at < c->base)
			return 0;
		dipb_cache_rd_init(&rd, c->out.ptr + (e->at - c->base), e->len, 0);
		*taken = e->mark != NULL && strcmp(e->mark, path) == 0;
	} else {
		if (c->file == NULL || (i = file_find(c, &k, id, n)) < 0 ||
		    file_entry(c, (size_t)i, &f) != 0)
			return 0;
		dipb_cache_rd_init(&rd, f.data, f.len, 0);
		if (c->fmark != NULL && c->fmark[i] != NULL)
			*taken = strcmp(c->fmark[i], path) == 0;
		else
			*taken = c->samekey && f.mark != NULL &&
			    f.marklen == strlen(path) &&
			    memcmp(f.mark, path, f.marklen) == 0;
	}
	/* What is to be checked again is read whole. */
	if (dipb_cache_rec_get(&rd, out, *taken ? part : DIPB_CACHE_ALL) != 0) {
		/* Cannot be, past the checksum; but never trusted. */
		dipb_record_release(out);
		dipb_record_init(out);
		*taken = 0;
		return 0;
	}
	if (i >= 0) {
		if (!c->fused[i]) {
			c->fused[i] = 1;
			c->nfused++;
		}
		c->last = (size_t)i + 1;
		walked(c, FROM_FILE | (uint32_t)i);
	} else
		walked(c, e->ord);
	return 1;
}

void
dipb_cache_taken(struct dipb_cache *c, const char *path)
{
	size_t i;

	if (c == NULL || c->last == 0)
		return;
	i = c->last - 1;
	if (c->fmark == NULL)
		c->fmark = xcalloc(c->count, sizeof(*c->fmark));
	free(c->fmark[i]);
	c->fmark[i] = xstrdup(path);
	c->dirty = 1;
}

void
dipb_cache_put(struct dipb_cache *c, const char *id,
    const struct dipb_record *r, const char *path)
{
	struct entry e;
	size_t at, i, n = strlen(id);

	memset(&e, 0, sizeof(e));
	if (c == NULL || c->off)
		return;
	/* A record of the walk that is not put: no walk kept. */
	if (c->nowrite || parse_id(&e, id, n) != 0 ||
	    lookup(&c->puts, &e) != NULL ||
	    (c->file != NULL && file_find(c, &e, id, n) >= 0)) {
		c->broken = 1;
		return;
	}
	start_out(c);
	new_entry(c, &e);
	e.ord = (uint32_t)(c->nn - 1);
	walked(c, e.ord);
	put_str(&c->out, id);
	put_str(&c->out, path);
	at = c->out.len;
	put_u32(&c->out, 0);		/* the payload's length, next */
	dipb_cache_rec_put(&c->out, r);
	e.len = c->out.len - (at + 4);
	for (i = 0; i < 4; i++)
		c->out.ptr[at + i] = (char)(unsigned char)(e.len >> (8 * i));
	e.at = c->base + at + 4;
	e.mark = path != NULL ? xstrdup(path) : NULL;
	/* Its head, for the walk (put_walk): out may be gone by then. */
	xgrow((void **)&c->hoff, &c->hoffcap, e.ord + 2, sizeof(*c->hoff));
	c->hoff[e.ord] = c->heads.len;
	dipb_buf_put(&c->heads, c->out.ptr + at + 4,
	    dipb_cache_rec_head_len(c->out.ptr + at + 4, e.len));
	c->hoff[e.ord + 1] = c->heads.len;
	add(&c->puts, &e);
	c->dirty = 1;
	sum_more(c);
	flush(c);
}

/* Whether the file's walk is that of root, and can give part. */
static int
walk_is(struct dipb_cache *c, const char *root, enum dipb_cache_part part)
{
	return c != NULL && !c->off && c->file != NULL && c->samekey &&
	    c->froot != NULL && c->frootlen == strlen(root) &&
	    memcmp(c->froot, root, c->frootlen) == 0 &&
	    (part == DIPB_CACHE_HEAD || entries_ok(c));
}

int
dipb_cache_heads(struct dipb_cache *c, const char *root,
    void (*fn)(const struct dipb_cache_head *, void *), void *arg)
{
	struct dipb_cache_head head;
	const struct fhead *f;
	const char *w = (const char *)c->fwalk;
	size_t i;

	if (!walk_is(c, root, DIPB_CACHE_HEAD))
		return 0;
	/* As dipb_cache_all, without a record made of each; by id. */
	for (i = 0; i < c->nfwalk; i++) {
		f = &c->fheads[rd32(c->fsorted + 4 * i)];
		head.id = w + f->id;
		head.title = f->title != NOWHERE ? w + f->title : NULL;
		head.wg = f->wg != NOWHERE ? w + f->wg : NULL;
		head.idlen = f->idlen;
		head.titlelen = f->titlelen;
		head.wglen = f->wglen;
		head.status = (enum dipb_status)f->status;
		head.priority = (enum dipb_priority)f->priority;
		head.plain = f->plain;
		fn(&head, arg);
	}
	c->all = 1;
	return 1;
}

int
dipb_cache_all(struct dipb_cache *c, const char *root,
    enum dipb_cache_part part, void (*fn)(struct dipb_record *, void *),
    void *arg)
{
	struct fentry f;
	struct dipb_cache_rd rd, hd;
	struct dipb_record r;
	const char *h;
	size_t i, hlen;
	uint32_t ix;

	if (!walk_is(c, root, part))
		return 0;
	/*
	 * The walk is in the part of the file checked at open, each
	 * record's head in it; the rest of a record is read from its
	 * entry (entries_ok).  A record that does not read, in a file
	 * whose checksums hold, is one dipb did not write: left out, and
	 * the file made again.
	 */
	for (i = 0; part != DIPB_CACHE_HEAD && i < c->nfwalk; i++) {
		dipb_cache_rd_init(&rd, c->fwalk + c->fstarts[i], 4, 0);
		if (file_entry(c, get_u32(&rd), &f) != 0 || f.mark == NULL) {
			c->dirty = 1;	/* made again, the walk with it */
			return 0;
		}
	}
	dipb_cache_rd_init(&rd, c->fwalk, c->fwalklen, 0);
	for (i = 0; i < c->nfwalk && !rd.bad; i++) {
		ix = get_u32(&rd);
		(void)get_u8(&rd);	/* the head's flags */
		if (get_str(&rd, &h, &hlen) != 0 || h == NULL)
			break;
		dipb_record_init(&r);
		if (part == DIPB_CACHE_HEAD)
			dipb_cache_rd_init(&hd, h, hlen, 0);
		else if (file_entry(c, ix, &f) == 0 && f.mark != NULL)
			dipb_cache_rd_init(&hd, f.data, f.len, 0);
		else
			hd.bad = 1;
		if (hd.bad || dipb_cache_rec_get(&hd, &r, part) != 0 ||
		    (part != DIPB_CACHE_TEXT && hd.left != 0)) {
			dipb_record_release(&r);
			c->broken = 1;
			continue;
		}
		fn(&r, arg);
	}
	if (rd.bad || i < c->nfwalk || rd.left != 0 || c->broken)
		c->dirty = 1;	/* made again, the walk with it */
	else
		c->all = 1;
	return 1;
}

void
dipb_cache_walked(struct dipb_cache *c, const char *root)
{
	if (c != NULL && !c->off && !c->broken) {
		free(c->root);
		c->root = xstrdup(root);
	}
}

int
dipb_cache_tree(struct dipb_cache *c, const char *id, const char **data,
    size_t *len)
{
	struct entry k, *e;

	if (c == NULL || c->off || parse_id(&k, id, strlen(id)) != 0 ||
	    (e = lookup(&c->trees, &k)) == NULL)
		return 0;
	if (!e->used && e->own == NULL)
		c->ftrees_used++;
	e->used = 1;
	*data = e->data;
	*len = e->len;
	return 1;
}

void
dipb_cache_put_tree(struct dipb_cache *c, const char *id, const char *data,
    size_t len)
{
	struct entry e;

	memset(&e, 0, sizeof(e));
	if (c == NULL || c->off || parse_id(&e, id, strlen(id)) != 0 ||
	    lookup(&c->trees, &e) != NULL)
		return;
	e.own = xmalloc(len + 1);
	memcpy(e.own, data, len);
	e.data = e.own;
	e.len = len;
	e.used = 1;
	add(&c->trees, &e);
	c->dirty = 1;
}

/* The records of the file still at the tip, their marks as they are. */
static void
put_old(struct dipb_cache *c)
{
	struct fentry f;
	struct entry e;
	const char *mark;
	size_t i, n;

	c->fnew = xmalloc((c->count + 1) * sizeof(*c->fnew));
	for (i = 0; i < c->count; i++)
		c->fnew[i] = NONE;
	for (i = 0; i < c->count && !c->nowrite; i++) {
		if (!c->fused[i] || file_entry(c, i, &f) != 0 ||
		    parse_id(&e, f.id, f.idlen) != 0)
			continue;
		mark = c->samekey ? f.mark : NULL;
		n = f.marklen;
		if (c->fmark != NULL && c->fmark[i] != NULL) {
			mark = c->fmark[i];
			n = strlen(mark);
		}
		c->fnew[i] = (uint32_t)c->nn;
		new_entry(c, &e);
		put_strn(&c->out, f.id, f.idlen);
		put_strn(&c->out, mark, n);
		put_strn(&c->out, f.data, f.len);
		sum_more(c);
		flush(c);
	}
}

/* A record of the walk to write: its index, head, and id (sorting). */
struct witem {
	char		*id;		/* first: dipb_sort_by_id */
	uint32_t	 ix;
	const char	*h;
	size_t		 hlen;
	uint32_t	 n;		/* its place in the walk */
	unsigned char	 flags;		/* HEAD_PLAIN */
};

static const char *
witem_id(const void *w, void *arg)
{
	(void)arg;
	return ((const struct witem *)w)->id;
}

static int
cmp_n(const void *a, const void *b)
{
	const struct witem *x = a, *y = b;

	return x->n < y->n ? -1 : x->n > y->n;
}

/*
 * The walk of dipb_cache_walked: each record's index in the new file and
 * head, after their places in the order of their ids (dipb_sort_by_id,
 * the order of dipb list), so that dipb_cache_heads gives them sorted;
 * none when one of them is not there.
 */
static void
put_walk(struct dipb_cache *c)
{
	struct witem *w;
	struct fentry f;
	struct dipb_cache_rd rd;
	struct dipb_cache_head head;
	size_t i;
	uint32_t ix, old;

	for (i = 0; c->root != NULL && i < c->nwalk; i++)
		if (c->walk[i] & FROM_FILE && (c->fnew == NULL ||
		    c->fnew[c->walk[i] & ~FROM_FILE] == NONE))
			break;
	if (c->root == NULL || i < c->nwalk) {
		put_str(&c->out, NULL);
		return;
	}
	w = xcalloc(c->nwalk + 1, sizeof(*w));
	for (i = 0; i < c->nwalk; i++) {
		ix = c->walk[i];
		if (ix & FROM_FILE) {
			old = ix & ~FROM_FILE;
			ix = c->fnew[old];
			/* Read before, by dipb_cache_get: it reads. */
			if (file_entry(c, old, &f) != 0)
				f.data = NULL, f.len = 0;
			w[i].h = f.data != NULL ? f.data : "";
			w[i].hlen = f.data != NULL ? dipb_cache_rec_head_len(f.data, f.len) : 0;
		} else {
			w[i].h = c->heads.ptr + c->hoff[ix];
			w[i].hlen = c->hoff[ix + 1] - c->hoff[ix];
		}
		w[i].ix = ix;
		w[i].n = (uint32_t)i;
		dipb_cache_rd_init(&rd, w[i].h, w[i].hlen, 0);
		if (dipb_cache_rec_head(&rd, &head) == 0) {
			w[i].id = xstrndup(head.id, head.idlen);
			if (dipb_text_plain(head.id, head.idlen) &&
			    dipb_text_plain(head.title, head.titlelen) &&
			    dipb_text_plain(head.wg, head.wglen))
				w[i].flags = HEAD_PLAIN;
		} else
			w[i].id = xstrdup("");
	}
	put_str(&c->out, c->root);
	put_u32(&c->out, (uint32_t)c->nwalk);
	dipb_sort_by_id(w, c->nwalk, sizeof(*w), witem_id, NULL);
	for (i = 0; i < c->nwalk; i++)
		put_u32(&c->out, w[i].n);
	/* Back in the walk's order. */
	for (i = 0; i < c->nwalk; i++)
		free(w[i].id);
	qsort(w, c->nwalk, sizeof(*w), cmp_n);
	for (i = 0; i < c->nwalk && !c->nowrite; i++) {
		put_u32(&c->out, w[i].ix);
		dipb_buf_putc(&c->out, (char)w[i].flags);
		put_strn(&c->out, w[i].h, w[i].hlen);
		sum_more(c);
		flush(c);
	}
	free(w);
}

/* The trees at the tip, the walk, then the index of the entries. */
static void
put_rest(struct dipb_cache *c, uint32_t *ntrees, uint32_t *index_at)
{
	struct entry *e;
	struct slot *slots;
	unsigned char sl[SLOT];
	size_t i, k, nslots = 16;
	char hex[2 * ID_MAX + 1];

	put_str(&c->out, c->key);
	*ntrees = 0;
	for (i = 0; i < c->trees.n && !c->nowrite; i++) {
		if (!(e = &c->trees.v[i])->used)
			continue;
		dipb_hex(hex, e->id, e->idlen);
		put_strn(&c->out, hex, 2 * e->idlen);
		put_strn(&c->out, e->data, e->len);
		(*ntrees)++;
		sum_more(c);
		flush(c);
	}
	put_walk(c);
	*index_at = (uint32_t)(c->base + c->out.len);
	for (i = 0; i < c->nn; i++)
		put_u32(&c->out, c->noff[i]);
	while (nslots <= 2 * c->nn)
		nslots *= 2;
	put_u32(&c->out, (uint32_t)nslots);
	slots = xcalloc(nslots, sizeof(*slots));
	for (i = 0; i < c->nn; i++) {
		for (k = (size_t)c->nkey[i] & (nslots - 1); slots[k].ix != 0;
		    k = (k + 1) & (nslots - 1))
			;
		slots[k].key = c->nkey[i];
		slots[k].ix = i + 1;
	}
	for (i = 0; i < nslots && !c->nowrite; i++) {
		for (k = 0; k < 8; k++)
			sl[k] = (unsigned char)(slots[i].key >> (8 * k));
		le32(sl + 8, (uint32_t)slots[i].ix);
		dipb_buf_put(&c->out, (const char *)sl, SLOT);
		if (i % 1024 == 1023) {
			sum_more(c);
			flush(c);
		}
	}
	free(slots);
}

void
dipb_cache_close(struct dipb_cache *c, struct dipb_repo *repo)
{
	struct dipb_buf *out;
	unsigned char tail[FIELDS + 16];
	uint32_t ntrees = 0, eend = 0, index_at = 0;
	uint64_t esum = 0, sum;
	size_t i;
	int keep;

	if (c == NULL)
		return;
	out = &c->out;
	/* Rewritten when anything was added, marked, or left the tip. */
	keep = repo != NULL && !c->off && !c->nowrite &&
	    (c->all ? c->dirty : c->dirty || c->nfused != c->count ||
	    c->ftrees_used != c->ftrees || c->root != NULL) &&
	    (c->puts.n > 0 || c->nfused > 0 || c->trees.n > 0);
	if (keep) {
		start_out(c);
		if (c->file != NULL)
			put_old(c);
		eend = (uint32_t)(c->base + out->len);
		esum = sum_part(c);
		put_rest(c, &ntrees, &index_at);
		keep = !c->nowrite;
	}
	if (keep) {
		le32(tail, (uint32_t)c->nn);
		le32(tail + 4, ntrees);
		le32(tail + 8, eend);
		le32(tail + 12, index_at);
		sum = sum_fields(sum_part(c), tail);
		for (i = 0; i < 8; i++) {
			tail[FIELDS + i] = (unsigned char)(sum >> (8 * i));
			tail[FIELDS + 8 + i] = (unsigned char)(esum >> (8 * i));
		}
		if (c->sink == NULL) {
			memcpy(out->ptr + c->fields_at, tail, sizeof(tail));
			dipb_repo_derived_write(repo, NAME, out->ptr,
			    out->len);
		} else {
			dipb_derived_put(c->sink, out->ptr, out->len);
			dipb_derived_patch(c->sink, c->fields_at,
			    (const char *)tail, sizeof(tail));
		}
	}
	if (c->sink != NULL)
		dipb_error_free(dipb_derived_end(c->sink, keep));
	dipb_buf_release(out);
	dipb_buf_release(&c->heads);
	if (c->fmark != NULL)
		for (i = 0; i < c->count; i++)
			free(c->fmark[i]);
	free(c->fmark);
	free(c->fused);
	free(c->fstarts);
	free(c->fheads);
	free(c->fnew);
	free(c->walk);
	free(c->root);
	free(c->hoff);
	free(c->noff);
	free(c->nkey);
	table_release(&c->puts);
	table_release(&c->trees);
	dipb_repo_derived_unmap(c->file, c->flen);
	free(c->key);
	free(c);
}

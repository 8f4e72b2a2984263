/*
 * git/packdelta.c - a tree that a pack stores as a delta of the tree read
 * just before it, made from that tree's bytes (internal.h): treediff.c's
 * along a line of history, tree.c's cached_tree for a folder read at one
 * commit after its version at another (dipb diff, report minutes).  Both
 * read through the one set of packs of the repository, opened at the
 * first such read and closed with it (dipb_repo_close); like the rest of
 * a dipb_repo, it is used by one thread at a time: a pack's count of
 * searches (struct pack) is not locked.
 *
 * git gc stores each version of recommendations/ as a delta of the one
 * before it, in chains of up to 50.  libgit2 keeps in its cache the
 * object at the bottom of a chain only, so every read of a tree applied
 * the whole chain again: 25 deltas of 400 KB on average at 10,000
 * records, 1.2 MB at 30,000, for each commit that verify replays.  Along
 * a line of history the tree before is in hand, so when the pack's entry
 * is a delta of exactly that tree (git's "ofs-delta" or "ref-delta" whose
 * base is that object), the delta alone is inflated and applied, as git's
 * own cache of delta bases spares it.  The first tree of a line (the
 * checkpoint's, for verify --since) is read down its chain here too, each
 * step freed once the next is made from it, where libgit2 took a fresh
 * allocation (fresh pages) for each.  Anything else (a loose object, a
 * delta of another object, a chain that leaves its pack, an index or
 * pack this does not read, any damage) is left to libgit2, which reads
 * it as before.
 *
 * Formats (git's Documentation/gitformat-pack.txt): an .idx of version 2
 * (magic, version, 256 fan-out counts, the sorted ids, their CRCs, their
 * 31-bit offsets, then the 64-bit ones); a .pack entry's header (type and
 * size, 7 bits a byte), a base offset or id, then the zlib stream of the
 * delta: the base's and result's sizes, then copy and insert commands.
 */
#include <sys/mman.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "internal.h"
#include "../util.h"

#define OBJ_OFS_DELTA	6
#define OBJ_REF_DELTA	7

/*
 * The largest object or delta read here, as a pack entry's header or a
 * delta's says it (a tree of a board is a few megabytes at most): a size
 * past it is damage, left to libgit2, never allocated.
 */
#define MAX_SIZE	((size_t)1 << 30)

/*
 * An index is mapped; its first searches read its ids and offsets by
 * pread (a run of ids and an offset: each page of a mapping touched for
 * the first time is a page fault, some 10 us on this kind of virtual
 * machine, and a search of 22 MB of ids touched a few), the later ones
 * the mapping, whose pages a whole replay touches again and again;
 * a pack is read by pread, a few hundred bytes a delta: a mapping would
 * count every page of a 266 MB pack that a whole replay reads in its
 * resident size.
 */
struct pack {
	const unsigned char	*idx;
	size_t			 idxlen;
	int			 ifd;		/* the index's */
	uint32_t		 searches;	/* finds so far (find) */
	int			 fd;
	uint64_t		 len;
	uint32_t		 n;		/* objects */
};

struct dipb_git_packs {
	struct pack	*v;
	size_t		 n;
	size_t		 cap;
};

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

/* The file at path mapped whole; NULL when it cannot be. */
static const unsigned char *
map_file(const char *path, size_t *len)
{
	struct stat st;
	void *p;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return NULL;
	if (fstat(fd, &st) == -1 || st.st_size <= 0 ||
	    (uintmax_t)st.st_size > SIZE_MAX) {
		close(fd);
		return NULL;
	}
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return NULL;
	*len = (size_t)st.st_size;
	return p;
}

/* Adds the pack whose index is at path (".idx" at its end), if sound. */
static void
add_pack(struct dipb_git_packs *ps, const char *path)
{
	unsigned char head[12];
	struct stat st;
	struct pack p;
	char *pack;
	size_t plen = strlen(path);
	uint64_t need;

	memset(&p, 0, sizeof(p));
	p.fd = -1;
	if ((p.idx = map_file(path, &p.idxlen)) == NULL)
		return;
	if ((p.ifd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		goto bad;
	if (p.idxlen < 8 + 256 * 4 + 40 ||
	    memcmp(p.idx, "\377tOc", 4) != 0 || be32(p.idx + 4) != 2)
		goto bad;
	p.n = be32(p.idx + 8 + 255 * 4);
	need = 8 + 256 * 4 + (uint64_t)p.n * (20 + 4 + 4) + 40;
	if (p.idxlen < need)
		goto bad;
	pack = xasprintf("%.*s.pack", (int)(plen - 4), path);
	p.fd = open(pack, O_RDONLY | O_CLOEXEC);
	free(pack);
	if (p.fd == -1 || fstat(p.fd, &st) == -1 || st.st_size < 12 + 20 ||
	    pread(p.fd, head, sizeof(head), 0) != (ssize_t)sizeof(head) ||
	    memcmp(head, "PACK", 4) != 0 || be32(head + 8) != p.n)
		goto bad;
	p.len = (uint64_t)st.st_size;
	xgrow((void **)&ps->v, &ps->cap, ps->n + 1, sizeof(*ps->v));
	ps->v[ps->n++] = p;
	return;
bad:
	if (p.fd != -1)
		close(p.fd);
	if (p.ifd != -1)
		close(p.ifd);
	munmap((void *)(uintptr_t)p.idx, p.idxlen);
}

static void
add_dir(struct dipb_git_packs *ps, const char *objects)
{
	char *dir = xasprintf("%s/pack", objects), *path;
	struct dirent *d;
	size_t n;
	DIR *dp;

	if ((dp = opendir(dir)) != NULL) {
		while ((d = readdir(dp)) != NULL) {
			n = strlen(d->d_name);
			if (n <= 4 || strcmp(d->d_name + n - 4, ".idx") != 0)
				continue;
			path = xasprintf("%s/%s", dir, d->d_name);
			add_pack(ps, path);
			free(path);
		}
		closedir(dp);
	}
	free(dir);
}

static struct dipb_git_packs *
packs_open(struct dipb_repo *r)
{
	struct dipb_git_packs *ps = xcalloc(1, sizeof(*ps));
	char *dir = dipb_git_objects_dir(r);
	size_t i;

	/* Where libgit2 reads objects: a hook's quarantine included. */
	dir[strlen(dir) - 1] = '\0';	/* its '/' */
	add_dir(ps, dir);
	free(dir);
	/* The alternates libgit2 was given, as it was given them: a
	 * relative one from the top, not from where dipb was started. */
	for (i = 0; i < r->env_alts.n; i++)
		add_dir(ps, r->env_alts.v[i]);
	return ps;
}

struct dipb_git_packs *
dipb_git_packs(struct dipb_repo *r)
{
	if (r->packs == NULL)
		r->packs = packs_open(r);
	return r->packs;
}

void
dipb_git_packs_free(struct dipb_git_packs *ps)
{
	size_t i;

	if (ps == NULL)
		return;
	for (i = 0; i < ps->n; i++) {
		munmap((void *)(uintptr_t)ps->v[i].idx, ps->v[i].idxlen);
		close(ps->v[i].ifd);
		close(ps->v[i].fd);
	}
	free(ps->v);
	free(ps);
}

/* len bytes of the index at off into buf; -1 when they are not there. */
static int
idx_read(const struct pack *p, void *buf, size_t len, uint64_t off)
{
	ssize_t got;

	if (off > p->idxlen || len > p->idxlen - off)
		return -1;
	while ((got = pread(p->ifd, buf, len, (off_t)off)) == -1 &&
	    errno == EINTR)
		continue;
	return got == (ssize_t)len ? 0 : -1;
}

/* Ids read around the guess: SHA-1s are nearly even, it is most often. */
#define RUN	64
/* Searches by pread: a verify --since of 100 commits makes some 500. */
#define SEARCHES_READ	2048

/* find() in the mapping: a binary search. */
static uint64_t
find_mapped(const struct pack *p, const unsigned char *id)
{
	const unsigned char *fan = p->idx + 8, *ids = fan + 256 * 4;
	const unsigned char *offs = ids + (size_t)p->n * 24, *big;
	uint32_t lo = id[0] > 0 ? be32(fan + (id[0] - 1) * 4) : 0;
	uint32_t hi = be32(fan + id[0] * 4), mid, k;
	uint64_t off;
	int c;

	if (hi > p->n || lo > hi)
		return 0;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((c = memcmp(ids + (size_t)mid * 20, id, 20)) == 0) {
			off = be32(offs + (size_t)mid * 4);
			if (off & 0x80000000u) {
				k = (uint32_t)off & 0x7fffffffu;
				big = offs + (size_t)p->n * 4;
				if ((size_t)(big - p->idx) + ((size_t)k + 1) *
				    8 + 40 > p->idxlen)
					return 0;
				off = (uint64_t)be32(big + (size_t)k * 8) << 32 |
				    be32(big + (size_t)k * 8 + 4);
			}
			return off >= 12 && off < p->len - 20 ? off : 0;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* The offset of object id in p; 0 when it is not there (or unsound). */
static uint64_t
find(struct pack *p, const unsigned char *id)
{
	const unsigned char *fan = p->idx + 8;
	const uint64_t ids = 8 + 256 * 4, offs = ids + (uint64_t)p->n * 24;
	uint32_t lo = id[0] > 0 ? be32(fan + (id[0] - 1) * 4) : 0;
	uint32_t hi = be32(fan + id[0] * 4), mid, k, g, a, b, at = 0;
	unsigned char run[RUN * 20], one[20], o[8];
	uint64_t off, big;
	int c, found = 0;

	if (p->searches >= SEARCHES_READ)
		return find_mapped(p, id);
	p->searches++;
	if (hi > p->n || lo > hi || lo == hi)
		return 0;
	/* Where id would be if the ids were even, and a run around it. */
	g = lo + (uint32_t)(((uint64_t)(hi - lo) * be32(id + 1)) >> 32);
	a = g - lo > RUN / 2 ? g - RUN / 2 : lo;
	b = hi - a > RUN ? a + RUN : hi;
	if (idx_read(p, run, (size_t)(b - a) * 20, ids + (uint64_t)a * 20) < 0)
		return 0;
	if (memcmp(run, id, 20) > 0)
		hi = a;
	else if (memcmp(run + (size_t)(b - a - 1) * 20, id, 20) < 0)
		lo = b;
	else {
		for (lo = 0, hi = b - a; !found && lo < hi; ) {
			mid = lo + (hi - lo) / 2;
			if ((c = memcmp(run + (size_t)mid * 20, id, 20)) == 0) {
				at = a + mid;
				found = 1;
			} else if (c < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (!found)
			return 0;
	}
	/* Else halving the rest, an id read a step. */
	while (!found && lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (idx_read(p, one, 20, ids + (uint64_t)mid * 20) < 0)
			return 0;
		if ((c = memcmp(one, id, 20)) == 0) {
			at = mid;
			found = 1;
		} else if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!found || idx_read(p, o, 4, offs + (uint64_t)at * 4) < 0)
		return 0;
	off = be32(o);
	if (off & 0x80000000u) {
		k = (uint32_t)off & 0x7fffffffu;
		big = offs + (uint64_t)p->n * 4 + (uint64_t)k * 8;
		if (big + 8 + 40 > p->idxlen || idx_read(p, o, 8, big) < 0)
			return 0;
		off = (uint64_t)be32(o) << 32 | be32(o + 4);
	}
	return off >= 12 && off < p->len - 20 ? off : 0;
}

/* A size of a delta's header, 7 bits a byte; -1 when it runs out. */
static int
delta_size(size_t *out, const unsigned char **p, const unsigned char *end)
{
	size_t v = 0;
	unsigned shift = 0;
	unsigned char c;

	do {
		if (*p >= end || shift > 56)
			return -1;
		c = *(*p)++;
		v |= (size_t)(c & 0x7f) << shift;
		shift += 7;
	} while (c & 0x80);
	*out = v;
	return 0;
}

/*
 * The delta d applied to base: the result (caller frees), NULL if bad;
 * made in buf (NULL: none), which it takes, grown as needed.
 */
static char *
apply(size_t *outlen, const unsigned char *d, size_t dlen, const char *base,
    size_t blen, char *buf)
{
	const unsigned char *p = d, *end = d + dlen;
	size_t src, dst, o = 0, off, n;
	unsigned char c;
	char *out;
	int i;

	/*
	 * The sizes its header claims, checked before anything is made: the
	 * base's against the base in hand, the result's against MAX_SIZE and
	 * against what the commands can make (a copy, of at most 16 MiB,
	 * takes 4 bytes of the delta at least).
	 */
	if (delta_size(&src, &p, end) < 0 || delta_size(&dst, &p, end) < 0 ||
	    src != blen || dst > MAX_SIZE || dst / ((size_t)1 << 22) > dlen) {
		free(buf);
		return NULL;
	}
	out = xrealloc(buf, dst > 0 ? dst : 1);
	while (p < end) {
		c = *p++;
		if (c & 0x80) {
			off = n = 0;
			for (i = 0; i < 4; i++)
				if (c & (1u << i)) {
					if (p >= end)
						goto bad;
					off |= (size_t)*p++ << (8 * i);
				}
			for (i = 0; i < 3; i++)
				if (c & (0x10u << i)) {
					if (p >= end)
						goto bad;
					n |= (size_t)*p++ << (8 * i);
				}
			if (n == 0)
				n = 0x10000;
			if (off > blen || n > blen - off || n > dst - o)
				goto bad;
			memcpy(out + o, base + off, n);
		} else if (c != 0) {
			n = c;
			if (n > (size_t)(end - p) || n > dst - o)
				goto bad;
			memcpy(out + o, p, n);
			p += n;
		} else
			goto bad;
		o += n;
	}
	if (o != dst)
		goto bad;
	*outlen = dst;
	return out;
bad:
	free(out);
	return NULL;
}

/*
 * The n bytes of the zlib stream at offset off of p (before its trailing
 * checksum), read a block at a time; NULL if bad.  n, as the entry's
 * header claims it, is allocated only when the rest of the pack could
 * hold it: deflate makes at most 1032 bytes of one.
 */
static unsigned char *
inflate_at(const struct pack *p, uint64_t off, size_t n)
{
	unsigned char *out, in[4096];
	uint64_t end = p->len - 20;
	z_stream z;
	ssize_t got;
	int rc = Z_OK;

	if (off >= end || n / 1032 > end - off)
		return NULL;
	out = xmalloc(n > 0 ? n : 1);
	memset(&z, 0, sizeof(z));
	if (inflateInit(&z) != Z_OK) {
		free(out);
		return NULL;
	}
	z.next_out = out;
	z.avail_out = (unsigned)n;
	while (rc == Z_OK && off < end) {
		got = pread(p->fd, in, end - off < sizeof(in) ?
		    (size_t)(end - off) : sizeof(in), (off_t)off);
		if (got <= 0)
			break;
		off += (uint64_t)got;
		z.next_in = in;
		z.avail_in = (unsigned)got;
		rc = inflate(&z, Z_NO_FLUSH);
	}
	if (rc != Z_STREAM_END || z.total_out != n) {
		free(out);
		out = NULL;
	}
	inflateEnd(&z);
	return out;
}

/* One entry of a pack, as its header says. */
struct entry {
	unsigned	 type;		/* 1 to 4, or OBJ_*_DELTA */
	size_t		 size;		/* of the object, or of the delta */
	uint64_t	 data;		/* where its zlib stream starts */
	uint64_t	 base;		/* OBJ_OFS_DELTA: its base's offset */
	unsigned char	 base_id[20];	/* OBJ_REF_DELTA: its base's id */
};

/* The header of the entry at offset at of p; -1 when it is unsound. */
static int
entry_at(struct entry *e, const struct pack *p, uint64_t at)
{
	unsigned char head[48], c;
	const unsigned char *q = head, *end;
	unsigned shift = 4;
	uint64_t ofs;
	ssize_t got;

	/* At most 10 bytes of type and size, then 10 or 20 of its base. */
	if (at >= p->len - 20 || (got = pread(p->fd, head, p->len - 20 - at <
	    sizeof(head) ? (size_t)(p->len - 20 - at) : sizeof(head),
	    (off_t)at)) <= 0)
		return -1;
	end = head + got;
	c = *q++;
	e->type = (c >> 4) & 7;
	e->size = c & 15;
	while (c & 0x80) {
		if (q >= end || shift > 56)
			return -1;
		c = *q++;
		e->size |= (size_t)(c & 0x7f) << shift;
		shift += 7;
	}
	if (e->size > UINT_MAX || e->size > MAX_SIZE)
		return -1;
	if (e->type == OBJ_OFS_DELTA) {
		if (q >= end)
			return -1;
		c = *q++;
		ofs = c & 127;
		while (c & 128) {
			if (q >= end || ofs >= (uint64_t)1 << 56)
				return -1;
			c = *q++;
			ofs = ((ofs + 1) << 7) | (c & 127);
		}
		if (ofs == 0 || ofs > at - 12)
			return -1;
		e->base = at - ofs;
	} else if (e->type == OBJ_REF_DELTA) {
		if (end - q < 20)
			return -1;
		memcpy(e->base_id, q, 20);
		q += 20;
	} else if (e->type < 1 || e->type > 4)
		return -1;
	if (q >= end)
		return -1;
	e->data = at + (uint64_t)(q - head);
	return 0;
}

/* The offset of e's base in p; 0 when it is not there. */
static uint64_t
base_at(struct pack *p, const struct entry *e)
{
	return e->type == OBJ_OFS_DELTA ? e->base : find(p, e->base_id);
}

/* id's object made from base, when p stores it as a delta of base. */
static char *
from_pack(size_t *outlen, struct pack *p, uint64_t at,
    const git_oid *base, const char *bdata, size_t blen, char *buf)
{
	struct entry e;
	unsigned char *delta;
	char *out;

	if (entry_at(&e, p, at) < 0 || (e.type == OBJ_OFS_DELTA ?
	    e.base != find(p, base->id) : e.type != OBJ_REF_DELTA ||
	    memcmp(e.base_id, base->id, 20) != 0) ||
	    (delta = inflate_at(p, e.data, e.size)) == NULL) {
		free(buf);
		return NULL;
	}
	out = apply(outlen, delta, e.size, bdata, blen, buf);
	buf = NULL;
	free(delta);
	return out;
}

char *
dipb_git_packs_delta(size_t *outlen, struct dipb_git_packs *ps,
    const git_oid *id, const git_oid *base, const char *bdata, size_t blen,
    char *buf)
{
	uint64_t at;
	size_t i;

	for (i = 0; i < ps->n; i++)
		if ((at = find(&ps->v[i], id->id)) != 0)
			return from_pack(outlen, &ps->v[i], at, base, bdata,
			    blen, buf);
	free(buf);
	return NULL;
}

/* The deepest chain read: git's own default depth is 50. */
#define MAX_DEPTH	4096

char *
dipb_git_packs_tree(size_t *outlen, struct dipb_git_packs *ps,
    const git_oid *id)
{
	struct pack *p = NULL;
	struct entry *chain = NULL;
	unsigned char *delta;
	uint64_t at = 0, *offs = NULL;
	size_t i, n = 0, cap = 0, capo = 0, len;
	char *out = NULL, *next;

	for (i = 0; i < ps->n && at == 0; i++)
		if ((at = find(&ps->v[i], id->id)) != 0)
			p = &ps->v[i];
	/*
	 * The chain from the entry down to a whole object, in this pack;
	 * then that object inflated and each delta applied on the way up,
	 * each result freed once the next is made from it.
	 */
	while (at != 0 && n < MAX_DEPTH) {
		xgrow((void **)&chain, &cap, n + 1, sizeof(*chain));
		xgrow((void **)&offs, &capo, n + 1, sizeof(*offs));
		if (entry_at(&chain[n], p, at) < 0)
			goto done;
		offs[n] = at;
		if (chain[n].type != OBJ_OFS_DELTA &&
		    chain[n].type != OBJ_REF_DELTA)
			break;
		at = base_at(p, &chain[n]);
		for (i = 0; i <= n && at != 0; i++)
			if (offs[i] == at)
				at = 0;		/* a loop: not git's */
		n++;
	}
	if (at == 0 || n == MAX_DEPTH || chain[n].type != 2 /* tree */)
		goto done;
	if ((out = (char *)inflate_at(p, chain[n].data, chain[n].size)) ==
	    NULL)
		goto done;
	len = chain[n].size;
	while (n-- > 0) {
		if ((delta = inflate_at(p, chain[n].data, chain[n].size)) ==
		    NULL) {
			free(out);
			out = NULL;
			goto done;
		}
		next = apply(&len, delta, chain[n].size, out, len, NULL);
		free(delta);
		free(out);
		if ((out = next) == NULL)
			goto done;
	}
	*outlen = len;
done:
	free(chain);
	free(offs);
	return out;
}

/*
 * gen_history.c - writes on stdout a git fast-import stream of a board's
 * whole history, for bench/verify.sh: board/1-created, then N records each
 * taken through E state changes (drafted, edited, review-requested,
 * reviewed, endorsed, submitted, decided, then action-updated as often as
 * E asks), one commit and one annotated tag per change with dipb's
 * subject, trailers and identities, and reviews whose fingerprints are
 * right, so that dipb verify finds the history clean.  The drafts come
 * first, then the other changes round-robin over the records, so that the
 * folder has its full size for most of the history.  Built against dipb's
 * own objects, so the records are exactly what dipb writes.
 *
 * "-l N" makes a lived-in board instead (bench/scale.sh): the records
 * have as many changes as a board of some years has, by the cycle of ten
 * in lived[] (from a draft to a decision whose action was updated, 5.3
 * on average: 1 + 5.3 N commits and as many tags), record 1 with seven.
 * "-S" puts the records in the sharded layout of dipb-board(5)
 * (recommendations/IC/01/IC-0150.yaml, "layout: sharded" in dipb.yaml),
 * for the stream only: git fast-import is quick with its small trees.
 * "-V" prints the version of what this program writes, which bench/
 * scale.sh keys the boards it keeps by: change GEN_VERSION whenever the
 * stream changes.
 *
 * Signed boards, in two steps, since git fast-import cannot write a
 * commit's signature: "-k DIR" makes an ed25519 key for each member with
 * libcrypto (EVP_PKEY_keygen), puts its public key in the members' keys:
 * of dipb.yaml, writes the private keys (DIR/<email>.pem) and the
 * allowed-signers file git reads (DIR/allowed_signers), and leaves the
 * tags out of the stream; then "-s DIR REPO" rewrites the branch main of
 * the imported repository, signing every commit and making every tag
 * signed, as git does with gpg.format=ssh (a gpgsig header; a signature
 * after the tag's message), in-process: the SSHSIG signed data of
 * src/sshsig.c, signed with EVP_DigestSign.
 *
 * "-P REPO" writes the same history straight into the repository REPO
 * (made by git init) instead: one pack and its index, the tags as sorted
 * packed-refs with their peeled commits, refs/heads/main.  The objects are
 * those git fast-import makes of the stream (the same ids), packed as git
 * gc packs them: each version of the recommendations/ tree stored as a
 * delta of the one before, in chains of at most 50 (pack.depth).  git
 * fast-import sorts the whole folder's entries again for every commit and
 * searches a delta against its last version: a board of 30,000 records
 * (159,001 commits) took it some eight hours on this 2-core machine;
 * written here, the tree is only spliced and hashed.
 *
 * usage: gen_history [-S] [-k DIR] N E (N records, E changes each, 1-100)
 *        gen_history [-S] [-k DIR] -l N (N records, the lived-in mix)
 *        gen_history -P REPO N E | -P REPO -l N
 *        gen_history -s DIR REPO
 *        gen_history -V
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <fcntl.h>
#include <stdint.h>
#include <unistd.h>

#include <git2.h>
#include <git2/sys/mempack.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <zlib.h>

#include "record.h"
#include "sshsig.h"
#include "util.h"

static const char board_head[] =
    "board: Bench Production Board\n"
    "submit_to: National Armaments Directors\n"
    "working_groups:\n"
    "  - key: industrial-capacity\n"
    "    prefix: IC\n"
    "    name: Industrial Capacity\n"
    "classifications:\n"
    "  - NATO UNCLASSIFIED\n"
    "review:\n"
    "  quorum: 2\n";

struct who {
	const char	*name;
	const char	*email;
	const char	*role;
};

static const struct who chair = { "Clara Chair", "chair@example.org",
    "chair" };
static const struct who secretary = { "Sam Secretary",
    "secretary@example.org", "secretary" };
static const struct who drafter = { "Dan Drafter", "dan@example.org",
    "drafter" };
static const struct who rev1 = { "Rita Reviewer", "rita@example.org",
    "reviewer" };
static const struct who rev2 = { "Rolf Reviewer", "rolf@example.org",
    "reviewer" };
static const struct who *const members[] = { &chair, &secretary, &drafter,
    &rev1, &rev2 };
#define NMEMBERS	(sizeof(members) / sizeof(members[0]))

#define GEN_VERSION	"1"

/*
 * The changes of record i (from 0) on a lived-in board, by i % 10: still
 * a draft, in review, endorsed, submitted, decided (7) and decided with
 * its action updated (8).
 */
static const unsigned long lived[10] = { 7, 1, 3, 4, 5, 5, 6, 7, 7, 8 };

static long long when = 1767261600;	/* 2026-01-01 10:00 UTC */
static unsigned long mark;
static int with_tags = 1;		/* 0: -k, the tags made by -s */
static enum dipb_layout layout = DIPB_LAYOUT_FLAT;	/* -S: sharded */

static void
data(const char *s, size_t len)
{
	printf("data %zu\n", len);
	fwrite(s, 1, len, stdout);
	putchar('\n');
}

/* Seconds between two changes. */
#define STEP	37

/*
 * The date of the next change (change() moves the clock by STEP first):
 * the dates a change writes are its own (dipb verify, rule date).
 */
static char *
today(void)
{
	long long days = (when + STEP) / 86400 - 20454;	/* since 2026-01-01 */
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int m = 0;

	days %= 365;
	while (days >= mdays[m])
		days -= mdays[m++];
	return xasprintf("2026-%02d-%02lld", m + 1, days + 1);
}

static void
die(const char *what)
{
	fprintf(stderr, "gen_history: %s\n", what);
	exit(1);
}

/* ---- writing a pack (-P) ------------------------------------------- */

#define PACK_DEPTH	50	/* git's pack.depth */
#define OBJ_COMMIT	1
#define OBJ_TREE	2
#define OBJ_BLOB	3
#define OBJ_TAG		4
#define OBJ_OFS_DELTA	6

struct pobj {
	unsigned char	 id[20];
	uint32_t	 crc;
	uint64_t	 off;
};

/* A file of a tree: its name and its blob's id. */
struct pent {
	char		*name;
	unsigned char	 id[20];
	size_t		 off;		/* of id in pk.tree */
};

struct ptag {
	char		*ref;
	unsigned char	 tag[20];
	unsigned char	 commit[20];
};

static struct {
	int		 fd;		/* the pack being written; -1: not -P */
	char		*dir;		/* REPO/.git */
	unsigned char	*out;		/* what is not written yet */
	size_t		 outlen;
	uint64_t	 off;		/* the pack's length so far */
	uint32_t	 crc;		/* of the object being written */
	struct pobj	*objs;		/* the objects, as written */
	size_t		 nobjs, capobjs;
	size_t		*set;		/* open addressing: index + 1 */
	size_t		 capset;
	struct pent	*root, *recs;	/* the two trees, sorted */
	size_t		 nroot, nrecs, caprecs;
	struct dipb_buf	 tree, prev;	/* recommendations/, now and before */
	uint64_t	 prevoff;	/* prev's object */
	int		 depth;		/* prev's in its delta chain */
	int		 have_prev, have_parent;
	unsigned char	 parent[20];
	struct ptag	*tags;
	size_t		 ntags, captags;
	EVP_MD_CTX	*md;
	z_stream	 zs;
	unsigned char	*z;		/* deflate's output */
	size_t		 zcap;
} pk = { .fd = -1 };

#define PACK_OUTBUF	(1 << 20)

static void
pack_flush(void)
{
	size_t done = 0;
	ssize_t w;

	while (done < pk.outlen) {
		if ((w = write(pk.fd, pk.out + done, pk.outlen - done)) < 0)
			die("cannot write the pack");
		done += (size_t)w;
	}
	pk.outlen = 0;
}

static void
pack_put(const void *p, size_t n)
{
	pk.crc = (uint32_t)crc32(pk.crc, p, (uInt)n);
	pk.off += n;
	if (pk.outlen + n > PACK_OUTBUF)
		pack_flush();
	if (n > PACK_OUTBUF) {
		if (write(pk.fd, p, n) != (ssize_t)n)
			die("cannot write the pack");
		return;
	}
	memcpy(pk.out + pk.outlen, p, n);
	pk.outlen += n;
}

static void
object_id(unsigned char id[20], int type, const void *p, size_t n)
{
	static const char *const names[] = { "", "commit", "tree", "blob",
	    "tag" };
	char head[32];
	int hl = snprintf(head, sizeof(head), "%s %zu", names[type], n);

	if (EVP_DigestInit_ex(pk.md, EVP_sha1(), NULL) != 1 ||
	    EVP_DigestUpdate(pk.md, head, (size_t)hl + 1) != 1 ||
	    EVP_DigestUpdate(pk.md, p, n) != 1 ||
	    EVP_DigestFinal_ex(pk.md, id, NULL) != 1)
		die("cannot hash an object");
}

static size_t
id_hash(const unsigned char id[20], size_t cap)
{
	uint64_t h;

	memcpy(&h, id, sizeof(h));
	return (size_t)(h & (cap - 1));
}

/* The index of the object id in pk.objs, or -1 when not written. */
static long
pack_find(const unsigned char id[20])
{
	size_t i, k;

	if (pk.capset == 0)
		return -1;
	for (i = id_hash(id, pk.capset); (k = pk.set[i]) != 0;
	    i = (i + 1) & (pk.capset - 1))
		if (memcmp(pk.objs[k - 1].id, id, 20) == 0)
			return (long)(k - 1);
	return -1;
}

static void
pack_remember(const unsigned char id[20])
{
	size_t i, j, *old = pk.set, oldcap = pk.capset;

	if (2 * (pk.nobjs + 1) > pk.capset) {
		pk.capset = pk.capset ? 2 * pk.capset : 1 << 16;
		pk.set = xcalloc(pk.capset, sizeof(*pk.set));
		for (j = 0; j < oldcap; j++) {
			if (old[j] == 0)
				continue;
			for (i = id_hash(pk.objs[old[j] - 1].id, pk.capset);
			    pk.set[i] != 0; i = (i + 1) & (pk.capset - 1))
				;
			pk.set[i] = old[j];
		}
		free(old);
	}
	xgrow((void **)&pk.objs, &pk.capobjs, pk.nobjs + 1, sizeof(*pk.objs));
	memcpy(pk.objs[pk.nobjs].id, id, 20);
	pk.objs[pk.nobjs].off = pk.off;
	pk.nobjs++;
	for (i = id_hash(id, pk.capset); pk.set[i] != 0;
	    i = (i + 1) & (pk.capset - 1))
		;
	pk.set[i] = pk.nobjs;
}

/*
 * Writes one entry of the pack: type, the length of data, for a delta
 * the distance back to its base, then data deflated.  The object (whose
 * id is id) must not be in the pack yet.
 */
static void
pack_entry(const unsigned char id[20], int type, const void *data,
    size_t len, uint64_t base)
{
	unsigned char h[32];
	uLongf zlen;
	size_t hl = 0, n = len, pos;
	uint64_t d;

	pack_remember(id);
	pk.crc = (uint32_t)crc32(0, NULL, 0);
	h[hl++] = (unsigned char)((n > 15 ? 0x80 : 0) | type << 4 | (n & 15));
	for (n >>= 4; n != 0; n >>= 7)
		h[hl++] = (unsigned char)((n > 127 ? 0x80 : 0) | (n & 127));
	pack_put(h, hl);
	if (type == OBJ_OFS_DELTA) {
		/* git's offset encoding: base 128, each more byte adds 1 */
		d = pk.objs[pk.nobjs - 1].off - base;
		pos = sizeof(h) - 1;
		h[pos] = (unsigned char)(d & 127);
		while (d >>= 7)
			h[--pos] = (unsigned char)(0x80 | (--d & 127));
		pack_put(h + pos, sizeof(h) - pos);
	}
	/* one deflate stream for all: compress2's own, made and freed for
	 * each object, had brk(2) take most of the time */
	zlen = deflateBound(&pk.zs, (uLong)len);
	if (zlen > pk.zcap) {
		pk.zcap = zlen;
		pk.z = xrealloc(pk.z, pk.zcap);
	}
	pk.zs.next_in = (Bytef *)(uintptr_t)data;
	pk.zs.avail_in = (uInt)len;
	pk.zs.next_out = pk.z;
	pk.zs.avail_out = (uInt)zlen;
	if (deflate(&pk.zs, Z_FINISH) != Z_STREAM_END)
		die("cannot deflate an object");
	pack_put(pk.z, zlen - pk.zs.avail_out);
	if (deflateReset(&pk.zs) != Z_OK)
		die("cannot deflate an object");
	pk.objs[pk.nobjs - 1].crc = pk.crc;
}

/* An object written whole unless already in the pack; its id to id. */
static void
pack_object(unsigned char id[20], int type, const void *data, size_t len)
{
	object_id(id, type, data, len);
	if (pack_find(id) < 0)
		pack_entry(id, type, data, len, 0);
}

static void
delta_size(struct dipb_buf *d, size_t n)
{
	do {
		dipb_buf_putc(d, (char)((n > 127 ? 0x80 : 0) | (n & 127)));
		n >>= 7;
	} while (n != 0);
}

/* A delta's instruction to copy n bytes at off of the base. */
static void
delta_copy(struct dipb_buf *d, size_t off, size_t n)
{
	unsigned char op[8];
	size_t k = 1;
	int i;

	if (n == 0 || n > 0xffffff || off > 0xffffffff)
		die("a delta copy out of range");
	op[0] = 0x80;
	for (i = 0; i < 4; i++)
		if ((off >> (8 * i)) & 0xff) {
			op[0] |= (unsigned char)(1 << i);
			op[k++] = (unsigned char)(off >> (8 * i));
		}
	for (i = 0; i < 3; i++)
		if ((n >> (8 * i)) & 0xff) {
			op[0] |= (unsigned char)(0x10 << i);
			op[k++] = (unsigned char)(n >> (8 * i));
		}
	dipb_buf_put(d, (const char *)op, k);
}

/*
 * The recommendations/ tree written: whole at the start of a chain, else
 * as a delta of the version before (what is common at both ends copied,
 * the rest inserted), as git gc leaves a board's pack.
 */
static void
pack_rec_tree(unsigned char id[20])
{
	struct dipb_buf d = DIPB_BUF_INIT;
	const char *a = pk.prev.ptr, *b = pk.tree.ptr;
	size_t la = pk.prev.len, lb = pk.tree.len, p = 0, s = 0, i, k;

	object_id(id, OBJ_TREE, b, lb);
	if (pack_find(id) >= 0)
		return;
	if (!pk.have_prev || pk.depth >= PACK_DEPTH) {
		pk.prevoff = pk.off;
		pack_entry(id, OBJ_TREE, b, lb, 0);
		pk.depth = 0;
	} else {
		while (p < la && p < lb && a[p] == b[p])
			p++;
		while (s < la - p && s < lb - p && a[la - 1 - s] ==
		    b[lb - 1 - s])
			s++;
		delta_size(&d, la);
		delta_size(&d, lb);
		if (p > 0)
			delta_copy(&d, 0, p);
		for (i = p; i < lb - s; i += k) {
			k = lb - s - i > 127 ? 127 : lb - s - i;
			dipb_buf_putc(&d, (char)k);
			dipb_buf_put(&d, b + i, k);
		}
		if (s > 0)
			delta_copy(&d, la - s, s);
		k = pk.off;
		pack_entry(id, OBJ_OFS_DELTA, d.ptr, d.len, pk.prevoff);
		pk.prevoff = k;
		pk.depth++;
		dipb_buf_release(&d);
	}
	dipb_buf_clear(&pk.prev);
	dipb_buf_put(&pk.prev, b, lb);
	pk.have_prev = 1;
}

/*
 * Sets name's blob in the sorted tree (*ents, *n entries); returns its
 * index, or -1 when it is a new entry.
 */
static long
tree_set(struct pent **ents, size_t *n, size_t *cap, const char *name,
    const unsigned char id[20])
{
	size_t lo = 0, hi = *n, mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((c = strcmp((*ents)[mid].name, name)) == 0) {
			memcpy((*ents)[mid].id, id, 20);
			return (long)mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	xgrow((void **)ents, cap, *n + 1, sizeof(**ents));
	memmove(*ents + lo + 1, *ents + lo, (*n - lo) * sizeof(**ents));
	(*ents)[lo].name = xstrdup(name);
	memcpy((*ents)[lo].id, id, 20);
	(*n)++;
	return -1;
}

/* The tree of files ents, its ids' offsets noted. */
static void
tree_text(struct dipb_buf *t, struct pent *ents, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		dipb_buf_put(t, "100644 ", 7);
		dipb_buf_put(t, ents[i].name, strlen(ents[i].name) + 1);
		ents[i].off = t->len;
		dipb_buf_put(t, (const char *)ents[i].id, 20);
	}
}

static void
hex(char out[41], const unsigned char id[20])
{
	static const char digits[] = "0123456789abcdef";
	int i;

	for (i = 0; i < 20; i++) {
		out[2 * i] = digits[id[i] >> 4];
		out[2 * i + 1] = digits[id[i] & 15];
	}
	out[40] = '\0';
}

/* change()'s commit and tag, written into the pack. */
static void
pack_change(const struct who *w, const char *record, unsigned long n,
    const char *event, const char *subject, const char *msg,
    const char *const *files, size_t nfiles)
{
	static const char recdir[] = "recommendations/";
	static size_t caproot;
	struct dipb_buf t = DIPB_BUF_INIT;
	unsigned char id[20], tree[20], recs[20];
	char h[41];
	size_t i;
	long k;
	int added = 0;

	/* recommendations/ rewritten when a record is added, else only the
	 * changed ids (printing 30,000 entries a commit was most of -P's
	 * time) */
	for (i = 0; i < nfiles; i++) {
		pack_object(id, OBJ_BLOB, files[2 * i + 1],
		    strlen(files[2 * i + 1]));
		if (strncmp(files[2 * i], recdir, sizeof(recdir) - 1) == 0) {
			k = tree_set(&pk.recs, &pk.nrecs, &pk.caprecs,
			    files[2 * i] + sizeof(recdir) - 1, id);
			if (k < 0)
				added = 1;
			else if (!added)
				memcpy(pk.tree.ptr + pk.recs[k].off, id, 20);
		} else if (strchr(files[2 * i], '/') == NULL &&
		    strcmp(files[2 * i], "recommendations") < 0)
			tree_set(&pk.root, &pk.nroot, &caproot, files[2 * i],
			    id);
		else
			die("a file -P cannot place");
	}
	tree_text(&t, pk.root, pk.nroot);
	if (pk.nrecs > 0) {
		if (added) {
			dipb_buf_clear(&pk.tree);
			tree_text(&pk.tree, pk.recs, pk.nrecs);
		}
		pack_rec_tree(recs);
		dipb_buf_puts(&t, "40000 recommendations");
		dipb_buf_put(&t, "", 1);
		dipb_buf_put(&t, (const char *)recs, 20);
	}
	pack_object(tree, OBJ_TREE, t.ptr, t.len);

	/* the commit, as git fast-import writes it */
	dipb_buf_clear(&t);
	hex(h, tree);
	dipb_buf_printf(&t, "tree %s\n", h);
	if (pk.have_parent) {
		hex(h, pk.parent);
		dipb_buf_printf(&t, "parent %s\n", h);
	}
	dipb_buf_printf(&t, "author %s <%s> %lld +0000\n", w->name, w->email,
	    when);
	dipb_buf_printf(&t, "committer %s <%s> %lld +0000\n\n%s", w->name,
	    w->email, when, msg);
	pack_object(pk.parent, OBJ_COMMIT, t.ptr, t.len);
	pk.have_parent = 1;

	/* its tag */
	xgrow((void **)&pk.tags, &pk.captags, pk.ntags + 1, sizeof(*pk.tags));
	pk.tags[pk.ntags].ref = xasprintf("refs/tags/%s/%lu-%s", record, n,
	    event);
	dipb_buf_clear(&t);
	hex(h, pk.parent);
	dipb_buf_printf(&t, "object %s\ntype commit\ntag %s\n"
	    "tagger %s <%s> %lld +0000\n\n%s\n", h,
	    pk.tags[pk.ntags].ref + strlen("refs/tags/"), w->name, w->email,
	    when, subject);
	pack_object(pk.tags[pk.ntags].tag, OBJ_TAG, t.ptr, t.len);
	memcpy(pk.tags[pk.ntags].commit, pk.parent, 20);
	pk.ntags++;
	dipb_buf_release(&t);
}

static void
pack_begin(const char *repo)
{
	char *path;

	pk.dir = xasprintf("%s/.git", repo);
	path = xasprintf("%s/objects/pack/tmp_gen_history.pack", pk.dir);
	if ((pk.fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0444)) < 0)
		die("cannot make the pack (is REPO made by git init?)");
	free(path);
	if ((pk.md = EVP_MD_CTX_new()) == NULL)
		die("no SHA-1");
	if (deflateInit(&pk.zs, Z_DEFAULT_COMPRESSION) != Z_OK)
		die("cannot deflate");
	pk.out = xmalloc(PACK_OUTBUF);
	pack_put("PACK\0\0\0\2\0\0\0\0", 12);	/* its count at the end */
}

static int
cmp_pobj(const void *a, const void *b)
{
	return memcmp(((const struct pobj *)a)->id,
	    ((const struct pobj *)b)->id, 20);
}

static int
cmp_ptag(const void *a, const void *b)
{
	return strcmp(((const struct ptag *)a)->ref,
	    ((const struct ptag *)b)->ref);
}

static void
be32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/*
 * The pack finished (its count in its header, its SHA-1 after it), its
 * index (version 2) written beside it, both renamed to pack-<SHA-1>; the
 * tags' packed-refs and refs/heads/main.
 */
static void
pack_end(void)
{
	struct dipb_buf idx = DIPB_BUF_INIT;
	unsigned char sum[20], b4[4], *buf;
	uint32_t fan[256] = { 0 }, nlarge = 0;
	char h[41], t[41], *path, *final;
	ssize_t r;
	size_t i;
	FILE *f;

	pack_flush();
	/* the header's count, then the whole pack read back and hashed */
	be32(b4, (uint32_t)pk.nobjs);
	if (pwrite(pk.fd, b4, 4, 8) != 4 || lseek(pk.fd, 0, SEEK_SET) != 0 ||
	    EVP_DigestInit_ex(pk.md, EVP_sha1(), NULL) != 1)
		die("cannot finish the pack");
	buf = xmalloc(PACK_OUTBUF);
	while ((r = read(pk.fd, buf, PACK_OUTBUF)) > 0)
		if (EVP_DigestUpdate(pk.md, buf, (size_t)r) != 1)
			die("cannot hash the pack");
	free(buf);
	if (r < 0 || EVP_DigestFinal_ex(pk.md, sum, NULL) != 1 ||
	    write(pk.fd, sum, 20) != 20 || fsync(pk.fd) != 0 ||
	    close(pk.fd) != 0)
		die("cannot finish the pack");
	hex(h, sum);

	qsort(pk.objs, pk.nobjs, sizeof(*pk.objs), cmp_pobj);
	dipb_buf_put(&idx, "\377tOc\0\0\0\2", 8);
	for (i = 0; i < pk.nobjs; i++)
		fan[pk.objs[i].id[0]]++;
	for (i = 0; i < 256; i++) {
		if (i > 0)
			fan[i] += fan[i - 1];
		be32(b4, fan[i]);
		dipb_buf_put(&idx, (const char *)b4, 4);
	}
	for (i = 0; i < pk.nobjs; i++)
		dipb_buf_put(&idx, (const char *)pk.objs[i].id, 20);
	for (i = 0; i < pk.nobjs; i++) {
		be32(b4, pk.objs[i].crc);
		dipb_buf_put(&idx, (const char *)b4, 4);
	}
	for (i = 0; i < pk.nobjs; i++) {
		if (pk.objs[i].off < 0x80000000u)
			be32(b4, (uint32_t)pk.objs[i].off);
		else
			be32(b4, 0x80000000u | nlarge++);
		dipb_buf_put(&idx, (const char *)b4, 4);
	}
	for (i = 0; i < pk.nobjs; i++)
		if (pk.objs[i].off >= 0x80000000u) {
			be32(b4, (uint32_t)(pk.objs[i].off >> 32));
			dipb_buf_put(&idx, (const char *)b4, 4);
			be32(b4, (uint32_t)pk.objs[i].off);
			dipb_buf_put(&idx, (const char *)b4, 4);
		}
	dipb_buf_put(&idx, (const char *)sum, 20);
	if (EVP_Digest(idx.ptr, idx.len, sum, NULL, EVP_sha1(), NULL) != 1)
		die("cannot hash the index");
	dipb_buf_put(&idx, (const char *)sum, 20);

	path = xasprintf("%s/objects/pack/tmp_gen_history.idx", pk.dir);
	if ((f = fopen(path, "w")) == NULL ||
	    fwrite(idx.ptr, 1, idx.len, f) != idx.len || fclose(f) != 0)
		die("cannot write the pack's index");
	final = xasprintf("%s/objects/pack/pack-%s.pack", pk.dir, h);
	{
		char *tmp = xasprintf("%s/objects/pack/tmp_gen_history.pack",
		    pk.dir);

		if (rename(tmp, final) != 0)
			die("cannot rename the pack");
		free(tmp);
	}
	free(final);
	final = xasprintf("%s/objects/pack/pack-%s.idx", pk.dir, h);
	if (rename(path, final) != 0)
		die("cannot rename the pack's index");
	free(final);
	free(path);
	dipb_buf_release(&idx);

	qsort(pk.tags, pk.ntags, sizeof(*pk.tags), cmp_ptag);
	path = xasprintf("%s/packed-refs", pk.dir);
	if ((f = fopen(path, "w")) == NULL)
		die("cannot write packed-refs");
	fputs("# pack-refs with: peeled fully-peeled sorted \n", f);
	for (i = 0; i < pk.ntags; i++) {
		hex(h, pk.tags[i].tag);
		hex(t, pk.tags[i].commit);
		fprintf(f, "%s %s\n^%s\n", h, pk.tags[i].ref, t);
		free(pk.tags[i].ref);
	}
	if (fclose(f) != 0)
		die("cannot write packed-refs");
	free(path);
	path = xasprintf("%s/refs/heads/main", pk.dir);
	hex(h, pk.parent);
	if ((f = fopen(path, "w")) == NULL || fprintf(f, "%s\n", h) < 0 ||
	    fclose(f) != 0)
		die("cannot write refs/heads/main");
	free(path);

	for (i = 0; i < pk.nroot; i++)
		free(pk.root[i].name);
	for (i = 0; i < pk.nrecs; i++)
		free(pk.recs[i].name);
	free(pk.root);
	free(pk.recs);
	free(pk.tags);
	free(pk.objs);
	free(pk.set);
	free(pk.out);
	deflateEnd(&pk.zs);
	free(pk.z);
	free(pk.dir);
	dipb_buf_release(&pk.tree);
	dipb_buf_release(&pk.prev);
	EVP_MD_CTX_free(pk.md);
}

/* One commit and its tag: the files (path, content pairs) given. */
static void
change(const struct who *w, const char *record, unsigned long n,
    const char *event, const char *status, const char *subject,
    const char *const *files, size_t nfiles)
{
	struct dipb_buf msg = DIPB_BUF_INIT;
	size_t i;

	when += STEP;
	dipb_buf_printf(&msg, "%s\n\nDipb-Record: %s\nDipb-Event: %s\n",
	    subject, record, event);
	if (status != NULL)
		dipb_buf_printf(&msg, "Dipb-Status: %s\n", status);
	if (pk.fd >= 0) {
		pack_change(w, record, n, event, subject, msg.ptr, files,
		    nfiles);
		dipb_buf_release(&msg);
		return;
	}
	printf("commit refs/heads/main\nmark :%lu\n", ++mark);
	printf("author %s <%s> %lld +0000\n", w->name, w->email, when);
	printf("committer %s <%s> %lld +0000\n", w->name, w->email, when);
	data(msg.ptr, msg.len);
	if (mark > 1)
		printf("from :%lu\n", mark - 1);
	for (i = 0; i < nfiles; i++) {
		printf("M 100644 inline %s\n", files[2 * i]);
		data(files[2 * i + 1], strlen(files[2 * i + 1]));
	}
	if (!with_tags) {
		dipb_buf_release(&msg);
		return;
	}
	printf("tag %s/%lu-%s\nfrom :%lu\n", record, n, event, mark);
	printf("tagger %s <%s> %lld +0000\n", w->name, w->email, when);
	dipb_buf_clear(&msg);
	dipb_buf_printf(&msg, "%s\n", subject);
	data(msg.ptr, msg.len);
	dipb_buf_release(&msg);
}

static void
record_change(struct dipb_record *r, const struct who *w, unsigned long n,
    const char *event, enum dipb_status from, const char *subject)
{
	struct dipb_buf y = DIPB_BUF_INIT;
	const char *files[2];
	char *path = dipb_record_path_in(layout, r->id), *st;

	free(r->updated);
	r->updated = today();
	dipb_record_emit(r, &y);
	st = xasprintf("%s -> %s", from == DIPB_STATUS_NONE ? "none" :
	    dipb_status_name(from), dipb_status_name(r->status));
	files[0] = path;
	files[1] = y.ptr;
	change(w, r->id, n, event, st, subject, files, 1);
	free(st);
	free(path);
	dipb_buf_release(&y);
}

static void
add_review(struct dipb_record *r, const struct who *w)
{
	char fp[DIPB_FINGERPRINT_LEN + 1];
	struct dipb_review *rv;

	dipb_record_fingerprint(r, fp);
	r->reviews = xrealloc(r->reviews, (r->nreviews + 1) *
	    sizeof(*r->reviews));
	rv = &r->reviews[r->nreviews++];
	memset(rv, 0, sizeof(*rv));
	rv->reviewer = xstrdup(w->email);
	rv->date = today();
	rv->verdict = DIPB_VERDICT_ENDORSE;
	rv->fingerprint = xstrdup(fp);
}

/* Change k (from 1) of record r. */
static void
step(struct dipb_record *r, unsigned long k)
{
	enum dipb_status from = r->status;
	char *s;

	switch (k) {
	case 1:
		r->status = DIPB_STATUS_DRAFT;
		r->created = today();
		s = xasprintf("%s: drafted by %s", r->id, drafter.name);
		record_change(r, &drafter, k, "drafted", DIPB_STATUS_NONE, s);
		break;
	case 2:
		free(r->summary);
		r->summary = xasprintf("Revised summary of %s: the demand "
		    "signal, the framework contracts and the surge options "
		    "that industry asked for in the consultations.\n", r->id);
		s = xasprintf("%s: edited by %s", r->id, drafter.name);
		record_change(r, &drafter, k, "edited", from, s);
		break;
	case 3:
		r->status = DIPB_STATUS_IN_REVIEW;
		s = xasprintf("%s: review requested by %s", r->id,
		    drafter.name);
		record_change(r, &drafter, k, "review-requested", from, s);
		break;
	case 4:
		add_review(r, &rev1);
		s = xasprintf("%s: endorsed by %s (1/2)", r->id, rev1.name);
		record_change(r, &rev1, k, "reviewed", from, s);
		break;
	case 5:
		add_review(r, &rev2);
		r->status = DIPB_STATUS_ENDORSED;
		s = xasprintf("%s: endorsed by %s (2/2)", r->id, rev2.name);
		record_change(r, &rev2, k, "endorsed", from, s);
		break;
	case 6:
		r->status = DIPB_STATUS_SUBMITTED;
		r->submission = xcalloc(1, sizeof(*r->submission));
		r->submission->date = today();
		r->submission->to = xstrdup("National Armaments Directors");
		r->submission->reference = xstrdup("CNAD-2026-05");
		s = xasprintf("%s: submitted to National Armaments Directors "
		    "(CNAD-2026-05)", r->id);
		record_change(r, &secretary, k, "submitted", from, s);
		break;
	case 7:
		r->status = DIPB_STATUS_DECIDED;
		r->decision = xcalloc(1, sizeof(*r->decision));
		r->decision->date = today();
		r->decision->outcome = DIPB_OUTCOME_AGREED;
		s = xasprintf("%s: decided: agreed", r->id);
		record_change(r, &secretary, k, "decided", from, s);
		break;
	default:
		r->actions[0].state = r->actions[0].state == DIPB_ACTION_DONE ?
		    DIPB_ACTION_OPEN : DIPB_ACTION_DONE;
		s = xasprintf("%s: action 1 %s", r->id,
		    dipb_action_state_name(r->actions[0].state));
		record_change(r, &secretary, k, "action-updated", from, s);
		break;
	}
	free(s);
}

/* ---- signing ------------------------------------------------------ */

/* An ed25519 key's wire blob: string "ssh-ed25519", string key. */
static void
key_blob(struct dipb_buf *out, EVP_PKEY *pkey)
{
	unsigned char pub[32];
	size_t len = sizeof(pub);

	if (EVP_PKEY_get_raw_public_key(pkey, pub, &len) != 1 || len != 32)
		die("cannot read an ed25519 public key");
	dipb_buf_put(out, "\0\0\0\x0bssh-ed25519\0\0\0\x20", 19);
	dipb_buf_put(out, (const char *)pub, len);
}

/* The members' keys made, written to dir; their lines into keys[]. */
static void
make_keys(const char *dir, char *keys[NMEMBERS])
{
	struct dipb_buf blob = DIPB_BUF_INIT;
	EVP_PKEY_CTX *kctx;
	EVP_PKEY *pkey;
	FILE *f, *allowed;
	unsigned char *b64;
	char *path;
	size_t i;

	path = xasprintf("%s/allowed_signers", dir);
	if ((allowed = fopen(path, "w")) == NULL)
		die("cannot write allowed_signers");
	free(path);
	for (i = 0; i < NMEMBERS; i++) {
		pkey = NULL;
		if ((kctx = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, NULL)) ==
		    NULL || EVP_PKEY_keygen_init(kctx) != 1 ||
		    EVP_PKEY_keygen(kctx, &pkey) != 1)
			die("cannot make an ed25519 key");
		EVP_PKEY_CTX_free(kctx);
		path = xasprintf("%s/%s.pem", dir, members[i]->email);
		if ((f = fopen(path, "w")) == NULL ||
		    PEM_write_PrivateKey(f, pkey, NULL, NULL, 0, NULL,
		    NULL) != 1 || fclose(f) != 0)
			die("cannot write a private key");
		free(path);
		dipb_buf_clear(&blob);
		key_blob(&blob, pkey);
		b64 = xmalloc(blob.len * 2 + 4);
		EVP_EncodeBlock(b64, (unsigned char *)blob.ptr, (int)blob.len);
		keys[i] = xasprintf("ssh-ed25519 %s", (char *)b64);
		fprintf(allowed, "%s namespaces=\"git\" %s\n",
		    members[i]->email, keys[i]);
		free(b64);
		EVP_PKEY_free(pkey);
	}
	if (fclose(allowed) != 0)
		die("cannot write allowed_signers");
	dipb_buf_release(&blob);
}

struct signer {
	const char	*email;
	EVP_PKEY	*pkey;
	struct dipb_buf	 blob;
};

/* Appends to out the armored signature of signer s over msg. */
static void
sign(struct dipb_buf *out, struct signer *s, const char *msg, size_t len)
{
	struct dipb_buf data = DIPB_BUF_INIT, sig = DIPB_BUF_INIT;
	unsigned char raw[64];
	size_t rawlen = sizeof(raw);
	EVP_MD_CTX *ctx;

	if (dipb_sshsig_signed_data(&data, DIPB_SSHSIG_NAMESPACE, "sha512",
	    msg, len) < 0 || (ctx = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestSignInit(ctx, NULL, NULL, NULL, s->pkey) != 1 ||
	    EVP_DigestSign(ctx, raw, &rawlen, (unsigned char *)data.ptr,
	    data.len) != 1)
		die("cannot sign");
	EVP_MD_CTX_free(ctx);
	dipb_buf_put(&sig, "\0\0\0\x0bssh-ed25519\0\0\0\x40", 19);
	dipb_buf_put(&sig, (const char *)raw, rawlen);
	dipb_sshsig_armor(out, (unsigned char *)s->blob.ptr, s->blob.len,
	    DIPB_SSHSIG_NAMESPACE, "sha512", (unsigned char *)sig.ptr,
	    sig.len);
	dipb_buf_release(&data);
	dipb_buf_release(&sig);
}

/* The value of header or trailer key (with its ": " or " ") in
 * [p, end), up to the end of its line; NULL when absent. */
static char *
line_value(const char *p, const char *end, const char *key)
{
	size_t n = strlen(key);
	const char *nl;

	for (; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if ((size_t)(nl - p) > n && memcmp(p, key, n) == 0)
			return xstrndup(p + n, (size_t)(nl - p) - n);
	}
	return NULL;
}

static struct signer *
signer_of(struct signer *signers, const char *person)
{
	size_t i;

	for (i = 0; i < NMEMBERS; i++)
		if (strstr(person, signers[i].email) != NULL)
			return &signers[i];
	die("a commit by nobody of the board");
	return NULL;
}

/* A tag made: packed-refs wants them sorted by name. */
struct newtag {
	char	*ref;
	char	 tag[GIT_OID_HEXSZ + 1];
	char	 commit[GIT_OID_HEXSZ + 1];
};

static int
cmp_tag(const void *a, const void *b)
{
	return strcmp(((const struct newtag *)a)->ref,
	    ((const struct newtag *)b)->ref);
}

/*
 * Rewrites the first-parent history of main in repo, signing every
 * commit, and makes the tag <record>/<N>-<event> of each, signed.  The
 * objects are made in memory (libgit2's mempack) and written as one pack,
 * the tags as packed-refs, as git gc leaves them: 20,000 loose objects and
 * 10,000 loose refs would take longer than the rest.
 */
static int
sign_history(const char *dir, const char *path)
{
	struct signer signers[NMEMBERS];
	struct dipb_buf buf = DIPB_BUF_INIT, armor = DIPB_BUF_INIT;
	git_repository *repo;
	git_revwalk *walk;
	git_odb *odb;
	git_odb_backend *mempack;
	git_packbuilder *pb;
	struct newtag *tags = NULL;
	size_t ntags = 0, captags = 0;
	git_odb_object *obj;
	git_reference *ref;
	git_oid id, parent, cid, tid;
	const char *p, *end, *body, *nl;
	char hex[GIT_OID_HEXSZ + 1], *rec, *ev, *who, *name, *pem;
	unsigned long n, *numbers = NULL, nrecs = 0, r;
	size_t i, hlen;
	int have_parent = 0;
	FILE *f;

#ifdef __GLIBC__
	/*
	 * zlib's and libcrypto's buffers, made and freed for each object,
	 * would otherwise go back to the system each time: on a loaded
	 * machine, brk and munmap were most of the time.
	 */
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
	mallopt(M_TRIM_THRESHOLD, 256 << 20);
	mallopt(M_TOP_PAD, 64 << 20);
#endif
	for (i = 0; i < NMEMBERS; i++) {
		signers[i].email = members[i]->email;
		pem = xasprintf("%s/%s.pem", dir, members[i]->email);
		if ((f = fopen(pem, "r")) == NULL ||
		    (signers[i].pkey = PEM_read_PrivateKey(f, NULL, NULL,
		    NULL)) == NULL)
			die("cannot read a private key");
		fclose(f);
		free(pem);
		dipb_buf_init(&signers[i].blob);
		key_blob(&signers[i].blob, signers[i].pkey);
	}
	git_libgit2_init();
	if (git_repository_open(&repo, path) < 0 ||
	    git_repository_odb(&odb, repo) < 0 ||
	    git_mempack_new(&mempack) < 0 ||
	    git_odb_add_backend(odb, mempack, 1000) < 0 ||
	    git_revwalk_new(&walk, repo) < 0 ||
	    git_revwalk_push_ref(walk, "refs/heads/main") < 0)
		die("cannot open the repository");
	if (git_packbuilder_new(&pb, repo) < 0)
		die("cannot make a pack");
	git_revwalk_simplify_first_parent(walk);
	git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE);
	while (git_revwalk_next(&id, walk) == 0) {
		if (git_odb_read(&obj, odb, &id) < 0)
			die("cannot read a commit");
		p = git_odb_object_data(obj);
		end = p + git_odb_object_size(obj);
		body = strstr(p, "\n\n");
		if (body == NULL || (size_t)(body - p) >= git_odb_object_size(obj))
			die("a commit without a message");
		body += 2;
		/* The commit again: its tree, the new parent, the rest. */
		dipb_buf_clear(&buf);
		nl = memchr(p, '\n', (size_t)(end - p));
		dipb_buf_put(&buf, p, (size_t)(nl + 1 - p));
		if (have_parent) {
			git_oid_tostr(hex, sizeof(hex), &parent);
			dipb_buf_printf(&buf, "parent %s\n", hex);
		}
		for (p = nl + 1; p < body - 1; p = nl + 1) {
			nl = memchr(p, '\n', (size_t)(end - p));
			if (strncmp(p, "parent ", 7) != 0)
				dipb_buf_put(&buf, p, (size_t)(nl + 1 - p));
		}
		who = line_value(git_odb_object_data(obj), body, "committer ");
		/* What is signed: the commit without its signature. */
		hlen = buf.len;
		dipb_buf_put(&buf, body - 1, (size_t)(end - body + 1));
		dipb_buf_clear(&armor);
		sign(&armor, signer_of(signers, who), buf.ptr, buf.len);
		/* gpgsig goes after the committer, each further line
		 * indented by a space, as git writes it. */
		{
			struct dipb_buf c = DIPB_BUF_INIT;

			dipb_buf_put(&c, buf.ptr, hlen);
			dipb_buf_puts(&c, "gpgsig ");
			for (p = armor.ptr; *p != '\0'; p++) {
				dipb_buf_putc(&c, *p);
				if (*p == '\n' && p[1] != '\0')
					dipb_buf_putc(&c, ' ');
			}
			dipb_buf_put(&c, body - 1, (size_t)(end - body + 1));
			if (git_odb_write(&cid, odb, c.ptr, c.len,
			    GIT_OBJECT_COMMIT) < 0)
				die("cannot write a commit");
			dipb_buf_release(&c);
		}
		if (git_packbuilder_insert(pb, &cid, NULL) < 0)
			die("cannot pack a commit");
		parent = cid;
		have_parent = 1;
		/* Its tag: <record>/<N>-<event>, N counted per record. */
		rec = line_value(body, end, "Dipb-Record: ");
		ev = line_value(body, end, "Dipb-Event: ");
		if (rec != NULL && ev != NULL) {
			r = strcmp(rec, "board") == 0 ? 0 :
			    strtoul(rec + 3, NULL, 10);
			if (r >= nrecs) {
				numbers = xrealloc(numbers, (r + 1) *
				    sizeof(*numbers));
				memset(numbers + nrecs, 0, (r + 1 - nrecs) *
				    sizeof(*numbers));
				nrecs = r + 1;
			}
			n = ++numbers[r];
			name = xasprintf("%s/%lu-%s", rec, n, ev);
			git_oid_tostr(hex, sizeof(hex), &cid);
			nl = memchr(body, '\n', (size_t)(end - body));
			dipb_buf_clear(&buf);
			dipb_buf_printf(&buf, "object %s\ntype commit\ntag %s\n"
			    "tagger %s\n\n", hex, name, who);
			dipb_buf_put(&buf, body, (size_t)(nl + 1 - body));
			sign(&buf, signer_of(signers, who), buf.ptr, buf.len);
			if (git_odb_write(&tid, odb, buf.ptr, buf.len,
			    GIT_OBJECT_TAG) < 0)
				die("cannot write a tag");
			if (git_packbuilder_insert(pb, &tid, NULL) < 0)
				die("cannot pack a tag");
			free(name);
			xgrow((void **)&tags, &captags, ntags + 1,
			    sizeof(*tags));
			tags[ntags].ref = xasprintf("refs/tags/%s/%lu-%s", rec,
			    n, ev);
			git_oid_tostr(tags[ntags].tag, sizeof(tags[ntags].tag),
			    &tid);
			memcpy(tags[ntags].commit, hex, sizeof(hex));
			ntags++;
		}
		free(rec);
		free(ev);
		free(who);
		git_odb_object_free(obj);
	}
	/* The new objects (not what they point to), as one pack. */
	pem = xasprintf("%s/objects/pack", git_repository_path(repo));
	if (git_packbuilder_write(pb, pem, 0, NULL, NULL) < 0)
		die("cannot write the pack");
	git_packbuilder_free(pb);
	free(pem);
	/* The tags, as packed-refs with their peeled commits. */
	qsort(tags, ntags, sizeof(*tags), cmp_tag);
	pem = xasprintf("%s/packed-refs", git_repository_path(repo));
	if ((f = fopen(pem, "w")) == NULL)
		die("cannot write packed-refs");
	fputs("# pack-refs with: peeled fully-peeled sorted \n", f);
	for (i = 0; i < ntags; i++) {
		fprintf(f, "%s %s\n^%s\n", tags[i].tag, tags[i].ref,
		    tags[i].commit);
		free(tags[i].ref);
	}
	if (fclose(f) != 0)
		die("cannot write packed-refs");
	free(pem);
	free(tags);
	if (!have_parent || git_reference_create(&ref, repo,
	    "refs/heads/main", &parent, 1, NULL) < 0)
		die("cannot move main");
	git_reference_free(ref);
	free(numbers);
	git_revwalk_free(walk);
	git_odb_free(odb);
	git_repository_free(repo);
	git_libgit2_shutdown();
	for (i = 0; i < NMEMBERS; i++) {
		EVP_PKEY_free(signers[i].pkey);
		dipb_buf_release(&signers[i].blob);
	}
	dipb_buf_release(&buf);
	dipb_buf_release(&armor);
	return 0;
}

static void
usage(void)
{
	fprintf(stderr, "usage: gen_history [-S] [-k DIR] N E\n"
	    "       gen_history [-S] [-k DIR] -l N\n"
	    "       gen_history -P REPO N E | -P REPO -l N\n"
	    "       gen_history -s DIR REPO\n"
	    "       gen_history -V\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	struct dipb_buf board = DIPB_BUF_INIT;
	struct dipb_record *recs;
	const char *files[4];
	char *keys[NMEMBERS] = { NULL };
	unsigned long n, e, i, k;
	int mix = 0;
	char *s;

	if (argc == 2 && strcmp(argv[1], "-V") == 0)
		return puts(GEN_VERSION) < 0 || fflush(stdout) != 0;
	if (argc == 4 && strcmp(argv[1], "-s") == 0)
		return sign_history(argv[2], argv[3]);
	if (argc >= 3 && strcmp(argv[1], "-S") == 0) {
		layout = DIPB_LAYOUT_SHARDED;
		argv++;
		argc--;
	}
	if (argc >= 4 && strcmp(argv[1], "-P") == 0) {
		if (layout != DIPB_LAYOUT_FLAT)
			die("-P writes the flat layout only");
		pack_begin(argv[2]);
		argv += 2;
		argc -= 2;
	} else if (argc == 5 && strcmp(argv[1], "-k") == 0) {
		make_keys(argv[2], keys);
		with_tags = 0;
		argv += 2;
		argc -= 2;
	}
	if (argc == 3 && strcmp(argv[1], "-l") == 0) {
		mix = 1;
		if ((n = strtoul(argv[2], NULL, 10)) == 0)
			usage();
		e = 8;
	} else if (argc != 3 || (n = strtoul(argv[1], NULL, 10)) == 0 ||
	    (e = strtoul(argv[2], NULL, 10)) == 0 || e > 100)
		usage();
	dipb_buf_puts(&board, board_head);
	if (layout != DIPB_LAYOUT_FLAT)	/* where dipb_board_emit puts it */
		dipb_buf_printf(&board, "layout: %s\n",
		    dipb_layout_name(layout));
	dipb_buf_puts(&board, "members:\n");
	for (i = 0; i < NMEMBERS; i++) {
		dipb_buf_printf(&board, "  - name: %s\n    email: %s\n"
		    "    roles: [%s]\n", members[i]->name, members[i]->email,
		    members[i]->role);
		if (keys[i] != NULL)
			dipb_buf_printf(&board, "    keys:\n      - %s\n",
			    keys[i]);
		free(keys[i]);
	}
	files[0] = "dipb.yaml";
	files[1] = board.ptr;
	files[2] = ".gitattributes";
	files[3] = "*.yaml text eol=lf\n";
	s = xasprintf("board: created by %s", chair.name);
	change(&chair, "board", 1, "created", NULL, s, files, 2);
	free(s);

	recs = xcalloc(n, sizeof(*recs));
	for (i = 0; i < n; i++) {
		struct dipb_record *r = &recs[i];

		dipb_record_init(r);
		r->id = xasprintf("IC-%04lu", i + 1);
		r->title = xasprintf("Generated recommendation number %lu",
		    i + 1);
		r->working_group = xstrdup("industrial-capacity");
		r->classification = xstrdup("NATO UNCLASSIFIED");
		r->priority = DIPB_PRIORITY_MEDIUM;
		r->author = xstrdup(drafter.email);
		dipb_strlist_push(&r->topics, "bench");
		r->summary = xasprintf("Generated summary of recommendation "
		    "%lu, long enough to look like prose written by an "
		    "analyst.\n", i + 1);
		r->rationale = xstrdup("Generated rationale.  It explains why, "
		    "with evidence from the working group consultations.\n");
		r->actions = xcalloc(1, sizeof(*r->actions));
		r->actions[0].text = xstrdup("Nations send their demand data "
		    "to the secretariat");
		r->actions[0].owner = xstrdup("National Armaments Directors");
		r->nactions = 1;
		step(r, 1);
	}
	for (k = 2; k <= e; k++)
		for (i = 0; i < n; i++)
			if (!mix || k <= lived[i % 10])
				step(&recs[i], k);
	for (i = 0; i < n; i++)
		dipb_record_release(&recs[i]);
	free(recs);
	dipb_buf_release(&board);
	if (pk.fd >= 0)
		pack_end();
	return fflush(stdout) == 0 ? 0 : 1;
}

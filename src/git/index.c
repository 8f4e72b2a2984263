/*
 * git/index.c - the index: read and written as bytes for git's usual
 * index, through libgit2 for version 4; and the check, before a change,
 * that its index step can be made (dipb_git_index_check).
 */
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <git2/sys/repository.h>

#include "internal.h"
#include "../error.h"
#include "../text.h"
#include "../util.h"

/*
 * libgit2 parses and hashes every entry of the index to look at one, and
 * serialises them all again to change one: at 10,000 records that is
 * most of a state change.  For the index git writes by default (versions
 * 2 and 3, no split or sparse index) dipb reads the file as bytes, finds
 * the entry by a scan, and writes the file back with that entry changed,
 * under index.lock as git does.  Version 4 goes through libgit2.  A split
 * or sparse index, which libgit2 cannot read (nor hash a file under its
 * attributes with), is refused before the change, as are the extensions
 * git requires and dipb does not know (dipb-git(7), "The index").
 */
#define IDX_HDR		12
#define IDX_FIXED	62	/* ten 32-bit stat fields, id, flags */
#define IDX_EXTENDED	0x4000
#define IDX_NAMEMASK	0x0fff
#define IDX_SKIP_WORKTREE	0x4000	/* of the extended flags */
#define IDX_TRAILER	20

/* One index entry's stat data and id (both kinds of index). */
struct ientry {
	uint32_t	ctime_s, ctime_ns, mtime_s, mtime_ns;
	uint32_t	dev, ino, mode, uid, gid, size;
	git_oid		id;
};

struct rawindex {
	struct dipb_buf	 b;
	unsigned	 version;
	uint32_t	 count;
	size_t		 ents_end;	/* where the extensions start */
	struct stat	 st;		/* of the file read */
	int		 borrowed;	/* b is r's mapping: not freed */
};

static uint32_t
get32(const char *p)
{
	const unsigned char *u = (const unsigned char *)p;

	return (uint32_t)u[0] << 24 | (uint32_t)u[1] << 16 |
	    (uint32_t)u[2] << 8 | u[3];
}

static void
put32(char *p, uint32_t v)
{
	p[0] = (char)(v >> 24);
	p[1] = (char)(v >> 16);
	p[2] = (char)(v >> 8);
	p[3] = (char)v;
}

static unsigned
get16(const char *p)
{
	const unsigned char *u = (const unsigned char *)p;

	return (unsigned)u[0] << 8 | u[1];
}

/* The size of the entry at off (its name in *name, *nlen); 0: malformed. */
static size_t
raw_ientry(const struct rawindex *ix, size_t off, const char **name,
    size_t *nlen)
{
	const char *p = ix->b.ptr + off;
	size_t avail = ix->b.len - IDX_TRAILER - off, fixed = IDX_FIXED, n;
	unsigned flags;

	if (off > ix->b.len - IDX_TRAILER || avail < IDX_FIXED + 1)
		return 0;
	flags = get16(p + 60);
	if (flags & IDX_EXTENDED) {
		if (ix->version < 3)
			return 0;
		fixed += 2;
	}
	if (avail <= fixed)
		return 0;
	n = flags & IDX_NAMEMASK;
	if (n == IDX_NAMEMASK) {
		n = strnlen(p + fixed, avail - fixed);
		if (n == avail - fixed)
			return 0;
	}
	if (fixed + n >= avail || p[fixed + n] != '\0' ||
	    ((fixed + n + 8) & ~(size_t)7) > avail)
		return 0;
	*name = p + fixed;
	*nlen = n;
	return (fixed + n + 8) & ~(size_t)7;
}

static void
raw_ientry_get(struct ientry *e, const char *p)
{
	e->ctime_s = get32(p);
	e->ctime_ns = get32(p + 4);
	e->mtime_s = get32(p + 8);
	e->mtime_ns = get32(p + 12);
	e->dev = get32(p + 16);
	e->ino = get32(p + 20);
	e->mode = get32(p + 24);
	e->uid = get32(p + 28);
	e->gid = get32(p + 32);
	e->size = get32(p + 36);
	git_oid_fromraw(&e->id, (const unsigned char *)p + 40);
}

static void
raw_ientry_put(char *p, const struct ientry *e)
{
	put32(p, e->ctime_s);
	put32(p + 4, e->ctime_ns);
	put32(p + 8, e->mtime_s);
	put32(p + 12, e->mtime_ns);
	put32(p + 16, e->dev);
	put32(p + 20, e->ino);
	put32(p + 24, e->mode);
	put32(p + 28, e->uid);
	put32(p + 32, e->gid);
	put32(p + 36, e->size);
	memcpy(p + 40, e->id.id, GIT_OID_RAWSZ);
}

static void
ientry_from_stat(struct ientry *e, const struct stat *st, unsigned mode,
    const git_oid *id)
{
	memset(e, 0, sizeof(*e));
	if (st != NULL) {
		e->ctime_s = (uint32_t)st->st_ctim.tv_sec;
		e->ctime_ns = (uint32_t)st->st_ctim.tv_nsec;
		e->mtime_s = (uint32_t)st->st_mtim.tv_sec;
		e->mtime_ns = (uint32_t)st->st_mtim.tv_nsec;
		e->dev = (uint32_t)st->st_dev;
		e->ino = (uint32_t)st->st_ino;
		e->uid = (uint32_t)st->st_uid;
		e->gid = (uint32_t)st->st_gid;
		e->size = (uint32_t)st->st_size;
	}
	e->mode = mode;
	git_oid_cpy(&e->id, id);
}

/* Path order of the index: bytes, then length. */
static int
ipath_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	int c = memcmp(a, b, alen < blen ? alen : blen);

	if (c != 0)
		return c;
	return (alen > blen) - (alen < blen);
}

void
dipb_git_index_forget(struct dipb_repo *r)
{
	if (r->index_map != NULL)
		(void)munmap((void *)(uintptr_t)r->index_map, r->index_len);
	r->index_map = NULL;
	r->index_len = 0;
	r->index_have = 0;
}

/*
 * r->index_map made the bytes of the index whose stat data *st holds:
 * mapped once per command, and again only when another process has
 * replaced the file (its stat data changed, as packed-refs in refs.c; git
 * and dipb replace an index whole, by a rename, never in place).  A state
 * change looks at the index three or four times (its check, the path's
 * state, .gitattributes, the update): all but the update read the mapped
 * bytes in place (rawindex_load).  At 30,000 records the index is 3 MB:
 * read into memory, then copied for each look, it took two thirds of the
 * page faults of a dipb recommend.
 */
static const struct dipb_error *
index_bytes(struct stat *st, struct dipb_repo *r)
{
	const struct dipb_error *err;
	void *p;
	int fd;

	if (r->index_have && dipb_git_same_stat(st, &r->index_st))
		return NULL;
	if ((fd = open(r->index_path, O_RDONLY | O_CLOEXEC)) == -1)
		return dipb_error_from_errno("%s", r->index_path);
	/*
	 * git replaces the index by a rename, maybe since st was taken:
	 * the file opened is read by its own size, never st's (an old size
	 * read a new index cut short, or mapped past its end).
	 */
	if (fstat(fd, st) == -1) {
		err = dipb_error_from_errno("%s", r->index_path);
		close(fd);
		return err;
	}
	if (r->index_have && dipb_git_same_stat(st, &r->index_st)) {
		close(fd);
		return NULL;
	}
	dipb_git_index_forget(r);
	if (st->st_size > 0) {
		p = mmap(NULL, (size_t)st->st_size, PROT_READ,
		    MAP_PRIVATE | MAP_POPULATE, fd, 0);
		if (p == MAP_FAILED) {
			close(fd);
			return dipb_error_from_errno("%s", r->index_path);
		}
		r->index_map = p;
		r->index_len = (size_t)st->st_size;
	}
	close(fd);
	r->index_st = *st;
	r->index_have = 1;
	return NULL;
}

/*
 * ix's bytes: a copy of the mapped index for one that will change them
 * (own), else the mapping itself, which stays until the next
 * index_bytes() of a file replaced: ix is released before then.
 */
static void
rawindex_bytes(struct rawindex *ix, struct dipb_repo *r, int own)
{
	if (own) {
		dipb_buf_clear(&ix->b);
		/* Room for the entries a change adds (rawindex_apply). */
		dipb_buf_grow(&ix->b, r->index_len + 4096);
		if (r->index_len > 0)
			dipb_buf_put(&ix->b, r->index_map, r->index_len);
		return;
	}
	ix->b.ptr = (char *)(uintptr_t)r->index_map;
	ix->b.len = r->index_len;
	ix->b.cap = 0;
	ix->borrowed = 1;
}

static void
rawindex_release(struct rawindex *ix)
{
	if (!ix->borrowed)
		dipb_buf_release(&ix->b);
	memset(&ix->b, 0, sizeof(ix->b));
	ix->borrowed = 0;
}

/*
 * Reads r's index file into ix, a copy of its bytes with own (to change
 * them), else the mapping r keeps (rawindex_bytes); rawindex_release()
 * either way.  *ok is 1 when dipb handles this index itself, 0 when
 * libgit2 must (no index yet, version 4, split or sparse index, anything
 * unexpected).
 */
static const struct dipb_error *
rawindex_load(struct rawindex *ix, int *ok, struct dipb_repo *r, int own)
{
	const struct dipb_error *err;
	const char *name = NULL, *p, *path = r->index_path;
	size_t off, sz, nlen = 0;
	uint32_t i, esz;

	*ok = 0;
	memset(&ix->st, 0, sizeof(ix->st));
	if (stat(path, &ix->st) == -1) {
		if (errno == ENOENT)
			return NULL;
		return dipb_error_from_errno("%s", path);
	}
	if ((err = index_bytes(&ix->st, r)) != NULL)
		return err;
	rawindex_bytes(ix, r, own);
	if (ix->b.len < IDX_HDR + IDX_TRAILER ||
	    memcmp(ix->b.ptr, "DIRC", 4) != 0)
		return NULL;
	ix->version = get32(ix->b.ptr + 4);
	ix->count = get32(ix->b.ptr + 8);
	if (ix->version != 2 && ix->version != 3)
		return NULL;
	for (i = 0, off = IDX_HDR; i < ix->count; i++, off += sz)
		if ((sz = raw_ientry(ix, off, &name, &nlen)) == 0)
			return NULL;
	ix->ents_end = off;
	while (off < ix->b.len - IDX_TRAILER) {
		if (ix->b.len - IDX_TRAILER - off < 8)
			return NULL;
		p = ix->b.ptr + off;
		esz = get32(p + 4);
		/* Lower case: an extension git requires ("link", "sdir"). */
		if (p[0] < 'A' || p[0] > 'Z' ||
		    esz > ix->b.len - IDX_TRAILER - off - 8)
			return NULL;
		off += 8 + (size_t)esz;
	}
	*ok = 1;
	return NULL;
}

/*
 * Finds path's stage-0 entry: *at its offset and *found 1, or *at where it
 * would go.  *conflict is set when the path has conflict stages.
 */
static void
rawindex_find(const struct rawindex *ix, const char *path, size_t *at,
    int *found, int *conflict)
{
	const char *name = NULL;
	size_t off, sz, nlen = 0, plen = strlen(path);
	uint32_t i;
	int c;

	*found = *conflict = 0;
	*at = ix->ents_end;
	for (i = 0, off = IDX_HDR; i < ix->count; i++, off += sz) {
		sz = raw_ientry(ix, off, &name, &nlen);
		c = ipath_cmp(name, nlen, path, plen);
		if (c < 0)
			continue;
		if (c > 0) {
			if (!*found)
				*at = off;
			return;
		}
		if (((get16(ix->b.ptr + off + 60) >> 12) & 3) == 0) {
			*found = 1;
			*at = off;
		} else
			*conflict = 1;
	}
}

/*
 * Deeper than a path can be (PATH_MAX 4096: "a/" 2,048 times): a cache
 * tree nested more is no index git wrote, and copying it would recurse
 * past the stack.
 */
#define CACHE_TREE_DEPTH_MAX	2048

/*
 * Copies one node of the TREE (cache-tree) extension and its subtrees,
 * invalidating every node on the way to one of paths (relative to the
 * node), so git rebuilds those and keeps the rest.  -1: malformed, or
 * nested deeper than CACHE_TREE_DEPTH_MAX (depth: the node's).
 */
static int
cache_tree_copy(struct dipb_buf *out, const char **p, const char *end,
    const char *const *paths, size_t npaths, int depth)
{
	const char *s = *p, *nul, *lf, *name, *rest;
	const char **sub;
	char *num;
	long count, nsub, k;
	size_t i, m, nlen, len;
	int rc = 0;

	if (depth > CACHE_TREE_DEPTH_MAX ||
	    (nul = memchr(s, '\0', (size_t)(end - s))) == NULL ||
	    (lf = memchr(nul, '\n', (size_t)(end - nul))) == NULL)
		return -1;
	errno = 0;
	count = strtol(nul + 1, &num, 10);
	if (num == nul + 1 || *num != ' ')
		return -1;
	nsub = strtol(num + 1, &num, 10);
	if (errno != 0 || num != lf || nsub < 0)
		return -1;
	s = lf + 1;
	if (count >= 0) {
		if ((size_t)(end - s) < GIT_OID_RAWSZ)
			return -1;
		s += GIT_OID_RAWSZ;
	}
	if (npaths > 0) {
		dipb_buf_put(out, *p, (size_t)(nul - *p) + 1);
		dipb_buf_printf(out, "-1 %ld\n", nsub);
	} else
		dipb_buf_put(out, *p, (size_t)(s - *p));
	sub = xcalloc(npaths + 1, sizeof(*sub));
	for (k = 0; k < nsub && rc == 0; k++) {
		/* The subtree's name is its first field. */
		name = s;
		if ((nul = memchr(s, '\0', (size_t)(end - s))) == NULL) {
			rc = -1;
			break;
		}
		nlen = (size_t)(nul - name);
		for (i = 0, m = 0; i < npaths; i++) {
			if ((rest = strchr(paths[i], '/')) == NULL)
				continue;
			len = (size_t)(rest - paths[i]);
			if (len == nlen && memcmp(paths[i], name, len) == 0)
				sub[m++] = rest + 1;
		}
		rc = cache_tree_copy(out, &s, end, sub, m, depth + 1);
	}
	free(sub);
	*p = s;
	return rc;
}

/*
 * Writes ix to path with each of the n entries set (struct ientry and the
 * path), taking index.lock first as git does.  The extensions that hold
 * entry positions or whole-index state are dropped (git rebuilds them);
 * the cache tree is kept with the changed paths' folders invalidated.
 */
struct iupdate {
	const char	*path;
	struct ientry	 e;
	int		 skip;	/* a new entry: skip-worktree */
};

static void
rawindex_apply(struct rawindex *ix, const struct iupdate *u)
{
	size_t at, plen = strlen(u->path), sz, fixed;
	unsigned flags;
	int found, conflict;

	rawindex_find(ix, u->path, &at, &found, &conflict);
	if (conflict)
		return;		/* the user's merge: not ours to resolve */
	if (found) {
		raw_ientry_put(ix->b.ptr + at, &u->e);
		return;
	}
	/* Made room for in place: a copy of 3 MB at 30,000 records was a
	 * fresh page to fault in every 4 KiB. */
	fixed = IDX_FIXED + (u->skip ? 2 : 0);
	sz = (fixed + plen + 8) & ~(size_t)7;
	dipb_buf_grow(&ix->b, sz);
	memmove(ix->b.ptr + at + sz, ix->b.ptr + at, ix->b.len - at);
	memset(ix->b.ptr + at, 0, sz);
	raw_ientry_put(ix->b.ptr + at, &u->e);
	flags = plen < IDX_NAMEMASK ? (unsigned)plen : IDX_NAMEMASK;
	if (u->skip) {
		/* Extended flags are version 3's, as git writes them. */
		flags |= IDX_EXTENDED;
		ix->b.ptr[at + 62] = (char)(IDX_SKIP_WORKTREE >> 8);
		if (ix->version < 3) {
			ix->version = 3;
			put32(ix->b.ptr + 4, 3);
		}
	}
	ix->b.ptr[at + 60] = (char)(flags >> 8);
	ix->b.ptr[at + 61] = (char)flags;
	memcpy(ix->b.ptr + at + fixed, u->path, plen);
	ix->b.len += sz;
	ix->b.ptr[ix->b.len] = '\0';
	ix->count++;
	put32(ix->b.ptr + 8, ix->count);
	ix->ents_end += sz;
}

/*
 * Git's racy-clean rule: an entry whose file is not older than the index
 * file may have changed after its stat data were taken, in the same
 * instant, without them showing it.  git 2.39 as usually built (no
 * USE_NSEC) compares whole seconds, and so does dipb: one compared in
 * nanoseconds takes for settled an entry git takes for racy.  ist: the
 * index file as read (none: nothing is racy).
 */
static int
racy(uint32_t mtime_s, const struct stat *ist)
{
	return ist->st_mtim.tv_sec != 0 &&
	    (uint32_t)ist->st_mtim.tv_sec <= mtime_s;
}

/*
 * 1 when path's stage-0 entry e must be smudged (its size 0, so that git
 * compares the content) as git smudges one when it writes the index:
 * racy, its file's size and mtime still the entry's (what git always
 * compares: a file that differs there git sees changed anyway), and its
 * content not the entry's blob, hashed as git add takes it in.  An entry
 * of unchanged content is left as it is, as git leaves it: smudged, git's
 * plumbing (git diff-files, git diff-index) would list an unchanged file.
 * A file dipb cannot hash as git would (a filter's command, an error) is
 * smudged: git then looks itself.  So is every racy one past the first
 * RACY_HASHED of a write (*budget): after a clone or a checkout thousands
 * are racy, and git's first look at them costs less than dipb's hashing
 * (dipb-git(7), "Index").  A link's entry whose file is not a link (a
 * checkout with core.symlinks false writes a plain file) is smudged too.
 */
#define RACY_HASHED	16

static int
racy_smudge(struct dipb_repo *r, const char *path, const struct ientry *e,
    const struct stat *ist, int *budget)
{
	const struct dipb_error *err;
	struct stat st;
	git_oid id;
	char *full, *target;
	ssize_t len;
	int smudge = 0;

	if (e->size == 0 || (e->mode & 0170000) == 0160000 ||
	    !racy(e->mtime_s, ist))
		return 0;
	full = xasprintf("%s%s", r->workdir, path);
	if (lstat(full, &st) == -1 || (uint32_t)st.st_size != e->size ||
	    (uint32_t)st.st_mtim.tv_sec != e->mtime_s)
		goto done;			/* git sees it by its stat */
	if (*budget <= 0 || ((e->mode & 0170000) == 0120000 &&
	    !S_ISLNK(st.st_mode))) {
		smudge = 1;
		goto done;
	}
	--*budget;
	if ((e->mode & 0170000) == 0120000) {
		/* A link's blob is its target. */
		target = xmalloc((size_t)st.st_size + 1);
		len = readlink(full, target, (size_t)st.st_size + 1);
		smudge = len != (ssize_t)st.st_size || git_odb_hash(&id,
		    target, (size_t)len, GIT_OBJECT_BLOB) < 0 ||
		    !git_oid_equal(&id, &e->id);
		free(target);
		goto done;
	}
	if (!S_ISREG(st.st_mode))
		goto done;
	if ((err = dipb_git_attr_check(r, path)) == NULL)
		err = dipb_git_hash_file(&id, r, path);
	smudge = err != NULL || !git_oid_equal(&id, &e->id);
	dipb_error_free(err);
done:
	git_error_clear();
	free(full);
	return smudge;
}

/*
 * The racy entries of ix smudged by git's rule (racy_smudge) when dipb
 * writes the index, as git does when it writes one; not the n entries of
 * u, which dipb just wrote with their files.
 */
static void
rawindex_smudge(struct dipb_repo *r, struct rawindex *ix,
    const struct iupdate *u, size_t n)
{
	const char *name = NULL;
	char *p;
	struct ientry e;
	size_t off, sz, nlen = 0, k;
	uint32_t i;
	int budget = RACY_HASHED;

	for (i = 0, off = IDX_HDR; i < ix->count; i++, off += sz) {
		sz = raw_ientry(ix, off, &name, &nlen);
		p = ix->b.ptr + off;
		if (!racy(get32(p + 8), &ix->st) ||
		    ((get16(p + 60) >> 12) & 3) != 0)
			continue;
		for (k = 0; k < n; k++)
			if (strlen(u[k].path) == nlen &&
			    memcmp(u[k].path, name, nlen) == 0)
				break;
		raw_ientry_get(&e, p);
		if (k == n && racy_smudge(r, name, &e, &ix->st, &budget))
			put32(p + 36, 0);
	}
}

/*
 * The index file ix becomes, into out: ix's entries in place (a copy of
 * them was a page fault every 4 KiB, 3 MB at 30,000 records), the
 * extensions kept, the checksum; ix's bytes are out's then.
 */
static const struct dipb_error *
rawindex_finish(struct dipb_buf *out, struct rawindex *ix,
    const struct iupdate *u, size_t n)
{
	/* n (size_t)-1: a change of too many paths, the cache tree dropped. */
	int drop_tree = n == (size_t)-1;
	const char **paths = xcalloc(drop_tree ? 1 : n + 1, sizeof(*paths));
	struct dipb_buf ext = DIPB_BUF_INIT;
	const char *p, *q, *end;
	unsigned char sum[IDX_TRAILER];
	size_t off, mark, k;
	uint32_t esz;

	for (k = 0; !drop_tree && k < n; k++)
		paths[k] = u[k].path;
	for (off = ix->ents_end; off < ix->b.len - IDX_TRAILER;
	    off += 8 + (size_t)esz) {
		p = ix->b.ptr + off;
		esz = get32(p + 4);
		if (memcmp(p, "REUC", 4) == 0)
			dipb_buf_put(&ext, p, 8 + (size_t)esz);
		else if (memcmp(p, "TREE", 4) == 0 && !drop_tree) {
			mark = ext.len;
			dipb_buf_put(&ext, p, 8);
			q = p + 8;
			end = q + esz;
			while (q < end)
				if (cache_tree_copy(&ext, &q, end, paths, n,
				    0) < 0)
					break;
			if (q != end)		/* unreadable: drop it */
				ext.len = mark;
			else
				put32(ext.ptr + mark + 4,
				    (uint32_t)(ext.len - mark - 8));
		}
		/*
		 * UNTR, FSMN, EOIE, IEOT and the unknown: dropped, and git
		 * makes them again.  FSMN and IEOT count entries by place,
		 * which an added entry moves: kept, FSMN would have git
		 * trust a changed file as unchanged (dipb-git(7)).
		 */
	}
	free(paths);
	ix->b.len = ix->ents_end;
	dipb_buf_put(&ix->b, ext.ptr, ext.len);
	dipb_buf_release(&ext);
	dipb_git_sha1(sum, ix->b.ptr, ix->b.len);
	dipb_buf_put(&ix->b, (const char *)sum, sizeof(sum));
	dipb_buf_release(out);
	*out = ix->b;
	memset(&ix->b, 0, sizeof(ix->b));
	return NULL;
}

/* ---- entries: read, and brought in step with a change ------------- */

static const struct dipb_error *
open_index(git_index **out, struct dipb_repo *r)
{
	*out = NULL;
	/*
	 * The file itself: the repository's may be dipb_git_attr_index's.
	 * Opened so, with no repository, libgit2 smudges no racy entry when
	 * it writes the index: dipb does (dipb_git_index_smudge).
	 */
	if (git_index_open(out, r->index_path) < 0)
		return dipb_error_from_git("cannot open the index");
	/* Re-read only if another process rewrote it. */
	if (git_index_read(*out, 0) < 0) {
		git_index_free(*out);
		*out = NULL;
		return dipb_error_from_git("cannot read the index");
	}
	return NULL;
}

/* raw_ientry_get of libgit2's entry. */
static void
git_ientry_get(struct ientry *e, const git_index_entry *ge)
{
	e->ctime_s = (uint32_t)ge->ctime.seconds;
	e->ctime_ns = ge->ctime.nanoseconds;
	e->mtime_s = (uint32_t)ge->mtime.seconds;
	e->mtime_ns = ge->mtime.nanoseconds;
	e->dev = ge->dev;
	e->ino = ge->ino;
	e->mode = ge->mode;
	e->uid = ge->uid;
	e->gid = ge->gid;
	e->size = ge->file_size;
	git_oid_cpy(&e->id, &ge->id);
}

/* The same as rawindex_find and raw_ientry_get, through libgit2. */
static void
git_find(git_index *idx, const char *path, int *found, int *conflict,
    struct ientry *e)
{
	const git_index_entry *ge;
	int stage;

	*found = *conflict = 0;
	if ((ge = git_index_get_bypath(idx, path, 0)) != NULL) {
		*found = 1;
		git_ientry_get(e, ge);
	}
	for (stage = 1; stage <= 3; stage++)
		if (git_index_get_bypath(idx, path, stage) != NULL)
			*conflict = 1;
}

/* rawindex_smudge for an index libgit2 holds (internal.h). */
const struct dipb_error *
dipb_git_index_smudge(struct dipb_repo *r, git_index *idx,
    const struct stat *ist, const char *const *paths, size_t n)
{
	const git_index_entry *ge;
	git_index_entry ne;
	struct ientry e;
	size_t i, k, count = git_index_entrycount(idx);
	int budget = RACY_HASHED;

	for (i = 0; i < count; i++) {
		if ((ge = git_index_get_byindex(idx, i)) == NULL ||
		    GIT_INDEX_ENTRY_STAGE(ge) != 0 ||
		    !racy((uint32_t)ge->mtime.seconds, ist))
			continue;
		for (k = 0; k < n && strcmp(paths[k], ge->path) != 0; k++)
			;
		git_ientry_get(&e, ge);
		if (k < n || !racy_smudge(r, ge->path, &e, ist, &budget))
			continue;
		/* Replaced in its place: the same path and stage. */
		ne = *ge;
		ne.file_size = 0;
		if (git_index_add(idx, &ne) < 0)
			return dipb_error_from_git("cannot update the index "
			    "for '%s'", ge->path);
	}
	return NULL;
}

/*
 * path's entry in the index: *found, *conflict, and in *e its stat data
 * and id; *ist is the index file's own stat (its mtime is the racy limit).
 */
static const struct dipb_error *
index_lookup(struct dipb_repo *r, const char *path, int *found,
    int *conflict, struct ientry *e, struct stat *ist)
{
	const struct dipb_error *err;
	struct rawindex ix;
	git_index *idx = NULL;
	size_t at;
	int ok;

	memset(&ix, 0, sizeof(ix));
	*found = *conflict = 0;
	if ((err = rawindex_load(&ix, &ok, r, 0)) == NULL && ok) {
		rawindex_find(&ix, path, &at, found, conflict);
		if (*found)
			raw_ientry_get(e, ix.b.ptr + at);
		*ist = ix.st;
	}
	rawindex_release(&ix);
	if (err != NULL || ok)
		return err;

	if ((err = open_index(&idx, r)) != NULL)
		return err;
	git_find(idx, path, found, conflict, e);
	if (git_index_path(idx) == NULL || stat(git_index_path(idx), ist) == -1)
		memset(ist, 0, sizeof(*ist));
	git_index_free(idx);
	return NULL;
}

/*
 * The blob of path's stage-0 index entry, as git reads it for its rule of
 * line ends (worktree.c): *found 0 when there is none.
 */
const struct dipb_error *
dipb_git_index_blob(git_oid *id, int *found, struct dipb_repo *r,
    const char *path)
{
	const struct dipb_error *err;
	struct ientry e;
	struct stat ist;
	int conflict;

	memset(&e, 0, sizeof(e));
	if ((err = index_lookup(r, path, found, &conflict, &e, &ist)) != NULL)
		return err;
	if (*found)
		git_oid_cpy(id, &e.id);
	return NULL;
}

const struct dipb_error *
dipb_repo_in_index(int *in, struct dipb_repo *r, const char *path)
{
	git_oid id;

	return dipb_git_index_blob(&id, in, r, path);
}

/*
 * 1 when the index entry's stat data still describe the file, as git's
 * "stat clean", and the file is older than the index (else it is racy and
 * only its content can tell).
 */
static int
stat_clean(const struct ientry *e, const struct stat *st,
    const struct stat *ist)
{
	if ((uint32_t)st->st_size != e->size ||
	    (uint32_t)st->st_mtim.tv_sec != e->mtime_s ||
	    (uint32_t)st->st_mtim.tv_nsec != e->mtime_ns ||
	    (uint32_t)st->st_ctim.tv_sec != e->ctime_s ||
	    (uint32_t)st->st_ctim.tv_nsec != e->ctime_ns ||
	    (uint32_t)st->st_ino != e->ino)
		return 0;
	return st->st_mtim.tv_sec < ist->st_mtim.tv_sec ||
	    (st->st_mtim.tv_sec == ist->st_mtim.tv_sec &&
	    st->st_mtim.tv_nsec < ist->st_mtim.tv_nsec);
}

/*
 * *changed 1 when the working file's executable bit differs from its
 * index entry's mode and git status would show it: core.fileMode
 * (git-config(1)), true unless set false, as git compares S_IXUSR.
 */
static const struct dipb_error *
exec_changed(int *changed, struct dipb_repo *r, const struct ientry *e,
    const struct stat *st)
{
	const struct dipb_error *err;
	git_config *cfg = NULL;

	*changed = 0;
	if (((st->st_mode & S_IXUSR) != 0) ==
	    (dipb_git_mode_canon(e->mode) == GIT_FILEMODE_BLOB_EXECUTABLE))
		return NULL;
	if ((err = dipb_git_config_open(&cfg, r->git, &r->format)) != NULL)
		return err;
	err = dipb_git_config_bool(changed, cfg, r->git, "core.filemode", 1);
	git_config_free(cfg);
	return err;
}

const struct dipb_error *
dipb_git_index_stat_clean(int *clean, struct dipb_repo *r, const char *path,
    const struct stat *st, const git_oid *id)
{
	const struct dipb_error *err;
	struct ientry e;
	struct stat ist;
	int found, conflict;

	*clean = 0;
	memset(&e, 0, sizeof(e));
	if ((err = index_lookup(r, path, &found, &conflict, &e, &ist)) != NULL)
		return err;
	*clean = found && !conflict && git_oid_equal(&e.id, id) &&
	    stat_clean(&e, st, &ist);
	return NULL;
}

const struct dipb_error *
dipb_repo_path_dirty(int *dirty, struct dipb_repo *r, const char *path)
{
	const struct dipb_error *err;
	struct ientry e;
	struct dipb_file f = { NULL, NULL, 0 };
	git_oid tip, wt;
	git_filemode_t tmode;
	struct stat st, ist;
	char *full = NULL;
	int have_tip, found, conflict, xchg;

	*dirty = 1;
	if ((err = dipb_git_tree_blob(&tip, &tmode, &have_tip, r, path)) !=
	    NULL ||
	    (err = index_lookup(r, path, &found, &conflict, &e, &ist)) != NULL)
		return err;
	if (conflict || found != have_tip || (found &&
	    !git_oid_equal(&e.id, &tip))) {
		/* Staged, or a conflict: staged alone when the file is the
		 * tip's, which no edit commits (dipb-edit(1)). */
		if (!conflict && have_tip && found) {
			err = dipb_git_hash_file(&wt, r, path);
			if (err == NULL && git_oid_equal(&wt, &tip))
				*dirty = DIPB_DIRTY_STAGED;
			dipb_error_free(err);	/* any other: staged */
		}
		return NULL;
	}
	/* A mode staged alone ('git update-index --chmod'). */
	if (found && dipb_git_mode_canon(e.mode) != (unsigned)tmode) {
		*dirty = DIPB_DIRTY_MODE;
		return NULL;
	}

	/* A symbolic link on the way, or a filter dipb cannot run: refused. */
	f.path = path;
	if ((err = dipb_git_worktree_check(r, &f, 1)) != NULL)
		return err;
	full = xasprintf("%s%s", r->workdir, path);
	if (lstat(full, &st) == -1) {
		if (errno != ENOENT && errno != ENOTDIR)
			err = dipb_error_from_errno("%s", full);
		else
			*dirty = found;		/* deleted, or absent everywhere */
		goto done;
	}
	if (!S_ISREG(st.st_mode) || !found)
		goto done;			/* untracked or not a file */
	/* The mode first, as git compares it before the stat data. */
	if (stat_clean(&e, &st, &ist)) {
		if ((err = exec_changed(&xchg, r, &e, &st)) == NULL)
			*dirty = xchg ? DIPB_DIRTY_MODE : 0;
		goto done;
	}
	if ((err = dipb_git_hash_file(&wt, r, path)) == NULL)
		*dirty = !git_oid_equal(&wt, &e.id);
	/* The same bytes, their mode changed ('chmod +x'): git status
	 * shows it, and a write of the file would undo it unseen. */
	if (err == NULL && !*dirty &&
	    (err = exec_changed(&xchg, r, &e, &st)) == NULL && xchg)
		*dirty = DIPB_DIRTY_MODE;
done:
	free(full);
	return err;
}

/*
 * The entry path's index entry moves to, in *u, given the entry it has
 * (cur, when found): 1 when it held the old blob (or none, for a new
 * file), or already holds the new one but with stale stat data, or the
 * change took the working file (f->take, as 'git commit PATH' does); 0
 * for an entry the user staged something else in.  The working file's
 * stat data go with it when it holds the new blob (so git status need
 * not hash it), else none (so git compares the content).
 */
static int
entry_wanted(struct iupdate *u, int found, const struct ientry *cur,
    const struct jfile *f, const struct dipb_git_wt *wt)
{
	if (!f->take && (!found ? !git_oid_is_zero(&f->old) :
	    !((!git_oid_is_zero(&f->old) && git_oid_equal(&cur->id, &f->old)) ||
	    (git_oid_equal(&cur->id, &f->new) && wt->state == WT_NEW))))
		return 0;
	u->path = f->path;
	u->skip = 0;
	ientry_from_stat(&u->e, wt->state == WT_NEW ? &wt->st : NULL,
	    found && cur->mode == GIT_FILEMODE_BLOB_EXECUTABLE ?
	    GIT_FILEMODE_BLOB_EXECUTABLE : GIT_FILEMODE_BLOB, &f->new);
	return 1;
}

const struct dipb_error *
dipb_git_index_hold(struct dipb_repo *r)
{
	if (r->ilock.held)
		return NULL;
	return dipb_git_lock_hold(&r->ilock, r, r->index_path, r->retries);
}

void
dipb_git_index_unhold(struct dipb_repo *r)
{
	if (r->ilock.held || r->ilock.path != NULL)
		dipb_git_lock_rollback(&r->ilock);
}

/* index.lock into lf: the one held (dipb_git_index_hold), or taken. */
static const struct dipb_error *
index_lock(struct dipb_git_lockfile *lf, struct dipb_repo *r)
{
	if (!r->ilock.held)
		return dipb_git_lock_hold(lf, r, r->index_path, r->retries);
	*lf = r->ilock;
	r->ilock = (struct dipb_git_lockfile)DIPB_GIT_LOCKFILE_INIT;
	return NULL;
}

/*
 * lf, taken by index_lock, held again for libgit2's writer, which is
 * given it only at its write (dipb_git_index_unhold): the index that
 * dipb does not read itself stays locked until then.
 */
static void
index_lock_keep(struct dipb_git_lockfile *lf, struct dipb_repo *r)
{
	if (!lf->held || r->ilock.held)
		return;
	r->ilock = *lf;
	*lf = (struct dipb_git_lockfile)DIPB_GIT_LOCKFILE_INIT;
}

/*
 * The index by bytes (see rawindex_load): *handled 0 when it is one for
 * libgit2.
 */
static const struct dipb_error *
sync_index_raw(int *handled, struct dipb_repo *r, const struct jfile *files,
    size_t n, const struct dipb_git_wt *wt, int skip)
{
	const struct dipb_error *err = NULL;
	struct dipb_git_lockfile lf = DIPB_GIT_LOCKFILE_INIT;
	struct dipb_buf out = DIPB_BUF_INIT;
	struct rawindex ix;
	struct iupdate *u;
	struct ientry e;
	size_t i, m = 0, at;
	int ok, found, conflict;

	*handled = 0;
	memset(&ix, 0, sizeof(ix));
	memset(&e, 0, sizeof(e));
	u = xcalloc(n, sizeof(*u));
	/* Locked before reading, so no other writer's change is lost. */
	if ((err = index_lock(&lf, r)) != NULL)
		goto done;
	if ((err = rawindex_load(&ix, &ok, r, 1)) != NULL)
		goto done;
	if (!ok) {
		index_lock_keep(&lf, r);	/* for sync_index_git */
		goto done;
	}
	*handled = 1;
	for (i = 0; i < n; i++) {
		rawindex_find(&ix, files[i].path, &at, &found, &conflict);
		if (found)
			raw_ientry_get(&e, ix.b.ptr + at);
		if (!conflict && entry_wanted(&u[m], found, &e, &files[i],
		    &wt[i])) {
			u[m].skip = skip;
			m++;
		}
	}
	if (m == 0)
		goto done;
	for (i = 0; i < m; i++)
		rawindex_apply(&ix, &u[i]);
	rawindex_smudge(r, &ix, u, m);
	if ((err = rawindex_finish(&out, &ix, u, m)) == NULL &&
	    (err = dipb_git_lock_write(&lf, out.ptr, out.len, r->fsync)) ==
	    NULL)
		err = dipb_git_lock_commit(&lf);
done:
	dipb_git_lock_rollback(&lf);
	free(u);
	rawindex_release(&ix);
	dipb_buf_release(&out);
	return err;
}

/* u as libgit2's index entry. */
static void
entry_to_git(git_index_entry *ne, const struct iupdate *u)
{
	memset(ne, 0, sizeof(*ne));
	if (u->skip) {
		/* libgit2 1.5 writes extended flags only when told to. */
		ne->flags = GIT_INDEX_ENTRY_EXTENDED;
		ne->flags_extended = GIT_INDEX_ENTRY_SKIP_WORKTREE;
	}
	ne->ctime.seconds = (int32_t)u->e.ctime_s;
	ne->ctime.nanoseconds = u->e.ctime_ns;
	ne->mtime.seconds = (int32_t)u->e.mtime_s;
	ne->mtime.nanoseconds = u->e.mtime_ns;
	ne->dev = u->e.dev;
	ne->ino = u->e.ino;
	ne->mode = u->e.mode;
	ne->uid = u->e.uid;
	ne->gid = u->e.gid;
	ne->file_size = u->e.size;
	git_oid_cpy(&ne->id, &u->e.id);
	ne->path = u->path;
}

static int
try_index_write(void *idx)
{
	int rc = git_index_write(idx);

	return rc == 0 ? DIPB_GIT_DONE : rc == GIT_ELOCKED ? DIPB_GIT_BUSY :
	    DIPB_GIT_FAILED;
}

/*
 * The same through libgit2, for the indexes dipb does not read itself:
 * the same entries decided by entry_wanted().
 */
static const struct dipb_error *
sync_index_git(struct dipb_repo *r, const struct jfile *files, size_t n,
    const struct dipb_git_wt *wt, int skip)
{
	const struct dipb_error *err = NULL;
	const char **paths = xcalloc(n + 1, sizeof(*paths));
	git_index_entry ne;
	git_index *idx = NULL;
	struct iupdate u;
	struct ientry e;
	struct stat ist;
	size_t i, changed = 0;
	int found, conflict;

	/* Under index.lock (index_lock_keep): the file read is this one. */
	if (stat(r->index_path, &ist) == -1)
		memset(&ist, 0, sizeof(ist));
	if ((err = open_index(&idx, r)) != NULL) {
		free(paths);
		return err;
	}
	memset(&e, 0, sizeof(e));
	for (i = 0; i < n; i++) {
		git_find(idx, files[i].path, &found, &conflict, &e);
		if (conflict || !entry_wanted(&u, found, &e, &files[i], &wt[i]))
			continue;
		u.skip = skip;		/* libgit2 replaces the entry whole */
		entry_to_git(&ne, &u);
		if (git_index_add(idx, &ne) < 0) {
			err = dipb_error_from_git("cannot update the index "
			    "for '%s'", files[i].path);
			goto done;
		}
		paths[changed++] = files[i].path;
	}
	if (changed && (err = dipb_git_index_smudge(r, idx, &ist, paths,
	    changed)) != NULL)
		goto done;
	/* libgit2 takes index.lock itself: dipb's goes just before. */
	dipb_git_index_unhold(r);
	if (changed && dipb_git_retry(r->retries, try_index_write, idx) !=
	    DIPB_GIT_DONE)
		err = dipb_error_from_git("cannot write the index");
	else if (changed)	/* core.sharedRepository: see perm.c */
		err = dipb_git_perm_fix(r, r->index_path, -1);
	git_error_clear();
done:
	if (err != NULL)
		git_index_read(idx, 1);	/* drop the half-made changes */
	git_index_free(idx);
	free(paths);
	return err;
}

/*
 * Moves each path's index entry from the old blob to the new one, with
 * the working file's stat data when it holds the new blob (so git status
 * need not hash it), else with none (so git compares the content).
 */
const struct dipb_error *
dipb_git_index_sync(struct dipb_repo *r, const struct jfile *files, size_t n,
    const struct dipb_git_wt *wt)
{
	const struct dipb_error *err;
	int handled;

	if ((err = sync_index_raw(&handled, r, files, n, wt, 0)) != NULL ||
	    handled)
		return err;
	return sync_index_git(r, files, n, wt, 0);
}

/*
 * The same for paths the sparse checkout leaves out
 * (dipb_git_index_sparse), as git pull brings them: the index entry
 * only, with the skip-worktree bit, and no working file.
 */
const struct dipb_error *
dipb_git_index_sync_sparse(struct dipb_repo *r, const struct jfile *files,
    size_t n)
{
	const struct dipb_error *err;
	struct dipb_git_wt *wt = xcalloc(n + 1, sizeof(*wt));
	size_t i;
	int handled;

	for (i = 0; i < n; i++)
		wt[i].state = WT_OTHER;
	if ((err = sync_index_raw(&handled, r, files, n, wt, 1)) == NULL &&
	    !handled)
		err = sync_index_git(r, files, n, wt, 1);
	free(wt);
	return err;
}

/* 1 when the index entry name is a .gitattributes file. */
static int
is_attr_file(const char *name, size_t nlen)
{
	static const char attr[] = ".gitattributes";
	size_t alen = sizeof(attr) - 1;

	return nlen >= alen && memcmp(name + nlen - alen, attr, alen) == 0 &&
	    (nlen == alen || name[nlen - alen - 1] == '/');
}

static const struct dipb_error *required_extensions(const struct rawindex *,
    struct dipb_repo *);

/*
 * libgit2 reads a path's attributes from the working tree's .gitattributes
 * files, then the index's, and for the index's it loads and sorts the
 * whole index: at 10,000 records, more than the rest of a change.  Where
 * dipb reads the index itself, libgit2 is given an index in memory that
 * holds the .gitattributes entries alone, all it reads of one.  Nothing
 * else of libgit2's reads the repository's index: open_index opens the
 * file.  Any other index (version 4, split, sparse) is left to libgit2.
 */
const struct dipb_error *
dipb_git_attr_index(struct dipb_repo *r)
{
	const struct dipb_error *err;
	struct rawindex ix;
	struct ientry e;
	git_index_entry ge;
	git_index *idx = NULL;
	const char *name = NULL;
	char *path;
	size_t off, sz, nlen = 0;
	uint32_t i;
	int ok, rc;

	if (r->attr_index)
		return NULL;
	r->attr_index = 1;
	memset(&ix, 0, sizeof(ix));
	if ((err = rawindex_load(&ix, &ok, r, 0)) != NULL)
		goto done;
	/*
	 * libgit2 cannot read a split or sparse index either: its own
	 * message would name an extension, not the setting to undo.
	 */
	if (!ok) {
		err = required_extensions(&ix, r);
		goto done;
	}
	if (git_index_new(&idx) < 0) {
		err = dipb_error_from_git("cannot make an index");
		goto done;
	}
	for (i = 0, off = IDX_HDR; i < ix.count; i++, off += sz) {
		sz = raw_ientry(&ix, off, &name, &nlen);
		if (!is_attr_file(name, nlen) ||
		    ((get16(ix.b.ptr + off + 60) >> 12) & 3) != 0)
			continue;
		raw_ientry_get(&e, ix.b.ptr + off);
		memset(&ge, 0, sizeof(ge));
		ge.mode = e.mode;
		git_oid_cpy(&ge.id, &e.id);
		ge.path = path = xstrndup(name, nlen);
		rc = git_index_add(idx, &ge);
		free(path);
		if (rc < 0) {
			err = dipb_error_from_git("cannot read the index");
			goto done;
		}
	}
	git_repository_set_index(r->git, idx);
done:
	git_index_free(idx);
	rawindex_release(&ix);
	return err;
}

/* ---- the preflight: what the index step of a change needs -------- */


/*
 * Reads the entry at *off of an index of any version (2 to 4) and moves
 * *off past it: its name into nm (for version 4, which stores each name
 * as a change of the one before, nm must hold the previous name), its
 * flags and extended flags.  -1: malformed.
 */
static int
any_ientry(const struct rawindex *ix, size_t *off, struct dipb_buf *nm,
    unsigned *flags, unsigned *xflags)
{
	const char *p = ix->b.ptr + *off, *end = ix->b.ptr + ix->b.len -
	    IDX_TRAILER, *q, *nul, *name = NULL;
	size_t fixed = IDX_FIXED, strip, sz, nlen = 0;
	unsigned c;

	if (ix->version != 4) {
		if ((sz = raw_ientry(ix, *off, &name, &nlen)) == 0)
			return -1;
		*flags = get16(p + 60);
		*xflags = *flags & IDX_EXTENDED ? get16(p + 62) : 0;
		dipb_buf_clear(nm);
		dipb_buf_put(nm, name, nlen);
		*off += sz;
		return 0;
	}
	if (p > end || (size_t)(end - p) < IDX_FIXED + 3)
		return -1;
	*flags = get16(p + 60);
	*xflags = 0;
	if (*flags & IDX_EXTENDED) {
		*xflags = get16(p + 62);
		fixed += 2;
	}
	/* The number of bytes to drop from the previous name: git's varint. */
	q = p + fixed;
	c = (unsigned char)*q++;
	strip = c & 127;
	while (c & 128) {
		if (q >= end || strip > SIZE_MAX >> 8)
			return -1;
		c = (unsigned char)*q++;
		strip = ((strip + 1) << 7) | (c & 127);
	}
	if (strip > nm->len || q >= end ||
	    (nul = memchr(q, '\0', (size_t)(end - q))) == NULL)
		return -1;
	nm->len -= strip;
	dipb_buf_put(nm, q, (size_t)(nul - q));
	*off = (size_t)(nul + 1 - ix->b.ptr);
	return 0;
}

/*
 * One pattern file of a sparse checkout, matched as git matches a path
 * not in cone mode (a cone's patterns give the same answer): the last
 * pattern that matches decides; "!" negates; a trailing '/' matches
 * folders only; a pattern with another '/' is matched from the top,
 * one without against the last part of the path.  1: included, 0:
 * excluded, -1: no pattern matches.
 */
static int
sparse_match(const char *pats, size_t len, const char *path, int isdir)
{
	const char *line, *eol, *end = pats + len, *base;
	char *pat;
	size_t n;
	int result = -1, neg, dironly, flags;

	base = strrchr(path, '/');
	base = base != NULL ? base + 1 : path;
	for (line = pats; line < end; line = eol + 1) {
		if ((eol = memchr(line, '\n', (size_t)(end - line))) == NULL)
			eol = end;
		n = (size_t)(eol - line);
		while (n > 0 && (line[n - 1] == '\r' || line[n - 1] == ' '))
			n--;
		if (n == 0 || line[0] == '#')
			continue;
		if ((neg = line[0] == '!')) {
			line++;
			n--;
		}
		if ((dironly = n > 0 && line[n - 1] == '/'))
			n--;
		if (n == 0 || (dironly && !isdir))
			continue;
		pat = xmalloc(n + 1);
		memcpy(pat, line, n);
		pat[n] = '\0';
		flags = strstr(pat, "**") != NULL ? 0 : FNM_PATHNAME;
		if (strchr(pat, '/') != NULL) {
			if (fnmatch(pat[0] == '/' ? pat + 1 : pat, path,
			    flags) == 0)
				result = !neg;
		} else if (fnmatch(pat, base, flags) == 0)
			result = !neg;
		free(pat);
	}
	return result;
}

/*
 * *on: the worktree's sparse checkout is on, as git 2.39 takes it:
 * core.sparseCheckout true (config.worktree's too, under
 * extensions.worktreeConfig: dipb_git_config_open) and the pattern file
 * info/sparse-checkout in the worktree's git dir.  'git sparse-checkout
 * disable' sets the setting false and leaves the file: off, every path
 * in the checkout.  core.sparseCheckoutCone says only how git reads the
 * patterns, and a cone's patterns give the same answer read either way
 * (sparse_match): it changes nothing here.  With no file, no
 * configuration is read (a change with no sparse checkout pays nothing).
 */
static const struct dipb_error *
sparse_on(int *on, struct dipb_repo *r)
{
	char *file = xasprintf("%sinfo/sparse-checkout", r->gitdir);
	git_config *cfg = NULL;
	const struct dipb_error *err;

	*on = access(file, F_OK) == 0;
	free(file);
	if (!*on)
		return NULL;
	if ((err = dipb_git_config_open(&cfg, r->git, &r->format)) != NULL)
		return err;
	err = dipb_git_config_bool(on, cfg, r->git, "core.sparsecheckout", 0);
	git_config_free(cfg);
	return err;
}

/*
 * The patterns of the worktree's info/sparse-checkout into pats, read
 * once for every path a caller judges (dipb migrate: every record); *on
 * 0 when the sparse checkout is off (sparse_on), which leaves nothing
 * out.
 */
static const struct dipb_error *
sparse_load(struct dipb_buf *pats, int *on, struct dipb_repo *r)
{
	char *file;
	const struct dipb_error *err;

	if ((err = sparse_on(on, r)) != NULL || !*on)
		return err;
	file = xasprintf("%sinfo/sparse-checkout", r->gitdir);
	err = dipb_read_regular(pats, file, 0, 0);
	free(file);
	return err;
}

/*
 * 1 when the sparse checkout's patterns (sparse_load) leave path out:
 * its folders are matched first, then the path; no pattern matching
 * leaves it out, as git does.
 */
static int
sparse_excludes(const struct dipb_buf *pats, const char *path)
{
	char *dir = xstrdup(path), *p;
	int m, in = -1;

	for (p = dir; (p = strchr(p, '/')) != NULL; *p++ = '/') {
		*p = '\0';
		if ((m = sparse_match(pats->ptr, pats->len, dir, 1)) >= 0)
			in = m;
	}
	if ((m = sparse_match(pats->ptr, pats->len, path, 0)) >= 0)
		in = m;
	free(dir);
	return in != 1;
}

static const struct dipb_error *
outside_sparse(const char *path)
{
	const char *slash = strrchr(path, '/');
	int dlen = slash != NULL ? (int)(slash - path) : 0;

	return dipb_error_fmt(DIPB_ERR_DIRTY, "%s is outside the sparse "
	    "checkout (git sparse-checkout): run 'git sparse-checkout add "
	    "%.*s', then retry", path, dlen > 0 ? dlen : (int)strlen(path),
	    path);
}

/* The checks of one index entry of a path of the change. */
static const struct dipb_error *
check_entry(const char *path, unsigned flags, unsigned xflags, int sparse)
{
	if ((flags >> 12) & 3)
		return dipb_error_fmt(DIPB_ERR_DIRTY, "%s has a conflict in "
		    "the index (git ls-files -u): resolve it and 'git add' "
		    "it, or 'git checkout HEAD -- %s', then retry", path,
		    path);
	if (xflags & IDX_SKIP_WORKTREE) {
		if (sparse)
			return outside_sparse(path);
		return dipb_error_fmt(DIPB_ERR_DIRTY, "%s is marked "
		    "skip-worktree in the index: run 'git update-index "
		    "--no-skip-worktree %s', then retry", path, path);
	}
	return NULL;
}

/* The index's extensions: those git requires that dipb cannot keep. */
static const struct dipb_error *
check_extensions(const struct rawindex *ix, size_t off, const char *path)
{
	const char *p;
	uint32_t esz;

	while (off < ix->b.len - IDX_TRAILER) {
		p = ix->b.ptr + off;
		if (ix->b.len - IDX_TRAILER - off < 8 ||
		    (esz = get32(p + 4)) > ix->b.len - IDX_TRAILER - off - 8)
			return dipb_error_fmt(DIPB_ERR_CORRUPT, "cannot read "
			    "the index '%s' (an extension runs past its end): "
			    "see what 'git status' says", path);
		if (memcmp(p, "link", 4) == 0)
			return dipb_error_fmt(DIPB_ERR_NO_REPO, "the index is "
			    "split (core.splitIndex), which dipb cannot update: "
			    "run 'git config core.splitIndex false' and 'git "
			    "update-index --no-split-index', then retry");
		if (memcmp(p, "sdir", 4) == 0)
			return dipb_error_fmt(DIPB_ERR_NO_REPO, "the index is "
			    "sparse (index.sparse), which dipb cannot update: "
			    "run 'git sparse-checkout reapply --no-sparse-index'"
			    ", then retry");
		/* Upper case: optional, dropped or kept (rawindex_finish). */
		if (p[0] < 'A' || p[0] > 'Z')
			return dipb_error_fmt(DIPB_ERR_NO_REPO, "the index has "
			    "an extension '%.4s' that git requires and dipb "
			    "does not know: make git write the index without "
			    "it, then retry", p);
		off += 8 + (size_t)esz;
	}
	return NULL;
}

/*
 * The refusal of an index dipb does not read as bytes, when it is one of
 * the extensions check_extensions() names; NULL for any other (version 4,
 * no index, a file that is not one: left to libgit2, or to git status).
 */
static const struct dipb_error *
required_extensions(const struct rawindex *ix, struct dipb_repo *r)
{
	struct dipb_buf nm = DIPB_BUF_INIT;
	const struct dipb_error *err = NULL;
	unsigned flags, xflags;
	size_t off = IDX_HDR;
	uint32_t i;

	if (ix->b.len < IDX_HDR + IDX_TRAILER ||
	    memcmp(ix->b.ptr, "DIRC", 4) != 0 || ix->version < 2 ||
	    ix->version > 4)
		return NULL;
	for (i = 0; i < ix->count; i++)
		if (any_ientry(ix, &off, &nm, &flags, &xflags) < 0)
			goto done;
	err = check_extensions(ix, off, r->index_path);
	/* Only the refusals: a malformed extension is git status's to say. */
	if (err != NULL && err->code == DIPB_ERR_CORRUPT) {
		dipb_error_free(err);
		err = NULL;
	}
done:
	dipb_buf_release(&nm);
	return err;
}

/*
 * The last index that passed, and its paths: a command checks a record
 * before its change (session.c) and dipb_repo_commit checks it again; at
 * 10,000 records reading the index twice more than needed is a tenth of
 * a change.  Same file (inode, size, times) and same paths: passed.
 */
static struct {
	const struct dipb_repo	*r;
	struct stat		 st;
	char			 paths[512];
} passed;

static void
passed_key(char *out, size_t size, const char *const *paths, size_t n)
{
	size_t k, len = 0, m;

	out[0] = '\0';
	for (k = 0; k < n; k++) {
		m = strlen(paths[k]);
		if (len + m + 2 > size) {
			out[0] = '\0';		/* too long: never cached */
			return;
		}
		memcpy(out + len, paths[k], m);
		out[len + m] = '\n';
		len += m + 1;
		out[len] = '\0';
	}
}

const struct dipb_error *
dipb_git_index_check(struct dipb_repo *r, const char *const *paths,
    size_t n)
{
	const struct dipb_error *err = NULL;
	struct dipb_buf nm = DIPB_BUF_INIT, prev = DIPB_BUF_INIT;
	char *bad = NULL, *shown;	/* the first entry git refuses */
	struct rawindex ix;
	unsigned flags, xflags, stage, pstage = 0;
	size_t off, k, plen, at;
	uint32_t i, mode;
	struct dipb_buf pats = DIPB_BUF_INIT;
	char key[sizeof(passed.paths)];
	int *found = xcalloc(n + 1, sizeof(*found)), skip = 0, on, c;
	int sparse = 0;

	memset(&ix, 0, sizeof(ix));
	passed_key(key, sizeof(key), paths, n);
	if ((err = sparse_on(&sparse, r)) != NULL)
		goto done;
	if (stat(r->index_path, &ix.st) == -1) {
		if (errno == ENOENT)
			goto lock;	/* no index yet: git makes one */
		err = dipb_error_from_errno("%s", r->index_path);
		goto done;
	}
	if (passed.r == r && key[0] != '\0' &&
	    strcmp(passed.paths, key) == 0 && dipb_git_same_stat(&passed.st, &ix.st))
		goto lock;
	if ((err = index_bytes(&ix.st, r)) != NULL)
		goto done;
	rawindex_bytes(&ix, r, 0);
	/* Not its checksum: git reads the index without (fsck checks it). */
	if (ix.b.len < IDX_HDR + IDX_TRAILER ||
	    memcmp(ix.b.ptr, "DIRC", 4) != 0) {
		err = dipb_error_fmt(DIPB_ERR_CORRUPT, "cannot read the index "
		    "'%s' (not an index file): see what 'git status' says",
		    r->index_path);
		goto done;
	}
	ix.version = get32(ix.b.ptr + 4);
	ix.count = get32(ix.b.ptr + 8);
	if (ix.version < 2 || ix.version > 4) {
		err = dipb_error_fmt(DIPB_ERR_NO_REPO, "the index '%s' is of "
		    "version %u, which dipb does not write: run 'git "
		    "update-index --index-version 2', then retry",
		    r->index_path, ix.version);
		goto done;
	}
	/* The entries: the paths' own, and any the sparse checkout left out. */
	for (i = 0, off = IDX_HDR; i < ix.count && err == NULL; i++) {
		at = off;
		if (any_ientry(&ix, &off, &nm, &flags, &xflags) < 0) {
			err = dipb_error_fmt(DIPB_ERR_CORRUPT, "cannot read "
			    "the index '%s' (entry %lu): see what 'git "
			    "status' says", r->index_path, (unsigned long)i);
			goto done;
		}
		/*
		 * What git's own reader takes for granted, and git status and
		 * git fsck refuse: a mode git writes (a file, executable or
		 * not, a link, a submodule; a sparse index's folder, refused
		 * below by its name) and the entries in order, each path and
		 * stage once.  dipb would keep the rest, or change one of two
		 * entries of a path.
		 */
		mode = get32(ix.b.ptr + at + 24);
		stage = (flags >> 12) & 3;
		c = i == 0 ? 1 : ipath_cmp(nm.ptr, nm.len, prev.ptr, prev.len);
		if (bad == NULL && ((mode != 0100644 && mode != 0100755 &&
		    mode != 0120000 && mode != 0160000 && mode != 0040000) ||
		    c < 0 || (c == 0 && stage <= pstage))) {
			shown = dipb_text_clean_line(nm.ptr);
			bad = xasprintf("entry %lu, '%s': %s",
			    (unsigned long)i, shown, c > 0 || (c == 0 &&
			    stage > pstage) ? "a mode git never writes" :
			    "out of order, or twice");
			free(shown);
		}
		dipb_buf_clear(&prev);
		dipb_buf_put(&prev, nm.ptr, nm.len);
		pstage = stage;
		if (xflags & IDX_SKIP_WORKTREE)
			skip = 1;
		for (k = 0; k < n && err == NULL; k++) {
			plen = strlen(paths[k]);
			if (nm.len == plen && memcmp(nm.ptr, paths[k],
			    plen) == 0) {
				found[k] = 1;
				err = check_entry(paths[k], flags, xflags,
				    sparse);
			} else if (nm.len < plen && nm.len > 0 &&
			    nm.ptr[nm.len - 1] == '/' &&
			    memcmp(nm.ptr, paths[k], nm.len) == 0)
				err = outside_sparse(paths[k]);	/* sparse folder */
		}
	}
	/* A split index's entries are no paths: its extension is said. */
	if (err != NULL ||
	    (err = check_extensions(&ix, off, r->index_path)) != NULL)
		goto done;
	if (bad != NULL) {
		err = dipb_error_fmt(DIPB_ERR_CORRUPT, "cannot read the index "
		    "'%s' (%s): see what 'git status' says", r->index_path,
		    bad);
		goto done;
	}
	/* A new file: where git would give it the skip-worktree bit. */
	if (sparse && skip && (err = sparse_load(&pats, &on, r)) == NULL &&
	    on)
		for (k = 0; k < n && err == NULL; k++)
			if (!found[k] && sparse_excludes(&pats, paths[k]))
				err = outside_sparse(paths[k]);
	if (err != NULL)
		goto done;
	passed.r = r;
	passed.st = ix.st;
	memcpy(passed.paths, key, sizeof(key));
lock:
	/*
	 * Waited for, not taken: a dipb killed here would leave an
	 * index.lock that no journal explains.
	 */
	err = dipb_git_check_lock(r, r->index_path);
done:
	dipb_buf_release(&nm);
	dipb_buf_release(&prev);
	free(bad);
	dipb_buf_release(&pats);
	rawindex_release(&ix);
	free(found);
	return err;
}

/* ---- a change that moves files (dipb migrate) --------------------- */

/*
 * A move of every record touches tens of thousands of paths: each is
 * found by a binary search over the entries' offsets, taken in one pass,
 * not by a scan of the index per path (rawindex_find).
 */
struct ilookup {
	struct rawindex	 ix;
	size_t		*off;		/* raw: each entry's offset */
	git_index	*idx;		/* else libgit2's */
	struct stat	 ist;
};

static void
ilookup_release(struct ilookup *l)
{
	free(l->off);
	git_index_free(l->idx);
	rawindex_release(&l->ix);
	memset(l, 0, sizeof(*l));
}

static const struct dipb_error *
ilookup_load(struct ilookup *l, struct dipb_repo *r)
{
	const struct dipb_error *err;
	const char *name = NULL;
	size_t o, nlen = 0;
	uint32_t i;
	int ok;

	memset(l, 0, sizeof(*l));
	if ((err = rawindex_load(&l->ix, &ok, r, 1)) != NULL)
		return err;
	l->ist = l->ix.st;
	if (ok) {
		l->off = xcalloc(l->ix.count + 1, sizeof(*l->off));
		for (i = 0, o = IDX_HDR; i < l->ix.count; i++) {
			l->off[i] = o;
			o += raw_ientry(&l->ix, o, &name, &nlen);
		}
		return NULL;
	}
	if (access(r->index_path, F_OK) == -1)
		return NULL;		/* no index: every path is absent */
	if ((err = open_index(&l->idx, r)) != NULL)
		return err;
	if (stat(r->index_path, &l->ist) == -1)
		memset(&l->ist, 0, sizeof(l->ist));
	return NULL;
}

/* The first raw entry whose path is path or after it. */
static size_t
raw_lower(const struct ilookup *l, const char *path)
{
	const char *name = NULL;
	size_t lo = 0, hi = l->ix.count, mid, nlen = 0, plen = strlen(path);

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		raw_ientry(&l->ix, l->off[mid], &name, &nlen);
		if (ipath_cmp(name, nlen, path, plen) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * path in the index: *found (stage 0, its entry in *e), *conflict (other
 * stages), *skip (skip-worktree).
 */
static void
ilookup_get(const struct ilookup *l, const char *path, int *found,
    int *conflict, int *skip, struct ientry *e)
{
	const git_index_entry *ge;
	const char *name = NULL, *p;
	size_t i, nlen = 0, plen = strlen(path);
	unsigned flags;

	*found = *conflict = *skip = 0;
	if (l->off != NULL) {
		for (i = raw_lower(l, path); i < l->ix.count; i++) {
			raw_ientry(&l->ix, l->off[i], &name, &nlen);
			if (nlen != plen || memcmp(name, path, plen) != 0)
				break;
			p = l->ix.b.ptr + l->off[i];
			flags = get16(p + 60);
			if ((flags & IDX_EXTENDED) &&
			    (get16(p + 62) & IDX_SKIP_WORKTREE))
				*skip = 1;
			if ((flags >> 12) & 3)
				*conflict = 1;
			else {
				*found = 1;
				raw_ientry_get(e, p);
			}
		}
		return;
	}
	if (l->idx == NULL)
		return;
	git_find(l->idx, path, found, conflict, e);
	if ((ge = git_index_get_bypath(l->idx, path, 0)) != NULL &&
	    (ge->flags_extended & GIT_INDEX_ENTRY_SKIP_WORKTREE))
		*skip = 1;
}

/* 1 when an entry of the index has the skip-worktree bit. */
static int
ilookup_any_skip(const struct ilookup *l)
{
	const git_index_entry *ge;
	const char *p;
	size_t i, n;

	if (l->off != NULL) {
		for (i = 0; i < l->ix.count; i++) {
			p = l->ix.b.ptr + l->off[i];
			if ((get16(p + 60) & IDX_EXTENDED) &&
			    (get16(p + 62) & IDX_SKIP_WORKTREE))
				return 1;
		}
		return 0;
	}
	n = l->idx != NULL ? git_index_entrycount(l->idx) : 0;
	for (i = 0; i < n; i++)
		if ((ge = git_index_get_byindex(l->idx, i)) != NULL &&
		    (ge->flags_extended & GIT_INDEX_ENTRY_SKIP_WORKTREE))
			return 1;
	return 0;
}

const struct dipb_error *
dipb_git_index_sparse(int *out, struct dipb_repo *r,
    const struct jfile *files, size_t n)
{
	const struct dipb_error *err = NULL;
	struct dipb_buf pats = DIPB_BUF_INIT;
	struct ilookup l;
	struct ientry e;
	size_t i;
	int found, conflict, skip, any, on = 0;

	memset(out, 0, n * sizeof(*out));
	if (n == 0 || (err = sparse_on(&on, r)) != NULL || !on)
		return err;
	if ((err = ilookup_load(&l, r)) != NULL)
		return err;
	if ((any = ilookup_any_skip(&l)) != 0)
		err = sparse_load(&pats, &on, r);
	for (i = 0; i < n && err == NULL; i++) {
		ilookup_get(&l, files[i].path, &found, &conflict, &skip, &e);
		if (skip && !conflict)
			out[i] = 1;
		else if (!found && !conflict && any && on)
			out[i] = sparse_excludes(&pats, files[i].path);
	}
	ilookup_release(&l);
	dipb_buf_release(&pats);
	return err;
}

/* The working file of a move's from: clean, holding the moved blob. */
static const struct dipb_error *
check_from(struct dipb_repo *r, const struct ilookup *l,
    const struct jmove *m, const struct ientry *e)
{
	const struct dipb_error *err;
	struct stat st;
	git_oid wt;
	char *full = xasprintf("%s%s", r->workdir, m->from);
	int rc = lstat(full, &st);

	if (rc == -1 && errno != ENOENT && errno != ENOTDIR) {
		/* Not looked at (a folder on the way without search
		 * permission): never taken for deleted. */
		err = dipb_error_from_errno("cannot read '%s' in the working "
		    "tree", m->from);
		free(full);
		return err;
	}
	free(full);
	if (rc == -1 || !S_ISREG(st.st_mode))
		return dipb_error_fmt(DIPB_ERR_DIRTY, "%s is %s in the working "
		    "tree: restore it with 'git checkout HEAD -- %s', then "
		    "retry", m->from, rc == -1 ? "deleted" : "not a file",
		    m->from);
	if (stat_clean(e, &st, &l->ist))
		return NULL;
	if ((err = dipb_git_worktree_path_check(r, m->from)) != NULL ||
	    (err = dipb_git_hash_file(&wt, r, m->from)) != NULL)
		return err;
	if (!git_oid_equal(&wt, &m->id))
		return dipb_error_fmt(DIPB_ERR_DIRTY, "%s has uncommitted "
		    "changes: commit them ('dipb edit ID --no-edit' for a "
		    "record) or undo them, then retry", m->from);
	return NULL;
}

/*
 * No symbolic link on the way to path (dipb_git_worktree_path_check), and
 * its folder one the move may take a file out of (out 1) or put one in
 * (dipb_git_folder_writable), checked once for each folder: *last the
 * folder checked before.
 */
static const struct dipb_error *
folder_check(struct dipb_repo *r, struct dipb_buf *last, const char *path,
    int out)
{
	const struct dipb_error *err;
	const char *slash = strrchr(path, '/');
	size_t dlen = slash != NULL ? (size_t)(slash - path) : 0;

	if (last->ptr != NULL && dlen == last->len &&
	    memcmp(last->ptr, path, dlen) == 0)
		return NULL;
	dipb_buf_clear(last);
	dipb_buf_put(last, path, dlen);
	if ((err = dipb_git_worktree_path_check(r, path)) != NULL)
		return err;
	return dipb_git_folder_writable(r, path, out);
}

const struct dipb_error *
dipb_git_moves_check(struct dipb_repo *r, const struct jmove *moves,
    size_t n)
{
	const struct dipb_error *err;
	struct dipb_buf lastfrom = DIPB_BUF_INIT, lastto = DIPB_BUF_INIT;
	struct ilookup l;
	struct ientry e;
	struct dipb_buf pats = DIPB_BUF_INIT;
	struct stat st;
	char *full;
	size_t i;
	int found, conflict, skip, rc, sparse = 0;

	/* The whole index's checks (version, extensions, index.lock). */
	if ((err = dipb_git_index_check(r, NULL, 0)) != NULL ||
	    (err = ilookup_load(&l, r)) != NULL)
		return err;
	/* New paths where git would give them the skip-worktree bit: as
	 * for a new record (dipb_git_index_check), refused. */
	if (ilookup_any_skip(&l))
		err = sparse_load(&pats, &sparse, r);
	memset(&e, 0, sizeof(e));
	for (i = 0; i < n && err == NULL; i++) {
		ilookup_get(&l, moves[i].from, &found, &conflict, &skip, &e);
		if (conflict || skip || !found ||
		    !git_oid_equal(&e.id, &moves[i].id)) {
			err = dipb_error_fmt(DIPB_ERR_DIRTY, "%s %s in the "
			    "index: %s, then retry", moves[i].from,
			    conflict ? "has a conflict" : skip ? "is marked "
			    "skip-worktree" : !found ? "is deleted" : "has "
			    "staged changes", skip ? "run 'git update-index "
			    "--no-skip-worktree' on it" : "commit them or "
			    "undo them ('git restore --staged')");
			break;
		}
		if ((err = check_from(r, &l, &moves[i], &e)) != NULL)
			break;
		ilookup_get(&l, moves[i].to, &found, &conflict, &skip, &e);
		full = xasprintf("%s%s", r->workdir, moves[i].to);
		rc = lstat(full, &st);
		if (rc == -1 && errno == ENOTDIR)
			rc = 0;		/* a file where a folder must be */
		free(full);
		if (found || conflict || rc == 0) {
			err = dipb_error_fmt(DIPB_ERR_DIRTY, "%s is in the way "
			    "(%s): move it away, then retry", moves[i].to,
			    rc == 0 ? "an untracked file in the working tree" :
			    "in the index");
			break;
		}
		if ((err = folder_check(r, &lastfrom, moves[i].from, 1)) !=
		    NULL)
			break;
		if (sparse && sparse_excludes(&pats, moves[i].to))
			err = outside_sparse(moves[i].to);
		else
			err = folder_check(r, &lastto, moves[i].to, 0);
	}
	dipb_buf_release(&pats);
	dipb_buf_release(&lastfrom);
	dipb_buf_release(&lastto);
	ilookup_release(&l);
	return err;
}

/* A new entry for the index: its path and its bytes, for the sort. */
struct inew {
	const char	*path;
	struct ientry	 e;
};

static int
inew_cmp(const void *a, const void *b)
{
	return strcmp(((const struct inew *)a)->path,
	    ((const struct inew *)b)->path);
}

static void
raw_put_new(struct dipb_buf *out, const struct inew *u)
{
	size_t plen = strlen(u->path), sz = (IDX_FIXED + plen + 8) &
	    ~(size_t)7;
	unsigned flags = plen < IDX_NAMEMASK ? (unsigned)plen : IDX_NAMEMASK;

	dipb_buf_grow(out, sz);
	memset(out->ptr + out->len, 0, sz);
	raw_ientry_put(out->ptr + out->len, &u->e);
	out->ptr[out->len + 60] = (char)(flags >> 8);
	out->ptr[out->len + 61] = (char)flags;
	memcpy(out->ptr + out->len + IDX_FIXED, u->path, plen);
	out->len += sz;
}

/*
 * The raw index rewritten in one merge: its entries but the dropped ones,
 * racy ones smudged (rawindex_smudge), and the new ones, sorted.
 */
static const struct dipb_error *
raw_moves(struct dipb_repo *r, struct dipb_git_lockfile *lf,
    struct ilookup *l, const struct jmove *m, size_t n,
    const struct inew *nw, size_t nn)
{
	const struct dipb_error *err;
	struct dipb_buf nb = DIPB_BUF_INIT, out = DIPB_BUF_INIT;
	struct rawindex nix;
	struct ientry e;
	const char *name = NULL, *p;
	unsigned char *drop = xcalloc(l->ix.count + 1, 1);
	size_t i, k, nlen = 0, sz, at;
	uint32_t count = 0;
	int budget = RACY_HASHED;

	for (i = 0; i < n; i++) {
		at = raw_lower(l, m[i].from);
		if (at < l->ix.count) {
			raw_ientry(&l->ix, l->off[at], &name, &nlen);
			p = l->ix.b.ptr + l->off[at];
			raw_ientry_get(&e, p);
			if (nlen == strlen(m[i].from) && memcmp(name,
			    m[i].from, nlen) == 0 && ((get16(p + 60) >> 12) &
			    3) == 0 && git_oid_equal(&e.id, &m[i].id))
				drop[at] = 1;
		}
		at = raw_lower(l, m[i].to);
		if (at < l->ix.count) {
			raw_ientry(&l->ix, l->off[at], &name, &nlen);
			if (nlen == strlen(m[i].to) && memcmp(name, m[i].to,
			    nlen) == 0 && ((get16(l->ix.b.ptr + l->off[at] +
			    60) >> 12) & 3) == 0)
				drop[at] = 1;
		}
	}
	dipb_buf_put(&nb, l->ix.b.ptr, IDX_HDR);
	for (i = 0, k = 0; i < l->ix.count || k < nn; ) {
		if (i < l->ix.count && drop[i]) {
			i++;
			continue;
		}
		if (i < l->ix.count)
			raw_ientry(&l->ix, l->off[i], &name, &nlen);
		if (i == l->ix.count || (k < nn && ipath_cmp(nw[k].path,
		    strlen(nw[k].path), name, nlen) <= 0)) {
			raw_put_new(&nb, &nw[k++]);
			count++;
			continue;
		}
		sz = raw_ientry(&l->ix, l->off[i], &name, &nlen);
		at = nb.len;
		dipb_buf_put(&nb, l->ix.b.ptr + l->off[i], sz);
		if (racy(get32(nb.ptr + at + 8), &l->ix.st) &&
		    ((get16(nb.ptr + at + 60) >> 12) & 3) == 0) {
			raw_ientry_get(&e, nb.ptr + at);
			if (racy_smudge(r, name, &e, &l->ix.st, &budget))
				put32(nb.ptr + at + 36, 0);
		}
		count++;
		i++;
	}
	memset(&nix, 0, sizeof(nix));
	nix.ents_end = nb.len;
	dipb_buf_put(&nb, l->ix.b.ptr + l->ix.ents_end,
	    l->ix.b.len - l->ix.ents_end);
	put32(nb.ptr + 8, count);
	nix.b = nb;
	nix.version = l->ix.version;
	nix.count = count;
	if ((err = rawindex_finish(&out, &nix, NULL, (size_t)-1)) == NULL &&
	    (err = dipb_git_lock_write(lf, out.ptr, out.len, r->fsync)) ==
	    NULL)
		err = dipb_git_lock_commit(lf);
	dipb_buf_release(&nix.b);
	dipb_buf_release(&out);
	free(drop);
	return err;
}

/* The same through libgit2, for the indexes dipb does not read itself. */
static const struct dipb_error *
git_moves(struct dipb_repo *r, struct ilookup *l, const struct jmove *m,
    size_t n, const struct inew *nw, size_t nn)
{
	const struct dipb_error *err;
	const git_index_entry *ge;
	const char **paths;
	git_index_entry ne;
	struct iupdate u;
	size_t i;

	if (l->idx == NULL && git_index_open(&l->idx, r->index_path) < 0)
		return dipb_error_from_git("cannot open the index");
	for (i = 0; i < n; i++)
		if ((ge = git_index_get_bypath(l->idx, m[i].from, 0)) != NULL &&
		    git_oid_equal(&ge->id, &m[i].id) &&
		    git_index_remove(l->idx, m[i].from, 0) < 0)
			return dipb_error_from_git("cannot update the index "
			    "for '%s'", m[i].from);
	for (i = 0; i < nn; i++) {
		u.path = nw[i].path;
		u.e = nw[i].e;
		/* A moved file is in the checkout (dipb_git_moves_check). */
		u.skip = 0;
		entry_to_git(&ne, &u);
		if (git_index_add(l->idx, &ne) < 0)
			return dipb_error_from_git("cannot update the index "
			    "for '%s'", nw[i].path);
	}
	paths = xcalloc(nn + 1, sizeof(*paths));
	for (i = 0; i < nn; i++)
		paths[i] = nw[i].path;
	err = dipb_git_index_smudge(r, l->idx, &l->ist, paths, nn);
	free(paths);
	if (err != NULL)
		return err;
	dipb_git_index_unhold(r);	/* libgit2 takes it itself */
	if (dipb_git_retry(r->retries, try_index_write, l->idx) !=
	    DIPB_GIT_DONE)
		return dipb_error_from_git("cannot write the index");
	return dipb_git_perm_fix(r, r->index_path, -1);
}

const struct dipb_error *
dipb_git_index_moves(struct dipb_repo *r, const struct jmove *moves, size_t n,
    const struct stat *st)
{
	const struct dipb_error *err;
	struct dipb_git_lockfile lf = DIPB_GIT_LOCKFILE_INIT;
	struct ilookup l;
	struct inew *nw = xcalloc(n + 1, sizeof(*nw));
	size_t i;

	for (i = 0; i < n; i++) {
		nw[i].path = moves[i].to;
		ientry_from_stat(&nw[i].e, st[i].st_mode != 0 ? &st[i] : NULL,
		    moves[i].mode, &moves[i].id);
	}
	qsort(nw, n, sizeof(*nw), inew_cmp);
	memset(&l, 0, sizeof(l));
	/* Locked before reading, so no other writer's change is lost. */
	if ((err = index_lock(&lf, r)) == NULL &&
	    (err = ilookup_load(&l, r)) == NULL) {
		if (l.off != NULL)
			err = raw_moves(r, &lf, &l, moves, n, nw, n);
		else
			index_lock_keep(&lf, r);	/* for git_moves */
	}
	dipb_git_lock_rollback(&lf);
	if (err == NULL && l.off == NULL)
		err = git_moves(r, &l, moves, n, nw, n);
	ilookup_release(&l);
	free(nw);
	return err;
}

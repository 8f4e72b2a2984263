/*
 * git/index.c - the index read: its entries as bytes for git's usual
 * index (mapped once, found by a scan), through libgit2 for version 4
 * (but the names of any index, dipb_repo_index_paths);
 * a path's entry and its state against the working file; the
 * .gitattributes entries given to libgit2.  What the files of the index
 * share is git/index.h; they are written in index_write.c, checked
 * before a change in index_check.c, moved in index_moves.c; the sparse
 * checkout's patterns are index_sparse.c's.
 */
#if defined(__linux__) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE		/* memfd_create */
#endif
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <git2/sys/repository.h>

#include "internal.h"
#include "index.h"
#include "../error.h"
#include "../util.h"

/* The size of the entry at off (its name in *name, *nlen); 0: malformed. */
size_t
dipb_ix_raw_ientry(const struct rawindex *ix, size_t off, const char **name,
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

/*
 * Reads the entry at *off of an index of any version (2 to 4) and moves
 * *off past it: its name into nm (for version 4, which stores each name
 * as a change of the one before, nm must hold the previous name), its
 * flags and extended flags.  -1: malformed.
 */
int
dipb_ix_any_ientry(const struct rawindex *ix, size_t *off, struct dipb_buf *nm,
    unsigned *flags, unsigned *xflags)
{
	const char *p = ix->b.ptr + *off, *end = ix->b.ptr + ix->b.len -
	    IDX_TRAILER, *q, *nul, *name = NULL;
	size_t fixed = IDX_FIXED, strip, sz, nlen = 0;
	unsigned c;

	if (ix->version != 4) {
		if ((sz = dipb_ix_raw_ientry(ix, *off, &name, &nlen)) == 0)
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

void
dipb_ix_raw_ientry_get(struct ientry *e, const char *p)
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

void
dipb_ix_raw_ientry_put(char *p, const struct ientry *e)
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

void
dipb_ix_ientry_from_stat(struct ientry *e, const struct stat *st, unsigned mode,
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
int
dipb_ix_ipath_cmp(const char *a, size_t alen, const char *b, size_t blen)
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
 * replaced the file (its stat data changed, as packed-refs in packed.c; git
 * and dipb replace an index whole, by a rename, never in place).  A state
 * change looks at the index three or four times (its check, the path's
 * state, .gitattributes, the update): all but the update read the mapped
 * bytes in place (dipb_ix_rawindex_load).  At 30,000 records the index is 3 MB:
 * read into memory, then copied for each look, it took two thirds of the
 * page faults of a dipb recommend.
 */
const struct dipb_error *
dipb_ix_index_bytes(struct stat *st, struct dipb_repo *r)
{
	void *p;
	int fd;

	if (r->index_have && dipb_git_same_stat(st, &r->index_st))
		return NULL;
	/*
	 * git replaces the index by a rename, maybe since st was taken:
	 * the file opened is read by its own size, never st's (an old size
	 * read a new index cut short, or mapped past its end).  Never a
	 * FIFO, whose open(2) waits for a writer.
	 */
	if ((fd = dipb_open_regular(r->index_path, 0, st)) == -2)
		return dipb_error_fmt(DIPB_ERR_IO, "%s: not a regular file",
		    r->index_path);
	if (fd == -1)
		return dipb_error_from_errno("%s", r->index_path);
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
 * dipb_ix_index_bytes() of a file replaced: ix is released before then.
 * In a batch of index writes, the index it builds (dipb_git_index_batch)
 * once one is made, in the same two ways.
 */
void
dipb_ix_rawindex_bytes(struct rawindex *ix, struct dipb_repo *r, int own)
{
	int pend = r->ibatch && r->ipend.len > 0;
	const char *p = pend ? r->ipend.ptr : r->index_map;
	size_t len = pend ? r->ipend.len : r->index_len;

	if (own) {
		dipb_buf_clear(&ix->b);
		/* Room for the entries a change adds (index_write.c). */
		dipb_buf_grow(&ix->b, len + 4096);
		if (len > 0)
			dipb_buf_put(&ix->b, p, len);
		return;
	}
	ix->b.ptr = (char *)(uintptr_t)p;
	ix->b.len = len;
	ix->b.cap = 0;
	ix->borrowed = 1;
}

void
dipb_ix_rawindex_release(struct rawindex *ix)
{
	if (!ix->borrowed)
		dipb_buf_release(&ix->b);
	memset(&ix->b, 0, sizeof(ix->b));
	ix->borrowed = 0;
}

/*
 * ix's header, entries and extensions walked: 1 when they are well
 * formed, of version 2, 3 or 4, with ents_end set, ix->required 1 when an
 * extension git requires is there ("link" of a split index, "sdir" of a
 * sparse one: lower case) and ix->link, ix->linklen the "link"
 * extension's bytes (0: none); 0 for anything else, ents_end 0.
 */
static int
rawindex_walk(struct rawindex *ix)
{
	struct dipb_buf nm = DIPB_BUF_INIT;
	const char *p;
	size_t off, end;
	uint32_t i, esz;
	unsigned flags, xflags;

	ix->ents_end = ix->link = ix->linklen = 0;
	ix->required = 0;
	if (ix->b.len < IDX_HDR + IDX_TRAILER ||
	    memcmp(ix->b.ptr, "DIRC", 4) != 0)
		return 0;
	ix->version = get32(ix->b.ptr + 4);
	ix->count = get32(ix->b.ptr + 8);
	if (ix->version < 2 || ix->version > 4)
		return 0;
	for (i = 0, off = IDX_HDR; i < ix->count; i++)
		if (dipb_ix_any_ientry(ix, &off, &nm, &flags, &xflags) < 0)
			break;
	dipb_buf_release(&nm);
	if (i < ix->count)
		return 0;
	end = off;
	while (off < ix->b.len - IDX_TRAILER) {
		if (ix->b.len - IDX_TRAILER - off < 8)
			return 0;
		p = ix->b.ptr + off;
		esz = get32(p + 4);
		if (esz > ix->b.len - IDX_TRAILER - off - 8)
			return 0;
		if (p[0] < 'A' || p[0] > 'Z')
			ix->required = 1;
		if (memcmp(p, "link", 4) == 0) {
			ix->link = off + 8;
			ix->linklen = esz;
		}
		off += 8 + (size_t)esz;
	}
	ix->ents_end = end;
	return 1;
}

/*
 * Reads r's index file into ix, a copy of its bytes with own (to change
 * them), else the mapping r keeps (dipb_ix_rawindex_bytes);
 * dipb_ix_rawindex_release() either way.  *ok is 1 when dipb handles
 * this index itself, 0 when libgit2 must (no index yet, version 4, split
 * or sparse index, anything unexpected).  ix->ents_end is not 0 when its
 * entries could be read all the same (a split or sparse index, version
 * 4: dipb_ix_any_ientry).
 */
const struct dipb_error *
dipb_ix_rawindex_load(struct rawindex *ix, int *ok, struct dipb_repo *r,
    int own)
{
	const struct dipb_error *err;
	const char *path = r->index_path;

	*ok = 0;
	memset(&ix->st, 0, sizeof(ix->st));
	ix->ents_end = 0;
	if (stat(path, &ix->st) == -1) {
		if (errno == ENOENT)
			return NULL;
		return dipb_error_from_errno("%s", path);
	}
	if ((err = dipb_ix_index_bytes(&ix->st, r)) != NULL)
		return err;
	dipb_ix_rawindex_bytes(ix, r, own);
	*ok = rawindex_walk(ix) && !ix->required && ix->version != 4;
	return NULL;
}

int
dipb_git_index_libgit2_cannot(struct dipb_repo *r)
{
	const struct dipb_error *err;
	struct rawindex ix;
	int ok, cannot;

	memset(&ix, 0, sizeof(ix));
	err = dipb_ix_rawindex_load(&ix, &ok, r, 0);
	cannot = err == NULL && ix.ents_end != 0 && ix.required;
	dipb_error_free(err);
	dipb_ix_rawindex_release(&ix);
	return cannot;
}

/*
 * Finds path's stage-0 entry: *at its offset and *found 1, or *at where it
 * would go.  *conflict is set when the path has conflict stages.
 */
void
dipb_ix_rawindex_find(const struct rawindex *ix, const char *path, size_t *at,
    int *found, int *conflict)
{
	const char *name = NULL;
	size_t off, sz, nlen = 0, plen = strlen(path);
	uint32_t i;
	int c;

	*found = *conflict = 0;
	*at = ix->ents_end;
	for (i = 0, off = IDX_HDR; i < ix->count; i++, off += sz) {
		sz = dipb_ix_raw_ientry(ix, off, &name, &nlen);
		c = dipb_ix_ipath_cmp(name, nlen, path, plen);
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
 * 1 when data, len bytes of an index file, end in index.skipHash's
 * trailer: all zeros, no checksum, and none checked (git 2.40 and later;
 * dipb-git(7), "The index").
 */
int
dipb_ix_null_trailer(const char *data, size_t len)
{
	static const char zero[IDX_TRAILER];

	return len >= IDX_HDR + IDX_TRAILER &&
	    memcmp(data + len - IDX_TRAILER, zero, IDX_TRAILER) == 0;
}

/* The index file's checksum, of data, len bytes, put in its trailer. */
void
dipb_ix_trailer_fill(char *data, size_t len)
{
	dipb_git_sha1((unsigned char *)data + len - IDX_TRAILER, data,
	    len - IDX_TRAILER);
}

/*
 * The file the copy of the index libgit2 1.7 and older are given is
 * read through (dipb_git_index_open_file), made once per command: a
 * memfd (no file anywhere; Linux), named by /proc/self/fd, else a file
 * in $TMPDIR, removed when the repository is closed.  It stays open
 * until then: a git_index opened on it may look at it again.
 */
static const struct dipb_error *
icopy_make(struct dipb_repo *r)
{
	const struct dipb_error *err;
	char *name;
	int fd;

	if (r->icopy_name != NULL)
		return NULL;
#ifdef MFD_CLOEXEC
	if ((fd = memfd_create("dipb-index", MFD_CLOEXEC)) != -1) {
		name = xasprintf("/proc/self/fd/%d", fd);
		if (access(name, F_OK) == 0) {
			r->icopy_name = name;
			r->icopy_fd = fd;
			r->icopy_slot = -1;
			return NULL;
		}
		free(name);		/* no /proc */
		close(fd);
	}
#endif
	name = xasprintf("%s/.dipb_index_XXXXXX", dipb_tmp_dir());
	/* Closed on exec: dipb runs git and ssh-keygen while it is open. */
	if ((fd = mkostemp(name, O_CLOEXEC)) == -1) {
		err = dipb_error_from_errno("cannot copy the index "
		    "(index.skipHash) for libgit2 into TMPDIR: %s", name);
		free(name);
		return err;
	}
	r->icopy_name = name;
	r->icopy_fd = fd;
	r->icopy_slot = dipb_tmp_watch(name);
	return NULL;
}

void
dipb_git_index_copy_close(struct dipb_repo *r)
{
	if (r->icopy_name == NULL)
		return;
	if (r->icopy_slot != -1 || strncmp(r->icopy_name, "/proc/", 6) != 0)
		(void)unlink(r->icopy_name);
	dipb_tmp_forget(r->icopy_slot);
	close(r->icopy_fd);
	free(r->icopy_name);
	r->icopy_name = NULL;
}

/*
 * The copy's bytes made those of the index, its checksum filled in, once
 * per index: again only when the index's stat data is no longer
 * r->icopy_st (git and dipb replace an index whole, by a rename).
 * *null 0, and nothing copied, when its trailer is a checksum.
 */
static const struct dipb_error *
icopy_fill(int *null, struct dipb_repo *r)
{
	const struct dipb_error *err;
	struct dipb_buf b = DIPB_BUF_INIT;
	struct stat st;

	*null = 0;
	if (stat(r->index_path, &st) == -1)
		return NULL;
	if ((*null = r->icopy_have && dipb_git_same_stat(&st, &r->icopy_st)))
		return NULL;
	r->icopy_have = 0;
	if ((err = dipb_read_regular(&b, r->index_path, O_NOFOLLOW,
	    (size_t)-1)) != NULL || !(*null = dipb_ix_null_trailer(b.ptr,
	    b.len)) || (err = icopy_make(r)) != NULL)
		goto done;
	dipb_ix_trailer_fill(b.ptr, b.len);
	if (ftruncate(r->icopy_fd, 0) == -1 ||
	    lseek(r->icopy_fd, 0, SEEK_SET) == -1)
		err = dipb_error_from_errno("cannot copy the index "
		    "(index.skipHash) for libgit2: %s", r->icopy_name);
	else if ((err = dipb_write_all(r->icopy_fd, r->icopy_name, b.ptr,
	    b.len, 0)) == NULL) {
		r->icopy_st = st;
		r->icopy_have = 1;
	}
done:
	dipb_buf_release(&b);
	return err;
}

/*
 * libgit2 from 1.8 reads index.skipHash's null trailer; 1.7 and older
 * check it as a checksum ("calculated checksum does not match expected").
 * Those are given a copy with the checksum filled in (icopy_fill): the
 * repository may be read-only.
 */
const struct dipb_error *
dipb_git_index_open_file(git_index **out, struct dipb_repo *r,
    const char *what)
{
	const struct dipb_error *err;
	int null;

	*out = NULL;
	if (git_index_open(out, r->index_path) == 0)
		return NULL;
	err = icopy_fill(&null, r);
	if (err == NULL && !null)
		return dipb_error_from_git("%s", what);
	git_error_clear();
	if (err != NULL)
		return err;
	if (git_index_open(out, r->icopy_name) < 0)
		return dipb_error_from_git("%s", what);
	return NULL;
}

const struct dipb_error *
dipb_ix_open_index(git_index **out, struct dipb_repo *r)
{
	const struct dipb_error *err;

	*out = NULL;
	/*
	 * The file itself: the repository's may be dipb_git_attr_index's.
	 * Opened so, with no repository, libgit2 smudges no racy entry when
	 * it writes the index: dipb does (dipb_git_index_smudge).
	 */
	if ((err = dipb_git_index_open_file(out, r, "cannot open the index"))
	    != NULL)
		return err;
	/* Re-read only if another process rewrote it. */
	if (git_index_read(*out, 0) < 0) {
		git_index_free(*out);
		*out = NULL;
		return dipb_error_from_git("cannot read the index");
	}
	return NULL;
}

/* dipb_ix_raw_ientry_get of libgit2's entry. */
void
dipb_ix_git_ientry_get(struct ientry *e, const git_index_entry *ge)
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

/*
 * The same as dipb_ix_rawindex_find and dipb_ix_raw_ientry_get, through
 * libgit2.
 */
void
dipb_ix_git_find(git_index *idx, const char *path, int *found, int *conflict,
    struct ientry *e)
{
	const git_index_entry *ge;
	int stage;

	*found = *conflict = 0;
	if ((ge = git_index_get_bypath(idx, path, 0)) != NULL) {
		*found = 1;
		dipb_ix_git_ientry_get(e, ge);
	}
	for (stage = 1; stage <= 3; stage++)
		if (git_index_get_bypath(idx, path, stage) != NULL)
			*conflict = 1;
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
	if ((err = dipb_ix_rawindex_load(&ix, &ok, r, 0)) == NULL && ok) {
		dipb_ix_rawindex_find(&ix, path, &at, found, conflict);
		if (*found)
			dipb_ix_raw_ientry_get(e, ix.b.ptr + at);
		*ist = ix.st;
	}
	dipb_ix_rawindex_release(&ix);
	if (err != NULL || ok)
		return err;

	if ((err = dipb_ix_open_index(&idx, r)) != NULL)
		return err;
	dipb_ix_git_find(idx, path, found, conflict, e);
	/* Not git_index_path: a copy (dipb_git_index_open_file). */
	if (stat(r->index_path, ist) == -1)
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
 * name pushed onto out unless keep refuses it, its entry's mode is not
 * want (0: any), or it is out's last.
 */
static void
index_path_keep(struct dipb_strlist *out, const char *name, size_t nlen,
    dipb_repo_path_fn keep, uint32_t mode, uint32_t want)
{
	if ((want != 0 && mode != want) || !keep(name, nlen) || (out->n > 0 &&
	    strncmp(out->v[out->n - 1], name, nlen) == 0 &&
	    out->v[out->n - 1][nlen] == '\0'))
		return;
	dipb_strlist_push_owned(out, xstrndup(name, nlen));
}

/*
 * The bits set in EWAH bitmap p (git's compressed bitmap, index-format(5),
 * "split index") into set, n bits: *used its size; 0 when malformed.
 */
static int
ewah_bits(unsigned char *set, size_t n, const char *p, size_t len,
    size_t *used)
{
	uint64_t w, run, lit, bit, k, b;
	uint32_t words, i;

	/* 4 bytes of bits, 4 of words, the words, 4 of the last RLW's place. */
	if (len < 12 || (words = get32(p + 4)) > (len - 12) / 8)
		return 0;
	*used = 12 + (size_t)words * 8;
	for (i = 0, bit = 0; i < words; ) {
		w = (uint64_t)get32(p + 8 + 8 * (size_t)i) << 32 |
		    get32(p + 12 + 8 * (size_t)i);
		i++;
		run = (w >> 1) & 0xffffffff;
		lit = w >> 33;
		/* A run of ones: set up to n, not counted through. */
		for (k = bit; (w & 1) && k < n && k - bit < run * 64; k++)
			set[k] = 1;
		bit += run * 64;
		for (k = 0; k < lit && i < words; k++, i++, bit += 64) {
			w = (uint64_t)get32(p + 8 + 8 * (size_t)i) << 32 |
			    get32(p + 12 + 8 * (size_t)i);
			for (b = 0; b < 64; b++)
				if ((w >> b & 1) && bit + b < n)
					set[bit + b] = 1;
		}
	}
	return 1;
}

/*
 * The names of ix's entries (walked: rawindex_walk) keep takes into out,
 * but those gone says.
 */
static void
rawindex_names(struct dipb_strlist *out, const struct rawindex *ix,
    dipb_repo_path_fn keep, uint32_t want, const unsigned char *gone)
{
	struct dipb_buf nm = DIPB_BUF_INIT;
	size_t off, at;
	uint32_t k;
	unsigned flags, xflags;

	/* Entries sorted by name, a path's stages side by side; a split
	 * index's entry that replaces a shared one has no name.  The mode
	 * is at the same place in every version. */
	for (k = 0, off = IDX_HDR; k < ix->count; k++)
		if (dipb_ix_any_ientry(ix, (at = off, &off), &nm, &flags,
		    &xflags) == 0 && nm.len > 0 && (gone == NULL || !gone[k]))
			index_path_keep(out, nm.ptr, nm.len, keep,
			    get32(ix->b.ptr + at + 24), want);
	dipb_buf_release(&nm);
}

/*
 * The names of split index ix's shared index, $GIT_DIR/sharedindex.<id>
 * (index-format(5)), into out, but those its "link" deletes.
 */
static const struct dipb_error *
shared_names(struct dipb_strlist *out, struct dipb_repo *r,
    const struct rawindex *ix, dipb_repo_path_fn keep, uint32_t want)
{
	const struct dipb_error *err = NULL;
	const char *link = ix->b.ptr + ix->link;
	struct rawindex sh;
	unsigned char *gone;
	char hex[GIT_OID_HEXSZ + 1], *path;
	git_oid id;
	size_t used;

	if (ix->linklen < GIT_OID_RAWSZ)
		return dipb_error_fmt(DIPB_ERR_IO, "%s: a malformed split "
		    "index", r->index_path);
	git_oid_fromraw(&id, (const unsigned char *)link);
	/* A null id: no shared index, the split file's own entries alone,
	 * as git reads it. */
	if (git_oid_is_zero(&id))
		return NULL;
	git_oid_tostr(hex, sizeof(hex), &id);
	path = xasprintf("%ssharedindex.%s", r->gitdir, hex);
	memset(&sh, 0, sizeof(sh));
	if ((err = dipb_read_regular(&sh.b, path, O_NOFOLLOW, 0)) == NULL &&
	    !rawindex_walk(&sh))
		err = dipb_error_fmt(DIPB_ERR_IO, "%s: not an index it "
		    "can read", path);
	if (err == NULL) {
		gone = xcalloc(sh.count + 1, 1);
		if (ix->linklen > GIT_OID_RAWSZ && !ewah_bits(gone, sh.count,
		    link + GIT_OID_RAWSZ, ix->linklen - GIT_OID_RAWSZ, &used))
			err = dipb_error_fmt(DIPB_ERR_IO, "%s: a malformed "
			    "split index", r->index_path);
		else
			rawindex_names(out, &sh, keep, want, gone);
		free(gone);
	}
	dipb_buf_release(&sh.b);
	free(path);
	return err;
}

/* out sorted, each path once. */
static void
strlist_sort_uniq(struct dipb_strlist *out)
{
	size_t i, j;

	dipb_strlist_sort(out);
	for (i = j = 0; i < out->n; i++)
		if (j > 0 && strcmp(out->v[j - 1], out->v[i]) == 0)
			free(out->v[i]);
		else
			out->v[j++] = out->v[i];
	out->n = j;
}

/*
 * Only the names are read, by dipb itself from a split or sparse index
 * too, which libgit2 cannot read: a sparse index's folder entry ("sdir")
 * stands for no file of the working tree, a split index's names are its
 * own and its shared index's, but those it deletes.
 */
static const struct dipb_error *
index_paths(struct dipb_strlist *out, struct dipb_repo *r,
    dipb_repo_path_fn keep, uint32_t want)
{
	const struct dipb_error *err;
	const git_index_entry *ge;
	struct rawindex ix;
	git_index *idx = NULL;
	size_t i, n;
	int ok;

	memset(&ix, 0, sizeof(ix));
	if ((err = dipb_ix_rawindex_load(&ix, &ok, r, 0)) == NULL &&
	    ix.ents_end != 0) {
		ok = 1;
		rawindex_names(out, &ix, keep, want, NULL);
		if (ix.link != 0)
			err = shared_names(out, r, &ix, keep, want);
	}
	dipb_ix_rawindex_release(&ix);
	if (err == NULL && !ok && (err = dipb_ix_open_index(&idx, r)) == NULL) {
		n = git_index_entrycount(idx);
		for (i = 0; i < n; i++)
			if ((ge = git_index_get_byindex(idx, i)) != NULL)
				index_path_keep(out, ge->path,
				    strlen(ge->path), keep, ge->mode, want);
		git_index_free(idx);
	}
	/* libgit2 sorts without case under core.ignoreCase. */
	strlist_sort_uniq(out);
	return err;
}

const struct dipb_error *
dipb_repo_index_paths(struct dipb_strlist *out, struct dipb_repo *r,
    dipb_repo_path_fn keep)
{
	return index_paths(out, r, keep, 0);
}

const struct dipb_error *
dipb_repo_index_links(struct dipb_strlist *out, struct dipb_repo *r,
    dipb_repo_path_fn keep)
{
	const struct dipb_error *err;
	int links;

	/* core.symlinks true (its default): git takes the working tree's
	 * file as it is, a link or a plain file. */
	if ((err = dipb_git_repo_bool(&links, r, "core.symlinks", 1)) !=
	    NULL || links)
		return err;
	return index_paths(out, r, keep, DIPB_MODE_LINK);
}

/*
 * 1 when the index entry's stat data still describe the file, as git's
 * "stat clean", and the entry is not racy by git's rule, in whole seconds
 * (dipb_ix_racy): an entry whose file is not older than the index by a
 * whole second only its content can tell, as git compares it.  Compared
 * in nanoseconds, dipb took for settled an edit git status shows, and
 * overwrote it.
 */
int
dipb_ix_stat_clean(const struct ientry *e, const struct stat *st,
    const struct stat *ist)
{
	if ((uint32_t)st->st_size != e->size ||
	    (uint32_t)st->st_mtim.tv_sec != e->mtime_s ||
	    (uint32_t)st->st_mtim.tv_nsec != e->mtime_ns ||
	    (uint32_t)st->st_ctim.tv_sec != e->ctime_s ||
	    (uint32_t)st->st_ctim.tv_nsec != e->ctime_ns ||
	    (uint32_t)st->st_ino != e->ino)
		return 0;
	return !dipb_ix_racy(e->mtime_s, ist);
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
	*changed = 0;
	if (((st->st_mode & S_IXUSR) != 0) ==
	    (dipb_git_mode_canon(e->mode) == GIT_FILEMODE_BLOB_EXECUTABLE))
		return NULL;
	return dipb_git_repo_bool(changed, r, "core.filemode", 1);
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
	    dipb_ix_stat_clean(&e, st, &ist);
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
	if (dipb_ix_stat_clean(&e, &st, &ist)) {
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

/* 1 when the index entry name is a .gitattributes file. */
static int
is_attr_file(const char *name, size_t nlen)
{
	static const char attr[] = ".gitattributes";
	size_t alen = sizeof(attr) - 1;

	return nlen >= alen && memcmp(name + nlen - alen, attr, alen) == 0 &&
	    (nlen == alen || name[nlen - alen - 1] == '/');
}

/*
 * libgit2 reads a path's attributes from the working tree's .gitattributes
 * files, then the index's, and for the index's it loads and sorts the
 * whole index: at 10,000 records, more than the rest of a change.  Where
 * dipb reads the index itself, libgit2 is given an index in memory that
 * holds the .gitattributes entries alone, all it reads of one.  Nothing
 * else of libgit2's reads the repository's index: dipb_ix_open_index opens the
 * file.  Any other index (version 4, split, sparse) is left to libgit2,
 * but one of index.skipHash, opened for it.
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
	if ((err = dipb_ix_rawindex_load(&ix, &ok, r, 0)) != NULL)
		goto done;
	/*
	 * libgit2 cannot read a split or sparse index either: its own
	 * message would name an extension, not the setting to undo.  One
	 * of index.skipHash is opened as dipb_git_index_open_file can.
	 */
	if (!ok) {
		err = dipb_ix_required_extensions(&ix, r);
		if (err == NULL && dipb_ix_null_trailer(ix.b.ptr, ix.b.len)) {
			if ((err = dipb_git_index_open_file(&idx, r,
			    "cannot open the index")) == NULL)
				git_repository_set_index(r->git, idx);
		}
		goto done;
	}
	if (git_index_new(&idx) < 0) {
		err = dipb_error_from_git("cannot make an index");
		goto done;
	}
	for (i = 0, off = IDX_HDR; i < ix.count; i++, off += sz) {
		sz = dipb_ix_raw_ientry(&ix, off, &name, &nlen);
		if (!is_attr_file(name, nlen) ||
		    ((get16(ix.b.ptr + off + 60) >> 12) & 3) != 0)
			continue;
		dipb_ix_raw_ientry_get(&e, ix.b.ptr + off);
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
	dipb_ix_rawindex_release(&ix);
	return err;
}

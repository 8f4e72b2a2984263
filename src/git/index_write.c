/*
 * git/index_write.c - the index brought in step with a change: its
 * entries changed in the file's bytes, or through libgit2 for the
 * indexes dipb does not read itself, under index.lock as git writes it;
 * the cache tree kept with the changed paths' folders invalidated; racy
 * entries smudged as git smudges them.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "index.h"
#include "../error.h"
#include "../util.h"

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
 * Sets u's entry in ix, in memory only: the path's stage-0 entry has its
 * stat data, mode and id replaced, or a new one is inserted in order (a
 * skip-worktree one makes the index version 3, as git writes it).  A path
 * with conflict stages is left alone.  sync_index_raw writes ix, under
 * index.lock (dipb_ix_rawindex_finish).
 */
static void
rawindex_apply(struct rawindex *ix, const struct iupdate *u)
{
	size_t at, plen = strlen(u->path), sz, fixed;
	unsigned flags;
	int found, conflict;

	dipb_ix_rawindex_find(ix, u->path, &at, &found, &conflict);
	if (conflict)
		return;		/* the user's merge: not ours to resolve */
	if (found) {
		dipb_ix_raw_ientry_put(ix->b.ptr + at, &u->e);
		return;
	}
	/* Made room for in place: a copy of 3 MB at 30,000 records was a
	 * fresh page to fault in every 4 KiB. */
	fixed = IDX_FIXED + (u->skip ? 2 : 0);
	sz = (fixed + plen + 8) & ~(size_t)7;
	dipb_buf_grow(&ix->b, sz);
	memmove(ix->b.ptr + at + sz, ix->b.ptr + at, ix->b.len - at);
	memset(ix->b.ptr + at, 0, sz);
	dipb_ix_raw_ientry_put(ix->b.ptr + at, &u->e);
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
int
dipb_ix_racy(uint32_t mtime_s, const struct stat *ist)
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
 * (dipb-git(7), "The index").  A link's entry whose file is not a link (a
 * checkout with core.symlinks false writes a plain file) is smudged too.
 */
int
dipb_ix_racy_smudge(struct dipb_repo *r, const char *path,
    const struct ientry *e, const struct stat *ist, int *budget)
{
	const struct dipb_error *err;
	struct stat st;
	git_oid id;
	char *full, *target;
	ssize_t len;
	int smudge = 0;

	if (e->size == 0 || (e->mode & 0170000) == 0160000 ||
	    !dipb_ix_racy(e->mtime_s, ist))
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
 * The racy entries of ix smudged by git's rule (dipb_ix_racy_smudge) when dipb
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
		sz = dipb_ix_raw_ientry(ix, off, &name, &nlen);
		p = ix->b.ptr + off;
		if (!dipb_ix_racy(get32(p + 8), &ix->st) ||
		    ((get16(p + 60) >> 12) & 3) != 0)
			continue;
		for (k = 0; k < n; k++)
			if (strlen(u[k].path) == nlen &&
			    memcmp(u[k].path, name, nlen) == 0)
				break;
		dipb_ix_raw_ientry_get(&e, p);
		if (k == n && dipb_ix_racy_smudge(r, name, &e, &ix->st,
		    &budget))
			put32(p + 36, 0);
	}
}

/*
 * The index file ix becomes, into out: ix's entries in place (a copy of
 * them was a page fault every 4 KiB, 3 MB at 30,000 records), the
 * extensions kept, a trailer of zeros (dipb_ix_index_put's); ix's bytes
 * are out's then.
 */
const struct dipb_error *
dipb_ix_rawindex_finish(struct dipb_buf *out, struct rawindex *ix,
    const struct iupdate *u, size_t n)
{
	/* n (size_t)-1: a change of too many paths, the cache tree dropped. */
	int drop_tree = n == (size_t)-1;
	static const char zero[IDX_TRAILER];
	const char **paths = xcalloc(drop_tree ? 1 : n + 1, sizeof(*paths));
	struct dipb_buf ext = DIPB_BUF_INIT;
	const char *p, *q, *end;
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
	dipb_buf_put(&ix->b, zero, IDX_TRAILER);
	dipb_buf_release(out);
	*out = ix->b;
	memset(&ix->b, 0, sizeof(ix->b));
	return NULL;
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
		    !dipb_ix_racy((uint32_t)ge->mtime.seconds, ist))
			continue;
		for (k = 0; k < n && strcmp(paths[k], ge->path) != 0; k++)
			;
		dipb_ix_git_ientry_get(&e, ge);
		if (k < n || !dipb_ix_racy_smudge(r, ge->path, &e, ist,
		    &budget))
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
	dipb_ix_ientry_from_stat(&u->e, wt->state == WT_NEW ? &wt->st : NULL,
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

const struct dipb_error *
dipb_git_index_batch(struct dipb_repo *r)
{
	const struct dipb_error *err;

	if ((err = dipb_git_index_hold(r)) != NULL)
		return err;
	dipb_buf_clear(&r->ipend);
	r->ibatch = 1;
	return NULL;
}

/*
 * index.lock renamed over the index, the git dir then fsync'd: the new
 * index is durable before the change's journal goes (dipb(1)), or a
 * crash could bring back the old one, the change's record shown deleted
 * and untracked.
 */
static const struct dipb_error *
index_commit(struct dipb_git_lockfile *lf, struct dipb_repo *r)
{
	const struct dipb_error *err;

	if ((err = dipb_git_lock_commit(lf)) == NULL && r->fsync &&
	    dipb_fsync_dir_of(r->index_path) == -1)
		err = dipb_error_from_errno("%s", r->index_path);
	return err;
}
const struct dipb_error *
dipb_git_index_batch_end(struct dipb_repo *r, const struct dipb_error *err)
{
	if (err == NULL && r->ibatch && r->ipend.len > 0) {
		if (!r->ilock.held)
			err = dipb_error_fmt(DIPB_ERR_INTERNAL, "%s: the index "
			    "written without index.lock", r->index_path);
		else if ((err = dipb_git_lock_write(&r->ilock, r->ipend.ptr,
		    r->ipend.len, r->fsync)) == NULL)
			err = index_commit(&r->ilock, r);
	}
	dipb_buf_release(&r->ipend);
	r->ibatch = 0;
	return err;
}

/* index.lock into lf: the one held (dipb_git_index_hold), or taken. */
const struct dipb_error *
dipb_ix_index_lock(struct dipb_git_lockfile *lf, struct dipb_repo *r)
{
	if (!r->ilock.held)
		return dipb_git_lock_hold(lf, r, r->index_path, r->retries);
	*lf = r->ilock;
	r->ilock = (struct dipb_git_lockfile)DIPB_GIT_LOCKFILE_INIT;
	return NULL;
}

/*
 * *on 1 when the index is written with no checksum, its trailer all
 * zeros: index.skipHash, by default feature.manyFiles, as git 2.40 and
 * later decide it (git-config(1); dipb-git(7), "The index"), whatever
 * git is installed.
 */
static const struct dipb_error *
skip_hash(int *on, struct dipb_repo *r)
{
	const struct dipb_error *err;
	git_config *cfg = NULL;
	int many;

	*on = 0;
	if ((err = dipb_git_config_open(&cfg, r->git, &r->format)) != NULL)
		return err;
	if ((err = dipb_git_config_bool(&many, cfg, r->git,
	    "feature.manyfiles", 0)) == NULL)
		err = dipb_git_config_bool(on, cfg, r->git, "index.skiphash",
		    many);
	git_config_free(cfg);
	return err;
}

/*
 * The new index's bytes, under lf (dipb_ix_index_lock), their trailer
 * the checksum or zeros as skip_hash says: into index.lock and renamed
 * into place, or, in a batch (dipb_git_index_batch), kept for its one
 * write.
 */
const struct dipb_error *
dipb_ix_index_put(struct dipb_git_lockfile *lf, struct dipb_repo *r,
    char *data, size_t len)
{
	const struct dipb_error *err;
	int skip;

	if (len < IDX_HDR + IDX_TRAILER)
		return dipb_error_fmt(DIPB_ERR_INTERNAL, "%s: an index of "
		    "%zu bytes", r->index_path, len);
	if ((err = skip_hash(&skip, r)) != NULL)
		return err;
	if (skip)
		memset(data + len - IDX_TRAILER, 0, IDX_TRAILER);
	else if (dipb_ix_null_trailer(data, len))
		dipb_ix_trailer_fill(data, len);
	if (r->ibatch) {
		dipb_buf_clear(&r->ipend);
		dipb_buf_put(&r->ipend, data, len);
		return NULL;
	}
	if ((err = dipb_git_lock_write(lf, data, len, r->fsync)) == NULL)
		err = index_commit(lf, r);
	return err;
}

/* lf let go, unless a batch holds it for its one write: given back. */
void
dipb_ix_index_unlock(struct dipb_git_lockfile *lf, struct dipb_repo *r)
{
	if (r->ibatch && lf->held && !r->ilock.held) {
		r->ilock = *lf;
		*lf = (struct dipb_git_lockfile)DIPB_GIT_LOCKFILE_INIT;
		return;
	}
	dipb_git_lock_rollback(lf);
}

/*
 * The index by bytes (see dipb_ix_rawindex_load), under lf: *handled 0
 * when it is one for libgit2.
 */
static const struct dipb_error *
sync_index_raw(int *handled, struct dipb_git_lockfile *lf,
    struct dipb_repo *r, const struct jfile *files, size_t n,
    const struct dipb_git_wt *wt, int skip)
{
	const struct dipb_error *err = NULL;
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
	if ((err = dipb_ix_rawindex_load(&ix, &ok, r, 1)) != NULL || !ok)
		goto done;
	*handled = 1;
	for (i = 0; i < n; i++) {
		dipb_ix_rawindex_find(&ix, files[i].path, &at, &found,
		    &conflict);
		if (found)
			dipb_ix_raw_ientry_get(&e, ix.b.ptr + at);
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
	if ((err = dipb_ix_rawindex_finish(&out, &ix, u, m)) == NULL)
		err = dipb_ix_index_put(lf, r, out.ptr, out.len);
done:
	free(u);
	dipb_ix_rawindex_release(&ix);
	dipb_buf_release(&out);
	return err;
}

/* u as libgit2's index entry. */
void
dipb_ix_entry_to_git(git_index_entry *ne, const struct iupdate *u)
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

/*
 * libgit2 writes an index only over the file it was opened from, taking
 * that file's lock itself: given the repository's, dipb had to give up
 * index.lock first, and a git add landing in that gap was undone by the
 * entries read before it.  So libgit2 is given a private copy of the
 * index, next to it, "index.dipb-tmp" (the one holder of index.lock owns
 * that name; a killed one's leftover, and its lock, are replaced), made
 * under lf, index.lock already held: the index read is the one the new
 * one replaces.  What libgit2 writes there goes into lf, renamed into
 * place while still held (dipb_ix_git_commit).  An index with
 * index.skipHash's null trailer is copied with its checksum filled in,
 * which libgit2 1.7 and older check.
 */
const struct dipb_error *
dipb_ix_git_open_copy(git_index **out, struct ixcopy *c, struct dipb_repo *r,
    const struct dipb_git_lockfile *lf)
{
	const struct dipb_error *err = NULL;
	struct dipb_buf b = DIPB_BUF_INIT;
	int fd;

	*out = NULL;
	c->path = c->lock = NULL;
	c->slot = c->lslot = -1;
	if (!lf->held)
		return dipb_error_fmt(DIPB_ERR_INTERNAL, "%s: the index copied "
		    "without index.lock", r->index_path);
	c->path = xasprintf("%s%s", r->index_path, DIPB_GIT_TMP_SUFFIX);
	c->lock = xasprintf("%s.lock", c->path);
	/* Both removed if a signal kills dipb (dipb(1), FILES). */
	c->slot = dipb_tmp_watch(c->path);
	c->lslot = dipb_tmp_watch(c->lock);
	(void)unlink(c->lock);
	(void)unlink(c->path);
	/* No index yet: libgit2's empty one, no copy.  In a batch, the
	 * index it builds (dipb_git_index_batch). */
	if (r->ibatch && r->ipend.len > 0)
		dipb_buf_put(&b, r->ipend.ptr, r->ipend.len);
	else if (access(r->index_path, F_OK) == -1 && errno == ENOENT)
		goto open;
	else
		err = dipb_read_regular(&b, r->index_path, O_NOFOLLOW,
		    (size_t)-1);
	if (err == NULL && dipb_ix_null_trailer(b.ptr, b.len))
		dipb_ix_trailer_fill(b.ptr, b.len);
	if (err == NULL) {
		fd = open(c->path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
		    O_CLOEXEC, 0600);
		if (fd == -1)
			err = dipb_error_from_errno("%s", c->path);
		else {
			err = dipb_write_all(fd, c->path, b.ptr, b.len, 0);
			if (close(fd) == -1 && err == NULL)
				err = dipb_error_from_errno("%s", c->path);
		}
	}
open:
	dipb_buf_release(&b);
	/* Opened so, with no repository, libgit2 smudges no racy entry
	 * when it writes the index: dipb does (dipb_git_index_smudge). */
	if (err == NULL && git_index_open(out, c->path) < 0)
		err = dipb_error_from_git("cannot open the index");
	if (err != NULL)
		dipb_ix_git_copy_free(c);
	return err;
}

/* The copy of dipb_ix_git_open_copy removed, and forgotten. */
void
dipb_ix_git_copy_free(struct ixcopy *c)
{
	if (c->path != NULL)
		(void)unlink(c->path);
	if (c->lock != NULL)
		(void)unlink(c->lock);
	dipb_tmp_forget(c->slot);
	dipb_tmp_forget(c->lslot);
	free(c->path);
	free(c->lock);
	c->path = c->lock = NULL;
	c->slot = c->lslot = -1;
}

/*
 * idx, opened by dipb_ix_git_open_copy on copy under lf, written there by
 * libgit2, then its bytes into lf (dipb_ix_index_put's trailer) and
 * renamed into place: the lock given up only then.  libgit2 links its
 * own lock onto the copy's name unsynced, which a power loss may leave
 * empty: the copy is read back here in the same boot, never after one,
 * and the next holder of index.lock replaces it.  The name that makes
 * an index is lf's rename, after its fsync (dipb_git_lock_write).
 */
const struct dipb_error *
dipb_ix_git_commit(struct dipb_git_lockfile *lf, struct dipb_repo *r,
    git_index *idx, const struct ixcopy *copy)
{
	const struct dipb_error *err;
	struct dipb_buf b = DIPB_BUF_INIT;

	if (git_index_write(idx) < 0)
		return dipb_error_from_git("cannot write the index");
	if ((err = dipb_read_regular(&b, copy->path, O_NOFOLLOW,
	    (size_t)-1)) == NULL)
		err = dipb_ix_index_put(lf, r, b.ptr, b.len);
	dipb_buf_release(&b);
	return err;
}

/*
 * The same through libgit2, for the indexes dipb does not read itself:
 * the same entries decided by entry_wanted().
 */
static const struct dipb_error *
sync_index_git(struct dipb_git_lockfile *lf, struct dipb_repo *r,
    const struct jfile *files, size_t n, const struct dipb_git_wt *wt,
    int skip)
{
	const struct dipb_error *err = NULL;
	const char **paths = xcalloc(n + 1, sizeof(*paths));
	git_index_entry ne;
	git_index *idx = NULL;
	struct ixcopy copy;
	struct iupdate u;
	struct ientry e;
	struct stat ist;
	size_t i, changed = 0;
	int found, conflict;

	/* Under index.lock (lf): the file stat'd is the one read. */
	if (stat(r->index_path, &ist) == -1)
		memset(&ist, 0, sizeof(ist));
	if ((err = dipb_ix_git_open_copy(&idx, &copy, r, lf)) != NULL) {
		free(paths);
		return err;
	}
	memset(&e, 0, sizeof(e));
	for (i = 0; i < n; i++) {
		dipb_ix_git_find(idx, files[i].path, &found, &conflict, &e);
		if (conflict || !entry_wanted(&u, found, &e, &files[i], &wt[i]))
			continue;
		u.skip = skip;		/* libgit2 replaces the entry whole */
		dipb_ix_entry_to_git(&ne, &u);
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
	/* index.lock held until the new index is in place. */
	if (changed)
		err = dipb_ix_git_commit(lf, r, idx, &copy);
	git_error_clear();
done:
	git_index_free(idx);
	dipb_ix_git_copy_free(&copy);
	free(paths);
	return err;
}

const struct dipb_error *
dipb_git_index_remove(struct dipb_repo *r, const struct jfile *files,
    size_t n)
{
	const struct dipb_error *err;
	struct dipb_git_lockfile lf = DIPB_GIT_LOCKFILE_INIT;
	const git_index_entry *e;
	git_index *idx = NULL;
	struct ixcopy copy;
	struct stat ist;
	size_t i, removed = 0;

	/* Locked before reading, so no other writer's change is lost; the
	 * file stat'd is the one read. */
	if ((err = dipb_ix_index_lock(&lf, r)) != NULL)
		return err;
	if (stat(r->index_path, &ist) == -1)
		memset(&ist, 0, sizeof(ist));
	if ((err = dipb_ix_git_open_copy(&idx, &copy, r, &lf)) != NULL) {
		dipb_ix_index_unlock(&lf, r);
		return err;
	}
	for (i = 0; i < n && err == NULL; i++) {
		e = git_index_get_bypath(idx, files[i].path, 0);
		if (e == NULL || !git_oid_equal(&e->id, &files[i].old))
			continue;
		if (git_index_remove_bypath(idx, files[i].path) < 0)
			err = dipb_error_from_git("cannot update the index "
			    "for '%s'", files[i].path);
		removed++;
	}
	if (err == NULL && removed > 0 && (err = dipb_git_index_smudge(r, idx,
	    &ist, NULL, 0)) == NULL)
		err = dipb_ix_git_commit(&lf, r, idx, &copy);
	git_error_clear();
	git_index_free(idx);
	dipb_ix_git_copy_free(&copy);
	dipb_ix_index_unlock(&lf, r);
	return err;
}

/* Both ways of writing the index, under one index.lock taken first. */
static const struct dipb_error *
sync_index(struct dipb_repo *r, const struct jfile *files, size_t n,
    const struct dipb_git_wt *wt, int skip)
{
	const struct dipb_error *err;
	struct dipb_git_lockfile lf = DIPB_GIT_LOCKFILE_INIT;
	int handled;

	/* Locked before reading, so no other writer's change is lost. */
	if ((err = dipb_ix_index_lock(&lf, r)) == NULL &&
	    (err = sync_index_raw(&handled, &lf, r, files, n, wt, skip)) ==
	    NULL && !handled)
		err = sync_index_git(&lf, r, files, n, wt, skip);
	dipb_ix_index_unlock(&lf, r);
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
	return sync_index(r, files, n, wt, 0);
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

	for (i = 0; i < n; i++)
		wt[i].state = WT_OTHER;
	err = sync_index(r, files, n, wt, 1);
	free(wt);
	return err;
}

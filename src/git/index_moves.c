/*
 * git/index_moves.c - the index of a change that moves files (dipb
 * migrate): its paths found by a binary search, taken in one pass; the
 * moves checked against the index and the working tree before anything
 * is written; the index rewritten in one merge.  And the paths a sync
 * brings into the index only, where the sparse checkout leaves them out
 * (dipb_git_index_sparse).
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "index.h"
#include "../error.h"
#include "../util.h"

/*
 * A move of every record touches tens of thousands of paths: each is
 * found by a binary search over the entries' offsets, taken in one pass,
 * not by a scan of the index per path (dipb_ix_rawindex_find).
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
	dipb_ix_rawindex_release(&l->ix);
	memset(l, 0, sizeof(*l));
}

static const struct dipb_error *
ilookup_load(struct ilookup *l, struct dipb_repo *r, int git)
{
	const struct dipb_error *err;
	const char *name = NULL;
	size_t o, nlen = 0;
	uint32_t i;
	int ok;

	memset(l, 0, sizeof(*l));
	if ((err = dipb_ix_rawindex_load(&l->ix, &ok, r, 1)) != NULL)
		return err;
	l->ist = l->ix.st;
	if (ok) {
		l->off = xcalloc(l->ix.count + 1, sizeof(*l->off));
		for (i = 0, o = IDX_HDR; i < l->ix.count; i++) {
			l->off[i] = o;
			o += dipb_ix_raw_ientry(&l->ix, o, &name, &nlen);
		}
		return NULL;
	}
	if (stat(r->index_path, &l->ist) == -1)
		memset(&l->ist, 0, sizeof(l->ist));
	/* No index: every path is absent; git 0: no libgit2 reader, the
	 * caller reads a copy of its own (git_moves). */
	if (!git || access(r->index_path, F_OK) == -1)
		return NULL;
	return dipb_ix_open_index(&l->idx, r);
}

/* The first raw entry whose path is path or after it. */
static size_t
raw_lower(const struct ilookup *l, const char *path)
{
	const char *name = NULL;
	size_t lo = 0, hi = l->ix.count, mid, nlen = 0, plen = strlen(path);

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		dipb_ix_raw_ientry(&l->ix, l->off[mid], &name, &nlen);
		if (dipb_ix_ipath_cmp(name, nlen, path, plen) < 0)
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
			dipb_ix_raw_ientry(&l->ix, l->off[i], &name, &nlen);
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
				dipb_ix_raw_ientry_get(e, p);
			}
		}
		return;
	}
	if (l->idx == NULL)
		return;
	dipb_ix_git_find(l->idx, path, found, conflict, e);
	if ((ge = git_index_get_bypath(l->idx, path, 0)) != NULL &&
	    (ge->flags_extended & GIT_INDEX_ENTRY_SKIP_WORKTREE))
		*skip = 1;
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
	int found, conflict, skip, on = 0;

	memset(out, 0, n * sizeof(*out));
	if (n == 0 || (err = dipb_ix_sparse_load(&pats, &on, r)) != NULL ||
	    !on || (err = ilookup_load(&l, r, 1)) != NULL) {
		dipb_buf_release(&pats);
		return err;
	}
	/* A new path as git pull brings it: by the patterns alone, even
	 * where no entry has the skip-worktree bit yet. */
	for (i = 0; i < n; i++) {
		ilookup_get(&l, files[i].path, &found, &conflict, &skip, &e);
		if (skip && !conflict)
			out[i] = 1;
		else if (!found && !conflict)
			out[i] = dipb_ix_sparse_excludes(&pats, files[i].path);
	}
	ilookup_release(&l);
	dipb_buf_release(&pats);
	return NULL;
}

/* The working file of a move's from: clean, holding the moved blob. */
static const struct dipb_error *
check_from(struct dipb_repo *r, const struct ilookup *l,
    const struct jmove *m, const struct ientry *e)
{
	const struct dipb_error *err;
	struct stat st;
	git_oid wt;
	char *full = xasprintf("%s%s", r->workdir, m->from), *arg;
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
	if (rc == -1 || !S_ISREG(st.st_mode)) {
		arg = dipb_repo_path_arg(r, m->from);
		err = dipb_error_fmt(DIPB_ERR_DIRTY, "%s is %s in the working "
		    "tree: %srestore it with 'git checkout HEAD -- %s', then "
		    "retry", m->from, rc == -1 ? "deleted" : "not a file",
		    rc != -1 && S_ISDIR(st.st_mode) ? "move the folder away "
		    "(git checkout would delete it, and every file in it), "
		    "then " : "", arg);
		free(arg);
		return err;
	}
	if (dipb_ix_stat_clean(e, &st, &l->ist))
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
	    (err = ilookup_load(&l, r, 1)) != NULL)
		return err;
	/* New paths the sparse checkout leaves out: refused, as git mv
	 * refuses them and as for a new record (dipb_git_index_check). */
	err = dipb_ix_sparse_load(&pats, &sparse, r);
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
		if (sparse && dipb_ix_sparse_excludes(&pats, moves[i].to))
			err = dipb_ix_outside_sparse(&pats, moves[i].to);
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
	dipb_ix_raw_ientry_put(out->ptr + out->len, &u->e);
	out->ptr[out->len + 60] = (char)(flags >> 8);
	out->ptr[out->len + 61] = (char)flags;
	memcpy(out->ptr + out->len + IDX_FIXED, u->path, plen);
	out->len += sz;
}

/*
 * The raw index rewritten in one merge: its entries but the dropped ones,
 * racy ones smudged (dipb_ix_racy_smudge), and the new ones, sorted.
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
			dipb_ix_raw_ientry(&l->ix, l->off[at], &name, &nlen);
			p = l->ix.b.ptr + l->off[at];
			dipb_ix_raw_ientry_get(&e, p);
			if (nlen == strlen(m[i].from) && memcmp(name,
			    m[i].from, nlen) == 0 && ((get16(p + 60) >> 12) &
			    3) == 0 && git_oid_equal(&e.id, &m[i].id))
				drop[at] = 1;
		}
		at = raw_lower(l, m[i].to);
		if (at < l->ix.count) {
			dipb_ix_raw_ientry(&l->ix, l->off[at], &name, &nlen);
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
			dipb_ix_raw_ientry(&l->ix, l->off[i], &name, &nlen);
		if (i == l->ix.count || (k < nn && dipb_ix_ipath_cmp(nw[k].path,
		    strlen(nw[k].path), name, nlen) <= 0)) {
			raw_put_new(&nb, &nw[k++]);
			count++;
			continue;
		}
		sz = dipb_ix_raw_ientry(&l->ix, l->off[i], &name, &nlen);
		at = nb.len;
		dipb_buf_put(&nb, l->ix.b.ptr + l->off[i], sz);
		if (dipb_ix_racy(get32(nb.ptr + at + 8), &l->ix.st) &&
		    ((get16(nb.ptr + at + 60) >> 12) & 3) == 0) {
			dipb_ix_raw_ientry_get(&e, nb.ptr + at);
			if (dipb_ix_racy_smudge(r, name, &e, &l->ix.st,
			    &budget))
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
	if ((err = dipb_ix_rawindex_finish(&out, &nix, NULL,
	    (size_t)-1)) == NULL)
		err = dipb_ix_index_put(lf, r, out.ptr, out.len);
	dipb_buf_release(&nix.b);
	dipb_buf_release(&out);
	free(drop);
	return err;
}

/* The same through libgit2, for the indexes dipb does not read itself. */
static const struct dipb_error *
git_moves(struct dipb_repo *r, struct dipb_git_lockfile *lf,
    const struct ilookup *l, const struct jmove *m, size_t n,
    const struct inew *nw, size_t nn)
{
	const struct dipb_error *err;
	const git_index_entry *ge;
	const char **paths;
	git_index_entry ne;
	git_index *idx;
	struct iupdate u;
	struct ixcopy copy;
	size_t i;

	/* Under lf, index.lock, written while it is held
	 * (dipb_ix_git_commit). */
	if ((err = dipb_ix_git_open_copy(&idx, &copy, r, lf)) != NULL)
		return err;
	for (i = 0; err == NULL && i < n; i++)
		if ((ge = git_index_get_bypath(idx, m[i].from, 0)) != NULL &&
		    git_oid_equal(&ge->id, &m[i].id) &&
		    git_index_remove(idx, m[i].from, 0) < 0)
			err = dipb_error_from_git("cannot update the index "
			    "for '%s'", m[i].from);
	for (i = 0; err == NULL && i < nn; i++) {
		u.path = nw[i].path;
		u.e = nw[i].e;
		/* A moved file is in the checkout (dipb_git_moves_check). */
		u.skip = 0;
		dipb_ix_entry_to_git(&ne, &u);
		if (git_index_add(idx, &ne) < 0)
			err = dipb_error_from_git("cannot update the index "
			    "for '%s'", nw[i].path);
	}
	paths = xcalloc(nn + 1, sizeof(*paths));
	for (i = 0; i < nn; i++)
		paths[i] = nw[i].path;
	if (err == NULL)
		err = dipb_git_index_smudge(r, idx, &l->ist, paths, nn);
	free(paths);
	if (err == NULL)
		err = dipb_ix_git_commit(lf, r, idx, &copy);
	git_index_free(idx);
	dipb_ix_git_copy_free(&copy);
	return err;
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
		dipb_ix_ientry_from_stat(&nw[i].e, st[i].st_mode != 0 ?
		    &st[i] : NULL, moves[i].mode, &moves[i].id);
	}
	qsort(nw, n, sizeof(*nw), inew_cmp);
	memset(&l, 0, sizeof(l));
	/* Locked before reading, so no other writer's change is lost. */
	if ((err = dipb_ix_index_lock(&lf, r)) == NULL &&
	    (err = ilookup_load(&l, r, 0)) == NULL)
		err = l.off != NULL ? raw_moves(r, &lf, &l, moves, n, nw, n) :
		    git_moves(r, &lf, &l, moves, n, nw, n);
	dipb_ix_index_unlock(&lf, r);
	ilookup_release(&l);
	free(nw);
	return err;
}

/*
 * git/index_check.c - the preflight: what the index step of a change
 * needs (dipb_git_index_check), checked before the change writes
 * anything: an index of a version and extensions dipb keeps as git
 * would, whole and in order; the change's paths neither conflicted,
 * skip-worktree nor outside the sparse checkout; index.lock free.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "index.h"
#include "../error.h"
#include "../text.h"
#include "../util.h"

/* The checks of one index entry of a path of the change. */
static const struct dipb_error *
check_entry(const struct dipb_repo *r, const char *path, unsigned flags,
    unsigned xflags, int sparse)
{
	const struct dipb_error *err = NULL;
	char *arg;

	if (!((flags >> 12) & 3) && (xflags & IDX_SKIP_WORKTREE) && sparse)
		return dipb_ix_outside_sparse(NULL, path);
	if (!((flags >> 12) & 3) && !(xflags & IDX_SKIP_WORKTREE))
		return NULL;
	arg = dipb_repo_path_arg(r, path);
	if ((flags >> 12) & 3)
		err = dipb_error_fmt(DIPB_ERR_DIRTY, "%s has a conflict in "
		    "the index (git ls-files -u): resolve it and 'git add' "
		    "it, or 'git checkout HEAD -- %s', then retry", path, arg);
	else
		err = dipb_error_fmt(DIPB_ERR_DIRTY, "%s is marked "
		    "skip-worktree in the index: run 'git update-index "
		    "--no-skip-worktree %s', then retry", path, arg);
	free(arg);
	return err;
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
		/* Upper case: optional, dropped or kept
		 * (dipb_ix_rawindex_finish). */
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
const struct dipb_error *
dipb_ix_required_extensions(const struct rawindex *ix, struct dipb_repo *r)
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
		if (dipb_ix_any_ientry(ix, &off, &nm, &flags, &xflags) < 0)
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

/*
 * The index file, whose stat data ix->st holds, into ix (the mapping:
 * dipb_ix_rawindex_bytes), its header read: an index file, of a version
 * dipb writes.  Not its checksum: git reads the index without (fsck
 * checks it).
 */
static const struct dipb_error *
read_header(struct rawindex *ix, struct dipb_repo *r)
{
	const struct dipb_error *err;

	if ((err = dipb_ix_index_bytes(&ix->st, r)) != NULL)
		return err;
	dipb_ix_rawindex_bytes(ix, r, 0);
	if (ix->b.len < IDX_HDR + IDX_TRAILER ||
	    memcmp(ix->b.ptr, "DIRC", 4) != 0)
		return dipb_error_fmt(DIPB_ERR_CORRUPT, "cannot read the index "
		    "'%s' (not an index file): see what 'git status' says",
		    r->index_path);
	ix->version = get32(ix->b.ptr + 4);
	ix->count = get32(ix->b.ptr + 8);
	if (ix->version < 2 || ix->version > 4)
		return dipb_error_fmt(DIPB_ERR_NO_REPO, "the index '%s' is of "
		    "version %u, which dipb does not write: run 'git "
		    "update-index --index-version 2', then retry",
		    r->index_path, ix->version);
	return NULL;
}

/*
 * What git's own reader takes for granted, and git status and git fsck
 * refuse: a mode git writes (a file, executable or not, a link, a
 * submodule; a sparse index's folder, refused by its name:
 * check_paths) and the entries in order, each path and stage once.
 * dipb would keep the rest, or change one of two entries of a path.
 * Entry i, named nm, of mode and stage, judged after the one before
 * (prev, *pstage, which it then becomes): *bad (caller frees) names the
 * first that is not so.
 */
static void
judge_order(char **bad, uint32_t i, uint32_t mode, unsigned stage,
    const struct dipb_buf *nm, struct dipb_buf *prev, unsigned *pstage)
{
	char *shown;
	int c;

	c = i == 0 ? 1 : dipb_ix_ipath_cmp(nm->ptr, nm->len, prev->ptr,
	    prev->len);
	if (*bad == NULL && ((mode != 0100644 && mode != 0100755 &&
	    mode != 0120000 && mode != 0160000 && mode != 0040000) ||
	    c < 0 || (c == 0 && stage <= *pstage))) {
		shown = dipb_text_clean_line(nm->ptr);
		*bad = xasprintf("entry %lu, '%s': %s",
		    (unsigned long)i, shown, c > 0 || (c == 0 &&
		    stage > *pstage) ? "a mode git never writes" :
		    "out of order, or twice");
		free(shown);
	}
	dipb_buf_clear(prev);
	dipb_buf_put(prev, nm->ptr, nm->len);
	*pstage = stage;
}

/*
 * The change's n paths against the entry named nm (flags, xflags): a
 * path's own entry (found[k] set; check_entry), or a sparse index's
 * folder that holds the path.
 */
static const struct dipb_error *
check_paths(int *found, const struct dipb_repo *r, const char *const *paths,
    size_t n, const struct dipb_buf *nm, unsigned flags, unsigned xflags,
    int sparse)
{
	const struct dipb_error *err = NULL;
	size_t k, plen;

	for (k = 0; k < n && err == NULL; k++) {
		plen = strlen(paths[k]);
		if (nm->len == plen && memcmp(nm->ptr, paths[k],
		    plen) == 0) {
			found[k] = 1;
			err = check_entry(r, paths[k], flags, xflags,
			    sparse);
		} else if (nm->len < plen && nm->len > 0 &&
		    nm->ptr[nm->len - 1] == '/' &&
		    memcmp(nm->ptr, paths[k], nm->len) == 0)
			/* In a sparse folder. */
			err = dipb_ix_outside_sparse(NULL, paths[k]);
	}
	return err;
}

/*
 * The entries of ix, read in one pass: each judged (judge_order, *bad),
 * and the paths' own, and any the sparse checkout left out, checked
 * (check_paths); *end where the extensions start.
 */
static const struct dipb_error *
check_entries(size_t *end, char **bad, int *found,
    const struct rawindex *ix, struct dipb_repo *r,
    const char *const *paths, size_t n, int sparse)
{
	const struct dipb_error *err = NULL;
	struct dipb_buf nm = DIPB_BUF_INIT, prev = DIPB_BUF_INIT;
	unsigned flags, xflags, pstage = 0;
	size_t off, at;
	uint32_t i;

	for (i = 0, off = IDX_HDR; i < ix->count && err == NULL; i++) {
		at = off;
		if (dipb_ix_any_ientry(ix, &off, &nm, &flags, &xflags) < 0) {
			err = dipb_error_fmt(DIPB_ERR_CORRUPT, "cannot read "
			    "the index '%s' (entry %lu): see what 'git "
			    "status' says", r->index_path, (unsigned long)i);
			break;
		}
		judge_order(bad, i, get32(ix->b.ptr + at + 24),
		    (flags >> 12) & 3, &nm, &prev, &pstage);
		err = check_paths(found, r, paths, n, &nm, flags, xflags,
		    sparse);
	}
	*end = off;
	dipb_buf_release(&nm);
	dipb_buf_release(&prev);
	return err;
}

/*
 * A new file of the n paths (found[k] 0) that the patterns of the sparse
 * checkout, which is on, leave out: refused, as git add refuses it
 * without --sparse, whether or not an entry of the index has the
 * skip-worktree bit yet.  The patterns are read only for a new file.
 */
static const struct dipb_error *
new_outside_sparse(struct dipb_repo *r, const char *const *paths, size_t n,
    const int *found)
{
	const struct dipb_error *err = NULL;
	struct dipb_buf pats = DIPB_BUF_INIT;
	size_t k;

	for (k = 0; k < n && found[k]; k++)
		;
	if (k < n && (err = dipb_ix_sparse_read(&pats, r)) == NULL)
		for (; k < n && err == NULL; k++)
			if (!found[k] && dipb_ix_sparse_excludes(&pats,
			    paths[k]))
				err = dipb_ix_outside_sparse(&pats,
				    paths[k]);
	dipb_buf_release(&pats);
	return err;
}

const struct dipb_error *
dipb_git_index_check(struct dipb_repo *r, const char *const *paths,
    size_t n)
{
	const struct dipb_error *err = NULL;
	char *bad = NULL;	/* the first entry git refuses */
	struct rawindex ix;
	size_t off;
	char key[sizeof(passed.paths)];
	int *found = xcalloc(n + 1, sizeof(*found));
	int sparse = 0;

	memset(&ix, 0, sizeof(ix));
	passed_key(key, sizeof(key), paths, n);
	if ((err = dipb_ix_sparse_on(&sparse, r)) != NULL)
		goto done;
	if (stat(r->index_path, &ix.st) == -1) {
		if (errno == ENOENT)
			goto lock;	/* no index yet: git makes one */
		err = dipb_error_from_errno("%s", r->index_path);
		goto done;
	}
	if (passed.r == r && key[0] != '\0' &&
	    strcmp(passed.paths, key) == 0 &&
	    dipb_git_same_stat(&passed.st, &ix.st))
		goto lock;
	/* The entries: the paths' own, and any the sparse checkout left out. */
	if ((err = read_header(&ix, r)) != NULL ||
	    (err = check_entries(&off, &bad, found, &ix, r, paths, n,
	    sparse)) != NULL)
		goto done;
	/* A split index's entries are no paths: its extension is said. */
	if ((err = check_extensions(&ix, off, r->index_path)) != NULL)
		goto done;
	if (bad != NULL) {
		err = dipb_error_fmt(DIPB_ERR_CORRUPT, "cannot read the index "
		    "'%s' (%s): see what 'git status' says", r->index_path,
		    bad);
		goto done;
	}
	/* A new file: where the sparse checkout leaves it out. */
	if (sparse &&
	    (err = new_outside_sparse(r, paths, n, found)) != NULL)
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
	free(bad);
	dipb_ix_rawindex_release(&ix);
	free(found);
	return err;
}

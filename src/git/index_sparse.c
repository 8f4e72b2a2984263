/*
 * git/index_sparse.c - the sparse checkout as git 2.39 takes it: on or
 * off, the patterns of info/sparse-checkout, a path they leave out, and
 * the refusal of a path outside it (dipb-git(7)).
 */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "index.h"
#include "../error.h"
#include "../util.h"

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
const struct dipb_error *
dipb_ix_sparse_on(int *on, struct dipb_repo *r)
{
	char *file = xasprintf("%sinfo/sparse-checkout", r->gitdir);

	*on = access(file, F_OK) == 0;
	free(file);
	if (!*on)
		return NULL;
	return dipb_git_repo_bool(on, r, "core.sparsecheckout", 0);
}

/*
 * The patterns of the worktree's info/sparse-checkout into pats, for a
 * caller that knows the sparse checkout is on (dipb_ix_sparse_on).
 */
const struct dipb_error *
dipb_ix_sparse_read(struct dipb_buf *pats, struct dipb_repo *r)
{
	char *file = xasprintf("%sinfo/sparse-checkout", r->gitdir);
	const struct dipb_error *err = dipb_read_regular(pats, file, 0, 0);

	free(file);
	return err;
}

/*
 * The patterns into pats, read once for every path a caller judges (a
 * sync: every path it brings; dipb migrate: every record); *on 0 when
 * the sparse checkout is off (dipb_ix_sparse_on), which leaves nothing
 * out.  git applies them whenever the sparse checkout is on, whether or
 * not an entry of the index has the skip-worktree bit yet: git add and
 * git mv refuse a new path they leave out, git pull brings one in the
 * index only (dipb-git(7)).
 */
const struct dipb_error *
dipb_ix_sparse_load(struct dipb_buf *pats, int *on, struct dipb_repo *r)
{
	const struct dipb_error *err;

	if ((err = dipb_ix_sparse_on(on, r)) != NULL || !*on)
		return err;
	return dipb_ix_sparse_read(pats, r);
}

/*
 * 1 when the sparse checkout's patterns (dipb_ix_sparse_load) leave path out:
 * its folders are matched first, then the path; no pattern matching
 * leaves it out, as git does.
 */
int
dipb_ix_sparse_excludes(const struct dipb_buf *pats, const char *path)
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

/*
 * The advice: add path's folder, unless the patterns pats (NULL: not
 * read) would leave path out still, as a pattern of its own that
 * excludes the file does whatever its folder's says: then path itself.
 */
const struct dipb_error *
dipb_ix_outside_sparse(const struct dipb_buf *pats, const char *path)
{
	const char *slash = strrchr(path, '/');
	int dlen = slash != NULL ? (int)(slash - path) : 0;
	struct dipb_buf more = DIPB_BUF_INIT;
	int still = 0;

	if (pats != NULL && dlen > 0) {
		dipb_buf_put(&more, pats->ptr, pats->len);
		dipb_buf_printf(&more, "\n/%.*s/\n", dlen, path);
		still = dipb_ix_sparse_excludes(&more, path);
		dipb_buf_release(&more);
	}
	if (still || dlen == 0)
		return dipb_error_fmt(DIPB_ERR_DIRTY, "%s is outside the "
		    "sparse checkout (git sparse-checkout): run 'git "
		    "sparse-checkout add /%s', then retry", path, path);
	return dipb_error_fmt(DIPB_ERR_DIRTY, "%s is outside the sparse "
	    "checkout (git sparse-checkout): run 'git sparse-checkout add "
	    "%.*s', then retry", path, dlen, path);
}

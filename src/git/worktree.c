/*
 * git/worktree.c - the working-tree files of a change brought in step.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "internal.h"
#include "../error.h"
#include "../util.h"

/* ---- files ------------------------------------------------------- */

/*
 * Writes path through "<path>.dipb-tmp" and rename.  The temporary name is
 * fixed, which is safe under the lock and lets recovery remove a leftover.
 */
const struct dipb_error *
dipb_git_write_atomic(const char *path, const char *data, size_t len,
    int do_fsync)
{
	const struct dipb_error *err;
	char *tmp = xasprintf("%s%s", path, DIPB_GIT_TMP_SUFFIX);

	err = dipb_write_replace(path, tmp, data, len, 0666, do_fsync ? 2 : 0);
	free(tmp);
	return err;
}

const struct dipb_error *
dipb_git_make_dirs(int *blocked, const char *path, size_t from)
{
	const struct dipb_error *err = NULL;
	char *dir = xstrdup(path), *p = dir + from;

	if (blocked != NULL)
		*blocked = 0;
	while ((p = strchr(p, '/')) != NULL) {
		*p = '\0';
		if (mkdir(dir, 0777) == -1 && errno != EEXIST) {
			if (blocked != NULL && errno == ENOTDIR)
				*blocked = 1;
			else
				err = dipb_error_from_errno("%s", dir);
			break;
		}
		*p++ = '/';
	}
	free(dir);
	return err;
}

/* A path dipb may write: relative, '/'-separated, no "." ".." ".git". */
int
dipb_git_path_ok(const char *path)
{
	const char *p = path, *end;
	size_t n;

	if (path[0] == '\0' || path[0] == '/' || strchr(path, '\n') != NULL ||
	    strchr(path, '\\') != NULL)
		return 0;
	for (;;) {
		end = strchr(p, '/');
		n = end != NULL ? (size_t)(end - p) : strlen(p);
		if (n == 0 || (n == 1 && p[0] == '.') ||
		    (n == 2 && p[0] == '.' && p[1] == '.') ||
		    (n == 4 && strncasecmp(p, ".git", 4) == 0))
			return 0;
		if (end == NULL)
			return 1;
		p = end + 1;
	}
}

static const struct dipb_error *
worktree_state(struct dipb_git_wt *out, struct dipb_repo *r,
    const struct jfile *f)
{
	const struct dipb_error *err = NULL;
	char *full = xasprintf("%s%s", r->workdir, f->path);
	git_oid id;

	out->state = WT_OTHER;
	/* Stat first: a change made while hashing then shows in the stat. */
	if (lstat(full, &out->st) == -1) {
		if (errno == ENOENT)
			out->state = WT_ABSENT;
		else
			err = dipb_error_from_errno("%s", full);
	} else if (S_ISREG(out->st.st_mode)) {
		if ((err = dipb_git_hash_file(&id, r, f->path)) == NULL) {
			if (git_oid_equal(&id, &f->new))
				out->state = WT_NEW;
			else if (!git_oid_is_zero(&f->old) &&
			    git_oid_equal(&id, &f->old))
				out->state = WT_OLD;
		}
	}
	free(full);
	return err;
}

/*
 * Brings the working file of each path from the old blob to the new one:
 * written when it is absent or still the old blob, left alone when the
 * user changed it.
 */
const struct dipb_error *
dipb_git_worktree_sync(struct dipb_repo *r, const struct jfile *files, size_t n,
    struct dipb_git_wt *wt)
{
	const struct dipb_error *err = NULL;
	git_blob *blob = NULL;
	char *full, *tmp;
	size_t i;

	for (i = 0; i < n && err == NULL; i++) {
		full = xasprintf("%s%s", r->workdir, files[i].path);
		tmp = xasprintf("%s%s", full, DIPB_GIT_TMP_SUFFIX);
		unlink(tmp);		/* left by a killed dipb */
		free(tmp);
		if ((err = worktree_state(&wt[i], r, &files[i])) == NULL &&
		    (wt[i].state == WT_ABSENT || wt[i].state == WT_OLD)) {
			if ((err = dipb_git_make_dirs(NULL, full,
			    strlen(r->workdir))) != NULL)
				goto next;
			if (git_blob_lookup(&blob, r->git, &files[i].new) < 0) {
				err = dipb_error_from_git("cannot read '%s'",
				    files[i].path);
				goto next;
			}
			err = dipb_git_write_atomic(full,
			    git_blob_rawcontent(blob),
			    (size_t)git_blob_rawsize(blob), r->fsync);
			git_blob_free(blob);
			blob = NULL;
			if (err == NULL && lstat(full, &wt[i].st) == -1)
				err = dipb_error_from_errno("%s", full);
			if (err == NULL)
				wt[i].state = WT_NEW;
		}
next:
		free(full);
	}
	return err;
}

/*
 * records.c - the records at a commit (repo.h, "Reading the history"):
 * the one reader that the tip (dipb_repo_each_record: list, report,
 * validate) and the history (report --until, log) share, so that both
 * see the same files.
 *
 * A record file is a regular file of recommendations/ named <name>.yaml
 * (dipb-record(5)).  A symbolic link is no record file, though git
 * stores it as a blob: its contents are a path, not a record.  One named
 * as a record is handed to the caller unread (data NULL), for every
 * reader to report it alike [symlink] (dipb-validate(1)).
 */
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "../board.h"
#include "../error.h"
#include "internal.h"

int
dipb_git_is_record(const struct dipb_tree_entry *e)
{
	return (e->mode == DIPB_MODE_BLOB || e->mode == DIPB_MODE_EXEC) &&
	    e->nlen > 5 && memcmp(e->name + e->nlen - 5, ".yaml", 5) == 0;
}

/* A symbolic link named as a record file: reported, never read. */
static int
is_record_link(const struct dipb_tree_entry *e)
{
	return e->mode == DIPB_MODE_LINK && e->nlen > 5 &&
	    memcmp(e->name + e->nlen - 5, ".yaml", 5) == 0;
}

const struct dipb_error *
dipb_git_records_tree(struct dipb_tree **out, struct dipb_repo *repo,
    const char *root)
{
	const struct dipb_error *err;
	const struct dipb_tree_entry *e;
	struct dipb_tree *t;

	*out = NULL;
	if ((err = dipb_git_tree_read(&t, repo, root)) != NULL)
		return err;
	if ((e = dipb_tree_find(t, DIPB_RECORD_DIR)) != NULL &&
	    e->mode == DIPB_MODE_TREE)
		err = dipb_git_tree_read(out, repo, e->id);
	dipb_tree_free(t);
	return err;
}

/*
 * The walk of dipb_git_each_record_tree; known (may be NULL) is asked
 * first, with the blob id from the tree, whether the caller already
 * has the record (1: the blob is not read), dipb_repo_each_record_known.
 */
static const struct dipb_error *
each_record(struct dipb_repo *repo, const char *root,
    dipb_repo_known_fn known, dipb_repo_blob_fn fn, void *arg)
{
	const struct dipb_error *err;
	const struct dipb_tree_entry *e;
	struct dipb_tree *t;
	struct dipb_object *o;
	struct dipb_buf path = DIPB_BUF_INIT;
	size_t i;

	if ((err = dipb_git_records_tree(&t, repo, root)) != NULL || t == NULL)
		return err;
	/* Tree order is byte order for files, which is all that is kept. */
	for (i = 0; i < dipb_tree_count(t) && err == NULL; i++) {
		e = dipb_tree_entry(t, i);
		if (!dipb_git_is_record(e) && !is_record_link(e))
			continue;
		dipb_buf_clear(&path);
		dipb_buf_printf(&path, "%s/%.*s", DIPB_RECORD_DIR, (int)e->nlen,
		    e->name);
		if (e->mode == DIPB_MODE_LINK) {
			err = fn(dipb_buf_cstr(&path), NULL, 0, arg);
			continue;
		}
		if (known != NULL && known(dipb_buf_cstr(&path), e->id, arg))
			continue;
		if ((err = dipb_git_object_read(&o, repo, e->id,
		    DIPB_OBJECT_BLOB)) != NULL) {
			dipb_error_free(err);
			err = dipb_error_fmt(DIPB_ERR_GIT, "cannot read '%s'",
			    dipb_buf_cstr(&path));
			break;
		}
		err = fn(dipb_buf_cstr(&path), dipb_object_data(o),
		    dipb_object_size(o), arg);
		dipb_object_free(o);
	}
	dipb_buf_release(&path);
	dipb_tree_free(t);
	return err;
}

const struct dipb_error *
dipb_git_each_record_tree(struct dipb_repo *repo, const char *root,
    dipb_repo_blob_fn fn, void *arg)
{
	return each_record(repo, root, NULL, fn, arg);
}

const struct dipb_error *
dipb_repo_each_record_known(struct dipb_repo *r, dipb_repo_known_fn known,
    dipb_repo_blob_fn fn, void *arg)
{
	char root[GIT_OID_HEXSZ + 1];

	if (r->unborn)
		return NULL;
	git_oid_tostr(root, sizeof(root), &r->root);
	return each_record(r, root, known, fn, arg);
}

/*
 * The derived files of dipb in the git dir, <gitdir>/dipb/<name>: never
 * needed for correctness, so that every failure is silent (dipb(1),
 * FILES).
 */
int
dipb_repo_derived_read(struct dipb_buf *out, struct dipb_repo *r,
    const char *name, size_t max)
{
	const struct dipb_error *err;
	char *path = xasprintf("%s/dipb/%s", dipb_repo_gitdir(r), name);

	err = dipb_read_file(out, path, max);
	free(path);
	if (err == NULL)
		return 0;
	dipb_error_free(err);
	return -1;
}

int
dipb_repo_derived_write(struct dipb_repo *r, const char *name,
    const char *data, size_t len)
{
	const struct dipb_error *err;
	const char *gitdir = dipb_repo_gitdir(r);
	char *path = xasprintf("%s/dipb/%s", gitdir, name);

	/*
	 * A file of its own per writer, renamed over the old one: two
	 * dipb at once each leave a whole file, the last one wins.  The
	 * folder and the file get core.sharedRepository's modes, as git
	 * gives its own files (perm.c).
	 */
	err = dipb_git_make_dirs(NULL, r, path, strlen(gitdir));
	if (err == NULL)
		err = dipb_write_replace(path, NULL, data, len, 0666, 0);
	if (err == NULL)
		err = dipb_git_perm_fix(r, path, -1);
	free(path);
	if (err == NULL)
		return 0;
	dipb_error_free(err);
	return -1;
}

const struct dipb_error *
dipb_git_each_record(struct dipb_repo *repo, const char *commit,
    dipb_repo_blob_fn fn, void *arg)
{
	const struct dipb_error *err;
	struct dipb_commit c;

	if ((err = dipb_git_commit_read(&c, repo, commit)) != NULL)
		return err;
	err = dipb_git_each_record_tree(repo, c.tree, fn, arg);
	dipb_commit_release(&c);
	return err;
}

/*
 * records.c - the records at a commit (repo.h, "Reading the history"):
 * the one reader that the tip (dipb_repo_each_record: list, report,
 * validate) and the history (report --until, log) share, so that both
 * see the same files.
 *
 * A record file is a regular file that record.h's one rule takes
 * (dipb_record_file: any <name>.yaml, a dotfile too, of recommendations/
 * or of a folder below it), whatever the board's layout (dipb-record(5),
 * dipb-board(5) "layout"), as dipb validate takes it in the working tree
 * (src/scan.c) and dipb verify in the history: the readers refuse one
 * that is not where the board keeps it, by its path [record-path].  A
 * symbolic link is no record file, though git stores it as a blob: its
 * contents are a path, not a record; nor is a gitlink (a submodule's
 * commit).  One named as a record, or recommendations/ itself committed
 * as one, is handed to the caller unread (data NULL, len its mode), for
 * every reader to report it alike [symlink] [io] (dipb-validate(1)),
 * never left out without a word.
 *
 * One record's file at a commit, in either layout, is found here too
 * (dipb_repo_record_path_at), by every reader of one record: dipb show
 * ID@N, log, report, sync's replay, the check of a missing tag.
 */
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "../board.h"
#include "../error.h"
#include "../record.h"
#include "internal.h"

int
dipb_git_is_record(const struct dipb_tree_entry *e, const char *path,
    size_t len)
{
	return (e->mode == DIPB_MODE_BLOB || e->mode == DIPB_MODE_EXEC) &&
	    dipb_record_file(path, len);
}

/* A symbolic link or a gitlink at path, named as a record file: reported,
 * never read. */
static int
is_record_link(const struct dipb_tree_entry *e, const char *path, size_t len)
{
	return (e->mode == DIPB_MODE_LINK || e->mode == DIPB_MODE_MODULE) &&
	    dipb_record_file(path, len);
}

const struct dipb_error *
dipb_git_records_tree(struct dipb_tree **out, struct dipb_repo *repo,
    const char *root)
{
	const struct dipb_error *err;
	const struct dipb_tree_entry *e;
	struct dipb_tree *t;

	*out = NULL;
	if ((err = dipb_git_tree_read_path(&t, repo, root, "")) != NULL)
		return err;
	if ((e = dipb_tree_find(t, DIPB_RECORD_DIR)) != NULL &&
	    e->mode == DIPB_MODE_TREE)
		err = dipb_git_tree_read_path(out, repo, e->id,
		    DIPB_RECORD_DIR);
	dipb_tree_free(t);
	return err;
}

/*
 * The board's layout in root tree, into *l: its dipb.yaml's layout:, as
 * far as it loads; flat without one (dipb-board(5)), and flat too when it
 * is larger than DIPB_MAX_FILE bytes, which dipb validate and dipb verify
 * report.  A dipb.yaml there that cannot be read (a partial clone's blob
 * whose remote is gone, a damaged object) is an error: taken for flat, it
 * would pick the copy the board does not keep.
 */
static const struct dipb_error *
board_layout(enum dipb_layout *l, struct dipb_repo *repo, const git_oid *root)
{
	const struct dipb_error *err;
	struct dipb_board b;
	struct dipb_diags diags = DIPB_DIAGS_INIT;
	struct dipb_object *o = NULL;
	git_oid id;
	char hex[GIT_OID_HEXSZ + 1];
	int found = 0;

	*l = DIPB_LAYOUT_FLAT;
	if ((err = dipb_git_tree_blob_at(&id, NULL, &found, repo, root,
	    DIPB_BOARD_FILE)) == NULL && found)
		err = dipb_git_object_read_max(&o, repo, git_oid_tostr(hex,
		    sizeof(hex), &id), DIPB_OBJECT_BLOB, DIPB_MAX_FILE);
	if (err != NULL && err->code == DIPB_ERR_TOO_LARGE) {
		dipb_error_free(err);
		return NULL;
	}
	if (err != NULL || o == NULL)
		return err;
	dipb_board_init(&b);
	(void)dipb_board_load(&b, DIPB_BOARD_FILE, dipb_object_data(o),
	    dipb_object_size(o), &diags);
	*l = b.layout;
	dipb_board_release(&b);
	dipb_diags_release(&diags);
	dipb_object_free(o);
	return NULL;
}

/* The place of a record's file in root tree, into *l, whether its flat
 * place and its sharded one hold one: dipb.yaml is read only when both
 * do (board_layout). */
static const struct dipb_error *
record_layout(enum dipb_layout *l, struct dipb_repo *repo,
    const git_oid *root, int flat, int sharded)
{
	if (flat && sharded)
		return board_layout(l, repo, root);
	*l = sharded ? DIPB_LAYOUT_SHARDED : DIPB_LAYOUT_FLAT;
	return NULL;
}

const struct dipb_error *
dipb_git_record_blob_at(git_oid *blob, int *sharded, int *found,
    struct dipb_repo *repo, const git_oid *root, const char *id)
{
	const struct dipb_error *err = NULL;
	git_oid ids[2];
	int in[2] = { 0, 0 };
	enum dipb_layout l;
	char *path;

	*found = 0;
	if (sharded != NULL)
		*sharded = 0;
	memset(blob, 0, sizeof(*blob));
	for (l = DIPB_LAYOUT_FLAT; err == NULL && l <= DIPB_LAYOUT_SHARDED;
	    l++) {
		path = dipb_record_path_in(l, id);
		err = dipb_git_tree_blob_at(&ids[l], NULL, &in[l], repo, root,
		    path);
		free(path);
	}
	if (err != NULL || (!in[DIPB_LAYOUT_FLAT] && !in[DIPB_LAYOUT_SHARDED]))
		return err;
	if ((err = record_layout(&l, repo, root, in[DIPB_LAYOUT_FLAT],
	    in[DIPB_LAYOUT_SHARDED])) != NULL)
		return err;
	*found = 1;
	git_oid_cpy(blob, &ids[l]);
	if (sharded != NULL)
		*sharded = l == DIPB_LAYOUT_SHARDED;
	return NULL;
}

/* dipb_repo_record_at below the tree root. */
static const struct dipb_error *
record_in(char **path, char blob[DIPB_OID_HEX + 1], int *found,
    struct dipb_repo *repo, const git_oid *root, const char *id)
{
	const struct dipb_error *err;
	git_oid id_blob;
	int sharded = 0;

	err = dipb_git_record_blob_at(&id_blob, &sharded, found, repo, root,
	    id);
	if (err == NULL && *found)
		git_oid_tostr(blob, DIPB_OID_HEX + 1, &id_blob);
	*path = dipb_record_path_in(sharded ? DIPB_LAYOUT_SHARDED :
	    DIPB_LAYOUT_FLAT, id);
	return err;
}

const struct dipb_error *
dipb_repo_record_at(char **path, char blob[DIPB_OID_HEX + 1], int *found,
    struct dipb_repo *repo, const char *commit, const char *id)
{
	const struct dipb_error *err = NULL;
	struct dipb_commit c;
	git_oid root;
	int have = 0;

	*found = 0;
	blob[0] = '\0';
	if (commit == NULL && dipb_git_tip_root(repo) != NULL) {
		git_oid_cpy(&root, dipb_git_tip_root(repo));
		have = 1;
	} else if (commit != NULL &&
	    (err = dipb_git_commit_read(&c, repo, commit)) == NULL) {
		have = git_oid_fromstr(&root, c.tree) == 0;
		dipb_commit_release(&c);
	}
	if (err == NULL && have)
		return record_in(path, blob, found, repo, &root, id);
	*path = dipb_record_path_in(DIPB_LAYOUT_FLAT, id);
	return err;
}

const struct dipb_error *
dipb_repo_record_in_tree(char **path, char blob[DIPB_OID_HEX + 1],
    int *found, struct dipb_repo *repo, const char *root, const char *id)
{
	git_oid oid;

	*found = 0;
	blob[0] = '\0';
	if (git_oid_fromstr(&oid, root) != 0) {
		*path = dipb_record_path_in(DIPB_LAYOUT_FLAT, id);
		return dipb_error_fmt(DIPB_ERR_GIT, "not a tree id: '%s'",
		    root);
	}
	return record_in(path, blob, found, repo, &oid, id);
}

const struct dipb_error *
dipb_repo_record_path_at(char **path, int *found, struct dipb_repo *repo,
    const char *commit, const char *id)
{
	char blob[DIPB_OID_HEX + 1];

	return dipb_repo_record_at(path, blob, found, repo, commit, id);
}

char *
dipb_repo_tip_record_path(struct dipb_repo *repo, const char *id)
{
	enum dipb_layout l;

	/* A name for messages and git's paths: flat when unknown. */
	dipb_error_free(board_layout(&l, repo, dipb_git_tip_root(repo)));
	return dipb_record_path_in(l, id);
}

/*
 * Tree id (hex) for the walk: from the caller's copy when w has one
 * (dipb_repo_each_record_walk), else read, and handed to w to keep.
 */
static const struct dipb_error *
walk_tree(struct dipb_tree **out, struct dipb_repo *repo, const char *id,
    const char *path, const struct dipb_repo_walk *w)
{
	const struct dipb_error *err;
	const char *data;
	size_t len;

	if (w->tree_get != NULL && w->tree_get(id, &data, &len, w->arg) &&
	    dipb_git_tree_parse(out, data, len) == 0)
		return NULL;
	if ((err = dipb_git_tree_read_path(out, repo, id, path)) != NULL)
		return err;
	if (w->tree_put != NULL) {
		data = dipb_tree_data(*out, &len);
		w->tree_put(id, data, len, w->arg);
	}
	return NULL;
}

/* Entry e at path, a link or a gitlink, handed to w unread (repo.h). */
static const struct dipb_error *
not_read(struct dipb_repo *repo, const char *path,
    const struct dipb_tree_entry *e, const struct dipb_repo_walk *w)
{
	const struct dipb_error *err;
	char *link = e->mode == DIPB_MODE_LINK ?
	    dipb_git_link_target(repo, e->id) : NULL;

	err = w->fn(path, NULL, e->mode, link, w->arg);
	free(link);
	return err;
}

/*
 * The walk of dipb_git_each_record_tree below tree t, whose path from
 * the top is in path; w->known (may be NULL) is asked first, with the
 * blob id from the tree, whether the caller already has the record (1:
 * the blob is not read), dipb_repo_each_record_walk.  *big: the bytes
 * handed in place of a blob too large to read, made once.
 */
static const struct dipb_error *
walk(struct dipb_repo *repo, const struct dipb_tree *t, struct dipb_buf *path,
    int depth, const struct dipb_repo_walk *w, char **big)
{
	const struct dipb_error *err = NULL, *why;
	const struct dipb_tree_entry *e;
	struct dipb_tree *sub;
	struct dipb_object *o;
	size_t i, len = path->len;

	/* In git's order of entries: a folder sorts as its name and '/'. */
	for (i = 0; i < dipb_tree_count(t) && err == NULL; i++) {
		e = dipb_tree_entry(t, i);
		dipb_buf_truncate(path, len);
		dipb_buf_putc(path, '/');
		dipb_buf_put(path, e->name, e->nlen);
		/*
		 * Into every folder, DIPB_RECORD_DEPTH deep: the sharded
		 * layout's (dipb-board(5), "layout") and any other, whose
		 * record files are handed over all the same, for the reader
		 * to refuse them by their path [record-path], as
		 * dipb-validate(1) reads the working tree.  A folder deeper
		 * still is passed over, not an error: validate and verify
		 * report it, and a folder nobody should have committed must
		 * not stop every member's reading and writing commands.
		 */
		if (e->mode == DIPB_MODE_TREE && depth == DIPB_RECORD_DEPTH)
			continue;
		if (e->mode == DIPB_MODE_TREE) {
			if ((err = walk_tree(&sub, repo, e->id,
			    dipb_buf_cstr(path), w)) != NULL)
				break;
			err = walk(repo, sub, path, depth + 1, w, big);
			dipb_tree_free(sub);
			continue;
		}
		if (!dipb_git_is_record(e, dipb_buf_cstr(path), path->len) &&
		    !is_record_link(e, dipb_buf_cstr(path), path->len))
			continue;
		if (!dipb_git_is_record(e, dipb_buf_cstr(path), path->len)) {
			err = not_read(repo, dipb_buf_cstr(path), e, w);
			continue;
		}
		if (w->known != NULL &&
		    w->known(dipb_buf_cstr(path), e->id, w->arg))
			continue;
		if ((err = dipb_git_blob_read(&o, repo, e->id,
		    DIPB_MAX_FILE)) != NULL && err->code ==
		    DIPB_ERR_TOO_LARGE) {
			/*
			 * Not inflated: fn gets DIPB_MAX_FILE + 1 bytes in
			 * its place, as scan.c hands it the first bytes of
			 * a working file that large, which the loaders
			 * refuse by their number alone (dipb-validate(1),
			 * file-size).
			 */
			dipb_error_free(err);
			if (*big == NULL)
				*big = xcalloc(1, DIPB_MAX_FILE + 1);
			err = w->fn(dipb_buf_cstr(path), *big,
			    DIPB_MAX_FILE + 1, NULL, w->arg);
			continue;
		}
		if (err != NULL) {
			/* Why, as every read of an object says it (lazy.c). */
			why = err;
			err = dipb_error_fmt(DIPB_ERR_GIT, "cannot read '%s': "
			    "%s", dipb_buf_cstr(path), why->msg);
			dipb_error_free(why);
			break;
		}
		err = w->fn(dipb_buf_cstr(path), dipb_object_data(o),
		    dipb_object_size(o), NULL, w->arg);
		dipb_object_free(o);
	}
	dipb_buf_truncate(path, len);
	return err;
}

static const struct dipb_error *
each_record(struct dipb_repo *repo, const char *root,
    const struct dipb_repo_walk *w)
{
	const struct dipb_error *err;
	const struct dipb_tree_entry *e;
	struct dipb_tree *top, *t = NULL;
	struct dipb_buf path = DIPB_BUF_INIT;
	char *big = NULL;

	if ((err = dipb_git_tree_read_path(&top, repo, root, "")) != NULL)
		return err;
	if ((e = dipb_tree_find(top, DIPB_RECORD_DIR)) != NULL &&
	    e->mode == DIPB_MODE_TREE &&
	    (w->all == NULL || !w->all(e->id, w->arg)))
		err = walk_tree(&t, repo, e->id, DIPB_RECORD_DIR, w);
	else if (e != NULL && (e->mode == DIPB_MODE_LINK ||
	    e->mode == DIPB_MODE_MODULE))
		/* The folder itself committed as a link or a gitlink. */
		err = not_read(repo, DIPB_RECORD_DIR, e, w);
	dipb_tree_free(top);
	if (err != NULL || t == NULL)
		return err;
	dipb_buf_puts(&path, DIPB_RECORD_DIR);
	err = walk(repo, t, &path, 0, w, &big);
	free(big);
	dipb_buf_release(&path);
	dipb_tree_free(t);
	return err;
}

const struct dipb_error *
dipb_git_each_record_tree(struct dipb_repo *repo, const char *root,
    dipb_repo_blob_fn fn, void *arg)
{
	struct dipb_repo_walk w;

	memset(&w, 0, sizeof(w));
	w.fn = fn;
	w.arg = arg;
	return each_record(repo, root, &w);
}

const struct dipb_error *
dipb_repo_each_record_walk(struct dipb_repo *r, const struct dipb_repo_walk *w)
{
	char root[GIT_OID_HEXSZ + 1];

	if (r->unborn)
		return NULL;
	git_oid_tostr(root, sizeof(root), &r->root);
	return each_record(r, root, w);
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

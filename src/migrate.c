/*
 * migrate.c - the moves of dipb migrate, from the tip's tree: one path
 * each in the new layout, and dipb.yaml in canonical form with the new
 * layout:, so that the change differs from its parent in those alone.
 */
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "hashmap.h"
#include "migrate.h"

static const struct dipb_error *
not_record(const char *path, const char *what)
{
	return dipb_error_fmt(DIPB_ERR_INVALID, "%s: %s, which dipb migrate "
	    "would leave behind: move it out of %s/ or remove it ('git rm'), "
	    "then retry", path, what, DIPB_RECORD_DIR);
}

const struct dipb_error *
dipb_migration_plan(struct dipb_migration *out, struct dipb_repo *repo,
    const struct dipb_board *b, enum dipb_layout to)
{
	return dipb_migration_plan_at(out, repo, NULL, b, to);
}

const struct dipb_error *
dipb_migration_plan_at(struct dipb_migration *out, struct dipb_repo *repo,
    const char *root, const struct dipb_board *b, enum dipb_layout to)
{
	const struct dipb_error *err;
	struct dipb_repo_files others = { NULL, 0, 0 };
	struct dipb_hashmap paths = DIPB_HASHMAP_INIT;
	struct dipb_board nb;
	const struct dipb_repo_file *f;
	char id[DIPB_MAX_ID + 1], *path;
	size_t i;

	memset(out, 0, sizeof(*out));
	out->to = to;
	if (b->layout == to)
		return NULL;
	if ((err = root == NULL ? dipb_repo_files_below(&out->files, &others,
	    repo, DIPB_RECORD_DIR) : dipb_repo_files_below_at(&out->files,
	    &others, repo, root, DIPB_RECORD_DIR)) != NULL)
		goto done;
	if (others.n > 0) {
		err = not_record(others.v[0].path, "not a regular file");
		goto done;
	}
	for (i = 0; i < out->files.n; i++)
		dipb_hashmap_put(&paths, out->files.v[i].path, (void *)1);
	out->v = xcalloc(out->files.n + 1, sizeof(*out->v));
	out->to_paths = xcalloc(out->files.n + 1, sizeof(*out->to_paths));
	for (i = 0; i < out->files.n; i++) {
		f = &out->files.v[i];
		if (dipb_record_path_parse(f->path, strlen(f->path), id,
		    NULL) != 0) {
			err = not_record(f->path, "not where a record lives "
			    "in either layout (dipb-board(5), \"layout\")");
			goto done;
		}
		path = dipb_record_path_in(to, id);
		if (strcmp(path, f->path) == 0)
			err = dipb_error_fmt(DIPB_ERR_INVALID, "%s: in the %s "
			    "layout already, where %s says %s: 'dipb verify' "
			    "names the change that put it there", f->path,
			    dipb_layout_name(to), DIPB_BOARD_FILE,
			    dipb_layout_name(b->layout));
		else if (dipb_hashmap_get(&paths, path) != NULL)
			err = dipb_error_fmt(DIPB_ERR_INVALID, "%s: %s is "
			    "in both layouts: remove one of its files ('git "
			    "rm'), then retry", f->path, id);
		if (err != NULL) {
			free(path);
			goto done;
		}
		out->to_paths[out->n] = path;
		out->v[out->n].from = f->path;
		out->v[out->n].to = path;
		out->v[out->n].id = f->id;
		out->v[out->n].mode = f->mode;
		out->n++;
	}
	/* dipb.yaml as dipb_board_emit writes it: layout: alone changes. */
	nb = *b;
	nb.layout = to;
	dipb_board_emit(&nb, &out->board);
done:
	dipb_hashmap_release(&paths, NULL);
	dipb_repo_files_release(&others);
	return err;
}

void
dipb_migration_release(struct dipb_migration *m)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		free(m->to_paths[i]);
	free(m->to_paths);
	free(m->v);
	dipb_repo_files_release(&m->files);
	dipb_buf_release(&m->board);
	memset(m, 0, sizeof(*m));
}

/*
 * records.c - what a commit changes, and the records and board it leaves,
 * loaded ahead of the replay.
 */
#include <stdlib.h>
#include <string.h>

#include "../pool.h"
#include "../text.h"
#include "../validate.h"
#include "internal.h"

/* ---- what a commit changes ------------------------------------------- */

int
dipb_vfy_is_blob_mode(unsigned mode)
{
	return mode == DIPB_MODE_BLOB || mode == DIPB_MODE_EXEC;
}

/*
 * The paths commit c changes against the commit replayed before it
 * (src/git/treediff.c), each with the record id its path names.
 */
const struct dipb_error *
dipb_vfy_commit_changes(struct changes *out, struct verify *v,
    const struct commit *c)
{
	const struct dipb_error *err;
	struct dipb_tree_changes tc = { NULL, 0, 0 };
	struct change *ch;
	char id[DIPB_MAX_ID + 1];
	size_t i;

	if ((err = dipb_treediff_next(&tc, v->td, c->tree)) != NULL) {
		/*
		 * A tree out of git's order is reported, and the next
		 * commit compared with the tree before it (tree-order).
		 */
		if (dipb_treediff_order(v->td) != NULL) {
			dipb_vfy_finding(v, c->id, NULL, NULL, "tree-order",
			    "%s", dipb_treediff_order(v->td));
			dipb_error_free(err);
			err = NULL;
		}
		goto done;
	}
	for (i = 0; i < tc.n; i++) {
		xgrow((void **)&out->v, &out->cap, out->n + 1, sizeof(*out->v));
		ch = &out->v[out->n++];
		memset(ch, 0, sizeof(*ch));
		ch->path = tc.v[i].path;
		tc.v[i].path = NULL;
		ch->old_mode = tc.v[i].old_mode;
		ch->new_mode = tc.v[i].new_mode;
		memcpy(ch->old_id, tc.v[i].old_id, sizeof(ch->old_id));
		memcpy(ch->new_id, tc.v[i].new_id, sizeof(ch->new_id));
		/* A record's file, in either layout (a folder ends in '/'). */
		if (dipb_record_path_parse(ch->path, strlen(ch->path), id,
		    &ch->layout) == 0)
			ch->id = xstrdup(id);
	}
done:
	dipb_tree_changes_release(&tc);
	return err;
}

/* ---- records ------------------------------------------------------------ */

/*
 * The records the changes of a stretch of history leave are loaded ahead
 * of its replay, LOAD_CHUNK at a time (internal.h): the blobs read here
 * (objects are read on one thread, repo.h), parsed on up to MAX_THREADS
 * (internal.h) workers of the pool (pool.h), each change on its own.
 */

/*
 * Blob id, the file of change ch, into *out: NULL, or why it could not be
 * read, for a finding: one larger than DIPB_MAX_FILE, not inflated, said
 * by its size, as a working file that large is (file-size), or a missing
 * one.  Any other failure (a blob that does not inflate, or whose bytes
 * are not its id's) is a corrupt repository, exit status 5 and no
 * finding (dipb-verify(1), EXIT STATUS): kept in v->broken, which ends
 * the replay, and said in the why returned too.
 */
char *
dipb_vfy_blob_read(struct dipb_object **out, struct verify *v,
    const struct change *ch, const char *id)
{
	const struct dipb_error *err;
	char *why;

	if ((err = dipb_git_blob_read(out, v->repo, id, DIPB_MAX_FILE)) ==
	    NULL)
		return NULL;
	if (err->code == DIPB_ERR_TOO_LARGE)
		why = xasprintf("%s is larger than %d bytes", ch->path,
		    DIPB_MAX_FILE);
	else
		why = xstrdup(err->msg);
	if (err->code != DIPB_ERR_TOO_LARGE &&
	    err->code != DIPB_ERR_NOT_FOUND && v->broken == NULL)
		v->broken = err;
	else
		dipb_error_free(err);
	return why;
}

/* Reads the blob of a record change; 1 when it is to be parsed. */
int
dipb_vfy_prepare_change(struct verify *v, struct change *ch)
{
	if (ch->id == NULL || ch->new_mode == 0)
		return 0;
	if (!dipb_vfy_is_blob_mode(ch->new_mode)) {
		ch->why = xasprintf("%s is not a regular file", ch->path);
		return 0;
	}
	/* A larger one is not inflated (dipb_git_blob_read). */
	return (ch->why = dipb_vfy_blob_read(&ch->blob, v, ch,
	    ch->new_id)) == NULL;
}

void
dipb_vfy_parse_change(struct change *ch)
{
	struct dipb_diags diags = DIPB_DIAGS_INIT;
	struct dipb_record *r = xmalloc(sizeof(*r));
	size_t i;

	dipb_record_init(r);
	if (dipb_record_load(r, ch->path, dipb_object_data(ch->blob),
	    dipb_object_size(ch->blob), 0, &diags) != 0 || r->id == NULL) {
		for (i = 0; i < diags.n; i++)
			if (diags.v[i].sev == DIPB_SEV_ERROR)
				break;
		if (i < diags.n)
			ch->why = xasprintf("%s:%u:%u: %s", diags.v[i].path,
			    diags.v[i].line, diags.v[i].col, diags.v[i].msg);
		else
			ch->why = xasprintf("%s does not load", ch->path);
		dipb_record_free(r);
	} else {
		ch->rec = r;
		/*
		 * Looked for here, on the pool's workers, as the file is
		 * read: nearly every record holds none, and the replay,
		 * which alone knows the record before the change, is left
		 * only those that do (dipb_vfy_check_record_change).
		 */
		ch->controls = dipb_validate_controls(&diags, ch->path, r,
		    NULL, DIPB_TEXT_LINE_OLD) > 0;
	}
	dipb_diags_release(&diags);
}

/* Parses the changes [begin, end) of todo, on a worker of the pool. */
static const struct dipb_error *
load_work(void *arg, size_t worker, size_t begin, size_t end)
{
	struct change **todo = arg;

	(void)worker;
	for (; begin < end; begin++)
		dipb_vfy_parse_change(todo[begin]);
	return NULL;
}

void
dipb_vfy_load_records(struct change **todo, size_t n)
{
	size_t i;

	dipb_error_free(dipb_pool_run(dipb_pool_workers(n, 16, MAX_THREADS),
	    n, 1, load_work, todo));
	for (i = 0; i < n; i++) {
		dipb_object_free(todo[i]->blob);
		todo[i]->blob = NULL;
	}
}

/* Loads dipb.yaml as a change leaves it into out; 0, or -1 with *why. */
int
dipb_vfy_load_board(struct dipb_board *out, struct verify *v,
    const struct change *ch, char **why)
{
	struct dipb_diags diags = DIPB_DIAGS_INIT;
	struct dipb_object *obj = NULL;
	size_t i;
	int rc = 0;

	*why = NULL;
	dipb_board_init(out);
	if (!dipb_vfy_is_blob_mode(ch->new_mode)) {
		*why = xasprintf("%s is %s", ch->path, ch->new_mode == 0 ?
		    "deleted" : "not a regular file");
		return -1;
	}
	if ((*why = dipb_vfy_blob_read(&obj, v, ch, ch->new_id)) != NULL)
		return -1;
	if (dipb_board_load(out, DIPB_BOARD_FILE, dipb_object_data(obj),
	    dipb_object_size(obj), &diags) != 0) {
		for (i = 0; i < diags.n; i++)
			if (diags.v[i].sev == DIPB_SEV_ERROR)
				break;
		*why = i < diags.n ? xasprintf("%s:%u:%u: %s",
		    diags.v[i].path, diags.v[i].line, diags.v[i].col,
		    diags.v[i].msg) : xstrdup("dipb.yaml does not load");
		dipb_board_release(out);
		dipb_board_init(out);
		rc = -1;
	} else
		dipb_vfy_remember_keys(v, out);
	dipb_diags_release(&diags);
	dipb_object_free(obj);
	return rc;
}


/* A change of dipb.yaml: the board as of the next commit. */
void
dipb_vfy_take_board(struct verify *v, const struct change *ch)
{
	struct dipb_board b;
	char *why;

	if (ch->new_mode == 0) {
		dipb_board_release(&v->board);
		dipb_board_init(&v->board);
		v->have_board = 0;
		v->board_blob[0] = '\0';
		return;
	}
	if (dipb_vfy_load_board(&b, v, ch, &why) < 0) {
		free(why);	/* the last good board stays */
		return;
	}
	dipb_vfy_check_board(v, dipb_vfy_commit_at(v, v->cur), ch->path, NULL,
	    &b);
	dipb_board_release(&v->board);
	v->board = b;
	memcpy(v->board_blob, ch->new_id, sizeof(v->board_blob));
	v->have_board = 1;
}

/*
 * Whether commit c holds record ch->id in a file other than ch->path, one
 * that every reader takes for the record at c (dipb-board(5), "layout":
 * where both places hold it, the one in the layout of the commit's
 * dipb.yaml): then blob is that file's.  Asked only of a change out of the
 * board's place; a tree that cannot be read ends the replay (v->broken).
 */
static int
held_elsewhere(char blob[DIPB_OID_HEX + 1], struct verify *v,
    const struct commit *c, const struct change *ch)
{
	const struct dipb_error *err;
	char *path = NULL;
	int found = 0, other;

	if (ch->layout == (v->have_board ? v->board.layout :
	    DIPB_LAYOUT_FLAT))
		return 0;
	err = dipb_repo_record_in_tree(&path, blob, &found, v->repo, c->tree,
	    ch->id);
	if (err != NULL) {
		if (v->broken == NULL)
			v->broken = err;
		else
			dipb_error_free(err);
		return 0;
	}
	other = found && strcmp(path, ch->path) != 0;
	free(path);
	return other;
}

/*
 * A record changed by something other than its own state change: its file
 * is taken as it is, and a stored status that its events do not give is a
 * finding (then believed, so one tampering is reported once).  A copy out
 * of place beside the record's file is not the record, as every reader of
 * the history finds it: its change leaves the record be.
 */
void
dipb_vfy_take_record(struct verify *v, const struct commit *c,
    struct change *ch)
{
	struct recstate *rs = dipb_vfy_recstate(v, ch->id);
	struct dipb_record *r = ch->rec;
	char blob[DIPB_OID_HEX + 1];

	if (held_elsewhere(blob, v, c, ch)) {
		if (rs->exists && strcmp(blob, rs->blob) == 0)
			return;
		dipb_record_free(rs->rec);
		rs->rec = NULL;
		memcpy(rs->blob, blob, sizeof(rs->blob));
		rs->lazy = 1;
		rs->exists = 1;
		r = dipb_vfy_rs_rec(v, rs);
		goto status;
	}
	ch->rec = NULL;
	dipb_record_free(rs->rec);
	rs->rec = r;
	rs->lazy = 0;
	if (r != NULL)
		memcpy(rs->blob, ch->new_id, sizeof(rs->blob));
	else
		rs->blob[0] = '\0';
	rs->exists = ch->new_mode != 0;
status:
	if (r == NULL)
		return;
	if (rs->status != DIPB_STATUS_NONE && r->status != rs->status)
		dipb_vfy_finding(v, c->id, NULL, ch->path, "status",
		    "%s's stored status changed from %s to %s without an "
		    "event", ch->id, dipb_status_name(rs->status),
		    dipb_status_name(r->status));
	rs->status = r->status;
}


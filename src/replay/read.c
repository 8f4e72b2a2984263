/*
 * replay/read.c - a local change read back (dipb-sync(1), "REPLAY"): its
 * message's body as a commit writes it (the split is trailer.h's), its
 * author's name, a file or a record as a given commit has it, whether
 * two commits change the same files alike.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "../trailer.h"

/*
 * The name a subject gives the author of change oc, as the command that
 * made it gives it (dipb_session_actor): the board's
 * (dipb_member_subject_name), else the commit's.
 */
const char *
dipb_rpl_actor_name(const struct dipb_board *b, const struct dipb_commit *oc)
{
	const struct dipb_member *m = oc->author_email != NULL ?
	    dipb_board_member(b, oc->author_email) : NULL;

	if (m != NULL)
		return dipb_member_subject_name(m);
	return oc->author_name != NULL ? oc->author_name :
	    oc->author_email != NULL ? oc->author_email : "";
}

/*
 * The body of a change's message (dipb_message_body), ending in a line
 * end, as a commit writes it; NULL when none.
 */
char *
dipb_rpl_body_of(const char *msg, size_t len)
{
	size_t n;
	const char *body = dipb_message_body(&n, msg, len, NULL);

	return n > 0 ? xasprintf("%.*s\n", (int)n, body) : NULL;
}

/* path at commit into out; *found 0 when it is not there. */
const struct dipb_error *
dipb_rpl_read_at(struct dipb_buf *out, int *found, struct dipb_repo *repo,
    const char *commit, const char *path)
{
	char blob[DIPB_OID_HEX + 1];

	dipb_buf_clear(out);
	return dipb_git_read_at(out, blob, found, repo, commit, path,
	    DIPB_MAX_FILE);
}

/*
 * Record id at commit into out, from its file in either layout
 * (dipb_repo_record_path_at), whose path *path receives (caller frees;
 * the flat one when there is none): a local change keeps the layout of
 * its own commit, which the remote's may have changed since.
 */
const struct dipb_error *
dipb_rpl_read_record_at(struct dipb_buf *out, int *found, char **path,
    struct dipb_repo *repo, const char *commit, const char *id)
{
	const struct dipb_error *err;

	dipb_buf_clear(out);
	if ((err = dipb_repo_record_path_at(path, found, repo, commit,
	    id)) != NULL || !*found)
		return err;
	return dipb_rpl_read_at(out, found, repo, commit, *path);
}

/*
 * Loads record path from buf into r (initialised); -1 when it does not
 * load whole, *why (caller frees) then saying why.
 */
int
dipb_rpl_load_record(struct dipb_record *r, char **why, const char *path,
    const struct dipb_buf *buf)
{
	struct dipb_diags diags = DIPB_DIAGS_INIT;
	size_t i;
	int rc;

	*why = NULL;
	rc = dipb_record_load(r, path, buf->ptr, buf->len, 0, &diags);
	if (rc == 0 && r->id == NULL)
		rc = -1;
	if (rc != 0) {
		for (i = 0; i < diags.n; i++)
			if (diags.v[i].sev == DIPB_SEV_ERROR)
				break;
		*why = xasprintf("%s:%u:%u: %s", path,
		    i < diags.n ? diags.v[i].line : 0,
		    i < diags.n ? diags.v[i].col : 0,
		    i < diags.n ? diags.v[i].msg : "does not load");
	}
	dipb_diags_release(&diags);
	return rc;
}

/* What commit c changes, against its first parent, into d. */
static const struct dipb_error *
changes_of(struct dipb_tree_changes *d, struct dipb_repo *repo,
    const struct dipb_commit *c)
{
	const struct dipb_error *err;
	struct dipb_commit parent;

	if (c->parent[0] == '\0')
		return dipb_git_tree_diff(d, repo, "", c->tree);
	if ((err = dipb_git_commit_read(&parent, repo, c->parent)) != NULL)
		return err;
	err = dipb_git_tree_diff(d, repo, parent.tree, c->tree);
	dipb_commit_release(&parent);
	return err;
}

/*
 * Whether commits a and b change the same files alike.  In a partial
 * clone the trees of both and of their parents are fetched first, in one
 * batch (dipb_git_have_commit_trees), not one a tree as the diffs read
 * them.
 */
const struct dipb_error *
dipb_rpl_same_files(int *same, struct dipb_repo *repo, const char *a,
    const char *b)
{
	const struct dipb_error *err;
	struct dipb_tree_changes x = { NULL, 0, 0 }, y = { NULL, 0, 0 };
	struct dipb_commit ca, cb;
	const char *ids[4];
	size_t i, n = 0;

	*same = 0;
	if ((err = dipb_git_commit_read(&ca, repo, a)) != NULL)
		return err;
	if ((err = dipb_git_commit_read(&cb, repo, b)) != NULL) {
		dipb_commit_release(&ca);
		return err;
	}
	ids[n++] = ca.id;
	if (ca.parent[0] != '\0')
		ids[n++] = ca.parent;
	ids[n++] = cb.id;
	if (cb.parent[0] != '\0')
		ids[n++] = cb.parent;
	if ((err = dipb_git_have_commit_trees(repo, ids, n)) == NULL &&
	    (err = changes_of(&x, repo, &ca)) == NULL &&
	    (err = changes_of(&y, repo, &cb)) == NULL) {
		*same = x.n == y.n;
		for (i = 0; *same && i < x.n; i++)
			*same = strcmp(x.v[i].path, y.v[i].path) == 0 &&
			    x.v[i].new_mode == y.v[i].new_mode &&
			    strcmp(x.v[i].new_id, y.v[i].new_id) == 0;
	}
	dipb_tree_changes_release(&x);
	dipb_tree_changes_release(&y);
	dipb_commit_release(&ca);
	dipb_commit_release(&cb);
	return err;
}

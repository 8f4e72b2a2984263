/*
 * replay.c - a branch's local dipb changes made again, as operations, on
 * another tip (dipb-sync(1), "REPLAY").
 *
 * Each local change is read back as what its command did: the move (its
 * Dipb-Event), the acting member (its commit's author) and the inputs
 * (the fields dipb_event_fields() names, as the change set them).  The
 * move is then checked and made again on the record as the new parent
 * has it, with the board as of the new parent, by the same functions the
 * commands use (state.c's table and roles, session.c's check of what is
 * written, commit.c's objects), so that a replayed change is one the
 * command could have made there.  What cannot be made again is dropped
 * with a reason naming the record, what changed and what to do.
 *
 * Everything is read at given commits, never at the tip, and only the
 * local changes' commits, records and tags are read: the cost grows with
 * the number of local changes, not with the history.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "board.h"
#include "error.h"
#include "hashmap.h"
#include "meeting.h"
#include "migrate.h"
#include "record.h"
#include "replay.h"
#include "session.h"
#include "state.h"
#include "text.h"
#include "trailer.h"
#include "validate.h"

#define TAGS_PREFIX	"refs/tags/"

/* ---- reading ----------------------------------------------------- */

/* The first line of msg (len bytes), as a new string. */
static char *
subject_of(const char *msg, size_t len)
{
	const char *nl = memchr(msg, '\n', len);

	return xstrndup(msg, nl != NULL ? (size_t)(nl - msg) : len);
}

/*
 * The name a subject gives the author of change oc, as the command that
 * made it gives it (dipb_session_actor): the board's name for them, else
 * the commit's.
 */
static const char *
actor_name(const struct dipb_board *b, const struct dipb_commit *oc)
{
	const struct dipb_member *m = oc->author_email != NULL ?
	    dipb_board_member(b, oc->author_email) : NULL;

	if (m != NULL)
		return m->name;
	return oc->author_name != NULL ? oc->author_name :
	    oc->author_email != NULL ? oc->author_email : "";
}

/*
 * The body of a change's message: after its subject's paragraph, before
 * its trailer block, blank lines trimmed at both ends; NULL when none.
 */
static char *
body_of(const char *msg, size_t len)
{
	struct dipb_trailers t;
	const char *p, *end, *para;
	char *out = NULL;

	dipb_trailers_parse(&t, msg, len);
	end = msg + (t.end > t.start ? t.start : len);
	dipb_trailers_release(&t);
	para = NULL;
	for (p = msg; p + 1 < end; p++)
		if (p[0] == '\n' && p[1] == '\n') {
			para = p + 2;
			break;
		}
	if (para == NULL)
		return NULL;
	while (para < end && (*para == '\n' || *para == ' ' || *para == '\t'))
		para++;
	while (end > para && (end[-1] == '\n' || end[-1] == ' ' ||
	    end[-1] == '\t' || end[-1] == '\r'))
		end--;
	if (end > para)
		out = xasprintf("%.*s\n", (int)(end - para), para);
	return out;
}

/* path at commit into out; *found 0 when it is not there. */
static const struct dipb_error *
read_at(struct dipb_buf *out, int *found, struct dipb_repo *repo,
    const char *commit, const char *path)
{
	char blob[DIPB_OID_HEX + 1];

	dipb_buf_clear(out);
	return dipb_git_read_at(out, blob, found, repo, commit, path,
	    DIPB_MAX_FILE);
}

/*
 * Record id at commit into out, from its file in either layout (dipb-
 * board(5), "layout"), whose path *path receives (caller frees; the flat
 * one when there is none): a local change keeps the layout of its own
 * commit, which the remote's may have changed since.
 */
static const struct dipb_error *
read_record_at(struct dipb_buf *out, int *found, char **path,
    struct dipb_repo *repo, const char *commit, const char *id)
{
	const struct dipb_error *err;

	*path = dipb_record_path_in(DIPB_LAYOUT_SHARDED, id);
	if ((err = read_at(out, found, repo, commit, *path)) != NULL ||
	    *found)
		return err;
	free(*path);
	*path = dipb_record_path_in(DIPB_LAYOUT_FLAT, id);
	return read_at(out, found, repo, commit, *path);
}

/*
 * Loads record path from buf into r (initialised); -1 when it does not
 * load whole, *why (caller frees) then saying why.
 */
static int
load_record(struct dipb_record *r, char **why, const char *path,
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

/* ---- plan -------------------------------------------------------- */

/*
 * The name of record's local tag on commit: "<record>/<N>-<event>" among
 * refs/tags/<record>/ whose tag object tags commit; NULL when none.
 */
static const struct dipb_error *
find_tag(char **out, struct dipb_repo *repo, const char *record,
    const char *event, const char *commit)
{
	const struct dipb_error *err;
	struct dipb_strlist names = DIPB_STRLIST_INIT;
	enum dipb_object_type type;
	char *folder = xasprintf(TAGS_PREFIX "%s/", record), *ref;
	char id[DIPB_OID_HEX + 1], peeled[DIPB_OID_HEX + 1];
	size_t i, ev;
	int found, annotated;

	*out = NULL;
	err = dipb_repo_ref_names(&names, repo, folder);
	for (i = 0; i < names.n && err == NULL && *out == NULL; i++) {
		if (dipb_tag_suffix(names.v[i], strlen(names.v[i]), &ev) == 0 ||
		    strcmp(names.v[i] + ev, event) != 0)
			continue;
		ref = xasprintf("%s%s", folder, names.v[i]);
		err = dipb_git_ref(id, &found, repo, ref);
		free(ref);
		if (err != NULL || !found)
			continue;
		if ((err = dipb_git_tag_peel(peeled, &type, &annotated, repo,
		    id)) != NULL)
			break;
		if (annotated && strcmp(peeled, commit) == 0)
			*out = xasprintf("%s/%s", record, names.v[i]);
	}
	dipb_strlist_release(&names);
	free(folder);
	return err;
}

/* The refusal of a local commit that is no dipb change. */
static const struct dipb_error *
not_dipb(const struct dipb_commit *c, const char *what)
{
	char *subject = subject_of(c->message, c->message_len);
	const struct dipb_error *err;

	err = dipb_error_fmt(DIPB_ERR_NOT_DIPB, "local commit %.7s (\"%s\") "
	    "%s: dipb sync replays dipb changes only; move it onto the "
	    "remote branch with 'git rebase', or drop it, then sync again",
	    c->id, subject, what);
	free(subject);
	return err;
}

/*
 * ch's record, event, member and local tag, of commit c whose trailers
 * name record and event.
 */
static const struct dipb_error *
describe(struct dipb_replay_change *ch, struct dipb_repo *repo,
    const struct dipb_commit *c, const char *record, const char *event)
{
	ch->old_record = xstrdup(record);
	ch->event = xstrdup(event);
	ch->author = xasprintf("%s <%s>", c->author_name != NULL ?
	    c->author_name : "", c->author_email != NULL ?
	    c->author_email : "");
	return find_tag(&ch->old_tag, repo, record, event, c->id);
}

/*
 * Fills ch from local commit c, or refuses it: one parent, the Dipb
 * trailers, and one file changed, its record's or dipb.yaml (a
 * migration: dipb.yaml and the records it moves).
 */
static const struct dipb_error *
classify(struct dipb_replay_change *ch, struct dipb_repo *repo,
    const struct dipb_commit *c)
{
	const struct dipb_error *err = NULL;
	struct dipb_trailers t;
	struct dipb_tree_changes d = { NULL, 0, 0 };
	struct dipb_commit parent;
	enum dipb_event_kind ev;
	const char *record = NULL, *event = NULL;
	char *path = NULL, *why = NULL, date[11], id[DIPB_MAX_ID + 1];
	size_t i;
	int board, meeting;

	if (c->nparents > 1)
		return not_dipb(c, "is a merge commit");
	if (c->nparents == 0)
		return not_dipb(c, "is a root commit");
	dipb_trailers_parse(&t, c->message, c->message_len);
	if (dipb_trailers_get(&record, &t, "Dipb-Record") != 1 ||
	    dipb_trailers_get(&event, &t, "Dipb-Event") != 1) {
		err = not_dipb(c, "is a plain commit, not a dipb change (no "
		    "Dipb-Record and Dipb-Event trailers)");
		goto done;
	}
	board = strcmp(record, DIPB_BOARD_RECORD) == 0;
	meeting = strcmp(record, DIPB_MEETING_RECORD) == 0;
	if ((!board && !meeting && !dipb_id_valid(record)) ||
	    dipb_event_parse(&ev, record, event) != 0) {
		why = xasprintf("has the trailers of no dipb change (Dipb-"
		    "Record: %s, Dipb-Event: %s)", record, event);
		err = not_dipb(c, why);
		goto done;
	}
	path = board ? xstrdup(DIPB_BOARD_FILE) : xstrdup(record);
	if ((err = dipb_git_commit_read(&parent, repo, c->parent)) != NULL)
		goto done;
	err = dipb_git_tree_diff(&d, repo, parent.tree, c->tree);
	dipb_commit_release(&parent);
	if (err != NULL)
		goto done;
	/* A meeting's file is named by its date (meeting.h). */
	if (meeting && d.n == 1 && dipb_meeting_path_date(date,
	    d.v[0].path)) {
		free(path);
		path = xstrdup(d.v[0].path);
	} else if (meeting) {
		free(path);
		path = xstrdup(DIPB_MEETING_DIR "/<date>.yaml");
	}
	/* A record's file, in the layout of the commit (either). */
	if (!board && !meeting && d.n == 1 &&
	    dipb_record_path_parse(d.v[0].path, strlen(d.v[0].path), id,
	    NULL) == 0 && strcmp(id, record) == 0) {
		free(path);
		path = xstrdup(d.v[0].path);
	} else if (!board && !meeting) {
		free(path);
		path = dipb_record_path_in(DIPB_LAYOUT_FLAT, record);
	}
	/* A migration (dipb-migrate(1)): dipb.yaml and the records moved. */
	for (i = 0; board && ev == DIPB_EVENT_MIGRATED && i < d.n; i++)
		if (strcmp(d.v[i].path, DIPB_BOARD_FILE) != 0 &&
		    strncmp(d.v[i].path, DIPB_RECORD_DIR "/",
		    sizeof(DIPB_RECORD_DIR)) != 0) {
			why = xasprintf("changes %s, which a migration does "
			    "not", d.v[i].path);
			err = not_dipb(c, why);
			goto done;
		}
	if ((!board || ev != DIPB_EVENT_MIGRATED) && (d.n != 1 ||
	    strcmp(d.v[0].path, path) != 0 || d.v[0].new_mode == 0)) {
		why = xasprintf("changes other files than %s", path);
		err = not_dipb(c, why);
		goto done;
	}
	err = describe(ch, repo, c, record, event);
done:
	dipb_tree_changes_release(&d);
	dipb_trailers_release(&t);
	free(path);
	free(why);
	return err;
}

static void
change_release(struct dipb_replay_change *ch)
{
	free(ch->old_tag);
	free(ch->old_record);
	free(ch->event);
	free(ch->author);
	free(ch->new_record);
	free(ch->new_event);
	free(ch->new_tag);
	free(ch->reason);
}

void
dipb_replay_release(struct dipb_replay *p)
{
	size_t i;

	for (i = 0; i < p->nchanges; i++)
		change_release(&p->changes[i]);
	free(p->changes);
	p->changes = NULL;
	p->nchanges = 0;
	dipb_strlist_release(&p->renamed_from);
	dipb_strlist_release(&p->renamed_to);
	free(p->upstream_tags);
	p->upstream_tags = NULL;
}

/*
 * Whether a ref of folder (ending in '/') is named as record id itself:
 * a plain tag "IC-0001", which stands where the folder of the record's
 * tags must be, so that none of them can be made beside it (dipb-git(7),
 * "Clashing ref names").
 */
static const struct dipb_error *
plain_tag(int *found, struct dipb_repo *repo, const char *folder,
    const char *id)
{
	const struct dipb_error *err;
	char hex[DIPB_OID_HEX + 1], *ref = xasprintf("%s%s", folder, id);

	err = dipb_git_ref(hex, found, repo, ref);
	free(ref);
	return err;
}

/*
 * Whether the remote holds a local draft's id: a plain tag of its name,
 * or a tag in its folder that is not the draft's own (own, "IC-0001/1-
 * drafted").  Such a draft cannot go as it is: it is made again with the
 * next free id (draft_again).
 */
static const struct dipb_error *
remote_holds(int *held, struct dipb_repo *repo, const char *upstream,
    const char *id, const char *own)
{
	size_t n = strlen(id);

	if (own != NULL && (strncmp(own, id, n) != 0 || own[n] != '/'))
		own = NULL;
	return dipb_repo_id_held(held, repo, upstream, id,
	    own != NULL ? own + n + 1 : NULL);
}

/*
 * Whether local change ch cannot be pushed as it is (dipb-sync(1),
 * "REPLAY"): the remote holds its tag's name for another object, which
 * git would refuse to replace ("already exists"), or ch is a draft whose
 * id the remote holds (remote_holds).  A tag the remote has as this
 * clone has it is this very change, the remote's already (a branch made
 * from the remote's history): it goes as it is.
 */
static const struct dipb_error *
cannot_go(int *held, struct dipb_repo *repo, const char *upstream,
    const struct dipb_replay_change *ch)
{
	const struct dipb_error *err;
	char mine[DIPB_OID_HEX + 1], theirs[DIPB_OID_HEX + 1], *ref;
	int found_mine = 0, found_theirs = 0;

	*held = 0;
	if (upstream == NULL)
		return NULL;
	if (ch->old_tag != NULL) {
		ref = xasprintf("%s%s", upstream, ch->old_tag);
		err = dipb_git_ref(theirs, &found_theirs, repo, ref);
		free(ref);
		if (err == NULL && found_theirs) {
			ref = xasprintf(TAGS_PREFIX "%s", ch->old_tag);
			err = dipb_git_ref(mine, &found_mine, repo, ref);
			free(ref);
		}
		if (err != NULL || found_theirs) {
			*held = err == NULL && (!found_mine ||
			    strcmp(mine, theirs) != 0);
			return err;
		}
	}
	if (strcmp(ch->event, dipb_event_name(DIPB_EVENT_DRAFTED)) != 0)
		return NULL;
	return remote_holds(held, repo, upstream, ch->old_record, ch->old_tag);
}

/* Pushed as it is: ch keeps its commit and tag. */
static const struct dipb_error *
keep(struct dipb_replay_change *ch, struct dipb_repo *repo)
{
	const struct dipb_error *err;
	char *ref;
	int found;

	ch->outcome = DIPB_REPLAY_LANDED;
	memcpy(ch->new_commit, ch->old_commit, sizeof(ch->new_commit));
	ch->new_record = xstrdup(ch->old_record);
	ch->new_event = xstrdup(ch->event);
	ch->new_tag = ch->old_tag != NULL ? xstrdup(ch->old_tag) : NULL;
	if (ch->old_tag == NULL)
		return NULL;
	ref = xasprintf(TAGS_PREFIX "%s", ch->old_tag);
	err = dipb_git_ref(ch->new_tag_object, &found, repo, ref);
	free(ref);
	return err;
}

/* Pushed as they are: each change keeps its commit and tag. */
static const struct dipb_error *
as_they_are(struct dipb_replay *out, struct dipb_repo *repo)
{
	const struct dipb_error *err = NULL;
	size_t i;

	memcpy(out->new_tip, out->tip, sizeof(out->new_tip));
	for (i = 0; i < out->nchanges && err == NULL; i++)
		if (out->changes[i].outcome != DIPB_REPLAY_LANDED)
			err = keep(&out->changes[i], repo);
	return err;
}

static const struct dipb_error *plan_onto(struct dipb_replay *,
	    struct dipb_repo *);

/*
 * The plan for a remote without the branch whose change k cannot go as
 * it is (cannot_go): the changes before it go as they are, and it and
 * those after it, the commits of tip after k's parent, are planned onto
 * that parent as onto a remote's tip (plan_onto), where a plain commit
 * or a merge among them is refused, as any local commit replayed.
 */
static const struct dipb_error *
plan_branch_from(struct dipb_replay *out, struct dipb_repo *repo, size_t k)
{
	const struct dipb_error *err = NULL;
	struct dipb_replay_change *kept = out->changes, *all;
	struct dipb_commit c;
	size_t i, nkept = k, n = out->nchanges;

	if ((err = dipb_git_commit_read(&c, repo,
	    kept[k].old_commit)) != NULL)
		return err;
	if (c.nparents != 1)
		err = not_dipb(&c, c.nparents > 1 ? "is a merge commit" :
		    "is a root commit");
	else
		memcpy(out->base, c.parent, sizeof(out->base));
	dipb_commit_release(&c);
	if (err != NULL)
		return err;
	for (i = k; i < n; i++)
		change_release(&kept[i]);
	out->changes = NULL;
	out->nchanges = 0;
	if ((err = plan_onto(out, repo)) != NULL) {
		for (i = 0; i < nkept; i++)
			change_release(&kept[i]);
		free(kept);
		return err;
	}
	all = xcalloc(nkept + out->nchanges + 1, sizeof(*all));
	memcpy(all, kept, nkept * sizeof(*all));
	if (out->nchanges > 0)
		memcpy(all + nkept, out->changes,
		    out->nchanges * sizeof(*all));
	free(kept);
	free(out->changes);
	out->changes = all;
	out->nchanges += nkept;
	/* Every commit is new to the remote: none is common to both. */
	out->merge_base[0] = '\0';
	if (out->fast_forward)
		return as_they_are(out, repo);
	for (i = 0; i < nkept && err == NULL; i++)
		err = keep(&out->changes[i], repo);
	return err;
}

/*
 * The plan for a remote without the branch: every commit of tip's
 * history is new there and goes as it is.  Its changes are the dipb
 * changes among them, oldest first, each under its own local tag, so
 * that the push carries the board's tags of that history and no other
 * (a member's own tag, one on another branch).  A commit without the
 * trailers of a change (a plain commit other clones took long ago) is
 * none, and is not refused here: it is no local work to replay, and
 * what is wrong in it the judgement before the push reports
 * (dipb-sync(1), "Pushing").  From the first change that cannot go as it
 * is (cannot_go), the changes are made again (plan_branch_from).
 */
static const struct dipb_error *
plan_branch(struct dipb_replay *out, struct dipb_repo *repo)
{
	const struct dipb_error *err;
	struct dipb_walk *w = NULL;
	struct dipb_strlist all = DIPB_STRLIST_INIT;
	struct dipb_trailers t;
	struct dipb_commit c;
	enum dipb_event_kind ev;
	const char *record, *event;
	char id[DIPB_OID_HEX + 1];
	size_t i;
	int done = 0, unborn = 0, named, held = 0;

	out->fast_forward = 1;
	if ((err = dipb_git_walk_new(&w, repo)) != NULL ||
	    (err = dipb_walk_push(w, out->tip, &unborn)) != NULL)
		goto done;
	while ((err = dipb_walk_next(id, &done, w)) == NULL && !done)
		dipb_strlist_push(&all, id);
	if (err != NULL)
		goto done;
	out->changes = xcalloc(all.n + 1, sizeof(*out->changes));
	/* The walk gives each commit before its parents: oldest last. */
	for (i = all.n; i-- > 0 && err == NULL;) {
		if ((err = dipb_git_commit_read(&c, repo, all.v[i])) != NULL)
			break;
		dipb_trailers_parse(&t, c.message, c.message_len);
		named = dipb_trailers_get(&record, &t, "Dipb-Record") == 1 &&
		    dipb_trailers_get(&event, &t, "Dipb-Event") == 1 &&
		    (strcmp(record, DIPB_BOARD_RECORD) == 0 ||
		    strcmp(record, DIPB_MEETING_RECORD) == 0 ||
		    dipb_id_valid(record)) &&
		    dipb_event_parse(&ev, record, event) == 0;
		if (named) {
			memcpy(out->changes[out->nchanges].old_commit, c.id,
			    sizeof(out->changes[0].old_commit));
			err = describe(&out->changes[out->nchanges++], repo,
			    &c, record, event);
		}
		dipb_trailers_release(&t);
		dipb_commit_release(&c);
	}
	for (i = 0; i < out->nchanges && err == NULL && !held; i++)
		err = cannot_go(&held, repo, out->upstream_tags,
		    &out->changes[i]);
	if (err == NULL && held)
		err = plan_branch_from(out, repo, i - 1);
	else if (err == NULL)
		err = as_they_are(out, repo);
done:
	dipb_walk_free(w);
	dipb_strlist_release(&all);
	return err;
}

const struct dipb_error *
dipb_replay_plan(struct dipb_replay *out, struct dipb_repo *repo,
    const char *base, const char *tip, const char *upstream_tags)
{
	const struct dipb_error *err;

	memset(out, 0, sizeof(*out));
	if (upstream_tags != NULL && upstream_tags[0] != '\0')
		out->upstream_tags = xasprintf("%s%s", upstream_tags,
		    upstream_tags[strlen(upstream_tags) - 1] == '/' ? "" :
		    "/");
	if (((base != NULL &&
	    (err = dipb_git_resolve(out->base, repo, base)) != NULL) ||
	    (err = dipb_git_resolve(out->tip, repo, tip)) != NULL) ||
	    (err = base == NULL ? plan_branch(out, repo) :
	    plan_onto(out, repo)) != NULL)
		dipb_replay_release(out);
	return err;
}

/* The plan onto out->base, a commit of the remote's, or of the branch
 * where it is new to the remote (plan_branch_from). */
static const struct dipb_error *
plan_onto(struct dipb_replay *out, struct dipb_repo *repo)
{
	const struct dipb_error *err;
	struct dipb_walk *w = NULL;
	struct dipb_hashmap local = DIPB_HASHMAP_INIT;
	struct dipb_strlist chain = DIPB_STRLIST_INIT;
	struct dipb_commit c;
	struct dipb_replay_change *ch;
	char id[DIPB_OID_HEX + 1], cur[DIPB_OID_HEX + 1];
	size_t i, n;
	int done = 0, unborn = 0, held = 0;
	static int mark;

	if (strcmp(out->base, out->tip) == 0) {
		out->fast_forward = 1;
		memcpy(out->new_tip, out->tip, sizeof(out->new_tip));
		memcpy(out->merge_base, out->tip, sizeof(out->merge_base));
		return NULL;
	}
	/* The commits of tip that base lacks: a walk that stops at base. */
	if ((err = dipb_git_walk_new(&w, repo)) != NULL ||
	    (err = dipb_walk_push(w, out->tip, &unborn)) != NULL ||
	    (err = dipb_walk_hide(w, out->base)) != NULL)
		goto done;
	while ((err = dipb_walk_next(id, &done, w)) == NULL && !done)
		dipb_hashmap_put(&local, id, &mark);
	if (err != NULL)
		goto done;
	if (local.n == 0) {
		/* tip is in base's history: nothing local. */
		memcpy(out->new_tip, out->base, sizeof(out->new_tip));
		memcpy(out->merge_base, out->tip, sizeof(out->merge_base));
		goto done;
	}
	/* tip's first parents down to the merge base. */
	memcpy(cur, out->tip, sizeof(cur));
	while (dipb_hashmap_get(&local, cur) != NULL) {
		if ((err = dipb_git_commit_read(&c, repo, cur)) != NULL)
			goto done;
		dipb_strlist_push(&chain, cur);
		if (c.nparents != 1) {
			err = not_dipb(&c, c.nparents > 1 ? "is a merge commit"
			    : "is a root commit");
			dipb_commit_release(&c);
			goto done;
		}
		memcpy(cur, c.parent, sizeof(cur));
		dipb_commit_release(&c);
	}
	out->fast_forward = strcmp(cur, out->base) == 0;
	memcpy(out->merge_base, cur, sizeof(out->merge_base));
	n = chain.n;
	out->changes = xcalloc(n, sizeof(*out->changes));
	for (i = 0; i < n; i++) {
		ch = &out->changes[out->nchanges];
		memcpy(ch->old_commit, chain.v[n - 1 - i],
		    sizeof(ch->old_commit));
		ch->outcome = DIPB_REPLAY_PENDING;
		if ((err = dipb_git_commit_read(&c, repo,
		    ch->old_commit)) != NULL)
			goto done;
		out->nchanges++;
		err = classify(ch, repo, &c);
		dipb_commit_release(&c);
		if (err != NULL)
			goto done;
		/* A draft whose id the remote holds already (a plain tag
		 * "IC-0001" pushed there by hand, say) cannot be pushed as
		 * it is, even where the remote's branch did not move. */
		if (out->fast_forward && (err = cannot_go(&held, repo,
		    out->upstream_tags, ch)) != NULL)
			goto done;
		if (held)
			out->fast_forward = 0;
	}
	if (out->fast_forward)
		err = as_they_are(out, repo);
done:
	dipb_walk_free(w);
	dipb_hashmap_release(&local, NULL);
	dipb_strlist_release(&chain);
	return err;
}

/* Whether tag t of this clone is the tag of a change in tip's history. */
static const struct dipb_error *
tip_change_tag(int *is, struct dipb_repo *repo, const char *tip,
    const struct dipb_tagref *t)
{
	const struct dipb_error *err;
	struct dipb_trailers tr;
	struct dipb_commit c;
	enum dipb_object_type type;
	const char *record, *event;
	char commit[DIPB_OID_HEX + 1];
	size_t ev, n;
	int annotated;

	*is = 0;
	if (t->target[0] == '\0' ||
	    dipb_tag_parse(t->name, strlen(t->name), &n, &ev) == 0)
		return NULL;
	if ((err = dipb_git_tag_peel(commit, &type, &annotated, repo,
	    t->target)) != NULL || !annotated || type != DIPB_OBJECT_COMMIT)
		return err;
	if (strcmp(commit, tip) != 0 &&
	    !dipb_git_descendant_of(repo, tip, commit))
		return NULL;
	if ((err = dipb_git_commit_read(&c, repo, commit)) != NULL)
		return err;
	dipb_trailers_parse(&tr, c.message, c.message_len);
	*is = dipb_trailers_get(&record, &tr, "Dipb-Record") == 1 &&
	    dipb_trailers_get(&event, &tr, "Dipb-Event") == 1 &&
	    strlen(record) == n && strncmp(record, t->name, n) == 0 &&
	    strcmp(event, t->name + ev) == 0;
	dipb_trailers_release(&tr);
	dipb_commit_release(&c);
	return NULL;
}

const struct dipb_error *
dipb_replay_unpushed(struct dipb_strlist *out, struct dipb_repo *repo,
    const char *tip, const char *upstream_tags)
{
	const struct dipb_error *err;
	struct dipb_tagrefs lack = { NULL, 0, 0 };
	size_t i;
	int is = 0;

	if ((err = dipb_git_tags_lacking(&lack, repo, upstream_tags)) != NULL)
		return err;
	for (i = 0; i < lack.n && err == NULL; i++)
		if ((err = tip_change_tag(&is, repo, tip, &lack.v[i])) ==
		    NULL && is)
			dipb_strlist_push(out, lack.v[i].name);
	dipb_tagrefs_release(&lack);
	return err;
}

/* ---- run --------------------------------------------------------- */

struct run {
	struct dipb_replay	*p;
	struct dipb_repo	*repo;
	const char		*upstream;	/* ref folder, ends in '/' */
	const struct dipb_identity *committer;
	struct dipb_board	 board;		/* as of parent */
	char			 parent[DIPB_OID_HEX + 1];
	struct dipb_strlist	 own;		/* the local changes' tags */
	struct dipb_strlist	 made;		/* the tags made so far */
	struct dipb_strlist	 lost;		/* records whose draft dropped */
};

/* The board at commit into r->board. */
static const struct dipb_error *
load_board(struct run *r, const char *commit)
{
	const struct dipb_error *err;
	struct dipb_buf buf = DIPB_BUF_INIT;
	struct dipb_diags diags = DIPB_DIAGS_INIT;
	const struct dipb_diag *d = NULL;
	char *why = NULL;
	size_t i;
	int found;

	dipb_board_release(&r->board);
	dipb_board_init(&r->board);
	if ((err = read_at(&buf, &found, r->repo, commit,
	    DIPB_BOARD_FILE)) == NULL && (!found ||
	    dipb_board_load(&r->board, DIPB_BOARD_FILE, buf.ptr, buf.len,
	    &diags) != 0)) {
		/* Where, as dipb validate would say it; the text is the
		 * remote's, shown, never obeyed. */
		for (i = 0; i < diags.n && d == NULL; i++)
			if (diags.v[i].sev == DIPB_SEV_ERROR)
				d = &diags.v[i];
		if (d != NULL)
			why = dipb_text_clean_line(d->msg);
		if (!found)
			err = dipb_error_fmt(DIPB_ERR_INVALID, "%s at %.7s is "
			    "missing: fix it upstream, then sync again",
			    DIPB_BOARD_FILE, commit);
		else if (d != NULL)
			err = dipb_error_fmt(DIPB_ERR_INVALID, "%s at %.7s "
			    "does not load: %s:%u:%u: %s: fix it upstream, "
			    "then sync again", DIPB_BOARD_FILE, commit,
			    DIPB_BOARD_FILE, d->line, d->col, why);
		else
			err = dipb_error_fmt(DIPB_ERR_INVALID, "%s at %.7s "
			    "does not load: fix it upstream, then sync again",
			    DIPB_BOARD_FILE, commit);
		free(why);
	}
	dipb_diags_release(&diags);
	dipb_buf_release(&buf);
	return err;
}

/*
 * The tag names of record ("<N>-<event>") as the new parent has them: the
 * remote's, the local ones that are no local change's, and those this
 * replay made.
 */
static const struct dipb_error *
tag_names(struct dipb_strlist *out, struct run *r, const char *record)
{
	const struct dipb_error *err = NULL;
	struct dipb_strlist local = DIPB_STRLIST_INIT;
	char *folder, *full;
	size_t i, n = strlen(record);

	if (r->upstream != NULL) {
		folder = xasprintf("%s%s/", r->upstream, record);
		err = dipb_repo_ref_names(out, r->repo, folder);
		free(folder);
	}
	if (err == NULL) {
		folder = xasprintf(TAGS_PREFIX "%s/", record);
		err = dipb_repo_ref_names(&local, r->repo, folder);
		free(folder);
	}
	for (i = 0; i < local.n && err == NULL; i++) {
		full = xasprintf("%s/%s", record, local.v[i]);
		if (!dipb_strlist_contains(&r->own, full) &&
		    !dipb_strlist_contains(out, local.v[i]))
			dipb_strlist_push(out, local.v[i]);
		free(full);
	}
	for (i = 0; i < r->made.n; i++)
		if (strncmp(r->made.v[i], record, n) == 0 &&
		    r->made.v[i][n] == '/' &&
		    !dipb_strlist_contains(out, r->made.v[i] + n + 1))
			dipb_strlist_push(out, r->made.v[i] + n + 1);
	dipb_strlist_release(&local);
	return err;
}

/*
 * The N of record's next tag, as refs.c numbers a change's: after the
 * highest N of its tags of dipb's form (dipb_tag_suffix), not the count
 * of the tags, which a tag made by hand beside a change's own (dipb
 * verify: tag-extra) would put past a gap.
 */
static const struct dipb_error *
next_number(unsigned long *out, struct run *r, const char *record)
{
	const struct dipb_error *err;
	struct dipb_strlist names = DIPB_STRLIST_INIT;
	unsigned long max = 0, v;
	size_t i, ev;

	err = tag_names(&names, r, record);
	for (i = 0; i < names.n; i++)
		if ((v = dipb_tag_suffix(names.v[i], strlen(names.v[i]),
		    &ev)) > max)
			max = v;
	if (err == NULL)
		err = dipb_tag_next(out, max, record);
	dipb_strlist_release(&names);
	return err;
}

/*
 * Whether the commit that the remote's tag ref names (in r->upstream)
 * carries the Dipb-Record: record and Dipb-Event: event trailers of the
 * tag's name, ev: 1, with *c read (caller releases); 0 when it does not
 * (*c read, or zeroed when there is no commit).
 */
static int
tag_agrees(struct dipb_commit *c, struct run *r, const char *ref,
    const char *record, const char *ev)
{
	const struct dipb_error *err;
	struct dipb_trailers t;
	enum dipb_object_type type;
	const char *rec, *event;
	char id[DIPB_OID_HEX + 1], peeled[DIPB_OID_HEX + 1];
	int found = 0, annotated, agrees;

	memset(c, 0, sizeof(*c));
	if ((err = dipb_git_ref(id, &found, r->repo, ref)) != NULL) {
		dipb_error_free(err);
		return 0;
	}
	if (!found)
		return 0;
	/* For a reason's words only (upstream_last): as the ref's error. */
	if ((err = dipb_git_tag_peel(peeled, &type, &annotated, r->repo,
	    id)) != NULL) {
		dipb_error_free(err);
		return 0;
	}
	if (type != DIPB_OBJECT_COMMIT)
		return 0;
	/* One git fsck rejects (dipb-git(7)) is no change either. */
	if ((err = dipb_git_commit_read(c, r->repo, peeled)) != NULL) {
		dipb_error_free(err);
		memset(c, 0, sizeof(*c));
		return 0;
	}
	dipb_trailers_parse(&t, c->message, c->message_len);
	agrees = dipb_trailers_get(&rec, &t, "Dipb-Record") == 1 &&
	    dipb_trailers_get(&event, &t, "Dipb-Event") == 1 &&
	    strcmp(rec, record) == 0 && strcmp(event, ev) == 0;
	dipb_trailers_release(&t);
	return agrees;
}

/*
 * The remote's latest tag of record and the name of its change's author,
 * for reasons: "IC-0003/6-submitted by Jean Dupont"; NULL when none.  Of
 * two tags of that number (one made by hand with git tag, dipb-verify(1)
 * tag-extra), the one whose commit's trailers are its name's: the change.
 */
static char *
upstream_last(struct run *r, const char *record)
{
	struct dipb_strlist names = DIPB_STRLIST_INIT;
	struct dipb_commit c, pick;
	const struct dipb_error *err;
	char *folder, *ref, *name, *out = NULL;
	unsigned long max = 0, v;
	size_t i, best = 0, ev;
	int have = 0;

	if (r->upstream == NULL)
		return NULL;
	folder = xasprintf("%s%s/", r->upstream, record);
	if ((err = dipb_repo_ref_names(&names, r->repo, folder)) != NULL)
		dipb_error_free(err);
	for (i = 0; i < names.n; i++)
		if ((v = dipb_tag_suffix(names.v[i], strlen(names.v[i]),
		    &ev)) > max) {
			max = v;
			best = i;
		}
	memset(&pick, 0, sizeof(pick));
	for (i = best; max > 0 && i < names.n; i++) {
		if (dipb_tag_suffix(names.v[i], strlen(names.v[i]), &ev) !=
		    max)
			continue;
		ref = xasprintf("%s%s", folder, names.v[i]);
		if (tag_agrees(&c, r, ref, record, names.v[i] + ev)) {
			dipb_commit_release(&pick);
			pick = c;
			have = 1;
			best = i;
			free(ref);
			break;
		}
		/* The first of them, as before, unless one agrees. */
		if (i == best && c.id[0] != '\0') {
			pick = c;
			have = 1;
		} else if (c.id[0] != '\0')
			dipb_commit_release(&c);
		free(ref);
	}
	if (max > 0) {
		/*
		 * The name is the remote author's, as their commit says: any
		 * bytes but a newline, which the reason printed on the
		 * user's terminal (dipb-sync(1), OUTPUT) and the message of
		 * refs/dipb/dropped/ show with '?' for each control
		 * character.
		 */
		if (have) {
			name = dipb_text_clean_line(pick.author_name != NULL ?
			    pick.author_name : "?");
			out = xasprintf("%s/%s by %s", record, names.v[best],
			    name);
			free(name);
		} else
			out = xasprintf("%s/%s", record, names.v[best]);
	}
	if (have)
		dipb_commit_release(&pick);
	dipb_strlist_release(&names);
	free(folder);
	return out;
}

/* Whether id is taken as of the new parent (dipb-sync(1), "REPLAY"). */
static const struct dipb_error *
id_taken(int *taken, struct run *r, const char *id)
{
	const struct dipb_error *err;
	struct dipb_strlist names = DIPB_STRLIST_INIT;
	struct dipb_buf buf = DIPB_BUF_INIT;
	char *path;
	int found = 0;

	*taken = 0;
	if ((err = read_record_at(&buf, &found, &path, r->repo, r->parent,
	    id)) == NULL && !found)
		err = tag_names(&names, r, id);
	/* A plain tag of its name, the remote's or this clone's. */
	if (err == NULL && !found && names.n == 0 && r->upstream != NULL)
		err = plain_tag(&found, r->repo, r->upstream, id);
	if (err == NULL && !found && names.n == 0)
		err = plain_tag(&found, r->repo, TAGS_PREFIX, id);
	*taken = found || names.n > 0;
	dipb_strlist_release(&names);
	dipb_buf_release(&buf);
	free(path);
	return err;
}

/* The statuses move is allowed from, "draft or returned", for reasons. */
static char *
allowed_from(enum dipb_move move)
{
	struct dipb_buf b = DIPB_BUF_INIT;
	int s, n = 0, k = 0;

	for (s = DIPB_STATUS_DRAFT; s < DIPB_STATUS__COUNT; s++)
		n += dipb_state_lookup(move, (enum dipb_status)s) != NULL;
	for (s = DIPB_STATUS_DRAFT; s < DIPB_STATUS__COUNT; s++) {
		if (dipb_state_lookup(move, (enum dipb_status)s) == NULL)
			continue;
		k++;
		dipb_buf_printf(&b, "%s%s", k == 1 ? "" : k == n ? " or " :
		    ", ", dipb_status_name((enum dipb_status)s));
	}
	if (n == 0)
		dipb_buf_puts(&b, "no status");
	return dipb_buf_detach(&b);
}

/* Adds rv to rec, replacing the same reviewer's review (cmd_review.c). */
static void
put_review(struct dipb_record *rec, struct dipb_review *rv)
{
	size_t i;

	for (i = 0; i < rec->nreviews; i++) {
		if (strcasecmp(rec->reviews[i].reviewer, rv->reviewer) != 0)
			continue;
		free(rec->reviews[i].reviewer);
		free(rec->reviews[i].date);
		free(rec->reviews[i].fingerprint);
		free(rec->reviews[i].comment);
		free(rec->reviews[i].classification);
		memmove(&rec->reviews[i], &rec->reviews[i + 1],
		    (rec->nreviews - i - 1) * sizeof(rec->reviews[0]));
		rec->nreviews--;
		break;
	}
	rec->reviews = xrealloc(rec->reviews, (rec->nreviews + 1) *
	    sizeof(rec->reviews[0]));
	rec->reviews[rec->nreviews++] = *rv;
}

/* The review of reviewer in rec; NULL when none. */
static struct dipb_review *
review_of(struct dipb_record *rec, const char *reviewer)
{
	size_t i;

	for (i = rec->nreviews; i-- > 0;)
		if (rec->reviews[i].reviewer != NULL &&
		    strcasecmp(rec->reviews[i].reviewer, reviewer) == 0)
			return &rec->reviews[i];
	return NULL;
}

#define SWAP(a, b)	do {						\
	void *tmp_ = (void *)(a);					\
	memcpy(&(a), &(b), sizeof(a));					\
	memcpy(&(b), &tmp_, sizeof(b));					\
} while (0)

/* The entries of from past its first skip, moved to the end of to. */
static void
append_rescheduled(struct dipb_action *to, struct dipb_action *from,
    size_t skip)
{
	size_t i;

	for (i = skip; i < from->nrescheduled; i++) {
		to->rescheduled = xrealloc(to->rescheduled,
		    (to->nrescheduled + 1) * sizeof(to->rescheduled[0]));
		to->rescheduled[to->nrescheduled++] = from->rescheduled[i];
		memset(&from->rescheduled[i], 0, sizeof(from->rescheduled[i]));
	}
}

/*
 * The inputs of event, taken from after (the local change's record,
 * spent: its fields move into res) into res (the record as now), for
 * the fields dipb_event_fields() names; before is the local change's
 * parent's record, for the action states it changed.
 */
static void
apply_inputs(struct dipb_record *res, struct dipb_record *after,
    const struct dipb_record *before, enum dipb_event_kind event,
    const char *reviewer)
{
	unsigned f = dipb_event_fields(event);
	struct dipb_review *rv, copy;
	struct dipb_strlist tl;
	struct dipb_itempos at;
	struct dipb_action *acts;
	size_t i, n;
	enum dipb_priority pr;

	if (f & DIPB_FIELD_DRAFT) {
		SWAP(res->title, after->title);
		pr = res->priority;
		res->priority = after->priority;
		after->priority = pr;
		tl = res->topics;
		res->topics = after->topics;
		after->topics = tl;
		at = res->topics_at;
		res->topics_at = after->topics_at;
		after->topics_at = at;
		SWAP(res->summary, after->summary);
		SWAP(res->rationale, after->rationale);
		acts = res->actions;
		n = res->nactions;
		res->actions = after->actions;
		res->nactions = after->nactions;
		after->actions = acts;
		after->nactions = n;
		tl = res->references;
		res->references = after->references;
		after->references = tl;
		at = res->references_at;
		res->references_at = after->references_at;
		after->references_at = at;
	}
	/* The drafter's level, and declassify's (not in the table). */
	if ((f & DIPB_FIELD_DRAFT) || event == DIPB_EVENT_DECLASSIFIED)
		SWAP(res->classification, after->classification);
	if (f & DIPB_FIELD_WG)
		SWAP(res->working_group, after->working_group);
	if (f & DIPB_FIELD_CREATED)
		SWAP(res->created, after->created);
	if (f & DIPB_FIELD_UPDATED)
		SWAP(res->updated, after->updated);
	if ((f & DIPB_FIELD_REVIEW) && reviewer != NULL &&
	    (rv = review_of(after, reviewer)) != NULL) {
		copy = *rv;
		memset(rv, 0, sizeof(*rv));
		rv->reviewer = xstrdup(copy.reviewer);	/* after stays whole */
		put_review(res, &copy);
	}
	if (f & DIPB_FIELD_REPLY)
		/* The replies the change added, after those there are now. */
		for (i = before->nreplies; i < after->nreplies; i++) {
			res->replies = xrealloc(res->replies,
			    (res->nreplies + 1) * sizeof(res->replies[0]));
			res->replies[res->nreplies++] = after->replies[i];
			memset(&after->replies[i], 0,
			    sizeof(after->replies[i]));
		}
	if (f & DIPB_FIELD_SUBMISSION)
		SWAP(res->submission, after->submission);
	if (f & DIPB_FIELD_DECISION)
		SWAP(res->decision, after->decision);
	if (f & DIPB_FIELD_WITHDRAWAL)
		SWAP(res->withdrawal, after->withdrawal);
	if (f & DIPB_FIELD_ACTION_STATE)
		/* The state of each action the change moved, by number. */
		for (i = 0; i < after->nactions && i < res->nactions &&
		    i < before->nactions; i++)
			if (after->actions[i].state != before->actions[i].state)
				res->actions[i].state = after->actions[i].state;
	if (f & DIPB_FIELD_ACTION_DUE)
		/* The due dates' moves the change added, by action number. */
		for (i = 0; i < after->nactions && i < res->nactions &&
		    i < before->nactions; i++)
			append_rescheduled(&res->actions[i], &after->actions[i],
			    before->actions[i].nrescheduled);
}

/* Whether x and y have the same due date in force and history. */
static int
same_due(const struct dipb_action *x, const struct dipb_action *y)
{
	const char *a = dipb_action_due(x), *b = dipb_action_due(y);

	return x->nrescheduled == y->nrescheduled && (a == b || (a != NULL &&
	    b != NULL && strcmp(a, b) == 0));
}

/*
 * The number (from 1) of the action whose due date the change before ->
 * after moved (dipb action --due), 0 when none.
 */
static size_t
rescheduled_action(const struct dipb_record *before,
    const struct dipb_record *after)
{
	size_t i;

	for (i = 0; i < after->nactions && i < before->nactions; i++)
		if (after->actions[i].nrescheduled >
		    before->actions[i].nrescheduled)
			return i + 1;
	return 0;
}

/* One change dropped, with reason (formatted). */
static void
drop(struct dipb_replay_change *ch, const char *fmt, ...)
    DIPB_PRINTF(2, 3);
static void
drop(struct dipb_replay_change *ch, const char *fmt, ...)
{
	va_list ap;

	free(ch->reason);
	va_start(ap, fmt);
	ch->reason = xvasprintf(fmt, ap);
	va_end(ap);
	ch->outcome = DIPB_REPLAY_DROPPED;
}

/* The id record has now: renamed_to of its renaming, else itself. */
static const char *
current_id(const struct dipb_replay *p, const char *record)
{
	size_t i;

	for (i = 0; i < p->renamed_from.n; i++)
		if (strcmp(p->renamed_from.v[i], record) == 0)
			return p->renamed_to.v[i];
	return record;
}

/* What one replayed change needs to be made. */
struct made_change {
	const char		*record;
	const char		*path;
	const char		*data;
	size_t			 len;
	enum dipb_event_kind	 event;
	enum dipb_status	 from;
	enum dipb_status	 to;
	const char		*subject;
	const char		*body;
	const char		*renumbered_from;
	/* A migration's moves (dipb-migrate(1)); none: NULL. */
	const struct dipb_rename *renames;
	size_t			 nrenames;
};

/* Makes mc on r->parent for ch (its local commit oc), and moves on. */
static const struct dipb_error *
make(struct run *r, struct dipb_replay_change *ch,
    const struct dipb_commit *oc, const struct made_change *mc)
{
	const struct dipb_error *err;
	const struct dipb_member *m;
	struct dipb_identity author, who;
	struct dipb_file file;
	struct dipb_change c;
	struct dipb_made made;
	unsigned long n;
	char *tag = NULL;
	int sign = 0;

	m = dipb_board_member(&r->board, oc->author_email);
	if ((err = dipb_session_signing(&sign, &r->board, m)) != NULL) {
		drop(ch, "%s", err->msg);
		dipb_error_free(err);
		return NULL;
	}
	if (oc->signature != NULL)
		sign = 1;
	if ((err = next_number(&n, r, mc->record)) != NULL)
		return err;
	tag = xasprintf("%s/%lu-%s", mc->record, n, dipb_event_name(mc->event));
	memset(&author, 0, sizeof(author));
	author.name = oc->author_name;
	author.email = oc->author_email;
	author.time = oc->author_time;
	author.offset = oc->author_offset;
	/*
	 * The committer and tagger are the identity that syncs, at its
	 * time; a change of another member is committed in that member's
	 * name, at the sync's time, since one member makes a change (dipb
	 * verify's identity rule).
	 */
	who = *r->committer;
	if (who.email == NULL || oc->author_email == NULL ||
	    strcasecmp(who.email, oc->author_email) != 0 || who.name == NULL) {
		who.name = oc->author_name;
		who.email = oc->author_email;
	}
	file.path = mc->path;
	file.data = mc->data;
	file.len = mc->len;
	memset(&c, 0, sizeof(c));
	c.files = &file;
	c.nfiles = 1;
	c.record = mc->record;
	c.event = dipb_event_name(mc->event);
	if (mc->to != DIPB_STATUS_NONE) {
		c.status_from = dipb_status_name(mc->from);
		c.status_to = dipb_status_name(mc->to);
	}
	c.subject = mc->subject;
	c.body = mc->body;
	c.who = &who;
	c.author = &author;
	c.sign = sign;
	c.keys = m != NULL ? &m->keys : NULL;
	c.renumbered_from = mc->renumbered_from;
	c.renames = mc->renames;
	c.nrenames = mc->nrenames;
	if ((err = dipb_repo_make(&made, r->repo, r->parent, tag,
	    &c)) != NULL) {
		free(tag);
		return err;
	}
	ch->outcome = DIPB_REPLAY_LANDED;
	memcpy(ch->new_commit, made.commit, sizeof(ch->new_commit));
	memcpy(ch->new_tag_object, made.tag, sizeof(ch->new_tag_object));
	free(ch->new_record);
	ch->new_record = xstrdup(mc->record);
	free(ch->new_event);
	ch->new_event = xstrdup(dipb_event_name(mc->event));
	free(ch->new_tag);
	ch->new_tag = tag;
	dipb_strlist_push(&r->made, tag);
	memcpy(r->parent, made.commit, sizeof(r->parent));
	return NULL;
}

/*
 * A migration, made again on the remote's tip: every record there moved
 * to the layout the local one set (in after, its dipb.yaml), and the
 * remote's dipb.yaml given that layout; dropped when the remote is in
 * that layout already, or the author may not migrate it.
 */
static const struct dipb_error *
replay_migration(struct run *r, struct dipb_replay_change *ch,
    const struct dipb_commit *oc, const struct dipb_buf *after)
{
	const struct dipb_error *err = NULL;
	struct dipb_diags diags = DIPB_DIAGS_INIT;
	struct dipb_migration mg;
	struct dipb_commit pc;
	struct dipb_board want;
	struct made_change mc;
	char *subject = NULL;

	memset(&mg, 0, sizeof(mg));
	dipb_board_init(&want);
	if (dipb_board_load(&want, DIPB_BOARD_FILE, after->ptr, after->len,
	    &diags) != 0) {
		drop(ch, "%s of the migration does not load", DIPB_BOARD_FILE);
		goto done;
	}
	if (r->board.layout == want.layout) {
		drop(ch, "the remote's board is in the %s layout already",
		    dipb_layout_name(want.layout));
		goto done;
	}
	if ((err = dipb_state_permit(&r->board, oc->author_email,
	    DIPB_MOVE_MIGRATE, NULL, NULL)) != NULL) {
		drop(ch, "%s (%s as of the remote)", err->msg,
		    DIPB_BOARD_FILE);
		dipb_error_free(err);
		err = NULL;
		goto done;
	}
	if ((err = dipb_git_commit_read(&pc, r->repo, r->parent)) != NULL)
		goto done;
	err = dipb_migration_plan_at(&mg, r->repo, pc.tree, &r->board,
	    want.layout);
	dipb_commit_release(&pc);
	if (err != NULL) {
		drop(ch, "%s", err->msg);
		dipb_error_free(err);
		err = NULL;
		goto done;
	}
	subject = xasprintf("board: %zu record%s moved to the %s layout by %s",
	    mg.n, mg.n == 1 ? "" : "s", dipb_layout_name(want.layout),
	    actor_name(&r->board, oc));
	memset(&mc, 0, sizeof(mc));
	mc.record = DIPB_BOARD_RECORD;
	mc.path = DIPB_BOARD_FILE;
	mc.data = mg.board.ptr;
	mc.len = mg.board.len;
	mc.event = DIPB_EVENT_MIGRATED;
	mc.subject = subject;
	mc.renames = mg.v;
	mc.nrenames = mg.n;
	if ((err = make(r, ch, oc, &mc)) == NULL &&
	    ch->outcome == DIPB_REPLAY_LANDED)
		err = load_board(r, r->parent);
done:
	free(subject);
	dipb_migration_release(&mg);
	dipb_board_release(&want);
	dipb_diags_release(&diags);
	return err;
}

/*
 * The first error of diags, the one a drop names (a warning before it, an
 * unknown key, is no reason); NULL when there is none.
 */
static const struct dipb_diag *
first_error(const struct dipb_diags *diags)
{
	size_t i;

	for (i = 0; i < diags->n; i++)
		if (diags->v[i].sev == DIPB_SEV_ERROR)
			return &diags->v[i];
	return NULL;
}

/*
 * Why the board a replayed change writes (after, fa: whether it has one)
 * is refused, as dipb edit --board refuses one (dipb-sync(1)); NULL when
 * it is not.  r->board is the board the change started from, the remote's
 * too: a value it held stays, as in edit.  A change made with git and
 * tagged as dipb tags one, or by an older dipb, could otherwise commit a
 * board dipb validate rejects.  Caller frees.
 */
static char *
board_refused(struct run *r, const struct dipb_buf *after, int fa)
{
	const struct dipb_error *keeper;
	const struct dipb_diag *d = NULL;
	struct dipb_diags diags = DIPB_DIAGS_INIT;
	struct dipb_board nb;
	char *why = NULL;

	if (!fa)
		return xasprintf("%s is not in the change", DIPB_BOARD_FILE);
	dipb_board_init(&nb);
	if (dipb_board_load(&nb, DIPB_BOARD_FILE, after->ptr, after->len,
	    &diags) != 0 || dipb_validate_board_written(&diags,
	    DIPB_BOARD_FILE, &nb, &r->board) > 0) {
		d = first_error(&diags);
		why = xasprintf("%s:%u:%u: %s [%s]: make the change again "
		    "with dipb edit --board", DIPB_BOARD_FILE,
		    d != NULL ? d->line : 0, d != NULL ? d->col : 0,
		    d != NULL ? d->msg : "does not load",
		    d != NULL ? d->rule : "board");
	} else if ((keeper = dipb_state_board_keeper(&nb)) != NULL) {
		why = xasprintf("%s: %s", DIPB_BOARD_FILE, keeper->msg);
		dipb_error_free(keeper);
	} else if (nb.layout != r->board.layout)
		why = xasprintf("%s: layout: %s is changed by 'dipb migrate "
		    "--layout %s', not by a board change", DIPB_BOARD_FILE,
		    dipb_layout_name(r->board.layout),
		    dipb_layout_name(nb.layout));
	dipb_board_release(&nb);
	dipb_diags_release(&diags);
	return why;
}

/* A change of dipb.yaml, made again. */
static const struct dipb_error *
replay_board(struct run *r, struct dipb_replay_change *ch,
    const struct dipb_commit *oc)
{
	const struct dipb_error *err;
	struct dipb_buf before = DIPB_BUF_INIT, after = DIPB_BUF_INIT,
	    now = DIPB_BUF_INIT;
	struct made_change mc;
	enum dipb_event_kind ev;
	char *subject = NULL, *why = NULL;
	int fb, fa, fn;

	if ((err = read_at(&before, &fb, r->repo, oc->parent,
	    DIPB_BOARD_FILE)) != NULL ||
	    (err = read_at(&after, &fa, r->repo, oc->id,
	    DIPB_BOARD_FILE)) != NULL ||
	    (err = read_at(&now, &fn, r->repo, r->parent,
	    DIPB_BOARD_FILE)) != NULL)
		goto done;
	/*
	 * A migration moves every record of the tip it was made on: it is
	 * made again on the remote's, its records all moved
	 * (dipb-migrate(1), "SYNC").
	 */
	if (dipb_event_parse(&ev, DIPB_BOARD_RECORD, ch->event) == 0 &&
	    ev == DIPB_EVENT_MIGRATED) {
		err = replay_migration(r, ch, oc, &after);
		goto done;
	}
	if (dipb_event_parse(&ev, DIPB_BOARD_RECORD, ch->event) != 0 ||
	    ev != DIPB_EVENT_CHANGED) {
		drop(ch, "%s: a board's %s is not replayed: the remote has "
		    "its own board", DIPB_BOARD_FILE, ch->event);
		goto done;
	}
	if (fb != fn || before.len != now.len ||
	    memcmp(before.ptr, now.ptr, now.len) != 0) {
		drop(ch, "%s changed upstream: make the change again with "
		    "dipb edit --board", DIPB_BOARD_FILE);
		goto done;
	}
	if ((err = dipb_state_permit(&r->board, oc->author_email,
	    DIPB_MOVE_EDIT_BOARD, NULL, NULL)) != NULL) {
		drop(ch, "%s (%s as of the remote)", err->msg,
		    DIPB_BOARD_FILE);
		dipb_error_free(err);
		err = NULL;
		goto done;
	}
	if ((why = board_refused(r, &after, fa)) != NULL) {
		drop(ch, "%s", why);
		goto done;
	}
	subject = subject_of(oc->message, oc->message_len);
	memset(&mc, 0, sizeof(mc));
	mc.record = DIPB_BOARD_RECORD;
	mc.path = DIPB_BOARD_FILE;
	mc.data = after.ptr;
	mc.len = after.len;
	mc.event = ev;
	mc.subject = subject;
	if ((err = make(r, ch, oc, &mc)) == NULL &&
	    ch->outcome == DIPB_REPLAY_LANDED)
		err = load_board(r, r->parent);
done:
	free(why);
	free(subject);
	dipb_buf_release(&before);
	dipb_buf_release(&after);
	dipb_buf_release(&now);
	return err;
}

/*
 * The agenda of meeting m, the local change k's, made to name the records
 * of the new parent (dipb-sync(1), "REPLAY"): an id that a local draft
 * had before the replay renumbered it becomes the draft's new id
 * (current_id), *changed then set, so that the agenda still names the
 * record the secretary put on it, not the record of another clone that
 * took its id.  Where an item cannot be made to name that record, *why
 * (caller frees) says so and the meeting is not made: the draft it named
 * was dropped (its id is another record's upstream, or none), it is
 * drafted only after the meeting in the local history (its id not
 * settled when the meeting is made again), or the record is not on the
 * new parent, where dipb meeting would refuse it too.
 */
static const struct dipb_error *
agenda_again(char **why, int *changed, struct run *r, size_t k,
    struct dipb_meeting *m)
{
	const struct dipb_error *err = NULL;
	const struct dipb_replay_change *later;
	struct dipb_buf buf = DIPB_BUF_INIT;
	struct dipb_strlist *agenda = &m->agenda.s;
	const char *id;
	char *path;
	size_t i, j;
	int found;

	*why = NULL;
	*changed = 0;
	for (i = 0; i < agenda->n && err == NULL && *why == NULL; i++) {
		/* No id: the meeting rules report it, shown, at its line. */
		if (!dipb_id_valid(agenda->v[i]))
			continue;
		if (dipb_strlist_contains(&r->lost, agenda->v[i])) {
			*why = xasprintf("%s on the agenda was not made on the "
			    "remote (its draft was dropped): record the "
			    "meeting again with dipb meeting", agenda->v[i]);
			break;
		}
		for (j = k + 1; j < r->p->nchanges; j++) {
			later = &r->p->changes[j];
			if (later->outcome == DIPB_REPLAY_PENDING &&
			    strcmp(later->old_record, agenda->v[i]) == 0 &&
			    strcmp(later->event, dipb_event_name(
			    DIPB_EVENT_DRAFTED)) == 0)
				break;
		}
		if (j < r->p->nchanges) {
			*why = xasprintf("%s on the agenda is drafted after "
			    "the meeting, its id not settled until its draft "
			    "lands: record the meeting again with dipb "
			    "meeting after the sync", agenda->v[i]);
			break;
		}
		id = current_id(r->p, agenda->v[i]);
		if ((err = read_record_at(&buf, &found, &path, r->repo,
		    r->parent, id)) == NULL && !found)
			*why = xasprintf("%s on the agenda is not on the "
			    "remote: record the meeting again with dipb "
			    "meeting", id);
		free(path);
		if (err == NULL && *why == NULL && id != agenda->v[i]) {
			free(agenda->v[i]);
			agenda->v[i] = xstrdup(id);
			*changed = 1;
		}
	}
	dipb_buf_release(&buf);
	return err;
}

/*
 * A meeting recorded again (dipb-record(5), "MEETINGS"): its file as the
 * local change wrote it, its agenda naming the renumbered records' new
 * ids (agenda_again), unless the remote recorded that day's meeting, the
 * author is no longer a secretary there, an item of the agenda cannot
 * name its record there, or the file no longer keeps the meeting rules
 * against the remote's board.
 */
static const struct dipb_error *
replay_meeting(struct run *r, struct dipb_replay_change *ch,
    const struct dipb_commit *oc)
{
	const struct dipb_error *err;
	struct dipb_tree_changes d = { NULL, 0, 0 };
	struct dipb_diags diags = DIPB_DIAGS_INIT;
	struct dipb_buf after = DIPB_BUF_INIT, now = DIPB_BUF_INIT;
	struct dipb_commit parent;
	struct dipb_meeting m;
	struct made_change mc;
	struct dipb_buf canon = DIPB_BUF_INIT;
	const struct dipb_diag *e;
	char *subject = NULL, *body = NULL, *path = NULL, *why = NULL;
	int fa, fn, changed = 0, canonical = 0;

	dipb_meeting_init(&m);
	if ((err = dipb_git_commit_read(&parent, r->repo, oc->parent)) != NULL)
		return err;
	err = dipb_git_tree_diff(&d, r->repo, parent.tree, oc->tree);
	dipb_commit_release(&parent);
	if (err != NULL)
		goto done;
	path = xstrdup(d.v[0].path);	/* one file: classify saw to it */
	if ((err = read_at(&after, &fa, r->repo, oc->id, path)) != NULL ||
	    (err = read_at(&now, &fn, r->repo, r->parent, path)) != NULL)
		goto done;
	if (fn) {
		drop(ch, "%s: the remote recorded this meeting already; "
		    "compare with 'dipb report minutes --meeting'", path);
		goto done;
	}
	if ((err = dipb_state_permit(&r->board, oc->author_email,
	    DIPB_MOVE_MEETING, NULL, NULL)) != NULL) {
		drop(ch, "%s (%s as of the remote)", err->msg,
		    DIPB_BOARD_FILE);
		dipb_error_free(err);
		err = NULL;
		goto done;
	}
	if (dipb_meeting_load(&m, path, after.ptr, after.len, &diags) == 0) {
		/* Whether the file is as dipb meeting writes it. */
		dipb_meeting_emit(&m, &canon);
		canonical = canon.len == after.len &&
		    memcmp(canon.ptr, after.ptr, after.len) == 0;
		if ((err = agenda_again(&why, &changed, r,
		    (size_t)(ch - r->p->changes), &m)) != NULL)
			goto done;
	}
	if (why == NULL && changed && !canonical)
		why = xstrdup("its agenda names a renumbered draft, and the "
		    "file is not as dipb meeting writes it (a key dipb does "
		    "not know, a comment), which writing it again would lose: "
		    "record the meeting again with dipb meeting");
	if (why != NULL) {
		drop(ch, "%s: %s", path, why);
		goto done;
	}
	if (changed) {
		/* In the canonical form, as dipb meeting writes it. */
		dipb_buf_clear(&after);
		dipb_meeting_emit(&m, &after);
	}
	/*
	 * What dipb meeting would refuse to write is not made: a file made
	 * with git could hold a control character it never writes.  Only
	 * [meeting-member] is of the remote's board.
	 */
	if (diags.nerrors > 0 || dipb_validate_meeting_written(&diags, path,
	    &m, &r->board) > 0) {
		e = first_error(&diags);
		drop(ch, "%s:%u:%u: %s [%s]%s: record the meeting again "
		    "with dipb meeting", path, e != NULL ? e->line : 0,
		    e != NULL ? e->col : 0, e != NULL ? e->msg :
		    "does not load", e != NULL ? e->rule : "meeting",
		    e != NULL && strcmp(e->rule, "meeting-member") == 0 ?
		    ", as of the remote's " DIPB_BOARD_FILE : "");
		goto done;
	}
	subject = subject_of(oc->message, oc->message_len);
	body = body_of(oc->message, oc->message_len);
	memset(&mc, 0, sizeof(mc));
	mc.record = DIPB_MEETING_RECORD;
	mc.path = path;
	mc.data = after.ptr;
	mc.len = after.len;
	mc.event = DIPB_EVENT_HELD;
	mc.subject = subject;
	mc.body = body;
	err = make(r, ch, oc, &mc);
done:
	dipb_buf_release(&canon);
	free(why);
	free(subject);
	free(body);
	free(path);
	dipb_meeting_release(&m);
	dipb_diags_release(&diags);
	dipb_tree_changes_release(&d);
	dipb_buf_release(&after);
	dipb_buf_release(&now);
	return err;
}

/* subject with its leading "<old>:" made "<new>:". */
static char *
resubject(const char *subject, const char *old, const char *new)
{
	size_t n = strlen(old);

	if (strncmp(subject, old, n) == 0 && subject[n] == ':')
		return xasprintf("%s%s", new, subject + n);
	return xstrdup(subject);
}

/*
 * A draft made again (replay_record): as id, or, when the remote took
 * that id, as the next free one (*newid, which *id then names); its
 * record into res.
 */
static const struct dipb_error *
draft_again(struct run *r, struct dipb_replay_change *ch, const char *email,
    const struct dipb_record *after, const char **id, char **newid,
    struct dipb_record *res)
{
	const struct dipb_error *err;
	unsigned long num;
	char prefix[9];
	int taken;

	if ((err = dipb_state_permit(&r->board, email,
	    DIPB_MOVE_RECOMMEND, NULL, after->working_group)) != NULL) {
		drop(ch, "%s (%s as of the remote)", err->msg,
		    DIPB_BOARD_FILE);
		dipb_error_free(err);
		return NULL;
	}
	if ((err = id_taken(&taken, r, *id)) != NULL)
		return err;
	if (taken) {
		/*
		 * The next free id as of the new parent, where the ids this
		 * replay gave are files already.
		 */
		if (dipb_id_split(*id, prefix, &num) != 0)
			return dipb_error_fmt(DIPB_ERR_INTERNAL,
			    "not a record id: '%s'", *id);
		if ((err = dipb_repo_next_id_at(newid, r->repo,
		    r->parent, prefix, r->upstream)) != NULL)
			return err;
		*id = *newid;
	}
	dipb_record_copy(res, after);
	free(res->id);
	res->id = xstrdup(*id);
	return NULL;
}

/*
 * A move of a record the remote has, made again (replay_record): the
 * record as the remote has it into now, the local change checked against
 * it (a change that no longer fits is dropped, with the reason), and the
 * change's inputs applied to it into res.
 */
static const struct dipb_error *
move_again(struct run *r, struct dipb_replay_change *ch, const char *email,
    enum dipb_event_kind ev, enum dipb_move move, const char *id,
    const struct dipb_record *before, struct dipb_record *after,
    struct dipb_record *now, struct dipb_record *res)
{
	const struct dipb_error *err = NULL;
	struct dipb_buf nbuf = DIPB_BUF_INIT;
	char fp_now[DIPB_FINGERPRINT_LEN + 1], fp[DIPB_FINGERPRINT_LEN + 1];
	char *path = NULL, *why = NULL, *last = NULL, *from = NULL;
	struct dipb_review *rv;
	const char *due;
	size_t k;
	int fn;

	path = dipb_record_path_in(r->board.layout, id);
	if ((err = read_at(&nbuf, &fn, r->repo, r->parent, path)) !=
	    NULL)
		goto done;
	if (!fn) {
		drop(ch, "%s is not on the remote: there is nothing "
		    "to %s", id, dipb_move_name(move));
		goto done;
	}
	if (load_record(now, &why, path, &nbuf) != 0) {
		drop(ch, "%s does not load on the remote: %s", id,
		    why);
		goto done;
	}
	if ((err = dipb_state_permit(&r->board, email, move, now,
	    NULL)) != NULL) {
		drop(ch, "%s (%s as of the remote)", err->msg,
		    DIPB_BOARD_FILE);
		dipb_error_free(err);
		err = NULL;
		goto done;
	}
	if (dipb_state_lookup(move, now->status) != NULL &&
	    !dipb_state_allows(move, now)) {
		/* Its row's condition: decided again while deferred, an
		 * action tracked while agreed or noted. */
		last = upstream_last(r, id);
		drop(ch, "%s is %s upstream%s%s%s, its decision %s: %s", id,
		    dipb_status_name(now->status),
		    last != NULL ? " (" : "", last != NULL ? last : "",
		    last != NULL ? ")" : "", now->decision != NULL ?
		    dipb_outcome_name(now->decision->outcome) : "none",
		    move == DIPB_MOVE_DECIDE ? "only a deferred decision is "
		    "decided again" : "only the actions of an agreed or noted "
		    "decision are tracked");
		goto done;
	}
	if (dipb_state_lookup(move, now->status) == NULL) {
		last = upstream_last(r, id);
		from = allowed_from(move);
		drop(ch, "%s is %s upstream%s%s%s; %s is allowed from "
		    "%s only", id, dipb_status_name(now->status),
		    last != NULL ? " (" : "", last != NULL ? last : "",
		    last != NULL ? ")" : "", dipb_move_name(move),
		    from);
		goto done;
	}
	dipb_record_fingerprint(now, fp_now);
	if (dipb_move_verdict(NULL, move)) {
		rv = review_of(after, email);
		if (rv == NULL || rv->fingerprint == NULL ||
		    strcmp(rv->fingerprint, fp_now) != 0) {
			drop(ch, "the text of %s changed upstream "
			    "since this review was given (reviewed "
			    "%s, now %s): read it again and review "
			    "again", id, rv != NULL &&
			    rv->fingerprint != NULL ?
			    rv->fingerprint : "?", fp_now);
			goto done;
		}
	}
	if (ev == DIPB_EVENT_EDITED) {
		dipb_record_fingerprint(before, fp);
		if (strcmp(fp, fp_now) != 0) {
			drop(ch, "%s was edited upstream since: edit "
			    "it again", id);
			goto done;
		}
	}
	/*
	 * A due date moved: from the date in force upstream, of an
	 * action still open there, not the mover's own (dipb-action(1),
	 * --due; state.c).
	 */
	if (ev == DIPB_EVENT_ACTION_RESCHEDULED &&
	    (k = rescheduled_action(before, after)) > 0) {
		if ((err = dipb_state_permit_action(email, move, now,
		    k)) != NULL) {
			drop(ch, "%s", err->msg);
			dipb_error_free(err);
			err = NULL;
			goto done;
		}
		if (k > now->nactions || !dipb_state_action_open(now,
		    &now->actions[k - 1])) {
			drop(ch, "action %zu of %s is not open "
			    "upstream: its due date no longer moves",
			    k, id);
			goto done;
		}
		if (k > before->nactions || !same_due(&now->actions[k -
		    1], &before->actions[k - 1])) {
			due = dipb_action_due(&now->actions[k - 1]);
			drop(ch, "the due date of action %zu of %s "
			    "moved upstream since (now %s): move it "
			    "again", k, id, due != NULL ? due :
			    "none");
			goto done;
		}
	}
	dipb_record_copy(res, now);
	apply_inputs(res, after, before, ev, email);
	/* A reply answers a review there is (dipb-review(1)). */
	if (ev == DIPB_EVENT_REPLIED && res->nreplies > 0 &&
	    (res->replies[res->nreplies - 1].to == NULL ||
	    review_of(res, res->replies[res->nreplies - 1].to) ==
	    NULL)) {
		drop(ch, "%s has no review by %s upstream to reply "
		    "to", id, res->replies[res->nreplies - 1].to);
		goto done;
	}
done:
	dipb_buf_release(&nbuf);
	free(path);
	free(why);
	free(last);
	free(from);
	return err;
}

/*
 * Record ch->old_record as commit oc left it (*after) and as its parent
 * had it (*before, left empty when the record is new there), read from
 * *old_path; a version that does not load drops ch.
 */
static const struct dipb_error *
load_versions(struct run *r, struct dipb_replay_change *ch,
    const struct dipb_commit *oc, char **old_path,
    struct dipb_record *before, struct dipb_record *after)
{
	const struct dipb_error *err;
	struct dipb_buf bbuf = DIPB_BUF_INIT, abuf = DIPB_BUF_INIT;
	char *why = NULL;
	int fb, fa;

	if ((err = read_record_at(&abuf, &fa, old_path, r->repo, oc->id,
	    ch->old_record)) != NULL || (err = read_at(&bbuf, &fb, r->repo,
	    oc->parent, *old_path)) != NULL)
		goto done;
	if (!fa || load_record(after, &why, *old_path, &abuf) != 0)
		drop(ch, "%s as %s made it does not load: %s", ch->old_record,
		    ch->old_tag != NULL ? ch->old_tag : ch->event,
		    why != NULL ? why : "missing");
	else if (fb && load_record(before, &why, *old_path, &bbuf) != 0)
		drop(ch, "%s before %s does not load: %s", ch->old_record,
		    ch->event, why);
done:
	dipb_buf_release(&bbuf);
	dipb_buf_release(&abuf);
	free(why);
	return err;
}

/*
 * Record id's new text yaml, as transition t leaves it (now before, res
 * after), committed at path with oc's message made anew (make).
 */
static const struct dipb_error *
commit_again(struct run *r, struct dipb_replay_change *ch,
    const struct dipb_commit *oc, const char *id, const char *path,
    const struct dipb_buf *yaml, const struct dipb_transition *t,
    const struct dipb_record *now, const struct dipb_record *res)
{
	const struct dipb_error *err;
	struct made_change mc;
	char *osubject, *subject, *body;

	osubject = subject_of(oc->message, oc->message_len);
	if (t->move == DIPB_MOVE_ENDORSE)
		/* The count as now, as cmd_review.c writes it. */
		subject = xasprintf("%s: endorsed by %s (%u/%u)", id,
		    actor_name(&r->board, oc),
		    dipb_state_endorsements(&r->board, res),
		    r->board.quorum);
	else
		subject = resubject(osubject, ch->old_record, id);
	body = body_of(oc->message, oc->message_len);
	memset(&mc, 0, sizeof(mc));
	mc.record = id;
	mc.path = path;
	mc.data = yaml->ptr;
	mc.len = yaml->len;
	mc.event = t->event;
	mc.from = now->status;
	mc.to = res->status;
	mc.subject = subject;
	mc.body = body;
	mc.renumbered_from = strcmp(id, ch->old_record) != 0 ?
	    ch->old_record : NULL;
	err = make(r, ch, oc, &mc);
	free(osubject);
	free(subject);
	free(body);
	return err;
}

/* A change of a record, made again. */
static const struct dipb_error *
replay_record(struct run *r, struct dipb_replay_change *ch,
    const struct dipb_commit *oc)
{
	const struct dipb_error *err = NULL;
	struct dipb_buf yaml = DIPB_BUF_INIT, cur = DIPB_BUF_INIT;
	struct dipb_record before, after, now, res;
	struct dipb_diags diags = DIPB_DIAGS_INIT;
	const struct dipb_transition *t;
	enum dipb_event_kind ev;
	enum dipb_move move;
	const char *id = current_id(r->p, ch->old_record), *email;
	char *old_path = NULL, *path = NULL;
	char *last = NULL, *from = NULL, *newid = NULL;

	dipb_record_init(&before);
	dipb_record_init(&after);
	dipb_record_init(&now);
	dipb_record_init(&res);
	email = oc->author_email != NULL ? oc->author_email : "";
	(void)dipb_event_parse(&ev, ch->old_record, ch->event);
	if (dipb_strlist_contains(&r->lost, ch->old_record)) {
		drop(ch, "%s was not made on the remote (its draft was "
		    "dropped): draft it again", ch->old_record);
		goto done;
	}
	if ((err = load_versions(r, ch, oc, &old_path, &before,
	    &after)) != NULL || ch->outcome == DIPB_REPLAY_DROPPED)
		goto done;
	move = dipb_event_move(ev, &after);

	if (ev == DIPB_EVENT_DRAFTED) {
		err = draft_again(r, ch, email, &after, &id, &newid, &res);
		now.status = DIPB_STATUS_NONE;
	} else
		err = move_again(r, ch, email, ev, move, id, &before, &after,
		    &now, &res);
	if (err != NULL || ch->outcome == DIPB_REPLAY_DROPPED)
		goto done;
	if ((t = dipb_state_next(NULL, &r->board, move, now.status,
	    &res)) == NULL) {
		from = allowed_from(move);
		drop(ch, "%s is %s upstream; %s is allowed from %s only", id,
		    dipb_status_name(now.status), dipb_move_name(move), from);
		goto done;
	}
	res.status = t->to;
	dipb_record_emit(&res, &yaml);
	if (ev != DIPB_EVENT_DRAFTED) {
		dipb_record_emit(&now, &cur);
		if (cur.len == yaml.len && memcmp(cur.ptr, yaml.ptr,
		    yaml.len) == 0) {
			last = upstream_last(r, id);
			drop(ch, "already done upstream (%s)", last != NULL ?
			    last : id);
			goto done;
		}
	}
	/* At its place in the layout of the new parent's board. */
	free(path);
	path = dipb_record_path_in(r->board.layout, id);
	if ((err = dipb_session_check_emitted(&diags, &r->board, path,
	    &yaml, &now, 0)) != NULL) {
		dipb_error_free(err);
		err = NULL;
		drop(ch, "%s would not load as replayed: %s:%u:%u: %s", id,
		    path, diags.n > 0 ? diags.v[0].line : 0,
		    diags.n > 0 ? diags.v[0].col : 0,
		    diags.n > 0 ? diags.v[0].msg : "invalid");
		goto done;
	}
	if ((err = commit_again(r, ch, oc, id, path, &yaml, t, &now,
	    &res)) == NULL && newid != NULL &&
	    ch->outcome == DIPB_REPLAY_LANDED) {
		/* Its later changes follow it (current_id). */
		dipb_strlist_push(&r->p->renamed_from, ch->old_record);
		dipb_strlist_push(&r->p->renamed_to, newid);
	}
done:
	if (err == NULL && ev == DIPB_EVENT_DRAFTED &&
	    ch->outcome == DIPB_REPLAY_DROPPED)
		dipb_strlist_push(&r->lost, ch->old_record);
	dipb_record_release(&before);
	dipb_record_release(&after);
	dipb_record_release(&now);
	dipb_record_release(&res);
	dipb_diags_release(&diags);
	dipb_buf_release(&yaml);
	dipb_buf_release(&cur);
	free(old_path);
	free(path);
	free(last);
	free(from);
	free(newid);
	return err;
}

/*
 * Before the first object: each change to be signed can be, with a key
 * of its member's (the board as of base).  One probe per member.
 */
static const struct dipb_error *
check_signing(struct run *r)
{
	const struct dipb_error *err = NULL, *e;
	struct dipb_strlist seen = DIPB_STRLIST_INIT;
	struct dipb_replay_change *ch;
	const struct dipb_member *m;
	struct dipb_commit oc;
	char *key;
	size_t i;
	int sign, on;

	for (i = 0; i < r->p->nchanges && err == NULL; i++) {
		ch = &r->p->changes[i];
		if (ch->outcome == DIPB_REPLAY_LANDED)
			continue;	/* goes as it is (plan_branch_from) */
		if ((err = dipb_git_commit_read(&oc, r->repo,
		    ch->old_commit)) != NULL)
			break;
		m = dipb_board_member(&r->board, oc.author_email);
		sign = 0;
		if ((e = dipb_session_signing(&sign, &r->board, m)) != NULL)
			dipb_error_free(e);	/* dropped at its turn */
		if (oc.signature != NULL)
			sign = 1;
		key = xasprintf("%d %s", sign, oc.author_email != NULL ?
		    oc.author_email : "");
		if (!dipb_strlist_contains(&seen, key)) {
			dipb_strlist_push(&seen, key);
			e = dipb_repo_check_signer(&on, r->repo, sign,
			    m != NULL ? &m->keys : NULL, oc.author_email);
			if (e != NULL) {
				err = dipb_error_fmt(e->code, "%s (%s) must be "
				    "signed again by %s: %s; run dipb sync as "
				    "%s, with their key", ch->old_tag != NULL ?
				    ch->old_tag : ch->old_commit, ch->event,
				    oc.author_email, e->msg,
				    oc.author_email);
				dipb_error_free(e);
			}
		}
		free(key);
		dipb_commit_release(&oc);
	}
	dipb_strlist_release(&seen);
	return err;
}

const struct dipb_error *
dipb_replay_run(struct dipb_replay *p, struct dipb_repo *repo,
    const struct dipb_identity *committer)
{
	const struct dipb_error *err = NULL, *e;
	struct dipb_replay_change *ch;
	struct dipb_commit oc;
	struct run r;
	size_t i;

	if (p->fast_forward || p->nchanges == 0) {
		memcpy(p->new_tip, p->fast_forward ? p->tip : p->base,
		    sizeof(p->new_tip));
		return NULL;
	}
	memset(&r, 0, sizeof(r));
	r.p = p;
	r.repo = repo;
	r.upstream = p->upstream_tags;
	r.committer = committer;
	dipb_board_init(&r.board);
	memcpy(r.parent, p->base, sizeof(r.parent));
	/* A change that goes as it is (plan_branch_from) is made already:
	 * its tag is one of the new parent's. */
	for (i = 0; i < p->nchanges; i++)
		if (p->changes[i].old_tag != NULL &&
		    p->changes[i].outcome != DIPB_REPLAY_LANDED)
			dipb_strlist_push(&r.own, p->changes[i].old_tag);
	if ((err = load_board(&r, r.parent)) != NULL ||
	    (err = check_signing(&r)) != NULL)
		goto done;
	/* Objects only, named by nothing yet: flushed once at the end. */
	dipb_repo_defer_fsync(repo);
	for (i = 0; i < p->nchanges && err == NULL; i++) {
		ch = &p->changes[i];
		if (ch->outcome == DIPB_REPLAY_LANDED)
			continue;
		if ((err = dipb_git_commit_read(&oc, repo,
		    ch->old_commit)) != NULL)
			break;
		if (strcmp(ch->old_record, DIPB_BOARD_RECORD) == 0)
			err = replay_board(&r, ch, &oc);
		else if (strcmp(ch->old_record, DIPB_MEETING_RECORD) == 0)
			err = replay_meeting(&r, ch, &oc);
		else
			err = replay_record(&r, ch, &oc);
		dipb_commit_release(&oc);
	}
	if ((e = dipb_repo_flush(repo)) != NULL) {
		if (err == NULL)
			err = e;
		else
			dipb_error_free(e);
	}
	if (err == NULL)
		memcpy(p->new_tip, r.parent, sizeof(p->new_tip));
done:
	dipb_board_release(&r.board);
	dipb_strlist_release(&r.own);
	dipb_strlist_release(&r.made);
	dipb_strlist_release(&r.lost);
	return err;
}

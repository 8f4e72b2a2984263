/*
 * replay/meeting.c - a meeting recorded again (dipb-record(5),
 * "MEETINGS"): its agenda made to name the renumbered drafts' new ids,
 * its file checked as dipb meeting checks it.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "../meeting.h"
#include "../validate.h"

/*
 * The agenda of meeting m, the local change k's, made to name the records
 * of the new parent (dipb-sync(1), "REPLAY"): an id that a local draft
 * had before the replay renumbered it becomes the draft's new id
 * (dipb_rpl_current_id), *changed then set, so that the agenda still names the
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
		id = dipb_rpl_current_id(r->p, agenda->v[i]);
		if ((err = dipb_rpl_read_record_at(&buf, &found, &path, r->repo,
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
 * The path of the meeting's file: the one file local change oc changes
 * (classify saw to it), into *path (caller frees).
 */
static const struct dipb_error *
meeting_path(char **path, struct run *r, const struct dipb_commit *oc)
{
	const struct dipb_error *err;
	struct dipb_tree_changes d = { NULL, 0, 0 };
	struct dipb_commit parent;

	if ((err = dipb_git_commit_read(&parent, r->repo, oc->parent)) != NULL)
		return err;
	err = dipb_git_tree_diff(&d, r->repo, parent.tree, oc->tree);
	dipb_commit_release(&parent);
	if (err == NULL)
		*path = xstrdup(d.v[0].path);
	dipb_tree_changes_release(&d);
	return err;
}

/*
 * The meeting's file as the local change wrote it (after, at path)
 * loaded into m, its diagnostics into diags, and its agenda made to name
 * the records of the new parent (agenda_again): when the agenda
 * changed, after then holds it written again in the canonical form.
 * *why (caller frees) says why the agenda cannot be made so, a file not
 * as dipb meeting writes it among the reasons, whose keys and comments
 * writing it again would lose.
 */
static const struct dipb_error *
agenda_file_again(char **why, struct run *r, struct dipb_replay_change *ch,
    struct dipb_meeting *m, struct dipb_buf *after, struct dipb_diags *diags,
    const char *path)
{
	const struct dipb_error *err = NULL;
	struct dipb_buf canon = DIPB_BUF_INIT;
	int changed = 0, canonical = 0;

	*why = NULL;
	if (dipb_meeting_load(m, path, after->ptr, after->len, diags) == 0) {
		/* Whether the file is as dipb meeting writes it. */
		dipb_meeting_emit(m, &canon);
		canonical = canon.len == after->len &&
		    memcmp(canon.ptr, after->ptr, after->len) == 0;
		err = agenda_again(why, &changed, r,
		    (size_t)(ch - r->p->changes), m);
	}
	dipb_buf_release(&canon);
	if (err != NULL)
		return err;
	if (*why == NULL && changed && !canonical)
		*why = xstrdup("its agenda names a renumbered draft, and the "
		    "file is not as dipb meeting writes it (a key dipb does "
		    "not know, a comment), which writing it again would lose: "
		    "record the meeting again with dipb meeting");
	if (*why == NULL && changed) {
		/* In the canonical form, as dipb meeting writes it. */
		dipb_buf_clear(after);
		dipb_meeting_emit(m, after);
	}
	return NULL;
}

/*
 * What dipb meeting would refuse to write is not made: a file made
 * with git could hold a control character it never writes.  Only
 * [meeting-member] is of the remote's board.  1 when m, loaded from path
 * with diags, is refused so, ch dropped.
 */
static int
meeting_refused(struct run *r, struct dipb_replay_change *ch,
    const struct dipb_meeting *m, struct dipb_diags *diags, const char *path)
{
	const struct dipb_diag *e;

	if (diags->nerrors == 0 && dipb_validate_meeting_written(diags, path,
	    m, &r->board) == 0)
		return 0;
	e = dipb_rpl_first_error(diags);
	dipb_rpl_drop(ch, "%s:%u:%u: %s [%s]%s: record the meeting "
	    "again with dipb meeting", path, e != NULL ? e->line : 0,
	    e != NULL ? e->col : 0, e != NULL ? e->msg :
	    "does not load", e != NULL ? e->rule : "meeting",
	    e != NULL && strcmp(e->rule, "meeting-member") == 0 ?
	    ", as of the remote's " DIPB_BOARD_FILE : "");
	return 1;
}

/* The meeting's file (data, at path) made, with oc's subject and body. */
static const struct dipb_error *
make_meeting(struct run *r, struct dipb_replay_change *ch,
    const struct dipb_commit *oc, const char *path,
    const struct dipb_buf *data)
{
	const struct dipb_error *err;
	struct made_change mc;
	char *subject, *body;

	subject = dipb_message_title(NULL, oc->message, oc->message_len);
	body = dipb_rpl_body_of(oc->message, oc->message_len);
	dipb_rpl_made_init(&mc, DIPB_MEETING_RECORD, path, data,
	    DIPB_EVENT_HELD, subject);
	mc.body = body;
	err = dipb_rpl_make(r, ch, oc, &mc);
	free(subject);
	free(body);
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
const struct dipb_error *
dipb_rpl_meeting(struct run *r, struct dipb_replay_change *ch,
    const struct dipb_commit *oc)
{
	const struct dipb_error *err;
	struct dipb_diags diags = DIPB_DIAGS_INIT;
	struct dipb_buf after = DIPB_BUF_INIT, now = DIPB_BUF_INIT;
	struct dipb_meeting m;
	char *path = NULL, *why = NULL;
	int fa, fn;

	dipb_meeting_init(&m);
	if ((err = meeting_path(&path, r, oc)) != NULL ||
	    (err = dipb_rpl_read_at(&after, &fa, r->repo, oc->id,
	    path)) != NULL || (err = dipb_rpl_read_at(&now, &fn, r->repo,
	    r->parent, path)) != NULL)
		goto done;
	if (fn) {
		dipb_rpl_drop(ch, "%s: the remote recorded this meeting "
		    "already; compare with 'dipb report minutes --meeting'",
		    path);
		goto done;
	}
	if ((err = dipb_state_permit(&r->board, oc->author_email,
	    DIPB_MOVE_MEETING, NULL, NULL)) != NULL) {
		dipb_rpl_drop(ch, "%s (%s as of the remote)", err->msg,
		    DIPB_BOARD_FILE);
		dipb_error_free(err);
		err = NULL;
		goto done;
	}
	if ((err = agenda_file_again(&why, r, ch, &m, &after, &diags,
	    path)) != NULL)
		goto done;
	if (why != NULL)
		dipb_rpl_drop(ch, "%s: %s", path, why);
	else if (!meeting_refused(r, ch, &m, &diags, path))
		err = make_meeting(r, ch, oc, path, &after);
done:
	free(why);
	free(path);
	dipb_meeting_release(&m);
	dipb_diags_release(&diags);
	dipb_buf_release(&after);
	dipb_buf_release(&now);
	return err;
}

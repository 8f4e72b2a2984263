/*
 * replay/record.c - a change of a record made again: a draft as its id or
 * the next free one, a move judged against the record as the remote has
 * it (the workflow, the roles, the text reviewed, the due date moved),
 * the record written and committed with its message made anew.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "../session.h"
#include "../subject.h"

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

/*
 * subject with its leading "<old>:" made "<new>:", the blanks before it
 * (a subject reworded by hand: git keeps them, dipb_message_title too)
 * dropped, as dipb writes none.
 */
static char *
resubject(const char *subject, const char *old, const char *new)
{
	const char *s = subject + strspn(subject, " \t");
	size_t n = strlen(old);

	if (strncmp(s, old, n) == 0 && s[n] == ':')
		return xasprintf("%s%s", new, s + n);
	return xstrdup(subject);
}

/*
 * A draft made again (dipb_rpl_record): as id, or, when the remote took
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
		dipb_rpl_drop(ch, "%s (%s as of the remote)", err->msg,
		    DIPB_BOARD_FILE);
		dipb_error_free(err);
		return NULL;
	}
	if ((err = dipb_rpl_id_taken(&taken, r, *id)) != NULL)
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
 * The record id as the remote has it into now, from its place in the
 * layout of the new parent's board: *ok 0, ch dropped, when it is not
 * there or does not load.
 */
static const struct dipb_error *
read_now(int *ok, struct run *r, struct dipb_replay_change *ch,
    enum dipb_move move, const char *id, struct dipb_record *now)
{
	const struct dipb_error *err = NULL;
	struct dipb_buf nbuf = DIPB_BUF_INIT;
	char *path = NULL, *why = NULL;
	int fn;

	*ok = 0;
	path = dipb_record_path_in(r->board.layout, id);
	if ((err = dipb_rpl_read_at(&nbuf, &fn, r->repo, r->parent, path)) !=
	    NULL)
		goto done;
	if (!fn) {
		dipb_rpl_drop(ch, "%s is not on the remote: there is nothing "
		    "to %s", id, dipb_move_name(move));
		goto done;
	}
	if (dipb_rpl_load_record(now, &why, path, &nbuf) != 0) {
		dipb_rpl_drop(ch, "%s does not load on the remote: %s", id,
		    why);
		goto done;
	}
	*ok = 1;
done:
	dipb_buf_release(&nbuf);
	free(path);
	free(why);
	return err;
}

/*
 * 1 when the author (email) may still make move on now, the record as
 * the remote has it: their role as of the remote's board, a row of the
 * workflow from now's status, and its condition; 0 when not, ch dropped
 * with the reason, naming the remote's latest change of id.
 */
static int
move_allowed(struct run *r, struct dipb_replay_change *ch,
    const char *email, enum dipb_move move, const char *id,
    const struct dipb_record *now)
{
	const struct dipb_error *err;
	char *last = NULL, *from = NULL;
	int ok = 0;

	if ((err = dipb_state_permit(&r->board, email, move, now,
	    NULL)) != NULL) {
		dipb_rpl_drop(ch, "%s (%s as of the remote)", err->msg,
		    DIPB_BOARD_FILE);
		dipb_error_free(err);
		goto done;
	}
	if (dipb_state_lookup(move, now->status) != NULL &&
	    !dipb_state_allows(move, now)) {
		/* Its row's condition: decided again while deferred, an
		 * action tracked while agreed or noted. */
		last = dipb_rpl_upstream_last(r, id);
		dipb_rpl_drop(ch, "%s is %s upstream%s%s%s, its decision %s: "
		    "%s", id, dipb_status_name(now->status),
		    last != NULL ? " (" : "", last != NULL ? last : "",
		    last != NULL ? ")" : "", now->decision != NULL ?
		    dipb_outcome_name(now->decision->outcome) : "none",
		    move == DIPB_MOVE_DECIDE ? "only a deferred decision is "
		    "decided again" : "only the actions of an agreed or noted "
		    "decision are tracked");
		goto done;
	}
	if (dipb_state_lookup(move, now->status) == NULL) {
		last = dipb_rpl_upstream_last(r, id);
		from = allowed_from(move);
		dipb_rpl_drop(ch, "%s is %s upstream%s%s%s; %s is allowed from "
		    "%s only", id, dipb_status_name(now->status),
		    last != NULL ? " (" : "", last != NULL ? last : "",
		    last != NULL ? ")" : "", dipb_move_name(move),
		    from);
		goto done;
	}
	ok = 1;
done:
	free(last);
	free(from);
	return ok;
}

/*
 * 1 when the text the change judged is the text now has: a verdict's
 * review (in after) was given on now's fingerprint, an edit started
 * from now's text (before's); 0 when not, ch dropped with the reason.
 */
static int
text_unchanged(struct dipb_replay_change *ch, const char *email,
    enum dipb_event_kind ev, enum dipb_move move, const char *id,
    const struct dipb_record *before, struct dipb_record *after,
    const struct dipb_record *now)
{
	char fp_now[DIPB_FINGERPRINT_LEN + 1], fp[DIPB_FINGERPRINT_LEN + 1];
	struct dipb_review *rv;

	dipb_record_fingerprint(now, fp_now);
	if (dipb_move_verdict(NULL, move)) {
		rv = dipb_rpl_review_of(after, email);
		if (rv == NULL || rv->fingerprint == NULL ||
		    strcmp(rv->fingerprint, fp_now) != 0) {
			dipb_rpl_drop(ch, "the text of %s changed upstream "
			    "since this review was given (reviewed "
			    "%s, now %s): read it again and review "
			    "again", id, rv != NULL &&
			    rv->fingerprint != NULL ?
			    rv->fingerprint : "?", fp_now);
			return 0;
		}
	}
	if (ev == DIPB_EVENT_EDITED) {
		dipb_record_fingerprint(before, fp);
		if (strcmp(fp, fp_now) != 0) {
			dipb_rpl_drop(ch, "%s was edited upstream since: edit "
			    "it again", id);
			return 0;
		}
	}
	return 1;
}

/*
 * 1 unless the change moved a due date that no longer moves so: a due
 * date moved from the date in force upstream, of an action still open
 * there, not the mover's own as of the new parent's board (dipb-action(1),
 * --due; state.c); 0 with ch dropped.
 */
static int
due_unmoved(const struct run *r, struct dipb_replay_change *ch,
    const char *email, enum dipb_event_kind ev, enum dipb_move move, const char *id,
    const struct dipb_record *before, const struct dipb_record *after,
    const struct dipb_record *now)
{
	const struct dipb_error *err;
	const char *due;
	size_t k;

	if (ev != DIPB_EVENT_ACTION_RESCHEDULED ||
	    (k = rescheduled_action(before, after)) == 0)
		return 1;
	if ((err = dipb_state_permit_action(&r->board, email, move, now,
	    k)) != NULL) {
		dipb_rpl_drop(ch, "%s", err->msg);
		dipb_error_free(err);
		return 0;
	}
	if (k > now->nactions ||
	    !dipb_state_action_open(now, &now->actions[k - 1])) {
		dipb_rpl_drop(ch, "action %zu of %s is not open upstream: its "
		    "due date no longer moves", k, id);
		return 0;
	}
	if (k > before->nactions ||
	    !same_due(&now->actions[k - 1], &before->actions[k - 1])) {
		due = dipb_action_due(&now->actions[k - 1]);
		dipb_rpl_drop(ch, "the due date of action %zu of %s moved "
		    "upstream since (now %s): move it again", k, id,
		    due != NULL ? due : "none");
		return 0;
	}
	return 1;
}

/*
 * A move of a record the remote has, made again (dipb_rpl_record): the
 * record as the remote has it into now (read_now), the local change
 * checked against it (a change that no longer fits is dropped, with the
 * reason: move_allowed, text_unchanged, due_unmoved), and the change's
 * inputs applied to it into res.
 */
static const struct dipb_error *
move_again(struct run *r, struct dipb_replay_change *ch, const char *email,
    enum dipb_event_kind ev, enum dipb_move move, const char *id,
    const struct dipb_record *before, struct dipb_record *after,
    struct dipb_record *now, struct dipb_record *res)
{
	const struct dipb_error *err;
	int ok;

	if ((err = read_now(&ok, r, ch, move, id, now)) != NULL || !ok ||
	    !move_allowed(r, ch, email, move, id, now) ||
	    !text_unchanged(ch, email, ev, move, id, before, after, now) ||
	    !due_unmoved(r, ch, email, ev, move, id, before, after, now))
		return err;
	dipb_record_copy(res, now);
	dipb_rpl_apply_inputs(res, after, before, ev, email);
	/* A reply answers a review there is (dipb-review(1)). */
	if (ev == DIPB_EVENT_REPLIED && res->nreplies > 0 &&
	    (res->replies[res->nreplies - 1].to == NULL ||
	    dipb_rpl_review_of(res, res->replies[res->nreplies - 1].to) ==
	    NULL))
		dipb_rpl_drop(ch, "%s has no review by %s upstream to reply "
		    "to", id, res->replies[res->nreplies - 1].to);
	return NULL;
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

	if ((err = dipb_rpl_read_record_at(&abuf, &fa, old_path, r->repo,
	    oc->id, ch->old_record)) != NULL || (err = dipb_rpl_read_at(&bbuf,
	    &fb, r->repo, oc->parent, *old_path)) != NULL)
		goto done;
	if (!fa || dipb_rpl_load_record(after, &why, *old_path, &abuf) != 0)
		dipb_rpl_drop(ch, "%s as %s made it does not load: %s",
		    ch->old_record, ch->old_tag != NULL ? ch->old_tag :
		    ch->event, why != NULL ? why : "missing");
	else if (fb && dipb_rpl_load_record(before, &why, *old_path,
	    &bbuf) != 0)
		dipb_rpl_drop(ch, "%s before %s does not load: %s",
		    ch->old_record, ch->event, why);
done:
	dipb_buf_release(&bbuf);
	dipb_buf_release(&abuf);
	free(why);
	return err;
}

/*
 * Record id's new text yaml, as transition t leaves it (now before, res
 * after), committed at path with oc's message made anew (dipb_rpl_make).
 */
static const struct dipb_error *
commit_again(struct run *r, struct dipb_replay_change *ch,
    const struct dipb_commit *oc, const char *id, const char *path,
    const struct dipb_buf *yaml, const struct dipb_transition *t,
    const struct dipb_record *now, const struct dipb_record *res)
{
	const struct dipb_error *err;
	struct made_change mc;
	char *osubject, *subject, *body, tally[DIPB_TALLY_MAX];

	osubject = dipb_message_title(NULL, oc->message, oc->message_len);
	if (t->move == DIPB_MOVE_ENDORSE) {
		/* The count as now, as cmd_review.c writes it. */
		dipb_state_tally(tally, &r->board, res);
		subject = dipb_subject_make(&(struct dipb_subject){
		    .kind = DIPB_EVENT_ENDORSED, .id = id, .tally = tally,
		    .by = dipb_rpl_actor_name(&r->board, oc) });
	} else
		subject = resubject(osubject, ch->old_record, id);
	body = dipb_rpl_body_of(oc->message, oc->message_len);
	dipb_rpl_made_init(&mc, id, path, yaml, t->event, subject);
	mc.from = now->status;
	mc.to = res->status;
	mc.body = body;
	mc.renumbered_from = strcmp(id, ch->old_record) != 0 ?
	    ch->old_record : NULL;
	err = dipb_rpl_make(r, ch, oc, &mc);
	free(osubject);
	free(subject);
	free(body);
	return err;
}

/*
 * The transition move makes from now's status, res's status set to the
 * status it leads to; NULL when the workflow has none, ch dropped.
 */
static const struct dipb_transition *
transition(struct run *r, struct dipb_replay_change *ch, enum dipb_move move,
    const char *id, const struct dipb_record *now, struct dipb_record *res)
{
	const struct dipb_transition *t;
	char *from;

	if ((t = dipb_state_next(NULL, &r->board, move, now->status,
	    res)) == NULL) {
		from = allowed_from(move);
		dipb_rpl_drop(ch, "%s is %s upstream; %s is allowed from %s "
		    "only", id, dipb_status_name(now->status),
		    dipb_move_name(move), from);
		free(from);
		return NULL;
	}
	res->status = t->to;
	return t;
}

/*
 * 1 when yaml, record id as the change leaves it (now before it, for a
 * move), changes the record as the remote has it and loads at path, its
 * place in the layout of the new parent's board; 0 when it is done
 * upstream already or would not load, ch dropped.
 */
static int
text_fits(struct run *r, struct dipb_replay_change *ch,
    enum dipb_event_kind ev, const char *id, const char *path,
    const struct dipb_buf *yaml, const struct dipb_record *now)
{
	const struct dipb_error *err;
	struct dipb_buf cur = DIPB_BUF_INIT;
	struct dipb_diags diags = DIPB_DIAGS_INIT;
	char *last = NULL;
	int ok = 0;

	if (ev != DIPB_EVENT_DRAFTED) {
		dipb_record_emit(now, &cur);
		if (cur.len == yaml->len && memcmp(cur.ptr, yaml->ptr,
		    yaml->len) == 0) {
			last = dipb_rpl_upstream_last(r, id);
			dipb_rpl_drop(ch, "already done upstream (%s)",
			    last != NULL ? last : id);
			goto done;
		}
	}
	if ((err = dipb_session_check_emitted(&diags, &r->board, path,
	    yaml, now, 0)) != NULL) {
		dipb_error_free(err);
		dipb_rpl_drop(ch, "%s would not load as replayed: %s:%u:%u: "
		    "%s", id, path, diags.n > 0 ? diags.v[0].line : 0,
		    diags.n > 0 ? diags.v[0].col : 0,
		    diags.n > 0 ? diags.v[0].msg : "invalid");
		goto done;
	}
	ok = 1;
done:
	dipb_buf_release(&cur);
	dipb_diags_release(&diags);
	free(last);
	return ok;
}

/*
 * A change of a record, made again: as a draft (draft_again) or a move
 * (move_again), its transition (transition) and text (text_fits) as the
 * remote has the record, committed (commit_again).
 */
const struct dipb_error *
dipb_rpl_record(struct run *r, struct dipb_replay_change *ch,
    const struct dipb_commit *oc)
{
	const struct dipb_error *err = NULL;
	struct dipb_buf yaml = DIPB_BUF_INIT;
	struct dipb_record before, after, now, res;
	const struct dipb_transition *t;
	enum dipb_event_kind ev;
	enum dipb_move move;
	const char *id = dipb_rpl_current_id(r->p, ch->old_record), *email;
	char *old_path = NULL, *path = NULL, *newid = NULL;

	dipb_record_init(&before);
	dipb_record_init(&after);
	dipb_record_init(&now);
	dipb_record_init(&res);
	email = oc->author_email != NULL ? oc->author_email : "";
	(void)dipb_event_parse(&ev, ch->old_record, ch->event);
	if (dipb_strlist_contains(&r->lost, ch->old_record)) {
		dipb_rpl_drop(ch, "%s was not made on the remote (its draft "
		    "was dropped): draft it again", ch->old_record);
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
	if (err != NULL || ch->outcome == DIPB_REPLAY_DROPPED ||
	    (t = transition(r, ch, move, id, &now, &res)) == NULL)
		goto done;
	dipb_record_emit(&res, &yaml);
	/* At its place in the layout of the new parent's board. */
	path = dipb_record_path_in(r->board.layout, id);
	if (!text_fits(r, ch, ev, id, path, &yaml, &now))
		goto done;
	if ((err = commit_again(r, ch, oc, id, path, &yaml, t, &now,
	    &res)) == NULL && newid != NULL &&
	    ch->outcome == DIPB_REPLAY_LANDED) {
		/* Its later changes follow it (dipb_rpl_current_id). */
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
	dipb_buf_release(&yaml);
	free(old_path);
	free(path);
	free(newid);
	return err;
}

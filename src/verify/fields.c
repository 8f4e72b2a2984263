/*
 * fields.c - a record's state change judged: its move, its role, and the
 * fields and classification it may change; and a change of dipb.yaml
 * judged by what dipb writes of it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../text.h"
#include "../validate.h"
#include "internal.h"

static int
streq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

int
dipb_vfy_same_email(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcasecmp(a, b) == 0;
}

static int
review_eq(const struct dipb_review *a, const struct dipb_review *b)
{
	return dipb_vfy_same_email(a->reviewer, b->reviewer) &&
	    streq(a->date, b->date) && a->verdict == b->verdict &&
	    streq(a->fingerprint, b->fingerprint) &&
	    streq(a->comment, b->comment);
}

static int
is_review_move(enum dipb_move m)
{
	return dipb_move_verdict(NULL, m);
}

static int
strlist_eq(const struct dipb_strlist *a, const struct dipb_strlist *b)
{
	size_t i;

	if (a->n != b->n)
		return 0;
	for (i = 0; i < a->n; i++)
		if (strcmp(a->v[i], b->v[i]) != 0)
			return 0;
	return 1;
}

/* The reviews of a review move (new) against those before it (old). */
static void
check_reviews(struct verify *v, const struct commit *c, const char *path,
    const char *tag, const struct dipb_record *old,
    const struct dipb_record *new, enum dipb_move move)
{
	char fp[DIPB_FINGERPRINT_LEN + 1];
	const struct dipb_review *last;
	size_t i, k, nold = old != NULL ? old->nreviews : 0;
	int same = 1, want;

	if (!is_review_move(move)) {
		if (new->nreviews != nold)
			same = 0;
		for (i = 0; same && i < nold; i++)
			same = review_eq(&old->reviews[i], &new->reviews[i]);
		if (!same)
			dipb_vfy_finding(v, c->id, tag, path, "review-changed",
			    "the reviews of %s changed in a %s change", new->id,
			    c->event);
		return;
	}
	if (new->nreviews == 0) {
		dipb_vfy_finding(v, c->id, tag, path, "review-changed",
		    "a %s change of %s adds no review", c->event, new->id);
		return;
	}
	last = &new->reviews[new->nreviews - 1];
	if (!dipb_vfy_same_email(last->reviewer, c->email)) {
		dipb_vfy_finding(v, c->id, tag, path, "review-changed",
		    "the review added is by %s, not by the commit's author %s",
		    last->reviewer != NULL ? last->reviewer : "nobody",
		    c->email);
		return;
	}
	/* The others: the earlier ones bar the reviewer's own, in order. */
	for (i = 0, k = 0; same && i < nold; i++) {
		if (dipb_vfy_same_email(old->reviews[i].reviewer, c->email))
			continue;
		if (k >= new->nreviews - 1 ||
		    !review_eq(&old->reviews[i], &new->reviews[k]))
			same = 0;
		k++;
	}
	if (!same || k != new->nreviews - 1)
		dipb_vfy_finding(v, c->id, tag, path, "review-changed",
		    "reviews of %s other than %s's changed", new->id, c->email);
	want = move == DIPB_MOVE_ENDORSE ?
	    last->verdict == DIPB_VERDICT_ENDORSE :
	    last->verdict != DIPB_VERDICT_ENDORSE;
	if (!want)
		dipb_vfy_finding(v, c->id, tag, path, "review-changed",
		    "%s's review says %s, but the event is %s", c->email,
		    dipb_verdict_name(last->verdict), c->event);
	dipb_record_fingerprint(new, fp);
	if (!streq(last->fingerprint, fp))
		dipb_vfy_finding(v, c->id, tag, path, "fingerprint",
		    "%s's review has fingerprint %s, but the content it "
		    "reviewed has %s", c->email,
		    last->fingerprint != NULL ? last->fingerprint : "none", fp);
}

/* ---- classification (dipb-board(5), "CLASSIFICATIONS") ---------------- */

/*
 * A change of dipb.yaml to nb, judged against the board before it: the
 * levels in use (those of the records as the replay knows them and of
 * their reviews) keep their place, as dipb edit --board makes sure.
 */
static void
check_levels(struct verify *v, const struct commit *c,
    const char *path, const char *tag, const struct dipb_board *nb)
{
	struct dipb_strlist used = DIPB_STRLIST_INIT;
	struct recstate *rs;
	const struct dipb_error *e;
	size_t i;

	if (!v->have_board)
		return;
	dipb_vfy_ckpt_all(v);
	for (i = 0; i < v->records.cap; i++) {
		if (v->records.v[i].key == NULL)
			continue;
		rs = v->records.v[i].val;
		if (rs != NULL && rs->exists && dipb_vfy_rs_rec(v, rs) != NULL)
			dipb_board_levels_used(&used, rs->rec);
	}
	if ((e = dipb_board_check_levels(&v->board.classifications,
	    &nb->classifications, &used)) != NULL) {
		dipb_vfy_finding(v, c->id, tag, path, "classification-order",
		    "%s", e->msg);
		dipb_error_free(e);
	}
	dipb_strlist_release(&used);
}

/*
 * A change of dipb.yaml to nb, by dipb or by hand: some member may still
 * make the board's next change.  The rule is the workflow's
 * (dipb_state_board_keeper): dipb edit --board refuses a board without
 * one and dipb validate reports it (chair); a change made with plain git
 * or an older dipb leaves it here.
 */
static void
check_keeper(struct verify *v, const struct commit *c, const char *path,
    const char *tag, const struct dipb_board *nb)
{
	const struct dipb_error *e;

	if ((e = dipb_state_board_keeper(nb)) == NULL)
		return;
	dipb_vfy_finding(v, c->id, tag, path, "chair", "%s", e->msg);
	dipb_error_free(e);
}

/*
 * Each error of diags, validate's diagnostics of the file at path, a
 * finding of rule, "path:line:col: message [validate's rule]".
 */
static void
diag_findings(struct verify *v, const struct commit *c, const char *path,
    const char *tag, const char *rule, const struct dipb_diags *diags)
{
	const struct dipb_diag *d;
	size_t i;

	for (i = 0; i < diags->n; i++) {
		d = &diags->v[i];
		if (d->sev == DIPB_SEV_ERROR)
			dipb_vfy_finding(v, c->id, tag, path, rule,
			    "%s:%u:%u: %s [%s]", d->path, d->line, d->col,
			    d->msg, d->rule);
	}
}

/*
 * A control character dipb's writers of dipb.yaml never write
 * (dipb-validate(1), control-character), each a board-invalid finding:
 * dipb init and dipb edit --board refuse such a board and sync's replay
 * drops the change.  A value the board as of the parent held in the same
 * field is not the change's, as dipb edit --board leaves it.  An email
 * that is no address is left to dipb validate: older versions of dipb
 * init wrote some, and a history cannot lose them.
 */
static void
check_written(struct verify *v, const struct commit *c, const char *path,
    const char *tag, const struct dipb_board *nb)
{
	struct dipb_diags diags = DIPB_DIAGS_INIT;

	if (dipb_validate_board_controls(&diags, path, nb,
	    v->have_board ? &v->board : NULL) > 0)
		diag_findings(v, c, path, tag, "board-invalid", &diags);
	dipb_diags_release(&diags);
}

/*
 * A change of dipb.yaml to nb, by its own state change (tag) or by any
 * other commit (tag NULL), against the board as of the parent: what
 * dipb's writers never write, the levels in use, a chair left to change
 * it again.
 */
void
dipb_vfy_check_board(struct verify *v, const struct commit *c,
    const char *path, const char *tag, const struct dipb_board *nb)
{
	check_written(v, c, path, tag, nb);
	check_levels(v, c, path, tag, nb);
	check_keeper(v, c, path, tag, nb);
}

/*
 * The record's classification: lowered only by declassified, which
 * lowers it and changes nothing but it, 'updated' and the status it
 * keeps; a new review written at the record's level.
 */
static void
check_classification(struct verify *v, const struct commit *c,
    const char *path, const char *tag, const struct dipb_record *old,
    const struct dipb_record *new, enum dipb_move move)
{
	const struct dipb_review *last;
	int was, now;

	if (is_review_move(move) && new->nreviews > 0) {
		last = &new->reviews[new->nreviews - 1];
		/* Absent: a review by a dipb older than the key. */
		if (last->classification != NULL &&
		    !streq(last->classification, new->classification))
			dipb_vfy_finding(v, c->id, tag, path,
			    "review-classification", "%s's review of %s is "
			    "marked %s, but the record is %s", c->email,
			    c->record, last->classification, new->classification
			    != NULL ? new->classification : "unclassified");
	}
	if (old == NULL || !v->have_board)
		return;
	was = dipb_board_classification_rank(&v->board, old->classification);
	now = dipb_board_classification_rank(&v->board, new->classification);
	if (move != DIPB_MOVE_DECLASSIFY) {
		/* Raised: only by the drafter's own text (the fields table). */
		if (was >= 0 && now > was && move != DIPB_MOVE_EDIT &&
		    move != DIPB_MOVE_RECOMMEND)
			dipb_vfy_finding(v, c->id, tag, path, "field-changed",
			    "the classification of %s raised from %s to %s in "
			    "%s %s change (only drafted or edited may raise "
			    "it)", c->record, old->classification,
			    new->classification,
			    strchr("aeiou", c->event[0]) != NULL ? "an" : "a",
			    c->event);
		if (was >= 0 && now >= 0 && now < was)
			dipb_vfy_finding(v, c->id, tag, path,
			    "classification-lowered", "the classification of "
			    "%s lowered from %s to %s in a %s change (only "
			    "declassified lowers it)", c->record,
			    old->classification, new->classification, c->event);
		return;
	}
	if (was < 0 || now < 0 || now >= was)
		dipb_vfy_finding(v, c->id, tag, path, "classification-lowered",
		    "a declassified change of %s does not lower its "
		    "classification (%s to %s)", c->record,
		    old->classification != NULL ? old->classification : "none",
		    new->classification != NULL ? new->classification : "none");
}

/* ---- the fields an event may change (state.h) --------------------------- */

/* What check_fields needs to report a field. */
struct fieldck {
	struct verify		*v;
	const struct commit	*c;
	const char		*path;
	const char		*tag;
	const char		*id;
	unsigned		 allowed;	/* dipb_event_fields() */
};

static const char *
article(const char *word)
{
	return strchr("aeiou", word[0]) != NULL ? "an" : "a";
}

/* "drafted or edited": the events whose row of the table has bit. */
static char *
setters(unsigned bit)
{
	struct dipb_buf b = DIPB_BUF_INIT;
	char *out;
	int e, n = 0, last = -1;

	for (e = 0; e < DIPB_EVENT__COUNT; e++)
		if (dipb_event_fields((enum dipb_event_kind)e) & bit)
			n++;
	for (e = 0; e < DIPB_EVENT__COUNT; e++) {
		if (!(dipb_event_fields((enum dipb_event_kind)e) & bit))
			continue;
		last++;
		dipb_buf_printf(&b, "%s%s", last == 0 ? "" : last == n - 1 ?
		    " or " : ", ", dipb_event_name((enum dipb_event_kind)e));
	}
	if (n == 0)
		dipb_buf_puts(&b, "no event");
	out = xstrdup(dipb_buf_cstr(&b));
	dipb_buf_release(&b);
	return out;
}

/* A field other than a date differs: a finding unless the event may. */
static void
field_changed(struct fieldck *k, unsigned bit, const char *field)
{
	char *who;

	if (k->allowed & bit)
		return;
	who = setters(bit);
	dipb_vfy_finding(k->v, k->c->id, k->tag, k->path, "field-changed",
	    "%s of %s changed in %s %s change (only %s may change it)", field,
	    k->id, article(k->c->event), k->c->event, who);
	free(who);
}

/* A date a, now b: only by an event that may, and only to its own date. */
static void
date_changed(struct fieldck *k, unsigned bit, const char *field,
    const char *a, const char *b)
{
	char *who;

	if (streq(a, b))
		return;
	if (!(k->allowed & bit)) {
		who = setters(bit);
		dipb_vfy_finding(k->v, k->c->id, k->tag, k->path, "date",
		    "%s of %s changed from %s to %s in %s %s change (only %s "
		    "sets it)", field, k->id, a != NULL ? a : "none",
		    b != NULL ? b : "none", article(k->c->event), k->c->event,
		    who);
		free(who);
	} else if (!streq(b, k->c->date))
		dipb_vfy_finding(k->v, k->c->id, k->tag, k->path, "date",
		    "%s of %s is %s, not the date of its %s change (%s)", field,
		    k->id, b != NULL ? b : "none", k->c->event, k->c->date);
}

static void
strlist_changed(struct dipb_buf *names, const char *name,
    const struct dipb_strlist *a, const struct dipb_strlist *b)
{
	if (!strlist_eq(a, b))
		dipb_buf_printf(names, "%s%s", names->len > 0 ? ", " : "",
		    name);
}

static void
str_changed(struct dipb_buf *names, const char *name, const char *a,
    const char *b)
{
	if (!streq(a, b))
		dipb_buf_printf(names, "%s%s", names->len > 0 ? ", " : "",
		    name);
}

/*
 * The drafter's fields (classification aside): one content-changed
 * finding naming those that differ, unless the event may change them.
 */
static void
check_draft(struct fieldck *k, const struct dipb_record *a,
    const struct dipb_record *b)
{
	struct dipb_buf names = DIPB_BUF_INIT;
	char field[64], fa[DIPB_FINGERPRINT_LEN + 1],
	    fb[DIPB_FINGERPRINT_LEN + 1];
	size_t i;

	if (k->allowed & DIPB_FIELD_DRAFT)
		return;
	str_changed(&names, "title", a->title, b->title);
	str_changed(&names, "priority", a->priority == DIPB_PRIORITY_NONE ?
	    NULL : dipb_priority_name(a->priority),
	    b->priority == DIPB_PRIORITY_NONE ? NULL :
	    dipb_priority_name(b->priority));
	strlist_changed(&names, "topics", &a->topics, &b->topics);
	str_changed(&names, "summary", a->summary, b->summary);
	str_changed(&names, "rationale", a->rationale, b->rationale);
	if (a->nactions != b->nactions)
		dipb_buf_printf(&names, "%sactions (%zu, were %zu)",
		    names.len > 0 ? ", " : "", b->nactions, a->nactions);
	for (i = 0; i < a->nactions && i < b->nactions; i++) {
		snprintf(field, sizeof(field), "actions[%zu].text", i + 1);
		str_changed(&names, field, a->actions[i].text,
		    b->actions[i].text);
		snprintf(field, sizeof(field), "actions[%zu].owner", i + 1);
		str_changed(&names, field, a->actions[i].owner,
		    b->actions[i].owner);
		snprintf(field, sizeof(field), "actions[%zu].due", i + 1);
		str_changed(&names, field, a->actions[i].due,
		    b->actions[i].due);
	}
	strlist_changed(&names, "references", &a->references, &b->references);
	if (names.len > 0) {
		dipb_record_fingerprint(a, fa);
		dipb_record_fingerprint(b, fb);
		dipb_vfy_finding(k->v, k->c->id, k->tag, k->path,
		    "content-changed", "the drafter's text of %s changed in %s "
		    "%s change: %s (fingerprint %s -> %s)", k->id,
		    article(k->c->event), k->c->event, dipb_buf_cstr(&names),
		    fa, fb);
	}
	dipb_buf_release(&names);
}

static void
check_submission(struct fieldck *k, const struct dipb_submission *a,
    const struct dipb_submission *b)
{
	static const struct dipb_submission none;
	const unsigned bit = DIPB_FIELD_SUBMISSION;

	if (a == NULL && b == NULL)
		return;
	if (a == NULL || b == NULL)
		field_changed(k, bit, "submission");
	a = a != NULL ? a : &none;
	b = b != NULL ? b : &none;
	date_changed(k, bit, "submission.date", a->date, b->date);
	if (!streq(a->to, b->to))
		field_changed(k, bit, "submission.to");
	if (!streq(a->reference, b->reference))
		field_changed(k, bit, "submission.reference");
}

static void
check_decision(struct fieldck *k, const struct dipb_decision *a,
    const struct dipb_decision *b)
{
	const unsigned bit = DIPB_FIELD_DECISION;

	if (a == NULL && b == NULL)
		return;
	if (a == NULL || b == NULL) {
		field_changed(k, bit, "decision");
		date_changed(k, bit, "decision.date", a != NULL ? a->date :
		    NULL, b != NULL ? b->date : NULL);
		return;
	}
	date_changed(k, bit, "decision.date", a->date, b->date);
	if (a->outcome != b->outcome)
		field_changed(k, bit, "decision.outcome");
	if (!streq(a->note, b->note))
		field_changed(k, bit, "decision.note");
}

static void
check_withdrawal(struct fieldck *k, const struct dipb_withdrawal *a,
    const struct dipb_withdrawal *b)
{
	static const struct dipb_withdrawal none;
	const unsigned bit = DIPB_FIELD_WITHDRAWAL;

	if (a == NULL && b == NULL)
		return;
	if (a == NULL || b == NULL)
		field_changed(k, bit, "withdrawal");
	a = a != NULL ? a : &none;
	b = b != NULL ? b : &none;
	date_changed(k, bit, "withdrawal.date", a->date, b->date);
	if (!dipb_vfy_same_email(a->by, b->by) &&
	    !(a->by == NULL && b->by == NULL))
		field_changed(k, bit, "withdrawal.by");
	if (!streq(a->reason, b->reason))
		field_changed(k, bit, "withdrawal.reason");
}

/*
 * The review thread (dipb-record(5), replies): earlier replies never
 * change; only a replied change adds one, the acting member's, of its own
 * date, to a reviewer of the record.
 */
static void
check_replies(struct fieldck *k, const struct dipb_record *a,
    const struct dipb_record *b)
{
	const struct dipb_reply *x, *y;
	char field[64];
	size_t i;

	for (i = 0; i < a->nreplies; i++) {
		snprintf(field, sizeof(field), "replies[%zu]", i + 1);
		if (i >= b->nreplies) {
			field_changed(k, 0, field);
			return;
		}
		x = &a->replies[i];
		y = &b->replies[i];
		if (!dipb_vfy_same_email(x->by, y->by) ||
		    !streq(x->date, y->date) ||
		    !dipb_vfy_same_email(x->to, y->to) ||
		    !streq(x->text, y->text))
			field_changed(k, 0, field);
	}
	if (b->nreplies <= a->nreplies)
		return;
	field_changed(k, DIPB_FIELD_REPLY, "replies");
	if (!(k->allowed & DIPB_FIELD_REPLY))
		return;
	if (b->nreplies > a->nreplies + 1)
		dipb_vfy_finding(k->v, k->c->id, k->tag, k->path,
		    "field-changed", "%zu replies added to %s in one replied "
		    "change", b->nreplies - a->nreplies, k->id);
	y = &b->replies[b->nreplies - 1];
	snprintf(field, sizeof(field), "replies[%zu].date", b->nreplies);
	if (!streq(y->date, k->c->date))
		dipb_vfy_finding(k->v, k->c->id, k->tag, k->path, "date",
		    "%s of %s is %s, not the date of its %s change (%s)",
		    field, k->id, y->date != NULL ? y->date : "none",
		    k->c->event, k->c->date);
	if (!dipb_vfy_same_email(y->by, k->c->email))
		dipb_vfy_finding(k->v, k->c->id, k->tag, k->path, "author",
		    "replies[%zu] of %s is by %s, but %s made the change",
		    b->nreplies, k->id, y->by != NULL ? y->by : "none",
		    k->c->email);
	for (i = 0; i < b->nreviews; i++)
		if (dipb_vfy_same_email(b->reviews[i].reviewer, y->to))
			return;
	dipb_vfy_finding(k->v, k->c->id, k->tag, k->path, "field-changed",
	    "replies[%zu] of %s answers %s, who has no review of it",
	    b->nreplies, k->id, y->to != NULL ? y->to : "none");
}

static int
reschedule_eq(const struct dipb_reschedule *x, const struct dipb_reschedule *y)
{
	return streq(x->from, y->from) && streq(x->to, y->to) &&
	    streq(x->date, y->date) && dipb_vfy_same_email(x->by, y->by) &&
	    streq(x->reason, y->reason);
}

/*
 * The actions' rescheduled lists (dipb-record(5)): earlier entries never
 * change; only an action-rescheduled change adds one, the acting
 * member's, of its own date, to one open action of a decision in force,
 * from the due date in force to a date not before the change, and never
 * to an action of that member's own.
 */
static void
check_rescheduled(struct fieldck *k, const struct dipb_record *a,
    const struct dipb_record *b)
{
	const struct dipb_reschedule *y;
	const struct dipb_action *was, *now, *moved = NULL;
	const struct dipb_error *e;
	char field[64];
	size_t i, j, added = 0, which = 0, nwas;

	for (i = 0; i < b->nactions; i++) {
		now = &b->actions[i];
		was = i < a->nactions ? &a->actions[i] : NULL;
		nwas = was != NULL ? was->nrescheduled : 0;
		for (j = 0; j < nwas; j++) {
			snprintf(field, sizeof(field),
			    "actions[%zu].rescheduled[%zu]", i + 1, j + 1);
			if (j >= now->nrescheduled ||
			    !reschedule_eq(&was->rescheduled[j],
			    &now->rescheduled[j])) {
				field_changed(k, 0, field);
				break;
			}
		}
		if (now->nrescheduled <= nwas)
			continue;
		snprintf(field, sizeof(field), "actions[%zu].rescheduled",
		    i + 1);
		field_changed(k, DIPB_FIELD_ACTION_DUE, field);
		added += now->nrescheduled - nwas;
		if (moved == NULL) {
			moved = now;
			which = i;
		}
	}
	if (!(k->allowed & DIPB_FIELD_ACTION_DUE))
		return;
	if (added != 1 || moved == NULL) {
		dipb_vfy_finding(k->v, k->c->id, k->tag, k->path, "rescheduled",
		    "an action-rescheduled change of %s adds %zu entries to "
		    "the actions' rescheduled lists, not one", k->id, added);
		return;
	}
	was = which < a->nactions ? &a->actions[which] : NULL;
	y = &moved->rescheduled[moved->nrescheduled - 1];
	if (!streq(y->date, k->c->date))
		dipb_vfy_finding(k->v, k->c->id, k->tag, k->path, "date",
		    "actions[%zu].rescheduled[%zu].date of %s is %s, not the "
		    "date of its %s change (%s)", which + 1,
		    moved->nrescheduled, k->id, y->date != NULL ? y->date :
		    "none", k->c->event, k->c->date);
	if (!dipb_vfy_same_email(y->by, k->c->email))
		dipb_vfy_finding(k->v, k->c->id, k->tag, k->path, "author",
		    "actions[%zu].rescheduled[%zu] of %s is by %s, but %s made "
		    "the change", which + 1, moved->nrescheduled, k->id,
		    y->by != NULL ? y->by : "none", k->c->email);
	/* Never the owner's own deadline, the owner written as their
	 * address: the rule of every dipb, not action --due's wider match
	 * of today, which older dipbs did not refuse (state.c). */
	if ((e = dipb_state_permit_action(NULL, k->c->email,
	    DIPB_MOVE_RESCHEDULE, was != NULL ? a : b, which + 1)) != NULL) {
		dipb_vfy_finding(k->v, k->c->id, k->tag, k->path,
		    "self-reschedule", "%s", e->msg);
		dipb_error_free(e);
	}
	if (was == NULL || !dipb_state_action_open(a, was))
		dipb_vfy_finding(k->v, k->c->id, k->tag, k->path, "rescheduled",
		    "action %zu of %s is not open, or its decision not in "
		    "force, yet its due date moved", which + 1, k->id);
	else if (!streq(y->from, dipb_action_due(was)))
		dipb_vfy_finding(k->v, k->c->id, k->tag, k->path, "rescheduled",
		    "action %zu of %s moved from %s, but it was due on %s",
		    which + 1, k->id, y->from != NULL ? y->from : "none",
		    dipb_action_due(was) != NULL ? dipb_action_due(was) :
		    "no date");
	if (y->to != NULL && (streq(y->to, y->from) || (y->date != NULL &&
	    strcmp(y->to, y->date) < 0)))
		dipb_vfy_finding(k->v, k->c->id, k->tag, k->path, "rescheduled",
		    "action %zu of %s moved to %s, %s", which + 1, k->id,
		    y->to, streq(y->to, y->from) ? "the date it had" :
		    "before the day it was moved");
}

/*
 * What the state change c of a record changed, old to new (old NULL: the
 * record is drafted, from nothing), against what its event may change
 * (state.c's table, dipb-workflow(7) "Fields").  The author, the status
 * and the reviews have their own rules; classification is not judged
 * here.
 */
static void
check_fields(struct verify *v, const struct commit *c, const char *path,
    const char *tag, const struct dipb_record *old,
    const struct dipb_record *new, enum dipb_move move)
{
	struct dipb_record none;
	struct fieldck k;
	const struct dipb_review *rv;
	enum dipb_action_state was;
	char field[64];
	size_t i;

	if (old == NULL && move != DIPB_MOVE_RECOMMEND)
		return;		/* after a file that did not load: reported */
	dipb_record_init(&none);
	if (move == DIPB_MOVE_RECOMMEND)
		old = &none;
	k.v = v;
	k.c = c;
	k.path = path;
	k.tag = tag;
	k.id = c->record;
	k.allowed = dipb_event_fields(c->kind);

	check_draft(&k, old, new);
	if (!streq(old->working_group, new->working_group))
		field_changed(&k, DIPB_FIELD_WG, "working_group");
	date_changed(&k, DIPB_FIELD_CREATED, "created", old->created,
	    new->created);
	date_changed(&k, DIPB_FIELD_UPDATED, "updated", old->updated,
	    new->updated);
	/* An action's state: open until action-updated says otherwise. */
	for (i = 0; i < new->nactions; i++) {
		was = i < old->nactions ? old->actions[i].state :
		    DIPB_ACTION_OPEN;
		if (new->actions[i].state == was)
			continue;
		snprintf(field, sizeof(field), "actions[%zu].state", i + 1);
		field_changed(&k, DIPB_FIELD_ACTION_STATE, field);
	}
	/* The acting reviewer's review: check_reviews; here its date. */
	if ((k.allowed & DIPB_FIELD_REVIEW) && is_review_move(move) &&
	    new->nreviews > 0) {
		rv = &new->reviews[new->nreviews - 1];
		if (!streq(rv->date, c->date))
			dipb_vfy_finding(v, c->id, tag, path, "date",
			    "reviews[%zu].date of %s is %s, not the date of "
			    "its %s change (%s)", new->nreviews, c->record,
			    rv->date != NULL ? rv->date : "none", c->event,
			    c->date);
	}
	check_replies(&k, old, new);
	check_rescheduled(&k, old, new);
	check_submission(&k, old->submission, new->submission);
	check_decision(&k, old->decision, new->decision);
	check_withdrawal(&k, old->withdrawal, new->withdrawal);
}

/*
 * rs after a change that left no record to believe: the file deleted
 * (exists 0), or one that does not load (exists 1, its status unknown).
 */
static void
forget_record(struct recstate *rs, int exists)
{
	dipb_record_free(rs->rec);
	rs->rec = NULL;
	rs->blob[0] = '\0';
	rs->lazy = 0;
	rs->exists = exists;
	if (exists)
		rs->unknown = 1;
}

/*
 * The move of c from the record's status, the status new is stored with
 * and the Dipb-Status trailer: after one finding, the status is not
 * judged further.
 */
static void
check_move(struct verify *v, const struct commit *c, const char *path,
    const char *tag, const struct recstate *rs,
    const struct dipb_record *old, const struct dipb_record *new,
    enum dipb_move move)
{
	const struct dipb_transition *t;
	const struct dipb_error *e;
	enum dipb_status from = rs->exists ? rs->status : DIPB_STATUS_NONE,
	    to;
	char *want;
	int flagged = 0;

	/*
	 * After a file that did not load (a finding already), the status it
	 * moves from is not known: the move is not judged, only what follows.
	 */
	if (rs->unknown)
		flagged = 1;
	else if ((e = old != NULL ? dipb_state_check_record(NULL, NULL, move,
	    old) : dipb_state_check(c->record, move, from)) != NULL) {
		dipb_vfy_finding(v, c->id, tag, path, "transition", "%s: "
		    "%s", c->event, e->msg);
		dipb_error_free(e);
		flagged = 1;
	}
	/* The row of the table that makes this event (state.c). */
	if ((t = dipb_state_lookup_event(move, from, c->kind)) == NULL)
		t = dipb_state_lookup(move, from);
	to = t != NULL ? t->to : new->status;
	if (new->status != to && !flagged) {
		dipb_vfy_finding(v, c->id, tag, path, "status",
		    "%s is stored as %s, but the event %s gives %s", c->record,
		    dipb_status_name(new->status), c->event,
		    dipb_status_name(to));
		flagged = 1;
	}
	want = xasprintf("%s -> %s", from == DIPB_STATUS_NONE ? "none" :
	    dipb_status_name(from), dipb_status_name(new->status));
	/* A record's change without Dipb-Status is not replayed
	 * (read_trailers). */
	if (!flagged && c->status != NULL && strcmp(c->status, want) != 0)
		dipb_vfy_finding(v, c->id, tag, path, "trailers",
		    "Dipb-Status says '%s', the history gives '%s'",
		    c->status, want);
	free(want);
}

/*
 * Who made c: the role of its member as of the parent commit, never the
 * author's own review; and the record's author, the drafter's for good.
 */
static void
check_who(struct verify *v, const struct commit *c, const char *path,
    const char *tag, const struct dipb_record *old,
    const struct dipb_record *new, enum dipb_move move)
{
	const struct dipb_error *e;

	if (is_review_move(move) && dipb_vfy_same_email(new->author, c->email))
		dipb_vfy_finding(v, c->id, tag, path, "self-review",
		    "%s reviews %s, of which they are the author", c->email,
		    c->record);
	else if (!v->have_board)
		dipb_vfy_finding(v, c->id, tag, path, "role",
		    "no dipb.yaml before this change: nobody holds a role");
	else if ((e = dipb_state_permit(&v->board, c->email, move,
	    move == DIPB_MOVE_RECOMMEND ? NULL : old != NULL ? old : new,
	    move == DIPB_MOVE_RECOMMEND ? new->working_group : NULL)) != NULL) {
		dipb_vfy_finding(v, c->id, tag, path, "role", "%s", e->msg);
		dipb_error_free(e);
	}
	if (move == DIPB_MOVE_RECOMMEND) {
		if (!dipb_vfy_same_email(new->author, c->email))
			dipb_vfy_finding(v, c->id, tag, path, "author",
			    "%s drafted by %s, but its author is %s",
			    c->record, c->email,
			    new->author != NULL ? new->author : "none");
	} else if (old != NULL &&
	    !dipb_vfy_same_email(old->author, new->author))
		dipb_vfy_finding(v, c->id, tag, path, "author",
		    "the author of %s changed from %s to %s", c->record,
		    old->author != NULL ? old->author : "none",
		    new->author != NULL ? new->author : "none");
}

/* An endorsement: its event says quorum was reached when it was. */
static void
check_quorum(struct verify *v, const struct commit *c, const char *path,
    const char *tag, const struct dipb_record *new, enum dipb_move move)
{
	unsigned n;
	int reached;

	if (move != DIPB_MOVE_ENDORSE || !v->have_board ||
	    new->nreviews == 0 ||
	    new->reviews[new->nreviews - 1].verdict != DIPB_VERDICT_ENDORSE)
		return;
	reached = dipb_state_quorum(&n, &v->board, new);
	if (dipb_event_reaches_quorum(c->kind) && !reached)
		dipb_vfy_finding(v, c->id, tag, path, "quorum",
		    "%s endorsed with %u of %u endorsements", c->record, n,
		    v->board.quorum);
	else if (!dipb_event_reaches_quorum(c->kind) && reached)
		dipb_vfy_finding(v, c->id, tag, path, "quorum",
		    "%s has %u of %u endorsements but is not endorsed",
		    c->record, n, v->board.quorum);
}

/*
 * The control characters a change adds to its record's fields, each
 * field's first a record-invalid finding with validate's diagnostic
 * (dipb-validate(1), control-character): dipb's commands write none, and
 * sync's replay drops a change that adds one.  A value the record before
 * the change (old) held in the same field is not the change's: a record
 * written before the rule, or by a change already reported, can still
 * move.  Only a file that holds one at all (ch->controls, found as it
 * loaded) is looked at again.
 */
static void
check_controls(struct verify *v, const struct commit *c,
    const struct change *ch, const char *tag, const struct dipb_record *old)
{
	struct dipb_diags diags = DIPB_DIAGS_INIT;

	if (!ch->controls)
		return;
	(void)dipb_validate_controls(&diags, ch->path, ch->rec, old,
	    DIPB_TEXT_LINE_OLD);
	diag_findings(v, c, ch->path, tag, "record-invalid", &diags);
	dipb_diags_release(&diags);
}

/* The state change c of its own record, which ch changed. */
void
dipb_vfy_check_record_change(struct verify *v, const struct commit *c,
    struct change *ch, const char *tag)
{
	struct recstate *rs = dipb_vfy_recstate(v, c->record);
	const struct dipb_record *old = rs->exists ?
	    dipb_vfy_rs_rec(v, rs) : NULL;
	struct dipb_record *new;
	enum dipb_move move;

	if (ch->new_mode == 0) {
		dipb_vfy_finding(v, c->id, tag, ch->path, "record-deleted",
		    "%s %s deletes %s", c->record, c->event, ch->path);
		forget_record(rs, 0);
		return;
	}
	if ((new = ch->rec) == NULL) {
		dipb_vfy_finding(v, c->id, tag, ch->path, "record-invalid",
		    "%s", ch->why != NULL ? ch->why : "does not load");
		forget_record(rs, 1);
		return;
	}
	if (strcmp(new->id, c->record) != 0)
		dipb_vfy_finding(v, c->id, tag, ch->path, "record-id",
		    "%s holds id %s", ch->path, new->id);
	check_controls(v, c, ch, tag, old);
	move = dipb_event_move(c->kind, new);
	check_move(v, c, ch->path, tag, rs, old, new, move);
	check_who(v, c, ch->path, tag, old, new, move);
	/* What: only what the move may change. */
	check_fields(v, c, ch->path, tag, old, new, move);
	check_reviews(v, c, ch->path, tag, old, new, move);
	check_classification(v, c, ch->path, tag, old, new, move);
	check_quorum(v, c, ch->path, tag, new, move);
	dipb_vfy_check_record_subject(v, c, tag, ch->path, old, new);
	/* Believe the file from here on: one tampering, one finding. */
	ch->rec = NULL;
	dipb_record_free(rs->rec);
	rs->rec = new;
	memcpy(rs->blob, ch->new_id, sizeof(rs->blob));
	rs->lazy = 0;
	rs->exists = 1;
	rs->unknown = 0;
	rs->status = new->status;
}


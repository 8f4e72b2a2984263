/*
 * todo.c - what waits for a member, by role (dipb-todo(1)).
 *
 * Everything comes from the records at the tip: a review is owed when
 * the member has none of the current text (their endorsement of an
 * earlier one no longer counts: state.c), and how long each has waited
 * is told by the record's own dates, so that no history is read.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "date.h"
#include "error.h"
#include "state.h"
#include "todo.h"

static const char *const kind_names[DIPB_TODO__COUNT] = { "review",
    "returned", "draft", "action", "submit", "decide", "board", "overdue" };
static const char *const kind_roles[DIPB_TODO__COUNT] = { "reviewer",
    "drafter", "drafter", "owner", "secretary", "secretary", "chair",
    "chair" };

const char *
dipb_todo_kind_name(enum dipb_todo_kind k)
{
	return (unsigned)k < DIPB_TODO__COUNT ? kind_names[k] : "unknown";
}

const char *
dipb_todo_kind_role(enum dipb_todo_kind k)
{
	return (unsigned)k < DIPB_TODO__COUNT ? kind_roles[k] : "unknown";
}

/* b - a in days, both "YYYY-MM-DD"; 0 when either is not a date. */
static long
days_between(const char *a, const char *b)
{
	int64_t ta, tb;

	if (a == NULL || b == NULL || dipb_date_midnight_utc(&ta, a) != 0 ||
	    dipb_date_midnight_utc(&tb, b) != 0)
		return 0;
	return (long)((tb - ta) / 86400);
}

static struct dipb_todo_item *
add(struct dipb_todo *t, enum dipb_todo_kind kind,
    const struct dipb_record *r, const char *since, const char *today)
{
	struct dipb_todo_item *it;

	xgrow((void **)&t->v, &t->cap, t->n + 1, sizeof(*t->v));
	it = &t->v[t->n++];
	memset(it, 0, sizeof(*it));
	it->kind = kind;
	it->rec = r;
	it->since = since;
	it->days = days_between(since, today);
	it->ahead = it->days < 0;
	if (it->ahead)
		it->days = 0;
	return it;
}

static const char *
last_change(const struct dipb_record *r)
{
	return r->updated != NULL ? r->updated : r->created;
}

static const struct dipb_review *
review_by(const struct dipb_record *r, const char *email)
{
	size_t i;

	for (i = 0; i < r->nreviews; i++)
		if (r->reviews[i].reviewer != NULL &&
		    strcasecmp(r->reviews[i].reviewer, email) == 0)
			return &r->reviews[i];
	return NULL;
}

/*
 * A review the member owes on in-review r: none written, or one of an
 * earlier text (an endorsement that no longer counts).  Waiting since
 * the first review of the current text, the earliest date it is known
 * to have been in review as it is, else since its last change.
 */
static void
reviews_owed(struct dipb_todo *t, const struct dipb_board *b,
    const char *email, const struct dipb_record *r, const char *today)
{
	const struct dipb_error *denied;
	const struct dipb_review *own;
	const char *since = NULL;
	char fp[DIPB_FINGERPRINT_LEN + 1];
	size_t i;

	if ((denied = dipb_state_permit(b, email, DIPB_MOVE_ENDORSE, r,
	    NULL)) != NULL) {
		dipb_error_free(denied);
		return;
	}
	dipb_record_fingerprint(r, fp);
	own = review_by(r, email);
	if (own != NULL && (dipb_review_counts(b, r, own, fp) ||
	    (own->fingerprint != NULL && strcmp(own->fingerprint, fp) == 0)))
		return;
	for (i = 0; i < r->nreviews; i++)
		if (r->reviews[i].fingerprint != NULL &&
		    strcmp(r->reviews[i].fingerprint, fp) == 0 &&
		    r->reviews[i].date != NULL &&
		    (since == NULL || strcmp(r->reviews[i].date, since) < 0))
			since = r->reviews[i].date;
	add(t, DIPB_TODO_REVIEW, r, since != NULL ? since : last_change(r),
	    today)->review = own;
}

/* The last review that asked for changes or objected: why r returned. */
static const struct dipb_review *
returning_review(const struct dipb_record *r)
{
	const struct dipb_review *rv = NULL;
	size_t i;

	for (i = 0; i < r->nreviews; i++)
		if (r->reviews[i].verdict != DIPB_VERDICT_ENDORSE &&
		    (rv == NULL || rv->date == NULL ||
		    (r->reviews[i].date != NULL &&
		    strcmp(r->reviews[i].date, rv->date) >= 0)))
			rv = &r->reviews[i];
	return rv;
}

/* The date the last endorsement that counts was given: the quorum's. */
static const char *
endorsed_on(const struct dipb_board *b, const struct dipb_record *r)
{
	const char *d = NULL;
	char fp[DIPB_FINGERPRINT_LEN + 1];
	size_t i;

	dipb_record_fingerprint(r, fp);
	for (i = 0; i < r->nreviews; i++)
		if (dipb_review_counts(b, r, &r->reviews[i], fp) &&
		    r->reviews[i].date != NULL &&
		    (d == NULL || strcmp(r->reviews[i].date, d) > 0))
			d = r->reviews[i].date;
	return d != NULL ? d : last_change(r);
}

static void
actions(struct dipb_todo *t, const struct dipb_board *b,
    const struct dipb_record *r, const char *email, const char *name,
    int overdue_only, const char *today)
{
	struct dipb_todo_item *it;
	const struct dipb_action *a;
	const char *since, *due;
	size_t i;
	int own;

	since = r->decision != NULL ? r->decision->date : last_change(r);
	for (i = 0; i < r->nactions; i++) {
		a = &r->actions[i];
		/* Of a deferred or declined decision, none is open yet. */
		if (!dipb_state_action_open(r, a))
			continue;
		/* The date in force: a due date moved (action --due) counts. */
		due = dipb_action_due(a);
		own = email != NULL &&
		    dipb_owner_names(b, a->owner, email, name);
		if (overdue_only ? own ||
		    !dipb_state_action_overdue(r, a, today) : !own)
			continue;
		it = add(t, overdue_only ? DIPB_TODO_OVERDUE : DIPB_TODO_ACTION,
		    r, since, today);
		it->action = a;
		it->number = i + 1;
		if (due != NULL) {
			it->has_due = 1;
			it->due_in = days_between(today, due);
		}
	}
}

/* Whether some member of b holds the secretary role itself. */
static int
has_secretary(const struct dipb_board *b)
{
	size_t i;

	for (i = 0; i < b->nmembers; i++)
		if (b->members[i].roles & DIPB_ROLE_SECRETARY)
			return 1;
	return 0;
}

static int
cmpitem(const void *x, const void *y)
{
	const struct dipb_todo_item *a = x, *b = y;

	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	/* Keep the records' order: stable on their address. */
	if (a->rec != b->rec)
		return a->rec < b->rec ? -1 : 1;
	return a->number < b->number ? -1 : a->number > b->number;
}

void
dipb_todo_collect(struct dipb_todo *t, const struct dipb_board *b,
    const char *email, const struct dipb_member *m,
    const struct dipb_record *recs, size_t n, const char *today)
{
	const struct dipb_record *r;
	const struct dipb_review *rv;
	const char *name = m != NULL ? m->name : NULL;
	size_t i;
	int mine, secretary, chair;

	/*
	 * A chair holds every power of a secretary (dipb-board(5)): on a
	 * board without a secretary the chair gets theirs too.
	 */
	secretary = m != NULL && ((m->roles & DIPB_ROLE_SECRETARY) ||
	    ((m->roles & DIPB_ROLE_CHAIR) && !has_secretary(b)));
	chair = m != NULL && (m->roles & DIPB_ROLE_CHAIR);
	for (i = 0; i < n; i++) {
		r = &recs[i];
		mine = m != NULL && r->author != NULL &&
		    strcasecmp(r->author, email) == 0;
		switch (r->status) {
		case DIPB_STATUS_IN_REVIEW:
			if (m != NULL)
				reviews_owed(t, b, email, r, today);
			break;
		case DIPB_STATUS_RETURNED:
			if (!mine)
				break;
			rv = returning_review(r);
			add(t, DIPB_TODO_RETURNED, r, rv != NULL &&
			    rv->date != NULL ? rv->date : last_change(r),
			    today)->review = rv;
			break;
		case DIPB_STATUS_DRAFT:
			if (mine)
				add(t, DIPB_TODO_DRAFT, r, last_change(r),
				    today);
			break;
		case DIPB_STATUS_ENDORSED:
			if (secretary)
				add(t, DIPB_TODO_SUBMIT, r, endorsed_on(b, r),
				    today);
			break;
		case DIPB_STATUS_SUBMITTED:
			if (secretary)
				add(t, DIPB_TODO_DECIDE, r,
				    r->submission != NULL ?
				    r->submission->date : last_change(r),
				    today);
			/* Once only, for a chair who records it too. */
			else if (chair)
				add(t, DIPB_TODO_BOARD, r,
				    r->submission != NULL ?
				    r->submission->date : last_change(r),
				    today);
			break;
		case DIPB_STATUS_DECIDED:
			actions(t, b, r, email, name, 0, today);
			if (chair)
				actions(t, b, r, email, name, 1, today);
			break;
		default:
			break;
		}
	}
	if (t->n > 1)
		qsort(t->v, t->n, sizeof(*t->v), cmpitem);
}

void
dipb_todo_release(struct dipb_todo *t)
{
	free(t->v);
	memset(t, 0, sizeof(*t));
}

/*
 * replay/inputs.c - a local change's inputs (the fields its event sets,
 * dipb_event_fields()) taken from the record it wrote into the record as
 * the new parent has it.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"

/* The review of reviewer in rec; NULL when none. */
struct dipb_review *
dipb_rpl_review_of(struct dipb_record *rec, const char *reviewer)
{
	size_t i;

	for (i = rec->nreviews; i-- > 0;)
		if (rec->reviews[i].reviewer != NULL &&
		    strcasecmp(rec->reviews[i].reviewer, reviewer) == 0)
			return &rec->reviews[i];
	return NULL;
}

/*
 * Swaps two fields of the same type (a pointer, a list, a struct): for
 * two types the comparison of their addresses draws a warning, which
 * the build's -Werror (CI=true) makes an error.
 */
#define SWAP(a, b)	do {						\
	unsigned char tmp_[sizeof(a)];					\
	_Static_assert(sizeof(a) == sizeof(b), "SWAP: two sizes");	\
	(void)sizeof(&(a) == &(b));					\
	memcpy(tmp_, &(a), sizeof(a));					\
	memcpy(&(a), &(b), sizeof(a));					\
	memcpy(&(b), tmp_, sizeof(b));					\
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
void
dipb_rpl_apply_inputs(struct dipb_record *res, struct dipb_record *after,
    const struct dipb_record *before, enum dipb_event_kind event,
    const char *reviewer)
{
	unsigned f = dipb_event_fields(event);
	struct dipb_review *rv, copy;
	size_t i;

	if (f & DIPB_FIELD_DRAFT) {
		SWAP(res->title, after->title);
		SWAP(res->priority, after->priority);
		SWAP(res->topics, after->topics);
		SWAP(res->topics_at, after->topics_at);
		SWAP(res->summary, after->summary);
		SWAP(res->rationale, after->rationale);
		SWAP(res->actions, after->actions);
		SWAP(res->nactions, after->nactions);
		SWAP(res->references, after->references);
		SWAP(res->references_at, after->references_at);
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
	    (rv = dipb_rpl_review_of(after, reviewer)) != NULL) {
		copy = *rv;
		memset(rv, 0, sizeof(*rv));
		rv->reviewer = xstrdup(copy.reviewer);	/* after stays whole */
		dipb_record_put_review(res, &copy);
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

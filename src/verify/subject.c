/*
 * verify/subject.c - the subject of each state change: the one dipb
 * writes for it (dipb-workflow(7), "Commits and tags"), which dipb log
 * and dipb report minutes show and read (dipb-verify(1), subject).
 */
#include <stdlib.h>
#include <string.h>

#include "../subject.h"
#include "internal.h"

void
dipb_vfy_check_subject(struct verify *v, const struct commit *c,
    const char *tag, const char *path, const struct dipb_subject *s)
{
	struct dipb_subject_pattern want;
	char *show;

	/* Read with the window (dipb_vfy_window_to), as every change is. */
	if (c->subject == NULL)
		return;
	dipb_subject_pattern(&want, s);
	if (!dipb_subject_match(c->subject, &want)) {
		show = dipb_subject_pattern_show(&want);
		dipb_vfy_finding(v, c->id, tag, path, "subject", "the subject "
		    "is '%s', where dipb writes '%s' for this change",
		    c->subject, show);
		free(show);
	}
	dipb_subject_pattern_release(&want);
}

/* The action whose state c changed, from old to new: 1 and *n, else 0. */
static int
action_updated(unsigned long *n, const struct dipb_record *old,
    const struct dipb_record *new)
{
	enum dipb_action_state was;
	size_t i;

	for (i = 0; i < new->nactions; i++) {
		was = i < old->nactions ? old->actions[i].state :
		    DIPB_ACTION_OPEN;
		if (new->actions[i].state != was) {
			*n = (unsigned long)i + 1;
			return 1;
		}
	}
	return 0;
}

/* The action whose rescheduled list grew, old to new: 1 and *n, else 0. */
static int
action_moved(unsigned long *n, const struct dipb_record *old,
    const struct dipb_record *new)
{
	size_t i;

	for (i = 0; i < new->nactions; i++)
		if (new->actions[i].nrescheduled > (i < old->nactions ?
		    old->actions[i].nrescheduled : 0)) {
			*n = (unsigned long)i + 1;
			return 1;
		}
	return 0;
}

/*
 * What the subject of record change c names, from the record before it
 * (old, NULL when not known) and after (new): 0 when a value it names
 * is not there to read, which another rule reports.  Names and the
 * count of endorsements are left to any text: an earlier dipb wrote the
 * acting git identity's name, not the board's, and an endorsement
 * counted as the rules of its day did (dipb-verify(1), subject).
 */
static int
record_subject(struct dipb_subject *s, const struct commit *c,
    const struct dipb_record *old, const struct dipb_record *new)
{
	const struct dipb_action *a;
	const struct dipb_reschedule *x;
	unsigned long n;

	memset(s, 0, sizeof(*s));
	s->kind = c->kind;
	s->id = c->record;
	switch (c->kind) {
	case DIPB_EVENT_RETURNED:
		if (new->nreviews == 0 || new->reviews[new->nreviews -
		    1].verdict == DIPB_VERDICT_ENDORSE)
			return 0;
		s->verdict = new->reviews[new->nreviews - 1].verdict;
		return 1;
	case DIPB_EVENT_SUBMITTED:
		if (new->submission == NULL)
			return 0;
		s->to = new->submission->to;
		s->ref = new->submission->reference;
		return 1;
	case DIPB_EVENT_DECIDED:
		if (new->decision == NULL)
			return 0;
		s->outcome = new->decision->outcome;
		return 1;
	case DIPB_EVENT_ACTION_UPDATED:
		if (old == NULL || !action_updated(&n, old, new))
			return 0;
		s->action = n;
		s->state = new->actions[n - 1].state;
		return 1;
	case DIPB_EVENT_ACTION_RESCHEDULED:
		if (old == NULL || !action_moved(&n, old, new))
			return 0;
		a = &new->actions[n - 1];
		x = &a->rescheduled[a->nrescheduled - 1];
		if (x->to == NULL)
			return 0;
		s->action = n;
		s->due = x->to;
		s->was = x->from;
		return 1;
	case DIPB_EVENT_DECLASSIFIED:
		if (old == NULL || old->classification == NULL ||
		    new->classification == NULL)
			return 0;
		s->from = old->classification;
		s->level = new->classification;
		return 1;
	default:
		return 1;
	}
}

void
dipb_vfy_check_record_subject(struct verify *v, const struct commit *c,
    const char *tag, const char *path, const struct dipb_record *old,
    const struct dipb_record *new)
{
	struct dipb_subject s;

	if (record_subject(&s, c, old, new))
		dipb_vfy_check_subject(v, c, tag, path, &s);
}

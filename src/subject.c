/*
 * subject.c - the subject of each event's commit (subject.h), in the
 * words of dipb-workflow(7), "Commits and tags".
 */
#include <stdlib.h>
#include <string.h>

#include "subject.h"
#include "util.h"

/* s, or DIPB_SUBJECT_ANY in a string of its own when NULL. */
static const char *
val(const char *s)
{
	static const char any[] = { DIPB_SUBJECT_ANY, '\0' };

	return s != NULL ? s : any;
}

/* The words after "ID: ", into b. */
static void
what(struct dipb_buf *b, const struct dipb_subject *s)
{
	const char *by = val(s->by);

	switch (s->kind) {
	case DIPB_EVENT_DRAFTED:
		dipb_buf_printf(b, "drafted by %s", by);
		break;
	case DIPB_EVENT_EDITED:
		dipb_buf_printf(b, "edited by %s", by);
		break;
	case DIPB_EVENT_REVIEW_REQUESTED:
		dipb_buf_printf(b, "review requested by %s", by);
		break;
	case DIPB_EVENT_REVIEWED:
	case DIPB_EVENT_ENDORSED:
		dipb_buf_printf(b, "endorsed by %s (%s)", by, val(s->tally));
		break;
	case DIPB_EVENT_RETURNED:
		dipb_buf_printf(b, "%s by %s", s->verdict ==
		    DIPB_VERDICT_OBJECT ? "objection" : "changes requested",
		    by);
		break;
	case DIPB_EVENT_RECALLED:
		dipb_buf_printf(b, "recalled by %s", by);
		break;
	case DIPB_EVENT_SUBMITTED:
		dipb_buf_printf(b, "submitted to %s (%s)", val(s->to),
		    val(s->ref));
		break;
	case DIPB_EVENT_DECIDED:
		dipb_buf_printf(b, "decided: %s",
		    dipb_outcome_name(s->outcome));
		break;
	case DIPB_EVENT_WITHDRAWN:
		dipb_buf_printf(b, "withdrawn by %s", by);
		break;
	case DIPB_EVENT_ACTION_UPDATED:
		dipb_buf_printf(b, "action %lu %s", s->action,
		    dipb_action_state_name(s->state));
		break;
	case DIPB_EVENT_ACTION_RESCHEDULED:
		dipb_buf_printf(b, "action %lu due %s", s->action,
		    val(s->due));
		if (s->was != NULL)
			dipb_buf_printf(b, ", was %s", s->was);
		break;
	case DIPB_EVENT_DECLASSIFIED:
		dipb_buf_printf(b, "declassified from %s to %s by %s",
		    val(s->from), val(s->level), by);
		break;
	case DIPB_EVENT_REPLIED:
		dipb_buf_printf(b, "reply to %s by %s", val(s->reviewer), by);
		break;
	case DIPB_EVENT_CREATED:
		dipb_buf_printf(b, "created by %s", by);
		break;
	case DIPB_EVENT_CHANGED:
		dipb_buf_printf(b, "changed by %s", by);
		break;
	case DIPB_EVENT_MIGRATED:
		dipb_buf_printf(b, "%zu record%s moved to the %s layout by %s",
		    s->moved, s->moved == 1 ? "" : "s", val(s->layout), by);
		break;
	case DIPB_EVENT_HELD:
		dipb_buf_printf(b, "%s held, recorded by %s", val(s->date),
		    by);
		break;
	case DIPB_EVENT__COUNT:
		break;
	}
}

char *
dipb_subject_make(const struct dipb_subject *s)
{
	struct dipb_buf b = DIPB_BUF_INIT;

	dipb_buf_printf(&b, "%s: ", val(s->id));
	what(&b, s);
	return dipb_buf_detach(&b);
}

/*
 * As a glob's '*' after a '?', in one pass that goes back only to the
 * last DIPB_SUBJECT_ANY: a subject read from git may be long, and its
 * time stays that of its length times want's.
 */
int
dipb_subject_match(const char *subject, const char *want)
{
	const char *star = NULL, *from = NULL;

	while (*subject != '\0') {
		if (*want == DIPB_SUBJECT_ANY) {
			/* One character at least, then as few as fit. */
			star = ++want;
			from = ++subject;
		} else if (*want != '\0' && *want == *subject) {
			want++;
			subject++;
		} else if (star != NULL) {
			want = star;
			subject = ++from;
		} else
			return 0;
	}
	return *want == '\0';
}

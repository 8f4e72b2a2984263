/*
 * subject.h - the subject of each event's commit, as dipb-workflow(7)
 * gives it ("Commits and tags"): the one place its words are made, for
 * the commands and dipb sync that write it and for dipb verify, which
 * checks it (dipb-verify(1), subject).  Pure: no I/O.
 */
#ifndef DIPB_SUBJECT_H
#define DIPB_SUBJECT_H

#include <stddef.h>

#include "record.h"
#include "state.h"

/*
 * What a subject names.  A string left NULL is one the reader does not
 * know (dipb verify: a name, a count): the subject made stands any
 * non-empty text there (DIPB_SUBJECT_ANY).  A writer gives them all.
 */
struct dipb_subject {
	enum dipb_event_kind	 kind;
	const char		*id;	/* the record, "board" or "meeting" */
	const char		*by;	/* the acting member's name */
	/* reviewed, endorsed: "<fresh endorsements>/<quorum>" */
	const char		*tally;
	enum dipb_verdict	 verdict;	/* returned */
	const char		*to;		/* submitted */
	const char		*ref;
	enum dipb_outcome	 outcome;	/* decided */
	/* action-updated, action-rescheduled: the action's number */
	unsigned long		 action;
	enum dipb_action_state	 state;		/* action-updated */
	const char		*due;		/* action-rescheduled; */
	const char		*was;		/* NULL: it had no due date */
	const char		*from;		/* declassified */
	const char		*level;
	const char		*reviewer;	/* replied: the name */
	size_t			 moved;		/* migrated: records moved */
	const char		*layout;	/* and the layout */
	const char		*date;		/* held: the meeting's */
};

/* What a NULL string of struct dipb_subject stands for in a subject. */
#define DIPB_SUBJECT_ANY	'\001'

/*
 * The subject of s's change, "IC-0007: decided: agreed" (caller frees),
 * DIPB_SUBJECT_ANY where a string is NULL.
 */
char	*dipb_subject_make(const struct dipb_subject *s);

/*
 * 1 when subject is the one want (from dipb_subject_make) says, any
 * non-empty text standing where it has DIPB_SUBJECT_ANY; 0 otherwise.
 */
int	 dipb_subject_match(const char *subject, const char *want);

#endif /* DIPB_SUBJECT_H */

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
 * What a subject names.  dipb_subject_make, for a writer, takes every
 * string the event's words name (and aborts otherwise, in every build):
 * a commit never holds a gap.  dipb_subject_pattern, for dipb verify,
 * takes a NULL string as one it does not know (a name, a count): a gap,
 * any non-empty text.
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

/*
 * The subject of s's change, "IC-0007: decided: agreed" (caller frees),
 * every string its words name given.
 */
char	*dipb_subject_make(const struct dipb_subject *s);

/* The most gaps a pattern has: one for each string an event names. */
#define DIPB_SUBJECT_GAPS	4

/*
 * A subject as dipb verify expects it: its text, each string given
 * cleaned as a subject read from git is (dipb_text_clean: a control
 * character is '?' on both sides), and the gaps, any non-empty text,
 * where a string of struct dipb_subject was NULL or holds a line end
 * ('\n', '\r': the subject read has its lines trimmed and joined), by
 * their offsets in text (in order; two at one offset are two gaps).  Out of band: no
 * byte of a record's text stands for a gap.
 */
struct dipb_subject_pattern {
	char		*text;
	size_t		 gaps[DIPB_SUBJECT_GAPS];
	size_t		 ngaps;
};

/* The pattern of s into out (dipb_subject_pattern_release frees it). */
void	 dipb_subject_pattern(struct dipb_subject_pattern *out,
	    const struct dipb_subject *s);
void	 dipb_subject_pattern_release(struct dipb_subject_pattern *);

/* 1 when subject is the one p says, some text in each gap; 0 otherwise. */
int	 dipb_subject_match(const char *subject,
	    const struct dipb_subject_pattern *p);

/*
 * p as a finding shows it (caller frees): a '*' for each gap, and a '\'
 * before each '*' and '\' of its text, which a gap can then not be
 * taken for.
 */
char	*dipb_subject_pattern_show(const struct dipb_subject_pattern *p);

#endif /* DIPB_SUBJECT_H */

/*
 * todo.h - what waits for one member of the board (dipb-todo(1)), by
 * role, from the records at the tip alone: the record's own dates say
 * how long each has waited.  Pure: no I/O, no printing.
 */
#ifndef DIPB_TODO_H
#define DIPB_TODO_H

#include "board.h"
#include "record.h"

/* The sections of dipb-todo(1), in the order they are printed. */
enum dipb_todo_kind {
	DIPB_TODO_REVIEW,	/* reviewer: in review, their review owed */
	DIPB_TODO_RETURNED,	/* drafter: returned to its author */
	DIPB_TODO_DRAFT,	/* drafter: their draft, not yet in review */
	DIPB_TODO_ACTION,	/* owner: an open action of a decided record */
	DIPB_TODO_SUBMIT,	/* secretary: endorsed, to submit */
	DIPB_TODO_DECIDE,	/* secretary: submitted, its decision to record */
	DIPB_TODO_BOARD,	/* chair: submitted, awaiting the board */
	DIPB_TODO_OVERDUE,	/* chair: an overdue action, any owner's */
	DIPB_TODO__COUNT
};

struct dipb_todo_item {
	enum dipb_todo_kind		 kind;
	const struct dipb_record	*rec;		/* borrowed */
	/* ACTION, OVERDUE: the action, its number
	 * (action - rec->actions) + 1. */
	const struct dipb_action	*action;
	size_t				 number;
	/*
	 * REVIEW: the member's own earlier review, NULL when none;
	 * RETURNED: the review that returned it (NULL: unknown).
	 */
	const struct dipb_review	*review;
	const char			*since;		/* borrowed; may be NULL */
	/*
	 * today - since, >= 0: a since after today (a change dated in a
	 * zone ahead of the reader's; dipb-todo(1)) is 0, and ahead.
	 */
	long				 days;
	int				 ahead;
	/* ACTION, OVERDUE with a due date: due - today (< 0: overdue). */
	int				 has_due;
	long				 due_in;
};

struct dipb_todo {
	struct dipb_todo_item	*v;
	size_t			 n;
	size_t			 cap;
};

/*
 * Fills out (zeroed) with what waits for the member with email (m: that
 * member on board b, or NULL for someone who is not one, who gets only
 * the actions they own) among the n records recs (sorted as they are to
 * be listed), today being "YYYY-MM-DD".  The items borrow from recs;
 * release with dipb_todo_release().
 */
void	 dipb_todo_collect(struct dipb_todo *out, const struct dipb_board *b,
	    const char *email, const struct dipb_member *m,
	    const struct dipb_record *recs, size_t n, const char *today);
void	 dipb_todo_release(struct dipb_todo *);

/* The word of kind in the JSON ("review", "returned"...). */
const char *dipb_todo_kind_name(enum dipb_todo_kind);
/* The role a kind is for: "reviewer", "drafter", "owner"... */
const char *dipb_todo_kind_role(enum dipb_todo_kind);

#endif /* DIPB_TODO_H */

/*
 * state.h - the workflow of DESIGN.md section 5: which move is allowed
 * from which status, to which status, for which role.  Pure: no I/O.
 */
#ifndef DIPB_STATE_H
#define DIPB_STATE_H

#include "board.h"
#include "record.h"

enum dipb_move {
	DIPB_MOVE_RECOMMEND,
	DIPB_MOVE_EDIT,
	DIPB_MOVE_REQUEST,
	DIPB_MOVE_ENDORSE,
	DIPB_MOVE_REQUEST_CHANGES,
	DIPB_MOVE_OBJECT,
	DIPB_MOVE_SUBMIT,
	DIPB_MOVE_DECIDE,
	DIPB_MOVE_WITHDRAW,
	DIPB_MOVE_ACTION,
	DIPB_MOVE__COUNT
};

struct dipb_transition {
	enum dipb_move		 move;
	enum dipb_status	 from;
	enum dipb_status	 to;	/* ENDORSE: before the quorum check */
	enum dipb_role		 role;
	const char		*event;
};

/* The command a user types for a move, e.g. "review --request". */
const char *dipb_move_name(enum dipb_move);

/* The transition for move from status; NULL when not allowed. */
const struct dipb_transition *dipb_state_lookup(enum dipb_move,
	    enum dipb_status from);

/*
 * NULL when move is allowed from the record's status, else
 * DIPB_ERR_TRANSITION naming the current status and the allowed moves.
 */
const struct dipb_error *dipb_state_check(const char *id, enum dipb_move,
	    enum dipb_status from);

/*
 * NULL when the member with email may make move on r (r NULL for
 * recommend, wg_key giving the group), else DIPB_ERR_DENIED naming the
 * role needed.  Withdraw is also allowed to the record's author; a
 * reviewer may not review their own recommendation.
 */
const struct dipb_error *dipb_state_permit(const struct dipb_board *,
	    const char *email, enum dipb_move, const struct dipb_record *r,
	    const char *wg_key);

/* 1 if review counts: an endorsement of the record's current content by a
 * member with the reviewer role who is not the author. */
int	 dipb_review_counts(const struct dipb_board *,
	    const struct dipb_record *, const struct dipb_review *,
	    const char *fingerprint);

/* The number of endorsements that count towards the quorum. */
unsigned dipb_state_endorsements(const struct dipb_board *,
	    const struct dipb_record *);

#endif /* DIPB_STATE_H */

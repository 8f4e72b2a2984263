/*
 * state.h - the workflow of dipb-workflow(7) in one table: the moves, the
 * status each is allowed from and leads to, the role it needs, the event
 * it makes (the word of the Dipb-Event trailer and of the tag
 * <record>/<N>-<event>), and the quorum that turns an endorsement into
 * "endorsed".  Pure: no I/O.
 *
 * A new move is one value of enum dipb_move, its name, and one row of the
 * table in state.c per status it is allowed from; a new event is one
 * value of enum dipb_event_kind and its name.
 */
#ifndef DIPB_STATE_H
#define DIPB_STATE_H

#include "board.h"
#include "record.h"

/* The Dipb-Record of a change of dipb.yaml, and the record of its tags. */
#define DIPB_BOARD_RECORD	"board"

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
	DIPB_MOVE_DECLASSIFY,	/* its role is the board's declassify: */
	DIPB_MOVE_REPLY,	/* the drafter answers a review: --reply-to */
	DIPB_MOVE_RECALL,	/* review --recall: back to draft */
	DIPB_MOVE_INIT,		/* of the board: dipb init */
	DIPB_MOVE_EDIT_BOARD,	/* of the board: dipb edit --board */
	DIPB_MOVE_MEETING,	/* a meeting's record: dipb meeting */
	DIPB_MOVE_RESCHEDULE,	/* action --due: an action's due date moved */
	DIPB_MOVE_MIGRATE,	/* of the board: dipb migrate */
	DIPB_MOVE__COUNT
};

/*
 * The events of dipb-workflow(7), "Commits and tags".  CREATED, CHANGED
 * and MIGRATED are the board's (Dipb-Record: board), HELD a meeting's
 * (Dipb-Record: meeting), the others a record's.
 */
enum dipb_event_kind {
	DIPB_EVENT_DRAFTED,
	DIPB_EVENT_EDITED,
	DIPB_EVENT_REVIEW_REQUESTED,
	DIPB_EVENT_REVIEWED,
	DIPB_EVENT_ENDORSED,
	DIPB_EVENT_RETURNED,
	DIPB_EVENT_SUBMITTED,
	DIPB_EVENT_DECIDED,
	DIPB_EVENT_WITHDRAWN,
	DIPB_EVENT_ACTION_UPDATED,
	DIPB_EVENT_DECLASSIFIED,
	DIPB_EVENT_REPLIED,
	DIPB_EVENT_RECALLED,
	DIPB_EVENT_CREATED,
	DIPB_EVENT_CHANGED,
	DIPB_EVENT_HELD,	/* a meeting's (Dipb-Record: meeting) */
	DIPB_EVENT_ACTION_RESCHEDULED,
	DIPB_EVENT_MIGRATED,	/* the board's: every record moved */
	DIPB_EVENT__COUNT
};

/*
 * One row of the table.  A move has one row per status it is allowed
 * from; an endorsement has two from in-review, the second with
 * DIPB_T_QUORUM, taken instead of the first when the endorsements reach
 * the board's quorum.  The board's moves have from and to NONE.
 */
struct dipb_transition {
	enum dipb_move		 move;
	enum dipb_status	 from;
	enum dipb_status	 to;
	enum dipb_role		 role;
	enum dipb_event_kind	 event;
	unsigned		 flags;
};

#define DIPB_T_QUORUM	0x1	/* only when the quorum is reached */
#define DIPB_T_DEFERRED	0x2	/* only from a deferred decision */
#define DIPB_T_NOT_OWNER 0x4	/* never by the owner of the action it
				   changes: dipb_state_permit_action */
#define DIPB_T_IN_FORCE	0x8	/* only while the decision is agreed or
				   noted: its actions are in force */

/*
 * The parts of a record an event may change (dipb-workflow(7), "Fields"),
 * bits of dipb_event_fields().  What no bit names no event changes once
 * drafted: id, author and (dipb-verify(1) has their own rules) status and
 * the reviews other than the acting reviewer's own.  classification is
 * not in this table.
 */
#define DIPB_FIELD_DRAFT	0x001	/* title, priority, topics, summary,
					   rationale, references, actions
					   (text, owner, due; added, removed) */
#define DIPB_FIELD_WG		0x002	/* working_group */
#define DIPB_FIELD_CREATED	0x004	/* created */
#define DIPB_FIELD_UPDATED	0x008	/* updated */
#define DIPB_FIELD_REVIEW	0x010	/* the acting reviewer's review */
#define DIPB_FIELD_SUBMISSION	0x020	/* submission */
#define DIPB_FIELD_DECISION	0x040	/* decision */
#define DIPB_FIELD_WITHDRAWAL	0x080	/* withdrawal */
#define DIPB_FIELD_ACTION_STATE	0x100	/* the state of an action */
#define DIPB_FIELD_REPLY	0x200	/* one reply added, the acting
					   member's (replies) */
#define DIPB_FIELD_ACTION_DUE	0x400	/* one entry added to one action's
					   rescheduled list, the acting
					   member's */

/*
 * The DIPB_FIELD_* bits of what event may change, from the one table of
 * state.c; 0 for the board's events and for an event without a row.  A
 * date among them (created, updated, the review's, the submission's, the
 * decision's, the withdrawal's) may change only to the change's own date.
 */
unsigned dipb_event_fields(enum dipb_event_kind);

/* The command a user types for a move, e.g. "review --request". */
const char *dipb_move_name(enum dipb_move);

/* 1 for the moves of the board (init, edit --board, migrate), else 0. */
int	 dipb_move_is_board(enum dipb_move);

/*
 * 1 when move adds a review (review --endorse, --request-changes,
 * --object) and sets *out (may be NULL) to its verdict; else 0.
 */
int	 dipb_move_verdict(enum dipb_verdict *out, enum dipb_move);

/* The role the table gives move (one role per move). */
enum dipb_role dipb_move_role(enum dipb_move);
/*
 * The role the table gives the move of the board's or a meeting's event
 * (created: init; migrated: migrate; held: meeting); edit --board's for
 * every other event, as a change of dipb.yaml under another event is
 * judged (dipb-verify(1), role).
 */
enum dipb_role dipb_event_role(enum dipb_event_kind);

/*
 * The role move needs on board b: the table's, but for declassify the
 * role the board names in declassify: (dipb-board(5)).
 */
enum dipb_role dipb_state_role(const struct dipb_board *b, enum dipb_move);

/* The word of an event: "drafted", "review-requested", "created". */
const char *dipb_event_name(enum dipb_event_kind);

/*
 * Sets *out to the event named name and returns 0 when it is an event of
 * record: the board's events when record is DIPB_BOARD_RECORD, a meeting's
 * when it is DIPB_MEETING_RECORD (meeting.h), a record's otherwise, any event when record is NULL.  -1 when it is not.  Names
 * are compared exactly (lower case, as dipb writes them).
 */
int	 dipb_event_parse(enum dipb_event_kind *out, const char *record,
	    const char *name);

/* 1 for the board's events (created, changed, migrated), else 0. */
int	 dipb_event_is_board(enum dipb_event_kind);

/* 1 for a meeting's events (held: dipb meeting), else 0. */
int	 dipb_event_is_meeting(enum dipb_event_kind);

/*
 * The move that makes event.  Where several make it (returned: review
 * --request-changes and --object), the one whose verdict is that of r's
 * last review; r may be NULL, giving the first in the table.
 */
enum dipb_move dipb_event_move(enum dipb_event_kind,
	    const struct dipb_record *r);

/* 1 when event is only made by reaching the quorum (endorsed), else 0. */
int	 dipb_event_reaches_quorum(enum dipb_event_kind);

/*
 * The row of move from status from, the one taken below the quorum; NULL
 * when the move is not allowed from there.
 */
const struct dipb_transition *dipb_state_lookup(enum dipb_move,
	    enum dipb_status from);

/* The row of move from status from that makes event; NULL when none. */
const struct dipb_transition *dipb_state_lookup_event(enum dipb_move,
	    enum dipb_status from, enum dipb_event_kind);

/*
 * The row a move takes from status from, r being the record with the
 * move's change made (for an endorsement, the new review added): the
 * DIPB_T_QUORUM row when dipb_state_quorum(r) says the quorum is reached,
 * else dipb_state_lookup's.  NULL when the move is not allowed from
 * there.  *nout (may be NULL) is set to the endorsements that count.
 */
const struct dipb_transition *dipb_state_next(unsigned *nout,
	    const struct dipb_board *, enum dipb_move, enum dipb_status from,
	    const struct dipb_record *r);

/*
 * 1 when the endorsements of r that count (dipb_state_endorsements) reach
 * the board's quorum, else 0; *nout (may be NULL) is set to their number.
 */
int	 dipb_state_quorum(unsigned *nout, const struct dipb_board *,
	    const struct dipb_record *r);

/*
 * NULL when move is allowed from the record's status, else
 * DIPB_ERR_TRANSITION naming the current status and the allowed moves
 * (declassify, allowed from every status, is not listed).
 */
const struct dipb_error *dipb_state_check(const char *id, enum dipb_move,
	    enum dipb_status from);

/*
 * 1 when move is allowed from r as it stands: a row from its status, and
 * the row's condition (DIPB_T_DEFERRED: r's decision is deferred;
 * DIPB_T_IN_FORCE: agreed or noted); else 0.
 */
int	 dipb_state_allows(enum dipb_move, const struct dipb_record *r);

/*
 * As dipb_state_check, of record r as it stands (the conditions of
 * dipb_state_allows too).  With b and email (may be NULL: the moves are
 * not told apart by who makes them) the refusal also says which of the
 * allowed moves that member may make, or, when none, whom the record
 * waits on (dipb-workflow(7), "Moves"):
 *
 *	IC-0001 is returned: cannot review --endorse (allowed: edit,
 *	review --request, withdraw, review --reply-to; none by you: it
 *	waits on a drafter of industrial-capacity)
 */
const struct dipb_error *dipb_state_check_record(const struct dipb_board *b,
	    const char *email, enum dipb_move, const struct dipb_record *r);

/*
 * NULL when the member with email may make move on r (r NULL for
 * recommend, wg_key giving the group, and for the board's moves), else
 * DIPB_ERR_DENIED naming the role needed.  Withdraw is also allowed to the
 * record's author; a reviewer may not review their own recommendation.
 */
const struct dipb_error *dipb_state_permit(const struct dipb_board *,
	    const char *email, enum dipb_move, const struct dipb_record *r,
	    const char *wg_key);

/*
 * NULL when the member with email may make move on action n (counting
 * from 1) of r, beyond the role dipb_state_permit checks; else
 * DIPB_ERR_DENIED: the move's rows say DIPB_T_NOT_OWNER and the action is
 * the member's own: its owner naming them on board b as dipb_owner_names
 * matches (action --due: dipb-workflow(7), "Moves"), which the command
 * refuses and sync's replay drops; or, b NULL, the owner being their
 * address as written, case aside, which dipb verify reports
 * (self-reschedule): every dipb refused that, and only that, so verify
 * fails no history a dipb wrote (dipb-verify(1)).
 */
const struct dipb_error *dipb_state_permit_action(const struct dipb_board *b,
	    const char *email, enum dipb_move, const struct dipb_record *r,
	    size_t n);

/*
 * NULL when some member of b may still make the board's own move, edit
 * --board (the role of its row, the chair): a member with that role, and
 * where b requires signing one with a key, as a change of dipb.yaml is
 * signed by a chair as of its parent commit (dipb-board(5), "Signing").
 * Else DIPB_ERR_INVALID saying why nobody could change the board again:
 * dipb edit --board refuses such a board, dipb validate reports it
 * (chair).
 */
const struct dipb_error *dipb_state_board_keeper(const struct dipb_board *b);

/* 1 if review counts: an endorsement of the record's current content by a
 * member with the reviewer role who is not the author. */
int	 dipb_review_counts(const struct dipb_board *,
	    const struct dipb_record *, const struct dipb_review *,
	    const char *fingerprint);

/*
 * 1 when r's decision is in force, agreed or noted: the one whose actions
 * arise and are tracked (dipb-workflow(7), "Moves"); else 0.
 */
int	 dipb_state_in_force(const struct dipb_record *r);
/*
 * 1 when action a of r is open and counts as such: r decided agreed or
 * noted, a's state open.  The actions of a deferred or declined decision
 * arise from nothing yet (dipb-workflow(7), "Moves"); else 0.
 */
int	 dipb_state_action_open(const struct dipb_record *r,
	    const struct dipb_action *a);

/*
 * 1 when action a of r was due (the date in force, dipb_action_due) before
 * the day r was decided: overdue from
 * that day on, which dipb validate warns of and report actions flags
 * (dipb-workflow(7), "Moves"); else 0, and when either date is missing.
 */
int	 dipb_state_action_late(const struct dipb_record *r,
	    const struct dipb_action *a);
/*
 * 1 when action a of r is overdue on day today (YYYY-MM-DD): open
 * (dipb_state_action_open) and due, the date in force, before it; the
 * rule of report actions, the agenda, the minutes and dipb todo.
 */
int	 dipb_state_action_overdue(const struct dipb_record *r,
	    const struct dipb_action *a, const char *today);

/* The number of endorsements that count towards the quorum. */
unsigned dipb_state_endorsements(const struct dipb_board *,
	    const struct dipb_record *);
/*
 * The tally an endorsement's subject gives, "<counted>/<quorum>"
 * (dipb_state_endorsements, the count the table's quorum sees; dipb-
 * workflow(7), "Commits and tags"), into out.
 */
#define DIPB_TALLY_MAX	24
void	 dipb_state_tally(char out[DIPB_TALLY_MAX], const struct dipb_board *,
	    const struct dipb_record *);
/*
 * The number of endorsements that hold an endorsed record r at its
 * status: as dipb_state_endorsements counts them, but whoever the
 * reviewers are now.  Each counted when it was given, by the board of
 * its time, as dipb verify judges (dipb-verify(1), quorum, role); a
 * reviewer who has since left the board, or lost the role, takes
 * nothing from it (dipb-validate(1), status).
 */
unsigned dipb_state_endorsements_given(const struct dipb_board *,
	    const struct dipb_record *);
/*
 * 1 when an endorsed record r is short of b's quorum, its endorsements
 * counted as dipb_state_endorsements_given counts them (*nout, may be
 * NULL); else 0, and for a record of another status.
 */
int	 dipb_state_short_of_quorum(unsigned *nout,
	    const struct dipb_board *b, const struct dipb_record *r);

#endif /* DIPB_STATE_H */

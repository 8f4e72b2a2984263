/*
 * state.c - the workflow table of dipb-workflow(7) and the role rules.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "error.h"
#include "meeting.h"
#include "state.h"


/*
 * Per move: the command a user types, the words of a refusal for want of
 * the role when they differ from the command, and the verdict of the
 * review it adds (NOREVIEW: none).
 */
#define NOREVIEW	(-1)
static const struct {
	const char	*name;
	const char	*deny;
	int		 verdict;
	int		 board;
} moves[DIPB_MOVE__COUNT] = {
	[DIPB_MOVE_RECOMMEND]	= { "recommend", NULL, NOREVIEW, 0 },
	[DIPB_MOVE_EDIT]	= { "edit", NULL, NOREVIEW, 0 },
	[DIPB_MOVE_REQUEST]	= { "review --request", NULL, NOREVIEW, 0 },
	[DIPB_MOVE_ENDORSE]	= { "review --endorse", NULL,
	    DIPB_VERDICT_ENDORSE, 0 },
	[DIPB_MOVE_REQUEST_CHANGES] = { "review --request-changes", NULL,
	    DIPB_VERDICT_REQUEST_CHANGES, 0 },
	[DIPB_MOVE_OBJECT]	= { "review --object", NULL,
	    DIPB_VERDICT_OBJECT, 0 },
	[DIPB_MOVE_SUBMIT]	= { "submit", NULL, NOREVIEW, 0 },
	[DIPB_MOVE_DECIDE]	= { "decide", NULL, NOREVIEW, 0 },
	[DIPB_MOVE_WITHDRAW]	= { "withdraw", NULL, NOREVIEW, 0 },
	[DIPB_MOVE_ACTION]	= { "action", NULL, NOREVIEW, 0 },
	[DIPB_MOVE_DECLASSIFY]	= { "declassify", NULL, NOREVIEW, 0 },
	[DIPB_MOVE_REPLY]	= { "review --reply-to", NULL, NOREVIEW, 0 },
	[DIPB_MOVE_INIT]	= { "init", "create the board", NOREVIEW, 1 },
	[DIPB_MOVE_EDIT_BOARD]	= { "edit --board", "change " DIPB_BOARD_FILE,
	    NOREVIEW, 1 },
	[DIPB_MOVE_RECALL]	= { "review --recall", NULL, NOREVIEW, 0 },
	[DIPB_MOVE_MEETING]	= { "meeting", "record a meeting", NOREVIEW, 0 },
	[DIPB_MOVE_RESCHEDULE]	= { "action --due", "move the due date of",
	    NOREVIEW, 0 },
	[DIPB_MOVE_MIGRATE]	= { "migrate", "migrate the board", NOREVIEW,
	    1 },
};

static const struct {
	const char	*name;
	int		 board;
	int		 meeting;
} events[DIPB_EVENT__COUNT] = {
	[DIPB_EVENT_DRAFTED]		= { "drafted", 0, 0 },
	[DIPB_EVENT_EDITED]		= { "edited", 0, 0 },
	[DIPB_EVENT_REVIEW_REQUESTED]	= { "review-requested", 0, 0 },
	[DIPB_EVENT_REVIEWED]		= { "reviewed", 0, 0 },
	[DIPB_EVENT_ENDORSED]		= { "endorsed", 0, 0 },
	[DIPB_EVENT_RETURNED]		= { "returned", 0, 0 },
	[DIPB_EVENT_SUBMITTED]		= { "submitted", 0, 0 },
	[DIPB_EVENT_DECIDED]		= { "decided", 0, 0 },
	[DIPB_EVENT_WITHDRAWN]		= { "withdrawn", 0, 0 },
	[DIPB_EVENT_ACTION_UPDATED]	= { "action-updated", 0, 0 },
	[DIPB_EVENT_DECLASSIFIED]	= { "declassified", 0, 0 },
	[DIPB_EVENT_REPLIED]		= { "replied", 0, 0 },
	[DIPB_EVENT_RECALLED]		= { "recalled", 0, 0 },
	[DIPB_EVENT_CREATED]		= { "created", 1, 0 },
	[DIPB_EVENT_CHANGED]		= { "changed", 1, 0 },
	[DIPB_EVENT_HELD]		= { "held", 0, 1 },
	[DIPB_EVENT_ACTION_RESCHEDULED]	= { "action-rescheduled", 0, 0 },
	[DIPB_EVENT_MIGRATED]		= { "migrated", 1, 0 },
};

/* dipb-workflow(7), "Moves" and "Commits and tags", row by row. */
#define M(x)	DIPB_MOVE_##x
#define S(x)	DIPB_STATUS_##x
#define R(x)	DIPB_ROLE_##x
#define E(x)	DIPB_EVENT_##x
static const struct dipb_transition transitions[] = {
	{ M(RECOMMEND),	S(NONE),	S(DRAFT),	R(DRAFTER),
	    E(DRAFTED), 0 },
	{ M(EDIT),	S(DRAFT),	S(DRAFT),	R(DRAFTER),
	    E(EDITED), 0 },
	{ M(EDIT),	S(RETURNED),	S(RETURNED),	R(DRAFTER),
	    E(EDITED), 0 },
	{ M(REQUEST),	S(DRAFT),	S(IN_REVIEW),	R(DRAFTER),
	    E(REVIEW_REQUESTED), 0 },
	{ M(REQUEST),	S(RETURNED),	S(IN_REVIEW),	R(DRAFTER),
	    E(REVIEW_REQUESTED), 0 },
	{ M(ENDORSE),	S(IN_REVIEW),	S(IN_REVIEW),	R(REVIEWER),
	    E(REVIEWED), 0 },
	{ M(ENDORSE),	S(IN_REVIEW),	S(ENDORSED),	R(REVIEWER),
	    E(ENDORSED), DIPB_T_QUORUM },
	{ M(REQUEST_CHANGES), S(IN_REVIEW), S(RETURNED), R(REVIEWER),
	    E(RETURNED), 0 },
	{ M(OBJECT),	S(IN_REVIEW),	S(RETURNED),	R(REVIEWER),
	    E(RETURNED), 0 },
	{ M(SUBMIT),	S(ENDORSED),	S(SUBMITTED),	R(SECRETARY),
	    E(SUBMITTED), 0 },
	{ M(DECIDE),	S(SUBMITTED),	S(DECIDED),	R(SECRETARY),
	    E(DECIDED), 0 },
	{ M(WITHDRAW),	S(DRAFT),	S(WITHDRAWN),	R(SECRETARY),
	    E(WITHDRAWN), 0 },
	{ M(WITHDRAW),	S(RETURNED),	S(WITHDRAWN),	R(SECRETARY),
	    E(WITHDRAWN), 0 },
	{ M(WITHDRAW),	S(IN_REVIEW),	S(WITHDRAWN),	R(SECRETARY),
	    E(WITHDRAWN), 0 },
	{ M(WITHDRAW),	S(ENDORSED),	S(WITHDRAWN),	R(SECRETARY),
	    E(WITHDRAWN), 0 },
	/*
	 * The actions of a deferred or declined decision arise from
	 * nothing (yet): they are neither done nor dropped nor moved.
	 */
	{ M(ACTION),	S(DECIDED),	S(DECIDED),	R(SECRETARY),
	    E(ACTION_UPDATED), DIPB_T_IN_FORCE },
	/* A deferred decision is taken again, as any decision is. */
	{ M(DECIDE),	S(DECIDED),	S(DECIDED),	R(SECRETARY),
	    E(DECIDED), DIPB_T_DEFERRED },
	/*
	 * The drafter takes a record back from review to change it; the
	 * reviews given stay, stale once the text changes.
	 */
	{ M(RECALL),	S(IN_REVIEW),	S(DRAFT),	R(DRAFTER),
	    E(RECALLED), 0 },
	/*
	 * Lowering the classification, from every status a record can
	 * have, withdrawn and decided included: the text stays in the
	 * repository and the reports whatever its status.  The role is the
	 * board's declassify: (dipb_state_role); CHAIR is its default.
	 */
	{ M(DECLASSIFY), S(DRAFT),	S(DRAFT),	R(CHAIR),
	    E(DECLASSIFIED), 0 },
	{ M(DECLASSIFY), S(IN_REVIEW),	S(IN_REVIEW),	R(CHAIR),
	    E(DECLASSIFIED), 0 },
	{ M(DECLASSIFY), S(RETURNED),	S(RETURNED),	R(CHAIR),
	    E(DECLASSIFIED), 0 },
	{ M(DECLASSIFY), S(ENDORSED),	S(ENDORSED),	R(CHAIR),
	    E(DECLASSIFIED), 0 },
	{ M(DECLASSIFY), S(SUBMITTED),	S(SUBMITTED),	R(CHAIR),
	    E(DECLASSIFIED), 0 },
	{ M(DECLASSIFY), S(DECIDED),	S(DECIDED),	R(CHAIR),
	    E(DECLASSIFIED), 0 },
	{ M(DECLASSIFY), S(WITHDRAWN),	S(WITHDRAWN),	R(CHAIR),
	    E(DECLASSIFIED), 0 },
	/*
	 * The drafter answers a reviewer's comment, while the review
	 * matters: the status stays (dipb-workflow(7), "Review threads").
	 */
	{ M(REPLY),	S(IN_REVIEW),	S(IN_REVIEW),	R(DRAFTER),
	    E(REPLIED), 0 },
	{ M(REPLY),	S(RETURNED),	S(RETURNED),	R(DRAFTER),
	    E(REPLIED), 0 },
	{ M(INIT),	S(NONE),	S(NONE),	R(CHAIR),
	    E(CREATED), 0 },
	{ M(EDIT_BOARD), S(NONE),	S(NONE),	R(CHAIR),
	    E(CHANGED), 0 },
	/* Every record moved to the other layout (dipb-migrate(1)). */
	{ M(MIGRATE),	S(NONE),	S(NONE),	R(CHAIR),
	    E(MIGRATED), 0 },
	/* A meeting is no record's move: its own file (meeting.h). */
	{ M(MEETING),	S(NONE),	S(NONE),	R(SECRETARY),
	    E(HELD), 0 },
	/*
	 * An open action's due date moved, with a reason, after the
	 * decision; the action's owner may not move their own deadline
	 * (dipb-action(1), --due), even as the secretary or the chair.
	 */
	{ M(RESCHEDULE), S(DECIDED),	S(DECIDED),	R(SECRETARY),
	    E(ACTION_RESCHEDULED), DIPB_T_NOT_OWNER | DIPB_T_IN_FORCE },
};
#undef M
#undef S
#undef R
#undef E

/*
 * dipb-workflow(7), "Fields": what each event of a record may change;
 * dipb verify reports any other difference (dipb-verify(1)).  Every event
 * sets updated.
 */
#define E(x)	DIPB_EVENT_##x
#define F(x)	DIPB_FIELD_##x
static const struct {
	enum dipb_event_kind	 event;
	unsigned		 fields;
} event_fields[] = {
	{ E(DRAFTED),		F(DRAFT) | F(WG) | F(CREATED) | F(UPDATED) },
	{ E(EDITED),		F(DRAFT) | F(UPDATED) },
	{ E(REVIEW_REQUESTED),	F(UPDATED) },
	{ E(REVIEWED),		F(REVIEW) | F(UPDATED) },
	{ E(ENDORSED),		F(REVIEW) | F(UPDATED) },
	{ E(RETURNED),		F(REVIEW) | F(UPDATED) },
	{ E(SUBMITTED),		F(SUBMISSION) | F(UPDATED) },
	{ E(DECIDED),		F(DECISION) | F(UPDATED) },
	{ E(WITHDRAWN),		F(WITHDRAWAL) | F(UPDATED) },
	{ E(ACTION_UPDATED),	F(ACTION_STATE) | F(UPDATED) },
	{ E(DECLASSIFIED),	F(UPDATED) },
	{ E(REPLIED),		F(REPLY) | F(UPDATED) },
	{ E(RECALLED),		F(UPDATED) },
	{ E(ACTION_RESCHEDULED), F(ACTION_DUE) | F(UPDATED) },
};
#undef E
#undef F

unsigned
dipb_event_fields(enum dipb_event_kind e)
{
	size_t i;

	for (i = 0; i < NELEM(event_fields); i++)
		if (event_fields[i].event == e)
			return event_fields[i].fields;
	return 0;
}

const char *
dipb_move_name(enum dipb_move m)
{
	return (unsigned)m < DIPB_MOVE__COUNT ? moves[m].name : "?";
}

int
dipb_move_is_board(enum dipb_move m)
{
	return (unsigned)m < DIPB_MOVE__COUNT && moves[m].board;
}

int
dipb_move_verdict(enum dipb_verdict *out, enum dipb_move m)
{
	if ((unsigned)m >= DIPB_MOVE__COUNT || moves[m].verdict == NOREVIEW)
		return 0;
	if (out != NULL)
		*out = (enum dipb_verdict)moves[m].verdict;
	return 1;
}

enum dipb_role
dipb_move_role(enum dipb_move m)
{
	size_t i;

	for (i = 0; i < NELEM(transitions); i++)
		if (transitions[i].move == m)
			return transitions[i].role;
	return DIPB_ROLE_CHAIR;
}

enum dipb_role
dipb_event_role(enum dipb_event_kind e)
{
	if (dipb_event_is_board(e) || dipb_event_is_meeting(e))
		return dipb_move_role(dipb_event_move(e, NULL));
	return dipb_move_role(DIPB_MOVE_EDIT_BOARD);
}

enum dipb_role
dipb_state_role(const struct dipb_board *b, enum dipb_move m)
{
	if (m == DIPB_MOVE_DECLASSIFY && b != NULL && b->declassify != 0)
		return b->declassify;
	return dipb_move_role(m);
}

const char *
dipb_event_name(enum dipb_event_kind e)
{
	return (unsigned)e < DIPB_EVENT__COUNT ? events[e].name : "?";
}

int
dipb_event_parse(enum dipb_event_kind *out, const char *record,
    const char *name)
{
	int board = record != NULL && strcmp(record, DIPB_BOARD_RECORD) == 0;
	int meeting = record != NULL &&
	    strcmp(record, DIPB_MEETING_RECORD) == 0;
	int e;

	for (e = 0; e < DIPB_EVENT__COUNT; e++) {
		if (strcmp(events[e].name, name) != 0)
			continue;
		if (record != NULL && (events[e].board != board ||
		    events[e].meeting != meeting))
			return -1;
		*out = (enum dipb_event_kind)e;
		return 0;
	}
	return -1;
}

int
dipb_event_is_board(enum dipb_event_kind e)
{
	return (unsigned)e < DIPB_EVENT__COUNT && events[e].board;
}

int
dipb_event_is_meeting(enum dipb_event_kind e)
{
	return (unsigned)e < DIPB_EVENT__COUNT && events[e].meeting;
}

enum dipb_move
dipb_event_move(enum dipb_event_kind e, const struct dipb_record *r)
{
	enum dipb_move first = DIPB_MOVE__COUNT;
	size_t i;
	int v;

	for (i = 0; i < NELEM(transitions); i++) {
		if (transitions[i].event != e)
			continue;
		if (first == DIPB_MOVE__COUNT)
			first = transitions[i].move;
		if (transitions[i].move == first)
			continue;
		/* Another move makes it too: the last review tells which. */
		v = moves[transitions[i].move].verdict;
		if (r != NULL && r->nreviews > 0 && v != NOREVIEW &&
		    (int)r->reviews[r->nreviews - 1].verdict == v)
			return transitions[i].move;
	}
	return first;
}

int
dipb_event_reaches_quorum(enum dipb_event_kind e)
{
	size_t i;

	for (i = 0; i < NELEM(transitions); i++)
		if (transitions[i].event == e)
			return (transitions[i].flags & DIPB_T_QUORUM) != 0;
	return 0;
}

static const struct dipb_transition *
find(enum dipb_move move, enum dipb_status from, unsigned flags)
{
	size_t i;

	for (i = 0; i < NELEM(transitions); i++)
		if (transitions[i].move == move &&
		    transitions[i].from == from &&
		    (transitions[i].flags & DIPB_T_QUORUM) == flags)
			return &transitions[i];
	return NULL;
}

const struct dipb_transition *
dipb_state_lookup(enum dipb_move move, enum dipb_status from)
{
	return find(move, from, 0);
}

const struct dipb_transition *
dipb_state_lookup_event(enum dipb_move move, enum dipb_status from,
    enum dipb_event_kind e)
{
	size_t i;

	for (i = 0; i < NELEM(transitions); i++)
		if (transitions[i].move == move &&
		    transitions[i].from == from && transitions[i].event == e)
			return &transitions[i];
	return NULL;
}

int
dipb_state_quorum(unsigned *nout, const struct dipb_board *b,
    const struct dipb_record *r)
{
	unsigned n = dipb_state_endorsements(b, r);

	if (nout != NULL)
		*nout = n;
	return n >= b->quorum;
}

const struct dipb_transition *
dipb_state_next(unsigned *nout, const struct dipb_board *b,
    enum dipb_move move, enum dipb_status from, const struct dipb_record *r)
{
	const struct dipb_transition *t, *q;

	if ((t = find(move, from, 0)) == NULL)
		return NULL;
	q = find(move, from, DIPB_T_QUORUM);
	if (q == NULL && nout == NULL)
		return t;
	if (dipb_state_quorum(nout, b, r) && q != NULL)
		return q;
	return t;
}

int
dipb_state_in_force(const struct dipb_record *r)
{
	return r->decision != NULL &&
	    (r->decision->outcome == DIPB_OUTCOME_AGREED ||
	    r->decision->outcome == DIPB_OUTCOME_NOTED);
}

/* 1 when row t's condition holds for r (NULL: only its status known). */
static int
condition_holds(const struct dipb_transition *t, const struct dipb_record *r)
{
	if (!(t->flags & (DIPB_T_DEFERRED | DIPB_T_IN_FORCE)))
		return 1;
	if (r == NULL)
		return 0;
	if (t->flags & DIPB_T_DEFERRED)
		return r->decision != NULL &&
		    r->decision->outcome == DIPB_OUTCOME_DEFERRED;
	return dipb_state_in_force(r);
}

int
dipb_state_allows(enum dipb_move move, const struct dipb_record *r)
{
	const struct dipb_transition *t = dipb_state_lookup(move, r->status);

	return t != NULL && condition_holds(t, r);
}

/* "a drafter of industrial-capacity", "the secretary": whom role means. */
static void
put_role(struct dipb_buf *out, enum dipb_role role, const char *wg)
{
	if (role == DIPB_ROLE_DRAFTER && wg != NULL)
		dipb_buf_printf(out, "a drafter of %s", wg);
	else if (role == DIPB_ROLE_REVIEWER || role == DIPB_ROLE_DRAFTER)
		dipb_buf_printf(out, "a %s", dipb_role_name(role));
	else
		dipb_buf_printf(out, "the %s", dipb_role_name(role));
}

/*
 * The refusal of move from status from (r, when given, the record as it
 * stands): the moves allowed from there, and with b and email, those of
 * them the member may make, or whom the record waits on.
 */
static const struct dipb_error *
refuse(const struct dipb_board *b, const char *email, const char *id,
    enum dipb_move move, enum dipb_status from, const struct dipb_record *r)
{
	struct dipb_buf allowed = DIPB_BUF_INIT, mine = DIPB_BUF_INIT;
	const struct dipb_transition *t;
	const struct dipb_error *err, *e;
	enum dipb_role waits = DIPB_ROLE_CHAIR;
	size_t nallowed = 0, nmine = 0;
	int m;

	for (m = 0; m < DIPB_MOVE__COUNT; m++) {
		/* action --due is the command action, listed once. */
		if (m == DIPB_MOVE_RECOMMEND || m == DIPB_MOVE_DECLASSIFY ||
		    m == DIPB_MOVE_MEETING || m == DIPB_MOVE_RESCHEDULE ||
		    moves[m].board ||
		    (t = dipb_state_lookup(m, from)) == NULL ||
		    (r != NULL && !condition_holds(t, r)))
			continue;
		if (nallowed++ == 0)
			waits = dipb_state_role(b, m);
		else
			dipb_buf_puts(&allowed, ", ");
		dipb_buf_puts(&allowed, moves[m].name);
		if (b == NULL || email == NULL)
			continue;
		if ((e = dipb_state_permit(b, email, m, r, NULL)) != NULL) {
			dipb_error_free(e);
			continue;
		}
		dipb_buf_printf(&mine, "%s%s", nmine++ > 0 ? ", " : "",
		    moves[m].name);
	}
	if (nallowed == 0)
		dipb_buf_puts(&allowed, "none, the record is final");
	else if (b != NULL && email != NULL && nmine == 0) {
		dipb_buf_puts(&allowed, "; none by you: it waits on ");
		put_role(&allowed, waits, r != NULL ? r->working_group : NULL);
	} else if (b != NULL && email != NULL && nmine < nallowed)
		dipb_buf_printf(&allowed, "; by you: %s", mine.ptr);
	/* A decided record's moves depend on its outcome: named. */
	if (from == DIPB_STATUS_DECIDED && r != NULL && r->decision != NULL)
		err = dipb_error_fmt(DIPB_ERR_TRANSITION,
		    "%s is decided (%s): cannot %s (allowed: %s)", id,
		    dipb_outcome_name(r->decision->outcome),
		    dipb_move_name(move), allowed.ptr);
	else
		err = dipb_error_fmt(DIPB_ERR_TRANSITION,
		    "%s is %s: cannot %s (allowed: %s)", id,
		    dipb_status_name(from), dipb_move_name(move), allowed.ptr);
	dipb_buf_release(&allowed);
	dipb_buf_release(&mine);
	return err;
}

const struct dipb_error *
dipb_state_check(const char *id, enum dipb_move move, enum dipb_status from)
{
	if (dipb_state_lookup(move, from) != NULL)
		return NULL;
	return refuse(NULL, NULL, id, move, from, NULL);
}

const struct dipb_error *
dipb_state_check_record(const struct dipb_board *b, const char *email,
    enum dipb_move move, const struct dipb_record *r)
{
	if (dipb_state_allows(move, r))
		return NULL;
	return refuse(b, email, r->id, move, r->status, r);
}

const struct dipb_error *
dipb_state_permit(const struct dipb_board *b, const char *email,
    enum dipb_move move, const struct dipb_record *r, const char *wg_key)
{
	const struct dipb_member *m;
	const char *verb = dipb_move_name(move), *deny;
	enum dipb_role role = dipb_state_role(b, move);

	if (r != NULL && wg_key == NULL)
		wg_key = r->working_group;
	deny = (unsigned)move < DIPB_MOVE__COUNT && moves[move].deny != NULL ?
	    moves[move].deny : verb;

	m = dipb_board_member(b, email);
	if (m == NULL)
		return dipb_error_fmt(DIPB_ERR_DENIED,
		    "%s is not a member of the board: %s needs the %s role",
		    email, verb, dipb_role_name(role));
	if (move == DIPB_MOVE_WITHDRAW && r != NULL && r->author != NULL &&
	    strcasecmp(r->author, email) == 0)
		return NULL;
	if (dipb_member_has_role(m, role, wg_key)) {
		if (dipb_move_verdict(NULL, move) && r != NULL &&
		    r->author != NULL && strcasecmp(r->author, email) == 0)
			return dipb_error_fmt(DIPB_ERR_DENIED, "a reviewer may "
			    "not review their own recommendation");
		return NULL;
	}
	if (role == DIPB_ROLE_DRAFTER && dipb_member_has_role(m, role, NULL))
		return dipb_error_fmt(DIPB_ERR_DENIED,
		    "%s may not %s%s%s: not a drafter of working group '%s'",
		    email, deny, r != NULL ? " " : "", r != NULL ? r->id : "",
		    wg_key != NULL ? wg_key : "?");
	return dipb_error_fmt(DIPB_ERR_DENIED,
	    "%s may not %s%s%s: needs the %s role%s", email, deny,
	    r != NULL ? " " : "", r != NULL ? r->id : "",
	    dipb_role_name(role),
	    move == DIPB_MOVE_WITHDRAW ? " or to be its author" : "");
}

const struct dipb_error *
dipb_state_permit_action(const struct dipb_board *b, const char *email,
    enum dipb_move move, const struct dipb_record *r, size_t n)
{
	const struct dipb_member *m;
	const struct dipb_action *a;
	size_t i;

	/* Whatever the status: verify judges the move from one it may not
	 * be allowed from, a finding of its own. */
	for (i = 0; i < NELEM(transitions); i++)
		if (transitions[i].move == move &&
		    (transitions[i].flags & DIPB_T_NOT_OWNER))
			break;
	if (i == NELEM(transitions) || n < 1 || n > r->nactions)
		return NULL;
	a = &r->actions[n - 1];
	if (email == NULL || a->owner == NULL)
		return NULL;
	/* With b, the owner names the member as dipb todo finds their own
	 * actions (dipb-action(1), --due); without, it is their address as
	 * written, case aside, the rule of every dipb (dipb-verify(1),
	 * self-reschedule). */
	m = b != NULL ? dipb_board_member(b, email) : NULL;
	if (b != NULL ? !dipb_owner_names(b, a->owner, email,
	    m != NULL ? m->name : NULL) : strcasecmp(a->owner, email) != 0)
		return NULL;
	return dipb_error_fmt(DIPB_ERR_DENIED, "%s owns action %zu of %s: "
	    "the owner does not move their own due date; another secretary "
	    "or the chair records the move", email, n, r->id);
}

const struct dipb_error *
dipb_state_board_keeper(const struct dipb_board *b)
{
	enum dipb_role role = dipb_state_role(b, DIPB_MOVE_EDIT_BOARD);
	const struct dipb_member *m;
	size_t i, n = 0;

	for (i = 0; i < b->nmembers; i++) {
		m = &b->members[i];
		if (!dipb_member_has_role(m, role, NULL))
			continue;
		n++;
		if (b->signing != DIPB_SIGNING_REQUIRED || m->keys.n > 0)
			return NULL;
	}
	if (n == 0)
		return dipb_error_fmt(DIPB_ERR_INVALID, "no member holds the %s "
		    "role: nobody could change %s again (dipb-board(5))",
		    dipb_role_name(role), DIPB_BOARD_FILE);
	return dipb_error_fmt(DIPB_ERR_INVALID, "signing is required but no "
	    "%s has a key: nobody could sign a change of %s again "
	    "(dipb-board(5), \"Signing\")", dipb_role_name(role),
	    DIPB_BOARD_FILE);
}

/*
 * 1 when rv endorsed r's content as it stands but at a higher level, from
 * which dipb declassify lowered it since: the classification is one of the
 * drafter's fields, yet a declassification leaves the reviews fresh
 * (dipb-workflow(7), "Reviews and the quorum").  A drafter's edit that
 * raises the level still makes them stale.
 */
static int
declassified_since(const struct dipb_board *b, const struct dipb_record *r,
    const struct dipb_review *rv)
{
	char fp[DIPB_FINGERPRINT_LEN + 1];
	struct dipb_record then;
	int was, now;

	if (rv->classification == NULL)
		return 0;
	was = dipb_board_classification_rank(b, rv->classification);
	now = dipb_board_classification_rank(b, r->classification);
	if (was < 0 || now < 0 || was <= now)
		return 0;
	then = *r;	/* a shallow copy, never released */
	then.classification = rv->classification;
	dipb_record_fingerprint(&then, fp);
	return strcmp(rv->fingerprint, fp) == 0;
}

/*
 * 1 when rv endorsed r's content as it stands, and is not the author's:
 * dipb_review_counts but the reviewer's place on the board.
 */
static int
review_fresh(const struct dipb_board *b, const struct dipb_record *r,
    const struct dipb_review *rv, const char *fingerprint)
{
	if (rv->verdict != DIPB_VERDICT_ENDORSE || rv->reviewer == NULL ||
	    rv->fingerprint == NULL)
		return 0;
	if (strcmp(rv->fingerprint, fingerprint) != 0 &&
	    !declassified_since(b, r, rv))
		return 0;
	return r->author == NULL || strcasecmp(rv->reviewer, r->author) != 0;
}

int
dipb_review_counts(const struct dipb_board *b, const struct dipb_record *r,
    const struct dipb_review *rv, const char *fingerprint)
{
	const struct dipb_member *m;

	if (!review_fresh(b, r, rv, fingerprint))
		return 0;
	m = dipb_board_member(b, rv->reviewer);
	return m != NULL && dipb_member_has_role(m, DIPB_ROLE_REVIEWER, NULL);
}

int
dipb_state_action_open(const struct dipb_record *r,
    const struct dipb_action *a)
{
	return r->status == DIPB_STATUS_DECIDED &&
	    a->state == DIPB_ACTION_OPEN && dipb_state_in_force(r);
}

int
dipb_state_action_late(const struct dipb_record *r,
    const struct dipb_action *a)
{
	const char *due = dipb_action_due(a);

	/* The date in force: a due date moved since is no longer late. */
	return due != NULL && r->decision != NULL &&
	    r->decision->date != NULL && strcmp(due, r->decision->date) < 0;
}

int
dipb_state_action_overdue(const struct dipb_record *r,
    const struct dipb_action *a, const char *today)
{
	const char *due = dipb_action_due(a);

	return dipb_state_action_open(r, a) && due != NULL &&
	    strcmp(due, today) < 0;
}

/* The endorsements of r that counts says count, by distinct reviewers. */
static unsigned
endorsements(const struct dipb_board *b, const struct dipb_record *r,
    int (*counts)(const struct dipb_board *, const struct dipb_record *,
    const struct dipb_review *, const char *))
{
	char fp[DIPB_FINGERPRINT_LEN + 1];
	unsigned n = 0;
	size_t i, j;
	int dup;

	dipb_record_fingerprint(r, fp);
	for (i = 0; i < r->nreviews; i++) {
		if (!counts(b, r, &r->reviews[i], fp))
			continue;
		/* distinct members only, whatever the file says */
		for (dup = 0, j = 0; j < i; j++)
			if (counts(b, r, &r->reviews[j], fp) &&
			    strcasecmp(r->reviews[j].reviewer,
			    r->reviews[i].reviewer) == 0)
				dup = 1;
		n += !dup;
	}
	return n;
}

unsigned
dipb_state_endorsements(const struct dipb_board *b,
    const struct dipb_record *r)
{
	return endorsements(b, r, dipb_review_counts);
}

unsigned
dipb_state_endorsements_given(const struct dipb_board *b,
    const struct dipb_record *r)
{
	return endorsements(b, r, review_fresh);
}

int
dipb_state_short_of_quorum(unsigned *nout, const struct dipb_board *b,
    const struct dipb_record *r)
{
	unsigned n;

	if (r->status != DIPB_STATUS_ENDORSED)
		return 0;
	n = dipb_state_endorsements_given(b, r);
	if (nout != NULL)
		*nout = n;
	return n < b->quorum;
}

void
dipb_state_tally(char out[DIPB_TALLY_MAX], const struct dipb_board *b,
    const struct dipb_record *r)
{
	snprintf(out, DIPB_TALLY_MAX, "%u/%u", dipb_state_endorsements(b, r),
	    b->quorum);
}

/*
 * state.c - the transition table and the role rules.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "error.h"
#include "state.h"

static const char *const move_names[DIPB_MOVE__COUNT] = {
	[DIPB_MOVE_RECOMMEND]		= "recommend",
	[DIPB_MOVE_EDIT]		= "edit",
	[DIPB_MOVE_REQUEST]		= "review --request",
	[DIPB_MOVE_ENDORSE]		= "review --endorse",
	[DIPB_MOVE_REQUEST_CHANGES]	= "review --request-changes",
	[DIPB_MOVE_OBJECT]		= "review --object",
	[DIPB_MOVE_SUBMIT]		= "submit",
	[DIPB_MOVE_DECIDE]		= "decide",
	[DIPB_MOVE_WITHDRAW]		= "withdraw",
	[DIPB_MOVE_ACTION]		= "action",
};

#define S(x)	DIPB_STATUS_##x
#define R(x)	DIPB_ROLE_##x
static const struct dipb_transition transitions[] = {
	{ DIPB_MOVE_RECOMMEND, S(NONE), S(DRAFT), R(DRAFTER), "drafted" },
	{ DIPB_MOVE_EDIT, S(DRAFT), S(DRAFT), R(DRAFTER), "edited" },
	{ DIPB_MOVE_EDIT, S(RETURNED), S(RETURNED), R(DRAFTER), "edited" },
	{ DIPB_MOVE_REQUEST, S(DRAFT), S(IN_REVIEW), R(DRAFTER),
	    "review-requested" },
	{ DIPB_MOVE_REQUEST, S(RETURNED), S(IN_REVIEW), R(DRAFTER),
	    "review-requested" },
	{ DIPB_MOVE_ENDORSE, S(IN_REVIEW), S(IN_REVIEW), R(REVIEWER),
	    "reviewed" },
	{ DIPB_MOVE_REQUEST_CHANGES, S(IN_REVIEW), S(RETURNED), R(REVIEWER),
	    "returned" },
	{ DIPB_MOVE_OBJECT, S(IN_REVIEW), S(RETURNED), R(REVIEWER),
	    "returned" },
	{ DIPB_MOVE_SUBMIT, S(ENDORSED), S(SUBMITTED), R(SECRETARY),
	    "submitted" },
	{ DIPB_MOVE_DECIDE, S(SUBMITTED), S(DECIDED), R(SECRETARY),
	    "decided" },
	{ DIPB_MOVE_WITHDRAW, S(DRAFT), S(WITHDRAWN), R(SECRETARY),
	    "withdrawn" },
	{ DIPB_MOVE_WITHDRAW, S(RETURNED), S(WITHDRAWN), R(SECRETARY),
	    "withdrawn" },
	{ DIPB_MOVE_WITHDRAW, S(IN_REVIEW), S(WITHDRAWN), R(SECRETARY),
	    "withdrawn" },
	{ DIPB_MOVE_WITHDRAW, S(ENDORSED), S(WITHDRAWN), R(SECRETARY),
	    "withdrawn" },
	{ DIPB_MOVE_ACTION, S(DECIDED), S(DECIDED), R(SECRETARY),
	    "action-updated" },
};
#undef S
#undef R

const char *
dipb_move_name(enum dipb_move m)
{
	return m < DIPB_MOVE__COUNT ? move_names[m] : "?";
}

const struct dipb_transition *
dipb_state_lookup(enum dipb_move move, enum dipb_status from)
{
	size_t i;

	for (i = 0; i < sizeof(transitions) / sizeof(transitions[0]); i++)
		if (transitions[i].move == move &&
		    transitions[i].from == from)
			return &transitions[i];
	return NULL;
}

const struct dipb_error *
dipb_state_check(const char *id, enum dipb_move move, enum dipb_status from)
{
	struct dipb_buf allowed = DIPB_BUF_INIT;
	const struct dipb_error *err;
	int m;

	if (dipb_state_lookup(move, from) != NULL)
		return NULL;
	for (m = 0; m < DIPB_MOVE__COUNT; m++) {
		if (m == DIPB_MOVE_RECOMMEND ||
		    dipb_state_lookup(m, from) == NULL)
			continue;
		if (allowed.len > 0)
			dipb_buf_puts(&allowed, ", ");
		dipb_buf_puts(&allowed, move_names[m]);
	}
	if (allowed.len == 0)
		dipb_buf_puts(&allowed, "none, the record is final");
	err = dipb_error_fmt(DIPB_ERR_TRANSITION,
	    "%s is %s: cannot %s (allowed: %s)", id, dipb_status_name(from),
	    move_names[move], allowed.ptr);
	dipb_buf_release(&allowed);
	return err;
}

static int
is_review(enum dipb_move m)
{
	return m == DIPB_MOVE_ENDORSE || m == DIPB_MOVE_REQUEST_CHANGES ||
	    m == DIPB_MOVE_OBJECT;
}

const struct dipb_error *
dipb_state_permit(const struct dipb_board *b, const char *email,
    enum dipb_move move, const struct dipb_record *r, const char *wg_key)
{
	const struct dipb_transition *t = NULL;
	const struct dipb_member *m;
	const char *verb = move_names[move];
	enum dipb_role role = DIPB_ROLE_DRAFTER;
	size_t i;

	for (i = 0; i < sizeof(transitions) / sizeof(transitions[0]); i++)
		if (transitions[i].move == move) {
			t = &transitions[i];
			break;
		}
	if (t != NULL)
		role = t->role;
	if (r != NULL && wg_key == NULL)
		wg_key = r->working_group;

	m = dipb_board_member(b, email);
	if (m == NULL)
		return dipb_error_fmt(DIPB_ERR_DENIED,
		    "%s is not a member of the board: %s needs the %s role",
		    email, verb, dipb_role_name(role));
	if (move == DIPB_MOVE_WITHDRAW && r != NULL && r->author != NULL &&
	    strcasecmp(r->author, email) == 0)
		return NULL;
	if (dipb_member_has_role(m, role, wg_key)) {
		if (is_review(move) && r != NULL && r->author != NULL &&
		    strcasecmp(r->author, email) == 0)
			return dipb_error_fmt(DIPB_ERR_DENIED, "a reviewer may "
			    "not review their own recommendation");
		return NULL;
	}
	if (role == DIPB_ROLE_DRAFTER && dipb_member_has_role(m, role, NULL))
		return dipb_error_fmt(DIPB_ERR_DENIED,
		    "%s may not %s%s%s: not a drafter of working group '%s'",
		    email, verb, r != NULL ? " " : "", r != NULL ? r->id : "",
		    wg_key != NULL ? wg_key : "?");
	return dipb_error_fmt(DIPB_ERR_DENIED,
	    "%s may not %s%s%s: needs the %s role%s", email, verb,
	    r != NULL ? " " : "", r != NULL ? r->id : "",
	    dipb_role_name(role),
	    move == DIPB_MOVE_WITHDRAW ? " or to be its author" : "");
}

int
dipb_review_counts(const struct dipb_board *b, const struct dipb_record *r,
    const struct dipb_review *rv, const char *fingerprint)
{
	const struct dipb_member *m;

	if (rv->verdict != DIPB_VERDICT_ENDORSE || rv->reviewer == NULL ||
	    rv->fingerprint == NULL || strcmp(rv->fingerprint, fingerprint) != 0)
		return 0;
	if (r->author != NULL && strcasecmp(rv->reviewer, r->author) == 0)
		return 0;
	m = dipb_board_member(b, rv->reviewer);
	return m != NULL && dipb_member_has_role(m, DIPB_ROLE_REVIEWER, NULL);
}

unsigned
dipb_state_endorsements(const struct dipb_board *b,
    const struct dipb_record *r)
{
	char fp[DIPB_FINGERPRINT_LEN + 1];
	unsigned n = 0;
	size_t i, j;
	int dup;

	dipb_record_fingerprint(r, fp);
	for (i = 0; i < r->nreviews; i++) {
		if (!dipb_review_counts(b, r, &r->reviews[i], fp))
			continue;
		/* distinct members only, whatever the file says */
		for (dup = 0, j = 0; j < i; j++)
			if (dipb_review_counts(b, r, &r->reviews[j], fp) &&
			    strcasecmp(r->reviews[j].reviewer,
			    r->reviews[i].reviewer) == 0)
				dup = 1;
		n += !dup;
	}
	return n;
}

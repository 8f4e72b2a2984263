/*
 * Unit tests of state.c: the transition table, the refusals and the
 * quorum count, without touching disk.
 */
#include <string.h>

#include <criterion/criterion.h>

#include "board.h"
#include "error.h"
#include "helpers.h"
#include "meeting.h"
#include "record.h"
#include "state.h"

static const char board_yaml[] =
    "board: Test Board\n"
    "submit_to: National Armaments Directors\n"
    "working_groups:\n"
    "  - key: industrial-capacity\n"
    "    prefix: IC\n"
    "    name: Industrial Capacity\n"
    "  - key: supply-chain-security\n"
    "    prefix: SCS\n"
    "    name: Supply Chain Security\n"
    "classifications:\n"
    "  - NATO UNCLASSIFIED\n"
    "review:\n"
    "  quorum: 2\n"
    "members:\n"
    "  - name: Drafter IC\n"
    "    email: d@example.org\n"
    "    roles: [drafter]\n"
    "    working_groups: [industrial-capacity]\n"
    "  - name: R1\n"
    "    email: r1@example.org\n"
    "    roles: [reviewer]\n"
    "  - name: R2\n"
    "    email: r2@example.org\n"
    "    roles: [reviewer, drafter]\n"
    "  - name: Sec\n"
    "    email: sec@example.org\n"
    "    roles: [secretary]\n"
    "  - name: Chair\n"
    "    email: chair@example.org\n"
    "    roles: [chair]\n";

static struct dipb_board board;
static struct dipb_record rec;

static void
setup(void)
{
	test_board_load(&board, board_yaml);
	dipb_record_init(&rec);
	rec.id = strdup("IC-0001");
	rec.title = strdup("Title");
	rec.working_group = strdup("industrial-capacity");
	rec.status = DIPB_STATUS_IN_REVIEW;
	rec.classification = strdup("NATO UNCLASSIFIED");
	rec.created = strdup("2026-01-01");
	rec.author = strdup("d@example.org");
	rec.summary = strdup("Summary.\n");
}

static void
teardown(void)
{
	dipb_record_release(&rec);
	dipb_board_release(&board);
}

static void
add_review(const char *who, enum dipb_verdict v, const char *fp)
{
	struct dipb_review *rv;

	rec.reviews = realloc(rec.reviews, (rec.nreviews + 1) *
	    sizeof(*rec.reviews));
	rv = &rec.reviews[rec.nreviews++];
	memset(rv, 0, sizeof(*rv));
	rv->reviewer = strdup(who);
	rv->date = strdup("2026-01-02");
	rv->verdict = v;
	rv->fingerprint = strdup(fp);
}

static int
code_of(const struct dipb_error *err)
{
	int c = err != NULL ? err->code : 0;

	dipb_error_free(err);
	return c;
}

Test(state_table, every_design_move)
{
	const struct { enum dipb_move m; enum dipb_status from, to; } ok[] = {
		{ DIPB_MOVE_RECOMMEND, DIPB_STATUS_NONE, DIPB_STATUS_DRAFT },
		{ DIPB_MOVE_EDIT, DIPB_STATUS_DRAFT, DIPB_STATUS_DRAFT },
		{ DIPB_MOVE_EDIT, DIPB_STATUS_RETURNED, DIPB_STATUS_RETURNED },
		{ DIPB_MOVE_REQUEST, DIPB_STATUS_DRAFT, DIPB_STATUS_IN_REVIEW },
		{ DIPB_MOVE_REQUEST, DIPB_STATUS_RETURNED,
		    DIPB_STATUS_IN_REVIEW },
		{ DIPB_MOVE_ENDORSE, DIPB_STATUS_IN_REVIEW,
		    DIPB_STATUS_IN_REVIEW },
		{ DIPB_MOVE_REQUEST_CHANGES, DIPB_STATUS_IN_REVIEW,
		    DIPB_STATUS_RETURNED },
		{ DIPB_MOVE_OBJECT, DIPB_STATUS_IN_REVIEW,
		    DIPB_STATUS_RETURNED },
		{ DIPB_MOVE_SUBMIT, DIPB_STATUS_ENDORSED,
		    DIPB_STATUS_SUBMITTED },
		{ DIPB_MOVE_DECIDE, DIPB_STATUS_SUBMITTED,
		    DIPB_STATUS_DECIDED },
		{ DIPB_MOVE_ACTION, DIPB_STATUS_DECIDED, DIPB_STATUS_DECIDED },
	};
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		const struct dipb_transition *t =
		    dipb_state_lookup(ok[i].m, ok[i].from);
		cr_assert_not_null(t, "move %s from %s", dipb_move_name(ok[i].m),
		    dipb_status_name(ok[i].from));
		cr_expect_eq(t->to, ok[i].to);
	}
}

Test(state_table, withdraw_only_before_submission)
{
	int s;

	for (s = DIPB_STATUS_DRAFT; s < DIPB_STATUS__COUNT; s++) {
		int allowed = s == DIPB_STATUS_DRAFT ||
		    s == DIPB_STATUS_IN_REVIEW || s == DIPB_STATUS_RETURNED ||
		    s == DIPB_STATUS_ENDORSED;
		cr_expect_eq(dipb_state_lookup(DIPB_MOVE_WITHDRAW, s) != NULL,
		    allowed, "withdraw from %s", dipb_status_name(s));
	}
}

Test(state_table, final_states_allow_nothing_but_actions)
{
	int m;

	for (m = 0; m < DIPB_MOVE__COUNT; m++) {
		if (m == DIPB_MOVE_DECLASSIFY)
			continue;
		cr_expect_null(dipb_state_lookup(m, DIPB_STATUS_WITHDRAWN));
		if (m != DIPB_MOVE_ACTION && m != DIPB_MOVE_DECIDE &&
		    m != DIPB_MOVE_RESCHEDULE)
			cr_expect_null(dipb_state_lookup(m,
			    DIPB_STATUS_DECIDED));
	}
}

Test(state_table, only_a_deferred_decision_is_decided_again)
{
	struct dipb_decision d = { NULL, DIPB_OUTCOME_DEFERRED, NULL };
	struct dipb_record r;
	const struct dipb_error *err;
	int o;

	dipb_record_init(&r);
	r.status = DIPB_STATUS_DECIDED;
	cr_expect_eq(dipb_state_allows(DIPB_MOVE_DECIDE, &r), 0);
	r.decision = &d;
	for (o = DIPB_OUTCOME_AGREED; o <= DIPB_OUTCOME_DECLINED; o++) {
		d.outcome = (enum dipb_outcome)o;
		cr_expect_eq(dipb_state_allows(DIPB_MOVE_DECIDE, &r),
		    o == DIPB_OUTCOME_DEFERRED, "%s",
		    dipb_outcome_name(d.outcome));
	}
	d.outcome = DIPB_OUTCOME_AGREED;
	r.id = "IC-0001";
	err = dipb_state_check_record(NULL, NULL, DIPB_MOVE_DECIDE, &r);
	cr_assert_not_null(err);
	cr_expect_str_eq(err->msg, "IC-0001 is decided (agreed): cannot decide "
	    "(allowed: action)");
	dipb_error_free(err);
	d.outcome = DIPB_OUTCOME_DEFERRED;
	cr_expect_null(dipb_state_check_record(NULL, NULL, DIPB_MOVE_DECIDE,
	    &r));
	cr_expect_eq(dipb_state_lookup(DIPB_MOVE_DECIDE,
	    DIPB_STATUS_DECIDED)->event, DIPB_EVENT_DECIDED);
}

Test(state_table, recall_takes_a_record_back_from_review_to_draft)
{
	const struct dipb_transition *t;
	int s;

	t = dipb_state_lookup(DIPB_MOVE_RECALL, DIPB_STATUS_IN_REVIEW);
	cr_assert_not_null(t);
	cr_expect_eq(t->to, DIPB_STATUS_DRAFT);
	cr_expect_eq(t->role, DIPB_ROLE_DRAFTER);
	cr_expect_str_eq(dipb_event_name(t->event), "recalled");
	cr_expect_eq(dipb_event_fields(t->event), DIPB_FIELD_UPDATED);
	for (s = DIPB_STATUS_NONE; s < DIPB_STATUS__COUNT; s++)
		if (s != DIPB_STATUS_IN_REVIEW)
			cr_expect_null(dipb_state_lookup(DIPB_MOVE_RECALL, s));
}

Test(state_table, declassify_from_every_status_keeps_it)
{
	const struct dipb_transition *t;
	int s;

	cr_expect_null(dipb_state_lookup(DIPB_MOVE_DECLASSIFY,
	    DIPB_STATUS_NONE));
	for (s = DIPB_STATUS_DRAFT; s < DIPB_STATUS__COUNT; s++) {
		t = dipb_state_lookup(DIPB_MOVE_DECLASSIFY, s);
		cr_assert_not_null(t, "declassify from %s",
		    dipb_status_name(s));
		cr_expect_eq(t->to, (enum dipb_status)s);
		cr_expect_eq(t->event, DIPB_EVENT_DECLASSIFIED);
	}
	cr_expect_str_eq(dipb_event_name(DIPB_EVENT_DECLASSIFIED),
	    "declassified");
}

Test(state_check, refusal_names_status_and_allowed_moves)
{
	const struct dipb_error *err;

	err = dipb_state_check("IC-0001", DIPB_MOVE_SUBMIT, DIPB_STATUS_DRAFT);
	cr_assert_not_null(err);
	cr_expect_eq(err->code, DIPB_ERR_TRANSITION);
	cr_expect_str_eq(err->msg, "IC-0001 is draft: cannot submit "
	    "(allowed: edit, review --request, withdraw)");
	cr_expect_eq(dipb_error_exit_status(err), 1);
	dipb_error_free(err);
	cr_expect_null(dipb_state_check("IC-0001", DIPB_MOVE_SUBMIT,
	    DIPB_STATUS_ENDORSED));
}

Test(state_permit, roles, .init = setup, .fini = teardown)
{
	cr_expect_eq(code_of(dipb_state_permit(&board, "x@example.org",
	    DIPB_MOVE_SUBMIT, &rec, NULL)), DIPB_ERR_DENIED);
	cr_expect_eq(code_of(dipb_state_permit(&board, "d@example.org",
	    DIPB_MOVE_SUBMIT, &rec, NULL)), DIPB_ERR_DENIED);
	cr_expect_eq(code_of(dipb_state_permit(&board, "sec@example.org",
	    DIPB_MOVE_SUBMIT, &rec, NULL)), 0);
	cr_expect_eq(code_of(dipb_state_permit(&board, "chair@example.org",
	    DIPB_MOVE_DECIDE, &rec, NULL)), 0, "a chair may do what a "
	    "secretary may");
	cr_expect_eq(code_of(dipb_state_permit(&board, "SEC@Example.org",
	    DIPB_MOVE_SUBMIT, &rec, NULL)), 0, "emails are case-insensitive");
}

Test(state_permit, drafter_limited_to_group, .init = setup,
    .fini = teardown)
{
	cr_expect_eq(code_of(dipb_state_permit(&board, "d@example.org",
	    DIPB_MOVE_RECOMMEND, NULL, "industrial-capacity")), 0);
	cr_expect_eq(code_of(dipb_state_permit(&board, "d@example.org",
	    DIPB_MOVE_RECOMMEND, NULL, "supply-chain-security")),
	    DIPB_ERR_DENIED);
	cr_expect_eq(code_of(dipb_state_permit(&board, "r2@example.org",
	    DIPB_MOVE_RECOMMEND, NULL, "supply-chain-security")), 0,
	    "a drafter with no working_groups drafts for all");
}

Test(state_permit, author_may_withdraw_not_review, .init = setup,
    .fini = teardown)
{
	const struct dipb_error *err;

	cr_expect_eq(code_of(dipb_state_permit(&board, "d@example.org",
	    DIPB_MOVE_WITHDRAW, &rec, NULL)), 0);
	err = dipb_state_permit(&board, "d@example.org", DIPB_MOVE_ENDORSE,
	    &rec, NULL);
	cr_assert_not_null(err);
	cr_expect(strstr(err->msg, "needs the reviewer role") != NULL,
	    "an author who is no reviewer is told the role: %s", err->msg);
	dipb_error_free(err);
	free(rec.author);
	rec.author = strdup("r1@example.org");
	err = dipb_state_permit(&board, "r1@example.org", DIPB_MOVE_ENDORSE,
	    &rec, NULL);
	cr_assert_not_null(err);
	cr_expect(strstr(err->msg, "own recommendation") != NULL);
	cr_expect_eq(dipb_error_exit_status(err), 3);
	dipb_error_free(err);
}

Test(state_quorum, fresh_distinct_reviewers_only, .init = setup,
    .fini = teardown)
{
	char fp[DIPB_FINGERPRINT_LEN + 1];

	dipb_record_fingerprint(&rec, fp);
	add_review("r1@example.org", DIPB_VERDICT_ENDORSE, fp);
	cr_expect_eq(dipb_state_endorsements(&board, &rec), 1);
	add_review("r2@example.org", DIPB_VERDICT_ENDORSE, "00000000");
	cr_expect_eq(dipb_state_endorsements(&board, &rec), 1,
	    "a stale endorsement does not count");
	add_review("sec@example.org", DIPB_VERDICT_ENDORSE, fp);
	cr_expect_eq(dipb_state_endorsements(&board, &rec), 1,
	    "a member without the reviewer role does not count");
	add_review("d@example.org", DIPB_VERDICT_ENDORSE, fp);
	cr_expect_eq(dipb_state_endorsements(&board, &rec), 1,
	    "the author does not count");
	add_review("R1@example.org", DIPB_VERDICT_ENDORSE, fp);
	cr_expect_eq(dipb_state_endorsements(&board, &rec), 1,
	    "one member counts once");
	add_review("r2@example.org", DIPB_VERDICT_ENDORSE, fp);
	cr_expect_eq(dipb_state_endorsements(&board, &rec), 2);
}

Test(state_quorum, editing_makes_endorsements_stale, .init = setup,
    .fini = teardown)
{
	char fp[DIPB_FINGERPRINT_LEN + 1];

	dipb_record_fingerprint(&rec, fp);
	add_review("r1@example.org", DIPB_VERDICT_ENDORSE, fp);
	add_review("r2@example.org", DIPB_VERDICT_ENDORSE, fp);
	cr_expect_eq(dipb_state_endorsements(&board, &rec), 2);
	free(rec.summary);
	rec.summary = strdup("Summary, edited.\n");
	cr_expect_eq(dipb_state_endorsements(&board, &rec), 0);
}

Test(state_events, names_parse_back_for_their_own_record)
{
	enum dipb_event_kind e, got;
	const char *name;

	for (e = 0; e < DIPB_EVENT__COUNT; e++) {
		name = dipb_event_name(e);
		cr_assert_str_neq(name, "?", "event %d has no name", e);
		cr_expect_eq(dipb_event_parse(&got, NULL, name), 0, "%s", name);
		cr_expect_eq(got, e, "%s", name);
		cr_expect_eq(dipb_event_parse(&got, DIPB_BOARD_RECORD, name) ==
		    0, dipb_event_is_board(e), "%s of the board", name);
		cr_expect_eq(dipb_event_parse(&got, "IC-0001", name) == 0,
		    !dipb_event_is_board(e) && !dipb_event_is_meeting(e),
		    "%s of a record", name);
		cr_expect_eq(dipb_event_parse(&got, DIPB_MEETING_RECORD,
		    name) == 0, dipb_event_is_meeting(e), "%s of a meeting",
		    name);
	}
	cr_expect_eq(dipb_event_parse(&got, NULL, "Drafted"), -1,
	    "event names are lower case, compared exactly");
	cr_expect_eq(dipb_event_parse(&got, NULL, "action"), -1);
	cr_expect_eq(dipb_event_parse(&got, NULL, ""), -1);
	cr_expect_eq(dipb_event_parse(&got, "IC-0001", "created"), -1);
	cr_expect_eq(dipb_event_parse(&got, DIPB_BOARD_RECORD, "drafted"),
	    -1);
	cr_expect_eq(dipb_event_parse(&got, "IC-0001", "held"), -1);
	cr_expect_eq(dipb_event_parse(&got, DIPB_BOARD_RECORD, "held"), -1);
	cr_expect_str_eq(dipb_event_name(DIPB_EVENT_REVIEW_REQUESTED),
	    "review-requested");
	cr_expect_str_eq(dipb_event_name(DIPB_EVENT_ACTION_UPDATED),
	    "action-updated");
}

Test(state_events, every_event_has_a_move_and_every_move_an_event)
{
	const struct dipb_transition *t;
	enum dipb_event_kind e;
	enum dipb_move m;
	int s, rows;

	for (e = 0; e < DIPB_EVENT__COUNT; e++) {
		m = dipb_event_move(e, NULL);
		cr_assert_lt(m, DIPB_MOVE__COUNT, "no move makes %s",
		    dipb_event_name(e));
		cr_expect_eq(dipb_move_is_board(m), dipb_event_is_board(e),
		    "%s", dipb_event_name(e));
	}
	for (m = 0; m < DIPB_MOVE__COUNT; m++) {
		cr_expect_str_neq(dipb_move_name(m), "?");
		for (rows = 0, s = 0; s < DIPB_STATUS__COUNT; s++) {
			if ((t = dipb_state_lookup(m, s)) == NULL)
				continue;
			rows++;
			cr_expect_eq(t->move, m);
			cr_expect_eq(t->from, (enum dipb_status)s);
			cr_expect_eq(t->flags & DIPB_T_QUORUM, 0u);
			cr_expect_eq(dipb_event_move(t->event, NULL) == m ||
			    dipb_move_verdict(NULL, m), 1, "%s makes %s",
			    dipb_move_name(m), dipb_event_name(t->event));
		}
		cr_expect_gt(rows, 0, "%s has no row", dipb_move_name(m));
	}
}

Test(state_events, the_event_tells_the_move, .init = setup,
    .fini = teardown)
{
	cr_expect_eq(dipb_event_move(DIPB_EVENT_DRAFTED, NULL),
	    DIPB_MOVE_RECOMMEND);
	cr_expect_eq(dipb_event_move(DIPB_EVENT_REVIEWED, NULL),
	    DIPB_MOVE_ENDORSE);
	cr_expect_eq(dipb_event_move(DIPB_EVENT_ENDORSED, NULL),
	    DIPB_MOVE_ENDORSE);
	cr_expect_eq(dipb_event_move(DIPB_EVENT_CREATED, NULL),
	    DIPB_MOVE_INIT);
	cr_expect_eq(dipb_event_move(DIPB_EVENT_CHANGED, NULL),
	    DIPB_MOVE_EDIT_BOARD);
	cr_expect_eq(dipb_event_move(DIPB_EVENT_RETURNED, NULL),
	    DIPB_MOVE_REQUEST_CHANGES);
	cr_expect_eq(dipb_event_move(DIPB_EVENT_RETURNED, &rec),
	    DIPB_MOVE_REQUEST_CHANGES, "no review yet");
	add_review("r1@example.org", DIPB_VERDICT_OBJECT, "00000000");
	cr_expect_eq(dipb_event_move(DIPB_EVENT_RETURNED, &rec),
	    DIPB_MOVE_OBJECT, "the last review is an objection");
	add_review("r2@example.org", DIPB_VERDICT_REQUEST_CHANGES,
	    "00000000");
	cr_expect_eq(dipb_event_move(DIPB_EVENT_RETURNED, &rec),
	    DIPB_MOVE_REQUEST_CHANGES);
}

Test(state_events, verdicts_and_quorum_events)
{
	enum dipb_verdict v;

	cr_expect_eq(dipb_move_verdict(&v, DIPB_MOVE_ENDORSE), 1);
	cr_expect_eq(v, DIPB_VERDICT_ENDORSE);
	cr_expect_eq(dipb_move_verdict(&v, DIPB_MOVE_OBJECT), 1);
	cr_expect_eq(v, DIPB_VERDICT_OBJECT);
	cr_expect_eq(dipb_move_verdict(&v, DIPB_MOVE_REQUEST_CHANGES), 1);
	cr_expect_eq(v, DIPB_VERDICT_REQUEST_CHANGES);
	cr_expect_eq(dipb_move_verdict(NULL, DIPB_MOVE_REQUEST), 0);
	cr_expect_eq(dipb_move_verdict(NULL, DIPB_MOVE_SUBMIT), 0);
	cr_expect_eq(dipb_event_reaches_quorum(DIPB_EVENT_ENDORSED), 1);
	cr_expect_eq(dipb_event_reaches_quorum(DIPB_EVENT_REVIEWED), 0);
	cr_expect_eq(dipb_event_reaches_quorum(DIPB_EVENT_SUBMITTED), 0);
	cr_expect_eq(dipb_move_role(DIPB_MOVE_EDIT_BOARD), DIPB_ROLE_CHAIR);
	cr_expect_eq(dipb_move_role(DIPB_MOVE_OBJECT), DIPB_ROLE_REVIEWER);
}

Test(state_events, lookup_by_event)
{
	const struct dipb_transition *t;

	t = dipb_state_lookup_event(DIPB_MOVE_ENDORSE, DIPB_STATUS_IN_REVIEW,
	    DIPB_EVENT_ENDORSED);
	cr_assert_not_null(t);
	cr_expect_eq(t->to, DIPB_STATUS_ENDORSED);
	cr_expect_eq(t->flags & DIPB_T_QUORUM, DIPB_T_QUORUM);
	t = dipb_state_lookup_event(DIPB_MOVE_ENDORSE, DIPB_STATUS_IN_REVIEW,
	    DIPB_EVENT_REVIEWED);
	cr_assert_not_null(t);
	cr_expect_eq(t->to, DIPB_STATUS_IN_REVIEW);
	cr_expect_null(dipb_state_lookup_event(DIPB_MOVE_ENDORSE,
	    DIPB_STATUS_IN_REVIEW, DIPB_EVENT_RETURNED));
	cr_expect_null(dipb_state_lookup_event(DIPB_MOVE_ENDORSE,
	    DIPB_STATUS_DRAFT, DIPB_EVENT_REVIEWED));
	t = dipb_state_lookup_event(DIPB_MOVE_WITHDRAW, DIPB_STATUS_RETURNED,
	    DIPB_EVENT_WITHDRAWN);
	cr_assert_not_null(t);
	cr_expect_eq(t->to, DIPB_STATUS_WITHDRAWN);
}

Test(state_quorum, the_table_turns_an_endorsement_at_quorum,
    .init = setup, .fini = teardown)
{
	const struct dipb_transition *t;
	char fp[DIPB_FINGERPRINT_LEN + 1];
	unsigned n = 99;

	dipb_record_fingerprint(&rec, fp);
	add_review("r1@example.org", DIPB_VERDICT_ENDORSE, fp);
	cr_expect_eq(dipb_state_quorum(&n, &board, &rec), 0);
	cr_expect_eq(n, 1);
	t = dipb_state_next(&n, &board, DIPB_MOVE_ENDORSE,
	    DIPB_STATUS_IN_REVIEW, &rec);
	cr_assert_not_null(t);
	cr_expect_eq(t->event, DIPB_EVENT_REVIEWED);
	cr_expect_eq(t->to, DIPB_STATUS_IN_REVIEW);
	cr_expect_eq(n, 1);

	add_review("r2@example.org", DIPB_VERDICT_ENDORSE, fp);
	cr_expect_eq(dipb_state_quorum(NULL, &board, &rec), 1);
	t = dipb_state_next(&n, &board, DIPB_MOVE_ENDORSE,
	    DIPB_STATUS_IN_REVIEW, &rec);
	cr_assert_not_null(t);
	cr_expect_eq(t->event, DIPB_EVENT_ENDORSED);
	cr_expect_eq(t->to, DIPB_STATUS_ENDORSED);
	cr_expect_eq(n, 2);

	t = dipb_state_next(NULL, &board, DIPB_MOVE_REQUEST_CHANGES,
	    DIPB_STATUS_IN_REVIEW, &rec);
	cr_assert_not_null(t);
	cr_expect_eq(t->event, DIPB_EVENT_RETURNED,
	    "only an endorsement turns at the quorum");
	cr_expect_null(dipb_state_next(NULL, &board, DIPB_MOVE_ENDORSE,
	    DIPB_STATUS_DRAFT, &rec));
	board.quorum = 3;
	t = dipb_state_next(NULL, &board, DIPB_MOVE_ENDORSE,
	    DIPB_STATUS_IN_REVIEW, &rec);
	cr_expect_eq(t->event, DIPB_EVENT_REVIEWED, "the board's quorum");
}

Test(state_permit, the_board_is_the_chairs, .init = setup,
    .fini = teardown)
{
	const struct dipb_error *err;

	cr_expect_eq(code_of(dipb_state_permit(&board, "chair@example.org",
	    DIPB_MOVE_EDIT_BOARD, NULL, NULL)), 0);
	cr_expect_eq(code_of(dipb_state_permit(&board, "chair@example.org",
	    DIPB_MOVE_INIT, NULL, NULL)), 0);
	err = dipb_state_permit(&board, "sec@example.org",
	    DIPB_MOVE_EDIT_BOARD, NULL, NULL);
	cr_assert_not_null(err);
	cr_expect_str_eq(err->msg, "sec@example.org may not change dipb.yaml: "
	    "needs the chair role");
	dipb_error_free(err);
	err = dipb_state_permit(&board, "x@example.org",
	    DIPB_MOVE_EDIT_BOARD, NULL, NULL);
	cr_assert_not_null(err);
	cr_expect_str_eq(err->msg, "x@example.org is not a member of the "
	    "board: edit --board needs the chair role");
	dipb_error_free(err);
}

Test(state_check, board_moves_are_not_offered_to_records)
{
	const struct dipb_error *err;

	err = dipb_state_check("IC-0001", DIPB_MOVE_EDIT, DIPB_STATUS_NONE);
	cr_assert_not_null(err);
	cr_expect_str_eq(err->msg, "IC-0001 is none: cannot edit (allowed: "
	    "none, the record is final)");
	dipb_error_free(err);
}

Test(state_check, refusal_says_what_the_member_may_do, .init = setup,
    .fini = teardown)
{
	const struct dipb_error *err;

	rec.status = DIPB_STATUS_RETURNED;
	err = dipb_state_check_record(&board, "r1@example.org",
	    DIPB_MOVE_ENDORSE, &rec);
	cr_assert_not_null(err);
	cr_expect_str_eq(err->msg, "IC-0001 is returned: cannot review "
	    "--endorse (allowed: edit, review --request, withdraw, review "
	    "--reply-to; none by you: it waits on a drafter of "
	    "industrial-capacity)");
	dipb_error_free(err);
	rec.status = DIPB_STATUS_DRAFT;
	err = dipb_state_check_record(&board, "sec@example.org",
	    DIPB_MOVE_SUBMIT, &rec);
	cr_assert_not_null(err);
	cr_expect_str_eq(err->msg, "IC-0001 is draft: cannot submit "
	    "(allowed: edit, review --request, withdraw; by you: withdraw)");
	dipb_error_free(err);
	/* The drafter may make every move allowed: the list as it was. */
	err = dipb_state_check_record(&board, "d@example.org",
	    DIPB_MOVE_SUBMIT, &rec);
	cr_assert_not_null(err);
	cr_expect_str_eq(err->msg, "IC-0001 is draft: cannot submit "
	    "(allowed: edit, review --request, withdraw)");
	dipb_error_free(err);
}

Test(state_permit, the_owner_does_not_move_their_own_due_date,
    .init = setup, .fini = teardown)
{
	const struct dipb_error *err;

	rec.status = DIPB_STATUS_DECIDED;
	rec.actions = calloc(2, sizeof(*rec.actions));
	rec.nactions = 2;
	rec.actions[0].text = strdup("Minutes.");
	rec.actions[0].owner = strdup("Sec@Example.org");
	rec.actions[1].text = strdup("Contracts.");
	rec.actions[1].owner = strdup("National Armaments Directors");
	err = dipb_state_permit_action(&board, "sec@example.org",
	    DIPB_MOVE_RESCHEDULE, &rec, 1);
	cr_assert_not_null(err, "the owner's own due date, case aside");
	cr_expect_str_eq(err->msg, "sec@example.org owns action 1 of IC-0001: "
	    "the owner does not move their own due date; another secretary "
	    "or the chair records the move");
	cr_expect_eq(dipb_error_exit_status(err), 3);
	dipb_error_free(err);
	cr_expect_eq(code_of(dipb_state_permit_action(&board, "chair@example.org",
	    DIPB_MOVE_RESCHEDULE, &rec, 1)), 0, "another member moves it");
	cr_expect_eq(code_of(dipb_state_permit_action(&board, "sec@example.org",
	    DIPB_MOVE_RESCHEDULE, &rec, 2)), 0, "an action of another owner");
	cr_expect_eq(code_of(dipb_state_permit_action(&board, "sec@example.org",
	    DIPB_MOVE_ACTION, &rec, 1)), 0,
	    "only the table's rows of action --due say so: the owner's "
	    "action is done by the secretary");
	cr_expect_eq(code_of(dipb_state_permit_action(&board, "sec@example.org",
	    DIPB_MOVE_RESCHEDULE, &rec, 3)), 0, "no action 3");
}

Test(state_permit, the_owner_by_name_or_as_name_and_email,
    .init = setup, .fini = teardown)
{
	static const struct {
		const char		*owner;
		const struct dipb_board	*b;
		int			 code;
	} t[] = {
		{ " sec ", &board, DIPB_ERR_DENIED },
		{ "The Secretary <SEC@example.org>", &board, DIPB_ERR_DENIED },
		{ "Sec <other@example.org>", &board, 0 },
		/* No board: verify's rule, the address as written alone. */
		{ " sec ", NULL, 0 },
		{ "The Secretary <SEC@example.org>", NULL, 0 },
		{ "sec@example.org ", NULL, 0 },
		{ "SEC@example.org", NULL, DIPB_ERR_DENIED },
	};
	size_t i;

	rec.status = DIPB_STATUS_DECIDED;
	rec.actions = calloc(1, sizeof(*rec.actions));
	rec.nactions = 1;
	rec.actions[0].text = strdup("Minutes.");
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		free(rec.actions[0].owner);
		rec.actions[0].owner = strdup(t[i].owner);
		cr_expect_eq(code_of(dipb_state_permit_action(t[i].b,
		    "sec@example.org", DIPB_MOVE_RESCHEDULE, &rec, 1)),
		    t[i].code, "owner '%s'", t[i].owner);
	}
}

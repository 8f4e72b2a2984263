/*
 * Unit tests of state.c: the transition table, the refusals and the
 * quorum count, without touching disk.
 */
#include <string.h>

#include <criterion/criterion.h>

#include "board.h"
#include "error.h"
#include "helpers.h"
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
		cr_expect_null(dipb_state_lookup(m, DIPB_STATUS_WITHDRAWN));
		if (m != DIPB_MOVE_ACTION)
			cr_expect_null(dipb_state_lookup(m,
			    DIPB_STATUS_DECIDED));
	}
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

/*
 * Unit tests of todo.c: owners matched by email or name, and what waits
 * for each role on a small board, without touching disk.
 */
#include <string.h>

#include <criterion/criterion.h>

#include "board.h"
#include "helpers.h"
#include "record.h"
#include "todo.h"

static const char board_yaml[] =
    "board: Test Board\n"
    "submit_to: National Armaments Directors\n"
    "working_groups:\n"
    "  - key: industrial-capacity\n"
    "    prefix: IC\n"
    "    name: Industrial Capacity\n"
    "classifications:\n"
    "  - NATO UNCLASSIFIED\n"
    "review:\n"
    "  quorum: 2\n"
    "members:\n"
    "  - name: Dora Drafter\n"
    "    email: d@example.org\n"
    "    roles: [drafter]\n"
    "  - name: R1\n"
    "    email: r1@example.org\n"
    "    roles: [reviewer]\n"
    "  - name: R2\n"
    "    email: r2@example.org\n"
    "    roles: [reviewer]\n"
    "  - name: Chair\n"
    "    email: chair@example.org\n"
    "    roles: [chair]\n";

static struct dipb_board board;
static struct dipb_record recs[4];

static void
mkrec(struct dipb_record *r, const char *id, enum dipb_status st)
{
	dipb_record_init(r);
	r->id = strdup(id);
	r->title = strdup(id);
	r->working_group = strdup("industrial-capacity");
	r->status = st;
	r->classification = strdup("NATO UNCLASSIFIED");
	r->created = strdup("2026-01-01");
	r->updated = strdup("2026-01-10");
	r->author = strdup("d@example.org");
	r->summary = strdup("S.\n");
}

static void
review(struct dipb_record *r, const char *who, enum dipb_verdict v,
    const char *date, const char *fp)
{
	struct dipb_review *rv;

	r->reviews = realloc(r->reviews, (r->nreviews + 1) *
	    sizeof(*r->reviews));
	rv = &r->reviews[r->nreviews++];
	memset(rv, 0, sizeof(*rv));
	rv->reviewer = strdup(who);
	rv->verdict = v;
	rv->date = strdup(date);
	rv->fingerprint = strdup(fp);
}

static void
setup(void)
{
	char fp[DIPB_FINGERPRINT_LEN + 1];

	test_board_load(&board, board_yaml);
	/* IC-0001 in review: R1 endorsed it as it is, R2 an older text. */
	mkrec(&recs[0], "IC-0001", DIPB_STATUS_IN_REVIEW);
	dipb_record_fingerprint(&recs[0], fp);
	review(&recs[0], "r1@example.org", DIPB_VERDICT_ENDORSE, "2026-01-12",
	    fp);
	review(&recs[0], "r2@example.org", DIPB_VERDICT_ENDORSE, "2026-01-05",
	    "00000000");
	/* IC-0002 returned by R2. */
	mkrec(&recs[1], "IC-0002", DIPB_STATUS_RETURNED);
	review(&recs[1], "r2@example.org", DIPB_VERDICT_REQUEST_CHANGES,
	    "2026-01-11", "00000000");
	/* IC-0003 decided, two open actions: the drafter's, by name. */
	mkrec(&recs[2], "IC-0003", DIPB_STATUS_DECIDED);
	recs[2].actions = calloc(2, sizeof(*recs[2].actions));
	recs[2].nactions = 2;
	recs[2].actions[0].text = strdup("A");
	recs[2].actions[0].owner = strdup("  dora DRAFTER ");
	recs[2].actions[0].due = strdup("2026-01-31");
	recs[2].actions[1].text = strdup("B");
	recs[2].actions[1].owner = strdup("Someone <x@example.org>");
	recs[2].actions[1].due = strdup("2026-01-15");
	recs[2].decision = calloc(1, sizeof(*recs[2].decision));
	recs[2].decision->date = strdup("2026-01-14");
	/* IC-0004 endorsed. */
	mkrec(&recs[3], "IC-0004", DIPB_STATUS_ENDORSED);
}

static void
teardown(void)
{
	size_t i;

	for (i = 0; i < 4; i++)
		dipb_record_release(&recs[i]);
	dipb_board_release(&board);
}

TestSuite(todo, .init = setup, .fini = teardown);

Test(todo, owner_by_email_name_or_both)
{
	cr_assert(dipb_owner_names(NULL, "d@example.org", "D@Example.org", NULL));
	cr_assert(dipb_owner_names(NULL, " Dora Drafter ", "d@example.org",
	    "dora drafter"));
	cr_assert(dipb_owner_names(NULL, "Dora <d@example.org>",
	    "d@example.org", NULL));
	cr_assert(dipb_owner_names(NULL, "Dora  \t Drafter", "d@example.org",
	    "Dora Drafter"), "a run of blanks inside a name is one");
	cr_assert(!dipb_owner_names(NULL, "Dora", "d@example.org",
	    "Dora Drafter"));
	cr_assert(!dipb_owner_names(NULL, "Other <o@example.org>",
	    "d@example.org", "Other"));
	cr_assert(!dipb_owner_names(NULL, NULL, "d@example.org", NULL));
	cr_assert(!dipb_owner_names(NULL, "d@example.org.uk",
	    "d@example.org", NULL));
}

static void
collect(struct dipb_todo *t, const char *email)
{
	memset(t, 0, sizeof(*t));
	dipb_todo_collect(t, &board, email, dipb_board_member(&board, email),
	    recs, 4, "2026-01-20");
}

Test(todo, reviewer_owes_a_changed_text_only)
{
	struct dipb_todo t;

	collect(&t, "r1@example.org");
	cr_assert_eq(t.n, 0, "R1 endorsed the current text");
	dipb_todo_release(&t);
	collect(&t, "r2@example.org");
	cr_assert_eq(t.n, 1);
	cr_assert_eq(t.v[0].kind, DIPB_TODO_REVIEW);
	cr_assert_str_eq(t.v[0].rec->id, "IC-0001");
	cr_assert_not_null(t.v[0].review, "their stale endorsement");
	/* Since the first review of the current text. */
	cr_assert_str_eq(t.v[0].since, "2026-01-12");
	cr_assert_eq(t.v[0].days, 8);
	dipb_todo_release(&t);
}

Test(todo, drafter_returned_and_actions)
{
	struct dipb_todo t;

	collect(&t, "d@example.org");
	cr_assert_eq(t.n, 2);
	cr_assert_eq(t.v[0].kind, DIPB_TODO_RETURNED);
	cr_assert_str_eq(t.v[0].since, "2026-01-11");
	cr_assert_str_eq(t.v[0].review->reviewer, "r2@example.org");
	cr_assert_eq(t.v[1].kind, DIPB_TODO_ACTION);
	cr_assert_eq(t.v[1].number, 1);
	cr_assert(t.v[1].has_due);
	cr_assert_eq(t.v[1].due_in, 11);
	dipb_todo_release(&t);
}

Test(todo, chair_without_secretary_submits_and_sees_overdue)
{
	struct dipb_todo t;

	collect(&t, "chair@example.org");
	cr_assert_eq(t.n, 2);
	cr_assert_eq(t.v[0].kind, DIPB_TODO_SUBMIT);
	cr_assert_str_eq(t.v[0].rec->id, "IC-0004");
	cr_assert_eq(t.v[1].kind, DIPB_TODO_OVERDUE);
	cr_assert_eq(t.v[1].number, 2);
	cr_assert_eq(t.v[1].due_in, -5);
	dipb_todo_release(&t);
}

Test(todo, not_a_member_gets_their_actions)
{
	struct dipb_todo t;

	memset(&t, 0, sizeof(t));
	dipb_todo_collect(&t, &board, "x@example.org", NULL, recs, 4,
	    "2026-01-20");
	cr_assert_eq(t.n, 1);
	cr_assert_eq(t.v[0].kind, DIPB_TODO_ACTION);
	cr_assert_eq(t.v[0].number, 2);
	dipb_todo_release(&t);
}

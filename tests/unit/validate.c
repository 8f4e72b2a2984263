/*
 * Unit tests of validate.c (each rule on an in-memory record and board,
 * without touching disk) and of diag.c's output formats (github escaping,
 * JUnit XML, JSON Lines).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "board.h"
#include "diag.h"
#include "helpers.h"
#include "record.h"
#include "text.h"
#include "validate.h"

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
    "  - name: Drafter\n"
    "    email: d@example.org\n"
    "    roles: [drafter]\n"
    "  - name: R1\n"
    "    email: r1@example.org\n"
    "    roles: [reviewer]\n"
    "  - name: R2\n"
    "    email: r2@example.org\n"
    "    roles: [reviewer, drafter]\n"
    "  - name: Sec\n"
    "    email: sec@example.org\n"
    "    roles: [secretary]\n";

static struct dipb_board board;
static struct dipb_record rec;
static struct dipb_diags diags;
static char fp[DIPB_FINGERPRINT_LEN + 1];

static void
setup(void)
{
	test_board_load(&board, board_yaml);
	dipb_diags_init(&diags);
	dipb_record_init(&rec);
	rec.id = strdup("IC-0001");
	rec.title = strdup("Title");
	rec.working_group = strdup("industrial-capacity");
	rec.status = DIPB_STATUS_DRAFT;
	rec.classification = strdup("NATO UNCLASSIFIED");
	rec.created = strdup("2026-01-01");
	rec.author = strdup("d@example.org");
	rec.summary = strdup("Summary.\n");
	dipb_record_fingerprint(&rec, fp);
}

static void
teardown(void)
{
	dipb_diags_release(&diags);
	dipb_record_release(&rec);
	dipb_board_release(&board);
}

static void
add_review(const char *who, enum dipb_verdict v, const char *f)
{
	struct dipb_review *rv;

	rec.reviews = realloc(rec.reviews, (rec.nreviews + 1) *
	    sizeof(*rec.reviews));
	rv = &rec.reviews[rec.nreviews++];
	memset(rv, 0, sizeof(*rv));
	rv->reviewer = strdup(who);
	rv->date = strdup("2026-02-01");
	rv->verdict = v;
	rv->fingerprint = strdup(f);
}

/* Runs the rules; asserts the rules met, in order, space-separated. */
static void
expect(const char *path, const struct dipb_board *b, int flags,
    const char *rules)
{
	struct dipb_buf got = DIPB_BUF_INIT;
	size_t i;

	dipb_validate_record(&diags, path, &rec, b, flags);
	for (i = 0; i < diags.n; i++)
		dipb_buf_printf(&got, "%s%s", i > 0 ? " " : "",
		    diags.v[i].rule);
	cr_assert_str_eq(dipb_buf_cstr(&got), rules, "rules: '%s', want "
	    "'%s' (first message: %s)", dipb_buf_cstr(&got), rules,
	    diags.n > 0 ? diags.v[0].msg : "-");
	dipb_buf_release(&got);
}

TestSuite(validate, .init = setup, .fini = teardown);

Test(validate, clean_draft)
{
	expect("recommendations/IC-0001.yaml", &board, 0, "");
	cr_assert_eq(diags.nerrors, 0);
}

Test(validate, file_name)
{
	expect("x/IC-0002.yaml", &board, 0, "file-name");
	cr_assert_str_eq(diags.v[0].path, "x/IC-0002.yaml");
}

Test(validate, file_name_needs_yaml_suffix)
{
	expect("IC-0001.yml", NULL, 0, "file-name");
}

Test(validate, no_path_no_file_name_rule)
{
	expect(NULL, &board, 0, "");
}

Test(validate, working_group_and_prefix)
{
	free(rec.working_group);
	rec.working_group = strdup("logistics");
	expect("IC-0001.yaml", &board, 0, "working-group");
	dipb_diags_release(&diags);
	free(rec.working_group);
	rec.working_group = strdup("supply-chain-security");
	expect("IC-0001.yaml", &board, 0, "id-prefix");
	dipb_diags_release(&diags);
	expect("IC-0001.yaml", NULL, 0, "");
}

Test(validate, classification)
{
	free(rec.classification);
	rec.classification = strdup("COSMIC TOP SECRET");
	expect("IC-0001.yaml", &board, 0, "classification");
}

Test(validate, review_classification)
{
	rec.status = DIPB_STATUS_IN_REVIEW;
	add_review("r1@example.org", DIPB_VERDICT_ENDORSE, fp);
	rec.reviews[0].classification = strdup("NATO UNCLASSIFIED");
	expect("IC-0001.yaml", &board, DIPB_VALIDATE_STABLE, "");
	free(rec.reviews[0].classification);
	rec.reviews[0].classification = strdup("COSMIC TOP SECRET");
	expect("IC-0001.yaml", &board, DIPB_VALIDATE_STABLE,
	    "classification");
}

Test(validate, members_and_roles)
{
	free(rec.author);
	rec.author = strdup("nobody@example.org");
	rec.status = DIPB_STATUS_IN_REVIEW;
	add_review("sec@example.org", DIPB_VERDICT_ENDORSE, fp);
	add_review("eve@example.org", DIPB_VERDICT_ENDORSE, fp);
	add_review("R1@EXAMPLE.ORG", DIPB_VERDICT_ENDORSE, fp);
	expect("IC-0001.yaml", &board, 0, "member reviewer-role member");
	dipb_diags_release(&diags);
	/* A member leaving the board does not lock records away. */
	expect("IC-0001.yaml", &board, DIPB_VALIDATE_STABLE, "");
}

Test(validate, self_and_duplicate_review)
{
	rec.status = DIPB_STATUS_IN_REVIEW;
	add_review("D@example.org", DIPB_VERDICT_ENDORSE, fp);
	add_review("r1@example.org", DIPB_VERDICT_OBJECT, fp);
	add_review("r1@example.org", DIPB_VERDICT_ENDORSE, fp);
	expect("IC-0001.yaml", NULL, 0, "self-review duplicate-review");
}

Test(validate, fingerprint_format)
{
	rec.status = DIPB_STATUS_IN_REVIEW;
	add_review("r1@example.org", DIPB_VERDICT_ENDORSE, "ABCDEF12");
	add_review("r2@example.org", DIPB_VERDICT_ENDORSE, "abcdef1");
	add_review("r2@example.org", DIPB_VERDICT_ENDORSE, "abcdef123");
	add_review("r2@example.org", DIPB_VERDICT_ENDORSE, "abcdefg1");
	add_review("sec@example.org", DIPB_VERDICT_ENDORSE, "0123abcd");
	expect(NULL, NULL, 0, "fingerprint fingerprint fingerprint "
	    "duplicate-review fingerprint duplicate-review");
}

Test(validate, endorsed_needs_quorum_of_fresh_distinct_reviewers)
{
	rec.status = DIPB_STATUS_ENDORSED;
	add_review("r1@example.org", DIPB_VERDICT_ENDORSE, fp);
	expect("IC-0001.yaml", &board, 0, "status");
	cr_assert(strstr(diags.v[0].msg, "1 endorsement counts towards the "
	    "quorum of 2") != NULL, "%s", diags.v[0].msg);
	dipb_diags_release(&diags);
	add_review("r2@example.org", DIPB_VERDICT_ENDORSE, "00000000");
	expect("IC-0001.yaml", &board, 0, "status");	/* stale */
	dipb_diags_release(&diags);
	free(rec.reviews[1].fingerprint);
	rec.reviews[1].fingerprint = strdup(fp);
	expect("IC-0001.yaml", &board, 0, "");
	dipb_diags_release(&diags);
	/* The quorum may change in dipb.yaml: not a rule of other commands. */
	board.quorum = 3;
	expect("IC-0001.yaml", &board, DIPB_VALIDATE_STABLE, "");
	expect("IC-0001.yaml", &board, 0, "status");
}

Test(validate, endorsement_by_author_does_not_count)
{
	rec.status = DIPB_STATUS_ENDORSED;
	add_review("r1@example.org", DIPB_VERDICT_ENDORSE, fp);
	add_review("D@example.org", DIPB_VERDICT_ENDORSE, fp);
	expect("IC-0001.yaml", &board, 0, "self-review reviewer-role status");
}

Test(validate, endorsed_keeps_endorsements_of_reviewers_who_left)
{
	/* Each counted when it was given (dipb-validate(1), status): a
	 * reviewer who lost the role, or left, is a warning. */
	rec.status = DIPB_STATUS_ENDORSED;
	add_review("r1@example.org", DIPB_VERDICT_ENDORSE, fp);
	add_review("sec@example.org", DIPB_VERDICT_ENDORSE, fp);
	expect("IC-0001.yaml", &board, 0, "reviewer-role");
	cr_assert_eq(diags.nerrors, 0);
	dipb_diags_release(&diags);
	free(rec.reviews[1].reviewer);
	rec.reviews[1].reviewer = strdup("gone@example.org");
	expect("IC-0001.yaml", &board, 0, "member");
	cr_assert_eq(diags.nerrors, 0);
	dipb_diags_release(&diags);
	/* In review, the reviewer is not history: an error, and the
	 * quorum is the board's as it is. */
	rec.status = DIPB_STATUS_IN_REVIEW;
	expect("IC-0001.yaml", &board, 0, "member");
	cr_assert_eq(diags.nerrors, 1);
}

Test(validate, draft_and_returned)
{
	/* A draft keeps the reviews given before it was recalled. */
	add_review("r1@example.org", DIPB_VERDICT_ENDORSE, fp);
	expect(NULL, NULL, 0, "");
	dipb_diags_release(&diags);
	rec.status = DIPB_STATUS_RETURNED;
	expect(NULL, NULL, 0, "status");
	dipb_diags_release(&diags);
	add_review("r2@example.org", DIPB_VERDICT_REQUEST_CHANGES, fp);
	expect(NULL, NULL, 0, "");
}

Test(validate, closing_parts)
{
	rec.status = DIPB_STATUS_DECIDED;
	rec.withdrawal = calloc(1, sizeof(*rec.withdrawal));
	expect(NULL, NULL, 0, "submission decision withdrawal");
	dipb_diags_release(&diags);
	rec.status = DIPB_STATUS_WITHDRAWN;
	expect(NULL, NULL, 0, "");
	dipb_diags_release(&diags);
	rec.status = DIPB_STATUS_SUBMITTED;
	rec.submission = calloc(1, sizeof(*rec.submission));
	rec.decision = calloc(1, sizeof(*rec.decision));
	expect(NULL, NULL, 0, "decision withdrawal");
}

Test(validate, unread_status_checks_nothing)
{
	rec.status = DIPB_STATUS_NONE;
	rec.submission = calloc(1, sizeof(*rec.submission));
	expect(NULL, NULL, 0, "");
}

Test(validate, date_order_is_a_warning)
{
	rec.updated = strdup("2025-12-31");
	expect(NULL, NULL, 0, "date-order");
	cr_assert_eq(diags.nerrors, 0);
	cr_assert_eq(diags.v[0].sev, DIPB_SEV_WARNING);
	dipb_diags_release(&diags);
	free(rec.updated);
	rec.updated = strdup("2026-01-01");
	expect(NULL, NULL, 0, "");
}

Test(validate, partial_records_do_not_crash)
{
	struct dipb_record empty;

	rec.status = DIPB_STATUS_ENDORSED;
	add_review("r1@example.org", DIPB_VERDICT_ENDORSE, fp);
	add_review("r2@example.org", DIPB_VERDICT_ENDORSE, fp);
	free(rec.reviews[0].reviewer);
	rec.reviews[0].reviewer = NULL;
	free(rec.reviews[1].fingerprint);
	rec.reviews[1].fingerprint = NULL;
	expect("IC-0001.yaml", &board, 0, "status");
	dipb_diags_release(&diags);
	dipb_record_init(&empty);
	cr_assert_eq(dipb_validate_record(&diags, "x.yaml", &empty, &board,
	    0), 0);
}

Test(validate, board_rules)
{
	free(board.members[0].email);
	board.members[0].email = strdup("no-at-sign");
	board.members[3].roles = 0;
	dipb_strlist_push(&board.members[1].working_groups,
	    "industrial-capacity");
	/* The fixture has no chair: an error of its own, last. */
	cr_assert_eq(dipb_validate_board(&diags, "dipb.yaml", &board), 2);
	cr_assert_eq(diags.n, 4);
	cr_assert_str_eq(diags.v[0].rule, "email");
	cr_assert_str_eq(diags.v[1].rule, "role");
	cr_assert_eq(diags.v[1].sev, DIPB_SEV_WARNING);
	cr_assert_str_eq(diags.v[2].rule, "role");
	cr_assert_str_eq(diags.v[3].rule, "chair");
}

Test(validate, board_chair)
{
	board.members[3].roles = DIPB_ROLE_CHAIR;
	cr_assert_eq(dipb_validate_board(&diags, "dipb.yaml", &board), 0,
	    "a chair");
	/* Required signing: a chair with a key, or nobody signs a change
	 * of the board (dipb-board(5), "Signing"). */
	board.signing = DIPB_SIGNING_REQUIRED;
	dipb_strlist_push(&board.members[0].keys, "ssh-ed25519 AAAA");
	cr_assert_eq(dipb_validate_board(&diags, "dipb.yaml", &board), 1);
	cr_assert_str_eq(diags.v[0].rule, "chair");
	cr_assert_str_eq(diags.v[0].msg, "signing is required but no chair "
	    "has a key: nobody could sign a change of dipb.yaml again "
	    "(dipb-board(5), \"Signing\")");
	dipb_strlist_push(&board.members[3].keys, "ssh-ed25519 AAAA");
	cr_assert_eq(dipb_validate_board(&diags, "dipb.yaml", &board), 0,
	    "the chair has a key");
}

Test(validate, duplicate_ids_within_a_group)
{
	struct dipb_idref v[] = {
		{ "IC-0002", "b.yaml", { 3, 5 }, 0 },
		{ "IC-0001", "c.yaml", { 1, 5 }, 0 },
		{ "IC-0001", "a.yaml", { 1, 5 }, 0 },
		{ "IC-0001", "z.yaml", { 1, 5 }, 1 },
		{ "IC-0001", "b.yaml", { 2, 5 }, 0 },
	};

	cr_assert_eq(dipb_validate_ids(&diags, v, 5), 2);
	cr_assert_str_eq(diags.v[0].path, "b.yaml");
	cr_assert_eq(diags.v[0].line, 2);
	cr_assert_str_eq(diags.v[0].rule, "duplicate-id");
	cr_assert_str_eq(diags.v[0].msg, "id 'IC-0001' is also the id of "
	    "'a.yaml'");
	cr_assert_str_eq(diags.v[1].path, "c.yaml");
}

Test(validate, canonical_first_differing_line)
{
	unsigned line = 0;

	cr_assert_eq(dipb_validate_canonical("a\nb\n", 4, "a\nb\n", 4,
	    &line), 1);
	cr_assert_eq(dipb_validate_canonical("a\nb\nc\n", 6, "a\nb\nd\n", 6,
	    &line), 0);
	cr_assert_eq(line, 3);
	cr_assert_eq(dipb_validate_canonical("a\nb\n", 4, "a\nb\nc\n", 6,
	    &line), 0);
	cr_assert_eq(line, 3);
	cr_assert_eq(dipb_validate_canonical("# c\na\n", 6, "a\n", 2,
	    &line), 0);
	cr_assert_eq(line, 1);
}

/* diag.c's formats. */

static char *
printed(const struct dipb_diags *d, enum dipb_diag_format f)
{
	char *s = NULL;
	size_t n = 0;
	FILE *fp = open_memstream(&s, &n);

	cr_assert_not_null(fp);
	dipb_diags_print(fp, d, f);
	fclose(fp);
	return s;
}

Test(diag, github_escaping)
{
	struct dipb_diags d = DIPB_DIAGS_INIT;
	char *s;

	dipb_diags_add(&d, "a%b:c,d\r\ne.yaml", 3, 4, DIPB_SEV_ERROR, "x-y",
	    "100%% sure: a, b\r\nc");
	dipb_diags_add(&d, "w.yaml", 1, 2, DIPB_SEV_WARNING, "unknown-key",
	    "w");
	s = printed(&d, DIPB_DIAG_GITHUB);
	cr_assert_str_eq(s, "::error file=a%25b%3Ac%2Cd%0D%0Ae.yaml,line=3,"
	    "col=4,title=x-y::100%25 sure: a, b%0D%0Ac\n"
	    "::warning file=w.yaml,line=1,col=2,title=unknown-key::w\n");
	free(s);
	dipb_diags_release(&d);
}

Test(diag, gcc_and_json)
{
	struct dipb_diags d = DIPB_DIAGS_INIT;
	char *s;

	dipb_diags_add(&d, "r\xc3\xa9.yaml", 1, 2, DIPB_SEV_ERROR, "date",
	    "'created' \"x\"");
	s = printed(&d, DIPB_DIAG_GCC);
	cr_assert_str_eq(s, "r\xc3\xa9.yaml:1:2: error: 'created' \"x\" [date]\n");
	free(s);
	s = printed(&d, DIPB_DIAG_JSON);
	cr_assert_str_eq(s, "{\"file\":\"r\\u00E9.yaml\",\"line\":1,"
	    "\"column\":2,\"severity\":\"error\",\"rule\":\"date\","
	    "\"message\":\"'created' \\\"x\\\"\"}\n");
	free(s);
	dipb_diags_release(&d);
}

Test(diag, junit)
{
	struct dipb_diags d = DIPB_DIAGS_INIT;
	const char *files[] = { "b.yaml", "a<&>.yaml", "c.yaml" };
	char *s = NULL;
	size_t n = 0;
	FILE *fp;

	dipb_diags_add(&d, "a<&>.yaml", 1, 1, DIPB_SEV_ERROR, "id",
	    "'x' \"y\" \x01 \xff");
	dipb_diags_add(&d, "c.yaml", 2, 1, DIPB_SEV_WARNING, "unknown-key",
	    "w");
	dipb_diags_add(&d, "a<&>.yaml", 2, 1, DIPB_SEV_WARNING, "k", "w2");
	fp = open_memstream(&s, &n);
	dipb_diags_print_junit(fp, &d, files, 3, 0);
	fclose(fp);
	cr_assert_str_eq(s,
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<testsuites name=\"dipb validate\" tests=\"3\" failures=\"1\" "
	    "errors=\"0\">\n"
	    "  <testsuite name=\"dipb validate\" tests=\"3\" failures=\"1\" "
	    "errors=\"0\" skipped=\"0\">\n"
	    "    <testcase classname=\"dipb.validate\" name=\"a&lt;&amp;&gt;"
	    ".yaml\" file=\"a&lt;&amp;&gt;.yaml\">\n"
	    "      <failure type=\"error\" message=\"1 error, 1 warning\">"
	    "a&lt;&amp;&gt;.yaml:1:1: error: &apos;x&apos; &quot;y&quot; ? ? "
	    "[id]\n"
	    "a&lt;&amp;&gt;.yaml:2:1: warning: w2 [k]\n"
	    "</failure>\n"
	    "    </testcase>\n"
	    "    <testcase classname=\"dipb.validate\" name=\"b.yaml\" "
	    "file=\"b.yaml\"/>\n"
	    "    <testcase classname=\"dipb.validate\" name=\"c.yaml\" "
	    "file=\"c.yaml\">\n"
	    "      <system-out>c.yaml:2:1: warning: w [unknown-key]\n"
	    "</system-out>\n"
	    "    </testcase>\n"
	    "  </testsuite>\n"
	    "</testsuites>\n");
	free(s);
	s = NULL;
	fp = open_memstream(&s, &n);
	dipb_diags_print_junit(fp, &d, files, 3, 1);
	fclose(fp);
	cr_assert(strstr(s, "failures=\"2\"") != NULL, "%s", s);
	cr_assert(strstr(s, "<failure type=\"warning\" message=\"0 errors, 1 "
	    "warning\">c.yaml") != NULL, "%s", s);
	free(s);
	dipb_diags_release(&d);
}

/* An action for rec: owner and due as given (due may be NULL). */
static void
add_action(const char *owner, const char *due)
{
	struct dipb_action *a;

	rec.actions = realloc(rec.actions, (rec.nactions + 1) *
	    sizeof(*rec.actions));
	a = &rec.actions[rec.nactions++];
	memset(a, 0, sizeof(*a));
	a->text = strdup("Do it.");
	a->owner = strdup(owner);
	a->due = due != NULL ? strdup(due) : NULL;
}

Test(validate, action_owner_named_by_email_is_a_member)
{
	add_action("National Armaments Directors", NULL);
	add_action("r1@example.org", NULL);
	add_action("someone @ the ministry", NULL);
	expect(NULL, &board, 0, "");
	add_action("x@example.org", NULL);
	expect(NULL, &board, 0, "member");
	/* The member rule needs the board: stable checks skip it. */
	dipb_diags_release(&diags);
	expect(NULL, &board, DIPB_VALIDATE_STABLE, "");
}

Test(validate, action_due_before_the_decision_is_a_warning)
{
	rec.status = DIPB_STATUS_DECIDED;
	rec.submission = calloc(1, sizeof(*rec.submission));
	rec.submission->date = strdup("2026-03-01");
	rec.decision = calloc(1, sizeof(*rec.decision));
	rec.decision->date = strdup("2026-03-10");
	add_action("r1@example.org", "2026-03-10");	/* the day: not late */
	add_action("r1@example.org", "2026-03-09");
	expect(NULL, NULL, 0, "due");
	cr_expect_eq(diags.v[0].sev, DIPB_SEV_WARNING);
	dipb_diags_release(&diags);
	rec.actions[1].state = DIPB_ACTION_DONE;
	expect(NULL, NULL, 0, "");
}

/*
 * [control-character] as the writing commands check what they write:
 * none in a single-line field, none but '\n' and '\t' in a Markdown one,
 * and a value the record before the change held in the same field is not
 * the change's.
 */
Test(validate, controls_a_change_adds)
{
	struct dipb_record was;

	cr_expect_eq(dipb_validate_controls(&diags, NULL, &rec, NULL,
	    DIPB_TEXT_LINE), 0);
	free(rec.summary);
	rec.summary = strdup("Tab\there,\nand a line.\n");
	cr_expect_eq(dipb_validate_controls(&diags, NULL, &rec, NULL,
	    DIPB_TEXT_LINE), 0,
	    "newline and tab are Markdown's");
	free(rec.title);
	rec.title = strdup("Tab\there");
	cr_expect_eq(dipb_validate_controls(&diags, NULL, &rec, NULL,
	    DIPB_TEXT_LINE), 1,
	    "a tab in a single-line field");
	cr_expect_str_eq(diags.v[0].rule, "control-character");
	dipb_diags_release(&diags);
	free(rec.title);
	rec.title = strdup("Title");
	free(rec.summary);
	rec.summary = strdup("Clear \033[2J\n");
	cr_expect_eq(dipb_validate_controls(&diags, NULL, &rec, NULL,
	    DIPB_TEXT_LINE), 1);
	dipb_diags_release(&diags);

	/* Held before, in the same field: no change of it. */
	dipb_record_init(&was);
	was.summary = strdup("Clear \033[2J\n");
	cr_expect_eq(dipb_validate_controls(&diags, NULL, &rec, &was,
	    DIPB_TEXT_LINE), 0);
	free(was.summary);
	was.summary = NULL;
	was.rationale = strdup("Clear \033[2J\n");
	cr_expect_eq(dipb_validate_controls(&diags, NULL, &rec, &was,
	    DIPB_TEXT_LINE), 1,
	    "the same text in another field is not held");
	dipb_diags_release(&diags);
	dipb_record_release(&was);

	/* A line separator: refused in what is written now, not in
	 * history older versions of dipb wrote (dipb verify). */
	free(rec.summary);
	rec.summary = strdup("Summary.");
	free(rec.title);
	rec.title = strdup("Two\xe2\x80\xa8lines");
	cr_expect_eq(dipb_validate_controls(&diags, NULL, &rec, NULL,
	    DIPB_TEXT_LINE), 1);
	dipb_diags_release(&diags);
	cr_expect_eq(dipb_validate_controls(&diags, NULL, &rec, NULL,
	    DIPB_TEXT_LINE_OLD), 0);
	rec.title[3] = '\t';
	cr_expect_eq(dipb_validate_controls(&diags, NULL, &rec, NULL,
	    DIPB_TEXT_LINE_OLD), 1, "a tab is a control in history too");
	dipb_diags_release(&diags);
	free(rec.title);
	rec.title = strdup("Title");
	free(rec.summary);
	rec.summary = strdup("Clear \033[2J\n");

	/* dipb validate's own rule: all of them, whatever was before. */
	expect(NULL, NULL, 0, "control-character");
	dipb_diags_release(&diags);
	expect(NULL, NULL, DIPB_VALIDATE_STABLE, "");
}

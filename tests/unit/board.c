/*
 * Unit tests of board.c: dipb.yaml loading and its problems, the canonical
 * form, the template of dipb init, lookups and roles.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "board.h"
#include "error.h"
#include "helpers.h"

static struct dipb_diags diags;

static int
load(struct dipb_board *b, const char *buf, size_t len)
{
	dipb_diags_init(&diags);
	dipb_board_init(b);
	return dipb_board_load(b, "dipb.yaml", buf, len, &diags);
}

static char *
emit(const struct dipb_board *b)
{
	struct dipb_buf out = DIPB_BUF_INIT;

	dipb_board_emit(b, &out);
	return dipb_buf_detach(&out);
}

static void
expect(const char *rule, unsigned line, unsigned col, const char *msg)
{
	size_t i;

	for (i = 0; i < diags.n; i++)
		if (strcmp(diags.v[i].rule, rule) == 0 &&
		    diags.v[i].line == line && diags.v[i].col == col &&
		    (msg == NULL || strcmp(diags.v[i].msg, msg) == 0))
			return;
	test_print_diags(&diags);
	cr_assert_fail("no [%s] at %u:%u (%s)", rule, line, col,
	    msg ? msg : "any message");
}

static const char section3[] =
    "board: Defence Industrial Production Board\n"
    "short_name: DIPB\n"
    "submit_to: National Armaments Directors\n"
    "working_groups:\n"
    "  - key: industrial-capacity\n"
    "    prefix: IC\n"
    "    name: Industrial Capacity\n"
    "  - key: supply-chain-security\n"
    "    prefix: SCS\n"
    "    name: Supply Chain Security\n"
    "  - key: standardisation-interoperability\n"
    "    prefix: SI\n"
    "    name: Standardisation and Interoperability\n"
    "classifications:\n"
    "  - NATO UNCLASSIFIED\n"
    "  - NATO RESTRICTED\n"
    "review:\n"
    "  quorum: 2\n"
    "members:\n"
    "  - name: Jane Analyst\n"
    "    email: jane@example.org\n"
    "    nation: NL\n"
    "    roles: [drafter]\n"
    "    working_groups: [industrial-capacity]\n"
    "  - name: Jean Dupont\n"
    "    email: jean@example.org\n"
    "    nation: FR\n"
    "    roles: [reviewer]\n"
    "  - name: Anna Reviewer\n"
    "    email: Anna@Example.org\n"
    "    roles: [drafter, reviewer]\n"
    "  - name: Board Secretary\n"
    "    email: secretary@example.org\n"
    "    roles: [secretary]\n"
    "  - name: Board Chair\n"
    "    email: chair@example.org\n"
    "    roles: [chair]\n";

Test(board_load, design_example_round_trip)
{
	struct dipb_board b, b2;
	char *out, *out2;

	cr_assert_eq(load(&b, section3, strlen(section3)), 0);
	cr_assert_eq(diags.n, 0);
	cr_assert_str_eq(b.board, "Defence Industrial Production Board");
	cr_assert_str_eq(b.short_name, "DIPB");
	cr_assert_eq(b.nwgs, 3);
	cr_assert_str_eq(b.wgs[1].prefix, "SCS");
	cr_assert_eq(b.wgs[2].pos.line, 11);
	cr_assert_eq(b.wgs[2].pos.col, 5);
	cr_assert_eq(b.classifications.n, 2);
	cr_assert_eq(b.quorum, 2);
	cr_assert_eq(b.nmembers, 5);
	cr_assert_eq(b.members[0].roles, DIPB_ROLE_DRAFTER);
	cr_assert_eq(b.members[2].roles, DIPB_ROLE_REVIEWER | DIPB_ROLE_DRAFTER);
	cr_assert_str_eq(b.members[0].working_groups.v[0],
	    "industrial-capacity");
	cr_assert_null(b.members[2].nation);
	out = emit(&b);
	cr_assert_str_eq(out, section3);
	dipb_diags_release(&diags);
	cr_assert_eq(load(&b2, out, strlen(out)), 0);
	out2 = emit(&b2);
	cr_assert_str_eq(out2, out);
	free(out2);
	free(out);
	dipb_board_release(&b2);
	dipb_board_release(&b);
	dipb_diags_release(&diags);
}

Test(board_load, fixture_and_example_round_trip)
{
	const char *paths[] = { "tests/unit/fixtures/dipb.yaml",
	    "examples/dipb.yaml" };
	struct dipb_buf in = DIPB_BUF_INIT;
	struct dipb_board b, b2;
	char *path, *out, *out2;
	size_t i;

	for (i = 0; i < 2; i++) {
		path = xasprintf("%s/%s", test_srcdir(), paths[i]);
		cr_assert_null(dipb_read_file(&in, path, 0), "cannot read %s",
		    path);
		cr_assert_eq(load(&b, in.ptr, in.len), 0, "%s", path);
		cr_assert_eq(diags.nerrors, 0);
		dipb_diags_release(&diags);
		out = emit(&b);
		cr_assert_eq(load(&b2, out, strlen(out)), 0);
		dipb_diags_release(&diags);
		out2 = emit(&b2);
		cr_assert_str_eq(out2, out);
		free(out2);
		free(out);
		dipb_board_release(&b2);
		dipb_board_release(&b);
		free(path);
	}
	dipb_buf_release(&in);
}

Test(board_template, canonical_text)
{
	static const char want[] =
	    "board: Defence Industrial Production Board\n"
	    "short_name: DIPB\n"
	    "submit_to: National Armaments Directors\n"
	    "working_groups:\n"
	    "  - key: industrial-capacity\n"
	    "    prefix: IC\n"
	    "    name: Industrial Capacity\n"
	    "  - key: supply-chain-security\n"
	    "    prefix: SCS\n"
	    "    name: Supply Chain Security\n"
	    "  - key: standardisation-interoperability\n"
	    "    prefix: SI\n"
	    "    name: Standardisation and Interoperability\n"
	    "classifications:\n"
	    "  - NATO UNCLASSIFIED\n"
	    "  - NATO RESTRICTED\n"
	    "review:\n"
	    "  quorum: 2\n"
	    "members:\n"
	    "  - name: Ingrid Solberg\n"
	    "    email: ingrid@example.org\n"
	    "    roles: [chair]\n";
	struct dipb_board b, b2;
	char *out;

	dipb_board_init(&b);
	dipb_board_template(&b, NULL, "Ingrid Solberg", "ingrid@example.org");
	out = emit(&b);
	cr_assert_str_eq(out, want);
	/* It loads: no reviewer yet is a warning, not an error. */
	cr_assert_eq(load(&b2, out, strlen(out)), 0);
	cr_assert_eq(diags.nerrors, 0);
	/* At the quorum: key, line 18 column 3, not at review: above it. */
	expect("quorum", 18, 3,
	    "quorum 2 is larger than the number of reviewers (0)");
	cr_assert(dipb_member_has_role(dipb_board_member(&b2,
	    "INGRID@example.org"), DIPB_ROLE_SECRETARY, NULL));
	free(out);
	dipb_board_release(&b2);
	dipb_board_release(&b);
	dipb_diags_release(&diags);
}

Test(board_template, other_name_has_no_short_name)
{
	struct dipb_board b;
	char *out;

	dipb_board_init(&b);
	dipb_board_template(&b, "Test Board", "C", "c@example.org");
	cr_assert_null(b.short_name);
	cr_assert_str_eq(b.board, "Test Board");
	out = emit(&b);
	cr_assert(strncmp(out, "board: Test Board\nsubmit_to: ", 29) == 0,
	    "%s", out);
	free(out);
	dipb_board_release(&b);
	dipb_board_template(&b, "Defence Industrial Production Board", "C",
	    "c@example.org");
	cr_assert_str_eq(b.short_name, "DIPB");
	dipb_board_release(&b);
}

Test(board_emit, quoting)
{
	struct dipb_board b;
	char *out;

	dipb_board_init(&b);
	dipb_board_template(&b, "Board: the second", "Per Norway", "p@no");
	b.members[0].nation = xstrdup("NO");
	b.members[0].roles |= DIPB_ROLE_DRAFTER | DIPB_ROLE_REVIEWER;
	dipb_strlist_push(&b.members[0].working_groups, "industrial-capacity");
	out = emit(&b);
	cr_assert(strncmp(out, "board: \"Board: the second\"\n", 27) == 0);
	cr_assert(strstr(out, "  - name: Per Norway\n    email: p@no\n"
	    "    nation: \"NO\"\n    roles: [drafter, reviewer, chair]\n"
	    "    working_groups: [industrial-capacity]\n") != NULL, "%s", out);
	free(out);
	dipb_board_release(&b);
}

Test(board_emit, nasty_strings_round_trip)
{
	static const char *const nasty[] = { "yes", "NO", "a: b", " lead",
	    "trail ", "#x", "x #y", "12345678", "0x1F", "2026-01-01", "~",
	    "null", "[a]", "{b}", "a, b", "'q'", "\"dq\"", "tab\there",
	    "line\nbreak", "\xc3\xa9t\xc3\xa9", "- item", "&a", "*a", "!t",
	    "%p", "@a", "`b", "|", ">", "?", ":", "x:", "\x01", "a\rb" };
	struct dipb_board b, b2;
	char *out, *out2, *email;
	size_t i;

	for (i = 0; i < sizeof(nasty) / sizeof(nasty[0]); i++) {
		dipb_board_init(&b);
		email = xasprintf("%s@example.org", nasty[i]);
		dipb_board_template(&b, nasty[i], nasty[i], email);
		free(b.submit_to);
		b.submit_to = xstrdup(nasty[i]);
		b.members[0].nation = xstrdup(nasty[i]);
		dipb_strlist_push(&b.classifications, nasty[i]);
		dipb_strlist_push(&b.members[0].working_groups,
		    "industrial-capacity");
		out = emit(&b);
		cr_assert_eq(load(&b2, out, strlen(out)), 0, "%s", out);
		cr_assert_eq(diags.nerrors, 0);
		cr_assert_str_eq(b2.board, nasty[i]);
		cr_assert_str_eq(b2.submit_to, nasty[i]);
		cr_assert_str_eq(b2.members[0].name, nasty[i]);
		cr_assert_str_eq(b2.members[0].nation, nasty[i]);
		cr_assert_str_eq(b2.members[0].email, email);
		cr_assert_str_eq(b2.classifications.v[2], nasty[i]);
		out2 = emit(&b2);
		cr_assert_str_eq(out2, out);
		free(out2);
		free(out);
		free(email);
		dipb_board_release(&b2);
		dipb_board_release(&b);
		dipb_diags_release(&diags);
	}
}

/* Problems. */

static const char head[] =
    "board: B\n"
    "submit_to: T\n"
    "working_groups:\n"
    "  - {key: ic, prefix: IC, name: I}\n"
    "classifications: [U]\n";

static void
expect_error(const char *tail, const char *rule, unsigned line,
    unsigned col, const char *msg)
{
	struct dipb_board b;
	char *y = xasprintf("%s%s", head, tail);

	cr_assert_eq(load(&b, y, strlen(y)), -1, "%s", y);
	expect(rule, line, col, msg);
	dipb_board_release(&b);
	dipb_diags_release(&diags);
	free(y);
}

Test(board_load, minimal_is_valid)
{
	struct dipb_board b;
	char *y = xasprintf("%s%s", head, "members:\n"
	    "  - {name: R, email: r@x, roles: [reviewer]}\n"
	    "  - {name: S, email: s@x, roles: [reviewer, secretary]}\n");

	cr_assert_eq(load(&b, y, strlen(y)), 0);
	cr_assert_eq(diags.n, 0);
	/* Quorum defaults to 2 without 'review'. */
	cr_assert_eq(b.quorum, 2);
	dipb_board_release(&b);
	dipb_diags_release(&diags);
	free(y);
}

Test(board_load, unknown_role)
{
	expect_error("members:\n  - {name: R, email: r@x, roles: [boss]}\n",
	    "enum", 7, 35, "unknown role 'boss' (one of drafter, reviewer, "
	    "secretary, chair)");
}

Test(board_load, duplicates)
{
	expect_error("members:\n  - {name: R, email: r@x, roles: []}\n"
	    "  - {name: S, email: R@X, roles: []}\n", "duplicate", 8, 15,
	    "duplicate member email 'R@X'");
	expect_error("working_groups: []\n", "duplicate-key", 6, 1,
	    "duplicate key 'working_groups'");
	expect_error("members: [{name: R, email: r@x, roles: []}]\n"
	    "classifications: [V]\n", "duplicate-key", 7, 1,
	    "duplicate key 'classifications'");
}

Test(board_load, duplicate_groups)
{
	static const char y[] = "board: B\nsubmit_to: T\nworking_groups:\n"
	    "  - {key: ic, prefix: IC, name: I}\n"
	    "  - {key: ic2, prefix: IC, name: J}\n"
	    "  - {key: ic, prefix: IC3, name: K}\n"
	    "classifications: [U]\n"
	    "members: [{name: R, email: r@x, roles: []}]\n";
	struct dipb_board b;

	cr_assert_eq(load(&b, y, sizeof(y) - 1), -1);
	expect("duplicate", 5, 5, "duplicate working group prefix 'IC'");
	expect("duplicate", 6, 5, "duplicate working group key 'ic'");
	cr_assert_eq(diags.nerrors, 2);
	dipb_board_release(&b);
	dipb_diags_release(&diags);
}

Test(board_load, duplicate_classification)
{
	static const char y[] = "board: B\nsubmit_to: T\nworking_groups:\n"
	    "  - {key: ic, prefix: IC, name: I}\n"
	    "classifications: [U, R, U]\n"
	    "members: [{name: R, email: r@x, roles: []}]\n";
	struct dipb_board b;

	cr_assert_eq(load(&b, y, sizeof(y) - 1), -1);
	expect("duplicate", 5, 25, "duplicate classification 'U'");
	dipb_board_release(&b);
	dipb_diags_release(&diags);
}

Test(board_load, bad_prefix)
{
	static const char y[] = "board: B\nsubmit_to: T\nworking_groups:\n"
	    "  - {key: ic, prefix: ic, name: I}\n"
	    "  - {key: x, prefix: ABCDEFGHI, name: X}\n"
	    "classifications: [U]\n"
	    "members: [{name: R, email: r@x, roles: []}]\n";
	struct dipb_board b;

	cr_assert_eq(load(&b, y, sizeof(y) - 1), -1);
	expect("id", 4, 23, "'prefix' must match [A-Z][A-Z0-9]{0,7}: 'ic'");
	expect("id", 5, 22, NULL);
	cr_assert_eq(diags.nerrors, 2);
	dipb_board_release(&b);
	dipb_diags_release(&diags);
}

Test(board_load, unknown_working_group_of_member)
{
	expect_error("members:\n  - name: D\n    email: d@x\n"
	    "    roles: [drafter]\n    working_groups: [ic, nope]\n",
	    "enum", 10, 26, "unknown working group 'nope'");
}

Test(board_load, quorum)
{
	expect_error("review: {quorum: 0}\nmembers: []\n", "type", 6, 18,
	    "'quorum' must be a whole number from 1 to 1000");
	expect_error("review: {quorum: two}\n", "type", 6, 18, NULL);
	expect_error("review: {quorum: -1}\n", "type", 6, 18, NULL);
	expect_error("review: {quorum: 3x}\n", "type", 6, 18, NULL);
	expect_error("review: {}\n", "required", 6, 9,
	    "missing required key 'quorum'");
}

Test(board_load, required_and_empty)
{
	struct dipb_board b;

	expect_error("", "required", 1, 1, "missing required key 'members'");
	expect_error("members: []\n", "empty", 6, 10, "'members' is empty");
	expect_error("members:\n  - {name: R, roles: [chair]}\n", "required",
	    7, 5, "missing required key 'email'");
	cr_assert_eq(load(&b, "board: B\n", 9), -1);
	expect("required", 1, 1, "missing required key 'submit_to'");
	expect("required", 1, 1, "missing required key 'working_groups'");
	expect("required", 1, 1, "missing required key 'classifications'");
	dipb_board_release(&b);
	dipb_diags_release(&diags);
	cr_assert_eq(load(&b, "", 0), -1);
	expect("empty", 0, 0, "file is empty");
	dipb_board_release(&b);
	dipb_diags_release(&diags);
}

Test(board_load, hostile_input_refused)
{
	struct dipb_board b;

	cr_assert_eq(load(&b, "board: &a B\nsubmit_to: *a\n", 25), -1);
	expect("anchor", 1, 8, "anchors are not allowed");
	cr_assert_eq(diags.n, 1);
	dipb_board_release(&b);
	dipb_diags_release(&diags);
	cr_assert_eq(load(&b, "board: !!binary aGk=\n", 21), -1);
	expect("tag", 1, 8, NULL);
	dipb_board_release(&b);
	dipb_diags_release(&diags);
}

Test(board_load, unknown_key_warns)
{
	struct dipb_board b;
	char *y = xasprintf("%s%s", head, "members:\n"
	    "  - {name: R, email: r@x, roles: [reviewer], phone: 1}\n"
	    "  - {name: S, email: s@x, roles: [reviewer]}\nmotto: x\n");

	cr_assert_eq(load(&b, y, strlen(y)), 0);
	cr_assert_eq(diags.nwarnings, 2);
	expect("unknown-key", 7, 46, "unknown key 'phone'");
	expect("unknown-key", 9, 1, "unknown key 'motto'");
	dipb_board_release(&b);
	dipb_diags_release(&diags);
	free(y);
}

/* Lookups and roles. */

static struct dipb_board board;

static void
setup(void)
{
	cr_assert_eq(load(&board, section3, strlen(section3)), 0);
	dipb_diags_release(&diags);
}

static void
teardown(void)
{
	dipb_board_release(&board);
}

/* The member who names: none when none, or when ambiguous. */
static const struct dipb_member *
named(const struct dipb_board *b, const char *who)
{
	const struct dipb_member *m;

	dipb_error_free(dipb_board_member_named(b, who, &m));
	return m;
}

/*
 * Names may repeat (two members of two nations): the board loads; a name
 * two members share names neither on a command line, and each as an
 * action's owner; an address is its member's before it is another's name.
 */
Test(board_lookup, shared_names_and_addresses_as_names)
{
	struct dipb_board b;
	const struct dipb_member *m;
	const struct dipb_error *e;

	test_board_load(&b, "board: B\nsubmit_to: T\nworking_groups:\n"
	    "  - {key: ic, prefix: IC, name: I}\n"
	    "classifications: [U]\nreview: {quorum: 1}\nmembers:\n"
	    "  - {name: rita@x, email: xavier@x, roles: [reviewer]}\n"
	    "  - {name: John Smith, email: john@uk, roles: [chair]}\n"
	    "  - {name: JOHN  SMITH, email: john@us, roles: [reviewer]}\n"
	    "  - {name: Rita, email: rita@x, roles: [reviewer]}\n");
	e = dipb_board_member_named(&b, "john smith", &m);
	cr_assert_not_null(e);
	cr_expect_str_eq(e->msg, "'john smith' names 2 members of the board, "
	    "john@uk, john@us: give the email address");
	cr_expect_eq(dipb_error_exit_status(e), 2);
	cr_expect_null(m);
	dipb_error_free(e);
	cr_expect_str_eq(named(&b, "JOHN@US")->name, "JOHN  SMITH");
	cr_expect_str_eq(named(&b, "rita@x")->name, "Rita");
	cr_expect_str_eq(named(&b, "xavier@x")->name, "rita@x");
	cr_expect(dipb_owner_names(&b, "John Smith", "john@uk", "John Smith"));
	cr_expect(dipb_owner_names(&b, "John Smith", "john@us",
	    "JOHN  SMITH"));
	cr_expect_null(dipb_board_owner(&b, "john smith"));
	cr_expect(!dipb_owner_names(&b, "rita@x", "xavier@x", "rita@x"));
	cr_expect_str_eq(dipb_board_owner(&b, " rita@x ")->email, "rita@x");
	cr_expect(dipb_owner_names(&b, "A <rita@x> and B <john@uk>",
	    "john@uk", "John Smith"));
	cr_expect_null(dipb_board_owner(&b, "A <rita@x> and B <john@uk>"));
	cr_expect_eq(dipb_board_owner_kind(&b, "A <rita@x> and B <john@uk>"),
	    DIPB_OWNER_AMBIGUOUS);
	cr_expect_eq(dipb_board_owner_kind(&b, "A <a@y> and B <b@y>"),
	    DIPB_OWNER_TEXT);
	cr_expect_eq(dipb_board_owner_kind(&b, "Rita <john@uk>"),
	    DIPB_OWNER_MISMATCH);
	cr_expect_eq(dipb_board_owner_kind(&b, "Rita <nad@nato.int>"),
	    DIPB_OWNER_MISMATCH);
	cr_expect_eq(dipb_board_owner_kind(&b, "John Smith <john@us>"),
	    DIPB_OWNER_MEMBER);
	cr_expect_eq(dipb_board_owner_kind(&b, "NADs <nad@nato.int>"),
	    DIPB_OWNER_TEXT);
	cr_expect_eq(dipb_board_owner_kind(&b, " nad@nato.int "),
	    DIPB_OWNER_NOT_MEMBER);
	cr_expect_eq(dipb_board_owner_kind(&b, "National Armaments Directors"),
	    DIPB_OWNER_TEXT);
	dipb_board_release(&b);
}

Test(board_lookup, groups_members_classifications, .init = setup,
    .fini = teardown)
{
	cr_assert_str_eq(dipb_board_wg(&board, "supply-chain-security")->prefix,
	    "SCS");
	cr_assert_null(dipb_board_wg(&board, "SCS"));
	cr_assert_null(dipb_board_wg(&board, NULL));
	cr_assert_str_eq(dipb_board_wg_by_prefix(&board, "SI")->key,
	    "standardisation-interoperability");
	cr_assert_null(dipb_board_wg_by_prefix(&board, "si"));
	cr_assert_str_eq(dipb_board_member(&board, "JEAN@example.ORG")->name,
	    "Jean Dupont");
	cr_assert_str_eq(dipb_board_member(&board, "anna@example.org")->name,
	    "Anna Reviewer");
	cr_assert_null(dipb_board_member(&board, "nobody@example.org"));
	cr_assert_str_eq(named(&board, " anna   reviewer")->email,
	    "Anna@Example.org");
	cr_assert_str_eq(named(&board, "ANNA@example.org")->name,
	    "Anna Reviewer");
	cr_assert_null(named(&board, "Anna"));
	cr_assert_eq(dipb_board_classification_rank(&board,
	    "NATO UNCLASSIFIED"), 0);
	cr_assert_eq(dipb_board_classification_rank(&board,
	    "NATO RESTRICTED"), 1);
	cr_assert_eq(dipb_board_classification_rank(&board, "SECRET"), -1);
}

Test(board_roles, powers, .init = setup, .fini = teardown)
{
	const struct dipb_member *jane, *jean, *anna, *sec, *chair;

	jane = dipb_board_member(&board, "jane@example.org");
	jean = dipb_board_member(&board, "jean@example.org");
	anna = dipb_board_member(&board, "anna@example.org");
	sec = dipb_board_member(&board, "secretary@example.org");
	chair = dipb_board_member(&board, "chair@example.org");
	/* A drafter drafts for their groups only. */
	cr_assert(dipb_member_has_role(jane, DIPB_ROLE_DRAFTER,
	    "industrial-capacity"));
	cr_assert_not(dipb_member_has_role(jane, DIPB_ROLE_DRAFTER,
	    "supply-chain-security"));
	cr_assert(dipb_member_has_role(jane, DIPB_ROLE_DRAFTER, NULL));
	cr_assert_not(dipb_member_has_role(jane, DIPB_ROLE_REVIEWER, NULL));
	/* ... or for all without a list. */
	cr_assert(dipb_member_has_role(anna, DIPB_ROLE_DRAFTER,
	    "supply-chain-security"));
	cr_assert(dipb_member_has_role(anna, DIPB_ROLE_REVIEWER, NULL));
	cr_assert_not(dipb_member_has_role(jean, DIPB_ROLE_DRAFTER, NULL));
	cr_assert(dipb_member_has_role(sec, DIPB_ROLE_SECRETARY, NULL));
	cr_assert_not(dipb_member_has_role(sec, DIPB_ROLE_CHAIR, NULL));
	/* A chair holds every power of a secretary, not a reviewer's. */
	cr_assert(dipb_member_has_role(chair, DIPB_ROLE_SECRETARY, NULL));
	cr_assert(dipb_member_has_role(chair, DIPB_ROLE_CHAIR, NULL));
	cr_assert_not(dipb_member_has_role(chair, DIPB_ROLE_REVIEWER, NULL));
	cr_assert_not(dipb_member_has_role(NULL, DIPB_ROLE_DRAFTER, NULL));
}

Test(board_roles, names)
{
	enum dipb_role r;

	cr_assert_str_eq(dipb_role_name(DIPB_ROLE_DRAFTER), "drafter");
	cr_assert_str_eq(dipb_role_name(DIPB_ROLE_REVIEWER), "reviewer");
	cr_assert_str_eq(dipb_role_name(DIPB_ROLE_SECRETARY), "secretary");
	cr_assert_str_eq(dipb_role_name(DIPB_ROLE_CHAIR), "chair");
	cr_assert_eq(dipb_role_parse("secretary", &r), 0);
	cr_assert_eq(r, DIPB_ROLE_SECRETARY);
	cr_assert_eq(dipb_role_parse("Chair", &r), -1);
	cr_assert_eq(dipb_role_parse(NULL, &r), -1);
}

/*
 * head then tail, loaded into b (which must load), and what
 * dipb_board_emit writes of it; board_done releases both.
 */
static char *
load_emit(struct dipb_board *b, const char *tail)
{
	char *y = xasprintf("%s%s", head, tail), *out;

	cr_assert_eq(load(b, y, strlen(y)), 0);
	out = emit(b);
	free(y);
	return out;
}

static void
board_done(struct dipb_board *b, char *out)
{
	free(out);
	dipb_board_release(b);
	dipb_diags_release(&diags);
}

static const char reviewer[] =
    "members:\n  - {name: R, email: r@x, roles: [reviewer]}\n";

Test(board_load, declassify_role)
{
	struct dipb_board b;
	char *out = load_emit(&b, "declassify: secretary\nmembers:\n"
	    "  - {name: R, email: r@x, roles: [reviewer]}\n"
	    "  - {name: S, email: s@x, roles: [reviewer, secretary]}\n");

	cr_expect_eq(b.declassify, DIPB_ROLE_SECRETARY);
	cr_expect_not_null(strstr(out, "declassify: secretary\n"));
	board_done(&b, out);
	/* The default, chair, is not written: older boards keep their form. */
	out = load_emit(&b, reviewer);
	cr_expect_eq(b.declassify, DIPB_ROLE_CHAIR);
	cr_expect_null(strstr(out, "declassify"));
	board_done(&b, out);
}

Test(board_load, declassify_unknown_role)
{
	struct dipb_board b;
	char *y = xasprintf("%s%s", head, "declassify: boss\nmembers:\n"
	    "  - {name: R, email: r@x, roles: [reviewer]}\n");

	cr_expect_eq(load(&b, y, strlen(y)), -1);
	dipb_board_release(&b);
	dipb_diags_release(&diags);
	free(y);
}

/* layout: flat when absent and not written then; sharded kept; anything
 * else refused at its place. */
Test(board_load, layout)
{
	struct dipb_board b;
	char *out = load_emit(&b, "layout: sharded\nmembers:\n"
	    "  - {name: R, email: r@x, roles: [reviewer]}\n"), *y;

	cr_expect_eq(b.layout, DIPB_LAYOUT_SHARDED);
	cr_expect_not_null(strstr(out, "layout: sharded\n"));
	board_done(&b, out);
	out = load_emit(&b, reviewer);
	cr_expect_eq(b.layout, DIPB_LAYOUT_FLAT);
	cr_expect_null(strstr(out, "layout"));
	board_done(&b, out);
	y = xasprintf("%s%s", head, "layout: ../../etc\nmembers:\n"
	    "  - {name: R, email: r@x, roles: [reviewer]}\n");
	cr_expect_eq(load(&b, y, strlen(y)), -1);
	cr_assert_geq(diags.n, 1);
	cr_expect_not_null(strstr(diags.v[0].msg, "unknown layout"),
	    "%s", diags.v[0].msg);
	cr_expect_gt(diags.v[0].line, 1);
	dipb_board_release(&b);
	dipb_diags_release(&diags);
	free(y);
}

static void
levels(struct dipb_strlist *l, const char *s)
{
	char *copy = xstrdup(s), *p, *q;

	dipb_strlist_init(l);
	for (p = copy; p != NULL; p = q) {
		if ((q = strchr(p, ',')) != NULL)
			*q++ = '\0';
		dipb_strlist_push(l, p);
	}
	free(copy);
}

/* old, new, used: NULL when allowed, else the error's message. */
static const char *
check(const char *o, const char *n, const char *u)
{
	static char msg[512];
	struct dipb_strlist a, b, c;
	const struct dipb_error *err;

	levels(&a, o);
	levels(&b, n);
	levels(&c, u);
	err = dipb_board_check_levels(&a, &b, &c);
	dipb_strlist_release(&a);
	dipb_strlist_release(&b);
	dipb_strlist_release(&c);
	if (err == NULL)
		return NULL;
	snprintf(msg, sizeof(msg), "%s", err->msg);
	dipb_error_free(err);
	return msg;
}

Test(board_levels, the_order_of_levels_in_use_is_fixed)
{
	const char *m;

	cr_expect_null(check("U,R,S", "U,R,S", "U,S"));
	cr_expect_null(check("U,R,S", "U,X,R,C,S,T", "U,R,S"),
	    "adding anywhere");
	cr_expect_null(check("U,R,C,S", "U,C,R,S", "U,S"),
	    "moving levels nobody uses");
	cr_expect_null(check("U,R,S", "U,S", "U,S"), "removing an unused one");
	m = check("U,R,S", "S,U,R", "U,S");
	cr_assert_not_null(m, "the issue's reorder");
	cr_expect_not_null(strstr(m, "'S' is in use and cannot be moved below "
	    "'U'"), "%s", m);
	m = check("U,R,S", "U,R", "S");
	cr_assert_not_null(m);
	cr_expect_not_null(strstr(m, "'S' is in use and cannot be removed"),
	    "%s", m);
}

Test(board_levels, a_reviews_level)
{
	struct dipb_board b;
	struct dipb_record r;
	struct dipb_review rv[2];

	dipb_board_init(&b);
	levels(&b.classifications, "U,R,S");
	dipb_record_init(&r);
	memset(rv, 0, sizeof(rv));
	r.classification = (char *)"U";
	r.reviews = rv;
	r.nreviews = 2;
	rv[0].classification = (char *)"S";
	/* Its own level; without one, the highest the record had. */
	cr_expect_eq(dipb_board_review_rank(&b, &r, &rv[0]), 2);
	cr_expect_eq(dipb_board_review_rank(&b, &r, &rv[1]), 2);
	rv[0].classification = NULL;
	cr_expect_eq(dipb_board_review_rank(&b, &r, &rv[1]), 0);
	rv[0].classification = (char *)"TOP";
	cr_expect_eq(dipb_board_review_rank(&b, &r, &rv[0]), -1);
	cr_expect_eq(dipb_board_review_rank(&b, &r, &rv[1]), -1);
	dipb_board_release(&b);
}

/*
 * Unit tests of schema.c and the tables of schema.h: the schemas say what
 * the tables say, and the board's values, its emails in any case.
 */
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <jansson.h>

#include "board.h"
#include "helpers.h"
#include "schema.h"

static const char board_yaml[] =
    "board: Test Board\n"
    "submit_to: Directors\n"
    "working_groups:\n"
    "  - key: industrial-capacity\n"
    "    prefix: IC\n"
    "    name: Industrial Capacity\n"
    "  - key: supply-chain-security\n"
    "    prefix: SCS\n"
    "    name: Supply Chain Security\n"
    "classifications: [PUBLIC, RESTRICTED]\n"
    "review:\n"
    "  quorum: 1\n"
    "members:\n"
    "  - name: Dan\n"
    "    email: Dan.Drafter+ic@example.org\n"
    "    roles: [drafter]\n"
    "  - name: Rita\n"
    "    email: rita@example.org\n"
    "    roles: [reviewer]\n";

static json_t *
parse(char *text)
{
	json_error_t e;
	json_t *j = json_loads(text, 0, &e);

	cr_assert_not_null(j, "not JSON: %s at %d", e.text, e.line);
	free(text);
	return j;
}

/* 1 if the ECMA pattern re (written in POSIX ERE's common part) matches s. */
static int
matches(const char *re, const char *s)
{
	regex_t r;
	int rc;

	cr_assert_eq(regcomp(&r, re, REG_EXTENDED | REG_NOSUB), 0, "%s", re);
	rc = regexec(&r, s, 0, NULL, 0) == 0;
	regfree(&r);
	return rc;
}

Test(schema, record_required_is_the_table)
{
	json_t *s = parse(dipb_schema_record(NULL)), *req, *props;
	size_t i, n = 0;

	req = json_object_get(s, "required");
	props = json_object_get(s, "properties");
	cr_assert_eq(json_object_size(props), DIPB_F__COUNT);
	for (i = 0; i < DIPB_F__COUNT; i++) {
		cr_expect_not_null(json_object_get(props,
		    dipb_field_name((enum dipb_field)i)));
		if (dipb_record_keys[i].flags & DIPB_KEY_REQUIRED)
			cr_expect_str_eq(json_string_value(json_array_get(req,
			    n++)), dipb_record_keys[i].name);
	}
	cr_expect_eq(json_array_size(req), n);
	cr_expect_eq(n, 8, "id title working_group status classification "
	    "created author summary");
	cr_expect(json_is_false(json_object_get(s, "additionalProperties")));
	json_decref(s);
}

Test(schema, status_enum_and_closing_rules)
{
	json_t *s = parse(dipb_schema_record(NULL)), *st, *all;

	st = json_object_get(json_object_get(json_object_get(s, "properties"),
	    "status"), "enum");
	cr_expect_eq(json_array_size(st), DIPB_STATUS__COUNT - 1);
	cr_expect_str_eq(json_string_value(json_array_get(st, 0)), "draft");
	/* submission, decision, withdrawal, then returned's review. */
	all = json_object_get(s, "allOf");
	cr_expect_eq(json_array_size(all), 4);
	json_decref(s);
}

Test(schema, board_values)
{
	struct dipb_board b;
	json_t *s, *props, *wg, *id, *author, *reviewer, *all, *people;
	json_t *closed;
	const char *re;

	test_board_load(&b, board_yaml);
	s = parse(dipb_schema_record(&b));
	props = json_object_get(s, "properties");
	wg = json_object_get(json_object_get(props, "working_group"), "enum");
	cr_expect_eq(json_array_size(wg), 2);
	cr_expect_str_eq(json_string_value(json_array_get(wg, 1)),
	    "supply-chain-security");
	id = json_object_get(props, "id");
	re = json_string_value(json_object_get(id, "pattern"));
	cr_expect(matches(re, "SCS-0001"));
	cr_expect(!matches(re, "SI-0001"));
	/* The members as examples on the key itself, for editors... */
	author = json_object_get(props, "author");
	cr_expect_eq(json_array_size(json_object_get(author, "examples")), 2);
	/* On the key itself, no member's pattern: only more than blanks. */
	cr_expect_str_eq(json_string_value(json_object_get(author, "pattern")),
	    "[^ \\t\\r\\n]");
	/* ...and the patterns where the people are not history: the
	 * author's where the record is not submitted, decided or withdrawn,
	 * the second last rule of allOf, its "else"... */
	all = json_object_get(s, "allOf");
	people = json_array_get(all, json_array_size(all) - 2);
	closed = json_object_get(json_object_get(json_object_get(
	    json_object_get(people, "if"), "properties"), "status"), "enum");
	cr_expect_eq(json_array_size(closed), 3);
	cr_expect_str_eq(json_string_value(json_array_get(closed, 1)),
	    "decided");
	props = json_object_get(json_object_get(people, "else"),
	    "properties");
	author = json_object_get(props, "author");
	re = json_string_value(json_object_get(author, "pattern"));
	/* As dipb compares emails: in any ASCII case, nothing else. */
	cr_expect(matches(re, "dan.drafter+ic@example.org"));
	cr_expect(matches(re, "RITA@EXAMPLE.ORG"));
	cr_expect(!matches(re, "danxdrafter+ic@example.org"));
	cr_expect(!matches(re, "dan.drafterr+ic@example.org"));
	cr_expect(!matches(re, "x-rita@example.org"));
	cr_expect_null(json_object_get(props, "reviews"));
	/* ...the reviewers' where it is not endorsed either (validate's
	 * reviewers_past), the last rule. */
	people = json_array_get(all, json_array_size(all) - 1);
	closed = json_object_get(json_object_get(json_object_get(
	    json_object_get(people, "if"), "properties"), "status"), "enum");
	cr_expect_eq(json_array_size(closed), 4);
	cr_expect_str_eq(json_string_value(json_array_get(closed, 3)),
	    "endorsed");
	props = json_object_get(json_object_get(people, "else"),
	    "properties");
	cr_expect_null(json_object_get(props, "author"));
	reviewer = json_object_get(json_object_get(json_object_get(
	    json_object_get(props, "reviews"), "items"), "properties"),
	    "reviewer");
	re = json_string_value(json_object_get(reviewer, "pattern"));
	cr_expect(matches(re, "Rita@example.org"));
	cr_expect(!matches(re, "dan.drafter+ic@example.org"),
	    "a drafter is no reviewer");
	/* The prefix of each group's ids, and the people's two rules. */
	cr_expect_eq(json_array_size(all), 4 + 2 + 2);
	json_decref(s);
	dipb_board_release(&b);
}

Test(schema, board_schema)
{
	json_t *s = parse(dipb_schema_board()), *props, *q;

	props = json_object_get(s, "properties");
	cr_expect_eq(json_object_size(props), dipb_board_nkeys);
	q = json_object_get(json_object_get(json_object_get(props, "review"),
	    "properties"), "quorum");
	cr_expect_eq(json_integer_value(json_object_get(q, "maximum")), 1000);
	cr_expect_eq(json_array_size(json_object_get(s, "required")), 5);
	json_decref(s);
}

/*
 * Unit tests of subject.c: the subjects of dipb-workflow(7), and the
 * match dipb verify makes of a subject read from git against one of
 * them, any text standing where a name or a count is not known.
 */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "subject.h"
#include "util.h"

static void
want_subject(const struct dipb_subject *s, const char *want)
{
	char *got = dipb_subject_make(s);

	cr_expect_str_eq(got, want);
	free(got);
}

Test(subject, the_words_of_dipb_workflow)
{
	want_subject(&(struct dipb_subject){ .kind = DIPB_EVENT_DECIDED,
	    .id = "IC-0001", .outcome = DIPB_OUTCOME_AGREED },
	    "IC-0001: decided: agreed");
	want_subject(&(struct dipb_subject){ .kind = DIPB_EVENT_RETURNED,
	    .id = "IC-0001", .by = "Rita", .verdict = DIPB_VERDICT_OBJECT },
	    "IC-0001: objection by Rita");
	want_subject(&(struct dipb_subject){ .kind = DIPB_EVENT_RETURNED,
	    .id = "IC-0001", .by = "Rita",
	    .verdict = DIPB_VERDICT_REQUEST_CHANGES },
	    "IC-0001: changes requested by Rita");
	want_subject(&(struct dipb_subject){ .kind = DIPB_EVENT_ENDORSED,
	    .id = "IC-0001", .by = "Rolf", .tally = "2/2" },
	    "IC-0001: endorsed by Rolf (2/2)");
	want_subject(&(struct dipb_subject){
	    .kind = DIPB_EVENT_ACTION_RESCHEDULED, .id = "IC-0001",
	    .action = 2, .due = "2026-06-01" },
	    "IC-0001: action 2 due 2026-06-01");
	want_subject(&(struct dipb_subject){
	    .kind = DIPB_EVENT_ACTION_RESCHEDULED, .id = "IC-0001",
	    .action = 2, .due = "2026-06-01", .was = "2026-05-01" },
	    "IC-0001: action 2 due 2026-06-01, was 2026-05-01");
	want_subject(&(struct dipb_subject){ .kind = DIPB_EVENT_MIGRATED,
	    .id = "board", .moved = 1, .layout = "sharded", .by = "Clara" },
	    "board: 1 record moved to the sharded layout by Clara");
	want_subject(&(struct dipb_subject){ .kind = DIPB_EVENT_HELD,
	    .id = "meeting", .date = "2026-05-04", .by = "Sam" },
	    "meeting: 2026-05-04 held, recorded by Sam");
}

Test(subject, a_null_string_is_any_text)
{
	char *want = dipb_subject_make(&(struct dipb_subject){
	    .kind = DIPB_EVENT_ENDORSED, .id = "IC-0001" });

	cr_expect(dipb_subject_match("IC-0001: endorsed by Rolf (2/2)", want));
	cr_expect(dipb_subject_match("IC-0001: endorsed by A (B) (1/2)",
	    want));
	/* Some text, never none. */
	cr_expect(!dipb_subject_match("IC-0001: endorsed by  (2/2)", want));
	cr_expect(!dipb_subject_match("IC-0001: endorsed by Rolf ()", want));
	cr_expect(!dipb_subject_match("IC-0001: endorsed by Rolf (2/2) x",
	    want));
	cr_expect(!dipb_subject_match("IC-0002: endorsed by Rolf (2/2)",
	    want));
	free(want);
	cr_expect(dipb_subject_match("IC-0001: decided: agreed",
	    "IC-0001: decided: agreed"));
	cr_expect(!dipb_subject_match("IC-0001: decided: declined",
	    "IC-0001: decided: agreed"));
	cr_expect(!dipb_subject_match("IC-0001: decided: agreed!",
	    "IC-0001: decided: agreed"));
	cr_expect(!dipb_subject_match("IC-0001: decided: agree",
	    "IC-0001: decided: agreed"));
}

/*
 * A long subject from git: the matcher keeps one point to go back to, so
 * its work is the subject's length times the template's, never the
 * square of the subject (hours for these 4 MiB, which the CI job's time
 * limit would stop: no clock is read here, a timed test flakes).
 */
Test(subject, a_long_subject)
{
	size_t n = (size_t)4 << 20, i;
	char *s = xmalloc(n + 1), *want;

	/* " (" over and over, and no ")": every place a candidate. */
	for (i = 0; i < n; i++)
		s[i] = i % 2 == 0 ? ' ' : '(';
	s[n] = '\0';
	memcpy(s, "IC-0001: endorsed by", 20);
	want = dipb_subject_make(&(struct dipb_subject){
	    .kind = DIPB_EVENT_ENDORSED, .id = "IC-0001" });
	cr_expect(!dipb_subject_match(s, want));
	/* A ")" last: " (" then one character before it, a match. */
	s[n - 1] = ')';
	cr_expect(dipb_subject_match(s, want));
	free(want);
	free(s);
}

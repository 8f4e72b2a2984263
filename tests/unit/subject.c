/*
 * Unit tests of subject.c: the subjects of dipb-workflow(7), and the
 * match dipb verify makes of a subject read from git against one of
 * them, any non-empty text standing where a name or a count is not
 * known.
 */
#include <signal.h>
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

/* 1 when subject matches the pattern of s. */
static int
matches(const char *subject, const struct dipb_subject *s)
{
	struct dipb_subject_pattern p;
	int ok;

	dipb_subject_pattern(&p, s);
	ok = dipb_subject_match(subject, &p);
	dipb_subject_pattern_release(&p);
	return ok;
}

/* s's pattern as a finding shows it. */
static void
want_shown(const struct dipb_subject *s, const char *want)
{
	struct dipb_subject_pattern p;
	char *got;

	dipb_subject_pattern(&p, s);
	got = dipb_subject_pattern_show(&p);
	cr_expect_str_eq(got, want);
	free(got);
	dipb_subject_pattern_release(&p);
}

Test(subject, a_null_string_is_any_text)
{
	const struct dipb_subject e = { .kind = DIPB_EVENT_ENDORSED,
	    .id = "IC-0001" }, d = { .kind = DIPB_EVENT_DECIDED,
	    .id = "IC-0001", .outcome = DIPB_OUTCOME_AGREED };

	cr_expect(matches("IC-0001: endorsed by Rolf (2/2)", &e));
	cr_expect(matches("IC-0001: endorsed by A (B) (1/2)", &e));
	/* Some text, never none. */
	cr_expect(!matches("IC-0001: endorsed by  (2/2)", &e));
	cr_expect(!matches("IC-0001: endorsed by Rolf ()", &e));
	cr_expect(!matches("IC-0001: endorsed by Rolf (2/2) x", &e));
	cr_expect(!matches("IC-0002: endorsed by Rolf (2/2)", &e));
	cr_expect(matches("IC-0001: decided: agreed", &d));
	cr_expect(!matches("IC-0001: decided: declined", &d));
	cr_expect(!matches("IC-0001: decided: agreed!", &d));
	cr_expect(!matches("IC-0001: decided: agree", &d));
}

/* Two gaps with nothing between them: a character each, at least. */
Test(subject, two_gaps_side_by_side)
{
	const struct dipb_subject s = { .kind = DIPB_EVENT_SUBMITTED,
	    .id = "IC-0001", .to = NULL, .ref = "R" };
	const struct dipb_subject t = { .kind = DIPB_EVENT_DECLASSIFIED };

	cr_expect(matches("IC-0001: submitted to X (R)", &s));
	cr_expect(!matches("IC-0001: submitted to  (R)", &s));
	cr_expect(matches("A: declassified from B to C by D", &t));
	cr_expect(!matches(": declassified from B to C by D", &t));
	cr_expect(!matches("A: declassified from B to C by ", &t));
}

/*
 * A value of a record is text, whatever its bytes: a byte 0x01 in a
 * reference stands for no gap (it once did, a forged subject matching),
 * and is '?' as in a subject read from git (dipb_text_clean); a '*' of
 * the text is shown escaped, a gap as '*'.
 */
Test(subject, a_value_is_text)
{
	const struct dipb_subject s = { .kind = DIPB_EVENT_SUBMITTED,
	    .id = "IC-0001", .to = "NADs", .ref = "R\001" };
	const struct dipb_subject star = { .kind = DIPB_EVENT_SUBMITTED,
	    .id = "IC-0001", .to = "N*\\", .ref = NULL };

	cr_expect(!matches("IC-0001: submitted to NADs (Rforged)", &s));
	cr_expect(matches("IC-0001: submitted to NADs (R?)", &s));
	want_shown(&s, "IC-0001: submitted to NADs (R?)");
	want_shown(&star, "IC-0001: submitted to N\\*\\\\ (*)");
	cr_expect(matches("IC-0001: submitted to N*\\ (x)", &star));
	cr_expect(!matches("IC-0001: submitted to Nx\\ (x)", &star));
}

/*
 * A value holding a line end (a record edited by hand: record-invalid
 * reports it) is a gap: the subject read has its lines trimmed and
 * joined with a space, which the value's text does not say.
 */
Test(subject, a_value_over_lines_is_any_text)
{
	const struct dipb_subject s = { .kind = DIPB_EVENT_SUBMITTED,
	    .id = "IC-0001", .to = "NADs", .ref = "R \n X" };
	const struct dipb_subject r = { .kind = DIPB_EVENT_SUBMITTED,
	    .id = "IC-0001", .to = "NADs\r", .ref = "R" };

	cr_expect(matches("IC-0001: submitted to NADs (R X)", &s));
	cr_expect(!matches("IC-0001: submitted to NADs ()", &s));
	want_shown(&s, "IC-0001: submitted to NADs (*)");
	cr_expect(matches("IC-0001: submitted to NADs? (R)", &r));
	want_shown(&r, "IC-0001: submitted to * (R)");
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
	char *s = xmalloc(n + 1);
	const struct dipb_subject e = { .kind = DIPB_EVENT_ENDORSED,
	    .id = "IC-0001" };

	/* " (" over and over, and no ")": every place a candidate. */
	for (i = 0; i < n; i++)
		s[i] = i % 2 == 0 ? ' ' : '(';
	s[n] = '\0';
	memcpy(s, "IC-0001: endorsed by", 20);
	cr_expect(!matches(s, &e));
	/* A ")" last: " (" then one character before it, a match. */
	s[n - 1] = ')';
	cr_expect(matches(s, &e));
	free(s);
}

/* A writer's subject has no gap: a string left NULL is a bug, stopped. */
Test(subject, a_writer_gives_every_string, .signal = SIGABRT)
{
	free(dipb_subject_make(&(struct dipb_subject){
	    .kind = DIPB_EVENT_SUBMITTED, .id = "IC-0001", .to = "NADs" }));
}

/*
 * Unit tests of record.c, yaml_load.c and yaml_emit.c: the canonical form
 * and its round trip (fixtures, examples, generated nasty records),
 * hostile input, field errors, input files, ids, names and the
 * fingerprint against the real 'git hash-object'.
 */
#define _GNU_SOURCE	/* RTLD_NEXT */
#include <sys/stat.h>

#include <dlfcn.h>
#include <glob.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <yaml.h>

#include "error.h"
#include "helpers.h"
#include "record.h"
#include "text.h"
#include "yaml_tree.h"

static char *
slurp(const char *path, size_t *len)
{
	struct dipb_buf b = DIPB_BUF_INIT;
	const struct dipb_error *err;

	err = dipb_read_file(&b, path, 0);
	cr_assert_null(err, "cannot read %s: %s", path, err ? err->msg : "");
	*len = b.len;
	return dipb_buf_detach(&b);
}

/* Loads and asserts neither error nor warning. */
static void
load_clean(struct dipb_record *r, const char *path, const char *buf,
    size_t len, int flags)
{
	struct dipb_diags d = DIPB_DIAGS_INIT;
	int rc;

	dipb_record_init(r);
	rc = dipb_record_load(r, path, buf, len, flags, &d);
	if (rc != 0 || d.n != 0)
		test_print_diags(&d);
	cr_assert_eq(rc, 0, "%s: load failed", path);
	cr_assert_eq(d.n, 0, "%s: %zu diagnostics", path, d.n);
	dipb_diags_release(&d);
}

static char *
emit(const struct dipb_record *r)
{
	struct dipb_buf b = DIPB_BUF_INIT;

	dipb_record_emit(r, &b);
	return dipb_buf_detach(&b);
}

static void
str_eq(const char *what, const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		cr_assert(a == b, "%s: '%s' != '%s'", what, a ? a : "(null)",
		    b ? b : "(null)");
	else
		cr_assert_str_eq(a, b, "%s differs", what);
}

static void
list_eq(const char *what, const struct dipb_strlist *a,
    const struct dipb_strlist *b)
{
	size_t i;

	cr_assert_eq(a->n, b->n, "%s: %zu items, not %zu", what, a->n, b->n);
	for (i = 0; i < a->n; i++)
		str_eq(what, a->v[i], b->v[i]);
}

static void
closing_eq(const struct dipb_record *a, const struct dipb_record *b)
{
	cr_assert((a->submission == NULL) == (b->submission == NULL));
	if (a->submission != NULL) {
		str_eq("submission.date", a->submission->date,
		    b->submission->date);
		str_eq("submission.to", a->submission->to, b->submission->to);
		str_eq("submission.reference", a->submission->reference,
		    b->submission->reference);
	}
	cr_assert((a->decision == NULL) == (b->decision == NULL));
	if (a->decision != NULL) {
		str_eq("decision.date", a->decision->date, b->decision->date);
		cr_assert_eq(a->decision->outcome, b->decision->outcome);
		str_eq("decision.note", a->decision->note, b->decision->note);
	}
	cr_assert((a->withdrawal == NULL) == (b->withdrawal == NULL));
	if (a->withdrawal != NULL) {
		str_eq("withdrawal.date", a->withdrawal->date,
		    b->withdrawal->date);
		str_eq("withdrawal.by", a->withdrawal->by, b->withdrawal->by);
		str_eq("withdrawal.reason", a->withdrawal->reason,
		    b->withdrawal->reason);
	}
}

/* Field by field, positions aside. */
static void
record_eq(const struct dipb_record *a, const struct dipb_record *b)
{
	size_t i;

	str_eq("id", a->id, b->id);
	str_eq("title", a->title, b->title);
	str_eq("working_group", a->working_group, b->working_group);
	cr_assert_eq(a->status, b->status, "status differs");
	str_eq("classification", a->classification, b->classification);
	cr_assert_eq(a->priority, b->priority, "priority differs");
	str_eq("created", a->created, b->created);
	str_eq("updated", a->updated, b->updated);
	str_eq("author", a->author, b->author);
	list_eq("topics", &a->topics, &b->topics);
	str_eq("summary", a->summary, b->summary);
	str_eq("rationale", a->rationale, b->rationale);
	cr_assert_eq(a->nactions, b->nactions, "number of actions differs");
	for (i = 0; i < a->nactions; i++) {
		str_eq("action text", a->actions[i].text, b->actions[i].text);
		str_eq("action owner", a->actions[i].owner,
		    b->actions[i].owner);
		str_eq("action due", a->actions[i].due, b->actions[i].due);
		cr_assert_eq(a->actions[i].state, b->actions[i].state);
	}
	list_eq("references", &a->references, &b->references);
	cr_assert_eq(a->nreviews, b->nreviews, "number of reviews differs");
	for (i = 0; i < a->nreviews; i++) {
		str_eq("reviewer", a->reviews[i].reviewer,
		    b->reviews[i].reviewer);
		str_eq("review date", a->reviews[i].date, b->reviews[i].date);
		cr_assert_eq(a->reviews[i].verdict, b->reviews[i].verdict);
		str_eq("fingerprint", a->reviews[i].fingerprint,
		    b->reviews[i].fingerprint);
		str_eq("comment", a->reviews[i].comment,
		    b->reviews[i].comment);
	}
	closing_eq(a, b);
}

/*
 * r -> bytes -> r2 (equal to r) -> bytes again (equal).  Returns the
 * canonical bytes; caller frees.
 */
static char *
round_trip(const struct dipb_record *r, int flags)
{
	struct dipb_record r2;
	char *y1, *y2;

	y1 = emit(r);
	load_clean(&r2, "generated", y1, strlen(y1), flags);
	record_eq(r, &r2);
	y2 = emit(&r2);
	cr_assert_str_eq(y2, y1, "second emit differs:\n%s\n---\n%s", y1, y2);
	free(y2);
	dipb_record_release(&r2);
	return y1;
}

/* Fixtures: canonical records, one per status. */

Test(record_roundtrip, fixtures_are_canonical)
{
	unsigned seen = 0;
	struct dipb_record r;
	glob_t g;
	char *pat, *buf, *out;
	size_t i, len;

	pat = xasprintf("%s/tests/unit/fixtures/records/*.yaml", test_srcdir());
	cr_assert_eq(glob(pat, 0, NULL, &g), 0, "no fixtures at %s", pat);
	for (i = 0; i < g.gl_pathc; i++) {
		buf = slurp(g.gl_pathv[i], &len);
		load_clean(&r, g.gl_pathv[i], buf, len, 0);
		seen |= 1U << r.status;
		out = emit(&r);
		cr_assert_str_eq(out, buf, "%s is not written back as it was",
		    g.gl_pathv[i]);
		free(out);
		free(round_trip(&r, 0));
		dipb_record_release(&r);
		free(buf);
	}
	/* Every status from draft to withdrawn. */
	cr_assert_eq(seen, ((1U << DIPB_STATUS__COUNT) - 1) & ~1U,
	    "statuses seen: %#x", seen);
	globfree(&g);
	free(pat);
}

/* Examples: record files (named by id) and input drafts, where present. */

static int
visit_example(const char *path)
{
	struct dipb_record r;
	const char *base = strrchr(path, '/') + 1;
	char id[64], *buf, *out;
	size_t len = strlen(base);
	int flags;

	if (len < 6 || len - 5 >= sizeof(id))
		return 0;
	memcpy(id, base, len - 5);
	id[len - 5] = '\0';
	if (dipb_id_valid(id))
		flags = 0;
	else if (strstr(path, "/drafts/") != NULL)
		flags = DIPB_LOAD_INPUT;
	else
		return 0;
	buf = slurp(path, &len);
	load_clean(&r, path, buf, len, flags);
	out = round_trip(&r, flags);
	if (flags == 0)
		str_eq("id matches the file name", r.id, id);
	free(out);
	dipb_record_release(&r);
	free(buf);
	return 1;
}

/* Record files named by id, and the drafts of --from, three levels deep. */
Test(record_roundtrip, examples)
{
	static const char *const pats[] = { "*.yaml", "*/*.yaml",
	    "*/*/*.yaml", "*/*/*/*.yaml" };
	glob_t g;
	char *pat;
	size_t i, k;
	int n = 0;

	for (k = 0; k < sizeof(pats) / sizeof(pats[0]); k++) {
		pat = xasprintf("%s/examples/%s", test_srcdir(), pats[k]);
		if (glob(pat, 0, NULL, &g) == 0) {
			for (i = 0; i < g.gl_pathc; i++)
				n += visit_example(g.gl_pathv[i]);
			globfree(&g);
		}
		free(pat);
	}
	/* A glob that finds nothing is a failure, not a pass. */
	pat = xasprintf("%s/examples/drafts/*.yaml", test_srcdir());
	cr_assert_eq(glob(pat, 0, NULL, &g), 0, "no drafts at %s", pat);
	cr_assert_geq(n, (int)g.gl_pathc, "%d example records, but %zu drafts",
	    n, g.gl_pathc);
	globfree(&g);
	free(pat);
	cr_assert_gt(n, 0, "no example record under %s/examples",
	    test_srcdir());
	cr_log_info("%d example records", n);
}

/* Generated records: a deterministic generator of nasty strings. */

static uint64_t rng_state;

static unsigned
rnd(unsigned n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (unsigned)(rng_state % n);
}

static const char *const fragments[] = {
	" ", "  ", ": ", "#", " #", "'", "\"", "\xc3\xa9", "\xe6\x97\xa5\xe6\x9c\xac",
	"\xf0\x9f\x98\x80", "yes", "No", "NO", "null", "~", "0123", "12345678",
	"3b18e512", "1e3", ".inf", "0x1F", "0o17", "1_000", "1:20", "-1",
	"2026-02-30", "2026-01-01", "2026-1-1 10:00", "\t", "\n", "\n\n",
	"- ", "-", "[", "]", "{", "}", ",", "&a", "*a", "!", "!!str", "|",
	">", "%", "@", "`", "?", ":", "\\", "\x01", "\x7f", "\r", "\r\n",
	"\xc2\x85", "\xe2\x80\xa8", "\xef\xbb\xbf", "\xc2\xa0", "---", "...",
	"<<", "=", "a", "word", "Two words", "x:y", "true", "\xef\xbf\xbe",
	"\x1b", "\xc2\x9f", "\"quoted\"", "it's", "#!", "key: value",
	"plain text", "Markdown **bold**", ".", "+", "0", "00", "-.5",
};

#define NFRAG	(sizeof(fragments) / sizeof(fragments[0]))

static char *
nasty(unsigned maxparts)
{
	struct dipb_buf b = DIPB_BUF_INIT;
	unsigned i, n = rnd(maxparts + 1);

	for (i = 0; i < n; i++)
		dipb_buf_puts(&b, fragments[rnd(NFRAG)]);
	return dipb_buf_detach(&b);
}

/* A value of a required field: more than blanks (dipb-record(5)). */
static char *
nasty_nonempty(void)
{
	char *s = nasty(4);

	if (dipb_text_blank(s)) {
		free(s);
		s = xstrdup("x");
	}
	return s;
}

/* Markdown: lines, empty lines, a leading-space first line, newlines. */
static char *
nasty_markdown(void)
{
	struct dipb_buf b = DIPB_BUF_INIT;
	unsigned i, n = rnd(6);
	char *line;

	if (rnd(4) == 0)
		dipb_buf_puts(&b, rnd(2) ? " " : "\n");
	for (i = 0; i < n; i++) {
		line = rnd(3) ? nasty(3) : xstrdup("Plain words in a line.");
		dipb_buf_puts(&b, line);
		free(line);
		if (i + 1 < n)
			dipb_buf_puts(&b, rnd(4) ? "\n" : "\n\n");
	}
	for (i = rnd(4); i > 0; i--)
		dipb_buf_putc(&b, '\n');
	return dipb_buf_detach(&b);
}

static char *
random_date(void)
{
	return xasprintf("%04u-%02u-%02u", 1000 + rnd(9000), 1 + rnd(12),
	    1 + rnd(28));
}

static char *
maybe(char *s)
{
	if (rnd(3) == 0) {
		free(s);
		return NULL;
	}
	return s;
}

static void
random_lists(struct dipb_record *r)
{
	unsigned i, n;

	for (n = rnd(4), i = 0; i < n; i++)
		dipb_strlist_push_owned(&r->topics, nasty_nonempty());
	for (n = rnd(4), i = 0; i < n; i++)
		dipb_strlist_push_owned(&r->references, nasty_nonempty());
	r->nactions = rnd(4);
	r->actions = xcalloc(r->nactions, sizeof(*r->actions));
	for (i = 0; i < r->nactions; i++) {
		r->actions[i].text = nasty_nonempty();
		r->actions[i].owner = nasty_nonempty();
		r->actions[i].due = maybe(random_date());
		r->actions[i].state = (enum dipb_action_state)rnd(3);
	}
	r->nreviews = rnd(4);
	r->reviews = xcalloc(r->nreviews, sizeof(*r->reviews));
	for (i = 0; i < r->nreviews; i++) {
		r->reviews[i].reviewer = nasty_nonempty();
		r->reviews[i].date = random_date();
		r->reviews[i].verdict = (enum dipb_verdict)rnd(3);
		r->reviews[i].fingerprint = nasty_nonempty();
		r->reviews[i].comment = maybe(nasty_markdown());
	}
}

static void
random_closing(struct dipb_record *r)
{
	if (rnd(2)) {
		r->submission = xcalloc(1, sizeof(*r->submission));
		r->submission->date = random_date();
		r->submission->to = nasty_nonempty();
		r->submission->reference = maybe(nasty(3));
	}
	if (rnd(2)) {
		r->decision = xcalloc(1, sizeof(*r->decision));
		r->decision->date = random_date();
		r->decision->outcome = (enum dipb_outcome)rnd(4);
		r->decision->note = maybe(nasty_markdown());
	}
	if (rnd(2)) {
		r->withdrawal = xcalloc(1, sizeof(*r->withdrawal));
		r->withdrawal->date = random_date();
		r->withdrawal->by = nasty_nonempty();
		r->withdrawal->reason = maybe(nasty_markdown());
	}
}

static void
random_record(struct dipb_record *r)
{
	char *summary;

	dipb_record_init(r);
	r->id = xasprintf("%c%.*s-%0*u", 'A' + rnd(26), (int)rnd(8),
	    "Z9Y8X7W6", 4 + (int)rnd(3), rnd(100000));
	r->title = nasty_nonempty();
	r->working_group = nasty_nonempty();
	r->status = (enum dipb_status)(1 + rnd(DIPB_STATUS__COUNT - 1));
	r->classification = nasty_nonempty();
	r->priority = (enum dipb_priority)rnd(4);
	r->created = random_date();
	r->updated = maybe(random_date());
	r->author = nasty_nonempty();
	summary = nasty_markdown();
	if (dipb_text_blank(summary)) {
		free(summary);
		summary = xstrdup("\nx");
	}
	r->summary = summary;
	r->rationale = maybe(nasty_markdown());
	random_lists(r);
	random_closing(r);
}

Test(record_roundtrip, generated)
{
	struct dipb_record r;
	unsigned i;

	rng_state = 0x9e3779b97f4a7c15ULL;
	for (i = 0; i < 3000; i++) {
		random_record(&r);
		cr_assert(dipb_id_valid(r.id), "generator made id %s", r.id);
		free(round_trip(&r, 0));
		dipb_record_release(&r);
	}
}

/* Each fragment alone, in every kind of field. */
Test(record_roundtrip, every_fragment)
{
	struct dipb_record r;
	const char *f;
	size_t i;

	for (i = 0; i < NFRAG; i++) {
		/* Blanks alone are no value of a required field. */
		f = !dipb_text_blank(fragments[i]) ? fragments[i] : "x";
		dipb_record_init(&r);
		r.id = xstrdup("IC-0001");
		r.title = xstrdup(f);
		r.working_group = xstrdup(f);
		r.status = DIPB_STATUS_DRAFT;
		r.classification = xstrdup(f);
		r.created = xstrdup("2026-01-01");
		r.author = xstrdup(f);
		r.summary = xstrdup(f);
		r.rationale = xasprintf("%s\n", f);
		dipb_strlist_push(&r.topics, f);
		dipb_strlist_push(&r.references, f);
		free(round_trip(&r, 0));
		dipb_record_release(&r);
	}
}

/* The canonical styles, byte for byte. */

static struct dipb_record *
minimal(const char *title, const char *summary)
{
	struct dipb_record *r = xcalloc(1, sizeof(*r));

	dipb_record_init(r);
	r->id = xstrdup("IC-0001");
	r->title = xstrdup(title);
	r->working_group = xstrdup("industrial-capacity");
	r->status = DIPB_STATUS_DRAFT;
	r->classification = xstrdup("NATO UNCLASSIFIED");
	r->created = xstrdup("2026-01-01");
	r->author = xstrdup("jane@example.org");
	r->summary = xstrdup(summary);
	return r;
}

static void
expect_emit(const char *title, const char *summary, const char *want_title,
    const char *want_summary)
{
	struct dipb_record *r = minimal(title, summary);
	char *want, *got;

	want = xasprintf("id: IC-0001\ntitle: %s\n"
	    "working_group: industrial-capacity\nstatus: draft\n"
	    "classification: NATO UNCLASSIFIED\ncreated: 2026-01-01\n"
	    "author: jane@example.org\nsummary: %s", want_title, want_summary);
	got = round_trip(r, 0);
	cr_assert_str_eq(got, want);
	free(got);
	free(want);
	dipb_record_free(r);
}

Test(record_emit, markdown_chomping_and_indentation)
{
	expect_emit("T", "a\n", "T", "|\n  a\n");
	expect_emit("T", "a", "T", "|-\n  a\n");
	expect_emit("T", "a\n\n", "T", "|+\n  a\n\n");
	expect_emit("T", "a\n\nb\n", "T", "|\n  a\n\n  b\n");
	expect_emit("T", " a\nb\n", "T", "|2\n   a\n  b\n");
	expect_emit("T", "\n\tb", "T", "|2-\n\n  \tb\n");
	expect_emit("T", "\n\nx\n", "T", "|\n\n\n  x\n");
	expect_emit("T", "a\r\nb\n", "T", "\"a\\r\\nb\\n\"\n");
	expect_emit("T", "bom \xef\xbb\xbf\n", "T", "\"bom \\ufeff\\n\"\n");
}

Test(record_emit, scalar_styles)
{
	expect_emit("yes", "s\n", "\"yes\"", "|\n  s\n");
	expect_emit("NO", "s\n", "\"NO\"", "|\n  s\n");
	expect_emit("12345678", "s\n", "\"12345678\"", "|\n  s\n");
	expect_emit("3b18e512", "s\n", "3b18e512", "|\n  s\n");
	expect_emit("1e3", "s\n", "\"1e3\"", "|\n  s\n");
	expect_emit("1:20", "s\n", "\"1:20\"", "|\n  s\n");
	expect_emit("0x1F", "s\n", "\"0x1F\"", "|\n  s\n");
	expect_emit(".inf", "s\n", "\".inf\"", "|\n  s\n");
	expect_emit("null", "s\n", "\"null\"", "|\n  s\n");
	/* A date is plain in a date field only (see the fixtures). */
	expect_emit("2026-01-01", "s\n", "\"2026-01-01\"", "|\n  s\n");
	expect_emit("2026-02-30", "s\n", "\"2026-02-30\"", "|\n  s\n");
	expect_emit("a: b", "s\n", "\"a: b\"", "|\n  s\n");
	expect_emit("a #b", "s\n", "\"a #b\"", "|\n  s\n");
	expect_emit("a#b: c:d", "s\n", "\"a#b: c:d\"", "|\n  s\n");
	expect_emit("x:y", "s\n", "x:y", "|\n  s\n");
	expect_emit("ends:", "s\n", "\"ends:\"", "|\n  s\n");
	expect_emit(" lead", "s\n", "\" lead\"", "|\n  s\n");
	expect_emit("- item", "s\n", "\"- item\"", "|\n  s\n");
	expect_emit("tab\there", "s\n", "\"tab\\there\"", "|\n  s\n");
	expect_emit("say \"hi\" \\", "s\n", "say \"hi\" \\", "|\n  s\n");
	expect_emit("\"q\"", "s\n", "\"\\\"q\\\"\"", "|\n  s\n");
	expect_emit("\x01\x7f\xc2\x85\xe2\x80\xa8", "s\n",
	    "\"\\x01\\x7f\\N\\L\"", "|\n  s\n");
	expect_emit("d\xc3\xa9j\xc3\xa0 vu", "s\n", "d\xc3\xa9j\xc3\xa0 vu",
	    "|\n  s\n");
}

Test(record_emit, design_example_is_canonical)
{
	static const char yaml[] =
	    "id: IC-0007\n"
	    "title: Multi-year framework contracts for 155 mm ammunition\n"
	    "working_group: industrial-capacity\n"
	    "status: endorsed\n"
	    "classification: NATO UNCLASSIFIED\n"
	    "priority: high\n"
	    "created: 2026-03-04\n"
	    "updated: 2026-04-10\n"
	    "author: jane@example.org\n"
	    "topics: [surge-capacity, stockpiles]\n"
	    "summary: |\n"
	    "  One paragraph of Markdown: what is recommended.\n"
	    "rationale: |\n"
	    "  Markdown: why, with evidence.\n"
	    "actions:\n"
	    "  - text: Publish multi-year demand signals for 155 mm rounds.\n"
	    "    owner: National Armaments Directors\n"
	    "    due: 2026-12-31\n"
	    "    state: open\n"
	    "references:\n"
	    "  - Defence Production Action Plan\n"
	    "reviews:\n"
	    "  - reviewer: jean@example.org\n"
	    "    date: 2026-04-10\n"
	    "    verdict: endorse\n"
	    "    fingerprint: 3b18e512\n"
	    "    comment: |\n"
	    "      Markdown.\n"
	    "submission:\n"
	    "  date: 2026-05-02\n"
	    "  to: National Armaments Directors\n"
	    "  reference: CNAD-2026-05\n"
	    "decision:\n"
	    "  date: 2026-06-12\n"
	    "  outcome: agreed\n"
	    "  note: |\n"
	    "    Markdown.\n";
	struct dipb_record r;
	char *out;

	load_clean(&r, "IC-0007.yaml", yaml, strlen(yaml), 0);
	cr_assert_str_eq(r.id, "IC-0007");
	cr_assert_eq(r.status, DIPB_STATUS_ENDORSED);
	cr_assert_eq(r.priority, DIPB_PRIORITY_HIGH);
	cr_assert_eq(r.topics.n, 2);
	cr_assert_str_eq(r.topics.v[1], "stockpiles");
	cr_assert_str_eq(r.summary,
	    "One paragraph of Markdown: what is recommended.\n");
	cr_assert_eq(r.nactions, 1);
	cr_assert_str_eq(r.actions[0].due, "2026-12-31");
	cr_assert_eq(r.actions[0].pos.line, 16);
	cr_assert_eq(r.actions[0].pos.col, 5);
	cr_assert_eq(r.nreviews, 1);
	cr_assert_str_eq(r.reviews[0].fingerprint, "3b18e512");
	/* A value's place, what the board's rules find at fault
	 * (dipb-record(5), DIAGNOSTICS); a key's, and the mapping's. */
	cr_assert_eq(r.actions[0].owner_pos.line, 17);
	cr_assert_eq(r.actions[0].owner_pos.col, 12);
	cr_assert_eq(r.reviews[0].reviewer_pos.line, 23);
	cr_assert_eq(r.reviews[0].reviewer_pos.col, 15);
	cr_assert_eq(r.reviews[0].fingerprint_pos.line, 26);
	cr_assert_eq(r.reviews[0].fingerprint_pos.col, 18);
	cr_assert_eq(r.pos[DIPB_F_SUMMARY].line, 11);
	cr_assert_eq(r.pos[DIPB_F_SUMMARY].col, 1);
	cr_assert_eq(r.pos[DIPB_F_CLASSIFICATION].col, 1);
	cr_assert_eq(r.vpos[DIPB_F_CLASSIFICATION].line,
	    r.pos[DIPB_F_CLASSIFICATION].line);
	cr_assert_eq(r.vpos[DIPB_F_CLASSIFICATION].col, 17);
	cr_assert_eq(r.at.line, 1);
	cr_assert_eq(r.at.col, 1);
	cr_assert_eq(r.pos[DIPB_F_DECISION].line, 33);
	cr_assert_eq(r.decision->outcome, DIPB_OUTCOME_AGREED);
	cr_assert_str_eq(r.submission->reference, "CNAD-2026-05");
	out = emit(&r);
	cr_assert_str_eq(out, yaml);
	free(out);
	dipb_record_release(&r);
}

Test(record_load, absent_state_is_open_and_written)
{
	static const char yaml[] =
	    "id: IC-0001\ntitle: T\nworking_group: w\nstatus: draft\n"
	    "classification: c\ncreated: 2026-01-01\nauthor: a\n"
	    "summary: |\n  s\nactions:\n  - {text: x, owner: o}\n";
	struct dipb_record r;
	char *out;

	load_clean(&r, "a.yaml", yaml, strlen(yaml), 0);
	cr_assert_eq(r.actions[0].state, DIPB_ACTION_OPEN);
	out = emit(&r);
	cr_assert(strstr(out, "actions:\n  - text: x\n    owner: o\n"
	    "    state: open\n") != NULL, "%s", out);
	free(out);
	dipb_record_release(&r);
}

Test(record_load, utf8_bom_accepted)
{
	static const char yaml[] = "\xef\xbb\xbfid: IC-0001\ntitle: T\n"
	    "working_group: w\nstatus: draft\nclassification: c\n"
	    "created: 2026-01-01\nauthor: a\nsummary: s\n";
	struct dipb_record r;

	load_clean(&r, "a.yaml", yaml, strlen(yaml), 0);
	cr_assert_str_eq(r.id, "IC-0001");
	cr_assert_str_eq(r.summary, "s");
	dipb_record_release(&r);
}

Test(record_load, crlf_line_ends)
{
	static const char yaml[] = "id: IC-0001\r\ntitle: T\r\n"
	    "working_group: w\r\nstatus: draft\r\nclassification: c\r\n"
	    "created: 2026-01-01\r\nauthor: a\r\nsummary: |\r\n  s\r\n"
	    "  t\r\n";
	struct dipb_record r;

	load_clean(&r, "a.yaml", yaml, strlen(yaml), 0);
	cr_assert_str_eq(r.summary, "s\nt\n");
	cr_assert_eq(r.pos[DIPB_F_SUMMARY].line, 8);
	dipb_record_release(&r);
}

/*
 * Lines end at LF only, as editors and grep -n count them (a lone CR, NEL,
 * U+2028 and U+2029, which libyaml breaks them at too, are refused raw:
 * odd_line_breaks below); columns count characters, a byte order mark
 * none (dipb-validate(1)).
 */
Test(record_load, lines_end_at_lf_only)
{
	static const char yaml[] =
	    "\xef\xbb\xbfid: IC-0001\n"
	    "title: \"a\\Lb\\Pc\"\n"
	    "# x\r\n"
	    "working_group: w\n"
	    "status: draft\n"
	    "classification: c\n"
	    "created: 2026-01-01\n"
	    "author: a\n"
	    "summary: |\n"
	    "  s\n"
	    "actions: [{text: \"\xf0\x9f\x9a\x80\\L\", owner: o}, "
	    "{text: x, owner: o}]\n"
	    "rationale: r\n";
	struct dipb_record r;

	load_clean(&r, "a.yaml", yaml, strlen(yaml), 0);
	cr_assert_str_eq(r.title, "a\xe2\x80\xa8" "b\xe2\x80\xa9" "c");
	cr_assert_eq(r.pos[DIPB_F_ID].line, 1);
	cr_assert_eq(r.pos[DIPB_F_ID].col, 1);
	cr_assert_eq(r.pos[DIPB_F_WORKING_GROUP].line, 4);
	cr_assert_eq(r.pos[DIPB_F_STATUS].line, 5);
	cr_assert_eq(r.pos[DIPB_F_ACTIONS].line, 11);
	cr_assert_eq(r.nactions, 2);
	cr_assert_eq(r.actions[0].pos.line, 11);
	cr_assert_eq(r.actions[0].pos.col, 11);
	/* 35 characters, 40 bytes, before it. */
	cr_assert_eq(r.actions[1].pos.line, 11);
	cr_assert_eq(r.actions[1].pos.col, 36);
	cr_assert_eq(r.pos[DIPB_F_RATIONALE].line, 12);
	cr_assert_eq(r.pos[DIPB_F_RATIONALE].col, 1);
	dipb_record_release(&r);
}

/* Problems: each one's rule, position and message. */

static struct dipb_diags diags;

static int
load_bad(const char *buf, size_t len, int flags)
{
	struct dipb_record r;
	int rc;

	dipb_diags_init(&diags);
	dipb_record_init(&r);
	rc = dipb_record_load(&r, "bad.yaml", buf, len, flags, &diags);
	dipb_record_release(&r);
	return rc;
}

/* A diagnostic with this rule, position and (when given) message. */
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

/*
 * A line break other than LF and CRLF as a raw character: a lone CR,
 * NEL, U+2028, U+2029, refused at its line and column before libyaml
 * reads the file (dipb-validate(1), encoding).
 */
Test(record_load, odd_line_breaks)
{
	static const struct {
		const char	*yaml;
		unsigned	 line, col;
		const char	*msg;
	} t[] = {
		{ "id: IC-0001\ntitle: \"a\rb\"\n", 2, 10, "control "
		    "character U+000D, a carriage return not before a line "
		    "feed" },
		{ "id: IC-0001\r\n# x\r", 2, 4, "control character U+000D, "
		    "a carriage return not before a line feed" },
		{ "id: IC-0001\r\r\n", 1, 12, "control character U+000D, "
		    "a carriage return not before a line feed" },
		{ "\xef\xbb\xbfid: IC-0001\n# \xc3\xa9\xc2\x85x\n", 2, 4,
		    "line break U+0085 as a raw character: a line ends at a "
		    "line feed alone" },
		{ "id: IC-0001\ntitle: a\xe2\x80\xa8" "b\n", 2, 9,
		    "line break U+2028 as a raw character: a line ends at a "
		    "line feed alone" },
		{ "id: IC-0001\ntitle: 'a\xe2\x80\xa9" "b'\n", 2, 10,
		    "line break U+2029 as a raw character: a line ends at a "
		    "line feed alone" },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		cr_assert_eq(load_bad(t[i].yaml, strlen(t[i].yaml), 0), -1,
		    "case %zu", i);
		cr_assert_eq(diags.n, 1, "case %zu", i);
		expect("encoding", t[i].line, t[i].col, t[i].msg);
		dipb_diags_release(&diags);
	}
}

/* A refused file: exactly one diagnostic, an error. */
static void
expect_only(const char *buf, size_t len, const char *rule, unsigned line,
    unsigned col, const char *msg)
{
	cr_assert_eq(load_bad(buf, len, 0), -1);
	expect(rule, line, col, msg);
	cr_assert_eq(diags.n, 1, "%zu diagnostics", diags.n);
	cr_assert_eq(diags.v[0].sev, DIPB_SEV_ERROR);
	dipb_diags_release(&diags);
}

#define EXPECT_ONLY(s, rule, line, col, msg) \
	expect_only((s), sizeof(s) - 1, (rule), (line), (col), (msg))

Test(record_hostile, billion_laughs)
{
	static const char yaml[] =
	    "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
	    "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
	    "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
	    "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
	    "e: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n";

	EXPECT_ONLY(yaml, "anchor", 1, 4, "anchors are not allowed");
}

Test(record_hostile, alias)
{
	EXPECT_ONLY("id: IC-0001\ntitle: *x\n", "alias", 2, 8,
	    "aliases are not allowed");
}

/*
 * The work a hostile input costs, counted rather than timed (a time limit
 * fails on a loaded machine; speed is bench/'s business): every libyaml
 * event the loader asks for.  The unit binary's own yaml_parser_parse
 * comes before libyaml's, counts, and calls it.
 */
static unsigned long yaml_events;

int
yaml_parser_parse(yaml_parser_t *parser, yaml_event_t *event)
{
	static int (*real)(yaml_parser_t *, yaml_event_t *);

	if (real == NULL)
		*(void **)&real = dlsym(RTLD_NEXT, "yaml_parser_parse");
	cr_assert_not_null(real, "no libyaml yaml_parser_parse: %s", dlerror());
	yaml_events++;
	return real(parser, event);
}

/*
 * 1 KB or 200 KB of '[': the loader stops at the 65th level, after the
 * same few events whatever follows.
 */
Test(record_hostile, deep_flow_nesting_stops_at_the_limit)
{
	static const size_t sizes[] = { 1024, 200 * 1024 };
	unsigned long events[2];
	size_t i;
	char *buf;

	for (i = 0; i < 2; i++) {
		buf = xmalloc(sizes[i]);
		memset(buf, '[', sizes[i]);
		yaml_events = 0;
		expect_only(buf, sizes[i], "depth", 1, 65,
		    "nesting deeper than 64 levels");
		events[i] = yaml_events;
		free(buf);
	}
	cr_assert_gt(events[0], 0, "no libyaml event counted");
	/* Stream and document start, 65 sequence starts, and no more. */
	cr_assert_leq(events[0], 67, "%lu events for 1 KB of '['", events[0]);
	cr_assert_eq(events[1], events[0],
	    "%lu events for 200 KB of '[', %lu for 1 KB", events[1],
	    events[0]);
}

/*
 * An unknown key in what a user wrote is an error (dipb-recommend(1),
 * --from), naming the key it is one or two edits from, if only one.
 */
Test(record_input, unknown_keys_are_errors_with_a_hint)
{
	static const char input[] = "title: T\nrationle: R\ntpoics: [a]\n"
	    "colour: red\nsumary: S\n";
	static const char record[] = "id: IC-0001\ntitle: T\n"
	    "working_group: industrial-capacity\nstatus: draft\n"
	    "classification: NATO UNCLASSIFIED\ncreated: 2026-01-01\n"
	    "author: jane@example.org\nsummary: S\nrationle: R\n";

	cr_assert_eq(load_bad(input, sizeof(input) - 1, DIPB_LOAD_INPUT), -1);
	expect("unknown-key", 2, 1,
	    "unknown key 'rationle' (did you mean 'rationale'?)");
	expect("unknown-key", 3, 1,
	    "unknown key 'tpoics' (did you mean 'topics'?)");
	expect("unknown-key", 4, 1, "unknown key 'colour'");
	expect("unknown-key", 5, 1,
	    "unknown key 'sumary' (did you mean 'summary'?)");
	cr_assert_eq(diags.nerrors, 4, "%zu errors", diags.nerrors);
	dipb_diags_release(&diags);
	/* A committed record: a warning (dipb-validate(1)), with the hint;
	 * an edit (DIPB_LOAD_STRICT): an error. */
	cr_assert_eq(load_bad(record, sizeof(record) - 1, 0), 0);
	expect("unknown-key", 9, 1,
	    "unknown key 'rationle' (did you mean 'rationale'?)");
	cr_assert_eq(diags.nwarnings, 1, "%zu warnings", diags.nwarnings);
	dipb_diags_release(&diags);
	cr_assert_eq(load_bad(record, sizeof(record) - 1, DIPB_LOAD_STRICT),
	    -1);
	cr_assert_eq(diags.nerrors, 1, "%zu errors", diags.nerrors);
	dipb_diags_release(&diags);
}

Test(record_hostile, depth_64_allowed_65_refused)
{
	struct dipb_buf b = DIPB_BUF_INIT;
	int i;

	/* The record's mapping is level 1: 63 more are allowed. */
	dipb_buf_puts(&b, "x: ");
	for (i = 0; i < 63; i++)
		dipb_buf_putc(&b, '[');
	for (i = 0; i < 63; i++)
		dipb_buf_putc(&b, ']');
	dipb_buf_putc(&b, '\n');
	/* The one error is the key x, unknown in an input file: the depth
	 * itself is allowed. */
	cr_assert_eq(load_bad(b.ptr, b.len, DIPB_LOAD_INPUT), -1);
	expect("unknown-key", 1, 1, "unknown key 'x'");
	cr_assert_eq(diags.nerrors, 1, "%zu errors", diags.nerrors);
	dipb_diags_release(&diags);
	dipb_buf_clear(&b);
	dipb_buf_puts(&b, "x: ");
	for (i = 0; i < 64; i++)
		dipb_buf_putc(&b, '[');
	for (i = 0; i < 64; i++)
		dipb_buf_putc(&b, ']');
	expect_only(b.ptr, b.len, "depth", 1, 67, NULL);
	dipb_buf_release(&b);
}

Test(record_hostile, deep_block_nesting)
{
	struct dipb_buf b = DIPB_BUF_INIT;
	int i;

	for (i = 0; i < 100; i++)
		dipb_buf_printf(&b, "%*sk:\n", i, "");
	expect_only(b.ptr, b.len, "depth", 65, 65, NULL);
	dipb_buf_release(&b);
}

Test(record_hostile, merge_key)
{
	EXPECT_ONLY("id: IC-0001\n<<: {title: x}\n", "merge-key", 2, 1,
	    "merge keys are not allowed");
}

Test(record_hostile, python_tag)
{
	EXPECT_ONLY("id: IC-0001\ntitle: !!python/object:os.system x\n",
	    "tag", 2, 8, NULL);
	EXPECT_ONLY("title: !!str 5\n", "tag", 1, 8, NULL);
	EXPECT_ONLY("title: !custom {a: 1}\n", "tag", 1, 8, NULL);
	EXPECT_ONLY("--- !!map\ntitle: x\n", "tag", 1, 5, NULL);
}

Test(record_hostile, two_documents)
{
	EXPECT_ONLY("id: IC-0001\n---\nid: IC-0002\n", "multi-document", 2, 1,
	    "several documents in one file");
	EXPECT_ONLY("---\na: 1\n...\n---\nb: 2\n", "multi-document", 4, 1,
	    NULL);
}

Test(record_hostile, duplicate_keys)
{
	static const char yaml[] =
	    "id: IC-0001\ntitle: One\nworking_group: w\nstatus: draft\n"
	    "classification: c\ncreated: 2026-01-01\nauthor: a\nsummary: s\n"
	    "title: Two\nactions:\n  - {text: t, owner: o, text: u}\n";
	struct dipb_record r;

	dipb_diags_init(&diags);
	dipb_record_init(&r);
	cr_assert_eq(dipb_record_load(&r, "bad.yaml", yaml, sizeof(yaml) - 1,
	    0, &diags), -1);
	expect("duplicate-key", 9, 1, "duplicate key 'title'");
	expect("duplicate-key", 11, 25, "duplicate key 'text'");
	cr_assert_eq(diags.n, 2);
	/* The first occurrence wins. */
	cr_assert_str_eq(r.title, "One");
	cr_assert_str_eq(r.actions[0].text, "t");
	dipb_record_release(&r);
	dipb_diags_release(&diags);
}

/*
 * 60,001 keys, one a duplicate: found, and only it, on the large input
 * (the sort that keeps this n log n is timed by bench/, not here).
 */
Test(record_hostile, many_keys)
{
	struct dipb_buf b = DIPB_BUF_INIT;
	int i;

	dipb_buf_puts(&b, "x: {");
	for (i = 0; i < 60000; i++)
		dipb_buf_printf(&b, "k%d: 1, ", i);
	dipb_buf_puts(&b, "k7: 2}\n");
	yaml_events = 0;
	cr_assert_eq(load_bad(b.ptr, b.len, DIPB_LOAD_INPUT), -1);
	expect("duplicate-key", 1, (unsigned)b.len - 6, "duplicate key 'k7'");
	/* ...and x, a key unknown in an input file. */
	expect("unknown-key", 1, 1, "unknown key 'x'");
	cr_assert_eq(diags.nerrors, 2, "%zu errors", diags.nerrors);
	/*
	 * Each event read once: the starts of the stream, the document and
	 * the record's mapping, the key x, the start of its mapping, 60,001
	 * keys and values, and four ends.
	 */
	cr_assert_eq(yaml_events, 5 + 2 * 60001 + 4, "%lu events",
	    yaml_events);
	dipb_diags_release(&diags);
	dipb_buf_release(&b);
}

Test(record_hostile, nul_byte)
{
	EXPECT_ONLY("id: IC-0001\ntitle: a\0b\n", "encoding", 2, 9,
	    "nul byte");
	EXPECT_ONLY("title: \"a\\0b\"\n", "encoding", 1, 8,
	    "nul character in a string");
}

Test(record_hostile, invalid_utf8)
{
	EXPECT_ONLY("id: IC-0001\ntitle: caf\xe9\n", "encoding", 2, 11,
	    "invalid utf-8 (byte 0xe9)");
	/* Column counts characters, as libyaml does. */
	EXPECT_ONLY("title: \xc3\xa9\xc3\xa9\xff\n", "encoding", 1, 10, NULL);
	EXPECT_ONLY("a: 1\r\nb: \x80\n", "encoding", 2, 4, NULL);
}

Test(record_hostile, overlong_and_surrogate_utf8)
{
	EXPECT_ONLY("title: \xc0\xaf\n", "encoding", 1, 8,
	    "invalid utf-8 (byte 0xc0)");
	EXPECT_ONLY("title: \xe0\x80\xaf\n", "encoding", 1, 8, NULL);
	EXPECT_ONLY("title: \xed\xa0\x80\n", "encoding", 1, 8, NULL);
	EXPECT_ONLY("title: \xf4\x90\x80\x80\n", "encoding", 1, 8, NULL);
}

Test(record_hostile, utf16_and_utf32)
{
	EXPECT_ONLY("\xff\xfei\0d\0:\0", "encoding", 1, 1,
	    "file is utf-16 or utf-32, not utf-8");
	EXPECT_ONLY("\xfe\xff\0i\0d", "encoding", 1, 1, NULL);
	EXPECT_ONLY("\0\0\xfe\xff\0\0\0i", "encoding", 1, 1, NULL);
	/* Without a BOM, UTF-16 shows up as a NUL byte. */
	EXPECT_ONLY("i\0d\0", "encoding", 1, 2, "nul byte");
}

Test(record_hostile, control_character)
{
	EXPECT_ONLY("id: IC-0001\ntitle: a\x01z\n", "encoding", 2, 9,
	    "control characters are not allowed");
}

Test(record_hostile, two_megabytes)
{
	size_t n = 2 * 1024 * 1024;
	char *buf = xmalloc(n);

	memset(buf, '#', n);
	expect_only(buf, n, "file-size", 0, 0,
	    "file is larger than 1048576 bytes");
	/* Exactly the limit is read. */
	buf[DIPB_MAX_FILE - 1] = '\n';
	cr_assert_eq(load_bad(buf, DIPB_MAX_FILE, DIPB_LOAD_INPUT), 0);
	dipb_diags_release(&diags);
	free(buf);
}

Test(record_hostile, syntax_error)
{
	EXPECT_ONLY("id: IC-0001\ntitle: a\n  b: c\n", "yaml-syntax", 3, 4,
	    "mapping values are not allowed in this context");
	EXPECT_ONLY("title: [a, b\n", "yaml-syntax", 2, 1, NULL);
	EXPECT_ONLY("title: \"open\n", "yaml-syntax", 2, 1, NULL);
}

Test(record_hostile, non_scalar_key)
{
	cr_assert_eq(load_bad("? [a]\n: b\nid: IC-0001\n", 22,
	    DIPB_LOAD_INPUT), -1);
	expect("type", 1, 3, "mapping keys must be strings");
	dipb_diags_release(&diags);
}

Test(record_hostile, empty_file)
{
	EXPECT_ONLY("", "empty", 0, 0, "file is empty");
	EXPECT_ONLY("# only a comment\n", "empty", 0, 0, "file is empty");
	EXPECT_ONLY("---\n", "empty", 0, 0, "file is empty");
	EXPECT_ONLY("- a\n", "type", 1, 1, "a record must be a mapping");
}

/* Field errors. */

static const char good[] =
    "id: IC-0001\ntitle: T\nworking_group: w\nstatus: draft\n"
    "classification: c\ncreated: 2026-01-01\nauthor: a\nsummary: s\n";

/* good with its line for key replaced by repl (or dropped if ""). */
static char *
variant(const char *key, const char *repl)
{
	struct dipb_buf b = DIPB_BUF_INIT;
	const char *p, *nl;
	size_t k = strlen(key);

	for (p = good; *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		if (strncmp(p, key, k) == 0 && p[k] == ':')
			dipb_buf_puts(&b, repl);
		else
			dipb_buf_put(&b, p, (size_t)(nl - p) + 1);
	}
	return dipb_buf_detach(&b);
}

static void
expect_variant(const char *key, const char *repl, const char *rule,
    unsigned line, unsigned col, const char *msg)
{
	char *y = variant(key, repl);

	expect_only(y, strlen(y), rule, line, col, msg);
	free(y);
}

Test(record_fields, good_is_good)
{
	struct dipb_record r;

	load_clean(&r, "good.yaml", good, strlen(good), 0);
	dipb_record_release(&r);
}

Test(record_fields, required)
{
	expect_variant("summary", "", "required", 1, 1,
	    "missing required key 'summary'");
	expect_variant("id", "", "required", 1, 1,
	    "missing required key 'id'");
	expect_variant("author", "", "required", 1, 1,
	    "missing required key 'author'");
	expect_variant("summary", "summary:\n", "empty", 8, 9,
	    "'summary' is empty");
	expect_variant("title", "title: ~\n", "empty", 2, 8,
	    "'title' is empty");
	expect_variant("title", "title: \"\"\n", "empty", 2, 8, NULL);
}

Test(record_fields, types)
{
	expect_variant("title", "title: [a, b]\n", "type", 2, 8,
	    "'title' must be a string");
	expect_variant("summary", "summary: {a: b}\n", "type", 8, 10, NULL);
	expect_variant("summary", "summary: s\ntopics: a\n", "type", 9, 9,
	    "'topics' must be a list");
	expect_variant("summary", "summary: s\ntopics: [[a]]\n", "type", 9,
	    10, "items of 'topics' must be strings");
	expect_variant("summary", "summary: s\ntopics: [a, '']\n", "empty",
	    9, 13, "empty item in 'topics'");
	expect_variant("summary", "summary: s\nactions: [x]\n", "type", 9,
	    11, "an action must be a mapping");
	expect_variant("summary", "summary: s\nsubmission: [x]\n", "type",
	    9, 13, "'submission' must be a mapping");
}

Test(record_fields, enums)
{
	expect_variant("status", "status: approved\n", "enum", 4, 9,
	    "'status' must be one of draft, in-review, returned, endorsed, "
	    "submitted, decided, withdrawn");
	expect_variant("status", "status: none\n", "enum", 4, 9, NULL);
	expect_variant("summary", "summary: s\npriority: urgent\n", "enum",
	    9, 11, "'priority' must be one of high, medium, low");
	expect_variant("summary", "summary: s\nactions:\n"
	    "  - {text: t, owner: o, state: closed}\n", "enum", 10, 32,
	    "'state' must be one of open, done, dropped");
	expect_variant("summary", "summary: s\nreviews:\n  - reviewer: r\n"
	    "    date: 2026-01-02\n    verdict: maybe\n    fingerprint: f\n",
	    "enum", 12, 14,
	    "'verdict' must be one of endorse, request-changes, object");
	expect_variant("summary", "summary: s\ndecision:\n"
	    "  date: 2026-01-02\n  outcome: yes\n", "enum", 11, 12,
	    "'outcome' must be one of agreed, noted, deferred, declined");
}

Test(record_fields, dates)
{
	expect_variant("created", "created: 2026-02-30\n", "date", 6, 10,
	    "'created' is not a valid date: '2026-02-30'");
	expect_variant("created", "created: 2026-1-5\n", "date", 6, 10,
	    NULL);
	expect_variant("created", "created: 5 May 2026\n", "date", 6, 10,
	    NULL);
	expect_variant("summary", "summary: s\nupdated: 2025-02-29\n",
	    "date", 9, 10, "'updated' is not a valid date: '2025-02-29'");
	expect_variant("summary", "summary: s\nactions:\n"
	    "  - {text: t, owner: o, due: soon}\n", "date", 10, 30,
	    "'due' is not a valid date: 'soon'");
}

Test(record_fields, leap_day_is_a_date)
{
	char *y = variant("created", "created: 2024-02-29\n");
	struct dipb_record r;

	load_clean(&r, "a.yaml", y, strlen(y), 0);
	cr_assert_str_eq(r.created, "2024-02-29");
	dipb_record_release(&r);
	free(y);
}

Test(record_fields, id)
{
	expect_variant("id", "id: ic-0001\n", "id", 1, 5,
	    "'id' is not a valid record id: 'ic-0001'");
	expect_variant("id", "id: IC-001\n", "id", 1, 5, NULL);
	expect_variant("id", "id: ../../etc/passwd\n", "id", 1, 5, NULL);
	expect_variant("id", "id: ABCDEFGHI-0001\n", "id", 1, 5, NULL);
}

Test(record_fields, nested_required)
{
	expect_variant("summary", "summary: s\nactions:\n  - text: t\n",
	    "required", 10, 5, "missing required key 'owner'");
	expect_variant("summary", "summary: s\nsubmission:\n"
	    "  date: 2026-01-01\n", "required", 10, 3,
	    "missing required key 'to'");
	expect_variant("summary", "summary: s\nwithdrawal:\n"
	    "  date: 2026-01-01\n  by:\n", "empty", 11, 6, "'by' is empty");
}

Test(record_fields, markdown_size)
{
	struct dipb_buf b = DIPB_BUF_INIT;
	size_t i;

	dipb_buf_puts(&b, good);
	dipb_buf_puts(&b, "rationale: |\n");
	for (i = 0; i < 1100; i++)
		dipb_buf_puts(&b, "  0123456789012345678901234567890123456789"
		    "0123456789012345678901\n");
	expect_only(b.ptr, b.len, "markdown-size", 9, 12,
	    "'rationale' is longer than 65536 bytes");
	dipb_buf_release(&b);
}

Test(record_fields, unknown_keys_are_warnings)
{
	char *y = variant("summary", "summary: s\ncolour: red\nactions:\n"
	    "  - {text: t, owner: o, colour: blue}\n");
	struct dipb_record r;

	dipb_diags_init(&diags);
	dipb_record_init(&r);
	cr_assert_eq(dipb_record_load(&r, "a.yaml", y, strlen(y), 0, &diags),
	    0);
	cr_assert_eq(diags.nerrors, 0);
	cr_assert_eq(diags.nwarnings, 2);
	expect("unknown-key", 9, 1, "unknown key 'colour'");
	expect("unknown-key", 11, 25, "unknown key 'colour'");
	cr_assert_eq(diags.v[0].sev, DIPB_SEV_WARNING);
	cr_assert_str_eq(r.actions[0].owner, "o");
	dipb_record_release(&r);
	dipb_diags_release(&diags);
	free(y);
}

Test(record_fields, every_problem_reported)
{
	static const char yaml[] = "id: x\nstatus: bad\ncreated: 2026-13-01\n";

	cr_assert_eq(load_bad(yaml, sizeof(yaml) - 1, 0), -1);
	expect("id", 1, 5, NULL);
	expect("enum", 2, 9, NULL);
	expect("date", 3, 10, NULL);
	expect("required", 1, 1, "missing required key 'title'");
	cr_assert_eq(diags.nerrors, 3 + 5);
	dipb_diags_release(&diags);
}

/* Input files of 'dipb recommend --from'. */

Test(record_input, drafter_fields_only)
{
	static const char yaml[] =
	    "title: T\npriority: low\ntopics: [a]\nsummary: |\n  s\n"
	    "actions:\n  - text: t\n    owner: o\n    due: 2026-05-01\n"
	    "references:\n  - r\n";
	struct dipb_record r;

	load_clean(&r, "in.yaml", yaml, strlen(yaml), DIPB_LOAD_INPUT);
	cr_assert_null(r.id);
	cr_assert_eq(r.status, DIPB_STATUS_NONE);
	cr_assert_str_eq(r.title, "T");
	cr_assert_eq(r.priority, DIPB_PRIORITY_LOW);
	cr_assert_str_eq(r.actions[0].due, "2026-05-01");
	cr_assert_str_eq(r.references.v[0], "r");
	dipb_record_release(&r);
}

Test(record_input, nothing_required)
{
	struct dipb_record r;

	load_clean(&r, "in.yaml", "", 0, DIPB_LOAD_INPUT);
	dipb_record_release(&r);
	load_clean(&r, "in.yaml", "title: T\n", 9, DIPB_LOAD_INPUT);
	cr_assert_str_eq(r.title, "T");
	cr_assert_null(r.summary);
	dipb_record_release(&r);
}

Test(record_input, other_fields_refused)
{
	static const char yaml[] = "title: T\nstatus: endorsed\nid: IC-0001\n"
	    "reviews: []\nsummary: s\n";

	cr_assert_eq(load_bad(yaml, sizeof(yaml) - 1, DIPB_LOAD_INPUT), -1);
	expect("input-key", 2, 1, "'status' cannot be given in an input file");
	expect("input-key", 3, 1, "'id' cannot be given in an input file");
	expect("input-key", 4, 1, NULL);
	cr_assert_eq(diags.n, 3);
	dipb_diags_release(&diags);
}

Test(record_input, values_still_checked)
{
	static const char yaml[] = "priority: top\nactions:\n  - text: t\n";

	cr_assert_eq(load_bad(yaml, sizeof(yaml) - 1, DIPB_LOAD_INPUT), -1);
	expect("enum", 1, 11, NULL);
	expect("required", 3, 5, "missing required key 'owner'");
	dipb_diags_release(&diags);
}

/* Ids, paths and names. */

Test(record_id, valid)
{
	cr_assert(dipb_id_valid("IC-0007"));
	cr_assert(dipb_id_valid("SCS-0001"));
	cr_assert(dipb_id_valid("A-12345678"));
	cr_assert(dipb_id_valid("ABCDEFGH-0001"));
	cr_assert(dipb_id_valid("A1-0000"));
	cr_assert_not(dipb_id_valid("ABCDEFGHI-0001"));
	cr_assert_not(dipb_id_valid("IC-007"));
	cr_assert_not(dipb_id_valid("ic-0007"));
	cr_assert_not(dipb_id_valid("1C-0007"));
	cr_assert_not(dipb_id_valid("IC-0007 "));
	cr_assert_not(dipb_id_valid("IC-00a7"));
	cr_assert_not(dipb_id_valid("IC0007"));
	cr_assert_not(dipb_id_valid("-0007"));
	cr_assert_not(dipb_id_valid("../x"));
	cr_assert_not(dipb_id_valid(""));
	cr_assert_not(dipb_id_valid(NULL));
	cr_assert(dipb_id_valid("A-000000000000000000000000000001"));
	cr_assert_not(dipb_id_valid("A-0000000000000000000000000000001"));
}

Test(record_id, split_and_path)
{
	unsigned long n = 0;
	char prefix[9], *path;

	cr_assert_eq(dipb_id_split("SCS-0042", prefix, &n), 0);
	cr_assert_str_eq(prefix, "SCS");
	cr_assert_eq(n, 42);
	cr_assert_eq(dipb_id_split("ABCDEFGH-123456", prefix, &n), 0);
	cr_assert_str_eq(prefix, "ABCDEFGH");
	cr_assert_eq(n, 123456);
	cr_assert_eq(dipb_id_split("IC-7", prefix, &n), -1);
	cr_assert_eq(dipb_id_split("IC-99999999999999999999999", prefix,
	    &n), -1);
	path = dipb_record_path_in(DIPB_LAYOUT_FLAT, "IC-0007");
	cr_assert_str_eq(path, "recommendations/IC-0007.yaml");
	free(path);
}

/*
 * A tag's name: dipb's form (dipb-git(7), "Tags of another form") gives N
 * and the event; any other gives 0, however many digits, so that no N
 * wraps (strtoul took "-1" for ULONG_MAX, whose next was 0).
 */
Test(record_id, tag_names)
{
	static const struct {
		const char	*name;
		unsigned long	 n;
		size_t		 rlen, ev;
	} t[] = {
		{ "IC-0001/1-drafted", 1, 7, 10 },
		{ "IC-0001/12-review-requested", 12, 7, 11 },
		{ "board/3-changed", 3, 5, 8 },
		{ "meeting/2-held", 2, 7, 10 },
		{ "IC-0001/999999999-edited", 999999999, 7, 18 },
		{ "IC-0001/1000000000-edited", 0, 0, 0 },
		{ "IC-0001/9999999999-edited", 0, 0, 0 },
		{ "IC-0001/20000000000-edited", 0, 0, 0 },
		{ "IC-0001/18446744073709551615-edited", 0, 0, 0 },
		{ "IC-0001/18446744073709551616-edited", 0, 0, 0 },
		{ "IC-0001/-1-edited", 0, 0, 0 },
		{ "IC-0001/+1-edited", 0, 0, 0 },
		{ "IC-0001/ 1-edited", 0, 0, 0 },
		{ "IC-0001/01-edited", 0, 0, 0 },
		{ "IC-0001/0-edited", 0, 0, 0 },
		{ "IC-0001/1-Edited", 0, 0, 0 },
		{ "IC-0001/1-edited.x", 0, 0, 0 },
		{ "IC-0001/1-", 0, 0, 0 },
		{ "IC-0001/1", 0, 0, 0 },
		{ "IC-0001/x-edited", 0, 0, 0 },
		{ "IC-0001/1-a/b", 0, 0, 0 },
		{ "IC-001/1-drafted", 0, 0, 0 },
		{ "boards/1-changed", 0, 0, 0 },
		{ "1-drafted", 0, 0, 0 },
		{ "", 0, 0, 0 },
	};
	size_t i, rlen, ev, sev;
	unsigned long n;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		rlen = ev = 0;
		n = dipb_tag_parse(t[i].name, strlen(t[i].name), &rlen, &ev);
		cr_expect_eq(n, t[i].n, "%s: %lu", t[i].name, n);
		if (t[i].n == 0)
			continue;
		cr_expect_eq(rlen, t[i].rlen, "%s: record %zu", t[i].name,
		    rlen);
		cr_expect_eq(ev, t[i].ev, "%s: event at %zu", t[i].name, ev);
		/* What follows "<record>/", read alone, the same. */
		cr_expect_eq(dipb_tag_suffix(t[i].name + rlen + 1,
		    strlen(t[i].name) - rlen - 1, &sev), n, "%s", t[i].name);
		cr_expect_eq(sev + rlen + 1, ev, "%s", t[i].name);
	}
	/* The length bounds the name: a NUL or what follows is not read. */
	cr_expect_eq(dipb_tag_parse("IC-0001/2-edited\0x", 18, &rlen, &ev), 0);
	cr_expect_eq(dipb_tag_parse("IC-0001/23-edited", 9, &rlen, &ev), 0);
	cr_expect_eq(dipb_tag_suffix("23-editedX", 9, &ev), 23);
	cr_expect_eq(ev, 3);
}

/*
 * The wide reading verify judges look-alikes by: any event without a
 * '/', the same N and record as the board's form.
 */
Test(record_id, tag_shapes)
{
	static const struct {
		const char	*name;
		unsigned long	 n;
		size_t		 ev;
	} t[] = {
		{ "IC-0001/1-drafted", 1, 10 },
		{ "IC-0001/7-Decided", 7, 10 },
		{ "SI-0001/7-\xd0\x94" "ecided", 7, 10 },
		{ "board/3-x y", 3, 8 },
		{ "IC-0001/999999999-E", 999999999, 18 },
		{ "IC-0001/1000000000-E", 0, 0 },
		{ "IC-0001/18446744073709551617-E", 0, 0 },
		{ "IC-0001/07-Edited", 0, 0 },
		{ "IC-0001/0-Edited", 0, 0 },
		{ "IC-0001/-1-Edited", 0, 0 },
		{ "IC-0001/1-", 0, 0 },
		{ "IC-0001/1", 0, 0 },
		{ "IC-0001/1-a/b", 0, 0 },
		{ "IC-0001/1x-edited", 0, 0 },
		{ "IC-001/1-Edited", 0, 0 },
	};
	size_t i, rlen, ev;
	unsigned long n;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		rlen = ev = 0;
		n = dipb_tag_shape(t[i].name, strlen(t[i].name), &rlen, &ev);
		cr_expect_eq(n, t[i].n, "%s: %lu", t[i].name, n);
		if (t[i].n != 0)
			cr_expect_eq(ev, t[i].ev, "%s: event at %zu",
			    t[i].name, ev);
	}
}

/* The next N: one more than the highest, never past the form. */
Test(record_id, tag_next)
{
	const struct dipb_error *err;
	unsigned long n = 0;

	cr_assert_null(dipb_tag_next(&n, 0, "IC-0001"));
	cr_expect_eq(n, 1);
	cr_assert_null(dipb_tag_next(&n, DIPB_TAG_MAX_N - 1, "IC-0001"));
	cr_expect_eq(n, DIPB_TAG_MAX_N);
	err = dipb_tag_next(&n, DIPB_TAG_MAX_N, "IC-0001");
	cr_assert_not_null(err);
	cr_expect(strstr(err->msg, "IC-0001 has a tag numbered 999999999")
	    != NULL, "%s", err->msg);
	dipb_error_free(err);
}

/* Each layout's path, and its parse back to the id, refusing the rest. */
Test(record_id, layouts)
{
	static const struct {
		const char *id, *flat, *sharded;
	} ok[] = {
		{ "IC-0007", "recommendations/IC-0007.yaml",
		  "recommendations/IC/00/IC-0007.yaml" },
		{ "SCS-0150", "recommendations/SCS-0150.yaml",
		  "recommendations/SCS/01/SCS-0150.yaml" },
		{ "IC-12345", "recommendations/IC-12345.yaml",
		  "recommendations/IC/123/IC-12345.yaml" },
		{ "IC-00042", "recommendations/IC-00042.yaml",
		  "recommendations/IC/000/IC-00042.yaml" },
	};
	static const char *const bad[] = {
		"recommendations/IC/01/IC-0007.yaml",	/* wrong hundred */
		"recommendations/SCS/00/IC-0007.yaml",	/* wrong prefix */
		"recommendations/IC/00/x/IC-0007.yaml",
		"recommendations/IC/IC-0007.yaml",
		"recommendations/00/IC-0007.yaml",
		"recommendations/IC-0007.yml",
		"recommendations/IC-7.yaml",
		"recommendations/.yaml",
		"recommendations/",
		"IC-0007.yaml",
		"dipb.yaml",
		"meetings/IC-0007.yaml",
	};
	char id[DIPB_MAX_ID + 1], *path;
	enum dipb_layout l;
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		path = dipb_record_path_in(DIPB_LAYOUT_FLAT, ok[i].id);
		cr_assert_str_eq(path, ok[i].flat);
		cr_assert_eq(dipb_record_path_parse(path, strlen(path), id,
		    &l), 0);
		cr_assert_str_eq(id, ok[i].id);
		cr_assert_eq(l, DIPB_LAYOUT_FLAT);
		free(path);
		path = dipb_record_path_in(DIPB_LAYOUT_SHARDED, ok[i].id);
		cr_assert_str_eq(path, ok[i].sharded);
		cr_assert_eq(dipb_record_path_parse(path, strlen(path), id,
		    &l), 0);
		cr_assert_str_eq(id, ok[i].id);
		cr_assert_eq(l, DIPB_LAYOUT_SHARDED);
		/* A prefix of the path is not a record's. */
		cr_assert_eq(dipb_record_path_parse(path, strlen(path) - 1,
		    id, NULL), -1);
		free(path);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert_eq(dipb_record_path_parse(bad[i], strlen(bad[i]),
		    id, NULL), -1, "%s", bad[i]);
	cr_assert_eq(dipb_layout_parse("sharded", &l), 0);
	cr_assert_eq(l, DIPB_LAYOUT_SHARDED);
	cr_assert_str_eq(dipb_layout_name(l), "sharded");
	cr_assert_eq(dipb_layout_parse("Flat", &l), -1);
}

Test(record_names, round_trip)
{
	enum dipb_status s;
	enum dipb_priority p;
	enum dipb_verdict v;
	enum dipb_action_state a;
	enum dipb_outcome o;
	int i;

	for (i = DIPB_STATUS_DRAFT; i < DIPB_STATUS__COUNT; i++) {
		cr_assert_eq(dipb_status_parse(dipb_status_name(
		    (enum dipb_status)i), &s), 0);
		cr_assert_eq((int)s, i);
	}
	cr_assert_str_eq(dipb_status_name(DIPB_STATUS_IN_REVIEW), "in-review");
	cr_assert_str_eq(dipb_status_name(DIPB_STATUS_NONE), "none");
	cr_assert_eq(dipb_status_parse("none", &s), -1);
	cr_assert_eq(dipb_status_parse("Draft", &s), -1);
	cr_assert_eq(dipb_priority_parse("medium", &p), 0);
	cr_assert_eq(p, DIPB_PRIORITY_MEDIUM);
	cr_assert_eq(dipb_priority_parse("none", &p), -1);
	cr_assert_eq(dipb_verdict_parse("request-changes", &v), 0);
	cr_assert_eq(v, DIPB_VERDICT_REQUEST_CHANGES);
	cr_assert_str_eq(dipb_verdict_name(DIPB_VERDICT_OBJECT), "object");
	cr_assert_eq(dipb_action_state_parse("dropped", &a), 0);
	cr_assert_eq(a, DIPB_ACTION_DROPPED);
	cr_assert_eq(dipb_outcome_parse("declined", &o), 0);
	cr_assert_eq(o, DIPB_OUTCOME_DECLINED);
	cr_assert_eq(dipb_outcome_parse(NULL, &o), -1);
	cr_assert_str_eq(dipb_field_name(DIPB_F_WORKING_GROUP),
	    "working_group");
	cr_assert_str_eq(dipb_field_name(DIPB_F_WITHDRAWAL), "withdrawal");
}

Test(record_copy, deep_and_equal)
{
	struct dipb_record a, b;
	char *ya, *yb;

	rng_state = 42;
	random_record(&a);
	a.pos[DIPB_F_TITLE].line = 7;
	dipb_record_copy(&b, &a);
	record_eq(&a, &b);
	cr_assert_eq(b.pos[DIPB_F_TITLE].line, 7);
	cr_assert_neq(a.title, b.title);
	ya = emit(&a);
	dipb_record_release(&a);
	yb = emit(&b);
	cr_assert_str_eq(ya, yb);
	free(ya);
	free(yb);
	dipb_record_release(&b);
	dipb_record_free(NULL);
}

/* The fingerprint: 'git hash-object' of the drafter's canonical fields. */

static const char drafted_yaml[] =
    "title: Multi-year framework contracts for 155 mm ammunition\n"
    "working_group: industrial-capacity\n"
    "classification: NATO UNCLASSIFIED\n"
    "priority: high\n"
    "topics: [surge-capacity, stockpiles]\n"
    "summary: |\n"
    "  One paragraph of Markdown: what is recommended.\n"
    "rationale: |\n"
    "  Markdown: why, with evidence.\n"
    "actions:\n"
    "  - text: Publish multi-year demand signals for 155 mm rounds.\n"
    "    owner: National Armaments Directors\n"
    "    due: 2026-12-31\n"
    "references:\n"
    "  - Defence Production Action Plan\n";

static void
git_hash_object(const char *text, char out[41])
{
	char tmpl[] = "/tmp/dipb-fp-XXXXXX", *cmd;
	FILE *f, *p;
	int fd;

	fd = mkstemp(tmpl);
	cr_assert_neq(fd, -1);
	f = fdopen(fd, "w");
	fputs(text, f);
	fclose(f);
	cmd = xasprintf("git hash-object --stdin < %s", tmpl);
	p = popen(cmd, "r");
	cr_assert_not_null(p);
	cr_assert_not_null(fgets(out, 41, p));
	cr_assert_eq(pclose(p), 0);
	unlink(tmpl);
	free(cmd);
}

static void
fixture_record(struct dipb_record *r)
{
	char *path, *buf;
	size_t len;

	path = xasprintf("%s/tests/unit/fixtures/records/IC-0007.yaml",
	    test_srcdir());
	buf = slurp(path, &len);
	load_clean(r, path, buf, len, 0);
	free(buf);
	free(path);
}

Test(record_fingerprint, is_git_blob_id_of_drafted_fields)
{
	struct dipb_buf b = DIPB_BUF_INIT;
	struct dipb_record r;
	char fp[DIPB_FINGERPRINT_LEN + 1], hex[41];

	fixture_record(&r);
	dipb_record_emit_drafted(&r, &b);
	cr_assert_str_eq(dipb_buf_cstr(&b), drafted_yaml);
	dipb_record_fingerprint(&r, fp);
	git_hash_object(drafted_yaml, hex);
	cr_assert_eq(strlen(fp), 8);
	cr_assert_eq(strncmp(fp, hex, 8), 0, "fingerprint %s, git %.8s", fp,
	    hex);
	dipb_buf_release(&b);
	dipb_record_release(&r);
}

Test(record_fingerprint, generated_records_match_git)
{
	struct dipb_buf b = DIPB_BUF_INIT;
	struct dipb_record r;
	char fp[DIPB_FINGERPRINT_LEN + 1], hex[41];
	int i;

	rng_state = 7;
	for (i = 0; i < 5; i++) {
		random_record(&r);
		dipb_record_emit_drafted(&r, &b);
		dipb_record_fingerprint(&r, fp);
		git_hash_object(dipb_buf_cstr(&b), hex);
		cr_assert_eq(strncmp(fp, hex, 8), 0);
		dipb_buf_clear(&b);
		dipb_record_release(&r);
	}
	dipb_buf_release(&b);
}

Test(record_fingerprint, follows_drafter_fields_only)
{
	struct dipb_record r;
	char fp0[9], fp[9];

	fixture_record(&r);
	dipb_record_fingerprint(&r, fp0);
	/* Not: status, dates, reviews, action state. */
	r.status = DIPB_STATUS_DECIDED;
	free(r.updated);
	r.updated = xstrdup("2027-01-01");
	r.actions[0].state = DIPB_ACTION_DONE;
	free(r.reviews[0].fingerprint);
	r.reviews[0].fingerprint = xstrdup("00000000");
	dipb_record_fingerprint(&r, fp);
	cr_assert_str_eq(fp, fp0);
	/* But every drafted field. */
	free(r.title);
	r.title = xstrdup("Another title");
	dipb_record_fingerprint(&r, fp);
	cr_assert_str_neq(fp, fp0);
	dipb_record_release(&r);
	fixture_record(&r);
	free(r.actions[0].due);
	r.actions[0].due = NULL;
	dipb_record_fingerprint(&r, fp);
	cr_assert_str_neq(fp, fp0);
	r.priority = DIPB_PRIORITY_LOW;
	dipb_record_fingerprint(&r, fp0);
	cr_assert_str_neq(fp, fp0);
	dipb_record_release(&r);
}

/*
 * gen_records.c - writes N realistic, valid records for bench/validate.sh:
 * DIR/dipb.yaml and DIR/recommendations/<ID>.yaml, in every status of the
 * workflow, with Markdown text, actions, references and reviews whose
 * fingerprints are right (so an endorsed record really has its quorum).
 * Built by the bench against dipb's own objects, so the records are
 * exactly what dipb writes.  Deterministic: the same N gives the same
 * files.
 *
 * usage: gen_records DIR N
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record.h"
#include "util.h"

static const char board[] =
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
    "  - name: Piotr Nowak\n"
    "    email: piotr@example.org\n"
    "    nation: PL\n"
    "    roles: [drafter]\n"
    "  - name: Jean Dupont\n"
    "    email: jean@example.org\n"
    "    nation: FR\n"
    "    roles: [reviewer]\n"
    "  - name: Anna Schmidt\n"
    "    email: anna@example.org\n"
    "    nation: DE\n"
    "    roles: [reviewer]\n"
    "  - name: Marco Rossi\n"
    "    email: marco@example.org\n"
    "    nation: IT\n"
    "    roles: [reviewer, drafter]\n"
    "  - name: Board Secretary\n"
    "    email: secretary@example.org\n"
    "    roles: [secretary]\n"
    "  - name: Board Chair\n"
    "    email: chair@example.org\n"
    "    roles: [chair]\n";

static const char *const wgs[][2] = {
	{ "industrial-capacity", "IC" },
	{ "supply-chain-security", "SCS" },
	{ "standardisation-interoperability", "SI" },
};
static const char *const drafters[] = { "jane@example.org",
    "piotr@example.org" };
static const char *const reviewers[] = { "jean@example.org",
    "anna@example.org", "marco@example.org" };
static const char *const words[] = { "surge", "capacity", "ammunition",
    "stockpiles", "energetics", "supply", "chain", "critical", "raw",
    "materials", "framework", "contracts", "interoperability", "standards",
    "qualification", "workforce", "skills", "investment", "demand",
    "signals", "industry", "nations", "production", "lead", "times",
    "components", "security", "resilience", "common", "procurement" };
static const char *const topics[] = { "surge-capacity", "stockpiles",
    "energetics", "raw-materials", "workforce", "standards", "cyber",
    "logistics" };

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static unsigned
rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* A Markdown paragraph of n words, wrapped, ending in a newline. */
static char *
prose(unsigned n, int markdown)
{
	struct dipb_buf b = DIPB_BUF_INIT;
	unsigned i, col = 0;
	const char *w;

	for (i = 0; i < n; i++) {
		w = words[rnd(NELEM(words))];
		if (col > 60) {
			dipb_buf_putc(&b, '\n');
			col = 0;
		} else if (i > 0) {
			dipb_buf_putc(&b, ' ');
			col++;
		}
		if (markdown && rnd(12) == 0)
			dipb_buf_printf(&b, "*%s*", w);
		else
			dipb_buf_puts(&b, w);
		col += (unsigned)strlen(w);
	}
	dipb_buf_puts(&b, ".\n");
	if (markdown && rnd(3) == 0)
		dipb_buf_puts(&b, "\n- first point\n- second point\n");
	return dipb_buf_detach(&b);
}

static char *
date(unsigned day)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	unsigned m = 0;

	day %= 365;
	while (day >= (unsigned)mdays[m])
		day -= (unsigned)mdays[m++];
	return xasprintf("2026-%02u-%02u", m + 1, day + 1);
}

static void
add_review(struct dipb_record *r, const char *who, enum dipb_verdict v,
    unsigned day, const char *fp)
{
	struct dipb_review *rv;

	r->reviews = xrealloc(r->reviews, (r->nreviews + 1) *
	    sizeof(*r->reviews));
	rv = &r->reviews[r->nreviews++];
	memset(rv, 0, sizeof(*rv));
	rv->reviewer = xstrdup(who);
	rv->date = date(day);
	rv->verdict = v;
	rv->fingerprint = xstrdup(fp);
	if (rnd(2) == 0)
		rv->comment = prose(8 + rnd(20), 1);
}

static void
make(struct dipb_record *r, unsigned i, unsigned *counter)
{
	static const enum dipb_status st[] = { DIPB_STATUS_DRAFT,
	    DIPB_STATUS_DRAFT, DIPB_STATUS_IN_REVIEW, DIPB_STATUS_RETURNED,
	    DIPB_STATUS_ENDORSED, DIPB_STATUS_SUBMITTED, DIPB_STATUS_DECIDED,
	    DIPB_STATUS_DECIDED, DIPB_STATUS_WITHDRAWN };
	char fp[DIPB_FINGERPRINT_LEN + 1];
	unsigned g = i % NELEM(wgs), k, n, day = rnd(200);
	const char *first, *second;
	char *p;

	dipb_record_init(r);
	r->id = xasprintf("%s-%04u", wgs[g][1], ++counter[g]);
	r->title = xasprintf("Recommendation %u on %s %s", i,
	    words[rnd(NELEM(words))], words[rnd(NELEM(words))]);
	r->working_group = xstrdup(wgs[g][0]);
	r->status = st[rnd(NELEM(st))];
	r->classification = xstrdup(rnd(4) == 0 ? "NATO RESTRICTED" :
	    "NATO UNCLASSIFIED");
	r->priority = (enum dipb_priority)(1 + rnd(3));
	r->created = date(day);
	r->updated = date(day + 20 + rnd(60));
	r->author = xstrdup(drafters[rnd(NELEM(drafters))]);
	n = 1 + rnd(3);
	for (k = 0; k < n; k++)
		dipb_strlist_push(&r->topics, topics[(i + k) % NELEM(topics)]);
	r->summary = prose(30 + rnd(40), 1);
	if (rnd(4) != 0)
		r->rationale = prose(60 + rnd(120), 1);
	n = rnd(4);
	r->actions = xcalloc(n + 1, sizeof(*r->actions));
	for (k = 0; k < n; k++) {
		r->actions[k].text = prose(6 + rnd(10), 0);
		r->actions[k].text[strlen(r->actions[k].text) - 1] = '\0';
		/* A single-line field: no line break (control-character). */
		for (p = r->actions[k].text; *p != '\0'; p++)
			if (*p == '\n')
				*p = ' ';
		r->actions[k].owner = xstrdup("National Armaments Directors");
		if (rnd(2) == 0)
			r->actions[k].due = date(day + 200);
		r->actions[k].state = r->status == DIPB_STATUS_DECIDED ?
		    (enum dipb_action_state)rnd(3) : DIPB_ACTION_OPEN;
	}
	r->nactions = n;
	if (rnd(2) == 0)
		dipb_strlist_push(&r->references,
		    "Defence Production Action Plan");

	dipb_record_fingerprint(r, fp);
	k = rnd(NELEM(reviewers));
	first = reviewers[k];
	second = reviewers[(k + 1) % NELEM(reviewers)];
	switch (r->status) {
	case DIPB_STATUS_IN_REVIEW:
		if (rnd(2) == 0)
			add_review(r, first, DIPB_VERDICT_ENDORSE, day + 5, fp);
		break;
	case DIPB_STATUS_RETURNED:
		add_review(r, first, DIPB_VERDICT_REQUEST_CHANGES, day + 5,
		    fp);
		break;
	case DIPB_STATUS_ENDORSED:
	case DIPB_STATUS_SUBMITTED:
	case DIPB_STATUS_DECIDED:
		add_review(r, first, DIPB_VERDICT_ENDORSE, day + 5, fp);
		add_review(r, second, DIPB_VERDICT_ENDORSE, day + 6, fp);
		break;
	default:
		break;
	}
	if (r->status == DIPB_STATUS_SUBMITTED ||
	    r->status == DIPB_STATUS_DECIDED) {
		r->submission = xcalloc(1, sizeof(*r->submission));
		r->submission->date = date(day + 10);
		r->submission->to = xstrdup("National Armaments Directors");
		r->submission->reference = xasprintf("CNAD-2026-%02u",
		    1 + rnd(12));
	}
	if (r->status == DIPB_STATUS_DECIDED) {
		r->decision = xcalloc(1, sizeof(*r->decision));
		r->decision->date = date(day + 15);
		r->decision->outcome = (enum dipb_outcome)rnd(4);
		if (rnd(2) == 0)
			r->decision->note = prose(10 + rnd(20), 1);
	}
	if (r->status == DIPB_STATUS_WITHDRAWN) {
		r->withdrawal = xcalloc(1, sizeof(*r->withdrawal));
		r->withdrawal->date = date(day + 8);
		r->withdrawal->by = xstrdup("secretary@example.org");
		r->withdrawal->reason = prose(8 + rnd(10), 1);
	}
}

static int
write_file(const char *path, const char *data, size_t len)
{
	FILE *fp = fopen(path, "w");

	if (fp == NULL || fwrite(data, 1, len, fp) != len) {
		fprintf(stderr, "gen_records: %s: %s\n", path, strerror(errno));
		return -1;
	}
	return fclose(fp);
}

int
main(int argc, char **argv)
{
	struct dipb_buf yaml = DIPB_BUF_INIT;
	struct dipb_record r;
	unsigned counter[NELEM(wgs)] = { 0 };
	unsigned long i, n;
	char *path;
	int rc = 0;

	if (argc != 3 || (n = strtoul(argv[2], NULL, 10)) == 0) {
		fputs("usage: gen_records DIR N\n", stderr);
		return 2;
	}
	path = xasprintf("%s/recommendations", argv[1]);
	if ((mkdir(argv[1], 0777) == -1 && errno != EEXIST) ||
	    (mkdir(path, 0777) == -1 && errno != EEXIST)) {
		fprintf(stderr, "gen_records: %s: %s\n", path, strerror(errno));
		return 1;
	}
	free(path);
	path = xasprintf("%s/dipb.yaml", argv[1]);
	rc |= write_file(path, board, strlen(board));
	free(path);
	for (i = 0; i < n && rc == 0; i++) {
		make(&r, (unsigned)i, counter);
		dipb_buf_clear(&yaml);
		dipb_record_emit(&r, &yaml);
		path = xasprintf("%s/recommendations/%s.yaml", argv[1], r.id);
		rc |= write_file(path, yaml.ptr, yaml.len);
		free(path);
		dipb_record_release(&r);
	}
	dipb_buf_release(&yaml);
	return rc == 0 ? 0 : 1;
}

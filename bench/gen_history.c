/*
 * gen_history.c - writes on stdout a git fast-import stream of a board's
 * whole history, for bench/verify.sh: board/1-created, then N records each
 * taken through E state changes (drafted, edited, review-requested,
 * reviewed, endorsed, submitted, decided, then action-updated as often as
 * E asks), one commit and one annotated tag per change with dipb's
 * subject, trailers and identities, and reviews whose fingerprints are
 * right, so that dipb verify finds the history clean.  The drafts come
 * first, then the other changes round-robin over the records, so that the
 * folder has its full size for most of the history.  Built against dipb's
 * own objects, so the records are exactly what dipb writes.
 *
 * usage: gen_history N E        (N records, E changes each, 1 to 100)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record.h"
#include "util.h"

static const char board[] =
    "board: Bench Production Board\n"
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
    "  - name: Clara Chair\n"
    "    email: chair@example.org\n"
    "    roles: [chair]\n"
    "  - name: Sam Secretary\n"
    "    email: secretary@example.org\n"
    "    roles: [secretary]\n"
    "  - name: Dan Drafter\n"
    "    email: dan@example.org\n"
    "    roles: [drafter]\n"
    "  - name: Rita Reviewer\n"
    "    email: rita@example.org\n"
    "    roles: [reviewer]\n"
    "  - name: Rolf Reviewer\n"
    "    email: rolf@example.org\n"
    "    roles: [reviewer]\n";

struct who {
	const char	*name;
	const char	*email;
};

static const struct who chair = { "Clara Chair", "chair@example.org" };
static const struct who secretary = { "Sam Secretary",
    "secretary@example.org" };
static const struct who drafter = { "Dan Drafter", "dan@example.org" };
static const struct who rev1 = { "Rita Reviewer", "rita@example.org" };
static const struct who rev2 = { "Rolf Reviewer", "rolf@example.org" };

static long long when = 1767261600;	/* 2026-01-01 10:00 UTC */
static unsigned long mark;

static void
data(const char *s, size_t len)
{
	printf("data %zu\n", len);
	fwrite(s, 1, len, stdout);
	putchar('\n');
}

static char *
today(void)
{
	long long days = when / 86400 - 20454;	/* since 2026-01-01 */
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int m = 0;

	days %= 365;
	while (days >= mdays[m])
		days -= mdays[m++];
	return xasprintf("2026-%02d-%02lld", m + 1, days + 1);
}

/* One commit and its tag: the files (path, content pairs) given. */
static void
change(const struct who *w, const char *record, unsigned long n,
    const char *event, const char *status, const char *subject,
    const char *const *files, size_t nfiles)
{
	struct dipb_buf msg = DIPB_BUF_INIT;
	size_t i;

	when += 37;
	dipb_buf_printf(&msg, "%s\n\nDipb-Record: %s\nDipb-Event: %s\n",
	    subject, record, event);
	if (status != NULL)
		dipb_buf_printf(&msg, "Dipb-Status: %s\n", status);
	printf("commit refs/heads/main\nmark :%lu\n", ++mark);
	printf("author %s <%s> %lld +0000\n", w->name, w->email, when);
	printf("committer %s <%s> %lld +0000\n", w->name, w->email, when);
	data(msg.ptr, msg.len);
	if (mark > 1)
		printf("from :%lu\n", mark - 1);
	for (i = 0; i < nfiles; i++) {
		printf("M 100644 inline %s\n", files[2 * i]);
		data(files[2 * i + 1], strlen(files[2 * i + 1]));
	}
	printf("tag %s/%lu-%s\nfrom :%lu\n", record, n, event, mark);
	printf("tagger %s <%s> %lld +0000\n", w->name, w->email, when);
	dipb_buf_clear(&msg);
	dipb_buf_printf(&msg, "%s\n", subject);
	data(msg.ptr, msg.len);
	dipb_buf_release(&msg);
}

static void
record_change(struct dipb_record *r, const struct who *w, unsigned long n,
    const char *event, enum dipb_status from, const char *subject)
{
	struct dipb_buf y = DIPB_BUF_INIT;
	const char *files[2];
	char *path = dipb_record_path(r->id), *st;

	free(r->updated);
	r->updated = today();
	dipb_record_emit(r, &y);
	st = xasprintf("%s -> %s", from == DIPB_STATUS_NONE ? "none" :
	    dipb_status_name(from), dipb_status_name(r->status));
	files[0] = path;
	files[1] = y.ptr;
	change(w, r->id, n, event, st, subject, files, 1);
	free(st);
	free(path);
	dipb_buf_release(&y);
}

static void
add_review(struct dipb_record *r, const struct who *w)
{
	char fp[DIPB_FINGERPRINT_LEN + 1];
	struct dipb_review *rv;

	dipb_record_fingerprint(r, fp);
	r->reviews = xrealloc(r->reviews, (r->nreviews + 1) *
	    sizeof(*r->reviews));
	rv = &r->reviews[r->nreviews++];
	memset(rv, 0, sizeof(*rv));
	rv->reviewer = xstrdup(w->email);
	rv->date = today();
	rv->verdict = DIPB_VERDICT_ENDORSE;
	rv->fingerprint = xstrdup(fp);
}

/* Change k (from 1) of record r. */
static void
step(struct dipb_record *r, unsigned long k)
{
	enum dipb_status from = r->status;
	char *s;

	switch (k) {
	case 1:
		r->status = DIPB_STATUS_DRAFT;
		r->created = today();
		s = xasprintf("%s: drafted by %s", r->id, drafter.name);
		record_change(r, &drafter, k, "drafted", DIPB_STATUS_NONE, s);
		break;
	case 2:
		free(r->summary);
		r->summary = xasprintf("Revised summary of %s: the demand "
		    "signal, the framework contracts and the surge options "
		    "that industry asked for in the consultations.\n", r->id);
		s = xasprintf("%s: edited by %s", r->id, drafter.name);
		record_change(r, &drafter, k, "edited", from, s);
		break;
	case 3:
		r->status = DIPB_STATUS_IN_REVIEW;
		s = xasprintf("%s: review requested by %s", r->id,
		    drafter.name);
		record_change(r, &drafter, k, "review-requested", from, s);
		break;
	case 4:
		add_review(r, &rev1);
		s = xasprintf("%s: endorsed by %s (1/2)", r->id, rev1.name);
		record_change(r, &rev1, k, "reviewed", from, s);
		break;
	case 5:
		add_review(r, &rev2);
		r->status = DIPB_STATUS_ENDORSED;
		s = xasprintf("%s: endorsed by %s (2/2)", r->id, rev2.name);
		record_change(r, &rev2, k, "endorsed", from, s);
		break;
	case 6:
		r->status = DIPB_STATUS_SUBMITTED;
		r->submission = xcalloc(1, sizeof(*r->submission));
		r->submission->date = today();
		r->submission->to = xstrdup("National Armaments Directors");
		r->submission->reference = xstrdup("CNAD-2026-05");
		s = xasprintf("%s: submitted to National Armaments Directors "
		    "(CNAD-2026-05)", r->id);
		record_change(r, &secretary, k, "submitted", from, s);
		break;
	case 7:
		r->status = DIPB_STATUS_DECIDED;
		r->decision = xcalloc(1, sizeof(*r->decision));
		r->decision->date = today();
		r->decision->outcome = DIPB_OUTCOME_AGREED;
		s = xasprintf("%s: decided: agreed", r->id);
		record_change(r, &secretary, k, "decided", from, s);
		break;
	default:
		r->actions[0].state = r->actions[0].state == DIPB_ACTION_DONE ?
		    DIPB_ACTION_OPEN : DIPB_ACTION_DONE;
		s = xasprintf("%s: action 1 %s", r->id,
		    dipb_action_state_name(r->actions[0].state));
		record_change(r, &secretary, k, "action-updated", from, s);
		break;
	}
	free(s);
}

int
main(int argc, char **argv)
{
	struct dipb_record *recs;
	const char *files[4];
	unsigned long n, e, i, k;
	char *s;

	if (argc != 3 || (n = strtoul(argv[1], NULL, 10)) == 0 ||
	    (e = strtoul(argv[2], NULL, 10)) == 0 || e > 100) {
		fprintf(stderr, "usage: gen_history N E\n");
		return 2;
	}
	files[0] = "dipb.yaml";
	files[1] = board;
	files[2] = ".gitattributes";
	files[3] = "*.yaml text eol=lf\n";
	s = xasprintf("board: created by %s", chair.name);
	change(&chair, "board", 1, "created", NULL, s, files, 2);
	free(s);

	recs = xcalloc(n, sizeof(*recs));
	for (i = 0; i < n; i++) {
		struct dipb_record *r = &recs[i];

		dipb_record_init(r);
		r->id = xasprintf("IC-%04lu", i + 1);
		r->title = xasprintf("Generated recommendation number %lu",
		    i + 1);
		r->working_group = xstrdup("industrial-capacity");
		r->classification = xstrdup("NATO UNCLASSIFIED");
		r->priority = DIPB_PRIORITY_MEDIUM;
		r->author = xstrdup(drafter.email);
		dipb_strlist_push(&r->topics, "bench");
		r->summary = xasprintf("Generated summary of recommendation "
		    "%lu, long enough to look like prose written by an "
		    "analyst.\n", i + 1);
		r->rationale = xstrdup("Generated rationale.  It explains why, "
		    "with evidence from the working group consultations.\n");
		r->actions = xcalloc(1, sizeof(*r->actions));
		r->actions[0].text = xstrdup("Nations send their demand data "
		    "to the secretariat");
		r->actions[0].owner = xstrdup("National Armaments Directors");
		r->nactions = 1;
		step(r, 1);
	}
	for (k = 2; k <= e; k++)
		for (i = 0; i < n; i++)
			step(&recs[i], k);
	for (i = 0; i < n; i++)
		dipb_record_release(&recs[i]);
	free(recs);
	return fflush(stdout) == 0 ? 0 : 1;
}

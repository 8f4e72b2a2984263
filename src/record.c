/*
 * record.c - a recommendation record in memory: life cycle, names of its
 * enums, ids and the fingerprint.  Loading and writing are yaml_load.c's
 * and yaml_emit.c's.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>


#include "board.h"
#include "error.h"
#include "meeting.h"
#include "record.h"
#include "repo.h"
#include "schema.h"
#include "state.h"
#include "yaml_tree.h"


const char *const dipb_status_names[DIPB_STATUS__COUNT] = { "none", "draft",
    "in-review", "returned", "endorsed", "submitted", "decided",
    "withdrawn" };
const char *const dipb_priority_names[4] = { "none", "high", "medium",
    "low" };
const char *const dipb_verdict_names[3] = { "endorse", "request-changes",
    "object" };
const char *const dipb_action_state_names[3] = { "open", "done",
    "dropped" };
const char *const dipb_outcome_names[4] = { "agreed", "noted", "deferred",
    "declined" };

#define ENUM(names, first) \
	(names) + (first), NELEM(names) - (first), (first)
#define SUB(keys)	NULL, 0, 0, (keys), NELEM(keys), 0

/* An action's due date moves, oldest first (dipb-action(1) --due). */
static const struct dipb_key rescheduled_keys[] = {
	{ "from", DIPB_KEY_DATE, 0, NULL, 0, 0, NULL, 0, 0, 0, "From",
	    "The due date in force before the move; absent when there was "
	    "none." },
	{ "to", DIPB_KEY_DATE, DIPB_KEY_REQUIRED, NULL, 0, 0, NULL, 0, 0, 0,
	    "To", "The new due date, YYYY-MM-DD." },
	{ "date", DIPB_KEY_DATE, DIPB_KEY_REQUIRED, NULL, 0, 0, NULL, 0, 0,
	    0, "Date", "The date of the move, YYYY-MM-DD." },
	{ "by", DIPB_KEY_TEXT, DIPB_KEY_REQUIRED, NULL, 0, 0, NULL, 0, 0, 0,
	    "By", "The email address of the member who moved it." },
	{ "reason", DIPB_KEY_MARKDOWN, DIPB_KEY_REQUIRED, NULL, 0, 0, NULL,
	    0, 0, 0, "Reason", "Why the due date moved, in Markdown." },
};

static const struct dipb_key action_keys[] = {
	{ "text", DIPB_KEY_TEXT, DIPB_KEY_REQUIRED, NULL, 0, 0, NULL, 0, 0,
	    0, "Action", "What is to be done." },
	{ "owner", DIPB_KEY_TEXT, DIPB_KEY_REQUIRED, NULL, 0, 0, NULL, 0, 0,
	    0, "Owner", "Who is to do it: free text (a body outside the "
	    "board) or a member's email address." },
	{ "due", DIPB_KEY_DATE, 0, NULL, 0, 0, NULL, 0, 0, 0, "Due date",
	    "The date by which it is due, YYYY-MM-DD." },
	{ "state", DIPB_KEY_ENUM, 0, ENUM(dipb_action_state_names, 0),
	    NULL, 0, 0, 0, "State", "Set by dipb action; open when absent." },
	{ "rescheduled", DIPB_KEY_MAP_LIST, 0, SUB(rescheduled_keys), 0,
	    "Rescheduled", "Set by dipb action --due: the moves of the due "
	    "date, each with its reason; the last one's date is in force." },
};

static const struct dipb_key review_keys[] = {
	{ "reviewer", DIPB_KEY_TEXT, DIPB_KEY_REQUIRED | DIPB_KEY_REVIEWER,
	    NULL, 0, 0, NULL, 0, 0, 0, "Reviewer", "The email address of a "
	    "member with the reviewer role; one review per reviewer." },
	{ "date", DIPB_KEY_DATE, DIPB_KEY_REQUIRED, NULL, 0, 0, NULL, 0, 0,
	    0, "Date", "The date of the review, YYYY-MM-DD." },
	{ "verdict", DIPB_KEY_ENUM, DIPB_KEY_REQUIRED,
	    ENUM(dipb_verdict_names, 0), NULL, 0, 0, 0, "Verdict",
	    "endorse, request-changes or object." },
	{ "fingerprint", DIPB_KEY_FINGERPRINT, DIPB_KEY_REQUIRED, NULL, 0,
	    0, NULL, 0, 0, 0, "Fingerprint", "The record's fingerprint when "
	    "it was reviewed; a review of another text is stale." },
	{ "comment", DIPB_KEY_MARKDOWN, 0, NULL, 0, 0, NULL, 0, 0, 0,
	    "Comment", "Markdown." },
	{ "classification", DIPB_KEY_TEXT, DIPB_KEY_LEVEL, NULL, 0, 0, NULL,
	    0, 0, 0, "Classification", "The record's classification when "
	    "the review was written: the level of its comment." },
};

static const struct dipb_key reply_keys[] = {
	{ "by", DIPB_KEY_TEXT, DIPB_KEY_REQUIRED, NULL, 0, 0, NULL, 0, 0, 0,
	    "By", "The email address of the drafter who replied." },
	{ "date", DIPB_KEY_DATE, DIPB_KEY_REQUIRED, NULL, 0, 0, NULL, 0, 0,
	    0, "Date", "YYYY-MM-DD." },
	{ "to", DIPB_KEY_TEXT, DIPB_KEY_REQUIRED, NULL, 0, 0, NULL, 0, 0, 0,
	    "To", "The email address of the reviewer answered." },
	{ "text", DIPB_KEY_MARKDOWN, DIPB_KEY_REQUIRED, NULL, 0, 0, NULL, 0,
	    0, 0, "Text", "Markdown." },
};

static const struct dipb_key submission_keys[] = {
	{ "date", DIPB_KEY_DATE, DIPB_KEY_REQUIRED, NULL, 0, 0, NULL, 0, 0,
	    0, "Date", "The date of the submission, YYYY-MM-DD." },
	{ "to", DIPB_KEY_TEXT, DIPB_KEY_REQUIRED, NULL, 0, 0, NULL, 0, 0, 0,
	    "To", "To whom it was submitted." },
	{ "reference", DIPB_KEY_TEXT, 0, NULL, 0, 0, NULL, 0, 0, 0,
	    "Reference", "The reference it was submitted under." },
};

static const struct dipb_key decision_keys[] = {
	{ "date", DIPB_KEY_DATE, DIPB_KEY_REQUIRED, NULL, 0, 0, NULL, 0, 0,
	    0, "Date", "The date of the decision, YYYY-MM-DD." },
	{ "outcome", DIPB_KEY_ENUM, DIPB_KEY_REQUIRED,
	    ENUM(dipb_outcome_names, 0), NULL, 0, 0, 0, "Outcome",
	    "agreed, noted, deferred or declined." },
	{ "note", DIPB_KEY_MARKDOWN, 0, NULL, 0, 0, NULL, 0, 0, 0, "Note",
	    "Markdown." },
};

static const struct dipb_key withdrawal_keys[] = {
	{ "date", DIPB_KEY_DATE, DIPB_KEY_REQUIRED, NULL, 0, 0, NULL, 0, 0,
	    0, "Date", "The date of the withdrawal, YYYY-MM-DD." },
	{ "by", DIPB_KEY_TEXT, DIPB_KEY_REQUIRED, NULL, 0, 0, NULL, 0, 0, 0,
	    "By", "The email address of the member who withdrew it." },
	{ "reason", DIPB_KEY_MARKDOWN, 0, NULL, 0, 0, NULL, 0, 0, 0,
	    "Reason", "Markdown." },
};

#define STATUS(s)	(1U << DIPB_STATUS_##s)

/* dipb-record(5), FIELDS. */
const struct dipb_key dipb_record_keys[DIPB_F__COUNT] = {
	[DIPB_F_ID] = { "id", DIPB_KEY_ID, DIPB_KEY_REQUIRED, NULL, 0, 0,
	    NULL, 0, 0, 0, "Id", "The working group's prefix, a hyphen and "
	    "a number of four or more digits; the file's name." },
	[DIPB_F_TITLE] = { "title", DIPB_KEY_TEXT, DIPB_KEY_REQUIRED |
	    DIPB_KEY_DRAFTER, NULL, 0, 0, NULL, 0, 0, 0, "Title",
	    "A one-line title." },
	[DIPB_F_WORKING_GROUP] = { "working_group", DIPB_KEY_TEXT,
	    DIPB_KEY_REQUIRED | DIPB_KEY_DRAFTER | DIPB_KEY_WG, NULL, 0, 0,
	    NULL, 0, 0, 0, "Working group", "The key of the working group "
	    "in dipb.yaml; the id's prefix is that group's." },
	[DIPB_F_STATUS] = { "status", DIPB_KEY_ENUM, DIPB_KEY_REQUIRED,
	    ENUM(dipb_status_names, DIPB_STATUS_DRAFT), NULL, 0, 0, 0,
	    "Status", "Where the recommendation is in the workflow; dipb "
	    "changes it (dipb-workflow(7))." },
	[DIPB_F_CLASSIFICATION] = { "classification", DIPB_KEY_TEXT,
	    DIPB_KEY_REQUIRED | DIPB_KEY_DRAFTER | DIPB_KEY_LEVEL, NULL, 0,
	    0, NULL, 0, 0, 0, "Classification", "One of the "
	    "classifications of dipb.yaml; only dipb declassify lowers it." },
	[DIPB_F_PRIORITY] = { "priority", DIPB_KEY_ENUM, DIPB_KEY_DRAFTER,
	    ENUM(dipb_priority_names, DIPB_PRIORITY_HIGH), NULL, 0, 0, 0,
	    "Priority", "high, medium or low." },
	[DIPB_F_CREATED] = { "created", DIPB_KEY_DATE, DIPB_KEY_REQUIRED,
	    NULL, 0, 0, NULL, 0, 0, 0, "Created", "The date it was drafted, "
	    "YYYY-MM-DD." },
	[DIPB_F_UPDATED] = { "updated", DIPB_KEY_DATE, 0, NULL, 0, 0, NULL,
	    0, 0, 0, "Updated", "The date of its last change, YYYY-MM-DD; "
	    "set by dipb." },
	[DIPB_F_AUTHOR] = { "author", DIPB_KEY_TEXT, DIPB_KEY_REQUIRED |
	    DIPB_KEY_MEMBER, NULL, 0, 0, NULL, 0, 0, 0, "Author", "The email "
	    "address of the member who drafted it." },
	[DIPB_F_TOPICS] = { "topics", DIPB_KEY_LIST, DIPB_KEY_DRAFTER, NULL,
	    0, 0, NULL, 0, 0, 0, "Topics", "Short keywords, such as "
	    "surge-capacity." },
	[DIPB_F_SUMMARY] = { "summary", DIPB_KEY_MARKDOWN, DIPB_KEY_REQUIRED |
	    DIPB_KEY_DRAFTER, NULL, 0, 0, NULL, 0, 0, 0, "Summary",
	    "Markdown: one paragraph saying what is recommended." },
	[DIPB_F_RATIONALE] = { "rationale", DIPB_KEY_MARKDOWN,
	    DIPB_KEY_DRAFTER, NULL, 0, 0, NULL, 0, 0, 0, "Rationale",
	    "Markdown: why, with the evidence." },
	[DIPB_F_ACTIONS] = { "actions", DIPB_KEY_MAP_LIST, DIPB_KEY_DRAFTER,
	    SUB(action_keys), 0, "Actions", "The actions the recommendation "
	    "asks for." },
	[DIPB_F_REFERENCES] = { "references", DIPB_KEY_LIST,
	    DIPB_KEY_DRAFTER, NULL, 0, 0, NULL, 0, 0, 0, "References",
	    "The documents the recommendation draws on." },
	[DIPB_F_REVIEWS] = { "reviews", DIPB_KEY_MAP_LIST, 0,
	    SUB(review_keys), 0, "Reviews", "Set by dipb review: at most one "
	    "review per reviewer." },
	[DIPB_F_REPLIES] = { "replies", DIPB_KEY_MAP_LIST, 0, SUB(reply_keys),
	    0, "Replies", "The drafter's answers to reviews, set by dipb "
	    "review --reply-to, oldest first." },
	[DIPB_F_SUBMISSION] = { "submission", DIPB_KEY_MAP, 0,
	    SUB(submission_keys), STATUS(SUBMITTED) | STATUS(DECIDED),
	    "Submission", "Set by dipb submit: present if and only if the "
	    "status is submitted or decided." },
	[DIPB_F_DECISION] = { "decision", DIPB_KEY_MAP, 0, SUB(decision_keys),
	    STATUS(DECIDED), "Decision", "Set by dipb decide: present if and "
	    "only if the status is decided." },
	[DIPB_F_WITHDRAWAL] = { "withdrawal", DIPB_KEY_MAP, 0,
	    SUB(withdrawal_keys), STATUS(WITHDRAWN), "Withdrawal", "Set by "
	    "dipb withdraw: present if and only if the status is withdrawn." },
};

/* What a draft must give (schema.h). */
const enum dipb_field dipb_draft_needed[3] = {
	DIPB_F_TITLE, DIPB_F_WORKING_GROUP, DIPB_F_SUMMARY,
};

void
dipb_record_init(struct dipb_record *r)
{
	memset(r, 0, sizeof(*r));
	dipb_strlist_init(&r->topics);
	dipb_strlist_init(&r->references);
}

static void
release_closing(struct dipb_record *r)
{
	if (r->submission != NULL) {
		free(r->submission->date);
		free(r->submission->to);
		free(r->submission->reference);
		free(r->submission);
	}
	if (r->decision != NULL) {
		free(r->decision->date);
		free(r->decision->note);
		free(r->decision);
	}
	if (r->withdrawal != NULL) {
		free(r->withdrawal->date);
		free(r->withdrawal->by);
		free(r->withdrawal->reason);
		free(r->withdrawal);
	}
}

static void
review_release(struct dipb_review *rv)
{
	free(rv->reviewer);
	free(rv->date);
	free(rv->fingerprint);
	free(rv->comment);
	free(rv->classification);
}

void
dipb_record_release(struct dipb_record *r)
{
	size_t i, j;

	free(r->id);
	free(r->title);
	free(r->working_group);
	free(r->classification);
	free(r->created);
	free(r->updated);
	free(r->author);
	free(r->summary);
	free(r->rationale);
	dipb_strlist_release(&r->topics);
	dipb_strlist_release(&r->references);
	free(r->topics_at.v);
	free(r->references_at.v);
	for (i = 0; i < r->nactions; i++) {
		free(r->actions[i].text);
		free(r->actions[i].owner);
		free(r->actions[i].due);
		for (j = 0; j < r->actions[i].nrescheduled; j++) {
			free(r->actions[i].rescheduled[j].from);
			free(r->actions[i].rescheduled[j].to);
			free(r->actions[i].rescheduled[j].date);
			free(r->actions[i].rescheduled[j].by);
			free(r->actions[i].rescheduled[j].reason);
		}
		free(r->actions[i].rescheduled);
	}
	free(r->actions);
	for (i = 0; i < r->nreviews; i++)
		review_release(&r->reviews[i]);
	free(r->reviews);
	for (i = 0; i < r->nreplies; i++) {
		free(r->replies[i].by);
		free(r->replies[i].date);
		free(r->replies[i].to);
		free(r->replies[i].text);
	}
	free(r->replies);
	release_closing(r);
	dipb_record_init(r);
}

void
dipb_record_put_review(struct dipb_record *r, struct dipb_review *rv)
{
	size_t i;

	for (i = 0; i < r->nreviews; i++) {
		if (strcasecmp(r->reviews[i].reviewer, rv->reviewer) != 0)
			continue;
		review_release(&r->reviews[i]);
		/* the earlier review dropped, the new one appended last */
		memmove(&r->reviews[i], &r->reviews[i + 1],
		    (r->nreviews - i - 1) * sizeof(r->reviews[0]));
		r->nreviews--;
		break;
	}
	r->reviews = xrealloc(r->reviews, (r->nreviews + 1) *
	    sizeof(r->reviews[0]));
	r->reviews[r->nreviews++] = *rv;
}

void
dipb_record_free(struct dipb_record *r)
{
	if (r == NULL)
		return;
	dipb_record_release(r);
	free(r);
}

static char *
dupnull(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

static void
copy_rescheduled(struct dipb_action *dst, const struct dipb_action *src)
{
	const struct dipb_reschedule *x;
	size_t i;

	dst->rescheduled = NULL;
	dst->nrescheduled = 0;
	if (src->nrescheduled == 0)
		return;
	dst->rescheduled = xcalloc(src->nrescheduled,
	    sizeof(*dst->rescheduled));
	for (i = 0; i < src->nrescheduled; i++) {
		x = &src->rescheduled[i];
		dst->rescheduled[i].from = dupnull(x->from);
		dst->rescheduled[i].to = dupnull(x->to);
		dst->rescheduled[i].date = dupnull(x->date);
		dst->rescheduled[i].by = dupnull(x->by);
		dst->rescheduled[i].reason = dupnull(x->reason);
		dst->rescheduled[i].pos = x->pos;
	}
	dst->nrescheduled = src->nrescheduled;
}

const char *
dipb_action_due(const struct dipb_action *a)
{
	if (a->nrescheduled > 0 && a->rescheduled[a->nrescheduled - 1].to !=
	    NULL)
		return a->rescheduled[a->nrescheduled - 1].to;
	return a->due;
}

static void
copy_itempos(struct dipb_itempos *dst, const struct dipb_itempos *src)
{
	dst->n = src->n;
	dst->v = NULL;
	if (src->n > 0) {
		dst->v = xcalloc(src->n, sizeof(*dst->v));
		memcpy(dst->v, src->v, src->n * sizeof(*dst->v));
	}
}

static void
copy_lists(struct dipb_record *dst, const struct dipb_record *src)
{
	size_t i;

	dipb_strlist_copy(&dst->topics, &src->topics);
	dipb_strlist_copy(&dst->references, &src->references);
	copy_itempos(&dst->topics_at, &src->topics_at);
	copy_itempos(&dst->references_at, &src->references_at);
	dst->actions = xcalloc(src->nactions, sizeof(*dst->actions));
	for (i = 0; i < src->nactions; i++) {
		dst->actions[i] = src->actions[i];
		dst->actions[i].text = dupnull(src->actions[i].text);
		dst->actions[i].owner = dupnull(src->actions[i].owner);
		dst->actions[i].due = dupnull(src->actions[i].due);
		copy_rescheduled(&dst->actions[i], &src->actions[i]);
	}
	dst->nactions = src->nactions;
	dst->reviews = xcalloc(src->nreviews, sizeof(*dst->reviews));
	for (i = 0; i < src->nreviews; i++) {
		dst->reviews[i] = src->reviews[i];
		dst->reviews[i].reviewer = dupnull(src->reviews[i].reviewer);
		dst->reviews[i].date = dupnull(src->reviews[i].date);
		dst->reviews[i].fingerprint = dupnull(src->reviews[i].fingerprint);
		dst->reviews[i].comment = dupnull(src->reviews[i].comment);
		dst->reviews[i].classification =
		    dupnull(src->reviews[i].classification);
	}
	dst->nreviews = src->nreviews;
	dst->replies = xcalloc(src->nreplies, sizeof(*dst->replies));
	for (i = 0; i < src->nreplies; i++) {
		dst->replies[i] = src->replies[i];
		dst->replies[i].by = dupnull(src->replies[i].by);
		dst->replies[i].date = dupnull(src->replies[i].date);
		dst->replies[i].to = dupnull(src->replies[i].to);
		dst->replies[i].text = dupnull(src->replies[i].text);
	}
	dst->nreplies = src->nreplies;
}

static void
copy_closing(struct dipb_record *dst, const struct dipb_record *src)
{
	if (src->submission != NULL) {
		dst->submission = xcalloc(1, sizeof(*dst->submission));
		dst->submission->date = dupnull(src->submission->date);
		dst->submission->to = dupnull(src->submission->to);
		dst->submission->reference = dupnull(src->submission->reference);
	}
	if (src->decision != NULL) {
		dst->decision = xcalloc(1, sizeof(*dst->decision));
		dst->decision->date = dupnull(src->decision->date);
		dst->decision->outcome = src->decision->outcome;
		dst->decision->note = dupnull(src->decision->note);
	}
	if (src->withdrawal != NULL) {
		dst->withdrawal = xcalloc(1, sizeof(*dst->withdrawal));
		dst->withdrawal->date = dupnull(src->withdrawal->date);
		dst->withdrawal->by = dupnull(src->withdrawal->by);
		dst->withdrawal->reason = dupnull(src->withdrawal->reason);
	}
}

void
dipb_record_copy(struct dipb_record *dst, const struct dipb_record *src)
{
	dipb_record_init(dst);
	dst->id = dupnull(src->id);
	dst->title = dupnull(src->title);
	dst->working_group = dupnull(src->working_group);
	dst->status = src->status;
	dst->classification = dupnull(src->classification);
	dst->priority = src->priority;
	dst->created = dupnull(src->created);
	dst->updated = dupnull(src->updated);
	dst->author = dupnull(src->author);
	dst->summary = dupnull(src->summary);
	dst->rationale = dupnull(src->rationale);
	copy_lists(dst, src);
	copy_closing(dst, src);
	memcpy(dst->pos, src->pos, sizeof(dst->pos));
}

/*
 * The git blob id of the drafter's fields in canonical form, so that
 * 'git hash-object' on that text gives the same digits.
 */
void
dipb_record_fingerprint(const struct dipb_record *r,
    char out[DIPB_FINGERPRINT_LEN + 1])
{
	struct dipb_buf text = DIPB_BUF_INIT;
	char hex[41];

	dipb_record_emit_drafted(r, &text);
	dipb_git_hash_blob(hex, dipb_buf_cstr(&text), text.len);
	memcpy(out, hex, DIPB_FINGERPRINT_LEN);
	out[DIPB_FINGERPRINT_LEN] = '\0';
	dipb_buf_release(&text);
}

static int
is_upper_or_digit(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

int
dipb_id_prefix_valid(const char *p)
{
	size_t n;

	if (p == NULL || !(p[0] >= 'A' && p[0] <= 'Z'))
		return 0;
	n = strspn(p + 1, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
	return n <= 7 && p[1 + n] == '\0';
}

int
dipb_id_valid(const char *id)
{
	size_t i, n;

	if (id == NULL || strlen(id) > DIPB_MAX_ID)
		return 0;
	if (!(id[0] >= 'A' && id[0] <= 'Z'))
		return 0;
	for (i = 1; is_upper_or_digit(id[i]); i++)
		continue;
	if (i > 8 || id[i] != '-')
		return 0;
	n = strspn(id + i + 1, "0123456789");
	return n >= 4 && id[i + 1 + n] == '\0';
}

int
dipb_id_split(const char *id, char prefix[9], unsigned long *num)
{
	const char *dash;
	char *end;
	unsigned long n;

	if (!dipb_id_valid(id))
		return -1;
	dash = strchr(id, '-');
	errno = 0;
	n = strtoul(dash + 1, &end, 10);
	if (errno == ERANGE || *end != '\0')
		return -1;
	memcpy(prefix, id, (size_t)(dash - id));
	prefix[dash - id] = '\0';
	*num = n;
	return 0;
}

/*
 * The N of a tag's name, the digits at the start of s: from 1 to
 * DIPB_TAG_MAX_N, no sign, no leading zero (dipb-git(7), "Tags of another
 * form"), checked against the bound before it grows, so that no number of
 * digits wraps it.  0 when s starts otherwise; *after is the first byte
 * past the digits.
 */
static unsigned long
tag_number(const char *s, const char *end, const char **after)
{
	const char *p;
	unsigned long n = 0, d;

	if (s == end || *s < '1' || *s > '9')
		return 0;
	for (p = s; p < end && *p >= '0' && *p <= '9'; p++) {
		d = (unsigned long)(*p - '0');
		if (n > (DIPB_TAG_MAX_N - d) / 10)
			return 0;
		n = n * 10 + d;
	}
	*after = p;
	return n;
}

/* The one reading of a tag's name, for every command and verify alike. */
unsigned long
dipb_tag_suffix(const char *s, size_t len, size_t *event)
{
	const char *end = s + len, *p;
	unsigned long n;

	if ((n = tag_number(s, end, &p)) == 0 || end - p < 2 || *p != '-')
		return 0;
	for (*event = (size_t)(++p - s); p < end; p++)
		if (!((*p >= 'a' && *p <= 'z') || *p == '-'))
			return 0;
	return n;
}

/*
 * A tag's name as dipb_tag_parse reads it; with wide, of any event but
 * one holding a '/' (dipb_tag_shape).
 */
static unsigned long
tag_parse(const char *name, size_t len, size_t *rlen, size_t *event,
    int wide)
{
	const char *slash = memchr(name, '/', len), *s, *end = name + len, *p;
	char rec[DIPB_MAX_ID + 1];
	unsigned long n;
	size_t ev;

	if (slash == NULL || (size_t)(slash - name) > DIPB_MAX_ID)
		return 0;
	s = slash + 1;
	if (wide) {
		if ((n = tag_number(s, end, &p)) == 0 || end - p < 2 ||
		    *p != '-' || memchr(p, '/', (size_t)(end - p)) != NULL)
			return 0;
		ev = (size_t)(p + 1 - s);
	} else if ((n = dipb_tag_suffix(s, (size_t)(end - s), &ev)) == 0)
		return 0;
	memcpy(rec, name, (size_t)(slash - name));
	rec[slash - name] = '\0';
	if (strlen(rec) != (size_t)(slash - name) ||
	    (strcmp(rec, DIPB_BOARD_RECORD) != 0 &&
	    strcmp(rec, DIPB_MEETING_RECORD) != 0 && !dipb_id_valid(rec)))
		return 0;
	*rlen = (size_t)(slash - name);
	*event = (size_t)(slash + 1 - name) + ev;
	return n;
}

unsigned long
dipb_tag_parse(const char *name, size_t len, size_t *rlen, size_t *event)
{
	return tag_parse(name, len, rlen, event, 0);
}

unsigned long
dipb_tag_shape(const char *name, size_t len, size_t *rlen, size_t *event)
{
	return tag_parse(name, len, rlen, event, 1);
}

const struct dipb_error *
dipb_tag_next(unsigned long *next, unsigned long highest, const char *record)
{
	if (highest >= DIPB_TAG_MAX_N)
		return dipb_error_fmt(DIPB_ERR_GIT, "%s has a tag numbered "
		    "%lu, the highest a tag's number may be (dipb-git(7)), "
		    "so its next change cannot be numbered: a tag made by "
		    "hand? git tag -l '%s/%lu-*' lists it", record,
		    highest, record, highest);
	*next = highest + 1;
	return NULL;
}

/* " tag TAG +refs/tags/TAG:refs/dipb/remote/REMOTE/tags/TAG", quoted. */
static void
refetch_one(struct dipb_buf *b, const char *remote, const char *tag)
{
	char *t = dipb_sh_quote(tag), *copy, *c;

	copy = xasprintf("+refs/tags/%s:refs/dipb/remote/%s/tags/%s", tag,
	    remote, tag);
	c = dipb_sh_quote(copy);
	dipb_buf_printf(b, " tag %s %s", t, c);
	free(c);
	free(copy);
	free(t);
}

char *
dipb_tag_refetch(const char *remote, const char *tag, const char *tag2)
{
	struct dipb_buf b = DIPB_BUF_INIT;
	char *r = dipb_sh_quote(remote);

	dipb_buf_printf(&b, "git fetch --force %s", r);
	refetch_one(&b, remote, tag);
	if (tag2 != NULL)
		refetch_one(&b, remote, tag2);
	free(r);
	return dipb_buf_detach(&b);
}

static const char *const layout_names[] = { "flat", "sharded" };

const char *
dipb_layout_name(enum dipb_layout l)
{
	return layout_names[l == DIPB_LAYOUT_SHARDED];
}

int
dipb_layout_parse(const char *s, enum dipb_layout *out)
{
	if (s != NULL && strcmp(s, "flat") == 0)
		*out = DIPB_LAYOUT_FLAT;
	else if (s != NULL && strcmp(s, "sharded") == 0)
		*out = DIPB_LAYOUT_SHARDED;
	else
		return -1;
	return 0;
}

char *
dipb_record_path_in(enum dipb_layout l, const char *id)
{
	const char *dash;
	size_t digits;

	if (l == DIPB_LAYOUT_FLAT)
		return xasprintf("%s/%s.yaml", DIPB_RECORD_DIR, id);
	/* A valid id has a prefix, a dash and four digits or more. */
	dash = strchr(id, '-');
	digits = strlen(dash + 1);
	return xasprintf("%s/%.*s/%.*s/%s.yaml", DIPB_RECORD_DIR,
	    (int)(dash - id), id, (int)(digits - 2), dash + 1, id);
}

int
dipb_record_file(const char *path, size_t len)
{
	static const char dir[] = DIPB_RECORD_DIR "/";
	const char *p, *end = path + len;
	int depth = 0;

	/* The name may be ".yaml" itself: a dotfile as any other. */
	if (len < sizeof(dir) - 1 + 5 || memcmp(path, dir, sizeof(dir) - 1) !=
	    0 || memcmp(end - 5, ".yaml", 5) != 0 ||
	    memchr(path, '\0', len) != NULL)
		return 0;
	for (p = path + sizeof(dir) - 1; p < end; p++)
		if (*p == '/' && ++depth > DIPB_RECORD_DEPTH)
			return 0;
	return 1;
}

int
dipb_record_path_parse(const char *path, size_t len,
    char id[DIPB_MAX_ID + 1], enum dipb_layout *layout)
{
	static const char dir[] = DIPB_RECORD_DIR "/";
	const char *top, *name, *end = path + len;
	size_t nlen, plen, dlen;
	enum dipb_layout l = DIPB_LAYOUT_FLAT;

	if (len < sizeof(dir) || memcmp(path, dir, sizeof(dir) - 1) != 0)
		return -1;
	top = path + sizeof(dir) - 1;
	for (name = end; name > top && name[-1] != '/'; name--)
		continue;
	nlen = (size_t)(end - name);
	if (nlen <= 5 || nlen - 5 > DIPB_MAX_ID ||
	    memcmp(end - 5, ".yaml", 5) != 0)
		return -1;
	memcpy(id, name, nlen - 5);
	id[nlen - 5] = '\0';
	if (memchr(id, '\0', nlen - 5) != NULL || !dipb_id_valid(id))
		return -1;
	if (name != top) {
		/* Two folders: the id's prefix, then its digits but two. */
		plen = (size_t)(strchr(id, '-') - id);
		dlen = strlen(id + plen + 1) - 2;
		if ((size_t)(name - top) != plen + 1 + dlen + 1 ||
		    memcmp(top, id, plen) != 0 || top[plen] != '/' ||
		    memcmp(top + plen + 1, id + plen + 1, dlen) != 0)
			return -1;
		l = DIPB_LAYOUT_SHARDED;
	}
	if (layout != NULL)
		*layout = l;
	return 0;
}

static int
parse(const char *s, const char *const *names, size_t from, size_t n)
{
	size_t i;

	if (s == NULL)
		return -1;
	for (i = from; i < n; i++)
		if (strcmp(s, names[i]) == 0)
			return (int)i;
	return -1;
}

static const char *
name(const char *const *names, size_t n, int v)
{
	if (v < 0 || (size_t)v >= n)
		return "unknown";
	return names[v];
}

const char *
dipb_status_name(enum dipb_status s)
{
	return name(dipb_status_names, NELEM(dipb_status_names), (int)s);
}

int
dipb_status_parse(const char *s, enum dipb_status *out)
{
	int v = parse(s, dipb_status_names, 1, NELEM(dipb_status_names));

	if (v == -1)
		return -1;
	*out = (enum dipb_status)v;
	return 0;
}

const char *
dipb_priority_name(enum dipb_priority p)
{
	return name(dipb_priority_names, NELEM(dipb_priority_names), (int)p);
}

int
dipb_priority_parse(const char *s, enum dipb_priority *out)
{
	int v = parse(s, dipb_priority_names, 1, NELEM(dipb_priority_names));

	if (v == -1)
		return -1;
	*out = (enum dipb_priority)v;
	return 0;
}

const char *
dipb_verdict_name(enum dipb_verdict v)
{
	return name(dipb_verdict_names, NELEM(dipb_verdict_names), (int)v);
}

int
dipb_verdict_parse(const char *s, enum dipb_verdict *out)
{
	int v = parse(s, dipb_verdict_names, 0, NELEM(dipb_verdict_names));

	if (v == -1)
		return -1;
	*out = (enum dipb_verdict)v;
	return 0;
}

const char *
dipb_action_state_name(enum dipb_action_state a)
{
	return name(dipb_action_state_names, NELEM(dipb_action_state_names),
	    (int)a);
}

int
dipb_action_state_parse(const char *s, enum dipb_action_state *out)
{
	int v = parse(s, dipb_action_state_names, 0,
	    NELEM(dipb_action_state_names));

	if (v == -1)
		return -1;
	*out = (enum dipb_action_state)v;
	return 0;
}

const char *
dipb_outcome_name(enum dipb_outcome o)
{
	return name(dipb_outcome_names, NELEM(dipb_outcome_names), (int)o);
}

int
dipb_outcome_parse(const char *s, enum dipb_outcome *out)
{
	int v = parse(s, dipb_outcome_names, 0, NELEM(dipb_outcome_names));

	if (v == -1)
		return -1;
	*out = (enum dipb_outcome)v;
	return 0;
}

const char *
dipb_field_name(enum dipb_field f)
{
	return (unsigned)f < DIPB_F__COUNT ? dipb_record_keys[f].name :
	    "unknown";
}

/*
 * json.c - records as JSON with jansson.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "board.h"
#include "json.h"
#include "state.h"
#include "text.h"
#include "util.h"

static void
set_str(json_t *o, const char *key, const char *val)
{
	if (val != NULL)
		json_object_set_new(o, key, json_string(val));
}

static json_t *
strlist(const struct dipb_strlist *l)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < l->n; i++)
		json_array_append_new(a, json_string(l->v[i]));
	return a;
}

/* An action's rescheduled list (dipb-record(5)), as the file has it. */
static json_t *
rescheduled(const struct dipb_action *act)
{
	json_t *a = json_array(), *x;
	size_t i;

	for (i = 0; i < act->nrescheduled; i++) {
		x = json_object();
		set_str(x, "from", act->rescheduled[i].from);
		set_str(x, "to", act->rescheduled[i].to);
		set_str(x, "date", act->rescheduled[i].date);
		set_str(x, "by", act->rescheduled[i].by);
		set_str(x, "reason", act->rescheduled[i].reason);
		json_array_append_new(a, x);
	}
	return a;
}

json_t *
dipb_record_json(const struct dipb_record *r)
{
	json_t *o = json_object(), *a, *x;
	size_t i;

	set_str(o, "id", r->id);
	set_str(o, "title", r->title);
	set_str(o, "working_group", r->working_group);
	set_str(o, "status", dipb_status_name(r->status));
	set_str(o, "classification", r->classification);
	if (r->priority != DIPB_PRIORITY_NONE)
		set_str(o, "priority", dipb_priority_name(r->priority));
	set_str(o, "created", r->created);
	set_str(o, "updated", r->updated);
	set_str(o, "author", r->author);
	json_object_set_new(o, "topics", strlist(&r->topics));
	set_str(o, "summary", r->summary);
	set_str(o, "rationale", r->rationale);
	a = json_array();
	for (i = 0; i < r->nactions; i++) {
		x = json_object();
		set_str(x, "text", r->actions[i].text);
		set_str(x, "owner", r->actions[i].owner);
		set_str(x, "due", r->actions[i].due);
		set_str(x, "state",
		    dipb_action_state_name(r->actions[i].state));
		if (r->actions[i].nrescheduled > 0)
			json_object_set_new(x, "rescheduled",
			    rescheduled(&r->actions[i]));
		json_array_append_new(a, x);
	}
	json_object_set_new(o, "actions", a);
	json_object_set_new(o, "references", strlist(&r->references));
	a = json_array();
	for (i = 0; i < r->nreviews; i++) {
		x = json_object();
		set_str(x, "reviewer", r->reviews[i].reviewer);
		set_str(x, "date", r->reviews[i].date);
		set_str(x, "verdict", dipb_verdict_name(r->reviews[i].verdict));
		set_str(x, "fingerprint", r->reviews[i].fingerprint);
		set_str(x, "classification", r->reviews[i].classification);
		set_str(x, "comment", r->reviews[i].comment);
		json_array_append_new(a, x);
	}
	json_object_set_new(o, "reviews", a);
	/* As in the YAML, only when there are some (dipb-record(5)). */
	if (r->nreplies > 0) {
		a = json_array();
		for (i = 0; i < r->nreplies; i++) {
			x = json_object();
			set_str(x, "by", r->replies[i].by);
			set_str(x, "date", r->replies[i].date);
			set_str(x, "to", r->replies[i].to);
			set_str(x, "text", r->replies[i].text);
			json_array_append_new(a, x);
		}
		json_object_set_new(o, "replies", a);
	}
	if (r->submission != NULL) {
		x = json_object();
		set_str(x, "date", r->submission->date);
		set_str(x, "to", r->submission->to);
		set_str(x, "reference", r->submission->reference);
		json_object_set_new(o, "submission", x);
	}
	if (r->decision != NULL) {
		x = json_object();
		set_str(x, "date", r->decision->date);
		set_str(x, "outcome", dipb_outcome_name(r->decision->outcome));
		set_str(x, "note", r->decision->note);
		json_object_set_new(o, "decision", x);
	}
	if (r->withdrawal != NULL) {
		x = json_object();
		set_str(x, "date", r->withdrawal->date);
		set_str(x, "by", r->withdrawal->by);
		set_str(x, "reason", r->withdrawal->reason);
		json_object_set_new(o, "withdrawal", x);
	}
	return o;
}

static json_t *
endorsement(const struct dipb_review *rv)
{
	json_t *x = json_object();

	set_str(x, "reviewer", rv->reviewer);
	set_str(x, "date", rv->date);
	set_str(x, "fingerprint", rv->fingerprint);
	return x;
}

json_t *
dipb_record_json_board(const struct dipb_record *r,
    const struct dipb_board *b)
{
	json_t *o = dipb_record_json(r), *fresh, *stale, *none;
	const struct dipb_member *m;
	char fp[DIPB_FINGERPRINT_LEN + 1];
	size_t i, j;

	dipb_record_fingerprint(r, fp);
	fresh = json_array();
	stale = json_array();
	/* One review per reviewer (dipb-review(1)): no duplicates. */
	for (i = 0; i < r->nreviews; i++) {
		if (r->reviews[i].verdict != DIPB_VERDICT_ENDORSE)
			continue;
		json_array_append_new(dipb_review_counts(b, r, &r->reviews[i],
		    fp) ? fresh : stale, endorsement(&r->reviews[i]));
	}
	none = json_array();
	for (i = 0; i < b->nmembers; i++) {
		m = &b->members[i];
		if (!dipb_member_has_role(m, DIPB_ROLE_REVIEWER, NULL) ||
		    (r->author != NULL && strcasecmp(m->email, r->author) == 0))
			continue;
		for (j = 0; j < r->nreviews; j++)
			if (r->reviews[j].reviewer != NULL &&
			    strcasecmp(r->reviews[j].reviewer, m->email) == 0)
				break;
		if (j == r->nreviews)
			json_array_append_new(none, json_string(m->email));
	}
	json_object_set_new(o, "fingerprint", json_string(fp));
	json_object_set_new(o, "fresh_endorsements", fresh);
	json_object_set_new(o, "stale_endorsements", stale);
	json_object_set_new(o, "not_reviewed", none);
	return o;
}

/* The flags of everything dipb prints as JSON (dipb_json_print). */
static size_t
dump_flags(int pretty)
{
	return (pretty ? JSON_INDENT(2) : JSON_COMPACT) | JSON_PRESERVE_ORDER;
}

int
dipb_json_print(FILE *fp, json_t *v, int pretty)
{
	char *s, *safe;
	int rc = -1;

	s = json_dumps(v, dump_flags(pretty));
	json_decref(v);
	if (s == NULL)
		return -1;
	/* No DEL or C1 control raw on a terminal (text.h). */
	safe = dipb_text_json(s, strlen(s));
	if (fputs(safe, fp) != EOF && fputc('\n', fp) != EOF)
		rc = 0;
	free(safe);
	free(s);
	return rc;
}

/* Where jansson writes for dipb_json_put_indented. */
struct indented {
	struct dipb_buf	*out;
	size_t		 indent;
};

static int
put_indented(const char *s, size_t n, void *arg)
{
	struct indented *in = arg;
	const char *nl;

	while (in->indent > 0 && (nl = memchr(s, '\n', n)) != NULL) {
		dipb_buf_put(in->out, s, (size_t)(nl - s) + 1);
		dipb_buf_printf(in->out, "%*s", (int)in->indent, "");
		n -= (size_t)(nl - s) + 1;
		s = nl + 1;
	}
	dipb_buf_put(in->out, s, n);
	return 0;
}

int
dipb_json_put_indented(struct dipb_buf *out, const json_t *v, size_t flags,
    size_t indent)
{
	struct indented in = { out, indent };

	return json_dump_callback(v, put_indented, &in, flags) == 0 ? 0 : -1;
}

int
dipb_json_put_item(struct dipb_buf *b, json_t *v, int pretty)
{
	struct dipb_buf t = DIPB_BUF_INIT;
	char *safe;
	int rc;

	/* Pretty, an item's lines are one level in, as jansson's array's. */
	if (pretty)
		dipb_buf_puts(&t, "  ");
	rc = dipb_json_put_indented(&t, v, dump_flags(pretty), pretty ? 2 : 0);
	json_decref(v);
	if (rc == 0) {
		safe = dipb_text_json(t.ptr, t.len);
		dipb_buf_puts(b, safe);
		free(safe);
	}
	dipb_buf_release(&t);
	return rc;
}

int
dipb_json_print_items(FILE *fp, const char *const *items, size_t n,
    int pretty)
{
	size_t i;

	/* jansson's layout: "[]" empty, else "[\n" ",\n" "\n]" pretty. */
	if (fputc('[', fp) == EOF ||
	    (pretty && n > 0 && fputc('\n', fp) == EOF))
		return -1;
	for (i = 0; i < n; i++)
		if ((i > 0 && fputs(pretty ? ",\n" : ",", fp) == EOF) ||
		    fputs(items[i], fp) == EOF)
			return -1;
	if ((pretty && n > 0 && fputc('\n', fp) == EOF) ||
	    fputs("]\n", fp) == EOF)
		return -1;
	return 0;
}

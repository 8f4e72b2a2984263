/*
 * build.c - what the report builders share (build.h).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"

void
dipb_rbuild_begin(struct dipb_rbuild *bd, const struct dipb_report_opts *o,
    const char *kind, const char *title, int heading)
{
	memset(bd, 0, sizeof(*bd));
	bd->board = o->board;
	bd->today = o->today;
	bd->rank = -1;
	bd->max_rank = o->max_classification != NULL ?
	    dipb_board_classification_rank(o->board, o->max_classification) :
	    -1;
	bd->r = dipb_rmodel_new(o->board, kind, o->title != NULL ? o->title :
	    title, o->today, o->version, o->max_classification, o->parts);
	if (heading)
		dipb_rtext_add(&dipb_rmodel_heading(bd->r, 1)->text,
		    DIPB_RSPAN_TEXT, bd->r->title);
}

int
dipb_rbuild_above(const struct dipb_rbuild *bd, const char *cls)
{
	int rank = cls != NULL ?
	    dipb_board_classification_rank(bd->board, cls) : -1;

	return bd->max_rank >= 0 && (rank < 0 || rank > bd->max_rank);
}

void
dipb_rbuild_left_out(struct dipb_rbuild *bd, const char *id)
{
	if (id != NULL) {
		if (dipb_hashmap_get(&bd->out, id) != NULL)
			return;
		dipb_hashmap_put(&bd->out, id, bd);	/* any, not NULL */
	}
	bd->r->left_out++;
}

int
dipb_rbuild_keep(struct dipb_rbuild *bd, const char *cls)
{
	return dipb_rbuild_keep_id(bd, NULL, cls);
}

int
dipb_rbuild_keep_id(struct dipb_rbuild *bd, const char *id, const char *cls)
{
	int rank = cls != NULL ?
	    dipb_board_classification_rank(bd->board, cls) : -1;

	if (dipb_rbuild_above(bd, cls)) {
		dipb_rbuild_left_out(bd, id);
		return 0;
	}
	if (rank < 0) {
		/* Only without a maximum: marked with what it says. */
		if (bd->odd_marking == NULL)
			bd->odd_marking = xstrdup(cls != NULL ? cls :
			    "UNKNOWN CLASSIFICATION");
		return 1;
	}
	if (rank > bd->rank)
		bd->rank = rank;
	return 1;
}

int
dipb_rbuild_keep_part(struct dipb_rbuild *bd, int rank, const char *name)
{
	if (rank < 0) {
		if (bd->max_rank >= 0)
			return 0;
		if (bd->odd_marking == NULL)
			bd->odd_marking = xstrdup(name != NULL ? name :
			    "UNKNOWN CLASSIFICATION");
		return 1;
	}
	if (bd->max_rank >= 0 && rank > bd->max_rank)
		return 0;
	if (rank > bd->rank)
		bd->rank = rank;
	return 1;
}

int
dipb_rbuild_levels_rank(const struct dipb_board *b,
    const struct dipb_strlist *levels, int unknown)
{
	size_t i;
	int rank = DIPB_RBUILD_NO_LEVEL, r;

	if (unknown)
		return -1;
	for (i = 0; i < levels->n; i++) {
		if ((r = dipb_board_classification_rank(b, levels->v[i])) < 0)
			return -1;
		if (r > rank)
			rank = r;
	}
	return rank;
}

int
dipb_rbuild_keep_text(struct dipb_rbuild *bd, const struct dipb_record *rec)
{
	struct dipb_review none;

	memset(&none, 0, sizeof(none));
	return dipb_rbuild_keep_part(bd, dipb_board_review_rank(bd->board,
	    rec, &none), rec->classification);
}

/* "N WHATs [HOW] left out." after t's sentence; nothing when n is 0. */
static void
left_commits(struct dipb_rtext *t, size_t n, const char *what,
    const char *how)
{
	char *s;

	if (n == 0)
		return;
	s = xasprintf("%zu %s%s%s%s left out.", n, what, n == 1 ? "" : "s",
	    how != NULL ? " " : "", how != NULL ? how : "");
	dipb_rtext_add(t, DIPB_RSPAN_TEXT, " ");
	dipb_rtext_add(t, DIPB_RSPAN_EMPH, s);
	free(s);
}

void
dipb_rbuild_intro(struct dipb_rbuild *bd, const char *what)
{
	dipb_rbuild_intro_dated(bd, what, NULL);
}

void
dipb_rbuild_intro_dated(struct dipb_rbuild *bd, const char *what,
    const char *today_is)
{
	const struct dipb_board *b = bd->board;
	struct dipb_rtext *t = &dipb_rmodel_para(bd->r)->text;

	dipb_rtext_add(t, DIPB_RSPAN_TEXT, b->board);
	if (b->short_name != NULL) {
		dipb_rtext_add(t, DIPB_RSPAN_TEXT, " (");
		dipb_rtext_add(t, DIPB_RSPAN_TEXT, b->short_name);
		dipb_rtext_add(t, DIPB_RSPAN_TEXT, ")");
	}
	dipb_rtext_add(t, DIPB_RSPAN_TEXT, " \xe2\x80\x94 ");
	dipb_rtext_add(t, DIPB_RSPAN_TEXT, what);
	if (today_is != NULL) {
		dipb_rtext_add(t, DIPB_RSPAN_TEXT, "; ");
		dipb_rtext_add(t, DIPB_RSPAN_TEXT, today_is);
		dipb_rtext_add(t, DIPB_RSPAN_TEXT, " ");
	} else
		dipb_rtext_add(t, DIPB_RSPAN_TEXT, " \xe2\x80\x94 ");
	dipb_rtext_add(t, DIPB_RSPAN_TEXT, bd->today);
	if (bd->max_rank >= 0) {
		char *s = xasprintf("%zu recommendation%s classified above "
		    "%s left out.", bd->r->left_out,
		    bd->r->left_out == 1 ? "" : "s",
		    b->classifications.v[bd->max_rank]);

		t = &dipb_rmodel_para(bd->r)->text;
		dipb_rtext_add(t, DIPB_RSPAN_EMPH, s);
		free(s);
		/* Commits, not recommendations: said apart (dipb-report(1)). */
		left_commits(t, bd->left_plain, "commit", "made with plain git");
		left_commits(t, bd->left_board, "board or meeting change",
		    NULL);
	}
}

struct dipb_report *
dipb_rbuild_finish(struct dipb_rbuild *bd)
{
	const struct dipb_strlist *c = &bd->board->classifications;
	const char *m;

	if (bd->odd_marking != NULL)
		m = bd->odd_marking;
	else if (bd->rank >= 0 && (size_t)bd->rank < c->n)
		m = c->v[bd->rank];
	else
		m = c->n > 0 ? c->v[0] : "UNCLASSIFIED";
	free(bd->r->marking);
	bd->r->marking = xstrdup(m);
	free(bd->odd_marking);
	bd->odd_marking = NULL;
	dipb_hashmap_release(&bd->ids, NULL);
	dipb_hashmap_release(&bd->out, NULL);
	return bd->r;
}

/* --- The board's order ----------------------------------------------------- */

size_t
dipb_rbuild_wg_index(const struct dipb_board *b, const char *key)
{
	size_t i;

	for (i = 0; key != NULL && i < b->nwgs; i++)
		if (strcmp(b->wgs[i].key, key) == 0)
			return i;
	return b->nwgs;
}

struct dipb_rdata *
dipb_rbuild_wg_data(struct dipb_rbuild *bd, struct dipb_rdata *all,
    size_t w, const char *other)
{
	if (w < bd->board->nwgs)
		return dipb_rdata_object(all, bd->board->wgs[w].key);
	return dipb_rdata_object(&bd->r->data, other);
}

const char *
dipb_rbuild_wg_name(const struct dipb_board *b, const char *key)
{
	const struct dipb_wg *w = key != NULL ? dipb_board_wg(b, key) : NULL;

	return w != NULL ? w->name : key != NULL ? key : "(none)";
}

const struct dipb_wg *
dipb_rbuild_wg_of_id(const struct dipb_board *b, const char *id)
{
	char prefix[9];
	unsigned long num;

	if (id == NULL || dipb_id_split(id, prefix, &num) != 0)
		return NULL;
	return dipb_board_wg_by_prefix(b, prefix);
}

const char *
dipb_rbuild_who(const struct dipb_board *b, const char *email)
{
	const struct dipb_member *m = email != NULL ?
	    dipb_board_member(b, email) : NULL;

	return m != NULL ? m->name : email != NULL ? email : "";
}

char *
dipb_rbuild_owner(const struct dipb_member **out, const struct dipb_board *b,
    const char *owner)
{
	const struct dipb_member *m = dipb_board_owner(b, owner);
	size_t i;

	*out = m;
	if (m == NULL)
		return xstrdup(owner != NULL ? owner : "");
	if (m->name == NULL)
		return xstrdup(m->email);
	/* Two members of one name are two owners: told apart. */
	for (i = 0; i < b->nmembers; i++)
		if (&b->members[i] != m &&
		    dipb_name_same(m->name, b->members[i].name))
			return xasprintf("%s <%s>", m->name, m->email);
	return xstrdup(m->name);
}

void
dipb_rbuild_owner_data(struct dipb_rdata *x, const char *owner,
    const struct dipb_member *m)
{
	dipb_rdata_string(x, "owner", owner);
	dipb_rdata_string(x, "owner_member", m == NULL ? NULL :
	    m->name != NULL ? m->name : m->email);
	dipb_rdata_string(x, "owner_email", m != NULL ? m->email : NULL);
}

void
dipb_rbuild_key(struct dipb_rbuild_key *k, const struct dipb_board *b,
    const char *id)
{
	const struct dipb_wg *w = dipb_rbuild_wg_of_id(b, id);

	k->wg = w != NULL ? (size_t)(w - b->wgs) : b->nwgs;
	k->id = id;
	k->num = 0;
	k->ok = dipb_id_split(id, k->prefix, &k->num) == 0;
}

int
dipb_rbuild_key_cmp(const struct dipb_rbuild_key *x,
    const struct dipb_rbuild_key *y)
{
	int c;

	if (x->wg != y->wg)
		return x->wg < y->wg ? -1 : 1;
	if (!x->ok || !y->ok)
		return strcmp(x->id, y->id);
	if ((c = strcmp(x->prefix, y->prefix)) != 0)
		return c;
	return x->num < y->num ? -1 : x->num > y->num;
}

int
dipb_rbuild_id_cmp(const struct dipb_board *b, const char *x, const char *y)
{
	struct dipb_rbuild_key kx, ky;

	dipb_rbuild_key(&kx, b, x);
	dipb_rbuild_key(&ky, b, y);
	return dipb_rbuild_key_cmp(&kx, &ky);
}

struct keyed {
	struct dipb_rbuild_key		 key;	/* first */
	const struct dipb_record	*rec;
};

int
dipb_rbuild_keyed_cmp(const void *a, const void *b)
{
	/* Each element starts with its key. */
	return dipb_rbuild_key_cmp(a, b);
}

const struct dipb_record **
dipb_rbuild_kept(struct dipb_rbuild *bd, const struct dipb_record *recs,
    size_t n, int (*shown)(const struct dipb_rbuild *,
    const struct dipb_record *), size_t *out_n)
{
	struct keyed *kv = xcalloc(n + 1, sizeof(*kv));
	const struct dipb_record **v;
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		if ((shown == NULL || shown(bd, &recs[i])) &&
		    dipb_rbuild_keep(bd, recs[i].classification)) {
			dipb_rbuild_key(&kv[k].key, bd->board, recs[i].id);
			kv[k++].rec = &recs[i];
		}
	qsort(kv, k, sizeof(*kv), dipb_rbuild_keyed_cmp);
	v = xcalloc(k + 1, sizeof(*v));
	for (i = 0; i < k; i++)
		v[i] = kv[i].rec;
	free(kv);
	*out_n = k;
	return v;
}

void
dipb_rbuild_records(struct dipb_rbuild *bd, const struct dipb_record *recs,
    size_t n)
{
	size_t i;

	dipb_hashmap_release(&bd->ids, NULL);
	for (i = 0; i < n; i++)
		/* The first of an id, as a search in their order finds. */
		if (recs[i].id != NULL &&
		    dipb_hashmap_get(&bd->ids, recs[i].id) == NULL)
			dipb_hashmap_put_ref(&bd->ids, recs[i].id,
			    (void *)(uintptr_t)&recs[i]);
}

const struct dipb_record *
dipb_rbuild_find(const struct dipb_rbuild *bd, const char *id)
{
	return dipb_hashmap_get(&bd->ids, id);
}

char *
dipb_rbuild_due(const struct dipb_action *a)
{
	const char *due = dipb_action_due(a);

	if (due == NULL)
		return xstrdup("-");
	if (a->nrescheduled == 0)
		return xstrdup(due);
	if (a->due == NULL)
		return xasprintf("%s (set after the decision)", due);
	return xasprintf("%s (moved from %s)", due, a->due);
}

void
dipb_rbuild_rescheduled_data(struct dipb_rbuild *bd, struct dipb_rdata *x,
    const struct dipb_record *rec, const struct dipb_action *a)
{
	const struct dipb_reschedule *m;
	struct dipb_rdata *arr, *o;
	size_t i;
	int text;

	if (a->nrescheduled == 0)
		return;
	text = dipb_rbuild_keep_text(bd, rec);
	dipb_rdata_string(x, "due_as_decided", a->due);
	arr = dipb_rdata_array(x, "rescheduled");
	for (i = 0; i < a->nrescheduled; i++) {
		m = &a->rescheduled[i];
		o = dipb_rdata_object(arr, NULL);
		dipb_rdata_string(o, "from", m->from);
		dipb_rdata_string(o, "to", m->to);
		dipb_rdata_string(o, "date", m->date);
		dipb_rdata_string(o, "by", m->by);
		if (text)
			dipb_rdata_string(o, "reason", m->reason);
	}
}

int
dipb_rbuild_rescheduled(struct dipb_rbuild *bd, int *head, int level,
    const struct dipb_record *rec, size_t n, const struct dipb_action *a)
{
	const struct dipb_reschedule *m;
	struct dipb_rtext *t;
	const char *id = rec->id;
	size_t i;
	char *s;
	int text = a->nrescheduled > 0 && dipb_rbuild_keep_text(bd, rec);

	for (i = 0; i < a->nrescheduled; i++) {
		m = &a->rescheduled[i];
		if (!*head) {
			dipb_rtext_add(&dipb_rmodel_heading(bd->r,
			    level)->text, DIPB_RSPAN_TEXT, "Due dates moved");
			*head = 1;
		}
		t = &dipb_rmodel_para(bd->r)->text;
		s = xasprintf("%s/%zu", id, n);
		dipb_rtext_add(t, DIPB_RSPAN_STRONG, s);
		free(s);
		if (m->from != NULL)
			s = xasprintf(": due date moved from %s to %s on %s "
			    "by %s.", m->from, m->to, m->date,
			    dipb_rbuild_who(bd->board, m->by));
		else
			s = xasprintf(": due date set to %s on %s by %s.",
			    m->to, m->date, dipb_rbuild_who(bd->board, m->by));
		dipb_rtext_add(t, DIPB_RSPAN_TEXT, s);
		free(s);
		if (text)
			dipb_rmodel_field(bd->r, m->reason, level + 1, 1);
		else if (m->reason != NULL) {
			dipb_rtext_add(t, DIPB_RSPAN_TEXT, " ");
			dipb_rtext_add(t, DIPB_RSPAN_EMPH, "Its reason, "
			    "written at a level above the limit, is left out.");
		}
	}
	return (int)a->nrescheduled;
}

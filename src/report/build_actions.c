/*
 * build_actions.c - dipb report actions: the open actions of decided
 * recommendations (agreed or noted), by owner, overdue first.
 */
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "../state.h"

struct open_action {
	const struct dipb_record	*rec;
	const struct dipb_action	*a;
	const char			*due;	/* in force: dipb_action_due */
	const struct dipb_member	*member; /* the one it names */
	char			*owner;	/* its group: dipb_rbuild_owner */
	size_t				 n;	/* 1-based */
	int				 overdue;
	struct dipb_rbuild_key		 key;	/* of rec's id */
};

/* 1 when x and y are one owner: one member, or one owner as written. */
static int
same_owner(const struct open_action *x, const struct open_action *y)
{
	return x->member == y->member && strcmp(x->owner, y->owner) == 0;
}

static int
cmp_action(const void *x, const void *y)
{
	const struct open_action *a = x, *b = y;
	int c;

	if ((c = strcmp(a->owner, b->owner)) != 0)
		return c;
	/* A member first, then an owner written as they are shown. */
	if (a->member != b->member)
		return a->member == NULL ? 1 : b->member == NULL ? -1 :
		    strcmp(a->member->email, b->member->email);
	if (a->overdue != b->overdue)
		return b->overdue - a->overdue;
	if ((a->due == NULL) != (b->due == NULL))
		return a->due == NULL ? 1 : -1;
	if (a->due != NULL && (c = strcmp(a->due, b->due)) != 0)
		return c;
	if ((c = dipb_rbuild_key_cmp(&a->key, &b->key)) != 0)
		return c;
	return a->n < b->n ? -1 : a->n > b->n;
}

/* v[i..end): the actions of v[i]'s owner. */
static size_t
owner_end(const struct open_action *v, size_t nv, size_t i)
{
	size_t k;

	for (k = i; k < nv && same_owner(&v[k], &v[i]); k++)
		;
	return k;
}

static void
by_owner(struct dipb_rbuild *bd, const struct open_action *v, size_t nv)
{
	struct dipb_rtable *t;
	size_t i, k, j, ov;

	if (nv == 0) {
		dipb_rtext_add(&dipb_rmodel_para(bd->r)->text, DIPB_RSPAN_TEXT,
		    "No open action.");
		return;
	}
	dipb_rtext_add(&dipb_rmodel_heading(bd->r, 2)->text, DIPB_RSPAN_TEXT,
	    "By owner");
	t = dipb_rmodel_table(bd->r, "lrr", "Owner", "open", "overdue");
	for (i = 0; i < nv; i = k) {
		k = owner_end(v, nv, i);
		for (ov = 0, j = i; j < k; j++)
			ov += (size_t)v[j].overdue;
		dipb_rtable_row(t, ov > 0);
		dipb_rtable_text(t, v[i].owner);
		dipb_rtable_num(t, k - i);
		dipb_rtable_num(t, ov);
	}
}

/* v[i..k): one owner's actions, then the titles of their records. */
static void
owner(struct dipb_rbuild *bd, const struct open_action *v, size_t i,
    size_t k, struct dipb_rdata *list)
{
	struct dipb_rtable *t;
	struct dipb_rblock *l;
	struct dipb_rtext *it;
	struct dipb_rdata *x;
	size_t j, q;
	char *due, *cell;
	int late;

	dipb_rtext_add(&dipb_rmodel_heading(bd->r, 2)->text, DIPB_RSPAN_TEXT,
	    v[i].owner);
	t = dipb_rmodel_table(bd->r, "lllrw", "Due", "Decided",
	    "Recommendation", "No.", "Action");
	for (j = i; j < k; j++) {
		const struct dipb_decision *d = v[j].rec->decision;

		/* Due before it was decided: overdue from that day. */
		late = dipb_state_action_late(v[j].rec, v[j].a);
		cell = dipb_rbuild_due(v[j].a);
		due = xasprintf("%s%s", cell, late ?
		    " (overdue since the decision)" :
		    v[j].overdue ? " (overdue)" : "");
		free(cell);
		dipb_rtable_row(t, v[j].overdue);
		dipb_rtable_text(t, due);
		dipb_rtable_text(t, d != NULL && d->date != NULL ? d->date :
		    "-");
		dipb_rtable_text(t, v[j].rec->id);
		dipb_rtable_num(t, v[j].n);
		dipb_rtable_text(t, v[j].a->text);
		free(due);
		x = dipb_rdata_object(list, NULL);
		dipb_rbuild_owner_data(x, v[j].a->owner, v[j].member);
		dipb_rdata_string(x, "due", v[j].due);
		dipb_rdata_bool(x, "overdue", v[j].overdue);
		dipb_rdata_bool(x, "overdue_since_decision", late);
		dipb_rdata_string(x, "record", v[j].rec->id);
		dipb_rdata_int(x, "action", (long long)v[j].n);
		dipb_rdata_string(x, "text", v[j].a->text);
		dipb_rdata_string(x, "title", v[j].rec->title);
		dipb_rdata_string(x, "decided", d != NULL ? d->date : NULL);
		dipb_rdata_string(x, "outcome", d != NULL ?
		    dipb_outcome_name(d->outcome) : NULL);
		dipb_rbuild_rescheduled_data(bd, x, v[j].rec, v[j].a);
	}
	l = dipb_rmodel_list(bd->r, 0);
	for (j = i; j < k; j++) {
		for (q = i; q < j; q++)
			if (v[q].rec == v[j].rec)
				break;
		if (q < j)
			continue;
		it = dipb_rmodel_item(l);
		dipb_rtext_add(it, DIPB_RSPAN_STRONG, v[j].rec->id);
		dipb_rtext_add(it, DIPB_RSPAN_TEXT, ": ");
		dipb_rtext_add(it, DIPB_RSPAN_TEXT, v[j].rec->title);
	}
}

struct dipb_report *
dipb_report_actions(const struct dipb_report_opts *o,
    const struct dipb_record *recs, size_t n)
{
	struct dipb_rbuild bd;
	struct open_action *v = NULL;
	struct dipb_rdata *list;
	size_t nv = 0, cap = 0, i, k, nover = 0, nrec = 0, nopen;
	int head = 0;
	char *s;

	dipb_rbuild_begin(&bd, o, "actions", "Open actions", 1);
	for (i = 0; i < n; i++) {
		/* Of an agreed or noted decision only (dipb-workflow(7)). */
		for (k = 0, nopen = 0; k < recs[i].nactions; k++)
			nopen += dipb_state_action_open(&recs[i],
			    &recs[i].actions[k]);
		if (nopen == 0 || !dipb_rbuild_keep(&bd,
		    recs[i].classification))
			continue;
		nrec++;
		for (k = 0; k < recs[i].nactions; k++) {
			const struct dipb_action *a = &recs[i].actions[k];

			if (!dipb_state_action_open(&recs[i], a))
				continue;
			xgrow((void **)&v, &cap, nv + 1, sizeof(*v));
			v[nv].rec = &recs[i];
			v[nv].a = a;
			v[nv].n = k + 1;
			v[nv].due = dipb_action_due(a);
			v[nv].owner = dipb_rbuild_owner(&v[nv].member,
			    o->board, a->owner);
			v[nv].overdue = dipb_state_action_overdue(&recs[i], a,
			    o->today);
			dipb_rbuild_key(&v[nv].key, o->board, recs[i].id);
			nover += (size_t)v[nv].overdue;
			nv++;
		}
	}
	if (nv > 1)
		qsort(v, nv, sizeof(*v), cmp_action);
	s = xasprintf("%zu open action%s of %zu decided recommendation%s, "
	    "%zu overdue", nv, nv == 1 ? "" : "s", nrec, nrec == 1 ? "" : "s",
	    nover);
	dipb_rbuild_intro(&bd, s);
	free(s);
	dipb_rdata_int(&bd.r->data, "open", (long long)nv);
	dipb_rdata_int(&bd.r->data, "overdue", (long long)nover);
	by_owner(&bd, v, nv);
	list = dipb_rdata_array(&bd.r->data, "actions");
	for (i = 0; i < nv; i = k) {
		k = owner_end(v, nv, i);
		owner(&bd, v, i, k, list);
	}
	/* Why each due date moved since the decision (action --due). */
	for (i = 0; i < nv; i++)
		(void)dipb_rbuild_rescheduled(&bd, &head, 2, v[i].rec,
		    v[i].n, v[i].a);
	for (i = 0; i < nv; i++)
		free(v[i].owner);
	free(v);
	return dipb_rbuild_finish(&bd);
}

/*
 * build_status.c - dipb report status: counts by working group and
 * status (a table and a chart), then one row per recommendation.
 */
#include <stdlib.h>
#include <string.h>

#include "build.h"

/* The statuses a recommendation can be in, in the order of its life. */
static const enum dipb_status order[] = { DIPB_STATUS_DRAFT,
    DIPB_STATUS_IN_REVIEW, DIPB_STATUS_RETURNED, DIPB_STATUS_ENDORSED,
    DIPB_STATUS_SUBMITTED, DIPB_STATUS_DECIDED, DIPB_STATUS_WITHDRAWN };
#define NSTATUS (sizeof(order) / sizeof(order[0]))

/*
 * The decided recommendations by the outcome of their decision, one row
 * per working group that has any: the chart splits them the same way.
 */
static void
outcomes(struct dipb_rbuild *bd, unsigned (*oc)[DIPB_ROUTCOMES],
    size_t nrows)
{
	const struct dipb_board *b = bd->board;
	struct dipb_rtable *t = NULL;
	struct dipb_rdata *all, *c;
	unsigned tot[DIPB_ROUTCOMES], sum;
	size_t w, k;

	memset(tot, 0, sizeof(tot));
	all = dipb_rdata_object(&bd->r->data, "decided_by_outcome");
	for (w = 0; w < nrows; w++) {
		for (sum = 0, k = 0; k < DIPB_ROUTCOMES; k++)
			sum += oc[w][k];
		if (sum == 0)
			continue;
		c = dipb_rbuild_wg_data(bd, all, w,
		    "decided_by_outcome_other");
		for (k = 0; k < DIPB_ROUTCOMES; k++)
			dipb_rdata_int(c, dipb_outcome_name(
			    (enum dipb_outcome)k), oc[w][k]);
		if (t == NULL) {
			dipb_rtext_add(&dipb_rmodel_heading(bd->r, 2)->text,
			    DIPB_RSPAN_TEXT, "Decisions by outcome");
			t = dipb_rmodel_table(bd->r, "lrrrrr", "Working group",
			    "agreed", "noted", "deferred", "declined",
			    "decided");
		}
		dipb_rtable_row(t, 0);
		dipb_rtable_text(t, w < b->nwgs ? b->wgs[w].name : "Other");
		for (k = 0; k < DIPB_ROUTCOMES; k++) {
			dipb_rtable_num(t, oc[w][k]);
			tot[k] += oc[w][k];
		}
		dipb_rtable_num(t, sum);
	}
	if (t == NULL)
		return;
	dipb_rtable_row(t, 1);
	dipb_rtable_text(t, "Total");
	for (sum = 0, k = 0; k < DIPB_ROUTCOMES; k++) {
		dipb_rtable_num(t, tot[k]);
		sum += tot[k];
	}
	dipb_rtable_num(t, sum);
}

/* Table, data and chart of the counts; one row per working group. */
static void
counts(struct dipb_rbuild *bd, const struct dipb_record **v, size_t nv)
{
	const struct dipb_board *b = bd->board;
	struct dipb_rdata *all, *c;
	struct dipb_rtable *t;
	struct dipb_rchart *chart;
	unsigned (*cnt)[DIPB_STATUS__COUNT], tot[DIPB_STATUS__COUNT], sum;
	unsigned (*oc)[DIPB_ROUTCOMES];
	size_t i, k, w, nrows = b->nwgs + 1;
	const char *name;

	cnt = xcalloc(nrows, sizeof(*cnt));
	oc = xcalloc(nrows, sizeof(*oc));
	memset(tot, 0, sizeof(tot));
	for (i = 0; i < nv; i++) {
		w = dipb_rbuild_wg_index(b, v[i]->working_group);
		cnt[w][v[i]->status]++;
		tot[v[i]->status]++;
		if (v[i]->status == DIPB_STATUS_DECIDED &&
		    v[i]->decision != NULL &&
		    (unsigned)v[i]->decision->outcome < DIPB_ROUTCOMES)
			oc[w][v[i]->decision->outcome]++;
	}
	dipb_rtext_add(&dipb_rmodel_heading(bd->r, 2)->text, DIPB_RSPAN_TEXT,
	    "By working group and status");
	t = dipb_rmodel_table(bd->r, "lrrrrrrrr", "Working group", "draft",
	    "in-review", "returned", "endorsed", "submitted", "decided",
	    "withdrawn", "total");
	all = dipb_rdata_object(&bd->r->data, "counts");
	for (w = 0; w < nrows; w++) {
		for (sum = 0, k = 0; k < NSTATUS; k++)
			sum += cnt[w][order[k]];
		if (w == b->nwgs && sum == 0)
			break;
		name = w < b->nwgs ? b->wgs[w].name : "Other";
		c = dipb_rbuild_wg_data(bd, all, w, "counts_other");
		dipb_rtable_row(t, 0);
		dipb_rtable_text(t, name);
		for (k = 0; k < NSTATUS; k++) {
			dipb_rtable_num(t, cnt[w][order[k]]);
			dipb_rdata_int(c, dipb_status_name(order[k]),
			    cnt[w][order[k]]);
		}
		dipb_rtable_num(t, sum);
		dipb_rdata_int(c, "total", sum);
	}
	dipb_rtable_row(t, 1);
	dipb_rtable_text(t, "Total");
	for (sum = 0, k = 0; k < NSTATUS; k++) {
		dipb_rtable_num(t, tot[order[k]]);
		sum += tot[order[k]];
	}
	dipb_rtable_num(t, sum);
	/* The chart: the same rows but the total, as its own block. */
	chart = dipb_rmodel_chart(bd->r);
	for (w = 0; w < nrows; w++) {
		for (sum = 0, k = 0; k < NSTATUS; k++)
			sum += cnt[w][order[k]];
		if (w == b->nwgs && sum == 0)
			break;
		dipb_rchart_bar(chart, w < b->nwgs ? b->wgs[w].name : "Other",
		    cnt[w]);
		dipb_rchart_outcomes(chart, oc[w]);
	}
	outcomes(bd, oc, nrows);
	free(oc);
	free(cnt);
}

/* One table per working group, one row per recommendation. */
static void
listing(struct dipb_rbuild *bd, const struct dipb_record **v, size_t nv)
{
	const struct dipb_board *b = bd->board;
	struct dipb_rdata *list, *x;
	struct dipb_rtable *t;
	size_t i, k, w;

	dipb_rtext_add(&dipb_rmodel_heading(bd->r, 2)->text, DIPB_RSPAN_TEXT,
	    "Recommendations");
	list = dipb_rdata_array(&bd->r->data, "recommendations");
	for (i = 0; i < nv; i = k) {
		w = dipb_rbuild_wg_index(b, v[i]->working_group);
		dipb_rtext_add(&dipb_rmodel_heading(bd->r, 3)->text,
		    DIPB_RSPAN_TEXT, w < b->nwgs ? b->wgs[w].name : "Other");
		t = dipb_rmodel_table(bd->r, "llllw", "ID", "Status",
		    "Priority", "Updated", "Title");
		for (k = i; k < nv && dipb_rbuild_wg_index(b,
		    v[k]->working_group) == w; k++) {
			const struct dipb_record *r = v[k];
			const char *prio = r->priority != DIPB_PRIORITY_NONE ?
			    dipb_priority_name(r->priority) : NULL;
			const char *updated = r->updated != NULL ?
			    r->updated : r->created;

			dipb_rtable_row(t, 0);
			dipb_rtable_text(t, r->id);
			dipb_rtable_text(t, dipb_status_name(r->status));
			dipb_rtable_text(t, prio != NULL ? prio : "-");
			dipb_rtable_text(t, updated);
			dipb_rtable_text(t, r->title);
			x = dipb_rdata_object(list, NULL);
			dipb_rdata_string(x, "id", r->id);
			dipb_rdata_string(x, "title", r->title);
			dipb_rdata_string(x, "working_group", r->working_group);
			dipb_rdata_string(x, "status",
			    dipb_status_name(r->status));
			dipb_rdata_string(x, "priority", prio);
			dipb_rdata_string(x, "classification",
			    r->classification);
			dipb_rdata_string(x, "updated", updated);
		}
	}
	if (nv == 0)
		dipb_rtext_add(&dipb_rmodel_para(bd->r)->text, DIPB_RSPAN_TEXT,
		    "No recommendation.");
}

struct dipb_report *
dipb_report_status(const struct dipb_report_opts *o,
    const struct dipb_record *recs, size_t n, const char *as_of)
{
	struct dipb_rbuild bd;
	const struct dipb_record **v;
	struct dipb_buf what = DIPB_BUF_INIT;
	size_t nv;

	dipb_rbuild_begin(&bd, o, "status", "Status of recommendations", 1);
	v = dipb_rbuild_kept(&bd, recs, n, NULL, &nv);
	dipb_buf_printf(&what, "status of %zu recommendation%s", nv,
	    nv == 1 ? "" : "s");
	if (as_of != NULL)
		dipb_buf_printf(&what, " as of %s", as_of);
	dipb_rbuild_intro(&bd, what.ptr);
	dipb_rdata_string(&bd.r->data, "as_of", as_of);
	counts(&bd, v, nv);
	listing(&bd, v, nv);
	dipb_buf_release(&what);
	free(v);
	return dipb_rbuild_finish(&bd);
}

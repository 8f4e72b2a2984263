/*
 * build_package.c - dipb report package: the recommendations of one
 * submission, each in full as it was submitted, with what the receiving
 * Armaments Directors need to check it (blob id, tag, fingerprint).
 */
#include <stdlib.h>
#include <string.h>

#include "build.h"

struct keyed {
	struct dipb_rbuild_key		 key;	/* first */
	const struct dipb_package_item	*it;
};

/* The table of contents, and the items as data. */
static void
contents(struct dipb_rbuild *bd, const struct keyed *v, size_t nv)
{
	char fp[DIPB_FINGERPRINT_LEN + 1];
	struct dipb_rtable *t;
	struct dipb_rdata *list, *x;
	size_t i;

	dipb_rtext_add(&dipb_rmodel_heading(bd->r, 2)->text, DIPB_RSPAN_TEXT,
	    "Contents");
	t = dipb_rmodel_table(bd->r, "rlwll", "No.", "ID", "Title",
	    "Classification", "Fingerprint");
	list = dipb_rdata_array(&bd->r->data, "recommendations");
	for (i = 0; i < nv; i++) {
		const struct dipb_package_item *it = v[i].it;

		dipb_record_fingerprint(it->rec, fp);
		dipb_rtable_row(t, 0);
		dipb_rtable_num(t, i + 1);
		dipb_rtable_text(t, it->rec->id);
		dipb_rtable_text(t, it->rec->title);
		dipb_rtable_text(t, it->rec->classification);
		dipb_rtable_text(t, fp);
		x = dipb_rdata_object(list, NULL);
		dipb_rdata_string(x, "id", it->rec->id);
		dipb_rdata_string(x, "blob", it->blob);
		dipb_rdata_string(x, "fingerprint", fp);
		dipb_rdata_string(x, "tag", it->tag);
		dipb_rdata_string(x, "commit", it->commit);
		dipb_rbuild_record_data(bd, x, "record", it->rec);
	}
}

struct dipb_report *
dipb_report_package(const struct dipb_report_opts *o, const char *reference,
    const struct dipb_package_item *items, size_t n)
{
	const struct dipb_board *b = o->board;
	struct dipb_rbuild bd;
	struct dipb_rtext *t;
	struct keyed *v;
	char *s;
	size_t i, nv = 0;
	const char *to = b->submit_to;

	s = xasprintf("Submission package %s", reference);
	dipb_rbuild_begin(&bd, o, "package", s, 1);
	free(s);
	v = xcalloc(n + 1, sizeof(*v));
	for (i = 0; i < n; i++)
		if (dipb_rbuild_keep(&bd, items[i].rec->classification)) {
			dipb_rbuild_key(&v[nv].key, b, items[i].rec->id);
			v[nv++].it = &items[i];
		}
	qsort(v, nv, sizeof(*v), dipb_rbuild_keyed_cmp);
	for (i = 0; i < nv; i++)
		if (v[i].it->rec->submission != NULL &&
		    v[i].it->rec->submission->to != NULL) {
			to = v[i].it->rec->submission->to;
			break;
		}
	s = xasprintf("%zu recommendation%s submitted to %s under reference "
	    "%s", nv, nv == 1 ? "" : "s", to != NULL ? to : "-", reference);
	dipb_rbuild_intro(&bd, s);
	free(s);
	dipb_rdata_string(&bd.r->data, "reference", reference);
	dipb_rdata_string(&bd.r->data, "to", to);

	t = &dipb_rmodel_para(bd.r)->text;
	dipb_rtext_add(t, DIPB_RSPAN_TEXT, "Each recommendation is given as "
	    "it was submitted.  Its git blob id is the id of its file at the "
	    "submission commit, which ");
	dipb_rtext_add(t, DIPB_RSPAN_CODE, "git hash-object");
	dipb_rtext_add(t, DIPB_RSPAN_TEXT, " gives for a received copy; its "
	    "fingerprint is the one the reviewers endorsed (see "
	    "dipb-record(5)).");
	contents(&bd, v, nv);
	for (i = 0; i < nv; i++) {
		dipb_rmodel_break(bd.r);
		dipb_rbuild_record(&bd, v[i].it->rec, v[i].it, 2,
		    (unsigned)(i + 1));
	}
	free(v);
	return dipb_rbuild_finish(&bd);
}

/*
 * build_record.c - one recommendation in full: the report of dipb show
 * --format markdown|html, and each section of a submission package.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "build.h"

static void
meta_row(struct dipb_rtable *t, const char *k, const char *v)
{
	if (v == NULL || v[0] == '\0')
		return;
	dipb_rtable_row(t, 0);
	dipb_rtable_text(t, k);
	dipb_rtable_text(t, v);
}

/* The table of its fields, and of its blob and tag when submitted. */
static void
meta_table(struct dipb_rbuild *bd, const struct dipb_record *rec,
    const struct dipb_package_item *it, const char *fp)
{
	const struct dipb_board *b = bd->board;
	struct dipb_rtable *t;
	struct dipb_buf v = DIPB_BUF_INIT;
	size_t i;

	t = dipb_rmodel_table(bd->r, "lw", "Field", "Value");
	dipb_buf_printf(&v, "%s (%s)", dipb_rbuild_wg_name(b,
	    rec->working_group), rec->working_group != NULL ?
	    rec->working_group : "-");
	meta_row(t, "Working group", v.ptr);
	meta_row(t, "Status", dipb_status_name(rec->status));
	meta_row(t, "Classification", rec->classification);
	if (rec->priority != DIPB_PRIORITY_NONE)
		meta_row(t, "Priority", dipb_priority_name(rec->priority));
	dipb_buf_clear(&v);
	for (i = 0; i < rec->topics.n; i++)
		dipb_buf_printf(&v, "%s%s", i > 0 ? ", " : "",
		    rec->topics.v[i]);
	meta_row(t, "Topics", dipb_buf_cstr(&v));
	dipb_buf_clear(&v);
	if (rec->author != NULL)
		dipb_buf_printf(&v, "%s <%s>", dipb_rbuild_who(b, rec->author),
		    rec->author);
	meta_row(t, "Drafted by", dipb_buf_cstr(&v));
	meta_row(t, "Created", rec->created);
	meta_row(t, "Updated", rec->updated);
	if (rec->submission != NULL) {
		dipb_buf_clear(&v);
		dipb_buf_printf(&v, "%s, to %s, reference %s",
		    rec->submission->date != NULL ? rec->submission->date : "-",
		    rec->submission->to != NULL ? rec->submission->to : "-",
		    rec->submission->reference != NULL ?
		    rec->submission->reference : "-");
		meta_row(t, "Submitted", v.ptr);
	}
	if (rec->decision != NULL) {
		dipb_buf_clear(&v);
		dipb_buf_printf(&v, "%s: %s",
		    rec->decision->date != NULL ? rec->decision->date : "-",
		    dipb_outcome_name(rec->decision->outcome));
		meta_row(t, "Decision", v.ptr);
	}
	if (rec->withdrawal != NULL) {
		dipb_buf_clear(&v);
		dipb_buf_printf(&v, "%s, by %s",
		    rec->withdrawal->date != NULL ? rec->withdrawal->date : "-",
		    dipb_rbuild_who(b, rec->withdrawal->by));
		meta_row(t, "Withdrawn", v.ptr);
	}
	meta_row(t, "Fingerprint", fp);
	if (it != NULL) {
		meta_row(t, "Git blob", it->blob);
		if (it->tag != NULL) {
			dipb_buf_clear(&v);
			dipb_buf_printf(&v, "%s (commit %s)", it->tag,
			    it->commit != NULL ? it->commit : "?");
			meta_row(t, "Submission tag", v.ptr);
		} else
			meta_row(t, "Submission tag",
			    "none: the text at the branch tip");
	}
	dipb_buf_release(&v);
}

static void
subheading(struct dipb_rbuild *bd, int level, const char *s)
{
	dipb_rtext_add(&dipb_rmodel_heading(bd->r, level)->text,
	    DIPB_RSPAN_TEXT, s);
}

static void
actions_list(struct dipb_rbuild *bd, const struct dipb_record *rec)
{
	struct dipb_rblock *l = dipb_rmodel_list(bd->r, 1);
	struct dipb_rtext *t;
	size_t i;
	char *due;

	for (i = 0; i < rec->nactions; i++) {
		const struct dipb_action *a = &rec->actions[i];

		t = dipb_rmodel_item(l);
		dipb_rtext_add(t, DIPB_RSPAN_TEXT, a->text);
		dipb_rtext_add(t, DIPB_RSPAN_TEXT, " \xe2\x80\x94 ");
		dipb_rtext_add(t, DIPB_RSPAN_TEXT, a->owner);
		if (dipb_action_due(a) != NULL) {
			/* The date in force; the date decided if it moved. */
			due = dipb_rbuild_due(a);
			dipb_rtext_add(t, DIPB_RSPAN_TEXT, ", due ");
			dipb_rtext_add(t, DIPB_RSPAN_TEXT, due);
			free(due);
		}
		dipb_rtext_addf(t, " (%s)", dipb_action_state_name(a->state));
	}
}

/* "WHO, DATE" added to t: who (an email) by name, in bold. */
static void
who_when(struct dipb_rtext *t, const struct dipb_rbuild *bd, const char *who,
    const char *date)
{
	dipb_rtext_add(t, DIPB_RSPAN_STRONG, dipb_rbuild_who(bd->board, who));
	dipb_rtext_add(t, DIPB_RSPAN_TEXT, ", ");
	dipb_rtext_add(t, DIPB_RSPAN_TEXT, date);
}

/*
 * The review thread: the drafter's replies to reviewer, oldest first, each
 * quoted after its review (dipb-review(1), --reply-to).  At the level of
 * the decision note: the highest the record is known to have had.
 */
static void
replies_to(struct dipb_rbuild *bd, const struct dipb_record *rec,
    const char *reviewer, int level)
{
	const struct dipb_reply *rp;
	struct dipb_rtext *t;
	size_t i;

	if (reviewer == NULL || !dipb_rbuild_keep_text(bd, rec))
		return;
	for (i = 0; i < rec->nreplies; i++) {
		rp = &rec->replies[i];
		if (rp->to == NULL || strcasecmp(rp->to, reviewer) != 0)
			continue;
		t = &dipb_rmodel_para(bd->r)->text;
		dipb_rtext_add(t, DIPB_RSPAN_TEXT, "\xe2\x86\xb3 ");
		who_when(t, bd, rp->by, rp->date);
		dipb_rtext_add(t, DIPB_RSPAN_TEXT, ": reply to ");
		dipb_rtext_add(t, DIPB_RSPAN_TEXT,
		    dipb_rbuild_who(bd->board, rp->to));
		dipb_rmodel_field(bd->r, rp->text, level, 1);
	}
}

/* Each review: who, when, verdict, on which text; its comment quoted. */
static void
reviews(struct dipb_rbuild *bd, const struct dipb_record *rec,
    const char *fp, int level)
{
	struct dipb_rtext *t;
	size_t i, out = 0;
	int rank;

	for (i = 0; i < rec->nreviews; i++) {
		const struct dipb_review *rv = &rec->reviews[i];
		int fresh = rv->fingerprint != NULL &&
		    strcmp(rv->fingerprint, fp) == 0;

		/* At the level it was written at, not the record's now. */
		rank = dipb_board_review_rank(bd->board, rec, rv);
		if (!dipb_rbuild_keep_part(bd, rank, rv->classification != NULL ?
		    rv->classification : rec->classification)) {
			out++;
			continue;
		}
		t = &dipb_rmodel_para(bd->r)->text;
		who_when(t, bd, rv->reviewer, rv->date);
		dipb_rtext_add(t, DIPB_RSPAN_TEXT, ": ");
		dipb_rtext_add(t, DIPB_RSPAN_STRONG,
		    dipb_verdict_name(rv->verdict));
		dipb_rtext_add(t, DIPB_RSPAN_TEXT, " \xe2\x80\x94 fingerprint ");
		dipb_rtext_add(t, DIPB_RSPAN_TEXT, rv->fingerprint);
		dipb_rtext_add(t, DIPB_RSPAN_TEXT, fresh ? ", this text" :
		    ", an earlier text");
		dipb_rtext_add(t, DIPB_RSPAN_TEXT, " \xe2\x80\x94 ");
		dipb_rtext_add(t, DIPB_RSPAN_EMPH, rank >= 0 ?
		    bd->board->classifications.v[rank] :
		    rv->classification != NULL ? rv->classification :
		    "UNKNOWN CLASSIFICATION");
		dipb_rmodel_field(bd->r, rv->comment, level, 1);
		replies_to(bd, rec, rv->reviewer, level);
	}
	if (out > 0)
		dipb_rtext_addf(&dipb_rmodel_para(bd->r)->text, "%zu review%s "
		    "written at a level above %s left out.", out,
		    out == 1 ? "" : "s", bd->max_rank >= 0 ?
		    bd->board->classifications.v[bd->max_rank] : "the limit");
}

void
dipb_rbuild_record_data(struct dipb_rbuild *bd, struct dipb_rdata *parent,
    const char *key, const struct dipb_record *rec)
{
	struct dipb_record c;
	struct dipb_review *rv;
	size_t i, k;
	int text;

	dipb_record_init(&c);
	dipb_record_copy(&c, rec);
	text = dipb_rbuild_keep_text(bd, rec);
	for (i = k = 0; i < c.nreviews; i++) {
		rv = &c.reviews[i];
		if (dipb_rbuild_keep_part(bd, dipb_board_review_rank(bd->board,
		    rec, &rec->reviews[i]), rv->classification != NULL ?
		    rv->classification : rec->classification)) {
			c.reviews[k++] = *rv;
			continue;
		}
		free(rv->reviewer);
		free(rv->date);
		free(rv->fingerprint);
		free(rv->comment);
		free(rv->classification);
	}
	c.nreviews = k;
	/* Replies: those to the reviews kept, at the level of the text. */
	for (i = k = 0; i < c.nreplies; i++) {
		int keep = 0;
		size_t j;

		for (j = 0; text && j < c.nreviews; j++)
			keep |= c.replies[i].to != NULL &&
			    c.reviews[j].reviewer != NULL &&
			    strcasecmp(c.replies[i].to,
			    c.reviews[j].reviewer) == 0;
		if (keep) {
			c.replies[k++] = c.replies[i];
			continue;
		}
		free(c.replies[i].by);
		free(c.replies[i].date);
		free(c.replies[i].to);
		free(c.replies[i].text);
	}
	c.nreplies = k;
	if (!text && c.decision != NULL) {
		free(c.decision->note);
		c.decision->note = NULL;
	}
	if (!text && c.withdrawal != NULL) {
		free(c.withdrawal->reason);
		c.withdrawal->reason = NULL;
	}
	dipb_rdata_record(parent, key, &c);
	dipb_record_release(&c);
}

void
dipb_rbuild_record(struct dipb_rbuild *bd, const struct dipb_record *rec,
    const struct dipb_package_item *it, int level, unsigned num)
{
	char fp[DIPB_FINGERPRINT_LEN + 1];
	struct dipb_rtext *t;
	size_t i;

	dipb_record_fingerprint(rec, fp);
	t = &dipb_rmodel_heading(bd->r, level)->text;
	if (num > 0)
		dipb_rtext_addf(t, "%u. ", num);
	dipb_rtext_add(t, DIPB_RSPAN_TEXT, rec->id);
	dipb_rtext_add(t, DIPB_RSPAN_TEXT, " \xe2\x80\x94 ");
	dipb_rtext_add(t, DIPB_RSPAN_TEXT, rec->title);
	meta_table(bd, rec, it, fp);

	subheading(bd, level + 1, "Summary");
	dipb_rmodel_field(bd->r, rec->summary, level + 1, 0);
	if (rec->rationale != NULL) {
		subheading(bd, level + 1, "Rationale");
		dipb_rmodel_field(bd->r, rec->rationale, level + 1, 0);
	}
	if (rec->nactions > 0) {
		subheading(bd, level + 1, "Actions");
		actions_list(bd, rec);
	}
	if (rec->references.n > 0) {
		struct dipb_rblock *l;

		subheading(bd, level + 1, "References");
		l = dipb_rmodel_list(bd->r, 0);
		for (i = 0; i < rec->references.n; i++)
			dipb_rtext_add(dipb_rmodel_item(l), DIPB_RSPAN_TEXT,
			    rec->references.v[i]);
	}
	if (rec->nreviews > 0) {
		subheading(bd, level + 1, "Reviews");
		reviews(bd, rec, fp, level + 1);
	}
	if (rec->decision != NULL && rec->decision->note != NULL &&
	    dipb_rbuild_keep_text(bd, rec)) {
		subheading(bd, level + 1, "Decision");
		dipb_rmodel_field(bd->r, rec->decision->note, level + 1, 0);
	}
	if (rec->withdrawal != NULL && rec->withdrawal->reason != NULL &&
	    dipb_rbuild_keep_text(bd, rec)) {
		subheading(bd, level + 1, "Withdrawal");
		dipb_rmodel_field(bd->r, rec->withdrawal->reason, level + 1, 0);
	}
}

struct dipb_report *
dipb_report_record(const struct dipb_report_opts *o,
    const struct dipb_record *rec)
{
	struct dipb_rbuild bd;
	struct dipb_report_opts ro = *o;

	if (ro.title == NULL)
		ro.title = rec->title;
	/* One record: its own marking, never left out; its own heading. */
	ro.max_classification = NULL;
	dipb_rbuild_begin(&bd, &ro, "record", rec->title, 0);
	dipb_rbuild_keep(&bd, rec->classification);
	dipb_rdata_record(&bd.r->data, "record", rec);
	dipb_rbuild_record(&bd, rec, NULL, 1, 0);
	return dipb_rbuild_finish(&bd);
}

/*
 * build_meeting.c - the reports of a board meeting (dipb-report(1)):
 * dipb report agenda, what is ready for the next meeting, and dipb report
 * minutes --meeting DATE, the minutes a secretary circulates after one
 * (meeting.h): attendance, agenda, decisions with their outcome in plain
 * words, actions arising with owners and due dates.
 */
#include <stdlib.h>
#include <string.h>

#include "../meeting.h"
#include "../state.h"
#include "build.h"

/* What a status means for the board, in the words of minutes. */
static const char *
plain_status(enum dipb_status s)
{
	switch (s) {
	case DIPB_STATUS_DRAFT:
		return "in drafting";
	case DIPB_STATUS_IN_REVIEW:
		return "under review";
	case DIPB_STATUS_RETURNED:
		return "returned to the drafter";
	case DIPB_STATUS_ENDORSED:
		return "endorsed, for submission";
	case DIPB_STATUS_SUBMITTED:
		return "submitted, for decision";
	case DIPB_STATUS_DECIDED:
		return "decided";
	case DIPB_STATUS_WITHDRAWN:
		return "withdrawn";
	default:
		return "unknown";
	}
}

/* A decision's outcome as minutes say it: "Agreed", "Noted", ... */
static const char *
plain_outcome(enum dipb_outcome o)
{
	switch (o) {
	case DIPB_OUTCOME_AGREED:
		return "Agreed";
	case DIPB_OUTCOME_NOTED:
		return "Noted";
	case DIPB_OUTCOME_DEFERRED:
		return "Deferred";
	case DIPB_OUTCOME_DECLINED:
		return "Declined";
	}
	return "?";
}

/* "Name (NATION)", or the email of someone the board does not know. */
static char *
person(const struct dipb_board *b, const char *email)
{
	const struct dipb_member *m = dipb_board_member(b, email);

	if (m == NULL)
		return xstrdup(email);
	if (m->nation != NULL)
		return xasprintf("%s (%s)", m->name, m->nation);
	return xstrdup(m->name);
}

/* The member's roles, "chair, secretary"; "" for none. */
static char *
roles_of(const struct dipb_board *b, const char *email)
{
	static const enum dipb_role all[] = { DIPB_ROLE_CHAIR,
	    DIPB_ROLE_SECRETARY, DIPB_ROLE_REVIEWER, DIPB_ROLE_DRAFTER };
	const struct dipb_member *m = dipb_board_member(b, email);
	struct dipb_buf buf = DIPB_BUF_INIT;
	char *out;
	size_t i;

	for (i = 0; m != NULL && i < sizeof(all) / sizeof(all[0]); i++)
		if (m->roles & all[i])
			dipb_buf_printf(&buf, "%s%s", buf.len > 0 ? ", " : "",
			    dipb_role_name(all[i]));
	out = xstrdup(dipb_buf_cstr(&buf));
	dipb_buf_release(&buf);
	return out;
}

/* "ID: title" as one item's text. */
static void
rec_line(struct dipb_rtext *t, const struct dipb_record *r)
{
	dipb_rtext_add(t, DIPB_RSPAN_STRONG, r->id);
	dipb_rtext_add(t, DIPB_RSPAN_TEXT, " \xe2\x80\x94 ");
	dipb_rtext_add(t, DIPB_RSPAN_TEXT, r->title);
}

/* The short data of a record on an agenda or in minutes. */
static struct dipb_rdata *
rec_data(struct dipb_rdata *list, const struct dipb_board *b,
    const struct dipb_record *r)
{
	struct dipb_rdata *x = dipb_rdata_object(list, NULL);

	dipb_rdata_string(x, "id", r->id);
	dipb_rdata_string(x, "title", r->title);
	dipb_rdata_string(x, "working_group", r->working_group);
	dipb_rdata_string(x, "working_group_name",
	    dipb_rbuild_wg_name(b, r->working_group));
	dipb_rdata_string(x, "status", dipb_status_name(r->status));
	dipb_rdata_string(x, "classification", r->classification);
	return x;
}

/* ---- agenda ----------------------------------------------------------- */

/* One part of the agenda: the kept records of status st, as a table. */
static size_t
agenda_part(struct dipb_rbuild *bd, const struct dipb_record **v, size_t nv,
    enum dipb_status st, const char *heading, struct dipb_rdata *list,
    size_t *num)
{
	struct dipb_rtable *t = NULL;
	struct dipb_rdata *x;
	size_t i, n = 0;
	char no[32];

	for (i = 0; i < nv; i++) {
		const struct dipb_record *r = v[i];
		const struct dipb_submission *s = r->submission;

		if (r->status != st)
			continue;
		if (t == NULL) {
			dipb_rtext_add(&dipb_rmodel_heading(bd->r, 2)->text,
			    DIPB_RSPAN_TEXT, heading);
			t = st == DIPB_STATUS_SUBMITTED ?
			    dipb_rmodel_table(bd->r, "rllwl", "Item", "Ref.",
			    "Working group", "Recommendation", "Submitted") :
			    dipb_rmodel_table(bd->r, "rllwl", "Item", "Ref.",
			    "Working group", "Recommendation", "Endorsed");
		}
		snprintf(no, sizeof(no), "%zu", ++*num);
		dipb_rtable_row(t, 0);
		dipb_rtable_text(t, no);
		dipb_rtable_text(t, r->id);
		dipb_rtable_text(t, dipb_rbuild_wg_name(bd->board,
		    r->working_group));
		dipb_rtable_text(t, r->title);
		if (st == DIPB_STATUS_SUBMITTED)
			dipb_rtable_text(t, s != NULL && s->date != NULL ?
			    s->date : "-");
		else
			dipb_rtable_text(t, r->updated != NULL ? r->updated :
			    "-");
		x = rec_data(list, bd->board, r);
		dipb_rdata_int(x, "item", (long long)*num);
		if (s != NULL) {
			dipb_rdata_string(x, "submitted", s->date);
			dipb_rdata_string(x, "reference", s->reference);
		}
		n++;
	}
	return n;
}

/*
 * What a report of meetings says where it shows no item: none, when it
 * left none out; else how many recommendations were there (one, many:
 * what they were, "was on the agenda") and that they are left out
 * (dipb-report(1), --max-classification), never that there were none.
 */
static void
none_shown(struct dipb_rbuild *bd, size_t left, const char *one,
    const char *many, const char *none)
{
	char *s = left == 0 ? xstrdup(none) : xasprintf("%zu "
	    "recommendation%s %s; %s left out, above the limit or of no "
	    "known level.", left, left == 1 ? "" : "s", left == 1 ? one :
	    many, left == 1 ? "it is" : "they are");

	dipb_rtext_add(&dipb_rmodel_para(bd->r)->text, DIPB_RSPAN_EMPH, s);
	free(s);
}

/*
 * Whether r is on the agenda: for decision, for submission, or with an
 * overdue action; only those count as left out (dipb-report(1)).
 */
static int
on_agenda(const struct dipb_rbuild *bd, const struct dipb_record *r)
{
	size_t k;

	if (r->status == DIPB_STATUS_SUBMITTED ||
	    r->status == DIPB_STATUS_ENDORSED)
		return 1;
	for (k = 0; k < r->nactions; k++)
		if (dipb_state_action_overdue(r, &r->actions[k], bd->today))
			return 1;
	return 0;
}

/* The open actions of decided records due before today, as a table. */
static size_t
agenda_overdue(struct dipb_rbuild *bd, const struct dipb_record **v,
    size_t nv, struct dipb_rdata *list, size_t *num)
{
	const struct dipb_member *m;
	struct dipb_rtable *t = NULL;
	struct dipb_rdata *x;
	size_t i, k, n = 0;
	char no[32], *who;

	for (i = 0; i < nv; i++) {
		for (k = 0; k < v[i]->nactions; k++) {
			const struct dipb_action *a = &v[i]->actions[k];

			if (!dipb_state_action_overdue(v[i], a, bd->today))
				continue;
			if (t == NULL) {
				dipb_rtext_add(&dipb_rmodel_heading(bd->r,
				    2)->text, DIPB_RSPAN_TEXT,
				    "Overdue actions, for review");
				t = dipb_rmodel_table(bd->r, "rlrwll", "Item",
				    "Ref.", "No.", "Action", "Owner", "Due");
			}
			snprintf(no, sizeof(no), "%zu", ++*num);
			who = dipb_rbuild_owner(&m, bd->board, a->owner);
			dipb_rtable_row(t, 1);
			dipb_rtable_text(t, no);
			dipb_rtable_text(t, v[i]->id);
			dipb_rtable_num(t, k + 1);
			dipb_rtable_text(t, a->text);
			dipb_rtable_text(t, who);
			dipb_rtable_text(t, dipb_action_due(a));
			free(who);
			x = dipb_rdata_object(list, NULL);
			dipb_rdata_int(x, "item", (long long)*num);
			dipb_rdata_string(x, "record", v[i]->id);
			dipb_rdata_int(x, "action", (long long)(k + 1));
			dipb_rdata_string(x, "text", a->text);
			dipb_rbuild_owner_data(x, a->owner, m);
			dipb_rdata_string(x, "due", dipb_action_due(a));
			n++;
		}
	}
	return n;
}

struct dipb_report *
dipb_report_agenda(const struct dipb_report_opts *o,
    const struct dipb_record *recs, size_t n)
{
	struct dipb_rbuild bd;
	const struct dipb_record **v;
	size_t nv, num = 0, nd, ns, na;
	char *s;

	s = xasprintf("Draft agenda of the next meeting of the %s",
	    o->board->short_name != NULL ? o->board->short_name :
	    o->board->board);
	dipb_rbuild_begin(&bd, o, "agenda", s, 1);
	free(s);
	v = dipb_rbuild_kept(&bd, recs, n, on_agenda, &nv);
	dipb_rbuild_intro(&bd, "what is ready for the board, as prepared");
	dipb_rtext_add(&dipb_rmodel_heading(bd.r, 2)->text, DIPB_RSPAN_TEXT,
	    "Opening");
	dipb_rtext_add(&dipb_rmodel_para(bd.r)->text, DIPB_RSPAN_TEXT,
	    "Attendance and apologies; adoption of the agenda; minutes of "
	    "the previous meeting.");
	nd = agenda_part(&bd, v, nv, DIPB_STATUS_SUBMITTED,
	    "For decision: submitted, awaiting the board's decision",
	    dipb_rdata_array(&bd.r->data, "for_decision"), &num);
	ns = agenda_part(&bd, v, nv, DIPB_STATUS_ENDORSED,
	    "For submission: endorsed, awaiting submission",
	    dipb_rdata_array(&bd.r->data, "for_submission"), &num);
	na = agenda_overdue(&bd, v, nv,
	    dipb_rdata_array(&bd.r->data, "overdue_actions"), &num);
	/* Left out, they would be on it all the same: never "nothing". */
	if (nd + ns + na == 0)
		none_shown(&bd, bd.r->left_out, "would be on the agenda",
		    "would be on the agenda", "Nothing is ready for the "
		    "board: no recommendation awaits submission or decision, "
		    "and no action is overdue.");
	dipb_rtext_add(&dipb_rmodel_heading(bd.r, 2)->text, DIPB_RSPAN_TEXT,
	    "Any other business");
	free(v);
	return dipb_rbuild_finish(&bd);
}

/* ---- minutes of a meeting ---------------------------------------------- */

/*
 * Attendance: present and apologies, each with their name and roles in
 * people, the board of the day the meeting was recorded: minutes made
 * again read as they did, whoever has left or changed role since.
 */
static void
attendance(struct dipb_rbuild *bd, const struct dipb_meeting *m,
    const struct dipb_board *people)
{
	const struct dipb_meeting_list *l[2] = { &m->attendees,
	    &m->apologies };
	static const char *const head[2] = { "Present", "Apologies" };
	static const char *const key[2] = { "present", "apologies" };
	struct dipb_rtable *t;
	struct dipb_rdata *arr, *x;
	size_t i, k;
	char *p, *r;

	dipb_rtext_add(&dipb_rmodel_heading(bd->r, 2)->text, DIPB_RSPAN_TEXT,
	    "Attendance");
	for (k = 0; k < 2; k++) {
		arr = dipb_rdata_array(&bd->r->data, key[k]);
		if (l[k]->s.n == 0)
			continue;
		dipb_rtext_add(&dipb_rmodel_para(bd->r)->text,
		    DIPB_RSPAN_STRONG, head[k]);
		t = dipb_rmodel_table(bd->r, "ll", "Member", "Role");
		for (i = 0; i < l[k]->s.n; i++) {
			p = person(people, l[k]->s.v[i]);
			r = roles_of(people, l[k]->s.v[i]);
			dipb_rtable_row(t, 0);
			dipb_rtable_text(t, p);
			dipb_rtable_text(t, r);
			x = dipb_rdata_object(arr, NULL);
			dipb_rdata_string(x, "email", l[k]->s.v[i]);
			dipb_rdata_string(x, "name", dipb_rbuild_who(
			    people, l[k]->s.v[i]));
			free(p);
			free(r);
		}
	}
}

/*
 * A record named on the agenda that the board no longer has (its file
 * removed with plain git since): it stands in items[] for the item, so
 * that the minutes name it with a note rather than drop it (an audit
 * trail has every item; dipb-report(1)).
 */
static const struct dipb_record gone;

/*
 * The record of agenda item id: &gone when the board has none of that id,
 * NULL when left out under the maximum (counted, never named).
 */
static const struct dipb_record *
item_of(struct dipb_rbuild *bd, const char *id)
{
	const struct dipb_record *r = dipb_rbuild_find(bd, id);

	/*
	 * Its level cannot be known: under a maximum it is left out and
	 * counted, as a record of a level the board does not know is.
	 */
	if (r == NULL && bd->max_rank >= 0) {
		dipb_rbuild_left_out(bd, id);
		return NULL;
	}
	if (r == NULL)
		return &gone;
	if (!dipb_rbuild_keep_id(bd, id, r->classification))
		return NULL;
	return r;
}

#define GONE_NOTE	"the board no longer has this record (its file was " \
			"removed outside dipb)"

/*
 * The data of item id that the board no longer has: its id, "missing"
 * and the note (a key the items of records have not).
 */
static struct dipb_rdata *
gone_data(struct dipb_rdata *list, const char *id)
{
	struct dipb_rdata *x = dipb_rdata_object(list, NULL);

	dipb_rdata_string(x, "id", id);
	dipb_rdata_bool(x, "missing", 1);
	dipb_rdata_string(x, "note", GONE_NOTE);
	return x;
}

int
dipb_report_decided_at(const struct dipb_record *r, const char *date,
    const char *next)
{
	const struct dipb_decision *d = r->decision;

	return r->status == DIPB_STATUS_DECIDED && d != NULL &&
	    d->date != NULL && strcmp(d->date, date) >= 0 &&
	    (next == NULL || strcmp(d->date, next) < 0);
}

/* The agenda as it was set: the items not left out. */
static void
agenda(struct dipb_rbuild *bd, const struct dipb_board *b,
    const struct dipb_meeting *m, const struct dipb_record **items,
    size_t left)
{
	struct dipb_rdata *arr;
	struct dipb_rblock *l;
	struct dipb_rtext *it;
	size_t i;

	dipb_rtext_add(&dipb_rmodel_heading(bd->r, 2)->text, DIPB_RSPAN_TEXT,
	    "Agenda");
	arr = dipb_rdata_array(&bd->r->data, "agenda");
	l = m->agenda.s.n > left ? dipb_rmodel_list(bd->r, 1) : NULL;
	for (i = 0; l != NULL && i < m->agenda.s.n; i++) {
		if (items[i] == NULL)
			continue;
		it = dipb_rmodel_item(l);
		if (items[i] == &gone) {
			dipb_rtext_add(it, DIPB_RSPAN_STRONG,
			    m->agenda.s.v[i]);
			dipb_rtext_add(it, DIPB_RSPAN_TEXT, " \xe2\x80\x94 ");
			dipb_rtext_add(it, DIPB_RSPAN_EMPH, "not recorded: "
			    GONE_NOTE);
			(void)gone_data(arr, m->agenda.s.v[i]);
			continue;
		}
		rec_line(it, items[i]);
		dipb_rtext_add(it, DIPB_RSPAN_TEXT, " (");
		dipb_rtext_add(it, DIPB_RSPAN_TEXT, dipb_rbuild_wg_name(b,
		    items[i]->working_group));
		dipb_rtext_add(it, DIPB_RSPAN_TEXT, ")");
		rec_data(arr, b, items[i]);
	}
	if (l == NULL)
		none_shown(bd, left, "was on the agenda", "were on the agenda",
		    "No recommendation was on the agenda.");
}

/*
 * What the board decided, item by item (left of them left out); the
 * number of decisions taken.
 */
static size_t
decisions(struct dipb_rbuild *bd, const struct dipb_board *b,
    const struct dipb_meeting *m, const char *next,
    const struct dipb_record **items, size_t left)
{
	struct dipb_rdata *arr, *x;
	struct dipb_rtext *it;
	size_t i, k, ndec = 0;
	char *s;

	dipb_rtext_add(&dipb_rmodel_heading(bd->r, 2)->text, DIPB_RSPAN_TEXT,
	    "Decisions");
	arr = dipb_rdata_array(&bd->r->data, "decisions");
	for (i = 0, k = 0; i < m->agenda.s.n; i++) {
		const struct dipb_record *r = items[i];

		if (r == NULL)
			continue;
		k++;
		if (r == &gone) {
			/* No record, so no decision to tell: the note. */
			s = xasprintf("%zu. %s", k, m->agenda.s.v[i]);
			dipb_rtext_add(&dipb_rmodel_heading(bd->r, 3)->text,
			    DIPB_RSPAN_TEXT, s);
			free(s);
			it = &dipb_rmodel_para(bd->r)->text;
			dipb_rtext_add(it, DIPB_RSPAN_STRONG, "Not recorded");
			dipb_rtext_add(it, DIPB_RSPAN_TEXT, ": " GONE_NOTE
			    ", so what the board decided on it cannot be "
			    "told.");
			dipb_rdata_string(gone_data(arr, m->agenda.s.v[i]),
			    "outcome", NULL);
			continue;
		}
		s = xasprintf("%zu. %s \xe2\x80\x94 %s", k, r->id, r->title);
		dipb_rtext_add(&dipb_rmodel_heading(bd->r, 3)->text,
		    DIPB_RSPAN_TEXT, s);
		free(s);
		it = &dipb_rmodel_para(bd->r)->text;
		x = rec_data(arr, b, r);
		if (dipb_report_decided_at(r, m->date, next)) {
			ndec++;
			dipb_rtext_add(it, DIPB_RSPAN_STRONG,
			    plain_outcome(r->decision->outcome));
			dipb_rtext_add(it, DIPB_RSPAN_TEXT, ". ");
			s = xasprintf("The board's decision, recorded on %s.",
			    r->decision->date);
			dipb_rtext_add(it, DIPB_RSPAN_TEXT, s);
			free(s);
			dipb_rdata_string(x, "outcome",
			    dipb_outcome_name(r->decision->outcome));
			dipb_rdata_string(x, "decided", r->decision->date);
			/* Written at the record's highest level known. */
			if (r->decision->note != NULL &&
			    dipb_rbuild_keep_text(bd, r))
				dipb_rmodel_field(bd->r, r->decision->note, 3,
				    1);
		} else if (r->decision != NULL && r->decision->date != NULL) {
			dipb_rtext_add(it, DIPB_RSPAN_STRONG, "No new decision");
			s = xasprintf(": the board decided on %s (%s); "
			    "the recommendation was reviewed for its actions.",
			    r->decision->date, dipb_outcome_name(
			    r->decision->outcome));
			dipb_rtext_add(it, DIPB_RSPAN_TEXT, s);
			free(s);
			dipb_rdata_string(x, "outcome", NULL);
		} else {
			dipb_rtext_add(it, DIPB_RSPAN_STRONG, "No decision");
			s = xasprintf(": the recommendation is %s.",
			    plain_status(r->status));
			dipb_rtext_add(it, DIPB_RSPAN_TEXT, s);
			free(s);
			dipb_rdata_string(x, "outcome", NULL);
		}
	}
	if (k == 0)
		none_shown(bd, left, "was on the agenda", "were on the agenda",
		    "No decision was taken.");
	return ndec;
}

/*
 * The actions arising from the decisions taken (left items left out),
 * and the due dates moved since the meeting, each with its reason.
 */
static void
actions_arising(struct dipb_rbuild *bd, const struct dipb_report_opts *o,
    const struct dipb_meeting *m, const char *next,
    const struct dipb_record **items, size_t left)
{
	const struct dipb_board *b = o->board;
	const struct dipb_member *who_m;
	struct dipb_rtable *t;
	struct dipb_rdata *acts, *x;
	size_t i, k, nact = 0;
	int moved = 0;
	char *who, *cell, no[32];

	dipb_rtext_add(&dipb_rmodel_heading(bd->r, 2)->text, DIPB_RSPAN_TEXT,
	    "Actions arising");
	acts = dipb_rdata_array(&bd->r->data, "actions");
	t = NULL;
	for (i = 0; i < m->agenda.s.n; i++) {
		const struct dipb_record *r = items[i];

		/* Actions arise from an agreed or noted decision only
		 * (dipb-workflow(7)): a deferral or a refusal has none. */
		if (r == NULL || !dipb_report_decided_at(r, m->date, next) ||
		    !dipb_state_in_force(r))
			continue;
		for (k = 0; k < r->nactions; k++) {
			const struct dipb_action *a = &r->actions[k];
			const char *due = dipb_action_due(a);
			int late = dipb_state_action_overdue(r, a, o->today);

			if (a->state == DIPB_ACTION_DROPPED)
				continue;
			if (t == NULL)
				t = dipb_rmodel_table(bd->r, "lwlll", "Ref.",
				    "Action", "Owner", "Due", "State");
			snprintf(no, sizeof(no), "%s/%zu", r->id, k + 1);
			who = dipb_rbuild_owner(&who_m, b, a->owner);
			dipb_rtable_row(t, late);
			dipb_rtable_text(t, no);
			dipb_rtable_text(t, a->text);
			dipb_rtable_text(t, who);
			cell = dipb_rbuild_due(a);
			dipb_rtable_text(t, cell);
			free(cell);
			dipb_rtable_text(t, a->state == DIPB_ACTION_DONE ?
			    "done" : late ? "overdue" : "open");
			x = dipb_rdata_object(acts, NULL);
			dipb_rdata_string(x, "record", r->id);
			dipb_rdata_int(x, "action", (long long)(k + 1));
			dipb_rdata_string(x, "text", a->text);
			dipb_rbuild_owner_data(x, a->owner, who_m);
			dipb_rdata_string(x, "due", due);
			dipb_rdata_string(x, "state",
			    dipb_action_state_name(a->state));
			dipb_rdata_bool(x, "overdue", late);
			dipb_rbuild_rescheduled_data(bd, x, r, a);
			free(who);
			nact++;
		}
	}
	/* Those of items left out are left out with them, not none. */
	if (nact == 0)
		dipb_rtext_add(&dipb_rmodel_para(bd->r)->text, DIPB_RSPAN_EMPH,
		    left == 0 ? "No action arises from this meeting." :
		    "No action arises from the decisions shown.");
	/* Due dates moved since the meeting, each with its reason. */
	for (i = 0; i < m->agenda.s.n; i++) {
		const struct dipb_record *r = items[i];

		if (r == NULL || !dipb_report_decided_at(r, m->date, next))
			continue;
		for (k = 0; k < r->nactions; k++)
			if (r->actions[k].state != DIPB_ACTION_DROPPED)
				(void)dipb_rbuild_rescheduled(bd, &moved, 3,
				    r, k + 1, &r->actions[k]);
	}
}

/*
 * The meeting's notes, at rank: the highest level of its agenda items
 * when it was recorded and at the tip (dipb-report(1)); none (no agenda),
 * the lowest; -1, not known: shown without a maximum, the marking kept to
 * what the rest shows; left out under one, and said so.
 */
static void
notes(struct dipb_rbuild *bd, const struct dipb_meeting *m, int rank)
{
	struct dipb_rdata *x;
	struct dipb_rtext *t;
	int kept;

	dipb_rtext_add(&dipb_rmodel_heading(bd->r, 2)->text, DIPB_RSPAN_TEXT,
	    "Notes");
	if (rank == DIPB_RBUILD_NO_LEVEL)
		rank = 0;
	kept = (rank < 0 && bd->max_rank < 0) ||
	    (rank >= 0 && dipb_rbuild_keep_part(bd, rank, NULL));
	/*
	 * Their level named as an event's comment's is, and as it is only
	 * with the text: left out, a report marked lower names no higher
	 * level (dipb-report(1)).
	 */
	x = dipb_rdata_object(&bd->r->data, "notes");
	dipb_rdata_string(x, "text", kept ? m->notes : NULL);
	if (kept)
		dipb_rdata_string(x, "classification", rank >= 0 ?
		    bd->board->classifications.v[rank] : NULL);
	if (kept) {
		dipb_rmodel_field(bd->r, m->notes, 2, 0);
		return;
	}
	t = &dipb_rmodel_para(bd->r)->text;
	dipb_rtext_add(t, DIPB_RSPAN_EMPH, rank < 0 ? "The notes, whose "
	    "level cannot be known, are left out." : "The notes, written at "
	    "a level above the limit, are left out.");
}

struct dipb_report *
dipb_report_meeting(const struct dipb_report_opts *o,
    const struct dipb_meeting *m, const char *next,
    const struct dipb_record *recs, size_t n, const struct dipb_board *people,
    const struct dipb_strlist *notes_levels, int notes_unknown)
{
	const struct dipb_board *b = o->board;
	const struct dipb_record **items;
	struct dipb_rbuild bd;
	struct dipb_rdata *x;
	size_t i, ndec, left = 0;
	char *s;

	s = m->title != NULL ? xstrdup(m->title) : xasprintf("Minutes of "
	    "the %s meeting of %s", b->short_name != NULL ? b->short_name :
	    b->board, m->date);
	dipb_rbuild_begin(&bd, o, "meeting-minutes", s, 1);
	free(s);
	/* Left out under a maximum: counted, never named. */
	items = xcalloc(m->agenda.s.n + 1, sizeof(*items));
	dipb_rbuild_records(&bd, recs, n);
	for (i = 0; i < m->agenda.s.n; i++)
		if ((items[i] = item_of(&bd, m->agenda.s.v[i])) == NULL)
			left++;
	/* Two dates: the meeting's, and the day the minutes were written. */
	s = xasprintf("minutes of the meeting held on %s", m->date);
	dipb_rbuild_intro_dated(&bd, s, "written on");
	free(s);
	x = dipb_rdata_object(&bd.r->data, "meeting");
	dipb_rdata_string(x, "date", m->date);
	dipb_rdata_string(x, "title", m->title);
	dipb_rdata_string(x, "next", next);
	attendance(&bd, m, people);

	agenda(&bd, b, m, items, left);
	ndec = decisions(&bd, b, m, next, items, left);
	actions_arising(&bd, o, m, next, items, left);
	if (m->notes != NULL)
		notes(&bd, m, dipb_rbuild_levels_rank(b, notes_levels,
		    notes_unknown));
	dipb_rdata_int(&bd.r->data, "decided", (long long)ndec);
	free(items);
	return dipb_rbuild_finish(&bd);
}

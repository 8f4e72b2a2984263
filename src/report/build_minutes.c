/*
 * build_minutes.c - dipb report minutes: the changes of a window of the
 * history, counted by working group, then told record by record, then the
 * board's own changes and the commits made with plain git.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "../history.h"
#include "../meeting.h"
#include "../state.h"
#include "build.h"

/* The columns of the summary. */
enum { C_DRAFTED, C_REVIEWS, C_ENDORSED, C_RETURNED, C_SUBMITTED,
    C_DECIDED, C_WITHDRAWN, C_OTHER, C__COUNT };

static const char *const col_name[C__COUNT] = { "drafted", "reviews",
    "endorsed", "returned", "submitted", "decided", "withdrawn", "other" };

/* The level of the board's own configuration changes: unclassified. */
#define NO_RANK	DIPB_RBUILD_NO_LEVEL

/* An event of a record, with its place in the board's order. */
struct keyed {
	struct dipb_rbuild_key		 key;
	const struct dipb_event		*e;
	int				 kind;	/* see kind_of() */
	size_t				 seq;	/* oldest first */
	int				 rank;	/* its comment's level */
};

/* By working group and id, then oldest first. */
static int
cmp_keyed(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	int c = dipb_rbuild_key_cmp(&x->key, &y->key);

	if (c != 0)
		return c;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/*
 * The event's kind (state.h), or -1 when it has none or one this dipb
 * does not know.
 */
static int
kind_of(const struct dipb_event *e)
{
	enum dipb_event_kind k;

	if (e->event == NULL || dipb_event_parse(&k, NULL, e->event) != 0)
		return -1;
	return (int)k;
}

static int
is_review(int kind)
{
	return kind == DIPB_EVENT_REVIEWED || kind == DIPB_EVENT_ENDORSED ||
	    kind == DIPB_EVENT_RETURNED;
}

/* The subject without "ID: ". */
static const char *
subject_rest(const struct dipb_event *e)
{
	size_t n = e->record != NULL ? strlen(e->record) : 0;

	if (n > 0 && strncmp(e->subject, e->record, n) == 0 &&
	    strncmp(e->subject + n, ": ", 2) == 0)
		return e->subject + n + 2;
	return e->subject;
}

/*
 * A commit's subject as the minutes show it: an empty one (git commit
 * --allow-empty-message) as dipb log shows it, "(no message)", never as
 * nothing between two blanks (dipb-log(1)).  The data keeps it as is.
 */
static const char *
shown(const char *subject)
{
	return subject[0] != '\0' ? subject : "(no message)";
}

/*
 * The verdict of a review event, from its subject as dipb writes it
 * (dipb-review(1)): a returned change's opens "objection by" or "changes
 * requested by", whatever the reviewer's name holds after it.
 */
static enum dipb_verdict
verdict_of(const struct dipb_event *e, int kind)
{
	static const char object[] = "objection by ";

	if (kind != DIPB_EVENT_RETURNED)
		return DIPB_VERDICT_ENDORSE;
	if (strncmp(subject_rest(e), object, sizeof(object) - 1) == 0)
		return DIPB_VERDICT_OBJECT;
	return DIPB_VERDICT_REQUEST_CHANGES;
}

/* The summary's column of an event that is not a review. */
static size_t
column_of(int kind)
{
	switch (kind) {
	case DIPB_EVENT_DRAFTED:
		return C_DRAFTED;
	case DIPB_EVENT_SUBMITTED:
		return C_SUBMITTED;
	case DIPB_EVENT_DECIDED:
		return C_DECIDED;
	case DIPB_EVENT_WITHDRAWN:
		return C_WITHDRAWN;
	default:
		return C_OTHER;
	}
}

/* What an event did, in words; its verdict when a review, else NULL. */
static const char *
what(struct dipb_rtext *t, const struct dipb_event *e, int kind)
{
	const char *verdict = NULL, *s = NULL;
	int board = e->record != NULL &&
	    strcmp(e->record, DIPB_BOARD_RECORD) == 0;

	if (e->event == NULL)
		s = shown(e->subject);
	else if (is_review(kind)) {
		verdict = dipb_verdict_name(verdict_of(e, kind));
		dipb_rtext_add(t, DIPB_RSPAN_TEXT, "review, ");
		dipb_rtext_add(t, DIPB_RSPAN_STRONG, verdict);
		if (kind == DIPB_EVENT_ENDORSED)
			dipb_rtext_add(t, DIPB_RSPAN_TEXT, ", quorum reached");
		return verdict;
	} else if (kind == DIPB_EVENT_DRAFTED || kind == DIPB_EVENT_EDITED)
		s = dipb_event_name((enum dipb_event_kind)kind);
	else if (kind == DIPB_EVENT_REVIEW_REQUESTED)
		s = "asked for review";
	else if (kind == DIPB_EVENT_WITHDRAWN)
		s = "withdrew it";
	else if (board && kind == DIPB_EVENT_CREATED)
		s = "created the board";
	else if (board && kind == DIPB_EVENT_CHANGED)
		s = "changed the board's configuration";
	else
		s = shown(subject_rest(e));
	dipb_rtext_add(t, DIPB_RSPAN_TEXT, s);
	return verdict;
}

/* One event: date, who, what, move; the comment as a quote; its data. */
static void
event(struct dipb_rbuild *bd, const struct dipb_event *e,
    struct dipb_rdata *list, const char *title, int rank)
{
	const struct dipb_member *m = dipb_board_member(bd->board,
	    e->author_email);
	const char *comment = e->comment;
	struct dipb_rtext *t = &dipb_rmodel_para(bd->r)->text;
	struct dipb_rdata *x, *a;
	const char *verdict;
	int kind = kind_of(e);
	int moved = e->status_from != NULL && e->status_to != NULL &&
	    strcmp(e->status_from, e->status_to) != 0 &&
	    strcmp(e->status_from, "none") != 0;

	dipb_rtext_add(t, DIPB_RSPAN_STRONG, e->date);
	dipb_rtext_add(t, DIPB_RSPAN_TEXT, " \xe2\x80\x94 ");
	dipb_rtext_add(t, DIPB_RSPAN_TEXT, e->author_name);
	if (m != NULL && m->nation != NULL) {
		dipb_rtext_add(t, DIPB_RSPAN_TEXT, " (");
		dipb_rtext_add(t, DIPB_RSPAN_TEXT, m->nation);
		dipb_rtext_add(t, DIPB_RSPAN_TEXT, ")");
	}
	dipb_rtext_add(t, DIPB_RSPAN_TEXT, ": ");
	verdict = what(t, e, kind);
	if (moved) {
		dipb_rtext_add(t, DIPB_RSPAN_TEXT, " (");
		dipb_rtext_add(t, DIPB_RSPAN_TEXT, e->status_from);
		dipb_rtext_add(t, DIPB_RSPAN_TEXT, " ");
		dipb_rtext_add(t, DIPB_RSPAN_ARROW, NULL);
		dipb_rtext_add(t, DIPB_RSPAN_TEXT, " ");
		dipb_rtext_add(t, DIPB_RSPAN_TEXT, e->status_to);
		dipb_rtext_add(t, DIPB_RSPAN_TEXT, ")");
	}
	/* The comment at the level it was written at (dipb-report(1)). */
	if (e->comment != NULL && rank != NO_RANK &&
	    !dipb_rbuild_keep_part(bd, rank, NULL)) {
		comment = NULL;
		dipb_rtext_add(t, DIPB_RSPAN_TEXT, " ");
		dipb_rtext_add(t, DIPB_RSPAN_EMPH, "(its comment, written "
		    "above the limit, is left out)");
	} else if (e->comment != NULL && rank >= 0) {
		dipb_rtext_add(t, DIPB_RSPAN_TEXT, " \xe2\x80\x94 ");
		dipb_rtext_add(t, DIPB_RSPAN_EMPH,
		    bd->board->classifications.v[rank]);
	}
	dipb_rmodel_field(bd->r, comment, 4, 1);

	x = dipb_rdata_object(list, NULL);
	dipb_rdata_string(x, "date", e->date);
	/* The day the window reads, not date after a sync (dipb-report(1)). */
	dipb_rdata_string(x, "landed", e->landed);
	dipb_rdata_string(x, "record", e->record);
	dipb_rdata_string(x, "title", title);
	dipb_rdata_string(x, "event", e->event);
	dipb_rdata_string(x, "verdict", verdict);
	dipb_rdata_string(x, "status_from", e->status_from);
	dipb_rdata_string(x, "status_to", e->status_to);
	a = dipb_rdata_object(x, "author");
	dipb_rdata_string(a, "name", e->author_name);
	dipb_rdata_string(a, "email", e->author_email);
	dipb_rdata_string(x, "subject", e->subject);
	dipb_rdata_string(x, "comment", comment);
	/* The level its comment was written at; null when unknown. */
	if (rank != NO_RANK && comment != NULL)
		dipb_rdata_string(x, "classification", rank >= 0 ?
		    bd->board->classifications.v[rank] : NULL);
	dipb_rdata_string(x, "commit", e->commit);
}

/* The higher of two ranks; -1 (unknown) when either is. */
static int
higher(int a, int b)
{
	return a < 0 || b < 0 ? -1 : a > b ? a : b;
}

/*
 * The level of each event's comment, v[0..n) being one record's events,
 * oldest first: the highest the record is known to have had since, that
 * is its level at the end of the window or of its reviews', raised by
 * every later declassified event to the level it lowered it from; and
 * at least the record's level at the comment's own commit (for a
 * declassified event, at its parent), whatever the order of the window
 * or the shape of the history (a branch merged later, a level lowered by
 * plain git).  Both are read from the record's file there (struct
 * dipb_event, level), never from a subject, which is any text
 * (dipb-report(1)).  An unknown level (-1) is left out under a maximum.
 */
static void
comment_ranks(const struct dipb_board *b, struct keyed *v, size_t n,
    const struct dipb_record *rec)
{
	struct dipb_review none;
	size_t i;
	int rank, at;

	memset(&none, 0, sizeof(none));
	rank = rec != NULL ? dipb_board_review_rank(b, rec, &none) : -1;
	for (i = n; i-- > 0; ) {
		at = dipb_board_classification_rank(b, v[i].e->level);
		if (v[i].kind == DIPB_EVENT_DECLASSIFIED)
			rank = higher(rank, at);
		v[i].rank = v[i].e->comment != NULL ? higher(rank, at) : rank;
	}
}

/* The higher of rank and cls's (unknown: INT_MAX), cls into *worst's. */
static int
worse(struct dipb_rbuild *bd, int rank, const char **worst, const char *cls)
{
	int r = cls != NULL ?
	    dipb_board_classification_rank(bd->board, cls) : -1;

	if (r < 0)
		r = INT_MAX;
	if (r > rank) {
		*worst = cls;
		return r;
	}
	return rank;
}

/*
 * The records a plain-git commit touched, or a change that says it is the
 * board's or a meeting's (any commit may say so): is the worst kept?
 * Each at the end of the window and, under a maximum, at the commit and
 * at its parent (struct dipb_event, levels: its subject may tell what
 * the record said then, or what it removed); unknown, left out.  The
 * records left out at the end of the window are counted, each once.
 */
static int
plain_kept(struct dipb_rbuild *bd, const struct dipb_event *e)
{
	const struct dipb_record *rec;
	const char *p, *cls = NULL;
	char id[DIPB_MAX_ID + 1];
	size_t i, dl = strlen(DIPB_RECORD_DIR);
	int worst = -1;

	for (i = 0; i < e->paths.n; i++) {
		p = e->paths.v[i];
		if (strncmp(p, DIPB_RECORD_DIR "/", dl + 1) != 0)
			continue;
		/* Not a record's place, in either layout: none is known. */
		if (dipb_record_path_parse(p, strlen(p), id, NULL) != 0)
			id[0] = '\0';
		rec = dipb_rbuild_find(bd, id);
		worst = worse(bd, worst, &cls, rec != NULL ?
		    rec->classification : NULL);
		/* A recommendation left out: counted once, by its id. */
		if (id[0] != '\0' && dipb_rbuild_above(bd, rec != NULL ?
		    rec->classification : NULL))
			dipb_rbuild_left_out(bd, id);
	}
	/* A commit that touched only dipb.yaml: unclassified board data. */
	if (worst < 0)
		return 1;
	if (worst == INT_MAX && bd->max_rank < 0 && cls == NULL)
		return 1;	/* deleted records: nothing known to mark */
	if (bd->max_rank >= 0 && e->levels_unknown)
		worst = worse(bd, worst, &cls, NULL);
	for (i = 0; bd->max_rank >= 0 && i < e->levels.n; i++)
		worst = worse(bd, worst, &cls, e->levels.v[i]);
	/* The commit is no recommendation: counted apart (sort_out). */
	if (dipb_rbuild_above(bd, cls))
		return 0;
	return dipb_rbuild_keep(bd, cls);
}

/*
 * The level of the comment of the board's or a meeting's change e, as
 * the levels read for it say (struct dipb_event, levels: the records it
 * changed, a meeting's agenda items): NO_RANK when none was read (the
 * board's own configuration, unclassified); a meeting's with none (no
 * agenda: no recommendation discussed), the lowest (dipb-report(1)).
 */
static int
board_rank(const struct dipb_board *b, const struct dipb_event *e)
{
	int rank = dipb_rbuild_levels_rank(b, &e->levels, e->levels_unknown);

	if (rank == NO_RANK && strcmp(e->record, DIPB_MEETING_RECORD) == 0)
		return 0;
	return rank;
}

/* The summary: changes counted by working group and kind. */
static void
summary(struct dipb_rbuild *bd, const struct keyed *v, size_t nv)
{
	const struct dipb_board *b = bd->board;
	unsigned (*cnt)[C__COUNT + 1], tot[C__COUNT];
	struct dipb_rtable *t;
	struct dipb_rdata *all, *c;
	size_t i, k, w, nrows = b->nwgs + 1;

	cnt = xcalloc(nrows, sizeof(*cnt));
	memset(tot, 0, sizeof(tot));
	for (i = 0; i < nv; i++) {
		int kind = v[i].kind;

		w = v[i].key.wg;
		cnt[w][C__COUNT]++;	/* changes */
		if (is_review(kind)) {
			cnt[w][C_REVIEWS]++;
			tot[C_REVIEWS]++;
			if (kind != DIPB_EVENT_REVIEWED) {
				k = kind == DIPB_EVENT_ENDORSED ?
				    C_ENDORSED : C_RETURNED;
				cnt[w][k]++;
				tot[k]++;
			}
		} else {
			cnt[w][column_of(kind)]++;
			tot[column_of(kind)]++;
		}
	}
	dipb_rtext_add(&dipb_rmodel_heading(bd->r, 2)->text, DIPB_RSPAN_TEXT,
	    "Summary");
	t = dipb_rmodel_table(bd->r, "lrrrrrrrrr", "Working group", "drafted",
	    "reviews", "endorsed", "returned", "submitted", "decided",
	    "withdrawn", "other", "changes");
	all = dipb_rdata_object(&bd->r->data, "summary");
	for (w = 0; w < nrows; w++) {
		if (w == b->nwgs && cnt[w][C__COUNT] == 0)
			break;
		c = dipb_rbuild_wg_data(bd, all, w, "summary_other");
		dipb_rtable_row(t, 0);
		dipb_rtable_text(t, w < b->nwgs ? b->wgs[w].name : "Other");
		for (k = 0; k < C__COUNT; k++) {
			dipb_rtable_num(t, cnt[w][k]);
			dipb_rdata_int(c, col_name[k], cnt[w][k]);
		}
		dipb_rtable_num(t, cnt[w][C__COUNT]);
		dipb_rdata_int(c, "changes", cnt[w][C__COUNT]);
	}
	dipb_rtable_row(t, 1);
	dipb_rtable_text(t, "Total");
	for (k = 0; k < C__COUNT; k++)
		dipb_rtable_num(t, tot[k]);
	dipb_rtable_num(t, nv);
	free(cnt);
}

/* The events by working group and record, oldest first. */
static void
changes(struct dipb_rbuild *bd, const struct keyed *v, size_t nv,
    const struct dipb_strlist *unread)
{
	const struct dipb_board *b = bd->board;
	const struct dipb_record *rec = NULL;
	struct dipb_rdata *list;
	struct dipb_rtext *t;
	const char *last = NULL;
	size_t i, w = SIZE_MAX;

	list = dipb_rdata_array(&bd->r->data, "events");
	for (i = 0; i < nv; i++) {
		const struct dipb_event *e = v[i].e;

		if (v[i].key.wg != w) {
			w = v[i].key.wg;
			dipb_rtext_add(&dipb_rmodel_heading(bd->r, 2)->text,
			    DIPB_RSPAN_TEXT, w < b->nwgs ? b->wgs[w].name :
			    "Other");
		}
		if (last == NULL || strcmp(last, e->record) != 0) {
			last = e->record;
			rec = dipb_rbuild_find(bd, last);
			t = &dipb_rmodel_heading(bd->r, 3)->text;
			dipb_rtext_add(t, DIPB_RSPAN_TEXT, last);
			dipb_rtext_add(t, DIPB_RSPAN_TEXT, " \xe2\x80\x94 ");
			dipb_rtext_add(t, DIPB_RSPAN_TEXT, rec != NULL ?
			    rec->title : unread != NULL &&
			    dipb_strlist_contains(unread, last) ?
			    "(its record file could not be read)" :
			    "(no longer on the branch)");
		}
		event(bd, e, list, rec != NULL ? rec->title : NULL, v[i].rank);
	}
	if (nv == 0)
		dipb_rtext_add(&dipb_rmodel_para(bd->r)->text, DIPB_RSPAN_TEXT,
		    "No recommendation changed in this period.");
}

/*
 * The paths of a plain git commit the document names, the first in their
 * order; how many more it says.  A commit that imported the board names
 * every record: 30,000 paths on one line help no reader.  The data (JSON)
 * has them all (dipb-report(1), minutes).
 */
#define PLAIN_PATHS	10

/* The commits that changed records or dipb.yaml with plain git. */
static void
plain_git(struct dipb_rbuild *bd, const struct dipb_event **plain,
    size_t np)
{
	struct dipb_rdata *pl, *x, *a, *c;
	struct dipb_rtext *t;
	size_t i, k, more;

	pl = dipb_rdata_array(&bd->r->data, "plain_git");
	if (np == 0)
		return;
	dipb_rtext_add(&dipb_rmodel_heading(bd->r, 2)->text, DIPB_RSPAN_TEXT,
	    "Changes made outside dipb");
	t = &dipb_rmodel_para(bd->r)->text;
	dipb_rtext_add(t, DIPB_RSPAN_TEXT, "These commits changed records or "
	    "the board file with plain git; ");
	dipb_rtext_add(t, DIPB_RSPAN_CODE, "dipb verify");
	dipb_rtext_add(t, DIPB_RSPAN_TEXT, " checks them.");
	for (i = 0; i < np; i++) {
		const struct dipb_event *e = plain[i];
		char commit[11];

		snprintf(commit, sizeof(commit), "%.10s", e->commit);
		t = &dipb_rmodel_para(bd->r)->text;
		dipb_rtext_add(t, DIPB_RSPAN_STRONG, e->date);
		dipb_rtext_add(t, DIPB_RSPAN_TEXT, " \xe2\x80\x94 ");
		dipb_rtext_add(t, DIPB_RSPAN_TEXT, e->author_name);
		dipb_rtext_add(t, DIPB_RSPAN_TEXT, ", commit ");
		dipb_rtext_add(t, DIPB_RSPAN_CODE, commit);
		dipb_rtext_add(t, DIPB_RSPAN_TEXT, ": ");
		dipb_rtext_add(t, DIPB_RSPAN_TEXT, shown(e->subject));
		dipb_rtext_add(t, DIPB_RSPAN_TEXT, " (");
		for (k = 0; k < e->paths.n && k < PLAIN_PATHS; k++) {
			if (k > 0)
				dipb_rtext_add(t, DIPB_RSPAN_TEXT, ", ");
			dipb_rtext_add(t, DIPB_RSPAN_TEXT, e->paths.v[k]);
		}
		if ((more = e->paths.n - k) > 0)
			dipb_rtext_addf(t, ", and %zu more file%s", more,
			    more == 1 ? "" : "s");
		dipb_rtext_add(t, DIPB_RSPAN_TEXT, ")");
		x = dipb_rdata_object(pl, NULL);
		dipb_rdata_string(x, "date", e->date);
		dipb_rdata_string(x, "landed", e->landed);
		a = dipb_rdata_object(x, "author");
		dipb_rdata_string(a, "name", e->author_name);
		dipb_rdata_string(a, "email", e->author_email);
		dipb_rdata_string(x, "subject", e->subject);
		dipb_rdata_string(x, "commit", e->commit);
		c = dipb_rdata_array(x, "paths");
		for (k = 0; k < e->paths.n; k++)
			dipb_rdata_string(c, NULL, e->paths.v[k]);
	}
}

/* The changes of a window, sorted out. */
struct window {
	struct keyed		 *v;		/* records': kept, in order */
	size_t			  nv;
	const struct dipb_event	**plain;	/* plain git's: kept */
	size_t			  np;
	const struct dipb_event	**board;	/* the board's */
	size_t			  nb;
};

/*
 * events[0..n) (newest first) sorted out into w, oldest first; records
 * above the limit left out, counted once each, whatever changed them; the
 * commits left out that changed records, plain git's and the board's or
 * meetings', counted apart, each kind on its own.
 */
static void
sort_out(struct window *w, struct dipb_rbuild *bd,
    const struct dipb_event *events, size_t n)
{
	const struct dipb_record *rec;
	const char *last;
	size_t i, j, k;
	int kept = 0;

	w->v = xcalloc(n + 1, sizeof(*w->v));
	w->plain = xcalloc(n + 1, sizeof(*w->plain));
	w->board = xcalloc(n + 1, sizeof(*w->board));
	w->nv = w->np = w->nb = 0;
	for (i = n; i-- > 0; ) {
		const struct dipb_event *ev = &events[i];

		if (ev->plain) {
			if (plain_kept(bd, ev))
				w->plain[w->np++] = ev;
			else
				bd->left_plain++;
		} else if (strcmp(ev->record, DIPB_BOARD_RECORD) == 0 ||
		    strcmp(ev->record, DIPB_MEETING_RECORD) == 0) {
			/* One that changed records: judged as plain git's. */
			if (plain_kept(bd, ev))
				w->board[w->nb++] = ev;
			else
				bd->left_board++;
		} else {
			dipb_rbuild_key(&w->v[w->nv].key, bd->board,
			    ev->record);
			w->v[w->nv].kind = kind_of(ev);
			w->v[w->nv].seq = w->nv;
			w->v[w->nv++].e = ev;
		}
	}
	qsort(w->v, w->nv, sizeof(*w->v), cmp_keyed);
	/* Classification, record by record. */
	for (i = 0, k = 0, last = NULL; i < w->nv; i++) {
		if (last == NULL || strcmp(last, w->v[i].e->record) != 0) {
			last = w->v[i].e->record;
			rec = dipb_rbuild_find(bd, last);
			kept = dipb_rbuild_keep_id(bd, last, rec != NULL ?
			    rec->classification : NULL);
			for (j = i + 1; j < w->nv &&
			    strcmp(last, w->v[j].e->record) == 0; j++)
				;
			comment_ranks(bd->board, &w->v[i], j - i, rec);
		}
		if (kept)
			w->v[k++] = w->v[i];
	}
	w->nv = k;
}

struct dipb_report *
dipb_report_minutes(const struct dipb_report_opts *o, const char *since,
    const char *until, const struct dipb_event *events, size_t nevents,
    const struct dipb_record *recs, size_t nrecs,
    const struct dipb_strlist *unread)
{
	const struct dipb_board *b = o->board;
	struct dipb_rbuild bd;
	struct window w;
	struct dipb_rdata *list;
	size_t i, all;
	char *s;

	s = xasprintf("Minutes of the %s", b->short_name != NULL ?
	    b->short_name : b->board);
	dipb_rbuild_begin(&bd, o, "minutes", s, 1);
	free(s);
	dipb_rbuild_records(&bd, recs, nrecs);
	sort_out(&w, &bd, events, nevents);
	all = w.nv + w.np + w.nb;
	s = xasprintf("%zu change%s from %s to %s", all, all == 1 ? "" : "s",
	    since != NULL ? since : "the start",
	    until != NULL ? until : "the branch tip");
	dipb_rbuild_intro(&bd, s);
	free(s);
	dipb_rdata_string(&bd.r->data, "since", since);
	dipb_rdata_string(&bd.r->data, "until", until);
	summary(&bd, w.v, w.nv);
	changes(&bd, w.v, w.nv, unread);
	if (w.nb > 0) {
		dipb_rtext_add(&dipb_rmodel_heading(bd.r, 2)->text,
		    DIPB_RSPAN_TEXT, "Board");
		list = dipb_rdata_array(&bd.r->data, "board_changes");
		for (i = 0; i < w.nb; i++)
			event(&bd, w.board[i], list, NULL,
			    board_rank(b, w.board[i]));
	}
	plain_git(&bd, w.plain, w.np);
	/* The commits left out, apart from left_out (dipb-report(1)). */
	dipb_rdata_int(&bd.r->data, "left_out_board_changes",
	    (long long)bd.left_board);
	dipb_rdata_int(&bd.r->data, "left_out_plain_git",
	    (long long)bd.left_plain);
	free(w.v);
	free(w.plain);
	free(w.board);
	return dipb_rbuild_finish(&bd);
}

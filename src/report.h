/*
 * report.h - reports on the board: dipb report status|package|minutes|
 * actions|agenda, dipb report minutes --meeting and dipb show --format
 * markdown|html (dipb-report(1)).
 *
 * A report is built once into a model of its content and then rendered
 * in any format, as cmark keeps its node tree apart from its renderers.
 * The code lives in src/report/:
 *
 *   model.h, model.c	the model: header, blocks of plain text, fields
 *			(the Markdown of records), tables of typed cells,
 *			the chart, and the data for programs;
 *   build*.c		one builder per report (status, package, minutes,
 *			actions, record; agenda and a meeting's minutes in
 *			build_meeting.c) and what they share (build.h): they
 *			read their records or events once, fill the model and
 *			write no markup;
 *   render*.c		one renderer per format (render.h): Markdown, JSON,
 *			HTML, man and LaTeX, the last three through cmark's
 *			own renderers; they decide nothing of the content;
 *   sanitize.h, .c	the security boundary: every piece of Markdown is
 *			parsed and cleaned there before it is rendered (raw
 *			HTML, link and image URLs, depth, heading levels), in
 *			every format, and rendered with CMARK_OPT_SAFE;
 *   escape.h, .c	the escapers of plain text for each format.
 *
 * Every report is marked with the highest classification of the records
 * it holds, at its top and bottom; with a maximum classification, records
 * above it (and those whose classification the board does not know) are
 * left out and counted.  Builders and renderers are pure: no I/O.
 */
#ifndef DIPB_REPORT_H
#define DIPB_REPORT_H

#include "board.h"
#include "history.h"
#include "record.h"
#include "util.h"
#include "report/escape.h"	/* dipb_html_escape, dipb_md_escape */
#include "report/sanitize.h"	/* dipb_url_safe */

enum dipb_report_format {
	DIPB_REPORT_MARKDOWN,
	DIPB_REPORT_HTML,
	DIPB_REPORT_MAN,
	DIPB_REPORT_LATEX,
	DIPB_REPORT_JSON
};

/* 0 and *out set when s names a format ("markdown", "html", ...). */
int	 dipb_report_format_parse(const char *s, enum dipb_report_format *out);

/* The parts of a report (src/report/model.h): a format renders one. */
#define DIPB_REPORT_DOC		0x1	/* the document: all but JSON */
#define DIPB_REPORT_DATA	0x2	/* the data: JSON */

/* The part of a report that format f renders. */
unsigned dipb_report_parts(enum dipb_report_format f);

/*
 * What every report is built with.  The report copies the strings and
 * the records it is built from; it borrows only the board, which must
 * outlive it.
 */
struct dipb_report_opts {
	const struct dipb_board	*board;
	const char		*title;		/* NULL: the kind's own */
	const char		*today;		/* YYYY-MM-DD: the report's date */
	/* A classification of the board, or NULL for no limit. */
	const char		*max_classification;
	const char		*version;	/* dipb's, for HTML's generator */
	/*
	 * The parts made (DIPB_REPORT_DOC, DIPB_REPORT_DATA), 0 for both:
	 * a report rendered in one format need not hold the other's, each
	 * the size of the report.
	 */
	unsigned		 parts;
};

/* A report (src/report/model.h); freed with dipb_report_free(). */
struct dipb_report;

/*
 * status: counts of recs by working group and status, then one line per
 * recommendation; as_of (NULL: the branch tip) is said in the opening
 * paragraph.
 */
struct dipb_report *dipb_report_status(const struct dipb_report_opts *,
	    const struct dipb_record *recs, size_t n, const char *as_of);

/* A recommendation as it was submitted. */
struct dipb_package_item {
	const struct dipb_record *rec;		/* its text at submission */
	const char		 *blob;		/* git blob id of that file */
	const char		 *tag;		/* the submission tag, or NULL */
	const char		 *commit;	/* its commit, or NULL */
};

/* package: the full text of items, submitted under reference. */
struct dipb_report *dipb_report_package(const struct dipb_report_opts *,
	    const char *reference, const struct dipb_package_item *items,
	    size_t n);

/*
 * minutes: the events (newest first, as dipb_history_window gives them)
 * of the window named by since and until (either NULL), grouped by
 * working group.  recs are the records as they stood at the end of the
 * window, for their titles and classifications; unread (NULL: none) the
 * ids of those whose file there did not load, left out of recs.
 */
struct dipb_report *dipb_report_minutes(const struct dipb_report_opts *,
	    const char *since, const char *until,
	    const struct dipb_event *events, size_t nevents,
	    const struct dipb_record *recs, size_t nrecs,
	    const struct dipb_strlist *unread);

/* actions: open actions of the decided recs, by owner, overdue first
 * (due before opts->today). */
struct dipb_report *dipb_report_actions(const struct dipb_report_opts *,
	    const struct dipb_record *recs, size_t n);

/*
 * agenda: what is ready for the next meeting (dipb-report(1)): the
 * submitted recs awaiting decision, the endorsed awaiting submission, the
 * open actions due before opts->today.
 */
struct dipb_report *dipb_report_agenda(const struct dipb_report_opts *,
	    const struct dipb_record *recs, size_t n);

/*
 * The minutes of meeting m (meeting.h): attendance, agenda, the decision
 * on each item taken from m's date until next (the next meeting's date;
 * NULL: none), the actions arising.  recs are the records at the tip;
 * people is the board as of the change that recorded m, by whose names
 * and roles the attendance is given (o->board when no change of dipb's
 * recorded it).  Its notes are ranked at the highest of notes_levels
 * (dipb_history_agenda_levels: its agenda items' levels at the changes
 * that wrote it and at the tip; none: the lowest level); when
 * notes_unknown is set they are left out under a maximum, and shown
 * without one, leaving the marking to the rest.
 */
struct dipb_meeting;
/*
 * Whether r's decision was taken at the meeting of date, as its minutes
 * take it: decided on that day or after it, and before next (the next
 * meeting's date; NULL: none).
 */
int	 dipb_report_decided_at(const struct dipb_record *r, const char *date,
	    const char *next);
struct dipb_report *dipb_report_meeting(const struct dipb_report_opts *,
	    const struct dipb_meeting *m, const char *next,
	    const struct dipb_record *recs, size_t n,
	    const struct dipb_board *people,
	    const struct dipb_strlist *notes_levels, int notes_unknown);

/* One record in full, as dipb show --format markdown|html gives it. */
struct dipb_report *dipb_report_record(const struct dipb_report_opts *,
	    const struct dipb_record *rec);

/*
 * Appends the report in format f to out: a standalone HTML page, a man
 * page (tbl tables), a LaTeX document, Markdown, or one JSON document.
 */
void	 dipb_report_render(struct dipb_buf *out, const struct dipb_report *,
	    enum dipb_report_format f);

/* How many records were left out as classified above the maximum. */
size_t	 dipb_report_left_out(const struct dipb_report *);
/* The report's marking, e.g. "NATO RESTRICTED"; borrowed. */
const char *dipb_report_marking(const struct dipb_report *);
/* Frees the report and all it holds; NULL is fine. */
void	 dipb_report_free(struct dipb_report *);

#endif /* DIPB_REPORT_H */

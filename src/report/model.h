/*
 * model.h - a report as content, apart from any format: the builders
 * (build_*.c) fill it from records and history, the renderers
 * (render_*.c) write it as Markdown, JSON, HTML, man or LaTeX
 * (dipb-report(1)), as cmark keeps its node tree apart from its renderers.
 *
 * A report holds:
 *   - its header: kind, title, board, date, marking, maximum
 *     classification and how many records that left out;
 *   - a document: a list of blocks.  Headings, paragraphs and lists hold
 *     runs of plain text (spans); a field holds the Markdown of a record
 *     (summary, rationale, comments), which only the sanitiser
 *     (sanitize.h) may open; tables hold typed cells; the chart holds
 *     counts; a page break holds nothing;
 *   - its data: the same facts for programs (JSON), a tree of objects,
 *     arrays, strings, integers, booleans and whole records.
 *
 * Text in the model is plain: a renderer escapes it for its format, so a
 * builder never writes markup.  The model owns every string and record it
 * holds (all are copied in) and is freed as a whole with
 * dipb_report_free(); only the board is borrowed, and must outlive it.
 *
 * The document's blocks, arrays and strings live in an arena (util.h),
 * freed at once: a report of many records is some million small pieces,
 * on which malloc's header and rounding cost as much again as the
 * pieces.  Each part that grows keeps the arena it grows in (mem).
 */
#ifndef DIPB_REPORT_MODEL_H
#define DIPB_REPORT_MODEL_H

#include <stddef.h>

#include "../board.h"
#include "../record.h"
#include "../util.h"

/* --- Inline text ---------------------------------------------------------- */

enum dipb_rspan_kind {
	DIPB_RSPAN_TEXT,	/* plain text */
	DIPB_RSPAN_STRONG,	/* plain text, strong */
	DIPB_RSPAN_EMPH,	/* plain text, emphasised */
	DIPB_RSPAN_CODE,	/* as code, without backticks: a command, a commit */
	DIPB_RSPAN_ARROW	/* the arrow of a move between statuses */
};

struct dipb_rspan {
	enum dipb_rspan_kind	 kind;
	char			*text;		/* NULL for DIPB_RSPAN_ARROW */
};

struct dipb_rtext {
	struct dipb_rspan	*v;
	size_t			 n;
	size_t			 cap;
	struct dipb_arena	*mem;
};

/* Appends a span of kind k holding a copy of s (NULL: ""). */
void	 dipb_rtext_add(struct dipb_rtext *, enum dipb_rspan_kind k,
	    const char *s);
/* Appends plain text made with printf's format. */
void	 dipb_rtext_addf(struct dipb_rtext *, const char *fmt, ...)
	    DIPB_PRINTF(2, 3);

/* --- Tables ---------------------------------------------------------------- */

enum dipb_rcol {
	DIPB_RCOL_TEXT,		/* short text */
	DIPB_RCOL_NUM,		/* numbers: right-aligned */
	DIPB_RCOL_WIDE		/* long text: wraps where the format can */
};

struct dipb_rcell {
	int			 is_num;	/* num, else text */
	union {
		char		*text;
		unsigned long long num;
	};
};

struct dipb_rrow {
	int			 hl;		/* highlighted (a total, overdue) */
	struct dipb_rcell	*cell;		/* ncols */
	size_t			 n;		/* cells filled */
};

struct dipb_rtable {
	size_t			 ncols;
	enum dipb_rcol		*col;		/* ncols */
	char			**head;		/* ncols */
	struct dipb_rrow	*row;
	size_t			 nrows;
	size_t			 cap;
	int			 off;		/* rows not kept */
	struct dipb_arena	*mem;
};

/* --- The chart ------------------------------------------------------------- */

/* The outcomes of a decision (enum dipb_outcome), counted. */
#define DIPB_ROUTCOMES	4

/*
 * One bar: a working group's records counted by status, the decided ones
 * also by their decision's outcome (those without one are in neither).
 */
struct dipb_rbar {
	char			*label;
	unsigned		 count[DIPB_STATUS__COUNT];
	unsigned		 outcome[DIPB_ROUTCOMES];
};

struct dipb_rchart {
	struct dipb_rbar	*v;
	size_t			 n;
	size_t			 cap;
	struct dipb_arena	*mem;
};

/* --- Blocks ---------------------------------------------------------------- */

enum dipb_rblock_kind {
	DIPB_RB_HEADING,	/* level, text */
	DIPB_RB_PARA,		/* text */
	DIPB_RB_LIST,		/* items; numbered from 1 when ordered */
	DIPB_RB_FIELD,		/* md under a heading of level; quote */
	DIPB_RB_TABLE,		/* table */
	DIPB_RB_CHART,		/* chart (drawn in HTML only) */
	DIPB_RB_BREAK		/* a page break (HTML print, LaTeX) */
};

/* Each kind's members in a union: a report may hold 100,000 blocks. */
struct dipb_rblock {
	enum dipb_rblock_kind	 kind;
	int			 level;
	int			 quote;
	int			 ordered;
	union {
		struct dipb_rtext	 text;	/* HEADING, PARA */
		struct {			/* LIST */
			struct dipb_rtext	*item;
			size_t			 nitems;
			size_t			 capitems;
			struct dipb_arena	*mem;
		};
		char			*md;	/* FIELD */
		struct dipb_rtable	 table;	/* TABLE */
		struct dipb_rchart	 chart;	/* CHART */
	};
};

/* --- Data ------------------------------------------------------------------ */

enum dipb_rdata_kind {
	DIPB_RD_NULL,
	DIPB_RD_STRING,
	DIPB_RD_INT,
	DIPB_RD_BOOL,
	DIPB_RD_OBJECT,		/* members in the order added */
	DIPB_RD_ARRAY,
	DIPB_RD_RECORD		/* a whole record, as dipb_record_json() */
};

/* A report's data may hold a million nodes: the value is one of the union. */
struct dipb_rdata {
	enum dipb_rdata_kind	 kind;
	/* Both in the node's own allocation. */
	char			*key;		/* a member's name, else NULL */
	union {
		char		*str;		/* DIPB_RD_STRING */
		long long	 num;		/* DIPB_RD_INT, DIPB_RD_BOOL */
		struct dipb_record *rec;	/* DIPB_RD_RECORD */
		struct dipb_rdata **v;		/* DIPB_RD_OBJECT, DIPB_RD_ARRAY */
	};
	size_t			 n;		/* of v */
	size_t			 cap;
};

/*
 * Each adds a member named key to the object parent, or (key NULL) an
 * element to the array parent, and returns it; it belongs to parent.
 */
struct dipb_rdata *dipb_rdata_object(struct dipb_rdata *parent,
	    const char *key);
struct dipb_rdata *dipb_rdata_array(struct dipb_rdata *parent,
	    const char *key);
/* A copy of s; NULL makes a null. */
struct dipb_rdata *dipb_rdata_string(struct dipb_rdata *parent,
	    const char *key, const char *s);
struct dipb_rdata *dipb_rdata_int(struct dipb_rdata *parent,
	    const char *key, long long n);
struct dipb_rdata *dipb_rdata_bool(struct dipb_rdata *parent,
	    const char *key, int b);
/* A copy of rec. */
struct dipb_rdata *dipb_rdata_record(struct dipb_rdata *parent,
	    const char *key, const struct dipb_record *rec);

/* --- The report ------------------------------------------------------------ */

struct dipb_report {
	const struct dipb_board	*board;		/* borrowed */
	char			*kind;		/* "status", ..., "record" */
	char			*title;
	char			*board_name;	/* NULL when the board has none */
	char			*today;		/* YYYY-MM-DD */
	char			*version;	/* dipb's */
	char			*max_classification;	/* NULL: no limit */
	char			*marking;	/* the highest kept */
	size_t			 left_out;
	int			 no_doc;	/* only the last block kept */
	struct dipb_rblock	**v;		/* the document, in doc */
	size_t			 n;
	size_t			 cap;
	struct dipb_rdata	 data;		/* an object */
	struct dipb_arena	*doc;		/* cleared at each block: no_doc */
};

/*
 * A new report with copies of the strings (max NULL: no limit), holding
 * the parts given (report.h: DIPB_REPORT_DOC, DIPB_REPORT_DATA; 0: both).
 * The builders need not know which: without its document a report keeps
 * only the last block added, and no row of a table; without its data its
 * data is a null, and adding to a null adds nothing and returns it.
 */
struct dipb_report *dipb_rmodel_new(const struct dipb_board *board,
	    const char *kind, const char *title, const char *today,
	    const char *version, const char *max, unsigned parts);

/*
 * Each appends a block to the document and returns it (valid until the
 * next block is added, without the document; else until the report is
 * freed).
 */
struct dipb_rblock *dipb_rmodel_heading(struct dipb_report *, int level);
struct dipb_rblock *dipb_rmodel_para(struct dipb_report *);
struct dipb_rblock *dipb_rmodel_list(struct dipb_report *, int ordered);
/* The list's next item, to be filled. */
struct dipb_rtext *dipb_rmodel_item(struct dipb_rblock *list);
/* A copy of md; nothing when md is NULL or empty. */
void	 dipb_rmodel_field(struct dipb_report *, const char *md, int level,
	    int quote);
void	 dipb_rmodel_break(struct dipb_report *);
struct dipb_rchart *dipb_rmodel_chart(struct dipb_report *);
/* A bar of the chart: label, then counts[DIPB_STATUS__COUNT]. */
void	 dipb_rchart_bar(struct dipb_rchart *, const char *label,
	    const unsigned *counts);
/* The last bar's decided records by outcome: outcomes[DIPB_ROUTCOMES]. */
void	 dipb_rchart_outcomes(struct dipb_rchart *, const unsigned *outcomes);

/*
 * A table of columns given by spec ('l' text, 'r' numbers, 'w' long
 * text), then one header per column.
 */
struct dipb_rtable *dipb_rmodel_table(struct dipb_report *,
	    const char *spec, ...);
/* Starts a row (hl: highlighted), filled by the next ncols cells. */
void	 dipb_rtable_row(struct dipb_rtable *, int hl);
/* A text cell (NULL: ""), a number cell, of the row being filled. */
void	 dipb_rtable_text(struct dipb_rtable *, const char *s);
void	 dipb_rtable_num(struct dipb_rtable *, unsigned long long n);

#endif /* DIPB_REPORT_MODEL_H */

/*
 * render.h - the renderers of a report model (model.h), one per format
 * of dipb-report(1).  A renderer writes what the model holds and decides
 * nothing of its content.  Text goes through the escapers (escape.h);
 * Markdown goes through the sanitiser (sanitize.h) before cmark renders
 * it.  Each appends to out.
 */
#ifndef DIPB_REPORT_RENDER_H
#define DIPB_REPORT_RENDER_H

#include "model.h"

struct cmark_node;

/* Markdown (CommonMark with pipe tables): render_md.c. */
void	 dipb_render_md(struct dipb_buf *out, const struct dipb_report *);
/* A heading, paragraph or list block as Markdown, ending in a blank line. */
void	 dipb_render_md_block(struct dipb_buf *out, const struct dipb_rblock *);
/* The marking as a strong line of Markdown. */
void	 dipb_render_md_marking(struct dipb_buf *out, const struct dipb_report *);

/* One JSON document, pretty-printed, and a newline: render_json.c. */
void	 dipb_render_json(struct dipb_buf *out, const struct dipb_report *);

/* A standalone HTML page with its style and the chart: render_html.c. */
void	 dipb_render_html(struct dipb_buf *out, const struct dipb_report *);
/* A man page (tbl tables), a LaTeX document: render_cmark.c. */
void	 dipb_render_man(struct dipb_buf *out, const struct dipb_report *);
void	 dipb_render_latex(struct dipb_buf *out, const struct dipb_report *);

/*
 * What a format rendered by cmark writes itself: the model's blocks are
 * walked, runs of headings, paragraphs and lists become one Markdown text
 * (as Markdown renders them), sanitised with images and rendered by
 * cmark; fields likewise; tables, the chart and page breaks by the
 * format's own functions (NULL: left out).
 */
struct dipb_render_ops {
	int	  images;
	/* The text of doc; field: a field of the report (level above 0:
	 * a record's, a comment, meeting notes), not the report's own
	 * Markdown (its headings are not the report's).  Caller frees. */
	char	*(*cmark)(struct cmark_node *doc, int field);
	void	 (*table)(struct dipb_buf *, const struct dipb_rtable *);
	void	 (*chart)(struct dipb_buf *, const struct dipb_rchart *);
	void	 (*page_break)(struct dipb_buf *);
};

void	 dipb_render_blocks(struct dipb_buf *out, const struct dipb_report *,
	    const struct dipb_render_ops *);
/*
 * md sanitised (sanitize.h) and rendered by ops->cmark: a field of the
 * report under a heading of level (above 0), or the report's own
 * Markdown (level 0).
 */
void	 dipb_render_cmark_md(struct dipb_buf *out, const char *md,
	    int level, int quote, const struct dipb_render_ops *);

/* A cell's text; a number is written into num. */
const char *dipb_render_cell(const struct dipb_rcell *, char num[24]);

#endif /* DIPB_REPORT_RENDER_H */

/*
 * render_cmark.c - a report model as a man page (tbl tables) and as a
 * LaTeX document (longtable) (render.h).  Both are written by cmark's own
 * renderers from the Markdown the model renders to, after the sanitiser;
 * only the page's frame and the tables are written here.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <cmark.h>

#include "../util.h"
#include "escape.h"
#include "render.h"

/* --- man ------------------------------------------------------------------- */

static void
table_man(struct dipb_buf *out, const struct dipb_rtable *t)
{
	char num[24];
	size_t i, j;

	dipb_buf_puts(out, ".PP\n.TS\nallbox tab(\t);\n");
	for (j = 0; j < t->ncols; j++)
		dipb_buf_puts(out, t->col[j] == DIPB_RCOL_NUM ? "rb " : "lb ");
	dipb_buf_puts(out, "\n");
	for (j = 0; j < t->ncols; j++)
		dipb_buf_puts(out, t->col[j] == DIPB_RCOL_NUM ? "r " :
		    t->col[j] == DIPB_RCOL_WIDE ? "lx " : "l ");
	dipb_buf_puts(out, ".\n");
	for (j = 0; j < t->ncols; j++) {
		dipb_buf_puts(out, j > 0 ? "\tT{\n" : "T{\n");
		dipb_roff_escape(out, t->head[j]);
		dipb_buf_puts(out, "\nT}");
	}
	dipb_buf_putc(out, '\n');
	for (i = 0; i < t->nrows; i++) {
		for (j = 0; j < t->ncols; j++) {
			dipb_buf_puts(out, j > 0 ? "\tT{\n" : "T{\n");
			if (t->row[i].hl)
				dipb_buf_puts(out, "\\fB");
			dipb_roff_escape(out, dipb_render_cell(
			    &t->row[i].cell[j], num));
			if (t->row[i].hl)
				dipb_buf_puts(out, "\\fR");
			dipb_buf_puts(out, "\nT}");
		}
		dipb_buf_putc(out, '\n');
	}
	dipb_buf_puts(out, ".TE\n");
}

static char *
man(struct cmark_node *doc)
{
	return cmark_render_man(doc, CMARK_OPT_SAFE, 0);
}

void
dipb_render_man(struct dipb_buf *out, const struct dipb_report *r)
{
	static const struct dipb_render_ops ops = { 0, man, table_man, NULL,
	    NULL };
	struct dipb_buf mark = DIPB_BUF_INIT;
	const char *k;

	/* The page's name: DIPB-STATUS, ..., DIPB-RECORD. */
	dipb_buf_puts(out, "'\\\" t\n.TH \"DIPB-");
	for (k = r->kind; *k != '\0'; k++)
		dipb_buf_putc(out, (char)toupper((unsigned char)*k));
	dipb_buf_printf(out, "\" \"7\" \"%s\" \"dipb\" \"dipb report\"\n",
	    dipb_date_valid(r->today) ? r->today : "");
	dipb_render_md_marking(&mark, r);
	dipb_render_cmark_md(out, mark.ptr, 0, 0, &ops);
	dipb_render_blocks(out, r, &ops);
	dipb_render_cmark_md(out, mark.ptr, 0, 0, &ops);
	dipb_buf_release(&mark);
}

/* --- LaTeX ----------------------------------------------------------------- */

static void
latex_row(struct dipb_buf *out, size_t ncols, const char *const *cell,
    int bold)
{
	size_t j;

	for (j = 0; j < ncols; j++) {
		if (j > 0)
			dipb_buf_puts(out, " & ");
		if (bold)
			dipb_buf_puts(out, "\\textbf{");
		dipb_latex_escape(out, cell[j]);
		if (bold)
			dipb_buf_puts(out, "}");
	}
	dipb_buf_puts(out, " \\\\ \\hline\n");
}

static void
table_latex(struct dipb_buf *out, const struct dipb_rtable *t)
{
	const char **cell = xcalloc(t->ncols + 1, sizeof(*cell));
	char (*num)[24] = xcalloc(t->ncols + 1, sizeof(*num));
	size_t i, j;

	dipb_buf_puts(out, "\\begin{longtable}{|");
	for (j = 0; j < t->ncols; j++)
		dipb_buf_puts(out, t->col[j] == DIPB_RCOL_NUM ? "r|" :
		    t->col[j] == DIPB_RCOL_WIDE ? "p{0.4\\linewidth}|" : "l|");
	dipb_buf_puts(out, "}\n\\hline\n");
	latex_row(out, t->ncols, (const char *const *)t->head, 1);
	dipb_buf_puts(out, "\\endhead\n");
	for (i = 0; i < t->nrows; i++) {
		for (j = 0; j < t->ncols; j++)
			cell[j] = dipb_render_cell(&t->row[i].cell[j], num[j]);
		latex_row(out, t->ncols, cell, t->row[i].hl);
	}
	dipb_buf_puts(out, "\\end{longtable}\n\n");
	free(num);
	free(cell);
}

static char *
latex(struct cmark_node *doc)
{
	return cmark_render_latex(doc, CMARK_OPT_SAFE, 0);
}

static void
clear_page(struct dipb_buf *out)
{
	dipb_buf_puts(out, "\\clearpage\n");
}

void
dipb_render_latex(struct dipb_buf *out, const struct dipb_report *r)
{
	static const struct dipb_render_ops ops = { 0, latex, table_latex,
	    NULL, clear_page };
	struct dipb_buf mark = DIPB_BUF_INIT;

	dipb_buf_puts(out, "\\documentclass[a4paper,11pt]{article}\n"
	    "\\usepackage{iftex}\n"
	    "\\ifPDFTeX\\usepackage[utf8]{inputenc}"
	    "\\usepackage[T1]{fontenc}\\else\\usepackage{fontspec}\\fi\n"
	    "\\usepackage[margin=2.2cm]{geometry}\n"
	    "\\usepackage{longtable,array,graphicx,fancyhdr}\n"
	    "\\usepackage[hidelinks]{hyperref}\n"
	    "\\pagestyle{fancy}\\fancyhf{}\n"
	    "\\renewcommand{\\headrulewidth}{0pt}\n\\chead{\\textbf{");
	dipb_latex_escape(out, r->marking);
	dipb_buf_puts(out, "}}\n\\cfoot{\\textbf{");
	dipb_latex_escape(out, r->marking);
	dipb_buf_puts(out, "}\\\\\\thepage}\n\\title{");
	dipb_latex_escape(out, r->title);
	dipb_buf_puts(out, "}\n\\date{");
	dipb_latex_escape(out, r->today);
	dipb_buf_puts(out, "}\n\\begin{document}\n");
	dipb_render_md_marking(&mark, r);
	dipb_render_cmark_md(out, mark.ptr, 0, 0, &ops);
	dipb_render_blocks(out, r, &ops);
	dipb_render_cmark_md(out, mark.ptr, 0, 0, &ops);
	dipb_buf_puts(out, "\\end{document}\n");
	dipb_buf_release(&mark);
}

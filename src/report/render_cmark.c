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

#include "../date.h"
#include "../text.h"
#include "../util.h"
#include "escape.h"
#include "sanitize.h"
#include "render.h"

/* An inline node of type with the text s, len bytes, put before before. */
static void
new_inline(cmark_node *before, cmark_node_type type, const char *s,
    size_t len)
{
	cmark_node *n = cmark_node_new(type);
	char *t = xstrndup(s, len);

	if (type == CMARK_NODE_TEXT)
		cmark_node_set_literal(n, t);
	else {
		cmark_node_set_on_enter(n, t);
		cmark_node_set_on_exit(n, "");
	}
	cmark_node_insert_before(before, n);
	free(t);
}

/* --- line breaks ----------------------------------------------------------- */

/*
 * The hard line breaks of doc into *out (freed by the caller), all found
 * before any is changed: the iterator must not see them change.
 */
static size_t
line_breaks(cmark_node ***out, cmark_node *doc)
{
	cmark_iter *it = cmark_iter_new(doc);
	cmark_node *n;
	size_t nv = 0, cap = 0;

	*out = NULL;
	while (cmark_iter_next(it) != CMARK_EVENT_DONE) {
		n = cmark_iter_get_node(it);
		if (cmark_node_get_type(n) == CMARK_NODE_LINEBREAK) {
			xgrow((void **)out, &cap, nv + 1, sizeof(**out));
			(*out)[nv++] = n;
		}
	}
	cmark_iter_free(it);
	return nv;
}

/*
 * The inline of n's block that comes right before n (the last inline
 * inside an emphasis or link before it), or NULL if n comes first.
 */
static cmark_node *
inline_before(cmark_node *n)
{
	cmark_node *p;
	cmark_node_type t;

	while ((p = cmark_node_previous(n)) == NULL) {
		n = cmark_node_parent(n);
		t = n != NULL ? cmark_node_get_type(n) : CMARK_NODE_NONE;
		if (t < CMARK_NODE_FIRST_INLINE || t > CMARK_NODE_LAST_INLINE)
			return NULL;
	}
	while (cmark_node_last_child(p) != NULL)
		p = cmark_node_last_child(p);
	return p;
}

/*
 * 1 if the inline n puts out text of a line: a text or a code span with
 * something other than blanks.  An image or link with no text is "{}" in
 * LaTeX, an emptied text nothing, and blanks first in a paragraph are
 * skipped by LaTeX and break the line in man: none is a line a break can
 * end.
 */
static int
holds_text(cmark_node *n)
{
	cmark_node_type t = cmark_node_get_type(n);
	const char *s = cmark_node_get_literal(n);

	return (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE) && s != NULL &&
	    s[strspn(s, " \t")] != '\0';
}

/*
 * 1 if the hard line break n ends a line: some inline of its block that
 * holds text (holds_text) comes before it, with no other line break
 * between them.  A break that opens its block (a paragraph, a heading
 * made bold), or follows only an image or link with no text, has no line
 * to end: LaTeX stops at its "\\" ("There's no line here to end"),
 * mandoc skips its .br after .SS or .sp; a break after a break ends an
 * empty line.  An inline with children is never one inline_before finds.
 */
static int
break_ends_line(cmark_node *n)
{
	cmark_node *p = n;

	while ((p = inline_before(p)) != NULL &&
	    cmark_node_get_type(p) != CMARK_NODE_LINEBREAK)
		if (holds_text(p))
			return 1;
	return 0;
}

/*
 * The blanks that begin the text after the hard break br left out, as
 * HTML leaves them out: in man a text line that begins with a blank
 * breaks the line itself and mandoc skips the .br before it, and text
 * of blanks only between two breaks is a line the second would end.
 */
static void
no_blank_after_break(cmark_node *br)
{
	cmark_node *n;
	char *s;

	for (n = cmark_node_next(br); n != NULL &&
	    cmark_node_get_type(n) == CMARK_NODE_TEXT; n = cmark_node_next(n)) {
		s = xstrdup(cmark_node_get_literal(n));
		cmark_node_set_literal(n, s + strspn(s, " \t"));
		free(s);
		if (*cmark_node_get_literal(n) != '\0')
			break;
	}
}

/*
 * Each hard line break of doc that ends no line (break_ends_line) left
 * out, once the blanks after each are (no_blank_after_break); all are
 * found before any is, so that of two in a row the first stays.
 */
static void
drop_empty_breaks(cmark_node *doc)
{
	cmark_node **v;
	size_t i, nv = line_breaks(&v, doc);

	for (i = 0; i < nv; i++)
		no_blank_after_break(v[i]);
	for (i = 0; i < nv; i++)
		if (break_ends_line(v[i]))
			v[i] = NULL;
	for (i = 0; i < nv; i++)
		if (v[i] != NULL)
			cmark_node_free(v[i]);
	free(v);
}

/* --- code blocks ----------------------------------------------------------- */

/*
 * cmark's man and LaTeX writers put a code block's text out as it is: a
 * line of it starting with '.' is a roff request (".so /etc/passwd"),
 * and a line "\end{verbatim}" ends LaTeX's verbatim, after which the
 * record's text is LaTeX ("\input{...}", "\write18").  So each code
 * block is replaced by a custom block, which both write unchanged, made
 * here: open, then each line escaped on its own, tabs expanded to the
 * next multiple of 8 columns, then close (dipb-report(1)).
 */
struct code_style {
	const char	*open;
	void		(*escape)(struct dipb_buf *, const char *);
	const char	*close;
};

/*
 * man: no-fill mode, each line a text line (\&, dipb_roff_escape), in
 * the constant-width font by the name both groff and mandoc know (CW).
 */
static const struct code_style man_code = {
	".IP\n.nf\n\\f(CW\n", dipb_roff_escape, "\\f[]\n.fi"
};

/*
 * LaTeX: alltt, where spaces and line ends are kept as in verbatim but
 * '\\', '{' and '}' are LaTeX's, so that those are escaped and
 * "\\end{alltt}" in it is no end.
 */
static const struct code_style latex_code = {
	"\\begin{alltt}\n", dipb_latex_alltt_escape, "\\end{alltt}\n"
};

static void
code_blocks(cmark_node *doc, const struct code_style *style)
{
	cmark_iter *it = cmark_iter_new(doc);
	struct dipb_buf b = DIPB_BUF_INIT, line = DIPB_BUF_INIT;
	cmark_node **v = NULL, *c;
	cmark_event_type ev;
	const char *p;
	size_t i, nv = 0, col, from;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE)
		if (ev == CMARK_EVENT_ENTER && cmark_node_get_type(
		    cmark_iter_get_node(it)) == CMARK_NODE_CODE_BLOCK) {
			v = xrealloc(v, (nv + 1) * sizeof(*v));
			v[nv++] = cmark_iter_get_node(it);
		}
	cmark_iter_free(it);
	for (i = 0; i < nv; i++) {
		dipb_buf_puts(&b, style->open);
		for (p = cmark_node_get_literal(v[i]), col = 0, from = 0;
		    p != NULL && *p != '\0'; p++) {
			if (*p == '\n') {
				style->escape(&b, dipb_buf_cstr(&line));
				dipb_buf_putc(&b, '\n');
				dipb_buf_clear(&line);
				col = 0;
				from = 0;
			} else if (*p == '\t') {
				/* Columns as a terminal's (dipb-list(1)), the
				 * text since the last tab counted once. */
				col += dipb_text_width(dipb_buf_cstr(&line) +
				    from);
				do
					dipb_buf_putc(&line, ' ');
				while (++col % 8 != 0);
				from = line.len;
			} else
				dipb_buf_putc(&line, *p);
		}
		if (line.len > 0) {
			style->escape(&b, line.ptr);
			dipb_buf_putc(&b, '\n');
		}
		dipb_buf_clear(&line);
		dipb_buf_puts(&b, style->close);
		c = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK);
		cmark_node_set_on_enter(c, b.ptr);
		cmark_node_set_on_exit(c, "");
		cmark_node_replace(v[i], c);
		cmark_node_free(v[i]);
		dipb_buf_clear(&b);
	}
	free(v);
	dipb_buf_release(&line);
	dipb_buf_release(&b);
}

/* --- man ------------------------------------------------------------------- */

/*
 * A tbl table, its text blocks (T{ T}) not adjusted (.na ... .ad): a
 * narrow column of words adjusted to both margins is one groff warns it
 * cannot adjust.
 */
static void
table_man(struct dipb_buf *out, const struct dipb_rtable *t)
{
	char num[24];
	size_t i, j;

	dipb_buf_puts(out, ".PP\n.na\n.TS\nallbox tab(\t);\n");
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
	dipb_buf_puts(out, ".TE\n.ad\n");
}

/* 1 if what cmark's man writer put out before n ended a line. */
static int
at_line_start(cmark_node *n)
{
	cmark_node *p = inline_before(n);

	return p != NULL && cmark_node_get_type(p) == CMARK_NODE_SOFTBREAK;
}

/*
 * Two inlines cmark's man writer gets wrong: a hard line break, written
 * as ".PD 0" at the end of the line's text instead of on a line of its
 * own (shown as text), becomes a .br request on its own line (after a
 * soft break, which ends the line, without a blank line before it); a
 * code span, in font C, which mandoc does not know, is in CW (as code
 * blocks).  Breaks that end no line are gone, and the blanks after
 * each (drop_empty_breaks).
 */
static void
man_inlines(cmark_node *doc)
{
	cmark_iter *it = cmark_iter_new(doc);
	cmark_node **v = NULL, *n;
	cmark_node_type t;
	const char *br;
	size_t i, nv = 0, cap = 0;

	while (cmark_iter_next(it) != CMARK_EVENT_DONE) {
		n = cmark_iter_get_node(it);
		t = cmark_node_get_type(n);
		if (t == CMARK_NODE_LINEBREAK || t == CMARK_NODE_CODE) {
			xgrow((void **)&v, &cap, nv + 1, sizeof(*v));
			v[nv++] = n;
		}
	}
	cmark_iter_free(it);
	for (i = 0; i < nv; i++) {
		if (cmark_node_get_type(v[i]) == CMARK_NODE_LINEBREAK) {
			br = at_line_start(v[i]) ? ".br\n" : "\n.br\n";
			new_inline(v[i], CMARK_NODE_CUSTOM_INLINE, br,
			    strlen(br));
		} else {
			new_inline(v[i], CMARK_NODE_CUSTOM_INLINE, "\\f(CW", 5);
			new_inline(v[i], CMARK_NODE_TEXT,
			    cmark_node_get_literal(v[i]),
			    strlen(cmark_node_get_literal(v[i])));
			new_inline(v[i], CMARK_NODE_CUSTOM_INLINE, "\\f[]", 4);
		}
		cmark_node_free(v[i]);
	}
	free(v);
}

/*
 * A field of the report is cmark's: its headings would be .SH and .SS,
 * the macros of the report's own sections and records, and would end the
 * field's .RS quotation (dipb-report(1)); they are bold paragraphs.
 */
static char *
man(struct cmark_node *doc, int field)
{
	if (field)
		dipb_md_bold_headings(doc, 1);
	drop_empty_breaks(doc);
	code_blocks(doc, &man_code);
	man_inlines(doc);
	return cmark_render_man(doc, CMARK_OPT_SAFE, 0);
}

/*
 * A paragraph macro right after a heading's text is one mandoc warns of
 * and skips; cmark's writer puts .PP before every paragraph, and a table
 * begins with one: after a heading, it is left out.  A line of the page
 * that begins with '.' is a macro of dipb's or cmark's (text lines are
 * escaped with \&).
 */
static void
no_pp_after_heading(struct dipb_buf *out, size_t from)
{
	char *r = out->ptr + from, *w = r, *end = out->ptr + out->len;
	const char *nl;
	size_t n;
	int heading = 0;

	while (r < end) {
		nl = memchr(r, '\n', (size_t)(end - r));
		n = nl != NULL ? (size_t)(nl - r) + 1 : (size_t)(end - r);
		if (*r == '.') {
			if (heading && n == 4 && memcmp(r, ".PP\n", 4) == 0) {
				r += n;
				heading = 0;
				continue;
			}
			heading = n == 4 && (memcmp(r, ".SH\n", 4) == 0 ||
			    memcmp(r, ".SS\n", 4) == 0);
		}
		memmove(w, r, n);
		w += n;
		r += n;
	}
	out->len = (size_t)(w - out->ptr);
	*w = '\0';
}

void
dipb_render_man(struct dipb_buf *out, const struct dipb_report *r)
{
	static const struct dipb_render_ops ops = { 0, man, table_man, NULL,
	    NULL };
	struct dipb_buf mark = DIPB_BUF_INIT;
	size_t from = out->len;
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
	no_pp_after_heading(out, from);
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

/*
 * TeX's input ligatures turn "``" into an opening quote, ",," into a low
 * one, "!`" and "?`" into inverted marks (in the typewriter font too),
 * which cmark's LaTeX writer leaves as they are: a record's text would
 * print as other characters.  In each text node a '`' becomes
 * \textasciigrave{} and ",," ",{},", as dipb_latex_escape writes them
 * (custom inlines, which cmark writes unchanged, between text nodes it
 * escapes as ever); a code span holding a '`' or ",," is written whole
 * by dipb_latex_escape inside \texttt.
 */
static void
no_ligatures(cmark_node *doc)
{
	cmark_iter *it = cmark_iter_new(doc);
	struct dipb_buf b = DIPB_BUF_INIT;
	cmark_node **v = NULL, *n;
	cmark_event_type ev;
	const char *lit, *p, *run, *end, *cut;
	size_t i, nv = 0;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		n = cmark_iter_get_node(it);
		if (ev == CMARK_EVENT_ENTER &&
		    (cmark_node_get_type(n) == CMARK_NODE_TEXT ||
		    cmark_node_get_type(n) == CMARK_NODE_CODE) &&
		    (lit = cmark_node_get_literal(n)) != NULL &&
		    (strchr(lit, '`') != NULL || strstr(lit, ",,") != NULL)) {
			v = xrealloc(v, (nv + 1) * sizeof(*v));
			v[nv++] = n;
		}
	}
	cmark_iter_free(it);
	for (i = 0; i < nv; i++) {
		lit = cmark_node_get_literal(v[i]);
		if (cmark_node_get_type(v[i]) == CMARK_NODE_CODE) {
			dipb_buf_puts(&b, "\\texttt{");
			dipb_latex_escape(&b, lit);
			dipb_buf_puts(&b, "}");
			new_inline(v[i], CMARK_NODE_CUSTOM_INLINE, b.ptr, b.len);
			dipb_buf_clear(&b);
		} else {
			for (run = p = lit; *p != '\0'; p++) {
				if (*p == '`')
					cut = "\\textasciigrave{}";
				else if (p[0] == ',' && p[1] == ',')
					cut = "{}";	/* after the first */
				else
					continue;
				end = *p == '`' ? p : p + 1;
				if (end > run)
					new_inline(v[i], CMARK_NODE_TEXT, run,
					    (size_t)(end - run));
				new_inline(v[i], CMARK_NODE_CUSTOM_INLINE, cut,
				    strlen(cut));
				run = p + 1;
			}
			if (p > run)
				new_inline(v[i], CMARK_NODE_TEXT, run,
				    (size_t)(p - run));
		}
		cmark_node_free(v[i]);
	}
	free(v);
	dipb_buf_release(&b);
}

/*
 * cmark's LaTeX writer puts a hard line break as "\\", which stops
 * LaTeX when no line comes before it ("There's no line here to end").
 * Each that is left ends a line (drop_empty_breaks); each is written
 * "\leavevmode\\" all the same, so that one whose line prints nothing
 * ends an empty line rather than stop the report.
 */
static void
latex_breaks(cmark_node *doc)
{
	static const char br[] = "\\leavevmode\\\\\n";
	cmark_node **v;
	size_t i, nv = line_breaks(&v, doc);

	for (i = 0; i < nv; i++) {
		new_inline(v[i], CMARK_NODE_CUSTOM_INLINE, br, strlen(br));
		cmark_node_free(v[i]);
	}
	free(v);
}

/*
 * cmark's LaTeX writer has no command for a heading of level 6 and writes
 * its text plain; a field's headings (lowered: sanitize.h) would be
 * \paragraph or \subparagraph, which LaTeX refuses to open a quotation
 * (a review comment's: "Something's wrong--perhaps a missing \item"), or
 * would pass for the report's own: each is bold, as in man.
 */
static char *
latex(struct cmark_node *doc, int field)
{
	dipb_md_bold_headings(doc, field ? 1 : 6);
	drop_empty_breaks(doc);
	latex_breaks(doc);
	code_blocks(doc, &latex_code);
	no_ligatures(doc);
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
	    "\\usepackage{longtable,array,graphicx,fancyhdr,alltt}\n"
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

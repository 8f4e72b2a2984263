/*
 * render_html.c - a report model as a standalone HTML page (render.h):
 * the marking in a header and a footer, a strict Content-Security-Policy,
 * an inline style for screen and print, tables, and the status chart as
 * inline SVG.  Markdown is rendered by cmark, after the sanitiser.
 */
#include <stdlib.h>
#include <string.h>

#include <cmark.h>

#include "escape.h"
#include "render.h"

static const char *const status_colour[DIPB_STATUS__COUNT] = {
	"#000000", "#9aa0a6", "#e8b500", "#d9534f", "#4caf7d", "#2f7bbf",
	"#1f3a5f", "#c7c7c7"
};

/* The decided part of a bar, split by outcome (enum dipb_outcome). */
static const char *const outcome_colour[DIPB_ROUTCOMES] = {
	"#1f3a5f", "#2a9d8f", "#8e7cc3", "#5b2333"
};

/*
 * One segment of a bar at x, cnt records of what (a status, or "decided:
 * <outcome>"), coloured colour; returns its width.
 */
static int
segment(struct dipb_buf *out, const struct dipb_rbar *bar, int x, int y,
    int h, unsigned cnt, unsigned max, int bar_w, const char *colour,
    const char *what)
{
	int w = (int)((double)cnt * bar_w / max + 0.5);

	dipb_buf_printf(out, "<rect x=\"%d\" y=\"%d\" width=\"%d\" "
	    "height=\"%d\" fill=\"%s\"><title>", x, y, w, h, colour);
	dipb_html_escape(out, bar->label);
	dipb_buf_printf(out, ": %u %s</title></rect>\n", cnt, what);
	return w;
}

/* One entry of the chart's legend, the k-th. */
static void
legend(struct dipb_buf *out, size_t k, int y, const char *colour,
    const char *what)
{
	int lx = 10 + (int)(k % 4) * 165;

	y += (int)(k / 4) * 20;
	dipb_buf_printf(out, "<rect x=\"%d\" y=\"%d\" width=\"12\" "
	    "height=\"12\" fill=\"%s\"/><text x=\"%d\" y=\"%d\">%s"
	    "</text>\n", lx, y, colour, lx + 18, y + 11, what);
}


static void
table_html(struct dipb_buf *out, const struct dipb_rtable *t)
{
	char num[24];
	size_t i, j;

	dipb_buf_puts(out, "<table>\n<thead>\n<tr>");
	for (j = 0; j < t->ncols; j++) {
		dipb_buf_puts(out, t->col[j] == DIPB_RCOL_NUM ?
		    "<th class=\"num\">" : "<th>");
		dipb_html_escape(out, t->head[j]);
		dipb_buf_puts(out, "</th>");
	}
	dipb_buf_puts(out, "</tr>\n</thead>\n<tbody>\n");
	for (i = 0; i < t->nrows; i++) {
		dipb_buf_puts(out, t->row[i].hl ? "<tr class=\"hl\">" : "<tr>");
		for (j = 0; j < t->ncols; j++) {
			dipb_buf_puts(out, t->col[j] == DIPB_RCOL_NUM ?
			    "<td class=\"num\">" : "<td>");
			dipb_html_escape(out, dipb_render_cell(&t->row[i].cell[j],
			    num));
			dipb_buf_puts(out, "</td>");
		}
		dipb_buf_puts(out, "</tr>\n");
	}
	dipb_buf_puts(out, "</tbody>\n</table>\n");
}

/*
 * At most max characters of s (UTF-8), with an ellipsis when cut, so that
 * a long name stays inside the chart; the bar's tooltip has it whole.
 */
static void
put_label(struct dipb_buf *out, const char *s, size_t max)
{
	struct dipb_buf b = DIPB_BUF_INIT;
	size_t i, chars = 0;

	for (i = 0; s[i] != '\0'; i++) {
		if (((unsigned char)s[i] & 0xc0) != 0x80 && ++chars > max)
			break;
		dipb_buf_putc(&b, s[i]);
	}
	if (s[i] != '\0')
		dipb_buf_puts(&b, "\xe2\x80\xa6");
	dipb_html_escape(out, dipb_buf_cstr(&b));
	dipb_buf_release(&b);
}

/*
 * Working groups as stacked horizontal bars by status, the decided part
 * split by the decisions' outcomes (agreed, noted, deferred, declined).
 */
static void
chart_svg(struct dipb_buf *out, const struct dipb_rchart *c)
{
	static const enum dipb_status order[] = { DIPB_STATUS_DRAFT,
	    DIPB_STATUS_IN_REVIEW, DIPB_STATUS_RETURNED, DIPB_STATUS_ENDORSED,
	    DIPB_STATUS_SUBMITTED, DIPB_STATUS_DECIDED, DIPB_STATUS_WITHDRAWN };
	const size_t ns = sizeof(order) / sizeof(order[0]);
	const int label_w = 270, bar_w = 360, row_h = 30, top = 10;
	unsigned max = 0, sum;
	size_t i, k, o, nl;
	int y, x, height;
	char what[40];

	for (i = 0; i < c->n; i++) {
		for (sum = 0, k = 0; k < ns; k++)
			sum += c->v[i].count[order[k]];
		if (sum > max)
			max = sum;
	}
	if (max == 0)
		max = 1;
	height = top + (int)c->n * row_h + 80;
	dipb_buf_printf(out, "<figure class=\"chart\">\n"
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" "
	    "aria-labelledby=\"chart-title\" width=\"100%%\" "
	    "viewBox=\"0 0 %d %d\" preserveAspectRatio=\"xMinYMin meet\">\n"
	    "<title id=\"chart-title\">Recommendations by working group "
	    "and status</title>\n", label_w + bar_w + 50, height);
	for (i = 0; i < c->n; i++) {
		y = top + (int)i * row_h;
		dipb_buf_printf(out, "<g class=\"bar\">\n<text x=\"%d\" "
		    "y=\"%d\" text-anchor=\"end\">", label_w - 8, y + 19);
		put_label(out, c->v[i].label, 40);
		dipb_buf_puts(out, "</text>\n");
		x = label_w;
		for (sum = 0, k = 0; k < ns; k++) {
			unsigned cnt = c->v[i].count[order[k]];

			sum += cnt;
			if (order[k] == DIPB_STATUS_DECIDED) {
				for (o = 0; o < DIPB_ROUTCOMES; o++) {
					if (c->v[i].outcome[o] == 0)
						continue;
					cnt -= c->v[i].outcome[o];
					snprintf(what, sizeof(what),
					    "decided: %s", dipb_outcome_name(
					    (enum dipb_outcome)o));
					x += segment(out, &c->v[i], x, y + 4,
					    row_h - 8, c->v[i].outcome[o], max,
					    bar_w, outcome_colour[o], what);
				}
			}
			if (cnt == 0)
				continue;
			x += segment(out, &c->v[i], x, y + 4, row_h - 8, cnt,
			    max, bar_w, status_colour[order[k]],
			    dipb_status_name(order[k]));
		}
		dipb_buf_printf(out, "<text x=\"%d\" y=\"%d\">%u</text>\n"
		    "</g>\n", x + 6, y + 19, sum);
	}
	/* The legend, in three rows: decided as its outcomes. */
	y = top + (int)c->n * row_h + 14;
	for (nl = 0, k = 0; k < ns; k++) {
		if (order[k] != DIPB_STATUS_DECIDED) {
			legend(out, nl++, y, status_colour[order[k]],
			    dipb_status_name(order[k]));
			continue;
		}
		for (o = 0; o < DIPB_ROUTCOMES; o++) {
			snprintf(what, sizeof(what), "decided: %s",
			    dipb_outcome_name((enum dipb_outcome)o));
			legend(out, nl++, y, outcome_colour[o], what);
		}
	}
	dipb_buf_puts(out, "</svg>\n</figure>\n");
}

static const char css[] =
    ":root{color-scheme:light}\n"
    "body{margin:0;color:#1b1b1b;background:#fff;"
    "font:16px/1.5 system-ui,-apple-system,\"Segoe UI\",Roboto,"
    "\"Helvetica Neue\",Arial,sans-serif}\n"
    "main{max-width:62rem;margin:0 auto;padding:1rem 1.5rem 2rem}\n"
    ".marking{margin:0;padding:.35rem 1rem;text-align:center;"
    "font-weight:700;letter-spacing:.06em;color:#fff;background:#1f3a5f}\n"
    "h1{font-size:1.7rem;line-height:1.25;margin:1.2rem 0 .4rem;"
    "padding-bottom:.3rem;border-bottom:3px solid #1f3a5f}\n"
    "h2{font-size:1.3rem;margin:1.8rem 0 .5rem;border-bottom:1px solid "
    "#ccd}\n"
    "h3{font-size:1.1rem;margin:1.4rem 0 .4rem}\n"
    "h4,h5,h6{font-size:1rem;margin:1rem 0 .3rem}\n"
    "table{border-collapse:collapse;margin:.6rem 0 1.2rem;"
    "font-size:.92rem}\n"
    "th,td{border:1px solid #c9ccd1;padding:.25rem .55rem;"
    "text-align:left;vertical-align:top}\n"
    "th{background:#eef1f5}\n"
    ".num{text-align:right;font-variant-numeric:tabular-nums}\n"
    "tr.hl td{font-weight:700}\n"
    "tbody tr:nth-child(even){background:#f8f9fb}\n"
    "blockquote{margin:.3rem 0 1rem 1rem;padding:.1rem .9rem;"
    "border-left:4px solid #c9ccd1;color:#333}\n"
    "code,pre{font-family:ui-monospace,\"SFMono-Regular\",Menlo,"
    "Consolas,monospace;font-size:.9em}\n"
    "pre{background:#f4f5f7;padding:.6rem;overflow-x:auto;"
    "white-space:pre-wrap}\n"
    "figure.chart{margin:.5rem 0 1.5rem;max-width:44rem}\n"
    "figure.chart text{font:13px system-ui,Arial,sans-serif;"
    "fill:#1b1b1b}\n"
    "a{color:#1f5fa8}\n"
    "@media print{\n"
    "@page{margin:2.2cm 1.8cm}\n"
    "body{font-size:10.5pt}\n"
    "main{max-width:none;padding:0}\n"
    ".marking{position:fixed;left:0;right:0;color:#000;"
    "background:none;padding:0}\n"
    ".marking.top{top:-1.2cm}\n"
    ".marking.bottom{bottom:-1.2cm}\n"
    ".page-break{break-before:page}\n"
    "h1,h2,h3,h4{break-after:avoid}\n"
    "tr,blockquote,figure{break-inside:avoid}\n"
    "a{color:inherit;text-decoration:none}\n"
    "tbody tr:nth-child(even){background:none}\n"
    "}\n";

static char *
html(struct cmark_node *doc, int field)
{
	(void)field;
	return cmark_render_html(doc, CMARK_OPT_SAFE);
}

static void
page_break(struct dipb_buf *out)
{
	dipb_buf_puts(out, "<div class=\"page-break\"></div>\n");
}

void
dipb_render_html(struct dipb_buf *out, const struct dipb_report *r)
{
	static const struct dipb_render_ops ops = { 1, html, table_html,
	    chart_svg, page_break };
	const char *marking = r->marking;

	dipb_buf_puts(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\">\n"
	    "<meta http-equiv=\"Content-Security-Policy\" "
	    "content=\"default-src 'none'; style-src 'unsafe-inline'; "
	    "img-src data:; base-uri 'none'; form-action 'none'\">\n"
	    "<meta name=\"referrer\" content=\"no-referrer\">\n"
	    "<meta name=\"generator\" content=\"dipb ");
	dipb_html_escape(out, r->version);
	dipb_buf_puts(out, "\">\n<title>");
	dipb_html_escape(out, r->title);
	dipb_buf_puts(out, " (");
	dipb_html_escape(out, marking);
	dipb_buf_puts(out, ")</title>\n<style>\n");
	dipb_buf_puts(out, css);
	dipb_buf_puts(out, "</style>\n</head>\n<body>\n"
	    "<header class=\"marking top\" role=\"note\" "
	    "aria-label=\"classification\">");
	dipb_html_escape(out, marking);
	dipb_buf_puts(out, "</header>\n<main>\n");
	dipb_render_blocks(out, r, &ops);
	dipb_buf_puts(out, "</main>\n<footer class=\"marking bottom\" "
	    "role=\"note\" aria-label=\"classification\">");
	dipb_html_escape(out, marking);
	dipb_buf_puts(out, "</footer>\n</body>\n</html>\n");
}


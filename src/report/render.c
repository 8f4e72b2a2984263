/*
 * render.c - dipb_report_render and the parts the renderers share: the
 * walk of the blocks for the formats that cmark renders (render.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmark.h>

#include "../report.h"
#include "../text.h"
#include "render.h"
#include "sanitize.h"

const char *
dipb_render_cell(const struct dipb_rcell *c, char num[24])
{
	if (!c->is_num)
		return c->text != NULL ? c->text : "";
	snprintf(num, 24, "%llu", c->num);
	return num;
}

void
dipb_render_cmark_md(struct dipb_buf *out, const char *md, int level,
    int quote, const struct dipb_render_ops *ops)
{
	/* Cleaned before cmark, whose writers would keep a control
	 * character as an entity ("&#27;") that a Markdown viewer turns
	 * back into ESC: text.h. */
	char *clean = dipb_text_clean(md != NULL ? md : "", md != NULL ?
	    strlen(md) : 0);
	cmark_node *doc = dipb_md_sanitize(clean, level, quote, ops->images);
	char *s = ops->cmark(doc, level > 0);

	dipb_buf_puts(out, s);
	free(s);
	free(clean);
	cmark_node_free(doc);
}

static int
is_text(const struct dipb_rblock *b)
{
	return b->kind == DIPB_RB_HEADING || b->kind == DIPB_RB_PARA ||
	    b->kind == DIPB_RB_LIST;
}

void
dipb_render_blocks(struct dipb_buf *out, const struct dipb_report *r,
    const struct dipb_render_ops *ops)
{
	struct dipb_buf md = DIPB_BUF_INIT;
	const struct dipb_rblock *b;
	size_t i;

	for (i = 0; i < r->n; i++) {
		b = r->v[i];
		if (is_text(b)) {
			dipb_render_md_block(&md, b);
			if (i + 1 < r->n && is_text(r->v[i + 1]))
				continue;
			dipb_render_cmark_md(out, md.ptr, 0, 0, ops);
			dipb_buf_clear(&md);
			continue;
		}
		switch (b->kind) {
		case DIPB_RB_FIELD:
			dipb_render_cmark_md(out, b->md, b->level, b->quote,
			    ops);
			break;
		case DIPB_RB_TABLE:
			if (ops->table != NULL)
				ops->table(out, &b->table);
			break;
		case DIPB_RB_CHART:
			if (ops->chart != NULL)
				ops->chart(out, &b->chart);
			break;
		case DIPB_RB_BREAK:
			if (ops->page_break != NULL)
				ops->page_break(out);
			break;
		default:
			break;
		}
	}
	dipb_buf_release(&md);
}

/*
 * What a report writes holds no control character but '\n' and '\t':
 * the text members wrote reaches a terminal (or a file shown on one)
 * with its escape sequences shown, not obeyed, by the one cleaner
 * (text.h), whatever each format's escaper let through.  JSON keeps
 * the value: DEL and C1 controls escaped, C0 ones by jansson.  HTML
 * holds no noncharacter either, which an HTML5 parser takes for an
 * error, whether cmark wrote the text or dipb_html_escape.
 */
static char *
neutral(const char *s, size_t len, enum dipb_report_format f)
{
	return f == DIPB_REPORT_JSON ? dipb_text_json(s, len) :
	    f == DIPB_REPORT_HTML ? dipb_text_clean_html(s, len) :
	    dipb_text_clean(s, len);
}

/*
 * Whether the text from from would be changed, seen a piece at a time:
 * most reports hold no control character, and a copy of the whole
 * report, the size of the output, would be made for nothing.  A piece
 * ends after a newline, which no character of UTF-8 spans.
 */
static int
changes(const struct dipb_buf *out, size_t from, enum dipb_report_format f)
{
	const char *nl;
	size_t at, end;
	char *c;
	int ch = 0;

	for (at = from; !ch && at < out->len; at = end) {
		end = out->len - at > 65536 ? at + 65536 : out->len;
		if (end < out->len && (nl = memchr(out->ptr + end, '\n',
		    out->len - end)) != NULL)
			end = (size_t)(nl - out->ptr) + 1;
		else if (end < out->len)
			end = out->len;
		c = neutral(out->ptr + at, end - at, f);
		ch = strlen(c) != end - at || memcmp(c, out->ptr + at,
		    end - at) != 0;
		free(c);
	}
	return ch;
}

static void
neutralise(struct dipb_buf *out, size_t from, enum dipb_report_format f)
{
	char *c;

	if (out->len <= from || !changes(out, from, f))
		return;
	c = neutral(out->ptr + from, out->len - from, f);
	out->len = from;
	dipb_buf_puts(out, c);
	free(c);
}

void
dipb_report_render(struct dipb_buf *out, const struct dipb_report *r,
    enum dipb_report_format f)
{
	size_t from = out->len;

	switch (f) {
	case DIPB_REPORT_MARKDOWN:
		dipb_render_md(out, r);
		break;
	case DIPB_REPORT_JSON:
		dipb_render_json(out, r);
		break;
	case DIPB_REPORT_HTML:
		dipb_render_html(out, r);
		break;
	case DIPB_REPORT_MAN:
		dipb_render_man(out, r);
		break;
	case DIPB_REPORT_LATEX:
		dipb_render_latex(out, r);
		break;
	}
	neutralise(out, from, f);
}

unsigned
dipb_report_parts(enum dipb_report_format f)
{
	return f == DIPB_REPORT_JSON ? DIPB_REPORT_DATA : DIPB_REPORT_DOC;
}

int
dipb_report_format_parse(const char *s, enum dipb_report_format *out)
{
	static const struct {
		const char			*name;
		enum dipb_report_format		 f;
	} names[] = {
		{ "markdown", DIPB_REPORT_MARKDOWN },
		{ "html", DIPB_REPORT_HTML },
		{ "man", DIPB_REPORT_MAN },
		{ "latex", DIPB_REPORT_LATEX },
		{ "json", DIPB_REPORT_JSON },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(s, names[i].name) == 0) {
			*out = names[i].f;
			return 0;
		}
	return -1;
}

/*
 * render_md.c - a report model as Markdown: CommonMark with GitHub's
 * pipe tables, the marking at the top and the bottom (render.h).  Fields
 * are written back by cmark's CommonMark writer, sanitised first.
 */
#include <stdlib.h>

#include <cmark.h>

#include "escape.h"
#include "render.h"

/*
 * The spans of a block's text.  With lead (a paragraph, a list item),
 * text that begins the block is escaped as such: an action "1. Publish
 * the list" would otherwise begin a list nested in its item.  A heading's
 * text is inline whatever it begins with.
 */
static void
md_text(struct dipb_buf *out, const struct dipb_rtext *t, int lead)
{
	size_t i, start = out->len;

	for (i = 0; i < t->n; i++)
		switch (t->v[i].kind) {
		case DIPB_RSPAN_TEXT:
			if (lead && out->len == start)
				dipb_md_escape_lead(out, t->v[i].text);
			else
				dipb_md_escape(out, t->v[i].text);
			break;
		case DIPB_RSPAN_STRONG:
			dipb_buf_puts(out, "**");
			dipb_md_escape(out, t->v[i].text);
			dipb_buf_puts(out, "**");
			break;
		case DIPB_RSPAN_EMPH:
			dipb_buf_puts(out, "*");
			dipb_md_escape(out, t->v[i].text);
			dipb_buf_puts(out, "*");
			break;
		case DIPB_RSPAN_CODE:
			/* A command or a commit id: no backtick in it. */
			dipb_buf_puts(out, "`");
			dipb_buf_puts(out, t->v[i].text);
			dipb_buf_puts(out, "`");
			break;
		case DIPB_RSPAN_ARROW:
			dipb_buf_puts(out, "->");
			break;
		}
}

void
dipb_render_md_block(struct dipb_buf *out, const struct dipb_rblock *b)
{
	size_t i;

	switch (b->kind) {
	case DIPB_RB_HEADING:
		dipb_buf_printf(out, "%.*s ", b->level, "######");
		md_text(out, &b->text, 0);
		dipb_buf_puts(out, "\n\n");
		break;
	case DIPB_RB_PARA:
		md_text(out, &b->text, 1);
		dipb_buf_puts(out, "\n\n");
		break;
	case DIPB_RB_LIST:
		for (i = 0; i < b->nitems; i++) {
			if (b->ordered)
				dipb_buf_printf(out, "%zu. ", i + 1);
			else
				dipb_buf_puts(out, "- ");
			md_text(out, &b->item[i], 1);
			dipb_buf_puts(out, "\n");
		}
		dipb_buf_puts(out, "\n");
		break;
	default:
		break;
	}
}

void
dipb_render_md_marking(struct dipb_buf *out, const struct dipb_report *r)
{
	dipb_buf_puts(out, "**");
	dipb_md_escape(out, r->marking);
	dipb_buf_puts(out, "**\n");
}

static void
md_table(struct dipb_buf *out, const struct dipb_rtable *t)
{
	char num[24];
	const char *s;
	size_t i, j;
	int strong;

	dipb_buf_puts(out, "|");
	for (j = 0; j < t->ncols; j++) {
		dipb_buf_puts(out, " ");
		dipb_md_escape(out, t->head[j]);
		dipb_buf_puts(out, " |");
	}
	dipb_buf_puts(out, "\n|");
	for (j = 0; j < t->ncols; j++)
		dipb_buf_puts(out, t->col[j] == DIPB_RCOL_NUM ? " ---: |" :
		    " --- |");
	dipb_buf_puts(out, "\n");
	for (i = 0; i < t->nrows; i++) {
		dipb_buf_puts(out, "|");
		for (j = 0; j < t->ncols; j++) {
			s = dipb_render_cell(&t->row[i].cell[j], num);
			/* A highlighted row: its first cell strong. */
			strong = t->row[i].hl && j == 0 && s[0] != '\0';
			dipb_buf_puts(out, strong ? " **" : " ");
			dipb_md_escape(out, s);
			dipb_buf_puts(out, strong ? "** |" : " |");
		}
		dipb_buf_puts(out, "\n");
	}
	dipb_buf_puts(out, "\n");
}

static char *
commonmark(struct cmark_node *doc, int field)
{
	(void)field;
	return cmark_render_commonmark(doc, CMARK_OPT_SAFE, 0);
}

void
dipb_render_md(struct dipb_buf *out, const struct dipb_report *r)
{
	static const struct dipb_render_ops ops = { 0, commonmark, NULL,
	    NULL, NULL };
	const struct dipb_rblock *b;
	size_t i;

	dipb_render_md_marking(out, r);
	dipb_buf_puts(out, "\n");
	for (i = 0; i < r->n; i++) {
		b = r->v[i];
		switch (b->kind) {
		case DIPB_RB_FIELD:
			dipb_render_cmark_md(out, b->md, b->level, b->quote,
			    &ops);
			dipb_buf_puts(out, "\n");
			break;
		case DIPB_RB_TABLE:
			md_table(out, &b->table);
			break;
		case DIPB_RB_CHART:
		case DIPB_RB_BREAK:
			break;
		default:
			dipb_render_md_block(out, b);
			break;
		}
	}
	dipb_render_md_marking(out, r);
}

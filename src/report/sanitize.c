/*
 * sanitize.c - parsing and cleaning the Markdown of records (sanitize.h).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <cmark.h>

#include "../record.h"
#include "../util.h"
#include "sanitize.h"

/*
 * Whether a link may keep url.  The WHATWG URL parser drops tabs and
 * newlines anywhere and blanks and controls at either end, so they are
 * dropped before the scheme is read.  No scheme (a relative URL or a
 * fragment) is fine; so are http, https and mailto; an image may also be
 * a data: PNG, GIF, JPEG or WebP.
 */
int
dipb_url_safe(const char *url, int image)
{
	static const char *const raster[] = { "png", "gif", "jpeg", "webp" };
	char scheme[32], type[16];
	size_t n = 0, i, k;
	const char *p = url;

	while (*p != '\0' && (unsigned char)*p <= 0x20)
		p++;
	for (; *p != '\0' && n < sizeof(scheme) - 1; p++) {
		if (*p == '\t' || *p == '\n' || *p == '\r')
			continue;
		if (*p == ':' || *p == '/' || *p == '?' || *p == '#')
			break;
		scheme[n++] = (char)tolower((unsigned char)*p);
	}
	scheme[n] = '\0';
	if (*p != ':')
		return n < sizeof(scheme) - 1;	/* no scheme: relative */
	for (i = 0; i < n; i++)
		if (!(isalnum((unsigned char)scheme[i]) || scheme[i] == '+' ||
		    scheme[i] == '-' || scheme[i] == '.'))
			return 1;	/* not a scheme: a relative path */
	if (strcmp(scheme, "http") == 0 || strcmp(scheme, "https") == 0 ||
	    strcmp(scheme, "mailto") == 0)
		return 1;
	if (!image || strcmp(scheme, "data") != 0)
		return 0;
	/* data:image/<type> then ';' or ',', as a browser reads it. */
	for (p++, k = 0; *p != '\0' && *p != ';' && *p != ',' &&
	    k < sizeof(type) - 1; p++)
		if (*p != '\t' && *p != '\n' && *p != '\r')
			type[k++] = (char)tolower((unsigned char)*p);
	type[k] = '\0';
	if ((*p != ';' && *p != ',') || strncmp(type, "image/", 6) != 0)
		return 0;
	for (i = 0; i < sizeof(raster) / sizeof(raster[0]); i++)
		if (strcmp(type + 6, raster[i]) == 0)
			return 1;
	return 0;
}

static cmark_node *
literal_doc(const char *text)
{
	cmark_node *doc = cmark_node_new(CMARK_NODE_DOCUMENT);
	cmark_node *code = cmark_node_new(CMARK_NODE_CODE_BLOCK);

	cmark_node_set_literal(code, text);
	cmark_node_append_child(doc, code);
	return doc;
}

/* Nodes that cmark's iterator enters without leaving. */
static int
leaf(cmark_node_type t)
{
	return t == CMARK_NODE_HTML_BLOCK || t == CMARK_NODE_THEMATIC_BREAK ||
	    t == CMARK_NODE_CODE_BLOCK || t == CMARK_NODE_TEXT ||
	    t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK ||
	    t == CMARK_NODE_CODE || t == CMARK_NODE_HTML_INLINE;
}

static int
too_deep(cmark_node *doc)
{
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	int depth = 0, deep = 0;

	while (!deep && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		if (ev == CMARK_EVENT_EXIT)
			depth--;
		else if (!leaf(cmark_node_get_type(cmark_iter_get_node(it))))
			deep = ++depth > DIPB_MAX_DEPTH;
	}
	cmark_iter_free(it);
	return deep;
}

/* Moves every child of from to the end of to. */
static void
adopt(cmark_node *to, cmark_node *from)
{
	cmark_node *c;

	while ((c = cmark_node_first_child(from)) != NULL) {
		cmark_node_unlink(c);
		cmark_node_append_child(to, c);
	}
}

/* See sanitize.h: raw HTML, URLs, images, heading levels. */
static void
clean(cmark_node *doc, int level, int images)
{
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	cmark_node **v = NULL, *n, *repl;
	size_t nv = 0, cap = 0, i;
	const char *url, *title;
	int t;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		if (ev != CMARK_EVENT_ENTER)
			continue;
		n = cmark_iter_get_node(it);
		t = cmark_node_get_type(n);
		if (t == CMARK_NODE_HTML_BLOCK || t == CMARK_NODE_HTML_INLINE ||
		    t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE ||
		    t == CMARK_NODE_HEADING) {
			xgrow((void **)&v, &cap, nv + 1, sizeof(*v));
			v[nv++] = n;
		}
	}
	cmark_iter_free(it);
	/* Changed after the walk: the iterator must not see them change. */
	for (i = 0; i < nv; i++) {
		n = v[i];
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_HEADING:
			t = cmark_node_get_heading_level(n) + level;
			cmark_node_set_heading_level(n, t > 6 ? 6 : t);
			break;
		case CMARK_NODE_HTML_BLOCK:
			repl = cmark_node_new(CMARK_NODE_CODE_BLOCK);
			cmark_node_set_literal(repl, cmark_node_get_literal(n));
			cmark_node_replace(n, repl);
			cmark_node_free(n);
			break;
		case CMARK_NODE_HTML_INLINE:
			repl = cmark_node_new(CMARK_NODE_TEXT);
			cmark_node_set_literal(repl, cmark_node_get_literal(n));
			cmark_node_replace(n, repl);
			cmark_node_free(n);
			break;
		case CMARK_NODE_LINK:
			url = cmark_node_get_url(n);
			if (url != NULL && !dipb_url_safe(url, 0))
				cmark_node_set_url(n, "");
			break;
		case CMARK_NODE_IMAGE:
			url = cmark_node_get_url(n);
			if (url == NULL)
				url = "";
			if (images && dipb_url_safe(url, 1) &&
			    !dipb_url_safe(url, 0))
				break;	/* a data: raster image stays */
			repl = cmark_node_new(CMARK_NODE_LINK);
			cmark_node_set_url(repl, dipb_url_safe(url, 0) ? url : "");
			title = cmark_node_get_title(n);
			cmark_node_set_title(repl, title != NULL ? title : "");
			adopt(repl, n);
			cmark_node_replace(n, repl);
			cmark_node_free(n);
			break;
		default:
			break;
		}
	}
	free(v);
}

/*
 * See sanitize.h: a heading of level from_level or deeper becomes a
 * paragraph of strong text, its inlines moved into it.
 */
void
dipb_md_bold_headings(cmark_node *doc, int from_level)
{
	cmark_iter *it = cmark_iter_new(doc);
	cmark_node **v = NULL, *n, *para, *strong;
	size_t nv = 0, cap = 0, i;

	while (cmark_iter_next(it) != CMARK_EVENT_DONE) {
		n = cmark_iter_get_node(it);
		if (cmark_iter_get_event_type(it) == CMARK_EVENT_ENTER &&
		    cmark_node_get_type(n) == CMARK_NODE_HEADING &&
		    cmark_node_get_heading_level(n) >= from_level) {
			xgrow((void **)&v, &cap, nv + 1, sizeof(*v));
			v[nv++] = n;
		}
	}
	cmark_iter_free(it);
	for (i = 0; i < nv; i++) {
		para = cmark_node_new(CMARK_NODE_PARAGRAPH);
		strong = cmark_node_new(CMARK_NODE_STRONG);
		adopt(strong, v[i]);
		cmark_node_append_child(para, strong);
		cmark_node_replace(v[i], para);
		cmark_node_free(v[i]);
	}
	free(v);
}

/* A Markdown text parsed and cleaned, ready for any renderer. */
cmark_node *
dipb_md_sanitize(const char *text, int level, int quote, int images)
{
	cmark_node *doc, *bq;

	doc = cmark_parse_document(text, strlen(text),
	    CMARK_OPT_SAFE | CMARK_OPT_VALIDATE_UTF8);
	if (too_deep(doc)) {
		cmark_node_free(doc);
		doc = literal_doc(text);
	}
	clean(doc, level, images);
	if (quote) {
		bq = cmark_node_new(CMARK_NODE_BLOCK_QUOTE);
		adopt(bq, doc);
		cmark_node_append_child(doc, bq);
	}
	return doc;
}

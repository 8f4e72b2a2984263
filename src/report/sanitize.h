/*
 * sanitize.h - the Markdown of records made safe to render: the security
 * boundary of dipb report (dipb-report(1)).
 *
 * Every piece of Markdown a report holds (the fields of records, and the
 * Markdown the renderers write from the report's model) is parsed by
 * cmark with CMARK_OPT_SAFE and cleaned here before any cmark renderer
 * sees it, in every format:
 *
 *   - raw HTML becomes literal text (a block: a code block; inline:
 *     plain text);
 *   - a link whose URL has a scheme other than http, https or mailto
 *     (after the tabs, newlines and blanks a browser would ignore are
 *     removed) gets an empty URL;
 *   - an image becomes a link (under the same rule), except, when images
 *     are allowed (HTML), a data: PNG, GIF, JPEG or WebP image;
 *   - a text nested deeper than DIPB_MAX_DEPTH is kept whole as one code
 *     block (cmark's CommonMark writer is quadratic in the depth);
 *   - its headings move down by level, to sit below the heading the text
 *     is under (at most level 6).
 *
 * The result must be rendered with CMARK_OPT_SAFE, never
 * CMARK_OPT_UNSAFE.
 */
#ifndef DIPB_REPORT_SANITIZE_H
#define DIPB_REPORT_SANITIZE_H

struct cmark_node;

/*
 * text (UTF-8, NUL-terminated) parsed and cleaned as above, in a block
 * quote when quote is set; images: 1 to keep data: raster images (HTML).
 * Never NULL; caller frees with cmark_node_free().
 */
struct cmark_node *dipb_md_sanitize(const char *text, int level, int quote,
	    int images);

/*
 * Each heading of doc of level from_level or deeper made a paragraph of
 * strong text: for a writer whose headings would pass for the report's
 * own structure (man and LaTeX: a field of the report) or that has none
 * of that level (cmark's LaTeX writer at level 6); dipb-report(1).
 */
void	 dipb_md_bold_headings(struct cmark_node *doc, int from_level);

/*
 * 1 if a link may keep url: no scheme (relative, a fragment), http, https
 * or mailto; with image set, also a data: PNG, GIF, JPEG or WebP image.
 */
int	 dipb_url_safe(const char *url, int image);

#endif /* DIPB_REPORT_SANITIZE_H */

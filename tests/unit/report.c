/*
 * Unit tests of src/report/ and of history.c's pure parts: escaping, the
 * URL rule, commit messages, the cleaning of hostile Markdown, and bounded
 * rendering time for cmark's known quadratic patterns at the 64 KiB cap.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <cmark.h>
#include <criterion/criterion.h>
#include <jansson.h>

#include "board.h"
#include "helpers.h"
#include "history.h"
#include "record.h"
#include "report.h"

static const char board_yaml[] =
    "board: Test Board\n"
    "short_name: TB\n"
    "submit_to: National Armaments Directors\n"
    "working_groups:\n"
    "  - key: industrial-capacity\n"
    "    prefix: IC\n"
    "    name: Industrial Capacity\n"
    "  - key: supply-chain-security\n"
    "    prefix: SCS\n"
    "    name: Supply Chain Security\n"
    "classifications:\n"
    "  - NATO UNCLASSIFIED\n"
    "  - NATO RESTRICTED\n"
    "review:\n"
    "  quorum: 1\n"
    "members:\n"
    "  - name: Dan Drafter\n"
    "    email: d@example.org\n"
    "    roles: [drafter]\n"
    "  - name: Rita Reviewer\n"
    "    email: r@example.org\n"
    "    nation: FR\n"
    "    roles: [reviewer]\n";

static struct dipb_board board;

static void
setup(void)
{
	test_board_load(&board, board_yaml);
}

static void
teardown(void)
{
	dipb_board_release(&board);
}

static void
mkrec(struct dipb_record *r, const char *id, const char *cls,
    const char *title, const char *summary)
{
	dipb_record_init(r);
	r->id = strdup(id);
	r->title = strdup(title);
	r->working_group = strdup(strncmp(id, "IC", 2) == 0 ?
	    "industrial-capacity" : "supply-chain-security");
	r->status = DIPB_STATUS_DRAFT;
	r->classification = strdup(cls);
	r->created = strdup("2026-01-01");
	r->author = strdup("d@example.org");
	r->summary = strdup(summary);
}

static char *
render(struct dipb_report *rep, enum dipb_report_format f)
{
	struct dipb_buf b = DIPB_BUF_INIT;

	dipb_report_render(&b, rep, f);
	return dipb_buf_detach(&b);
}

static int
contains_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle), i;

	for (; *hay != '\0'; hay++) {
		for (i = 0; i < n && hay[i] != '\0' &&
		    tolower((unsigned char)hay[i]) ==
		    tolower((unsigned char)needle[i]); i++)
			;
		if (i == n)
			return 1;
	}
	return 0;
}

/*
 * Every tag of html is one that dipb or cmark writes, with no event
 * attribute and no URL of another scheme than http(s), mailto or a data:
 * raster image: text from records is escaped, so any other '<' would be
 * markup that got through.
 */
static int
markup_ok(const char *html, char *why, size_t whylen)
{
	static const char *const tags[] = { "!DOCTYPE", "html", "head",
	    "meta", "title", "style", "body", "header", "main", "footer",
	    "h1", "h2", "h3", "h4", "h5", "h6", "p", "a", "strong", "em",
	    "code", "pre", "blockquote", "ul", "ol", "li", "table", "thead",
	    "tbody", "tr", "th", "td", "div", "figure", "svg", "g", "rect",
	    "text", "br", "hr", "img", NULL };
	const char *p = html, *q;
	char name[32], attr[32], val[64];
	size_t n, i;

	while ((p = strchr(p, '<')) != NULL) {
		p++;
		if (*p == '/')
			p++;
		for (n = 0; n < sizeof(name) - 1 && (isalnum((unsigned char)*p)
		    || *p == '!'); p++)
			name[n++] = *p;
		name[n] = '\0';
		if (strcmp(name, "!--") == 0 || strncmp(p, "--", 2) == 0) {
			/* cmark's comments: "<!-- raw HTML omitted -->" */
			if ((q = strstr(p, "-->")) == NULL)
				return snprintf(why, whylen, "open comment"), 0;
			p = q + 3;
			continue;
		}
		for (i = 0; tags[i] != NULL && strcmp(tags[i], name) != 0; i++)
			;
		if (tags[i] == NULL)
			return snprintf(why, whylen, "tag <%s>", name), 0;
		while (*p != '\0' && *p != '>') {
			while (*p == ' ' || *p == '\n' || *p == '/')
				p++;
			for (n = 0; n < sizeof(attr) - 1 && *p != '\0' &&
			    *p != '=' && *p != '>' && *p != ' '; p++)
				attr[n++] = (char)tolower((unsigned char)*p);
			attr[n] = '\0';
			if (strncmp(attr, "on", 2) == 0)
				return snprintf(why, whylen, "attribute %s",
				    attr), 0;
			if (*p != '=')
				continue;
			p++;
			if (*p != '"')
				return snprintf(why, whylen, "unquoted %s",
				    attr), 0;
			p++;
			for (n = 0; n < sizeof(val) - 1 && *p != '\0' &&
			    *p != '"'; p++)
				val[n++] = (char)tolower((unsigned char)*p);
			val[n] = '\0';
			while (*p != '\0' && *p != '"')
				p++;
			if (*p == '"')
				p++;
			if ((strcmp(attr, "href") == 0 ||
			    strcmp(attr, "src") == 0) && val[0] != '\0' &&
			    !dipb_url_safe(val, strcmp(attr, "src") == 0))
				return snprintf(why, whylen, "%s=\"%s\"", attr,
				    val), 0;
		}
	}
	return 1;
}

/* The Markdown output, read by cmark, has no raw HTML and no bad URL. */
static int
md_ok(const char *md, char *why, size_t whylen)
{
	cmark_node *doc = cmark_parse_document(md, strlen(md), 0), *n;
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	const char *url;
	int ok = 1;

	while (ok && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		if (ev != CMARK_EVENT_ENTER)
			continue;
		n = cmark_iter_get_node(it);
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_HTML_BLOCK:
		case CMARK_NODE_HTML_INLINE:
			snprintf(why, whylen, "raw HTML %s",
			    cmark_node_get_literal(n));
			ok = 0;
			break;
		case CMARK_NODE_LINK:
		case CMARK_NODE_IMAGE:
			url = cmark_node_get_url(n);
			if (url != NULL && !dipb_url_safe(url, 1)) {
				snprintf(why, whylen, "URL %s", url);
				ok = 0;
			}
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);
	cmark_node_free(doc);
	return ok;
}

static struct dipb_report_opts
opts(void)
{
	struct dipb_report_opts o;

	memset(&o, 0, sizeof(o));
	o.board = &board;
	o.today = "2026-06-01";
	o.version = "test";
	return o;
}

TestSuite(report, .init = setup, .fini = teardown);

Test(report, html_escape)
{
	struct dipb_buf b = DIPB_BUF_INIT;

	dipb_html_escape(&b, "<a href=\"x\" title='y'>&</a>");
	cr_assert_str_eq(b.ptr, "&lt;a href=&quot;x&quot; title=&#39;y&#39;"
	    "&gt;&amp;&lt;/a&gt;");
	dipb_buf_release(&b);
}

Test(report, md_escape_reads_as_the_text)
{
	struct dipb_buf b = DIPB_BUF_INIT;

	dipb_md_escape(&b, "a*b_c <x> [l](u) #|!&amp; `c` \\ ~");
	cr_assert_str_eq(b.ptr, "a\\*b\\_c \\<x\\> \\[l\\](u) \\#\\|\\!\\&amp; "
	    "\\`c\\` \\\\ \\~");
	dipb_buf_release(&b);
}

Test(report, url_rule)
{
	static const char *const bad[] = {
		"javascript:alert(1)", "JaVaScRiPt:alert(1)",
		" \tjavascript:alert(1)", "java\tscript:alert(1)",
		"java\nscript:alert(1)", "\x01javascript:alert(1)",
		"vbscript:msgbox(1)", "file:///etc/passwd",
		"data:text/html,<script>alert(1)</script>",
		"data:image/svg+xml,<svg onload=alert(1)>",
		"livescript:x", "jar:http://x!/", "about:blank",
	};
	static const char *const good[] = {
		"http://example.org/", "HTTPS://example.org/a?b#c",
		"mailto:a@example.org", "relative/path", "/abs", "#frag",
		"a/b:c", "?q=javascript:x", "",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cr_expect_eq(dipb_url_safe(bad[i], 0), 0, "%s", bad[i]);
		cr_expect_eq(dipb_url_safe(bad[i], 1), 0, "%s", bad[i]);
	}
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		cr_expect_eq(dipb_url_safe(good[i], 0), 1, "%s", good[i]);
	cr_expect_eq(dipb_url_safe("data:image/png;base64,iVBO", 1), 1);
	cr_expect_eq(dipb_url_safe("DATA:IMAGE/JPEG;base64,/9j", 1), 1);
	cr_expect_eq(dipb_url_safe("data:image/png;base64,iVBO", 0), 0);
	cr_expect_eq(dipb_url_safe("data:image/pngx,", 1), 0);
}

Test(report, message_parse)
{
	struct dipb_message m;

	dipb_message_parse(&m, "IC-0007: endorsed by Jean (2/2)\n\n"
	    "Good.\n\nSecond paragraph.\n\n"
	    "Dipb-Record: IC-0007\nDipb-Event: endorsed\n"
	    "Dipb-Status: in-review -> endorsed\n");
	cr_assert_str_eq(m.subject, "IC-0007: endorsed by Jean (2/2)");
	cr_assert_str_eq(m.body, "Good.\n\nSecond paragraph.");
	cr_assert_str_eq(m.record, "IC-0007");
	cr_assert_str_eq(m.event, "endorsed");
	cr_assert_str_eq(m.status_from, "in-review");
	cr_assert_str_eq(m.status_to, "endorsed");
	dipb_message_release(&m);

	dipb_message_parse(&m, "IC-0001: drafted by Dan\n\n"
	    "Dipb-Record: IC-0001\nDipb-Event: drafted\n"
	    "Dipb-Status: none -> draft\n");
	cr_assert_null(m.body);
	cr_assert_str_eq(m.status_from, "none");
	dipb_message_release(&m);

	/* Plain git: a subject on two lines, no trailers. */
	dipb_message_parse(&m, "fix a typo\nin IC-0001\n\nBody: not a "
	    "trailer block\nbecause of this line\n");
	cr_assert_str_eq(m.subject, "fix a typo in IC-0001");
	cr_assert_null(m.record);
	cr_assert_str_eq(m.body, "Body: not a trailer block\n"
	    "because of this line");
	dipb_message_release(&m);

	dipb_message_parse(&m, "");
	cr_assert_str_eq(m.subject, "");
	cr_assert_null(m.body);
	dipb_message_release(&m);
}

Test(report, text_clean)
{
	const char *in = "a\033[31mb\tc\nd\x7f\xc2\x85\xff\xc3\xa9";
	char *s = dipb_text_clean(in, strlen(in));

	cr_assert_str_eq(s, "a?[31mb\tc\nd???\xc3\xa9");
	free(s);
}

/*
 * A bidirectional control is shown as '?', as a C1 control is: each of
 * the twelve, one '?' for its two or three bytes; its neighbours (U+200D,
 * U+2029, U+202F, U+2065, U+206A, U+061B) stay.
 */
Test(report, text_clean_bidi)
{
	const char *in = "a\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad"
	    "\xe2\x80\xae\xe2\x81\xa6\xe2\x81\xa7\xe2\x81\xa8\xe2\x81\xa9"
	    "\xe2\x80\x8e\xe2\x80\x8f\xd8\x9c" "b"
	    "\xe2\x80\x8d\xe2\x80\xa9\xe2\x80\xaf\xe2\x81\xa5\xe2\x81\xaa"
	    "\xd8\x9b";
	char *s = dipb_text_clean(in, strlen(in));

	cr_assert_str_eq(s, "a????????????b\xe2\x80\x8d\xe2\x80\xa9"
	    "\xe2\x80\xaf\xe2\x81\xa5\xe2\x81\xaa\xd8\x9b");
	free(s);
	/* Truncated at the end: invalid UTF-8, a '?' a byte. */
	s = dipb_text_clean("\xe2\x80", 2);
	cr_assert_str_eq(s, "??");
	free(s);
}

/*
 * The noncharacters (U+FDD0..U+FDEF, the last two of each plane) become
 * '?' in HTML only; their neighbours stay.  A truncated one is invalid
 * UTF-8, a '?' for each of its bytes in both cleaners, as ESC is.
 */
Test(report, text_clean_html)
{
	const char *in = "\xef\xb7\x8f\xef\xb7\x90\xef\xb7\xaf\xef\xb7\xb0"
	    "\xef\xbf\xbd\xef\xbf\xbe\xef\xbf\xbf\xf0\x9f\xbf\xbe"
	    "\xf4\x8f\xbf\xbf\xf0\x9f\xbf\xbd\033\xef\xbf";
	char *s = dipb_text_clean_html(in, strlen(in));
	char *t = dipb_text_clean(in, strlen(in));

	cr_assert_str_eq(s, "\xef\xb7\x8f??\xef\xb7\xb0\xef\xbf\xbd????"
	    "\xf0\x9f\xbf\xbd???");
	cr_assert_eq(strlen(t), strlen(in), "the plain cleaner keeps them");
	free(t);
	free(s);
}

/*
 * dipb_text_plain against the rule byte by byte: each of the 256 byte
 * values at each place of texts of 1 to 40 bytes (the words, the second
 * word of sixteen bytes, the rest), in a text of 'a' and of '~' (the
 * ends of the printable range, next to a carry and to a borrow), and a
 * byte below 0x20 next to one of 0xff (a borrow into a carry).
 */
Test(report, text_plain_is_printable_ascii)
{
	char buf[48];
	size_t len, at;
	unsigned c, fill;

	for (fill = 0; fill < 2; fill++)
		for (len = 1; len <= 40; len++)
			for (at = 0; at < len; at++)
				for (c = 0; c < 256; c++) {
					memset(buf, fill ? '~' : 'a', len);
					buf[at] = (char)c;
					cr_assert_eq(dipb_text_plain(buf, len),
					    c >= 0x20 && c < 0x7f,
					    "byte 0x%02x at %zu of %zu", c, at,
					    len);
				}
	cr_assert_eq(dipb_text_plain("", 0), 1);
	memset(buf, ' ', sizeof(buf));
	buf[3] = '\x1f';
	buf[4] = '\xff';
	cr_assert_eq(dipb_text_plain(buf, 16), 0);
	buf[3] = '~';
	buf[4] = '\x7f';
	cr_assert_eq(dipb_text_plain(buf, sizeof(buf)), 0);
}

Test(report, text_find_control)
{
	size_t at = 99;
	unsigned cp = 0;

	cr_assert_eq(dipb_text_find_control(&at, &cp, "plain \xc3\xa9 text", 0),
	    0);
	cr_assert_eq(dipb_text_find_control(&at, &cp, "two\nlines\tok", 1), 0);
	cr_assert_eq(dipb_text_find_control(&at, &cp, "two\nlines", 0), 1);
	cr_assert_eq(cp, 0x0a);
	cr_assert_eq(at, 3);
	/* Characters, not bytes: the C1 CSI after an e-acute. */
	cr_assert_eq(dipb_text_find_control(&at, &cp, "\xc3\xa9\xc2\x9b" "1m", 1),
	    1);
	cr_assert_eq(cp, 0x9b);
	cr_assert_eq(at, 1);
	cr_assert_eq(dipb_text_find_control(&at, &cp, "a\x7f", 1), 1);
	cr_assert_eq(cp, 0x7f);
}

Test(report, text_find_bidi)
{
	size_t at = 99;
	unsigned cp = 0;

	/* Hebrew orders nothing by itself. */
	cr_assert_eq(dipb_text_find_bidi(&at, &cp,
	    "\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d ok \xe2"), 0);
	/* The marks do: RLM after Hebrew, at character 5; LRM; ALM. */
	cr_assert_eq(dipb_text_find_bidi(&at, &cp,
	    "\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d \xe2\x80\x8f ok"), 1);
	cr_assert_eq(cp, 0x200f);
	cr_assert_eq(at, 5);
	cr_assert_eq(dipb_text_find_bidi(&at, &cp, "\xe2\x80\x8e"), 1);
	cr_assert_eq(cp, 0x200e);
	cr_assert_eq(dipb_text_find_bidi(&at, &cp, "x\xd8\x9c"), 1);
	cr_assert_eq(cp, 0x061c);
	cr_assert_eq(at, 1);
	/* U+202E RLO, at character 2 (0-based), after an e-acute. */
	cr_assert_eq(dipb_text_find_bidi(&at, &cp, "\xc3\xa9" "a" "\xe2\x80\xae" "b"),
	    1);
	cr_assert_eq(cp, 0x202e);
	cr_assert_eq(at, 2);
	/* The first and last of each range: U+202A, U+2066, U+2069. */
	cr_assert_eq(dipb_text_find_bidi(&at, &cp, "\xe2\x80\xaa"), 1);
	cr_assert_eq(cp, 0x202a);
	cr_assert_eq(dipb_text_find_bidi(&at, &cp, "\xe2\x81\xa6"), 1);
	cr_assert_eq(cp, 0x2066);
	cr_assert_eq(dipb_text_find_bidi(&at, &cp, "\xe2\x81\xa9"), 1);
	cr_assert_eq(cp, 0x2069);
	/* U+202F and U+206A, either side, are not. */
	cr_assert_eq(dipb_text_find_bidi(&at, &cp, "\xe2\x80\xaf\xe2\x81\xaa"),
	    0);
	/*
	 * Arabic letters (D8 and D9 lead bytes) hold none; nor does a 9C
	 * after another byte than D8 (U+065C, D9 9C; U+271C, E2 9C 9C) or
	 * first; nor an E2 or a D8 the string ends in or after.  ALM first,
	 * and after Arabic letters, at its character.
	 */
	cr_assert_eq(dipb_text_find_bidi(&at, &cp,
	    "\xd8\xb9\xd8\xb1\xd8\xa8\xd9\x8a \xd9\x9c\xe2\x9c\x9c"), 0);
	cr_assert_eq(dipb_text_find_bidi(&at, &cp, "\x9c\xd8"), 0);
	cr_assert_eq(dipb_text_find_bidi(&at, &cp, "a\xe2\x80"), 0);
	cr_assert_eq(dipb_text_find_bidi(&at, &cp, "\xd8\x9c"), 1);
	cr_assert_eq(cp, 0x061c);
	cr_assert_eq(at, 0);
	cr_assert_eq(dipb_text_find_bidi(&at, &cp,
	    "\xd8\xb9\xd8\xb1\xd8\x9c\xd8\xa8"), 1);
	cr_assert_eq(cp, 0x061c);
	cr_assert_eq(at, 2);
}

Test(report, text_find_space)
{
	/* ASCII blanks, a zero-width space (U+200B), invalid UTF-8: none. */
	cr_assert_eq(dipb_text_find_space("Cy \tTab\xe2\x80\x8b\xff"), 0);
	/* The first, after an e-acute: U+00A0, then U+3000. */
	cr_assert_eq(dipb_text_find_space("\xc3\xa9\xc2\xa0\xe3\x80\x80"),
	    0xa0);
	/* Each end of U+2000..U+200A, U+202F, U+205F, U+3000, U+1680. */
	cr_assert_eq(dipb_text_find_space("a\xe2\x80\x80"), 0x2000);
	cr_assert_eq(dipb_text_find_space("a\xe2\x80\x8a"), 0x200a);
	cr_assert_eq(dipb_text_find_space("\xe2\x80\xaf"), 0x202f);
	cr_assert_eq(dipb_text_find_space("\xe2\x81\x9f"), 0x205f);
	cr_assert_eq(dipb_text_find_space("\xe3\x80\x80"), 0x3000);
	cr_assert_eq(dipb_text_find_space("\xe1\x9a\x80"), 0x1680);
}

Test(report, text_json_escapes_del_and_c1)
{
	const char *in = "{\"t\":\"a\xc2\x9b[2J\x7f \xc3\xa9\\u001b\"}";
	char *s = dipb_text_json(in, strlen(in));

	cr_assert_str_eq(s, "{\"t\":\"a\\u009B[2J\\u007F \xc3\xa9\\u001b\"}");
	free(s);
	/* A bidirectional control too: RLO, LRI, RLM, ALM. */
	s = dipb_text_json("\"\xe2\x80\xae\xe2\x81\xa6\xe2\x80\x8f\xd8\x9c\"", 13);
	cr_assert_str_eq(s, "\"\\u202E\\u2066\\u200F\\u061C\"");
	free(s);
	s = dipb_text_json("", 0);
	cr_assert_str_eq(s, "");
	free(s);
}

/* The classic payloads, in every field a report shows. */
static const char *const xss[] = {
	"<script>alert(1)</script>",
	"<SCRIPT SRC=http://x/x.js></SCRIPT>",
	"<img src=x onerror=alert(1)>",
	"<svg onload=alert(1)>",
	"<body onload=alert(1)>",
	"<iframe src=\"javascript:alert(1)\"></iframe>",
	"[a](javascript:alert(1))",
	"[a](JaVaScRiPt:alert(1))",
	"[a](&#106;avascript:alert(1))",
	"[a](&#x6A;&#x61;vascript:alert(1))",
	"[a](<java\tscript:alert(1)>)",
	"[a](vbscript:msgbox(1))",
	"[a](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
	"![a](data:image/svg+xml,<svg/onload=alert(1)>)",
	"![a](javascript:alert(1))",
	"<a href=\"javascript:alert(1)\">x</a>",
	"<div style=\"background:url(javascript:alert(1))\">",
	"<object data=\"javascript:alert(1)\">",
	"<embed src=javascript:alert(1)>",
	"<form action=javascript:alert(1)><input type=submit>",
	"<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
	"\"><script>alert(1)</script>",
	"'><img src=x onerror=alert(1)>",
	"<details open ontoggle=alert(1)>",
	"<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
	"<base href=\"javascript:alert(1)//\">",
	"[a][r]\n\n[r]: javascript:alert(1)",
	"<javascript:alert(1)>",
	"<!--<script>alert(1)//-->",
	"<style>@import 'javascript:alert(1)';</style>",
	"<a href=\"&#1;javascript:alert(1)\">x</a>",
	"<marquee onstart=alert(1)>",
};

Test(report, xss_never_survives)
{
	struct dipb_record r[2];
	struct dipb_report_opts o = opts();
	struct dipb_report *rep;
	struct dipb_review rv;
	char *html, *md, why[128] = "";
	size_t i;

	for (i = 0; i < sizeof(xss) / sizeof(xss[0]); i++) {
		mkrec(&r[0], "IC-0001", "NATO UNCLASSIFIED", xss[i], xss[i]);
		r[0].rationale = strdup(xss[i]);
		memset(&rv, 0, sizeof(rv));
		r[0].reviews = calloc(1, sizeof(rv));
		r[0].nreviews = 1;
		r[0].reviews[0].reviewer = strdup("r@example.org");
		r[0].reviews[0].date = strdup("2026-01-02");
		r[0].reviews[0].fingerprint = strdup("00000000");
		r[0].reviews[0].comment = strdup(xss[i]);
		r[0].actions = calloc(1, sizeof(*r[0].actions));
		r[0].nactions = 1;
		r[0].actions[0].text = strdup(xss[i]);
		r[0].actions[0].owner = strdup(xss[i]);
		mkrec(&r[1], "SCS-0001", "NATO UNCLASSIFIED", "t", "s");
		o.title = xss[i];

		rep = dipb_report_record(&o, &r[0]);
		html = render(rep, DIPB_REPORT_HTML);
		md = render(rep, DIPB_REPORT_MARKDOWN);
		cr_expect(markup_ok(html, why, sizeof(why)), "%s: %s", xss[i],
		    why);
		cr_expect(!contains_ci(html, "<script"), "%s", xss[i]);
		cr_expect(!contains_ci(html, "=\"javascript:"), "%s", xss[i]);
		cr_expect(md_ok(md, why, sizeof(why)), "%s: %s", xss[i], why);
		free(html);
		free(md);
		dipb_report_free(rep);

		/* The status table and chart hold titles and labels. */
		rep = dipb_report_status(&o, r, 2, NULL);
		html = render(rep, DIPB_REPORT_HTML);
		cr_expect(markup_ok(html, why, sizeof(why)), "%s: %s", xss[i],
		    why);
		free(html);
		dipb_report_free(rep);
		dipb_record_release(&r[0]);
		dipb_record_release(&r[1]);
	}
	cr_assert_geq(sizeof(xss) / sizeof(xss[0]), 30);
}

Test(report, raw_html_is_shown_as_text)
{
	struct dipb_record r;
	struct dipb_report_opts o = opts();
	struct dipb_report *rep;
	char *html;

	mkrec(&r, "IC-0001", "NATO UNCLASSIFIED", "T",
	    "Inline <b>bold</b> and a [link](https://example.org/).\n\n"
	    "<div>block</div>\n");
	rep = dipb_report_record(&o, &r);
	html = render(rep, DIPB_REPORT_HTML);
	cr_expect(strstr(html, "&lt;b&gt;bold&lt;/b&gt;") != NULL);
	cr_expect(strstr(html, "<pre><code>&lt;div&gt;block&lt;/div&gt;")
	    != NULL);
	cr_expect(strstr(html, "<a href=\"https://example.org/\">link</a>")
	    != NULL);
	free(html);
	dipb_report_free(rep);
	dipb_record_release(&r);
}

Test(report, marking_and_max_classification)
{
	struct dipb_record r[3];
	struct dipb_report_opts o = opts();
	struct dipb_report *rep;
	char *md, *json;

	mkrec(&r[0], "IC-0001", "NATO UNCLASSIFIED", "Open", "s");
	mkrec(&r[1], "IC-0002", "NATO RESTRICTED", "Restricted", "s");
	mkrec(&r[2], "SCS-0001", "COSMIC TOP SECRET", "Unknown", "s");
	rep = dipb_report_status(&o, r, 2, NULL);
	cr_assert_str_eq(dipb_report_marking(rep), "NATO RESTRICTED");
	md = render(rep, DIPB_REPORT_MARKDOWN);
	cr_expect(strncmp(md, "**NATO RESTRICTED**\n", 20) == 0);
	cr_expect(strstr(md, "\n**NATO RESTRICTED**\n") != NULL);
	free(md);
	dipb_report_free(rep);

	o.max_classification = "NATO UNCLASSIFIED";
	rep = dipb_report_status(&o, r, 3, NULL);
	cr_assert_eq(dipb_report_left_out(rep), 2);
	cr_assert_str_eq(dipb_report_marking(rep), "NATO UNCLASSIFIED");
	md = render(rep, DIPB_REPORT_MARKDOWN);
	cr_expect(strstr(md, "Restricted") == NULL);
	cr_expect(strstr(md, "Unknown") == NULL);
	cr_expect(strstr(md, "2 recommendations classified above NATO "
	    "UNCLASSIFIED left out") != NULL);
	json = render(rep, DIPB_REPORT_JSON);
	cr_expect(strstr(json, "\"left_out\": 2") != NULL);
	free(json);
	free(md);
	dipb_report_free(rep);
	dipb_record_release(&r[0]);
	dipb_record_release(&r[1]);
	dipb_record_release(&r[2]);
}

Test(report, fields_are_isolated)
{
	struct dipb_record r[2];
	struct dipb_report_opts o = opts();
	struct dipb_report *rep;
	struct dipb_package_item it[2];
	char *html;

	/* An open fence and a link definition in one record ... */
	mkrec(&r[0], "IC-0001", "NATO UNCLASSIFIED", "A",
	    "[x]: https://evil.example/\n\n# Top\n\n```\nunclosed fence\n");
	/* ... reach neither the next record nor the structure. */
	mkrec(&r[1], "IC-0002", "NATO UNCLASSIFIED", "B", "See [x].\n");
	memset(it, 0, sizeof(it));
	it[0].rec = &r[0];
	it[0].blob = "b0";
	it[1].rec = &r[1];
	it[1].blob = "b1";
	rep = dipb_report_package(&o, "REF-1", it, 2);
	html = render(rep, DIPB_REPORT_HTML);
	cr_expect(strstr(html, "<h2>2. IC-0002") != NULL);
	cr_expect(strstr(html, "<h4>Top</h4>") != NULL);
	cr_expect(strstr(html, "evil.example") == NULL);
	cr_expect(strstr(html, "See [x].") != NULL);
	free(html);
	dipb_report_free(rep);
	dipb_record_release(&r[0]);
	dipb_record_release(&r[1]);
}

/*
 * What a renderer may write per byte of Markdown: the longest escape,
 * LaTeX's \textasciigrave{} for '`' (no ligature), is 17 bytes.
 */
#define BOUND_FACTOR	18

/* unit, middle, unit2 repeated to fill DIPB_MAX_MARKDOWN bytes. */
static char *
fill(const char *unit, const char *mid, const char *unit2)
{
	size_t lu = strlen(unit), lm = strlen(mid), l2 = strlen(unit2);
	size_t n = (DIPB_MAX_MARKDOWN - lm) / (lu + l2), i;
	char *s = malloc(DIPB_MAX_MARKDOWN + 1), *p = s;

	for (i = 0; i < n; i++, p += lu)
		memcpy(p, unit, lu);
	memcpy(p, mid, lm);
	p += lm;
	for (i = 0; i < n; i++, p += l2)
		memcpy(p, unit2, l2);
	*p = '\0';
	return s;
}

/*
 * cmark's known pathological inputs, each filling the largest Markdown
 * field a record may hold: every format renders, and what it writes grows
 * no faster than the input (a blow-up would show in the size).  How long
 * they take is no assertion here (a loaded machine is no proof of a slow
 * renderer); the timeout only stops a hang.
 */
Test(report, pathological_markdown_renders_bounded, .timeout = 120)
{
	static const char *const pat[][3] = {
		{ "[", "a", "]" }, { "[", "", "" }, { "*a ", "", "" },
		{ "*a", "", "" }, { "_a", "", "" }, { "a**b", "", "" },
		{ "[x]: /\n", "", "" }, { "![[]()", "", "" }, { "<", "", "" },
		{ "<!--", "", "" }, { "`a``", "", "" }, { ">", "a", "" },
		{ "- ", "a", "" }, { "> - ", "a", "" }, { "*", "a", "*" },
		{ "_", "a", "_" }, { "**", "a", "**" }, { "[a](", "b", ")" },
		{ "](", "", "" }, { "![", "a", "](b)" }, { "*_", "", "" },
		{ "[a]", "", "" }, { "&#", "", "" }, { "1. ", "a", "" },
		{ "<a ", "", "" }, { "[![", "", "" }, { "\\[", "", "" },
		{ "a\n=\n", "", "" }, { "*a**", "", "" }, { "[\\", "", "" },
	};
	struct dipb_record r;
	struct dipb_report_opts o = opts();
	struct dipb_report *rep;
	enum dipb_report_format f;
	char *s, *out;
	size_t i, max = 0;

	for (i = 0; i < sizeof(pat) / sizeof(pat[0]); i++) {
		s = fill(pat[i][0], pat[i][1], pat[i][2]);
		cr_assert_leq(strlen(s), DIPB_MAX_MARKDOWN);
		mkrec(&r, "IC-0001", "NATO UNCLASSIFIED", "T", s);
		rep = dipb_report_record(&o, &r);
		for (f = DIPB_REPORT_MARKDOWN; f <= DIPB_REPORT_LATEX; f++) {
			out = render(rep, f);
			cr_assert_not_null(out);
			if (strlen(out) > max)
				max = strlen(out);
			cr_expect_leq(strlen(out), BOUND_FACTOR * strlen(s) + 65536,
			    "pattern '%s' '%s' '%s', format %d: %zu bytes "
			    "from %zu", pat[i][0], pat[i][1], pat[i][2], (int)f,
			    strlen(out), strlen(s));
			free(out);
		}
		dipb_report_free(rep);
		dipb_record_release(&r);
		free(s);
	}
	cr_log_info("largest output: %zu bytes", max);
}

Test(report, too_deep_is_a_code_block)
{
	struct dipb_record r;
	struct dipb_report_opts o = opts();
	struct dipb_report *rep;
	char *s = fill(">", "deep", ""), *html;

	s[200] = '\0';
	memcpy(s + 196, "deep", 4);
	mkrec(&r, "IC-0001", "NATO UNCLASSIFIED", "T", s);
	rep = dipb_report_record(&o, &r);
	html = render(rep, DIPB_REPORT_HTML);
	cr_expect(strstr(html, "<pre><code>&gt;&gt;&gt;") != NULL);
	cr_expect(strstr(html, "<blockquote>\n<blockquote>\n<blockquote>")
	    == NULL);
	free(html);
	dipb_report_free(rep);
	dipb_record_release(&r);
	free(s);
}

/*
 * minutes: a change whose commit names its record but no event (a
 * hand-written Dipb-Record trailer) and one of an event this dipb does not
 * know count as "other" and are told by their subject; the reviews count
 * by the workflow's event names.
 */
Test(report, minutes_events_without_a_known_name)
{
	static const char *const names[] = { "endorsed", "returned", NULL,
	    "frobnicated", "drafted" };
	struct dipb_event ev[5];
	struct dipb_record r;
	struct dipb_report_opts o = opts();
	struct dipb_report *rep;
	char *md, *json;
	size_t i;

	mkrec(&r, "IC-0001", "NATO UNCLASSIFIED", "Open", "s");
	memset(ev, 0, sizeof(ev));
	for (i = 0; i < 5; i++) {
		ev[i].record = (char *)"IC-0001";
		ev[i].event = (char *)names[i];
		ev[i].author_name = (char *)"Rita Reviewer";
		ev[i].author_email = (char *)"r@example.org";
		ev[i].subject = i == 1 ? (char *)"IC-0001: objection by Rita Reviewer" :
		    i == 2 ? (char *)"IC-0001: fixed by hand" :
		    (char *)"IC-0001: something";
		strcpy(ev[i].date, "2026-02-01");
		strcpy(ev[i].landed, "2026-02-01");
	}
	rep = dipb_report_minutes(&o, NULL, NULL, ev, 5, &r, 1, NULL);
	md = render(rep, DIPB_REPORT_MARKDOWN);
	json = render(rep, DIPB_REPORT_JSON);
	cr_expect(strstr(md, "| Industrial Capacity | 1 | 2 | 1 | 1 | 0 | 0 "
	    "| 0 | 2 | 5 |") != NULL, "%s", md);
	cr_expect(strstr(md, "review, **object**") != NULL);
	cr_expect(strstr(md, "review, **endorse**, quorum reached") != NULL);
	cr_expect(strstr(md, "Rita Reviewer (FR): IC-0001: fixed by hand") !=
	    NULL);
	cr_expect(strstr(md, "Rita Reviewer (FR): something") != NULL);
	cr_expect(strstr(json, "\"other\": 2") != NULL, "%s", json);
	free(json);
	free(md);
	dipb_report_free(rep);
	dipb_record_release(&r);
}

/*
 * Any string may be a working group's key (dipb-board(5)), "other" too:
 * the records of no group the board has are counted beside the groups'
 * object (counts_other, decided_by_outcome_other, summary_other;
 * dipb-report(1), json), never under a key of it, where they took the
 * place of the group of that key.  No object of the JSON has a key twice.
 */
Test(report, json_no_group_beside_a_group_keyed_other)
{
	static const char yaml[] =
	    "board: Test Board\n"
	    "submit_to: National Armaments Directors\n"
	    "working_groups:\n"
	    "  - key: other\n"
	    "    prefix: OT\n"
	    "    name: Other Matters\n"
	    "classifications:\n"
	    "  - NATO UNCLASSIFIED\n"
	    "review:\n"
	    "  quorum: 1\n"
	    "members:\n"
	    "  - name: Dan Drafter\n"
	    "    email: d@example.org\n"
	    "    roles: [drafter]\n";
	static const char *const ids[4] = { "OT-0001", "OT-0002", "OT-0003",
	    "GH-0001" };
	struct dipb_board b;
	struct dipb_record r[4];
	struct dipb_event ev[4];
	struct dipb_report_opts o = opts();
	struct dipb_report *rep;
	json_error_t jerr;
	json_t *j;
	char *json;
	size_t i;

	test_board_load(&b, yaml);
	o.board = &b;
	memset(ev, 0, sizeof(ev));
	for (i = 0; i < 4; i++) {
		mkrec(&r[i], ids[i], "NATO UNCLASSIFIED", "T", "s");
		free(r[i].working_group);
		r[i].working_group = strdup(i < 3 ? "other" : "ghost");
		r[i].status = DIPB_STATUS_DECIDED;
		r[i].decision = calloc(1, sizeof(*r[i].decision));
		r[i].decision->date = strdup("2026-02-01");
		r[i].decision->outcome = DIPB_OUTCOME_AGREED;
		ev[i].record = (char *)ids[i];
		ev[i].event = (char *)"drafted";
		ev[i].author_name = (char *)"Dan Drafter";
		ev[i].author_email = (char *)"d@example.org";
		ev[i].subject = (char *)"drafted";
		strcpy(ev[i].date, "2026-02-01");
		strcpy(ev[i].landed, "2026-02-01");
	}

	rep = dipb_report_status(&o, r, 4, NULL);
	json = render(rep, DIPB_REPORT_JSON);
	j = json_loads(json, JSON_REJECT_DUPLICATES, &jerr);
	cr_assert(j != NULL, "%s: %s", jerr.text, json);
	cr_expect_eq(json_integer_value(json_object_get(json_object_get(
	    json_object_get(j, "counts"), "other"), "total")), 3, "%s", json);
	cr_expect_eq(json_object_size(json_object_get(j, "counts")), 1);
	cr_expect_eq(json_integer_value(json_object_get(json_object_get(j,
	    "counts_other"), "total")), 1, "%s", json);
	cr_expect_eq(json_integer_value(json_object_get(json_object_get(
	    json_object_get(j, "decided_by_outcome"), "other"), "agreed")), 3,
	    "%s", json);
	cr_expect_eq(json_integer_value(json_object_get(json_object_get(j,
	    "decided_by_outcome_other"), "agreed")), 1, "%s", json);
	json_decref(j);
	free(json);
	dipb_report_free(rep);

	rep = dipb_report_minutes(&o, NULL, NULL, ev, 4, r, 4, NULL);
	json = render(rep, DIPB_REPORT_JSON);
	j = json_loads(json, JSON_REJECT_DUPLICATES, &jerr);
	cr_assert(j != NULL, "%s: %s", jerr.text, json);
	cr_expect_eq(json_integer_value(json_object_get(json_object_get(
	    json_object_get(j, "summary"), "other"), "drafted")), 3, "%s",
	    json);
	cr_expect_eq(json_object_size(json_object_get(j, "summary")), 1);
	cr_expect_eq(json_integer_value(json_object_get(json_object_get(j,
	    "summary_other"), "drafted")), 1, "%s", json);
	json_decref(j);
	free(json);
	dipb_report_free(rep);
	for (i = 0; i < 4; i++)
		dipb_record_release(&r[i]);
	dipb_board_release(&b);
}

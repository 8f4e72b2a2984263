/*
 * text.c - the one text cleaner (text.h).
 */
#define _XOPEN_SOURCE 700	/* wcwidth */

#include <locale.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "text.h"
#include "util.h"

/* Length of the valid UTF-8 sequence at s (1..4), 0 when invalid. */
static size_t
utf8_len(const unsigned char *s, size_t avail)
{
	unsigned c = s[0], min, cp;
	size_t n, i;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2, cp = c & 0x1f, min = 0x80;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3, cp = c & 0x0f, min = 0x800;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4, cp = c & 0x07, min = 0x10000;
	else
		return 0;
	if (n > avail)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

/* The code point of the valid n-byte UTF-8 sequence at p. */
static unsigned
utf8_cp(const unsigned char *p, size_t n)
{
	unsigned cp;
	size_t i;

	if (n == 1)
		return p[0];
	cp = p[0] & (0xff >> (n + 1));
	for (i = 1; i < n; i++)
		cp = (cp << 6) | (p[i] & 0x3f);
	return cp;
}

size_t
dipb_text_nonchar(const char *s, size_t avail)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = utf8_len(p, avail);
	unsigned cp;

	if (n < 3)
		return 0;
	cp = utf8_cp(p, n);
	return (cp >= 0xfdd0 && cp <= 0xfdef) || (cp & 0xfffe) == 0xfffe ?
	    n : 0;
}

/*
 * The length in bytes of the bidirectional control (text.h) the avail
 * bytes at p begin with, 0 if none: U+061C (D8 9C), U+200E and U+200F
 * (E2 80 8E..8F), U+202A to U+202E (E2 80 AA..AE), U+2066 to U+2069
 * (E2 81 A6..A9).
 */
static size_t
bidi_len(const unsigned char *p, size_t avail)
{
	if (avail >= 2 && p[0] == 0xd8 && p[1] == 0x9c)
		return 2;
	if (avail < 3 || p[0] != 0xe2)
		return 0;
	if (p[1] == 0x80 && (p[2] == 0x8e || p[2] == 0x8f ||
	    (p[2] >= 0xaa && p[2] <= 0xae)))
		return 3;
	return p[1] == 0x81 && p[2] >= 0xa6 && p[2] <= 0xa9 ? 3 : 0;
}

/* What clean() turns into '?' beyond invalid UTF-8 and the controls. */
enum { NONCHAR = 1, KEEP_BIDI = 2 };

/* dipb_text_clean (text.h), and as flags say each noncharacter, each
 * bidirectional control. */
static char *
clean(const char *s, size_t len, int flags)
{
	const unsigned char *p = (const unsigned char *)s;
	char *out = xmalloc(len + 1), *o = out;
	size_t i = 0, n;

	while (i < len) {
		n = utf8_len(p + i, len - i);
		if (n == 0) {
			*o++ = '?';
			i++;
			continue;
		}
		if (n == 1 && ((p[i] < 0x20 && p[i] != '\n' && p[i] != '\t') ||
		    p[i] == 0x7f))
			*o++ = '?';
		else if (n == 2 && p[i] == 0xc2 && p[i + 1] < 0xa0)
			*o++ = '?';	/* C1 controls, U+0080..U+009F */
		else if (!(flags & KEEP_BIDI) && n > 1 &&
		    bidi_len(p + i, len - i) == n)
			*o++ = '?';	/* shown, not obeyed, as a C1 one */
		else if ((flags & NONCHAR) &&
		    dipb_text_nonchar(s + i, len - i) > 0)
			*o++ = '?';
		else {
			memcpy(o, p + i, n);
			o += n;
		}
		i += n;
	}
	*o = '\0';
	return out;
}

char *
dipb_text_clean(const char *s, size_t len)
{
	return clean(s, len, 0);
}

char *
dipb_text_clean_html(const char *s, size_t len)
{
	return clean(s, len, NONCHAR);
}

char *
dipb_text_clean_keep_bidi(const char *s, size_t len)
{
	return clean(s, len, KEEP_BIDI);
}

/*
 * Whether the NUL-terminated p begins with U+2028 LINE SEPARATOR or
 * U+2029 PARAGRAPH SEPARATOR (E2 80 A8, E2 80 A9): line breaks to
 * Python's splitlines and JavaScript, so no more one line than NEL.
 */
static int
line_sep(const unsigned char *p)
{
	return p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9);
}

/* dipb_text_clean, with each '\n' and '\t' made into to and each line
 * separator into '?' (text.h). */
static char *
clean_to(const char *s, size_t len, char to)
{
	char *c = dipb_text_clean(s, len), *p, *o;

	for (p = o = c; *p != '\0'; p++)
		if (line_sep((const unsigned char *)p)) {
			*o++ = '?';
			p += 2;
		} else
			*o++ = *p == '\n' || *p == '\t' ? to : *p;
	*o = '\0';
	return c;
}

char *
dipb_text_clean_line(const char *s)
{
	return s != NULL ? clean_to(s, strlen(s), '?') : xstrdup("");
}

int
dipb_text_shown_as_is(const char *s)
{
	char *c = dipb_text_clean_line(s);
	int same = strcmp(c, s) == 0;

	free(c);
	return same;
}

char *
dipb_text_clean_field(const char *s, size_t len)
{
	return clean_to(s, len, ' ');
}

/* A control character as the cleaner sees one (text.h). */
static int
is_control(unsigned cp, int lines)
{
	if (cp == 0x2028 || cp == 0x2029)
		return lines == DIPB_TEXT_LINE;
	if (cp == '\n' || cp == '\t')
		return lines != DIPB_TEXT_LINES;
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
}

/*
 * Whether s has a byte that may start a control character: one below
 * 0x20 (but '\n' and '\t' where lines are allowed) or 0x7F, 0xC2, the
 * lead byte of U+0080..U+009F, or where lines are not, a line separator
 * (line_sep; not by its lead byte E2 alone, which begins dashes and
 * quotation marks).  A text without one, nearly every text, is
 * passed over in one scan of its bytes rather than decoded a character at
 * a time: dipb verify looks through every record of the history.
 */
static int
may_hold_control(const unsigned char *p, int lines)
{
	/* Those bytes, and NUL: a load and a test for every other byte. */
	static const unsigned char suspect[256] = {
		1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,	/* 0x00 */
		1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,	/* 0x10 */
		[0x7f] = 1, [0xc2] = 1, [0xe2] = 1,
	};

	for (;; p++) {
		while (!suspect[*p])
			p++;
		if (*p == '\0')
			return 0;
		if (*p == 0xe2 ? lines == DIPB_TEXT_LINE && line_sep(p) :
		    !(lines == DIPB_TEXT_LINES && (*p == '\n' || *p == '\t')))
			return 1;
	}
}

int
dipb_text_find_control(size_t *at, unsigned *cp, const char *s, int lines)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n, len, chars = 0;

	if (!may_hold_control(p, lines))
		return 0;
	for (len = strlen(s); i < len; i += n, chars++) {
		if ((n = utf8_len(p + i, len - i)) == 0) {
			n = 1;
			continue;
		}
		*cp = utf8_cp(p + i, n);
		if (is_control(*cp, lines)) {
			*at = chars;
			return 1;
		}
	}
	return 0;
}

/*
 * Each of them holds the byte E2 (its first) or 9C (ALM's second, after
 * D8): found by those (strpbrk), not by decoding every character, since
 * validate looks through every field of every record for them.  Not by
 * D8, which begins most Arabic letters: a search started again at each
 * one cost dense Arabic text a fifth more time; 9C is ALM's alone among
 * them.  bidi_len is given 3 bytes: it tests them in order, and the NUL
 * that ends s fails its test before a byte past it would be read.
 */
int
dipb_text_find_bidi(size_t *at, unsigned *cp, const char *s)
{
	const unsigned char *p;
	const char *q;
	size_t i, n;

	for (q = strpbrk(s, "\xe2\x9c"); q != NULL; q = strpbrk(q + 1,
	    "\xe2\x9c")) {
		p = (const unsigned char *)q;
		if (*p == 0x9c && (q == s || *--p != 0xd8))
			continue;
		if ((n = bidi_len(p, 3)) == 0)
			continue;
		*cp = utf8_cp(p, n);
		/* Its index in characters: the bytes that begin one. */
		for (*at = 0, i = 0; s + i < (const char *)p; i++)
			*at += ((unsigned char)s[i] & 0xc0) != 0x80;
		return 1;
	}
	return 0;
}

unsigned
dipb_text_find_space(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, len = strlen(s), n;
	unsigned cp;

	while (i < len) {
		if ((n = utf8_len(p + i, len - i)) == 0) {
			i++;
			continue;
		}
		cp = utf8_cp(p + i, n);
		if (cp == 0xa0 || cp == 0x1680 || (cp >= 0x2000 &&
		    cp <= 0x200a) || cp == 0x202f || cp == 0x205f ||
		    cp == 0x3000)
			return cp;
		i += n;
	}
	return 0;
}

char *
dipb_text_json(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	struct dipb_buf b = DIPB_BUF_INIT;
	size_t i = 0, n;
	unsigned cp;

	while (i < len) {
		n = utf8_len(p + i, len - i);
		if (n == 0)
			n = 1;
		else if ((cp = utf8_cp(p + i, n)) == 0x7f ||
		    (cp >= 0x80 && cp <= 0x9f) || (n > 1 &&
		    bidi_len(p + i, len - i) == n)) {
			/* Valid JSON: these stand only inside strings. */
			dipb_buf_printf(&b, "\\u%04X", cp);
			i += n;
			continue;
		}
		dipb_buf_put(&b, s + i, n);
		i += n;
	}
	return b.ptr != NULL ? dipb_buf_detach(&b) : xstrdup("");
}

int
dipb_text_plain(const char *s, size_t len)
{
	const uint64_t ones = 0x0101010101010101ULL, high = ones * 0x80;
	const unsigned char *p = (const unsigned char *)s;
	uint64_t w, v;
	size_t n;

	/*
	 * Sixteen bytes at a time, in two words: a byte has its high bit
	 * set in w itself (0x80 on), in w + 1 (0x7f) or in w - 0x20
	 * (below 0x20).  A carry or a borrow crosses into the next byte
	 * only out of a byte that is one of those already.
	 */
	for (n = 0; n + 16 <= len; n += 16) {
		memcpy(&w, p + n, 8);
		memcpy(&v, p + n + 8, 8);
		if (((w | (w + ones) | (w - ones * 0x20) | v | (v + ones) |
		    (v - ones * 0x20)) & high) != 0)
			return 0;
	}
	if (len >= 8 && n < len) {
		/* The rest in the word at n and the last word (they may meet). */
		memcpy(&w, p + (len - n >= 8 ? n : len - 8), 8);
		memcpy(&v, p + len - 8, 8);
		return ((w | (w + ones) | (w - ones * 0x20) | v | (v + ones) |
		    (v - ones * 0x20)) & high) == 0;
	}
	for (; n < len; n++)
		if (p[n] < 0x20 || p[n] >= 0x7f)
			return 0;
	return 1;
}

int
dipb_text_blank(const char *s)
{
	return s == NULL || s[strspn(s, " \t\r\n")] == '\0';
}

/*
 * The columns of a character are the C library's, wcwidth(3) in the
 * C.UTF-8 locale, as a terminal's programs count them, whatever the
 * user's locale (dipb's text is UTF-8 always).  Read through a locale
 * object of its own, for this thread only, so that nothing else of
 * dipb depends on a locale.  Opened once; without it (a C library
 * with no C.UTF-8), one column a character.
 */
static locale_t utf8_ctype;
static pthread_once_t utf8_once = PTHREAD_ONCE_INIT;

static void
utf8_ctype_open(void)
{
	utf8_ctype = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
}

size_t
dipb_text_width(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t w = 0, i, n, len = strlen(s);
	locale_t was = (locale_t)0;
	int cw;

	(void)pthread_once(&utf8_once, utf8_ctype_open);
	if (utf8_ctype != (locale_t)0)
		was = uselocale(utf8_ctype);
	for (i = 0; i < len; i += n) {
		/* A byte that is no UTF-8 is shown as one '?'. */
		if ((n = utf8_len(p + i, len - i)) == 0) {
			n = 1;
			w++;
			continue;
		}
		/* What cannot be printed is shown as '?' too. */
		cw = utf8_ctype != (locale_t)0 ?
		    wcwidth((wchar_t)utf8_cp(p + i, n)) : 1;
		w += cw < 0 ? 1 : (size_t)cw;
	}
	if (was != (locale_t)0)
		(void)uselocale(was);
	return w;
}

/*
 * text.c - the one text cleaner (text.h).
 */
#include <stdlib.h>
#include <string.h>

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

char *
dipb_text_clean(const char *s, size_t len)
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
dipb_text_clean_line(const char *s)
{
	char *c, *p;

	if (s == NULL)
		return xstrdup("");
	c = dipb_text_clean(s, strlen(s));
	for (p = c; *p != '\0'; p++)
		if (*p == '\n' || *p == '\t')
			*p = '?';
	return c;
}

/*
 * escape.c - the escapers of dipb report, one per format (escape.h).
 */
#include <string.h>

#include "escape.h"

void
dipb_html_escape(struct dipb_buf *b, const char *s)
{
	for (; s != NULL && *s != '\0'; s++)
		switch (*s) {
		case '&':
			dipb_buf_puts(b, "&amp;");
			break;
		case '<':
			dipb_buf_puts(b, "&lt;");
			break;
		case '>':
			dipb_buf_puts(b, "&gt;");
			break;
		case '"':
			dipb_buf_puts(b, "&quot;");
			break;
		case '\'':
			dipb_buf_puts(b, "&#39;");
			break;
		default:
			dipb_buf_putc(b, *s);
		}
}

void
dipb_md_escape(struct dipb_buf *b, const char *s)
{
	for (; s != NULL && *s != '\0'; s++) {
		if (*s == '\n' || *s == '\r' || *s == '\t') {
			dipb_buf_putc(b, ' ');
			continue;
		}
		if (strchr("\\`*_[]<>#|!&~", *s) != NULL)
			dipb_buf_putc(b, '\\');
		dipb_buf_putc(b, *s);
	}
}

void
dipb_md_escape_lead(struct dipb_buf *b, const char *s)
{
	size_t n;

	if (s == NULL)
		return;
	/* Blanks begin no text; four of them would begin a code block. */
	s += strspn(s, " \t\n\r");
	n = strspn(s, "0123456789");
	if (*s == '-' || *s == '+')
		dipb_buf_putc(b, '\\');
	else if (n > 0 && (s[n] == '.' || s[n] == ')')) {
		/* "2024. Defence Production Action Plan": no list. */
		dipb_buf_put(b, s, n);
		dipb_buf_putc(b, '\\');
		s += n;
	}
	dipb_md_escape(b, s);
}

void
dipb_roff_escape(struct dipb_buf *b, const char *s)
{
	dipb_buf_puts(b, "\\&");
	for (; s != NULL && *s != '\0'; s++) {
		if (*s == '\\')
			dipb_buf_puts(b, "\\e");
		else if (*s == '\n' || *s == '\r' || *s == '\t')
			dipb_buf_putc(b, ' ');
		else
			dipb_buf_putc(b, *s);
	}
}

void
dipb_latex_escape(struct dipb_buf *b, const char *s)
{
	for (; s != NULL && *s != '\0'; s++)
		switch (*s) {
		case '\\':
			dipb_buf_puts(b, "\\textbackslash{}");
			break;
		case '{': case '}': case '$': case '&': case '#': case '_':
		case '%':
			dipb_buf_putc(b, '\\');
			dipb_buf_putc(b, *s);
			break;
		case '~':
			dipb_buf_puts(b, "\\textasciitilde{}");
			break;
		case '^':
			dipb_buf_puts(b, "\\textasciicircum{}");
			break;
		case '<':
			dipb_buf_puts(b, "\\textless{}");
			break;
		case '>':
			dipb_buf_puts(b, "\\textgreater{}");
			break;
		case '\n': case '\r': case '\t':
			dipb_buf_putc(b, ' ');
			break;
		case '`':
			dipb_buf_puts(b, "\\textasciigrave{}");
			break;
		case '\'':
			dipb_buf_puts(b, "\\textquotesingle{}");
			break;
		case '-': case ',':
			/* No ligature: "--" is no dash, ",," no quote (cmark's
			 * renderer breaks "--" in the text so too). */
			dipb_buf_putc(b, *s);
			if (s[1] == *s)
				dipb_buf_puts(b, "{}");
			break;
		default:
			dipb_buf_putc(b, *s);
		}
}

void
dipb_latex_alltt_escape(struct dipb_buf *b, const char *s)
{
	for (; s != NULL && *s != '\0'; s++)
		switch (*s) {
		case '\\':
			dipb_buf_puts(b, "\\char92{}");
			break;
		case '{': case '}':
			dipb_buf_putc(b, '\\');
			dipb_buf_putc(b, *s);
			break;
		default:
			dipb_buf_putc(b, *s);
			/* No ligature of the typewriter font ("!`" an inverted
			 * mark, ",," a low quote): those LaTeX's verbatim
			 * turns off, an empty group between. */
			if ((strchr("!?", *s) != NULL && s[1] == '`') ||
			    (strchr("`<>,'-", *s) != NULL && s[1] != '\0' &&
			    strchr("`<>,'-", s[1]) != NULL))
				dipb_buf_puts(b, "{}");
		}
}

/*
 * trailer.c - the trailers of a commit message, by git's rules
 * (trailer.h).
 *
 * Lines are scanned as git-interpret-trailers(1) describes: the title
 * (first paragraph) is skipped, the end of the message is cut at a
 * "---" line or git's cut line and before trailing comments, then the
 * last paragraph is read backwards to decide whether it is a trailer
 * block.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "trailer.h"
#include "util.h"

/* What git itself writes, which makes a mostly-free-text block count. */
static const char *const git_prefixes[] = {
	"Signed-off-by: ", "(cherry picked from commit ", NULL
};

/* git's own isspace(): not '\v' nor '\f', which are text to git. */
static int
blank(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The end of the line at p (after its '\n', or end). */
static const char *
next_line(const char *p, const char *end)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));

	return nl != NULL ? nl + 1 : end;
}

/* The start of the line before the one at p (p > start). */
static const char *
prev_line(const char *start, const char *p)
{
	p--;			/* on the '\n' ending that line, or its end */
	while (p > start && p[-1] != '\n')
		p--;
	return p;
}

static int
blank_line(const char *p, const char *end)
{
	for (; p < end && *p != '\n'; p++)
		if (!blank((unsigned char)*p))
			return 0;
	return 1;
}

static int
starts(const char *p, const char *end, const char *s)
{
	size_t n = strlen(s);

	return (size_t)(end - p) >= n && memcmp(p, s, n) == 0;
}

/* git's isalnum(), in every locale: ASCII letters and digits. */
static int
keychar(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9');
}

/*
 * The offset of the ':' of a trailer line, -1 when the line is none: a
 * key of letters, digits and '-' at the start, then only blanks.
 */
static long
separator(const char *p, const char *end)
{
	const char *s;
	int ws = 0;

	for (s = p; s < end && *s != '\n'; s++) {
		if (*s == ':')
			return s == p ? -1 : (long)(s - p);
		if (!ws && (keychar(*s) || *s == '-'))
			continue;
		if (s != p && (*s == ' ' || *s == '\t')) {
			ws = 1;
			continue;
		}
		break;
	}
	return -1;
}

/*
 * git's cut line, which git commit --verbose writes above the diff: the
 * comment character, a space and this text, the whole line with its
 * newline (wt_status_locate_end in git).  What follows it is no part of
 * the message.
 */
#define CUT_LINE DIPB_TRAILER_CUT "\n"

/*
 * The end of the log message: before a line "---<blank>" (a patch
 * follows) or git's cut line, whichever comes first, then before the
 * trailing run of comment lines, empty lines and an old "Conflicts:"
 * list.  (git 2.39 loops for ever on a cut line below a "---" line; the
 * first of the two is where it stops otherwise.)
 */
static const char *
message_end(const char *msg, const char *end)
{
	const char *p, *run = NULL;
	int conflicts = 0;

	for (p = msg; p < end; p = next_line(p, end))
		if ((starts(p, end, "---") && p + 3 < end &&
		    blank((unsigned char)p[3])) || starts(p, end, CUT_LINE)) {
			end = p;
			break;
		}
	for (p = msg; p < end; p = next_line(p, end)) {
		if (*p == '#' || *p == '\n') {
			if (run == NULL)
				run = p;
		} else if (starts(p, end, "Conflicts:\n")) {
			conflicts = 1;
			if (run == NULL)
				run = p;
		} else if (conflicts && *p == '\t')
			;
		else {
			run = NULL;
			conflicts = 0;
		}
	}
	return run != NULL ? run : end;
}

/* Where the trailer block of [msg, end) starts; end when there is none. */
static const char *
block_start(const char *msg, const char *end)
{
	const char *title, *p;
	size_t trailers = 0, others = 0, cont = 0;
	int only_blank = 1, known = 0;
	const char *const *g;
	long sep;

	for (title = msg; title < end; title = next_line(title, end))
		if (*title != '#' && blank_line(title, end))
			break;
	for (p = end; p > title; ) {
		p = prev_line(msg, p);
		if (p < title)
			break;
		if (*p == '#') {
			others += cont;
			cont = 0;
			continue;
		}
		if (blank_line(p, end)) {
			if (only_blank)
				continue;
			others += cont;
			if ((known && trailers * 3 >= others) ||
			    (trailers > 0 && others == 0))
				return next_line(p, end);
			return end;
		}
		only_blank = 0;
		for (g = git_prefixes; *g != NULL; g++)
			if (starts(p, end, *g))
				break;
		if (*g != NULL) {
			trailers++;
			cont = 0;
			known = 1;
			continue;
		}
		sep = separator(p, end);
		if (sep >= 1 && !blank((unsigned char)*p)) {
			trailers++;
			cont = 0;
		} else if (blank((unsigned char)*p))
			cont++;
		else {
			others += 1 + cont;
			cont = 0;
		}
	}
	return end;
}

/* Trims blanks at both ends of [*s, *s + *n). */
static void
trim(const char **s, size_t *n)
{
	while (*n > 0 && blank((unsigned char)**s))
		(*s)++, (*n)--;
	while (*n > 0 && blank((unsigned char)(*s)[*n - 1]))
		(*n)--;
}

/* The value [s, s + n) unfolded: each line break and the blanks after
 * it become one space, then trimmed. */
static char *
unfold(const char *s, size_t n)
{
	char *out = xmalloc(n + 1), *o = out;
	const char *end = s + n, *t;
	size_t len;

	while (s < end) {
		if (*s == '\n') {
			for (s++; s < end && blank((unsigned char)*s); s++)
				;
			*o++ = ' ';
		} else
			*o++ = *s++;
	}
	*o = '\0';
	t = out;
	len = (size_t)(o - out);
	trim(&t, &len);
	memmove(out, t, len);
	out[len] = '\0';
	return out;
}

static void
add(struct dipb_trailers *out, const char *line, const char *lend)
{
	struct dipb_trailer *t;
	const char *k = line, *v;
	size_t kn, vn;
	long sep = separator(line, lend);

	if (sep < 1)
		return;		/* a line of free text in the block */
	kn = (size_t)sep;
	trim(&k, &kn);
	v = line + sep + 1;
	vn = (size_t)(lend - v);
	xgrow((void **)&out->v, &out->cap, out->n + 1, sizeof(*out->v));
	t = &out->v[out->n++];
	t->key = xstrndup(k, kn);
	t->value = unfold(v, vn);
}

void
dipb_trailers_parse(struct dipb_trailers *out, const char *msg, size_t len)
{
	const char *end, *start, *p, *line = NULL, *lend = NULL;

	memset(out, 0, sizeof(*out));
	end = message_end(msg, msg + len);
	start = block_start(msg, end);
	out->start = (size_t)(start - msg);
	out->end = (size_t)(end - msg);
	if (start == end) {
		out->start = out->end;
		return;
	}
	/* Each trailer with the lines that continue it. */
	for (p = start; p < end; p = next_line(p, end)) {
		if (*p != '#' && line != NULL && blank((unsigned char)*p) &&
		    !blank_line(p, end)) {
			lend = memchr(p, '\n', (size_t)(end - p));
			lend = lend != NULL ? lend : end;
			continue;
		}
		/* A comment ends the trailer above: git continues none
		 * across it. */
		if (line != NULL)
			add(out, line, lend);
		line = NULL;
		if (*p != '#' && separator(p, end) >= 1 &&
		    !blank((unsigned char)*p)) {
			line = p;
			lend = memchr(p, '\n', (size_t)(end - p));
			lend = lend != NULL ? lend : end;
		}
	}
	if (line != NULL)
		add(out, line, lend);
}

void
dipb_trailers_release(struct dipb_trailers *t)
{
	size_t i;

	for (i = 0; i < t->n; i++) {
		free(t->v[i].key);
		free(t->v[i].value);
	}
	free(t->v);
	memset(t, 0, sizeof(*t));
}

size_t
dipb_trailers_get(const char **value, const struct dipb_trailers *t,
    const char *key)
{
	size_t i, n = 0;

	if (value != NULL)
		*value = NULL;
	for (i = 0; i < t->n; i++)
		if (strcasecmp(t->v[i].key, key) == 0) {
			n++;
			if (value != NULL)
				*value = t->v[i].value;
		}
	return n;
}

/* --- The subject and the body ---------------------------------------- */

/* p past the lines that hold only git's blanks (git's skip_blank_lines). */
static const char *
skip_blank_lines(const char *p, const char *end)
{
	while (p < end && blank_line(p, end))
		p = next_line(p, end);
	return p;
}

char *
dipb_message_title(size_t *rest, const char *msg, size_t len)
{
	const char *p = msg, *end = msg + len, *e;
	struct dipb_buf subj = DIPB_BUF_INIT;
	char *out;
	size_t n;

	/*
	 * git's format_subject: the lines of the first paragraph, each
	 * without its trailing blanks (its leading ones kept), joined by a
	 * space; the blank line that ends it read too.
	 */
	for (p = skip_blank_lines(p, end); p < end; p = e) {
		e = next_line(p, end);
		n = (size_t)(e - p);
		while (n > 0 && blank((unsigned char)p[n - 1]))
			n--;
		if (n == 0) {
			p = e;
			break;
		}
		if (subj.len > 0)
			dipb_buf_putc(&subj, ' ');
		dipb_buf_put(&subj, p, n);
	}
	if (rest != NULL)
		*rest = (size_t)(p - msg);
	out = xstrndup(dipb_buf_cstr(&subj), subj.len);
	dipb_buf_release(&subj);
	return out;
}

const char *
dipb_message_body(size_t *n, const char *msg, size_t len,
    const struct dipb_trailers *t)
{
	struct dipb_trailers own;
	const char *body, *end = msg + len;
	size_t rest;

	free(dipb_message_title(&rest, msg, len));
	if (t == NULL) {
		dipb_trailers_parse(&own, msg, len);
		t = &own;
	}
	if (t->n > 0 && t->start >= rest)
		end = msg + t->start;
	if (t == &own)
		dipb_trailers_release(&own);
	/* git's %b from the first line that is not blank, its indent kept;
	 * the blanks at its end, and the trailers after, left out. */
	body = skip_blank_lines(msg + rest, end);
	*n = end > body ? (size_t)(end - body) : 0;
	while (*n > 0 && blank((unsigned char)body[*n - 1]))
		(*n)--;
	return body;
}

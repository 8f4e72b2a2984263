/*
 * diag.c - collecting, sorting and printing diagnostics.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "diag.h"

void
dipb_diags_init(struct dipb_diags *d)
{
	memset(d, 0, sizeof(*d));
}

void
dipb_diags_release(struct dipb_diags *d)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		free(d->v[i].path);
		free(d->v[i].msg);
	}
	free(d->v);
	dipb_diags_init(d);
}

static void
push(struct dipb_diags *d, const struct dipb_diag *x)
{
	xgrow((void **)&d->v, &d->cap, d->n + 1, sizeof(*d->v));
	d->v[d->n++] = *x;
	if (x->sev == DIPB_SEV_ERROR)
		d->nerrors++;
	else
		d->nwarnings++;
}

void
dipb_diags_add(struct dipb_diags *d, const char *path, unsigned line,
    unsigned col, enum dipb_severity sev, const char *rule,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	dipb_diags_vadd(d, path, line, col, sev, rule, fmt, ap);
	va_end(ap);
}

void
dipb_diags_vadd(struct dipb_diags *d, const char *path, unsigned line,
    unsigned col, enum dipb_severity sev, const char *rule,
    const char *fmt, va_list ap)
{
	struct dipb_diag x;

	x.msg = xvasprintf(fmt, ap);
	x.path = xstrdup(path != NULL ? path : "-");
	x.line = line;
	x.col = col;
	x.sev = sev;
	x.rule = rule;
	push(d, &x);
}

void
dipb_diags_move(struct dipb_diags *dst, struct dipb_diags *src)
{
	size_t i;

	for (i = 0; i < src->n; i++)
		push(dst, &src->v[i]);
	free(src->v);
	dipb_diags_init(src);
}

static int
cmpdiag(const void *a, const void *b)
{
	const struct dipb_diag *x = a, *y = b;
	int c;

	if ((c = strcmp(x->path, y->path)) != 0)
		return c;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return 0;
}

/* qsort is not stable: sort an index array tie-broken by position. */
struct sortkey {
	const struct dipb_diag	*d;
	size_t			 i;
};

static int
cmpkey(const void *a, const void *b)
{
	const struct sortkey *x = a, *y = b;
	int c = cmpdiag(x->d, y->d);

	if (c != 0)
		return c;
	return x->i < y->i ? -1 : x->i > y->i;
}

void
dipb_diags_sort(struct dipb_diags *d)
{
	struct sortkey *k;
	struct dipb_diag *v;
	size_t i;

	if (d->n < 2)
		return;
	k = xcalloc(d->n, sizeof(*k));
	for (i = 0; i < d->n; i++) {
		k[i].d = &d->v[i];
		k[i].i = i;
	}
	qsort(k, d->n, sizeof(*k), cmpkey);
	v = xcalloc(d->cap, sizeof(*v));
	for (i = 0; i < d->n; i++)
		v[i] = *k[i].d;
	free(d->v);
	d->v = v;
	free(k);
}

static const char *
sevname(enum dipb_severity s)
{
	return s == DIPB_SEV_ERROR ? "error" : "warning";
}

void
dipb_gh_escape(FILE *fp, const char *s, int property)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '%':
			fputs("%25", fp);
			break;
		case '\r':
			fputs("%0D", fp);
			break;
		case '\n':
			fputs("%0A", fp);
			break;
		case ':':
			fputs(property ? "%3A" : ":", fp);
			break;
		case ',':
			fputs(property ? "%2C" : ",", fp);
			break;
		default:
			fputc(*s, fp);
		}
	}
}

static void
print_json(FILE *fp, const struct dipb_diag *x)
{
	json_t *o;
	char *s;

	o = json_pack("{s:s, s:I, s:I, s:s, s:s, s:s}", "file", x->path,
	    "line", (json_int_t)x->line, "column", (json_int_t)x->col,
	    "severity", sevname(x->sev), "rule", x->rule != NULL ? x->rule : "",
	    "message", x->msg);
	if (o == NULL)
		return;
	s = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII);
	if (s != NULL) {
		fputs(s, fp);
		fputc('\n', fp);
		free(s);
	}
	json_decref(o);
}

void
dipb_diags_print(FILE *fp, const struct dipb_diags *d,
    enum dipb_diag_format fmt)
{
	const struct dipb_diag *x;
	size_t i;

	for (i = 0; i < d->n; i++) {
		x = &d->v[i];
		switch (fmt) {
		case DIPB_DIAG_GCC:
			fprintf(fp, "%s:%u:%u: %s: %s", x->path, x->line,
			    x->col, sevname(x->sev), x->msg);
			if (x->rule != NULL)
				fprintf(fp, " [%s]", x->rule);
			fputc('\n', fp);
			break;
		case DIPB_DIAG_JSON:
			print_json(fp, x);
			break;
		case DIPB_DIAG_JUNIT:
			dipb_diags_print_junit(fp, d, NULL, 0, 0);
			return;
		case DIPB_DIAG_GITHUB:
			fprintf(fp, "::%s file=", sevname(x->sev));
			dipb_gh_escape(fp, x->path, 1);
			fprintf(fp, ",line=%u,col=%u", x->line, x->col);
			if (x->rule != NULL) {
				fputs(",title=", fp);
				dipb_gh_escape(fp, x->rule, 1);
			}
			fputs("::", fp);
			dipb_gh_escape(fp, x->msg, 0);
			fputc('\n', fp);
			break;
		}
	}
}

/*
 * XML 1.0 holds no control characters but tab, LF and CR, even escaped,
 * and only valid UTF-8 here: anything else becomes '?'.  Tab, LF and CR
 * are character references in attributes (a parser would make spaces of
 * them), CR also in text (a parser would make it LF).
 */
static void
xml_escape(FILE *fp, const char *s, int attr)
{
	size_t n;
	unsigned char c;

	while (*s != '\0') {
		c = (unsigned char)*s;
		n = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
		if (n > 1) {
			if (strnlen(s, n) < n || !dipb_utf8_valid(s, n)) {
				fputc('?', fp);
				s++;
			} else {
				fwrite(s, 1, n, fp);
				s += n;
			}
			continue;
		}
		switch (c) {
		case '&':
			fputs("&amp;", fp);
			break;
		case '<':
			fputs("&lt;", fp);
			break;
		case '>':
			fputs("&gt;", fp);
			break;
		case '"':
			fputs("&quot;", fp);
			break;
		case '\'':
			fputs("&apos;", fp);
			break;
		case '\t':
		case '\n':
			if (attr)
				fprintf(fp, "&#%d;", c);
			else
				fputc(c, fp);
			break;
		case '\r':
			fputs("&#13;", fp);
			break;
		default:
			fputc(c < 0x20 ? '?' : c, fp);
		}
		s++;
	}
}

static void
junit_line(FILE *fp, const struct dipb_diag *x)
{
	char *line;

	line = xasprintf("%s:%u:%u: %s: %s%s%s%s\n", x->path, x->line, x->col,
	    sevname(x->sev), x->msg, x->rule != NULL ? " [" : "",
	    x->rule != NULL ? x->rule : "", x->rule != NULL ? "]" : "");
	xml_escape(fp, line, 0);
	free(line);
}

static int
cmpstrp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Diagnostics by path, keeping their order within a path. */
static int
cmpdiagp(const void *a, const void *b)
{
	const struct dipb_diag *x = *(const struct dipb_diag *const *)a;
	const struct dipb_diag *y = *(const struct dipb_diag *const *)b;
	int c = strcmp(x->path, y->path);

	if (c != 0)
		return c;
	return x < y ? -1 : x > y;
}

static void
junit_case(FILE *fp, const char *path, const struct dipb_diag *const *v,
    size_t n, int warnings_fail)
{
	size_t i, nerr = 0, nwarn = 0;

	for (i = 0; i < n; i++) {
		if (v[i]->sev == DIPB_SEV_ERROR)
			nerr++;
		else
			nwarn++;
	}
	fputs("    <testcase classname=\"dipb.validate\" name=\"", fp);
	xml_escape(fp, path, 1);
	fputs("\" file=\"", fp);
	xml_escape(fp, path, 1);
	if (n == 0) {
		fputs("\"/>\n", fp);
		return;
	}
	fputs("\">\n", fp);
	if (nerr > 0 || warnings_fail)
		fprintf(fp, "      <failure type=\"%s\" message=\"%zu "
		    "error%s, %zu warning%s\">", nerr > 0 ? "error" : "warning",
		    nerr, nerr == 1 ? "" : "s", nwarn, nwarn == 1 ? "" : "s");
	else
		fputs("      <system-out>", fp);
	for (i = 0; i < n; i++)
		junit_line(fp, v[i]);
	fputs(nerr > 0 || warnings_fail ? "</failure>\n" : "</system-out>\n",
	    fp);
	fputs("    </testcase>\n", fp);
}

void
dipb_diags_print_junit(FILE *fp, const struct dipb_diags *d,
    const char *const *files, size_t nfiles, int warnings_fail)
{
	const struct dipb_diag **dv;
	const char **paths;
	size_t i, j, k, n = 0, nfail = 0;
	int fail;

	paths = xcalloc(nfiles + d->n + 1, sizeof(*paths));
	for (i = 0; i < nfiles; i++)
		paths[n++] = files[i];
	dv = xcalloc(d->n + 1, sizeof(*dv));
	for (i = 0; i < d->n; i++) {
		dv[i] = &d->v[i];
		paths[n++] = d->v[i].path;
	}
	if (n > 1)
		qsort(paths, n, sizeof(*paths), cmpstrp);
	for (i = j = 0; i < n; i++)
		if (j == 0 || strcmp(paths[j - 1], paths[i]) != 0)
			paths[j++] = paths[i];
	n = j;
	if (d->n > 1)
		qsort(dv, d->n, sizeof(*dv), cmpdiagp);
	for (j = 0; j < d->n; j = k) {
		fail = 0;
		for (k = j; k < d->n && strcmp(dv[k]->path, dv[j]->path) == 0;
		    k++)
			if (dv[k]->sev == DIPB_SEV_ERROR || warnings_fail)
				fail = 1;
		nfail += fail;
	}
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", fp);
	fprintf(fp, "<testsuites name=\"dipb validate\" tests=\"%zu\" "
	    "failures=\"%zu\" errors=\"0\">\n", n, nfail);
	fprintf(fp, "  <testsuite name=\"dipb validate\" tests=\"%zu\" "
	    "failures=\"%zu\" errors=\"0\" skipped=\"0\">\n", n, nfail);
	for (i = j = 0; i < n; i++) {
		for (k = j; k < d->n && strcmp(dv[k]->path, paths[i]) == 0;
		    k++)
			continue;
		junit_case(fp, paths[i], dv + j, k - j, warnings_fail);
		j = k;
	}
	fputs("  </testsuite>\n</testsuites>\n", fp);
	free(dv);
	free(paths);
}

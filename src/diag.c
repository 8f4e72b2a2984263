/*
 * diag.c - collecting, sorting and printing diagnostics.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "diag.h"
#include "text.h"

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

void
dipb_say(FILE *fp, const char *fmt, ...)
{
	va_list ap;
	char *raw, *clean;

	va_start(ap, fmt);
	raw = xvasprintf(fmt, ap);
	va_end(ap);
	clean = dipb_text_clean(raw, strlen(raw));
	fputs(clean, fp);
	free(clean);
	free(raw);
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
dipb_gh_escape(FILE *fp, const char *str, int property)
{
	char *clean, *s;
	size_t n;

	/* Cleaned a line at a time, CR kept as GitHub's %0D. */
	for (;;) {
		n = strcspn(str, "\r");
		clean = dipb_text_clean(str, n);
		for (s = clean; *s != '\0'; s++) {
			switch (*s) {
			case '%':
				fputs("%25", fp);
				break;
			case '\n':
				fputs("%0A", fp);
				break;
			case '\t':
				/* A property is one line: as a control. */
				fputs(property ? "?" : "\t", fp);
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
		free(clean);
		if (str[n] == '\0')
			break;
		fputs("%0D", fp);
		str += n + 1;
	}
}

/*
 * jansson takes only UTF-8: a byte that is not (a file name can hold any)
 * becomes '?', as in the other formats, rather than the whole string
 * being refused.
 */
json_t *
dipb_json_string(const char *s)
{
	json_t *j;
	char *t;
	size_t i, k, len;
	unsigned char c;

	if ((j = json_string(s)) != NULL)
		return j;
	len = strlen(s);
	t = xmalloc(len + 1);
	for (i = 0; i < len; ) {
		c = (unsigned char)s[i];
		k = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
		if (i + k > len || !dipb_utf8_valid(s + i, k)) {
			t[i] = '?';
			i++;
		} else {
			memcpy(t + i, s + i, k);
			i += k;
		}
	}
	t[len] = '\0';
	j = json_string(t);
	free(t);
	return j != NULL ? j : json_string("?");
}

static void
print_json(FILE *fp, const struct dipb_diag *x)
{
	json_t *o;
	char *s;

	o = json_pack("{s:o, s:I, s:I, s:s, s:o, s:o}", "file",
	    dipb_json_string(x->path), "line", (json_int_t)x->line, "column",
	    (json_int_t)x->col, "severity", sevname(x->sev), "rule",
	    dipb_json_string(x->rule != NULL ? x->rule : ""), "message",
	    dipb_json_string(x->msg));
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
	char *path, *msg;
	size_t i;

	for (i = 0; i < d->n; i++) {
		x = &d->v[i];
		switch (fmt) {
		case DIPB_DIAG_GCC:
			/*
			 * A path is a file name anyone who pushes chose, and
			 * a message may quote one (duplicate-id): a line for
			 * a terminal, shown with '?' for each control
			 * character rather than obeyed, as verify shows
			 * them (dipb-validate(1)).
			 */
			path = dipb_text_clean_line(x->path);
			msg = dipb_text_clean_line(x->msg);
			fprintf(fp, "%s:%u:%u: %s: %s", path, x->line,
			    x->col, sevname(x->sev), msg);
			free(path);
			free(msg);
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
			/*
			 * GitHub counts lines and columns from 1: a problem
			 * of the whole file (line 0: empty, unreadable) is
			 * an annotation of the file, as in SARIF.
			 */
			if (x->line > 0) {
				fprintf(fp, ",line=%u", x->line);
				if (x->col > 0)
					fprintf(fp, ",col=%u", x->col);
			}
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
 * XML 1.0 holds no C0 control characters but tab, LF and CR, even
 * escaped, nor U+FFFE and U+FFFF (its Char), and only valid UTF-8 here:
 * anything else becomes '?', and so do DEL and the C1 controls, which it
 * holds but a terminal showing the report may obey, and the other
 * noncharacters, as in an HTML report (text.h; dipb-validate(1)).
 * Tab, LF and CR are character references in attributes (a parser would
 * make spaces of them), CR also in text (a parser would make it LF).
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
			} else if ((n == 2 && c == 0xc2 &&
			    (unsigned char)s[1] < 0xa0) ||
			    dipb_text_nonchar(s, n) > 0) {
				/* U+0080..U+009F; noncharacters. */
				fputc('?', fp);
				s += n;
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
			fputc(c < 0x20 || c == 0x7f ? '?' : c, fp);
		}
		s++;
	}
}

/*
 * A diagnostic as one line of a JUnit testcase, as the gcc format's: a
 * newline or tab of a path (anyone's who pushes) or of a message quoting
 * one is '?', else one problem would take two lines.
 */
static void
junit_line(struct dipb_buf *b, const struct dipb_diag *x)
{
	char *path, *msg;

	path = dipb_text_clean_line(x->path);
	msg = dipb_text_clean_line(x->msg);
	dipb_buf_printf(b, "%s:%u:%u: %s: %s", path, x->line, x->col,
	    sevname(x->sev), msg);
	free(path);
	free(msg);
	if (x->rule != NULL)
		dipb_buf_printf(b, " [%s]", x->rule);
	dipb_buf_putc(b, '\n');
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
junit_case(FILE *fp, const char *classname, const struct dipb_junit_case *c,
    int warnings_fail)
{
	int fail = c->nerrors > 0 || (warnings_fail && c->nwarnings > 0);

	fprintf(fp, "    <testcase classname=\"%s\" name=\"", classname);
	xml_escape(fp, c->name, 1);
	if (c->file != NULL) {
		fputs("\" file=\"", fp);
		xml_escape(fp, c->file, 1);
	}
	if (c->error != NULL) {
		fprintf(fp, "\">\n      <error type=\"exit status %d\" "
		    "message=\"", c->exit_status);
		xml_escape(fp, c->error, 1);
		fputs("\">", fp);
		xml_escape(fp, c->text != NULL ? c->text : "", 0);
		fputs("</error>\n    </testcase>\n", fp);
		return;
	}
	if (c->text == NULL || *c->text == '\0') {
		fputs("\"/>\n", fp);
		return;
	}
	fputs("\">\n", fp);
	if (fail)
		fprintf(fp, "      <failure type=\"%s\" message=\"%zu "
		    "error%s, %zu warning%s\">", c->nerrors > 0 ? "error" :
		    "warning", c->nerrors, c->nerrors == 1 ? "" : "s",
		    c->nwarnings, c->nwarnings == 1 ? "" : "s");
	else
		fputs("      <system-out>", fp);
	xml_escape(fp, c->text, 0);
	fputs(fail ? "</failure>\n" : "</system-out>\n", fp);
	fputs("    </testcase>\n", fp);
}

void
dipb_junit_print(FILE *fp, const char *suite, const char *classname,
    const struct dipb_junit_case *cases, size_t n, int warnings_fail)
{
	size_t i, nfail = 0, nerr = 0;

	for (i = 0; i < n; i++)
		if (cases[i].error != NULL)
			nerr++;
		else if (cases[i].nerrors > 0 ||
		    (warnings_fail && cases[i].nwarnings > 0))
			nfail++;
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", fp);
	fprintf(fp, "<testsuites name=\"%s\" tests=\"%zu\" "
	    "failures=\"%zu\" errors=\"%zu\">\n", suite, n, nfail, nerr);
	fprintf(fp, "  <testsuite name=\"%s\" tests=\"%zu\" "
	    "failures=\"%zu\" errors=\"%zu\" skipped=\"0\">\n", suite, n,
	    nfail, nerr);
	for (i = 0; i < n; i++)
		junit_case(fp, classname, &cases[i], warnings_fail);
	fputs("  </testsuite>\n</testsuites>\n", fp);
}

/*
 * The paths of files[0..nfiles) and of d's diagnostics, sorted, each
 * once, into a new array; their number in *np.
 */
static const char **
reported(const struct dipb_diags *d, const char *const *files,
    size_t nfiles, size_t *np)
{
	const char **paths;
	size_t i, j, n = 0;

	paths = xcalloc(nfiles + d->n + 1, sizeof(*paths));
	for (i = 0; i < nfiles; i++)
		paths[n++] = files[i];
	for (i = 0; i < d->n; i++)
		paths[n++] = d->v[i].path;
	if (n > 1)
		qsort(paths, n, sizeof(*paths), cmpstrp);
	for (i = j = 0; i < n; i++)
		if (j == 0 || strcmp(paths[j - 1], paths[i]) != 0)
			paths[j++] = paths[i];
	*np = j;
	return paths;
}

size_t
dipb_diags_nfiles(const struct dipb_diags *d, const char *const *files,
    size_t nfiles)
{
	const char **paths;
	size_t n;

	paths = reported(d, files, nfiles, &n);
	free(paths);
	return n;
}

void
dipb_diags_print_junit(FILE *fp, const struct dipb_diags *d,
    const char *const *files, size_t nfiles, int warnings_fail)
{
	const struct dipb_diag **dv;
	const char **paths;
	struct dipb_junit_case *cases;
	struct dipb_buf *text;
	size_t i, j, k, n;

	paths = reported(d, files, nfiles, &n);
	dv = xcalloc(d->n + 1, sizeof(*dv));
	for (i = 0; i < d->n; i++)
		dv[i] = &d->v[i];
	if (d->n > 1)
		qsort(dv, d->n, sizeof(*dv), cmpdiagp);
	cases = xcalloc(n + 1, sizeof(*cases));
	text = xcalloc(n + 1, sizeof(*text));
	for (i = j = 0; i < n; i++) {
		/* Named as its lines name it (junit_line). */
		cases[i].name = cases[i].file = dipb_text_clean_line(paths[i]);
		for (k = j; k < d->n && strcmp(dv[k]->path, paths[i]) == 0;
		    k++) {
			if (dv[k]->sev == DIPB_SEV_ERROR)
				cases[i].nerrors++;
			else
				cases[i].nwarnings++;
			junit_line(&text[i], dv[k]);
		}
		cases[i].text = dipb_buf_cstr(&text[i]);
		j = k;
	}
	dipb_junit_print(fp, "dipb validate", "dipb.validate", cases, n,
	    warnings_fail);
	for (i = 0; i < n; i++) {
		dipb_buf_release(&text[i]);
		free((char *)cases[i].name);
	}
	free(text);
	free(cases);
	free(dv);
	free(paths);
}

void
dipb_diags_print_failure(FILE *fp, enum dipb_diag_format fmt,
    const char *command, const char *msg, int exit_status)
{
	struct dipb_junit_case c;
	json_t *o;
	char *name, *classname, *text;

	name = xasprintf("dipb %s", command);
	switch (fmt) {
	case DIPB_DIAG_GCC:
		break;
	case DIPB_DIAG_JSON:
		o = json_pack("{s:o, s:i}", "error", dipb_json_string(msg),
		    "exit", exit_status);
		if (o == NULL)
			break;
		text = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII |
		    JSON_PRESERVE_ORDER);
		if (text != NULL) {
			fputs(text, fp);
			fputc('\n', fp);
			free(text);
		}
		json_decref(o);
		break;
	case DIPB_DIAG_GITHUB:
		fputs("::error title=", fp);
		dipb_gh_escape(fp, name, 1);
		fputs("::", fp);
		dipb_gh_escape(fp, msg, 0);
		fputc('\n', fp);
		break;
	case DIPB_DIAG_JUNIT:
		memset(&c, 0, sizeof(c));
		c.name = name;
		c.error = msg;
		c.exit_status = exit_status;
		c.text = text = xasprintf("%s\n", msg);
		classname = xasprintf("dipb.%s", command);
		dipb_junit_print(fp, name, classname, &c, 1, 0);
		free(classname);
		free(text);
		break;
	}
	free(name);
}

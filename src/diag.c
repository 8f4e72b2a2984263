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
	struct dipb_diag x;
	va_list ap;

	va_start(ap, fmt);
	x.msg = xvasprintf(fmt, ap);
	va_end(ap);
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

/* GitHub workflow commands: %, CR and LF escaped in data; also : and , in
 * properties. */
static void
gh_escape(FILE *fp, const char *s, int property)
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
		case DIPB_DIAG_GITHUB:
			fprintf(fp, "::%s file=", sevname(x->sev));
			gh_escape(fp, x->path, 1);
			fprintf(fp, ",line=%u,col=%u", x->line, x->col);
			if (x->rule != NULL) {
				fputs(",title=", fp);
				gh_escape(fp, x->rule, 1);
			}
			fputs("::", fp);
			gh_escape(fp, x->msg, 0);
			fputc('\n', fp);
			break;
		}
	}
}

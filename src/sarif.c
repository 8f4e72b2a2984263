/*
 * sarif.c - SARIF 2.1.0 and GitLab Code Quality reports of findings
 * (dipb-validate(1), dipb-verify(1)).
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "json.h"
#include "repo.h"
#include "sarif.h"
#include "util.h"
#include "version.h"	/* build/: the Makefile writes it */

#define SARIF_SCHEMA	"https://docs.oasis-open.org/sarif/sarif/v2.1.0/" \
	"errata01/os/schemas/sarif-schema-2.1.0.json"
/*
 * Where a code-scanning tool sends its users to read about dipb: an
 * absolute URI, which SARIF requires; a packager sets theirs with
 * make CPPFLAGS=-DDIPB_URL='"https://..."'.
 */
#ifndef DIPB_URL
#define DIPB_URL	"https://dipb.invalid/"
#endif
#define FINGERPRINT_KEY	"dipbFindingHash/v1"

/* ---- strings ----------------------------------------------------------- */

/* A JSON string of s, whatever bytes it holds (diag.h). */
#define jstr(s)	dipb_json_string(s)

static json_t *
text_obj(const char *text)
{
	json_t *o = json_object();

	json_object_set_new(o, "text", jstr(text));
	return o;
}

/*
 * A URI reference of a path: RFC 3986's unreserved characters and '/'
 * kept, every other byte percent-encoded, so that a space, '%', '#', '?'
 * or a byte of a non-ASCII name cannot change what it names.
 */
static void
put_uri_path(struct dipb_buf *b, const char *p)
{
	static const char hex[] = "0123456789ABCDEF";
	unsigned char c;

	for (; *p != '\0'; p++) {
		c = (unsigned char)*p;
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~' || c == '/')
			dipb_buf_putc(b, (char)c);
		else {
			dipb_buf_putc(b, '%');
			dipb_buf_putc(b, hex[c >> 4]);
			dipb_buf_putc(b, hex[c & 15]);
		}
	}
}

/* An absolute path as a file URI: file:///... */
static char *
file_uri(const char *abs)
{
	struct dipb_buf b = DIPB_BUF_INIT;

	dipb_buf_puts(&b, "file://");
	put_uri_path(&b, abs);
	return dipb_buf_detach(&b);
}

/* Markdown of plain text: what Markdown would read as markup escaped. */
static void
put_md(struct dipb_buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		if (strchr("\\`*_[]<>&#|", *s) != NULL)
			dipb_buf_putc(b, '\\');
		dipb_buf_putc(b, *s);
	}
}

/* ---- paths ------------------------------------------------------------- */

/* path (absolute from cwd when relative) with "." and ".." resolved. */
static char *
normalise(const char *cwd, const char *path)
{
	struct dipb_buf in = DIPB_BUF_INIT, out = DIPB_BUF_INIT;
	const char *p, *e;
	size_t n;

	if (path[0] != '/') {
		dipb_buf_puts(&in, cwd);
		dipb_buf_putc(&in, '/');
	}
	dipb_buf_puts(&in, path);
	dipb_buf_puts(&out, "");
	for (p = dipb_buf_cstr(&in); *p != '\0'; p = e) {
		while (*p == '/')
			p++;
		for (e = p; *e != '\0' && *e != '/'; e++)
			;
		n = (size_t)(e - p);
		if (n == 0 || (n == 1 && p[0] == '.'))
			continue;
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			while (out.len > 0 && out.ptr[out.len - 1] != '/')
				out.len--;
			if (out.len > 0)
				out.len--;
			out.ptr[out.len] = '\0';
			continue;
		}
		dipb_buf_putc(&out, '/');
		dipb_buf_put(&out, p, n);
	}
	if (out.len == 0)
		dipb_buf_putc(&out, '/');
	dipb_buf_release(&in);
	return dipb_buf_detach(&out);
}

char *
dipb_result_relpath(const char *root, const char *cwd, const char *path)
{
	char *abs, *rel;
	size_t n = strlen(root);

	abs = normalise(cwd, path);
	if (n > 0 && strncmp(abs, root, n) == 0 && abs[n] != '\0') {
		rel = xstrdup(abs + n);
		free(abs);
		return rel;
	}
	return abs;
}

char *
dipb_result_root(const char *cwd)
{
	const char *wt = getenv("GIT_WORK_TREE");
	enum dipb_dotgit is;
	char *dir, *p, *git, *root;

	if (wt != NULL && *wt != '\0')
		dir = normalise(cwd, wt);
	else {
		dir = normalise(cwd, ".");
		for (;;) {
			git = xasprintf("%s%s.git", dir,
			    strcmp(dir, "/") == 0 ? "" : "/");
			is = dipb_repo_dotgit(git);
			free(git);
			if (is == DIPB_DOTGIT_REPO)
				break;
			if (is != DIPB_DOTGIT_NONE ||
			    (p = strrchr(dir, '/')) == NULL ||
			    strcmp(dir, "/") == 0) {
				free(dir);
				dir = normalise(cwd, ".");
				break;
			}
			p[p == dir] = '\0';	/* "/x": "/" */
		}
	}
	root = xasprintf("%s%s", dir, strcmp(dir, "/") == 0 ? "" : "/");
	free(dir);
	return root;
}

/* ---- fingerprints ------------------------------------------------------ */

static void
hex_digest(char out[65], const unsigned char *data, size_t len)
{
	unsigned char md[32];

	dipb_sha256(md, data, len);
	dipb_hex(out, md, 32);
}

static void
put_field(struct dipb_buf *b, const char *s)
{
	dipb_buf_puts(b, s != NULL ? s : "");
	dipb_buf_put(b, "", 1);		/* a NUL: fields cannot run together */
}

struct fpkey {
	const char	*fp;
	size_t		 i;
};

static int
cmpfp(const void *a, const void *b)
{
	const struct fpkey *x = a, *y = b;
	int c = strcmp(x->fp, y->fp);

	if (c != 0)
		return c;
	return x->i < y->i ? -1 : x->i > y->i;
}

void
dipb_result_fingerprints(char (*out)[65], const char *command,
    const struct dipb_result *v, size_t n)
{
	struct dipb_buf b = DIPB_BUF_INIT;
	struct fpkey *k;
	char (*base)[65];
	size_t i, nth;

	for (i = 0; i < n; i++) {
		dipb_buf_clear(&b);
		put_field(&b, command);
		put_field(&b, v[i].rule);
		put_field(&b, v[i].path);
		put_field(&b, v[i].commit);
		put_field(&b, v[i].tag);
		put_field(&b, v[i].msg);
		hex_digest(out[i], (const unsigned char *)b.ptr, b.len);
	}
	/*
	 * The same finding twice: the second is told apart by its rank,
	 * hashed again from the base fingerprints, copied first.
	 */
	base = xcalloc(n + 1, sizeof(*base));
	k = xcalloc(n + 1, sizeof(*k));
	for (i = 0; i < n; i++) {
		memcpy(base[i], out[i], sizeof(base[i]));
		k[i].fp = base[i];
		k[i].i = i;
	}
	if (n > 1)
		qsort(k, n, sizeof(*k), cmpfp);
	for (i = 0, nth = 0; i < n; i++) {
		nth = i > 0 && strcmp(k[i].fp, k[i - 1].fp) == 0 ? nth + 1 : 0;
		if (nth == 0)
			continue;
		dipb_buf_clear(&b);
		dipb_buf_printf(&b, "%s %zu", k[i].fp, nth);
		hex_digest(out[k[i].i], (const unsigned char *)b.ptr, b.len);
	}
	free(base);
	free(k);
	dipb_buf_release(&b);
}

/* ---- a report written as it is made ----------------------------------- */

#define DUMP_FLAGS	(JSON_INDENT(2) | JSON_PRESERVE_ORDER | \
			    JSON_ENSURE_ASCII)

/* What the makers of results read. */
struct report {
	const struct dipb_sarif_run	*run;	/* SARIF's; else NULL */
	const char			*command;
	const struct dipb_result	*v;
	char				(*fpv)[65];	/* v's */
};

/*
 * Prints doc, whose last array is empty, with the n values mk makes in that
 * array, one at a time, each freed once printed: the bytes json_dumpf would
 * print of doc holding them all, without the tree of them all in memory.
 * The array is the last thing doc prints but closing brackets, so it is
 * the last "[]" of the text; its elements are indented a level more than
 * its line.
 */
static void
print_streamed(FILE *fp, json_t *doc,
    json_t *(*mk)(const struct report *, size_t), const struct report *rp,
    size_t n)
{
	struct dipb_buf pad = DIPB_BUF_INIT, item = DIPB_BUF_INIT;
	const char *p, *line;
	char *text;
	json_t *x;
	size_t i;

	if ((text = json_dumps(doc, DUMP_FLAGS)) == NULL) {
		dipb_oom();
	}
	for (p = text + strlen(text); p > text; p--)
		if (p[-1] == '[' && p[0] == ']')
			break;
	if (p == text || n == 0) {
		fputs(text, fp);
		fputc('\n', fp);
		free(text);
		return;
	}
	for (line = p - 1; line > text && line[-1] != '\n'; line--)
		;
	dipb_buf_putc(&pad, '\n');
	while (*line == ' ')
		dipb_buf_putc(&pad, *line++);
	fwrite(text, 1, (size_t)(p - text), fp);	/* to the '[' */
	dipb_buf_puts(&pad, "  ");
	for (i = 0; i < n; i++) {
		fputs(i == 0 ? "" : ",", fp);
		fwrite(pad.ptr, 1, pad.len, fp);
		x = mk(rp, i);
		dipb_buf_clear(&item);
		if (dipb_json_put_indented(&item, x, DUMP_FLAGS,
		    pad.len - 1) != 0) {
			dipb_oom();
		}
		fwrite(item.ptr, 1, item.len, fp);
		json_decref(x);
	}
	fwrite(pad.ptr, 1, pad.len - 2, fp);		/* the line's own */
	fputs(p, fp);
	fputc('\n', fp);
	dipb_buf_release(&pad);
	dipb_buf_release(&item);
	free(text);
}

/* ---- SARIF ------------------------------------------------------------- */

static json_t *
rule_obj(const char *command, const struct dipb_rule *r)
{
	struct dipb_buf md = DIPB_BUF_INIT;
	json_t *o, *help;
	char *text;

	o = json_object();
	json_object_set_new(o, "id", jstr(r->name));
	json_object_set_new(o, "shortDescription", text_obj(r->what));
	text = xasprintf("%s: %s. dipb-%s(1) describes each rule: "
	    "man dipb-%s", r->name, r->what, command, command);
	help = text_obj(text);
	free(text);
	dipb_buf_puts(&md, "**");
	put_md(&md, r->name);
	dipb_buf_puts(&md, "**: ");
	put_md(&md, r->what);
	dipb_buf_printf(&md, ".\n\n`dipb-%s(1)` describes each rule: "
	    "`man dipb-%s`.", command, command);
	json_object_set_new(help, "markdown", jstr(dipb_buf_cstr(&md)));
	dipb_buf_release(&md);
	json_object_set_new(o, "help", help);
	return o;
}

static long
rule_index(const struct dipb_rule *rules, const char *name)
{
	long i;

	if (name == NULL)
		return -1;
	for (i = 0; rules[i].name != NULL; i++)
		if (strcmp(rules[i].name, name) == 0)
			return i;
	return -1;
}

static json_t *
location_obj(const struct dipb_sarif_run *run, const struct dipb_result *x)
{
	struct dipb_buf uri = DIPB_BUF_INIT;
	const char *path = x->path != NULL ? x->path : run->fallback_path;
	json_t *loc, *phys, *art, *reg, *logical, *ll;
	char *s;

	loc = json_object();
	if (path != NULL) {
		phys = json_object();
		art = json_object();
		if (path[0] == '/') {
			s = file_uri(path);
			json_object_set_new(art, "uri", jstr(s));
			free(s);
		} else {
			put_uri_path(&uri, path);
			json_object_set_new(art, "uri",
			    jstr(dipb_buf_cstr(&uri)));
			json_object_set_new(art, "uriBaseId",
			    json_string("SRCROOT"));
		}
		json_object_set_new(phys, "artifactLocation", art);
		if (x->path != NULL && x->line > 0) {
			reg = json_object();
			json_object_set_new(reg, "startLine",
			    json_integer(x->line));
			if (x->col > 0)
				json_object_set_new(reg, "startColumn",
				    json_integer(x->col));
			json_object_set_new(phys, "region", reg);
		}
		json_object_set_new(loc, "physicalLocation", phys);
	}
	/* A finding of the history: its tag, or else its commit. */
	if (x->tag != NULL || (x->commit != NULL && *x->commit != '\0')) {
		ll = json_object();
		if (x->tag != NULL) {
			json_object_set_new(ll, "name", jstr(x->tag));
			s = xasprintf("refs/tags/%s", x->tag);
			json_object_set_new(ll, "fullyQualifiedName", jstr(s));
			free(s);
		} else {
			json_object_set_new(ll, "name", jstr(x->commit));
			json_object_set_new(ll, "fullyQualifiedName",
			    jstr(x->commit));
		}
		logical = json_array();
		json_array_append_new(logical, ll);
		json_object_set_new(loc, "logicalLocations", logical);
	}
	dipb_buf_release(&uri);
	return loc;
}

/*
 * Result i of the log: made when it is printed and freed at once, so that
 * 200,000 problems cost their few bytes each and not a tree of them all.
 */
static json_t *
sarif_result(const struct report *rp, size_t i)
{
	const struct dipb_result *x = &rp->v[i];
	json_t *res, *locs, *props, *fps;
	long idx;

	res = json_object();
	if (x->rule != NULL) {
		json_object_set_new(res, "ruleId", jstr(x->rule));
		if ((idx = rule_index(rp->run->rules, x->rule)) >= 0)
			json_object_set_new(res, "ruleIndex",
			    json_integer(idx));
	}
	json_object_set_new(res, "level",
	    json_string(x->warning ? "warning" : "error"));
	json_object_set_new(res, "message", text_obj(x->msg));
	locs = json_array();
	json_array_append_new(locs, location_obj(rp->run, x));
	json_object_set_new(res, "locations", locs);
	fps = json_object();
	json_object_set_new(fps, FINGERPRINT_KEY, json_string(rp->fpv[i]));
	json_object_set_new(res, "partialFingerprints", fps);
	if (x->commit != NULL || x->tag != NULL) {
		props = json_object();
		if (x->commit != NULL && *x->commit != '\0')
			json_object_set_new(props, "commit", jstr(x->commit));
		if (x->tag != NULL)
			json_object_set_new(props, "tag", jstr(x->tag));
		json_object_set_new(res, "properties", props);
	}
	return res;
}

void
dipb_sarif_print(FILE *fp, const struct dipb_sarif_run *run,
    const struct dipb_result *v, size_t n)
{
	struct report rp;
	json_t *log, *runs, *r, *tool, *driver, *rules, *base, *src;
	json_t *inv, *invs, *note, *notes;
	char *s;
	size_t i;

	if (run->failure != NULL)
		n = 0;
	rp.run = run;
	rp.command = run->command;
	rp.v = v;
	rp.fpv = xcalloc(n + 1, sizeof(*rp.fpv));
	dipb_result_fingerprints(rp.fpv, run->command, v, n);

	/* Every rule of the command, whichever results there are. */
	driver = json_object();
	json_object_set_new(driver, "name", json_string("dipb"));
	json_object_set_new(driver, "version", json_string(DIPB_VERSION));
	json_object_set_new(driver, "informationUri", json_string(DIPB_URL));
	rules = json_array();
	for (i = 0; run->rules[i].name != NULL; i++)
		json_array_append_new(rules, rule_obj(run->command,
		    &run->rules[i]));
	json_object_set_new(driver, "rules", rules);
	tool = json_object();
	json_object_set_new(tool, "driver", driver);

	r = json_object();
	json_object_set_new(r, "tool", tool);
	/*
	 * A run that could not finish says so where SARIF says it, rather
	 * than with no log at all, which a code-scanning upload refuses
	 * without a word of why (dipb-verify(1), OPTIONS).
	 */
	if (run->failure != NULL) {
		note = json_object();
		json_object_set_new(note, "level", json_string("error"));
		json_object_set_new(note, "message", text_obj(run->failure));
		notes = json_array();
		json_array_append_new(notes, note);
		inv = json_object();
		json_object_set_new(inv, "executionSuccessful", json_false());
		json_object_set_new(inv, "exitCode",
		    json_integer(run->exit_status));
		json_object_set_new(inv, "toolExecutionNotifications", notes);
		invs = json_array();
		json_array_append_new(invs, inv);
		json_object_set_new(r, "invocations", invs);
	}
	s = xasprintf("dipb/%s/", run->command);
	base = json_object();
	json_object_set_new(base, "id", jstr(s));
	free(s);
	json_object_set_new(r, "automationDetails", base);
	/*
	 * dipb's columns count characters, and SARIF's, unless a run says
	 * so, UTF-16 code units: a character beyond U+FFFF before a problem
	 * would put it a column late (dipb-validate(1)).
	 */
	json_object_set_new(r, "columnKind", json_string("unicodeCodePoints"));
	if (run->root != NULL) {
		src = json_object();
		s = file_uri(run->root);
		json_object_set_new(src, "uri", jstr(s));
		free(s);
		base = json_object();
		json_object_set_new(base, "SRCROOT", src);
		json_object_set_new(r, "originalUriBaseIds", base);
	}
	/* Last, so that the results are the last array of the log. */
	json_object_set_new(r, "results", json_array());
	runs = json_array();
	json_array_append_new(runs, r);

	log = json_object();
	json_object_set_new(log, "$schema", json_string(SARIF_SCHEMA));
	json_object_set_new(log, "version", json_string("2.1.0"));
	json_object_set_new(log, "runs", runs);
	print_streamed(fp, log, sarif_result, &rp, n);
	json_decref(log);
	free(rp.fpv);
}

/* ---- GitLab Code Quality ----------------------------------------------- */

static json_t *
gitlab_issue(const struct report *rp, size_t i)
{
	const struct dipb_result *x = &rp->v[i];
	json_t *o, *loc, *lines;

	o = json_object();
	json_object_set_new(o, "description", jstr(x->msg));
	json_object_set_new(o, "check_name",
	    jstr(x->rule != NULL ? x->rule : rp->command));
	json_object_set_new(o, "fingerprint", json_string(rp->fpv[i]));
	json_object_set_new(o, "severity",
	    json_string(x->warning ? "minor" : "major"));
	loc = json_object();
	json_object_set_new(loc, "path",
	    jstr(x->path != NULL ? x->path : "dipb.yaml"));
	lines = json_object();
	json_object_set_new(lines, "begin",
	    json_integer(x->line > 0 ? x->line : 1));
	json_object_set_new(loc, "lines", lines);
	json_object_set_new(o, "location", loc);
	return o;
}

void
dipb_gitlab_print(FILE *fp, const char *command,
    const struct dipb_result *v, size_t n)
{
	struct report rp;
	json_t *a;

	rp.run = NULL;
	rp.command = command;
	rp.v = v;
	rp.fpv = xcalloc(n + 1, sizeof(*rp.fpv));
	dipb_result_fingerprints(rp.fpv, command, v, n);
	a = json_array();
	print_streamed(fp, a, gitlab_issue, &rp, n);
	json_decref(a);
	free(rp.fpv);
}

/*
 * yaml_load.c - libyaml events to a small tree, refusing hostile input on
 * the way, and the tree to a struct dipb_record.
 *
 * The event API rather than yaml_parser_load(): the document loader
 * resolves anchors and aliases and nests without limit before we could
 * look.  Here each check happens on the event that breaks it, so a line of
 * 200 KB of '[' stops at its 65th, and an alias is never followed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "date.h"
#include "record.h"
#include "schema.h"
#include "text.h"
#include "yaml_tree.h"

/*
 * The tree lives in an arena freed at once (util.h): a record is some
 * hundred nodes and strings, and a malloc and a free for each cost more
 * than libyaml's own parsing.
 */
#define KEY_NEAR_LEN	40	/* longer keys get no "did you mean" */

/*
 * Positions as dipb reports them (dipb-validate(1)): lines as editors,
 * grep -n and git count them, broken by LF only (a CRLF pair is one
 * break); columns in characters (Unicode code points), a tab one, a UTF-8
 * byte order mark at the start none; both from 1.  libyaml counts lines
 * as YAML 1.1 does, CR, NEL, LS and PS breaking them too; a file with
 * one of those as a raw character is refused before libyaml reads it
 * (check_bytes), and still only mark.index is used, the characters
 * before the mark (the byte order mark not counted), not mark.line and
 * mark.column.  A cursor walks the bytes
 * to it, forward from where the last position was found, as the events
 * come in the file's order: a file is walked once, however many marks.
 */
struct cursor {
	const unsigned char	*s;
	size_t			 len;
	size_t			 off;	/* bytes */
	size_t			 index;	/* characters, as mark.index */
	struct dipb_pos		 pos;
};

struct frame {
	struct dipb_ynode	*node;
	char			*key;	/* mapping: key waiting for its value */
	struct dipb_pos		 keypos;
	int			 haskey;
	int			 skip;	/* mapping: that key was refused */
};

struct tree {
	struct dipb_arena	*arena;
	struct dipb_yctx	*ctx;
	struct cursor		 at;	/* over the file's bytes */
	struct frame		 stack[DIPB_MAX_DEPTH];
	size_t			 depth;
	struct dipb_ynode	*root;
	int			 ndocs;
};

static const struct dipb_pos whole_file = { 0, 0 };

static void	vreport(struct dipb_yctx *, struct dipb_pos, enum dipb_severity,
		    const char *, const char *, va_list) DIPB_PRINTF(5, 0);

static void
vreport(struct dipb_yctx *ctx, struct dipb_pos pos, enum dipb_severity sev,
    const char *rule, const char *fmt, va_list ap)
{
	dipb_diags_vadd(ctx->diags, ctx->path, pos.line, pos.col, sev, rule,
	    fmt, ap);
}

void
dipb_yt_error(struct dipb_yctx *ctx, struct dipb_pos pos, const char *rule,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(ctx, pos, DIPB_SEV_ERROR, rule, fmt, ap);
	va_end(ap);
}

void
dipb_yt_warn(struct dipb_yctx *ctx, struct dipb_pos pos, const char *rule,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(ctx, pos, DIPB_SEV_WARNING, rule, fmt, ap);
	va_end(ap);
}

static void DIPB_PRINTF(5, 6)
report(struct dipb_yctx *ctx, struct dipb_pos pos, enum dipb_severity sev,
    const char *rule, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(ctx, pos, sev, rule, fmt, ap);
	va_end(ap);
}

/* Length of the UTF-8 sequence a lead byte announces; 1 for a bad one. */
static size_t
seqlen(unsigned char c)
{
	if (c >= 0xf0 && c < 0xf8)
		return 4;
	if (c >= 0xe0 && c < 0xf0)
		return 3;
	if (c >= 0xc0 && c < 0xe0)
		return 2;
	return 1;
}

char *
dipb_yt_show(const char *s)
{
	struct dipb_buf b = DIPB_BUF_INIT;
	size_t i, n, chars = 0;

	for (i = 0; s[i] != '\0'; i += n) {
		n = seqlen((unsigned char)s[i]);
		if (strnlen(s + i, n) < n || !dipb_utf8_valid(s + i, n)) {
			n = 1;
			dipb_buf_putc(&b, '?');
		} else if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			dipb_buf_putc(&b, '?');
		else
			dipb_buf_put(&b, s + i, n);
		if (++chars == 40 && s[i + n] != '\0') {
			dipb_buf_puts(&b, "...");
			break;
		}
	}
	return dipb_buf_detach(&b);
}

int
dipb_ysref_cmp(const void *a, const void *b)
{
	const struct dipb_ysref *x = a, *y = b;
	int c = strcmp(x->s, y->s);

	if (c != 0)
		return c;
	return (x->i > y->i) - (x->i < y->i);
}

static void
cursor_start(struct cursor *c, const char *buf, size_t len)
{
	c->s = (const unsigned char *)buf;
	c->len = len;
	c->off = len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
	c->index = 0;
	c->pos.line = 1;
	c->pos.col = 1;
}

/* Past one character; 0 at the end of the buffer. */
static int
cursor_step(struct cursor *c)
{
	size_t n;

	if (c->off >= c->len)
		return 0;
	n = seqlen(c->s[c->off]);
	if (n > c->len - c->off)
		n = c->len - c->off;
	if (c->s[c->off] == '\n') {
		c->pos.line++;
		c->pos.col = 1;
	} else
		c->pos.col++;
	c->off += n;
	c->index++;
	return 1;
}

/* The position of byte off (the start of a character). */
static struct dipb_pos
cursor_offset(struct cursor *c, size_t off)
{
	if (off < c->off)
		cursor_start(c, (const char *)c->s, c->len);
	while (c->off < off && cursor_step(c))
		continue;
	return c->pos;
}

/* The position of libyaml's mark. */
static struct dipb_pos
cursor_mark(struct cursor *c, yaml_mark_t m)
{
	if (m.index < c->index)
		cursor_start(c, (const char *)c->s, c->len);
	while (c->index < m.index && cursor_step(c))
		continue;
	return c->pos;
}

static size_t
first_bad_byte(const char *buf, size_t len)
{
	size_t i = 0, n;

	while (i < len) {
		n = seqlen((unsigned char)buf[i]);
		if (n > len - i)
			n = len - i;
		if (!dipb_utf8_valid(buf + i, n))
			return i;
		i += n;
	}
	return len;
}

/*
 * The first line break other than LF and CRLF, as a code point, and its
 * offset in *at; 0 if none.  YAML 1.1 breaks lines at a lone CR, NEL,
 * LS and PS too, git, grep and editors do not: a comment would end there
 * for libyaml and not for whoever reads the file, and a stored file
 * printed as it is (dipb show ID@N, diff --all) would hand the terminal
 * a CR that writes over what went before on its line.  The buffer is
 * valid UTF-8.
 */
static unsigned
odd_break(const char *buf, size_t len, size_t *at)
{
	const unsigned char *s = (const unsigned char *)buf;
	size_t i;

	for (i = 0; i < len; i++) {
		*at = i;
		if (s[i] == '\r' && (i + 1 == len || s[i + 1] != '\n'))
			return 0x0d;
		if (s[i] == 0xc2 && s[i + 1] == 0x85)
			return 0x85;
		if (s[i] == 0xe2 && s[i + 1] == 0x80 &&
		    (s[i + 2] == 0xa8 || s[i + 2] == 0xa9))
			return 0x2000u + s[i + 2] - 0x80u;
	}
	return 0;
}

static void
odd_break_error(struct dipb_yctx *ctx, const char *buf, size_t len,
    size_t at, unsigned cp)
{
	struct cursor c;

	cursor_start(&c, buf, len);
	if (cp == 0x0d)
		dipb_yt_error(ctx, cursor_offset(&c, at), "encoding",
		    "control character U+000D, a carriage return not "
		    "before a line feed");
	else
		dipb_yt_error(ctx, cursor_offset(&c, at), "encoding",
		    "line break U+%04X as a raw character: a line ends at "
		    "a line feed alone", cp);
}

int
dipb_yt_check_utf8(struct dipb_yctx *ctx, const char *buf, size_t len)
{
	const unsigned char *s = (const unsigned char *)buf;
	struct dipb_pos start = { 1, 1 };
	struct cursor c;
	size_t bad;

	if ((len >= 2 && ((s[0] == 0xfe && s[1] == 0xff) ||
	    (s[0] == 0xff && s[1] == 0xfe))) ||
	    (len >= 4 && memcmp(s, "\0\0\xfe\xff", 4) == 0)) {
		dipb_yt_error(ctx, start, "encoding",
		    "file is utf-16 or utf-32, not utf-8");
		return -1;
	}
	if (dipb_utf8_valid(buf, len))
		return 0;
	bad = first_bad_byte(buf, len);
	cursor_start(&c, buf, len);
	if (s[bad] == 0)
		dipb_yt_error(ctx, cursor_offset(&c, bad), "encoding",
		    "nul byte");
	else
		dipb_yt_error(ctx, cursor_offset(&c, bad), "encoding",
		    "invalid utf-8 (byte 0x%02x)", s[bad]);
	return -1;
}

/*
 * Size, byte order mark, UTF-8, NUL and line breaks other than LF and
 * CRLF: before libyaml sees a byte.
 */
static int
check_bytes(struct dipb_yctx *ctx, const char *buf, size_t len)
{
	size_t bad;
	unsigned cp;

	if (len > DIPB_MAX_FILE) {
		dipb_yt_error(ctx, whole_file, "file-size",
		    "file is larger than %d bytes", DIPB_MAX_FILE);
		return -1;
	}
	if (dipb_yt_check_utf8(ctx, buf, len) == -1)
		return -1;
	if ((cp = odd_break(buf, len, &bad)) == 0)
		return 0;
	odd_break_error(ctx, buf, len, bad, cp);
	return -1;
}

static struct dipb_ynode *
newnode(struct tree *t, enum dipb_ykind kind, struct dipb_pos pos)
{
	struct dipb_ynode *n = dipb_arena_alloc(t->arena, sizeof(*n));

	n->kind = kind;
	n->pos = pos;
	return n;
}

void
dipb_ytree_free(struct dipb_ynode *root)
{
	if (root != NULL)
		dipb_arena_free(root->arena);
}

static void
syntax_error(struct tree *t, const yaml_parser_t *yp)
{
	const char *problem = yp->problem ? yp->problem : "unreadable yaml";
	struct dipb_pos pos, ctxpos;

	if (yp->error == YAML_MEMORY_ERROR) {
		dipb_oom();
	}
	if (yp->error == YAML_READER_ERROR) {
		dipb_yt_error(t->ctx, cursor_offset(&t->at, yp->problem_offset),
		    "encoding", "%s", problem);
		return;
	}
	if (yp->context == NULL) {
		dipb_yt_error(t->ctx, cursor_mark(&t->at, yp->problem_mark),
		    "yaml-syntax", "%s", problem);
		return;
	}
	/* The context's mark is before the problem's: found first. */
	ctxpos = cursor_mark(&t->at, yp->context_mark);
	pos = cursor_mark(&t->at, yp->problem_mark);
	dipb_yt_error(t->ctx, pos, "yaml-syntax", "%s (%s at %u:%u)", problem,
	    yp->context, ctxpos.line, ctxpos.col);
}

static int
refuse(struct tree *t, struct dipb_pos pos, const yaml_char_t *anchor,
    const yaml_char_t *tag)
{
	if (anchor != NULL) {
		dipb_yt_error(t->ctx, pos, "anchor", "anchors are not allowed");
		return -1;
	}
	if (tag != NULL) {
		char *show = dipb_yt_show((const char *)tag);

		dipb_yt_error(t->ctx, pos, "tag", "tags are not allowed: '%s'",
		    show);
		free(show);
		return -1;
	}
	return 0;
}

/* A completed node becomes the key its mapping waits for. */
static int
take_key(struct tree *t, struct frame *f, struct dipb_ynode *node)
{
	f->haskey = 1;
	f->keypos = node->pos;
	if (node->kind != DIPB_YSCALAR) {
		dipb_yt_error(t->ctx, node->pos, "type",
		    "mapping keys must be strings");
		f->skip = 1;
	} else if (node->str[0] == '<' && strcmp(node->str, "<<") == 0) {
		dipb_yt_error(t->ctx, node->pos, "merge-key",
		    "merge keys are not allowed");
		return -1;
	} else
		f->key = node->str;
	return 0;
}

/* Hands a completed node to its parent, or makes it the root. */
static int
attach(struct tree *t, struct dipb_ynode *node)
{
	struct dipb_ynode *parent;
	struct dipb_ypair *p;
	struct frame *f;

	if (t->depth == 0) {
		t->root = node;
		return 0;
	}
	f = &t->stack[t->depth - 1];
	parent = f->node;
	if (parent->kind == DIPB_YSEQ) {
		dipb_arena_grow(t->arena, (void **)&parent->items,
		    &parent->cap, parent->n + 1, sizeof(*parent->items));
		parent->items[parent->n++] = node;
		return 0;
	}
	if (!f->haskey)
		return take_key(t, f, node);
	f->haskey = 0;
	if (f->skip) {
		f->skip = 0;
		return 0;
	}
	dipb_arena_grow(t->arena, (void **)&parent->pairs, &parent->pcap,
	    parent->npairs + 1, sizeof(*parent->pairs));
	p = &parent->pairs[parent->npairs++];
	p->key = f->key;
	p->pos = f->keypos;
	p->val = node;
	f->key = NULL;
	return 0;
}

static int
scalar(struct tree *t, struct dipb_pos pos, const yaml_event_t *ev)
{
	const char *v = (const char *)ev->data.scalar.value;
	size_t len = ev->data.scalar.length;
	struct dipb_ynode *node;

	if (memchr(v, '\0', len) != NULL) {
		/* A "\0" escape in a double-quoted scalar. */
		dipb_yt_error(t->ctx, pos, "encoding", "nul character in a string");
		return -1;
	}
	node = newnode(t, DIPB_YSCALAR, pos);
	node->str = dipb_arena_strndup(t->arena, v, len);
	node->null = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	    len <= 4 && (len == 0 || strcmp(v, "~") == 0 ||
	    strcmp(v, "null") == 0 || strcmp(v, "Null") == 0 ||
	    strcmp(v, "NULL") == 0);
	return attach(t, node);
}

static int
push(struct tree *t, struct dipb_pos pos, enum dipb_ykind kind)
{
	struct frame *f;

	if (t->depth == DIPB_MAX_DEPTH) {
		dipb_yt_error(t->ctx, pos, "depth",
		    "nesting deeper than %d levels", DIPB_MAX_DEPTH);
		return -1;
	}
	f = &t->stack[t->depth++];
	memset(f, 0, sizeof(*f));
	f->node = newnode(t, kind, pos);
	return 0;
}

/* Mappings up to this size are checked pair by pair, faster than a sort. */
#define SMALL_MAP	24

/*
 * Reports and drops every later occurrence of a key.  Sorting keeps a
 * hostile mapping of many keys at n log n.
 */
static void
drop_duplicates(struct tree *t, struct dipb_ynode *map)
{
	struct dipb_ysref *v;
	char *drop, *show;
	size_t i, j, n = map->npairs;

	if (n < 2)
		return;
	drop = dipb_arena_alloc(t->arena, n);
	if (n <= SMALL_MAP) {
		for (i = 1; i < n; i++)
			for (j = 0; j < i && !drop[i]; j++)
				drop[i] = map->pairs[i].key[0] ==
				    map->pairs[j].key[0] &&
				    strcmp(map->pairs[i].key,
				    map->pairs[j].key) == 0;
	} else {
		v = dipb_arena_alloc(t->arena, n * sizeof(*v));
		for (i = 0; i < n; i++) {
			v[i].s = map->pairs[i].key;
			v[i].i = i;
		}
		qsort(v, n, sizeof(*v), dipb_ysref_cmp);
		for (i = 1; i < n; i++)
			if (strcmp(v[i].s, v[i - 1].s) == 0)
				drop[v[i].i] = 1;
	}
	for (i = 0; i < n && !drop[i]; i++)
		continue;
	if (i == n)
		return;
	for (i = j = 0; i < n; i++) {
		if (!drop[i]) {
			map->pairs[j++] = map->pairs[i];
			continue;
		}
		show = dipb_yt_show(map->pairs[i].key);
		dipb_yt_error(t->ctx, map->pairs[i].pos, "duplicate-key",
		    "duplicate key '%s'", show);
		free(show);
	}
	map->npairs = j;
}

static int
pop(struct tree *t)
{
	struct frame *f = &t->stack[--t->depth];
	struct dipb_ynode *node = f->node;

	f->key = NULL;
	if (node->kind == DIPB_YMAP)
		drop_duplicates(t, node);
	return attach(t, node);
}

static int
on_event(struct tree *t, const yaml_event_t *ev, int *done)
{
	struct dipb_pos pos = { 0, 0 };

	/*
	 * Only the events that start something are placed: an end's mark
	 * may be past the next event's, which would walk the file again.
	 */
	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
	case YAML_ALIAS_EVENT:
	case YAML_SCALAR_EVENT:
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		pos = cursor_mark(&t->at, ev->start_mark);
		break;
	default:
		break;
	}
	switch (ev->type) {
	case YAML_STREAM_END_EVENT:
		*done = 1;
		return 0;
	case YAML_DOCUMENT_START_EVENT:
		if (t->ndocs++ == 0)
			return 0;
		dipb_yt_error(t->ctx, pos, "multi-document",
		    "several documents in one file");
		return -1;
	case YAML_ALIAS_EVENT:
		dipb_yt_error(t->ctx, pos, "alias", "aliases are not allowed");
		return -1;
	case YAML_SCALAR_EVENT:
		if (refuse(t, pos, ev->data.scalar.anchor,
		    ev->data.scalar.tag) == -1)
			return -1;
		return scalar(t, pos, ev);
	case YAML_SEQUENCE_START_EVENT:
		if (refuse(t, pos, ev->data.sequence_start.anchor,
		    ev->data.sequence_start.tag) == -1)
			return -1;
		return push(t, pos, DIPB_YSEQ);
	case YAML_MAPPING_START_EVENT:
		if (refuse(t, pos, ev->data.mapping_start.anchor,
		    ev->data.mapping_start.tag) == -1)
			return -1;
		return push(t, pos, DIPB_YMAP);
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		return pop(t);
	default:
		return 0;
	}
}


int
dipb_ytree_parse(struct dipb_ynode **out, struct dipb_yctx *ctx,
    const char *buf, size_t len)
{
	struct tree t;
	yaml_parser_t yp;
	yaml_event_t ev;
	int rc = 0, done = 0;

	*out = NULL;
	if (check_bytes(ctx, buf, len) == -1)
		return -1;
	memset(&t, 0, sizeof(t));
	t.arena = dipb_arena_new();
	t.ctx = ctx;
	cursor_start(&t.at, buf, len);
	if (!yaml_parser_initialize(&yp)) {
		dipb_oom();
	}
	yaml_parser_set_input_string(&yp, (const unsigned char *)buf, len);
	while (rc == 0 && !done) {
		if (!yaml_parser_parse(&yp, &ev)) {
			syntax_error(&t, &yp);
			rc = -1;
			break;
		}
		rc = on_event(&t, &ev, &done);
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&yp);
	if (rc == -1 || t.root == NULL) {
		dipb_arena_free(t.arena);
		return rc;
	}
	t.root->arena = t.arena;
	*out = t.root;
	return 0;
}

/*
 * The edit distance of a and b (insertions, deletions, substitutions and
 * swaps of two neighbours), or more than max when it exceeds it.
 */
static size_t
distance(const char *a, const char *b, size_t max)
{
	size_t la = strlen(a), lb = strlen(b), i, j, d, best;
	size_t row[3][KEY_NEAR_LEN + 1];

	if (la > KEY_NEAR_LEN || lb > KEY_NEAR_LEN ||
	    (la > lb ? la - lb : lb - la) > max)
		return max + 1;
	for (j = 0; j <= lb; j++)
		row[0][j] = j;
	for (i = 1; i <= la; i++) {
		size_t *cur = row[i % 3], *prev = row[(i - 1) % 3];
		size_t *prev2 = row[(i + 1) % 3];

		cur[0] = i;
		best = i;
		for (j = 1; j <= lb; j++) {
			d = prev[j - 1] + (a[i - 1] != b[j - 1]);
			if (prev[j] + 1 < d)
				d = prev[j] + 1;
			if (cur[j - 1] + 1 < d)
				d = cur[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && prev2[j - 2] + 1 < d)
				d = prev2[j - 2] + 1;
			cur[j] = d;
			if (d < best)
				best = d;
		}
		if (best > max)
			return max + 1;
	}
	return row[la % 3][lb];
}

/*
 * The one name that key is a likely misspelling of: one edit away (two
 * for keys of five characters or more) and closer than any other name.
 */
static const char *
nearest(const char *key, const char *const *names, size_t n)
{
	size_t max = strlen(key) >= 5 ? 2 : 1, d, best = max + 1, k;
	const char *found = NULL;
	int tie = 0;

	for (k = 0; k < n; k++) {
		d = distance(key, names[k], max);
		if (d < best) {
			best = d;
			found = names[k];
			tie = 0;
		} else if (d == best && d <= max)
			tie = 1;
	}
	return tie ? NULL : found;
}

int
dipb_yt_fields(struct dipb_yctx *ctx, const struct dipb_ynode *map,
    const char *what, const char *const *names, size_t n,
    unsigned long required, const struct dipb_ypair **out)
{
	const struct dipb_ypair *p;
	const char *near;
	char *show;
	size_t i, k;

	for (k = 0; k < n; k++)
		out[k] = NULL;
	if (map->kind != DIPB_YMAP) {
		dipb_yt_error(ctx, map->pos, "type", "%s must be a mapping",
		    what);
		return -1;
	}
	for (i = 0; i < map->npairs; i++) {
		p = &map->pairs[i];
		for (k = 0; k < n && (p->key[0] != names[k][0] ||
		    strcmp(p->key, names[k]) != 0); k++)
			continue;
		if (k < n) {
			out[k] = p;
			continue;
		}
		show = dipb_yt_show(p->key);
		if ((near = nearest(p->key, names, n)) != NULL)
			report(ctx, p->pos, ctx->strict ? DIPB_SEV_ERROR :
			    DIPB_SEV_WARNING, "unknown-key", "unknown key '%s' "
			    "(did you mean '%s'?)", show, near);
		else
			report(ctx, p->pos, ctx->strict ? DIPB_SEV_ERROR :
			    DIPB_SEV_WARNING, "unknown-key", "unknown key '%s'",
			    show);
		free(show);
	}
	for (k = 0; k < n; k++)
		if ((required >> k & 1) && out[k] == NULL)
			dipb_yt_error(ctx, map->pos, "required",
			    "missing required key '%s'", names[k]);
	return 0;
}

int
dipb_yt_keys(struct dipb_yctx *ctx, const struct dipb_ynode *map,
    const char *what, const struct dipb_key *keys, size_t n, int required,
    const struct dipb_ypair **out)
{
	const char *names[DIPB_MAX_KEYS];
	unsigned long req = 0;
	size_t k;

	/* The tables are dipb's own (schema.h), none that long. */
	if (n > DIPB_MAX_KEYS)
		dipb_abort("a table of keys longer than DIPB_MAX_KEYS");
	for (k = 0; k < n; k++) {
		names[k] = keys[k].name;
		if (required && (keys[k].flags & DIPB_KEY_REQUIRED))
			req |= 1UL << k;
	}
	return dipb_yt_fields(ctx, map, what, names, n, req, out);
}

int
dipb_yt_flags(const struct dipb_key *k)
{
	int flags = 0;

	if (k->flags & (DIPB_KEY_REQUIRED | DIPB_KEY_NONEMPTY))
		flags |= DIPB_YT_REQ;
	if (k->type == DIPB_KEY_MARKDOWN)
		flags |= DIPB_YT_MD;
	if (k->type == DIPB_KEY_DATE)
		flags |= DIPB_YT_DATE;
	return flags;
}

int
dipb_yt_key_enum(struct dipb_yctx *ctx, const struct dipb_ypair *p,
    const struct dipb_key *k, int flags, int *out)
{
	int rc = dipb_yt_enum(ctx, p, k->values, k->nvalues, flags, out);

	if (rc == 1)
		*out += k->first;
	return rc;
}

int
dipb_yt_absent(const struct dipb_ypair *p)
{
	return p == NULL || (p->val->kind == DIPB_YSCALAR && p->val->null);
}

char *
dipb_yt_string(struct dipb_yctx *ctx, const struct dipb_ypair *p, int flags)
{
	const struct dipb_ynode *v;
	char *show;

	if (p == NULL)
		return NULL;
	v = p->val;
	if (v->kind != DIPB_YSCALAR) {
		dipb_yt_error(ctx, v->pos, "type", "'%s' must be a string",
		    p->key);
		return NULL;
	}
	/* Blanks only are no value, as a command takes them (text.h). */
	if (v->null || ((flags & DIPB_YT_REQ) && dipb_text_blank(v->str))) {
		if (flags & DIPB_YT_REQ)
			dipb_yt_error(ctx, v->pos, "empty", v->null ||
			    v->str[0] == '\0' ? "'%s' is empty" :
			    "'%s' holds only blanks", p->key);
		return NULL;
	}
	if ((flags & DIPB_YT_MD) && strlen(v->str) > DIPB_MAX_MARKDOWN) {
		dipb_yt_error(ctx, v->pos, "markdown-size",
		    "'%s' is longer than %d bytes", p->key, DIPB_MAX_MARKDOWN);
		return NULL;
	}
	if ((flags & DIPB_YT_DATE) && !dipb_date_valid(v->str)) {
		show = dipb_yt_show(v->str);
		dipb_yt_error(ctx, v->pos, "date",
		    "'%s' is not a valid date: '%s'", p->key, show);
		free(show);
		return NULL;
	}
	return xstrdup(v->str);
}

int
dipb_yt_strlist(struct dipb_yctx *ctx, const struct dipb_ypair *p,
    struct dipb_strlist *out)
{
	return dipb_yt_strlist_at(ctx, p, out, NULL);
}

int
dipb_yt_strlist_at(struct dipb_yctx *ctx, const struct dipb_ypair *p,
    struct dipb_strlist *out, struct dipb_itempos *at)
{
	const struct dipb_ynode *v, *item;
	size_t i;
	int rc = 0;

	if (dipb_yt_absent(p))
		return 0;
	v = p->val;
	if (v->kind != DIPB_YSEQ) {
		dipb_yt_error(ctx, v->pos, "type", "'%s' must be a list",
		    p->key);
		return -1;
	}
	/* Room for every item's position at once: one each it keeps. */
	if (at != NULL)
		at->v = xrealloc(at->v, (at->n + v->n + 1) * sizeof(*at->v));
	for (i = 0; i < v->n; i++) {
		item = v->items[i];
		if (item->kind != DIPB_YSCALAR) {
			dipb_yt_error(ctx, item->pos, "type",
			    "items of '%s' must be strings", p->key);
			rc = -1;
		} else if (item->null || dipb_text_blank(item->str)) {
			dipb_yt_error(ctx, item->pos, "empty",
			    item->null || item->str[0] == '\0' ?
			    "empty item in '%s'" :
			    "an item of '%s' holds only blanks", p->key);
			rc = -1;
		} else {
			dipb_strlist_push(out, item->str);
			if (at != NULL)
				at->v[at->n++] = item->pos;
		}
	}
	return rc;
}

int
dipb_yt_enum(struct dipb_yctx *ctx, const struct dipb_ypair *p,
    const char *const *names, size_t n, int flags, int *out)
{
	struct dipb_buf list = DIPB_BUF_INIT;
	char *s;
	size_t k;

	if (p == NULL)
		return 0;
	if ((s = dipb_yt_string(ctx, p, flags)) == NULL)
		return dipb_yt_absent(p) && !(flags & DIPB_YT_REQ) ? 0 : -1;
	for (k = 0; k < n; k++)
		if (strcmp(s, names[k]) == 0) {
			free(s);
			*out = (int)k;
			return 1;
		}
	for (k = 0; k < n; k++)
		dipb_buf_printf(&list, "%s%s", k ? ", " : "", names[k]);
	dipb_yt_error(ctx, p->val->pos, "enum", "'%s' must be one of %s",
	    p->key, dipb_buf_cstr(&list));
	dipb_buf_release(&list);
	free(s);
	return -1;
}

/* The record. */


static char *
load_id(struct dipb_yctx *ctx, const struct dipb_ypair *p, int flags)
{
	char *id = dipb_yt_string(ctx, p, flags), *show;

	if (id == NULL || dipb_id_valid(id))
		return id;
	show = dipb_yt_show(id);
	dipb_yt_error(ctx, p->val->pos, "id", "'%s' is not a valid record id: "
	    "'%s'", p->key, show);
	free(show);
	free(id);
	return NULL;
}

static const struct dipb_ynode *
sequence(struct dipb_yctx *ctx, const struct dipb_ypair *p)
{
	if (dipb_yt_absent(p))
		return NULL;
	if (p->val->kind != DIPB_YSEQ) {
		dipb_yt_error(ctx, p->val->pos, "type", "'%s' must be a list",
		    p->key);
		return NULL;
	}
	return p->val;
}

/* An action's rescheduled list: its due date's moves (dipb-record(5)). */
static void
load_rescheduled(struct dipb_yctx *ctx, const struct dipb_ypair *p,
    const struct dipb_key *key, struct dipb_action *a)
{
	const struct dipb_key *keys = key->sub;
	const struct dipb_ynode *seq = sequence(ctx, p);
	const struct dipb_ypair *f[5];
	struct dipb_reschedule *x;
	size_t i;

	if (seq == NULL)
		return;
	a->rescheduled = xcalloc(seq->n, sizeof(*a->rescheduled));
	for (i = 0; i < seq->n; i++) {
		if (dipb_yt_keys(ctx, seq->items[i], "a rescheduling", keys,
		    key->nsub, 1, f) == -1)
			continue;
		x = &a->rescheduled[a->nrescheduled++];
		x->pos = seq->items[i]->pos;
		x->from = dipb_yt_string(ctx, f[0], dipb_yt_flags(&keys[0]));
		x->to = dipb_yt_string(ctx, f[1], dipb_yt_flags(&keys[1]));
		x->date = dipb_yt_string(ctx, f[2], dipb_yt_flags(&keys[2]));
		x->by = dipb_yt_string(ctx, f[3], dipb_yt_flags(&keys[3]));
		x->reason = dipb_yt_string(ctx, f[4],
		    dipb_yt_flags(&keys[4]));
	}
}

static void
load_action(struct dipb_yctx *ctx, const struct dipb_ynode *item,
    struct dipb_record *r)
{
	const struct dipb_key *keys = dipb_record_keys[DIPB_F_ACTIONS].sub;
	const struct dipb_ypair *f[5];
	struct dipb_action *a;
	int k;

	if (dipb_yt_keys(ctx, item, "an action", keys, 5, 1, f) == -1)
		return;
	a = &r->actions[r->nactions++];
	a->pos = item->pos;
	a->text = dipb_yt_string(ctx, f[0], dipb_yt_flags(&keys[0]));
	a->owner = dipb_yt_string(ctx, f[1], dipb_yt_flags(&keys[1]));
	if (f[1] != NULL)
		a->owner_pos = f[1]->val->pos;
	a->due = dipb_yt_string(ctx, f[2], dipb_yt_flags(&keys[2]));
	if (dipb_yt_key_enum(ctx, f[3], &keys[3], dipb_yt_flags(&keys[3]),
	    &k) == 1)
		a->state = (enum dipb_action_state)k;
	if (f[4] != NULL)
		load_rescheduled(ctx, f[4], &keys[4], a);
	/* dipb action's, never the drafter's (dipb-record(5)): an action
	 * drafted is open, its due date never moved. */
	if (ctx->input && f[3] != NULL && a->state != DIPB_ACTION_OPEN)
		dipb_yt_error(ctx, f[3]->pos, "input-key", "an action's "
		    "'state' is set by dipb action: it cannot be '%s' in an "
		    "input file", dipb_action_state_name(a->state));
	if (ctx->input && a->nrescheduled > 0)
		dipb_yt_error(ctx, f[4]->pos, "input-key", "'rescheduled' is "
		    "set by dipb action --due: it cannot be given in an input "
		    "file");
}

static void
load_review(struct dipb_yctx *ctx, const struct dipb_ynode *item,
    struct dipb_record *r)
{
	const struct dipb_key *keys = dipb_record_keys[DIPB_F_REVIEWS].sub;
	const struct dipb_ypair *f[6];
	struct dipb_review *rv;
	int k;

	if (dipb_yt_keys(ctx, item, "a review", keys, 6, 1, f) == -1)
		return;
	rv = &r->reviews[r->nreviews++];
	rv->pos = item->pos;
	if (f[0] != NULL)
		rv->reviewer_pos = f[0]->val->pos;
	if (f[3] != NULL)
		rv->fingerprint_pos = f[3]->val->pos;
	rv->reviewer = dipb_yt_string(ctx, f[0], dipb_yt_flags(&keys[0]));
	rv->date = dipb_yt_string(ctx, f[1], dipb_yt_flags(&keys[1]));
	if (dipb_yt_key_enum(ctx, f[2], &keys[2], dipb_yt_flags(&keys[2]),
	    &k) == 1)
		rv->verdict = (enum dipb_verdict)k;
	rv->fingerprint = dipb_yt_string(ctx, f[3], dipb_yt_flags(&keys[3]));
	rv->comment = dipb_yt_string(ctx, f[4], dipb_yt_flags(&keys[4]));
	/* Optional: reviews written before dipb-record(5) had it. */
	if (f[5] != NULL)
		rv->classification_pos = f[5]->val->pos;
	rv->classification = dipb_yt_string(ctx, f[5],
	    dipb_yt_flags(&keys[5]));
}

static void
load_actions(struct dipb_yctx *ctx, const struct dipb_ypair *p,
    struct dipb_record *r)
{
	const struct dipb_ynode *seq = sequence(ctx, p);
	size_t i;

	if (seq == NULL)
		return;
	r->actions = xcalloc(seq->n, sizeof(*r->actions));
	for (i = 0; i < seq->n; i++)
		load_action(ctx, seq->items[i], r);
}

static void
load_reviews(struct dipb_yctx *ctx, const struct dipb_ypair *p,
    struct dipb_record *r)
{
	const struct dipb_ynode *seq = sequence(ctx, p);
	size_t i;

	if (seq == NULL)
		return;
	r->reviews = xcalloc(seq->n, sizeof(*r->reviews));
	for (i = 0; i < seq->n; i++)
		load_review(ctx, seq->items[i], r);
}

static void
load_replies(struct dipb_yctx *ctx, const struct dipb_ypair *p,
    struct dipb_record *r)
{
	const struct dipb_key *keys = dipb_record_keys[DIPB_F_REPLIES].sub;
	const struct dipb_ynode *seq = sequence(ctx, p);
	const struct dipb_ypair *f[4];
	struct dipb_reply *rp;
	size_t i;

	if (seq == NULL)
		return;
	r->replies = xcalloc(seq->n, sizeof(*r->replies));
	for (i = 0; i < seq->n; i++) {
		if (dipb_yt_keys(ctx, seq->items[i], "a reply", keys, 4, 1,
		    f) == -1)
			continue;
		rp = &r->replies[r->nreplies++];
		rp->pos = seq->items[i]->pos;
		rp->by = dipb_yt_string(ctx, f[0], dipb_yt_flags(&keys[0]));
		rp->date = dipb_yt_string(ctx, f[1], dipb_yt_flags(&keys[1]));
		rp->to = dipb_yt_string(ctx, f[2], dipb_yt_flags(&keys[2]));
		rp->text = dipb_yt_string(ctx, f[3], dipb_yt_flags(&keys[3]));
	}
}

/* The three-key mappings: submission, decision, withdrawal. */
static int
submap(struct dipb_yctx *ctx, const struct dipb_ypair *p,
    const struct dipb_key *keys, const struct dipb_ypair *f[3])
{
	char *what;
	int rc;

	if (dipb_yt_absent(p))
		return -1;
	what = xasprintf("'%s'", p->key);
	rc = dipb_yt_keys(ctx, p->val, what, keys, 3, 1, f);
	free(what);
	return rc;
}

static void
load_submission(struct dipb_yctx *ctx, const struct dipb_ypair *p,
    struct dipb_record *r)
{
	const struct dipb_key *keys = dipb_record_keys[DIPB_F_SUBMISSION].sub;
	const struct dipb_ypair *f[3];

	if (submap(ctx, p, keys, f) == -1)
		return;
	r->submission = xcalloc(1, sizeof(*r->submission));
	r->submission->date = dipb_yt_string(ctx, f[0],
	    dipb_yt_flags(&keys[0]));
	r->submission->to = dipb_yt_string(ctx, f[1], dipb_yt_flags(&keys[1]));
	r->submission->reference = dipb_yt_string(ctx, f[2],
	    dipb_yt_flags(&keys[2]));
}

static void
load_decision(struct dipb_yctx *ctx, const struct dipb_ypair *p,
    struct dipb_record *r)
{
	const struct dipb_key *keys = dipb_record_keys[DIPB_F_DECISION].sub;
	const struct dipb_ypair *f[3];
	int k;

	if (submap(ctx, p, keys, f) == -1)
		return;
	r->decision = xcalloc(1, sizeof(*r->decision));
	r->decision->date = dipb_yt_string(ctx, f[0],
	    dipb_yt_flags(&keys[0]));
	if (dipb_yt_key_enum(ctx, f[1], &keys[1], dipb_yt_flags(&keys[1]),
	    &k) == 1)
		r->decision->outcome = (enum dipb_outcome)k;
	r->decision->note = dipb_yt_string(ctx, f[2], dipb_yt_flags(&keys[2]));
}

static void
load_withdrawal(struct dipb_yctx *ctx, const struct dipb_ypair *p,
    struct dipb_record *r)
{
	const struct dipb_key *keys = dipb_record_keys[DIPB_F_WITHDRAWAL].sub;
	const struct dipb_ypair *f[3];

	if (submap(ctx, p, keys, f) == -1)
		return;
	r->withdrawal = xcalloc(1, sizeof(*r->withdrawal));
	r->withdrawal->date = dipb_yt_string(ctx, f[0],
	    dipb_yt_flags(&keys[0]));
	r->withdrawal->by = dipb_yt_string(ctx, f[1], dipb_yt_flags(&keys[1]));
	r->withdrawal->reason = dipb_yt_string(ctx, f[2],
	    dipb_yt_flags(&keys[2]));
}

static void
load_enums(struct dipb_yctx *ctx, struct dipb_record *r, enum dipb_field f,
    const struct dipb_ypair *p, int flags)
{
	int k;

	if (dipb_yt_key_enum(ctx, p, &dipb_record_keys[f], flags, &k) != 1)
		return;
	if (f == DIPB_F_STATUS)
		r->status = (enum dipb_status)k;
	else
		r->priority = (enum dipb_priority)k;
}

static void
load_field(struct dipb_yctx *ctx, struct dipb_record *r, enum dipb_field f,
    const struct dipb_ypair *p, int flags)
{
	switch (f) {
	case DIPB_F_ID:
		r->id = load_id(ctx, p, flags);
		break;
	case DIPB_F_TITLE:
		r->title = dipb_yt_string(ctx, p, flags);
		break;
	case DIPB_F_WORKING_GROUP:
		r->working_group = dipb_yt_string(ctx, p, flags);
		break;
	case DIPB_F_STATUS:
	case DIPB_F_PRIORITY:
		load_enums(ctx, r, f, p, flags);
		break;
	case DIPB_F_CLASSIFICATION:
		r->classification = dipb_yt_string(ctx, p, flags);
		break;
	case DIPB_F_CREATED:
		r->created = dipb_yt_string(ctx, p, flags);
		break;
	case DIPB_F_UPDATED:
		r->updated = dipb_yt_string(ctx, p, flags);
		break;
	case DIPB_F_AUTHOR:
		r->author = dipb_yt_string(ctx, p, flags);
		break;
	case DIPB_F_TOPICS:
		dipb_yt_strlist_at(ctx, p, &r->topics, &r->topics_at);
		break;
	case DIPB_F_SUMMARY:
		r->summary = dipb_yt_string(ctx, p, flags);
		break;
	case DIPB_F_RATIONALE:
		r->rationale = dipb_yt_string(ctx, p, flags);
		break;
	case DIPB_F_ACTIONS:
		load_actions(ctx, p, r);
		break;
	case DIPB_F_REFERENCES:
		dipb_yt_strlist_at(ctx, p, &r->references,
		    &r->references_at);
		break;
	case DIPB_F_REVIEWS:
		load_reviews(ctx, p, r);
		break;
	case DIPB_F_REPLIES:
		load_replies(ctx, p, r);
		break;
	case DIPB_F_SUBMISSION:
		load_submission(ctx, p, r);
		break;
	case DIPB_F_DECISION:
		load_decision(ctx, p, r);
		break;
	case DIPB_F_WITHDRAWAL:
		load_withdrawal(ctx, p, r);
		break;
	default:
		break;
	}
}

static void
load_record(struct dipb_yctx *ctx, const struct dipb_ynode *root,
    int flags, struct dipb_record *r)
{
	const struct dipb_key *k;
	const struct dipb_ypair *f[DIPB_F__COUNT];
	int i, input = (flags & DIPB_LOAD_INPUT) != 0, yt;

	if (dipb_yt_keys(ctx, root, "a record", dipb_record_keys,
	    DIPB_F__COUNT, !input, f) == -1)
		return;
	r->at = root->pos;
	for (i = 0; i < DIPB_F__COUNT; i++) {
		if (f[i] == NULL)
			continue;
		k = &dipb_record_keys[i];
		r->pos[i] = f[i]->pos;
		r->vpos[i] = f[i]->val->pos;
		if (input && !(k->flags & DIPB_KEY_DRAFTER)) {
			dipb_yt_error(ctx, f[i]->pos, "input-key",
			    "'%s' cannot be given in an input file", k->name);
			continue;
		}
		/* An input file requires nothing (dipb-recommend(1)). */
		yt = dipb_yt_flags(k);
		if (input)
			yt &= ~DIPB_YT_REQ;
		load_field(ctx, r, (enum dipb_field)i, f[i], yt);
	}
}

int
dipb_record_load(struct dipb_record *out, const char *path, const char *buf,
    size_t len, int flags, struct dipb_diags *diags)
{
	struct dipb_yctx ctx;
	struct dipb_ynode *root;
	size_t nerrors = diags->nerrors;

	ctx.path = path;
	ctx.diags = diags;
	ctx.strict = (flags & (DIPB_LOAD_INPUT | DIPB_LOAD_STRICT)) != 0;
	ctx.input = (flags & DIPB_LOAD_INPUT) != 0;
	if (dipb_ytree_parse(&root, &ctx, buf, len) == -1)
		return -1;
	if (root == NULL || (root->kind == DIPB_YSCALAR && root->null)) {
		if (!(flags & DIPB_LOAD_INPUT))
			dipb_yt_error(&ctx, whole_file, "empty",
			    "file is empty");
	} else
		load_record(&ctx, root, flags, out);
	dipb_ytree_free(root);
	return diags->nerrors > nerrors ? -1 : 0;
}

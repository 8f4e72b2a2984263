/*
 * checkpoint.c - the text of a verify checkpoint (checkpoint.h).
 *
 * One item a line, its fields separated by one space; a string field is
 * "-" for none, else "=" and the string with every byte that is not
 * printable ASCII, a space or '%' written as %XX, so that no member's text
 * (a message, a tag name) can make a line or a field of its own.  The
 * last line, "end <digest>", is the git blob id of every byte before it:
 * a text cut short or changed by hand does not parse.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checkpoint.h"

#define MAGIC	"dipb-verify-checkpoint 2\n"

void
dipb_checkpoint_init(struct dipb_checkpoint *c)
{
	memset(c, 0, sizeof(*c));
	dipb_strlist_init(&c->keys);
}

void
dipb_checkpoint_release(struct dipb_checkpoint *c)
{
	size_t i;

	dipb_strlist_release(&c->keys);
	for (i = 0; i < c->nrecords; i++)
		free(c->records[i].id);
	free(c->records);
	for (i = 0; i < c->ntagsu; i++) {
		free(c->tags[i].name);
		free(c->tags[i].extra);
	}
	free(c->tags);
	for (i = 0; i < c->nfindings; i++) {
		free(c->findings[i].tag);
		free(c->findings[i].path);
		free(c->findings[i].rule);
		free(c->findings[i].msg);
	}
	free(c->findings);
	dipb_checkpoint_init(c);
}

/* ---- writing ----------------------------------------------------------- */

static void
put_str(struct dipb_buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p;

	dipb_buf_putc(b, ' ');
	if (s == NULL) {
		dipb_buf_putc(b, '-');
		return;
	}
	dipb_buf_putc(b, '=');
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p > ' ' && *p < 0x7f && *p != '%') {
			dipb_buf_putc(b, (char)*p);
			continue;
		}
		dipb_buf_putc(b, '%');
		dipb_buf_putc(b, hex[*p >> 4]);
		dipb_buf_putc(b, hex[*p & 15]);
	}
}

static void
put_oid(struct dipb_buf *b, const char *hex)
{
	dipb_buf_putc(b, ' ');
	dipb_buf_puts(b, hex[0] != '\0' ? hex : "-");
}

void
dipb_checkpoint_emit(struct dipb_buf *out, const struct dipb_checkpoint *c,
    const char *rules)
{
	char digest[DIPB_OID_HEX + 1];
	size_t i, start = out->len;

	dipb_buf_puts(out, MAGIC);
	dipb_buf_puts(out, "rules");
	put_str(out, rules);
	dipb_buf_printf(out, "\ncommit %s\ntags %zu %s\nboard %d", c->commit,
	    c->ntags, c->tags_digest, c->have_board);
	put_oid(out, c->board_blob);
	dipb_buf_putc(out, '\n');
	for (i = 0; i < c->keys.n; i++) {
		dipb_buf_putc(out, 'k');
		put_str(out, c->keys.v[i]);
		dipb_buf_putc(out, '\n');
	}
	for (i = 0; i < c->nrecords; i++) {
		const struct dipb_ckpt_record *r = &c->records[i];

		dipb_buf_putc(out, 'r');
		put_str(out, r->id);
		put_oid(out, r->blob);
		dipb_buf_printf(out, " %d %d %d %lu %lu\n", r->exists,
		    r->status, r->unknown, r->ntags, r->missing);
	}
	for (i = 0; i < c->ntagsu; i++) {
		dipb_buf_putc(out, 'u');
		put_str(out, c->tags[i].name);
		dipb_buf_printf(out, " %d", c->tags[i].reported);
		put_str(out, c->tags[i].extra);
		dipb_buf_putc(out, '\n');
	}
	for (i = 0; i < c->nfindings; i++) {
		const struct dipb_ckpt_finding *f = &c->findings[i];

		dipb_buf_putc(out, 'f');
		put_oid(out, f->commit);
		put_str(out, f->tag);
		put_str(out, f->path);
		put_str(out, f->rule);
		put_str(out, f->msg);
		dipb_buf_putc(out, '\n');
	}
	dipb_git_hash_blob(digest, out->ptr + start, out->len - start);
	dipb_buf_printf(out, "end %s\n", digest);
}

/* ---- reading ----------------------------------------------------------- */

struct reader {
	const char	*p;	/* the next field */
	const char	*eol;	/* the end of the line */
	int		 bad;
};

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The next field, [*s, *e); 0 when there is none. */
static int
field(struct reader *r, const char **s, const char **e)
{
	if (r->bad || r->p >= r->eol || *r->p != ' ') {
		r->bad = 1;
		return 0;
	}
	*s = ++r->p;
	while (r->p < r->eol && *r->p != ' ')
		r->p++;
	*e = r->p;
	return 1;
}

/* A string field: NULL for "-"; marks r bad when malformed. */
static char *
get_str(struct reader *r)
{
	const char *s, *e;
	struct dipb_buf b;
	int hi, lo;

	if (!field(r, &s, &e))
		return NULL;
	if (e - s == 1 && *s == '-')
		return NULL;
	if (s == e || *s != '=') {
		r->bad = 1;
		return NULL;
	}
	dipb_buf_init(&b);
	dipb_buf_puts(&b, "");
	for (s++; s < e; s++) {
		if (*s != '%') {
			dipb_buf_putc(&b, *s);
			continue;
		}
		if (e - s < 3 || (hi = hexval(s[1])) < 0 ||
		    (lo = hexval(s[2])) < 0 || (hi == 0 && lo == 0)) {
			r->bad = 1;
			break;
		}
		dipb_buf_putc(&b, (char)(hi << 4 | lo));
		s += 2;
	}
	if (r->bad) {
		dipb_buf_release(&b);
		return NULL;
	}
	return dipb_buf_detach(&b);
}

/* An object id field ("-": none, out ""). */
static void
get_oid(struct reader *r, char out[DIPB_OID_HEX + 1])
{
	const char *s, *e;

	out[0] = '\0';
	if (!field(r, &s, &e))
		return;
	if (e - s == 1 && *s == '-')
		return;
	if (e - s != DIPB_OID_HEX ||
	    strspn(s, "0123456789abcdef") < DIPB_OID_HEX) {
		r->bad = 1;
		return;
	}
	memcpy(out, s, DIPB_OID_HEX);
	out[DIPB_OID_HEX] = '\0';
}

static unsigned long
get_num(struct reader *r, unsigned long max)
{
	const char *s, *e;
	unsigned long n = 0;

	if (!field(r, &s, &e))
		return 0;
	if (s == e || e - s > 10) {
		r->bad = 1;
		return 0;
	}
	for (; s < e; s++) {
		if (*s < '0' || *s > '9') {
			r->bad = 1;
			return 0;
		}
		n = n * 10 + (unsigned long)(*s - '0');
	}
	if (n > max)
		r->bad = 1;
	return n;
}

static const struct dipb_error *
corrupt(const char *why)
{
	return dipb_error_fmt(DIPB_ERR_CORRUPT, "verify checkpoint: %s", why);
}

/* The line of kind k (r->p after it) into c. */
static void
parse_line(struct dipb_checkpoint *c, struct reader *r, char k)
{
	struct dipb_ckpt_record *rec;
	struct dipb_ckpt_finding *f;
	struct dipb_ckpt_tag *t;
	char *s;

	switch (k) {
	case 'k':
		if ((s = get_str(r)) != NULL)
			dipb_strlist_push_owned(&c->keys, s);
		else
			r->bad = 1;
		break;
	case 'r':
		xgrow((void **)&c->records, &c->caprecords, c->nrecords + 1,
		    sizeof(*c->records));
		rec = &c->records[c->nrecords++];
		memset(rec, 0, sizeof(*rec));
		if ((rec->id = get_str(r)) == NULL)
			r->bad = 1;
		get_oid(r, rec->blob);
		rec->exists = (int)get_num(r, 1);
		rec->status = (int)get_num(r, 255);
		rec->unknown = (int)get_num(r, 1);
		rec->ntags = get_num(r, 4000000000UL);
		rec->missing = get_num(r, 4000000000UL);
		break;
	case 'u':
		xgrow((void **)&c->tags, &c->captags, c->ntagsu + 1,
		    sizeof(*c->tags));
		t = &c->tags[c->ntagsu++];
		memset(t, 0, sizeof(*t));
		if ((t->name = get_str(r)) == NULL)
			r->bad = 1;
		t->reported = (int)get_num(r, 1);
		t->extra = get_str(r);
		break;
	case 'f':
		xgrow((void **)&c->findings, &c->capfindings,
		    c->nfindings + 1, sizeof(*c->findings));
		f = &c->findings[c->nfindings++];
		memset(f, 0, sizeof(*f));
		get_oid(r, f->commit);
		f->tag = get_str(r);
		f->path = get_str(r);
		if ((f->rule = get_str(r)) == NULL ||
		    (f->msg = get_str(r)) == NULL)
			r->bad = 1;
		break;
	default:
		r->bad = 1;
	}
}

const struct dipb_error *
dipb_checkpoint_parse(struct dipb_checkpoint *out, const char *data,
    size_t len, const char *rules, const char *commit)
{
	char digest[DIPB_OID_HEX + 1], want[DIPB_OID_HEX + 1];
	const char *end, *line, *nl;
	struct reader r;
	char *str;
	int ok;

	dipb_checkpoint_init(out);
	/* The last line: "end <digest>\n", of every byte before it. */
	if (len < sizeof(MAGIC) - 1 + 4 + DIPB_OID_HEX + 1 ||
	    memcmp(data, MAGIC, sizeof(MAGIC) - 1) != 0)
		return corrupt("not a checkpoint");
	end = data + len - (4 + DIPB_OID_HEX + 1);
	if (memcmp(end, "end ", 4) != 0 || data[len - 1] != '\n' ||
	    end[-1] != '\n')
		return corrupt("cut short");
	memcpy(want, end + 4, DIPB_OID_HEX);
	want[DIPB_OID_HEX] = '\0';
	dipb_git_hash_blob(digest, data, (size_t)(end - data));
	if (strcmp(digest, want) != 0)
		return corrupt("its digest does not match: changed by hand?");
	if (memchr(data, '\0', len) != NULL)
		return corrupt("a NUL byte");

	memset(&r, 0, sizeof(r));
	line = data + sizeof(MAGIC) - 1;
	/* rules, commit, tags, board: in that order. */
	nl = memchr(line, '\n', (size_t)(end - line));
	if (nl == NULL || strncmp(line, "rules", 5) != 0)
		return corrupt("no rules line");
	r.p = line + 5;
	r.eol = nl;
	str = get_str(&r);
	ok = str != NULL && !r.bad && r.p == r.eol && strcmp(str, rules) == 0;
	free(str);
	if (!ok)
		return corrupt("made for other rules");
	line = nl + 1;
	nl = memchr(line, '\n', (size_t)(end - line));
	if (nl == NULL || strncmp(line, "commit", 6) != 0)
		return corrupt("no commit line");
	r.p = line + 6;
	r.eol = nl;
	get_oid(&r, out->commit);
	if (r.bad || r.p != r.eol || strcmp(out->commit, commit) != 0)
		return corrupt("made for another commit");
	line = nl + 1;
	nl = memchr(line, '\n', (size_t)(end - line));
	if (nl == NULL || strncmp(line, "tags", 4) != 0)
		return corrupt("no tags line");
	r.p = line + 4;
	r.eol = nl;
	out->ntags = get_num(&r, 4000000000UL);
	get_oid(&r, out->tags_digest);
	line = nl + 1;
	nl = memchr(line, '\n', (size_t)(end - line));
	if (r.bad || r.p != r.eol || nl == NULL ||
	    strncmp(line, "board", 5) != 0)
		return corrupt("no board line");
	r.p = line + 5;
	r.eol = nl;
	out->have_board = (int)get_num(&r, 1);
	get_oid(&r, out->board_blob);
	if (r.bad || r.p != r.eol)
		return corrupt("a malformed board line");
	for (line = nl + 1; line < end; line = nl + 1) {
		nl = memchr(line, '\n', (size_t)(end - line));
		r.p = line + 1;
		r.eol = nl;
		parse_line(out, &r, *line);
		if (r.bad || r.p != r.eol)
			return corrupt("a malformed line");
	}
	return NULL;
}

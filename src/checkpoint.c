/*
 * checkpoint.c - the text of a verify checkpoint (checkpoint.h).
 *
 * One item a line, its fields separated by one space; a string field is
 * "-" for none, else "=" and the string with every byte that is not
 * printable ASCII, a space or '%' written as %XX, so that no member's text
 * (a message, a tag name) can make a line or a field of its own.  The
 * last line, "end <digest>", is the git blob id of every byte before it:
 * a text cut short or changed by hand does not parse.  The lines come in
 * the order of their kinds (k, l, u, f, r); the loose tags' (l) are
 * sorted by name and the records' (r), last, by their id as written, so
 * that a record's line is found by a binary search and the lines of the
 * records a replay did not touch are written again as they are.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checkpoint.h"

#define MAGIC	"dipb-verify-checkpoint 4\n"

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
	for (i = 0; i < c->nloose; i++)
		free(c->loose[i].name);
	free(c->loose);
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

static void	digest_of(char *, const char *, size_t);

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

/* The id field of the record line at p ("r =<id> ..."), its length. */
static size_t
line_id(const char **id, const char *p, const char *end)
{
	const char *e;

	*id = p + 2;
	for (e = *id; e < end && *e != ' ' && *e != '\n'; e++)
		continue;
	return (size_t)(e - *id);
}

/* The start of the line at or before p in [begin, p]. */
static const char *
line_start(const char *begin, const char *p)
{
	while (p > begin && p[-1] != '\n')
		p--;
	return p;
}

static const char *
line_next(const char *p, const char *end)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));

	return nl != NULL ? nl + 1 : end;
}

/*
 * The first record line of [begin, end) whose id field is not below key
 * (klen bytes, as written): end when there is none.
 */
static const char *
lower_line(const char *begin, const char *end, const char *key, size_t klen)
{
	const char *lo = begin, *hi = end, *mid, *id;
	size_t n;

	while (lo < hi) {
		mid = line_start(lo, lo + (hi - lo) / 2);
		n = line_id(&id, mid, end);
		if (dipb_bytes_cmp(id, n, key, klen) < 0)
			lo = line_next(mid, end);
		else
			hi = mid;
	}
	return lo;
}

/* A record's line, made. */
struct rline {
	char	*text;
	size_t	 len;
	size_t	 idlen;		/* of its id field, after "r " */
};

static int
cmp_rline(const void *a, const void *b)
{
	const struct rline *x = a, *y = b;

	return dipb_bytes_cmp(x->text + 2, x->idlen, y->text + 2, y->idlen);
}

/* The pieces of a text, in order: borrowed bytes, or owned (line texts). */
struct pieces {
	struct dipb_buf	 head;		/* every line before the records' */
	struct {
		const char	*p;
		size_t		 len;
	}		*v;
	size_t		 n;
	size_t		 cap;
	char		**own;		/* the records' new lines */
	size_t		 nown;
	size_t		 total;
};

static void
piece(struct pieces *ps, const char *p, size_t len)
{
	if (len == 0)
		return;
	xgrow((void **)&ps->v, &ps->cap, ps->n + 1, sizeof(*ps->v));
	ps->v[ps->n].p = p;
	ps->v[ps->n++].len = len;
	ps->total += len;
}

/*
 * The records' lines as pieces: those of c->records, sorted, and between
 * them the lines of c->base they do not replace, as they are: a
 * checkpoint of 30,000 records after 100 commits is 1.9 MB written from
 * the old one's bytes and ~100 lines made.
 */
static void
record_pieces(struct pieces *ps, const struct dipb_checkpoint *c)
{
	static const char none[] = "";
	const char *p = c->base != NULL ? c->base : none, *end, *at, *id;
	struct rline *v = xcalloc(c->nrecords + 1, sizeof(*v));
	struct dipb_buf b;
	size_t i, n;

	end = p + c->baselen;
	for (i = 0; i < c->nrecords; i++) {
		const struct dipb_ckpt_record *r = &c->records[i];

		dipb_buf_init(&b);
		dipb_buf_putc(&b, 'r');
		put_str(&b, r->id);
		v[i].idlen = b.len - 2;
		put_oid(&b, r->blob);
		dipb_buf_printf(&b, " %d %d %d %lu %lu\n", r->exists,
		    r->status, r->unknown, r->ntags, r->missing);
		v[i].len = b.len;
		v[i].text = dipb_buf_detach(&b);
	}
	if (c->nrecords > 1)
		qsort(v, c->nrecords, sizeof(*v), cmp_rline);
	ps->own = xcalloc(c->nrecords + 1, sizeof(*ps->own));
	for (i = 0; i < c->nrecords; i++) {
		ps->own[ps->nown++] = v[i].text;
		if (i > 0 && cmp_rline(&v[i - 1], &v[i]) == 0)
			continue;	/* one line an id */
		/* The lines of base before it, as they are, then its own. */
		at = p < end ? lower_line(p, end, v[i].text + 2, v[i].idlen) :
		    end;
		piece(ps, p, (size_t)(at - p));
		p = at;
		if (p < end && (n = line_id(&id, p, end)) == v[i].idlen &&
		    memcmp(id, v[i].text + 2, n) == 0)
			p = line_next(p, end);
		piece(ps, v[i].text, v[i].len);
	}
	piece(ps, p, (size_t)(end - p));
	free(v);
}

static void
head_of(struct dipb_buf *out, const struct dipb_checkpoint *c,
    const char *rules)
{
	const struct dipb_fileid *id = &c->packed.id;
	size_t i;

	dipb_buf_puts(out, MAGIC);
	dipb_buf_puts(out, "rules");
	put_str(out, rules);
	dipb_buf_printf(out, "\ncommit %s\ntags %zu", c->commit, c->ntags);
	put_oid(out, c->tags_digest);
	dipb_buf_putc(out, '\n');
	if (!c->packed.have)
		dipb_buf_puts(out, "packed -\n");
	else if (!id->have)
		dipb_buf_puts(out, "packed 0\n");
	else
		dipb_buf_printf(out, "packed 1 %llu %llu %llu %lld %lld %lld "
		    "%lld\n", id->dev, id->ino, id->size, id->mtime_s,
		    id->mtime_ns, id->ctime_s, id->ctime_ns);
	dipb_buf_puts(out, "shallow");
	put_oid(out, c->shallow);
	dipb_buf_putc(out, '\n');
	dipb_buf_printf(out, "board %d", c->have_board);
	put_oid(out, c->board_blob);
	dipb_buf_putc(out, '\n');
	for (i = 0; i < c->keys.n; i++) {
		dipb_buf_putc(out, 'k');
		put_str(out, c->keys.v[i]);
		dipb_buf_putc(out, '\n');
	}
	for (i = 0; i < c->nloose; i++) {
		dipb_buf_putc(out, 'l');
		put_str(out, c->loose[i].name);
		put_oid(out, c->loose[i].hex);
		put_oid(out, c->loose[i].shadowed);
		dipb_buf_putc(out, '\n');
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
}

void
dipb_checkpoint_write(const struct dipb_checkpoint *c, const char *rules,
    dipb_ckpt_put_fn put, void *arg)
{
	struct pieces ps;
	struct dipb_sha1 *h;
	char line[4 + DIPB_OID_HEX + 2], head[32];
	size_t i;
	int n;

	memset(&ps, 0, sizeof(ps));
	dipb_buf_init(&ps.head);
	head_of(&ps.head, c, rules);
	ps.total = ps.head.len;
	record_pieces(&ps, c);
	/* The last line: the git blob id of every byte before it. */
	h = dipb_git_sha1_new();
	n = snprintf(head, sizeof(head), "blob %zu", ps.total);
	dipb_git_sha1_update(h, head, (size_t)n + 1);
	dipb_git_sha1_update(h, ps.head.ptr, ps.head.len);
	for (i = 0; i < ps.n; i++)
		dipb_git_sha1_update(h, ps.v[i].p, ps.v[i].len);
	memcpy(line, "end ", 4);
	dipb_git_sha1_hex(line + 4, h);
	line[4 + DIPB_OID_HEX] = '\n';
	put(arg, ps.head.ptr, ps.head.len);
	for (i = 0; i < ps.n; i++)
		put(arg, ps.v[i].p, ps.v[i].len);
	put(arg, line, sizeof(line) - 1);
	for (i = 0; i < ps.nown; i++)
		free(ps.own[i]);
	free(ps.own);
	free(ps.v);
	dipb_buf_release(&ps.head);
}

static void
put_buf(void *arg, const char *data, size_t len)
{
	dipb_buf_put(arg, data, len);
}

void
dipb_checkpoint_emit(struct dipb_buf *out, const struct dipb_checkpoint *c,
    const char *rules)
{
	dipb_checkpoint_write(c, rules, put_buf, out);
}

/*
 * The git blob id of the len bytes at data, as dipb_git_hash_blob makes
 * it, with libcrypto's SHA-1: libgit2's, which detects collisions, took
 * 9 % of a verify --since at 30,000 records on a text of 1.9 MB.
 */
static void
digest_of(char *hex, const char *data, size_t len)
{
	struct dipb_sha1 *h = dipb_git_sha1_new();
	char head[32];
	int n = snprintf(head, sizeof(head), "blob %zu", len);

	dipb_git_sha1_update(h, head, (size_t)n + 1);
	dipb_git_sha1_update(h, data, len);
	dipb_git_sha1_hex(hex, h);
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
	unsigned char raw[DIPB_OID_HEX / 2];

	out[0] = '\0';
	if (!field(r, &s, &e))
		return;
	if (e - s == 1 && *s == '-')
		return;
	/* Read within the field: the text need not end in a NUL (mapped). */
	if (e - s != DIPB_OID_HEX || dipb_unhex(raw, s, sizeof(raw)) < 0) {
		r->bad = 1;
		return;
	}
	memcpy(out, s, DIPB_OID_HEX);
	out[DIPB_OID_HEX] = '\0';
}

/*
 * A number of up to 10 digits, at most max: read in 64 bits, where ten
 * digits fit whatever the size of a long (32 bits wrap 9999999999 to a
 * number under max).
 */
static unsigned long
get_num(struct reader *r, unsigned long max)
{
	const char *s, *e;
	uint64_t n = 0;

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
		n = n * 10 + (uint64_t)(*s - '0');
	}
	if (n > max) {
		r->bad = 1;
		return 0;
	}
	return (unsigned long)n;
}

/* A number of up to 20 digits (a file's device, inode, size, time). */
static unsigned long long
get_ull(struct reader *r, int *neg)
{
	const char *s, *e;
	unsigned long long n = 0, d;

	*neg = 0;
	if (!field(r, &s, &e))
		return 0;
	if (s < e && *s == '-') {
		*neg = 1;
		s++;
	}
	if (s == e || e - s > 20) {
		r->bad = 1;
		return 0;
	}
	for (; s < e; s++) {
		d = (unsigned long long)(*s - '0');
		if (*s < '0' || *s > '9' || n > (~0ULL - d) / 10) {
			r->bad = 1;
			return 0;
		}
		n = n * 10 + d;
	}
	return n;
}

static long long
get_sll(struct reader *r)
{
	int neg;
	unsigned long long n = get_ull(r, &neg);

	if (n > (unsigned long long)0x7fffffffffffffffLL) {
		r->bad = 1;
		return 0;
	}
	return neg ? -(long long)n : (long long)n;
}

static unsigned long long
get_u64(struct reader *r)
{
	int neg;
	unsigned long long n = get_ull(r, &neg);

	if (neg)
		r->bad = 1;
	return n;
}

/*
 * A string field checked as get_str reads it, without a copy: 1 with
 * [*s, *e) its text as written ("=..."), 0 (r bad) when it is not one.
 */
static int
str_ok(struct reader *r, const char **s, const char **e)
{
	const char *p;

	if (!field(r, s, e))
		return 0;
	if (*s == *e || **s != '=') {
		r->bad = 1;
		return 0;
	}
	for (p = *s + 1; p < *e; p++) {
		if (*p != '%')
			continue;
		if (*e - p < 3 || hexval(p[1]) < 0 || hexval(p[2]) < 0 ||
		    (p[1] == '0' && p[2] == '0')) {
			r->bad = 1;
			return 0;
		}
		p += 2;
	}
	return 1;
}

/* The fields of a record line after "r" (r->p there) into rec. */
static void
get_record(struct reader *r, struct dipb_ckpt_record *rec)
{
	memset(rec, 0, sizeof(*rec));
	if ((rec->id = get_str(r)) == NULL)
		r->bad = 1;
	get_oid(r, rec->blob);
	rec->exists = (int)get_num(r, 1);
	rec->status = (int)get_num(r, 255);
	rec->unknown = (int)get_num(r, 1);
	rec->ntags = get_num(r, 4000000000UL);
	rec->missing = get_num(r, 4000000000UL);
}

/* The same, checked only: 1 when it is whole, its id field in *id. */
static int
record_ok(struct reader *r, const char **id, size_t *idlen)
{
	char oid[DIPB_OID_HEX + 1];
	const char *e;

	if (!str_ok(r, id, &e))
		return 0;
	*idlen = (size_t)(e - *id);
	get_oid(r, oid);
	(void)get_num(r, 1);
	(void)get_num(r, 255);
	(void)get_num(r, 1);
	(void)get_num(r, 4000000000UL);
	(void)get_num(r, 4000000000UL);
	return !r->bad && r->p == r->eol;
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
	struct dipb_ckpt_loose *l;
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
	case 'l':
		xgrow((void **)&c->loose, &c->caploose, c->nloose + 1,
		    sizeof(*c->loose));
		l = &c->loose[c->nloose++];
		memset(l, 0, sizeof(*l));
		if ((l->name = get_str(r)) == NULL)
			r->bad = 1;
		get_oid(r, l->hex);
		get_oid(r, l->shadowed);
		/* Sorted by name, each once. */
		if (!r->bad && c->nloose > 1 &&
		    strcmp(c->loose[c->nloose - 2].name, l->name) >= 0)
			r->bad = 1;
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

/*
 * The header line at *line (before end) into r, after its key: 0, *line
 * past it; -1 when it is no line of key.
 */
static int
header_line(struct reader *r, const char **line, const char *end,
    const char *key)
{
	size_t n = strlen(key);
	const char *nl = memchr(*line, '\n', (size_t)(end - *line));

	if (nl == NULL || strncmp(*line, key, n) != 0)
		return -1;
	r->p = *line + n;
	r->eol = nl;
	*line = nl + 1;
	return 0;
}

/*
 * The frame of data: the magic line first, and the last line "end
 * <digest>\n", of every byte before it, with no NUL byte anywhere; *end
 * at that last line.
 */
static const struct dipb_error *
check_frame(const char **end, const char *data, size_t len)
{
	char digest[DIPB_OID_HEX + 1], want[DIPB_OID_HEX + 1];

	if (len < sizeof(MAGIC) - 1 + 4 + DIPB_OID_HEX + 1 ||
	    memcmp(data, MAGIC, sizeof(MAGIC) - 1) != 0)
		return corrupt("not a checkpoint");
	*end = data + len - (4 + DIPB_OID_HEX + 1);
	if (memcmp(*end, "end ", 4) != 0 || data[len - 1] != '\n' ||
	    (*end)[-1] != '\n')
		return corrupt("cut short");
	memcpy(want, *end + 4, DIPB_OID_HEX);
	want[DIPB_OID_HEX] = '\0';
	digest_of(digest, data, (size_t)(*end - data));
	if (strcmp(digest, want) != 0)
		return corrupt("its digest does not match: changed by hand?");
	if (memchr(data, '\0', len) != NULL)
		return corrupt("a NUL byte");
	return NULL;
}

/* The rules, commit and tags lines, the first two rules' and commit's. */
static const struct dipb_error *
parse_made_for(struct dipb_checkpoint *out, struct reader *r,
    const char **line, const char *end, const char *rules,
    const char *commit)
{
	char *str;
	int ok;

	if (header_line(r, line, end, "rules") == -1)
		return corrupt("no rules line");
	str = get_str(r);
	ok = str != NULL && !r->bad && r->p == r->eol &&
	    strcmp(str, rules) == 0;
	free(str);
	if (!ok)
		return corrupt("made for other rules");
	if (header_line(r, line, end, "commit") == -1)
		return corrupt("no commit line");
	get_oid(r, out->commit);
	if (r->bad || r->p != r->eol || strcmp(out->commit, commit) != 0)
		return corrupt("made for another commit");
	if (header_line(r, line, end, "tags") == -1)
		return corrupt("no tags line");
	out->ntags = get_num(r, 4000000000UL);
	get_oid(r, out->tags_digest);
	if (r->bad || r->p != r->eol)
		return corrupt("a malformed tags line");
	return NULL;
}

/* The packed, shallow and board lines. */
static const struct dipb_error *
parse_files(struct dipb_checkpoint *out, struct reader *r,
    const char **line, const char *end)
{
	if (header_line(r, line, end, "packed ") == -1)
		return corrupt("no packed line");
	if (r->eol - r->p == 1 && *r->p == '-')
		r->p = r->eol;
	else if ((out->packed.have = 1) && (r->p--, get_num(r, 1) == 1)) {
		out->packed.id.have = 1;
		out->packed.id.dev = get_u64(r);
		out->packed.id.ino = get_u64(r);
		out->packed.id.size = get_u64(r);
		out->packed.id.mtime_s = get_sll(r);
		out->packed.id.mtime_ns = get_sll(r);
		out->packed.id.ctime_s = get_sll(r);
		out->packed.id.ctime_ns = get_sll(r);
	}
	if (r->bad || r->p != r->eol)
		return corrupt("a malformed packed line");
	if (header_line(r, line, end, "shallow") == -1)
		return corrupt("no shallow line");
	get_oid(r, out->shallow);
	if (r->bad || r->p != r->eol)
		return corrupt("a malformed shallow line");
	if (header_line(r, line, end, "board") == -1)
		return corrupt("no board line");
	out->have_board = (int)get_num(r, 1);
	get_oid(r, out->board_blob);
	if (r->bad || r->p != r->eol)
		return corrupt("a malformed board line");
	return NULL;
}

/* The lines of the kinds in their order, up to the records'. */
static const struct dipb_error *
parse_kinds(struct dipb_checkpoint *out, struct reader *r,
    const char **line, const char *end)
{
	static const char kinds[] = "kluf";
	const char *nl, *k, *kind = kinds;

	for (; *line < end && **line != 'r'; *line = nl + 1) {
		nl = memchr(*line, '\n', (size_t)(end - *line));
		if ((k = strchr(kinds, **line)) == NULL || k < kind)
			return corrupt("a line out of place");
		kind = k;
		r->p = *line + 1;
		r->eol = nl;
		parse_line(out, r, **line);
		if (r->bad || r->p != r->eol)
			return corrupt("a malformed line");
	}
	return NULL;
}

/* The record lines, from line to end: each well formed, sorted by id. */
static const struct dipb_error *
check_records(struct reader *r, const char *line, const char *end)
{
	const char *nl, *prev, *id;
	size_t idlen, prevlen = 0;

	for (prev = NULL; line < end; line = nl + 1) {
		nl = memchr(line, '\n', (size_t)(end - line));
		r->p = line + 1;
		r->eol = nl;
		if (*line != 'r' || !record_ok(r, &id, &idlen))
			return corrupt("a malformed record line");
		if (prev != NULL &&
		    dipb_bytes_cmp(prev, prevlen, id, idlen) >= 0)
			return corrupt("the records out of order");
		prev = id;
		prevlen = idlen;
	}
	return NULL;
}

const struct dipb_error *
dipb_checkpoint_parse(struct dipb_checkpoint *out, const char *data,
    size_t len, const char *rules, const char *commit)
{
	const struct dipb_error *err;
	const char *end = NULL, *line;
	struct reader r;

	dipb_checkpoint_init(out);
	if ((err = check_frame(&end, data, len)) != NULL)
		return err;
	memset(&r, 0, sizeof(r));
	line = data + sizeof(MAGIC) - 1;
	/* rules, commit, tags, packed, shallow, board: in that order. */
	if ((err = parse_made_for(out, &r, &line, end, rules,
	    commit)) != NULL || (err = parse_files(out, &r, &line,
	    end)) != NULL)
		return err;
	/* The kinds in their order; the records last, sorted. */
	if ((err = parse_kinds(out, &r, &line, end)) != NULL)
		return err;
	out->base = line;
	out->baselen = (size_t)(end - line);
	return check_records(&r, line, end);
}

/* The record of the line at p (a line parse checked). */
static void
record_at(struct dipb_ckpt_record *out, const char *p, const char *end)
{
	struct reader r;

	memset(&r, 0, sizeof(r));
	r.p = p + 1;
	r.eol = memchr(p, '\n', (size_t)(end - p));
	get_record(&r, out);
}

int
dipb_checkpoint_find(struct dipb_ckpt_record *out,
    const struct dipb_checkpoint *c, const char *id)
{
	const char *end, *at, *fid;
	struct dipb_buf key = DIPB_BUF_INIT;
	size_t n;
	int found = 0;

	memset(out, 0, sizeof(*out));
	if (c->base == NULL)
		return 0;
	end = c->base + c->baselen;
	put_str(&key, id);		/* " =<id>", as a line has it */
	at = lower_line(c->base, end, key.ptr + 1, key.len - 1);
	if (at < end && (n = line_id(&fid, at, end)) == key.len - 1 &&
	    memcmp(fid, key.ptr + 1, n) == 0) {
		record_at(out, at, end);
		found = 1;
	}
	dipb_buf_release(&key);
	return found;
}

int
dipb_checkpoint_next(struct dipb_ckpt_record *out,
    const struct dipb_checkpoint *c, size_t *at)
{
	const char *end, *p;

	memset(out, 0, sizeof(*out));
	if (c->base == NULL || *at >= c->baselen)
		return 0;
	end = c->base + c->baselen;
	p = c->base + *at;
	record_at(out, p, end);
	*at = (size_t)(line_next(p, end) - c->base);
	return 1;
}


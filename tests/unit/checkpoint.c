/*
 * Unit tests of checkpoint.c: the text of a verify checkpoint, written
 * and read back, and every text that is not to be trusted refused,
 * without touching disk.
 */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "checkpoint.h"
#include "error.h"

#define RULES	"1-rules"
#define C1	"1111111111111111111111111111111111111111"
#define C2	"2222222222222222222222222222222222222222"
#define B1	"abcdefabcdefabcdefabcdefabcdefabcdef0123"

/* A checkpoint with one of each item, some of whose strings need escapes. */
static void
sample(struct dipb_checkpoint *c)
{
	dipb_checkpoint_init(c);
	memcpy(c->commit, C1, sizeof(c->commit));
	c->ntags = 3;
	memcpy(c->tags_digest, B1, sizeof(c->tags_digest));
	c->packed.have = 1;
	c->packed.id.have = 1;
	c->packed.id.dev = 2049;
	c->packed.id.ino = 18446744073709551615ULL;
	c->packed.id.size = 17000000;
	c->packed.id.mtime_s = 1790000000;
	c->packed.id.mtime_ns = 999999999;
	c->packed.id.ctime_s = -1;
	c->packed.id.ctime_ns = 0;
	c->loose = calloc(2, sizeof(*c->loose));
	c->nloose = c->caploose = 2;
	c->loose[0].name = strdup("IC-0001/1-drafted");
	memcpy(c->loose[0].hex, C2, sizeof(c->loose[0].hex));
	memcpy(c->loose[0].shadowed, B1, sizeof(c->loose[0].shadowed));
	c->loose[1].name = strdup("IC-0001/2-edited");
	c->have_board = 1;
	memcpy(c->board_blob, B1, sizeof(c->board_blob));
	dipb_strlist_push(&c->keys, "dan@example.org\nssh-ed25519 AAAA x y");
	c->records = calloc(3, sizeof(*c->records));
	c->nrecords = c->caprecords = 3;
	c->records[0].id = strdup("IC-0001");
	memcpy(c->records[0].blob, B1, sizeof(c->records[0].blob));
	c->records[0].exists = 1;
	c->records[0].status = 4;
	c->records[0].ntags = 5;
	c->records[1].id = strdup("board");
	c->records[1].ntags = 1;
	c->records[1].missing = 2;
	c->records[2].id = strdup("IC 0002%");	/* escaped: "=IC%200002%25" */
	c->records[2].ntags = 7;
	c->tags = calloc(1, sizeof(*c->tags));
	c->ntagsu = c->captags = 1;
	c->tags[0].name = strdup("IC-0001/9-edited");
	c->tags[0].reported = 1;
	c->tags[0].extra = strdup("on 100%: 'x y'\n-");
	c->findings = calloc(1, sizeof(*c->findings));
	c->nfindings = c->capfindings = 1;
	memcpy(c->findings[0].commit, C2, sizeof(c->findings[0].commit));
	c->findings[0].tag = strdup("-");
	c->findings[0].rule = strdup("tag-missing");
	c->findings[0].msg = strdup("");
}

static char *
text_of(size_t *len)
{
	struct dipb_checkpoint c;
	struct dipb_buf b;

	sample(&c);
	dipb_buf_init(&b);
	dipb_checkpoint_emit(&b, &c, RULES);
	dipb_checkpoint_release(&c);
	*len = b.len;
	return dipb_buf_detach(&b);
}

/* Refused, and where why is given, for that reason (not another). */
static void
refused_as(const char *text, size_t len, const char *rules,
    const char *commit, const char *why)
{
	struct dipb_checkpoint c;
	const struct dipb_error *err;

	err = dipb_checkpoint_parse(&c, text, len, rules, commit);
	cr_assert_not_null(err, "trusted: %.*s", (int)len, text);
	cr_expect_eq(err->code, DIPB_ERR_CORRUPT);
	if (why != NULL)
		cr_expect(strstr(err->msg, why) != NULL, "refused as \"%s\", "
		    "not \"%s\"", err->msg, why);
	dipb_error_free(err);
	dipb_checkpoint_release(&c);
}

static void
refused(const char *text, size_t len, const char *rules, const char *commit)
{
	refused_as(text, len, rules, commit, NULL);
}

Test(checkpoint, round_trip)
{
	struct dipb_checkpoint c;
	struct dipb_ckpt_record r;
	const struct dipb_error *err;
	size_t len, at, n;
	char *t = text_of(&len);

	err = dipb_checkpoint_parse(&c, t, len, RULES, C1);
	cr_assert_null(err, "%s", err != NULL ? err->msg : "");
	cr_expect_str_eq(c.commit, C1);
	cr_expect_eq(c.ntags, 3);
	cr_expect_str_eq(c.tags_digest, B1);
	cr_expect_eq(c.have_board, 1);
	cr_expect_eq(c.packed.have, 1);
	cr_expect_eq(c.packed.id.have, 1);
	cr_expect_eq(c.packed.id.dev, 2049);
	cr_expect_eq(c.packed.id.ino, 18446744073709551615ULL);
	cr_expect_eq(c.packed.id.mtime_ns, 999999999);
	cr_expect_eq(c.packed.id.ctime_s, -1);
	cr_assert_eq(c.nloose, 2);
	cr_expect_str_eq(c.loose[0].name, "IC-0001/1-drafted");
	cr_expect_str_eq(c.loose[0].hex, C2);
	cr_expect_str_eq(c.loose[0].shadowed, B1);
	cr_expect_str_eq(c.loose[1].hex, "");
	cr_expect_str_eq(c.loose[1].shadowed, "");
	cr_assert_eq(c.keys.n, 1);
	cr_expect_str_eq(c.keys.v[0], "dan@example.org\nssh-ed25519 AAAA x y");
	/* The records are read when asked for. */
	cr_expect_eq(c.nrecords, 0);
	cr_assert_eq(dipb_checkpoint_find(&r, &c, "IC-0001"), 1);
	cr_expect_str_eq(r.id, "IC-0001");
	cr_expect_str_eq(r.blob, B1);
	cr_expect_eq(r.status, 4);
	cr_expect_eq(r.ntags, 5);
	free(r.id);
	cr_assert_eq(dipb_checkpoint_find(&r, &c, "board"), 1);
	cr_expect_str_eq(r.blob, "");
	cr_expect_eq(r.missing, 2);
	free(r.id);
	cr_assert_eq(dipb_checkpoint_find(&r, &c, "IC 0002%"), 1);
	cr_expect_eq(r.ntags, 7);
	free(r.id);
	cr_expect_eq(dipb_checkpoint_find(&r, &c, "IC-0002"), 0);
	cr_expect_eq(dipb_checkpoint_find(&r, &c, "A"), 0);
	cr_expect_eq(dipb_checkpoint_find(&r, &c, "zz"), 0);
	/* In the order of their ids as written: "=I" "%2" < "=I" "C-"... */
	for (at = 0, n = 0; dipb_checkpoint_next(&r, &c, &at); n++) {
		cr_expect_str_eq(r.id, n == 0 ? "IC 0002%" : n == 1 ?
		    "IC-0001" : "board");
		free(r.id);
	}
	cr_expect_eq(n, 3);
	cr_assert_eq(c.ntagsu, 1);
	cr_expect_eq(c.tags[0].reported, 1);
	cr_expect_str_eq(c.tags[0].extra, "on 100%: 'x y'\n-");
	cr_assert_eq(c.nfindings, 1);
	cr_expect_str_eq(c.findings[0].tag, "-");
	cr_expect_null(c.findings[0].path);
	cr_expect_str_eq(c.findings[0].msg, "");
	/* One item a line: no member's text makes a line of its own. */
	cr_expect_null(strstr(t, "\n-\n"));
	dipb_checkpoint_release(&c);
	free(t);
}

Test(checkpoint, refused)
{
	size_t len, i;
	char *t = text_of(&len), *e;

	refused(t, len, "2-rules", C1);		/* other rules */
	refused(t, len, RULES, C2);		/* another commit */
	for (i = 0; i < len; i += 7)		/* cut short anywhere */
		refused(t, i, RULES, C1);
	e = strdup(t);				/* changed by hand */
	strstr(e, " 4 ")[1] = '3';
	refused(e, len, RULES, C1);
	free(e);
	refused("", 0, RULES, C1);
	free(t);
}

/* The digest made good again: what only the parser's checks refuse. */
static void
redigest(char *t, size_t len)
{
	char d[DIPB_OID_HEX + 1];

	dipb_git_hash_blob(d, t, len - 45);	/* all before "end " */
	memcpy(t + len - 41, d, DIPB_OID_HEX);
}

Test(checkpoint, refused_with_a_good_digest)
{
	size_t len, n, at, elen;
	char *t = text_of(&len), *e, *a, *b;

	/* Unchanged but for its digest made again: trusted (the control). */
	e = strdup(t);
	redigest(e, len);
	cr_assert_eq(memcmp(e, t, len), 0, "redigest changed a good text");
	free(e);
	/* The line of "IC 0002%" made IC-0001's: a record twice. */
	a = strstr(t, "\nr =IC%20");
	b = strstr(t, "\nr =IC-0001");
	cr_assert(a != NULL && b != NULL && a < b);
	n = (size_t)(strchr(b + 1, '\n') - b);	/* IC-0001's line */
	at = (size_t)(a - t);
	elen = at + n + len - (size_t)(b - t);
	e = malloc(elen);
	memcpy(e, t, at);
	memcpy(e + at, b, n);
	memcpy(e + at + n, b, len - (size_t)(b - t));
	redigest(e, elen);
	refused_as(e, elen, RULES, C1, "out of order");
	free(e);
	/* A record's line before a finding's. */
	e = strdup(t);
	*strstr(e, "\nf ") = '\n';
	strstr(e, "\nf ")[1] = 'r';
	redigest(e, len);
	refused_as(e, len, RULES, C1, "a malformed record line");
	free(e);
	/* A malformed packed line. */
	e = strdup(t);
	strstr(e, "\npacked 1 ")[8] = '2';
	redigest(e, len);
	refused_as(e, len, RULES, C1, "a malformed packed line");
	free(e);
	free(t);
}

Test(checkpoint, merged)
{
	struct dipb_checkpoint c, d;
	struct dipb_ckpt_record r;
	const struct dipb_error *err;
	struct dipb_buf b = DIPB_BUF_INIT;
	size_t len, at = 0, n;
	char *t = text_of(&len);
	const char *ids[] = { "A-0001", "IC 0002%", "IC-0001", "IC-0005",
	    "board", "zz" };

	err = dipb_checkpoint_parse(&c, t, len, RULES, C1);
	cr_assert_null(err);
	/* The next: two new records, one changed, the others as they were. */
	dipb_checkpoint_init(&d);
	memcpy(d.commit, C2, sizeof(d.commit));
	d.base = c.base;
	d.baselen = c.baselen;
	d.records = calloc(4, sizeof(*d.records));
	d.nrecords = d.caprecords = 4;
	d.records[0].id = strdup("zz");
	d.records[1].id = strdup("IC-0005");
	d.records[2].id = strdup("IC-0001");
	d.records[2].status = 9;
	d.records[3].id = strdup("A-0001");
	dipb_checkpoint_emit(&b, &d, RULES);
	dipb_checkpoint_release(&d);
	dipb_checkpoint_release(&c);
	err = dipb_checkpoint_parse(&d, b.ptr, b.len, RULES, C2);
	cr_assert_null(err, "%s", err != NULL ? err->msg : "");
	for (n = 0; dipb_checkpoint_next(&r, &d, &at); n++) {
		cr_assert_lt(n, 6);
		cr_expect_str_eq(r.id, ids[n]);
		if (n == 2)
			cr_expect_eq(r.status, 9);
		if (n == 4)
			cr_expect_eq(r.missing, 2);
		free(r.id);
	}
	cr_expect_eq(n, 6);
	dipb_checkpoint_release(&d);
	dipb_buf_release(&b);
	free(t);
}

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
	c->have_board = 1;
	memcpy(c->board_blob, B1, sizeof(c->board_blob));
	dipb_strlist_push(&c->keys, "dan@example.org\nssh-ed25519 AAAA x y");
	c->records = calloc(2, sizeof(*c->records));
	c->nrecords = c->caprecords = 2;
	c->records[0].id = strdup("IC-0001");
	memcpy(c->records[0].blob, B1, sizeof(c->records[0].blob));
	c->records[0].exists = 1;
	c->records[0].status = 4;
	c->records[0].ntags = 5;
	c->records[1].id = strdup("board");
	c->records[1].ntags = 1;
	c->records[1].missing = 2;
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

static void
refused(const char *text, size_t len, const char *rules, const char *commit)
{
	struct dipb_checkpoint c;
	const struct dipb_error *err;

	err = dipb_checkpoint_parse(&c, text, len, rules, commit);
	cr_assert_not_null(err, "trusted: %.*s", (int)len, text);
	cr_expect_eq(err->code, DIPB_ERR_CORRUPT);
	dipb_error_free(err);
	dipb_checkpoint_release(&c);
}

Test(checkpoint, round_trip)
{
	struct dipb_checkpoint c;
	const struct dipb_error *err;
	size_t len;
	char *t = text_of(&len);

	err = dipb_checkpoint_parse(&c, t, len, RULES, C1);
	cr_assert_null(err, "%s", err != NULL ? err->msg : "");
	cr_expect_str_eq(c.commit, C1);
	cr_expect_eq(c.ntags, 3);
	cr_expect_str_eq(c.tags_digest, B1);
	cr_expect_eq(c.have_board, 1);
	cr_assert_eq(c.keys.n, 1);
	cr_expect_str_eq(c.keys.v[0], "dan@example.org\nssh-ed25519 AAAA x y");
	cr_assert_eq(c.nrecords, 2);
	cr_expect_str_eq(c.records[0].id, "IC-0001");
	cr_expect_str_eq(c.records[0].blob, B1);
	cr_expect_eq(c.records[0].status, 4);
	cr_expect_eq(c.records[0].ntags, 5);
	cr_expect_str_eq(c.records[1].blob, "");
	cr_expect_eq(c.records[1].missing, 2);
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

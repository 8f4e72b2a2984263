/*
 * Unit tests of util.h's hex digits and byte buffer: dipb_hex and
 * dipb_unhex round trip, dipb_unhex refusing what git never writes in an
 * id (upper case, other characters); dipb_buf_put and dipb_buf_putc
 * across every growth of the buffer, always NUL-terminated; the arena:
 * what it hands out aligned, zeroed and apart, across its blocks and
 * allocations bigger than a block, arrays grown in it, cleared and used
 * again; text.h's dipb_text_width, the columns of a terminal table, and
 * dipb_text_find_control, the same whether or not its first scan of the
 * bytes lets a text pass, and the line separators; and out of memory: exit status 5 (dipb(1), EXIT
 * STATUS), no SIGABRT.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

#include "text.h"
#include "util.h"

/*
 * An array grown past what size_t counts is out of memory, as a failed
 * malloc is, without asking malloc (which a sanitizer would report): the
 * process ends with status 5, "anything else", not with a signal.
 */
Test(util, oom_exits_5, .exit_code = 5)
{
	void *v = NULL;
	size_t cap = 0;

	xgrow(&v, &cap, SIZE_MAX / 2, 4);
	cr_assert_fail("xgrow returned past SIZE_MAX");
}

Test(util, hex_round_trip)
{
	unsigned char raw[20], back[20];
	char hex[41];
	size_t i;

	for (i = 0; i < sizeof(raw); i++)
		raw[i] = (unsigned char)(i * 37 + 5);
	dipb_hex(hex, raw, sizeof(raw));
	cr_assert_str_eq(hex, "052a4f7499bee3082d52779cc1e60b30557a9fc4");
	cr_assert_eq(dipb_unhex(back, hex, sizeof(back)), 0);
	cr_assert_arr_eq(back, raw, sizeof(raw));
	dipb_hex(hex, raw, 0);
	cr_assert_str_eq(hex, "");
}

Test(util, unhex_refuses)
{
	unsigned char raw[2];

	cr_assert_eq(dipb_unhex(raw, "00ff", 2), 0);
	cr_assert_eq(raw[0], 0x00);
	cr_assert_eq(raw[1], 0xff);
	cr_assert_eq(dipb_unhex(raw, "00FF", 2), -1, "upper case");
	cr_assert_eq(dipb_unhex(raw, "0g00", 2), -1);
	cr_assert_eq(dipb_unhex(raw, "00 1", 2), -1);
}

Test(util, buf_grows)
{
	struct dipb_buf b = DIPB_BUF_INIT;
	char want[5000];
	size_t i, n = 0;

	for (i = 0; n + 3 < sizeof(want); i++) {
		if (i % 3 == 0) {
			dipb_buf_putc(&b, 'x');
			want[n++] = 'x';
		} else {
			dipb_buf_put(&b, "ab", 2);
			memcpy(want + n, "ab", 2);
			n += 2;
		}
		cr_assert_eq(b.len, n);
		cr_assert_eq(b.ptr[b.len], '\0', "NUL after %zu bytes", n);
		cr_assert_gt(b.cap, b.len);
	}
	cr_assert_eq(memcmp(b.ptr, want, n), 0);
	dipb_buf_put(&b, NULL, 0);
	cr_assert_eq(b.len, n);
	dipb_buf_release(&b);
}

/* Columns as wcwidth(3) gives them in a UTF-8 locale (checked there). */
static char *
arena_printf(struct dipb_arena *a, const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = dipb_arena_vasprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

Test(util, arena_hands_out_apart)
{
	struct dipb_arena *a = dipb_arena_new();
	char *s[3000], big[300000];
	long long *n[3000];
	unsigned *v = NULL;
	char *p = NULL;
	size_t i, cap = 0;

	/* Past several blocks, with a piece bigger than any block between. */
	memset(big, 'b', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	for (i = 0; i < 3000; i++) {
		s[i] = arena_printf(a, "string %zu", i);
		n[i] = dipb_arena_alloc(a, sizeof(*n[i]) * 3);
		cr_assert_eq((uintptr_t)n[i] % _Alignof(max_align_t), 0);
		cr_assert_eq(n[i][0] | n[i][1] | n[i][2], 0, "zeroed");
		n[i][0] = n[i][2] = (long long)i;
		if (i == 1500)
			p = dipb_arena_strdup(a, big);
		dipb_arena_grow(a, (void **)&v, &cap, i + 1, sizeof(*v));
		v[i] = (unsigned)i * 7;
	}
	for (i = 0; i < 3000; i++) {
		char want[32];

		snprintf(want, sizeof(want), "string %zu", i);
		cr_assert_str_eq(s[i], want);
		cr_assert_eq(n[i][0], (long long)i);
		cr_assert_eq(n[i][1], 0);
		cr_assert_eq(n[i][2], (long long)i);
		cr_assert_eq(v[i], (unsigned)i * 7);
	}
	cr_assert_str_eq(p, big);
	cr_assert_geq(cap, 3000);
	/* Cleared, it hands out again what it holds no more. */
	dipb_arena_clear(a);
	p = dipb_arena_chars(a, 4);
	memcpy(p, "abc", 4);
	cr_assert_str_eq(dipb_arena_strdup(a, ""), "");
	cr_assert_str_eq(p, "abc");
	dipb_arena_free(a);
	dipb_arena_free(NULL);
}

Test(util, text_width_counts_columns)
{
	cr_assert_eq(dipb_text_width(""), 0);
	cr_assert_eq(dipb_text_width("industrial-capacity"), 19);
	cr_assert_eq(dipb_text_width("s\xc3\xa9" "curit\xc3\xa9"), 8);
	cr_assert_eq(dipb_text_width("e\xcc\x81"), 1);	/* e, U+0301 */
	cr_assert_eq(dipb_text_width("\xe4\xbe\x9b\xe7\xb5\xa6"), 4);
	cr_assert_eq(dipb_text_width("\xea\xb0\x80"), 2);	/* U+AC00 */
	cr_assert_eq(dipb_text_width("\xf0\x9f\x98\x80"), 2); /* U+1F600 */
	cr_assert_eq(dipb_text_width("\xef\xbc\xa1x"), 3);	/* U+FF21, x */
	/* Marks of other scripts, and wide characters past the CJK blocks. */
	cr_assert_eq(dipb_text_width("\xe0\xa4\x95\xe0\xa5\x8d"), 1); /* U+0915 U+094D */
	cr_assert_eq(dipb_text_width("\xd7\xa9\xd6\xb0"), 1);	/* U+05E9 U+05B0 */
	cr_assert_eq(dipb_text_width("a\xe2\x80\x8b" "b"), 2);	/* U+200B */
	cr_assert_eq(dipb_text_width("\xf0\x9f\x9a\x80"), 2); /* U+1F680 */
	cr_assert_eq(dipb_text_width("\xff" "a"), 2);	/* no UTF-8: '?' */
}

/*
 * A control character is found wherever it is, by its code point and its
 * index in characters; a text whose bytes hold none of their lead bytes
 * (below 0x20, 0x7F, 0xC2) holds none, and one that holds 0xC2 ahead of
 * no C1 control (U+00A0, an overlong or cut sequence) none either.
 */
Test(util, text_find_control)
{
	size_t at = 99;
	unsigned cp = 0;

	cr_assert_eq(dipb_text_find_control(&at, &cp, "", 0), 0);
	cr_assert_eq(dipb_text_find_control(&at, &cp,
	    "s\xc3\xa9" "curit\xc3\xa9", 0), 0);
	cr_assert_eq(dipb_text_find_control(&at, &cp,
	    "100\xc2\xa0km \xc2\xb0", 0), 0);	/* U+00A0, U+00B0 */
	cr_assert_eq(dipb_text_find_control(&at, &cp, "a\xc2", 0), 0);
	cr_assert_eq(dipb_text_find_control(&at, &cp, "a\xc1\x9b" "b", 0), 0);
	cr_assert_eq(dipb_text_find_control(&at, &cp, "a\nb\tc", 1), 0);
	cr_assert_eq(dipb_text_find_control(&at, &cp, "a\nb", 0), 1);
	cr_assert_eq(cp, 0x0a);
	cr_assert_eq(at, 1);
	cr_assert_eq(dipb_text_find_control(&at, &cp, "x\x1b]0;y\a", 0), 1);
	cr_assert_eq(cp, 0x1b);
	cr_assert_eq(at, 1);
	cr_assert_eq(dipb_text_find_control(&at, &cp,
	    "\xc3\xa9\xc2\xa0\xc2\x9b" "2J", 1), 1);
	cr_assert_eq(cp, 0x9b);
	cr_assert_eq(at, 2);
	cr_assert_eq(dipb_text_find_control(&at, &cp, "\xff" "ab\x7f", 1), 1);
	cr_assert_eq(cp, 0x7f);
	cr_assert_eq(at, 3);
}

/*
 * U+2028 and U+2029, the line and paragraph separators, end a line for
 * Python and JavaScript as NEL does: a control in a single-line field,
 * a line break in a Markdown one; neither a dash nor a quotation mark
 * (E2 80 93, E2 80 9C), which share their lead bytes, is one.  On one
 * line each is shown as '?', as NEL is.
 */
Test(util, text_line_separators)
{
	size_t at = 99;
	unsigned cp = 0;
	char *c;

	cr_assert_eq(dipb_text_find_control(&at, &cp,
	    "a\xe2\x80\x93" "b \xe2\x80\x9cq\xe2\x80\x9d", 0), 0);
	cr_assert_eq(dipb_text_find_control(&at, &cp,
	    "\xc3\xa9" "a\xe2\x80\xa8" "b", 0), 1);
	cr_assert_eq(cp, 0x2028);
	cr_assert_eq(at, 2);
	cr_assert_eq(dipb_text_find_control(&at, &cp, "a\xe2\x80\xa9", 0), 1);
	cr_assert_eq(cp, 0x2029);
	cr_assert_eq(dipb_text_find_control(&at, &cp,
	    "a\xe2\x80\xa8" "b\xe2\x80\xa9" "c", 1), 0);
	c = dipb_text_clean_line("a\xe2\x80\xa8" "b\xe2\x80\xa9\xc2\x85" "c\n");
	cr_assert_str_eq(c, "a?b??c?");
	free(c);
	c = dipb_text_clean_field("\xe2\x80\x94\xe2\x80\xa8\t", 7);
	cr_assert_str_eq(c, "\xe2\x80\x94? ");
	free(c);
	cr_assert_eq(dipb_text_shown_as_is("a\xe2\x80\xa8" "b"), 0);
}

/*
 * A word of an advised command: a plain word as it is, anything else in
 * single quotes that sh gives back byte for byte (dipb(1), a command a
 * message advises).
 */
Test(util, sh_quote)
{
	static const struct { const char *in, *out; } t[] = {
		{ "recommendations/IC-0001.yaml",
		    "recommendations/IC-0001.yaml" },
		{ "../dipb.yaml", "../dipb.yaml" },
		{ "origin/main", "origin/main" },
		{ "", "''" },
		{ "my board (x)", "'my board (x)'" },
		{ "$(touch x);`y`", "'$(touch x);`y`'" },
		{ "it's", "'it'\\''s'" },
		{ "~/x", "'~/x'" },
		{ "NATO UNCLASSIFIED", "'NATO UNCLASSIFIED'" },
	};
	size_t i;
	char *q;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		q = dipb_sh_quote(t[i].in);
		cr_assert_str_eq(q, t[i].out, "%s", t[i].in);
		free(q);
	}
}

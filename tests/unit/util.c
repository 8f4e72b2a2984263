/*
 * Unit tests of util.h's hex digits and byte buffer: dipb_hex and
 * dipb_unhex round trip, dipb_unhex refusing what git never writes in an
 * id (upper case, other characters); dipb_buf_put and dipb_buf_putc
 * across every growth of the buffer, always NUL-terminated; and text.h's
 * dipb_text_width, the columns of a terminal table.
 */
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

#include "text.h"
#include "util.h"

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
}

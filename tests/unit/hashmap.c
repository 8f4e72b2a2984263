/*
 * Unit tests of the string table (hashmap.h): a value found by a key of
 * the same text in another buffer, replaced by a second put, absent
 * keys; the table grown past several doublings keeps every entry; keys
 * copied (the caller's buffer reused at once) or borrowed (never freed
 * by the table: under AddressSanitizer a free of these stack buffers
 * would fail the test).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

#include "hashmap.h"

Test(hashmap, get_put_replace)
{
	struct dipb_hashmap t = DIPB_HASHMAP_INIT;
	char key[32];
	int a, b;

	cr_assert_null(dipb_hashmap_get(&t, "IC-0001"));
	snprintf(key, sizeof(key), "IC-0001");
	dipb_hashmap_put(&t, key, &a);
	/* Copied: the buffer may change once put returns. */
	snprintf(key, sizeof(key), "IC-0002");
	cr_assert_eq(dipb_hashmap_get(&t, "IC-0001"), &a);
	cr_assert_null(dipb_hashmap_get(&t, "IC-0002"));
	dipb_hashmap_put(&t, "IC-0001", &b);
	cr_assert_eq(dipb_hashmap_get(&t, "IC-0001"), &b);
	cr_assert_eq(t.n, 1);
	dipb_hashmap_release(&t, NULL);
	cr_assert_eq(t.n, 0);
	cr_assert_null(dipb_hashmap_get(&t, "IC-0001"));
}

Test(hashmap, put_get_grow)
{
	struct dipb_hashmap m = DIPB_HASHMAP_INIT;
	char key[16];
	size_t i;

	for (i = 1; i <= 500; i++) {
		snprintf(key, sizeof(key), "k%zu", i);
		dipb_hashmap_put(&m, key, (void *)(uintptr_t)i);
	}
	dipb_hashmap_put(&m, "k7", (void *)(uintptr_t)7000);
	cr_expect_eq(m.n, 500);
	for (i = 1; i <= 500; i++) {
		snprintf(key, sizeof(key), "k%zu", i);
		cr_expect_eq((uintptr_t)dipb_hashmap_get(&m, key),
		    i == 7 ? 7000 : i);
	}
	cr_expect_null(dipb_hashmap_get(&m, "nope"));
	dipb_hashmap_release(&m, NULL);
}

Test(hashmap, borrowed_keys)
{
	struct dipb_hashmap t = DIPB_HASHMAP_INIT;
	char keys[300][16];
	size_t i, n;

	for (i = 0; i < 300; i++) {
		snprintf(keys[i], sizeof(keys[i]), "%zu", i * 7919);
		dipb_hashmap_put_ref(&t, keys[i], keys[i]);
	}
	for (i = 0; i < 300; i++)
		cr_assert_eq(dipb_hashmap_get(&t, keys[i]), keys[i]);
	/* The table holds the caller's text, not a copy of it. */
	for (i = 0, n = 0; i < t.cap; i++)
		if (t.v[i].key != NULL) {
			cr_assert_eq(t.v[i].key, (char *)t.v[i].val);
			n++;
		}
	cr_assert_eq(n, 300);
	cr_assert_null(dipb_hashmap_get(&t, "1"));
	dipb_hashmap_release(&t, NULL);
	cr_assert_eq(t.borrowed, 0, "released: the next put decides again");
	dipb_hashmap_put(&t, "copied", NULL);
	dipb_hashmap_release(&t, NULL);
}

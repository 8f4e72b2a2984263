/*
 * Unit tests of the table of indices (idtab.h): 5,000 object ids found
 * again across a dozen doublings, ids absent, entries whose keys share a
 * hash (every one met by a lookup, the caller telling them apart), and
 * the hash of an id read from its first 16 hex digits.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

#include "idtab.h"

#define N	5000

static char	ids[N][41];

static uint64_t
id_hash(uint32_t k, const void *arg)
{
	(void)arg;
	return dipb_idtab_hash_hex(ids[k]);
}

/* Index + 1 of the entry whose id is hex, 0: none. */
static size_t
find(const struct dipb_idtab *t, const char *hex)
{
	size_t at = 0;
	uint32_t k;

	while (dipb_idtab_next(&k, t, dipb_idtab_hash_hex(hex), &at))
		if (strcmp(ids[k], hex) == 0)
			return (size_t)k + 1;
	return 0;
}

Test(idtab, put_find_grow)
{
	struct dipb_idtab t = DIPB_IDTAB_INIT;
	char absent[41];
	uint32_t i;

	cr_assert_eq(find(&t, "0123456789abcdef0123456789abcdef01234567"), 0);
	for (i = 0; i < N; i++) {
		/* Ids as git's: the hash of something, here of i. */
		snprintf(ids[i], sizeof(ids[i]), "%016llx%08x%016llx",
		    (unsigned long long)(i * 0x9e3779b97f4a7c15ULL), i,
		    (unsigned long long)(~i * 0xc2b2ae3d27d4eb4fULL));
		dipb_idtab_put(&t, dipb_idtab_hash_hex(ids[i]), i, id_hash,
		    NULL);
	}
	cr_assert_eq(t.n, N);
	cr_assert_geq(t.cap, 2 * N);
	for (i = 0; i < N; i++)
		cr_assert_eq(find(&t, ids[i]), (size_t)i + 1, "id %u", i);
	memcpy(absent, ids[7], sizeof(absent));
	absent[39] = absent[39] == '0' ? '1' : '0';
	cr_assert_eq(find(&t, absent), 0);
	dipb_idtab_release(&t);
	cr_assert_eq(t.cap, 0);
	cr_assert_eq(find(&t, ids[7]), 0);
}

Test(idtab, same_hash)
{
	struct dipb_idtab t = DIPB_IDTAB_INIT;
	size_t at = 0, met = 0;
	uint32_t i, k;

	/* Ten ids alike in their first 16 digits: one hash. */
	for (i = 0; i < 10; i++) {
		snprintf(ids[i], sizeof(ids[i]), "aaaaaaaaaaaaaaaa%024x", i);
		dipb_idtab_put(&t, dipb_idtab_hash_hex(ids[i]), i, id_hash,
		    NULL);
	}
	while (dipb_idtab_next(&k, &t, dipb_idtab_hash_hex(ids[0]), &at))
		met |= (size_t)1 << k;
	cr_assert_eq(met, 0x3ff);
	for (i = 0; i < 10; i++)
		cr_assert_eq(find(&t, ids[i]), (size_t)i + 1);
	dipb_idtab_release(&t);
}

Test(idtab, hash_hex)
{
	cr_assert_eq(dipb_idtab_hash_hex(
	    "0123456789abcdef000000000000000000000000"),
	    0x0123456789abcdefULL);
	cr_assert_eq(dipb_idtab_hash_hex(
	    "ffffffffffffffff000000000000000000000000"), UINT64_MAX);
}

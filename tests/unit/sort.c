/*
 * Unit tests of dipb_sort_by_id (session.h): ids by prefix, then number
 * (IC-9999 before IC-10000), others by strcmp, two of one id in the
 * order they came; the same order whether the fast sort takes the ids or
 * they fall back to qsort (a number of 2^40 or more, 65 prefixes).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "session.h"

struct item {
	const char	*id;
	int		 n;		/* its place in the input */
};

static const char *
item_id(const void *v, void *arg)
{
	(void)arg;
	return ((const struct item *)v)->id;
}

/* The ids of v after sorting, one a line. */
static char *
sorted(struct item *v, size_t n)
{
	static char out[4096];
	size_t i, len = 0;

	dipb_sort_by_id(v, n, sizeof(*v), item_id, NULL);
	out[0] = '\0';
	for (i = 0; i < n; i++)
		len += (size_t)snprintf(out + len, sizeof(out) - len, "%s\n",
		    v[i].id);
	return out;
}

Test(sort, by_prefix_then_number)
{
	struct item v[] = { { "SCS-0002", 0 }, { "IC-10000", 1 },
	    { "IC-9999", 2 }, { "IC-0001", 3 }, { "I-0005", 4 },
	    { "ICX-0001", 5 }, { "SCS-0001", 6 } };

	cr_assert_str_eq(sorted(v, 7), "I-0005\nIC-0001\nIC-9999\n"
	    "IC-10000\nICX-0001\nSCS-0001\nSCS-0002\n");
}

Test(sort, ties_keep_their_order)
{
	struct item v[] = { { "IC-0002", 0 }, { "IC-0001", 1 },
	    { "IC-0002", 2 }, { "IC-0001", 3 }, { "IC-0002", 4 } };
	size_t i;

	(void)sorted(v, 5);
	for (i = 0; i + 1 < 5; i++)
		if (strcmp(v[i].id, v[i + 1].id) == 0)
			cr_assert_lt(v[i].n, v[i + 1].n);
}

Test(sort, other_ids_by_strcmp)
{
	/* Not ids: compared with strcmp against everything. */
	struct item v[] = { { "zeta", 0 }, { "IC-0002", 1 }, { "abc", 2 },
	    { "IC-0001", 3 } };

	cr_assert_str_eq(sorted(v, 4), "IC-0001\nIC-0002\nabc\nzeta\n");
}

Test(sort, large_numbers_as_the_fast_sort)
{
	/* 2^40 and more: the fall-back, in the same order. */
	struct item v[] = { { "IC-2000000000000", 0 },
	    { "IC-1099511627776", 1 }, { "IC-0001", 2 },
	    { "IC-99999999999999999999999", 3 }, { "IC-1099511627775", 4 } };

	cr_assert_str_eq(sorted(v, 5), "IC-0001\nIC-1099511627775\n"
	    "IC-1099511627776\nIC-2000000000000\n"
	    "IC-99999999999999999999999\n");
}

/* Whether v is in dipb_sort_by_id's order: prefix, number, then n. */
static int
in_order(const struct item *v, size_t n)
{
	const char *x, *y;
	size_t i, px, py;
	int c;

	for (i = 0; i + 1 < n; i++) {
		x = v[i].id;
		y = v[i + 1].id;
		px = strcspn(x, "-");
		py = strcspn(y, "-");
		c = strncmp(x, y, px < py ? px : py);
		if (c == 0)
			c = px < py ? -1 : px > py;
		if (c == 0)
			c = atol(x + px + 1) < atol(y + py + 1) ? -1 :
			    atol(x + px + 1) > atol(y + py + 1);
		if (c > 0 || (c == 0 && v[i].n > v[i + 1].n))
			return 0;
	}
	return 1;
}

/* n ids of nprefix prefixes (P0A, P0B, ...), numbers in disorder. */
static void
many(struct item *v, char (*ids)[16], size_t n, size_t nprefix)
{
	size_t i, p;

	for (i = 0; i < n; i++) {
		p = i * 7 % nprefix;
		snprintf(ids[i], 16, "P%c%c-%04zu", 'A' + (int)(p / 26),
		    'A' + (int)(p % 26), (i * 37) % 1000);
		v[i].id = ids[i];
		v[i].n = (int)i;
	}
}

Test(sort, many_prefixes_as_few)
{
	static char ids[500][16];
	struct item v[500];

	/* 64 prefixes, the fast sort's most, then 65: qsort. */
	many(v, ids, 500, 64);
	dipb_sort_by_id(v, 500, sizeof(*v), item_id, NULL);
	cr_assert(in_order(v, 500));
	many(v, ids, 500, 65);
	dipb_sort_by_id(v, 500, sizeof(*v), item_id, NULL);
	cr_assert(in_order(v, 500));
}

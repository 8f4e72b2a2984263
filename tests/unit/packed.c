/*
 * Unit tests of the packed-refs scanner (src/git/packed.h): the header,
 * the binary search of a sorted file checked against a scan of the same
 * bytes, peeled lines, names that are prefixes of others, unsorted
 * files, ids in capitals, and malformed lines.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "git/packed.h"
#include "util.h"

#define HDR	"# pack-refs with: peeled fully-peeled sorted \n"

/* What the scanner gave: "<name> <hex[0..3]>[^<peeled[0..3]>]\n" each. */
static int
collect(const char *name, size_t len, const char *hex, const char *peeled,
    void *arg)
{
	struct dipb_buf *b = arg;

	dipb_buf_put(b, name, len);
	dipb_buf_putc(b, ' ');
	dipb_buf_put(b, hex, 4);
	if (peeled != NULL) {
		dipb_buf_putc(b, '^');
		dipb_buf_put(b, peeled, 4);
	}
	dipb_buf_putc(b, '\n');
	return 0;
}

/* The refs of data starting with prefix, as collect writes them. */
static char *
each(const char *data, size_t len, const char *prefix, int *rc)
{
	struct dipb_packed pk;
	struct dipb_buf b = DIPB_BUF_INIT;

	dipb_packed_init(&pk, data, len);
	*rc = dipb_packed_each(&pk, prefix, strlen(prefix), collect, &b);
	dipb_buf_putc(&b, '\0');
	return dipb_buf_detach(&b);
}

/* A 40-digit id whose first four digits are n's. */
static void
put_id(struct dipb_buf *b, unsigned n)
{
	char hex[41];

	snprintf(hex, sizeof(hex), "%04x%036x", n & 0xffff, 0);
	dipb_buf_put(b, hex, 40);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * A board's packed-refs: refs/heads/main, then for records 1 to nrec
 * (IC-0001 ... IC-<nrec>) k tags each, every third one unpeeled (a
 * lightweight tag), sorted as git sorts them: by bytes of the name.
 */
static char *
board_refs(size_t *len, unsigned nrec, unsigned k, int sorted)
{
	struct dipb_strlist names = DIPB_STRLIST_INIT;
	struct dipb_buf b = DIPB_BUF_INIT;
	unsigned i, j, id = 1;
	size_t x;

	for (i = 1; i <= nrec; i++)
		for (j = 1; j <= k; j++)
			dipb_strlist_push_owned(&names, xasprintf(
			    "refs/tags/IC-%04u/%u-changed", i, j));
	dipb_strlist_push(&names, "refs/heads/main");
	dipb_strlist_push(&names, "refs/tags/board/1-created");
	if (sorted)
		qsort(names.v, names.n, sizeof(*names.v), cmp_str);
	dipb_buf_puts(&b, sorted ? HDR : "# pack-refs with: peeled \n");
	for (x = 0; x < names.n; x++, id++) {
		put_id(&b, id);
		dipb_buf_putc(&b, ' ');
		dipb_buf_puts(&b, names.v[x]);
		dipb_buf_putc(&b, '\n');
		if (id % 3 != 0) {
			dipb_buf_putc(&b, '^');
			put_id(&b, id + 0x8000);
			dipb_buf_putc(&b, '\n');
		}
	}
	dipb_strlist_release(&names);
	*len = b.len;
	return dipb_buf_detach(&b);
}

Test(packed, header_traits)
{
	struct dipb_packed pk;
	static const char *const no[] = { "", "# pack-refs with: peeled \n",
	    "# pack-refs with: peeled unsorted\n", "# pack-refs with:sorted2\n",
	    "0000000000000000000000000000000000000000 refs/heads/sorted\n" };
	size_t i;

	dipb_packed_init(&pk, HDR, strlen(HDR));
	cr_assert(pk.sorted);
	cr_assert_eq(pk.start, strlen(HDR));
	dipb_packed_init(&pk, "# pack-refs with: sorted", 24);
	cr_assert(pk.sorted);
	cr_assert_eq(pk.start, 24);
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		dipb_packed_init(&pk, no[i], strlen(no[i]));
		cr_assert(!pk.sorted, "sorted: '%s'", no[i]);
	}
	dipb_packed_init(&pk, NULL, 0);
	cr_assert(!pk.sorted);
}

/*
 * No packed-refs file: no bytes at NULL.  Nothing is found, and no
 * pointer arithmetic is done on NULL (undefined in C even to add 0, which
 * clang's UndefinedBehaviorSanitizer stops on: make unit-clang).
 */
Test(packed, no_file)
{
	struct dipb_packed pk;
	const char *hex = "x", *peeled = "x";
	char *got;
	int rc;

	got = each(NULL, 0, "refs/tags/", &rc);
	cr_assert_eq(rc, 0);
	cr_assert_str_empty(got);
	free(got);
	got = each(NULL, 0, "", &rc);
	cr_assert_eq(rc, 0);
	cr_assert_str_empty(got);
	free(got);
	dipb_packed_init(&pk, NULL, 0);
	cr_assert_eq(dipb_packed_find(&hex, &peeled, &pk, "refs/tags/a", 11),
	    0);
	cr_assert_null(hex);
	cr_assert_null(peeled);
}

/*
 * The search of a sorted file finds what a scan of the same bytes finds,
 * for every prefix: each record's folder, each name whole, prefixes of
 * several records' names (IC-001 of IC-0010 ... IC-0019), the first
 * and last refs, and prefixes before, between and after every ref.
 */
Test(packed, search_agrees_with_scan)
{
	size_t len, i;
	char *sorted = board_refs(&len, 120, 5, 1), *scanned, *found;
	char *unsorted = xmalloc(len + 1), *p;
	static const char *const fixed[] = { "refs/", "refs/heads/main",
	    "refs/heads/mai", "refs/heads/mainx", "refs/tags/IC-0001",
	    "refs/tags/IC-0001/", "refs/tags/IC-0001/1", "refs/tags/IC-0120/",
	    "refs/tags/IC-0120/5-changed", "refs/tags/IC-0121/", "refs/tags/b",
	    "refs/tags/board/1-created", "refs/tags/board/1-created/",
	    "refs/tags/zzz", "a", "refs/heads/", "refs/tags/IC-0", "~" };
	struct dipb_strlist prefixes = DIPB_STRLIST_INIT;
	int rc1, rc2;

	/* The same bytes, the header saying nothing of their order. */
	memcpy(unsorted, sorted, len + 1);
	p = strstr(unsorted, " sorted ");
	cr_assert_not_null(p);
	memcpy(p + 1, "sortex", 6);
	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		dipb_strlist_push(&prefixes, fixed[i]);
	for (i = 1; i <= 121; i++) {
		dipb_strlist_push_owned(&prefixes, xasprintf(
		    "refs/tags/IC-%04zu/", i));
		dipb_strlist_push_owned(&prefixes, xasprintf(
		    "refs/tags/IC-%04zu/%zu-changed", i, i % 7));
		dipb_strlist_push_owned(&prefixes, xasprintf(
		    "refs/tags/IC-%03zu", i % 13));
	}
	for (i = 0; i < prefixes.n; i++) {
		found = each(sorted, len, prefixes.v[i], &rc1);
		scanned = each(unsorted, len, prefixes.v[i], &rc2);
		cr_assert_eq(rc1, 0);
		cr_assert_eq(rc2, 0);
		cr_assert_str_eq(found, scanned, "prefix '%s'",
		    prefixes.v[i]);
		free(found);
		free(scanned);
	}
	/* Spot checks of what they agree on. */
	found = each(sorted, len, "refs/tags/IC-0001/", &rc1);
	cr_assert_not_null(strstr(found, "refs/tags/IC-0001/5-changed "));
	cr_assert_null(strstr(found, "IC-0010"));
	free(found);
	found = each(sorted, len, "refs/tags/IC-001", &rc1);
	cr_assert_not_null(strstr(found, "refs/tags/IC-0010/1-changed "));
	cr_assert_not_null(strstr(found, "refs/tags/IC-0019/5-changed "));
	cr_assert_null(strstr(found, "IC-0020"));
	free(found);
	found = each(sorted, len, "refs/heads/main", &rc1);
	cr_assert_str_eq(found, "refs/heads/main 0001^8001\n");
	free(found);
	found = each(sorted, len, "", &rc1);
	cr_assert_eq(strlen(found) > 0 && rc1 == 0, 1);
	free(found);
	dipb_strlist_release(&prefixes);
	free(sorted);
	free(unsorted);
}

/* A peeled line goes with the ref above it, in the search as in a scan. */
Test(packed, peeled_lines)
{
	static const char data[] = HDR
	    "1111111111111111111111111111111111111111 refs/tags/a\n"
	    "^2222222222222222222222222222222222222222\n"
	    "3333333333333333333333333333333333333333 refs/tags/b\n"
	    "4444444444444444444444444444444444444444 refs/tags/c\n"
	    "^5555555555555555555555555555555555555555\n";
	static const char *const want[] = { "refs/tags/a 1111^2222\n",
	    "refs/tags/b 3333\n", "refs/tags/c 4444^5555\n" };
	char *got;
	int rc;

	got = each(data, sizeof(data) - 1, "refs/tags/a", &rc);
	cr_assert_str_eq(got, want[0]);
	free(got);
	got = each(data, sizeof(data) - 1, "refs/tags/b", &rc);
	cr_assert_str_eq(got, want[1]);
	free(got);
	got = each(data, sizeof(data) - 1, "refs/tags/c", &rc);
	cr_assert_str_eq(got, want[2]);
	free(got);
	got = each(data, sizeof(data) - 1, "refs/tags/", &rc);
	cr_assert_eq(rc, 0);
	cr_assert_eq(strncmp(got, want[0], strlen(want[0])), 0);
	cr_assert_not_null(strstr(got, want[2]));
	free(got);
}

/* A file without the trait is read whole, whatever its order. */
Test(packed, unsorted_scanned)
{
	static const char data[] =
	    "cccccccccccccccccccccccccccccccccccccccc refs/tags/z/1-drafted\n"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa refs/heads/main\n"
	    "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb refs/tags/z/2-edited\n"
	    "^dddddddddddddddddddddddddddddddddddddddd\n"
	    "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee refs/tags/a/1-drafted";
	char *got;
	int rc;

	got = each(data, sizeof(data) - 1, "refs/tags/z/", &rc);
	cr_assert_eq(rc, 0);
	cr_assert_str_eq(got, "refs/tags/z/1-drafted cccc\n"
	    "refs/tags/z/2-edited bbbb^dddd\n");
	free(got);
	/* The last line needs no newline. */
	got = each(data, sizeof(data) - 1, "refs/tags/a/", &rc);
	cr_assert_str_eq(got, "refs/tags/a/1-drafted eeee\n");
	free(got);
	got = each(data, sizeof(data) - 1, "", &rc);
	cr_assert_str_eq(got, "refs/tags/z/1-drafted cccc\n"
	    "refs/heads/main aaaa\nrefs/tags/z/2-edited bbbb^dddd\n"
	    "refs/tags/a/1-drafted eeee\n");
	free(got);
}

Test(packed, empty_files)
{
	char *got;
	int rc;

	got = each("", 0, "refs/", &rc);
	cr_assert_eq(rc, 0);
	cr_assert_str_eq(got, "");
	free(got);
	got = each(HDR, strlen(HDR), "refs/", &rc);
	cr_assert_eq(rc, 0);
	cr_assert_str_eq(got, "");
	free(got);
}

/* fn's nonzero result stops the walk and is returned. */
static int
stop(const char *name, size_t len, const char *hex, const char *peeled,
    void *arg)
{
	(void)name;
	(void)len;
	(void)hex;
	(void)peeled;
	++*(int *)arg;
	return 7;
}

Test(packed, stops)
{
	size_t len;
	char *data = board_refs(&len, 10, 3, 1);
	struct dipb_packed pk;
	int calls = 0;

	dipb_packed_init(&pk, data, len);
	cr_assert_eq(dipb_packed_each(&pk, "refs/tags/", 10, stop, &calls), 7);
	cr_assert_eq(calls, 1);
	free(data);
}

/* A malformed line where the scanner reads is -1, never a wrong answer. */
Test(packed, malformed)
{
	static const char *const bad[] = {
	    "^2222222222222222222222222222222222222222\n",
	    "111111111111111111111111111111111111111 refs/tags/short-id\n",
	    "111111111111111111111111111111111111111x refs/tags/not-hex\n",
	    "1111111111111111111111111111111111111111refs/tags/no-space\n",
	    "1111111111111111111111111111111111111111 \n",
	    /* A record, then a peeled line with a short id: one element. */
	    ("1111111111111111111111111111111111111111 refs/tags/a\n"
	    "^22222222\n"),
	    "1111111111111111111111111111111111111111 refs/tags/a\n\n",
	};
	struct dipb_buf b = DIPB_BUF_INIT;
	char *got;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		dipb_buf_clear(&b);
		dipb_buf_puts(&b, HDR);
		dipb_buf_puts(&b, bad[i]);
		got = each(b.ptr, b.len, "refs/tags/", &rc);
		cr_assert_eq(rc, -1, "accepted: '%s'", bad[i]);
		free(got);
		got = each(b.ptr + strlen(HDR), b.len - strlen(HDR), "", &rc);
		cr_assert_eq(rc, -1, "accepted unsorted: '%s'", bad[i]);
		free(got);
	}
	dipb_buf_release(&b);
}

/*
 * Ids in capitals, or in both cases, are ids: git's reader and libgit2's
 * take them (packed.c makes them lower case); a letter past F is none.
 */
Test(packed, capitals)
{
	static const char refs[] = HDR
	    "ABCDEF0123456789ABCDEF0123456789ABCDEF01 refs/heads/main\n"
	    "aBcD000000000000000000000000000000000000 refs/tags/a\n"
	    "^FEDC000000000000000000000000000000000000\n";
	struct dipb_packed pk;
	const char *hex, *peeled;
	char *got;
	int rc;

	got = each(refs, strlen(refs), "", &rc);
	cr_assert_eq(rc, 0);
	cr_assert_str_eq(got, "refs/heads/main ABCD\nrefs/tags/a aBcD^FEDC\n");
	free(got);
	got = each(refs, strlen(refs), "refs/tags/", &rc);
	cr_assert_eq(rc, 0);
	cr_assert_str_eq(got, "refs/tags/a aBcD^FEDC\n");
	free(got);
	dipb_packed_init(&pk, refs, strlen(refs));
	cr_assert_eq(dipb_packed_find(&hex, &peeled, &pk, "refs/tags/a", 11),
	    1);
	cr_assert_eq(strncmp(hex, "aBcD", 4), 0);
	cr_assert_eq(strncmp(peeled, "FEDC", 4), 0);
	cr_assert_eq(dipb_packed_find(&hex, NULL, &pk, "refs/heads/main",
	    15), 1);
	got = each(HDR "ABCDEG0123456789ABCDEF0123456789ABCDEF01 refs/x\n",
	    strlen(HDR) + 48, "", &rc);
	cr_assert_eq(rc, -1, "G taken for a hex digit");
	free(got);
}

/* The ref of one name: found in a sorted file as in a scan, or not. */
Test(packed, find_exact)
{
	size_t len, i;
	char *sorted = board_refs(&len, 40, 3, 1), *unsorted, *p;
	static const char *const names[] = { "refs/heads/main",
	    "refs/tags/IC-0001/1-changed", "refs/tags/IC-0040/3-changed",
	    "refs/tags/board/1-created", "refs/tags/IC-0001",
	    "refs/tags/IC-0001/", "refs/tags/IC-0041/1-changed",
	    "refs/heads/mai", "refs/heads/main2", "refs/tags", "", "zzz" };
	struct dipb_packed s, u;
	const char *h1, *p1, *h2, *p2;
	int r1, r2;

	unsorted = xmalloc(len + 1);
	memcpy(unsorted, sorted, len + 1);
	p = strstr(unsorted, " sorted ");
	memcpy(p + 1, "sortex", 6);
	dipb_packed_init(&s, sorted, len);
	dipb_packed_init(&u, unsorted, len);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		r1 = dipb_packed_find(&h1, &p1, &s, names[i], strlen(names[i]));
		r2 = dipb_packed_find(&h2, &p2, &u, names[i], strlen(names[i]));
		cr_assert_eq(r1, i < 4 ? 1 : 0, "'%s': %d", names[i], r1);
		cr_assert_eq(r2, r1, "'%s'", names[i]);
		if (r1 == 1) {
			cr_assert_eq(h1 - sorted, h2 - unsorted);
			cr_assert_eq(p1 == NULL, p2 == NULL);
			cr_assert_eq(strncmp(h1 + 41, names[i],
			    strlen(names[i])), 0);
		}
		/* No peeled wanted: the same answer. */
		cr_assert_eq(dipb_packed_find(&h2, NULL, &s, names[i],
		    strlen(names[i])), r1);
		if (r1 == 1)
			cr_assert_eq(h2, h1);
	}
	free(sorted);
	free(unsorted);
}

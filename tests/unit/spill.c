/*
 * Unit tests of the array in bounded memory (spill.h): random reads and
 * writes against a plain array, with caches from four entries to more
 * than the whole; entries never written read as zeros; the temporary file
 * made only once a page leaves the cache, and never seen in $TMPDIR; a
 * $TMPDIR that cannot hold it, and a file that cannot grow, give an
 * error, kept, and zeros.
 */
#include <sys/resource.h>

#include <dirent.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "spill.h"

#define N	20000

struct entry {
	uint32_t	 k;
	unsigned char	 fill[45];	/* 52 bytes in all: a page of 78
					 * entries ends 40 bytes short */
};

static void
entry_make(struct entry *e, size_t i, unsigned gen)
{
	memset(e, 0, sizeof(*e));
	e->k = (uint32_t)(i * 2654435761u + gen);
	memset(e->fill, (int)((i + gen) & 0xff), sizeof(e->fill));
}

/* Random puts and gets of N entries against a copy, with memory bytes. */
static void
against_array(size_t memory)
{
	static struct entry ref[N];
	static unsigned char written[N];
	struct dipb_spill s;
	struct entry e, want;
	unsigned seed = 7;
	size_t i, step;

	memset(ref, 0, sizeof(ref));
	memset(written, 0, sizeof(written));
	dipb_spill_init(&s, sizeof(struct entry), memory);
	/* Written in order, as the walk writes the history. */
	for (i = 0; i < N / 2; i++) {
		entry_make(&ref[i], i, 0);
		written[i] = 1;
		dipb_spill_put(&s, i, &ref[i]);
	}
	for (step = 0; step < 4 * N; step++) {
		seed = seed * 1103515245u + 12345u;
		i = (seed >> 8) % N;
		if ((seed >> 4) % 3 == 0) {
			entry_make(&ref[i], i, (unsigned)step);
			written[i] = 1;
			dipb_spill_put(&s, i, &ref[i]);
			continue;
		}
		dipb_spill_get(&e, &s, i);
		if (written[i])
			want = ref[i];
		else
			memset(&want, 0, sizeof(want));
		cr_assert(memcmp(&e, &want, sizeof(e)) == 0,
		    "entry %zu (memory %zu, step %zu)", i, memory, step);
	}
	/* Read back in both directions, as the replay reads it. */
	for (i = N; i-- > 0;) {
		dipb_spill_get(&e, &s, i);
		cr_assert(memcmp(&e, &ref[i], sizeof(e)) == 0);
	}
	for (i = 0; i < N; i++) {
		dipb_spill_get(&e, &s, i);
		cr_assert(memcmp(&e, &ref[i], sizeof(e)) == 0);
	}
	cr_assert_null(dipb_spill_error(&s));
	dipb_spill_release(&s);
}

Test(spill, four_entries)
{
	against_array(0);
}

Test(spill, small_pages)
{
	against_array(1000);
}

Test(spill, some_pages)
{
	against_array(64 * 1024);
}

Test(spill, all_in_memory)
{
	against_array(4 << 20);
}

/* The files in dir whose names begin with ".dipb_spill". */
static int
spill_files(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	cr_assert_not_null(d);
	while ((de = readdir(d)) != NULL)
		if (strncmp(de->d_name, ".dipb_spill", 11) == 0)
			n++;
	closedir(d);
	return n;
}

Test(spill, file_made_late_and_unlinked)
{
	char dir[] = "/tmp/spill_test_XXXXXX";
	struct dipb_spill s;
	struct entry e;
	size_t i;

	cr_assert_not_null(mkdtemp(dir));
	setenv("TMPDIR", dir, 1);
	dipb_spill_init(&s, sizeof(e), 0);
	for (i = 0; i < 4; i++) {
		entry_make(&e, i, 1);
		dipb_spill_put(&s, i, &e);
	}
	cr_assert_eq(s.fd, -1, "no file while the cache holds it all");
	for (; i < 100; i++) {
		entry_make(&e, i, 1);
		dipb_spill_put(&s, i, &e);
	}
	cr_assert_neq(s.fd, -1, "a file once pages left the cache");
	cr_assert_eq(spill_files(dir), 0, "the file is unlinked at once");
	dipb_spill_get(&e, &s, 0);
	cr_assert_eq(e.k, (uint32_t)1);
	dipb_spill_release(&s);
	cr_assert_eq(rmdir(dir), 0);
	unsetenv("TMPDIR");
}

/*
 * A file that cannot grow past 8 KiB (RLIMIT_FSIZE, SIGXFSZ ignored:
 * write(2) fails with EFBIG, as with a full disk it fails with ENOSPC):
 * the entries read back whole until then, the error is kept, and from
 * then on what the cache does not hold reads as zeros, never as another
 * entry's bytes.
 */
Test(spill, write_error_is_kept)
{
	const struct rlimit small = { 8192, 8192 };
	struct dipb_spill s;
	struct entry e, want;
	size_t i;

	signal(SIGXFSZ, SIG_IGN);
	cr_assert_eq(setrlimit(RLIMIT_FSIZE, &small), 0);
	dipb_spill_init(&s, sizeof(e), 0);
	/* 100 entries of 52 bytes, a page each: 5,200 bytes written. */
	for (i = 0; i < 100; i++) {
		entry_make(&e, i, 3);
		dipb_spill_put(&s, i, &e);
	}
	for (i = 0; i < 100; i++) {
		dipb_spill_get(&e, &s, i);
		entry_make(&want, i, 3);
		cr_assert(memcmp(&e, &want, sizeof(e)) == 0, "entry %zu", i);
	}
	cr_assert_null(dipb_spill_error(&s));
	for (; i < 1000; i++) {
		entry_make(&e, i, 3);
		dipb_spill_put(&s, i, &e);
	}
	cr_assert_not_null(dipb_spill_error(&s));
	cr_assert(strstr(dipb_spill_error(&s)->msg, "cannot write a "
	    "temporary file in ") != NULL, "%s", dipb_spill_error(&s)->msg);
	memset(&want, 0, sizeof(want));
	for (i = 0; i < 990; i++) {
		dipb_spill_get(&e, &s, i);
		cr_assert(memcmp(&e, &want, sizeof(e)) == 0, "entry %zu", i);
	}
	dipb_spill_release(&s);
}

Test(spill, no_room_is_an_error)
{
	struct dipb_spill s;
	struct entry e;
	size_t i;

	setenv("TMPDIR", "/nonexistent/dipb-spill", 1);
	dipb_spill_init(&s, sizeof(e), 0);
	for (i = 0; i < 100; i++) {
		entry_make(&e, i, 1);
		dipb_spill_put(&s, i, &e);
	}
	cr_assert_not_null(dipb_spill_error(&s));
	cr_assert_str_eq(dipb_spill_error(&s)->msg, "cannot make a temporary "
	    "file in /nonexistent/dipb-spill: No such file or directory");
	/* Entry 0 left the cache and was lost: zeros, never stale bytes. */
	dipb_spill_get(&e, &s, 0);
	cr_assert_eq(e.k, (uint32_t)0);
	dipb_spill_release(&s);
	unsetenv("TMPDIR");
}

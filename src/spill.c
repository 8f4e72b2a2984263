/*
 * spill.c - an array of fixed-size entries in bounded memory (spill.h).
 *
 * The cache is set-associative: page p may only be in set p % nsets, in
 * one of its DIPB_SPILL_WAYS ways, and the least recently used of those
 * leaves when another comes.  Neighbouring pages fall in neighbouring
 * sets, so a walk through the array in either direction takes every set
 * in turn; a page is written out only when it leaves dirty.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "spill.h"
#include "util.h"

struct dipb_spill_page {
	size_t		 no;		/* page number + 1; 0: an empty way */
	uint64_t	 used;		/* the clock at its last use */
	int		 dirty;		/* not as the file has it */
	unsigned char	*data;		/* a page's bytes, or NULL */
};

void
dipb_spill_init(struct dipb_spill *s, size_t size, size_t memory)
{
	size_t page = DIPB_SPILL_PAGE;

	memset(s, 0, sizeof(*s));
	s->size = size == 0 ? 1 : size > DIPB_SPILL_PAGE ? DIPB_SPILL_PAGE :
	    size;
	if (memory / DIPB_SPILL_WAYS < page)
		page = memory / DIPB_SPILL_WAYS;
	s->per_page = page < s->size ? 1 : page / s->size;
	s->nsets = memory / (s->per_page * s->size) / DIPB_SPILL_WAYS;
	if (s->nsets == 0)
		s->nsets = 1;
	s->pages = xcalloc(s->nsets * DIPB_SPILL_WAYS, sizeof(*s->pages));
	s->fd = -1;
}

const struct dipb_error *
dipb_spill_error(const struct dipb_spill *s)
{
	return s->err;
}

/* The first error of the file, kept; errno says what it is. */
static void
fail(struct dipb_spill *s, const char *what)
{
	if (s->err == NULL)
		s->err = dipb_error_from_errno("cannot %s a temporary file in "
		    "%s", what, dipb_tmp_dir());
}

/*
 * The file, made in $TMPDIR (else /tmp) and unlinked at once: only the
 * descriptor holds it; 0 when it is open.
 */
static int
open_file(struct dipb_spill *s)
{
	char *path;

	if (s->fd != -1)
		return 0;
	if (s->err != NULL)
		return -1;
	path = xasprintf("%s/.dipb_spill_XXXXXX", dipb_tmp_dir());
	if ((s->fd = mkstemp(path)) == -1) {
		fail(s, "make");
		free(path);
		return -1;
	}
	(void)unlink(path);
	free(path);
	/* Not for the programs dipb runs (git, ssh-keygen). */
	(void)fcntl(s->fd, F_SETFD, FD_CLOEXEC);
	return 0;
}

static off_t
page_offset(const struct dipb_spill *s, size_t no)
{
	/* In 64 bits whatever off_t is (Makefile: 64-bit file offsets). */
	return (off_t)((uint64_t)no * (uint64_t)(s->per_page * s->size));
}

/* Page p's bytes written to the file. */
static void
write_out(struct dipb_spill *s, const struct dipb_spill_page *p)
{
	size_t len = s->per_page * s->size, done = 0;
	ssize_t n;

	if (open_file(s) < 0)
		return;
	while (done < len) {
		n = pwrite(s->fd, p->data + done, len - done,
		    page_offset(s, p->no - 1) + (off_t)done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = ENOSPC;
			fail(s, "write");
			return;
		}
		done += (size_t)n;
	}
}

/* Page no's bytes read from the file into p->data: zeros past its end. */
static void
read_in(struct dipb_spill *s, struct dipb_spill_page *p, size_t no)
{
	size_t len = s->per_page * s->size, done = 0;
	ssize_t n;

	if (s->fd != -1 && s->err == NULL)
		while (done < len) {
			n = pread(s->fd, p->data + done, len - done,
			    page_offset(s, no) + (off_t)done);
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				fail(s, "read");
			if (n <= 0)
				break;
			done += (size_t)n;
		}
	memset(p->data + done, 0, len - done);
}

/* Page no, in the cache: its set's least recently used way gives way. */
static struct dipb_spill_page *
page(struct dipb_spill *s, size_t no)
{
	struct dipb_spill_page *set = &s->pages[no % s->nsets *
	    DIPB_SPILL_WAYS], *p = set;
	size_t w;

	for (w = 0; w < DIPB_SPILL_WAYS; w++) {
		if (set[w].no == no + 1) {
			set[w].used = ++s->clock;
			return &set[w];
		}
		if (set[w].used < p->used)
			p = &set[w];
	}
	if (p->data == NULL)
		p->data = xmalloc(s->per_page * s->size);
	else if (p->no != 0 && p->dirty)
		write_out(s, p);
	read_in(s, p, no);
	p->no = no + 1;
	p->dirty = 0;
	p->used = ++s->clock;
	return p;
}

void
dipb_spill_get(void *out, struct dipb_spill *s, size_t i)
{
	const struct dipb_spill_page *p = page(s, i / s->per_page);

	memcpy(out, p->data + i % s->per_page * s->size, s->size);
}

void
dipb_spill_put(struct dipb_spill *s, size_t i, const void *in)
{
	struct dipb_spill_page *p = page(s, i / s->per_page);

	memcpy(p->data + i % s->per_page * s->size, in, s->size);
	p->dirty = 1;
}

void
dipb_spill_release(struct dipb_spill *s)
{
	size_t i;

	if (s->pages != NULL)
		for (i = 0; i < s->nsets * DIPB_SPILL_WAYS; i++)
			free(s->pages[i].data);
	free(s->pages);
	if (s->fd != -1)
		(void)close(s->fd);
	dipb_error_free(s->err);
	memset(s, 0, sizeof(*s));
	s->fd = -1;
}

/*
 * spill.h - an array of fixed-size entries in bounded memory: its pages
 * held in a cache of a fixed size, the others in a temporary file that is
 * unlinked as soon as it is made, so that nothing is left behind even by
 * a process killed on the spot (sort(1) keeps its runs so).  For what a
 * replay of a whole history keeps of each commit (src/verify/): the
 * memory stays the same however long the history.
 *
 * Entries are read and written by copy, never pointed into, so a page
 * may leave the cache at any call.  An entry never written reads as
 * zeros.  The first error of the file (a full disk) is kept, and reads
 * give zeros from then on: dipb_spill_error says so, and the caller asks
 * it before trusting what it read, as with ferror(3).
 */
#ifndef DIPB_SPILL_H
#define DIPB_SPILL_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

struct dipb_spill_page;

struct dipb_spill {
	size_t		 size;		/* of an entry */
	size_t		 per_page;	/* entries; a page's bytes, per_page *
					 * size, at most DIPB_SPILL_PAGE */
	size_t		 nsets;		/* of the cache, DIPB_SPILL_WAYS pages
					 * each */
	struct dipb_spill_page *pages;	/* nsets * DIPB_SPILL_WAYS */
	uint64_t	 clock;		/* for the least recently used */
	int		 fd;		/* -1: nothing written out yet */
	const struct dipb_error *err;
};

#define DIPB_SPILL_WAYS		4
/* The most a page takes: entries do not straddle pages. */
#define DIPB_SPILL_PAGE		4096

/*
 * An empty array of entries of size bytes (1 to DIPB_SPILL_PAGE), whose
 * cache takes about memory bytes, and at least DIPB_SPILL_WAYS entries:
 * pages smaller than DIPB_SPILL_PAGE when memory is under
 * DIPB_SPILL_WAYS of those (the tests have a cache of a few entries).
 */
void	 dipb_spill_init(struct dipb_spill *, size_t size, size_t memory);
/* Entry i into out (size bytes). */
void	 dipb_spill_get(void *out, struct dipb_spill *, size_t i);
/* Entry i from in (size bytes). */
void	 dipb_spill_put(struct dipb_spill *, size_t i, const void *in);
/* NULL, or the first error of the temporary file (the array's). */
const struct dipb_error *dipb_spill_error(const struct dipb_spill *);
/* Frees the cache and closes the file (dipb_spill_init to use it again). */
void	 dipb_spill_release(struct dipb_spill *);

#endif /* DIPB_SPILL_H */

/*
 * git/packed.h - the packed-refs file read as bytes (src/git/packed.c): the
 * refs whose names start with a prefix, found by a binary search when
 * the file says it is sorted, as git's packed backend finds them, by a
 * scan otherwise.  Pure: no I/O and no libgit2, so that the unit tests
 * (tests/unit/packed.c) can give it any bytes.
 *
 * The file as git writes it: an optional header line "# pack-refs with:
 * <traits> ", whose trait "sorted" promises the ref lines are in byte
 * order of their names; then one line "<40 hex> <name>" per ref, each
 * optionally followed by a line "^<40 hex>", the commit an annotated tag
 * points to (its peeled value).  An id's hex digits may be in either
 * case, as git's reader and libgit2's take them (git writes lower case):
 * the ids given below are the file's bytes, which src/git/ makes lower
 * case (dipb_git_hex_lower, packed.c) before an id leaves it.
 */
#ifndef DIPB_GIT_PACKED_H
#define DIPB_GIT_PACKED_H

#include <stddef.h>

#define DIPB_PACKED_HEX	40

/* A packed-refs file's bytes (borrowed), with what its header says. */
struct dipb_packed {
	const char	*data;
	size_t		 len;
	size_t		 start;		/* of the first line after the header */
	int		 sorted;	/* the header's trait "sorted" */
};

/* Reads the header of the len bytes at data (data may be NULL if 0). */
void	 dipb_packed_init(struct dipb_packed *, const char *data,
	    size_t len);

/*
 * One ref: its name (len bytes, not NUL-terminated), its id's 40 hex
 * digits, and peeled's (NULL when the ref has no "^" line).  Nonzero
 * stops the iteration, and dipb_packed_each returns it.
 */
typedef int (*dipb_packed_fn)(const char *name, size_t len, const char *hex,
	    const char *peeled, void *arg);

/*
 * Calls fn for each ref whose name starts with the plen bytes of prefix
 * (plen 0: every ref), in the file's order: for a sorted file only the
 * range of those refs is read, in O(log n) steps to find it.  Returns
 * fn's nonzero result, 0 when done, -1 when a line of what it read is
 * malformed (not "<40 hex> <name>" or a "^" line after a ref line).
 */
int	 dipb_packed_each(const struct dipb_packed *, const char *prefix,
	    size_t plen, dipb_packed_fn fn, void *arg);

/*
 * The ref named exactly name (len bytes): 1 and *hex (and *peeled unless
 * peeled is NULL: NULL when the ref has no "^" line) pointing into the
 * file; 0 when it is not there; -1 as dipb_packed_each.  A sorted file:
 * O(log n) lines read.
 */
int	 dipb_packed_find(const char **hex, const char **peeled,
	    const struct dipb_packed *, const char *name, size_t len);

#endif /* DIPB_GIT_PACKED_H */

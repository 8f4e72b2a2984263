/*
 * idtab.h - the entries of an array found by their keys: a table of
 * their indices, four bytes a slot where a struct dipb_hashmap takes
 * sixteen and a copy or a pointer of each key.  The array holds the keys;
 * the caller hashes them and says which of the entries a lookup meets is
 * the one it wants.  For the tags a replay of a history holds apart from
 * the changes' own (src/verify/tags.c).
 *
 * Linear probing, kept at most half full.  Indices are below UINT32_MAX.
 */
#ifndef DIPB_IDTAB_H
#define DIPB_IDTAB_H

#include <stddef.h>
#include <stdint.h>

struct dipb_idtab {
	uint32_t	*v;	/* an index + 1; 0: a free slot */
	size_t		 cap;	/* a power of two, or 0 */
	size_t		 n;
};

#define DIPB_IDTAB_INIT	{ NULL, 0, 0 }

/* The hash of entry idx's key, to grow the table. */
typedef uint64_t (*dipb_idtab_hash_fn)(uint32_t idx, const void *arg);

/* Adds entry idx, whose key's hash is hash. */
void	 dipb_idtab_put(struct dipb_idtab *, uint64_t hash, uint32_t idx,
	    dipb_idtab_hash_fn hash_of, const void *arg);
/*
 * The entries a lookup of a key whose hash is hash meets, one a call: 1
 * and *idx, until 0.  *at is 0 for the first call; whether an entry's key
 * is the one looked up is the caller's to say.
 */
int	 dipb_idtab_next(uint32_t *idx, const struct dipb_idtab *,
	    uint64_t hash, size_t *at);
void	 dipb_idtab_release(struct dipb_idtab *);

/* The hash of an object id: its first eight bytes. */
uint64_t dipb_idtab_hash_raw(const unsigned char *raw);
/* The same of an id of 40 hex digits (0 when they are not). */
uint64_t dipb_idtab_hash_hex(const char *hex);

#endif /* DIPB_IDTAB_H */

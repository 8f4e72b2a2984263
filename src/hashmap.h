/*
 * hashmap.h - a table from strings to pointers (open addressing, FNV-1a),
 * for lookups by commit id, tag target or record id: dipb verify's, and
 * sync's, report's, history's, migrate's and publish's.
 *
 * Initialise with DIPB_HASHMAP_INIT or zeroes.  Keys are copied, or
 * borrowed (dipb_hashmap_put_ref: every key of that table); values are
 * borrowed, and freed by dipb_hashmap_release() when given free_val.
 */
#ifndef DIPB_HASHMAP_H
#define DIPB_HASHMAP_H

#include <stddef.h>

struct dipb_hashmap_entry {
	char	*key;
	void	*val;
};

struct dipb_hashmap {
	struct dipb_hashmap_entry	*v;
	size_t				 cap;	/* a power of two, or 0 */
	size_t				 n;
	int				 borrowed;	/* its keys */
};

#define DIPB_HASHMAP_INIT { NULL, 0, 0, 0 }

/* The value of key, NULL when there is none. */
void	*dipb_hashmap_get(const struct dipb_hashmap *, const char *key);
/* Sets key to val, replacing any value it had. */
void	 dipb_hashmap_put(struct dipb_hashmap *, const char *key, void *val);
/*
 * The same with key borrowed, not copied: it must outlive the table.  A
 * table of 159,000 commit ids or tag targets saves their 8 MB of copies.
 */
void	 dipb_hashmap_put_ref(struct dipb_hashmap *, const char *key,
	    void *val);
void	 dipb_hashmap_release(struct dipb_hashmap *,
	    void (*free_val)(void *));

#endif /* DIPB_HASHMAP_H */

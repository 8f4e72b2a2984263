/*
 * cache.h - the tip's records, parsed once (dipb(1), FILES and
 * ENVIRONMENT: .git/dipb/records.cache, DIPB_NO_CACHE).
 *
 * A cache of parsed records keyed by the id of the blob that holds the
 * file: a blob id names its bytes, so a record whose file changed has a
 * new id and is parsed again; one whose blob is unchanged is taken from
 * the cache without inflating the blob.  Only records that loaded with
 * no diagnostic at all are kept (validate's board-dependent rules run at
 * every call), so a hit gives what parsing the blob gives.
 *
 * The cache is never needed for correctness: a file that is missing,
 * unreadable, truncated, corrupt (its checksum), of another format
 * version or of another dipb is ignored whole, and one that cannot be
 * written is skipped; no function here fails.
 */
#ifndef DIPB_CACHE_H
#define DIPB_CACHE_H

#include "record.h"
#include "repo.h"

struct dipb_cache;

/*
 * The cache of repo's git dir, read now; an empty one when there is none
 * that can be trusted, or when DIPB_NO_CACHE is set to anything (then
 * nothing is written either).  Caller frees with dipb_cache_close.
 */
struct dipb_cache *dipb_cache_open(struct dipb_repo *repo);
/*
 * 1 and out (initialised by the caller) set to the record of blob id
 * (hex) when the cache has it, else 0.  Either way id is kept in the
 * cache written by dipb_cache_close only if it was a hit or is put.
 */
int	 dipb_cache_get(struct dipb_cache *, const char *id,
	    struct dipb_record *out);
/* Adds the record r, loaded from blob id without any diagnostic. */
void	 dipb_cache_put(struct dipb_cache *, const char *id,
	    const struct dipb_record *r);
/*
 * Writes the cache back when it changed (records put, or entries no
 * longer at the tip dropped), silently skipped when that fails, and
 * frees it.  NULL is fine; repo NULL: nothing is written (a temporary
 * file that records put had begun is removed).
 */
void	 dipb_cache_close(struct dipb_cache *, struct dipb_repo *repo);

#endif /* DIPB_CACHE_H */

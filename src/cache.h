/*
 * cache.h - the tip's records, parsed once (dipb(1), FILES and
 * ENVIRONMENT: .git/dipb/records.cache, in a shared repository
 * .git/dipb/users/<uid>/records.cache; DIPB_NO_CACHE).
 *
 * A cache of parsed records keyed by the id of the blob that holds the
 * file: a blob id names its bytes, so a record whose file changed has a
 * new id and is parsed again; one whose blob is unchanged is taken from
 * the cache without inflating the blob.  Only records that loaded with
 * no diagnostic at all are kept, so a hit gives what parsing the blob
 * gives.  Beside them, the trees of recommendations/ and its folders by
 * tree id, so that an unchanged folder is not read again; and, for each
 * record, the path at which it passed validate's stable rules against
 * the board of the cache's key (dipb_cache_open), so that it is not
 * checked again while that board stays.
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
 * How much of a record dipb_cache_get fills in: all of it; HEAD: id,
 * title, working_group, status and priority (what dipb list's table and
 * ids print); TEXT: those, classification, created, updated, author,
 * topics, summary, rationale and actions (what list's filters read).
 * The rest is left as dipb_record_init leaves it.
 */
enum dipb_cache_part {
	DIPB_CACHE_ALL,
	DIPB_CACHE_HEAD,
	DIPB_CACHE_TEXT
};

/*
 * The cache of repo's git dir, read now; an empty one when there is none
 * that can be trusted, or when DIPB_NO_CACHE is set to anything (then
 * nothing is written either).  key names the board (and the rules) the
 * records are checked against: a record marked as passing under another
 * key is checked again.  Caller frees with dipb_cache_close.
 */
struct dipb_cache *dipb_cache_open(struct dipb_repo *repo, const char *key);
/*
 * 1 and out (initialised by the caller) set to the record of blob id
 * (hex) when the cache has it, else 0.  *taken: 1 when the record passed
 * the checks at path under the cache's key (then out holds part of it),
 * else 0 (out holds all of it, to be checked: dipb_cache_taken after it
 * passed).  Either way id is kept in the cache written by
 * dipb_cache_close only if it was a hit or is put.
 */
int	 dipb_cache_get(struct dipb_cache *, const char *id, const char *path,
	    enum dipb_cache_part part, struct dipb_record *out, int *taken);
/* The record of the last hit passed the checks at path. */
void	 dipb_cache_taken(struct dipb_cache *, const char *path);
/*
 * Adds the record r, loaded from blob id without any diagnostic; path:
 * where it passed the checks (NULL: it did not).
 */
void	 dipb_cache_put(struct dipb_cache *, const char *id,
	    const struct dipb_record *r, const char *path);
/*
 * 1 when the cache holds every record below tree root (hex: the tree of
 * recommendations/), as dipb_cache_walked left them, each taken at its
 * path under the cache's key: fn is then called with each (part of it,
 * an initialised record that fn owns), in the walk's order, and there
 * is nothing else to read; 0 (fn not called) otherwise.
 */
int	 dipb_cache_all(struct dipb_cache *, const char *root,
	    enum dipb_cache_part part,
	    void (*fn)(struct dipb_record *r, void *arg), void *arg);
/*
 * dipb_cache_all for DIPB_CACHE_HEAD, with fn given each record's head
 * as the file holds it, no record made: strings of the lengths given,
 * not NUL-terminated (none holds a NUL), borrowed for the call; in the
 * order of their ids (session.h, dipb_sort_by_id), not the walk's.
 */
struct dipb_cache_head {
	const char		*id, *title, *wg;	/* wg may be NULL */
	size_t			 idlen, titlelen, wglen;
	enum dipb_status	 status;
	enum dipb_priority	 priority;
	int			 plain;	/* id, title, wg: dipb_text_plain */
};
int	 dipb_cache_heads(struct dipb_cache *, const char *root,
	    void (*fn)(const struct dipb_cache_head *h, void *arg), void *arg);
/*
 * After a walk of tree root in which every record, in order, came from
 * dipb_cache_get taken or dipb_cache_put with its path: the walk is kept
 * for dipb_cache_all.
 */
void	 dipb_cache_walked(struct dipb_cache *, const char *root);
/*
 * 1 and *data, *len set to the bytes of tree id (hex), as git stores the
 * object, when the cache has them, else 0; they last until
 * dipb_cache_close.
 */
int	 dipb_cache_tree(struct dipb_cache *, const char *id, const char **data,
	    size_t *len);
/* Adds the bytes of tree id (copied). */
void	 dipb_cache_put_tree(struct dipb_cache *, const char *id,
	    const char *data, size_t len);
/*
 * Writes the cache back when it changed (records or trees put, marks
 * set, or entries no longer at the tip dropped), silently skipped when
 * that fails, and frees it.  NULL is fine; repo NULL: nothing is written
 * (a temporary file that records put had begun is removed).
 */
void	 dipb_cache_close(struct dipb_cache *, struct dipb_repo *repo);

#endif /* DIPB_CACHE_H */

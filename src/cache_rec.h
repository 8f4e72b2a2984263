/*
 * cache_rec.h - a record in the records cache's binary form, its
 * payload (cache.c, the file that holds them).
 *
 * In a payload every integer is a varint (seven bits a byte, low bits
 * first, the high bit set on all bytes but the last; at most five, and
 * no more than 32 bits), and a string is the varint of its length plus
 * one, 0 for NULL, then its bytes: most of a record's 90 integers are
 * positions and lengths under 128, one byte each.  The fields of
 * DIPB_CACHE_HEAD come first, then the rest of those of DIPB_CACHE_TEXT,
 * then the others, so that a part is read up to where it ends and no
 * further.
 */
#ifndef DIPB_CACHE_REC_H
#define DIPB_CACHE_REC_H

#include <stddef.h>

#include "cache.h"
#include "record.h"
#include "util.h"

/*
 * The payload's form: raise it with any change to struct dipb_record, to
 * what dipb_record_load makes of a file (dipb-record(5)) or to the form.
 */
#define DIPB_CACHE_RECORD_FORMAT	4u	/* 4: values' positions and
						 * the record's (at), the
						 * board's rules' places;
						 * 3: actions' owner_pos, read
						 * by validate's owner rule;
						 * 2: actions' rescheduled */

/*
 * A reader of the cache file's bytes, payloads and the rest (cache.c):
 * every get checks its bounds, and bad is set once one failed, each get
 * after it failing too.
 */
struct dipb_cache_rd {
	const unsigned char	*p;
	size_t			 left;
	int			 bad;
	int			 dry;	/* strings checked, not copied */
	int			 null;	/* the last string was NULL */
	int			 plain;	/* views: dipb_text_plain (HEAD_PLAIN) */
};

/* A reader of the n bytes at p (dry: strings checked, not copied). */
static inline void
dipb_cache_rd_init(struct dipb_cache_rd *rd, const void *p, size_t n,
    int dry)
{
	rd->p = p;
	rd->left = n;
	rd->bad = 0;
	rd->dry = dry;
	rd->null = 0;
	rd->plain = 0;
}

/* Record r's payload, added to b. */
void	 dipb_cache_rec_put(struct dipb_buf *b, const struct dipb_record *r);

/*
 * Fills r (initialised) with part of the record whose payload rd reads,
 * up to where the part ends: 0, or -1 with r holding a part to release.
 */
int	 dipb_cache_rec_get(struct dipb_cache_rd *rd, struct dipb_record *r,
	    enum dipb_cache_part part);

/*
 * A record's head, as dipb_cache_rec_get reads DIPB_CACHE_HEAD, its
 * strings where they are (none holds a NUL; with rd->plain, each is
 * printable ASCII, dipb_text_plain); the payload must end there.  0, or
 * -1.  h->plain is left 0.
 */
int	 dipb_cache_rec_head(struct dipb_cache_rd *rd,
	    struct dipb_cache_head *h);

/*
 * The length of the head of the payload of n bytes at p: its fields of
 * DIPB_CACHE_HEAD, which come first; 0 when it has none.
 */
size_t	 dipb_cache_rec_head_len(const char *p, size_t n);

#endif /* DIPB_CACHE_REC_H */

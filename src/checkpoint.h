/*
 * checkpoint.h - the state of dipb verify's replay at one commit, as text
 * kept beside the repository (dipb-verify(1), "CHECKPOINTS"), so that
 * verify --since replays only the commits after it.
 *
 * The text is derived data: bound to its commit and to the rules that
 * made it (a string the caller gives, which changes whenever a rule
 * does), checked by a digest of its own bytes, and never trusted across
 * either: dipb_checkpoint_parse refuses a text of another commit, of
 * other rules, truncated or edited, and the caller then replays the
 * whole history.  Pure: no I/O.
 */
#ifndef DIPB_CHECKPOINT_H
#define DIPB_CHECKPOINT_H

#include <stddef.h>

#include "error.h"
#include "repo.h"
#include "util.h"

/* What the replay knows of a record (or of "board", "meeting"). */
struct dipb_ckpt_record {
	char		*id;
	char		 blob[DIPB_OID_HEX + 1];	/* "": no loaded file */
	int		 exists;
	int		 status;	/* enum dipb_status */
	int		 unknown;
	unsigned long	 ntags;
	unsigned long	 missing;
};

/* A tag that no change up to the commit claimed. */
struct dipb_ckpt_tag {
	char		*name;
	int		 reported;	/* a finding named it already */
	char		*extra;		/* on the branch: its finding's message;
					 * NULL: not on the branch */
};

/* A finding of a tag rule, which verify --since reports too. */
struct dipb_ckpt_finding {
	char		 commit[DIPB_OID_HEX + 1];	/* "": none */
	char		*tag;		/* NULL: none */
	char		*path;		/* NULL: none */
	char		*rule;
	char		*msg;
};

struct dipb_checkpoint {
	char			 commit[DIPB_OID_HEX + 1];
	/* The tags as of the commit: how many, and the SHA-1 of the lines
	 * "<name> <object>\n" in byte order of the names (verify.c's
	 * tags_scan, one pass over packed-refs). */
	size_t			 ntags;
	char			 tags_digest[DIPB_OID_HEX + 1];
	int			 have_board;
	char			 board_blob[DIPB_OID_HEX + 1];
	struct dipb_strlist	 keys;	/* every "email\nkey" seen */
	struct dipb_ckpt_record	*records;
	size_t			 nrecords;
	size_t			 caprecords;
	struct dipb_ckpt_tag	*tags;	/* unclaimed */
	size_t			 ntagsu;
	size_t			 captags;
	struct dipb_ckpt_finding *findings;
	size_t			 nfindings;
	size_t			 capfindings;
};

void	 dipb_checkpoint_init(struct dipb_checkpoint *);
void	 dipb_checkpoint_release(struct dipb_checkpoint *);

/* The text of c, for rules, into out (appended). */
void	 dipb_checkpoint_emit(struct dipb_buf *out,
	    const struct dipb_checkpoint *c, const char *rules);
/*
 * Parses len bytes of data into out (initialised here; caller releases
 * it, also on error): DIPB_ERR_CORRUPT when the text is not whole and
 * intact, was made for other rules than rules, or for another commit
 * than commit.
 */
const struct dipb_error *dipb_checkpoint_parse(struct dipb_checkpoint *out,
	    const char *data, size_t len, const char *rules,
	    const char *commit);

#endif /* DIPB_CHECKPOINT_H */

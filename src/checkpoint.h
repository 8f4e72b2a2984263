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
 *
 * The records' lines come last, sorted by id, and are read only when
 * asked for (dipb_checkpoint_find): a replay of 100 commits on a board of
 * 30,000 records reads the ~100 states it touches, and the next
 * checkpoint is the old one's lines with those replaced
 * (dipb_checkpoint_emit), not 30,000 states made again.
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

/* A loose tag as the replay's snapshot of the tags found it. */
struct dipb_ckpt_loose {
	char		*name;		/* without "refs/tags/" */
	char		 hex[DIPB_OID_HEX + 1];	/* "": a broken ref */
	char		 shadowed[DIPB_OID_HEX + 1];	/* the packed one of
					 * the same name it overrides; "": none */
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
	/*
	 * The tags as of the commit (src/verify/tags.c): those of
	 * packed-refs of the form <record>/<N>-<event> (overridden by a
	 * loose one or not), how many and the SHA-1 of their lines
	 * "<name> <object>\n" in byte order of the names; the file's
	 * identity (packed.have: bound to one) and the loose tags of that
	 * form, each with the packed one it overrides.
	 */
	size_t			 ntags;
	char			 tags_digest[DIPB_OID_HEX + 1];
	struct {
		int		 have;		/* 0: "packed -", bound to none */
		struct dipb_fileid id;
	}			 packed;
	/*
	 * The SHA-1 of the shallow file the history up to the commit was
	 * walked with ("": none, a whole clone): where it was cut, so that
	 * none is trusted once the file differs (dipb_git_shallow_cut).
	 */
	char			 shallow[DIPB_OID_HEX + 1];
	struct dipb_ckpt_loose	*loose;		/* sorted by name */
	size_t			 nloose;
	size_t			 caploose;
	int			 have_board;
	char			 board_blob[DIPB_OID_HEX + 1];
	struct dipb_strlist	 keys;	/* every "email\nkey" seen */
	/*
	 * The records: emitted, those of records (in any order) and, for
	 * the ids they do not name, the lines of base (borrowed: the
	 * parsed text's record lines, to be written again unread).
	 * Parsed, records is empty and base the text's lines.
	 */
	struct dipb_ckpt_record	*records;
	size_t			 nrecords;
	size_t			 caprecords;
	const char		*base;
	size_t			 baselen;
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
/* The same, given to put a piece at a time (no copy of base's lines). */
typedef void (*dipb_ckpt_put_fn)(void *arg, const char *data, size_t len);
void	 dipb_checkpoint_write(const struct dipb_checkpoint *c,
	    const char *rules, dipb_ckpt_put_fn put, void *arg);
/*
 * Parses len bytes of data into out (initialised here; caller releases
 * it, also on error; out->base points into data, which the caller keeps
 * while it uses out): DIPB_ERR_CORRUPT when the text is not whole and
 * intact (every line checked, the records' sorted), was made for other
 * rules than rules, or for another commit than commit.
 */
const struct dipb_error *dipb_checkpoint_parse(struct dipb_checkpoint *out,
	    const char *data, size_t len, const char *rules,
	    const char *commit);
/*
 * The state of record id in c's base into *out (its id allocated: free
 * it): 1, or 0 when c has none.  O(log n) lines read.
 */
int	 dipb_checkpoint_find(struct dipb_ckpt_record *out,
	    const struct dipb_checkpoint *c, const char *id);
/*
 * The records of c's base one by one: *at 0 for the first, then as left;
 * 1 and *out (its id allocated) for each, 0 at the end.
 */
int	 dipb_checkpoint_next(struct dipb_ckpt_record *out,
	    const struct dipb_checkpoint *c, size_t *at);

#endif /* DIPB_CHECKPOINT_H */

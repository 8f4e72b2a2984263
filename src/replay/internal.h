/*
 * replay/internal.h - what the files of src/replay/ share, and nothing
 * else includes: the state of a run (struct run), a change as it is made
 * again (struct made_change), and the functions one file offers the
 * others.  The replay is dipb-sync(1)'s ("REPLAY"); replay.h says what
 * it does.
 *
 *	plan.c		dipb_replay_plan: the local commits classified as
 *			dipb changes, or refused; a remote without the
 *			branch; dipb_replay_unpushed
 *	run.c		dipb_replay_run: the board as of the new parent, the
 *			key tried for each member first, each change made
 *			again and signed (dipb_rpl_make) or dropped
 *			(dipb_rpl_drop)
 *	read.c		a local change read back: its subject, body and
 *			author's name, a file or a record at a commit,
 *			whether two commits change the same files alike
 *	names.c		a record's tags and ids as of the new parent: the next
 *			tag's number, an id taken, the remote's latest change
 *	record.c	a change of a record made again: a draft, a move
 *			judged against the record as the remote has it
 *	inputs.c	the fields a change's event sets, taken into the
 *			record as the remote has it
 *	board.c		a change of dipb.yaml made again, a migration too
 *	meeting.c	a meeting recorded again, its agenda renumbered
 *
 * Each local change is read back as what its command did: the move (its
 * Dipb-Event), the acting member (its commit's author) and the inputs
 * (the fields dipb_event_fields() names, as the change set them).  The
 * move is then checked and made again on the record as the new parent
 * has it, with the board as of the new parent, by the same functions the
 * commands use (state.c's table and roles, session.c's check of what is
 * written, commit.c's objects), so that a replayed change is one the
 * command could have made there.  What cannot be made again is dropped
 * with a reason naming the record, what changed and what to do.
 *
 * Everything is read at given commits, never at the tip, and only the
 * local changes' commits, records and tags are read: the cost grows with
 * the number of local changes, not with the history.
 */
#ifndef DIPB_REPLAY_INTERNAL_H
#define DIPB_REPLAY_INTERNAL_H

#include <stddef.h>

#include "../board.h"
#include "../diag.h"
#include "../error.h"
#include "../record.h"
#include "../replay.h"
#include "../repo.h"
#include "../state.h"
#include "../trailer.h"
#include "../util.h"

#define TAGS_PREFIX	"refs/tags/"

/* The state of dipb_replay_run, from one change to the next. */
struct run {
	struct dipb_replay	*p;
	struct dipb_repo	*repo;
	const char		*upstream;	/* ref folder, ends in '/' */
	const struct dipb_identity *committer;
	struct dipb_board	 board;		/* as of parent */
	char			 parent[DIPB_OID_HEX + 1];
	struct dipb_strlist	 own;		/* the local changes' tags */
	struct dipb_strlist	 made;		/* the tags made so far */
	struct dipb_strlist	 lost;		/* records whose draft dropped */
	/* Per change: why the configured key cannot sign it
	 * (check_signing), given if it is made again; NULL: it can. */
	const struct dipb_error **unsignable;
};

/* What one replayed change needs to be made. */
struct made_change {
	const char		*record;
	const char		*path;
	const char		*data;
	size_t			 len;
	enum dipb_event_kind	 event;
	enum dipb_status	 from;
	enum dipb_status	 to;
	const char		*subject;
	const char		*body;
	const char		*renumbered_from;
	/* A migration's moves (dipb-migrate(1)); none: NULL. */
	const struct dipb_rename *renames;
	size_t			 nrenames;
};

/* read.c */
const char *dipb_rpl_actor_name(const struct dipb_board *,
	    const struct dipb_commit *oc);
char	*dipb_rpl_body_of(const char *msg, size_t len);
const struct dipb_error *dipb_rpl_read_at(struct dipb_buf *out, int *found,
	    struct dipb_repo *, const char *commit, const char *path);
const struct dipb_error *dipb_rpl_read_record_at(struct dipb_buf *out,
	    int *found, char **path, struct dipb_repo *, const char *commit,
	    const char *id);
int	 dipb_rpl_load_record(struct dipb_record *, char **why,
	    const char *path, const struct dipb_buf *buf);
/* *same 1 when commits a and b change the same files (paths, modes,
 * contents) against their first parents, as a rewrite that keeps the
 * change does. */
const struct dipb_error *dipb_rpl_same_files(int *same, struct dipb_repo *,
	    const char *a, const char *b);

/* run.c */
const struct dipb_error *dipb_rpl_load_board(struct run *,
	    const char *commit);
void	 dipb_rpl_drop(struct dipb_replay_change *, const char *fmt, ...)
	    DIPB_PRINTF(2, 3);
const char *dipb_rpl_current_id(const struct dipb_replay *,
	    const char *record);
const struct dipb_error *dipb_rpl_make(struct run *,
	    struct dipb_replay_change *, const struct dipb_commit *oc,
	    const struct made_change *);
/* mc started: the change of record at path to data, its event and its
 * subject; the rest none. */
void	 dipb_rpl_made_init(struct made_change *mc, const char *record,
	    const char *path, const struct dipb_buf *data,
	    enum dipb_event_kind event, const char *subject);
const struct dipb_diag *dipb_rpl_first_error(const struct dipb_diags *);

/* names.c */
const struct dipb_error *dipb_rpl_next_number(unsigned long *out,
	    struct run *, const char *record);
char	*dipb_rpl_upstream_last(struct run *, const char *record);
const struct dipb_error *dipb_rpl_id_taken(int *taken, struct run *,
	    const char *id);

/* inputs.c */
struct dipb_review *dipb_rpl_review_of(struct dipb_record *,
	    const char *reviewer);
void	 dipb_rpl_apply_inputs(struct dipb_record *res,
	    struct dipb_record *after, const struct dipb_record *before,
	    enum dipb_event_kind, const char *reviewer);

/* record.c */
const struct dipb_error *dipb_rpl_record(struct run *,
	    struct dipb_replay_change *, const struct dipb_commit *oc);

/* board.c */
const struct dipb_error *dipb_rpl_board(struct run *,
	    struct dipb_replay_change *, const struct dipb_commit *oc);

/* meeting.c */
const struct dipb_error *dipb_rpl_meeting(struct run *,
	    struct dipb_replay_change *, const struct dipb_commit *oc);

#endif /* DIPB_REPLAY_INTERNAL_H */

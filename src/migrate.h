/*
 * migrate.h - the moves of dipb migrate (dipb-migrate(1)): every record
 * file of the tip, byte for byte, from its path in one layout of
 * recommendations/ to its path in the other (record.h, enum dipb_layout),
 * and dipb.yaml with its layout: changed and nothing else, made as one
 * change of the board (session.h, dipb_session_commit_migrate).
 */
#ifndef DIPB_MIGRATE_H
#define DIPB_MIGRATE_H

#include "board.h"
#include "record.h"
#include "repo.h"

struct dipb_migration {
	enum dipb_layout	 to;
	struct dipb_rename	*v;		/* paths point into files */
	size_t			 n;
	struct dipb_repo_files	 files;		/* recommendations/ at the tip */
	char			**to_paths;	/* v[i].to, owned */
	struct dipb_buf		 board;		/* dipb.yaml, layout: to */
};

/*
 * The migration of the tip (board b, its dipb.yaml) to layout to, into
 * out (release with dipb_migration_release), out->n moves (0 for a board
 * without records); nothing, out->board empty, when b is in that layout
 * already: nothing to do.  A file of recommendations/ that is no
 * record file of either layout (another name, a record in the wrong
 * folder, a symbolic link, a record in both layouts) is DIPB_ERR_INVALID
 * naming it: dipb moves records only, and all of them.
 */
const struct dipb_error *dipb_migration_plan(struct dipb_migration *out,
	    struct dipb_repo *, const struct dipb_board *b,
	    enum dipb_layout to);
/* The same at root tree (hex) rather than the tip: dipb sync's replay. */
const struct dipb_error *dipb_migration_plan_at(struct dipb_migration *out,
	    struct dipb_repo *, const char *root, const struct dipb_board *b,
	    enum dipb_layout to);
void	 dipb_migration_release(struct dipb_migration *);

#endif /* DIPB_MIGRATE_H */

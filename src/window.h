/*
 * window.h - the commits of a window of the branch (dipb log, the
 * reports; dipb-log(1)): its own line, the day each landed on, and what
 * each merge of it brought in, found by one walk of the window's history
 * for all its merges rather than one walk for each.
 *
 * The line is the branch's own (git log --first-parent), walked
 * newest first.  What a merge M of it brought in is git log M^1..M: the
 * commits its other parents reach and its first parent does not.  They
 * are listed in the order that git log M^1..M lists them (its default
 * order, not --topo-order), defined here and kept by window.c whatever
 * libgit2's walk does: a list of the commits reached, kept newest commit
 * date first, a commit put after those of its date already in it,
 * starts with M's other parents in order; the first of the list is taken
 * and its parents, each the first time it is reached, are put in.
 * Where commit dates go backwards (clock skew) git's walk may stop early
 * and list a commit M^1 reaches too; this list is exactly what M^1 does
 * not reach, in that order.
 *
 * Only ids, parents and commit times are held, never a message: the
 * line's commits are listed as the walk reads them (dipb_line_walk's
 * each), and the caller reads what a merge brought in when it lists it.
 */
#ifndef DIPB_WINDOW_H
#define DIPB_WINDOW_H

#include <stddef.h>
#include <stdint.h>

#include "hashmap.h"
#include "repo.h"

/* A commit of the line and, once dipb_line_merged ran, what it merged. */
struct dipb_line_commit {
	char	 id[DIPB_OID_HEX + 1];
	char	 landed[11];	/* the day it landed on (dipb_line_day) */
	int	 in;		/* in the window */
	size_t	 others;	/* its other parents: dipb_line's others */
	size_t	 nothers;
	size_t	 merged;	/* what it brought in: dipb_line's merged */
	size_t	 nmerged;
	size_t	 at;		/* the caller's, as it lists the window */
	size_t	 end;
};

/* Initialise with zeroes; released with dipb_line_release(). */
struct dipb_line {
	struct dipb_line_commit	 *v;		/* newest first */
	char			  parent[DIPB_OID_HEX + 1];	/* v[n-1]'s */
	size_t			  n;
	size_t			  cap;
	char			(*others)[DIPB_OID_HEX + 1];
	size_t			  nothers;
	size_t			  cap_others;
	char			(*merged)[DIPB_OID_HEX + 1];
	size_t			  nmerged;
	size_t			  cap_merged;
};

/*
 * The day commit c, of the branch's own line, was made on it, as git
 * rev-list --first-parent --until reads it (a commit a merge brought in
 * lands on the merge's day), not the day of its change: dipb sync lands
 * a change made elsewhere with its author's date (dipb-sync(1)), on top
 * of changes dated later.  Every date window reads this day, so that the
 * minutes of a window end at the state dipb report status --until gives:
 * both agree because dipb never writes a commit on a day before its
 * parent's (dipb-git(7), "Commit dates"), so the days along the branch
 * never go back and the changes up to a day are the branch up to a
 * commit.
 */
void	 dipb_line_day(char out[11], const struct dipb_commit *c);
/* The bounds of a window and who lists it (dipb_line_walk). */
struct dipb_line_window {
	const char	*from;		/* its first day, NULL: no bound */
	int64_t		 bound;		/* from's first moment on Earth */
	const char	*to;		/* its last day, NULL: no bound */
	/* Not NULL: the walk ends at the first commit not in it. */
	const struct dipb_hashmap *after;
	/* Each commit of l as it is read, to be listed when lc->in. */
	const struct dipb_error *(*each)(void *arg,
		    const struct dipb_commit *c, struct dipb_line_commit *lc);
	void		*arg;
};

/*
 * The window's commits of the line onto l, newest first, from walk's
 * next (a walk of first parents only, from the window's end), each
 * landed on its day, those between out of the window (in 0): of a day
 * before win's from or after its to; the walk ends at five commits in a
 * row older than its bound, or at the first commit not in its after.
 * l's first is the window's newest, its last its oldest; win's each is
 * called with each, and its commit read, as it is walked, so that the
 * line is read once and listed as it is read.
 */
const struct dipb_error *dipb_line_walk(struct dipb_line *l,
	    struct dipb_walk *walk, struct dipb_repo *repo,
	    const struct dipb_line_window *win);
/*
 * Sets each merge's merged and nmerged: the ids of what it brought in,
 * in the order above.  One walk of the history of l's newest commit
 * back to its oldest's first parent, none without a merge; each commit
 * a merge reached read once more, for its time and parents.  A shallow
 * clone's end and a commit not here are errors, as dipb_walk_next()
 * says them.
 */
const struct dipb_error *dipb_line_merged(struct dipb_line *l,
	    struct dipb_repo *repo);
void	 dipb_line_release(struct dipb_line *l);

#endif /* DIPB_WINDOW_H */

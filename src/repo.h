/*
 * repo.h - the board's git repository: the one door from dipb to git.
 *
 * Everything behind it lives in src/git/ (its files are listed in
 * src/git/internal.h); nothing outside that folder sees a git_* type or
 * includes <git2.h>.  libgit2 is initialised by the first
 * dipb_repo_open()/dipb_repo_init() and shut down by the last
 * dipb_repo_close(), so commands that need no repository never pay for it.
 *
 * Reads are made at the branch tip seen when the repository was opened, or
 * when dipb_repo_begin() took the lock.  A state change is:
 *
 *	dipb_repo_begin(repo);		lock, finish or discard an
 *					interrupted change, re-read the tip
 *	... dipb_repo_read() the record and dipb.yaml at that tip ...
 *	dipb_repo_commit(&tag, repo, &change);
 *	dipb_repo_end(repo);		unlock (always, even after an error)
 *
 * dipb_repo_commit() writes one blob per file, a tree made from the tip's
 * tree with the changed entries spliced into its bytes (never from the
 * index), a commit whose parent is the tip, an annotated tag, then moves
 * the branch by compare-and-swap against the tip, then brings the index
 * entry and the working-tree file of each changed path in step.  The
 * user's other staged or unstaged work is never touched.  A journal in
 * the git dir lets the next dipb command complete or discard a change
 * interrupted at any point (see dipb(1), "The git history").
 */
#ifndef DIPB_REPO_H
#define DIPB_REPO_H

#include <stdint.h>

#include "util.h"

struct dipb_repo;

/* The acting person, looked up as git does (see dipb_repo_identity). */
struct dipb_identity {
	char	*name;		/* NULL when no source gave a name */
	char	*email;
	int64_t	 time;		/* seconds since the epoch */
	int	 offset;	/* minutes east of UTC */
};

/*
 * Opens the repository containing path (NULL: the current directory),
 * searching upwards as git does.  A bare repository, or one with no
 * dipb.yaml at the top of its working tree when need_board is set, is
 * DIPB_ERR_NO_REPO.  On success *out is freed with dipb_repo_close().
 */
const struct dipb_error *dipb_repo_open(struct dipb_repo **out,
	    const char *path, int need_board);
/*
 * Makes dir a git repository if it is not one (creating dir if missing)
 * and opens it.  Refuses with DIPB_ERR_EXISTS if the tip already has
 * dipb.yaml.
 */
const struct dipb_error *dipb_repo_init(struct dipb_repo **out,
	    const char *dir);
void	 dipb_repo_close(struct dipb_repo *);

/*
 * What the repository did that the user should hear of, though no error:
 * an interrupted change completed or abandoned, a stale lock file
 * removed, a change made whose working tree waits for the next command.
 * Each a message to print as "dipb: warning: <message>", oldest first;
 * borrowed, and gathered until dipb_repo_close().  The caller prints
 * them: the repository never writes to stderr.
 */
const struct dipb_strlist *dipb_repo_warnings(const struct dipb_repo *);

/* Absolute path of the working tree, ending in '/'; borrowed. */
const char *dipb_repo_workdir(const struct dipb_repo *);
/* Short name of the current branch ("main"); borrowed. */
const char *dipb_repo_branch(const struct dipb_repo *);
/* 1 when the branch has no commit yet. */
int	 dipb_repo_is_unborn(const struct dipb_repo *);

/*
 * The acting identity, as git looks it up: name from GIT_AUTHOR_NAME, then
 * GIT_COMMITTER_NAME, then user.name; email from GIT_AUTHOR_EMAIL, then
 * GIT_COMMITTER_EMAIL, then user.email, then EMAIL.  Time from
 * GIT_COMMITTER_DATE, then GIT_AUTHOR_DATE (git's formats: "@<secs>
 * <+hhmm>", "<secs> <+hhmm>", ISO 8601 / RFC 2822), else now in the local
 * time zone.  No email is DIPB_ERR_IDENTITY with a message saying how to
 * set one.  A missing name is left NULL for the caller to fill.
 */
const struct dipb_error *dipb_repo_identity(struct dipb_identity *out,
	    struct dipb_repo *);
void	 dipb_identity_release(struct dipb_identity *);
/* The identity's date in its own time zone, "YYYY-MM-DD". */
void	 dipb_identity_date(const struct dipb_identity *, char out[11]);

/*
 * Reads path (relative to the top, '/'-separated) at the current tip into
 * out.  *found is 0 (and out empty) when the path does not exist there.
 * A blob larger than max bytes (0: no limit) is DIPB_ERR_TOO_LARGE.
 */
const struct dipb_error *dipb_repo_read(struct dipb_buf *out, int *found,
	    struct dipb_repo *, const char *path, size_t max);

/*
 * Calls fn for each "recommendations/<name>.yaml" blob at the tip, in name
 * order, with the path, the contents and arg.  A non-NULL error from fn
 * stops the walk and is returned.
 */
typedef const struct dipb_error *(*dipb_repo_blob_fn)(const char *path,
	    const char *data, size_t len, void *arg);
const struct dipb_error *dipb_repo_each_record(struct dipb_repo *,
	    dipb_repo_blob_fn fn, void *arg);

/*
 * The id for a new record of prefix: one more than the highest number of
 * that prefix among the tip's record files and among the tags
 * refs/tags/<PREFIX>-<NNNN>/..., at least 4 digits.  Caller frees.
 */
const struct dipb_error *dipb_repo_next_id(char **out, struct dipb_repo *,
	    const char *prefix);

/*
 * *dirty is set when path's index entry or working-tree file differs from
 * the tip (added, modified, deleted, or staged).  A path absent everywhere
 * is clean.
 */
const struct dipb_error *dipb_repo_path_dirty(int *dirty, struct dipb_repo *,
	    const char *path);

/* Takes the repository lock (see dipb_repo_commit), with retries. */
const struct dipb_error *dipb_repo_begin(struct dipb_repo *);
/* Releases the lock; a no-op when not held. */
void	 dipb_repo_end(struct dipb_repo *);
/* How many times begin retries (with backoff) before DIPB_ERR_BUSY. */
void	 dipb_repo_set_retries(struct dipb_repo *, int retries);

struct dipb_file {
	const char	*path;		/* relative to the top, e.g. dipb.yaml */
	const char	*data;
	size_t		 len;
};

struct dipb_change {
	const struct dipb_file	*files;
	size_t			 nfiles;	/* 1, except for init */
	const char		*record;	/* "IC-0007", or "board" */
	const char		*event;		/* "drafted", "endorsed", ... */
	const char		*status_from;	/* NULL: no Dipb-Status trailer */
	const char		*status_to;
	const char		*subject;	/* "IC-0007: endorsed by ..." */
	const char		*body;		/* optional, free text */
	const struct dipb_identity *who;	/* name must be set */
};

/*
 * Makes one commit and one annotated tag for change, with the lock held
 * (dipb_repo_begin).  The commit message is the subject, the body if any,
 * then the trailers Dipb-Record, Dipb-Event and (if status_from is set)
 * Dipb-Status: "<from> -> <to>".  The tag is "<record>/<N>-<event>", N one
 * more than the number of tags under refs/tags/<record>/; its message is
 * the subject.  Author, committer and tagger are change->who.
 *
 * *out_tag (caller frees) is the tag's short name.  DIPB_ERR_CHANGED when
 * the branch moved since the tip was read, DIPB_ERR_BUSY when the tag
 * already exists (another writer): both safe to retry; nothing is left
 * behind in either case.
 */
const struct dipb_error *dipb_repo_commit(char **out_tag, struct dipb_repo *,
	    const struct dipb_change *change);

/*
 * The git blob id, in hex, of the len bytes of data, as 'git hash-object'
 * gives it; needs no repository and no dipb_repo_open().
 */
void	 dipb_git_hash_blob(char hex[41], const char *data, size_t len);

#endif /* DIPB_REPO_H */

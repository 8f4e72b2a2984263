/*
 * git/index.h - what the files of the index share, and nothing else
 * includes (src/git/internal.h declares what the rest of git/ calls):
 * the index file's format, an entry's stat data, the index read as
 * bytes, and the functions one file offers the others.
 *
 *	index.c		the index read: mapped, an entry found by a scan or
 *			through libgit2; a path's entry and its state
 *	index_write.c	entries changed for a change, by bytes or libgit2;
 *			the cache tree; racy entries smudged; index.lock;
 *			a state change's steps written once (a batch)
 *	index_check.c	the preflight (dipb_git_index_check): version,
 *			entries, extensions, the change's paths
 *	index_sparse.c	the sparse checkout: on, its patterns, a path out
 *	index_moves.c	the index of a change that moves files (dipb
 *			migrate), and the paths a sync brings in sparse
 */
#ifndef DIPB_GIT_INDEX_H
#define DIPB_GIT_INDEX_H

#include <sys/stat.h>

#include <stddef.h>
#include <stdint.h>

#include <git2.h>

#include "internal.h"
#include "../error.h"
#include "../util.h"

/*
 * libgit2 parses and hashes every entry of the index to look at one, and
 * serialises them all again to change one: at 10,000 records that is
 * most of a state change.  For the index git writes by default (versions
 * 2 and 3, no split or sparse index) dipb reads the file as bytes, finds
 * the entry by a scan, and writes the file back with that entry changed,
 * under index.lock as git does.  Version 4 goes through libgit2.  A split
 * or sparse index, which libgit2 cannot read (nor hash a file under its
 * attributes with), is refused before the change, as are the extensions
 * git requires and dipb does not know (dipb-git(7), "The index").
 */
#define IDX_HDR		12
#define IDX_FIXED	62	/* ten 32-bit stat fields, id, flags */
#define IDX_EXTENDED	0x4000
#define IDX_NAMEMASK	0x0fff
#define IDX_SKIP_WORKTREE	0x4000	/* of the extended flags */
#define IDX_TRAILER	20	/* the checksum; all zeros: index.skipHash */

/* One index entry's stat data and id (both kinds of index). */
struct ientry {
	uint32_t	ctime_s, ctime_ns, mtime_s, mtime_ns;
	uint32_t	dev, ino, mode, uid, gid, size;
	git_oid		id;
};

struct rawindex {
	struct dipb_buf	 b;
	unsigned	 version;
	uint32_t	 count;
	size_t		 ents_end;	/* where the extensions start */
	size_t		 link, linklen;	/* a split index's "link" */
	int		 required;	/* an extension git requires */
	struct stat	 st;		/* of the file read */
	int		 borrowed;	/* b is r's mapping: not freed */
};

static inline uint32_t
get32(const char *p)
{
	const unsigned char *u = (const unsigned char *)p;

	return (uint32_t)u[0] << 24 | (uint32_t)u[1] << 16 |
	    (uint32_t)u[2] << 8 | u[3];
}

static inline void
put32(char *p, uint32_t v)
{
	p[0] = (char)(v >> 24);
	p[1] = (char)(v >> 16);
	p[2] = (char)(v >> 8);
	p[3] = (char)v;
}

static inline unsigned
get16(const char *p)
{
	const unsigned char *u = (const unsigned char *)p;

	return (unsigned)u[0] << 8 | u[1];
}

/* One entry a change sets in the index (index_write.c). */
struct iupdate {
	const char	*path;
	struct ientry	 e;
	int		 skip;	/* a new entry: skip-worktree */
};

/*
 * libgit2's private copy of the index, <index>.dipb-tmp, and the lock
 * libgit2 writes it through (dipb_ix_git_open_copy), each watched
 * (dipb_tmp_watch).
 */
struct ixcopy {
	char	*path;
	char	*lock;
	int	 slot, lslot;
};

/* The racy entries one write hashes at most (dipb_ix_racy_smudge). */
#define RACY_HASHED	16

/* index.c */
int	 dipb_ix_null_trailer(const char *data, size_t len);
void	 dipb_ix_trailer_fill(char *data, size_t len);
size_t	 dipb_ix_raw_ientry(const struct rawindex *, size_t off,
	    const char **name, size_t *nlen);
int	 dipb_ix_any_ientry(const struct rawindex *, size_t *off,
	    struct dipb_buf *nm, unsigned *flags, unsigned *xflags);
void	 dipb_ix_raw_ientry_get(struct ientry *, const char *p);
void	 dipb_ix_raw_ientry_put(char *p, const struct ientry *);
void	 dipb_ix_ientry_from_stat(struct ientry *, const struct stat *st,
	    unsigned mode, const git_oid *id);
int	 dipb_ix_ipath_cmp(const char *a, size_t alen, const char *b,
	    size_t blen);
const struct dipb_error *dipb_ix_index_bytes(struct stat *st,
	    struct dipb_repo *);
void	 dipb_ix_rawindex_bytes(struct rawindex *, struct dipb_repo *,
	    int own);
void	 dipb_ix_rawindex_release(struct rawindex *);
const struct dipb_error *dipb_ix_rawindex_load(struct rawindex *, int *ok,
	    struct dipb_repo *, int own);
void	 dipb_ix_rawindex_find(const struct rawindex *, const char *path,
	    size_t *at, int *found, int *conflict);
const struct dipb_error *dipb_ix_open_index(git_index **out,
	    struct dipb_repo *);
void	 dipb_ix_git_ientry_get(struct ientry *, const git_index_entry *ge);
void	 dipb_ix_git_find(git_index *, const char *path, int *found,
	    int *conflict, struct ientry *);
int	 dipb_ix_stat_clean(const struct ientry *, const struct stat *st,
	    const struct stat *ist);

/* index_write.c */
int	 dipb_ix_racy(uint32_t mtime_s, const struct stat *ist);
int	 dipb_ix_racy_smudge(struct dipb_repo *, const char *path,
	    const struct ientry *, const struct stat *ist, int *budget);
const struct dipb_error *dipb_ix_rawindex_finish(struct dipb_buf *out,
	    struct rawindex *, const struct iupdate *u, size_t n);
const struct dipb_error *dipb_ix_index_lock(struct dipb_git_lockfile *lf,
	    struct dipb_repo *);
const struct dipb_error *dipb_ix_index_put(struct dipb_git_lockfile *lf,
	    struct dipb_repo *, char *data, size_t len);
void	 dipb_ix_index_unlock(struct dipb_git_lockfile *lf,
	    struct dipb_repo *);
void	 dipb_ix_entry_to_git(git_index_entry *ne, const struct iupdate *u);
const struct dipb_error *dipb_ix_git_open_copy(git_index **out,
	    struct ixcopy *, struct dipb_repo *,
	    const struct dipb_git_lockfile *);
void	 dipb_ix_git_copy_free(struct ixcopy *);
const struct dipb_error *dipb_ix_git_commit(struct dipb_git_lockfile *,
	    struct dipb_repo *, git_index *, const struct ixcopy *);

/* index_check.c */
const struct dipb_error *dipb_ix_required_extensions(
	    const struct rawindex *, struct dipb_repo *);

/* index_sparse.c */
const struct dipb_error *dipb_ix_sparse_on(int *on, struct dipb_repo *);
const struct dipb_error *dipb_ix_sparse_read(struct dipb_buf *pats,
	    struct dipb_repo *);
const struct dipb_error *dipb_ix_sparse_load(struct dipb_buf *pats, int *on,
	    struct dipb_repo *);
int	 dipb_ix_sparse_excludes(const struct dipb_buf *pats, const char *path);
const struct dipb_error *dipb_ix_outside_sparse(const struct dipb_buf *pats,
	    const char *path);

#endif /* DIPB_GIT_INDEX_H */

/*
 * git/internal.h - what the files of src/git/ share, and nothing else may
 * include: struct dipb_repo, and the functions one file of the folder
 * offers the others.  <git2.h> is included in src/git/ only (here, in
 * git/index.h and in .c files); the rest of dipb speaks to the
 * repository through repo.h.  Every file of src/git/ that uses libgit2
 * includes this one, for the libgit2 version test below as well; ident.c,
 * which does not, includes repo.h alone.
 *
 *	lib.c		libgit2 start and stop, its options (its fsync on and
 *			off among them), the mbedTLS stubs, DIPB_FAULT
 *	hash.c		SHA-1 and object ids of bytes
 *	repo.c		open, close, HEAD and its branch, paths, warnings
 *	discover.c	the repository found and trusted as git does: GIT_DIR,
 *			the environment, the search, safe.directory, the
 *			working tree, the alternates
 *	init.c		dipb init's repository, its template
 *	identity.c	the acting identity, as git reads it
 *	ident.c		git's rules for an identity's name and email
 *	config.c	the configuration as git reads it, every level
 *	tree.c		raw trees: read, find, edit in one pass, write; reads at
 *			the tip; every file below a folder (dipb migrate)
 *	index.c		the index: one reader (raw or libgit2); index_write.c,
 *			one writer; index_check.c, the preflight;
 *			index_sparse.c, the sparse checkout; index_moves.c,
 *			a change that moves files (git/index.h: what they share)
 *	packed.c	packed-refs searched by prefix (packed.h), not read
 *			whole; the one mapping of it a command keeps
 *	refs.c		refs read, loose then packed, and written as git's
 *			files backend writes them
 *	reflog.c	reflogs: read, opened, appended to
 *	reflist.c	the refs of a folder listed: a record's tags, every
 *			tag, every tag as it is now (dipb_tagsnap)
 *	ids.c		numbers: a record's next tag, the next record id
 *	tagguard.c	the guards of a change's tag number: its record's
 *			tags missing here, or moved by hand
 *	lock.c		the repository lock and the retry loop with backoff
 *	perm.c		modes of what dipb makes in the git dir
 *			(core.sharedRepository), from the creation of each
 *			file, and refusals of what is found narrower
 *	journal.c	the journal, and recovery of an interrupted change
 *	worktree.c	working-tree files: checked, hashed, written as git does;
 *			a change's moves renamed (dipb migrate)
 *	commit.c	dipb_repo_commit: message, tree, commit, tag, branch;
 *			dipb_repo_make: the same objects on a given parent
 *			(dipb sync's replay), no ref written
 *	sign.c		SSH signatures of commits and tags, as git makes them
 *	remote.c	dipb sync's transport: the git command for fetch, push
 *	publish.c	a sync published: refs, branch, files, one journal
 *	gc.c		git gc/maintenance --auto, pack-refs after a change
 *
 * and the readers of the history (repo.h, "Reading the history"):
 *
 *	object.c	commits, trees, blobs and tags, read raw;
 *			objparse.c, a commit's and a tag's bytes parsed
 *	lazy.c		objects not here: a partial clone's, fetched on
 *			demand, and why one dipb needs is missing
 *	records.c	the records at a commit, for the tip and history alike,
 *			and the place of one record there, in either layout
 *	tags.c		what a tag names: peeled, its commit; the tags a
 *			remote lacks
 *	treediff.c	the changes between two trees, from their raw bytes
 *	packdelta.c	a tree stored as a delta of the tree read before it,
 *			made from that tree (treediff.c)
 *	walk.c		revisions and revision walks
 *	reach.c		ancestry: one walk of whether a commit is in another's
 *			history, and which branch holds a commit
 *	derived.c	derived data beside the repository (dipb/verify/,
 *			records.cache) and the drafts' folder (dipb/drafts/)
 *
 * and diff.c, two texts compared as git diff compares them (dipb diff).
 *
 * Three things libgit2 does in time proportional to the board are done
 * here in git's own formats instead, so a change at 10,000 records costs
 * little more than at 1,000: the new tree is spliced from the old one's
 * bytes (tree.c), the index entry is
 * changed in the index file's bytes (index_write.c), and the two refs are
 * written as git's files backend writes them (refs.c).  Each file says
 * what it replaces and why.
 */
#ifndef DIPB_GIT_INTERNAL_H
#define DIPB_GIT_INTERNAL_H

#include <sys/stat.h>

#include <stdint.h>

#include <git2.h>

/*
 * The libgit2 compiled against is major.minor or later: the one test of
 * its version (README.md, "Layout and dependencies").  LIBGIT2_VERSION_*
 * from 1.8 on, LIBGIT2_VER_* before (1.8's deprecated.h keeps that
 * spelling, which GIT_DEPRECATE_HARD hides).
 */
#if defined(LIBGIT2_VERSION_MAJOR)
#define DIPB_LIBGIT2_MAJOR	LIBGIT2_VERSION_MAJOR
#define DIPB_LIBGIT2_MINOR	LIBGIT2_VERSION_MINOR
#elif defined(LIBGIT2_VER_MAJOR)
#define DIPB_LIBGIT2_MAJOR	LIBGIT2_VER_MAJOR
#define DIPB_LIBGIT2_MINOR	LIBGIT2_VER_MINOR
#else
#error "git2.h names no libgit2 version"
#endif
#define DIPB_LIBGIT2_AT_LEAST(major, minor) \
	(DIPB_LIBGIT2_MAJOR > (major) || (DIPB_LIBGIT2_MAJOR == (major) && \
	    DIPB_LIBGIT2_MINOR >= (minor)))

/* git_error_clear and git_error_set_str: in git2/errors.h before 1.8. */
#if DIPB_LIBGIT2_AT_LEAST(1, 8)
#include <git2/sys/errors.h>
#endif

#include "../repo.h"
#include "../util.h"
#include "packed.h"

#define DIPB_GIT_LOCK_FILE	"dipb.lock"
#define DIPB_GIT_TMP_SUFFIX	".dipb-tmp"
#define DIPB_GIT_RETRIES	DIPB_REPO_RETRIES	/* repo.h */

#define DIPB_GIT_RAWTREES	4

/* A tree's raw bytes, cached by id (see tree.c). */
struct dipb_git_rawtree {
	git_oid		 id;
	char		*data;		/* NULL: an empty slot */
	size_t		 len;
	/* Where its entries start, in git's order, for a
	 * lookup by bisection (tree.c, find_entry). */
	uint32_t	*off;
	size_t		 n;
	/* The folder it was read as (NULL: not known), for the next
	 * version of it to be read and checked from (tree.c). */
	char		*path;
};

/* packed-refs as packed.c last mapped it: mapped again when it changes. */
struct dipb_git_packed_refs {
	char		*map;		/* NULL: no file, or an empty one */
	size_t		 len;
	struct stat	 st;		/* of the file mapped */
	int		 have;		/* a file is mapped (or empty) */
	int		 loaded;	/* looked for at least once */
	struct dipb_packed pk;
};

/* A "<path>.lock" file, as git's lockfile.h: see lock.c for the sequence. */
struct dipb_git_lockfile {
	char	*path;
	char	*lock;		/* path.lock */
	int	 fd;		/* from its creation until written, else -1 */
	int	 held;		/* created by us and not yet renamed */
	mode_t	 mode;		/* given when in place: the file's */
	/*
	 * The file as written, found again at dipb_git_lock_commit: its
	 * device and inode (which ext4 gives again at once to a file made
	 * after one removed), and its mode, size and time of change.
	 */
	struct stat st;
};
/* A lock file not held: what dipb_git_lock_rollback leaves. */
#define DIPB_GIT_LOCKFILE_INIT	{ NULL, NULL, -1, 0, 0, { 0 } }

/*
 * What dipb_repo_init made (init.c), taken back when dipb init is
 * refused before its first change: the .git (NULL: none), and each
 * folder mkdir(2) made, in the order made, as named then (the working
 * folder does not change).  Released with dipb_git_made_release.
 */
struct dipb_git_made {
	char			*git;
	struct dipb_strlist	 dirs;
};

void	 dipb_git_made_release(struct dipb_git_made *);
/*
 * DIPB_ERR_CHANGED when r's .git, as dipb_repo_init opened it
 * (r->dotgit_path), is no longer the one there; NULL when it is, when r
 * holds none, and, unless gone_too, when none is there now (init.c).
 */
const struct dipb_error *dipb_git_dotgit_changed(const struct dipb_repo *,
    int gone_too);

/*
 * The repository format, as git 2.39 reads it (setup.c, struct
 * repository_format): core.repositoryformatversion and extensions.* of
 * the repository's own config file, the common git dir's, read in one
 * pass (dipb_git_format_read) and used by every reader of them: the
 * checks git makes as it opens the repository (dipb_git_format_check),
 * config.worktree (dipb_git_config_open) and the promisor remote
 * (lazy.c).  See dipb-git(7), "Repository formats".
 */
struct dipb_git_format {
	int	 read;		/* 1 once read */
	/* git's: -1 when unset or set to -1, and then every field of the
	 * format is as if unset; below -1 it is not, but is not checked. */
	int32_t	 version;
	int	 worktree_config;	/* config.worktree is read */
	char	*partial_clone;		/* NULL: none */
	char	 object_format[8];	/* "sha1" or "sha256" */
	char	*unknown;	/* the first extension git does not know */
	char	*v1_only;	/* the first for version 1 only */
	/*
	 * Every extensions.* name the file sets, and the files it includes
	 * as libgit2 1.5 reads them ("frobnicate"): libgit2 checks those
	 * (discover.c, open_ext).
	 */
	struct dipb_strlist names;
};
#define DIPB_GIT_FORMAT_INIT	{ 0, -1, 0, NULL, "sha1", NULL, NULL, \
	DIPB_STRLIST_INIT }

struct dipb_repo {
	git_repository	*git;
	char		*workdir;	/* absolute, ends in '/' */
	char		*gitdir;	/* absolute, ends in '/' */
	char		*index_path;
	char		*objdir;	/* ends in '/'; NULL: libgit2 writes */
	/* GIT_OBJECT_DIRECTORY's folder, absolute as git reads it
	 * (dipb_git_apply_env), ending in '/'; NULL: not set. */
	char		*env_objdir;
	/* GIT_ALTERNATE_OBJECT_DIRECTORIES' folders, absolute as git reads
	 * them (dipb_git_apply_env): libgit2's alternates, and packdelta.c's
	 * packs, from this one list. */
	struct dipb_strlist env_alts;
	char		*branch_ref;	/* "refs/heads/main"; "HEAD" detached */
	int		 unborn;
	/* HEAD detached (no branch): read only; head_desc names it. */
	int		 detached;
	char		*head_desc;	/* "HEAD (detached at pull/1/merge)" */
	git_oid		 tip;
	git_oid		 root;		/* the tip's tree */
	git_odb		*odb;
	struct dipb_git_rawtree rt[DIPB_GIT_RAWTREES];
	unsigned	 rt_next;
	/* The packs, for a tree stored as a delta of one read before it
	 * (tree.c, treediff.c): dipb_git_packs; NULL: not opened yet. */
	struct dipb_git_packs *packs;
	/* -1 unless held: by dipb_repo_begin, or for a moment through
	 * dipb_git_lock_repo (recovery, journal.c; housework, gc.c). */
	int		 lock_fd;
	/* index.lock, held from before a change moves the branch until the
	 * index is written (dipb_git_index_hold). */
	struct dipb_git_lockfile ilock;
	/* The index a state change's steps build under ilock, written and
	 * renamed into place once (dipb_git_index_batch); ibatch: on. */
	struct dipb_buf	 ipend;
	int		 ibatch;
	int		 retries;
	/* An interrupted change could not be finished at open, or at the
	 * last dipb_repo_begin: tried again, without waiting a second time
	 * by dipb_repo_begin_read (lock.c). */
	int		 unsettled;
	/* The warning open gave for it (dipb_git_recover_left), which the
	 * next try under the lock replaces; NULL: none. */
	char		*unsettled_warning;
	int		 fsync;		/* objects, refs, journal, files */
	int		 deferred;	/* dipb_repo_defer_fsync: fsync was on */
	/* The objects folder's fsync(2): 0 not asked yet, 1 done, -1 not
	 * supported there (dipb_git_objects_begin). */
	int		 dirsync;
	int		 attr_index;	/* dipb_git_attr_index was called */
	struct dipb_git_made made;	/* what dipb_repo_init made */
	/* DIR/.git as dipb_repo_init found or made it, held open so that
	 * its inode is not another's: -1 none (init.c, dotgit_same). */
	int		 dotgit;
	char		*dotgit_path;	/* its name, absolute: NULL none */
	int		 shared;	/* core.sharedRepository: see perm.c */
	int		 perm_read;	/* shared is read */
	int		 perm_odb;	/* perm.c's odb backend is added */
	struct dipb_strlist warnings;	/* see dipb_repo_warnings */
	int		 files;		/* see dipb_git_found */
	int		 lazy_done;	/* lazy.c fetched a partial clone's */
	char		*lazy_failed;	/* ...and failed: why (lazy.c) */
	struct dipb_git_packed_refs packed;	/* see packed.c */
	/* The index as last mapped, and its stat data (index.c). */
	const char	*index_map;
	size_t		 index_len;
	struct stat	 index_st;
	int		 index_have;
	/* The index's copy for libgit2 1.7 and older (index.c): its name,
	 * open file, and the stat data of the index it copies. */
	char		*icopy_name;
	int		 icopy_fd, icopy_slot, icopy_have;
	struct stat	 icopy_st;
	struct dipb_git_format format;	/* read as it was opened */
};

/* One file of a change, as the journal records it. */
struct jfile {
	char	*path;
	git_oid	 old;		/* zero: the path did not exist at the tip */
	git_oid	 new;
	/* 1: the index entry takes new whatever it holds ("take" line:
	 * struct dipb_change's from_worktree). */
	int	 take;
	/*
	 * Non-zero: what the working file held as the command read it
	 * (from_worktree; "replace" line): a working file that still holds
	 * it is written with new, as one that holds old is; a save made
	 * since is left.
	 */
	git_oid	 was;
};

/* One file a change moves (struct dipb_rename), as the journal has it. */
struct jmove {
	char	*from;
	char	*to;
	git_oid	 id;
	unsigned mode;
};

/* ---- lib.c ------------------------------------------------------- */

/*
 * "<what>: <libgit2's last message>" with DIPB_ERR_GIT, what formatted as
 * for printf; "<what>: out of memory" with DIPB_ERR_NOMEM where libgit2
 * or zlib ran out of memory.
 */
const struct dipb_error *dipb_error_from_git(const char *, ...)
	    DIPB_PRINTF(1, 2);
/*
 * 1 when libgit2's last error is the system's (out of memory, a file it
 * could not open or read: too many open files, EIO), not a fault of
 * what it read: the caller reports it, never a corrupt or a missing
 * object in its place.
 */
int	 dipb_git_failed_system(void);

/*
 * Initialises libgit2 (counted: each call needs a git_libgit2_shutdown)
 * and sets *fsync_on from DIPB_FSYNC.
 */
const struct dipb_error *dipb_git_lib_init(int *fsync_on);
/*
 * libgit2's fsync of what it writes (objects, and each one's folder)
 * turned on or off: never on where the objects folder cannot be synced
 * (dipb_git_objects_begin).
 */
void	 dipb_git_lib_fsync(const struct dipb_repo *, int on);
/*
 * The repository extensions libgit2 lets a repository have: those dipb
 * handles (lib.c), and more's names too (NULL: none), for an open that
 * leaves the check to config.c (discover.c, open_ext).
 */
const struct dipb_error *dipb_git_lib_extensions(
	    const struct dipb_strlist *more);
/*
 * libgit2's search paths for the system, xdg and global files, saved and
 * emptied while it opens a repository (dipb_git_paths_hide), then put
 * back (dipb_git_paths_restore, which frees saved): see lib.c.
 */
struct dipb_git_paths {
	git_buf	 v[4];
	int	 hidden;
};
const struct dipb_error *dipb_git_paths_hide(struct dipb_git_paths *saved);
const struct dipb_error *dipb_git_paths_restore(struct dipb_git_paths *saved);
/* DIPB_FAULT: kills or stops the process at point, for the tests. */
void	 dipb_git_fault(const char *point);

/* ---- config.c ---------------------------------------------------- */

/*
 * The levels of the configuration dipb builds, lowest first (libgit2's
 * levels are priorities: a higher one wins).  libgit2 1.5 has no
 * worktree level, and none for the command line: they take the two
 * after GIT_CONFIG_LEVEL_LOCAL.
 */
#define DIPB_GIT_CONFIG_SYSTEM		GIT_CONFIG_LEVEL_SYSTEM
#define DIPB_GIT_CONFIG_XDG		GIT_CONFIG_LEVEL_XDG
#define DIPB_GIT_CONFIG_GLOBAL		GIT_CONFIG_LEVEL_GLOBAL
#define DIPB_GIT_CONFIG_LOCAL		GIT_CONFIG_LEVEL_LOCAL
#define DIPB_GIT_CONFIG_WORKTREE	(GIT_CONFIG_LEVEL_LOCAL + 1)
#define DIPB_GIT_CONFIG_COMMAND		(GIT_CONFIG_LEVEL_LOCAL + 2)

/*
 * The configuration git 2.39 reads for the repository git: system (unless
 * GIT_CONFIG_NOSYSTEM; GIT_CONFIG_SYSTEM names it), xdg and global (or
 * GIT_CONFIG_GLOBAL alone), the common git dir's config, the git dir's
 * config.worktree under extensions.worktreeConfig, then the command
 * line's values (GIT_CONFIG_COUNT's, then GIT_CONFIG_PARAMETERS').
 * git NULL: the levels before the repository's only, and fmt is not
 * used.  Else fmt is the repository's format: read from its config file
 * here the first time (fmt->read 0; a format git refuses as it reads it
 * is an error, dipb_git_format_read), as read after.  A malformed
 * variable is DIPB_ERR_USAGE.  Caller frees *out with git_config_free.
 */
const struct dipb_error *dipb_git_config_open(git_config **out,
	    git_repository *git, struct dipb_git_format *fmt);
/*
 * Where the entry e of a configuration dipb_git_config_open made for git
 * comes from, for a message: "in '<file>'", "in a file that '<file>'
 * includes", "on the command line (git -c, ...)".  Caller frees.
 */
char	*dipb_git_config_origin(const git_config_entry *e,
	    git_repository *git);
/*
 * The git config command that unsets key where e, a configuration
 * entry as dipb_git_config_origin takes it, is set: "git config
 * [--system | --global | --worktree | --file FILE] --unset key"; NULL
 * where no such command reaches it (the command line, an included
 * file).  Caller frees.
 */
char	*dipb_git_config_unset_cmd(const git_config_entry *e,
	    git_repository *git, const char *key);
/*
 * *out: the boolean key (normalised: "user.useconfigonly") of cfg, a
 * configuration dipb_git_config_open made for git, as git 2.39's
 * git_config_bool reads it; def when it is unset or cfg is NULL.  A
 * value that is no boolean at any level (git dies at the first it reads,
 * even one a higher level overrides) is DIPB_ERR_USAGE in git's words
 * ("bad boolean config value"), naming the value and where it is
 * (dipb_git_config_origin): the lowest level's, which git names.
 */
const struct dipb_error *dipb_git_config_bool(int *out, git_config *cfg,
	    git_repository *git, const char *key, int def);
/* As dipb_git_config_bool, of the configuration git reads for r. */
const struct dipb_error *dipb_git_repo_bool(int *out, struct dipb_repo *r,
	    const char *key, int def);
/*
 * *fmt: the repository format of cfg's common config file (named file
 * in messages), in one pass over the file's own entries, as git 2.39
 * reads it: none of the files it includes (include.path, includeIf)
 * counts, but for fmt->names.  What git refuses as it reads the file,
 * the first in the file's order, is DIPB_ERR_NO_REPO naming the
 * setting: a core.repositoryformatversion that is no number (or out of
 * git's range), extensions.objectFormat other than "sha1" or "sha256",
 * so spelt, and extensions.preciousObjects or worktreeConfig that is
 * not a boolean.  fmt is filled in all the same.  Release it with
 * dipb_git_format_release.
 */
const struct dipb_error *dipb_git_format_read(struct dipb_git_format *fmt,
	    git_config *cfg, const char *file);
/*
 * What git 2.39 refuses of a format it read (dipb_git_format_read),
 * DIPB_ERR_NO_REPO naming the setting: core.repositoryformatversion
 * above 1, an extension git does not know in a version 1 repository, a
 * version 1 extension in a version 0 one; and what dipb refuses, an
 * objectFormat other than sha1.  Below 0 (unset), git checks neither
 * the version nor the extensions.
 */
const struct dipb_error *dipb_git_format_check(
	    const struct dipb_git_format *fmt, const char *file);
void	 dipb_git_format_release(struct dipb_git_format *fmt);
/*
 * *out: name's value in cfg as git's git_config_pathname reads it, "~/"
 * and "~user/" expanded (an unknown user is DIPB_ERR_USAGE, in git's
 * words); NULL when it is not set.  Caller frees.
 */
const struct dipb_error *dipb_git_config_path(char **out, git_config *cfg,
	    const char *name);
/*
 * *safe 1 when safe.directory trusts path (a working tree, or a bare git
 * dir, without a trailing '/') as git 2.39 reads it: from the system,
 * global and command-line configuration, read here with no repository
 * (include.path followed, no includeIf holding).  An error when that
 * configuration cannot be read (dipb_git_config_open), or when a value
 * cannot be interpolated ("~nosuchuser/", as git dies on it).
 */
const struct dipb_error *dipb_git_config_safe_directory(int *safe,
	    const char *path);
/*
 * *explicit_only 1 when safe.bareRepository is 'explicit' in that same
 * configuration (its last value): git 2.39 then uses no bare git dir its
 * search finds.  A value git dies on is DIPB_ERR_NO_REPO.
 */
const struct dipb_error *dipb_git_config_bare_explicit(int *explicit_only);

/* ---- hash.c ------------------------------------------------------ */

/* SHA-1 of data (libcrypto); aborts if libcrypto cannot. */
void	 dipb_git_sha1(unsigned char out[20], const char *data, size_t len);

/* ---- repo.c ------------------------------------------------------ */

struct dipb_git_found;		/* discover.c */

/* Adds a warning for the caller (dipb_repo_warnings), printf's way. */
void	 dipb_git_warn(struct dipb_repo *, const char *fmt, ...)
	    DIPB_PRINTF(2, 3);
/* Takes back the warning msg (dipb_repo_warn), when it was given. */
void	 dipb_git_unwarn(struct dipb_repo *, const char *msg);
/* Re-reads HEAD: its branch and that branch's tip (see repo.c). */
const struct dipb_error *dipb_git_load_head(struct dipb_repo *);
/*
 * The dipb_repo of git, a repository discover.c found as how says (or
 * init.c made): the configuration, the working tree, the environment's
 * objects and index, HEAD; with need_board, dipb.yaml at the tip.  Takes
 * git; on an error, closes it (libgit2 shut down once).
 */
const struct dipb_error *dipb_git_open(struct dipb_repo **out,
	    git_repository *git, const struct dipb_git_found *how,
	    int need_board, int fsync_on);

/* ---- discover.c -------------------------------------------------- */

/*
 * How the repository was found: from the environment as git finds it
 * (path NULL), GIT_DIR naming the git dir, and where the search started.
 */
struct dipb_git_found {
	int		 from_env;
	int		 explicit_dir;
	const char	*start;		/* path, or "." */
	int		 none;		/* no repository there at all */
	int		 bare_refused;	/* a bare git dir the search found,
					   refused before it was read */
	int		 files;		/* opened for the working tree's
					   files (dipb_repo_open_at) */
};

/* The environment variable name when set and not empty, else NULL. */
const char *dipb_git_env_get(const char *name);
/* DIPB_ERR_NO_REPO when GIT_DIR is set and empty, as git refuses it. */
const struct dipb_error *dipb_git_dir_empty(void);
/* The current directory, as getcwd gives it (symbolic links resolved). */
const struct dipb_error *dipb_git_current_dir(char **out);
/* The folder a search started from, for a message; caller frees. */
char	*dipb_git_start_named(const char *start);
/*
 * Finds the repository as git finds it, from path, or with path NULL
 * from the environment (GIT_DIR, the search upwards), checked before it
 * is read (safe.directory), and opens it into *out.
 */
const struct dipb_error *dipb_git_find_repo(git_repository **out,
	    struct dipb_git_found *how, const char *path);
/*
 * The repository found from how->start with libgit2's flags and
 * ceiling, checked (safe.directory) and opened there: *rc is libgit2's
 * result, GIT_ENOTFOUND when there is none.
 */
const struct dipb_error *dipb_git_find_checked(int *rc,
	    git_repository **out, struct dipb_git_found *how, unsigned flags,
	    const char *ceiling);
/* libgit2's refusal to open where, in dipb_git_format_check's words. */
const struct dipb_error *dipb_git_open_failed(const char *where);
/* The working tree as git decides it; *out NULL: a bare repository. */
const struct dipb_error *dipb_git_find_workdir(char **out,
	    git_repository *git, git_config *cfg,
	    const struct dipb_git_found *how);
/* The configuration git reads, given to libgit2; the format checked. */
const struct dipb_error *dipb_git_setup_config(git_config **out,
	    struct dipb_git_format *fmt, git_repository *git);
/*
 * The folders of GIT_ALTERNATE_OBJECT_DIRECTORIES's value v, read as git
 * reads the list (git(1)): entries separated by ':'; one that starts
 * with '"' a C-quoted path (so it may hold a ':'), taken as it is,
 * quotes and all, when its quoting is bad; one that starts with '#' a
 * comment; an empty one skipped.  Each made absolute as git does (a
 * relative one from the top of workdir, when dipb runs inside it), a
 * folder named twice kept once, and appended to *out (its strings
 * allocated, the caller's to release).  Errors: the current directory
 * unreadable, for a relative one.
 */
const struct dipb_error *dipb_git_env_alts(struct dipb_strlist *out,
	    const char *v, const char *workdir);
/* GIT_OBJECT_DIRECTORY, GIT_ALTERNATE_OBJECT_DIRECTORIES, GIT_INDEX_FILE. */
const struct dipb_error *dipb_git_apply_env(struct dipb_repo *);
/*
 * r->odb, once: the objects at objdir (NULL: the repository's own,
 * objects/ of its common folder), opened and given to libgit2 as the
 * repository's.  -1, r->odb NULL and nothing kept, when they cannot be
 * opened (libgit2's error set).
 */
int	 dipb_git_odb_set(struct dipb_repo *r, const char *objdir);
/* The alternates' own relative alternates, added as git resolves them. */
const struct dipb_error *dipb_git_nested_alternates(struct dipb_repo *);
/*
 * The alternate object folders of the repository's objects/info/alternates
 * (a clone made with --shared or --reference borrows its source's
 * objects): *n of them, and the first that is not a folder any more (its
 * source moved or removed), allocated, else NULL.
 */
char	*dipb_git_alternate_gone(size_t *n, struct dipb_repo *);

/* ---- tree.c ------------------------------------------------------ */

/* One entry of a raw tree: "<octal mode> <name>\0<20-byte id>". */
struct dipb_git_entry {
	const char	*start;
	size_t		 size;		/* of the whole entry */
	const char	*name;
	size_t		 nlen;
	unsigned	 mode;
	const unsigned char *id;
};

/* Reads the entry at *p and moves *p past it; -1: malformed tree. */
int	 dipb_git_tree_next(struct dipb_git_entry *, const char **p,
	    const char *end);
/*
 * A mode as git judges it (its canon_mode()): a regular file 100644 or
 * 100755, a link 120000, a folder 40000, anything else a gitlink 160000.
 * Every mode read from a tree is judged through it (dipb_git_tree_next).
 */
unsigned dipb_git_mode_canon(unsigned mode);

/*
 * git fsck's rules of a tree's order, fed each entry in turn (tree.c):
 * DIPB_GIT_ORDER_OK, or the first problem (fsck's treeNotSorted,
 * duplicateEntries), kept, with the entry it was found at in name, nlen.
 * The names fed must last as long as o.  Zeroed to start.
 */
#define DIPB_GIT_ORDER_OK	0
#define DIPB_GIT_ORDER_UNSORTED	1
#define DIPB_GIT_ORDER_DUPS	2
struct dipb_git_order {
	const char	*name;		/* the entry fed last */
	size_t		 nlen;
	unsigned	 mode;
	int		 have;
	int		 problem;
	struct {
		const char	*name;
		size_t		 nlen;
	}		*stack;		/* files a folder may yet follow */
	size_t		 n;
	size_t		 cap;
};
int	 dipb_git_order_next(struct dipb_git_order *,
	    const struct dipb_git_entry *);
void	 dipb_git_order_release(struct dipb_git_order *);
/*
 * Entry e, which a change added to the len bytes of raw tree data, and
 * the entry of its name and the other kind (a folder for a file, a file
 * for a folder) anywhere in data: DIPB_GIT_ORDER_DUPS, kept in o as
 * dipb_git_order_next keeps it, when data holds that one too.  data is
 * taken to be in git's order (a binary search over the n offsets off at
 * which its entries start, in order), as it is when it was before the
 * change and o checked the entries around those the change made: then a
 * duplicate that o missed has an added entry in it (tree.c).
 */
int	 dipb_git_order_added(struct dipb_git_order *,
	    const struct dipb_git_entry *e, const char *data, size_t len,
	    const uint32_t *off, size_t n);
/*
 * The entry called name (nlen bytes), a folder (tree 1) or not, among
 * the n entries of the len bytes of raw tree data that start at off, in
 * git's order, found by bisection: 1 and *e when there is one of that
 * very name and kind, 0 when not, -1 when the entries read are malformed.
 */
int	 dipb_git_tree_find(struct dipb_git_entry *e, const char *data,
	    size_t len, const uint32_t *off, size_t n, const char *name,
	    size_t nlen, int tree);
/* "treeNotSorted: not properly sorted", as git fsck says it. */
const char *dipb_git_order_problem(int problem);
/*
 * DIPB_ERR_CORRUPT for tree (hex) at the plen bytes of path (0: the
 * root) of commit (NULL: not known), o's problem named.
 */
const struct dipb_error *dipb_git_order_error(const struct dipb_git_order *o,
	    const char *tree, const char *path, size_t plen,
	    const char *commit);

/*
 * One edit of dipb_git_tree_edit: a blob put at path, or (mode 0) the
 * file at path dropped (nothing when there is none; a folder it leaves
 * empty is dropped too).
 */
struct dipb_git_tree_edit {
	const char	*path;		/* relative to the tree edited */
	const git_oid	*id;		/* unread when mode is 0 */
	git_filemode_t	 mode;
	int		 done;
	const char	*whole;		/* path from the top, of which path
					 * is the end (dipb_git_tree_edit
					 * sets it) */
};

/* The tip's tree, NULL while the branch is unborn. */
const git_oid *dipb_git_tip_root(const struct dipb_repo *);
/* The mode of the entry at path at the tip, as git judges it
 * (dipb_git_mode_canon); 0 when there is none, or it cannot be read. */
unsigned dipb_git_tip_mode(struct dipb_repo *, const char *path);
/*
 * What the symbolic link blob id (hex) points to, as a message names it;
 * NULL when it cannot be read (caller frees).
 */
char	*dipb_git_link_target(struct dipb_repo *, const char *id);
/* What the symbolic link at path at the tip points to; NULL when there
 * is none there, or it cannot be read (caller frees). */
char	*dipb_git_tip_link(struct dipb_repo *, const char *path);
/*
 * The file (a blob, not a link) at path at the tip: *found 0 when none.
 * mode may be NULL.
 */
const struct dipb_error *dipb_git_tree_blob(git_oid *id,
	    git_filemode_t *mode, int *found, struct dipb_repo *,
	    const char *path);
/* The same below the tree root (NULL: an empty tree). */
const struct dipb_error *dipb_git_tree_blob_at(git_oid *id,
	    git_filemode_t *mode, int *found, struct dipb_repo *,
	    const git_oid *root, const char *path);
/*
 * The entry at path below the tree root (NULL: an empty tree), a file
 * or a folder: *found 0 when none, else its id.
 */
const struct dipb_error *dipb_git_tree_entry_at(git_oid *id, int *found,
	    struct dipb_repo *, const git_oid *root, const char *path);
/*
 * The trees dipb_git_tree_edit made, in memory until dipb_git_trees_write
 * writes them (a subtree before the tree that names it): a change knows
 * its ids, and signs them, before it writes anything (commit.c).  Release
 * with dipb_git_trees_release.
 */
struct dipb_git_tree {
	git_oid		 id;
	struct dipb_buf	 obj;		/* "tree <size>\0" and the entries */
	size_t		 hdr;		/* the header's length */
};
struct dipb_git_trees {
	struct dipb_git_tree *v;
	size_t		 n;
	size_t		 cap;
};
/*
 * Makes the tree base (NULL: an empty one) with the n edits applied,
 * adding it and each new subtree to made; *out is the new tree's id.  In
 * one pass over each tree it changes, whatever the number of edits (dipb
 * migrate moves every record in one change).  Several edits of one path:
 * the last one wins.  A file where a folder must be, or the reverse, is
 * DIPB_ERR_INTERNAL.  Nothing is written.  The edits' done fields are
 * used.
 */
const struct dipb_error *dipb_git_tree_edit(git_oid *out,
	    struct dipb_git_trees *made, struct dipb_repo *,
	    const git_oid *base, struct dipb_git_tree_edit *edits, size_t n);
/* Writes the trees made, each checked against the id it was given. */
const struct dipb_error *dipb_git_trees_write(struct dipb_repo *,
	    const struct dipb_git_trees *made);
/*
 * *out the zlib level git writes loose objects at: core.looseCompression,
 * else core.compression, else 1.  DIPB_ERR_USAGE naming the key when
 * either holds a level git would die of (not -1 to 9), which
 * dipb_git_check_state refuses before anything is written (dipb-git(7),
 * "Repository growth").
 */
const struct dipb_error *dipb_git_loose_level(int *out, struct dipb_repo *);
void	 dipb_git_trees_release(struct dipb_git_trees *);
/*
 * The highest number of prefix's record files below the tree root (the
 * tip's: dipb_git_tip_root; 0: none).
 */
const struct dipb_error *dipb_git_records_max(unsigned long *max,
	    struct dipb_repo *, const git_oid *root, const char *prefix);
/*
 * Whether a file of record id's name is below the tree root, in either
 * layout, its name or its prefix's folder in any case (dipb-sync(1)).
 */
const struct dipb_error *dipb_git_record_held(int *held,
	    struct dipb_repo *, const git_oid *root, const char *id);

/* ---- object.c ---------------------------------------------------- */

/* An object of the len bytes at data, which it takes. */
struct dipb_object *dipb_git_object_own(char *data, size_t len,
	    enum dipb_object_type);
/* Frees o, but for its bytes when they are its own: those are returned. */
char	*dipb_git_object_disown(struct dipb_object *o);
/*
 * dipb_git_object_read of an object of at most max bytes: a larger one
 * (of type type, or any when NONE) is DIPB_ERR_TOO_LARGE from its header,
 * never inflated (dipb_git_blob_read).
 */
const struct dipb_error *dipb_git_object_read_max(struct dipb_object **out,
	    struct dipb_repo *, const char *id, enum dipb_object_type type,
	    size_t max);
/*
 * Why object id, as stored here (nothing is fetched), is no commit dipb
 * reads (dipb_git_commit_read's words; caller frees), or NULL when it is
 * one or cannot be read: the reason beside libgit2's refusal of the
 * branch tip (repo.c).
 */
char	*dipb_git_commit_why(struct dipb_repo *, const git_oid *id);
/* The 40 hex digits of a raw object id. */
void	 dipb_git_hex(char out[DIPB_OID_HEX + 1], const unsigned char *raw);

/* ---- objparse.c -------------------------------------------------- */

/*
 * The head of a tag object's data [data, end), read as git's
 * parse_tag_buffer() reads it, the one reading of what a tag names:
 * "object <hex>", "type <commit|tree|blob|tag>" and "tag <name>" lines
 * first, in that order, each ended by a newline (git rev-parse TAG^{}
 * peels no other).  Fills object (lower case) and *type; *name is the
 * tag's name, up to the newline before *rest, the line after them.  NULL, or why it is no tag git reads
 * (dipb_git_tag_parse adds git fsck's checks of the tagger; tags.c peels
 * with it).
 */
const char *dipb_git_tag_head(char object[DIPB_OID_HEX + 1],
	    enum dipb_object_type *type, const char **name, const char **rest,
	    const char *data, const char *end);
/*
 * The len bytes at data read as a commit (c) or a tag (t), as git reads
 * them and checked as git fsck checks them: NULL, or why they are
 * refused, *line the header line it is about (or NULL), c or t left
 * empty.  The id is not set.  Release with dipb_commit_release or
 * dipb_tag_release either way.
 */
const char *dipb_git_commit_parse(struct dipb_commit *c, const char **line,
	    const char *data, size_t len);
const char *dipb_git_tag_parse(struct dipb_tag *t, const char **line,
	    const char *data, size_t len);

/* ---- lazy.c ------------------------------------------------------ */

/*
 * Runs "git --git-dir=<gitdir> args..." (no shell) with in on its
 * standard input, its standard output into out, its standard error into
 * err (either may be NULL; files in between: nothing to deadlock on).
 * *ok: it exited 0.  An error: it could not be run at all.
 */
const struct dipb_error *dipb_git_run(int *ok, struct dipb_buf *out,
	    struct dipb_buf *err, struct dipb_repo *, const char *const *args,
	    const char *in, size_t inlen);
/*
 * What git said on its standard error, b, in one line (a pointer into
 * b): its first "fatal: " or "error: " line, else its last.
 */
const char *dipb_git_said(struct dipb_buf *b);
/*
 * DIPB_ERR_NOT_FOUND for object id, missing: saying so when the history
 * is shallow, the repository a partial clone, or one with alternates
 * (naming one that is gone), with git's remedy.
 */
const struct dipb_error *dipb_git_missing(struct dipb_repo *,
	    const char *id);
/*
 * "<what>: <why>", what formatted as for printf, DIPB_ERR_GIT, for an
 * object libgit2 did not read (its last error pending): id, or, when
 * NULL, the one libgit2's error names missing (a walk, a diff).  Why is
 * dipb_git_missing's when the object is not here (a shallow history, a
 * partial clone, an alternate gone: dipb-git(7)), else libgit2's reason.
 * The one message of every read of an object dipb needs.
 */
const struct dipb_error *dipb_git_read_failed(struct dipb_repo *,
	    const git_oid *id, const char *fmt, ...) DIPB_PRINTF(3, 4);
/*
 * The same, of what, where the history is known not to be cut (no commit
 * .git/shallow lists needs id): why is never that it is shallow, which no
 * fetch would mend (dipb-git(7)).
 */
const struct dipb_error *dipb_git_read_failed_uncut(struct dipb_repo *,
	    const git_oid *id, const char *what);
/*
 * The object libgit2's last error names missing, into out: 0, or -1 when
 * it names none.
 */
int	 dipb_git_said_missing(git_oid *out);
/*
 * Reads object id, which a partial clone may lack: then it is fetched
 * through the git command from the promisor remote, with every other
 * object the history of recommendations/ and dipb.yaml lacks (once per
 * repository), and read again.  *out caller frees; errors as
 * dipb_git_missing when libgit2 finds it nowhere, DIPB_ERR_GIT when the
 * fetch failed (naming the objects and how to fetch them), and
 * DIPB_ERR_GIT, a corrupt repository, naming it and libgit2's reason,
 * for any other failure to read it.
 */
const struct dipb_error *dipb_git_odb_read(git_odb_object **out,
	    struct dipb_repo *, const git_oid *id);
/*
 * Makes sure object id is here (fetching it as dipb_git_odb_read does in
 * a partial clone); NULL when it is, or when it is missing and the
 * repository is no partial clone, or its remote has it not either (the
 * read that follows says so).
 */
const struct dipb_error *dipb_git_have(struct dipb_repo *,
	    const git_oid *id);
/*
 * dipb_git_have of the n objects of ids (a zero id skipped): those still
 * missing after the history's batch are fetched together, in one git
 * fetch, not one each.
 */
const struct dipb_error *dipb_git_have_all(struct dipb_repo *,
	    const git_oid *ids, size_t n);
/*
 * Makes sure every tree of commit is here: in a partial clone without the
 * trees (--filter=tree:0), those it lacks are listed ('git rev-list
 * --objects --no-walk --missing=print') and fetched in one batch, with
 * the trees they hold.  NULL when they are here, or the repository is no
 * partial clone; else as dipb_git_have.
 */
const struct dipb_error *dipb_git_have_trees(struct dipb_repo *,
	    const git_oid *commit);

/* ---- packdelta.c ------------------------------------------------- */

/*
 * The packs where libgit2 reads objects: dipb_git_packs is r's, opened
 * at its first call, freed by dipb_repo_close (with dipb_git_packs_free),
 * used by one thread at a time as r is.  Object id
 * made from the len bytes of base's object at bdata when a pack stores it
 * as a delta of base, its bytes (caller frees) and length into *outlen;
 * NULL otherwise, for libgit2 to read it.  It is made in buf (NULL:
 * none; taken in any case), so that a line of history reuses two buffers
 * and not a fresh 400 KB of pages a commit at 10,000 records.  Its
 * callers: treediff.c, along a line of history; tree.c's cached_tree,
 * for a folder read at one commit after its version at another (dipb
 * diff, report minutes), with the version in hand as base.
 */
struct dipb_git_packs;
struct dipb_git_packs *dipb_git_packs(struct dipb_repo *r);
void	 dipb_git_packs_free(struct dipb_git_packs *);
char	*dipb_git_packs_delta(size_t *outlen, struct dipb_git_packs *,
	    const git_oid *id, const git_oid *base, const char *bdata,
	    size_t blen, char *buf);
/*
 * Tree id read from a pack, its chain of deltas applied from the whole
 * object at its bottom (libgit2 keeps each step in a new allocation): its
 * bytes (caller frees) and length; NULL when it is not a tree of a pack
 * whose chain stays in it, for libgit2 to read.
 */
char	*dipb_git_packs_tree(size_t *outlen, struct dipb_git_packs *,
	    const git_oid *id);

/* ---- treediff.c -------------------------------------------------- */

/*
 * Whether the blen bytes of raw tree b are in git's order, knowing that
 * the alen bytes of raw tree a, whose an entries start at aoff, are (as
 * another version of the same folder, read before, is): only the entries
 * from the first byte the two differ at to where the rest is the same
 * are checked, with their neighbours, and each entry b adds is looked up
 * as the other kind, as a history walk checks each version of a folder
 * (treediff.c).  0 and the offsets of b's entries in *off, *n (caller
 * frees), or -1, nothing kept, when b is malformed or not in order: the
 * caller checks it whole to tell how.
 */
int	 dipb_git_tree_order_since(uint32_t **off, size_t *n,
	    const char *a, size_t alen, const uint32_t *aoff, size_t an,
	    const char *b, size_t blen);

/* ---- walk.c ------------------------------------------------------ */

/*
 * The shallow file at path, read as dipb_git_shallow_cut (repo.h) reads
 * the repository's, into cut, its digest into digest (may be NULL): for
 * a repository not yet opened.
 */
const struct dipb_error *dipb_git_shallow_file(struct dipb_hashmap *cut,
	    char digest[DIPB_OID_HEX + 1], const char *path);
/*
 * The error of a shallow file (path) whose stat or read failed (why):
 * dipb cannot tell whether the history is cut, and refuses to judge it,
 * where git reads a file it cannot open as no shallow clone (dipb-git(7),
 * "Shallow and partial clones").
 */
const struct dipb_error *dipb_git_shallow_unknown(const char *path,
	    const char *why);
/*
 * What the ids that cut (dipb_git_shallow_cut) lists are, or'ed: a
 * commit here where the history ends (dipb_git_cut_at: one with
 * parents), a root commit here (which ends nothing), an id not here (a
 * line git gc prunes), an object here that is no commit (which git dies
 * of: the first such into other, else other "").  The pack directory is
 * read again once, not once for each id not here.
 */
#define DIPB_GIT_CUT_ENDS	1
#define DIPB_GIT_CUT_ROOT	2
#define DIPB_GIT_CUT_STALE	4
#define DIPB_GIT_CUT_NOT_COMMIT	8
int	dipb_git_cut_kinds(char other[DIPB_OID_HEX + 1], struct dipb_repo *,
	    const struct dipb_hashmap *cut);
/* A commit id in hex into out: -1 when it is not 40 hex digits. */
int	dipb_git_oid_of(git_oid *out, const char *hex);

/* ---- reach.c ----------------------------------------------------- */

/*
 * Ancestry, each end peeled to a commit first as git rev-parse ID^{}
 * peels it: a tag of a commit is that commit, a blob or a tree (or a tag
 * of one) is in no history and holds none, not even itself (the booleans
 * of repo.h peel nothing).  dipb_git_reach: *in 1 when id is tip or in
 * its history, 0 when it is not, read as git log reads it whichever
 * libgit2 (a shallow clone's history ends where the
 * shallow file cuts it); -1 when the history is cut before that is
 * known, the first cut met into cut (dipb-git(7), "Shallow and partial
 * clones").  A commit missing where the history is not cut is an error
 * (history incomplete: dipb_git_parent_missing), unless the answer was
 * known before it.  dipb_git_branch_holds: whether a local branch other
 * than skip (a ref name; NULL: none skipped) holds commit id, each
 * branch's tip asked as dipb_git_reach asks: *held 1 when one does, 0
 * when none does, -1 when none does as far as the history goes, cut
 * before one branch's answer is known, its cut into cut; 1 too when the
 * branches cannot be listed; the first error met.
 */
const struct dipb_error *dipb_git_reach(int *in, char cut[DIPB_OID_HEX + 1],
	    struct dipb_repo *, const git_oid *tip, const git_oid *id);
const struct dipb_error *dipb_git_branch_holds(int *held,
	    char cut[DIPB_OID_HEX + 1], struct dipb_repo *, const git_oid *id,
	    const char *skip);

/* ---- records.c --------------------------------------------------- */

/*
 * Record id's file below the tree root (NULL: an empty tree), in either
 * layout, as dipb_repo_record_path_at finds it, through the lookups of
 * dipb_git_tree_blob_at: *found 0 when neither place holds one, else its
 * blob id, *sharded (may be NULL) 1 when its place is the sharded
 * layout's.
 */
const struct dipb_error *dipb_git_record_blob_at(git_oid *blob,
	    int *sharded, int *found, struct dipb_repo *,
	    const git_oid *root, const char *id);

/* ---- index.c, index_write.c, index_check.c, index_moves.c --------- */

/*
 * 1 when r's index file (index_path) is one dipb reads the names of
 * itself and libgit2 cannot open: a well-formed split or sparse index
 * (an extension git requires).  Every other use of it is refused with
 * the setting to undo (dipb_git_index_check, dipb_git_attr_index).
 */
int	 dipb_git_index_libgit2_cannot(struct dipb_repo *);
/*
 * git_index_open of r->index_path, for an index git 2.40 and later wrote
 * with index.skipHash too (its checksum all zeros), which libgit2 1.7
 * and older refuse: what, then libgit2's error, when it cannot; dipb's
 * own when the copy they are given cannot be made.  libgit2 never
 * writes the index it opens (index_write.c does).
 */
const struct dipb_error *dipb_git_index_open_file(git_index **out,
	    struct dipb_repo *r, const char *what);
/* The copy of dipb_git_index_open_file closed, removed (dipb_repo_close). */
void	 dipb_git_index_copy_close(struct dipb_repo *);
/* Unmaps what index.c mapped of the index (dipb_repo_close). */
void	 dipb_git_index_forget(struct dipb_repo *);

/* What a working file holds compared with a change (see worktree.c). */
enum dipb_git_wt_state { WT_ABSENT, WT_OLD, WT_NEW, WT_OTHER };

struct dipb_git_wt {
	enum dipb_git_wt_state state;
	struct stat	 st;	/* taken before hashing or after writing */
};

/*
 * Removes each file's stage-0 index entry if it holds the blob old (files
 * a change deletes), through libgit2, in one write under index.lock,
 * taken before the index is read and held until the new one is in place.
 */
const struct dipb_error *dipb_git_index_remove(struct dipb_repo *,
	    const struct jfile *files, size_t n);
/*
 * Moves each path's index entry from the old blob to the new one, with
 * the working file's stat data when it holds the new blob, else none.
 */
const struct dipb_error *dipb_git_index_sync(struct dipb_repo *,
	    const struct jfile *files, size_t n, const struct dipb_git_wt *wt);
/*
 * Which of files a sync brings into the index only (out[i] 1), as git
 * does for the paths its sparse checkout leaves out: an entry with the
 * skip-worktree bit, or a new path info/sparse-checkout's patterns leave
 * out, whether or not an entry has that bit yet (dipb-git(7)).
 */
const struct dipb_error *dipb_git_index_sparse(int *, struct dipb_repo *,
	    const struct jfile *, size_t);
/* Those paths' index entries moved to the new blobs, skip-worktree. */
const struct dipb_error *dipb_git_index_sync_sparse(struct dipb_repo *,
	    const struct jfile *, size_t);
/*
 * Before a change that moves files writes anything: each move's from has
 * its index entry (stage 0 only, not skip-worktree) and working file (a
 * regular file, by stat data or content) holding the moved blob, and
 * each to is in neither nor left out by the sparse checkout; else
 * DIPB_ERR_DIRTY naming the path.  The
 * folders a move takes a file out of or puts one in are this user's to
 * write (dipb_git_folder_writable), else DIPB_ERR_IO.  What
 * dipb_git_index_check checks of the whole index (its version and
 * extensions, index.lock free) is checked too.  One pass over the index.
 */
const struct dipb_error *dipb_git_moves_check(struct dipb_repo *,
	    const struct jmove *moves, size_t n);
/*
 * index.lock taken now and held until the index is written: from before
 * a change moves its branch, as git commit holds it, so that no git
 * commit reads the index between the branch's move and the index's and
 * commits the old file back.  The next index write of dipb's takes it
 * over, libgit2's too (into a copy of the index, read and put in place
 * under it); dipb_git_index_unhold lets it go unwritten.
 */
const struct dipb_error *dipb_git_index_hold(struct dipb_repo *);
void	 dipb_git_index_unhold(struct dipb_repo *);
/*
 * One write of the index for a state change of several steps (a sync
 * that deletes, moves and changes files): from dipb_git_index_batch,
 * which holds index.lock (dipb_git_index_hold), each index write of
 * dipb's builds the new index in memory (r->ipend), which every later
 * raw read of the index reads (dipb_ix_rawindex_bytes); a read through
 * libgit2 (an index of version 4, or none on disk) still reads the file,
 * so a step asks it only of paths no earlier step changed (the sparse
 * checkout's, a working file's stat data, a temporary file's name);
 * dipb_git_index_batch_end, given the steps'
 * error (NULL: none), writes it into index.lock and renames it into
 * place, once, or drops it, the index left as it was, and returns that
 * error.  A reader (git status) sees the old index or
 * the new one, never a step between, and a kill leaves the old one for
 * the journal's recovery (dipb(1), FILES).  index.lock is held until
 * dipb_git_index_unhold either way.
 */
const struct dipb_error *dipb_git_index_batch(struct dipb_repo *);
const struct dipb_error *dipb_git_index_batch_end(struct dipb_repo *,
	    const struct dipb_error *);
/*
 * Moves the index entry of each move from from to to (st[i]: the
 * working file's stat data, st_mode 0 for none), in one rewrite of the
 * index; an entry of from that no longer holds the blob is left (the
 * user's), one of to already there replaced (a recovery).  The cache
 * tree is dropped for git to make again.
 */
const struct dipb_error *dipb_git_index_moves(struct dipb_repo *,
	    const struct jmove *moves, size_t n, const struct stat *st);
/*
 * Before libgit2 writes an index opened by its file (git_index_open: with
 * no repository, libgit2 smudges nothing itself): its racy entries
 * smudged as git smudges them when it writes an index, those whose
 * file's content differs (index_write.c); ist: the index file it was read
 * from; the n paths dipb just wrote are left as they are.
 */
const struct dipb_error *dipb_git_index_smudge(struct dipb_repo *,
	    git_index *, const struct stat *ist, const char *const *paths,
	    size_t n);
/*
 * Before libgit2 reads a path's attributes (filters, hashing a working
 * file): gives libgit2 the index's .gitattributes entries alone, where
 * dipb reads the index itself, so that it does not load the whole index
 * for them.  Once per repository; an error is the index's.
 */
const struct dipb_error *dipb_git_attr_index(struct dipb_repo *);
/*
 * The blob of path's stage-0 index entry (*found 0 when none), for git's
 * rule of line ends (worktree.c).
 */
const struct dipb_error *dipb_git_index_blob(git_oid *id, int *found,
	    struct dipb_repo *, const char *path);
/*
 * 1 in *clean when path's index entry holds blob id and its stat data
 * still describe st, the working file (not racy): git status takes the
 * file for the blob without reading it, and so does dipb, before a change
 * (dipb_repo_path_dirty) and when it brings the file in step (worktree.c).
 */
const struct dipb_error *dipb_git_index_stat_clean(int *clean,
	    struct dipb_repo *, const char *path, const struct stat *st,
	    const git_oid *id);
/*
 * The index half of dipb_repo_check_change: an index of a version (2 to
 * 4) and extensions that dipb_git_index_sync keeps as git would; no path
 * conflicted, skip-worktree, in a sparse folder, or (a new one) left out
 * by the sparse checkout's patterns; index.lock free to take.
 */
const struct dipb_error *dipb_git_index_check(struct dipb_repo *,
	    const char *const *paths, size_t n);

/* ---- packed.c ---------------------------------------------------- */

void	 dipb_git_packed_release(struct dipb_repo *);
/*
 * Whether a and b are the same file unchanged: device, inode, size, and
 * modification and change times to the nanosecond (git's
 * stat_validity_check), for what a command keeps while a file stays it.
 */
int	 dipb_git_same_stat(const struct stat *a, const struct stat *b);
/*
 * packed-refs as it is now in r->packed (mapped again when its stat data
 * changed: dipb_git_same_stat), empty when there is none.
 */
const struct dipb_error *dipb_git_packed_load(struct dipb_repo *r);
/* DIPB_ERR_CORRUPT naming packed-refs: a line of it is malformed. */
const struct dipb_error *dipb_git_packed_malformed(struct dipb_repo *r);
/*
 * fn for each packed ref whose name starts with prefix, as
 * dipb_packed_each (packed.h) gives it; fn's nonzero result stops it.
 */
const struct dipb_error *dipb_git_packed_each(struct dipb_repo *r,
	    const char *prefix, dipb_packed_fn fn, void *arg);
/* The id of name in packed-refs: *found 0 when it is not there. */
const struct dipb_error *dipb_git_packed_lookup(git_oid *out, int *found,
	    struct dipb_repo *r, const char *name);
/*
 * *conflict: a packed ref stands in name's way, one named as a folder of
 * name or one inside it.
 */
const struct dipb_error *dipb_git_packed_conflict(int *conflict,
	    struct dipb_repo *r, const char *name);
/* The 40 hex digits at hex (packed-refs' bytes), lower case, with a NUL. */
void	 dipb_git_hex_lower(char out[GIT_OID_HEXSZ + 1], const char *hex);

/* ---- refs.c ------------------------------------------------------ */

struct jref;

/* What a loose ref's file holds. */
enum dipb_git_loose { LOOSE_NONE, LOOSE_PLAIN, LOOSE_OTHER, LOOSE_FOLDER };

/*
 * The loose ref name: LOOSE_PLAIN with its id, LOOSE_OTHER when its file
 * is no plain ref (symbolic or malformed), LOOSE_FOLDER when a folder is
 * there or a file stands where a folder of its path must be.
 */
const struct dipb_error *dipb_git_loose_read(git_oid *out,
	    enum dipb_git_loose *what, struct dipb_repo *r, const char *name);
/*
 * Sets ref name to id if it holds expect (zero: if it does not exist),
 * logging msg (NULL: no reflog entry).  *moved 0: not moved, nothing
 * written (the ref held something else).  Errors, nothing written:
 * another writer's lock (DIPB_ERR_BUSY, dipb_git_lock_busy), a ref that
 * clashes with name (DIPB_ERR_GIT: one named as a folder of name, or
 * inside it).
 */
const struct dipb_error *dipb_git_update_ref(int *moved, struct dipb_repo *,
	    const char *name, const git_oid *id, const git_oid *expect,
	    const struct dipb_identity *who, const char *msg);
/*
 * Deletes ref name; another writer's lock on it, or on packed-refs when
 * it is packed, waited for, then DIPB_ERR_BUSY naming it
 * (dipb_git_lock_busy), as is one taken after the wait, which libgit2
 * fails on.  libgit2's refs are read afresh after a failure.
 */
const struct dipb_error *dipb_git_delete_ref(struct dipb_repo *,
	    const char *name);
/*
 * The refs of a sync (publish.c) set together, each j[i] with a non-zero
 * new id from old to new; the others are left to the caller.  Every
 * "<ref>.lock" is made and written without an fsync each, the file
 * system flushed once (r->fsync: dipb_git_flush), every lock renamed over
 * its ref, and the file system flushed once more: a ref file is never
 * named before its content is on disk, and hundreds of refs cost two
 * flushes, not two fsyncs each (git's core.fsyncMethod=batch).  A ref
 * that holds new already is left; one that holds neither old nor new
 * stops the batch before anything is renamed: DIPB_ERR_BUSY naming it
 * ("moved during the sync"); locks held by another and clashes as
 * dipb_git_update_ref.  fault: a fault point (dipb_git_fault) after the
 * first rename, NULL: none.
 */
const struct dipb_error *dipb_git_update_refs(struct dipb_repo *,
	    const struct jref *j, size_t n, const char *fault);
/*
 * The id of ref name (a symbolic one followed): *found 0 when it does not
 * exist.  Its loose file, then packed-refs, searched and not read whole
 * (the one mapping of packed-refs a command keeps while the file stays
 * the same; unmapped by dipb_git_packed_release, at close).
 */
const struct dipb_error *dipb_git_ref_read(git_oid *out, int *found,
	    struct dipb_repo *, const char *name);

/* ---- reflog.c ---------------------------------------------------- */

/*
 * Reads ref name's log (git_reflog_read) into *out, NULL when it is not
 * there or cannot be read.  A FIFO, which libgit2 would wait on for ever
 * (git status does; dipb-git(7)), is refused as a log dipb writes is,
 * "<path>: not a regular file" (DIPB_ERR_IO), *out NULL.  The check is a
 * stat(2) before libgit2 opens the log: a FIFO put there between the two
 * is still waited on, as git waits on it.
 */
const struct dipb_error *dipb_git_reflog_read(git_reflog **out,
	    struct dipb_repo *, const char *name);
/*
 * A reflog opened to append to: fd -1 when none is kept; reg 0 for a
 * character device (/dev/null), which fsync(2) refuses (EINVAL); size,
 * a regular file's when opened, what a failed change leaves it.
 */
struct dipb_git_reflog {
	int fd;
	int reg;
	off_t size;
	char *path;
};

#define DIPB_GIT_REFLOG_INIT { -1, 0, 0, NULL }

/*
 * Opens name's reflog to append to, made if core.logAllRefUpdates says
 * so or it exists, nothing written yet (log->fd -1: none is kept).
 */
const struct dipb_error *dipb_git_reflog_open(struct dipb_git_reflog *log,
	    struct dipb_repo *r, const char *name);
/* Appends "<old> <new> <who> <time> <tz>\t<msg>" to an opened reflog. */
const struct dipb_error *dipb_git_reflog_append(struct dipb_repo *r,
	    const struct dipb_git_reflog *log, const git_oid *old,
	    const git_oid *new, const struct dipb_identity *who,
	    const char *msg);
/*
 * Closes an opened reflog; err, or close(2)'s failure if none.  With err
 * (the ref not moved), a log file is cut back to its size when opened;
 * a cut that fails is added to err's message.
 */
const struct dipb_error *dipb_git_reflog_close(struct dipb_git_reflog *log,
	    const struct dipb_error *err);

/* ---- reflist.c --------------------------------------------------- */

/*
 * The refs inside folder (a '/' at its end) added to out, names less
 * their first strip bytes, each once (a loose ref overriding a packed
 * one), with their targets when ids; deep: the folders inside too;
 * *nloose (may be NULL) how many are loose; *plain (may be NULL): a ref
 * named as the folder, "loose" or "packed", NULL when none.
 */
const struct dipb_error *dipb_git_folder_refs(struct dipb_tagrefs *out,
	    size_t *nloose, const char **plain, struct dipb_repo *r,
	    const char *folder, size_t strip, int ids, int deep);
/*
 * The refs in folder ("refs/dipb/remote/origin/tags/", a '/' at its end)
 * and the folders inside it, as dipb_git_tags lists refs/tags/: names
 * less the folder, each once (a loose ref overriding a packed one), not
 * sorted; *nloose how many of them are loose files.
 */
const struct dipb_error *dipb_git_refs_in(struct dipb_tagrefs *out,
	    size_t *nloose, struct dipb_repo *, const char *folder);
/* Sorts n refs at v by name, in byte order. */
void	 dipb_git_tagrefs_sort(struct dipb_tagref *v, size_t n);

/* ---- gc.c -------------------------------------------------------- */

/*
 * git fetch writes each new ref as a loose file, and git packs them only
 * when git gc runs: after the first sync of a clone of a board of 30,000
 * records, 159,000 loose refs of the remote's tags, which every later git
 * fetch and every walk of the refs reads one by one (17 s for a fetch
 * with nothing to get).  With nloose of them (DIPB_GIT_LOOSE_REFS or
 * more), `git pack-refs --all --prune` packs them, as git gc would,
 * unless git's automatic gc is off (maintenance.auto false,
 * maintenance.gc.enabled false or gc.auto 0) or a git maintenance run is
 * in progress (objects/maintenance.lock); a failure is a warning (gc.c).
 */
#define DIPB_GIT_LOOSE_REFS	1000
void	 dipb_git_pack_refs_auto(struct dipb_repo *, size_t nloose);

/* ---- ids.c ------------------------------------------------------- */

/*
 * The N of record's next tag "<record>/<N>-<event>", after the highest of
 * its tags of that form (dipb_tag_suffix).  The first step of
 * dipb_repo_commit, before any object: it refuses what would stop the
 * change (dipb_git_check_locks; a tag "<record>" in the way of the folder
 * of its tags; a record in a shallow clone that lacks all its tags; a
 * dipb change of record after its highest tag here, or with none here,
 * whose own tag is missing, its way out a tag signed when sign (the
 * board requires it), made by its author, named as board's member (may
 * be NULL); a number past DIPB_TAG_MAX_N).
 */
const struct dipb_error *dipb_git_next_tag_number(unsigned long *out,
	    struct dipb_repo *, const struct dipb_board *board,
	    const char *record, int sign);

/* ---- tagguard.c -------------------------------------------------- */

/*
 * The guards dipb_git_next_tag_number asks before it numbers a change of
 * record, l its tags here (names less "<record>/"), max the highest N:
 * a shallow clone holding none of them (its number cannot be known);
 * its dipb changes whose tags are missing here, refused with the way out
 * (a tag signed when sign, named as board's member); two of its tags on
 * one change, one moved there by hand, refused naming both.
 */
const struct dipb_error *dipb_git_shallow_untagged(struct dipb_repo *,
	    const char *record);
const struct dipb_error *dipb_git_untagged_since(struct dipb_repo *,
	    const struct dipb_board *board, const char *record,
	    const struct dipb_tagrefs *l, unsigned long max, int sign);
const struct dipb_error *dipb_git_tags_moved(struct dipb_repo *,
	    const char *record, const struct dipb_tagrefs *l,
	    unsigned long max);

/* ---- lock.c ------------------------------------------------------ */

/*
 * 1 when fd is still the file named path (lstat(2): a link is the link):
 * the same device and inode, which fd, open, keeps from being another's.
 */
int	 dipb_git_fd_named(int fd, const char *path);

/* What one try of dipb_git_retry's did. */
#define DIPB_GIT_DONE	0
#define DIPB_GIT_BUSY	1	/* held by another: try again */
#define DIPB_GIT_FAILED	(-1)	/* errno (or libgit2's error) says why */

/*
 * Calls try(arg) until it returns other than DIPB_GIT_BUSY, at most
 * retries + 1 times, sleeping with exponential backoff and jitter (2 ms
 * doubling to 100 ms) between; returns try's last result.
 */
int	 dipb_git_retry(int retries, int (*try)(void *), void *arg);

/*
 * Creates path.lock exclusively, as git does, retrying while another
 * program holds it.  Until it is written it bears dipb's mark, the
 * sticky bit, which git never gives a file: recovery removes a lock
 * left by a killed dipb by that mark alone (dipb_git_lock_ours), never
 * another program's, however new.  It has the mode git would give it
 * (core.sharedRepository's) from its creation, before anything is
 * written to it, and keeps it when renamed into place, the mark gone
 * (dipb_git_lock_commit).  Held by another after
 * the retries: a DIPB_ERR_BUSY error naming the lock file and its age
 * (dipb_git_lock_busy).  Call dipb_git_lock_rollback() afterwards in
 * every case.
 */
const struct dipb_error *dipb_git_lock_hold(struct dipb_git_lockfile *,
	    const struct dipb_repo *, const char *path, int retries);
/*
 * DIPB_ERR_BUSY: "'<lock>' exists, made <age> ago: another git or dipb may
 * be running; if none is, remove it" (the path relative to the working
 * tree when it is in it).
 */
const struct dipb_error *dipb_git_lock_busy(const struct dipb_repo *,
	    const char *lock);
/* Writes data to the held lock file (fsynced if do_fsync) and closes it:
 * no descriptor stays open per lock. */
const struct dipb_error *dipb_git_lock_write(struct dipb_git_lockfile *,
	    const char *data, size_t len, int do_fsync);
/* Opens the written lock file again (O_NOFOLLOW, the very file created:
 * else an error, never a mode left), renames it over its path, then gives
 * it its mode (the mark goes) through that descriptor, never by path. */
const struct dipb_error *dipb_git_lock_commit(struct dipb_git_lockfile *);
/* Removes the lock file unless committed, and frees lf's strings. */
void	 dipb_git_lock_rollback(struct dipb_git_lockfile *);
/* 1 when lock is a lock file a dipb made and had not yet renamed. */
int	 dipb_git_lock_ours(const char *lock);
/* path, renamed into place by a dipb killed before it lost the mark,
 * given its mode (recovery). */
void	 dipb_git_lock_unmark(const struct dipb_repo *, const char *path);
/*
 * Before a change writes anything (ids.c, dipb_git_next_tag_number): the
 * lock files that stop git's commit and that the change needs, the
 * index's, HEAD's and the branch's (packed-refs.lock stops neither), are
 * waited for as for the lock, then refused with dipb_git_lock_busy.  Not
 * at dipb_repo_begin: verify takes the lock to read (dipb_repo_begin_read),
 * and a stale index.lock does not stop reading.
 */
const struct dipb_error *dipb_git_check_locks(struct dipb_repo *);
/*
 * The same for the lock file of path, "<path>.lock", waited for and never
 * taken; and for the lock file of ref ("refs/tags/IC-0001/2-endorsed").
 */
const struct dipb_error *dipb_git_check_lock(struct dipb_repo *,
	    const char *path);
const struct dipb_error *dipb_git_check_ref_lock(struct dipb_repo *,
	    const char *ref);
/*
 * Takes the repository lock (flock on .git/dipb.lock) into r->lock_fd,
 * with retries; reads core.sharedRepository first (dipb_git_perm_load).
 * *held 0 and no error: another process holds it.
 */
const struct dipb_error *dipb_git_lock_repo(struct dipb_repo *, int *held,
	    int retries);

/* ---- perm.c ------------------------------------------------------ */

/*
 * Reads core.sharedRepository into r->shared (once): an error names a
 * value git would not take.  The functions below read it when needed.
 */
const struct dipb_error *dipb_git_perm_load(struct dipb_repo *);
/* 1 when core.sharedRepository shares the git dir with others. */
int	 dipb_git_perm_shared(const struct dipb_repo *);
/*
 * The setting as git init writes it into a new repository's config: 1
 * (group), 2 (all), the octal mode ("0660"), 0 (umask).  Caller frees.
 */
char	*dipb_git_perm_value(const struct dipb_repo *);
/* The mode git's adjust_shared_perm gives a file or folder of mode. */
mode_t	 dipb_git_perm_mode(const struct dipb_repo *, mode_t mode);
/*
 * Gives path (through fd when fd >= 0) the mode the setting asks, as git
 * does to each file and folder it creates in the git dir.  By path, the
 * file is opened without following a symbolic link and changed through
 * that descriptor, only a regular file or a folder (a link swapped in
 * after a rename is left alone).
 */
const struct dipb_error *dipb_git_perm_fix(const struct dipb_repo *,
	    const char *path, int fd);
/*
 * The folder open as fd (named dir, for messages) given the mode the
 * setting asks as dipb_git_make_dirs gives it: exactly when made (just
 * now, by dipb), else the bits it lacks, when it is the user's own.
 */
const struct dipb_error *dipb_git_perm_fix_dir(const struct dipb_repo *,
	    const char *dir, int fd, int made);
/* The same as a dipb_tmp_fix (util.h), r a struct dipb_repo: a file
 * given its mode through its descriptor before its rename, while it is
 * still dipb's alone (a hard link swapped in after is never changed). */
const struct dipb_error *dipb_git_perm_fix_tmp(const void *r,
	    const char *tmp, int fd);
/*
 * Around a libgit2 call that writes a lock file or packed-refs: the
 * umask that gives what it makes core.sharedRepository's mode as git
 * gives it, set; the umask before returned, for umask(2) at once after.
 */
mode_t	 dipb_git_perm_umask(const struct dipb_repo *);
/* Makes path (O_EXCL, never through a link; flags as open(2)'s) with
 * core.sharedRepository's mode from its creation: *fd, or -1 and errno;
 * the mode not given, the file removed and that error returned. */
const struct dipb_error *dipb_git_perm_create(int *fd,
	    const struct dipb_repo *, const char *path, int flags);
/* path (packed-refs libgit2 wrote under dipb_git_perm_umask) narrowed,
 * never widened, to the mode git gives it, if it is dipb's user's. */
const struct dipb_error *dipb_git_perm_narrow(const struct dipb_repo *,
	    const char *path);
/* The refusal (errno e) of path, kind ("a log"), that needs need (0444,
 * 0222) of it: what is seen, another group's and/or lacking what is
 * needed, else errno's. */
const struct dipb_error *dipb_git_perm_refused(const struct dipb_repo *,
	    const char *path, const char *kind, int e, mode_t need);
/*
 * A descriptor of path itself, for its mode: never a symbolic link's
 * target (ELOOP) nor a FIFO waited on; read-only, or write-only, never
 * truncated, where a umask without the owner's read made a file of
 * dipb's unreadable to it.  -1 and errno (the read-only open's when both
 * fail) when it cannot be opened.
 */
int	 dipb_git_open_own(const char *path);
/*
 * mkdir -p of the folders of path (each part that a '/' ends) after its
 * first from bytes.  blocked (may be NULL) is set, and no error returned,
 * when a file stands where a folder must be (ENOTDIR).  With shared (the
 * git dir's folders), each folder made gets the mode of
 * dipb_git_perm_fix, and the first (a folder of the git dir itself:
 * path's first from bytes are a git dir) found there, when it is the
 * user's own and lacks some of that mode, is widened to it (the setgid
 * bit only when the user is in its group), both through a descriptor of
 * the folder itself, never a file linked in for it; a deeper one found,
 * which a link may lead elsewhere, is left; NULL (the working tree's, to
 * which git does not apply the setting): the umask's.  With durable,
 * each folder made is fsync'd into its parent (a working file's, with
 * fsync on).
 */
const struct dipb_error *dipb_git_make_dirs(int *blocked,
	    const struct dipb_repo *shared, const char *path, size_t from,
	    int durable);
/*
 * The folder of a loose object at path, path + from the objects folder:
 * one made has the mode of dipb_git_make_dirs's, one found is left as it
 * is, as git leaves it (objects/ may be a link to another's copy).
 */
const struct dipb_error *dipb_git_make_object_dir(
	    const struct dipb_repo *shared, const char *path, size_t from);
/*
 * Puts before libgit2's loose-object writer one that gives the objects
 * and their folders the setting's modes (nothing to do under "umask").
 */
const struct dipb_error *dipb_git_perm_odb(struct dipb_repo *);

/* ---- journal.c --------------------------------------------------- */

/* One ref of a sync's journal: old and new zero for absent (publish.c). */
struct jref {
	char	*name;
	git_oid	 old;
	git_oid	 new;
};

/*
 * Version 1: one change (branch, its tag, its files).  Version 2: a sync
 * (dipb_repo_publish): the branch, any number of refs, the files; a file
 * whose new id is zero is deleted.
 */
struct journal {
	int		 version;
	char		*branch_ref;
	git_oid		 old;	/* zero: the branch was unborn */
	git_oid		 new;
	char		*tag_ref;
	git_oid		 tag;
	struct jfile	*files;
	size_t		 nfiles;
	size_t		 cap;
	struct jmove	*moves;		/* version 1: dipb migrate's */
	size_t		 nmoves;
	size_t		 movecap;
	struct jref	*refs;
	size_t		 nrefs;
	size_t		 refcap;
};

void	 dipb_git_journal_release(struct journal *);
const struct dipb_error *dipb_git_journal_write(struct dipb_repo *,
	    const struct journal *);
void	 dipb_git_journal_remove(struct dipb_repo *, int made);
/*
 * Completes or discards a journal's change; the lock must be held.  On
 * an error, *files 1 when the refs are settled and only the working
 * files and the index of the change are left (the journal stays).
 */
const struct dipb_error *dipb_git_recover(int *files, struct dipb_repo *);
/* The same at open, when the lock can be had at once (a dead writer). */
void	 dipb_git_recover_left(struct dipb_repo *);
/*
 * *out the value of ref name; zero when it does not exist (or cannot be
 * a ref's name).  Errors are reading errors only.
 */
const struct dipb_error *dipb_git_ref_id(git_oid *out, struct dipb_repo *,
	    const char *name);

/* ---- publish.c --------------------------------------------------- */

/*
 * Brings each path's working file and index entry from the old blob to
 * the new one (worktree.c and index_write.c do it for a change); a path whose
 * new id is zero is deleted from both, when they hold the old blob.
 * The tip must be the new one.
 */
const struct dipb_error *dipb_git_files_sync(struct dipb_repo *,
	    const struct jfile *files, size_t n);
/*
 * Sets ref j->name to j->new (forward) or back to j->old (else), zero
 * deleting it, when it holds the other side; a ref that holds neither is
 * left as it is (*kept set).
 */
const struct dipb_error *dipb_git_jref_apply(int *kept, struct dipb_repo *,
	    const struct jref *j, int forward);

/* ---- worktree.c -------------------------------------------------- */

/*
 * The blob id of the working file path, with the repository's filters
 * (the clean direction, as git status compares, with git's rule for a
 * file committed with CRLF: worktree.c); never through a link.
 */
const struct dipb_error *dipb_git_hash_file(git_oid *out, struct dipb_repo *,
	    const char *path);

/*
 * The folder path's file is written in (or the nearest that exists, where
 * the others will be made) takes a new file from this user, or, out 1,
 * gives up one (a move's from): else the change would be made and its
 * working file not (a folder another member of a shared working tree made
 * without group write, a read-only one).  DIPB_ERR_IO naming the folder.
 */
const struct dipb_error *dipb_git_folder_writable(const struct dipb_repo *,
	    const char *path, int out);
/* Writes path, dipb's own in the git folder, through "<path>.dipb-tmp"
 * and rename, given core.sharedRepository's mode through its descriptor
 * before the rename (never by path, which a link may have taken by then). */
const struct dipb_error *dipb_git_write_atomic(const struct dipb_repo *,
	    const char *path, const char *data, size_t len, int do_fsync);
/*
 * A path dipb may write or take from another clone, as git 2.39's
 * verify_path() judges one on Linux: relative, '/'-separated, no "."
 * ".." ".git" component (nor ".git" as Windows reads it, after a '/' or
 * a backslash, as core.protectNTFS refuses); any other byte, a backslash
 * or a newline included, is taken.
 */
int	 dipb_git_path_ok(const char *path);
/*
 * Refuses (DIPB_ERR_DIRTY, naming the link) a path that is, or lies
 * beyond, a symbolic link in the working tree: dipb never reads or
 * writes through one; and one beyond a file where a folder of it goes,
 * which git's checkout would not overwrite either; and one whose name
 * the system cannot make (DIPB_ERR_IO: past PATH_MAX from the root, or
 * its temporary's last part past NAME_MAX).
 */
const struct dipb_error *dipb_git_worktree_path_check(struct dipb_repo *,
	    const char *path);
/*
 * The check of a change's working files before its first object: no
 * symbolic link (as above), and no attribute libgit2's filters cannot
 * honour (a filter driver's command, working-tree-encoding).
 */
const struct dipb_error *dipb_git_worktree_check(struct dipb_repo *,
	    const struct dipb_file *files, size_t n);
/* Its attribute part alone, for one path (a moved file's new one). */
const struct dipb_error *dipb_git_attr_check(struct dipb_repo *,
	    const char *path);
/*
 * Brings each path's working file from the old blob to the new one, as
 * git's checkout writes it (filters, mode), and says in wt[i] what it
 * holds.
 */
const struct dipb_error *dipb_git_worktree_sync(struct dipb_repo *,
	    const struct jfile *files, size_t n, struct dipb_git_wt *wt);

/*
 * Renames the working file of each move from from to to (the same bytes:
 * the blob is the same), making to's folders and removing those it
 * leaves empty below DIPB_RECORD_DIR; a file already at to is left (a
 * recovery), one missing at both is checked out.  st[i] is to's stat
 * data (st_mode 0: none).  The fault point "move" follows the first.
 */
const struct dipb_error *dipb_git_worktree_moves(struct dipb_repo *,
	    const struct jmove *moves, size_t n, struct stat *st);
/*
 * Removes the folders of path (below the working tree) that are left
 * empty, deepest first, as git removes the folders a checkout empties;
 * DIPB_RECORD_DIR stays.
 */
void	 dipb_git_remove_empty_dirs(struct dipb_repo *, const char *path);
/* Both: dipb_git_worktree_moves, then dipb_git_index_moves. */
const struct dipb_error *dipb_git_moves_sync(struct dipb_repo *,
	    const struct jmove *moves, size_t n);

/* ---- sign.c ------------------------------------------------------ */

/*
 * How a change is signed, from the configuration (dipb-git(7),
 * "Signing").  on 0: it is not signed, and the rest is unset.
 */
struct dipb_git_signer {
	int		 on;
	char		*why;		/* what asks for it, for messages */
	char		*program;	/* gpg.ssh.program, or ssh-keygen */
	int		 program_set;	/* program is gpg.ssh.program's */
	char		*key;		/* a key file, or a public-key line */
	int		 literal;	/* key is a line: ssh-agent signs */
	const char	*from;		/* "user.signingKey", or the command */
	int		 here;		/* may sign in-process (sign.c) */
};

/*
 * Reads the configuration of r into s (released by
 * dipb_git_signer_release; nothing to release after an error): on when
 * sign is set (the change must be signed) or commit.gpgSign or
 * tag.gpgSign is true; then gpg.format must be ssh, and the key is found
 * (user.signingKey, else gpg.ssh.defaultKeyCommand, which is run) and a
 * key file is checked to be readable.  A refusal is DIPB_ERR_IDENTITY,
 * naming the setting and what to do; nothing is signed or written.
 */
const struct dipb_error *dipb_git_signer_load(struct dipb_git_signer *s,
	    struct dipb_repo *r, int sign);
void	 dipb_git_signer_release(struct dipb_git_signer *s);
/*
 * *out (cleared first) is the armored SSH signature, namespace "git", of
 * the len bytes of data, made by s's program with s's key, as git's
 * gpg-interface makes it; it ends in a newline.  The program may ask for
 * a passphrase on the terminal.  What it wrote is checked as dipb verify
 * checks it (sshsig.h): an SSH signature by a key dipb verify can check,
 * that verifies over data in namespace "git"; whose key it is, is the
 * caller's question.  A failure is DIPB_ERR_IDENTITY naming the program
 * and saying what the program said, or what is wrong with what it wrote.
 */
const struct dipb_error *dipb_git_sign(struct dipb_buf *out,
	    const struct dipb_git_signer *s, const char *data, size_t len);
/*
 * The words of cmd, pushed onto out, as git's split_cmdline() splits
 * gpg.ssh.defaultKeyCommand: at runs of blanks (space, tab, newline,
 * carriage return) outside quotes; '...' keeps everything as it is,
 * "..." and the unquoted text take a backslash as escaping the next
 * character.  As in git, a first word starts at cmd's first character
 * and a new one after every run of blanks, so leading or trailing
 * blanks give an empty word.  NULL, or git's words for why cmd cannot
 * be split ("unclosed quote", "cmdline ends with \"), with out as it
 * was; the strings pushed are out's.
 */
const char *dipb_git_split_cmdline(struct dipb_strlist *out, const char *cmd);

/* ---- commit.c ---------------------------------------------------- */

/*
 * A change is refused (DIPB_ERR_USAGE, naming the setting, its value and
 * file) when i18n.commitEncoding is set to anything but UTF-8 (git's
 * spellings: utf-8, utf8, any case): dipb writes UTF-8 only, with no
 * encoding header, and reads its history as UTF-8 (dipb-git(7),
 * "i18n.commitEncoding").  Checked by dipb_git_check_state, which
 * every writing command runs as it opens the repository (dipb init
 * before it takes the lock); not by dipb_repo_begin, nor by
 * dipb_repo_begin_read, which verify takes to read.
 */
const struct dipb_error *dipb_git_check_encoding(struct dipb_repo *);

/*
 * DIPB_ERR_DIRTY naming the operation git left half-done here (a merge,
 * rebase, cherry-pick, revert, bisect or 'git am') and how to end it, or
 * the shallowness of a shallow clone and 'git fetch --unshallow --tags', or
 * dipb_git_check_encoding's or dipb_git_loose_level's refusal; NULL when
 * a change may be made.
 */
const struct dipb_error *dipb_git_check_state(struct dipb_repo *);
/*
 * The branch a rebase or a bisect in progress works on, with HEAD
 * detached: *out "refs/heads/<b>" (caller frees), or NULL; *what names
 * the operation ("a rebase") (commit.c).  DIPB_ERR_GIT when libgit2
 * cannot read the repository's state.
 */
const struct dipb_error *dipb_git_operation_branch(char **out,
	    const char **what, struct dipb_repo *);
/*
 * Flushes the file systems that hold the repository's objects, its refs
 * and its git dir to disk at once (syncfs(2) of each, once where they
 * share one; sync(2) elsewhere): one flush for many files written without
 * an fsync each, as git's core.fsyncMethod=batch.
 */
const struct dipb_error *dipb_git_flush(struct dipb_repo *);
/*
 * The folder the objects are written into and read from first, ending
 * in '/': r->objdir, or GIT_OBJECT_DIRECTORY's made absolute as git
 * reads it, r->env_objdir (libgit2 writes there; alternates are only
 * read).  Freed by the caller.
 */
char	*dipb_git_objects_dir(const struct dipb_repo *);
/*
 * Before a change's first object is written: whether the file system
 * syncs the objects folder, asked once (an fsync(2) of it).  Where it
 * refuses (DIPB_DIRSYNC_UNSUPPORTED: dipb(1), DIPB_FSYNC), libgit2, which
 * would fail, writes the objects without an fsync, and
 * dipb_git_objects_end flushes them instead.  Any other error (EIO, which
 * Linux reports once) fails the change before anything is written.
 */
const struct dipb_error *dipb_git_objects_begin(struct dipb_repo *);
/*
 * After a change's objects are written, before any ref names them: the
 * objects folder fsync'd, the loose objects' new folders durable in it
 * (libgit2 syncs each object and its folder, not objects/); where folders
 * are not synced, the file system flushed (dipb_git_flush).
 */
const struct dipb_error *dipb_git_objects_end(struct dipb_repo *);

#endif /* DIPB_GIT_INTERNAL_H */

/*
 * repo.h - the board's git repository: the one door from dipb to git.
 *
 * Everything behind it lives in src/git/ (its files are listed in
 * src/git/internal.h); nothing outside that folder sees a git_* type or
 * includes <git2.h>.  libgit2 is initialised by the first
 * dipb_repo_open()/dipb_repo_init() and shut down by the last
 * dipb_repo_close(), so commands that need no repository never pay for it.
 *
 * Reads are made at the branch tip seen when the repository was opened,
 * when dipb_repo_reread() read it again, or when dipb_repo_begin() took
 * the lock.  A state change is:
 *
 *	dipb_repo_begin(repo);		lock, finish or discard an
 *					interrupted change, re-read the tip
 *	... dipb_repo_read() the record and dipb.yaml at that tip ...
 *	dipb_repo_commit(&tag, repo, &change);
 *	dipb_repo_end(repo);		unlock (always, even after an error)
 *
 * dipb_repo_commit() first checks everything the change needs
 * (dipb_repo_check_change), then writes one blob per file, a tree made
 * from the tip's tree with the changed entries spliced into its bytes
 * (never from the index), a commit whose parent is the tip, an annotated tag, then moves
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
struct dipb_board;
struct dipb_hashmap;

/* The acting person, looked up as git does (see dipb_repo_identity). */
struct dipb_identity {
	char	*name;		/* NULL when no source gave a name */
	char	*email;
	int64_t	 time;		/* seconds since the epoch */
	int	 offset;	/* minutes east of UTC */
	/* +hhmm as a commit wrote it (9999, -130), written back so; 0: as
	 * offset is written */
	int	 zone;
};

/*
 * Opens the repository as git finds it (dipb-git(7), "The repository,
 * the working tree and the configuration").  path NULL: from the
 * environment and the current directory, as git does: GIT_DIR (not
 * searched for), GIT_WORK_TREE, core.worktree, GIT_INDEX_FILE,
 * GIT_OBJECT_DIRECTORY, GIT_ALTERNATE_OBJECT_DIRECTORIES,
 * GIT_CEILING_DIRECTORIES, GIT_DISCOVERY_ACROSS_FILESYSTEM; GIT_COMMON_DIR
 * is refused.  A path: searched upwards from path, those variables
 * unread.  Either way the configuration is the one git reads, every
 * level and GIT_CONFIG_* included, and libgit2 is given it; a repository
 * git would refuse as another user's (safe.directory) or whose format
 * or extensions dipb cannot handle is refused, naming the setting,
 * before anything is read or written.  A bare repository, or one with
 * no dipb.yaml at the top of its working tree when need_board is set,
 * is DIPB_ERR_NO_REPO.  On success *out is freed with dipb_repo_close().
 */
const struct dipb_error *dipb_repo_open(struct dipb_repo **out,
	    const char *path, int need_board);
/*
 * As dipb_repo_open(path, 0), but no error and *out NULL where git finds
 * no repository from path at all, or a bare one (no working tree); one
 * found there and refused (another user's, a format dipb cannot handle)
 * is an error still.  path NULL: the repository git finds from the
 * environment (GIT_DIR, GIT_INDEX_FILE, ...), as dipb_repo_open(NULL).
 * Opened for the working tree's files, not a tip: no warning says which
 * branch is read while a rebase or a bisect has HEAD detached.
 */
const struct dipb_error *dipb_repo_open_at(struct dipb_repo **out,
	    const char *path);
/*
 * Makes dir a git repository if it is not one (creating dir if missing)
 * and opens it.  Refuses with DIPB_ERR_EXISTS if the tip already has
 * dipb.yaml.  With GIT_DIR or GIT_WORK_TREE set, opens the repository
 * they name as dipb_repo_open(NULL) does, which must exist, and dir must
 * be "." (DIPB_ERR_USAGE otherwise).  On error, *again is 1 when the
 * .git it found, not made, was gone by then (dipb_repo_init_gone):
 * nothing was written, and the caller may call it again.
 */
const struct dipb_error *dipb_repo_init(struct dipb_repo **out,
	    int *again, const char *dir, int retries);
/*
 * 1 when the dir/.git dipb_repo_init found (not one it made) is gone
 * now: taken back by the dipb init that made it, which another may then
 * make again (dipb-init(1)).  0 for NULL.
 */
int	 dipb_repo_init_gone(const struct dipb_repo *);
/*
 * DIPB_ERR_EXISTS, as dipb_repo_init refuses, when the tip has
 * dipb.yaml: under the lock, a board another dipb init made since.
 */
const struct dipb_error *dipb_repo_check_no_board(struct dipb_repo *);
/*
 * Takes back what dipb_repo_init made, for an init refused before its
 * first change: the .git it made, when it made one, then each folder it
 * made (DIR, its missing parents), deepest first, while it is empty;
 * never a folder it found.  Nothing when it made none.  Done under the
 * lock (taken when not held, and let go again), and only while the
 * branch is unborn: a .git another dipb init committed to is left.
 */
void	 dipb_repo_unmake(struct dipb_repo *);
void	 dipb_repo_close(struct dipb_repo *);
/*
 * Makes the calling thread ready to use an open repository that another
 * thread opened (validate's workers, src/pool.h): libgit2's state for
 * that thread made now, while memory allows; out of memory here ends
 * dipb as xmalloc does.  The thread that opens a repository is made
 * ready by the open.  Call it only while a repository is open.
 */
void	 dipb_repo_thread_ready(void);
/*
 * What git's own commands do after a commit ('git maintenance run
 * --auto', git-maintenance(1)): with the gc task alone on (the default),
 * when more loose objects (gc.auto, 6,700) or packs (gc.autoPackLimit,
 * 50) have piled up than git allows, runs 'git gc --auto --quiet', which
 * packs them, in the background unless gc.autoDetach is false; with
 * another task on (maintenance.<task>.enabled), runs 'git maintenance
 * run --auto --quiet', whose own conditions decide.  Nothing when
 * maintenance.auto is false or a git maintenance run holds
 * objects/maintenance.lock, and no gc when maintenance.gc.enabled is
 * false or gc.auto 0, as for git.  Under the repository lock, and not
 * at all while another process holds it.  A
 * failure of git's becomes a warning (dipb_repo_warnings), never the
 * command's error.
 * main.c calls it once a writing command has succeeded (dipb-git(7)).
 */
void	 dipb_repo_auto_gc(struct dipb_repo *);

/*
 * What the repository did that the user should hear of, though no error:
 * an interrupted change completed or abandoned, a stale lock file
 * removed, a change made whose working tree waits for the next command.
 * Each a message to print as "dipb: warning: <message>", oldest first;
 * borrowed, and gathered until dipb_repo_close().  The caller prints
 * them: the repository never writes to stderr.
 */
const struct dipb_strlist *dipb_repo_warnings(const struct dipb_repo *);

/*
 * 1 while this working tree's journal (.git/dipb-journal) is left: an
 * interrupted change that opening could not complete or discard (the
 * lock held, a git dir it cannot write, another program's index.lock, a
 * shallow history; dipb(1)), whose working files may be half written.
 */
int	 dipb_repo_pending(const struct dipb_repo *);

/*
 * What path, a folder's .git, is as git takes it (git's setup.c,
 * is_git_directory and read_gitfile_gently): a repository (a folder with
 * a HEAD git takes, objects/ and refs/, or a "gitdir: PATH" file naming
 * one), a .git file that names none (git's search upwards stops there, in
 * error), one that cannot be opened or read (the search stops there too;
 * git status takes it for a repository's), or none (no .git, or a folder
 * that is no repository: git's search goes on up, and git status reads
 * the folder's files).  Nothing is opened with libgit2, and nothing but a
 * regular file is read (a HEAD that is a FIFO is no repository's, where
 * git would wait on it): one stat(2) when there is no .git.
 */
enum dipb_dotgit { DIPB_DOTGIT_NONE, DIPB_DOTGIT_REPO, DIPB_DOTGIT_BADFILE,
	DIPB_DOTGIT_UNREADABLE };
enum dipb_dotgit dipb_repo_dotgit(const char *path);

/* Absolute path of the working tree, ending in '/'; borrowed. */
const char *dipb_repo_workdir(const struct dipb_repo *);

/*
 * path (relative to the top of the working tree, or absolute) as a
 * command a message advises names it: from the current directory, where
 * the user runs that command, as git's own messages give paths
 * ("../dipb.yaml" from recommendations/); absolute from outside the
 * working tree.  dipb_repo_path_arg gives it shell-quoted
 * (dipb_sh_quote), for a command, or, when a message cannot show that
 * name (a byte that is no UTF-8, a control character, above the top), as
 * "$(git rev-parse --show-toplevel)"/PATH; dipb_repo_path_here as it is,
 * for a file a message names.  Caller frees.
 */
char	*dipb_repo_path_here(const struct dipb_repo *, const char *path);
char	*dipb_repo_path_arg(const struct dipb_repo *, const char *path);
/*
 * The command "BEFORE PATH AFTER" that writes path with a program other
 * than git (cp), path named as dipb_repo_path_arg names it; from git's
 * top, "top=$(git rev-parse --show-toplevel) && BEFORE "$top"/PATH
 * AFTER", so that, pasted outside a repository, it stops there instead of
 * writing at "/PATH".  Caller frees.
 */
char	*dipb_repo_path_cmd(const struct dipb_repo *, const char *before,
	    const char *path, const char *after);
/*
 * Absolute path of the git dir, ending in '/' (a linked worktree's own,
 * where git keeps COMMIT_EDITMSG); borrowed.  dipb keeps the user's
 * unfinished drafts under dipb/drafts/ there (dipb-recommend(1)).
 */
const char *dipb_repo_gitdir(const struct dipb_repo *);
/*
 * That folder of drafts, <git dir>/dipb/drafts (dipb-recommend(1),
 * FILES), without its '/': its parent <git dir>/dipb/ made when missing
 * (an error ignored: the draft then goes to $TMPDIR), in the mode git
 * gives its own folders (core.sharedRepository, dipb-git(7)), since in a
 * shared repository each member's records cache and verify's checkpoints
 * are in its users/<uid>/ (git/derived.c); the folder itself is the
 * drafter's own, made by dipb_draft_open (mode 0700), and used only when
 * no one else can write it, its parent or the git dir.
 * Caller frees.
 */
char	*dipb_repo_drafts_dir(const struct dipb_repo *);
/*
 * Derived data beside the repository, in <git dir>/dipb/NAME (NAME may
 * hold a folder, "verify/<commit>"): files made again from the objects
 * and refs whenever they are missing, such as dipb verify's checkpoints
 * (dipb-verify(1), "CHECKPOINTS"), so never needed for correctness
 * (src/git/derived.c).  dipb_repo_derived_read: the file into out, *found
 * 0 when there is none, it is larger than max bytes (0: no limit) or it
 * cannot be read.  dipb_repo_derived_write: whole or not at all,
 * writable by the user alone, through _begin, _put and _end below (a
 * file that cannot be written is left as it was: it is made again); one
 * that is no regular file (a FIFO) is none, never opened.
 * dipb_repo_derived_prune: removes the oldest files of folder DIR (none
 * whose name has a '.': a write in flight) until keep are left, never the
 * one named spare (NULL: none); one modified in the future is older than
 * any other (dipb-verify(1), "Checkpoints").
 * dipb_repo_derived_list: the names of the files of folder DIR (but for
 * those), appended to out.
 */
void	 dipb_repo_derived_read(struct dipb_buf *out, int *found,
	    const struct dipb_repo *, const char *name, size_t max);
/*
 * The file NAME as dipb_repo_derived_read finds it, mapped read-only
 * instead of read: *data NULL (and *len 0) when there is none, it is
 * empty or larger than max; dipb_repo_derived_unmap(*data, *len) when
 * done.
 */
void	 dipb_repo_derived_map(const char **data, size_t *len,
	    const struct dipb_repo *, const char *name, size_t max);
void	 dipb_repo_derived_unmap(const char *data, size_t len);
void	 dipb_repo_derived_write(const struct dipb_repo *, const char *name,
	    const char *data, size_t len);
void	 dipb_repo_derived_prune(const struct dipb_repo *, const char *dir,
	    size_t keep, const char *spare);
/*
 * A file of derived data written as it is made, for one too large to be
 * made whole in memory first (src/git/derived.c): _begin opens a
 * temporary file beside name (NULL when it cannot be: nothing to
 * write), _put appends to it, _patch rewrites len bytes already put at
 * offset at, and _end, with keep, renames it to name (whole or not at
 * all, writable by the user alone; the error of any write
 * before, if one failed), else removes it; either way it frees d.
 */
struct dipb_derived;
struct dipb_derived *dipb_repo_derived_begin(const struct dipb_repo *,
	    const char *name);
void	 dipb_derived_put(struct dipb_derived *d, const char *data,
	    size_t len);
void	 dipb_derived_patch(struct dipb_derived *d, size_t at,
	    const char *data, size_t len);
const struct dipb_error *dipb_derived_end(struct dipb_derived *d,
	    int keep);
void	 dipb_repo_derived_list(struct dipb_strlist *out,
	    const struct dipb_repo *, const char *dir);
/*
 * Short name of the current branch ("main"); with HEAD detached (no
 * operation in progress: a CI job's checkout), "HEAD (detached at
 * pull/1/merge)", X as git status names it in "HEAD detached at X", and
 * reads are made at HEAD's
 * commit.  Borrowed.
 */
const char *dipb_repo_branch(const struct dipb_repo *);
/* 1 when HEAD is detached: reading only (dipb_repo_check_state). */
int	 dipb_repo_is_detached(const struct dipb_repo *);
/* 1 when the branch has no commit yet. */
int	 dipb_repo_is_unborn(const struct dipb_repo *);
/*
 * key's value in the configuration git reads for the repository (all its
 * levels, include files), NULL when it is unset or empty.  Caller frees.
 */
char	*dipb_repo_config_string(struct dipb_repo *, const char *key);

/*
 * The acting identity: the author git would record (git var
 * GIT_AUTHOR_IDENT) with the configuration dipb_repo_open read.  Email
 * from GIT_AUTHOR_EMAIL (set, even empty), then author.email, then
 * user.email, then EMAIL (only when no user.email, author.email or
 * committer.email is set); name from GIT_AUTHOR_NAME (set, even empty),
 * then author.name, then user.name.  With user.useConfigOnly, an email
 * or name neither in the environment nor configured is
 * DIPB_ERR_IDENTITY, in git's words; a user.useConfigOnly that is no
 * boolean is DIPB_ERR_USAGE, as git refuses it.  GIT_COMMITTER_* are not
 * read: the identity is author, committer and tagger.  Time from
 * GIT_AUTHOR_DATE, then GIT_COMMITTER_DATE (git's formats: "@<secs>
 * <+hhmm>", "<secs> <+hhmm>", ISO 8601 / RFC 2822), else now in the
 * local time zone.  No email, or one git would record as "<>", is
 * DIPB_ERR_IDENTITY with a message saying how to set one (where git
 * would make one up from the user and host names).  So is a name git
 * refuses (empty; crud alone; user.name unset while author.name or
 * committer.name is set), and a name or an email that is not UTF-8,
 * naming where it comes from.  A name nowhere set is left NULL for the
 * caller to fill (where git takes the account's).
 */
const struct dipb_error *dipb_repo_identity(struct dipb_identity *out,
	    struct dipb_repo *);
/*
 * The same for a reading command, which finds the acting member by the
 * email (and needs the date): the name is neither looked up nor judged,
 * so that a name git would refuse for a commit stops no reader; out->name
 * is NULL.
 */
const struct dipb_error *dipb_repo_identity_email(struct dipb_identity *out,
	    struct dipb_repo *);
/*
 * The same without the date, for a reader given the day (dipb todo
 * --today): GIT_AUTHOR_DATE and GIT_COMMITTER_DATE are not read, and
 * out->time and out->offset are 0.
 */
const struct dipb_error *dipb_repo_identity_person(struct dipb_identity *out,
	    struct dipb_repo *);
void	 dipb_identity_release(struct dipb_identity *);
/*
 * Whether git (2.39's ident.c) takes c for "crud" around a name or an
 * email, and drops it from either end of them: an email that begins or
 * ends with one is never the one a commit carries (dipb-validate(1),
 * email).
 */
int	 dipb_git_ident_crud(unsigned char c);
/* The identity's date in its own time zone, "YYYY-MM-DD". */
void	 dipb_identity_date(const struct dipb_identity *, char out[11]);

/*
 * Reads path (relative to the top, '/'-separated) at the current tip into
 * out.  *found is 0 (and out empty) when the path does not exist there,
 * or is a folder.  A symbolic link or a gitlink (a submodule) there, or
 * in place of a folder on the way, is DIPB_ERR_INVALID
 * (dipb_repo_not_what), never followed; a blob larger than max bytes (0:
 * no limit) DIPB_ERR_TOO_LARGE.
 */
const struct dipb_error *dipb_repo_read(struct dipb_buf *out, int *found,
	    struct dipb_repo *, const char *path, size_t max);

/*
 * Calls fn for each record file at the tip, "recommendations/<name>.yaml"
 * or in a folder of the sharded layout below it (src/git/records.c), in
 * git's order of tree entries, with the path, the contents and arg; a
 * symbolic link or a gitlink of that name, or recommendations/ itself
 * committed as one (path DIPB_RECORD_DIR), with data NULL and len its
 * mode (DIPB_MODE_LINK, DIPB_MODE_MODULE), never read, which the caller
 * reports (dipb_records_add, session.h), and a link with link, what it
 * points to (NULL otherwise, or when it cannot be read); a blob larger than
 * DIPB_MAX_FILE bytes, never read either, with DIPB_MAX_FILE + 1 zero
 * bytes, which the record loader refuses by their number [file-size].
 * A non-NULL error from fn stops the walk and is returned.
 */
typedef const struct dipb_error *(*dipb_repo_blob_fn)(const char *path,
	    const char *data, size_t len, const char *link, void *arg);
const struct dipb_error *dipb_repo_each_record(struct dipb_repo *,
	    dipb_repo_blob_fn fn, void *arg);
/*
 * dipb_repo_each_record, with the caller's copies asked first (a cache
 * keyed by object id, src/cache.h), all of w's functions but fn
 * optional, each given w->arg:
 *	known(path, blob id in hex): 1 when the caller already has that
 *	blob's record, which is then neither read nor handed to fn; 0 to
 *	have it read and handed to fn as above.
 *	tree_get(id): 1 and *data, *len set to the bytes of tree id (hex),
 *	in git's format of a tree object (dipb_tree_data), when the caller
 *	has them: recommendations/ or one of its folders, which is then not
 *	read; the bytes stay the caller's, and must last the walk.  A tree
 *	the bytes of which do not parse is read as if the caller had none.
 *	tree_put(id, data, len): the bytes of a tree just read, to keep.
 *	all(id): asked first with the tree id of recommendations/: 1 when
 *	the caller has every record below it, and the walk stops there.
 */
typedef int (*dipb_repo_known_fn)(const char *path, const char *id,
	    void *arg);
struct dipb_repo_walk {
	dipb_repo_known_fn	 known;
	dipb_repo_blob_fn	 fn;
	int			(*tree_get)(const char *id, const char **data,
				    size_t *len, void *arg);
	void			(*tree_put)(const char *id, const char *data,
				    size_t len, void *arg);
	int			(*all)(const char *id, void *arg);
	void			*arg;
};
const struct dipb_error *dipb_repo_each_record_walk(struct dipb_repo *,
	    const struct dipb_repo_walk *w);

/*
 * Every file below folder (DIPB_RECORD_DIR) at the tip, at any depth, in
 * git's order: path from the top, blob id in hex, mode (regular files,
 * 0100644 and 0100755, into files; anything else, a symbolic link or a
 * submodule, into others, for the caller to refuse).  Release with
 * dipb_repo_files_release.
 */
struct dipb_repo_file {
	char		*path;
	char		 id[40 + 1];
	unsigned	 mode;
};
struct dipb_repo_files {
	struct dipb_repo_file	*v;
	size_t			 n;
	size_t			 cap;
};
const struct dipb_error *dipb_repo_files_below(struct dipb_repo_files *files,
	    struct dipb_repo_files *others, struct dipb_repo *,
	    const char *folder);
/* The same below root, a root tree (hex), not the tip's. */
const struct dipb_error *dipb_repo_files_below_at(
	    struct dipb_repo_files *files, struct dipb_repo_files *others,
	    struct dipb_repo *, const char *root, const char *folder);
void	 dipb_repo_files_release(struct dipb_repo_files *);

/*
 * The id for a new record of prefix: one more than the highest number of
 * that prefix among the tip's record files, at least 4 digits, skipping
 * each id with a tag refs/tags/<ID> or refs/tags/<ID>/... (a withdrawn or
 * deleted record's).  The tags do not raise the number: their highest
 * would read every tag at each recommend (dipb-recommend(1)).  Caller
 * frees.
 */
const struct dipb_error *dipb_repo_next_id(char **out, struct dipb_repo *,
	    const char *prefix);

/*
 * *dirty is set when path's index entry or working-tree file differs from
 * the tip (added, modified, deleted, or staged), as git status sees it:
 * DIPB_DIRTY_MODE when only the file's mode does (its executable bit
 * changed, with core.fileMode, or a mode staged); DIPB_DIRTY_STAGED when
 * only the index entry does, the working file the tip's ('git add', then
 * the file put back).  A path absent everywhere is clean.
 */
#define DIPB_DIRTY_MODE		2
#define DIPB_DIRTY_STAGED	3
const struct dipb_error *dipb_repo_path_dirty(int *dirty, struct dipb_repo *,
	    const char *path);
/* *in 1 when the index has a stage-0 entry for path. */
const struct dipb_error *dipb_repo_in_index(int *in, struct dipb_repo *,
	    const char *path);
/*
 * Every path the index holds (git tracks: committed or staged, in
 * conflict too) that keep takes, each once, into out, sorted; read once
 * for a caller that asks of many files, where dipb_repo_in_index reads
 * the index again for each.  No index: none.
 */
typedef int (*dipb_repo_path_fn)(const char *path, size_t len);
const struct dipb_error *dipb_repo_index_paths(struct dipb_strlist *out,
	    struct dipb_repo *, dipb_repo_path_fn keep);
/*
 * As dipb_repo_index_paths, those whose entry is a symbolic link (mode
 * 120000), where core.symlinks is false: there a link stays one to git
 * though its file is checked out plain, holding the link's text; none
 * where it is true, as git then takes the file as it is.
 */
const struct dipb_error *dipb_repo_index_links(struct dipb_strlist *out,
	    struct dipb_repo *, dipb_repo_path_fn keep);

/*
 * The working file of path, as git add takes it in (the clean direction
 * of its filters: core.autocrlf, eol, ident) into out; more than max
 * bytes (0: no limit) is DIPB_ERR_TOO_LARGE.  Refuses a path that is, or
 * lies beyond, a symbolic link (DIPB_ERR_DIRTY) and one whose attributes
 * name a filter command (DIPB_ERR_GIT): dipb-git(7), "Working files and
 * attributes".  A change writes working files itself (dipb_repo_commit).
 */
const struct dipb_error *dipb_repo_read_worktree(struct dipb_buf *out,
	    struct dipb_repo *, const char *path, size_t max);
/*
 * For the files dipb fmt and dipb validate --canonical read themselves
 * (scan.h): buf, the bytes of the working file at path, made in place
 * what git add takes in, and data, a record's text, made into out what
 * git's checkout writes for it (ident's $Id$ left unexpanded: the text
 * has no blob).  No symbolic link is checked for; a filter command is
 * not run (libgit2 runs none).
 */
const struct dipb_error *dipb_repo_text_in(struct dipb_buf *buf,
	    struct dipb_repo *, const char *path);
const struct dipb_error *dipb_repo_text_out(struct dipb_buf *out,
	    struct dipb_repo *, const char *path, const char *data,
	    size_t len);

/*
 * Reads HEAD and the branch tip again, as dipb_repo_open() read them, not
 * locked: what another process committed since is what the next reads
 * see (each round of an editor's loop, dipb-edit(1)).  Nothing while the
 * lock is held: the tip is then the one this process moves.
 */
const struct dipb_error *dipb_repo_reread(struct dipb_repo *);

/*
 * Takes the repository lock (see dipb_repo_commit), with retries.  It
 * does not check i18n.commitEncoding (verify takes the lock to read,
 * through dipb_repo_begin_read):
 * dipb_repo_check_state and dipb_repo_check_change do (dipb-git(7),
 * "i18n.commitEncoding").
 */
const struct dipb_error *dipb_repo_begin(struct dipb_repo *);
/*
 * The same for a command that only reads under the lock (dipb verify):
 * an interrupted change whose refs are settled but whose working files
 * or index cannot be written now is left, with a warning
 * (dipb_repo_warnings), to a later command, as at open; refs that cannot
 * be put right are an error (DIPB_ERR_BUSY naming a lock file in their
 * way).  Without write access to the git dir, NULL without the lock
 * (dipb_repo_locked 0): the refs are read as they are.
 */
const struct dipb_error *dipb_repo_begin_read(struct dipb_repo *);
/* Releases the lock; a no-op when not held. */
void	 dipb_repo_end(struct dipb_repo *);
/* 1 while this process holds the lock (begin taken, end not yet). */
int	 dipb_repo_locked(const struct dipb_repo *);
/*
 * How many times begin retries (with backoff) before DIPB_ERR_BUSY:
 * DIPB_REPO_RETRIES unless set (--retry).
 */
#define DIPB_REPO_RETRIES	50
void	 dipb_repo_set_retries(struct dipb_repo *, int retries);

struct dipb_file {
	const char	*path;		/* relative to the top, e.g. dipb.yaml */
	const char	*data;
	size_t		 len;
};

/*
 * One file a change moves unchanged (dipb migrate): the file at from at
 * the tip, blob id (hex) and mode as dipb_repo_files_below gave them, put
 * at to, byte for byte the same blob, and from dropped (a folder it
 * leaves empty with it).  The working file is renamed, not written.
 */
struct dipb_rename {
	const char	*from;
	const char	*to;
	const char	*id;
	unsigned	 mode;
};

struct dipb_change {
	const struct dipb_file	*files;
	size_t			 nfiles;	/* 1, except for init */
	/*
	 * Files moved by the change, any number, none NULL (0).  Before
	 * anything is written each from must be clean in the index and the
	 * working tree (DIPB_ERR_DIRTY naming it) and each to absent from
	 * both; the working tree and the index follow the change as for
	 * files, journaled the same way.
	 */
	const struct dipb_rename *renames;
	size_t			 nrenames;
	const char		*record;	/* "IC-0007", or "board" */
	const char		*event;		/* "drafted", "endorsed", ... */
	const char		*status_from;	/* NULL: no Dipb-Status trailer */
	const char		*status_to;
	const char		*subject;	/* "IC-0007: endorsed by ..." */
	const char		*body;		/* optional, free text */
	const struct dipb_identity *who;	/* name must be set */
	/*
	 * 1: the commit and the tag must be signed (the board's policy
	 * says so: dipb-board(5), "Signing"); 0: they are signed only
	 * when commit.gpgSign or tag.gpgSign asks.  Either way a change
	 * that is to be signed and cannot be is refused before anything
	 * is written (dipb_repo_check_sign).
	 */
	int			 sign;
	/*
	 * The board at the tip, or NULL: it names the member who makes
	 * again each tag a refusal finds missing (dipb-git(7), "Tags
	 * deleted, or left on a rewritten commit"), else the commit does.
	 */
	const struct dipb_board	*board;
	/*
	 * The acting member's keys in dipb.yaml ("<type> <base64>" lines),
	 * or NULL: when the change is signed and keys has any, a signature
	 * by another key is refused before anything is written, as dipb
	 * verify would report it (wrong-key).
	 */
	const struct dipb_strlist *keys;
	/*
	 * dipb_repo_make's: the commit's author, when not who (who is
	 * then its committer and the tagger), whose email keys and the
	 * signing check name; NULL: who is all three.
	 */
	const struct dipb_identity *author;
	/* NULL, or the trailer Dipb-Renumbered-From: <old id> (dipb sync). */
	const char		*renumbered_from;
	/*
	 * 1: the files are the working tree's, as dipb edit --no-edit takes
	 * them: like 'git commit PATH', each one's index entry then holds
	 * the committed blob, whatever was staged in it, and the working
	 * file, holding what the command read of it (a hand edit,
	 * worktree_data), is written with the committed one once the branch
	 * moves, as one still holding the tip's would be; 0: an entry the
	 * user staged something else in is left as it is, and so is a
	 * working file that holds neither the tip's blob nor the new one.
	 */
	int			 from_worktree;
	/*
	 * With from_worktree, the working file of files[0] as the command
	 * read it (as git add takes it in, dipb_repo_read_worktree): what
	 * the change writes over is that, never a save the user made
	 * since, which is left as it is.
	 */
	const char		*worktree_data;
	size_t			 worktree_len;
};

/*
 * Checks, before a command's first change, that a change of this sign
 * (struct dipb_change) can be signed as the configuration says
 * (dipb-git(7), "Signing"): when it is to be signed, gpg.format is ssh and
 * user.signingKey (or gpg.ssh.defaultKeyCommand) gives a key.  Refusals
 * are DIPB_ERR_IDENTITY, naming the setting and what to do.  Whether the
 * key can sign (a passphrase typed, ssh-agent) is seen at the commit,
 * still before anything is written.
 */
const struct dipb_error *dipb_repo_check_sign(struct dipb_repo *,
	    int sign);

/*
 * Adds msg to the warnings (dipb_repo_warnings), unless it is there
 * already: a command changing several records says it once.
 */
void	 dipb_repo_warn(struct dipb_repo *, const char *msg);

/*
 * Checks, before anything is written, that a change of the n paths can be
 * made whole, index and working tree with it (dipb-git(7), "The index"):
 * no merge, rebase, cherry-pick, revert, bisect or 'git am' in progress
 * in this working tree, not a shallow clone; an index dipb updates as git would (version 2, 3
 * or 4; not split, not sparse; no extension git requires that dipb does
 * not know); no path with a conflict, marked skip-worktree, or outside
 * the sparse checkout; the index lock free.  Each refusal names the
 * setting and what to do; nothing is written.  dipb_repo_commit() runs
 * it first; a command changing several records runs it for each before
 * the first is written.
 */
const struct dipb_error *dipb_repo_check_change(struct dipb_repo *,
	    const char *const *paths, size_t n);

/*
 * The part of dipb_repo_check_change() that needs no path, which a
 * writing command runs as it opens the repository (dipb_ctx_open), before
 * anything else, DIPB_ERR_DIRTY (exit status 1, dipb(1)): when HEAD is
 * detached with no operation in progress (a CI job's checkout); while
 * git has a merge, rebase, cherry-pick, revert, bisect or 'git am' in
 * progress here, naming it and how to end it; in a shallow clone, naming
 * 'git fetch --unshallow --tags' (dipb-git(7)).  DIPB_ERR_USAGE when
 * i18n.commitEncoding is not UTF-8, or core.looseCompression or
 * core.compression not a zlib level git takes.
 * Reading commands need not: they read the branch.
 */
const struct dipb_error *dipb_repo_check_state(struct dipb_repo *);
/*
 * DIPB_ERR_DIRTY when the repository is a shallow clone, naming 'git
 * fetch --unshallow --tags', or 'git gc' when none of the commits its
 * shallow file lists is here (root commits, which end nothing, aside),
 * or the line of an object here that is no commit, to be removed by
 * hand; the shallow file refused as dipb_git_shallow_cut refuses it
 * (dipb-git(7)).  Part of dipb_repo_check_state.
 */
const struct dipb_error *dipb_repo_check_shallow(struct dipb_repo *);
/*
 * *shallow 1 when the repository is a shallow clone (git clone --depth):
 * its history, and so its tag numbers, are cut.  Its common git dir
 * holds the shallow file, for every worktree, as git keeps it.
 */
const struct dipb_error *dipb_repo_shallow(int *shallow,
	    struct dipb_repo *);
/*
 * In a partial clone (git clone --filter), fetches through the git command,
 * in one batch, the objects the history of recommendations/ and dipb.yaml
 * lacks, from the branch tip and every tag whose object is here (a broken
 * tag ref names nothing); NULL at once elsewhere, or when it was done.
 * A read that meets a missing object does the same
 * (dipb-git(7), "Shallow and partial clones"); a command that would turn a
 * missing object into a finding (verify) calls this first.  DIPB_ERR_GIT
 * when the fetch fails (the remote unreachable): the message names the
 * missing objects and how to fetch them.
 */
const struct dipb_error *dipb_repo_prefetch(struct dipb_repo *);
/*
 * Whether the objects read are kept in libgit2's cache of objects (on
 * unless turned off), for the whole process; returns what it was, to be
 * put back.  What reads each object of a history once, as dipb verify's
 * replay does, turns it off: every object read was stored in the cache's
 * table and, past its 8 MiB, others evicted, a quarter of a whole
 * replay's time at 10,000 records.
 */
int	 dipb_repo_cache_objects(int on);
/*
 * For the tests only: whether DIPB_FAULT is point:subject, the step point
 * of subject made to fail as dipb(1) lists (scan-emfile).
 */
int	 dipb_repo_fault_at(const char *point, const char *subject);

/*
 * Makes one commit and one annotated tag for change, with the lock held
 * (dipb_repo_begin).  The commit message is the subject, the body if any,
 * then the trailers Dipb-Record, Dipb-Event and (if status_from is set)
 * Dipb-Status: "<from> -> <to>".  The tag is "<record>/<N>-<event>", N one
 * more than the highest N of the record's tags of that form; its message
 * is the subject.  Author, committer and tagger are change->who.  A signed
 * change (change->sign, or the configuration) has git's gpgsig header on
 * its commit and the signature after its tag's message, as 'git commit
 * -S' and 'git tag -s' make them; both are signed before the first object
 * is written, so a key that cannot sign leaves nothing behind.
 *
 * *out_tag (caller frees) is the tag's short name.  DIPB_ERR_CHANGED when
 * the branch moved since the tip was read, DIPB_ERR_BUSY when the tag
 * already exists (another writer): both safe to retry; no ref is left
 * moved in either case (the objects written stay, unreachable).
 */
const struct dipb_error *dipb_repo_commit(char **out_tag, struct dipb_repo *,
	    const struct dipb_change *change);

/* What dipb_repo_make made. */
struct dipb_made {
	char	 commit[40 + 1];
	char	 tag[40 + 1];		/* the annotated tag object */
	int	 is_signed;
};

/*
 * Makes change's objects as dipb_repo_commit does (the same steps, in
 * the same order: blobs, trees, commit, annotated tag, signed as it
 * signs), but on the commit parent (hex), with change->author as author
 * when set, and the tag named tag_name ("<record>/<N>-<event>", numbered
 * by the caller): writes the objects and nothing else, no ref, no index,
 * no working file, no journal, and needs no lock.  dipb sync's replay
 * (replay.h) publishes them.
 */
const struct dipb_error *dipb_repo_make(struct dipb_made *out,
	    struct dipb_repo *, const char *parent, const char *tag_name,
	    const struct dipb_change *change);

/*
 * Around the dipb_repo_make calls of a replay: objects are written
 * without an fsync each (when DIPB_FSYNC leaves fsync on), then
 * dipb_repo_flush flushes the file system once and turns fsync back on.
 * Call dipb_repo_flush after every dipb_repo_defer_fsync, before any ref
 * names the objects.
 */
void	 dipb_repo_defer_fsync(struct dipb_repo *);
const struct dipb_error *dipb_repo_flush(struct dipb_repo *);

/*
 * Before a replay writes anything: *on is whether a change of this sign
 * (struct dipb_change) is signed with the configuration; when it is and
 * keys (the acting member's, email) has any, a signature is made of a
 * probe and its key checked as dipb_repo_commit checks it, so that a
 * key not the member's is DIPB_ERR_IDENTITY before the first object.
 */
const struct dipb_error *dipb_repo_check_signer(int *on, struct dipb_repo *,
	    int sign, const struct dipb_strlist *keys, const char *email);

/*
 * The names of the refs directly inside folder ("refs/tags/IC-0003/"),
 * loose and packed, each once, appended to out (unsorted).
 */
const struct dipb_error *dipb_repo_ref_names(struct dipb_strlist *out,
	    struct dipb_repo *, const char *folder);

/*
 * Warns (dipb_repo_warn) of what makes git log and git show give this
 * clone's history otherwise than the objects dipb reads as stored
 * (dipb-git(7), "Replacements"): the refs of refs/replace/, how many and
 * the first, unless GIT_NO_REPLACE_OBJECTS is set; the common git dir's
 * info/grafts.  One listing of the folder, one lstat; a listing that
 * fails warns of nothing.
 */
void	 dipb_repo_warn_replaced(struct dipb_repo *);

/*
 * Whether record id is held in the refs of folder ("refs/tags/"), loose
 * or packed: a ref "<folder><id>", which stands where the folder of the
 * record's tags must be (dipb-git(7), "Clashing ref names"), or any tag
 * in "<folder><id>/" but own ("1-drafted"; NULL: none is exempt).  A
 * deleted or withdrawn record keeps its tags, so its id stays held.
 */
const struct dipb_error *dipb_repo_id_held(int *held, struct dipb_repo *,
	    const char *folder, const char *id, const char *own);

/*
 * dipb_repo_next_id at commit (hex) rather than the tip: one more than
 * the highest number of prefix among commit's record files, skipping
 * every id with tags in refs/tags/ or, when also is not NULL, under the
 * ref folder also ("refs/dipb/remote/origin/tags/").  Caller frees.
 */
const struct dipb_error *dipb_repo_next_id_at(char **out,
	    struct dipb_repo *, const char *commit, const char *prefix,
	    const char *also);
/*
 * Whether commit (hex) holds a file of record id's name where either
 * layout keeps it, that name or its prefix's folder in any case
 * ("recommendations/ic-0003.yaml", "recommendations/ic/00/IC-0003.yaml"):
 * git on macOS and Windows takes it for id's file (dipb-sync(1)).
 */
const struct dipb_error *dipb_repo_record_held_at(int *held,
	    struct dipb_repo *, const char *commit, const char *id);

/*
 * The git blob id, in hex, of the len bytes of data, as 'git hash-object'
 * gives it; needs no repository and no dipb_repo_open().
 */
void	 dipb_git_hash_blob(char hex[41], const char *data, size_t len);
/*
 * SHA-1 of bytes given a piece at a time: dipb_git_sha1_hex gives it in
 * hex and frees the state.
 */
struct dipb_sha1;
struct dipb_sha1 *dipb_git_sha1_new(void);
void	 dipb_git_sha1_update(struct dipb_sha1 *, const void *data,
	    size_t len);
void	 dipb_git_sha1_hex(char hex[41], struct dipb_sha1 *);

/* dipb sync: git as the transport, and a replay published (src/git/remote.c, publish.c) */
/*
 * dipb sync (dipb-sync(1)) fetches and pushes by running the `git`
 * command, as a child process with the user's environment (credentials,
 * ssh configuration, proxies: libgit2 does no networking), in the
 * current directory, where dipb found the repository as git finds it
 * (GIT_DIR and GIT_WORK_TREE honoured); its standard input is /dev/null
 * unless interactive (a terminal, for credentials), its standard output
 * goes to dipb's standard error (or is read, for push --porcelain), its
 * standard error is passed through.  A git that fails is DIPB_ERR_GIT.
 */

/*
 * The remote and the remote branch of a sync: remote_given, else the
 * current branch's upstream remote (branch.<b>.remote); the branch from
 * branch.<b>.merge ("refs/heads/X" gives "X"), else the same name as
 * the local branch.  No remote given and no upstream: DIPB_ERR_USAGE,
 * saying what to set; a remote with no url: DIPB_ERR_USAGE.  Caller
 * frees both.
 */
const struct dipb_error *dipb_repo_upstream(char **remote, char **branch,
	    struct dipb_repo *, const char *remote_given);
/*
 * git fetch --prune --no-tags --refmap= REMOTE: its branches into
 * refs/remotes/REMOTE/, its tags into refs/dipb/remote/REMOTE/tags/
 * (forced and pruned: a mirror of the remote's, never a local tag), and
 * nothing where remote.REMOTE.fetch would map them.
 */
const struct dipb_error *dipb_repo_fetch(struct dipb_repo *,
	    const char *remote, int interactive);

enum dipb_push_result {
	DIPB_PUSHED,		/* every ref landed */
	DIPB_PUSH_MOVED,	/* the remote moved: fetch and replay again */
	DIPB_PUSH_REFUSED,	/* the remote's hook refused it */
	DIPB_PUSH_FAILED,	/* the remote could not take it (a ref it
				   could not lock, objects it could not),
				   or its configuration refused it */
	DIPB_PUSH_LACKS,	/* the remote lacks objects a ref needs that
				   git does not send, taking the remote to
				   hold the history of what it has
				   ("missing necessary objects"): a
				   shallow remote, or one that lost them
				   (dipb_repo_remote_shallow tells, where
				   it can) */
	DIPB_PUSH_CUT,		/* the remote refused the cut of the
				   history this clone's shallow file sends
				   with the push ("shallow update not
				   allowed"): it lacks a commit listed */
	DIPB_PUSH_ELSEWHERE	/* every ref landed, but git said the
				   branch was not at base there: maybe
				   another repository than the one fetched
				   from (a pushurl); a fetch tells */
};
/*
 * The url git pushes remote to where it is not the one it fetches from:
 * remote.NAME.pushurl (the last, as git uses them all), or the url as a
 * url.<base>.pushInsteadOf rewrites it (git-config(1)); NULL where git
 * pushes to the url it fetches from, or remote is no configured remote.
 * *fetched: the url git fetches from, as a url.<base>.insteadOf rewrites
 * it; NULL for no configured remote.  Caller frees both.
 */
char	*dipb_repo_push_url(char **fetched, struct dipb_repo *,
	    const char *remote);
/*
 * Whether remote, where git pushes to it, is a shallow repository:
 * *shallow 1 when its shallow file lists a commit where the history
 * ends (one this clone holds, with parents), 0 when it has none (as git
 * rev-parse --is-shallow-repository in it answers) or lists root commits
 * alone, which end nothing, where that is one repository at a local path
 * or a file:// URL; -1 when dipb cannot look (another URL, several) or
 * the file tells nothing (ids this clone does not hold).
 */
void	 dipb_repo_remote_shallow(int *shallow, struct dipb_repo *,
	    const char *remote);
/*
 * git push --atomic --porcelain REMOTE <tip>:refs/heads/<branch>
 * refs/tags/<tag>...: *out says how it ended (base: the remote's branch
 * as fetched, NULL: none; DIPB_PUSH_ELSEWHERE when git found it
 * elsewhere); *why (caller frees) the
 * rejected refs and their reasons as git gave them, one line each;
 * *said (caller frees; NULL: nothing) what git wrote on its standard
 * error (the remote's hook among it), for the caller to pass on after
 * its own lines (dipb-sync(1), "OUTPUT").  A git that fails otherwise
 * (no connection, no such remote) is DIPB_ERR_GIT.
 */
const struct dipb_error *dipb_repo_push(enum dipb_push_result *out,
	    char **why, char **said, struct dipb_repo *, const char *remote,
	    const char *branch, const char *base, const char *tip,
	    const struct dipb_strlist *tags, int interactive);

/* One local change of a sync, as dipb_repo_publish takes it. */
struct dipb_publish_change {
	const char	*old_tag;	/* its local tag's name, NULL: none */
	const char	*old_commit;	/* hex */
	const char	*new_tag;	/* NULL: dropped */
	const char	*new_object;	/* the new tag object (hex) */
	const char	*reason;	/* dropped: why, one line */
	/*
	 * Dropped: the change as the user made it, which an earlier round
	 * of the same sync replayed into old_commit/old_tag; what
	 * refs/dipb/dropped/ names.  NULL: old_commit/old_tag.
	 */
	const char	*first_commit;
	const char	*first_tag;
};
/*
 * Publishes a sync in this clone, in one journaled step (the lock held,
 * dipb_repo_begin): the branch moved by compare-and-swap from the tip to
 * new_tip; the old tags of the changes deleted, their new tags made; for
 * each dropped change, refs/dipb/dropped/<old tag> (an unsigned annotated
 * tag on its old commit, whose message is the reason as one line, each
 * control character '?' (dipb_text_clean_line), tagger who); the
 * remote's tags under remote_tags ("refs/dipb/remote/origin/tags/") that
 * are missing in refs/tags/ imported (one of a replaced change's tags of
 * the same name is replaced; another local tag of that name is kept, with
 * a warning); then the working tree and the index brought from the tip's
 * tree to new_tip's for each path that differs.  Before anything is
 * written, each such path must be clean (dipb_repo_path_dirty, and
 * dipb_repo_check_change): else DIPB_ERR_DIRTY naming it.  Killed at any
 * point, the next dipb command completes or undoes it whole (journal.c).
 */
const struct dipb_error *dipb_repo_publish(struct dipb_repo *,
	    const char *new_tip, const struct dipb_publish_change *, size_t n,
	    const char *remote_tags, const struct dipb_identity *who);
/* The tip read at dipb_repo_begin (or after a publish), hex; "" unborn. */
void	 dipb_repo_tip(char out[41], const struct dipb_repo *);

/* Two texts compared (src/git/diff.c) */
/* What a line of a unified diff is (dipb_repo_diff_text). */
enum dipb_diff_origin {
	DIPB_DIFF_HUNK,		/* "@@ -1,4 +1,5 @@ ..." */
	DIPB_DIFF_CONTEXT,	/* the same on both sides */
	DIPB_DIFF_ADDED,
	DIPB_DIFF_REMOVED,
	DIPB_DIFF_NO_NEWLINE	/* "\\ No newline at end of file" */
};
/*
 * Called for each line of the diff with its text (len bytes, its newline
 * included, not NUL-terminated; without the leading ' ', '+' or '-');
 * nonzero stops the diff.
 */
typedef int (*dipb_diff_line_fn)(enum dipb_diff_origin, const char *text,
	    size_t len, void *arg);
/*
 * A unified diff of old and new, as git diff makes one (libgit2's
 * algorithm and hunks, context lines of context each side): fn (may be
 * NULL) is called for each line, in order, the file header aside (the
 * caller names the two sides); *added and *removed count the lines.  The
 * repository must be open (libgit2 initialised).  DIPB_ERR_GIT when
 * libgit2 fails; a stop by fn is no error (fn keeps its own).
 */
const struct dipb_error *dipb_repo_diff_text(unsigned *added,
	    unsigned *removed, struct dipb_repo *, const struct dipb_buf *old,
	    const struct dipb_buf *new, unsigned context, dipb_diff_line_fn fn,
	    void *arg);

/*
 * Reading the history (src/git/walk.c, reach.c, object.c, objparse.c,
 * lazy.c, treediff.c, packdelta.c, tags.c, records.c)
 */
/*
 * What history.c and verify/ read from git, in dipb's types: object ids
 * as 40 hex digits, commits, trees, tags and revision walks.  The reads
 * are raw (the object database, git's tree bytes), for speed: dipb
 * verify replays 10,000 commits in about two seconds (README,
 * "Benchmarks").  Every string from git is raw bytes, not cleaned nor
 * converted (a commit's 'encoding' header only noted).
 */

#define DIPB_OID_HEX	40

/* A commit (read by src/git/object.c, parsed by objparse.c). */
struct dipb_commit {
	char		 id[DIPB_OID_HEX + 1];
	char		 tree[DIPB_OID_HEX + 1];
	char		 parent[DIPB_OID_HEX + 1];	/* first; "" if none */
	size_t		 nparents;
	char		(*parents)[DIPB_OID_HEX + 1];	/* all nparents */
	char		*author_name;
	char		*author_email;
	int64_t		 author_time;	/* seconds since the epoch */
	int		 author_offset;	/* minutes east of UTC */
	int		 author_zone;	/* +hhmm as written: 9999, -130 */
	char		*committer_name;
	char		*committer_email;
	int64_t		 committer_time;
	int		 committer_offset;
	int		 committer_zone;
	/* NUL-terminated, message_len bytes: up to its first NUL, where
	 * git's readers stop (dipb-git(7)) */
	char		*message;
	size_t		 message_len;
	/*
	 * The value of the commit's first 'encoding' header when it names
	 * another encoding than UTF-8 (git's spellings, UTF-8 or UTF8 in
	 * any case; an empty value is another), NULL otherwise.  The names
	 * and the message are its bytes all the same, never converted: dipb
	 * sync refuses to make such a change again (dipb-git(7),
	 * i18n.commitEncoding).
	 */
	char		*encoding;
	/*
	 * A signed commit, read as git reads one (git verify-commit): the
	 * value of its gpgsig header, continuation lines unfolded (an armored
	 * signature, NUL-terminated), and the payload, the commit's bytes
	 * without its gpgsig and gpgsig-sha256 headers: what was signed.
	 * Both NULL when the commit has no gpgsig header.
	 */
	char		*signature;
	size_t		 signature_len;
	char		*payload;
	size_t		 payload_len;
};

/*
 * The largest commit or tag object dipb reads: 8 MiB, against a few
 * kilobytes for any of a board's, so that one a push brings whose message
 * inflates to hundreds of megabytes is refused from its header, unread
 * (src/git/object.c, repo.c; dipb-git(7)).
 */
#define DIPB_GIT_MAX_COMMIT	(8 * 1024 * 1024)

/*
 * Reads commit id (hex) into out.  DIPB_ERR_NOT_FOUND when the object is
 * missing, DIPB_ERR_CORRUPT when it is not a well-formed commit,
 * DIPB_ERR_GIT when git cannot read it (dipb_git_object_read).  Release
 * with dipb_commit_release().
 */
const struct dipb_error *dipb_git_commit_read(struct dipb_commit *out,
	    struct dipb_repo *, const char *id);
void	 dipb_commit_release(struct dipb_commit *);

enum dipb_object_type {
	DIPB_OBJECT_NONE,		/* missing, or of no known type */
	DIPB_OBJECT_COMMIT,
	DIPB_OBJECT_TREE,
	DIPB_OBJECT_BLOB,
	DIPB_OBJECT_TAG
};

/* "commit", "tree", "blob", "tag"; "object" for NONE. */
const char *dipb_object_type_name(enum dipb_object_type);

/*
 * An object's raw data, read whole (src/git/object.c).  Freed with
 * dipb_object_free(); the data stays valid until then, and may be read
 * from any thread (reading more objects may not: one thread reads).
 */
struct dipb_object;
/*
 * Reads object id (hex) of type type (NONE: any).  DIPB_ERR_NOT_FOUND
 * when missing, DIPB_ERR_CORRUPT when of another type, DIPB_ERR_GIT (a
 * corrupt repository, exit status 5) when it is there but git cannot
 * read it: a loose object that does not inflate, a damaged pack entry,
 * named with git's reason.
 */
const struct dipb_error *dipb_git_object_read(struct dipb_object **out,
	    struct dipb_repo *, const char *id, enum dipb_object_type type);
/*
 * dipb_git_object_read of a blob, of at most max bytes: a larger one is
 * DIPB_ERR_TOO_LARGE ("... is larger than MAX bytes") from its header,
 * never inflated, so that a record file a pack holds as a few kilobytes
 * of hundreds of megabytes of one byte costs nobody the megabytes.
 */
const struct dipb_error *dipb_git_blob_read(struct dipb_object **out,
	    struct dipb_repo *, const char *id, size_t max);
const char *dipb_object_data(const struct dipb_object *);
size_t	 dipb_object_size(const struct dipb_object *);
enum dipb_object_type dipb_object_type(const struct dipb_object *);
void	 dipb_object_free(struct dipb_object *);
/*
 * The type and size of object id without reading it; NONE if missing (or
 * its header is no git's: the read says why).  An error when it cannot
 * be looked at (too many open files, out of memory): never "missing".
 */
const struct dipb_error *dipb_git_object_stat(enum dipb_object_type *type,
	    size_t *size, struct dipb_repo *, const char *id);

/*
 * A tree, parsed for lookups by name (src/git/object.c).  The entries
 * are in git's order; names point into the tree's data.
 */
struct dipb_tree_entry {
	const char	*name;		/* not NUL-terminated */
	size_t		 nlen;
	unsigned	 mode;		/* 0100644, 0100755, 0120000, 040000, 0160000 */
	char		 id[DIPB_OID_HEX + 1];
};
#define DIPB_MODE_TREE		0040000u
#define DIPB_MODE_BLOB		0100644u
#define DIPB_MODE_EXEC		0100755u
#define DIPB_MODE_LINK		0120000u
#define DIPB_MODE_MODULE	0160000u
/* What an entry of mode is, in words: "a file", "a symbolic link",
 * "a folder", "a gitlink (a submodule's commit)" (src/git/tree.c). */
const char *dipb_mode_what(unsigned mode);
/*
 * What dipb says of path, committed as mode where a record file (folder
 * 0) or the folder of records (folder 1) goes: what it is, and what to
 * do, without the path in front (caller frees); a link, with link, what
 * it points to (NULL: unknown), as dipb_validate_symlink says.  The one
 * text of the readers of the tip (dipb_repo_read), of the records' walk
 * (reported [symlink] or [io], dipb-validate(1)) and of a change refused.
 * The commands it advises name path from the current folder when r is
 * given (dipb_repo_path_arg), else as git's ":/PATH", from the top of the
 * working tree; r may be NULL.
 */
char	*dipb_repo_not_what(const struct dipb_repo *r, const char *path,
	    unsigned mode, int folder, const char *link);

struct dipb_tree;
/* Reads tree id (hex).  Errors as dipb_git_object_read; a malformed tree,
 * or one git fsck rejects for its order (treeNotSorted, duplicateEntries:
 * dipb-git(7), "Trees"), is DIPB_ERR_CORRUPT.  Freed with
 * dipb_tree_free(). */
const struct dipb_error *dipb_git_tree_read(struct dipb_tree **out,
	    struct dipb_repo *, const char *id);
/* The same, the tree's path from the top (NULL: not known; "": the root
 * tree) named in its errors. */
const struct dipb_error *dipb_git_tree_read_path(struct dipb_tree **out,
	    struct dipb_repo *, const char *id, const char *path);
/*
 * The tree of the len bytes at data, in git's format of a tree object
 * (what dipb_tree_data gives), for a tree kept elsewhere (cache.h):
 * data is borrowed, and must outlive the tree.  0, or -1 (*out NULL)
 * when it is not a well-formed tree, or not in git's order.  Freed with dipb_tree_free().
 */
int	 dipb_git_tree_parse(struct dipb_tree **out, const char *data,
	    size_t len);
/* The tree's bytes, as git stores the object; borrowed. */
const char *dipb_tree_data(const struct dipb_tree *, size_t *len);
size_t	 dipb_tree_count(const struct dipb_tree *);
const struct dipb_tree_entry *dipb_tree_entry(const struct dipb_tree *,
	    size_t i);
/* The entry named name, NULL if none (a binary search). */
const struct dipb_tree_entry *dipb_tree_find(const struct dipb_tree *,
	    const char *name);
void	 dipb_tree_free(struct dipb_tree *);

/*
 * Reads path ('/'-separated, from the top) at commit (hex) into out and
 * its blob id into blob: found 0 (out empty, blob "") when it is not a
 * blob there.  A blob larger than max bytes (0: no limit) is
 * DIPB_ERR_TOO_LARGE.
 */
const struct dipb_error *dipb_git_read_at(struct dipb_buf *out,
	    char blob[DIPB_OID_HEX + 1], int *found, struct dipb_repo *,
	    const char *commit, const char *path, size_t max);

/*
 * Where record id's file is at commit (hex; NULL: the tip), in either
 * layout (dipb-board(5), "layout": every command reads a record in either
 * place, in the history too): *path (caller frees) the place that holds
 * it, the flat one when none does (*found 0).  The one reader of that
 * place for every command, the tree alone looked at: no file is read
 * but when both places hold one (a board migrated by hand, half way:
 * dipb validate and dipb verify report the one out of place,
 * [record-path]), when the one in the layout of that commit's dipb.yaml
 * is the record, as at the tip (dipb_session_load); a dipb.yaml that
 * cannot be read, or is larger than DIPB_MAX_FILE bytes, says flat, as
 * one without layout: does.
 */
const struct dipb_error *dipb_repo_record_path_at(char **path, int *found,
	    struct dipb_repo *, const char *commit, const char *id);
/* Where the layout of the tip's dipb.yaml, as dipb_repo_record_path_at
 * reads it, keeps record id's file (caller frees). */
char	*dipb_repo_tip_record_path(struct dipb_repo *, const char *id);
/*
 * The same, and the file's blob id into blob ("" when none): looked up
 * through the cached trees on the way to it alone, no folder read whole,
 * so that a reader of one record at many commits (the minutes' levels)
 * costs as much on a board of 3,000 records as on one of 3.
 */
const struct dipb_error *dipb_repo_record_at(char **path,
	    char blob[DIPB_OID_HEX + 1], int *found, struct dipb_repo *,
	    const char *commit, const char *id);
/* The same below root, a commit's root tree (hex), for a reader that
 * has it already (dipb verify's replay). */
const struct dipb_error *dipb_repo_record_in_tree(char **path,
	    char blob[DIPB_OID_HEX + 1], int *found, struct dipb_repo *,
	    const char *root, const char *id);

/*
 * The changes between two trees (src/git/treediff.c), in git's order of
 * the root's entries, recommendations/ (DIPB_RECORD_DIR) opened one
 * level: "dipb.yaml", "docs/" (a folder: a trailing '/'),
 * "recommendations/IC-0001.yaml".  A mode of 0 is an absent side.
 */
struct dipb_tree_change {
	char		*path;
	unsigned	 old_mode;
	unsigned	 new_mode;
	char		 old_id[DIPB_OID_HEX + 1];
	char		 new_id[DIPB_OID_HEX + 1];
};
struct dipb_tree_changes {
	struct dipb_tree_change	*v;
	size_t			 n;
	size_t			 cap;
};
void	 dipb_tree_changes_release(struct dipb_tree_changes *);

/*
 * A differ along a line of history: each call compares a root tree with
 * the one given to the call before (none at first), reusing what it read
 * of recommendations/ so that a change to one record of 10,000 costs a
 * few memcmp.  It borrows the repository and its set of packs, which
 * must outlive it, and is used by one thread at a time, as the
 * repository is.  Freed with dipb_treediff_free(), before
 * dipb_repo_close().
 */
struct dipb_treediff;
struct dipb_treediff *dipb_treediff_new(struct dipb_repo *);
/* Appends to out the changes from the previous tree to tree (hex). */
const struct dipb_error *dipb_treediff_next(struct dipb_tree_changes *out,
	    struct dipb_treediff *, const char *tree);
/* Makes tree (hex) the one the next call compares with, as a call would,
 * without listing what it holds. */
const struct dipb_error *dipb_treediff_seed(struct dipb_treediff *,
	    const char *tree);
void	 dipb_treediff_free(struct dipb_treediff *);
/*
 * When the last dipb_treediff_next failed on a tree out of git's order
 * (git fsck's treeNotSorted, duplicateEntries: dipb-git(7), "Trees"),
 * in the entries it walked: the error's message; else NULL.  The diff
 * goes on from the tree before, for dipb verify to report it and replay
 * the rest.
 */
const char *dipb_treediff_order(const struct dipb_treediff *);
/* The same for two given trees; old "" is the empty tree. */
const struct dipb_error *dipb_git_tree_diff(struct dipb_tree_changes *out,
	    struct dipb_repo *, const char *old, const char *new);
/*
 * Makes sure every tree of the n commits ids (hex) is here: in a partial
 * clone, those missing are listed (git rev-list --objects --no-walk
 * --missing=print) and fetched together, one batch, not one a tree as
 * the reads would (src/git/lazy.c).  NULL when they are here, or the
 * repository is no partial clone.
 */
const struct dipb_error *dipb_git_have_commit_trees(struct dipb_repo *,
	    const char *const *ids, size_t n);

/*
 * Revisions (src/git/walk.c, reach.c).  dipb_git_resolve: the commit a
 * revision names (a tag is peeled): DIPB_ERR_NOT_FOUND when it names
 * nothing, DIPB_ERR_USAGE when not a commit, DIPB_ERR_CORRUPT when it
 * is a commit git fsck rejects (dipb_git_commit_read's message; only
 * for a full id or a reference's full name).  dipb_git_ref: the object
 * a reference ("refs/heads/main") names, *found 0 when there is no such
 * reference.  Ancestry (src/git/reach.c), read as git log reads the
 * history, a shallow clone's too (git merge-base --is-ancestor), of
 * commit ids only: dipb_git_descendant_of: 1 when commit descends from
 * ancestor (not when equal); dipb_git_in_history: 1 when commit is tip
 * or in its history (equal, or tip descends from it).  Each is 0 when it
 * does not, when that cannot be told (a shallow clone's history cut
 * before it can, a commit missing), and when either id is here and no
 * commit: a tag is not peeled.  A remote's branch at a tag of a commit
 * (a ref another tool wrote) is so no commit the clone publishes as its
 * tip: dipb sync plans onto what the tag names (replay.h), then pushes a
 * commit over the tag, as git push, which peels it, would.
 * dipb_git_history_has: the same question as dipb_git_in_history, with a
 * third answer: 1 when commit is tip or in its history, 0 when it is not
 * (or either id is here and no commit), -1 when that cannot be told.
 */
const struct dipb_error *dipb_git_resolve(char out[DIPB_OID_HEX + 1],
	    struct dipb_repo *, const char *rev);
const struct dipb_error *dipb_git_ref(char out[DIPB_OID_HEX + 1],
	    int *found, struct dipb_repo *, const char *refname);
int	 dipb_git_descendant_of(struct dipb_repo *, const char *commit,
	    const char *ancestor);
int	 dipb_git_in_history(struct dipb_repo *, const char *tip,
	    const char *commit);
int	 dipb_git_history_has(struct dipb_repo *, const char *tip,
	    const char *commit);
/*
 * *behind 1 when commit, off the current branch, is one the branch left
 * behind: named in the branch's reflog (git commit --amend and git rebase
 * log the commit they replace there), or held by no other local branch
 * (its tip, a tag of it as git for-each-ref --contains peels one, or its
 * history), so not another branch's own change.  0 when another branch
 * may hold it as far as the history can tell (a shallow clone's cut, a
 * commit missing): sync then takes it for no change of its own.  The
 * branch's log a FIFO: refused, "<path>: not a regular file"
 * (DIPB_ERR_IO; git would wait on it for ever), as a log dipb writes is.
 */
const struct dipb_error *dipb_git_left_behind(int *behind,
	    struct dipb_repo *, const char *commit);
/*
 * The commits the shallow file lists into cut (keys, value not NULL;
 * none when the clone is whole): where git log and git rev-list end the
 * history, each read as having no parent, whether its parents are here
 * (fetched since: git fetch --deepen, a tag's history) or not
 * (dipb-git(7), "Shallow and partial clones").  Read as git reads it:
 * each line's first 40 hex digits, of either case; a line that does not
 * begin with them is refused, DIPB_ERR_CORRUPT, as git dies of it.  With
 * digest (may be NULL): the SHA-1 of the file as read, "" when the clone
 * is whole, what a verify checkpoint is bound to.
 */
const struct dipb_error *dipb_git_shallow_cut(struct dipb_hashmap *cut,
	    char digest[DIPB_OID_HEX + 1], struct dipb_repo *);
/*
 * Whether the history is cut at commit c, cut what dipb_git_shallow_cut
 * read: c is listed and its object has parents.  A root commit listed
 * (git lists it when a clone's depth is the history's length) ends
 * nothing: the history is whole.
 */
int	 dipb_git_cut_at(const struct dipb_hashmap *cut,
	    const struct dipb_commit *c);
/*
 * DIPB_ERR_CORRUPT: parent, of commit, is not here, and the history is
 * not cut at commit (dipb_git_cut_at): "history incomplete", with why
 * when dipb can tell (an alternate gone, a partial clone), never that
 * the clone is shallow, which no fetch would mend (dipb-git(7)).
 */
const struct dipb_error *dipb_git_parent_missing(struct dipb_repo *,
	    const char *commit, const char *parent);
/*
 * The history of commit (every parent's, itself included), read as git
 * log reads it, with no libgit2 graph call (whose merge-base walk stops
 * at a shallow clone's end differently by version): where it is cut
 * (dipb_git_cut_at), the first such commit met into cut, else cut "".
 * A parent not here where it is not cut is an error
 * (dipb_git_parent_missing), the first met.  dipb_git_contains: *in 1
 * when ancestor is in it (met before the walk ends), else 0, and whether
 * the answer is known then says cut, or the error of a parent not here.
 * dipb_git_history_of: every commit of it as keys of out (values not
 * NULL); the error of a parent not here.
 */
const struct dipb_error *dipb_git_contains(int *in,
	    char cut[DIPB_OID_HEX + 1], struct dipb_repo *,
	    const char *commit, const char *ancestor);
const struct dipb_error *dipb_git_history_of(struct dipb_hashmap *out,
	    char cut[DIPB_OID_HEX + 1], struct dipb_repo *,
	    const char *commit);

/*
 * A walk of the commits reachable from those pushed and not from those
 * hidden, in no particular order but each commit before its parents
 * when the history has one line.  Freed with dipb_walk_free().
 */
struct dipb_walk;
const struct dipb_error *dipb_git_walk_new(struct dipb_walk **out,
	    struct dipb_repo *);
/* Starts at commit (hex); NULL: at HEAD, *unborn set when it has none. */
const struct dipb_error *dipb_walk_push(struct dipb_walk *,
	    const char *commit, int *unborn);
/*
 * Starts at every reference matching glob ("refs/heads/" and a star:
 * git's wildmatch, a star crossing '/'); those that lead to no commit
 * are left out.
 */
const struct dipb_error *dipb_walk_push_refs(struct dipb_walk *,
	    const char *glob);
/*
 * Starts at every branch: the references whose commits dipb verify
 * takes as branches' (dipb-verify(1), "Branches"), local, remote-tracking,
 * a forge's pull and merge request refs.
 */
const struct dipb_error *dipb_walk_push_branches(struct dipb_walk *);
const struct dipb_error *dipb_walk_hide(struct dipb_walk *,
	    const char *commit);
/* Follows first parents only, as git log --first-parent: the line of a
 * branch, newest first. */
const struct dipb_error *dipb_walk_first_parent(struct dipb_walk *);
/*
 * The next commit into out; *done set when there are no more.  A walk
 * that reaches a shallow clone's end (a commit .git/shallow lists, its
 * parent not here) ends with DIPB_ERR_GIT, "cannot walk the history,
 * which is shallow" and the remedy (dipb-git(7), "Shallow and partial
 * clones"), never as at the first commit; one that meets any other
 * commit not here, in a shallow clone too, with "history incomplete",
 * the commit named and why when dipb can tell, never the shallow remedy.
 */
const struct dipb_error *dipb_walk_next(char out[DIPB_OID_HEX + 1],
	    int *done, struct dipb_walk *);
void	 dipb_walk_free(struct dipb_walk *);

/*
 * Tags (src/git/reflist.c, tags.c): every reference under refs/tags/, as
 * name without "refs/tags/" ("" target when broken) and the object it
 * names: the loose ones sorted by name, then
 * the packed ones in packed-refs' order, each name once (a loose ref
 * overrides a packed one), read by one scan of packed-refs, with no
 * stat per packed tag.  dipb_git_tag_peel reads
 * object id: *annotated 1 and out the object it tags when it is a tag
 * object (through a tag of a tag, as git rev-parse TAG^{} peels), else
 * out = id; type is out's type (NONE when missing or malformed, or a tag
 * object larger than any dipb reads, which is not read, or 16 tags deep,
 * or one whose 'type tree' or 'type blob' line is not the type of the
 * object it names, here: git rev-parse TAG^{} peels it to nothing; a
 * 'type commit' line is taken at its word, which dipb_git_tagref_commit
 * checks).  Missing, out's type is the tag's word.
 * An object it cannot read (too many open files, out of memory) is an
 * error, never taken as a missing one.
 */
struct dipb_tagref {
	char	*name;
	char	 target[DIPB_OID_HEX + 1];
};
struct dipb_tagrefs {
	struct dipb_tagref	*v;
	size_t			 n;
	size_t			 cap;
};
const struct dipb_error *dipb_git_tags(struct dipb_tagrefs *out,
	    struct dipb_repo *);
/*
 * The same for the tags in folder ("IC-0007/", a '/' at its end) and the
 * folders inside it, found by a search of packed-refs and a read of the
 * folder's loose refs, not by a walk of every ref (src/git/reflist.c): a
 * record's tags cost the same at 1,000 records and at 30,000.
 */
const struct dipb_error *dipb_git_tags_in(struct dipb_tagrefs *out,
	    struct dipb_repo *, const char *folder);
/*
 * The tags under refs/tags/ whose names the refs in folder (the remote's
 * mirror, "refs/dipb/remote/origin/tags/") lack, appended to out, sorted
 * by name: what the clone holds that the remote did not have when last
 * fetched.  Both lists are read once and walked side by side.  A tag
 * whose commit a ref in folder of the same record leads to is left out:
 * the remote holds that change's tag, and this one is a member's own
 * that looks like it (IC-0001/7-drafted on IC-0001/1-drafted's commit).
 */
const struct dipb_error *dipb_git_tags_lacking(struct dipb_tagrefs *out,
	    struct dipb_repo *, const char *folder);
void	 dipb_tagrefs_release(struct dipb_tagrefs *);
/*
 * Every tag as it is now, kept to be read later (verify reads them under
 * the repository lock, and judges them once it has walked the history):
 * packed-refs' mapping, taken, and the loose tags, read.  Caller frees
 * with dipb_tagsnap_free.
 */
struct dipb_tagsnap;
const struct dipb_error *dipb_git_tags_snap(struct dipb_tagsnap **out,
	    struct dipb_repo *);
void	 dipb_tagsnap_free(struct dipb_tagsnap *);
/*
 * One tag: its name without "refs/tags/" (len bytes, not NUL-ended),
 * and the 40 hex digits of the object it names, lower case (NULL: a
 * broken loose ref), valid during the call.  Not the commit
 * packed-refs' "^" line says it peels to: that is not the tag object's
 * word (dipb-git(7): git pack-refs may have written it through
 * refs/replace/, or a hand).  Nonzero stops dipb_tagsnap_each.
 */
typedef int (*dipb_tag_fn)(const char *name, size_t len, const char *hex,
	    void *arg);
/*
 * fn for each tag, as dipb_git_tags lists them (a loose ref overriding a
 * packed one), in byte order of their names, with no copy of a packed
 * one when packed-refs is sorted, as git writes it: one pass of the
 * file, whose pages are let go after it (read again from the page cache
 * if need be).  DIPB_ERR_CORRUPT: a malformed packed-refs.
 */
const struct dipb_error *dipb_tagsnap_each(const struct dipb_tagsnap *,
	    dipb_tag_fn fn, void *arg);
/*
 * What a verify checkpoint binds its tags to (dipb-verify(1),
 * "CHECKPOINTS"): the identity of the packed-refs file a snapshot read,
 * as git's index trusts a working file's stat data: have 0 when there was
 * none, else its device, inode, size, mtime and ctime.  A file that git
 * changes is a new file (written aside, renamed over), and its ctime is
 * later than that of the one it replaces.
 */
struct dipb_fileid {
	int			 have;
	unsigned long long	 dev, ino, size;
	long long		 mtime_s, mtime_ns, ctime_s, ctime_ns;
};
void	 dipb_tagsnap_fileid(struct dipb_fileid *,
	    const struct dipb_tagsnap *);
int	 dipb_fileid_eq(const struct dipb_fileid *,
	    const struct dipb_fileid *);
/*
 * 1 when the snapshot's identity of packed-refs may be kept to stand for
 * its bytes: the file is still the one it read, and it was last changed
 * long enough ago (100 ms) that no later file can have the same ctime.
 * A file changed in the same tick of the clock as another could, if it
 * took its inode back, which the snapshot's mapping keeps while it lives.
 */
int	 dipb_tagsnap_settled(const struct dipb_tagsnap *);
/* The snapshot's loose tags, sorted by name (target "": broken). */
const struct dipb_tagref *dipb_tagsnap_loose(const struct dipb_tagsnap *,
	    size_t *n);
/*
 * The tag named as the len bytes at name (without "refs/tags/") in the
 * snapshot's packed-refs, overridden by a loose one or not: 1 and its
 * id's 40 hex digits in hex, lower case whatever the file's case (git's
 * reader takes either), 0 (hex "") when it has none, -1 when what it
 * read of the file is malformed.  O(log n) lines read.
 */
int	 dipb_tagsnap_packed(char hex[DIPB_OID_HEX + 1],
	    const struct dipb_tagsnap *, const char *name, size_t len);
const struct dipb_error *dipb_git_tag_peel(char out[DIPB_OID_HEX + 1],
	    enum dipb_object_type *type, int *annotated, struct dipb_repo *,
	    const char *id);
/*
 * As dipb_git_tag_peel, and *misnamed 1 when id is a tag object whose
 * 'tag' line names another tag than name (git describe: "externally
 * known as"), read from the object the peel reads anyway.
 */
const struct dipb_error *dipb_git_tag_peel_as(char out[DIPB_OID_HEX + 1],
	    enum dipb_object_type *type, int *annotated, int *misnamed,
	    struct dipb_repo *, const char *id, const char *name);
/*
 * The commit tag reference t leads to, into out: its target peeled
 * (dipb_git_tag_peel), as git rev-parse TAG^{} reads the objects, never
 * packed-refs' peeled line; *found 0 when it leads to no commit (broken,
 * a tag of a tree or a blob, whatever its 'type' line says, or of a
 * missing object).  An error when an
 * object could not be read (too many open files, out of memory).
 */
const struct dipb_error *dipb_git_tagref_commit(char out[DIPB_OID_HEX + 1],
	    int *found, struct dipb_repo *, const struct dipb_tagref *t);

/*
 * An annotated tag object (read by src/git/object.c, parsed by
 * objparse.c), read as git verify-tag reads it: the object it tags, its
 * tagger, and when signed, the signature (from the last line starting an
 * armored signature, "-----BEGIN SSH SIGNATURE-----" or an OpenPGP or
 * X.509 one, to the end) and the payload (the tag's bytes before it:
 * what was signed), both NUL-terminated; NULL when unsigned.
 * DIPB_ERR_NOT_FOUND when id is missing, DIPB_ERR_CORRUPT when it is not
 * a well-formed tag.  Release with dipb_tag_release().
 */
struct dipb_tag {
	char		 id[DIPB_OID_HEX + 1];
	char		 object[DIPB_OID_HEX + 1];
	enum dipb_object_type type;	/* of object */
	char		*name;		/* its 'tag' line: the tag's name */
	char		*tagger_name;	/* NULL when there is no tagger */
	char		*tagger_email;
	int64_t		 tagger_time;
	char		*signature;
	size_t		 signature_len;
	char		*payload;
	size_t		 payload_len;
};
const struct dipb_error *dipb_git_tag_read(struct dipb_tag *out,
	    struct dipb_repo *, const char *id);
void	 dipb_tag_release(struct dipb_tag *);

/*
 * The records at a commit (src/git/records.c), the one rule for the tip
 * and for history alike: the regular files (mode 100644 or 100755) at a
 * path record.h's one rule takes (dipb_record_file: any <name>.yaml, a
 * dotfile too, of recommendations/ and of every folder below it,
 * DIPB_RECORD_DEPTH deep; a folder deeper still is passed over);
 * dipb_git_is_record: entry e at path (len bytes) is one.  A symbolic link
 * or a submodule is no record
 * file (each is handed to fn as dipb_repo_blob_fn says).
 * dipb_git_records_tree: the recommendations
 * tree of root tree (hex; NULL out when there is none).
 * dipb_git_each_record: fn for each record file at commit (hex), in git's
 * tree order (a folder sorts as its name and '/'), with path, contents
 * and arg, and for each symbolic link or
 * gitlink named as one with data NULL (len its mode), unread, for the
 * caller to report (dipb_records_add, session.h);
 * dipb_git_each_record_tree the same from a root tree (the tip's, for
 * dipb_repo_each_record).
 */
int	 dipb_git_is_record(const struct dipb_tree_entry *, const char *path,
	    size_t len);
const struct dipb_error *dipb_git_records_tree(struct dipb_tree **out,
	    struct dipb_repo *, const char *root);
const struct dipb_error *dipb_git_each_record(struct dipb_repo *,
	    const char *commit, dipb_repo_blob_fn fn, void *arg);
const struct dipb_error *dipb_git_each_record_tree(struct dipb_repo *,
	    const char *root, dipb_repo_blob_fn fn, void *arg);

#endif /* DIPB_REPO_H */

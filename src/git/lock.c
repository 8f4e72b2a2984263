/*
 * git/lock.c - locks: the repository's (dipb.lock, flock), and git's
 * "<file>.lock" files, all taken through one retry loop with backoff.
 * Their modes are perm.c's: dipb.lock is made in core.sharedRepository's
 * (dipb_git_perm_create), a lock file given it before a byte is written
 * (dipb_git_perm_fix), which it keeps when renamed into place.
 *
 * The calling sequence of a lock file, as git's and got's:
 *
 *	dipb_git_lock_hold(&lf, r, path, retries);	creates path.lock
 *	dipb_git_lock_write(&lf, data, len, fsync);	writes it
 *	dipb_git_lock_commit(&lf);			renames it over path
 *	dipb_git_lock_rollback(&lf);			always: removes it
 *							unless committed
 */
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"
#include "../error.h"
#include "../text.h"
#include "../util.h"

#define BACKOFF_MIN_NS	(2L * 1000 * 1000)
#define BACKOFF_MAX_NS	(100L * 1000 * 1000)

static void
sleep_ns(long ns)
{
	struct timespec ts;

	ts.tv_sec = ns / 1000000000L;
	ts.tv_nsec = ns % 1000000000L;
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/* Exponential backoff with jitter: a delay in [d/2, d]. */
static long
jitter(long d, unsigned *seed)
{
	return d / 2 + (long)(rand_r(seed) % (unsigned)(d / 2 + 1));
}

int
dipb_git_retry(int retries, int (*try)(void *), void *arg)
{
	struct timespec now;
	unsigned seed;
	long delay = BACKOFF_MIN_NS;
	int i, rc;

	clock_gettime(CLOCK_MONOTONIC, &now);
	seed = (unsigned)getpid() ^ (unsigned)now.tv_nsec;
	for (i = 0;; i++) {
		if ((rc = try(arg)) != DIPB_GIT_BUSY || i >= retries)
			return rc;
		sleep_ns(jitter(delay, &seed));
		delay = delay * 2 > BACKOFF_MAX_NS ? BACKOFF_MAX_NS : delay * 2;
	}
}

/* ---- lock files -------------------------------------------------- */

/* "3 hours": how long ago t was, roughly, for a message. */
static void
age(char *out, size_t size, time_t t)
{
	static const struct {
		long		 secs;
		const char	*unit;
	} units[] = { { 86400, "day" }, { 3600, "hour" }, { 60, "minute" },
	    { 1, "second" } };
	time_t now = time(NULL);
	long d = now > t ? (long)(now - t) : 0, n = 0;
	size_t i;

	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		/* 90 minutes say "90 minutes", 2 hours "2 hours" */
		if ((n = d / units[i].secs) >= 2 || units[i].secs == 1)
			break;
	snprintf(out, size, "%ld %s%s", n, units[i].unit, n == 1 ? "" : "s");
}

/*
 * path as the user knows it: from the current directory if in the
 * working tree, where the file a message says to remove is removed
 * (dipb_repo_path_here).  Caller frees.
 */
static char *
shown(const struct dipb_repo *r, const char *path)
{
	char *here = r != NULL && r->workdir != NULL ?
	    dipb_repo_path_here(r, path) : xstrdup(path);
	char *line = dipb_text_clean_line(here);

	free(here);
	return line;
}

const struct dipb_error *
dipb_git_lock_busy(const struct dipb_repo *r, const char *lock)
{
	const struct dipb_error *err;
	struct stat st;
	char ago[64], *name = shown(r, lock);

	if (lstat(lock, &st) == -1)
		err = dipb_error_fmt(DIPB_ERR_BUSY, "repository busy, retry "
		    "('%s' was held by another program)", name);
	else {
		age(ago, sizeof(ago), st.st_mtime);
		err = dipb_error_fmt(DIPB_ERR_BUSY, "'%s' exists, made %s "
		    "ago: another git or dipb may be running; if none is, "
		    "remove it", name, ago);
	}
	free(name);
	return err;
}

/*
 * dipb's mark on a lock file it holds (internal.h): git gives the sticky
 * bit to no file (its modes are 0666 less the umask, then
 * core.sharedRepository's, which touches 0777 only), and open(2) sets it
 * with the file, so a lock is never seen without it before it is renamed
 * into place.
 */
#define LOCK_MARK	S_ISVTX

static int
try_create(void *arg)
{
	struct dipb_git_lockfile *lf = arg;

	lf->fd = open(lf->lock, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0666 | LOCK_MARK);
	if (lf->fd != -1)
		return DIPB_GIT_DONE;
	/* A folder in the way (EISDIR, ENOTDIR) is someone else's too. */
	if (errno == EEXIST || errno == EISDIR || errno == ENOTDIR)
		return DIPB_GIT_BUSY;
	return DIPB_GIT_FAILED;
}

const struct dipb_error *
dipb_git_lock_hold(struct dipb_git_lockfile *lf, const struct dipb_repo *r,
    const char *path, int retries)
{
	const struct dipb_error *err;
	struct stat st;
	int rc;

	lf->path = xstrdup(path);
	lf->lock = xasprintf("%s.lock", path);
	lf->fd = -1;
	lf->held = 0;
	rc = dipb_git_retry(retries, try_create, lf);
	if (rc == DIPB_GIT_FAILED)
		return dipb_error_from_errno("%s", lf->lock);
	if (rc == DIPB_GIT_BUSY)
		return dipb_git_lock_busy(r, lf->lock);
	lf->held = 1;
	if (fstat(lf->fd, &st) == -1)
		return dipb_error_from_errno("%s", lf->lock);
	/* A file system that drops the mark: such a lock stays if dipb is
	 * killed, as git's do. */
	if (!(st.st_mode & LOCK_MARK))
		(void)fchmod(lf->fd, (st.st_mode & 0777) | LOCK_MARK);
	/*
	 * As git's lock files: 0666 less the umask, then
	 * core.sharedRepository's mode, given now, before a byte is written
	 * (git's adjust_shared_perm on the lock), the mark kept: the file a
	 * member's umask 077 made is never in place unreadable to the group,
	 * not even for the moment after its rename, nor for good when the
	 * member is killed then (dipb-git(7)).  Its mode once in place: the
	 * same without the mark (dipb_git_lock_commit).
	 */
	if ((err = dipb_git_perm_fix(r, lf->lock, lf->fd)) != NULL)
		return err;
	lf->mode = dipb_git_perm_mode(r, S_IFREG | (st.st_mode & 0777));
	return NULL;
}

const struct dipb_error *
dipb_git_lock_write(struct dipb_git_lockfile *lf, const char *data,
    size_t len, int do_fsync)
{
	const struct dipb_error *err;
	int fd = lf->fd;

	/*
	 * Closed once written, as its close reports a write that failed
	 * (NFS): no descriptor stays per lock, as a sync holds one lock per
	 * tag it brings (dipb_git_update_refs), thousands at once.
	 */
	lf->fd = -1;
	err = dipb_write_all(fd, lf->lock, data, len, do_fsync);
	if (err == NULL && fstat(fd, &lf->st) == -1)
		err = dipb_error_from_errno("%s", lf->lock);
	if (close(fd) == -1 && err == NULL)
		err = dipb_error_from_errno("%s", lf->lock);
	return err;
}

/* Whether a and b are one file as written: not another made since. */
static int
same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino &&
	    a->st_mode == b->st_mode && a->st_size == b->st_size &&
	    a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
	    a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

/*
 * The lock file written, opened again for its mode: the very file
 * written (same_file), never a link nor another file put there since,
 * nor a FIFO waited on; another file there, or a link, is not ours to
 * remove (held 0).
 */
static const struct dipb_error *
lock_reopen(int *fd, struct dipb_git_lockfile *lf)
{
	struct stat st;
	int e;

	if ((*fd = dipb_git_open_own(lf->lock)) == -1) {
		e = errno;
		if (e != ELOOP && e != ENOENT && e != ENXIO && e != EACCES &&
		    e != EISDIR)
			return dipb_error_from_errno("%s", lf->lock);
	} else if (fstat(*fd, &st) == 0 && same_file(&st, &lf->st))
		return NULL;
	if (*fd != -1)
		close(*fd);
	*fd = -1;
	lf->held = 0;
	return dipb_error_fmt(DIPB_ERR_BUSY, "repository busy, retry ('%s' "
	    "was replaced by another program)", lf->lock);
}

const struct dipb_error *
dipb_git_lock_commit(struct dipb_git_lockfile *lf)
{
	const struct dipb_error *err;
	int fd;

	if ((err = lock_reopen(&fd, lf)) != NULL)
		return err;
	if (rename(lf->lock, lf->path) == -1) {
		err = dipb_error_from_errno("%s", lf->path);
		close(fd);
		return err;
	}
	lf->held = 0;
	/*
	 * The mark goes once the file is in place, so that a lock file left
	 * is always known; the rest of its mode it had from its creation.
	 * Through the descriptor, never by path: a member who can write the
	 * git dir may by now have put a link to someone's private file
	 * there.  A file of dipb's own that it cannot chmod is no reason to
	 * undo what is done.  A kill before it is mended by the recovery of
	 * the lock's owner (dipb_git_lock_unmark); another member's recovery
	 * cannot fchmod another's file (EPERM), and the file keeps the mark,
	 * which is harmless: git and dipb read it (dipb-git(7)).
	 */
	(void)fchmod(fd, lf->mode);
	close(fd);
	return NULL;
}

void
dipb_git_lock_rollback(struct dipb_git_lockfile *lf)
{
	if (lf->fd != -1)
		close(lf->fd);
	if (lf->held)
		unlink(lf->lock);	/* not renamed into place */
	free(lf->path);
	free(lf->lock);
	*lf = (struct dipb_git_lockfile)DIPB_GIT_LOCKFILE_INIT;
}

/* 1 when path is a regular file with dipb's mark; its stat data in *st. */
static int
marked(const char *path, struct stat *st)
{
	return lstat(path, st) == 0 && S_ISREG(st->st_mode) &&
	    (st->st_mode & LOCK_MARK);
}

int
dipb_git_lock_ours(const char *lock)
{
	struct stat st;

	return marked(lock, &st);
}

void
dipb_git_lock_unmark(const struct dipb_repo *r, const char *path)
{
	struct stat st;
	int fd;

	/* Through a descriptor of the file itself, never a link's target. */
	if (!marked(path, &st) || (fd = dipb_git_open_own(path)) == -1)
		return;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    (st.st_mode & LOCK_MARK))
		(void)fchmod(fd, dipb_git_perm_mode(r,
		    S_IFREG | (st.st_mode & 0777)));
	close(fd);
}

/* ---- the repository lock ----------------------------------------- */

/*
 * flock, not a lock file: the kernel drops the lock when its holder
 * dies, so a killed dipb never blocks the repository.
 */
static int
try_flock(void *arg)
{
	int *fd = arg, rc;

	while ((rc = flock(*fd, LOCK_EX | LOCK_NB)) == -1 && errno == EINTR)
		;
	if (rc == 0)
		return DIPB_GIT_DONE;
	return errno == EWOULDBLOCK ? DIPB_GIT_BUSY : DIPB_GIT_FAILED;
}

/*
 * Opens dipb.lock, made with core.sharedRepository's mode.  flock needs
 * no write access: one another user made without group write (before
 * dipb knew the setting) is opened for reading.  Never through a
 * symbolic link, and never anything but a regular file (a FIFO is not
 * waited on): else *fd is -1 and the error names the path.
 */
static const struct dipb_error *
open_lock(int *fd, const struct dipb_repo *r, const char *path)
{
	const struct dipb_error *err;
	struct stat st;
	int flags = O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK;

	if ((err = dipb_git_perm_create(fd, r, path, O_RDWR)) != NULL ||
	    *fd != -1)
		return err;
	if (errno != EEXIST)
		return dipb_error_from_errno("%s", path);
	if ((*fd = open(path, O_RDWR | flags)) == -1 && errno == EACCES)
		*fd = open(path, O_RDONLY | flags);
	if (*fd == -1 && errno == EACCES)
		return dipb_git_perm_refused(r, path, "a file", EACCES, 0444);
	if (*fd == -1 && errno != ELOOP && errno != EISDIR)
		return dipb_error_from_errno("%s", path);
	if (*fd != -1 && fstat(*fd, &st) == 0 && S_ISREG(st.st_mode))
		return NULL;
	if (*fd != -1)
		close(*fd);
	*fd = -1;
	return dipb_error_fmt(DIPB_ERR_IO, "%s is not a regular file (a "
	    "symbolic link, a folder, a device): dipb's lock is a file of "
	    "its own, never opened through a link; remove it, then retry",
	    path);
}

/*
 * dipb.lock is the repository's, in the common git dir: its linked
 * working trees (git worktree add) share the refs and the tags a change
 * makes, the packed-refs git's housekeeping rewrites, and the journals
 * of one another that a command settles (journal.c); a lock of each
 * working tree's own let a reader in one see another's change in flight.
 */
static char *
lock_path(const struct dipb_repo *r)
{
	return xasprintf("%s%s", git_repository_commondir(r->git),
	    DIPB_GIT_LOCK_FILE);
}

/*
 * err, the lock's open failed, said plainly when the repository itself
 * is gone: removed since dipb opened it (while it waited for the lock),
 * as a dipb init takes back the .git it made (dipb-init(1)).
 * DIPB_ERR_CHANGED, exit 4.
 */
static const struct dipb_error *
lock_gone(const struct dipb_repo *r, const struct dipb_error *err)
{
	const char *dir = git_repository_commondir(r->git);
	struct stat st;

	if (lstat(dir, &st) == 0 || errno != ENOENT)
		return err;
	dipb_error_free(err);
	return dipb_error_fmt(DIPB_ERR_CHANGED, "the repository '%.*s' is "
	    "gone, removed since dipb opened it: nothing was written "
	    "(retry)", (int)strlen(dir) - 1, dir);
}

int
dipb_git_fd_named(int fd, const char *path)
{
	struct stat held, at;

	return fstat(fd, &held) == 0 && lstat(path, &at) == 0 &&
	    held.st_dev == at.st_dev && held.st_ino == at.st_ino;
}

const struct dipb_error *
dipb_git_lock_repo(struct dipb_repo *r, int *held, int retries)
{
	const struct dipb_error *err = NULL;
	char *path = lock_path(r);
	int fd, rc;

	*held = 0;
	if ((err = dipb_git_perm_load(r)) != NULL)
		goto done;
	do {
		/* Nothing made in a .git put where dipb init's was. */
		if ((err = dipb_git_dotgit_changed(r, 0)) != NULL)
			goto done;
		if ((err = open_lock(&fd, r, path)) != NULL) {
			err = lock_gone(r, err);
			goto done;
		}
		rc = dipb_git_retry(retries, try_flock, &fd);
		if (rc == DIPB_GIT_FAILED)
			err = dipb_error_from_errno("%s", path);
		if (rc != DIPB_GIT_DONE) {
			close(fd);
			goto done;
		}
		/* A dipb.lock removed since it was opened (a dipb whose new
		 * one could not be given its mode removes it:
		 * dipb_git_perm_create), or another put there, is not the
		 * repository's lock; another dipb may hold the one at path. */
		if (dipb_git_fd_named(fd, path))
			break;
		close(fd);	/* not the lock: the one there, again */
	} while (1);
	r->lock_fd = fd;
	*held = 1;
done:
	free(path);
	return err;
}

/*
 * The process that holds the flock on path, from /proc/locks (Linux's
 * "1: FLOCK  ADVISORY  WRITE <pid> <maj>:<min>:<inode> 0 EOF"); 0 when
 * it cannot be known.
 */
static long
flock_holder(const char *path)
{
	struct stat st;
	char line[256], kind[16];
	unsigned maj, min;
	unsigned long ino;
	long pid, found = 0;
	FILE *f;

	if (stat(path, &st) == -1 || (f = fopen("/proc/locks", "r")) == NULL)
		return 0;
	while (found == 0 && fgets(line, sizeof(line), f) != NULL)
		if (strstr(line, "->") == NULL && sscanf(line,
		    "%*d: %15s %*s %*s %ld %x:%x:%lu", kind, &pid, &maj, &min,
		    &ino) == 5 && strcmp(kind, "FLOCK") == 0 &&
		    ino == (unsigned long)st.st_ino &&
		    maj == major(st.st_dev) && min == minor(st.st_dev))
			found = pid;
	fclose(f);
	return found;
}

/*
 * Another dipb holds the repository lock: the kernel drops an flock
 * with its holder, so a lock held is a process alive (dipb.lock itself
 * stays, and is no sign of anything).
 */
static const struct dipb_error *
repo_busy(const struct dipb_repo *r)
{
	const struct dipb_error *err;
	char *path = lock_path(r), *name = shown(r, path);
	long pid = flock_holder(path);

	if (pid > 0)
		err = dipb_error_fmt(DIPB_ERR_BUSY, "repository busy, retry: "
		    "'%s' is locked by process %ld, a dipb changing the "
		    "board; retry when it has finished", name, pid);
	else
		err = dipb_error_fmt(DIPB_ERR_BUSY, "repository busy, retry: "
		    "'%s' is locked by a running process, a dipb changing "
		    "the board; retry when it has finished", name);
	free(name);
	free(path);
	return err;
}

/*
 * Whether dipb can write where a change writes: the git dir (journal,
 * index, HEAD's log), the objects, the refs.  access(2) says EROFS for
 * a read-only mount, EACCES for folders the user may not write.
 */
static const struct dipb_error *
check_writable(const struct dipb_repo *r)
{
	const char *common = git_repository_commondir(r->git);
	char *dirs[4], *show;
	const struct dipb_error *err = NULL;
	size_t i;

	dirs[0] = xstrdup(r->gitdir);
	dirs[1] = xstrdup(common);
	dirs[2] = dipb_git_objects_dir(r);
	dirs[3] = xasprintf("%srefs/", common);
	for (i = 0; i < 4 && err == NULL; i++)
		if (access(dirs[i], W_OK) == -1 && errno != ENOENT) {
			show = dipb_text_clean_line(dirs[i]);
			err = dipb_error_fmt(DIPB_ERR_IO, "cannot write the "
			    "%s '%s': %s: a change needs write access to "
			    "it (reading commands work without)",
			    i == 2 ? "objects folder" : "git dir", show,
			    strerror(errno));
			free(show);
		}
	for (i = 0; i < 4; i++)
		free(dirs[i]);
	return err;
}

static int
try_absent(void *arg)
{
	return access(arg, F_OK) == -1 ? DIPB_GIT_DONE : DIPB_GIT_BUSY;
}

const struct dipb_error *
dipb_git_check_lock(struct dipb_repo *r, const char *path)
{
	const struct dipb_error *err = NULL;
	char *lock = xasprintf("%s.lock", path);

	if (dipb_git_retry(r->retries, try_absent, lock) != DIPB_GIT_DONE)
		err = dipb_git_lock_busy(r, lock);
	free(lock);
	return err;
}

const struct dipb_error *
dipb_git_check_ref_lock(struct dipb_repo *r, const char *ref)
{
	const struct dipb_error *err;
	char *path = xasprintf("%s%s", git_repository_commondir(r->git), ref);

	err = dipb_git_check_lock(r, path);
	free(path);
	return err;
}

const struct dipb_error *
dipb_git_check_locks(struct dipb_repo *r)
{
	const struct dipb_error *err;
	char *head = xasprintf("%sHEAD", r->gitdir);

	if ((err = dipb_git_check_lock(r, r->index_path)) == NULL &&
	    (err = dipb_git_check_lock(r, head)) == NULL)
		err = dipb_git_check_ref_lock(r, r->branch_ref);
	free(head);
	return err;
}

/*
 * The change a killed dipb left, finished or discarded (dipb_git_recover).
 * A reader leaves to a later command, with a warning, one whose refs are
 * settled and whose working files or index alone cannot be written now
 * (another program's index.lock): the refs it reads are then the ones
 * the change leaves (dipb-verify(1)).  Refs that cannot be put right (a
 * lock file left on one, DIPB_ERR_BUSY naming it) stop it as they stop
 * a writer: it would read a change in flight.  Waited for already at
 * open when r->unsettled is set (dipb_git_recover_left): tried once
 * more at once, the lock in its way gone since or not.  This try says
 * what is left, once: open's warning goes, as an error or a warning
 * repeats it, and no change is left when it succeeds.
 */
static const struct dipb_error *
settle_left(struct dipb_repo *r, int reading)
{
	const struct dipb_error *err;
	int files, retries = r->retries;

	if (reading && r->unsettled)
		r->retries = 0;
	err = dipb_git_recover(&files, r);
	r->retries = retries;
	r->unsettled = err != NULL;
	if (r->unsettled_warning != NULL) {
		dipb_git_unwarn(r, r->unsettled_warning);
		free(r->unsettled_warning);
		r->unsettled_warning = NULL;
	}
	if (err == NULL || !reading || !files)
		return err;
	dipb_repo_warn(r, err->msg);
	dipb_error_free(err);
	return NULL;
}

/*
 * err, the lock not taken: a reader without write access to the git dir
 * (DIPB_ERR_IO, a read-only checkout) reads without it (dipb-verify(1)).
 * Recovery's errors are not these: they stop a reader as a writer.
 */
static const struct dipb_error *
unlocked(const struct dipb_error *err, int reading)
{
	if (!reading || err->code != DIPB_ERR_IO)
		return err;
	dipb_error_free(err);
	return NULL;
}

static const struct dipb_error *
begin(struct dipb_repo *r, int reading)
{
	const struct dipb_error *err;
	int held;

	if (r->lock_fd >= 0)
		return NULL;
	if ((err = check_writable(r)) != NULL ||
	    (err = dipb_git_lock_repo(r, &held, r->retries)) != NULL)
		return unlocked(err, reading);
	if (!held)
		return repo_busy(r);
	if ((err = dipb_git_perm_odb(r)) == NULL &&
	    (err = settle_left(r, reading)) == NULL)
		err = dipb_git_load_head(r);
	if (err != NULL)
		dipb_repo_end(r);
	return err;
}

const struct dipb_error *
dipb_repo_begin(struct dipb_repo *r)
{
	return begin(r, 0);
}

const struct dipb_error *
dipb_repo_begin_read(struct dipb_repo *r)
{
	return begin(r, 1);
}

int
dipb_repo_locked(const struct dipb_repo *r)
{
	return r != NULL && r->lock_fd >= 0;
}

void
dipb_repo_end(struct dipb_repo *r)
{
	if (r == NULL || r->lock_fd < 0)
		return;
	dipb_git_index_unhold(r);
	flock(r->lock_fd, LOCK_UN);
	close(r->lock_fd);
	r->lock_fd = -1;
}

void
dipb_repo_set_retries(struct dipb_repo *r, int retries)
{
	r->retries = retries < 0 ? 0 : retries;
}

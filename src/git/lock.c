/*
 * git/lock.c - locks: the repository's (dipb.lock, flock), and git's
 * "<file>.lock" files, all taken through one retry loop with backoff.
 *
 * The calling sequence of a lock file, as git's and got's:
 *
 *	dipb_git_lock_hold(&lf, &held, path, retries);	creates path.lock
 *	dipb_git_lock_write(&lf, data, len, fsync);	writes it, closes it
 *	dipb_git_lock_commit(&lf);			renames it over path
 *	dipb_git_lock_rollback(&lf);			always: removes it
 *							unless committed
 */
#include <sys/file.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"
#include "../error.h"
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

static int
try_create(void *arg)
{
	struct dipb_git_lockfile *lf = arg;

	lf->fd = open(lf->lock, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0666);
	if (lf->fd != -1)
		return DIPB_GIT_DONE;
	/* A folder in the way (EISDIR, ENOTDIR) is someone else's too. */
	if (errno == EEXIST || errno == EISDIR || errno == ENOTDIR)
		return DIPB_GIT_BUSY;
	return DIPB_GIT_FAILED;
}

const struct dipb_error *
dipb_git_lock_hold(struct dipb_git_lockfile *lf, int *held, const char *path,
    int retries)
{
	int rc;

	*held = 0;
	lf->path = xstrdup(path);
	lf->lock = xasprintf("%s.lock", path);
	lf->fd = -1;
	lf->held = 0;
	rc = dipb_git_retry(retries, try_create, lf);
	if (rc == DIPB_GIT_FAILED)
		return dipb_error_from_errno("%s", lf->lock);
	*held = lf->held = rc == DIPB_GIT_DONE;
	return NULL;
}

const struct dipb_error *
dipb_git_lock_write(struct dipb_git_lockfile *lf, const char *data,
    size_t len, int do_fsync)
{
	const struct dipb_error *err;
	int fd = lf->fd;

	lf->fd = -1;
	err = dipb_write_all(fd, lf->lock, data, len, do_fsync);
	if (close(fd) == -1 && err == NULL)
		err = dipb_error_from_errno("%s", lf->lock);
	return err;
}

const struct dipb_error *
dipb_git_lock_commit(struct dipb_git_lockfile *lf)
{
	if (rename(lf->lock, lf->path) == -1)
		return dipb_error_from_errno("%s", lf->path);
	lf->held = 0;
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
	memset(lf, 0, sizeof(*lf));
	lf->fd = -1;
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

const struct dipb_error *
dipb_git_lock_repo(struct dipb_repo *r, int *held, int retries)
{
	const struct dipb_error *err = NULL;
	char *path = xasprintf("%s%s", r->gitdir, DIPB_GIT_LOCK_FILE);
	int fd, rc;

	*held = 0;
	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666)) == -1) {
		err = dipb_error_from_errno("%s", path);
		goto done;
	}
	rc = dipb_git_retry(retries, try_flock, &fd);
	if (rc == DIPB_GIT_FAILED)
		err = dipb_error_from_errno("%s", path);
	if (rc != DIPB_GIT_DONE) {
		close(fd);
		goto done;
	}
	r->lock_fd = fd;
	*held = 1;
done:
	free(path);
	return err;
}

const struct dipb_error *
dipb_repo_begin(struct dipb_repo *r)
{
	const struct dipb_error *err;
	int held;

	if (r->lock_fd >= 0)
		return NULL;
	if ((err = dipb_git_lock_repo(r, &held, r->retries)) != NULL)
		return err;
	if (!held)
		return dipb_error(DIPB_ERR_BUSY);
	if ((err = dipb_git_recover(r)) == NULL)
		err = dipb_git_load_head(r);
	if (err != NULL)
		dipb_repo_end(r);
	return err;
}

void
dipb_repo_end(struct dipb_repo *r)
{
	if (r == NULL || r->lock_fd < 0)
		return;
	flock(r->lock_fd, LOCK_UN);
	close(r->lock_fd);
	r->lock_fd = -1;
}

void
dipb_repo_set_retries(struct dipb_repo *r, int retries)
{
	r->retries = retries < 0 ? 0 : retries;
}

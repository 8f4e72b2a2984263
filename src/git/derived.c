/*
 * git/derived.c - derived data kept beside the repository, under
 * <git dir>/dipb/ (repo.h): files that dipb can always make again from
 * the objects and refs, such as dipb verify's checkpoints
 * (dipb-verify(1), "CHECKPOINTS").  Written whole or not at all; a file
 * that cannot be read or written is as if there were none.
 *
 * dipb trusts what it reads there (a record's parsed form, the state of
 * verify's replay), so a file is read only when it is the user's own
 * and nobody else can write it: in a shared repository
 * (core.sharedRepository; dipb-git(7)) every member of the group can
 * write the git dir, and one member's file, or a file writable by the
 * group, could say what another's history does not.  So each file is
 * written writable by its owner alone, whatever core.sharedRepository
 * asks, and in a shared repository each user's are kept apart, in
 * <git dir>/dipb/users/<uid>/, so that members do not keep replacing
 * each other's (dipb(1), FILES).
 */
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../error.h"
#include "../util.h"
#include "internal.h"

static char *
derived_path(const struct dipb_repo *r, const char *name)
{
	if (dipb_git_perm_shared(r))
		return xasprintf("%sdipb/users/%lu/%s", dipb_repo_gitdir(r),
		    (unsigned long)geteuid(), name);
	return xasprintf("%sdipb/%s", dipb_repo_gitdir(r), name);
}

/*
 * 1 when the file opened, of status st, is one to trust: the user's own
 * and writable by nobody else (derived.c's top comment).  Root's own
 * only, too: another member's file is not root's to believe.
 */
static int
own(const struct stat *st)
{
	return st->st_uid == geteuid() &&
	    (st->st_mode & (S_IWGRP | S_IWOTH)) == 0;
}

void
dipb_repo_derived_read(struct dipb_buf *out, int *found,
    const struct dipb_repo *r, const char *name, size_t max)
{
	char *path = derived_path(r, name);
	struct stat st;
	int fd;

	dipb_buf_clear(out);
	*found = 0;
	/* Never a FIFO's wait for a writer: "as if there were none". */
	fd = dipb_open_regular(path, O_NOFOLLOW, &st);
	free(path);
	if (fd < 0)
		return;
	if (own(&st) && (max == 0 || (size_t)st.st_size <= max) &&
	    dipb_read_fd(out, fd, max) == 0)
		*found = 1;
	else
		dipb_buf_clear(out);
	close(fd);
}


struct dipb_derived {
	char			*path;
	char			*tmp;
	int			 fd;
	int			 slot;	/* dipb_tmp_watch's */
	const struct dipb_error	*err;	/* the first write's that failed */
};

/* A leftover this old, of a process not running here, is removed. */
#define LEFTOVER_AGE	(24 * 60 * 60)

/*
 * 1 when name is "<file>.dipb-tmp.<pid>" (dipb_repo_derived_begin's), of a
 * process not running on this machine (kill: ESRCH), last written more
 * than a day before now.  A killed writer (SIGKILL, a crash of the
 * machine) leaves one behind, the records cache's 19 MB at 30,000
 * records, and no later run removes another pid's.  A day as well, as a
 * shared repository's git dir on NFS may be another machine's writer's,
 * whose pid means nothing here.
 */
static int
leftover(const char *dir, const char *name, time_t now)
{
	static const char suffix[] = DIPB_GIT_TMP_SUFFIX ".";
	const char *p = strstr(name, suffix), *q;
	struct stat st;
	char *path;
	long pid;
	int old;

	if (p == NULL || p == name)
		return 0;
	p += sizeof(suffix) - 1;
	for (q = p; *q >= '0' && *q <= '9'; q++)
		;
	if (q == p || *q != '\0' || q - p > 9 || (pid = atol(p)) <= 0)
		return 0;
	if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
		return 0;
	path = xasprintf("%s/%s", dir, name);
	old = lstat(path, &st) == 0 && S_ISREG(st.st_mode) &&
	    st.st_mtime < now - LEFTOVER_AGE;
	free(path);
	return old;
}

/* The leftovers (leftover()) of killed writers in path's folder removed. */
static void
remove_leftovers(const char *path)
{
	char *dir = xstrdup(path), *slash = strrchr(dir, '/'), *p;
	time_t now = time(NULL);
	struct dirent *de;
	DIR *d;

	if (slash != NULL)
		*slash = '\0';
	if (slash != NULL && (d = opendir(dir)) != NULL) {
		while ((de = readdir(d)) != NULL)
			if (leftover(dir, de->d_name, now)) {
				p = xasprintf("%s/%s", dir, de->d_name);
				(void)unlink(p);
				free(p);
			}
		closedir(d);
	}
	free(dir);
}

char *
dipb_repo_drafts_dir(const struct dipb_repo *r)
{
	char *dir = xasprintf("%sdipb/drafts", dipb_repo_gitdir(r));

	/* Each part a '/' ends: <git dir>/dipb only. */
	dipb_error_free(dipb_git_make_dirs(NULL, r, dir,
	    strlen(dipb_repo_gitdir(r)), 0));
	return dir;
}

struct dipb_derived *
dipb_repo_derived_begin(const struct dipb_repo *r, const char *name)
{
	struct dipb_derived *d;
	char *path = derived_path(r, name);
	const struct dipb_error *err;

	err = dipb_git_make_dirs(NULL, r, path, strlen(dipb_repo_gitdir(r)),
	    0);
	if (err != NULL) {
		dipb_error_free(err);
		free(path);
		return NULL;
	}
	d = xcalloc(1, sizeof(*d));
	d->path = path;
	d->tmp = xasprintf("%s.dipb-tmp.%ld", path, (long)getpid());
	/* A leftover of a killed writer, as dipb_write_replace does; and
	 * those of others long dead. */
	(void)unlink(d->tmp);
	remove_leftovers(path);
	d->slot = dipb_tmp_watch(d->tmp);
	/* 0644 less the umask, never core.sharedRepository's group write
	 * (own() above). */
	d->fd = open(d->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0644);
	if (d->fd == -1) {
		dipb_tmp_forget(d->slot);
		free(d->tmp);
		free(d->path);
		free(d);
		return NULL;
	}
	return d;
}

void
dipb_derived_put(struct dipb_derived *d, const char *data, size_t len)
{
	if (d->err == NULL)
		d->err = dipb_write_all(d->fd, d->tmp, data, len, 0);
}

void
dipb_derived_patch(struct dipb_derived *d, size_t at, const char *data,
    size_t len)
{
	ssize_t n;

	while (d->err == NULL && len > 0) {
		if ((n = pwrite(d->fd, data, len, (off_t)at)) == -1) {
			if (errno != EINTR)
				d->err = dipb_error_from_errno("%s", d->tmp);
			continue;
		}
		data += n;
		at += (size_t)n;
		len -= (size_t)n;
	}
}

const struct dipb_error *
dipb_derived_end(struct dipb_derived *d, int keep)
{
	const struct dipb_error *err = d->err;

	if (close(d->fd) == -1 && err == NULL)
		err = dipb_error_from_errno("%s", d->tmp);
	if (keep && err == NULL && rename(d->tmp, d->path) == -1)
		err = dipb_error_from_errno("%s", d->path);
	if (!keep || err != NULL)
		(void)unlink(d->tmp);
	dipb_tmp_forget(d->slot);
	free(d->tmp);
	free(d->path);
	free(d);
	return err;
}

/*
 * Mapped, not read: a large file (the records cache: 19 MB at 30,000
 * records) read into memory took a page fault for each of its fresh 4 KiB
 * pages and a copy of each, where a mapping shares the page cache's pages.
 * A file is only ever replaced whole (renamed over, above), never written
 * in place, so a mapping keeps what it mapped while another dipb replaces
 * it.  Its pages are mapped as they are read, not all at once: a second
 * dipb list reads a fifth of the records cache (cache.c), and mapping
 * all 25 MB of it at 30,000 records was a tenth of its time.
 */
void
dipb_repo_derived_map(const char **data, size_t *len,
    const struct dipb_repo *r, const char *name, size_t max)
{
	char *path = derived_path(r, name);
	struct stat st;
	void *p;
	int fd;

	*data = NULL;
	*len = 0;
	fd = dipb_open_regular(path, O_NOFOLLOW, &st);
	free(path);
	if (fd < 0)
		return;
	if (own(&st) && st.st_size > 0 &&
	    (max == 0 || (uintmax_t)st.st_size <= max) &&
	    (p = mmap(NULL, (size_t)st.st_size, PROT_READ,
	    MAP_PRIVATE, fd, 0)) != MAP_FAILED) {
		*data = p;
		*len = (size_t)st.st_size;
	}
	close(fd);
}

void
dipb_repo_derived_unmap(const char *data, size_t len)
{
	if (data != NULL)
		(void)munmap((void *)(uintptr_t)data, len);
}

void
dipb_repo_derived_write(const struct dipb_repo *r, const char *name,
    const char *data, size_t len)
{
	struct dipb_derived *d;

	if ((d = dipb_repo_derived_begin(r, name)) == NULL)
		return;
	dipb_derived_put(d, data, len);
	/* Derived data: a file not written is made again next time. */
	dipb_error_free(dipb_derived_end(d, 1));
}

/*
 * 1 when a file modified at a is older than one modified at b, now being
 * now: a time still to come is older than any past one, as a file
 * written before the clock was stepped back (dipb-verify(1),
 * "Checkpoints"); otherwise the one written last after the step would be
 * the oldest, and each run would remove the one before it.
 */
static int
older(time_t a, time_t b, time_t now)
{
	if ((a > now) != (b > now))
		return a > now;
	return a < b;
}

void
dipb_repo_derived_prune(const struct dipb_repo *r, const char *dir,
    size_t keep, const char *spare)
{
	char *path = derived_path(r, dir), *oldest = NULL, *p;
	struct dirent *de;
	struct stat st;
	time_t t = 0, now = time(NULL);
	size_t n;
	DIR *d;

	for (;;) {
		if ((d = opendir(path)) == NULL)
			break;
		n = 0;
		free(oldest);
		oldest = NULL;
		while ((de = readdir(d)) != NULL) {
			if (de->d_name[0] == '.' || strchr(de->d_name, '.'))
				continue;
			n++;
			p = xasprintf("%s/%s", path, de->d_name);
			if (lstat(p, &st) == 0 && S_ISREG(st.st_mode) &&
			    (spare == NULL || strcmp(de->d_name, spare) != 0) &&
			    (oldest == NULL || older(st.st_mtime, t, now))) {
				free(oldest);
				oldest = p;
				t = st.st_mtime;
			} else
				free(p);
		}
		closedir(d);
		if (n <= keep || oldest == NULL || unlink(oldest) == -1)
			break;
	}
	free(oldest);
	free(path);
}

void
dipb_repo_derived_list(struct dipb_strlist *out, const struct dipb_repo *r,
    const char *dir)
{
	char *path = derived_path(r, dir);
	struct dirent *de;
	DIR *d;

	if ((d = opendir(path)) != NULL) {
		while ((de = readdir(d)) != NULL)
			if (de->d_name[0] != '.' &&
			    strchr(de->d_name, '.') == NULL)
				dipb_strlist_push(out, de->d_name);
		closedir(d);
	}
	free(path);
}

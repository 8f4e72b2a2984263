/*
 * git/derived.c - derived data kept beside the repository, under
 * <git dir>/dipb/ (repo.h): files that dipb can always make again from
 * the objects and refs, such as dipb verify's checkpoints
 * (dipb-verify(1), "Checkpoints").  Written whole or not at all; a file
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
 * each other's (dipb(1), FILES).  Their folders are reached from the git
 * dir a part at a time, never through a link another could have put
 * there, and used only when the user's own and writable by nobody else
 * (derived_folder), so that no member has dipb write, or prune, in a
 * folder of their choosing (dipb-git(7)).
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
 * 1 when the file or folder opened, of status st, is one to trust: the
 * user's own and writable by nobody else (derived.c's top comment).
 * Root's own only, too: another member's file is not root's to believe.
 */
static int
own(const struct stat *st)
{
	return st->st_uid == geteuid() &&
	    (st->st_mode & (S_IWGRP | S_IWOTH)) == 0;
}

/*
 * The folder part below the folder open as at (of status *st, replaced
 * by part's), opened; with make, made first if missing, of mode (less
 * the umask), *made then 1.  A link is never followed (another could
 * have put it there, to have dipb write, and prune, in a folder of the
 * user's choosing); with trust, the folder must be own() itself.  -1
 * when it cannot be (at is closed either way).
 */
static int
open_part(int at, struct stat *st, const char *part, int make, mode_t mode,
    int trust, int *made)
{
	int flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, fd;

	*made = 0;
	if ((fd = openat(at, part, flags)) == -1 && make && errno == ENOENT) {
		*made = mkdirat(at, part, mode) == 0;
		fd = openat(at, part, flags);
	}
	close(at);
	if (fd != -1 && (fstat(fd, st) == -1 || (trust && !own(st)))) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/*
 * <git dir>/dipb below the git dir open as at (of status *st): as
 * open_part's, but when it is a link in a git dir that is the user's
 * own (as the work repository of examples/pre-receive links the
 * repository's), that one link resolved and no other: the folder its
 * target names is opened from the target's parent folder without
 * following a link (one another could have put there, in a shared
 * repository's git dir, to name a folder of theirs, or the user's, of
 * their choosing); *linked then 1.
 */
static int
open_dipb(int at, struct stat *st, int make, int *made, int *linked)
{
	char target[4096], *base, *slash;
	struct stat lst;
	ssize_t n;
	int parent;

	*made = *linked = 0;
	if (!own(st) || fstatat(at, "dipb", &lst, AT_SYMLINK_NOFOLLOW) == -1 ||
	    !S_ISLNK(lst.st_mode))
		return open_part(at, st, "dipb", make, 0777, 0, made);
	n = readlinkat(at, "dipb", target, sizeof(target));
	if (n <= 0 || (size_t)n >= sizeof(target)) {
		close(at);
		return -1;
	}
	while (n > 1 && target[n - 1] == '/')
		n--;
	target[n] = '\0';
	if ((slash = strrchr(target, '/')) == NULL) {
		base = target;
		parent = openat(at, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	} else {
		base = slash + 1;
		*slash = '\0';
		parent = openat(at, slash == target ? "/" : target,
		    O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	}
	close(at);
	if (parent == -1)
		return -1;
	if (strcmp(base, ".") == 0 || strcmp(base, "..") == 0) {
		close(parent);
		return -1;
	}
	*linked = 1;
	return open_part(parent, st, base, make, 0777, 0, made);
}

/*
 * The shared folder open as fd, <git dir>/NAME, given the modes
 * core.sharedRepository asks (made: by dipb just now), and more, when
 * it is the user's own.
 */
static void
shared_dir(const struct dipb_repo *r, int fd, const char *name, int made,
    mode_t more)
{
	char *path = xasprintf("%s%s", dipb_repo_gitdir(r), name);
	struct stat st;

	dipb_error_free(dipb_git_perm_fix_dir(r, path, fd, made));
	if (more != 0 && fstat(fd, &st) == 0 && st.st_uid == geteuid() &&
	    (st.st_mode & more) != more)
		(void)fchmod(fd, (st.st_mode & 07777) | more);
	free(path);
}

/*
 * The folder of name's file (the part before its last '/'), opened part
 * by part from the git dir, so that no link another could have put there
 * is followed, and that each of the user's folders is theirs alone
 * (derived.c's top comment); *base: name's last part.  <git dir>/dipb
 * alone may be a link (open_dipb).  With make, the folders that are
 * missing made: <git dir>/dipb in the modes core.sharedRepository asks,
 * its users/ too and sticky, as git's own folders are not (chmod(1): no
 * member but its maker renames another's away; what keeps a user's
 * folder theirs is the check here), and the user's own 0755 less the
 * umask;
 * reached through the link, only the folders dipb makes are given
 * modes (one found there may be anyone's).  -1 when there is none to
 * trust, and always for root in a git dir, or a dipb/ folder reached,
 * that is not root's: a folder root made there, or a file, would be one
 * its owner could not write or trust.
 */
static int
derived_folder(const struct dipb_repo *r, const char *name, int make,
    const char **base)
{
	const char *gitdir = dipb_repo_gitdir(r), *p, *slash;
	char uid[24], *part;
	struct stat st;
	int fd, made, linked;

	*base = name;
	if ((fd = open(gitdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return -1;
	if (fstat(fd, &st) == -1 || (geteuid() == 0 && st.st_uid != 0)) {
		close(fd);
		return -1;
	}
	fd = open_dipb(fd, &st, make, &made, &linked);
	if (fd != -1 && geteuid() == 0 && st.st_uid != 0) {
		close(fd);
		return -1;
	}
	if (fd != -1 && make && (made || !linked))
		shared_dir(r, fd, "dipb", made, 0);
	if (fd != -1 && dipb_git_perm_shared(r)) {
		fd = open_part(fd, &st, "users", make, 0777, 0, &made);
		if (fd != -1 && make && (made || !linked))
			shared_dir(r, fd, "dipb/users", made, S_ISVTX);
		(void)snprintf(uid, sizeof(uid), "%lu",
		    (unsigned long)geteuid());
		if (fd != -1)
			fd = open_part(fd, &st, uid, make, 0755, 1, &made);
	}
	for (p = name; fd != -1 && (slash = strchr(p, '/')) != NULL;
	    p = slash + 1) {
		part = xstrndup(p, (size_t)(slash - p));
		fd = open_part(fd, &st, part, make, 0755, 1, &made);
		free(part);
	}
	*base = p;
	return fd;
}

/*
 * name's file, a regular one (never a FIFO's wait for a writer: "as if
 * there were none") that is the user's own (own), opened to read, its
 * status into *st; -1 when there is none to trust.
 */
static int
derived_open(const struct dipb_repo *r, const char *name, struct stat *st)
{
	const char *base;
	int dir, fd;

	if ((dir = derived_folder(r, name, 0, &base)) == -1)
		return -1;
	fd = dipb_open_regular_at(dir, base, O_NOFOLLOW, st);
	close(dir);
	if (fd < 0)
		return -1;
	if (!own(st)) {
		close(fd);
		return -1;
	}
	return fd;
}

void
dipb_repo_derived_read(struct dipb_buf *out, int *found,
    const struct dipb_repo *r, const char *name, size_t max)
{
	struct stat st;
	int fd;

	dipb_buf_clear(out);
	*found = 0;
	if ((fd = derived_open(r, name, &st)) == -1)
		return;
	if ((max == 0 || (size_t)st.st_size <= max) &&
	    dipb_read_fd(out, fd, max) == 0)
		*found = 1;
	else
		dipb_buf_clear(out);
	close(fd);
}


struct dipb_derived {
	char			*path;	/* for messages */
	char			*tmp;
	char			*name;	/* in dir */
	char			*tmpname;
	int			 dir;	/* derived_folder's */
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
leftover(int dir, const char *name, time_t now)
{
	static const char suffix[] = DIPB_GIT_TMP_SUFFIX ".";
	const char *p = strstr(name, suffix), *q;
	struct stat st;
	long pid;

	if (p == NULL || p == name)
		return 0;
	p += sizeof(suffix) - 1;
	for (q = p; *q >= '0' && *q <= '9'; q++)
		;
	if (q == p || *q != '\0' || q - p > 9 || (pid = atol(p)) <= 0)
		return 0;
	if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
		return 0;
	return fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISREG(st.st_mode) && st.st_mtime < now - LEFTOVER_AGE;
}

/*
 * The folder open as dir (derived_folder's) listed from its start, dir
 * kept open (a descriptor of its own: dup(2)'s would share dir's place).
 */
static DIR *
open_listing(int dir)
{
	int fd = openat(dir, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d;

	if (fd == -1)
		return NULL;
	if ((d = fdopendir(fd)) == NULL)
		close(fd);
	return d;
}

/* The leftovers (leftover()) of killed writers in the folder removed. */
static void
remove_leftovers(int dir)
{
	time_t now = time(NULL);
	struct dirent *de;
	DIR *d;

	if ((d = open_listing(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL)
		if (leftover(dir, de->d_name, now))
			(void)unlinkat(dir, de->d_name, 0);
	closedir(d);
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
	const char *base;
	int dir;

	if ((dir = derived_folder(r, name, 1, &base)) == -1)
		return NULL;
	d = xcalloc(1, sizeof(*d));
	d->dir = dir;
	d->path = derived_path(r, name);
	d->tmp = xasprintf("%s.dipb-tmp.%ld", d->path, (long)getpid());
	d->name = xstrdup(base);
	d->tmpname = xasprintf("%s.dipb-tmp.%ld", base, (long)getpid());
	/* A leftover of a killed writer, as dipb_write_replace does; and
	 * those of others long dead. */
	(void)unlinkat(dir, d->tmpname, 0);
	remove_leftovers(dir);
	d->slot = dipb_tmp_watch_at(dir, d->tmpname);
	/* 0644 less the umask, never core.sharedRepository's group write
	 * (own() above). */
	d->fd = openat(dir, d->tmpname, O_WRONLY | O_CREAT | O_EXCL |
	    O_NOFOLLOW | O_CLOEXEC, 0644);
	if (d->fd == -1) {
		d->err = dipb_error_from_errno("%s", d->tmp);
		dipb_error_free(dipb_derived_end(d, 0));
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

	if (d->fd != -1 && close(d->fd) == -1 && err == NULL)
		err = dipb_error_from_errno("%s", d->tmp);
	if (keep && err == NULL &&
	    renameat(d->dir, d->tmpname, d->dir, d->name) == -1)
		err = dipb_error_from_errno("%s", d->path);
	if (!keep || err != NULL)
		(void)unlinkat(d->dir, d->tmpname, 0);
	dipb_tmp_forget(d->slot);
	close(d->dir);
	free(d->tmpname);
	free(d->name);
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
 * all 19 MB of it at 30,000 records was a tenth of its time.
 */
void
dipb_repo_derived_map(const char **data, size_t *len,
    const struct dipb_repo *r, const char *name, size_t max)
{
	struct stat st;
	void *p;
	int fd;

	*data = NULL;
	*len = 0;
	if ((fd = derived_open(r, name, &st)) == -1)
		return;
	if (st.st_size > 0 &&
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

/* The folder dir (derived_folder's), opened; -1 when there is none. */
static int
derived_dir(const struct dipb_repo *r, const char *dir)
{
	char *name = xasprintf("%s/", dir);
	const char *base;
	int fd = derived_folder(r, name, 0, &base);

	free(name);
	return fd;
}

void
dipb_repo_derived_prune(const struct dipb_repo *r, const char *dir,
    size_t keep, const char *spare)
{
	char *oldest = NULL;
	struct dirent *de;
	struct stat st;
	time_t t = 0, now = time(NULL);
	size_t n;
	DIR *d;
	int fd;

	if ((fd = derived_dir(r, dir)) == -1)
		return;
	for (;;) {
		if ((d = open_listing(fd)) == NULL)
			break;
		n = 0;
		free(oldest);
		oldest = NULL;
		while ((de = readdir(d)) != NULL) {
			if (de->d_name[0] == '.' || strchr(de->d_name, '.'))
				continue;
			n++;
			if (fstatat(fd, de->d_name, &st,
			    AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode) &&
			    (spare == NULL || strcmp(de->d_name, spare) != 0) &&
			    (oldest == NULL || older(st.st_mtime, t, now))) {
				free(oldest);
				oldest = xstrdup(de->d_name);
				t = st.st_mtime;
			}
		}
		closedir(d);
		if (n <= keep || oldest == NULL ||
		    unlinkat(fd, oldest, 0) == -1)
			break;
	}
	free(oldest);
	close(fd);
}

void
dipb_repo_derived_list(struct dipb_strlist *out, const struct dipb_repo *r,
    const char *dir)
{
	struct dirent *de;
	DIR *d;
	int fd;

	if ((fd = derived_dir(r, dir)) == -1)
		return;
	if ((d = open_listing(fd)) != NULL) {
		while ((de = readdir(d)) != NULL)
			if (de->d_name[0] != '.' &&
			    strchr(de->d_name, '.') == NULL)
				dipb_strlist_push(out, de->d_name);
		closedir(d);
	}
	close(fd);
}

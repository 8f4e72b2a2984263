/*
 * git/perm.c - the modes of what dipb creates in the git dir, as git gives
 * them under core.sharedRepository (git-config(1)): files readable and
 * writable by the group (or by all, or exactly an octal mode), loose
 * objects read-only, folders setgid so that what is made in them keeps
 * the group.  With the default ("umask") the umask alone decides, as it
 * does for git.
 *
 * libgit2 knows nothing of core.sharedRepository: its loose-object
 * backend makes fan-out folders 0777 and objects 0444 under the umask.
 * So when the setting is on, the repository's odb gets a backend before
 * libgit2's own that makes the object's folder first and gives the object
 * git's mode after (dipb_git_perm_odb).  What libgit2 makes besides
 * (lock files, packed-refs) gets the mode from a umask set around the
 * call (dipb_git_perm_umask), packed-refs narrowed after it where a
 * default ACL gave more (dipb_git_perm_narrow); what dipb makes itself
 * has it from its creation (dipb.lock, a reflog: dipb_git_perm_create),
 * or before a byte is written (a lock file: dipb_git_perm_fix); a file
 * or folder dipb may not open, found of another group or narrower, is
 * refused saying what is seen (dipb_git_perm_refused), never changed.
 */
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <git2/sys/odb_backend.h>

#include "internal.h"
#include "../error.h"
#include "../text.h"
#include "../util.h"

#define PERM_UMASK	0
#define PERM_GROUP	0660
#define PERM_EVERYBODY	0664

/* git's reading of a core.sharedRepository value; -1: not one. */
static int
parse_shared(int *out, const char *v)
{
	char *end;
	long i;
	int b;

	if (strcmp(v, "umask") == 0)
		*out = PERM_UMASK;
	else if (strcmp(v, "group") == 0)
		*out = PERM_GROUP;
	else if (strcmp(v, "all") == 0 || strcmp(v, "world") == 0 ||
	    strcmp(v, "everybody") == 0)
		*out = PERM_EVERYBODY;
	else {
		errno = 0;
		i = strtol(v, &end, 8);
		if (*v == '\0' || *end != '\0' || errno != 0) {
			if (git_config_parse_bool(&b, v) < 0) {
				git_error_clear();
				return -1;
			}
			*out = b ? PERM_GROUP : PERM_UMASK;
		} else if (i == 0 || i == 1 || i == 2)
			/* git's old values: umask, group, everybody */
			*out = i == 0 ? PERM_UMASK : i == 1 ? PERM_GROUP :
			    PERM_EVERYBODY;
		else if ((i & 0600) != 0600 || i > 0777)
			return -1;
		else
			*out = -(int)(i & 0666);	/* exactly this mode */
	}
	return 0;
}

const struct dipb_error *
dipb_git_perm_load(struct dipb_repo *r)
{
	const struct dipb_error *err = NULL;
	git_config *cfg = NULL;
	git_config_entry *e = NULL;
	int rc;

	if (r->perm_read)
		return NULL;
	if (git_repository_config_snapshot(&cfg, r->git) < 0)
		return dipb_error_from_git("cannot read the configuration");
	rc = git_config_get_entry(&e, cfg, "core.sharedrepository");
	if (rc == GIT_ENOTFOUND) {
		git_error_clear();
		r->shared = PERM_UMASK;
	} else if (rc < 0)
		err = dipb_error_from_git("cannot read core.sharedRepository");
	else if (e->value == NULL)
		r->shared = PERM_GROUP;	/* a bare "sharedRepository" */
	else if (parse_shared(&r->shared, e->value) < 0)
		err = dipb_error_fmt(DIPB_ERR_GIT, "core.sharedRepository: "
		    "not a value git knows: '%s' (umask, group, all, or an "
		    "octal mode such as 0660 that lets the owner read and "
		    "write)", e->value);
	if (err == NULL)
		r->perm_read = 1;
	git_config_entry_free(e);
	git_config_free(cfg);
	return err;
}

/* The setting, read now if it was not (an error reads as "umask"). */
static int
shared(const struct dipb_repo *cr)
{
	struct dipb_repo *r = (struct dipb_repo *)cr;

	if (!r->perm_read)
		dipb_error_free(dipb_git_perm_load(r));
	return r->perm_read ? r->shared : PERM_UMASK;
}

int
dipb_git_perm_shared(const struct dipb_repo *r)
{
	return shared(r) != PERM_UMASK;
}

char *
dipb_git_perm_value(const struct dipb_repo *r)
{
	int s = shared(r);

	if (s < 0)
		return xasprintf("0%o", (unsigned)-s);
	return xstrdup(s == PERM_GROUP ? "1" : s == PERM_EVERYBODY ? "2" :
	    "0");
}

mode_t
dipb_git_perm_mode(const struct dipb_repo *r, mode_t mode)
{
	int s = shared(r);
	mode_t tweak, m = mode & 07777;

	if (s == PERM_UMASK)
		return m;
	tweak = (mode_t)(s < 0 ? -s : s);
	if (!(m & S_IWUSR))
		tweak &= ~(mode_t)0222;		/* read-only stays so */
	if (m & S_IXUSR)
		tweak |= (tweak & 0444) >> 2;
	m = s < 0 ? (m & ~(mode_t)0777) | tweak : m | tweak;
	if (S_ISDIR(mode)) {
		m |= (m & 0444) >> 2;
		/* g+s where the group is given something, as git's. */
		if (m & 060)
			m |= S_ISGID;
	}
	return m;
}

/*
 * A path is named after its file is in place, and by then another
 * member who can write the git dir may have swapped a link to someone's
 * private file in for it: a chmod() by path would follow it.
 */
int
dipb_git_open_own(const char *path)
{
	int fd;

	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd != -1 || errno != EACCES)
		return fd;
	fd = open(path, O_WRONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	/* A folder (EISDIR), or no write either: the first refusal. */
	if (fd == -1)
		errno = EACCES;
	return fd;
}

/* The mode of fd's file, as the setting asks; only a file or a folder;
 * named: fd opened by path, after the file's rename. */
static const struct dipb_error *
perm_fix_fd(const struct dipb_repo *r, const char *path, int fd,
    int named)
{
	struct stat st;
	mode_t m;

	if (fstat(fd, &st) == -1)
		return dipb_error_from_errno("%s", path);
	if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
		return NULL;	/* as git's adjust_shared_perm: left alone */
	/*
	 * A file of more than one name, found by path after its rename (an
	 * object libgit2 wrote): one hard-linked in for it, another's file,
	 * left as it is; the file dipb or libgit2 made has one name.
	 */
	if (named && S_ISREG(st.st_mode) && st.st_nlink > 1)
		return NULL;
	m = dipb_git_perm_mode(r, st.st_mode);
	if (m == (st.st_mode & 07777))
		return NULL;
	if (fchmod(fd, m) == -1)
		return dipb_error_from_errno("cannot give '%s' the mode "
		    "core.sharedRepository asks (%04o)", path, (unsigned)m);
	return NULL;
}

/*
 * The same by path, for a file dipb cannot open (a folder the umask made
 * unreadable): git's lstat, then a chmod that never follows a link, as
 * one may have been swapped in since (fchmodat's AT_SYMLINK_NOFOLLOW,
 * which changes the file it finds, or refuses a link: left as it is).
 */
static const struct dipb_error *
perm_fix_path(const struct dipb_repo *r, const char *path)
{
	struct stat st;
	mode_t m;

	if (lstat(path, &st) == -1)
		return dipb_error_from_errno("%s", path);
	if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
		return NULL;
	m = dipb_git_perm_mode(r, st.st_mode);
	if (m == (st.st_mode & 07777) ||
	    fchmodat(AT_FDCWD, path, m, AT_SYMLINK_NOFOLLOW) == 0)
		return NULL;
	if (errno == EOPNOTSUPP || errno == ENOTSUP || errno == ELOOP)
		return NULL;	/* a link: not ours to change */
	return dipb_error_from_errno("cannot give '%s' the mode "
	    "core.sharedRepository asks (%04o)", path, (unsigned)m);
}

const struct dipb_error *
dipb_git_perm_fix(const struct dipb_repo *r, const char *path, int fd)
{
	const struct dipb_error *err;
	int own;

	if (shared(r) == PERM_UMASK)
		return NULL;
	if (fd >= 0)
		return perm_fix_fd(r, path, fd, 0);
	if ((own = dipb_git_open_own(path)) == -1) {
		/* A symbolic link (ELOOP) is not ours to change. */
		if (errno == ELOOP)
			return NULL;
		if (errno == EACCES)	/* a folder unreadable: by path */
			return perm_fix_path(r, path);
		return dipb_error_from_errno("%s", path);
	}
	err = perm_fix_fd(r, path, own, 1);
	close(own);
	return err;
}

const struct dipb_error *
dipb_git_perm_fix_tmp(const void *r, const char *tmp, int fd)
{
	return dipb_git_perm_fix(r, tmp, fd);
}

/*
 * libgit2 makes its lock files, packed-refs among them (a packed ref
 * deleted: dipb_git_delete_ref), 0666 less the umask and its folders
 * 0777 less it, and knows nothing of core.sharedRepository.
 * So, the setting on, the umask is made the complement of the mode git
 * gives a folder there (dipb_git_perm_mode), which is the mode it gives
 * a file with each x bit its r bit's: what libgit2 makes has git's mode
 * from its creation, never narrower, nor wider, for a moment; a folder
 * never wider, setgid only as inherited.  Except under a default ACL
 * (setfacl -d), which the kernel applies instead of the umask: what
 * libgit2 makes there has the ACL's mode, packed-refs until it is
 * narrowed (dipb_git_perm_narrow; dipb-git(7)).  The
 * caller restores the umask returned at once after the libgit2 call.
 * Only from the one thread: a worker (pool.h) runs nothing of libgit2's
 * that writes, and dipb_pool_run has joined its workers on return.
 */
mode_t
dipb_git_perm_umask(const struct dipb_repo *r)
{
	mode_t old = umask(0777);	/* narrowest while it is read */

	if (!dipb_git_perm_shared(r)) {
		umask(old);
		return old;
	}
	umask(~dipb_git_perm_mode(r, S_IFDIR | (0777 & ~old)) & 0777);
	return old;
}

/*
 * Makes path (O_CREAT | O_EXCL, never through a link) under that umask:
 * a file dipb makes itself in core.sharedRepository's mode from the
 * moment its name appears, so a dipb killed just after leaves none
 * narrower than git's.  Then given that mode through the descriptor
 * (dipb_git_perm_fix), as git gives a file it makes: a folder with a
 * default ACL (setfacl -d) ignores the umask, and the file would stay
 * 0666 where git's is 0640.  *fd: open(2)'s descriptor, or -1 and its
 * errno; when the mode cannot be given, the file just made is removed
 * (if it is still the one at path, under an flock) and that failure
 * returned; one that cannot be removed (another process has locked it,
 * an fstat, lstat or unlink failing) is said left as made.
 */
const struct dipb_error *
dipb_git_perm_create(int *fd, const struct dipb_repo *r, const char *path,
    int flags)
{
	const struct dipb_error *err, *left;
	struct stat made, at;
	mode_t old = dipb_git_perm_umask(r);
	int e;

	*fd = open(path, flags | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    0666);
	e = errno;
	umask(old);
	if (*fd == -1 || (err = dipb_git_perm_fix(r, path, *fd)) == NULL) {
		errno = e;
		return NULL;
	}
	/*
	 * Removed only while it is the one made (another, put there since,
	 * is not dipb's to remove), and under an flock: a dipb that opened
	 * it as dipb.lock meanwhile (EEXIST) and locked it is changing the
	 * board, and the file is left; one waiting on it finds it gone,
	 * and takes the one there (dipb_git_lock_repo).
	 */
	if (flock(*fd, LOCK_EX | LOCK_NB) == -1 || fstat(*fd, &made) == -1 ||
	    (lstat(path, &at) == -1 ? errno != ENOENT :
	    made.st_dev == at.st_dev && made.st_ino == at.st_ino &&
	    unlink(path) == -1 && errno != ENOENT)) {
		left = dipb_error_fmt(err->code, "%s; left as made, with the "
		    "mode the folder gave it (%s): its owner or an "
		    "administrator removes it", err->msg,
		    errno == EWOULDBLOCK ? "another process has locked it" :
		    strerror(errno));
		dipb_error_free(err);
		err = left;
	}
	close(*fd);
	*fd = -1;
	return err;
}

/*
 * path (packed-refs, which libgit2 wrote again under the umask of
 * dipb_git_perm_umask) narrowed to the mode git gives the file it makes
 * (dipb_git_perm_mode), where a default ACL, applied instead of the
 * umask, gave it more (0666 where git gives 0640 under the setting
 * 0640); only bits taken away, only a regular file of dipb's user's
 * own, never through a link: removing a bit is safe whoever put the
 * file there, adding one never is (dipb-git(7)).
 */
const struct dipb_error *
dipb_git_perm_narrow(const struct dipb_repo *r, const char *path)
{
	const struct dipb_error *err = NULL;
	struct stat st;
	mode_t m;
	int fd;

	if (!dipb_git_perm_shared(r))
		return NULL;
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd == -1)
		return NULL;	/* gone, a link, unreadable: not ours */
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    st.st_uid == geteuid()) {
		m = st.st_mode & dipb_git_perm_mode(r, st.st_mode);
		if (m != (st.st_mode & 07777) && fchmod(fd, m) == -1)
			err = dipb_error_from_errno("cannot give '%s' the mode "
			    "core.sharedRepository asks (%04o)", path,
			    (unsigned)m);
	}
	close(fd);
	return err;
}

/* Group g by its name, else its number. */
static char *
group_name(gid_t g)
{
	struct group *gr = getgrgid(g);

	return gr != NULL ? xstrdup(gr->gr_name) : xasprintf("%ld", (long)g);
}

/*
 * The refusal (errno e) of path, a file or a folder of the git dir
 * (kind: "a log"), as seen: in a shared repository, EACCES on one of a
 * group other than the git dir's, or on one that lacks some of what the
 * user needs (need: 0444 read, 0222 write) where core.sharedRepository's
 * mode gives it the group (or all), or both, said together, the group
 * first (a chmod alone would open the file to that other group); else
 * the plain message.  dipb never changes a file found in place
 * (dipb-git(7)).
 */
const struct dipb_error *
dipb_git_perm_refused(const struct dipb_repo *r, const char *path,
    const char *kind, int e, mode_t need)
{
	const struct dipb_error *err;
	struct stat st, top;
	mode_t want;
	char *has, *gd, *how, *show;
	int narrow;

	if (e != EACCES || !dipb_git_perm_shared(r) ||
	    lstat(path, &st) == -1 ||
	    (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) ||
	    stat(git_repository_commondir(r->git), &top) == -1) {
		errno = e;
		return dipb_error_from_errno("%s", path);
	}
	want = dipb_git_perm_mode(r, st.st_mode);
	narrow = (want & ~st.st_mode & need & 0077) != 0;
	if (!narrow && st.st_gid == top.st_gid) {
		errno = e;
		return dipb_error_from_errno("%s", path);
	}
	show = dipb_text_clean_line(path);
	how = xasprintf("%s core.sharedRepository gives (%04o)",
	    (st.st_mode & ~want & 0777) == 0 ? "narrower than" : "other than",
	    (unsigned)want);
	if (st.st_gid == top.st_gid) {
		err = dipb_error_fmt(DIPB_ERR_IO, "%s: %s: %s of mode %04o, "
		    "user %ld's, %s, keeps its mode, which dipb never "
		    "changes; its owner or an administrator gives it that "
		    "mode (chmod %04o), then retry", show, strerror(e), kind,
		    (unsigned)(st.st_mode & 07777), (long)st.st_uid, how,
		    (unsigned)want);
		free(how);
		free(show);
		return err;
	}
	has = group_name(st.st_gid);
	gd = group_name(top.st_gid);
	if (narrow)
		err = dipb_error_fmt(DIPB_ERR_IO, "%s: %s: %s of group %s, "
		    "not the git dir's (%s), and of mode %04o, user %ld's, "
		    "%s, keeps both, which dipb never changes; its owner or "
		    "an administrator gives it the git dir's group, then "
		    "that mode (chgrp %s, then chmod %04o), then retry", show,
		    strerror(e), kind, has, gd, (unsigned)(st.st_mode & 07777),
		    (long)st.st_uid, how, gd, (unsigned)want);
	else
		err = dipb_error_fmt(DIPB_ERR_IO, "%s: %s: %s of group %s, "
		    "not the git dir's (%s), keeps its group, which dipb "
		    "never changes; its owner or an administrator gives it "
		    "the git dir's (chgrp %s), then retry", show, strerror(e),
		    kind, has, gd, gd);
	free(has);
	free(gd);
	free(how);
	free(show);
	return err;
}

/*
 * m, less S_ISGID when a chmod by dipb's user would not keep it: the
 * kernel drops it unless the user is in the folder's group (chmod(2)),
 * and a folder asked for it again would be changed on every run.
 */
static mode_t
perm_kept(mode_t m, gid_t gid)
{
	gid_t *g;
	int i, n;

	if (!(m & S_ISGID) || geteuid() == 0 || getegid() == gid)
		return m;
	if ((n = getgroups(0, NULL)) > 0) {
		g = xcalloc((size_t)n, sizeof(*g));
		n = getgroups(n, g);
		for (i = 0; i < n && g[i] != gid; i++)
			;
		free(g);
		if (i < n)
			return m;
	}
	return m & ~(mode_t)S_ISGID;
}

/*
 * A folder of the git dir given the setting's mode through a descriptor
 * of the folder itself (O_DIRECTORY): a file another member who can
 * write the git dir hard-links in for it since it was made or found is
 * never changed, nor a symbolic link's target.  made: dipb made it just
 * now (a folder the umask made unreadable to it: by path, as git's);
 * else it was found in place and, top (a folder of the git dir itself,
 * which no link above it can lead elsewhere), is widened when it is
 * dipb's user's own and lacks some of the mode (.git/dipb/ that a dipb
 * before the setting made 0700 kept every other member from writing the
 * records cache and the checkpoints in it); one deeper (reached through
 * a link another member swapped in for a folder above it, it may be a
 * private one), another's, or one that cannot be opened is left as it
 * is (dipb-git(7)).
 */
static const struct dipb_error *
perm_fix_dir(const struct dipb_repo *r, const char *dir, int made, int top)
{
	const struct dipb_error *err;
	int fd;

	if (shared(r) == PERM_UMASK || (!made && !top))
		return NULL;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd == -1) {
		if (!made || errno == ELOOP || errno == ENOTDIR)
			return NULL;	/* swapped, or another's: not ours */
		if (errno == EACCES)
			return perm_fix_path(r, dir);
		return dipb_error_from_errno("%s", dir);
	}
	err = dipb_git_perm_fix_dir(r, dir, fd, made);
	close(fd);
	return err;
}

const struct dipb_error *
dipb_git_perm_fix_dir(const struct dipb_repo *r, const char *dir, int fd,
    int made)
{
	struct stat st;
	mode_t m;

	if (shared(r) == PERM_UMASK)
		return NULL;
	if (fstat(fd, &st) == -1)
		return dipb_error_from_errno("%s", dir);
	if (!made && st.st_uid != geteuid())
		return NULL;
	m = perm_kept(dipb_git_perm_mode(r, st.st_mode), st.st_gid);
	if ((made ? m != (st.st_mode & 07777) :
	    (m & ~st.st_mode & 07777) != 0) && fchmod(fd, m) == -1)
		return dipb_error_from_errno("cannot give '%s' the mode "
		    "core.sharedRepository asks (%04o)", dir, (unsigned)m);
	return NULL;
}

/*
 * dipb_git_make_dirs, top: path + from is a git dir, whose first folder
 * found is widened (perm_fix_dir); else none found is.
 */
static const struct dipb_error *
make_dirs(int *blocked, const struct dipb_repo *r, const char *path,
    size_t from, int durable, int top)
{
	const struct dipb_error *err = NULL;
	char *dir = xstrdup(path), *p = dir + from;

	if (blocked != NULL)
		*blocked = 0;
	while ((p = strchr(p, '/')) != NULL) {
		*p = '\0';
		if (mkdir(dir, 0777) == 0) {
			if (r != NULL)
				err = perm_fix_dir(r, dir, 1, 0);
			if (err == NULL && durable &&
			    dipb_fsync_dir_of(dir) == -1)
				err = dipb_error_from_errno("%s", dir);
		} else if (errno == EEXIST) {
			if (r != NULL)
				err = perm_fix_dir(r, dir, 0, top);
		} else {
			if (blocked != NULL && errno == ENOTDIR)
				*blocked = 1;
			else
				err = dipb_error_from_errno("%s", dir);
		}
		if (err != NULL || (blocked != NULL && *blocked))
			break;
		*p++ = '/';
		top = 0;
	}
	free(dir);
	return err;
}

const struct dipb_error *
dipb_git_make_dirs(int *blocked, const struct dipb_repo *r,
    const char *path, size_t from, int durable)
{
	return make_dirs(blocked, r, path, from, durable, 1);
}

const struct dipb_error *
dipb_git_make_object_dir(const struct dipb_repo *r, const char *path,
    size_t from)
{
	return make_dirs(NULL, r, path, from, 0, 0);
}

/* ---- the odb backend ---------------------------------------------- */

struct perm_backend {
	git_odb_backend		 parent;
	git_odb_backend		*loose;		/* libgit2's, writes */
	const struct dipb_repo	*r;
	char			*objdir;	/* ends in '/' */
};

static int
perm_write(git_odb_backend *b, const git_oid *id, const void *data,
    size_t len, git_object_t type)
{
	struct perm_backend *pb = (struct perm_backend *)b;
	const struct dipb_error *err;
	char hex[GIT_OID_HEXSZ + 1], *path;
	int rc = 0;

	git_oid_tostr(hex, sizeof(hex), id);
	path = xasprintf("%s%.2s/%s", pb->objdir, hex, hex + 2);
	if ((err = dipb_git_make_object_dir(pb->r, path,
	    strlen(pb->objdir))) == NULL &&
	    (rc = pb->loose->write(pb->loose, id, data, len, type)) == 0)
		err = dipb_git_perm_fix(pb->r, path, -1);
	if (err != NULL) {
		git_error_set_str(GIT_ERROR_OS, err->msg);
		dipb_error_free(err);
		rc = -1;
	}
	free(path);
	return rc;
}

static void
perm_free(git_odb_backend *b)
{
	struct perm_backend *pb = (struct perm_backend *)b;

	pb->loose->free(pb->loose);
	free(pb->objdir);
	free(pb);
}

const struct dipb_error *
dipb_git_perm_odb(struct dipb_repo *r)
{
	const struct dipb_error *err;
	struct perm_backend *pb;
	char *dir;

	if (r->perm_odb || shared(r) == PERM_UMASK)
		return NULL;
	/* Its fsyncs as libgit2's own: none where folders do not sync. */
	if ((err = dipb_git_objects_begin(r)) != NULL)
		return err;
	dir = dipb_git_objects_dir(r);
	pb = xcalloc(1, sizeof(*pb));
	pb->r = r;
	pb->objdir = dir;
	if (git_odb_backend_loose(&pb->loose, dir, -1,
	    r->fsync && r->dirsync >= 0, 0, 0) < 0) {
		free(pb);
		err = dipb_error_from_git("cannot open '%s'", dir);
		free(dir);
		return err;
	}
	pb->parent.version = GIT_ODB_BACKEND_VERSION;
	pb->parent.write = perm_write;
	pb->parent.free = perm_free;
	/* Before libgit2's loose (1) and pack (2) backends: it writes. */
	if (git_odb_add_backend(r->odb, &pb->parent, 100) < 0) {
		perm_free(&pb->parent);
		return dipb_error_from_git("cannot open the object database");
	}
	r->perm_odb = 1;
	return NULL;
}

/*
 * git/reflog.c - reflogs: read, and opened and appended to as git's files
 * backend writes them, for the ref updates of refs.c.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "internal.h"
#include "../error.h"
#include "../text.h"
#include "../util.h"

/*
 * Whether name's updates go to a reflog: core.logAllRefUpdates "always",
 * or true (the default here) for branches and HEAD, or a log that exists.
 */
static int
should_log(struct dipb_repo *r, const char *name, const char *logpath)
{
	git_config *cfg = NULL;
	const char *v = NULL;
	int mode = 1, b;

	if (git_repository_config_snapshot(&cfg, r->git) == 0 &&
	    git_config_get_string(&v, cfg, "core.logallrefupdates") == 0) {
		if (strcasecmp(v, "always") == 0)
			mode = 2;
		else if (git_config_parse_bool(&b, v) == 0)
			mode = b;
	}
	git_error_clear();
	git_config_free(cfg);
	if (mode == 2 || access(logpath, F_OK) == 0)
		return 1;
	return mode == 1 && (strcmp(name, "HEAD") == 0 ||
	    strncmp(name, "refs/heads/", 11) == 0);
}

/* The git dir of name's log: HEAD's is the worktree's own, the rest shared. */
static const char *
reflog_dir(struct dipb_repo *r, const char *name)
{
	return strcmp(name, "HEAD") == 0 ? r->gitdir :
	    git_repository_commondir(r->git);
}

/* The refusal of a log that is no file to read or append to, exit 5. */
static const struct dipb_error *
reflog_not_regular(const char *path)
{
	char *show = dipb_text_clean_line(path);
	const struct dipb_error *err;

	err = dipb_error_fmt(DIPB_ERR_IO, "%s: not a regular file", show);
	free(show);
	return err;
}

const struct dipb_error *
dipb_git_reflog_read(git_reflog **out, struct dipb_repo *r, const char *name)
{
	const struct dipb_error *err = NULL;
	char *path = xasprintf("%slogs/%s", reflog_dir(r, name), name);
	struct stat st;
	int rc;

	/*
	 * libgit2 opens the log without O_NONBLOCK, and would wait on a FIFO
	 * for ever: one stat, where libgit2 opens it anyway.  A socket fails
	 * its open(2) (ENXIO), a device (/dev/null) reads as no entry.  A
	 * missing log, which libgit2 reads as an empty one, is none.
	 */
	rc = stat(path, &st);
	*out = NULL;
	if (rc == 0 && S_ISFIFO(st.st_mode))
		err = reflog_not_regular(path);
	else if ((rc == 0 || errno != ENOENT) &&
	    git_reflog_read(out, r->git, name) < 0) {
		git_error_clear();
		*out = NULL;
	}
	free(path);
	return err;
}

/*
 * *fd, a descriptor of the log at path to append to; *made: dipb made it
 * just now (O_EXCL, never through a link at its place, with the mode of
 * core.sharedRepository from its creation: dipb_git_perm_create), or,
 * *fd -1 and errno set, the making of it failed; an error: the log made
 * could not be given that mode, and is removed.  Never a FIFO, whose
 * open(2) waits for a reader: O_NONBLOCK makes it fail (ENXIO) or open,
 * and the caller refuses it either way, as a socket (ENXIO).  One in
 * place is opened as it is: a character device (/dev/null) or a symbolic
 * link's target is appended to, as git does.
 */
static const struct dipb_error *
reflog_fd(int *fd, int *made, const struct dipb_repo *r, const char *path)
{
	const struct dipb_error *err;
	int flags = O_WRONLY | O_APPEND | O_NONBLOCK | O_CLOEXEC;
	int i;

	/* Made, or found: a log removed between the two opens, again. */
	for (i = 0; i < 3; i++) {
		*made = 1;
		if ((err = dipb_git_perm_create(fd, r, path, flags)) != NULL ||
		    *fd != -1 || errno != EEXIST)
			return err;
		*made = 0;
		if ((*fd = open(path, flags)) != -1 || errno != ENOENT)
			return NULL;
	}
	return NULL;
}

/*
 * A log dipb may not append to or make (made: reflog_fd's): a symbolic
 * link to nothing is named, where git would make its target; one, or
 * the folder that would hold a new one, that refuses the user is said
 * as seen, its mode narrower than the setting's or its group another's
 * (dipb_git_perm_refused), which dipb never changes (dipb-git(7)).
 */
static const struct dipb_error *
reflog_refused(const struct dipb_repo *r, const char *path, int made)
{
	const struct dipb_error *err;
	struct stat st;
	char *at;
	int e = errno;

	if (e == ENOENT && !made && lstat(path, &st) == 0 &&
	    S_ISLNK(st.st_mode)) {
		at = dipb_text_clean_line(path);
		err = dipb_error_fmt(DIPB_ERR_IO, "%s: a symbolic link to "
		    "nothing: remove it, then retry", at);
		free(at);
		return err;
	}
	if (!made)
		return dipb_git_perm_refused(r, path, "a log", e, 0222);
	at = xstrndup(path, (size_t)(strrchr(path, '/') - path));
	err = dipb_git_perm_refused(r, at, "a folder", e, 0222);
	free(at);
	return err;
}

/*
 * Opens name's reflog to append to, made if it should be (should_log),
 * nothing written yet: a change opens every log it writes before it
 * writes any, so that one refused leaves no entry in another.
 */
const struct dipb_error *
dipb_git_reflog_open(struct dipb_git_reflog *log, struct dipb_repo *r,
    const char *name)
{
	const struct dipb_error *err;
	const char *dir;
	struct stat st;
	int made;

	dir = reflog_dir(r, name);
	log->path = xasprintf("%slogs/%s", dir, name);
	if (!should_log(r, name, log->path))
		return NULL;
	/*
	 * Its folders made from the git dir it is in: a linked worktree's
	 * is longer than the common one, whose logs/ a bare repository
	 * with worktrees (git clone --bare, git worktree add) lacks.
	 */
	if ((err = dipb_git_make_dirs(NULL, r, log->path, strlen(dir),
	    r->fsync)) != NULL)
		return err;
	if ((err = reflog_fd(&log->fd, &made, r, log->path)) != NULL)
		return err;
	if (log->fd == -1 && errno != ENXIO)
		return reflog_refused(r, log->path, made);
	if (log->fd != -1 && fstat(log->fd, &st) == -1)
		return dipb_error_from_errno("%s", log->path);
	if (log->fd == -1 || S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode))
		return reflog_not_regular(log->path);
	log->reg = S_ISREG(st.st_mode);
	log->size = st.st_size;
	/*
	 * The log dipb has just made has core.sharedRepository's mode from
	 * its creation, as git gives it; one found in place keeps its mode,
	 * whoever's it is and whatever another member who can write the git
	 * dir put there (a link, another's file moved in): dipb-git(7).  A
	 * log made is durable in its folder before its ref moves.
	 */
	if (made && r->fsync && dipb_fsync_dir_of(log->path) == -1)
		return dipb_error_from_errno("%s", log->path);
	return NULL;
}

/* Appends "<old> <new> <who> <time> <tz>\t<msg>" to an opened reflog. */
const struct dipb_error *
dipb_git_reflog_append(struct dipb_repo *r, const struct dipb_git_reflog *log,
    const git_oid *old, const git_oid *new, const struct dipb_identity *who,
    const char *msg)
{
	const struct dipb_error *err;
	struct dipb_buf line = DIPB_BUF_INIT;
	char h1[GIT_OID_HEXSZ + 1], h2[GIT_OID_HEXSZ + 1];
	int off = who->offset < 0 ? -who->offset : who->offset;

	if (log->fd == -1)
		return NULL;
	dipb_buf_printf(&line, "%s %s %s <%s> %lld %c%02d%02d\t%s\n",
	    git_oid_tostr(h1, sizeof(h1), old), git_oid_tostr(h2, sizeof(h2),
	    new), who->name, who->email, (long long)who->time,
	    who->offset < 0 ? '-' : '+', off / 60, off % 60, msg);
	err = dipb_write_all(log->fd, log->path, line.ptr, line.len,
	    r->fsync && log->reg);
	dipb_buf_release(&line);
	return err;
}

/*
 * Closes an opened reflog; err, or close(2)'s failure if none.  With err,
 * the change failed and its ref did not move: a log file is cut back to
 * its size when opened (the ref's lock held, and HEAD's for HEAD's log:
 * dipb_git_update_ref; no other writer appends),
 * never left with an entry for it, whole or cut short by a write that
 * failed (EFBIG past ulimit -f, ENOSPC), which would glue the next entry
 * onto a line with no newline (dipb(1), DIPB_FSYNC).  A cut that fails
 * (an append-only file, chattr +a) is said with err, never passed over.
 */
static const struct dipb_error *
cut_back(struct dipb_git_reflog *log, const struct dipb_error *err)
{
	const struct dipb_error *said;

	if (ftruncate(log->fd, log->size) == 0)
		return err;
	said = dipb_error_fmt(err->code, "%s; and '%s' cannot be cut back to "
	    "its size before the change (%s): its last line may be this "
	    "change's, whole or cut short", err->msg, log->path,
	    strerror(errno));
	dipb_error_free(err);
	return said;
}

const struct dipb_error *
dipb_git_reflog_close(struct dipb_git_reflog *log, const struct dipb_error *err)
{
	if (err != NULL && log->fd != -1 && log->reg)
		err = cut_back(log, err);
	if (log->fd != -1 && close(log->fd) == -1 && err == NULL)
		err = dipb_error_from_errno("%s", log->path);
	free(log->path);
	*log = (struct dipb_git_reflog)DIPB_GIT_REFLOG_INIT;
	return err;
}

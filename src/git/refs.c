/*
 * git/refs.c - refs read (loose, then packed-refs) and written as git's
 * files backend writes them: a change's, a sync's, a delete; their
 * reflogs are reflog.c's.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <git2/sys/repository.h>

#include "internal.h"
#include "../error.h"
#include "../util.h"

/* ---- refs ------------------------------------------------------- */

/*
 * The two ref updates of a change are made here as git's files backend
 * makes them: <ref>.lock created exclusively, the new id written to it,
 * the reflog appended while it is held, then renamed over the ref.
 * libgit2 would compare the name with every packed ref before each
 * update, 30 million instructions per update at 10,000 tags.
 */

/*
 * The loose ref name: LOOSE_PLAIN with its id, LOOSE_OTHER when its file
 * is no plain ref (symbolic or malformed), LOOSE_FOLDER when a folder is
 * there or a file stands where a folder of its path must be.
 */
const struct dipb_error *
dipb_git_loose_read(git_oid *out, enum dipb_git_loose *what,
    struct dipb_repo *r, const char *name)
{
	const struct dipb_error *err = NULL;
	struct dipb_buf b = DIPB_BUF_INIT;
	char *path = xasprintf("%s%s", git_repository_commondir(r->git), name);
	struct stat st;

	*what = LOOSE_NONE;
	if (lstat(path, &st) == -1) {
		if (errno == ENOTDIR)
			*what = LOOSE_FOLDER;
		else if (errno != ENOENT)
			err = dipb_error_from_errno("%s", path);
		goto done;
	}
	if (S_ISDIR(st.st_mode)) {
		*what = LOOSE_FOLDER;
		goto done;
	}
	if ((err = dipb_read_regular(&b, path, 0, 4096)) != NULL) {
		/*
		 * Longer than a ref git writes: libgit2 reads it whole (or
		 * says it is broken).  Gone since the lstat: deleted by git
		 * tag -d or packed by git pack-refs meanwhile, as if the
		 * lstat had not found it.
		 */
		if (err->code == DIPB_ERR_TOO_LARGE)
			*what = LOOSE_OTHER;
		else if (lstat(path, &st) == -1 && errno == ENOENT)
			*what = LOOSE_NONE;
		else
			goto done;
		dipb_error_free(err);
		err = NULL;
		goto done;
	}
	/* As git's parse_loose_ref_contents: any blank may follow. */
	if (b.len < GIT_OID_HEXSZ || (b.len > GIT_OID_HEXSZ &&
	    !isspace((unsigned char)b.ptr[GIT_OID_HEXSZ])) ||
	    git_oid_fromstrn(out, b.ptr, GIT_OID_HEXSZ) < 0)
		*what = LOOSE_OTHER;
	else
		*what = LOOSE_PLAIN;
done:
	free(path);
	dipb_buf_release(&b);
	return err;
}

/*
 * The id name holds, loose or packed; *found 0 when it does not exist;
 * *conflict when a ref stands in its way (see dipb_git_packed_conflict), or a
 * folder or file in the way of its loose file.
 */
static const struct dipb_error *
read_ref(git_oid *out, int *found, int *conflict, struct dipb_repo *r,
    const char *name)
{
	const struct dipb_error *err;
	enum dipb_git_loose what;

	memset(out, 0, sizeof(*out));
	*found = 0;
	/* The loose ref first, then packed-refs, as git reads them. */
	if ((err = dipb_git_loose_read(out, &what, r, name)) != NULL ||
	    (err = dipb_git_packed_conflict(conflict, r, name)) != NULL)
		return err;
	switch (what) {
	case LOOSE_PLAIN:
		*found = 1;	/* a loose ref wins over a packed one */
		return NULL;
	case LOOSE_OTHER:
		return dipb_error_fmt(DIPB_ERR_CORRUPT,
		    "not a plain ref (symbolic or malformed): '%s'", name);
	case LOOSE_FOLDER:
		*conflict = 1;
		return NULL;
	case LOOSE_NONE:
		break;
	}
	return dipb_git_packed_lookup(out, found, r, name);
}

/* What libgit2 said of the ref name it could not read, as DIPB_ERR_CORRUPT. */
static const struct dipb_error *
broken_ref(const char *name)
{
	const struct dipb_error *err, *git;

	git = dipb_error_from_git("cannot read '%s'", name);
	err = dipb_error_fmt(DIPB_ERR_CORRUPT, "%s", git->msg);
	dipb_error_free(git);
	return err;
}

const struct dipb_error *
dipb_git_ref_read(git_oid *out, int *found, struct dipb_repo *r,
    const char *name)
{
	const struct dipb_error *err;
	enum dipb_git_loose what;
	int rc, valid = 0;

	memset(out, 0, sizeof(*out));
	*found = 0;
	/* A name git would refuse (HEAD may name one) goes to libgit2. */
	if (git_reference_name_is_valid(&valid, name) < 0 || !valid)
		what = LOOSE_OTHER;
	else if ((err = dipb_git_loose_read(out, &what, r, name)) != NULL)
		return err;
	if (what == LOOSE_PLAIN) {
		*found = 1;
		return NULL;
	}
	if (what == LOOSE_NONE || what == LOOSE_FOLDER)
		return dipb_git_packed_lookup(out, found, r, name);
	/* A symbolic ref: libgit2 follows it (or says what is wrong). */
	if ((rc = git_reference_name_to_id(out, r->git, name)) == 0)
		*found = 1;
	else if (rc == GIT_ENOTFOUND)
		git_error_clear();
	else if (dipb_git_failed_system())
		return dipb_error_from_git("cannot read '%s'", name);
	else
		return broken_ref(name);
	return NULL;
}

/*
 * The ref that stands in the way of name: one named as a folder of name
 * (refs/tags/IC-0001 for refs/tags/IC-0001/1-drafted), loose or packed,
 * or one inside it.
 */
static const struct dipb_error *
clash(struct dipb_repo *r, const char *name)
{
	const struct dipb_error *err = NULL;
	git_reference_iterator *it = NULL;
	git_reference *ref;
	const char *other, *what = NULL;
	char *n = xstrdup(name), *p;
	size_t len = strlen(name);

	/* A folder of name, named as a ref? */
	for (p = n + 5; what == NULL && (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		if (git_reference_lookup(&ref, r->git, n) == 0) {
			git_reference_free(ref);
			what = n;
		}
		git_error_clear();
		if (what == NULL)
			*p = '/';
	}
	/* A ref inside name? */
	if (what == NULL && git_reference_iterator_glob_new(&it, r->git,
	    "refs/*") == 0)
		while (what == NULL && git_reference_next(&ref, it) == 0) {
			other = git_reference_name(ref);
			if (strncmp(other, name, len) == 0 &&
			    other[len] == '/') {
				free(n);
				n = xstrdup(other);
				what = n;
			}
			git_reference_free(ref);
		}
	git_reference_iterator_free(it);
	git_error_clear();
	if (what != NULL) {
		char *q = dipb_sh_quote(what);

		err = dipb_error_fmt(DIPB_ERR_GIT, "the ref '%s' clashes "
		    "with '%s', which dipb must write: rename or delete it "
		    "(git update-ref -d %s) and retry", what, name, q);
		free(q);
	} else
		err = dipb_error_fmt(DIPB_ERR_GIT, "a file or folder in "
		    "the way of the ref '%s' (in %s): remove it and retry",
		    name, git_repository_commondir(r->git));
	free(n);
	return err;
}

/*
 * Opens name's reflog and, when HEAD is on branch name, HEAD's, with
 * HEAD's lock held in *head_lf as git holds it: git appends to logs/HEAD
 * under HEAD.lock alone, never the branch's lock (git checkout, git
 * symbolic-ref -m, git reflog expire), and takes it for its own commit
 * on the branch too (git update-ref on it fails on a HEAD.lock).  With
 * the branch's lock alone, another writer's entry appended after the
 * open would be cut away with a failed change's (dipb_git_reflog_close);
 * with both held, no other writer appends to either log.  Held rather
 * than a cut made conditional: it leaves no case where dipb must guess
 * whose bytes follow its own, and dipb already refuses a change while
 * HEAD.lock exists (dipb-git(7)).
 */
static const struct dipb_error *
open_logs(struct dipb_git_reflog *log, struct dipb_git_reflog *head_log,
    struct dipb_git_lockfile *head_lf, struct dipb_repo *r, const char *name)
{
	const struct dipb_error *err;
	char *head;

	if ((err = dipb_git_reflog_open(log, r, name)) != NULL ||
	    strcmp(name, r->branch_ref) != 0)
		return err;
	head = xasprintf("%sHEAD", r->gitdir);
	err = dipb_git_lock_hold(head_lf, r, head, r->retries);
	free(head);
	return err != NULL ? err : dipb_git_reflog_open(head_log, r, "HEAD");
}

/*
 * Sets ref name to id if it holds expect (zero: if it does not exist),
 * logging msg (NULL: no reflog entry; with HEAD's too when HEAD is on
 * this branch, HEAD's lock held, both logs opened before either is
 * written, so that one refused leaves the other as it was).  *moved is
 * 0 when the ref held something else; nothing is written then, nor when
 * another writer holds its lock or another ref clashes with it (errors).
 */
const struct dipb_error *
dipb_git_update_ref(int *moved, struct dipb_repo *r, const char *name,
    const git_oid *id, const git_oid *expect, const struct dipb_identity *who,
    const char *msg)
{
	const struct dipb_error *err = NULL;
	const char *common = git_repository_commondir(r->git);
	struct dipb_git_lockfile lf = DIPB_GIT_LOCKFILE_INIT;
	struct dipb_git_lockfile head_lf = DIPB_GIT_LOCKFILE_INIT;
	struct dipb_git_reflog log = DIPB_GIT_REFLOG_INIT;
	struct dipb_git_reflog head_log = DIPB_GIT_REFLOG_INIT;
	char *path = xasprintf("%s%s", common, name);
	char hex[GIT_OID_HEXSZ + 2];
	git_oid cur;
	int found, conflict = 0, blocked;

	*moved = 0;
	/* Its folders made durable before the ref can be (dipb(1)). */
	if ((err = dipb_git_make_dirs(&blocked, r, path, strlen(common),
	    r->fsync)) != NULL)
		goto done;
	if (blocked) {
		err = clash(r, name);
		goto done;
	}
	/*
	 * Waited for (--retry), as before the change: git holds a ref's lock
	 * a moment without moving it (git gc's reflog expire), and a writer
	 * that did move it is caught below, expect no longer there.
	 */
	if ((err = dipb_git_lock_hold(&lf, r, path, r->retries)) != NULL)
		goto done;
	if ((err = read_ref(&cur, &found, &conflict, r, name)) != NULL)
		goto done;
	if (conflict) {
		err = clash(r, name);
		goto done;
	}
	if (git_oid_is_zero(expect) ? found :
	    !found || !git_oid_equal(&cur, expect))
		goto done;
	git_oid_tostr(hex, sizeof(hex) - 1, id);
	hex[GIT_OID_HEXSZ] = '\n';
	if ((err = dipb_git_lock_write(&lf, hex, GIT_OID_HEXSZ + 1,
	    r->fsync)) != NULL)
		goto done;
	if (msg != NULL &&
	    ((err = open_logs(&log, &head_log, &head_lf, r, name)) != NULL ||
	    (err = dipb_git_reflog_append(r, &log, expect, id, who, msg)) !=
	    NULL ||
	    (err = dipb_git_reflog_append(r, &head_log, expect, id, who,
	    msg)) != NULL))
		goto done;
	if ((err = dipb_git_reflog_close(&head_log,
	    dipb_git_reflog_close(&log, NULL))) != NULL)
		goto done;
	if ((err = dipb_git_lock_commit(&lf)) != NULL)
		goto done;
	/*
	 * The ref holds id from here on, for every reader: a folder that
	 * cannot be synced to disk after the rename is no ref unwritten,
	 * and is said, not undone (an undo would leave a tag without its
	 * commit on the branch, or a branch without its tag).
	 */
	*moved = 1;
	if (r->fsync && dipb_fsync_dir_of(path) == -1)
		dipb_git_warn(r, "%s: its folder cannot be synced to disk "
		    "(%s): the ref is written, but a crash of the system "
		    "could lose it", path, strerror(errno));
done:
	err = dipb_git_reflog_close(&head_log, dipb_git_reflog_close(&log,
	    err));
	dipb_git_lock_rollback(&head_lf);
	dipb_git_lock_rollback(&lf);
	free(path);
	return err;
}

/*
 * libgit2's refs read afresh: a git_reference_remove that failed to
 * write packed-refs has dropped the ref from libgit2's copy of it, which
 * is not read again while the file stays as it was (libgit2 1.5), so
 * every later lookup of this process would miss a ref that is there.
 */
static void
refdb_reload(struct dipb_repo *r)
{
	git_refdb *db;

	if (git_refdb_open(&db, r->git) == 0) {
		git_repository_set_refdb(r->git, db);
		git_refdb_free(db);
	}
	git_error_clear();
}

/*
 * Why git_reference_remove (rc) failed to delete name (packed or not):
 * a lock another program took after dipb_git_delete_ref looked (git
 * pack-refs, git gc, git tag -d), libgit2's GIT_ELOCKED, is named as that
 * check names it (DIPB_ERR_BUSY): packed-refs' when the ref is packed and
 * its own lock is not there (libgit2 takes that one first), else its own.
 * Anything else is said in libgit2's words, whatever lock lies about.
 */
static const struct dipb_error *
delete_failed(struct dipb_repo *r, const char *name, int packed, int rc)
{
	const struct dipb_error *err;
	const char *common = git_repository_commondir(r->git);
	char *lock = xasprintf("%s%s.lock", common, name);
	char *plock = xasprintf("%spacked-refs.lock", common);

	if (rc != GIT_ELOCKED)
		err = dipb_error_from_git("cannot delete '%s'", name);
	else if (packed && access(lock, F_OK) == -1)
		err = dipb_git_lock_busy(r, plock);
	else
		err = dipb_git_lock_busy(r, lock);
	git_error_clear();
	free(lock);
	free(plock);
	return err;
}

/*
 * Deletes ref name.  Another program's lock on it is waited for as
 * dipb_git_update_ref waits, then refused naming it (DIPB_ERR_BUSY,
 * dipb_git_lock_busy), not left to libgit2's "failed to lock file"; so
 * is one on packed-refs when the ref is packed, which is deleted by
 * writing packed-refs again under that lock (git tag -d fails on it too),
 * and one taken after the wait (delete_failed).
 */
const struct dipb_error *
dipb_git_delete_ref(struct dipb_repo *r, const char *name)
{
	const struct dipb_error *err;
	git_oid id;
	char *path;
	mode_t mask;
	int packed, rc;

	if ((err = dipb_git_check_ref_lock(r, name)) != NULL ||
	    (err = dipb_git_packed_lookup(&id, &packed, r, name)) != NULL ||
	    (packed && (err = dipb_git_check_ref_lock(r, "packed-refs")) !=
	    NULL))
		return err;
	mask = dipb_git_perm_umask(r);	/* packed-refs: git's mode */
	rc = git_reference_remove(r->git, name);
	umask(mask);
	if (rc < 0) {
		err = delete_failed(r, name, packed, rc);
		refdb_reload(r);
		return err;
	}
	if (!dipb_git_perm_shared(r))
		return NULL;
	/*
	 * A default ACL gave packed-refs its mode, not the umask: narrowed
	 * after every deletion, not only of a ref found packed before it
	 * (another program's git pack-refs may have packed it since).  The
	 * ref is gone: a file that cannot be narrowed is said, not a failed
	 * deletion (dipb-git(7)).
	 */
	path = xasprintf("%spacked-refs", git_repository_commondir(r->git));
	if ((err = dipb_git_perm_narrow(r, path)) != NULL) {
		dipb_git_warn(r, "'%s' deleted; %s", name, err->msg);
		dipb_error_free(err);
	}
	free(path);
	return NULL;
}

const struct dipb_error *
dipb_git_update_refs(struct dipb_repo *r, const struct jref *j, size_t n,
    const char *fault)
{
	const struct dipb_error *err = NULL;
	const char *common = git_repository_commondir(r->git);
	struct dipb_git_lockfile *lf = xcalloc(n + 1, sizeof(*lf));
	char hex[GIT_OID_HEXSZ + 2], *path;
	size_t i, renamed = 0;
	git_oid cur;
	int found, conflict, blocked;

	for (i = 0; i < n; i++)
		lf[i].fd = -1;
	/* 1. Every lock made and written, nothing renamed yet. */
	for (i = 0; i < n && err == NULL; i++) {
		if (git_oid_is_zero(&j[i].new))
			continue;
		path = xasprintf("%s%s", common, j[i].name);
		conflict = 0;
		/* Its folders made durable by the flush below. */
		if ((err = dipb_git_make_dirs(&blocked, r, path,
		    strlen(common), 0)) == NULL && blocked)
			err = clash(r, j[i].name);
		if (err == NULL)	/* waited for, as dipb_git_update_ref */
			err = dipb_git_lock_hold(&lf[i], r, path, r->retries);
		free(path);
		if (err != NULL || (err = read_ref(&cur, &found, &conflict, r,
		    j[i].name)) != NULL)
			break;
		if (conflict) {
			err = clash(r, j[i].name);
			break;
		}
		if (found && git_oid_equal(&cur, &j[i].new)) {
			dipb_git_lock_rollback(&lf[i]);	/* there already */
			continue;
		}
		if (git_oid_is_zero(&j[i].old) ? found : !found ||
		    !git_oid_equal(&cur, &j[i].old)) {
			err = dipb_error_fmt(DIPB_ERR_BUSY, "repository busy, "
			    "retry ('%s' moved during the sync)", j[i].name);
			break;
		}
		git_oid_tostr(hex, sizeof(hex) - 1, &j[i].new);
		hex[GIT_OID_HEXSZ] = '\n';
		err = dipb_git_lock_write(&lf[i], hex, GIT_OID_HEXSZ + 1, 0);
	}
	/* 2. Their content on disk, then their names. */
	if (err == NULL && r->fsync)
		err = dipb_git_flush(r);
	for (i = 0; i < n && err == NULL; i++) {
		if (!lf[i].held)
			continue;
		if ((err = dipb_git_lock_commit(&lf[i])) == NULL &&
		    renamed++ == 0 && fault != NULL)
			dipb_git_fault(fault);
	}
	if (err == NULL && renamed > 0 && r->fsync)
		err = dipb_git_flush(r);
	for (i = 0; i < n; i++)
		dipb_git_lock_rollback(&lf[i]);
	free(lf);
	return err;
}

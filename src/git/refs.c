/*
 * git/refs.c - refs read (loose, then packed-refs) and written as git's
 * files backend writes them, with their reflogs; tag and record numbers.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "internal.h"
#include "../error.h"
#include "../record.h"
#include "../util.h"

const struct dipb_error *
dipb_repo_next_id(char **out, struct dipb_repo *r, const char *prefix)
{
	const struct dipb_error *err;
	unsigned long max = 0;
	char *ref;
	git_oid oid;
	int rc;

	*out = NULL;
	if (!dipb_id_prefix_valid(prefix))
		return dipb_error_fmt(DIPB_ERR_BAD_ID,
		    "not a record id prefix: '%s'", prefix);
	if ((err = dipb_git_records_max(&max, r, prefix)) != NULL)
		return err;
	/*
	 * Every record's first tag is <ID>/1-drafted: probe the ids after the
	 * highest file, so a deleted or withdrawn id is never reused.  Name
	 * lookups read packed refs too.
	 */
	for (;;) {
		if (max == ULONG_MAX)
			return dipb_error_fmt(DIPB_ERR_INTERNAL,
			    "record numbers of %s exhausted", prefix);
		ref = xasprintf("refs/tags/%s-%04lu/1-drafted", prefix,
		    max + 1);
		rc = git_reference_name_to_id(&oid, r->git, ref);
		free(ref);
		if (rc == GIT_ENOTFOUND) {
			git_error_clear();
			break;
		}
		if (rc < 0)
			return dipb_error_from_git("cannot read tags");
		max++;
	}
	*out = xasprintf("%s-%04lu", prefix, max + 1);
	return NULL;
}

/* ---- refs ------------------------------------------------------- */

/*
 * The two ref updates of a change are made here as git's files backend
 * makes them: <ref>.lock created exclusively, the new id written to it,
 * the reflog appended while it is held, then renamed over the ref.
 * libgit2 would compare the name with every packed ref before each
 * update, 30 million instructions per update at 10,000 tags.
 */

/*
 * The one reader of packed-refs: fn(name, len, hex, arg) for each ref
 * line ("<hex id> <name>"; "#" is a header, "^" a peeled id) whose name
 * starts with prefix.  No packed-refs file is no packed ref.
 */
typedef void (*packed_fn)(const char *name, size_t len, const char *hex,
    void *arg);

static const struct dipb_error *
packed_each(struct dipb_repo *r, const char *prefix, packed_fn fn, void *arg)
{
	const struct dipb_error *err = NULL;
	struct dipb_buf b = DIPB_BUF_INIT;
	const char *p, *end, *nl, *ref;
	char *path = xasprintf("%spacked-refs",
	    git_repository_commondir(r->git));
	size_t plen = strlen(prefix);

	if (access(path, F_OK) == -1 ||
	    (err = dipb_read_file(&b, path, 0)) != NULL)
		goto done;
	for (p = dipb_buf_cstr(&b), end = p + b.len; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if ((size_t)(nl - p) <= GIT_OID_HEXSZ + 1 || *p == '#' ||
		    *p == '^' || p[GIT_OID_HEXSZ] != ' ')
			continue;
		ref = p + GIT_OID_HEXSZ + 1;
		if ((size_t)(nl - ref) >= plen &&
		    memcmp(ref, prefix, plen) == 0)
			fn(ref, (size_t)(nl - ref), p, arg);
	}
done:
	free(path);
	dipb_buf_release(&b);
	return err;
}

struct packed_find {
	const char	*name;
	size_t		 n;
	git_oid		*out;
	int		*found;
	int		*conflict;
	int		 malformed;
};

static void
packed_match(const char *ref, size_t len, const char *hex, void *arg)
{
	struct packed_find *f = arg;
	const char *name = f->name;
	size_t n = f->n;

	if (len == n && memcmp(ref, name, n) == 0) {
		*f->found = git_oid_fromstrn(f->out, hex, GIT_OID_HEXSZ) == 0;
		f->malformed |= !*f->found;
	} else if ((len < n && name[len] == '/' &&
	    memcmp(ref, name, len) == 0) || (len > n && ref[n] == '/' &&
	    memcmp(ref, name, n) == 0))
		*f->conflict = 1;
}

/*
 * The id of name in packed-refs (*found), and whether a packed ref stands
 * in its way (*conflict: one named as a folder of name, or inside it).
 */
static const struct dipb_error *
packed_ref(git_oid *out, int *found, int *conflict, struct dipb_repo *r,
    const char *name)
{
	const struct dipb_error *err;
	struct packed_find f = { name, strlen(name), out, found, conflict, 0 };

	*found = *conflict = 0;
	if ((err = packed_each(r, "", packed_match, &f)) == NULL &&
	    f.malformed)
		err = dipb_error_fmt(DIPB_ERR_CORRUPT,
		    "malformed packed-refs: '%spacked-refs'",
		    git_repository_commondir(r->git));
	return err;
}

/* The id name holds, loose or packed; *found 0 when it does not exist. */
static const struct dipb_error *
read_ref(git_oid *out, int *found, int *conflict, struct dipb_repo *r,
    const char *name)
{
	const struct dipb_error *err;
	struct dipb_buf b = DIPB_BUF_INIT;
	char *path = xasprintf("%s%s", git_repository_commondir(r->git), name);
	struct stat st;

	memset(out, 0, sizeof(*out));
	*found = 0;
	if ((err = packed_ref(out, found, conflict, r, name)) != NULL)
		goto done;
	if (lstat(path, &st) == -1) {
		if (errno != ENOENT && errno != ENOTDIR)
			err = dipb_error_from_errno("%s", path);
		else if (errno == ENOTDIR)
			*conflict = 1;
		goto done;
	}
	if (S_ISDIR(st.st_mode)) {
		*conflict = 1;
		goto done;
	}
	/* A loose ref wins over a packed one. */
	if ((err = dipb_read_file(&b, path, 4096)) != NULL)
		goto done;
	if (b.len < GIT_OID_HEXSZ || (b.len > GIT_OID_HEXSZ &&
	    b.ptr[GIT_OID_HEXSZ] != '\n') ||
	    git_oid_fromstrn(out, b.ptr, GIT_OID_HEXSZ) < 0)
		err = dipb_error_fmt(DIPB_ERR_CORRUPT,
		    "not a plain ref (symbolic or malformed): '%s'", name);
	else
		*found = 1;
done:
	free(path);
	dipb_buf_release(&b);
	return err;
}

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

/* Appends "<old> <new> <who> <time> <tz>\t<msg>" to name's reflog. */
static const struct dipb_error *
reflog_append(struct dipb_repo *r, const char *name, const git_oid *old,
    const git_oid *new, const struct dipb_identity *who, const char *msg)
{
	const struct dipb_error *err = NULL;
	struct dipb_buf line = DIPB_BUF_INIT;
	char h1[GIT_OID_HEXSZ + 1], h2[GIT_OID_HEXSZ + 1], *path;
	int fd = -1, off = who->offset < 0 ? -who->offset : who->offset;

	/* HEAD's log is the worktree's own, the rest are shared. */
	path = xasprintf("%slogs/%s", strcmp(name, "HEAD") == 0 ?
	    r->gitdir : git_repository_commondir(r->git), name);
	if (!should_log(r, name, path))
		goto done;
	if ((err = dipb_git_make_dirs(NULL, path, strlen(r->gitdir))) != NULL)
		goto done;
	dipb_buf_printf(&line, "%s %s %s <%s> %lld %c%02d%02d\t%s\n",
	    git_oid_tostr(h1, sizeof(h1), old), git_oid_tostr(h2, sizeof(h2),
	    new), who->name, who->email, (long long)who->time,
	    who->offset < 0 ? '-' : '+', off / 60, off % 60, msg);
	if ((fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC,
	    0666)) == -1) {
		err = dipb_error_from_errno("%s", path);
		goto done;
	}
	err = dipb_write_all(fd, path, line.ptr, line.len, r->fsync);
done:
	if (fd != -1 && close(fd) == -1 && err == NULL)
		err = dipb_error_from_errno("%s", path);
	free(path);
	dipb_buf_release(&line);
	return err;
}

/*
 * Sets ref name to id if it holds expect (zero: if it does not exist),
 * logging msg (NULL: no reflog entry; with HEAD's too when HEAD is on
 * this branch).  *moved is 0 when the ref held something else, or
 * another writer holds its lock; nothing is written then.
 */
const struct dipb_error *
dipb_git_update_ref(int *moved, struct dipb_repo *r, const char *name,
    const git_oid *id, const git_oid *expect, const struct dipb_identity *who,
    const char *msg)
{
	const struct dipb_error *err = NULL;
	const char *common = git_repository_commondir(r->git);
	struct dipb_git_lockfile lf = { NULL, NULL, -1, 0 };
	char *path = xasprintf("%s%s", common, name);
	char hex[GIT_OID_HEXSZ + 2];
	git_oid cur;
	int found, conflict = 0, held, blocked;

	*moved = 0;
	/* A ref where a folder must be blocks it: not moved. */
	if ((err = dipb_git_make_dirs(&blocked, path, strlen(common))) !=
	    NULL || blocked)
		goto done;
	/* No retries: a lock that exists is another writer's change. */
	if ((err = dipb_git_lock_hold(&lf, &held, path, 0)) != NULL || !held)
		goto done;
	if ((err = read_ref(&cur, &found, &conflict, r, name)) != NULL)
		goto done;
	if (conflict || (git_oid_is_zero(expect) ? found :
	    !found || !git_oid_equal(&cur, expect)))
		goto done;
	git_oid_tostr(hex, sizeof(hex) - 1, id);
	hex[GIT_OID_HEXSZ] = '\n';
	if ((err = dipb_git_lock_write(&lf, hex, GIT_OID_HEXSZ + 1,
	    r->fsync)) != NULL)
		goto done;
	if (msg != NULL &&
	    ((err = reflog_append(r, name, expect, id, who, msg)) != NULL ||
	    (strcmp(name, r->branch_ref) == 0 &&
	    (err = reflog_append(r, "HEAD", expect, id, who, msg)) != NULL)))
		goto done;
	if ((err = dipb_git_lock_commit(&lf)) != NULL)
		goto done;
	*moved = 1;
	if (r->fsync && dipb_fsync_dir_of(path) == -1)
		err = dipb_error_from_errno("%s", path);
done:
	dipb_git_lock_rollback(&lf);
	free(path);
	return err;
}

struct tag_names {
	struct dipb_strlist	 v;
	size_t			 plen;	/* of "refs/tags/<record>/" */
};

/* Adds the name of a packed tag "refs/tags/<record>/<name>", once. */
static void
tag_name(const char *ref, size_t len, const char *hex, void *arg)
{
	struct tag_names *t = arg;
	char *name;

	(void)hex;
	if (len == t->plen)
		return;
	name = xstrndup(ref + t->plen, len - t->plen);
	if (strchr(name, '/') != NULL || dipb_strlist_contains(&t->v, name))
		free(name);	/* loose and packed: counted once */
	else
		dipb_strlist_push_owned(&t->v, name);
}

/*
 * The N of the next tag of record: one more than the number of its tags
 * (or than the highest N, should a tag have been deleted by hand).  The
 * tags are read from refs/tags/<record>/ and packed-refs directly:
 * libgit2's glob iterator matches its pattern against every packed ref,
 * 40 million instructions at 10,000 records.
 */
const struct dipb_error *
dipb_git_next_tag_number(unsigned long *out, struct dipb_repo *r,
    const char *record)
{
	const struct dipb_error *err = NULL;
	struct tag_names t = { DIPB_STRLIST_INIT, 0 };
	const char *common = git_repository_commondir(r->git);
	char *prefix = xasprintf("refs/tags/%s/", record), *path, *e;
	size_t i, n;
	unsigned long max = 0, v;
	struct dirent *d;
	DIR *dir;

	path = xasprintf("%s%s", common, prefix);
	if ((dir = opendir(path)) != NULL) {
		while ((d = readdir(dir)) != NULL) {
			n = strlen(d->d_name);
			if (d->d_name[0] == '.' || (n > 5 &&
			    strcmp(d->d_name + n - 5, ".lock") == 0))
				continue;
			dipb_strlist_push(&t.v, d->d_name);
		}
		closedir(dir);
	} else if (errno != ENOENT && errno != ENOTDIR) {
		err = dipb_error_from_errno("%s", path);
		goto done;
	}
	t.plen = strlen(prefix);
	if ((err = packed_each(r, prefix, tag_name, &t)) != NULL)
		goto done;
	for (i = 0; i < t.v.n; i++) {
		errno = 0;
		v = strtoul(t.v.v[i], &e, 10);
		if (errno == 0 && e != t.v.v[i] && *e == '-' && v > max)
			max = v;
	}
	*out = (t.v.n > max ? t.v.n : max) + 1;
done:
	free(path);
	free(prefix);
	dipb_strlist_release(&t.v);
	return err;
}

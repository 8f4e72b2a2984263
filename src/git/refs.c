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
	if ((err = dipb_git_make_dirs(NULL, r, path,
	    strlen(r->gitdir))) != NULL)
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
	/*
	 * The log in core.sharedRepository's mode, as git gives it at each
	 * write; one of another user's that dipb may not chmod stays.
	 */
	dipb_error_free(dipb_git_perm_fix(r, path, fd));
	err = dipb_write_all(fd, path, line.ptr, line.len, r->fsync);
done:
	if (fd != -1 && close(fd) == -1 && err == NULL)
		err = dipb_error_from_errno("%s", path);
	free(path);
	dipb_buf_release(&line);
	return err;
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
	if (what != NULL)
		err = dipb_error_fmt(DIPB_ERR_GIT, "the ref '%s' clashes "
		    "with '%s', which dipb must write: rename or delete it "
		    "(git update-ref -d %s) and retry", what, name, what);
	else
		err = dipb_error_fmt(DIPB_ERR_GIT, "a file or folder in "
		    "the way of the ref '%s' (in %s): remove it and retry",
		    name, git_repository_commondir(r->git));
	free(n);
	return err;
}

/*
 * Sets ref name to id if it holds expect (zero: if it does not exist),
 * logging msg (NULL: no reflog entry; with HEAD's too when HEAD is on
 * this branch).  *moved is 0 when the ref held something else; nothing
 * is written then, nor when another writer holds its lock or another
 * ref clashes with it (errors).
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
	int found, conflict = 0, blocked;

	*moved = 0;
	if ((err = dipb_git_make_dirs(&blocked, r, path, strlen(common))) !=
	    NULL)
		goto done;
	if (blocked) {
		err = clash(r, name);
		goto done;
	}
	/* No retries: a lock that exists is another writer's change. */
	if ((err = dipb_git_lock_hold(&lf, r, path, 0)) != NULL)
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
		if ((err = dipb_git_make_dirs(&blocked, r, path,
		    strlen(common))) == NULL && blocked)
			err = clash(r, j[i].name);
		if (err == NULL)
			err = dipb_git_lock_hold(&lf[i], r, path, 0);
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

struct tag_names {
	struct dipb_strlist	 v;
	size_t			 plen;	/* of "refs/tags/<record>/" */
	int			 plain;	/* a packed "refs/tags/<record>" */
};

/*
 * Adds the name of a packed tag "refs/tags/<record>/<name>", once; notes
 * a tag "refs/tags/<record>", which clashes with the folder.
 */
static void
tag_name(const char *ref, size_t len, const char *hex, void *arg)
{
	struct tag_names *t = arg;
	char *name;

	(void)hex;
	if (len == t->plen - 1)
		t->plain = 1;
	if (len <= t->plen || ref[t->plen - 1] != '/')
		return;
	name = xstrndup(ref + t->plen, len - t->plen);
	if (strchr(name, '/') != NULL || dipb_strlist_contains(&t->v, name))
		free(name);	/* loose and packed: counted once */
	else
		dipb_strlist_push_owned(&t->v, name);
}

/*
 * A shallow clone fetches the tags on the commits it has only: a record
 * at the tip with none of its tags here has them past the clone's end,
 * and its next number cannot be known.  (A record changed within the
 * clone's depth has its latest tag, the highest number, here.)
 */
static const struct dipb_error *
shallow_untagged(struct dipb_repo *r, const char *record)
{
	const struct dipb_error *err;
	char *path;
	git_oid id;
	int found = 0;

	if (git_repository_is_shallow(r->git) != 1)
		return NULL;
	path = dipb_record_path(record);
	err = dipb_git_tree_blob(&id, NULL, &found, r, path);
	free(path);
	if (err == NULL && found)
		err = dipb_error_fmt(DIPB_ERR_GIT, "%s's tags are not in this "
		    "shallow clone (a clone with --depth), so its next tag "
		    "cannot be numbered: 'git fetch --unshallow' fetches the "
		    "history and its tags", record);
	return err;
}

/*
 * The names of the refs directly inside folder ("refs/tags/IC-0003/"),
 * loose and packed, each once, into t->v; *plain set when a ref of the
 * folder's own name stands in its way (loose: 1, packed: t->plain).
 * Read from the folder and packed-refs directly: libgit2's glob iterator
 * matches its pattern against every packed ref, 40 million instructions
 * at 10,000 records.
 */
static const struct dipb_error *
folder_names(struct tag_names *t, int *plain, struct dipb_repo *r,
    const char *folder)
{
	const struct dipb_error *err = NULL;
	const char *common = git_repository_commondir(r->git);
	char *prefix = xstrdup(folder);
	char *path = xasprintf("%s%s", common, prefix);
	size_t n;
	struct dirent *d;
	DIR *dir;

	*plain = 0;
	if ((dir = opendir(path)) != NULL) {
		while ((d = readdir(dir)) != NULL) {
			n = strlen(d->d_name);
			if (d->d_name[0] == '.' || (n > 5 &&
			    strcmp(d->d_name + n - 5, ".lock") == 0))
				continue;
			dipb_strlist_push(&t->v, d->d_name);
		}
		closedir(dir);
	} else if (errno == ENOTDIR)
		*plain = 1;	/* the loose tag refs/tags/<record> */
	else if (errno != ENOENT) {
		err = dipb_error_from_errno("%s", path);
		goto done;
	}
	t->plen = strlen(prefix);
	prefix[t->plen - 1] = '\0';
	err = packed_each(r, prefix, tag_name, t);
done:
	free(path);
	free(prefix);
	return err;
}

const struct dipb_error *
dipb_repo_ref_names(struct dipb_strlist *out, struct dipb_repo *r,
    const char *folder)
{
	const struct dipb_error *err;
	struct tag_names t = { DIPB_STRLIST_INIT, 0, 0 };
	size_t i;
	int plain;

	if (folder[0] == '\0' || folder[strlen(folder) - 1] != '/')
		return dipb_error_fmt(DIPB_ERR_INTERNAL, "not a ref folder: "
		    "'%s'", folder);
	err = folder_names(&t, &plain, r, folder);
	for (i = 0; i < t.v.n && err == NULL; i++)
		dipb_strlist_push(out, t.v.v[i]);
	dipb_strlist_release(&t.v);
	return err;
}

/*
 * The N of the next tag of record: one more than the number of its tags
 * (or than the highest N, should a tag have been deleted by hand).
 */
const struct dipb_error *
dipb_git_next_tag_number(unsigned long *out, struct dipb_repo *r,
    const char *record)
{
	const struct dipb_error *err = NULL;
	struct tag_names t = { DIPB_STRLIST_INIT, 0, 0 };
	char *prefix = xasprintf("refs/tags/%s/", record), *e;
	size_t i;
	unsigned long max = 0, v;
	int plain = 0;

	/* The first step of a change: its checks come first. */
	if ((err = dipb_git_check_locks(r)) != NULL) {
		free(prefix);
		return err;
	}
	if ((err = folder_names(&t, &plain, r, prefix)) != NULL)
		goto done;
	prefix[strlen(prefix) - 1] = '\0';
	/* Refused before the change writes anything. */
	if (plain || t.plain) {
		err = dipb_error_fmt(DIPB_ERR_GIT, "the tag '%s' (%s, %s) "
		    "clashes with the folder of %s's tags, %s/: rename it "
		    "(git tag NEW-NAME %s && git tag -d %s) and retry", record,
		    prefix, plain ? "loose" : "packed", record, prefix, record,
		    record);
		goto done;
	}
	if (t.v.n == 0 && (err = shallow_untagged(r, record)) != NULL)
		goto done;
	for (i = 0; i < t.v.n; i++) {
		errno = 0;
		v = strtoul(t.v.v[i], &e, 10);
		if (errno == 0 && e != t.v.v[i] && *e == '-' && v > max)
			max = v;
	}
	*out = (t.v.n > max ? t.v.n : max) + 1;
done:
	free(prefix);
	dipb_strlist_release(&t.v);
	return err;
}

/* ---- record ids -------------------------------------------------- */

/* Notes any ref (including refs/tags/<id> itself) that packed_each finds. */
static void
any_ref(const char *ref, size_t len, const char *hex, void *arg)
{
	struct packed_find *f = arg;

	(void)hex;
	if (len == f->n || ref[f->n] == '/')
		*f->found = 1;
}

/*
 * Whether record id is taken in the refs: a tag "<id>" (which would clash
 * with the folder of its tags) or any tag in refs/tags/<id>/, loose or
 * packed.  A deleted or withdrawn record keeps its tags, so its id is
 * never handed out again.
 */
static const struct dipb_error *
id_taken(int *taken, struct dipb_repo *r, const char *folder, const char *id)
{
	const struct dipb_error *err;
	char *name = xasprintf("%s%s", folder, id);
	char *path = xasprintf("%s%s", git_repository_commondir(r->git), name);
	struct packed_find f = { name, strlen(name), NULL, taken, NULL, 0 };
	struct dirent *d;
	struct stat st;
	DIR *dir;

	*taken = 0;
	if (lstat(path, &st) == 0) {
		if (!S_ISDIR(st.st_mode))
			*taken = 1;
		else if ((dir = opendir(path)) != NULL) {
			while (!*taken && (d = readdir(dir)) != NULL)
				*taken = strcmp(d->d_name, ".") != 0 &&
				    strcmp(d->d_name, "..") != 0;
			closedir(dir);
		}
	}
	err = *taken ? NULL : packed_each(r, name, any_ref, &f);
	free(path);
	free(name);
	return err;
}

/*
 * The next id of prefix after the record files below root, skipping ids
 * with refs in refs/tags/ or in the folder also (NULL: none).
 */
static const struct dipb_error *
next_id(char **out, struct dipb_repo *r, const git_oid *root,
    const char *prefix, const char *also)
{
	const struct dipb_error *err;
	unsigned long max = 0;
	char *id;
	int taken;

	*out = NULL;
	if (!dipb_id_prefix_valid(prefix))
		return dipb_error_fmt(DIPB_ERR_BAD_ID,
		    "not a record id prefix: '%s'", prefix);
	if ((err = dipb_git_records_max(&max, r, root, prefix)) != NULL)
		return err;
	/*
	 * Probe the ids after the highest file: one whose refs exist (its
	 * tags, or a tag of its name in the way of their folder) is taken.
	 */
	for (;;) {
		if (max == ULONG_MAX)
			return dipb_error_fmt(DIPB_ERR_INTERNAL,
			    "record numbers of %s exhausted", prefix);
		id = xasprintf("%s-%04lu", prefix, max + 1);
		if ((err = id_taken(&taken, r, "refs/tags/", id)) == NULL &&
		    !taken && also != NULL)
			err = id_taken(&taken, r, also, id);
		if (err != NULL || !taken)
			break;
		free(id);
		max++;
	}
	if (err != NULL)
		free(id);
	else
		*out = id;
	return err;
}

const struct dipb_error *
dipb_repo_next_id(char **out, struct dipb_repo *r, const char *prefix)
{
	return next_id(out, r, dipb_git_tip_root(r), prefix, NULL);
}

const struct dipb_error *
dipb_repo_next_id_at(char **out, struct dipb_repo *r, const char *commit,
    const char *prefix, const char *also)
{
	const struct dipb_error *err;
	struct dipb_commit c;
	git_oid root;

	*out = NULL;
	if ((err = dipb_git_commit_read(&c, r, commit)) != NULL)
		return err;
	if (git_oid_fromstr(&root, c.tree) < 0)
		err = dipb_error_fmt(DIPB_ERR_CORRUPT, "not a commit: '%s'",
		    commit);
	dipb_commit_release(&c);
	if (err == NULL)
		err = next_id(out, r, &root, prefix, also);
	return err;
}

/*
 * object.c - commits, trees and blobs read raw from the object database
 * (repo.h, "Reading the history").
 *
 * A commit is parsed from its bytes (tree, first parent, author,
 * committer, signature, message), and a tag from its own (object,
 * tagger, signature), not through git_commit_lookup, which would parse
 * and cache every header: a walk of 10,000 commits needs a handful of
 * lines of each.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../board.h"
#include "../error.h"
#include "../util.h"
#include "internal.h"

extern char **environ;

struct dipb_object {
	git_odb_object	*obj;		/* NULL: own holds it */
	char		*own;
	size_t		 len;
	enum dipb_object_type type;
};

struct dipb_tree {
	struct dipb_object	*obj;		/* NULL: dipb_git_tree_parse's */
	const char		*data;		/* the tree's bytes */
	size_t			 len;
	struct dipb_tree_entry	*v;
	size_t			 n;
};

static enum dipb_object_type
from_git(git_object_t t)
{
	switch (t) {
	case GIT_OBJECT_COMMIT:
		return DIPB_OBJECT_COMMIT;
	case GIT_OBJECT_TREE:
		return DIPB_OBJECT_TREE;
	case GIT_OBJECT_BLOB:
		return DIPB_OBJECT_BLOB;
	case GIT_OBJECT_TAG:
		return DIPB_OBJECT_TAG;
	default:
		return DIPB_OBJECT_NONE;
	}
}

const char *
dipb_object_type_name(enum dipb_object_type t)
{
	switch (t) {
	case DIPB_OBJECT_COMMIT:
		return "commit";
	case DIPB_OBJECT_TREE:
		return "tree";
	case DIPB_OBJECT_BLOB:
		return "blob";
	case DIPB_OBJECT_TAG:
		return "tag";
	default:
		return "object";
	}
}

/* ---- partial clones ------------------------------------------------ */

/*
 * The promisor remote of a partial clone (caller frees): the one
 * extensions.partialClone names (git clone --filter sets it, with
 * remote.<name>.promisor), else the first remote.<name>.promisor true;
 * NULL when the repository is no partial clone.
 */
static char *
promisor(struct dipb_repo *repo)
{
	git_config *cfg = NULL;
	git_config_entry *e = NULL;
	git_config_iterator *it = NULL;
	char *name = NULL;
	size_t n;
	int b;

	/* A setting of the repository format, read as it was opened. */
	if (repo->format.partial_clone != NULL &&
	    repo->format.partial_clone[0] != '\0')
		return xstrdup(repo->format.partial_clone);
	if (git_repository_config_snapshot(&cfg, repo->git) < 0)
		goto done;
	/* Not a glob iterator: libgit2's leaks its PCRE2 match data. */
	if (git_config_iterator_new(&it, cfg) == 0)
		while (name == NULL && git_config_next(&e, it) == 0) {
			n = strlen(e->name);
			if (strncmp(e->name, "remote.", 7) == 0 && n > 16 &&
			    strcmp(e->name + n - 9, ".promisor") == 0 &&
			    e->value != NULL &&
			    git_config_parse_bool(&b, e->value) == 0 && b)
				name = xstrndup(e->name + 7, n - 16);
		}
done:
	git_config_iterator_free(it);
	git_config_free(cfg);
	git_error_clear();
	return name;
}

/*
 * 1 when the object store holds a pack git fetched from a promisor remote
 * (a .promisor file in objects/pack): a partial clone even when its remote was
 * removed from the configuration ('git remote remove' takes
 * remote.<name>.promisor with it).
 */
static int
promisor_pack(struct dipb_repo *repo)
{
	char *path = xasprintf("%sobjects/pack",
	    git_repository_commondir(repo->git));
	struct dirent *d;
	DIR *dir;
	size_t n;
	int found = 0;

	if ((dir = opendir(path)) != NULL) {
		while (!found && (d = readdir(dir)) != NULL) {
			n = strlen(d->d_name);
			found = n > 9 &&
			    strcmp(d->d_name + n - 9, ".promisor") == 0;
		}
		closedir(dir);
	}
	free(path);
	return found;
}

/* fp's contents from its start, appended to out. */
static void
slurp(struct dipb_buf *out, FILE *fp)
{
	char chunk[4096];
	size_t n;

	rewind(fp);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		dipb_buf_put(out, chunk, n);
}

/*
 * Runs "git --git-dir=<gitdir> args..." (no shell) with in on its standard
 * input, its standard output into out, its standard error into err (files
 * in between: nothing to deadlock on).  *ok: it exited 0.  An error: it
 * could not be run at all.
 */
static const struct dipb_error *
run_git(int *ok, struct dipb_buf *out, struct dipb_buf *err,
    struct dipb_repo *repo, const char *const *args, const char *in,
    size_t inlen)
{
	const struct dipb_error *e = NULL;
	posix_spawn_file_actions_t fa;
	FILE *fin = NULL, *fout = NULL, *ferr = NULL;
	char *argv[24], *gd;
	size_t n = strlen(repo->gitdir);
	pid_t pid;
	int rc, status;

	*ok = 0;
	/* Without gitdir's last '/': git names its files after it. */
	if (n > 1 && repo->gitdir[n - 1] == '/')
		n--;
	gd = xasprintf("--git-dir=%.*s", (int)n, repo->gitdir);
	n = 0;
	argv[n++] = (char *)"git";
	argv[n++] = gd;
	while (*args != NULL && n < 23)
		argv[n++] = (char *)*args++;
	argv[n] = NULL;
	/* git gets them as 0, 1 and 2 only (util.h, dipb_pipe_cloexec). */
	if ((fin = tmpfile()) == NULL || (fout = tmpfile()) == NULL ||
	    (ferr = tmpfile()) == NULL ||
	    fcntl(fileno(fin), F_SETFD, FD_CLOEXEC) == -1 ||
	    fcntl(fileno(fout), F_SETFD, FD_CLOEXEC) == -1 ||
	    fcntl(fileno(ferr), F_SETFD, FD_CLOEXEC) == -1) {
		e = dipb_error_from_errno("tmpfile");
		goto done;
	}
	if (inlen > 0 && (fwrite(in, 1, inlen, fin) != inlen ||
	    fflush(fin) != 0)) {
		e = dipb_error_from_errno("tmpfile");
		goto done;
	}
	rewind(fin);
	if (posix_spawn_file_actions_init(&fa) != 0) {
		e = dipb_error_from_errno("posix_spawn");
		goto done;
	}
	posix_spawn_file_actions_adddup2(&fa, fileno(fin), 0);
	posix_spawn_file_actions_adddup2(&fa, fileno(fout), 1);
	posix_spawn_file_actions_adddup2(&fa, fileno(ferr), 2);
	fflush(NULL);
	rc = posix_spawnp(&pid, "git", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0) {
		e = dipb_error_fmt(DIPB_ERR_GIT, "cannot run git: %s",
		    strerror(rc));
		goto done;
	}
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR) {
			e = dipb_error_from_errno("waitpid");
			goto done;
		}
	*ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
	if (out != NULL)
		slurp(out, fout);
	if (err != NULL)
		slurp(err, ferr);
done:
	if (fin != NULL)
		fclose(fin);
	if (fout != NULL)
		fclose(fout);
	if (ferr != NULL)
		fclose(ferr);
	free(gd);
	return e;
}

/*
 * What git said on its standard error, in one line (a pointer into b):
 * its first "fatal: " or "error: " line, which names the cause (what
 * follows is advice, as "remove the file manually to continue" after a
 * lock file it found), else its last line, trimmed.
 */
static const char *
git_said(struct dipb_buf *b)
{
	char *p, *line;

	while (b->len > 0 && (b->ptr[b->len - 1] == '\n' ||
	    b->ptr[b->len - 1] == '\r' || b->ptr[b->len - 1] == ' '))
		b->len--;
	if (b->len == 0)
		return "git said nothing";
	b->ptr[b->len] = '\0';
	for (line = b->ptr; line != NULL; line = p == NULL ? NULL : p + 1) {
		p = strchr(line, '\n');
		if (strncmp(line, "fatal: ", 7) == 0 ||
		    strncmp(line, "error: ", 7) == 0) {
			if (p != NULL)
				*p = '\0';
			return line;
		}
	}
	if ((p = strrchr(b->ptr, '\n')) != NULL)
		return p + 1;
	return b->ptr;
}

/*
 * 1 when git's fetch of the one object of ids failed because the remote
 * has no such object: "upload-pack: not our ref <id>", the server's
 * answer (a broken tag ref names it).  The object is then as missing as
 * in a full clone, not a fetch that failed (the remote unreachable, which
 * cannot tell).  A batch is all or nothing, as before.
 */
static int
refused(const struct dipb_buf *ids, size_t n, const struct dipb_buf *msg)
{
	const char *p;

	if (n != 1 || msg->len == 0 || ids->len < DIPB_OID_HEX)
		return 0;
	for (p = dipb_buf_cstr(msg); (p = strstr(p, "not our ref ")) != NULL;
	    p++)
		if (strncmp(p + 12, ids->ptr, DIPB_OID_HEX) == 0)
			return 1;
	return 0;
}

/*
 * Fetches the n objects of ids (hex, one a line, in ids) from remote, as
 * git fetches a partial clone's missing objects itself; NULL when git
 * did, or when the one object asked for is not on the remote either
 * (refused: the read that follows says it is missing), else DIPB_ERR_GIT
 * naming them and how to fetch them.  A failed batch of the history
 * (batch set) is said again by every later read, not tried again; a
 * failed fetch of a few others (a file of the working tree) is this
 * read's alone: the history's may still come.
 */
static const struct dipb_error *
fetch_ids(struct dipb_repo *repo, const char *remote,
    const struct dipb_buf *ids, size_t n, int batch)
{
	const char *args[] = { "-c", "fetch.negotiationAlgorithm=noop",
	    "fetch", remote, "--no-tags", "--no-write-fetch-head",
	    "--recurse-submodules=no", "--filter=blob:none", "--stdin",
	    "--quiet", NULL };
	const struct dipb_error *err;
	struct dipb_buf out = DIPB_BUF_INIT, msg = DIPB_BUF_INIT;
	char first[DIPB_OID_HEX + 1];
	int ok = 0;

	if ((err = run_git(&ok, &out, &msg, repo, args, ids->ptr,
	    ids->len)) == NULL && !ok && !refused(ids, n, &msg)) {
		snprintf(first, sizeof(first), "%.40s", ids->ptr);
		err = dipb_error_fmt(DIPB_ERR_GIT, "this partial clone (a "
		    "clone with --filter) lacks %zu object%s that this "
		    "command reads (%s%s), and fetching %s from its remote "
		    "'%s' failed: %s; nothing was judged from %s. Once '%s' "
		    "is reachable, 'git rev-list --objects --missing=print "
		    "HEAD --tags -- recommendations dipb.yaml | sed -n "
		    "'s/^?//p' | git -c fetch.negotiationAlgorithm=noop "
		    "fetch %s --no-tags --filter=blob:none --stdin' fetches "
		    "them", n, n == 1 ? "" : "s", first,
		    n > 1 ? " and others" : "", n == 1 ? "it" : "them", remote,
		    git_said(&msg), n == 1 ? "it" : "them", remote, remote);
		if (batch) {
			free(repo->lazy_failed);
			repo->lazy_failed = xstrdup(err->msg);
		}
	}
	if (err == NULL)
		git_odb_refresh(repo->odb);
	dipb_buf_release(&out);
	dipb_buf_release(&msg);
	return err;
}

/*
 * Runs git with args (a rev-list --missing=print), in on its standard
 * input: *ok as run_git sets it, and the ids it prints as missing ("?id")
 * into ids, one a line, their number in *n.
 */
static const struct dipb_error *
list_missing(int *ok, struct dipb_buf *ids, size_t *n, struct dipb_buf *msg,
    struct dipb_repo *repo, const char *const *args,
    const struct dipb_buf *in)
{
	const struct dipb_error *err;
	struct dipb_buf out = DIPB_BUF_INIT;
	const char *p, *end, *nl;

	dipb_buf_clear(ids);
	dipb_buf_clear(msg);
	*n = 0;
	if ((err = run_git(ok, &out, msg, repo, args, in == NULL ? NULL :
	    in->ptr, in == NULL ? 0 : in->len)) != NULL || !*ok) {
		dipb_buf_release(&out);
		return err;
	}
	end = out.ptr + out.len;
	for (p = out.ptr; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if (*p == '?' && nl - p > DIPB_OID_HEX) {
			dipb_buf_put(ids, p + 1, DIPB_OID_HEX);
			dipb_buf_put(ids, "\n", 1);
			(*n)++;
		}
	}
	dipb_buf_release(&out);
	return NULL;
}

/*
 * Where the history's listing starts, one id a line into out, for git
 * rev-list --stdin: the branch tip and what every tag names, as --tags
 * would give them, but a tag whose object is not here left out.  git
 * stops at such a ref ("fatal: bad object", after a fetch the remote
 * refuses), where a full clone's reads take a broken ref for one that
 * names nothing; one that names an object the remote has is fetched
 * alone when it is read.
 */
static const struct dipb_error *
history_tips(struct dipb_buf *out, struct dipb_repo *repo)
{
	const struct dipb_error *err;
	struct dipb_tagrefs tags = { NULL, 0, 0 };
	char tip[DIPB_OID_HEX + 1];
	git_oid id;
	size_t i;

	git_oid_tostr(tip, sizeof(tip), &repo->tip);
	dipb_buf_printf(out, "%s\n", tip);
	if ((err = dipb_git_tags(&tags, repo)) != NULL)
		return err;
	for (i = 0; i < tags.n; i++)
		if (git_oid_fromstrn(&id, tags.v[i].target,
		    strlen(tags.v[i].target)) == 0 &&
		    strlen(tags.v[i].target) == DIPB_OID_HEX &&
		    git_odb_exists(repo->odb, &id))
			dipb_buf_printf(out, "%s\n", tags.v[i].target);
	git_error_clear();
	dipb_tagrefs_release(&tags);
	return NULL;
}

/*
 * Fetches from remote what git lists as missing (args, a rev-list
 * --missing=print, with in, or NULL, on its standard input), and lists
 * again, until none is missing or a round brings no fewer (the reads say
 * the rest), 4 rounds at most: a tree fetched brings the trees it holds,
 * but the listing stops at a tree it lacks.  When the listing fails and
 * trees is set, the trees it names (blobs left out: the listing of the
 * trees filtered out by --filter=tree:0) are fetched first, once, and
 * the listing made again.  what names the objects in the message of a
 * listing that fails; batch as fetch_ids, and with no remote (NULL) the
 * failure is said again by every later read too.
 */
static const struct dipb_error *
fetch_missing(struct dipb_repo *repo, const char *remote,
    const char *const *args, const char *const *trees,
    const struct dipb_buf *in, const char *what, int batch)
{
	const struct dipb_error *err = NULL;
	struct dipb_buf msg = DIPB_BUF_INIT, ids = DIPB_BUF_INIT;
	size_t n, last = 0;
	int ok, round;

	for (round = 0; round < 4 && err == NULL; round++) {
		if ((err = list_missing(&ok, &ids, &n, &msg, repo, args,
		    in)) != NULL)
			break;
		if (!ok && trees != NULL && remote != NULL) {
			if ((err = list_missing(&ok, &ids, &n, &msg, repo,
			    trees, in)) == NULL && ok && n > 0)
				err = fetch_ids(repo, remote, &ids, n, batch);
			trees = NULL;
			/* Again, whatever the trees gave: its answer counts. */
			if (err == NULL)
				err = list_missing(&ok, &ids, &n, &msg, repo,
				    args, in);
			if (err != NULL)
				break;
		}
		if (!ok) {
			err = dipb_error_fmt(DIPB_ERR_GIT, "cannot list the "
			    "%s this partial clone lacks: 'git rev-list "
			    "--objects --missing=print' failed: %s", what,
			    git_said(&msg));
			break;
		}
		/* None missing, or no progress: the reads say the rest. */
		if (n == 0 || (round > 0 && n >= last))
			break;
		last = n;
		if (remote == NULL) {
			err = dipb_error_fmt(DIPB_ERR_GIT, "this partial clone "
			    "(a clone with --filter) lacks %zu object%s that "
			    "this command reads (%.40s%s), and names no remote "
			    "to fetch %s from (remote.<name>.promisor, which "
			    "'git remote remove' takes away); nothing was "
			    "judged from %s. 'git remote add origin URL && git "
			    "config remote.origin.promisor true' names it "
			    "again; then retry", n, n == 1 ? "" : "s", ids.ptr,
			    n > 1 ? " and others" : "", n == 1 ? "it" : "them",
			    n == 1 ? "it" : "them");
			if (batch) {
				free(repo->lazy_failed);
				repo->lazy_failed = xstrdup(err->msg);
			}
			break;
		}
		err = fetch_ids(repo, remote, &ids, n, batch);
	}
	dipb_buf_release(&ids);
	dipb_buf_release(&msg);
	return err;
}

/*
 * The batch: the objects missing from the history of the records and
 * dipb.yaml, from the tip and every tag (history_tips), as git itself
 * lists them ('git rev-list --missing=print' fetches nothing), fetched
 * at once.  Trees filtered out too (--filter=tree:0) stop that listing,
 * limited to two paths, at the first it must read: then every tree the
 * history lacks is fetched first (fetch_missing).
 */
static const struct dipb_error *
prefetch(struct dipb_repo *repo, const char *remote)
{
	const char *args[] = { "rev-list", "--objects", "--missing=print",
	    "--stdin", "--", DIPB_RECORD_DIR, DIPB_BOARD_FILE, NULL };
	const char *trees[] = { "rev-list", "--objects", "--missing=print",
	    "--filter=blob:none", "--stdin", NULL };
	const struct dipb_error *err;
	struct dipb_buf tips = DIPB_BUF_INIT;

	if (repo->unborn)
		return NULL;
	if ((err = history_tips(&tips, repo)) == NULL)
		err = fetch_missing(repo, remote, args, trees, &tips,
		    "objects", 1);
	dipb_buf_release(&tips);
	return err;
}

const struct dipb_error *
dipb_repo_prefetch(struct dipb_repo *repo)
{
	const struct dipb_error *err;
	char *remote;

	if (repo->lazy_failed != NULL)
		return dipb_error_fmt(DIPB_ERR_GIT, "%s", repo->lazy_failed);
	if (repo->lazy_done)
		return NULL;
	repo->lazy_done = 1;
	if ((remote = promisor(repo)) == NULL && !promisor_pack(repo))
		return NULL;
	err = prefetch(repo, remote);
	free(remote);
	return err;
}

const struct dipb_error *
dipb_git_have_all(struct dipb_repo *repo, const git_oid *ids, size_t n)
{
	const struct dipb_error *err = NULL;
	struct dipb_buf want = DIPB_BUF_INIT;
	char hex[DIPB_OID_HEX + 1], *remote;
	size_t i, m;
	int again;

	do {
		again = 0;
		dipb_buf_clear(&want);
		for (i = m = 0; i < n; i++) {
			if (git_oid_is_zero(&ids[i]) ||
			    git_odb_exists(repo->odb, &ids[i]))
				continue;
			git_oid_tostr(hex, sizeof(hex), &ids[i]);
			dipb_buf_printf(&want, "%s\n", hex);
			m++;
		}
		git_error_clear();
		if (m > 0 && !repo->lazy_done) {
			/* The history's batch first: it may hold them all. */
			if ((err = dipb_repo_prefetch(repo)) != NULL)
				goto done;
			again = 1;
		}
	} while (again);
	if (m == 0)
		goto done;
	if (repo->lazy_failed != NULL) {
		err = dipb_error_fmt(DIPB_ERR_GIT, "%s", repo->lazy_failed);
		goto done;
	}
	if ((remote = promisor(repo)) == NULL)
		goto done;
	/* Past the batch (another path, a tree filtered out, a tip the
	 * sync moved to): the rest in one fetch. */
	err = fetch_ids(repo, remote, &want, m, 0);
	free(remote);
done:
	dipb_buf_release(&want);
	return err;
}

const struct dipb_error *
dipb_git_have_commit_trees(struct dipb_repo *repo, const char *const *ids,
    size_t n)
{
	const char *head[] = { "rev-list", "--objects", "--no-walk",
	    "--missing=print", "--filter=blob:none" };
	const char **args;
	const struct dipb_error *err;
	char *remote;
	size_t i, k = sizeof(head) / sizeof(head[0]);

	/* Only a partial clone lacks trees: no git run in any other. */
	if (n == 0 || (remote = promisor(repo)) == NULL)
		return NULL;
	args = xcalloc(k + n + 1, sizeof(*args));
	memcpy(args, head, sizeof(head));
	for (i = 0; i < n; i++)
		args[k + i] = ids[i];
	err = fetch_missing(repo, remote, args, NULL, NULL, "trees", 0);
	free(args);
	free(remote);
	return err;
}

const struct dipb_error *
dipb_git_have_trees(struct dipb_repo *repo, const git_oid *commit)
{
	char hex[DIPB_OID_HEX + 1];
	const char *ids[1];

	git_oid_tostr(hex, sizeof(hex), commit);
	ids[0] = hex;
	return dipb_git_have_commit_trees(repo, ids, 1);
}

/*
 * Object id, there but not read (rc, not GIT_ENOTFOUND: a loose object
 * that does not inflate, a damaged pack entry, bytes that are not the
 * id's): a corrupt repository, exit status 5 (dipb(1), dipb-verify(1)),
 * with git's reason; never a missing object, which a command may judge
 * as a finding (a record that cannot be read).
 */
static const struct dipb_error *
unreadable(const git_oid *id)
{
	char hex[DIPB_OID_HEX + 1];
	const struct dipb_error *err;

	git_oid_tostr(hex, sizeof(hex), id);
	err = dipb_error_from_git("object '%s' is corrupt, git cannot read "
	    "it ('git fsck' names what is damaged)", hex);
	git_error_clear();
	return err;
}

const struct dipb_error *
dipb_git_have(struct dipb_repo *repo, const git_oid *id)
{
	return dipb_git_have_all(repo, id, 1);
}

const struct dipb_error *
dipb_git_odb_read(git_odb_object **out, struct dipb_repo *repo,
    const git_oid *id)
{
	const struct dipb_error *err;
	char hex[DIPB_OID_HEX + 1];
	int rc;

	*out = NULL;
	if ((rc = git_odb_read(out, repo->odb, id)) == 0)
		return NULL;
	*out = NULL;
	if (rc != GIT_ENOTFOUND)
		return unreadable(id);
	git_error_clear();
	git_oid_tostr(hex, sizeof(hex), id);
	if ((err = dipb_git_have(repo, id)) != NULL)
		return err;
	if ((rc = git_odb_read(out, repo->odb, id)) == 0)
		return NULL;
	*out = NULL;
	if (rc != GIT_ENOTFOUND)
		return unreadable(id);
	git_error_clear();
	return dipb_git_missing(repo, hex);
}

/*
 * Why object id is not here (dipb_git_missing), said after what a
 * caller's message says: with named, that message names id already, and
 * the reason does not again.  The alternate first: a repository without
 * it is broken, whatever else it is (shallow: no fetch mends it, for git
 * does not know the objects are missing).  With uncut, the caller knows
 * the history is not cut there (.git/shallow does not list the commit
 * that needs it): a shallow clone is no reason.
 */
static const struct dipb_error *
missing(struct dipb_repo *repo, const char *id, int named, int uncut)
{
	char *remote, *gone, *obj;
	const struct dipb_error *err;
	size_t nalt;
	int shallow;

	obj = named ? xstrdup("it") : xasprintf("object '%s'", id);
	/*
	 * A clone made with --shared or --reference reads its source's
	 * objects: gone, or moved, the source takes them along, as git
	 * says ("unable to normalize alternate object path").  A
	 * repository without its alternate is broken, an error of its own:
	 * no object missing for it is taken for a broken ref that names
	 * nothing, or for a finding.
	 */
	if ((gone = dipb_git_alternate_gone(&nalt, repo)) != NULL) {
		err = dipb_error_fmt(DIPB_ERR_GIT, "%s%s%sthis repository "
		    "borrows objects from the alternate '%s' "
		    "(.git/objects/info/alternates: a clone made with --shared "
		    "or --reference), which is not there any more; put it "
		    "back, or name its new place in that file",
		    named ? "" : "cannot read object: '", named ? "" : id,
		    named ? "" : "': ", gone);
		free(gone);
	} else if (!uncut &&
	    (err = dipb_repo_shallow(&shallow, repo)) != NULL)
		;
	else if (!uncut && shallow)
		err = dipb_error_fmt(DIPB_ERR_NOT_FOUND, "%s is not in this "
		    "repository: its history is shallow (a clone with "
		    "--depth); 'git fetch --unshallow --tags' fetches the "
		    "rest", obj);
	else if ((remote = promisor(repo)) != NULL) {
		err = dipb_error_fmt(DIPB_ERR_NOT_FOUND, "%s is not in this "
		    "partial clone, and its remote '%s' did not send it: 'git "
		    "cat-file -p %s' fetches it as git does", obj, remote, id);
		free(remote);
	} else if (promisor_pack(repo))
		err = dipb_error_fmt(DIPB_ERR_GIT, "%s is not in this partial "
		    "clone, which names no remote to fetch it from "
		    "(remote.<name>.promisor, which 'git remote remove' takes "
		    "away): 'git remote add origin URL && git config "
		    "remote.origin.promisor true' names it again", obj);
	else if (nalt > 0)
		err = dipb_error_fmt(DIPB_ERR_NOT_FOUND, "%s%s%sneither this "
		    "repository nor its alternates "
		    "(.git/objects/info/alternates) have it",
		    named ? "" : "cannot read object: '", named ? "" : id,
		    named ? "" : "': ");
	else if (named)
		err = dipb_error_fmt(DIPB_ERR_NOT_FOUND, "it is not in this "
		    "repository");
	else
		err = dipb_error_fmt(DIPB_ERR_NOT_FOUND, "cannot read object: "
		    "'%s'", id);
	git_error_clear();
	free(obj);
	return err;
}

const struct dipb_error *
dipb_git_missing(struct dipb_repo *repo, const char *id)
{
	return missing(repo, id, 0, 0);
}

const struct dipb_error *
dipb_git_parent_missing(struct dipb_repo *repo, const char *commit,
    const char *parent)
{
	const struct dipb_error *why, *err;

	why = missing(repo, parent, 0, 1);
	err = dipb_error_fmt(DIPB_ERR_CORRUPT, "history incomplete: the "
	    "parent of commit '%s' is missing: %s", commit, why->msg);
	dipb_error_free(why);
	return err;
}

/*
 * The object libgit2's last error names missing ("no match for id (ID)",
 * "cannot read header for (ID)"): a read that names no id (a walk, a
 * diff of two trees) is told apart by it.  0, or -1 when it names none.
 */
int
dipb_git_said_missing(git_oid *out)
{
	const git_error *ge = git_error_last();
	const char *p;

	if (ge == NULL || ge->klass != GIT_ERROR_ODB || ge->message == NULL)
		return -1;
	for (p = strchr(ge->message, '('); p != NULL; p = strchr(p + 1, '('))
		if (strspn(p + 1, "0123456789abcdef") == GIT_OID_HEXSZ &&
		    p[1 + GIT_OID_HEXSZ] == ')')
			return git_oid_fromstrn(out, p + 1, GIT_OID_HEXSZ);
	return -1;
}

/*
 * dipb_git_read_failed of what (which it frees), the history not cut
 * where id is needed when uncut (missing's).
 */
static const struct dipb_error *
read_failed(struct dipb_repo *repo, const git_oid *id, int uncut,
    char *what)
{
	const struct dipb_error *err, *why;
	char hex[DIPB_OID_HEX + 1];
	git_oid said;

	err = dipb_error_from_git("%s", what);
	if (id == NULL && dipb_git_said_missing(&said) == 0)
		id = &said;
	/* Here, or not read for want of memory or a file: libgit2's reason. */
	if (id == NULL || dipb_git_failed_system() ||
	    git_odb_exists(repo->odb, id)) {
		git_error_clear();
		free(what);
		return err;
	}
	git_error_clear();
	git_oid_tostr(hex, sizeof(hex), id);
	why = missing(repo, hex, strstr(what, hex) != NULL, uncut);
	dipb_error_free(err);
	err = dipb_error_fmt(DIPB_ERR_GIT, "%s: %s", what, why->msg);
	dipb_error_free(why);
	free(what);
	return err;
}

const struct dipb_error *
dipb_git_read_failed(struct dipb_repo *repo, const git_oid *id,
    const char *fmt, ...)
{
	char *what;
	va_list ap;

	va_start(ap, fmt);
	what = xvasprintf(fmt, ap);
	va_end(ap);
	return read_failed(repo, id, 0, what);
}

const struct dipb_error *
dipb_git_read_failed_uncut(struct dipb_repo *repo, const git_oid *id,
    const char *what)
{
	return read_failed(repo, id, 1, xstrdup(what));
}

const struct dipb_error *
dipb_git_object_read(struct dipb_object **out, struct dipb_repo *repo,
    const char *id, enum dipb_object_type type)
{
	const struct dipb_error *err;
	git_odb_object *obj = NULL;
	git_oid oid;

	*out = NULL;
	if (git_oid_fromstrn(&oid, id, strlen(id)) < 0 ||
	    strlen(id) != GIT_OID_HEXSZ) {
		git_error_clear();
		return dipb_error_fmt(DIPB_ERR_INTERNAL, "not an object id: "
		    "'%s'", id);
	}
	if ((err = dipb_git_odb_read(&obj, repo, &oid)) != NULL)
		return err;
	if (type != DIPB_OBJECT_NONE &&
	    from_git(git_odb_object_type(obj)) != type) {
		git_odb_object_free(obj);
		return dipb_error_fmt(DIPB_ERR_CORRUPT, "not a %s: '%s'",
		    dipb_object_type_name(type), id);
	}
	*out = xcalloc(1, sizeof(**out));
	(*out)->obj = obj;
	return NULL;
}

const struct dipb_error *
dipb_git_object_read_max(struct dipb_object **out, struct dipb_repo *repo,
    const char *id, enum dipb_object_type type, size_t max)
{
	const struct dipb_error *err;
	enum dipb_object_type t;
	size_t size;

	*out = NULL;
	/* The header alone: a packed or loose object's size, not inflated. */
	if ((err = dipb_git_object_stat(&t, &size, repo, id)) != NULL)
		return err;
	if (type != DIPB_OBJECT_NONE && t != DIPB_OBJECT_NONE && t != type)
		return dipb_error_fmt(DIPB_ERR_CORRUPT, "not a %s: '%s'",
		    dipb_object_type_name(type), id);
	if (size > max)
		return dipb_error_fmt(DIPB_ERR_TOO_LARGE, "%s '%s' is larger "
		    "than %zu bytes", dipb_object_type_name(t), id, max);
	if ((err = dipb_git_object_read(out, repo, id, type)) != NULL)
		return err;
	/* Its header unread (a partial clone's, fetched since): too late. */
	if (dipb_object_size(*out) > max) {
		t = dipb_object_type(*out);
		dipb_object_free(*out);
		*out = NULL;
		return dipb_error_fmt(DIPB_ERR_TOO_LARGE, "%s '%s' is larger "
		    "than %zu bytes", dipb_object_type_name(t), id, max);
	}
	return NULL;
}

const struct dipb_error *
dipb_git_blob_read(struct dipb_object **out, struct dipb_repo *repo,
    const char *id, size_t max)
{
	return dipb_git_object_read_max(out, repo, id, DIPB_OBJECT_BLOB, max);
}

struct dipb_object *
dipb_git_object_own(char *data, size_t len, enum dipb_object_type type)
{
	struct dipb_object *o = xcalloc(1, sizeof(*o));

	o->own = data;
	o->len = len;
	o->type = type;
	return o;
}

char *
dipb_git_object_disown(struct dipb_object *o)
{
	char *own;

	if (o == NULL)
		return NULL;
	own = o->own;
	o->own = NULL;
	dipb_object_free(o);
	return own;
}

const char *
dipb_object_data(const struct dipb_object *o)
{
	return o->obj == NULL ? o->own : git_odb_object_data(o->obj);
}

size_t
dipb_object_size(const struct dipb_object *o)
{
	return o->obj == NULL ? o->len : git_odb_object_size(o->obj);
}

enum dipb_object_type
dipb_object_type(const struct dipb_object *o)
{
	return o->obj == NULL ? o->type : from_git(git_odb_object_type(o->obj));
}

void
dipb_object_free(struct dipb_object *o)
{
	if (o == NULL)
		return;
	git_odb_object_free(o->obj);
	free(o->own);
	free(o);
}

const struct dipb_error *
dipb_git_object_stat(enum dipb_object_type *type, size_t *size,
    struct dipb_repo *repo, const char *id)
{
	git_object_t t;
	git_oid oid;

	*type = DIPB_OBJECT_NONE;
	*size = 0;
	if (git_oid_fromstrn(&oid, id, strlen(id)) < 0) {
		git_error_clear();
		return NULL;
	}
	if (git_odb_read_header(size, &t, repo->odb, &oid) < 0) {
		*size = 0;
		if (dipb_git_failed_system())
			return dipb_error_from_git("cannot read object '%s'",
			    id);
		git_error_clear();
	} else
		*type = from_git(t);
	return NULL;
}

/* ---- git gc --auto ------------------------------------------------ */

/* The number in cfg of key, or def when unset or not a number. */
static int32_t
config_int(git_config *cfg, const char *key, int32_t def)
{
	int32_t v;

	if (git_config_get_int32(&v, cfg, key) < 0) {
		git_error_clear();
		return def;
	}
	return v;
}

/*
 * 1 when git gc --auto would find work, by git's own estimate (gc.auto in
 * git-config(1)): more loose objects in objects/17 than a 256th of
 * limit, rounded up, or more packs without a .keep than packs.
 */
static int
gc_wanted(const char *objdir, int32_t limit, int32_t packs)
{
	struct dirent *d;
	DIR *dir;
	char *path, *keep;
	size_t n, count = 0, want = ((size_t)limit + 255) / 256;
	struct stat st;

	path = xasprintf("%s17", objdir);
	if ((dir = opendir(path)) != NULL) {
		while (count <= want && (d = readdir(dir)) != NULL)
			if (strlen(d->d_name) == DIPB_OID_HEX - 2 &&
			    strspn(d->d_name, "0123456789abcdef") ==
			    DIPB_OID_HEX - 2)
				count++;
		closedir(dir);
	}
	free(path);
	if (count > want)
		return 1;
	if (packs <= 0)
		return 0;
	count = 0;
	path = xasprintf("%spack", objdir);
	if ((dir = opendir(path)) != NULL) {
		while ((d = readdir(dir)) != NULL) {
			n = strlen(d->d_name);
			if (n <= 5 || strcmp(d->d_name + n - 5, ".pack") != 0)
				continue;
			keep = xasprintf("%s/%.*s.keep", path, (int)n - 5,
			    d->d_name);
			if (stat(keep, &st) == -1)
				count++;
			free(keep);
		}
		closedir(dir);
	}
	free(path);
	return count > (size_t)packs;
}

/*
 * Whether git's automatic housekeeping is on (maintenance.auto, and
 * gc.auto above 0), with gc.auto and gc.autopackLimit into *limit and
 * *packs.
 */
static int
housekeeping(struct dipb_repo *repo, int32_t *limit, int32_t *packs)
{
	const struct dipb_error *err;
	git_config *cfg = NULL;
	int on = 1;

	if (repo == NULL || repo->objdir == NULL)
		return 0;
	if ((err = dipb_git_config_open(&cfg, repo->git, &repo->format)) !=
	    NULL) {
		dipb_error_free(err);	/* the command read it already */
		return 0;
	}
	/* As git's own commit, whose 'git maintenance run --auto' dies on
	 * it after the commit is made: the change stands, said once. */
	if ((err = dipb_git_config_bool(&on, cfg, repo->git,
	    "maintenance.auto", 1)) != NULL) {
		dipb_repo_warn(repo, err->msg);
		dipb_error_free(err);
		on = 0;
	}
	*limit = config_int(cfg, "gc.auto", 6700);
	*packs = config_int(cfg, "gc.autopacklimit", 50);
	git_config_free(cfg);
	return on && *limit > 0;
}

/*
 * Runs git with args, a warning naming what when it fails.  Under the
 * repository lock, taken here unless the command holds it still: git's
 * housekeeping locks what dipb's changes lock (git gc --auto packs the
 * refs and expires the branch's reflog before it goes to the
 * background), so two dipb processes that each finished a change would
 * otherwise run it into each other, or into a third one's change, and
 * warn of a lock file that is no stale one.  When another process holds
 * the lock, nothing is run: that process's change ends with the same
 * check, and the next change finds the same work to do.
 */
static void
housework(struct dipb_repo *repo, const char *what, const char *const *args)
{
	const struct dipb_error *err;
	struct dipb_buf msg = DIPB_BUF_INIT;
	char *w;
	int ok, held = 0, mine = repo->lock_fd < 0;

	if (mine) {
		if ((err = dipb_git_lock_repo(repo, &held, 0)) != NULL) {
			dipb_error_free(err);	/* a read-only git dir */
			return;
		}
		if (!held)
			return;
	}
	if ((err = run_git(&ok, NULL, &msg, repo, args, NULL, 0)) != NULL) {
		w = xasprintf("%s: %s", what, err->msg);
		dipb_error_free(err);
	} else
		w = ok ? NULL : xasprintf("%s failed: %s", what,
		    git_said(&msg));
	if (mine)
		dipb_repo_end(repo);
	if (w != NULL)
		dipb_repo_warn(repo, w);
	free(w);
	dipb_buf_release(&msg);
}

void
dipb_repo_auto_gc(struct dipb_repo *repo)
{
	static const char *const args[] = { "gc", "--auto", "--quiet", NULL };
	int32_t limit, packs;

	if (housekeeping(repo, &limit, &packs) &&
	    gc_wanted(repo->objdir, limit, packs))
		housework(repo, "git gc --auto", args);
}

void
dipb_git_pack_refs_auto(struct dipb_repo *repo, size_t nloose)
{
	static const char *const args[] = { "pack-refs", "--all", "--prune",
	    NULL };
	int32_t limit, packs;

	if (nloose >= DIPB_GIT_LOOSE_REFS && housekeeping(repo, &limit,
	    &packs))
		housework(repo, "git pack-refs", args);
}

/* ---- commits ------------------------------------------------------ */

/*
 * The 40 hex digits at [p, p + len) into out, lower case: git reads
 * either case (get_oid_hex()), so "parent D0A7..." names a parent.
 */
static int
hex_line(char out[DIPB_OID_HEX + 1], const char *p, size_t len)
{
	size_t i;
	char h;

	if (len != DIPB_OID_HEX)
		return -1;
	for (i = 0; i < len; i++) {
		h = p[i];
		if (h >= 'A' && h <= 'F')
			h = (char)(h - 'A' + 'a');
		else if (!((h >= '0' && h <= '9') || (h >= 'a' && h <= 'f')))
			return -1;
		out[i] = h;
	}
	out[len] = '\0';
	return 0;
}

#define DATE_OVERFLOW	"a date past the largest git reads (git fsck: " \
	"badDateOverflow)"

/*
 * "<secs> <+hhmm>" at [p, end), checked already (check_ident), into *t,
 * *off (minutes) and *zone (+hhmm as written, a number: 9999 for +9999,
 * -130 for -0130; may be NULL, as off may); -1 when
 * the seconds are past INT64_MAX, which git fsck rejects
 * (badDateOverflow: past the largest time_t).  git log shows every date
 * below it, and so does dipb (dipb-git(7)).
 */
static int
parse_when(int64_t *t, int *off, int *zone, const char *p, const char *end)
{
	int64_t v = 0;
	int sign, hhmm = 0, n = 0, digit;

	/* Blanks as check_ident (git fsck) lets pass: a tab is one. */
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p < end && *p == '+')
		p++;
	if (p == end || *p < '0' || *p > '9')
		return -1;
	for (; p < end && *p >= '0' && *p <= '9'; p++) {
		digit = *p - '0';
		if (v > (INT64_MAX - digit) / 10)
			return -1;
		v = v * 10 + digit;
	}
	*t = v;
	if (off == NULL)
		return 0;
	*off = 0;
	if (zone != NULL)
		*zone = 0;
	while (p < end && *p == ' ')
		p++;
	if (p == end || (*p != '+' && *p != '-'))
		return 0;	/* no zone: UTC, as git reads it */
	sign = *p++ == '-' ? -1 : 1;
	for (; p < end && *p >= '0' && *p <= '9' && n < 4; p++, n++)
		hhmm = hhmm * 10 + (*p - '0');
	*off = sign * ((hhmm / 100) * 60 + hhmm % 100);
	if (zone != NULL)
		*zone = sign * hhmm;
	return 0;
}

static int
isdigit4(const char *p)
{
	int i;

	for (i = 0; i < 4; i++)
		if (p[i] < '0' || p[i] > '9')
			return 0;
	return 1;
}

/*
 * What git fsck finds wrong with the identity "<name> <<email>> <secs>
 * <+hhmm>" of an author, committer or tagger line at [p, nl), with the
 * id of git fsck's message (fsck_ident() in git's fsck.c), or NULL.  One
 * '<' and one '>' each, so that the name and the address dipb reads are
 * those git log shows: of "A <a@x> <b@y> 1 +0000" git shows a@x, and
 * dipb read b@y.
 */
static const char *
check_ident(const char *p, const char *nl)
{
	const char *q;

	if (p < nl && *p == '<')
		return "no name before its address (git fsck: "
		    "missingNameBeforeEmail)";
	for (q = p; q < nl && *q != '<' && *q != '>'; q++)
		;
	if (q == nl)
		return "no address in <> (git fsck: missingEmail)";
	if (*q == '>')
		return "a '>' in its name (git fsck: badName)";
	if (q == p || q[-1] != ' ')
		return "no space before its address (git fsck: "
		    "missingSpaceBeforeEmail)";
	for (q++; q < nl && *q != '<' && *q != '>'; q++)
		;
	if (q == nl || *q != '>')
		return "a '<' in its address, or no '>' after it (git "
		    "fsck: badEmail)";
	if (++q == nl || *q != ' ')
		return "no space after its address (git fsck: "
		    "missingSpaceBeforeDate)";
	q++;
	if (q < nl && *q == '0' && (q + 1 == nl || q[1] != ' '))
		return "a date with leading zeros (git fsck: "
		    "zeroPaddedDate)";
	/* strtoumax's: blanks and a '+' before the digits. */
	while (q < nl && (*q == ' ' || *q == '\t'))
		q++;
	if (q < nl && *q == '+')
		q++;
	if (q == nl || *q < '0' || *q > '9')
		return "no date in seconds after its address (git "
		    "fsck: badDate)";
	while (q < nl && *q >= '0' && *q <= '9')
		q++;
	if (q == nl || *q != ' ')
		return "no date in seconds after its address (git "
		    "fsck: badDate)";
	q++;
	if (nl - q != 5 || (*q != '+' && *q != '-') || !isdigit4(q + 1))
		return "no time zone +hhmm after its date (git fsck: "
		    "badTimezone)";
	return NULL;
}

/* "<name> <<email>> <when>" of an author or committer line (parse_when:
 * off and zone). */
static int
parse_person(char **name, char **email, int64_t *t, int *off, int *zone,
    const char *p, const char *end)
{
	const char *lt, *gt, *ne;

	for (gt = end; gt > p && gt[-1] != '>'; gt--)
		;
	if (gt == p)
		return -1;
	gt--;
	for (lt = gt; lt > p && lt[-1] != '<'; lt--)
		;
	if (lt == p)
		return -1;
	if (email != NULL) {
		for (ne = lt - 1; ne > p && ne[-1] == ' '; ne--)
			;
		*email = xstrndup(lt, (size_t)(gt - lt));
		*name = xstrndup(p, (size_t)(ne - p));
	}
	return parse_when(t, off, zone, gt + 1, end);
}

/*
 * 1 when the header line at [p, nl) is a signature header, which git's
 * parse_buffer_signed_by_header() leaves out of what was signed: any
 * that starts with "gpgsig" ("gpgsig-sha256", or any other), so that
 * dipb verifies the payload git verify-commit does.  *own is set for
 * "gpgsig " (the signature of a SHA-1 repository's commit), the one git
 * verifies here, even with nothing after it.
 */
static int
sig_header(int *own, const char *p, const char *nl)
{
	size_t n = (size_t)(nl - p);

	*own = n >= 7 && memcmp(p, "gpgsig ", 7) == 0;
	return n >= 6 && memcmp(p, "gpgsig", 6) == 0;
}

/*
 * The signature of a signed commit, read as git's parse_signed_commit()
 * reads it: the value of its gpgsig header, whose continuation lines
 * start with a space (dropped); and the payload, the commit's bytes with
 * every signature header removed, which is what was signed.
 */
static void
take_signature(struct dipb_commit *c, const char *data, const char *hend,
    const char *end)
{
	struct dipb_buf sig = DIPB_BUF_INIT, pay = DIPB_BUF_INIT;
	const char *p, *nl, *from = data;
	int own;

	/* Sized once: grown piece by piece, each took up to 7 reallocs. */
	dipb_buf_grow(&sig, (size_t)(hend - data));
	dipb_buf_grow(&pay, (size_t)(end - data));
	for (p = data; p < hend; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(hend - p));
		if (!sig_header(&own, p, nl))
			continue;
		dipb_buf_put(&pay, from, (size_t)(p - from));
		if (own) {
			p += 7;		/* "gpgsig " */
			dipb_buf_put(&sig, p, (size_t)(nl + 1 - p));
		}
		/* Its continuation lines, each starting with a space. */
		while (nl + 1 < hend && nl[1] == ' ') {
			p = nl + 2;
			nl = memchr(p, '\n', (size_t)(hend - p));
			if (own)
				dipb_buf_put(&sig, p, (size_t)(nl + 1 - p));
		}
		from = nl + 1;
	}
	dipb_buf_put(&pay, from, (size_t)(end - from));
	c->signature_len = sig.len;
	c->signature = sig.len > 0 ? dipb_buf_detach(&sig) : NULL;
	c->payload_len = pay.len;
	c->payload = dipb_buf_detach(&pay);
	dipb_buf_release(&sig);
}

static const char nul_in_header[] =
    "a NUL byte in its header (git fsck: nulInHeader)";

/*
 * Where the header of a commit or tag at [data, end) ends, as git's
 * verify_headers() finds it: the newline before its first empty line,
 * or end when it has none.  NULL when a NUL byte comes first
 * (nul_in_header).
 */
static const char *
header_end(const char *data, const char *end)
{
	const char *p;

	for (p = data; p < end; p++) {
		if (*p == '\0')
			return NULL;
		if (*p == '\n' && p + 1 < end && p[1] == '\n')
			break;
	}
	return p;
}

/*
 * The header of commit c at [data, end), read as git reads it and
 * checked as git fsck checks it (parse_commit_buffer() and fsck_commit()
 * in git's sources): the tree on the first line, the parents on the lines
 * right after it (a "parent" line anywhere else is none: git rev-list
 * --parents shows none), one author, then the committer.  *body: where
 * the message starts.  NULL, or why the commit is refused, in git fsck's
 * words where it has them: dipb reads no commit otherwise than git, and
 * one git fsck rejects is no commit a board's history holds.
 */
static const char *
commit_header(struct dipb_commit *c, int *signed_, const char **body,
    const char **line, const char *data, const char *end)
{
	const char *p = data, *nl, *why;
	char hex[DIPB_OID_HEX + 1];
	size_t nauthors = 0;
	int own;

	*signed_ = 0;
	*line = NULL;
	if ((nl = header_end(data, end)) == NULL)
		return nul_in_header;
	if (nl == end && (end == data || end[-1] != '\n'))
		return "no end to its header (git fsck: "
		    "unterminatedHeader)";
	if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL ||
	    nl - p < 5 || memcmp(p, "tree ", 5) != 0)
		return "its first line is no 'tree' line (git fsck: "
		    "missingTree)";
	if (hex_line(c->tree, p + 5, (size_t)(nl - p - 5)) < 0)
		return "its 'tree' line names no object (git fsck: "
		    "badTreeSha1)";
	for (p = nl + 1; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl - p < 7 || memcmp(p, "parent ", 7) != 0)
			break;
		if (hex_line(hex, p + 7, (size_t)(nl - p - 7)) < 0)
			return "a 'parent' line names no object (git "
			    "fsck: badParentSha1)";
		if (c->nparents == 0)
			memcpy(c->parent, hex, sizeof(c->parent));
		c->parents = xrealloc(c->parents, (c->nparents + 1) *
		    sizeof(*c->parents));
		memcpy(c->parents[c->nparents++], hex, sizeof(hex));
	}
	for (; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl - p < 7 || memcmp(p, "author ", 7) != 0)
			break;
		if (nauthors++ > 0)
			return "more than one 'author' line (git "
			    "fsck: multipleAuthors)";
		*line = "author";
		if ((why = check_ident(p + 7, nl)) != NULL ||
		    parse_person(&c->author_name, &c->author_email,
		    &c->author_time, &c->author_offset, &c->author_zone,
		    p + 7, nl) < 0)
			return why != NULL ? why : DATE_OVERFLOW;
		*line = NULL;
	}
	if (nauthors == 0)
		return "no 'author' line after its parents (git fsck: "
		    "missingAuthor)";
	if (p == end || nl - p < 10 || memcmp(p, "committer ", 10) != 0)
		return "no 'committer' line after its author (git fsck: "
		    "missingCommitter)";
	*line = "committer";
	if ((why = check_ident(p + 10, nl)) != NULL ||
	    parse_person(&c->committer_name, &c->committer_email,
	    &c->committer_time, &c->committer_offset, NULL, p + 10,
	    nl) < 0)
		return why != NULL ? why : DATE_OVERFLOW;
	*line = NULL;
	/*
	 * The other headers.  git fsck lets a second author or committer
	 * past, but git log shows that one (the last: %an, %cn), and its
	 * Author: lines both: dipb would judge a commit by another author
	 * than the one its readers see.
	 */
	for (p = nl + 1; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == p) {
			p++;
			break;
		}
		if (nl - p >= 7 && memcmp(p, "author ", 7) == 0)
			return "a second 'author' line, after its committer, "
			    "which git log shows as its author";
		if (nl - p >= 10 && memcmp(p, "committer ", 10) == 0)
			return "a second 'committer' line, which git log "
			    "shows as its committer";
		if (*p == 'g' && sig_header(&own, p, nl))
			*signed_ = 1;
	}
	*body = p > end ? end : p;
	return NULL;
}

/*
 * A commit or tag (what) larger than DIPB_GIT_MAX_COMMIT, refused from
 * its header, unread: DIPB_ERR_CORRUPT, as a malformed one.
 */
static const struct dipb_error *
too_large(const char *what, const char *id)
{
	return dipb_error_fmt(DIPB_ERR_CORRUPT, "not a well-formed %s: '%s': "
	    "larger than %d bytes, which no %s of a board is (dipb-git(7))",
	    what, id, DIPB_GIT_MAX_COMMIT, what);
}

/* "[its 'LINE' line has ]WHY", dipb_git_commit_read's reason. */
static char *
commit_why(const char *line, const char *why)
{
	return xasprintf("%s%s%s%s", line != NULL ? "its '" : "",
	    line != NULL ? line : "", line != NULL ? "' line has " : "", why);
}

/* A commit or tag (what) refused for why: DIPB_ERR_CORRUPT. */
static const struct dipb_error *
malformed(const char *what, const char *id, const char *line,
    const char *why)
{
	const struct dipb_error *err;
	char *s;

	s = commit_why(line, why);
	err = dipb_error_fmt(DIPB_ERR_CORRUPT, "not a well-formed %s: '%s': "
	    "%s", what, id, s);
	free(s);
	return err;
}

char *
dipb_git_commit_why(struct dipb_repo *repo, const git_oid *id)
{
	struct dipb_commit c;
	git_odb_object *obj = NULL;
	const char *data, *body, *line, *why;
	char *s = NULL;
	int signed_;

	git_object_t t;
	size_t size;

	if (git_odb_read_header(&size, &t, repo->odb, id) < 0) {
		git_error_clear();
		return NULL;
	}
	if (t != GIT_OBJECT_COMMIT)
		return NULL;
	if (size > DIPB_GIT_MAX_COMMIT)
		return xasprintf("larger than %d bytes, which no commit of a "
		    "board is (dipb-git(7))", DIPB_GIT_MAX_COMMIT);
	if (git_odb_read(&obj, repo->odb, id) < 0) {
		git_error_clear();
		return NULL;
	}
	memset(&c, 0, sizeof(c));
	data = git_odb_object_data(obj);
	if (git_odb_object_type(obj) == GIT_OBJECT_COMMIT &&
	    (why = commit_header(&c, &signed_, &body, &line, data,
	    data + git_odb_object_size(obj))) != NULL)
		s = commit_why(line, why);
	dipb_commit_release(&c);
	git_odb_object_free(obj);
	return s;
}

const struct dipb_error *
dipb_git_commit_read(struct dipb_commit *c, struct dipb_repo *repo,
    const char *id)
{
	const struct dipb_error *err;
	struct dipb_object *o = NULL;
	const char *p, *end, *data, *why, *line;
	int signed_;

	memset(c, 0, sizeof(*c));
	if ((err = dipb_git_object_read_max(&o, repo, id,
	    DIPB_OBJECT_COMMIT, DIPB_GIT_MAX_COMMIT)) != NULL) {
		if (err->code == DIPB_ERR_TOO_LARGE) {
			dipb_error_free(err);
			return too_large("commit", id);
		}
		if (err->code != DIPB_ERR_CORRUPT)
			return err;
		dipb_error_free(err);
		return dipb_error_fmt(DIPB_ERR_CORRUPT, "not a well-formed "
		    "commit: '%s'", id);
	}
	snprintf(c->id, sizeof(c->id), "%s", id);
	data = dipb_object_data(o);
	end = data + dipb_object_size(o);
	if ((why = commit_header(c, &signed_, &p, &line, data, end)) !=
	    NULL) {
		dipb_object_free(o);
		dipb_commit_release(c);
		return malformed("commit", id, line, why);
	}
	if (signed_)
		take_signature(c, data, p, end);
	/* git reads a message up to its first NUL (git fsck only warns,
	 * nulInCommit; git log and its trailers stop there), and so does
	 * every reader of dipb's: dipb-git(7). */
	c->message_len = strnlen(p, (size_t)(end - p));
	c->message = xstrndup(p, c->message_len);
	dipb_object_free(o);
	return NULL;
}

void
dipb_commit_release(struct dipb_commit *c)
{
	free(c->author_name);
	free(c->author_email);
	free(c->committer_name);
	free(c->committer_email);
	free(c->signature);
	free(c->payload);
	free(c->message);
	free(c->parents);
	memset(c, 0, sizeof(*c));
}

/* ---- tags ---------------------------------------------------------- */

/* 1 when the line at p starts an armored signature (git's gpg-interface.c
 * knows these three formats). */
static int
sig_begin(const char *p, const char *end)
{
	static const char *const begins[] = { "-----BEGIN PGP SIGNATURE-----",
	    "-----BEGIN PGP MESSAGE-----", "-----BEGIN SIGNED MESSAGE-----",
	    "-----BEGIN SSH SIGNATURE-----" };
	size_t i, n;

	for (i = 0; i < sizeof(begins) / sizeof(begins[0]); i++) {
		n = strlen(begins[i]);
		if ((size_t)(end - p) >= n && memcmp(p, begins[i], n) == 0)
			return 1;
	}
	return 0;
}

static enum dipb_object_type
type_named(const char *p, size_t n)
{
	static const enum dipb_object_type types[] = { DIPB_OBJECT_COMMIT,
	    DIPB_OBJECT_TREE, DIPB_OBJECT_BLOB, DIPB_OBJECT_TAG };
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strlen(dipb_object_type_name(types[i])) == n &&
		    memcmp(p, dipb_object_type_name(types[i]), n) == 0)
			return types[i];
	return DIPB_OBJECT_NONE;
}

const char *
dipb_git_tag_head(char object[DIPB_OID_HEX + 1], enum dipb_object_type *type,
    const char **rest, const char *data, const char *end)
{
	const char *p = data, *nl;

	*type = DIPB_OBJECT_NONE;
	object[0] = '\0';
	*rest = end;
	/* git's first check: no tag of fewer bytes (its hexsz + 24). */
	if (end - data < DIPB_OID_HEX + 24)
		return "no 'object', 'type' and 'tag' lines (git fsck: "
		    "missingTagEntry)";
	if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL ||
	    nl - p < 7 || memcmp(p, "object ", 7) != 0 ||
	    hex_line(object, p + 7, (size_t)(nl - p - 7)) < 0)
		return "no 'object' line naming an object first (git "
		    "fsck: missingObject, badObjectSha1)";
	p = nl + 1;
	if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL ||
	    nl - p < 5 || memcmp(p, "type ", 5) != 0 ||
	    (*type = type_named(p + 5, (size_t)(nl - p - 5))) ==
	    DIPB_OBJECT_NONE)
		return "no 'type' line naming a type second (git "
		    "fsck: missingTypeEntry, badType)";
	p = nl + 1;
	/* git's "bufptr + 4 < tail": a byte after "tag ", then a newline. */
	if (end - p < 5 || memcmp(p, "tag ", 4) != 0 ||
	    (nl = memchr(p + 4, '\n', (size_t)(end - p - 4))) == NULL) {
		*type = DIPB_OBJECT_NONE;
		return "no 'tag' line third (git fsck: missingTagEntry)";
	}
	*rest = nl + 1;
	return NULL;
}

/*
 * The header of tag t at [data, end), read as git reads it (parse_tag_
 * buffer() in git's tag.c, dipb_git_tag_head): "object", "type" and
 * "tag" lines first, in that order, or git reads no tag; and its tagger,
 * the first "tagger" line (git for-each-ref's %(taggeremail)), checked as
 * git fsck checks an identity, so that dipb reads the address git shows.
 * NULL, or why it is refused (*line: the line it is about, or NULL).
 */
static const char *
tag_header(struct dipb_tag *t, const char **line, const char *data,
    const char *end)
{
	const char *p, *nl, *why;

	*line = NULL;
	if ((nl = header_end(data, end)) == NULL)
		return nul_in_header;
	if (nl == end && (end == data || end[-1] != '\n'))
		return "no end to its header (git fsck: "
		    "unterminatedHeader)";
	if ((why = dipb_git_tag_head(t->object, &t->type, &p, data,
	    end)) != NULL)
		return why;
	for (; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if (nl == p)
			break;
		if (nl - p >= 7 && memcmp(p, "tagger ", 7) == 0 &&
		    t->tagger_email == NULL) {
			*line = "tagger";
			if ((why = check_ident(p + 7, nl)) != NULL ||
			    parse_person(&t->tagger_name, &t->tagger_email,
			    &t->tagger_time, NULL, NULL, p + 7, nl) < 0)
				return why != NULL ? why : DATE_OVERFLOW;
			*line = NULL;
		}
	}
	return NULL;
}

const struct dipb_error *
dipb_git_tag_read(struct dipb_tag *t, struct dipb_repo *repo, const char *id)
{
	const struct dipb_error *err;
	struct dipb_object *o = NULL;
	const char *p, *end, *nl, *data, *match, *why, *line;

	memset(t, 0, sizeof(*t));
	if ((err = dipb_git_object_read_max(&o, repo, id, DIPB_OBJECT_TAG,
	    DIPB_GIT_MAX_COMMIT)) != NULL) {
		if (err->code != DIPB_ERR_TOO_LARGE)
			return err;
		dipb_error_free(err);
		return too_large("tag", id);
	}
	snprintf(t->id, sizeof(t->id), "%s", id);
	data = dipb_object_data(o);
	end = data + dipb_object_size(o);
	if ((why = tag_header(t, &line, data, end)) != NULL) {
		dipb_object_free(o);
		dipb_tag_release(t);
		return malformed("tag", id, line, why);
	}
	/* git's parse_signed_buffer(): the last line that starts one. */
	match = end;
	for (p = data; p < end; p = nl + 1) {
		if (sig_begin(p, end))
			match = p;
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			break;
	}
	if (match != end) {
		t->payload_len = (size_t)(match - data);
		t->payload = xstrndup(data, t->payload_len);
		t->signature_len = (size_t)(end - match);
		t->signature = xstrndup(match, t->signature_len);
	}
	dipb_object_free(o);
	return NULL;
}

void
dipb_tag_release(struct dipb_tag *t)
{
	free(t->tagger_name);
	free(t->tagger_email);
	free(t->signature);
	free(t->payload);
	memset(t, 0, sizeof(*t));
}

/* ---- trees -------------------------------------------------------- */

void
dipb_git_hex(char out[DIPB_OID_HEX + 1], const unsigned char *raw)
{
	dipb_hex(out, raw, GIT_OID_RAWSZ);
}

/*
 * The entries of the len bytes of tree data at p into t (empty), checked
 * for git's order in the same pass (o): -1 when malformed or out of order,
 * for dipb_tree_find's binary search would miss entries of such a tree
 * and a walk read a name twice (dipb-git(7), "Trees").
 */
static int
tree_parse(struct dipb_tree *t, const char *p, size_t len,
    struct dipb_git_order *o)
{
	struct dipb_tree_entry *e;
	struct dipb_git_entry r;
	const char *end = p + len;
	size_t cap = len / 24 + 1;	/* "1 ", a name, NUL, 20 bytes */

	/* Room for all at once: growing it was a tenth of a dipb list. */
	t->v = xmalloc(cap * sizeof(*t->v));
	while (p < end) {
		if (dipb_git_tree_next(&r, &p, end) < 0 ||
		    dipb_git_order_next(o, &r) != DIPB_GIT_ORDER_OK)
			return -1;
		xgrow((void **)&t->v, &cap, t->n + 1, sizeof(*t->v));
		e = &t->v[t->n++];
		e->name = r.name;
		e->nlen = r.nlen;
		e->mode = r.mode;
		dipb_git_hex(e->id, r.id);
	}
	return 0;
}

/* The tree of the len bytes at data: 0, or -1 (o->problem set when it is
 * one of order). */
static int
tree_parse_checked(struct dipb_tree **out, const char *data, size_t len,
    struct dipb_git_order *o)
{
	struct dipb_tree *t = xcalloc(1, sizeof(*t));

	*out = NULL;
	t->data = data;
	t->len = len;
	if (tree_parse(t, data, len, o) != 0) {
		dipb_tree_free(t);
		return -1;
	}
	*out = t;
	return 0;
}

const struct dipb_error *
dipb_git_tree_read(struct dipb_tree **out, struct dipb_repo *repo,
    const char *id)
{
	return dipb_git_tree_read_path(out, repo, id, NULL);
}

const struct dipb_error *
dipb_git_tree_read_path(struct dipb_tree **out, struct dipb_repo *repo,
    const char *id, const char *path)
{
	const struct dipb_error *err = NULL;
	struct dipb_git_order order;
	struct dipb_object *o;

	*out = NULL;
	if ((err = dipb_git_object_read(&o, repo, id, DIPB_OBJECT_TREE)) !=
	    NULL)
		return err;
	memset(&order, 0, sizeof(order));
	if (tree_parse_checked(out, dipb_object_data(o), dipb_object_size(o),
	    &order) != 0) {
		if (order.problem != DIPB_GIT_ORDER_OK)
			err = dipb_git_order_error(&order, id, path,
			    path != NULL ? strlen(path) : 0, NULL);
		else
			err = dipb_error_fmt(DIPB_ERR_CORRUPT, "malformed "
			    "tree: '%s'", id);
		dipb_git_order_release(&order);
		dipb_object_free(o);
		return err;
	}
	dipb_git_order_release(&order);
	(*out)->obj = o;	/* its bytes, which the tree's entries name */
	return NULL;
}

int
dipb_git_tree_parse(struct dipb_tree **out, const char *data, size_t len)
{
	struct dipb_git_order order;
	int rc;

	memset(&order, 0, sizeof(order));
	rc = tree_parse_checked(out, data, len, &order);
	dipb_git_order_release(&order);
	return rc;
}

const char *
dipb_tree_data(const struct dipb_tree *t, size_t *len)
{
	*len = t->len;
	return t->data;
}

size_t
dipb_tree_count(const struct dipb_tree *t)
{
	return t->n;
}

const struct dipb_tree_entry *
dipb_tree_entry(const struct dipb_tree *t, size_t i)
{
	return i < t->n ? &t->v[i] : NULL;
}

/*
 * git's order: a folder's name sorts as if it ended in '/'.  As the
 * mode of the entry looked for is unknown, both places are tried.
 */
static int
cmp_name(const struct dipb_tree_entry *e, const char *name, size_t len,
    int as_tree)
{
	size_t n = e->nlen < len ? e->nlen : len;
	unsigned char a, b;
	int c;

	if ((c = memcmp(e->name, name, n)) != 0)
		return c;
	a = e->nlen > n ? (unsigned char)e->name[n] :
	    e->mode == DIPB_MODE_TREE ? '/' : '\0';
	b = len > n ? (unsigned char)name[n] : as_tree ? '/' : '\0';
	return (a > b) - (a < b);
}

static const struct dipb_tree_entry *
find(const struct dipb_tree *t, const char *name, size_t len, int as_tree)
{
	size_t lo = 0, hi = t->n, mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = cmp_name(&t->v[mid], name, len, as_tree);
		/* Equal in git's order, "X/y" (a name holding '/') to the
		 * folder X too: the same name only (tree.c, dipb_git_tree_find). */
		if (c == 0)
			return t->v[mid].nlen == len ? &t->v[mid] : NULL;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const struct dipb_tree_entry *
dipb_tree_find(const struct dipb_tree *t, const char *name)
{
	const struct dipb_tree_entry *e;
	size_t len = strlen(name);

	if (t == NULL)
		return NULL;
	if ((e = find(t, name, len, 0)) != NULL && e->mode != DIPB_MODE_TREE)
		return e;
	if ((e = find(t, name, len, 1)) != NULL && e->mode == DIPB_MODE_TREE)
		return e;
	return NULL;
}

void
dipb_tree_free(struct dipb_tree *t)
{
	if (t == NULL)
		return;
	dipb_object_free(t->obj);
	free(t->v);
	free(t);
}

/* ---- a path at a commit ------------------------------------------- */

const struct dipb_error *
dipb_git_read_at(struct dipb_buf *out, char blob[DIPB_OID_HEX + 1],
    int *found, struct dipb_repo *repo, const char *commit,
    const char *path, size_t max)
{
	const struct dipb_error *err;
	struct dipb_commit c;
	struct dipb_tree *t = NULL, *sub;
	const struct dipb_tree_entry *e = NULL;
	struct dipb_object *o = NULL;
	enum dipb_object_type type;
	const char *p, *slash;
	char *name;
	size_t size;

	*found = 0;
	blob[0] = '\0';
	dipb_buf_clear(out);
	if ((err = dipb_git_commit_read(&c, repo, commit)) != NULL)
		return err;
	err = dipb_git_tree_read(&t, repo, c.tree);
	dipb_commit_release(&c);
	for (p = path; err == NULL; p = slash + 1) {
		slash = strchr(p, '/');
		name = slash != NULL ? xstrndup(p, (size_t)(slash - p)) :
		    xstrdup(p);
		e = dipb_tree_find(t, name);
		free(name);
		if (e == NULL || slash == NULL)
			break;
		if (e->mode != DIPB_MODE_TREE) {
			e = NULL;
			break;
		}
		if ((err = dipb_git_tree_read(&sub, repo, e->id)) != NULL)
			break;
		dipb_tree_free(t);
		t = sub;
	}
	if (err != NULL || e == NULL || (e->mode != DIPB_MODE_BLOB &&
	    e->mode != DIPB_MODE_EXEC && e->mode != DIPB_MODE_LINK))
		goto done;
	if (max > 0) {
		/* The header alone, so a huge blob is never inflated. */
		if ((err = dipb_git_object_stat(&type, &size, repo,
		    e->id)) != NULL)
			goto done;
		if (size > max) {
			err = dipb_error_fmt(DIPB_ERR_TOO_LARGE,
			    "%s: larger than %zu bytes", path, max);
			goto done;
		}
	}
	if ((err = dipb_git_object_read(&o, repo, e->id,
	    DIPB_OBJECT_BLOB)) != NULL)
		goto done;
	dipb_buf_put(out, dipb_object_data(o), dipb_object_size(o));
	memcpy(blob, e->id, DIPB_OID_HEX + 1);
	*found = 1;
done:
	dipb_object_free(o);
	dipb_tree_free(t);
	return err;
}

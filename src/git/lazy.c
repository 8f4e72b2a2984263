/*
 * lazy.c - objects a repository does not have: a partial clone's,
 * fetched through the git command as git fetches them on demand, and
 * why an object dipb needs is missing (a shallow history, a partial
 * clone, an alternate gone), the one message of every read that failed
 * (dipb-git(7), "Shallow and partial clones", "Alternates").
 */
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
const struct dipb_error *
dipb_git_run(int *ok, struct dipb_buf *out, struct dipb_buf *err,
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
const char *
dipb_git_said(struct dipb_buf *b)
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

	if ((err = dipb_git_run(&ok, &out, &msg, repo, args, ids->ptr,
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
		    dipb_git_said(&msg), n == 1 ? "it" : "them", remote,
		    remote);
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
 * input: *ok as dipb_git_run sets it, and the ids it prints as missing ("?id")
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
	if ((err = dipb_git_run(ok, &out, msg, repo, args, in == NULL ? NULL :
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
			    dipb_git_said(&msg));
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
 * as a finding (a record that cannot be read).  Not read for want of
 * memory or of a file (dipb_git_failed_system) is no corrupt object:
 * the reason alone.
 */
static const struct dipb_error *
unreadable(const git_oid *id)
{
	char hex[DIPB_OID_HEX + 1];
	const struct dipb_error *err;

	git_oid_tostr(hex, sizeof(hex), id);
	if (dipb_git_failed_system())
		err = dipb_error_from_git("cannot read object '%s'", hex);
	else
		err = dipb_error_from_git("object '%s' is corrupt, git "
		    "cannot read it ('git fsck' names what is damaged)",
		    hex);
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

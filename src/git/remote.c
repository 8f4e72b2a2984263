/*
 * git/remote.c - dipb sync's transport: the `git` command run for fetch
 * and push, and the upstream a sync talks to.
 *
 * dipb does no networking of its own (dipb-sync(1)): git runs with the
 * user's environment, so credentials helpers, ssh's configuration and
 * proxies work as they do for git itself.  It runs in dipb's current
 * directory, where dipb found the repository as git finds it, GIT_DIR
 * and GIT_WORK_TREE included.
 */
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "../error.h"
#include "../hashmap.h"
#include "../util.h"

extern char **environ;

/*
 * About what drain() reads once git has exited (checked before each read
 * of 8 KiB): what git wrote before it did is what its two pipes hold, 64
 * KiB each on Linux (1 MiB, this bound, for a pipe grown to
 * /proc/sys/fs/pipe-max-size's default); a job that keeps writing there
 * is read no further.
 */
#define DRAIN_AFTER_EXIT	(1024 * 1024)

/*
 * Reads both pipes (fd -1: none) as they fill, so that git never waits
 * on one while dipb waits on the other, to their end or until git has
 * exited, and then what is in them already.  A job a hook leaves in the
 * background, or a credential cache daemon, holds git's standard error
 * for as long as it lives; git push returns without waiting for it, and
 * so does dipb sync.  *reaped: git was waited for, its wait status in
 * *status.  -1 with errno.
 */
static int
drain(int *status, int *reaped, pid_t pid, struct dipb_buf *out, int ofd,
    struct dipb_buf *errout, int efd)
{
	struct pollfd pf[2];
	struct dipb_buf *dst[2];
	char buf[8192];
	size_t after = 0;
	ssize_t n;
	pid_t w;
	int i, open_ = 0, ready;

	*reaped = 0;
	pf[0].fd = out != NULL ? ofd : -1;
	pf[1].fd = errout != NULL ? efd : -1;
	dst[0] = out;
	dst[1] = errout;
	for (i = 0; i < 2; i++) {
		pf[i].events = POLLIN;
		open_ += pf[i].fd != -1;
	}
	while (open_ > 0 && after < DRAIN_AFTER_EXIT) {
		if (!*reaped) {
			while ((w = waitpid(pid, status, WNOHANG)) == -1 &&
			    errno == EINTR)
				;
			if (w == -1)
				return -1;
			*reaped = w == pid;
		}
		/* git running, it is asked again every 100 ms. */
		if ((ready = poll(pf, 2, *reaped ? 0 : 100)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (ready == 0 && *reaped)
			break;		/* all that git wrote is read */
		for (i = 0; i < 2; i++) {
			if (pf[i].fd == -1 || pf[i].revents == 0)
				continue;
			n = read(pf[i].fd, buf, sizeof(buf));
			if (n == -1 && errno == EINTR)
				continue;
			if (n == -1)
				return -1;
			if (n == 0) {
				pf[i].fd = -1;	/* poll skips a negative fd */
				open_--;
				continue;
			}
			dipb_buf_put(dst[i], buf, (size_t)n);
			if (*reaped)
				after += (size_t)n;
		}
	}
	return 0;
}

/*
 * Runs git with argv (argv[0] "git"): stdin /dev/null unless interactive,
 * stdout into out when out is not NULL (else to our stderr), stderr into
 * errout when it is not NULL (else passed through).  *status is git's
 * wait status (waitpid; failed() says what it means).
 */
static const struct dipb_error *
run_git(int *status, struct dipb_buf *out, struct dipb_buf *errout,
    char *const argv[], int interactive)
{
	const struct dipb_error *err = NULL;
	posix_spawn_file_actions_t fa;
	char **env = NULL;
	size_t n, i;
	pid_t pid;
	int p[2] = { -1, -1 }, e[2] = { -1, -1 }, null = -1, rc, ws = 0;
	int reaped = 0;

	*status = 0;
	/*
	 * Every descriptor close-on-exec, as git's own pipes are: git gets
	 * them as 0, 1 and 2 only, so that the pipes end when git does,
	 * unless something git started holds its 1 or 2 (drain() then stops
	 * once git has exited).  An extra write end inherited by git, and
	 * from it by a hook's job in the background or a credential cache
	 * daemon, would hold them open for as long as that lives.
	 */
	if (out != NULL && dipb_pipe_cloexec(p) == -1)
		return dipb_error_from_errno("pipe");
	if (errout != NULL && dipb_pipe_cloexec(e) == -1) {
		err = dipb_error_from_errno("pipe");
		goto done;
	}
	if (!interactive &&
	    (null = open("/dev/null", O_RDONLY | O_CLOEXEC)) == -1) {
		err = dipb_error_from_errno("/dev/null");
		goto done;
	}
	/* Without a terminal, git must not wait for a password. */
	for (n = 0; environ[n] != NULL; n++)
		;
	env = xcalloc(n + 2, sizeof(*env));
	for (i = 0; i < n; i++)
		env[i] = environ[i];
	if (!interactive)
		env[n] = (char *)"GIT_TERMINAL_PROMPT=0";
	if (posix_spawn_file_actions_init(&fa) != 0) {
		err = dipb_error_from_errno("posix_spawn");
		goto done;
	}
	if (null != -1)
		posix_spawn_file_actions_adddup2(&fa, null, 0);
	posix_spawn_file_actions_adddup2(&fa, out != NULL ? p[1] : 2, 1);
	if (errout != NULL)
		posix_spawn_file_actions_adddup2(&fa, e[1], 2);
	rc = posix_spawnp(&pid, "git", &fa, NULL, argv, env);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0) {
		errno = rc;
		err = dipb_error_from_errno("cannot run git");
		goto done;
	}
	if (errout != NULL) {
		close(e[1]);
		e[1] = -1;
	}
	if (out != NULL) {
		close(p[1]);
		p[1] = -1;
	}
	if ((out != NULL || errout != NULL) &&
	    drain(&ws, &reaped, pid, out, p[0], errout, e[0]) == -1)
		err = dipb_error_from_errno("reading git's output");
	while (!reaped && waitpid(pid, &ws, 0) == -1)
		if (errno != EINTR) {
			if (err == NULL)
				err = dipb_error_from_errno("waitpid");
			goto done;
		}
	*status = ws;
done:
	if (p[0] != -1)
		close(p[0]);
	if (p[1] != -1)
		close(p[1]);
	if (e[0] != -1)
		close(e[0]);
	if (e[1] != -1)
		close(e[1]);
	if (null != -1)
		close(null);
	free(env);
	return err;
}

/* git exited 0 (status: run_git's). */
static int
succeeded(int status)
{
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/*
 * DIPB_ERR_GIT: 'git <what> <remote>' failed, with its exit status, and
 * git's message above; or killed by a signal, when git said nothing.
 */
static const struct dipb_error *
failed(const char *what, const char *remote, int status)
{
	const struct dipb_error *err;
	char *why = dipb_wait_status(status);

	err = dipb_error_fmt(DIPB_ERR_GIT, "git %s %s failed (%s)%s", what,
	    remote, why, WIFSIGNALED(status) ? "" :
	    ": see git's message above");
	free(why);
	return err;
}

/* The string value of key, NULL when unset (caller frees). */
static char *
config_get(struct dipb_repo *r, const char *key)
{
	git_config *cfg = NULL;
	git_buf b = GIT_BUF_INIT;
	char *v = NULL;

	if (git_repository_config_snapshot(&cfg, r->git) == 0 &&
	    git_config_get_string_buf(&b, cfg, key) == 0)
		v = xstrdup(b.ptr);
	git_error_clear();
	git_buf_dispose(&b);
	git_config_free(cfg);
	return v;
}

/*
 * url as git quotes it in its messages (transport_anonymize_url): the
 * user and password before the host dropped, so that a token in a URL
 * reaches no log.  "user@host:path" (scp-like) names no password.
 */
static char *
anonymized(const char *url)
{
	const char *host = strstr(url, "://"), *at, *p;

	if (host == NULL)
		return xstrdup(url);
	host += 3;
	for (at = NULL, p = host; *p != '\0' && *p != '/'; p++)
		if (*p == '@')
			at = p;
	if (at == NULL)
		return xstrdup(url);
	return xasprintf("%.*s%s", (int)(host - url), url, at + 1);
}

/*
 * A remote is named as git names it ('git remote add NAME URL'), and the
 * name is passed to git fetch and git push: one that starts with '-'
 * would be read as an option, a URL or a path is not a remote's name
 * (dipb-sync(1): sync pushes to a remote it fetched from, whose tags it
 * mirrors under refs/dipb/remote/NAME/), and a space or a control
 * character is in no refname.
 */
static const struct dipb_error *
remote_name_check(const char *name)
{
	const struct dipb_error *err;
	const char *p;
	char *shown;

	if (name[0] == '\0')
		return dipb_error_fmt(DIPB_ERR_USAGE, "an empty remote name: "
		    "name a remote of 'git remote' ('dipb sync origin')");
	if (name[0] == '-')
		return dipb_error_fmt(DIPB_ERR_USAGE, "'%s' is not a remote's "
		    "name (it starts with '-'): name a remote of 'git "
		    "remote' ('dipb sync origin')", name);
	if (strchr(name, ':') != NULL || name[0] == '/' || name[0] == '.') {
		shown = anonymized(name);
		err = dipb_error_fmt(DIPB_ERR_USAGE, "'%s' is a URL or a "
		    "path, not a remote's name: dipb sync talks to a named "
		    "remote; add it with 'git remote add NAME URL', then "
		    "'dipb sync NAME'", shown);
		free(shown);
		return err;
	}
	for (p = name; *p != '\0'; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f || *p == '\\' ||
		    *p == '[' || *p == '?' || *p == '*' || *p == '^' ||
		    *p == '~')
			return dipb_error_fmt(DIPB_ERR_USAGE, "'%s' is not a "
			    "remote's name (a space, a control character or "
			    "one of \\[?*^~ is in no git ref name): name a "
			    "remote of 'git remote' ('dipb sync origin')",
			    name);
	return NULL;
}

/*
 * The branch b has no upstream: the advice names the repository's remote
 * (REMOTE where there are several, listed), as 'git remote' shows them;
 * git branch --set-upstream-to needs the remote's branch fetched first.
 */
static const struct dipb_error *
no_upstream(struct dipb_repo *r, const char *b)
{
	const struct dipb_error *err;
	git_strarray names = { NULL, 0 };
	struct dipb_buf list = DIPB_BUF_INIT;
	char *name, *up;
	size_t i;

	if (git_remote_list(&names, r->git) < 0)
		names.count = 0;
	git_error_clear();
	if (names.count == 0) {
		git_strarray_dispose(&names);
		return dipb_error_fmt(DIPB_ERR_USAGE, "the branch '%s' has no "
		    "upstream, and the repository no remote: add one with "
		    "'git remote add NAME URL', then 'dipb sync NAME'", b);
	}
	for (i = 0; i < names.count; i++)
		dipb_buf_printf(&list, "%s%s", i > 0 ? ", " : "",
		    names.strings[i]);
	name = names.count == 1 ? dipb_sh_quote(names.strings[0]) :
	    xstrdup("REMOTE");
	up = xasprintf("%s/%s", names.count == 1 ? names.strings[0] :
	    "REMOTE", b);
	if (names.count == 1) {
		char *q = dipb_sh_quote(up);

		free(up);
		up = q;
	}
	err = dipb_error_fmt(DIPB_ERR_USAGE, "the branch '%s' has no "
	    "upstream: name the remote ('dipb sync %s'%s%s), or set it with "
	    "'git fetch %s && git branch --set-upstream-to=%s'", b, name,
	    names.count > 1 ? ", REMOTE one of " : "", names.count > 1 ?
	    dipb_buf_cstr(&list) : "", name, up);
	free(up);
	free(name);
	dipb_buf_release(&list);
	git_strarray_dispose(&names);
	return err;
}

const struct dipb_error *
dipb_repo_upstream(char **remote, char **branch, struct dipb_repo *r,
    const char *remote_given)
{
	const struct dipb_error *err;
	const char *b = r->branch_ref + 11;	/* after "refs/heads/" */
	char *key, *merge, *url, *upstream;

	*remote = *branch = NULL;
	key = xasprintf("branch.%s.remote", b);
	upstream = config_get(r, key);
	free(key);
	*remote = remote_given != NULL ? xstrdup(remote_given) :
	    upstream != NULL ? xstrdup(upstream) : NULL;
	if (*remote == NULL) {
		free(upstream);
		return no_upstream(r, b);
	}
	if ((err = remote_name_check(*remote)) != NULL) {
		free(*remote);
		*remote = NULL;
		free(upstream);
		return err;
	}
	key = xasprintf("remote.%s.url", *remote);
	url = config_get(r, key);
	free(key);
	if (url == NULL) {
		key = dipb_sh_quote(*remote);
		err = dipb_error_fmt(DIPB_ERR_USAGE, "no such remote: '%s'%s%s"
		    "%s (add it with 'git remote add %s URL')", *remote,
		    remote_given != NULL ? "" : ", named by branch.",
		    remote_given != NULL ? "" : b,
		    remote_given != NULL ? "" : ".remote", key);
		free(key);
		free(*remote);
		*remote = NULL;
		free(upstream);
		return err;
	}
	free(url);
	/*
	 * The upstream remote, named or not, is pulled from and pushed to at
	 * branch.<name>.merge, as git pull takes it: naming it must not
	 * push the branch under its local name, a second board branch there.
	 */
	merge = NULL;
	if (upstream != NULL && strcmp(upstream, *remote) == 0) {
		key = xasprintf("branch.%s.merge", b);
		merge = config_get(r, key);
		free(key);
	}
	free(upstream);
	if (merge != NULL && strncmp(merge, "refs/heads/", 11) == 0 &&
	    merge[11] != '\0')
		*branch = xstrdup(merge + 11);
	else
		*branch = xstrdup(b);
	free(merge);
	return NULL;
}

void
dipb_repo_tip(char out[41], const struct dipb_repo *r)
{
	if (r->unborn)
		out[0] = '\0';
	else
		git_oid_tostr(out, GIT_OID_HEXSZ + 1, &r->tip);
}

const struct dipb_error *
dipb_repo_fetch(struct dipb_repo *r, const char *remote, int interactive)
{
	const struct dipb_error *err;
	char *heads = xasprintf("+refs/heads/*:refs/remotes/%s/*", remote);
	char *tags = xasprintf("+refs/tags/*:refs/dipb/remote/%s/tags/*",
	    remote);
	/*
	 * --refmap= (empty): these two refspecs only.  git fetch would also
	 * update, as it fetched, every ref that remote.<name>.fetch maps the
	 * fetched refs to: one taking the tags to refs/tags/ overwrites a
	 * local tag (forced) or fails the fetch (not), a mirror's the
	 * checked-out branch (dipb-sync(1), "Fetching").
	 */
	char *argv[] = { (char *)"git", (char *)"fetch", (char *)"--quiet",
	    (char *)"--prune", (char *)"--no-tags", (char *)"--no-write-fetch-head",
	    (char *)"--refmap=", (char *)"--", (char *)remote, heads, tags,
	    NULL };
	int status;

	(void)r;
	err = run_git(&status, NULL, NULL, argv, interactive);
	if (err == NULL && !succeeded(status))
		err = failed("fetch", remote, status);
	free(heads);
	free(tags);
	return err;
}

/*
 * The git dir of the repository at the local path p as git push finds
 * it (p/.git, p, p.git/.git, p.git, in git's order), one whose objects
 * are its own (no linked worktree's, no .git file): NULL when there is
 * none (caller frees).
 */
static char *
local_git_dir(const char *p)
{
	static const char *const suffix[] = { "/.git", "", ".git/.git",
	    ".git" };
	struct stat st;
	char *d, *f;
	size_t i;
	int head, common;

	for (i = 0; i < sizeof(suffix) / sizeof(suffix[0]); i++) {
		d = xasprintf("%s%s", p, suffix[i]);
		f = xasprintf("%s/HEAD", d);
		head = stat(f, &st) == 0;
		free(f);
		f = xasprintf("%s/commondir", d);
		common = stat(f, &st) == 0;
		free(f);
		if (head && !common)
			return d;
		free(d);
		if (head)
			break;
	}
	return NULL;
}

/*
 * The local path url names (a path, a file:// URL, as git reads them),
 * a relative one from the folder git runs in; NULL when url names none
 * (another scheme, host:path) or dipb cannot tell (caller frees).
 */
static char *
local_path(struct dipb_repo *r, const char *url)
{
	const char *base, *slash;

	if (strncmp(url, "file://", 7) == 0)
		return url[7] == '/' && strchr(url, '%') == NULL ?
		    xstrdup(url + 7) : NULL;
	slash = strchr(url, '/');
	if (strstr(url, "://") != NULL || url[0] == '\0' ||
	    (strchr(url, ':') != NULL &&
	    (slash == NULL || strchr(url, ':') < slash)))
		return NULL;
	if (url[0] == '/')
		return xstrdup(url);
	base = git_repository_workdir(r->git);
	if (base == NULL)
		base = git_repository_path(r->git);
	return xasprintf("%s%s", base, url);
}

/*
 * The remote's shallow file's ids as this clone holds them: 1 where one
 * ends the history, 0 where all are root commits here, -1 where some are
 * not here or no commits (dipb cannot tell what the remote holds).
 */
static int
shallow_kind(int kinds)
{
	if (kinds & DIPB_GIT_CUT_ENDS)
		return 1;
	return kinds == DIPB_GIT_CUT_ROOT ? 0 : -1;
}

void
dipb_repo_remote_shallow(int *shallow, struct dipb_repo *r,
    const char *remote)
{
	char *argv[] = { (char *)"git", (char *)"remote", (char *)"get-url",
	    (char *)"--push", (char *)"--all", (char *)remote, NULL };
	struct dipb_buf out = DIPB_BUF_INIT, e = DIPB_BUF_INIT;
	struct dipb_hashmap cut = DIPB_HASHMAP_INIT;
	const struct dipb_error *err;
	char *path = NULL, *dir = NULL, *file = NULL, *nl;
	char other[DIPB_OID_HEX + 1];
	struct stat st;
	int status;

	*shallow = -1;
	/* The one URL git pushes to, as git has it (insteadOf read). */
	if ((err = run_git(&status, &out, &e, argv, 0)) != NULL)
		dipb_error_free(err);
	else if (succeeded(status) && out.len > 0 &&
	    (nl = strchr(dipb_buf_cstr(&out), '\n')) != NULL &&
	    nl[1] == '\0') {
		*nl = '\0';
		path = local_path(r, dipb_buf_cstr(&out));
	}
	if (path != NULL && (dir = local_git_dir(path)) != NULL)
		file = xasprintf("%s/shallow", dir);
	/*
	 * As git rev-parse --is-shallow-repository: the file there or not;
	 * one that lists nothing, or that dipb cannot read, tells nothing.
	 * Its history ends where it lists a commit this clone holds with
	 * parents (dipb_git_cut_kinds, as the clone's own file is read); one
	 * of roots alone ends nothing, so the remote lost what it lacks.
	 */
	if (file != NULL && stat(file, &st) == -1)
		*shallow = errno == ENOENT ? 0 : -1;
	else if (file != NULL && S_ISREG(st.st_mode)) {
		if ((err = dipb_git_shallow_file(&cut, NULL, file)) == NULL &&
		    cut.n > 0)
			*shallow = shallow_kind(dipb_git_cut_kinds(other, r,
			    &cut));
		dipb_error_free(err);
	}
	dipb_hashmap_release(&cut, NULL);
	dipb_buf_release(&out);
	dipb_buf_release(&e);
	free(file);
	free(dir);
	free(path);
}

/*
 * What git receive-pack says, word for word, of a ref it could not
 * update itself (a lock, a write, the objects) or that its own
 * configuration or state refuses (the branch checked out in a non-bare
 * remote, or its working tree not clean for receive.denyCurrentBranch
 * updateInstead; a hidden ref; receive.denyNonFastForwards,
 * receive.denyDeletes; a shallow update): the remote's failure, which
 * no change of the clone's can mend.  Any other reason is a hook's
 * refusal (pre-receive, update, push-to-checkout: "... hook declined"),
 * a verdict on the changes: proc-receive's own text may say anything.
 * "(atomic transaction failed)" is all it says of every ref of an atomic
 * push whose transaction failed, a ref it could not lock among them.
 * reason is what follows "[remote rejected] ".
 */
static int
remote_failure(const char *reason)
{
	static const char *const says[] = { "failed to lock",
	    "failed to write", "failed to update ref", "failed to update refs",
	    "failed to delete", "shallow error", "unpacker error",
	    "n/a (unpacker error)", "unpack-objects abnormal exit",
	    "index-pack abnormal exit", "bad pack", "bad ref", "broken symref",
	    "unable to migrate objects to permanent storage",
	    "atomic transaction failed", "transaction failed to start",
	    "fail to run proc-receive hook",
	    "proc-receive failed to report status",
	    "branch is currently checked out",
	    "denyCurrentBranch = updateInstead needs a worktree",
	    "Up-to-date check failed", "Working directory has unstaged changes",
	    "Working directory has staged changes",
	    "Could not update working tree to new HEAD",
	    "deny updating a hidden ref", "deny deleting a hidden ref",
	    "non-fast-forward", "deletion prohibited",
	    "deletion of the current branch prohibited",
	    "Invalid denyDeleteCurrent setting", "shallow update not allowed",
	    "funny refname", "inconsistent aliased update" };
	size_t i, n;

	if (*reason++ != '(' || (n = strlen(reason)) == 0 ||
	    reason[n - 1] != ')')
		return 0;
	for (i = 0; i < sizeof(says) / sizeof(says[0]); i++)
		if (strlen(says[i]) == n - 1 &&
		    strncmp(reason, says[i], n - 1) == 0)
			return 1;
	return 0;
}

/*
 * Reads git push --porcelain's lines, "<flag>\t<from>:<to>\t<summary>":
 * a '!' is a rejected ref; "[remote rejected]" one the remote refused
 * (its hook) or failed to update (remote_failure: *failed; *objects
 * DIPB_PUSH_LACKS when for want of objects, "missing necessary
 * objects", DIPB_PUSH_CUT when for the cut of this clone's history its
 * shallow file sends, "shallow update not allowed"), the other
 * rejections (fetch first, non-fast-forward, already exists, stale info)
 * a remote that moved.  An atomic push marks the refs it gave up for
 * another's rejection "(atomic push failed)", and receive-pack those it
 * gave up for another's failure or refusal "(atomic push failure)": they
 * say nothing of their own.
 */
static void
read_porcelain(int *moved, int *refused, int *failed, int *objects,
    int *any, struct dipb_buf *why, const char *text)
{
	const char *line, *nl;
	char *l, *tab;
	size_t len;

	*moved = *refused = *failed = *objects = *any = 0;
	for (line = text; *line != '\0'; line = nl) {
		nl = strchr(line, '\n');
		len = nl != NULL ? (size_t)(nl - line) : strlen(line);
		nl = nl != NULL ? nl + 1 : line + len;
		if (len < 2 || line[1] != '\t')
			continue;
		*any = 1;
		if (line[0] != '!')
			continue;
		l = xstrndup(line, len);
		tab = strchr(l + 2, '\t');
		dipb_buf_puts(why, l + 2);
		dipb_buf_putc(why, '\n');
		if (tab != NULL && strstr(tab, "atomic push failed") == NULL &&
		    strstr(tab, "[remote rejected] (atomic push failure)") ==
		    NULL) {
			if (strcmp(tab + 1, "[remote rejected] (missing "
			    "necessary objects)") == 0)
				*objects = DIPB_PUSH_LACKS;
			else if (strcmp(tab + 1, "[remote rejected] (shallow "
			    "update not allowed)") == 0)
				*objects = DIPB_PUSH_CUT;
			else if (strncmp(tab + 1, "[remote rejected] ", 18) == 0 &&
			    remote_failure(tab + 19))
				*failed = 1;
			else if (strncmp(tab + 1, "[remote rejected]", 17) == 0)
				*refused = 1;
			else if (strncmp(tab + 1, "[rejected]", 10) == 0)
				*moved = 1;
		}
		free(l);
	}
}

char *
dipb_repo_push_url(char **fetched, struct dipb_repo *r, const char *remote)
{
	git_remote *rm;
	const char *push, *url;
	char *out = NULL;

	*fetched = NULL;
	if (git_remote_lookup(&rm, r->git, remote) < 0) {
		git_error_clear();
		return NULL;
	}
	/* libgit2 gives insteadOf's rewrite as the url, pushInsteadOf's as
	 * the push url. */
	push = git_remote_pushurl(rm);
	url = git_remote_url(rm);
	if (url != NULL)
		*fetched = xstrdup(url);
	if (push != NULL && *push != '\0' && (url == NULL ||
	    strcmp(push, url) != 0))
		out = xstrdup(push);
	git_remote_free(rm);
	return out;
}

/*
 * 1 when porcelain text's line of the branch ref says the branch was
 * elsewhere than base (NULL: none) where the push landed: up to date
 * ("=") though base is not tip, a new branch though base is one, or
 * "old..new" from another old.  Where git pushes to a URL other than the
 * one fetched from (dipb_repo_push_url), that repository's branch is
 * what the line names (dipb-sync(1), "Pushing").
 */
static int
landed_elsewhere(const char *text, const char *ref, const char *base,
    const char *tip)
{
	const char *line, *next, *to, *sum, *dots;
	size_t n = strlen(ref);

	for (line = text; line != NULL; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			next++;
		to = line[0] != '\0' && line[1] == '\t' ?
		    strchr(line + 2, ':') : NULL;
		if (to == NULL || strncmp(to + 1, ref, n) != 0 ||
		    to[n + 1] != '\t')
			continue;
		sum = to + n + 2;
		if (line[0] == '=')
			return base == NULL || strcmp(base, tip) != 0;
		if (strncmp(sum, "[new branch]", 12) == 0)
			return base != NULL;
		dots = strstr(sum, "..");
		return dots != NULL && (base == NULL || dots == sum ||
		    strncmp(base, sum, (size_t)(dots - sum)) != 0);
	}
	return 0;
}

const struct dipb_error *
dipb_repo_push(enum dipb_push_result *out, char **why, char **said,
    struct dipb_repo *r, const char *remote, const char *branch,
    const char *base, const char *tip, const struct dipb_strlist *tags,
    int interactive)
{
	const struct dipb_error *err;
	struct dipb_buf text = DIPB_BUF_INIT, w = DIPB_BUF_INIT;
	struct dipb_buf e = DIPB_BUF_INIT;
	char **argv = xcalloc(tags->n + 9, sizeof(*argv)), *ref;
	size_t i, n = 0;
	int status, moved, refused, failed_, objects, any;

	(void)r;
	*out = DIPB_PUSHED;
	*why = *said = NULL;
	argv[n++] = xstrdup("git");
	argv[n++] = xstrdup("push");
	argv[n++] = xstrdup("--atomic");
	argv[n++] = xstrdup("--porcelain");
	/*
	 * The branch and these tags only: push.followTags would add every
	 * annotated tag of the clone that the pushed commits reach, a
	 * member's own among them (dipb-sync(1), "Pushing").
	 */
	argv[n++] = xstrdup("--no-follow-tags");
	argv[n++] = xstrdup("--");
	argv[n++] = xstrdup(remote);
	argv[n++] = xasprintf("%s:refs/heads/%s", tip, branch);
	for (i = 0; i < tags->n; i++)
		argv[n++] = xasprintf("refs/tags/%s", tags->v[i]);
	err = run_git(&status, &text, &e, argv, interactive);
	if (e.len > 0)
		*said = dipb_buf_detach(&e);
	if (err != NULL)
		goto done;
	read_porcelain(&moved, &refused, &failed_, &objects, &any, &w,
	    dipb_buf_cstr(&text));
	if (succeeded(status)) {
		ref = xasprintf("refs/heads/%s", branch);
		if (landed_elsewhere(dipb_buf_cstr(&text), ref, base, tip))
			*out = DIPB_PUSH_ELSEWHERE;
		free(ref);
		goto done;
	}
	if (refused)
		*out = DIPB_PUSH_REFUSED;
	else if (moved)
		*out = DIPB_PUSH_MOVED;
	else if (objects != 0)
		*out = (enum dipb_push_result)objects;
	else if (failed_)
		*out = DIPB_PUSH_FAILED;
	else
		err = failed("push", remote, status);
	if (w.len > 0)
		*why = dipb_buf_detach(&w);
done:
	for (i = 0; i < n; i++)
		free(argv[i]);
	free(argv);
	dipb_buf_release(&text);
	dipb_buf_release(&w);
	dipb_buf_release(&e);
	return err;
}

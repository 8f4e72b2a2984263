/*
 * git/repo.c - the repository opened (once discover.c found it) and
 * closed; HEAD and its branch; paths as a command names them; the
 * warnings for the caller.  init.c makes a repository, identity.c reads the
 * acting identity.
 */
#include <sys/stat.h>

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "../board.h"
#include "../error.h"
#include "../text.h"
#include "../util.h"

/*
 * Says which branch is read while an operation has HEAD detached; not
 * where the working tree's files are read instead (dipb_repo_open_at).
 */
static void
warn_operation(struct dipb_repo *r, const char *what, const char *branch)
{
	char *msg;

	if (r->files)
		return;
	msg = xasprintf("%s is in progress, HEAD detached: reading "
	    "%s as it was before it began", what, branch + 11);

	dipb_repo_warn(r, msg);
	free(msg);
}

/*
 * git's dwim rules for a name (dwim_ref), in its order: name, refs/name,
 * refs/tags/, refs/heads/, refs/remotes/name and its HEAD.
 */
static const char *const dwim_rules[][2] = { { "", "" },
    { "refs/", "" }, { "refs/tags/", "" }, { "refs/heads/", "" },
    { "refs/remotes/", "" }, { "refs/remotes/", "/HEAD" } };

#define DWIM_RULES	(sizeof(dwim_rules) / sizeof(dwim_rules[0]))

/*
 * 1 when the loose ref of that name, in the git dir of the worktree
 * (its own refs, such as ORIG_HEAD) or the common one, is a FIFO or
 * another special file, or a link to one, which libgit2 would wait on
 * for ever (dipb-git(7)); and when the ref a regular one names is, to
 * depth levels ("ref: ", a symbolic ref such as refs/remotes/origin/HEAD:
 * libgit2 follows five).
 */
static int
loose_special(struct dipb_repo *r, const char *ref, int depth)
{
	const char *dirs[2] = { r->gitdir, git_repository_commondir(r->git) };
	struct dipb_buf buf = DIPB_BUF_INIT;
	struct stat st;
	char *path;
	size_t i;
	int fd, special = 0;

	for (i = 0; i < 2 && !special; i++) {
		path = xasprintf("%s%s", dirs[i], ref);
		if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) &&
		    !S_ISDIR(st.st_mode))
			special = 1;
		else if (depth > 0 &&
		    (fd = dipb_open_regular(path, 0, NULL)) >= 0) {
			dipb_buf_clear(&buf);
			if (dipb_read_fd(&buf, fd, 4096) == 0 && buf.len > 5 &&
			    strncmp(buf.ptr, "ref: ", 5) == 0) {
				buf.ptr[strcspn(buf.ptr, "\r\n")] = '\0';
				special = loose_special(r, buf.ptr + 5,
				    depth - 1);
			}
			close(fd);
		}
		free(path);
	}
	dipb_buf_release(&buf);
	return special;
}

/*
 * The ref name's dwim_rules find, resolved, into *ref and *res; -1 when
 * none does, or more than one (a tag and a branch of that name: git
 * status names the commit then, as dwim_ref finds the name ambiguous),
 * or when one of the loose refs a rule would read is loose_special.
 */
static int
dwim_one(git_reference **ref, git_reference **res, struct dipb_repo *r,
    const char *name)
{
	git_reference *one, *to;
	char *full;
	size_t i;
	int found = 0;

	*ref = *res = NULL;
	for (i = 0; i < DWIM_RULES && found < 2; i++) {
		full = xasprintf("%s%s%s", dwim_rules[i][0], name,
		    dwim_rules[i][1]);
		one = to = NULL;
		if (loose_special(r, full, 5))
			found = 2;
		else if (git_reference_lookup(&one, r->git, full) == 0 &&
		    git_reference_resolve(&to, one) == 0 && found++ == 0) {
			*ref = one;
			*res = to;
		} else {
			git_reference_free(to);
			git_reference_free(one);
		}
		free(full);
	}
	git_error_clear();
	return found == 1 ? 0 : -1;
}

/*
 * The ref a checkout of name detached HEAD at, as git status finds it
 * (dwim_ref: a ref name, not a revision such as main~1 or main@{1},
 * which git status names by the commit; one rule's only, dwim_one), when
 * it still names commit head; NULL else.  A checkout of "HEAD" or "@" is
 * named by its commit, as git status names it (git 2.47; 2.43 and older
 * named one of "@" "HEAD", dwim_ref reading it so).  Caller frees.
 */
static char *
checked_out(struct dipb_repo *r, const char *name, const git_oid *head)
{
	git_reference *ref = NULL, *res = NULL;
	git_object *obj = NULL;
	const char *from;
	char *out = NULL;

	if (strcmp(name, "HEAD") == 0 || strcmp(name, "@") == 0 ||
	    strstr(name, "@{") != NULL ||
	    dwim_one(&ref, &res, r, name) < 0 ||
	    git_reference_peel(&obj, res, GIT_OBJECT_COMMIT) < 0 ||
	    !git_oid_equal(git_object_id(obj), head))
		goto done;
	from = git_reference_name(ref);
	if (strncmp(from, "refs/tags/", 10) == 0)
		from += 10;
	else if (strncmp(from, "refs/remotes/", 13) == 0)
		from += 13;
	out = xstrdup(from);
done:
	git_object_free(obj);
	git_reference_free(res);
	git_reference_free(ref);
	git_error_clear();
	return out;
}

/*
 * A detached HEAD named "HEAD (detached at X)", X as git status names it
 * in "HEAD detached at X": the ref the newest entry of HEAD's reflog
 * checked out ("checkout: moving from A to X"; refs/tags/ and
 * refs/remotes/ left out, as git status leaves them) when HEAD is still
 * at the commit that entry moved to and X still names it (checked_out),
 * else HEAD's commit, 12 hex digits (where git status names an
 * abbreviated id, or says "detached from X" once HEAD has moved).
 * Caller frees.
 */
static char *
describe_detached(struct dipb_repo *r, const git_oid *head)
{
	const struct dipb_error *err;
	git_reflog *log = NULL;
	const git_reflog_entry *e;
	const char *msg, *to;
	char hex[GIT_OID_HEXSZ + 1], *name, *at = NULL, *desc;

	/* A log dipb does not read (a FIFO) names no checkout. */
	if ((err = dipb_git_reflog_read(&log, r, "HEAD")) == NULL &&
	    log != NULL && (e = git_reflog_entry_byindex(log, 0)) != NULL &&
	    (msg = git_reflog_entry_message(e)) != NULL &&
	    git_oid_equal(git_reflog_entry_id_new(e), head) &&
	    strncmp(msg, "checkout: moving from ", 22) == 0 &&
	    (to = strstr(msg + 22, " to ")) != NULL) {
		name = xstrdup(to + 4);
		name[strcspn(name, "\n")] = '\0';
		at = checked_out(r, name, head);
		free(name);
	}
	dipb_error_free(err);
	git_error_clear();
	git_reflog_free(log);
	if (at == NULL) {
		git_oid_tostr(hex, sizeof(hex), head);
		hex[12] = '\0';
		return xasprintf("HEAD (detached at %s)", hex);
	}
	desc = xasprintf("HEAD (detached at %s)", at);
	free(at);
	return desc;
}

/*
 * 1 when object id is larger than any commit dipb reads, from its header:
 * libgit2 would read it whole (DIPB_GIT_MAX_COMMIT, repo.h).
 */
static int
too_large(struct dipb_repo *r, const git_oid *id)
{
	git_object_t t;
	size_t size;

	if (git_odb_read_header(&size, &t, r->odb, id) < 0) {
		git_error_clear();
		return 0;	/* the lookup says why */
	}
	return size > DIPB_GIT_MAX_COMMIT;
}

/*
 * what (HEAD, or the branch tip) is no commit libgit2 reads.  When it
 * is none (an object of another type) or none dipb's reader of commits
 * reads either, and that can say why (a commit git fsck rejects, as one
 * with no committer): DIPB_ERR_CORRUPT naming it.  Else why it was not
 * read, DIPB_ERR_GIT (dipb_git_read_failed: not here, as when the
 * alternate that lent it is gone, or libgit2's reason): libgit2 says
 * "object not found" of one it could not read for want of memory, and a
 * board's history is not called corrupt for a failed read.
 */
static const struct dipb_error *
tip_error(const char *what, struct dipb_repo *r, const git_oid *id)
{
	const struct dipb_error *err;
	char hex[GIT_OID_HEXSZ + 1], *why;
	git_object_t t;
	size_t size;

	if (id == NULL) {
		git_error_clear();
		return dipb_error_fmt(DIPB_ERR_CORRUPT, "%s is not a commit: "
		    "'?'", what);
	}
	git_oid_tostr(hex, sizeof(hex), id);
	err = dipb_git_read_failed(r, id, "cannot read %s's commit '%s'", what,
	    hex);
	if ((why = dipb_git_commit_why(r, id)) == NULL &&
	    (git_odb_read_header(&size, &t, r->odb, id) < 0 ||
	    t == GIT_OBJECT_COMMIT)) {
		git_error_clear();
		return err;
	}
	dipb_error_free(err);
	err = dipb_error_fmt(DIPB_ERR_CORRUPT, "%s is not a%s commit: "
	    "'%s'%s%s", what, why != NULL ? " well-formed" : "", hex,
	    why != NULL ? ": " : "", why != NULL ? why : "");
	free(why);
	return err;
}

/*
 * A detached HEAD with no operation in progress (a CI job's checkout of
 * a pull request): read at its commit, as the branch is otherwise; a
 * change is refused (dipb_git_check_state).
 */
static const struct dipb_error *
load_detached(struct dipb_repo *r, git_reference *head)
{
	git_commit *c = NULL;
	const git_oid *id = git_reference_target(head);

	if (id == NULL || too_large(r, id) ||
	    git_commit_lookup(&c, r->git, id) < 0)
		return tip_error("HEAD", r, id);
	free(r->branch_ref);
	r->branch_ref = xstrdup("HEAD");
	free(r->head_desc);
	r->head_desc = describe_detached(r, id);
	r->detached = 1;
	git_oid_cpy(&r->root, git_commit_tree_id(c));
	git_oid_cpy(&r->tip, id);
	r->unborn = 0;
	git_commit_free(c);
	return NULL;
}

/*
 * Reads HEAD: the branch it names and that branch's tip.  A detached HEAD
 * is read at its commit (load_detached), unless a rebase or a bisect
 * detached it: then its branch is read, as it was before.  An unborn
 * branch is fine.
 */
const struct dipb_error *
dipb_git_load_head(struct dipb_repo *r)
{
	const struct dipb_error *err = NULL;
	git_reference *head = NULL;
	git_commit *c = NULL;
	const char *target, *what;
	git_oid id;
	char *op = NULL;
	int found;

	if (git_reference_lookup(&head, r->git, "HEAD") < 0)
		return dipb_error_from_git("cannot read HEAD");
	r->detached = 0;
	if (git_reference_type(head) != GIT_REFERENCE_SYMBOLIC) {
		/*
		 * A rebase or a bisect detaches HEAD: what is read is its
		 * branch, as it was before; a change is refused by
		 * dipb_git_check_state (dipb-git(7)).
		 */
		if ((err = dipb_git_operation_branch(&op, &what, r)) != NULL)
			goto done;
		if (op == NULL) {
			err = load_detached(r, head);
			goto done;
		}
		warn_operation(r, what, op);
		target = op;
	} else
		target = git_reference_symbolic_target(head);
	if (strncmp(target, "refs/heads/", 11) != 0 || target[11] == '\0') {
		err = dipb_error_fmt(DIPB_ERR_NO_REPO,
		    "HEAD is not a branch: '%s'", target);
		goto done;
	}
	if (r->branch_ref == NULL || strcmp(r->branch_ref, target) != 0) {
		free(r->branch_ref);
		r->branch_ref = xstrdup(target);
	}
	/* Not libgit2's lookup: it reads all of packed-refs for a packed one. */
	if ((err = dipb_git_ref_read(&id, &found, r, target)) != NULL)
		goto done;
	if (!found) {
		r->unborn = 1;
		memset(&r->tip, 0, sizeof(r->tip));
	} else if (r->unborn || !git_oid_equal(&id, &r->tip)) {
		if (too_large(r, &id) ||
		    git_commit_lookup(&c, r->git, &id) < 0) {
			err = tip_error("branch tip", r, &id);
			goto done;
		}
		git_oid_cpy(&r->root, git_commit_tree_id(c));
		git_commit_free(c);
		r->unborn = 0;
		git_oid_cpy(&r->tip, &id);
	}
done:
	free(op);
	git_reference_free(head);
	return err;
}

const struct dipb_error *
dipb_repo_reread(struct dipb_repo *r)
{
	return r->lock_fd >= 0 ? NULL : dipb_git_load_head(r);
}

static int
has_board_file(struct dipb_repo *r)
{
	git_oid id;
	struct stat st;
	char *p;
	int found = 0, ok;

	dipb_error_free(dipb_git_tree_blob(&id, NULL, &found, r,
	    DIPB_BOARD_FILE));
	if (found)
		return 1;
	p = xasprintf("%s%s", r->workdir, DIPB_BOARD_FILE);
	ok = lstat(p, &st) == 0 && S_ISREG(st.st_mode);
	free(p);
	return ok;
}

/*
 * Whether dipb.yaml is a symbolic link, at the tip or in the working
 * tree: named as such (dipb-validate(1), symlink), never read.
 */
static int
board_link(struct dipb_repo *r)
{
	git_tree *t = NULL;
	git_tree_entry *e = NULL;
	struct stat st;
	char *p = xasprintf("%s%s", r->workdir, DIPB_BOARD_FILE);
	int link;

	link = lstat(p, &st) == 0 && S_ISLNK(st.st_mode);
	free(p);
	if (!link && !r->unborn && git_tree_lookup(&t, r->git, &r->root) == 0 &&
	    git_tree_entry_bypath(&e, t, DIPB_BOARD_FILE) == 0)
		link = git_tree_entry_filemode(e) == GIT_FILEMODE_LINK;
	git_tree_entry_free(e);
	git_tree_free(t);
	git_error_clear();
	return link;
}

const struct dipb_error *
dipb_git_open(struct dipb_repo **out, git_repository *git,
    const struct dipb_git_found *how, int need_board, int fsync_on)
{
	const struct dipb_error *err = NULL;
	struct dipb_repo *r;
	git_config *cfg = NULL;
	const char *wd;
	char *want = NULL, *name;

	r = xcalloc(1, sizeof(*r));
	r->git = git;
	r->lock_fd = -1;
	r->dotgit = -1;
	r->ilock = (struct dipb_git_lockfile)DIPB_GIT_LOCKFILE_INIT;
	r->retries = DIPB_GIT_RETRIES;
	r->fsync = fsync_on;
	r->format = (struct dipb_git_format)DIPB_GIT_FORMAT_INIT;
	r->files = how->files;
	if ((err = dipb_git_setup_config(&cfg, &r->format, git)) != NULL)
		goto done;
	if ((err = dipb_git_find_workdir(&want, git, cfg, how)) != NULL)
		goto done;
	if (want == NULL) {
		name = dipb_git_start_named(how->start);
		err = dipb_error_fmt(DIPB_ERR_NO_REPO,
		    "not a board repository: '%s' is a bare repository",
		    name);
		free(name);
		goto done;
	}
	if (want[0] == '\0' || want[strlen(want) - 1] != '/') {
		char *slash = xasprintf("%s/", want);

		free(want);
		want = slash;
	}
	/* libgit2 1.5 leaks when asked for the working tree it has. */
	wd = git_repository_workdir(git);
	if ((wd == NULL || strcmp(wd, want) != 0) &&
	    git_repository_set_workdir(git, want, 0) < 0) {
		err = dipb_error_from_git("cannot use the working tree '%s'",
		    want);
		goto done;
	}
	r->workdir = xstrdup(git_repository_workdir(git));
	r->gitdir = xstrdup(git_repository_path(git));
	dipb_git_fault("odb");
	if (how->from_env && (err = dipb_git_apply_env(r)) != NULL)
		goto done;
	if (dipb_git_odb_set(r, NULL) < 0) {
		err = dipb_error_from_git("cannot open the object database");
		goto done;
	}
	/* GIT_OBJECT_DIRECTORY moves the objects: leave them to libgit2. */
	if (!how->from_env ||
	    dipb_git_env_get("GIT_OBJECT_DIRECTORY") == NULL) {
		r->objdir = xasprintf("%sobjects/",
		    git_repository_commondir(git));
		if ((err = dipb_git_nested_alternates(r)) != NULL)
			goto done;
	}
	if (r->index_path == NULL)
		r->index_path = xasprintf("%sindex", r->gitdir);
	if ((err = dipb_git_load_head(r)) != NULL)
		goto done;
	if (need_board && !has_board_file(r))
		err = board_link(r) ? dipb_error_fmt(DIPB_ERR_NO_REPO,
		    "%s is a symbolic link, not a file: dipb never reads "
		    "through one [symlink] (replace the link with the file "
		    "itself): '%s'", DIPB_BOARD_FILE, r->workdir) :
		    dipb_error_fmt(DIPB_ERR_NO_REPO,
		    "not a board repository (no %s): '%s'", DIPB_BOARD_FILE,
		    r->workdir);
	if (err == NULL)
		dipb_git_recover_left(r);
done:
	git_config_free(cfg);
	free(want);
	if (err != NULL) {
		dipb_repo_close(r);	/* also shuts libgit2 down once */
		return err;
	}
	*out = r;
	return NULL;
}

/*
 * dipb_repo_open; with at, dipb_repo_open_at: no repository, or one
 * without a working tree, is none (*out NULL), not an error.
 */
static const struct dipb_error *
open_repo(struct dipb_repo **out, const char *path, int need_board, int at)
{
	const struct dipb_error *err;
	git_repository *git = NULL;
	struct dipb_git_found how;
	int fsync_on = 1;

	*out = NULL;
	if ((err = dipb_git_lib_init(&fsync_on)) != NULL)
		return err;
	if ((err = dipb_git_find_repo(&git, &how, path)) != NULL) {
		git_libgit2_shutdown();
		/* git finds no working tree in a bare git dir it refuses. */
		if (at && (how.none || how.bare_refused)) {
			dipb_error_free(err);
			err = NULL;
		}
		return err;
	}
	/* A bare repository has no working tree to be in. */
	if (at && (git_repository_is_bare(git) ||
	    git_repository_workdir(git) == NULL)) {
		git_repository_free(git);
		git_libgit2_shutdown();
		return NULL;
	}
	how.files = at;
	return dipb_git_open(out, git, &how, need_board, fsync_on);
}

const struct dipb_error *
dipb_repo_open(struct dipb_repo **out, const char *path, int need_board)
{
	return open_repo(out, path, need_board, 0);
}

const struct dipb_error *
dipb_repo_open_at(struct dipb_repo **out, const char *path)
{
	return open_repo(out, path, 0, 1);
}

void
dipb_repo_close(struct dipb_repo *r)
{
	size_t i;

	if (r == NULL)
		return;
	dipb_repo_end(r);
	dipb_git_packed_release(r);
	dipb_git_index_forget(r);
	for (i = 0; i < DIPB_GIT_RAWTREES; i++) {
		free(r->rt[i].data);
		free(r->rt[i].off);
		free(r->rt[i].path);
	}
	dipb_git_packs_free(r->packs);
	git_odb_free(r->odb);
	git_repository_free(r->git);
	dipb_git_index_copy_close(r);
	free(r->workdir);
	free(r->gitdir);
	free(r->index_path);
	free(r->objdir);
	free(r->env_objdir);
	dipb_strlist_release(&r->env_alts);
	free(r->branch_ref);
	free(r->head_desc);
	dipb_strlist_release(&r->warnings);
	free(r->unsettled_warning);
	free(r->lazy_failed);
	dipb_git_format_release(&r->format);
	dipb_git_made_release(&r->made);
	if (r->dotgit != -1)
		close(r->dotgit);
	free(r->dotgit_path);
	free(r);
	git_libgit2_shutdown();
}

void
dipb_git_warn(struct dipb_repo *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	dipb_strlist_push_owned(&r->warnings, xvasprintf(fmt, ap));
	va_end(ap);
}

void
dipb_repo_warn(struct dipb_repo *r, const char *msg)
{
	if (!dipb_strlist_contains(&r->warnings, msg))
		dipb_strlist_push(&r->warnings, msg);
}

void
dipb_git_unwarn(struct dipb_repo *r, const char *msg)
{
	struct dipb_strlist *w = &r->warnings;
	size_t i;

	for (i = 0; i < w->n; i++)
		if (strcmp(w->v[i], msg) == 0) {
			free(w->v[i]);
			memmove(&w->v[i], &w->v[i + 1],
			    (w->n - i - 1) * sizeof(*w->v));
			w->n--;
			return;
		}
}

const struct dipb_strlist *
dipb_repo_warnings(const struct dipb_repo *r)
{
	return &r->warnings;
}

const char *
dipb_repo_workdir(const struct dipb_repo *r)
{
	return r->workdir;
}

char *
dipb_repo_path_here(const struct dipb_repo *r, const char *path)
{
	const struct dipb_error *err;
	size_t n = strlen(r->workdir);
	char *top, *cwd, *full, *out;

	if (strncmp(path, r->workdir, n) == 0)
		path += n;
	else if (path[0] == '/')
		return xstrdup(path);
	if ((top = realpath(r->workdir, NULL)) == NULL)
		return xasprintf("%s%s", r->workdir, path);
	if ((err = dipb_git_current_dir(&cwd)) != NULL) {
		dipb_error_free(err);
		cwd = xstrdup("/");
	}
	n = strlen(top);
	if (strcmp(top, "/") == 0 || (strncmp(cwd, top, n) == 0 &&
	    (cwd[n] == '\0' || cwd[n] == '/'))) {
		full = xasprintf("%s/%s", top, path);
		out = dipb_path_from(cwd, full);
		free(full);
	} else
		out = xasprintf("%s%s", r->workdir, path);
	free(top);
	free(cwd);
	return out;
}

/*
 * path as a command names it (dipb_repo_path_arg); *top set when it is
 * named from git's top, its top-relative part alone returned then.
 */
static char *
path_arg(int *top, const struct dipb_repo *r, const char *path)
{
	size_t n = strlen(r->workdir);
	char *here = dipb_repo_path_here(r, path), *arg;

	/*
	 * Named from outside the working tree (GIT_DIR and GIT_WORK_TREE),
	 * through a folder whose name a message cannot show: from the top
	 * git finds there, as dipb did, by the top-relative part alone.
	 */
	if (strncmp(path, r->workdir, n) == 0)
		path += n;
	*top = !dipb_text_shown_as_is(here) && path[0] != '/' &&
	    dipb_text_shown_as_is(path);
	arg = dipb_sh_quote(*top ? path : here);
	free(here);
	return arg;
}

char *
dipb_repo_path_arg(const struct dipb_repo *r, const char *path)
{
	int top;
	char *q = path_arg(&top, r, path), *arg;

	if (!top)
		return q;
	arg = xasprintf("\"$(git rev-parse --show-toplevel)\"/%s", q);
	free(q);
	return arg;
}

char *
dipb_repo_path_cmd(const struct dipb_repo *r, const char *before,
    const char *path, const char *after)
{
	int top;
	char *q = path_arg(&top, r, path), *cmd;

	cmd = top ? xasprintf("top=$(git rev-parse --show-toplevel) && "
	    "%s \"$top\"/%s%s", before, q, after) : xasprintf("%s %s%s",
	    before, q, after);
	free(q);
	return cmd;
}

const char *
dipb_repo_gitdir(const struct dipb_repo *r)
{
	return r->gitdir;
}

const char *
dipb_repo_branch(const struct dipb_repo *r)
{
	if (r->detached)
		return r->head_desc;
	return r->branch_ref + strlen("refs/heads/");
}

int
dipb_repo_is_detached(const struct dipb_repo *r)
{
	return r->detached;
}

int
dipb_repo_is_unborn(const struct dipb_repo *r)
{
	return r->unborn;
}

char *
dipb_repo_config_string(struct dipb_repo *r, const char *key)
{
	git_config *cfg = NULL;
	const char *v = NULL;
	char *s = NULL;

	if (git_repository_config_snapshot(&cfg, r->git) < 0) {
		git_error_clear();
		return NULL;
	}
	if (git_config_get_string(&v, cfg, key) == 0 && v[0] != '\0')
		s = xstrdup(v);
	git_error_clear();
	git_config_free(cfg);
	return s;
}


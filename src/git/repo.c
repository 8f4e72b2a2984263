/*
 * git/repo.c - the repository opened, initialised and closed; HEAD and
 * its branch; the working tree; the acting identity.
 */
#include <sys/stat.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"
#include "../board.h"
#include "../date.h"
#include "../error.h"
#include "../util.h"

/*
 * Reads HEAD: the branch it names and that branch's tip.  A detached HEAD
 * is refused; an unborn branch is fine.
 */
const struct dipb_error *
dipb_git_load_head(struct dipb_repo *r)
{
	const struct dipb_error *err = NULL;
	git_reference *head = NULL;
	git_commit *c = NULL;
	const char *target;
	char hex[GIT_OID_HEXSZ + 1];
	git_oid id;
	int rc;

	if (git_reference_lookup(&head, r->git, "HEAD") < 0)
		return dipb_error_from_git("cannot read HEAD");
	if (git_reference_type(head) != GIT_REFERENCE_SYMBOLIC) {
		err = dipb_error_fmt(DIPB_ERR_NO_REPO,
		    "HEAD is detached: check out a branch first");
		goto done;
	}
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
	rc = git_reference_name_to_id(&id, r->git, target);
	if (rc == GIT_ENOTFOUND) {
		git_error_clear();
		r->unborn = 1;
		memset(&r->tip, 0, sizeof(r->tip));
	} else if (rc < 0) {
		err = dipb_error_from_git("cannot read '%s'", target);
	} else if (r->unborn || !git_oid_equal(&id, &r->tip)) {
		if (git_commit_lookup(&c, r->git, &id) < 0) {
			err = dipb_error_fmt(DIPB_ERR_CORRUPT,
			    "branch tip is not a commit: '%s'",
			    git_oid_tostr(hex, sizeof(hex), &id));
			goto done;
		}
		git_oid_cpy(&r->root, git_commit_tree_id(c));
		git_commit_free(c);
		r->unborn = 0;
		git_oid_cpy(&r->tip, &id);
	}
done:
	git_reference_free(head);
	return err;
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

static const struct dipb_error *
open_git(struct dipb_repo **out, git_repository *git, const char *path,
    int need_board, int fsync_on, int from_env)
{
	const struct dipb_error *err = NULL;
	struct dipb_repo *r;
	const char *wd;

	r = xcalloc(1, sizeof(*r));
	r->git = git;
	r->lock_fd = -1;
	r->retries = DIPB_GIT_RETRIES;
	r->fsync = fsync_on;
	wd = git_repository_workdir(git);
	if (git_repository_is_bare(git) || wd == NULL) {
		err = dipb_error_fmt(DIPB_ERR_NO_REPO,
		    "not a board repository: '%s' is a bare repository",
		    path != NULL ? path : ".");
		goto done;
	}
	r->workdir = xstrdup(wd);
	r->gitdir = xstrdup(git_repository_path(git));
	if (git_repository_odb(&r->odb, git) < 0) {
		err = dipb_error_from_git("cannot open the object database");
		goto done;
	}
	/* GIT_OBJECT_DIRECTORY moves the objects: leave them to libgit2. */
	if (!from_env || getenv("GIT_OBJECT_DIRECTORY") == NULL)
		r->objdir = xasprintf("%sobjects/",
		    git_repository_commondir(git));
	/* As libgit2 opened it: GIT_INDEX_FILE counts only from the env. */
	if (from_env && getenv("GIT_INDEX_FILE") != NULL &&
	    getenv("GIT_INDEX_FILE")[0] != '\0')
		r->index_path = xstrdup(getenv("GIT_INDEX_FILE"));
	else
		r->index_path = xasprintf("%sindex", r->gitdir);
	if ((err = dipb_git_load_head(r)) != NULL)
		goto done;
	if (need_board && !has_board_file(r))
		err = dipb_error_fmt(DIPB_ERR_NO_REPO,
		    "not a board repository (no %s): '%s'", DIPB_BOARD_FILE,
		    r->workdir);
	if (err == NULL)
		dipb_git_recover_left(r);
done:
	if (err != NULL) {
		dipb_repo_close(r);	/* also shuts libgit2 down once */
		return err;
	}
	*out = r;
	return NULL;
}

const struct dipb_error *
dipb_repo_open(struct dipb_repo **out, const char *path, int need_board)
{
	const struct dipb_error *err;
	git_repository *git = NULL;
	int rc, fsync_on = 1;

	*out = NULL;
	if ((err = dipb_git_lib_init(&fsync_on)) != NULL)
		return err;
	/*
	 * Without a path, behave as git does (GIT_DIR, GIT_INDEX_FILE,
	 * GIT_CEILING_DIRECTORIES...); an explicit path is searched from.
	 */
	if (path == NULL)
		rc = git_repository_open_ext(&git, NULL,
		    GIT_REPOSITORY_OPEN_FROM_ENV, NULL);
	else
		rc = git_repository_open_ext(&git, path, 0, NULL);
	if (rc == GIT_ENOTFOUND) {
		git_error_clear();
		git_libgit2_shutdown();
		return dipb_error_fmt(DIPB_ERR_NO_REPO,
		    "not a git repository: '%s'", path != NULL ? path : ".");
	}
	if (rc < 0) {
		err = dipb_error_from_git("cannot open repository '%s'",
		    path != NULL ? path : ".");
		git_libgit2_shutdown();
		return err;
	}
	return open_git(out, git, path, need_board, fsync_on, path == NULL);
}

const struct dipb_error *
dipb_repo_init(struct dipb_repo **out, const char *dir)
{
	const struct dipb_error *err = NULL;
	git_repository_init_options opts;
	git_repository *git = NULL;
	git_oid id;
	int rc, fsync_on = 1, found = 0;

	*out = NULL;
	if ((err = dipb_git_lib_init(&fsync_on)) != NULL)
		return err;
	rc = git_repository_open_ext(&git, dir, GIT_REPOSITORY_OPEN_NO_SEARCH,
	    NULL);
	if (rc == GIT_ENOTFOUND) {
		git_error_clear();
		git_repository_init_options_init(&opts,
		    GIT_REPOSITORY_INIT_OPTIONS_VERSION);
		opts.flags = GIT_REPOSITORY_INIT_MKPATH;
		rc = git_repository_init_ext(&git, dir, &opts);
	}
	if (rc < 0) {
		err = dipb_error_from_git("cannot create repository '%s'",
		    dir);
		git_libgit2_shutdown();
		return err;
	}
	if ((err = open_git(out, git, dir, 0, fsync_on, 0)) != NULL)
		return err;
	err = dipb_git_tree_blob(&id, NULL, &found, *out, DIPB_BOARD_FILE);
	if (err == NULL && found)
		err = dipb_error_fmt(DIPB_ERR_EXISTS,
		    "already a board repository: '%s'", (*out)->workdir);
	if (err != NULL) {
		dipb_repo_close(*out);
		*out = NULL;
	}
	return err;
}

void
dipb_repo_close(struct dipb_repo *r)
{
	size_t i;

	if (r == NULL)
		return;
	dipb_repo_end(r);
	for (i = 0; i < DIPB_GIT_RAWTREES; i++)
		free(r->rt[i].data);
	git_odb_free(r->odb);
	git_repository_free(r->git);
	free(r->workdir);
	free(r->gitdir);
	free(r->index_path);
	free(r->objdir);
	free(r->branch_ref);
	dipb_strlist_release(&r->warnings);
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

const char *
dipb_repo_branch(const struct dipb_repo *r)
{
	return r->branch_ref + strlen("refs/heads/");
}

int
dipb_repo_is_unborn(const struct dipb_repo *r)
{
	return r->unborn;
}

/* The first non-empty of the environment variables, or NULL. */
static const char *
env_first(const char *a, const char *b)
{
	const char *v;

	if ((v = getenv(a)) != NULL && v[0] != '\0')
		return v;
	if (b != NULL && (v = getenv(b)) != NULL && v[0] != '\0')
		return v;
	return NULL;
}

static char *
config_string(git_config *cfg, const char *key)
{
	const char *v = NULL;

	if (cfg == NULL || git_config_get_string(&v, cfg, key) < 0) {
		git_error_clear();
		return NULL;
	}
	return v[0] != '\0' ? xstrdup(v) : NULL;
}

const struct dipb_error *
dipb_repo_identity(struct dipb_identity *out, struct dipb_repo *r)
{
	const struct dipb_error *err = NULL;
	git_config *cfg = NULL;
	const char *v, *var;
	struct tm lt;
	time_t now;

	memset(out, 0, sizeof(*out));
	if (git_repository_config_snapshot(&cfg, r->git) < 0) {
		git_error_clear();
		cfg = NULL;
	}
	if ((v = env_first("GIT_AUTHOR_NAME", "GIT_COMMITTER_NAME")) != NULL)
		out->name = xstrdup(v);
	else
		out->name = config_string(cfg, "user.name");
	if ((v = env_first("GIT_AUTHOR_EMAIL", "GIT_COMMITTER_EMAIL")) != NULL)
		out->email = xstrdup(v);
	else if ((out->email = config_string(cfg, "user.email")) == NULL &&
	    (v = env_first("EMAIL", NULL)) != NULL)
		out->email = xstrdup(v);
	git_config_free(cfg);
	if (out->email == NULL) {
		err = dipb_error_fmt(DIPB_ERR_IDENTITY, "no identity: set "
		    "user.email (git config user.email you@example.org) or "
		    "GIT_AUTHOR_EMAIL");
		goto done;
	}

	var = getenv("GIT_COMMITTER_DATE") != NULL &&
	    getenv("GIT_COMMITTER_DATE")[0] != '\0' ? "GIT_COMMITTER_DATE" :
	    "GIT_AUTHOR_DATE";
	if ((v = env_first(var, NULL)) != NULL) {
		if (dipb_date_parse_git(v, &out->time, &out->offset) < 0)
			err = dipb_error_fmt(DIPB_ERR_USAGE,
			    "invalid date in %s: '%s'", var, v);
		goto done;
	}
	now = time(NULL);
	out->time = (int64_t)now;
	out->offset = localtime_r(&now, &lt) != NULL ?
	    (int)(lt.tm_gmtoff / 60) : 0;
done:
	if (err != NULL)
		dipb_identity_release(out);
	return err;
}

void
dipb_identity_release(struct dipb_identity *id)
{
	if (id == NULL)
		return;
	free(id->name);
	free(id->email);
	id->name = id->email = NULL;
}

void
dipb_identity_date(const struct dipb_identity *id, char out[11])
{
	dipb_date_ymd(out, id->time, id->offset);
}

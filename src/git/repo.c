/*
 * git/repo.c - the repository opened, initialised and closed; HEAD and
 * its branch; the working tree; the acting identity.
 */
#include <sys/stat.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <git2/sys/repository.h>

#include "internal.h"
#include "../board.h"
#include "../date.h"
#include "../error.h"
#include "../text.h"
#include "../util.h"

/* Says which branch is read while an operation has HEAD detached. */
static void
warn_operation(struct dipb_repo *r, const char *what, const char *branch)
{
	char *msg = xasprintf("%s is in progress, HEAD detached: reading "
	    "%s as it was before it began", what, branch + 11);

	dipb_repo_warn(r, msg);
	free(msg);
}

/*
 * What git status calls a detached HEAD: "HEAD (detached at X)", X what
 * the newest entry of HEAD's reflog checked out ("checkout: moving from
 * A to X", refs/remotes/ and the like left out) when it is still HEAD's
 * commit, else HEAD's commit, 12 hex digits.  Caller frees.
 */
static char *
describe_detached(struct dipb_repo *r, const git_oid *head)
{
	static const char *const prefixes[] = { "refs/heads/",
	    "refs/remotes/", "refs/tags/", "refs/" };
	git_reflog *log = NULL;
	const git_reflog_entry *e;
	git_object *obj = NULL, *peeled = NULL;
	const char *msg, *to;
	char hex[GIT_OID_HEXSZ + 1], *name = NULL, *desc;
	git_oid given;
	size_t i;

	if (git_reflog_read(&log, r->git, "HEAD") == 0 &&
	    (e = git_reflog_entry_byindex(log, 0)) != NULL &&
	    (msg = git_reflog_entry_message(e)) != NULL &&
	    strncmp(msg, "checkout: moving from ", 22) == 0 &&
	    (to = strstr(msg + 22, " to ")) != NULL) {
		name = xstrdup(to + 4);
		name[strcspn(name, "\n")] = '\0';
		if (git_revparse_single(&obj, r->git, name) < 0 ||
		    git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) < 0 ||
		    !git_oid_equal(git_object_id(peeled), head) ||
		    git_oid_fromstrp(&given, name) == 0) {
			free(name);
			name = NULL;
		}
	}
	git_error_clear();
	git_object_free(peeled);
	git_object_free(obj);
	git_reflog_free(log);
	if (name == NULL) {
		git_oid_tostr(hex, sizeof(hex), head);
		hex[12] = '\0';
		return xasprintf("HEAD (detached at %s)", hex);
	}
	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (strncmp(name, prefixes[i], strlen(prefixes[i])) == 0) {
			desc = xasprintf("HEAD (detached at %s)",
			    name + strlen(prefixes[i]));
			free(name);
			return desc;
		}
	desc = xasprintf("HEAD (detached at %s)", name);
	free(name);
	return desc;
}

/*
 * 1 when object id is larger than any commit dipb reads, from its header:
 * libgit2 would read it whole (DIPB_GIT_MAX_COMMIT, internal.h).
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
 * with no committer): DIPB_ERR_CORRUPT naming it.  Else libgit2's reason,
 * DIPB_ERR_GIT: libgit2 says "object not found" of one it could not read
 * for want of memory, and a board's history is not called corrupt for a
 * failed read.
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
	err = dipb_error_from_git("cannot read %s's commit '%s'", what, hex);
	git_error_clear();
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

/*
 * The repository format of the config file of the repository libgit2
 * finds from where (the common git dir's, for a linked worktree), *file
 * (caller frees); fmt->read 0 when there is none to read.  The file is
 * read with the files it includes as libgit2 reads them, includeIf's
 * conditions of that repository too: opened bare, which libgit2 does
 * without a look at its format.  The error is the format's, as
 * dipb_git_format_read says it.
 */
static const struct dipb_error *
found_format(struct dipb_git_format *fmt, char **file, const char *where)
{
	struct dipb_buf b = DIPB_BUF_INIT;
	const struct dipb_error *err = NULL;
	git_repository *bare = NULL;
	git_config *cfg = NULL;
	git_buf dir = { 0 };
	char *common, *real;
	size_t n;

	*file = NULL;
	if (git_repository_discover(&dir, where, 1, NULL) < 0)
		goto done;
	*file = xasprintf("%scommondir", dir.ptr);
	if ((err = dipb_read_file(&b, *file, PATH_MAX)) != NULL) {
		dipb_error_free(err);
		err = NULL;
		common = xstrdup(dir.ptr);
	} else {
		for (n = b.len; n > 0 && (b.ptr[n - 1] == '\n' ||
		    b.ptr[n - 1] == '\r'); n--)
			;
		common = xasprintf("%s%.*s", b.ptr[0] == '/' ? "" : dir.ptr,
		    (int)n, b.ptr);
	}
	free(*file);
	if ((real = realpath(common, NULL)) != NULL)
		*file = xasprintf("%s/config", real);
	else
		*file = xasprintf("%s/config", common);
	free(real);
	free(common);
	if (git_repository_open_bare(&bare, dir.ptr) < 0)
		bare = NULL;
	if (git_config_new(&cfg) < 0 ||
	    git_config_add_file_ondisk(cfg, *file, GIT_CONFIG_LEVEL_LOCAL,
	    bare, 0) < 0) {
		free(*file);
		*file = NULL;
		goto done;
	}
	err = dipb_git_format_read(fmt, cfg, *file);
done:
	git_error_clear();
	git_config_free(cfg);
	git_repository_free(bare);
	git_buf_dispose(&dir);
	dipb_buf_release(&b);
	return err;
}

/*
 * libgit2 refused the repository at where over its format version: git
 * 2.39 reads it from the repository's config file alone, libgit2 1.5
 * from the files that one includes too.  The refusal in
 * dipb_git_format_check's words when git refuses too; else one that
 * says so (dipb-git(7), "Repository formats"); NULL when the file
 * cannot be read.
 */
static const struct dipb_error *
version_refused(const char *where, const char *libgit2)
{
	struct dipb_git_format fmt = DIPB_GIT_FORMAT_INIT;
	const struct dipb_error *err;
	char *file;

	err = found_format(&fmt, &file, where);
	if (err == NULL && fmt.read)
		err = dipb_git_format_check(&fmt, file);
	if (err == NULL && fmt.read)
		err = dipb_error_fmt(DIPB_ERR_NO_REPO, "unsupported "
		    "repository format: core.repositoryformatversion is set "
		    "in a file that '%s' includes, and libgit2 1.5, through "
		    "which dipb opens repositories, reads it there and refuses "
		    "'%s' (%s); git 2.39 reads the repository format from '%s' "
		    "alone and uses this repository; dipb changes nothing here",
		    file, where, libgit2, file);
	dipb_git_format_release(&fmt);
	free(file);
	return err;
}

/*
 * libgit2 refuses, as it opens it, a repository whose format it does not
 * know: its message becomes one in dipb_git_format_check's words.
 */
static const struct dipb_error *
open_failed(const char *where)
{
	static const char ext[] = "unsupported extension name ";
	static const char ver[] = "unsupported repository version ";
	static const char num[] = "failed to parse '";
	const struct dipb_error *err = NULL;
	const git_error *ge = git_error_last();
	char *m = ge != NULL && ge->message != NULL ? xstrdup(ge->message) :
	    NULL;

	if (m == NULL)
		return dipb_error_from_git("cannot open repository '%s'", where);
	/* The only number libgit2 reads as it opens one: the version. */
	if (strncmp(m, ver, sizeof(ver) - 1) == 0 ||
	    (strncmp(m, num, sizeof(num) - 1) == 0 &&
	    strstr(m, "integer") != NULL))
		err = version_refused(where, m);
	if (err != NULL)
		;
	else if (strncmp(m, ext, sizeof(ext) - 1) == 0)
		err = dipb_error_fmt(DIPB_ERR_NO_REPO, "unsupported "
		    "repository extension: %s in the configuration of '%s'; "
		    "dipb cannot tell what it changes, and changes nothing "
		    "here", m + sizeof(ext) - 1, where);
	else if (strncmp(m, ver, sizeof(ver) - 1) == 0)
		err = dipb_error_fmt(DIPB_ERR_NO_REPO, "unsupported "
		    "repository format: core.repositoryformatversion is %.*s "
		    "in the configuration of '%s'; dipb, like git 2.39, knows "
		    "versions 0 and 1 only and changes nothing here",
		    (int)strcspn(m + sizeof(ver) - 1, ";"),
		    m + sizeof(ver) - 1, where);
	else
		err = dipb_error_fmt(DIPB_ERR_GIT, "cannot open repository "
		    "'%s': %s", where, m);
	free(m);
	return err;
}

/*
 * git_repository_open_ext, with libgit2's search paths hidden (lib.c):
 * it reads no configuration there but the repository's own.  libgit2
 * checks the extensions in that configuration with the files it
 * includes, which git 2.39 does not read them from, and refuses a name
 * it does not know, one per open.  So at the first, every name the
 * config file and the files it includes set (found_format's
 * fmt->names) is let through at once; any other it still refuses, one
 * at a time: as many as there are.  setup_config checks the format as
 * git does (dipb_git_format_check).  *rc is libgit2's result, its error
 * libgit2's last.
 */
static const struct dipb_error *
open_ext(int *rc, git_repository **out, const char *path, unsigned flags,
    const char *ceiling)
{
	static const char ext[] = "unsupported extension name extensions.";
	const struct dipb_error *err, *err2;
	struct dipb_git_paths saved;
	struct dipb_git_format fmt = DIPB_GIT_FORMAT_INIT;
	struct dipb_strlist more = DIPB_STRLIST_INIT;
	const git_error *ge;
	char *file;
	size_t i;

	*out = NULL;
	if ((err = dipb_git_paths_hide(&saved)) != NULL)
		return err;
	for (;;) {
		*rc = git_repository_open_ext(out, path, flags, ceiling);
		if (*rc >= 0 || (ge = git_error_last()) == NULL ||
		    strncmp(ge->message, ext, sizeof(ext) - 1) != 0 ||
		    dipb_strlist_contains(&more, ge->message + sizeof(ext) - 1))
			break;
		dipb_strlist_push(&more, ge->message + sizeof(ext) - 1);
		if (!fmt.read) {
			/* setup_config says what git says of the format. */
			dipb_error_free(found_format(&fmt, &file, path));
			free(file);
			fmt.read = 1;
			for (i = 0; i < fmt.names.n; i++)
				dipb_strlist_push(&more, fmt.names.v[i]);
		}
		if ((err = dipb_git_lib_extensions(&more)) != NULL)
			break;
	}
	dipb_git_format_release(&fmt);
	if (more.n > 0 && (err2 = dipb_git_lib_extensions(NULL)) != NULL) {
		if (err == NULL)
			err = err2;
		else
			dipb_error_free(err2);
	}
	dipb_strlist_release(&more);
	if ((err2 = dipb_git_paths_restore(&saved)) != NULL) {
		if (err == NULL)
			err = err2;
		else
			dipb_error_free(err2);
	}
	if (err != NULL) {
		git_repository_free(*out);
		*out = NULL;
	}
	return err;
}

/*
 * NULL when dir holds no .git, which dipb init may then make; else the
 * refusal: a .git that git cannot open as a repository (its HEAD lost, a
 * link to a folder) libgit2 would fill in as one, and a refused init
 * then removes what it made (dipb_repo_unmake), the user's objects with
 * it.  dipb init makes no repository where one was, broken or not.
 */
static const struct dipb_error *
no_git_there(const char *dir)
{
	const struct dipb_error *err = NULL;
	struct stat st;
	char *git = xasprintf("%s/.git", dir);

	if (lstat(git, &st) == 0)
		err = dipb_error_fmt(DIPB_ERR_GIT, "'%s' is there, and is no "
		    "repository git can open: dipb init changes nothing there "
		    "(repair it with git, or move it away)", git);
	else if (errno != ENOENT && errno != ENOTDIR)
		err = dipb_error_fmt(DIPB_ERR_GIT, "cannot read '%s': %s",
		    git, strerror(errno));
	free(git);
	return err;
}

/*
 * The template folder git init copies into a new repository at dir
 * (git-init(1), "TEMPLATE DIRECTORY"), as git 2.39 finds it:
 * GIT_TEMPLATE_DIR, else init.templateDir of cfg, else libgit2's default,
 * /usr/share/git-core/templates, git's too.  A relative one is taken from
 * dir, where git init DIR looks for it.  *out "" when nothing is to be
 * copied: an empty setting, as for git.  Caller frees.
 */
static const struct dipb_error *
template_dir(char **out, git_config *cfg, const char *dir)
{
	const struct dipb_error *err;
	const char *v = getenv("GIT_TEMPLATE_DIR");
	git_buf def = { 0 };
	char *t = NULL, *abs;

	*out = NULL;
	if (v != NULL)
		t = xstrdup(v);
	else if ((err = dipb_git_config_path(&t, cfg, "init.templatedir")) !=
	    NULL)
		return err;
	if (t == NULL) {
		if (git_libgit2_opts(GIT_OPT_GET_TEMPLATE_PATH, &def) < 0)
			return dipb_error_from_git("cannot read libgit2's "
			    "template folder");
		t = xstrdup(def.ptr != NULL ? def.ptr : "");
		git_buf_dispose(&def);
	}
	if (t[0] != '\0' && t[0] != '/') {
		abs = xasprintf("%s/%s", dir, t);
		free(t);
		t = abs;
	}
	*out = t;
	return NULL;
}

/*
 * The branch a template's HEAD (path) names, into *branch (NULL when the
 * template has no HEAD): git init copies that file and keeps it.  One
 * that names no branch (a commit, a name git refuses) would make a
 * repository without one, and dipb makes none.
 */
static const struct dipb_error *
template_head(char **branch, const char *path)
{
	const struct dipb_error *err;
	struct dipb_buf b = DIPB_BUF_INIT;
	char *ref;
	size_t n, i;
	int valid = 0;

	*branch = NULL;
	if (access(path, F_OK) == -1)
		return NULL;
	if ((err = dipb_read_file(&b, path, 4096)) != NULL) {
		dipb_buf_release(&b);
		return err;
	}
	/* As git reads a symbolic ref: "ref:", blanks, the name. */
	n = b.len;
	while (n > 0 && isspace((unsigned char)b.ptr[n - 1]))
		n--;
	for (i = 4; n > 4 && i < n && isspace((unsigned char)b.ptr[i]); i++)
		;
	ref = n > 4 && strncmp(b.ptr, "ref:", 4) == 0 &&
	    strncmp(b.ptr + i, "refs/heads/", 11) == 0 ?
	    xstrndup(b.ptr + i, n - i) : NULL;
	if (ref != NULL && strlen(ref) == n - i &&
	    git_reference_name_is_valid(&valid, ref) == 0 && valid)
		*branch = xstrdup(ref + 11);
	git_error_clear();
	free(ref);
	dipb_buf_release(&b);
	if (*branch == NULL)
		return dipb_error_fmt(DIPB_ERR_GIT, "the template's '%s' names "
		    "no branch, and git init would copy it as it is: dipb "
		    "init makes nothing (make the repository with git init, "
		    "then run dipb init in it)", path);
	return NULL;
}

/*
 * What of the template git init copies (template_dir): *tpl the folder,
 * "" for none; a folder that is not there, or whose config holds a
 * repository format git refuses, is none, with git's warning in *warning.
 * The template's config, copied into the new repository, is added to
 * cfg as its repository's level: its init.defaultBranch wins over the
 * global one, as for git.  *head: the branch the template's HEAD names.
 */
static const struct dipb_error *
template_read(char **tpl, char **head, char **warning, git_config **cfg,
    const char *dir)
{
	const struct dipb_error *err, *bad;
	struct dipb_git_format fmt = DIPB_GIT_FORMAT_INIT;
	struct stat st;
	char *file = NULL;

	*head = *warning = NULL;
	if ((err = template_dir(tpl, *cfg, dir)) != NULL || (*tpl)[0] == '\0')
		return err;
	if (stat(*tpl, &st) == -1 || !S_ISDIR(st.st_mode)) {
		*warning = xasprintf("templates not found in %s", *tpl);
		(*tpl)[0] = '\0';
		return NULL;
	}
	file = xasprintf("%s/config", *tpl);
	if (access(file, F_OK) == 0) {
		git_error_clear();
		if (git_config_add_file_ondisk(*cfg, file,
		    (git_config_level_t)DIPB_GIT_CONFIG_LOCAL, NULL, 0) < 0) {
			err = dipb_error_from_git("cannot read the template's "
			    "configuration '%s'", file);
			goto done;
		}
		/* git checks the template's format (none when it names no
		 * version: unset, -1). */
		if ((err = dipb_git_format_read(&fmt, *cfg, file)) != NULL)
			goto done;
		if ((bad = dipb_git_format_check(&fmt, file)) != NULL) {
			*warning = xasprintf("not copying templates from '%s': "
			    "%s", *tpl, bad->msg);
			dipb_error_free(bad);
			(*tpl)[0] = '\0';
			git_config_free(*cfg);
			*cfg = NULL;
			err = dipb_git_config_open(cfg, NULL, NULL);
			goto done;
		}
	}
	free(file);
	file = xasprintf("%s/HEAD", *tpl);
	err = template_head(head, file);
done:
	dipb_git_format_release(&fmt);
	free(file);
	return err;
}

/*
 * git init's repository at dir, made by libgit2 with its search paths
 * hidden as for open_ext: the template copied as git copies it
 * (template_read; dipb-git(7)), HEAD the branch the template's HEAD
 * names, else init.defaultBranch of the configuration git reads
 * (config.c) and the template's config, else master, git 2.39's default;
 * a name git refuses is refused in its words, and nothing is made.
 * *warning: what git would warn of (templates not copied), or NULL;
 * caller frees.  *rc is libgit2's result, its error libgit2's last.
 */
static const struct dipb_error *
init_ext(int *rc, git_repository **out, char **warning, const char *dir)
{
	const struct dipb_error *err;
	git_repository_init_options opts;
	struct dipb_git_paths saved;
	git_config *cfg = NULL;
	git_buf branch = { 0 };
	char *ref, *tpl = NULL, *head = NULL;
	int set, valid = 0;

	*out = NULL;
	*warning = NULL;
	if ((err = dipb_git_config_open(&cfg, NULL, NULL)) != NULL)
		return err;
	if ((err = template_read(&tpl, &head, warning, &cfg, dir)) != NULL) {
		git_config_free(cfg);
		free(tpl);
		free(*warning);
		*warning = NULL;
		return err;
	}
	if (head != NULL) {
		set = 1;
		git_buf_set(&branch, head, strlen(head));
	} else
		set = git_config_get_string_buf(&branch, cfg,
		    "init.defaultbranch") == 0;
	free(head);
	git_error_clear();
	git_config_free(cfg);
	/*
	 * git 2.39 checks refs/heads/<name> as a ref's name, no more: a
	 * branch named "-foo" or "HEAD", which git branch refuses, it makes.
	 */
	ref = set ? xasprintf("refs/heads/%s", branch.ptr) : NULL;
	if (set && (git_reference_name_is_valid(&valid, ref) < 0 || !valid)) {
		free(ref);
		git_error_clear();
		err = dipb_error_fmt(DIPB_ERR_GIT, "invalid branch name: "
		    "init.defaultBranch = %s", branch.ptr);
		git_buf_dispose(&branch);
		goto fail;
	}
	free(ref);
	if ((err = dipb_git_paths_hide(&saved)) != NULL) {
		git_buf_dispose(&branch);
		goto fail;
	}
	git_repository_init_options_init(&opts,
	    GIT_REPOSITORY_INIT_OPTIONS_VERSION);
	/* "": libgit2 copies nothing, and writes none of its own files. */
	opts.flags = GIT_REPOSITORY_INIT_MKPATH |
	    GIT_REPOSITORY_INIT_EXTERNAL_TEMPLATE;
	opts.template_path = tpl;
	opts.initial_head = set ? branch.ptr : "master";
	*rc = git_repository_init_ext(out, dir, &opts);
	git_buf_dispose(&branch);
	free(tpl);
	if ((err = dipb_git_paths_restore(&saved)) != NULL) {
		git_repository_free(*out);
		*out = NULL;
		free(*warning);
		*warning = NULL;
	}
	return err;
fail:
	free(tpl);
	free(*warning);
	*warning = NULL;
	return err;
}

/*
 * How the repository was found: from the environment as git finds it
 * (path NULL), GIT_DIR naming the git dir, and where the search started.
 */
struct found {
	int		 from_env;
	int		 explicit_dir;
	const char	*start;		/* path, or "." */
	int		 none;		/* no repository there at all */
	int		 bare_refused;	/* a bare git dir the search found,
					   refused before it was read */
};

static const struct dipb_error *find_checked(int *, git_repository **,
    struct found *, unsigned, const char *);

/* The environment variable name when set and not empty, else NULL. */
static const char *
env_get(const char *name)
{
	const char *v = getenv(name);

	return v != NULL && v[0] != '\0' ? v : NULL;
}

/* The current directory, as getcwd gives it (symbolic links resolved). */
static const struct dipb_error *
current_dir(char **out)
{
	char *buf = NULL;
	size_t n = 256;

	for (;;) {
		buf = xrealloc(buf, n);
		if (getcwd(buf, n) != NULL)
			break;
		if (errno != ERANGE) {
			free(buf);
			return dipb_error_from_errno("cannot read the current "
			    "directory");
		}
		n *= 2;
	}
	*out = buf;
	return NULL;
}

/*
 * The folder a search started from, for a message: "." named as the
 * current directory, which 'dipb -C DIR' moved to (DIR, not '.', is
 * what the user gave).  Caller frees.
 */
static char *
start_named(const char *start)
{
	const struct dipb_error *err;
	char *cwd;

	if (strcmp(start, ".") != 0)
		return xstrdup(start);
	if ((err = current_dir(&cwd)) != NULL) {
		dipb_error_free(err);
		return xstrdup(start);
	}
	return cwd;
}

/*
 * The path an environment variable names, made absolute as git reads it:
 * git moves to the top of the working tree when it starts inside it, so
 * a relative path counts from there; from elsewhere, from the current
 * directory.  workdir ends in '/'.  Caller frees.
 */
static const struct dipb_error *
env_path(char **out, const char *p, const char *workdir)
{
	const struct dipb_error *err;
	size_t n = strlen(workdir);
	char *cwd;

	if (p[0] == '/') {
		*out = xstrdup(p);
		return NULL;
	}
	if ((err = current_dir(&cwd)) != NULL)
		return err;
	if (strncmp(cwd, workdir, n - 1) == 0 &&
	    (cwd[n - 1] == '\0' || cwd[n - 1] == '/'))
		*out = xasprintf("%s%s", workdir, p);
	else
		*out = xasprintf("%s/%s", cwd, p);
	free(cwd);
	return NULL;
}

/*
 * Opens the repository as git finds it.  With path NULL: GIT_DIR (the
 * git dir itself, or a .git file; relative to the current directory) or
 * else a search upwards from the current directory that stops at
 * GIT_CEILING_DIRECTORIES and, unless GIT_DISCOVERY_ACROSS_FILESYSTEM,
 * at a file system boundary.  With a path, the search starts there and
 * those variables are not read.  GIT_COMMON_DIR, which libgit2 cannot
 * follow, is refused.
 */
static const struct dipb_error *
find_repo(git_repository **out, struct found *how, const char *path)
{
	const struct dipb_error *err;
	const char *gitdir = NULL, *ceiling = NULL, *v;
	char *name;
	unsigned flags = 0;
	int across = 0, rc;

	*out = NULL;
	memset(how, 0, sizeof(*how));
	how->start = path != NULL ? path : ".";
	if (path == NULL) {
		how->from_env = 1;
		if ((v = env_get("GIT_COMMON_DIR")) != NULL)
			return dipb_error_fmt(DIPB_ERR_NO_REPO, "GIT_COMMON_DIR "
			    "is set ('%s'): dipb cannot follow it; unset it, "
			    "and use a linked worktree (git worktree add) "
			    "instead", v);
		if ((gitdir = env_get("GIT_DIR")) != NULL) {
			how->explicit_dir = 1;
			how->start = gitdir;
			flags = GIT_REPOSITORY_OPEN_NO_SEARCH |
			    GIT_REPOSITORY_OPEN_NO_DOTGIT;
		} else {
			ceiling = getenv("GIT_CEILING_DIRECTORIES");
			if ((v = getenv("GIT_DISCOVERY_ACROSS_FILESYSTEM")) !=
			    NULL && git_config_parse_bool(&across, v) < 0) {
				git_error_clear();
				return dipb_error_fmt(DIPB_ERR_USAGE, "bad boolean "
				    "environment value '%s' for "
				    "'GIT_DISCOVERY_ACROSS_FILESYSTEM'", v);
			}
			if (across)
				flags |= GIT_REPOSITORY_OPEN_CROSS_FS;
		}
	}
	if ((err = how->explicit_dir ?
	    open_ext(&rc, out, how->start, flags, ceiling) :
	    find_checked(&rc, out, how, flags, ceiling)) != NULL)
		return err;
	if (rc == GIT_ENOTFOUND) {
		git_error_clear();
		how->none = 1;
		if (how->explicit_dir)
			return dipb_error_fmt(DIPB_ERR_NO_REPO, "not a git "
			    "repository: '%s' (GIT_DIR)", gitdir);
		name = start_named(how->start);
		err = dipb_error_fmt(DIPB_ERR_NO_REPO,
		    "not a git repository: '%s'", name);
		free(name);
		return err;
	}
	if (rc < 0)
		return open_failed(how->start);
	return NULL;
}

/* ---- who owns it: safe.directory ---------------------------------- */

/* 1 when path is owned by the user, as git 2.39 decides (SUDO_UID too). */
static int
owned_by_me(const char *path)
{
	struct stat st;
	uid_t euid = geteuid();
	const char *sudo;
	char *end;
	unsigned long id;

	if (lstat(path, &st) == -1)
		return 0;
	if (euid == 0) {
		if (st.st_uid == 0)
			return 1;
		if ((sudo = getenv("SUDO_UID")) != NULL && *sudo != '\0') {
			errno = 0;
			id = strtoul(sudo, &end, 10);
			if (*end == '\0' && errno == 0 && id == (uid_t)id)
				euid = (uid_t)id;
		}
	}
	return st.st_uid == euid;
}

/*
 * Where libgit2's search (find_repo's order, which is git's: D/.git, then
 * D itself, from start upwards; with NO_SEARCH, start alone) finds the
 * repository, in the terms of git 2.39's setup.c: the folder top holding
 * .git, that .git when it is a file, and the git dir; or, when the
 * folder itself is the git dir (a bare repository, or a .git folder the
 * search started inside), top NULL.  found is the git dir as libgit2
 * names it, which the open must give again (open_place).  Found with
 * git_repository_discover, which reads no configuration, and stat(2):
 * nothing of the repository's is read.
 */
struct place {
	char	*top;
	char	*gitfile;
	char	*gitdir;
	char	*found;
};

static void
place_release(struct place *pl)
{
	free(pl->top);
	free(pl->gitfile);
	free(pl->gitdir);
	free(pl->found);
	memset(pl, 0, sizeof(*pl));
}

/*
 * The place, from the folder d (start, its links resolved) upwards to
 * the git dir g that libgit2 found: the first .git on the way that is g
 * or a file (libgit2 goes no further than a .git file), or g itself.
 * 0 when found; else -1, and with NO_SEARCH nothing is looked at above
 * d.  One stat(2) a folder; a .git it fails on (a link loop, a folder
 * that may not be read) is none, as git's search takes it.  (A 64-bit
 * inode number or size is no failure: Makefile, 64-bit stat(2).)
 */
static int
walk_up(struct place *pl, char *d, const char *g, unsigned flags)
{
	struct stat st;
	char *p, *slash;
	int is;

	for (;;) {
		p = xasprintf("%s/.git", strcmp(d, "/") == 0 ? "" : d);
		is = stat(p, &st) == 0 ? (int)(st.st_mode & S_IFMT) : 0;
		if (is == S_IFDIR && strcmp(p, g) == 0) {
			pl->top = d;
			pl->gitdir = p;
			return 0;
		}
		if (is == S_IFREG) {
			pl->top = d;
			pl->gitfile = p;
			if ((pl->gitdir = realpath(g, NULL)) == NULL)
				pl->gitdir = xstrdup(g);
			return 0;
		}
		free(p);
		if (strcmp(d, g) == 0) {
			pl->gitdir = d;
			return 0;
		}
		if ((flags & GIT_REPOSITORY_OPEN_NO_SEARCH) ||
		    (slash = strrchr(d, '/')) == NULL || strcmp(d, "/") == 0) {
			free(d);
			return -1;
		}
		slash[slash == d ? 1 : 0] = '\0';
	}
}

/*
 * The one search for the repository from start: libgit2's, as
 * git_repository_open_ext would make it with these flags and ceiling;
 * with NO_SEARCH, libgit2's look at start alone (an open_ext that opens
 * nothing) first.  0 when found (*pl filled in), else libgit2's error.
 */
static int
locate(struct place *pl, const char *start, unsigned flags,
    const char *ceiling)
{
	git_buf found = { 0 };
	char *d, *g;
	size_t n;
	int rc;

	memset(pl, 0, sizeof(*pl));
	if ((flags & GIT_REPOSITORY_OPEN_NO_SEARCH) &&
	    (rc = git_repository_open_ext(NULL, start,
	    GIT_REPOSITORY_OPEN_NO_SEARCH, NULL)) < 0)
		return rc;
	if ((rc = git_repository_discover(&found, start,
	    (flags & GIT_REPOSITORY_OPEN_CROSS_FS) != 0,
	    (flags & GIT_REPOSITORY_OPEN_NO_SEARCH) ? NULL : ceiling)) < 0)
		return rc;
	pl->found = xstrdup(found.ptr);
	git_buf_dispose(&found);
	g = xstrdup(pl->found);
	if ((n = strlen(g)) > 1 && g[n - 1] == '/')
		g[n - 1] = '\0';
	if ((d = realpath(start, NULL)) == NULL) {
		git_error_set_str(GIT_ERROR_OS, strerror(errno));
		rc = -1;
	} else if (walk_up(pl, d, g, flags) == 0)
		;
	else if (!(flags & GIT_REPOSITORY_OPEN_NO_SEARCH)) {
		/* Found where the walk cannot say: its git dir is checked. */
		pl->gitdir = g;
		g = NULL;
	} else {
		git_error_set_str(GIT_ERROR_REPOSITORY, "the repository "
		    "moved while it was looked for");
		rc = -1;
	}
	free(g);
	if (rc < 0)
		place_release(pl);
	return rc;
}

/*
 * git 2.39 refuses a repository it found by searching (not one GIT_DIR
 * names) when its working tree, its .git file or its git dir belongs to
 * another user, unless safe.directory trusts it (the working tree, or
 * the git dir when the search found that itself); and, under
 * safe.bareRepository=explicit, a git dir the search found itself,
 * before its owner is looked at.  The same here, in git's words, and
 * before libgit2 opens the repository and reads its configuration and
 * the files that includes (include.path), as git checks it: config.c
 * reads both settings without the repository.  libgit2's own check is
 * off (lib.c): it read another configuration.
 */
static const struct dipb_error *
trust(struct found *how, const struct place *pl)
{
	const struct dipb_error *err = NULL;
	const char *id;
	int explicit_only = 0, safe = 0;

	id = pl->top != NULL ? pl->top : pl->gitdir;
	/*
	 * Only git's two refusals of a bare git dir are bare_refused; an
	 * error of the settings themselves (a value git dies of, a file
	 * that cannot be read) stays the caller's error.
	 */
	if (pl->top == NULL &&
	    (err = dipb_git_config_bare_explicit(&explicit_only)) == NULL &&
	    explicit_only) {
		err = dipb_error_fmt(DIPB_ERR_NO_REPO, "cannot use bare "
		    "repository '%s' (safe.bareRepository is 'explicit')",
		    pl->gitdir);
		how->bare_refused = 1;
	}
	if (err == NULL && !((pl->gitfile == NULL ||
	    owned_by_me(pl->gitfile)) &&
	    (pl->top == NULL || owned_by_me(pl->top)) &&
	    owned_by_me(pl->gitdir)) &&
	    (err = dipb_git_config_safe_directory(&safe, id)) == NULL && !safe) {
		err = dipb_error_fmt(DIPB_ERR_NO_REPO, "detected dubious "
		    "ownership in repository at '%s'\n"
		    "To add an exception for this directory, call:\n"
		    "\n"
		    "\tgit config --global --add safe.directory %s", id, id);
		how->bare_refused = pl->top == NULL;
	}
	return err;
}

/*
 * Opens the repository at the place locate found and trust checked,
 * without a search: from its top, libgit2 reads top/.git as its search
 * did (a folder, a link to one, a .git file and the git dir it names:
 * the working tree is top); else the git dir itself.  The git dir
 * opened must be the one found: a folder changed in between is
 * refused, never used unchecked (libgit2 has read its configuration
 * by then, in a folder trust found the user's).  *rc is libgit2's
 * result.
 */
static const struct dipb_error *
open_place(int *rc, git_repository **out, const struct place *pl)
{
	const struct dipb_error *err;

	if ((err = open_ext(rc, out, pl->top != NULL ? pl->top : pl->gitdir,
	    GIT_REPOSITORY_OPEN_NO_SEARCH | (pl->top != NULL ? 0 :
	    GIT_REPOSITORY_OPEN_NO_DOTGIT), NULL)) != NULL || *rc < 0 ||
	    strcmp(git_repository_path(*out), pl->found) == 0)
		return err;
	git_repository_free(*out);
	*out = NULL;
	return dipb_error_fmt(DIPB_ERR_NO_REPO, "the repository at '%s' "
	    "changed while dipb opened it: nothing of it was used; run "
	    "the command again", pl->top != NULL ? pl->top : pl->gitdir);
}

/*
 * The repository found from how->start as find_repo says, checked
 * (trust) and opened there (open_place): one search.  *rc is libgit2's
 * result, GIT_ENOTFOUND when there is none, its error libgit2's last.
 */
static const struct dipb_error *
find_checked(int *rc, git_repository **out, struct found *how,
    unsigned flags, const char *ceiling)
{
	const struct dipb_error *err;
	struct place pl;

	*out = NULL;
	if ((*rc = locate(&pl, how->start, flags, ceiling)) < 0)
		return NULL;
	if ((err = trust(how, &pl)) == NULL)
		err = open_place(rc, out, &pl);
	place_release(&pl);
	return err;
}

/* ---- the working tree, the objects, the index ---------------------- */

/* dir, which must exist, as an absolute path without links; for *out. */
static const struct dipb_error *
real_dir(char **out, const char *dir, const char *what)
{
	struct stat st;

	if ((*out = realpath(dir, NULL)) == NULL)
		return dipb_error_from_errno("cannot use the working tree "
		    "'%s' (%s)", dir, what);
	if (stat(*out, &st) == -1 || !S_ISDIR(st.st_mode)) {
		free(*out);
		*out = NULL;
		return dipb_error_fmt(DIPB_ERR_NO_REPO, "cannot use the "
		    "working tree '%s' (%s): not a directory", dir, what);
	}
	return NULL;
}

/*
 * The working tree as git 2.39 decides it (git(1) GIT_WORK_TREE,
 * git-config(1) core.worktree): GIT_WORK_TREE, relative to the current
 * directory; else, when GIT_DIR named the git dir, none if core.bare,
 * else core.worktree (relative to the git dir; a linked worktree's
 * common config does not count), else the current directory; else what
 * the search found (core.worktree, a linked worktree's folder, the
 * parent of .git).  *out NULL: a bare repository.
 */
static const struct dipb_error *
find_workdir(char **out, git_repository *git, git_config *cfg,
    const struct found *how)
{
	const struct dipb_error *err = NULL;
	git_config *snap = NULL;
	git_buf b = { 0 };
	const char *v, *wd;
	char *rel;
	int bare = 0;

	*out = NULL;
	if (how->from_env && (v = env_get("GIT_WORK_TREE")) != NULL)
		return real_dir(out, v, "GIT_WORK_TREE");
	if (!how->explicit_dir) {
		wd = git_repository_workdir(git);
		if (wd != NULL && !git_repository_is_bare(git))
			*out = xstrdup(wd);
		return NULL;
	}
	if (!git_repository_is_worktree(git) &&
	    git_config_open_level(&snap, cfg,
	    (git_config_level_t)DIPB_GIT_CONFIG_LOCAL) == 0) {
		if ((err = dipb_git_config_bool(&bare, snap, git,
		    "core.bare", 0)) != NULL) {
			git_config_free(snap);
			return err;
		}
		if (!bare && git_config_get_path(&b, snap, "core.worktree") ==
		    0) {
			rel = b.ptr[0] == '/' ? xstrdup(b.ptr) : xasprintf("%s%s",
			    git_repository_path(git), b.ptr);
			err = real_dir(out, rel, "core.worktree");
			free(rel);
			git_buf_dispose(&b);
			git_config_free(snap);
			git_error_clear();
			return err;
		}
	}
	git_config_free(snap);
	git_error_clear();
	if (bare)
		return NULL;
	return current_dir(out);
}

/*
 * The checks git makes before it uses a repository, after who owns it
 * (trust, before the open): the configuration git would read (config.c),
 * given to libgit2 so that its readers see it too, and the repository
 * format (into *fmt) and extensions in it.
 */
static const struct dipb_error *
setup_config(git_config **out, struct dipb_git_format *fmt,
    git_repository *git)
{
	const struct dipb_error *err;
	git_config *cfg = NULL;
	char *file;

	*out = NULL;
	if ((err = dipb_git_config_open(&cfg, git, fmt)) != NULL)
		return err;
	if (git_repository_set_config(git, cfg) < 0) {
		err = dipb_error_from_git("cannot set the configuration");
		goto done;
	}
	file = xasprintf("%sconfig", git_repository_commondir(git));
	err = dipb_git_format_check(fmt, file);
	free(file);
done:
	if (err != NULL)
		git_config_free(cfg);
	else
		*out = cfg;
	return err;
}

/*
 * GIT_OBJECT_DIRECTORY, GIT_ALTERNATE_OBJECT_DIRECTORIES and
 * GIT_INDEX_FILE, as git reads them (env_path);
 * GIT_NAMESPACE is for git's transports, not for commits, and is not
 * read.  dipb then writes its objects through libgit2 (r->objdir NULL).
 */
static const struct dipb_error *
apply_env(struct dipb_repo *r)
{
	const struct dipb_error *err = NULL;
	git_odb *odb = NULL;
	git_index *idx = NULL;
	const char *v;
	char *alts = NULL, *p, *next, *path = NULL;

	if ((v = env_get("GIT_OBJECT_DIRECTORY")) != NULL) {
		if ((err = env_path(&path, v, r->workdir)) != NULL)
			goto done;
		if (git_odb_open(&odb, path) < 0 ||
		    git_repository_set_odb(r->git, odb) < 0) {
			err = dipb_error_from_git("cannot open the objects of "
			    "GIT_OBJECT_DIRECTORY '%s'", v);
			goto done;
		}
		git_odb_free(odb);
		odb = NULL;
	}
	if ((v = env_get("GIT_ALTERNATE_OBJECT_DIRECTORIES")) != NULL) {
		if (git_repository_odb(&odb, r->git) < 0) {
			err = dipb_error_from_git("cannot open the object "
			    "database");
			goto done;
		}
		alts = xstrdup(v);
		for (p = alts; p != NULL && err == NULL; p = next) {
			if ((next = strchr(p, ':')) != NULL)
				*next++ = '\0';
			if (*p == '\0')
				continue;
			free(path);
			path = NULL;
			if ((err = env_path(&path, p, r->workdir)) == NULL &&
			    git_odb_add_disk_alternate(odb, path) < 0)
				err = dipb_error_from_git("cannot add the "
				    "alternate '%s' of "
				    "GIT_ALTERNATE_OBJECT_DIRECTORIES", p);
		}
		if (err != NULL)
			goto done;
	}
	if ((v = env_get("GIT_INDEX_FILE")) != NULL) {
		if ((err = env_path(&r->index_path, v, r->workdir)) != NULL)
			goto done;
		/* A split or sparse one is left unopened: dipb reads its
		 * names, and refuses any other use of it. */
		if (git_index_open(&idx, r->index_path) < 0 &&
		    dipb_git_index_libgit2_cannot(r))
			git_error_clear();
		else if (idx == NULL ||
		    git_repository_set_index(r->git, idx) < 0)
			err = dipb_error_from_git("cannot open the index "
			    "'%s' (GIT_INDEX_FILE)", v);
	}
done:
	free(alts);
	free(path);
	git_index_free(idx);
	git_odb_free(odb);
	return err;
}

/*
 * The lines of the objects/info/alternates file of the object folder dir
 * (ending in '/'), each as git resolves it, a relative one from dir; with
 * relative_only, those alone.
 */
static void
alternates_of(struct dipb_strlist *out, const char *dir, int relative_only)
{
	struct dipb_buf b = DIPB_BUF_INIT;
	const struct dipb_error *err;
	char *file = xasprintf("%sinfo/alternates", dir), *line, *nl;

	if ((err = dipb_read_file(&b, file, 1 << 20)) != NULL) {
		dipb_error_free(err);
		goto done;
	}
	for (line = b.ptr; line != NULL && *line != '\0'; line = nl) {
		if ((nl = strchr(line, '\n')) != NULL)
			*nl++ = '\0';
		if (*line == '\0' || *line == '#')
			continue;
		if (*line == '/' && !relative_only)
			dipb_strlist_push(out, line);
		else if (*line != '/') {
			char *p = xasprintf("%s%s", dir, line);

			dipb_strlist_push(out, p);
			free(p);
		}
	}
done:
	dipb_buf_release(&b);
	free(file);
}

char *
dipb_git_alternate_gone(size_t *n, struct dipb_repo *r)
{
	struct dipb_strlist l = DIPB_STRLIST_INIT;
	struct stat st;
	char *gone = NULL;
	size_t i;

	if (r->objdir != NULL)
		alternates_of(&l, r->objdir, 0);
	*n = l.n;
	for (i = 0; i < l.n && gone == NULL; i++)
		if (stat(l.v[i], &st) != 0 || !S_ISDIR(st.st_mode))
			gone = xstrdup(l.v[i]);
	dipb_strlist_release(&l);
	return gone;
}

/*
 * libgit2 1.5 takes a relative line of an alternate's own alternates
 * file from the current folder, where git takes it from that
 * alternate's object folder (gitrepository-layout(5)): in a clone
 * --shared of a clone --shared whose line is relative, the objects git
 * reads were missing.  Each such line is added again here, resolved as
 * git resolves it (libgit2 resolves those below it itself).
 */
static const struct dipb_error *
nested_alternates(struct dipb_repo *r)
{
	const struct dipb_error *err = NULL;
	struct dipb_strlist first = DIPB_STRLIST_INIT;
	struct dipb_strlist second = DIPB_STRLIST_INIT;
	struct stat st;
	char *dir;
	size_t i, j;

	alternates_of(&first, r->objdir, 0);
	for (i = 0; i < first.n && err == NULL; i++) {
		dir = xasprintf("%s/", first.v[i]);
		dipb_strlist_release(&second);
		dipb_strlist_init(&second);
		alternates_of(&second, dir, 1);
		for (j = 0; j < second.n && err == NULL; j++)
			if (stat(second.v[j], &st) == 0 &&
			    S_ISDIR(st.st_mode) &&
			    git_odb_add_disk_alternate(r->odb, second.v[j]) < 0)
				err = dipb_error_from_git("cannot add the "
				    "alternate '%s'", second.v[j]);
		free(dir);
	}
	dipb_strlist_release(&first);
	dipb_strlist_release(&second);
	return err;
}

static const struct dipb_error *
open_git(struct dipb_repo **out, git_repository *git,
    const struct found *how, int need_board, int fsync_on)
{
	const struct dipb_error *err = NULL;
	struct dipb_repo *r;
	git_config *cfg = NULL;
	const char *wd;
	char *want = NULL, *name;

	r = xcalloc(1, sizeof(*r));
	r->git = git;
	r->lock_fd = -1;
	r->ilock = (struct dipb_git_lockfile)DIPB_GIT_LOCKFILE_INIT;
	r->retries = DIPB_GIT_RETRIES;
	r->fsync = fsync_on;
	r->format = (struct dipb_git_format)DIPB_GIT_FORMAT_INIT;
	if ((err = setup_config(&cfg, &r->format, git)) != NULL)
		goto done;
	if ((err = find_workdir(&want, git, cfg, how)) != NULL)
		goto done;
	if (want == NULL) {
		name = start_named(how->start);
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
	if (how->from_env && (err = apply_env(r)) != NULL)
		goto done;
	if (git_repository_odb(&r->odb, git) < 0) {
		err = dipb_error_from_git("cannot open the object database");
		goto done;
	}
	/* GIT_OBJECT_DIRECTORY moves the objects: leave them to libgit2. */
	if (!how->from_env || env_get("GIT_OBJECT_DIRECTORY") == NULL) {
		r->objdir = xasprintf("%sobjects/",
		    git_repository_commondir(git));
		if ((err = nested_alternates(r)) != NULL)
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
	struct found how;
	int fsync_on = 1;

	*out = NULL;
	if ((err = dipb_git_lib_init(&fsync_on)) != NULL)
		return err;
	if ((err = find_repo(&git, &how, path)) != NULL) {
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
	return open_git(out, git, &how, need_board, fsync_on);
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

const struct dipb_error *
dipb_repo_init(struct dipb_repo **out, const char *dir)
{
	const struct dipb_error *err = NULL;
	git_repository *git = NULL;
	struct found how;
	git_oid id;
	char *warning = NULL;
	int rc, fsync_on = 1, found = 0, made = 0;

	*out = NULL;
	/*
	 * With GIT_DIR or GIT_WORK_TREE set, the repository is the one they
	 * name, as for every other command, and must exist: git init would
	 * make it there, with a working tree dipb would have to guess.
	 */
	if (env_get("GIT_DIR") != NULL || env_get("GIT_WORK_TREE") != NULL) {
		if (strcmp(dir, ".") != 0) {
			char *arg = dipb_sh_quote(dir);

			err = dipb_error_fmt(DIPB_ERR_USAGE, "GIT_DIR or "
			    "GIT_WORK_TREE is set: run 'dipb -C %s init' in "
			    "the working tree instead of naming it", arg);
			free(arg);
			return err;
		}
		if ((err = dipb_git_lib_init(&fsync_on)) != NULL)
			return err;
		if ((err = find_repo(&git, &how, NULL)) != NULL) {
			git_libgit2_shutdown();
			if (err->code == DIPB_ERR_NO_REPO &&
			    strstr(err->msg, "(GIT_DIR)") != NULL) {
				dipb_error_free(err);
				err = dipb_error_fmt(DIPB_ERR_NO_REPO, "GIT_DIR "
				    "'%s' is not a git repository: make it with "
				    "git init first", env_get("GIT_DIR"));
			}
			return err;
		}
	} else {
		if ((err = dipb_git_lib_init(&fsync_on)) != NULL)
			return err;
		memset(&how, 0, sizeof(how));
		how.start = dir;
		if ((err = find_checked(&rc, &git, &how,
		    GIT_REPOSITORY_OPEN_NO_SEARCH, NULL)) != NULL) {
			git_libgit2_shutdown();
			return err;
		}
		/* git init would make another hash's repository. */
		if (rc == GIT_ENOTFOUND && env_get("GIT_DEFAULT_HASH") !=
		    NULL && strcasecmp(env_get("GIT_DEFAULT_HASH"),
		    "sha1") != 0) {
			git_error_clear();
			git_libgit2_shutdown();
			return dipb_error_fmt(DIPB_ERR_NO_REPO,
			    "GIT_DEFAULT_HASH is '%s': git init would make a "
			    "repository of that hash, and dipb reads and "
			    "writes SHA-1 repositories only; nothing was made "
			    "(unset it, or make the repository with git init "
			    "--object-format=sha1 first)",
			    env_get("GIT_DEFAULT_HASH"));
		}
		if (rc == GIT_ENOTFOUND && (err = no_git_there(dir)) != NULL) {
			git_error_clear();
			git_libgit2_shutdown();
			return err;
		}
		if (rc == GIT_ENOTFOUND) {
			git_error_clear();
			if ((err = init_ext(&rc, &git, &warning, dir)) !=
			    NULL) {
				git_libgit2_shutdown();
				return err;
			}
			made = rc == 0;
		}
		if (rc < 0) {
			err = open_failed(dir);
			git_libgit2_shutdown();
			return err;
		}
	}
	if ((err = open_git(out, git, &how, 0, fsync_on)) != NULL) {
		free(warning);
		return err;
	}
	(*out)->made = made;
	if (warning != NULL)
		dipb_git_warn(*out, "%s", warning);
	free(warning);
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

/*
 * Removes name (in the folder at) and all it holds, never through a
 * symbolic link: the .git a refused init made (dipb_repo_unmake).
 */
static void
remove_tree(int at, const char *name)
{
	struct dirent *e;
	struct stat st;
	DIR *d;
	int fd;

	if (fstatat(at, name, &st, AT_SYMLINK_NOFOLLOW) == -1)
		return;
	if (!S_ISDIR(st.st_mode)) {
		(void)unlinkat(at, name, 0);
		return;
	}
	if ((fd = openat(at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC)) == -1)
		return;
	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		return;
	}
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			remove_tree(dirfd(d), e->d_name);
	closedir(d);
	(void)unlinkat(at, name, AT_REMOVEDIR);
}

void
dipb_repo_unmake(struct dipb_repo *r, int keep_dir)
{
	char *git, *top;

	if (r == NULL || !r->made)
		return;
	git = xstrndup(r->gitdir, strlen(r->gitdir) - 1);
	top = xstrndup(r->workdir, strlen(r->workdir) - 1);
	remove_tree(AT_FDCWD, git);
	if (!keep_dir)
		(void)rmdir(top);	/* only when nothing else is in it */
	free(git);
	free(top);
	r->made = 0;
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
	free(r->workdir);
	free(r->gitdir);
	free(r->index_path);
	free(r->objdir);
	free(r->branch_ref);
	free(r->head_desc);
	dipb_strlist_release(&r->warnings);
	free(r->lazy_failed);
	dipb_git_format_release(&r->format);
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
	if ((err = current_dir(&cwd)) != NULL) {
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

/*
 * s as git records it (ident.c, strbuf_addstr_without_crud): crud trimmed
 * from both ends, and '\n', '<' and '>', which delimit an ident line, left
 * out; NULL when nothing is left, as if none were given.  Takes s.
 */
static char *
without_crud(char *s)
{
	char *p, *end, *w;

	if (s == NULL)
		return NULL;
	for (p = s; *p != '\0' && dipb_git_ident_crud((unsigned char)*p);
	    p++)
		;
	for (end = p + strlen(p);
	    end > p && dipb_git_ident_crud((unsigned char)end[-1]); end--)
		;
	for (w = s; p < end; p++)
		if (*p != '\n' && *p != '<' && *p != '>')
			*w++ = *p;
	*w = '\0';
	if (*s == '\0') {
		free(s);
		return NULL;
	}
	return s;
}

static const char no_identity[] = "no identity: set user.email (git config "
    "user.email you@example.org) or GIT_AUTHOR_EMAIL";

/* A setting of the identity: its value as given, and where it is. */
struct ident_val {
	char	*v;		/* even empty; NULL: not set */
	char	*from;		/* "GIT_AUTHOR_NAME", "user.name in '<file>'" */
};

/* key of cfg into *out; *given 1 when it is set at all (even empty). */
static void
ident_config(struct ident_val *out, int *given, git_config *cfg,
    git_repository *git, const char *key, const char *shown)
{
	git_config_entry *e = NULL;
	char *where;

	memset(out, 0, sizeof(*out));
	if (cfg == NULL || git_config_get_entry(&e, cfg, key) < 0) {
		git_error_clear();
		return;
	}
	*given = 1;
	out->v = xstrdup(e->value != NULL ? e->value : "");
	where = dipb_git_config_origin(e, git);
	out->from = xasprintf("%s %s", shown, where);
	free(where);
	git_config_entry_free(e);
}

/* The variable name of the environment into *out: set, even empty. */
static void
ident_env(struct ident_val *out, const char *name)
{
	const char *v = getenv(name);

	memset(out, 0, sizeof(*out));
	if (v == NULL)
		return;
	out->v = xstrdup(v);
	out->from = xstrdup(name);
}

static void
ident_release(struct ident_val *iv)
{
	free(iv->v);
	free(iv->from);
}

/*
 * The email and name picked, as git records them (without_crud) into
 * out, or the refusal: where git would record an empty email ("<>") or
 * refuse the name, and where either is not UTF-8, which is all dipb
 * writes (dipb-git(7), "The identity").
 */
static const struct dipb_error *
ident_take(struct dipb_identity *out, const struct ident_val *email,
    const struct ident_val *name)
{
	out->email = without_crud(xstrdup(email->v));
	if (out->email == NULL)
		return dipb_error_fmt(DIPB_ERR_IDENTITY, "no identity: %s is "
		    "'%s', which git records as the email '<>', no member's: "
		    "set it to your email", email->from, email->v);
	if (!dipb_utf8_valid(out->email, strlen(out->email)))
		return dipb_error_fmt(DIPB_ERR_IDENTITY, "%s is '%s', which "
		    "is not UTF-8: dipb writes its changes in UTF-8 only; set "
		    "it to your email in UTF-8", email->from, email->v);
	if (name == NULL)
		return NULL;
	if (name->v[0] == '\0')
		return dipb_error_fmt(DIPB_ERR_IDENTITY, "empty ident name "
		    "(for <%s>) not allowed: %s is empty, which git refuses "
		    "too: set it to your name, or unset it", out->email,
		    name->from);
	if ((out->name = without_crud(xstrdup(name->v))) == NULL)
		return dipb_error_fmt(DIPB_ERR_IDENTITY, "name consists only "
		    "of disallowed characters: '%s' (%s), which git refuses "
		    "too: set it to your name", name->v, name->from);
	if (!dipb_utf8_valid(out->name, strlen(out->name)))
		return dipb_error_fmt(DIPB_ERR_IDENTITY, "%s is '%s', which "
		    "is not UTF-8: dipb writes its changes in UTF-8 only; set "
		    "it to your name in UTF-8", name->from, name->v);
	return NULL;
}

/*
 * The author as git 2.39's ident.c finds it (git var GIT_AUTHOR_IDENT,
 * git commit): see repo.h.  Where git would make up a name or an email
 * from the account and the host name, dipb refuses or asks dipb.yaml: a
 * board needs a real identity.  Where git refuses, dipb refuses.
 */
static const struct dipb_error *
author(struct dipb_identity *out, git_config *cfg, git_repository *git,
    int need_name)
{
	const struct dipb_error *err;
	struct ident_val c_name, c_email, a_name, a_email, u_name, u_email;
	struct ident_val e_name, e_email, env_email;
	const struct ident_val *email = NULL, *name = NULL;
	int name_given = 0, mail_given = 0, only;

	if ((err = dipb_git_config_bool(&only, cfg, git,
	    "user.useconfigonly", 0)) != NULL)
		return err;
	/* As in git, committer.* count as given, though not used here. */
	ident_config(&c_name, &name_given, cfg, git, "committer.name",
	    "committer.name");
	ident_config(&c_email, &mail_given, cfg, git, "committer.email",
	    "committer.email");
	ident_config(&a_name, &name_given, cfg, git, "author.name",
	    "author.name");
	ident_config(&a_email, &mail_given, cfg, git, "author.email",
	    "author.email");
	ident_config(&u_name, &name_given, cfg, git, "user.name",
	    "user.name");
	ident_config(&u_email, &mail_given, cfg, git, "user.email",
	    "user.email");
	/* Set but empty is still given: git records "<>", refuses "". */
	ident_env(&e_name, "GIT_AUTHOR_NAME");
	ident_env(&e_email, "GIT_AUTHOR_EMAIL");
	ident_env(&env_email, "EMAIL");

	if (e_email.v != NULL)
		email = &e_email;
	else if (a_email.v != NULL && a_email.v[0] != '\0')
		email = &a_email;
	else if (only && !mail_given) {
		err = dipb_error_fmt(DIPB_ERR_IDENTITY, "no email was given "
		    "and auto-detection is disabled (user.useConfigOnly): set "
		    "user.email (git config user.email you@example.org) or "
		    "GIT_AUTHOR_EMAIL");
		goto done;
	} else if (u_email.v != NULL)
		email = &u_email;
	else if (!mail_given && env_email.v != NULL &&
	    env_email.v[0] != '\0')
		email = &env_email;
	if (email == NULL) {
		err = dipb_error_fmt(DIPB_ERR_IDENTITY, "%s", no_identity);
		goto done;
	}

	/* A reader finds the member by the email alone. */
	if (!need_name)
		name = NULL;
	else if (e_name.v != NULL)
		name = &e_name;
	else if (a_name.v != NULL && a_name.v[0] != '\0')
		name = &a_name;
	else if (only && !name_given) {
		err = dipb_error_fmt(DIPB_ERR_IDENTITY, "no name was given "
		    "and auto-detection is disabled (user.useConfigOnly): set "
		    "user.name (git config user.name 'Your Name') or "
		    "GIT_AUTHOR_NAME");
		goto done;
	} else if (u_name.v != NULL)
		name = &u_name;
	else if (name_given) {
		/* git takes no name from the account once one is set. */
		err = dipb_error_fmt(DIPB_ERR_IDENTITY, "empty ident name "
		    "(for <%s>) not allowed: user.name is not set, and with "
		    "%s set git takes no name from the account either: set "
		    "user.name (git config user.name 'Your Name')", email->v,
		    a_name.v != NULL ? a_name.from : c_name.from);
		goto done;
	}
	/* No name at all: where git takes the account's, dipb.yaml's. */
	err = ident_take(out, email, name);
done:
	ident_release(&c_name);
	ident_release(&c_email);
	ident_release(&a_name);
	ident_release(&a_email);
	ident_release(&u_name);
	ident_release(&u_email);
	ident_release(&e_name);
	ident_release(&e_email);
	ident_release(&env_email);
	return err;
}

static const struct dipb_error *
identity(struct dipb_identity *out, struct dipb_repo *r, int need_name)
{
	const struct dipb_error *err = NULL;
	git_config *cfg = NULL;

	memset(out, 0, sizeof(*out));
	if (git_repository_config_snapshot(&cfg, r->git) < 0) {
		git_error_clear();
		cfg = NULL;
	}
	err = author(out, cfg, r->git, need_name);
	git_config_free(cfg);
	if (err != NULL)
		goto done;

	/*
	 * The author date, GIT_AUTHOR_DATE; the one time stamps the commit
	 * and the tag too, so without it GIT_COMMITTER_DATE, then now.
	 */
	err = dipb_date_now(&out->time, &out->offset);
done:
	if (err != NULL)
		dipb_identity_release(out);
	return err;
}

const struct dipb_error *
dipb_repo_identity(struct dipb_identity *out, struct dipb_repo *r)
{
	return identity(out, r, 1);
}

const struct dipb_error *
dipb_repo_identity_email(struct dipb_identity *out, struct dipb_repo *r)
{
	return identity(out, r, 0);
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

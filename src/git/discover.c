/*
 * git/discover.c - the repository found as git finds it, and trusted
 * before it is read (git's setup.c): GIT_DIR, GIT_WORK_TREE and the rest
 * of the environment, the search upwards, who owns what the search found
 * (safe.directory, safe.bareRepository), the repository format libgit2
 * refuses as it opens one, the working tree, and the alternate object
 * folders; dipb(1), ENVIRONMENT; dipb-git(7), "The repository, the
 * working tree and the configuration".  repo.c opens what this finds.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <git2/sys/repository.h>

#include "internal.h"
#include "../error.h"
#include "../hashmap.h"
#include "../text.h"
#include "../util.h"

/*
 * The repository format of the config file of the repository libgit2
 * finds from where (the common git dir's, for a linked worktree), *file
 * (caller frees); fmt->read 0 when there is none to read.  The file is
 * read with the files include.path names, as libgit2 reads them, but
 * with no repository: an includeIf condition matches nothing here
 * (libgit2 from 1.7 checks the format as it opens even a bare
 * repository, and leaks the one it refuses).  The format itself is the
 * file's own entries, which need no repository; the error is the
 * format's, as dipb_git_format_read says it.
 */
static const struct dipb_error *
found_format(struct dipb_git_format *fmt, char **file, char **gitdir,
    const char *where)
{
	struct dipb_buf b = DIPB_BUF_INIT;
	const struct dipb_error *err = NULL;
	git_config *cfg = NULL;
	git_buf dir = { 0 };
	char *common, *real;
	size_t n;

	*file = NULL;
	if (gitdir != NULL)
		*gitdir = NULL;
	if (git_repository_discover(&dir, where, 1, NULL) < 0)
		goto done;
	if (gitdir != NULL)
		*gitdir = realpath(dir.ptr, NULL);
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
	if (git_config_new(&cfg) < 0 ||
	    git_config_add_file_ondisk(cfg, *file, GIT_CONFIG_LEVEL_LOCAL,
	    NULL, 0) < 0) {
		free(*file);
		*file = NULL;
		goto done;
	}
	err = dipb_git_format_read(fmt, cfg, *file);
done:
	git_error_clear();
	git_config_free(cfg);
	git_buf_dispose(&dir);
	dipb_buf_release(&b);
	return err;
}

/*
 * The value libgit2 took for the extension ext (lower case) from the
 * files the config file includes: the last one include.path gives that
 * is not the file's own, when it is value.  NULL when there is none (an
 * includeIf file's is not seen: found_format).  Caller frees.
 */
static char *
included_value(const char *where, const char *ext, const char *value)
{
	struct dipb_git_format fmt = DIPB_GIT_FORMAT_INIT;
	git_config *cfg = NULL;
	git_config_entry *e = NULL;
	char *file, *name = xasprintf("extensions.%s", ext), *found = NULL;

	dipb_error_free(found_format(&fmt, &file, NULL, where));
	if (file != NULL && git_config_open_ondisk(&cfg, file) == 0 &&
	    git_config_get_entry(&e, cfg, name) == 0 &&
	    e->include_depth > 0 && e->value != NULL &&
	    strcmp(e->value, value) == 0)
		found = xstrdup(e->value);
	git_config_entry_free(e);
	git_config_free(cfg);
	git_error_clear();
	dipb_git_format_release(&fmt);
	free(file);
	free(name);
	return found;
}

/*
 * libgit2 refused the repository at where over its format, read from
 * the files its config file includes too (what: the setting), where git
 * reads it from that file alone, which dipb_git_format_check found
 * fine.  A refusal that says so (dipb-git(7), "Repository formats");
 * the format's own error when git refuses too; NULL when the file
 * cannot be read.
 */
static const struct dipb_error *
included_refused(const char *where, const char *what, const char *libgit2)
{
	struct dipb_git_format fmt = DIPB_GIT_FORMAT_INIT;
	const struct dipb_error *err;
	int major, minor, rev;
	char *file;

	err = found_format(&fmt, &file, NULL, where);
	if (err == NULL && fmt.read)
		err = dipb_git_format_check(&fmt, file);
	if (err == NULL && fmt.read && git_libgit2_version(&major, &minor,
	    &rev) == 0)
		err = dipb_error_fmt(DIPB_ERR_NO_REPO, "unsupported "
		    "repository format: %s is set in a file that '%s' "
		    "includes, and libgit2 %d.%d, through which dipb opens "
		    "repositories, reads it there and refuses '%s' (%s); git "
		    "2.39 reads the repository format from '%s' alone and uses "
		    "this repository; dipb changes nothing here", what, file,
		    major, minor, where, libgit2, file);
	dipb_git_format_release(&fmt);
	free(file);
	return err;
}

/*
 * The setting of the format an included file holds that libgit2 refused
 * with message m (dipb_git_open_failed): the version, whichever libgit2;
 * from 1.7 objectFormat, which it reads in a version 1 repository; from
 * 1.8 worktreeConfig, which it reads as a boolean.  NULL for another.
 */
static const char *
included_setting(const char *where, const char *m)
{
	static const char ver[] = "unsupported repository version ";
	static const char num[] = "failed to parse '";
	static const char obj[] = "unknown object format '";
	const char *what = NULL;
	char *v, *found = NULL;

	if (strncmp(m, ver, sizeof(ver) - 1) == 0 ||
	    (strncmp(m, num, sizeof(num) - 1) == 0 &&
	    strstr(m, "integer") != NULL))
		return "core.repositoryformatversion";
	if (strncmp(m, obj, sizeof(obj) - 1) == 0)
		return "extensions.objectFormat";
	if (strncmp(m, num, sizeof(num) - 1) != 0 ||
	    strstr(m, "' as a boolean") == NULL)
		return NULL;
	v = xstrndup(m + sizeof(num) - 1,
	    (size_t)(strstr(m, "' as a boolean") - m) - (sizeof(num) - 1));
	if ((found = included_value(where, "worktreeconfig", v)) != NULL)
		what = "extensions.worktreeConfig";
	free(found);
	free(v);
	return what;
}

/*
 * libgit2 refuses, as it opens it, a repository whose format it does not
 * know: its message becomes one in dipb_git_format_check's words.
 */
const struct dipb_error *
dipb_git_open_failed(const char *where)
{
	static const char ext[] = "unsupported extension name ";
	static const char ver[] = "unsupported repository version ";
	const struct dipb_error *err = NULL;
	const git_error *ge = git_error_last();
	const char *what;
	char *m = ge != NULL && ge->message != NULL ? xstrdup(ge->message) :
	    NULL;

	if (m == NULL)
		return dipb_error_from_git("cannot open repository '%s'", where);
	if ((what = included_setting(where, m)) != NULL)
		err = included_refused(where, what, m);
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

#if DIPB_LIBGIT2_AT_LEAST(1, 7)
/*
 * Why the file p cannot be read, or NULL when it can or is not there:
 * "not a regular file" (a FIFO would keep open(2) waiting), or open(2)'s
 * reason (dipb_open_regular, which waits on nothing).  Nothing is read.
 */
static const char *
unreadable_why(const char *p)
{
	struct stat st;
	int fd;

	if (stat(p, &st) == -1)
		return errno == ENOENT || errno == ENOTDIR ? NULL :
		    strerror(errno);
	if (!S_ISREG(st.st_mode) || (fd = dipb_open_regular(p, 0, NULL)) == -2)
		return "not a regular file";
	if (fd == -1)
		return strerror(errno);
	close(fd);
	return NULL;
}
#endif

/*
 * libgit2 from 1.7 reads info/grafts of the common git dir and the
 * shallow file of the git dir (a linked worktree's own, where git reads
 * the common git dir's) as it opens the repository: it waits on a FIFO
 * there for ever, and refuses a file it cannot read in words of its own
 * ("failed open ... is locked").  Such a file is refused first: the
 * common git dir's shallow file as every command refuses it
 * (dipb_repo_shallow, commit.c), the others naming libgit2.
 */
static const struct dipb_error *
unreadable_at_open(const char *gitdir, const char *common)
{
	const struct dipb_error *err = NULL;
#if DIPB_LIBGIT2_AT_LEAST(1, 7)
	const char *dir[3], *name[3], *why;
	char *p;
	size_t i;
	int major, minor, rev;

	dir[0] = common;
	name[0] = "shallow";
	dir[1] = gitdir != NULL && strcmp(gitdir, common) != 0 ? gitdir : NULL;
	name[1] = "shallow";
	dir[2] = common;
	name[2] = "info/grafts";
	for (i = 0; i < 3 && err == NULL; i++) {
		if (dir[i] == NULL)
			continue;
		p = xasprintf("%s/%s", dir[i], name[i]);
		if ((why = unreadable_why(p)) == NULL)
			;
		else if (i == 0)
			err = dipb_git_shallow_unknown(p, why);
		else if (git_libgit2_version(&major, &minor, &rev) == 0)
			err = dipb_error_fmt(DIPB_ERR_GIT, "cannot open the "
			    "repository: '%s': %s; libgit2 %d.%d, through "
			    "which dipb opens repositories, reads it as it "
			    "opens one%s", p, why, major, minor, i == 1 ?
			    " (a linked worktree's own shallow file, which git "
			    "does not read)" : "");
		free(p);
	}
#else
	(void)gitdir;
	(void)common;
#endif
	return err;
}

#if DIPB_LIBGIT2_AT_LEAST(1, 7)
/* 1 when the file dir/name is there (lstat). */
static int
there(const char *dir, const char *name)
{
	struct stat st;
	char *p = xasprintf("%s/%s", dir, name);
	int is = lstat(p, &st) == 0;

	free(p);
	return is;
}
#endif

/*
 * libgit2 from 1.7 reads the shallow file of the git dir gitdir as it
 * opens the repository, and refuses in its own words ("invalid graft
 * OID at line N") a file git dies of, or one git reads (anything after
 * an id on its line): when libgit2 refused with such words, and that
 * file is there and no info/grafts (which libgit2 refuses in the same
 * words), the shallow file of the common git dir common is read as the
 * walks read it (walk.c), and its error is the refusal, in the words
 * dipb gives on every libgit2 (dipb-git(7), "Shallow and partial
 * clones"); one git reads is said so, naming libgit2; a linked
 * worktree's own, which git does not read, too.  NULL otherwise:
 * libgit2's reason stands.
 */
static const struct dipb_error *
shallow_refused(const char *gitdir, const char *common)
{
	const struct dipb_error *err = NULL;
#if DIPB_LIBGIT2_AT_LEAST(1, 7)
	struct dipb_hashmap cut = DIPB_HASHMAP_INIT;
	const git_error *ge = git_error_last();
	char *path, *why;
	int own, major, minor, rev;

	if (ge == NULL || ge->klass != GIT_ERROR_GRAFTS || gitdir == NULL ||
	    !there(gitdir, "shallow") || there(gitdir, "info/grafts") ||
	    there(common, "info/grafts"))
		return NULL;
	why = xstrdup(ge->message != NULL ? ge->message : "");
	path = xasprintf("%s/shallow", gitdir);
	own = strcmp(gitdir, common) != 0;
	if (!own)
		err = dipb_git_shallow_file(&cut, NULL, path);
	if (err == NULL && git_libgit2_version(&major, &minor, &rev) == 0)
		err = dipb_error_fmt(DIPB_ERR_GIT, "cannot open the "
		    "repository: libgit2 %d.%d, through which dipb opens "
		    "repositories, refuses its shallow file '%s' (%s), which "
		    "git %s; dipb changes nothing here", major, minor, path,
		    why, own ? "does not read (a linked worktree's own: git "
		    "reads the common git dir's)" : "reads");
	dipb_hashmap_release(&cut, NULL);
	free(why);
	free(path);
#else
	(void)gitdir;
	(void)common;
#endif
	return err;
}

/*
 * git_repository_open_ext, with libgit2's search paths hidden (lib.c):
 * it reads no configuration there but the repository's own.  git reads
 * the repository format from that config file alone (dipb-git(7),
 * "Repository formats"), libgit2 from the files it includes too, and
 * from 1.7 refuses with words of its own what git refuses: so the
 * format is checked first as git checks it (dipb_git_format_check),
 * and what git refuses is refused in its words before libgit2 reads a
 * thing.  libgit2 refuses an extension name it does not know, one per
 * open: every name the config file and the files include.path names
 * set (found_format's fmt->names) is let through at once; any other
 * (an includeIf file's) it still refuses, one at a time: as many as
 * there are.  dipb_git_setup_config checks the format again with the
 * configuration git reads.  *rc is libgit2's result, its error
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
	char *file, *slash, *gitdir = NULL;
	size_t i;

	*out = NULL;
	*rc = 0;
	/*
	 * The format of the repository libgit2 finds as it will open it
	 * (out NULL: found, no file read): under GIT_DIR, a folder that is
	 * none is not searched above, where found_format would find another.
	 */
	err = NULL;
	file = NULL;
	if (git_repository_open_ext(NULL, path, flags, ceiling) < 0)
		git_error_clear();
	/* The git dir's real path only for libgit2 1.7 and later's files. */
	else if ((err = found_format(&fmt, &file,
	    DIPB_LIBGIT2_AT_LEAST(1, 7) ? &gitdir : NULL, path)) == NULL &&
	    fmt.read)
		err = dipb_git_format_check(&fmt, file);
	/* The common git dir: the folder of the config file found. */
	if (file != NULL && (slash = strrchr(file, '/')) != NULL)
		*slash = '\0';
	else {
		free(file);
		file = NULL;
	}
	if (err == NULL && file != NULL)
		err = unreadable_at_open(gitdir, file);
	for (i = 0; i < fmt.names.n; i++)
		dipb_strlist_push(&more, fmt.names.v[i]);
	dipb_git_format_release(&fmt);
	if (err == NULL && more.n > 0)
		err = dipb_git_lib_extensions(&more);
	if (err != NULL) {
		if (more.n > 0)
			dipb_error_free(dipb_git_lib_extensions(NULL));
		dipb_strlist_release(&more);
		free(file);
		free(gitdir);
		return err;
	}
	if ((err = dipb_git_paths_hide(&saved)) != NULL) {
		dipb_strlist_release(&more);
		free(file);
		free(gitdir);
		return err;
	}
	for (;;) {
		*rc = git_repository_open_ext(out, path, flags, ceiling);
		if (*rc >= 0 || (ge = git_error_last()) == NULL ||
		    strncmp(ge->message, ext, sizeof(ext) - 1) != 0 ||
		    dipb_strlist_contains(&more, ge->message + sizeof(ext) - 1))
			break;
		dipb_strlist_push(&more, ge->message + sizeof(ext) - 1);
		if ((err = dipb_git_lib_extensions(&more)) != NULL)
			break;
	}
	if (more.n > 0 && (err2 = dipb_git_lib_extensions(NULL)) != NULL) {
		if (err == NULL)
			err = err2;
		else
			dipb_error_free(err2);
	}
	dipb_strlist_release(&more);
	if (err == NULL && *rc < 0 && file != NULL &&
	    (err = shallow_refused(gitdir, file)) != NULL)
		git_error_clear();
	free(file);
	free(gitdir);
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

/* The environment variable name when set and not empty, else NULL. */
const char *
dipb_git_env_get(const char *name)
{
	const char *v = getenv(name);

	return v != NULL && v[0] != '\0' ? v : NULL;
}

/*
 * GIT_DIR set and empty, which git refuses at once ("not a git
 * repository: ''") rather than searching: dipb(1), ENVIRONMENT.
 */
const struct dipb_error *
dipb_git_dir_empty(void)
{
	const char *v = getenv("GIT_DIR");

	if (v == NULL || v[0] != '\0')
		return NULL;
	return dipb_error_fmt(DIPB_ERR_NO_REPO, "not a git repository: '' "
	    "(GIT_DIR is set and empty, which git refuses too): unset it, or "
	    "name the git dir");
}

/* The current directory, as getcwd gives it (symbolic links resolved). */
const struct dipb_error *
dipb_git_current_dir(char **out)
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
char *
dipb_git_start_named(const char *start)
{
	const struct dipb_error *err;
	char *cwd;

	if (strcmp(start, ".") != 0)
		return xstrdup(start);
	if ((err = dipb_git_current_dir(&cwd)) != NULL) {
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
	if ((err = dipb_git_current_dir(&cwd)) != NULL)
		return err;
	if (strncmp(cwd, workdir, n - 1) == 0 &&
	    (cwd[n - 1] == '\0' || cwd[n - 1] == '/'))
		*out = xasprintf("%s%s", workdir, p);
	else
		*out = xasprintf("%s/%s", cwd, p);
	free(cwd);
	return NULL;
}

/* ---- is a .git a repository: git's test, without opening it ------ */

/* 1 for the characters git's isspace takes: " \t\n\r" (git-compat-util.h). */
static int
git_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * 0 when the file HEAD is one git takes (git's setup.c, validate_headref):
 * a link into refs/, "ref: refs/...", or an object id, in its first 255
 * bytes.  Unlike git, which opens any HEAD and waits for ever on a FIFO,
 * dipb reads a regular file only (dipb_open_regular): a HEAD of another
 * type is no repository's, on purpose.
 */
static int
head_ok(const char *head)
{
	struct dipb_buf b = DIPB_BUF_INIT;
	char l[256];
	struct stat st;
	ssize_t n;
	size_t i;
	int fd, r;

	if (lstat(head, &st) == -1)
		return -1;
	if (S_ISLNK(st.st_mode))
		return (n = readlink(head, l, sizeof(l) - 1)) >= 5 &&
		    memcmp(l, "refs/", 5) == 0 ? 0 : -1;
	if ((fd = dipb_open_regular(head, 0, NULL)) < 0)
		return -1;
	r = dipb_read_fd(&b, fd, sizeof(l) - 1);
	close(fd);
	if (r == 0 && strncmp(dipb_buf_cstr(&b), "ref:", 4) == 0) {
		for (i = 4; git_space(b.ptr[i]); i++)
			;
		r = strncmp(b.ptr + i, "refs/", 5) == 0 ? 0 : -1;
	} else if (r == 0)
		r = strspn(b.ptr, "0123456789abcdefABCDEF") >= 40 ? 0 : -1;
	dipb_buf_release(&b);
	return r;
}

/*
 * The regular file at file as git reads a .git file (git's setup.c,
 * read_gitfile_gently: 1 MiB at most) and commondir: its trailing line
 * breaks cut, then up to its first NUL, as git takes the path it holds,
 * into *out (caller frees), and the length before that cut into *len
 * (git's test of a .git file's form).  0; -1 when it cannot be opened or
 * read; -2 when it is no regular file, or is over 1 MiB.
 */
static int
read_trimmed(char **out, size_t *len, const char *file)
{
	struct dipb_buf b = DIPB_BUF_INIT;
	const struct dipb_error *err;
	size_t n;
	int fd, r = 0;

	*out = NULL;
	if ((fd = dipb_open_regular(file, 0, NULL)) < 0)
		return fd;
	if ((err = dipb_read_whole(&b, fd, file, 1 << 20)) != NULL)
		r = err->code == DIPB_ERR_TOO_LARGE ? -2 : -1;
	close(fd);
	dipb_error_free(err);
	for (n = b.len; r == 0 && n > 0 && (b.ptr[n - 1] == '\n' ||
	    b.ptr[n - 1] == '\r'); n--)
		;
	if (r == 0)
		*out = xstrndup(dipb_buf_cstr(&b), n);
	*len = n;
	dipb_buf_release(&b);
	return r;
}

/*
 * 1 when folder dir is a git dir (git's setup.c, is_git_directory): a
 * HEAD git takes, and objects/ (or GIT_OBJECT_DIRECTORY) and refs/ in
 * its common dir (git's get_common_dir: GIT_COMMON_DIR, else commondir's
 * for a linked worktree's).  A commondir that cannot be read, which git
 * dies of (or waits on, a FIFO), is taken for none: dir is its own.
 */
static int
is_git_dir(const char *dir)
{
	const char *odb = getenv("GIT_OBJECT_DIRECTORY");
	const char *env = getenv("GIT_COMMON_DIR");
	char *p, *common, *objects, *refs;
	size_t n;
	int r;

	p = xasprintf("%s/HEAD", dir);
	r = head_ok(p) == 0;
	free(p);
	if (!r)
		return 0;
	p = xasprintf("%s/commondir", dir);
	if (env != NULL)
		common = xstrdup(env);
	else if (read_trimmed(&common, &n, p) != 0)
		common = xstrdup(dir);
	else if (common[0] != '/') {
		free(p);
		p = common;
		common = xasprintf("%s/%s", dir, p);
	}
	free(p);
	objects = odb != NULL ? xstrdup(odb) : xasprintf("%s/objects", common);
	refs = xasprintf("%s/refs", common);
	r = access(objects, X_OK) == 0 && access(refs, X_OK) == 0;
	free(refs);
	free(objects);
	free(common);
	return r;
}

/*
 * The path the regular .git file file names as git reads it (git's
 * setup.c, read_gitfile_gently): "gitdir: PATH", read_trimmed, PATH
 * relative from the file's folder; into *out (caller frees).  0; -1
 * and -2 as read_trimmed's; -3 when git does not take its form (under 9
 * bytes, NULs counted: "gitdir: " and a NUL names the file's folder).
 */
static int
gitfile_target(char **out, const char *file)
{
	const char *slash;
	size_t n;
	char *s;
	int r;

	*out = NULL;
	if ((r = read_trimmed(&s, &n, file)) != 0)
		return r;
	if (n < 9 || strncmp(s, "gitdir: ", 8) != 0)
		r = -3;
	else if (s[8] == '/' || (slash = strrchr(file, '/')) == NULL)
		*out = xstrdup(s + 8);
	else
		*out = xasprintf("%.*s/%s", (int)(slash - file), file, s + 8);
	free(s);
	return r;
}

enum dipb_dotgit
dipb_repo_dotgit(const char *path)
{
	struct stat st;
	char *dir;
	int r;

	if (stat(path, &st) == -1)
		return DIPB_DOTGIT_NONE;
	if (!S_ISREG(st.st_mode))
		return is_git_dir(path) ? DIPB_DOTGIT_REPO : DIPB_DOTGIT_NONE;
	/*
	 * A .git file that cannot be opened or read, git status takes for
	 * another repository's (git's dir.c, is_nonbare_repository_dir).
	 */
	if ((r = gitfile_target(&dir, path)) == -1)
		return DIPB_DOTGIT_UNREADABLE;
	r = r == 0 && is_git_dir(dir);
	free(dir);
	return r ? DIPB_DOTGIT_REPO : DIPB_DOTGIT_BADFILE;
}

/*
 * What the .git file file names, for a refusal: git's own clue when a
 * linked worktree or a submodule was made elsewhere ("not a git
 * repository: TARGET"), read as git reads it (gitfile_target), on one
 * line ('?' for a line break in it), so that a file cannot write a line
 * of its own into the message.  NULL when git reads no path from it.
 */
static char *
gitfile_clue(const char *file)
{
	char *dir, *line, *clue = NULL;
	int r = gitfile_target(&dir, file);

	line = dipb_text_clean_line(dir);
	if (r == -3)
		clue = xasprintf("'%s' is no .git file git reads (git's form: "
		    "'gitdir: PATH')", file);
	else if (r == 0)
		clue = xasprintf("'%s' names '%s', which is not one", file,
		    line);
	free(line);
	free(dir);
	return clue;
}

/*
 * The length of the longest of ceiling's folders (GIT_CEILING_DIRECTORIES:
 * absolute paths, ':' between them, their links resolved as libgit2
 * resolves them) that holds d, d itself not one (as in libgit2 and git):
 * the search does not go up into it.  0 for none.
 */
static size_t
ceiling_len(const char *d, const char *ceiling)
{
	const char *c, *end;
	char *one, *real;
	size_t n, best = 0;

	for (c = ceiling; c != NULL && *c != '\0'; c = *end ? end + 1 : end) {
		end = c + strcspn(c, ":");
		if (c[0] != '/')
			continue;
		one = xstrndup(c, (size_t)(end - c));
		real = realpath(one, NULL);
		free(one);
		if (real == NULL)
			continue;
		if ((n = strlen(real)) == 1)
			n = 0;
		if (strncmp(d, real, n) == 0 && d[n] == '/' && n > best)
			best = n;
		free(real);
	}
	return best;
}

/*
 * The clue of the first .git file on libgit2's way up from start (start
 * alone without GIT_REPOSITORY_OPEN_NO_SEARCH; not into a folder of
 * ceiling, nor across a file system unless GIT_REPOSITORY_OPEN_CROSS_FS):
 * its search found no repository, and goes no further than a .git file,
 * so that file is why.  A .git folder on the way is none (libgit2 found
 * none).  NULL for no .git file.
 */
static char *
first_gitfile_clue(const char *start, unsigned flags, const char *ceiling)
{
	struct stat st, dst;
	char *d, *p, *slash, *clue = NULL;
	size_t top;
	dev_t dev;

	if ((d = realpath(start, NULL)) == NULL || stat(d, &dst) == -1) {
		free(d);
		return NULL;
	}
	dev = dst.st_dev;
	top = ceiling_len(d, ceiling);
	for (;;) {
		p = xasprintf("%s/.git", strcmp(d, "/") == 0 ? "" : d);
		if (stat(p, &st) == 0 && S_ISREG(st.st_mode))
			clue = gitfile_clue(p);
		free(p);
		if (clue != NULL || (flags & GIT_REPOSITORY_OPEN_NO_SEARCH) ||
		    strcmp(d, "/") == 0)
			break;
		slash = strrchr(d, '/');
		slash[slash == d ? 1 : 0] = '\0';
		if (strlen(d) <= top || stat(d, &dst) == -1 ||
		    (dst.st_dev != dev &&
		    !(flags & GIT_REPOSITORY_OPEN_CROSS_FS)))
			break;
	}
	free(d);
	return clue;
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
const struct dipb_error *
dipb_git_find_repo(git_repository **out, struct dipb_git_found *how,
    const char *path)
{
	const struct dipb_error *err;
	const char *gitdir = NULL, *ceiling = NULL, *v;
	char *name, *clue;
	unsigned flags = 0;
	int across = 0, rc;

	*out = NULL;
	memset(how, 0, sizeof(*how));
	how->start = path != NULL ? path : ".";
	if (path == NULL && (err = dipb_git_dir_empty()) != NULL)
		return err;
	if (path == NULL) {
		how->from_env = 1;
		if ((v = dipb_git_env_get("GIT_COMMON_DIR")) != NULL)
			return dipb_error_fmt(DIPB_ERR_NO_REPO, "GIT_COMMON_DIR "
			    "is set ('%s'): dipb cannot follow it; unset it, "
			    "and use a linked worktree (git worktree add) "
			    "instead", v);
		if ((gitdir = dipb_git_env_get("GIT_DIR")) != NULL) {
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
	    dipb_git_find_checked(&rc, out, how, flags, ceiling)) != NULL)
		return err;
	if (rc == GIT_ENOTFOUND) {
		git_error_clear();
		how->none = 1;
		clue = how->explicit_dir ? gitfile_clue(gitdir) :
		    first_gitfile_clue(how->start, flags, ceiling);
		name = how->explicit_dir ? xstrdup(gitdir) :
		    dipb_git_start_named(how->start);
		err = dipb_error_fmt(DIPB_ERR_NO_REPO, "not a git repository: "
		    "'%s'%s%s%s", name, how->explicit_dir ? " (GIT_DIR)" : "",
		    clue != NULL ? ": " : "", clue != NULL ? clue : "");
		free(clue);
		free(name);
		return err;
	}
	if (rc < 0)
		return dipb_git_open_failed(how->start);
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
 * Where libgit2's search (dipb_git_find_repo's order, which is git's:
 * D/.git, then D itself, from start upwards; with NO_SEARCH, start
 * alone) finds the repository, in the terms of git 2.39's setup.c: the
 * folder top holding .git, that .git when it is a file, and the git dir;
 * or, when the folder itself is the git dir (a bare repository, or a
 * .git folder the search started inside), top NULL.  found is the git
 * dir as libgit2 names it, which the open must give again (open_place).
 * Found with git_repository_discover, which reads no configuration, and
 * stat(2): nothing of the repository's is read.
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
trust(struct dipb_git_found *how, const struct place *pl)
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
 * The repository found from how->start as dipb_git_find_repo says, checked
 * (trust) and opened there (open_place): one search.  *rc is libgit2's
 * result, GIT_ENOTFOUND when there is none, its error libgit2's last.
 */
const struct dipb_error *
dipb_git_find_checked(int *rc, git_repository **out, struct dipb_git_found *how,
    unsigned flags, const char *ceiling)
{
	const struct dipb_error *err;
	struct place pl;

	*out = NULL;
	if ((*rc = locate(&pl, how->start, flags, ceiling)) < 0)
		return NULL;
	dipb_git_fault("locate");
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
const struct dipb_error *
dipb_git_find_workdir(char **out, git_repository *git, git_config *cfg,
    const struct dipb_git_found *how)
{
	const struct dipb_error *err = NULL;
	git_config *snap = NULL;
	git_buf b = { 0 };
	const char *v, *wd;
	char *rel;
	int bare = 0;

	*out = NULL;
	if (how->from_env && (v = dipb_git_env_get("GIT_WORK_TREE")) != NULL)
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
	return dipb_git_current_dir(out);
}

/*
 * The checks git makes before it uses a repository, after who owns it
 * (trust, before the open): the configuration git would read (config.c),
 * given to libgit2 so that its readers see it too, and the repository
 * format (into *fmt) and extensions in it.
 */
const struct dipb_error *
dipb_git_setup_config(git_config **out, struct dipb_git_format *fmt,
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
 * The C-quoted path at s (s[0] is '"'), read as git reads one (its
 * unquote_c_style): into *out, *end after the closing quote; -1 when the
 * quoting is bad (no closing quote, an escape git does not know).
 */
static int
c_unquote(struct dipb_buf *out, const char *s, const char **end)
{
	static const char esc[] = "abfnrtv\\\"";
	static const char val[] = "\a\b\f\n\r\t\v\\\"";
	const char *e;
	int c;

	for (s++; *s != '"'; s++) {
		if (*s == '\0')
			return -1;
		if (*s != '\\') {
			dipb_buf_putc(out, *s);
			continue;
		}
		s++;
		if (*s >= '0' && *s <= '3' && s[1] >= '0' && s[1] <= '7' &&
		    s[2] >= '0' && s[2] <= '7') {
			c = (s[0] - '0') << 6 | (s[1] - '0') << 3 |
			    (s[2] - '0');
			s += 2;
		} else if (*s != '\0' && (e = strchr(esc, *s)) != NULL)
			c = val[e - esc];
		else
			return -1;
		dipb_buf_putc(out, (char)c);
	}
	*end = s + 1;
	return 0;
}

const struct dipb_error *
dipb_git_env_alts(struct dipb_strlist *out, const char *v,
    const char *workdir)
{
	const struct dipb_error *err = NULL;
	struct dipb_buf b = DIPB_BUF_INIT;
	const char *end;
	char *path;

	while (*v != '\0' && err == NULL) {
		dipb_buf_clear(&b);
		if (*v == '#')
			end = v + strcspn(v, ":");
		else if (*v != '"' || c_unquote(&b, v, &end) < 0) {
			/* Bad quoting: the entry as it is, quotes and all. */
			dipb_buf_clear(&b);
			end = v + strcspn(v, ":");
			dipb_buf_put(&b, v, (size_t)(end - v));
		}
		v = *end != '\0' ? end + 1 : end;
		if (*dipb_buf_cstr(&b) == '\0')
			continue;
		if ((err = env_path(&path, dipb_buf_cstr(&b), workdir)) !=
		    NULL)
			break;
		if (dipb_strlist_contains(out, path))
			free(path);
		else
			dipb_strlist_push_owned(out, path);
	}
	dipb_buf_release(&b);
	return err;
}

/*
 * Not git_repository_odb: libgit2 1.5's makes the repository the owner of
 * the object database it allocates before it reads objects/, and when
 * there is none (a .git taken away as it is opened: dipb-init(1)) it
 * frees one that is owned, which frees nothing: 350 bytes leaked, dipb
 * exits 1 under LeakSanitizer.  git_odb_open frees its own.  What libgit2
 * reads besides, core.fsyncObjectFiles, dipb does without: it fsyncs the
 * objects written itself, or not, as DIPB_FSYNC says (lib.c).
 */
int
dipb_git_odb_set(struct dipb_repo *r, const char *objdir)
{
	git_odb *odb = NULL;
	char *path = objdir != NULL ? NULL :
	    xasprintf("%sobjects", git_repository_commondir(r->git));
	int rc = 0;

	if (r->odb != NULL)
		goto done;
	if ((rc = git_odb_open(&odb, objdir != NULL ? objdir : path)) < 0 ||
	    (rc = git_repository_set_odb(r->git, odb)) < 0) {
		git_odb_free(odb);
		goto done;
	}
	r->odb = odb;	/* the repository holds its own reference */
done:
	free(path);
	return rc < 0 ? -1 : 0;
}

/*
 * GIT_OBJECT_DIRECTORY, GIT_ALTERNATE_OBJECT_DIRECTORIES and
 * GIT_INDEX_FILE, as git reads them (env_path);
 * GIT_NAMESPACE is for git's transports, not for commits, and is not
 * read.  dipb then writes its objects through libgit2 (r->objdir NULL)
 * into r->env_objdir; the alternates are kept in r->env_alts, read once
 * here, where libgit2 takes them.
 */
const struct dipb_error *
dipb_git_apply_env(struct dipb_repo *r)
{
	const struct dipb_error *err = NULL;
	git_index *idx = NULL;
	const char *v;
	char *path = NULL, *what;
	size_t i;

	if ((v = dipb_git_env_get("GIT_OBJECT_DIRECTORY")) != NULL) {
		if ((err = env_path(&path, v, r->workdir)) != NULL)
			goto done;
		if (dipb_git_odb_set(r, path) < 0) {
			err = dipb_error_from_git("cannot open the objects of "
			    "GIT_OBJECT_DIRECTORY '%s'", v);
			goto done;
		}
		r->env_objdir = xasprintf("%s/", path);
	}
	if ((v = dipb_git_env_get("GIT_ALTERNATE_OBJECT_DIRECTORIES")) !=
	    NULL) {
		if (dipb_git_odb_set(r, NULL) < 0) {
			err = dipb_error_from_git("cannot open the object "
			    "database");
			goto done;
		}
		if ((err = dipb_git_env_alts(&r->env_alts, v, r->workdir)) !=
		    NULL)
			goto done;
		for (i = 0; i < r->env_alts.n; i++)
			if (git_odb_add_disk_alternate(r->odb,
			    r->env_alts.v[i]) < 0) {
				err = dipb_error_from_git("cannot add the "
				    "alternate '%s' of "
				    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
				    r->env_alts.v[i]);
				goto done;
			}
	}
	if ((v = dipb_git_env_get("GIT_INDEX_FILE")) != NULL) {
		if ((err = env_path(&r->index_path, v, r->workdir)) != NULL)
			goto done;
		/* A split or sparse one is left unopened: dipb reads its
		 * names, and refuses any other use of it. */
		what = xasprintf("cannot open the index '%s' "
		    "(GIT_INDEX_FILE)", v);
		err = dipb_git_index_open_file(&idx, r, what);
		free(what);
		if (err != NULL && dipb_git_index_libgit2_cannot(r)) {
			dipb_error_free(err);
			err = NULL;
			git_error_clear();
		} else if (err == NULL &&
		    git_repository_set_index(r->git, idx) < 0)
			err = dipb_error_from_git("cannot open the index "
			    "'%s' (GIT_INDEX_FILE)", v);
	}
done:
	free(path);
	git_index_free(idx);
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
const struct dipb_error *
dipb_git_nested_alternates(struct dipb_repo *r)
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


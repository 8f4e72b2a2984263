/*
 * git/init.c - a repository made for dipb init, as git init makes it:
 * its template copied (git-init(1), "TEMPLATE DIRECTORY"), its first
 * branch, shared as core.sharedRepository asks; the one GIT_DIR names
 * checked instead; and what a refused init made removed again
 * (dipb_repo_unmake); dipb-init(1).
 */
#define _GNU_SOURCE		/* O_PATH, syscall */
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"
#include "../board.h"
#include "../error.h"
#include "../util.h"

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE	(1 << 0)	/* renameat2(2)'s */
#endif

/*
 * What dipb init names a .git of its own after, beside it, with its
 * process id after the name: as it makes it (init_claim) and as it tries
 * its file system's rename (noreplace_refused), each then a dot and six
 * hex digits (dir_made_unique); as it takes it back (take_back);
 * dipb-init(1).
 */
#define NEW_SUFFIX	".dipb-new-"
#define PROBE_SUFFIX	".dipb-probe-"
#define UNMADE_SUFFIX	".dipb-unmade-"
#define UNIQUE_TAIL	".XXXXXX"	/* its length */

/*
 * What git init would take for the setting of the environment variable
 * env, else of the configuration's key (git 2.45's init.default*Format,
 * which the variable overrides), into *value and *from (env itself, or
 * name); *value NULL when neither is set.  Caller frees *value.
 */
static const struct dipb_error *
init_default(char **value, const char **from, git_config *cfg,
    const char *env, const char *key, const char *name)
{
	git_buf b = { 0 };
	int rc;

	*value = NULL;
	*from = env;
	if (dipb_git_env_get(env) != NULL) {
		*value = xstrdup(dipb_git_env_get(env));
		return NULL;
	}
	*from = name;
	if ((rc = git_config_get_string_buf(&b, cfg, key)) == GIT_ENOTFOUND) {
		git_error_clear();
		return NULL;
	}
	if (rc < 0)
		return dipb_error_from_git("cannot read %s", name);
	*value = xstrdup(b.ptr);
	git_buf_dispose(&b);
	return NULL;
}

/*
 * Whether git init takes v, the setting of one of its formats from the
 * environment (env: git 2.45 takes the variable's value, ours, or dies)
 * or the configuration (a value it does not know is its default, with a
 * warning), for one dipb cannot read: the setting's "what" in words
 * ("would make a repository of that hash"), else NULL.
 */
static const char *
init_format_word(const char *v, int env, const char *ours,
    const char *theirs, const char *what)
{
	if (strcmp(v, ours) == 0 || (!env && strcmp(v, theirs) != 0))
		return NULL;
	if (strcmp(v, theirs) != 0)
		return "refuses a value it does not know";
	return what;
}

/*
 * NULL when git init would make a repository dipb reads and writes: of
 * SHA-1 objects (GIT_DEFAULT_HASH, init.defaultObjectFormat) and of the
 * files ref format (GIT_DEFAULT_REF_FORMAT, init.defaultRefFormat: git
 * 2.45 makes a reftable one, which dipb cannot write); else the
 * refusal, before anything is made (dipb-git(7), "Repository formats").
 * The configuration is git's without a repository, as git init reads it;
 * git 2.39 reads neither setting nor GIT_DEFAULT_REF_FORMAT, git 2.45
 * and later do.
 */
static const struct dipb_error *
init_format_refused(void)
{
	/* Each format: its variable, its setting, dipb's value, git's other. */
	static const struct {
		const char	*env, *key, *name, *ours, *theirs;
		const char	*kind;		/* what the other makes */
		const char	*dipb;		/* what dipb reads and writes */
		const char	*flag;		/* git init's, for dipb's */
		const char	*env_since;	/* git that reads the variable */
	} fmt[] = {
		{ "GIT_DEFAULT_HASH", "init.defaultobjectformat",
		    "init.defaultObjectFormat", "sha1", "sha256", "hash",
		    "SHA-1 repositories", "--object-format=sha1", "" },
		{ "GIT_DEFAULT_REF_FORMAT", "init.defaultrefformat",
		    "init.defaultRefFormat", "files", "reftable", "ref format",
		    "the files format", "--ref-format=files",
		    " (2.45 and later)" },
	};
	const struct dipb_error *err;
	git_config *cfg = NULL;
	const char *from, *w;
	char *v, *what;
	size_t i;

	if ((err = dipb_git_config_open(&cfg, NULL, NULL)) != NULL)
		return err;
	for (i = 0; i < sizeof(fmt) / sizeof(fmt[0]) && err == NULL; i++) {
		if ((err = init_default(&v, &from, cfg, fmt[i].env,
		    fmt[i].key, fmt[i].name)) != NULL || v == NULL)
			continue;
		what = xasprintf("would make a repository of that %s",
		    fmt[i].kind);
		if ((w = init_format_word(v, from == fmt[i].env, fmt[i].ours,
		    fmt[i].theirs, what)) != NULL)
			err = dipb_error_fmt(DIPB_ERR_NO_REPO, "%s is '%s': git "
			    "init%s %s, and dipb reads and writes %s only; "
			    "nothing was made (unset it, or make the repository "
			    "with git init %s first)", from, v, from ==
			    fmt[i].env ? fmt[i].env_since : " (2.45 and later)",
			    w, fmt[i].dipb, fmt[i].flag);
		free(what);
		free(v);
	}
	git_config_free(cfg);
	return err;
}

/* dir/.git, allocated: the repository dipb init makes or finds in dir. */
static char *
dotgit_name(const char *dir)
{
	return xasprintf("%s/.git", dir);
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
	char *git = dotgit_name(dir);

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

/*
 * 1 when name is pre followed by the id of a process no longer there,
 * then by tail characters, the first a dot when there are any.
 */
static int
left_by_dead(const char *name, const char *pre, size_t tail)
{
	size_t len = strlen(pre), digits;
	const char *n = name + len;

	if (strncmp(name, pre, len) != 0)
		return 0;
	digits = strspn(n, "0123456789");
	return n[0] >= '1' && n[0] <= '9' && digits <= 9 &&
	    strlen(n + digits) == tail && (tail == 0 || n[digits] == '.') &&
	    kill((pid_t)atol(n), 0) == -1 && errno == ESRCH;
}

/*
 * Warns of what a dipb init killed left in r's working tree:
 * .git.dipb-new-PID.XXXXXX, the .git it was making (init_claim),
 * .git.dipb-probe-PID.XXXXXX, the folder it tried its file system's
 * rename in (noreplace_refused), and .git.dipb-unmade-PID, the .git it
 * was taking back (take_back), PID a process no longer there.
 * dipb removes nothing it cannot prove it made, and a folder of that
 * name may be the user's: the user removes it (dipb-init(1)).
 */
static void
stale_warn(struct dipb_repo *r)
{
	static const struct {
		const char	*pre;
		size_t		 tail;
		const char	*doing;
	} left[] = {
		{ ".git" NEW_SUFFIX, sizeof(UNIQUE_TAIL) - 1, "made its .git" },
		{ ".git" PROBE_SUFFIX, sizeof(UNIQUE_TAIL) - 1,
		    "tried its file system's rename" },
		{ ".git" UNMADE_SUFFIX, 0, "took its .git back" },
	};
	struct dirent *e;
	size_t i;
	DIR *d;

	if (r->workdir == NULL || (d = opendir(r->workdir)) == NULL)
		return;
	while ((e = readdir(d)) != NULL)
		for (i = 0; i < sizeof(left) / sizeof(left[0]); i++)
			if (left_by_dead(e->d_name, left[i].pre,
			    left[i].tail))
				dipb_git_warn(r, "'%s%s' is what a dipb init "
				    "killed as it %s leaves: remove it unless "
				    "it is yours", r->workdir, e->d_name,
				    left[i].doing);
	closedir(d);
}

/*
 * Takes back what made says was made: its .git, then its folders,
 * deepest first, each only while empty; made is then empty.  The .git is
 * first renamed away, at once: another dipb init that opens it by name
 * from then on finds none, and makes no lock or file in a half-removed
 * one (dipb_repo_unmake).
 */
static void
take_back(struct dipb_git_made *made)
{
	char *gone;
	size_t i;

	if (made->git != NULL) {
		gone = xasprintf("%s" UNMADE_SUFFIX "%ld", made->git,
		    (long)getpid());
		remove_tree(AT_FDCWD, rename(made->git, gone) == 0 ? gone :
		    made->git);
		free(gone);
	}
	for (i = made->dirs.n; i > 0; i--)
		(void)rmdir(made->dirs.v[i - 1]);
	dipb_git_made_release(made);
}

void
dipb_git_made_release(struct dipb_git_made *made)
{
	free(made->git);
	made->git = NULL;
	dipb_strlist_release(&made->dirs);
}

/*
 * The missing parents of path, each folder mkdir(2) made (never one it
 * found, as "new/../old" names one) recorded in *made: 0, else -1 with
 * errno.
 */
static int
parents_made(struct dipb_git_made *made, char *path)
{
	char *p = path;

	while ((p = strchr(p + 1, '/')) != NULL) {
		*p = '\0';
		if (mkdir(path, 0777) == 0)
			dipb_strlist_push(&made->dirs, path);
		else if (errno != EEXIST)
			return -1;
		*p = '/';
	}
	return 0;
}

/* The folder path opened and flocked: its descriptor, else -1. */
static int
dir_flocked(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd != -1 && flock(fd, LOCK_EX) == -1) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/*
 * renameat2(2) with RENAME_NOREPLACE: from renamed to unless one is
 * there (EEXIST); EINVAL or ENOSYS where the file system or the kernel
 * refuses the flag (NFS, Linux before 3.15).
 */
static int
rename_noreplace(const char *from, const char *to)
{
#ifdef SYS_renameat2
	return (int)syscall(SYS_renameat2, AT_FDCWD, from, AT_FDCWD, to,
	    RENAME_NOREPLACE);
#else
	(void)from;
	(void)to;
	errno = ENOSYS;
	return -1;
#endif
}

/* 1 when the errno e says the file system refuses RENAME_NOREPLACE. */
static int
noreplace_refused_errno(int e)
{
	return e == EINVAL || e == ENOSYS;
}

/*
 * A folder of a name no other has, made of dir and name, the process id,
 * then a dot and six hex digits (UNIQUE_TAIL's length), as mkdtemp(3)
 * makes one but with mkdir(2)'s mode: the umask's, a default ACL's, the
 * setgid bit of a shared group folder, as git init's .git gets them.
 * Its name, else NULL with errno.  Caller frees.
 */
static char *
dir_made_unique(const char *dir, const char *name)
{
	struct timespec now;
	unsigned long seed;
	char *tmp;
	int i;

	clock_gettime(CLOCK_REALTIME, &now);
	seed = (unsigned long)now.tv_nsec ^ (unsigned long)now.tv_sec;
	for (i = 0; i < 100; i++) {
		seed = seed * 6364136223846793005UL + 1442695040888963407UL;
		tmp = xasprintf("%s/%s%ld.%06lx", dir, name, (long)getpid(),
		    (seed >> 40) & 0xffffff);
		if (mkdir(tmp, 0777) == 0)
			return tmp;
		free(tmp);
		if (errno != EEXIST)
			return NULL;
	}
	return NULL;		/* errno EEXIST */
}

/*
 * tmp, a folder made, flocked, then renamed path unless one is there,
 * held in *held: 0, else the errno of what failed, tmp removed again.
 */
static int
tmp_renamed(int *held, const char *tmp, const char *path)
{
	int e;

	if ((*held = dir_flocked(tmp)) != -1) {
		dipb_git_fault("init-temp");
		if (rename_noreplace(tmp, path) == 0)
			return 0;
	}
	e = errno;
	if (*held != -1)
		close(*held);
	*held = -1;
	(void)rmdir(tmp);
	return e;
}

/*
 * dir/.git made (tmp_renamed), else, where the file system refuses
 * RENAME_NOREPLACE, made in place with mkdir(2), as dipb init did before
 * renameat2: from its mkdir to its flock it is there empty and not
 * flocked, and every dipb init there waits for such a .git
 * (noreplace_refused).  0, else the errno of the step that failed.
 */
static int
git_made(int *held, const char *tmp, const char *path)
{
	int e = tmp_renamed(held, tmp, path);

	if (noreplace_refused_errno(e))
		e = mkdir(path, 0777) == 0 ? 0 : errno;
	return e;
}

/*
 * dir with its missing parents (parents_made) and dir/.git, made by dipb
 * before libgit2 fills them, recorded in *made: what libgit2 leaves when
 * it fails part way (a full disk) is then known, and taken back.  A .git
 * found there (made since no_git_there looked) is refused and left.
 * The .git is made as dir/.git.dipb-new-PID, flocked, then renamed .git
 * unless one is there (RENAME_NOREPLACE): it is flocked from the moment
 * it is named .git, and another dipb init waits while it is; an empty
 * .git not flocked is the user's, refused at once (dotgit_in_hand).  The
 * .git made is held open in *held; the caller closes it once the
 * repository is made, or taken back.
 */
static const struct dipb_error *
init_claim(struct dipb_git_made *made, int *held, const char *dir)
{
	const struct dipb_error *err = NULL;
	char *path = dotgit_name(dir), *tmp = NULL;
	int e;

	if (parents_made(made, path) == -1)
		err = dipb_error_from_errno("%s", path);
	else if ((tmp = dir_made_unique(dir, ".git" NEW_SUFFIX)) == NULL)
		err = dipb_error_from_errno("%s/.git" NEW_SUFFIX "%ld"
		    UNIQUE_TAIL, dir, (long)getpid());
	else if ((e = git_made(held, tmp, path)) == 0) {
		made->git = path;
		path = NULL;
		if (*held == -1 && (*held = dir_flocked(made->git)) == -1)
			err = dipb_error_from_errno("%s", made->git);
	} else if (e == EEXIST)
		err = no_git_there(dir);
	else {
		errno = e;
		err = dipb_error_from_errno("%s", path);
	}
	free(tmp);
	free(path);
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

/* What git init would make: init_plan. */
struct init_plan {
	char	*tpl;		/* the template folder, "" for none */
	char	*branch;	/* HEAD's */
	char	*warning;	/* git's (templates not copied), or NULL */
};

static void
plan_release(struct init_plan *p)
{
	free(p->tpl);
	free(p->branch);
	free(p->warning);
}

/*
 * What git init would make at dir, into *p, read before anything is
 * made: the template copied as git copies it (template_read;
 * dipb-git(7)), HEAD the branch the template's HEAD names, else
 * init.defaultBranch of the configuration git reads (config.c) and the
 * template's config, else master, git 2.39's default.  A name git
 * refuses is refused in its words.  Release with plan_release.
 */
static const struct dipb_error *
init_plan(struct init_plan *p, const char *dir)
{
	const struct dipb_error *err;
	git_config *cfg = NULL;
	git_buf b = { 0 };
	char *ref;
	int valid = 0;

	memset(p, 0, sizeof(*p));
	if ((err = dipb_git_config_open(&cfg, NULL, NULL)) != NULL)
		return err;
	if ((err = template_read(&p->tpl, &p->branch, &p->warning, &cfg,
	    dir)) == NULL && p->branch == NULL && git_config_get_string_buf(&b,
	    cfg, "init.defaultbranch") == 0)
		p->branch = xstrdup(b.ptr);
	git_buf_dispose(&b);
	git_error_clear();
	git_config_free(cfg);
	/*
	 * git 2.39 checks refs/heads/<name> as a ref's name, no more: a
	 * branch named "-foo" or "HEAD", which git branch refuses, it makes.
	 */
	ref = p->branch != NULL ? xasprintf("refs/heads/%s", p->branch) : NULL;
	if (err == NULL && ref != NULL &&
	    (git_reference_name_is_valid(&valid, ref) < 0 || !valid))
		err = dipb_error_fmt(DIPB_ERR_GIT, "invalid branch name: "
		    "init.defaultBranch = %s", p->branch);
	git_error_clear();
	free(ref);
	if (err == NULL && p->branch == NULL)
		p->branch = xstrdup("master");
	if (err != NULL)
		plan_release(p);
	return err;
}

/*
 * git init's repository at dir as p plans it, made by libgit2 with its
 * search paths hidden as for open_ext.  *rc is libgit2's result, its
 * error libgit2's last.
 */
static const struct dipb_error *
init_ext(int *rc, git_repository **out, const struct init_plan *p,
    const char *dir)
{
	const struct dipb_error *err;
	git_repository_init_options opts;
	struct dipb_git_paths saved;

	*out = NULL;
	if ((err = dipb_git_paths_hide(&saved)) != NULL)
		return err;
	git_repository_init_options_init(&opts,
	    GIT_REPOSITORY_INIT_OPTIONS_VERSION);
	/* "": libgit2 copies nothing, and writes none of its own files. */
	opts.flags = GIT_REPOSITORY_INIT_MKPATH |
	    GIT_REPOSITORY_INIT_EXTERNAL_TEMPLATE;
	opts.template_path = p->tpl;
	opts.initial_head = p->branch;
	*rc = git_repository_init_ext(out, dir, &opts);
	if ((err = dipb_git_paths_restore(&saved)) != NULL) {
		git_repository_free(*out);
		*out = NULL;
	}
	return err;
}

/*
 * git init's repository made at dir, where git found none, into *out,
 * *made what was made (take_back), *warning git's (init_plan), or NULL;
 * caller frees: refused (init_format_refused, no_git_there, init_plan)
 * before anything is made, and what was made taken back when making it
 * fails part way (dipb-init(1)).
 */
static const struct dipb_error *
init_made(git_repository **out, struct dipb_git_made *made, char **warning,
    const char *dir)
{
	const struct dipb_error *err;
	struct init_plan plan;
	int rc = 0, held = -1;

	*warning = NULL;
	if ((err = init_format_refused()) != NULL ||
	    (err = no_git_there(dir)) != NULL ||
	    (err = init_plan(&plan, dir)) != NULL)
		return err;
	if ((err = init_claim(made, &held, dir)) == NULL) {
		dipb_git_fault("init-claim");
		if ((err = init_ext(&rc, out, &plan, dir)) == NULL && rc < 0)
			err = dipb_error_from_git("cannot make repository "
			    "'%s'", dir);
	}
	if (err != NULL)
		take_back(made);
	else {
		*warning = plan.warning;
		plan.warning = NULL;
	}
	if (held != -1)
		close(held);
	plan_release(&plan);
	return err;
}

/*
 * name in the folder at (path, for messages), and all it holds, given
 * core.sharedRepository's mode as git's adjust_shared_perm gives it
 * (perm.c), never through a symbolic link.
 */
static const struct dipb_error *
shared_tree(const struct dipb_repo *r, int at, const char *name,
    const char *path)
{
	const struct dipb_error *err;
	struct dirent *e;
	struct stat st;
	char *sub;
	DIR *d;
	int fd;

	if ((fd = openat(at, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
	    O_CLOEXEC)) == -1)
		return errno == ELOOP ? NULL :
		    dipb_error_from_errno("%s", path);
	if (fstat(fd, &st) == -1 || !S_ISDIR(st.st_mode)) {
		err = dipb_git_perm_fix(r, path, fd);
		close(fd);
		return err;
	}
	if ((err = dipb_git_perm_fix_dir(r, path, fd, 1)) != NULL ||
	    (d = fdopendir(fd)) == NULL) {
		close(fd);
		return err != NULL ? err : dipb_error_from_errno("%s", path);
	}
	while (err == NULL && (e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		sub = xasprintf("%s/%s", path, e->d_name);
		err = shared_tree(r, dirfd(d), e->d_name, sub);
		free(sub);
	}
	closedir(d);
	return err;
}

/*
 * What git init does under core.sharedRepository (git-config(1)) and
 * libgit2 does not, for the .git dipb init made: each of its folders and
 * files given the setting's mode, and the setting written into its
 * config as git writes it (1, 2 or the octal mode), with
 * receive.denyNonFastforwards (dipb-init(1)).
 */
static const struct dipb_error *
init_shared(struct dipb_repo *r)
{
	const struct dipb_error *err;
	git_config *cfg = NULL;
	char *file, *v;
	int rc;

	if ((err = dipb_git_perm_load(r)) != NULL ||
	    !dipb_git_perm_shared(r))
		return err;
	file = xasprintf("%sconfig", git_repository_path(r->git));
	v = dipb_git_perm_value(r);
	rc = git_config_open_ondisk(&cfg, file);
	if (rc == 0)
		rc = git_config_set_string(cfg, "core.sharedrepository", v);
	if (rc == 0)
		rc = git_config_set_bool(cfg, "receive.denynonfastforwards",
		    1);
	if (rc < 0)
		err = dipb_error_from_git("cannot write '%s'", file);
	git_config_free(cfg);
	free(v);
	free(file);
	if (err == NULL)
		err = shared_tree(r, AT_FDCWD, r->made.git, r->made.git);
	return err;
}

/* One try of dipb_repo_init's at dir: init_try. */
struct init_try {
	const char		*dir;
	git_repository		*git;
	struct dipb_git_found	 how;
	struct dipb_git_made	 made;
	char			*warning;	/* init_made's */
	int			 dotgit;	/* dir/.git, held: -1 none */
	int			 refused;	/* noreplace_refused: -1 not yet */
	const struct dipb_error	*err;		/* why it failed */
};

/*
 * dir/.git opened as it is (O_PATH, never through a link), -1 when there
 * is none: held from before git opens or makes the repository there, it
 * tells whether the one there later is still it (dipb_git_fd_named).
 */
static int
dotgit_open(const char *dir)
{
	char *git = dotgit_name(dir);
	int fd = open(git, O_PATH | O_NOFOLLOW | O_CLOEXEC);

	free(git);
	return fd;
}

/* 1 when dir/.git is still fd, the one dipb init opened. */
static int
dotgit_same(int fd, const char *dir)
{
	char *git = dotgit_name(dir);
	int same = dipb_git_fd_named(fd, git);

	free(git);
	return same;
}

/*
 * 1 when the .git at path, fd as dipb init found it (made.git NULL: not
 * one it made), is gone: taken back by the dipb init that made it, and
 * nothing written in it by this one, which then tries again from the
 * start (dipb-init(1)).  A .git put there since is not this: refused.
 */
static int
found_gone(int fd, const struct dipb_git_made *made, const char *path)
{
	struct stat st;

	return fd != -1 && made->git == NULL && lstat(path, &st) == -1 &&
	    errno == ENOENT;
}

/* found_gone of dir/.git. */
static int
found_gone_in(int fd, const struct dipb_git_made *made, const char *dir)
{
	char *git = dotgit_name(dir);
	int gone = found_gone(fd, made, git);

	free(git);
	return gone;
}

/*
 * dir/.git as an absolute name, from the current folder as it is now, for
 * r->dotgit_path: the .git dipb init opened, which is not the working
 * tree's when core.worktree names another (git-config(1)).
 */
static char *
dotgit_abs(const char *dir)
{
	char *cwd, *git;

	if (dir[0] == '/' || (cwd = getcwd(NULL, 0)) == NULL)
		return dotgit_name(dir);
	git = xasprintf("%s/%s/.git", cwd, dir);
	free(cwd);
	return git;
}

/*
 * 1 when the file system of dir refuses RENAME_NOREPLACE, where another
 * dipb init makes its .git in place, and leaves it empty and not flocked
 * for a moment (init_claim).  Tried in a folder of a name no other has
 * (.git.dipb-probe-PID.XXXXXX, warned of when left: stale_warn), never
 * in the user's; one that cannot be made says nothing: 0.
 */
static int
noreplace_refused(const char *dir)
{
	char *tmp = dir_made_unique(dir, ".git" PROBE_SUFFIX), *a, *b;
	int refused = 0;

	if (tmp == NULL)
		return 0;
	a = xasprintf("%s/a", tmp);
	b = xasprintf("%s/b", tmp);
	if (mkdir(a, 0777) == 0) {
		dipb_git_fault("init-probe");
		refused = rename_noreplace(a, b) == -1 &&
		    noreplace_refused_errno(errno);
		(void)rmdir(a);
		(void)rmdir(b);
	}
	(void)rmdir(tmp);
	free(b);
	free(a);
	free(tmp);
	return refused;
}

/*
 * 1 when t->dir/.git, looked at again, is one another dipb init is
 * making or taking back this moment, to be waited for: flocked
 * (init_claim), or, where the file system refuses RENAME_NOREPLACE, an
 * empty folder (one from its mkdir to its flock); there, when was says
 * none was (come meanwhile); gone, when was says one was.  A .git that is
 * none of these (an empty one the user made) is refused at once
 * (dipb-init(1)).  Whether the file system refuses the flag is tried
 * once (t->refused), not at each wait.
 */
static int
dotgit_in_hand(struct init_try *t, int was)
{
	char *git = dotgit_name(t->dir);
	int fd = open(git, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	int n = 0;
	struct dirent *e;
	DIR *d;

	free(git);
	if (fd == -1)
		return was ? errno == ENOENT : errno != ENOENT;
	if (!was || flock(fd, LOCK_SH | LOCK_NB) == -1) {
		close(fd);
		return 1;	/* come meanwhile, or another's flock */
	}
	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		return 0;
	}
	while ((e = readdir(d)) != NULL)
		n += strcmp(e->d_name, ".") != 0 &&
		    strcmp(e->d_name, "..") != 0;
	closedir(d);
	if (n == 0 && t->refused == -1)
		t->refused = noreplace_refused(t->dir);
	return n == 0 && t->refused;
}

/*
 * How init_try ends when git opened no repository at dir/.git (rc < 0),
 * or one that changed meanwhile (rc 0); fd is dir/.git as first looked
 * at, -1 none.  DIPB_GIT_BUSY, with t->err for the last try, while it
 * changes or another dipb init has it in hand (dotgit_in_hand); else
 * DIPB_GIT_FAILED with the refusal, at once.
 */
static int
init_try_not(struct init_try *t, int fd, int rc)
{
	if (t->err == NULL && rc < 0)
		t->err = rc == GIT_ENOTFOUND ? no_git_there(t->dir) :
		    dipb_git_open_failed(t->dir);
	git_error_clear();
	git_repository_free(t->git);
	t->git = NULL;
	if (fd != -1)
		close(fd);
	if (t->err != NULL && !dotgit_in_hand(t, fd != -1))
		return DIPB_GIT_FAILED;
	if (t->err == NULL)
		t->err = dipb_error_fmt(DIPB_ERR_CHANGED, "'%s/.git' kept "
		    "changing while dipb init looked at it: nothing was made "
		    "(retry)", t->dir);
	dipb_git_fault("init-wait");
	return DIPB_GIT_BUSY;
}

/*
 * The repository at t->dir opened, else made, where git finds none:
 * DIPB_GIT_BUSY, to be tried again, while its .git is one another dipb
 * init has in hand, or changes while it is looked at; t->err says why,
 * for the last try (dipb-init(1)).
 */
static int
init_try(void *arg)
{
	struct init_try *t = arg;
	int rc = -1, fd;

	dipb_error_free(t->err);
	t->err = NULL;
	fd = dotgit_open(t->dir);
	memset(&t->how, 0, sizeof(t->how));
	t->how.start = t->dir;
	if ((t->err = dipb_git_find_checked(&rc, &t->git, &t->how,
	    GIT_REPOSITORY_OPEN_NO_SEARCH, NULL)) != NULL) {
		/* taken back by the other as git read it: waited for */
		if (found_gone_in(fd, &t->made, t->dir))
			return init_try_not(t, fd, rc);
		if (fd != -1)
			close(fd);
		return DIPB_GIT_FAILED;
	}
	if (rc == GIT_ENOTFOUND && fd == -1) {
		git_error_clear();
		if ((t->err = init_made(&t->git, &t->made, &t->warning,
		    t->dir)) != NULL)
			return init_try_not(t, -1, rc);
		rc = 0;
		fd = dotgit_open(t->dir);
	}
	if (rc < 0)
		return init_try_not(t, fd, rc);
	/* git opened dir itself (bare): dipb_git_open says so */
	if (fd == -1 ? !dotgit_in_hand(t, 0) :
	    dotgit_same(fd, t->dir)) {
		t->dotgit = fd;
		dipb_git_fault("init-found");
		return DIPB_GIT_DONE;
	}
	return init_try_not(t, fd, 0);
}

/*
 * dir's repository, found or made (init_try), tried again with backoff
 * while another dipb init makes or takes back its .git (dipb-init(1));
 * *again set when the one found was taken back once found (found_gone).
 */
static const struct dipb_error *
init_found(int *again, struct init_try *t, const char *dir, int retries)
{
	memset(t, 0, sizeof(*t));
	t->dir = dir;
	t->dotgit = -1;
	t->refused = -1;
	if (dipb_git_retry(retries < 0 ? DIPB_GIT_RETRIES : retries,
	    init_try, t) != DIPB_GIT_DONE)
		return t->err;
	/* taken back by the other before git read it (dipb-init(1)) */
	if (t->dotgit == -1 || dotgit_same(t->dotgit, dir))
		return NULL;
	*again = found_gone_in(t->dotgit, &t->made, dir);
	git_repository_free(t->git);
	close(t->dotgit);
	dipb_git_made_release(&t->made);	/* not its own now */
	free(t->warning);
	return dipb_error_fmt(DIPB_ERR_CHANGED, "'%s/.git' was taken away "
	    "while dipb init opened it: nothing was made (retry)", dir);
}

const struct dipb_error *
dipb_repo_init(struct dipb_repo **out, int *again, const char *dir,
    int retries)
{
	const struct dipb_error *err = NULL;
	struct init_try t;
	int fsync_on = 1;

	*out = NULL;
	*again = 0;
	if ((err = dipb_git_dir_empty()) != NULL)
		return err;
	/*
	 * With GIT_DIR or GIT_WORK_TREE set, the repository is the one they
	 * name, as for every other command, and must exist: git init would
	 * make it there, with a working tree dipb would have to guess.
	 */
	if (dipb_git_env_get("GIT_DIR") != NULL ||
	    dipb_git_env_get("GIT_WORK_TREE") != NULL) {
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
		memset(&t, 0, sizeof(t));
		t.dotgit = -1;
		if ((err = dipb_git_find_repo(&t.git, &t.how, NULL)) != NULL) {
			git_libgit2_shutdown();
			if (err->code == DIPB_ERR_NO_REPO &&
			    strstr(err->msg, "(GIT_DIR)") != NULL) {
				dipb_error_free(err);
				err = dipb_error_fmt(DIPB_ERR_NO_REPO, "GIT_DIR "
				    "'%s' is not a git repository: make it with "
				    "git init first",
				    dipb_git_env_get("GIT_DIR"));
			}
			return err;
		}
	} else {
		if ((err = dipb_git_lib_init(&fsync_on)) != NULL)
			return err;
		if ((err = init_found(again, &t, dir, retries)) != NULL) {
			git_libgit2_shutdown();
			return err;
		}
	}
	/*
	 * Taken back without the lock, which needs the repository opened:
	 * what fails here (its configuration, its format, a bare one) is of
	 * the repository as made, and fails every other dipb init's open of
	 * it alike, so none has committed there.
	 */
	if ((err = dipb_git_open(out, t.git, &t.how, 0, fsync_on)) != NULL) {
		*again = found_gone_in(t.dotgit, &t.made, dir);
		take_back(&t.made);
		if (t.dotgit != -1)
			close(t.dotgit);
		free(t.warning);
		return err;
	}
	(*out)->made = t.made;
	(*out)->dotgit = t.dotgit;
	if (t.dotgit != -1)
		(*out)->dotgit_path = dotgit_abs(dir);
	if (t.made.git != NULL && (err = init_shared(*out)) != NULL) {
		dipb_repo_unmake(*out);
		dipb_repo_close(*out);
		*out = NULL;
		free(t.warning);
		return err;
	}
	if (t.warning != NULL)
		dipb_git_warn(*out, "%s", t.warning);
	free(t.warning);
	stale_warn(*out);
	if ((err = dipb_repo_check_no_board(*out)) != NULL) {
		*again = dipb_repo_init_gone(*out);
		dipb_repo_close(*out);
		*out = NULL;
		return err;
	}
	dipb_git_fault("init");
	return NULL;
}

const struct dipb_error *
dipb_git_dotgit_changed(const struct dipb_repo *r, int gone_too)
{
	struct stat st;

	if (r->dotgit == -1 || dipb_git_fd_named(r->dotgit, r->dotgit_path) ||
	    (!gone_too && lstat(r->dotgit_path, &st) == -1 &&
	    errno == ENOENT))
		return NULL;
	return dipb_error_fmt(DIPB_ERR_CHANGED, "'%s' is no longer the "
	    "repository dipb init opened: it was taken away and another put "
	    "there; nothing was written (retry)", r->dotgit_path);
}

int
dipb_repo_init_gone(const struct dipb_repo *r)
{
	return r != NULL && r->dotgit_path != NULL &&
	    found_gone(r->dotgit, &r->made, r->dotgit_path);
}

const struct dipb_error *
dipb_repo_check_no_board(struct dipb_repo *r)
{
	const struct dipb_error *err;
	git_oid id;
	int found = 0;

	if ((err = dipb_git_dotgit_changed(r, 1)) != NULL)
		return err;
	if ((err = dipb_git_tree_blob(&id, NULL, &found, r,
	    DIPB_BOARD_FILE)) == NULL && found)
		err = dipb_error_fmt(DIPB_ERR_EXISTS,
		    "already a board repository: '%s'", r->workdir);
	return err;
}

/*
 * Another dipb init of the same folder may have found the .git this one
 * made, and committed its board there: under the lock, a branch still
 * unborn is this one's to take back; a born one, or a lock not had
 * (busy), is left as it is (dipb-init(1)).
 */
void
dipb_repo_unmake(struct dipb_repo *r)
{
	const struct dipb_error *err;
	char tip[41];
	int held;

	if (r == NULL || (r->made.git == NULL && r->made.dirs.n == 0))
		return;
	held = dipb_repo_locked(r);
	if ((err = dipb_repo_begin(r)) == NULL &&
	    (err = dipb_git_load_head(r)) == NULL) {
		dipb_repo_tip(tip, r);
		if (tip[0] == '\0' && (r->dotgit == -1 ||
		    dipb_git_fd_named(r->dotgit, r->dotgit_path)))
			take_back(&r->made);
	}
	dipb_error_free(err);
	dipb_git_made_release(&r->made);
	if (!held)
		dipb_repo_end(r);
}

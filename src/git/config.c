/*
 * git/config.c - the configuration as git 2.39 reads it: the files of
 * every level git reads, and the command line's values.
 *
 * libgit2 1.5 reads the system, xdg, global and local files only: it
 * ignores GIT_CONFIG_SYSTEM, GIT_CONFIG_NOSYSTEM and GIT_CONFIG_GLOBAL,
 * has no per-worktree level (config.worktree under
 * extensions.worktreeConfig), and knows nothing of the values of
 * 'git -c' (GIT_CONFIG_PARAMETERS, which git exports to the commands an
 * alias runs) or of GIT_CONFIG_COUNT.  So dipb builds the configuration
 * git would read, level by level, and gives it to the repository
 * (git_repository_set_config): dipb's own readers (identity, refs) and
 * libgit2's (filters, attributes, core.*) see the same values as git.
 * See dipb-git(7), "The repository, the working tree and the
 * configuration".
 *
 * The levels, lowest first, as git-config(1) lists them: system
 * (GIT_CONFIG_SYSTEM, or /etc/gitconfig; none under GIT_CONFIG_NOSYSTEM),
 * xdg and global ($XDG_CONFIG_HOME/git/config, ~/.gitconfig; both
 * replaced by GIT_CONFIG_GLOBAL), local (the common git dir's config),
 * worktree, and the command line, highest.  The files are parsed by
 * libgit2 (includes and includeIf as libgit2 1.5 knows them); the
 * command line's values live in a small read-only backend of their own
 * (include/git2/sys/config.h): reading costs no file and no process.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <git2/sys/config.h>

#include "internal.h"
#include "../error.h"
#include "../util.h"

/* ---- the command line's values: a read-only backend --------------- */

/*
 * What the backend hands libgit2: from libgit2 1.8 an entry and its free
 * function side by side, before it the entry, which held its free.
 */
#if DIPB_LIBGIT2_AT_LEAST(1, 8)
typedef git_config_backend_entry cmdline_entry;
#define ENTRY(e)	(&(e)->entry)
#else
typedef git_config_entry cmdline_entry;
#define ENTRY(e)	(e)
#endif

struct cmdline {
	git_config_backend	 parent;
	git_config_level_t	 level;
	cmdline_entry		*v;	/* names normalised, as libgit2 asks */
	size_t			 n;
	size_t			 cap;
};

struct cmdline_iter {
	git_config_iterator	 parent;
	size_t			 next;
};

/* Entries belong to the backend: libgit2's free of one does nothing. */
static void
entry_keep(cmdline_entry *e)
{
	(void)e;
}

static void
cmdline_push(struct cmdline *c, const char *name, const char *value)
{
	cmdline_entry *e;

	xgrow((void **)&c->v, &c->cap, c->n + 1, sizeof(*c->v));
	e = &c->v[c->n++];
	memset(e, 0, sizeof(*e));
	ENTRY(e)->name = xstrdup(name);
	ENTRY(e)->value = value != NULL ? xstrdup(value) : NULL;
	e->free = entry_keep;
}

static int
cmdline_open(git_config_backend *b, git_config_level_t level,
    const git_repository *repo)
{
	struct cmdline *c = (struct cmdline *)b;
	size_t i;

	(void)repo;
	c->level = level;
	for (i = 0; i < c->n; i++)
		ENTRY(&c->v[i])->level = level;
	return 0;
}

/* The last value wins, as in a file. */
static int
cmdline_get(git_config_backend *b, const char *key, cmdline_entry **out)
{
	struct cmdline *c = (struct cmdline *)b;
	size_t i;

	for (i = c->n; i > 0; i--)
		if (strcmp(ENTRY(&c->v[i - 1])->name, key) == 0) {
			*out = &c->v[i - 1];
			return 0;
		}
	return GIT_ENOTFOUND;
}

static int
cmdline_readonly(void)
{
	git_error_set_str(GIT_ERROR_CONFIG,
	    "the command line's configuration cannot be changed");
	return -1;
}

static int
cmdline_set(git_config_backend *b, const char *key, const char *value)
{
	(void)b;
	(void)key;
	(void)value;
	return cmdline_readonly();
}

static int
cmdline_set_multivar(git_config_backend *b, const char *name,
    const char *regexp, const char *value)
{
	(void)b;
	(void)name;
	(void)regexp;
	(void)value;
	return cmdline_readonly();
}

static int
cmdline_del(git_config_backend *b, const char *key)
{
	(void)b;
	(void)key;
	return cmdline_readonly();
}

static int
cmdline_del_multivar(git_config_backend *b, const char *key,
    const char *regexp)
{
	(void)b;
	(void)key;
	(void)regexp;
	return cmdline_readonly();
}

static int
cmdline_iter_next(cmdline_entry **out, git_config_iterator *it)
{
	struct cmdline_iter *ci = (struct cmdline_iter *)it;
	struct cmdline *c = (struct cmdline *)it->backend;

	if (ci->next >= c->n)
		return GIT_ITEROVER;
	*out = &c->v[ci->next++];
	return 0;
}

static void
cmdline_iter_free(git_config_iterator *it)
{
	free(it);
}

static int
cmdline_iterator(git_config_iterator **out, git_config_backend *b)
{
	struct cmdline_iter *ci = xcalloc(1, sizeof(*ci));

	ci->parent.backend = b;
	ci->parent.next = cmdline_iter_next;
	ci->parent.free = cmdline_iter_free;
	*out = &ci->parent;
	return 0;
}

static int
cmdline_lock(git_config_backend *b)
{
	(void)b;
	return cmdline_readonly();
}

static int
cmdline_unlock(git_config_backend *b, int success)
{
	(void)b;
	(void)success;
	return cmdline_readonly();
}

static void
cmdline_free(git_config_backend *b)
{
	struct cmdline *c = (struct cmdline *)b;
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->n; i++) {
		free((char *)ENTRY(&c->v[i])->name);
		free((char *)ENTRY(&c->v[i])->value);
	}
	free(c->v);
	free(c);
}

static struct cmdline *cmdline_new(void);

/* A snapshot is a copy: the values never change. */
static int
cmdline_snapshot(git_config_backend **out, git_config_backend *b)
{
	struct cmdline *c = (struct cmdline *)b, *s = cmdline_new();
	size_t i;

	for (i = 0; i < c->n; i++)
		cmdline_push(s, ENTRY(&c->v[i])->name, ENTRY(&c->v[i])->value);
	*out = &s->parent;
	return 0;
}

static struct cmdline *
cmdline_new(void)
{
	struct cmdline *c = xcalloc(1, sizeof(*c));

	/* Fails only for a version other than the one compiled in. */
	if (git_config_init_backend(&c->parent,
	    GIT_CONFIG_BACKEND_VERSION) < 0)
		dipb_abort("libgit2 refuses its own config backend version");
	c->parent.readonly = 1;
	c->parent.open = cmdline_open;
	c->parent.get = cmdline_get;
	c->parent.set = cmdline_set;
	c->parent.set_multivar = cmdline_set_multivar;
	c->parent.del = cmdline_del;
	c->parent.del_multivar = cmdline_del_multivar;
	c->parent.iterator = cmdline_iterator;
	c->parent.snapshot = cmdline_snapshot;
	c->parent.lock = cmdline_lock;
	c->parent.unlock = cmdline_unlock;
	c->parent.free = cmdline_free;
	return c;
}

/* ---- parsing GIT_CONFIG_PARAMETERS and GIT_CONFIG_COUNT ---------- */

/*
 * key normalised as git's config_parse_key and libgit2 agree: the
 * section and the variable name in lower case, a subsection as it is;
 * NULL when key is no valid name.  Caller frees.
 */
static char *
normalise_key(const char *key)
{
	const char *dot1 = strchr(key, '.'), *dotn = strrchr(key, '.');
	char *out, *p;

	if (dot1 == NULL || dot1 == key || dotn[1] == '\0' ||
	    !isalpha((unsigned char)dotn[1]))
		return NULL;
	for (p = (char *)key; p < dot1; p++)
		if (!isalnum((unsigned char)*p) && *p != '-')
			return NULL;
	for (p = (char *)dotn + 1; *p != '\0'; p++)
		if (!isalnum((unsigned char)*p) && *p != '-')
			return NULL;
	if (strchr(key, '\n') != NULL)
		return NULL;
	out = xstrdup(key);
	for (p = out; p < out + (dot1 - key); p++)
		*p = (char)tolower((unsigned char)*p);
	for (p = out + (dotn - key) + 1; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	return out;
}

static const struct dipb_error *
add_pair(struct cmdline *c, const char *key, const char *value,
    const char *from)
{
	char *name = normalise_key(key);

	if (name == NULL)
		return dipb_error_fmt(DIPB_ERR_USAGE,
		    "invalid configuration key in %s: '%s'", from, key);
	cmdline_push(c, name, value);
	free(name);
	return NULL;
}

/*
 * One single-quoted word of s (git's sq_dequote_step): 'it'\''s' is
 * "it's".  Dequotes in place; *next is where the word ended (NULL at
 * the end of s).  NULL when s holds no such word.
 */
static char *
sq_word(char *s, char **next)
{
	char *dst = s, *src = s;

	if (*src != '\'')
		return NULL;
	for (;;) {
		char ch = *++src;

		if (ch == '\0')
			return NULL;
		if (ch != '\'') {
			*dst++ = ch;
			continue;
		}
		switch (*++src) {
		case '\0':
			*dst = '\0';
			*next = NULL;
			return s;
		case '\\':
			if ((src[1] == '\'' || src[1] == '!') && src[2] == '\'') {
				*dst++ = src[1];
				src += 2;
				continue;
			}
			/* FALLTHROUGH */
		default:
			*dst = '\0';
			*next = src;
			return s;
		}
	}
}

/*
 * GIT_CONFIG_PARAMETERS as git writes it for 'git -c': a list of
 * 'key'='value' (or 'key'= for a bare true, or the older 'key=value'),
 * single-quoted, separated by spaces.
 */
static const struct dipb_error *
parse_parameters(struct cmdline *c, const char *env)
{
	static const char from[] = "GIT_CONFIG_PARAMETERS";
	const struct dipb_error *err = NULL;
	char *buf = xstrdup(env), *cur = buf, *key, *value, *eq;

	while (err == NULL && cur != NULL && *cur != '\0') {
		if ((key = sq_word(cur, &cur)) == NULL)
			goto bogus;
		if (cur == NULL || isspace((unsigned char)*cur)) {
			/* 'key=value', or 'key' alone: true */
			if ((eq = strchr(key, '=')) != NULL)
				*eq = '\0';
			err = add_pair(c, key, eq != NULL ? eq + 1 : NULL, from);
		} else if (*cur == '=') {
			cur++;
			if (*cur == '\'') {
				value = sq_word(cur, &cur);
				if (value == NULL || (cur != NULL &&
				    !isspace((unsigned char)*cur)))
					goto bogus;
			} else if (*cur == '\0' || isspace((unsigned char)*cur))
				value = NULL;
			else
				goto bogus;
			err = add_pair(c, key, value, from);
		} else
			goto bogus;
		while (cur != NULL && isspace((unsigned char)*cur))
			cur++;
	}
	free(buf);
	return err;
bogus:
	free(buf);
	return dipb_error_fmt(DIPB_ERR_USAGE, "bogus format in %s: '%s'",
	    from, env);
}

/* GIT_CONFIG_COUNT and its GIT_CONFIG_KEY_<n>, GIT_CONFIG_VALUE_<n>. */
static const struct dipb_error *
parse_count(struct cmdline *c, const char *env)
{
	const struct dipb_error *err = NULL;
	const char *key, *value;
	char name[40], *end;
	unsigned long count, i;

	errno = 0;
	count = strtoul(env, &end, 10);
	if (*end != '\0' || errno != 0)
		return dipb_error_fmt(DIPB_ERR_USAGE,
		    "bogus count in GIT_CONFIG_COUNT: '%s'", env);
	if (count > INT_MAX)
		return dipb_error_fmt(DIPB_ERR_USAGE,
		    "too many entries in GIT_CONFIG_COUNT: '%s'", env);
	for (i = 0; i < count && err == NULL; i++) {
		snprintf(name, sizeof(name), "GIT_CONFIG_KEY_%lu", i);
		if ((key = getenv(name)) == NULL)
			return dipb_error_fmt(DIPB_ERR_USAGE,
			    "missing config key %s", name);
		snprintf(name, sizeof(name), "GIT_CONFIG_VALUE_%lu", i);
		if ((value = getenv(name)) == NULL)
			return dipb_error_fmt(DIPB_ERR_USAGE,
			    "missing config value %s", name);
		err = add_pair(c, key, value, "GIT_CONFIG_COUNT");
	}
	return err;
}

/* ---- the levels ---------------------------------------------------- */

/*
 * An environment variable as git_env_bool reads it: *out def when unset;
 * an error when it is no boolean.
 */
static const struct dipb_error *
env_bool(int *out, const char *name, int def)
{
	const char *v = getenv(name);

	*out = def;
	if (v == NULL)
		return NULL;
	if (git_config_parse_bool(out, v) < 0) {
		git_error_clear();
		return dipb_error_fmt(DIPB_ERR_USAGE,
		    "bad boolean environment value '%s' for '%s'", v, name);
	}
	return NULL;
}

/*
 * The file of level as dipb_git_config_open reads it (git-config(1),
 * FILES), NULL for none: the command line's, the repository's without
 * one, the global ones without HOME.  Caller frees.
 */
static char *
level_file(int level, git_repository *git)
{
	const char *v, *home = getenv("HOME");

	switch (level) {
	case DIPB_GIT_CONFIG_SYSTEM:
		v = getenv("GIT_CONFIG_SYSTEM");
		return xstrdup(v != NULL ? v : "/etc/gitconfig");
	case DIPB_GIT_CONFIG_XDG:
		if ((v = getenv("XDG_CONFIG_HOME")) != NULL && v[0] != '\0')
			return xasprintf("%s/git/config", v);
		return home != NULL ? xasprintf("%s/.config/git/config",
		    home) : NULL;
	case DIPB_GIT_CONFIG_GLOBAL:
		if ((v = getenv("GIT_CONFIG_GLOBAL")) != NULL)
			return xstrdup(v);
		return home != NULL ? xasprintf("%s/.gitconfig", home) : NULL;
	case DIPB_GIT_CONFIG_LOCAL:
		return git != NULL ? xasprintf("%sconfig",
		    git_repository_commondir(git)) : NULL;
	case DIPB_GIT_CONFIG_WORKTREE:
		return git != NULL ? xasprintf("%sconfig.worktree",
		    git_repository_path(git)) : NULL;
	default:
		return NULL;
	}
}

char *
dipb_git_config_origin(const git_config_entry *e, git_repository *git)
{
	char *file, *s;

	if ((int)e->level == DIPB_GIT_CONFIG_COMMAND)
		return xstrdup("on the command line (git -c, "
		    "GIT_CONFIG_PARAMETERS or GIT_CONFIG_COUNT)");
	if ((file = level_file((int)e->level, git)) == NULL)
		return xstrdup("in the git configuration");
	/* libgit2 1.5 keeps the including file's level, not the path. */
	s = e->include_depth > 0 ? xasprintf("in a file that '%s' includes",
	    file) : xasprintf("in '%s'", file);
	free(file);
	return s;
}

char *
dipb_git_config_unset_cmd(const git_config_entry *e, git_repository *git,
    const char *key)
{
	char *file, *arg, *cmd;

	/* Set on the command line, or in an included file unnamed. */
	if ((int)e->level == DIPB_GIT_CONFIG_COMMAND || e->include_depth > 0)
		return NULL;
	switch ((int)e->level) {
	case DIPB_GIT_CONFIG_SYSTEM:
		return xasprintf("git config --system --unset %s", key);
	case DIPB_GIT_CONFIG_GLOBAL:
		return xasprintf("git config --global --unset %s", key);
	case DIPB_GIT_CONFIG_LOCAL:
		return xasprintf("git config --unset %s", key);
	case DIPB_GIT_CONFIG_WORKTREE:
		return xasprintf("git config --worktree --unset %s", key);
	default:
		/* XDG's: --global writes ~/.gitconfig when there is one. */
		if ((file = level_file((int)e->level, git)) == NULL)
			return NULL;
		arg = dipb_sh_quote(file);
		cmd = xasprintf("git config --file %s --unset %s", arg, key);
		free(arg);
		free(file);
		return cmd;
	}
}

const struct dipb_error *
dipb_git_config_bool(int *out, git_config *cfg, git_repository *git,
    const char *key, int def)
{
	const struct dipb_error *err = NULL;
	git_config_iterator *it = NULL;
	git_config_entry *e;
	char *bad = NULL, *name = NULL, *where = NULL;
	int bad_level = 0, b, rc;

	*out = def;
	if (cfg == NULL)
		return NULL;
	/*
	 * git parses each value as it reads it, one level after the other
	 * from the lowest, and dies at the first that is no boolean, even
	 * one a later level overrides; libgit2 goes from the highest.
	 */
	if (git_config_multivar_iterator_new(&it, cfg, key, NULL) < 0) {
		err = dipb_error_from_git("cannot read %s", key);
		goto done;
	}
	while ((rc = git_config_next(&e, it)) == 0) {
		if (git_config_parse_bool(&b, e->value) == 0)
			continue;
		git_error_clear();
		if (bad != NULL && (int)e->level >= bad_level)
			continue;
		free(bad);
		free(name);
		free(where);
		bad = xstrdup(e->value != NULL ? e->value : "");
		name = xstrdup(e->name);
		where = dipb_git_config_origin(e, git);
		bad_level = (int)e->level;
	}
	if (rc != GIT_ITEROVER)
		err = dipb_error_from_git("cannot read %s", key);
	else if (bad != NULL)
		err = dipb_error_fmt(DIPB_ERR_USAGE, "bad boolean config value "
		    "'%s' for '%s' %s (git refuses it too): set it to true or "
		    "false", bad, name, where);
	else if ((rc = git_config_get_bool(out, cfg, key)) < 0) {
		*out = def;
		if (rc != GIT_ENOTFOUND)
			err = dipb_error_from_git("cannot read %s", key);
	}
done:
	git_error_clear();
	git_config_iterator_free(it);
	free(bad);
	free(name);
	free(where);
	return err;
}

const struct dipb_error *
dipb_git_repo_bool(int *out, struct dipb_repo *r, const char *key, int def)
{
	const struct dipb_error *err;
	git_config *cfg = NULL;

	if ((err = dipb_git_config_open(&cfg, r->git, &r->format)) != NULL)
		return err;
	err = dipb_git_config_bool(out, cfg, r->git, key, def);
	git_config_free(cfg);
	return err;
}

/*
 * Adds the file at path as level of cfg.  A missing file is added too:
 * libgit2 reads it if it appears while the repository is open.  One the
 * user may not read (EACCES) is skipped when global or xdg, as git 2.39
 * skips it; any other level's, or any other failure, is refused in
 * git's words ("unable to access '/etc/gitconfig': Permission
 * denied"), as git refuses it.  access(2) decides, as for git: a file
 * stat(2) reaches may still be one the user cannot open.
 */
static const struct dipb_error *
add_file(git_config *cfg, const char *path, int level,
    const git_repository *repo)
{
	if (path == NULL || path[0] == '\0')
		return NULL;
	if (access(path, R_OK) == -1 && errno != ENOENT && errno != ENOTDIR) {
		if (errno == EACCES && (level == DIPB_GIT_CONFIG_GLOBAL ||
		    level == DIPB_GIT_CONFIG_XDG))
			return NULL;
		return dipb_error_from_errno("unable to access '%s'", path);
	}
	git_error_clear();	/* a message of libgit2's is its own */
	if (git_config_add_file_ondisk(cfg, path, (git_config_level_t)level,
	    repo, 0) < 0)
		return dipb_error_from_git("cannot read the configuration "
		    "file '%s'", path);
	return NULL;
}

const struct dipb_error *
dipb_git_config_open(git_config **out, git_repository *git,
    struct dipb_git_format *fmt)
{
	const struct dipb_error *err = NULL;
	struct cmdline *cl = NULL;
	git_config *cfg = NULL;
	const char *v;
	char *path = NULL;
	int nosystem;

	*out = NULL;
	if (git_config_new(&cfg) < 0)
		return dipb_error_from_git("cannot make a configuration");
	if ((err = env_bool(&nosystem, "GIT_CONFIG_NOSYSTEM", 0)) != NULL)
		goto done;
	if (!nosystem) {
		path = level_file(DIPB_GIT_CONFIG_SYSTEM, git);
		if ((err = add_file(cfg, path, DIPB_GIT_CONFIG_SYSTEM, git)) !=
		    NULL)
			goto done;
		free(path);
		path = NULL;
	}
	/* GIT_CONFIG_GLOBAL replaces both xdg and global. */
	if (getenv("GIT_CONFIG_GLOBAL") == NULL) {
		path = level_file(DIPB_GIT_CONFIG_XDG, git);
		if ((err = add_file(cfg, path, DIPB_GIT_CONFIG_XDG, git)) !=
		    NULL)
			goto done;
		free(path);
	}
	path = level_file(DIPB_GIT_CONFIG_GLOBAL, git);
	if ((err = add_file(cfg, path, DIPB_GIT_CONFIG_GLOBAL, git)) != NULL)
		goto done;
	free(path);
	path = NULL;
	if (git != NULL) {
		path = level_file(DIPB_GIT_CONFIG_LOCAL, git);
		if ((err = add_file(cfg, path, DIPB_GIT_CONFIG_LOCAL, git)) !=
		    NULL)
			goto done;
		if (!fmt->read &&
		    (err = dipb_git_format_read(fmt, cfg, path)) != NULL)
			goto done;
		free(path);
		path = NULL;
		if (fmt->worktree_config) {
			path = level_file(DIPB_GIT_CONFIG_WORKTREE, git);
			if ((err = add_file(cfg, path,
			    DIPB_GIT_CONFIG_WORKTREE, git)) != NULL)
				goto done;
			free(path);
			path = NULL;
		}
	}
	/* git reads GIT_CONFIG_COUNT's first: 'git -c' wins over it. */
	cl = cmdline_new();
	if ((v = getenv("GIT_CONFIG_COUNT")) != NULL &&
	    (err = parse_count(cl, v)) != NULL)
		goto done;
	if ((v = getenv("GIT_CONFIG_PARAMETERS")) != NULL &&
	    (err = parse_parameters(cl, v)) != NULL)
		goto done;
	if (cl->n > 0) {
		if (git_config_add_backend(cfg, &cl->parent,
		    (git_config_level_t)DIPB_GIT_CONFIG_COMMAND, git, 0) < 0) {
			err = dipb_error_from_git("cannot add the command "
			    "line's configuration");
			goto done;
		}
		cl = NULL;	/* the configuration frees it */
	}
done:
	free(path);
	if (cl != NULL)
		cmdline_free(&cl->parent);
	if (err != NULL) {
		git_config_free(cfg);
		return err;
	}
	*out = cfg;
	return NULL;
}

/* ---- the repository format: its own config file, in one pass ------ */

/*
 * git 2.39 reads the repository format (core.repositoryformatversion and
 * extensions.*, setup.c read_repository_format) from the common config
 * file alone: not from the files it includes (include.path, includeIf),
 * not from any other level.  So the entries of the format are that
 * file's own, include_depth 0; the rest of the configuration is read
 * with its includes.  See dipb-git(7), "Repository formats".
 */

/*
 * Extension e of the common config file (named file), which git 2.39
 * reads as a boolean (git_config_bool), into *on: a value that is none
 * makes git die before it does anything ("bad boolean config value"),
 * and dipb refuses with it rather than take it as off (dipb-git(7),
 * "Repository formats").
 */
static const struct dipb_error *
extension_bool(int *on, const git_config_entry *e, const char *file)
{
	if (git_config_parse_bool(on, e->value) == 0)
		return NULL;
	git_error_clear();
	*on = 0;
	return dipb_error_fmt(DIPB_ERR_NO_REPO, "bad boolean config value "
	    "'%s' for '%s' in '%s' (git refuses this repository too); dipb "
	    "changes nothing here", e->value, e->name, file);
}

/* What git 2.39 knows of an extension of a version 0 or 1 repository. */
static int
extension_known(const char *name)
{
	static const char *const v0[] = { "noop", "preciousobjects",
	    "partialclone", "worktreeconfig" };
	size_t i;

	for (i = 0; i < sizeof(v0) / sizeof(v0[0]); i++)
		if (strcmp(name, v0[i]) == 0)
			return 0;
	if (strcmp(name, "objectformat") == 0 || strcmp(name, "noop-v1") == 0)
		return 1;	/* version 1 only */
	return -1;
}

/*
 * core.repositoryformatversion as git_config_int reads it: a number of
 * libgit2's (base 0, a k, m or g factor), whose size git takes up to
 * INT_MAX either way: INT32_MIN is out of its range.
 */
static const struct dipb_error *
format_version(int32_t *version, const git_config_entry *e,
    const char *file)
{
	if (e->value != NULL && git_config_parse_int32(version, e->value) ==
	    0 && *version != INT32_MIN)
		return NULL;
	git_error_clear();
	return dipb_error_fmt(DIPB_ERR_NO_REPO, "invalid "
	    "core.repositoryformatversion '%s' in '%s' (git refuses this "
	    "repository too); dipb changes nothing here",
	    e->value != NULL ? e->value : "", file);
}

/*
 * One entry of the file's own, into fmt as git's check_repo_format
 * takes it; what git dies of as it reads it is the error.
 */
static const struct dipb_error *
format_entry(struct dipb_git_format *fmt, const git_config_entry *e,
    const char *file)
{
	const char *ext;
	int known, on;

	if (strcmp(e->name, "core.repositoryformatversion") == 0)
		return format_version(&fmt->version, e, file);
	/* git reads the working tree's path with the format, and dies of
	 * a core.worktree of no value ("missing value"). */
	if (strcmp(e->name, "core.worktree") == 0 && e->value == NULL)
		return dipb_error_fmt(DIPB_ERR_NO_REPO, "missing value for "
		    "'core.worktree' in '%s' (git refuses this repository "
		    "too); dipb changes nothing here", file);
	if (strncmp(e->name, "extensions.", 11) != 0)
		return NULL;
	ext = e->name + 11;
	if (strcmp(ext, "preciousobjects") == 0)
		return extension_bool(&on, e, file);
	if (strcmp(ext, "worktreeconfig") == 0)
		return extension_bool(&fmt->worktree_config, e, file);
	if (strcmp(ext, "partialclone") == 0) {
		/* The last one is the remote (git would die of none). */
		free(fmt->partial_clone);
		fmt->partial_clone = xstrdup(e->value != NULL ? e->value : "");
		return NULL;
	}
	/* git knows "sha1" and "sha256", so spelt, and no other. */
	if (strcmp(ext, "objectformat") == 0) {
		if (e->value == NULL || (strcmp(e->value, "sha1") != 0 &&
		    strcmp(e->value, "sha256") != 0))
			return dipb_error_fmt(DIPB_ERR_NO_REPO, "invalid value "
			    "for 'extensions.objectformat': '%s' in '%s' (git "
			    "knows 'sha1' and 'sha256' only, and refuses this "
			    "repository too); dipb changes nothing here",
			    e->value != NULL ? e->value : "", file);
		/* Set again, the last value is the format, as for git. */
		snprintf(fmt->object_format, sizeof(fmt->object_format), "%s",
		    e->value);
	}
	known = extension_known(ext);
	if (known == 1 && fmt->v1_only == NULL)
		fmt->v1_only = xstrdup(ext);
	else if (known < 0 && fmt->unknown == NULL)
		fmt->unknown = xstrdup(ext);
	return NULL;
}

void
dipb_git_format_release(struct dipb_git_format *fmt)
{
	free(fmt->partial_clone);
	free(fmt->unknown);
	free(fmt->v1_only);
	dipb_strlist_release(&fmt->names);
	*fmt = (struct dipb_git_format)DIPB_GIT_FORMAT_INIT;
}

const struct dipb_error *
dipb_git_format_read(struct dipb_git_format *fmt, git_config *cfg,
    const char *file)
{
	const struct dipb_error *err = NULL;
	git_config *local = NULL;
	git_config_iterator *it = NULL;
	git_config_entry *e;
	struct dipb_strlist names;
	int rc;

	dipb_git_format_release(fmt);
	fmt->read = 1;
	rc = git_config_open_level(&local, cfg,
	    (git_config_level_t)DIPB_GIT_CONFIG_LOCAL);
	if (rc == GIT_ENOTFOUND) {
		git_error_clear();
		return NULL;
	}
	if (rc < 0)
		return dipb_error_from_git("cannot read the repository's "
		    "configuration");
	if (git_config_iterator_new(&it, local) < 0) {
		git_config_free(local);
		return dipb_error_from_git("cannot read the repository "
		    "format in '%s'", file);
	}
	/* Past git's refusal too: names is for libgit2, which reads on. */
	while ((rc = git_config_next(&e, it)) == 0) {
		if (strncmp(e->name, "extensions.", 11) == 0)
			dipb_strlist_push(&fmt->names, e->name + 11);
		if (e->include_depth == 0 && err == NULL)
			err = format_entry(fmt, e, file);
	}
	if (err == NULL && rc != GIT_ITEROVER)
		err = dipb_error_from_git("cannot read the repository format "
		    "in '%s'", file);
	git_config_iterator_free(it);
	git_config_free(local);
	git_error_clear();
	/*
	 * -1 is git's unset version, and then the format is none at all
	 * (read_repository_format): no extension counts, what git refuses
	 * as it reads them aside.
	 */
	if (fmt->version == -1) {
		names = fmt->names;
		fmt->names = (struct dipb_strlist)DIPB_STRLIST_INIT;
		dipb_git_format_release(fmt);
		fmt->read = 1;
		fmt->names = names;
	}
	/* Nor does git read config.worktree below version 0. */
	if (fmt->version < 0)
		fmt->worktree_config = 0;
	return err;
}

const struct dipb_error *
dipb_git_format_check(const struct dipb_git_format *fmt, const char *file)
{
	if (fmt->version > 1)
		return dipb_error_fmt(DIPB_ERR_NO_REPO, "unsupported repository "
		    "format: core.repositoryformatversion is %d in '%s'; dipb, "
		    "like git 2.39, knows versions 0 and 1 only and changes "
		    "nothing here", (int)fmt->version, file);
	if (fmt->version == 1 && fmt->unknown != NULL)
		return dipb_error_fmt(DIPB_ERR_NO_REPO, "unsupported "
		    "repository extension: extensions.%s in '%s'; dipb "
		    "cannot tell what it changes, and changes nothing here",
		    fmt->unknown, file);
	if (fmt->version == 0 && fmt->v1_only != NULL)
		return dipb_error_fmt(DIPB_ERR_NO_REPO, "unsupported "
		    "repository format: extensions.%s is set in '%s' but "
		    "core.repositoryformatversion is 0 (git refuses this "
		    "repository too); dipb changes nothing here",
		    fmt->v1_only, file);
	if (strcmp(fmt->object_format, "sha1") != 0)
		return dipb_error_fmt(DIPB_ERR_NO_REPO, "unsupported "
		    "repository extension: extensions.objectFormat is '%s' in "
		    "'%s'; dipb reads and writes SHA-1 repositories only, and "
		    "changes nothing here", fmt->object_format, file);
	return NULL;
}

/* ---- safe.directory, safe.bareRepository --------------------------- */

/*
 * git's installation prefix, which "%(prefix)/" names in a path setting
 * (git-config(1), pathname): git 2.39 as Debian and most distributions
 * build it, prefix /usr with no RUNTIME_PREFIX, whose system file is the
 * /etc/gitconfig read above ('git config --type=path' gives "/usr/").
 */
#define GIT_PREFIX	"/usr"

/*
 * value as git 2.39's interpolate_path reads it: "%(prefix)/" is git's
 * prefix, "~/" $HOME, "~user/" that user's home; NULL where git fails
 * (no HOME, no such user).
 */
static char *
interpolate(const char *value)
{
	static const char prefix[] = "%(prefix)/";
	const char *home, *slash;
	char *user;
	struct passwd *pw;

	if (strncmp(value, prefix, sizeof(prefix) - 1) == 0)
		return xasprintf("%s/%s", GIT_PREFIX,
		    value + sizeof(prefix) - 1);
	if (value[0] != '~')
		return xstrdup(value);
	slash = strchr(value, '/');
	if (value[1] == '/' || value[1] == '\0') {
		if ((home = getenv("HOME")) == NULL)
			return NULL;
		return xasprintf("%s%s", home, value + 1);
	}
	user = slash != NULL ? xstrndup(value + 1, (size_t)(slash - value - 1)) :
	    xstrdup(value + 1);
	pw = getpwnam(user);
	free(user);
	if (pw == NULL)
		return NULL;
	return xasprintf("%s%s", pw->pw_dir, slash != NULL ? slash : "");
}

const struct dipb_error *
dipb_git_config_path(char **out, git_config *cfg, const char *name)
{
	const struct dipb_error *err = NULL;
	git_buf v = { 0 };
	int rc;

	*out = NULL;
	if ((rc = git_config_get_string_buf(&v, cfg, name)) == GIT_ENOTFOUND) {
		git_error_clear();
		return NULL;
	}
	if (rc < 0)
		return dipb_error_from_git("cannot read '%s'", name);
	if ((*out = interpolate(v.ptr)) == NULL)
		err = dipb_error_fmt(DIPB_ERR_USAGE, "failed to expand user "
		    "dir in: '%s'", v.ptr);
	git_buf_dispose(&v);
	return err;
}

/*
 * The values of name in git 2.39's protected configuration, which it
 * reads before it knows the repository (git_protected_config): the
 * system, global and command-line levels only, in that order, a value
 * with no '=' as "".  They are read here with no repository: libgit2
 * then follows include.path but matches no includeIf, as git, for there
 * is no git dir or branch to match (nor a remote of the repository's);
 * and the repository's own files, maybe another user's, are never read
 * for them.  libgit2's iterator goes from the highest level down; the
 * values are taken level by level.
 */
static const struct dipb_error *
protected_values(struct dipb_strlist *out, const char *name)
{
	static const int levels[] = { DIPB_GIT_CONFIG_SYSTEM,
	    DIPB_GIT_CONFIG_XDG, DIPB_GIT_CONFIG_GLOBAL,
	    DIPB_GIT_CONFIG_COMMAND };
	const struct dipb_error *err;
	git_config *cfg = NULL;
	git_config_iterator *it = NULL;
	git_config_entry *e;
	struct dipb_strlist vals = DIPB_STRLIST_INIT;
	int *lv = NULL;
	size_t i, k, cap = 0;

	dipb_strlist_init(out);
	if ((err = dipb_git_config_open(&cfg, NULL, NULL)) != NULL)
		return err;
	if (git_config_multivar_iterator_new(&it, cfg, name, NULL) < 0) {
		git_error_clear();
		git_config_free(cfg);
		return NULL;
	}
	while (git_config_next(&e, it) == 0) {
		xgrow((void **)&lv, &cap, vals.n + 1, sizeof(*lv));
		lv[vals.n] = (int)e->level;
		dipb_strlist_push(&vals, e->value != NULL ? e->value : "");
	}
	git_config_iterator_free(it);
	git_config_free(cfg);
	git_error_clear();
	for (k = 0; k < sizeof(levels) / sizeof(levels[0]); k++)
		for (i = 0; i < vals.n; i++)
			if (lv[i] == levels[k])
				dipb_strlist_push(out, vals.v[i]);
	dipb_strlist_release(&vals);
	free(lv);
	return NULL;
}

const struct dipb_error *
dipb_git_config_safe_directory(int *safe, const char *path)
{
	const struct dipb_error *err = NULL;
	struct dipb_strlist vals;
	size_t i;
	char *p;

	/*
	 * "*" trusts every repository, an empty value forgets the ones
	 * before, any other value is compared with the path as it is, once
	 * interpolated; one git cannot interpolate ("~nosuchuser/") makes
	 * git die, whatever the others say.  See dipb-git(7),
	 * safe.directory.
	 */
	*safe = 0;
	if ((err = protected_values(&vals, "safe.directory")) != NULL)
		return err;
	for (i = 0; i < vals.n && err == NULL; i++) {
		if (vals.v[i][0] == '\0')
			*safe = 0;
		else if (strcmp(vals.v[i], "*") == 0)
			*safe = 1;
		else if ((p = interpolate(vals.v[i])) == NULL)
			err = dipb_error_fmt(DIPB_ERR_NO_REPO, "failed to "
			    "expand user dir in: '%s' (safe.directory)",
			    vals.v[i]);
		else {
			if (strcmp(p, path) == 0)
				*safe = 1;
			free(p);
		}
	}
	if (err != NULL)
		*safe = 0;
	dipb_strlist_release(&vals);
	return err;
}

const struct dipb_error *
dipb_git_config_bare_explicit(int *explicit_only)
{
	const struct dipb_error *err = NULL;
	struct dipb_strlist vals;
	size_t i;

	/* The last value counts; git dies on any but these two. */
	*explicit_only = 0;
	if ((err = protected_values(&vals, "safe.bareRepository")) != NULL)
		return err;
	for (i = 0; i < vals.n && err == NULL; i++) {
		if (strcmp(vals.v[i], "explicit") == 0)
			*explicit_only = 1;
		else if (strcmp(vals.v[i], "all") == 0)
			*explicit_only = 0;
		else
			err = dipb_error_fmt(DIPB_ERR_NO_REPO, "bad config "
			    "variable 'safe.barerepository': '%s' (git 2.39 "
			    "knows 'all' and 'explicit')", vals.v[i]);
	}
	dipb_strlist_release(&vals);
	return err;
}

/*
 * git/worktree.c - the working-tree files of a change brought in step.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <git2/sys/filter.h>

#include "internal.h"
#include "../board.h"
#include "../error.h"
#include "../text.h"
#include "../util.h"

/* ---- files ------------------------------------------------------- */

/*
 * Writes path through "<path>.dipb-tmp" and rename: a file of dipb's own
 * in the git folder (the journal), never a working file.  The temporary
 * name is fixed, which is safe under the lock and lets recovery remove a
 * leftover; a working file is written through a name of the process's
 * own instead (checkout_file), as the user's entries live beside it.
 */
const struct dipb_error *
dipb_git_write_atomic(const struct dipb_repo *r, const char *path,
    const char *data, size_t len, int do_fsync)
{
	const struct dipb_error *err;
	char *tmp = xasprintf("%s%s", path, DIPB_GIT_TMP_SUFFIX);

	err = dipb_write_replace_fix(path, tmp, data, len, 0666,
	    do_fsync ? 2 : 0, dipb_git_perm_fix_tmp, r);
	free(tmp);
	return err;
}

/*
 * [p, p + n), a part of a path, names git's own folder as Windows would
 * read it: ".git" or its short name "git~1", with trailing dots or
 * spaces, or an alternate stream of it (".git::$INDEX_ALLOCATION").  git
 * refuses these too wherever core.protectNTFS is on, its default since
 * 2.24.
 */
static int
ntfs_dotgit(const char *p, size_t n)
{
	size_t k;

	if (n >= 4 && strncasecmp(p, ".git", 4) == 0)
		k = 4;
	else if (n >= 5 && strncasecmp(p, "git~1", 5) == 0)
		k = 5;
	else
		return 0;
	while (k < n && (p[k] == '.' || p[k] == ' '))
		k++;
	return k == n || p[k] == ':';
}

/*
 * Whether a component [p, p + n) names it, whole or after a backslash:
 * Windows reads a backslash as '/', so git checks each part -- but for a
 * backslash that begins the component, which git's verify_path() never
 * looks at ("\\.git" is taken, "\\\\.git" is not).
 */
static int
ntfs_dotgit_in(const char *p, size_t n)
{
	const char *bs;
	size_t m, from = 1;

	for (;;) {
		bs = n > from ? memchr(p + from, '\\', n - from) : NULL;
		m = bs != NULL ? (size_t)(bs - p) : n;
		if (ntfs_dotgit(p, m))
			return 1;
		if (bs == NULL)
			return 0;
		p += m + 1;
		n -= m + 1;
		from = 0;
	}
}

/*
 * A path git checks out, as git 2.39's verify_path() judges one on Linux
 * with core.protectNTFS on (its default): relative, '/'-separated, no
 * empty component, no "." or "..", no ".git", nor what Windows reads as
 * it (ntfs_dotgit_in()).  A backslash, a newline or any other byte is
 * taken otherwise, as git takes it: git refuses a backslash itself only
 * where it is built for Windows.
 */
int
dipb_git_path_ok(const char *path)
{
	const char *p = path, *end;
	size_t n;

	if (path[0] == '\0' || path[0] == '/')
		return 0;
	for (;;) {
		end = strchr(p, '/');
		n = end != NULL ? (size_t)(end - p) : strlen(p);
		if (n == 0 || (n == 1 && p[0] == '.') ||
		    (n == 2 && p[0] == '.' && p[1] == '.') ||
		    ntfs_dotgit_in(p, n))
			return 0;
		if (end == NULL)
			return 1;
		p = end + 1;
	}
}

/* ---- links and attributes (dipb-git(7), "Working files and attributes") */

/*
 * Git never writes through a symbolic link on the way to a path (it takes
 * what lies beyond one for outside the working tree, and shows it
 * deleted), and sees a link where a file was as a type change.  dipb
 * neither reads nor writes through one: the link is named, and what to
 * do about it.
 */
/*
 * The refusal of a link at path itself: a file of the tip's is put back
 * with git checkout; where the tip has none (a new record's place), git
 * has nothing to put back, and the link is the user's to move away.
 */
static const struct dipb_error *
link_at(struct dipb_repo *r, const char *path)
{
	const struct dipb_error *err;
	git_oid id;
	int found = 1;
	char *arg;

	if ((err = dipb_git_tree_blob(&id, NULL, &found, r, path)) != NULL) {
		dipb_error_free(err);
		found = 1;
	}
	if (!found)
		return dipb_error_fmt(DIPB_ERR_DIRTY, "%s is a symbolic link, "
		    "and git has no file there to put back: dipb neither reads "
		    "nor writes through one; move it away, then retry", path);
	arg = dipb_repo_path_arg(r, path);
	err = dipb_error_fmt(DIPB_ERR_DIRTY, "%s is a symbolic link: dipb "
	    "neither reads nor writes through one (git sees a type change); "
	    "put the file back with 'git checkout -- %s', or remove the link",
	    path, arg);
	free(arg);
	return err;
}

/*
 * A name the system can make for path's working file: within PATH_MAX
 * from the root (dipb names a folder from the root to write in it; git,
 * working from the top, may write a longer one), and with room in its
 * last part for the temporary it is written through
 * ("<name>.dipb-tmp.<blob id>", within NAME_MAX).  Checked before the
 * change's first object: a change committed whose file cannot be written
 * is one the next command could not finish.  path shown on one line
 * (dipb_text_clean_line): a newline in it would forge a "dipb: ..." line.
 */
static const struct dipb_error *
name_fits(const struct dipb_repo *r, const char *path)
{
	const struct dipb_error *err = NULL;
	const char *base = strrchr(path, '/');
	size_t n = strlen(r->workdir) + strlen(path);
	char *show = dipb_text_clean_line(path);

	base = base != NULL ? base + 1 : path;
	if (n >= PATH_MAX)
		err = dipb_error_fmt(DIPB_ERR_IO, "cannot write %s: its name "
		    "from the root is %zu bytes, past PATH_MAX (%d) from the "
		    "root, which dipb cannot write: nothing was changed; "
		    "clone the board into a folder with a shorter name", show,
		    n, PATH_MAX - 1);
	else if (strlen(base) + sizeof(DIPB_GIT_TMP_SUFFIX) + GIT_OID_HEXSZ >
	    NAME_MAX)
		err = dipb_error_fmt(DIPB_ERR_IO, "cannot write %s: the name "
		    "of the temporary file it is written through would be "
		    "longer than the system's limit (NAME_MAX, %d): nothing "
		    "was changed", show, NAME_MAX);
	free(show);
	return err;
}

const struct dipb_error *
dipb_git_worktree_path_check(struct dipb_repo *r, const char *path)
{
	const struct dipb_error *err = NULL;
	size_t top = strlen(r->workdir);
	char *full = xasprintf("%s%s", r->workdir, path);
	char *p = full + top, *slash, *arg;
	struct stat st;

	if ((err = name_fits(r, path)) != NULL) {
		free(full);
		return err;
	}
	for (;;) {
		if ((slash = strchr(p, '/')) != NULL)
			*slash = '\0';
		if (lstat(full, &st) == -1) {
			/* Nothing there: nothing beyond it to follow. */
			if (errno != ENOENT && errno != ENOTDIR)
				err = dipb_error_from_errno("%s", full);
			break;
		}
		if (S_ISLNK(st.st_mode) && slash == NULL) {
			err = link_at(r, path);
			break;
		}
		/* Committed so, git checkout puts the link back: what to
		 * do is said of the branch (dipb_repo_not_what). */
		if (S_ISLNK(st.st_mode) && dipb_git_tip_mode(r, full + top) ==
		    GIT_FILEMODE_LINK) {
			char *link = dipb_git_tip_link(r, full + top);
			char *what = dipb_repo_not_what(r, full + top,
			    GIT_FILEMODE_LINK, 1, link);

			err = dipb_error_fmt(DIPB_ERR_INVALID, "%s is "
			    "committed as %s", full + top, what);
			free(what);
			free(link);
			break;
		}
		if (S_ISLNK(st.st_mode)) {
			arg = dipb_repo_path_arg(r, full + top);
			err = dipb_error_fmt(DIPB_ERR_DIRTY, "%s is a symbolic "
			    "link: dipb neither reads nor writes %s through it "
			    "(git takes what lies beyond a link for outside the "
			    "working tree); make it a folder again: remove the "
			    "link, then 'git checkout -- %s'", full + top, path,
			    arg);
			free(arg);
			break;
		}
		if (slash == NULL)
			break;
		/* git's checkout would not overwrite it either. */
		if (!S_ISDIR(st.st_mode)) {
			err = dipb_error_fmt(DIPB_ERR_DIRTY, "%s is a file "
			    "where the folder of %s goes: move it away, then "
			    "retry", full + top, path);
			break;
		}
		*slash = '/';
		p = slash + 1;
	}
	free(full);
	return err;
}

/* filter.<name>.<key> from cfg (a snapshot): NULL when unset or empty. */
static char *
filter_command(git_config *cfg, const char *name, const char *key)
{
	const char *v = NULL;
	char *k = xasprintf("filter.%s.%s", name, key), *out = NULL;

	if (git_config_get_string(&v, cfg, k) == 0 && v != NULL &&
	    v[0] != '\0')
		out = xstrdup(v);
	git_error_clear();
	free(k);
	return out;
}

/*
 * The attributes of path that libgit2's filters cannot honour.  A filter
 * driver (filter=<name>) runs filter.<name>.process, .smudge or .clean,
 * commands libgit2 never runs: git would give the command the file, so
 * dipb cannot write or hash it as git does.  A driver with no command
 * changes nothing in git either (the bytes pass as they are), unless
 * filter.<name>.required is set, where git itself refuses.  And
 * working-tree-encoding, which libgit2 does not convert.
 */
const struct dipb_error *
dipb_git_attr_check(struct dipb_repo *r, const char *path)
{
	static const char *const keys[] = { "process", "smudge", "clean" };
	static const char *names[] = { "working-tree-encoding", "filter" };
	const struct dipb_error *err = NULL;
	git_attr_options opts;
	git_config *cfg = NULL;
	const char *v[2] = { NULL, NULL };
	char *name = NULL, *cmd = NULL, *k;
	size_t i;
	int required = 0;

	if ((err = dipb_git_attr_index(r)) != NULL)
		return err;
	/* The default order: the working tree's, then the index's; both
	 * attributes in one lookup (dipb migrate makes one per record). */
	memset(&opts, 0, sizeof(opts));
	opts.version = GIT_ATTR_OPTIONS_VERSION;
	if (git_attr_get_many_ext(v, r->git, &opts, path, 2, names) < 0)
		return dipb_error_from_git("cannot read the attributes of "
		    "'%s'", path);
	if (GIT_ATTR_HAS_VALUE(v[0]) && strcasecmp(v[0], "UTF-8") != 0 &&
	    strcasecmp(v[0], "UTF8") != 0)
		return dipb_error_fmt(DIPB_ERR_GIT, "%s: the attribute "
		    "working-tree-encoding=%s asks for a conversion dipb "
		    "cannot make (libgit2 does not): nothing was changed; "
		    "take dipb's files out of it in .gitattributes "
		    "('%s -working-tree-encoding')", path, v[0], path);
	if (!GIT_ATTR_HAS_VALUE(v[1]))
		return NULL;
	name = xstrdup(v[1]);
	if (git_repository_config_snapshot(&cfg, r->git) < 0) {
		err = dipb_error_from_git("cannot read the configuration");
		goto done;
	}
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]) && cmd == NULL; i++)
		cmd = filter_command(cfg, name, keys[i]);
	if (cmd != NULL) {
		err = dipb_error_fmt(DIPB_ERR_GIT, "%s: the attribute "
		    "filter=%s runs filter.%s.%s ('%s'), a command dipb cannot "
		    "run (libgit2 runs none): nothing was changed; take "
		    "dipb's files out of the filter in .gitattributes ('%s "
		    "-filter'), or unset filter.%s.%s", path, name, name,
		    keys[i - 1], cmd, path, name, keys[i - 1]);
		goto done;
	}
	k = xasprintf("filter.%s.required", name);
	err = dipb_git_config_bool(&required, cfg, r->git, k, 0);
	free(k);
	if (err == NULL && required)
		err = dipb_error_fmt(DIPB_ERR_GIT, "%s: the attribute "
		    "filter=%s names a filter with filter.%s.required set and "
		    "no command, which git itself cannot check out: nothing "
		    "was changed; configure the filter, or take dipb's files "
		    "out of it in .gitattributes ('%s -filter')", path, name,
		    name, path);
done:
	free(cmd);
	free(name);
	git_config_free(cfg);
	return err;
}

const struct dipb_error *
dipb_git_folder_writable(const struct dipb_repo *r, const char *path,
    int out)
{
	const struct dipb_error *err = NULL;
	char *dir = xasprintf("%s%s", r->workdir, path), *slash;
	size_t top = strlen(r->workdir);

	for (;;) {
		if ((slash = strrchr(dir + top, '/')) == NULL)
			dir[top] = '\0';	/* the working tree's top */
		else
			*slash = '\0';
		/* dir is the top itself once cut there (workdir ends in /) */
		if (access(dir, F_OK) == 0 || errno != ENOENT || slash == NULL)
			break;
	}
	if (access(dir, W_OK | X_OK) == -1 && errno != ENOENT)
		err = dipb_error_fmt(DIPB_ERR_IO, "cannot %s '%s' %s the "
		    "folder '%s': %s: a change %s its working file there "
		    "(dipb-git(7), core.sharedRepository)", out ? "move" :
		    "write", path, out ? "out of" : "in",
		    dir[top] != '\0' ? dir + top : ".", strerror(errno),
		    out ? "removes" : "writes");
	free(dir);
	return err;
}

const struct dipb_error *
dipb_git_worktree_check(struct dipb_repo *r, const struct dipb_file *files,
    size_t n)
{
	const struct dipb_error *err = NULL;
	git_filter_list *fl = NULL;
	size_t i;

	for (i = 0; i < n && err == NULL; i++) {
		if ((err = dipb_git_worktree_path_check(r, files[i].path)) !=
		    NULL ||
		    (err = dipb_git_attr_check(r, files[i].path)) != NULL ||
		    (err = dipb_git_folder_writable(r, files[i].path, 0)) !=
		    NULL)
			break;
		/* The filters the change will write through must load. */
		if (git_filter_list_load(&fl, r->git, NULL, files[i].path,
		    GIT_FILTER_TO_WORKTREE, GIT_FILTER_DEFAULT) < 0)
			err = dipb_error_from_git("cannot load the filters of "
			    "'%s'", files[i].path);
		git_filter_list_free(fl);
		fl = NULL;
	}
	return err;
}

/*
 * 1 when a's bytes are a first part of b's, each CR before an LF read as
 * not there, in either (and a CR that ends a: a write cut between the
 * two).  The line ends are all git's own conversions change (core.eol,
 * core.autocrlf, the text and eol attributes), and they may have changed
 * since a killed dipb wrote a: .gitattributes edited meanwhile.
 */
static int
prefix_but_eol(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t i = 0, k = 0;

	for (;;) {
		if (i + 1 < alen && a[i] == '\r' && a[i + 1] == '\n')
			i++;
		if (k + 1 < blen && b[k] == '\r' && b[k + 1] == '\n')
			k++;
		if (i == alen)
			return 1;
		/* Cut short between the CR and the LF of a line end. */
		if (i + 1 == alen && a[i] == '\r' && k < blen && b[k] == '\n')
			return 1;
		if (k == blen || a[i] != b[k])
			return 0;
		i++;
		k++;
	}
}

/*
 * 1 when the regular file name in folder dir (st its lstat) is what a
 * killed dipb left writing data there: data itself, the bytes
 * checkout_file writes for the blob named in the file's name, or a first
 * part of them (a write a kill cut short), whatever their line ends
 * (prefix_but_eol: written under attributes changed since).  Anything
 * else is the user's.  Nothing is lost when it is removed: all it holds
 * is in the blob.
 */
static int
left_by_dipb(int dir, const char *name, const struct stat *st,
    const git_buf *data)
{
	const struct dipb_error *err;
	struct dipb_buf b = DIPB_BUF_INIT;
	int fd, ours;

	/* At most a CR more before each LF than data has. */
	if (!S_ISREG(st->st_mode) || st->st_size < 0 ||
	    (uintmax_t)st->st_size > 2 * (uintmax_t)data->size)
		return 0;
	if ((fd = dipb_open_regular_at(dir, name, O_NOFOLLOW, NULL)) < 0)
		return 0;
	err = dipb_read_whole(&b, fd, name, 2 * data->size);
	close(fd);
	ours = err == NULL && b.len <= 2 * data->size &&
	    prefix_but_eol(b.ptr, b.len, data->ptr, data->size);
	dipb_error_free(err);
	dipb_buf_release(&b);
	return ours;
}

/*
 * 1 when the temporary full, rel from the top, may be written: nothing
 * there, or what a killed dipb left (left_by_dipb) that git does not
 * track.  Looked at relative to its folder (dipb_open_folder_of), whose
 * name is within PATH_MAX (name_fits), as the temporary's may not be.
 */
static int
tmp_free(struct dipb_repo *r, const char *full, const char *rel,
    const git_buf *data)
{
	const struct dipb_error *err;
	struct stat st;
	git_oid at;
	size_t base;
	int dir, found = 1, ok;

	if ((err = dipb_open_folder_of(&dir, full, &base, 0)) != NULL) {
		dipb_error_free(err);
		return 0;
	}
	if (fstatat(dir, full + base, &st, AT_SYMLINK_NOFOLLOW) == -1)
		ok = errno == ENOENT;
	else {
		if (S_ISREG(st.st_mode) && (err = dipb_git_index_blob(&at,
		    &found, r, rel)) != NULL) {
			dipb_error_free(err);
			found = 1;
		}
		ok = !found && left_by_dipb(dir, full + base, &st, data);
	}
	close(dir);
	return ok;
}

/*
 * The temporary file blob id's working file at path is written through,
 * data its bytes: "<path>.dipb-tmp.<id>", a name of that blob's alone, so
 * that the next dipb writing it (the command that finishes a change a
 * kill interrupted, dipb(1)) removes what the killed one left.  An entry
 * there that a killed dipb did not leave (left_by_dipb), or that git
 * tracks, or one not to be told apart, is the user's, and left alone:
 * NULL then, for a name of the process's own (dipb_write_replace).
 */
static char *
tmp_name(struct dipb_repo *r, const char *path, const git_oid *id,
    const git_buf *data)
{
	char hex[GIT_OID_HEXSZ + 1];
	char *rel = xasprintf("%s%s.%s", path, DIPB_GIT_TMP_SUFFIX,
	    git_oid_tostr(hex, sizeof(hex), id));
	char *full = xasprintf("%s%s", r->workdir, rel);

	if (!tmp_free(r, full, rel, data)) {
		free(full);
		full = NULL;
	}
	free(rel);
	return full;
}

/*
 * Writes blob id as the working file of path as git's checkout writes it:
 * through the path's filters (core.autocrlf, core.eol, the text, eol and
 * ident attributes), with mode 0777 for an executable entry and 0666
 * otherwise, less the umask, and never through a symbolic link.  *st is
 * the file written, for the index entry.
 */
static const struct dipb_error *
checkout_file(struct stat *st, struct dipb_repo *r, const char *path,
    const git_oid *id, git_filemode_t mode)
{
	const struct dipb_error *err = NULL;
	git_blob_filter_options opts;
	git_buf out = GIT_BUF_INIT;
	git_blob *blob = NULL;
	char *full = xasprintf("%s%s", r->workdir, path), *tmp = NULL;

	/* No folder made, and nothing written, beyond a link. */
	if ((err = dipb_git_attr_index(r)) != NULL ||
	    (err = dipb_git_worktree_path_check(r, path)) != NULL ||
	    (err = dipb_git_make_dirs(NULL, NULL, full, strlen(r->workdir),
	    r->fsync)) != NULL)
		goto done;
	/* As git's checkout: no binary test beyond what text=auto makes. */
	memset(&opts, 0, sizeof(opts));
	opts.version = GIT_BLOB_FILTER_OPTIONS_VERSION;
	/* A partial clone's blob the fetch did not bring: fetched first. */
	if ((err = dipb_git_have(r, id)) != NULL)
		goto done;
	if (git_blob_lookup(&blob, r->git, id) < 0 ||
	    git_blob_filter(&out, blob, path, &opts) < 0) {
		err = dipb_git_read_failed(r, id, "cannot read '%s'", path);
		goto done;
	}
	/* Never through an entry of the user's (tmp_name()). */
	tmp = tmp_name(r, path, id, &out);
	if ((err = dipb_write_replace(full, tmp, out.ptr, out.size,
	    mode == GIT_FILEMODE_BLOB_EXECUTABLE ? 0777 : 0666,
	    r->fsync ? 2 : 0)) != NULL)
		goto done;
	if (lstat(full, st) == -1)
		err = dipb_error_from_errno("%s", full);
done:
	git_buf_dispose(&out);
	git_blob_free(blob);
	free(tmp);
	free(full);
	return err;
}

/*
 * The mode of path at the tip when it holds id there (id NULL: whatever
 * it holds), else a plain file's.
 */
static git_filemode_t
tip_mode(struct dipb_repo *r, const char *path, const git_oid *id)
{
	git_filemode_t mode = GIT_FILEMODE_BLOB;
	git_oid at;
	int found = 0;
	const struct dipb_error *err;

	if ((err = dipb_git_tree_blob(&at, &mode, &found, r, path)) != NULL) {
		dipb_error_free(err);
		return GIT_FILEMODE_BLOB;
	}
	return found && (id == NULL || git_oid_equal(&at, id)) ? mode :
	    GIT_FILEMODE_BLOB;
}

/* ---- a working file as git add takes it in ------------------------ */

/*
 * What git's line-end conversion makes of path on the way in, from its
 * text, crlf and eol attributes and core.autocrlf: 1 in *guess when it is
 * one of git's guesses (text=auto, or core.autocrlf with no attribute
 * saying text or eol), the only ones its rule for CRLF in the index
 * applies to (crlf_kept()).  An explicit text or eol attribute converts
 * whatever the index holds, as in git.
 */
static const struct dipb_error *
eol_guessed(int *guess, struct dipb_repo *r, const char *path)
{
	static const char *names[] = { "text", "crlf", "eol" };
	const char *v[3] = { NULL, NULL, NULL }, *ac = NULL;
	git_attr_options opts;
	git_config *cfg = NULL;
	git_config_entry *ent;
	int i, set = 0, is_auto = 0, on = 0;

	*guess = 0;
	memset(&opts, 0, sizeof(opts));
	opts.version = GIT_ATTR_OPTIONS_VERSION;
	if (git_attr_get_many_ext(v, r->git, &opts, path, 3, names) < 0)
		return dipb_error_from_git("cannot read the attributes of "
		    "'%s'", path);
	/* text first, the older crlf where text says nothing. */
	for (i = 0; i < 2 && !set; i++) {
		if (GIT_ATTR_IS_TRUE(v[i]) || GIT_ATTR_IS_FALSE(v[i]))
			set = 1;
		else if (GIT_ATTR_HAS_VALUE(v[i]) &&
		    (strcmp(v[i], "auto") == 0 || strcmp(v[i], "input") == 0)) {
			set = 1;
			is_auto = strcmp(v[i], "auto") == 0;
		}
	}
	if (set) {
		/* text=auto stays a guess whatever eol says; -text is no
		 * conversion at all. */
		*guess = is_auto;
		return NULL;
	}
	if (GIT_ATTR_HAS_VALUE(v[2]) && (strcmp(v[2], "lf") == 0 ||
	    strcmp(v[2], "crlf") == 0))
		return NULL;			/* eol alone: text */
	if (git_repository_config_snapshot(&cfg, r->git) < 0)
		return dipb_error_from_git("cannot read the configuration");
	/* A bare 'autocrlf' (no '=') is true, as git reads a bool. */
	if (git_config_get_entry(&ent, cfg, "core.autocrlf") == 0) {
		ac = ent->value;
		*guess = ac == NULL || strcasecmp(ac, "input") == 0 ||
		    (git_config_parse_bool(&on, ac) == 0 && on);
		git_config_entry_free(ent);
	}
	git_error_clear();
	git_config_free(cfg);
	return NULL;
}

/*
 * 1 when text holds CRLF line ends and is text as git judges it for its
 * line ends: no lone CR, no NUL, and fewer than one control character in
 * 128 printable ones (a DOS end-of-file mark at the very end aside).
 */
static int
text_with_crlf(const char *p, size_t n)
{
	size_t i, crlf = 0, lonecr = 0, nul = 0, print = 0, ctrl = 0;
	unsigned char c;

	for (i = 0; i < n; i++) {
		c = (unsigned char)p[i];
		if (c == '\r') {
			if (i + 1 < n && p[i + 1] == '\n') {
				crlf++;
				i++;
			} else
				lonecr++;
		} else if (c == '\n' || c == '\b' || c == '\t' ||
		    c == '\033' || c == '\014' || (c >= 32 && c != 127))
			print += c != '\n';
		else {
			nul += c == 0;
			ctrl += !(c == 032 && i == n - 1);
		}
	}
	return crlf > 0 && lonecr == 0 && nul == 0 && (print >> 7) >= ctrl;
}

/*
 * git's rule for a file committed with CRLF (dipb-git(7), "Working files
 * and attributes"): where the conversion is a guess (eol_guessed()) and
 * the index entry's blob already holds CRLF line ends in text, the
 * working file is taken in as it is, its CRs kept, so that a record a
 * Windows clone committed so is not changed by every checkout.  libgit2
 * has the rule too, but reads the index it was given, which holds the
 * .gitattributes entries alone (dipb_git_attr_index): it is decided here,
 * the one place, for hashing and reading alike.
 */
static const struct dipb_error *
crlf_kept(int *keep, struct dipb_repo *r, const char *path)
{
	const struct dipb_error *err;
	git_blob *blob = NULL;
	git_oid id;
	int guess, found;

	*keep = 0;
	if ((err = eol_guessed(&guess, r, path)) != NULL || !guess ||
	    (err = dipb_git_index_blob(&id, &found, r, path)) != NULL ||
	    !found)
		return err;
	/* A partial clone's is fetched, as git fetches it to decide. */
	if ((err = dipb_git_have(r, &id)) != NULL)
		return err;
	if (git_blob_lookup(&blob, r->git, &id) < 0) {
		git_error_clear();	/* no blob: nothing to keep, as git */
		return NULL;
	}
	*keep = text_with_crlf(git_blob_rawcontent(blob),
	    (size_t)git_blob_rawsize(blob));
	git_blob_free(blob);
	return NULL;
}

/*
 * The filters of path on the way in, into *fl (NULL: none): libgit2's,
 * or, where git keeps the CRs (crlf_kept()), ident alone when the path
 * has it.
 */
static const struct dipb_error *
clean_filters(git_filter_list **fl, struct dipb_repo *r, const char *path,
    const struct dipb_buf *data, uint32_t flags)
{
	const struct dipb_error *err;
	const char *ident = NULL;
	int keep = 0;

	*fl = NULL;
	if (data->len > 0 && memchr(data->ptr, '\r', data->len) != NULL &&
	    (err = crlf_kept(&keep, r, path)) != NULL)
		return err;
	if (!keep) {
		if (git_filter_list_load(fl, r->git, NULL, path,
		    GIT_FILTER_TO_ODB, flags) < 0)
			return dipb_error_from_git("cannot load the filters "
			    "of '%s'", path);
		return NULL;
	}
	if (git_attr_get(&ident, r->git, GIT_ATTR_CHECK_FILE_THEN_INDEX,
	    path, "ident") < 0)
		return dipb_error_from_git("cannot read the attributes of "
		    "'%s'", path);
	if (!GIT_ATTR_IS_TRUE(ident))
		return NULL;
	if (git_filter_list_new(fl, r->git, GIT_FILTER_TO_ODB, flags) < 0 ||
	    git_filter_list_push(*fl, git_filter_lookup(GIT_FILTER_IDENT),
	    NULL) < 0) {
		git_filter_list_free(*fl);
		*fl = NULL;
		return dipb_error_from_git("cannot load the filters of '%s'",
		    path);
	}
	return NULL;
}

/* buf, path's bytes, made in place what git add takes in (clean_file). */
static const struct dipb_error *
clean_buf(struct dipb_buf *buf, struct dipb_repo *r, const char *path,
    uint32_t flags)
{
	const struct dipb_error *err;
	git_filter_list *fl = NULL;
	git_buf clean = GIT_BUF_INIT;

	if ((err = clean_filters(&fl, r, path, buf, flags)) != NULL ||
	    fl == NULL)
		return err;
	if (git_filter_list_apply_to_buffer(&clean, fl, buf->ptr,
	    buf->len) < 0)
		err = dipb_error_from_git("cannot filter '%s'", path);
	else {
		dipb_buf_clear(buf);
		dipb_buf_put(buf, clean.ptr, clean.size);
	}
	git_buf_dispose(&clean);
	git_filter_list_free(fl);
	return err;
}

/*
 * The working file path into out as git add takes it in: its bytes
 * through the clean direction of its filters (core.autocrlf, eol, ident)
 * with git's rule for CRLF in the index (crlf_kept()); more than max
 * bytes (0: no limit) is DIPB_ERR_TOO_LARGE.  flags: libgit2's filter
 * flags.  The caller checked the path.
 */
static const struct dipb_error *
clean_file(struct dipb_buf *out, struct dipb_repo *r, const char *path,
    size_t max, uint32_t flags)
{
	const struct dipb_error *err;
	char *full = xasprintf("%s%s", r->workdir, path);

	/* Never a FIFO, whose open(2) waits for a writer (dipb-git(7)). */
	if ((err = dipb_read_regular(out, full, O_NOFOLLOW, max)) == NULL)
		err = clean_buf(out, r, path, flags);
	free(full);
	return err;
}

const struct dipb_error *
dipb_git_hash_file(git_oid *out, struct dipb_repo *r, const char *path)
{
	const struct dipb_error *err;
	struct dipb_buf b = DIPB_BUF_INIT;

	/* Never through a symbolic link (dipb-git(7)). */
	if ((err = dipb_git_worktree_path_check(r, path)) != NULL ||
	    (err = dipb_git_attr_index(r)) != NULL)
		return err;
	/*
	 * As git status compares: a CRLF file of an LF blob is clean, and
	 * so is one of a CRLF blob where git keeps the CRs.  core.safecrlf
	 * only warns here, as in git's hashing.
	 */
	if ((err = clean_file(&b, r, path, 0, GIT_FILTER_ALLOW_UNSAFE)) ==
	    NULL && git_odb_hash(out, b.ptr, b.len, GIT_OBJECT_BLOB) < 0)
		err = dipb_error_from_git("cannot hash '%s'", path);
	dipb_buf_release(&b);
	return err;
}

static const struct dipb_error *
worktree_state(struct dipb_git_wt *out, struct dipb_repo *r,
    const struct jfile *f)
{
	const struct dipb_error *err = NULL;
	char *full = xasprintf("%s%s", r->workdir, f->path);
	git_oid id;
	int clean = 0;

	out->state = WT_OTHER;
	/* A link on the way is the user's: left as it is, never followed. */
	if ((err = dipb_git_worktree_path_check(r, f->path)) != NULL) {
		dipb_error_free(err);
		err = NULL;
		memset(&out->st, 0, sizeof(out->st));
	} else if (lstat(full, &out->st) == -1) {
		/* Stat first: a change made while hashing shows in the stat. */
		if (errno == ENOENT)
			out->state = WT_ABSENT;
		else
			err = dipb_error_from_errno("%s", full);
	} else if (S_ISREG(out->st.st_mode)) {
		/* As the check before the change: git status's view, the
		 * stat data first (a CRLF file of a CRLF blob under 'text
		 * eol=lf' is the old blob while git does not look). */
		if (!git_oid_is_zero(&f->old) &&
		    (err = dipb_git_index_stat_clean(&clean, r, f->path,
		    &out->st, &f->old)) == NULL && clean)
			out->state = WT_OLD;
		else if (err == NULL &&
		    (err = dipb_git_hash_file(&id, r, f->path)) == NULL) {
			/* What the change was made from is written as git
			 * checks the new blob out, even when git add takes
			 * it in as that blob (other line ends, another
			 * mode): dipb-edit(1). */
			if (!git_oid_is_zero(&f->was) &&
			    git_oid_equal(&id, &f->was))
				out->state = WT_OLD;
			else if (git_oid_equal(&id, &f->new))
				out->state = WT_NEW;
			else if (!git_oid_is_zero(&f->old) &&
			    git_oid_equal(&id, &f->old))
				out->state = WT_OLD;
		}
	}
	free(full);
	return err;
}

/* 1 for a .gitattributes file, which git checks out before the others. */
static int
is_attributes(const char *path)
{
	const char *base = strrchr(path, '/');

	return strcmp(base != NULL ? base + 1 : path, ".gitattributes") == 0;
}

/*
 * Brings the working file of each path from the old blob to the new one:
 * written when it is absent or still the old blob (or what the change was
 * made from: struct jfile's was), left alone when the user changed it.
 * The .gitattributes files go first, so the others are written with the
 * attributes of the change, as a checkout would.
 */
const struct dipb_error *
dipb_git_worktree_sync(struct dipb_repo *r, const struct jfile *files, size_t n,
    struct dipb_git_wt *wt)
{
	const struct dipb_error *err;
	git_oid *ids = xcalloc(n + 1, sizeof(*ids));
	size_t i;
	int pass;

	/*
	 * The new blobs a partial clone lacks (a sync's, which git fetch
	 * did not bring), fetched in one batch before the first is written.
	 */
	for (i = 0; i < n; i++)
		git_oid_cpy(&ids[i], &files[i].new);
	err = dipb_git_have_all(r, ids, n);
	free(ids);
	for (pass = 0; pass < 2 && err == NULL; pass++)
		for (i = 0; i < n && err == NULL; i++) {
			if (is_attributes(files[i].path) != (pass == 0))
				continue;
			if ((err = worktree_state(&wt[i], r, &files[i])) !=
			    NULL || (wt[i].state != WT_ABSENT &&
			    wt[i].state != WT_OLD))
				continue;
			if ((err = checkout_file(&wt[i].st, r, files[i].path,
			    &files[i].new, tip_mode(r, files[i].path,
			    &files[i].new))) == NULL)
				wt[i].state = WT_NEW;
		}
	return err;
}

/* ---- the working files of commands (repo.h) ---------------------- */

const struct dipb_error *
dipb_repo_read_worktree(struct dipb_buf *out, struct dipb_repo *r,
    const char *path, size_t max)
{
	const struct dipb_error *err;

	dipb_buf_clear(out);
	if ((err = dipb_git_worktree_path_check(r, path)) != NULL ||
	    (err = dipb_git_attr_check(r, path)) != NULL)
		return err;
	/* As git add takes it in: the clean direction of the filters. */
	return clean_file(out, r, path, max, GIT_FILTER_DEFAULT);
}

const struct dipb_error *
dipb_repo_text_in(struct dipb_buf *buf, struct dipb_repo *r,
    const char *path)
{
	const struct dipb_error *err;

	if (!dipb_git_path_ok(path))
		return dipb_error_fmt(DIPB_ERR_INTERNAL,
		    "not a path of the working tree: '%s'", path);
	if ((err = dipb_git_attr_index(r)) != NULL)
		return err;
	return clean_buf(buf, r, path, GIT_FILTER_ALLOW_UNSAFE);
}

const struct dipb_error *
dipb_repo_text_out(struct dipb_buf *out, struct dipb_repo *r,
    const char *path, const char *data, size_t len)
{
	const struct dipb_error *err;
	git_filter_list *fl = NULL;
	git_buf b = GIT_BUF_INIT;
	int keep = 0;

	dipb_buf_clear(out);
	if (!dipb_git_path_ok(path))
		return dipb_error_fmt(DIPB_ERR_INTERNAL,
		    "not a path of the working tree: '%s'", path);
	if ((err = dipb_git_attr_index(r)) != NULL ||
	    (err = crlf_kept(&keep, r, path)) != NULL)
		return err;
	/*
	 * Where git keeps the CRs of a file committed with them
	 * (crlf_kept()), CRs written now would be kept too, and the text
	 * never found canonical: it is written as it is, LF, which git add
	 * then takes in as the change it is (dipb-git(7)).
	 */
	if (keep) {
		dipb_buf_put(out, data, len);
		return NULL;
	}
	if (git_filter_list_load(&fl, r->git, NULL, path,
	    GIT_FILTER_TO_WORKTREE, GIT_FILTER_DEFAULT) < 0)
		return dipb_error_from_git("cannot load the filters of '%s'",
		    path);
	if (fl == NULL)
		dipb_buf_put(out, data, len);
	else if (git_filter_list_apply_to_buffer(&b, fl, data, len) < 0)
		err = dipb_error_from_git("cannot filter '%s'", path);
	else
		dipb_buf_put(out, b.ptr, b.size);
	git_buf_dispose(&b);
	git_filter_list_free(fl);
	return err;
}

/* ---- a change that moves files (dipb migrate) --------------------- */

void
dipb_git_remove_empty_dirs(struct dipb_repo *r, const char *path)
{
	char *dir = xasprintf("%s%s", r->workdir, path), *slash;
	size_t top = strlen(r->workdir);

	while ((slash = strrchr(dir, '/')) != NULL &&
	    (size_t)(slash - dir) > top) {
		*slash = '\0';
		if (strcmp(dir + top, DIPB_RECORD_DIR) == 0 ||
		    rmdir(dir) == -1)
			break;
	}
	free(dir);
}

const struct dipb_error *
dipb_git_worktree_moves(struct dipb_repo *r, const struct jmove *moves,
    size_t n, struct stat *st)
{
	const struct dipb_error *err = NULL;
	char *from = NULL, *to = NULL;
	size_t i;
	int first = 1;

	for (i = 0; i < n && err == NULL; i++) {
		free(from);
		free(to);
		from = xasprintf("%s%s", r->workdir, moves[i].from);
		to = xasprintf("%s%s", r->workdir, moves[i].to);
		memset(&st[i], 0, sizeof(st[i]));
		if ((err = dipb_git_worktree_path_check(r, moves[i].to)) !=
		    NULL)
			break;
		if (lstat(to, &st[i]) == 0) {
			/* Moved before a kill: the next command's recovery. */
			if (!S_ISREG(st[i].st_mode))
				memset(&st[i], 0, sizeof(st[i]));
			dipb_git_remove_empty_dirs(r, moves[i].from);
			continue;
		}
		if ((err = dipb_git_worktree_path_check(r,
		    moves[i].from)) != NULL ||
		    (err = dipb_git_make_dirs(NULL, NULL, to,
		    strlen(r->workdir), 0)) != NULL)
			break;
		if (rename(from, to) == -1) {
			if (errno != ENOENT) {
				err = dipb_error_from_errno("cannot move '%s' "
				    "to '%s'", moves[i].from, moves[i].to);
				break;
			}
			/* Gone from the working tree: checked out anew. */
			err = checkout_file(&st[i], r, moves[i].to,
			    &moves[i].id, (git_filemode_t)moves[i].mode);
			continue;
		}
		if (lstat(to, &st[i]) == -1)
			memset(&st[i], 0, sizeof(st[i]));
		dipb_git_remove_empty_dirs(r, moves[i].from);
		if (first) {
			first = 0;
			dipb_git_fault("move");
		}
	}
	free(from);
	free(to);
	return err;
}

const struct dipb_error *
dipb_git_moves_sync(struct dipb_repo *r, const struct jmove *moves, size_t n)
{
	const struct dipb_error *err;
	struct stat *st = xcalloc(n + 1, sizeof(*st));

	if ((err = dipb_git_worktree_moves(r, moves, n, st)) == NULL)
		err = dipb_git_index_moves(r, moves, n, st);
	free(st);
	return err;
}

/*
 * scan.c - finding the record files and their boards in the working tree.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "record.h"
#include "repo.h"
#include "meeting.h"
#include "sarif.h"
#include "scan.h"
#include "validate.h"

void
dipb_scan_init(struct dipb_scan *s)
{
	memset(s, 0, sizeof(*s));
	dipb_diags_init(&s->diags);
	s->lastboard = -1;
}

static void
file_release(struct dipb_scan_file *f)
{
	free(f->path);
	free(f->rel);
	free(f->where);
	free(f->real);
}

void
dipb_scan_release(struct dipb_scan *s)
{
	size_t i;

	for (i = 0; i < s->nfiles; i++)
		file_release(&s->files[i]);
	free(s->files);
	for (i = 0; i < s->nboards; i++) {
		free(s->boards[i].path);
		free(s->boards[i].real);
		dipb_board_release(&s->boards[i].board);
	}
	free(s->boards);
	dipb_diags_release(&s->diags);
	free(s->lastdir);
	free(s->realdir);
	free(s->dirreal);
	free(s->cwd);
	free(s->top);
	if (s->err != NULL)
		dipb_error_free(s->err);
	dipb_scan_git_release(&s->git);
	dipb_scan_init(s);
}

/*
 * realpath(dir), NULL when there is none: dir missing, or a file in its
 * way (ENOENT, ENOTDIR).  Any other failure (out of memory, EACCES, EIO)
 * is kept as s->err and NULL returned: a board not found for it would
 * have its files checked with none, and pass.
 */
static char *
real_or_fail(struct dipb_scan *s, const char *dir)
{
	char *real;

	if ((real = realpath(dir, NULL)) == NULL && errno != ENOENT &&
	    errno != ENOTDIR && s->err == NULL)
		s->err = dipb_error_from_errno("cannot find the real path of "
		    "'%s'", dir);
	return real;
}

/* dir + '/' + name, leaving out a "" or "." dir. */
static char *
join(const char *dir, const char *name)
{
	size_t n = strlen(dir);

	if (n == 0 || strcmp(dir, ".") == 0)
		return xstrdup(name);
	if (dir[n - 1] == '/')
		return xasprintf("%s%s", dir, name);
	return xasprintf("%s/%s", dir, name);
}

/* The folder of a path as shown: "a/b" for "a/b/c.yaml", "." for "c". */
static char *
dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		return xstrdup(".");
	while (slash > path && slash[-1] == '/')
		slash--;
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

/* The folder above dir, spelled from dir: "a" for "a/b", ".." for ".". */
static char *
parent_of(const char *dir)
{
	size_t n = strlen(dir);
	const char *last;

	while (n > 1 && dir[n - 1] == '/')
		n--;
	if (n == 1 && dir[0] == '/')
		return NULL;
	if (n == 0 || (n == 1 && dir[0] == '.'))
		return xstrdup("..");
	last = dir + n;
	while (last > dir && last[-1] != '/')
		last--;
	if ((size_t)(dir + n - last) == 2 && last[0] == '.' && last[1] == '.')
		return xasprintf("%.*s/..", (int)n, dir);
	if (last == dir)
		return xstrdup(".");
	if (last - 1 == dir)
		return xstrdup("/");
	return xstrndup(dir, (size_t)(last - 1 - dir));
}

/*
 * Whether errnum, a read's failure, is dipb's own rather than the file's:
 * no descriptor or memory left, a call interrupted or to be tried again.
 * EIO is the file's medium, which cannot be read [io].
 */
static int
own_failure(int errnum)
{
	return errnum == EMFILE || errnum == ENFILE || errnum == ENOMEM ||
	    errnum == ENOBUFS || errnum == EINTR || errnum == EAGAIN;
}

const struct dipb_error *
dipb_scan_io(struct dipb_diags *diags, const char *path, int errnum)
{
	if (own_failure(errnum)) {
		errno = errnum;
		return dipb_error_from_errno("cannot read '%s'", path);
	}
	dipb_diags_add(diags, path, 0, 0, DIPB_SEV_ERROR, "io",
	    "cannot read: %s", strerror(errnum));
	return NULL;
}

/* err, if any, as the scan's error, s->err: the first one is kept. */
static void
scan_error(struct dipb_scan *s, const struct dipb_error *err)
{
	if (err != NULL && s->err == NULL)
		s->err = err;
	else if (err != NULL)
		dipb_error_free(err);
}

/* dipb_scan_io into s: a failure of dipb's own is the scan's error. */
static void
io_diag(struct dipb_scan *s, const char *path, int errnum)
{
	scan_error(s, dipb_scan_io(&s->diags, path, errnum));
}

/* [symlink] for the link at path, naming what it points to. */
static void
link_diag(struct dipb_diags *diags, const char *path)
{
	char target[PATH_MAX];
	ssize_t n = readlink(path, target, sizeof(target) - 1);

	if (n >= 0)
		target[n] = '\0';
	dipb_validate_symlink(diags, path, n >= 0 ? target : NULL);
}

/* [record-path] for folder path, too deep below recommendations/. */
static void
deep_diag(struct dipb_diags *diags, const char *path)
{
	dipb_diags_add(diags, path, 0, 0, DIPB_SEV_ERROR, "record-path",
	    "a folder more than %d levels below %s/, where no record is "
	    "kept: not read", DIPB_RECORD_DEPTH, DIPB_RECORD_DIR);
}

/* [io] for what is neither a regular file nor a link (nor a folder). */
static void
irregular_diag(struct dipb_diags *diags, const char *path, mode_t mode)
{
	dipb_diags_add(diags, path, 0, 0, DIPB_SEV_ERROR, "io",
	    "not a regular file (%s): not read", S_ISFIFO(mode) ? "a FIFO" :
	    S_ISCHR(mode) || S_ISBLK(mode) ? "a device" :
	    S_ISSOCK(mode) ? "a socket" : "a folder or another kind");
}

int
dipb_scan_draft(const char *path)
{
	const char *end = strrchr(path, '/'), *dir;

	if (end == NULL)
		return 0;
	for (dir = end; dir > path && dir[-1] != '/'; dir--)
		;
	return end - dir == 6 && strncmp(dir, "drafts", 6) == 0;
}

/*
 * dipb_open_regular; under DIPB_FAULT=scan-emfile:PATH (dipb(1)), path
 * PATH fails as with no descriptor left, so the tests reach the per-file
 * error of validate's workers and of fmt, which no ulimit -n reaches
 * alone: the board's file, read first, fails before them.
 */
static int
open_read(const char *path, struct stat *st)
{
	if (dipb_repo_fault_at("scan-emfile", path)) {
		errno = EMFILE;
		return -1;
	}
	return dipb_open_regular(path, O_NOFOLLOW, st);
}

const struct dipb_error *
dipb_scan_read(int *rc, struct dipb_buf *out, struct dipb_diags *diags,
    const char *path)
{
	struct stat st;
	int fd, errnum;

	*rc = -1;
	dipb_buf_clear(out);
	/*
	 * Never through a link (O_NOFOLLOW), and never waiting on a FIFO:
	 * only a regular file is read.
	 */
	fd = open_read(path, &st);
	if (fd == -2) {
		irregular_diag(diags, path, st.st_mode);
		return NULL;
	}
	if (fd == -1) {
		errnum = errno;
		if (errnum != ELOOP || lstat(path, &st) == -1 ||
		    !S_ISLNK(st.st_mode))
			return dipb_scan_io(diags, path, errnum);
		link_diag(diags, path);
		return NULL;
	}
	/* One byte over the limit: the loader reports the file too large. */
	*rc = dipb_read_fd(out, fd, DIPB_MAX_FILE + 1);
	errnum = errno;
	close(fd);
	return *rc == -1 ? dipb_scan_io(diags, path, errnum) : NULL;
}

/* Index of the board whose folder is dir, loading it the first time. */
static int
board_at(struct dipb_scan *s, const char *dir)
{
	struct dipb_scan_board *sb;
	struct dipb_buf buf = DIPB_BUF_INIT;
	char *real;
	size_t i, nerrors;
	int rc;

	if ((real = real_or_fail(s, dir)) == NULL)
		return -1;
	for (i = 0; i < s->nboards; i++)
		if (strcmp(s->boards[i].real, real) == 0) {
			free(real);
			return (int)i;
		}
	xgrow((void **)&s->boards, &s->bcap, s->nboards + 1,
	    sizeof(*s->boards));
	sb = &s->boards[s->nboards];
	memset(sb, 0, sizeof(*sb));
	sb->real = real;
	sb->path = join(dir, DIPB_BOARD_FILE);
	dipb_board_init(&sb->board);
	nerrors = s->diags.nerrors;
	/* What loaded is checked though the loader found errors: validate
	 * reports every problem of every file (dipb-validate(1)). */
	scan_error(s, dipb_scan_read(&rc, &buf, &s->diags, sb->path));
	if (rc == 0) {
		(void)dipb_board_load(&sb->board, sb->path, buf.ptr, buf.len,
		    &s->diags);
		dipb_validate_board(&s->diags, sb->path, &sb->board);
	}
	sb->ok = s->diags.nerrors == nerrors;
	dipb_buf_release(&buf);
	return (int)s->nboards++;
}

/*
 * Whether a dipb.yaml is at path: anything but a folder, so that one that
 * is a link or no regular file is found, and reported, never followed.
 */
static int
is_file(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0 && !S_ISDIR(st.st_mode);
}

static char	*where_of(struct dipb_scan *, const char *);

/*
 * Whether folder dir is a drafts folder, however dir names it ("drafts",
 * "." inside it): a dipb.yaml there is no board, but a draft as any other
 * .yaml file of it (dipb-validate(1)).  A pull request that adds
 * drafts/dipb.yaml must not have its drafts checked against it.
 */
static int
drafts_folder(struct dipb_scan *s, const char *dir)
{
	char *probe, *where;
	int draft;

	probe = join(dir, "x");
	where = where_of(s, probe);
	draft = dipb_scan_draft(where);
	free(where);
	free(probe);
	return draft;
}

/*
 * The folder holding a board (dipb.yaml) from dir upwards, at most depth
 * folders up, by name ("a/b", "a", ".", ".."); -1 for none.
 */
static int
walk_up(struct dipb_scan *s, const char *dir, size_t depth)
{
	char *cur, *up, *cand;
	size_t i;
	int b = -1;

	cur = xstrdup(dir);
	for (i = 0; i <= depth && cur != NULL; i++) {
		cand = join(cur, DIPB_BOARD_FILE);
		if (is_file(cand) && (i > 0 || !drafts_folder(s, cur))) {
			free(cand);
			b = board_at(s, cur);
			break;
		}
		free(cand);
		up = parent_of(cur);
		free(cur);
		cur = up;
	}
	free(cur);
	return b;
}

/*
 * The board of the files in folder dir: dir's or the nearest above it;
 * for a drafts folder, the board it belongs to, above it.  Looked for
 * by the names of dir first, so that the board is shown as its files
 * are; when none is above them (dir reached through a symbolic link to a
 * board outside the working tree, which tree_dir leaves as given:
 * "r/IC-0001.yaml", r a link to its recommendations folder), above the
 * folder dir really is, which the file belongs to (dipb-validate(1)).
 */
static int
board_above(struct dipb_scan *s, const char *dir)
{
	char *real;
	size_t depth = 0, i;
	int b;

	if (s->lastdir != NULL && strcmp(s->lastdir, dir) == 0)
		return s->lastboard;
	/* The lexical walk is bounded by the real depth of dir. */
	if ((real = real_or_fail(s, dir)) != NULL) {
		for (i = 0; real[i] != '\0'; i++)
			depth += real[i] == '/';
	}
	b = walk_up(s, dir, depth);
	if (b == -1 && real != NULL && strcmp(real, dir) != 0)
		b = walk_up(s, real, depth);
	free(real);
	free(s->lastdir);
	s->lastdir = xstrdup(dir);
	s->lastboard = b;
	return b;
}

/* realpath(dir), NULL when it has none, looked up once a folder. */
static const char *
real_dir(struct dipb_scan *s, const char *dir)
{
	if (s->realdir == NULL || strcmp(s->realdir, dir) != 0) {
		free(s->realdir);
		free(s->dirreal);
		s->realdir = xstrdup(dir);
		s->dirreal = real_or_fail(s, dir);
	}
	return s->dirreal;
}

/*
 * "<folder>/<name>" of the file at path (struct dipb_scan_file): the
 * folder's name as path gives it when that is a name, else ("", ".",
 * "..", none) the last part of its real path.
 */
static char *
where_of(struct dipb_scan *s, const char *path)
{
	const char *base = strrchr(path, '/'), *d, *real, *name;
	char *dir;
	size_t n;

	base = base != NULL ? base + 1 : path;
	for (n = (size_t)(base - path); n > 0 && path[n - 1] == '/'; n--)
		;
	for (d = path + n; d > path && d[-1] != '/'; d--)
		;
	if (path + n > d && strncmp(d, ".", (size_t)(path + n - d)) != 0 &&
	    strncmp(d, "..", (size_t)(path + n - d)) != 0)
		return xasprintf("%.*s/%s", (int)(path + n - d), d, base);
	dir = n > 0 ? xstrndup(path, n) : xstrdup(base > path ? "/" : ".");
	real = real_dir(s, dir);
	free(dir);
	name = real != NULL ? strrchr(real, '/') : NULL;
	return xasprintf("%s/%s", name != NULL ? name + 1 : "", base);
}

/*
 * The real path of the file at path: its folder's, resolved, and its own
 * name, never followed (a link named as a record is reported, not read
 * through).  Not the file's inode: two hard links are two files to git.
 */
static char *
real_of(struct dipb_scan *s, const char *path)
{
	const char *base = strrchr(path, '/'), *real;
	char *dir;

	dir = dir_of(path);
	real = real_dir(s, dir);
	free(dir);
	base = base != NULL ? base + 1 : path;
	if (real == NULL)
		return xstrdup(path);
	return xasprintf("%s%s%s", real, strcmp(real, "/") == 0 ? "" : "/",
	    base);
}

char *
dipb_scan_shown(const char *top, const char *path)
{
	const char *base = strrchr(path, '/');
	char *dir, *real = NULL, *cwd, *from = NULL, *out;

	dir = base != NULL ? xasprintf("%s%.*s", top, (int)(base - path),
	    path) : xstrdup(top);
	if ((cwd = getcwd(NULL, 0)) != NULL)
		real = realpath(dir, NULL);
	if (real != NULL)
		from = dipb_path_from(cwd, real);
	base = base != NULL ? base + 1 : path;
	out = from != NULL ? join(from, base) : xstrdup(path);
	free(from);
	free(real);
	free(cwd);
	free(dir);
	return out;
}

/*
 * Folder dir by its real path, when dir reaches it through a symbolic
 * link ("recs", a link to recommendations committed beside it) and it is
 * in the working tree: absolute when dir is, else from the current
 * folder, so that it opens where dir did.  NULL when dir is no such link,
 * is no folder, or is outside the tree, and keeps the names given.  Git
 * holds no file beyond a link, and a forge places a finding only on a
 * path the repository holds (dipb-validate(1)); the top is the one the
 * forges' formats give paths from (sarif.h).
 */
static char *
tree_dir(struct dipb_scan *s, const char *dir)
{
	const char *real;
	char *given, *at, *out = NULL;
	size_t n;
	int in;

	if (!s->topfound) {
		s->topfound = 1;
		if ((s->cwd = getcwd(NULL, 0)) != NULL)
			s->top = dipb_result_root(s->cwd);
	}
	if (s->top == NULL || (real = real_dir(s, dir)) == NULL)
		return NULL;
	/* Both by name from the top: the same when no link is crossed. */
	given = dipb_result_relpath(s->top, s->cwd, dir);
	at = dipb_result_relpath(s->top, s->cwd, real);
	/* Below the top (relative), or the top itself. */
	n = strlen(s->top);
	in = at[0] != '/' || (n > 1 ? strncmp(at, s->top, n - 1) == 0 &&
	    at[n - 1] == '\0' : strcmp(at, "/") == 0);
	if (in && strcmp(given, at) != 0)
		out = dir[0] == '/' ? xstrdup(real) :
		    dipb_path_from(s->cwd, real);
	free(at);
	free(given);
	return out;
}

static const struct dipb_error *git_path(const char **,
		    struct dipb_scan_git *, const char *);

/* Every path keep is asked of. */
static int
any_path(const char *path, size_t len)
{
	(void)path;
	(void)len;
	return 1;
}

/*
 * 1, and reported [symlink], when the file at real is a symbolic link in
 * its working tree's index (mode 120000) that git checked out plain, as
 * it does with core.symlinks false: what a clone with links holds as one
 * is no record file in any (dipb-validate(1)), and dipb fmt never writes
 * it.  The index is read once a working tree; a file in none, or in a
 * repository that will not open, is what the file system says.
 */
static int
index_link(struct dipb_scan *s, const char *path, const char *real)
{
	const struct dipb_error *err = NULL;
	struct dipb_scan_git *g = &s->git;
	const char *at;
	size_t i;

	if (g->nogit || (err = git_path(&at, g, real)) != NULL) {
		g->nogit = 1;
		dipb_error_free(err);
		return 0;
	}
	if (at == NULL)
		return 0;
	if (!g->linksread) {
		g->linksread = 1;
		dipb_error_free(dipb_repo_index_links(&g->links, g->repo,
		    any_path));
	}
	i = dipb_strlist_lower_bound(&g->links, at);
	if (i == g->links.n || strcmp(g->links.v[i], at) != 0)
		return 0;
	dipb_validate_symlink(&s->diags, path, NULL);
	return 1;
}

static void
add_file(struct dipb_scan *s, char *path, int board, char *rel)
{
	char *real = real_of(s, path);

	if (index_link(s, path, real)) {
		free(real);
		free(rel);
		free(path);
		return;
	}
	xgrow((void **)&s->files, &s->fcap, s->nfiles + 1, sizeof(*s->files));
	s->files[s->nfiles].path = path;
	s->files[s->nfiles].board = board;
	s->files[s->nfiles].rel = rel;
	s->files[s->nfiles].where = where_of(s, path);
	s->files[s->nfiles].real = real;
	s->files[s->nfiles].seq = s->nfiles;
	s->nfiles++;
}

static int
cmpname(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * 1 when file name of a folder is read: below recommendations/ (rel, the
 * folder's path from its board's folder), a record file by the one rule
 * of every reader of the records, dipb_record_file (dipb-record(5)), a
 * dotfile too, as git commits it; in any other folder, a *.yaml file but
 * a dotfile (an editor's or a tool's).
 */
static int
is_yaml_name(const char *rel, const char *name)
{
	size_t n = strlen(name);
	char *path;
	int r;

	if (rel == NULL)
		return name[0] != '.' && n > 5 &&
		    strcmp(name + n - 5, ".yaml") == 0;
	path = xasprintf("%s/%s", rel, name);
	r = dipb_record_file(path, strlen(path));
	free(path);
	return r;
}

/* 1 when a name of path (of a tree, len bytes) starts with a dot. */
static int
dot_path(const char *path, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (path[i] == '.' && (i == 0 || path[i - 1] == '/'))
			return 1;
	return 0;
}

/*
 * 1 when git tracks what name of folder dir holds, below recommendations/,
 * a dotfile or a file in a dot-folder (dot_path): its working tree's
 * index holds it, committed or staged (git ls-files), or, for a folder
 * (dotdir), a path below it.  Only then is it read by the scan, as it is
 * a record file of the tip's once committed: an editor's lock link
 * (.#IC-0001.yaml), macOS's AppleDouble file (._IC-0001.yaml), a sync
 * tool's copies (.stversions/) or a file git ignores never is
 * (dipb-validate(1)).  The index is read once a working tree.  A
 * repository that holds it and will not open is the scan's error; an
 * index that cannot be read tracks nothing, with one warning.
 */
static int
tracked(struct dipb_scan *s, const char *dir, const char *name, int dotdir)
{
	const struct dipb_error *err;
	struct dipb_scan_git *g = &s->git;
	const char *at;
	char *path = join(dir, name), *real, *key;
	size_t i, n;
	int r = 0;

	real = real_of(s, path);
	if ((err = git_path(&at, g, real)) == NULL && at != NULL) {
		if (!g->dotsread) {
			g->dotsread = 1;
			err = dipb_repo_index_paths(&g->dots, g->repo,
			    dot_path);
			if (err != NULL)
				dipb_diags_add(&s->diags, path, 0, 0,
				    DIPB_SEV_WARNING, "io", "git's index "
				    "cannot be read (%s): no dotfile is read "
				    "below recommendations/", err->msg);
			dipb_error_free(err);
			err = NULL;
		}
		key = dotdir ? xasprintf("%s/", at) : xstrdup(at);
		n = strlen(key);
		i = dipb_strlist_lower_bound(&g->dots, key);
		r = i < g->dots.n && (dotdir ?
		    strncmp(g->dots.v[i], key, n) == 0 :
		    strcmp(g->dots.v[i], key) == 0);
		free(key);
	}
	scan_error(s, err);
	free(path);
	free(real);
	return r;
}

/*
 * 1 when the folder at path holds a .git that is a repository as git
 * takes one (a submodule, a clone), whose files are not the board's and
 * which git status does not look into either (nor into a folder whose
 * .git file it cannot read: git's dir.c); a .git that is none (an
 * empty folder, a file that names no repository) is not, and git status
 * lists the folder's files (dipb-validate(1)).
 */
static int
other_repo(const char *path)
{
	char *git = join(path, ".git");
	enum dipb_dotgit is = dipb_repo_dotgit(git);
	int r = is == DIPB_DOTGIT_REPO || is == DIPB_DOTGIT_UNREADABLE;

	free(git);
	return r;
}

/*
 * The *.yaml files of folder dir, with board b (-2: each file's own, found
 * upwards).  A folder that is missing adds nothing when quiet.  With rel
 * (dir's path from its board's folder, below recommendations/), the
 * files' own are kept, and every real folder below is read too, depth
 * levels down: the sharded layout's (dipb-board(5), "layout") and any
 * other, as git commits their files all the same, for a record out of
 * its place to be reported [record-path] (dipb-record(5)), never passed
 * over.  A folder deeper still is reported, not read.
 */
static void
add_folder(struct dipb_scan *s, const char *dir, int b, int quiet,
    const char *rel, int depth)
{
	struct dipb_strlist names = DIPB_STRLIST_INIT, dirs = DIPB_STRLIST_INIT;
	struct dirent *de;
	struct stat st;
	DIR *d;
	char *path, *sub;
	size_t i;
	int keep, rc, dot;

	if ((d = opendir(dir)) == NULL) {
		if (!quiet || errno != ENOENT)
			io_diag(s, dir, errno);
		return;
	}
	if (b == -2)
		b = board_above(s, dir);
	dot = rel != NULL && dot_path(rel, strlen(rel));
	/* readdir's type saves a stat per file, on most file systems. */
	while ((rc = dipb_readdir(d, &de)) == 1) {
		if (rel != NULL && (de->d_type == DT_DIR ||
		    de->d_type == DT_UNKNOWN) && strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0) {
			/* Never through a link: lstat. */
			path = join(dir, de->d_name);
			if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode) &&
			    !other_repo(path) && ((!dot &&
			    de->d_name[0] != '.') ||
			    tracked(s, dir, de->d_name, 1))) {
				if (depth > 0)
					dipb_strlist_push(&dirs, de->d_name);
				else
					deep_diag(&s->diags, path);
			}
			free(path);
		}
		if (!is_yaml_name(rel, de->d_name) || de->d_type == DT_DIR ||
		    (rel != NULL && (dot || de->d_name[0] == '.') &&
		    !tracked(s, dir, de->d_name, 0)))
			continue;
		if (de->d_type != DT_REG) {
			/* A symbolic link is no record file, and is never
			 * followed (dipb-git(7)): lstat, not stat.  It is
			 * reported [symlink], as what is no regular file
			 * [io]; a folder is not a record. */
			path = join(dir, de->d_name);
			keep = lstat(path, &st) == 0 && S_ISREG(st.st_mode);
			if (!keep && S_ISLNK(st.st_mode))
				link_diag(&s->diags, path);
			else if (!keep && !S_ISDIR(st.st_mode))
				irregular_diag(&s->diags, path, st.st_mode);
			free(path);
			if (!keep)
				continue;
		}
		dipb_strlist_push(&names, de->d_name);
	}
	/* A folder not read whole is reported, never taken as clean. */
	if (rc == -1)
		io_diag(s, dir, errno);
	closedir(d);
	if (names.n > 1)
		qsort(names.v, names.n, sizeof(*names.v), cmpname);
	for (i = 0; i < names.n; i++)
		add_file(s, join(dir, names.v[i]), b, rel != NULL ?
		    xasprintf("%s/%s", rel, names.v[i]) : NULL);
	for (i = 0; rel != NULL && i < dirs.n; i++) {
		path = join(dir, dirs.v[i]);
		sub = xasprintf("%s/%s", rel, dirs.v[i]);
		add_folder(s, path, b, 0, sub, depth - 1);
		free(sub);
		free(path);
	}
	dipb_strlist_release(&dirs);
	dipb_strlist_release(&names);
}

/*
 * 1, and reported, when recs, a board's recommendations/, is a symbolic
 * link, and real (when not NULL, a folder's real path) lies beyond it: a
 * board's records are never read through one, named or not, as git takes
 * what lies beyond one for outside the working tree (dipb-validate(1)).
 */
static int
records_link(struct dipb_scan *s, const char *recs, const char *real)
{
	struct stat st;
	char *to;
	size_t n;
	int r;

	if (lstat(recs, &st) == -1 || !S_ISLNK(st.st_mode))
		return 0;
	r = real == NULL;
	if (!r && (to = realpath(recs, NULL)) != NULL) {
		n = strlen(to);
		r = strncmp(real, to, n) == 0 &&
		    (real[n] == '\0' || real[n] == '/');
		free(to);
	}
	if (r)
		dipb_diags_add(&s->diags, recs, 0, 0, DIPB_SEV_ERROR, "io",
		    "a symbolic link: no record is read through it (git sees "
		    "the records beyond it as deleted)");
	return r;
}

static void
add_board_folder(struct dipb_scan *s, const char *dir)
{
	struct stat st;
	char *recs;
	int b;

	b = board_at(s, dir);
	recs = join(dir, DIPB_RECORD_DIR);
	if (!records_link(s, recs, NULL))
		add_folder(s, recs, b, 1, DIPB_RECORD_DIR, DIPB_RECORD_DEPTH);
	free(recs);
	/* The meetings the secretary recorded (meeting.h), when any. */
	recs = join(dir, DIPB_MEETING_DIR);
	if (lstat(recs, &st) == 0 && !S_ISLNK(st.st_mode))
		add_folder(s, recs, b, 1, NULL, 0);
	free(recs);
}

/*
 * 1 when folder dir is its board's recommendations/ or a folder below
 * it, whose files are then found by the record rule, as the board's whole
 * scan finds them (add_board_folder): the same files, each with its
 * place (rel), and its folders below, to the same depth; 0 for any
 * other folder.
 */
static int
records_folder(struct dipb_scan *s, const char *dir)
{
	const char *real, *from, *p;
	char *rel, *bdir;
	size_t n, depth = 0;
	int b;

	/* The board first: looking for it moves real_dir's cache. */
	if ((b = board_above(s, dir)) < 0 ||
	    (real = real_dir(s, dir)) == NULL)
		return 0;
	bdir = dir_of(s->boards[b].path);
	rel = join(bdir, DIPB_RECORD_DIR);
	n = records_link(s, rel, real);
	free(rel);
	free(bdir);
	if (n)
		return 1;
	n = strlen(s->boards[b].real);
	if (n < 2 || strncmp(real, s->boards[b].real, n) != 0 ||
	    real[n] != '/')
		return 0;
	from = real + n + 1;
	n = strlen(DIPB_RECORD_DIR);
	if (strncmp(from, DIPB_RECORD_DIR, n) != 0 ||
	    (from[n] != '\0' && from[n] != '/'))
		return 0;
	for (p = from; *p != '\0'; p++)
		depth += *p == '/';
	rel = xstrdup(from);
	if (depth > DIPB_RECORD_DEPTH)
		deep_diag(&s->diags, dir);
	else
		add_folder(s, dir, b, 0, rel, DIPB_RECORD_DEPTH - (int)depth);
	free(rel);
	return 1;
}

static void
add_path(struct dipb_scan *s, const char *given)
{
	struct stat st;
	const char *base;
	char *dir, *board, *tree, *path;
	int errnum;

	/*
	 * A link that names nothing, or a loop of links, is a link all the
	 * same: named, it is a record file (or dipb.yaml) reported [symlink]
	 * as one that names a file is, never [io] (dipb-validate(1)).
	 */
	if (stat(given, &st) == -1) {
		errnum = errno;
		if (lstat(given, &st) == -1 || !S_ISLNK(st.st_mode)) {
			io_diag(s, given, errnum);
			return;
		}
	}
	/* Named as the working tree holds it when given through a link to
	 * a folder of it (tree_dir). */
	if (S_ISDIR(st.st_mode)) {
		tree = tree_dir(s, given);
		path = tree != NULL ? tree : xstrdup(given);
		board = join(path, DIPB_BOARD_FILE);
		if (is_file(board) && !drafts_folder(s, path))
			add_board_folder(s, path);
		else if (!records_folder(s, path))
			add_folder(s, path, -2, 0, NULL, 0);
		free(board);
		free(path);
		return;
	}
	dir = dir_of(given);
	base = strrchr(given, '/') != NULL ? strrchr(given, '/') + 1 : given;
	if ((tree = tree_dir(s, dir)) != NULL) {
		free(dir);
		dir = tree;
		path = join(dir, base);
	} else
		path = xstrdup(given);
	if (strcmp(base, DIPB_BOARD_FILE) == 0 && !drafts_folder(s, dir)) {
		board_at(s, dir);
		free(path);
	} else
		add_file(s, path, board_above(s, dir), NULL);
	free(dir);
}

static int
cmpfile(const void *a, const void *b)
{
	const struct dipb_scan_file *x = a, *y = b;

	return strcmp(x->path, y->path);
}

/*
 * By real path; of one file's spellings, first the one found below its
 * board's recommendations/ (which carries its place, rel), then the one
 * named first.
 */
static int
cmpreal(const void *a, const void *b)
{
	const struct dipb_scan_file *x = a, *y = b;
	int c;

	if ((c = strcmp(x->real, y->real)) != 0)
		return c;
	if ((x->rel == NULL) != (y->rel == NULL))
		return x->rel == NULL ? 1 : -1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/*
 * The board found from the current folder upwards, with its folders'
 * files when files is set; DIPB_ERR_NO_REPO when there is none.
 */
static const struct dipb_error *
scan_up(struct dipb_scan *s, int files)
{
	char *dir, *up;
	size_t i, depth = 0;
	char cwd[PATH_MAX];

	if (getcwd(cwd, sizeof(cwd)) == NULL)
		return dipb_error_from_errno("cannot read the current folder");
	for (i = 0; cwd[i] != '\0'; i++)
		depth += cwd[i] == '/';
	dir = xstrdup("");
	for (i = 0; i <= depth && dir != NULL; i++) {
		up = join(dir, DIPB_BOARD_FILE);
		if (is_file(up) && (i > 0 || !drafts_folder(s, "."))) {
			free(up);
			if (files)
				add_board_folder(s, dir[0] != '\0' ? dir : ".");
			else
				(void)board_at(s, dir[0] != '\0' ? dir : ".");
			free(dir);
			return NULL;
		}
		free(up);
		up = dir[0] == '\0' ? xstrdup("..") : parent_of(dir);
		free(dir);
		dir = up;
	}
	free(dir);
	return dipb_error_fmt(DIPB_ERR_NO_REPO, "no %s in this folder or "
	    "above it (give the files to check as arguments)",
	    DIPB_BOARD_FILE);
}

/* s->err, taken from s: the caller's to free. */
static const struct dipb_error *
scan_failed(struct dipb_scan *s)
{
	const struct dipb_error *err = s->err;

	s->err = NULL;
	return err;
}

const struct dipb_error *
dipb_scan_board(struct dipb_scan *s)
{
	const struct dipb_error *err;

	if ((err = scan_up(s, 0)) != NULL)
		return err;
	return scan_failed(s);
}

const struct dipb_error *
dipb_scan_paths(struct dipb_scan *s, char *const *paths, size_t n)
{
	const struct dipb_error *err;
	size_t i, j;

	if (n == 0) {
		if ((err = scan_up(s, 1)) != NULL)
			return err;
		return scan_failed(s);
	}
	for (i = 0; i < n; i++)
		add_path(s, paths[i]);
	if ((err = scan_failed(s)) != NULL)
		return err;
	/*
	 * Each file once however often, and however, it was named ("x",
	 * "./x", a folder and a file in it, an absolute path): else it is
	 * counted twice and is a [duplicate-id] of itself.  Then sorted by
	 * the path shown.
	 */
	if (s->nfiles > 1)
		qsort(s->files, s->nfiles, sizeof(*s->files), cmpreal);
	for (i = j = 0; i < s->nfiles; i++) {
		if (j > 0 && strcmp(s->files[j - 1].real,
		    s->files[i].real) == 0) {
			file_release(&s->files[i]);
			continue;
		}
		s->files[j++] = s->files[i];
	}
	s->nfiles = j;
	if (s->nfiles > 1)
		qsort(s->files, s->nfiles, sizeof(*s->files), cmpfile);
	return NULL;
}

const struct dipb_board *
dipb_scan_board_of(const struct dipb_scan *s, const struct dipb_scan_file *f)
{
	if (f->board < 0 || (size_t)f->board >= s->nboards ||
	    !s->boards[f->board].ok)
		return NULL;
	return &s->boards[f->board].board;
}

/* ---- the files as git sees them ------------------------------------------ */

void
dipb_scan_git_release(struct dipb_scan_git *g)
{
	if (g->repo != NULL)
		dipb_repo_close(g->repo);
	free(g->top);
	free(g->none);
	dipb_strlist_release(&g->dots);
	dipb_strlist_release(&g->links);
	memset(g, 0, sizeof(*g));
}

/*
 * *r, the repository of working tree top, the one git finds from the
 * environment when it is that working tree's: its index is then
 * GIT_INDEX_FILE's, as git's in a hook, which names the index it is
 * writing (git(1), ENVIRONMENT VARIABLES).
 */
static void
env_repo(struct dipb_repo **r, const char *top)
{
	const struct dipb_error *err;
	struct dipb_repo *e = NULL;
	char *etop;

	if ((err = dipb_repo_open_at(&e, NULL)) != NULL) {
		dipb_error_free(err);
		return;
	}
	if (e == NULL)
		return;
	etop = realpath(dipb_repo_workdir(e), NULL);
	if (etop != NULL && strcmp(etop, top) == 0) {
		dipb_repo_close(*r);
		*r = e;
	} else
		dipb_repo_close(e);
	free(etop);
}

/*
 * *out, the path of the file at real (its real path, dipb_scan_file) in
 * its working tree (into real), NULL when it lies in none: its bytes are
 * then what it holds.  A repository found there
 * that will not open (another user's, without safe.directory) is an
 * error: git would refuse it too, and its bytes are not what git takes
 * in (dipb-fmt(1)).
 */
static const struct dipb_error *
git_path(const char **out, struct dipb_scan_git *g, const char *real)
{
	const struct dipb_error *err;
	struct dipb_repo *r = NULL;
	char *dir, *top = NULL;
	size_t n;

	*out = NULL;
	if (real == NULL || real[0] != '/')
		return NULL;
	if (g->top != NULL && strncmp(real, g->top, strlen(g->top)) == 0) {
		*out = real + strlen(g->top);
		return NULL;
	}
	dir = dir_of(real);
	if (g->none != NULL && strcmp(dir, g->none) == 0) {
		free(dir);
		return NULL;
	}
	if ((err = dipb_repo_open_at(&r, dir)) != NULL) {
		free(dir);
		return err;
	}
	if (r != NULL && (top = realpath(dipb_repo_workdir(r), NULL)) !=
	    NULL && (n = strlen(top)) > 1 && strncmp(real, top, n) == 0 &&
	    real[n] == '/') {
		env_repo(&r, top);
		dipb_scan_git_release(g);
		g->repo = r;
		g->top = xasprintf("%s/", top);
		free(top);
		free(dir);
		*out = real + n + 1;
		return NULL;
	}
	if (r != NULL)
		dipb_repo_close(r);
	free(top);
	free(g->none);
	g->none = dir;
	return NULL;
}

const struct dipb_error *
dipb_scan_canonical(int *ok, struct dipb_scan_git *g,
    const struct dipb_scan_file *f, const struct dipb_buf *buf,
    const struct dipb_buf *canon, unsigned *line)
{
	struct dipb_buf in = DIPB_BUF_INIT;
	const struct dipb_error *err;
	const char *path;

	*ok = dipb_validate_canonical(buf->ptr, buf->len, canon->ptr,
	    canon->len, line);
	/* Only a CR can differ between the bytes and what git takes in. */
	if (*ok || buf->len == 0 || memchr(buf->ptr, '\r', buf->len) == NULL)
		return NULL;
	if ((err = git_path(&path, g, f->real)) != NULL || path == NULL)
		return err;
	/* validate: another worker may have opened it */
	dipb_repo_thread_ready();
	dipb_buf_put(&in, buf->ptr, buf->len);
	if ((err = dipb_repo_text_in(&in, g->repo, path)) != NULL) {
		dipb_error_free(err);
		dipb_buf_release(&in);
		return NULL;
	}
	*ok = dipb_validate_canonical(in.ptr, in.len, canon->ptr, canon->len,
	    line);
	dipb_buf_release(&in);
	return NULL;
}

const struct dipb_error *
dipb_scan_git_out(struct dipb_scan_git *g, struct dipb_buf *out,
    const struct dipb_scan_file *f, const struct dipb_buf *canon)
{
	const struct dipb_error *err;
	const char *path;

	dipb_buf_clear(out);
	if ((err = git_path(&path, g, f->real)) != NULL)
		return err;
	if (path != NULL && (err = dipb_repo_text_out(out, g->repo, path,
	    canon->ptr, canon->len)) == NULL)
		return NULL;
	dipb_error_free(err);
	dipb_buf_clear(out);
	dipb_buf_put(out, canon->ptr, canon->len);
	return NULL;
}

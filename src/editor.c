/*
 * editor.c - the user's editor, and the drafts written in it.
 */
#include <sys/stat.h>
#include <sys/wait.h>
#ifdef __linux__
#include <sys/xattr.h>
#endif

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "editor.h"
#include "error.h"
#include "record.h"
#include "text.h"

static const char *
env(const char *name)
{
	const char *v = getenv(name);

	return v != NULL && *v != '\0' ? v : NULL;
}

static char *core_editor, *editor_top;

void
dipb_editor_set_core(const char *v, const char *top)
{
	free(core_editor);
	core_editor = v != NULL && *v != '\0' ? xstrdup(v) : NULL;
	free(editor_top);
	editor_top = top != NULL && *top != '\0' ? xstrdup(top) : NULL;
}

const char *
dipb_editor_program(int *named)
{
	const char *editor;
	int dumb = dipb_terminal_dumb();

	if (named != NULL)
		*named = 1;
	if ((editor = env("GIT_EDITOR")) == NULL)
		editor = core_editor;
	/* A visual editor needs a real terminal; $EDITOR is the one that
	 * works on any, as in git. */
	if (editor == NULL && !dumb)
		editor = env("VISUAL");
	if (editor == NULL)
		editor = env("EDITOR");
	if (editor != NULL)
		return editor;
	if (named != NULL)
		*named = 0;
	return dumb ? NULL : "vi";
}

const struct dipb_error *
dipb_editor_check(int interactive, int named_ok, const char *instead)
{
	const char *term = env("TERM");
	int named;

	if (dipb_editor_program(&named) == NULL)
		return dipb_error_fmt(DIPB_ERR_USAGE, "cannot open the editor: "
		    "the terminal is dumb (TERM=%s) and EDITOR is not set; %s",
		    term != NULL ? term : "", instead);
	if (interactive || (named_ok && named))
		return NULL;
	return dipb_error_fmt(DIPB_ERR_USAGE, "cannot open the editor: "
	    "standard input and standard error are not both a terminal; %s",
	    instead);
}

const struct dipb_error *
dipb_editor_run(const char *path)
{
	const char *editor = dipb_editor_program(NULL);
	char *script, *cwd = NULL, *abs = NULL;
	pid_t pid;
	int status;

	if (editor == NULL)
		return dipb_editor_check(0, 0, "set EDITOR");
	/* The path from the top too, when it is relative ($TMPDIR). */
	if (editor_top != NULL && path[0] != '/') {
		if ((cwd = getcwd(NULL, 0)) == NULL)
			return dipb_error_from_errno("the current folder");
		path = abs = xasprintf("%s/%s", cwd, path);
		free(cwd);
	}
	script = xasprintf("%s \"$@\"", editor);
	fflush(NULL);
	if ((pid = fork()) == -1) {
		free(script);
		free(abs);
		return dipb_error_from_errno("fork");
	}
	if (pid == 0) {
		if (!isatty(STDOUT_FILENO) && isatty(STDERR_FILENO))
			(void)dup2(STDERR_FILENO, STDOUT_FILENO);
		/* From where git runs it: a relative core.editor is the
		 * working tree's (dipb-edit(1), ENVIRONMENT). */
		if (editor_top != NULL && chdir(editor_top) == -1) {
			/* The child has no way back to the parent's error:
			 * its message here, and the parent's "the editor
			 * failed". */
			dipb_say(stderr, "dipb: %s: %s\n", editor_top,
			    strerror(errno));
			_exit(127);
		}
		execl("/bin/sh", "sh", "-c", script, editor, path,
		    (char *)NULL);
		_exit(127);
	}
	free(script);
	free(abs);
	if (dipb_wait_child(pid, &status) == -1)
		return dipb_error_from_errno("waitpid");
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return dipb_error_fmt(DIPB_ERR_EDITOR,
		    "the editor '%s' failed", editor);
	return NULL;
}

int
dipb_editor_ask(const char *question)
{
	char line[64];

	dipb_say(stderr, "%s [Y/n] ", question);
	fflush(stderr);
	if (fgets(line, sizeof(line), stdin) == NULL) {
		fputc('\n', stderr);
		return 0;
	}
	return line[0] == '\n' || line[0] == 'y' || line[0] == 'Y';
}

int
dipb_editor_ask_again(const struct dipb_error **err)
{
	const struct dipb_error *said;

	dipb_say(stderr, "dipb: %s\n", (*err)->msg);
	if (dipb_editor_ask("edit again?")) {
		dipb_error_free(*err);
		*err = NULL;
		return 1;
	}
	said = dipb_error_fmt((*err)->code, "%s", "");
	dipb_error_free(*err);
	*err = said;
	return 0;
}

/* A new file prefix-XXXXXX.yaml in dir, open for writing, into *out. */
static const struct dipb_error *
make_file(FILE **out, char **path, const char *dir, const char *prefix)
{
	const struct dipb_error *err;
	int fd;

	*path = xasprintf("%s%s%s-XXXXXX.yaml", dir,
	    dir[strlen(dir) - 1] == '/' ? "" : "/", prefix);
	if ((fd = mkstemps(*path, 5)) == -1)
		return dipb_error_from_errno("%s", *path);
	if ((*out = fdopen(fd, "w")) == NULL) {
		err = dipb_error_from_errno("%s", *path);
		close(fd);
		unlink(*path);
		return err;
	}
	return NULL;
}

/*
 * 1 when group gid is the user's alone, as a user private group is (the
 * umask 002 of such systems makes every folder group-writable): the
 * primary group of the user and of no other account, and no other
 * account among its members.  As Debian's OpenSSH allows for the
 * folders of a private key.  The accounts are read once a command: the
 * drafts folder, dipb/ and the git dir are most often of one group.
 */
static int
group_own(gid_t gid)
{
	static gid_t asked;
	static int known, answer;
	struct passwd *pw;
	struct group *gr;
	char *name;
	int own = 1;
	size_t i;

	if (known && asked == gid)
		return answer;
	if ((pw = getpwuid(geteuid())) == NULL || pw->pw_gid != gid)
		return 0;
	name = xstrdup(pw->pw_name);
	if ((gr = getgrgid(gid)) == NULL)
		own = 0;
	for (i = 0; own && gr->gr_mem[i] != NULL; i++)
		own = strcmp(gr->gr_mem[i], name) == 0;
	setpwent();
	while (own && (pw = getpwent()) != NULL)
		own = pw->pw_gid != gid || pw->pw_uid == geteuid();
	endpwent();
	free(name);
	known = 1;
	asked = gid;
	answer = own;
	return own;
}

/*
 * 1 when the folder at path has an extended POSIX ACL: one that may let
 * another account write it whatever its mode says (the group bits are
 * then the ACL's mask).  Read from the xattr Linux keeps it in, so no
 * libacl; none there (ENODATA) or no ACLs on the file system (ENOTSUP)
 * or no xattrs in the kernel (ENOSYS) is no ACL, any other failure one
 * that cannot be ruled out.
 */
static int
has_acl(const char *path)
{
#ifdef __linux__
	return lgetxattr(path, "system.posix_acl_access", NULL, 0) != -1 ||
	    (errno != ENODATA && errno != ENOTSUP && errno != ENOSYS);
#else
	(void)path;
	return 0;
#endif
}

/*
 * 1 when path, st its lstat(2), is a real folder (no link) of the user's,
 * or, with root_ok, root's, that no one else can write (group_own aside)
 * and with no extended ACL: what another member of a shared repository's
 * group cannot swap a draft in or out of, as OpenSSH asks of the folders
 * of a private key.  The owner first: no account is scanned for a folder
 * of someone else's.
 */
static int
private_folder(const char *path, const struct stat *st, int root_ok)
{
	return S_ISDIR(st->st_mode) &&
	    (st->st_uid == geteuid() || (root_ok && st->st_uid == 0)) &&
	    (st->st_mode & 002) == 0 && !has_acl(path) &&
	    ((st->st_mode & 020) == 0 || group_own(st->st_gid));
}

/* The folder path is in, "." or "/" for a bare name or one in "/".
 * Caller frees. */
static char *
folder_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		return xstrdup(".");
	return slash == path ? xstrdup("/") :
	    xstrndup(path, (size_t)(slash - path));
}

/*
 * 1 when the parent of dir, the drafts folder, and the parent of that,
 * the git dir, are the user's or root's alone (private_folder), so that
 * no one else can rename dir, or the dipb/ it is in, away and put a
 * folder or a link of theirs in its place (dipb-recommend(1), FILES).
 */
static int
parent_private(const char *dir)
{
	char *parent = xstrdup(dir), *up;
	struct stat st;
	int ok = 1, level;

	for (level = 0; ok && level < 2; level++) {
		ok = strrchr(parent, '/') != NULL &&
		    parent[strlen(parent) - 1] != '/';
		up = ok ? folder_of(parent) : NULL;
		free(parent);
		parent = up;
		ok = ok && lstat(parent, &st) == 0 &&
		    private_folder(parent, &st, 1);
	}
	free(parent);
	return ok;
}

/*
 * 1 when dir, the drafts folder, is the user's alone (private_folder),
 * and its parent too (parent_private); made (mode 0700) when missing in
 * such a parent.  dipb-recommend(1), FILES: a shared repository's
 * <git dir>/dipb/ is the group's (dipb-git(7)), so its drafts go to
 * $TMPDIR.
 */
static int
drafts_private(const char *dir)
{
	struct stat st;

	if (!parent_private(dir))
		return 0;
	if (lstat(dir, &st) == -1 && (errno != ENOENT ||
	    mkdir(dir, 0700) == -1 || lstat(dir, &st) == -1))
		return 0;
	return private_folder(dir, &st, 0);
}

const struct dipb_error *
dipb_draft_open(struct dipb_draft *d, const char *dir, const char *prefix,
    const char *initial, size_t len)
{
	const struct dipb_error *err = NULL;
	FILE *fp = NULL;

	/* The drafter's own (dipb-recommend(1), FILES), or none: a folder
	 * another can write, or swap, is not written in; its parent is
	 * the caller's (dipb_repo_drafts_dir). */
	if (dir != NULL && drafts_private(dir)) {
		if ((err = make_file(&fp, &d->path, dir, prefix)) != NULL) {
			dipb_error_free(err);
			free(d->path);
			d->path = NULL;
		}
	}
	if (fp == NULL && (err = make_file(&fp, &d->path, dipb_tmp_dir(),
	    prefix)) != NULL) {
		free(d->path);
		d->path = NULL;
		return err;
	}
	dipb_buf_put(&d->initial, initial, len);
	if (fwrite(initial, 1, len, fp) != len)
		err = dipb_error_from_errno("%s", d->path);
	if (fclose(fp) != 0 && err == NULL)
		err = dipb_error_from_errno("%s", d->path);
	if (err != NULL)
		dipb_draft_close(d, 0);
	return err;
}

/*
 * 1 when st, from lstat(2) or fstat(2), is a file of the user's: a
 * regular one, theirs, with no other link (read_own, dipb_draft_kept).
 */
static int
own_file(const struct stat *st)
{
	return S_ISREG(st->st_mode) && st->st_uid == geteuid() &&
	    st->st_nlink <= 1;
}

/*
 * The draft back from the editor into out: a regular file of the user's
 * (an editor may write a new one in its place, so not the same inode),
 * never through a link; in $TMPDIR another user may make a file of that
 * name once the editor removed the draft, and its text is not the
 * user's.  Read through the descriptor that was checked.
 */
static const struct dipb_error *
read_own(struct dipb_buf *out, const char *path)
{
	const struct dipb_error *err;
	struct stat st;
	char *show;
	int fd;

	dipb_buf_clear(out);
	if ((fd = dipb_open_regular(path, O_NOFOLLOW, &st)) == -1 &&
	    errno != ELOOP)
		return dipb_error_from_errno("%s", path);
	if (fd < 0 || !own_file(&st)) {
		if (fd >= 0)
			close(fd);
		show = dipb_text_clean_line(path);
		err = dipb_error_fmt(DIPB_ERR_IO, "%s: not a file of yours "
		    "(a symbolic or hard link, another user's or no regular "
		    "file): not read", show);
		free(show);
		return err;
	}
	err = dipb_read_whole(out, fd, path, DIPB_MAX_FILE);
	close(fd);
	return err;
}

const struct dipb_error *
dipb_draft_edit(struct dipb_draft *d)
{
	const struct dipb_error *err;
	const struct dipb_error *read_err;

	/* Read back even when the editor failed: whether the file is worth
	 * keeping is what the user left in it. */
	dipb_buf_clear(&d->text);
	err = dipb_editor_run(d->path);
	read_err = read_own(&d->text, d->path);
	if (err == NULL)
		return read_err;
	if (read_err != NULL)
		dipb_buf_put(&d->text, "\n", 1);	/* not the template */
	dipb_error_free(read_err);
	return err;
}

int
dipb_draft_unchanged(const struct dipb_draft *d)
{
	return d->text.len == d->initial.len && (d->text.len == 0 ||
	    memcmp(d->text.ptr, d->initial.ptr, d->text.len) == 0);
}

int
dipb_draft_empty(const struct dipb_draft *d)
{
	const char *p = d->text.ptr, *end = p + d->text.len;

	while (p < end) {
		if (*p == '#') {
			while (p < end && *p != '\n')
				p++;
		} else if (*p == ' ' || *p == '\t' || *p == '\r' ||
		    *p == '\n')
			p++;
		else
			return 0;
	}
	return 1;
}

const struct dipb_error *
dipb_draft_fix(struct dipb_draft *d, const char *text, size_t len)
{
	const struct dipb_error *err = NULL;
	const char *slash = strrchr(d->path, '/');
	char *dir, *prefix;
	FILE *fp;

	/* The draft's own name, without ".yaml", is the prefix; a draft
	 * make_file named has a folder and the suffix. */
	if (slash == NULL || strlen(slash + 1) < 5)
		return NULL;
	dir = xstrndup(d->path, (size_t)(slash - d->path) + 1);
	prefix = xstrndup(slash + 1, strlen(slash + 1) - 5);
	if ((err = make_file(&fp, &d->fixed, dir, prefix)) == NULL) {
		if (fwrite(text, 1, len, fp) != len)
			err = dipb_error_from_errno("%s", d->fixed);
		if (fclose(fp) != 0 && err == NULL)
			err = dipb_error_from_errno("%s", d->fixed);
		if (err != NULL)
			(void)unlink(d->fixed);
	}
	if (err != NULL) {
		free(d->fixed);
		d->fixed = NULL;
	}
	free(prefix);
	free(dir);
	return err;
}

void
dipb_draft_close(struct dipb_draft *d, int keep)
{
	if (d->path != NULL && !keep)
		(void)unlink(d->path);
	if (d->fixed != NULL && !keep)
		(void)unlink(d->fixed);
	free(d->path);
	free(d->fixed);
	d->path = NULL;
	d->fixed = NULL;
	dipb_buf_release(&d->initial);
	dipb_buf_release(&d->text);
}

/*
 * A kept draft's path as a command names it, shell-quoted; when a message
 * cannot show it (dipb_text_shown_as_is), one in $TMPDIR as "$TMPDIR"/NAME
 * (dipb_draft_open names it so), one in the git dir's dipb/drafts/ as git
 * finds it from where the user is,
 * "$(git rev-parse --git-path dipb/drafts/NAME)", as dipb_repo_path_arg
 * names a working file.  Caller frees.
 */
static char *
draft_arg(const char *path)
{
	const char *dir = "/dipb/drafts/", *tmp = dipb_tmp_dir(), *p = path;
	const char *name = NULL;
	size_t n = strlen(tmp);
	int in_tmp = 0;
	char *q, *arg;

	if (dipb_text_shown_as_is(path))
		return dipb_sh_quote(path);
	/* In $TMPDIR itself (dipb_draft_open), or in the drafts folder. */
	if (n > 0 && strncmp(path, tmp, n) == 0 && (tmp[n - 1] == '/' ||
	    path[n] == '/') && strchr(path + n + 1, '/') == NULL) {
		name = path + n + (path[n] == '/');
		in_tmp = 1;
	} else
		while ((p = strstr(p, dir)) != NULL)
			name = p += strlen(dir);
	if (name == NULL || strchr(name, '/') != NULL ||
	    !dipb_text_shown_as_is(name))
		return dipb_sh_quote(path);
	q = dipb_sh_quote(name);
	arg = in_tmp ? xasprintf("\"$TMPDIR\"/%s", q) :
	    xasprintf("\"$(git rev-parse --git-path dipb/drafts/%s)\"", q);
	free(q);
	return arg;
}

const struct dipb_error *
dipb_draft_kept(const struct dipb_error *err, const struct dipb_draft *d,
    const char *resume)
{
	const struct dipb_error *kept;
	struct dipb_buf how = DIPB_BUF_INIT;
	struct stat st;
	const char *p;
	char *quoted, *path, *fixed;

	/* An editor may remove the file, or leave something else there
	 * (another's file, a link, that read_own did not read): the text is
	 * kept only where a file of the user's is. */
	/* An empty message was said already (dipb_editor_ask_again). */
	/* Paths shown on one line (dipb_text_clean_line): a newline in
	 * one (the user's TMPDIR, the repository's folder) would start a
	 * line of its own, a "dipb: ..." forged. */
	path = dipb_text_clean_line(d->path);
	if (lstat(d->path, &st) == -1 || !own_file(&st)) {
		kept = dipb_error_fmt(err->code, "%s%sthe editor left no "
		    "file of yours at %s: no text of yours is kept", err->msg,
		    err->msg[0] != '\0' ? "\ndipb: " : "", path);
		free(path);
		dipb_error_free(err);
		return kept;
	}
	fixed = d->fixed != NULL ? dipb_text_clean_line(d->fixed) : NULL;
	/* resume names the path with its first "%s"; not a format string
	 * of ours, as the path is the user's TMPDIR, and the rest of resume
	 * may name the user's folders, "%s" in them too. */
	if ((p = strstr(resume, "%s")) != NULL) {
		quoted = draft_arg(d->fixed != NULL ? d->fixed : d->path);
		dipb_buf_put(&how, resume, (size_t)(p - resume));
		dipb_buf_puts(&how, quoted);
		dipb_buf_puts(&how, p + 2);
		free(quoted);
	} else
		dipb_buf_puts(&how, resume);
	kept = dipb_error_fmt(err->code, "%s%syour text is kept in %s%s%s; "
	    "to take it up again: %s", err->msg, err->msg[0] != '\0' ?
	    "\ndipb: " : "", path, fixed != NULL ? ", and with the "
	    "refused value put back in " : "", fixed != NULL ? fixed : "",
	    dipb_buf_cstr(&how));
	dipb_buf_release(&how);
	free(fixed);
	free(path);
	dipb_error_free(err);
	return kept;
}

/*
 * 1 when name is a draft's as make_file names it: prefix-XXXXXX.yaml, the
 * six letters or digits mkstemps(3) put in.
 */
static int
draft_name(const char *name, const char *prefix)
{
	size_t n = strlen(prefix);

	return strncmp(name, prefix, n) == 0 && name[n] == '-' &&
	    strspn(name + n + 1, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789") == 6 &&
	    strcmp(name + n + 7, ".yaml") == 0;
}

/* 1 when a and b, each from lstat(2) or stat(2), are the same folder. */
static int
same_folder(const struct stat *a, const struct stat *b)
{
	return S_ISDIR(a->st_mode) && S_ISDIR(b->st_mode) &&
	    a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

void
dipb_draft_forget(const char *dir, const char *prefix, const char *path)
{
	const char *base = strrchr(path, '/');
	struct stat f, p, d;
	char *parent;
	int in;

	/* The user's one name for a file of theirs: no link, nor one
	 * another linked to. */
	if (lstat(path, &f) == -1 || !S_ISREG(f.st_mode) ||
	    f.st_uid != geteuid() || f.st_nlink != 1)
		return;
	parent = folder_of(path);
	/* By lstat, never through a link: a link there may name a folder
	 * of the user's own work (dipb-recommend(1), FILES).  Which folder
	 * first, its privacy (and the account scan of group_own) after;
	 * nothing is made. */
	if (lstat(parent, &p) == 0 && lstat(dir, &d) == 0 &&
	    same_folder(&p, &d))
		in = private_folder(dir, &d, 0) && parent_private(dir);
	/* A draft dipb wrote in $TMPDIR, which the user's environment
	 * names, by the name it gave it: through links, as the user's own
	 * (a $TMPDIR that is a link names its target). */
	else
		in = stat(parent, &p) == 0 && stat(dipb_tmp_dir(), &d) == 0 &&
		    same_folder(&p, &d) &&
		    draft_name(base == NULL ? path : base + 1, prefix);
	free(parent);
	if (in)
		(void)unlink(path);
}

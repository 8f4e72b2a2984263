/*
 * git/journal.c - the journal of a change, and the recovery of a change
 * that a killed dipb left.
 */
#include <sys/file.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "../error.h"
#include "../hashmap.h"
#include "../util.h"

#define JOURNAL_FILE	"dipb-journal"
#define JOURNAL_MAGIC	"dipb-journal 1"
#define JOURNAL_MAGIC2	"dipb-journal 2"	/* a sync: publish.c */

void
dipb_git_journal_release(struct journal *j)
{
	size_t i;

	free(j->branch_ref);
	free(j->tag_ref);
	for (i = 0; i < j->nfiles; i++)
		free(j->files[i].path);
	free(j->files);
	for (i = 0; i < j->nmoves; i++) {
		free(j->moves[i].from);
		free(j->moves[i].to);
	}
	free(j->moves);
	for (i = 0; i < j->nrefs; i++)
		free(j->refs[i].name);
	free(j->refs);
	memset(j, 0, sizeof(*j));
}

static char *
journal_path(const struct dipb_repo *r)
{
	return xasprintf("%s%s", r->gitdir, JOURNAL_FILE);
}

/*
 * Whether a journal is at path: lstat(2), a dangling link counting as
 * one (access(2) follows it), refused until it is removed (dipb(1)).
 */
static int
journal_present(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

int
dipb_repo_pending(const struct dipb_repo *r)
{
	char *path = journal_path(r);
	int left = journal_present(path);

	free(path);
	return left;
}

/*
 * Where folders do not sync (dipb_git_objects_begin), the file systems
 * flushed instead of the folders' fsyncs dipb_fsync_dir_of cannot make:
 * after the journal is renamed into place, before any ref moves, and
 * before it goes, after the refs, the tag's new folder and the index.
 */
static const struct dipb_error *
flush_unsynced(struct dipb_repo *r)
{
	return r->fsync && r->dirsync < 0 ? dipb_git_flush(r) : NULL;
}

/*
 * A path on a journal line: git takes a backslash, a newline or a
 * carriage return in one on Linux, and a sync brings such a path in, so
 * those three are written as backslash sequences (\\, \n, \r) and a
 * line stays one path.  A journal of an older dipb, which took none of
 * them, reads the same.
 */
static void
put_path(struct dipb_buf *b, const char *path)
{
	for (; *path != '\0'; path++)
		if (*path == '\\')
			dipb_buf_puts(b, "\\\\");
		else if (*path == '\n')
			dipb_buf_puts(b, "\\n");
		else if (*path == '\r')
			dipb_buf_puts(b, "\\r");
		else
			dipb_buf_putc(b, *path);
}

/* put_path's text [s, s + n) read back; NULL when it is not one. */
static char *
get_path(const char *s, size_t n)
{
	struct dipb_buf b = DIPB_BUF_INIT;
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] != '\\')
			dipb_buf_putc(&b, s[i]);
		else if (i + 1 < n && strchr("\\nr", s[i + 1]) != NULL) {
			i++;
			dipb_buf_putc(&b, s[i] == 'n' ? '\n' : s[i] == 'r' ?
			    '\r' : '\\');
		} else {
			dipb_buf_release(&b);
			return NULL;
		}
	}
	return dipb_buf_detach(&b);
}

const struct dipb_error *
dipb_git_journal_write(struct dipb_repo *r, const struct journal *j)
{
	const struct dipb_error *err;
	struct dipb_buf b = DIPB_BUF_INIT;
	char h1[GIT_OID_HEXSZ + 1], h2[GIT_OID_HEXSZ + 1];
	char *path = journal_path(r);
	size_t i;

	dipb_buf_printf(&b, "%s\nbranch %s\n", j->version == 2 ?
	    JOURNAL_MAGIC2 : JOURNAL_MAGIC, j->branch_ref);
	dipb_buf_printf(&b, "old %s\n", git_oid_tostr(h1, sizeof(h1), &j->old));
	dipb_buf_printf(&b, "new %s\n", git_oid_tostr(h1, sizeof(h1), &j->new));
	if (j->version != 2) {
		dipb_buf_printf(&b, "tag-ref %s\n", j->tag_ref);
		dipb_buf_printf(&b, "tag %s\n",
		    git_oid_tostr(h1, sizeof(h1), &j->tag));
	}
	for (i = 0; i < j->nrefs; i++)
		dipb_buf_printf(&b, "ref %s %s %s\n",
		    git_oid_tostr(h1, sizeof(h1), &j->refs[i].old),
		    git_oid_tostr(h2, sizeof(h2), &j->refs[i].new),
		    j->refs[i].name);
	for (i = 0; i < j->nfiles; i++) {
		dipb_buf_printf(&b, "%s %s %s ", !git_oid_is_zero(
		    &j->files[i].was) ? "replace" : j->files[i].take ?
		    "take" : "file",
		    git_oid_tostr(h1, sizeof(h1), &j->files[i].old),
		    git_oid_tostr(h2, sizeof(h2), &j->files[i].new));
		if (!git_oid_is_zero(&j->files[i].was))
			dipb_buf_printf(&b, "%s ", git_oid_tostr(h1,
			    sizeof(h1), &j->files[i].was));
		put_path(&b, j->files[i].path);
		dipb_buf_putc(&b, '\n');
	}
	for (i = 0; i < j->nmoves; i++) {
		dipb_buf_printf(&b, "move %s %o ",
		    git_oid_tostr(h1, sizeof(h1), &j->moves[i].id),
		    j->moves[i].mode);
		put_path(&b, j->moves[i].from);
		dipb_buf_putc(&b, ' ');
		put_path(&b, j->moves[i].to);
		dipb_buf_putc(&b, '\n');
	}
	dipb_buf_puts(&b, "end\n");
	/* In core.sharedRepository's mode, so another member can recover. */
	if ((err = dipb_git_write_atomic(r, path, b.ptr, b.len,
	    r->fsync)) == NULL)
		err = flush_unsynced(r);
	dipb_buf_release(&b);
	free(path);
	return err;
}

void
dipb_git_journal_remove(struct dipb_repo *r, int made)
{
	const struct dipb_error *err;
	char *path;

	/* Not flushed: left, for the next command to complete; said, as
	 * the flush's error (Linux reports it once) is not given again. */
	if ((err = flush_unsynced(r)) != NULL) {
		dipb_git_warn(r, "the change is %s, but its flush to disk "
		    "failed; its journal stays (the next dipb command "
		    "finishes it): %s", made ? "made" : "undone", err->msg);
		dipb_error_free(err);
		return;
	}
	path = journal_path(r);
	unlink(path);
	free(path);
}

static int
parse_oid(git_oid *out, const char *hex, size_t len)
{
	return len == GIT_OID_HEXSZ && git_oid_fromstrn(out, hex, len) == 0 ?
	    0 : -1;
}

/*
 * A "file <old id> <new id> <path>" line, after "file ", or the same
 * after "take " (take: struct jfile), or "replace <old id> <new id> <was
 * id> <path>" after "replace " (ids 3: struct jfile's was; take).
 */
static int
parse_file(struct journal *j, const char *line, int take, int ids)
{
	struct jfile *f;
	const char *path = line + ids * (GIT_OID_HEXSZ + 1);
	git_oid *id[3];
	int i;

	xgrow((void **)&j->files, &j->cap, j->nfiles + 1, sizeof(*j->files));
	f = &j->files[j->nfiles];
	memset(f, 0, sizeof(*f));
	id[0] = &f->old;
	id[1] = &f->new;
	id[2] = &f->was;
	if (strlen(line) < (size_t)ids * (GIT_OID_HEXSZ + 1) + 1)
		return -1;
	for (i = 0; i < ids; i++)
		if (line[i * (GIT_OID_HEXSZ + 1) + GIT_OID_HEXSZ] != ' ' ||
		    parse_oid(id[i], line + i * (GIT_OID_HEXSZ + 1),
		    GIT_OID_HEXSZ) < 0)
			return -1;
	if ((f->path = get_path(path, strlen(path))) == NULL)
		return -1;
	f->take = take;
	j->nfiles++;
	return dipb_git_path_ok(f->path) ? 0 : -1;
}

/*
 * A "move <id> <mode> <from> <to>" line, after "move " (version 1: dipb
 * migrate's); the paths hold no space (commit.c refuses them).
 */
static int
parse_move(struct journal *j, const char *line)
{
	struct jmove *m;
	const char *p = line + GIT_OID_HEXSZ + 1, *sp, *sp2;
	unsigned long mode;
	char *end;

	if (j->version == 2 || strlen(line) < GIT_OID_HEXSZ + 7 ||
	    line[GIT_OID_HEXSZ] != ' ')
		return -1;
	mode = strtoul(p, &end, 8);
	if (end == p || *end != ' ' || (mode != GIT_FILEMODE_BLOB &&
	    mode != GIT_FILEMODE_BLOB_EXECUTABLE))
		return -1;
	sp = end + 1;
	if ((sp2 = strchr(sp, ' ')) == NULL || strchr(sp2 + 1, ' ') != NULL)
		return -1;
	xgrow((void **)&j->moves, &j->movecap, j->nmoves + 1,
	    sizeof(*j->moves));
	m = &j->moves[j->nmoves];
	memset(m, 0, sizeof(*m));
	if (parse_oid(&m->id, line, GIT_OID_HEXSZ) < 0)
		return -1;
	m->mode = (unsigned)mode;
	m->from = get_path(sp, (size_t)(sp2 - sp));
	m->to = get_path(sp2 + 1, strlen(sp2 + 1));
	j->nmoves++;
	if (m->from == NULL || m->to == NULL ||
	    !dipb_git_path_ok(m->from) || !dipb_git_path_ok(m->to))
		return -1;
	return 0;
}

/* A "ref <old id> <new id> <name>" line, after "ref " (version 2). */
static int
parse_ref(struct journal *j, const char *line)
{
	struct jref *f;
	const char *name = line + 2 * GIT_OID_HEXSZ + 2;
	int valid = 0;

	if (j->version != 2 || strlen(line) < 2 * GIT_OID_HEXSZ + 3 ||
	    line[GIT_OID_HEXSZ] != ' ' || line[2 * GIT_OID_HEXSZ + 1] != ' ' ||
	    git_reference_name_is_valid(&valid, name) < 0 || !valid ||
	    strncmp(name, "refs/", 5) != 0)
		return -1;
	xgrow((void **)&j->refs, &j->refcap, j->nrefs + 1, sizeof(*j->refs));
	f = &j->refs[j->nrefs];
	memset(f, 0, sizeof(*f));
	if (parse_oid(&f->old, line, GIT_OID_HEXSZ) < 0 ||
	    parse_oid(&f->new, line + GIT_OID_HEXSZ + 1, GIT_OID_HEXSZ) < 0)
		return -1;
	f->name = xstrdup(name);
	j->nrefs++;
	return 0;
}

/*
 * *into the ref name after "branch " or "tag-ref ": a valid ref under
 * prefix (refs/heads/, refs/tags/), once; -1 else.  Recovery prints the
 * tag's name past its prefix and removes "<git dir><name>.lock": a name
 * shorter than its prefix, or with "..", would read past it or reach
 * outside the git dir.
 */
static int
parse_refname(char **into, const char *name, const char *prefix)
{
	int valid = 0;

	if (*into != NULL || strncmp(name, prefix, strlen(prefix)) != 0 ||
	    name[strlen(prefix)] == '\0' ||
	    git_reference_name_is_valid(&valid, name) < 0 || !valid) {
		git_error_clear();
		return -1;
	}
	*into = xstrdup(name);
	return 0;
}

/* One line after the first: 0 read, 1 the "end" line, -1 not ours. */
static int
parse_line(struct journal *j, const char *line)
{
	const struct {
		const char	*key;
		git_oid		*id;
	} ids[] = { { "old ", &j->old }, { "new ", &j->new },
	    { "tag ", &j->tag } };
	size_t i;

	if (strncmp(line, "branch ", 7) == 0)
		return parse_refname(&j->branch_ref, line + 7, "refs/heads/");
	else if (strncmp(line, "tag-ref ", 8) == 0)
		return parse_refname(&j->tag_ref, line + 8, "refs/tags/");
	else if (strncmp(line, "file ", 5) == 0)
		return parse_file(j, line + 5, 0, 2);
	else if (strncmp(line, "take ", 5) == 0)
		return parse_file(j, line + 5, 1, 2);
	else if (strncmp(line, "replace ", 8) == 0)
		return parse_file(j, line + 8, 1, 3);
	else if (strncmp(line, "ref ", 4) == 0)
		return parse_ref(j, line + 4);
	else if (strncmp(line, "move ", 5) == 0)
		return parse_move(j, line + 5);
	else if (strcmp(line, "end") == 0)
		return 1;
	else {
		for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
			if (strncmp(line, ids[i].key, 4) == 0)
				return parse_oid(ids[i].id, line + 4,
				    strlen(line + 4));
		return -1;
	}
	return 0;
}

/* Parses the journal text; -1 when it is not one dipb wrote whole. */
static int
journal_parse(struct journal *j, char *text)
{
	char *line, *next;
	int rc = 0;

	memset(j, 0, sizeof(*j));
	for (line = text; rc == 0 && *line != '\0'; line = next) {
		if ((next = strchr(line, '\n')) == NULL)
			return -1;
		*next++ = '\0';
		if (line == text) {
			if (strcmp(line, JOURNAL_MAGIC2) == 0)
				j->version = 2;
			else if (strcmp(line, JOURNAL_MAGIC) != 0)
				return -1;
		} else if ((rc = parse_line(j, line)) < 0)
			return -1;
	}
	if (rc != 1 || j->branch_ref == NULL || git_oid_is_zero(&j->new))
		return -1;
	if (j->version == 2)
		return 0;
	if (j->tag_ref == NULL || (j->nfiles == 0 && j->nmoves == 0) ||
	    git_oid_is_zero(&j->tag))
		return -1;
	return 0;
}

const struct dipb_error *
dipb_git_ref_id(git_oid *out, struct dipb_repo *r, const char *name)
{
	int rc = git_reference_name_to_id(out, r->git, name);

	if (rc == GIT_ENOTFOUND || rc == GIT_EINVALIDSPEC) {
		git_error_clear();
		memset(out, 0, sizeof(*out));
		return NULL;
	}
	if (rc < 0)
		return dipb_error_from_git("cannot read '%s'", name);
	return NULL;
}

/*
 * Finishes the working-tree and index steps of a change whose branch
 * move landed.  Only for the branch checked out: the journal's working
 * tree is this one, but HEAD may have moved to another branch since.
 */
static const struct dipb_error *
finish(struct dipb_repo *r, const struct journal *j)
{
	const struct dipb_error *err;
	struct dipb_git_wt *wt;

	if ((err = dipb_git_load_head(r)) != NULL)
		return err;
	if (strcmp(r->branch_ref, j->branch_ref) != 0)
		return NULL;
	/* As the change itself: no git commit of the old index meanwhile. */
	if ((err = dipb_git_index_hold(r)) != NULL)
		return err;
	if (j->version == 2)
		err = dipb_git_files_sync(r, j->files, j->nfiles);
	else if ((err = dipb_git_index_batch(r)) == NULL) {
		/* One write of the index, as the change (commit.c). */
		wt = xcalloc(j->nfiles + 1, sizeof(*wt));
		if ((err = dipb_git_worktree_sync(r, j->files, j->nfiles,
		    wt)) == NULL)
			err = dipb_git_index_sync(r, j->files, j->nfiles, wt);
		free(wt);
		if (err == NULL && j->nmoves > 0)
			err = dipb_git_moves_sync(r, j->moves, j->nmoves);
		err = dipb_git_index_batch_end(r, err);
	}
	dipb_git_index_unhold(r);
	return err;
}

/*
 * 1 when the ref lock file lock holds exactly the id a change was
 * writing into it, new: what a dipb older than the mark below left when
 * it was killed between writing a ref's lock and renaming it.  No other
 * program writes the journal's new id into the lock of a ref the
 * journal names, and no dipb but this one is running.
 */
static int
holds_new_id(const char *lock, const git_oid *new)
{
	char want[GIT_OID_HEXSZ + 2], got[GIT_OID_HEXSZ + 3];
	ssize_t n;
	int fd;

	if (new == NULL || git_oid_is_zero(new))
		return 0;
	if ((fd = dipb_open_regular(lock, O_NOFOLLOW, NULL)) < 0)
		return 0;
	n = read(fd, got, sizeof(got));
	close(fd);
	git_oid_tostr(want, GIT_OID_HEXSZ + 1, new);
	want[GIT_OID_HEXSZ] = '\n';
	want[GIT_OID_HEXSZ + 1] = '\0';
	return n == GIT_OID_HEXSZ + 1 && memcmp(got, want, (size_t)n) == 0;
}

/*
 * Removes a lock file that the killed dipb of journal j left: one of a
 * ref this change moved (to new), or the index's or HEAD's (new NULL).
 * Git never removes a stale lock; dipb removes its own, which bear its
 * mark until renamed into place (dipb_git_lock_ours), and no dipb but
 * this one is running (the repository lock).  A ref's lock without the
 * mark that holds the journal's new id for it is an older dipb's
 * (holds_new_id).  Anything else is another program's, however new or
 * empty (git's lock is empty in its first moment), and stays.  The file
 * a lock was renamed over loses the mark, if the kill came first.
 */
static void
remove_our_lock(struct dipb_repo *r, const char *lock, const git_oid *new)
{
	char *path = xstrndup(lock, strlen(lock) - 5);	/* less ".lock" */

	if ((dipb_git_lock_ours(lock) || holds_new_id(lock, new)) &&
	    unlink(lock) == 0)
		dipb_git_warn(r, "removed a lock file left by an interrupted "
		    "dipb: '%s'", lock);
	dipb_git_lock_unmark(r, path);
	free(path);
}

/* The change's tag ref, written again if it is missing. */
static const struct dipb_error *
keep_tag(struct dipb_repo *r, const struct journal *j, const git_oid *tag)
{
	int moved;

	if (!git_oid_is_zero(tag))
		return NULL;
	return dipb_git_update_ref(&moved, r, j->tag_ref, &j->tag, tag, NULL,
	    NULL);
}

/* What j's journal is of, as the warnings name it: "sync", "change (T)". */
static char *
journal_of(const struct journal *j)
{
	return j->version == 2 ? xstrdup("sync") :
	    xasprintf("change (%s)", j->tag_ref + 10);
}

/*
 * The warning of a change (or sync) left as it is, its refs and its
 * journal, as its history is cut at commit cut before recovery can tell
 * whether it was made: the next command settles it once the history is
 * whole (dipb(1)).
 */
static void
leave(struct dipb_repo *r, const struct journal *j, const char *cut)
{
	char *of = journal_of(j);
	char *msg = xasprintf("an interrupted %s is left as it is, its %s "
	    "and its journal: the history is cut at commit '%s' (a shallow "
	    "clone) before dipb can tell whether a branch holds it; 'git "
	    "fetch --unshallow --tags' fetches the rest, then the next dipb "
	    "command settles it", of, j->version == 2 ? "refs" : "tag", cut);

	/* Once, though a writing command recovers twice (repo.c, lock.c). */
	dipb_repo_warn(r, msg);
	free(msg);
	free(of);
}

/*
 * err, an error of the history read to settle j (a parent missing where
 * it is not cut: history incomplete), naming j, whose journal stays.
 */
static const struct dipb_error *
unsettled(const struct journal *j, const struct dipb_error *err)
{
	const struct dipb_error *e;
	char *of;

	if (err == NULL)
		return NULL;
	of = journal_of(j);
	e = dipb_error_fmt(err->code, "an interrupted %s is left as it is, "
	    "with its journal: %s", of, err->msg);
	free(of);
	dipb_error_free(err);
	return e;
}

/*
 * The change's tag ref deleted, if it holds the change's tag and no
 * branch holds its commit (dipb_git_branch_holds); *left set, the tag
 * kept, when that is not known, the cut into cut.  Its own branch, known
 * not to hold it (was_made, asked first), is not asked again.
 */
static const struct dipb_error *
drop_tag(int *left, char cut[GIT_OID_HEXSZ + 1], struct dipb_repo *r,
    const struct journal *j, const git_oid *tag)
{
	const struct dipb_error *err;
	int held;

	if (!git_oid_equal(tag, &j->tag))
		return NULL;
	if ((err = dipb_git_branch_holds(&held, cut, r, &j->new,
	    j->branch_ref)) != NULL)
		return unsettled(j, err);
	*left = held < 0;
	return held == 0 ? dipb_git_delete_ref(r, j->tag_ref) : NULL;
}

/*
 * Whether j's change (or sync) was made: *made 1 when its branch, at
 * cur, holds its commit, 0 when it does not, -1 when the history is cut
 * before that is known (dipb_git_reach), the cut into cut, and j then
 * left as it is (leave).
 */
static const struct dipb_error *
was_made(int *made, char cut[GIT_OID_HEXSZ + 1], struct dipb_repo *r,
    const struct journal *j, const git_oid *cur)
{
	const struct dipb_error *err;

	cut[0] = '\0';
	if ((*made = git_oid_equal(cur, &j->new)) != 0)
		return NULL;
	/* Walked at old too: a journal dipb did not write may name a new
	 * in old's history, whose tag drop_tag, which does not ask this
	 * branch again, would delete. */
	err = unsettled(j, dipb_git_reach(made, cut, r, cur, &j->new));
	if (err == NULL && *made < 0)
		leave(r, j, cut);
	return err;
}

/*
 * The lock files of the refs, and of the index when index is set, that
 * j's dipb may have left.
 */
static void
remove_locks(struct dipb_repo *r, const struct journal *j, int index)
{
	const char *common = git_repository_commondir(r->git);
	char *lock;
	size_t i;

	lock = xasprintf("%s%s.lock", common, j->branch_ref);
	remove_our_lock(r, lock, &j->new);
	free(lock);
	/* Held while HEAD's log is written (dipb_git_update_ref). */
	lock = xasprintf("%sHEAD.lock", r->gitdir);
	remove_our_lock(r, lock, NULL);
	free(lock);
	if (j->tag_ref != NULL) {
		lock = xasprintf("%s%s.lock", common, j->tag_ref);
		remove_our_lock(r, lock, &j->tag);
		free(lock);
	}
	for (i = 0; i < j->nrefs; i++) {
		lock = xasprintf("%s%s.lock", common, j->refs[i].name);
		remove_our_lock(r, lock, &j->refs[i].new);
		free(lock);
	}
	if (!index)
		return;
	lock = xasprintf("%s.lock", r->index_path);
	remove_our_lock(r, lock, NULL);
	free(lock);
}

/*
 * finish(), once j's refs are where recovery puts them: *files set, its
 * error (another program's index.lock, a working file that cannot be
 * written) leaves the working tree and the index alone to a later
 * command, the refs settled.
 */
static const struct dipb_error *
finish_files(int *files, struct dipb_repo *r, const struct journal *j)
{
	*files = 1;
	return finish(r, j);
}

/*
 * Completes j's change when its branch move landed, discards it when it
 * did not: by where the branch is now.  *left set when neither can be
 * told (a shallow clone: leave), the journal then kept; *files as
 * finish_files.
 */
static const struct dipb_error *
settle(int *left, int *files, struct dipb_repo *r, const struct journal *j)
{
	const struct dipb_error *err;
	char cut[GIT_OID_HEXSZ + 1];
	git_oid cur, tag;
	int made;

	if ((err = dipb_git_ref_id(&cur, r, j->branch_ref)) != NULL ||
	    (err = dipb_git_ref_id(&tag, r, j->tag_ref)) != NULL ||
	    (err = was_made(&made, cut, r, j, &cur)) != NULL)
		return err;
	if (made < 0) {
		*left = 1;
		return NULL;
	}
	if (git_oid_equal(&cur, &j->new)) {
		/* The branch moved: the change is made, finish it. */
		if ((err = keep_tag(r, j, &tag)) != NULL)
			return err;
		return finish_files(files, r, j);
	}
	if (made)
		/* Made, then built on with plain git: the tag stays. */
		return keep_tag(r, j, &tag);
	/*
	 * The branch did not move: undo the tag.  No working file was
	 * written before it moved, dipb edit --no-edit's neither (its
	 * journal's "replace" line: dipb-git(7)).  Or never made, and the
	 * branch moved on: its tag goes too.
	 */
	if ((err = drop_tag(left, cut, r, j, &tag)) != NULL)
		return err;
	if (*left)
		leave(r, j, cut);
	else if (!git_oid_equal(&cur, &j->old))
		dipb_git_warn(r, "an interrupted change (%s) was abandoned: "
		    "%s moved since", j->tag_ref + 10, j->branch_ref);
	return NULL;
}

/* Every ref of a sync's journal forward (done) or back. */
static const struct dipb_error *
refs_to(struct dipb_repo *r, const struct journal *j, int forward)
{
	const struct dipb_error *err;
	size_t i;
	int kept;

	for (i = 0; i < j->nrefs; i++) {
		if ((err = dipb_git_jref_apply(&kept, r, &j->refs[i],
		    forward)) != NULL)
			return err;
		if (kept)
			dipb_git_warn(r, "'%s' was moved since the interrupted "
			    "sync: left as it is", j->refs[i].name);
	}
	return NULL;
}

/*
 * A sync (version 2): the branch is its commit point, as for a change.
 * Moved: every ref forward, then the files.  Not moved: every ref back.
 * A sync whose branch did not move at all (tags imported alone) is done
 * forward: the refs are the remote's.  Neither known (a shallow clone):
 * *left set, every ref and the journal as they are (settle); *files as
 * finish_files.
 */
static const struct dipb_error *
settle_sync(int *left, int *files, struct dipb_repo *r,
    const struct journal *j)
{
	const struct dipb_error *err;
	char cut[GIT_OID_HEXSZ + 1];
	git_oid cur;
	int made;

	if ((err = dipb_git_ref_id(&cur, r, j->branch_ref)) != NULL ||
	    (err = was_made(&made, cut, r, j, &cur)) != NULL)
		return err;
	if (made < 0) {
		*left = 1;
		return NULL;
	}
	if (git_oid_equal(&cur, &j->new)) {
		if ((err = refs_to(r, j, 1)) != NULL)
			return err;
		return finish_files(files, r, j);
	}
	if (made)
		return refs_to(r, j, 1);
	if ((err = refs_to(r, j, 0)) == NULL && !git_oid_equal(&cur, &j->old))
		dipb_git_warn(r, "an interrupted sync was abandoned: %s moved "
		    "since", j->branch_ref);
	return err;
}

/*
 * The journals that the repository's other working trees left (git
 * worktree add), into out: the main one's git dir is the common one, a
 * linked one's is under its worktrees/.
 */
static void
other_journals(struct dipb_strlist *out, const struct dipb_repo *r)
{
	const char *common = git_repository_commondir(r->git);
	struct dirent *de;
	char *dir, *path;
	DIR *d;

	if (strcmp(common, r->gitdir) != 0) {
		path = xasprintf("%s%s", common, JOURNAL_FILE);
		if (journal_present(path))
			dipb_strlist_push(out, path);
		free(path);
	}
	dir = xasprintf("%sworktrees", common);
	d = opendir(dir);
	free(dir);
	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		path = xasprintf("%sworktrees/%s/", common, de->d_name);
		if (strcmp(path, r->gitdir) != 0) {
			dir = path;
			path = xasprintf("%s%s", dir, JOURNAL_FILE);
			free(dir);
			if (journal_present(path))
				dipb_strlist_push(out, path);
		}
		free(path);
	}
	closedir(d);
}

/*
 * The refs of a change another working tree's dipb left, settled as
 * that working tree's next command will settle them (settle,
 * settle_sync): by where its branch is now, left as they are when that
 * cannot be told (a shallow clone: leave).  Its files, its index and
 * the journal itself are left to that command, which then finds its
 * refs already where they go.
 */
static const struct dipb_error *
settle_refs(struct dipb_repo *r, const struct journal *j)
{
	const struct dipb_error *err;
	char cut[GIT_OID_HEXSZ + 1];
	git_oid cur, tag;
	int made, left = 0;

	if ((err = dipb_git_ref_id(&cur, r, j->branch_ref)) != NULL ||
	    (err = was_made(&made, cut, r, j, &cur)) != NULL)
		return err;
	if (made < 0)
		return NULL;
	if (j->version == 2)
		return refs_to(r, j, made);
	if ((err = dipb_git_ref_id(&tag, r, j->tag_ref)) != NULL)
		return err;
	if (made)
		return keep_tag(r, j, &tag);
	if ((err = drop_tag(&left, cut, r, j, &tag)) == NULL && left)
		leave(r, j, cut);
	return err;
}

/*
 * Linked working trees share the refs, the tags and the repository lock
 * (lock.c): under it, a journal another working tree left is a killed
 * dipb's too.  Until a command ran there, its change's tag would be a
 * stray one to dipb verify here, its id taken, or a sync's tags half
 * moved: its refs are settled now.
 */
static const struct dipb_error *
recover_others(struct dipb_repo *r)
{
	const struct dipb_error *err = NULL;
	struct dipb_strlist paths = DIPB_STRLIST_INIT;
	struct dipb_buf text = DIPB_BUF_INIT;
	struct journal j;
	size_t i;

	other_journals(&paths, r);
	for (i = 0; i < paths.n && err == NULL; i++) {
		memset(&j, 0, sizeof(j));
		dipb_buf_clear(&text);
		if ((err = dipb_read_regular(&text, paths.v[i], O_NOFOLLOW,
		    256 * 1024 * 1024)) != NULL) {
			/* Gone meanwhile: its own command settled it. */
			dipb_error_free(err);
			err = NULL;
			continue;
		}
		if (journal_parse(&j, text.ptr) == 0) {
			remove_locks(r, &j, 0);
			err = settle_refs(r, &j);
		}
		dipb_git_journal_release(&j);
	}
	dipb_buf_release(&text);
	dipb_strlist_release(&paths);
	return err;
}

/*
 * The journal's text, never read through a symbolic link (another member
 * of a shared repository's group may swap one in) nor from a FIFO: such
 * a journal is refused with what to do, as dipb.lock is (lock.c).
 */
static const struct dipb_error *
journal_read(struct dipb_buf *text, const char *path)
{
	const struct dipb_error *err;
	struct stat st;

	/* A migrate's journal names every record twice: 128 bytes each. */
	err = dipb_read_regular(text, path, O_NOFOLLOW, 256 * 1024 * 1024);
	if (err == NULL || lstat(path, &st) == -1 || S_ISREG(st.st_mode))
		return err;
	dipb_error_free(err);
	return dipb_error_fmt(DIPB_ERR_IO, "%s: not a regular file (a "
	    "symbolic link, a folder, a FIFO): dipb's journal is a file of "
	    "its own, never read through a link; remove it, then retry",
	    path);
}

/*
 * The folder of the ref name and that folder's own (a tag's, removed
 * with it: drop_tag) fsync'd; one gone is none to sync.
 */
static int
sync_ref_dirs(const char *common, const char *name)
{
	char *path = xasprintf("%s%s", common, name), *slash;
	int rc;

	rc = dipb_fsync_dir_of(path);
	if ((rc == 0 || errno == ENOENT) && (slash = strrchr(path, '/')) !=
	    NULL) {
		*slash = '\0';
		rc = dipb_fsync_dir_of(path);
	}
	free(path);
	return rc == -1 && errno != ENOENT ? -1 : 0;
}

/*
 * What recovery changed made durable before the journal goes (dipb(1)):
 * the folders of j's refs (their lock files removed, a tag deleted with
 * its folder) and the git dir (index.lock, a completed index's rename);
 * otherwise a crash could bring back the undone tag with no journal left
 * to undo it again.  Then the file systems are flushed, always: where
 * folders do not sync, those fsyncs succeed doing nothing
 * (dipb_fsync_dir_of) and recovery never probes for it
 * (dipb_git_objects_begin); a recovery is rare, a flush cheap.
 */
static const struct dipb_error *
undo_durable(struct dipb_repo *r, const struct journal *j)
{
	const char *common = git_repository_commondir(r->git);
	size_t i;
	int rc;

	if (!r->fsync)
		return NULL;
	rc = sync_ref_dirs(common, j->branch_ref);
	if (rc == 0 && j->tag_ref != NULL)
		rc = sync_ref_dirs(common, j->tag_ref);
	for (i = 0; i < j->nrefs && rc == 0; i++)
		rc = sync_ref_dirs(common, j->refs[i].name);
	if (rc == 0)
		rc = dipb_fsync_dir_of(r->index_path);
	if (rc == -1)
		return dipb_error_from_errno("cannot sync the undone change "
		    "to disk");
	return dipb_git_flush(r);
}

/*
 * Completes or discards the change a killed dipb left in the journal:
 * complete when its branch move landed, discard when it did not; the
 * journal stays when a shallow clone's history cannot tell (settle).
 * The other working trees' journals' refs are settled too, after the
 * files of this one's failed (*files).
 */
const struct dipb_error *
dipb_git_recover(int *files, struct dipb_repo *r)
{
	const struct dipb_error *err = NULL, *others;
	struct dipb_buf text = DIPB_BUF_INIT;
	struct journal j;
	char *path = journal_path(r), *tmp;
	int left = 0;

	*files = 0;
	memset(&j, 0, sizeof(j));
	tmp = xasprintf("%s%s", path, DIPB_GIT_TMP_SUFFIX);
	unlink(tmp);
	free(tmp);
	if (!journal_present(path) && errno == ENOENT)
		goto done;
	if ((err = journal_read(&text, path)) != NULL)
		goto done;
	if (journal_parse(&j, text.ptr) < 0) {
		dipb_git_warn(r, "discarding an unreadable journal: '%s'",
		    path);
		unlink(path);
		goto done;
	}
	remove_locks(r, &j, 1);
	if ((err = j.version == 2 ? settle_sync(&left, files, r, &j) :
	    settle(&left, files, r, &j)) == NULL && !left &&
	    (err = undo_durable(r, &j)) == NULL)
		unlink(path);
	*files = err != NULL && *files;
done:
	dipb_git_journal_release(&j);
	dipb_buf_release(&text);
	free(path);
	if ((err == NULL || *files) && (others = recover_others(r)) != NULL) {
		dipb_error_free(err);
		err = others;
		*files = 0;
	}
	return err;
}

/*
 * The next dipb command completes or discards a change that a killed dipb
 * left, reading commands too: when a journal is left and the lock can be
 * taken at once, its holder is dead (flock locks die with their process),
 * so the change is recovered now.  A live writer holds the lock and
 * finishes its own change; a read-only git dir is left as it is.
 */
void
dipb_git_recover_left(struct dipb_repo *r)
{
	const struct dipb_error *err;
	struct dipb_strlist others = DIPB_STRLIST_INIT;
	char *path = journal_path(r);
	int files, held, left = journal_present(path);

	free(path);
	if (!left) {
		other_journals(&others, r);
		left = others.n > 0;
		dipb_strlist_release(&others);
	}
	if (!left)
		return;
	if ((err = dipb_git_lock_repo(r, &held, 0)) != NULL) {
		dipb_error_free(err);	/* a read-only git dir */
		return;
	}
	if (!held)
		return;
	if ((err = dipb_git_recover(&files, r)) == NULL)
		err = dipb_git_load_head(r);
	if (err != NULL) {
		r->unsettled = 1;
		if (!dipb_strlist_contains(&r->warnings, err->msg))
			r->unsettled_warning = xstrdup(err->msg);
		dipb_repo_warn(r, err->msg);
		dipb_error_free(err);
	}
	dipb_repo_end(r);
}

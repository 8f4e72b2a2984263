/*
 * git/commit.c - a state change: checks, blobs, tree, commit, tag, branch.
 *
 * dipb_repo_commit first checks everything the change needs, the index
 * and working-tree steps included (dipb_repo_check_change), so that a
 * change that git or dipb could not finish is refused with nothing
 * written.  It then makes its objects in memory, signs the commit and the
 * tag when asked (sign.c), so that a key that cannot sign leaves nothing
 * behind, then writes the objects, then a journal, then the tag ref, then
 * moves the branch by compare-and-swap, then brings the working tree and
 * the index in step, then removes the journal.  Every step before the
 * branch moves can be undone, every step after it redone, so a process
 * killed anywhere leaves either no change or a whole one once the next
 * dipb command has read the journal (journal.c).
 */
#if defined(__linux__) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE		/* syncfs */
#endif
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "../date.h"
#include "../hashmap.h"
#include "../error.h"
#include "../sshkey.h"
#include "../sshsig.h"
#include "../trailer.h"
#include "../util.h"

/* Letters, digits, '-', '_', '.': what a record or event may be. */
static int
name_ok(const char *s)
{
	size_t i;

	if (s == NULL || s[0] == '\0' || s[0] == '.' || s[0] == '-')
		return 0;
	for (i = 0; s[i] != '\0'; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-' &&
		    s[i] != '_' && s[i] != '.')
			return 0;
	return 1;
}

static void
trailers(struct dipb_buf *b, const struct dipb_change *c)
{
	dipb_buf_printf(b, "Dipb-Record: %s\nDipb-Event: %s\n", c->record,
	    c->event);
	if (c->status_from != NULL)
		dipb_buf_printf(b, "Dipb-Status: %s -> %s\n", c->status_from,
		    c->status_to != NULL ? c->status_to : c->status_from);
	if (c->renumbered_from != NULL)
		dipb_buf_printf(b, "Dipb-Renumbered-From: %s\n",
		    c->renumbered_from);
}

/* Whether the line [p, nl) is git's cut line, its newline aside (the
 * body's last line has none here, but gets one). */
static int
cut_line(const char *p, const char *nl)
{
	size_t n = sizeof(DIPB_TRAILER_CUT) - 1;

	if (nl > p && nl[-1] == '\n')
		nl--;
	return (size_t)(nl - p) == n && memcmp(p, DIPB_TRAILER_CUT, n) == 0;
}

/*
 * Subject, body, then dipb's trailers as the message's last paragraph
 * (src/trailer.h).  Nothing of the body, which is the user's text, may be
 * read for them: git takes a line starting "---" for the start of a patch
 * and ends the message there (git-interpret-trailers(1)), and so does its
 * cut line (DIPB_TRAILER_CUT), so such a line is written with a space
 * before it, which Markdown reads the same; and
 * an empty line always parts the body from the trailers, so that the body
 * is never the last paragraph.
 */
static void
commit_message(struct dipb_buf *b, const struct dipb_change *c)
{
	const char *p, *end, *nl;
	size_t n;

	dipb_buf_printf(b, "%s\n\n", c->subject);
	if (c->body != NULL) {
		n = strlen(c->body);
		while (n > 0 && (c->body[n - 1] == '\n' ||
		    c->body[n - 1] == ' ' || c->body[n - 1] == '\t' ||
		    c->body[n - 1] == '\r'))
			n--;
		for (p = c->body, end = p + n; p < end; p = nl) {
			nl = memchr(p, '\n', (size_t)(end - p));
			nl = nl != NULL ? nl + 1 : end;
			if ((end - p >= 3 && strncmp(p, "---", 3) == 0) ||
			    cut_line(p, nl))
				dipb_buf_putc(b, ' ');
			dipb_buf_put(b, p, (size_t)(nl - p));
		}
		if (n > 0)
			dipb_buf_puts(b, "\n\n");
	}
	trailers(b, c);
}

/* The acting member: the author. */
static const struct dipb_identity *
author_of(const struct dipb_change *c)
{
	return c->author != NULL ? c->author : c->who;
}

/* A path a move may name: one dipb writes, with no space (journal.c). */
static int
path_plain(const char *path)
{
	return path != NULL && dipb_git_path_ok(path) &&
	    strchr(path, ' ') == NULL;
}

/* What a change must hold, the lock aside. */
static const struct dipb_error *
check_fields(const struct dipb_change *c)
{
	size_t i, k;

	if ((c->nfiles == 0 && c->nrenames == 0) ||
	    (c->nfiles > 0 && c->files == NULL) || c->subject == NULL ||
	    c->subject[0] == '\0' || strchr(c->subject, '\n') != NULL ||
	    c->who == NULL || c->who->name == NULL || c->who->email == NULL)
		return dipb_error_fmt(DIPB_ERR_INTERNAL, "incomplete change");
	if (!name_ok(c->record) || !name_ok(c->event))
		return dipb_error_fmt(DIPB_ERR_INTERNAL,
		    "not a tag name: '%s/%s'", c->record ? c->record : "",
		    c->event ? c->event : "");
	for (i = 0; i < c->nfiles; i++) {
		if (c->files[i].path == NULL ||
		    !dipb_git_path_ok(c->files[i].path))
			return dipb_error_fmt(DIPB_ERR_INTERNAL,
			    "not a path dipb writes: '%s'",
			    c->files[i].path ? c->files[i].path : "");
		for (k = 0; k < i; k++)
			if (strcmp(c->files[i].path, c->files[k].path) == 0)
				return dipb_error_fmt(DIPB_ERR_INTERNAL,
				    "path twice in one change: '%s'",
				    c->files[i].path);
	}
	for (i = 0; i < c->nrenames; i++)
		if (c->renames == NULL || !path_plain(c->renames[i].from) ||
		    !path_plain(c->renames[i].to) ||
		    c->renames[i].id == NULL ||
		    strlen(c->renames[i].id) != GIT_OID_HEXSZ ||
		    (c->renames[i].mode != GIT_FILEMODE_BLOB &&
		    c->renames[i].mode != GIT_FILEMODE_BLOB_EXECUTABLE))
			return dipb_error_fmt(DIPB_ERR_INTERNAL,
			    "not a move dipb makes: '%s'", c->renames != NULL &&
			    c->renames[i].from != NULL ? c->renames[i].from :
			    "");
	if (c->author != NULL && (c->author->name == NULL ||
	    c->author->email == NULL))
		return dipb_error_fmt(DIPB_ERR_INTERNAL, "incomplete author");
	if (c->renumbered_from != NULL && !name_ok(c->renumbered_from))
		return dipb_error_fmt(DIPB_ERR_INTERNAL, "not a record id: "
		    "'%s'", c->renumbered_from);
	return NULL;
}

static const struct dipb_error *
check_change(const struct dipb_repo *r, const struct dipb_change *c)
{
	if (r->lock_fd < 0)
		return dipb_error_fmt(DIPB_ERR_INTERNAL,
		    "commit without the repository lock");
	return check_fields(c);
}

/*
 * 1 when path below the working tree's git dir exists (git's sequencer
 * keeps sequencer/todo between the picks of 'git cherry-pick A B', after
 * a conflict was committed by hand and before '--continue').
 */
static int
in_gitdir(struct dipb_repo *r, const char *path)
{
	struct stat st;
	char *p = xasprintf("%s%s", git_repository_path(r->git), path);
	int rc = lstat(p, &st) == 0;

	free(p);
	return rc;
}

/*
 * What git says of an operation it left half-done in this working tree's
 * git dir (libgit2 looks there: MERGE_HEAD, rebase-merge/, rebase-apply/,
 * CHERRY_PICK_HEAD, REVERT_HEAD, BISECT_LOG): its name and how to end it
 * (*what NULL: none).  DIPB_ERR_GIT when libgit2 cannot tell (out of
 * memory): no operation is made up from its -1.
 */
static const struct dipb_error *
operation(const char **what, const char **end, struct dipb_repo *r)
{
	int state;

	*what = *end = NULL;
	if ((state = git_repository_state(r->git)) < 0)
		return dipb_error_from_git("cannot read the state of the "
		    "repository");
	switch (state) {
	case GIT_REPOSITORY_STATE_NONE:
		if (in_gitdir(r, "sequencer/todo")) {
			*what = "a cherry-pick or revert of several commits";
			*end = "finish it with 'git cherry-pick --continue' "
			    "(or 'git revert --continue') or end it with "
			    "'git cherry-pick --quit'";
		}
		break;
	case GIT_REPOSITORY_STATE_MERGE:
		*what = "a merge";
		*end = "finish it with 'git commit' or abort it with 'git "
		    "merge --abort'";
		break;
	case GIT_REPOSITORY_STATE_REVERT:
	case GIT_REPOSITORY_STATE_REVERT_SEQUENCE:
		*what = "a revert";
		*end = "finish it with 'git revert --continue' or abort it "
		    "with 'git revert --abort'";
		break;
	case GIT_REPOSITORY_STATE_CHERRYPICK:
	case GIT_REPOSITORY_STATE_CHERRYPICK_SEQUENCE:
		*what = "a cherry-pick";
		*end = "finish it with 'git cherry-pick --continue' or abort "
		    "it with 'git cherry-pick --abort'";
		break;
	case GIT_REPOSITORY_STATE_BISECT:
		*what = "a bisect";
		*end = "end it with 'git bisect reset'";
		break;
	case GIT_REPOSITORY_STATE_APPLY_MAILBOX:
	case GIT_REPOSITORY_STATE_APPLY_MAILBOX_OR_REBASE:
		*what = "'git am'";
		*end = "finish it with 'git am --continue' or abort it with "
		    "'git am --abort'";
		break;
	default:
		*what = "a rebase";
		*end = "finish it with 'git rebase --continue' or abort it "
		    "with 'git rebase --abort'";
		break;
	}
	return NULL;
}

const struct dipb_error *
dipb_git_check_encoding(struct dipb_repo *r)
{
	const struct dipb_error *err = NULL;
	git_config *cfg = NULL;
	git_config_entry *e = NULL;
	char *where, *unset;

	if (git_repository_config_snapshot(&cfg, r->git) < 0)
		return dipb_error_from_git("cannot read the configuration");
	/* git's own test (utf8.c, is_encoding_utf8): "" is not UTF-8. */
	if (git_config_get_entry(&e, cfg, "i18n.commitencoding") == 0 &&
	    (e->value == NULL || (strcasecmp(e->value, "utf-8") != 0 &&
	    strcasecmp(e->value, "utf8") != 0))) {
		where = dipb_git_config_origin(e, r->git);
		unset = dipb_git_config_unset_cmd(e, r->git,
		    "i18n.commitEncoding");
		err = dipb_error_fmt(DIPB_ERR_USAGE, "i18n.commitEncoding is "
		    "'%s' %s: dipb writes its changes in UTF-8 only, which "
		    "every reader of the board reads, and nothing was changed: "
		    "unset it%s%s%s or set it to UTF-8", e->value != NULL ?
		    e->value : "", where, unset != NULL ? " ('" : " there",
		    unset != NULL ? unset : "", unset != NULL ? "')" : "");
		free(unset);
		free(where);
	}
	git_error_clear();
	git_config_entry_free(e);
	git_config_free(cfg);
	return err;
}

/*
 * A change is refused while git has an operation half-done: a commit of
 * dipb's amid one would be taken into it (a merge's 'git commit'
 * concludes with whatever the index holds) or lost.  And in a shallow
 * clone: the tags past its end are not here, so tag numbers would start
 * again (dipb-git(7), "Shallow and partial clones").  Each, and a
 * detached HEAD, is a state the user ends with git, as uncommitted
 * changes are: exit status 1 (dipb(1), EXIT STATUS).
 */
const struct dipb_error *
dipb_git_check_state(struct dipb_repo *r)
{
	const struct dipb_error *err;
	const char *what, *end;
	int level;

	/* A level git dies of: refused whatever the size of the trees
	 * (dipb-git(7), "Repository growth"). */
	if ((err = dipb_git_check_encoding(r)) != NULL ||
	    (err = dipb_git_loose_level(&level, r)) != NULL)
		return err;
	/* Read at HEAD's commit (repo.c), never written on. */
	if (r->detached)
		return dipb_error_fmt(DIPB_ERR_DIRTY, "HEAD is detached: "
		    "check out a branch first (reading commands work on a "
		    "detached HEAD)");
	if ((err = operation(&what, &end, r)) != NULL)
		return err;
	if (what != NULL)
		return dipb_error_fmt(DIPB_ERR_DIRTY, "%s is in progress: "
		    "%s, then retry (reading commands work meanwhile)", what,
		    end);
	return dipb_repo_check_shallow(r);
}

/*
 * The shallow file read as the walks read it (dipb_git_shallow_cut): a
 * line git dies of refused as they refuse it, exit status 5.  The
 * history is cut only where they end it (dipb_git_cut_at): a file that
 * lists root commits only (a clone as deep as the history) leaves it
 * whole, and a change goes ahead.  No fetch removes the lines of
 * commits not here ('git fetch --unshallow' keeps them, git still calls
 * the clone shallow), but 'git gc' does; of an object that is no
 * commit git gc dies, and a fetch in a shallow clone, and only removing
 * its line mends it (dipb-git(7), "Shallow and partial clones").  An
 * absent or empty file costs a stat.
 */
const struct dipb_error *
dipb_repo_check_shallow(struct dipb_repo *r)
{
	const struct dipb_error *err;
	struct dipb_hashmap cut = DIPB_HASHMAP_INIT;
	char other[DIPB_OID_HEX + 1];
	int kinds;

	err = dipb_git_shallow_cut(&cut, NULL, r);
	kinds = err == NULL ? dipb_git_cut_kinds(other, r, &cut) : 0;
	dipb_hashmap_release(&cut, NULL);
	if (err != NULL)
		return err;
	if (kinds & DIPB_GIT_CUT_NOT_COMMIT)
		return dipb_error_fmt(DIPB_ERR_DIRTY, "'.git/shallow' lists "
		    "'%s', which is here but no commit: no fetch removes it "
		    "(in a shallow clone git dies of it: 'invalid shallow "
		    "object'), and git gc dies of it; remove that line from "
		    "the file by hand (the file, when it is the only one), "
		    "then retry", other);
	if (kinds & DIPB_GIT_CUT_ENDS)
		return dipb_error_fmt(DIPB_ERR_DIRTY, "this is a shallow "
		    "clone (a clone with --depth): the history and the tags "
		    "past its end are not here, so a change's tag number "
		    "cannot be known; 'git fetch --unshallow --tags' fetches "
		    "them, then retry (the commands that read the tip, and a "
		    "record's versions here, work meanwhile)");
	if (kinds & DIPB_GIT_CUT_STALE)
		return dipb_error_fmt(DIPB_ERR_DIRTY, "git takes this clone "
		    "for a shallow one, but %snone of the commits its "
		    "'.git/shallow' lists is here (a fetch does not remove "
		    "them): 'git gc' removes them, then retry",
		    kinds & DIPB_GIT_CUT_ROOT ? "besides root commits, "
		    "which end nothing, " : "");
	return NULL;
}

/*
 * The branch an operation that detaches HEAD works on (a rebase's
 * head-name, the branch 'git bisect start' left), as "refs/heads/<b>",
 * caller frees, and *what the operation; *out NULL when there is none.
 */
const struct dipb_error *
dipb_git_operation_branch(char **out, const char **what,
    struct dipb_repo *r)
{
	static const char *const files[] = { "rebase-merge/head-name",
	    "rebase-apply/head-name", "BISECT_START" };
	const struct dipb_error *err;
	struct dipb_buf b = DIPB_BUF_INIT;
	const char *end;
	char *path, *name = NULL;
	git_oid id;
	size_t i;

	*out = NULL;
	if ((err = operation(what, &end, r)) != NULL)
		return err;
	for (i = 0; *what != NULL && name == NULL && i < 3; i++) {
		path = xasprintf("%s%s", git_repository_path(r->git),
		    files[i]);
		err = dipb_read_regular(&b, path, 0, 4096);
		free(path);
		if (err != NULL) {
			dipb_error_free(err);
			continue;
		}
		while (b.len > 0 && (b.ptr[b.len - 1] == '\n' ||
		    b.ptr[b.len - 1] == '\r'))
			b.ptr[--b.len] = '\0';
		if (strncmp(b.ptr, "refs/heads/", 11) == 0)
			name = xstrdup(b.ptr);
		else if (b.len > 0 && i == 2)
			name = xasprintf("refs/heads/%s", b.ptr);
		/* BISECT_START names a commit when HEAD was detached. */
		if (name != NULL && git_reference_name_to_id(&id, r->git,
		    name) < 0) {
			git_error_clear();
			free(name);
			name = NULL;
		}
	}
	dipb_buf_release(&b);
	*out = name;
	return NULL;
}

const struct dipb_error *
dipb_repo_check_state(struct dipb_repo *r)
{
	return dipb_git_check_state(r);
}

/*
 * git keeps the shallow file in the common git dir, which a linked
 * worktree shares; libgit2's git_repository_is_shallow looks in the
 * worktree's own, and never finds it there.  A file, not empty, as
 * libgit2 has it; one whose stat fails but for its absence, or that is
 * no regular file, cannot tell (as the walks' reader, walk.c).
 */
const struct dipb_error *
dipb_repo_shallow(int *shallow, struct dipb_repo *r)
{
	const struct dipb_error *err = NULL;
	struct stat st;
	char *path;

	path = xasprintf("%sshallow", git_repository_commondir(r->git));
	*shallow = 0;
	if (stat(path, &st) == -1) {
		if (errno != ENOENT && errno != ENOTDIR)
			err = dipb_git_shallow_unknown(path, strerror(errno));
	} else if (!S_ISREG(st.st_mode))
		err = dipb_git_shallow_unknown(path, "not a regular file");
	else
		*shallow = st.st_size > 0;
	free(path);
	return err;
}

const struct dipb_error *
dipb_repo_check_change(struct dipb_repo *r, const char *const *paths,
    size_t n)
{
	const struct dipb_error *err;

	if ((err = dipb_git_check_state(r)) != NULL)
		return err;
	return dipb_git_index_check(r, paths, n);
}

/*
 * The journal's names for the change: the tag "<record>/<N>-<event>"
 * (*tag_name, caller frees), its ref, the branch and the tip it moves from.
 */
static const struct dipb_error *
name_change(struct journal *j, char **tag_name, struct dipb_repo *r,
    const struct dipb_change *c)
{
	const struct dipb_error *err;
	unsigned long n = 0;
	int valid = 0;

	if ((err = dipb_git_next_tag_number(&n, r, c->board, c->record,
	    c->sign)) != NULL)
		return err;
	*tag_name = xasprintf("%s/%lu-%s", c->record, n, c->event);
	j->tag_ref = xasprintf("refs/tags/%s", *tag_name);
	j->branch_ref = xstrdup(r->branch_ref);
	git_oid_cpy(&j->old, &r->tip);
	if (git_reference_name_is_valid(&valid, j->tag_ref) < 0 || !valid)
		return dipb_error_fmt(DIPB_ERR_INTERNAL,
		    "not a tag name: '%s'", *tag_name);
	/* A lock left on the new tag's ref: refused before any object. */
	return dipb_git_check_ref_lock(r, j->tag_ref);
}

/* The change's moves into j, their ids parsed. */
static const struct dipb_error *
journal_moves(struct journal *j, const struct dipb_change *c)
{
	size_t i;

	j->nmoves = j->movecap = c->nrenames;
	j->moves = xcalloc(c->nrenames + 1, sizeof(*j->moves));
	for (i = 0; i < c->nrenames; i++) {
		j->moves[i].from = xstrdup(c->renames[i].from);
		j->moves[i].to = xstrdup(c->renames[i].to);
		j->moves[i].mode = c->renames[i].mode;
		if (git_oid_fromstr(&j->moves[i].id, c->renames[i].id) < 0)
			return dipb_error_fmt(DIPB_ERR_INTERNAL, "not an "
			    "object id: '%s'", c->renames[i].id);
	}
	return NULL;
}

/*
 * Step 1a, in memory: the id of one blob per file, and the trees, built
 * from the tip's, the moves' files dropped from their old paths and put
 * at their new ones.
 */
static const struct dipb_error *
make_tree(git_oid *tree_id, struct dipb_git_trees *trees, struct journal *j,
    struct dipb_repo *r, const struct dipb_change *c, const git_oid *root)
{
	const struct dipb_error *err = NULL;
	struct dipb_git_tree_edit *up = xcalloc(c->nfiles + 2 * j->nmoves + 1,
	    sizeof(*up));
	git_filemode_t mode;
	size_t i;
	int have;

	j->nfiles = j->cap = c->nfiles;
	j->files = xcalloc(c->nfiles + 1, sizeof(*j->files));
	for (i = 0; i < c->nfiles && err == NULL; i++) {
		j->files[i].path = xstrdup(c->files[i].path);
		j->files[i].take = c->from_worktree;
		if ((err = dipb_git_tree_blob_at(&j->files[i].old, &mode,
		    &have, r, root, c->files[i].path)) != NULL)
			break;
		if (git_odb_hash(&j->files[i].new, c->files[i].data,
		    c->files[i].len, GIT_OBJECT_BLOB) < 0)
			err = dipb_error_from_git("cannot hash '%s'",
			    c->files[i].path);
		up[i].id = &j->files[i].new;
		up[i].mode = mode;
		up[i].path = c->files[i].path;
	}
	for (i = 0; i < j->nmoves; i++) {
		up[c->nfiles + 2 * i].path = j->moves[i].from;
		up[c->nfiles + 2 * i].mode = 0;
		up[c->nfiles + 2 * i + 1].path = j->moves[i].to;
		up[c->nfiles + 2 * i + 1].id = &j->moves[i].id;
		up[c->nfiles + 2 * i + 1].mode =
		    (git_filemode_t)j->moves[i].mode;
	}
	/* Built from the parent's tree, never from the index. */
	if (err == NULL)
		err = dipb_git_tree_edit(tree_id, trees, r, root, up,
		    c->nfiles + 2 * j->nmoves);
	free(up);
	return err;
}

/*
 * "<hdr> <name> <<email>> <time> <+hhmm>\n", as git writes an identity;
 * zone: +hhmm as a number (130, -9999), written as four digits and a
 * sign, the only zone git fsck takes (badTimezone).
 */
static void
put_ident(struct dipb_buf *b, const char *hdr, const git_signature *sig,
    int zone)
{
	dipb_buf_printf(b, "%s %s <%s> %lld %c%04d\n", hdr, sig->name,
	    sig->email, (long long)sig->when.time, zone < 0 ? '-' : '+',
	    zone < 0 ? -zone : zone);
}

/*
 * who's zone as +hhmm: the one a commit wrote, when who's date was read
 * from one (dipb-sync(1) makes another clone's change again), else its
 * offset's, hours and minutes.
 */
static int
ident_zone(const struct dipb_identity *who)
{
	int off = who->offset < 0 ? -who->offset : who->offset;

	if (who->zone != 0)
		return who->zone;
	return (who->offset < 0 ? -1 : 1) * (off / 60 * 100 + off % 60);
}

/*
 * Inserts git's gpgsig header, the armored signature sig with each line
 * after the first indented by one space, at the end of commit's headers.
 */
static void
put_gpgsig(struct dipb_buf *commit, const struct dipb_buf *sig)
{
	struct dipb_buf out = DIPB_BUF_INIT;
	const char *p, *end = sig->ptr + sig->len, *nl;
	const char *body = strstr(dipb_buf_cstr(commit), "\n\n");
	size_t at = body != NULL ? (size_t)(body - commit->ptr) + 1 :
	    commit->len;

	dipb_buf_put(&out, commit->ptr, at);
	dipb_buf_puts(&out, "gpgsig");
	for (p = sig->ptr; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end - 1;	/* sig ends in '\n': not reached */
		dipb_buf_putc(&out, ' ');
		dipb_buf_put(&out, p, (size_t)(nl - p));
		dipb_buf_putc(&out, '\n');
	}
	dipb_buf_put(&out, commit->ptr + at, commit->len - at);
	dipb_buf_release(commit);
	*commit = out;
}

/*
 * The key that made sig, the signature of the commit or the tag (what),
 * is one of the acting member's (keys; none: any key), or the change
 * would be reported as wrong-key by dipb verify and refused by the
 * server.  dipb_git_sign has checked that sig verifies over its bytes,
 * in namespace "git", by a key dipb verify can check; this checks the
 * commit's and the tag's alike, as dipb verify does, so that a
 * gpg.ssh.program that signs one with another key is refused too.  The
 * refusal is DIPB_ERR_IDENTITY, naming where the key came from (exit 3,
 * dipb(1)), before anything is written.
 */
static const struct dipb_error *
check_signer(const struct dipb_buf *sig, const struct dipb_strlist *keys,
    const char *email, const struct dipb_git_signer *s, const char *what)
{
	const struct dipb_error *err = NULL, *e;
	struct dipb_sshsig ss;
	struct dipb_sshkey k, signer;
	char *fp;
	size_t i;
	int mine = 0;

	if (keys == NULL || keys->n == 0)
		return NULL;
	dipb_sshkey_init(&k);
	dipb_sshkey_init(&signer);
	if ((err = dipb_sshsig_parse(&ss, sig->ptr, sig->len)) != NULL ||
	    (err = dipb_sshkey_parse_blob(&signer, ss.key, ss.keylen)) != NULL)
		goto done;
	for (i = 0; i < keys->n && !mine; i++) {
		if ((e = dipb_sshkey_parse(&k, keys->v[i])) != NULL)
			dipb_error_free(e);
		else
			mine = dipb_sshkey_equal(&k, &signer);
	}
	if (!mine) {
		fp = dipb_sshkey_fingerprint(&signer);
		err = dipb_error_fmt(DIPB_ERR_IDENTITY, "the %s's signing key "
		    "(%s, from %s%s%s%s) is not one of %s's keys in dipb.yaml: "
		    "dipb verify would report the change (wrong-key); %s one "
		    "of them ('dipb allowed-signers' lists them), or ask a "
		    "chair to add it", what, fp, s->from,
		    s->program_set ? ", signed by gpg.ssh.program '" : "",
		    s->program_set ? s->program : "",
		    s->program_set ? "'" : "", email,
		    strcmp(s->from, "user.signingKey") == 0 ?
		    "set user.signingKey to" : "make gpg.ssh.defaultKeyCommand "
		    "print, or set user.signingKey to,");
		free(fp);
	}
done:
	dipb_sshkey_release(&k);
	dipb_sshkey_release(&signer);
	dipb_sshsig_release(&ss);
	return err;
}

/*
 * The committer's (and the tagger's) date of a commit on pc (NULL: a
 * root commit): who's,
 * but never before the parent's commit date, and never on a day before
 * the parent's (dipb-git(7), "Commit dates").  A clock behind the
 * branch's would date the commit before the changes under it, and a
 * window of dates, which holds the changes by the day their commit
 * landed (dipb-log(1)), would list it on an earlier day than changes it
 * was made on, or not at all: git log --since follows no line of history
 * past a commit dated before the window.  The zone is the committer's,
 * as git writes it, unless that puts the later moment on an earlier day
 * than the parent's (a member further west on top of one further east):
 * then the parent's, so that the days along the branch never go back
 * either and report status --until DATE is the state the minutes up to
 * DATE end at.  The author date stays the change's own: the day it was
 * made.  The parent's date is read as git log and dipb log read it
 * (objparse.c), not as libgit2 does, which takes a zone beyond 14 hours,
 * one made by hand, for +0000: its day is the one those show.  Its
 * zone is taken as the parent spells it (*zone, +hhmm): +0099 is +0139's
 * offset, and +9999's minutes would write a zone of five digits.
 */
static void
commit_when(int64_t *time, int *offset, int *zone,
    const struct dipb_identity *who, const struct dipb_commit *pc)
{
	char day[11], pday[11];

	*time = who->time;
	*offset = who->offset;
	*zone = ident_zone(who);
	/* A parent dated from 2100 on had a wrong clock: dipb(1). */
	if (pc == NULL || pc->committer_time >= DIPB_DATE_END)
		return;
	if (*time < pc->committer_time)
		*time = pc->committer_time;
	dipb_date_ymd(day, *time, *offset);
	dipb_date_ymd(pday, pc->committer_time, pc->committer_offset);
	if (strcmp(day, pday) < 0) {
		*offset = pc->committer_offset;
		*zone = pc->committer_zone;
	}
}

/*
 * Step 1b, in memory: the commit on the tip, and the annotated tag naming
 * it, as libgit2 writes them (git's format), each signed when s is on:
 * the commit's signature goes in its gpgsig header (git commit -S), the
 * tag's after its message (git tag -s).  Their ids into j.
 */
static const struct dipb_error *
make_commit(struct dipb_buf *commit, struct dipb_buf *tag, struct journal *j,
    const struct dipb_change *c, const struct dipb_commit *pc,
    const git_oid *tree_id, const char *tag_name,
    const struct dipb_git_signer *s)
{
	const struct dipb_error *err = NULL;
	const struct dipb_identity *who = c->who, *au = author_of(c);
	struct dipb_buf sig = DIPB_BUF_INIT;
	git_signature *id = NULL, *aid = NULL;
	char hex[GIT_OID_HEXSZ + 1];
	int64_t when;
	int offset, zone;

	commit_when(&when, &offset, &zone, who, pc);
	if (git_signature_new(&id, who->name, who->email,
	    (git_time_t)when, offset) < 0 ||
	    git_signature_new(&aid, au->name, au->email,
	    (git_time_t)au->time, au->offset) < 0) {
		err = dipb_error_from_git("not a usable identity: '%s <%s>'",
		    id == NULL ? who->name : au->name,
		    id == NULL ? who->email : au->email);
		goto done;
	}
	dipb_buf_printf(commit, "tree %s\n",
	    git_oid_tostr(hex, sizeof(hex), tree_id));
	if (pc != NULL)
		dipb_buf_printf(commit, "parent %s\n", pc->id);
	put_ident(commit, "author", aid, ident_zone(au));
	put_ident(commit, "committer", id, zone);
	dipb_buf_putc(commit, '\n');
	commit_message(commit, c);
	if (s->on) {
		if ((err = dipb_git_sign(&sig, s, commit->ptr,
		    commit->len)) != NULL || (err = check_signer(&sig, c->keys,
		    au->email, s, "commit")) != NULL)
			goto done;
		put_gpgsig(commit, &sig);
	}
	if (git_odb_hash(&j->new, commit->ptr, commit->len,
	    GIT_OBJECT_COMMIT) < 0) {
		err = dipb_error_from_git("cannot hash the commit");
		goto done;
	}

	dipb_buf_printf(tag, "object %s\ntype commit\ntag %s\n",
	    git_oid_tostr(hex, sizeof(hex), &j->new), tag_name);
	put_ident(tag, "tagger", id, zone);
	dipb_buf_printf(tag, "\n%s\n", c->subject);
	if (s->on) {
		if ((err = dipb_git_sign(&sig, s, tag->ptr, tag->len)) !=
		    NULL || (err = check_signer(&sig, c->keys, au->email, s,
		    "tag")) != NULL)
			goto done;
		dipb_buf_put(tag, sig.ptr, sig.len);
	}
	if (git_odb_hash(&j->tag, tag->ptr, tag->len, GIT_OBJECT_TAG) < 0)
		err = dipb_error_from_git("cannot hash the tag");
done:
	git_signature_free(id);
	git_signature_free(aid);
	dipb_buf_release(&sig);
	return err;
}

/* odb_write of len bytes of data as type, which must give id expect. */
static const struct dipb_error *
write_object(struct dipb_repo *r, const git_oid *expect, const char *data,
    size_t len, git_object_t type, const char *what)
{
	git_oid id;

	if (git_odb_write(&id, r->odb, data, len, type) < 0)
		return dipb_error_from_git("cannot write the %s", what);
	if (!git_oid_equal(&id, expect))
		return dipb_error_fmt(DIPB_ERR_INTERNAL, "the %s's id is not "
		    "the one computed", what);
	return NULL;
}

/* Step 1c: the objects made in memory, written: blobs, trees, commit, tag. */
static const struct dipb_error *
write_objects(struct dipb_repo *r, const struct journal *j,
    const struct dipb_change *c, const struct dipb_git_trees *trees,
    const struct dipb_buf *commit, const struct dipb_buf *tag)
{
	const struct dipb_error *err = NULL;
	size_t i;

	for (i = 0; i < c->nfiles && err == NULL; i++)
		err = write_object(r, &j->files[i].new, c->files[i].data,
		    c->files[i].len, GIT_OBJECT_BLOB, "blob");
	if (err != NULL)
		return err;
	dipb_git_fault("blob");
	if ((err = dipb_git_trees_write(r, trees)) != NULL ||
	    (err = write_object(r, &j->new, commit->ptr, commit->len,
	    GIT_OBJECT_COMMIT, "commit")) != NULL)
		return err;
	dipb_git_fault("commit");
	if ((err = write_object(r, &j->tag, tag->ptr, tag->len, GIT_OBJECT_TAG,
	    "tag")) != NULL)
		return err;
	dipb_git_fault("tag-object");
	return NULL;
}

/*
 * Step 1, shared by dipb_repo_commit and dipb_repo_make: the blobs, the
 * trees from root (NULL: an empty tree), the commit on parent pc (NULL:
 * a root commit) and the tag tag_name naming it, made and signed (s) in
 * memory, then written, so that a key that cannot sign writes nothing.
 * Their ids into j and *tree_id.
 */
static const struct dipb_error *
make_objects(git_oid *tree_id, struct journal *j, struct dipb_repo *r,
    const struct dipb_change *c, const struct dipb_commit *pc,
    const git_oid *root, const char *tag_name,
    const struct dipb_git_signer *s)
{
	const struct dipb_error *err;
	struct dipb_git_trees trees;
	struct dipb_buf commit = DIPB_BUF_INIT, tag = DIPB_BUF_INIT;

	memset(&trees, 0, sizeof(trees));
	if ((err = dipb_git_objects_begin(r)) == NULL &&
	    (err = make_tree(tree_id, &trees, j, r, c, root)) == NULL &&
	    (err = make_commit(&commit, &tag, j, c, pc, tree_id, tag_name,
	    s)) == NULL &&
	    (err = write_objects(r, j, c, &trees, &commit, &tag)) == NULL)
		err = dipb_git_objects_end(r);
	dipb_git_trees_release(&trees);
	dipb_buf_release(&commit);
	dipb_buf_release(&tag);
	return err;
}

/*
 * Steps 3 and 4: index.lock, held until step 5, then the tag ref (one
 * that exists belongs to another writer), then the branch by
 * compare-and-swap against the tip read.
 * *tagged is set once the tag ref is written.
 */
static const struct dipb_error *
move_refs(int *tagged, struct dipb_repo *r, const struct journal *j,
    const struct dipb_change *c, const char *tag_name)
{
	const struct dipb_error *err;
	static const git_oid zero;
	struct dipb_buf log = DIPB_BUF_INIT;
	char hex[GIT_OID_HEXSZ + 1], date[11];
	int moved;

	/*
	 * index.lock until step 5 writes the index (dipb_git_index_hold),
	 * taken before the tag ref moves: a lock that cannot be had (held,
	 * no inode left) refuses the change before anyone sees its tag.
	 */
	if ((err = dipb_git_index_hold(r)) != NULL)
		return err;
	dipb_identity_date(c->who, date);
	dipb_buf_printf(&log, "tag: tagging %.7s (%s, %s)",
	    git_oid_tostr(hex, sizeof(hex), &j->new), c->subject, date);
	if ((err = dipb_git_update_ref(&moved, r, j->tag_ref, &j->tag, &zero,
	    c->who, log.ptr)) != NULL)
		goto done;
	if (!moved) {
		err = dipb_error_fmt(DIPB_ERR_BUSY,
		    "repository busy, retry (tag %s exists)", tag_name);
		goto done;
	}
	*tagged = 1;
	dipb_git_fault("tag-ref");

	dipb_buf_clear(&log);
	dipb_buf_printf(&log, "commit%s: %s", r->unborn ? " (initial)" : "",
	    c->subject);
	if ((err = dipb_git_update_ref(&moved, r, j->branch_ref, &j->new,
	    &j->old, c->who, log.ptr)) != NULL)
		goto done;
	if (!moved)
		err = dipb_error(DIPB_ERR_CHANGED);
	else
		dipb_git_fault("branch");
done:
	dipb_buf_release(&log);
	return err;
}

/*
 * Step 5: the working tree and the index.  0 when they wait for the next
 * dipb command (a warning says so, and the journal must stay).
 */
static int
sync_files(struct dipb_repo *r, const struct journal *j, const char *tag)
{
	const struct dipb_error *err;
	struct dipb_git_wt *wt = xcalloc(j->nfiles + 1, sizeof(*wt));

	/* The files' entries and the moves' in one write of the index
	 * (dipb_git_index_batch). */
	if ((err = dipb_git_index_batch(r)) == NULL)
		err = dipb_git_worktree_sync(r, j->files, j->nfiles, wt);
	dipb_git_fault("worktree");
	if (err == NULL)
		err = dipb_git_index_sync(r, j->files, j->nfiles, wt);
	if (err == NULL && j->nmoves > 0)
		err = dipb_git_moves_sync(r, j->moves, j->nmoves);
	err = dipb_git_index_batch_end(r, err);
	dipb_git_fault("index");
	free(wt);
	if (err == NULL)
		return 1;
	dipb_git_warn(r, "%s made, but the working tree is not in step yet "
	    "(the next dipb command finishes it): %s", tag, err->msg);
	dipb_error_free(err);
	return 0;
}

/*
 * Step 1d, for a change made from the working tree (from_worktree, dipb
 * edit --no-edit): what each working file held as the command read it,
 * into j's was, so that the change writes the committed file over it
 * once its branch moves, or the next command after a kill does (dipb(1)),
 * as over the tip's: nothing is written in the working tree before the
 * branch moves, and a save the user made since is left as it is.
 */
static const struct dipb_error *
journal_was(struct journal *j, struct dipb_repo *r,
    const struct dipb_change *c)
{
	const struct dipb_error *err = NULL;
	size_t i;

	for (i = 0; i < j->nfiles && err == NULL && c->from_worktree; i++) {
		if (strcmp(j->files[i].path, c->files[0].path) != 0)
			err = dipb_git_hash_file(&j->files[i].was, r,
			    j->files[i].path);
		else if (git_odb_hash(&j->files[i].was, c->worktree_data !=
		    NULL ? c->worktree_data : "", c->worktree_len,
		    GIT_OBJECT_BLOB) != 0)
			err = dipb_error_from_git("cannot hash '%s'",
			    j->files[i].path);
	}
	return err;
}

/*
 * A moved file's new path, as a file written there is checked
 * (dipb_git_worktree_check): no attribute there may ask for a filter
 * command or an encoding that git would apply to it and dipb cannot.
 */
static const struct dipb_error *
renames_check(struct dipb_repo *r, const struct dipb_change *c)
{
	const struct dipb_error *err = NULL;
	size_t i;

	for (i = 0; i < c->nrenames && err == NULL; i++)
		err = dipb_git_attr_check(r, c->renames[i].to);
	return err;
}

const struct dipb_error *
dipb_repo_commit(char **out_tag, struct dipb_repo *r,
    const struct dipb_change *c)
{
	const struct dipb_error *err, *undo;
	struct journal j;
	struct dipb_git_signer signer;
	struct dipb_commit pc;
	git_oid tree_id;
	const char **paths = NULL;
	char *tag_name = NULL, hex[GIT_OID_HEXSZ + 1];
	size_t i;
	int journaled = 0, tagged = 0, have_pc = 0;

	*out_tag = NULL;
	memset(&j, 0, sizeof(j));
	memset(&signer, 0, sizeof(signer));
	if ((err = check_change(r, c)) != NULL ||
	    (err = dipb_git_worktree_check(r, c->files, c->nfiles)) != NULL ||
	    (err = renames_check(r, c)) != NULL ||
	    (err = name_change(&j, &tag_name, r, c)) != NULL ||
	    (err = journal_moves(&j, c)) != NULL)
		goto done;
	/* 0. Everything the steps below need, before the first is made. */
	paths = xcalloc(c->nfiles + 1, sizeof(*paths));
	for (i = 0; i < c->nfiles; i++)
		paths[i] = c->files[i].path;
	if ((err = dipb_repo_check_change(r, paths, c->nfiles)) != NULL ||
	    (j.nmoves > 0 && (err = dipb_git_moves_check(r, j.moves,
	    j.nmoves)) != NULL) ||
	    (err = dipb_git_signer_load(&signer, r, c->sign)) != NULL)
		goto done;
	/*
	 * 1. Objects: blobs, trees, commit, tag, made and signed in memory,
	 * then written, so that a key that cannot sign writes nothing.
	 */
	if (!r->unborn) {
		if ((err = dipb_git_commit_read(&pc, r,
		    git_oid_tostr(hex, sizeof(hex), &r->tip))) != NULL)
			goto done;
		have_pc = 1;
	}
	if ((err = make_objects(&tree_id, &j, r, c, have_pc ? &pc : NULL,
	    dipb_git_tip_root(r), tag_name, &signer)) != NULL ||
	    (err = journal_was(&j, r, c)) != NULL)
		goto done;
	/* 2. The journal, so a kill from here on is completed or undone. */
	if ((err = dipb_git_journal_write(r, &j)) != NULL)
		goto done;
	journaled = 1;
	dipb_git_fault("journal");
	/* 3 and 4. The tag ref and the branch. */
	if ((err = move_refs(&tagged, r, &j, c, tag_name)) != NULL)
		goto done;

	/* The change is made; from here on errors only delay its tidying. */
	tagged = 0;
	r->unborn = 0;
	git_oid_cpy(&r->tip, &j.new);
	git_oid_cpy(&r->root, &tree_id);
	*out_tag = tag_name;
	tag_name = NULL;
	/* 5. The working tree and the index, then the journal goes. */
	journaled = sync_files(r, &j, *out_tag);
done:
	/*
	 * index.lock first: with no inode left, its own is the one the
	 * tag ref's removal takes for its lock.
	 */
	dipb_git_index_unhold(r);
	/* A tag that cannot be deleted now is undone by the journal. */
	if (tagged && (undo = dipb_git_delete_ref(r, j.tag_ref)) != NULL)
		dipb_error_free(undo);
	else if (journaled)
		dipb_git_journal_remove(r, err == NULL);
	if (have_pc)
		dipb_commit_release(&pc);
	free(paths);
	free(tag_name);
	dipb_git_journal_release(&j);
	dipb_git_signer_release(&signer);
	return err;
}

const struct dipb_error *
dipb_repo_make(struct dipb_made *out, struct dipb_repo *r,
    const char *parent, const char *tag_name, const struct dipb_change *c)
{
	const struct dipb_error *err;
	struct dipb_commit pc;
	struct journal j;
	struct dipb_git_signer signer;
	git_oid parent_id, root, tree_id;
	char *ref = NULL;
	int valid = 0, have_pc = 0;

	memset(out, 0, sizeof(*out));
	memset(&j, 0, sizeof(j));
	memset(&signer, 0, sizeof(signer));
	if ((err = check_fields(c)) != NULL)
		goto done;
	ref = xasprintf("refs/tags/%s", tag_name != NULL ? tag_name : "");
	if (tag_name == NULL || git_reference_name_is_valid(&valid, ref) < 0 ||
	    !valid) {
		err = dipb_error_fmt(DIPB_ERR_INTERNAL, "not a tag name: '%s'",
		    tag_name != NULL ? tag_name : "");
		goto done;
	}
	if ((err = dipb_git_commit_read(&pc, r, parent)) != NULL)
		goto done;
	have_pc = 1;
	if (git_oid_fromstr(&parent_id, pc.id) < 0 ||
	    git_oid_fromstr(&root, pc.tree) < 0) {
		err = dipb_error_fmt(DIPB_ERR_CORRUPT, "not a commit: '%s'",
		    parent);
		goto done;
	}
	if ((err = journal_moves(&j, c)) != NULL ||
	    (err = dipb_git_signer_load(&signer, r, c->sign)) != NULL ||
	    (err = make_objects(&tree_id, &j, r, c, &pc, &root, tag_name,
	    &signer)) != NULL)
		goto done;
	git_oid_tostr(out->commit, sizeof(out->commit), &j.new);
	git_oid_tostr(out->tag, sizeof(out->tag), &j.tag);
	out->is_signed = signer.on;
done:
	if (have_pc)
		dipb_commit_release(&pc);
	free(ref);
	dipb_git_journal_release(&j);
	dipb_git_signer_release(&signer);
	return err;
}

const struct dipb_error *
dipb_repo_check_signer(int *on, struct dipb_repo *r, int sign,
    const struct dipb_strlist *keys, const char *email)
{
	static const char probe[] = "dipb: which key signs\n";
	const struct dipb_error *err;
	struct dipb_git_signer s;
	struct dipb_buf sig = DIPB_BUF_INIT;

	*on = 0;
	memset(&s, 0, sizeof(s));
	if ((err = dipb_git_signer_load(&s, r, sign)) != NULL)
		return err;
	*on = s.on;
	if (s.on && keys != NULL && keys->n > 0 &&
	    (err = dipb_git_sign(&sig, &s, probe, sizeof(probe) - 1)) == NULL)
		err = check_signer(&sig, keys, email, &s, "commit");
	dipb_buf_release(&sig);
	dipb_git_signer_release(&s);
	return err;
}

/*
 * A replay writes the objects of many changes before any ref names them:
 * fsynced one by one they cost more than the rest of the replay (100
 * changes: 2,600 fsyncs).  They are written without, then the file
 * system is flushed once, before dipb sync's publishing names them
 * (git's core.fsyncMethod=batch does the same).  A repository with
 * core.sharedRepository keeps its own writer's fsyncs (perm.c).
 */
void
dipb_repo_defer_fsync(struct dipb_repo *r)
{
	if (!r->fsync || r->deferred)
		return;
	r->deferred = 1;
	r->fsync = 0;
	dipb_git_lib_fsync(r, 0);
}

#ifdef __linux__
/*
 * syncfs(2) of dir's file system, unless it is one of the *n in devs
 * already (then added to them).
 */
static const struct dipb_error *
syncfs_once(dev_t *devs, size_t *n, const char *dir)
{
	const struct dipb_error *err = NULL;
	struct stat st;
	size_t i;
	int fd;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return dipb_error_from_errno("%s", dir);
	if (fstat(fd, &st) == -1)
		err = dipb_error_from_errno("%s", dir);
	for (i = 0; err == NULL && i < *n && devs[i] != st.st_dev; i++)
		;
	if (err == NULL && i == *n) {
		devs[(*n)++] = st.st_dev;
		if (syncfs(fd) == -1)
			err = dipb_error_from_errno("syncfs: %s", dir);
	}
	close(fd);
	return err;
}
#endif

const struct dipb_error *
dipb_git_flush(struct dipb_repo *r)
{
	const struct dipb_error *err = NULL;
#ifdef __linux__
	char *objects = dipb_git_objects_dir(r);
	dev_t devs[3];
	size_t n = 0;

	/* The objects', the refs' and the git dir's, once each. */
	if ((err = syncfs_once(devs, &n, objects)) == NULL &&
	    (err = syncfs_once(devs, &n,
	    git_repository_commondir(r->git))) == NULL)
		err = syncfs_once(devs, &n, r->gitdir);
	free(objects);
#else
	(void)r;
	sync();
#endif
	return err;
}

const struct dipb_error *
dipb_repo_flush(struct dipb_repo *r)
{
	if (!r->deferred)
		return NULL;
	r->deferred = 0;
	r->fsync = 1;
	dipb_git_lib_fsync(r, 1);
	return dipb_git_flush(r);
}

char *
dipb_git_objects_dir(const struct dipb_repo *r)
{
	if (r->objdir != NULL)
		return xstrdup(r->objdir);
	/* r->objdir is NULL only where GIT_OBJECT_DIRECTORY is set (repo.c). */
	if (r->env_objdir != NULL)
		return xstrdup(r->env_objdir);
	return xasprintf("%sobjects/", git_repository_commondir(r->git));
}

const struct dipb_error *
dipb_git_objects_begin(struct dipb_repo *r)
{
	const struct dipb_error *err = NULL;
	char *dir;

	if (!r->fsync || r->dirsync != 0)
		return NULL;
	dir = dipb_git_objects_dir(r);
	if (dipb_fsync_dir(dir) == 0)
		r->dirsync = 1;
	else if (DIPB_DIRSYNC_UNSUPPORTED(errno)) {
		r->dirsync = -1;
		dipb_git_lib_fsync(r, 0);
	} else	/* EIO: said once (Linux), never to be dropped */
		err = dipb_error_from_errno("cannot sync the objects folder "
		    "'%s'", dir);
	free(dir);
	return err;
}

const struct dipb_error *
dipb_git_objects_end(struct dipb_repo *r)
{
	const struct dipb_error *err = NULL;
	char *dir;

	if (!r->fsync)
		return NULL;
	if (r->dirsync < 0)
		return dipb_git_flush(r);
	dir = dipb_git_objects_dir(r);
	if (dipb_fsync_dir(dir) == -1)
		err = dipb_error_from_errno("cannot sync the objects folder "
		    "'%s'", dir);
	free(dir);
	return err;
}

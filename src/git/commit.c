/*
 * git/commit.c - a state change: checks, blobs, tree, commit, tag, branch.
 *
 * dipb_repo_commit first checks everything the change needs, the index
 * and working-tree steps included (dipb_repo_check_change), so that a
 * change that git or dipb could not finish is refused with nothing
 * written.  It then writes its objects, then a journal, then the tag ref,
 * then moves the branch by compare-and-swap, then brings the working tree
 * and the index in step, then removes the journal.  Every step before the
 * branch moves can be undone, every step after it redone, so a process
 * killed anywhere leaves either no change or a whole one once the next
 * dipb command has read the journal (journal.c).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "../error.h"
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
}

/*
 * Subject, body, then dipb's trailers as the message's last paragraph
 * (src/trailer.h).  Nothing of the body, which is the user's text, may be
 * read for them: git takes a line starting "---" for the start of a patch
 * and ends the message there (git-interpret-trailers(1)), so such a line
 * is written with a space before it, which Markdown reads the same; and
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
			if (end - p >= 3 && strncmp(p, "---", 3) == 0)
				dipb_buf_putc(b, ' ');
			dipb_buf_put(b, p, (size_t)(nl - p));
		}
		if (n > 0)
			dipb_buf_puts(b, "\n\n");
	}
	trailers(b, c);
}

static const struct dipb_error *
check_change(const struct dipb_repo *r, const struct dipb_change *c)
{
	size_t i, k;

	if (r->lock_fd < 0)
		return dipb_error_fmt(DIPB_ERR_INTERNAL,
		    "commit without the repository lock");
	if (c->nfiles == 0 || c->files == NULL || c->subject == NULL ||
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
	return NULL;
}

/*
 * What git says of an operation it left half-done in this working tree's
 * git dir (libgit2 looks there: MERGE_HEAD, rebase-merge/, rebase-apply/,
 * CHERRY_PICK_HEAD, REVERT_HEAD, BISECT_LOG): the name and how to end
 * it.  A commit of dipb's amid one would be taken into it (a merge's
 * 'git commit' concludes with whatever the index holds) or lost.
 */
const struct dipb_error *
dipb_git_check_state(struct dipb_repo *r)
{
	const char *what, *end;

	switch (git_repository_state(r->git)) {
	case GIT_REPOSITORY_STATE_NONE:
		return NULL;
	case GIT_REPOSITORY_STATE_MERGE:
		what = "a merge";
		end = "finish it with 'git commit' or abort it with 'git "
		    "merge --abort'";
		break;
	case GIT_REPOSITORY_STATE_REVERT:
	case GIT_REPOSITORY_STATE_REVERT_SEQUENCE:
		what = "a revert";
		end = "finish it with 'git revert --continue' or abort it "
		    "with 'git revert --abort'";
		break;
	case GIT_REPOSITORY_STATE_CHERRYPICK:
	case GIT_REPOSITORY_STATE_CHERRYPICK_SEQUENCE:
		what = "a cherry-pick";
		end = "finish it with 'git cherry-pick --continue' or abort "
		    "it with 'git cherry-pick --abort'";
		break;
	case GIT_REPOSITORY_STATE_BISECT:
		what = "a bisect";
		end = "end it with 'git bisect reset'";
		break;
	case GIT_REPOSITORY_STATE_APPLY_MAILBOX:
		what = "'git am'";
		end = "finish it with 'git am --continue' or abort it with "
		    "'git am --abort'";
		break;
	default:
		what = "a rebase";
		end = "finish it with 'git rebase --continue' or abort it "
		    "with 'git rebase --abort'";
		break;
	}
	return dipb_error_fmt(DIPB_ERR_DIRTY, "%s is in progress: %s, then "
	    "retry", what, end);
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

	if ((err = dipb_git_next_tag_number(&n, r, c->record)) != NULL)
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

/* Step 1a: one blob per file, and the tree, built from the tip's. */
static const struct dipb_error *
write_tree(git_oid *tree_id, struct journal *j, struct dipb_repo *r,
    const struct dipb_change *c)
{
	const struct dipb_error *err = NULL;
	struct dipb_git_tree_edit *up = xcalloc(c->nfiles, sizeof(*up));
	git_filemode_t mode;
	size_t i;
	int have;

	j->nfiles = j->cap = c->nfiles;
	j->files = xcalloc(c->nfiles, sizeof(*j->files));
	for (i = 0; i < c->nfiles && err == NULL; i++) {
		j->files[i].path = xstrdup(c->files[i].path);
		if ((err = dipb_git_tree_blob(&j->files[i].old, &mode, &have,
		    r, c->files[i].path)) != NULL)
			break;
		if (git_blob_create_from_buffer(&j->files[i].new, r->git,
		    c->files[i].data, c->files[i].len) < 0)
			err = dipb_error_from_git("cannot write '%s'",
			    c->files[i].path);
		up[i].id = &j->files[i].new;
		up[i].mode = mode;
		up[i].path = c->files[i].path;
	}
	if (err == NULL) {
		dipb_git_fault("blob");
		/* Built from the tip's tree, never from the index. */
		err = dipb_git_tree_edit(tree_id, r, dipb_git_tip_root(r), up,
		    c->nfiles);
	}
	free(up);
	return err;
}

/* Step 1b: the commit on the tip, and the annotated tag naming it. */
static const struct dipb_error *
write_commit(struct journal *j, struct dipb_repo *r,
    const struct dipb_change *c, const git_oid *tree_id, const char *tag_name)
{
	const struct dipb_error *err = NULL;
	const struct dipb_identity *who = c->who;
	struct dipb_buf msg = DIPB_BUF_INIT;
	git_signature *sig = NULL;
	git_tree *tree = NULL;
	git_commit *parent = NULL;
	git_object *commit = NULL;
	const git_commit *parents[1];
	char *tag_msg = NULL;

	if (git_tree_lookup(&tree, r->git, tree_id) < 0) {
		err = dipb_error_from_git("cannot read the new tree");
		goto done;
	}
	if (git_signature_new(&sig, who->name, who->email,
	    (git_time_t)who->time, who->offset) < 0) {
		err = dipb_error_from_git("not a usable identity: '%s <%s>'",
		    who->name, who->email);
		goto done;
	}
	commit_message(&msg, c);
	if (!r->unborn && git_commit_lookup(&parent, r->git, &r->tip) < 0) {
		err = dipb_error_from_git("cannot read the branch tip");
		goto done;
	}
	parents[0] = parent;
	if (git_commit_create(&j->new, r->git, NULL, sig, sig, NULL, msg.ptr,
	    tree, parent != NULL ? 1 : 0, parents) < 0) {
		err = dipb_error_from_git("cannot write the commit");
		goto done;
	}
	dipb_git_fault("commit");
	tag_msg = xasprintf("%s\n", c->subject);
	if (git_object_lookup(&commit, r->git, &j->new, GIT_OBJECT_COMMIT) <
	    0 || git_tag_annotation_create(&j->tag, r->git, tag_name, commit,
	    sig, tag_msg) < 0) {
		err = dipb_error_from_git("cannot write the tag");
		goto done;
	}
	dipb_git_fault("tag-object");
done:
	git_object_free(commit);
	git_commit_free(parent);
	git_tree_free(tree);
	git_signature_free(sig);
	dipb_buf_release(&msg);
	free(tag_msg);
	return err;
}

/*
 * Steps 3 and 4: the tag ref (one that exists belongs to another
 * writer), then the branch by compare-and-swap against the tip read.
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
	struct dipb_git_wt *wt = xcalloc(j->nfiles, sizeof(*wt));

	err = dipb_git_worktree_sync(r, j->files, j->nfiles, wt);
	dipb_git_fault("worktree");
	if (err == NULL)
		err = dipb_git_index_sync(r, j->files, j->nfiles, wt);
	dipb_git_fault("index");
	free(wt);
	if (err == NULL)
		return 1;
	dipb_git_warn(r, "%s made, but the working tree is not in step yet "
	    "(the next dipb command finishes it): %s", tag, err->msg);
	dipb_error_free(err);
	return 0;
}

const struct dipb_error *
dipb_repo_commit(char **out_tag, struct dipb_repo *r,
    const struct dipb_change *c)
{
	const struct dipb_error *err;
	struct journal j;
	git_oid tree_id;
	const char **paths = NULL;
	char *tag_name = NULL;
	size_t i;
	int journaled = 0, tagged = 0;

	*out_tag = NULL;
	memset(&j, 0, sizeof(j));
	if ((err = check_change(r, c)) != NULL ||
	    (err = dipb_git_worktree_check(r, c->files, c->nfiles)) != NULL ||
	    (err = name_change(&j, &tag_name, r, c)) != NULL)
		goto done;
	/* 0. Everything the steps below need, before the first is made. */
	paths = xcalloc(c->nfiles, sizeof(*paths));
	for (i = 0; i < c->nfiles; i++)
		paths[i] = c->files[i].path;
	if ((err = dipb_repo_check_change(r, paths, c->nfiles)) != NULL)
		goto done;
	/* 1. Objects: blobs, tree, commit, tag. */
	if ((err = write_tree(&tree_id, &j, r, c)) != NULL ||
	    (err = write_commit(&j, r, c, &tree_id, tag_name)) != NULL)
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
	if (tagged && git_reference_remove(r->git, j.tag_ref) < 0)
		git_error_clear();	/* the journal still undoes it */
	else if (journaled)
		dipb_git_journal_remove(r);
	free(paths);
	free(tag_name);
	dipb_git_journal_release(&j);
	return err;
}

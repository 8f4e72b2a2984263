/*
 * cmd_edit.c - dipb edit ID [--no-edit], dipb edit --board [--no-edit]
 *
 * Only the drafter's fields may change in an edit; dipb keeps the rest
 * (status, reviews, dates...) and sets 'updated'.  The working group is
 * part of the id and cannot change either.  Without --no-edit the editor
 * runs on a copy while the repository is unlocked; the change is then
 * made only if the record did not move meanwhile.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "editor.h"
#include "error.h"
#include "history.h"
#include "scan.h"
#include "session.h"
#include "state.h"
#include "subject.h"
#include "validate.h"

static const struct dipb_error *
usage_edit(const char *what)
{
	return dipb_cmd_usage_error("edit", "%s", what);
}

/* The fields an edit may not change, as canonical YAML (a shallow view). */
static void
protected_yaml(const struct dipb_record *r, struct dipb_buf *out)
{
	struct dipb_record v;

	dipb_record_init(&v);
	v.id = r->id;
	v.working_group = r->working_group;
	v.status = r->status;
	v.created = r->created;
	v.author = r->author;
	v.reviews = r->reviews;
	v.nreviews = r->nreviews;
	v.replies = r->replies;
	v.nreplies = r->nreplies;
	v.submission = r->submission;
	v.decision = r->decision;
	v.withdrawal = r->withdrawal;
	dipb_record_emit(&v, out);
}

/* The canonical form of r, 'updated' left out. */
static void
content_yaml(const struct dipb_record *r, struct dipb_buf *out)
{
	struct dipb_record v = *r;

	v.updated = NULL;
	dipb_record_emit(&v, out);
}

static int
same_str(const char *a, const char *b)
{
	return a == b || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/*
 * 1 when action now has the moves of its due date that was (NULL: an
 * action the edit adds) had: they are dipb action --due's, never the
 * drafter's (dipb-workflow(7), "Fields").
 */
static int
same_moves(const struct dipb_action *was, const struct dipb_action *now)
{
	const struct dipb_reschedule *x, *y;
	size_t j;

	if (now->nrescheduled != (was != NULL ? was->nrescheduled : 0))
		return 0;
	for (j = 0; j < now->nrescheduled; j++) {
		x = &was->rescheduled[j];
		y = &now->rescheduled[j];
		if (!same_str(x->from, y->from) || !same_str(x->to, y->to) ||
		    !same_str(x->date, y->date) || !same_str(x->by, y->by) ||
		    !same_str(x->reason, y->reason))
			return 0;
	}
	return 1;
}

/* new's classification is below old's, both known to board b. */
static int
lowers(const struct dipb_board *b, const struct dipb_record *old,
    const struct dipb_record *new)
{
	int was = dipb_board_classification_rank(b, old->classification);
	int now = dipb_board_classification_rank(b, new->classification);

	return was >= 0 && now >= 0 && now < was;
}

/*
 * The command that takes a kept draft (its path the first "%s", for
 * dipb_draft_kept) up again into the working file path, then commits it
 * with commit, a dipb command: "cp %s PATH && COMMIT"
 * (dipb_repo_path_cmd).  Caller frees.
 */
static char *
resume_line(struct dipb_repo *repo, const char *path, const char *commit)
{
	char *after = xasprintf(" && %s", commit), *out;

	out = dipb_repo_path_cmd(repo, "cp %s", path, after);
	free(after);
	return out;
}

/*
 * An edit may raise the classification, never lower it: that is dipb
 * declassify's event, by the role the board names (dipb-workflow(7)), so
 * that what was written at a level is never released by a drafter.  The
 * refusal is DIPB_ERR_LOWERED, which alone a kept draft is fixed for
 * (edit_record).
 */
static const struct dipb_error *
check_lowered(const struct dipb_board *b, const struct dipb_record *old,
    const struct dipb_record *new, const char *path)
{
	const struct dipb_error *err;
	char *id, *to;

	if (!lowers(b, old, new))
		return NULL;
	/*
	 * dipb declassify refuses a record with uncommitted changes: the
	 * way out puts the classification back and commits the rest first.
	 * Its command ends the message, after a colon, not inside quotes:
	 * the level, shell-quoted, has quotes of its own, and the line
	 * from 'dipb' on pastes as one command.  A level that starts
	 * with '-' follows '--', read as the operand, not as options.
	 */
	id = dipb_sh_quote(old->id != NULL ? old->id : "ID");
	to = dipb_sh_quote(new->classification);
	err = dipb_error_fmt(DIPB_ERR_LOWERED, "%s: an edit may not lower "
	    "the classification ('%s' to '%s'): that is dipb declassify's, "
	    "which needs the %s role; put 'classification: %s' back, commit "
	    "any other edit with 'dipb edit %s --no-edit', then run: dipb "
	    "declassify %s %s%s", path, old->classification,
	    new->classification, dipb_role_name(b->declassify),
	    old->classification, id, id,
	    new->classification[0] == '-' ? "-- " : "", to);
	free(id);
	free(to);
	return err;
}

/*
 * same_ok: a record the same as old is committed too (its file's form
 * alone differs from the tip's: no_changes()).
 */
static const struct dipb_error *
check_edit(const struct dipb_board *board, const struct dipb_record *old,
    const struct dipb_record *new, const char *path, int same_ok)
{
	struct dipb_buf a = DIPB_BUF_INIT, b = DIPB_BUF_INIT;
	const struct dipb_error *err = NULL;
	size_t i;

	if ((err = check_lowered(board, old, new, path)) != NULL)
		return err;
	protected_yaml(old, &a);
	protected_yaml(new, &b);
	if (strcmp(dipb_buf_cstr(&a), dipb_buf_cstr(&b)) != 0)
		err = dipb_error_fmt(DIPB_ERR_INVALID,
		    "%s: only the drafter's fields may be edited (not id, "
		    "working_group, status, created, author, reviews, "
		    "replies, submission, decision or withdrawal)", path);
	/* An action's state is action-updated's (dipb-workflow(7),
	 * "Fields"): an action is open until then. */
	for (i = 0; err == NULL && i < new->nactions; i++)
		if (new->actions[i].state != (i < old->nactions ?
		    old->actions[i].state : DIPB_ACTION_OPEN))
			err = dipb_error_fmt(DIPB_ERR_INVALID, "%s: action %zu: "
			    "its state is changed by 'dipb action', not by an "
			    "edit", path, i + 1);
		else if (!same_moves(i < old->nactions ? &old->actions[i] :
		    NULL, &new->actions[i]))
			err = dipb_error_fmt(DIPB_ERR_INVALID, "%s: action "
			    "%zu: its rescheduled list is changed by 'dipb "
			    "action --due', not by an edit", path, i + 1);
	dipb_buf_clear(&a);
	dipb_buf_clear(&b);
	if (err == NULL && !same_ok) {
		content_yaml(old, &a);
		content_yaml(new, &b);
		if (strcmp(dipb_buf_cstr(&a), dipb_buf_cstr(&b)) == 0)
			err = dipb_error_fmt(DIPB_ERR_CANCELLED,
			    "%s: no changes", path);
	}
	dipb_buf_release(&a);
	dipb_buf_release(&b);
	return err;
}

/*
 * edit --no-edit found the record as the tip has it (err, "no changes"),
 * though every other command sends the user here for what differs: say
 * what does, and how to drop it.  wt: the working file's bytes, as git
 * add takes them in; r the record they hold; shown: path as the messages
 * name it, as load() does.  *commit set (err freed, NULL returned) where
 * the file, in canonical form, differs from the tip's blob: the blob is
 * the one out of form (CRLF line ends a Windows clone committed under
 * 'text eol=lf', which git status shows as a change), and nothing but
 * committing the file takes the change away (dipb-git(7), "Working
 * files and attributes").
 */
static const struct dipb_error *
no_changes(int *commit, const struct dipb_error *err, struct dipb_repo *repo,
    const char *path, const char *shown, const struct dipb_buf *wt,
    const struct dipb_record *r)
{
	struct dipb_buf tip = DIPB_BUF_INIT, canon = DIPB_BUF_INIT;
	const struct dipb_error *e;
	int found = 0, form, dirty = 0;
	char *arg;

	*commit = 0;
	/* Nothing differs at all: "no changes" says it. */
	if ((e = dipb_repo_path_dirty(&dirty, repo, path)) != NULL || !dirty) {
		dipb_error_free(e);
		return err;
	}
	/* Its mode changed alone: no edit commits that. */
	if (dirty == DIPB_DIRTY_MODE) {
		dipb_error_free(err);
		return dipb_session_not_an_edit(repo, path, shown, dirty);
	}
	if ((e = dipb_repo_read(&tip, &found, repo, path, DIPB_MAX_FILE)) !=
	    NULL) {
		dipb_buf_release(&tip);
		dipb_error_free(e);
		return err;
	}
	form = !found || tip.len != wt->len ||
	    memcmp(tip.ptr, wt->ptr, wt->len) != 0;
	dipb_buf_release(&tip);
	dipb_record_emit(r, &canon);
	*commit = form && canon.len == wt->len &&
	    memcmp(canon.ptr, wt->ptr, wt->len) == 0;
	dipb_buf_release(&canon);
	dipb_error_free(err);
	if (*commit)
		return NULL;
	arg = dipb_repo_path_arg(repo, path);
	if (form)
		e = dipb_error_fmt(DIPB_ERR_CANCELLED, "%s: no changes to "
		    "commit: the file differs from the commit in form only "
		    "(comments, quoting, order), which its canonical form "
		    "drops; 'dipb fmt %s' writes it so", shown, arg);
	else
		e = dipb_error_fmt(DIPB_ERR_CANCELLED, "%s: no changes to "
		    "commit in the working file; what 'git add' staged "
		    "differs from the commit: 'git restore --staged %s' "
		    "unstages it", shown, arg);
	free(arg);
	return e;
}

/*
 * Unknown keys are errors: canonical form would drop their text.  What
 * else dipb validate refuses that the edit could break, against board b
 * (a level or a working group it does not know, a control character or
 * an owner who is no member that the edit adds: one old, the record at
 * the tip, held stays; dipb_session_check_record), is said with them,
 * every problem at once, at its line of the file edited (dipb-edit(1)).
 * flags: DIPB_VALIDATE_COPY for the editor's copy.
 */
static const struct dipb_error *
load(struct dipb_record *r, const char *path, const struct dipb_buf *buf,
    const struct dipb_record *old, const struct dipb_board *b, int flags)
{
	struct dipb_diags diags = DIPB_DIAGS_INIT;
	struct dipb_record v;
	int bad;

	dipb_record_release(r);
	dipb_record_init(r);
	bad = dipb_record_load(r, path, buf->ptr, buf->len, DIPB_LOAD_STRICT,
	    &diags) != 0;
	/* 'updated' is dipb's, set by the commit (dipb-edit(1)): the date
	 * the file says is no problem of the user's (date-order); a value
	 * that is no date is refused, as in any record. */
	v = *r;
	v.updated = old->updated;
	if (dipb_session_check_record(&diags, b, path, &v, old, flags) > 0)
		bad = 1;
	dipb_diags_sort(&diags);
	return dipb_cmd_file_read(&diags, bad, "record", path);
}

/*
 * same_ok: as check_edit()'s; path, flags: the file new was read from,
 * as load()'s.  The working file is written in canonical form by the
 * change itself, once its branch moves (struct dipb_change's
 * from_worktree): one the commit refuses, or a kill before, leaves the
 * user's text as it was.  *refused (may be NULL) is set when the error
 * is new's text refused (check_edit, dipb_session_check_record), which
 * another edit of it may cure; not for what the change fails on.
 */
static const struct dipb_error *
commit_edit(struct dipb_session *s, const struct dipb_record *old,
    struct dipb_record *new, const char *path, int flags, int same_ok,
    int *refused)
{
	const struct dipb_error *err;
	char *subject, *tag;
	int ignored;

	if (refused == NULL)
		refused = &ignored;
	*refused = 0;
	if ((err = check_edit(&s->board, old, new, path, same_ok)) != NULL) {
		*refused = err->code == DIPB_ERR_INVALID ||
		    err->code == DIPB_ERR_LOWERED;
		return err;
	}
	free(new->updated);
	new->updated = xstrdup(s->today);
	/* Against the board as the lock finds it, which may have changed
	 * while the editor ran: said at the lines of the file edited. */
	if (dipb_session_check_record(&s->diags, &s->board, path, new, old,
	    flags) > 0) {
		dipb_diags_sort(&s->diags);
		*refused = 1;
		return dipb_error_fmt(DIPB_ERR_INVALID, "invalid record: '%s'",
		    path);
	}
	subject = dipb_subject_make(&(struct dipb_subject){
	    .kind = DIPB_EVENT_EDITED, .id = new->id,
	    .by = dipb_session_actor(s) });
	err = dipb_session_move(&tag, s, new, DIPB_MOVE_EDIT, old->status,
	    subject, NULL);
	if (tag != NULL)
		fprintf(stderr, "%s\n", tag);
	free(tag);
	free(subject);
	return err;
}

/*
 * The copy d, as the user left it, loaded into new against the board as
 * the tip has it now: one another member changed while the editor ran is
 * the one this round is checked against (dipb_cmd_board_now; commit_edit
 * checks again under the lock).
 */
static const struct dipb_error *
load_copy(struct dipb_record *new, const struct dipb_draft *d,
    const struct dipb_record *old, struct dipb_repo *repo)
{
	struct dipb_session view;
	const struct dipb_error *err;

	if ((err = dipb_cmd_board_now(&view, repo)) != NULL)
		return err;
	err = load(new, d->path, &d->text, old, &view.board,
	    DIPB_VALIDATE_COPY);
	dipb_session_end(&view);
	return err;
}

/*
 * The user edits d, a copy of the record under the git dir (dipb-edit(1),
 * FILES), in a loop until it loads or they stop.  *keep is set when the
 * draft holds text of theirs that is not committed.
 */
static const struct dipb_error *
edit_copy(struct dipb_draft *d, int *keep, struct dipb_record *new,
    struct dipb_ctx *ctx, const char *id, const struct dipb_record *old)
{
	const struct dipb_error *err = NULL;

	*keep = 0;
	while (err == NULL) {
		if ((err = dipb_draft_edit(d)) != NULL) {
			*keep = !dipb_draft_unchanged(d);
			break;
		}
		if (dipb_draft_unchanged(d)) {
			err = dipb_error_fmt(DIPB_ERR_CANCELLED, "%s: no "
			    "change: nothing committed", id);
			break;
		}
		if (dipb_draft_empty(d)) {
			err = dipb_error_fmt(DIPB_ERR_CANCELLED, "%s: the copy "
			    "was emptied: nothing committed", id);
			break;
		}
		*keep = 1;
		/* Whatever refused the round, the board unread too, is
		 * said before the question (dipb_editor_ask_again). */
		if ((err = load_copy(new, d, old, ctx->repo)) == NULL ||
		    !ctx->interactive || !dipb_editor_ask_again(&err))
			break;
	}
	return err;
}

/*
 * The copy new, loaded from path, committed under the lock if the record
 * is as orig, the text the editor was opened on: s begun, *old reloaded.
 * *refused: the copy's text is what the commit refused (commit_edit);
 * not a board or a record at the tip that does not load, which no edit
 * of the copy cures.
 */
static const struct dipb_error *
commit_copy(struct dipb_session *s, struct dipb_record *old,
    struct dipb_record *new, struct dipb_ctx *ctx, const char *id,
    int retries, const struct dipb_buf *orig, const char *path,
    int *refused)
{
	struct dipb_buf now = DIPB_BUF_INIT;
	const struct dipb_error *err;

	*refused = 0;
	if ((err = dipb_session_begin(s, ctx->repo, retries)) != NULL)
		return err;
	dipb_record_release(old);
	dipb_record_init(old);
	if ((err = dipb_session_load(old, s, id)) != NULL)
		return err;
	if ((err = dipb_session_allow(s, DIPB_MOVE_EDIT, old, NULL)) == NULL)
		err = dipb_session_check_clean(s, old);
	if (err == NULL) {
		dipb_record_emit(old, &now);
		if (strcmp(dipb_buf_cstr(&now), dipb_buf_cstr(orig)) != 0)
			err = dipb_error_fmt(DIPB_ERR_CHANGED,
			    "%s changed while it was being edited", id);
	}
	dipb_buf_release(&now);
	if (err == NULL)
		err = commit_edit(s, old, new, path, DIPB_VALIDATE_COPY, 0,
		    refused);
	return err;
}

/*
 * dipb edit ID --no-edit: the working file path, read into buf and
 * committed, s begun and old loaded (dipb-edit(1)).  buf and *shown (the
 * file as the messages name it) are the caller's to free once s has
 * ended: s reads buf (from_worktree), its diagnostics name *shown.
 */
static const struct dipb_error *
commit_worktree(struct dipb_session *s, const struct dipb_record *old,
    struct dipb_record *new, struct dipb_buf *buf, char **shown,
    struct dipb_repo *repo, const char *path)
{
	const struct dipb_error *err;
	int form = 0;

	if ((err = dipb_session_check_present(s, path)) != NULL ||
	    (err = dipb_repo_read_worktree(buf, repo, path,
	    DIPB_MAX_FILE)) != NULL)
		return err;
	/* Said where the user would open it from (dipb-edit(1)). */
	*shown = dipb_scan_shown(dipb_repo_workdir(repo), path);
	if ((err = load(new, *shown, buf, old, &s->board, 0)) != NULL)
		return err;
	s->from_worktree = buf;	/* what was staged is superseded */
	err = commit_edit(s, old, new, *shown, 0, 0, NULL);
	if (err != NULL && err->code == DIPB_ERR_CANCELLED &&
	    (err = no_changes(&form, err, repo, path, *shown, buf,
	    new)) == NULL && form)
		err = commit_edit(s, old, new, *shown, 0, 1, NULL);
	return err;
}

/*
 * What refuses the edit of the record id (its file path) before the
 * editor, not after it (repo.h): no editor that can run, a change of
 * path git would refuse, uncommitted changes to it.  *instead, the way
 * without a terminal the refusal names, is the caller's to free.
 */
static const struct dipb_error *
check_editable(char **instead, struct dipb_session *s, struct dipb_ctx *ctx,
    const char *id, const char *path)
{
	const struct dipb_error *err;
	const char *paths[1];
	int dirty = 0;

	*instead = xasprintf("edit %s and commit it with 'dipb edit %s "
	    "--no-edit', or set EDITOR to a program that needs no terminal",
	    path, id);
	if ((err = dipb_ctx_editor_check(ctx, 1, *instead)) != NULL)
		return err;
	paths[0] = path;
	if ((err = dipb_repo_check_change(ctx->repo, paths, 1)) != NULL ||
	    (err = dipb_repo_path_dirty(&dirty, ctx->repo, path)) != NULL)
		return err;
	if (dirty)
		err = dipb_session_not_an_edit(ctx->repo, path, path, dirty);
	if (err == NULL && dirty &&
	    (err = dipb_session_check_present(s, path)) == NULL)
		err = dipb_error_fmt(DIPB_ERR_DIRTY, "%s has uncommitted "
		    "changes: commit them with 'dipb edit %s --no-edit'",
		    path, id);
	return err;
}

/*
 * The edit refused (err) with the draft kept: the error that says so and
 * how to take it up again (dipb_draft_kept).  buf: the caller's, reused;
 * *resume, the caller's to free after the draft is closed.
 */
static const struct dipb_error *
keep_draft(const struct dipb_error *err, char **resume,
    struct dipb_draft *draft, struct dipb_record *new,
    const struct dipb_record *old, struct dipb_buf *buf,
    struct dipb_repo *repo, const char *id, const char *path)
{
	char *commit = xasprintf("dipb edit %s --no-edit", id);
	char *lowered = new->classification;
	/* Only for check_lowered's refusal, which found old's level
	 * above new's on the board (the kept draft is kept again
	 * with it put back, dipb_draft_fix, its other edits kept): a
	 * copy made from the record as it loaded would drop what
	 * another refusal is about (an unknown key), and the command
	 * would commit it so. */
	const char *was = err->code == DIPB_ERR_LOWERED ?
	    old->classification : NULL;

	if (was != NULL) {
		dipb_buf_clear(buf);
		new->classification = (char *)was;
		dipb_record_emit(new, buf);
		new->classification = lowered;
		/* Not written: the draft is taken up as it is. */
		dipb_error_free(dipb_draft_fix(draft, buf->ptr, buf->len));
	}
	*resume = resume_line(repo, path, commit);
	free(commit);
	return dipb_draft_kept(err, draft, *resume);
}

static const struct dipb_error *
edit_record(struct dipb_ctx *ctx, const char *id, int no_edit, int retries)
{
	struct dipb_session s;
	struct dipb_record old, new;
	struct dipb_draft draft = DIPB_DRAFT_INIT;
	struct dipb_buf buf = DIPB_BUF_INIT, orig = DIPB_BUF_INIT;
	const struct dipb_error *err;
	char *path = NULL, *shown = NULL, *instead = NULL, *resume = NULL, *to;
	int keep = 0, refused = 0;

	dipb_record_init(&old);
	dipb_record_init(&new);
	if ((err = dipb_check_id(id)) != NULL)
		return err;
	if ((err = dipb_session_begin(&s, ctx->repo, retries)) != NULL)
		goto done;
	path = dipb_record_path_in(s.board.layout, id);
	if ((err = dipb_session_load(&old, &s, id)) != NULL)
		goto done;
	if ((err = dipb_session_allow(&s, DIPB_MOVE_EDIT, &old, NULL)) != NULL)
		goto done;
	if (no_edit) {
		err = commit_worktree(&s, &old, &new, &buf, &shown, ctx->repo,
		    path);
		goto done;
	}
	if ((err = check_editable(&instead, &s, ctx, id, path)) != NULL)
		goto done;
	dipb_record_emit(&old, &orig);
	dipb_session_end(&s);	/* no lock while the editor runs */
	to = dipb_repo_drafts_dir(ctx->repo);
	err = dipb_draft_open(&draft, to, id, orig.ptr, orig.len);
	free(to);
	/*
	 * What the commit refuses of the copy's text, against the board as
	 * the lock finds it (a level dropped while the editor ran, a field
	 * not the drafter's), is a round refused as an invalid copy is:
	 * edit again? on a terminal, with no lock held (dipb-edit(1)).
	 * Anything else the lock finds (a board or the record at the tip
	 * that does not load) ends the command, the copy kept.
	 */
	while (err == NULL && (err = edit_copy(&draft, &keep, &new, ctx, id,
	    &old)) == NULL && (err = commit_copy(&s, &old, &new, ctx, id,
	    retries, &orig, draft.path, &refused)) != NULL && refused &&
	    ctx->interactive) {
		dipb_diags_print(stderr, &s.diags, DIPB_DIAG_GCC);
		dipb_session_end(&s);
		if (!dipb_editor_ask_again(&err))
			break;
	}
done:
	dipb_diags_print(stderr, &s.diags, DIPB_DIAG_GCC);
	dipb_session_end(&s);
	if (err != NULL && keep)
		err = keep_draft(err, &resume, &draft, &new, &old, &buf,
		    ctx->repo, id, path);
	dipb_draft_close(&draft, err != NULL && keep);
	dipb_buf_release(&orig);
	dipb_buf_release(&buf);
	dipb_record_release(&new);
	dipb_record_release(&old);
	free(resume);
	free(instead);
	free(shown);
	free(path);
	return err;
}

/*
 * What the records at the tip hold that the new board nb must keep: the
 * levels they and their reviews use, the ids of the records of each
 * working group of ob, the board at the tip, and, where nb raises the
 * quorum above ob's, the endorsed records it would leave short of it.
 */
struct in_use {
	const struct dipb_board	*ob;
	const struct dipb_board	*nb;
	struct dipb_strlist	 levels;
	struct dipb_strlist	*ids;	/* one list for each of ob's groups */
	struct dipb_strlist	 short_of;	/* "ID (n/q)" */
};

/*
 * Adds r's id to the lists of the groups of ob it belongs to: by its
 * working_group, and by its id's prefix, which agree in a valid record.
 */
static void
group_of(struct in_use *u, const struct dipb_record *r)
{
	char prefix[9];
	unsigned long num;
	size_t i;
	int split;

	if (r->id == NULL)
		return;
	split = dipb_id_split(r->id, prefix, &num) == 0;
	for (i = 0; i < u->ob->nwgs; i++)
		if ((r->working_group != NULL &&
		    strcmp(r->working_group, u->ob->wgs[i].key) == 0) ||
		    (split && strcmp(prefix, u->ob->wgs[i].prefix) == 0))
			dipb_strlist_push(&u->ids[i], r->id);
}

static const struct dipb_error *
use_of(const char *path, const char *data, size_t len, const char *link,
    void *arg)
{
	struct dipb_diags diags = DIPB_DIAGS_INIT;
	struct in_use *u = arg;
	struct dipb_record r;
	unsigned n;
	char *what;

	(void)link;
	if (data == NULL)		/* a link or a gitlink: not read */
		return NULL;
	dipb_record_init(&r);
	if (dipb_record_load(&r, path, data, len, 0, &diags) == 0 &&
	    u->nb->quorum > u->ob->quorum &&
	    r.id != NULL && dipb_state_short_of_quorum(&n, u->nb, &r)) {
		what = xasprintf("%s (%u/%u)", r.id, n, u->nb->quorum);
		dipb_strlist_push(&u->short_of, what);
		free(what);
	}
	dipb_board_levels_used(&u->levels, &r);
	group_of(u, &r);
	dipb_record_release(&r);
	dipb_diags_release(&diags);
	return NULL;
}

/*
 * The levels a declassification lowered a record from, as the record at
 * its commit's first parent says (dipb_history_level_at), not its
 * subject, which is any text: in use though no record at the tip holds
 * them any more, since a capped report judges by them what was written
 * before (dipb-report(1)).  Only the tags of that event are read, and
 * the record before each, not the history.
 */
static const struct dipb_error *
declassified_levels(struct dipb_strlist *used, struct dipb_repo *repo)
{
	const struct dipb_error *err;
	struct dipb_history *h = NULL;
	struct dipb_tagrefs all = { NULL, 0, 0 };
	struct dipb_commit c;
	char commit[DIPB_OID_HEX + 1], *id, *level;
	const char *name;
	size_t i, rlen, ev;
	int found;

	if ((err = dipb_git_tags(&all, repo)) != NULL ||
	    (err = dipb_history_open(&h, repo)) != NULL)
		goto done;
	for (i = 0; i < all.n; i++) {
		name = all.v[i].name;
		/* A tag of dipb's form (dipb-git(7)), none made otherwise. */
		if (dipb_tag_parse(name, strlen(name), &rlen, &ev) == 0 ||
		    strcmp(name + ev,
		    dipb_event_name(DIPB_EVENT_DECLASSIFIED)) != 0)
			continue;
		/* No commit, or one that does not read: verify's to judge. */
		if ((err = dipb_git_tagref_commit(commit, &found, repo,
		    &all.v[i])) != NULL)
			goto done;
		if (!found)
			continue;
		if ((err = dipb_git_commit_read(&c, repo, commit)) != NULL) {
			dipb_error_free(err);
			err = NULL;
			continue;
		}
		id = xstrndup(name, rlen);
		level = NULL;
		if (c.parent[0] != '\0')
			err = dipb_history_level_at(&level, h, c.parent, id);
		if (level != NULL)
			dipb_strlist_push_owned(used, level);
		free(id);
		dipb_commit_release(&c);
		if (err != NULL)
			goto done;
	}
done:
	dipb_history_close(h);
	dipb_tagrefs_release(&all);
	return err;
}

/* The ids of l, a few of them and then their number, into out. */
static void
few_ids(struct dipb_buf *out, struct dipb_strlist *l)
{
	dipb_strlist_sort(l);
	dipb_strlist_say(out, l, 3);
}

/*
 * A working group's key and prefix are its records': the key is in each
 * of them and the prefix begins their ids, and neither changes once a
 * record is drafted (dipb-board(5), "KEYS"); its name may change.  Each
 * group of u->ob that records use and u->nb drops, or keeps with another
 * key or prefix, is said at its item: in path, nb's file, where nb still
 * has it under its key or its prefix, else in the tip's (HEAD:dipb.yaml),
 * under the rule dipb validate would then report.  Returns their number.
 */
static size_t
check_groups(struct dipb_diags *diags, const char *path, struct in_use *u)
{
	const struct dipb_wg *was, *now;
	struct dipb_buf ids = DIPB_BUF_INIT;
	size_t i, n = 0;

	for (i = 0; i < u->ob->nwgs; i++) {
		was = &u->ob->wgs[i];
		if (u->ids[i].n == 0)
			continue;
		now = dipb_board_wg(u->nb, was->key);
		if (now != NULL && strcmp(now->prefix, was->prefix) == 0)
			continue;
		dipb_buf_clear(&ids);
		few_ids(&ids, &u->ids[i]);
		if (now != NULL)
			dipb_diags_add(diags, path, now->pos.line,
			    now->pos.col, DIPB_SEV_ERROR, "id-prefix",
			    "working group '%s' may not change its prefix %s "
			    "to %s: %s %s it", was->key, was->prefix,
			    now->prefix, dipb_buf_cstr(&ids),
			    u->ids[i].n == 1 ? "uses" : "use");
		else if ((now = dipb_board_wg_by_prefix(u->nb,
		    was->prefix)) != NULL)
			dipb_diags_add(diags, path, now->pos.line,
			    now->pos.col, DIPB_SEV_ERROR, "working-group",
			    "working group '%s' (%s) may not change its key "
			    "to '%s': %s %s it", was->key, was->prefix,
			    now->key, dipb_buf_cstr(&ids),
			    u->ids[i].n == 1 ? "uses" : "use");
		else
			dipb_diags_add(diags, "HEAD:" DIPB_BOARD_FILE,
			    was->pos.line, was->pos.col, DIPB_SEV_ERROR,
			    "working-group", "working group '%s' (%s) may not "
			    "be removed: %s %s it", was->key, was->prefix,
			    dipb_buf_cstr(&ids),
			    u->ids[i].n == 1 ? "uses" : "use");
		n++;
	}
	dipb_buf_release(&ids);
	return n;
}

/*
 * The levels in use keep their order (dipb-board(5), "CLASSIFICATIONS"),
 * the working groups in use their key and prefix (check_groups; path is
 * nb's file), and a raised quorum leaves every endorsed record its quorum
 * (dipb-record(5): an endorsed record has the quorum of dipb.yaml in
 * fresh endorsements): raised under one waiting to be submitted, it
 * would make it one that dipb validate refuses and no move can mend.
 * A reviewer may leave whatever the records (dipb-board(5)): an
 * endorsement counts as it did when it was given (dipb-validate(1),
 * status).
 */
static const struct dipb_error *
check_records(struct dipb_session *s, const struct dipb_board *nb,
    const char *path)
{
	struct in_use u;
	struct dipb_buf list = DIPB_BUF_INIT;
	const struct dipb_error *err;
	size_t i;

	memset(&u, 0, sizeof(u));
	u.ob = &s->board;
	u.nb = nb;
	u.ids = xcalloc(s->board.nwgs + 1, sizeof(*u.ids));
	err = dipb_repo_each_record(s->repo, use_of, &u);
	if (err == NULL && check_groups(&s->diags, path, &u) > 0)
		err = dipb_error_fmt(DIPB_ERR_INVALID, "%s: a working group "
		    "that records use keeps its key and its prefix; its name "
		    "may change (dipb-board(5), \"KEYS\")", path);
	if (err == NULL)
		err = declassified_levels(&u.levels, s->repo);
	if (err == NULL)
		err = dipb_board_check_levels(&s->board.classifications,
		    &nb->classifications, &u.levels);
	for (i = 0; err == NULL && i < u.short_of.n; i++)
		dipb_buf_printf(&list, "%s%s", i > 0 ? ", " : "",
		    u.short_of.v[i]);
	if (err == NULL && u.short_of.n > 0)
		err = dipb_error_fmt(DIPB_ERR_INVALID, "the endorsed "
		    "recommendation%s %s would no longer have the quorum of "
		    "the new %s in fresh endorsements: submit %s first",
		    u.short_of.n == 1 ? "" : "s", dipb_buf_cstr(&list),
		    DIPB_BOARD_FILE, u.short_of.n == 1 ? "it" : "them");
	dipb_buf_release(&list);
	for (i = 0; i < s->board.nwgs; i++)
		dipb_strlist_release(&u.ids[i]);
	free(u.ids);
	dipb_strlist_release(&u.levels);
	dipb_strlist_release(&u.short_of);
	return err;
}

/*
 * The editor edits the tip's dipb.yaml: a hand edit of the working file
 * would be left there as if it undid the change, so it is refused, as a
 * record's is (dipb-edit(1)).
 */
static const struct dipb_error *
board_clean(struct dipb_session *s)
{
	const struct dipb_error *err;
	int dirty = 0;

	if ((err = dipb_repo_path_dirty(&dirty, s->repo, DIPB_BOARD_FILE)) !=
	    NULL || !dirty ||
	    (err = dipb_session_not_an_edit(s->repo, DIPB_BOARD_FILE,
	    DIPB_BOARD_FILE, dirty)) != NULL ||
	    (err = dipb_session_check_present(s, DIPB_BOARD_FILE)) != NULL)
		return err;
	return dipb_error_fmt(DIPB_ERR_DIRTY, "%s has uncommitted changes: "
	    "commit them with 'dipb edit --board --no-edit'",
	    DIPB_BOARD_FILE);
}

/*
 * dipb.yaml's layout: changed by hand.  dipb migrate refuses a board
 * file with uncommitted changes, and dipb edit --board this change: the
 * way out undoes it first (dipb-migrate(1)); in the working file, or, for
 * an edit in the editor (draft), in the draft kept.
 */
static const struct dipb_error *
layout_by_hand(struct dipb_repo *repo, enum dipb_layout was,
    enum dipb_layout now, int draft)
{
	const char *w = dipb_layout_name(was), *n = dipb_layout_name(now);
	const struct dipb_error *err;
	char *arg;

	/* Edited in a draft, the working file holds none of it: the kept
	 * draft is kept again with the layout put back (dipb_draft_fix). */
	if (draft)
		return dipb_error_fmt(DIPB_ERR_INVALID, "%s: layout: %s is "
		    "changed by 'dipb migrate --layout %s', which moves every "
		    "record with it, not by a board change: put 'layout: %s' "
		    "back and commit the other changes (the command that takes "
		    "your text up again does both), then run 'dipb migrate "
		    "--layout %s'", DIPB_BOARD_FILE, w, n, w, n);
	arg = dipb_repo_path_arg(repo, DIPB_BOARD_FILE);
	err = dipb_error_fmt(DIPB_ERR_INVALID, "%s: layout: %s is changed by "
	    "'dipb migrate --layout %s', which moves every record with it, "
	    "not by a board change: put 'layout: %s' back ('git checkout -- "
	    "%s' drops every uncommitted change of the file), commit any "
	    "other change with 'dipb edit --board --no-edit', then run 'dipb "
	    "migrate --layout %s'", DIPB_BOARD_FILE, w, n, w, arg, n);
	free(arg);
	return err;
}

/*
 * Whether new board nb (new, its canonical form, read from path) may
 * replace the session's: its records still fit it (check_records); a
 * chair could change it again (dipb-board(5); dipb validate's chair rule:
 * its changes are a chair's, signed where signing is required, as of the
 * parent commit); its layout is the board's, as the records move with it
 * only in dipb migrate's commit (dipb-migrate(1)).  For a layout changed
 * by hand, *relaid is set, and nb and new hold the board with the layout
 * put back, what a kept draft is taken up with.
 */
static const struct dipb_error *
board_allowed(int *relaid, struct dipb_session *s, struct dipb_board *nb,
    struct dipb_buf *new, const char *path, int no_edit)
{
	const struct dipb_error *err, *keeper;

	if ((err = check_records(s, nb, path)) != NULL)
		return err;
	if ((keeper = dipb_state_board_keeper(nb)) != NULL) {
		err = dipb_error_fmt(keeper->code, "%s: %s", DIPB_BOARD_FILE,
		    keeper->msg);
		dipb_error_free(keeper);
		return err;
	}
	if (nb->layout == s->board.layout)
		return NULL;
	err = layout_by_hand(s->repo, s->board.layout, nb->layout, !no_edit);
	*relaid = 1;
	nb->layout = s->board.layout;
	dipb_buf_clear(new);
	dipb_board_emit(nb, new);
	return err;
}

/*
 * --no-edit: dipb.yaml as the working tree holds it, in buf; a change of
 * its mode, or staged alone, is no edit's.
 */
static const struct dipb_error *
board_worktree(struct dipb_buf *buf, struct dipb_session *s,
    struct dipb_repo *repo)
{
	const struct dipb_error *err;
	int dirty = 0;

	if ((err = dipb_repo_path_dirty(&dirty, repo,
	    DIPB_BOARD_FILE)) == NULL && dirty)
		err = dipb_session_not_an_edit(repo, DIPB_BOARD_FILE,
		    DIPB_BOARD_FILE, dirty);
	if (err == NULL && (err = dipb_session_check_present(s,
	    DIPB_BOARD_FILE)) == NULL)
		err = dipb_repo_read_worktree(buf, repo, DIPB_BOARD_FILE,
		    DIPB_MAX_FILE);
	return err;
}

/*
 * The editor on a copy of old, the board's file: its text in buf, *keep
 * if the copy was changed (and not emptied).  *dir: the caller's to free.
 */
static const struct dipb_error *
board_edited(struct dipb_buf *buf, struct dipb_draft *draft, char **dir,
    int *keep, struct dipb_session *s, struct dipb_ctx *ctx,
    const struct dipb_buf *old)
{
	const struct dipb_error *err;

	if ((err = dipb_ctx_editor_check(ctx, 1, "edit " DIPB_BOARD_FILE
	    " and commit it with 'dipb edit --board --no-edit', or set "
	    "EDITOR to a program that needs no terminal")) != NULL ||
	    (err = board_clean(s)) != NULL)
		return err;
	/* The board is small and rarely edited: the lock stays. */
	*dir = dipb_repo_drafts_dir(ctx->repo);
	err = dipb_draft_open(draft, *dir, "board", old->ptr, old->len);
	if (err == NULL)
		err = dipb_draft_edit(draft);
	*keep = !dipb_draft_unchanged(draft);
	if (err == NULL && dipb_draft_empty(draft)) {
		*keep = 0;
		err = dipb_error_fmt(DIPB_ERR_CANCELLED, "%s: the copy "
		    "was emptied: nothing committed", DIPB_BOARD_FILE);
	}
	dipb_buf_put(buf, draft->text.ptr, draft->text.len);
	return err;
}

/*
 * The new board, nb, from buf (read from path), and its canonical text,
 * new; an error if it does not load, or is old's.
 */
static const struct dipb_error *
board_new(struct dipb_board *nb, struct dipb_buf *new,
    struct dipb_diags *diags, const struct dipb_session *s,
    const char *path, const struct dipb_buf *buf, const struct dipb_buf *old)
{
	const struct dipb_error *err;
	int bad;

	/* A member's email that is none, or a control character in a
	 * name, which dipb validate refuses (dipb-validate(1), email,
	 * control-character), is the file's error at its line; one the
	 * board already held stays, as edit leaves a record's. */
	bad = dipb_board_load(nb, path, buf->ptr, buf->len, diags) != 0 ||
	    dipb_validate_board_written(diags, path, nb, &s->board) > 0;
	if (!bad)
		dipb_validate_board_bidi(diags, path, nb, &s->board);
	if ((err = dipb_cmd_file_read(diags, bad, "board file", path)) !=
	    NULL)
		return err;
	dipb_board_emit(nb, new);
	if (strcmp(dipb_buf_cstr(old), dipb_buf_cstr(new)) == 0)
		return dipb_error_fmt(DIPB_ERR_CANCELLED, "%s: no changes",
		    DIPB_BOARD_FILE);
	return NULL;
}

/*
 * The change committed, its tag said.  The working file, too, is written
 * by the change (struct dipb_change's from_worktree).  *tag, *subject:
 * the caller's to free.
 */
static const struct dipb_error *
board_commit(char **tag, char **subject, struct dipb_session *s,
    const struct dipb_buf *new, const struct dipb_buf *buf, int no_edit)
{
	const struct dipb_error *err;

	*subject = dipb_subject_make(&(struct dipb_subject){
	    .kind = DIPB_EVENT_CHANGED, .id = DIPB_BOARD_RECORD,
	    .by = dipb_session_actor(s) });
	if (no_edit)
		s->from_worktree = buf;	/* what was staged is superseded */
	err = dipb_session_commit_board(tag, s, new->ptr, new->len,
	    DIPB_EVENT_CHANGED, *subject);
	if (*tag != NULL)
		fprintf(stderr, "%s\n", *tag);
	return err;
}

static const struct dipb_error *
edit_board(struct dipb_ctx *ctx, int no_edit, int retries)
{
	struct dipb_session s;
	struct dipb_board nb;
	struct dipb_buf buf = DIPB_BUF_INIT, old = DIPB_BUF_INIT,
	    new = DIPB_BUF_INIT;
	struct dipb_diags diags = DIPB_DIAGS_INIT;
	const struct dipb_error *err;
	struct dipb_draft draft = DIPB_DRAFT_INIT;
	const char *paths[1], *path;
	char *subject = NULL, *tag = NULL, *dir = NULL, *resume = NULL;
	int relaid = 0;		/* the layout changed by hand (layout_by_hand) */
	int keep = 0;

	dipb_board_init(&nb);
	if ((err = dipb_session_begin_board(&s, ctx->repo, retries)) != NULL)
		goto done;
	if ((err = dipb_session_allow(&s, DIPB_MOVE_EDIT_BOARD, NULL,
	    NULL)) != NULL)
		goto done;
	/* Before the editor, and before --no-edit reads the file. */
	paths[0] = DIPB_BOARD_FILE;
	if ((err = dipb_repo_check_change(ctx->repo, paths, 1)) != NULL)
		goto done;
	dipb_board_emit(&s.board, &old);
	if (no_edit)
		err = board_worktree(&buf, &s, ctx->repo);
	else
		err = board_edited(&buf, &draft, &dir, &keep, &s, ctx, &old);
	if (err != NULL)
		goto done;
	path = keep ? draft.path : DIPB_BOARD_FILE;
	if ((err = board_new(&nb, &new, &diags, &s, path, &buf, &old)) !=
	    NULL)
		goto done;
	if ((err = board_allowed(&relaid, &s, &nb, &new, path, no_edit)) !=
	    NULL)
		goto done;
	err = board_commit(&tag, &subject, &s, &new, &buf, no_edit);
done:
	dipb_diags_print(stderr, &s.diags, DIPB_DIAG_GCC);
	dipb_session_end(&s);
	if (err != NULL && keep) {
		if (relaid)	/* as for a record's classification */
			dipb_error_free(dipb_draft_fix(&draft, new.ptr,
			    new.len));
		resume = resume_line(ctx->repo, DIPB_BOARD_FILE,
		    "dipb edit --board --no-edit");
		err = dipb_draft_kept(err, &draft, resume);
	}
	dipb_draft_close(&draft, err != NULL && keep);
	free(resume);
	free(dir);
	dipb_diags_release(&diags);
	dipb_board_release(&nb);
	dipb_buf_release(&new);
	dipb_buf_release(&old);
	dipb_buf_release(&buf);
	free(tag);
	free(subject);
	return err;
}

const struct dipb_error *
cmd_edit(int argc, char **argv, struct dipb_ctx *ctx)
{
	static const struct option opts[] = {
		{ "board", no_argument, NULL, 'b' },
		{ "no-edit", no_argument, NULL, 'n' },
		{ "retry", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 }
	};
	const struct dipb_error *err;
	int ch, board = 0, no_edit = 0, retries = -1;

	while ((ch = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (ch) {
		case 'b':
			board = 1;
			break;
		case 'n':
			no_edit = 1;
			break;
		default:
			if ((err = dipb_cmd_retry_option(&retries, "edit", ch,
			    optarg, argv)) != NULL)
				return err;
		}
	}
	argc -= optind;
	argv += optind;
	if ((err = dipb_ctx_open(ctx)) != NULL)
		return err;
	if (board && argc == 0)
		return edit_board(ctx, no_edit, retries);
	if (board || argc != 1)
		return usage_edit("one recommendation id, or --board, expected");
	return edit_record(ctx, argv[0], no_edit, retries);
}

/*
 * session.c - board, identity, record loading and state changes shared by
 * the commands.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "error.h"
#include "meeting.h"
#include "migrate.h"
#include "session.h"
#include "text.h"
#include "validate.h"
#include "yaml_tree.h"

static const struct dipb_error *
load_board(struct dipb_session *s)
{
	struct dipb_buf buf = DIPB_BUF_INIT;
	struct dipb_diags diags = DIPB_DIAGS_INIT;
	const struct dipb_error *err;
	int found;

	err = dipb_repo_read(&buf, &found, s->repo, DIPB_BOARD_FILE,
	    DIPB_MAX_FILE);
	if (err != NULL)
		goto done;
	if (!found) {
		err = dipb_error_fmt(DIPB_ERR_NO_REPO,
		    "no %s on branch '%s': run 'dipb init' first",
		    DIPB_BOARD_FILE, dipb_repo_branch(s->repo));
		goto done;
	}
	if (dipb_board_load(&s->board, DIPB_BOARD_FILE, buf.ptr, buf.len,
	    &diags) != 0) {
		dipb_diags_move(&s->diags, &diags);
		err = dipb_error_fmt(DIPB_ERR_INVALID,
		    "invalid board file: '%s'", DIPB_BOARD_FILE);
	}
done:
	dipb_diags_release(&diags);
	dipb_buf_release(&buf);
	return err;
}

const struct dipb_error *
dipb_session_open(struct dipb_session *s, struct dipb_repo *repo)
{
	memset(s, 0, sizeof(*s));
	s->repo = repo;
	dipb_board_init(&s->board);
	return load_board(s);
}

/* dipb_session_begin; mending: dipb.yaml's edit, which check_name lets. */
static const struct dipb_error *
begin(struct dipb_session *s, struct dipb_repo *repo, int retries,
    int mending)
{
	const struct dipb_error *err;

	memset(s, 0, sizeof(*s));
	s->repo = repo;
	dipb_board_init(&s->board);
	/* Identity first: no lock is taken for someone who cannot act. */
	if ((err = dipb_repo_identity(&s->who, repo)) != NULL)
		return err;
	s->has_who = 1;
	dipb_identity_date(&s->who, s->today);
	if (retries >= 0)
		dipb_repo_set_retries(repo, retries);
	if ((err = dipb_repo_begin(repo)) != NULL)
		return err;
	s->locked = 1;
	if ((err = load_board(s)) != NULL)
		return err;
	s->member = dipb_board_member(&s->board, s->who.email);
	/*
	 * An angled name would be the change's "NAME <EMAIL>" and its
	 * subject's name: no change is the member's until a chair mends
	 * dipb.yaml, which dipb_session_begin_board lets them.
	 */
	if (!mending && (err = dipb_member_check_name(s->member)) != NULL)
		return err;
	if (s->who.name == NULL)
		s->who.name = xstrdup(s->member != NULL ?
		    dipb_member_subject_name(s->member) : s->who.email);
	return NULL;
}

/*
 * A change that cannot be signed is refused before the first is written,
 * once the acting identity may make it (dipb_session_allow): who is no
 * member, or lacks the role, is told so first, whatever the signing.
 */
static const struct dipb_error *
check_signing(struct dipb_session *s)
{
	const struct dipb_error *err;

	if (s->sign_checked)
		return NULL;
	if ((err = dipb_session_signing(&s->sign, &s->board,
	    s->member)) != NULL ||
	    (err = dipb_repo_check_sign(s->repo, s->sign)) != NULL)
		return err;
	s->sign_checked = 1;
	return NULL;
}

const struct dipb_error *
dipb_session_begin(struct dipb_session *s, struct dipb_repo *repo,
    int retries)
{
	return begin(s, repo, retries, 0);
}

const struct dipb_error *
dipb_session_begin_board(struct dipb_session *s, struct dipb_repo *repo,
    int retries)
{
	return begin(s, repo, retries, 1);
}

const struct dipb_error *
dipb_session_signing(int *sign, const struct dipb_board *b,
    const struct dipb_member *m)
{
	*sign = b->signing == DIPB_SIGNING_REQUIRED ||
	    (m != NULL && m->keys.n > 0);
	if (b->signing == DIPB_SIGNING_REQUIRED && m != NULL &&
	    m->keys.n == 0)
		return dipb_error_fmt(DIPB_ERR_DENIED, "%s has no signing key "
		    "in %s, and the board requires signed changes: give a "
		    "chair your SSH public key to add to your keys "
		    "(dipb-board(5), \"Signing\")", m->email,
		    DIPB_BOARD_FILE);
	return NULL;
}

void
dipb_session_warn_unsigned(struct dipb_repo *repo, const struct dipb_board *b)
{
	if (b->signing == DIPB_SIGNING_NONE)
		dipb_repo_warn(repo, "this board lists no signing keys: its "
		    "history is unauthenticated (dipb-board(5), \"Signing\")");
}

void
dipb_session_end(struct dipb_session *s)
{
	if (s->locked)
		dipb_repo_end(s->repo);
	s->locked = 0;
	if (s->has_who)
		dipb_identity_release(&s->who);
	s->has_who = 0;
	dipb_board_release(&s->board);
	dipb_board_init(&s->board);
	dipb_diags_release(&s->diags);
}

const struct dipb_error *
dipb_check_id(const char *id)
{
	if (!dipb_id_valid(id))
		return dipb_error_fmt(DIPB_ERR_BAD_ID,
		    "not a record id: '%s' (expected PREFIX-NNNN, e.g. IC-0007)",
		    id);
	return NULL;
}

const struct dipb_error *
dipb_session_load(struct dipb_record *out, struct dipb_session *s,
    const char *id)
{
	struct dipb_buf buf = DIPB_BUF_INIT;
	struct dipb_diags diags = DIPB_DIAGS_INIT;
	const struct dipb_error *err;
	char *path = NULL;
	int found;

	if ((err = dipb_check_id(id)) != NULL)
		return err;
	path = dipb_record_path_in(s->board.layout, id);
	err = dipb_repo_read(&buf, &found, s->repo, path, DIPB_MAX_FILE);
	if (err != NULL)
		goto done;
	if (!found) {
		err = dipb_error_fmt(DIPB_ERR_NOT_FOUND,
		    "no such recommendation: '%s'", id);
		goto done;
	}
	/* The rules of dipb validate that a later change of dipb.yaml
	 * cannot break (validate.h), the file name among them. */
	if (dipb_record_load(out, path, buf.ptr, buf.len, 0, &diags) != 0 ||
	    dipb_validate_record(&diags, path, out, &s->board,
	    DIPB_VALIDATE_STABLE) > 0 || out->id == NULL) {
		dipb_diags_sort(&diags);
		dipb_diags_move(&s->diags, &diags);
		err = dipb_error_fmt(DIPB_ERR_INVALID, "invalid record: '%s'",
		    path);
	}
done:
	dipb_diags_release(&diags);
	dipb_buf_release(&buf);
	free(path);
	return err;
}

const struct dipb_error *
dipb_session_check_present(struct dipb_session *s, const char *path)
{
	const struct dipb_error *err;
	struct stat st;
	char *full = xasprintf("%s%s", dipb_repo_workdir(s->repo), path);
	char *arg;
	int gone, folder = 0, in = 0;

	if (lstat(full, &st) == -1)
		gone = errno == ENOENT || errno == ENOTDIR;
	else
		gone = folder = S_ISDIR(st.st_mode);
	free(full);
	if (!gone)
		return NULL;
	/*
	 * From the index, which may hold a staged edit; from HEAD when it
	 * has no entry to put back ('git rm', 'git clone --no-checkout').
	 */
	if ((err = dipb_repo_in_index(&in, s->repo, path)) != NULL)
		return err;
	arg = dipb_repo_path_arg(s->repo, path);
	/* git checkout removes a folder in the way, what is in it too. */
	if (folder)
		err = dipb_error_fmt(DIPB_ERR_DIRTY, "%s is a folder in the "
		    "working tree, not the record's file: move the folder "
		    "away (git checkout would delete it, and every file in "
		    "it), then put the file back with 'git checkout %s-- %s'",
		    path, in ? "" : "HEAD ", arg);
	else
		err = dipb_error_fmt(DIPB_ERR_DIRTY, "%s is not in the "
		    "working tree as a file (deleted): put it back with 'git "
		    "checkout %s-- %s'", path, in ? "" : "HEAD ", arg);
	free(arg);
	return err;
}

const struct dipb_error *
dipb_session_not_an_edit(const struct dipb_repo *repo, const char *path,
    const char *shown, int dirty)
{
	const struct dipb_error *err = NULL;
	char *arg = dipb_repo_path_arg(repo, path);

	if (dirty == DIPB_DIRTY_MODE)
		err = dipb_error_fmt(DIPB_ERR_DIRTY, "%s has an uncommitted "
		    "change of its mode (git status shows it: its executable "
		    "bit), which no dipb command commits and a change of the "
		    "file would undo; drop it with 'git checkout HEAD -- %s'",
		    shown, arg);
	else if (dirty == DIPB_DIRTY_STAGED)
		err = dipb_error_fmt(DIPB_ERR_DIRTY, "%s: what 'git add' "
		    "staged differs from the commit, the working file does "
		    "not: no edit commits it; 'git restore --staged %s' "
		    "unstages it", shown, arg);
	free(arg);
	return err;
}

const struct dipb_error *
dipb_session_check_clean(struct dipb_session *s, const struct dipb_record *r)
{
	const struct dipb_error *err;
	const char *id = r->id;
	char *path = dipb_record_path_in(s->board.layout, id), *arg;
	const char *paths[1];
	int dirty = 0;

	/* What a change of the record needs (repo.h), before its state. */
	paths[0] = path;
	if ((err = dipb_repo_check_change(s->repo, paths, 1)) == NULL)
		err = dipb_repo_path_dirty(&dirty, s->repo, path);
	/* A deletion is no edit to commit: git puts the file back. */
	if (err == NULL && dirty)
		err = dipb_session_check_present(s, path);
	/*
	 * Only an edit commits a hand edit, from the statuses the table
	 * allows it from; past them the advice is to drop it, from the
	 * index too (dipb-edit(1), --no-edit).  A mode changed alone, or
	 * a change staged alone, is no edit (dipb_session_not_an_edit).
	 */
	if (err == NULL && dirty)
		err = dipb_session_not_an_edit(s->repo, path, path, dirty);
	if (err == NULL && dirty && dipb_state_allows(DIPB_MOVE_EDIT, r))
		err = dipb_error_fmt(DIPB_ERR_DIRTY,
		    "%s has uncommitted changes (commit them with "
		    "'dipb edit %s --no-edit')", path, id);
	else if (err == NULL && dirty) {
		arg = dipb_repo_path_arg(s->repo, path);
		err = dipb_error_fmt(DIPB_ERR_DIRTY,
		    "%s has uncommitted changes (%s is %s: no edit commits "
		    "them; drop them with 'git checkout HEAD -- %s')", path, id,
		    dipb_status_name(r->status), arg);
		free(arg);
	}
	free(path);
	return err;
}

const struct dipb_error *
dipb_session_allow(struct dipb_session *s, enum dipb_move move,
    const struct dipb_record *r, const char *wg)
{
	const struct dipb_error *err;

	err = dipb_state_permit(&s->board, s->who.email, move, r, wg);
	if (err == NULL && r != NULL)
		err = dipb_state_check_record(&s->board, s->who.email, move,
		    r);
	return err != NULL ? err : check_signing(s);
}

/*
 * ch made by s's member, signed as s says (the board of the parent
 * commit), then the unsigned warning of the board the change leaves:
 * after, a change of dipb.yaml's (NULL: s's board, which ch keeps).
 */
static const struct dipb_error *
commit_as(char **out, struct dipb_session *s, struct dipb_change *ch,
    const struct dipb_board *after)
{
	const struct dipb_error *err;

	if ((err = check_signing(s)) != NULL)
		return err;
	ch->who = &s->who;
	ch->sign = s->sign;
	ch->board = &s->board;
	ch->keys = s->member != NULL ? &s->member->keys : NULL;
	if ((err = dipb_repo_commit(out, s->repo, ch)) == NULL)
		dipb_session_warn_unsigned(s->repo, after != NULL ? after :
		    &s->board);
	return err;
}

/*
 * The board a change of dipb.yaml to data leaves, into *out: NULL when
 * it does not load (the caller checked it; s's board is judged then).
 */
static const struct dipb_board *
board_left(struct dipb_board *out, const char *data, size_t len)
{
	struct dipb_diags diags = DIPB_DIAGS_INIT;
	int bad;

	dipb_board_init(out);
	bad = dipb_board_load(out, DIPB_BOARD_FILE, data, len, &diags) != 0;
	dipb_diags_release(&diags);
	return bad ? NULL : out;
}

static const struct dipb_error *
commit_file(char **out, struct dipb_session *s, const char *path, const char *data,
    size_t len, const char *record, enum dipb_event_kind event,
    enum dipb_status from, enum dipb_status to, const char *subject,
    const char *body, const struct dipb_board *after)
{
	struct dipb_file file;
	struct dipb_change ch;

	*out = NULL;
	file.path = path;
	file.data = data;
	file.len = len;
	memset(&ch, 0, sizeof(ch));
	ch.files = &file;
	ch.nfiles = 1;
	ch.record = record;
	ch.event = dipb_event_name(event);
	if (to != DIPB_STATUS_NONE) {
		ch.status_from = dipb_status_name(from);
		ch.status_to = dipb_status_name(to);
	}
	ch.subject = subject;
	ch.body = body;
	if (s->from_worktree != NULL) {
		ch.from_worktree = 1;
		ch.worktree_data = s->from_worktree->ptr;
		ch.worktree_len = s->from_worktree->len;
	}
	return commit_as(out, s, &ch, after);
}

/*
 * The record at path as the tip has it, the one a change replaces, into
 * was (left empty for a new record): the text it holds already is not the
 * change's (dipb_validate_controls).  A change that would leave the file
 * as it is (the same reviewer's same verdict the same day, a deferral
 * deferred again with the same note) records nothing: refused, as dipb
 * verify finds such a commit [no-change].  Every change of a record
 * passes here, so no writing command can forget it.
 */
static const struct dipb_error *
check_emitted(struct dipb_session *s, const char *path,
    const struct dipb_buf *yaml)
{
	struct dipb_buf buf = DIPB_BUF_INIT;
	struct dipb_diags diags = DIPB_DIAGS_INIT;
	struct dipb_record was;
	const struct dipb_error *err;
	int found = 0;

	dipb_record_init(&was);
	err = dipb_repo_read(&buf, &found, s->repo, path, DIPB_MAX_FILE);
	if (err == NULL && found && buf.len == yaml->len &&
	    memcmp(buf.ptr, yaml->ptr, yaml->len) == 0)
		err = dipb_error_fmt(DIPB_ERR_CANCELLED, "%s: nothing to "
		    "record: the change would leave it as it is", path);
	if (err == NULL && found)
		(void)dipb_record_load(&was, path, buf.ptr, buf.len, 0, &diags);
	if (err == NULL)
		err = dipb_session_check_emitted(&s->diags, &s->board, path,
		    yaml, &was, 1);
	dipb_record_release(&was);
	dipb_diags_release(&diags);
	dipb_buf_release(&buf);
	return err;
}

size_t
dipb_session_check_record(struct dipb_diags *diags,
    const struct dipb_board *b, const char *path,
    const struct dipb_record *r, const struct dipb_record *was, int flags)
{
	struct dipb_diags found = DIPB_DIAGS_INIT;
	size_t n;

	n = dipb_validate_record(&found, path, r, b,
	    DIPB_VALIDATE_STABLE | flags);
	n += dipb_validate_controls(&found, path, r, was, DIPB_TEXT_LINE);
	n += dipb_validate_owners(&found, path, r, b, was);
	/* Its warnings are the commit's to give, or validate's. */
	if (n > 0)
		dipb_diags_move(diags, &found);
	dipb_diags_release(&found);
	return n;
}

const struct dipb_error *
dipb_session_check_emitted(struct dipb_diags *out,
    const struct dipb_board *b, const char *path,
    const struct dipb_buf *yaml, const struct dipb_record *was, int bidi)
{
	struct dipb_diags diags = DIPB_DIAGS_INIT;
	struct dipb_record r;
	const struct dipb_error *err = NULL;

	dipb_record_init(&r);
	/* dipb validate refuses a control character in a field
	 * (dipb-validate(1), control-character), which the readers show
	 * as '?', and an owner written as an email address who is no
	 * member (member): never written by dipb, unless it was there
	 * before. */
	if (dipb_record_load(&r, path, yaml->ptr, yaml->len, 0, &diags) != 0 ||
	    dipb_session_check_record(&diags, b, path, &r, was, 0) > 0) {
		dipb_diags_sort(&diags);
		dipb_diags_move(out, &diags);
		err = dipb_error_fmt(DIPB_ERR_INVALID,
		    "refusing to write an invalid record: '%s'", path);
	} else if (bidi)
		dipb_validate_bidi(out, path, &r, was);
	dipb_diags_release(&diags);
	dipb_record_release(&r);
	return err;
}

const struct dipb_error *
dipb_session_commit(char **out, struct dipb_session *s,
    const struct dipb_record *r, enum dipb_event_kind event,
    enum dipb_status from, const char *subject, const char *body)
{
	struct dipb_buf yaml = DIPB_BUF_INIT;
	const struct dipb_error *err;
	char *path = dipb_record_path_in(s->board.layout, r->id);

	*out = NULL;
	dipb_record_emit(r, &yaml);
	/* Never commit what dipb itself would refuse to load. */
	if ((err = check_emitted(s, path, &yaml)) != NULL)
		goto done;
	err = commit_file(out, s, path, yaml.ptr, yaml.len, r->id, event,
	    from, r->status, subject, body, NULL);
done:
	dipb_buf_release(&yaml);
	free(path);
	return err;
}

const struct dipb_error *
dipb_session_move(char **out, struct dipb_session *s, struct dipb_record *r,
    enum dipb_move move, enum dipb_status from, const char *subject,
    const char *body)
{
	const struct dipb_transition *t;

	*out = NULL;
	if ((t = dipb_state_next(NULL, &s->board, move, from, r)) == NULL)
		return dipb_state_check(r->id, move, from);
	r->status = t->to;
	return dipb_session_commit(out, s, r, t->event, from, subject, body);
}

const struct dipb_error *
dipb_session_commit_board(char **out, struct dipb_session *s,
    const char *data, size_t len, enum dipb_event_kind event,
    const char *subject)
{
	const struct dipb_error *err;
	struct dipb_board after;

	/* Warned of by the board it leaves, keys given or all taken away
	 * (dipb-board(5), "Signing"), not by the one it replaces. */
	err = commit_file(out, s, DIPB_BOARD_FILE, data, len,
	    DIPB_BOARD_RECORD, event, DIPB_STATUS_NONE, DIPB_STATUS_NONE,
	    subject, NULL, board_left(&after, data, len));
	dipb_board_release(&after);
	return err;
}

const struct dipb_error *
dipb_session_commit_migrate(char **out, struct dipb_session *s,
    const struct dipb_migration *m, const char *subject, const char *body)
{
	const struct dipb_error *err;
	struct dipb_board after;
	struct dipb_file file;
	struct dipb_change ch;

	*out = NULL;
	file.path = DIPB_BOARD_FILE;
	file.data = m->board.ptr;
	file.len = m->board.len;
	memset(&ch, 0, sizeof(ch));
	ch.files = &file;
	ch.nfiles = 1;
	ch.renames = m->v;
	ch.nrenames = m->n;
	ch.record = DIPB_BOARD_RECORD;
	ch.event = dipb_event_name(DIPB_EVENT_MIGRATED);
	ch.subject = subject;
	ch.body = body;
	err = commit_as(out, s, &ch, board_left(&after, m->board.ptr,
	    m->board.len));
	dipb_board_release(&after);
	return err;
}

const struct dipb_error *
dipb_session_commit_meeting(char **out, struct dipb_session *s,
    const char *path, const char *data, size_t len, const char *subject,
    const char *body)
{
	return commit_file(out, s, path, data, len, DIPB_MEETING_RECORD,
	    DIPB_EVENT_HELD, DIPB_STATUS_NONE, DIPB_STATUS_NONE, subject,
	    body, NULL);
}

/*
 * CRLF line ends (a file written on Windows) made LF: Markdown reads both
 * alike, and a CR is a control character that dipb validate refuses in a
 * record's Markdown (dipb-validate(1), control-character).
 */
static void
lf_line_ends(char *s)
{
	char *w = s;

	for (; *s != '\0'; s++)
		if (s[0] != '\r' || s[1] != '\n')
			*w++ = *s;
	*w = '\0';
}

void
dipb_message_add(char **text, const char *arg)
{
	char *was = *text;
	size_t len;

	if (was == NULL) {
		*text = xstrdup(arg);
		return;
	}
	/* As git's -m: the text so far ends its line, a blank line, then
	 * arg; an empty text so far is no paragraph. */
	len = strlen(was);
	*text = xasprintf("%s%s%s%s", was, len > 0 && was[len - 1] != '\n' ?
	    "\n" : "", len > 0 ? "\n" : "", arg);
	free(was);
}

/*
 * A text of blanks only is no text: the key it would fill is left out, as
 * a record leaves out an optional key without a value (dipb-record(5)).
 */
static void
none_if_blank(char **text)
{
	if (dipb_text_blank(*text)) {
		free(*text);
		*text = NULL;
	}
}

const struct dipb_error *
dipb_read_message(char **out, const char *opt, const char *text,
    const char *file, struct dipb_diags *diags)
{
	static const char bom[] = "\xef\xbb\xbf";
	struct dipb_buf buf = DIPB_BUF_INIT;
	const struct dipb_error *err;
	struct dipb_yctx ctx;

	*out = NULL;
	if (text != NULL) {
		/* Markdown text ends in a newline, as git ends messages. */
		if (!dipb_utf8_valid(text, strlen(text)))
			return dipb_error_fmt(DIPB_ERR_USAGE,
			    "%s: not valid UTF-8 text", opt);
		*out = xasprintf("%s%s", text, *text != '\0' &&
		    text[strlen(text) - 1] != '\n' ? "\n" : "");
		lf_line_ends(*out);
		none_if_blank(out);
		return NULL;
	}
	if (file == NULL)
		return NULL;
	if ((err = dipb_read_file(&buf, file, DIPB_MAX_MARKDOWN)) != NULL) {
		dipb_buf_release(&buf);
		return err;
	}
	ctx.path = file;
	ctx.diags = diags;
	ctx.strict = 0;
	ctx.input = 0;
	/* Checked with its byte order mark, which the check passes over as
	 * no column: a second one is a character the user wrote, a column
	 * here as in dipb_cmd_check_text(), and kept, as one further on. */
	if (dipb_yt_check_utf8(&ctx, buf.ptr, buf.len) == -1) {
		dipb_buf_release(&buf);
		return dipb_error_fmt(DIPB_ERR_INVALID,
		    "%s: not valid UTF-8 text", file);
	}
	if (buf.len >= 3 && memcmp(buf.ptr, bom, 3) == 0) {
		memmove(buf.ptr, buf.ptr + 3, buf.len - 3);
		buf.len -= 3;
		buf.ptr[buf.len] = '\0';
	}
	if (buf.len > 0 && buf.ptr[buf.len - 1] != '\n')
		dipb_buf_putc(&buf, '\n');
	*out = dipb_buf_detach(&buf);
	lf_line_ends(*out);
	none_if_blank(out);
	return NULL;
}

const struct dipb_error *
dipb_session_prepare(struct dipb_record *out, struct dipb_session *s,
    const char *id, enum dipb_move move)
{
	const struct dipb_error *err;

	if ((err = dipb_session_load(out, s, id)) != NULL)
		return err;
	if ((err = dipb_session_allow(s, move, out, NULL)) != NULL)
		return err;
	return dipb_session_check_clean(s, out);
}

const struct dipb_error *
dipb_parse_retry(int *out, const char *arg)
{
	char *end;
	long n;

	n = strtol(arg, &end, 10);
	if (*arg == '\0' || *end != '\0' || n < 0 || n > 1000)
		return dipb_error_fmt(DIPB_ERR_USAGE,
		    "--retry takes a number from 0 to 1000: '%s'", arg);
	*out = (int)n;
	return NULL;
}

static const struct dipb_error *
levels_of(const char *path, const char *data, size_t len, const char *link,
    void *arg)
{
	struct dipb_diags diags = DIPB_DIAGS_INIT;
	struct dipb_record r;

	if (data == NULL)		/* a link or a gitlink: not read */
		return NULL;
	(void)link;
	dipb_record_init(&r);
	(void)dipb_record_load(&r, path, data, len, 0, &diags);
	dipb_board_levels_used(arg, &r);
	dipb_record_release(&r);
	dipb_diags_release(&diags);
	return NULL;
}

const struct dipb_error *
dipb_session_levels_used(struct dipb_strlist *used, struct dipb_repo *repo)
{
	return dipb_repo_each_record(repo, levels_of, used);
}

/*
 * Whether r, loaded from path, is one the records take: it passes
 * validate's stable rules against the board, has an id, and is where
 * the board's layout keeps it.  These checks read nothing but r, path
 * and the board (no clock, no repository, no environment: validate.h),
 * which is what lets the cache keep their result for a blob at a path
 * under the board's key (board_key, cache.h).
 */
static int
passes(const struct dipb_records *l, const char *path,
    const struct dipb_record *r, struct dipb_diags *diags)
{
	return dipb_validate_record(diags, path, r, l->board,
	    DIPB_VALIDATE_STABLE) == 0 && r->id != NULL &&
	    (l->board == NULL || dipb_validate_place(diags, path, path,
	    l->board) == 0);
}

/*
 * The key of what passes depends on beside the record and its path: the
 * board as dipb_board_emit writes it, every field validate reads, and
 * the names of validate's rules, with CHECKS, raised with any change to
 * passes or to what a rule checks.
 */
#define CHECKS	1

static char *
board_key(const struct dipb_board *b)
{
	struct dipb_buf buf = DIPB_BUF_INIT;
	char hex[DIPB_OID_HEX + 1];
	size_t i;

	dipb_buf_printf(&buf, "checks %d\n", CHECKS);
	for (i = 0; dipb_validate_rules[i].name != NULL; i++)
		dipb_buf_printf(&buf, "%s\n", dipb_validate_rules[i].name);
	if (b != NULL)
		dipb_board_emit(b, &buf);
	else
		dipb_buf_puts(&buf, "no board\n");
	dipb_git_hash_blob(hex, buf.ptr, buf.len);
	dipb_buf_release(&buf);
	return xstrdup(hex);
}

/* The record r into l when taken, else left out with diags. */
static void
records_take(struct dipb_records *l, struct dipb_record *r, int taken,
    struct dipb_diags *diags)
{
	if (taken && l->take != NULL && l->take(r, l->take_arg)) {
		dipb_diags_release(diags);
		return;
	}
	if (taken) {
		xgrow((void **)&l->v, &l->cap, l->n + 1, sizeof(*l->v));
		l->v[l->n++] = *r;
		dipb_diags_release(diags);
		return;
	}
	l->invalid++;
	dipb_diags_sort(diags);
	dipb_diags_move(&l->diags, diags);
	dipb_diags_release(diags);
	dipb_record_release(r);
}

/*
 * A record file, or recommendations/ itself, committed as a link or a
 * gitlink of mode (repo.h, never read): a record file's link [symlink],
 * named with what it points to as validate names one in the working
 * tree; anything else [io], what is no regular file (dipb-validate(1)).
 */
static void
committed_not_read(struct dipb_diags *diags, const char *path, size_t mode,
    const char *link)
{
	int folder = strcmp(path, DIPB_RECORD_DIR) == 0;
	char *what;

	if (!folder && mode == DIPB_MODE_LINK) {
		dipb_validate_symlink(diags, path, link);
		return;
	}
	what = dipb_repo_not_what(NULL, path, (unsigned)mode, folder, link);
	dipb_diags_add(diags, path, 0, 0, DIPB_SEV_ERROR, "io", "%s", what);
	free(what);
}

const struct dipb_error *
dipb_records_add(const char *path, const char *data, size_t len,
    const char *link, void *arg)
{
	struct dipb_records *l = arg;
	struct dipb_diags diags = DIPB_DIAGS_INIT;
	struct dipb_record r;
	int taken = 0, clean;

	dipb_record_init(&r);
	if (data == NULL)
		committed_not_read(&diags, path, len, link);
	else if (dipb_record_load(&r, path, data, len, 0, &diags) == 0) {
		clean = diags.n == 0;
		taken = passes(l, path, &r, &diags);
		/*
		 * Only a record that loaded without a word is cached: a hit
		 * then gives the same diagnostics, validate's, as a parse.
		 */
		if (clean && l->cache != NULL && l->blob[0] != '\0')
			dipb_cache_put(l->cache, l->blob, &r,
			    taken ? path : NULL);
		else
			l->unclean = 1;
	}
	if (!taken)
		l->unclean = 1;
	l->blob[0] = '\0';
	records_take(l, &r, taken, &diags);
	return NULL;
}

/* dipb_repo_known_fn of dipb_records_read: the cache, by blob id. */
static int
records_known(const char *path, const char *id, void *arg)
{
	struct dipb_records *l = arg;
	struct dipb_diags diags = DIPB_DIAGS_INIT;
	struct dipb_record r;
	int taken;

	dipb_record_init(&r);
	if (!dipb_cache_get(l->cache, id, path, l->want, &r, &taken)) {
		/* Read and parsed next, by dipb_records_add: remember it. */
		snprintf(l->blob, sizeof(l->blob), "%s", id);
		return 0;
	}
	/* Not taken under this board yet: checked now, and remembered. */
	if (!taken && (taken = passes(l, path, &r, &diags)))
		dipb_cache_taken(l->cache, path);
	if (!taken)
		l->unclean = 1;
	records_take(l, &r, taken, &diags);
	return 1;
}

/* The records of dipb_cache_all, each taken at its path before. */
static void
records_one(struct dipb_record *r, void *arg)
{
	struct dipb_diags diags = DIPB_DIAGS_INIT;

	records_take(arg, r, 1, &diags);
}

static int
records_all(const char *id, void *arg)
{
	struct dipb_records *l = arg;

	snprintf(l->root, sizeof(l->root), "%s", id);
	if (l->take_head != NULL && l->want == DIPB_CACHE_HEAD)
		return l->sorted = dipb_cache_heads(l->cache, id, l->take_head,
		    l->take_arg);
	return dipb_cache_all(l->cache, id, l->want, records_one, l);
}

static int
records_tree(const char *id, const char **data, size_t *len, void *arg)
{
	struct dipb_records *l = arg;

	return dipb_cache_tree(l->cache, id, data, len);
}

static void
records_put_tree(const char *id, const char *data, size_t len, void *arg)
{
	struct dipb_records *l = arg;

	dipb_cache_put_tree(l->cache, id, data, len);
}

const struct dipb_error *
dipb_records_read(struct dipb_records *l, struct dipb_repo *repo)
{
	const struct dipb_error *err;
	struct dipb_repo_walk w;
	char *key = board_key(l->board);

	l->cache = dipb_cache_open(repo, key);
	free(key);
	l->blob[0] = '\0';
	memset(&w, 0, sizeof(w));
	w.known = records_known;
	w.fn = dipb_records_add;
	w.tree_get = records_tree;
	w.tree_put = records_put_tree;
	w.all = records_all;
	w.arg = l;
	l->root[0] = '\0';
	l->unclean = 0;
	l->sorted = 0;
	err = dipb_repo_each_record_walk(repo, &w);
	if (err == NULL && !l->unclean && l->root[0] != '\0')
		dipb_cache_walked(l->cache, l->root);
	if (err == NULL)
		dipb_cache_close(l->cache, repo);
	else
		dipb_cache_close(l->cache, NULL);
	l->cache = NULL;
	return err;
}

/*
 * A record's place in the order of dipb_records_sort: its id split
 * once, where splitting both ids at each comparison was most of the
 * sort at 30,000 records; the prefix as a number, its letters from the
 * highest byte down, so that comparing numbers compares the prefixes as
 * strcmp would.
 */
struct sort_key {
	uint64_t	 prefix;
	unsigned long	 num;
	const char	*id;
	int		 split;		/* 0: the id does not split */
	size_t		 ix;
};

static void
sort_key(struct sort_key *k, const char *id)
{
	char prefix[9];
	const char *p;
	size_t i;

	k->id = id;
	k->prefix = 0;
	k->num = 0;
	if (!(k->split = dipb_id_valid(id)))
		return;
	for (p = id, i = 0; *p != '-'; p++, i++)
		k->prefix = k->prefix << 8 | (unsigned char)*p;
	/* Zeros after the prefix: "AB" before "ABC", as strcmp has it. */
	k->prefix <<= 8 * (8 - i);
	/* The number as dipb_id_split reads it; past 9 digits, by it. */
	if (strlen(++p) > 9) {
		k->split = dipb_id_split(id, prefix, &k->num) == 0;
		return;
	}
	for (; *p != '\0'; p++)
		k->num = k->num * 10 + (unsigned long)(*p - '0');
}

static int
cmp_key(const void *a, const void *b)
{
	const struct sort_key *x = a, *y = b;
	int c;

	if (!x->split || !y->split)
		c = strcmp(x->id, y->id);
	else if (x->prefix != y->prefix)
		c = x->prefix < y->prefix ? -1 : 1;
	else
		c = x->num < y->num ? -1 : x->num > y->num;
	/* Two of one id: in the order they came, whatever qsort does. */
	return c != 0 ? c : x->ix < y->ix ? -1 : x->ix > y->ix;
}

/*
 * The order of dipb_sort_by_id into order (n indexes), faster than
 * qsort: each id a number, the rank of its prefix among the ids' few
 * prefixes above its number's 40 bits, sorted in passes of 11 bits, the
 * lowest first, each keeping the order of the pass before (the first,
 * the items').  0, or -1 when the ids do not fit (one that does not
 * split, a number of 2^40 or more, more than 64 prefixes).
 */
#define RANKS	64

struct pair {
	uint64_t	 key;
	size_t		 ix;
};

static int
radix_order(size_t *order, const char *const *ids, size_t n)
{
	struct pair *a, *b, *t;
	struct sort_key k;
	uint64_t prefixes[RANKS], max = 0, v;
	size_t nranks = 0, rank[RANKS], i, r, count[2048], sum, c;
	unsigned shift;
	int ok = 1;

	a = xmalloc(n * sizeof(*a));
	for (i = 0; i < n && ok; i++) {
		sort_key(&k, ids[i]);
		if (!k.split || (uint64_t)k.num >> 40 != 0) {
			ok = 0;
			break;
		}
		for (r = 0; r < nranks && prefixes[r] != k.prefix; r++)
			;
		if (r == nranks && (ok = nranks < RANKS))
			prefixes[nranks++] = k.prefix;
		/* The prefix's place among those seen: ranked below. */
		a[i].key = (uint64_t)r << 40 | k.num;
		a[i].ix = i;
	}
	if (!ok) {
		free(a);
		return -1;
	}
	/* Each prefix's rank: how many of them sort before it. */
	for (r = 0; r < nranks; r++)
		for (rank[r] = 0, i = 0; i < nranks; i++)
			rank[r] += prefixes[i] < prefixes[r];
	for (i = 0; i < n; i++) {
		v = a[i].key;
		a[i].key = (uint64_t)rank[v >> 40] << 40 |
		    (v & (((uint64_t)1 << 40) - 1));
		if (a[i].key > max)
			max = a[i].key;
	}
	b = xmalloc(n * sizeof(*b));
	for (shift = 0; shift < 64 && max >> shift != 0; shift += 11) {
		memset(count, 0, sizeof(count));
		for (i = 0; i < n; i++)
			count[a[i].key >> shift & 2047]++;
		for (sum = 0, i = 0; i < 2048; i++) {
			c = count[i];
			count[i] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++)
			b[count[a[i].key >> shift & 2047]++] = a[i];
		t = a;
		a = b;
		b = t;
	}
	for (i = 0; i < n; i++)
		order[i] = a[i].ix;
	free(a);
	free(b);
	return 0;
}

void
dipb_sort_by_id(void *v, size_t n, size_t size,
    const char *(*id)(const void *item, void *arg), void *arg)
{
	struct sort_key *k;
	const char **ids;
	char *base = v, *t;
	size_t *order, i, j, next;

	if (n < 2)
		return;
	ids = xmalloc(n * sizeof(*ids));
	for (i = 0; i < n; i++)
		ids[i] = id(base + i * size, arg);
	order = xmalloc(n * sizeof(*order));
	if (radix_order(order, ids, n) != 0) {
		k = xmalloc(n * sizeof(*k));
		for (i = 0; i < n; i++) {
			sort_key(&k[i], ids[i]);
			k[i].ix = i;
		}
		qsort(k, n, sizeof(*k), cmp_key);
		for (i = 0; i < n; i++)
			order[i] = k[i].ix;
		free(k);
	}
	free(ids);
	/* Item order[i] to place i, one cycle of the permutation at once. */
	t = xmalloc(size);
	for (i = 0; i < n; i++) {
		if (order[i] == i || order[i] == (size_t)-1)
			continue;
		memcpy(t, base + i * size, size);
		for (j = i; order[j] != i; j = next) {
			next = order[j];
			memcpy(base + j * size, base + next * size, size);
			order[j] = (size_t)-1;
		}
		memcpy(base + j * size, t, size);
		order[j] = (size_t)-1;
	}
	free(t);
	free(order);
}

static const char *
record_id(const void *r, void *arg)
{
	(void)arg;
	return ((const struct dipb_record *)r)->id;
}

void
dipb_records_sort(struct dipb_records *l)
{
	dipb_sort_by_id(l->v, l->n, sizeof(*l->v), record_id, NULL);
}

void
dipb_records_release(struct dipb_records *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		dipb_record_release(&l->v[i]);
	free(l->v);
	dipb_diags_release(&l->diags);
	memset(l, 0, sizeof(*l));
}

const char *
dipb_session_actor(const struct dipb_session *s)
{
	if (s->member == NULL)
		return s->who.name;
	return dipb_member_subject_name(s->member);
}

/*
 * session.c - board, identity, record loading and state changes shared by
 * the commands.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "error.h"
#include "meeting.h"
#include "migrate.h"
#include "session.h"
#include "validate.h"

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

const struct dipb_error *
dipb_session_begin(struct dipb_session *s, struct dipb_repo *repo,
    int retries)
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
	if (s->who.name == NULL)
		s->who.name = xstrdup(s->member != NULL ? s->member->name :
		    s->who.email);
	/* A change that cannot be signed is refused before the first. */
	if ((err = dipb_session_signing(&s->sign, &s->board,
	    s->member)) != NULL)
		return err;
	return dipb_repo_check_sign(repo, s->sign);
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
dipb_session_check_clean(struct dipb_session *s, const char *id)
{
	const struct dipb_error *err;
	char *path = dipb_record_path_in(s->board.layout, id);
	const char *paths[1];
	int dirty = 0;

	/* What a change of the record needs (repo.h), before its state. */
	paths[0] = path;
	if ((err = dipb_repo_check_change(s->repo, paths, 1)) == NULL)
		err = dipb_repo_path_dirty(&dirty, s->repo, path);
	if (err == NULL && dirty)
		err = dipb_error_fmt(DIPB_ERR_DIRTY,
		    "%s has uncommitted changes (commit them with "
		    "'dipb edit %s --no-edit')", path, id);
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
	return err;
}

/* ch made by s's member, signed as s says, then the unsigned warning. */
static const struct dipb_error *
commit_as(char **out, struct dipb_session *s, struct dipb_change *ch)
{
	const struct dipb_error *err;

	ch->who = &s->who;
	ch->sign = s->sign;
	ch->keys = s->member != NULL ? &s->member->keys : NULL;
	if ((err = dipb_repo_commit(out, s->repo, ch)) == NULL)
		dipb_session_warn_unsigned(s->repo, &s->board);
	return err;
}

static const struct dipb_error *
commit_file(char **out, struct dipb_session *s, const char *path, const char *data,
    size_t len, const char *record, enum dipb_event_kind event,
    enum dipb_status from, enum dipb_status to, const char *subject,
    const char *body)
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
	return commit_as(out, s, &ch);
}

static const struct dipb_error *
check_emitted(struct dipb_session *s, const char *path,
    const struct dipb_buf *yaml)
{
	return dipb_session_check_emitted(&s->diags, &s->board, path, yaml);
}

const struct dipb_error *
dipb_session_check_emitted(struct dipb_diags *out,
    const struct dipb_board *b, const char *path,
    const struct dipb_buf *yaml)
{
	struct dipb_diags diags = DIPB_DIAGS_INIT;
	struct dipb_record r;
	const struct dipb_error *err = NULL;

	dipb_record_init(&r);
	if (dipb_record_load(&r, path, yaml->ptr, yaml->len, 0, &diags) != 0 ||
	    dipb_validate_record(&diags, path, &r, b,
	    DIPB_VALIDATE_STABLE) > 0) {
		dipb_diags_sort(&diags);
		dipb_diags_move(out, &diags);
		err = dipb_error_fmt(DIPB_ERR_INVALID,
		    "refusing to write an invalid record: '%s'", path);
	}
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
	    from, r->status, subject, body);
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
	return commit_file(out, s, DIPB_BOARD_FILE, data, len, DIPB_BOARD_RECORD,
	    event,
	    DIPB_STATUS_NONE, DIPB_STATUS_NONE, subject, NULL);
}

const struct dipb_error *
dipb_session_commit_migrate(char **out, struct dipb_session *s,
    const struct dipb_migration *m, const char *subject, const char *body)
{
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
	return commit_as(out, s, &ch);
}

const struct dipb_error *
dipb_session_commit_meeting(char **out, struct dipb_session *s,
    const char *path, const char *data, size_t len, const char *subject,
    const char *body)
{
	return commit_file(out, s, path, data, len, DIPB_MEETING_RECORD,
	    DIPB_EVENT_HELD, DIPB_STATUS_NONE, DIPB_STATUS_NONE, subject,
	    body);
}

const struct dipb_error *
dipb_read_message(char **out, const char *text, const char *file)
{
	struct dipb_buf buf = DIPB_BUF_INIT;
	const struct dipb_error *err;

	*out = NULL;
	if (text != NULL) {
		/* Markdown text ends in a newline, as git ends messages. */
		if (!dipb_utf8_valid(text, strlen(text)))
			return dipb_error_fmt(DIPB_ERR_USAGE,
			    "-m: not valid UTF-8 text");
		*out = xasprintf("%s%s", text, *text != '\0' &&
		    text[strlen(text) - 1] != '\n' ? "\n" : "");
		return NULL;
	}
	if (file == NULL)
		return NULL;
	if ((err = dipb_read_file(&buf, file, DIPB_MAX_MARKDOWN)) != NULL) {
		dipb_buf_release(&buf);
		return err;
	}
	if (!dipb_utf8_valid(buf.ptr, buf.len)) {
		dipb_buf_release(&buf);
		return dipb_error_fmt(DIPB_ERR_INVALID,
		    "%s: not valid UTF-8 text", file);
	}
	if (buf.len > 0 && buf.ptr[buf.len - 1] != '\n')
		dipb_buf_putc(&buf, '\n');
	*out = dipb_buf_detach(&buf);
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
	return dipb_session_check_clean(s, id);
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
levels_of(const char *path, const char *data, size_t len, void *arg)
{
	struct dipb_diags diags = DIPB_DIAGS_INIT;
	struct dipb_record r;

	if (data == NULL)		/* a symbolic link: not read */
		return NULL;
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

/* The record r of path, loaded with diags, into l or left out. */
static void
records_take(struct dipb_records *l, const char *path, struct dipb_record *r,
    int loaded, struct dipb_diags *diags)
{
	/* A record where the board's layout keeps none is left out. */
	if (loaded && dipb_validate_record(diags, path, r, l->board,
	    DIPB_VALIDATE_STABLE) == 0 && r->id != NULL &&
	    (l->board == NULL || dipb_validate_place(diags, path, path,
	    l->board) == 0)) {
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

const struct dipb_error *
dipb_records_add(const char *path, const char *data, size_t len, void *arg)
{
	struct dipb_records *l = arg;
	struct dipb_diags diags = DIPB_DIAGS_INIT;
	struct dipb_record r;
	int loaded = 0;

	dipb_record_init(&r);
	if (data == NULL)
		/* A symbolic link: repo.h, never read. */
		dipb_validate_symlink(&diags, path, NULL);
	else {
		loaded = dipb_record_load(&r, path, data, len, 0, &diags) == 0;
		/*
		 * Only a record that loaded without a word is cached: a hit
		 * then gives the same diagnostics, validate's, as a parse.
		 */
		if (loaded && diags.n == 0 && l->cache != NULL &&
		    l->blob[0] != '\0')
			dipb_cache_put(l->cache, l->blob, &r);
	}
	l->blob[0] = '\0';
	records_take(l, path, &r, loaded, &diags);
	return NULL;
}

/* dipb_repo_known_fn of dipb_records_read: the cache, by blob id. */
static int
records_known(const char *path, const char *id, void *arg)
{
	struct dipb_records *l = arg;
	struct dipb_diags diags = DIPB_DIAGS_INIT;
	struct dipb_record r;

	dipb_record_init(&r);
	if (!dipb_cache_get(l->cache, id, &r)) {
		/* Read and parsed next, by dipb_records_add: remember it. */
		snprintf(l->blob, sizeof(l->blob), "%s", id);
		return 0;
	}
	records_take(l, path, &r, 1, &diags);
	return 1;
}

const struct dipb_error *
dipb_records_read(struct dipb_records *l, struct dipb_repo *repo)
{
	const struct dipb_error *err;

	l->cache = dipb_cache_open(repo);
	l->blob[0] = '\0';
	err = dipb_repo_each_record_known(repo, records_known,
	    dipb_records_add, l);
	if (err == NULL)
		dipb_cache_close(l->cache, repo);
	else
		dipb_cache_close(l->cache, NULL);
	l->cache = NULL;
	return err;
}

static int
cmp_id(const void *a, const void *b)
{
	const struct dipb_record *x = a, *y = b;
	char px[9], py[9];
	unsigned long nx, ny;
	int c;

	if (dipb_id_split(x->id, px, &nx) != 0 ||
	    dipb_id_split(y->id, py, &ny) != 0)
		return strcmp(x->id, y->id);
	if ((c = strcmp(px, py)) != 0)
		return c;
	return nx < ny ? -1 : nx > ny;
}

void
dipb_records_sort(struct dipb_records *l)
{
	if (l->n > 1)
		qsort(l->v, l->n, sizeof(*l->v), cmp_id);
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

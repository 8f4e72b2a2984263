/*
 * cmd_recommend.c - dipb recommend --wg KEY --title TEXT [--summary TEXT|-]
 * [--from FILE] [--no-edit]
 *
 * The new id goes alone to stdout, so that a script can capture it.  The
 * editor opens before the repository is locked, so that a long edit never
 * blocks the board.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "editor.h"
#include "error.h"
#include "repo.h"
#include "session.h"
#include "subject.h"
#include "text.h"
#include "validate.h"

static const struct dipb_error *
usage_recommend(const char *what)
{
	return dipb_cmd_usage_error("recommend", "%s", what);
}

static void
set(char **field, const char *val)
{
	free(*field);
	*field = xstrdup(val);
}

/* The drafts' names: recommend-XXXXXX.yaml (dipb-recommend(1), FILES). */
#define DRAFT_PREFIX	"recommend"

/*
 * The template's text for what the user has not given yet: text no one
 * wrote, so never committed (dipb-recommend(1)).
 */
#define PLACEHOLDER_SUMMARY	"What is recommended, in one paragraph of " \
	"Markdown.\n"
#define PLACEHOLDER_RATIONALE	"Why, with evidence.\n"

/* How to give the text when the editor cannot be opened. */
#define INSTEAD "give the text with --summary TEXT, --summary - (from " \
	"standard input) or --from FILE, with --wg and --title, and " \
	"--no-edit"

static void
drop_placeholder(char **field, const char *placeholder)
{
	if (*field != NULL && strcmp(*field, placeholder) == 0) {
		free(*field);
		*field = NULL;
	}
}

/*
 * Loads a drafter's input (a --from file or the edited template); the
 * template's placeholders, left in a kept draft, are text no one wrote.
 * With board b (the editor's draft), what dipb validate refuses of it
 * against b (dipb_session_check_record: a level or a working group b
 * does not know, an owner who is no member, a control character) is
 * said with what the loader found, every problem of the draft at once
 * (dipb-recommend(1)).
 */
static const struct dipb_error *
load_input(struct dipb_record *r, const char *path, const char *data,
    size_t len, const struct dipb_board *b)
{
	struct dipb_diags diags = DIPB_DIAGS_INIT;
	int bad;

	dipb_record_release(r);
	dipb_record_init(r);
	bad = dipb_record_load(r, path, data, len, DIPB_LOAD_INPUT,
	    &diags) != 0;
	drop_placeholder(&r->summary, PLACEHOLDER_SUMMARY);
	drop_placeholder(&r->rationale, PLACEHOLDER_RATIONALE);
	if (b != NULL && dipb_session_check_record(&diags, b, path, r, NULL,
	    0) > 0)
		bad = 1;
	dipb_diags_sort(&diags);
	return dipb_cmd_file_read(&diags, bad, "input", path);
}

/*
 * The draft d, as the user left it, loaded into r against the board as
 * the tip has it now: one another member changed while the editor ran is
 * the one this round is checked against (dipb_cmd_board_now; recommend()
 * checks again under the lock).
 */
static const struct dipb_error *
load_draft(struct dipb_record *r, const struct dipb_draft *d,
    struct dipb_repo *repo)
{
	struct dipb_session view;
	const struct dipb_error *err;

	if ((err = dipb_cmd_board_now(&view, repo)) != NULL)
		return err;
	err = load_input(r, d->path, d->text.ptr, d->text.len,
	    &view.board);
	dipb_session_end(&view);
	return err;
}

/*
 * The drafter writes the record in the editor, in a draft under the git
 * dir (dipb-recommend(1), FILES).  *keep is set when the draft holds text
 * of the user's that is not committed (yet): an invalid edit they chose
 * not to take up again, a draft without a summary, a failed editor.  A
 * draft left as it was, or emptied, cancels with nothing kept.
 */
static const struct dipb_error *
edit_draft(struct dipb_draft *d, int *keep, struct dipb_record *r,
    struct dipb_ctx *ctx)
{
	struct dipb_buf text = DIPB_BUF_INIT;
	const struct dipb_error *err;
	char *dir;

	*keep = 0;
	if (r->summary == NULL)
		r->summary = xstrdup(PLACEHOLDER_SUMMARY);
	if (r->rationale == NULL)
		r->rationale = xstrdup(PLACEHOLDER_RATIONALE);
	dipb_record_emit(r, &text);
	dir = dipb_repo_drafts_dir(ctx->repo);
	err = dipb_draft_open(d, dir, DRAFT_PREFIX, text.ptr, text.len);
	free(dir);
	dipb_buf_release(&text);
	while (err == NULL) {
		if ((err = dipb_draft_edit(d)) != NULL) {
			*keep = !dipb_draft_unchanged(d);
			break;
		}
		if (dipb_draft_unchanged(d)) {
			err = dipb_error_fmt(DIPB_ERR_CANCELLED, "the draft "
			    "was left as it was: nothing committed, no id "
			    "used");
			break;
		}
		if (dipb_draft_empty(d)) {
			err = dipb_error_fmt(DIPB_ERR_CANCELLED, "the draft "
			    "was emptied: nothing committed, no id used");
			break;
		}
		if ((err = load_draft(r, d, ctx->repo)) == NULL)
			break;
		/* Whatever refused the round, the board unread too, is
		 * said before the question (dipb_editor_ask_again). */
		if (!dipb_editor_ask_again(&err)) {
			*keep = 1;
			break;
		}
	}
	if (err != NULL)
		return err;
	if (dipb_text_blank(r->summary)) {
		*keep = 1;
		return dipb_error_fmt(DIPB_ERR_CANCELLED, "the draft has no "
		    "summary: nothing committed, no id used");
	}
	if (r->working_group == NULL || dipb_text_blank(r->title)) {
		*keep = 1;
		return dipb_error_fmt(DIPB_ERR_INVALID, "the draft needs a "
		    "working_group and a title: nothing committed, no id "
		    "used");
	}
	return NULL;
}

/*
 * The new record's file is free: what its change needs (repo.h), and no
 * file of the user's there, untracked or staged, that dipb would leave
 * differing from its commit.
 */
static const struct dipb_error *
check_free(struct dipb_session *s, const char *id)
{
	const struct dipb_error *err;
	const char *paths[1];
	char *path = dipb_record_path_in(s->board.layout, id);
	int dirty = 0;

	paths[0] = path;
	if ((err = dipb_repo_check_change(s->repo, paths, 1)) == NULL &&
	    (err = dipb_repo_path_dirty(&dirty, s->repo, path)) == NULL &&
	    dirty)
		err = dipb_error_fmt(DIPB_ERR_DIRTY, "%s, the new record's "
		    "file, is already there, not committed: move it away "
		    "(and 'git rm --cached' it if staged), then retry", path);
	free(path);
	return err;
}

/* r's working group, which board b does not know, with those it does. */
static const struct dipb_error *
unknown_wg(const struct dipb_board *b, const struct dipb_record *r,
    enum dipb_error_code code)
{
	const struct dipb_error *err;
	struct dipb_buf keys = DIPB_BUF_INIT;
	size_t i;

	for (i = 0; i < b->nwgs; i++)
		dipb_buf_printf(&keys, "%s%s", i ? ", " : "", b->wgs[i].key);
	err = dipb_error_fmt(code, "unknown working group '%s' (known: %s)",
	    r->working_group, dipb_buf_cstr(&keys));
	dipb_buf_release(&keys);
	return err;
}

static const struct dipb_error *
recommend(struct dipb_session *s, struct dipb_record *r, const char *from)
{
	const struct dipb_wg *wg;
	const struct dipb_error *err;
	char *subject = NULL, *tag = NULL;

	/* --wg's is a usage error, the file's the file's (exit 1), said
	 * with every other problem of the file. */
	wg = dipb_board_wg(&s->board, r->working_group);
	if (wg == NULL && (from == NULL ||
	    r->pos[DIPB_F_WORKING_GROUP].line == 0))
		return unknown_wg(&s->board, r, DIPB_ERR_USAGE);
	if (wg != NULL && (err = dipb_session_allow(s, DIPB_MOVE_RECOMMEND,
	    NULL, wg->key)) != NULL)
		return err;
	if (r->classification == NULL && s->board.classifications.n > 0)
		r->classification = xstrdup(s->board.classifications.v[0]);
	/* What a file gave (its working group, a level, the owners of
	 * actions, which come from a file alone) against the board, every
	 * problem at once at its line there, as dipb validate says them
	 * (dipb-validate(1), working-group, classification, member): the
	 * editor's draft was checked so each round, against the board as
	 * it was then. */
	if (from != NULL && dipb_session_check_record(&s->diags, &s->board,
	    from, r, NULL, 0) > 0) {
		dipb_diags_sort(&s->diags);
		if (wg == NULL)
			return unknown_wg(&s->board, r, DIPB_ERR_INVALID);
		return dipb_cmd_invalid("input", from);
	}
	if (wg == NULL)
		return unknown_wg(&s->board, r, DIPB_ERR_INVALID);
	if (dipb_board_classification_rank(&s->board,
	    r->classification) < 0)
		return dipb_error_fmt(DIPB_ERR_INVALID,
		    "unknown classification '%s' (known: see %s)",
		    r->classification, DIPB_BOARD_FILE);
	if (r->priority == DIPB_PRIORITY_NONE)
		r->priority = DIPB_PRIORITY_MEDIUM;
	if ((err = dipb_repo_next_id(&r->id, s->repo, wg->prefix)) != NULL)
		return err;
	if ((err = check_free(s, r->id)) != NULL)
		return err;
	set(&r->created, s->today);
	set(&r->updated, s->today);
	set(&r->author, s->who.email);
	subject = dipb_subject_make(&(struct dipb_subject){
	    .kind = DIPB_EVENT_DRAFTED, .id = r->id,
	    .by = dipb_session_actor(s) });
	err = dipb_session_move(&tag, s, r, DIPB_MOVE_RECOMMEND,
	    DIPB_STATUS_NONE, subject, NULL);
	if (tag != NULL)
		fprintf(stderr, "%s\n", tag);
	free(tag);
	free(subject);
	if (err == NULL)
		printf("%s\n", r->id);
	return err;
}

/*
 * A draft kept under the git dir, or in $TMPDIR, taken up again with
 * --from and now committed, is removed (dipb-recommend(1), FILES).
 */
static void
forget_kept(struct dipb_ctx *ctx, const char *from)
{
	char *dir = dipb_repo_drafts_dir(ctx->repo);

	dipb_draft_forget(dir, DRAFT_PREFIX, from);
	free(dir);
}

/*
 * --wg, --title and --summary (each NULL when not given) into r, over
 * what --from gave; --summary - reads the summary from standard input.
 */
static const struct dipb_error *
take_options(struct dipb_record *r, const char *wg, const char *title,
    const char *summary)
{
	const struct dipb_error *err;
	const char *file;

	if (wg != NULL) {
		set(&r->working_group, wg);
		/* --wg's, not the file's: no line of it to point at. */
		memset(&r->pos[DIPB_F_WORKING_GROUP], 0,
		    sizeof(r->pos[DIPB_F_WORKING_GROUP]));
		memset(&r->vpos[DIPB_F_WORKING_GROUP], 0,
		    sizeof(r->vpos[DIPB_F_WORKING_GROUP]));
	}
	if (title != NULL)
		set(&r->title, title);
	if (summary == NULL)
		return NULL;
	file = strcmp(summary, "-") == 0 ? "-" : NULL;
	free(r->summary);	/* --from's, replaced */
	r->summary = NULL;
	if ((err = dipb_cmd_read_message(&r->summary, "--summary",
	    file != NULL ? NULL : summary, file)) != NULL)
		return err;
	return dipb_cmd_check_text(usage_recommend, "--summary", file,
	    r->summary, 1);
}

struct recommend_opts {
	const char	*wg, *title, *summary;	/* each NULL when not given */
	const char	*from;			/* --from FILE */
	int		 no_edit;
	int		 retries;		/* --retry, -1 when not given */
};

/* The options, their text checked; no operands (dipb-recommend(1)). */
static const struct dipb_error *
parse_options(struct recommend_opts *o, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "wg", required_argument, NULL, 'w' },
		{ "title", required_argument, NULL, 't' },
		{ "summary", required_argument, NULL, 's' },
		{ "from", required_argument, NULL, 'f' },
		{ "no-edit", no_argument, NULL, 'n' },
		{ "retry", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 }
	};
	const struct dipb_error *err = NULL;
	int ch;

	memset(o, 0, sizeof(*o));
	o->retries = -1;
	while ((ch = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (ch) {
		case 'w':
			err = dipb_cmd_once(&o->wg, optarg, "recommend",
			    "--wg");
			break;
		case 't':
			err = dipb_cmd_once(&o->title, optarg, "recommend",
			    "--title");
			break;
		case 's':
			err = dipb_cmd_once(&o->summary, optarg, "recommend",
			    "--summary");
			break;
		case 'f':
			err = dipb_cmd_once(&o->from, optarg, "recommend",
			    "--from");
			break;
		case 'n':
			o->no_edit = 1;
			break;
		default:
			if ((err = dipb_cmd_retry_option(&o->retries,
			    "recommend", ch, optarg, argv)) != NULL)
				return err;
		}
		if (err != NULL)
			return err;
	}
	if (optind != argc)
		return usage_recommend("no arguments expected");
	if ((o->wg != NULL && !dipb_utf8_valid(o->wg, strlen(o->wg))) ||
	    (o->title != NULL && !dipb_utf8_valid(o->title,
	    strlen(o->title))) || (o->summary != NULL &&
	    !dipb_utf8_valid(o->summary, strlen(o->summary))))
		return usage_recommend("--wg, --title and --summary must be "
		    "UTF-8 text");
	if ((err = dipb_cmd_check_text(usage_recommend, "--wg", NULL, o->wg,
	    0)) != NULL || (err = dipb_cmd_check_text(usage_recommend,
	    "--title", NULL, o->title, 0)) != NULL)
		return err;
	return NULL;
}

/*
 * A --from file r that the loader refused (*diags, its problems), or
 * holding a control character where dipb validate refuses one
 * (dipb-validate(1), control-character), is checked against the board
 * as the tip has it now as well, as the edited template is
 * (load_input): every problem of the file at once, not the board's
 * only on the next run (dipb-recommend(1), --from).  An unknown --wg,
 * not the file's, is said as a usage error once the file is right
 * (recommend()).
 */
static const struct dipb_error *
refuse_input(struct dipb_diags *diags, struct dipb_record *r,
    const char *path, struct dipb_repo *repo)
{
	struct dipb_session view;
	const struct dipb_error *err;
	char *wg = NULL;

	if ((err = dipb_cmd_board_now(&view, repo)) != NULL) {
		dipb_diags_release(diags);
		return err;
	}
	if (r->pos[DIPB_F_WORKING_GROUP].line == 0 &&
	    dipb_board_wg(&view.board, r->working_group) == NULL) {
		wg = r->working_group;
		r->working_group = NULL;
	}
	(void)dipb_session_check_record(diags, &view.board, path, r, NULL,
	    0);
	if (wg != NULL)
		r->working_group = wg;
	dipb_session_end(&view);
	dipb_diags_sort(diags);
	return dipb_cmd_file_read(diags, 1, "input", path);
}

/* The record as --from's file and the options give it.  buf: the
 * caller's, the file's text. */
static const struct dipb_error *
given_record(struct dipb_record *rec, struct dipb_buf *buf,
    const struct recommend_opts *o, struct dipb_repo *repo)
{
	struct dipb_diags diags = DIPB_DIAGS_INIT, controls = DIPB_DIAGS_INIT;
	const struct dipb_error *err;
	int bad = 0;

	if (o->from != NULL) {
		if ((err = dipb_read_file(buf, o->from, DIPB_MAX_FILE)) !=
		    NULL)
			return err;
		bad = dipb_record_load(rec, o->from, buf->ptr, buf->len,
		    DIPB_LOAD_INPUT, &diags) != 0;
		/* A kept draft's placeholders, as load_input drops them. */
		drop_placeholder(&rec->summary, PLACEHOLDER_SUMMARY);
		drop_placeholder(&rec->rationale, PLACEHOLDER_RATIONALE);
	}
	if ((err = take_options(rec, o->wg, o->title, o->summary)) != NULL) {
		/* The file's problems first, as before the options. */
		if (bad)
			return dipb_cmd_file_read(&diags, 1, "input", o->from);
		dipb_diags_release(&diags);
		return err;
	}
	if (o->from == NULL)
		return NULL;
	/* The file's own fields, those the options above left: a control
	 * character there is refused, said at its line in the file with
	 * the rest, before anything is written.  What an option gave was
	 * checked as the option. */
	if (!bad)
		bad = dipb_validate_controls(&controls, o->from, rec, NULL,
		    DIPB_TEXT_LINE) > 0;
	dipb_diags_release(&controls);
	if (bad)
		return refuse_input(&diags, rec, o->from, repo);
	return dipb_cmd_file_read(&diags, 0, "input", o->from);
}

/*
 * On a terminal the editor opens, or it is said why not; elsewhere a
 * script gives the whole text, or is told how to.  Edited, *from is the
 * draft's path and *keep 1 (until committed).
 */
static const struct dipb_error *
complete_record(struct dipb_draft *draft, int *keep, const char **from,
    struct dipb_record *rec, struct dipb_ctx *ctx, int no_edit)
{
	const struct dipb_error *err;
	int missing = rec->working_group == NULL ||
	    dipb_text_blank(rec->title) || dipb_text_blank(rec->summary);

	if (!no_edit && (ctx->interactive || missing)) {
		if ((err = dipb_ctx_editor_check(ctx, 0, INSTEAD)) != NULL)
			return err;
		if ((err = edit_draft(draft, keep, rec, ctx)) != NULL)
			return err;
		*keep = 1;	/* until committed */
		*from = draft->path;
		missing = 0;
	}
	if (missing)
		return usage_recommend("--wg, --title and --summary (or --from "
		    "FILE) must give a working group, a title and a summary");
	return NULL;
}

const struct dipb_error *
cmd_recommend(int argc, char **argv, struct dipb_ctx *ctx)
{
	struct recommend_opts o;
	struct dipb_session s;
	struct dipb_record rec;
	struct dipb_draft draft = DIPB_DRAFT_INIT;
	struct dipb_buf buf = DIPB_BUF_INIT;
	const struct dipb_error *err = NULL;
	const char *from;
	int begun = 0, keep = 0;

	if ((err = parse_options(&o, argc, argv)) != NULL)
		return err;
	if ((err = dipb_ctx_open(ctx)) != NULL)
		return err;
	dipb_record_init(&rec);
	from = o.from;
	if ((err = given_record(&rec, &buf, &o, ctx->repo)) != NULL)
		goto done;
	if ((err = complete_record(&draft, &keep, &from, &rec, ctx,
	    o.no_edit)) != NULL)
		goto done;
	if ((err = dipb_session_begin(&s, ctx->repo, o.retries)) == NULL)
		err = recommend(&s, &rec, from);
	begun = 1;
done:
	if (begun) {
		dipb_diags_print(stderr, &s.diags, DIPB_DIAG_GCC);
		dipb_session_end(&s);
	}
	if (err == NULL && o.from != NULL)
		forget_kept(ctx, o.from);
	if (err != NULL && keep)
		err = dipb_draft_kept(err, &draft, "dipb recommend --from %s");
	dipb_draft_close(&draft, err != NULL && keep);
	dipb_buf_release(&buf);
	dipb_record_release(&rec);
	return err;
}

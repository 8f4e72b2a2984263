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

#include "cmd.h"
#include "editor.h"
#include "error.h"
#include "session.h"

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

/* Loads a drafter's input (a --from file or the edited template). */
static const struct dipb_error *
load_input(struct dipb_record *r, const char *path, const char *data,
    size_t len)
{
	struct dipb_diags diags = DIPB_DIAGS_INIT;
	const struct dipb_error *err = NULL;

	dipb_record_release(r);
	dipb_record_init(r);
	if (dipb_record_load(r, path, data, len, DIPB_LOAD_INPUT,
	    &diags) != 0)
		err = dipb_error_fmt(DIPB_ERR_INVALID, "invalid input: '%s'",
		    path);
	dipb_diags_print(stderr, &diags, DIPB_DIAG_GCC);
	dipb_diags_release(&diags);
	return err;
}

static const struct dipb_error *
edit_draft(struct dipb_record *r)
{
	struct dipb_buf text = DIPB_BUF_INIT, out = DIPB_BUF_INIT;
	const struct dipb_error *err;

	if (r->summary == NULL)
		r->summary = xstrdup("What is recommended, in one paragraph of "
		    "Markdown.\n");
	if (r->rationale == NULL)
		r->rationale = xstrdup("Why, with evidence.\n");
	dipb_record_emit(r, &text);
	for (;;) {
		err = dipb_editor_edit(&out, text.ptr, text.len);
		if (err != NULL)
			break;
		err = load_input(r, "(draft)", out.ptr, out.len);
		if (err == NULL || !dipb_editor_ask("edit again?"))
			break;
		dipb_error_free(err);
		dipb_buf_clear(&text);
		dipb_buf_put(&text, out.ptr, out.len);
	}
	dipb_buf_release(&out);
	dipb_buf_release(&text);
	return err;
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
	char *path = dipb_record_path(id);
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

static const struct dipb_error *
recommend(struct dipb_session *s, struct dipb_record *r, const char *from)
{
	const struct dipb_wg *wg;
	const struct dipb_error *err;
	struct dipb_buf keys = DIPB_BUF_INIT;
	char *subject = NULL, *tag = NULL;
	size_t i;

	if ((wg = dipb_board_wg(&s->board, r->working_group)) == NULL) {
		for (i = 0; i < s->board.nwgs; i++)
			dipb_buf_printf(&keys, "%s%s", i ? ", " : "",
			    s->board.wgs[i].key);
		err = dipb_error_fmt(DIPB_ERR_USAGE,
		    "unknown working group '%s' (known: %s)",
		    r->working_group, dipb_buf_cstr(&keys));
		dipb_buf_release(&keys);
		return err;
	}
	if ((err = dipb_session_allow(s, DIPB_MOVE_RECOMMEND, NULL,
	    wg->key)) != NULL)
		return err;
	if (r->classification == NULL && s->board.classifications.n > 0)
		r->classification = xstrdup(s->board.classifications.v[0]);
	if (dipb_board_classification_rank(&s->board,
	    r->classification) < 0) {
		if (from != NULL && r->pos[DIPB_F_CLASSIFICATION].line > 0)
			dipb_diags_add(&s->diags, from,
			    r->pos[DIPB_F_CLASSIFICATION].line,
			    r->pos[DIPB_F_CLASSIFICATION].col, DIPB_SEV_ERROR,
			    "classification", "unknown classification '%s'",
			    r->classification);
		return dipb_error_fmt(DIPB_ERR_INVALID,
		    "unknown classification '%s' (known: see %s)",
		    r->classification, DIPB_BOARD_FILE);
	}
	if (r->priority == DIPB_PRIORITY_NONE)
		r->priority = DIPB_PRIORITY_MEDIUM;
	if ((err = dipb_repo_next_id(&r->id, s->repo, wg->prefix)) != NULL)
		return err;
	if ((err = check_free(s, r->id)) != NULL)
		return err;
	set(&r->created, s->today);
	set(&r->updated, s->today);
	set(&r->author, s->who.email);
	subject = xasprintf("%s: drafted by %s", r->id, s->who.name);
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

const struct dipb_error *
cmd_recommend(int argc, char **argv, struct dipb_ctx *ctx)
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
	struct dipb_session s;
	struct dipb_record rec;
	struct dipb_buf buf = DIPB_BUF_INIT;
	const struct dipb_error *err = NULL;
	const char *wg = NULL, *title = NULL, *summary = NULL, *from = NULL;
	int ch, no_edit = 0, retries = -1, begun = 0;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'w':
			wg = optarg;
			break;
		case 't':
			title = optarg;
			break;
		case 's':
			summary = optarg;
			break;
		case 'f':
			from = optarg;
			break;
		case 'n':
			no_edit = 1;
			break;
		case 'r':
			if ((err = dipb_parse_retry(&retries, optarg)) != NULL)
				return err;
			break;
		default:
			return usage_recommend("unknown option or missing "
			    "argument");
		}
	}
	if (optind != argc)
		return usage_recommend("no arguments expected");

	if ((wg != NULL && !dipb_utf8_valid(wg, strlen(wg))) ||
	    (title != NULL && !dipb_utf8_valid(title, strlen(title))) ||
	    (summary != NULL && !dipb_utf8_valid(summary, strlen(summary))))
		return usage_recommend("--wg, --title and --summary must be "
		    "UTF-8 text");
	if ((err = dipb_ctx_open(ctx)) != NULL)
		return err;
	dipb_record_init(&rec);
	if (from != NULL) {
		if ((err = dipb_read_file(&buf, from, DIPB_MAX_FILE)) != NULL)
			goto done;
		if ((err = load_input(&rec, from, buf.ptr, buf.len)) != NULL)
			goto done;
	}
	if (wg != NULL)
		set(&rec.working_group, wg);
	if (title != NULL)
		set(&rec.title, title);
	if (summary != NULL && strcmp(summary, "-") == 0) {
		if ((err = dipb_read_message(&rec.summary, NULL, "-")) != NULL)
			goto done;
	} else if (summary != NULL) {
		free(rec.summary);
		if ((err = dipb_read_message(&rec.summary, summary,
		    NULL)) != NULL)
			goto done;
	}
	if (!no_edit && ctx->interactive &&
	    (err = edit_draft(&rec)) != NULL)
		goto done;
	if (rec.working_group == NULL || rec.title == NULL ||
	    rec.summary == NULL || *rec.title == '\0' || *rec.summary == '\0') {
		err = usage_recommend("--wg, --title and --summary (or --from "
		    "FILE, or the editor) must give a working group, a title "
		    "and a summary");
		goto done;
	}
	if ((err = dipb_session_begin(&s, ctx->repo, retries)) == NULL)
		err = recommend(&s, &rec, from);
	begun = 1;
done:
	if (begun) {
		dipb_diags_print(stderr, &s.diags, DIPB_DIAG_GCC);
		dipb_session_end(&s);
	}
	dipb_buf_release(&buf);
	dipb_record_release(&rec);
	return err;
}

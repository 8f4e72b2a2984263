/*
 * change.c - the skeleton of the writing commands (change.h), and of
 * cmd.h: dipb_ctx_open(), which it and every command that reads the
 * board call once their options are parsed, dipb_ctx_editor_check(),
 * dipb_cmd_check_text(), dipb_cmd_file_read() and the -m, -F and --retry
 * of the commands that write (dipb_cmd_write_*).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "change.h"
#include "editor.h"
#include "error.h"
#include "repo.h"
#include "text.h"

const struct dipb_error *
dipb_ctx_open(struct dipb_ctx *ctx)
{
	const struct dipb_error *err;

	if (!(ctx->flags & CMD_NEEDS_REPO))
		return dipb_error_fmt(DIPB_ERR_INTERNAL, "a command without "
		    "CMD_NEEDS_REPO opens the repository");
	if (ctx->repo != NULL)
		return NULL;
	if ((err = dipb_repo_open(&ctx->repo, NULL, 1)) != NULL)
		return err;
	/* A writing command refuses before anything (repo.h). */
	return (ctx->flags & CMD_WRITES) ? dipb_repo_check_state(ctx->repo) :
	    NULL;
}

const struct dipb_error *
dipb_ctx_settle(struct dipb_ctx *ctx, const char *cmd)
{
	const struct dipb_error *err;

	if (ctx->repo == NULL &&
	    (err = dipb_repo_open_at(&ctx->repo, NULL)) != NULL) {
		/*
		 * One that cannot be opened (another user's, which git
		 * refuses; a broken HEAD) is not settled: its files are read
		 * as they are (dipb-validate(1)).
		 */
		dipb_error_free(err);
		return NULL;
	}
	if (ctx->repo == NULL || !dipb_repo_pending(ctx->repo))
		return NULL;
	return dipb_error_fmt(DIPB_ERR_IO, "an interrupted dipb change is "
	    "pending (.git/dipb-journal), its working files perhaps half "
	    "written: run a dipb command that can take the lock and write "
	    ".git, dipb list for one, which completes it, then dipb %s "
	    "again", cmd);
}

const struct dipb_error *
dipb_ctx_editor_check(struct dipb_ctx *ctx, int named_ok, const char *instead)
{
	char *core = dipb_repo_config_string(ctx->repo, "core.editor");

	dipb_editor_set_core(core, dipb_repo_workdir(ctx->repo));
	free(core);
	return dipb_editor_check(ctx->interactive, named_ok, instead);
}

/*
 * Where the character at index at (0-based, in characters) of s stands:
 * its line and its column in that line, both from 1.  s is valid UTF-8,
 * as every text a command copies into a record is (dipb_read_message).
 */
static void
text_pos(unsigned *line, size_t *col, const char *s, size_t at)
{
	size_t chars = 0;

	*line = 1;
	*col = 1;
	for (; *s != '\0'; s++) {
		if (((unsigned char)*s & 0xc0) == 0x80)
			continue;	/* not the first byte of a character */
		if (chars++ == at)
			break;
		if (*s == '\n') {
			(*line)++;
			*col = 1;
		} else
			(*col)++;
	}
}

const struct dipb_error *
dipb_cmd_check_text(const struct dipb_error *(*usage)(const char *what),
    const char *opt, const char *file, const char *text, int md)
{
	const struct dipb_error *err;
	char *what;
	size_t at, col;
	struct dipb_diags diags = DIPB_DIAGS_INIT;
	unsigned cp, line;

	if (text == NULL || !dipb_text_find_control(&at, &cp, text, md))
		return NULL;
	text_pos(&line, &col, text, at);
	if (file != NULL) {
		dipb_diags_add(&diags, file, line, (unsigned)col,
		    DIPB_SEV_ERROR, "control-character", "control character "
		    "U+%04X, which dipb refuses in a record and a change's "
		    "message", cp);
		return dipb_cmd_file_read(&diags, 1, "input", file);
	}
	if (line > 1)
		what = xasprintf("%s: control character U+%04X on line %u, at "
		    "character %zu", opt, cp, line, col);
	else
		what = xasprintf("%s: control character U+%04X at character "
		    "%zu%s", opt, cp, at + 1,
		    md ? "" : " (a single-line field)");
	err = usage(what);
	free(what);
	return err;
}

const struct dipb_error *
dipb_cmd_file_read(struct dipb_diags *diags, int bad, const char *what,
    const char *path)
{
	dipb_diags_print(stderr, diags, DIPB_DIAG_GCC);
	dipb_diags_release(diags);
	if (!bad)
		return NULL;
	return dipb_cmd_invalid(what, path);
}

const struct dipb_error *
dipb_cmd_invalid(const char *what, const char *path)
{
	const struct dipb_error *err;
	char *show;

	/* One line, as the diagnostics above it say the path: a newline in
	 * it would start a line of its own, a diagnostic forged. */
	show = dipb_text_clean_line(path);
	err = dipb_error_fmt(DIPB_ERR_INVALID, "invalid %s: '%s'", what, show);
	free(show);
	return err;
}

const struct dipb_error *
dipb_cmd_board_now(struct dipb_session *view, struct dipb_repo *repo)
{
	const struct dipb_error *err;

	/* The tip as it is now, not as the command found it. */
	if ((err = dipb_repo_reread(repo)) != NULL)
		return err;
	if ((err = dipb_session_open(view, repo)) != NULL) {
		dipb_diags_print(stderr, &view->diags, DIPB_DIAG_GCC);
		dipb_session_end(view);
	}
	return err;
}

int
dipb_cmd_write_option(struct dipb_cmd_write *w, int ch, const char *arg,
    const struct dipb_error **err)
{
	*err = NULL;
	switch (ch) {
	case 'r':
		*err = dipb_parse_retry(&w->retries, arg);
		return 1;
	case 'm':
		dipb_message_add(&w->text, arg);
		return 1;
	case 'F':
		w->file = arg;
		w->files++;
		return 1;
	default:
		return 0;
	}
}

const struct dipb_error *
dipb_cmd_write_check(const struct dipb_cmd_write *w,
    const struct dipb_error *(*usage)(const char *what))
{
	/* Given once (dipb(1), DESCRIPTION), as -m's paragraphs are not:
	 * said with the command's usage, as its other options are. */
	if (w->files > 1)
		return usage("option '-F' is given more than once");
	if (w->text != NULL && w->file != NULL)
		return usage("-m and -F exclude each other");
	return NULL;
}

const struct dipb_error *
dipb_cmd_read_message(char **out, const char *opt, const char *text,
    const char *file)
{
	struct dipb_diags diags = DIPB_DIAGS_INIT;
	const struct dipb_error *err;

	err = dipb_read_message(out, opt, text, file, &diags);
	if (diags.nerrors == 0) {
		dipb_diags_release(&diags);
		return err;
	}
	dipb_error_free(err);
	return dipb_cmd_file_read(&diags, 1, "input", file);
}

const struct dipb_error *
dipb_cmd_write_message(char **out, const struct dipb_cmd_write *w,
    const struct dipb_error *(*usage)(const char *what))
{
	const struct dipb_error *err;

	if ((err = dipb_cmd_read_message(out, "-m", w->text,
	    w->file)) != NULL)
		return err;
	/* Before the lock, with the option or the file named.  A text a
	 * record keeps would be refused later by its own check
	 * (dipb_session_commit); one only the commit keeps, by nothing. */
	if ((err = dipb_cmd_check_text(usage, "-m", w->file, *out, 1)) !=
	    NULL) {
		free(*out);
		*out = NULL;
	}
	return err;
}

void
dipb_cmd_write_release(struct dipb_cmd_write *w)
{
	free(w->text);
	w->text = NULL;
}

void
dipb_change_init(struct dipb_change_cmd *cmd, enum dipb_move move,
    const struct dipb_error *(*usage)(const char *what), dipb_change_fn apply)
{
	static const struct dipb_cmd_write w = DIPB_CMD_WRITE_INIT;

	memset(cmd, 0, sizeof(*cmd));
	cmd->move = move;
	cmd->w = w;
	cmd->usage = usage;
	cmd->apply = apply;
}

int
dipb_change_option(struct dipb_change_cmd *cmd, int ch, const char *arg,
    const struct dipb_error **err)
{
	return dipb_cmd_write_option(&cmd->w, ch, arg, err);
}

int
dipb_change_options_only(struct dipb_change_cmd *cmd, int argc, char **argv,
    const struct dipb_error **err)
{
	static const struct option opts[] = {
		DIPB_CHANGE_RETRY_OPTION,
		{ NULL, 0, NULL, 0 }
	};
	int ch;

	*err = NULL;
	while ((ch = getopt_long(argc, argv, ":m:", opts, NULL)) != -1) {
		if (!dipb_change_option(cmd, ch, optarg, err))
			return ch;
		if (*err != NULL)
			return 0;
	}
	return 0;
}

void
dipb_change_release(struct dipb_change_cmd *cmd)
{
	dipb_cmd_write_release(&cmd->w);
}

const struct dipb_error *
dipb_change_main(int argc, char **argv, struct dipb_ctx *ctx,
    enum dipb_move move, const struct dipb_error *(*usage)(const char *what),
    dipb_change_fn apply, dipb_change_parse_fn parse)
{
	struct dipb_change_cmd cmd;
	const struct dipb_error *err;

	dipb_change_init(&cmd, move, usage, apply);
	err = parse(&cmd, argc, argv, ctx);
	/* On every path: the -m text is allocated (dipb_change_option). */
	dipb_change_release(&cmd);
	return err;
}

/* One record: the move's change, then its commit and tag. */
static const struct dipb_error *
move_one(struct dipb_session *s, const struct dipb_change_cmd *cmd,
    struct dipb_record *r, const char *msg)
{
	const struct dipb_error *err;
	enum dipb_status from = r->status;
	const char *body = NULL;
	char *subject = NULL, *tag = NULL;

	r->status = dipb_state_lookup(cmd->move, from)->to;
	free(r->updated);
	r->updated = xstrdup(s->today);
	err = cmd->apply(&subject, &body, s, r, msg, cmd->arg);
	if (err == NULL)
		err = dipb_session_move(&tag, s, r, cmd->move, from, subject,
		    body);
	if (tag != NULL)
		fprintf(stderr, "%s\n", tag);
	free(tag);
	free(subject);
	return err;
}

const struct dipb_error *
dipb_change_run(struct dipb_ctx *ctx, const struct dipb_change_cmd *cmd)
{
	struct dipb_session s;
	struct dipb_record *recs = NULL;
	const struct dipb_error *err = NULL;
	char *msg = NULL;
	size_t i, j;

	if (!(ctx->flags & CMD_WRITES))
		return dipb_error_fmt(DIPB_ERR_INTERNAL, "a command without "
		    "CMD_WRITES writes");
	for (i = 0; i < cmd->nids; i++)
		if ((err = dipb_check_id(cmd->ids[i])) != NULL)
			return err;
	if ((err = dipb_ctx_open(ctx)) != NULL)
		return err;
	if ((err = dipb_cmd_write_message(&msg, &cmd->w, cmd->usage)) != NULL)
		return err;
	recs = xcalloc(cmd->nids, sizeof(*recs));
	for (i = 0; i < cmd->nids; i++)
		dipb_record_init(&recs[i]);
	err = dipb_session_begin(&s, ctx->repo, cmd->w.retries);
	/* Every record is checked before the first is written. */
	for (i = 0; i < cmd->nids && err == NULL; i++) {
		for (j = 0; j < i && err == NULL; j++)
			if (strcmp(cmd->ids[i], cmd->ids[j]) == 0)
				err = cmd->usage("an id is given twice");
		if (err == NULL)
			err = dipb_session_prepare(&recs[i], &s, cmd->ids[i],
			    cmd->move);
	}
	for (i = 0; i < cmd->nids && err == NULL; i++)
		err = move_one(&s, cmd, &recs[i], msg);
	dipb_diags_print(stderr, &s.diags, DIPB_DIAG_GCC);
	dipb_session_end(&s);
	for (i = 0; i < cmd->nids; i++)
		dipb_record_release(&recs[i]);
	free(recs);
	free(msg);
	return err;
}

/*
 * change.c - the skeleton of the writing commands (change.h), and
 * dipb_ctx_open() of cmd.h, which it and every command that reads the
 * board call once their options are parsed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "change.h"
#include "error.h"

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

void
dipb_change_init(struct dipb_change_cmd *cmd, enum dipb_move move,
    const struct dipb_error *(*usage)(const char *what), dipb_change_fn apply)
{
	memset(cmd, 0, sizeof(*cmd));
	cmd->move = move;
	cmd->retries = -1;
	cmd->usage = usage;
	cmd->apply = apply;
}

int
dipb_change_option(struct dipb_change_cmd *cmd, int ch, const char *arg,
    const struct dipb_error **err)
{
	*err = NULL;
	switch (ch) {
	case 'r':
		*err = dipb_parse_retry(&cmd->retries, arg);
		return 1;
	case 'm':
		cmd->text = arg;
		return 1;
	case 'F':
		cmd->file = arg;
		return 1;
	default:
		return 0;
	}
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
	if ((err = dipb_read_message(&msg, cmd->text, cmd->file)) != NULL)
		return err;
	recs = xcalloc(cmd->nids, sizeof(*recs));
	for (i = 0; i < cmd->nids; i++)
		dipb_record_init(&recs[i]);
	err = dipb_session_begin(&s, ctx->repo, cmd->retries);
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

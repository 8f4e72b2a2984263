/*
 * cmd_withdraw.c - dipb withdraw ID -m TEXT
 *
 * The reason is kept in the record's withdrawal mapping (dipb-record(5))
 * as well as in the commit body (dipb-workflow(7)).
 */
#include <stdlib.h>
#include <string.h>

#include "change.h"
#include "error.h"
#include "subject.h"

static const struct dipb_error *
usage_withdraw(const char *what)
{
	return dipb_cmd_usage_error("withdraw", "%s", what);
}

static const struct dipb_error *
withdraw(char **subject, const char **body, struct dipb_session *s,
    struct dipb_record *r, const char *reason, void *arg)
{
	(void)arg;
	r->withdrawal = xcalloc(1, sizeof(*r->withdrawal));
	r->withdrawal->date = xstrdup(s->today);
	r->withdrawal->by = xstrdup(s->who.email);
	r->withdrawal->reason = xstrdup(reason);
	*subject = dipb_subject_make(&(struct dipb_subject){
	    .kind = DIPB_EVENT_WITHDRAWN, .id = r->id,
	    .by = dipb_session_actor(s) });
	*body = reason;
	return NULL;
}

/* The command's own part (dipb_change_main(), change.h). */
static const struct dipb_error *
withdraw_run(struct dipb_change_cmd *cmd, int argc, char **argv,
    struct dipb_ctx *ctx)
{
	const struct dipb_error *err;
	int ch;

	if ((ch = dipb_change_options_only(cmd, argc, argv, &err)) != 0)
		return dipb_cmd_bad_option("withdraw", ch, argv);
	if (err != NULL)
		return err;
	argc -= optind;
	argv += optind;
	if (argc != 1)
		return usage_withdraw("one recommendation id expected");
	/* Blanks are no reason, as action --due's (dipb-action(1)). */
	if (cmd->w.text == NULL ||
	    cmd->w.text[strspn(cmd->w.text, " \t\r\n")] == '\0')
		return usage_withdraw("-m TEXT, the reason, is required");
	cmd->ids = argv;
	cmd->nids = 1;
	return dipb_change_run(ctx, cmd);
}

const struct dipb_error *
cmd_withdraw(int argc, char **argv, struct dipb_ctx *ctx)
{
	return dipb_change_main(argc, argv, ctx, DIPB_MOVE_WITHDRAW,
	    usage_withdraw, withdraw, withdraw_run);
}

/*
 * cmd_withdraw.c - dipb withdraw ID -m TEXT
 *
 * The reason is kept in the record's withdrawal mapping (dipb-record(5))
 * as well as in the commit body (dipb-workflow(7)).
 */
#include <getopt.h>
#include <stdlib.h>

#include "cmd.h"
#include "error.h"
#include "session.h"

static const struct dipb_error *
usage_withdraw(const char *what)
{
	return dipb_cmd_usage_error("withdraw", "%s", what);
}

static const struct dipb_error *
withdraw(struct dipb_session *s, const char *id, const char *reason)
{
	struct dipb_record rec;
	const struct dipb_error *err;
	enum dipb_status from;
	char *subject = NULL;

	dipb_record_init(&rec);
	err = dipb_session_prepare(&rec, s, id, DIPB_MOVE_WITHDRAW);
	if (err != NULL)
		goto done;
	from = rec.status;
	rec.status = DIPB_STATUS_WITHDRAWN;
	free(rec.updated);
	rec.updated = xstrdup(s->today);
	rec.withdrawal = xcalloc(1, sizeof(*rec.withdrawal));
	rec.withdrawal->date = xstrdup(s->today);
	rec.withdrawal->by = xstrdup(s->who.email);
	rec.withdrawal->reason = xstrdup(reason);
	subject = xasprintf("%s: withdrawn by %s", id, s->who.name);
	err = dipb_session_commit(s, &rec, DIPB_EVENT_WITHDRAWN,
	    from, subject, reason);
done:
	free(subject);
	dipb_record_release(&rec);
	return err;
}

const struct dipb_error *
cmd_withdraw(int argc, char **argv, struct dipb_ctx *ctx)
{
	static const struct option opts[] = {
		{ "retry", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 }
	};
	struct dipb_session s;
	const struct dipb_error *err;
	const char *reason = NULL;
	char *text = NULL;
	int ch, retries = -1;

	while ((ch = getopt_long(argc, argv, "m:", opts, NULL)) != -1) {
		switch (ch) {
		case 'm':
			reason = optarg;
			break;
		case 'r':
			if ((err = dipb_parse_retry(&retries, optarg)) != NULL)
				return err;
			break;
		default:
			return usage_withdraw("unknown option or missing argument");
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 1)
		return usage_withdraw("one recommendation id expected");
	if (reason == NULL || *reason == '\0')
		return usage_withdraw("-m TEXT, the reason, is required");
	if ((err = dipb_check_id(argv[0])) != NULL)
		return err;
	if ((err = dipb_ctx_open(ctx)) != NULL)
		return err;
	if ((err = dipb_read_message(&text, reason, NULL)) != NULL)
		return err;
	err = dipb_session_begin(&s, ctx->repo, retries);
	if (err == NULL)
		err = withdraw(&s, argv[0], text);
	dipb_session_end(&s);
	free(text);
	return err;
}

/*
 * cmd_decide.c - dipb decide ID --outcome agreed|noted|deferred|declined
 * [-m TEXT]
 */
#include <getopt.h>
#include <stdlib.h>

#include "cmd.h"
#include "error.h"
#include "session.h"

static const struct dipb_error *
usage_decide(const char *what)
{
	return dipb_cmd_usage_error("decide", "%s", what);
}

static const struct dipb_error *
decide(struct dipb_session *s, const char *id, enum dipb_outcome outcome,
    const char *note)
{
	struct dipb_record rec;
	const struct dipb_error *err;
	char *subject = NULL;

	dipb_record_init(&rec);
	err = dipb_session_prepare(&rec, s, id, DIPB_MOVE_DECIDE);
	if (err != NULL)
		goto done;
	rec.status = DIPB_STATUS_DECIDED;
	free(rec.updated);
	rec.updated = xstrdup(s->today);
	rec.decision = xcalloc(1, sizeof(*rec.decision));
	rec.decision->date = xstrdup(s->today);
	rec.decision->outcome = outcome;
	rec.decision->note = note != NULL ? xstrdup(note) : NULL;
	subject = xasprintf("%s: decided: %s", id, dipb_outcome_name(outcome));
	err = dipb_session_commit(s, &rec, DIPB_EVENT_DECIDED, DIPB_STATUS_SUBMITTED,
	    subject, note);
done:
	free(subject);
	dipb_record_release(&rec);
	return err;
}

const struct dipb_error *
cmd_decide(int argc, char **argv, struct dipb_ctx *ctx)
{
	static const struct option opts[] = {
		{ "outcome", required_argument, NULL, 'o' },
		{ "retry", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 }
	};
	struct dipb_session s;
	const struct dipb_error *err;
	const char *outcome = NULL, *note = NULL;
	char *text = NULL;
	enum dipb_outcome o;
	int ch, retries = -1;

	while ((ch = getopt_long(argc, argv, "m:", opts, NULL)) != -1) {
		switch (ch) {
		case 'o':
			outcome = optarg;
			break;
		case 'm':
			note = optarg;
			break;
		case 'r':
			if ((err = dipb_parse_retry(&retries, optarg)) != NULL)
				return err;
			break;
		default:
			return usage_decide("unknown option or missing argument");
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 1)
		return usage_decide("one recommendation id expected");
	if (outcome == NULL)
		return usage_decide("--outcome is required");
	if (dipb_outcome_parse(outcome, &o) != 0)
		return usage_decide("--outcome takes agreed, noted, deferred "
		    "or declined");
	if ((err = dipb_check_id(argv[0])) != NULL)
		return err;
	if ((err = dipb_ctx_open(ctx)) != NULL)
		return err;
	if ((err = dipb_read_message(&text, note, NULL)) != NULL)
		return err;
	err = dipb_session_begin(&s, ctx->repo, retries);
	if (err == NULL)
		err = decide(&s, argv[0], o, text);
	dipb_session_end(&s);
	free(text);
	return err;
}

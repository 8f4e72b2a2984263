/*
 * cmd_action.c - dipb action ID N (--done|--dropped|--open) [-m TEXT]
 */
#include <getopt.h>
#include <stdlib.h>

#include "cmd.h"
#include "error.h"
#include "session.h"

static const struct dipb_error *
usage_action(const char *what)
{
	return dipb_cmd_usage_error("action", "%s", what);
}

static const struct dipb_error *
action(struct dipb_session *s, const char *id, unsigned long n,
    enum dipb_action_state state, const char *note)
{
	struct dipb_record rec;
	const struct dipb_error *err;
	char *subject = NULL;

	dipb_record_init(&rec);
	err = dipb_session_prepare(&rec, s, id, DIPB_MOVE_ACTION);
	if (err != NULL)
		goto done;
	if (n < 1 || n > rec.nactions) {
		err = dipb_error_fmt(DIPB_ERR_NOT_FOUND,
		    "%s has %zu action%s: no action %lu", id, rec.nactions,
		    rec.nactions == 1 ? "" : "s", n);
		goto done;
	}
	if (rec.actions[n - 1].state == state) {
		err = dipb_error_fmt(DIPB_ERR_TRANSITION,
		    "%s: action %lu is already %s", id, n,
		    dipb_action_state_name(state));
		goto done;
	}
	rec.actions[n - 1].state = state;
	free(rec.updated);
	rec.updated = xstrdup(s->today);
	subject = xasprintf("%s: action %lu %s", id, n,
	    dipb_action_state_name(state));
	err = dipb_session_commit(s, &rec, DIPB_EVENT_ACTION_UPDATED,
	    DIPB_STATUS_DECIDED, subject, note);
done:
	free(subject);
	dipb_record_release(&rec);
	return err;
}

const struct dipb_error *
cmd_action(int argc, char **argv, struct dipb_ctx *ctx)
{
	static const struct option opts[] = {
		{ "done", no_argument, NULL, 'd' },
		{ "dropped", no_argument, NULL, 'x' },
		{ "open", no_argument, NULL, 'o' },
		{ "retry", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 }
	};
	struct dipb_session s;
	const struct dipb_error *err;
	enum dipb_action_state state = DIPB_ACTION_OPEN;
	const char *note = NULL;
	char *end;
	unsigned long n;
	int ch, nstates = 0, retries = -1;

	while ((ch = getopt_long(argc, argv, "m:", opts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			state = DIPB_ACTION_DONE;
			nstates++;
			break;
		case 'x':
			state = DIPB_ACTION_DROPPED;
			nstates++;
			break;
		case 'o':
			state = DIPB_ACTION_OPEN;
			nstates++;
			break;
		case 'm':
			note = optarg;
			break;
		case 'r':
			if ((err = dipb_parse_retry(&retries, optarg)) != NULL)
				return err;
			break;
		default:
			return usage_action("unknown option or missing argument");
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 2)
		return usage_action("a recommendation id and an action number "
		    "expected");
	if (nstates != 1)
		return usage_action("exactly one of --done, --dropped, --open "
		    "expected");
	if ((err = dipb_check_id(argv[0])) != NULL)
		return err;
	n = strtoul(argv[1], &end, 10);
	if (argv[1][0] < '1' || argv[1][0] > '9' || *end != '\0')
		return usage_action("the action number counts from 1");
	if ((err = dipb_ctx_open(ctx)) != NULL)
		return err;
	err = dipb_session_begin(&s, ctx->repo, retries);
	if (err == NULL)
		err = action(&s, argv[0], n, state, note);
	dipb_session_end(&s);
	return err;
}

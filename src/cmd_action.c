/*
 * cmd_action.c - dipb action ID N (--done|--dropped|--open) [-m TEXT]
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "change.h"
#include "error.h"

static const struct dipb_error *
usage_action(const char *what)
{
	return dipb_cmd_usage_error("action", "%s", what);
}

struct action_arg {
	unsigned long		 n;	/* counts from 1 */
	enum dipb_action_state	 state;
	const char		*note;	/* -m TEXT as given, or NULL */
};

static const struct dipb_error *
action(char **subject, const char **body, struct dipb_session *s,
    struct dipb_record *r, const char *msg, void *arg)
{
	const struct action_arg *a = arg;

	(void)s;
	(void)msg;
	if (a->n < 1 || a->n > r->nactions)
		return dipb_error_fmt(DIPB_ERR_NOT_FOUND,
		    "%s has %zu action%s: no action %lu", r->id, r->nactions,
		    r->nactions == 1 ? "" : "s", a->n);
	if (r->actions[a->n - 1].state == a->state)
		return dipb_error_fmt(DIPB_ERR_TRANSITION,
		    "%s: action %lu is already %s", r->id, a->n,
		    dipb_action_state_name(a->state));
	r->actions[a->n - 1].state = a->state;
	*subject = xasprintf("%s: action %lu %s", r->id, a->n,
	    dipb_action_state_name(a->state));
	*body = a->note;
	return NULL;
}

const struct dipb_error *
cmd_action(int argc, char **argv, struct dipb_ctx *ctx)
{
	static const struct option opts[] = {
		{ "done", no_argument, NULL, 'd' },
		{ "dropped", no_argument, NULL, 'x' },
		{ "open", no_argument, NULL, 'o' },
		DIPB_CHANGE_RETRY_OPTION,
		{ NULL, 0, NULL, 0 }
	};
	struct dipb_change_cmd cmd;
	struct action_arg a;
	const struct dipb_error *err;
	char *end;
	int ch, nstates = 0;

	dipb_change_init(&cmd, DIPB_MOVE_ACTION, usage_action, action);
	a.state = DIPB_ACTION_OPEN;
	a.note = NULL;
	while ((ch = getopt_long(argc, argv, "m:", opts, NULL)) != -1) {
		/* The note goes to the commit body as given, not read as a
		 * message: only the commit keeps it. */
		if (ch == 'm')
			a.note = optarg;
		else if (dipb_change_option(&cmd, ch, optarg, &err)) {
			if (err != NULL)
				return err;
		} else if (ch == 'd' || ch == 'x' || ch == 'o') {
			a.state = ch == 'd' ? DIPB_ACTION_DONE : ch == 'x' ?
			    DIPB_ACTION_DROPPED : DIPB_ACTION_OPEN;
			nstates++;
		} else
			return usage_action("unknown option or missing argument");
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
	a.n = strtoul(argv[1], &end, 10);
	if (argv[1][0] < '1' || argv[1][0] > '9' || *end != '\0')
		return usage_action("the action number counts from 1");
	cmd.ids = argv;
	cmd.nids = 1;
	cmd.arg = &a;
	return dipb_change_run(ctx, &cmd);
}

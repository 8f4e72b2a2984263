/*
 * cmd_action.c - dipb action ID N ((--done|--dropped|--open) [-m TEXT] |
 * --due DATE --reason TEXT): an action's state, or its due date moved
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "change.h"
#include "date.h"
#include "error.h"
#include "state.h"
#include "subject.h"

static const struct dipb_error *
usage_action(const char *what)
{
	return dipb_cmd_usage_error("action", "%s", what);
}

struct action_arg {
	unsigned long		 n;	/* counts from 1; ULONG_MAX: past it */
	const char		*ntext;	/* N as given */
	enum dipb_action_state	 state;
	const char		*note;	/* -m TEXT as given, or NULL */
	const char		*due;	/* --due DATE, or NULL */
	const char		*reason; /* --reason TEXT, or NULL */
};

/* Action a->n of r, or the error that it has none. */
static const struct dipb_error *
find_action(struct dipb_action **out, struct dipb_record *r,
    const struct action_arg *a)
{
	if (a->n < 1 || a->n > r->nactions)
		return dipb_error_fmt(DIPB_ERR_NOT_FOUND,
		    "%s has %zu action%s: no action %s", r->id, r->nactions,
		    r->nactions == 1 ? "" : "s", a->ntext);
	*out = &r->actions[a->n - 1];
	return NULL;
}

static const struct dipb_error *
action(char **subject, const char **body, struct dipb_session *s,
    struct dipb_record *r, const char *msg, void *arg)
{
	const struct action_arg *a = arg;
	const struct dipb_error *err;
	struct dipb_action *act = NULL;

	(void)s;
	(void)msg;
	if ((err = find_action(&act, r, a)) != NULL)
		return err;
	if (act->state == a->state)
		return dipb_error_fmt(DIPB_ERR_TRANSITION,
		    "%s: action %lu is already %s", r->id, a->n,
		    dipb_action_state_name(a->state));
	act->state = a->state;
	*subject = dipb_subject_make(&(struct dipb_subject){
	    .kind = DIPB_EVENT_ACTION_UPDATED, .id = r->id, .action = a->n,
	    .state = a->state });
	*body = a->note;
	return NULL;
}

/*
 * --due: the due date in force moves to a->due, and the action keeps the
 * move in its rescheduled list (dipb-record(5)); the due date the board
 * decided stays as it was.  Only an open action moves, and never into
 * the past; that its decision is in force (agreed or noted) is the
 * workflow's condition, checked before (state.c).
 */
static const struct dipb_error *
reschedule(char **subject, const char **body, struct dipb_session *s,
    struct dipb_record *r, const char *msg, void *arg)
{
	const struct action_arg *a = arg;
	const struct dipb_error *err;
	struct dipb_action *act = NULL;
	struct dipb_reschedule *x;
	const char *was;

	(void)msg;
	if ((err = find_action(&act, r, a)) != NULL)
		return err;
	/* The secretary records the move the board agreed to, never one
	 * of their own deadline: the workflow's rule (state.c), which
	 * dipb verify applies too. */
	if ((err = dipb_state_permit_action(&s->board, s->who.email,
	    DIPB_MOVE_RESCHEDULE, r, a->n)) != NULL)
		return err;
	if (act->state != DIPB_ACTION_OPEN)
		return dipb_error_fmt(DIPB_ERR_TRANSITION,
		    "%s: action %lu is %s: only an open action's due date "
		    "moves", r->id, a->n, dipb_action_state_name(act->state));
	if (strcmp(a->due, s->today) < 0)
		return dipb_error_fmt(DIPB_ERR_USAGE,
		    "--due %s is in the past (today is %s)", a->due, s->today);
	was = dipb_action_due(act);
	if (was != NULL && strcmp(was, a->due) == 0)
		return dipb_error_fmt(DIPB_ERR_TRANSITION,
		    "%s: action %lu is already due on %s", r->id, a->n, was);
	act->rescheduled = xrealloc(act->rescheduled,
	    (act->nrescheduled + 1) * sizeof(act->rescheduled[0]));
	x = &act->rescheduled[act->nrescheduled++];
	memset(x, 0, sizeof(*x));
	x->from = was != NULL ? xstrdup(was) : NULL;
	x->to = xstrdup(a->due);
	x->date = xstrdup(s->today);
	x->by = xstrdup(s->who.email);
	x->reason = xstrdup(a->reason);
	*subject = dipb_subject_make(&(struct dipb_subject){
	    .kind = DIPB_EVENT_ACTION_RESCHEDULED, .id = r->id,
	    .action = a->n, .due = x->to, .was = x->from });
	*body = x->reason;
	return NULL;
}

/* The command's own part (dipb_change_main(), change.h). */
static const struct dipb_error *
action_run(struct dipb_change_cmd *cmd, int argc, char **argv,
    struct dipb_ctx *ctx)
{
	static const struct option opts[] = {
		{ "done", no_argument, NULL, 'd' },
		{ "dropped", no_argument, NULL, 'x' },
		{ "open", no_argument, NULL, 'o' },
		{ "due", required_argument, NULL, 'D' },
		{ "reason", required_argument, NULL, 'R' },
		DIPB_CHANGE_RETRY_OPTION,
		{ NULL, 0, NULL, 0 }
	};
	struct action_arg a;
	const struct dipb_error *err;
	char *end, *reason = NULL;
	int ch, nstates = 0;

	memset(&a, 0, sizeof(a));
	a.state = DIPB_ACTION_OPEN;
	while ((ch = getopt_long(argc, argv, ":m:", opts, NULL)) != -1) {
		if (dipb_change_option(cmd, ch, optarg, &err)) {
			if (err != NULL)
				return err;
		} else if (ch == 'd' || ch == 'x' || ch == 'o') {
			a.state = ch == 'd' ? DIPB_ACTION_DONE : ch == 'x' ?
			    DIPB_ACTION_DROPPED : DIPB_ACTION_OPEN;
			nstates++;
		} else if (ch == 'D') {
			a.due = optarg;
			nstates++;
		} else if (ch == 'R') {
			if ((err = dipb_cmd_once(&a.reason, optarg, "action",
			    "--reason")) != NULL)
				return err;
		} else
			return dipb_cmd_bad_option("action", ch, argv);
	}
	argc -= optind;
	argv += optind;
	/* The note goes to the commit body as given (every -m a paragraph,
	 * change.h), not read as a message: only the commit keeps it. */
	a.note = cmd->w.text;
	if (argc != 2)
		return usage_action("a recommendation id and an action number "
		    "expected");
	if (nstates != 1)
		return usage_action("exactly one of --done, --dropped, --open, "
		    "--due expected");
	if (a.due == NULL && a.reason != NULL)
		return usage_action("--reason goes with --due");
	/* Only the commit keeps it, but as every -m: UTF-8 text. */
	if (a.note != NULL && !dipb_utf8_valid(a.note, strlen(a.note)))
		return usage_action("-m: not valid UTF-8 text");
	if (a.due != NULL) {
		/* The reason is the record's, not only the commit's. */
		if (a.note != NULL)
			return usage_action("--due takes --reason, not -m");
		if (!dipb_date_valid(a.due))
			return usage_action("--due: not a date (YYYY-MM-DD)");
		if (a.reason == NULL || a.reason[strspn(a.reason,
		    " \t\n")] == '\0')
			return usage_action("--due needs --reason TEXT: why the "
			    "date moves");
		cmd->move = DIPB_MOVE_RESCHEDULE;
		cmd->apply = reschedule;
	}
	if ((err = dipb_check_id(argv[0])) != NULL)
		return err;
	/* Past ULONG_MAX strtoul gives ULONG_MAX: no action either way, and
	 * the message names N as given. */
	a.n = strtoul(argv[1], &end, 10);
	a.ntext = argv[1];
	if (argv[1][0] < '1' || argv[1][0] > '9' || *end != '\0')
		return usage_action("the action number counts from 1");
	/* Markdown, ending in a newline as the record keeps it, its CRLF
	 * line ends made LF as every -m's; then a Markdown field of the
	 * record, checked as validate checks the one stored
	 * (dipb-validate(1), control-character). */
	if (a.reason != NULL && ((err = dipb_cmd_read_message(&reason,
	    "--reason", a.reason, NULL)) != NULL ||
	    (err = dipb_cmd_check_text(usage_action, "--reason", NULL,
	    reason, 1)) != NULL)) {
		free(reason);
		return err;
	}
	a.reason = reason;
	cmd->ids = argv;
	cmd->nids = 1;
	cmd->arg = &a;
	err = dipb_change_run(ctx, cmd);
	free(reason);
	return err;
}

const struct dipb_error *
cmd_action(int argc, char **argv, struct dipb_ctx *ctx)
{
	return dipb_change_main(argc, argv, ctx, DIPB_MOVE_ACTION,
	    usage_action, action, action_run);
}

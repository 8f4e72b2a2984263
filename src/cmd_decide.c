/*
 * cmd_decide.c - dipb decide ID --outcome agreed|noted|deferred|declined
 * [-m TEXT]
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "change.h"
#include "error.h"
#include "subject.h"

static const struct dipb_error *
usage_decide(const char *what)
{
	return dipb_cmd_usage_error("decide", "%s", what);
}

static const struct dipb_error *
decide(char **subject, const char **body, struct dipb_session *s,
    struct dipb_record *r, const char *note, void *arg)
{
	const enum dipb_outcome *outcome = arg;

	/* A deferred decision taken again replaces it (dipb-decide(1)). */
	if (r->decision != NULL) {
		free(r->decision->date);
		free(r->decision->note);
		free(r->decision);
	}
	r->decision = xcalloc(1, sizeof(*r->decision));
	r->decision->date = xstrdup(s->today);
	r->decision->outcome = *outcome;
	r->decision->note = note != NULL ? xstrdup(note) : NULL;
	*subject = dipb_subject_make(&(struct dipb_subject){
	    .kind = DIPB_EVENT_DECIDED, .id = r->id, .outcome = *outcome });
	*body = note;
	return NULL;
}

/* The command's own part (dipb_change_main(), change.h). */
static const struct dipb_error *
decide_run(struct dipb_change_cmd *cmd, int argc, char **argv,
    struct dipb_ctx *ctx)
{
	static const struct option opts[] = {
		{ "outcome", required_argument, NULL, 'o' },
		DIPB_CHANGE_RETRY_OPTION,
		{ NULL, 0, NULL, 0 }
	};
	const struct dipb_error *err;
	const char *outcome = NULL;
	enum dipb_outcome o;
	int ch;

	while ((ch = getopt_long(argc, argv, ":m:", opts, NULL)) != -1) {
		if (dipb_change_option(cmd, ch, optarg, &err)) {
			if (err != NULL)
				return err;
		} else if (ch == 'o') {
			if ((err = dipb_cmd_once(&outcome, optarg, "decide",
			    "--outcome")) != NULL)
				return err;
		} else
			return dipb_cmd_bad_option("decide", ch, argv);
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
	cmd->ids = argv;
	cmd->nids = 1;
	cmd->arg = &o;
	return dipb_change_run(ctx, cmd);
}

const struct dipb_error *
cmd_decide(int argc, char **argv, struct dipb_ctx *ctx)
{
	return dipb_change_main(argc, argv, ctx, DIPB_MOVE_DECIDE,
	    usage_decide, decide, decide_run);
}

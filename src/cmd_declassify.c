/*
 * cmd_declassify.c - dipb declassify ID LEVEL [-m TEXT]
 *
 * Lowering a record's classification is its own event, declassified, by
 * the role dipb.yaml names in declassify: (dipb-board(5)); the drafter's
 * edit may only raise it (dipb-workflow(7)).  The reviews keep the level
 * they were written at, so a capped report still leaves them out
 * (dipb-report(1)).
 */
#include <stdlib.h>
#include <string.h>

#include "change.h"
#include "error.h"
#include "subject.h"

static const struct dipb_error *
usage_declassify(const char *what)
{
	return dipb_cmd_usage_error("declassify", "%s", what);
}

static const struct dipb_error *
declassify(char **subject, const char **body, struct dipb_session *s,
    struct dipb_record *r, const char *msg, void *arg)
{
	const char *level = arg;
	int now, to;

	to = dipb_board_classification_rank(&s->board, level);
	now = dipb_board_classification_rank(&s->board, r->classification);
	if (to < 0)
		return dipb_error_fmt(DIPB_ERR_USAGE, "unknown classification "
		    "'%s' (%s lists the board's levels)", level,
		    DIPB_BOARD_FILE);
	if (now >= 0 && to >= now)
		return dipb_error_fmt(DIPB_ERR_TRANSITION, "%s is %s: "
		    "declassify only lowers it, and '%s' is not lower (the "
		    "drafter raises it with 'dipb edit %s')", r->id,
		    r->classification, level, r->id);
	/* The subject names both levels: dipb report minutes reads them. */
	*subject = dipb_subject_make(&(struct dipb_subject){
	    .kind = DIPB_EVENT_DECLASSIFIED, .id = r->id,
	    .from = r->classification, .level = level,
	    .by = dipb_session_actor(s) });
	free(r->classification);
	r->classification = xstrdup(level);
	*body = msg;
	return NULL;
}

/* The command's own part (dipb_change_main(), change.h). */
static const struct dipb_error *
declassify_run(struct dipb_change_cmd *cmd, int argc, char **argv,
    struct dipb_ctx *ctx)
{
	const struct dipb_error *err;
	int ch;

	if ((ch = dipb_change_options_only(cmd, argc, argv, &err)) != 0)
		return dipb_cmd_bad_option("declassify", ch, argv);
	if (err != NULL)
		return err;
	argc -= optind;
	argv += optind;
	if (argc != 2)
		return usage_declassify("a recommendation id and a "
		    "classification expected");
	if (*argv[1] == '\0')
		return usage_declassify("the classification is empty");
	cmd->ids = argv;
	cmd->nids = 1;
	cmd->arg = argv[1];
	return dipb_change_run(ctx, cmd);
}

const struct dipb_error *
cmd_declassify(int argc, char **argv, struct dipb_ctx *ctx)
{
	return dipb_change_main(argc, argv, ctx, DIPB_MOVE_DECLASSIFY,
	    usage_declassify, declassify, declassify_run);
}

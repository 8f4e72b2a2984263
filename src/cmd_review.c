/*
 * cmd_review.c - dipb review ID (--request|--endorse|--request-changes|
 * --object) [-m TEXT|-F FILE]
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "change.h"
#include "error.h"

static const struct dipb_error *
usage_review(const char *what)
{
	return dipb_cmd_usage_error("review", "%s", what);
}

/* Adds rv to r, replacing the same reviewer's earlier review. */
static void
put_review(struct dipb_record *r, struct dipb_review *rv)
{
	size_t i;

	for (i = 0; i < r->nreviews; i++) {
		if (strcasecmp(r->reviews[i].reviewer, rv->reviewer) != 0)
			continue;
		free(r->reviews[i].reviewer);
		free(r->reviews[i].date);
		free(r->reviews[i].fingerprint);
		free(r->reviews[i].comment);
		free(r->reviews[i].classification);
		/* keep the order of first reviews: move it to the end */
		memmove(&r->reviews[i], &r->reviews[i + 1],
		    (r->nreviews - i - 1) * sizeof(r->reviews[0]));
		r->nreviews--;
		break;
	}
	r->reviews = xrealloc(r->reviews, (r->nreviews + 1) *
	    sizeof(r->reviews[0]));
	r->reviews[r->nreviews++] = *rv;
}

static const struct dipb_error *
review(char **subject, const char **body, struct dipb_session *s,
    struct dipb_record *r, const char *comment, void *arg)
{
	const enum dipb_move *move = arg;
	struct dipb_review rv;
	enum dipb_verdict verdict;
	char fp[DIPB_FINGERPRINT_LEN + 1];

	if (dipb_move_verdict(&verdict, *move)) {
		memset(&rv, 0, sizeof(rv));
		dipb_record_fingerprint(r, fp);
		rv.reviewer = xstrdup(s->who.email);
		rv.date = xstrdup(s->today);
		rv.verdict = verdict;
		rv.fingerprint = xstrdup(fp);
		rv.comment = comment != NULL ? xstrdup(comment) : NULL;
		/* The level it is written at (dipb-record(5), reviews). */
		rv.classification = r->classification != NULL ?
		    xstrdup(r->classification) : NULL;
		put_review(r, &rv);
	}
	switch (*move) {
	case DIPB_MOVE_REQUEST:
		*subject = xasprintf("%s: review requested by %s", r->id,
		    s->who.name);
		break;
	case DIPB_MOVE_ENDORSE:
		/* The count the table's quorum (dipb_state_next) sees. */
		*subject = xasprintf("%s: endorsed by %s (%u/%u)", r->id,
		    s->who.name, dipb_state_endorsements(&s->board, r),
		    s->board.quorum);
		break;
	case DIPB_MOVE_OBJECT:
		*subject = xasprintf("%s: objection by %s", r->id,
		    s->who.name);
		break;
	case DIPB_MOVE_REQUEST_CHANGES:
		*subject = xasprintf("%s: changes requested by %s", r->id,
		    s->who.name);
		break;
	default:
		return dipb_error(DIPB_ERR_INTERNAL);
	}
	*body = comment;
	return NULL;
}

const struct dipb_error *
cmd_review(int argc, char **argv, struct dipb_ctx *ctx)
{
	static const struct option opts[] = {
		{ "request", no_argument, NULL, 'q' },
		{ "endorse", no_argument, NULL, 'e' },
		{ "request-changes", no_argument, NULL, 'c' },
		{ "object", no_argument, NULL, 'o' },
		DIPB_CHANGE_RETRY_OPTION,
		{ NULL, 0, NULL, 0 }
	};
	struct dipb_change_cmd cmd;
	const struct dipb_error *err;
	int ch, nmoves = 0;

	dipb_change_init(&cmd, DIPB_MOVE_REQUEST, usage_review, review);
	while ((ch = getopt_long(argc, argv, "m:F:", opts, NULL)) != -1) {
		if (dipb_change_option(&cmd, ch, optarg, &err)) {
			if (err != NULL)
				return err;
			continue;
		}
		switch (ch) {
		case 'q':
			cmd.move = DIPB_MOVE_REQUEST;
			break;
		case 'e':
			cmd.move = DIPB_MOVE_ENDORSE;
			break;
		case 'c':
			cmd.move = DIPB_MOVE_REQUEST_CHANGES;
			break;
		case 'o':
			cmd.move = DIPB_MOVE_OBJECT;
			break;
		default:
			return usage_review("unknown option or missing argument");
		}
		nmoves++;
	}
	argc -= optind;
	argv += optind;
	if (argc != 1)
		return usage_review("one recommendation id expected");
	if (nmoves != 1)
		return usage_review("exactly one of --request, --endorse, "
		    "--request-changes, --object expected");
	if (cmd.text != NULL && cmd.file != NULL)
		return usage_review("-m and -F exclude each other");
	cmd.ids = argv;
	cmd.nids = 1;
	cmd.arg = &cmd.move;
	return dipb_change_run(ctx, &cmd);
}

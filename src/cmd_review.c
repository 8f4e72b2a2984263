/*
 * cmd_review.c - dipb review ID (--request|--endorse|--request-changes|
 * --object) [-m TEXT|-F FILE]
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmd.h"
#include "error.h"
#include "session.h"

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
review(struct dipb_session *s, const char *id, enum dipb_move move,
    char *comment)
{
	struct dipb_record rec;
	struct dipb_review rv;
	const struct dipb_transition *t;
	const struct dipb_error *err;
	enum dipb_status from;
	enum dipb_verdict verdict;
	char fp[DIPB_FINGERPRINT_LEN + 1];
	char *subject = NULL;
	unsigned n;

	dipb_record_init(&rec);
	if ((err = dipb_session_prepare(&rec, s, id, move)) != NULL)
		goto done;
	from = rec.status;
	rec.status = dipb_state_lookup(move, from)->to;
	free(rec.updated);
	rec.updated = xstrdup(s->today);

	if (dipb_move_verdict(&verdict, move)) {
		memset(&rv, 0, sizeof(rv));
		dipb_record_fingerprint(&rec, fp);
		rv.reviewer = xstrdup(s->who.email);
		rv.date = xstrdup(s->today);
		rv.verdict = verdict;
		rv.fingerprint = xstrdup(fp);
		rv.comment = comment;
		comment = NULL;
		put_review(&rec, &rv);
	}
	/* With the review in: the table says whether it reaches quorum. */
	t = dipb_state_next(&n, &s->board, move, from, &rec);
	rec.status = t->to;
	switch (move) {
	case DIPB_MOVE_REQUEST:
		subject = xasprintf("%s: review requested by %s", id,
		    s->who.name);
		break;
	case DIPB_MOVE_ENDORSE:
		subject = xasprintf("%s: endorsed by %s (%u/%u)", id,
		    s->who.name, n, s->board.quorum);
		break;
	case DIPB_MOVE_OBJECT:
		subject = xasprintf("%s: objection by %s", id, s->who.name);
		break;
	case DIPB_MOVE_REQUEST_CHANGES:
		subject = xasprintf("%s: changes requested by %s", id,
		    s->who.name);
		break;
	default:
		err = dipb_error(DIPB_ERR_INTERNAL);
		goto done;
	}
	err = dipb_session_commit(s, &rec, t->event, from, subject,
	    rec.nreviews > 0 && move != DIPB_MOVE_REQUEST ?
	    rec.reviews[rec.nreviews - 1].comment : comment);
done:
	free(subject);
	free(comment);
	dipb_record_release(&rec);
	return err;
}

const struct dipb_error *
cmd_review(int argc, char **argv, struct dipb_ctx *ctx)
{
	static const struct option opts[] = {
		{ "request", no_argument, NULL, 'q' },
		{ "endorse", no_argument, NULL, 'e' },
		{ "request-changes", no_argument, NULL, 'c' },
		{ "object", no_argument, NULL, 'o' },
		{ "retry", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 }
	};
	struct dipb_session s;
	const struct dipb_error *err;
	const char *text = NULL, *file = NULL;
	char *comment = NULL;
	int ch, nmoves = 0, retries = -1;
	enum dipb_move move = DIPB_MOVE_REQUEST;

	while ((ch = getopt_long(argc, argv, "m:F:", opts, NULL)) != -1) {
		switch (ch) {
		case 'q':
			move = DIPB_MOVE_REQUEST;
			nmoves++;
			break;
		case 'e':
			move = DIPB_MOVE_ENDORSE;
			nmoves++;
			break;
		case 'c':
			move = DIPB_MOVE_REQUEST_CHANGES;
			nmoves++;
			break;
		case 'o':
			move = DIPB_MOVE_OBJECT;
			nmoves++;
			break;
		case 'm':
			text = optarg;
			break;
		case 'F':
			file = optarg;
			break;
		case 'r':
			if ((err = dipb_parse_retry(&retries, optarg)) != NULL)
				return err;
			break;
		default:
			return usage_review("unknown option or missing argument");
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 1)
		return usage_review("one recommendation id expected");
	if (nmoves != 1)
		return usage_review("exactly one of --request, --endorse, "
		    "--request-changes, --object expected");
	if (text != NULL && file != NULL)
		return usage_review("-m and -F exclude each other");
	if ((err = dipb_check_id(argv[0])) != NULL)
		return err;
	if ((err = dipb_ctx_open(ctx)) != NULL)
		return err;
	if ((err = dipb_read_message(&comment, text, file)) != NULL)
		return err;
	err = dipb_session_begin(&s, ctx->repo, retries);
	if (err == NULL)
		err = review(&s, argv[0], move, comment);
	else
		free(comment);
	dipb_session_end(&s);
	return err;
}

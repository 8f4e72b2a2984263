/*
 * cmd_review.c - dipb review ID (--request|--recall|--endorse|
 * --request-changes|--object) [--expect FINGERPRINT] [-m TEXT|-F FILE]
 *	       dipb review ID --reply-to REVIEWER (-m TEXT|-F FILE)
 */
#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "change.h"
#include "error.h"
#include "subject.h"

static const struct dipb_error *
usage_review(const char *what)
{
	return dipb_cmd_usage_error("review", "%s", what);
}

/* What review() is given: the move, --reply-to's reviewer, --expect's
 * fingerprint (has_expect: given). */
struct review_arg {
	enum dipb_move	 move;
	const char	*reply_to;	/* --reply-to's reviewer */
	char		 expect[DIPB_FINGERPRINT_LEN + 1];
	int		 has_expect;
};

/* --expect's argument: the DIPB_FINGERPRINT_LEN hex digits dipb show
 * prints, lowered into out. */
static const struct dipb_error *
parse_expect(char out[DIPB_FINGERPRINT_LEN + 1], const char *arg)
{
	size_t i;

	for (i = 0; arg[i] != '\0' && i <= DIPB_FINGERPRINT_LEN; i++)
		if (!isxdigit((unsigned char)arg[i]))
			break;
	if (i != DIPB_FINGERPRINT_LEN || arg[i] != '\0')
		return usage_review("--expect takes the fingerprint dipb show "
		    "prints (8 hexadecimal digits)");
	for (i = 0; i < DIPB_FINGERPRINT_LEN; i++)
		out[i] = (char)tolower((unsigned char)arg[i]);
	out[i] = '\0';
	return NULL;
}

/*
 * The drafter's answer to the review of a->reply_to, added to the record's
 * thread (dipb-review(1), --reply-to; dipb-record(5), replies).  The
 * reviewer is named by email, or by name as dipb.yaml has it.
 */
static const struct dipb_error *
reply(char **subject, struct dipb_session *s, struct dipb_record *r,
    const char *text, const char *to)
{
	const struct dipb_member *m;
	const struct dipb_review *rv = NULL;
	struct dipb_buf who = DIPB_BUF_INIT;
	const struct dipb_error *err, *amb;
	struct dipb_reply *rp;
	const char *email = to;
	size_t i;

	/* A name two members share names neither (dipb-review(1)). */
	if ((amb = dipb_board_member_named(&s->board, to, &m)) != NULL) {
		err = usage_review(amb->msg);
		dipb_error_free(amb);
		return err;
	}
	if (m != NULL)
		email = m->email;
	for (i = r->nreviews; i-- > 0;)
		if (r->reviews[i].reviewer != NULL &&
		    strcasecmp(r->reviews[i].reviewer, email) == 0) {
			rv = &r->reviews[i];
			break;
		}
	if (rv == NULL) {
		for (i = 0; i < r->nreviews; i++)
			dipb_buf_printf(&who, "%s%s", i > 0 ? ", " : "",
			    r->reviews[i].reviewer);
		if (who.len == 0)
			dipb_buf_puts(&who, "none yet");
		err = dipb_error_fmt(DIPB_ERR_NOT_FOUND, "%s has no review "
		    "by '%s' to reply to (its reviewers: %s)", r->id, to,
		    dipb_buf_cstr(&who));
		dipb_buf_release(&who);
		return err;
	}
	if (text == NULL || text[strspn(text, " \t\r\n")] == '\0')
		return usage_review("--reply-to needs the reply: -m TEXT or "
		    "-F FILE");
	r->replies = xrealloc(r->replies, (r->nreplies + 1) *
	    sizeof(r->replies[0]));
	rp = &r->replies[r->nreplies++];
	memset(rp, 0, sizeof(*rp));
	rp->by = xstrdup(s->who.email);
	rp->date = xstrdup(s->today);
	rp->to = xstrdup(rv->reviewer);
	rp->text = xstrdup(text);
	m = dipb_board_member(&s->board, rv->reviewer);
	*subject = dipb_subject_make(&(struct dipb_subject){
	    .kind = DIPB_EVENT_REPLIED, .id = r->id,
	    .reviewer = m != NULL ? dipb_member_subject_name(m) :
	    rv->reviewer,
	    .by = dipb_session_actor(s) });
	return NULL;
}

static const struct dipb_error *
review(char **subject, const char **body, struct dipb_session *s,
    struct dipb_record *r, const char *comment, void *arg)
{
	const struct review_arg *a = arg;
	const enum dipb_move *move = &a->move;
	struct dipb_review rv;
	enum dipb_verdict verdict = DIPB_VERDICT_ENDORSE;
	struct dipb_subject sj;
	char fp[DIPB_FINGERPRINT_LEN + 1], tally[DIPB_TALLY_MAX];

	if (*move == DIPB_MOVE_REPLY) {
		*body = comment;
		return reply(subject, s, r, comment, a->reply_to);
	}
	dipb_record_fingerprint(r, fp);
	/*
	 * The version the reviewer read, or none: a verdict on text they
	 * never saw is not recorded (dipb-review(1), --expect).
	 */
	if (a->has_expect && strcmp(fp, a->expect) != 0)
		return dipb_error_fmt(DIPB_ERR_STALE, "%s changed since it "
		    "was read: its fingerprint is now %s, not %s (--expect); "
		    "read it again (dipb show %s) and review what it says "
		    "now", r->id, fp, a->expect, r->id);
	if (dipb_move_verdict(&verdict, *move)) {
		memset(&rv, 0, sizeof(rv));
		rv.reviewer = xstrdup(s->who.email);
		rv.date = xstrdup(s->today);
		rv.verdict = verdict;
		rv.fingerprint = xstrdup(fp);
		rv.comment = comment != NULL ? xstrdup(comment) : NULL;
		/* The level it is written at (dipb-record(5), reviews). */
		rv.classification = r->classification != NULL ?
		    xstrdup(r->classification) : NULL;
		dipb_record_put_review(r, &rv);
	}
	memset(&sj, 0, sizeof(sj));
	sj.id = r->id;
	sj.by = dipb_session_actor(s);
	switch (*move) {
	case DIPB_MOVE_REQUEST:
		sj.kind = DIPB_EVENT_REVIEW_REQUESTED;
		break;
	case DIPB_MOVE_RECALL:
		/* Back to draft; the reviews stay (dipb-review(1), --recall). */
		sj.kind = DIPB_EVENT_RECALLED;
		break;
	case DIPB_MOVE_ENDORSE:
		/* The count the table's quorum (dipb_state_next) sees. */
		sj.kind = DIPB_EVENT_ENDORSED;
		dipb_state_tally(tally, &s->board, r);
		sj.tally = tally;
		break;
	case DIPB_MOVE_OBJECT:
	case DIPB_MOVE_REQUEST_CHANGES:
		sj.kind = DIPB_EVENT_RETURNED;
		sj.verdict = verdict;
		break;
	default:
		return dipb_error(DIPB_ERR_INTERNAL);
	}
	*subject = dipb_subject_make(&sj);
	*body = comment;
	return NULL;
}

/* The command's own part (dipb_change_main(), change.h). */
static const struct dipb_error *
review_run(struct dipb_change_cmd *cmd, int argc, char **argv,
    struct dipb_ctx *ctx)
{
	static const struct option opts[] = {
		{ "request", no_argument, NULL, 'q' },
		{ "recall", no_argument, NULL, 'R' },
		{ "endorse", no_argument, NULL, 'e' },
		{ "request-changes", no_argument, NULL, 'c' },
		{ "object", no_argument, NULL, 'o' },
		{ "expect", required_argument, NULL, 'x' },
		{ "reply-to", required_argument, NULL, 'y' },
		DIPB_CHANGE_RETRY_OPTION,
		{ NULL, 0, NULL, 0 }
	};
	struct review_arg a;
	const struct dipb_error *err;
	enum dipb_verdict verdict;
	const char *expect = NULL, *reply_to = NULL;
	int ch, nmoves = 0;

	while ((ch = getopt_long(argc, argv, ":m:F:", opts, NULL)) != -1) {
		if (dipb_change_option(cmd, ch, optarg, &err)) {
			if (err != NULL)
				return err;
			continue;
		}
		switch (ch) {
		case 'q':
			cmd->move = DIPB_MOVE_REQUEST;
			break;
		case 'R':
			cmd->move = DIPB_MOVE_RECALL;
			break;
		case 'e':
			cmd->move = DIPB_MOVE_ENDORSE;
			break;
		case 'c':
			cmd->move = DIPB_MOVE_REQUEST_CHANGES;
			break;
		case 'o':
			cmd->move = DIPB_MOVE_OBJECT;
			break;
		case 'x':
			if ((err = dipb_cmd_once(&expect, optarg, "review",
			    "--expect")) != NULL)
				return err;
			continue;
		case 'y':
			cmd->move = DIPB_MOVE_REPLY;
			reply_to = optarg;
			break;
		default:
			return dipb_cmd_bad_option("review", ch, argv);
		}
		nmoves++;
	}
	argc -= optind;
	argv += optind;
	if (argc != 1)
		return usage_review("one recommendation id expected");
	if (nmoves != 1)
		return usage_review("exactly one of --request, --recall, "
		    "--endorse, --request-changes, --object, --reply-to "
		    "expected");
	if ((err = dipb_cmd_write_check(&cmd->w, usage_review)) != NULL)
		return err;
	if (reply_to != NULL && cmd->w.text == NULL && cmd->w.file == NULL)
		return usage_review("--reply-to needs the reply: -m TEXT or "
		    "-F FILE");
	memset(&a, 0, sizeof(a));
	a.reply_to = reply_to;
	if (expect != NULL) {
		if (!dipb_move_verdict(&verdict, cmd->move))
			return usage_review("--expect goes with --endorse, "
			    "--request-changes or --object");
		if ((err = parse_expect(a.expect, expect)) != NULL)
			return err;
		a.has_expect = 1;
	}
	a.move = cmd->move;
	cmd->ids = argv;
	cmd->nids = 1;
	cmd->arg = &a;
	return dipb_change_run(ctx, cmd);
}

const struct dipb_error *
cmd_review(int argc, char **argv, struct dipb_ctx *ctx)
{
	return dipb_change_main(argc, argv, ctx, DIPB_MOVE_REQUEST,
	    usage_review, review, review_run);
}

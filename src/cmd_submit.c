/*
 * cmd_submit.c - dipb submit ID... [--reference REF] [--to TEXT]
 *
 * Each recommendation is its own state change (one commit, one tag), but
 * every id is checked before the first is written, so a typo in the
 * fifth id does not leave four submitted.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "error.h"
#include "session.h"

static const struct dipb_error *
usage_submit(const char *what)
{
	return dipb_cmd_usage_error("submit", "%s", what);
}

static const struct dipb_error *
submit(struct dipb_session *s, int n, char **ids, const char *to,
    const char *ref)
{
	struct dipb_record *recs;
	const struct dipb_error *err = NULL;
	char *subject;
	int i, j;

	recs = xcalloc((size_t)n, sizeof(*recs));
	for (i = 0; i < n; i++)
		dipb_record_init(&recs[i]);
	for (i = 0; i < n && err == NULL; i++) {
		for (j = 0; j < i; j++)
			if (strcmp(ids[i], ids[j]) == 0)
				err = usage_submit("an id is given twice");
		if (err == NULL)
			err = dipb_session_prepare(&recs[i], s, ids[i],
			    DIPB_MOVE_SUBMIT);
	}
	for (i = 0; i < n && err == NULL; i++) {
		recs[i].status = DIPB_STATUS_SUBMITTED;
		free(recs[i].updated);
		recs[i].updated = xstrdup(s->today);
		recs[i].submission = xcalloc(1, sizeof(*recs[i].submission));
		recs[i].submission->date = xstrdup(s->today);
		recs[i].submission->to = xstrdup(to);
		recs[i].submission->reference = xstrdup(ref);
		subject = xasprintf("%s: submitted to %s (%s)", ids[i], to,
		    ref);
		err = dipb_session_commit(s, &recs[i], DIPB_EVENT_SUBMITTED,
		    DIPB_STATUS_ENDORSED, subject, NULL);
		free(subject);
	}
	for (i = 0; i < n; i++)
		dipb_record_release(&recs[i]);
	free(recs);
	return err;
}

const struct dipb_error *
cmd_submit(int argc, char **argv, struct dipb_ctx *ctx)
{
	static const struct option opts[] = {
		{ "reference", required_argument, NULL, 'R' },
		{ "to", required_argument, NULL, 't' },
		{ "retry", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 }
	};
	struct dipb_session s;
	const struct dipb_error *err;
	const char *to = NULL, *ref = NULL;
	char *defref = NULL;
	int ch, i, retries = -1;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'R':
			ref = optarg;
			break;
		case 't':
			to = optarg;
			break;
		case 'r':
			if ((err = dipb_parse_retry(&retries, optarg)) != NULL)
				return err;
			break;
		default:
			return usage_submit("unknown option or missing argument");
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		return usage_submit("at least one recommendation id expected");
	if ((to != NULL && (*to == '\0' || !dipb_utf8_valid(to,
	    strlen(to)))) || (ref != NULL && (*ref == '\0' ||
	    !dipb_utf8_valid(ref, strlen(ref)))))
		return usage_submit("--to and --reference must be non-empty "
		    "UTF-8 text");
	for (i = 0; i < argc; i++)
		if ((err = dipb_check_id(argv[i])) != NULL)
			return err;
	if ((err = dipb_ctx_open(ctx)) != NULL)
		return err;
	err = dipb_session_begin(&s, ctx->repo, retries);
	if (err == NULL) {
		if (to == NULL)
			to = s.board.submit_to;
		if (ref == NULL) {
			defref = xasprintf("%s-%s", s.board.short_name != NULL ?
			    s.board.short_name : "DIPB", s.today);
			ref = defref;
		}
		err = submit(&s, argc, argv, to, ref);
	}
	dipb_session_end(&s);
	free(defref);
	return err;
}

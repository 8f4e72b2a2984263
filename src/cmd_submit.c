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

#include "change.h"
#include "error.h"
#include "subject.h"
#include "text.h"

static const struct dipb_error *
usage_submit(const char *what)
{
	return dipb_cmd_usage_error("submit", "%s", what);
}

struct submit_arg {
	const char	*to;		/* --to, or NULL: the board's */
	const char	*ref;		/* --reference, or NULL: the default */
	char		*defref;	/* the default, made once */
};

static const struct dipb_error *
submit(char **subject, const char **body, struct dipb_session *s,
    struct dipb_record *r, const char *msg, void *arg)
{
	struct submit_arg *a = arg;
	const char *to, *ref;

	(void)msg;
	to = a->to != NULL ? a->to : s->board.submit_to;
	if (a->ref == NULL && a->defref == NULL)
		a->defref = xasprintf("%s-%s", s->board.short_name != NULL ?
		    s->board.short_name : "DIPB", s->today);
	ref = a->ref != NULL ? a->ref : a->defref;
	r->submission = xcalloc(1, sizeof(*r->submission));
	r->submission->date = xstrdup(s->today);
	r->submission->to = xstrdup(to);
	r->submission->reference = xstrdup(ref);
	*subject = dipb_subject_make(&(struct dipb_subject){
	    .kind = DIPB_EVENT_SUBMITTED, .id = r->id, .to = to, .ref = ref });
	*body = NULL;
	return NULL;
}

/* The command's own part (dipb_change_main(), change.h). */
static const struct dipb_error *
submit_run(struct dipb_change_cmd *cmd, int argc, char **argv,
    struct dipb_ctx *ctx)
{
	static const struct option opts[] = {
		{ "reference", required_argument, NULL, 'R' },
		{ "to", required_argument, NULL, 't' },
		DIPB_CHANGE_RETRY_OPTION,
		{ NULL, 0, NULL, 0 }
	};
	struct submit_arg a;
	const struct dipb_error *err;
	int ch;

	memset(&a, 0, sizeof(a));
	while ((ch = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		if (dipb_change_option(cmd, ch, optarg, &err)) {
			if (err != NULL)
				return err;
		} else if (ch == 'R') {
			if ((err = dipb_cmd_once(&a.ref, optarg, "submit",
			    "--reference")) != NULL)
				return err;
		} else if (ch == 't') {
			if ((err = dipb_cmd_once(&a.to, optarg, "submit",
			    "--to")) != NULL)
				return err;
		} else
			return dipb_cmd_bad_option("submit", ch, argv);
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		return usage_submit("at least one recommendation id expected");
	if ((a.to != NULL && (dipb_text_blank(a.to) ||
	    !dipb_utf8_valid(a.to, strlen(a.to)))) || (a.ref != NULL &&
	    (dipb_text_blank(a.ref) || !dipb_utf8_valid(a.ref,
	    strlen(a.ref)))))
		return usage_submit("--to and --reference must be UTF-8 text, "
		    "not empty or blanks only");
	/* Single-line fields of the record (dipb-validate(1),
	 * control-character), and the commit's subject names them. */
	if ((err = dipb_cmd_check_text(usage_submit, "--to", NULL, a.to,
	    0)) != NULL || (err = dipb_cmd_check_text(usage_submit,
	    "--reference", NULL, a.ref, 0)) != NULL)
		return err;
	cmd->ids = argv;
	cmd->nids = (size_t)argc;
	cmd->arg = &a;
	err = dipb_change_run(ctx, cmd);
	free(a.defref);
	return err;
}

const struct dipb_error *
cmd_submit(int argc, char **argv, struct dipb_ctx *ctx)
{
	return dipb_change_main(argc, argv, ctx, DIPB_MOVE_SUBMIT,
	    usage_submit, submit, submit_run);
}

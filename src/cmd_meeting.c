/*
 * cmd_meeting.c - dipb meeting [--date DATE] --attendee EMAIL...
 * [--apology EMAIL...] [--agenda ID...] [--title TEXT] [-m TEXT|-F FILE]
 *
 * The secretary records a board meeting as its own change: the file
 * meetings/<date>.yaml (dipb-record(5), "MEETINGS"), committed and tagged
 * meeting/<N>-held, signed as every change is (dipb-meeting(1)).  The
 * minutes are written from it by dipb report minutes --meeting.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "date.h"
#include "error.h"
#include "meeting.h"
#include "session.h"
#include "subject.h"
#include "text.h"
#include "validate.h"

static const struct dipb_error *
usage_meeting(const char *what)
{
	return dipb_cmd_usage_error("meeting", "%s", what);
}

/* Each id of the agenda is a record at the tip (dipb-meeting(1)). */
static const struct dipb_error *
check_agenda(struct dipb_session *s, const struct dipb_strlist *agenda)
{
	const struct dipb_error *err = NULL;
	struct dipb_record r;
	size_t i;

	for (i = 0; i < agenda->n && err == NULL; i++) {
		dipb_record_init(&r);
		err = dipb_session_load(&r, s, agenda->v[i]);
		dipb_record_release(&r);
	}
	return err;
}

/* Each member of l named by the address dipb.yaml gives, as typed or
 * not (dipb-meeting(1)); who is no member stays, for the check of the
 * file written to refuse. */
static void
as_board_writes(struct dipb_strlist *l, const struct dipb_board *b)
{
	const struct dipb_member *m;
	size_t i;

	for (i = 0; i < l->n; i++)
		if ((m = dipb_board_member(b, l->v[i])) != NULL) {
			free(l->v[i]);
			l->v[i] = xstrdup(m->email);
		}
}

static const struct dipb_error *
record_meeting(struct dipb_ctx *ctx, struct dipb_meeting *m,
    const struct dipb_cmd_write *w)
{
	struct dipb_session s;
	struct dipb_buf yaml = DIPB_BUF_INIT, old = DIPB_BUF_INIT;
	struct dipb_diags diags = DIPB_DIAGS_INIT;
	struct dipb_meeting back;
	const struct dipb_error *err;
	const char *paths[1];
	char *path = NULL, *subject = NULL, *tag = NULL;
	int found = 0, dirty = 0;

	dipb_meeting_init(&back);
	/* The notes are the meeting file's Markdown, which dipb validate
	 * checks as a record's (dipb-validate(1), control-character). */
	if ((err = dipb_cmd_write_message(&m->notes, w, usage_meeting)) !=
	    NULL)
		return err;
	if ((err = dipb_session_begin(&s, ctx->repo, w->retries)) != NULL)
		goto done;
	if ((err = dipb_session_allow(&s, DIPB_MOVE_MEETING, NULL,
	    NULL)) != NULL)
		goto done;
	if (m->date == NULL)
		m->date = xstrdup(s.today);
	path = dipb_meeting_path(m->date);
	paths[0] = path;
	if ((err = dipb_repo_check_change(ctx->repo, paths, 1)) != NULL ||
	    (err = dipb_repo_read(&old, &found, ctx->repo, path,
	    DIPB_MAX_FILE)) != NULL)
		goto done;
	if (found) {
		err = dipb_error_fmt(DIPB_ERR_EXISTS, "the meeting of %s is "
		    "already recorded: '%s'", m->date, path);
		goto done;
	}
	/* A file of the user's there would stay, differing from the
	 * commit, as a new record's would (dipb-recommend(1)). */
	if ((err = dipb_repo_path_dirty(&dirty, ctx->repo, path)) != NULL)
		goto done;
	if (dirty) {
		err = dipb_error_fmt(DIPB_ERR_DIRTY, "%s, the meeting's file, "
		    "is already there, not committed: move it away (and 'git "
		    "rm --cached' it if staged), then retry", path);
		goto done;
	}
	if ((err = check_agenda(&s, &m->agenda.s)) != NULL)
		goto done;
	as_board_writes(&m->attendees.s, &s.board);
	as_board_writes(&m->apologies.s, &s.board);
	dipb_meeting_emit(m, &yaml);
	/* What is written loads back and keeps the rules (dipb validate). */
	if (dipb_meeting_load(&back, path, yaml.ptr, yaml.len, &diags) != 0 ||
	    dipb_validate_meeting_written(&diags, path, &back,
	    &s.board) > 0) {
		dipb_diags_sort(&diags);
		dipb_diags_move(&s.diags, &diags);
		err = dipb_error_fmt(DIPB_ERR_INVALID, "refusing to record an "
		    "invalid meeting: '%s'", path);
		goto done;
	}
	/* A bidirectional control is written, and said, as a record change
	 * says one (dipb-validate(1), bidi). */
	dipb_validate_meeting_bidi(&s.diags, path, &back);
	subject = dipb_subject_make(&(struct dipb_subject){
	    .kind = DIPB_EVENT_HELD, .id = DIPB_MEETING_RECORD,
	    .date = m->date, .by = dipb_session_actor(&s) });
	err = dipb_session_commit_meeting(&tag, &s, path, yaml.ptr, yaml.len,
	    subject, m->notes);
	if (tag != NULL)
		fprintf(stderr, "%s\n", tag);
done:
	dipb_diags_print(stderr, &s.diags, DIPB_DIAG_GCC);
	dipb_session_end(&s);
	dipb_diags_release(&diags);
	dipb_meeting_release(&back);
	dipb_buf_release(&yaml);
	dipb_buf_release(&old);
	free(path);
	free(subject);
	free(tag);
	return err;
}

const struct dipb_error *
cmd_meeting(int argc, char **argv, struct dipb_ctx *ctx)
{
	static const struct option opts[] = {
		{ "date", required_argument, NULL, 'd' },
		{ "attendee", required_argument, NULL, 'a' },
		{ "apology", required_argument, NULL, 'p' },
		{ "agenda", required_argument, NULL, 'g' },
		{ "title", required_argument, NULL, 't' },
		{ "retry", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 }
	};
	const struct dipb_error *err = NULL;
	struct dipb_meeting m;
	struct dipb_cmd_write w = DIPB_CMD_WRITE_INIT;
	size_t at;
	unsigned cp;
	int ch;

	dipb_meeting_init(&m);
	while (err == NULL &&
	    (ch = getopt_long(argc, argv, ":m:F:", opts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			if (m.date != NULL)
				err = usage_meeting("option '--date' is given "
				    "more than once");
			else if (!dipb_date_valid(optarg))
				err = usage_meeting("--date takes a date, "
				    "YYYY-MM-DD");
			else {
				free(m.date);
				m.date = xstrdup(optarg);
			}
			break;
		case 'a':
			dipb_strlist_push(&m.attendees.s, optarg);
			break;
		case 'p':
			dipb_strlist_push(&m.apologies.s, optarg);
			break;
		case 'g':
			if ((err = dipb_check_id(optarg)) == NULL)
				dipb_strlist_push(&m.agenda.s, optarg);
			break;
		case 't':
			if (m.title != NULL)
				err = usage_meeting("option '--title' is given "
				    "more than once");
			else
				m.title = xstrdup(optarg);
			break;
		default:
			if (!dipb_cmd_write_option(&w, ch, optarg, &err))
				err = dipb_cmd_bad_option("meeting", ch, argv);
		}
	}
	if (err == NULL && optind < argc)
		err = usage_meeting("no arguments expected, only options");
	if (err == NULL && m.attendees.s.n == 0)
		err = usage_meeting("who attended? --attendee EMAIL, once per "
		    "member");
	if (err == NULL)
		err = dipb_cmd_write_check(&w, usage_meeting);
	/* The minutes' heading: one line, as --board's (dipb-init(1)). */
	if (err == NULL && m.title != NULL && dipb_text_blank(m.title))
		err = usage_meeting("--title may not be empty or blanks only: "
		    "leave it out for the default title, 'Minutes of the "
		    "SHORT_NAME meeting of DATE'");
	if (err == NULL && m.title != NULL &&
	    (!dipb_utf8_valid(m.title, strlen(m.title)) ||
	    dipb_text_find_control(&at, &cp, m.title, 0)))
		err = usage_meeting("--title must be one line of UTF-8 text");
	if (err == NULL && (err = dipb_ctx_open(ctx)) == NULL)
		err = record_meeting(ctx, &m, &w);
	dipb_cmd_write_release(&w);
	dipb_meeting_release(&m);
	return err;
}

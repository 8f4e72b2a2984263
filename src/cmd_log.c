/*
 * cmd_log.c - dipb log [ID] [--since WHEN] [--until WHEN]
 *	       [--format text|json]
 *
 * With ID (or "board", or "meeting"): the record's state changes from its
 * tags, oldest first.  Without: the changes of a window of the branch,
 * newest first, with the commits that changed records outside dipb marked
 * "plain git".
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "cmd.h"
#include "date.h"
#include "diag.h"
#include "error.h"
#include "history.h"
#include "json.h"
#include "meeting.h"
#include "record.h"
#include "session.h"
#include "state.h"
#include "text.h"

enum format { TEXT, JSON };
static const char *const formats[] = { "text", "json", NULL };

static const struct dipb_error *
usage_log(const char *what)
{
	return dipb_cmd_usage_error("log", "%s", what);
}

/*
 * "2026-01-26T14:10:00+01:00", as git log --date=iso-strict prints it:
 * the civil time in the zone, its year in as many digits as it takes
 * (one git reads past the year 9999), and the zone as the commit writes
 * it, +hhmm (zone), whose minutes may be 60 or more (+9999 is 99 hours
 * and 99 minutes: "+99:99"); offset is the same in minutes.
 */
static void
iso_time(char out[48], int64_t t, int offset, int zone)
{
	struct dipb_civil c;
	int z = zone < 0 ? -zone : zone;

	dipb_date_civil(&c, t, offset);
	snprintf(out, 48, "%04lld-%02d-%02dT%02d:%02d:%02d%c%02d:%02d",
	    (long long)c.y, c.mo, c.d, c.hh, c.mi, c.ss, zone < 0 ? '-' : '+',
	    z / 100, z % 100);
}

static json_t *
jstr(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

static json_t *
event_json(const struct dipb_event *e)
{
	json_t *o = json_object(), *a, *p;
	char when[48];
	size_t i;

	iso_time(when, e->time, e->offset, e->zone);
	json_object_set_new(o, "date", json_string(e->date));
	json_object_set_new(o, "time", json_string(when));
	/*
	 * The day a date window reads (by_date, dipb_history_window), which
	 * date, the author's, is not after a dipb sync: always given, so
	 * that a script can filter as --since and --until do (dipb-log(1)).
	 */
	json_object_set_new(o, "landed", json_string(e->landed));
	json_object_set_new(o, "commit", json_string(e->commit));
	json_object_set_new(o, "tag", jstr(e->tag));
	json_object_set_new(o, "record", jstr(e->record));
	json_object_set_new(o, "event", jstr(e->event));
	json_object_set_new(o, "status_from", jstr(e->status_from));
	json_object_set_new(o, "status_to", jstr(e->status_to));
	a = json_object();
	json_object_set_new(a, "name", json_string(e->author_name));
	json_object_set_new(a, "email", json_string(e->author_email));
	json_object_set_new(o, "author", a);
	json_object_set_new(o, "subject", json_string(e->subject));
	json_object_set_new(o, "comment", jstr(e->comment));
	json_object_set_new(o, "plain_git", json_boolean(e->plain));
	json_object_set_new(o, "forged", json_boolean(e->forged));
	p = json_array();
	for (i = 0; i < e->paths.n; i++)
		json_array_append_new(p, json_string(e->paths.v[i]));
	json_object_set_new(o, "paths", p);
	return o;
}

/* The subject without its "ID: " prefix. */
static const char *
what_of(const struct dipb_event *e)
{
	size_t n;

	if (e->record != NULL) {
		n = strlen(e->record);
		if (strncmp(e->subject, e->record, n) == 0 &&
		    strncmp(e->subject + n, ": ", 2) == 0)
			return e->subject + n + 2;
	}
	return e->subject;
}

struct cols {
	char	*tag;
	char	*move;
	char	*what;
};

/*
 * s as one line of the text, freed: a tab or a newline of a subject, a
 * name or a trailer a blank, as dipb list and dipb todo show a field
 * (dipb-log(1)).  history.c keeps them, for the comment's lines and for
 * the JSON.
 */
static char *
one_line(char *s)
{
	char *c = dipb_text_clean_field(s, strlen(s));

	free(s);
	return c;
}

static void
text_cols(struct cols *c, const struct dipb_event *e)
{
	const char *w = what_of(e);

	if (e->plain)
		c->tag = xstrdup("plain git");
	else if (e->tag != NULL && e->forged)
		c->tag = xasprintf("%s (forged)", e->tag);
	else if (e->tag != NULL)
		c->tag = xstrdup(e->tag);
	else
		c->tag = xasprintf("%s %s (untagged)", e->record,
		    e->event != NULL ? e->event : "?");
	if (e->plain)
		c->move = xstrndup(e->commit, 10);
	else if (e->status_from == NULL)
		c->move = xstrdup("-");
	else if (strcmp(e->status_from, e->status_to) == 0)
		c->move = xstrdup(e->status_to);
	else
		c->move = xasprintf("%s -> %s", e->status_from, e->status_to);
	if (*w == '\0')
		w = "(no message)";	/* git commit --allow-empty-message */
	if (e->author_name[0] != '\0' && strstr(w, e->author_name) == NULL)
		c->what = xasprintf("%s, by %s", w, e->author_name);
	else
		c->what = xstrdup(w);
	c->tag = one_line(c->tag);
	c->move = one_line(c->move);
	c->what = one_line(c->what);
}

/* Prints text indented by four spaces, line by line. */
static void
indented(const char *prefix, const char *text)
{
	const char *p = text, *nl;

	while (*p != '\0') {
		nl = strchr(p, '\n');
		if (nl == NULL)
			nl = p + strlen(p);
		if (nl > p)
			printf("    %s%.*s\n", prefix, (int)(nl - p), p);
		else
			putchar('\n');
		p = *nl != '\0' ? nl + 1 : nl;
		prefix = "";
	}
}

/* A change's comment, its bidirectional controls '?' (history.h). */
static void
comment(const char *text)
{
	char *c = dipb_text_clean(text, strlen(text));

	indented("", c);
	free(c);
}

static void
print_text(const struct dipb_events *l, int color)
{
	struct cols *c;
	size_t i, k, w1 = 0, w2 = 0;

	if (l->n == 0)
		return;
	c = xcalloc(l->n, sizeof(*c));
	for (i = 0; i < l->n; i++) {
		text_cols(&c[i], &l->v[i]);
		if (strlen(c[i].tag) > w1)
			w1 = strlen(c[i].tag);
		if (strlen(c[i].move) > w2)
			w2 = strlen(c[i].move);
	}
	for (i = 0; i < l->n; i++) {
		printf("%s  %s%-*s%s  %-*s  %s\n", l->v[i].date,
		    !color ? "" : l->v[i].plain || l->v[i].forged ?
		    "\033[31m" : "\033[33m",
		    (int)w1, c[i].tag, color ? "\033[0m" : "", (int)w2,
		    c[i].move, c[i].what);
		if (l->v[i].plain && l->v[i].paths.n > 0) {
			printf("    changed:");
			for (k = 0; k < l->v[i].paths.n; k++)
				printf(" %s", l->v[i].paths.v[k]);
			putchar('\n');
		}
		if (l->v[i].comment != NULL)
			comment(l->v[i].comment);
		free(c[i].tag);
		free(c[i].move);
		free(c[i].what);
	}
	free(c);
}

/*
 * Keeps the events landed within [since, until] (either may be NULL): the
 * days their commits were made, as the window without an id reads those
 * of the branch's own line (history.h).  A change made on a branch merged
 * by hand is kept by its own commit's day, not the merge's as the window
 * has it: its tags alone do not tell which merge brought it in
 * (dipb-log(1)).
 */
static void
by_date(struct dipb_events *l, const char *since, const char *until)
{
	struct dipb_events keep = DIPB_EVENTS_INIT;
	size_t i;

	for (i = 0; i < l->n; i++) {
		if ((since != NULL && strcmp(l->v[i].landed, since) < 0) ||
		    (until != NULL && strcmp(l->v[i].landed, until) > 0)) {
			continue;	/* left in l, released below */
		}
		xgrow((void **)&keep.v, &keep.cap, keep.n + 1, sizeof(*keep.v));
		keep.v[keep.n++] = l->v[i];
		memset(&l->v[i], 0, sizeof(l->v[i]));
	}
	dipb_events_release(l);
	*l = keep;
}

/*
 * With no file of record id at the tip, what is where the board keeps it,
 * said as dipb show says it: a symbolic link, a gitlink on the way
 * (dipb_repo_read); NULL when nothing is there.
 */
static const struct dipb_error *
tip_link(struct dipb_repo *repo, const char *id)
{
	const struct dipb_error *err;
	struct dipb_buf buf = DIPB_BUF_INIT;
	char *path = dipb_repo_tip_record_path(repo, id);
	int found = 0;

	/* No file is there to read: dipb_repo_record_path_at found none. */
	err = dipb_repo_read(&buf, &found, repo, path, 0);
	dipb_buf_release(&buf);
	free(path);
	return err;
}

struct log_opts {
	const char	*since, *until;	/* --since, --until, or NULL */
	const char	*id;		/* the operand, or NULL */
	enum format	 format;
	int		 pseudo;	/* id is the board's or the meetings' */
};

/* The options and the operand, an id checked. */
static const struct dipb_error *
parse_options(struct log_opts *o, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "since", required_argument, NULL, 's' },
		{ "until", required_argument, NULL, 'u' },
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 }
	};
	const struct dipb_error *err;
	int ch, f;

	memset(o, 0, sizeof(*o));
	o->format = TEXT;
	while ((ch = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (ch) {
		case 's':
			o->since = optarg;
			break;
		case 'u':
			o->until = optarg;
			break;
		case 'f':
			if ((err = dipb_cmd_choice(&f, "log", "--format",
			    optarg, formats)) != NULL)
				return err;
			o->format = f;
			break;
		default:
			return dipb_cmd_bad_option("log", ch, argv);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 1)
		return usage_log("at most one recommendation id expected");
	if (argc == 1) {
		o->id = argv[0];
		/*
		 * The board and its meetings change through tags of the
		 * record's form, board/<N>-<event> and meeting/<N>-held
		 * (dipb-git(7)): read as a record's are, but with no file
		 * of their own to fall back on.
		 */
		o->pseudo = strcmp(o->id, DIPB_BOARD_RECORD) == 0 ||
		    strcmp(o->id, DIPB_MEETING_RECORD) == 0;
		if (!o->pseudo && (err = dipb_check_id(o->id)) != NULL)
			return err;
		if ((o->since != NULL && !dipb_date_valid(o->since)) ||
		    (o->until != NULL && !dipb_date_valid(o->until)))
			return usage_log("with an id, --since and --until take "
			    "dates (YYYY-MM-DD)");
	}
	return NULL;
}

/*
 * A record with no tags: its file at the tip, in either layout, said
 * not made with dipb; not found, an error.  *path: the caller's to free.
 */
static const struct dipb_error *
untagged(char **path, struct dipb_repo *repo, const char *id)
{
	const struct dipb_error *err;
	char *arg;
	int found;

	if ((err = dipb_repo_record_path_at(path, &found, repo, NULL,
	    id)) != NULL || (!found && (err = tip_link(repo, id)) != NULL))
		return err;
	if (!found)
		return dipb_error_fmt(DIPB_ERR_NOT_FOUND,
		    "no such recommendation: '%s'", id);
	arg = dipb_repo_path_arg(repo, *path);
	dipb_say(stderr, "dipb: %s has no tags: it was not made "
	    "with dipb (see git log -- %s)\n", id, arg);
	free(arg);
	return NULL;
}

/* The events of o->id, in --since and --until's dates. */
static const struct dipb_error *
record_events(struct dipb_events *events, char **path,
    struct dipb_history *h, struct dipb_repo *repo, const struct log_opts *o)
{
	const struct dipb_error *err;

	if ((err = dipb_history_record(events, h, o->id)) != NULL)
		return err;
	/* A shallow clone: the versions here, and where they start
	 * (dipb-git(7)); with none, that they are past its end. */
	if (!o->pseudo && (err = dipb_history_cut(repo, events,
	    o->id)) != NULL) {
		if (events->n == 0)
			return err;
		dipb_say(stderr, "dipb: warning: %s\n", err->msg);
		dipb_error_free(err);
	}
	if (events->n == 0 && !o->pseudo &&
	    (err = untagged(path, repo, o->id)) != NULL)
		return err;
	by_date(events, o->since, o->until);
	return NULL;
}

/* The events in o->format; an error if standard output failed. */
static const struct dipb_error *
print_events(const struct dipb_events *events, enum format format,
    int color)
{
	size_t i;

	if (format == JSON) {
		for (i = 0; i < events->n; i++)
			if (dipb_json_print(stdout, event_json(&events->v[i]),
			    0) != 0)
				return dipb_error_from_errno("standard output");
	} else
		print_text(events, color);
	return NULL;
}

const struct dipb_error *
cmd_log(int argc, char **argv, struct dipb_ctx *ctx)
{
	struct log_opts o;
	struct dipb_events events = DIPB_EVENTS_INIT;
	struct dipb_history *h = NULL;
	const struct dipb_error *err = NULL;
	char *path = NULL;

	if ((err = parse_options(&o, argc, argv)) != NULL)
		return err;
	if ((err = dipb_ctx_open(ctx)) != NULL)
		return err;
	if ((err = dipb_history_open(&h, ctx->repo)) != NULL)
		goto done;
	if (o.id != NULL) {
		if ((err = record_events(&events, &path, h, ctx->repo,
		    &o)) != NULL)
			goto done;
	} else if ((err = dipb_history_window(&events, h, o.since, o.until,
	    DIPB_HISTORY_TAGS)) != NULL)
		goto done;
	err = print_events(&events, o.format, ctx->color);
done:
	free(path);
	dipb_events_release(&events);
	dipb_history_close(h);
	return err;
}

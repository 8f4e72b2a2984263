/*
 * cmd_report.c - dipb report status|package|minutes|actions|agenda
 *	[--since WHEN] [--until WHEN] [--meeting DATE] [--reference REF]
 *	[--title TEXT]
 *	[--today DATE] [--max-classification LEVEL]
 *	[--format markdown|html|man|latex|json] [-o FILE]
 *
 * Gathers the records (at the tip, or at --until for status, with the
 * board of that day), the history
 * (minutes), a meeting's file (minutes --meeting) or the texts as
 * submitted (package), hands them to the report
 * builders (report.h) and writes what they render to standard output or,
 * atomically, to FILE.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "date.h"
#include "error.h"
#include "hashmap.h"
#include "history.h"
#include "meeting.h"
#include "report.h"
#include "session.h"
#include "state.h"
#include "validate.h"
#include "version.h"	/* build/: the Makefile writes it */

enum kind { STATUS, PACKAGE, MINUTES, ACTIONS, AGENDA };


static const struct dipb_error *
usage_report(const char *what)
{
	return dipb_cmd_usage_error("report", "%s", what);
}

/*
 * Record id, as it stood at commit end, added to l unless there already
 * (seen: the ids of l's records and of unread); gone by then (removed
 * with plain git): as at commit, its last change in the window that
 * names it.  A file that does not load is left out, as status leaves it
 * out, its problems in l's diagnostics and its id in unread: the report
 * is written without it and the level of its comments is not known
 * (dipb-report(1), EXIT STATUS and --max-classification).
 */
static const struct dipb_error *
record_at(struct dipb_records *l, struct dipb_strlist *unread,
    struct dipb_hashmap *seen, struct dipb_history *h, const char *end,
    const char *id, const char *commit)
{
	const struct dipb_error *err;
	struct dipb_buf buf = DIPB_BUF_INIT;
	struct dipb_diags diags = DIPB_DIAGS_INIT;
	char blob[DIPB_OID_HEX + 1], *path, *name = NULL;
	const char *at = end;
	int found;

	if (!dipb_id_valid(id) || dipb_hashmap_get(seen, id) != NULL)
		return NULL;
	err = dipb_history_read_record(&buf, blob, &found, &path, h, end, id,
	    DIPB_MAX_FILE);
	if (err == NULL && !found) {
		free(path);
		at = commit;
		err = dipb_history_read_record(&buf, blob, &found, &path, h,
		    commit, id, DIPB_MAX_FILE);
	}
	if (err == NULL && found) {
		/*
		 * Named as git names the file at that commit (REV:PATH, as
		 * dipb show and dipb diff name a version's): removed or
		 * changed since, the working tree's is another.
		 */
		name = xasprintf("%.12s:%s", at, path);
		xgrow((void **)&l->v, &l->cap, l->n + 1, sizeof(*l->v));
		dipb_record_init(&l->v[l->n]);
		if (dipb_record_load(&l->v[l->n], name, buf.ptr, buf.len, 0,
		    &diags) != 0) {
			dipb_record_release(&l->v[l->n]);
			l->invalid++;
			dipb_diags_sort(&diags);
			dipb_diags_move(&l->diags, &diags);
			dipb_strlist_push(unread, id);
			dipb_hashmap_put_ref(seen, unread->v[unread->n - 1],
			    seen);
			goto done;
		}
		dipb_diags_release(&diags);
		if (l->v[l->n].id == NULL)
			l->v[l->n].id = xstrdup(id);
		/* Its own string: it moves with neither v nor the file. */
		dipb_hashmap_put_ref(seen, l->v[l->n].id, seen);
		l->n++;
	}
done:
	free(name);
	free(path);
	dipb_diags_release(&diags);
	dipb_buf_release(&buf);
	return err;
}

/*
 * The records that minutes names, as they stood at the end of the window
 * (commit end): read one by one, never the whole folder's blobs.  Those
 * a plain git commit, or a board's or a meeting's change (dipb migrate),
 * touched too, by the paths it changed (record files and dipb.yaml only,
 * never a meeting's file): the report is marked with their level, and a
 * capped one keeps or leaves them out by it.  Each id is looked up in a
 * table of those read, not searched for among them: a commit that adds
 * 30,000 records names each once.
 */
static const struct dipb_error *
records_at(struct dipb_records *l, struct dipb_strlist *unread,
    struct dipb_history *h, const char *end, const struct dipb_events *ev)
{
	const struct dipb_error *err = NULL;
	const struct dipb_event *e;
	struct dipb_hashmap seen = DIPB_HASHMAP_INIT;
	char id[DIPB_MAX_ID + 1];
	size_t i, j;

	for (i = 0; i < l->n; i++)
		if (l->v[i].id != NULL)
			dipb_hashmap_put_ref(&seen, l->v[i].id, &seen);
	for (i = 0; i < ev->n && err == NULL; i++) {
		e = &ev->v[i];
		/* "board" and "meeting" are no ids: not read. */
		if (!e->plain)
			err = record_at(l, unread, &seen, h, end, e->record,
			    e->commit);
		for (j = 0; j < e->paths.n && err == NULL; j++)
			if (dipb_record_path_parse(e->paths.v[j],
			    strlen(e->paths.v[j]), id, NULL) == 0)
				err = record_at(l, unread, &seen, h, end, id,
				    e->commit);
	}
	dipb_hashmap_release(&seen, NULL);
	return err;
}

/*
 * rec's text as submitted, into *out (initialised here), and its blob,
 * tag and commit into str[0..3) (allocated; tag and commit NULL when
 * submitted without dipb): the file at its last 'submitted' tag in ev
 * (its history), else the text at the tip.  On error *out is released.
 */
static const struct dipb_error *
as_submitted(struct dipb_record *out, char *str[3], struct dipb_history *h,
    const struct dipb_record *rec, const struct dipb_events *ev)
{
	const struct dipb_error *err = NULL;
	struct dipb_buf buf = DIPB_BUF_INIT;
	struct dipb_diags diags = DIPB_DIAGS_INIT;
	char blob[DIPB_OID_HEX + 1], head[DIPB_OID_HEX + 1];
	char *path = NULL;
	const struct dipb_event *last = NULL;
	size_t k, li = 0;
	int found;

	dipb_record_init(out);
	str[0] = str[1] = str[2] = NULL;
	/*
	 * A tag of rec on another record's change, or on a plain git
	 * commit (made by hand with git tag, dipb verify: tag-extra), is
	 * no submission of rec: only a commit whose trailers say it is
	 * (dipb-report(1), "package").
	 */
	for (k = 0; k < ev->n; k++)
		/* Not forged: its Dipb-Record is rec's, and it has an event
		 * (history.h). */
		if (!ev->v[k].forged && strcmp(ev->v[k].event,
		    dipb_event_name(DIPB_EVENT_SUBMITTED)) == 0) {
			last = &ev->v[k];
			li = k;
		}
	/*
	 * Nor is a submission taken silently when another tag has its
	 * number: which of the two is the record's change cannot be told
	 * without judging the history, as dipb show ID@N refuses
	 * (dipb-report(1), "package").
	 */
	if (last != NULL && (err = dipb_history_twins(ev, li, rec->id,
	    ": which one it was submitted as cannot be told (dipb verify "
	    "tells which one no change accounts for: delete that one with "
	    "git tag -d)")) != NULL)
		goto done;
	if (last == NULL) {
		/* Submitted without dipb: the text at the tip. */
		err = dipb_history_resolve(head, h, "HEAD");
		if (err == NULL)
			err = dipb_history_read_record(&buf, blob, &found,
			    &path, h, head, rec->id, DIPB_MAX_FILE);
		if (err == NULL) {
			dipb_record_copy(out, rec);
			str[0] = xstrdup(found ? blob : "?");
		}
		goto done;
	}
	err = dipb_history_read_record(&buf, blob, &found, &path, h,
	    last->commit, rec->id, DIPB_MAX_FILE);
	if (err == NULL && !found)
		err = dipb_error_fmt(DIPB_ERR_CORRUPT, "%s: no %s at its tag %s",
		    rec->id, path, last->tag);
	if (err == NULL && dipb_record_load(out, path, buf.ptr, buf.len, 0,
	    &diags) != 0) {
		dipb_diags_print(stderr, &diags, DIPB_DIAG_GCC);
		dipb_record_release(out);
		err = dipb_error_fmt(DIPB_ERR_INVALID,
		    "%s: invalid at its tag %s", path, last->tag);
	}
	if (err == NULL) {
		str[0] = xstrdup(blob);
		str[1] = xstrdup(last->tag);
		str[2] = xstrdup(last->commit);
	}
done:
	free(path);
	dipb_diags_release(&diags);
	dipb_buf_release(&buf);
	return err;
}

/*
 * The package items of the records at the tip submitted under ref, each
 * as submitted (as_submitted); their strings in (*strs)[0..*nstrs).
 */
static const struct dipb_error *
package_items(struct dipb_records *sub, struct dipb_package_item **out,
    char ***strs, size_t *nstrs, struct dipb_history *h,
    const struct dipb_records *tip, const char *ref)
{
	const struct dipb_error *err = NULL;
	struct dipb_events ev = DIPB_EVENTS_INIT;
	struct dipb_package_item *items = NULL;
	size_t i, cap = 0, scap = 0;

	*out = NULL;
	*nstrs = 0;
	for (i = 0; i < tip->n && err == NULL; i++) {
		const struct dipb_record *r = &tip->v[i];

		if (r->submission == NULL || r->submission->reference == NULL ||
		    strcmp(r->submission->reference, ref) != 0)
			continue;
		dipb_events_release(&ev);
		if ((err = dipb_history_record(&ev, h, r->id)) != NULL)
			break;
		xgrow((void **)&sub->v, &sub->cap, sub->n + 1, sizeof(*sub->v));
		xgrow((void **)strs, &scap, *nstrs + 3, sizeof(**strs));
		err = as_submitted(&sub->v[sub->n], *strs + *nstrs, h, r, &ev);
		*nstrs += 3;
		if (err == NULL)
			sub->n++;
	}
	if (err == NULL) {
		for (i = 0; i < sub->n; i++) {
			xgrow((void **)&items, &cap, i + 1, sizeof(*items));
			items[i].rec = &sub->v[i];
			items[i].blob = (*strs)[3 * i];
			items[i].tag = (*strs)[3 * i + 1];
			items[i].commit = (*strs)[3 * i + 2];
		}
		*out = items;
	}
	dipb_events_release(&ev);
	return err;
}

/* The command line. */
struct args {
	enum kind		 kind;
	enum dipb_report_format	 format;
	const char		*since, *until, *ref, *title, *today, *maxc;
	const char		*meeting;	/* minutes --meeting DATE */
	const char		*file;		/* -o; NULL: standard output */
	char			 now[11];	/* today when not --today */
};

static const struct dipb_error *
parse_args(struct args *a, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "since", required_argument, NULL, 's' },
		{ "until", required_argument, NULL, 'u' },
		{ "reference", required_argument, NULL, 'r' },
		{ "meeting", required_argument, NULL, 'M' },
		{ "title", required_argument, NULL, 't' },
		{ "today", required_argument, NULL, 'd' },
		{ "max-classification", required_argument, NULL, 'm' },
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 }
	};
	static const char *const kinds[] = { "status", "package", "minutes",
	    "actions", "agenda" };
	size_t i;
	int ch;

	memset(a, 0, sizeof(*a));
	a->format = DIPB_REPORT_MARKDOWN;
	while ((ch = getopt_long(argc, argv, ":o:", opts, NULL)) != -1) {
		switch (ch) {
		case 's':
			a->since = optarg;
			break;
		case 'u':
			a->until = optarg;
			break;
		case 'r':
			a->ref = optarg;
			break;
		case 'M':
			if (!dipb_date_valid(optarg))
				return usage_report("--meeting takes the "
				    "meeting's date, YYYY-MM-DD");
			a->meeting = optarg;
			break;
		case 't':
			a->title = optarg;
			break;
		case 'd':
			if (!dipb_date_valid(optarg))
				return usage_report("--today takes a date, "
				    "YYYY-MM-DD");
			a->today = optarg;
			break;
		case 'm':
			a->maxc = optarg;
			break;
		case 'f':
			if (dipb_report_format_parse(optarg, &a->format) != 0)
				return usage_report("--format takes markdown, "
				    "html, man, latex or json");
			break;
		case 'o':
			/* "-": standard output, as -F - is standard input. */
			a->file = strcmp(optarg, "-") == 0 ? NULL : optarg;
			break;
		default:
			return dipb_cmd_bad_option("report", ch, argv);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 1)
		return usage_report("one kind of report expected: status, "
		    "package, minutes, actions or agenda");
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(argv[0], kinds[i]) == 0)
			break;
	if (i == sizeof(kinds) / sizeof(kinds[0]))
		return usage_report("the kinds of report are status, package, "
		    "minutes, actions and agenda");
	a->kind = (enum kind)i;
	if (a->since != NULL && a->kind != MINUTES)
		return usage_report("--since is for minutes");
	if (a->meeting != NULL && a->kind != MINUTES)
		return usage_report("--meeting is for minutes");
	if (a->meeting != NULL && (a->since != NULL || a->until != NULL))
		return usage_report("--meeting names the meeting: no --since "
		    "or --until with it");
	if (a->until != NULL && a->kind != MINUTES && a->kind != STATUS)
		return usage_report("--until is for minutes and status");
	if ((a->ref != NULL) != (a->kind == PACKAGE))
		return usage_report(a->kind == PACKAGE ?
		    "package needs --reference REF" :
		    "--reference is for package");
	if (a->file != NULL && a->file[0] == '\0')
		return usage_report("-o needs a file name");
	if (a->today == NULL) {
		a->today = a->now;
		return dipb_date_today(a->now);
	}
	return NULL;
}

/* A usage error unless maxc is one of the board's classifications. */
static const struct dipb_error *
check_max(const struct dipb_board *b, const char *maxc)
{
	const struct dipb_error *err;
	struct dipb_buf l = DIPB_BUF_INIT;
	size_t i;

	if (maxc == NULL || dipb_board_classification_rank(b, maxc) >= 0)
		return NULL;
	for (i = 0; i < b->classifications.n; i++)
		dipb_buf_printf(&l, "%s'%s'", i > 0 ? ", " : "",
		    b->classifications.v[i]);
	err = dipb_error_fmt(DIPB_ERR_USAGE, "unknown classification '%s': "
	    "the board's are %s", maxc, dipb_buf_cstr(&l));
	dipb_buf_release(&l);
	return err;
}

/* What a report is built from; the report borrows none of it. */
struct inputs {
	struct dipb_records			 tip;	/* records at the tip, or --until */
	struct dipb_records			 sub;	/* package: as submitted */
	struct dipb_events		 ev;	/* minutes: the window */
	struct dipb_meeting		 meeting;	/* minutes --meeting */
	struct dipb_strlist		 notes;		/* its notes' levels */
	struct dipb_strlist		 unread;	/* unread ids */
	struct dipb_board		 then;	/* dipb.yaml of another commit */
	char				 at[DIPB_OID_HEX + 1];	/* --until's */
	struct dipb_package_item	*items;
	char				**strs;	/* the items' strings */
	size_t				 nstrs;
};

static void
inputs_release(struct inputs *in)
{
	size_t i;

	free(in->items);
	for (i = 0; i < in->nstrs; i++)
		free(in->strs[i]);
	free(in->strs);
	dipb_records_release(&in->sub);
	dipb_records_release(&in->tip);
	dipb_events_release(&in->ev);
	dipb_meeting_release(&in->meeting);
	dipb_strlist_release(&in->notes);
	dipb_strlist_release(&in->unread);
	dipb_board_release(&in->then);
}

/*
 * A capped report trusts the order of the classifications only if the last
 * version of dipb.yaml that dipb made (the last tag board/<N>-<event>) puts
 * the levels in use at the tip in the same order: a change made by hand
 * since that reorders them (dipb verify, rule classification-order) would
 * otherwise let a higher level pass for a lower one (dipb-report(1)).
 */
static const struct dipb_error *
check_order(struct dipb_repo *repo, struct dipb_history *h,
    const struct dipb_board *tip)
{
	struct dipb_events ev;
	struct dipb_strlist used = DIPB_STRLIST_INIT;
	struct dipb_buf buf = DIPB_BUF_INIT;
	struct dipb_diags diags = DIPB_DIAGS_INIT;
	struct dipb_board b;
	const struct dipb_error *err, *e;
	char blob[DIPB_OID_HEX + 1];
	size_t i;
	int found;

	dipb_events_init(&ev);
	if ((err = dipb_history_record(&ev, h, DIPB_BOARD_RECORD)) != NULL ||
	    (err = dipb_session_levels_used(&used, repo)) != NULL)
		goto done;
	/*
	 * The last version dipb made: what any later one made by hand is
	 * judged against (verify judges every change).  A tag board/N on
	 * a commit whose trailers are not that change's (one made by hand
	 * with git tag, dipb verify: tag-extra) is no version dipb made,
	 * whatever its number (dipb-report(1)).
	 */
	for (i = ev.n; i > 0 && ev.v[i - 1].forged; i--)
		continue;
	i = i > 0 ? i - 1 : ev.n;
	/*
	 * With two tags of its number (one made by hand with git tag,
	 * dipb verify: tag-extra), which is dipb's cannot be told, and the
	 * one taken could be a hand-made reorder's: refused, as dipb show
	 * refuses that version (dipb-report(1)).
	 */
	if (i < ev.n && (err = dipb_history_twins(&ev, i, DIPB_BOARD_FILE,
	    ", so --max-classification cannot be trusted: dipb verify tells "
	    "which one no change accounts for (tag-extra); delete that one "
	    "with git tag -d")) != NULL)
		goto done;
	for (; i < ev.n && err == NULL; i++) {
		if (ev.v[i].forged)
			continue;
		dipb_buf_clear(&buf);
		if ((err = dipb_history_read(&buf, blob, &found, h,
		    ev.v[i].commit, DIPB_BOARD_FILE, DIPB_MAX_FILE)) != NULL)
			break;
		dipb_board_init(&b);
		if (found && dipb_board_load(&b, DIPB_BOARD_FILE, buf.ptr,
		    buf.len, &diags) == 0 &&
		    (e = dipb_board_check_levels(&b.classifications,
		    &tip->classifications, &used)) != NULL) {
			err = dipb_error_fmt(DIPB_ERR_INVALID, "%s orders the "
			    "classifications unlike its version of tag %s, so "
			    "--max-classification cannot be trusted (dipb "
			    "verify: rule classification-order): %s",
			    DIPB_BOARD_FILE, ev.v[i].tag != NULL ?
			    ev.v[i].tag : ev.v[i].commit, e->msg);
			dipb_error_free(e);
		}
		dipb_board_release(&b);
		dipb_diags_release(&diags);
	}
done:
	dipb_diags_release(&diags);
	dipb_buf_release(&buf);
	dipb_strlist_release(&used);
	dipb_events_release(&ev);
	return err;
}

/*
 * The dates of the meetings recorded at the tip (meetings/<date>.yaml,
 * meeting.h), in order.
 */
static const struct dipb_error *
meeting_dates(struct dipb_strlist *out, struct dipb_repo *repo)
{
	const struct dipb_error *err = NULL;
	const struct dipb_tree_entry *e;
	struct dipb_tree *root = NULL, *dir = NULL;
	struct dipb_commit c;
	char tip[DIPB_OID_HEX + 1], date[11], *path;
	size_t i;

	dipb_repo_tip(tip, repo);
	if (tip[0] == '\0')
		return NULL;
	if ((err = dipb_git_commit_read(&c, repo, tip)) != NULL)
		return err;
	err = dipb_git_tree_read(&root, repo, c.tree);
	dipb_commit_release(&c);
	if (err != NULL)
		return err;
	e = dipb_tree_find(root, DIPB_MEETING_DIR);
	if (e != NULL && e->mode == DIPB_MODE_TREE &&
	    (err = dipb_git_tree_read(&dir, repo, e->id)) == NULL) {
		for (i = 0; i < dipb_tree_count(dir); i++) {
			e = dipb_tree_entry(dir, i);
			path = xasprintf("%s/%.*s", DIPB_MEETING_DIR,
			    (int)e->nlen, e->name);
			if (e->mode == DIPB_MODE_BLOB &&
			    dipb_meeting_path_date(date, path))
				dipb_strlist_push(out, date);
			free(path);
		}
	}
	dipb_strlist_sort(out);
	dipb_tree_free(dir);
	dipb_tree_free(root);
	return err;
}

/*
 * The meeting of date at the tip into m, and the date of the next one
 * recorded after it into next ("" when none).
 */
static const struct dipb_error *
load_meeting(struct dipb_meeting *m, char next[11], struct dipb_repo *repo,
    const struct dipb_board *b, const char *date)
{
	const struct dipb_error *err;
	struct dipb_strlist dates = DIPB_STRLIST_INIT;
	struct dipb_diags diags = DIPB_DIAGS_INIT;
	struct dipb_buf buf = DIPB_BUF_INIT;
	char *path = dipb_meeting_path(date);
	size_t i;
	int found;

	next[0] = '\0';
	if ((err = dipb_repo_read(&buf, &found, repo, path,
	    DIPB_MAX_FILE)) != NULL)
		goto done;
	if (!found) {
		err = dipb_error_fmt(DIPB_ERR_NOT_FOUND, "no meeting was "
		    "recorded on %s (dipb meeting --date %s): '%s'", date, date,
		    path);
		goto done;
	}
	if (dipb_meeting_load(m, path, buf.ptr, buf.len, &diags) != 0 ||
	    dipb_validate_meeting(&diags, path, m, NULL) > 0) {
		dipb_diags_sort(&diags);
		dipb_diags_print(stderr, &diags, DIPB_DIAG_GCC);
		err = dipb_error_fmt(DIPB_ERR_INVALID, "invalid meeting: '%s'",
		    path);
		goto done;
	}
	(void)b;
	if ((err = meeting_dates(&dates, repo)) != NULL)
		goto done;
	for (i = 0; i < dates.n; i++)
		if (strcmp(dates.v[i], date) > 0) {
			memcpy(next, dates.v[i], 11);
			break;
		}
done:
	dipb_strlist_release(&dates);
	dipb_diags_release(&diags);
	dipb_buf_release(&buf);
	free(path);
	return err;
}

/*
 * dipb.yaml at commit into *out (initialised); *found 0 when it has none.
 * One that does not load is DIPB_ERR_INVALID, its diagnostics printed:
 * what is read by that board would be judged by another's rules.
 */
static const struct dipb_error *
board_at(struct dipb_board *out, int *found, struct dipb_history *h,
    const char *commit)
{
	struct dipb_buf buf = DIPB_BUF_INIT;
	struct dipb_diags diags = DIPB_DIAGS_INIT;
	const struct dipb_error *err;
	char blob[DIPB_OID_HEX + 1];

	dipb_board_init(out);
	if ((err = dipb_history_read(&buf, blob, found, h, commit,
	    DIPB_BOARD_FILE, DIPB_MAX_FILE)) == NULL && *found &&
	    dipb_board_load(out, DIPB_BOARD_FILE, buf.ptr, buf.len,
	    &diags) != 0) {
		dipb_diags_print(stderr, &diags, DIPB_DIAG_GCC);
		err = dipb_error_fmt(DIPB_ERR_INVALID, "%s at commit %.12s "
		    "is invalid", DIPB_BOARD_FILE, commit);
	}
	dipb_diags_release(&diags);
	dipb_buf_release(&buf);
	return err;
}

/*
 * The board as of the change that recorded the meeting of date (its
 * first change meeting/<N>-held whose tree has the file, dipb-meeting(1))
 * into *out, and *found 1; 0 (out empty) when no such change recorded it
 * (a file committed with plain git).  Its attendees are named with the
 * names and roles the board gave them then (dipb-report(1)).
 */
static const struct dipb_error *
meeting_board(struct dipb_board *out, int *found, struct dipb_history *h,
    const char *date)
{
	const struct dipb_error *err;
	struct dipb_events ev;
	struct dipb_buf buf = DIPB_BUF_INIT;
	char blob[DIPB_OID_HEX + 1], *path = dipb_meeting_path(date);
	size_t i;
	int has = 0;

	*found = 0;
	dipb_board_init(out);
	dipb_events_init(&ev);
	err = dipb_history_record(&ev, h, DIPB_MEETING_RECORD);
	for (i = 0; err == NULL && !has && i < ev.n; i++) {
		/* A tag made by hand is no change that recorded it. */
		if (ev.v[i].forged)
			continue;
		dipb_buf_clear(&buf);
		err = dipb_history_read(&buf, blob, &has, h, ev.v[i].commit,
		    path, DIPB_MAX_FILE);
	}
	if (err == NULL && has) {
		dipb_board_release(out);
		err = board_at(out, found, h, ev.v[i - 1].commit);
	}
	dipb_buf_release(&buf);
	dipb_events_release(&ev);
	free(path);
	return err;
}

/*
 * The levels the notes of the meeting of date were written at, into out
 * (dipb-report(1)): those of its agenda items at each change of dipb's
 * that wrote its file, and those of the file's agenda at the tip, where
 * it is shown (dipb_history_agenda_levels); *unknown set when one is not
 * known, when no such change wrote it, or when the tip's file is not the
 * newest one wrote (a file committed or edited with plain git).
 */
static const struct dipb_error *
notes_levels(struct dipb_strlist *out, int *unknown, struct dipb_history *h,
    const char *date)
{
	const struct dipb_error *err;
	struct dipb_events ev;
	struct dipb_buf buf = DIPB_BUF_INIT;
	char now[DIPB_OID_HEX + 1], then[DIPB_OID_HEX + 1];
	char last[DIPB_OID_HEX + 1] = "", tip[DIPB_OID_HEX + 1];
	char *path = dipb_meeting_path(date);
	size_t i;
	int has, had;

	*unknown = 0;
	dipb_events_init(&ev);
	err = dipb_history_record(&ev, h, DIPB_MEETING_RECORD);
	for (i = 0; err == NULL && !*unknown && i < ev.n; i++) {
		if (ev.v[i].forged || (err = dipb_history_read(&buf, now, &has,
		    h, ev.v[i].commit, path, DIPB_MAX_FILE)) != NULL || !has)
			continue;
		had = 0;
		if (ev.v[i].parent[0] != '\0' && (err = dipb_history_read(&buf,
		    then, &had, h, ev.v[i].parent, path, DIPB_MAX_FILE)) != NULL)
			break;
		if (had && strcmp(now, then) == 0)
			continue;
		memcpy(last, now, sizeof(last));
		err = dipb_history_agenda_levels(out, unknown, h,
		    ev.v[i].commit, path, NULL);
	}
	if (err == NULL && !*unknown && last[0] != '\0' &&
	    (err = dipb_history_resolve(tip, h, "HEAD")) == NULL &&
	    (err = dipb_history_read(&buf, now, &has, h, tip, path,
	    DIPB_MAX_FILE)) == NULL && has && strcmp(now, last) == 0)
		err = dipb_history_agenda_levels(out, unknown, h, tip, path,
		    NULL);
	else if (err == NULL)
		*unknown = 1;
	dipb_buf_release(&buf);
	dipb_events_release(&ev);
	free(path);
	return err;
}

/*
 * The minutes of meeting m give each item's decision from m's date until
 * next: a record decided then and decided again since (a deferral, then
 * its agreement) has at the tip its later decision, which is not the
 * meeting's.  Each such item of tip is replaced by its latest version
 * decided in that window, read from the history, as the minutes were
 * when first made.
 */
static const struct dipb_error *
decisions_then(struct dipb_records *tip, struct dipb_history *h,
    const struct dipb_meeting *m, const char *next)
{
	const struct dipb_error *err = NULL;
	struct dipb_diags diags = DIPB_DIAGS_INIT;
	struct dipb_events ev;
	struct dipb_record then;
	const char *decided = dipb_event_name(DIPB_EVENT_DECIDED);
	size_t i, k, j;

	for (i = 0; i < tip->n && err == NULL; i++) {
		struct dipb_record *r = &tip->v[i];

		for (k = 0; k < m->agenda.s.n; k++)
			if (strcmp(m->agenda.s.v[k], r->id) == 0)
				break;
		if (k == m->agenda.s.n || r->decision == NULL ||
		    dipb_report_decided_at(r, m->date, next))
			continue;
		dipb_events_init(&ev);
		err = dipb_history_record(&ev, h, r->id);
		for (j = ev.n; err == NULL && j-- > 0;) {
			if (ev.v[j].forged || ev.v[j].event == NULL ||
			    strcmp(ev.v[j].event, decided) != 0)
				continue;
			dipb_record_init(&then);
			if ((err = dipb_history_load_version(&then, NULL,
			    &diags, h, r->id, &ev.v[j])) != NULL ||
			    !dipb_report_decided_at(&then, m->date, next)) {
				dipb_record_release(&then);
				continue;
			}
			dipb_record_release(r);
			*r = then;
			break;
		}
		dipb_events_release(&ev);
	}
	dipb_diags_release(&diags);
	return err;
}

/*
 * The board a report is judged by, into *rb: for status --until WHEN,
 * dipb.yaml at WHEN (in->then; its commit in->at), by which the records
 * of that day were made: working groups, classifications, members and
 * quorum as they were (dipb-report(1)); else, or when WHEN has none, the
 * tip's.
 */
static const struct dipb_error *
board_until(const struct dipb_board **rb, struct inputs *in,
    struct dipb_history *h, const struct dipb_board *tip,
    const struct args *a)
{
	const struct dipb_error *err;
	int found;

	*rb = tip;
	if (a->kind != STATUS || a->until == NULL)
		return NULL;
	if ((err = dipb_history_resolve(in->at, h, a->until)) != NULL ||
	    (err = board_at(&in->then, &found, h, in->at)) != NULL)
		return err;
	if (found)
		*rb = &in->then;
	return NULL;
}

/*
 * A capped report judged by the board then (board_until) trusts its
 * order of the levels only where it is the tip's, which check_order
 * judged: every level both have in the same order (dipb-report(1)).
 */
static const struct dipb_error *
check_then_order(const struct dipb_board *then, const struct dipb_board *tip)
{
	const struct dipb_error *err = NULL, *e;
	struct dipb_strlist shared = DIPB_STRLIST_INIT;
	size_t i;

	for (i = 0; i < then->classifications.n; i++)
		if (dipb_board_classification_rank(tip,
		    then->classifications.v[i]) >= 0)
			dipb_strlist_push(&shared, then->classifications.v[i]);
	if ((e = dipb_board_check_levels(&then->classifications,
	    &tip->classifications, &shared)) != NULL) {
		err = dipb_error_fmt(DIPB_ERR_INVALID, "%s at the --until "
		    "commit orders the classifications unlike the tip's, so "
		    "--max-classification cannot be trusted there: %s",
		    DIPB_BOARD_FILE, e->msg);
		dipb_error_free(e);
	}
	dipb_strlist_release(&shared);
	return err;
}

/* Gathers what report a->kind needs and builds it into *out. */

static const struct dipb_error *
build(struct dipb_report **out, struct inputs *in, struct dipb_ctx *ctx,
    struct dipb_history *h, const struct dipb_report_opts *ro,
    const struct args *a)
{
	const struct dipb_error *err = NULL;
	char next[11];
	int found, unknown = 0;

	*out = NULL;
	in->tip.board = ro->board;
	switch (a->kind) {
	case STATUS:
		/* Judged by ro->board, the board at WHEN (board_until). */
		if (a->until != NULL)
			err = dipb_history_each_record(h, in->at,
			    dipb_records_add, &in->tip);
		else
			err = dipb_records_read(&in->tip, ctx->repo);
		if (err == NULL)
			*out = dipb_report_status(ro, in->tip.v, in->tip.n,
			    a->until);
		break;
	case ACTIONS:
		if ((err = dipb_records_read(&in->tip, ctx->repo)) == NULL)
			*out = dipb_report_actions(ro, in->tip.v, in->tip.n);
		break;
	case AGENDA:
		if ((err = dipb_records_read(&in->tip, ctx->repo)) == NULL)
			*out = dipb_report_agenda(ro, in->tip.v, in->tip.n);
		break;
	case PACKAGE:
		if ((err = dipb_records_read(&in->tip, ctx->repo)) != NULL ||
		    (err = package_items(&in->sub, &in->items, &in->strs,
		    &in->nstrs, h, &in->tip, a->ref)) != NULL)
			break;
		if (in->sub.n == 0)
			err = dipb_error_fmt(DIPB_ERR_NOT_FOUND,
			    "no recommendation was submitted under '%s'",
			    a->ref);
		else
			*out = dipb_report_package(ro, a->ref, in->items,
			    in->sub.n);
		break;
	case MINUTES:
		if (a->meeting != NULL) {
			if ((err = load_meeting(&in->meeting, next, ctx->repo,
			    ro->board, a->meeting)) == NULL &&
			    (err = meeting_board(&in->then, &found, h,
			    a->meeting)) == NULL &&
			    (err = dipb_records_read(&in->tip, ctx->repo)) ==
			    NULL && (err = decisions_then(&in->tip, h,
			    &in->meeting, next[0] != '\0' ? next : NULL)) ==
			    NULL && (err = notes_levels(&in->notes,
			    &unknown, h, a->meeting)) == NULL)
				*out = dipb_report_meeting(ro, &in->meeting,
				    next[0] != '\0' ? next : NULL, in->tip.v,
				    in->tip.n, found ? &in->then : ro->board,
				    &in->notes, unknown);
			break;
		}
		/* Under a maximum, what plain git's subjects were written at. */
		if ((err = dipb_history_window(&in->ev, h, a->since, a->until,
		    DIPB_HISTORY_LEVELS | (ro->max_classification != NULL ?
		    DIPB_HISTORY_PLAIN_LEVELS : 0))) != NULL)
			break;
		if (in->ev.end[0] != '\0' &&
		    (err = records_at(&in->tip, &in->unread, h, in->ev.end,
		    &in->ev)) != NULL)
			break;
		*out = dipb_report_minutes(ro, a->since, a->until, in->ev.v,
		    in->ev.n, in->tip.v, in->tip.n, &in->unread);
		break;
	}
	return err;
}

const struct dipb_error *
cmd_report(int argc, char **argv, struct dipb_ctx *ctx)
{
	struct dipb_session s;
	struct inputs in;
	struct args a;
	struct dipb_history *h = NULL;
	struct dipb_report *rep = NULL;
	struct dipb_report_opts ro;
	const struct dipb_board *rb = NULL;
	struct dipb_buf out = DIPB_BUF_INIT;
	const struct dipb_error *err = NULL;

	if ((err = parse_args(&a, argc, argv)) != NULL)
		return err;
	memset(&s, 0, sizeof(s));
	memset(&in, 0, sizeof(in));
	dipb_events_init(&in.ev);
	dipb_board_init(&in.then);
	dipb_board_init(&s.board);
	if ((err = dipb_ctx_open(ctx)) != NULL)
		return err;
	if ((err = dipb_session_open(&s, ctx->repo)) != NULL ||
	    (err = dipb_history_open(&h, ctx->repo)) != NULL ||
	    (err = board_until(&rb, &in, h, &s.board, &a)) != NULL ||
	    (err = check_max(rb, a.maxc)) != NULL ||
	    (a.maxc != NULL &&
	    (err = check_order(ctx->repo, h, &s.board)) != NULL) ||
	    (a.maxc != NULL && rb != &s.board &&
	    (err = check_then_order(rb, &s.board)) != NULL))
		goto done;
	memset(&ro, 0, sizeof(ro));
	ro.board = rb;
	ro.title = a.title;
	ro.today = a.today;
	ro.max_classification = a.maxc;
	ro.version = DIPB_VERSION;
	ro.parts = dipb_report_parts(a.format);
	if ((err = build(&rep, &in, ctx, h, &ro, &a)) != NULL)
		goto done;

	dipb_report_render(&out, rep, a.format);
	if (a.file != NULL) {
		/* Never through a link: dipb-report(1), -o. */
		if ((err = dipb_write_file_atomic(a.file,
		    dipb_repo_workdir(ctx->repo), dipb_buf_cstr(&out),
		    out.len, 0644)) != NULL)
			goto done;
	} else if (fwrite(dipb_buf_cstr(&out), 1, out.len, stdout) !=
	    out.len) {
		err = dipb_error_from_errno("standard output");
		goto done;
	}
	if (in.tip.invalid > 0)
		err = dipb_error_fmt(DIPB_ERR_INVALID,
		    "%zu invalid record%s left out", in.tip.invalid,
		    in.tip.invalid == 1 ? "" : "s");
done:
	dipb_buf_release(&out);
	dipb_report_free(rep);
	dipb_diags_print(stderr, &in.tip.diags, DIPB_DIAG_GCC);
	inputs_release(&in);
	dipb_history_close(h);
	dipb_diags_print(stderr, &s.diags, DIPB_DIAG_GCC);
	dipb_session_end(&s);
	return err;
}

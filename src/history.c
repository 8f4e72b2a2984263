/*
 * history.c - the history of the board read back from git (history.h),
 * through the reading half of repo.h (src/git/): commits, tags, trees
 * and walks in dipb's types.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "board.h"
#include "date.h"
#include "error.h"
#include "hashmap.h"
#include "history.h"
#include "meeting.h"
#include "record.h"
#include "state.h"
#include "text.h"
#include "trailer.h"
#include "window.h"

struct tagent {
	char		 commit[DIPB_OID_HEX + 1];
	char		*name;		/* "IC-0007/3-reviewed" */
	unsigned long	 n;
};

/* A record's tags, as name_tag looks them up. */
struct rectags {
	struct tagent	*v;
	size_t		 n;
};

struct dipb_history {
	struct dipb_repo *repo;		/* borrowed */
	struct dipb_hashmap tags;	/* record id -> its struct rectags */
};

/* --- Messages ---------------------------------------------------------- */

/*
 * The cleaned value of the first Dipb-Record trailer, NULL when there is
 * none: a commit that names two records (no change of dipb's, which
 * verify reports) is shown under the first, as git log
 * --format=%(trailers) lists it first, never the last one alone.
 */
static char *
first_record(const struct dipb_trailers *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (strcasecmp(t->v[i].key, "Dipb-Record") == 0)
			return dipb_text_clean(t->v[i].value,
			    strlen(t->v[i].value));
	return NULL;
}

/* The cleaned value of the last trailer key, NULL when there is none. */
static char *
trailer(const struct dipb_trailers *t, const char *key)
{
	const char *v;

	if (dipb_trailers_get(&v, t, key) == 0)
		return NULL;
	return dipb_text_clean(v, strlen(v));
}

char *
dipb_message_subject(const char *msg, size_t len)
{
	char *raw = dipb_message_title(NULL, msg, len);
	char *subject = dipb_text_clean(raw, strlen(raw));

	free(raw);
	return subject;
}

void
dipb_message_parse(struct dipb_message *m, const char *msg)
{
	const char *body;
	struct dipb_trailers t;
	char *v, *arrow;
	size_t len, n;

	memset(m, 0, sizeof(*m));
	if (msg == NULL)
		msg = "";
	len = strlen(msg);
	v = dipb_message_title(NULL, msg, len);
	m->subject = dipb_text_clean_keep_bidi(v, strlen(v));
	free(v);

	/* The trailers, by git's rules (trailer.h); the body is before. */
	dipb_trailers_parse(&t, msg, len);
	m->record = first_record(&t);
	m->event = trailer(&t, "Dipb-Event");
	if ((v = trailer(&t, "Dipb-Status")) != NULL &&
	    (arrow = strstr(v, " -> ")) != NULL) {
		m->status_from = xstrndup(v, (size_t)(arrow - v));
		m->status_to = xstrdup(arrow + 4);
	}
	free(v);
	body = dipb_message_body(&n, msg, len, &t);
	if (n > 0)
		m->body = dipb_text_clean_keep_bidi(body, n);
	dipb_trailers_release(&t);
}

void
dipb_message_release(struct dipb_message *m)
{
	free(m->subject);
	free(m->body);
	free(m->record);
	free(m->event);
	free(m->status_from);
	free(m->status_to);
	memset(m, 0, sizeof(*m));
}

/* --- Events ------------------------------------------------------------ */

void
dipb_events_init(struct dipb_events *l)
{
	memset(l, 0, sizeof(*l));
}

static void
event_release(struct dipb_event *e)
{
	free(e->tag);
	free(e->author_name);
	free(e->author_email);
	free(e->record);
	free(e->event);
	free(e->status_from);
	free(e->status_to);
	free(e->subject);
	free(e->comment);
	free(e->level);
	dipb_strlist_release(&e->paths);
	dipb_strlist_release(&e->levels);
}

void
dipb_events_release(struct dipb_events *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		event_release(&l->v[i]);
	free(l->v);
	dipb_events_init(l);
}

static struct dipb_event *
events_add(struct dipb_events *l)
{
	struct dipb_event *e;

	xgrow((void **)&l->v, &l->cap, l->n + 1, sizeof(*l->v));
	e = &l->v[l->n++];
	memset(e, 0, sizeof(*e));
	return e;
}

/* Fills e (zeroed) from commit c: who, when, the message's parts. */
static void
fill_event(struct dipb_event *e, const struct dipb_commit *c)
{
	struct dipb_message m;

	memcpy(e->commit, c->id, sizeof(e->commit));
	memcpy(e->parent, c->parent, sizeof(e->parent));
	e->time = c->author_time;
	e->offset = c->author_offset;
	e->zone = c->author_zone;
	dipb_date_ymd(e->date, e->time, e->offset);
	dipb_line_day(e->landed, c);
	e->author_name = dipb_text_clean_keep_bidi(c->author_name,
	    strlen(c->author_name));
	e->author_email = dipb_text_clean(c->author_email,
	    strlen(c->author_email));
	dipb_message_parse(&m, c->message);
	e->subject = m.subject;
	e->comment = m.body;
	e->record = m.record;
	e->event = m.event;
	e->status_from = m.status_from;
	e->status_to = m.status_to;
	e->plain = e->record == NULL;
}

/*
 * N of "<N>-<event>", what follows "<record>/" in a tag name, as
 * dipb_tag_suffix reads it; 0 when s is of another form, a tag that is no
 * version.  *event points into s.
 */
static unsigned long
tag_suffix(const char *s, const char **event)
{
	unsigned long n;
	size_t ev;

	if ((n = dipb_tag_suffix(s, strlen(s), &ev)) != 0)
		*event = s + ev;
	return n;
}

/* By N, then (two tags of one N: dipb_history_unique) by name. */
static int
cmp_n(const void *a, const void *b)
{
	const struct dipb_event *x = a, *y = b;

	if (x->n != y->n)
		return x->n < y->n ? -1 : 1;
	return strcmp(x->tag, y->tag);
}

/* --- Open, close -------------------------------------------------------- */

const struct dipb_error *
dipb_history_open(struct dipb_history **out, struct dipb_repo *repo)
{
	struct dipb_history *h;

	*out = NULL;
	h = xcalloc(1, sizeof(*h));
	h->repo = repo;
	*out = h;
	return NULL;
}

static void
rectags_free(void *p)
{
	struct rectags *t = p;
	size_t i;

	for (i = 0; i < t->n; i++)
		free(t->v[i].name);
	free(t->v);
	free(t);
}

void
dipb_history_close(struct dipb_history *h)
{
	if (h == NULL)
		return;
	dipb_hashmap_release(&h->tags, rectags_free);
	free(h);
}

/* --- One record, from its tags ----------------------------------------- */

const struct dipb_error *
dipb_history_record(struct dipb_events *out, struct dipb_history *h,
    const char *id)
{
	const struct dipb_error *err = NULL, *why;
	struct dipb_tagrefs refs = { NULL, 0, 0 };
	struct dipb_commit c;
	struct dipb_event *e;
	const char *name, *ev;
	char commit[DIPB_OID_HEX + 1], *folder;
	size_t first = out->n, plen = strlen(id) + 1, i;
	unsigned long n;
	int found;

	folder = xasprintf("%s/", id);
	if ((err = dipb_git_tags_in(&refs, h->repo, folder)) != NULL)
		goto done;
	for (i = 0; i < refs.n; i++) {
		name = refs.v[i].name;
		if (strlen(name) <= plen || (n = tag_suffix(name + plen,
		    &ev)) == 0)
			continue;
		/*
		 * A tag moved by hand onto a tree or a blob is no version,
		 * nor is a broken ref that names nothing (dipb-git(7)):
		 * left out, as in a window (record_tags), so that the
		 * record's other versions stay readable; dipb verify
		 * reports it (tag-moved).
		 */
		if ((err = dipb_git_tagref_commit(commit, &found, h->repo,
		    &refs.v[i])) != NULL)
			goto fail;
		if (!found)
			continue;
		if ((err = dipb_git_commit_read(&c, h->repo, commit)) != NULL)
			goto fail;
		e = events_add(out);
		fill_event(e, &c);
		dipb_commit_release(&c);
		e->tag = xstrdup(name);
		e->n = n;
		/*
		 * A tag is a change of the record only on a commit whose
		 * trailers say so: git tag puts any name on any commit, a
		 * plain git one too (dipb-verify(1): tag-extra).
		 */
		e->forged = e->record == NULL || e->event == NULL ||
		    strcmp(e->record, id) != 0 || strcmp(e->event, ev) != 0;
		/* The tag says what it is when the message does not. */
		if (e->record == NULL)
			e->record = xstrdup(id);
		if (e->event == NULL)
			e->event = xstrdup(ev);
		e->plain = 0;
	}
	if (out->n - first > 1)
		qsort(out->v + first, out->n - first, sizeof(*out->v), cmp_n);
	goto done;
fail:
	why = err;
	err = dipb_error_fmt(DIPB_ERR_GIT, "cannot read tag '%s': %s", name,
	    why->msg);
	dipb_error_free(why);
done:
	dipb_tagrefs_release(&refs);
	free(folder);
	return err;
}

static const struct dipb_error *level_read(char **out, int *absent,
	    struct dipb_history *, const char *commit, const char *id);

/*
 * The level event e (of record e->record, a dipb commit) had its comment
 * written at, into e->level: the record's classification at its commit,
 * or for a declassified event at the commit's first parent, the level it
 * lowered the record from (dipb-report(1)), as the file there says, not
 * the subject, which is any text.  Neither the order of the walk nor the
 * history's shape (a branch merged later, a level lowered by plain git)
 * changes what it was then.
 */
static const struct dipb_error *
event_level(struct dipb_history *h, struct dipb_event *e, int declassified)
{
	if (!declassified)
		return dipb_history_level_at(&e->level, h, e->commit,
		    e->record);
	if (e->parent[0] == '\0')
		return NULL;
	return dipb_history_level_at(&e->level, h, e->parent, e->record);
}

/*
 * The level of record id at commit (hex; "" for none: nothing read), into
 * plain event e's levels; e->levels_unknown set when a record file is
 * there whose level is not known (dipb_history_level_at).
 */
static const struct dipb_error *
plain_level(struct dipb_history *h, struct dipb_event *e, const char *commit,
    const char *id)
{
	const struct dipb_error *err;
	char *level;
	int absent;

	if (commit[0] == '\0')
		return NULL;
	if ((err = level_read(&level, &absent, h, commit, id)) != NULL)
		return err;
	if (level != NULL)
		dipb_strlist_push_owned(&e->levels, level);
	else if (!absent)
		e->levels_unknown = 1;
	return NULL;
}

/*
 * DIPB_HISTORY_PLAIN_LEVELS: the levels of the records plain git commit e
 * changed, at the commit and at its first parent (its subject may tell
 * what it removed), into e->levels, until one is not known.  A path that
 * is no record's place is left to the reader (no id to read).  Each is
 * looked up alone (dipb_history_read_record): no folder is read whole.
 */
static const struct dipb_error *
plain_levels(struct dipb_history *h, struct dipb_event *e)
{
	const struct dipb_error *err = NULL;
	const char *at[2], *p;
	char id[DIPB_MAX_ID + 1];
	size_t i, k;

	at[0] = e->commit;
	at[1] = e->parent;
	for (k = 0; k < 2; k++)
		for (i = 0; err == NULL && !e->levels_unknown &&
		    i < e->paths.n; i++) {
			p = e->paths.v[i];
			if (dipb_record_path_parse(p, strlen(p), id, NULL) == 0)
				err = plain_level(h, e, at[k], id);
		}
	return err;
}

/*
 * The level of agenda item id at commit, and at also too unless it is
 * NULL or "", pushed onto out; *unknown set when one is not known.
 */
static const struct dipb_error *
agenda_level(struct dipb_strlist *out, int *unknown, struct dipb_history *h,
    const char *commit, const char *id, const char *also)
{
	const struct dipb_error *err;
	char *level;
	int absent, k;

	for (k = 0; k < 2; k++) {
		if (k == 1 && (also == NULL || also[0] == '\0'))
			break;
		if ((err = level_read(&level, &absent, h, k == 0 ? commit :
		    also, id)) != NULL)
			return err;
		if (level == NULL) {
			*unknown = 1;
			break;
		}
		dipb_strlist_push_owned(out, level);
	}
	return NULL;
}

/*
 * The levels of the agenda items of the meeting file at path (a
 * meeting's, meeting.h) at commit (hex), each as its record's file there
 * says, pushed onto out; *unknown set when one is not known, when a record
 * has no file there, or when the meeting file is not there or does not
 * load: what cannot be judged is left out under a maximum.
 */
const struct dipb_error *
dipb_history_agenda_levels(struct dipb_strlist *out, int *unknown,
    struct dipb_history *h, const char *commit, const char *path,
    const char *also)
{
	const struct dipb_error *err;
	struct dipb_buf buf = DIPB_BUF_INIT;
	struct dipb_diags diags = DIPB_DIAGS_INIT;
	struct dipb_meeting m;
	char blob[DIPB_OID_HEX + 1];
	size_t i;
	int found;

	dipb_meeting_init(&m);
	err = dipb_history_read(&buf, blob, &found, h, commit, path,
	    DIPB_MAX_FILE);
	if (err != NULL && err->code == DIPB_ERR_TOO_LARGE) {
		dipb_error_free(err);
		err = NULL;
		found = 0;
	}
	if (err == NULL && (!found || dipb_meeting_load(&m, path, buf.ptr,
	    buf.len, &diags) != 0))
		*unknown = 1;
	for (i = 0; err == NULL && !*unknown && i < m.agenda.s.n; i++)
		err = agenda_level(out, unknown, h, commit, m.agenda.s.v[i],
		    also);
	dipb_meeting_release(&m);
	dipb_diags_release(&diags);
	dipb_buf_release(&buf);
	return err;
}

/* The tree id (hex) of the folder name at the top of commit's tree into
 * out, "" when there is none. */
static const struct dipb_error *
top_folder(char out[DIPB_OID_HEX + 1], struct dipb_history *h,
    const char *commit, const char *name)
{
	const struct dipb_error *err;
	const struct dipb_tree_entry *e;
	struct dipb_commit c;
	struct dipb_tree *t = NULL;

	out[0] = '\0';
	if (commit[0] == '\0')
		return NULL;
	if ((err = dipb_git_commit_read(&c, h->repo, commit)) != NULL)
		return err;
	err = dipb_git_tree_read(&t, h->repo, c.tree);
	dipb_commit_release(&c);
	if (err == NULL && (e = dipb_tree_find(t, name)) != NULL &&
	    e->mode == DIPB_MODE_TREE)
		memcpy(out, e->id, DIPB_OID_HEX + 1);
	dipb_tree_free(t);
	return err;
}

/*
 * A meeting's change e: the levels of the agenda items of each meeting
 * file it changed, at its commit (at its parent for a file it removed)
 * and at end, the window's newest commit (a level raised since, as a
 * record's comment is ranked), into e->levels
 * (dipb_history_agenda_levels): its comment is the meeting's notes
 * (dipb-meeting(1)).  One that changed no meeting file is not known.
 */
static const struct dipb_error *
meeting_levels(struct dipb_history *h, struct dipb_event *e, const char *end)
{
	const struct dipb_error *err;
	struct dipb_tree_changes chs = { NULL, 0, 0 };
	char old[DIPB_OID_HEX + 1], new[DIPB_OID_HEX + 1], date[11], *path;
	size_t i, n = 0;

	if ((err = top_folder(old, h, e->parent, DIPB_MEETING_DIR)) != NULL ||
	    (err = top_folder(new, h, e->commit, DIPB_MEETING_DIR)) != NULL)
		return err;
	if (strcmp(old, new) != 0)
		err = dipb_git_tree_diff(&chs, h->repo, old, new);
	for (i = 0; err == NULL && !e->levels_unknown && i < chs.n; i++) {
		path = xasprintf("%s/%s", DIPB_MEETING_DIR, chs.v[i].path);
		if (dipb_meeting_path_date(date, path)) {
			n++;
			err = dipb_history_agenda_levels(&e->levels,
			    &e->levels_unknown, h, chs.v[i].new_mode != 0 ?
			    e->commit : e->parent, path, end);
		}
		free(path);
	}
	if (err == NULL && n == 0)
		e->levels_unknown = 1;
	dipb_tree_changes_release(&chs);
	return err;
}

/*
 * The board's or a meeting's change e (a trailer other than a record's
 * id): the levels of the records it changed, as plain git's
 * (plain_levels): a change that says it is the board's may be any
 * commit; and a meeting's, those of its agenda (meeting_levels).
 */
static const struct dipb_error *
board_levels(struct dipb_history *h, struct dipb_event *e, const char *end)
{
	const struct dipb_error *err;

	if ((err = plain_levels(h, e)) != NULL || e->comment == NULL ||
	    e->levels_unknown || strcmp(e->record, DIPB_MEETING_RECORD) != 0)
		return err;
	return meeting_levels(h, e, end);
}

/*
 * DIPB_HISTORY_LEVELS: the level of the events of l (newest first) that
 * the minutes rank, read oldest first: each with a comment, and each
 * declassified one of a record with an older comment in l (which it
 * raises); no other is read, so that a window of changes with no comment
 * costs nothing more; and those of the board's and meetings' changes
 * (board_levels).  DIPB_HISTORY_PLAIN_LEVELS: and the levels of each
 * plain git commit's records (plain_levels).
 */
static const struct dipb_error *
fill_levels(struct dipb_history *h, struct dipb_events *l, unsigned flags)
{
	const struct dipb_error *err = NULL;
	struct dipb_hashmap commented = DIPB_HASHMAP_INIT;
	struct dipb_event *e;
	size_t i;
	int decl;

	for (i = l->n; err == NULL && i-- > 0; ) {
		e = &l->v[i];
		if (e->plain && (flags & DIPB_HISTORY_PLAIN_LEVELS))
			err = plain_levels(h, e);
		else if (!e->plain && !dipb_id_valid(e->record))
			err = board_levels(h, e, l->end);
		/* A record's change: not the board's, a meeting's. */
		if (e->plain || e->event == NULL || !dipb_id_valid(e->record))
			continue;
		decl = strcmp(e->event,
		    dipb_event_name(DIPB_EVENT_DECLASSIFIED)) == 0;
		if (e->comment != NULL || (decl &&
		    dipb_hashmap_get(&commented, e->record) != NULL))
			err = event_level(h, e, decl);
		if (e->comment != NULL)
			dipb_hashmap_put(&commented, e->record, e);
	}
	dipb_hashmap_release(&commented, NULL);
	return err;
}

/* --- Tags of every record, for a window --------------------------------- */

/*
 * By commit, so that name_tag finds a commit's tags by a binary search
 * rather than reading all the record's tags for each of its changes (a
 * window quadratic in them); then by number, then by name:
 * "IC-0001/9-edited" before a hand-made "IC-0001/10-edited" on the same
 * commit, though strcmp puts "10" first.
 */
static int
cmp_tagent(const void *a, const void *b)
{
	const struct tagent *x = a, *y = b;
	int c;

	if ((c = strcmp(x->commit, y->commit)) != 0)
		return c;
	if (x->n != y->n)
		return x->n < y->n ? -1 : 1;
	return strcmp(x->name, y->name);
}

/*
 * The tags of record (its folder refs/tags/<record>/, looked up once by
 * prefix, not every tag of the board), with the commit each points to.
 */
static const struct dipb_error *
record_tags(const struct rectags **out, struct dipb_history *h,
    const char *record)
{
	const struct dipb_error *err;
	struct dipb_tagrefs refs = { NULL, 0, 0 };
	struct rectags *t;
	const char *name, *ev;
	char *folder;
	size_t cap = 0, i, plen = strlen(record) + 1;
	unsigned long n;
	int found;

	if ((*out = dipb_hashmap_get(&h->tags, record)) != NULL)
		return NULL;
	folder = xasprintf("%s/", record);
	err = dipb_git_tags_in(&refs, h->repo, folder);
	free(folder);
	if (err != NULL) {
		dipb_tagrefs_release(&refs);
		return err;
	}
	t = xcalloc(1, sizeof(*t));
	for (i = 0; i < refs.n; i++) {
		/* What follows "<record>/" whole: IC-0001/a/1-drafted is none. */
		name = refs.v[i].name;
		if (strlen(name) <= plen || (n = tag_suffix(name + plen,
		    &ev)) == 0)
			continue;
		xgrow((void **)&t->v, &cap, t->n + 1, sizeof(*t->v));
		/* The tag's commit, peeled from its objects (repo.h). */
		if ((err = dipb_git_tagref_commit(t->v[t->n].commit, &found,
		    h->repo, &refs.v[i])) != NULL)
			break;
		if (!found)
			continue;
		t->v[t->n].name = xstrdup(name);
		t->v[t->n].n = n;
		t->n++;
	}
	dipb_tagrefs_release(&refs);
	if (err != NULL) {
		rectags_free(t);
		return err;
	}
	/*
	 * A commit's tags side by side, the first by number first
	 * (name_tag).  A record without tags (a clone made with --no-tags)
	 * has no array: qsort takes none, even of no entries.
	 */
	if (t->n > 1)
		qsort(t->v, t->n, sizeof(*t->v), cmp_tagent);
	dipb_hashmap_put(&h->tags, record, t);
	*out = t;
	return NULL;
}

/* The event of tag name t ("IC-0003/3-reviewed" gives "reviewed"). */
static const char *
tag_event(const char *t)
{
	const char *slash = strchr(t, '/'), *ev = NULL;

	if (slash == NULL || tag_suffix(slash + 1, &ev) == 0)
		return "";
	return ev;
}

/*
 * Names e's tag: one of its record's tags on its commit.  Of two there (one
 * made by hand with git tag, dipb verify: tag-extra, such as IC-0001/2-edited
 * beside IC-0001/2-review-requested), the one of the change's own event,
 * the tag dipb made; else the first by number.  Of two of its event (a
 * copy made by hand, IC-0001/10-edited beside IC-0001/9-edited), the one
 * of the lower number: dipb made it, numbered as the record's next
 * version when the change was made, and dipb verify reports a later copy
 * (tag-extra), not it.
 */
static const struct dipb_error *
name_tag(struct dipb_history *h, struct dipb_event *e, const char *id)
{
	const struct dipb_error *err;
	const struct rectags *t;
	const struct tagent *pick = NULL;
	size_t i, lo = 0, hi, mid;

	if ((err = record_tags(&t, h, e->record)) != NULL)
		return err;
	/* The first of the commit's tags (record_tags sorted them). */
	hi = t->n;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(t->v[mid].commit, id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (i = lo; i < t->n && strcmp(t->v[i].commit, id) == 0; i++) {
		if (pick == NULL)
			pick = &t->v[i];
		if (e->event != NULL &&
		    strcmp(tag_event(t->v[i].name), e->event) == 0) {
			pick = &t->v[i];
			break;
		}
	}
	if (pick != NULL) {
		e->tag = xstrdup(pick->name);
		e->n = pick->n;
	}
	return NULL;
}

/* --- Trees --------------------------------------------------------------- */

/*
 * The record files and dipb.yaml that commit c changed against its first
 * parent (against nothing for a root commit), sorted.
 */
static const struct dipb_error *
changed_paths(struct dipb_strlist *out, struct dipb_repo *repo,
    const struct dipb_commit *c)
{
	const struct dipb_error *err;
	struct dipb_tree_changes chs = { NULL, 0, 0 };
	struct dipb_commit parent;
	const char *ptree = "";
	size_t i, n, dl = strlen(DIPB_RECORD_DIR);
	char *path;

	memset(&parent, 0, sizeof(parent));
	if (c->nparents > 0) {
		if ((err = dipb_git_commit_read(&parent, repo,
		    c->parent)) != NULL) {
			dipb_error_free(err);
			return dipb_error_fmt(DIPB_ERR_GIT, "cannot read a "
			    "commit's parent");
		}
		ptree = parent.tree;
	}
	err = dipb_git_tree_diff(&chs, repo, ptree, c->tree);
	for (i = 0; err == NULL && i < chs.n; i++) {
		path = chs.v[i].path;
		n = strlen(path);
		if (n > 0 && path[n - 1] == '/')
			path[--n] = '\0';	/* folders are named bare here */
		if (strcmp(path, DIPB_BOARD_FILE) == 0 ||
		    (strncmp(path, DIPB_RECORD_DIR, dl) == 0 &&
		    (path[dl] == '\0' || path[dl] == '/')))
			dipb_strlist_push_owned(out, dipb_text_clean_line(path));
	}
	dipb_strlist_sort(out);
	dipb_tree_changes_release(&chs);
	dipb_commit_release(&parent);
	return err;
}

/* --- Revisions and dates ------------------------------------------------- */

/* The commit a revision names; DIPB_ERR_USAGE when it names none. */
static const struct dipb_error *
resolve_rev(char out[DIPB_OID_HEX + 1], struct dipb_repo *repo,
    const char *when)
{
	const struct dipb_error *err;

	if ((err = dipb_git_resolve(out, repo, when)) == NULL ||
	    err->code != DIPB_ERR_NOT_FOUND)
		return err;
	dipb_error_free(err);
	return dipb_error_fmt(DIPB_ERR_USAGE,
	    "not a date (YYYY-MM-DD), tag or revision: '%s'", when);
}

/* Starts walk at until (a revision) or at HEAD; *empty when unborn. */
static const struct dipb_error *
walk_start(struct dipb_walk *walk, struct dipb_repo *repo, const char *until,
    int *empty)
{
	const struct dipb_error *err;
	char id[DIPB_OID_HEX + 1];

	*empty = 0;
	if (until != NULL && !dipb_date_valid(until)) {
		if ((err = resolve_rev(id, repo, until)) != NULL)
			return err;
		return dipb_walk_push(walk, id, NULL);
	}
	return dipb_walk_push(walk, NULL, empty);
}

/* What a window reads and where it puts it (dipb_history_window). */
struct window {
	struct dipb_history	*h;
	struct dipb_events	*out;
	unsigned		 flags;
	int			 by_rev;	/* since is a revision: */
	struct dipb_hashmap	 after;		/* the commits after it */
};

/*
 * Commit c, landed on day landed, into the window: merges are skipped
 * (what they merge is listed itself), plain git commits that changed no
 * record or dipb.yaml too.
 */
static const struct dipb_error *
window_add(struct window *w, const struct dipb_commit *c,
    const char landed[11])
{
	const struct dipb_error *err;
	struct dipb_strlist paths = DIPB_STRLIST_INIT;
	struct dipb_event *e;

	if (c->nparents > 1)
		return NULL;
	e = events_add(w->out);
	fill_event(e, c);
	memcpy(e->landed, landed, sizeof(e->landed));
	if (!e->plain && (w->flags & DIPB_HISTORY_TAGS) &&
	    (err = name_tag(w->h, e, c->id)) != NULL)
		return err;
	/* The board's and meetings' too, for their levels. */
	if (!e->plain && (!(w->flags & DIPB_HISTORY_LEVELS) ||
	    dipb_id_valid(e->record)))
		return NULL;
	if ((err = changed_paths(&paths, w->h->repo, c)) != NULL) {
		dipb_strlist_release(&paths);
		return err;
	}
	if (paths.n == 0 && e->plain) {
		event_release(e);
		w->out->n--;
	} else
		e->paths = paths;
	return NULL;
}

/* dipb_line_walk's each: commit c of the line into the window. */
static const struct dipb_error *
window_line(void *arg, const struct dipb_commit *c,
    struct dipb_line_commit *lc)
{
	const struct dipb_error *err = NULL;
	struct window *w = arg;

	if (lc->in)
		err = window_add(w, c, lc->landed);
	lc->at = w->out->n;
	return err;
}

/*
 * The events of out from first on, those of line l's commits (up to
 * lines) then what its merges brought in, put in order: after each
 * merge's place, at, what it brought in, from end back to at.
 */
static void
interleave(struct dipb_events *out, size_t first, size_t lines,
    const struct dipb_line *l)
{
	struct dipb_event *v;
	size_t i, n, k = first, from = first, merged = lines;

	v = xcalloc(out->cap, sizeof(*v));
	memcpy(v, out->v, first * sizeof(*v));
	for (i = 0; i < l->n; i++) {
		n = l->v[i].at - from;
		memcpy(&v[k], &out->v[from], n * sizeof(*v));
		k += n;
		from = l->v[i].at;
		n = l->v[i].end - merged;
		memcpy(&v[k], &out->v[merged], n * sizeof(*v));
		k += n;
		merged = l->v[i].end;
	}
	free(out->v);
	out->v = v;
}

/*
 * What each merge of line l in the window brought in (dipb_line_merged)
 * into it, landed on the merge's day whenever made (dipb-log(1)), after
 * the merge's place, the line's events being from first on: each read
 * only now, to be listed.
 */
static const struct dipb_error *
window_merged(struct window *w, struct dipb_line *l, size_t first)
{
	const struct dipb_error *err = NULL;
	struct dipb_line_commit *lc;
	struct dipb_commit c;
	const char *id;
	size_t i, j, lines = w->out->n;

	for (i = 0; i < l->n; i++) {
		lc = &l->v[i];
		for (j = 0; err == NULL && lc->in && j < lc->nmerged; j++) {
			id = l->merged[lc->merged + j];
			if (w->by_rev && !dipb_hashmap_get(&w->after, id))
				continue;
			if ((err = dipb_git_commit_read(&c, w->h->repo,
			    id)) == NULL)
				err = window_add(w, &c, lc->landed);
			dipb_commit_release(&c);
		}
		lc->end = w->out->n;
	}
	if (err == NULL && w->out->n > lines)
		interleave(w->out, first, lines, l);
	return err;
}

/*
 * w->after: the commits of the window of until (walk_start) not in
 * since's history.
 */
static const struct dipb_error *
window_after(struct window *w, const char *until, const char *since)
{
	const struct dipb_error *err;
	struct dipb_walk *walk = NULL;
	char id[DIPB_OID_HEX + 1];
	int done = 0, empty;

	w->by_rev = 1;
	if ((err = dipb_git_walk_new(&walk, w->h->repo)) != NULL)
		return err;
	if ((err = walk_start(walk, w->h->repo, until, &empty)) == NULL &&
	    (err = resolve_rev(id, w->h->repo, since)) == NULL)
		err = dipb_walk_hide(walk, id);
	while (err == NULL && (err = dipb_walk_next(id, &done,
	    walk)) == NULL && !done)
		dipb_hashmap_put(&w->after, id, w);
	dipb_walk_free(walk);
	return err;
}

/*
 * The window along the branch's own line (git log --first-parent), each
 * commit of it landed on its day (dipb_line_day), as dipb_history_resolve
 * reads it, and the commits a merge of it brought in on the merge's: so
 * that a window written again later, after a merge of older commits,
 * lists the same changes, and ends at the state dipb report status
 * --until gives (dipb-log(1)).  A date ends the walk at five commits of
 * the line in a row before it; what a merge in the window brought in is
 * walked whole, however old, by one walk for the window (window.h).
 */
const struct dipb_error *
dipb_history_window(struct dipb_events *out, struct dipb_history *h,
    const char *since, const char *until, unsigned flags)
{
	const struct dipb_error *err = NULL;
	struct window w = { h, out, flags, 0, DIPB_HASHMAP_INIT };
	struct dipb_line l;
	struct dipb_line_window win = { NULL, 0, NULL, NULL, window_line,
	    NULL };
	struct dipb_walk *walk = NULL;
	size_t first = out->n;
	int empty;

	memset(&l, 0, sizeof(l));
	win.arg = &w;
	out->end[0] = '\0';
	if ((err = dipb_git_walk_new(&walk, h->repo)) != NULL)
		return err;
	if ((err = walk_start(walk, h->repo, until, &empty)) != NULL ||
	    empty || (err = dipb_walk_first_parent(walk)) != NULL)
		goto done;
	if (since != NULL && dipb_date_valid(since) &&
	    dipb_date_midnight_utc(&win.bound, since) == 0) {
		win.from = since;
		/* Midnight in the zone furthest east (UTC+14). */
		win.bound -= 14 * 3600;
	} else if (since != NULL &&
	    (err = window_after(&w, until, since)) != NULL)
		goto done;
	win.to = until != NULL && dipb_date_valid(until) ? until : NULL;
	win.after = w.by_rev ? &w.after : NULL;
	if ((err = dipb_line_walk(&l, walk, h->repo, &win)) == NULL &&
	    (err = dipb_line_merged(&l, h->repo)) == NULL)
		err = window_merged(&w, &l, first);
	if (l.n > 0)
		memcpy(out->end, l.v[0].id, sizeof(out->end));
	if (err == NULL && (flags & (DIPB_HISTORY_LEVELS |
	    DIPB_HISTORY_PLAIN_LEVELS)))
		err = fill_levels(h, out, flags);
done:
	dipb_line_release(&l);
	dipb_hashmap_release(&w.after, NULL);
	dipb_walk_free(walk);
	return err;
}

const struct dipb_error *
dipb_history_resolve(char out[DIPB_OID_HEX + 1], struct dipb_history *h,
    const char *when)
{
	const struct dipb_error *err, *e;
	struct dipb_commit c;
	char id[DIPB_OID_HEX + 1], date[11];
	int match;

	out[0] = '\0';
	if (!dipb_date_valid(when))
		return resolve_rev(out, h->repo, when);
	if ((err = dipb_git_resolve(id, h->repo, "HEAD")) != NULL) {
		if (err->code != DIPB_ERR_NOT_FOUND)
			return err;
		dipb_error_free(err);	/* unborn: no commit at all */
		id[0] = '\0';
	}
	/*
	 * The branch's own line, first parents only (dipb-report(1)): the
	 * commits of a branch merged into it were never its state, though
	 * made before the day, and a merge landed its changes on the day
	 * of the merge.  Each commit's day is the one a window reads
	 * (dipb_line_day), so that status --until DATE gives the state the
	 * minutes up to DATE end at.
	 */
	while (id[0] != '\0') {
		if ((err = dipb_git_commit_read(&c, h->repo, id)) != NULL) {
			/* Past a shallow clone's cut: no answer, exit 5. */
			if (err->code == DIPB_ERR_NOT_FOUND) {
				e = dipb_error_fmt(DIPB_ERR_GIT, "%s",
				    err->msg);
				dipb_error_free(err);
				err = e;
			}
			return err;
		}
		dipb_line_day(date, &c);
		match = strcmp(date, when) <= 0;
		if (match)
			memcpy(out, id, DIPB_OID_HEX + 1);
		memcpy(id, c.parent, sizeof(id));
		dipb_commit_release(&c);
		if (match)
			return NULL;
	}
	return dipb_error_fmt(DIPB_ERR_NOT_FOUND, "no commit on or before %s",
	    when);
}

/* --- Reading at a commit ------------------------------------------------- */

/* Blob id (hex) of the file at path into out, at most max bytes (0: no
 * limit), as dipb_history_read says; blob and *found set once read. */
static const struct dipb_error *
read_blob(struct dipb_buf *out, char blob[DIPB_OID_HEX + 1], int *found,
    struct dipb_history *h, const char *id, const char *path, size_t max)
{
	const struct dipb_error *err;
	struct dipb_object *o = NULL;
	enum dipb_object_type type;
	size_t size;

	if (max > 0) {
		if ((err = dipb_git_object_stat(&type, &size, h->repo,
		    id)) != NULL)
			return err;
		if (size > max)
			return dipb_error_fmt(DIPB_ERR_TOO_LARGE,
			    "%s: larger than %zu bytes", path, max);
	}
	if ((err = dipb_git_object_read(&o, h->repo, id,
	    DIPB_OBJECT_BLOB)) != NULL)
		return err;
	dipb_buf_put(out, dipb_object_data(o), dipb_object_size(o));
	dipb_object_free(o);
	memcpy(blob, id, DIPB_OID_HEX + 1);
	*found = 1;
	return NULL;
}

const struct dipb_error *
dipb_history_read(struct dipb_buf *out, char blob[DIPB_OID_HEX + 1],
    int *found, struct dipb_history *h, const char *commit,
    const char *path, size_t max)
{
	const struct dipb_error *err;
	enum dipb_layout layout;
	char id[DIPB_MAX_ID + 1], *at;

	if (dipb_record_path_parse(path, strlen(path), id, &layout) != 0)
		return dipb_git_read_at(out, blob, found, h->repo, commit,
		    path, max);
	/* A record's place: through the one reader of it. */
	err = dipb_history_read_record(out, blob, found, &at, h, commit, id,
	    max);
	if (err == NULL && *found && strcmp(at, path) != 0) {
		*found = 0;
		blob[0] = '\0';
		dipb_buf_clear(out);
	}
	free(at);
	return err;
}

const struct dipb_error *
dipb_history_each_record(struct dipb_history *h, const char *commit,
    dipb_repo_blob_fn fn, void *arg)
{
	/* The one reader of the records at a commit, the tip's too. */
	return dipb_git_each_record(h->repo, commit, fn, arg);
}

/* --- Versions of a record ---------------------------------------------- */

int
dipb_history_split(char **id, const char **spec, const char *arg)
{
	size_t n = strcspn(arg, "@/");

	*id = NULL;
	*spec = NULL;
	if (arg[n] == '\0')
		return 0;
	*id = xstrndup(arg, n);
	*spec = arg;
	return 1;
}

/*
 * err, a version id does not have, with the versions id has, "1
 * (IC-0003/1-drafted) to 5 (IC-0003/5-edited)" (dipb-show(1)); frees err.
 */
static const struct dipb_error *
with_versions(const struct dipb_error *err, const struct dipb_events *l,
    const char *id)
{
	const struct dipb_error *out;
	const struct dipb_event *a = l->v, *b;

	if (l->n == 0)
		out = dipb_error_fmt(err->code, "%s: it has no tags "
		    "%s/N-event", err->msg, id);
	else if (l->n == 1)
		out = dipb_error_fmt(err->code, "%s: its only version is %lu "
		    "(%s)", err->msg, a->n, a->tag);
	else {
		b = &l->v[l->n - 1];
		out = dipb_error_fmt(err->code, "%s: its versions are %lu (%s) "
		    "to %lu (%s)", err->msg, a->n, a->tag, b->n, b->tag);
	}
	dipb_error_free(err);
	return out;
}

/*
 * The number *num and event *ev (NULL: none) of spec, a version of id as
 * dipb_history_version takes it; *num 0 when it names none (version 0,
 * past the highest a tag may have).  A spec of another form is
 * DIPB_ERR_USAGE, another record's version DIPB_ERR_NOT_FOUND.
 */
static const struct dipb_error *
spec_parse(unsigned long *num, const char **ev, const char *id,
    const char *spec)
{
	const char *p = spec, *q;
	size_t idlen = strlen(id), n;
	int tagform = 0;

	*num = 0;
	*ev = NULL;
	/* "<id>@N" and "<id>/N-event" name the record; "N", "N-event" not. */
	n = strcspn(p, "@/");
	if (p[n] != '\0') {
		if (n != idlen || strncmp(p, id, idlen) != 0) {
			if (n > 0 && n <= DIPB_MAX_ID) {
				char other[DIPB_MAX_ID + 1];

				memcpy(other, p, n);
				other[n] = '\0';
				if (dipb_id_valid(other))
					return dipb_error_fmt(
					    DIPB_ERR_NOT_FOUND, "'%s' is a "
					    "version of %s, not of %s", spec,
					    other, id);
			}
			goto bad;
		}
		tagform = p[n] == '/';
		p += n + 1;
	}
	if (*p < '1' || *p > '9') {
		if (*p == '0' && (p[1] == '\0' || p[1] == '-'))
			return NULL;	/* version 0: before the first */
		goto bad;
	}
	/* Past the highest a tag may have (DIPB_TAG_MAX_N), no version. */
	for (q = p; *q >= '0' && *q <= '9'; q++) {
		if (*num > (DIPB_TAG_MAX_N - (unsigned long)(*q - '0')) / 10) {
			*num = 0;
			return NULL;
		}
		*num = *num * 10 + (unsigned long)(*q - '0');
	}
	if (*q == '-' && q[1] != '\0') {
		*ev = q + 1;
		/* An event's name is lower-case words joined by '-'. */
		if ((*ev)[strspn(*ev, "abcdefghijklmnopqrstuvwxyz-")] != '\0')
			goto bad;
	} else if (*q != '\0' || tagform)
		goto bad;	/* a tag's name has its event */
	return NULL;
bad:
	return dipb_error_fmt(DIPB_ERR_USAGE, "not a version of %s: '%s' "
	    "(expected N, N-EVENT, %s@N or a tag %s/N-EVENT)", id, spec, id,
	    id);
}

const struct dipb_error *
dipb_history_version(size_t *out, const struct dipb_events *l,
    const char *id, const char *spec)
{
	const struct dipb_error *err;
	const char *ev;
	size_t i, n;
	unsigned long num;

	*out = 0;
	/* Another record's version: this one's are named as for any. */
	if ((err = spec_parse(&num, &ev, id, spec)) != NULL)
		return err->code == DIPB_ERR_NOT_FOUND ?
		    with_versions(err, l, id) : err;
	if (num == 0)
		goto none;
	for (i = 0; i < l->n; i++)
		if (l->v[i].n == num)
			break;
	if (i == l->n)
		goto none;
	if (ev == NULL) {
		if ((err = dipb_history_unique(l, i, id)) != NULL ||
		    (err = dipb_history_genuine(l, i, id)) != NULL)
			return err;
		*out = i;
		return NULL;
	}
	/*
	 * With its event, a version is one tag, even of two of one N; one
	 * on a commit that is not that change is none (dipb-show(1)).
	 */
	for (n = i; n < l->n && l->v[n].n == num; n++)
		if (strcmp(ev, tag_event(l->v[n].tag)) == 0) {
			if ((err = dipb_history_genuine(l, n, id)) != NULL)
				return err;
			*out = n;
			return NULL;
		}
	return dipb_error_fmt(DIPB_ERR_NOT_FOUND, "%s has no version "
	    "'%s': its version %lu is %s", id, spec, num, l->v[i].tag);
none:
	return with_versions(dipb_error_fmt(DIPB_ERR_NOT_FOUND, "%s has no "
	    "version '%s'", id, spec), l, id);
}

/* The index of another tag of l with l->v[i]'s number, else i. */
static size_t
twin(const struct dipb_events *l, size_t i)
{
	size_t k;

	/* The list is sorted by N: a tag of i's N is next to it. */
	for (k = i > 0 ? i - 1 : i + 1; k < l->n && k <= i + 1; k += 2)
		if (k != i && l->v[k].n == l->v[i].n)
			return k;
	return i;
}

const struct dipb_error *
dipb_history_twins(const struct dipb_events *l, size_t i, const char *id,
    const char *then)
{
	size_t k;

	if ((k = twin(l, i)) == i)
		return NULL;
	return dipb_error_fmt(DIPB_ERR_INVALID, "%s has two tags of version "
	    "%lu, %s and %s%s", id, l->v[i].n, l->v[k < i ? k : i].tag,
	    l->v[k < i ? i : k].tag, then);
}

const struct dipb_error *
dipb_history_unique(const struct dipb_events *l, size_t i, const char *id)
{
	/*
	 * Two tags of one N (one made by hand with git tag, which dipb
	 * verify reports: tag-extra): which is the record's change cannot
	 * be told without judging the history, so neither is taken
	 * silently (dipb-show(1), dipb-diff(1)).
	 */
	return dipb_history_twins(l, i, id, ": name the one to read (dipb "
	    "verify tells which one no change accounts for)");
}

const struct dipb_error *
dipb_history_genuine(const struct dipb_events *l, size_t i, const char *id)
{
	const struct dipb_event *e = &l->v[i];
	const struct dipb_error *err;
	char *refetch;

	if (!e->forged)
		return NULL;
	refetch = dipb_tag_refetch("REMOTE", e->tag, NULL);
	/*
	 * Which of verify's rules, and so which repair, depends on whether
	 * the change the tag names is on the branch, which only a walk of
	 * the history tells (dipb-verify(1): tag-moved, tag-extra): both
	 * are said.
	 */
	err = dipb_error_fmt(DIPB_ERR_INVALID, "%s's tag %s is on commit "
	    "%.12s, which is no change '%s %s' (its Dipb-Record and "
	    "Dipb-Event trailers do not say so): if that change is on the "
	    "branch without its tag, dipb verify reports this one moved "
	    "(tag-moved, naming the change's commit): put it back there, as "
	    "fetched again from a remote that has it (%s), for deleting it "
	    "leaves the change untagged (tag-missing); else no change "
	    "accounts for it, a tag made by hand that dipb verify reports "
	    "(tag-extra, or tag-outside-branch off the branch): delete it "
	    "with git tag -d %s", id, e->tag, e->commit, id,
	    tag_event(e->tag), refetch, e->tag);
	free(refetch);
	return err;
}

const struct dipb_error *
dipb_history_read_record(struct dipb_buf *out, char blob[DIPB_OID_HEX + 1],
    int *found, char **path, struct dipb_history *h, const char *commit,
    const char *id, size_t max)
{
	const struct dipb_error *err;
	char at[DIPB_OID_HEX + 1];

	*found = 0;
	*path = NULL;
	blob[0] = '\0';
	dipb_buf_clear(out);
	/* Its entry alone, not the folder (dipb_repo_record_at). */
	err = dipb_repo_record_at(path, at, found, h->repo, commit, id);
	if (err != NULL || !*found)
		return err;
	*found = 0;
	return read_blob(out, blob, found, h, at, *path, max);
}

/*
 * dipb_history_level_at, and *absent: 1 when no record file is there
 * (the record did not exist at commit), 0 when one is, or when it cannot
 * be told (past a shallow clone's end, a file too large to read).
 */
static const struct dipb_error *
level_read(char **out, int *absent, struct dipb_history *h,
    const char *commit, const char *id)
{
	const struct dipb_error *err;
	struct dipb_buf buf = DIPB_BUF_INIT;
	struct dipb_diags diags = DIPB_DIAGS_INIT;
	struct dipb_record r;
	char blob[DIPB_OID_HEX + 1], *path;
	int found;

	*out = NULL;
	*absent = 0;
	/* No record's id (a trailer's text): no record, nothing read. */
	if (!dipb_id_valid(id))
		return NULL;
	err = dipb_history_read_record(&buf, blob, &found, &path, h, commit,
	    id, DIPB_MAX_FILE);
	/* Past a shallow clone's end, or too large to load: not known. */
	if (err != NULL && (err->code == DIPB_ERR_NOT_FOUND ||
	    err->code == DIPB_ERR_TOO_LARGE)) {
		dipb_error_free(err);
		err = NULL;
		found = 0;
	} else if (err == NULL && !found)
		*absent = 1;
	dipb_record_init(&r);
	if (err == NULL && found && dipb_record_load(&r, path, buf.ptr,
	    buf.len, 0, &diags) == 0 && r.classification != NULL)
		*out = xstrdup(r.classification);
	dipb_record_release(&r);
	dipb_diags_release(&diags);
	dipb_buf_release(&buf);
	free(path);
	return err;
}

const struct dipb_error *
dipb_history_level_at(char **out, struct dipb_history *h, const char *commit,
    const char *id)
{
	int absent;

	return level_read(out, &absent, h, commit, id);
}

/* The record id at the commit of its event ev into out, found at *path. */
static const struct dipb_error *
read_version(struct dipb_buf *out, char **path, struct dipb_history *h,
    const char *id, const struct dipb_event *ev)
{
	const struct dipb_error *err;
	char blob[DIPB_OID_HEX + 1];
	int found;

	err = dipb_history_read_record(out, blob, &found, path, h, ev->commit,
	    id, DIPB_MAX_FILE);
	if (err == NULL && !found)
		err = dipb_error_fmt(DIPB_ERR_NOT_FOUND, "%s: no record file "
		    "%s at its commit %.12s", ev->tag, *path, ev->commit);
	return err;
}

const struct dipb_error *
dipb_history_load_version(struct dipb_record *out, struct dipb_buf *file,
    struct dipb_diags *diags, struct dipb_history *h, const char *id,
    const struct dipb_event *ev)
{
	struct dipb_buf buf = DIPB_BUF_INIT;
	const struct dipb_error *err;
	char *name = NULL, *path;

	err = read_version(&buf, &path, h, id, ev);
	if (err == NULL)
		name = xasprintf("%s:%s", ev->tag, path);
	free(path);
	if (err != NULL)
		goto done;
	if (dipb_record_load(out, name, buf.ptr, buf.len, 0, diags) != 0 ||
	    out->id == NULL)
		err = dipb_error_fmt(DIPB_ERR_INVALID, "invalid record: '%s'",
		    name);
	else if (file != NULL) {
		dipb_buf_release(file);
		*file = buf;
		dipb_buf_init(&buf);
	}
done:
	free(name);
	dipb_buf_release(&buf);
	return err;
}

const struct dipb_error *
dipb_history_cut(struct dipb_repo *repo, const struct dipb_events *events,
    const char *id)
{
	const struct dipb_error *err;
	size_t i;
	int shallow;

	if ((err = dipb_repo_shallow(&shallow, repo)) != NULL || !shallow)
		return err;
	for (i = 0; i < events->n && events->v[i].n == 0; i++)
		continue;
	if (i < events->n && events->v[i].n == 1)
		return NULL;
	if (i == events->n)
		return dipb_error_fmt(DIPB_ERR_GIT, "%s has no version in this "
		    "shallow clone (a clone with --depth, as CI checkouts "
		    "make), whose history ends before its tags; 'git fetch "
		    "--unshallow --tags' fetches the rest", id);
	return dipb_error_fmt(DIPB_ERR_GIT, "%s's history is cut: this is a "
	    "shallow clone (a clone with --depth, as CI checkouts make), "
	    "which holds its versions from %lu on; 'git fetch --unshallow "
	    "--tags' fetches the rest", id, events->v[i].n);
}

/*
 * Every commit here from start down, through every parent, into seen,
 * but none of stop (NULL: none) nor any below one: *met 1 when one of
 * stop was reached, *missing 1 when a commit was not here (a shallow
 * clone's end, whose parents it lacks).  The walk holds no more
 * commits than the clone does.
 */
static const struct dipb_error *
walk_here(struct dipb_hashmap *seen, int *met, int *missing,
    struct dipb_repo *repo, const char *start,
    const struct dipb_hashmap *stop)
{
	static int mark;
	const struct dipb_error *err = NULL;
	struct dipb_strlist todo = DIPB_STRLIST_INIT;
	struct dipb_commit c;
	char *id;
	size_t i;

	*met = *missing = 0;
	dipb_strlist_push(&todo, start);
	while (err == NULL && todo.n > 0) {
		id = todo.v[--todo.n];
		if (stop != NULL && dipb_hashmap_get(stop, id) != NULL)
			*met = 1;
		else if (dipb_hashmap_get(seen, id) == NULL) {
			if ((err = dipb_git_commit_read(&c, repo, id)) == NULL) {
				dipb_hashmap_put(seen, id, &mark);
				for (i = 0; i < c.nparents; i++)
					dipb_strlist_push(&todo, c.parents[i]);
				dipb_commit_release(&c);
			} else if (err->code == DIPB_ERR_NOT_FOUND) {
				dipb_error_free(err);
				err = NULL;
				*missing = 1;
			}
		}
		free(id);
	}
	dipb_strlist_release(&todo);
	return err;
}

/*
 * *whole 1 when every commit from from down to to is here: in a shallow
 * clone, no way from the one version to the one before it (through any
 * parent: a version made on a branch merged with git merge --no-ff comes
 * in through the merge's second parent) crosses the clone's end, whose
 * parents are not here.  The walk from from ends at to and at every
 * commit below it; a commit here whose parent is not, and is not below
 * to, might be one between the two versions, and the line is cut.
 */
static const struct dipb_error *
line_whole(int *whole, struct dipb_repo *repo, const char *from,
    const char *to)
{
	const struct dipb_error *err;
	struct dipb_hashmap below = DIPB_HASHMAP_INIT;
	struct dipb_hashmap between = DIPB_HASHMAP_INIT;
	int met, missing;

	*whole = 0;
	if ((err = walk_here(&below, &met, &missing, repo, to, NULL)) ==
	    NULL && (err = walk_here(&between, &met, &missing, repo, from,
	    &below)) == NULL)
		*whole = met && !missing;
	dipb_hashmap_release(&between, NULL);
	dipb_hashmap_release(&below, NULL);
	return err;
}

const struct dipb_error *
dipb_history_cut_at(struct dipb_repo *repo, const struct dipb_events *events,
    const char *id, unsigned long n)
{
	const struct dipb_error *err;
	size_t i;
	int shallow, whole;

	/* Past the last version here: no tag says it was ever made. */
	if (n == 0 || events->n == 0 || n >= events->v[events->n - 1].n)
		return NULL;
	for (i = 0; i < events->n && events->v[i].n < n; i++)
		continue;
	if (events->v[i].n == n)
		return NULL;
	if ((err = dipb_repo_shallow(&shallow, repo)) != NULL || !shallow)
		return err;
	if (i == 0 || events->v[i - 1].n == 0)
		return dipb_history_cut(repo, events, id);
	/*
	 * Between two versions here: the clone fetched the tags of the
	 * commits it has (git fetch --depth N tag T fetches another), and
	 * a tag of a commit past its end is not among them (dipb-git(7)).
	 * With every commit from the one version back to the other here,
	 * the clone's end is not between them: the tag was deleted by hand,
	 * as in a full clone.
	 */
	if ((err = line_whole(&whole, repo, events->v[i].commit,
	    events->v[i - 1].commit)) != NULL)
		return err;
	if (whole)
		return NULL;
	return dipb_error_fmt(DIPB_ERR_GIT, "%s's history is cut: this is a "
	    "shallow clone (a clone with --depth, as CI checkouts make), "
	    "which lacks its version %lu (it holds %lu, then %lu); 'git "
	    "fetch --unshallow --tags' fetches the rest", id, n,
	    events->v[i - 1].n, events->v[i].n);
}

const struct dipb_error *
dipb_history_version_here(size_t *out, struct dipb_repo *repo,
    const struct dipb_events *events, const char *id, const char *spec)
{
	const struct dipb_error *err, *cut, *perr;
	const char *ev;
	unsigned long num;

	err = dipb_history_version(out, events, id, spec);
	if (err == NULL || err->code != DIPB_ERR_NOT_FOUND)
		return err;
	if ((perr = spec_parse(&num, &ev, id, spec)) != NULL) {
		dipb_error_free(perr);	/* another record's version */
		return err;
	}
	if ((cut = dipb_history_cut_at(repo, events, id, num)) == NULL)
		return err;
	dipb_error_free(err);
	return cut;
}

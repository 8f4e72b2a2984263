/*
 * history.c - the history of the board read back from git (history.h).
 *
 * Why its own git_repository: repo.c keeps its handle for the one state
 * change it makes, with caches tuned for that; reading history needs
 * revision walks, tag lookups and old trees, which it must not disturb.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <git2.h>

#include "board.h"
#include "error.h"
#include "history.h"
#include "text.h"
#include "trailer.h"

/* Commits older than the window to walk before stopping (git's SLOP). */
#define SLOP	5

struct tagent {
	git_oid		 commit;
	char		*name;		/* "IC-0007/3-reviewed" */
	unsigned long	 n;
};

struct dipb_history {
	git_repository	*git;		/* the dipb_repo's, borrowed */
	struct tagent	*tags;		/* sorted by commit, once loaded */
	size_t		 ntags;
	int		 tags_loaded;
	/* The recommendations tree of the last commit read. */
	git_oid		 tree_commit;
	int		 has_tree;
	git_tree	*rectree;	/* NULL when that commit has none */
};

/* --- Messages ---------------------------------------------------------- */

/* Trims blank characters at both ends of [*s, *s + *len). */
static void
trim(const char **s, size_t *len)
{
	while (*len > 0 && (**s == ' ' || **s == '\t' || **s == '\n' ||
	    **s == '\r'))
		(*s)++, (*len)--;
	while (*len > 0 && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t' ||
	    (*s)[*len - 1] == '\n' || (*s)[*len - 1] == '\r'))
		(*len)--;
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

void
dipb_message_parse(struct dipb_message *m, const char *msg)
{
	const char *p, *q, *end, *line, *nl, *body;
	struct dipb_buf subj = DIPB_BUF_INIT;
	struct dipb_trailers t;
	char *v, *arrow;
	size_t len, n;

	memset(m, 0, sizeof(*m));
	if (msg == NULL)
		msg = "";
	len = strlen(msg);
	p = msg;
	end = msg + len;
	while (p < end && (*p == '\n' || *p == '\r'))
		p++;
	/* The subject: the first paragraph, its lines joined. */
	while (p < end && *p != '\n') {
		nl = memchr(p, '\n', (size_t)(end - p));
		q = nl != NULL ? nl : end;
		n = (size_t)(q - p);
		line = p;
		trim(&line, &n);
		if (n == 0)
			break;
		if (subj.len > 0)
			dipb_buf_putc(&subj, ' ');
		dipb_buf_put(&subj, line, n);
		p = nl != NULL ? nl + 1 : end;
	}
	m->subject = dipb_text_clean(dipb_buf_cstr(&subj), subj.len);
	dipb_buf_release(&subj);

	/* The trailers, by git's rules (trailer.h); the body is before. */
	dipb_trailers_parse(&t, msg, len);
	if (t.n > 0 && msg + t.start >= p)
		end = msg + t.start;
	m->record = trailer(&t, "Dipb-Record");
	m->event = trailer(&t, "Dipb-Event");
	if ((v = trailer(&t, "Dipb-Status")) != NULL &&
	    (arrow = strstr(v, " -> ")) != NULL) {
		m->status_from = xstrndup(v, (size_t)(arrow - v));
		m->status_to = xstrdup(arrow + 4);
	}
	free(v);
	dipb_trailers_release(&t);

	body = p;
	n = end > body ? (size_t)(end - body) : 0;
	trim(&body, &n);
	if (n > 0)
		m->body = dipb_text_clean(body, n);
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
	dipb_strlist_release(&e->paths);
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

/* "YYYY-MM-DD" of time t in a zone offset minutes east of UTC. */
static void
local_date(char out[11], int64_t t, int offset)
{
	time_t tt = (time_t)(t + (int64_t)offset * 60);
	struct tm tm;

	if (gmtime_r(&tt, &tm) == NULL ||
	    strftime(out, 11, "%Y-%m-%d", &tm) != 10)
		strcpy(out, "0000-00-00");
}

/* Fills e (zeroed) from commit c: who, when, the message's parts. */
static void
fill_event(struct dipb_event *e, const git_commit *c)
{
	const git_signature *a = git_commit_author(c);
	struct dipb_message m;

	git_oid_tostr(e->commit, sizeof(e->commit), git_commit_id(c));
	e->time = a->when.time;
	e->offset = a->when.offset;
	local_date(e->date, e->time, e->offset);
	e->author_name = dipb_text_clean(a->name, strlen(a->name));
	e->author_email = dipb_text_clean(a->email, strlen(a->email));
	dipb_message_parse(&m, git_commit_message(c));
	e->subject = m.subject;
	e->comment = m.body;
	e->record = m.record;
	e->event = m.event;
	e->status_from = m.status_from;
	e->status_to = m.status_to;
	e->plain = e->record == NULL;
}

/*
 * Parses "<N>-<event>" (what follows "<record>/" in a tag name): N
 * without leading zeros, event of lowercase letters and '-'.  Returns N,
 * 0 when s is not of that form; *event points into s.
 */
static unsigned long
tag_suffix(const char *s, const char **event)
{
	unsigned long n = 0;
	const char *p;

	if (s[0] < '1' || s[0] > '9')
		return 0;
	for (p = s; *p >= '0' && *p <= '9'; p++) {
		if (n > 100000000UL)
			return 0;
		n = n * 10 + (unsigned long)(*p - '0');
	}
	if (*p != '-' || p[1] == '\0')
		return 0;
	*event = p + 1;
	for (p++; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || *p == '-'))
			return 0;
	return n;
}

static int
cmp_n(const void *a, const void *b)
{
	const struct dipb_event *x = a, *y = b;

	return x->n < y->n ? -1 : x->n > y->n;
}

/* --- Open, close -------------------------------------------------------- */

const struct dipb_error *
dipb_history_open(struct dipb_history **out, struct dipb_repo *repo)
{
	struct dipb_history *h;

	*out = NULL;
	h = xcalloc(1, sizeof(*h));
	h->git = dipb_repo_git(repo);
	*out = h;
	return NULL;
}

void
dipb_history_close(struct dipb_history *h)
{
	size_t i;

	if (h == NULL)
		return;
	for (i = 0; i < h->ntags; i++)
		free(h->tags[i].name);
	free(h->tags);
	git_tree_free(h->rectree);
	free(h);
}

/* --- One record, from its tags ----------------------------------------- */

const struct dipb_error *
dipb_history_record(struct dipb_events *out, struct dipb_history *h,
    const char *id)
{
	const struct dipb_error *err = NULL;
	git_reference_iterator *it = NULL;
	git_reference *ref = NULL;
	git_object *obj = NULL;
	struct dipb_event *e;
	const char *name, *ev;
	size_t first = out->n, plen;
	unsigned long n;
	char *glob;
	int rc;

	glob = xasprintf("refs/tags/%s/*", id);
	plen = strlen("refs/tags/") + strlen(id) + 1;
	if (git_reference_iterator_glob_new(&it, h->git, glob) < 0) {
		err = dipb_error_from_git("cannot list tags '%s'", glob + 10);
		goto done;
	}
	while ((rc = git_reference_next(&ref, it)) == 0) {
		name = git_reference_name(ref);
		if (strlen(name) > plen && (n = tag_suffix(name + plen,
		    &ev)) > 0) {
			if (git_reference_peel(&obj, ref, GIT_OBJECT_COMMIT) < 0) {
				err = dipb_error_from_git("cannot read tag "
				    "'%s'", name + 10);
				goto done;
			}
			e = events_add(out);
			fill_event(e, (const git_commit *)obj);
			e->tag = xstrdup(name + 10);
			e->n = n;
			/* The tag says what it is when the message does not. */
			if (e->record == NULL)
				e->record = xstrdup(id);
			if (e->event == NULL)
				e->event = xstrdup(ev);
			e->plain = 0;
			git_object_free(obj);
			obj = NULL;
		}
		git_reference_free(ref);
		ref = NULL;
	}
	if (rc != GIT_ITEROVER) {
		err = dipb_error_from_git("cannot list tags '%s'", glob + 10);
		goto done;
	}
	git_error_clear();
	if (out->n - first > 1)
		qsort(out->v + first, out->n - first, sizeof(*out->v), cmp_n);
done:
	git_object_free(obj);
	git_reference_free(ref);
	git_reference_iterator_free(it);
	free(glob);
	return err;
}

/* --- Tags of every record, for a window --------------------------------- */

static int
cmp_tagent(const void *a, const void *b)
{
	const struct tagent *x = a, *y = b;
	int c = git_oid_cmp(&x->commit, &y->commit);

	return c != 0 ? c : strcmp(x->name, y->name);
}

static const struct dipb_error *
load_tags(struct dipb_history *h)
{
	const struct dipb_error *err = NULL;
	git_reference_iterator *it = NULL;
	git_reference *ref = NULL;
	git_object *obj = NULL;
	const git_oid *peeled;
	const char *name, *slash, *ev;
	size_t cap = 0;
	unsigned long n;
	int rc;

	if (h->tags_loaded)
		return NULL;
	h->tags_loaded = 1;
	if (git_reference_iterator_glob_new(&it, h->git, "refs/tags/*") < 0)
		return dipb_error_from_git("cannot list tags");
	while ((rc = git_reference_next(&ref, it)) == 0) {
		name = git_reference_name(ref) + 10;
		if ((slash = strrchr(name, '/')) == NULL ||
		    (n = tag_suffix(slash + 1, &ev)) == 0)
			goto next;
		/* Packed refs carry the commit an annotated tag points to. */
		if ((peeled = git_reference_target_peel(ref)) == NULL) {
			if (git_reference_peel(&obj, ref, GIT_OBJECT_COMMIT) < 0) {
				git_error_clear();
				goto next;
			}
			peeled = git_object_id(obj);
		}
		xgrow((void **)&h->tags, &cap, h->ntags + 1, sizeof(*h->tags));
		git_oid_cpy(&h->tags[h->ntags].commit, peeled);
		h->tags[h->ntags].name = xstrdup(name);
		h->tags[h->ntags].n = n;
		h->ntags++;
next:
		git_object_free(obj);
		obj = NULL;
		git_reference_free(ref);
		ref = NULL;
	}
	if (rc != GIT_ITEROVER)
		err = dipb_error_from_git("cannot list tags");
	else
		git_error_clear();
	git_reference_iterator_free(it);
	qsort(h->tags, h->ntags, sizeof(*h->tags), cmp_tagent);
	return err;
}

/* Names e's tag: one on its commit whose record part is e's record. */
static void
name_tag(struct dipb_history *h, struct dipb_event *e, const git_oid *id)
{
	size_t lo = 0, hi = h->ntags, mid, rl;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (git_oid_cmp(&h->tags[mid].commit, id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	rl = strlen(e->record);
	for (; lo < h->ntags && git_oid_equal(&h->tags[lo].commit, id); lo++)
		if (strncmp(h->tags[lo].name, e->record, rl) == 0 &&
		    h->tags[lo].name[rl] == '/') {
			e->tag = xstrdup(h->tags[lo].name);
			e->n = h->tags[lo].n;
			return;
		}
}

/* --- Trees --------------------------------------------------------------- */

static int
entry_same(const git_tree_entry *a, const git_tree_entry *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return git_tree_entry_filemode(a) == git_tree_entry_filemode(b) &&
	    git_oid_equal(git_tree_entry_id(a), git_tree_entry_id(b));
}

/* The subtree named name of t, or NULL (no error) when it is not one. */
static const struct dipb_error *
subtree(git_tree **out, git_repository *git, const git_tree *t,
    const char *name)
{
	const git_tree_entry *e;

	*out = NULL;
	if (t == NULL || (e = git_tree_entry_byname(t, name)) == NULL ||
	    git_tree_entry_type(e) != GIT_OBJECT_TREE)
		return NULL;
	if (git_tree_lookup(out, git, git_tree_entry_id(e)) < 0)
		return dipb_error_from_git("cannot read tree '%s'", name);
	return NULL;
}

/*
 * The record files and dipb.yaml that commit c changed against its first
 * parent (against nothing for a root commit), sorted.
 */
static const struct dipb_error *
changed_paths(struct dipb_strlist *out, git_repository *git,
    const git_commit *c)
{
	const struct dipb_error *err = NULL;
	git_commit *parent = NULL;
	git_tree *t = NULL, *pt = NULL, *s = NULL, *ps = NULL;
	const git_tree_entry *a, *b;
	size_t i;

	if (git_commit_tree(&t, c) < 0)
		return dipb_error_from_git("cannot read a commit's tree");
	if (git_commit_parentcount(c) > 0 &&
	    (git_commit_parent(&parent, c, 0) < 0 ||
	    git_commit_tree(&pt, parent) < 0)) {
		err = dipb_error_from_git("cannot read a commit's parent");
		goto done;
	}
	a = pt != NULL ? git_tree_entry_byname(pt, DIPB_BOARD_FILE) : NULL;
	b = git_tree_entry_byname(t, DIPB_BOARD_FILE);
	if (!entry_same(a, b))
		dipb_strlist_push(out, DIPB_BOARD_FILE);
	a = pt != NULL ? git_tree_entry_byname(pt, DIPB_RECORD_DIR) : NULL;
	b = git_tree_entry_byname(t, DIPB_RECORD_DIR);
	if (entry_same(a, b))
		goto done;
	if ((err = subtree(&s, git, t, DIPB_RECORD_DIR)) != NULL ||
	    (err = subtree(&ps, git, pt, DIPB_RECORD_DIR)) != NULL)
		goto done;
	if (s == NULL && ps == NULL) {
		/* Not a folder on either side: the name itself changed. */
		dipb_strlist_push(out, DIPB_RECORD_DIR);
		goto done;
	}
	for (i = 0; s != NULL && i < git_tree_entrycount(s); i++) {
		b = git_tree_entry_byindex(s, i);
		a = ps != NULL ? git_tree_entry_byname(ps,
		    git_tree_entry_name(b)) : NULL;
		if (!entry_same(a, b))
			dipb_strlist_push_owned(out, xasprintf("%s/%s",
			    DIPB_RECORD_DIR, git_tree_entry_name(b)));
	}
	for (i = 0; ps != NULL && i < git_tree_entrycount(ps); i++) {
		a = git_tree_entry_byindex(ps, i);
		if (s == NULL || git_tree_entry_byname(s,
		    git_tree_entry_name(a)) == NULL)
			dipb_strlist_push_owned(out, xasprintf("%s/%s",
			    DIPB_RECORD_DIR, git_tree_entry_name(a)));
	}
	dipb_strlist_sort(out);
done:
	for (i = 0; i < out->n; i++) {
		char *c2 = dipb_text_clean(out->v[i], strlen(out->v[i]));

		free(out->v[i]);
		out->v[i] = c2;
	}
	git_tree_free(ps);
	git_tree_free(s);
	git_tree_free(pt);
	git_tree_free(t);
	git_commit_free(parent);
	return err;
}

/* --- Revisions and dates ------------------------------------------------- */

/* The commit a revision names; DIPB_ERR_USAGE when it names none. */
static const struct dipb_error *
resolve_rev(git_oid *out, git_repository *git, const char *when)
{
	git_object *obj = NULL, *peeled = NULL;

	if (git_revparse_single(&obj, git, when) < 0) {
		git_error_clear();
		return dipb_error_fmt(DIPB_ERR_USAGE,
		    "not a date (YYYY-MM-DD), tag or revision: '%s'", when);
	}
	if (git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) < 0) {
		git_error_clear();
		git_object_free(obj);
		return dipb_error_fmt(DIPB_ERR_USAGE, "not a commit: '%s'",
		    when);
	}
	git_oid_cpy(out, git_object_id(peeled));
	git_object_free(peeled);
	git_object_free(obj);
	return NULL;
}

/* Seconds since the epoch of 00:00 UTC on date (valid YYYY-MM-DD). */
static int64_t
date_utc(const char *date)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = atoi(date) - 1900;
	tm.tm_mon = atoi(date + 5) - 1;
	tm.tm_mday = atoi(date + 8);
	return (int64_t)timegm(&tm);
}

/* Starts walk at until (a revision) or at HEAD; *empty when unborn. */
static const struct dipb_error *
walk_start(git_revwalk *walk, git_repository *git, const char *until,
    int *empty)
{
	const struct dipb_error *err;
	git_oid id;
	int rc;

	*empty = 0;
	if (until != NULL && !dipb_date_valid(until)) {
		if ((err = resolve_rev(&id, git, until)) != NULL)
			return err;
		if (git_revwalk_push(walk, &id) < 0)
			return dipb_error_from_git("cannot walk from '%s'",
			    until);
		return NULL;
	}
	rc = git_revwalk_push_head(walk);
	if (rc == GIT_EUNBORNBRANCH || rc == GIT_ENOTFOUND) {
		git_error_clear();
		*empty = 1;
		return NULL;
	}
	if (rc < 0)
		return dipb_error_from_git("cannot walk from HEAD");
	return NULL;
}

const struct dipb_error *
dipb_history_window(struct dipb_events *out, struct dipb_history *h,
    const char *since, const char *until, unsigned flags)
{
	const struct dipb_error *err = NULL;
	git_revwalk *walk = NULL;
	git_commit *c = NULL;
	struct dipb_event *e;
	struct dipb_strlist paths = DIPB_STRLIST_INIT;
	const git_signature *a;
	int64_t bound = 0;
	git_oid id;
	char date[11];
	int since_date = 0, empty, old = 0, rc;

	out->end[0] = '\0';
	if (git_revwalk_new(&walk, h->git) < 0)
		return dipb_error_from_git("cannot walk the history");
	git_revwalk_sorting(walk, GIT_SORT_NONE);
	if ((err = walk_start(walk, h->git, until, &empty)) != NULL || empty)
		goto done;
	if (since != NULL && dipb_date_valid(since)) {
		since_date = 1;
		/* Midnight in the zone furthest east (UTC+14). */
		bound = date_utc(since) - 14 * 3600;
	} else if (since != NULL) {
		if ((err = resolve_rev(&id, h->git, since)) != NULL)
			goto done;
		if (git_revwalk_hide(walk, &id) < 0) {
			err = dipb_error_from_git("cannot walk from '%s'",
			    since);
			goto done;
		}
	}
	if ((flags & DIPB_HISTORY_TAGS) && (err = load_tags(h)) != NULL)
		goto done;

	while ((rc = git_revwalk_next(&id, walk)) == 0) {
		git_commit_free(c);
		c = NULL;
		if (git_commit_lookup(&c, h->git, &id) < 0) {
			err = dipb_error_from_git("cannot read commit");
			goto done;
		}
		if (since_date) {
			/* Stop SLOP commits into the time before the window. */
			if (git_commit_time(c) < bound) {
				if (++old >= SLOP)
					break;
			} else
				old = 0;
		}
		a = git_commit_author(c);
		local_date(date, a->when.time, a->when.offset);
		if ((since_date && strcmp(date, since) < 0) ||
		    (until != NULL && dipb_date_valid(until) &&
		    strcmp(date, until) > 0))
			continue;
		if (out->end[0] == '\0')
			git_oid_tostr(out->end, sizeof(out->end), &id);
		if (git_commit_parentcount(c) > 1)
			continue;
		e = events_add(out);
		fill_event(e, c);
		if (!e->plain) {
			if (flags & DIPB_HISTORY_TAGS)
				name_tag(h, e, &id);
			continue;
		}
		if ((err = changed_paths(&paths, h->git, c)) != NULL)
			goto done;
		if (paths.n == 0) {
			event_release(e);
			out->n--;
			continue;
		}
		e->paths = paths;
		dipb_strlist_init(&paths);
	}
	if (rc != 0 && rc != GIT_ITEROVER) {
		err = dipb_error_from_git("cannot walk the history");
		goto done;
	}
	git_error_clear();
done:
	dipb_strlist_release(&paths);
	git_commit_free(c);
	git_revwalk_free(walk);
	return err;
}

const struct dipb_error *
dipb_history_resolve(char out[DIPB_OID_HEX + 1], struct dipb_history *h,
    const char *when)
{
	const struct dipb_error *err = NULL;
	git_revwalk *walk = NULL;
	git_commit *c = NULL;
	const git_signature *a;
	git_oid id;
	char date[11];
	int empty, rc;

	out[0] = '\0';
	if (!dipb_date_valid(when)) {
		if ((err = resolve_rev(&id, h->git, when)) == NULL)
			git_oid_tostr(out, DIPB_OID_HEX + 1, &id);
		return err;
	}
	if (git_revwalk_new(&walk, h->git) < 0)
		return dipb_error_from_git("cannot walk the history");
	git_revwalk_sorting(walk, GIT_SORT_NONE);
	if ((err = walk_start(walk, h->git, NULL, &empty)) != NULL)
		goto done;
	while (!empty && (rc = git_revwalk_next(&id, walk)) == 0) {
		git_commit_free(c);
		c = NULL;
		if (git_commit_lookup(&c, h->git, &id) < 0) {
			err = dipb_error_from_git("cannot read commit");
			goto done;
		}
		a = git_commit_author(c);
		local_date(date, a->when.time, a->when.offset);
		if (strcmp(date, when) <= 0) {
			git_oid_tostr(out, DIPB_OID_HEX + 1, &id);
			goto done;
		}
	}
	git_error_clear();
	err = dipb_error_fmt(DIPB_ERR_NOT_FOUND,
	    "no commit on or before %s", when);
done:
	git_commit_free(c);
	git_revwalk_free(walk);
	return err;
}

/* --- Reading at a commit ------------------------------------------------- */

/* h->rectree becomes the recommendations tree of commit (NULL: none). */
static const struct dipb_error *
load_rectree(struct dipb_history *h, const char *commit)
{
	const struct dipb_error *err = NULL;
	git_commit *c = NULL;
	git_tree *t = NULL;
	git_oid id;

	if (git_oid_fromstr(&id, commit) < 0) {
		git_error_clear();
		return dipb_error_fmt(DIPB_ERR_INTERNAL, "not a commit id: '%s'",
		    commit);
	}
	if (h->has_tree && git_oid_equal(&id, &h->tree_commit))
		return NULL;
	git_tree_free(h->rectree);
	h->rectree = NULL;
	h->has_tree = 0;
	if (git_commit_lookup(&c, h->git, &id) < 0 ||
	    git_commit_tree(&t, c) < 0) {
		err = dipb_error_from_git("cannot read commit %s", commit);
		goto done;
	}
	if ((err = subtree(&h->rectree, h->git, t, DIPB_RECORD_DIR)) != NULL)
		goto done;
	git_oid_cpy(&h->tree_commit, &id);
	h->has_tree = 1;
done:
	git_tree_free(t);
	git_commit_free(c);
	return err;
}

static const struct dipb_error *
read_blob(struct dipb_buf *out, git_repository *git, const git_oid *id,
    const char *path, size_t max)
{
	git_blob *blob = NULL;
	git_object_size_t size;

	if (git_blob_lookup(&blob, git, id) < 0)
		return dipb_error_from_git("cannot read '%s'", path);
	size = git_blob_rawsize(blob);
	if (max > 0 && size > max) {
		git_blob_free(blob);
		return dipb_error_fmt(DIPB_ERR_TOO_LARGE,
		    "%s: larger than %zu bytes", path, max);
	}
	dipb_buf_clear(out);
	dipb_buf_put(out, git_blob_rawcontent(blob), (size_t)size);
	git_blob_free(blob);
	return NULL;
}

const struct dipb_error *
dipb_history_read(struct dipb_buf *out, char blob[DIPB_OID_HEX + 1],
    int *found, struct dipb_history *h, const char *commit,
    const char *path, size_t max)
{
	const struct dipb_error *err = NULL;
	git_tree_entry *owned = NULL;
	const git_tree_entry *e = NULL;
	git_commit *c = NULL;
	git_tree *t = NULL;
	git_oid id;
	size_t dl = strlen(DIPB_RECORD_DIR);

	*found = 0;
	blob[0] = '\0';
	dipb_buf_clear(out);
	if (strncmp(path, DIPB_RECORD_DIR, dl) == 0 && path[dl] == '/' &&
	    strchr(path + dl + 1, '/') == NULL) {
		/* A record: through the cached folder of that commit. */
		if ((err = load_rectree(h, commit)) != NULL)
			return err;
		if (h->rectree != NULL)
			e = git_tree_entry_byname(h->rectree, path + dl + 1);
	} else {
		if (git_oid_fromstr(&id, commit) < 0 ||
		    git_commit_lookup(&c, h->git, &id) < 0 ||
		    git_commit_tree(&t, c) < 0) {
			err = dipb_error_from_git("cannot read commit %s",
			    commit);
			goto done;
		}
		if (git_tree_entry_bypath(&owned, t, path) == 0)
			e = owned;
		else
			git_error_clear();
	}
	if (e == NULL || git_tree_entry_type(e) != GIT_OBJECT_BLOB)
		goto done;
	if ((err = read_blob(out, h->git, git_tree_entry_id(e), path,
	    max)) != NULL)
		goto done;
	git_oid_tostr(blob, DIPB_OID_HEX + 1, git_tree_entry_id(e));
	*found = 1;
done:
	git_tree_entry_free(owned);
	git_tree_free(t);
	git_commit_free(c);
	return err;
}

const struct dipb_error *
dipb_history_each_record(struct dipb_history *h, const char *commit,
    dipb_repo_blob_fn fn, void *arg)
{
	const struct dipb_error *err;
	const git_tree_entry *e;
	struct dipb_buf data = DIPB_BUF_INIT;
	const char *name;
	char *path;
	size_t i, n;

	if ((err = load_rectree(h, commit)) != NULL || h->rectree == NULL)
		return err;
	for (i = 0; i < git_tree_entrycount(h->rectree) && err == NULL; i++) {
		e = git_tree_entry_byindex(h->rectree, i);
		name = git_tree_entry_name(e);
		n = strlen(name);
		if (git_tree_entry_type(e) != GIT_OBJECT_BLOB || n <= 5 ||
		    strcmp(name + n - 5, ".yaml") != 0)
			continue;
		path = xasprintf("%s/%s", DIPB_RECORD_DIR, name);
		/* fn sees the file as dipb_repo_each_record gives it. */
		err = read_blob(&data, h->git, git_tree_entry_id(e), path, 0);
		if (err == NULL)
			err = fn(path, dipb_buf_cstr(&data), data.len, arg);
		free(path);
	}
	dipb_buf_release(&data);
	return err;
}

/*
 * window.c - a window's line, and what each merge of it brought in by
 * one walk for the whole window (window.h).
 *
 * The line is listed as it is read (dipb_line_walk's each), so that a
 * line of 10,000 commits holds their ids, not their messages.
 * The merges are taken oldest first: what merge M brought in is what
 * its other parents reach of the window's history (the commits of the
 * newest commit of the line not in the history of the oldest's first
 * parent) that neither the line nor a merge older than M reached, since
 * those are what M^1 has of it.  So each commit is reached once, for
 * the whole window, where a walk of M^1..M for each merge read the
 * first parent's history again each time.  The order is window.h's,
 * git log's, kept by a heap of our own rather than by libgit2's walk,
 * whose order no libgit2 release promises (dipb-log(1)).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "hashmap.h"
#include "util.h"
#include "window.h"

/* Commits of the line in a row older than the window that end its walk. */
#define SLOP	5

/* A commit reached and not yet taken: its id, time and parents only. */
struct pending {
	int64_t		  time;		/* committer time */
	size_t		  seq;		/* when it was reached */
	char		  id[DIPB_OID_HEX + 1];
	char		(*parents)[DIPB_OID_HEX + 1];
	size_t		  nparents;
};

/* The walk of a window (dipb_line_merged). */
struct walk {
	struct dipb_repo	*repo;
	/* The window's history, each &in_set until reached, then &reached. */
	struct dipb_hashmap	 set;
	struct pending		*heap;	/* newest, first reached on top */
	size_t			 n;
	size_t			 cap;
	size_t			 seq;
};

static char in_set, reached;

/* a before b: newer, or as new and reached first. */
static int
before(const struct pending *a, const struct pending *b)
{
	if (a->time != b->time)
		return a->time > b->time;
	return a->seq < b->seq;
}

static void
swap(struct pending *a, struct pending *b)
{
	struct pending t = *a;

	*a = *b;
	*b = t;
}

static void
heap_push(struct walk *w, const struct pending *p)
{
	size_t i = w->n;

	xgrow((void **)&w->heap, &w->cap, w->n + 1, sizeof(*w->heap));
	w->heap[w->n++] = *p;
	for (; i > 0 && before(&w->heap[i], &w->heap[(i - 1) / 2]);
	    i = (i - 1) / 2)
		swap(&w->heap[i], &w->heap[(i - 1) / 2]);
}

/* The top of the heap, taken off it: the caller frees its parents. */
static struct pending
heap_pop(struct walk *w)
{
	struct pending top = w->heap[0];
	size_t i = 0, c;

	w->heap[0] = w->heap[--w->n];
	while ((c = 2 * i + 1) < w->n) {
		if (c + 1 < w->n && before(&w->heap[c + 1], &w->heap[c]))
			c++;
		if (!before(&w->heap[c], &w->heap[i]))
			break;
		swap(&w->heap[c], &w->heap[i]);
		i = c;
	}
	return top;
}

/*
 * Commit id, when it is of the window's history and not reached yet,
 * reached now: read, and onto the heap with its time and parents.
 */
static const struct dipb_error *
reach(struct walk *w, const char *id)
{
	const struct dipb_error *err;
	struct dipb_commit c;
	struct pending p;

	if (dipb_hashmap_get(&w->set, id) != &in_set)
		return NULL;
	dipb_hashmap_put(&w->set, id, &reached);
	if ((err = dipb_git_commit_read(&c, w->repo, id)) == NULL) {
		p.time = c.committer_time;
		p.seq = w->seq++;
		memcpy(p.id, c.id, sizeof(p.id));
		p.parents = c.parents;
		p.nparents = c.nparents;
		c.parents = NULL;
		heap_push(w, &p);
	}
	dipb_commit_release(&c);
	return err;
}

/* What the merge at (a commit of l) brought in, onto l's merged. */
static const struct dipb_error *
merged(struct walk *w, struct dipb_line *l, struct dipb_line_commit *at)
{
	const struct dipb_error *err = NULL;
	struct pending p;
	size_t i;

	at->merged = l->nmerged;
	for (i = 0; err == NULL && i < at->nothers; i++)
		err = reach(w, l->others[at->others + i]);
	while (err == NULL && w->n > 0) {
		p = heap_pop(w);
		xgrow((void **)&l->merged, &l->cap_merged, l->nmerged + 1,
		    sizeof(*l->merged));
		memcpy(l->merged[l->nmerged++], p.id, sizeof(p.id));
		for (i = 0; err == NULL && i < p.nparents; i++)
			err = reach(w, p.parents[i]);
		free(p.parents);
	}
	at->nmerged = l->nmerged - at->merged;
	return err;
}

/*
 * w->set: the window's history, git rev-list l[0] ^l[n-1]^1, each
 * &in_set, by a walk that says, as it does everywhere, where a shallow
 * clone's history is cut or a commit is missing (dipb_walk_next).
 */
static const struct dipb_error *
history_set(struct walk *w, const struct dipb_line *l)
{
	const struct dipb_error *err;
	struct dipb_walk *walk = NULL;
	char id[DIPB_OID_HEX + 1];
	int done = 0;

	if ((err = dipb_git_walk_new(&walk, w->repo)) != NULL)
		return err;
	err = dipb_walk_push(walk, l->v[0].id, NULL);
	if (err == NULL && l->parent[0] != '\0')
		err = dipb_walk_hide(walk, l->parent);
	while (err == NULL && (err = dipb_walk_next(id, &done,
	    walk)) == NULL && !done)
		dipb_hashmap_put(&w->set, id, &in_set);
	dipb_walk_free(walk);
	return err;
}

const struct dipb_error *
dipb_line_merged(struct dipb_line *l, struct dipb_repo *repo)
{
	const struct dipb_error *err = NULL;
	struct walk w;
	size_t i;

	memset(&w, 0, sizeof(w));
	w.repo = repo;
	if (l->nothers == 0)
		return NULL;
	if ((err = history_set(&w, l)) != NULL)
		goto done;
	for (i = 0; i < l->n; i++)
		dipb_hashmap_put(&w.set, l->v[i].id, &reached);
	for (i = l->n; err == NULL && i-- > 0; )
		err = merged(&w, l, &l->v[i]);
done:
	while (w.n > 0)
		free(w.heap[--w.n].parents);
	free(w.heap);
	dipb_hashmap_release(&w.set, NULL);
	return err;
}

/* Appends c, older than every commit l has, landed on day landed. */
static void
line_add(struct dipb_line *l, const struct dipb_commit *c,
    const char landed[11], int in)
{
	struct dipb_line_commit *lc;
	size_t i;

	xgrow((void **)&l->v, &l->cap, l->n + 1, sizeof(*l->v));
	lc = &l->v[l->n++];
	memset(lc, 0, sizeof(*lc));
	memcpy(lc->id, c->id, sizeof(lc->id));
	memcpy(l->parent, c->parent, sizeof(l->parent));
	memcpy(lc->landed, landed, sizeof(lc->landed));
	lc->in = in;
	lc->others = l->nothers;
	for (i = 1; i < c->nparents; i++) {
		xgrow((void **)&l->others, &l->cap_others, l->nothers + 1,
		    sizeof(*l->others));
		memcpy(l->others[l->nothers++], c->parents[i],
		    sizeof(*l->others));
	}
	lc->nothers = l->nothers - lc->others;
}

void
dipb_line_day(char out[11], const struct dipb_commit *c)
{
	if (c->committer_email != NULL)
		dipb_date_ymd(out, c->committer_time, c->committer_offset);
	else
		dipb_date_ymd(out, c->author_time, c->author_offset);
}

const struct dipb_error *
dipb_line_walk(struct dipb_line *l, struct dipb_walk *walk,
    struct dipb_repo *repo, const struct dipb_line_window *win)
{
	const struct dipb_error *err;
	struct dipb_commit c;
	char id[DIPB_OID_HEX + 1], date[11];
	int old = 0, done = 0, in;

	memset(&c, 0, sizeof(c));
	while ((err = dipb_walk_next(id, &done, walk)) == NULL && !done) {
		if (win->after != NULL && !dipb_hashmap_get(win->after, id))
			break;
		dipb_commit_release(&c);
		if ((err = dipb_git_commit_read(&c, repo, id)) != NULL)
			break;
		if (win->from != NULL && c.committer_time < win->bound) {
			if (++old >= SLOP)
				break;
		} else
			old = 0;
		/* Landed in the window, whenever its change was made. */
		dipb_line_day(date, &c);
		in = (win->from == NULL || strcmp(date, win->from) >= 0) &&
		    (win->to == NULL || strcmp(date, win->to) <= 0);
		/* From the window's newest on. */
		if (!in && l->n == 0)
			continue;
		line_add(l, &c, date, in);
		if ((err = win->each(win->arg, &c, &l->v[l->n - 1])) != NULL)
			break;
	}
	dipb_commit_release(&c);
	/* The oldest's first parent is the one after it of the line. */
	while (l->n > 0 && !l->v[l->n - 1].in) {
		l->nothers = l->v[--l->n].others;
		memcpy(l->parent, l->v[l->n].id, sizeof(l->parent));
	}
	return err;
}

void
dipb_line_release(struct dipb_line *l)
{
	free(l->v);
	free(l->others);
	free(l->merged);
	memset(l, 0, sizeof(*l));
}

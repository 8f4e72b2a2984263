/*
 * git/reach.c - ancestry: whether a commit is in another's history, one
 * walk for every caller (recovery, dipb sync, a change's tag guard), and
 * which local branch holds a commit (repo.h, "Revisions").
 *
 * The answer has three values: in the history, not in it, or not known
 * (a shallow clone's history cut before it is, or a commit missing).  No
 * libgit2 graph call is made: git_graph_descendant_of (libgit2 1.5)
 * fails at a shallow clone's cut, from 1.7 on reads a commit the shallow
 * file lists as parentless, and leaks what it holds when a commit is
 * missing (dipb-git(7), "Shallow and partial clones").
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "../error.h"
#include "../hashmap.h"
#include "../util.h"

/*
 * *in 1 when commit id is tip or in its history, 0 when it is not, read
 * as git log reads it (dipb_git_contains), whichever libgit2; -1 when a
 * shallow clone's history is cut before that is known, the cut into cut
 * (dipb-git(7), "Shallow and partial clones").  Known all the same when
 * tip is in id's history: no commit's history holds its descendants.
 * t and c: tip and id in hex.
 */
static const struct dipb_error *
in_cut_history(int *in, char cut[GIT_OID_HEXSZ + 1], struct dipb_repo *r,
    const char *t, const char *c)
{
	const struct dipb_error *err;
	char under_cut[GIT_OID_HEXSZ + 1];
	int under;

	if ((err = dipb_git_contains(in, cut, r, t, c)) != NULL || *in ||
	    cut[0] == '\0')
		return err;
	if ((err = dipb_git_contains(&under, under_cut, r, c, t)) != NULL) {
		dipb_error_free(err);
		under = 0;
	}
	*in = under ? 0 : -1;
	return NULL;
}

/*
 * *out: object id peeled as git rev-parse ID^{} peels it
 * (dipb_git_tag_peel), a tag of a tag followed to what the last names;
 * *other 1 when id is here and that is no commit (a blob, a tree, a tag
 * of one, whatever its type line says, or of nothing git reads): no
 * history holds it, and a branch at it holds nothing, as git
 * for-each-ref --contains reads it.  Missing, or a tag of a commit
 * missing: *out that id, *other 0, for the walk to say why.
 */
static const struct dipb_error *
peel_commit(git_oid *out, int *other, struct dipb_repo *r, const git_oid *id)
{
	const struct dipb_error *err;
	enum dipb_object_type type;
	char hex[GIT_OID_HEXSZ + 1], peeled[DIPB_OID_HEX + 1];
	size_t n;
	int annotated;

	git_oid_cpy(out, id);
	git_oid_tostr(hex, sizeof(hex), id);
	if ((err = dipb_git_tag_peel(peeled, &type, &annotated, r, hex)) !=
	    NULL)
		return err;
	*other = type == DIPB_OBJECT_NONE ? annotated :
	    type != DIPB_OBJECT_COMMIT;
	if (type == DIPB_OBJECT_COMMIT && git_oid_fromstr(out, peeled) < 0) {
		git_error_clear();
		*other = 1;
	}
	/*
	 * A tag's "type commit" line is its word only: what it names is
	 * read.  Here and no commit, no history holds it; missing, it is
	 * walked as a commit missing is (*out already its id), for the
	 * walk to say why: it may be below a shallow clone's cut.
	 */
	if (annotated && !*other) {
		if ((err = dipb_git_object_stat(&type, &n, r, peeled)) != NULL)
			return err;
		*other = type != DIPB_OBJECT_COMMIT &&
		    type != DIPB_OBJECT_NONE;
	}
	return NULL;
}

/* The histories a commit of paint_walk is in: tip's, id's parents'. */
#define OF_TIP		1
#define OF_BASE		2

struct painted {
	git_oid		 id;
	int64_t		 time;
	size_t		 seq;		/* when queued last */
	int		 of;
	int		 queued;
};

/*
 * The commits of a paint_walk: each by id (map), those whose parents are
 * to be painted (queue, a binary heap, the newest on top, as git's
 * prio-queue), none read twice; seq, how many were queued; tip_only, how
 * many queued are painted OF_TIP alone.
 */
struct paint_walk {
	struct dipb_repo	*r;
	struct dipb_hashmap	 map;
	struct painted		**queue;
	size_t			 n, cap;
	size_t			 seq;
	size_t			 tip_only;
};

/*
 * Whether queue entry a comes out of the heap before b: the newer, of
 * two as old the one queued last, so that the same history is always
 * walked in the same order.
 */
static int
newer(const struct paint_walk *w, size_t a, size_t b)
{
	const struct painted *x = w->queue[a], *y = w->queue[b];

	return x->time != y->time ? x->time > y->time : x->seq > y->seq;
}

static void
swap_queued(struct paint_walk *w, size_t a, size_t b)
{
	struct painted *t = w->queue[a];

	w->queue[a] = w->queue[b];
	w->queue[b] = t;
}

/* p onto the heap. */
static void
push(struct paint_walk *w, struct painted *p)
{
	size_t i;

	xgrow((void **)&w->queue, &w->cap, w->n + 1, sizeof(*w->queue));
	p->seq = w->seq++;
	i = w->n++;
	w->queue[i] = p;
	for (; i > 0 && newer(w, i, (i - 1) / 2); i = (i - 1) / 2)
		swap_queued(w, i, (i - 1) / 2);
	p->queued = 1;
	w->tip_only += p->of == OF_TIP;
}

/* The newest queued commit, off the heap. */
static struct painted *
pop(struct paint_walk *w)
{
	struct painted *top = w->queue[0];
	size_t i = 0, c;

	w->queue[0] = w->queue[--w->n];
	while ((c = 2 * i + 1) < w->n) {
		if (c + 1 < w->n && newer(w, c + 1, c))
			c++;
		if (!newer(w, c, i))
			break;
		swap_queued(w, i, c);
		i = c;
	}
	top->queued = 0;
	w->tip_only -= top->of == OF_TIP;
	return top;
}

/* Commit id painted of: queued when that is new to it; -1 not read. */
static int
paint(struct paint_walk *w, const git_oid *id, int of)
{
	char hex[GIT_OID_HEXSZ + 1];
	struct painted *p;
	git_commit *c;

	git_oid_tostr(hex, sizeof(hex), id);
	if ((p = dipb_hashmap_get(&w->map, hex)) == NULL) {
		if (git_commit_lookup(&c, w->r->git, id) < 0)
			return -1;
		p = xcalloc(1, sizeof(*p));
		git_oid_cpy(&p->id, id);
		p->time = git_commit_time(c);
		git_commit_free(c);
		dipb_hashmap_put(&w->map, hex, p);
	}
	if ((p->of | of) == p->of)
		return 0;
	if (p->queued) {
		w->tip_only -= p->of == OF_TIP;	/* now in both */
		p->of |= of;
		return 0;
	}
	p->of |= of;
	push(w, p);
	return 0;
}

/*
 * 1 when commit id is in tip's history, 0 when it is not, as libgit2
 * reads it, -1 when it cannot (a commit missing).  Both histories are
 * painted down, tip's and that of id's parents, newest first, as git
 * merge-base does: a commit in both is in neither's part id could be
 * in, and the walk ends once tip's history has no other commit left to
 * walk (tip_only), no later than git_graph_descendant_of (which leaks
 * what it holds when a commit is missing) would.
 */
static int
reaches(struct dipb_repo *r, const git_oid *tip, const git_oid *id)
{
	struct paint_walk w = { r, DIPB_HASHMAP_INIT, NULL, 0, 0, 0, 0 };
	struct painted *p;
	git_commit *c = NULL;
	unsigned int i;
	int rc;

	if ((rc = git_commit_lookup(&c, r->git, id)) == 0)
		rc = paint(&w, tip, OF_TIP);
	for (i = 0; rc == 0 && i < git_commit_parentcount(c); i++)
		rc = paint(&w, git_commit_parent_id(c, i), OF_BASE);
	git_commit_free(c);
	while (rc == 0 && w.tip_only > 0) {
		p = pop(&w);
		if (p->of == OF_TIP && git_oid_equal(&p->id, id)) {
			rc = 1;
			break;
		}
		if ((rc = git_commit_lookup(&c, r->git, &p->id)) < 0)
			break;
		for (i = 0; rc == 0 && i < git_commit_parentcount(c); i++)
			rc = paint(&w, git_commit_parent_id(c, i), p->of);
		git_commit_free(c);
	}
	free(w.queue);
	dipb_hashmap_release(&w.map, free);
	git_error_clear();
	return rc < 0 ? -1 : rc;
}

/*
 * internal.h.  A whole clone is walked by reaches, which reads its
 * commits through libgit2 and stops as soon as it can tell; a shallow
 * clone's history, which libgit2 reads as parentless or missing where it
 * is cut, is walked commit by commit (dipb_git_contains), and so is a
 * whole one's that reaches could not read, to say why (history
 * incomplete).
 */
const struct dipb_error *
dipb_git_reach(int *in, char cut[GIT_OID_HEXSZ + 1], struct dipb_repo *r,
    const git_oid *tip, const git_oid *id)
{
	const struct dipb_error *err;
	char t[GIT_OID_HEXSZ + 1], c[GIT_OID_HEXSZ + 1];
	git_oid pt, pc;
	int other, shallow, rc;

	cut[0] = '\0';
	*in = 0;
	if ((err = peel_commit(&pt, &other, r, tip)) != NULL || other ||
	    (err = peel_commit(&pc, &other, r, id)) != NULL || other)
		return err;
	if ((*in = git_oid_equal(&pt, &pc)) != 0)
		return NULL;
	if ((err = dipb_repo_shallow(&shallow, r)) != NULL)
		return err;
	if (!shallow && (rc = reaches(r, &pt, &pc)) >= 0) {
		*in = rc;
		return NULL;
	}
	git_oid_tostr(t, sizeof(t), &pt);
	git_oid_tostr(c, sizeof(c), &pc);
	return in_cut_history(in, cut, r, t, c);
}

/*
 * internal.h.  Every branch but skip is asked, until one holds id; one
 * cut before id leaves it unknown, even when skip is known not to hold
 * it.  Another worktree's change (on its own branch) may have made the
 * same commit, to the byte, and the same tag (the same move, by the same
 * member, in the same second), which is its own now; that branch may
 * hold id below its cut (made, built on, then the clone made shallow),
 * and neither a commit's date nor its never having been pushed from here
 * says it does not.  Recovery skips a change's own branch, asked first
 * (journal.c, was_made); dipb sync the current one (dipb_git_left_behind).
 */
const struct dipb_error *
dipb_git_branch_holds(int *held, char cut[GIT_OID_HEXSZ + 1],
    struct dipb_repo *r, const git_oid *id, const char *skip)
{
	const struct dipb_error *err = NULL;
	git_branch_iterator *it;
	git_reference *ref;
	git_branch_t type;
	const git_oid *tip;
	char at[GIT_OID_HEXSZ + 1];
	int in;

	*held = 0;
	cut[0] = '\0';
	if (git_branch_iterator_new(&it, r->git, GIT_BRANCH_LOCAL) < 0) {
		git_error_clear();
		*held = 1;	/* cannot tell: held, so nothing is dropped */
		return NULL;
	}
	while (err == NULL && *held != 1 &&
	    git_branch_next(&ref, &type, it) == 0) {
		if ((skip == NULL ||
		    strcmp(git_reference_name(ref), skip) != 0) &&
		    (tip = git_reference_target(ref)) != NULL &&
		    (err = dipb_git_reach(&in, at, r, tip, id)) == NULL &&
		    (in == 1 || (in < 0 && *held == 0))) {
			*held = in;
			memcpy(cut, at, sizeof(at));
		}
		git_reference_free(ref);
	}
	git_branch_iterator_free(it);
	git_error_clear();
	return err;
}

/*
 * Whether object id is here and no commit (a tag, even of a commit; a
 * tree; a blob); 0 when missing, for the walk to say why.
 */
static int
other_than_commit(struct dipb_repo *repo, const char *id)
{
	const struct dipb_error *err;
	enum dipb_object_type type;
	size_t n;

	if ((err = dipb_git_object_stat(&type, &n, repo, id)) != NULL) {
		dipb_error_free(err);
		return 0;
	}
	return type != DIPB_OBJECT_COMMIT && type != DIPB_OBJECT_NONE;
}

/* repo.h: dipb_git_reach, of commits only, ids in hex. */
int
dipb_git_history_has(struct dipb_repo *repo, const char *tip,
    const char *commit)
{
	const struct dipb_error *err;
	char cut[GIT_OID_HEXSZ + 1];
	git_oid a, b;
	int in;

	if (dipb_git_oid_of(&a, tip) < 0 || dipb_git_oid_of(&b, commit) < 0)
		return -1;
	if (other_than_commit(repo, tip) || other_than_commit(repo, commit))
		return 0;
	if ((err = dipb_git_reach(&in, cut, repo, &a, &b)) != NULL) {
		dipb_error_free(err);
		return -1;
	}
	return in;
}

int
dipb_git_descendant_of(struct dipb_repo *repo, const char *commit,
    const char *ancestor)
{
	return strcmp(commit, ancestor) != 0 &&
	    dipb_git_history_has(repo, commit, ancestor) == 1;
}

int
dipb_git_in_history(struct dipb_repo *repo, const char *tip,
    const char *commit)
{
	return dipb_git_history_has(repo, tip, commit) == 1;
}

/* *in: whether ref's reflog names id, as the commit it moved from or to. */
static const struct dipb_error *
reflog_names(int *in, struct dipb_repo *repo, const char *ref,
    const git_oid *id)
{
	const struct dipb_error *err;
	git_reflog *log = NULL;
	const git_reflog_entry *e;
	size_t i, n;

	*in = 0;
	if ((err = dipb_git_reflog_read(&log, repo, ref)) != NULL ||
	    log == NULL)
		return err;
	n = git_reflog_entrycount(log);
	for (i = 0; i < n && !*in; i++)
		*in = (e = git_reflog_entry_byindex(log, i)) != NULL &&
		    (git_oid_equal(git_reflog_entry_id_old(e), id) ||
		    git_oid_equal(git_reflog_entry_id_new(e), id));
	git_reflog_free(log);
	return NULL;
}

/*
 * repo.h.  Held by another branch as far as the history can tell
 * (dipb_git_branch_holds: a branch at a tag of it holds it too), or not
 * known to be held by none (its history cut, a commit missing): not left
 * behind, so that sync never takes another branch's change, or one it
 * cannot tell of, for the current branch's own.
 */
const struct dipb_error *
dipb_git_left_behind(int *behind, struct dipb_repo *repo, const char *commit)
{
	const struct dipb_error *err;
	char cut[GIT_OID_HEXSZ + 1];
	git_oid id;
	int held;

	*behind = 0;
	if (dipb_git_oid_of(&id, commit) < 0)
		return NULL;
	if (!repo->detached && repo->branch_ref != NULL &&
	    ((err = reflog_names(behind, repo, repo->branch_ref, &id)) !=
	    NULL || *behind))
		return err;
	if ((err = dipb_git_branch_holds(&held, cut, repo, &id,
	    repo->detached ? NULL : repo->branch_ref)) != NULL) {
		dipb_error_free(err);
		return NULL;
	}
	*behind = held == 0;
	return NULL;
}

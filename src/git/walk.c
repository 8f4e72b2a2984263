/*
 * walk.c - revisions and revision walks (repo.h, "Reading the
 * history"), through libgit2's revwalk and revparse; whether one commit
 * is in another's history is reach.c's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../error.h"
#include "../hashmap.h"
#include "internal.h"

/*
 * cut: in a shallow clone, the commits .git/shallow names, whose parents
 * the clone lacks.  git log's history ends at each of them (a grafted
 * commit); libgit2 before 1.7 fails to read their parents, and from 1.7
 * on reads them as having none, so that a walk would end there as at
 * the first commit.  A walk that goes on past one says the history is
 * cut instead, whichever libgit2 (dipb-git(7), "Shallow and partial
 * clones"); one that stops there (a window's) reads it as libgit2 1.5
 * did.
 */
struct dipb_walk {
	git_revwalk	*w;
	struct dipb_repo *repo;
	struct dipb_hashmap cut;
	int		 at_cut;	/* one of cut was walked */
};

/* The largest .git/shallow read: 400,000 commits and more. */
#define SHALLOW_MAX	(16u << 20)

int
dipb_git_oid_of(git_oid *out, const char *hex)
{
	if (strlen(hex) != GIT_OID_HEXSZ || git_oid_fromstr(out, hex) < 0) {
		git_error_clear();
		return -1;
	}
	return 0;
}

/*
 * A revision libgit2 could not parse.  A commit id, or a reference's
 * full name, that names a commit libgit2 cannot read because git fsck
 * rejects it (git hash-object --literally; a remote's tip fetched
 * without fetch.fsckObjects, dipb sync) is refused as every reader of
 * a commit refuses it, "not a well-formed commit", exit status 5
 * (dipb-git(7), "Commits and tags git fsck rejects"); any other names
 * nothing.
 */
static const struct dipb_error *
unresolved(struct dipb_repo *repo, const char *rev)
{
	const struct dipb_error *err = NULL;
	struct dipb_commit c;
	char hex[DIPB_OID_HEX + 1];
	git_oid oid;

	git_error_clear();
	if (dipb_git_oid_of(&oid, rev) == 0 ||
	    git_reference_name_to_id(&oid, repo->git, rev) == 0) {
		git_oid_tostr(hex, sizeof(hex), &oid);
		if ((err = dipb_git_commit_read(&c, repo, hex)) != NULL &&
		    err->code != DIPB_ERR_CORRUPT) {
			dipb_error_free(err);
			err = NULL;
		}
		dipb_commit_release(&c);
	}
	git_error_clear();
	if (err != NULL)
		return err;
	return dipb_error_fmt(DIPB_ERR_NOT_FOUND, "unknown revision: '%s'",
	    rev);
}

const struct dipb_error *
dipb_git_resolve(char out[DIPB_OID_HEX + 1], struct dipb_repo *repo,
    const char *rev)
{
	git_object *obj = NULL, *peeled = NULL;

	out[0] = '\0';
	if (git_revparse_single(&obj, repo->git, rev) < 0)
		return unresolved(repo, rev);
	if (git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) < 0) {
		git_error_clear();
		git_object_free(obj);
		return dipb_error_fmt(DIPB_ERR_USAGE, "not a commit: '%s'", rev);
	}
	git_oid_tostr(out, DIPB_OID_HEX + 1, git_object_id(peeled));
	git_object_free(peeled);
	git_object_free(obj);
	return NULL;
}

const struct dipb_error *
dipb_git_ref(char out[DIPB_OID_HEX + 1], int *found, struct dipb_repo *repo,
    const char *refname)
{
	const struct dipb_error *err;
	git_oid id;

	out[0] = '\0';
	/* Searched in packed-refs (packed.c): libgit2 would read it whole. */
	if ((err = dipb_git_ref_read(&id, found, repo, refname)) != NULL) {
		*found = 0;
		return err;
	}
	if (*found)
		git_oid_tostr(out, DIPB_OID_HEX + 1, &id);
	return NULL;
}

/*
 * The longest piece of a line git's is_repository_shallow reads at once
 * (fgets into 1,024 bytes): a longer line is read as several, each one
 * of its own.
 */
#define SHALLOW_PIECE	1023

/*
 * One line of the shallow file (line, from 1), or a piece of it, the len
 * bytes at p (its newline, when there is one, included), into cut, as
 * git reads it (get_oid_hex): 40 hex digits of either case first,
 * whatever follows them ignored; else git dies of it, "bad shallow
 * line", and so does the walk.
 */
static const struct dipb_error *
shallow_line(struct dipb_hashmap *cut, const char *path, size_t line,
    const char *p, size_t len)
{
	static int mark;
	char hex[DIPB_OID_HEX + 1];
	size_t i;

	for (i = 0; i < DIPB_OID_HEX && i < len &&
	    strchr("0123456789abcdefABCDEF", p[i]) != NULL && p[i] != '\0';
	    i++)
		hex[i] = (char)(p[i] >= 'A' && p[i] <= 'F' ?
		    p[i] - 'A' + 'a' : p[i]);
	if (i < DIPB_OID_HEX) {
		for (len = 0; len < SHALLOW_PIECE && p[len] != '\n' &&
		    p[len] != '\0'; len++)
			continue;
		return dipb_error_fmt(DIPB_ERR_CORRUPT, "bad shallow line in "
		    "'%s', line %zu: '%.*s' (not a commit id; git refuses it "
		    "too)", path, line, (int)len, p);
	}
	hex[DIPB_OID_HEX] = '\0';
	dipb_hashmap_put(cut, hex, &mark);
	return NULL;
}

const struct dipb_error *
dipb_git_shallow_cut(struct dipb_hashmap *cut,
    char digest[DIPB_OID_HEX + 1], struct dipb_repo *repo)
{
	const struct dipb_error *err;
	char *path;
	int shallow;

	if (digest != NULL)
		digest[0] = '\0';
	if ((err = dipb_repo_shallow(&shallow, repo)) != NULL || !shallow)
		return err;
	path = xasprintf("%sshallow", git_repository_commondir(repo->git));
	err = dipb_git_shallow_file(cut, digest, path);
	free(path);
	return err;
}

const struct dipb_error *
dipb_git_shallow_file(struct dipb_hashmap *cut,
    char digest[DIPB_OID_HEX + 1], const char *path)
{
	const struct dipb_error *err = NULL, *e;
	struct dipb_buf b = DIPB_BUF_INIT;
	size_t start, i, line = 1;

	if (digest != NULL)
		digest[0] = '\0';
	if ((e = dipb_read_regular(&b, path, 0, SHALLOW_MAX)) != NULL) {
		/* Its reason, without the path that begins it (util.h). */
		i = strlen(path);
		err = dipb_git_shallow_unknown(path, e->msg +
		    (strncmp(e->msg, path, i) == 0 &&
		    strncmp(e->msg + i, ": ", 2) == 0 ? i + 2 : 0));
		dipb_error_free(e);
	}
	/* One id a piece of a line; the buffer ends in a NUL (util.h). */
	for (start = 0; err == NULL && start < b.len; start = i) {
		for (i = start; i < b.len && i - start < SHALLOW_PIECE; )
			if (b.ptr[i++] == '\n')
				break;
		err = shallow_line(cut, path, line, b.ptr + start, i - start);
		if (b.ptr[i - 1] == '\n')
			line++;
	}
	if (err == NULL && digest != NULL)
		dipb_git_hash_blob(digest, b.ptr, b.len);
	dipb_buf_release(&b);
	return err;
}

const struct dipb_error *
dipb_git_shallow_unknown(const char *path, const char *why)
{
	return dipb_error_fmt(DIPB_ERR_GIT, "cannot tell whether the "
	    "repository is shallow: '%s': %s", path, why);
}

int
dipb_git_cut_at(const struct dipb_hashmap *cut, const struct dipb_commit *c)
{
	return c->nparents > 0 && dipb_hashmap_get(cut, c->id) != NULL;
}

/* The error of a walk that reached a shallow clone's end. */
static const struct dipb_error *
shallow_error(void)
{
	git_error_clear();
	return dipb_error_fmt(DIPB_ERR_GIT, "cannot walk the history, which "
	    "is shallow (a clone with --depth; 'git fetch --unshallow --tags' "
	    "fetches the rest)");
}

/* Whether commit id is here. */
static int
here(struct dipb_repo *repo, const char *id)
{
	git_oid oid;

	return dipb_git_oid_of(&oid, id) == 0 &&
	    git_odb_exists(repo->odb, &oid);
}

/* What listed commit id is, as dipb_git_cut_at reads it (internal.h). */
static int
cut_kind(struct dipb_repo *repo, const struct dipb_hashmap *cut,
    const char *id)
{
	const struct dipb_error *err;
	struct dipb_commit c;
	git_object_t t;
	git_oid oid;
	size_t size;
	int kind;

	/* No rescan of the pack directory for each id not here, as
	 * git_odb_exists makes: the caller refreshed it once. */
	if (dipb_git_oid_of(&oid, id) != 0 ||
	    !git_odb_exists_ext(repo->odb, &oid, GIT_ODB_LOOKUP_NO_REFRESH))
		return DIPB_GIT_CUT_STALE;
	if (git_odb_read_header(&size, &t, repo->odb, &oid) == 0 &&
	    t != GIT_OBJECT_COMMIT)
		return DIPB_GIT_CUT_NOT_COMMIT;
	git_error_clear();
	/* One dipb cannot read ends the history, as far as it can tell. */
	if ((err = dipb_git_commit_read(&c, repo, id)) != NULL) {
		dipb_error_free(err);
		return DIPB_GIT_CUT_ENDS;
	}
	kind = dipb_git_cut_at(cut, &c) ? DIPB_GIT_CUT_ENDS :
	    DIPB_GIT_CUT_ROOT;
	dipb_commit_release(&c);
	return kind;
}

int
dipb_git_cut_kinds(char other[DIPB_OID_HEX + 1], struct dipb_repo *repo,
    const struct dipb_hashmap *cut)
{
	size_t i;
	int kinds = 0, k;

	other[0] = '\0';
	if (cut->n == 0)
		return 0;
	git_odb_refresh(repo->odb);
	git_error_clear();
	for (i = 0; i < cut->cap; i++) {
		if (cut->v[i].key == NULL)
			continue;
		kinds |= k = cut_kind(repo, cut, cut->v[i].key);
		if (k == DIPB_GIT_CUT_NOT_COMMIT && other[0] == '\0')
			snprintf(other, DIPB_OID_HEX + 1, "%s",
			    cut->v[i].key);
	}
	return kinds;
}

/* Whether every parent of c is here. */
static int
parents_here(struct dipb_repo *repo, const struct dipb_commit *c)
{
	size_t i;

	for (i = 0; i < c->nparents; i++)
		if (!here(repo, c->parents[i]))
			return 0;
	return 1;
}

/*
 * Walks the history of commit (itself first, then its parents, read from
 * their objects, so as every libgit2 reads them) into seen, until stop
 * (NULL: none) is met: *found 1 then.  A commit where the history is cut
 * (dipb_git_cut_at) is walked, not its parents, and its id goes into cut
 * when cut is "" (the first met).  A parent not here elsewhere is not
 * walked, and the first such is *gone (dipb_git_parent_missing; NULL:
 * none), the caller's to free.
 */
static const struct dipb_error *
history_walk(int *found, char cut[DIPB_OID_HEX + 1],
    const struct dipb_error **gone, struct dipb_hashmap *seen,
    struct dipb_repo *repo, const char *commit, const char *stop)
{
	static int mark;
	const struct dipb_error *err = NULL;
	struct dipb_hashmap ends = DIPB_HASHMAP_INIT;
	struct dipb_strlist todo = DIPB_STRLIST_INIT;
	struct dipb_commit c;
	size_t i, next;

	*found = 0;
	*gone = NULL;
	if ((err = dipb_git_shallow_cut(&ends, NULL, repo)) != NULL)
		goto done;
	dipb_strlist_push(&todo, commit);
	dipb_hashmap_put(seen, commit, &mark);
	for (next = 0; next < todo.n && !*found; next++) {
		if (stop != NULL && strcmp(todo.v[next], stop) == 0) {
			*found = 1;
			break;
		}
		if ((err = dipb_git_commit_read(&c, repo,
		    todo.v[next])) != NULL)
			break;
		if (dipb_git_cut_at(&ends, &c)) {
			if (cut[0] == '\0')
				memcpy(cut, c.id, DIPB_OID_HEX + 1);
		} else
			for (i = 0; i < c.nparents; i++)
				if (dipb_hashmap_get(seen, c.parents[i]) !=
				    NULL)
					continue;
				else if (!here(repo, c.parents[i])) {
					if (*gone == NULL)
						*gone = dipb_git_parent_missing(
						    repo, c.id, c.parents[i]);
				} else {
					dipb_hashmap_put(seen, c.parents[i],
					    &mark);
					dipb_strlist_push(&todo, c.parents[i]);
				}
		dipb_commit_release(&c);
	}
done:
	dipb_strlist_release(&todo);
	dipb_hashmap_release(&ends, NULL);
	return err;
}

const struct dipb_error *
dipb_git_contains(int *in, char cut[DIPB_OID_HEX + 1],
    struct dipb_repo *repo, const char *commit, const char *ancestor)
{
	const struct dipb_error *err, *gone;
	struct dipb_hashmap seen = DIPB_HASHMAP_INIT;

	cut[0] = '\0';
	err = history_walk(in, cut, &gone, &seen, repo, commit, ancestor);
	dipb_hashmap_release(&seen, NULL);
	/* Met, the answer is known, whatever is missing elsewhere. */
	if (err == NULL && !*in && gone != NULL)
		return gone;
	dipb_error_free(gone);
	return err;
}

const struct dipb_error *
dipb_git_history_of(struct dipb_hashmap *out, char cut[DIPB_OID_HEX + 1],
    struct dipb_repo *repo, const char *commit)
{
	const struct dipb_error *err, *gone;
	int found;

	cut[0] = '\0';
	err = history_walk(&found, cut, &gone, out, repo, commit, NULL);
	if (err == NULL)
		return gone;
	dipb_error_free(gone);
	return err;
}

const struct dipb_error *
dipb_git_walk_new(struct dipb_walk **out, struct dipb_repo *repo)
{
	const struct dipb_error *err;
	struct dipb_hashmap cut = DIPB_HASHMAP_INIT;
	git_revwalk *w;

	*out = NULL;
	if ((err = dipb_git_shallow_cut(&cut, NULL, repo)) != NULL) {
		dipb_hashmap_release(&cut, NULL);
		return err;
	}
	if (git_revwalk_new(&w, repo->git) < 0) {
		dipb_hashmap_release(&cut, NULL);
		return dipb_error_from_git("cannot walk the history");
	}
	git_revwalk_sorting(w, GIT_SORT_NONE);
	*out = xmalloc(sizeof(**out));
	(*out)->w = w;
	(*out)->repo = repo;
	(*out)->cut = cut;
	(*out)->at_cut = 0;
	return NULL;
}

const struct dipb_error *
dipb_walk_push(struct dipb_walk *w, const char *commit, int *unborn)
{
	git_oid id;
	int rc;

	if (unborn != NULL)
		*unborn = 0;
	if (commit != NULL) {
		if (dipb_git_oid_of(&id, commit) < 0)
			return dipb_error_fmt(DIPB_ERR_INTERNAL, "not a commit "
			    "id: '%s'", commit);
		if (git_revwalk_push(w->w, &id) < 0)
			return dipb_git_read_failed(w->repo, &id, "cannot walk "
			    "from '%s'", commit);
		return NULL;
	}
	rc = git_revwalk_push_head(w->w);
	if (rc == GIT_EUNBORNBRANCH || rc == GIT_ENOTFOUND) {
		git_error_clear();
		if (unborn != NULL)
			*unborn = 1;
		return NULL;
	}
	if (rc < 0)
		return dipb_error_from_git("cannot walk from HEAD");
	return NULL;
}

const struct dipb_error *
dipb_walk_first_parent(struct dipb_walk *w)
{
	if (git_revwalk_simplify_first_parent(w->w) < 0)
		return dipb_error_from_git("cannot walk the history");
	return NULL;
}

const struct dipb_error *
dipb_walk_push_refs(struct dipb_walk *w, const char *glob)
{
	if (git_revwalk_push_glob(w->w, glob) < 0)
		return dipb_error_from_git("cannot walk from '%s'", glob);
	return NULL;
}

/*
 * The references whose commits are branches' (dipb-verify(1),
 * "Branches"): local branches, remote-tracking branches, a forge's pull
 * and merge request refs.  Not refs/tags/ (a tag is what is judged) nor
 * refs/dipb/ (a remote's tags, dropped changes: no branch).
 */
static const char *const branch_refs[] = {
	"refs/heads/*", "refs/remotes/*", "refs/pull/*",
	"refs/merge-requests/*"
};

const struct dipb_error *
dipb_walk_push_branches(struct dipb_walk *w)
{
	const struct dipb_error *err;
	size_t i;

	for (i = 0; i < sizeof(branch_refs) / sizeof(branch_refs[0]); i++)
		if ((err = dipb_walk_push_refs(w, branch_refs[i])) != NULL)
			return err;
	return NULL;
}

const struct dipb_error *
dipb_walk_hide(struct dipb_walk *w, const char *commit)
{
	git_oid id;

	if (dipb_git_oid_of(&id, commit) < 0)
		return dipb_error_fmt(DIPB_ERR_INTERNAL, "not a commit id: "
		    "'%s'", commit);
	if (git_revwalk_hide(w->w, &id) < 0)
		return dipb_git_read_failed(w->repo, &id, "cannot walk from "
		    "'%s'", commit);
	return NULL;
}

/*
 * Commit id, which the shallow file lists, just walked: where the history
 * is cut when its object has parents (a root commit listed, as git lists
 * it in a clone whose depth is the history's, ends nothing).  A parent
 * not here ends the walk now, as libgit2 before 1.7 does when it reads
 * it, whichever libgit2; else the walk ends at its end.
 */
static const struct dipb_error *
walked_cut(struct dipb_walk *w, const char *id, int *done)
{
	const struct dipb_error *err;
	struct dipb_commit c;

	if ((err = dipb_git_commit_read(&c, w->repo, id)) != NULL)
		return err;
	if (dipb_git_cut_at(&w->cut, &c)) {
		w->at_cut = 1;
		if (!parents_here(w->repo, &c))
			err = shallow_error();
	}
	dipb_commit_release(&c);
	*done = err != NULL;
	return err;
}

/* Whether commit id is the parent of one .git/shallow lists (cut). */
static int
cut_parent(struct dipb_walk *w, const git_oid *id)
{
	struct dipb_commit c;
	char hex[DIPB_OID_HEX + 1];
	const struct dipb_error *err;
	size_t i, j;
	int found = 0;

	git_oid_tostr(hex, sizeof(hex), id);
	for (i = 0; i < w->cut.cap && !found; i++) {
		if (w->cut.v[i].key == NULL)
			continue;
		if ((err = dipb_git_commit_read(&c, w->repo,
		    w->cut.v[i].key)) != NULL) {
			dipb_error_free(err);
			continue;
		}
		for (j = 0; j < c.nparents && !found; j++)
			found = strcmp(c.parents[j], hex) == 0;
		dipb_commit_release(&c);
	}
	return found;
}

/*
 * The error of a walk that did not read a commit (libgit2's error
 * pending).  A parent of a commit .git/shallow lists is where the history
 * is cut (libgit2 before 1.7 reads it; from 1.7 on the listed commit is
 * parentless, and the walk ends at its end, dipb_walk_next); any other
 * commit not here is missing, inside a shallow clone too, where no fetch
 * brings it back: the history is incomplete (dipb-git(7)), with why when
 * dipb can tell (lazy.c: an alternate gone, a partial clone).
 */
static const struct dipb_error *
unread(struct dipb_walk *w)
{
	const struct dipb_error *err;
	git_oid id;
	char *gone;
	size_t nalt;
	int shallow = 0;

	if (dipb_git_said_missing(&id) == 0) {
		if (git_odb_exists(w->repo->odb, &id))
			return dipb_git_read_failed(w->repo, &id, "cannot "
			    "walk the history");
		if (cut_parent(w, &id))
			return shallow_error();
		return dipb_git_read_failed_uncut(w->repo, &id,
		    "history incomplete: cannot walk the history");
	}
	/*
	 * libgit2 names no commit: a parent past a shallow clone's end,
	 * say so; but a commit not read while an alternate is gone is the
	 * alternate's (lazy.c: no fetch mends that), unless the walk was
	 * at the clone's end.
	 */
	if (!w->at_cut &&
	    (gone = dipb_git_alternate_gone(&nalt, w->repo)) != NULL)
		free(gone);
	else if (!w->at_cut &&
	    (err = dipb_repo_shallow(&shallow, w->repo)) != NULL)
		return err;
	else if (w->at_cut || shallow)
		return shallow_error();
	return dipb_git_read_failed(w->repo, NULL, "cannot walk the history");
}

const struct dipb_error *
dipb_walk_next(char out[DIPB_OID_HEX + 1], int *done, struct dipb_walk *w)
{
	git_oid id;
	int rc;

	out[0] = '\0';
	*done = 0;
	if ((rc = git_revwalk_next(&id, w->w)) == 0) {
		git_oid_tostr(out, DIPB_OID_HEX + 1, &id);
		/* A commit of the clone's end: walked, its parents not. */
		if (dipb_hashmap_get(&w->cut, out) != NULL)
			return walked_cut(w, out, done);
		return NULL;
	}
	*done = 1;
	/* A walk that went past the clone's end (libgit2 1.7 on: to its
	 * end, the commit read as parentless) is cut, as libgit2 1.5 finds
	 * when it reads the missing parent. */
	if (rc == GIT_ITEROVER && w->at_cut)
		return shallow_error();
	if (rc == GIT_ITEROVER) {
		git_error_clear();
		return NULL;
	}
	if (rc == GIT_ENOTFOUND)
		return unread(w);
	/* A commit not read for another reason: named, and why (lazy.c). */
	return dipb_git_read_failed(w->repo, NULL, "cannot walk the history");
}

void
dipb_walk_free(struct dipb_walk *w)
{
	if (w == NULL)
		return;
	git_revwalk_free(w->w);
	dipb_hashmap_release(&w->cut, NULL);
	free(w);
}

/*
 * object.c - commits, trees, blobs and tags read raw from the object
 * database (repo.h, "Reading the history"): read raw here; parsed by
 * objparse.c (a commit's and a tag's bytes), a tree here.
 *
 * A commit's bytes are read and parsed (tree, first parent, author,
 * committer, signature, message), and a tag's (object, tagger,
 * signature), not through git_commit_lookup, which would parse and cache
 * every header: a walk of 10,000 commits needs a handful of lines of
 * each.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../error.h"
#include "../util.h"
#include "internal.h"

struct dipb_object {
	git_odb_object	*obj;		/* NULL: own holds it */
	char		*own;
	size_t		 len;
	enum dipb_object_type type;
};

struct dipb_tree {
	struct dipb_object	*obj;		/* NULL: dipb_git_tree_parse's */
	const char		*data;		/* the tree's bytes */
	size_t			 len;
	struct dipb_tree_entry	*v;
	size_t			 n;
};

static enum dipb_object_type
from_git(git_object_t t)
{
	switch (t) {
	case GIT_OBJECT_COMMIT:
		return DIPB_OBJECT_COMMIT;
	case GIT_OBJECT_TREE:
		return DIPB_OBJECT_TREE;
	case GIT_OBJECT_BLOB:
		return DIPB_OBJECT_BLOB;
	case GIT_OBJECT_TAG:
		return DIPB_OBJECT_TAG;
	default:
		return DIPB_OBJECT_NONE;
	}
}

const struct dipb_error *
dipb_git_object_read(struct dipb_object **out, struct dipb_repo *repo,
    const char *id, enum dipb_object_type type)
{
	const struct dipb_error *err;
	git_odb_object *obj = NULL;
	git_oid oid;

	*out = NULL;
	if (git_oid_fromstrn(&oid, id, strlen(id)) < 0 ||
	    strlen(id) != GIT_OID_HEXSZ) {
		git_error_clear();
		return dipb_error_fmt(DIPB_ERR_INTERNAL, "not an object id: "
		    "'%s'", id);
	}
	if ((err = dipb_git_odb_read(&obj, repo, &oid)) != NULL)
		return err;
	if (type != DIPB_OBJECT_NONE &&
	    from_git(git_odb_object_type(obj)) != type) {
		git_odb_object_free(obj);
		return dipb_error_fmt(DIPB_ERR_CORRUPT, "not a %s: '%s'",
		    dipb_object_type_name(type), id);
	}
	*out = xcalloc(1, sizeof(**out));
	(*out)->obj = obj;
	return NULL;
}

const struct dipb_error *
dipb_git_object_read_max(struct dipb_object **out, struct dipb_repo *repo,
    const char *id, enum dipb_object_type type, size_t max)
{
	const struct dipb_error *err;
	enum dipb_object_type t;
	size_t size;

	*out = NULL;
	/* The header alone: a packed or loose object's size, not inflated. */
	if ((err = dipb_git_object_stat(&t, &size, repo, id)) != NULL)
		return err;
	if (type != DIPB_OBJECT_NONE && t != DIPB_OBJECT_NONE && t != type)
		return dipb_error_fmt(DIPB_ERR_CORRUPT, "not a %s: '%s'",
		    dipb_object_type_name(type), id);
	if (size > max)
		return dipb_error_fmt(DIPB_ERR_TOO_LARGE, "%s '%s' is larger "
		    "than %zu bytes", dipb_object_type_name(t), id, max);
	if ((err = dipb_git_object_read(out, repo, id, type)) != NULL)
		return err;
	/* Its header unread (a partial clone's, fetched since): too late. */
	if (dipb_object_size(*out) > max) {
		t = dipb_object_type(*out);
		dipb_object_free(*out);
		*out = NULL;
		return dipb_error_fmt(DIPB_ERR_TOO_LARGE, "%s '%s' is larger "
		    "than %zu bytes", dipb_object_type_name(t), id, max);
	}
	return NULL;
}

const struct dipb_error *
dipb_git_blob_read(struct dipb_object **out, struct dipb_repo *repo,
    const char *id, size_t max)
{
	return dipb_git_object_read_max(out, repo, id, DIPB_OBJECT_BLOB, max);
}

struct dipb_object *
dipb_git_object_own(char *data, size_t len, enum dipb_object_type type)
{
	struct dipb_object *o = xcalloc(1, sizeof(*o));

	o->own = data;
	o->len = len;
	o->type = type;
	return o;
}

char *
dipb_git_object_disown(struct dipb_object *o)
{
	char *own;

	if (o == NULL)
		return NULL;
	own = o->own;
	o->own = NULL;
	dipb_object_free(o);
	return own;
}

const char *
dipb_object_data(const struct dipb_object *o)
{
	return o->obj == NULL ? o->own : git_odb_object_data(o->obj);
}

size_t
dipb_object_size(const struct dipb_object *o)
{
	return o->obj == NULL ? o->len : git_odb_object_size(o->obj);
}

enum dipb_object_type
dipb_object_type(const struct dipb_object *o)
{
	return o->obj == NULL ? o->type : from_git(git_odb_object_type(o->obj));
}

void
dipb_object_free(struct dipb_object *o)
{
	if (o == NULL)
		return;
	git_odb_object_free(o->obj);
	free(o->own);
	free(o);
}

const struct dipb_error *
dipb_git_object_stat(enum dipb_object_type *type, size_t *size,
    struct dipb_repo *repo, const char *id)
{
	git_object_t t;
	git_oid oid;

	*type = DIPB_OBJECT_NONE;
	*size = 0;
	if (git_oid_fromstrn(&oid, id, strlen(id)) < 0) {
		git_error_clear();
		return NULL;
	}
	if (git_odb_read_header(size, &t, repo->odb, &oid) < 0) {
		*size = 0;
		if (dipb_git_failed_system())
			return dipb_error_from_git("cannot read object '%s'",
			    id);
		git_error_clear();
	} else
		*type = from_git(t);
	return NULL;
}

/*
 * A commit or tag (what) larger than DIPB_GIT_MAX_COMMIT, refused from
 * its header, unread: DIPB_ERR_CORRUPT, as a malformed one.
 */
static const struct dipb_error *
too_large(const char *what, const char *id)
{
	return dipb_error_fmt(DIPB_ERR_CORRUPT, "not a well-formed %s: '%s': "
	    "larger than %d bytes, which no %s of a board is (dipb-git(7))",
	    what, id, DIPB_GIT_MAX_COMMIT, what);
}

/* "[its 'LINE' line has ]WHY", dipb_git_commit_read's reason. */
static char *
commit_why(const char *line, const char *why)
{
	return xasprintf("%s%s%s%s", line != NULL ? "its '" : "",
	    line != NULL ? line : "", line != NULL ? "' line has " : "", why);
}

/* A commit or tag (what) refused for why: DIPB_ERR_CORRUPT. */
static const struct dipb_error *
malformed(const char *what, const char *id, const char *line,
    const char *why)
{
	const struct dipb_error *err;
	char *s;

	s = commit_why(line, why);
	err = dipb_error_fmt(DIPB_ERR_CORRUPT, "not a well-formed %s: '%s': "
	    "%s", what, id, s);
	free(s);
	return err;
}

char *
dipb_git_commit_why(struct dipb_repo *repo, const git_oid *id)
{
	struct dipb_commit c;
	git_odb_object *obj = NULL;
	const char *data, *line, *why;
	char *s = NULL;
	git_object_t t;
	size_t size;

	if (git_odb_read_header(&size, &t, repo->odb, id) < 0) {
		git_error_clear();
		return NULL;
	}
	if (t != GIT_OBJECT_COMMIT)
		return NULL;
	if (size > DIPB_GIT_MAX_COMMIT)
		return xasprintf("larger than %d bytes, which no commit of a "
		    "board is (dipb-git(7))", DIPB_GIT_MAX_COMMIT);
	if (git_odb_read(&obj, repo->odb, id) < 0) {
		git_error_clear();
		return NULL;
	}
	memset(&c, 0, sizeof(c));
	data = git_odb_object_data(obj);
	if (git_odb_object_type(obj) == GIT_OBJECT_COMMIT &&
	    (why = dipb_git_commit_parse(&c, &line, data,
	    git_odb_object_size(obj))) != NULL)
		s = commit_why(line, why);
	dipb_commit_release(&c);
	git_odb_object_free(obj);
	return s;
}

const struct dipb_error *
dipb_git_commit_read(struct dipb_commit *c, struct dipb_repo *repo,
    const char *id)
{
	const struct dipb_error *err;
	struct dipb_object *o = NULL;
	const char *why, *line;

	memset(c, 0, sizeof(*c));
	if ((err = dipb_git_object_read_max(&o, repo, id,
	    DIPB_OBJECT_COMMIT, DIPB_GIT_MAX_COMMIT)) != NULL) {
		if (err->code == DIPB_ERR_TOO_LARGE) {
			dipb_error_free(err);
			return too_large("commit", id);
		}
		if (err->code != DIPB_ERR_CORRUPT)
			return err;
		dipb_error_free(err);
		return dipb_error_fmt(DIPB_ERR_CORRUPT, "not a well-formed "
		    "commit: '%s'", id);
	}
	why = dipb_git_commit_parse(c, &line, dipb_object_data(o),
	    dipb_object_size(o));
	dipb_object_free(o);
	if (why != NULL)
		return malformed("commit", id, line, why);
	snprintf(c->id, sizeof(c->id), "%s", id);
	return NULL;
}

const struct dipb_error *
dipb_git_tag_read(struct dipb_tag *t, struct dipb_repo *repo, const char *id)
{
	const struct dipb_error *err;
	struct dipb_object *o = NULL;
	const char *why, *line;

	memset(t, 0, sizeof(*t));
	if ((err = dipb_git_object_read_max(&o, repo, id, DIPB_OBJECT_TAG,
	    DIPB_GIT_MAX_COMMIT)) != NULL) {
		if (err->code != DIPB_ERR_TOO_LARGE)
			return err;
		dipb_error_free(err);
		return too_large("tag", id);
	}
	why = dipb_git_tag_parse(t, &line, dipb_object_data(o),
	    dipb_object_size(o));
	dipb_object_free(o);
	if (why != NULL)
		return malformed("tag", id, line, why);
	snprintf(t->id, sizeof(t->id), "%s", id);
	return NULL;
}

/* ---- trees -------------------------------------------------------- */

void
dipb_git_hex(char out[DIPB_OID_HEX + 1], const unsigned char *raw)
{
	dipb_hex(out, raw, GIT_OID_RAWSZ);
}

/*
 * The entries of the len bytes of tree data at p into t (empty), checked
 * for git's order in the same pass (o): -1 when malformed or out of order,
 * for dipb_tree_find's binary search would miss entries of such a tree
 * and a walk read a name twice (dipb-git(7), "Trees").
 */
static int
tree_parse(struct dipb_tree *t, const char *p, size_t len,
    struct dipb_git_order *o)
{
	struct dipb_tree_entry *e;
	struct dipb_git_entry r;
	const char *end = p + len;
	size_t cap = len / 24 + 1;	/* "1 ", a name, NUL, 20 bytes */

	/* Room for all at once: growing it was a tenth of a dipb list. */
	t->v = xmalloc(cap * sizeof(*t->v));
	while (p < end) {
		if (dipb_git_tree_next(&r, &p, end) < 0 ||
		    dipb_git_order_next(o, &r) != DIPB_GIT_ORDER_OK)
			return -1;
		xgrow((void **)&t->v, &cap, t->n + 1, sizeof(*t->v));
		e = &t->v[t->n++];
		e->name = r.name;
		e->nlen = r.nlen;
		e->mode = r.mode;
		dipb_git_hex(e->id, r.id);
	}
	return 0;
}

/* The tree of the len bytes at data: 0, or -1 (o->problem set when it is
 * one of order). */
static int
tree_parse_checked(struct dipb_tree **out, const char *data, size_t len,
    struct dipb_git_order *o)
{
	struct dipb_tree *t = xcalloc(1, sizeof(*t));

	*out = NULL;
	t->data = data;
	t->len = len;
	if (tree_parse(t, data, len, o) != 0) {
		dipb_tree_free(t);
		return -1;
	}
	*out = t;
	return 0;
}

const struct dipb_error *
dipb_git_tree_read(struct dipb_tree **out, struct dipb_repo *repo,
    const char *id)
{
	return dipb_git_tree_read_path(out, repo, id, NULL);
}

const struct dipb_error *
dipb_git_tree_read_path(struct dipb_tree **out, struct dipb_repo *repo,
    const char *id, const char *path)
{
	const struct dipb_error *err = NULL;
	struct dipb_git_order order;
	struct dipb_object *o;

	*out = NULL;
	if ((err = dipb_git_object_read(&o, repo, id, DIPB_OBJECT_TREE)) !=
	    NULL)
		return err;
	memset(&order, 0, sizeof(order));
	if (tree_parse_checked(out, dipb_object_data(o), dipb_object_size(o),
	    &order) != 0) {
		if (order.problem != DIPB_GIT_ORDER_OK)
			err = dipb_git_order_error(&order, id, path,
			    path != NULL ? strlen(path) : 0, NULL);
		else
			err = dipb_error_fmt(DIPB_ERR_CORRUPT, "malformed "
			    "tree: '%s'", id);
		dipb_git_order_release(&order);
		dipb_object_free(o);
		return err;
	}
	dipb_git_order_release(&order);
	(*out)->obj = o;	/* its bytes, which the tree's entries name */
	return NULL;
}

int
dipb_git_tree_parse(struct dipb_tree **out, const char *data, size_t len)
{
	struct dipb_git_order order;
	int rc;

	memset(&order, 0, sizeof(order));
	rc = tree_parse_checked(out, data, len, &order);
	dipb_git_order_release(&order);
	return rc;
}

const char *
dipb_tree_data(const struct dipb_tree *t, size_t *len)
{
	*len = t->len;
	return t->data;
}

size_t
dipb_tree_count(const struct dipb_tree *t)
{
	return t->n;
}

const struct dipb_tree_entry *
dipb_tree_entry(const struct dipb_tree *t, size_t i)
{
	return i < t->n ? &t->v[i] : NULL;
}

/*
 * git's order: a folder's name sorts as if it ended in '/'.  As the
 * mode of the entry looked for is unknown, both places are tried.
 */
static int
cmp_name(const struct dipb_tree_entry *e, const char *name, size_t len,
    int as_tree)
{
	size_t n = e->nlen < len ? e->nlen : len;
	unsigned char a, b;
	int c;

	if ((c = memcmp(e->name, name, n)) != 0)
		return c;
	a = e->nlen > n ? (unsigned char)e->name[n] :
	    e->mode == DIPB_MODE_TREE ? '/' : '\0';
	b = len > n ? (unsigned char)name[n] : as_tree ? '/' : '\0';
	return (a > b) - (a < b);
}

static const struct dipb_tree_entry *
find(const struct dipb_tree *t, const char *name, size_t len, int as_tree)
{
	size_t lo = 0, hi = t->n, mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = cmp_name(&t->v[mid], name, len, as_tree);
		/* Equal in git's order, "X/y" (a name holding '/') to the
		 * folder X too: the same name only (tree.c, dipb_git_tree_find). */
		if (c == 0)
			return t->v[mid].nlen == len ? &t->v[mid] : NULL;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const struct dipb_tree_entry *
dipb_tree_find(const struct dipb_tree *t, const char *name)
{
	const struct dipb_tree_entry *e;
	size_t len = strlen(name);

	if (t == NULL)
		return NULL;
	if ((e = find(t, name, len, 0)) != NULL && e->mode != DIPB_MODE_TREE)
		return e;
	if ((e = find(t, name, len, 1)) != NULL && e->mode == DIPB_MODE_TREE)
		return e;
	return NULL;
}

void
dipb_tree_free(struct dipb_tree *t)
{
	if (t == NULL)
		return;
	dipb_object_free(t->obj);
	free(t->v);
	free(t);
}

/* ---- a path at a commit ------------------------------------------- */

const struct dipb_error *
dipb_git_read_at(struct dipb_buf *out, char blob[DIPB_OID_HEX + 1],
    int *found, struct dipb_repo *repo, const char *commit,
    const char *path, size_t max)
{
	const struct dipb_error *err;
	struct dipb_commit c;
	struct dipb_tree *t = NULL, *sub;
	const struct dipb_tree_entry *e = NULL;
	struct dipb_object *o = NULL;
	enum dipb_object_type type;
	const char *p, *slash;
	char *name;
	size_t size;

	*found = 0;
	blob[0] = '\0';
	dipb_buf_clear(out);
	if ((err = dipb_git_commit_read(&c, repo, commit)) != NULL)
		return err;
	err = dipb_git_tree_read(&t, repo, c.tree);
	dipb_commit_release(&c);
	for (p = path; err == NULL; p = slash + 1) {
		slash = strchr(p, '/');
		name = slash != NULL ? xstrndup(p, (size_t)(slash - p)) :
		    xstrdup(p);
		e = dipb_tree_find(t, name);
		free(name);
		if (e == NULL || slash == NULL)
			break;
		if (e->mode != DIPB_MODE_TREE) {
			e = NULL;
			break;
		}
		if ((err = dipb_git_tree_read(&sub, repo, e->id)) != NULL)
			break;
		dipb_tree_free(t);
		t = sub;
	}
	if (err != NULL || e == NULL || (e->mode != DIPB_MODE_BLOB &&
	    e->mode != DIPB_MODE_EXEC && e->mode != DIPB_MODE_LINK))
		goto done;
	if (max > 0) {
		/* The header alone, so a huge blob is never inflated. */
		if ((err = dipb_git_object_stat(&type, &size, repo,
		    e->id)) != NULL)
			goto done;
		if (size > max) {
			err = dipb_error_fmt(DIPB_ERR_TOO_LARGE,
			    "%s: larger than %zu bytes", path, max);
			goto done;
		}
	}
	if ((err = dipb_git_object_read(&o, repo, e->id,
	    DIPB_OBJECT_BLOB)) != NULL)
		goto done;
	dipb_buf_put(out, dipb_object_data(o), dipb_object_size(o));
	memcpy(blob, e->id, DIPB_OID_HEX + 1);
	*found = 1;
done:
	dipb_object_free(o);
	dipb_tree_free(t);
	return err;
}

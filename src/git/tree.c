/*
 * git/tree.c - raw trees: entries read, found and spliced in their bytes, big
 * trees written as git writes loose objects; the blobs at the tip read
 * through them.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "internal.h"
#include "../board.h"
#include "../error.h"
#include "../record.h"
#include "../util.h"
#include "../validate.h"

/*
 * A new tree is made from the old one's raw bytes, the edited entries
 * merged in, not with a git_treebuilder: at 10,000 records the
 * treebuilder's hash map and sort cost several times what hashing and
 * compressing the object does.
 */

/* git's order of tree entries: a tree's name sorts as if it ended in '/'. */
static int
entry_cmp(const char *a, size_t alen, int atree, const char *b, size_t blen,
    int btree)
{
	size_t n = alen < blen ? alen : blen;
	unsigned char ca, cb;
	int c;

	if ((c = memcmp(a, b, n)) != 0)
		return c;
	ca = alen > n ? (unsigned char)a[n] : atree ? '/' : '\0';
	cb = blen > n ? (unsigned char)b[n] : btree ? '/' : '\0';
	return (ca > cb) - (ca < cb);
}

/*
 * git fsck's rules of a tree's order (dipb-git(7), "Trees"), an entry at a
 * time, as its fsck.c verifies them: each name after the one before in
 * git's order, and no name twice, a file and a folder of one name
 * included.  Those two need not be neighbours ("foo", "foo.bar",
 * "foo/"): the files that a folder of their name may yet follow are kept
 * on a stack, as fsck keeps them.
 */
int
dipb_git_order_next(struct dipb_git_order *o, const struct dipb_git_entry *e)
{
	const char *n1 = o->name, *n2 = e->name;
	size_t l1 = o->nlen, l2 = e->nlen, len, top;
	unsigned m1 = o->mode;
	unsigned char c1, c2;
	int cmp;

	if (o->problem != DIPB_GIT_ORDER_OK)
		return o->problem;
	o->name = e->name;
	o->nlen = e->nlen;
	o->mode = e->mode;
	if (!o->have) {
		o->have = 1;
		return DIPB_GIT_ORDER_OK;
	}
	len = l1 < l2 ? l1 : l2;
	if ((cmp = memcmp(n1, n2, len)) < 0)
		return DIPB_GIT_ORDER_OK;
	if (cmp > 0)
		return o->problem = DIPB_GIT_ORDER_UNSORTED;
	c1 = l1 > len ? (unsigned char)n1[len] : '\0';
	c2 = l2 > len ? (unsigned char)n2[len] : '\0';
	if (c1 == '\0' && c2 == '\0')
		return o->problem = DIPB_GIT_ORDER_DUPS;
	if (c1 == '\0' && m1 == GIT_FILEMODE_TREE)
		c1 = '/';
	if (c2 == '\0' && e->mode == GIT_FILEMODE_TREE)
		c2 = '/';
	if (c1 == '\0' && c2 > '\0' && c2 < '/') {
		xgrow((void **)&o->stack, &o->cap, o->n + 1,
		    sizeof(*o->stack));
		o->stack[o->n].name = n1;
		o->stack[o->n++].nlen = l1;
	} else if (c2 == '/' && c1 > '\0' && c1 < '/') {
		/* A file no prefix of this folder's name is done with:
		 * dropped, and the one below it tried. */
		while (o->n > 0) {
			top = o->n - 1;
			if (o->stack[top].nlen > l2 || memcmp(n2,
			    o->stack[top].name, o->stack[top].nlen) != 0) {
				o->n--;
				continue;
			}
			if (o->stack[top].nlen == l2)
				return o->problem = DIPB_GIT_ORDER_DUPS;
			if ((unsigned char)n2[o->stack[top].nlen] < '/')
				break;
			o->n--;
		}
	}
	if (c1 >= c2)
		return o->problem = DIPB_GIT_ORDER_UNSORTED;
	return DIPB_GIT_ORDER_OK;
}

/*
 * A file and a folder of one name need not lie near each other ("foo",
 * "foo-x", "foo.bar", "foo/"), so a check of the entries around those a
 * change added (treediff.c) misses the other of such a pair when it was
 * there before.  In a tree that was in git's order and named nothing
 * twice, a new duplicate has an added entry in it: the entry of its name
 * and the other kind is looked up, by a binary search in git's order.
 */
int
dipb_git_order_added(struct dipb_git_order *o, const struct dipb_git_entry *e,
    const char *data, size_t len, const uint32_t *off, size_t n)
{
	struct dipb_git_entry m;

	if (o->problem != DIPB_GIT_ORDER_OK)
		return o->problem;
	/* Malformed: the readers' to refuse. */
	if (dipb_git_tree_find(&m, data, len, off, n, e->name, e->nlen,
	    e->mode != GIT_FILEMODE_TREE) <= 0)
		return DIPB_GIT_ORDER_OK;
	o->name = e->name;
	o->nlen = e->nlen;
	o->mode = e->mode;
	return o->problem = DIPB_GIT_ORDER_DUPS;
}

/*
 * entry_cmp is git's order, not equality: it finds "X/y" (a name holding
 * '/', which git fsck only warns of) equal to the folder X, as both go on
 * with '/'.  So a match is also one of the same name and kind; in a tree
 * in git's order no folder X lies beside such a name (its next entry
 * would begin "X/", which dipb_git_order_next refuses), so the bisection
 * finds X wherever it is.
 */
int
dipb_git_tree_find(struct dipb_git_entry *e, const char *data, size_t len,
    const uint32_t *off, size_t n, const char *name, size_t nlen, int tree)
{
	const char *p;
	size_t lo = 0, hi = n, mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		p = data + off[mid];
		if (off[mid] >= len || dipb_git_tree_next(e, &p, data + len) < 0)
			return -1;
		c = entry_cmp(e->name, e->nlen, e->mode == GIT_FILEMODE_TREE,
		    name, nlen, tree);
		if (c == 0)
			return e->nlen == nlen &&
			    (e->mode == GIT_FILEMODE_TREE) == (tree != 0);
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

void
dipb_git_order_release(struct dipb_git_order *o)
{
	free(o->stack);
	memset(o, 0, sizeof(*o));
}

/* The problem as git fsck words it: its message id and its message. */
const char *
dipb_git_order_problem(int problem)
{
	return problem == DIPB_GIT_ORDER_DUPS ? "duplicateEntries: contains "
	    "duplicate file entries" : "treeNotSorted: not properly sorted";
}

/*
 * The error of a tree that breaks git's order: refused whole, by readers
 * and writers alike, for a lookup in it could miss an entry and a tree
 * made from it keep the fault or lose an entry (dipb-git(7), "Trees").
 */
const struct dipb_error *
dipb_git_order_error(const struct dipb_git_order *o, const char *tree,
    const char *path, size_t plen, const char *commit)
{
	const struct dipb_error *err;
	struct dipb_buf where = DIPB_BUF_INIT;

	if (path != NULL && plen > 0)
		dipb_buf_printf(&where, " (%.*s/", (int)plen, path);
	else if (path != NULL)
		dipb_buf_puts(&where, " (the root tree");
	if (commit != NULL)
		dipb_buf_printf(&where, "%s at commit %s", path != NULL ? "" :
		    " (", commit);
	if (where.len > 0)
		dipb_buf_putc(&where, ')');
	err = dipb_error_fmt(DIPB_ERR_CORRUPT, "tree %s%s: %s, at '%.*s': "
	    "git fsck rejects it, and dipb neither reads it nor writes on "
	    "it; repair the branch with git (dipb-git(7), \"Trees\")", tree,
	    dipb_buf_cstr(&where), dipb_git_order_problem(o->problem),
	    (int)o->nlen, o->name);
	dipb_buf_release(&where);
	return err;
}

/*
 * A tree entry's mode as git judges it (git's canon_mode()): any regular
 * file is 100644, or 100755 when its owner may run it, so that 100664,
 * which old versions of git wrote, is a file as git checks it out; a
 * link is 120000, a folder 40000, and every other mode a gitlink (a
 * submodule), 160000.
 */
unsigned
dipb_git_mode_canon(unsigned mode)
{
	switch (mode & 0170000) {
	case 0100000:
		return mode & 0100 ? GIT_FILEMODE_BLOB_EXECUTABLE :
		    GIT_FILEMODE_BLOB;
	case 0120000:
		return GIT_FILEMODE_LINK;
	case 0040000:
		return GIT_FILEMODE_TREE;
	default:
		return GIT_FILEMODE_COMMIT;
	}
}

const char *
dipb_mode_what(unsigned mode)
{
	switch (dipb_git_mode_canon(mode)) {
	case GIT_FILEMODE_BLOB:
		return "a file";
	case GIT_FILEMODE_BLOB_EXECUTABLE:
		return "an executable file";
	case GIT_FILEMODE_LINK:
		return "a symbolic link";
	case GIT_FILEMODE_TREE:
		return "a folder";
	default:
		return "a gitlink (a submodule's commit)";
	}
}

/*
 * path (from the top of the working tree) as an argument of a git command
 * a message advises: named from where the user is (dipb_repo_path_arg)
 * when r is known, else with git's top-of-the-tree pathspec, ":/PATH",
 * which names it so from any folder of the working tree (gitglossary(7),
 * "pathspec"); shell-quoted either way.  Caller frees.
 */
static char *
top_path_arg(const struct dipb_repo *r, const char *path)
{
	char *top, *arg;

	if (r != NULL)
		return dipb_repo_path_arg(r, path);
	top = xasprintf(":/%s", path);
	arg = dipb_sh_quote(top);
	free(top);
	return arg;
}

char *
dipb_git_link_target(struct dipb_repo *r, const char *id)
{
	const struct dipb_error *err;
	struct dipb_object *o;
	char *link;

	if ((err = dipb_git_blob_read(&o, r, id, PATH_MAX)) != NULL) {
		dipb_error_free(err);
		return NULL;
	}
	link = xstrndup(dipb_object_data(o), dipb_object_size(o));
	dipb_object_free(o);
	return link;
}

/* dipb_git_link_target of an entry of mode with id; NULL: no link. */
static char *
entry_link(struct dipb_repo *r, unsigned mode, const git_oid *id)
{
	char hex[GIT_OID_HEXSZ + 1];

	if (mode != GIT_FILEMODE_LINK)
		return NULL;
	return dipb_git_link_target(r, git_oid_tostr(hex, sizeof(hex), id));
}

/* dipb_repo_not_what of a folder, arg its path as the advice names it. */
static char *
not_a_folder(unsigned mode, const char *link, const char *arg)
{
	char *what = mode == GIT_FILEMODE_LINK ? dipb_validate_link_what(link) :
	    xstrdup(dipb_mode_what(mode));
	char *out = xasprintf("%s, not a folder: no record is read through "
	    "it, and none written; make it a folder again in a commit "
	    "('git revert' the commit that replaced the folder, which "
	    "'git log -1 -- %s' names)", what, arg);

	free(what);
	return out;
}

char *
dipb_repo_not_what(const struct dipb_repo *r, const char *path, unsigned mode,
    int folder, const char *link)
{
	char *arg, *out;

	mode = dipb_git_mode_canon(mode);
	if (!folder && mode == GIT_FILEMODE_LINK)
		return dipb_validate_symlink_what(link);
	arg = top_path_arg(r, path);
	if (!folder && mode == GIT_FILEMODE_TREE)
		out = xasprintf("a folder, not a file: no record is read "
		    "from it, and none written in its place; move it away in "
		    "a commit ('git rm -r --cached %s', then commit), then "
		    "retry", arg);
	else if (!folder)
		out = xasprintf("%s, not a file: no record is read from it; "
		    "replace it with the file itself ('git rm --cached %s', "
		    "then add the file and commit)", dipb_mode_what(mode),
		    arg);
	else
		out = not_a_folder(mode, link, arg);
	free(arg);
	return out;
}

/*
 * Reads the entry at *p, its mode as git judges it (dipb_git_mode_canon:
 * the bytes at start keep the mode as written); -1 when the tree is
 * malformed.
 */
int
dipb_git_tree_next(struct dipb_git_entry *e, const char **p, const char *end)
{
	const char *s = *p, *nul;

	e->start = s;
	e->mode = 0;
	while (s < end && *s >= '0' && *s <= '7')
		e->mode = e->mode * 8 + (unsigned)(*s++ - '0');
	if (s == e->start || s >= end || *s++ != ' ')
		return -1;
	e->mode = dipb_git_mode_canon(e->mode);
	if ((nul = memchr(s, '\0', (size_t)(end - s))) == NULL ||
	    nul == s || (size_t)(end - nul - 1) < GIT_OID_RAWSZ)
		return -1;
	e->name = s;
	e->nlen = (size_t)(nul - s);
	e->id = (const unsigned char *)nul + 1;
	*p = nul + 1 + GIT_OID_RAWSZ;
	e->size = (size_t)(*p - e->start);
	return 0;
}

static void
put_entry(struct dipb_buf *b, unsigned mode, const char *name, size_t nlen,
    const git_oid *id)
{
	dipb_buf_printf(b, "%o ", mode);
	dipb_buf_put(b, name, nlen);
	dipb_buf_putc(b, '\0');
	dipb_buf_put(b, (const char *)id->id, GIT_OID_RAWSZ);
}

/* The entry called name in t: 1 and its mode and id when there is one. */
static int
find_entry(const struct dipb_git_rawtree *t, const char *name, size_t nlen,
    unsigned *mode, git_oid *id)
{
	struct dipb_git_entry e;

	if (dipb_git_tree_find(&e, t->data, t->len, t->off, t->n, name, nlen,
	    0) <= 0 && dipb_git_tree_find(&e, t->data, t->len, t->off, t->n,
	    name, nlen, 1) <= 0)
		return 0;
	*mode = e.mode;
	git_oid_fromraw(id, e.id);
	return 1;
}

/*
 * git fsck's rules of order over the len bytes of tree id at path below
 * root (NULL: not known), the tree id of a commit: one pass, when a tree
 * is read whole, so that no lookup in it can miss an entry and no tree
 * made from it keep the fault (dipb-git(7), "Trees").  A malformed tree,
 * which git cannot read either, is refused here, as every reader of one
 * refuses it; *off is where each entry starts, as treediff.c keeps them.
 */
static const struct dipb_error *
order_check(uint32_t **off, size_t *n, struct dipb_repo *r, const git_oid *id,
    const char *data, size_t len, const char *path, size_t plen,
    const git_oid *root)
{
	const struct dipb_error *err = NULL;
	struct dipb_git_order o;
	struct dipb_git_entry e;
	const char *p = data, *end = data + len;
	char hex[GIT_OID_HEXSZ + 1], tip[GIT_OID_HEXSZ + 1];
	size_t cap = 0;

	memset(&o, 0, sizeof(o));
	*off = NULL;
	*n = 0;
	git_oid_tostr(hex, sizeof(hex), id);
	if (len > UINT32_MAX)
		return dipb_error_fmt(DIPB_ERR_CORRUPT, "tree %s: too large "
		    "(%zu bytes)", hex, len);
	while (p < end) {
		if (dipb_git_tree_next(&e, &p, end) < 0) {
			err = dipb_error_fmt(DIPB_ERR_CORRUPT, "malformed tree "
			    "%s%s%.*s%s: git cannot read it either; repair the "
			    "branch with git (dipb-git(7), \"Trees\")", hex,
			    plen > 0 ? " (" : "", (int)plen,
			    path != NULL ? path : "", plen > 0 ? "/)" : "");
			break;
		}
		xgrow((void **)off, &cap, *n + 1, sizeof(**off));
		(*off)[(*n)++] = (uint32_t)(e.start - data);
		if (dipb_git_order_next(&o, &e) != DIPB_GIT_ORDER_OK) {
			err = dipb_git_order_error(&o, hex, path, plen,
			    root != NULL && !r->unborn &&
			    git_oid_equal(root, &r->root) ?
			    git_oid_tostr(tip, sizeof(tip), &r->tip) : NULL);
			break;
		}
	}
	dipb_git_order_release(&o);
	return err;
}

/*
 * The tree read last as the folder at the plen bytes of path (NULL: not
 * known), or NULL.
 */
static const struct dipb_git_rawtree *
same_folder(const struct dipb_repo *r, const char *path, size_t plen)
{
	const struct dipb_git_rawtree *t;
	unsigned i;

	for (i = 1; path != NULL && i <= DIPB_GIT_RAWTREES; i++) {
		t = &r->rt[(r->rt_next - i) % DIPB_GIT_RAWTREES];
		if (t->data != NULL && t->path != NULL &&
		    strlen(t->path) == plen && memcmp(t->path, path, plen) == 0)
			return t;
	}
	return NULL;
}

/*
 * The bytes of tree id (caller frees) and their length: made from base,
 * the version of its folder read before (NULL: none), when a pack stores
 * it as a delta of that (packdelta.c), as git gc stores each version of
 * recommendations/; else read by libgit2.
 */
static const struct dipb_error *
tree_bytes(char **data, size_t *len, struct dipb_repo *r, const git_oid *id,
    const struct dipb_git_rawtree *base)
{
	const struct dipb_error *err;
	git_odb_object *obj = NULL;
	char hex[GIT_OID_HEXSZ + 1];

	if (base != NULL) {
		if ((*data = dipb_git_packs_delta(len, dipb_git_packs(r), id,
		    &base->id, base->data, base->len, NULL)) != NULL)
			return NULL;
		git_error_clear();
	}
	/* A partial clone's missing tree is fetched (lazy.c). */
	if ((err = dipb_git_odb_read(&obj, r, id)) != NULL)
		return err;
	if (git_odb_object_type(obj) != GIT_OBJECT_TREE) {
		git_odb_object_free(obj);
		return dipb_error_fmt(DIPB_ERR_CORRUPT, "not a tree: %s",
		    git_oid_tostr(hex, sizeof(hex), id));
	}
	*len = git_odb_object_size(obj);
	*data = xmalloc(*len + 1);
	memcpy(*data, git_odb_object_data(obj), *len);
	git_odb_object_free(obj);
	return NULL;
}

/*
 * The raw bytes of a few trees, by id: the root and recommendations/ of
 * the tip are read once per command, not once per lookup.  libgit2 would
 * not cache them: its object cache skips trees over 4 KB, and at 10,000
 * records recommendations/ is 400 KB.  Each is checked for git's order
 * once, as it is read (order_check: path and root name it), in the same
 * pass that notes where its entries start: a lookup in it bisects
 * (find_entry), where a scan of the 10,000 entries cost 0.1 ms a lookup,
 * and the check of a missing tag looks a record up in two places at
 * each commit it walks back.
 *
 * A history walk (report minutes, which reads each change's record at
 * its commit) reads recommendations/ at commit after commit, each
 * version one entry apart from the one before: read as the pack's delta
 * of the version in hand (tree_bytes), and checked for what differs from
 * it alone (dipb_git_tree_order_since), it costs what changed.  A tree
 * that fails that check is checked whole, to be refused as ever.
 */
static const struct dipb_error *
cached_tree(const struct dipb_git_rawtree **out, struct dipb_repo *r,
    const git_oid *id, const char *path, size_t plen, const git_oid *root)
{
	const struct dipb_error *err;
	const struct dipb_git_rawtree *base;
	struct dipb_git_rawtree *t;
	char *data = NULL;
	uint32_t *off = NULL;
	size_t i, n = 0, len = 0;

	for (i = 0; i < DIPB_GIT_RAWTREES; i++) {
		t = &r->rt[i];
		if (t->data != NULL && git_oid_equal(&t->id, id)) {
			*out = t;
			return NULL;
		}
	}
	base = same_folder(r, path, plen);
	if ((err = tree_bytes(&data, &len, r, id, base)) != NULL)
		return err;
	if ((base == NULL || dipb_git_tree_order_since(&off, &n, base->data,
	    base->len, base->off, base->n, data, len) != 0) &&
	    (err = order_check(&off, &n, r, id, data, len, path, plen,
	    root)) != NULL) {
		free(data);
		free(off);
		return err;
	}
	t = &r->rt[r->rt_next++ % DIPB_GIT_RAWTREES];
	free(t->data);
	free(t->off);
	free(t->path);
	t->path = path != NULL ? xstrndup(path, plen) : NULL;
	t->off = off;
	t->n = n;
	t->len = len;
	t->data = data;
	git_oid_cpy(&t->id, id);
	*out = t;
	return NULL;
}

/* The same, its len bytes at *data. */
static const struct dipb_error *
raw_tree(const char **data, size_t *len, struct dipb_repo *r,
    const git_oid *id, const char *path, size_t plen, const git_oid *root)
{
	const struct dipb_error *err;
	const struct dipb_git_rawtree *t;

	if ((err = cached_tree(&t, r, id, path, plen, root)) != NULL)
		return err;
	*data = t->data;
	*len = t->len;
	return NULL;
}

/*
 * The entry at path below the tree root (NULL: none): *found 1 with its
 * mode and id, 0 when there is none.  When what is on the way is no
 * folder (a file, a link, a gitlink), *stop (may be NULL) is the length
 * of its path in path, *mode its mode and *id its id; else *stop is 0.
 */
static const struct dipb_error *
tree_entry(git_oid *id, unsigned *mode, int *found, size_t *stop,
    struct dipb_repo *r, const git_oid *root, const char *path)
{
	const struct dipb_error *err;
	const struct dipb_git_rawtree *t;
	const char *slash, *top = path;
	git_oid cur;
	size_t n;

	*found = 0;
	memset(id, 0, sizeof(*id));
	*mode = 0;
	if (stop != NULL)
		*stop = 0;
	if (root == NULL)
		return NULL;
	git_oid_cpy(&cur, root);
	for (;;) {
		if ((err = cached_tree(&t, r, &cur, top, path > top ?
		    (size_t)(path - top - 1) : 0, root)) != NULL)
			return err;
		slash = strchr(path, '/');
		n = slash != NULL ? (size_t)(slash - path) : strlen(path);
		if (n == 0 || !find_entry(t, path, n, mode, id))
			break;
		if (slash == NULL) {
			*found = 1;
			return NULL;
		}
		if (*mode != GIT_FILEMODE_TREE) {
			if (stop != NULL) {
				*stop = (size_t)(slash - top);
				return NULL;
			}
			break;
		}
		git_oid_cpy(&cur, id);
		path = slash + 1;
	}
	memset(id, 0, sizeof(*id));
	*mode = 0;
	return NULL;
}

/* dipb_git_tip_mode, and the entry's id in *id. */
static unsigned
tip_entry(git_oid *id, struct dipb_repo *r, const char *path)
{
	const struct dipb_error *err;
	unsigned mode;
	int found;

	if ((err = tree_entry(id, &mode, &found, NULL, r,
	    dipb_git_tip_root(r), path)) != NULL) {
		dipb_error_free(err);
		return 0;
	}
	return found ? mode : 0;
}

unsigned
dipb_git_tip_mode(struct dipb_repo *r, const char *path)
{
	git_oid id;

	return tip_entry(&id, r, path);
}

char *
dipb_git_tip_link(struct dipb_repo *r, const char *path)
{
	git_oid id;
	unsigned mode = tip_entry(&id, r, path);

	return entry_link(r, mode, &id);
}

/* The tip's tree, NULL while the branch is unborn. */
const git_oid *
dipb_git_tip_root(const struct dipb_repo *r)
{
	return r->unborn ? NULL : &r->root;
}

/* The file (a blob, not a link) at path at the tip: *found 0 when none. */
const struct dipb_error *
dipb_git_tree_blob(git_oid *id, git_filemode_t *mode, int *found,
    struct dipb_repo *r, const char *path)
{
	return dipb_git_tree_blob_at(id, mode, found, r, dipb_git_tip_root(r),
	    path);
}

/* The same below the tree root (NULL: an empty tree). */
const struct dipb_error *
dipb_git_tree_blob_at(git_oid *id, git_filemode_t *mode, int *found,
    struct dipb_repo *r, const git_oid *root, const char *path)
{
	const struct dipb_error *err;
	unsigned m;

	if (mode != NULL)
		*mode = GIT_FILEMODE_BLOB;
	if ((err = tree_entry(id, &m, found, NULL, r, root, path)) != NULL)
		return err;
	if (*found && m != GIT_FILEMODE_BLOB &&
	    m != GIT_FILEMODE_BLOB_EXECUTABLE) {
		*found = 0;
		memset(id, 0, sizeof(*id));
	} else if (*found && mode != NULL)
		*mode = (git_filemode_t)m;
	return NULL;
}

const struct dipb_error *
dipb_git_tree_entry_at(git_oid *id, int *found, struct dipb_repo *r,
    const git_oid *root, const char *path)
{
	unsigned m;

	return tree_entry(id, &m, found, NULL, r, root, path);
}

/*
 * Trees from this size on (a folder of about 400 records) are written by
 * write_loose(), smaller ones by libgit2 (zlib level 1, whatever the
 * configuration says).
 */
#define LOOSE_MIN	(16 * 1024)

/*
 * Whether every value of key, at every level, is a zlib level git takes
 * (-1 to 9): git parses each value as it reads it and dies of the first
 * bad one, even one a later value or level overrides, where libgit2
 * reads the last only.  *found whether key has a value.
 */
static const struct dipb_error *
level_values(int *found, git_config *cfg, const char *key)
{
	git_config_iterator *it = NULL;
	git_config_entry *e;
	int32_t v;
	int rc, bad = 0;

	*found = 0;
	if (git_config_multivar_iterator_new(&it, cfg, key, NULL) < 0)
		return dipb_error_from_git("cannot read %s", key);
	while ((rc = git_config_next(&e, it)) == 0) {
		*found = 1;
		if (e->value == NULL ||
		    git_config_parse_int32(&v, e->value) < 0 || v < -1 ||
		    v > 9)
			bad = 1;
	}
	git_config_iterator_free(it);
	if (rc != GIT_ITEROVER)
		return dipb_error_from_git("cannot read %s", key);
	git_error_clear();
	return bad ? dipb_error_fmt(DIPB_ERR_USAGE, "bad zlib compression "
	    "level in %s: it takes -1 to 9", key) : NULL;
}

/*
 * The zlib level of loose objects as git reads it (git-config(1)):
 * core.looseCompression, else core.compression, else 1 (Z_BEST_SPEED);
 * -1 is zlib's default level, 0 no compression.  Another value of
 * either key is an error, as it is for git, which dies of a bad
 * core.compression even where core.looseCompression is set, and of a
 * bad value another one overrides.
 */
const struct dipb_error *
dipb_git_loose_level(int *out, struct dipb_repo *r)
{
	static const char *const keys[] = { "core.loosecompression",
	    "core.compression" };
	const struct dipb_error *err = NULL;
	git_config *cfg = NULL;
	int32_t v;
	size_t i;
	int found, set = 0;

	*out = Z_BEST_SPEED;
	if ((err = dipb_git_config_open(&cfg, r->git, &r->format)) != NULL)
		return err;
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]) && err == NULL;
	    i++) {
		if ((err = level_values(&found, cfg, keys[i])) != NULL ||
		    !found || set)
			continue;
		if (git_config_get_int32(&v, cfg, keys[i]) < 0)
			err = dipb_error_from_git("cannot read %s", keys[i]);
		else
			*out = v;
		set = 1;
	}
	git_error_clear();
	git_config_free(cfg);
	return err;
}

/*
 * Writes a big tree as a loose object, compressed at level as git writes
 * its loose objects: at 30,000 records a change's 1.2 MB tree is 0.74 MB
 * at level 1, which costs 18 ms, where it was written stored (level 0)
 * before and every change grew .git by 1.2 MB until git gc.  libgit2's
 * own loose backend would hash the object again (its collision-detecting
 * SHA-1 takes 33 instructions a byte), ignores the configuration, and at
 * level 0 writes no zlib stream at all, which nothing can read back.
 * obj is the whole object, header and data, and id its id
 * (dipb_git_tree_edit computed both).
 */
static const struct dipb_error *
write_loose(struct dipb_repo *r, const git_oid *id,
    const struct dipb_buf *obj, int level)
{
	const struct dipb_error *err = NULL;
	struct dipb_buf z = DIPB_BUF_INIT;
	char hex[GIT_OID_HEXSZ + 1], *dir = NULL, *tmp = NULL, *path = NULL;
	uLongf zlen;

	if (git_odb_exists(r->odb, id))
		return NULL;
	zlen = compressBound(obj->len);
	dipb_buf_grow(&z, zlen);
	if (compress2((Bytef *)z.ptr, &zlen, (const Bytef *)obj->ptr,
	    obj->len, level) != Z_OK) {
		err = dipb_error_fmt(DIPB_ERR_INTERNAL, "zlib cannot "
		    "compress a tree");
		goto done;
	}
	z.len = zlen;

	git_oid_tostr(hex, sizeof(hex), id);
	dir = xasprintf("%s%.2s", r->objdir, hex);
	path = xasprintf("%s/%s", dir, hex + 2);
	tmp = xasprintf("%s/tmp_obj_dipb_%ld", dir, (long)getpid());
	/* Folder and object in core.sharedRepository's modes (perm.c). */
	if ((err = dipb_git_make_object_dir(r, path,
	    strlen(r->objdir))) == NULL)
		err = dipb_write_replace_fix(path, tmp, z.ptr, z.len, 0444,
		    r->fsync ? 2 : 0, dipb_git_perm_fix_tmp, r);
done:
	free(dir);
	free(tmp);
	free(path);
	dipb_buf_release(&z);
	return err;
}

/*
 * A tree made in memory: its id is the SHA-1 of header and data, computed
 * here with the object's bytes (git_odb_hash's collision-detecting SHA-1
 * takes 33 instructions a byte, 13 million at 10,000 records, for bytes
 * dipb built itself from ids already in the repository).
 */
static void
tree_made(git_oid *out, struct dipb_git_trees *made, const struct dipb_buf *data)
{
	struct dipb_git_tree *t;

	xgrow((void **)&made->v, &made->cap, made->n + 1, sizeof(*made->v));
	t = &made->v[made->n++];
	memset(t, 0, sizeof(*t));
	dipb_buf_printf(&t->obj, "tree %zu", data->len);
	dipb_buf_putc(&t->obj, '\0');
	t->hdr = t->obj.len;
	dipb_buf_put(&t->obj, dipb_buf_cstr(data), data->len);
	dipb_git_sha1(t->id.id, t->obj.ptr, t->obj.len);
	git_oid_cpy(out, &t->id);
}

const struct dipb_error *
dipb_git_trees_write(struct dipb_repo *r, const struct dipb_git_trees *made)
{
	const struct dipb_error *err = NULL;
	const struct dipb_git_tree *t;
	git_oid id;
	size_t i;
	int level = -2;		/* not read yet */

	for (i = 0; i < made->n && err == NULL; i++) {
		t = &made->v[i];
		if (t->obj.len - t->hdr >= LOOSE_MIN && r->objdir != NULL) {
			if (level == -2 && (err = dipb_git_loose_level(&level,
			    r)) != NULL)
				break;
			err = write_loose(r, &t->id, &t->obj, level);
		}
		else if (git_odb_write(&id, r->odb, t->obj.ptr + t->hdr,
		    t->obj.len - t->hdr, GIT_OBJECT_TREE) < 0)
			err = dipb_error_from_git("cannot write a tree");
		else if (!git_oid_equal(&id, &t->id))
			err = dipb_error_fmt(DIPB_ERR_INTERNAL,
			    "a tree's id is not the one computed");
	}
	return err;
}

void
dipb_git_trees_release(struct dipb_git_trees *made)
{
	size_t i;

	for (i = 0; i < made->n; i++)
		dipb_buf_release(&made->v[i].obj);
	free(made->v);
	memset(made, 0, sizeof(*made));
}

/*
 * The edits of one tree, grouped by the entry of that tree each changes:
 * a file (the edit's whole path) or a folder (the path's first part, the
 * edits below it made in one subtree).  Sorted in git's order of entries,
 * so that the new tree is made in one pass over the old one, and a change
 * moving every record of a board costs one pass, not one copy of the
 * board-sized tree per record.
 */
struct egroup {
	const char	*name;
	size_t		 nlen;
	int		 folder;
	size_t		 first;		/* the edit's index: ties keep order */
};

static int
egroup_cmp(const void *a, const void *b)
{
	const struct egroup *x = a, *y = b;
	int c = entry_cmp(x->name, x->nlen, x->folder, y->name, y->nlen,
	    y->folder);

	if (c != 0)
		return c;
	return (x->first > y->first) - (x->first < y->first);
}

/* One entry of the old tree, as parsed, for the merge and its searches. */
struct oentry {
	const char	*start;
	size_t		 size;
	const char	*name;
	size_t		 nlen;
	unsigned	 mode;
	const unsigned char *id;
};

/* The entry of ents named (name, folder), by git's order; NULL if none. */
static const struct oentry *
oentry_find(const struct oentry *ents, size_t n, const char *name,
    size_t nlen, int folder)
{
	size_t lo = 0, hi = n, mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = entry_cmp(name, nlen, folder, ents[mid].name,
		    ents[mid].nlen, ents[mid].mode == GIT_FILEMODE_TREE);
		if (c == 0)
			return &ents[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/*
 * An old entry into the new tree: its bytes, but for a zero-padded mode
 * ("0100644", git fsck's zeroPaddedFilemode), written canonical as git
 * writes a tree from its index, so that no tree dipb makes is one fsck
 * rejects (dipb-git(7), "Trees").
 */
static void
copy_entry(struct dipb_buf *b, const struct oentry *e)
{
	git_oid id;

	if (e->start[0] != '0') {
		dipb_buf_put(b, e->start, e->size);
		return;
	}
	git_oid_fromraw(&id, e->id);
	put_entry(b, e->mode, e->name, e->nlen, &id);
}

/* What a group makes of its entry: dropped (mode 0), or (mode, id). */
struct eresult {
	const struct egroup *g;
	unsigned	 mode;
	git_oid		 id;
};

/*
 * The refusal of an edit whose entry g (of edit e) is in the tree as old,
 * not as the file or folder the edit writes: the path named from the top
 * of the tree edited, a link with what it points to.
 */
static const struct dipb_error *
in_the_way(struct dipb_repo *r, const struct dipb_git_tree_edit *e,
    const struct egroup *g, const struct oentry *old)
{
	const struct dipb_error *err;
	const char *top = e->whole;
	char *path = xstrndup(top, (size_t)(g->name - top) + g->nlen);
	char *link, *what;
	git_oid id;

	git_oid_fromraw(&id, old->id);
	link = entry_link(r, dipb_git_mode_canon(old->mode), &id);
	what = dipb_repo_not_what(r, path, old->mode, g->folder, link);
	err = dipb_error_fmt(DIPB_ERR_INVALID, "%s is committed as %s", path,
	    what);
	free(what);
	free(link);
	free(path);
	return err;
}

static const struct dipb_error *edit_tree(git_oid *out, int *empty,
	    struct dipb_git_trees *made, struct dipb_repo *r,
	    const git_oid *base, struct dipb_git_tree_edit *edits, size_t n,
	    int keep_empty, const char *path, const git_oid *root);

/*
 * The entry of folder group g: the subtree below it (of old, its entry in
 * the old tree, when there is one) made with the edits of the group
 * (edits[k] for k in idx[0..m)); a folder left empty is dropped.
 */
static const struct dipb_error *
edit_folder(struct eresult *res, struct dipb_git_trees *made,
    struct dipb_repo *r, const struct oentry *old,
    struct dipb_git_tree_edit *edits, const size_t *idx, size_t m,
    const char *path, const git_oid *root)
{
	const struct dipb_error *err;
	struct dipb_git_tree_edit *sub = xcalloc(m + 1, sizeof(*sub));
	char *subpath = xasprintf("%s%s%.*s", path, *path != '\0' ? "/" : "",
	    (int)res->g->nlen, res->g->name);
	git_oid base;
	size_t k, clen = res->g->nlen;
	int empty;

	for (k = 0; k < m; k++) {
		sub[k] = edits[idx[k]];
		sub[k].path += clen + 1;
		sub[k].done = 0;
		edits[idx[k]].done = 1;
	}
	if (old != NULL)
		git_oid_fromraw(&base, old->id);
	err = edit_tree(&res->id, &empty, made, r, old != NULL ? &base : NULL,
	    sub, m, 0, subpath, root);
	res->mode = err == NULL && !empty ? GIT_FILEMODE_TREE : 0;
	free(subpath);
	free(sub);
	return err;
}

/*
 * The entries of raw tree cur into *ents (*n of them), pointing into
 * cur's bytes: the merge's and its searches' (struct oentry).
 */
static const struct dipb_error *
old_entries(struct oentry **ents, size_t *n, const struct dipb_buf *cur)
{
	struct dipb_git_entry e;
	struct oentry *o;
	const char *p, *end;
	size_t cap = 0;

	for (p = dipb_buf_cstr(cur), end = p + cur->len; p < end; (*n)++) {
		if (dipb_git_tree_next(&e, &p, end) < 0)
			return dipb_error_fmt(DIPB_ERR_CORRUPT,
			    "malformed tree");
		xgrow((void **)ents, &cap, *n + 1, sizeof(**ents));
		o = &(*ents)[*n];
		o->start = e.start;
		o->size = e.size;
		o->name = e.name;
		o->nlen = e.nlen;
		o->mode = e.mode;
		o->id = e.id;
	}
	return NULL;
}

/*
 * The groups of the n edits not done yet, into gs (room for n), sorted in
 * git's order (struct egroup); their number.
 */
static size_t
edit_groups(struct egroup *gs, const struct dipb_git_tree_edit *edits,
    size_t n)
{
	struct egroup *g;
	const char *slash;
	size_t i, ng = 0;

	for (i = 0; i < n; i++) {
		if (edits[i].done)
			continue;
		g = &gs[ng++];
		slash = strchr(edits[i].path, '/');
		g->name = edits[i].path;
		g->nlen = slash != NULL ? (size_t)(slash - g->name) :
		    strlen(g->name);
		g->folder = slash != NULL;
		g->first = i;
	}
	qsort(gs, ng, sizeof(*gs), egroup_cmp);
	return ng;
}

/*
 * The entry of file group gs[0..k) (the groups of one file, in the
 * edits' order): several edits of one file, the last one wins.
 */
static void
edit_file(struct eresult *res, struct dipb_git_tree_edit *edits,
    const struct egroup *gs, size_t k)
{
	size_t m;

	for (m = 0; m < k; m++)
		edits[gs[m].first].done = 1;
	res->mode = (unsigned)edits[gs[k - 1].first].mode;
	if (res->mode != 0)
		git_oid_cpy(&res->id, edits[gs[k - 1].first].id);
}

/*
 * The merge into next: the old entries and the results, both in git's
 * order; a result of mode 0 drops its entry.
 */
static void
merge_entries(struct dipb_buf *next, const struct oentry *ents, size_t nents,
    const struct eresult *res, size_t nres)
{
	size_t i, k;
	int c;

	for (i = 0, k = 0; i < nents || k < nres; ) {
		c = i == nents ? 1 : k == nres ? -1 : entry_cmp(ents[i].name,
		    ents[i].nlen, ents[i].mode == GIT_FILEMODE_TREE,
		    res[k].g->name, res[k].g->nlen, res[k].g->folder);
		if (c < 0) {
			copy_entry(next, &ents[i]);
			i++;
			continue;
		}
		if (res[k].mode != 0)
			put_entry(next, res[k].mode, res[k].g->name,
			    res[k].g->nlen, &res[k].id);
		if (c == 0)
			i++;
		k++;
	}
}

/*
 * Makes the tree base (NULL: an empty one) with the edits applied: *out
 * its id, *empty set when it has no entry (then it is not added to made
 * unless keep_empty).  path is base's below root, for messages.
 */
static const struct dipb_error *
edit_tree(git_oid *out, int *empty, struct dipb_git_trees *made,
    struct dipb_repo *r, const git_oid *base, struct dipb_git_tree_edit *edits,
    size_t n, int keep_empty, const char *path, const git_oid *root)
{
	const struct dipb_error *err = NULL;
	struct dipb_buf cur = DIPB_BUF_INIT, next = DIPB_BUF_INIT;
	struct oentry *ents = NULL;
	struct egroup *gs = xcalloc(n + 1, sizeof(*gs));
	struct eresult *res = xcalloc(n + 1, sizeof(*res));
	size_t *idx = xcalloc(n + 1, sizeof(*idx));
	const struct oentry *file, *dir;
	const char *data;
	size_t i, k, m, ng, nres = 0, nents = 0, len;
	struct egroup *g;

	*empty = 0;
	if (base != NULL) {
		/* A copy: the subtrees read below may evict it (raw_tree). */
		if ((err = raw_tree(&data, &len, r, base, path, strlen(path),
		    root)) != NULL)
			goto done;
		dipb_buf_put(&cur, data, len);
	}
	if ((err = old_entries(&ents, &nents, &cur)) != NULL)
		goto done;
	ng = edit_groups(gs, edits, n);

	/* What each entry the edits name becomes. */
	for (i = 0; i < ng && err == NULL; i = k) {
		g = &gs[i];
		for (k = i + 1, m = 0; k < ng && gs[k].folder == g->folder &&
		    gs[k].nlen == g->nlen && memcmp(gs[k].name, g->name,
		    g->nlen) == 0; k++)
			;
		for (m = 0; i + m < k; m++)
			idx[m] = gs[i + m].first;
		file = oentry_find(ents, nents, g->name, g->nlen, 0);
		dir = oentry_find(ents, nents, g->name, g->nlen, 1);
		res[nres].g = g;
		if ((g->folder && file != NULL) || (!g->folder && dir != NULL))
			err = in_the_way(r, &edits[g->first], g,
			    g->folder ? file : dir);
		else if (g->folder)
			err = edit_folder(&res[nres], made, r, dir, edits, idx,
			    m, path, root);
		else
			edit_file(&res[nres], edits, &gs[i], k - i);
		nres++;
	}
	if (err != NULL)
		goto done;

	dipb_buf_grow(&next, cur.len + 64);
	merge_entries(&next, ents, nents, res, nres);
	*empty = next.len == 0;
	if (!*empty || keep_empty)
		tree_made(out, made, &next);
done:
	free(idx);
	free(res);
	free(gs);
	free(ents);
	dipb_buf_release(&cur);
	dipb_buf_release(&next);
	return err;
}

const struct dipb_error *
dipb_git_tree_edit(git_oid *out, struct dipb_git_trees *made,
    struct dipb_repo *r, const git_oid *base, struct dipb_git_tree_edit *edits,
    size_t n)
{
	size_t i;
	int empty;

	/*
	 * Each edit's whole path, for the refusals of the subtrees, which
	 * name an entry by its place in it: set here, never left from an
	 * earlier edit of another path.
	 */
	for (i = 0; i < n; i++)
		edits[i].whole = edits[i].path;
	return edit_tree(out, &empty, made, r, base, edits, n, 1, "", base);
}

/* ---- blobs at the tip ------------------------------------------- */

const struct dipb_error *
dipb_repo_read(struct dipb_buf *out, int *found, struct dipb_repo *r,
    const char *path, size_t max)
{
	const struct dipb_error *err;
	git_blob *blob = NULL;
	git_object_t type;
	git_oid id;
	size_t len, stop;
	unsigned mode;
	int have;
	char *what, *link;

	dipb_buf_clear(out);
	*found = 0;
	if ((err = tree_entry(&id, &mode, &have, &stop, r,
	    dipb_git_tip_root(r), path)) != NULL)
		return err;
	/*
	 * Not followed, and not taken for no file either: a record or
	 * dipb.yaml committed as a link or a gitlink, or a folder on the
	 * way committed as one, is named (dipb-validate(1), symlink, io).
	 */
	if ((have || stop > 0) && (mode == GIT_FILEMODE_LINK ||
	    mode == GIT_FILEMODE_COMMIT)) {
		if (!have)
			path = xstrndup(path, stop);
		link = entry_link(r, mode, &id);
		what = dipb_repo_not_what(r, path, mode, !have, link);
		err = dipb_error_fmt(DIPB_ERR_INVALID, "%s: %s", path, what);
		free(link);
		free(what);
		if (!have)
			free((char *)path);
		return err;
	}
	if (!have || (mode != GIT_FILEMODE_BLOB &&
	    mode != GIT_FILEMODE_BLOB_EXECUTABLE))
		return NULL;
	if ((err = dipb_git_have(r, &id)) != NULL)
		return err;
	if (max > 0) {
		/* The header alone, so a huge blob is never inflated. */
		if (git_odb_read_header(&len, &type, r->odb, &id) < 0)
			return dipb_git_read_failed(r, &id, "cannot read "
			    "'%s'", path);
		if (len > max)
			return dipb_error_fmt(DIPB_ERR_TOO_LARGE,
			    "%s: file larger than %zu bytes", path, max);
	}
	if (git_blob_lookup(&blob, r->git, &id) < 0)
		return dipb_git_read_failed(r, &id, "cannot read '%s'", path);
	dipb_buf_put(out, git_blob_rawcontent(blob),
	    (size_t)git_blob_rawsize(blob));
	git_blob_free(blob);
	*found = 1;
	return NULL;
}

/*
 * A copy of the tree at path below root (empty when there is none): callers
 * may read other trees while they walk it.
 */
static const struct dipb_error *
copy_tree(struct dipb_buf *out, struct dipb_repo *r, const git_oid *root,
    const char *path)
{
	const struct dipb_error *err;
	const char *data;
	git_oid id;
	unsigned mode;
	size_t len;
	int found;

	dipb_buf_clear(out);
	if ((err = tree_entry(&id, &mode, &found, NULL, r, root, path)) !=
	    NULL ||
	    !found || mode != GIT_FILEMODE_TREE)
		return err;
	if ((err = raw_tree(&data, &len, r, &id, path, strlen(path),
	    root)) != NULL)
		return err;
	dipb_buf_put(out, data, len);
	return NULL;
}

/* c in capitals, ASCII alone: a record's name is (dipb-record(5)). */
static char
upper(char c)
{
	return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

/*
 * Entry name e (its first plen bytes against prefix, an id's prefix in
 * capitals) into out, as a record file's name in any case: 1 when it
 * is one but for case, its prefix and its ".yaml" made the record's.
 */
static int
fold_name(char *out, const struct dipb_git_entry *e, const char *prefix,
    size_t plen)
{
	size_t i;

	for (i = 0; i < e->nlen; i++) {
		out[i] = i < plen ? upper(e->name[i]) : e->name[i];
		if (i >= e->nlen - 5 && out[i] >= 'A' && out[i] <= 'Z')
			out[i] = (char)(out[i] - 'A' + 'a');
	}
	return memcmp(out, prefix, plen) == 0 && out[plen] == '-';
}

/* Entries of a tree, their names pointing into it. */
struct entries {
	struct dipb_git_entry *v;
	size_t		 n, cap;
};

/*
 * What a scan of the record files of prefix finds: their highest number;
 * whether one numbered want (0: none looked for) is there; the folders
 * named prefix in any case (at the top of recommendations/ alone).
 */
struct scan {
	const char	*prefix;	/* an id's prefix, in capitals */
	unsigned long	 want;
	unsigned long	 max;
	int		 held;
	struct entries	 subs;
};

/* 1 when e is a folder named prefix (plen bytes, in capitals), any case. */
static int
folder_of(const struct dipb_git_entry *e, const char *prefix, size_t plen)
{
	size_t i;

	if (e->mode != GIT_FILEMODE_TREE || e->nlen != plen)
		return 0;
	for (i = 0; i < plen && upper(e->name[i]) == prefix[i]; i++)
		continue;
	return i == plen;
}

/*
 * The record files of s->prefix in a raw tree, the folder dir (at most
 * DIPB_RECORD_DIR/<prefix>/<digits>, named in the prefix's case), into
 * s; subs: the tree is recommendations/, its prefix folders gathered,
 * their entries pointing into tree.
 * A name that is a record file's in another case ("ic-0003.yaml",
 * committed with plain git) counts too, whatever the clone's
 * core.ignorecase: git on macOS and Windows takes the two for one path,
 * and a tree that holds both cannot be checked out there
 * (dipb-recommend(1), dipb-sync(1)).  Folded as it is read: no second
 * pass.
 */
static void
tree_scan(struct scan *s, const struct dipb_buf *tree, const char *dir,
    int subs)
{
	struct dipb_git_entry e;
	char path[64 + DIPB_MAX_ID + 5], id[DIPB_MAX_ID + 1], p[9];
	const char *rp = dipb_buf_cstr(tree), *end = rp + tree->len;
	unsigned long num;
	size_t plen = strlen(s->prefix), dlen = strlen(dir);

	if (dlen + 1 > 64)
		return;
	memcpy(path, dir, dlen);
	path[dlen] = '/';
	while (rp < end && dipb_git_tree_next(&e, &rp, end) == 0) {
		if (subs && folder_of(&e, s->prefix, plen)) {
			xgrow((void **)&s->subs.v, &s->subs.cap,
			    s->subs.n + 1, sizeof(*s->subs.v));
			s->subs.v[s->subs.n++] = e;
			continue;
		}
		/*
		 * Any entry of a record file's name, whatever it is (a file,
		 * a link, a gitlink, a folder), takes its number: a new
		 * record is never given a path the branch holds.  Most names
		 * are another prefix's: they are not parsed.
		 */
		if (e.nlen <= plen + 5 || e.nlen > DIPB_MAX_ID + 5 ||
		    !fold_name(path + dlen + 1, &e, s->prefix, plen))
			continue;
		if (dipb_record_path_parse(path, dlen + 1 + e.nlen, id,
		    NULL) != 0 || dipb_id_split(id, p, &num) != 0 ||
		    strcmp(p, s->prefix) != 0)
			continue;
		if (num > s->max)
			s->max = num;
		if (s->want != 0 && num == s->want)
			s->held = 1;
	}
}

/* A shard's number, its folder's name (digits), or -1 when it is none. */
static int
shard_number(unsigned long *out, const struct dipb_git_entry *e)
{
	size_t i;

	*out = 0;
	if (e->mode != GIT_FILEMODE_TREE || e->nlen == 0 || e->nlen > 16)
		return -1;
	for (i = 0; i < e->nlen; i++) {
		if (e->name[i] < '0' || e->name[i] > '9')
			return -1;
		*out = *out * 10 + (unsigned long)(e->name[i] - '0');
	}
	return 0;
}

/*
 * A copy of the raw tree of entry e of the folder dir into out, its path
 * into *path (caller frees): callers read other trees while they walk it.
 */
static const struct dipb_error *
entry_tree(struct dipb_buf *out, char **path, struct dipb_repo *r,
    const char *dir, const struct dipb_git_entry *e, const git_oid *root)
{
	const struct dipb_error *err;
	const char *data;
	git_oid id;
	size_t len;

	*path = xasprintf("%s/%.*s", dir, (int)e->nlen, e->name);
	git_oid_fromraw(&id, e->id);
	if ((err = raw_tree(&data, &len, r, &id, *path, strlen(*path),
	    root)) == NULL)
		dipb_buf_put(out, data, len);
	return err;
}

/*
 * The shard e (digits) of the prefix folder dir (its name in any case)
 * scanned into s, its files taken as the prefix's.
 */
static const struct dipb_error *
shard_scan(struct scan *s, struct dipb_repo *r, const char *dir,
    const struct dipb_git_entry *e, const git_oid *root)
{
	const struct dipb_error *err;
	struct dipb_buf shard = DIPB_BUF_INIT;
	char *sub, *as;

	if ((err = entry_tree(&shard, &sub, r, dir, e, root)) == NULL) {
		as = xasprintf("%s/%s/%.*s", DIPB_RECORD_DIR, s->prefix,
		    (int)e->nlen, e->name);
		tree_scan(s, &shard, as, 0);
		free(as);
	}
	dipb_buf_release(&shard);
	free(sub);
	return err;
}

/*
 * The shards of a folder of s->prefix (dipb-board(5), "layout"), the raw
 * tree top whose path is dir, scanned into s: with s->want, those of its
 * number alone; else from the largest number down until one holds a
 * record, so that a change reads one small tree, not all of them.
 */
static const struct dipb_error *
shards_scan(struct scan *s, struct dipb_repo *r, const struct dipb_buf *top,
    const char *dir, const git_oid *root)
{
	const struct dipb_error *err = NULL;
	struct dipb_git_entry e, beste;
	const char *rp, *end = dipb_buf_cstr(top) + top->len;
	unsigned long num, below = ULONG_MAX, best, was = s->max;
	int have;

	s->max = 0;
	/* Each round takes the largest shard below the last one read. */
	while (err == NULL && s->max == 0 && !s->held) {
		have = 0;
		best = 0;
		/* Its entry kept: the folder's digits may start with 0. */
		for (rp = dipb_buf_cstr(top); rp < end &&
		    dipb_git_tree_next(&e, &rp, end) == 0; ) {
			if (shard_number(&num, &e) != 0)
				continue;
			if (s->want != 0 && num == s->want / 100 &&
			    (err = shard_scan(s, r, dir, &e, root)) != NULL)
				break;
			if (num < below && (!have || num > best)) {
				best = num;
				beste = e;
				have = 1;
			}
		}
		if (!have || s->want != 0 || err != NULL)
			break;
		below = best;
		err = shard_scan(s, r, dir, &beste, root);
	}
	if (was > s->max)
		s->max = was;
	return err;
}

/* The same, of the folder's entry: the prefix's name in any case. */
static const struct dipb_error *
sharded_scan(struct scan *s, struct dipb_repo *r,
    const struct dipb_git_entry *folder, const git_oid *root)
{
	const struct dipb_error *err;
	struct dipb_buf top = DIPB_BUF_INIT;
	char *dir;

	if ((err = entry_tree(&top, &dir, r, DIPB_RECORD_DIR, folder,
	    root)) == NULL)
		err = shards_scan(s, r, &top, dir, root);
	free(dir);
	dipb_buf_release(&top);
	return err;
}

/* The one reader of the records at a commit (records.c), at the tip. */
const struct dipb_error *
dipb_repo_each_record(struct dipb_repo *r, dipb_repo_blob_fn fn, void *arg)
{
	char root[GIT_OID_HEXSZ + 1];

	if (r->unborn)
		return NULL;
	git_oid_tostr(root, sizeof(root), &r->root);
	return dipb_git_each_record_tree(r, root, fn, arg);
}

/*
 * The record files of s->prefix below the tree root scanned into s, in
 * both layouts: a board moved to shards may keep a flat file.  And every
 * folder of the prefix's name in any case, recommendations/ic/ beside
 * IC/: on macOS and Windows git checks the two out as one.
 */
static const struct dipb_error *
records_scan(struct scan *s, struct dipb_repo *r, const git_oid *root)
{
	const struct dipb_error *err;
	struct dipb_buf tree = DIPB_BUF_INIT;
	size_t i;

	if ((err = copy_tree(&tree, r, root, DIPB_RECORD_DIR)) != NULL)
		return err;
	tree_scan(s, &tree, DIPB_RECORD_DIR, 1);
	for (i = 0; err == NULL && i < s->subs.n; i++)
		err = sharded_scan(s, r, &s->subs.v[i], root);
	free(s->subs.v);
	dipb_buf_release(&tree);
	return err;
}

const struct dipb_error *
dipb_git_records_max(unsigned long *max, struct dipb_repo *r,
    const git_oid *root, const char *prefix)
{
	const struct dipb_error *err;
	struct scan s = { prefix, 0, 0, 0, { NULL, 0, 0 } };

	err = records_scan(&s, r, root);
	*max = err == NULL ? s.max : 0;
	return err;
}

const struct dipb_error *
dipb_git_record_held(int *held, struct dipb_repo *r, const git_oid *root,
    const char *id)
{
	const struct dipb_error *err;
	struct scan s = { NULL, 0, 0, 0, { NULL, 0, 0 } };
	char prefix[9];

	*held = 0;
	if (dipb_id_split(id, prefix, &s.want) != 0 || s.want == 0)
		return dipb_error_fmt(DIPB_ERR_BAD_ID, "not a record id: '%s'",
		    id);
	s.prefix = prefix;
	if ((err = records_scan(&s, r, root)) == NULL)
		*held = s.held;
	return err;
}

/* ---- every file below a folder (dipb migrate) ---------------------- */

static void
files_add(struct dipb_repo_files *out, const char *dir, size_t dlen,
    const struct dipb_git_entry *e)
{
	struct dipb_repo_file *f;

	xgrow((void **)&out->v, &out->cap, out->n + 1, sizeof(*out->v));
	f = &out->v[out->n++];
	f->path = xasprintf("%.*s/%.*s", (int)dlen, dir, (int)e->nlen,
	    e->name);
	dipb_git_hex(f->id, e->id);
	f->mode = e->mode;
}

/* The files of tree id, whose path is dir, and of its subtrees. */
static const struct dipb_error *
files_walk(struct dipb_repo_files *files, struct dipb_repo_files *others,
    struct dipb_repo *r, const git_oid *id, const char *dir, int depth,
    const git_oid *root)
{
	const struct dipb_error *err = NULL;
	struct dipb_buf tree = DIPB_BUF_INIT;
	struct dipb_git_entry e;
	const char *data, *p, *end;
	git_oid sub;
	char *path;
	size_t len;

	if (depth > 64)
		return dipb_error_fmt(DIPB_ERR_CORRUPT, "folders nested too "
		    "deep: '%s'", dir);
	/* A copy: the subtrees read below may evict it (raw_tree). */
	if ((err = raw_tree(&data, &len, r, id, dir, strlen(dir), root)) !=
	    NULL)
		return err;
	dipb_buf_put(&tree, data, len);
	for (p = dipb_buf_cstr(&tree), end = p + tree.len; p < end &&
	    err == NULL; ) {
		if (dipb_git_tree_next(&e, &p, end) < 0) {
			err = dipb_error_fmt(DIPB_ERR_CORRUPT, "malformed "
			    "tree: '%s'", dir);
			break;
		}
		if (e.mode == GIT_FILEMODE_TREE) {
			git_oid_fromraw(&sub, e.id);
			path = xasprintf("%s/%.*s", dir, (int)e.nlen, e.name);
			err = files_walk(files, others, r, &sub, path,
			    depth + 1, root);
			free(path);
		} else
			files_add(e.mode == GIT_FILEMODE_BLOB ||
			    e.mode == GIT_FILEMODE_BLOB_EXECUTABLE ? files :
			    others, dir, strlen(dir), &e);
	}
	dipb_buf_release(&tree);
	return err;
}

const struct dipb_error *
dipb_repo_files_below(struct dipb_repo_files *files,
    struct dipb_repo_files *others, struct dipb_repo *r, const char *folder)
{
	char root[GIT_OID_HEXSZ + 1];

	if (r->unborn)
		return NULL;
	git_oid_tostr(root, sizeof(root), &r->root);
	return dipb_repo_files_below_at(files, others, r, root, folder);
}

const struct dipb_error *
dipb_repo_files_below_at(struct dipb_repo_files *files,
    struct dipb_repo_files *others, struct dipb_repo *r, const char *root,
    const char *folder)
{
	const struct dipb_error *err;
	git_oid id, rid;
	unsigned mode;
	int found;

	if (git_oid_fromstr(&rid, root) < 0)
		return dipb_error_fmt(DIPB_ERR_INTERNAL, "not a tree id: '%s'",
		    root);
	if ((err = tree_entry(&id, &mode, &found, NULL, r, &rid, folder)) !=
	    NULL || !found)
		return err;
	if (mode != GIT_FILEMODE_TREE)
		return dipb_error_fmt(DIPB_ERR_INVALID, "%s is not a folder",
		    folder);
	return files_walk(files, others, r, &id, folder, 0, &rid);
}

void
dipb_repo_files_release(struct dipb_repo_files *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i].path);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/*
 * treediff.c - what changed between two root trees, from their raw
 * bytes (repo.h, "Reading the history").
 *
 * The root trees hold a handful of entries; recommendations/ may hold
 * 10,000.  Two versions of it are compared from their raw bytes: the
 * common prefix is skipped with memcmp, then entries are walked in git's
 * order until the rest of both trees is byte for byte the same, so a
 * change of one record costs a few memcmp of the folder, not a diff of
 * 10,000 entries.  Along a line of history (dipb_treediff_next) the
 * offsets of the folder's entries are kept from one tree to the next, so
 * the walk starts at the entry holding the first differing byte.
 * A board of the sharded layout (dipb-board(5), "layout") keeps in
 * recommendations/ a folder a prefix, each a folder a hundred: those that
 * changed are compared whole (they are small), down to their files.
 * meetings/ (one file per board meeting, meeting.h) is small and is
 * compared whole when it changed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../board.h"
#include "../error.h"
#include "../meeting.h"
#include "../record.h"
#include "internal.h"

/* The offsets at which the entries of a raw tree start, in order. */
struct bounds {
	uint32_t	*v;
	size_t		 n;
	size_t		 cap;
};

/* The entries of a tree that a walk found added (diff_raw). */
struct added {
	struct dipb_git_entry	*v;
	size_t			 n;
	size_t			 cap;
};

/*
 * Shard folders read, by id: a commit's folders as they are after it are
 * the next commit's before it.  A sharded board of 30,000 records has a
 * folder recommendations/IC/ of 300 entries, over the 4 KiB of a tree that
 * libgit2 keeps in its cache, and each commit read it twice, each time
 * from its chain of deltas.
 */
#define SHARDS_KEPT	8

struct shards {
	struct dipb_object	*v[SHARDS_KEPT];
	char			 id[SHARDS_KEPT][DIPB_OID_HEX + 1];
	size_t			 n;
};

static void
shards_clear(struct shards *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->n; i++)
		dipb_object_free(s->v[i]);
	s->n = 0;
}

struct dipb_treediff {
	struct dipb_repo	*repo;
	/* The trees of the last call: root, recommendations/. */
	struct dipb_object	*root;
	char			 root_id[DIPB_OID_HEX + 1];
	struct dipb_object	*sub;
	char			 sub_id[DIPB_OID_HEX + 1];
	struct bounds		 bounds;	/* sub's entry offsets */
	char			*spare;		/* the bytes of the sub before */
	int			 seeding;	/* dipb_treediff_seed: no shard
						 * folder expanded */
	/* The shard folders the last call read, as they are after it:
	 * what the next compares with (struct shards). */
	struct shards		*shards;
	struct shards		*next;
	/* The last call's tree out of git's order: its error's message. */
	char			*order;
};

/* git's order of tree entries: a tree's name sorts as if it ended in '/'. */
static int
tent_cmp(const struct dipb_git_entry *a, const struct dipb_git_entry *b)
{
	size_t n = a->nlen < b->nlen ? a->nlen : b->nlen;
	unsigned char ca, cb;
	int c;

	if ((c = memcmp(a->name, b->name, n)) != 0)
		return c;
	ca = a->nlen > n ? (unsigned char)a->name[n] :
	    a->mode == DIPB_MODE_TREE ? '/' : '\0';
	cb = b->nlen > n ? (unsigned char)b->name[n] :
	    b->mode == DIPB_MODE_TREE ? '/' : '\0';
	return (ca > cb) - (ca < cb);
}

static void
add_change(struct dipb_tree_changes *out, const char *prefix,
    const struct dipb_git_entry *a, const struct dipb_git_entry *b)
{
	const struct dipb_git_entry *e = a != NULL ? a : b;
	struct dipb_tree_change *ch;

	xgrow((void **)&out->v, &out->cap, out->n + 1, sizeof(*out->v));
	ch = &out->v[out->n++];
	memset(ch, 0, sizeof(*ch));
	ch->path = xasprintf("%s%.*s", prefix, (int)e->nlen, e->name);
	if (a != NULL) {
		ch->old_mode = a->mode;
		dipb_git_hex(ch->old_id, a->id);
	}
	if (b != NULL) {
		ch->new_mode = b->mode;
		dipb_git_hex(ch->new_id, b->id);
	}
}

/* The length of the common prefix of a and b. */
static size_t
common_prefix(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t n = alen < blen ? alen : blen, i = 0;

	while (i + 256 <= n && memcmp(a + i, b + i, 256) == 0)
		i += 256;
	while (i < n && a[i] == b[i])
		i++;
	return i;
}

static void
bounds_push(struct bounds *b, size_t off)
{
	xgrow((void **)&b->v, &b->cap, b->n + 1, sizeof(*b->v));
	b->v[b->n++] = (uint32_t)off;
}

/* Appends the n offsets at v, each moved by shift. */
static void
bounds_append(struct bounds *b, const uint32_t *v, size_t n, size_t shift)
{
	size_t i;

	xgrow((void **)&b->v, &b->cap, b->n + n, sizeof(*b->v));
	for (i = 0; i < n; i++)
		b->v[b->n++] = (uint32_t)(v[i] + shift);
}

/* The index of the last entry that starts at or before off (n > 0). */
static size_t
bounds_find(const struct bounds *b, size_t off)
{
	size_t lo = 0, hi = b->n, mid;

	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (b->v[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Two raw trees walked side by side (diff_raw), a before and b after:
 * where the walk is in each (pa, pb), their ends, a's entry offsets
 * (NULL: unknown) and b's, made (NULL: not asked for).
 */
struct walk {
	const char		*a, *pa, *ea;
	const char		*b, *pb, *eb;
	const struct bounds	*abounds;
	struct bounds		*nbounds;
};

/*
 * The walk started past the common prefix of a and b, d bytes: at the
 * entry of a holding the first differing byte, found by bisection with
 * abounds, and the same offset in b; *before is the entry before it, in
 * b (NULL: none).  The offsets of the entries skipped go to nbounds.  -1
 * when a is malformed.
 */
static int
walk_start(struct walk *w, size_t d, const char **before)
{
	struct dipb_git_entry x;
	const char *save;
	size_t k;

	*before = NULL;
	w->pa = w->a;
	if (w->abounds != NULL && w->abounds->n > 0) {
		k = bounds_find(w->abounds, d);
		w->pa = w->a + w->abounds->v[k];
		if (k > 0)
			*before = w->b + w->abounds->v[k - 1];
		if (w->nbounds != NULL)
			bounds_append(w->nbounds, w->abounds->v, k, 0);
	} else if (w->abounds == NULL) {
		while (w->pa < w->ea) {
			save = w->pa;
			if (dipb_git_tree_next(&x, &w->pa, w->ea) < 0)
				return -1;
			if ((size_t)(w->pa - w->a) > d) {
				w->pa = save;
				break;
			}
			*before = w->b + (save - w->a);
			if (w->nbounds != NULL)
				bounds_push(w->nbounds, (size_t)(save - w->a));
		}
	}
	w->pb = w->b + (w->pa - w->a);
	return 0;
}

/*
 * The entry at p (before end), one the walk does not read, after those o
 * saw: -2 when it breaks git's order, else 0 (a malformed one is the
 * walk's to refuse).
 */
static int
order_at(struct dipb_git_order *o, const char *p, const char *end)
{
	struct dipb_git_entry z;

	if (dipb_git_tree_next(&z, &p, end) == 0 &&
	    dipb_git_order_next(o, &z) != DIPB_GIT_ORDER_OK)
		return -2;
	return 0;
}

/*
 * The offsets of b's entries from pb on, the rest of both trees being
 * the same: a's from pa on, moved by the shift, or else read.  -1 when a
 * tree is malformed.
 */
static int
walk_rest(struct walk *w)
{
	struct dipb_git_entry y;
	size_t k, s, at = (size_t)(w->pa - w->a);

	if (w->nbounds == NULL || w->pb == w->eb)
		return 0;
	if (w->abounds != NULL && w->abounds->n > 0) {
		k = bounds_find(w->abounds, at);
		if (w->abounds->v[k] != at)
			return -1;
		bounds_append(w->nbounds, w->abounds->v + k,
		    w->abounds->n - k, (size_t)(w->pb - w->b) - at);
		return 0;
	}
	while (w->pb < w->eb) {
		s = (size_t)(w->pb - w->b);
		if (dipb_git_tree_next(&y, &w->pb, w->eb) < 0)
			return -1;
		bounds_push(w->nbounds, s);
	}
	return 0;
}

static void
added_push(struct added *added, const struct dipb_git_entry *e)
{
	xgrow((void **)&added->v, &added->cap, added->n + 1,
	    sizeof(*added->v));
	added->v[added->n++] = *e;
}

/*
 * Appends to out the entries that differ between raw trees a and b, as
 * paths under prefix.  The common prefix of the two is skipped whole: with
 * abounds (a's entry offsets; NULL: unknown) the walk starts at the entry
 * holding the first differing byte, found by bisection; it stops as soon
 * as the rest of both trees is the same.  With nbounds, b's entry offsets
 * are appended there, mostly copied from abounds.  -1 when a tree is
 * malformed, -2 when b breaks git's order (o says how: dipb-git(7),
 * "Trees") in the entries walked, with the one before and after them:
 * a was checked so when it was b, and its entries b keeps stay in order.
 * The entries of b that a lacks are appended to added, for the rest of
 * that check (diff_checked).
 */
static int
diff_raw(struct dipb_tree_changes *out, const char *a, size_t alen,
    const struct bounds *abounds, const char *b, size_t blen,
    struct bounds *nbounds, const char *prefix, struct dipb_git_order *o,
    struct added *added)
{
	struct walk w = { a, a, a + alen, b, b, b + blen, abounds, nbounds };
	const char *before;
	struct dipb_git_entry x, y;
	size_t s;
	int hx = 0, hy = 0, c, synced = 0;

	if (alen > UINT32_MAX || blen > UINT32_MAX)
		return -1;
	if (walk_start(&w, common_prefix(a, alen, b, blen), &before) < 0)
		return -1;
	/* The entry before the walk, the same bytes in a and b. */
	if (before != NULL && order_at(o, before, w.pb) < 0)
		return -2;
	for (;;) {
		if (!hx && w.pa < w.ea) {
			if (dipb_git_tree_next(&x, &w.pa, w.ea) < 0)
				return -1;
			hx = 1;
		}
		if (!hy && w.pb < w.eb) {
			s = (size_t)(w.pb - b);
			if (dipb_git_tree_next(&y, &w.pb, w.eb) < 0)
				return -1;
			hy = 1;
			if (dipb_git_order_next(o, &y) != DIPB_GIT_ORDER_OK)
				return -2;
			if (nbounds != NULL)
				bounds_push(nbounds, s);
		}
		if (!hx && !hy)
			break;
		c = hx && hy ? tent_cmp(&x, &y) : hx ? -1 : 1;
		if (c == 0) {
			hx = hy = 0;
			if (x.mode == y.mode &&
			    memcmp(x.id, y.id, GIT_OID_RAWSZ) == 0) {
				if (!synced && w.ea - w.pa == w.eb - w.pb &&
				    memcmp(w.pa, w.pb,
				    (size_t)(w.ea - w.pa)) == 0)
					goto same_rest;
				synced = 1;
			} else {
				add_change(out, prefix, &x, &y);
				synced = 0;
			}
		} else if (c < 0) {
			add_change(out, prefix, &x, NULL);
			hx = 0;
			synced = 0;
		} else {
			add_change(out, prefix, NULL, &y);
			added_push(added, &y);
			hy = 0;
			synced = 0;
		}
	}
	return 0;

same_rest:
	/* The entry after the walk. */
	if (w.pb < w.eb && order_at(o, w.pb, w.eb) < 0)
		return -2;
	/* b's entries from pb on are a's from pa on, moved by the shift. */
	return walk_rest(&w);
}

/*
 * The offsets of every entry of raw tree b, in nb (empty): -1 when it is
 * malformed.
 */
static int
bounds_all(struct bounds *nb, const char *b, size_t blen)
{
	struct dipb_git_entry e;
	const char *p = b, *end = b + blen;

	while (p < end) {
		bounds_push(nb, (size_t)(p - b));
		if (dipb_git_tree_next(&e, &p, end) < 0)
			return -1;
	}
	return 0;
}

/*
 * diff_raw and the check of the entries it found added (below): 0, or
 * diff_raw's -1 or -2, o saying how.
 */
static int
diff_ordered(struct dipb_tree_changes *out, const char *a, size_t alen,
    const struct bounds *abounds, const char *b, size_t blen,
    struct bounds *nbounds, const char *prefix, struct dipb_git_order *o)
{
	struct added added = { NULL, 0, 0 };
	struct bounds own = { NULL, 0, 0 }, *bb = nbounds;
	size_t i;
	int rc;

	rc = diff_raw(out, a, alen, abounds, b, blen, nbounds, prefix, o,
	    &added);
	if (rc == 0 && alen > 0 && added.n > 0 && bb == NULL)
		rc = bounds_all(bb = &own, b, blen);
	for (i = 0; rc == 0 && alen > 0 && i < added.n; i++)
		if (dipb_git_order_added(o, &added.v[i], b, blen, bb->v,
		    bb->n) != DIPB_GIT_ORDER_OK)
			rc = -2;
	free(added.v);
	free(own.v);
	return rc;
}

/*
 * diff_raw with its errors: b, tree id (hex) at dir ("": the root), out of
 * git's order is DIPB_ERR_CORRUPT, its message kept in td (when given) for
 * dipb_treediff_order.  Besides the entries around the change, each
 * entry b adds is looked up as the other kind in the whole of b
 * (dipb_git_order_added): a file and a folder of one name may lie far
 * apart.  With nbounds (b's offsets, as diff_raw leaves them), that is a
 * binary search; without, b's offsets are found first, when it adds
 * anything.  When a is empty, every entry of b went through o already.
 */
static const struct dipb_error *
diff_checked(struct dipb_tree_changes *out, const char *a, size_t alen,
    const struct bounds *abounds, const char *b, size_t blen,
    struct bounds *nbounds, const char *prefix, struct dipb_treediff *td,
    const char *id, const char *dir)
{
	const struct dipb_error *err = NULL;
	struct dipb_git_order o;
	int rc;

	memset(&o, 0, sizeof(o));
	rc = diff_ordered(out, a, alen, abounds, b, blen, nbounds, prefix,
	    &o);
	if (rc == -1)
		err = dipb_error_fmt(DIPB_ERR_CORRUPT, "malformed tree");
	else if (rc == -2) {
		err = dipb_git_order_error(&o, id, dir, strlen(dir), NULL);
		if (td != NULL) {
			free(td->order);
			td->order = xstrdup(err->msg);
		}
	}
	dipb_git_order_release(&o);
	return err;
}

int
dipb_git_tree_order_since(uint32_t **off, size_t *n, const char *a,
    size_t alen, const uint32_t *aoff, size_t an, const char *b,
    size_t blen)
{
	struct dipb_tree_changes scratch = { NULL, 0, 0 };
	struct dipb_git_order o;
	struct bounds ab, nb = { NULL, 0, 0 };
	int rc;

	ab.v = (uint32_t *)(uintptr_t)aoff;
	ab.n = ab.cap = an;
	memset(&o, 0, sizeof(o));
	rc = diff_ordered(&scratch, a, alen, &ab, b, blen, &nb, "", &o);
	dipb_git_order_release(&o);
	dipb_tree_changes_release(&scratch);
	if (rc != 0) {
		free(nb.v);
		nb.v = NULL;
		nb.n = 0;
	}
	*off = nb.v;
	*n = nb.n;
	return rc == 0 ? 0 : -1;
}

void
dipb_tree_changes_release(struct dipb_tree_changes *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		free(c->v[i].path);
	free(c->v);
	memset(c, 0, sizeof(*c));
}

struct dipb_treediff *
dipb_treediff_new(struct dipb_repo *repo)
{
	struct dipb_treediff *td = xcalloc(1, sizeof(*td));

	td->repo = repo;
	return td;
}

void
dipb_treediff_free(struct dipb_treediff *td)
{
	if (td == NULL)
		return;
	dipb_object_free(td->root);
	dipb_object_free(td->sub);
	free(td->bounds.v);
	free(td->spare);
	free(td->order);
	shards_clear(td->shards);
	shards_clear(td->next);
	free(td->shards);
	free(td->next);
	free(td);
}

static void
slash(char **path)
{
	char *p = xasprintf("%s/", *path);

	free(*path);
	*path = p;
}

static const char *
data_of(const struct dipb_object *o)
{
	return o != NULL ? dipb_object_data(o) : "";
}

static size_t
size_of(const struct dipb_object *o)
{
	return o != NULL ? dipb_object_size(o) : 0;
}

/* The files of meetings/ that change, mc being the folder's change. */
static const struct dipb_error *
diff_meetings(struct dipb_tree_changes *out, struct dipb_treediff *td,
    struct dipb_repo *repo, const struct dipb_tree_change *mc)
{
	const struct dipb_error *err = NULL;
	struct dipb_object *a = NULL, *b = NULL;
	size_t i, first = out->n;

	if (mc->old_mode == DIPB_MODE_TREE)
		err = dipb_git_object_read(&a, repo, mc->old_id,
		    DIPB_OBJECT_TREE);
	if (err == NULL && mc->new_mode == DIPB_MODE_TREE)
		err = dipb_git_object_read(&b, repo, mc->new_id,
		    DIPB_OBJECT_TREE);
	if (err == NULL)
		err = diff_checked(out, data_of(a), size_of(a), NULL,
		    data_of(b), size_of(b), NULL, DIPB_MEETING_DIR "/", td,
		    mc->new_id, DIPB_MEETING_DIR);
	for (i = first; err == NULL && i < out->n; i++)
		if (out->v[i].new_mode == DIPB_MODE_TREE ||
		    (out->v[i].new_mode == 0 &&
		    out->v[i].old_mode == DIPB_MODE_TREE))
			slash(&out->v[i].path);
	dipb_object_free(a);
	dipb_object_free(b);
	return err;
}

/*
 * Tree id (hex) into *out, made from tree base (its id bid) when a pack
 * stores it as a delta of that (packdelta.c: the repository's packs,
 * which tree.c's reads share), in *spare's bytes when spare is given
 * (taken then); with no base and whole, from its whole chain in the pack;
 * else, or when that fails, read by libgit2, which would apply the delta
 * chain from its bottom, up to 50 deltas of the whole folder.  td NULL:
 * read by libgit2.
 */
static const struct dipb_error *
read_tree(struct dipb_object **out, struct dipb_treediff *td,
    struct dipb_repo *repo, const char *id, const char *bid,
    const struct dipb_object *base, char **spare, int whole)
{
	struct dipb_git_packs *ps;
	git_oid oid, boid;
	size_t len;
	char *data = NULL;

	if (td != NULL && (base != NULL || whole) &&
	    git_oid_fromstr(&oid, id) == 0) {
		ps = dipb_git_packs(repo);
		if (base != NULL && git_oid_fromstr(&boid, bid) == 0) {
			data = dipb_git_packs_delta(&len, ps, &oid, &boid,
			    dipb_object_data(base), dipb_object_size(base),
			    spare != NULL ? *spare : NULL);
			if (spare != NULL)
				*spare = NULL;
		/* The first of a line of history: its whole chain. */
		} else if (base == NULL)
			data = dipb_git_packs_tree(&len, ps, &oid);
		if (data != NULL) {
			*out = dipb_git_object_own(data, len, DIPB_OBJECT_TREE);
			return NULL;
		}
	}
	git_error_clear();
	return dipb_git_object_read(out, repo, id, DIPB_OBJECT_TREE);
}

static void
push_change(struct dipb_tree_changes *out, struct dipb_tree_change *ch)
{
	xgrow((void **)&out->v, &out->cap, out->n + 1, sizeof(*out->v));
	out->v[out->n++] = *ch;
	memset(ch, 0, sizeof(*ch));
}

/* The shard folder id as the last call left it (borrowed), or NULL. */
static struct dipb_object *
shard_kept(struct dipb_treediff *td, const char *id)
{
	size_t i;

	for (i = 0; td != NULL && td->shards != NULL && i < td->shards->n;
	    i++)
		if (strcmp(td->shards->id[i], id) == 0)
			return td->shards->v[i];
	return NULL;
}

/* Keeps b, shard folder id, for the next call (td->next takes it). */
static int
shard_keep(struct dipb_treediff *td, const char *id, struct dipb_object *b)
{
	if (td == NULL || b == NULL)
		return 0;
	if (td->next == NULL)
		td->next = xcalloc(1, sizeof(*td->next));
	if (td->next->n == SHARDS_KEPT)
		return 0;
	td->next->v[td->next->n] = b;
	memcpy(td->next->id[td->next->n++], id, DIPB_OID_HEX + 1);
	return 1;
}

/*
 * Change ch of a path depth folders below recommendations/, moved to out:
 * a folder, of the sharded layout (dipb-board(5), "layout") or any other,
 * DIPB_RECORD_DEPTH deep at most, becomes the changes of its files, as
 * git's recursive diff gives them, for a record file out of its place to
 * be found [record-path] as dipb-validate(1) finds it; a file that became
 * a folder, or the reverse, is both.  A folder deeper still stays named
 * as a folder.
 */
static const struct dipb_error *
expand(struct dipb_tree_changes *out, struct dipb_treediff *td,
    struct dipb_repo *repo, struct dipb_tree_change *ch, int depth)
{
	const struct dipb_error *err = NULL;
	struct dipb_object *a = NULL, *b = NULL, *kept = NULL;
	struct dipb_tree_changes sub = { NULL, 0, 0 };
	struct dipb_tree_change file;
	char *prefix;
	size_t i;
	int at = ch->old_mode == DIPB_MODE_TREE, bt = ch->new_mode ==
	    DIPB_MODE_TREE;

	if ((!at && !bt) || depth > DIPB_RECORD_DEPTH) {
		push_change(out, ch);
		return NULL;
	}
	/* The file side of a file replaced by a folder, or the reverse. */
	if ((!at && ch->old_mode != 0) || (!bt && ch->new_mode != 0)) {
		file = *ch;
		file.path = xstrdup(ch->path);
		if (at)
			file.old_mode = 0;
		else
			file.new_mode = 0;
		push_change(out, &file);
	}
	if (at && (a = kept = shard_kept(td, ch->old_id)) == NULL)
		err = dipb_git_object_read(&a, repo, ch->old_id,
		    DIPB_OBJECT_TREE);
	if (err == NULL && bt)
		err = read_tree(&b, td, repo, ch->new_id, ch->old_id, a, NULL,
		    0);
	prefix = xasprintf("%s/", ch->path);
	if (err == NULL)
		err = diff_checked(&sub, data_of(a), size_of(a), NULL,
		    data_of(b), size_of(b), NULL, prefix, td, ch->new_id,
		    ch->path);
	for (i = 0; err == NULL && i < sub.n; i++)
		err = expand(out, td, repo, &sub.v[i], depth + 1);
	free(prefix);
	dipb_tree_changes_release(&sub);
	if (a != kept)
		dipb_object_free(a);
	if (err != NULL || !shard_keep(td, ch->new_id, b))
		dipb_object_free(b);
	return err;
}

/* The changes of out from first on, their shard folders expanded. */
static const struct dipb_error *
expand_shards(struct dipb_tree_changes *out, struct dipb_treediff *td,
    struct dipb_repo *repo, size_t first)
{
	struct shards *t;
	const struct dipb_error *err = NULL;
	struct dipb_tree_changes rest = { NULL, 0, 0 };
	size_t i;

	for (i = first; i < out->n; i++)
		if (out->v[i].old_mode == DIPB_MODE_TREE ||
		    out->v[i].new_mode == DIPB_MODE_TREE)
			break;
	if (i == out->n)
		return NULL;		/* the flat layout: nothing to do */
	for (i = first; i < out->n; i++)
		push_change(&rest, &out->v[i]);
	out->n = first;
	for (i = 0; err == NULL && i < rest.n; i++)
		err = expand(out, td, repo, &rest.v[i], 1);
	dipb_tree_changes_release(&rest);
	/* What this call read is what the next compares with. */
	if (td != NULL) {
		shards_clear(td->shards);
		t = td->shards;
		td->shards = td->next;
		td->next = t;
	}
	return err;
}

/*
 * The changes of the root tree, top, moved to out but for those of
 * recommendations/ and meetings/ as folders: *rc and *mc (left in top),
 * for diff to compare below them.  A folder is named as one.
 */
static void
top_changes(struct dipb_tree_changes *out, struct dipb_tree_changes *top,
    const struct dipb_tree_change **rc, const struct dipb_tree_change **mc)
{
	size_t i;

	for (i = 0; i < top->n; i++) {
		if (strcmp(top->v[i].path, DIPB_RECORD_DIR) == 0 &&
		    (top->v[i].old_mode == DIPB_MODE_TREE ||
		    top->v[i].new_mode == DIPB_MODE_TREE)) {
			*rc = &top->v[i];
			continue;
		}
		if (strcmp(top->v[i].path, DIPB_MEETING_DIR) == 0 &&
		    (top->v[i].old_mode == DIPB_MODE_TREE ||
		    top->v[i].new_mode == DIPB_MODE_TREE)) {
			*mc = &top->v[i];
			continue;
		}
		xgrow((void **)&out->v, &out->cap, out->n + 1, sizeof(*out->v));
		out->v[out->n++] = top->v[i];
		if (top->v[i].new_mode == DIPB_MODE_TREE ||
		    (top->v[i].new_mode == 0 &&
		    top->v[i].old_mode == DIPB_MODE_TREE))
			slash(&out->v[out->n - 1].path);
		top->v[i].path = NULL;
	}
}

/*
 * The changes below recommendations/, rc being the folder's change: its
 * trees compared from their raw bytes, their shard folders expanded.
 * With td, the old tree is taken from td when it is the same, and the
 * new one, its offsets and the old one's bytes left there for the next
 * call.
 */
static const struct dipb_error *
diff_records(struct dipb_tree_changes *out, struct dipb_treediff *td,
    struct dipb_repo *repo, const struct dipb_tree_change *rc)
{
	const struct dipb_error *err = NULL;
	struct dipb_object *sub = NULL, *oldsub = NULL;
	struct bounds nb = { NULL, 0, 0 }, nobounds = { NULL, 0, 0 };
	const struct bounds *ob = NULL;
	size_t recfirst;

	if (rc->old_mode == DIPB_MODE_TREE) {
		if (td != NULL && td->sub != NULL &&
		    strcmp(td->sub_id, rc->old_id) == 0) {
			oldsub = td->sub;
			ob = &td->bounds;
		} else if ((err = dipb_git_object_read(&oldsub, repo,
		    rc->old_id, DIPB_OBJECT_TREE)) != NULL)
			goto done;
	} else
		ob = &nobounds;		/* an empty tree */
	if (rc->new_mode == DIPB_MODE_TREE &&
	    (err = read_tree(&sub, td != NULL && oldsub == td->sub ?
	    td : NULL, repo, rc->new_id, td != NULL ? td->sub_id : NULL,
	    td != NULL ? td->sub : NULL, td != NULL ? &td->spare : NULL,
	    1)) != NULL)
		goto done;
	recfirst = out->n;
	if ((err = diff_checked(out, data_of(oldsub),
	    size_of(oldsub), ob, data_of(sub), size_of(sub),
	    td != NULL ? &nb : NULL, DIPB_RECORD_DIR "/", td,
	    rc->new_id, DIPB_RECORD_DIR)) != NULL)
		goto done;
	if ((td == NULL || !td->seeding) &&
	    (err = expand_shards(out, td, repo, recfirst)) != NULL)
		goto done;
	if (td != NULL) {
		if (oldsub != td->sub)
			dipb_object_free(oldsub);
		oldsub = NULL;
		free(td->spare);
		td->spare = dipb_git_object_disown(td->sub);
		td->sub = sub;
		if (sub != NULL)
			memcpy(td->sub_id, rc->new_id, sizeof(td->sub_id));
		sub = NULL;
		free(td->bounds.v);
		td->bounds = nb;
		memset(&nb, 0, sizeof(nb));
	}
done:
	if (td == NULL || oldsub != td->sub)
		dipb_object_free(oldsub);
	dipb_object_free(sub);
	free(nb.v);
	return err;
}

/* A folder under recommendations/, of out from first on, named as one. */
static void
slash_record_folders(struct dipb_tree_changes *out, size_t first)
{
	struct dipb_tree_change *ch;
	size_t i;

	for (i = first; i < out->n; i++) {
		ch = &out->v[i];
		if (strncmp(ch->path, DIPB_RECORD_DIR "/",
		    sizeof(DIPB_RECORD_DIR)) == 0 && (ch->new_mode ==
		    DIPB_MODE_TREE || (ch->new_mode == 0 &&
		    ch->old_mode == DIPB_MODE_TREE)) &&
		    ch->path[strlen(ch->path) - 1] != '/')
			slash(&ch->path);
	}
}

/*
 * The changes from root tree object oldroot (NULL: none) to tree new,
 * whose object *newroot receives.  With td, its recommendations/ is
 * taken from (and left in) td when it is the same.
 */
static const struct dipb_error *
diff(struct dipb_tree_changes *out, struct dipb_treediff *td,
    struct dipb_repo *repo, struct dipb_object *oldroot, const char *new,
    struct dipb_object **newroot)
{
	const struct dipb_error *err = NULL;
	struct dipb_object *root = NULL;
	struct dipb_tree_changes top = { NULL, 0, 0 };
	const struct dipb_tree_change *rc = NULL, *mc = NULL;
	size_t first = out->n;

	*newroot = NULL;
	if ((err = dipb_git_object_read(&root, repo, new,
	    DIPB_OBJECT_TREE)) != NULL)
		return err;
	if ((err = diff_checked(&top, data_of(oldroot), size_of(oldroot),
	    NULL, dipb_object_data(root), dipb_object_size(root), NULL, "", td,
	    new, "")) != NULL)
		goto done;
	top_changes(out, &top, &rc, &mc);
	if (rc != NULL && (err = diff_records(out, td, repo, rc)) != NULL)
		goto done;
	/* meetings/ holds a file a meeting (meeting.h): small, read whole. */
	if (mc != NULL && (err = diff_meetings(out, td, repo, mc)) != NULL)
		goto done;
	slash_record_folders(out, first);
done:
	dipb_tree_changes_release(&top);
	if (err == NULL)
		*newroot = root;
	else
		dipb_object_free(root);
	return err;
}

const struct dipb_error *
dipb_treediff_next(struct dipb_tree_changes *out, struct dipb_treediff *td,
    const char *tree)
{
	const struct dipb_error *err;
	struct dipb_object *root;

	free(td->order);
	td->order = NULL;
	if (td->root != NULL && strcmp(tree, td->root_id) == 0)
		return NULL;
	if ((err = diff(out, td, td->repo, td->root, tree, &root)) != NULL)
		return err;
	dipb_object_free(td->root);
	td->root = root;
	snprintf(td->root_id, sizeof(td->root_id), "%s", tree);
	return NULL;
}

/*
 * The changes from nothing, discarded: a sharded board's folders are not
 * read (a few hundred trees at 30,000 records), only what the next call
 * compares with, recommendations/ and its offsets included.
 */
const struct dipb_error *
dipb_treediff_seed(struct dipb_treediff *td, const char *tree)
{
	const struct dipb_error *err;
	struct dipb_tree_changes scratch = { NULL, 0, 0 };

	td->seeding = 1;
	err = dipb_treediff_next(&scratch, td, tree);
	td->seeding = 0;
	dipb_tree_changes_release(&scratch);
	return err;
}

const struct dipb_error *
dipb_git_tree_diff(struct dipb_tree_changes *out, struct dipb_repo *repo,
    const char *old, const char *new)
{
	const struct dipb_error *err;
	struct dipb_object *o = NULL, *n = NULL;

	if (old != NULL && old[0] != '\0') {
		if (strcmp(old, new) == 0)
			return NULL;
		if ((err = dipb_git_object_read(&o, repo, old,
		    DIPB_OBJECT_TREE)) != NULL)
			return err;
	}
	err = diff(out, NULL, repo, o, new, &n);
	dipb_object_free(n);
	dipb_object_free(o);
	return err;
}

const char *
dipb_treediff_order(const struct dipb_treediff *td)
{
	return td->order;
}

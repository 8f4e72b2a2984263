/*
 * tags.c - the tags: read, matched with the changes that claim them, and
 * those no change claims judged.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../text.h"
#include "internal.h"

/* The digits of a commit id a finding's message shows. */
#define SHORT_HEX	12

/*
 * Whether the len bytes at name are a tag name "<record>/<N>-<event>",
 * of any event (dipb_tag_shape: a look-alike of a change's tag is judged,
 * never let through a pre-receive hook unseen): then *rlen is the record's length, *n its number, *ev
 * the event's offset.  Nothing is allocated: every tag of the repository
 * is asked.
 */
static int
tag_form(const char *name, size_t len, size_t *rlen, unsigned long *n,
    size_t *ev)
{
	return (*n = dipb_tag_shape(name, len, rlen, ev)) != 0;
}

/*
 * Why tag t, of type NONE, leads nowhere: its object is missing, or is a
 * tag object dipb_git_tag_peel did not read (malformed, or larger than
 * DIPB_GIT_MAX_COMMIT).
 */
static const char *
unread(const struct tag *t)
{
	return t->annotated ? "the tag object is malformed, or larger than "
	    "any dipb reads (dipb-git(7)), and was not read" : "the tag "
	    "points to a missing object";
}

/*
 * The tag of the len bytes at name, of tag_form's form, into v->tags (see
 * dipb_tag_fn for hex): the object it leads to read from the tag object,
 * as git rev-parse TAG^{} reads it (dipb-git(7)), never from packed-refs'
 * peeled line, which git pack-refs wrote through a replacement that may
 * be gone since, or which a hand edited: a tag moved would pass, a sound
 * one be called moved.  Reading them costs a few per cent of a replay.
 */
static struct tag *
add_tag(struct verify *v, const char *name, size_t len, size_t rlen,
    unsigned long n, size_t ev, const char *hex)
{
	const struct dipb_error *err;
	enum dipb_object_type type;
	struct tag *t;
	int annotated, misnamed;

	xgrow((void **)&v->tags, &v->captags, v->ntags + 1, sizeof(*v->tags));
	t = &v->tags[v->ntags++];
	memset(t, 0, sizeof(*t));
	t->name = xstrndup(name, len);
	t->record = dipb_vfy_intern(v, xstrndup(name, rlen));
	t->event = dipb_vfy_intern(v, xstrndup(name + ev, len - ev));
	t->n = n;
	t->type = DIPB_OBJECT_NONE;
	if (hex == NULL)
		return t;	/* a broken reference */
	(void)dipb_unhex(t->obj, hex, sizeof(t->obj));
	/* Not read is no finding: the listing fails (v->tagerr). */
	if ((err = dipb_git_tag_peel_as(t->target, &type, &annotated,
	    &misnamed, v->repo, hex, t->name)) != NULL) {
		if (v->tagerr == NULL)
			v->tagerr = err;
		else
			dipb_error_free(err);
	}
	t->type = (unsigned char)type;
	t->annotated = (unsigned char)annotated;
	t->misnamed = (unsigned char)misnamed;
	return t;
}

void
dipb_vfy_tag_release(struct tag *t)
{
	free(t->name);
	free(t->extra);
}

/*
 * Commit k's own tag (struct walked), w being what the walk kept of it,
 * into t, the name allocated; it stays commit k's.
 */
static void
own_tag_make(struct tag *t, struct verify *v, size_t k,
    const struct walked *w)
{
	memset(t, 0, sizeof(*t));
	t->record = dipb_vfy_name(v, w->record);
	t->event = dipb_vfy_name(v, w->event);
	t->n = w->tag_n;
	t->name = xasprintf("%s/%lu-%s", t->record, t->n, t->event);
	(void)dipb_vfy_hist_hex(t->target, v, k);
	memcpy(t->obj, w->tag_obj, sizeof(t->obj));
	t->type = DIPB_OBJECT_COMMIT;
	t->annotated = (w->tagged & WT_ANNOTATED) != 0;
	t->misnamed = (w->tagged & WT_MISNAMED) != 0;
	t->claimed = (w->tagged & WT_CLAIMED) != 0;
}

/*
 * Commit k's own tag into v->tags, with the other tag found on it; w is
 * what the walk kept of commit k, written back without it.
 */
static void
own_tag_out(struct verify *v, size_t k, struct walked *w)
{
	xgrow((void **)&v->tags, &v->captags, v->ntags + 1, sizeof(*v->tags));
	own_tag_make(&v->tags[v->ntags++], v, k, w);
	w->tagged = WT_OTHERS;
	dipb_vfy_hist_put(v, k, w);
}

/*
 * The tag the scan just put last in v->tags, taken into the walk's entry
 * of its commit when it is that change's own tag (struct walked): on a
 * state change of the branch, of its record and event, and the first tag
 * met on it.  A second one on the commit puts the first back.
 */
static void
own_tag_take(struct verify *v)
{
	const struct tag *t = &v->tags[v->ntags - 1];
	struct walked w;
	size_t at;

	if (t->type != DIPB_OBJECT_COMMIT ||
	    (at = dipb_vfy_on_branch(v, t->target)) == 0)
		return;
	dipb_vfy_hist_get(&w, v, at - 1);
	if (w.tagged & WT_OWN) {
		own_tag_out(v, at - 1, &w);
		return;
	}
	/* Interned strings: one copy of each text (dipb_vfy_intern). */
	if ((w.tagged & WT_OTHERS) || !w.dipb || w.bad != 0 ||
	    dipb_vfy_name(v, w.record) != t->record ||
	    dipb_vfy_name(v, w.event) != t->event || t->n > UINT32_MAX) {
		w.tagged |= WT_OTHERS;
		dipb_vfy_hist_put(v, at - 1, &w);
		return;
	}
	memcpy(w.tag_obj, t->obj, sizeof(w.tag_obj));
	w.tag_n = (uint32_t)t->n;
	w.tagged = WT_OWN | (t->annotated ? WT_ANNOTATED : 0) |
	    (t->misnamed ? WT_MISNAMED : 0);
	dipb_vfy_hist_put(v, at - 1, &w);
	dipb_vfy_tag_release(&v->tags[--v->ntags]);
}

/*
 * Commit k's own tag (struct walked) into *out, its name allocated (the
 * caller frees it); 0 when it has none.
 */
int
dipb_vfy_own_tag(struct tag *out, struct verify *v, size_t k)
{
	struct walked w;

	dipb_vfy_hist_get(&w, v, k);
	if (!(w.tagged & WT_OWN))
		return 0;
	own_tag_make(out, v, k, &w);
	return 1;
}

/*
 * The tags, as they are under the lock: kept to be read once the walk
 * has found the commits a checkpoint leaves to replay (dipb_vfy_tags_ready,
 * ckpt_apply).
 */
const struct dipb_error *
dipb_vfy_read_tags(struct verify *v)
{
	return dipb_git_tags_snap(&v->snap, v->repo);
}

/*
 * A digest of tags: the SHA-1 of the lines "<name> <object>\n" in byte
 * order of the names, hashed a block at a time.
 */
struct tagdigest {
	struct dipb_sha1	*sha;
	size_t			 n;		/* tags digested */
	char			 buf[8192];
	size_t			 used;
};

static void
digest_put(struct tagdigest *d, const char *p, size_t n)
{
	if (d->used + n > sizeof(d->buf)) {
		dipb_git_sha1_update(d->sha, d->buf, d->used);
		d->used = 0;
	}
	if (n > sizeof(d->buf)) {
		dipb_git_sha1_update(d->sha, p, n);
		return;
	}
	memcpy(d->buf + d->used, p, n);
	d->used += n;
}

static void
digest_tag(struct tagdigest *d, const char *name, size_t len,
    const char *hex)
{
	digest_put(d, name, len);
	digest_put(d, " ", 1);
	if (hex != NULL)
		digest_put(d, hex, DIPB_OID_HEX);
	digest_put(d, "\n", 1);
	d->n++;
}

static void
digest_end(char out[DIPB_OID_HEX + 1], struct tagdigest *d)
{
	dipb_git_sha1_update(d->sha, d->buf, d->used);
	dipb_git_sha1_hex(out, d->sha);
}

static int
is_tag_name(const char *name, size_t len)
{
	unsigned long n;
	size_t rlen, ev;

	return tag_form(name, len, &rlen, &n, &ev);
}

/*
 * The loose tags of the snapshot, of tag_form's form, each with the
 * packed one it overrides, into v->lnow (once): what a checkpoint keeps
 * of them, and what tells them from the packed ones in a scan.
 */
const struct dipb_error *
dipb_vfy_loose_now(struct verify *v)
{
	const struct dipb_tagref *l;
	struct side_tag *t;
	size_t i, n, cap = 0;

	if (v->have_lnow)
		return NULL;
	l = dipb_tagsnap_loose(v->snap, &n);
	for (i = 0; i < n; i++) {
		if (!is_tag_name(l[i].name, strlen(l[i].name)))
			continue;
		xgrow((void **)&v->lnow, &cap, v->nlnow + 1, sizeof(*v->lnow));
		t = &v->lnow[v->nlnow++];
		t->name = l[i].name;
		t->len = strlen(l[i].name);
		t->hex = l[i].target[0] != '\0' ? l[i].target : NULL;
		if (dipb_tagsnap_packed(t->packed, v->snap, t->name,
		    t->len) < 0)
			return dipb_error_fmt(DIPB_ERR_CORRUPT,
			    "malformed packed-refs");
	}
	/* Once the array has stopped moving. */
	for (i = 0; i < v->nlnow; i++)
		v->lnow[i].shadowed = v->lnow[i].packed[0] != '\0' ?
		    v->lnow[i].packed : NULL;
	v->have_lnow = 1;
	return NULL;
}

/* A list of side_tags, sorted, met in step with a scan in name order. */
struct side {
	const struct side_tag	*v;
	size_t			 n;
	size_t			 i;
};

/* The entry of s named name, if any; those before it are passed. */
static const struct side_tag *
side_at(struct side *s, const char *name, size_t len)
{
	int c;

	for (; s->i < s->n; s->i++) {
		c = dipb_bytes_cmp(s->v[s->i].name, s->v[s->i].len, name,
		    len);
		if (c == 0)
			return &s->v[s->i++];
		if (c > 0)
			break;
	}
	return NULL;
}

/*
 * One pass over every tag (dipb_vfy_tags_scan): the digest of packed-refs' tags
 * (into v->tags_digest: the loose ones do not count, the packed ones they
 * override do), and into v->tags those a replay judges: every one
 * (keep_all), else those on the commits walked and those named in want.
 * With a checkpoint cp, whether the tags that are not on the commits
 * walked are those it was made with: old, the digest of its packed-refs
 * as they give it (its loose tags' places taken by the packed ones they
 * override, as it keeps them), and its loose tags each as it was.
 */
struct tagscan {
	struct verify		*v;
	int			 keep_all;
	const struct dipb_hashmap *want;
	struct tagdigest	 packed;
	struct side		 loose;		/* v->lnow */
	struct tagdigest	 old;		/* old.sha NULL: no cp */
	struct side		 ck;		/* cp's loose tags */
	int			 changed;	/* one of them is not as it was */
	size_t			 ntags;		/* of tag_form's form */
	struct dipb_buf		 key;
};

/* Passes cp's loose tags before name (none: every one), gone since. */
static void
ck_pass(struct tagscan *s, const char *name, size_t len)
{
	const struct side_tag *c;

	for (; s->ck.i < s->ck.n; s->ck.i++) {
		c = &s->ck.v[s->ck.i];
		if (name != NULL &&
		    dipb_bytes_cmp(c->name, c->len, name, len) >= 0)
			break;
		if (c->shadowed != NULL)
			digest_tag(&s->old, c->name, c->len, c->shadowed);
		s->changed = 1;
	}
}

static int
same_hex(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return memcmp(a, b, DIPB_OID_HEX) == 0;
}

static int
scan_tag(const char *name, size_t len, const char *hex, void *arg)
{
	struct tagscan *s = arg;
	struct verify *v = s->v;
	const struct side_tag *l, *c;
	struct tag *t = NULL;
	unsigned long n;
	size_t rlen, ev;
	int new = 0, keep;

	if (!tag_form(name, len, &rlen, &n, &ev))
		return 0;
	s->ntags++;
	/* packed-refs' own: a loose tag's place is the packed one's. */
	if ((l = side_at(&s->loose, name, len)) == NULL)
		digest_tag(&s->packed, name, len, hex);
	else if (l->shadowed != NULL)
		digest_tag(&s->packed, name, len, l->shadowed);
	if (s->keep_all) {
		add_tag(v, name, len, rlen, n, ev, hex);
		own_tag_take(v);
		return 0;
	}
	/* On a commit walked: the tag is the replay's to judge. */
	if (hex != NULL) {
		t = add_tag(v, name, len, rlen, n, ev, hex);
		new = t->type != DIPB_OBJECT_NONE &&
		    dipb_vfy_on_branch(v, t->target) != 0;
	}
	if (s->old.sha != NULL) {
		ck_pass(s, name, len);
		if (s->ck.i < s->ck.n && (c = &s->ck.v[s->ck.i])->len == len &&
		    memcmp(c->name, name, len) == 0) {
			if (new || !same_hex(c->hex, hex))
				s->changed = 1;
			if (c->shadowed != NULL)
				digest_tag(&s->old, name, len, c->shadowed);
			s->ck.i++;
		} else if (!new)
			digest_tag(&s->old, name, len, hex);
	}
	keep = new;
	if (!keep && s->want != NULL && s->want->n > 0) {
		s->key.len = 0;
		dipb_buf_put(&s->key, name, len);
		keep = dipb_hashmap_get(s->want, dipb_buf_cstr(&s->key)) !=
		    NULL;
	}
	if (keep && t == NULL)
		add_tag(v, name, len, rlen, n, ev, hex);
	else if (!keep && t != NULL)
		dipb_vfy_tag_release(&v->tags[--v->ntags]);
	return 0;
}

static uint64_t
tag_hash(uint32_t k, const void *arg)
{
	const struct verify *v = arg;

	return dipb_idtab_hash_hex(v->tags[k].target);
}

static int
cmp_tag_name(const void *a, const void *b)
{
	return strcmp(((const struct tag *)a)->name,
	    ((const struct tag *)b)->name);
}

/* cp's loose tags as side_tags, into *out (caller frees). */
static size_t
ck_side(struct side_tag **out, const struct dipb_checkpoint *cp)
{
	size_t i;

	*out = xcalloc(cp->nloose + 1, sizeof(**out));
	for (i = 0; i < cp->nloose; i++) {
		(*out)[i].name = cp->loose[i].name;
		(*out)[i].len = strlen(cp->loose[i].name);
		(*out)[i].hex = cp->loose[i].hex[0] != '\0' ?
		    cp->loose[i].hex : NULL;
		(*out)[i].shadowed = cp->loose[i].shadowed[0] != '\0' ?
		    cp->loose[i].shadowed : NULL;
	}
	return cp->nloose;
}

/* The error add_tag met, taken from v: the listing's own. */
static const struct dipb_error *
tags_failed(struct verify *v)
{
	const struct dipb_error *err = v->tagerr;

	v->tagerr = NULL;
	return err;
}

/*
 * One pass over the tags read: see struct tagscan; with cp (never with
 * keep_all), *same 1 when the tags not on the commits walked are those
 * cp was made with.
 */
const struct dipb_error *
dipb_vfy_tags_scan(struct verify *v, int keep_all,
    const struct dipb_hashmap *want, const struct dipb_checkpoint *cp,
    int *same)
{
	const struct dipb_error *err;
	struct side_tag *ck = NULL;
	char old[DIPB_OID_HEX + 1];
	struct tagscan s;

	if ((err = dipb_vfy_loose_now(v)) != NULL)
		return err;
	memset(&s, 0, sizeof(s));
	s.v = v;
	s.keep_all = keep_all;
	s.want = want;
	s.loose.v = v->lnow;
	s.loose.n = v->nlnow;
	dipb_buf_init(&s.key);
	s.packed.sha = dipb_git_sha1_new();
	if (cp != NULL) {
		s.old.sha = dipb_git_sha1_new();
		s.ck.n = ck_side(&ck, cp);
		s.ck.v = ck;
	}
	err = dipb_tagsnap_each(v->snap, scan_tag, &s);
	dipb_buf_release(&s.key);
	digest_end(v->tags_digest, &s.packed);
	v->ntags_digest = s.packed.n;
	if (cp != NULL) {
		ck_pass(&s, NULL, 0);
		digest_end(old, &s.old);
		*same = !s.changed && s.old.n == cp->ntags &&
		    strcmp(old, cp->tags_digest) == 0;
	}
	free(ck);
	if (err == NULL)
		err = tags_failed(v);
	if (err == NULL)
		v->out->ntags = s.ntags;
	return err;
}

/*
 * The same without reading packed-refs, when it is the file checkpoint
 * cp was made with (its identity unchanged): its tags are those cp's
 * were, so that only the loose tags, now and then, and the packed ones
 * they override can differ, and of the packed tags only those that no
 * change up to cp claimed (want) can be on a commit walked (the others
 * are on commits before it).  *same as dipb_vfy_tags_scan says it.
 */
const struct dipb_error *
dipb_vfy_tags_known(struct verify *v, const struct dipb_checkpoint *cp,
    const struct dipb_hashmap *want, int *same)
{
	const struct dipb_error *err;
	struct dipb_hashmap seen = DIPB_HASHMAP_INIT;
	struct side_tag *ck = NULL, *a, *b;
	const char *name, *hex, *was;
	char hexnow[DIPB_OID_HEX + 1], hexthen[DIPB_OID_HEX + 1];
	size_t i = 0, j = 0, nck, len, rlen, ev, count = cp->ntags;
	unsigned long n;
	struct tag *t;
	int c, now, then, new, bad = 0;
	char *key;

	if ((err = dipb_vfy_loose_now(v)) != NULL)
		return err;
	nck = ck_side(&ck, cp);
	*same = 1;
	/* The names of a loose tag, now or then. */
	while (i < v->nlnow || j < nck) {
		a = i < v->nlnow ? &v->lnow[i] : NULL;
		b = j < nck ? &ck[j] : NULL;
		c = a == NULL ? 1 : b == NULL ? -1 :
		    dipb_bytes_cmp(a->name, a->len, b->name, b->len);
		name = c <= 0 ? a->name : b->name;
		len = c <= 0 ? a->len : b->len;
		if (c <= 0) {
			i++;
			now = 1;
			hex = a->hex;
			count += 1 - (a->shadowed != NULL);
		} else if ((now = dipb_tagsnap_packed(hexnow, v->snap, name,
		    len)) < 0) {
			bad = 1;
			break;
		} else
			hex = now ? hexnow : NULL;
		if (c >= 0) {
			j++;
			then = 1;
			was = b->hex;
		} else if ((then = dipb_tagsnap_packed(hexthen, v->snap, name,
		    len)) < 0) {
			bad = 1;
			break;
		} else
			was = then ? hexthen : NULL;
		new = 0;
		t = NULL;
		if (now && tag_form(name, len, &rlen, &n, &ev)) {
			t = add_tag(v, name, len, rlen, n, ev, hex);
			new = t->type != DIPB_OBJECT_NONE &&
			    dipb_vfy_on_branch(v, t->target) != 0;
		}
		if (then ? !now || new || !same_hex(was, hex) : now && !new)
			*same = 0;
		key = xstrndup(name, len);
		if (t != NULL && !new && dipb_hashmap_get(want, key) == NULL)
			dipb_vfy_tag_release(&v->tags[--v->ntags]);
		dipb_hashmap_put(&seen, key, (void *)1);
		free(key);
	}
	/* The packed ones no change up to it claimed. */
	for (i = 0; i < want->cap && !bad; i++) {
		if ((key = want->v[i].key) == NULL ||
		    dipb_hashmap_get(&seen, key) != NULL)
			continue;
		len = strlen(key);
		if ((now = dipb_tagsnap_packed(hexnow, v->snap, key,
		    len)) < 0)
			bad = 1;
		else if (now && tag_form(key, len, &rlen, &n, &ev))
			add_tag(v, key, len, rlen, n, ev, hexnow);
	}
	dipb_hashmap_release(&seen, NULL);
	free(ck);
	if ((err = tags_failed(v)) == NULL && bad)
		err = dipb_error_fmt(DIPB_ERR_CORRUPT,
		    "malformed packed-refs");
	if (err != NULL)
		return err;
	memcpy(v->tags_digest, cp->tags_digest, sizeof(v->tags_digest));
	v->ntags_digest = cp->ntags;
	v->out->ntags = count;
	return NULL;
}

/*
 * v->tags in the order of their names, which dipb_vfy_tag_named searches,
 * and their table by target, complete: pointers into it hold from here
 * on.  A scan of every tag gives them in that order (dipb_vfy_tags_scan);
 * dipb_vfy_tags_known gathers the loose ones, then the packed ones, and
 * they are sorted here.
 */
void
dipb_vfy_tags_index(struct verify *v)
{
	struct tag *t, *x;
	size_t i;

	for (i = 1; i < v->ntags; i++)
		if (strcmp(v->tags[i - 1].name, v->tags[i].name) > 0)
			break;
	if (i < v->ntags)
		qsort(v->tags, v->ntags, sizeof(*v->tags), cmp_tag_name);
	/*
	 * Each target's tags in reverse order of their names: the order in
	 * which dipb_vfy_check_tag weighs them.
	 */
	for (i = v->ntags; i > 0; i--) {
		t = &v->tags[i - 1];
		t->next = NULL;
		if (t->type == DIPB_OBJECT_NONE)
			continue;
		if ((x = dipb_vfy_tags_on(v, t->target)) == NULL) {
			dipb_idtab_put(&v->tag_targets,
			    dipb_idtab_hash_hex(t->target), (uint32_t)(i - 1),
			    tag_hash, v);
			continue;
		}
		while (x->next != NULL)
			x = x->next;
		x->next = t;
	}
	v->tags_read = 1;
}

/* The tags whose target is the object hex, linked by next; NULL: none. */
struct tag *
dipb_vfy_tags_on(const struct verify *v, const char *hex)
{
	uint64_t h = dipb_idtab_hash_hex(hex);
	size_t at = 0;
	uint32_t k;

	while (dipb_idtab_next(&k, &v->tag_targets, h, &at))
		if (memcmp(v->tags[k].target, hex, DIPB_OID_HEX) == 0)
			return &v->tags[k];
	return NULL;
}

/*
 * The tag named name, NULL when there is none: a binary search of
 * v->tags, 18 comparisons among 159,000 tags, where a map by name held
 * 8 MB.
 */
struct tag *
dipb_vfy_tag_named(struct verify *v, const char *name)
{
	size_t lo = 0, hi = v->ntags, mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((c = strcmp(v->tags[mid].name, name)) == 0)
			return &v->tags[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Every tag into v->tags, unless a checkpoint chose them (ckpt_apply). */
const struct dipb_error *
dipb_vfy_tags_ready(struct verify *v)
{
	const struct dipb_error *err;

	if (v->tags_read)
		return NULL;
	if ((err = dipb_vfy_tags_scan(v, 1, NULL, NULL, NULL)) != NULL)
		return err;
	dipb_vfy_tags_index(v);
	return NULL;
}

/* Forgets v->tags, to read them again. */
void
dipb_vfy_tags_forget(struct verify *v)
{
	size_t i;

	for (i = 0; i < v->ntags; i++)
		dipb_vfy_tag_release(&v->tags[i]);
	v->ntags = 0;
	dipb_idtab_release(&v->tag_targets);
	dipb_hashmap_release(&v->tag_numbers, NULL);
	v->have_numbers = 0;
	v->tags_read = 0;
}

/*
 * 1 when tag t belongs to a later change of the branch: one of the same
 * record and event that bears no other tag of the record (so the change
 * being checked is the one without a tag, not t the one moved).
 */
static int
tag_is_later(struct verify *v, const struct tag *t)
{
	const char *hex = t->target;
	struct commit *c, tmp;
	const struct tag *x;
	struct walked w;
	uintptr_t at;
	int later = 1;

	if (t->type != DIPB_OBJECT_COMMIT)
		return 0;
	if ((at = dipb_vfy_on_branch(v, hex)) == 0 ||
	    at - 1 <= v->cur)
		return 0;
	if ((c = dipb_vfy_commit_peek(v, at - 1, &tmp)) == NULL)
		return 0;
	if (!c->dipb || c->bad != NULL || strcmp(c->record, t->record) != 0 ||
	    strcmp(c->event, t->event) != 0)
		later = 0;
	/* Its own tag (struct walked) is of its record. */
	dipb_vfy_hist_get(&w, v, at - 1);
	if (w.tagged & WT_OWN)
		later = 0;
	for (x = dipb_vfy_tags_on(v, hex); later && x != NULL;
	    x = x->next)
		if (x != t && strcmp(x->record, t->record) == 0)
			later = 0;
	if (c == &tmp)
		dipb_vfy_commit_release(&tmp);
	return later;
}

/*
 * Whether tag t holds its number apart from the changes of the branch,
 * as the replay stands: a tag of a commit off the branch, or one that no
 * change can claim now (of no commit, or unclaimed on a commit already
 * judged, before the checkpoint too), which dipb_vfy_check_other_tags
 * reports on its own.
 */
static int
holds_apart(struct verify *v, const struct tag *t)
{
	uintptr_t at;

	if (t->type != DIPB_OBJECT_COMMIT || t->before)
		return !t->claimed;
	at = dipb_vfy_on_branch(v, t->target);
	return at == 0 || (!t->claimed && at - 1 < v->cur);
}

/*
 * 1 when each number from..to-1 of record is that of a tag held apart
 * from the branch's changes (holds_apart): tag numbers are the
 * repository's, and a change of the record made on another branch took
 * them (dipb-verify(1), "Branches"), or a tag of the board's form that
 * no change claims did, which dipb counts as taken when it numbers a
 * change (dipb-git(7)): the change after it is no second finding.  A
 * change's own tag (struct walked) is on the branch, never one of these:
 * v->tags holds every candidate.
 */
static int
numbers_elsewhere(struct verify *v, const char *record, unsigned long from,
    unsigned long to)
{
	const struct tag *t;
	struct tag *x;
	unsigned long k;
	size_t i;
	char *key;
	int found = 1;

	if (to - from > v->ntags)
		return 0;
	/* Made the first time a gap is seen: most histories have none. */
	for (i = 0; !v->have_numbers && i < v->ntags; i++) {
		x = &v->tags[i];
		key = xasprintf("%s/%lu", x->record, x->n);
		x->same_n = dipb_hashmap_get(&v->tag_numbers, key);
		dipb_hashmap_put(&v->tag_numbers, key, x);
		free(key);
	}
	v->have_numbers = 1;
	for (k = from; k < to && found; k++) {
		key = xasprintf("%s/%lu", record, k);
		found = 0;
		for (t = dipb_hashmap_get(&v->tag_numbers, key); t != NULL &&
		    !found; t = t->same_n)
			found = holds_apart(v, t);
		free(key);
	}
	return found;
}

/*
 * The tag-name finding of change c's tag t, whose object names another
 * tag (dipb_git_tag_peel_as): its 'tag' line read again, of such a tag
 * only; of one git fsck refuses (its tagger), why.  One not read for want
 * of memory or files is no finding: the repository is broken (v->broken).
 */
static void
misnamed(struct verify *v, const struct commit *c, const struct tag *t,
    const char *path)
{
	const struct dipb_error *err;
	struct dipb_tag tg;
	char obj[DIPB_OID_HEX + 1], *said;

	dipb_hex(obj, t->obj, sizeof(t->obj));
	if ((err = dipb_git_tag_read(&tg, v->repo, obj)) != NULL &&
	    err->code != DIPB_ERR_CORRUPT) {
		if (v->broken == NULL)
			v->broken = err;
		else
			dipb_error_free(err);
		return;
	}
	if (err != NULL) {
		dipb_vfy_finding(v, c->id, t->name, path, "tag-name", "the tag "
		    "object names another tag than this one; %s", err->msg);
		dipb_error_free(err);
		return;
	}
	said = dipb_text_clean_line(tg.name);
	dipb_vfy_finding(v, c->id, t->name, path, "tag-name", "the tag "
	    "object is of tag '%s', not of this one: made for another name "
	    "(git describe: \"externally known as\")", said);
	free(said);
	dipb_tag_release(&tg);
}

/*
 * Change c (its record's state rs) claims tag t: its findings, on c's
 * file path, and the number it leaves the record at.
 */
static void
claim(struct verify *v, const struct commit *c, struct recstate *rs,
    const struct tag *t, const char *path)
{
	const char *name = t->name, *event = t->event;
	unsigned long want = rs->ntags + 1, k = want + rs->missing, n = t->n;

	if (strcmp(event, c->event) != 0)
		dipb_vfy_finding(v, c->id, name, path, "tag-event",
		    "the tag names another event than the commit's (%s)",
		    c->event);
	else if (n != want && !(n > want && (n <= want + rs->missing ||
	    numbers_elsewhere(v, c->record, want, n))))
		dipb_vfy_finding(v, c->id, name, path, "tag-number",
		    "this is change %lu of %s: tag numbers count a record's "
		    "changes from 1, without gaps", k, c->record);
	if (!t->annotated)
		dipb_vfy_finding(v, c->id, name, path, "tag-lightweight",
		    "a lightweight tag, not an annotated one");
	if (t->misnamed)
		misnamed(v, c, t, path);
	rs->ntags = n;
	rs->missing = 0;
}

/*
 * The tag of state change c, commit k of the history, as
 * dipb_vfy_check_tag will find it; NULL: none.  c's own tag (struct
 * walked) is made into *own, its name for the caller to free.
 */
const struct tag *
dipb_vfy_change_tag(struct verify *v, const struct commit *c, size_t k,
    struct tag *own)
{
	const struct tag *t, *best = NULL;

	if (dipb_vfy_own_tag(own, v, k))
		return own;
	for (t = dipb_vfy_tags_on(v, c->id); t != NULL; t = t->next)
		if (strcmp(t->record, c->record) == 0 && (best == NULL ||
		    (strcmp(best->event, c->event) != 0 &&
		    strcmp(t->event, c->event) == 0)))
			best = t;
	return best;
}

/*
 * The tag of change c (the k-th of its record): the one named
 * <record>/<k>-<event> on c, else another tag of the record on c, else a
 * finding.  Gaps are forgiven where earlier changes had no tag at all (a
 * deleted tag is reported once, as missing).  k counts the changes whose
 * tags are missing too: dipb tags each change as it makes it, so a
 * missing tag was deleted (a clone made with --no-tags) and held its own
 * number.  c's own tag (struct walked) is the only one on it, and so the
 * one it claims.  The findings are on path, the file c changes, as its
 * other findings are (dipb-verify(1), "Output").
 */
void
dipb_vfy_check_tag(struct verify *v, const struct commit *c,
    struct recstate *rs, const char *path)
{
	const char *hex = c->id;
	struct walked w;
	struct tag *t, *u = NULL, *x, own;
	unsigned long want = rs->ntags + rs->missing + 1;
	char *name;

	/* c is commit v->cur of the history, the one replayed. */
	dipb_vfy_hist_get(&w, v, v->cur);
	if (w.tagged & WT_OWN) {
		w.tagged |= WT_CLAIMED;
		dipb_vfy_hist_put(v, v->cur, &w);
		own_tag_make(&own, v, v->cur, &w);
		claim(v, c, rs, &own, path);
		free(own.name);
		return;
	}
	name = xasprintf("%s/%lu-%s", c->record, want, c->event);
	t = dipb_vfy_tag_named(v, name);
	if (t != NULL && !t->claimed && t->type != DIPB_OBJECT_NONE &&
	    strcmp(t->target, c->id) == 0) {
		u = t;
	} else {
		for (x = dipb_vfy_tags_on(v, hex); x != NULL;
	    x = x->next)
			if (!x->claimed && strcmp(x->record, c->record) == 0 &&
			    (u == NULL || (strcmp(u->event, c->event) != 0 &&
			    strcmp(x->event, c->event) == 0)))
				u = x;
	}
	if (u != NULL) {
		u->claimed = 1;
		claim(v, c, rs, u, path);
	} else if (t != NULL && !t->claimed && !tag_is_later(v, t)) {
		t->reported = 1;
		if (t->type == DIPB_OBJECT_NONE)
			dipb_vfy_finding(v, c->id, name, path, "tag-moved",
			    "%s, not to this commit", unread(t));
		else
			dipb_vfy_finding(v, c->id, name, path, "tag-moved",
			    "the tag points to %.*s, not to this commit: moved",
			    SHORT_HEX, t->target);
		rs->ntags = want;
		rs->missing = 0;
	} else {
		dipb_vfy_finding(v, c->id, name, path, "tag-missing",
		    "no such tag: deleted, or the commit was not made by "
		    "dipb");
		rs->missing++;
	}
	free(name);
}

/*
 * Marks the tags, not on the branch, that another branch has: their
 * commit is reached from a branch (dipb_walk_push_branches).  One walk from
 * those references, the branch's history hidden, until each is found;
 * none when no tag needs it.
 */
static const struct dipb_error *
find_elsewhere(struct verify *v)
{
	const struct dipb_error *err = NULL;
	struct dipb_hashmap want = DIPB_HASHMAP_INIT;
	struct dipb_walk *w = NULL;
	char id[DIPB_OID_HEX + 1];
	struct tag *t, *x;
	size_t i, left = 0;
	int done = 0;

	for (i = 0; i < v->ntags; i++) {
		t = &v->tags[i];
		if (t->claimed || t->reported ||
		    t->type != DIPB_OBJECT_COMMIT ||
		    t->before ||
		    dipb_vfy_on_branch(v, t->target) != 0 ||
		    dipb_hashmap_get(&want, t->target) != NULL)
			continue;
		dipb_hashmap_put(&want, t->target, t);
		left++;
	}
	if (left == 0)
		goto done;
	if ((err = dipb_git_walk_new(&w, v->repo)) != NULL ||
	    (err = dipb_walk_push_branches(w)) != NULL)
		goto done;
	if (v->tip[0] != '\0' && (err = dipb_walk_hide(w, v->tip)) != NULL)
		goto done;
	while (left > 0) {
		if ((err = dipb_walk_next(id, &done, w)) != NULL || done)
			break;
		if (dipb_hashmap_get(&want, id) == NULL)
			continue;
		for (x = dipb_vfy_tags_on(v, id); x != NULL;
		    x = x->next)
			x->elsewhere = 1;
		left--;
	}
done:
	dipb_walk_free(w);
	dipb_hashmap_release(&want, NULL);
	return err;
}

/*
 * The message of the finding of a tag on commit k of the history, which
 * it is not that commit's.
 */
char *
dipb_vfy_extra_msg(struct verify *v, const struct tag *t, size_t k)
{
	struct commit *c, tmp;
	char *msg;

	if ((c = dipb_vfy_commit_peek(v, k, &tmp)) == NULL || !c->dipb ||
	    c->bad != NULL)
		msg = xasprintf("the tag is on %.*s, which is not a state "
		    "change", SHORT_HEX, t->target);
	else
		msg = xasprintf("the tag is on %.*s, the change '%s %s', which "
		    "has its own tag", SHORT_HEX, t->target, c->record,
		    c->event);
	if (c == &tmp)
		dipb_vfy_commit_release(&tmp);
	return msg;
}

/*
 * The tags that no change of the branch claimed: those of another branch
 * are not the branch's to judge; the others are findings.
 */
const struct dipb_error *
dipb_vfy_check_other_tags(struct verify *v)
{
	const struct dipb_error *err;
	char shorthex[SHORT_HEX + 1];
	struct tag *t, own;
	struct walked w;
	uintptr_t at;
	size_t i;
	int merged;
	char *msg;

	v->cur = v->ncommits;
	if ((err = find_elsewhere(v)) != NULL)
		return err;
	for (i = 0; i < v->ntags; i++) {
		t = &v->tags[i];
		if (t->claimed || t->reported || t->elsewhere)
			continue;
		/* On the branch before the checkpoint (ckpt_apply). */
		if (t->before) {
			dipb_vfy_finding(v, t->target, t->name, NULL,
			    "tag-extra", "%s",
			    t->extra != NULL ? t->extra : "");
			continue;
		}
		if (t->type == DIPB_OBJECT_NONE) {
			dipb_vfy_finding(v, NULL, t->name, NULL,
			    "tag-outside-branch", "%s", unread(t));
			continue;
		}
		memcpy(shorthex, t->target, SHORT_HEX);
		shorthex[SHORT_HEX] = '\0';
		if (t->type != DIPB_OBJECT_COMMIT) {
			dipb_vfy_finding(v, t->target, t->name, NULL,
			    "tag-outside-branch", "the tag points to a %s, not "
			    "to a commit", dipb_object_type_name(t->type));
			continue;
		}
		at = dipb_vfy_on_branch(v, t->target);
		if (at == 0) {
			merged = v->tip[0] != '\0' && dipb_git_descendant_of(
			    v->repo, v->tip, t->target);
			dipb_vfy_finding(v, t->target, t->name, NULL,
			    "tag-outside-branch", "the tag points to %s, which "
			    "is not on branch %s%s", shorthex, v->branch,
			    merged ? "'s first-parent history (a merged "
			    "branch)" : ": history rewritten? (no branch, "
			    "remote-tracking or pull request ref reaches it: "
			    "a stray tag)");
			continue;
		}
		msg = dipb_vfy_extra_msg(v, t, at - 1);
		dipb_vfy_finding(v, t->target, t->name, NULL, "tag-extra", "%s",
		    msg);
		free(msg);
	}
	/*
	 * A change's own tag (struct walked) is claimed when the change is
	 * judged; one that was not is reported as any tag on a commit of the
	 * branch that is not its own.
	 */
	for (i = 0; i < v->ncommits; i++) {
		dipb_vfy_hist_get(&w, v, i);
		if ((w.tagged & (WT_OWN | WT_CLAIMED)) != WT_OWN)
			continue;
		own_tag_make(&own, v, i, &w);
		msg = dipb_vfy_extra_msg(v, &own, i);
		dipb_vfy_finding(v, own.target, own.name, NULL, "tag-extra",
		    "%s", msg);
		free(msg);
		dipb_vfy_tag_release(&own);
	}
	return NULL;
}


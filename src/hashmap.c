/*
 * hashmap.c - a table from strings to pointers (hashmap.h): linear
 * probing, kept at most half full.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hashmap.h"
#include "util.h"

static uint64_t
hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static struct dipb_hashmap_entry *
find(const struct dipb_hashmap *t, const char *key)
{
	size_t i;

	if (t->cap == 0)
		return NULL;
	for (i = hash(key) & (t->cap - 1); t->v[i].key != NULL;
	    i = (i + 1) & (t->cap - 1))
		if (strcmp(t->v[i].key, key) == 0)
			return &t->v[i];
	return NULL;
}

void *
dipb_hashmap_get(const struct dipb_hashmap *t, const char *key)
{
	struct dipb_hashmap_entry *e = find(t, key);

	return e != NULL ? e->val : NULL;
}

static void
put(struct dipb_hashmap *t, const char *key, void *val, int borrow)
{
	struct dipb_hashmap_entry *old = t->v, *e;
	size_t oldcap = t->cap, i, k;

	if ((e = find(t, key)) != NULL) {
		e->val = val;
		return;
	}
	if ((t->n + 1) * 2 > t->cap) {
		t->cap = t->cap == 0 ? 64 : t->cap * 2;
		t->v = xcalloc(t->cap, sizeof(*t->v));
		for (k = 0; k < oldcap; k++) {
			if (old[k].key == NULL)
				continue;
			for (i = hash(old[k].key) & (t->cap - 1);
			    t->v[i].key != NULL; i = (i + 1) & (t->cap - 1))
				;
			t->v[i] = old[k];
		}
		free(old);
	}
	for (i = hash(key) & (t->cap - 1); t->v[i].key != NULL;
	    i = (i + 1) & (t->cap - 1))
		;
	if (t->n == 0)
		t->borrowed = borrow;
	assert(t->borrowed == borrow);	/* all copied, or all borrowed */
	t->v[i].key = borrow ? (char *)(uintptr_t)key : xstrdup(key);
	t->v[i].val = val;
	t->n++;
}

void
dipb_hashmap_put(struct dipb_hashmap *t, const char *key, void *val)
{
	put(t, key, val, 0);
}

void
dipb_hashmap_put_ref(struct dipb_hashmap *t, const char *key, void *val)
{
	put(t, key, val, 1);
}

void
dipb_hashmap_release(struct dipb_hashmap *t, void (*free_val)(void *))
{
	size_t i;

	for (i = 0; i < t->cap; i++) {
		if (t->v[i].key == NULL)
			continue;
		if (!t->borrowed)
			free(t->v[i].key);
		if (free_val != NULL)
			free_val(t->v[i].val);
	}
	free(t->v);
	memset(t, 0, sizeof(*t));
}

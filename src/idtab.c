/*
 * idtab.c - the entries of an array found by their keys (idtab.h).
 */
#include <stdlib.h>

#include "idtab.h"
#include "util.h"

void
dipb_idtab_put(struct dipb_idtab *t, uint64_t hash, uint32_t idx,
    dipb_idtab_hash_fn hash_of, const void *arg)
{
	uint32_t *old = t->v;
	size_t oldcap = t->cap, i, k;

	if ((t->n + 1) * 2 > t->cap) {
		t->cap = t->cap == 0 ? 64 : t->cap * 2;
		t->v = xcalloc(t->cap, sizeof(*t->v));
		for (k = 0; k < oldcap; k++) {
			if (old[k] == 0)
				continue;
			for (i = hash_of(old[k] - 1, arg) & (t->cap - 1);
			    t->v[i] != 0; i = (i + 1) & (t->cap - 1))
				;
			t->v[i] = old[k];
		}
		free(old);
	}
	for (i = hash & (t->cap - 1); t->v[i] != 0; i = (i + 1) & (t->cap - 1))
		;
	t->v[i] = idx + 1;
	t->n++;
}

int
dipb_idtab_next(uint32_t *idx, const struct dipb_idtab *t, uint64_t hash,
    size_t *at)
{
	size_t i;

	if (t->cap == 0 || *at >= t->cap)
		return 0;
	i = (hash + *at) & (t->cap - 1);
	if (t->v[i] == 0)
		return 0;
	*idx = t->v[i] - 1;
	(*at)++;
	return 1;
}

void
dipb_idtab_release(struct dipb_idtab *t)
{
	free(t->v);
	t->v = NULL;
	t->cap = t->n = 0;
}

uint64_t
dipb_idtab_hash_raw(const unsigned char *raw)
{
	uint64_t h = 0;
	size_t i;

	for (i = 0; i < 8; i++)
		h = h << 8 | raw[i];
	return h;
}

uint64_t
dipb_idtab_hash_hex(const char *hex)
{
	unsigned char b[8];

	if (dipb_unhex(b, hex, sizeof(b)) < 0)
		return 0;
	return dipb_idtab_hash_raw(b);
}

/*
 * tags.c - the tags of the board (repo.h, "Reading the history"): what
 * a tag object names.  The references under refs/tags/ are listed by
 * refs.c's scanner of packed-refs and the loose refs (dipb_git_tags).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../error.h"
#include "internal.h"

void
dipb_tagrefs_release(struct dipb_tagrefs *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i].name);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* The object a tag's data names: "object <hex>\ntype <type>\n". */
static int
tag_object(char out[DIPB_OID_HEX + 1], enum dipb_object_type *type,
    const char *data, size_t len)
{
	const char *t = data + 7 + DIPB_OID_HEX + 1, *nl;
	static const enum dipb_object_type types[] = { DIPB_OBJECT_COMMIT,
	    DIPB_OBJECT_TREE, DIPB_OBJECT_BLOB, DIPB_OBJECT_TAG };
	size_t i, n;

	if (len < 7 + DIPB_OID_HEX + 1 + 5 ||
	    memcmp(data, "object ", 7) != 0 || data[7 + DIPB_OID_HEX] != '\n' ||
	    memcmp(t, "type ", 5) != 0 ||
	    (nl = memchr(t, '\n', (size_t)(data + len - t))) == NULL)
		return -1;
	memcpy(out, data + 7, DIPB_OID_HEX);
	out[DIPB_OID_HEX] = '\0';
	if (strspn(out, "0123456789abcdef") != DIPB_OID_HEX)
		return -1;
	n = (size_t)(nl - t - 5);
	*type = DIPB_OBJECT_NONE;
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strlen(dipb_object_type_name(types[i])) == n &&
		    memcmp(t + 5, dipb_object_type_name(types[i]), n) == 0)
			*type = types[i];
	return 0;
}

void
dipb_git_tag_peel(char out[DIPB_OID_HEX + 1], enum dipb_object_type *type,
    int *annotated, struct dipb_repo *repo, const char *id)
{
	const struct dipb_error *err;
	struct dipb_object *o;
	size_t n;

	snprintf(out, DIPB_OID_HEX + 1, "%s", id);
	*type = DIPB_OBJECT_NONE;
	*annotated = 0;
	/*
	 * Only a tag object is read, of DIPB_GIT_MAX_COMMIT bytes at most:
	 * a tag may name a blob of any size, or be a huge one itself.
	 */
	dipb_git_object_stat(type, &n, repo, id);
	if (*type != DIPB_OBJECT_TAG && *type != DIPB_OBJECT_NONE)
		return;		/* a commit, or whatever a tag names */
	if ((err = dipb_git_object_read_max(&o, repo, id, DIPB_OBJECT_NONE,
	    DIPB_GIT_MAX_COMMIT)) != NULL) {
		dipb_error_free(err);
		*annotated = *type == DIPB_OBJECT_TAG;	/* too large */
		*type = DIPB_OBJECT_NONE;
		return;		/* a missing object */
	}
	*type = dipb_object_type(o);
	if (*type == DIPB_OBJECT_TAG) {
		*annotated = 1;
		if (tag_object(out, type, dipb_object_data(o),
		    dipb_object_size(o)) < 0)
			*type = DIPB_OBJECT_NONE;
	}
	dipb_object_free(o);
}

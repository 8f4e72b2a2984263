/*
 * tags.c - the tags of the board (repo.h, "Reading the history"): the
 * references under refs/tags/, with what packed-refs already says of
 * the commit an annotated tag points to, so that listing 10,000 tags
 * reads no tag object.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../error.h"
#include "internal.h"

static void
add(struct dipb_tagrefs *out, git_reference *ref)
{
	git_reference *res = NULL;
	struct dipb_tagref *t;
	const git_oid *id;

	xgrow((void **)&out->v, &out->cap, out->n + 1, sizeof(*out->v));
	t = &out->v[out->n++];
	memset(t, 0, sizeof(*t));
	t->name = xstrdup(git_reference_name(ref) + strlen("refs/tags/"));
	/*
	 * A symbolic tag names what it resolves to; a broken one, nothing.
	 * A direct one is what the iterator gave, with packed-refs' peeled
	 * line: git_reference_resolve() would look its name up again (a
	 * loose file looked for, packed-refs searched) for each of 10,000
	 * tags.
	 */
	if (git_reference_type(ref) != GIT_REFERENCE_DIRECT &&
	    git_reference_resolve(&res, ref) < 0) {
		git_error_clear();
		return;
	}
	if ((id = git_reference_target(res != NULL ? res : ref)) == NULL) {
		git_reference_free(res);
		return;
	}
	git_oid_tostr(t->target, sizeof(t->target), id);
	if ((id = git_reference_target_peel(res != NULL ? res : ref)) != NULL)
		git_oid_tostr(t->peeled, sizeof(t->peeled), id);
	git_reference_free(res);
}

const struct dipb_error *
dipb_git_tags(struct dipb_tagrefs *out, struct dipb_repo *repo,
    const char *glob)
{
	const struct dipb_error *err = NULL;
	git_reference_iterator *it = NULL;
	git_reference *ref;
	char *full = xasprintf("refs/tags/%s", glob);
	int rc;

	if (git_reference_iterator_glob_new(&it, repo->git,
	    full) < 0) {
		err = dipb_error_from_git("cannot read the tags: '%s'", glob);
		goto done;
	}
	while ((rc = git_reference_next(&ref, it)) == 0) {
		if (strncmp(git_reference_name(ref), "refs/tags/", 10) == 0)
			add(out, ref);
		git_reference_free(ref);
	}
	if (rc != GIT_ITEROVER)
		err = dipb_error_from_git("cannot read the tags: '%s'", glob);
	else
		git_error_clear();
done:
	git_reference_iterator_free(it);
	free(full);
	return err;
}

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

	snprintf(out, DIPB_OID_HEX + 1, "%s", id);
	*type = DIPB_OBJECT_NONE;
	*annotated = 0;
	if ((err = dipb_git_object_read(&o, repo, id, DIPB_OBJECT_NONE)) !=
	    NULL) {
		dipb_error_free(err);
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

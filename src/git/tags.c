/*
 * tags.c - the tags of the board (repo.h, "Reading the history"): what
 * a tag object names.  The references under refs/tags/ are listed by
 * reflist.c, from packed-refs (packed.c's scanner) and the loose refs
 * (dipb_git_tags).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../error.h"
#include "internal.h"

/* Tags of tags followed at most (git's own peel has no limit). */
#define DIPB_GIT_MAX_TAG_DEPTH	16

/*
 * Whether err of a tag object's read means the object is not there to
 * read (missing, of another type) or is larger than dipb reads: a tag that
 * names nothing.  Anything else (too many open files, out of memory) is
 * the reader's failure, never the tag's.
 */
static int
unread(const struct dipb_error *err)
{
	return err->code == DIPB_ERR_NOT_FOUND ||
	    err->code == DIPB_ERR_TOO_LARGE || err->code == DIPB_ERR_CORRUPT;
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

/*
 * Whether theirs (sorted by name) holds a tag of t's record, by another
 * name than t's, that leads to t's commit: the change's own tag, which
 * t, a tag of a member's own, only looks like.  The record's names are
 * one run about at, where t's name would go.
 */
static const struct dipb_error *
held_otherwise(int *held, struct dipb_repo *r,
    const struct dipb_tagrefs *theirs, size_t at, const struct dipb_tagref *t)
{
	const struct dipb_error *err;
	const char *slash = strchr(t->name, '/');
	char ours[DIPB_OID_HEX + 1], c[DIPB_OID_HEX + 1];
	size_t len, lo, hi, k;
	int found;

	*held = 0;
	if (slash == NULL)
		return NULL;
	len = (size_t)(slash - t->name) + 1;
	for (lo = at; lo > 0 &&
	    strncmp(theirs->v[lo - 1].name, t->name, len) == 0; lo--)
		;
	for (hi = at; hi < theirs->n &&
	    strncmp(theirs->v[hi].name, t->name, len) == 0; hi++)
		;
	if (lo == hi)
		return NULL;
	if ((err = dipb_git_tagref_commit(ours, &found, r, t)) != NULL ||
	    !found)
		return err;
	for (k = lo; k < hi && !*held; k++) {
		if ((err = dipb_git_tagref_commit(c, &found, r,
		    &theirs->v[k])) != NULL)
			return err;
		*held = found && strcmp(c, ours) == 0;
	}
	return NULL;
}

const struct dipb_error *
dipb_git_tags_lacking(struct dipb_tagrefs *out, struct dipb_repo *r,
    const char *folder)
{
	const struct dipb_error *err;
	struct dipb_tagrefs theirs = { NULL, 0, 0 }, ours = { NULL, 0, 0 };
	size_t i, at = 0, nloose = 0;
	int cmp = 1, held;

	if ((err = dipb_git_refs_in(&theirs, &nloose, r, folder)) != NULL ||
	    (err = dipb_git_tags(&ours, r)) != NULL)
		goto done;
	dipb_git_tagrefs_sort(theirs.v, theirs.n);
	dipb_git_tagrefs_sort(ours.v, ours.n);
	for (i = 0; i < ours.n; i++) {
		for (cmp = 1; at < theirs.n; at++)
			if ((cmp = strcmp(theirs.v[at].name,
			    ours.v[i].name)) >= 0)
				break;
		if (cmp == 0)
			continue;
		if ((err = held_otherwise(&held, r, &theirs, at,
		    &ours.v[i])) != NULL)
			goto done;
		if (held)
			continue;
		/* Moved to out: ours lets go of it. */
		xgrow((void **)&out->v, &out->cap, out->n + 1,
		    sizeof(*out->v));
		out->v[out->n++] = ours.v[i];
		ours.v[i].name = NULL;
	}
done:
	dipb_tagrefs_release(&theirs);
	dipb_tagrefs_release(&ours);
	return err;
}

/*
 * Whether object id, which a tag's 'type' line says is of type, is of
 * it: *told 0 when it is here and of another, which git rev-parse TAG^{}
 * and git fsck refuse ("is a tree, not a commit"); a tag dipb took at its
 * word would tag a commit it only names (dipb-git(7)).  Missing, its
 * word stands: the walk or the reader says why it is not here.
 */
static const struct dipb_error *
type_told(int *told, struct dipb_repo *repo, const char *id,
    enum dipb_object_type type)
{
	const struct dipb_error *err;
	enum dipb_object_type real;
	size_t n;

	*told = 1;
	if ((err = dipb_git_object_stat(&real, &n, repo, id)) != NULL)
		return err;
	*told = real == DIPB_OBJECT_NONE || real == type;
	return NULL;
}

const struct dipb_error *
dipb_git_tag_peel(char out[DIPB_OID_HEX + 1], enum dipb_object_type *type,
    int *annotated, struct dipb_repo *repo, const char *id)
{
	int misnamed;

	return dipb_git_tag_peel_as(out, type, annotated, &misnamed, repo, id,
	    NULL);
}

/*
 * Whether the tag's name said, up to the newline before rest
 * (dipb_git_tag_head), is another than name.
 */
static int
named_otherwise(const char *said, const char *rest, const char *name)
{
	size_t n = (size_t)(rest - 1 - said);

	return strlen(name) != n || memcmp(said, name, n) != 0;
}

const struct dipb_error *
dipb_git_tag_peel_as(char out[DIPB_OID_HEX + 1], enum dipb_object_type *type,
    int *annotated, int *misnamed, struct dipb_repo *repo, const char *id,
    const char *name)
{
	const struct dipb_error *err;
	struct dipb_object *o;
	const char *data, *said, *rest;
	char obj[DIPB_OID_HEX + 1];
	size_t n;
	int depth, told;

	snprintf(out, DIPB_OID_HEX + 1, "%s", id);
	*type = DIPB_OBJECT_NONE;
	*annotated = *misnamed = 0;
	if ((err = dipb_git_object_stat(type, &n, repo, id)) != NULL)
		return err;
	if (*type != DIPB_OBJECT_TAG && *type != DIPB_OBJECT_NONE)
		return NULL;	/* a commit, or whatever a tag names */
	/*
	 * A tag of a tag (git tag -f -a T T, to sign a tag afterwards) is
	 * followed to what the last one names, as git rev-parse TAG^{}
	 * does (dipb-git(7)): every reader takes the same commit, and
	 * verify whether the tag is loose or packed-refs gives its peeled
	 * line.  A chain over 16 tags deep names nothing, as a malformed one.
	 */
	for (depth = 0; depth < DIPB_GIT_MAX_TAG_DEPTH; depth++) {
		snprintf(obj, sizeof(obj), "%s", out);
		/*
		 * Only a tag object is read, of DIPB_GIT_MAX_COMMIT bytes at
		 * most: a tag may name a blob of any size, or be a huge one
		 * itself.
		 */
		if ((err = dipb_git_object_read_max(&o, repo, obj,
		    DIPB_OBJECT_NONE, DIPB_GIT_MAX_COMMIT)) != NULL) {
			/* Only what is not there, or too large, is not read. */
			if (!unread(err))
				return err;
			dipb_error_free(err);
			/* A tag by its header, too large or not readable. */
			*annotated |= *type == DIPB_OBJECT_TAG;
			break;		/* taken as a missing one */
		}
		if (dipb_object_type(o) != DIPB_OBJECT_TAG) {
			*type = dipb_object_type(o);
			dipb_object_free(o);
			if (depth == 0)
				return NULL;	/* its header was not read */
			break;		/* a "type tag" line that lies */
		}
		*annotated = 1;
		/*
		 * Read as git reads a tag (dipb_git_tag_head), and as
		 * dipb_git_tag_read does: what dipb peels to commit X, git
		 * rev-parse TAG^{} peels to X, and a tag git reads none of
		 * (no 'tag' line third, a line out of order) names nothing.
		 */
		data = dipb_object_data(o);
		if (dipb_git_tag_head(out, type, &said, &rest, data,
		    data + dipb_object_size(o)) != NULL) {
			dipb_object_free(o);
			break;
		}
		/* The first one's name: read here, it costs no read. */
		if (depth == 0 && name != NULL)
			*misnamed = named_otherwise(said, rest, name);
		dipb_object_free(o);
		if (*type == DIPB_OBJECT_TAG)
			continue;
		/*
		 * "type commit" is checked by the readers that take the
		 * commit (dipb_git_tagref_commit; verify finds it on the
		 * branch or not): a stat of each of 10,000 tags' commits
		 * cost verify a fifth of its time.
		 */
		if (*type == DIPB_OBJECT_COMMIT)
			return NULL;
		if ((err = type_told(&told, repo, out, *type)) != NULL)
			return err;
		if (told)
			return NULL;
		break;		/* a "type" line that lies */
	}
	snprintf(out, DIPB_OID_HEX + 1, "%s", id);
	*type = DIPB_OBJECT_NONE;
	return NULL;
}

const struct dipb_error *
dipb_git_tagref_commit(char out[DIPB_OID_HEX + 1], int *found,
    struct dipb_repo *repo, const struct dipb_tagref *t)
{
	const struct dipb_error *err;
	enum dipb_object_type type;
	int annotated;

	*found = 0;
	if (t->target[0] == '\0')
		return NULL;
	if ((err = dipb_git_tag_peel(out, &type, &annotated, repo,
	    t->target)) != NULL)
		return err;
	*found = type == DIPB_OBJECT_COMMIT;
	if (*found && annotated &&
	    (err = type_told(found, repo, out, type)) != NULL)
		return err;
	return NULL;
}

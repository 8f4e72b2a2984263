/*
 * replay/names.c - the tags and ids of a record as the new parent has
 * them (the remote's, this clone's that are no local change's, those the
 * replay made): the next tag's number, whether an id is taken, the
 * remote's latest change of a record for a reason's words.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "../text.h"
#include "../trailer.h"

/*
 * Whether a ref of folder (ending in '/') is named as record id itself:
 * a plain tag "IC-0001", which stands where the folder of the record's
 * tags must be, so that none of them can be made beside it (dipb-git(7),
 * "Clashing ref names").
 */
static const struct dipb_error *
plain_tag(int *found, struct dipb_repo *repo, const char *folder,
    const char *id)
{
	const struct dipb_error *err;
	char hex[DIPB_OID_HEX + 1], *ref = xasprintf("%s%s", folder, id);

	err = dipb_git_ref(hex, found, repo, ref);
	free(ref);
	return err;
}

/*
 * The tag names of record ("<N>-<event>") as the new parent has them: the
 * remote's, the local ones that are no local change's, and those this
 * replay made.
 */
static const struct dipb_error *
tag_names(struct dipb_strlist *out, struct run *r, const char *record)
{
	const struct dipb_error *err = NULL;
	struct dipb_strlist local = DIPB_STRLIST_INIT;
	char *folder, *full;
	size_t i, n = strlen(record);

	if (r->upstream != NULL) {
		folder = xasprintf("%s%s/", r->upstream, record);
		err = dipb_repo_ref_names(out, r->repo, folder);
		free(folder);
	}
	if (err == NULL) {
		folder = xasprintf(TAGS_PREFIX "%s/", record);
		err = dipb_repo_ref_names(&local, r->repo, folder);
		free(folder);
	}
	for (i = 0; i < local.n && err == NULL; i++) {
		full = xasprintf("%s/%s", record, local.v[i]);
		if (!dipb_strlist_contains(&r->own, full) &&
		    !dipb_strlist_contains(out, local.v[i]))
			dipb_strlist_push(out, local.v[i]);
		free(full);
	}
	for (i = 0; i < r->made.n; i++)
		if (strncmp(r->made.v[i], record, n) == 0 &&
		    r->made.v[i][n] == '/' &&
		    !dipb_strlist_contains(out, r->made.v[i] + n + 1))
			dipb_strlist_push(out, r->made.v[i] + n + 1);
	dipb_strlist_release(&local);
	return err;
}

/*
 * The N of record's next tag, as ids.c numbers a change's: after the
 * highest N of its tags of dipb's form (dipb_tag_suffix), not the count
 * of the tags, which a tag made by hand beside a change's own (dipb
 * verify: tag-extra) would put past a gap.
 */
const struct dipb_error *
dipb_rpl_next_number(unsigned long *out, struct run *r, const char *record)
{
	const struct dipb_error *err;
	struct dipb_strlist names = DIPB_STRLIST_INIT;
	unsigned long max = 0, v;
	size_t i, ev;

	err = tag_names(&names, r, record);
	for (i = 0; i < names.n; i++)
		if ((v = dipb_tag_suffix(names.v[i], strlen(names.v[i]),
		    &ev)) > max)
			max = v;
	if (err == NULL)
		err = dipb_tag_next(out, max, record);
	dipb_strlist_release(&names);
	return err;
}

/*
 * Whether the commit that the remote's tag ref names (in r->upstream)
 * carries the Dipb-Record: record and Dipb-Event: event trailers of the
 * tag's name, ev: 1, with *c read (caller releases); 0 when it does not
 * (*c read, or zeroed when there is no commit).
 */
static int
tag_agrees(struct dipb_commit *c, struct run *r, const char *ref,
    const char *record, const char *ev)
{
	const struct dipb_error *err;
	struct dipb_trailers t;
	enum dipb_object_type type;
	const char *rec, *event;
	char id[DIPB_OID_HEX + 1], peeled[DIPB_OID_HEX + 1];
	int found = 0, annotated, agrees;

	memset(c, 0, sizeof(*c));
	if ((err = dipb_git_ref(id, &found, r->repo, ref)) != NULL) {
		dipb_error_free(err);
		return 0;
	}
	if (!found)
		return 0;
	/* For a reason's words only (dipb_rpl_upstream_last): as the ref's
	 * error. */
	if ((err = dipb_git_tag_peel(peeled, &type, &annotated, r->repo,
	    id)) != NULL) {
		dipb_error_free(err);
		return 0;
	}
	if (type != DIPB_OBJECT_COMMIT)
		return 0;
	/* One git fsck rejects (dipb-git(7)) is no change either. */
	if ((err = dipb_git_commit_read(c, r->repo, peeled)) != NULL) {
		dipb_error_free(err);
		memset(c, 0, sizeof(*c));
		return 0;
	}
	dipb_trailers_parse(&t, c->message, c->message_len);
	agrees = dipb_trailers_get(&rec, &t, "Dipb-Record") == 1 &&
	    dipb_trailers_get(&event, &t, "Dipb-Event") == 1 &&
	    strcmp(rec, record) == 0 && strcmp(event, ev) == 0;
	dipb_trailers_release(&t);
	return agrees;
}

/*
 * The remote's latest tag of record and the name of its change's author,
 * for reasons: "IC-0003/6-submitted by Jean Dupont"; NULL when none.  Of
 * two tags of that number (one made by hand with git tag, dipb-verify(1)
 * tag-extra), the one whose commit's trailers are its name's: the change.
 */
char *
dipb_rpl_upstream_last(struct run *r, const char *record)
{
	struct dipb_strlist names = DIPB_STRLIST_INIT;
	struct dipb_commit c, pick;
	const struct dipb_error *err;
	char *folder, *ref, *name, *out = NULL;
	unsigned long max = 0, v;
	size_t i, best = 0, ev;
	int have = 0;

	if (r->upstream == NULL)
		return NULL;
	folder = xasprintf("%s%s/", r->upstream, record);
	if ((err = dipb_repo_ref_names(&names, r->repo, folder)) != NULL)
		dipb_error_free(err);
	for (i = 0; i < names.n; i++)
		if ((v = dipb_tag_suffix(names.v[i], strlen(names.v[i]),
		    &ev)) > max) {
			max = v;
			best = i;
		}
	memset(&pick, 0, sizeof(pick));
	for (i = best; max > 0 && i < names.n; i++) {
		if (dipb_tag_suffix(names.v[i], strlen(names.v[i]), &ev) !=
		    max)
			continue;
		ref = xasprintf("%s%s", folder, names.v[i]);
		if (tag_agrees(&c, r, ref, record, names.v[i] + ev)) {
			dipb_commit_release(&pick);
			pick = c;
			have = 1;
			best = i;
			free(ref);
			break;
		}
		/* The first of them, as before, unless one agrees. */
		if (i == best && c.id[0] != '\0') {
			pick = c;
			have = 1;
		} else if (c.id[0] != '\0')
			dipb_commit_release(&c);
		free(ref);
	}
	if (max > 0) {
		/*
		 * The name is the remote author's, as their commit says: any
		 * bytes but a newline, which the reason printed on the
		 * user's terminal (dipb-sync(1), OUTPUT) and the message of
		 * refs/dipb/dropped/ show with '?' for each control
		 * character.
		 */
		if (have) {
			name = dipb_text_clean_line(pick.author_name != NULL ?
			    pick.author_name : "?");
			out = xasprintf("%s/%s by %s", record, names.v[best],
			    name);
			free(name);
		} else
			out = xasprintf("%s/%s", record, names.v[best]);
	}
	if (have)
		dipb_commit_release(&pick);
	dipb_strlist_release(&names);
	free(folder);
	return out;
}

/* Whether id is taken as of the new parent (dipb-sync(1), "REPLAY"). */
const struct dipb_error *
dipb_rpl_id_taken(int *taken, struct run *r, const char *id)
{
	const struct dipb_error *err;
	struct dipb_strlist names = DIPB_STRLIST_INIT;
	struct dipb_buf buf = DIPB_BUF_INIT;
	char *path;
	int found = 0;

	*taken = 0;
	if ((err = dipb_rpl_read_record_at(&buf, &found, &path, r->repo,
	    r->parent, id)) == NULL && !found)
		/*
		 * Its name in another case, or its prefix's folder: the
		 * same path to git on macOS and Windows (dipb-sync(1)).
		 */
		err = dipb_repo_record_held_at(&found, r->repo, r->parent,
		    id);
	if (err == NULL && !found)
		err = tag_names(&names, r, id);
	/* A plain tag of its name, the remote's or this clone's. */
	if (err == NULL && !found && names.n == 0 && r->upstream != NULL)
		err = plain_tag(&found, r->repo, r->upstream, id);
	if (err == NULL && !found && names.n == 0)
		err = plain_tag(&found, r->repo, TAGS_PREFIX, id);
	*taken = found || names.n > 0;
	dipb_strlist_release(&names);
	dipb_buf_release(&buf);
	free(path);
	return err;
}

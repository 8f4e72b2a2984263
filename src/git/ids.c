/*
 * git/ids.c - numbers from the refs: the N of a record's next tag, and the
 * next record id, past the ids that have refs.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "../board.h"
#include "../error.h"
#include "../meeting.h"
#include "../record.h"
#include "../state.h"
#include "../util.h"

/*
 * The N of the next tag of record: one more than the highest N of its
 * tags, its changes so far.  Not their count: a tag made by hand beside
 * a change's own (IC-0001/2-edited beside IC-0001/2-review-requested,
 * which dipb verify reports as tag-extra) would have the next change
 * numbered past a gap, for good, and verify report it too (tag-number).
 * Only the tags of dipb's form count (dipb_tag_suffix), those verify
 * judges: one of another (IC-0001/-1-edited, IC-0001/20000000000-edited)
 * is none of the record's changes (dipb-git(7), "Tags of another form").
 */
const struct dipb_error *
dipb_git_next_tag_number(unsigned long *out, struct dipb_repo *r,
    const struct dipb_board *board, const char *record, int sign)
{
	const struct dipb_error *err = NULL;
	struct dipb_tagrefs l = { NULL, 0, 0 };
	char *prefix = xasprintf("refs/tags/%s/", record);
	const char *plain = NULL;
	size_t i, ev;
	unsigned long max = 0, v;

	/* The first step of a change: its checks come first. */
	if ((err = dipb_git_check_locks(r)) != NULL) {
		free(prefix);
		return err;
	}
	if ((err = dipb_git_folder_refs(&l, NULL, &plain, r, prefix,
	    strlen(prefix), 1, 0)) != NULL)
		goto done;
	prefix[strlen(prefix) - 1] = '\0';
	/* Refused before the change writes anything. */
	if (plain != NULL) {
		err = dipb_error_fmt(DIPB_ERR_GIT, "the tag '%s' (%s, %s) "
		    "clashes with the folder of %s's tags, %s/: rename it "
		    "(git tag NEW-NAME %s && git tag -d %s) and retry", record,
		    prefix, plain, record, prefix, record, record);
		goto done;
	}
	for (i = 0; i < l.n; i++)
		if ((v = dipb_tag_suffix(l.v[i].name, strlen(l.v[i].name),
		    &ev)) > max)
			max = v;
	if (max == 0 && (err = dipb_git_shallow_untagged(r, record)) != NULL)
		goto done;
	if ((dipb_id_valid(record) || strcmp(record, DIPB_BOARD_RECORD) == 0 ||
	    strcmp(record, DIPB_MEETING_RECORD) == 0) &&
	    ((err = dipb_git_untagged_since(r, board, record, &l, max,
	    sign)) != NULL ||
	    (err = dipb_git_tags_moved(r, record, &l, max)) != NULL))
		goto done;
	err = dipb_tag_next(out, max, record);
done:
	free(prefix);
	dipb_tagrefs_release(&l);
	return err;
}

/* ---- record ids -------------------------------------------------- */

/* What a packed ref inside a record's tag folder is: own or another. */
struct held {
	size_t		 skip;		/* length of "<folder><id>/" */
	const char	*own;		/* the tag that does not count, or NULL */
	int		*held;
};

static int
other_ref(const char *ref, size_t len, const char *hex, const char *peeled,
    void *arg)
{
	struct held *h = arg;

	(void)hex;
	(void)peeled;
	if (h->own != NULL && len - h->skip == strlen(h->own) &&
	    memcmp(ref + h->skip, h->own, len - h->skip) == 0)
		return 0;
	*h->held = 1;
	return 1;
}

const struct dipb_error *
dipb_repo_id_held(int *held, struct dipb_repo *r, const char *folder,
    const char *id, const char *own)
{
	const struct dipb_error *err = NULL;
	char *name = xasprintf("%s%s", folder, id);
	char *path = xasprintf("%s%s", git_repository_commondir(r->git), name);
	char *inside = xasprintf("%s/", name);
	struct held h = { strlen(inside), own, held };
	struct dirent *d;
	struct stat st;
	git_oid oid;
	DIR *dir;
	int rc = 0;

	*held = 0;
	if (lstat(path, &st) == 0) {
		if (!S_ISDIR(st.st_mode))
			*held = 1;
		else if ((dir = opendir(path)) != NULL) {
			while (!*held && (rc = dipb_readdir(dir, &d)) == 1)
				*held = strcmp(d->d_name, ".") != 0 &&
				    strcmp(d->d_name, "..") != 0 &&
				    (own == NULL ||
				    strcmp(d->d_name, own) != 0);
			/* Read as its end, the id would be given again. */
			if (rc == -1)
				err = dipb_error_from_errno("cannot read the "
				    "folder '%s'", path);
			closedir(dir);
		}
	}
	if (err != NULL) {
		free(inside);
		free(path);
		free(name);
		return err;
	}
	if (!*held)
		err = dipb_git_packed_each(r, inside, other_ref, &h);
	if (err == NULL && !*held)
		err = dipb_git_packed_lookup(&oid, held, r, name);
	free(inside);
	free(path);
	free(name);
	return err;
}

/*
 * The next id of prefix after the record files below root, skipping ids
 * with refs in refs/tags/ or in the folder also (NULL: none).
 */
static const struct dipb_error *
next_id(char **out, struct dipb_repo *r, const git_oid *root,
    const char *prefix, const char *also)
{
	const struct dipb_error *err;
	unsigned long max = 0;
	char *id;
	int taken;

	*out = NULL;
	if (!dipb_id_prefix_valid(prefix))
		return dipb_error_fmt(DIPB_ERR_BAD_ID,
		    "not a record id prefix: '%s'", prefix);
	if ((err = dipb_git_records_max(&max, r, root, prefix)) != NULL)
		return err;
	/*
	 * Probe the ids after the highest file: one whose refs exist (its
	 * tags, or a tag of its name in the way of their folder) is taken.
	 */
	for (;;) {
		if (max == ULONG_MAX)
			return dipb_error_fmt(DIPB_ERR_INTERNAL,
			    "record numbers of %s exhausted", prefix);
		id = xasprintf("%s-%04lu", prefix, max + 1);
		if ((err = dipb_repo_id_held(&taken, r, "refs/tags/", id,
		    NULL)) == NULL && !taken && also != NULL)
			err = dipb_repo_id_held(&taken, r, also, id, NULL);
		if (err != NULL || !taken)
			break;
		free(id);
		max++;
	}
	if (err != NULL)
		free(id);
	else
		*out = id;
	return err;
}

const struct dipb_error *
dipb_repo_next_id(char **out, struct dipb_repo *r, const char *prefix)
{
	return next_id(out, r, dipb_git_tip_root(r), prefix, NULL);
}

/* The root tree of commit (hex) into root. */
static const struct dipb_error *
commit_root(git_oid *root, struct dipb_repo *r, const char *commit)
{
	const struct dipb_error *err;
	struct dipb_commit c;

	if ((err = dipb_git_commit_read(&c, r, commit)) != NULL)
		return err;
	if (git_oid_fromstr(root, c.tree) < 0)
		err = dipb_error_fmt(DIPB_ERR_CORRUPT, "not a commit: '%s'",
		    commit);
	dipb_commit_release(&c);
	return err;
}

const struct dipb_error *
dipb_repo_next_id_at(char **out, struct dipb_repo *r, const char *commit,
    const char *prefix, const char *also)
{
	const struct dipb_error *err;
	git_oid root;

	*out = NULL;
	if ((err = commit_root(&root, r, commit)) == NULL)
		err = next_id(out, r, &root, prefix, also);
	return err;
}

const struct dipb_error *
dipb_repo_record_held_at(int *held, struct dipb_repo *r, const char *commit,
    const char *id)
{
	const struct dipb_error *err;
	git_oid root;

	*held = 0;
	if ((err = commit_root(&root, r, commit)) == NULL)
		err = dipb_git_record_held(held, r, &root, id);
	return err;
}

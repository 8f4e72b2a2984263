/*
 * verify.c - dipb verify (verify.h): the branch's history replayed against
 * the workflow and the git contract.  What the files of src/verify/ share,
 * and which does what: internal.h.
 *
 * The cost is one pass over the first-parent history.  A commit whose tree
 * id is its parent's changes nothing; otherwise what changed comes from
 * the raw trees (src/git/treediff.c), at the cost of a few memcmp when
 * one record of 10,000 changed.  Each changed record is parsed once; its
 * parsed form is kept for the next change of the same record.  git is
 * read through repo.h's reading half.  The tags are the repository's, the
 * branch is the one judged: the other branches are walked only when a tag
 * is not on it (tags.c).
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../text.h"
#include "internal.h"

/* ---- a finding, and what the replay knows of a record ----------------- */

void
dipb_vfy_finding(struct verify *v, const char *commit, const char *tag,
    const char *path, const char *rule, const char *fmt, ...)
{
	struct dipb_findings *o = v->out;
	struct dipb_finding *f;
	va_list ap;
	char *msg;

	if (!dipb_vfy_is_tag_rule(rule) && v->cur < v->since)
		return;
	xgrow((void **)&o->v, &o->cap, o->n + 1, sizeof(*o->v));
	f = &o->v[o->n++];
	memset(f, 0, sizeof(*f));
	if (commit != NULL)
		snprintf(f->commit, sizeof(f->commit), "%s", commit);
	f->tag = tag != NULL ? dipb_text_clean_line(tag) : NULL;
	f->path = path != NULL ? dipb_text_clean_line(path) : NULL;
	f->rawpath = path != NULL ? xstrdup(path) : NULL;
	f->rule = rule;
	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	f->msg = dipb_text_clean_line(msg);
	free(msg);
}

void
dipb_findings_release(struct dipb_findings *o)
{
	size_t i;

	for (i = 0; i < o->n; i++) {
		free(o->v[i].tag);
		free(o->v[i].path);
		free(o->v[i].rawpath);
		free(o->v[i].msg);
	}
	free(o->v);
	memset(o, 0, sizeof(*o));
}

static void
recstate_free(void *p)
{
	struct recstate *rs = p;

	if (rs == NULL)
		return;
	dipb_record_free(rs->rec);
	free(rs->id);
	free(rs);
}

/* A record's state from the checkpoint, its file loaded when needed. */
static void
rs_take(struct recstate *rs, const struct dipb_ckpt_record *cr)
{
	rs->exists = cr->exists;
	rs->status = (enum dipb_status)cr->status;
	rs->unknown = cr->unknown;
	rs->ntags = cr->ntags;
	rs->missing = cr->missing;
	memcpy(rs->blob, cr->blob, sizeof(rs->blob));
	rs->lazy = rs->blob[0] != '\0';
}

struct recstate *
dipb_vfy_recstate(struct verify *v, const char *id)
{
	struct recstate *rs = dipb_hashmap_get(&v->records, id);
	struct dipb_ckpt_record cr;

	if (rs == NULL) {
		rs = xcalloc(1, sizeof(*rs));
		rs->id = xstrdup(id);
		dipb_hashmap_put(&v->records, id, rs);
		/* As the checkpoint left it, read the first time it is met. */
		if (v->ck != NULL && !v->ck_all &&
		    dipb_checkpoint_find(&cr, v->ck, id)) {
			rs_take(rs, &cr);
			free(cr.id);
		}
	}
	return rs;
}

/* Every record of the checkpoint, for a rule that asks them all. */
void
dipb_vfy_ckpt_all(struct verify *v)
{
	struct dipb_ckpt_record cr;
	size_t at = 0;

	if (v->ck == NULL || v->ck_all)
		return;
	v->ck_all = 1;
	while (dipb_checkpoint_next(&cr, v->ck, &at)) {
		if (dipb_hashmap_get(&v->records, cr.id) == NULL)
			rs_take(dipb_vfy_recstate(v, cr.id), &cr);
		free(cr.id);
	}
}


/* Where the board as replayed so far keeps record id (record.h). */
char *
dipb_vfy_record_path(const struct verify *v, const char *id)
{
	return dipb_record_path_in(v->have_board ? v->board.layout :
	    DIPB_LAYOUT_FLAT, id);
}

/*
 * The record as rs's last change left it: from a checkpoint, it is loaded
 * from its blob the first time it is needed (ckpt_apply).
 */
struct dipb_record *
dipb_vfy_rs_rec(struct verify *v, struct recstate *rs)
{
	struct change ch;

	if (!rs->lazy)
		return rs->rec;
	rs->lazy = 0;
	memset(&ch, 0, sizeof(ch));
	ch.path = dipb_vfy_record_path(v, rs->id);
	ch.new_mode = DIPB_MODE_BLOB;
	if ((ch.why = dipb_vfy_blob_read(&ch.blob, v, &ch, rs->blob)) ==
	    NULL)
		dipb_vfy_parse_change(&ch);
	rs->rec = ch.rec;
	if (rs->rec == NULL)
		rs->blob[0] = '\0';
	dipb_object_free(ch.blob);
	free(ch.why);
	free(ch.path);
	return rs->rec;
}

void
dipb_vfy_changes_release(struct changes *c)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		free(c->v[i].path);
		free(c->v[i].id);
		dipb_object_free(c->v[i].blob);
		dipb_record_free(c->v[i].rec);
		free(c->v[i].why);
	}
	free(c->v);
	memset(c, 0, sizeof(*c));
}

/* ---- the whole --------------------------------------------------------- */

static int
all_zero(const char *s)
{
	size_t n = strlen(s);

	return n == DIPB_OID_HEX && strspn(s, "0") == n;
}

/*
 * Commit id, merged in from another branch: v->since after the newest
 * commit of the branch it contains, 0 when it is not in the branch's
 * history or contains none of its commits.  Read as git log reads the
 * history, whichever libgit2: where a shallow clone's is cut before the
 * answer is known, the cut (exit 5), with no finding (dipb-git(7),
 * "Shallow and partial clones").
 */
static const struct dipb_error *
merged_since(struct verify *v, const char *id)
{
	const struct dipb_error *err;
	struct dipb_hashmap hist = DIPB_HASHMAP_INIT;
	char hex[DIPB_OID_HEX + 1], cut[DIPB_OID_HEX + 1];
	size_t i;
	int in;

	if ((err = dipb_git_contains(&in, cut, v->repo,
	    dipb_vfy_hist_hex(hex, v, v->ncommits - 1), id)) != NULL)
		return err;
	if (!in)
		return cut[0] != '\0' ? dipb_vfy_cut_error(cut) : NULL;
	if ((err = dipb_git_history_of(&hist, cut, v->repo, id)) == NULL)
		for (i = v->ncommits; i > 0 && v->since == 0; i--)
			if (dipb_hashmap_get(&hist,
			    dipb_vfy_hist_hex(hex, v, i - 1)) != NULL)
				v->since = i;
	dipb_hashmap_release(&hist, NULL);
	if (err == NULL && v->since == 0 && cut[0] != '\0')
		err = dipb_vfy_cut_error(cut);
	return err;
}

/* Where the commits to report start: after since. */
static const struct dipb_error *
find_since(struct verify *v, const char *since)
{
	const struct dipb_error *err;
	char id[DIPB_OID_HEX + 1];
	uintptr_t at;

	v->since = 0;
	if (since == NULL || all_zero(since))
		return NULL;
	if ((err = dipb_git_resolve(id, v->repo, since)) != NULL) {
		if (err->code != DIPB_ERR_NOT_FOUND)
			return err;
		dipb_error_free(err);
		/* A commit id pushed away by a force-push is gone, too. */
		if (strlen(since) != DIPB_OID_HEX ||
		    strspn(since, "0123456789abcdef") != DIPB_OID_HEX)
			return dipb_error_fmt(DIPB_ERR_USAGE,
			    "unknown revision: '%s'", since);
		dipb_vfy_finding(v, NULL, NULL, NULL, "history-rewritten",
		    "%s is not in the repository: its history was rewritten "
		    "(force-pushed?)", since);
		return NULL;
	}
	/* The checkpoint's commit: every commit walked is after it. */
	if (v->ckpt[0] != '\0' && strcmp(id, v->ckpt) == 0)
		return NULL;
	if ((at = dipb_vfy_on_branch(v, id)) != 0) {
		v->since = (size_t)at;
		return NULL;
	}
	if (v->ncommits > 0 && (err = merged_since(v, id)) != NULL)
		return err;
	if (v->since > 0)
		return NULL;
	v->cur = 0;
	dipb_vfy_finding(v, id, NULL, NULL, "history-rewritten",
	    "%s is not on branch %s: its history was rewritten (force-pushed?)",
	    since, v->branch);
	return NULL;
}

/*
 * The branch tip and the tags, read under the repository lock so that a
 * change in flight is either whole or not seen; a change a killed dipb
 * left is completed or discarded first, its refs at least, or nothing is
 * read (dipb_repo_begin_read).  Without write access to the git dir (a
 * read-only checkout) they are read without the lock.
 */
static const struct dipb_error *
read_refs(struct verify *v, struct dipb_repo *repo,
    char tip[DIPB_OID_HEX + 1], int *unborn)
{
	const struct dipb_error *err;
	char *ref;
	int found, locked = 0;

	/* A caller that holds the lock (dipb sync) keeps it. */
	if (!dipb_repo_locked(repo)) {
		if ((err = dipb_repo_begin_read(repo)) != NULL)
			return err;
		locked = dipb_repo_locked(repo);
	}
	v->branch = dipb_repo_branch(repo);
	/* A detached HEAD is judged as a branch (dipb_repo_branch). */
	ref = dipb_repo_is_detached(repo) ? xstrdup("HEAD") :
	    xasprintf("refs/heads/%s", v->branch);
	err = dipb_git_ref(tip, &found, repo, ref);
	*unborn = err == NULL && !found;
	free(ref);
	if (err == NULL)
		err = dipb_vfy_read_tags(v);
	if (locked)
		dipb_repo_end(repo);
	return err;
}

/* Forgets the walk and what a checkpoint gave, to walk again. */
static void
unwalk(struct verify *v)
{
	dipb_vfy_window_drop(v, SIZE_MAX);
	v->win_from = 0;
	dipb_vfy_hist_release(v);
	dipb_vfy_hist_init(v);
	dipb_board_release(&v->board);
	dipb_board_init(&v->board);
	v->have_board = 0;
	v->board_blob[0] = '\0';
	v->ckpt[0] = '\0';
	dipb_vfy_tags_forget(v);
	dipb_treediff_free(v->td);
	v->td = dipb_treediff_new(v->repo);
}

/*
 * The history from tip, into v: with since, from the newest checkpoint
 * at or before it when there is one that fits (into cp), else whole.
 */
static const struct dipb_error *
walk_from(struct verify *v, struct dipb_checkpoint *cp, const char *tip,
    const char *since)
{
	const struct dipb_error *err;
	struct dipb_strlist names = DIPB_STRLIST_INIT;
	struct dipb_hashmap stops = DIPB_HASHMAP_INIT;
	char id[DIPB_OID_HEX + 1] = "";
	size_t i;

	dipb_checkpoint_init(cp);
	if (since != NULL && !all_zero(since)) {
		if ((err = dipb_git_resolve(id, v->repo, since)) == NULL)
			dipb_repo_derived_list(&names, v->repo, CKPT_DIR);
		dipb_error_free(err);
	}
	for (i = 0; i < names.n; i++)
		if (strlen(names.v[i]) == DIPB_OID_HEX)
			dipb_hashmap_put(&stops, names.v[i], (void *)1);
	err = dipb_vfy_walk(v, tip, stops.n > 0 ? &stops : NULL, id);
	dipb_hashmap_release(&stops, NULL);
	dipb_strlist_release(&names);
	if (err != NULL || v->ckpt[0] == '\0')
		return err;
	if ((err = dipb_vfy_ckpt_load(cp, v)) == NULL)
		return NULL;
	/* Not one to trust: the whole history, and a new checkpoint. */
	dipb_error_free(err);
	v->ck = NULL;
	dipb_checkpoint_release(cp);
	unwalk(v);
	return dipb_vfy_walk(v, tip, NULL, NULL);
}

const struct dipb_error *
dipb_verify(struct dipb_findings *out, struct dipb_repo *repo,
    const char *since)
{
	const struct dipb_error *err = NULL;
	struct dipb_checkpoint cp;
	struct verify v;
	char tip[DIPB_OID_HEX + 1];
	size_t i;
	int unborn = 0, cached;

	memset(&v, 0, sizeof(v));
	dipb_vfy_hist_init(&v);
	dipb_checkpoint_init(&cp);
	v.out = out;
	v.repo = repo;
	v.td = dipb_treediff_new(repo);
	dipb_board_init(&v.board);
	v.sigs_early = since == NULL || all_zero(since);
	/* Each object of the history is read once (repo.h). */
	cached = dipb_repo_cache_objects(0);
	if ((err = read_refs(&v, repo, tip, &unborn)) != NULL)
		goto done;
	/* A partial clone's missing blobs, fetched: never a finding. */
	if ((err = dipb_repo_prefetch(repo)) != NULL)
		goto done;
	memcpy(v.tip, tip, sizeof(v.tip));
	if (!unborn && (err = walk_from(&v, &cp, tip, since)) != NULL)
		goto done;
	if ((err = find_since(&v, since)) != NULL)
		goto done;
	v.hist_from = out->n;
	dipb_vfy_ckpt_findings(&v, &cp);
	if ((err = dipb_vfy_replay(&v)) == NULL) {
		dipb_vfy_ckpt_write(&v);
		err = dipb_vfy_check_other_tags(&v);
	}
	dipb_vfy_signing_note(&v);
	/*
	 * Findings or a note of a history read back wrong are no verdict:
	 * the last read of it is the note's.
	 */
	if (err == NULL && dipb_vfy_hist_failed(&v))
		err = dipb_vfy_hist_error(&v);
	out->ncommits = v.ncommits > v.since ? v.ncommits - v.since : 0;
done:
	/* A corrupt object met after the replay (the tags' records). */
	if (err == NULL && v.broken != NULL) {
		err = v.broken;
		v.broken = NULL;
	}
	dipb_error_free(v.broken);
	dipb_vfy_checkers_stop(&v);
	for (i = 0; i < v.nearly; i++)
		dipb_vfy_sigcheck_free(v.early[i]);
	free(v.early);
	dipb_treediff_free(v.td);
	dipb_hashmap_release(&v.records, recstate_free);
	dipb_idtab_release(&v.tag_targets);
	dipb_hashmap_release(&v.tag_numbers, NULL);
	dipb_hashmap_release(&v.keys_seen, NULL);
	free(v.lnow);
	for (i = 0; i < v.ntags; i++)
		dipb_vfy_tag_release(&v.tags[i]);
	free(v.tags);
	dipb_tagsnap_free(v.snap);
	dipb_vfy_window_drop(&v, SIZE_MAX);
	free(v.win);
	dipb_vfy_hist_release(&v);
	dipb_hashmap_release(&v.names, NULL);
	for (i = 0; i < v.nnames; i++)
		free(v.namev[i]);
	free(v.namev);
	dipb_board_release(&v.board);
	dipb_checkpoint_release(&cp);
	dipb_repo_derived_unmap(v.ckmap, v.cklen);
	dipb_repo_cache_objects(cached);
	return err;
}


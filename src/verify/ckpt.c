/*
 * ckpt.c - checkpoints of the replay's state, so that verify --since
 * replays only the commits after one.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/*
 * The version of the rules (rules.c), for the checkpoints (dipb-verify(1),
 * "CHECKPOINTS"): raise it with any change of what a rule finds or of
 * the state the replay keeps, so that no checkpoint made by other rules
 * is trusted.  The rules' names are bound to it too (rules_id).
 */
#define RULES_VERSION	25
/* The checkpoints kept, the newest few, and the largest read. */
#define CKPT_KEEP	8
#define CKPT_MAX	(256u << 20)

/*
 * The replay's state at a commit, kept as derived data beside the
 * repository (checkpoint.h; dipb-verify(1), "CHECKPOINTS"), so that
 * verify --since replays only the commits after it: every record's
 * status, tag count and file (its blob, loaded when needed), the board
 * and every key it ever listed, the tags that no change up to it claimed,
 * and the findings of tag rules, which --since reports for the whole
 * history.  The findings of a replay from a checkpoint are those of the
 * whole replay: whatever could change what the commits up to it make of
 * the tags (a tag made, moved or deleted there since, or one of its
 * commits now on the branch) makes the tags' digest differ, and the whole
 * history is replayed.
 */

/* The rules' version and names, which a checkpoint is bound to. */
static char *
rules_id(void)
{
	struct dipb_buf b;
	char hex[DIPB_OID_HEX + 1];
	size_t i;

	dipb_buf_init(&b);
	dipb_buf_puts(&b, "");
	for (i = 0; dipb_verify_rules[i].name != NULL; i++)
		dipb_buf_printf(&b, "%s\n", dipb_verify_rules[i].name);
	dipb_git_hash_blob(hex, b.ptr, b.len);
	dipb_buf_release(&b);
	return xasprintf("%d-%s", RULES_VERSION, hex);
}

static const char *
rule_named(const char *name)
{
	size_t i;

	for (i = 0; dipb_verify_rules[i].name != NULL; i++)
		if (strcmp(dipb_verify_rules[i].name, name) == 0)
			return dipb_verify_rules[i].name;
	return NULL;
}

/*
 * The tags up to the checkpoint are those it was made with, keeping only
 * those the replay judges (on the commits after it, and those no change
 * up to it claimed), so that the cost follows the commits replayed: when
 * packed-refs is the file it was made with, from the loose tags and a
 * search of the file for each of those (no pass over its 318,000 lines
 * at 30,000 records), else
 * in one pass over them all.
 */
static const struct dipb_error *
ckpt_tags_same(struct verify *v, const struct dipb_checkpoint *cp)
{
	const struct dipb_error *err;
	struct dipb_hashmap want = DIPB_HASHMAP_INIT;
	struct dipb_fileid id;
	size_t i;
	int same = 0;

	for (i = 0; i < cp->ntagsu; i++)
		dipb_hashmap_put(&want, cp->tags[i].name, (void *)1);
	dipb_tagsnap_fileid(&id, v->snap);
	if (cp->packed.have && dipb_fileid_eq(&id, &cp->packed.id))
		err = dipb_vfy_tags_known(v, cp, &want, &same);
	else
		err = dipb_vfy_tags_scan(v, 0, &want, cp, &same);
	dipb_hashmap_release(&want, NULL);
	if (err != NULL)
		return err;
	dipb_vfy_tags_index(v);
	if (!same)
		return dipb_error_fmt(DIPB_ERR_CORRUPT, "tags changed");
	return NULL;
}

/*
 * Its findings' rules, each one of these rules; no tag on the branch
 * made since with the name of one a change up to it missed; and each of
 * its tags still there, off the branch.
 */
static const struct dipb_error *
ckpt_tags_kept(struct verify *v, const struct dipb_checkpoint *cp)
{
	const struct dipb_error *err = NULL;
	struct dipb_hashmap missing = DIPB_HASHMAP_INIT;
	struct tag *t;
	size_t i;

	for (i = 0; i < cp->nfindings && err == NULL; i++) {
		if (rule_named(cp->findings[i].rule) == NULL)
			err = dipb_error_fmt(DIPB_ERR_CORRUPT, "a rule");
		else if (strcmp(cp->findings[i].rule, "tag-missing") == 0 &&
		    cp->findings[i].tag != NULL)
			dipb_hashmap_put(&missing, cp->findings[i].tag,
			    (void *)1);
	}
	/* A new tag named as one that a change up to it missed. */
	for (i = 0; i < v->ntags && err == NULL; i++) {
		t = &v->tags[i];
		if (t->type != DIPB_OBJECT_NONE &&
		    dipb_vfy_on_branch(v, t->target) != 0 &&
		    dipb_hashmap_get(&missing, t->name) != NULL)
			err = dipb_error_fmt(DIPB_ERR_CORRUPT, "a tag made");
	}
	dipb_hashmap_release(&missing, NULL);
	for (i = 0; i < cp->ntagsu && err == NULL; i++) {
		t = dipb_vfy_tag_named(v, cp->tags[i].name);
		if (t == NULL || (t->type != DIPB_OBJECT_NONE &&
		    dipb_vfy_on_branch(v, t->target) != 0))
			err = dipb_error_fmt(DIPB_ERR_CORRUPT, "a tag");
	}
	return err;
}

/*
 * The board as of the checkpoint, if it had one; then the trees the
 * first commit after it is compared with.
 */
static const struct dipb_error *
ckpt_board_trees(struct verify *v, const struct dipb_checkpoint *cp)
{
	const struct dipb_error *err;
	struct dipb_commit d;
	struct change ch;
	char *why = NULL;

	if (cp->have_board) {
		memset(&ch, 0, sizeof(ch));
		ch.path = (char *)DIPB_BOARD_FILE;
		ch.new_mode = DIPB_MODE_BLOB;
		memcpy(ch.new_id, cp->board_blob, sizeof(ch.new_id));
		if (dipb_vfy_load_board(&v->board, v, &ch, &why) < 0) {
			free(why);
			return dipb_error_fmt(DIPB_ERR_CORRUPT, "the board");
		}
		v->have_board = 1;
		memcpy(v->board_blob, cp->board_blob, sizeof(v->board_blob));
	}
	/* The trees the first commit after it is compared with. */
	if ((err = dipb_git_commit_read(&d, v->repo, v->ckpt)) != NULL)
		return err;
	err = dipb_treediff_seed(v->td, d.tree);
	dipb_commit_release(&d);
	return err;
}

/*
 * The tags as the checkpoint leaves them: those off the branch claimed
 * and before it, its own as it says; then its records and keys.
 */
static void
ckpt_take(struct verify *v, const struct dipb_checkpoint *cp)
{
	struct tag *t;
	size_t i;

	for (i = 0; i < v->ntags; i++) {
		t = &v->tags[i];
		if (t->type != DIPB_OBJECT_NONE &&
		    dipb_vfy_on_branch(v, t->target) != 0)
			continue;
		t->claimed = t->before = 1;
	}
	for (i = 0; i < cp->ntagsu; i++) {
		t = dipb_vfy_tag_named(v, cp->tags[i].name);
		t->claimed = 0;
		t->reported = cp->tags[i].reported;
		t->before = cp->tags[i].extra != NULL;
		free(t->extra);
		t->extra = cp->tags[i].extra != NULL ?
		    xstrdup(cp->tags[i].extra) : NULL;
	}
	/* The records: each read from it when the replay meets it. */
	v->ck = cp;
	v->ck_all = 0;
	for (i = 0; i < cp->keys.n; i++)
		dipb_hashmap_put(&v->keys_seen, cp->keys.v[i], (void *)1);
}

/*
 * Takes checkpoint cp, at v->ckpt, as the state of the replay before
 * the commits walked into v->hist (the walk stopped there); an error
 * when it does not fit the repository as it is, with its board, the tags
 * and the tree differ's start read into v all the same (the caller's
 * unwalk() drops them; the board's keys stay remembered, as the whole
 * walk meets them again).
 */
static const struct dipb_error *
ckpt_apply(struct verify *v, const struct dipb_checkpoint *cp)
{
	const struct dipb_error *err;

	if ((err = ckpt_tags_same(v, cp)) != NULL ||
	    (err = ckpt_tags_kept(v, cp)) != NULL ||
	    (err = ckpt_board_trees(v, cp)) != NULL)
		return err;
	ckpt_take(v, cp);
	return NULL;
}

/*
 * The findings of tag rules up to the checkpoint, reported again.  They
 * name no file, so the path kept, shown as it is, serves as its bytes.
 */
void
dipb_vfy_ckpt_findings(struct verify *v, const struct dipb_checkpoint *cp)
{
	struct dipb_findings *o = v->out;
	const struct dipb_ckpt_finding *cf;
	struct dipb_finding *f;
	size_t i;

	for (i = 0; i < cp->nfindings; i++) {
		cf = &cp->findings[i];
		xgrow((void **)&o->v, &o->cap, o->n + 1, sizeof(*o->v));
		f = &o->v[o->n++];
		memset(f, 0, sizeof(*f));
		snprintf(f->commit, sizeof(f->commit), "%s", cf->commit);
		f->tag = cf->tag != NULL ? xstrdup(cf->tag) : NULL;
		f->path = cf->path != NULL ? xstrdup(cf->path) : NULL;
		f->rawpath = cf->path != NULL ? xstrdup(cf->path) : NULL;
		f->rule = rule_named(cf->rule);
		f->msg = xstrdup(cf->msg);
	}
}

/*
 * The checkpoint at v->ckpt into cp, if there is one made by these rules
 * that fits the repository as it is, applied to v; else an error.
 */
const struct dipb_error *
dipb_vfy_ckpt_load(struct dipb_checkpoint *cp, struct verify *v)
{
	const struct dipb_error *err;
	char *name = xasprintf(CKPT_DIR "/%s", v->ckpt), *rules = rules_id();
	const char *data;
	size_t len;

	/* Mapped: its records are read from it while the replay lasts. */
	dipb_repo_derived_map(&data, &len, v->repo, name, CKPT_MAX);
	if (data == NULL) {
		dipb_checkpoint_init(cp);
		err = dipb_error_fmt(DIPB_ERR_NOT_FOUND, "no checkpoint");
	} else if ((err = dipb_checkpoint_parse(cp, data, len, rules,
	    v->ckpt)) == NULL)
		/*
		 * Walked with another shallow file (or none): where the
		 * history up to it is cut is known from a replay only
		 * (dipb-verify(1), "Checkpoints").
		 */
		err = strcmp(cp->shallow, v->shallow) != 0 ?
		    dipb_error_fmt(DIPB_ERR_CORRUPT, "another shallow file") :
		    ckpt_apply(v, cp);
	if (err == NULL) {
		v->ckmap = data;
		v->cklen = len;
	} else
		dipb_repo_derived_unmap(data, len);
	free(rules);
	free(name);
	return err;
}

/*
 * A checkpoint's text on its way to its file: small pieces gathered, the
 * old checkpoint's runs of lines written as they are, without a copy.
 */
struct ckpt_out {
	struct dipb_derived	*d;
	struct dipb_buf		 b;
};

static void
ckpt_put(void *arg, const char *data, size_t len)
{
	struct ckpt_out *w = arg;

	if (w->b.len + len > 65536) {
		dipb_derived_put(w->d, w->b.ptr, w->b.len);
		dipb_buf_clear(&w->b);
	}
	if (len > 16384)
		dipb_derived_put(w->d, data, len);
	else
		dipb_buf_put(&w->b, data, len);
}

/* What the replay knows of each record it met, into cp. */
static void
ckpt_records(struct dipb_checkpoint *cp, const struct verify *v)
{
	struct dipb_ckpt_record *cr;
	const struct recstate *rs;
	size_t i;

	for (i = 0; i < v->records.cap; i++) {
		if (v->records.v[i].key == NULL ||
		    (rs = v->records.v[i].val) == NULL)
			continue;
		xgrow((void **)&cp->records, &cp->caprecords, cp->nrecords + 1,
		    sizeof(*cp->records));
		cr = &cp->records[cp->nrecords++];
		cr->id = xstrdup(rs->id);
		memcpy(cr->blob, rs->lazy || rs->rec != NULL ? rs->blob : "",
		    rs->lazy || rs->rec != NULL ? sizeof(cr->blob) : 1);
		cr->exists = rs->exists;
		cr->status = (int)rs->status;
		cr->unknown = rs->unknown;
		cr->ntags = rs->ntags;
		cr->missing = rs->missing;
	}
}

/*
 * The tags no change claimed, into cp: the entries of v->tags, then the
 * changes' own (tags.c), which are claimed as they are judged.
 */
static void
ckpt_tags(struct dipb_checkpoint *cp, struct verify *v)
{
	struct dipb_ckpt_tag *ct;
	const struct tag *t;
	struct tag own;
	struct walked wk;
	uintptr_t at;
	size_t i;

	for (i = 0; i < v->ntags; i++) {
		t = &v->tags[i];
		if (t->claimed)
			continue;
		xgrow((void **)&cp->tags, &cp->captags, cp->ntagsu + 1,
		    sizeof(*cp->tags));
		ct = &cp->tags[cp->ntagsu++];
		ct->name = xstrdup(t->name);
		ct->reported = t->reported;
		ct->extra = NULL;
		if (t->before)
			ct->extra = xstrdup(t->extra != NULL ? t->extra : "");
		else if (t->type != DIPB_OBJECT_NONE &&
		    (at = dipb_vfy_on_branch(v, t->target)) != 0)
			ct->extra = dipb_vfy_extra_msg(v, t, at - 1);
	}
	for (i = 0; i < v->ncommits; i++) {
		dipb_vfy_hist_get(&wk, v, i);
		if ((wk.tagged & WT_CLAIMED) || !dipb_vfy_own_tag(&own, v, i))
			continue;
		xgrow((void **)&cp->tags, &cp->captags, cp->ntagsu + 1,
		    sizeof(*cp->tags));
		ct = &cp->tags[cp->ntagsu++];
		ct->name = own.name;
		ct->reported = 0;
		ct->extra = dipb_vfy_extra_msg(v, &own, i);
	}
}

/*
 * Writes the checkpoint of the replay at its last commit (derived data:
 * a checkpoint that cannot be written is none), and keeps the newest
 * CKPT_KEEP.
 */
void
dipb_vfy_ckpt_write(struct verify *v)
{
	struct dipb_checkpoint cp;
	struct dipb_findings *o = v->out;
	const struct dipb_finding *f;
	struct dipb_ckpt_finding *cf;
	struct dipb_ckpt_loose *cl;
	struct ckpt_out w;
	char *rules, *name;
	size_t i;

	if (v->ncommits == 0 || dipb_vfy_loose_now(v) != NULL)
		return;
	dipb_checkpoint_init(&cp);
	dipb_vfy_hist_hex(cp.commit, v, v->ncommits - 1);
	/*
	 * None at a commit whose tree is out of git's order (tree-order):
	 * the next commit is compared with the tree before it, and not
	 * with this one, which is all a checkpoint could start from, and
	 * what a commit changes is checked against a tree in order only
	 * (dipb-verify(1), tree-order and "Checkpoints").
	 */
	for (i = v->hist_from; i < o->n; i++)
		if (strcmp(o->v[i].rule, "tree-order") == 0 &&
		    strcmp(o->v[i].commit, cp.commit) == 0) {
			dipb_checkpoint_release(&cp);
			return;
		}
	/* From the pass that read the tags (dipb_vfy_tags_ready, ckpt_apply). */
	memcpy(cp.tags_digest, v->tags_digest, sizeof(cp.tags_digest));
	cp.ntags = v->ntags_digest;
	memcpy(cp.shallow, v->shallow, sizeof(cp.shallow));
	cp.packed.have = dipb_tagsnap_settled(v->snap);
	dipb_tagsnap_fileid(&cp.packed.id, v->snap);
	cp.loose = xcalloc(v->nlnow + 1, sizeof(*cp.loose));
	cp.nloose = cp.caploose = v->nlnow;
	for (i = 0; i < v->nlnow; i++) {
		cl = &cp.loose[i];
		cl->name = xstrndup(v->lnow[i].name, v->lnow[i].len);
		if (v->lnow[i].hex != NULL)
			memcpy(cl->hex, v->lnow[i].hex, DIPB_OID_HEX);
		if (v->lnow[i].shadowed != NULL)
			memcpy(cl->shadowed, v->lnow[i].shadowed,
			    DIPB_OID_HEX);
	}
	/* The records the replay did not meet: the old lines, unread. */
	if (v->ck != NULL && !v->ck_all) {
		cp.base = v->ck->base;
		cp.baselen = v->ck->baselen;
	}
	cp.have_board = v->have_board;
	memcpy(cp.board_blob, v->have_board ? v->board_blob : "",
	    v->have_board ? sizeof(cp.board_blob) : 1);
	for (i = 0; i < v->keys_seen.cap; i++)
		if (v->keys_seen.v[i].key != NULL)
			dipb_strlist_push(&cp.keys, v->keys_seen.v[i].key);
	ckpt_records(&cp, v);
	ckpt_tags(&cp, v);
	for (i = v->hist_from; i < o->n; i++) {
		f = &o->v[i];
		if (!dipb_vfy_is_tag_rule(f->rule))
			continue;
		xgrow((void **)&cp.findings, &cp.capfindings,
		    cp.nfindings + 1, sizeof(*cp.findings));
		cf = &cp.findings[cp.nfindings++];
		memcpy(cf->commit, f->commit, sizeof(cf->commit));
		cf->tag = f->tag != NULL ? xstrdup(f->tag) : NULL;
		cf->path = f->path != NULL ? xstrdup(f->path) : NULL;
		cf->rule = xstrdup(f->rule);
		cf->msg = xstrdup(f->msg);
	}
	rules = rules_id();
	name = xasprintf(CKPT_DIR "/%s", cp.commit);
	/* Not of a history read back wrong (spill.h). */
	if (!dipb_vfy_hist_failed(v) &&
	    (w.d = dipb_repo_derived_begin(v->repo, name)) != NULL) {
		dipb_buf_init(&w.b);
		dipb_checkpoint_write(&cp, rules, ckpt_put, &w);
		dipb_derived_put(w.d, w.b.ptr, w.b.len);
		dipb_buf_release(&w.b);
		/* Derived data: a file not written is made again next time. */
		dipb_error_free(dipb_derived_end(w.d, 1));
	}
	dipb_repo_derived_prune(v->repo, CKPT_DIR, CKPT_KEEP, cp.commit);
	free(name);
	free(rules);
	dipb_checkpoint_release(&cp);
}


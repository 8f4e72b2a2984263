/*
 * replay/run.c - the planned changes made again, in order, on the new
 * parent (dipb_replay_run): the board as of that parent, the key tried
 * for each member before the first object, each change sent to the
 * judgement of its kind (a record's, dipb.yaml's, a meeting's) and made
 * there, signed if it must be (dipb_rpl_make), or dropped with a reason
 * (dipb_rpl_drop).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"
#include "../meeting.h"
#include "../session.h"
#include "../text.h"

/* The board at commit into r->board. */
const struct dipb_error *
dipb_rpl_load_board(struct run *r, const char *commit)
{
	const struct dipb_error *err;
	struct dipb_buf buf = DIPB_BUF_INIT;
	struct dipb_diags diags = DIPB_DIAGS_INIT;
	const struct dipb_diag *d = NULL;
	char *why = NULL;
	size_t i;
	int found;

	dipb_board_release(&r->board);
	dipb_board_init(&r->board);
	if ((err = dipb_rpl_read_at(&buf, &found, r->repo, commit,
	    DIPB_BOARD_FILE)) == NULL && (!found ||
	    dipb_board_load(&r->board, DIPB_BOARD_FILE, buf.ptr, buf.len,
	    &diags) != 0)) {
		/* Where, as dipb validate would say it; the text is the
		 * remote's, shown, never obeyed. */
		for (i = 0; i < diags.n && d == NULL; i++)
			if (diags.v[i].sev == DIPB_SEV_ERROR)
				d = &diags.v[i];
		if (d != NULL)
			why = dipb_text_clean_line(d->msg);
		if (!found)
			err = dipb_error_fmt(DIPB_ERR_INVALID, "%s at %.7s is "
			    "missing: fix it upstream, then sync again",
			    DIPB_BOARD_FILE, commit);
		else if (d != NULL)
			err = dipb_error_fmt(DIPB_ERR_INVALID, "%s at %.7s "
			    "does not load: %s:%u:%u: %s: fix it upstream, "
			    "then sync again", DIPB_BOARD_FILE, commit,
			    DIPB_BOARD_FILE, d->line, d->col, why);
		else
			err = dipb_error_fmt(DIPB_ERR_INVALID, "%s at %.7s "
			    "does not load: fix it upstream, then sync again",
			    DIPB_BOARD_FILE, commit);
		free(why);
	}
	dipb_diags_release(&diags);
	dipb_buf_release(&buf);
	return err;
}

/* One change dropped, with reason (formatted). */
void
dipb_rpl_drop(struct dipb_replay_change *ch, const char *fmt, ...)
{
	va_list ap;

	free(ch->reason);
	va_start(ap, fmt);
	ch->reason = xvasprintf(fmt, ap);
	va_end(ap);
	ch->outcome = DIPB_REPLAY_DROPPED;
}

/* The id record has now: renamed_to of its renaming, else itself. */
const char *
dipb_rpl_current_id(const struct dipb_replay *p, const char *record)
{
	size_t i;

	for (i = 0; i < p->renamed_from.n; i++)
		if (strcmp(p->renamed_from.v[i], record) == 0)
			return p->renamed_to.v[i];
	return record;
}

void
dipb_rpl_made_init(struct made_change *mc, const char *record,
    const char *path, const struct dipb_buf *data,
    enum dipb_event_kind event, const char *subject)
{
	memset(mc, 0, sizeof(*mc));
	mc->record = record;
	mc->path = path;
	mc->data = data->ptr;
	mc->len = data->len;
	mc->event = event;
	mc->subject = subject;
}

/* Makes mc on r->parent for ch (its local commit oc), and moves on. */
const struct dipb_error *
dipb_rpl_make(struct run *r, struct dipb_replay_change *ch,
    const struct dipb_commit *oc, const struct made_change *mc)
{
	const struct dipb_error *err;
	const struct dipb_member *m;
	struct dipb_identity author, who;
	struct dipb_file file;
	struct dipb_change c;
	struct dipb_made made;
	unsigned long n;
	char *tag = NULL;
	size_t i = (size_t)(ch - r->p->changes);
	int sign = 0;

	m = dipb_board_member(&r->board, oc->author_email);
	if ((err = dipb_session_signing(&sign, &r->board, m)) != NULL) {
		dipb_rpl_drop(ch, "%s", err->msg);
		dipb_error_free(err);
		return NULL;
	}
	if (oc->signature != NULL)
		sign = 1;
	/* Made again, so signed again: with a key of its member's
	 * (check_signing), else the sync is refused. */
	if (sign && r->unsignable != NULL && r->unsignable[i] != NULL) {
		err = r->unsignable[i];
		r->unsignable[i] = NULL;
		return err;
	}
	if ((err = dipb_rpl_next_number(&n, r, mc->record)) != NULL)
		return err;
	tag = xasprintf("%s/%lu-%s", mc->record, n, dipb_event_name(mc->event));
	memset(&author, 0, sizeof(author));
	author.name = oc->author_name;
	author.email = oc->author_email;
	author.time = oc->author_time;
	author.offset = oc->author_offset;
	author.zone = oc->author_zone;
	/*
	 * The committer and tagger are the identity that syncs, at its
	 * time; a change of another member is committed in that member's
	 * name, at the sync's time, since one member makes a change (dipb
	 * verify's identity rule).
	 */
	who = *r->committer;
	if (who.email == NULL || oc->author_email == NULL ||
	    strcasecmp(who.email, oc->author_email) != 0 || who.name == NULL) {
		who.name = oc->author_name;
		who.email = oc->author_email;
	}
	file.path = mc->path;
	file.data = mc->data;
	file.len = mc->len;
	memset(&c, 0, sizeof(c));
	c.files = &file;
	c.nfiles = 1;
	c.record = mc->record;
	c.event = dipb_event_name(mc->event);
	if (mc->to != DIPB_STATUS_NONE) {
		c.status_from = dipb_status_name(mc->from);
		c.status_to = dipb_status_name(mc->to);
	}
	c.subject = mc->subject;
	c.body = mc->body;
	c.who = &who;
	c.author = &author;
	c.sign = sign;
	c.keys = m != NULL ? &m->keys : NULL;
	c.renumbered_from = mc->renumbered_from;
	c.renames = mc->renames;
	c.nrenames = mc->nrenames;
	if ((err = dipb_repo_make(&made, r->repo, r->parent, tag,
	    &c)) != NULL) {
		free(tag);
		return err;
	}
	ch->outcome = DIPB_REPLAY_LANDED;
	memcpy(ch->new_commit, made.commit, sizeof(ch->new_commit));
	memcpy(ch->new_tag_object, made.tag, sizeof(ch->new_tag_object));
	free(ch->new_record);
	ch->new_record = xstrdup(mc->record);
	free(ch->new_event);
	ch->new_event = xstrdup(dipb_event_name(mc->event));
	free(ch->new_tag);
	ch->new_tag = tag;
	dipb_strlist_push(&r->made, tag);
	memcpy(r->parent, made.commit, sizeof(r->parent));
	return NULL;
}

/*
 * 1 when the author of oc is a member whose name has a fault
 * (dipb_name_fault: a '<', a '>' or a control character) on the board as
 * of the new parent: their change is refused there as their
 * command refuses it (dipb-board(5), name; dipb_member_check_name), ch
 * dropped with the reason, as a move their role no longer allows is.  A
 * change of dipb.yaml, the chair's way to mend the name, is judged as
 * dipb edit --board judges it (dipb_rpl_board).
 */
static int
name_refused(struct run *r, struct dipb_replay_change *ch,
    const struct dipb_commit *oc)
{
	const struct dipb_member *m = oc->author_email != NULL ?
	    dipb_board_member(&r->board, oc->author_email) : NULL;
	char *fault;

	if (m == NULL || (fault = dipb_name_fault(m->name)) == NULL)
		return 0;
	/* Its control characters shown as '?' where the reason is: on the
	 * terminal and in the message of the tag that keeps ch. */
	dipb_rpl_drop(ch, "%s:%u:%u, as of the remote: the name of %s, '%s', "
	    "%s: their changes are refused until a chair mends it with "
	    "'dipb edit --board' (dipb-board(5), name); then make this "
	    "change again", DIPB_BOARD_FILE, m->name_pos.line,
	    m->name_pos.col, m->email, m->name, fault);
	free(fault);
	return 1;
}

/*
 * A change that rewrites one the remote has published (git commit
 * --amend, git rebase, git filter-branch; ch->published): not made
 * again, which would publish that change a second time (a draft under
 * a new id), but dropped: as already done upstream when it changes the
 * files as the published one did (a message reworded), else with the
 * published tag named and what to do (dipb-sync(1), "REPLAY").
 */
static const struct dipb_error *
drop_rewrite(struct run *r, struct dipb_replay_change *ch)
{
	const struct dipb_error *err;
	struct dipb_commit pc;
	char *name;
	int same;

	if ((err = dipb_rpl_same_files(&same, r->repo, ch->old_commit,
	    ch->published_commit)) != NULL)
		return err;
	if (!same) {
		dipb_rpl_drop(ch, "%s is published already, and this commit "
		    "rewrites it (git commit --amend, git rebase): a published "
		    "change is not made again; make what it changes anew with "
		    "dipb", ch->published);
		return NULL;
	}
	/* As a change the remote made already (text_fits). */
	if ((err = dipb_git_commit_read(&pc, r->repo,
	    ch->published_commit)) != NULL)
		return err;
	name = dipb_text_clean_line(pc.author_name != NULL ? pc.author_name :
	    "?");
	dipb_rpl_drop(ch, "already done upstream (%s by %s)", ch->published,
	    name);
	free(name);
	dipb_commit_release(&pc);
	return NULL;
}

/*
 * The first error of diags, the one a drop names (a warning before it, an
 * unknown key, is no reason); NULL when there is none.
 */
const struct dipb_diag *
dipb_rpl_first_error(const struct dipb_diags *diags)
{
	size_t i;

	for (i = 0; i < diags->n; i++)
		if (diags->v[i].sev == DIPB_SEV_ERROR)
			return &diags->v[i];
	return NULL;
}

/*
 * The probe of the configured key for a change of oc's member, sign as
 * the change asks it (dipb_repo_check_signer): one per member and sign,
 * kept in seen and probes (NULL: the key signs for that member).
 */
static const struct dipb_error *
probe_of(struct run *r, struct dipb_strlist *seen,
    const struct dipb_error ***probes, const struct dipb_commit *oc)
{
	const struct dipb_error *e;
	const struct dipb_member *m;
	char *key;
	size_t k;
	int sign = 0, on;

	m = dipb_board_member(&r->board, oc->author_email);
	if ((e = dipb_session_signing(&sign, &r->board, m)) != NULL)
		dipb_error_free(e);	/* dropped at its turn */
	if (oc->signature != NULL)
		sign = 1;
	key = xasprintf("%d %s", sign, oc->author_email != NULL ?
	    oc->author_email : "");
	for (k = 0; k < seen->n && strcmp(seen->v[k], key) != 0; k++)
		;
	if (k == seen->n) {
		dipb_strlist_push_owned(seen, key);
		*probes = xrealloc(*probes, seen->n * sizeof(**probes));
		(*probes)[k] = dipb_repo_check_signer(&on, r->repo, sign,
		    m != NULL ? &m->keys : NULL, oc->author_email);
	} else
		free(key);
	return (*probes)[k];
}

/*
 * Before the first object: the configured key probed for each change to
 * be signed, one probe per member (the board as of base).  A change it
 * cannot sign keeps its refusal in r->unsignable, given when the change
 * is made again (dipb_rpl_make): a change dropped is not signed, and
 * needs no key (dipb-sync(1)).
 */
static const struct dipb_error *
check_signing(struct run *r)
{
	const struct dipb_error *err = NULL, *e, **probes = NULL;
	struct dipb_strlist seen = DIPB_STRLIST_INIT;
	struct dipb_replay_change *ch;
	struct dipb_commit oc;
	size_t i;

	r->unsignable = xcalloc(r->p->nchanges + 1, sizeof(*r->unsignable));
	for (i = 0; i < r->p->nchanges && err == NULL; i++) {
		ch = &r->p->changes[i];
		if (ch->outcome == DIPB_REPLAY_LANDED)
			continue;	/* as it is: plan.c, plan_branch_from */
		if ((err = dipb_git_commit_read(&oc, r->repo,
		    ch->old_commit)) != NULL)
			break;
		if ((e = probe_of(r, &seen, &probes, &oc)) != NULL)
			r->unsignable[i] = dipb_error_fmt(e->code, "%s (%s) "
			    "must be signed again by %s: %s; run dipb sync as "
			    "%s, with their key", ch->old_tag != NULL ?
			    ch->old_tag : ch->old_commit, ch->event,
			    oc.author_email, e->msg, oc.author_email);
		dipb_commit_release(&oc);
	}
	for (i = 0; i < seen.n; i++)
		dipb_error_free(probes[i]);
	free(probes);
	dipb_strlist_release(&seen);
	return err;
}

const struct dipb_error *
dipb_replay_run(struct dipb_replay *p, struct dipb_repo *repo,
    const struct dipb_identity *committer)
{
	const struct dipb_error *err = NULL, *e;
	struct dipb_replay_change *ch;
	struct dipb_commit oc;
	struct run r;
	size_t i;

	if (p->fast_forward || p->nchanges == 0) {
		memcpy(p->new_tip, p->fast_forward ? p->tip : p->base,
		    sizeof(p->new_tip));
		return NULL;
	}
	memset(&r, 0, sizeof(r));
	r.p = p;
	r.repo = repo;
	r.upstream = p->upstream_tags;
	r.committer = committer;
	dipb_board_init(&r.board);
	memcpy(r.parent, p->base, sizeof(r.parent));
	/* A change that goes as it is (plan_branch_from, plan.c) is made
	 * already: its tag is one of the new parent's. */
	for (i = 0; i < p->nchanges; i++)
		if (p->changes[i].old_tag != NULL &&
		    p->changes[i].outcome != DIPB_REPLAY_LANDED)
			dipb_strlist_push(&r.own, p->changes[i].old_tag);
	if ((err = dipb_rpl_load_board(&r, r.parent)) != NULL ||
	    (err = check_signing(&r)) != NULL)
		goto done;
	/* Objects only, named by nothing yet: flushed once at the end. */
	dipb_repo_defer_fsync(repo);
	for (i = 0; i < p->nchanges && err == NULL; i++) {
		ch = &p->changes[i];
		if (ch->outcome == DIPB_REPLAY_LANDED)
			continue;
		if ((err = dipb_git_commit_read(&oc, repo,
		    ch->old_commit)) != NULL)
			break;
		if (ch->published != NULL)
			err = drop_rewrite(&r, ch);
		else if (strcmp(ch->old_record, DIPB_BOARD_RECORD) == 0)
			err = dipb_rpl_board(&r, ch, &oc);
		else if (!name_refused(&r, ch, &oc))
			err = strcmp(ch->old_record, DIPB_MEETING_RECORD) ==
			    0 ? dipb_rpl_meeting(&r, ch, &oc) :
			    dipb_rpl_record(&r, ch, &oc);
		dipb_commit_release(&oc);
	}
	if ((e = dipb_repo_flush(repo)) != NULL) {
		if (err == NULL)
			err = e;
		else
			dipb_error_free(e);
	}
	if (err == NULL)
		memcpy(p->new_tip, r.parent, sizeof(p->new_tip));
done:
	for (i = 0; r.unsignable != NULL && i < p->nchanges; i++)
		dipb_error_free(r.unsignable[i]);
	free(r.unsignable);
	dipb_board_release(&r.board);
	dipb_strlist_release(&r.own);
	dipb_strlist_release(&r.made);
	dipb_strlist_release(&r.lost);
	return err;
}

/*
 * cmd_sync.c - dipb sync [REMOTE] [--no-push] [--attempts N] [--retry N]
 *
 * Fetch with git, replay the local dipb changes on the remote's tip
 * (replay.h), publish the result in the clone in one journaled step
 * (dipb_repo_publish), push it with git in one atomic push; when the
 * remote moved meanwhile, the same again, at most --attempts rounds
 * (dipb-sync(1)).  stdout carries one "OLD -> NEW" line per renumbered
 * record and nothing else; stderr one line per local change, then the
 * rest.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "diag.h"
#include "error.h"
#include "hashmap.h"
#include "replay.h"
#include "repo.h"
#include "session.h"
#include "text.h"
#include "verify.h"

#define SYNC_ATTEMPTS	5

static const struct dipb_error *
usage_sync(const char *what)
{
	return dipb_cmd_usage_error("sync", "%s", what);
}

/* One local change as the user made it, followed across the rounds. */
struct orig {
	char	*tag;		/* its first local tag, NULL: none */
	char	*record;
	char	 first[DIPB_OID_HEX + 1];	/* its commit as made */
	char	 commit[DIPB_OID_HEX + 1];	/* its commit now */
	char	*final_tag;	/* landed: its tag now */
	char	*final_record;
	char	*reason;	/* dropped: why */
	int	 dropped;
};

struct sync {
	struct dipb_repo	*repo;
	const char		*remote;
	const char		*branch;
	char			*remote_ref;	/* refs/remotes/R/B */
	char			*remote_tags;	/* refs/dipb/remote/R/tags/ */
	struct dipb_identity	 who;
	int			 interactive;
	struct orig		*o;
	size_t			 n;
	size_t			 cap;
	int			 started;	/* o filled by a first round */
	struct dipb_strlist	 push_tags;	/* this round's */
	char			 push_tip[DIPB_OID_HEX + 1];
	/* The last commit the remote had and the clone took; "": none. */
	char			 since[DIPB_OID_HEX + 1];
	int			 to_push;
	int			 no_push;	/* --no-push */
	/* The tags add_unpushed said the remote lacks, said once. */
	struct dipb_strlist	 told;
	/* git's messages and ours, printed after the changes' lines. */
	struct dipb_buf		 later;
};

static void
orig_add(struct sync *s, const struct dipb_replay_change *c)
{
	struct orig *o;

	xgrow((void **)&s->o, &s->cap, s->n + 1, sizeof(*s->o));
	o = &s->o[s->n++];
	memset(o, 0, sizeof(*o));
	o->tag = c->old_tag != NULL ? xstrdup(c->old_tag) : NULL;
	o->record = xstrdup(c->old_record != NULL ? c->old_record : "");
	memcpy(o->commit, c->old_commit, sizeof(o->commit));
	memcpy(o->first, c->old_commit, sizeof(o->first));
	o->final_tag = c->old_tag != NULL ? xstrdup(c->old_tag) : NULL;
	o->final_record = xstrdup(o->record);
}

/* The round's outcome of each change, onto the change it began as. */
static void
orig_update(struct sync *s, const struct dipb_replay *p)
{
	const struct dipb_replay_change *c;
	struct orig *o;
	size_t i, k;

	for (i = 0; i < p->nchanges; i++) {
		c = &p->changes[i];
		if (!s->started)
			orig_add(s, c);
		for (k = 0, o = NULL; k < s->n && o == NULL; k++)
			if (!s->o[k].dropped &&
			    strcmp(s->o[k].commit, c->old_commit) == 0)
				o = &s->o[k];
		if (o == NULL)
			continue;
		if (c->outcome == DIPB_REPLAY_DROPPED) {
			o->dropped = 1;
			free(o->reason);
			o->reason = xstrdup(c->reason != NULL ? c->reason :
			    "not replayed");
		} else if (c->outcome == DIPB_REPLAY_LANDED) {
			memcpy(o->commit, c->new_commit, sizeof(o->commit));
			free(o->final_tag);
			o->final_tag = c->new_tag != NULL ?
			    xstrdup(c->new_tag) : NULL;
			if (c->new_record != NULL) {
				free(o->final_record);
				o->final_record = xstrdup(c->new_record);
			}
		}
	}
	s->started = 1;
}

static void
sync_release(struct sync *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		free(s->o[i].tag);
		free(s->o[i].record);
		free(s->o[i].final_tag);
		free(s->o[i].final_record);
		free(s->o[i].reason);
	}
	free(s->o);
	free(s->remote_ref);
	free(s->remote_tags);
	dipb_strlist_release(&s->push_tags);
	dipb_strlist_release(&s->told);
	dipb_buf_release(&s->later);
}

/* The replayed changes, for dipb_repo_publish. */
static const struct dipb_error *
publish_replay(struct sync *s, const struct dipb_replay *p)
{
	const struct dipb_error *err;
	struct dipb_publish_change *pc = xcalloc(p->nchanges + 1, sizeof(*pc));
	const struct dipb_replay_change *c;
	size_t i, k;

	for (i = 0; i < p->nchanges; i++) {
		c = &p->changes[i];
		pc[i].old_tag = c->old_tag;
		pc[i].old_commit = c->old_commit;
		if (c->outcome == DIPB_REPLAY_LANDED) {
			pc[i].new_tag = c->new_tag;
			pc[i].new_object = c->new_tag_object;
			continue;
		}
		pc[i].reason = c->reason != NULL ? c->reason : "not replayed";
		/* Dropped in a later round: name it as the user made it. */
		for (k = 0; k < s->n; k++)
			if (!s->o[k].dropped && strcmp(s->o[k].commit,
			    c->old_commit) == 0) {
				pc[i].first_commit = s->o[k].first;
				pc[i].first_tag = s->o[k].tag;
				break;
			}
	}
	err = dipb_repo_publish(s->repo, p->new_tip, pc, p->nchanges,
	    s->remote_tags, &s->who);
	free(pc);
	return err;
}

/*
 * The tags of changes on the remote's branch (base) that this clone
 * holds and the remote lacks (dipb_replay_unpushed), added to the push:
 * a remote that took a push's branch without some of its tags (dipb-
 * sync(1), "Pushing") is given them by the next sync, never said to be
 * up to date.  With nothing else to push, the push is its branch as it
 * is (git takes it as up to date) and those tags.
 */
static const struct dipb_error *
add_unpushed(struct sync *s, const char *base)
{
	const struct dipb_error *err;
	struct dipb_strlist lack = DIPB_STRLIST_INIT;
	struct dipb_strlist fresh = DIPB_STRLIST_INIT;
	struct dipb_buf names = DIPB_BUF_INIT;
	size_t i, n = 0;

	if (base == NULL)
		return NULL;
	if ((err = dipb_replay_unpushed(&lack, s->repo, base,
	    s->remote_tags)) != NULL)
		goto done;
	for (i = 0; i < lack.n; i++) {
		if (dipb_strlist_contains(&s->push_tags, lack.v[i]))
			continue;
		dipb_strlist_push(&s->push_tags, lack.v[i]);
		n++;
		if (dipb_strlist_contains(&s->told, lack.v[i]))
			continue;	/* said in an earlier round */
		dipb_strlist_push(&s->told, lack.v[i]);
		dipb_strlist_push(&fresh, lack.v[i]);
	}
	/* One line for them all (dipb_strlist_say: five named, six when
	 * that is all): a remote that never takes them is told so once a
	 * sync, not once a tag (tags_refused). */
	dipb_strlist_say(&names, &fresh, 5);
	if (fresh.n > 0)
		dipb_buf_printf(&s->later, "dipb: %s %s holds the change%s of "
		    "%s without %s: %s\n", s->remote, s->branch,
		    fresh.n == 1 ? "" : "s", dipb_buf_cstr(&names),
		    fresh.n == 1 ? "its tag" : "their tags", s->no_push ?
		    "not pushed (--no-push)" : fresh.n == 1 ?
		    "the tag is pushed" : "the tags are pushed");
	if (n > 0 && !s->to_push) {
		s->to_push = 1;
		memcpy(s->push_tip, base, sizeof(s->push_tip));
		/* No commit is new: none to judge. */
		memcpy(s->since, base, sizeof(s->since));
	}
done:
	dipb_strlist_release(&lack);
	dipb_strlist_release(&fresh);
	dipb_buf_release(&names);
	return err;
}

/*
 * The refusal of a remote branch, at base, that shares no commit with
 * the clone's (dipb-sync(1), "Replaying"), as git pull refuses
 * to merge unrelated histories: no board at all, or another board, made
 * by another dipb init; exit status 5 either way.
 */
static const struct dipb_error *
unrelated(const struct sync *s, const char *base)
{
	const struct dipb_error *err;
	struct dipb_buf yaml = DIPB_BUF_INIT;
	char blob[DIPB_OID_HEX + 1];
	int found = 0;

	err = dipb_git_read_at(&yaml, blob, &found, s->repo, base,
	    "dipb.yaml", 0);
	dipb_buf_release(&yaml);
	if (err != NULL)
		return err;
	if (!found)
		return dipb_error_fmt(DIPB_ERR_NO_REPO, "%s %s is not a board "
		    "repository (no dipb.yaml at its tip %.7s), and its "
		    "history and this clone's are unrelated (no commit in "
		    "common): refusing to sync with it; name the board's "
		    "remote (dipb sync REMOTE)", s->remote, s->branch, base);
	return dipb_error_fmt(DIPB_ERR_GIT, "%s %s is another board (made by "
	    "another dipb init, or its history rewritten): its history and "
	    "this clone's are unrelated (no commit in common), so no local "
	    "change can be made again on it: refusing to sync with it; name "
	    "this board's remote (dipb sync REMOTE)", s->remote, s->branch);
}

/*
 * One round: the remote's tip is base (NULL: the remote has no such
 * branch); replays onto it, publishes in the clone, and says what to
 * push (s->to_push, s->push_tip, s->push_tags).
 */
static const struct dipb_error *
round_once(struct sync *s, const char *base)
{
	const struct dipb_error *err = NULL;
	struct dipb_replay p;
	char tip[DIPB_OID_HEX + 1], *heads;
	size_t i;

	memset(&p, 0, sizeof(p));
	dipb_strlist_release(&s->push_tags);
	dipb_strlist_init(&s->push_tags);
	s->to_push = 0;
	s->since[0] = '\0';
	dipb_repo_tip(tip, s->repo);
	memcpy(s->push_tip, tip, sizeof(tip));
	if (base != NULL && dipb_git_in_history(s->repo, base, tip)) {
		/* Nothing local: the clone fast-forwards to the remote. */
		if ((err = dipb_repo_publish(s->repo, base, NULL, 0,
		    s->remote_tags, &s->who)) != NULL)
			return err;
		return add_unpushed(s, base);
	}
	/* A remote without the branch: the whole branch is new there, its
	 * changes go as they are, with their tags and no others, but from
	 * one that cannot go as it is, made again (replay.h); since stays
	 * "": every commit is judged before the push. */
	heads = xasprintf("refs/remotes/%s/", s->remote);
	err = dipb_replay_plan(&p, s->repo, base, tip, s->remote_tags, heads);
	free(heads);
	if (err == NULL && p.unrelated)
		err = unrelated(s, base);
	if (err != NULL)
		goto done;
	memcpy(s->since, p.merge_base, sizeof(s->since));
	if (p.fast_forward) {
		/* The remote did not move: the local changes go as they are. */
		for (i = 0; i < p.nchanges; i++) {
			p.changes[i].outcome = DIPB_REPLAY_LANDED;
			memcpy(p.changes[i].new_commit, p.changes[i].old_commit,
			    sizeof(p.changes[i].new_commit));
			if (p.changes[i].old_tag != NULL)
				dipb_strlist_push(&s->push_tags,
				    p.changes[i].old_tag);
			if (p.changes[i].old_tag != NULL &&
			    p.changes[i].new_tag == NULL)
				p.changes[i].new_tag =
				    xstrdup(p.changes[i].old_tag);
		}
		/* Said to have landed once published in the clone only. */
		if ((err = dipb_repo_publish(s->repo, tip, NULL, 0,
		    s->remote_tags, &s->who)) == NULL) {
			orig_update(s, &p);
			s->to_push = 1;
			err = add_unpushed(s, base);
		}
		goto done;
	}
	if ((err = dipb_replay_run(&p, s->repo, &s->who)) != NULL ||
	    (err = publish_replay(s, &p)) != NULL)
		goto done;
	orig_update(s, &p);
	memcpy(s->push_tip, p.new_tip, sizeof(s->push_tip));
	for (i = 0; i < p.nchanges; i++)
		if (p.changes[i].outcome == DIPB_REPLAY_LANDED &&
		    p.changes[i].new_tag != NULL)
			dipb_strlist_push(&s->push_tags, p.changes[i].new_tag);
	s->to_push = base == NULL || strcmp(p.new_tip, base) != 0;
	err = add_unpushed(s, base);
done:
	dipb_replay_release(&p);
	return err;
}

/*
 * What the push would put on the remote's branch, judged as dipb verify
 * judges it (dipb-sync(1), "Pushing"): the commits after s->since, the
 * remote's new ones and the clone's own as published, none of which may
 * be a finding; with no since (a branch new to the remote), every one.
 * A remote that took a forged change, where no hook guards it, is not
 * built on and passed on under this member's signature.
 */
static const struct dipb_error *
check_push(struct sync *s)
{
	const struct dipb_error *err;
	struct dipb_findings f = DIPB_FINDINGS_INIT;
	struct dipb_hashmap range = DIPB_HASHMAP_INIT;
	struct dipb_buf said = DIPB_BUF_INIT;
	struct dipb_walk *w = NULL;
	const struct dipb_finding *x;
	char id[DIPB_OID_HEX + 1];
	static int mark;
	size_t i, n = 0;
	int done = 0, unborn = 0;

	if ((err = dipb_git_walk_new(&w, s->repo)) != NULL ||
	    (err = dipb_walk_push(w, s->push_tip, &unborn)) != NULL ||
	    (s->since[0] != '\0' &&
	    (err = dipb_walk_hide(w, s->since)) != NULL))
		goto done;
	while ((err = dipb_walk_next(id, &done, w)) == NULL && !done)
		dipb_hashmap_put(&range, id, &mark);
	if (err != NULL || (err = dipb_verify(&f, s->repo,
	    s->since[0] != '\0' ? s->since : NULL)) != NULL)
		goto done;
	for (i = 0; i < f.n; i++) {
		x = &f.v[i];
		if (x->commit[0] == '\0' ||
		    dipb_hashmap_get(&range, x->commit) == NULL)
			continue;
		if (n++ < 5)
			dipb_buf_printf(&said, "  %.10s %s%s%s [%s]\n",
			    x->commit, x->tag != NULL ? x->tag : "",
			    x->tag != NULL ? ": " : "", x->msg, x->rule);
	}
	if (n > 5)
		dipb_buf_printf(&said, "  and %zu more\n", n - 5);
	if (n > 0)
		err = dipb_error_fmt(DIPB_ERR_REFUSED, "not pushed: dipb "
		    "verify finds %zu problem%s in the commits the push would "
		    "give %s %s (the remote's new ones and this clone's):\n%s"
		    "the changes are made in this clone only: fix what "
		    "'dipb verify' reports, then sync again", n,
		    n == 1 ? "" : "s", s->remote, s->branch,
		    dipb_buf_cstr(&said));
done:
	dipb_walk_free(w);
	dipb_hashmap_release(&range, NULL);
	dipb_findings_release(&f);
	dipb_buf_release(&said);
	return err;
}

/* The lines of dipb-sync(1), "OUTPUT"; *landed and *dropped counted. */
static void
report(const struct sync *s, size_t *landed, size_t *dropped)
{
	struct dipb_strlist seen = DIPB_STRLIST_INIT;
	const struct orig *o;
	const char *old;
	char *reason;
	size_t i;

	*landed = *dropped = 0;
	for (i = 0; i < s->n; i++) {
		o = &s->o[i];
		old = o->tag != NULL ? o->tag : o->record;
		if (o->dropped) {
			(*dropped)++;
			/* A reason may quote the remote's text: shown, never
			 * obeyed (dipb-sync(1), OUTPUT). */
			reason = dipb_text_clean_line(o->reason);
			dipb_say(stderr, "dropped %s: %s\n", old, reason);
			free(reason);
			continue;
		}
		(*landed)++;
		if (o->final_tag == NULL || (o->tag != NULL &&
		    strcmp(o->tag, o->final_tag) == 0))
			dipb_say(stderr, "landed %s\n", old);
		else
			dipb_say(stderr, "landed %s (was %s)\n", o->final_tag,
			    old);
	}
	for (i = 0; i < s->n; i++) {
		o = &s->o[i];
		if (o->dropped || strcmp(o->record, o->final_record) == 0 ||
		    dipb_strlist_contains(&seen, o->record))
			continue;
		dipb_strlist_push(&seen, o->record);
		printf("%s -> %s\n", o->record, o->final_record);
	}
	dipb_strlist_release(&seen);
}

/*
 * The end of the warning: the push that deletes the remote's tag, after
 * a colon, its words shell-quoted, not inside quotes of the message (a
 * word quoted has quotes of its own: the line from 'git' on pastes as
 * one command); none when the remote's or the tag's name cannot be
 * shown as it is (dipb_text_shown_as_is): printed with '?' for a byte,
 * the command would name another remote or no tag.
 */
static char *
delete_arg(const char *remote, const char *tag)
{
	char *ref, *a, *b, *arg;

	if (!dipb_text_shown_as_is(remote) || !dipb_text_shown_as_is(tag))
		return xstrdup("no command is given to delete it: a name "
		    "cannot be shown as it is");
	ref = xasprintf(":refs/tags/%s", tag);
	a = dipb_sh_quote(remote);
	b = dipb_sh_quote(ref);
	arg = xasprintf("to delete it: git push %s %s", a, b);
	free(b);
	free(a);
	free(ref);
	return arg;
}

/*
 * After a push: a change that landed under another tag than its own,
 * whose old tag the remote holds on a commit its branch does not have
 * (the tag pushed alone, then the change amended: dipb-sync(1),
 * REPLAY), leaves that tag on the remote, a stray (dipb-verify(1),
 * tag-outside-branch): each is warned of, with the push that would
 * delete it and what that leaves.
 */
static void
warn_stray(const struct sync *s)
{
	const struct dipb_error *err;
	const struct orig *o;
	enum dipb_object_type type;
	char tip[DIPB_OID_HEX + 1], id[DIPB_OID_HEX + 1];
	char y[DIPB_OID_HEX + 1], *ref, *arg;
	size_t i;
	int found = 0, annotated;

	if ((err = dipb_git_ref(tip, &found, s->repo, s->remote_ref)) != NULL
	    || !found) {
		dipb_error_free(err);
		return;
	}
	for (i = 0; i < s->n; i++) {
		o = &s->o[i];
		if (o->dropped || o->tag == NULL || o->final_tag == NULL ||
		    strcmp(o->tag, o->final_tag) == 0)
			continue;
		ref = xasprintf("%s%s", s->remote_tags, o->tag);
		err = dipb_git_ref(id, &found, s->repo, ref);
		free(ref);
		if (err == NULL && found && (err = dipb_git_tag_peel(y, &type,
		    &annotated, s->repo, id)) == NULL && type ==
		    DIPB_OBJECT_COMMIT && !dipb_git_in_history(s->repo, tip,
		    y)) {
			arg = delete_arg(s->remote, o->tag);
			dipb_say(stderr, "dipb: warning: the remote's tag %s is "
			    "left on %.7s, which %s %s does not have (pushed "
			    "alone?), and this change landed as %s: a stray "
			    "tag, which dipb verify reports (tag-outside-"
			    "branch), and deleting it leaves a gap in %s's "
			    "numbers (tag-number) instead; %s\n", o->tag, y,
			    s->remote, s->branch, o->final_tag,
			    o->final_record, arg);
			free(arg);
		}
		dipb_error_free(err);
	}
}

/* What must hold before anything is fetched or written. */
static const struct dipb_error *
precheck(struct dipb_repo *repo)
{
	const struct dipb_error *err;

	if ((err = dipb_repo_check_shallow(repo)) != NULL)
		return err;
	/* A merge, rebase or cherry-pick in progress; the index usable. */
	return dipb_repo_check_change(repo, NULL, 0);
}

/*
 * The tags of names that the remote, as last fetched, lacks or holds as
 * another object than the clone's, named in *lack (the first five, then
 * how many more), their number in *n.
 */
static const struct dipb_error *
remote_lacks(struct dipb_buf *lack, size_t *n, struct sync *s,
    const struct dipb_strlist *names)
{
	const struct dipb_error *err = NULL;
	struct dipb_strlist gone = DIPB_STRLIST_INIT;
	char theirs[DIPB_OID_HEX + 1], mine[DIPB_OID_HEX + 1], *ref;
	size_t i;
	int found, have;

	for (i = 0; i < names->n && err == NULL; i++) {
		ref = xasprintf("%s%s", s->remote_tags, names->v[i]);
		err = dipb_git_ref(theirs, &found, s->repo, ref);
		free(ref);
		if (err == NULL && found) {
			ref = xasprintf("refs/tags/%s", names->v[i]);
			err = dipb_git_ref(mine, &have, s->repo, ref);
			free(ref);
			found = have && strcmp(mine, theirs) == 0;
		}
		if (err == NULL && !found)
			dipb_strlist_push(&gone, names->v[i]);
	}
	if (err == NULL)
		dipb_strlist_say(lack, &gone, 5);
	*n = err == NULL ? gone.n : 0;
	dipb_strlist_release(&gone);
	return err;
}

/*
 * Why a remote that is not known for shallow (shallow 0: not, -1:
 * cannot tell; dipb_repo_remote_shallow) lacks objects of its own
 * history, and what mends it.
 */
static const char *
lost(int shallow)
{
	return shallow == 0 ? "its history is whole (no shallow file, or "
	    "one of root commits alone), so it lost objects: 'git fsck' in "
	    "it names them, and 'git fetch --refetch' in it from a clone "
	    "that holds them (this one) restores them" : "it is a shallow repository ('git rev-parse "
	    "--is-shallow-repository' in it tells; then 'git fetch "
	    "--unshallow' there), or lost objects ('git fsck' in it names "
	    "them; then 'git fetch --refetch' there from a clone that holds "
	    "them)";
}

/*
 * After a push git rejected (res) whose branch the remote, fetched
 * again, holds: the error when the remote lacks some of the pushed
 * tags, which it refused itself (receive.hideRefs lets git land the
 * rest of an atomic push; a URL pushed to besides would have rejected
 * all of it); NULL when it holds them all, and only another URL
 * rejected the push.  A remote that lacks the objects of tags of
 * commits its own branch holds (DIPB_PUSH_LACKS) lacks that branch's
 * history, which git never sends it, so no sync will ever give it those
 * tags: a shallow repository, or one that lost them, which dipb tells
 * apart where it can look (lost(); dipb-sync(1), "Pushing").
 */
static const struct dipb_error *
tags_refused(struct sync *s, enum dipb_push_result res, const char *why)
{
	const struct dipb_error *err;
	struct dipb_buf lack = DIPB_BUF_INIT;
	size_t n;
	int shallow = -1;

	err = remote_lacks(&lack, &n, s, &s->push_tags);
	if (err == NULL && n > 0 && res == DIPB_PUSH_LACKS)
		dipb_repo_remote_shallow(&shallow, s->repo, s->remote);
	if (err == NULL && n > 0 && res == DIPB_PUSH_LACKS && shallow == 1)
		err = dipb_error_fmt(DIPB_ERR_GIT, "%s took the push only in "
		    "part (git's message is above):\n%sits branch %s has the "
		    "changes, but %s lacks the history of its own branch "
		    "where the tag%s %s %s (git: missing necessary objects): "
		    "it is a shallow repository (a clone with --depth), which "
		    "can never take %s, as git sends no commit of a history "
		    "the remote's branch holds; 'git fetch --unshallow' in "
		    "it, or syncing with a remote that holds the whole "
		    "history, mends it", s->remote, why != NULL ? why : "",
		    s->branch, s->remote, n == 1 ? "" : "s",
		    dipb_buf_cstr(&lack), n == 1 ? "is" : "are",
		    n == 1 ? "it" : "them");
	else if (err == NULL && n > 0 && res == DIPB_PUSH_LACKS)
		err = dipb_error_fmt(DIPB_ERR_GIT, "%s took the push only in "
		    "part (git's message is above):\n%sits branch %s has the "
		    "changes, but %s lacks the commit%s of the tag%s %s, "
		    "though its branch holds %s (git: missing necessary "
		    "objects), and git never sends %s: %s", s->remote,
		    why != NULL ? why : "", s->branch, s->remote,
		    n == 1 ? "" : "s", n == 1 ? "" : "s",
		    dipb_buf_cstr(&lack), n == 1 ? "it" : "them",
		    n == 1 ? "it" : "them", lost(shallow));
	else if (err == NULL && n > 0)
		err = dipb_error_fmt(DIPB_ERR_GIT, "%s took the push only in "
		    "part (git's message is above):\n%sits branch %s has the "
		    "changes, but %s refused %s tag%s %s for a reason of its "
		    "own (a hook, receive.hideRefs): see what git says; once "
		    "it takes them, sync again, which pushes the tags %s "
		    "lacks", s->remote, why != NULL ? why : "", s->branch,
		    s->remote, n == 1 ? "the" : "their", n == 1 ? "" : "s",
		    dipb_buf_cstr(&lack), s->remote);
	dipb_buf_release(&lack);
	return err;
}

/*
 * After a push git took that gave the remote tags it lacked (add_unpushed):
 * the error when a fetch still does not show them.  The remote holds
 * them, or git would have said so, but hides them from a fetch (its
 * uploadpack.hideRefs): a clone of it lacks them and fails dipb verify,
 * and every sync would push them again and say they are pushed.
 */
static const struct dipb_error *
tags_hidden(struct sync *s)
{
	const struct dipb_error *err;
	struct dipb_buf lack = DIPB_BUF_INIT;
	size_t n;

	if (s->told.n == 0)
		return NULL;
	if ((err = dipb_repo_fetch(s->repo, s->remote,
	    s->interactive)) == NULL &&
	    (err = remote_lacks(&lack, &n, s, &s->told)) == NULL && n > 0)
		err = dipb_error_fmt(DIPB_ERR_GIT, "%s took the push, but a "
		    "fetch of it does not show the tag%s %s: it hides %s "
		    "from fetches (uploadpack.hideRefs), so that a clone of "
		    "it lacks %s and fails dipb verify; its administrator "
		    "must let fetches see refs/tags/", s->remote,
		    n == 1 ? "" : "s", dipb_buf_cstr(&lack),
		    n == 1 ? "it" : "them", n == 1 ? "it" : "them");
	dipb_buf_release(&lack);
	return err;
}

/*
 * A rejected push (res, git's message why) read by what a fetch then
 * shows, never by git's word alone (dipb-sync(1), "Pushing"): the
 * remote's branch was at base (found 0: none) before the push.  The
 * remote's hook judges the push against what landed first when two
 * push at once, a ref it failed to lock was held by another push, and
 * git rejects a push to a branch that moved: the race, told apart by a
 * branch that moved, fetched again, and only it makes another round
 * (NULL).  A branch that did not move gave the remote's verdict, or its
 * failure, or a URL git pushes to (remote.NAME.pushurl, a second url)
 * that is not the one fetched from rejected it: another round would
 * fetch the same and be rejected the same.  A branch that holds what
 * was pushed took it where it is fetched from while another URL
 * rejected it, or took the branch and refused some tags itself
 * (tags_refused): another round would find nothing to push and say the
 * remote is up to date, or be refused the same.  A remote that lacks
 * the root commits this clone's shallow file lists (precheck lets only
 * those through) refuses a push from it as a shallow history
 * (DIPB_PUSH_CUT), though the history is whole.
 */
static const struct dipb_error *
rejection(struct sync *s, enum dipb_push_result res, const char *why,
    int found, const char *base)
{
	const struct dipb_error *err;
	char now[DIPB_OID_HEX + 1];
	const char *verb, *advice;
	char *lacks = NULL;
	int found_now, holds, refused, shallow = -1;

	if ((err = dipb_repo_fetch(s->repo, s->remote,
	    s->interactive)) != NULL ||
	    (err = dipb_git_ref(now, &found_now, s->repo,
	    s->remote_ref)) != NULL)
		return err;
	/* Not known to hold it (repo.h: "cannot tell" reads as 0): the
	 * rejection, or the race, is said, nothing is moved. */
	holds = found_now && (strcmp(now, s->push_tip) == 0 ||
	    dipb_git_descendant_of(s->repo, now, s->push_tip));
	if (holds && (err = tags_refused(s, res, why)) != NULL)
		return err;
	if (holds)
		return dipb_error_fmt(DIPB_ERR_GIT, "%s took the push only in "
		    "part (git's message is above):\n%sthe URL it fetches "
		    "from has the changes, another URL it pushes to rejected "
		    "them: set that one right, then push to it with git (dipb "
		    "sync pushes only what the URL it fetches from lacks)",
		    s->remote, why != NULL ? why : "");
	if (found_now != found || (found && strcmp(now, base) != 0))
		return NULL;	/* moved: the race */
	/* The remote unmoved: its verdict, or its failure. */
	refused = res == DIPB_PUSH_REFUSED;
	verb = refused ? "refused" : res == DIPB_PUSH_FAILED ||
	    res == DIPB_PUSH_LACKS || res == DIPB_PUSH_CUT ? "could not take" :
	    "rejected";
	if (res == DIPB_PUSH_LACKS) {
		dipb_repo_remote_shallow(&shallow, s->repo, s->remote);
		lacks = xasprintf("nothing of it landed there; it lacks "
		    "objects of its own history%s%s", shallow == 1 ? " (a "
		    "shallow repository, a clone with --depth): 'git fetch "
		    "--unshallow' in it mends it" : ": ", shallow == 1 ? "" :
		    lost(shallow));
	}
	advice = refused ? "fix what the remote reports (run 'dipb verify'), "
	    "then sync again" : lacks != NULL ? lacks : res == DIPB_PUSH_CUT ?
	    "nothing of it landed there; git pushes from this clone as from "
	    "a shallow one, as its "
	    "'.git/shallow' lists root commits (a clone as deep as the "
	    "whole history), and the remote, which lacks them, takes no "
	    "shallow history: the history is whole, and removing "
	    "'.git/shallow' (or 'git fetch --unshallow' from a remote that "
	    "holds it) makes git take it so; then sync again" :
	    res == DIPB_PUSH_FAILED ? "nothing of it "
	    "landed there: sync again, and if it fails the same way, the "
	    "remote's administrator must look at it" : "its branch, fetched "
	    "again, did not move: the URL the push goes to is not the one "
	    "fetched from, or rejects it for a reason of its own; see what "
	    "git says, then sync again";
	err = dipb_error_fmt(refused ? DIPB_ERR_REFUSED : DIPB_ERR_GIT,
	    "%s %s the push (git's message is above):\n%sthe changes are "
	    "made in this clone only: %s", s->remote, verb,
	    why != NULL ? why : "", advice);
	free(lacks);
	return err;
}

/*
 * A push git took (res) read by what a fetch then shows, where it may
 * have gone to another repository than the one fetched from: git pushes
 * to another url (a pushurl, a pushInsteadOf: dipb_repo_push_url), or
 * git said the remote's branch was not as fetched
 * (DIPB_PUSH_ELSEWHERE).  A branch that holds what was pushed took it;
 * else the other repository took it or had it already (dipb-sync(1),
 * "Pushing"), and every sync would say "pushed" while the remote never
 * gets the changes.
 */
static const struct dipb_error *
elsewhere(struct sync *s, enum dipb_push_result res)
{
	const struct dipb_error *err = NULL;
	char now[DIPB_OID_HEX + 1], *url, *push, *where;
	int found;

	push = dipb_repo_push_url(&url, s->repo, s->remote);
	if ((res == DIPB_PUSHED && push == NULL) ||
	    (err = dipb_repo_fetch(s->repo, s->remote,
	    s->interactive)) != NULL ||
	    (err = dipb_git_ref(now, &found, s->repo, s->remote_ref)) != NULL ||
	    (found && (strcmp(now, s->push_tip) == 0 ||
	    dipb_git_descendant_of(s->repo, now, s->push_tip))))
		goto done;
	where = push != NULL ? xasprintf("'%s' (its push url)", push) :
	    xstrdup("another of its urls");
	err = dipb_error_fmt(DIPB_ERR_GIT, "%s %s lacks the changes: git "
	    "pushed them to %s, which took them or had them already, not to "
	    "'%s', the url fetched from; the changes are made in this clone "
	    "only: make both name the one repository, then sync again",
	    s->remote, s->branch, where, url != NULL ? url : "");
	free(where);
done:
	free(push);
	free(url);
	return err;
}

/* Every round of a sync overtaken by another push (DIPB_ERR_MOVING). */
static const struct dipb_error *
overtaken(const struct sync *s, int attempts)
{
	if (attempts == 1)
		return dipb_error_fmt(DIPB_ERR_MOVING, "%s %s moved while "
		    "pushing: the one round of fetch, replay and push "
		    "(--attempts 1) was overtaken; the changes are made in "
		    "this clone only: sync again later", s->remote, s->branch);
	return dipb_error_fmt(DIPB_ERR_MOVING, "%s %s kept moving: %d rounds "
	    "of fetch, replay and push were each overtaken; the changes are "
	    "made in this clone only: sync again later", s->remote, s->branch,
	    attempts);
}

static const struct dipb_error *
sync_rounds(struct sync *s, int attempts, int no_push, int *pushed)
{
	const struct dipb_error *err = NULL;
	enum dipb_push_result res;
	char base[DIPB_OID_HEX + 1];
	char judged[DIPB_OID_HEX + 1];
	char *why = NULL, *said = NULL;
	/* A refusal found on the first fetch: judged once, again, twice. */
	enum { FIRST, AGAIN, TWICE } verdict = FIRST;
	int round, found, fetched = 0;

	*pushed = 0;
	for (round = 1; round <= attempts; round++) {
		if ((!fetched && (err = dipb_repo_fetch(s->repo, s->remote,
		    s->interactive)) != NULL) ||
		    (err = dipb_git_ref(base, &found, s->repo,
		    s->remote_ref)) != NULL ||
		    (err = round_once(s, found ? base : NULL)) != NULL)
			return err;
		fetched = 0;
		if (no_push || !s->to_push)
			return NULL;
		/*
		 * A remote takes a push's refs one after another, its branch
		 * before its tags: a fetch in between sees another member's
		 * changes without their tags.  A finding is a verdict only
		 * when a second fetch, once a sync, agrees with the first.
		 * The clone now holds what the first fetch brought, so the
		 * second judges from where the first did.
		 */
		if (verdict == AGAIN) {
			/* Judged from the first fetch's point only when it is
			 * known to be before (repo.h: never on "cannot
			 * tell"). */
			verdict = TWICE;
			if (judged[0] == '\0' || strcmp(judged, s->since) == 0 ||
			    dipb_git_descendant_of(s->repo, s->since, judged))
				memcpy(s->since, judged, sizeof(s->since));
		}
		if ((err = check_push(s)) != NULL && err->code ==
		    DIPB_ERR_REFUSED && verdict == FIRST) {
			dipb_error_free(err);
			memcpy(judged, s->since, sizeof(judged));
			verdict = AGAIN;
			round--;
			continue;
		}
		if (err != NULL)
			return err;
		err = dipb_repo_push(&res, &why, &said, s->repo, s->remote,
		    s->branch, found ? base : NULL, s->push_tip, &s->push_tags,
		    s->interactive);
		if (said != NULL)
			dipb_buf_puts(&s->later, said);
		free(said);
		said = NULL;
		if (err == NULL && (res == DIPB_PUSHED ||
		    res == DIPB_PUSH_ELSEWHERE))
			err = elsewhere(s, res);
		if (err != NULL)
			return err;
		if (res == DIPB_PUSHED || res == DIPB_PUSH_ELSEWHERE) {
			*pushed = 1;
			return tags_hidden(s);
		}
		err = rejection(s, res, why, found, base);
		free(why);
		why = NULL;
		if (err != NULL)
			return err;
		fetched = 1;
		if (round < attempts)
			dipb_buf_printf(&s->later, "dipb: %s moved while "
			    "pushing (round %d of %d): fetching and replaying "
			    "again\n", s->remote, round, attempts);
	}
	return overtaken(s, attempts);
}

const struct dipb_error *
cmd_sync(int argc, char **argv, struct dipb_ctx *ctx)
{
	static const struct option opts[] = {
		{ "no-push", no_argument, NULL, 'n' },
		{ "attempts", required_argument, NULL, 'a' },
		{ "retry", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 }
	};
	const struct dipb_error *err;
	struct sync s;
	char *remote = NULL, *branch = NULL, *end;
	size_t landed, dropped;
	long attempts = SYNC_ATTEMPTS;
	int ch, retries = -1, no_push = 0, locked = 0, pushed = 0;

	while ((ch = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (ch) {
		case 'n':
			no_push = 1;
			break;
		case 'a':
			attempts = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || attempts < 1 ||
			    attempts > 100)
				return dipb_cmd_usage_error("sync", "--attempts "
				    "takes a number from 1 to 100: '%s'", optarg);
			break;
		default:
			if ((err = dipb_cmd_retry_option(&retries, "sync", ch,
			    optarg, argv)) != NULL)
				return err;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 1)
		return usage_sync("at most one remote expected");
	if ((err = dipb_ctx_open(ctx)) != NULL)
		return err;
	memset(&s, 0, sizeof(s));
	s.repo = ctx->repo;
	s.interactive = ctx->interactive;
	s.no_push = no_push;
	if ((err = precheck(ctx->repo)) != NULL ||
	    (err = dipb_repo_upstream(&remote, &branch, ctx->repo,
	    argc == 1 ? argv[0] : NULL)) != NULL ||
	    (err = dipb_repo_identity(&s.who, ctx->repo)) != NULL)
		goto done;
	if (s.who.name == NULL)
		s.who.name = xstrdup(s.who.email);
	s.remote = remote;
	s.branch = branch;
	s.remote_ref = xasprintf("refs/remotes/%s/%s", remote, branch);
	s.remote_tags = xasprintf("refs/dipb/remote/%s/tags/", remote);
	if (retries >= 0)
		dipb_repo_set_retries(ctx->repo, retries);
	if ((err = dipb_repo_begin(ctx->repo)) != NULL)
		goto done;
	locked = 1;
	/* begin finished an interrupted change: check again. */
	if ((err = precheck(ctx->repo)) != NULL)
		goto done;
	err = sync_rounds(&s, (int)attempts, no_push, &pushed);
	report(&s, &landed, &dropped);
	if (s.later.len > 0)
		dipb_say(stderr, "%s", dipb_buf_cstr(&s.later));
	if (pushed)
		warn_stray(&s);
	if (pushed)
		dipb_say(stderr, "pushed to %s %s\n", remote, branch);
	else if (err == NULL && no_push)
		fprintf(stderr, "not pushed (--no-push)\n");
	else if (err == NULL)
		dipb_say(stderr, "%s %s is up to date\n", remote, branch);
	if (err == NULL && dropped > 0 && landed == 0)
		err = dipb_error_fmt(DIPB_ERR_ALL_DROPPED, "none of the %zu "
		    "local changes landed: each is kept under "
		    "refs/dipb/dropped/ with its reason", dropped);
	else if (err == NULL && dropped > 0)
		err = dipb_error_fmt(DIPB_ERR_SOME_DROPPED, "%zu of %zu local "
		    "changes dropped: each is kept under refs/dipb/dropped/ "
		    "with its reason", dropped, landed + dropped);
done:
	if (locked)
		dipb_repo_end(ctx->repo);
	if (s.who.email != NULL || s.who.name != NULL)
		dipb_identity_release(&s.who);
	sync_release(&s);
	free(remote);
	free(branch);
	return err;
}

/*
 * replay.h - a branch's local dipb changes replayed, as operations, on
 * another tip: the heart of dipb sync (dipb-sync(1), "REPLAY").
 *
 * A local change is not copied as a patch: its move (the Dipb-Event of
 * its commit), its acting member (the commit's author) and its inputs
 * (the fields that event sets, dipb_event_fields()) are taken from the
 * commit and made again on the record as it is on the new tip, checked
 * against the workflow and the roles of the board as it is there:
 *
 *	dipb_replay_plan(&p, repo, base, tip, tags, heads)
 *						what is local, or why
 *						it cannot be replayed
 *	dipb_replay_run(&p, repo, committer)	the new history's objects
 *	... publish p.new_tip and the tags (dipb sync does it) ...
 *	dipb_replay_release(&p)
 *
 * A new record whose id the base took (its file, or any tag of that id
 * among the base's tags) gets the next free id of its working group; its
 * later local changes follow it and their commits carry the trailer
 * Dipb-Renumbered-From: <old id>; a local meeting's agenda that names it
 * names its new id, or the meeting is dropped where it cannot (the draft
 * dropped, or drafted after it).  A review of text that changed since it
 * was given, and a move no longer allowed, are dropped with the reason.
 * Nothing here moves a ref: run writes objects only.
 */
#ifndef DIPB_REPLAY_H
#define DIPB_REPLAY_H

#include <stddef.h>

#include "repo.h"
#include "util.h"

enum dipb_replay_outcome {
	DIPB_REPLAY_PENDING,	/* planned, not run yet */
	DIPB_REPLAY_LANDED,	/* made again on the new tip */
	DIPB_REPLAY_DROPPED	/* not made again: reason says why */
};

/* One local change, in history order (oldest first). */
struct dipb_replay_change {
	char		 old_commit[DIPB_OID_HEX + 1];
	char		*old_tag;	/* its local tag's name; NULL: none */
	/*
	 * 1 when old_tag is not an annotated tag of old_commit: the tag the
	 * change had before its commit was rewritten (git commit --amend,
	 * git rebase), or a lightweight one; such a change cannot go as
	 * it is, and is made again (dipb-sync(1), "REPLAY").
	 */
	int		 rewritten;
	/*
	 * The remote's tag of the published change this one rewrites,
	 * "IC-0001/1-drafted", and its commit; NULL: none.  Such a change
	 * is not made again: it is dropped (dipb-sync(1), "REPLAY").
	 */
	char		*published;
	char		 published_commit[DIPB_OID_HEX + 1];
	char		*old_record;	/* "IC-0004", or "board" */
	char		*event;		/* its Dipb-Event */
	char		*author;	/* "Name <email>", for messages */
	enum dipb_replay_outcome outcome;
	/* DIPB_REPLAY_LANDED: */
	char		 new_commit[DIPB_OID_HEX + 1];
	char		*new_record;	/* old_record unless renumbered */
	char		*new_event;	/* e.g. now "endorsed" at the quorum */
	char		*new_tag;	/* "<new_record>/<N>-<new_event>" */
	char		 new_tag_object[DIPB_OID_HEX + 1];
	/* DIPB_REPLAY_DROPPED: one line, no final period. */
	char		*reason;
};

struct dipb_replay {
	char		 base[DIPB_OID_HEX + 1];	/* replayed onto */
	char		 tip[DIPB_OID_HEX + 1];		/* the local tip */
	/*
	 * The remote branch's tip, base as plan was given it; "": the remote
	 * has no such branch.  A change is published there when its commit
	 * is this one or in its history, not for a tag alone.
	 */
	char		 remote_tip[DIPB_OID_HEX + 1];
	/* After run: the new local tip (base when nothing landed). */
	char		 new_tip[DIPB_OID_HEX + 1];
	/*
	 * 1 when tip already descends from base and every local change can
	 * go as it is: nothing to replay, the local changes are pushed as
	 * they are (new_tip is tip); 0 else, also when the remote holds a
	 * local draft's id (plan.c, cannot_go).
	 */
	int		 fast_forward;
	/*
	 * Where tip's first-parent line meets base's history: the last
	 * commit both sides had before the local changes (tip or base
	 * itself when one holds the other).
	 */
	char		 merge_base[DIPB_OID_HEX + 1];
	/*
	 * 1 when tip and base share no commit (tip's first-parent line
	 * ends in a root commit base lacks, with no merge on the way):
	 * nothing is planned, changes is empty (dipb-sync(1),
	 * "Replaying").
	 */
	int		 unrelated;
	struct dipb_replay_change *changes;
	size_t		 nchanges;
	/* Renumbered records, pairwise: renamed_from.v[i] -> renamed_to.v[i]. */
	struct dipb_strlist renamed_from;
	struct dipb_strlist renamed_to;
	/* plan's upstream_tags and upstream_heads, each ending in '/';
	 * NULL: none given. */
	char		*upstream_tags;
	char		*upstream_heads;
};

/*
 * Plans the replay of tip's first-parent commits that base does not have
 * onto base.  base NULL: the remote has no such branch, every commit of
 * tip's history is new there, and goes as it is (fast_forward); the
 * changes are the dipb changes among them, each with its local tag, and a
 * commit that is none is left out of them, not refused.  There, from the
 * first change that cannot go as it is (a draft whose id the remote's
 * tags hold, a tag name or number they hold for another object, a change
 * without an annotated tag of its own, one that rewrites a published
 * change), the changes are
 * replayed onto its parent (p->base), as onto a remote's tip; those
 * before it are LANDED as they are already, and merge_base is "" (no
 * commit is common).  upstream_tags is the ref prefix the remote's tags were
 * fetched under (e.g. "refs/dipb/remote/origin/tags/"), upstream_heads its
 * branches' ("refs/remotes/origin/").  A local commit
 * that is not a dipb change (a plain commit, a merge) is refused before
 * anything is made, the error naming it and saying what to do.
 */
const struct dipb_error *dipb_replay_plan(struct dipb_replay *out,
	    struct dipb_repo *, const char *base, const char *tip,
	    const char *upstream_tags, const char *upstream_heads);

/*
 * Makes the planned changes again on base, in order, as committer (the
 * author stays the change's; a change LANDED already, which goes as it
 * is, is left as it is): writes their blobs, trees, commits and
 * annotated tags (signed as dipb-sync(1) says; a change made again that
 * must be signed by a key the configuration does not give is refused
 * before its objects are written, a change dropped needs no key), sets
 * each change's outcome and p->new_tip.
 * Writes no ref.
 */
const struct dipb_error *dipb_replay_run(struct dipb_replay *,
	    struct dipb_repo *, const struct dipb_identity *committer);

void	 dipb_replay_release(struct dipb_replay *);

/*
 * The tags of the dipb changes in tip's history (tip included) that this
 * clone holds and the remote's tags, fetched under upstream_tags, lack,
 * appended to out: the changes' own tags (annotated, named
 * "<record>/<N>-<event>" of their commit's Dipb-Record and Dipb-Event),
 * never a member's own tag.  A remote that took a push's branch and
 * refused some of its tags (receive.hideRefs: git lands the rest of an
 * "atomic" push) holds those changes without them; the next sync pushes
 * them (dipb-sync(1), "Pushing").
 */
const struct dipb_error *dipb_replay_unpushed(struct dipb_strlist *out,
	    struct dipb_repo *, const char *tip, const char *upstream_tags);

#endif /* DIPB_REPLAY_H */

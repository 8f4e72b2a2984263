/*
 * verify.h - dipb verify: the branch's first-parent history replayed from
 * its first commit against the rules of the workflow and of the git
 * contract (dipb-workflow(7), "Moves" and "Commits and tags").
 *
 * Every commit that changes a record or dipb.yaml must be a state change
 * made by dipb: its trailers name the record and the event, it touches
 * only the files its event changes (the record's, dipb.yaml, a meeting's
 * meetings/<date>.yaml; a migration moves every record: dipb-workflow(7),
 * "Commits and tags"), the event is a legal move from the status the
 * record's earlier events give, made by an identity holding the role in
 * dipb.yaml as of the parent commit, and it has exactly its annotated tag
 * <ID>/<N>-<event>.  Every finding names a rule; the rules and their
 * meaning are in dipb_verify_rules[] (src/verify/rules.c) and
 * dipb-verify(1).
 *
 * Only dipb types cross this header; src/verify/ reads git through the
 * reading half of repo.h (src/git/), on the repository that
 * dipb_repo_open() opened.
 */
#ifndef DIPB_VERIFY_H
#define DIPB_VERIFY_H

#include <stddef.h>

#include "repo.h"

#define DIPB_VERIFY_OID_HEX	40

/* One finding: "<commit> <tag>: <msg> [<rule>]". */
struct dipb_finding {
	char		 commit[DIPB_VERIFY_OID_HEX + 1];	/* or "" */
	char		*tag;		/* concerned, or NULL */
	char		*path;		/* the file concerned; NULL */
	/*
	 * path's own bytes, where path shows a control byte or one not of
	 * UTF-8 as '?': what a URI names the file by (--format sarif).
	 */
	char		*rawpath;
	const char	*rule;		/* static: dipb_verify_rules */
	char		*msg;		/* UTF-8, no control bytes */
};

struct dipb_findings {
	struct dipb_finding	*v;
	size_t			 n;
	size_t			 cap;
	size_t			 ncommits;	/* commits checked */
	size_t			 ntags;		/* tags read */
	/*
	 * What the history's signatures prove (dipb-verify(1),
	 * "Signatures"): unauthenticated when the board at the tip lists no
	 * key; else authenticated_from, when set, the first commit of the
	 * stretch up to the tip whose every state change is signed by its
	 * member (the changes before it are not all), or unauthenticated_tip
	 * the latest state change that is not.  "" when not set.
	 * unauthenticated_tip_untagged: that change's commit is signed so,
	 * and its tag, which would be too, is missing (tag-missing).
	 */
	int			 unauthenticated;
	char			 authenticated_from[DIPB_VERIFY_OID_HEX + 1];
	char			 unauthenticated_tip[DIPB_VERIFY_OID_HEX + 1];
	int			 unauthenticated_tip_untagged;
};

#define DIPB_FINDINGS_INIT { NULL, 0, 0, 0, 0, 0, "", "", 0 }

void	 dipb_findings_release(struct dipb_findings *);

/* The rules, in the order of dipb-verify(1); NULL-terminated. */
struct dipb_verify_rule {
	const char	*name;
	const char	*what;		/* one line */
};
extern const struct dipb_verify_rule dipb_verify_rules[];

/*
 * Replays the current branch of repo and appends every finding to out
 * (initialised), in the order of the history, then the tags that no
 * change of the branch accounts for.  The branch tip and the tags are
 * read under the repository lock (dipb_repo_begin_read, which also
 * completes or discards an interrupted change, or its refs at least; a
 * caller holding it keeps it), so a change in flight is never reported;
 * nothing else is written.
 *
 * since (NULL: from the first commit) names a commit of the branch: the
 * whole history is still replayed, to know each record's state, but the
 * findings about commits up to and including since are dropped (the
 * findings about tags are always kept: a deleted or moved tag is damage
 * now, whenever its commit was made).  A since that is not on the
 * branch's first-parent history is a finding (history-rewritten) and the
 * whole branch is reported; 40 zeros (git's "no commit") means no since.
 *
 * Errors: DIPB_ERR_USAGE for a since that names no commit, DIPB_ERR_BUSY
 * when the lock stays taken or another's lock file stands on a ref of an
 * interrupted change (packed-refs.lock, for a packed ref it deletes),
 * DIPB_ERR_CORRUPT for a history with a missing
 * commit (a shallow clone), DIPB_ERR_GIT for other libgit2 failures.
 */
const struct dipb_error *dipb_verify(struct dipb_findings *out,
	    struct dipb_repo *repo, const char *since);

#endif /* DIPB_VERIFY_H */

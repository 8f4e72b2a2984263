/*
 * git/tagguard.c - the guards of a change's tag number (dipb-git(7),
 * "Tags of another form"): before a change is numbered one past its
 * record's highest tag here, its record's dipb changes that have no tag
 * here (a clone made with --no-tags, a shallow one, a tag deleted) and
 * its tags moved by hand onto another change are refused, each with the
 * way out; dipb_git_next_tag_number (ids.c) asks them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"
#include "../board.h"
#include "../error.h"
#include "../meeting.h"
#include "../record.h"
#include "../state.h"
#include "../text.h"
#include "../trailer.h"
#include "../util.h"

/*
 * What the changes of record (a record's id, "board" or "meeting") change
 * below the tree root: the record's file, in either layout
 * (dipb_git_record_blob_at), dipb.yaml for the board's, the folder of
 * the meetings for a meeting's (dipb-git(7), "Tags of another form"):
 * *found 0 when there is none, else its id.
 */
static const struct dipb_error *
kept_at(git_oid *id, int *found, struct dipb_repo *r, const git_oid *root,
    const char *record)
{
	if (strcmp(record, DIPB_BOARD_RECORD) == 0)
		return dipb_git_tree_entry_at(id, found, r, root,
		    DIPB_BOARD_FILE);
	if (strcmp(record, DIPB_MEETING_RECORD) == 0)
		return dipb_git_tree_entry_at(id, found, r, root,
		    DIPB_MEETING_DIR);
	return dipb_git_record_blob_at(id, NULL, found, r, root, record);
}

/*
 * A shallow clone fetches the tags on the commits it has only: a record
 * at the tip with none of its tags here has them past the clone's end,
 * and its next number cannot be known.  (A record changed within the
 * clone's depth has its latest tag, the highest number, here.)
 */
const struct dipb_error *
dipb_git_shallow_untagged(struct dipb_repo *r, const char *record)
{
	const struct dipb_error *err;
	git_oid id;
	int found = 0, shallow;

	if ((err = dipb_repo_shallow(&shallow, r)) != NULL || !shallow)
		return err;
	if ((err = kept_at(&id, &found, r, dipb_git_tip_root(r),
	    record)) == NULL && found)
		err = dipb_error_fmt(DIPB_ERR_GIT, "%s's tags are not in this "
		    "shallow clone (a clone with --depth), so its next tag "
		    "cannot be numbered: 'git fetch --unshallow --tags' "
		    "fetches the history and its tags", record);
	return err;
}

/*
 * How far back a writing command looks for the change of a record that
 * its highest tag here does not cover (dipb_git_untagged_since): commits of the
 * branch's first-parent line, read only when the record at the tip is
 * not as that tag's commit has it (dipb-git(7), "Tags deleted, or left
 * on a rewritten commit").
 */
#define UNTAGGED_LOOKBACK	100

/* What record's changes change in commit c's tree (kept_at): *found 0
 * when none. */
static const struct dipb_error *
record_blob_of(git_oid *id, int *found, struct dipb_repo *r,
    const struct dipb_commit *c, const char *record)
{
	git_oid root;

	*found = 0;
	if (git_oid_fromstr(&root, c->tree) < 0)
		return NULL;
	return kept_at(id, found, r, &root, record);
}

/* Whether one of record's tags l leads to commit hex. */
static int
tagged(struct dipb_repo *r, const struct dipb_tagrefs *l, const char *hex)
{
	const struct dipb_error *err;
	char commit[GIT_OID_HEXSZ + 1];
	size_t i;
	int found;

	for (i = 0; i < l->n; i++) {
		found = 0;
		err = dipb_git_tagref_commit(commit, &found, r, &l->v[i]);
		dipb_error_free(err);
		if (err == NULL && found && strcmp(commit, hex) == 0)
			return 1;
	}
	return 0;
}

/*
 * Whether commit c is a dipb change of record, and of event when event is
 * not NULL: the trailers dipb writes (Dipb-Record: <record>, a
 * Dipb-Event), which a plain commit, a merge or a rewrite of dipb fmt
 * committed with git have not (the board's first change, dipb init, is
 * the first commit: it has no parent).
 */
static int
is_event_of(const struct dipb_commit *c, const char *record,
    const char *event)
{
	struct dipb_trailers t;
	const char *rec, *ev;
	int is;

	dipb_trailers_parse(&t, c->message, c->message_len);
	is = c->nparents <= 1 &&
	    dipb_trailers_get(&rec, &t, "Dipb-Record") == 1 &&
	    dipb_trailers_get(&ev, &t, "Dipb-Event") == 1 &&
	    strcmp(rec, record) == 0 && (event == NULL ||
	    strcmp(ev, event) == 0);
	dipb_trailers_release(&t);
	return is;
}

static int
is_change_of(const struct dipb_commit *c, const char *record)
{
	return is_event_of(c, record, NULL);
}

/*
 * The commits the tags of record numbered max lead to into *tops (n at
 * most l->n), the first one's name into *name; *holds 1 when one of them
 * has record as the tip has it (tip_blob): that tag is the record's last
 * change; *moved 1 when the first one's commit is no change of record
 * with its event (dipb-verify(1), tag-moved: moved by hand).
 */
static void
top_commits(char (*tops)[GIT_OID_HEXSZ + 1], size_t *n, const char **name,
    int *holds, int *moved, struct dipb_repo *r, const struct dipb_tagrefs *l,
    unsigned long max, const char *record, const git_oid *tip_blob)
{
	const struct dipb_error *err;
	struct dipb_commit c;
	git_oid blob;
	size_t i, ev;
	int found;

	*n = 0;
	*holds = 0;
	for (i = 0; i < l->n && !*holds; i++) {
		found = 0;
		err = NULL;
		if (dipb_tag_suffix(l->v[i].name, strlen(l->v[i].name),
		    &ev) != max || (err = dipb_git_tagref_commit(tops[*n],
		    &found, r, &l->v[i])) != NULL || !found) {
			dipb_error_free(err);
			continue;	/* dipb verify's to report */
		}
		if ((err = dipb_git_commit_read(&c, r, tops[*n])) != NULL) {
			dipb_error_free(err);
			continue;
		}
		found = 0;
		err = record_blob_of(&blob, &found, r, &c, record);
		dipb_error_free(err);
		*holds = err == NULL && found && git_oid_equal(&blob, tip_blob);
		if (*n == 0)
			*moved = !is_event_of(&c, record, l->v[i].name + ev);
		dipb_commit_release(&c);
		if ((*n)++ == 0)
			*name = l->v[i].name;
	}
}

/* Whether hex is one of tops[0..n). */
static int
is_top(char (*tops)[GIT_OID_HEXSZ + 1], size_t n, const char *hex)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(tops[i], hex) == 0)
			return 1;
	return 0;
}

/*
 * Whether commit c changes record against its first parent, *blob and
 * *found saying how c has it (record_blob_of): then they say how the parent
 * has it.
 */
static const struct dipb_error *
changes_record(int *changed, struct dipb_repo *r, const struct dipb_commit *c,
    const char *record, git_oid *blob, int *found)
{
	const struct dipb_error *err;
	struct dipb_commit p;
	git_oid pblob;
	int pfound = 0;

	*changed = 0;
	memset(&pblob, 0, sizeof(pblob));
	if ((err = dipb_git_commit_read(&p, r, c->parent)) != NULL)
		return err;
	err = record_blob_of(&pblob, &pfound, r, &p, record);
	dipb_commit_release(&p);
	if (err != NULL)
		return err;
	*changed = pfound != *found || (pfound && !git_oid_equal(&pblob,
	    blob));
	*blob = pblob;
	*found = pfound;
	return NULL;
}

static const struct dipb_error *untagged_from(struct dipb_strlist *,
    struct dipb_repo *, const char *, const struct dipb_tagrefs *,
    char (*)[GIT_OID_HEXSZ + 1], size_t, int, const char *, git_oid, int,
    int *, int *);

/*
 * err, met at commit hex by the search of record's missing tag, which it
 * ends: the refusal names where (untagged_from).
 */
static const struct dipb_error *
looking_error(const struct dipb_error *err, const char *record,
    const char *hex)
{
	const struct dipb_error *w;

	w = dipb_error_fmt(err->code, "at commit %s, while looking for %s's "
	    "missing tag: %s", hex, record, err->msg);
	dipb_error_free(err);
	return w;
}

/*
 * untagged_from p2, the second parent of a merge which changes record: a
 * change merged in (git merge of another clone's branch) whose tag was
 * not fetched is missing as one on the first-parent line is.
 */
static const struct dipb_error *
untagged_merged(struct dipb_strlist *changes, struct dipb_repo *r,
    const char *record, const struct dipb_tagrefs *l,
    char (*tops)[GIT_OID_HEXSZ + 1], size_t n, int far, const char *p2,
    int *partial)
{
	const struct dipb_error *err;
	struct dipb_commit c;
	git_oid blob;
	int found = 0;

	if ((err = dipb_git_commit_read(&c, r, p2)) != NULL)
		return looking_error(err, record, p2);
	memset(&blob, 0, sizeof(blob));
	err = record_blob_of(&blob, &found, r, &c, record);
	dipb_commit_release(&c);
	if (err != NULL)
		return looking_error(err, record, p2);
	return untagged_from(changes, r, record, l, tops, n, far, p2, blob,
	    found, NULL, partial);
}

/*
 * Whether the search of untagged_from is at its end, commit hex, which
 * has record as found says: a commit of tops[0..n), the record's highest
 * tags', or, with none (no tag of record here), one without the record,
 * before its first change.
 */
static int
at_top(char (*tops)[GIT_OID_HEXSZ + 1], size_t n, const char *hex,
    int found)
{
	return n > 0 ? is_top(tops, n, hex) : !found;
}

/*
 * The changes of record (a record's id, "board" or "meeting": kept_at)
 * on the first-parent line from commit start (which
 * has record as blob and found say), down to a commit of one of tops[0..n)
 * (its highest tags' commits; with n 0, down to the record's first
 * change), appended to *changes, the last first: none when there is none
 * to blame: the line does not reach such a commit within
 * UNTAGGED_LOOKBACK commits, or the last change is no dipb change (a
 * plain commit: dipb verify's plain-commit), or has a tag.  With n 0
 * (none of record's tags here), its last change being a dipb change is
 * enough, and, with far (the board's first tag missing here: a clone
 * with --no-tags, dipb_git_untagged_since), it is looked for however far
 * back it is (the newest commit that changes it, as git log -1 -- PATH
 * finds it): when the line does not reach the first change within
 * UNTAGGED_LOOKBACK commits of start, the changes found are kept and
 * *partial set (not all of them: they cannot be numbered).  A merge
 * there, merged not NULL, is asked of its second parent's line
 * (untagged_merged) instead, *merged set.  A commit or a tree on the way
 * that cannot be read is an error, not the end of the search: a change
 * it hides could be the one whose tag is missing (a shallow clone, whose
 * end would be one, is refused before, dipb_repo_check_change).
 */
static const struct dipb_error *
untagged_from(struct dipb_strlist *changes, struct dipb_repo *r,
    const char *record, const struct dipb_tagrefs *l,
    char (*tops)[GIT_OID_HEXSZ + 1], size_t n, int far, const char *start,
    git_oid blob, int found, int *merged, int *partial)
{
	const struct dipb_error *err = NULL;
	struct dipb_commit c;
	char cur[GIT_OID_HEXSZ + 1];
	size_t first = changes->n;
	int k, changed = 0;

	memcpy(cur, start, sizeof(cur));
	/* The board's first tag missing here, its last change is looked
	 * for however far. */
	for (k = 0; (k < UNTAGGED_LOOKBACK || (n == 0 && far &&
	    changes->n == first)) && err == NULL &&
	    !at_top(tops, n, cur, found); k++) {
		if ((err = dipb_git_commit_read(&c, r, cur)) != NULL)
			break;
		if (c.parent[0] == '\0') {
			/* The first commit (the board's first change, dipb
			 * init) changes what it has. */
			changed = found;
			found = 0;
		} else if ((err = changes_record(&changed, r, &c, record,
		    &blob, &found)) == NULL && changed &&
		    changes->n == first && merged != NULL && c.nparents > 1) {
			*merged = 1;
			err = untagged_merged(changes, r, record, l, tops, n,
			    far, c.parents[1], partial);
			dipb_commit_release(&c);
			return err;
		}
		if (err != NULL || (changed && changes->n == first &&
		    (!is_change_of(&c, record) || tagged(r, l, c.id)))) {
			dipb_commit_release(&c);
			break;	/* no dipb change to blame */
		}
		/* A plain commit or a merge takes no number. */
		if (changed && is_change_of(&c, record))
			dipb_strlist_push(changes, c.id);
		if (c.parent[0] == '\0') {
			dipb_commit_release(&c);
			break;	/* at its end: at_top when n is 0 */
		}
		memcpy(cur, c.parent, sizeof(cur));
		dipb_commit_release(&c);
	}
	if (err == NULL && n == 0 && !at_top(tops, n, cur, found))
		*partial |= changes->n > first;
	else if (err != NULL || !at_top(tops, n, cur, found))
		while (changes->n > first)
			free(changes->v[--changes->n]);
	return err != NULL ? looking_error(err, record, cur) : NULL;
}

/*
 * The git tag command that makes the tag of change hex, numbered n, again:
 * annotated, with the commit's subject as its message, as dipb makes it,
 * and signed (-s) when the board requires it (sign), so that dipb verify
 * finds it as dipb would have made it (dipb-git(7), "Tags deleted, or left
 * on a rewritten commit"); -f, force, replaces a tag moved by hand.  Its
 * change's author, who must run it, when email is not NULL: the board's
 * member of the commit's author email, when board names one, else the
 * commit's author: their email in *email, and "NAME <EMAIL>" cleaned for
 * a message (dipb_text_clean: text, never part of a command) in *author
 * (both "" when the commit cannot be read); caller frees.
 */
static char *
tag_again(char **email, char **author, const struct dipb_board *board,
    struct dipb_repo *r, const char *record, unsigned long n,
    const char *hex, int sign, int force)
{
	const struct dipb_member *m;
	const struct dipb_error *err;
	struct dipb_commit c;
	struct dipb_trailers t;
	const char *ev = "EVENT";
	char *subject, *q, *out;

	if ((err = dipb_git_commit_read(&c, r, hex)) != NULL) {
		dipb_error_free(err);
		if (email != NULL) {
			*email = xstrdup("");
			*author = xstrdup("");
		}
		return xasprintf("git tag%s %s %s/%lu-EVENT %.12s", force ?
		    " -f" : "", sign ? "-s" : "-a", record, n, hex);
	}
	if (email != NULL) {
		m = board != NULL ? dipb_board_member(board, c.author_email) :
		    NULL;
		*email = xstrdup(m != NULL ? m->email : c.author_email);
		q = xasprintf("%s <%s>", m != NULL ? m->name : c.author_name,
		    *email);
		*author = dipb_text_clean(q, strlen(q));
		free(q);
	}
	dipb_trailers_parse(&t, c.message, c.message_len);
	/* An event is a word of dipb's (dipb-git(7)): else it is not named. */
	if (dipb_trailers_get(&ev, &t, "Dipb-Event") != 1 || ev[0] == '\0' ||
	    strspn(ev, "abcdefghijklmnopqrstuvwxyz-") != strlen(ev))
		ev = "EVENT";
	subject = xstrndup(c.message, strcspn(c.message, "\n"));
	q = dipb_sh_quote(subject);
	out = xasprintf("git tag%s %s -m %s %s/%lu-%s %.12s", force ? " -f" :
	    "", sign ? "-s" : "-a", q, record, n, ev, hex);
	free(q);
	free(subject);
	dipb_trailers_release(&t);
	dipb_commit_release(&c);
	return out;
}

/*
 * The commands that make the tags of changes (the last first), numbered up
 * to n, again, the oldest first, joined by "&&", into b: by one author, the
 * commands alone; by several, as each must make their own changes' tags
 * (verify takes the tagger and the signature for the change's member,
 * dipb-git(7)), grouped by author's email, in the order of their first
 * change, each group "NAME <EMAIL> runs sh -c 'CMD && CMD'" (the member
 * board names, else the name as their first change spells it, as text;
 * the command one word quoted for the shell, after "sh -c" so that what
 * follows "runs" is pasted as it is), the groups joined by ", ".
 * Returns how many authors.
 */
static size_t
tags_again(struct dipb_buf *b, const struct dipb_board *board,
    struct dipb_repo *r, const char *record,
    const struct dipb_strlist *changes, unsigned long n, int sign)
{
	struct dipb_strlist cmds, emails, order, names;
	struct dipb_buf g;
	size_t i, k;
	char *em, *who, *q;

	dipb_strlist_init(&cmds);
	dipb_strlist_init(&emails);
	dipb_strlist_init(&order);
	dipb_strlist_init(&names);
	for (i = changes->n; i-- > 0;) {
		char *cmd = tag_again(&em, &who, board, r, record, n - i,
		    changes->v[i], sign, 0);

		dipb_strlist_push(&cmds, cmd);
		dipb_strlist_push(&emails, em);
		if (!dipb_strlist_contains(&order, em)) {
			dipb_strlist_push(&order, em);
			dipb_strlist_push(&names, who);
		}
		free(cmd);
		free(em);
		free(who);
	}
	for (k = 0; k < order.n; k++) {
		const char *sep = "";

		dipb_buf_init(&g);
		for (i = 0; i < cmds.n; i++)
			if (strcmp(emails.v[i], order.v[k]) == 0) {
				dipb_buf_printf(&g, "%s%s", sep, cmds.v[i]);
				sep = " && ";
			}
		if (order.n > 1) {
			q = dipb_sh_quote(g.ptr);
			dipb_buf_printf(b, "%s%s runs sh -c %s",
			    k > 0 ? ", " : "", names.v[k], q);
			free(q);
		} else
			dipb_buf_puts(b, g.ptr);
		dipb_buf_release(&g);
	}
	k = order.n;
	dipb_strlist_release(&cmds);
	dipb_strlist_release(&emails);
	dipb_strlist_release(&order);
	dipb_strlist_release(&names);
	return k;
}

/* The upstream of the branch (dipb_repo_upstream): a detached HEAD has
 * no branch, and so none. */
static const struct dipb_error *
branch_upstream(char **remote, char **branch, struct dipb_repo *r)
{
	return strncmp(r->branch_ref, "refs/heads/", 11) != 0 ?
	    dipb_error_fmt(DIPB_ERR_USAGE, "HEAD detached") :
	    dipb_repo_upstream(remote, branch, r, NULL);
}

/*
 * Whether the upstream's branch as last fetched (refs/remotes/REMOTE/
 * BRANCH) has commit hex: then the remote has its tag, which git fetch
 * can fetch again; a tag never pushed it cannot (git fetch fails), and
 * git tells which tags a remote has only by asking it.
 */
static int
upstream_has(struct dipb_repo *r, const char *remote, const char *branch,
    const char *hex)
{
	const struct dipb_error *err;
	char *ref = xasprintf("refs/remotes/%s/%s", remote, branch);
	char at[GIT_OID_HEXSZ + 1];
	int found = 0, has;

	err = dipb_git_ref(at, &found, r, ref);
	dipb_error_free(err);
	has = err == NULL && found && dipb_git_in_history(r, at, hex);
	free(ref);
	return has;
}

/*
 * Whether remote's tag (RECORD/N-EVENT) is the one here, as this clone
 * last fetched it: dipb sync's copy of the remote's tags
 * (refs/dipb/remote/REMOTE/tags/TAG), which the fetch a refusal gives
 * keeps too (dipb_tag_refetch).  Then the remote's tag was moved too
 * (pushed with --force), and fetching it again would change nothing;
 * lease: the tag here, what the remote had (git push's
 * --force-with-lease).
 */
static int
remote_tag_as_here(struct dipb_repo *r, const char *remote, const char *tag,
    char lease[GIT_OID_HEXSZ + 1])
{
	const struct dipb_error *err;
	char *ref = xasprintf("refs/tags/%s", tag), *copy;
	git_oid here, there;
	int found = 0, as = 0;

	copy = xasprintf("refs/dipb/remote/%s/tags/%s", remote, tag);
	if ((err = dipb_git_ref_read(&here, &found, r, ref)) == NULL &&
	    found && (err = dipb_git_ref_read(&there, &found, r, copy)) ==
	    NULL && found && git_oid_equal(&here, &there)) {
		as = 1;
		git_oid_tostr(lease, GIT_OID_HEXSZ + 1, &here);
	}
	dipb_error_free(err);
	free(copy);
	free(ref);
	return as;
}

/*
 * Whether this clone's tags are missing (*none): the board's first tag,
 * board/1-created, which its first change has on every board, is not
 * here, as in a clone made with --no-tags, whatever tags were made in it
 * since.  One ref looked up.
 */
static const struct dipb_error *
tags_none(int *none, struct dipb_repo *r)
{
	const struct dipb_error *err;
	git_oid id;
	int found = 0;

	err = dipb_git_ref_read(&id, &found, r, "refs/tags/"
	    DIPB_BOARD_RECORD "/1-created");
	*none = err == NULL && !found;
	return err;
}

/*
 * "git push --force-with-lease=refs/tags/TAG:LEASE REMOTE tag TAG", each
 * word shell-quoted: tag pushed to remote unless the remote's is no
 * longer lease, its tag object as this clone fetched it.
 */
static char *
leased_push(const char *remote, const char *tag, const char *lease)
{
	char *q = dipb_sh_quote(remote), *t = dipb_sh_quote(tag), *l, *o, *out;

	o = xasprintf("--force-with-lease=refs/tags/%s:%s", tag, lease);
	l = dipb_sh_quote(o);
	out = xasprintf("git push %s %s tag %s", l, q, t);
	free(l);
	free(o);
	free(t);
	free(q);
	return out;
}

/*
 * The way out of a highest tag moved by hand that no fetch brings back
 * (untagged_way_out): tag put back on its change (of changes, numbered
 * up to n), the first after the tag's commit, as its author; when
 * remote's tag is moved too (again: not NULL), pushed there so, unless
 * the remote's has changed since this clone fetched it (lease: git push
 * --force-with-lease), as every clone would otherwise meet it; else
 * lacks: the change was never pushed, or there is no upstream.
 */
static char *
put_back_way_out(struct dipb_repo *r, const char *record,
    const struct dipb_strlist *changes, unsigned long n, int sign, int lacks,
    const char *again, const char *tag, const char *lease)
{
	char *cmd, *push, *out;

	cmd = tag_again(NULL, NULL, NULL, r, record, n - changes->n + 1,
	    changes->v[changes->n - 1], sign, 1);
	push = again != NULL ? leased_push(again, tag, lease) : NULL;
	out = xasprintf("%s: put it back on its change, as its author "
	    "(dipb verify names it, tag-moved)%s, then retry: %s%s%s",
	    lacks ? "its change is not on the upstream branch, so the "
	    "remote lacks the tag (never pushed)" : again != NULL ? "the "
	    "remote's tag is moved too (as this clone last fetched it)" :
	    "the branch has no upstream to fetch it from", again != NULL ?
	    ", and push it to the remote so" : "", cmd,
	    push != NULL ? " && " : "", push != NULL ? push : "");
	free(push);
	free(cmd);
	return out;
}

/*
 * The way out of dipb_git_untagged_since's refusal, ending in the command to
 * run: with an upstream, dipb sync, which fetches the remote's tags, or, for
 * a change merged in (which dipb sync refuses to replay), git fetch of the
 * remote's tags, or, for a highest tag moved by hand (moved: dipb sync keeps
 * the local one), git fetch --force of that tag (name), when the upstream
 * has its change (upstream_has) and the remote's tag, as this clone last
 * saw it, is not the one here (remote_tag_as_here: fetching it again
 * would change nothing); without one (no remote to fetch a tag from), the
 * tags of changes (the last first), numbered up to n, made again with
 * git (in words when partial: changes are not all the record's,
 * untagged_from), or the moved tag put back on its change
 * (put_back_way_out); each by its author, named as board's member (may be
 * NULL: as the commit names them, tags_again).
 */
static char *
untagged_way_out(struct dipb_repo *r, const struct dipb_board *board,
    const char *record, const struct dipb_strlist *changes,
    unsigned long n, int merged, const char *name, int moved, int partial,
    int sign)
{
	const struct dipb_error *err;
	struct dipb_buf b, tags;
	char *remote = NULL, *branch = NULL, *cmd = NULL, *tag, *out;
	char lease[GIT_OID_HEXSZ + 1];
	size_t who;
	int lacks, again;

	err = branch_upstream(&remote, &branch, r);
	lacks = err == NULL && moved && !upstream_has(r, remote, branch,
	    changes->v[changes->n - 1]);
	tag = moved ? xasprintf("%s/%s", record, name) : NULL;
	again = err == NULL && moved && !lacks &&
	    remote_tag_as_here(r, remote, tag, lease);
	if (err == NULL && moved && !lacks && !again)
		cmd = dipb_tag_refetch(remote, tag, NULL);
	else if (err == NULL && merged)
		cmd = dipb_sh_quote(remote);
	out = err != NULL || lacks || again ? NULL : moved ?
	    xasprintf("dipb sync keeps a tag moved here: fetch it again from "
	    "the remote, then retry: %s", cmd) : merged ?
	    xasprintf("it was merged in (git merge): fetch the remote's "
	    "tags, then retry: git fetch %s 'refs/tags/*:refs/tags/*'", cmd) :
	    xstrdup("run dipb sync, which fetches the remote's tags and "
	    "makes a change the remote lacks again, then retry");
	free(cmd);
	if (out == NULL && moved)
		out = put_back_way_out(r, record, changes, n, sign, lacks,
		    again ? remote : NULL, tag, lease);
	free(tag);
	free(remote);
	free(branch);
	dipb_error_free(err);
	if (out != NULL)
		return out;
	if (partial)
		return xstrdup("the branch has no upstream to fetch them "
		    "from: make them again with git tag, as dipb makes them, "
		    "each by its change's author (dipb verify names every "
		    "missing tag, tag-missing), then retry");
	dipb_buf_init(&tags);
	who = tags_again(&tags, board, r, record, changes, n, sign);
	dipb_buf_init(&b);
	dipb_buf_printf(&b, "the branch has no upstream to fetch %s from: "
	    "make %s again, %s (dipb verify names every missing tag, "
	    "tag-missing), then retry%s%s", changes->n > 1 ? "them" : "it",
	    changes->n > 1 ? "them" : "it", who > 1 ? "each as its change's "
	    "author, with their key" : changes->n > 1 ? "as their author" :
	    "as its author", who > 1 ? "; " : ": ",
	    tags.ptr != NULL ? tags.ptr : "");
	dipb_buf_release(&tags);
	return dipb_buf_detach(&b);
}

/*
 * A dipb change of record after its highest tag here (of number max,
 * among l; max 0: it has none here), whose own tag this clone lacks
 * (deleted with git tag -d, not fetched: a clone with --no-tags, or
 * moved by hand onto another commit).  Numbered from the tags here, the
 * next change would take that missing tag's number, and clash with it
 * once it is fetched back (dipb-verify(1), tag-number); it is refused
 * before it writes anything, naming that change, the highest tag, and
 * how to get the missing one back (untagged_way_out; sign: the board
 * requires signing; board names its members, or NULL).  Only a change
 * with dipb's trailers counts: a plain commit of the record (dipb fmt's
 * rewrite committed with git, a merge resolved by hand) has no tag to
 * miss.  The record at the tip is compared with the record at the
 * highest tag's commit first (two blobs); only when they differ, or it
 * has no tag here, is the first-parent line read, UNTAGGED_LOOKBACK
 * commits at most, or, the board's first tag missing here
 * (tags_none: a clone with --no-tags, whose every record lacks
 * its tags, whatever tags were made in it since), down to its last
 * change however far (untagged_from; dipb-git(7), "Tags deleted, or left on a
 * rewritten commit"): a record a plain commit added, whose tags are not
 * missing but never were, costs no walk of the whole history.
 */
const struct dipb_error *
dipb_git_untagged_since(struct dipb_repo *r, const struct dipb_board *board,
    const char *record, const struct dipb_tagrefs *l, unsigned long max,
    int sign)
{
	const struct dipb_error *err = NULL;
	char (*tops)[GIT_OID_HEXSZ + 1], *way;
	char tip[GIT_OID_HEXSZ + 1];
	struct dipb_strlist changes;
	const char *name = NULL;
	git_oid tip_blob;
	size_t n = 0;
	int found = 0, holds = 0, merged = 0, moved = 0, partial = 0, far = 0;

	if (dipb_git_tip_root(r) == NULL || (err = kept_at(&tip_blob, &found,
	    r, dipb_git_tip_root(r), record)) != NULL || !found ||
	    (l->n == 0 && (err = tags_none(&far, r)) != NULL))
		return err;
	tops = xcalloc(l->n + 1, sizeof(*tops));
	if (max > 0)
		top_commits(tops, &n, &name, &holds, &moved, r, l, max, record,
		    &tip_blob);
	dipb_strlist_init(&changes);
	if (!holds && (max == 0 || n > 0)) {
		git_oid_tostr(tip, sizeof(tip), &r->tip);
		err = untagged_from(&changes, r, record, l, tops, n, far, tip,
		    tip_blob, 1, &merged, &partial);
	}
	if (err == NULL && changes.n > 0) {
		way = untagged_way_out(r, board, record, &changes, max +
		    changes.n - (moved ? 1 : 0), merged, name, moved, partial,
		    sign);
		err = max == 0 ? dipb_error_fmt(DIPB_ERR_GIT, "%s changed in "
		    "%.7s, and none of its tags is here (deleted, or never "
		    "fetched: a clone with --no-tags), so the next change "
		    "cannot be numbered; %s", record, changes.v[0], way) :
		    moved ? dipb_error_fmt(DIPB_ERR_GIT, "%s changed in %.7s, "
		    "and its highest tag here, %s/%s, is on %.7s, which is no "
		    "change of its event (moved by hand), so the next change "
		    "cannot be numbered; %s", record, changes.v[0], record,
		    name, tops[0], way) :
		    dipb_error_fmt(DIPB_ERR_GIT, "%s changed in %.7s, after "
		    "%s/%s (%.7s), its highest tag here, and the tag of that "
		    "change is missing (deleted, or never fetched), so the "
		    "next change cannot be numbered; %s", record, changes.v[0],
		    record, name, tops[0], way);
		free(way);
	}
	dipb_strlist_release(&changes);
	free(tops);
	return err;
}

/* One of a record's tags of dipb's form, its number and commit. */
struct tag_at {
	unsigned long	n;
	size_t		i;		/* its index in the record's tags */
	const char	*event;
	char		commit[GIT_OID_HEXSZ + 1];
};

/* Tags' numbers in order. */
static int
number_cmp(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a;
	unsigned long y = *(const unsigned long *)b;

	return (x > y) - (x < y);
}

/* tag_at by commit, then by number. */
static int
tag_at_cmp(const void *a, const void *b)
{
	const struct tag_at *x = a, *y = b;
	int c = strcmp(x->commit, y->commit);

	return c != 0 ? c : number_cmp(&x->n, &y->n);
}

/* Whether n is more than one of the sorted nums[0..k). */
static int
twinned(const unsigned long *nums, size_t k, unsigned long n)
{
	const unsigned long *p = bsearch(&n, nums, k, sizeof(*nums),
	    number_cmp);

	return p != NULL && ((p > nums && p[-1] == n) ||
	    (p + 1 < nums + k && p[1] == n));
}

/*
 * Into v (as many as l->n), the tags of l numbered within
 * UNTAGGED_LOOKBACK of the highest, max, each read once for its commit
 * (one that leads to none is dipb verify's), sorted by commit; returns
 * how many.  One whose number another tag has too is left out: a
 * change's own tag and an extra made beside it by hand (dipb-git(7),
 * "Tags of another form"), not a tag moved, which leaves its number to
 * no other.
 */
static size_t
tags_at(struct tag_at *v, struct dipb_repo *r, const struct dipb_tagrefs *l,
    unsigned long max)
{
	const struct dipb_error *err;
	unsigned long *nums = xcalloc(l->n + 1, sizeof(*nums));
	size_t i, k = 0, ev;
	int found;

	for (i = 0; i < l->n; i++)
		nums[i] = dipb_tag_suffix(l->v[i].name, strlen(l->v[i].name),
		    &ev);
	qsort(nums, l->n, sizeof(*nums), number_cmp);
	for (i = 0; i < l->n; i++) {
		found = 0;
		v[k].n = dipb_tag_suffix(l->v[i].name, strlen(l->v[i].name),
		    &ev);
		if (v[k].n == 0 || v[k].n + UNTAGGED_LOOKBACK <= max ||
		    twinned(nums, l->n, v[k].n))
			continue;
		err = dipb_git_tagref_commit(v[k].commit, &found, r, &l->v[i]);
		dipb_error_free(err);
		v[k].event = l->v[i].name + ev;
		if (err == NULL && found)
			v[k++].i = i;
	}
	free(nums);
	qsort(v, k, sizeof(*v), tag_at_cmp);
	return k;
}

/*
 * Whether the tags v[0..n) (tags_at, by number), all on commit hex, show
 * one moved there: one numbered below every one of that commit's event,
 * when it is a dipb change of record (a change's own tag is of its event;
 * one below it came from an earlier change; one above it, of another
 * event, is an extra made beside it, numbered past, or one whose own
 * change is later, dipb_git_untagged_since's).  Two of its event there are not:
 * which is its own and which an extra made by hand (dipb-git(7), "Tags of
 * another form") or moved only the history tells, as dipb verify counts
 * it (tag-extra, tag-moved); the next change is numbered past both.  *lo
 * and *hi: the one moved and the lowest of the commit's event.
 */
static int
one_moved(size_t *lo, size_t *hi, const struct tag_at *v, size_t n,
    struct dipb_repo *r, const char *record)
{
	const struct dipb_error *err;
	struct dipb_commit c;
	size_t m;

	if (n < 2)
		return 0;
	if ((err = dipb_git_commit_read(&c, r, v[0].commit)) != NULL) {
		dipb_error_free(err);
		return 0;	/* dipb verify's to report */
	}
	for (m = 0; m < n && !is_event_of(&c, record, v[m].event); m++)
		;
	dipb_commit_release(&c);
	*lo = 0;
	*hi = m;
	return m > 0 && m < n;
}

/*
 * The first of v[0..n) (tags_at, sorted by commit, then number) of a
 * commit whose tags show one moved there (one_moved), its two into *lo
 * and *hi; 0 when there is none.
 */
static int
two_on_one(size_t *lo, size_t *hi, const struct tag_at *v, size_t n,
    struct dipb_repo *r, const char *record)
{
	size_t i, e;

	for (i = 0; i < n; i = e) {
		for (e = i + 1; e < n && strcmp(v[e].commit, v[i].commit) == 0;
		    e++)
			;
		if (one_moved(lo, hi, v + i, e - i, r, record)) {
			*lo += i;
			*hi += i;
			return 1;
		}
	}
	return 0;
}

/*
 * The way out of dipb_git_tags_moved's refusal, of tags a and b on commit hex:
 * with an upstream that has that commit and the branch's tip
 * (upstream_has: the changes both tags belong to were pushed, and so
 * were their tags), the command that fetches both again (dipb sync keeps
 * a tag moved here), unless the remote's are both the ones here, as this
 * clone last saw them (remote_tag_as_here); else in words: dipb verify
 * names the change the moved one belongs to, where git tag -f puts it
 * back (and, the remote's moved too, git push --force-with-lease puts
 * it there).
 */
static char *
tags_moved_way_out(struct dipb_repo *r, const char *a, const char *b,
    const char *hex)
{
	const struct dipb_error *err;
	char *remote = NULL, *branch = NULL, *cmd, *pa = NULL, *pb = NULL, *out;
	char tip[GIT_OID_HEXSZ + 1], la[GIT_OID_HEXSZ + 1];
	char lb[GIT_OID_HEXSZ + 1];
	int none, has, again;

	git_oid_tostr(tip, sizeof(tip), &r->tip);
	err = branch_upstream(&remote, &branch, r);
	none = err != NULL;
	dipb_error_free(err);
	has = !none && upstream_has(r, remote, branch, hex) &&
	    upstream_has(r, remote, branch, tip);
	again = has && remote_tag_as_here(r, remote, a, la) &&
	    remote_tag_as_here(r, remote, b, lb);
	if (again) {
		pa = leased_push(remote, a, la);
		pb = leased_push(remote, b, lb);
	}
	if (has && !again) {
		cmd = dipb_tag_refetch(remote, a, b);
		out = xasprintf("dipb sync keeps a tag moved here: fetch both "
		    "again from the remote, then retry: %s", cmd);
		free(cmd);
	} else
		out = xasprintf("%s: dipb verify names the change the moved "
		    "one belongs to (tag-moved); put it back there with git "
		    "tag -f, as that change's author%s%s%s%s%s, then retry",
		    none ? "the branch has no upstream to fetch them from" :
		    again ? "the remote's tags are the same (as this clone "
		    "last fetched them)" : "the upstream branch lacks changes "
		    "of this one, so the remote may lack the tags (never "
		    "pushed)", again ? ", and push it to the remote so, "
		    "leased on the remote's tag as fetched (" : "",
		    again ? pa : "", again ? ", or " : "", again ? pb : "",
		    again ? ")" : "");
	free(pa);
	free(pb);
	free(remote);
	free(branch);
	return out;
}

/*
 * dipb makes one tag a change: one of record's tags l on a dipb change of
 * record, numbered below every one there of that change's event (its
 * own), each the only tag of its number, was moved there by hand (git
 * tag -f) from an earlier change of another event (one_moved; the tag's
 * message is not compared, as dipb verify does not), and the tags no
 * longer say which change is which, nor the next number.  Refused,
 * naming both (tags_moved_way_out); dipb verify reports the change the
 * moved one belongs to (tag-moved).  A tag whose number another has too
 * is an extra, numbered past (tags_at).  Only the tags numbered within
 * UNTAGGED_LOOKBACK of the highest, max, are read, each once.
 */
const struct dipb_error *
dipb_git_tags_moved(struct dipb_repo *r, const char *record,
    const struct dipb_tagrefs *l, unsigned long max)
{
	const struct dipb_error *err;
	struct tag_at *v = xcalloc(l->n + 1, sizeof(*v));
	char *a, *b, *way;
	size_t n = tags_at(v, r, l, max), i, h;

	if (!two_on_one(&i, &h, v, n, r, record)) {
		free(v);
		return NULL;
	}
	a = xasprintf("%s/%s", record, l->v[v[i].i].name);
	b = xasprintf("%s/%s", record, l->v[v[h].i].name);
	way = tags_moved_way_out(r, a, b, v[i].commit);
	err = dipb_error_fmt(DIPB_ERR_GIT, "%s's tags %s and %s are both on "
	    "%.7s, and dipb makes one tag a change: one was moved there by "
	    "hand, so its tags no longer say which change is which and the "
	    "next change cannot be numbered; %s", record, a, b, v[i].commit,
	    way);
	free(way);
	free(a);
	free(b);
	free(v);
	return err;
}

/*
 * replay/plan.c - what is local, or why it cannot be replayed
 * (dipb_replay_plan): the local commits classified as dipb changes, each
 * with its local tag; a remote without the branch; the tags the remote
 * lacks (dipb_replay_unpushed).
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "../hashmap.h"
#include "../meeting.h"
#include "../trailer.h"

/*
 * The name of record's local tag on commit: "<record>/<N>-<event>" among
 * refs/tags/<record>/ whose tag object tags commit; NULL when none.
 */
static const struct dipb_error *
find_tag(char **out, struct dipb_repo *repo, const char *record,
    const char *event, const char *commit)
{
	const struct dipb_error *err;
	struct dipb_strlist names = DIPB_STRLIST_INIT;
	enum dipb_object_type type;
	char *folder = xasprintf(TAGS_PREFIX "%s/", record), *ref;
	char id[DIPB_OID_HEX + 1], peeled[DIPB_OID_HEX + 1];
	size_t i, ev;
	int found, annotated;

	*out = NULL;
	err = dipb_repo_ref_names(&names, repo, folder);
	for (i = 0; i < names.n && err == NULL && *out == NULL; i++) {
		if (dipb_tag_suffix(names.v[i], strlen(names.v[i]), &ev) == 0 ||
		    strcmp(names.v[i] + ev, event) != 0)
			continue;
		ref = xasprintf("%s%s", folder, names.v[i]);
		err = dipb_git_ref(id, &found, repo, ref);
		free(ref);
		if (err != NULL || !found)
			continue;
		if ((err = dipb_git_tag_peel(peeled, &type, &annotated, repo,
		    id)) != NULL)
			break;
		if (annotated && strcmp(peeled, commit) == 0)
			*out = xasprintf("%s/%s", record, names.v[i]);
	}
	dipb_strlist_release(&names);
	free(folder);
	return err;
}

/* Whether commits a and b have one body (dipb_rpl_body_of), or none. */
static int
same_body(const struct dipb_commit *a, const struct dipb_commit *b)
{
	char *x = dipb_rpl_body_of(a->message, a->message_len);
	char *y = dipb_rpl_body_of(b->message, b->message_len);
	int same = (x == NULL) == (y == NULL) && (x == NULL ||
	    strcmp(x, y) == 0);

	free(x);
	free(y);
	return same;
}

/*
 * Whether commit y is a change of ch's record and event by the author of
 * ch's commit c at the same second, as a rewrite (git commit --amend, git
 * rebase, git filter-branch) keeps them; with files, of the same body
 * (the text a member gave, -m) changing the same files alike too, as a
 * rewrite of its subject does.
 */
static const struct dipb_error *
same_change(int *same, struct dipb_repo *repo, const char *y,
    const struct dipb_replay_change *ch, const struct dipb_commit *c,
    int files)
{
	const struct dipb_error *err;
	struct dipb_commit yc;
	struct dipb_trailers t;
	const char *record, *event;

	*same = 0;
	if ((err = dipb_git_commit_read(&yc, repo, y)) != NULL)
		return err;
	dipb_trailers_parse(&t, yc.message, yc.message_len);
	*same = dipb_trailers_get(&record, &t, "Dipb-Record") == 1 &&
	    dipb_trailers_get(&event, &t, "Dipb-Event") == 1 &&
	    strcmp(record, ch->old_record) == 0 &&
	    strcmp(event, ch->event) == 0 && yc.author_email != NULL &&
	    c->author_email != NULL &&
	    strcmp(yc.author_email, c->author_email) == 0 &&
	    yc.author_time == c->author_time &&
	    yc.author_offset == c->author_offset &&
	    yc.author_name != NULL && c->author_name != NULL &&
	    strcmp(yc.author_name, c->author_name) == 0;
	dipb_trailers_release(&t);
	if (*same && files)
		*same = same_body(&yc, c);
	dipb_commit_release(&yc);
	if (*same && files)
		return dipb_rpl_same_files(same, repo, y, c->id);
	return NULL;
}

/*
 * Whether the tag of ch's record leading to commit y is the tag ch had
 * before its commit c was rewritten (git commit --amend, git rebase): y
 * is a change of that record and event by the same author at the same
 * second (same_change: another branch's change is another second's), and
 * is known not to be in tip's history (where it is a change of its own:
 * when that cannot be told, a commit missing, the tag is not taken).
 * The walk is asked last, of the few tags that pass the rest.
 */
static const struct dipb_error *
was_its_tag(int *was, struct dipb_repo *repo, const char *tip,
    const struct dipb_replay_change *ch, const struct dipb_commit *c,
    const char *y)
{
	const struct dipb_error *err;

	if ((err = same_change(was, repo, y, ch, c, 0)) != NULL || !*was)
		return err;
	if (dipb_git_history_has(repo, tip, y) != 0) {
		*was = 0;
		return NULL;
	}
	return dipb_git_left_behind(was, repo, y);
}

/*
 * Whether a branch of the remote, its refs under heads as sync fetched
 * them ("refs/remotes/R/", those directly in it: a branch "a/b" is not
 * asked), reaches commit y.
 */
static int
on_any_branch(struct dipb_repo *repo, const char *heads, const char *y)
{
	const struct dipb_error *err;
	struct dipb_strlist names = DIPB_STRLIST_INIT;
	char *ref, tip[DIPB_OID_HEX + 1];
	size_t i;
	int found, on = 0;

	/* A ref not read is a branch not asked: nothing counts published. */
	err = dipb_repo_ref_names(&names, repo, heads);
	for (i = 0; err == NULL && i < names.n && !on; i++) {
		ref = xasprintf("%s%s", heads, names.v[i]);
		if ((err = dipb_git_ref(tip, &found, repo, ref)) == NULL)
			on = found && dipb_git_in_history(repo, tip, y);
		free(ref);
	}
	dipb_error_free(err);
	dipb_strlist_release(&names);
	return on;
}

/*
 * Whether commit y, which a tag the remote holds names, is published on
 * the remote's branch: its tip, or in its history.  A tag the remote
 * holds on a commit off its branch (of another branch, or pushed alone)
 * publishes nothing there.  A remote without the branch (a branch new
 * there, git switch -c) has no history to ask: then a change another of
 * its branches holds is published (on_any_branch); a tag pushed alone
 * still publishes nothing.
 */
static int
on_remote(struct dipb_repo *repo, const struct dipb_replay *p, const char *y)
{
	if (p->remote_tip[0] == '\0')
		return p->upstream_heads != NULL &&
		    on_any_branch(repo, p->upstream_heads, y);
	return dipb_git_in_history(repo, p->remote_tip, y);
}

/*
 * The remote's change that ch, of commit c, rewrites into ch->published
 * (git filter-branch --tag-name-filter cat, which moves the change's tag
 * onto its new commit, as a rebase or an amend followed by git tag -f
 * does): the remote's tag of ch's tag's name on another commit of the
 * remote's branch (on_remote) by the same author at the same second,
 * with the same body, which changes the files as c does (same_change),
 * as git's rewrites keep them.  Two clones that each made a change of
 * one record under one tag name (two drafts of IC-0001) made two, by two
 * members, at two times, or of two texts or bodies: those are renumbered
 * or judged again, never taken for one.
 */
static const struct dipb_error *
published_twin(struct dipb_replay_change *ch, struct dipb_repo *repo,
    const struct dipb_replay *p, const struct dipb_commit *c)
{
	const struct dipb_error *err;
	enum dipb_object_type type;
	char *ref = xasprintf("%s%s", p->upstream_tags, ch->old_tag);
	char id[DIPB_OID_HEX + 1], y[DIPB_OID_HEX + 1];
	int found, annotated, same = 0;

	if ((err = dipb_git_ref(id, &found, repo, ref)) == NULL && found &&
	    (err = dipb_git_tag_peel(y, &type, &annotated, repo, id)) ==
	    NULL && type == DIPB_OBJECT_COMMIT && strcmp(y, c->id) != 0 &&
	    on_remote(repo, p, y))
		err = same_change(&same, repo, y, ch, c, 1);
	free(ref);
	if (err == NULL && same) {
		ch->published = xstrdup(ch->old_tag);
		memcpy(ch->published_commit, y, sizeof(ch->published_commit));
	}
	return err;
}

/* Whether tag (a record's "IC-0001/2-edited") is one of changes[0..n). */
static int
claimed(const struct dipb_replay_change *changes, size_t n, const char *tag)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((changes[i].old_tag != NULL &&
		    strcmp(changes[i].old_tag, tag) == 0) ||
		    (changes[i].published != NULL &&
		    strcmp(changes[i].published, tag) == 0))
			return 1;
	return 0;
}

/*
 * Whether the local tag ref of ch's record (name, "2-review-requested")
 * is the tag ch, of commit c, had: a lightweight tag on c, or an
 * annotated one it had before c was rewritten (was_its_tag); *y its
 * commit, *id what the ref names.
 */
static const struct dipb_error *
former_candidate(int *was, char y[DIPB_OID_HEX + 1],
    char id[DIPB_OID_HEX + 1], struct dipb_repo *repo, const char *tip,
    const struct dipb_replay_change *ch, const struct dipb_commit *c,
    const char *ref)
{
	const struct dipb_error *err;
	enum dipb_object_type type;
	int found, annotated;

	*was = 0;
	if ((err = dipb_git_ref(id, &found, repo, ref)) != NULL || !found ||
	    (err = dipb_git_tag_peel(y, &type, &annotated, repo, id)) !=
	    NULL || type != DIPB_OBJECT_COMMIT)
		return err;
	if (!annotated)
		*was = strcmp(y, c->id) == 0;
	else
		err = was_its_tag(was, repo, tip, ch, c, y);
	return err;
}

/*
 * The number of the tag of the last of changes[0..k) of record (its own,
 * or the one it had before a rewrite, or the remote's it rewrites); 0
 * when none has one.
 */
static unsigned long
previous_number(const struct dipb_replay_change *changes, size_t k,
    const char *record)
{
	const char *tag;
	size_t ev, len = strlen(record);

	while (k-- > 0) {
		tag = changes[k].published != NULL ? changes[k].published :
		    changes[k].old_tag;
		if (tag != NULL && changes[k].old_record != NULL &&
		    strcmp(changes[k].old_record, record) == 0)
			return dipb_tag_suffix(tag + len + 1,
			    strlen(tag + len + 1), &ev);
	}
	return 0;
}

/*
 * How well a candidate tag numbered n, on commit y, fits ch of commit c,
 * the record's previous change here being numbered prev: 3, y has c's
 * body and changes the files as c does (the rewrite of that very
 * change); 2, n is above prev (the record's changes keep their order);
 * 1, any other.
 */
static const struct dipb_error *
fit(int *rank, struct dipb_repo *repo, const struct dipb_replay_change *ch,
    const struct dipb_commit *c, const char *y, unsigned long n,
    unsigned long prev)
{
	const struct dipb_error *err;
	int same;

	*rank = n > prev ? 2 : 1;
	if ((err = same_change(&same, repo, y, ch, c, 1)) == NULL && same)
		*rank = 3;
	return err;
}

/*
 * Whether a candidate of rank r numbered n is better than the best so
 * far (rank br, number bn; br 0: none): a higher rank; of one rank, the
 * lowest number, but of rank 1 the highest (a tag left on a commit that
 * git reset --hard removed, the newest of the record's changes).
 */
static int
better(int r, unsigned long n, int br, unsigned long bn)
{
	return r > br || (r == br && (r == 1 ? n > bn : n < bn));
}

/*
 * For ch (changes[k]), of commit c, which has no annotated tag of its own
 * (find_tag): the tag of its record and event that it had before its
 * commit was rewritten, or a lightweight tag of its name on c
 * (former_candidate); of several, the one that fits best (fit, better):
 * changes are planned oldest first, and each takes the tag of its own
 * body and files, else the lowest number after its record's previous
 * change, else the highest.  One the remote holds as this clone does,
 * on a commit of the remote's branch (on_remote), is published: ch
 * rewrites a change the remote has (ch->published), and is dropped.
 * Else it is ch's (ch->old_tag, ch->rewritten): ch is made again, in its
 * place.  None found: ch has no tag, and is made again too (cannot_go).
 * The earlier changes (changes[0..k)) keep theirs.
 */
static const struct dipb_error *
former_tag(struct dipb_repo *repo, const struct dipb_replay *p,
    struct dipb_replay_change *changes, size_t k, const struct dipb_commit *c)
{
	const struct dipb_error *err;
	struct dipb_replay_change *ch = &changes[k];
	struct dipb_strlist names = DIPB_STRLIST_INIT;
	char *folder = xasprintf(TAGS_PREFIX "%s/", ch->old_record), *ref;
	char *tag, *best = NULL, id[DIPB_OID_HEX + 1], y[DIPB_OID_HEX + 1];
	char best_id[DIPB_OID_HEX + 1], best_y[DIPB_OID_HEX + 1];
	char theirs[DIPB_OID_HEX + 1];
	unsigned long n, top = 0, prev = previous_number(changes, k,
	    ch->old_record);
	size_t i, ev;
	int found = 0, was = 0, rank = 0, best_rank = 0;

	err = dipb_repo_ref_names(&names, repo, folder);
	for (i = 0; i < names.n && err == NULL; i++) {
		if ((n = dipb_tag_suffix(names.v[i], strlen(names.v[i]),
		    &ev)) == 0 || strcmp(names.v[i] + ev, ch->event) != 0)
			continue;
		tag = xasprintf("%s/%s", ch->old_record, names.v[i]);
		ref = xasprintf("%s%s", folder, names.v[i]);
		if (!claimed(changes, k, tag) && (err = former_candidate(&was,
		    y, id, repo, p->tip, ch, c, ref)) == NULL && was &&
		    (err = fit(&rank, repo, ch, c, y, n, prev)) == NULL &&
		    better(rank, n, best_rank, top)) {
			free(best);
			best = tag;
			tag = NULL;
			top = n;
			best_rank = rank;
			memcpy(best_id, id, sizeof(best_id));
			memcpy(best_y, y, sizeof(best_y));
		}
		free(tag);
		free(ref);
	}
	if (err == NULL && best != NULL && p->upstream_tags != NULL) {
		ref = xasprintf("%s%s", p->upstream_tags, best);
		err = dipb_git_ref(theirs, &found, repo, ref);
		free(ref);
		found = found && strcmp(theirs, best_id) == 0 &&
		    on_remote(repo, p, best_y);
	}
	if (err == NULL && best != NULL && found) {
		ch->published = best;
		memcpy(ch->published_commit, best_y,
		    sizeof(ch->published_commit));
	} else if (err == NULL && best != NULL) {
		ch->old_tag = best;
		ch->rewritten = 1;
	} else
		free(best);
	dipb_strlist_release(&names);
	free(folder);
	return err;
}

/*
 * What a local change changes[k], of commit c, is beyond its own tag
 * (describe): the tag it had before a rewrite (former_tag), or the
 * remote's change it rewrites (published_twin).
 */
static const struct dipb_error *
rewritten(struct dipb_repo *repo, const struct dipb_replay *p,
    struct dipb_replay_change *changes, size_t k, const struct dipb_commit *c)
{
	const struct dipb_error *err = NULL;

	if (changes[k].old_tag == NULL)
		err = former_tag(repo, p, changes, k, c);
	else if (p->upstream_tags != NULL)
		err = published_twin(&changes[k], repo, p, c);
	return err;
}

/* The refusal of a local commit that is no dipb change. */
static const struct dipb_error *
not_dipb(const struct dipb_commit *c, const char *what)
{
	char *subject = dipb_message_title(NULL, c->message, c->message_len);
	const struct dipb_error *err;

	err = dipb_error_fmt(DIPB_ERR_NOT_DIPB, "local commit %.7s (\"%s\") "
	    "%s: dipb sync replays dipb changes only; move it onto the "
	    "remote branch with 'git rebase', or drop it, then sync again",
	    c->id, subject, what);
	free(subject);
	return err;
}

/*
 * The refusal of a local commit with an 'encoding' header other than
 * UTF-8 (repo.h, struct dipb_commit): dipb reads its text as bytes and
 * writes every change in UTF-8 with no such header, so made again it
 * would read otherwise than git reads it (dipb-git(7)).
 */
static const struct dipb_error *
other_encoding(const struct dipb_commit *c)
{
	return dipb_error_fmt(DIPB_ERR_NOT_DIPB, "local commit %.7s has the "
	    "header 'encoding %s', and dipb writes every change in UTF-8 "
	    "with no such header: make it again in UTF-8 (git -c "
	    "i18n.commitEncoding=UTF-8 commit --amend, and move its tag onto "
	    "it), or drop it, then sync again", c->id, c->encoding);
}

/*
 * ch's record, event, member and local tag, of commit c whose trailers
 * name record and event.
 */
static const struct dipb_error *
describe(struct dipb_replay_change *ch, struct dipb_repo *repo,
    const struct dipb_commit *c, const char *record, const char *event)
{
	ch->old_record = xstrdup(record);
	ch->event = xstrdup(event);
	ch->author = xasprintf("%s <%s>", c->author_name != NULL ?
	    c->author_name : "", c->author_email != NULL ?
	    c->author_email : "");
	return find_tag(&ch->old_tag, repo, record, event, c->id);
}

/*
 * Fills ch from local commit c, or refuses it: one parent, the Dipb
 * trailers, and one file changed, its record's or dipb.yaml (a
 * migration: dipb.yaml and the records it moves).
 */
static const struct dipb_error *
classify(struct dipb_replay_change *ch, struct dipb_repo *repo,
    const struct dipb_commit *c)
{
	const struct dipb_error *err = NULL;
	struct dipb_trailers t;
	struct dipb_tree_changes d = { NULL, 0, 0 };
	struct dipb_commit parent;
	enum dipb_event_kind ev;
	const char *record = NULL, *event = NULL;
	char *path = NULL, *why = NULL, date[11], id[DIPB_MAX_ID + 1];
	size_t i;
	int board, meeting;

	if (c->nparents > 1)
		return not_dipb(c, "is a merge commit");
	if (c->nparents == 0)
		return not_dipb(c, "is a root commit");
	if (c->encoding != NULL)
		return other_encoding(c);
	dipb_trailers_parse(&t, c->message, c->message_len);
	if (dipb_trailers_get(&record, &t, "Dipb-Record") != 1 ||
	    dipb_trailers_get(&event, &t, "Dipb-Event") != 1) {
		err = not_dipb(c, "is a plain commit, not a dipb change (no "
		    "Dipb-Record and Dipb-Event trailers)");
		goto done;
	}
	board = strcmp(record, DIPB_BOARD_RECORD) == 0;
	meeting = strcmp(record, DIPB_MEETING_RECORD) == 0;
	if ((!board && !meeting && !dipb_id_valid(record)) ||
	    dipb_event_parse(&ev, record, event) != 0) {
		why = xasprintf("has the trailers of no dipb change (Dipb-"
		    "Record: %s, Dipb-Event: %s)", record, event);
		err = not_dipb(c, why);
		goto done;
	}
	path = board ? xstrdup(DIPB_BOARD_FILE) : xstrdup(record);
	if ((err = dipb_git_commit_read(&parent, repo, c->parent)) != NULL)
		goto done;
	err = dipb_git_tree_diff(&d, repo, parent.tree, c->tree);
	dipb_commit_release(&parent);
	if (err != NULL)
		goto done;
	/* A meeting's file is named by its date (meeting.h). */
	if (meeting && d.n == 1 && dipb_meeting_path_date(date,
	    d.v[0].path)) {
		free(path);
		path = xstrdup(d.v[0].path);
	} else if (meeting) {
		free(path);
		path = xstrdup(DIPB_MEETING_DIR "/<date>.yaml");
	}
	/* A record's file, in the layout of the commit (either). */
	if (!board && !meeting && d.n == 1 &&
	    dipb_record_path_parse(d.v[0].path, strlen(d.v[0].path), id,
	    NULL) == 0 && strcmp(id, record) == 0) {
		free(path);
		path = xstrdup(d.v[0].path);
	} else if (!board && !meeting) {
		free(path);
		path = dipb_record_path_in(DIPB_LAYOUT_FLAT, record);
	}
	/* A migration (dipb-migrate(1)): dipb.yaml and the records moved. */
	for (i = 0; board && ev == DIPB_EVENT_MIGRATED && i < d.n; i++)
		if (strcmp(d.v[i].path, DIPB_BOARD_FILE) != 0 &&
		    strncmp(d.v[i].path, DIPB_RECORD_DIR "/",
		    sizeof(DIPB_RECORD_DIR)) != 0) {
			why = xasprintf("changes %s, which a migration does "
			    "not", d.v[i].path);
			err = not_dipb(c, why);
			goto done;
		}
	if ((!board || ev != DIPB_EVENT_MIGRATED) && (d.n != 1 ||
	    strcmp(d.v[0].path, path) != 0 || d.v[0].new_mode == 0)) {
		why = xasprintf("changes other files than %s", path);
		err = not_dipb(c, why);
		goto done;
	}
	err = describe(ch, repo, c, record, event);
done:
	dipb_tree_changes_release(&d);
	dipb_trailers_release(&t);
	free(path);
	free(why);
	return err;
}

static void
change_release(struct dipb_replay_change *ch)
{
	free(ch->old_tag);
	free(ch->published);
	free(ch->old_record);
	free(ch->event);
	free(ch->author);
	free(ch->new_record);
	free(ch->new_event);
	free(ch->new_tag);
	free(ch->reason);
}

void
dipb_replay_release(struct dipb_replay *p)
{
	size_t i;

	for (i = 0; i < p->nchanges; i++)
		change_release(&p->changes[i]);
	free(p->changes);
	p->changes = NULL;
	p->nchanges = 0;
	dipb_strlist_release(&p->renamed_from);
	dipb_strlist_release(&p->renamed_to);
	free(p->upstream_tags);
	p->upstream_tags = NULL;
	free(p->upstream_heads);
	p->upstream_heads = NULL;
}

/*
 * Whether the remote holds a local draft's id: a plain tag of its name,
 * or a tag in its folder that is not the draft's own (own, "IC-0001/1-
 * drafted").  Such a draft cannot go as it is: it is made again with the
 * next free id (draft_again, record.c).
 */
static const struct dipb_error *
remote_holds(int *held, struct dipb_repo *repo, const char *upstream,
    const char *id, const char *own)
{
	size_t n = strlen(id);

	if (own != NULL && (strncmp(own, id, n) != 0 || own[n] != '/'))
		own = NULL;
	return dipb_repo_id_held(held, repo, upstream, id,
	    own != NULL ? own + n + 1 : NULL);
}

/*
 * Whether the remote holds a tag of ch's record of the number of ch's
 * tag under another name ("IC-0001/2-review-requested" beside a local
 * "IC-0001/2-recalled", numbered where that tag was missing here): a
 * second change of that number, which dipb verify refuses (tag-number).
 */
static const struct dipb_error *
number_taken(int *taken, struct dipb_repo *repo, const char *upstream,
    const struct dipb_replay_change *ch)
{
	const struct dipb_error *err;
	struct dipb_strlist names = DIPB_STRLIST_INIT;
	const char *mine = ch->old_tag + strlen(ch->old_record) + 1;
	char *folder = xasprintf("%s%s/", upstream, ch->old_record);
	unsigned long n;
	size_t i, ev;

	*taken = 0;
	n = dipb_tag_suffix(mine, strlen(mine), &ev);
	err = dipb_repo_ref_names(&names, repo, folder);
	for (i = 0; i < names.n && err == NULL && n > 0 && !*taken; i++)
		*taken = strcmp(names.v[i], mine) != 0 &&
		    dipb_tag_suffix(names.v[i], strlen(names.v[i]), &ev) == n;
	dipb_strlist_release(&names);
	free(folder);
	return err;
}

/*
 * Whether local change ch cannot be pushed as it is (dipb-sync(1),
 * "REPLAY"): it has no annotated tag of its own on its commit (none, a
 * lightweight one, or the tag it had before its commit was rewritten:
 * former_tag), or it rewrites a published change; the remote holds its
 * tag's name for another object, which git would refuse to replace
 * ("already exists"), or its tag's number under another name
 * (number_taken); or ch is a draft whose id the remote holds
 * (remote_holds).  A tag the remote has as this clone has it is this
 * very change, the remote's already (a branch made from the remote's
 * history): it goes as it is.
 */
static const struct dipb_error *
cannot_go(int *held, struct dipb_repo *repo, const char *upstream,
    const struct dipb_replay_change *ch)
{
	const struct dipb_error *err;
	char mine[DIPB_OID_HEX + 1], theirs[DIPB_OID_HEX + 1], *ref;
	int found_mine = 0, found_theirs = 0;

	*held = ch->old_tag == NULL || ch->rewritten || ch->published != NULL;
	if (upstream == NULL || *held)
		return NULL;
	ref = xasprintf("%s%s", upstream, ch->old_tag);
	err = dipb_git_ref(theirs, &found_theirs, repo, ref);
	free(ref);
	if (err == NULL && found_theirs) {
		ref = xasprintf(TAGS_PREFIX "%s", ch->old_tag);
		err = dipb_git_ref(mine, &found_mine, repo, ref);
		free(ref);
	}
	if (err != NULL || found_theirs) {
		*held = err == NULL && (!found_mine ||
		    strcmp(mine, theirs) != 0);
		return err;
	}
	if ((err = number_taken(held, repo, upstream, ch)) != NULL || *held)
		return err;
	if (strcmp(ch->event, dipb_event_name(DIPB_EVENT_DRAFTED)) != 0)
		return NULL;
	return remote_holds(held, repo, upstream, ch->old_record, ch->old_tag);
}

/* Pushed as it is: ch keeps its commit and tag. */
static const struct dipb_error *
keep(struct dipb_replay_change *ch, struct dipb_repo *repo)
{
	const struct dipb_error *err;
	char *ref;
	int found;

	ch->outcome = DIPB_REPLAY_LANDED;
	memcpy(ch->new_commit, ch->old_commit, sizeof(ch->new_commit));
	ch->new_record = xstrdup(ch->old_record);
	ch->new_event = xstrdup(ch->event);
	ch->new_tag = ch->old_tag != NULL ? xstrdup(ch->old_tag) : NULL;
	if (ch->old_tag == NULL)
		return NULL;
	ref = xasprintf(TAGS_PREFIX "%s", ch->old_tag);
	err = dipb_git_ref(ch->new_tag_object, &found, repo, ref);
	free(ref);
	return err;
}

/* Pushed as they are: each change keeps its commit and tag. */
static const struct dipb_error *
as_they_are(struct dipb_replay *out, struct dipb_repo *repo)
{
	const struct dipb_error *err = NULL;
	size_t i;

	memcpy(out->new_tip, out->tip, sizeof(out->new_tip));
	for (i = 0; i < out->nchanges && err == NULL; i++)
		if (out->changes[i].outcome != DIPB_REPLAY_LANDED)
			err = keep(&out->changes[i], repo);
	return err;
}

static const struct dipb_error *plan_onto(struct dipb_replay *,
	    struct dipb_repo *);

/*
 * The plan for a remote without the branch whose change k cannot go as
 * it is (cannot_go): the changes before it go as they are, and it and
 * those after it, the commits of tip after k's parent, are planned onto
 * that parent as onto a remote's tip (plan_onto), where a plain commit
 * or a merge among them is refused, as any local commit replayed.
 */
static const struct dipb_error *
plan_branch_from(struct dipb_replay *out, struct dipb_repo *repo, size_t k)
{
	const struct dipb_error *err = NULL;
	struct dipb_replay_change *kept = out->changes, *all;
	struct dipb_commit c;
	size_t i, nkept = k, n = out->nchanges;

	if ((err = dipb_git_commit_read(&c, repo,
	    kept[k].old_commit)) != NULL)
		return err;
	if (c.nparents != 1)
		err = not_dipb(&c, c.nparents > 1 ? "is a merge commit" :
		    "is a root commit");
	else
		memcpy(out->base, c.parent, sizeof(out->base));
	dipb_commit_release(&c);
	if (err != NULL)
		return err;
	for (i = k; i < n; i++)
		change_release(&kept[i]);
	out->changes = NULL;
	out->nchanges = 0;
	if ((err = plan_onto(out, repo)) != NULL) {
		for (i = 0; i < nkept; i++)
			change_release(&kept[i]);
		free(kept);
		return err;
	}
	all = xcalloc(nkept + out->nchanges + 1, sizeof(*all));
	memcpy(all, kept, nkept * sizeof(*all));
	if (out->nchanges > 0)
		memcpy(all + nkept, out->changes,
		    out->nchanges * sizeof(*all));
	free(kept);
	free(out->changes);
	out->changes = all;
	out->nchanges += nkept;
	/* Every commit is new to the remote: none is common to both. */
	out->merge_base[0] = '\0';
	if (out->fast_forward)
		return as_they_are(out, repo);
	for (i = 0; i < nkept && err == NULL; i++)
		err = keep(&out->changes[i], repo);
	return err;
}

/*
 * The plan for a remote without the branch: every commit of tip's
 * history is new there and goes as it is.  Its changes are the dipb
 * changes among them, oldest first, each under its own local tag, so
 * that the push carries the board's tags of that history and no other
 * (a member's own tag, one on another branch).  A commit without the
 * trailers of a change (a plain commit other clones took long ago) is
 * none, and is not refused here: it is no local work to replay, and
 * what is wrong in it the judgement before the push reports
 * (dipb-sync(1), "Pushing").  From the first change that cannot go as it
 * is (cannot_go), the changes are made again (plan_branch_from).
 */
static const struct dipb_error *
plan_branch(struct dipb_replay *out, struct dipb_repo *repo)
{
	const struct dipb_error *err;
	struct dipb_walk *w = NULL;
	struct dipb_strlist all = DIPB_STRLIST_INIT;
	struct dipb_trailers t;
	struct dipb_commit c;
	enum dipb_event_kind ev;
	const char *record, *event;
	char id[DIPB_OID_HEX + 1];
	size_t i;
	int done = 0, unborn = 0, named, held = 0;

	out->fast_forward = 1;
	if ((err = dipb_git_walk_new(&w, repo)) != NULL ||
	    (err = dipb_walk_push(w, out->tip, &unborn)) != NULL)
		goto done;
	while ((err = dipb_walk_next(id, &done, w)) == NULL && !done)
		dipb_strlist_push(&all, id);
	if (err != NULL)
		goto done;
	out->changes = xcalloc(all.n + 1, sizeof(*out->changes));
	/* The walk gives each commit before its parents: oldest last. */
	for (i = all.n; i-- > 0 && err == NULL;) {
		if ((err = dipb_git_commit_read(&c, repo, all.v[i])) != NULL)
			break;
		dipb_trailers_parse(&t, c.message, c.message_len);
		named = dipb_trailers_get(&record, &t, "Dipb-Record") == 1 &&
		    dipb_trailers_get(&event, &t, "Dipb-Event") == 1 &&
		    (strcmp(record, DIPB_BOARD_RECORD) == 0 ||
		    strcmp(record, DIPB_MEETING_RECORD) == 0 ||
		    dipb_id_valid(record)) &&
		    dipb_event_parse(&ev, record, event) == 0;
		if (named) {
			memcpy(out->changes[out->nchanges].old_commit, c.id,
			    sizeof(out->changes[0].old_commit));
			err = describe(&out->changes[out->nchanges++], repo,
			    &c, record, event);
			if (err == NULL)
				err = rewritten(repo, out, out->changes,
				    out->nchanges - 1, &c);
		}
		dipb_trailers_release(&t);
		dipb_commit_release(&c);
	}
	for (i = 0; i < out->nchanges && err == NULL && !held; i++)
		err = cannot_go(&held, repo, out->upstream_tags,
		    &out->changes[i]);
	if (err == NULL && held)
		err = plan_branch_from(out, repo, i - 1);
	else if (err == NULL)
		err = as_they_are(out, repo);
done:
	dipb_walk_free(w);
	dipb_strlist_release(&all);
	return err;
}

/* A ref prefix as given, ending in '/'; NULL for none or "". */
static char *
ref_prefix(const char *prefix)
{
	if (prefix == NULL || prefix[0] == '\0')
		return NULL;
	return xasprintf("%s%s", prefix,
	    prefix[strlen(prefix) - 1] == '/' ? "" : "/");
}

const struct dipb_error *
dipb_replay_plan(struct dipb_replay *out, struct dipb_repo *repo,
    const char *base, const char *tip, const char *upstream_tags,
    const char *upstream_heads)
{
	const struct dipb_error *err;

	memset(out, 0, sizeof(*out));
	out->upstream_tags = ref_prefix(upstream_tags);
	out->upstream_heads = ref_prefix(upstream_heads);
	if ((base == NULL || (err = dipb_git_resolve(out->remote_tip, repo,
	    base)) == NULL) &&
	    (err = dipb_git_resolve(out->tip, repo, tip)) == NULL) {
		memcpy(out->base, out->remote_tip, sizeof(out->base));
		err = base == NULL ? plan_branch(out, repo) :
		    plan_onto(out, repo);
	}
	if (err != NULL)
		dipb_replay_release(out);
	return err;
}

/* The plan onto out->base, a commit of the remote's, or of the branch
 * where it is new to the remote (plan_branch_from). */
static const struct dipb_error *
plan_onto(struct dipb_replay *out, struct dipb_repo *repo)
{
	const struct dipb_error *err;
	struct dipb_walk *w = NULL;
	struct dipb_hashmap local = DIPB_HASHMAP_INIT;
	struct dipb_strlist chain = DIPB_STRLIST_INIT;
	struct dipb_commit c;
	struct dipb_replay_change *ch;
	char id[DIPB_OID_HEX + 1], cur[DIPB_OID_HEX + 1];
	size_t i, n;
	int done = 0, unborn = 0, held = 0;
	static int mark;

	if (strcmp(out->base, out->tip) == 0) {
		out->fast_forward = 1;
		memcpy(out->new_tip, out->tip, sizeof(out->new_tip));
		memcpy(out->merge_base, out->tip, sizeof(out->merge_base));
		return NULL;
	}
	/* The commits of tip that base lacks: a walk that stops at base. */
	if ((err = dipb_git_walk_new(&w, repo)) != NULL ||
	    (err = dipb_walk_push(w, out->tip, &unborn)) != NULL ||
	    (err = dipb_walk_hide(w, out->base)) != NULL)
		goto done;
	while ((err = dipb_walk_next(id, &done, w)) == NULL && !done)
		dipb_hashmap_put(&local, id, &mark);
	if (err != NULL)
		goto done;
	if (local.n == 0) {
		/* tip is in base's history: nothing local. */
		memcpy(out->new_tip, out->base, sizeof(out->new_tip));
		memcpy(out->merge_base, out->tip, sizeof(out->merge_base));
		goto done;
	}
	/* tip's first parents down to the merge base. */
	memcpy(cur, out->tip, sizeof(cur));
	while (dipb_hashmap_get(&local, cur) != NULL) {
		if ((err = dipb_git_commit_read(&c, repo, cur)) != NULL)
			goto done;
		dipb_strlist_push(&chain, cur);
		/* A root commit, with no merge after it: none of tip's
		 * history is base's (replay.h, unrelated). */
		out->unrelated = c.nparents == 0;
		if (c.nparents > 1)
			err = not_dipb(&c, "is a merge commit");
		if (c.nparents != 1) {
			dipb_commit_release(&c);
			goto done;
		}
		memcpy(cur, c.parent, sizeof(cur));
		dipb_commit_release(&c);
	}
	out->fast_forward = strcmp(cur, out->base) == 0;
	memcpy(out->merge_base, cur, sizeof(out->merge_base));
	n = chain.n;
	out->changes = xcalloc(n, sizeof(*out->changes));
	for (i = 0; i < n; i++) {
		ch = &out->changes[out->nchanges];
		memcpy(ch->old_commit, chain.v[n - 1 - i],
		    sizeof(ch->old_commit));
		ch->outcome = DIPB_REPLAY_PENDING;
		if ((err = dipb_git_commit_read(&c, repo,
		    ch->old_commit)) != NULL)
			goto done;
		out->nchanges++;
		err = classify(ch, repo, &c);
		if (err == NULL)
			err = rewritten(repo, out, out->changes,
			    out->nchanges - 1, &c);
		dipb_commit_release(&c);
		if (err != NULL)
			goto done;
		/* A draft whose id the remote holds already (a plain tag
		 * "IC-0001" pushed there by hand, say) cannot be pushed as
		 * it is, even where the remote's branch did not move. */
		if (out->fast_forward && (err = cannot_go(&held, repo,
		    out->upstream_tags, ch)) != NULL)
			goto done;
		if (held)
			out->fast_forward = 0;
	}
	if (out->fast_forward)
		err = as_they_are(out, repo);
done:
	dipb_walk_free(w);
	dipb_hashmap_release(&local, NULL);
	dipb_strlist_release(&chain);
	return err;
}

/* Whether tag t of this clone is the tag of a change in tip's history. */
static const struct dipb_error *
tip_change_tag(int *is, struct dipb_repo *repo, const char *tip,
    const struct dipb_tagref *t)
{
	const struct dipb_error *err;
	struct dipb_trailers tr;
	struct dipb_commit c;
	enum dipb_object_type type;
	const char *record, *event;
	char commit[DIPB_OID_HEX + 1];
	size_t ev, n;
	int annotated;

	*is = 0;
	if (t->target[0] == '\0' ||
	    dipb_tag_parse(t->name, strlen(t->name), &n, &ev) == 0)
		return NULL;
	if ((err = dipb_git_tag_peel(commit, &type, &annotated, repo,
	    t->target)) != NULL || !annotated || type != DIPB_OBJECT_COMMIT)
		return err;
	if (!dipb_git_in_history(repo, tip, commit))
		return NULL;
	if ((err = dipb_git_commit_read(&c, repo, commit)) != NULL)
		return err;
	dipb_trailers_parse(&tr, c.message, c.message_len);
	*is = dipb_trailers_get(&record, &tr, "Dipb-Record") == 1 &&
	    dipb_trailers_get(&event, &tr, "Dipb-Event") == 1 &&
	    strlen(record) == n && strncmp(record, t->name, n) == 0 &&
	    strcmp(event, t->name + ev) == 0;
	dipb_trailers_release(&tr);
	dipb_commit_release(&c);
	return NULL;
}

const struct dipb_error *
dipb_replay_unpushed(struct dipb_strlist *out, struct dipb_repo *repo,
    const char *tip, const char *upstream_tags)
{
	const struct dipb_error *err;
	struct dipb_tagrefs lack = { NULL, 0, 0 };
	size_t i;
	int is = 0;

	if ((err = dipb_git_tags_lacking(&lack, repo, upstream_tags)) != NULL)
		return err;
	for (i = 0; i < lack.n && err == NULL; i++)
		if ((err = tip_change_tag(&is, repo, tip, &lack.v[i])) ==
		    NULL && is)
			dipb_strlist_push(out, lack.v[i].name);
	dipb_tagrefs_release(&lack);
	return err;
}

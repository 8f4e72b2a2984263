/*
 * replay_standin.c - a stand-in for src/replay.c (helper replay writes
 * it) while it is being written: the fast-forward half of replay.h only.
 * Removed when replay.c is merged.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "replay.h"

static const struct dipb_error *
tag_of(char **out, struct dipb_repo *repo, const char *commit)
{
	const struct dipb_error *err;
	struct dipb_tagrefs tags = { NULL, 0, 0 };
	char peeled[DIPB_OID_HEX + 1];
	enum dipb_object_type type;
	size_t i;
	int annotated;

	*out = NULL;
	if ((err = dipb_git_tags(&tags, repo, "*")) != NULL)
		return err;
	for (i = 0; i < tags.n && *out == NULL; i++) {
		dipb_git_tag_peel(peeled, &type, &annotated, repo,
		    tags.v[i].target);
		if (strcmp(peeled, commit) == 0)
			*out = xstrdup(tags.v[i].name);
	}
	dipb_tagrefs_release(&tags);
	return NULL;
}

const struct dipb_error *
dipb_replay_plan(struct dipb_replay *p, struct dipb_repo *repo,
    const char *base, const char *tip, const char *upstream_tags)
{
	const struct dipb_error *err = NULL;
	struct dipb_commit c;
	char cur[DIPB_OID_HEX + 1];
	struct dipb_replay_change *ch;
	size_t cap = 0, i;
	const char *rec;

	(void)upstream_tags;
	memset(p, 0, sizeof(*p));
	snprintf(p->base, sizeof(p->base), "%s", base);
	snprintf(p->tip, sizeof(p->tip), "%s", tip);
	snprintf(p->new_tip, sizeof(p->new_tip), "%s", tip);
	if (strcmp(base, tip) != 0 && !dipb_git_descendant_of(repo, tip, base))
		return dipb_error_fmt(DIPB_ERR_INTERNAL, "replay is not "
		    "available yet (stand-in)");
	p->fast_forward = 1;
	snprintf(cur, sizeof(cur), "%s", tip);
	while (strcmp(cur, base) != 0 && cur[0] != '\0') {
		if ((err = dipb_git_commit_read(&c, repo, cur)) != NULL)
			return err;
		rec = strstr(c.message, "\nDipb-Record: ");
		if (rec == NULL || c.nparents != 1) {
			err = dipb_error_fmt(DIPB_ERR_DIRTY, "%.7s is not a "
			    "dipb change: sync replays dipb changes only; "
			    "move it onto the remote by hand", cur);
			dipb_commit_release(&c);
			return err;
		}
		xgrow((void **)&p->changes, &cap, p->nchanges + 1,
		    sizeof(*p->changes));
		ch = &p->changes[p->nchanges++];
		memset(ch, 0, sizeof(*ch));
		snprintf(ch->old_commit, sizeof(ch->old_commit), "%s", cur);
		rec += 14;
		ch->old_record = xstrndup(rec, strcspn(rec, "\n"));
		ch->author = xasprintf("%s <%s>", c.author_name,
		    c.author_email);
		snprintf(cur, sizeof(cur), "%s", c.parent);
		dipb_commit_release(&c);
		if ((err = tag_of(&ch->old_tag, repo, ch->old_commit)) != NULL)
			return err;
	}
	/* Oldest first. */
	for (i = 0; i < p->nchanges / 2; i++) {
		struct dipb_replay_change t = p->changes[i];

		p->changes[i] = p->changes[p->nchanges - 1 - i];
		p->changes[p->nchanges - 1 - i] = t;
	}
	return NULL;
}

const struct dipb_error *
dipb_replay_run(struct dipb_replay *p, struct dipb_repo *repo,
    const struct dipb_identity *committer)
{
	size_t i;

	(void)repo;
	(void)committer;
	for (i = 0; i < p->nchanges; i++) {
		p->changes[i].outcome = DIPB_REPLAY_LANDED;
		memcpy(p->changes[i].new_commit, p->changes[i].old_commit,
		    sizeof(p->changes[i].new_commit));
		p->changes[i].new_record = xstrdup(p->changes[i].old_record);
		if (p->changes[i].old_tag != NULL)
			p->changes[i].new_tag = xstrdup(p->changes[i].old_tag);
	}
	return NULL;
}

void
dipb_replay_release(struct dipb_replay *p)
{
	size_t i;

	for (i = 0; i < p->nchanges; i++) {
		free(p->changes[i].old_tag);
		free(p->changes[i].old_record);
		free(p->changes[i].event);
		free(p->changes[i].author);
		free(p->changes[i].new_record);
		free(p->changes[i].new_event);
		free(p->changes[i].new_tag);
		free(p->changes[i].reason);
	}
	free(p->changes);
	dipb_strlist_release(&p->renamed_from);
	dipb_strlist_release(&p->renamed_to);
	memset(p, 0, sizeof(*p));
}

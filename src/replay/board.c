/*
 * replay/board.c - a change of dipb.yaml made again: an edit of the board
 * where the remote's is as the change found it, as dipb edit --board
 * would write it, and a migration made again on the remote's records
 * (dipb-migrate(1), "SYNC").
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "../migrate.h"
#include "../subject.h"
#include "../validate.h"

/*
 * A migration, made again on the remote's tip: every record there moved
 * to the layout the local one set (in after, its dipb.yaml), and the
 * remote's dipb.yaml given that layout; dropped when the remote is in
 * that layout already, or the author may not migrate it.
 */
static const struct dipb_error *
replay_migration(struct run *r, struct dipb_replay_change *ch,
    const struct dipb_commit *oc, const struct dipb_buf *after)
{
	const struct dipb_error *err = NULL;
	struct dipb_diags diags = DIPB_DIAGS_INIT;
	struct dipb_migration mg;
	struct dipb_commit pc;
	struct dipb_board want;
	struct made_change mc;
	char *subject = NULL;

	memset(&mg, 0, sizeof(mg));
	dipb_board_init(&want);
	if (dipb_board_load(&want, DIPB_BOARD_FILE, after->ptr, after->len,
	    &diags) != 0) {
		dipb_rpl_drop(ch, "%s of the migration does not load",
		    DIPB_BOARD_FILE);
		goto done;
	}
	if (r->board.layout == want.layout) {
		dipb_rpl_drop(ch, "the remote's board is in the %s layout "
		    "already", dipb_layout_name(want.layout));
		goto done;
	}
	if ((err = dipb_state_permit(&r->board, oc->author_email,
	    DIPB_MOVE_MIGRATE, NULL, NULL)) != NULL) {
		dipb_rpl_drop(ch, "%s (%s as of the remote)", err->msg,
		    DIPB_BOARD_FILE);
		dipb_error_free(err);
		err = NULL;
		goto done;
	}
	if ((err = dipb_git_commit_read(&pc, r->repo, r->parent)) != NULL)
		goto done;
	err = dipb_migration_plan_at(&mg, r->repo, pc.tree, &r->board,
	    want.layout);
	dipb_commit_release(&pc);
	if (err != NULL) {
		dipb_rpl_drop(ch, "%s", err->msg);
		dipb_error_free(err);
		err = NULL;
		goto done;
	}
	subject = dipb_subject_make(&(struct dipb_subject){
	    .kind = DIPB_EVENT_MIGRATED, .id = DIPB_BOARD_RECORD,
	    .moved = mg.n, .layout = dipb_layout_name(want.layout),
	    .by = dipb_rpl_actor_name(&r->board, oc) });
	dipb_rpl_made_init(&mc, DIPB_BOARD_RECORD, DIPB_BOARD_FILE, &mg.board,
	    DIPB_EVENT_MIGRATED, subject);
	mc.renames = mg.v;
	mc.nrenames = mg.n;
	if ((err = dipb_rpl_make(r, ch, oc, &mc)) == NULL &&
	    ch->outcome == DIPB_REPLAY_LANDED)
		err = dipb_rpl_load_board(r, r->parent);
done:
	free(subject);
	dipb_migration_release(&mg);
	dipb_board_release(&want);
	dipb_diags_release(&diags);
	return err;
}

/*
 * Why the board a replayed change writes (after, fa: whether it has one)
 * is refused, as dipb edit --board refuses one (dipb-sync(1)); NULL when
 * it is not.  r->board is the board the change started from, the remote's
 * too: a value it held stays, as in edit.  A change made with git and
 * tagged as dipb tags one, or by an older dipb, could otherwise commit a
 * board dipb validate rejects.  Caller frees.
 */
static char *
board_refused(struct run *r, const struct dipb_buf *after, int fa)
{
	const struct dipb_error *keeper;
	const struct dipb_diag *d = NULL;
	struct dipb_diags diags = DIPB_DIAGS_INIT;
	struct dipb_board nb;
	char *why = NULL;

	if (!fa)
		return xasprintf("%s is not in the change", DIPB_BOARD_FILE);
	dipb_board_init(&nb);
	if (dipb_board_load(&nb, DIPB_BOARD_FILE, after->ptr, after->len,
	    &diags) != 0 || dipb_validate_board_written(&diags,
	    DIPB_BOARD_FILE, &nb, &r->board) > 0) {
		d = dipb_rpl_first_error(&diags);
		why = xasprintf("%s:%u:%u: %s [%s]: make the change again "
		    "with dipb edit --board", DIPB_BOARD_FILE,
		    d != NULL ? d->line : 0, d != NULL ? d->col : 0,
		    d != NULL ? d->msg : "does not load",
		    d != NULL ? d->rule : "board");
	} else if ((keeper = dipb_state_board_keeper(&nb)) != NULL) {
		why = xasprintf("%s: %s", DIPB_BOARD_FILE, keeper->msg);
		dipb_error_free(keeper);
	} else if (nb.layout != r->board.layout)
		why = xasprintf("%s: layout: %s is changed by 'dipb migrate "
		    "--layout %s', not by a board change: run it after the "
		    "sync, and make any other change of the board again with "
		    "dipb edit --board", DIPB_BOARD_FILE,
		    dipb_layout_name(r->board.layout),
		    dipb_layout_name(nb.layout));
	dipb_board_release(&nb);
	dipb_diags_release(&diags);
	return why;
}

/* A change of dipb.yaml, made again. */
const struct dipb_error *
dipb_rpl_board(struct run *r, struct dipb_replay_change *ch,
    const struct dipb_commit *oc)
{
	const struct dipb_error *err;
	struct dipb_buf before = DIPB_BUF_INIT, after = DIPB_BUF_INIT,
	    now = DIPB_BUF_INIT;
	struct made_change mc;
	enum dipb_event_kind ev;
	char *subject = NULL, *why = NULL;
	int fb, fa, fn;

	if ((err = dipb_rpl_read_at(&before, &fb, r->repo, oc->parent,
	    DIPB_BOARD_FILE)) != NULL ||
	    (err = dipb_rpl_read_at(&after, &fa, r->repo, oc->id,
	    DIPB_BOARD_FILE)) != NULL ||
	    (err = dipb_rpl_read_at(&now, &fn, r->repo, r->parent,
	    DIPB_BOARD_FILE)) != NULL)
		goto done;
	/*
	 * A migration moves every record of the tip it was made on: it is
	 * made again on the remote's, its records all moved
	 * (dipb-migrate(1), "SYNC").
	 */
	if (dipb_event_parse(&ev, DIPB_BOARD_RECORD, ch->event) == 0 &&
	    ev == DIPB_EVENT_MIGRATED) {
		err = replay_migration(r, ch, oc, &after);
		goto done;
	}
	if (dipb_event_parse(&ev, DIPB_BOARD_RECORD, ch->event) != 0 ||
	    ev != DIPB_EVENT_CHANGED) {
		dipb_rpl_drop(ch, "%s: a board's %s is not replayed: the "
		    "remote has its own board", DIPB_BOARD_FILE, ch->event);
		goto done;
	}
	if (fb != fn || before.len != now.len ||
	    memcmp(before.ptr, now.ptr, now.len) != 0) {
		dipb_rpl_drop(ch, "%s changed upstream: make the change again "
		    "with dipb edit --board", DIPB_BOARD_FILE);
		goto done;
	}
	if ((err = dipb_state_permit(&r->board, oc->author_email,
	    DIPB_MOVE_EDIT_BOARD, NULL, NULL)) != NULL) {
		dipb_rpl_drop(ch, "%s (%s as of the remote)", err->msg,
		    DIPB_BOARD_FILE);
		dipb_error_free(err);
		err = NULL;
		goto done;
	}
	if ((why = board_refused(r, &after, fa)) != NULL) {
		dipb_rpl_drop(ch, "%s", why);
		goto done;
	}
	subject = dipb_message_title(NULL, oc->message, oc->message_len);
	dipb_rpl_made_init(&mc, DIPB_BOARD_RECORD, DIPB_BOARD_FILE, &after, ev,
	    subject);
	if ((err = dipb_rpl_make(r, ch, oc, &mc)) == NULL &&
	    ch->outcome == DIPB_REPLAY_LANDED)
		err = dipb_rpl_load_board(r, r->parent);
done:
	free(why);
	free(subject);
	dipb_buf_release(&before);
	dipb_buf_release(&after);
	dipb_buf_release(&now);
	return err;
}

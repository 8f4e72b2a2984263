/*
 * cmd_migrate.c - dipb migrate --layout sharded|flat [-m TEXT|-F FILE]
 *
 * Moves every record of the board to its path in the other layout of
 * recommendations/ (dipb-board(5), "layout"), byte for byte, and sets
 * dipb.yaml's layout:, as one change of the board by a chair: one commit
 * and the tag board/<N>-migrated (dipb-migrate(1)).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "error.h"
#include "migrate.h"
#include "session.h"
#include "subject.h"

static const struct dipb_error *
usage_migrate(const char *what)
{
	return dipb_cmd_usage_error("migrate", "%s", what);
}

static const struct dipb_error *
migrate(struct dipb_ctx *ctx, enum dipb_layout to, const char *body,
    int retries)
{
	struct dipb_session s;
	struct dipb_migration m;
	const struct dipb_error *err;
	char *subject = NULL, *tag = NULL;
	int dirty = 0;

	memset(&m, 0, sizeof(m));
	if ((err = dipb_session_begin(&s, ctx->repo, retries)) != NULL ||
	    (err = dipb_session_allow(&s, DIPB_MOVE_MIGRATE, NULL,
	    NULL)) != NULL)
		goto done;
	if (s.board.layout == to) {
		fprintf(stderr, "dipb: the board is in the %s layout already: "
		    "nothing to do\n", dipb_layout_name(to));
		goto done;
	}
	/* The change writes dipb.yaml's layout: a hand edit left in the
	 * working tree would undo it there. */
	if ((err = dipb_repo_path_dirty(&dirty, ctx->repo,
	    DIPB_BOARD_FILE)) != NULL)
		goto done;
	if (dirty &&
	    (err = dipb_session_not_an_edit(ctx->repo, DIPB_BOARD_FILE,
	    DIPB_BOARD_FILE, dirty)) != NULL)
		goto done;
	if (dirty) {
		err = dipb_error_fmt(DIPB_ERR_DIRTY, "%s has uncommitted "
		    "changes: commit them ('dipb edit --board --no-edit') or "
		    "undo them, then retry", DIPB_BOARD_FILE);
		goto done;
	}
	if ((err = dipb_migration_plan(&m, ctx->repo, &s.board, to)) != NULL)
		goto done;
	subject = dipb_subject_make(&(struct dipb_subject){
	    .kind = DIPB_EVENT_MIGRATED, .id = DIPB_BOARD_RECORD,
	    .moved = m.n, .layout = dipb_layout_name(to),
	    .by = dipb_session_actor(&s) });
	err = dipb_session_commit_migrate(&tag, &s, &m, subject, body);
	if (tag != NULL)
		fprintf(stderr, "%s\n", tag);
done:
	dipb_diags_print(stderr, &s.diags, DIPB_DIAG_GCC);
	dipb_session_end(&s);
	dipb_migration_release(&m);
	free(tag);
	free(subject);
	return err;
}

const struct dipb_error *
cmd_migrate(int argc, char **argv, struct dipb_ctx *ctx)
{
	static const struct option opts[] = {
		{ "layout", required_argument, NULL, 'l' },
		{ "retry", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 }
	};
	const struct dipb_error *err = NULL;
	struct dipb_cmd_write w = DIPB_CMD_WRITE_INIT;
	const char *layout = NULL;
	enum dipb_layout to;
	char *body = NULL;
	int ch;

	while (err == NULL &&
	    (ch = getopt_long(argc, argv, ":m:F:", opts, NULL)) != -1) {
		switch (ch) {
		case 'l':
			err = dipb_cmd_once(&layout, optarg, "migrate",
			    "--layout");
			break;
		default:
			if (!dipb_cmd_write_option(&w, ch, optarg, &err))
				err = dipb_cmd_bad_option("migrate", ch, argv);
		}
	}
	if (err == NULL && optind != argc)
		err = usage_migrate("no arguments expected");
	else if (err == NULL && layout == NULL)
		err = usage_migrate("--layout sharded|flat expected");
	else if (err == NULL && dipb_layout_parse(layout, &to) != 0)
		err = dipb_error_fmt(DIPB_ERR_USAGE, "--layout: unknown layout "
		    "'%s' (flat or sharded)", layout);
	else if (err == NULL)
		err = dipb_cmd_write_check(&w, usage_migrate);
	if (err == NULL)
		err = dipb_cmd_write_message(&body, &w, usage_migrate);
	if (err == NULL && (err = dipb_ctx_open(ctx)) == NULL)
		err = migrate(ctx, to, body, w.retries);
	dipb_cmd_write_release(&w);
	free(body);
	return err;
}

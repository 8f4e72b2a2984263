/*
 * cmd_init.c - dipb init [DIR] [--board NAME] [--config FILE]
 *
 * The board's first commit holds dipb.yaml and .gitattributes (records
 * are LF text whatever core.autocrlf says); it is tagged board/1-created.
 * Whoever creates a board from --config must be a chair in it: creating
 * the board is the first change of dipb.yaml, which only a chair may make.
 */
#include <sys/stat.h>

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board.h"
#include "cmd.h"
#include "error.h"
#include "repo.h"
#include "session.h"

#define GITATTRIBUTES	"*.yaml text eol=lf\n"

static const struct dipb_error *
usage_init(const char *what)
{
	return dipb_cmd_usage_error("init", "%s", what);
}

static const struct dipb_error *
load_config(struct dipb_board *b, const char *file)
{
	struct dipb_buf buf = DIPB_BUF_INIT;
	struct dipb_diags diags = DIPB_DIAGS_INIT;
	const struct dipb_error *err;

	if ((err = dipb_read_file(&buf, file, DIPB_MAX_FILE)) != NULL)
		goto done;
	if (dipb_board_load(b, file, buf.ptr, buf.len, &diags) != 0) {
		dipb_diags_print(stderr, &diags, DIPB_DIAG_GCC);
		err = dipb_error_fmt(DIPB_ERR_INVALID,
		    "invalid board file: '%s'", file);
	} else
		dipb_diags_print(stderr, &diags, DIPB_DIAG_GCC);
done:
	dipb_diags_release(&diags);
	dipb_buf_release(&buf);
	return err;
}

const struct dipb_error *
cmd_init(int argc, char **argv, struct dipb_ctx *ctx)
{
	static const struct option opts[] = {
		{ "board", required_argument, NULL, 'b' },
		{ "config", required_argument, NULL, 'c' },
		{ "retry", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 }
	};
	struct dipb_repo *repo = NULL;
	struct dipb_board board;
	struct dipb_identity who;
	struct dipb_buf yaml = DIPB_BUF_INIT;
	struct dipb_file files[2];
	struct dipb_change ch;
	const struct dipb_error *err = NULL;
	const struct dipb_member *m;
	const char *name = NULL, *config = NULL, *dir = ".";
	char *tag = NULL, *subject = NULL, *recdir = NULL;
	int c, have_who = 0, locked = 0, retries = -1;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'b':
			name = optarg;
			break;
		case 'c':
			config = optarg;
			break;
		case 'r':
			if ((err = dipb_parse_retry(&retries, optarg)) != NULL)
				return err;
			break;
		default:
			return usage_init("unknown option or missing argument");
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 1)
		return usage_init("at most one directory");
	if (argc == 1)
		dir = argv[0];
	if (name != NULL && *name == '\0')
		return usage_init("--board may not be empty");

	dipb_board_init(&board);
	/* Check the configuration before anything is created on disk. */
	if (config != NULL && (err = load_config(&board, config)) != NULL)
		goto done;
	if ((err = dipb_repo_init(&repo, dir)) != NULL)
		goto done;
	if ((err = dipb_repo_identity(&who, repo)) != NULL)
		goto done;
	have_who = 1;
	if (config == NULL)
		dipb_board_template(&board, name != NULL ? name :
		    "Defence Industrial Production Board",
		    who.name != NULL ? who.name : who.email, who.email);
	else if (name != NULL) {
		free(board.board);
		board.board = xstrdup(name);
	}
	m = dipb_board_member(&board, who.email);
	if ((err = dipb_state_permit(&board, who.email, DIPB_MOVE_INIT, NULL,
	    NULL)) != NULL) {
		dipb_error_free(err);
		err = dipb_error_fmt(DIPB_ERR_DENIED,
		    "%s may not create the board: needs the chair role in %s",
		    who.email, config != NULL ? config : "the template");
		goto done;
	}
	if (who.name == NULL)
		who.name = xstrdup(m->name);
	if (retries >= 0)
		dipb_repo_set_retries(repo, retries);
	if ((err = dipb_repo_begin(repo)) != NULL)
		goto done;
	locked = 1;

	dipb_board_emit(&board, &yaml);
	files[0].path = DIPB_BOARD_FILE;
	files[0].data = yaml.ptr;
	files[0].len = yaml.len;
	files[1].path = ".gitattributes";
	files[1].data = GITATTRIBUTES;
	files[1].len = strlen(GITATTRIBUTES);
	subject = xasprintf("board: created by %s", who.name);
	memset(&ch, 0, sizeof(ch));
	ch.files = files;
	ch.nfiles = 2;
	ch.record = DIPB_BOARD_RECORD;
	ch.event = dipb_event_name(DIPB_EVENT_CREATED);
	ch.subject = subject;
	ch.who = &who;
	if ((err = dipb_repo_commit(&tag, repo, &ch)) != NULL)
		goto done;
	fprintf(stderr, "%s\n", tag);
	recdir = xasprintf("%s%s", dipb_repo_workdir(repo), DIPB_RECORD_DIR);
	if (mkdir(recdir, 0777) == -1 && errno != EEXIST)
		err = dipb_error_from_errno("%s", recdir);
	(void)ctx;
done:
	if (locked)
		dipb_repo_end(repo);
	free(recdir);
	free(subject);
	free(tag);
	dipb_buf_release(&yaml);
	if (have_who)
		dipb_identity_release(&who);
	dipb_board_release(&board);
	dipb_repo_close(repo);
	return err;
}

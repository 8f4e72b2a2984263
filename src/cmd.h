/*
 * cmd.h - the signature of a dipb command.
 *
 * To add a command: write src/cmd_<name>.c exporting only cmd_<name>()
 * (options with getopt_long, calls into the core, output), declare it
 * below, add a row to the table in main.c with its usage, one-line
 * summary and flags, and give it man/dipb-<name>.1 and a line in each
 * completion script; tests/cli/docs.sh fails until all of these agree.
 * A command that moves existing records fills a struct dipb_change_cmd
 * and lets dipb_change_run() do the rest (change.h); another that writes
 * with a message takes -m, -F and --retry into a struct dipb_cmd_write.
 */
#ifndef DIPB_CMD_H
#define DIPB_CMD_H

#include <stdio.h>

#include "util.h"

struct dipb_diags;
struct dipb_session;
struct dipb_error;
struct dipb_repo;

/* What main gives a command; main closes repo after the command. */
struct dipb_ctx {
	struct dipb_repo *repo;		/* NULL until dipb_ctx_open() */
	unsigned	  flags;	/* the command's CMD_* flags */
	int		  color;	/* 1: colour on stdout */
	int		  tty_out;	/* stdout is a terminal */
	int		  interactive;	/* stdin and stderr are terminals */
	/* A CMD_REPORTS command's: dipb's start-up failed
	 * (dipb_ctx_started). */
	const struct dipb_error *failed;
};

typedef const struct dipb_error *(*dipb_cmd_fn)(int argc, char **argv,
	    struct dipb_ctx *ctx);

/*
 * The flags of a command in main.c's table.  A command without
 * CMD_NEEDS_REPO gets DIPB_ERR_INTERNAL from dipb_ctx_open(), and one
 * without CMD_WRITES from dipb_change_run(), so the table cannot say less
 * than the command does.
 */
#define CMD_NEEDS_REPO	0x1	/* opens the board repository */
#define CMD_WRITES	0x2	/* makes commits; takes --retry N */
#define CMD_REPORTS	0x4	/* reports a run that cannot finish in its
				 * --format, so runs when dipb's start-up
				 * failed (dipb_ctx_started) */

const struct dipb_error *cmd_init(int, char **, struct dipb_ctx *);
const struct dipb_error *cmd_recommend(int, char **, struct dipb_ctx *);
const struct dipb_error *cmd_edit(int, char **, struct dipb_ctx *);
const struct dipb_error *cmd_review(int, char **, struct dipb_ctx *);
const struct dipb_error *cmd_submit(int, char **, struct dipb_ctx *);
const struct dipb_error *cmd_decide(int, char **, struct dipb_ctx *);
const struct dipb_error *cmd_withdraw(int, char **, struct dipb_ctx *);
const struct dipb_error *cmd_action(int, char **, struct dipb_ctx *);
const struct dipb_error *cmd_declassify(int, char **, struct dipb_ctx *);
const struct dipb_error *cmd_meeting(int, char **, struct dipb_ctx *);
const struct dipb_error *cmd_migrate(int, char **, struct dipb_ctx *);
const struct dipb_error *cmd_list(int, char **, struct dipb_ctx *);
const struct dipb_error *cmd_todo(int, char **, struct dipb_ctx *);
const struct dipb_error *cmd_show(int, char **, struct dipb_ctx *);
const struct dipb_error *cmd_diff(int, char **, struct dipb_ctx *);
const struct dipb_error *cmd_log(int, char **, struct dipb_ctx *);
const struct dipb_error *cmd_report(int, char **, struct dipb_ctx *);
const struct dipb_error *cmd_validate(int, char **, struct dipb_ctx *);
const struct dipb_error *cmd_fmt(int, char **, struct dipb_ctx *);
const struct dipb_error *cmd_verify(int, char **, struct dipb_ctx *);
const struct dipb_error *cmd_allowed_signers(int, char **, struct dipb_ctx *);
const struct dipb_error *cmd_schema(int, char **, struct dipb_ctx *);
const struct dipb_error *cmd_sync(int, char **, struct dipb_ctx *);
const struct dipb_error *cmd_help(int, char **, struct dipb_ctx *);

/*
 * Opens the board repository (found from the current directory, which -C
 * set) into ctx->repo, unless it is open, for a CMD_NEEDS_REPO command,
 * once its options are parsed (so that a usage error is exit 2 anywhere).
 * In change.c.
 */
const struct dipb_error *dipb_ctx_open(struct dipb_ctx *);
/*
 * For a command that reads the working tree's files without the
 * repository (dipb validate, dipb fmt: scan.h): opens into ctx->repo the
 * repository git finds from the current directory, if any, which
 * completes or discards an interrupted change as every dipb command does
 * (dipb(1)), reading ones included; none there, or one that cannot be
 * opened (git refuses it, its HEAD is broken, ...), is not an error: the
 * files are read as they are.  A change left pending
 * (dipb_repo_pending) is DIPB_ERR_IO, saying so and how it is
 * completed, so that cmd does not judge a half-written working tree.
 * In change.c.
 */
const struct dipb_error *dipb_ctx_settle(struct dipb_ctx *, const char *cmd);
/*
 * The failure of dipb's start-up before the command ran (a global option:
 * -C's folder, --color's value), for a CMD_REPORTS command to take once
 * its command line is taken and report as a run that cannot finish; NULL
 * when it started.  The caller owns it.  No other command runs after
 * one, nor one asked for its --help: main reports it; and when the
 * command's own command line fails first, main reports the start-up's
 * failure in place of that.  In main.c.
 */
const struct dipb_error *dipb_ctx_started(struct dipb_ctx *);
/*
 * dipb_editor_check (editor.h) for a command that is about to open the
 * editor, with the repository's core.editor read first, so that the
 * editor is the one git would open.  In change.c.
 */
const struct dipb_error *dipb_ctx_editor_check(struct dipb_ctx *,
	    int named_ok, const char *instead);

/*
 * Text a command copies into a field of a record, checked before
 * anything is written: dipb validate refuses a control character in one
 * (dipb-validate(1), control-character), in a Markdown field (md 1) any
 * but newline and tab.  Given as option opt (file NULL): the command's
 * usage error (usage), naming the option and the character.  Read from
 * file: a diagnostic at the character's line and column in the file,
 * printed as --from's are (dipb_cmd_file_read), and DIPB_ERR_INVALID.
 * NULL text passes.  In change.c.
 */
const struct dipb_error *dipb_cmd_check_text(
	    const struct dipb_error *(*usage)(const char *what),
	    const char *opt, const char *file, const char *text, int md);

/*
 * The options of a writing command that takes a message: --retry N,
 * -m TEXT and -F FILE, as its getopt_long gives them to
 * dipb_cmd_write_option().  Start it with DIPB_CMD_WRITE_INIT; end it
 * with dipb_cmd_write_release().  In change.c.
 */
struct dipb_cmd_write {
	int		 retries;	/* --retry N, -1: default */
	/* -m TEXT, every -m a paragraph (dipb_message_add), or NULL. */
	char		*text;
	const char	*file;		/* -F FILE, or NULL */
	int		 files;		/* how many -F were given */
};

#define DIPB_CMD_WRITE_INIT	{ -1, NULL, NULL, 0 }

/*
 * Takes getopt_long's ch and optarg when ch is one of them: 'r' (*err
 * set when N is not 0..1000), 'm' (added to w->text as a paragraph of its
 * own) or 'F' (counted: given twice, dipb_cmd_write_check refuses it).
 * 1 when ch was one of them, else 0 for the command to parse.
 */
int	 dipb_cmd_write_option(struct dipb_cmd_write *w, int ch,
	    const char *arg, const struct dipb_error **err);
/* The command's usage error when both -m and -F were given, else NULL. */
const struct dipb_error *dipb_cmd_write_check(const struct dipb_cmd_write *w,
	    const struct dipb_error *(*usage)(const char *what));
/*
 * dipb_read_message() (session.h) for a command: text of option opt, or
 * file read; a file that is no UTF-8 text is said at its bad byte's line
 * and column, printed as --from's are (dipb_cmd_file_read), and
 * DIPB_ERR_INVALID returned.  In change.c.
 */
const struct dipb_error *dipb_cmd_read_message(char **out, const char *opt,
	    const char *text, const char *file);

/*
 * The message of -m or -F into *out (dipb_cmd_read_message(); NULL when
 * neither was given), checked as dipb_cmd_check_text() checks Markdown
 * given as "-m" or read from the file; *out is NULL on error.
 */
const struct dipb_error *dipb_cmd_write_message(char **out,
	    const struct dipb_cmd_write *w,
	    const struct dipb_error *(*usage)(const char *what));
/* Frees the -m text. */
void	 dipb_cmd_write_release(struct dipb_cmd_write *w);

/*
 * The end of a command's reading of a file of the user's (a record, its
 * input, dipb.yaml): prints diags, what loading and checking it said, on
 * standard error in the gcc format and releases them; when bad (the file
 * was refused), DIPB_ERR_INVALID "invalid WHAT: 'PATH'", else NULL.  In
 * change.c.
 */
const struct dipb_error *dipb_cmd_file_read(struct dipb_diags *diags,
	    int bad, const char *what, const char *path);
/* DIPB_ERR_INVALID "invalid WHAT: 'PATH'", PATH on one line
 * (dipb_text_clean_line).  In change.c. */
const struct dipb_error *dipb_cmd_invalid(const char *what,
	    const char *path);

/*
 * The board a round of an editor's loop (dipb edit, dipb recommend)
 * checks the user's text against: read at the tip as it is when the
 * editor returns (dipb_repo_reread), not locked (the commit checks again
 * under the lock); the caller ends view (dipb_session_end).  When it
 * does not load, its diagnostics are printed as dipb_cmd_file_read()
 * prints them and its error returned, a refused round, with nothing left
 * to end.  In change.c.
 */
const struct dipb_error *dipb_cmd_board_now(struct dipb_session *view,
	    struct dipb_repo *repo);

/*
 * The last case of the option loop of a writing command that takes no
 * message (dipb init, edit, recommend, sync): ch 'r', --retry N, into
 * *retries (its usage error when N is not 0..1000), else
 * dipb_cmd_bad_option(name, ch, argv).  NULL only for a --retry taken.
 * In main.c.
 */
const struct dipb_error *dipb_cmd_retry_option(int *retries,
	    const char *name, int ch, const char *arg, char **argv);

/* The usage text of a command ("usage: dipb review ID ..."); NULL when
 * there is no such command.  In main.c. */
const char *dipb_cmd_usage(const char *name);
/* Prints the list of commands with their summaries.  In main.c. */
void	 dipb_cmd_list(FILE *);
/*
 * For a command's option parser: DIPB_ERR_USAGE, the message what and
 * then the command's usage ("what\nusage: dipb ...").  --help and -h
 * first never reach a command, and main prints the usage for them after
 * other arguments, in place of the usage error they make.  In main.c.
 */
const struct dipb_error *dipb_cmd_usage_error(const char *name,
	    const char *fmt, ...) DIPB_PRINTF(2, 3);
/*
 * An option of one value that gives the change (--outcome, --expect,
 * --to, ...) is given once (dipb(1), DESCRIPTION): arg into *slot, or,
 * when *slot is set already, dipb_cmd_usage_error(name, ...) naming opt.
 * In main.c.
 */
const struct dipb_error *dipb_cmd_once(const char **slot, const char *arg,
	    const char *name, const char *opt);
/*
 * dipb_cmd_usage_error for what getopt_long returned, ch, with an option
 * string starting with ':': the option that needs a value (':'), or the
 * one not known ('?'), named as the user gave it.  In main.c.
 */
const struct dipb_error *dipb_cmd_bad_option(const char *name, int ch,
	    char **argv);
/*
 * An option of command name that takes one of a few words, such as
 * --format: the index of arg in names (NULL-terminated) into *out, or
 * dipb_cmd_usage_error "OPT takes a, b or c" naming them in order.
 * In main.c.
 */
const struct dipb_error *dipb_cmd_choice(int *out, const char *name,
	    const char *opt, const char *arg, const char *const *names);

#endif /* DIPB_CMD_H */

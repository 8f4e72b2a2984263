/*
 * change.h - the one skeleton of the commands that move existing records
 * (review, submit, decide, withdraw, action, declassify): every move is
 * one commit and one tag (dipb-workflow(7)).
 *
 * A command starts a struct dipb_change_cmd with dipb_change_init() (the
 * move, and a callback that makes the move's own change), lets
 * dipb_change_option() take the shared options (--retry, -m, -F) while
 * it parses its own, sets the ids, calls dipb_change_run(), which does
 * the rest in this order, and last dipb_change_release(), on every path
 * once the options are parsed (dipb_change_main() makes the three calls
 * around the command's own parsing):
 *
 *	check every id			DIPB_ERR_BAD_ID, nothing opened
 *	open the repository		dipb_ctx_open()
 *	read -m TEXT or -F FILE		dipb_cmd_write_message(); -m given
 *					more than once: paragraphs, as
 *					git commit -m; no control
 *					character but newline and tab
 *					(dipb_cmd_check_text())
 *	identity, take the lock, board	dipb_session_begin()
 *	load and check every record	dipb_session_prepare(): role, status,
 *					uncommitted changes; all before the
 *					first is written
 *	per record: status and 'updated' set for the move, the callback,
 *	then the table's event and status (dipb_session_move()): one commit
 *	and tag, its name printed on stderr
 *	unlock				dipb_session_end()
 *
 * A file that fails to load has its diagnostics printed on stderr before
 * the error is returned (main prints the error).  This is the command
 * side: the session and the core below it print nothing.
 */
#ifndef DIPB_CHANGE_H
#define DIPB_CHANGE_H

#include <getopt.h>

#include "cmd.h"
#include "session.h"

/*
 * The move's own change of r, a record the acting identity may move
 * (s->who), its status already the one the move gives below the quorum
 * and 'updated' today.  msg is the message read from -m or -F (NULL when
 * neither is given).  Sets *subject (allocated; the skeleton frees it)
 * and *body (borrowed: msg, a string of r or of arg, or NULL).  An error
 * stops before r is written.
 */
typedef const struct dipb_error *(*dipb_change_fn)(char **subject,
	    const char **body, struct dipb_session *s, struct dipb_record *r,
	    const char *msg, void *arg);

struct dipb_change_cmd {
	enum dipb_move		  move;
	char *const		 *ids;		/* the records, in order */
	size_t			  nids;
	/* --retry N, -m TEXT, -F FILE; dipb_change_release() frees the
	 * text. */
	struct dipb_cmd_write	  w;
	/* The command's usage error, for an id given twice. */
	const struct dipb_error *(*usage)(const char *what);
	dipb_change_fn		  apply;
	void			 *arg;		/* apply's own */
};

/* The option every writing command takes, for its getopt_long table. */
#define DIPB_CHANGE_RETRY_OPTION	{ "retry", required_argument, NULL, 'r' }

/* Starts cmd: no ids, no message, --retry's default. */
void	 dipb_change_init(struct dipb_change_cmd *cmd, enum dipb_move,
	    const struct dipb_error *(*usage)(const char *what),
	    dipb_change_fn apply);

/*
 * Takes the shared options from getopt_long's ch and optarg: 'r'
 * (--retry N, *err set when N is not 0..1000), 'm' (-m TEXT, added to
 * cmd->w.text as a paragraph of its own) and 'F' (-F FILE, when the
 * command's option string has it).  1 when ch was one of them, else 0
 * for the command to parse.
 */
int	 dipb_change_option(struct dipb_change_cmd *cmd, int ch,
	    const char *arg, const struct dipb_error **err);

/* Runs the move of cmd on its records, as above. */
const struct dipb_error *dipb_change_run(struct dipb_ctx *,
	    const struct dipb_change_cmd *cmd);

/*
 * The whole option loop of a command that takes only the shared options
 * -m TEXT and --retry N: 0 once they are taken, optind at the operands,
 * or 0 with *err set for a bad --retry; any other option stops it, and
 * its getopt_long character is returned, for the command's
 * dipb_cmd_bad_option().
 */
int	 dipb_change_options_only(struct dipb_change_cmd *cmd, int argc,
	    char **argv, const struct dipb_error **err);

/* Frees what dipb_change_option() kept (the -m text). */
void	 dipb_change_release(struct dipb_change_cmd *cmd);

/*
 * The command's own part: parses argc and argv into cmd (the shared
 * options through dipb_change_option()), checks what it takes, sets the
 * ids and ends with dipb_change_run().
 */
typedef const struct dipb_error *(*dipb_change_parse_fn)(
	    struct dipb_change_cmd *cmd, int argc, char **argv,
	    struct dipb_ctx *ctx);

/*
 * A writing command whole: dipb_change_init(), then parse, then
 * dipb_change_release() whatever parse returned.
 */
const struct dipb_error *dipb_change_main(int argc, char **argv,
	    struct dipb_ctx *ctx, enum dipb_move,
	    const struct dipb_error *(*usage)(const char *what),
	    dipb_change_fn apply, dipb_change_parse_fn parse);

#endif /* DIPB_CHANGE_H */

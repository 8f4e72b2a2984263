/*
 * main.c - the command table, global options, dispatch, and the one place
 * that turns an error into an exit status.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "cmd.h"
#include "error.h"
#include "repo.h"
#include "session.h"
#include "diag.h"
#include "version.h"	/* build/: the Makefile writes it */

static const struct cmd {
	const char	*name;
	dipb_cmd_fn	 fn;
	unsigned	 flags;
	const char	*summary;
	const char	*usage;
} commands[] = {
	{ "init", cmd_init, CMD_WRITES,
	    "make a board repository",
	    "dipb init [DIR] [--board NAME] [--config FILE]\n"
	    "       [--layout flat|sharded] [--retry N]" },
	{ "recommend", cmd_recommend, CMD_NEEDS_REPO | CMD_WRITES,
	    "draft a new recommendation",
	    "dipb recommend --wg KEY --title TEXT [--summary TEXT|-]\n"
	    "       [--from FILE] [--no-edit] [--retry N]" },
	{ "edit", cmd_edit, CMD_NEEDS_REPO | CMD_WRITES,
	    "edit a draft, or dipb.yaml with --board",
	    "dipb edit ID [--no-edit] [--retry N]\n"
	    "       dipb edit --board [--no-edit] [--retry N]" },
	{ "review", cmd_review, CMD_NEEDS_REPO | CMD_WRITES,
	    "request review, recall, endorse, request changes or object, "
	    "or reply",
	    "dipb review ID (--request|--recall|--endorse|--request-changes|"
	    "--object)\n"
	    "       [--expect FINGERPRINT] [-m TEXT|-F FILE] [--retry N]\n"
	    "       dipb review ID --reply-to REVIEWER (-m TEXT|-F FILE) "
	    "[--retry N]" },
	{ "submit", cmd_submit, CMD_NEEDS_REPO | CMD_WRITES,
	    "submit endorsed recommendations",
	    "dipb submit ID... [--reference REF] [--to TEXT] [--retry N]" },
	{ "decide", cmd_decide, CMD_NEEDS_REPO | CMD_WRITES,
	    "record the decision on a submitted (or deferred) recommendation",
	    "dipb decide ID --outcome agreed|noted|deferred|declined "
	    "[-m TEXT]\n"
	    "       [--retry N]" },
	{ "withdraw", cmd_withdraw, CMD_NEEDS_REPO | CMD_WRITES,
	    "withdraw a recommendation before submission",
	    "dipb withdraw ID -m TEXT [--retry N]" },
	{ "action", cmd_action, CMD_NEEDS_REPO | CMD_WRITES,
	    "mark an action of a decided recommendation, or move its due date",
	    "dipb action ID N ((--done|--dropped|--open) [-m TEXT] |\n"
	    "       --due DATE --reason TEXT) [--retry N]" },
	{ "declassify", cmd_declassify, CMD_NEEDS_REPO | CMD_WRITES,
	    "lower the classification of a recommendation",
	    "dipb declassify ID LEVEL [-m TEXT] [--retry N]" },
	{ "meeting", cmd_meeting, CMD_NEEDS_REPO | CMD_WRITES,
	    "record a board meeting: attendance, agenda, notes",
	    "dipb meeting [--date DATE] --attendee EMAIL... "
	    "[--apology EMAIL...]\n"
	    "       [--agenda ID...] [--title TEXT] [-m TEXT|-F FILE] "
	    "[--retry N]" },
	{ "migrate", cmd_migrate, CMD_NEEDS_REPO | CMD_WRITES,
	    "move every record to the sharded or the flat layout",
	    "dipb migrate --layout sharded|flat [-m TEXT|-F FILE] "
	    "[--retry N]" },
	{ "list", cmd_list, CMD_NEEDS_REPO,
	    "list recommendations",
	    "dipb list [--status S] [--wg KEY] [--priority P] [--topic T]\n"
	    "       [--author WHO] [--owner WHO] [--grep TEXT] "
	    "[--format table|json|ids]" },
	{ "todo", cmd_todo, CMD_NEEDS_REPO,
	    "list what waits for you, by role",
	    "dipb todo [--member WHO] [--today DATE] "
	    "[--format text|json]" },
	{ "show", cmd_show, CMD_NEEDS_REPO,
	    "show one recommendation",
	    "dipb show ID[@N|/N-EVENT] [--format yaml|json|markdown|html]" },
	{ "diff", cmd_diff, CMD_NEEDS_REPO,
	    "show what the drafter changed between two versions",
	    "dipb diff ID [FROM [TO]] [--since-review] [--all] [--stat]\n"
	    "       [-U|--unified N] [--color[=WHEN]] [--exit-code]" },
	{ "log", cmd_log, CMD_NEEDS_REPO,
	    "list the state changes of a record or of a window",
	    "dipb log [ID] [--since WHEN] [--until WHEN] "
	    "[--format text|json]" },
	{ "report", cmd_report, CMD_NEEDS_REPO,
	    "write a status, package, minutes, actions or agenda report",
	    "dipb report status|package|minutes|actions|agenda "
	    "[--since WHEN]\n"
	    "       [--until WHEN] [--meeting DATE] [--reference REF] "
	    "[--title TEXT]\n"
	    "       [--today DATE] [--max-classification LEVEL]\n"
	    "       [--format markdown|html|man|latex|json] [-o FILE]" },
	{ "validate", cmd_validate, CMD_REPORTS,
	    "check record files and dipb.yaml",
	    "dipb validate [PATH...] [--canonical] [--warnings-as-errors]\n"
	    "       [--format gcc|json|github|junit|sarif|gitlab|auto]" },
	{ "fmt", cmd_fmt, 0,
	    "rewrite record files in canonical form",
	    "dipb fmt [--check] [PATH...]" },
	{ "verify", cmd_verify, CMD_NEEDS_REPO | CMD_REPORTS,
	    "check the history against the workflow and the git contract",
	    "dipb verify [--since REV] "
	    "[--format text|json|github|junit|sarif]" },
	{ "allowed-signers", cmd_allowed_signers, CMD_NEEDS_REPO,
	    "print the board's keys as an allowed signers file for git",
	    "dipb allowed-signers [--at REV]" },
	{ "schema", cmd_schema, 0,
	    "print the JSON Schema of a record or of dipb.yaml, for editors",
	    "dipb schema record|draft|board [--generic]" },
	{ "sync", cmd_sync, CMD_NEEDS_REPO | CMD_WRITES,
	    "fetch, replay the local changes on the remote's, and push",
	    "dipb sync [REMOTE] [--no-push] [--attempts N] [--retry N]" },
	{ "help", cmd_help, 0,
	    "show help for a command",
	    "dipb help [COMMAND]" },
};

#define NCOMMANDS	(sizeof(commands) / sizeof(commands[0]))

static const char usage_main[] =
    "usage: dipb [-C DIR] [--color=auto|always|never] COMMAND [ARGS]\n"
    "       dipb --version | --help\n";

static const struct cmd *
find_command(const char *name)
{
	size_t i;

	for (i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

const char *
dipb_cmd_usage(const char *name)
{
	const struct cmd *c = find_command(name);

	return c != NULL ? c->usage : NULL;
}

/*
 * A command's summary (ASCII: a column a byte) from column col, wrapped
 * within 80 columns at blanks, each further line indented to col, as
 * each line of a usage is kept within 80.
 */
static void
put_wrapped(FILE *fp, const char *s, size_t col)
{
	size_t n;

	while (col < 80 && col + strlen(s) > 80) {
		for (n = 80 - col; n > 0 && s[n] != ' '; n--)
			;
		if (n == 0)
			break;
		fprintf(fp, "%.*s\n%*s", (int)n, s, (int)col, "");
		s += n + 1;
	}
	fprintf(fp, "%s\n", s);
}

void
dipb_cmd_list(FILE *fp)
{
	size_t i, w = 10;

	for (i = 0; i < NCOMMANDS; i++)
		if (strlen(commands[i].name) > w)
			w = strlen(commands[i].name);
	fputs(usage_main, fp);
	fputs("\ncommands:\n", fp);
	for (i = 0; i < NCOMMANDS; i++) {
		fprintf(fp, "  %-*s  ", (int)w, commands[i].name);
		put_wrapped(fp, commands[i].summary, w + 4);
	}
	fputs("\nsee 'dipb help COMMAND' or dipb(1)\n", fp);
}

/*
 * Whether the command's parser met --help or -h as an option, which it
 * refuses as unknown (dipb_cmd_bad_option): "-m --help" is a comment,
 * "--title -h" a title, and neither asks for the usage.
 */
static int help_option;

const struct dipb_error *
dipb_cmd_usage_error(const char *name, const char *fmt, ...)
{
	const char *u = dipb_cmd_usage(name);
	va_list ap;
	char *what;
	const struct dipb_error *err;

	va_start(ap, fmt);
	what = xvasprintf(fmt, ap);
	va_end(ap);
	err = dipb_error_fmt(DIPB_ERR_USAGE, "%s\nusage: %s", what,
	    u != NULL ? u : name);
	free(what);
	return err;
}

const struct dipb_error *
dipb_cmd_bad_option(const char *name, int ch, char **argv)
{
	const char *arg = argv[optind - 1];
	size_t n = strcspn(arg, "=");

	if (ch == ':')
		return dipb_cmd_usage_error(name, "option '%s' needs a value",
		    arg);
	if (strcmp(arg, "--help") == 0 || (optopt == 'h' &&
	    strncmp(arg, "--", 2) != 0))
		help_option = 1;
	/* "--check=1": a known option given a value it does not take. */
	if (optopt != 0 && strncmp(arg, "--", 2) == 0 && arg[n] == '=')
		return dipb_cmd_usage_error(name, "option '%.*s' takes no "
		    "value", (int)n, arg);
	/* "-x" alone or in a cluster ("-mx"): optopt is the letter. */
	if (optopt != 0 && strncmp(arg, "--", 2) != 0)
		return dipb_cmd_usage_error(name, "unknown option '-%c'",
		    optopt);
	return dipb_cmd_usage_error(name, "unknown option '%.*s'", (int)n,
	    arg);
}

const struct dipb_error *
dipb_cmd_once(const char **slot, const char *arg, const char *name,
    const char *opt)
{
	/*
	 * Neither the last nor the first: which one the user meant is
	 * theirs to say, not a record's to guess.
	 */
	if (*slot != NULL)
		return dipb_cmd_usage_error(name, "option '%s' is given more "
		    "than once", opt);
	*slot = arg;
	return NULL;
}

const struct dipb_error *
dipb_cmd_retry_option(int *retries, const char *name, int ch,
    const char *arg, char **argv)
{
	if (ch == 'r')
		return dipb_parse_retry(retries, arg);
	return dipb_cmd_bad_option(name, ch, argv);
}

const struct dipb_error *
dipb_cmd_choice(int *out, const char *name, const char *opt, const char *arg,
    const char *const *names)
{
	struct dipb_buf list = DIPB_BUF_INIT;
	const struct dipb_error *err;
	int i;

	for (i = 0; names[i] != NULL; i++)
		if (strcmp(arg, names[i]) == 0) {
			*out = i;
			return NULL;
		}
	for (i = 0; names[i] != NULL; i++)
		dipb_buf_printf(&list, "%s%s", i == 0 ? "" :
		    names[i + 1] == NULL ? " or " : ", ", names[i]);
	err = dipb_cmd_usage_error(name, "%s takes %s", opt,
	    dipb_buf_cstr(&list));
	dipb_buf_release(&list);
	return err;
}

static int
color_wanted(const char *mode)
{
	if (strcmp(mode, "always") == 0)
		return 1;
	if (strcmp(mode, "never") == 0)
		return 0;
	if (getenv("NO_COLOR") != NULL && getenv("NO_COLOR")[0] != '\0')
		return 0;
	if (dipb_terminal_dumb())
		return 0;
	return isatty(STDOUT_FILENO);
}

/*
 * Standard output written out: a full disk or a closed file is an
 * error, for --help and --version as for a command's data.
 */
static const struct dipb_error *
flushed(void)
{
	if (fflush(stdout) != 0 || ferror(stdout))
		return dipb_error_from_errno("write error on standard output");
	return NULL;
}

/* Whether arg asks for the usage: --help, or -h as git takes it. */
static int
is_help(const char *arg)
{
	return strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0;
}

/*
 * A usage error of the global options, err: main prints dipb's usage
 * after its message, which a report of the failure (CMD_REPORTS) leaves
 * out.
 */
static int usage_after;

static const struct dipb_error *
global_usage(const struct dipb_error *err)
{
	usage_after = 1;
	return err;
}

/*
 * The global option ch, as getopt_long gave it: applied (-C at once, as
 * git's), or answered (--help, --version: *answered set), or the error
 * its value makes.
 */
static const struct dipb_error *
global_option(int ch, const char **color, int *answered)
{
	switch (ch) {
	case 'C':
		/* As git -C: at once, each from the last; "": none. */
		if (optarg[0] != '\0' && chdir(optarg) == -1)
			return dipb_error_from_errno("cannot change to '%s'",
			    optarg);
		return NULL;
	case 'c':
		if (strcmp(optarg, "auto") != 0 &&
		    strcmp(optarg, "always") != 0 &&
		    strcmp(optarg, "never") != 0)
			return global_usage(dipb_error_fmt(DIPB_ERR_USAGE,
			    "--color takes auto, always or never"));
		*color = optarg;
		return NULL;
	case 'h':
		*answered = 1;
		dipb_cmd_list(stdout);
		return flushed();
	default:
		*answered = 1;
		printf("dipb %s\n", DIPB_VERSION);
		return flushed();
	}
}

/* A global option without its value (ch ':'), or not known. */
static const struct dipb_error *
bad_global_option(int ch, char **argv)
{
	if (ch == ':')
		return global_usage(dipb_error_fmt(DIPB_ERR_USAGE,
		    "option '%s' needs a value", argv[optind - 1]));
	/* "-x" alone or in a cluster ("-xh"): the letter. */
	if (optopt != 0)
		return global_usage(dipb_error_fmt(DIPB_ERR_USAGE,
		    "unknown option '-%c'", optopt));
	return global_usage(dipb_error_fmt(DIPB_ERR_USAGE,
	    "unknown option '%s'", argv[optind - 1]));
}

const struct dipb_error *
dipb_ctx_started(struct dipb_ctx *ctx)
{
	const struct dipb_error *err = ctx->failed;

	ctx->failed = NULL;
	return err;
}

/*
 * The global options.  The first that fails (-C, --color's value) is the
 * run's failure, *failed; the rest are only read past, to find the
 * command: one that writes a report of a run that cannot finish
 * (CMD_REPORTS) writes one of it too, in the format its options ask for
 * (dipb-verify(1), OPTIONS).  An option not known, or without its value,
 * leaves nothing after it to read for sure: the run stops.  1 when the
 * run stops here, with *failed (NULL: --help or --version answered).
 */
static int
global_options(int argc, char **argv, const char **color,
    const struct dipb_error **failed)
{
	static const struct option opts[] = {
		{ "color", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int ch, answered = 0;

	opterr = 0;
	while ((ch = getopt_long(argc, argv, "+:C:h", opts, NULL)) != -1) {
		if (ch == ':' || ch == '?') {
			if (*failed == NULL)
				*failed = bad_global_option(ch, argv);
			return 1;
		}
		if (*failed == NULL)
			*failed = global_option(ch, color, &answered);
		if (answered)
			return 1;
	}
	return 0;
}

/*
 * The command argv[0] names, in *c; the run's failure if a global option
 * failed and the command writes no report of it, or none is named.
 */
static const struct dipb_error *
which_command(const struct cmd **c, int argc, char **argv,
    const struct dipb_error *failed)
{
	*c = argc > 0 ? find_command(argv[0]) : NULL;
	if (failed != NULL && (*c == NULL || !((*c)->flags & CMD_REPORTS) ||
	    (argc >= 2 && is_help(argv[1]))))
		return failed;
	if (argc == 0) {
		dipb_cmd_list(stderr);
		return dipb_error_fmt(DIPB_ERR_USAGE, "no command given");
	}
	if (*c == NULL) {
		dipb_cmd_list(stderr);
		return dipb_error_fmt(DIPB_ERR_USAGE,
		    "'%s' is not a dipb command", argv[0]);
	}
	return NULL;
}

/* The command's result, err, as the run's. */
static const struct dipb_error *
command_result(const struct dipb_error *err, const struct cmd *c,
    struct dipb_ctx *ctx, const struct dipb_error *failed)
{
	/* Its command line failed before it took the start-up's failure,
	 * which is the run's, as for any other command. */
	if (ctx->failed != NULL) {
		dipb_error_free(err);
		err = dipb_ctx_started(ctx);
	}
	/*
	 * --help after other arguments ('dipb show IC-0001 --help'), which
	 * the command's options refuse: its usage was asked for, and that is
	 * no usage error (every command's manual, OPTIONS).
	 */
	if (err != NULL && err != failed && err->code == DIPB_ERR_USAGE &&
	    help_option) {
		dipb_error_free(err);
		printf("usage: %s\n", c->usage);
		err = NULL;
	}
	return err;
}

/* The repository, if the command opened it: gc, warnings, closed. */
static void
close_repo(const struct dipb_error *err, struct dipb_ctx *ctx)
{
	const struct dipb_strlist *w;
	size_t i;

	/* As git's commands do after a commit (dipb-git(7)). */
	if (err == NULL && (ctx->flags & CMD_WRITES) && ctx->repo != NULL)
		dipb_repo_auto_gc(ctx->repo);
	if (ctx->repo != NULL) {
		/* A warning may quote git's words, a path or a value of
		 * git's configuration: cleaned as an error is. */
		w = dipb_repo_warnings(ctx->repo);
		for (i = 0; i < w->n; i++)
			dipb_say(stderr, "dipb: warning: %s\n", w->v[i]);
		dipb_repo_close(ctx->repo);
		ctx->repo = NULL;
	}
}

/*
 * Findings (exit 1) are data too: validate's and verify's lines, a diff
 * --exit-code prints.  Lost on a full disk, they are an I/O error (exit
 * 5, dipb(1)), as --format sarif and junit say.
 */
static const struct dipb_error *
flush_output(const struct dipb_error *err, const struct dipb_ctx *ctx)
{
	const struct dipb_error *e;

	if (err == NULL || dipb_error_exit_status(err) == DIPB_EXIT_FINDINGS) {
		if ((e = flushed()) != NULL) {
			dipb_error_free(err);
			err = e;
		}
	} else if ((ctx->flags & CMD_REPORTS) && (e = flushed()) != NULL) {
		/* The report of why the run failed, lost: said, the exit
		 * status the failure's. */
		dipb_say(stderr, "dipb: warning: the report of the failure "
		    "is lost: %s\n", e->msg);
		dipb_error_free(e);
	}
	return err;
}

static const struct dipb_error *
run(int argc, char **argv, struct dipb_ctx *ctx)
{
	const struct dipb_error *err, *failed = NULL;
	const struct cmd *c;
	const char *color = "auto";

	if (global_options(argc, argv, &color, &failed))
		return failed;
	argc -= optind;
	argv += optind;
	if ((err = which_command(&c, argc, argv, failed)) != NULL)
		return err;

	ctx->flags = c->flags;
	ctx->failed = failed;
	ctx->color = color_wanted(color);
	ctx->tty_out = isatty(STDOUT_FILENO);
	ctx->interactive = isatty(STDIN_FILENO) && isatty(STDERR_FILENO);

	/* --help (-h) needs no repository, whatever the command. */
	if (argc >= 2 && is_help(argv[1])) {
		printf("usage: %s\n", c->usage);
		return flushed();
	}
	optind = 0;	/* glibc: re-initialise getopt for the command */
	opterr = 0;
	err = command_result(c->fn(argc, argv, ctx), c, ctx, failed);
	close_repo(err, ctx);
	return flush_output(err, ctx);
}

int
main(int argc, char **argv)
{
	struct dipb_ctx ctx;
	const struct dipb_error *err;
	int status;

	dipb_stdfds_open();
	/*
	 * Options follow operands as the synopses show them ('dipb fmt
	 * FILE --check'), which glibc's getopt stops taking under
	 * POSIXLY_CORRECT: ignored, as git's own parser ignores it (dipb(1),
	 * ENVIRONMENT).
	 */
	(void)unsetenv("POSIXLY_CORRECT");
	/*
	 * A write past the file size limit (ulimit -f) fails with EFBIG,
	 * which each writer handles (the temporary file removed, a message,
	 * an optional cache skipped), instead of SIGXFSZ killing dipb in
	 * the middle of it (dipb(1), FILES).
	 */
	(void)signal(SIGXFSZ, SIG_IGN);
	/*
	 * SIGCHLD ignored by the parent survives execve(2), and with it the
	 * children dipb waits for (git, the editor, the signing program)
	 * are reaped by the kernel: waitpid fails with ECHILD.  Their exit
	 * status is what dipb acts on, so the default is put back.
	 */
	(void)signal(SIGCHLD, SIG_DFL);
	/*
	 * jansson's allocations fail as dipb's own do, with "out of memory",
	 * never with a value left out or a report printed as "null".
	 */
	json_set_alloc_funcs(xmalloc, free);
	memset(&ctx, 0, sizeof(ctx));
	err = run(argc, argv, &ctx);
	status = dipb_error_exit_status(err);
	if (err != NULL) {
		/* Quiet on a closed pipe: the reader went away on purpose. */
		/* An empty message says nothing: dipb diff --exit-code. */
		/* A message may quote what anyone pushed (a path, a
		 * subject): its control characters are shown as '?', never
		 * obeyed (dipb(1), EXIT STATUS). */
		if (!(err->code == DIPB_ERR_IO && errno == EPIPE) &&
		    err->msg[0] != '\0')
			dipb_say(stderr, "dipb: %s\n", err->msg);
		if (usage_after)
			fputs(usage_main, stderr);
		dipb_error_free(err);
	}
	return status;
}

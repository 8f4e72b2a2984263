/*
 * cmd_help.c - dipb help [COMMAND]
 *
 * On a terminal with man(1) installed, shows dipb-COMMAND(1); otherwise
 * (and in scripts) prints the usage, which never pages or blocks.
 */
#include <sys/wait.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "error.h"

static int
have_man_page(const char *page)
{
	char *cmd = xasprintf("man -w %s >/dev/null 2>&1", page);
	int rc = system(cmd);

	free(cmd);
	return rc != -1 && WIFEXITED(rc) && WEXITSTATUS(rc) == 0;
}

/*
 * man(1) on page, waited for: its failure (a pager that failed, say,
 * which man-db reports as its exit status 3) is dipb's exit status 5,
 * not a status dipb gives another meaning (dipb-help(1), EXIT STATUS).
 */
static const struct dipb_error *
show_page(const char *page)
{
	pid_t pid;
	int st;

	fflush(stdout);
	if ((pid = fork()) == -1)
		return dipb_error_from_errno("cannot run man");
	if (pid == 0) {
		execlp("man", "man", page, (char *)NULL);
		_exit(127);
	}
	if (dipb_wait_child(pid, &st) == -1)
		return dipb_error_from_errno("cannot wait for man");
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return NULL;
	if (WIFEXITED(st))
		return dipb_error_fmt(DIPB_ERR_IO, "man %s exited with "
		    "status %d", page, WEXITSTATUS(st));
	return dipb_error_fmt(DIPB_ERR_IO, "man %s was killed by signal %d",
	    page, WTERMSIG(st));
}

const struct dipb_error *
cmd_help(int argc, char **argv, struct dipb_ctx *ctx)
{
	const struct dipb_error *err;
	const char *usage;
	char *page;
	int i;

	/* No options, yet "--" ends them, as for every command. */
	if (argc > 1 && strcmp(argv[1], "--") == 0) {
		argv[1] = argv[0];
		argc--;
		argv++;
	}
	/* Its own --help after an operand ('dipb help list --help'),
	 * which no option parser of its own meets. */
	for (i = 2; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0) {
			printf("usage: %s\n", dipb_cmd_usage("help"));
			return NULL;
		}
	if (argc > 2)
		return dipb_cmd_usage_error("help", "at most one command");
	if (argc == 1) {
		dipb_cmd_list(stdout);
		return NULL;
	}
	if ((usage = dipb_cmd_usage(argv[1])) == NULL) {
		dipb_cmd_list(stderr);
		return dipb_error_fmt(DIPB_ERR_USAGE,
		    "'%s' is not a dipb command", argv[1]);
	}
	page = xasprintf("dipb-%s", argv[1]);
	if (ctx->tty_out && have_man_page(page)) {
		err = show_page(page);
		free(page);
		return err;
	}
	free(page);
	printf("usage: %s\n", usage);
	return NULL;
}

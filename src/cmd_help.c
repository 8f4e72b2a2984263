/*
 * cmd_help.c - dipb help [COMMAND]
 *
 * On a terminal with man(1) installed, shows dipb-COMMAND(1); otherwise
 * (and in scripts) prints the usage, which never pages or blocks.
 */
#include <sys/wait.h>

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

const struct dipb_error *
cmd_help(int argc, char **argv, struct dipb_ctx *ctx)
{
	const char *usage;
	char *page;

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
		fflush(stdout);
		execlp("man", "man", page, (char *)NULL);
	}
	free(page);
	printf("usage: %s\n", usage);
	return NULL;
}

/*
 * cmd_show.c - dipb show ID [--format yaml|json]
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "error.h"
#include "json.h"
#include "session.h"

static const struct dipb_error *
usage_show(const char *what)
{
	return dipb_cmd_usage_error("show", "%s", what);
}

const struct dipb_error *
cmd_show(int argc, char **argv, struct dipb_ctx *ctx)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 }
	};
	struct dipb_session s;
	struct dipb_record rec;
	struct dipb_buf yaml = DIPB_BUF_INIT;
	const struct dipb_error *err;
	int ch, json = 0;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			if (strcmp(optarg, "yaml") == 0)
				json = 0;
			else if (strcmp(optarg, "json") == 0)
				json = 1;
			else
				return usage_show("--format takes yaml or json");
			break;
		default:
			return usage_show("unknown option or missing argument");
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 1)
		return usage_show("one recommendation id expected");
	if ((err = dipb_check_id(argv[0])) != NULL)
		return err;

	if ((err = dipb_ctx_open(ctx)) != NULL)
		return err;
	dipb_record_init(&rec);
	if ((err = dipb_session_open(&s, ctx->repo)) != NULL)
		goto done;
	if ((err = dipb_session_load(&rec, &s, argv[0])) != NULL)
		goto done;
	if (json) {
		if (dipb_json_print(stdout, dipb_record_json(&rec), 1) != 0)
			err = dipb_error_from_errno("standard output");
	} else {
		dipb_record_emit(&rec, &yaml);
		fwrite(yaml.ptr, 1, yaml.len, stdout);
	}
done:
	dipb_buf_release(&yaml);
	dipb_record_release(&rec);
	dipb_session_end(&s);
	return err;
}

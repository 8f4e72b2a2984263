/*
 * cmd_schema.c - dipb schema record|draft|board [--generic]
 *
 * Prints the JSON Schema of a record file, a draft or dipb.yaml, for the YAML
 * language servers of editors (dipb-schema(1); the README, "Editors").
 * Inside a board (a dipb.yaml in this folder or above, found as dipb
 * validate finds it, in the working tree) the record's schema carries that
 * board's working groups, classifications and members; --generic, or no
 * board, gives the schema of a record of any board.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "error.h"
#include "scan.h"
#include "schema.h"

static const struct dipb_error *
usage_schema(const char *what)
{
	return dipb_cmd_usage_error("schema", "%s", what);
}

/*
 * The schema of a record, of the board found from the current folder
 * when there is one; a board that does not load is an error, so that an
 * editor is never handed a schema that is silently the generic one.
 */
static const struct dipb_error *
record_schema(char **out, int draft)
{
	const struct dipb_error *err;
	const struct dipb_scan_board *sb;
	struct dipb_scan scan;

	dipb_scan_init(&scan);
	err = dipb_scan_board(&scan);
	if (err != NULL && err->code == DIPB_ERR_NO_REPO) {
		dipb_error_free(err);
		err = NULL;
		*out = draft ? dipb_schema_draft(NULL) :
		    dipb_schema_record(NULL);
		goto done;
	}
	if (err == NULL && scan.nboards == 0)
		err = dipb_error_from_errno("cannot read the board's folder");
	if (err != NULL)
		goto done;
	sb = &scan.boards[0];
	if (!sb->ok) {
		dipb_diags_print(stderr, &scan.diags, DIPB_DIAG_GCC);
		err = dipb_error_fmt(DIPB_ERR_INVALID, "%s does not load: no "
		    "schema of its %s ('dipb schema %s --generic' "
		    "gives that of any board's)", sb->path,
		    draft ? "drafts" : "records", draft ? "draft" : "record");
		goto done;
	}
	*out = draft ? dipb_schema_draft(&sb->board) :
	    dipb_schema_record(&sb->board);
done:
	dipb_scan_release(&scan);
	return err;
}

const struct dipb_error *
cmd_schema(int argc, char **argv, struct dipb_ctx *ctx)
{
	static const struct option opts[] = {
		{ "generic", no_argument, NULL, 'g' },
		{ NULL, 0, NULL, 0 }
	};
	const struct dipb_error *err = NULL;
	char *s = NULL;
	int ch, generic = 0;

	(void)ctx;
	while ((ch = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (ch) {
		case 'g':
			generic = 1;
			break;
		default:
			return dipb_cmd_bad_option("schema", ch, argv);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 1)
		return usage_schema("name one schema: record, draft or board");
	if (strcmp(argv[0], "board") == 0)
		s = dipb_schema_board();
	else if (strcmp(argv[0], "record") != 0 &&
	    strcmp(argv[0], "draft") != 0)
		return usage_schema("no such schema (record, draft or board)");
	else if (generic)
		s = strcmp(argv[0], "draft") == 0 ? dipb_schema_draft(NULL) :
		    dipb_schema_record(NULL);
	else if ((err = record_schema(&s, strcmp(argv[0], "draft") == 0)) !=
	    NULL)
		return err;
	if (fputs(s, stdout) == EOF)
		err = dipb_error_from_errno("cannot write the schema");
	free(s);
	return err;
}

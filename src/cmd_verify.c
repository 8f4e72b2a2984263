/*
 * cmd_verify.c - dipb verify [--since REV] [--format text|json|github]
 *
 * Replays the branch's history (verify.h) and prints each finding as
 * "<commit> <tag>: <message> [<rule>]", as JSON Lines, or as GitHub
 * workflow commands; exit 1 when there is any.  Then, on stderr, what
 * the signatures prove: nothing when the board lists no keys.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cmd.h"
#include "diag.h"
#include "error.h"
#include "verify.h"

enum format { TEXT, JSON, GITHUB };

#define SHORT_HEX	12

static const struct dipb_error *
usage_verify(const char *what)
{
	return dipb_cmd_usage_error("verify", "%s", what);
}

static json_t *
str_or_null(const char *s)
{
	return s != NULL && *s != '\0' ? json_string(s) : json_null();
}

static void
print_one(const struct dipb_finding *f, enum format format)
{
	json_t *o;
	char *s;

	switch (format) {
	case TEXT:
		printf("%.*s %s: %s [%s]\n", SHORT_HEX,
		    f->commit[0] != '\0' ? f->commit : "-",
		    f->tag != NULL ? f->tag : "-", f->msg, f->rule);
		break;
	case JSON:
		o = json_object();
		json_object_set_new(o, "commit", str_or_null(f->commit));
		json_object_set_new(o, "tag", str_or_null(f->tag));
		json_object_set_new(o, "path", str_or_null(f->path));
		json_object_set_new(o, "rule", json_string(f->rule));
		json_object_set_new(o, "message", json_string(f->msg));
		s = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII |
		    JSON_PRESERVE_ORDER);
		if (s != NULL)
			printf("%s\n", s);
		free(s);
		json_decref(o);
		break;
	case GITHUB:
		fputs("::error ", stdout);
		if (f->path != NULL) {
			fputs("file=", stdout);
			dipb_gh_escape(stdout, f->path, 1);
			fputc(',', stdout);
		}
		fputs("title=", stdout);
		dipb_gh_escape(stdout, "dipb verify [", 1);
		dipb_gh_escape(stdout, f->rule, 1);
		dipb_gh_escape(stdout, "]", 1);
		printf("::%.*s ", SHORT_HEX,
		    f->commit[0] != '\0' ? f->commit : "-");
		dipb_gh_escape(stdout, f->tag != NULL ? f->tag : "-", 0);
		fputs(": ", stdout);
		dipb_gh_escape(stdout, f->msg, 0);
		fputc('\n', stdout);
		break;
	}
}

/*
 * What the signatures prove, on stderr whatever the format, the exit
 * status unchanged (dipb-verify(1), "Signatures").
 */
static void
signing_note(const struct dipb_findings *f)
{
	if (f->unauthenticated)
		fputs("dipb: warning: this board lists no signing keys: its "
		    "history is unauthenticated (dipb-board(5), "
		    "\"Signing\")\n", stderr);
	else if (f->authenticated_from[0] != '\0')
		fprintf(stderr, "dipb: warning: the history is authenticated "
		    "from commit %.*s on: the changes before it are not all "
		    "signed by their member's key\n", SHORT_HEX,
		    f->authenticated_from);
	else if (f->unauthenticated_tip[0] != '\0')
		fprintf(stderr, "dipb: warning: the history is not "
		    "authenticated at its tip: the latest change not signed "
		    "by its member's key is commit %.*s\n", SHORT_HEX,
		    f->unauthenticated_tip);
}

const struct dipb_error *
cmd_verify(int argc, char **argv, struct dipb_ctx *ctx)
{
	static const struct option opts[] = {
		{ "since", required_argument, NULL, 's' },
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 }
	};
	struct dipb_findings found = DIPB_FINDINGS_INIT;
	const struct dipb_error *err;
	enum format format = TEXT;
	const char *since = NULL;
	size_t i;
	int ch;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 's':
			if (*optarg == '\0')
				return usage_verify("--since takes a revision");
			since = optarg;
			break;
		case 'f':
			if (strcmp(optarg, "text") == 0)
				format = TEXT;
			else if (strcmp(optarg, "json") == 0)
				format = JSON;
			else if (strcmp(optarg, "github") == 0)
				format = GITHUB;
			else
				return usage_verify("--format takes text, json "
				    "or github");
			break;
		default:
			return usage_verify("unknown option or missing "
			    "argument");
		}
	}
	if (optind != argc)
		return usage_verify("no arguments expected");
	if ((err = dipb_ctx_open(ctx)) != NULL)
		return err;
	if ((err = dipb_verify(&found, ctx->repo, since)) != NULL)
		goto done;
	for (i = 0; i < found.n; i++)
		print_one(&found.v[i], format);
	signing_note(&found);
	if (found.n > 0)
		err = dipb_error_fmt(DIPB_ERR_INVALID, "%zu finding%s in %zu "
		    "commit%s and %zu tag%s", found.n, found.n == 1 ? "" : "s",
		    found.ncommits, found.ncommits == 1 ? "" : "s",
		    found.ntags, found.ntags == 1 ? "" : "s");
done:
	dipb_findings_release(&found);
	return err;
}

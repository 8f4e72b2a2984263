/*
 * cmd_verify.c - dipb verify [--since REV]
 * [--format text|json|github|junit|sarif]
 *
 * Replays the branch's history (verify.h) and prints each finding as
 * "<commit> <tag>: <message> [<rule>]", as JSON Lines, as GitHub
 * workflow commands, or as a JUnit or SARIF report of every rule (one
 * testcase per rule; SARIF's rules from dipb_verify_rules); exit 1 when
 * there is any.  Then, on stderr, what
 * the signatures prove: nothing when the board lists no keys.  A run
 * that cannot finish writes, in the formats but text, a report of why.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cmd.h"
#include "diag.h"
#include "error.h"
#include "sarif.h"
#include "text.h"
#include "util.h"
#include "verify.h"

enum format { TEXT, JSON, GITHUB, JUNIT, SARIF };
static const char *const formats[] = { "text", "json", "github", "junit",
	"sarif", NULL };

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

/* "<commit> <tag>: <message>", the text format's line before its rule. */
static char *
finding_text(const struct dipb_finding *f)
{
	return xasprintf("%.*s %s: %s", SHORT_HEX,
	    f->commit[0] != '\0' ? f->commit : "-",
	    f->tag != NULL ? f->tag : "-", f->msg);
}

static void
print_one(const struct dipb_finding *f, enum format format)
{
	json_t *o;
	char *s;

	switch (format) {
	case JUNIT:
	case SARIF:
		break;
	case TEXT:
		s = finding_text(f);
		printf("%s [%s]\n", s, f->rule);
		free(s);
		break;
	case JSON:
		o = json_object();
		json_object_set_new(o, "commit", str_or_null(f->commit));
		json_object_set_new(o, "tag", str_or_null(f->tag));
		/* The file's name as it is, escaped, as validate writes it
		 * (dipb-report(1): JSON keeps the value). */
		json_object_set_new(o, "path", f->rawpath != NULL &&
		    *f->rawpath != '\0' ? dipb_json_string(f->rawpath) :
		    json_null());
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

/* The rules of dipb_verify_rules, as the reports take them. */
static struct dipb_rule *
rules_table(void)
{
	struct dipb_rule *v;
	size_t i, n;

	for (n = 0; dipb_verify_rules[n].name != NULL; n++)
		continue;
	v = xcalloc(n + 1, sizeof(*v));
	for (i = 0; i < n; i++) {
		v[i].name = dipb_verify_rules[i].name;
		v[i].what = dipb_verify_rules[i].what;
	}
	return v;
}

/*
 * JUnit: one testcase per rule, in the order of dipb-verify(1), each
 * failing with its findings as the text format's lines; JUnit readers so
 * always see every rule checked, and a clean history passes them all.
 */
static void
print_junit(const struct dipb_findings *found)
{
	struct dipb_rule *rules = rules_table();
	struct dipb_junit_case *cases;
	struct dipb_buf *text;
	size_t i, k, n;
	char *s;

	for (n = 0; rules[n].name != NULL; n++)
		continue;
	cases = xcalloc(n + 1, sizeof(*cases));
	text = xcalloc(n + 1, sizeof(*text));
	for (i = 0; i < n; i++) {
		cases[i].name = rules[i].name;
		for (k = 0; k < found->n; k++) {
			if (strcmp(found->v[k].rule, rules[i].name) != 0)
				continue;
			cases[i].nerrors++;
			s = finding_text(&found->v[k]);
			dipb_buf_printf(&text[i], "%s [%s]\n", s,
			    found->v[k].rule);
			free(s);
		}
		cases[i].text = dipb_buf_cstr(&text[i]);
	}
	dipb_junit_print(stdout, "dipb verify", "dipb.verify", cases, n, 0);
	for (i = 0; i < n; i++)
		dipb_buf_release(&text[i]);
	free(text);
	free(cases);
	free(rules);
}

/*
 * SARIF: each finding on the file it concerns (the record's, or
 * dipb.yaml), relative to the working tree, or on dipb.yaml when it
 * concerns none (a tag, the history); its commit and tag as a logical
 * location and as properties (dipb-verify(1), OPTIONS).
 */
static void
print_sarif(const struct dipb_findings *found, struct dipb_repo *repo)
{
	struct dipb_rule *rules = rules_table();
	struct dipb_sarif_run run;
	struct dipb_result *v;
	char **msgs;
	size_t i;

	v = xcalloc(found->n + 1, sizeof(*v));
	msgs = xcalloc(found->n + 1, sizeof(*msgs));
	for (i = 0; i < found->n; i++) {
		msgs[i] = finding_text(&found->v[i]);
		v[i].rule = found->v[i].rule;
		v[i].msg = msgs[i];
		v[i].path = found->v[i].rawpath;
		v[i].commit = found->v[i].commit;
		v[i].tag = found->v[i].tag;
	}
	memset(&run, 0, sizeof(run));
	run.command = "verify";
	run.rules = rules;
	run.root = dipb_repo_workdir(repo);
	run.fallback_path = "dipb.yaml";
	dipb_sarif_print(stdout, &run, v, found->n);
	for (i = 0; i < found->n; i++)
		free(msgs[i]);
	free(msgs);
	free(v);
	free(rules);
}

/*
 * A run that could not finish, once the command line was taken: the
 * machine formats write a document that says so and why, so that a CI
 * system reads the cause and not an empty report; the text format writes
 * nothing, standard error has it (dipb-verify(1), OPTIONS).
 */
static void
print_failure(const struct dipb_error *err, enum format format,
    struct dipb_repo *repo)
{
	static const enum dipb_diag_format diag[] = {
		[TEXT] = DIPB_DIAG_GCC, [JSON] = DIPB_DIAG_JSON,
		[GITHUB] = DIPB_DIAG_GITHUB, [JUNIT] = DIPB_DIAG_JUNIT
	};
	struct dipb_rule *rules;
	struct dipb_sarif_run run;
	int status = dipb_error_exit_status(err);
	char *msg;

	/* As dipb(1) shows it on standard error. */
	msg = dipb_text_clean(err->msg, strlen(err->msg));
	if (format != SARIF)
		dipb_diags_print_failure(stdout, diag[format], "verify", msg,
		    status);
	else {
		rules = rules_table();
		memset(&run, 0, sizeof(run));
		run.command = "verify";
		run.rules = rules;
		run.root = repo != NULL ? dipb_repo_workdir(repo) : NULL;
		run.failure = msg;
		run.exit_status = status;
		dipb_sarif_print(stdout, &run, NULL, 0);
		free(rules);
	}
	free(msg);
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
	else if (f->unauthenticated_tip[0] != '\0' &&
	    f->unauthenticated_tip_untagged)
		fprintf(stderr, "dipb: warning: the history is not "
		    "authenticated at its tip: the latest change not proved "
		    "by its member's key is commit %.*s: the commit is signed, "
		    "its signed tag is missing (tag-missing)\n", SHORT_HEX,
		    f->unauthenticated_tip);
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
	int ch, f;

	while ((ch = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (ch) {
		case 's':
			if (*optarg == '\0')
				return usage_verify("--since takes a revision");
			since = optarg;
			break;
		case 'f':
			if ((err = dipb_cmd_choice(&f, "verify", "--format",
			    optarg, formats)) != NULL)
				return err;
			format = f;
			break;
		default:
			return dipb_cmd_bad_option("verify", ch, argv);
		}
	}
	if (optind != argc)
		return usage_verify("no arguments expected");
	if ((err = dipb_ctx_started(ctx)) != NULL ||
	    (err = dipb_ctx_open(ctx)) != NULL ||
	    (err = dipb_verify(&found, ctx->repo, since)) != NULL) {
		print_failure(err, format, ctx->repo);
		goto done;
	}
	for (i = 0; i < found.n; i++)
		print_one(&found.v[i], format);
	if (format == JUNIT)
		print_junit(&found);
	else if (format == SARIF)
		print_sarif(&found, ctx->repo);
	signing_note(&found);
	dipb_repo_warn_replaced(ctx->repo);
	if (found.n > 0)
		err = dipb_error_fmt(DIPB_ERR_INVALID, "%zu finding%s in %zu "
		    "commit%s and %zu tag%s", found.n, found.n == 1 ? "" : "s",
		    found.ncommits, found.ncommits == 1 ? "" : "s",
		    found.ntags, found.ntags == 1 ? "" : "s");
done:
	dipb_findings_release(&found);
	return err;
}

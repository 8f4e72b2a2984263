/*
 * cmd_show.c - dipb show ID[@N|/N-EVENT] [--format yaml|json|markdown|html]
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "date.h"
#include "error.h"
#include "history.h"
#include "json.h"
#include "report.h"
#include "session.h"
#include "version.h"	/* build/: the Makefile writes it */

enum format { YAML, JSON, MARKDOWN, HTML };
static const char *const formats[] = { "yaml", "json", "markdown", "html",
	NULL };

static const struct dipb_error *
usage_show(const char *what)
{
	return dipb_cmd_usage_error("show", "%s", what);
}

/*
 * Record rec, version ver of it (NULL: the tip's), on standard
 * output in format.  The fingerprint is that of the version shown, which
 * dipb review --expect takes (dipb-show(1)); the Markdown and HTML meta
 * table has it.  stored: a version's file as its commit holds it, which
 * the YAML format prints as it is, git show TAG:PATH's lines
 * (dipb-show(1)); NULL: the canonical form of rec.
 */
static const struct dipb_error *
print_record(enum format format, const struct dipb_record *rec,
    const struct dipb_board *board, const struct dipb_event *ver,
    const struct dipb_buf *stored)
{
	const struct dipb_error *err = NULL;
	struct dipb_buf out = DIPB_BUF_INIT;
	struct dipb_report_opts ro;
	struct dipb_report *rep;
	char fp[DIPB_FINGERPRINT_LEN + 1];
	char today[11];
	json_t *j;

	dipb_record_fingerprint(rec, fp);
	switch (format) {
	case JSON:
		j = dipb_record_json_board(rec, board);
		if (ver != NULL) {
			json_object_set_new(j, "version",
			    json_integer((json_int_t)ver->n));
			json_object_set_new(j, "tag", json_string(ver->tag));
		}
		if (dipb_json_print(stdout, j, 1) != 0)
			err = dipb_error_from_errno("standard output");
		break;
	case YAML:
		/* A comment: the rest is the file as it is. */
		printf("# fingerprint: %s\n", fp);
		if (ver != NULL)
			printf("# version: %lu (%s, %s)\n", ver->n, ver->tag,
			    ver->date);
		if (stored == NULL) {
			dipb_record_emit(rec, &out);
			stored = &out;
		}
		fwrite(stored->ptr, 1, stored->len, stdout);
		break;
	case MARKDOWN:
	case HTML:
		/* The rendering of dipb report: report.h. */
		if ((err = dipb_date_today(today)) != NULL)
			break;
		memset(&ro, 0, sizeof(ro));
		ro.board = board;
		ro.today = today;
		ro.version = DIPB_VERSION;
		rep = dipb_report_record(&ro, rec);
		dipb_report_render(&out, rep, format == HTML ?
		    DIPB_REPORT_HTML : DIPB_REPORT_MARKDOWN);
		fwrite(out.ptr, 1, out.len, stdout);
		dipb_report_free(rep);
		break;
	}
	dipb_buf_release(&out);
	return err;
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
	struct dipb_history *hist = NULL;
	struct dipb_events events = DIPB_EVENTS_INIT;
	struct dipb_buf stored = DIPB_BUF_INIT;
	const struct dipb_event *ver = NULL;
	const struct dipb_error *err;
	const char *spec;
	char *id = NULL;
	size_t vi;
	enum format format = YAML;
	int ch, f;

	while ((ch = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			if ((err = dipb_cmd_choice(&f, "show", "--format",
			    optarg, formats)) != NULL)
				return err;
			format = f;
			break;
		default:
			return dipb_cmd_bad_option("show", ch, argv);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 1)
		return usage_show("one recommendation id expected");
	/* ID@N or ID/N-EVENT: the record as it was (dipb-show(1)). */
	if (!dipb_history_split(&id, &spec, argv[0]))
		id = xstrdup(argv[0]);
	/* A bad id before '@' or '/' is refused as the whole argument. */
	if ((err = dipb_check_id(id)) != NULL) {
		if (spec != NULL) {
			dipb_error_free(err);
			err = dipb_check_id(argv[0]);
		}
		free(id);
		return err;
	}

	if ((err = dipb_ctx_open(ctx)) != NULL) {
		free(id);
		return err;
	}
	dipb_record_init(&rec);
	if ((err = dipb_session_open(&s, ctx->repo)) != NULL)
		goto done;
	if (spec == NULL) {
		if ((err = dipb_session_load(&rec, &s, id)) != NULL)
			goto done;
	} else {
		if ((err = dipb_history_open(&hist, ctx->repo)) != NULL ||
		    (err = dipb_history_record(&events, hist, id)) != NULL ||
		    (err = dipb_history_version_here(&vi, ctx->repo, &events,
		    id, spec)) != NULL)
			goto done;
		ver = &events.v[vi];
		if ((err = dipb_history_load_version(&rec,
		    format == YAML ? &stored : NULL, &s.diags, hist, id,
		    ver)) != NULL)
			goto done;
	}
	err = print_record(format, &rec, &s.board, ver,
	    ver != NULL && format == YAML ? &stored : NULL);
done:
	dipb_buf_release(&stored);
	dipb_events_release(&events);
	dipb_history_close(hist);
	free(id);
	dipb_record_release(&rec);
	/* A bad dipb.yaml or record: its diagnostics, then main's error. */
	dipb_diags_print(stderr, &s.diags, DIPB_DIAG_GCC);
	dipb_session_end(&s);
	return err;
}

/*
 * cmd_diff.c - dipb diff ID [FROM [TO]] [--since-review] [--all] [--stat]
 *	        [-U|--unified N] [--color[=WHEN]] [--exit-code]
 *
 * What the drafter wrote, between two versions of a record (version N:
 * the record after its change N, at its tag ID/N-EVENT), as a unified
 * diff of the canonical YAML, or (--all) of the files as their commits
 * store them: libgit2 compares the two texts
 * (repo.h, dipb_repo_diff_text), this file names the sides and colours
 * the lines as git diff does on a terminal (dipb-diff(1)).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmd.h"
#include "error.h"
#include "history.h"
#include "record.h"
#include "repo.h"
#include "session.h"
#include "state.h"
#include "text.h"

/* git diff's default colours (git-config(1), color.diff.<slot>). */
#define C_META	"\033[1m"
#define C_FRAG	"\033[36m"
#define C_OLD	"\033[31m"
#define C_NEW	"\033[32m"
#define C_WS	"\033[41m"	/* color.diff.whitespace */
#define C_RESET	"\033[m"

/* --stat's width, git diff --stat's when not writing to a terminal. */
#define STAT_COLUMNS	80

struct out {
	int		color;
	int		failed;	/* a write to standard output failed */
	/*
	 * With colour, git diff's count of the lines of each side as the
	 * diff goes (its lno_in_preimage and lno_in_postimage, one ahead
	 * of the line's number, as git's), and the first line of the blank
	 * lines a new version adds at its end, 0 if it adds none
	 * (blank_at_eof_in_preimage, _postimage): see blank_at_eof.
	 */
	unsigned long	pre, post;
	unsigned long	blank_pre, blank_post;
};

static const struct dipb_error *
usage_diff(const char *what)
{
	return dipb_cmd_usage_error("diff", "%s", what);
}

/* --color's WHEN as main's --color takes it (dipb(1), ENVIRONMENT). */
static int
color_wanted(int *out, const char *when, const struct dipb_ctx *ctx)
{
	const char *nc = getenv("NO_COLOR");

	if (when == NULL || strcmp(when, "always") == 0)
		*out = 1;
	else if (strcmp(when, "never") == 0)
		*out = 0;
	else if (strcmp(when, "auto") == 0)
		*out = ctx->tty_out && !(nc != NULL && nc[0] != '\0') &&
		    !dipb_terminal_dumb();
	else
		return -1;
	return 0;
}

/*
 * A hunk's header, "@@ -a,b +c,d @@ context" without its newline, coloured
 * as git diff colours it: the "@@ ... @@" part alone in the fragment's
 * colour; the blanks and the function context after it each in the
 * plain colour, ended by a reset (dipb-diff(1), --color).
 */
static int
put_hunk(const char *text, size_t len)
{
	size_t head = 2, ctx;

	while (head + 1 < len && !(text[head] == '@' && text[head + 1] == '@'))
		head++;
	head = head + 1 < len ? head + 2 : len;		/* "@@ ... @@" */
	for (ctx = head; ctx < len && (text[ctx] == ' ' || text[ctx] == '\t');
	    ctx++)
		continue;
	return printf("%s%.*s%s%.*s%s%.*s%s\n", C_FRAG, (int)head, text,
	    C_RESET, (int)(ctx - head), text + head, ctx > head ? C_RESET : "",
	    (int)(len - ctx), text + ctx, ctx < len ? C_RESET : "");
}

/* git's isspace(): a blank, a tab, a newline or a carriage return. */
static int
git_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Whether len bytes of s are all git_space (git's ws_blank_line). */
static int
blank_line(const char *s, size_t len)
{
	while (len-- > 0)
		if (!git_space(*s++))
			return 0;
	return 1;
}

/* The lines of b, a last one without its newline counted (git's). */
static unsigned long
count_lines(const struct dipb_buf *b)
{
	unsigned long n = 0;
	size_t i;

	for (i = 0; i < b->len; i++)
		n += b->ptr[i] == '\n';
	if (b->len > 0 && b->ptr[b->len - 1] != '\n')
		n++;
	return n;
}

/*
 * The blank lines at the end of b, as git's count_trailing_blank counts
 * them: from the end back, the first line never counted.
 */
static unsigned long
count_trailing_blank(const struct dipb_buf *b)
{
	const char *start = b->ptr, *end, *eol;
	unsigned long n = 0;

	if (b->len == 0)
		return 0;
	end = start + b->len - 1;		/* at the last byte */
	if (*end == '\n')
		end--;
	while (start < end) {
		for (eol = end; start <= eol && *eol != '\n'; eol--)
			continue;
		if (!blank_line(eol + 1, (size_t)(end - eol)))
			break;
		n++;
		end = eol - 1;
	}
	return n;
}

/*
 * git diff's blank-at-eof (core.whitespace, on by default): when the new
 * text ends in more blank lines than the old, the added ones among them
 * are shown as whitespace errors, the '+' too (git's check_blank_at_eof).
 */
static void
blank_at_eof(struct out *w, const struct dipb_buf *old,
    const struct dipb_buf *new)
{
	unsigned long l1 = count_trailing_blank(old);
	unsigned long l2 = count_trailing_blank(new);

	w->blank_pre = w->blank_post = 0;
	if (l2 <= l1)
		return;
	w->blank_pre = count_lines(old) - l1 + 1;
	w->blank_post = count_lines(new) - l2 + 1;
}

/* A hunk's header sets each side's count to its first line's number. */
static void
hunk_lines(struct out *w, const char *text, size_t len)
{
	const char *minus = memchr(text, '-', len);
	const char *plus = memchr(text, '+', len);

	w->pre = minus != NULL ? strtoul(minus + 1, NULL, 10) : 0;
	w->post = plus != NULL ? strtoul(plus + 1, NULL, 10) : 0;
}

/*
 * An added line in colour, as git's ws_check_emit writes it with the
 * default rules blank-at-eol and space-before-tab: the sign alone in
 * green; blanks before a tab in the indent, and the blanks at the end of
 * the line (a carriage return one), in C_WS; a tab of the indent plain;
 * the rest green.  A blank line the new text adds at its end is a
 * whitespace error whole, its '+' too.  text: without its newline.
 */
static int
put_added(const struct out *w, const char *text, size_t len)
{
	size_t i, trail = len, done = 0;

	if (w->blank_pre != 0 && w->blank_pre <= w->pre &&
	    w->blank_post <= w->post && blank_line(text, len)) {
		i = len > 0 && text[len - 1] == '\r';
		return printf(C_WS "+%.*s" C_RESET "%s\n", (int)(len - i),
		    text, i ? "\r" : "");
	}
	while (trail > 0 && git_space(text[trail - 1]))
		trail--;
	if (printf(C_NEW "+" C_RESET) < 0)
		return -1;
	for (i = 0; i < trail && (text[i] == ' ' || text[i] == '\t'); i++) {
		if (text[i] != '\t')
			continue;
		if (done < i && printf(C_WS "%.*s" C_RESET, (int)(i - done),
		    text + done) < 0)
			return -1;
		if (putchar('\t') == EOF)
			return -1;
		done = i + 1;
	}
	if (trail > done && printf(C_NEW "%.*s" C_RESET, (int)(trail - done),
	    text + done) < 0)
		return -1;
	if (len > trail && printf(C_WS "%.*s" C_RESET, (int)(len - trail),
	    text + trail) < 0)
		return -1;
	return putchar('\n') == EOF ? -1 : 0;
}

/* A line of the diff, cleaned (put_line), without its newline. */
static int
put_clean(struct out *w, enum dipb_diff_origin o, const char *text,
    size_t len)
{
	const char *c = NULL, *mark = "", *cr = "";

	switch (o) {
	case DIPB_DIFF_HUNK:
		hunk_lines(w, text, len);
		if (w->color && put_hunk(text, len) < 0)
			return -1;
		if (w->color)
			return 0;
		break;
	case DIPB_DIFF_CONTEXT:
		w->pre++;
		w->post++;
		c = "";		/* plain, then a reset, as git */
		mark = " ";
		break;
	case DIPB_DIFF_ADDED:
		w->post++;
		if (w->color)
			return put_added(w, text, len);
		mark = "+";
		break;
	case DIPB_DIFF_REMOVED:
		w->pre++;
		c = C_OLD;
		mark = "-";
		break;
	case DIPB_DIFF_NO_NEWLINE:
		/*
		 * libgit2 starts "\ No newline at end of file" with the
		 * newline the line before lacked; git prints the marker alone
		 * on its line, plain (a file stored without a last newline,
		 * --all).
		 */
		if (len > 0 && text[0] == '\n') {
			text++;
			len--;
		}
		c = "";
		break;
	}
	/* In colour, a carriage return at the end after the reset, as git. */
	if (w->color && len > 0 && text[len - 1] == '\r') {
		len--;
		cr = "\r";
	}
	return printf("%s%s%.*s%s%s\n", w->color && c != NULL ? c : "", mark,
	    (int)len, text, w->color && c != NULL ? C_RESET : "", cr) < 0 ?
	    -1 : 0;
}

/*
 * A line as libgit2 gives it, cleaned as every reader cleans text
 * (text.h): a bidirectional control, the only one a record that loads
 * can hold, shown as '?', never obeyed (dipb-diff(1)); a carriage return
 * before the newline kept, as git shows it.  The colour ends before the
 * newline, as git ends it.
 */
static int
put_line(enum dipb_diff_origin o, const char *text, size_t len, void *arg)
{
	struct out *w = arg;
	char *clean;
	size_t n;

	if (len > 0 && text[len - 1] == '\n')
		len--;
	clean = dipb_text_clean(text, len);
	/* Each byte cleaned by itself: the last one the '\r' was. */
	if ((n = strlen(clean)) > 0 && text[len - 1] == '\r')
		clean[n - 1] = '\r';
	if (put_clean(w, o, clean, n) < 0)
		w->failed = 1;
	free(clean);
	return w->failed;
}

/* The digits of n. */
static unsigned
digits(unsigned n)
{
	unsigned d = 1;

	while (n >= 10) {
		n /= 10;
		d++;
	}
	return d;
}

/*
 * The widths of --stat's name and bar for a name of len columns and total
 * lines changed, in STAT_COLUMNS, by git diff --stat's rule for one text
 * file (dipb-diff(1), --stat): the bar as long as the count, unless
 * the line would be too wide; then the name and the count keep their
 * room, the bar takes the rest, or at least 3/8 of the width less the
 * count's room (6 columns at least), and a name too long is cut.
 */
static void
stat_widths(unsigned *name_w, unsigned *graph_w, unsigned len,
    unsigned total)
{
	const unsigned width = STAT_COLUMNS, number_w = digits(total);

	*name_w = len;
	*graph_w = total;
	if (*name_w + number_w + 6 + *graph_w <= width)
		return;
	if (*graph_w + number_w + 6 > width * 3 / 8) {
		*graph_w = width * 3 / 8 - number_w - 6;
		if (*graph_w < 6)
			*graph_w = 6;
	}
	if (*name_w > width - number_w - 6 - *graph_w)
		*name_w = width - number_w - 6 - *graph_w;
	else
		*graph_w = width - number_w - 6 - *name_w;
}

/* n of max in a bar of width columns, 1 at least, as git scales it. */
static unsigned
scale(unsigned n, unsigned width, unsigned max)
{
	if (n == 0)
		return 0;
	return 1 + (unsigned)((unsigned long)n * (width - 1) / max);
}

/*
 * " recommendations/IC-0003.yaml | 4 ++--" and git's summary line, the
 * record's path in the board's layout (dipb-board(5)), as git diff --stat
 * prints it on 80 columns: a name too long for them is cut to
 * "..." and its end, from a '/'.
 */
static void
print_stat(const char *path, unsigned added, unsigned removed, int color)
{
	unsigned total = added + removed, plus = added, minus = removed;
	unsigned name_w, graph_w, len = (unsigned)strlen(path);
	const char *prefix = "", *slash;

	if (total == 0)
		return;
	stat_widths(&name_w, &graph_w, len, total);
	if (name_w < len) {
		prefix = "...";
		name_w = name_w > 3 ? name_w - 3 : 0;
		path += len - name_w;
		if ((slash = strchr(path, '/')) != NULL)
			path = slash;
	}
	if (graph_w < total) {
		if (added < removed) {
			plus = scale(added, graph_w, total);
			minus = graph_w - plus;
		} else {
			minus = scale(removed, graph_w, total);
			plus = graph_w - minus;
		}
	}
	printf(" %s%-*s | %u ", prefix, (int)name_w, path, total);
	printf("%s", color && plus > 0 ? C_NEW : "");
	while (plus-- > 0)
		putchar('+');
	printf("%s%s", color && added > 0 ? C_RESET : "",
	    color && minus > 0 ? C_OLD : "");
	while (minus-- > 0)
		putchar('-');
	printf("%s\n", color && removed > 0 ? C_RESET : "");
	printf(" 1 file changed");
	if (added > 0)
		printf(", %u insertion%s(+)", added, added == 1 ? "" : "s");
	if (removed > 0)
		printf(", %u deletion%s(-)", removed, removed == 1 ? "" : "s");
	putchar('\n');
}

/*
 * The version the acting member last reviewed (--since-review): the
 * commit of their last review of the record holds the text they read, the
 * review changing none of the drafter's fields (dipb-workflow(7),
 * "Fields").
 */
static const struct dipb_error *
last_review(size_t *out, const struct dipb_events *l, const char *id,
    const char *email)
{
	enum dipb_event_kind k;
	size_t i;

	for (i = l->n; i-- > 0;) {
		/* A tag of a review on no review (forged) is none. */
		if (l->v[i].forged ||
		    l->v[i].event == NULL || l->v[i].author_email == NULL ||
		    strcasecmp(l->v[i].author_email, email) != 0 ||
		    dipb_event_parse(&k, id, l->v[i].event) != 0)
			continue;
		if (k == DIPB_EVENT_REVIEWED || k == DIPB_EVENT_ENDORSED ||
		    k == DIPB_EVENT_RETURNED) {
			*out = i;
			return NULL;
		}
	}
	return dipb_error_fmt(DIPB_ERR_NOT_FOUND, "%s has not reviewed %s: "
	    "no review of theirs among its versions (dipb log %s)", email, id,
	    id);
}

/*
 * The text compared of version ev: the drafter's fields in their
 * canonical form, or (all) the file stored at its commit, byte for byte,
 * as git diff FROM-TAG TO-TAG compares it (dipb-diff(1)).  A version that
 * does not load is refused either way.
 */
static const struct dipb_error *
version_text(struct dipb_buf *out, struct dipb_diags *diags,
    struct dipb_history *h, const char *id, const struct dipb_event *ev,
    int all)
{
	struct dipb_record rec;
	const struct dipb_error *err;

	dipb_record_init(&rec);
	if ((err = dipb_history_load_version(&rec, all ? out : NULL, diags, h,
	    id, ev)) == NULL && !all)
		dipb_record_emit_drafted(&rec, out);
	dipb_record_release(&rec);
	return err;
}

/*
 * FROM and TO, indices of events: by default the version before the last
 * and the last; with reviewer (--since-review), the version of reviewer's
 * last review and the last.  *has_from 0: from nothing (version 1 alone).
 * argv: ID, then up to two versions.
 */
static const struct dipb_error *
choose_versions(size_t *from, int *has_from, size_t *to,
    struct dipb_repo *repo, const struct dipb_events *events, const char *id,
    const char *reviewer, int argc, char **argv)
{
	const struct dipb_error *err;

	*to = events->n - 1;
	if (reviewer != NULL) {
		if ((err = last_review(from, events, id, reviewer)) != NULL)
			return err;
		*has_from = 1;
		if (argc == 2)
			return dipb_history_version_here(to, repo, events, id,
			    argv[1]);
		if ((err = dipb_history_unique(events, *to, id)) != NULL)
			return err;
		return dipb_history_genuine(events, *to, id);
	}
	if (argc >= 2) {
		if ((err = dipb_history_version_here(from, repo, events, id,
		    argv[1])) != NULL)
			return err;
		*has_from = 1;
	}
	if (argc == 3 && (err = dipb_history_version_here(to, repo, events,
	    id, argv[2])) != NULL)
		return err;
	/*
	 * A version taken by default, by its place, is refused as a number
	 * alone is when two tags have its number, or its tag is on no
	 * change of the record (dipb-diff(1)).
	 */
	if (argc < 3 && ((err = dipb_history_unique(events, *to, id)) != NULL ||
	    (err = dipb_history_genuine(events, *to, id)) != NULL))
		return err;
	/*
	 * The version before TO, past a shallow clone's end (before the
	 * first here or between two), is refused, the cut named, rather
	 * than another taken for it (dipb-git(7)).
	 */
	if (!*has_from && events->v[*to].n > 1 && (err = dipb_history_cut_at(
	    repo, events, id, events->v[*to].n - 1)) != NULL)
		return err;
	if (!*has_from && *to > 0) {
		*from = *to - 1;
		*has_from = 1;
		if ((err = dipb_history_unique(events, *from, id)) != NULL ||
		    (err = dipb_history_genuine(events, *from, id)) != NULL)
			return err;
	}
	return NULL;
}

/*
 * The difference of old and new on standard output: with stat_path,
 * --stat's line for that path; else a unified diff headed by from_tag and
 * to_tag, only when they differ, as git diff.  *changed 1 when they do.
 */
static const struct dipb_error *
print_diff(int *changed, struct dipb_repo *repo, const struct dipb_buf *old,
    const struct dipb_buf *new, unsigned context, const char *stat_path,
    const char *from_tag, const char *to_tag, struct out *w)
{
	const struct dipb_error *err;
	unsigned added = 0, removed = 0;

	if ((err = dipb_repo_diff_text(&added, &removed, repo, old, new,
	    context, NULL, NULL)) != NULL)
		return err;
	*changed = added + removed > 0;
	if (stat_path != NULL) {
		print_stat(stat_path, added, removed, w->color);
		return NULL;
	}
	if (!*changed)
		return NULL;
	printf("%s--- %s%s\n", w->color ? C_META : "", from_tag,
	    w->color ? C_RESET : "");
	printf("%s+++ %s%s\n", w->color ? C_META : "", to_tag,
	    w->color ? C_RESET : "");
	if (w->color)
		blank_at_eof(w, old, new);
	err = dipb_repo_diff_text(&added, &removed, repo, old, new, context,
	    put_line, w);
	if (err == NULL && w->failed)
		err = dipb_error_from_errno("standard output");
	return err;
}

/* What the command line asks of dipb diff. */
struct diff_opts {
	int		 argc;		/* ID, then up to two versions */
	char		**argv;
	const char	*id;
	unsigned long	 context;	/* -U */
	int		 since_review;
	int		 all;
	int		 stat;
	int		 exit_code;
};

/* The options and operands; w's colour as --color or main's says. */
static const struct dipb_error *
parse_options(struct diff_opts *o, struct out *w, int argc, char **argv,
    const struct dipb_ctx *ctx)
{
	enum { OPT_SINCE_REVIEW = 256, OPT_EXIT_CODE };
	static const struct option opts[] = {
		{ "since-review", no_argument, NULL, OPT_SINCE_REVIEW },
		{ "all", no_argument, NULL, 'a' },
		{ "stat", no_argument, NULL, 's' },
		{ "unified", required_argument, NULL, 'U' },
		{ "color", optional_argument, NULL, 'c' },
		{ "exit-code", no_argument, NULL, OPT_EXIT_CODE },
		{ NULL, 0, NULL, 0 }
	};
	char *end;
	int ch;

	memset(o, 0, sizeof(*o));
	o->context = 3;
	while ((ch = getopt_long(argc, argv, ":U:", opts, NULL)) != -1) {
		switch (ch) {
		case OPT_SINCE_REVIEW:
			o->since_review = 1;
			break;
		case 'a':
			o->all = 1;
			break;
		case 's':
			o->stat = 1;
			break;
		case 'U':
			o->context = strtoul(optarg, &end, 10);
			if (optarg[0] < '0' || optarg[0] > '9' ||
			    *end != '\0' || o->context > 10000)
				return usage_diff("-U takes a number of lines "
				    "(0 to 10000)");
			break;
		case 'c':
			if (color_wanted(&w->color, optarg, ctx) != 0)
				return usage_diff("--color takes auto, always "
				    "or never");
			break;
		case OPT_EXIT_CODE:
			o->exit_code = 1;
			break;
		default:
			return dipb_cmd_bad_option("diff", ch, argv);
		}
	}
	o->argc = argc - optind;
	o->argv = argv + optind;
	if (o->argc < 1 || o->argc > 3)
		return usage_diff("a recommendation id expected, then up to "
		    "two versions");
	if (o->since_review && o->argc > 2)
		return usage_diff("--since-review compares with one version "
		    "at most (TO)");
	o->id = o->argv[0];
	return dipb_check_id(o->id);
}

const struct dipb_error *
cmd_diff(int argc, char **argv, struct dipb_ctx *ctx)
{
	struct diff_opts o;
	struct dipb_session s;
	struct dipb_history *hist = NULL;
	struct dipb_events events = DIPB_EVENTS_INIT;
	struct dipb_identity who;
	struct dipb_buf old = DIPB_BUF_INIT, new = DIPB_BUF_INIT;
	struct out w;
	const struct dipb_error *err;
	const char *id;
	size_t from = 0, to = 0;
	int has_who = 0, has_from = 0, changed = 0;
	char *path;

	memset(&w, 0, sizeof(w));
	w.color = ctx->color;
	if ((err = parse_options(&o, &w, argc, argv, ctx)) != NULL)
		return err;
	id = o.id;

	if ((err = dipb_ctx_open(ctx)) != NULL)
		return err;
	memset(&who, 0, sizeof(who));
	if ((err = dipb_session_open(&s, ctx->repo)) != NULL)
		goto done;
	if ((err = dipb_history_open(&hist, ctx->repo)) != NULL ||
	    (err = dipb_history_record(&events, hist, id)) != NULL)
		goto done;
	if (events.n == 0) {
		if ((err = dipb_history_cut(ctx->repo, &events, id)) == NULL)
			err = dipb_error_fmt(DIPB_ERR_NOT_FOUND, "no such "
			    "recommendation: '%s' (no tags %s/N-EVENT)", id,
			    id);
		goto done;
	}

	if (o.since_review) {
		if ((err = dipb_repo_identity_email(&who, ctx->repo)) != NULL)
			goto done;
		has_who = 1;
	}
	if ((err = choose_versions(&from, &has_from, &to, ctx->repo, &events,
	    id, o.since_review ? who.email : NULL, o.argc, o.argv)) != NULL)
		goto done;

	/* Version 1 alone: from nothing, as git show shows a first commit. */
	if (has_from && (err = version_text(&old, &s.diags, hist, id,
	    &events.v[from], o.all)) != NULL)
		goto done;
	if ((err = version_text(&new, &s.diags, hist, id, &events.v[to],
	    o.all)) != NULL)
		goto done;
	path = dipb_record_path_in(s.board.layout, id);
	err = print_diff(&changed, ctx->repo, &old, &new, (unsigned)o.context,
	    o.stat ? path : NULL, has_from ? events.v[from].tag : "/dev/null",
	    events.v[to].tag, &w);
	free(path);
	/* --exit-code: 1 when they differ, saying nothing (dipb-diff(1)). */
	if (err == NULL && o.exit_code && changed)
		err = dipb_error_fmt(DIPB_ERR_INVALID, "%s", "");
done:
	dipb_buf_release(&old);
	dipb_buf_release(&new);
	if (has_who)
		dipb_identity_release(&who);
	dipb_events_release(&events);
	dipb_history_close(hist);
	dipb_diags_print(stderr, &s.diags, DIPB_DIAG_GCC);
	dipb_session_end(&s);
	return err;
}

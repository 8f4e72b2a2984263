/*
 * cmd_init.c - dipb init [DIR] [--board NAME] [--config FILE]
 *     [--layout flat|sharded]
 *
 * The board's first commit holds dipb.yaml and .gitattributes (records
 * are LF text whatever core.autocrlf says); it is tagged board/1-created.
 * In a repository that has a .gitattributes, dipb's line is appended to
 * the user's lines, and only when missing; nothing else of the user's
 * (files, staged work, configuration) is touched (dipb-git(7), "Working
 * files and attributes").
 * Whoever creates a board from --config must be a chair in it: creating
 * the board is the first change of dipb.yaml, which only a chair may make.
 */
#include <sys/stat.h>

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board.h"
#include "cmd.h"
#include "error.h"
#include "repo.h"
#include "session.h"
#include "subject.h"
#include "text.h"
#include "validate.h"

#define GITATTRIBUTES	".gitattributes"
#define ATTR_LINE	"*.yaml text eol=lf"

/* 1 when the len bytes of text hold line as a whole line. */
static int
has_line(const char *text, size_t len, const char *line)
{
	const char *p = text, *end = text + len, *nl;
	size_t n, want = strlen(line);

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		n = (size_t)((nl != NULL ? nl : end) - p);
		if (n > 0 && p[n - 1] == '\r')
			n--;
		if (n == want && memcmp(p, line, n) == 0)
			return 1;
		p = nl != NULL ? nl + 1 : end;
	}
	return 0;
}

/*
 * The .gitattributes the board's first commit holds, into out: the tip's
 * with dipb's line appended, or none (*add 0) when it has the line.  The
 * user's uncommitted changes to it are refused, not overwritten.
 */
static const struct dipb_error *
attributes(struct dipb_buf *out, int *add, struct dipb_repo *repo)
{
	const struct dipb_error *err;
	int found = 0, dirty = 0;

	*add = 0;
	if ((err = dipb_repo_read(out, &found, repo, GITATTRIBUTES,
	    DIPB_MAX_FILE)) != NULL)
		return err;
	if (found && has_line(out->ptr, out->len, ATTR_LINE))
		return NULL;
	if ((err = dipb_repo_path_dirty(&dirty, repo, GITATTRIBUTES)) != NULL)
		return err;
	if (dirty)
		return dipb_error_fmt(DIPB_ERR_DIRTY, "%s has uncommitted "
		    "changes: dipb init adds the line '%s' to it; commit or "
		    "stash them first", GITATTRIBUTES, ATTR_LINE);
	if (out->len > 0 && out->ptr[out->len - 1] != '\n')
		dipb_buf_putc(out, '\n');
	dipb_buf_puts(out, ATTR_LINE "\n");
	*add = 1;
	return NULL;
}

/*
 * A dipb.yaml the user has in the working tree (or staged) and not
 * committed: refused unless it is the one init writes.
 */
static const struct dipb_error *
check_board_file(struct dipb_repo *repo, const struct dipb_buf *yaml)
{
	const struct dipb_error *err;
	struct dipb_buf cur = DIPB_BUF_INIT;
	int dirty = 0;

	if ((err = dipb_repo_path_dirty(&dirty, repo, DIPB_BOARD_FILE)) !=
	    NULL || !dirty)
		return err;
	err = dipb_repo_read_worktree(&cur, repo, DIPB_BOARD_FILE,
	    DIPB_MAX_FILE);
	if (err == NULL && (cur.len != yaml->len ||
	    memcmp(cur.ptr, yaml->ptr, cur.len) != 0))
		err = dipb_error_fmt(DIPB_ERR_DIRTY, "%s is in the working "
		    "tree but not committed: dipb init would commit another; "
		    "move it away (and give it as --config)", DIPB_BOARD_FILE);
	dipb_buf_release(&cur);
	return err;
}

static const struct dipb_error *
usage_init(const char *what)
{
	return dipb_cmd_usage_error("init", "%s", what);
}

static const struct dipb_error *
load_config(struct dipb_board *b, const char *file)
{
	struct dipb_buf buf = DIPB_BUF_INIT;
	struct dipb_diags diags = DIPB_DIAGS_INIT;
	const struct dipb_error *err;
	int bad;

	if ((err = dipb_read_file(&buf, file, DIPB_MAX_FILE)) != NULL)
		goto done;
	/* What dipb validate would refuse in the board it makes
	 * (dipb-validate(1), email, control-character) is not made. */
	bad = dipb_board_load(b, file, buf.ptr, buf.len, &diags) != 0 ||
	    dipb_validate_board_written(&diags, file, b, NULL) > 0;
	if (!bad)
		dipb_validate_board_bidi(&diags, file, b, NULL);
	err = dipb_cmd_file_read(&diags, bad, "board file", file);
done:
	dipb_diags_release(&diags);
	dipb_buf_release(&buf);
	return err;
}

/*
 * The template board b, made of git's identity, as dipb validate would
 * judge it: NULL, or the first error, said as the identity's.
 */
static const struct dipb_error *
check_template(const struct dipb_board *b)
{
	struct dipb_diags diags = DIPB_DIAGS_INIT;
	const struct dipb_error *err = NULL;

	if (dipb_validate_board_written(&diags, DIPB_BOARD_FILE, b,
	    NULL) > 0)
		err = dipb_error_fmt(DIPB_ERR_IDENTITY, "the template's "
		    "chair, git's identity: %s [%s], which dipb validate "
		    "refuses in %s: set user.name and user.email to one line "
		    "of text each", diags.v[0].msg, diags.v[0].rule,
		    DIPB_BOARD_FILE);
	dipb_diags_release(&diags);
	return err;
}

/* What the command line asks of dipb init. */
struct init_opts {
	const char		*name;		/* --board; NULL: none */
	const char		*config;	/* --config; NULL: the template */
	const char		*dir;
	int			 retries;	/* -1: the default */
	int			 has_layout;
	enum dipb_layout	 layout;
};

static const struct dipb_error *
parse_options(struct init_opts *o, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "board", required_argument, NULL, 'b' },
		{ "config", required_argument, NULL, 'c' },
		{ "layout", required_argument, NULL, 'l' },
		{ "retry", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 }
	};
	const struct dipb_error *err;
	size_t at;
	unsigned cp;
	int c;

	memset(o, 0, sizeof(*o));
	o->dir = ".";
	o->retries = -1;
	o->layout = DIPB_LAYOUT_FLAT;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (c) {
		case 'b':
			if ((err = dipb_cmd_once(&o->name, optarg, "init",
			    "--board")) != NULL)
				return err;
			break;
		case 'c':
			if ((err = dipb_cmd_once(&o->config, optarg, "init",
			    "--config")) != NULL)
				return err;
			break;
		case 'l':
			if (o->has_layout)
				return usage_init("option '--layout' is given "
				    "more than once");
			if (dipb_layout_parse(optarg, &o->layout) != 0)
				return usage_init("--layout takes flat or "
				    "sharded");
			o->has_layout = 1;
			break;
		default:
			if ((err = dipb_cmd_retry_option(&o->retries, "init", c,
			    optarg, argv)) != NULL)
				return err;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 1)
		return usage_init("at most one directory");
	if (argc == 1)
		o->dir = argv[0];
	if (o->name != NULL && dipb_text_blank(o->name))
		return usage_init("--board may not be empty or blanks only");
	/* The board's name is one line of dipb.yaml, shown everywhere. */
	if (o->name != NULL && (!dipb_utf8_valid(o->name, strlen(o->name)) ||
	    dipb_text_find_control(&at, &cp, o->name, 0)))
		return usage_init("--board must be one line of UTF-8 text");
	return NULL;
}

/*
 * The board's first change, made by member m (who): dipb.yaml, and
 * .gitattributes with dipb's line when the tip's lacks it (attributes);
 * signed when sign.  *tag: its tag's name.
 */
static const struct dipb_error *
commit_board(char **tag, struct dipb_repo *repo, const struct dipb_board *board,
    const struct dipb_identity *who, const struct dipb_member *m, int sign)
{
	const struct dipb_error *err;
	struct dipb_buf yaml = DIPB_BUF_INIT, attrs = DIPB_BUF_INIT;
	struct dipb_file files[2];
	struct dipb_change ch;
	char *subject = NULL;
	int add_attrs = 0;

	dipb_board_emit(board, &yaml);
	if ((err = check_board_file(repo, &yaml)) != NULL ||
	    (err = attributes(&attrs, &add_attrs, repo)) != NULL)
		goto done;
	files[0].path = DIPB_BOARD_FILE;
	files[0].data = yaml.ptr;
	files[0].len = yaml.len;
	files[1].path = GITATTRIBUTES;
	files[1].data = attrs.ptr;
	files[1].len = attrs.len;
	/* The board's name for its chair (dipb_session_actor). */
	subject = dipb_subject_make(&(struct dipb_subject){
	    .kind = DIPB_EVENT_CREATED, .id = DIPB_BOARD_RECORD,
	    .by = dipb_member_subject_name(m) });
	memset(&ch, 0, sizeof(ch));
	ch.files = files;
	ch.nfiles = add_attrs ? 2 : 1;
	ch.record = DIPB_BOARD_RECORD;
	ch.event = dipb_event_name(DIPB_EVENT_CREATED);
	ch.subject = subject;
	ch.who = who;
	/* The board it creates says whether its first change is signed. */
	ch.sign = sign;
	ch.keys = m != NULL ? &m->keys : NULL;
	err = dipb_repo_commit(tag, repo, &ch);
done:
	free(subject);
	dipb_buf_release(&attrs);
	dipb_buf_release(&yaml);
	return err;
}

/*
 * One try of dipb init's: the board made in the repository at o->dir,
 * found or made, into *out (NULL: none), which the caller closes.
 * *again when it failed, having written nothing, because the .git it
 * found was taken back meanwhile by the dipb init that made it
 * (dipb_repo_init_gone): the caller tries again (dipb-init(1)).
 */
static const struct dipb_error *
init_board(struct dipb_repo **out, int *again, const struct init_opts *o)
{
	struct dipb_repo *repo = NULL;
	struct dipb_board board;
	struct dipb_identity who;
	const struct dipb_error *err;
	const struct dipb_member *m;
	char *tag = NULL, *recdir = NULL;
	int have_who = 0, locked = 0, sign = 0, made = 0;

	*again = 0;
	dipb_board_init(&board);
	/* Check the configuration before anything is created on disk. */
	if (o->config != NULL &&
	    (err = load_config(&board, o->config)) != NULL)
		goto done;
	if ((err = dipb_repo_init(&repo, again, o->dir, o->retries)) != NULL)
		goto done;
	if ((err = dipb_repo_identity(&who, repo)) != NULL)
		goto done;
	have_who = 1;
	if (o->config == NULL)
		dipb_board_template(&board, o->name != NULL ? o->name :
		    "Defence Industrial Production Board",
		    who.name != NULL ? who.name : who.email, who.email);
	else if (o->name != NULL) {
		free(board.board);
		board.board = xstrdup(o->name);
	}
	/* The template's chair is git's identity: one whose name or email
	 * dipb validate would refuse in dipb.yaml (email,
	 * control-character) makes no board. */
	if (o->config == NULL && (err = check_template(&board)) != NULL)
		goto done;
	/* Where its records live (dipb-board(5), "layout"): the config's
	 * layout: unless --layout is given. */
	if (o->has_layout)
		board.layout = o->layout;
	m = dipb_board_member(&board, who.email);
	if ((err = dipb_state_permit(&board, who.email, DIPB_MOVE_INIT, NULL,
	    NULL)) != NULL) {
		dipb_error_free(err);
		err = dipb_error_fmt(DIPB_ERR_DENIED,
		    "%s may not create the board: needs the chair role in %s",
		    who.email, o->config != NULL ? o->config :
		    "the template");
		goto done;
	}
	if (who.name == NULL)
		who.name = xstrdup(dipb_member_subject_name(m));
	if (o->retries >= 0)
		dipb_repo_set_retries(repo, o->retries);
	if ((err = dipb_session_signing(&sign, &board, m)) != NULL ||
	    (err = dipb_repo_check_sign(repo, sign)) != NULL ||
	    (err = dipb_repo_check_state(repo)) != NULL ||
	    (err = dipb_repo_begin(repo)) != NULL)
		goto done;
	locked = 1;
	/* Another dipb init of this folder may have made its board since
	 * dipb_repo_init looked (dipb-init(1)). */
	if ((err = dipb_repo_check_no_board(repo)) != NULL)
		goto done;
	if ((err = commit_board(&tag, repo, &board, &who, m, sign)) != NULL)
		goto done;
	made = 1;
	dipb_session_warn_unsigned(repo, &board);
	fprintf(stderr, "%s\n", tag);
	recdir = xasprintf("%s%s", dipb_repo_workdir(repo), DIPB_RECORD_DIR);
	if (mkdir(recdir, 0777) == -1 && errno != EEXIST)
		err = dipb_error_from_errno("%s", recdir);
done:
	/* Refused before the board was made: no repository left behind.
	 * The .git found is gone when the other took it back meanwhile;
	 * looked at under the lock, when held, as the other takes it. */
	if (err != NULL && !made && repo != NULL) {
		*again = dipb_repo_init_gone(repo);
		dipb_repo_unmake(repo);
	}
	if (locked)
		dipb_repo_end(repo);
	free(recdir);
	free(tag);
	if (have_who)
		dipb_identity_release(&who);
	dipb_board_release(&board);
	*out = repo;
	return err;
}

const struct dipb_error *
cmd_init(int argc, char **argv, struct dipb_ctx *ctx)
{
	struct dipb_repo *repo = NULL;
	struct init_opts o;
	struct stat st;
	const struct dipb_error *err;
	int again, tries;

	if ((err = parse_options(&o, argc, argv)) != NULL)
		return err;
	/* libgit2 would say "failed to make directory: directory exists". */
	if (stat(o.dir, &st) == 0 && !S_ISDIR(st.st_mode))
		return dipb_error_fmt(DIPB_ERR_IO, "'%s' is there and is not "
		    "a folder: a board is made in a folder", o.dir);
	/* Tried again, as many times as the lock is (--retry), while the
	 * .git found is taken back by the dipb init that made it. */
	tries = o.retries < 0 ? DIPB_REPO_RETRIES : o.retries;
	while ((err = init_board(&repo, &again, &o)) != NULL && again &&
	    tries-- > 0) {
		dipb_error_free(err);
		dipb_repo_close(repo);
		repo = NULL;
	}
	ctx->repo = repo;	/* main prints its warnings and closes it */
	return err;
}

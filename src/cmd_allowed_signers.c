/*
 * cmd_allowed_signers.c - dipb allowed-signers [--at REV]
 *
 * The members' keys of dipb.yaml as an allowed-signers file (ssh-keygen(1),
 * ALLOWED SIGNERS), for git's gpg.ssh.allowedSignersFile: git verify-commit
 * and git verify-tag then check a change against the board's own keys
 * (dipb-allowed-signers(1), dipb-board(5) "Signing").
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board.h"
#include "cmd.h"
#include "diag.h"
#include "error.h"
#include "repo.h"
#include "text.h"
#include "validate.h"

static const struct dipb_error *
usage_allowed_signers(const char *what)
{
	return dipb_cmd_usage_error("allowed-signers", "%s", what);
}

/*
 * dipb.yaml at the tip, or at rev, into buf; a board that is not there is
 * DIPB_ERR_NOT_FOUND (at rev) or DIPB_ERR_NO_REPO (at the tip, as the
 * other commands say it).
 */
static const struct dipb_error *
read_board(struct dipb_buf *buf, struct dipb_repo *repo, const char *rev)
{
	const struct dipb_error *err;
	char commit[DIPB_OID_HEX + 1], blob[DIPB_OID_HEX + 1];
	int found = 0;

	if (rev == NULL) {
		if ((err = dipb_repo_read(buf, &found, repo, DIPB_BOARD_FILE,
		    DIPB_MAX_FILE)) != NULL)
			return err;
		if (!found)
			return dipb_error_fmt(DIPB_ERR_NO_REPO,
			    "no %s on branch '%s': run 'dipb init' first",
			    DIPB_BOARD_FILE, dipb_repo_branch(repo));
		return NULL;
	}
	if ((err = dipb_git_resolve(commit, repo, rev)) != NULL)
		return err;
	if ((err = dipb_git_read_at(buf, blob, &found, repo, commit,
	    DIPB_BOARD_FILE, DIPB_MAX_FILE)) != NULL)
		return err;
	if (!found)
		return dipb_error_fmt(DIPB_ERR_NOT_FOUND, "no %s at '%s'",
		    DIPB_BOARD_FILE, rev);
	return NULL;
}

/*
 * An allowed-signers principal is a list of patterns: a comma, a quote, a
 * blank or a wildcard in an email would make the line name someone else,
 * or anyone, and a control character (C1 too) has no place in the line.
 * Letters beyond ASCII ("zoë@example.org", which dipb.yaml allows) are
 * matched byte for byte by ssh-keygen, as git asks it to.
 */
static int
principal_ok(const char *email)
{
	const unsigned char *p;
	size_t at;
	unsigned cp;

	if (email == NULL || *email == '\0' ||
	    dipb_text_find_control(&at, &cp, email, 0))
		return 0;
	for (p = (const unsigned char *)email; *p != '\0'; p++)
		if (*p <= ' ' || *p == 0x7f || strchr(",\"*?!#", *p) != NULL)
			return 0;
	return 1;
}

const struct dipb_error *
cmd_allowed_signers(int argc, char **argv, struct dipb_ctx *ctx)
{
	static const struct option opts[] = {
		{ "at", required_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 }
	};
	const struct dipb_error *err;
	struct dipb_buf buf = DIPB_BUF_INIT, out = DIPB_BUF_INIT;
	struct dipb_diags diags = DIPB_DIAGS_INIT;
	struct dipb_board b;
	const struct dipb_member *m;
	const char *rev = NULL;
	char *show;
	size_t i, k, nkeys = 0;
	int ch;

	while ((ch = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (ch) {
		case 'a':
			if (*optarg == '\0')
				return usage_allowed_signers("--at takes a "
				    "revision");
			rev = optarg;
			break;
		default:
			return dipb_cmd_bad_option("allowed-signers", ch, argv);
		}
	}
	if (optind != argc)
		return usage_allowed_signers("no arguments expected");
	if ((err = dipb_ctx_open(ctx)) != NULL)
		return err;

	dipb_board_init(&b);
	if ((err = read_board(&buf, ctx->repo, rev)) != NULL)
		goto done;
	if (dipb_board_load(&b, DIPB_BOARD_FILE, buf.ptr, buf.len,
	    &diags) != 0) {
		err = dipb_error_fmt(DIPB_ERR_INVALID,
		    "invalid board file: '%s'%s%s", DIPB_BOARD_FILE,
		    rev != NULL ? " at " : "", rev != NULL ? rev : "");
		goto done;
	}
	/* Every line checked before one is printed: all or nothing. */
	for (i = 0; i < b.nmembers; i++) {
		m = &b.members[i];
		if (m->keys.n == 0)
			continue;
		if (!principal_ok(m->email)) {
			show = dipb_text_clean_line(m->email);
			err = dipb_error_fmt(DIPB_ERR_INVALID, "member email "
			    "'%s' cannot name a signer: blanks, commas, quotes "
			    "and the wildcards * ? ! are patterns in an "
			    "allowed-signers file; correct it with 'dipb edit "
			    "--board'", show);
			free(show);
			goto done;
		}
		for (k = 0; k < m->keys.n; k++) {
			dipb_buf_printf(&out, "%s namespaces=\"git\" %s\n",
			    m->email, m->keys.v[k]);
			nkeys++;
		}
	}
	if (nkeys == 0) {
		dipb_say(stderr, "dipb: warning: the board lists no signing "
		    "keys%s%s: its history is unauthenticated "
		    "(dipb-board(5), \"Signing\")\n", rev != NULL ? " at " : "",
		    rev != NULL ? rev : "");
		goto done;
	}
	if (fwrite(out.ptr, 1, out.len, stdout) != out.len)
		err = dipb_error_from_errno("standard output");
done:
	dipb_diags_sort(&diags);
	dipb_diags_print(stderr, &diags, DIPB_DIAG_GCC);
	dipb_diags_release(&diags);
	dipb_board_release(&b);
	dipb_buf_release(&out);
	dipb_buf_release(&buf);
	return err;
}

/*
 * cmd_todo.c - dipb todo [--member WHO] [--today DATE]
 *	[--format text|json]
 *
 * What waits for the acting member, by role (dipb-todo(1)): the records
 * at the tip are read once, the history not at all.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cmd.h"
#include "date.h"
#include "error.h"
#include "json.h"
#include "session.h"
#include "text.h"
#include "todo.h"

/* --format's words; the index is json's value. */
static const char *const formats[] = { "text", "json", NULL };

static const struct dipb_error *
usage_todo(const char *what)
{
	return dipb_cmd_usage_error("todo", "%s", what);
}

/*
 * Text from a record, one line, shown and not obeyed as dipb list shows
 * it (dipb-todo(1)): a tab or a newline a blank, another control
 * character '?' (text.h).
 */
static void
put_line(const char *s)
{
	char *c;

	if (s == NULL)
		s = "";
	c = dipb_text_clean_field(s, strlen(s));
	fputs(c, stdout);
	free(c);
}

/*
 * How long an item has waited: " (N days)"; a day after today is not
 * called today (dipb-todo(1)).
 */
static void
put_wait(const struct dipb_todo_item *it)
{
	long d = it->days;

	if (it->ahead)
		fputs(" (after today)\n", stdout);
	else if (d == 0)
		fputs(" (today)\n", stdout);
	else
		printf(" (%ld day%s)\n", d, d == 1 ? "" : "s");
}

static const char *const headings[DIPB_TODO__COUNT] = {
	"reviews you owe, as reviewer",
	"returned to you, as drafter",
	"your drafts, not yet in review",
	"actions you own",
	"endorsed, to submit, as secretary",
	"submitted, the decision to record, as secretary",
	"submitted, awaiting the board's decision, as chair",
	"overdue actions of the board, as chair",
};

static void
print_action(const struct dipb_todo_item *it)
{
	/* The date in force, moved or not (dipb-action(1), --due). */
	const char *due = dipb_action_due(it->action);

	if (it->kind == DIPB_TODO_OVERDUE) {
		fputs("owner ", stdout);
		put_line(it->action->owner);
		fputs(", ", stdout);
	}
	if (!it->has_due) {
		printf("no due date, decided %s", it->since);
		put_wait(it);
	} else if (it->due_in < 0)
		printf("due %s, overdue by %ld day%s\n", due, -it->due_in,
		    it->due_in == -1 ? "" : "s");
	else if (it->due_in == 0)
		printf("due today, %s\n", due);
	else
		printf("due %s, in %ld day%s\n", due, it->due_in,
		    it->due_in == 1 ? "" : "s");
}

static void
print_item(const struct dipb_todo_item *it)
{
	const struct dipb_review *rv = it->review;

	printf("  %s", it->rec->id);
	if (it->action != NULL)
		printf(" action %zu", it->number);
	fputs("  ", stdout);
	put_line(it->action != NULL ? it->action->text : it->rec->title);
	fputs(": ", stdout);
	switch (it->kind) {
	case DIPB_TODO_REVIEW:
		if (rv == NULL)
			fputs("not reviewed", stdout);
		else
			printf("changed since your %s of %s", rv->verdict ==
			    DIPB_VERDICT_ENDORSE ? "endorsement" : "review",
			    rv->date != NULL ? rv->date : "?");
		printf(", in review since %s", it->since);
		break;
	case DIPB_TODO_RETURNED:
		if (rv != NULL) {
			fputs(rv->verdict == DIPB_VERDICT_OBJECT ?
			    "objected to by " : "changes requested by ",
			    stdout);
			put_line(rv->reviewer);
		} else
			fputs("returned", stdout);
		printf(" on %s", it->since);
		break;
	case DIPB_TODO_DRAFT:
		printf("last changed %s", it->since);
		break;
	case DIPB_TODO_ACTION:
	case DIPB_TODO_OVERDUE:
		print_action(it);
		return;
	case DIPB_TODO_SUBMIT:
		printf("endorsed %s", it->since);
		break;
	case DIPB_TODO_DECIDE:
	case DIPB_TODO_BOARD:
		printf("submitted %s", it->since);
		break;
	default:
		break;
	}
	put_wait(it);
}

static void
print_text(const struct dipb_todo *t, const char *email,
    const struct dipb_member *m, const char *today, int color)
{
	size_t i;
	int k = -1;

	if (t->n == 0)
		fputs("nothing waits for ", stdout);
	else
		printf("%zu waiting for ", t->n);
	if (m != NULL) {
		put_line(m->name);
		fputs(" <", stdout);
	}
	put_line(email);
	printf("%s on %s\n", m != NULL ? ">" : " (not a member)", today);
	for (i = 0; i < t->n; i++) {
		if ((int)t->v[i].kind != k) {
			k = (int)t->v[i].kind;
			printf("\n%s%s:%s\n", color ? "\033[1m" : "",
			    headings[k], color ? "\033[0m" : "");
		}
		print_item(&t->v[i]);
	}
}

static json_t *
str_or_null(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

static json_t *
item_json(const struct dipb_todo_item *it)
{
	json_t *o = json_object(), *x;
	const struct dipb_review *rv = it->review;
	char fp[DIPB_FINGERPRINT_LEN + 1];

	json_object_set_new(o, "kind", json_string(
	    dipb_todo_kind_name(it->kind)));
	json_object_set_new(o, "role", json_string(
	    dipb_todo_kind_role(it->kind)));
	json_object_set_new(o, "id", json_string(it->rec->id));
	json_object_set_new(o, "title", str_or_null(it->rec->title));
	json_object_set_new(o, "status", json_string(
	    dipb_status_name(it->rec->status)));
	json_object_set_new(o, "since", str_or_null(it->since));
	json_object_set_new(o, "days", json_integer(it->days));
	switch (it->kind) {
	case DIPB_TODO_REVIEW:
		dipb_record_fingerprint(it->rec, fp);
		json_object_set_new(o, "fingerprint", json_string(fp));
		json_object_set_new(o, "reason", json_string(rv == NULL ?
		    "not-reviewed" : "changed"));
		if (rv != NULL) {
			x = json_object();
			json_object_set_new(x, "verdict", json_string(
			    dipb_verdict_name(rv->verdict)));
			json_object_set_new(x, "date", str_or_null(rv->date));
			json_object_set_new(x, "fingerprint",
			    str_or_null(rv->fingerprint));
			json_object_set_new(o, "your_review", x);
		}
		break;
	case DIPB_TODO_RETURNED:
		json_object_set_new(o, "returned_by", str_or_null(rv != NULL ?
		    rv->reviewer : NULL));
		json_object_set_new(o, "verdict", rv != NULL ? json_string(
		    dipb_verdict_name(rv->verdict)) : json_null());
		break;
	case DIPB_TODO_ACTION:
	case DIPB_TODO_OVERDUE:
		json_object_set_new(o, "action",
		    json_integer((json_int_t)it->number));
		json_object_set_new(o, "text", str_or_null(it->action->text));
		json_object_set_new(o, "owner",
		    str_or_null(it->action->owner));
		json_object_set_new(o, "due",
		    str_or_null(dipb_action_due(it->action)));
		json_object_set_new(o, "overdue", json_boolean(it->has_due &&
		    it->due_in < 0));
		json_object_set_new(o, "due_in", it->has_due ?
		    json_integer(it->due_in) : json_null());
		break;
	default:
		break;
	}
	return o;
}

static json_t *
todo_json(const struct dipb_todo *t, const char *email,
    const struct dipb_member *m, const char *today)
{
	static const enum dipb_role roles[] = { DIPB_ROLE_DRAFTER,
	    DIPB_ROLE_REVIEWER, DIPB_ROLE_SECRETARY, DIPB_ROLE_CHAIR };
	json_t *o = json_object(), *who = json_object(), *a;
	size_t i;

	json_object_set_new(who, "email", json_string(email));
	json_object_set_new(who, "name", str_or_null(m != NULL ? m->name :
	    NULL));
	a = json_array();
	for (i = 0; m != NULL && i < sizeof(roles) / sizeof(roles[0]); i++)
		if (m->roles & roles[i])
			json_array_append_new(a, json_string(
			    dipb_role_name(roles[i])));
	json_object_set_new(who, "roles", a);
	json_object_set_new(who, "member", json_boolean(m != NULL));
	json_object_set_new(o, "member", who);
	json_object_set_new(o, "today", json_string(today));
	json_object_set_new(o, "count", json_integer((json_int_t)t->n));
	a = json_array();
	for (i = 0; i < t->n; i++)
		json_array_append_new(a, item_json(&t->v[i]));
	json_object_set_new(o, "waiting", a);
	return o;
}

struct todo_opts {
	const char	*member;	/* --member, or NULL */
	const char	*today;		/* --today, or NULL */
	int		 json;		/* --format json */
};

/* The options; no operands (dipb-todo(1)). */
static const struct dipb_error *
parse_options(struct todo_opts *o, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "member", required_argument, NULL, 'm' },
		{ "today", required_argument, NULL, 'd' },
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 }
	};
	const struct dipb_error *err;
	int ch;

	memset(o, 0, sizeof(*o));
	while ((ch = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (ch) {
		case 'm':
			o->member = optarg;
			break;
		case 'd':
			if (!dipb_date_valid(optarg))
				return usage_todo("--today takes a date, "
				    "YYYY-MM-DD");
			o->today = optarg;
			break;
		case 'f':
			if ((err = dipb_cmd_choice(&o->json, "todo",
			    "--format", optarg, formats)) != NULL)
				return err;
			break;
		default:
			return dipb_cmd_bad_option("todo", ch, argv);
		}
	}
	if (optind != argc)
		return usage_todo("no arguments expected");
	return NULL;
}

/*
 * The acting identity, as every command finds it; with --member only for
 * its date, and not needed (*has_who 0).  Today is --today, else that
 * date (the one dipb would give a change now: GIT_AUTHOR_DATE), else the
 * local: with --today, the environment's date is not read, as dipb list
 * reads none (dipb-todo(1), --today).
 */
static const struct dipb_error *
acting_date(struct dipb_identity *who, int *has_who, const char **today,
    char now[11], struct dipb_repo *repo, const char *member)
{
	const struct dipb_error *err;

	err = *today != NULL ? dipb_repo_identity_person(who, repo) :
	    dipb_repo_identity_email(who, repo);
	if (err == NULL)
		*has_who = 1;
	else if (member != NULL)
		dipb_error_free(err);
	else
		return err;
	if (*today == NULL && *has_who) {
		dipb_identity_date(who, now);
		*today = now;
	} else if (*today == NULL) {
		if ((err = dipb_date_today(now)) != NULL)
			return err;
		*today = now;
	}
	return NULL;
}

/*
 * The member whose list it is, and their email: --member's, else the
 * acting identity's (*m NULL, with a warning, when not a member).
 */
static const struct dipb_error *
todo_member(const char **email, const struct dipb_member **m,
    const struct dipb_board *b, const char *member,
    const struct dipb_identity *who, struct dipb_repo *repo)
{
	const struct dipb_error *shared, *err;
	char *warning;

	if (member != NULL) {
		/* An email, or a name as dipb.yaml gives it: dipb-todo(1);
		 * either refusal names the option. */
		if ((shared = dipb_board_member_named(b, member, m)) != NULL) {
			err = dipb_error_fmt(DIPB_ERR_USAGE, "--member: %s",
			    shared->msg);
			dipb_error_free(shared);
			return err;
		}
		if (*m == NULL)
			return dipb_error_fmt(DIPB_ERR_USAGE, "--member: '%s' "
			    "is not a member of the board", member);
		*email = (*m)->email;
	} else {
		*email = who->email;
		if ((*m = dipb_board_member(b, *email)) == NULL) {
			warning = xasprintf("%s is not a member of the "
			    "board: only the actions they own are listed",
			    *email);
			dipb_repo_warn(repo, warning);
			free(warning);
		}
	}
	return NULL;
}

/* The list in --format's form; an error if standard output failed. */
static const struct dipb_error *
print_todo(const struct dipb_todo *t, const char *email,
    const struct dipb_member *m, const char *today, int json,
    const struct dipb_ctx *ctx)
{
	if (json) {
		if (dipb_json_print(stdout, todo_json(t, email, m, today),
		    ctx->tty_out) != 0)
			return dipb_error_from_errno("standard output");
	} else
		print_text(t, email, m, today, ctx->color);
	return NULL;
}

const struct dipb_error *
cmd_todo(int argc, char **argv, struct dipb_ctx *ctx)
{
	struct todo_opts o;
	struct dipb_session s;
	struct dipb_identity who;
	struct dipb_todo t;
	struct dipb_records rs;
	const struct dipb_member *m = NULL;
	const struct dipb_error *err;
	const char *email = NULL;
	char now[11];
	int has_who = 0;

	if ((err = parse_options(&o, argc, argv)) != NULL)
		return err;
	memset(&rs, 0, sizeof(rs));
	memset(&t, 0, sizeof(t));
	if ((err = dipb_ctx_open(ctx)) != NULL)
		return err;
	if ((err = dipb_session_open(&s, ctx->repo)) != NULL)
		goto done;
	if ((err = acting_date(&who, &has_who, &o.today, now, ctx->repo,
	    o.member)) != NULL)
		goto done;
	if ((err = todo_member(&email, &m, &s.board, o.member, &who,
	    ctx->repo)) != NULL)
		goto done;
	rs.board = &s.board;
	if ((err = dipb_records_read(&rs, ctx->repo)) != NULL)
		goto done;
	dipb_records_sort(&rs);
	dipb_diags_print(stderr, &rs.diags, DIPB_DIAG_GCC);
	dipb_todo_collect(&t, &s.board, email, m, rs.v, rs.n, o.today);
	err = print_todo(&t, email, m, o.today, o.json, ctx);
	if (err == NULL && rs.invalid > 0)
		err = dipb_error_fmt(DIPB_ERR_INVALID,
		    "%zu invalid record%s left out", rs.invalid,
		    rs.invalid == 1 ? "" : "s");
done:
	dipb_todo_release(&t);
	dipb_records_release(&rs);
	if (has_who)
		dipb_identity_release(&who);
	dipb_diags_print(stderr, &s.diags, DIPB_DIAG_GCC);
	dipb_session_end(&s);
	return err;
}

/*
 * git/identity.c - the acting identity, the author git would record (git
 * var GIT_AUTHOR_IDENT, git's ident.c): user.name and user.email, the
 * GIT_AUTHOR_* variables, each as git trims it (ident.c's crud), and
 * where each came from for a refusal; dipb(1), ENVIRONMENT.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "../date.h"
#include "../error.h"
#include "../text.h"
#include "../util.h"

/*
 * s as git records it (ident.c, strbuf_addstr_without_crud): crud trimmed
 * from both ends, and '\n', '<' and '>', which delimit an ident line, left
 * out; NULL when nothing is left, as if none were given.  Takes s.
 */
static char *
without_crud(char *s)
{
	char *p, *end, *w;

	if (s == NULL)
		return NULL;
	for (p = s; *p != '\0' && dipb_git_ident_crud((unsigned char)*p);
	    p++)
		;
	for (end = p + strlen(p);
	    end > p && dipb_git_ident_crud((unsigned char)end[-1]); end--)
		;
	for (w = s; p < end; p++)
		if (*p != '\n' && *p != '<' && *p != '>')
			*w++ = *p;
	*w = '\0';
	if (*s == '\0') {
		free(s);
		return NULL;
	}
	return s;
}

static const char no_identity[] = "no identity: set user.email (git config "
    "user.email you@example.org) or GIT_AUTHOR_EMAIL";

/* A setting of the identity: its value as given, and where it is. */
struct ident_val {
	char	*v;		/* even empty; NULL: not set */
	char	*from;		/* "GIT_AUTHOR_NAME", "user.name in '<file>'" */
};

/* key of cfg into *out; *given 1 when it is set at all (even empty). */
static void
ident_config(struct ident_val *out, int *given, git_config *cfg,
    git_repository *git, const char *key, const char *shown)
{
	git_config_entry *e = NULL;
	char *where;

	memset(out, 0, sizeof(*out));
	if (cfg == NULL || git_config_get_entry(&e, cfg, key) < 0) {
		git_error_clear();
		return;
	}
	*given = 1;
	out->v = xstrdup(e->value != NULL ? e->value : "");
	where = dipb_git_config_origin(e, git);
	out->from = xasprintf("%s %s", shown, where);
	free(where);
	git_config_entry_free(e);
}

/* The variable name of the environment into *out: set, even empty. */
static void
ident_env(struct ident_val *out, const char *name)
{
	const char *v = getenv(name);

	memset(out, 0, sizeof(*out));
	if (v == NULL)
		return;
	out->v = xstrdup(v);
	out->from = xstrdup(name);
}

static void
ident_release(struct ident_val *iv)
{
	free(iv->v);
	free(iv->from);
}

/*
 * The email and name picked, as git records them (without_crud) into
 * out, or the refusal: where git would record an empty email ("<>") or
 * refuse the name, and where either is not UTF-8, which is all dipb
 * writes (dipb-git(7), "The identity").
 */
static const struct dipb_error *
ident_take(struct dipb_identity *out, const struct ident_val *email,
    const struct ident_val *name)
{
	out->email = without_crud(xstrdup(email->v));
	if (out->email == NULL)
		return dipb_error_fmt(DIPB_ERR_IDENTITY, "no identity: %s is "
		    "'%s', which git records as the email '<>', no member's: "
		    "set it to your email", email->from, email->v);
	if (!dipb_utf8_valid(out->email, strlen(out->email)))
		return dipb_error_fmt(DIPB_ERR_IDENTITY, "%s is '%s', which "
		    "is not UTF-8: dipb writes its changes in UTF-8 only; set "
		    "it to your email in UTF-8", email->from, email->v);
	if (name == NULL)
		return NULL;
	if (name->v[0] == '\0')
		return dipb_error_fmt(DIPB_ERR_IDENTITY, "empty ident name "
		    "(for <%s>) not allowed: %s is empty, which git refuses "
		    "too: set it to your name, or unset it", out->email,
		    name->from);
	if ((out->name = without_crud(xstrdup(name->v))) == NULL)
		return dipb_error_fmt(DIPB_ERR_IDENTITY, "name consists only "
		    "of disallowed characters: '%s' (%s), which git refuses "
		    "too: set it to your name", name->v, name->from);
	if (!dipb_utf8_valid(out->name, strlen(out->name)))
		return dipb_error_fmt(DIPB_ERR_IDENTITY, "%s is '%s', which "
		    "is not UTF-8: dipb writes its changes in UTF-8 only; set "
		    "it to your name in UTF-8", name->from, name->v);
	return NULL;
}

/*
 * The author as git 2.39's ident.c finds it (git var GIT_AUTHOR_IDENT,
 * git commit): see repo.h.  Where git would make up a name or an email
 * from the account and the host name, dipb refuses or asks dipb.yaml: a
 * board needs a real identity.  Where git refuses, dipb refuses.
 */
static const struct dipb_error *
author(struct dipb_identity *out, git_config *cfg, git_repository *git,
    int need_name)
{
	const struct dipb_error *err;
	struct ident_val c_name, c_email, a_name, a_email, u_name, u_email;
	struct ident_val e_name, e_email, env_email;
	const struct ident_val *email = NULL, *name = NULL;
	int name_given = 0, mail_given = 0, only;

	if ((err = dipb_git_config_bool(&only, cfg, git,
	    "user.useconfigonly", 0)) != NULL)
		return err;
	/* As in git, committer.* count as given, though not used here. */
	ident_config(&c_name, &name_given, cfg, git, "committer.name",
	    "committer.name");
	ident_config(&c_email, &mail_given, cfg, git, "committer.email",
	    "committer.email");
	ident_config(&a_name, &name_given, cfg, git, "author.name",
	    "author.name");
	ident_config(&a_email, &mail_given, cfg, git, "author.email",
	    "author.email");
	ident_config(&u_name, &name_given, cfg, git, "user.name",
	    "user.name");
	ident_config(&u_email, &mail_given, cfg, git, "user.email",
	    "user.email");
	/* Set but empty is still given: git records "<>", refuses "". */
	ident_env(&e_name, "GIT_AUTHOR_NAME");
	ident_env(&e_email, "GIT_AUTHOR_EMAIL");
	ident_env(&env_email, "EMAIL");

	if (e_email.v != NULL)
		email = &e_email;
	else if (a_email.v != NULL && a_email.v[0] != '\0')
		email = &a_email;
	else if (only && !mail_given) {
		err = dipb_error_fmt(DIPB_ERR_IDENTITY, "no email was given "
		    "and auto-detection is disabled (user.useConfigOnly): set "
		    "user.email (git config user.email you@example.org) or "
		    "GIT_AUTHOR_EMAIL");
		goto done;
	} else if (u_email.v != NULL)
		email = &u_email;
	else if (!mail_given && env_email.v != NULL &&
	    env_email.v[0] != '\0')
		email = &env_email;
	if (email == NULL) {
		err = dipb_error_fmt(DIPB_ERR_IDENTITY, "%s", no_identity);
		goto done;
	}

	/* A reader finds the member by the email alone. */
	if (!need_name)
		name = NULL;
	else if (e_name.v != NULL)
		name = &e_name;
	else if (a_name.v != NULL && a_name.v[0] != '\0')
		name = &a_name;
	else if (only && !name_given) {
		err = dipb_error_fmt(DIPB_ERR_IDENTITY, "no name was given "
		    "and auto-detection is disabled (user.useConfigOnly): set "
		    "user.name (git config user.name 'Your Name') or "
		    "GIT_AUTHOR_NAME");
		goto done;
	} else if (u_name.v != NULL)
		name = &u_name;
	else if (name_given) {
		/* git takes no name from the account once one is set. */
		err = dipb_error_fmt(DIPB_ERR_IDENTITY, "empty ident name "
		    "(for <%s>) not allowed: user.name is not set, and with "
		    "%s set git takes no name from the account either: set "
		    "user.name (git config user.name 'Your Name')", email->v,
		    a_name.v != NULL ? a_name.from : c_name.from);
		goto done;
	}
	/* No name at all: where git takes the account's, dipb.yaml's. */
	err = ident_take(out, email, name);
done:
	ident_release(&c_name);
	ident_release(&c_email);
	ident_release(&a_name);
	ident_release(&a_email);
	ident_release(&u_name);
	ident_release(&u_email);
	ident_release(&e_name);
	ident_release(&e_email);
	ident_release(&env_email);
	return err;
}

/* dipb_repo_identity; need_name 0: _email; need_date 0: _person. */
static const struct dipb_error *
identity(struct dipb_identity *out, struct dipb_repo *r, int need_name,
    int need_date)
{
	const struct dipb_error *err = NULL;
	git_config *cfg = NULL;

	memset(out, 0, sizeof(*out));
	if (git_repository_config_snapshot(&cfg, r->git) < 0) {
		git_error_clear();
		cfg = NULL;
	}
	err = author(out, cfg, r->git, need_name);
	git_config_free(cfg);
	if (err != NULL || !need_date)
		goto done;

	/*
	 * The author date, GIT_AUTHOR_DATE; the one time stamps the commit
	 * and the tag too, so without it GIT_COMMITTER_DATE, then now.
	 */
	err = dipb_date_now(&out->time, &out->offset);
done:
	if (err != NULL)
		dipb_identity_release(out);
	return err;
}

const struct dipb_error *
dipb_repo_identity(struct dipb_identity *out, struct dipb_repo *r)
{
	return identity(out, r, 1, 1);
}

const struct dipb_error *
dipb_repo_identity_email(struct dipb_identity *out, struct dipb_repo *r)
{
	return identity(out, r, 0, 1);
}

const struct dipb_error *
dipb_repo_identity_person(struct dipb_identity *out, struct dipb_repo *r)
{
	return identity(out, r, 0, 0);
}

void
dipb_identity_release(struct dipb_identity *id)
{
	if (id == NULL)
		return;
	free(id->name);
	free(id->email);
	id->name = id->email = NULL;
}

void
dipb_identity_date(const struct dipb_identity *id, char out[11])
{
	dipb_date_ymd(out, id->time, id->offset);
}


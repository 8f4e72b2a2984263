/*
 * board.c - dipb.yaml: loading (through yaml_load.c's tree), the canonical
 * form, the template of dipb init, lookups and roles.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "board.h"
#include "error.h"
#include "schema.h"
#include "sshkey.h"
#include "text.h"
#include "yaml_tree.h"


#define DEFAULT_BOARD	"Defence Industrial Production Board"
#define DEFAULT_QUORUM	2
#define MAX_QUORUM	1000

static const char *const role_names[] = { "drafter", "reviewer",
    "secretary", "chair" };

/* The values of signing:, indexed by enum dipb_signing (none: absent). */
static const char *const signing_names[] = { "optional", "required" };
static const char *const layout_names[] = { "flat", "sharded" };

/* The keys of dipb-board(5). */
enum { K_BOARD, K_SHORT, K_SUBMIT, K_WGS, K_CLASS, K_REVIEW, K_MEMBERS,
    K_SIGNING, K_DECLASSIFY, K_LAYOUT, K__COUNT };
enum { M_NAME, M_EMAIL, M_NATION, M_ROLES, M_WGS, M_KEYS, M__COUNT };
enum { W_KEY, W_PREFIX, W_NAME, W__COUNT };

#define NONE		NULL, 0, 0, NULL, 0, 0, 0
#define VALUES(names)	(names), NELEM(names), 0, NULL, 0, 0, 0
#define SUB(keys)	NULL, 0, 0, (keys), NELEM(keys), 0, 0

static const struct dipb_key wg_keys[W__COUNT] = {
	[W_KEY] = { "key", DIPB_KEY_TEXT, DIPB_KEY_REQUIRED, NONE, "Key",
	    "The group's key, which records name in working_group." },
	[W_PREFIX] = { "prefix", DIPB_KEY_PREFIX, DIPB_KEY_REQUIRED, NONE,
	    "Prefix", "The prefix of the group's record ids: a capital "
	    "letter, then up to seven capitals or digits." },
	[W_NAME] = { "name", DIPB_KEY_TEXT, DIPB_KEY_REQUIRED, NONE, "Name",
	    "The group's name, as reports show it." },
};

static const struct dipb_key review_keys[] = {
	{ "quorum", DIPB_KEY_COUNT, DIPB_KEY_REQUIRED, NULL, 0, 0, NULL, 0,
	    MAX_QUORUM, 0, "Quorum", "The fresh endorsements a recommendation "
	    "needs to be endorsed." },
};

static const struct dipb_key member_keys[M__COUNT] = {
	[M_NAME] = { "name", DIPB_KEY_TEXT, DIPB_KEY_REQUIRED, NONE, "Name",
	    "The member's name." },
	[M_EMAIL] = { "email", DIPB_KEY_EMAIL, DIPB_KEY_REQUIRED, NONE,
	    "Email", "The member's email address: their git identity's." },
	[M_NATION] = { "nation", DIPB_KEY_TEXT, 0, NONE, "Nation",
	    "The nation the member represents." },
	[M_ROLES] = { "roles", DIPB_KEY_ENUM_LIST, DIPB_KEY_REQUIRED,
	    VALUES(role_names), "Roles", "drafter, reviewer, secretary, "
	    "chair." },
	[M_WGS] = { "working_groups", DIPB_KEY_LIST, 0, NONE,
	    "Working groups", "The keys of the groups a drafter drafts for; "
	    "all when absent." },
	[M_KEYS] = { "keys", DIPB_KEY_LIST, 0, NONE, "Signing keys",
	    "OpenSSH public-key lines (ssh-ed25519, ecdsa-sha2-nistp256, "
	    "-384, -521, ssh-rsa), as in the key's .pub file." },
};

const struct dipb_key dipb_board_keys[K__COUNT] = {
	[K_BOARD] = { "board", DIPB_KEY_TEXT, DIPB_KEY_REQUIRED, NONE,
	    "Board", "The board's name." },
	[K_SHORT] = { "short_name", DIPB_KEY_TEXT, 0, NONE, "Short name",
	    "A short name, for reports." },
	[K_SUBMIT] = { "submit_to", DIPB_KEY_TEXT, DIPB_KEY_REQUIRED, NONE,
	    "Submit to", "Whom endorsed recommendations are submitted to." },
	[K_WGS] = { "working_groups", DIPB_KEY_MAP_LIST, DIPB_KEY_REQUIRED |
	    DIPB_KEY_NONEMPTY, SUB(wg_keys), "Working groups",
	    "The groups that draft recommendations." },
	[K_CLASS] = { "classifications", DIPB_KEY_LIST, DIPB_KEY_REQUIRED |
	    DIPB_KEY_NONEMPTY, NONE, "Classifications", "The levels, lowest "
	    "first; levels in use keep their order." },
	[K_REVIEW] = { "review", DIPB_KEY_MAP, 0, SUB(review_keys), "Review",
	    "How recommendations are reviewed." },
	[K_MEMBERS] = { "members", DIPB_KEY_MAP_LIST, DIPB_KEY_REQUIRED |
	    DIPB_KEY_NONEMPTY, SUB(member_keys), "Members",
	    "The board's members and their roles." },
	[K_SIGNING] = { "signing", DIPB_KEY_ENUM, 0, VALUES(signing_names),
	    "Signing", "optional or required; required whenever every "
	    "member has a key." },
	[K_DECLASSIFY] = { "declassify", DIPB_KEY_ENUM, DIPB_KEY_NONEMPTY,
	    VALUES(role_names), "Declassify", "The role that may lower a "
	    "recommendation's classification; chair when absent." },
	[K_LAYOUT] = { "layout", DIPB_KEY_ENUM, 0, VALUES(layout_names),
	    "Layout", "Where records live in recommendations/: flat (one "
	    "folder) or sharded (by prefix and hundreds); flat when absent." },
};

const size_t dipb_board_nkeys = K__COUNT;

void
dipb_board_init(struct dipb_board *b)
{
	memset(b, 0, sizeof(*b));
	dipb_strlist_init(&b->classifications);
	b->quorum = DEFAULT_QUORUM;
	b->declassify = DIPB_ROLE_CHAIR;
}

void
dipb_board_release(struct dipb_board *b)
{
	size_t i;

	free(b->board);
	free(b->short_name);
	free(b->submit_to);
	for (i = 0; i < b->nwgs; i++) {
		free(b->wgs[i].key);
		free(b->wgs[i].prefix);
		free(b->wgs[i].name);
	}
	free(b->wgs);
	dipb_strlist_release(&b->classifications);
	for (i = 0; i < b->nmembers; i++) {
		free(b->members[i].name);
		free(b->members[i].email);
		free(b->members[i].nation);
		dipb_strlist_release(&b->members[i].working_groups);
		free(b->members[i].working_groups_at.v);
		dipb_strlist_release(&b->members[i].keys);
	}
	free(b->members);
	dipb_board_init(b);
}

/* dipb_ysref_cmp() without case, for the members' emails. */
static int
cmpsref_nocase(const void *a, const void *b)
{
	const struct dipb_ysref *x = a, *y = b;
	int c = strcasecmp(x->s, y->s);

	if (c != 0)
		return c;
	return (x->i > y->i) - (x->i < y->i);
}

/* Sorts v[0..n) and reports each later occurrence at pos[v[k].i]. */
static void
duplicates(struct dipb_yctx *ctx, struct dipb_ysref *v, size_t n,
    const struct dipb_pos *pos, const char *what, int nocase)
{
	size_t k;
	char *show;

	qsort(v, n, sizeof(*v), nocase ? cmpsref_nocase : dipb_ysref_cmp);
	for (k = 1; k < n; k++) {
		if ((nocase ? strcasecmp(v[k].s, v[k - 1].s) :
		    strcmp(v[k].s, v[k - 1].s)) != 0)
			continue;
		show = dipb_yt_show(v[k].s);
		dipb_yt_error(ctx, pos[v[k].i], "duplicate", "duplicate %s '%s'",
		    what, show);
		free(show);
	}
}

static const struct dipb_ynode *
nonempty_list(struct dipb_yctx *ctx, const struct dipb_ypair *p)
{
	if (p == NULL)
		return NULL;
	if (p->val->kind != DIPB_YSEQ) {
		if (p->val->kind == DIPB_YSCALAR && p->val->null)
			dipb_yt_error(ctx, p->val->pos, "empty", "'%s' is empty",
			    p->key);
		else
			dipb_yt_error(ctx, p->val->pos, "type",
			    "'%s' must be a list", p->key);
		return NULL;
	}
	if (p->val->n == 0)
		dipb_yt_error(ctx, p->val->pos, "empty", "'%s' is empty",
		    p->key);
	return p->val;
}

static void
load_wgs(struct dipb_yctx *ctx, const struct dipb_ypair *p,
    struct dipb_board *b)
{
	const struct dipb_ynode *seq = nonempty_list(ctx, p), *item;
	const struct dipb_ypair *f[W__COUNT];
	struct dipb_wg *wg;
	char *show;
	size_t i;

	if (seq == NULL)
		return;
	b->wgs = xcalloc(seq->n, sizeof(*b->wgs));
	for (i = 0; i < seq->n; i++) {
		item = seq->items[i];
		if (dipb_yt_keys(ctx, item, "a working group", wg_keys,
		    W__COUNT, 1, f) == -1)
			continue;
		wg = &b->wgs[b->nwgs++];
		wg->pos = item->pos;
		wg->key = dipb_yt_string(ctx, f[W_KEY],
		    dipb_yt_flags(&wg_keys[W_KEY]));
		wg->prefix = dipb_yt_string(ctx, f[W_PREFIX],
		    dipb_yt_flags(&wg_keys[W_PREFIX]));
		wg->name = dipb_yt_string(ctx, f[W_NAME],
		    dipb_yt_flags(&wg_keys[W_NAME]));
		if (wg->prefix != NULL && !dipb_id_prefix_valid(wg->prefix)) {
			show = dipb_yt_show(wg->prefix);
			dipb_yt_error(ctx, f[W_PREFIX]->val->pos, "id",
			    "'prefix' must "
			    "match [A-Z][A-Z0-9]{0,7}: '%s'", show);
			free(show);
		}
	}
}

static void
load_classifications(struct dipb_yctx *ctx, const struct dipb_ypair *p,
    struct dipb_board *b)
{
	const struct dipb_ynode *seq = nonempty_list(ctx, p);
	struct dipb_pos *pos;
	struct dipb_ysref *v;
	size_t i, n;

	if (seq == NULL || dipb_yt_strlist(ctx, p, &b->classifications) != 0)
		return;
	/* Without errors, the strings are the items, in order. */
	n = b->classifications.n;
	v = xcalloc(n, sizeof(*v));
	pos = xcalloc(n, sizeof(*pos));
	for (i = 0; i < n; i++) {
		v[i].s = b->classifications.v[i];
		v[i].i = i;
		pos[i] = seq->items[i]->pos;
	}
	duplicates(ctx, v, n, pos, "classification", 0);
	free(pos);
	free(v);
}

/*
 * review: into b->quorum.  Returns 1 when the file gave a quorum, 0 when
 * it has no review: (the default stands), -1 when review: or its quorum
 * is in error (an error said: the default stands, but is no quorum of
 * the file's to warn about, dipb-validate(1), quorum).
 */
static int
load_quorum(struct dipb_yctx *ctx, const struct dipb_ypair *p,
    struct dipb_board *b)
{
	const struct dipb_ypair *f[1];
	char *s, *end = NULL;
	unsigned long q;
	char *what;
	int ret = 1;

	if (dipb_yt_absent(p))
		return 0;
	what = xasprintf("'%s'", p->key);
	if (dipb_yt_keys(ctx, p->val, what, review_keys, 1, 1, f) == -1 ||
	    f[0] == NULL || (s = dipb_yt_string(ctx, f[0],
	    dipb_yt_flags(review_keys))) == NULL) {
		free(what);
		return -1;
	}
	free(what);
	b->quorum_pos = f[0]->pos;
	q = s[0] >= '0' && s[0] <= '9' ? strtoul(s, &end, 10) : 0;
	if (q == 0 || q > review_keys[0].max || *end != '\0') {
		dipb_yt_error(ctx, f[0]->val->pos, "type",
		    "'quorum' must be a whole number from 1 to %u",
		    review_keys[0].max);
		ret = -1;
	} else
		b->quorum = (unsigned)q;
	free(s);
	return ret;
}

static void
load_roles(struct dipb_yctx *ctx, const struct dipb_ypair *p,
    struct dipb_member *m)
{
	const struct dipb_ynode *item;
	enum dipb_role role;
	char *show;
	size_t i;

	if (dipb_yt_absent(p))
		return;
	if (p->val->kind != DIPB_YSEQ) {
		dipb_yt_error(ctx, p->val->pos, "type", "'%s' must be a list",
		    p->key);
		m->roles_bad = 1;
		return;
	}
	for (i = 0; i < p->val->n; i++) {
		item = p->val->items[i];
		if (item->kind != DIPB_YSCALAR || item->null) {
			dipb_yt_error(ctx, item->pos, "type",
			    "items of 'roles' must be role names");
			m->roles_bad = 1;
			continue;
		}
		if (dipb_role_parse(item->str, &role) == 0) {
			m->roles |= (unsigned)role;
			continue;
		}
		show = dipb_yt_show(item->str);
		dipb_yt_error(ctx, item->pos, "enum", "unknown role '%s' (one "
		    "of drafter, reviewer, secretary, chair)", show);
		free(show);
		m->roles_bad = 1;
	}
}

/* Every member's key, where it was written: one key names one member. */
struct keyref {
	const char	*key;		/* canonical, the member's */
	size_t		 member;
	struct dipb_pos	 pos;
};

struct keyrefs {
	struct keyref	*v;
	size_t		 n;
	size_t		 cap;
};

/*
 * keys: a list of OpenSSH public-key lines, each checked whole by
 * dipb_sshkey_parse() and kept canonical, the comment dropped
 * (dipb-board(5), "Signing").
 */
static void
load_keys(struct dipb_yctx *ctx, const struct dipb_ypair *p,
    struct dipb_member *m, size_t member, struct keyrefs *refs)
{
	const struct dipb_ynode *item;
	const struct dipb_error *err;
	struct dipb_sshkey k = DIPB_SSHKEY_INIT;
	size_t i;

	if (dipb_yt_absent(p))
		return;
	if (p->val->kind != DIPB_YSEQ) {
		dipb_yt_error(ctx, p->val->pos, "type", "'%s' must be a list "
		    "of public-key lines", p->key);
		return;
	}
	for (i = 0; i < p->val->n; i++) {
		item = p->val->items[i];
		if (item->kind != DIPB_YSCALAR || item->null) {
			dipb_yt_error(ctx, item->pos, "type", "items of 'keys' "
			    "must be public-key lines (the line of the key's "
			    ".pub file)");
			continue;
		}
		if ((err = dipb_sshkey_parse(&k, item->str)) != NULL) {
			dipb_yt_error(ctx, item->pos, "ssh-key", "%s", err->msg);
			dipb_error_free(err);
			continue;
		}
		dipb_strlist_push_owned(&m->keys, dipb_sshkey_canonical(&k));
		dipb_sshkey_release(&k);
		xgrow((void **)&refs->v, &refs->cap, refs->n + 1,
		    sizeof(*refs->v));
		refs->v[refs->n].key = m->keys.v[m->keys.n - 1];
		refs->v[refs->n].member = member;
		refs->v[refs->n].pos = item->pos;
		refs->n++;
	}
}

static int
cmpkeyref(const void *a, const void *b)
{
	const struct keyref *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	if (c != 0)
		return c;
	if (x->pos.line != y->pos.line)
		return x->pos.line < y->pos.line ? -1 : 1;
	return (x->pos.col > y->pos.col) - (x->pos.col < y->pos.col);
}

/* A key given twice is reported where it is given again. */
static void
check_keys(struct dipb_yctx *ctx, const struct dipb_board *b,
    struct keyrefs *refs)
{
	const struct dipb_member *first, *again;
	struct dipb_sshkey k = DIPB_SSHKEY_INIT;
	char *fp, *show;
	size_t i;

	if (refs->n < 2)
		return;
	qsort(refs->v, refs->n, sizeof(*refs->v), cmpkeyref);
	for (i = 1; i < refs->n; i++) {
		if (strcmp(refs->v[i].key, refs->v[i - 1].key) != 0)
			continue;
		first = &b->members[refs->v[i - 1].member];
		again = &b->members[refs->v[i].member];
		fp = dipb_sshkey_parse(&k, refs->v[i].key) == NULL ?
		    dipb_sshkey_fingerprint(&k) : xstrdup("?");
		dipb_sshkey_release(&k);
		show = dipb_yt_show(first->email != NULL ? first->email : "");
		if (first == again)
			dipb_yt_error(ctx, refs->v[i].pos, "duplicate",
			    "duplicate key %s of '%s'", fp, show);
		else
			dipb_yt_error(ctx, refs->v[i].pos, "duplicate",
			    "key %s is already given to '%s': one key names "
			    "one member", fp, show);
		free(show);
		free(fp);
	}
}

/*
 * board->signing from signing: and the members' keys (dipb-board(5),
 * "Signing"): a member who has a key always signs, so a board where every
 * member has one requires signing whatever it says, and an explicit
 * "optional" there would say something false.
 */
static void
load_signing(struct dipb_yctx *ctx, const struct dipb_ypair *p,
    struct dipb_board *b)
{
	size_t i, with = 0;
	int v = -1;

	if (p != NULL && dipb_yt_key_enum(ctx, p,
	    &dipb_board_keys[K_SIGNING], dipb_yt_flags(&dipb_board_keys[
	    K_SIGNING]), &v) == 1)
		b->signing_declared = v == 1 ? DIPB_SIGNING_REQUIRED :
		    DIPB_SIGNING_OPTIONAL;
	for (i = 0; i < b->nmembers; i++)
		if (b->members[i].keys.n > 0)
			with++;
	if (with == 0) {
		b->signing = DIPB_SIGNING_NONE;
		if (b->signing_declared == DIPB_SIGNING_REQUIRED)
			dipb_yt_error(ctx, p->val->pos, "signing",
			    "'signing: required' but no member has a key: "
			    "give the members their public keys (keys:) or "
			    "remove 'signing:'");
	} else if (with == b->nmembers) {
		b->signing = DIPB_SIGNING_REQUIRED;
		if (b->signing_declared == DIPB_SIGNING_OPTIONAL)
			dipb_yt_error(ctx, p->val->pos, "signing",
			    "'signing: optional' but every member has a key, "
			    "and a member who has a key always signs: signing "
			    "is required; write 'signing: required' or remove "
			    "'signing:'");
	} else {
		b->signing = b->signing_declared == DIPB_SIGNING_REQUIRED ?
		    DIPB_SIGNING_REQUIRED : DIPB_SIGNING_OPTIONAL;
		if (b->signing == DIPB_SIGNING_REQUIRED)
			dipb_yt_warn(ctx, p->val->pos, "signing",
			    "'signing: required' but %zu of %zu members have "
			    "no key: they cannot make a change",
			    b->nmembers - with, b->nmembers);
	}
}

static void
load_members(struct dipb_yctx *ctx, const struct dipb_ypair *p,
    struct dipb_board *b)
{
	const struct dipb_ynode *seq = nonempty_list(ctx, p), *item;
	const struct dipb_ypair *f[M__COUNT];
	struct keyrefs refs = { NULL, 0, 0 };
	struct dipb_member *m;
	size_t i;

	/* Absent, null or no list, members: is an error of its own, which
	 * a chair missing would only repeat; an empty list is read whole. */
	b->members_partial = seq == NULL;
	if (seq == NULL)
		return;
	b->members = xcalloc(seq->n, sizeof(*b->members));
	for (i = 0; i < seq->n; i++) {
		item = seq->items[i];
		if (dipb_yt_keys(ctx, item, "a member", member_keys,
		    M__COUNT, 1, f) == -1) {
			b->members_partial = 1;
			continue;
		}
		m = &b->members[b->nmembers++];
		m->pos = item->pos;
		m->name = dipb_yt_string(ctx, f[M_NAME],
		    dipb_yt_flags(&member_keys[M_NAME]));
		if (f[M_NAME] != NULL)
			m->name_pos = f[M_NAME]->pos;
		m->email = dipb_yt_string(ctx, f[M_EMAIL],
		    dipb_yt_flags(&member_keys[M_EMAIL]));
		if (f[M_EMAIL] != NULL)
			m->email_pos = f[M_EMAIL]->pos;
		m->nation = dipb_yt_string(ctx, f[M_NATION],
		    dipb_yt_flags(&member_keys[M_NATION]));
		if (f[M_NATION] != NULL)
			m->nation_pos = f[M_NATION]->pos;
		load_roles(ctx, f[M_ROLES], m);
		b->members_partial |= m->roles_bad;
		dipb_yt_strlist_at(ctx, f[M_WGS], &m->working_groups,
		    &m->working_groups_at);
		load_keys(ctx, f[M_KEYS], m, b->nmembers - 1, &refs);
	}
	check_keys(ctx, b, &refs);
	free(refs.v);
}

static int
cmpsref_key(const void *key, const void *elem)
{
	return strcmp(key, ((const struct dipb_ysref *)elem)->s);
}

/* Duplicate keys, prefixes and emails; members' unknown groups.  A name
 * may be given twice: two members of two nations may share one
 * (dipb-board(5), name); dipb validate warns of it (member-name). */
static void
check_unique(struct dipb_yctx *ctx, struct dipb_board *b)
{
	struct dipb_ysref *v = xcalloc(b->nwgs + b->nmembers, sizeof(*v));
	struct dipb_pos *pos = xcalloc(b->nwgs + b->nmembers, sizeof(*pos));
	const struct dipb_member *m;
	size_t i, k, n;
	char *show;

	for (i = n = 0; i < b->nmembers; i++)
		if (b->members[i].email != NULL) {
			pos[n] = b->members[i].email_pos;
			v[n].s = b->members[i].email;
			v[n].i = n;
			n++;
		}
	duplicates(ctx, v, n, pos, "member email", 1);
	for (i = n = 0; i < b->nwgs; i++)
		if (b->wgs[i].prefix != NULL) {
			pos[n] = b->wgs[i].pos;
			v[n].s = b->wgs[i].prefix;
			v[n].i = n;
			n++;
		}
	duplicates(ctx, v, n, pos, "working group prefix", 0);
	for (i = n = 0; i < b->nwgs; i++)
		if (b->wgs[i].key != NULL) {
			pos[n] = b->wgs[i].pos;
			v[n].s = b->wgs[i].key;
			v[n].i = n;
			n++;
		}
	duplicates(ctx, v, n, pos, "working group key", 0);
	for (i = 0; i < b->nmembers; i++) {
		m = &b->members[i];
		for (k = 0; k < m->working_groups.n; k++) {
			if (bsearch(m->working_groups.v[k], v, n, sizeof(*v),
			    cmpsref_key) != NULL)
				continue;
			show = dipb_yt_show(m->working_groups.v[k]);
			dipb_yt_error(ctx, dipb_member_group_pos(m, k), "enum",
			    "unknown working group '%s'", show);
			free(show);
		}
	}
	free(pos);
	free(v);
}

/*
 * A warning, not an error: the template of dipb init has a chair and no
 * reviewer yet, and a board is still usable while the chair adds them.
 * Not given on members that did not load whole: a reviewer may be among
 * those left out.
 */
static void
check_quorum(struct dipb_yctx *ctx, const struct dipb_board *b,
    struct dipb_pos pos, int dflt)
{
	size_t i, n = 0;

	if (b->members_partial)
		return;
	for (i = 0; i < b->nmembers; i++)
		if (b->members[i].roles & DIPB_ROLE_REVIEWER)
			n++;
	if (b->quorum > n)
		dipb_yt_warn(ctx, pos, "quorum", "%squorum %u is larger than "
		    "the number of reviewers (%zu)", dflt ? "the default " : "",
		    b->quorum, n);
}

/* declassify: the role of dipb declassify (dipb-board(5)). */
static void
load_declassify(struct dipb_yctx *ctx, const struct dipb_ypair *p,
    struct dipb_board *b)
{
	enum dipb_role role;
	char *s, *show;

	if (dipb_yt_absent(p) || (s = dipb_yt_string(ctx, p,
	    dipb_yt_flags(&dipb_board_keys[K_DECLASSIFY]))) == NULL)
		return;
	if (dipb_role_parse(s, &role) == 0)
		b->declassify = role;
	else {
		show = dipb_yt_show(s);
		dipb_yt_error(ctx, p->val->pos, "enum", "unknown role '%s' "
		    "for 'declassify' (one of drafter, reviewer, secretary, "
		    "chair)", show);
		free(show);
	}
	free(s);
}

/* layout: where records live (dipb-board(5)). */
static void
load_layout(struct dipb_yctx *ctx, const struct dipb_ypair *p,
    struct dipb_board *b)
{
	char *s, *show;

	if (dipb_yt_absent(p) || (s = dipb_yt_string(ctx, p,
	    dipb_yt_flags(&dipb_board_keys[K_LAYOUT]))) == NULL)
		return;
	if (dipb_layout_parse(s, &b->layout) == -1) {
		show = dipb_yt_show(s);
		dipb_yt_error(ctx, p->val->pos, "enum", "unknown layout '%s' "
		    "(flat or sharded)", show);
		free(show);
	}
	free(s);
}

static void
load_board(struct dipb_yctx *ctx, const struct dipb_ynode *root,
    struct dipb_board *b)
{
	const struct dipb_key *keys = dipb_board_keys;
	const struct dipb_ypair *f[K__COUNT];
	int quorum;

	if (dipb_yt_keys(ctx, root, "a board", keys, K__COUNT, 1, f) == -1)
		return;
	b->board = dipb_yt_string(ctx, f[K_BOARD],
	    dipb_yt_flags(&keys[K_BOARD]));
	b->short_name = dipb_yt_string(ctx, f[K_SHORT],
	    dipb_yt_flags(&keys[K_SHORT]));
	b->submit_to = dipb_yt_string(ctx, f[K_SUBMIT],
	    dipb_yt_flags(&keys[K_SUBMIT]));
	load_wgs(ctx, f[K_WGS], b);
	load_classifications(ctx, f[K_CLASS], b);
	quorum = load_quorum(ctx, f[K_REVIEW], b);
	load_members(ctx, f[K_MEMBERS], b);
	load_signing(ctx, f[K_SIGNING], b);
	if (f[K_MEMBERS] != NULL)
		b->members_pos = f[K_MEMBERS]->pos;
	if (f[K_BOARD] != NULL)
		b->board_pos = f[K_BOARD]->pos;
	if (f[K_SHORT] != NULL)
		b->short_pos = f[K_SHORT]->pos;
	if (f[K_SUBMIT] != NULL)
		b->submit_pos = f[K_SUBMIT]->pos;
	if (f[K_CLASS] != NULL)
		b->classifications_pos = f[K_CLASS]->pos;
	load_declassify(ctx, f[K_DECLASSIFY], b);
	load_layout(ctx, f[K_LAYOUT], b);
	check_unique(ctx, b);
	/* Never of a quorum the file gave wrong (said above). */
	if (quorum > 0)
		check_quorum(ctx, b, b->quorum_pos, 0);
	else if (quorum == 0 && f[K_MEMBERS] != NULL)
		check_quorum(ctx, b, f[K_MEMBERS]->pos, 1);
}

int
dipb_board_load(struct dipb_board *out, const char *path, const char *buf,
    size_t len, struct dipb_diags *diags)
{
	struct dipb_pos whole = { 0, 0 };
	struct dipb_yctx ctx;
	struct dipb_ynode *root;
	size_t nerrors = diags->nerrors;

	ctx.path = path;
	ctx.diags = diags;
	ctx.strict = 0;
	ctx.input = 0;
	/* Until members: is read (load_members), nothing says who is in. */
	out->members_partial = 1;
	if (dipb_ytree_parse(&root, &ctx, buf, len) == -1)
		return -1;
	if (root == NULL || (root->kind == DIPB_YSCALAR && root->null))
		dipb_yt_error(&ctx, whole, "empty", "file is empty");
	else
		load_board(&ctx, root, out);
	dipb_ytree_free(root);
	return diags->nerrors > nerrors ? -1 : 0;
}

static void
emit_members(struct dipb_yemit *e, const struct dipb_board *b)
{
	struct dipb_yemit item = { e->out, e->col + 4, 0 };
	struct dipb_strlist roles = DIPB_STRLIST_INIT;
	const struct dipb_member *m;
	size_t i, k;

	if (b->nmembers == 0)
		return;
	dipb_yemit_key(e, "members");
	dipb_buf_putc(e->out, '\n');
	for (i = 0; i < b->nmembers; i++) {
		m = &b->members[i];
		item.dash = 1;
		dipb_yemit_str(&item, "name", m->name);
		dipb_yemit_str(&item, "email", m->email);
		dipb_yemit_str(&item, "nation", m->nation);
		for (k = 0; k < NELEM(role_names); k++)
			if (m->roles & (1U << k))
				dipb_strlist_push(&roles, role_names[k]);
		dipb_yemit_flow(&item, "roles", roles.v, roles.n, 1);
		dipb_strlist_release(&roles);
		dipb_yemit_flow(&item, "working_groups", m->working_groups.v,
		    m->working_groups.n, 0);
		dipb_yemit_list(&item, "keys", m->keys.v, m->keys.n);
	}
}

void
dipb_board_emit(const struct dipb_board *b, struct dipb_buf *out)
{
	struct dipb_yemit e = { out, 0, 0 }, sub = { out, 2, 0 };
	struct dipb_yemit item = { out, 4, 0 };
	char quorum[32];
	size_t i;

	dipb_yemit_str(&e, "board", b->board);
	dipb_yemit_str(&e, "short_name", b->short_name);
	dipb_yemit_str(&e, "submit_to", b->submit_to);
	if (b->nwgs > 0) {
		dipb_yemit_key(&e, "working_groups");
		dipb_buf_putc(out, '\n');
	}
	for (i = 0; i < b->nwgs; i++) {
		item.dash = 1;
		dipb_yemit_str(&item, "key", b->wgs[i].key);
		dipb_yemit_str(&item, "prefix", b->wgs[i].prefix);
		dipb_yemit_str(&item, "name", b->wgs[i].name);
	}
	dipb_yemit_list(&e, "classifications", b->classifications.v,
	    b->classifications.n);
	dipb_yemit_key(&e, "review");
	dipb_buf_putc(out, '\n');
	snprintf(quorum, sizeof(quorum), "%u", b->quorum);
	dipb_yemit_raw(&sub, "quorum", quorum);
	if (b->signing_declared != DIPB_SIGNING_NONE)
		dipb_yemit_str(&e, "signing", signing_names[
		    b->signing_declared == DIPB_SIGNING_REQUIRED]);
	/* The default is left out, so older boards keep their bytes. */
	if (b->declassify != DIPB_ROLE_CHAIR)
		dipb_yemit_str(&e, "declassify",
		    dipb_role_name(b->declassify));
	if (b->layout != DIPB_LAYOUT_FLAT)
		dipb_yemit_str(&e, "layout", dipb_layout_name(b->layout));
	emit_members(&e, b);
}

void
dipb_board_template(struct dipb_board *out, const char *board_name,
    const char *chair_name, const char *chair_email)
{
	static const char *const wgs[][3] = {
		{ "industrial-capacity", "IC", "Industrial Capacity" },
		{ "supply-chain-security", "SCS", "Supply Chain Security" },
		{ "standardisation-interoperability", "SI",
		    "Standardisation and Interoperability" },
	};
	size_t i;

	if (board_name == NULL)
		board_name = DEFAULT_BOARD;
	out->board = xstrdup(board_name);
	if (strcmp(board_name, DEFAULT_BOARD) == 0)
		out->short_name = xstrdup("DIPB");
	out->submit_to = xstrdup("National Armaments Directors");
	out->wgs = xcalloc(NELEM(wgs), sizeof(*out->wgs));
	for (i = 0; i < NELEM(wgs); i++) {
		out->wgs[i].key = xstrdup(wgs[i][0]);
		out->wgs[i].prefix = xstrdup(wgs[i][1]);
		out->wgs[i].name = xstrdup(wgs[i][2]);
	}
	out->nwgs = NELEM(wgs);
	dipb_strlist_push(&out->classifications, "NATO UNCLASSIFIED");
	dipb_strlist_push(&out->classifications, "NATO RESTRICTED");
	out->quorum = DEFAULT_QUORUM;
	out->members = xcalloc(1, sizeof(*out->members));
	out->members[0].name = xstrdup(chair_name);
	out->members[0].email = xstrdup(chair_email);
	out->members[0].roles = DIPB_ROLE_CHAIR;
	out->nmembers = 1;
}

const struct dipb_wg *
dipb_board_wg(const struct dipb_board *b, const char *key)
{
	size_t i;

	for (i = 0; key != NULL && i < b->nwgs; i++)
		if (b->wgs[i].key != NULL && strcmp(b->wgs[i].key, key) == 0)
			return &b->wgs[i];
	return NULL;
}

const struct dipb_wg *
dipb_board_wg_by_prefix(const struct dipb_board *b, const char *prefix)
{
	size_t i;

	for (i = 0; prefix != NULL && i < b->nwgs; i++)
		if (b->wgs[i].prefix != NULL &&
		    strcmp(b->wgs[i].prefix, prefix) == 0)
			return &b->wgs[i];
	return NULL;
}

const struct dipb_member *
dipb_board_member(const struct dipb_board *b, const char *email)
{
	size_t i;

	for (i = 0; email != NULL && i < b->nmembers; i++)
		if (b->members[i].email != NULL &&
		    strcasecmp(b->members[i].email, email) == 0)
			return &b->members[i];
	return NULL;
}

/*
 * The next word of the bytes from *p to end, blanks around it aside: *n
 * bytes at the return value (0 at the end), *p moved past it.
 */
static const char *
word(const char **p, const char *end, size_t *n)
{
	const char *s = *p, *w;

	while (s < end && isspace((unsigned char)*s))
		s++;
	for (w = s; s < end && !isspace((unsigned char)*s); s++)
		;
	*n = (size_t)(s - w);
	*p = s;
	return w;
}

/*
 * Compares the len bytes at s with t as names and addresses compare
 * (dipb-board(5), name): word by word, so blanks around them aside and a
 * run of blanks inside one blank, the case of ASCII letters aside.
 */
static int
same_words(const char *s, size_t len, const char *t)
{
	const char *se = s + len, *te, *a, *c;
	size_t na, nc;

	if (t == NULL)
		return 0;
	te = t + strlen(t);
	do {
		a = word(&s, se, &na);
		c = word(&t, te, &nc);
		if (na != nc || strncasecmp(a, c, na) != 0)
			return 0;
	} while (na > 0);
	return 1;
}

int
dipb_name_same(const char *a, const char *b)
{
	return a != NULL && same_words(a, strlen(a), b);
}

/* The member whose email the len bytes at s are, blanks around aside. */
static const struct dipb_member *
by_address(const struct dipb_board *b, const char *s, size_t len)
{
	size_t i;

	for (i = 0; b != NULL && i < b->nmembers; i++)
		if (same_words(s, len, b->members[i].email))
			return &b->members[i];
	return NULL;
}

/* How many members of b the len bytes at s name by name; *m the last. */
static size_t
by_name(const struct dipb_board *b, const char *s, size_t len,
    const struct dipb_member **m)
{
	size_t i, n = 0;

	*m = NULL;
	for (i = 0; b != NULL && i < b->nmembers; i++)
		if (same_words(s, len, b->members[i].name)) {
			*m = &b->members[i];
			n++;
		}
	return n;
}

int
dipb_name_angled(const char *name)
{
	return name != NULL && strpbrk(name, "<>") != NULL;
}

/*
 * 0 when name is fit for a commit's 'NAME <EMAIL>'; 1 when it has a '<'
 * or '>'; 2 when it holds a control character, *cp.
 */
static int
name_unfit(const char *name, unsigned *cp)
{
	size_t at;

	if (dipb_name_angled(name))
		return 1;
	return dipb_text_find_control(&at, cp, name, DIPB_TEXT_LINE) ? 2 : 0;
}

char *
dipb_name_fault(const char *name)
{
	unsigned cp;

	if (name == NULL)
		return NULL;
	switch (name_unfit(name, &cp)) {
	case 1:
		return xstrdup("has a '<' or '>'");
	case 2:
		return xasprintf("holds a control character, U+%04X", cp);
	}
	return NULL;
}

const char *
dipb_member_subject_name(const struct dipb_member *m)
{
	unsigned cp;

	if (m == NULL)
		return NULL;
	return m->name != NULL && !name_unfit(m->name, &cp) ? m->name :
	    m->email;
}

const struct dipb_error *
dipb_member_check_name(const struct dipb_member *m)
{
	const struct dipb_error *err;
	char *fault, *shown;

	if (m == NULL || (fault = dipb_name_fault(m->name)) == NULL)
		return NULL;
	/* One line, its tab or line separator too, as the message's. */
	shown = dipb_text_clean_line(m->name);
	err = dipb_error_fmt(DIPB_ERR_INVALID, "%s:%u:%u: the name of %s, "
	    "'%s', %s, which 'NAME <EMAIL>' in this change's commit may "
	    "not hold: a chair writes it without them with 'dipb edit "
	    "--board' (dipb-board(5), name)", DIPB_BOARD_FILE,
	    m->name_pos.line, m->name_pos.col, m->email, shown, fault);
	free(shown);
	free(fault);
	return err;
}

/*
 * The usage error of a name n members of b share: it names each one's
 * address, the one way to name either (dipb-board(5), name).
 */
static const struct dipb_error *
sharers(const struct dipb_board *b, const char *who, size_t n)
{
	const struct dipb_error *err;
	struct dipb_buf emails = DIPB_BUF_INIT;
	size_t i;

	for (i = 0; i < b->nmembers; i++)
		if (same_words(who, strlen(who), b->members[i].name))
			dipb_buf_printf(&emails, "%s%s", emails.len > 0 ?
			    ", " : "", b->members[i].email != NULL ?
			    b->members[i].email : "?");
	err = dipb_error_fmt(DIPB_ERR_USAGE, "'%s' names %zu members of the "
	    "board, %s: give the email address", who, n,
	    dipb_buf_cstr(&emails));
	dipb_buf_release(&emails);
	return err;
}

const struct dipb_error *
dipb_board_member_named(const struct dipb_board *b, const char *who,
    const struct dipb_member **out)
{
	size_t n;

	*out = NULL;
	if (who == NULL)
		return NULL;
	/* An address first: it is its member's, though it be another
	 * member's name too. */
	if ((*out = by_address(b, who, strlen(who))) != NULL)
		return NULL;
	if ((n = by_name(b, who, strlen(who), out)) <= 1)
		return NULL;
	*out = NULL;
	return sharers(b, who, n);
}

/*
 * The next address of owner inside '<' and '>', as git writes a person
 * ("Name <email>"): *len bytes at the return value, *p moved past it;
 * NULL when no more.
 */
static const char *
bracketed(const char **p, size_t *len)
{
	const char *lt, *gt;

	if ((lt = strchr(*p, '<')) == NULL || (gt = strchr(lt, '>')) == NULL)
		return NULL;
	*len = (size_t)(gt - lt - 1);
	*p = gt + 1;
	return lt + 1;
}

int
dipb_owner_names(const struct dipb_board *b, const char *owner,
    const char *email, const char *name)
{
	const char *p = owner, *at;
	size_t len;
	int any = 0;

	if (owner == NULL)
		return 0;
	/* "Name <email>": the address decides; each of several names its
	 * member (dipb-record(5), actions). */
	while ((at = bracketed(&p, &len)) != NULL) {
		if (same_words(at, len, email))
			return 1;
		any = 1;
	}
	if (any)
		return 0;
	if (same_words(owner, strlen(owner), email))
		return 1;
	/* Another member's address is theirs, though it be this one's
	 * name. */
	if (by_address(b, owner, strlen(owner)) != NULL)
		return 0;
	return same_words(owner, strlen(owner), name);
}

int
dipb_owner_is(const struct dipb_board *b, const char *owner, const char *who)
{
	const struct dipb_member *m = NULL;
	const char *p = who, *at;
	char *email;
	size_t len;
	int yes;

	if (owner == NULL || who == NULL)
		return 0;
	if (dipb_name_same(owner, who))
		return 1;
	/* "Name <email>": its address, as an owner's (dipb-list(1)). */
	if ((at = bracketed(&p, &len)) == NULL) {
		dipb_error_free(dipb_board_member_named(b, who, &m));
		return dipb_owner_names(b, owner, m != NULL ? m->email : who,
		    m != NULL ? m->name : who);
	}
	if ((m = by_address(b, at, len)) != NULL)
		return dipb_owner_names(b, owner, m->email, m->name);
	email = xstrndup(at, len);
	yes = dipb_owner_names(b, owner, email, NULL);
	free(email);
	return yes;
}

const struct dipb_member *
dipb_board_owner(const struct dipb_board *b, const char *owner)
{
	const struct dipb_member *m = NULL;
	size_t i;

	for (i = 0; owner != NULL && b != NULL && i < b->nmembers; i++)
		if (b->members[i].email != NULL &&
		    dipb_owner_names(b, owner, b->members[i].email,
		    b->members[i].name)) {
			if (m != NULL)
				return NULL;	/* more than one */
			m = &b->members[i];
		}
	return m;
}

/* An owner written as an address: one word with an '@' between its ends,
 * blanks around it aside (dipb-record(5), actions). */
static int
is_address(const char *owner)
{
	const char *end = owner + strlen(owner), *p = owner, *s, *at;
	size_t len, rest;

	s = word(&p, end, &len);
	(void)word(&p, end, &rest);
	if (len == 0 || rest > 0 || (at = memchr(s, '@', len)) == NULL)
		return 0;
	return at != s && at != s + len - 1;
}

/* An owner "Name <email>" of one address: what its name and address say. */
static enum dipb_owner_kind
person_kind(const struct dipb_board *b, const char *owner, const char *at,
    size_t len)
{
	const struct dipb_member *m = by_address(b, at, len), *named;

	/* The name part, before the '<', a member's name: the address must
	 * be that member's. */
	if (by_name(b, owner, (size_t)(at - 1 - owner), &named) > 0 &&
	    (m == NULL || !same_words(owner, (size_t)(at - 1 - owner),
	    m->name)))
		return DIPB_OWNER_MISMATCH;
	return m != NULL ? DIPB_OWNER_MEMBER : DIPB_OWNER_TEXT;
}

enum dipb_owner_kind
dipb_board_owner_kind(const struct dipb_board *b, const char *owner)
{
	const struct dipb_member *m;
	const char *p = owner, *at, *first = NULL;
	size_t len, flen = 0, n = 0;
	int member = 0;

	if (owner == NULL)
		return DIPB_OWNER_TEXT;
	while ((at = bracketed(&p, &len)) != NULL) {
		if (n++ == 0) {
			first = at;
			flen = len;
		}
		member |= by_address(b, at, len) != NULL;
	}
	if (n > 1)
		return member ? DIPB_OWNER_AMBIGUOUS : DIPB_OWNER_TEXT;
	if (n == 1)
		return person_kind(b, owner, first, flen);
	if (by_address(b, owner, strlen(owner)) != NULL ||
	    by_name(b, owner, strlen(owner), &m) > 0)
		return DIPB_OWNER_MEMBER;
	return is_address(owner) ? DIPB_OWNER_NOT_MEMBER : DIPB_OWNER_TEXT;
}

int
dipb_board_classification_rank(const struct dipb_board *b,
    const char *classification)
{
	size_t i;

	for (i = 0; classification != NULL && i < b->classifications.n; i++)
		if (strcmp(b->classifications.v[i], classification) == 0)
			return (int)i;
	return -1;
}

int
dipb_board_review_rank(const struct dipb_board *b,
    const struct dipb_record *r, const struct dipb_review *rv)
{
	size_t i;
	int k, rank;

	if (rv->classification != NULL)
		return dipb_board_classification_rank(b, rv->classification);
	/* Older than the key: the highest level the record is known at. */
	if ((rank = dipb_board_classification_rank(b, r->classification)) < 0)
		return -1;
	for (i = 0; i < r->nreviews; i++) {
		if (r->reviews[i].classification == NULL)
			continue;
		k = dipb_board_classification_rank(b,
		    r->reviews[i].classification);
		if (k < 0)
			return -1;
		if (k > rank)
			rank = k;
	}
	return rank;
}

void
dipb_board_levels_used(struct dipb_strlist *used,
    const struct dipb_record *r)
{
	size_t i;

	if (r->classification != NULL &&
	    !dipb_strlist_contains(used, r->classification))
		dipb_strlist_push(used, r->classification);
	for (i = 0; i < r->nreviews; i++)
		if (r->reviews[i].classification != NULL &&
		    !dipb_strlist_contains(used, r->reviews[i].classification))
			dipb_strlist_push(used, r->reviews[i].classification);
}

static int
level_index(const struct dipb_strlist *l, const char *s)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i], s) == 0)
			return (int)i;
	return -1;
}

const struct dipb_error *
dipb_board_check_levels(const struct dipb_strlist *old,
    const struct dipb_strlist *new, const struct dipb_strlist *used)
{
	const char *prev = NULL;
	int prev_new = -1;
	size_t i;
	int k;

	/* The used levels in old's order, each at a later place in new. */
	for (i = 0; i < old->n; i++) {
		if (!dipb_strlist_contains(used, old->v[i]))
			continue;
		if ((k = level_index(new, old->v[i])) < 0)
			return dipb_error_fmt(DIPB_ERR_INVALID, "classification "
			    "'%s' is in use and cannot be removed "
			    "(dipb-board(5), \"CLASSIFICATIONS\": levels in "
			    "use keep their order; new ones may be added)",
			    old->v[i]);
		if (prev != NULL && k < prev_new)
			return dipb_error_fmt(DIPB_ERR_INVALID, "classification "
			    "'%s' is in use and cannot be moved below '%s' "
			    "(dipb-board(5), \"CLASSIFICATIONS\": levels in "
			    "use keep their order; new ones may be added)",
			    old->v[i], prev);
		prev = old->v[i];
		prev_new = k;
	}
	return NULL;
}

int
dipb_member_has_role(const struct dipb_member *m, enum dipb_role role,
    const char *wg_key)
{
	if (m == NULL)
		return 0;
	if (role == DIPB_ROLE_SECRETARY && (m->roles & DIPB_ROLE_CHAIR))
		return 1;
	if (!(m->roles & (unsigned)role))
		return 0;
	if (role == DIPB_ROLE_DRAFTER && wg_key != NULL &&
	    m->working_groups.n > 0)
		return dipb_strlist_contains(&m->working_groups, wg_key);
	return 1;
}

struct dipb_pos
dipb_member_group_pos(const struct dipb_member *m, size_t k)
{
	return k < m->working_groups_at.n ? m->working_groups_at.v[k] : m->pos;
}

const char *
dipb_role_name(enum dipb_role role)
{
	size_t k;

	for (k = 0; k < NELEM(role_names); k++)
		if ((unsigned)role == 1U << k)
			return role_names[k];
	return "unknown";
}

int
dipb_role_parse(const char *s, enum dipb_role *out)
{
	size_t k;

	for (k = 0; s != NULL && k < NELEM(role_names); k++)
		if (strcmp(s, role_names[k]) == 0) {
			*out = (enum dipb_role)(1U << k);
			return 0;
		}
	return -1;
}

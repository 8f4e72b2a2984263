/*
 * validate.c - the rules of dipb-validate(1), one function each
 * (validate_rules.c lists them, with their descriptions).
 *
 * Messages quote values through dipb_yt_show(), as the loader's do, so
 * that a hostile value cannot break a line of output.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "error.h"
#include "meeting.h"
#include "repo.h"
#include "schema.h"
#include "state.h"
#include "text.h"
#include "validate.h"
#include "yaml_tree.h"

struct ctx {
	struct dipb_diags	*diags;
	const char		*path;
	size_t			 nerrors;
};

static void	 error(struct ctx *, struct dipb_pos, const char *,
		    const char *, ...) DIPB_PRINTF(4, 5);
static void	 warn(struct ctx *, struct dipb_pos, const char *,
		    const char *, ...) DIPB_PRINTF(4, 5);
static void	 person(struct ctx *, int, struct dipb_pos, const char *,
		    const char *, ...) DIPB_PRINTF(5, 6);

static void
error(struct ctx *c, struct dipb_pos pos, const char *rule,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	dipb_diags_vadd(c->diags, c->path, pos.line, pos.col, DIPB_SEV_ERROR,
	    rule, fmt, ap);
	va_end(ap);
	c->nerrors++;
}

static void
warn(struct ctx *c, struct dipb_pos pos, const char *rule,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	dipb_diags_vadd(c->diags, c->path, pos.line, pos.col,
	    DIPB_SEV_WARNING, rule, fmt, ap);
	va_end(ap);
}

/*
 * [member] and [reviewer-role] of a record whose people are history
 * (past: submitted, decided or withdrawn), and [meeting-member] of a
 * recorded meeting: a warning, since a member who has since left, or
 * lost the role, changes nothing a command could mend (dipb-validate(1));
 * an error otherwise.
 */
static void
person(struct ctx *c, int past, struct dipb_pos pos, const char *rule,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	dipb_diags_vadd(c->diags, c->path, pos.line, pos.col,
	    past ? DIPB_SEV_WARNING : DIPB_SEV_ERROR, rule, fmt, ap);
	va_end(ap);
	if (!past)
		c->nerrors++;
}

/* Whether r's author and reviewers are history (person). */
static int
people_past(const struct dipb_record *r)
{
	return r->status == DIPB_STATUS_SUBMITTED ||
	    r->status == DIPB_STATUS_DECIDED ||
	    r->status == DIPB_STATUS_WITHDRAWN;
}

/*
 * Whether r's reviewers are history: from endorsed on no review is
 * given (dipb-workflow(7), "Moves"), and the endorsements stand as they
 * were given (check_quorum).
 */
static int
reviewers_past(const struct dipb_record *r)
{
	return people_past(r) || r->status == DIPB_STATUS_ENDORSED;
}

static const char *
base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s != NULL ? s + 1 : path;
}

static void
check_file_name(struct ctx *c, const struct dipb_record *r)
{
	const char *base = base_name(c->path);
	size_t n = strlen(r->id);
	char *show;

	if (strncmp(base, r->id, n) == 0 && strcmp(base + n, ".yaml") == 0)
		return;
	show = dipb_yt_show(base);
	error(c, r->pos[DIPB_F_ID], "file-name", "id '%s' does not match "
	    "the file name '%s' (expected '%s.yaml')", r->id, show, r->id);
	free(show);
}

static int
fingerprint_valid(const char *s)
{
	return strlen(s) == DIPB_FINGERPRINT_LEN &&
	    strspn(s, "0123456789abcdef") == DIPB_FINGERPRINT_LEN;
}

/* Rules within the reviews: fingerprints, the author, one per reviewer. */
static void
check_reviews(struct ctx *c, const struct dipb_record *r)
{
	const struct dipb_review *rv;
	char *show;
	size_t i, j;

	for (i = 0; i < r->nreviews; i++) {
		rv = &r->reviews[i];
		if (rv->fingerprint != NULL &&
		    !fingerprint_valid(rv->fingerprint)) {
			show = dipb_yt_show(rv->fingerprint);
			error(c, rv->fingerprint_pos, "fingerprint",
			    "'fingerprint' must be %d lowercase hexadecimal "
			    "digits: '%s'", DIPB_FINGERPRINT_LEN, show);
			free(show);
		}
		if (rv->reviewer == NULL)
			continue;
		if (r->author != NULL &&
		    strcasecmp(rv->reviewer, r->author) == 0)
			error(c, rv->reviewer_pos, "self-review", "the author "
			    "may not review their own recommendation");
		for (j = 0; j < i; j++)
			if (r->reviews[j].reviewer != NULL &&
			    strcasecmp(r->reviews[j].reviewer,
			    rv->reviewer) == 0)
				break;
		if (j < i) {
			show = dipb_yt_show(rv->reviewer);
			error(c, rv->reviewer_pos, "duplicate-review",
			    "a second review by '%s' (a later review "
			    "replaces the earlier one)", show);
			free(show);
		}
	}
}

/* "submitted or decided": the statuses of bits, in the workflow's order. */
static void
statuses_text(struct dipb_buf *out, unsigned bits)
{
	int s, n = 0;

	for (s = 0; s < DIPB_STATUS__COUNT; s++)
		n += (bits >> s) & 1;
	for (s = 0; s < DIPB_STATUS__COUNT; s++) {
		if (!((bits >> s) & 1))
			continue;
		dipb_buf_puts(out, dipb_status_name((enum dipb_status)s));
		if (--n > 1)
			dipb_buf_puts(out, ", ");
		else if (n == 1)
			dipb_buf_puts(out, " or ");
	}
}

/*
 * What the status says has happened to the record, against its fields:
 * the keys whose statuses (schema.h) say when they are present, each its
 * own rule.
 */
static void
check_closing(struct ctx *c, const struct dipb_record *r)
{
	const struct dipb_key *k;
	struct dipb_buf when = DIPB_BUF_INIT;
	enum dipb_status s = r->status;
	const char *status = dipb_status_name(s);
	size_t f;
	int want, has;

	for (f = 0; f < DIPB_F__COUNT; f++) {
		k = &dipb_record_keys[f];
		if (k->statuses == 0)
			continue;
		want = (k->statuses >> s) & 1;
		has = (f == DIPB_F_SUBMISSION && r->submission != NULL) ||
		    (f == DIPB_F_DECISION && r->decision != NULL) ||
		    (f == DIPB_F_WITHDRAWAL && r->withdrawal != NULL);
		if (want && !has)
			error(c, r->pos[DIPB_F_STATUS], k->name,
			    "status is %s but '%s' is missing", status,
			    k->name);
		else if (!want && has) {
			dipb_buf_clear(&when);
			statuses_text(&when, k->statuses);
			error(c, r->pos[f], k->name,
			    "'%s' is only set when %s (status is %s)",
			    k->name, dipb_buf_cstr(&when), status);
		}
	}
	dipb_buf_release(&when);
}

/* The reviews a status needs, as far as no board is needed to tell. */
static void
check_status(struct ctx *c, const struct dipb_record *r)
{
	size_t i;

	/*
	 * A draft may keep reviews: those given before its drafter recalled
	 * it from review (dipb-workflow(7), review --recall).
	 */
	if (r->status != DIPB_STATUS_RETURNED)
		return;
	for (i = 0; i < r->nreviews; i++)
		if (r->reviews[i].verdict != DIPB_VERDICT_ENDORSE)
			return;
	error(c, r->pos[DIPB_F_STATUS], "status", "status is returned but no "
	    "review requests changes or objects");
}

/*
 * A warning: the dates are the acting person's clock (or GIT_*_DATE), and
 * dipb writes what it is given rather than refuse a move over a clock.
 */
static void
check_dates(struct ctx *c, const struct dipb_record *r)
{
	size_t i;

	/* An action open and already late the day it was decided. */
	for (i = 0; r->status == DIPB_STATUS_DECIDED && i < r->nactions; i++)
		if (r->actions[i].state == DIPB_ACTION_OPEN &&
		    dipb_state_action_late(r, &r->actions[i]))
			warn(c, r->actions[i].pos, "due", "action %zu was due "
			    "on %s, before the decision of %s: overdue since "
			    "the decision", i + 1, r->actions[i].due,
			    r->decision->date);
	if (r->created != NULL && r->updated != NULL &&
	    strcmp(r->updated, r->created) < 0)
		warn(c, r->pos[DIPB_F_UPDATED], "date-order", "'updated' (%s) "
		    "is before 'created' (%s)", r->updated, r->created);
}

static void
check_group(struct ctx *c, const struct dipb_record *r,
    const struct dipb_board *b)
{
	const struct dipb_wg *wg;
	char prefix[9], *show;
	unsigned long num;

	if (r->working_group == NULL)
		return;
	if ((wg = dipb_board_wg(b, r->working_group)) == NULL) {
		show = dipb_yt_show(r->working_group);
		error(c, r->vpos[DIPB_F_WORKING_GROUP], "working-group",
		    "unknown working group '%s'", show);
		free(show);
		return;
	}
	if (r->id == NULL || wg->prefix == NULL ||
	    dipb_id_split(r->id, prefix, &num) != 0)
		return;
	if (strcmp(prefix, wg->prefix) != 0)
		error(c, r->vpos[DIPB_F_ID], "id-prefix", "id '%s' does not "
		    "start with '%s-', the prefix of working group '%s'",
		    r->id, wg->prefix, wg->key);
}

/* Whether record was (NULL: none) has an action owned by owner. */
static int
owner_held(const struct dipb_record *was, const char *owner)
{
	size_t i;

	for (i = 0; was != NULL && i < was->nactions; i++)
		if (was->actions[i].owner != NULL &&
		    strcasecmp(was->actions[i].owner, owner) == 0)
			return 1;
	return 0;
}

/* What is wrong with an owner of kind k, for the member rule; NULL:
 * nothing. */
static const char *
owner_wrong(enum dipb_owner_kind k)
{
	switch (k) {
	case DIPB_OWNER_NOT_MEMBER:
		return "is not a member of the board";
	case DIPB_OWNER_MISMATCH:
		return "gives a member's name with an address that is not "
		    "theirs";
	case DIPB_OWNER_AMBIGUOUS:
		return "gives several addresses, one a member's: give one "
		    "owner";
	default:
		return NULL;
	}
}

/*
 * An owner written as an email address names a member, whom their own
 * actions are found for, as does "Name <email>" of a member's address;
 * a name with another member's address, or several addresses one of
 * which is a member's, would be some member's by one reading and
 * another's by the next.  Any other owner is free text, a body outside
 * the board (dipb-record(5), actions; dipb-validate(1), member).  An
 * owner record was (NULL: none) already had is left out, as
 * check_control leaves out its values.
 */
static void
check_owners(struct ctx *c, const struct dipb_record *r,
    const struct dipb_board *b, const struct dipb_record *was, int past)
{
	const char *why;
	char *show;
	size_t i;

	for (i = 0; i < r->nactions; i++) {
		why = owner_wrong(dipb_board_owner_kind(b,
		    r->actions[i].owner));
		if (why == NULL || owner_held(was, r->actions[i].owner))
			continue;
		show = dipb_yt_show(r->actions[i].owner);
		person(c, past, r->actions[i].owner_pos, "member", "action %zu's "
		    "owner '%s' %s", i + 1, show, why);
		free(show);
	}
}

size_t
dipb_validate_owners(struct dipb_diags *diags, const char *path,
    const struct dipb_record *r, const struct dipb_board *b,
    const struct dipb_record *was)
{
	struct ctx c = { diags, path, 0 };

	check_owners(&c, r, b, was, 0);
	return c.nerrors;
}

static void
check_people(struct ctx *c, const struct dipb_record *r,
    const struct dipb_board *b)
{
	const struct dipb_member *m;
	const struct dipb_review *rv;
	char *show;
	size_t i;
	int past = people_past(r);

	if (r->author != NULL && dipb_board_member(b, r->author) == NULL) {
		show = dipb_yt_show(r->author);
		person(c, past, r->vpos[DIPB_F_AUTHOR], "member", "author '%s' "
		    "is not a member of the board", show);
		free(show);
	}
	check_owners(c, r, b, NULL, past);
	for (i = 0; i < r->nreviews; i++) {
		rv = &r->reviews[i];
		if (rv->reviewer == NULL)
			continue;
		m = dipb_board_member(b, rv->reviewer);
		if (m != NULL &&
		    dipb_member_has_role(m, DIPB_ROLE_REVIEWER, NULL))
			continue;
		show = dipb_yt_show(rv->reviewer);
		if (m == NULL)
			person(c, reviewers_past(r), rv->reviewer_pos,
			    "member", "reviewer '%s' is not a member of the "
			    "board", show);
		else
			person(c, reviewers_past(r), rv->reviewer_pos,
			    "reviewer-role",
			    "'%s' does not hold the reviewer role", show);
		free(show);
	}
}

/*
 * A review's classification, the level it was written at, is one the board
 * knows (a board change may not remove a level in use, dipb-board(5)).
 */
static void
check_review_levels(struct ctx *c, const struct dipb_record *r,
    const struct dipb_board *b)
{
	const struct dipb_review *rv;
	char *show;
	size_t i;

	for (i = 0; i < r->nreviews; i++) {
		rv = &r->reviews[i];
		if (rv->classification == NULL ||
		    dipb_board_classification_rank(b, rv->classification) >= 0)
			continue;
		show = dipb_yt_show(rv->classification);
		error(c, rv->classification_pos, "classification",
		    "unknown classification '%s' of a review", show);
		free(show);
	}
}

/*
 * An endorsed record has the quorum in fresh endorsements, each counted
 * when it was given: a reviewer who has since left the board, or lost
 * the role, takes nothing from it (dipb_state_endorsements_given).  A
 * raised quorum does: dipb edit --board refuses one that leaves such a
 * record short.
 */
static void
check_quorum(struct ctx *c, const struct dipb_record *r,
    const struct dipb_board *b)
{
	unsigned n;

	if (dipb_state_short_of_quorum(&n, b, r))
		error(c, r->pos[DIPB_F_STATUS], "status", "status is endorsed "
		    "but %u endorsement%s count%s towards the quorum of %u "
		    "(fresh, by distinct reviewers other than the author)", n,
		    n == 1 ? "" : "s", n == 1 ? "s" : "", b->quorum);
}

/*
 * A record's text fields, each value with what names its field (as the
 * messages of [control-character] do), n its item in a list (0: none), md
 * whether it is Markdown: for check_controls, and for held, which looks
 * for a value in the record before a change.
 */
typedef int (*text_fn)(void *arg, struct dipb_pos pos, const char *what,
    size_t n, const char *v, int md);

/* fn on each text field of r that has a value, until it returns 1. */
static int
each_text(const struct dipb_record *r, text_fn fn, void *arg)
{
	const struct {
		enum dipb_field	 f;
		const char	*v;
		int		 md;
	} top[] = {
		{ DIPB_F_ID, r->id, 0 },
		{ DIPB_F_TITLE, r->title, 0 },
		{ DIPB_F_WORKING_GROUP, r->working_group, 0 },
		{ DIPB_F_CLASSIFICATION, r->classification, 0 },
		{ DIPB_F_AUTHOR, r->author, 0 },
		{ DIPB_F_SUMMARY, r->summary, 1 },
		{ DIPB_F_RATIONALE, r->rationale, 1 },
	};
	const struct dipb_action *a;
	const struct dipb_review *rv;
	struct dipb_pos p;
	size_t i, j;

#define TEXT(pos, what, n, v, md) \
	do { \
		if ((v) != NULL && fn(arg, (pos), (what), (n), (v), (md))) \
			return 1; \
	} while (0)
	for (i = 0; i < sizeof(top) / sizeof(top[0]); i++)
		TEXT(r->pos[top[i].f], dipb_field_name(top[i].f), 0,
		    top[i].v, top[i].md);
	/* An item where it was read, else (built) at its list's key. */
	for (i = 0; i < r->topics.n; i++)
		TEXT(i < r->topics_at.n ? r->topics_at.v[i] :
		    r->pos[DIPB_F_TOPICS], "topics", i + 1, r->topics.v[i], 0);
	for (i = 0; i < r->references.n; i++)
		TEXT(i < r->references_at.n ? r->references_at.v[i] :
		    r->pos[DIPB_F_REFERENCES], "references", i + 1,
		    r->references.v[i], 0);
	for (i = 0; i < r->nactions; i++) {
		a = &r->actions[i];
		TEXT(a->pos, "actions: text", 0, a->text, 0);
		TEXT(a->owner_pos, "actions: owner", 0, a->owner, 0);
		/* dipb action --due's moves, each its own item. */
		for (j = 0; j < a->nrescheduled; j++) {
			TEXT(a->rescheduled[j].pos, "actions: rescheduled: by",
			    j + 1, a->rescheduled[j].by, 0);
			TEXT(a->rescheduled[j].pos,
			    "actions: rescheduled: reason", j + 1,
			    a->rescheduled[j].reason, 1);
		}
	}
	for (i = 0; i < r->nreviews; i++) {
		rv = &r->reviews[i];
		TEXT(rv->reviewer_pos, "reviews: reviewer", 0, rv->reviewer,
		    0);
		TEXT(rv->pos, "reviews: comment", 0, rv->comment, 1);
	}
	for (i = 0; i < r->nreplies; i++) {
		TEXT(r->replies[i].pos, "replies: by", 0, r->replies[i].by,
		    0);
		TEXT(r->replies[i].pos, "replies: to", 0, r->replies[i].to,
		    0);
		TEXT(r->replies[i].pos, "replies: text", 0,
		    r->replies[i].text, 1);
	}
	if (r->submission != NULL) {
		p = r->pos[DIPB_F_SUBMISSION];
		TEXT(p, "submission: to", 0, r->submission->to, 0);
		TEXT(p, "submission: reference", 0,
		    r->submission->reference, 0);
	}
	if (r->decision != NULL)
		TEXT(r->pos[DIPB_F_DECISION], "decision: note", 0,
		    r->decision->note, 1);
	if (r->withdrawal != NULL) {
		p = r->pos[DIPB_F_WITHDRAWAL];
		TEXT(p, "withdrawal: by", 0, r->withdrawal->by, 0);
		TEXT(p, "withdrawal: reason", 0, r->withdrawal->reason, 1);
	}
#undef TEXT
	return 0;
}

/* What held looks for: value v of the field what names. */
struct held {
	const char	*what;
	const char	*v;
};

static int
held_one(void *arg, struct dipb_pos pos, const char *what, size_t n,
    const char *v, int md)
{
	const struct held *h = arg;

	(void)pos;
	(void)n;
	(void)md;
	return strcmp(what, h->what) == 0 && strcmp(v, h->v) == 0;
}

/*
 * dipb.yaml's text fields, as each_text a record's: what its members,
 * working groups and levels are called is shown by every command and
 * report.  A member's field is said at its key, a group of its
 * working_groups at that item (dipb-validate(1): the line of the key or
 * value at fault), as check_emails says an email; a working group's field
 * at its item; a level at classifications:, by its number.
 */
static int
each_board_text(const struct dipb_board *b, text_fn fn, void *arg)
{
	const struct dipb_member *m;
	const struct dipb_wg *wg;
	size_t i, k;

#define TEXT(pos, what, n, v) \
	do { \
		if ((v) != NULL && fn(arg, (pos), (what), (n), (v), 0)) \
			return 1; \
	} while (0)
	TEXT(b->board_pos, "board", 0, b->board);
	TEXT(b->short_pos, "short_name", 0, b->short_name);
	TEXT(b->submit_pos, "submit_to", 0, b->submit_to);
	for (i = 0; i < b->nwgs; i++) {
		wg = &b->wgs[i];
		TEXT(wg->pos, "working_groups: key", 0, wg->key);
		TEXT(wg->pos, "working_groups: prefix", 0, wg->prefix);
		TEXT(wg->pos, "working_groups: name", 0, wg->name);
	}
	for (i = 0; i < b->classifications.n; i++)
		TEXT(b->classifications_pos, "classifications", i + 1,
		    b->classifications.v[i]);
	for (i = 0; i < b->nmembers; i++) {
		m = &b->members[i];
		TEXT(m->name_pos, "members: name", 0, m->name);
		TEXT(m->email_pos, "members: email", 0, m->email);
		TEXT(m->nation_pos, "members: nation", 0, m->nation);
		for (k = 0; k < m->working_groups.n; k++)
			TEXT(dipb_member_group_pos(m, k),
			    "members: working_groups", k + 1,
			    m->working_groups.v[k]);
	}
#undef TEXT
	return 0;
}

/*
 * Whether record was or board wasb (either NULL: none) has value v in the
 * field what names.
 */
static int
held(const struct dipb_record *was, const struct dipb_board *wasb,
    const char *what, const char *v)
{
	struct held h;

	h.what = what;
	h.v = v;
	return (was != NULL && each_text(was, held_one, &h)) ||
	    (wasb != NULL && each_board_text(wasb, held_one, &h));
}

/* What check_control is given beside the field. */
struct controls {
	struct ctx			*c;
	const struct dipb_record	*was;
	const struct dipb_board		*wasb;
	int				 line;	/* DIPB_TEXT_LINE* */
	int				 names;	/* a member's name held too */
};

/*
 * [control-character]: a control character in a field, which a terminal
 * would obey (ESC[2J clears the screen, OSC 52 writes the clipboard, C1
 * CSI as ESC [).  The commands show such characters as '?' (text.h);
 * this rule says where they are.  A Markdown field (md) may hold '\n'
 * and '\t', a single-line one nothing.  A value the record before a
 * change held in the same field is not the change's (was, in
 * dipb_validate_controls), but for a member's name where names is set:
 * a writer of dipb.yaml may not keep one (dipb-board(5), name).
 */
static int
check_control(void *arg, struct dipb_pos pos, const char *what, size_t n,
    const char *v, int md)
{
	const struct controls *k = arg;
	size_t at;
	unsigned cp;

	if (!dipb_text_find_control(&at, &cp, v, md ? DIPB_TEXT_LINES :
	    k->line))
		return 0;
	if (!(k->names && strcmp(what, "members: name") == 0) &&
	    held(k->was, k->wasb, what, v))
		return 0;
	if (n > 0)
		error(k->c, pos, "control-character", "item %zu of '%s' holds "
		    "a control character, U+%04X, at character %zu%s", n,
		    what, cp, at + 1, md ? "" : " (a single-line field)");
	else
		error(k->c, pos, "control-character", "'%s' holds a control "
		    "character, U+%04X, at character %zu%s", what, cp, at + 1,
		    md ? "" : " (a single-line field)");
	return 0;
}

/*
 * [bidi] (a warning): a bidirectional control in a field, which shows
 * the text after it in another order than the bytes a reviewer's
 * fingerprint is of.  Right-to-left text needs none of them: the
 * Unicode algorithm orders it by itself.  A value the record before a
 * change held in the same field is not the change's (k->was, in
 * dipb_validate_bidi).
 */
static int
check_bidi(void *arg, struct dipb_pos pos, const char *what, size_t n,
    const char *v, int md)
{
	const struct controls *k = arg;
	struct ctx *c = k->c;
	size_t at;
	unsigned cp;

	(void)md;
	if (!dipb_text_find_bidi(&at, &cp, v) ||
	    held(k->was, k->wasb, what, v))
		return 0;
	if (n > 0)
		warn(c, pos, "bidi", "item %zu of '%s' holds a bidirectional "
		    "control, U+%04X, at character %zu: it is shown in "
		    "another order than written", n, what, cp, at + 1);
	else
		warn(c, pos, "bidi", "'%s' holds a bidirectional control, "
		    "U+%04X, at character %zu: it is shown in another order "
		    "than written", what, cp, at + 1);
	return 0;
}

static void
check_controls(struct ctx *c, const struct dipb_record *r,
    const struct dipb_record *was, int line)
{
	struct controls k;

	k.c = c;
	k.was = was;
	k.wasb = NULL;
	k.line = line;
	k.names = 0;
	(void)each_text(r, check_control, &k);
}

/*
 * A meeting's text, as each_text a record's: its title, each attendee,
 * apology and agenda item (at its item where it was read, else at none)
 * and its notes, Markdown.  The date is read as a date or not at all.
 */
static int
each_meeting_text(const struct dipb_meeting *m, text_fn fn, void *arg)
{
	const struct {
		const char			*what;
		const struct dipb_meeting_list	*l;
	} lists[] = {
		{ "attendees", &m->attendees },
		{ "apologies", &m->apologies },
		{ "agenda", &m->agenda },
	};
	struct dipb_pos none = { 0, 0 };
	size_t i, k;

	if (m->title != NULL && fn(arg, m->title_pos, "title", 0, m->title,
	    0))
		return 1;
	for (i = 0; i < sizeof(lists) / sizeof(lists[0]); i++)
		for (k = 0; k < lists[i].l->s.n; k++)
			if (fn(arg, lists[i].l->pos != NULL ?
			    lists[i].l->pos[k] : none, lists[i].what, k + 1,
			    lists[i].l->s.v[k], 0))
				return 1;
	return m->notes != NULL && fn(arg, m->notes_pos, "notes", 0,
	    m->notes, 1);
}

size_t
dipb_validate_meeting_controls(struct dipb_diags *diags, const char *path,
    const struct dipb_meeting *m)
{
	struct ctx c = { diags, path, 0 };
	struct controls k = { &c, NULL, NULL, DIPB_TEXT_LINE, 0 };

	(void)each_meeting_text(m, check_control, &k);
	return c.nerrors;
}

void
dipb_validate_meeting_bidi(struct dipb_diags *diags, const char *path,
    const struct dipb_meeting *m)
{
	struct ctx c = { diags, path, 0 };
	struct controls k = { &c, NULL, NULL, DIPB_TEXT_LINE, 0 };

	(void)each_meeting_text(m, check_bidi, &k);
}

size_t
dipb_validate_meeting_written(struct dipb_diags *diags, const char *path,
    const struct dipb_meeting *m, const struct dipb_board *b)
{
	size_t n;

	n = dipb_validate_meeting(diags, path, m, b);
	return n + dipb_validate_meeting_controls(diags, path, m);
}

size_t
dipb_validate_controls(struct dipb_diags *diags, const char *path,
    const struct dipb_record *r, const struct dipb_record *was, int line)
{
	struct ctx c;

	c.diags = diags;
	c.path = path;
	c.nerrors = 0;
	check_controls(&c, r, was, line);
	return c.nerrors;
}

void
dipb_validate_bidi(struct dipb_diags *diags, const char *path,
    const struct dipb_record *r, const struct dipb_record *was)
{
	struct ctx c = { diags, path, 0 };
	struct controls k = { &c, was, NULL, DIPB_TEXT_LINE, 0 };

	(void)each_text(r, check_bidi, &k);
}

size_t
dipb_validate_record(struct dipb_diags *diags, const char *path,
    const struct dipb_record *r, const struct dipb_board *b, int flags)
{
	struct ctx c;
	char *show;

	c.diags = diags;
	c.path = path;
	c.nerrors = 0;
	if (path != NULL && r->id != NULL && !(flags & DIPB_VALIDATE_COPY))
		check_file_name(&c, r);
	check_reviews(&c, r);
	check_dates(&c, r);
	/* Not for the other commands, which show them as '?': a record
	 * written with one stays readable. */
	if (!(flags & DIPB_VALIDATE_STABLE)) {
		check_controls(&c, r, NULL, DIPB_TEXT_LINE);
		dipb_validate_bidi(diags, path, r, NULL);
	}
	if (r->status != DIPB_STATUS_NONE) {
		check_status(&c, r);
		check_closing(&c, r);
	}
	if (b == NULL)
		return c.nerrors;
	check_group(&c, r, b);
	if (r->classification != NULL &&
	    dipb_board_classification_rank(b, r->classification) < 0) {
		show = dipb_yt_show(r->classification);
		error(&c, r->vpos[DIPB_F_CLASSIFICATION], "classification",
		    "unknown classification '%s'", show);
		free(show);
	}
	check_review_levels(&c, r, b);
	if (flags & DIPB_VALIDATE_STABLE)
		return c.nerrors;
	check_people(&c, r, b);
	check_quorum(&c, r, b);
	return c.nerrors;
}

/*
 * [email]: each member's email is one, as far as a word with an '@',
 * that git keeps as it is; an email board was (NULL: none) held is not
 * the change's, as a control character it held is not.
 */
static void
check_emails(struct ctx *c, const struct dipb_board *b,
    const struct dipb_board *was)
{
	const struct dipb_member *m;
	char *show;
	size_t i, n;

	for (i = 0; i < b->nmembers; i++) {
		m = &b->members[i];
		if (m->email == NULL ||
		    held(NULL, was, "members: email", m->email))
			continue;
		n = strlen(m->email);
		if (strchr(m->email, '@') != NULL && m->email[0] != '@' &&
		    strchr(m->email, ' ') == NULL) {
			if (n > 0 && (dipb_git_ident_crud(
			    (unsigned char)m->email[0]) || dipb_git_ident_crud(
			    (unsigned char)m->email[n - 1]))) {
				show = dipb_yt_show(m->email);
				error(c, m->email_pos, "email", "'%s' begins or ends "
				    "with a character git drops from an "
				    "identity's email: no commit could carry "
				    "it", show);
				free(show);
			}
			continue;
		}
		show = dipb_yt_show(m->email);
		error(c, m->email_pos, "email", "'%s' is not an email address",
		    show);
		free(show);
	}
}

/*
 * [control-character] in b's text, as check_controls in a record's; a
 * value board was (NULL: none) held in the same field left out, but a
 * member's name when names is set (check_control).
 */
static void
check_board_controls(struct ctx *c, const struct dipb_board *b,
    const struct dipb_board *was, int line, int names)
{
	struct controls k;

	k.c = c;
	k.was = NULL;
	k.wasb = was;
	k.line = line;
	k.names = names;
	(void)each_board_text(b, check_control, &k);
}

/*
 * [member-name] (an error): a member's name with a '<' or '>', which
 * breaks "NAME <EMAIL>" in their commits, tags and trailers, and which an
 * action's owner reads as around an address (dipb-board(5), name).
 */
static void
check_names_angled(struct ctx *c, const struct dipb_board *b)
{
	const struct dipb_member *m;
	size_t i;

	for (i = 0; i < b->nmembers; i++)
		if (dipb_name_angled((m = &b->members[i])->name))
			error(c, m->name_pos, "member-name", "the name of %s, "
			    "'%s', has a '<' or '>', which would break 'NAME "
			    "<EMAIL>' in commits and trailers: write it "
			    "without them", m->email != NULL ? m->email : "?",
			    m->name);
}

size_t
dipb_validate_board_written(struct dipb_diags *diags, const char *path,
    const struct dipb_board *b, const struct dipb_board *was)
{
	struct ctx c = { diags, path, 0 };

	check_emails(&c, b, was);
	check_board_controls(&c, b, was, DIPB_TEXT_LINE, 1);
	check_names_angled(&c, b);
	return c.nerrors;
}

void
dipb_validate_board_bidi(struct dipb_diags *diags, const char *path,
    const struct dipb_board *b, const struct dipb_board *was)
{
	struct ctx c = { diags, path, 0 };
	struct controls k = { &c, NULL, was, DIPB_TEXT_LINE, 0 };

	(void)each_board_text(b, check_bidi, &k);
}

size_t
dipb_validate_board_controls(struct dipb_diags *diags, const char *path,
    const struct dipb_board *b, const struct dipb_board *was)
{
	struct ctx c = { diags, path, 0 };

	check_board_controls(&c, b, was, DIPB_TEXT_LINE_OLD, 0);
	return c.nerrors;
}

/*
 * [member-name] (a warning) of m's name alone: a space other than an
 * ASCII blank, which names do not compare as a blank (dipb-board(5),
 * name).
 */
static void
check_member_name_chars(struct ctx *c, const struct dipb_member *m)
{
	unsigned cp;

	if (m->name == NULL)
		return;
	if ((cp = dipb_text_find_space(m->name)) != 0)
		warn(c, m->name_pos, "member-name", "the name of %s, '%s', has "
		    "U+%04X, a space that names do not compare as a blank: "
		    "write it with ASCII blanks", m->email != NULL ?
		    m->email : "?", m->name, cp);
}

/*
 * [member-name] (a warning): a name two members share, which names
 * neither on a command line and each as an action's owner, or a name
 * that is another member's address, which names that member
 * (dipb-board(5), name); and check_member_name_chars.
 */
static void
check_member_names(struct ctx *c, const struct dipb_board *b)
{
	const struct dipb_member *m, *o;
	size_t i, k;

	for (i = 0; i < b->nmembers; i++) {
		check_member_name_chars(c, &b->members[i]);
		for (k = 0; k < b->nmembers; k++) {
			m = &b->members[i];
			o = &b->members[k];
			if (k < i && dipb_name_same(m->name, o->name))
				warn(c, m->name_pos, "member-name", "'%s' is the "
				    "name of %s and of %s: give their email "
				    "address to name either", m->name,
				    o->email != NULL ? o->email : "?",
				    m->email != NULL ? m->email : "?");
			else if (k != i && dipb_name_same(m->name, o->email))
				warn(c, m->name_pos, "member-name", "the name of "
				    "%s, '%s', is the email address of "
				    "another member, whom it names",
				    m->email != NULL ? m->email : "?",
				    m->name);
		}
	}
}

size_t
dipb_validate_board(struct dipb_diags *diags, const char *path,
    const struct dipb_board *b)
{
	const struct dipb_member *m;
	const struct dipb_error *e;
	struct ctx c = { diags, path, 0 };
	size_t i;

	check_emails(&c, b, NULL);
	check_board_controls(&c, b, NULL, DIPB_TEXT_LINE, 0);
	dipb_validate_board_bidi(diags, path, b, NULL);
	check_names_angled(&c, b);
	check_member_names(&c, b);
	for (i = 0; i < b->nmembers; i++) {
		m = &b->members[i];
		if (m->roles == 0 && !m->roles_bad)
			warn(&c, m->pos, "role", "member '%s' has no role",
			    m->email != NULL ? m->email : "?");
		else if (m->roles != 0 && m->working_groups.n > 0 &&
		    !(m->roles & DIPB_ROLE_DRAFTER))
			warn(&c, m->pos, "role", "'working_groups' only "
			    "applies to drafters, and '%s' does not draft",
			    m->email != NULL ? m->email : "?");
	}
	/* Who may change the board: the workflow's rule (state.c); what
	 * mends it is a chair, or a chair's key, in members:. */
	if (!b->members_partial && (e = dipb_state_board_keeper(b)) != NULL) {
		error(&c, b->members_pos, "chair", "%s", e->msg);
		dipb_error_free(e);
	}
	return c.nerrors;
}

char *
dipb_validate_link_what(const char *target)
{
	char *show, *what;

	if (target == NULL)
		return xstrdup("a symbolic link");
	show = dipb_yt_show(target);
	what = xasprintf("a symbolic link to '%s'", show);
	free(show);
	return what;
}

char *
dipb_validate_symlink_what(const char *target)
{
	char *link = dipb_validate_link_what(target);
	char *what = xasprintf("%s, not a file: dipb never reads through one "
	    "(replace the link with the file itself)", link);

	free(link);
	return what;
}

void
dipb_validate_symlink(struct dipb_diags *diags, const char *path,
    const char *target)
{
	char *what = dipb_validate_symlink_what(target);

	dipb_diags_add(diags, path, 0, 0, DIPB_SEV_ERROR, "symlink", "%s",
	    what);
	free(what);
}

size_t
dipb_validate_place(struct dipb_diags *diags, const char *path,
    const char *rel, const struct dipb_board *b)
{
	enum dipb_layout l;
	const char *base = base_name(rel);
	char id[DIPB_MAX_ID + 1], *want;
	size_t n = strlen(base);

	if (dipb_record_path_parse(rel, strlen(rel), id, &l) == 0) {
		if (l == b->layout)
			return 0;
	} else if (n > 5 && n - 5 <= DIPB_MAX_ID &&
	    strcmp(base + n - 5, ".yaml") == 0) {
		memcpy(id, base, n - 5);
		id[n - 5] = '\0';
		if (!dipb_id_valid(id))
			return 0;
	} else
		return 0;
	want = dipb_record_path_in(b->layout, id);
	dipb_diags_add(diags, path, 0, 0, DIPB_SEV_ERROR, "record-path",
	    "not where this board keeps %s: it is %s (%s's layout), so its "
	    "file is %s", id, dipb_layout_name(b->layout), DIPB_BOARD_FILE,
	    want);
	free(want);
	return 1;
}

static int
cmpidref(const void *a, const void *b)
{
	const struct dipb_idref *x = a, *y = b;
	int c;

	if (x->group != y->group)
		return x->group < y->group ? -1 : 1;
	if ((c = strcmp(x->id, y->id)) != 0)
		return c;
	return strcmp(x->path, y->path);
}

size_t
dipb_validate_ids(struct dipb_diags *diags, struct dipb_idref *v, size_t n)
{
	size_t i, k, nerrors = 0;

	if (n < 2)
		return 0;
	qsort(v, n, sizeof(*v), cmpidref);
	for (i = 0; i < n; i = k) {
		for (k = i + 1; k < n && v[k].group == v[i].group &&
		    strcmp(v[k].id, v[i].id) == 0; k++) {
			dipb_diags_add(diags, v[k].path, v[k].pos.line,
			    v[k].pos.col, DIPB_SEV_ERROR, "duplicate-id",
			    "id '%s' is also the id of '%s'", v[k].id,
			    v[i].path);
			nerrors++;
		}
	}
	return nerrors;
}

int
dipb_validate_canonical(const char *buf, size_t len, const char *canon,
    size_t clen, unsigned *line)
{
	size_t i, n = len < clen ? len : clen;
	unsigned l = 1;

	if (len == clen && memcmp(buf, canon, len) == 0)
		return 1;
	for (i = 0; i < n && buf[i] == canon[i]; i++)
		if (buf[i] == '\n')
			l++;
	/* The line of the first difference, counted in the file. */
	*line = l;
	return 0;
}

/* ---- meetings (meeting.h) ---------------------------------------------- */

/*
 * Attendees or apologies l: members, each once across both lists; past:
 * the meeting is history (person).
 */
static void
check_attendance(struct ctx *c, const struct dipb_meeting_list *l,
    const struct dipb_meeting_list *before, const char *what,
    const struct dipb_board *b, int past)
{
	size_t i, k;
	char *show;

	for (i = 0; i < l->s.n; i++) {
		show = dipb_yt_show(l->s.v[i]);
		if (b != NULL && dipb_board_member(b, l->s.v[i]) == NULL)
			person(c, past, l->pos[i], "meeting-member", "'%s' in "
			    "%s is not a member of the board", show, what);
		for (k = 0; k < i; k++)
			if (strcasecmp(l->s.v[k], l->s.v[i]) == 0)
				break;
		if (k < i)
			error(c, l->pos[i], "meeting-attendance", "'%s' is "
			    "listed twice in %s", show, what);
		for (k = 0; before != NULL && k < before->s.n; k++)
			if (strcasecmp(before->s.v[k], l->s.v[i]) == 0)
				break;
		if (before != NULL && k < before->s.n)
			error(c, l->pos[i], "meeting-attendance", "'%s' is "
			    "among the attendees and sent apologies", show);
		free(show);
	}
}

size_t
dipb_validate_meeting(struct dipb_diags *diags, const char *path,
    const struct dipb_meeting *m, const struct dipb_board *b)
{
	const char *tail = path, *s;

	/* The rule is on the path's last two parts: a path may go on
	 * from elsewhere, e.g. ../board/meetings/2026-10-30.yaml. */
	for (s = path; s != NULL && (s = strstr(s, "/" DIPB_MEETING_DIR
	    "/")) != NULL; s++)
		tail = s + 1;
	return dipb_validate_meeting_at(diags, path, tail, m, b, 0);
}

size_t
dipb_validate_meeting_at(struct dipb_diags *diags, const char *path,
    const char *tail, const struct dipb_meeting *m,
    const struct dipb_board *b, int past)
{
	struct ctx c = { diags, path, 0 };
	struct dipb_pos whole = { 0, 0 };
	char date[11];
	size_t i, k;
	char *show;

	if (path != NULL && m->date != NULL &&
	    (!dipb_meeting_path_date(date, tail) ||
	    strcmp(date, m->date) != 0))
		error(&c, m->date_pos, "meeting-date", "a meeting of %s is "
		    "kept in %s/%s.yaml", m->date, DIPB_MEETING_DIR, m->date);
	if (path != NULL && m->date == NULL &&
	    !dipb_meeting_path_date(date, tail))
		error(&c, whole, "meeting-date", "a meeting file is named "
		    "%s/<YYYY-MM-DD>.yaml", DIPB_MEETING_DIR);
	check_attendance(&c, &m->attendees, NULL, "attendees", b, past);
	check_attendance(&c, &m->apologies, &m->attendees, "apologies", b,
	    past);
	for (i = 0; i < m->agenda.s.n; i++) {
		show = dipb_yt_show(m->agenda.s.v[i]);
		if (!dipb_id_valid(m->agenda.s.v[i]))
			error(&c, m->agenda.pos[i], "meeting-agenda", "'%s' "
			    "on the agenda is not a recommendation id", show);
		for (k = 0; k < i; k++)
			if (strcmp(m->agenda.s.v[k], m->agenda.s.v[i]) == 0)
				break;
		if (k < i)
			error(&c, m->agenda.pos[i], "meeting-agenda", "'%s' "
			    "is on the agenda twice", show);
		free(show);
	}
	return c.nerrors;
}

size_t
dipb_validate_draft_needed(struct dipb_diags *diags, const char *path,
    const struct dipb_record *r, int load_rc)
{
	size_t i, n = 0;
	int read = 0;

	for (i = 0; i < DIPB_F__COUNT; i++)
		read |= r->pos[i].line > 0;
	/* What did not parse is reported once, not as missing keys too. */
	if (load_rc != 0 && !read)
		return 0;
	for (i = 0; i < NELEM(dipb_draft_needed); i++)
		if (r->pos[dipb_draft_needed[i]].line == 0) {
			dipb_diags_add(diags, path, r->at.line, r->at.col,
			    DIPB_SEV_ERROR, "required", "a draft needs '%s' "
			    "(dipb recommend --from takes it from the draft)",
			    dipb_field_name(dipb_draft_needed[i]));
			n++;
		}
	return n;
}

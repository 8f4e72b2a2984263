/*
 * verify.c - the branch's history replayed against the workflow and the
 * git contract (verify.h).
 *
 * The cost is one pass over the first-parent history.  A commit whose tree
 * id is its parent's changes nothing; otherwise what changed comes from
 * the raw trees (src/git/treediff.c), at the cost of a few memcmp when
 * one record of 10,000 changed.  Each changed record is parsed once; its
 * parsed form is kept for the next change of the same record.  verify.c
 * holds the rules; git is read through repo.h's reading half.  The tags
 * are the repository's, the branch is the one judged: the other branches
 * are walked only when a tag is not on it (find_elsewhere).
 */
#include <assert.h>
#include <ctype.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "board.h"
#include "checkpoint.h"
#include "date.h"
#include "error.h"
#include "hashmap.h"
#include "meeting.h"
#include "pool.h"
#include "record.h"
#include "repo.h"
#include "sshkey.h"
#include "sshsig.h"
#include "state.h"
#include "text.h"
#include "trailer.h"
#include "util.h"
#include "validate.h"
#include "verify.h"

#define SHORT_HEX	12
#define MODE_TREE	DIPB_MODE_TREE

/*
 * The version of the rules below, for the checkpoints (dipb-verify(1),
 * "CHECKPOINTS"): raise it with any change of what a rule finds or of
 * the state the replay keeps, so that no checkpoint made by other rules
 * is trusted.  The rules' names are bound to it too (rules_id).
 */
#define RULES_VERSION	3
/* The checkpoints kept: <git dir>/dipb/verify/<commit>, the newest few. */
#define CKPT_DIR	"verify"
#define CKPT_KEEP	8
#define CKPT_MAX	(256u << 20)

const struct dipb_verify_rule dipb_verify_rules[] = {
	{ "plain-commit", "a commit without dipb's trailers changes a record "
	    "or dipb.yaml" },
	{ "trailers", "the Dipb-Record, Dipb-Event or Dipb-Status trailers "
	    "are malformed, or disagree with the history" },
	{ "foreign-path", "a state change touches a file other than its own "
	    "record (or dipb.yaml)" },
	{ "no-change", "a commit with dipb's trailers does not change the "
	    "file they name" },
	{ "record-deleted", "a state change deletes its record" },
	{ "record-invalid", "a state change leaves a record file that does "
	    "not load" },
	{ "record-id", "a record's id is not the one its file name and "
	    "trailers give" },
	{ "migration", "a migrated change does more or less than move every "
	    "record, byte for byte, to its place in the layout it sets and "
	    "change dipb.yaml's layout:, or another change sets layout:" },
	{ "record-path", "a record's file is not where the board's layout "
	    "keeps it: in the wrong shard, or in the other layout's place" },
	{ "board-invalid", "a change of dipb.yaml leaves a file that does not "
	    "load" },
	{ "meeting-invalid", "a meeting's change leaves a file that does not "
	    "load, breaks a meeting's rules, or changes a meeting already "
	    "recorded" },
	{ "transition", "the event is not a move the workflow allows from "
	    "the status the record's earlier events give" },
	{ "status", "the record's stored status is not the status its "
	    "events give" },
	{ "quorum", "endorsed without the quorum of endorsements, or the "
	    "quorum reached without being endorsed" },
	{ "role", "the commit's author did not hold the role the move needs "
	    "in dipb.yaml as of the parent commit" },
	{ "self-review", "a review of a recommendation by its author" },
	{ "author", "a record's author is not the member who drafted it, or "
	    "changed" },
	{ "review-changed", "the reviews changed other than by the acting "
	    "reviewer's own new review" },
	{ "fingerprint", "a new review's fingerprint is not that of the "
	    "content at its commit" },
	{ "content-changed", "the drafter's text changed in a change other "
	    "than drafted or edited" },
	{ "field-changed", "a state change changes a field its event may not "
	    "change (dipb-workflow(7), \"Fields\")" },
	{ "rescheduled", "an action-rescheduled change does not add one "
	    "entry to one open action's rescheduled list, from the due date "
	    "in force to a later one, of a decision in force" },
	{ "date", "a date a state change sets is not the change's own date, "
	    "or an earlier date changed" },
	{ "tag-missing", "a state change has no tag <ID>/<N>-<event>" },
	{ "tag-moved", "the tag a state change should have points to "
	    "another commit" },
	{ "tag-lightweight", "a state change's tag is not annotated" },
	{ "tag-event", "a state change's tag names another event" },
	{ "tag-number", "a state change's tag number is not the next of its "
	    "record (a gap, or a repeat)" },
	{ "tag-extra", "a tag on a commit of the branch that no state change "
	    "accounts for" },
	{ "tag-outside-branch", "a tag points to a commit that is not on the "
	    "branch (history rewritten), or to no commit" },
	{ "history-rewritten", "the --since commit is not on the branch" },
	{ "merge", "a merge commit brings a change of a record or dipb.yaml "
	    "from the branch it merges" },
	{ "classification-order", "a change of dipb.yaml reorders or removes "
	    "a classification level in use" },
	{ "classification-lowered", "a record's classification lowered other "
	    "than by the declassified event, or a declassified change that "
	    "does not lower it" },
	{ "review-classification", "a new review's classification is not the "
	    "record's at its commit" },
	{ "unsigned", "a state change's commit or tag is not signed, where the "
	    "board requires signing or the acting member has a key as of the "
	    "parent commit" },
	{ "bad-signature", "a state change's commit or tag carries a signature "
	    "that does not verify, or is not an SSH signature in namespace "
	    "git" },
	{ "wrong-key", "a valid signature by a key that is not the acting "
	    "member's as of the parent commit (board changes: not a chair's): "
	    "another member's, or any where a signature is due" },
	{ "key-removed", "a valid signature by a key the acting member once had "
	    "but not as of the parent commit (removed or rotated out)" },
	{ "identity", "the author, committer and tagger of a state change are "
	    "not the same member" },
	{ NULL, NULL }
};

/* ---- small tools ----------------------------------------------------- */

static int
is_tag_rule(const char *rule)
{
	return strncmp(rule, "tag-", 4) == 0 ||
	    strcmp(rule, "history-rewritten") == 0;
}

/* A copy of s fit for a terminal and JSON, on one line. */
static char *
clean(const char *s)
{
	return dipb_text_clean_line(s);
}

/* ---- the state of a replay --------------------------------------------- */

/* One changed path of a commit. */
struct change {
	char		*path;
	/* The record whose file path is, in either layout (record.h). */
	char		*id;
	enum dipb_layout layout;	/* of path, when id is set */
	unsigned	 old_mode;	/* 0: absent */
	unsigned	 new_mode;
	char		 old_id[DIPB_OID_HEX + 1];
	char		 new_id[DIPB_OID_HEX + 1];
	/* A record's file as the change leaves it, loaded ahead of the
	 * replay (load_records). */
	struct dipb_object *blob;
	struct dipb_record *rec;	/* NULL: deleted, or does not load */
	char		*why;		/* why rec is NULL */
};

struct changes {
	struct change	*v;
	size_t		 n;
	size_t		 cap;
};

/*
 * A signature of a state change's commit or tag, read ahead of the replay
 * and checked by checker threads beside it (read_signatures); the replay
 * judges whose key it is (check_signing).
 */
enum sig_state {
	SIG_NONE,			/* unsigned */
	SIG_BAD,			/* why says why */
	SIG_GOOD			/* by key */
};

struct sigcheck {
	enum sig_state	 state;
	char		*why;
	char		*key;		/* "<type> <base64>" */
	char		*fp;		/* "SHA256:...", once a finding needs it */
	/* What is checked, until it is (sig_new: one allocation, payload
	 * first). */
	const char	*text;		/* the armored signature */
	char		*payload;
	size_t		 paylen;
	int		 stage;		/* SIG_*: under the checkers' lock */
	size_t		 depth;		/* its commit's distance from the tip:
					 * the replay needs the deepest first */
};

/* One commit of the first-parent history, with what its message says. */
struct commit {
	char		 id[DIPB_OID_HEX + 1];
	char		 tree[DIPB_OID_HEX + 1];
	const char	*name;		/* author, cleaned (v->names) */
	const char	*email;		/* (v->names) */
	const char	*record;	/* Dipb-Record; NULL when absent
					 * (v->names, as the next three) */
	const char	*event;		/* Dipb-Event */
	const char	*status;	/* Dipb-Status */
	enum dipb_event_kind kind;	/* the event, when bad is NULL */
	char		 date[11];	/* the author date, in its time zone */
	size_t		 nparents;	/* more than 1: a merge */
	int		 dipb;		/* has any Dipb-* trailer */
	char		*bad;		/* why they are unusable */
	struct changes	 chs;		/* while replayed */
	/* Who signed and who says they made it (check_signing). */
	const char	*committer;	/* email, cleaned (v->names) */
	const char	*tagger;	/* of its tag; NULL: no tag read
					 * (v->names) */
	const char	*tagname;	/* its tag's name (borrowed) */
	/* The commit's signature and its tag's, NULL where unsigned: each
	 * its own allocation, which the checkers hold while the window of
	 * commits moves (window_drop). */
	struct sigcheck	*csig;
	struct sigcheck	*tsig;
	int		 csig_queued;	/* by the walk (walk_sig) */
	int		 sigs_done;	/* both checked (check_signing) */
};

/*
 * What the walk keeps of a commit of the history (walk): what the replay
 * needs of it but its signature, the paths it changes and its tag, in
 * 136 bytes (a struct commit takes 240, and a signature with what it
 * signs about a kilobyte).
 */
struct walked {
	char		 id[DIPB_OID_HEX + 1];
	char		 date[11];
	unsigned char	 tree[DIPB_OID_HEX / 2];
	enum dipb_event_kind kind;
	unsigned char	 dipb;
	unsigned char	 is_signed;
	unsigned char	 nparents;	/* at most 255 */
	const char	*name;		/* v->names', as the next five */
	const char	*email;
	const char	*record;
	const char	*event;
	const char	*status;
	const char	*committer;
	char		*bad;
};

/* One tag whose name has the form <record>/<N>-<event>. */
struct tag {
	char		*name;
	const char	*record;	/* (v->names, as event) */
	const char	*event;
	unsigned long	 n;
	char		 target[DIPB_OID_HEX + 1];	/* what it leads to */
	enum dipb_object_type type;	/* DIPB_OBJECT_NONE: none */
	int		 annotated;
	int		 peeled;	/* from packed-refs */
	char		 obj[DIPB_OID_HEX + 1];	/* the tag object */
	int		 claimed;	/* by a change of the branch */
	int		 reported;
	struct tag	*next;		/* on the same target */
	struct tag	*same_n;	/* of the same record and number */
	int		 elsewhere;	/* another branch has its commit */
	int		 before;	/* on a commit of the branch at or before
					 * the checkpoint (ckpt_apply) */
	char		*extra;		/* before, unclaimed: its tag-extra
					 * finding's message */
};

/*
 * A tag of tag_form's form met in step with the scan of every tag
 * (tags_scan), in byte order of the names: a loose one, now or as a
 * checkpoint found it, with the packed one of its name it overrides.
 */
struct side_tag {
	const char	*name;
	size_t		 len;
	const char	*hex;		/* NULL: a broken ref */
	const char	*shadowed;	/* NULL: none */
};

/* What the replay knows of a record (or of "board"). */
struct recstate {
	char			*id;
	struct dipb_record	*rec;	/* as its last change left it */
	int			 exists;
	enum dipb_status	 status;	/* what its events give */
	int			 unknown; /* status: its last file did not load */
	unsigned long		 ntags;	/* N of its last tag */
	unsigned long		 missing; /* changes without a tag since */
	char		 blob[DIPB_OID_HEX + 1];	/* rec's; "": no rec */
	int		 lazy;	/* rec is blob's, still to be loaded */
};

struct verify {
	struct dipb_repo	*repo;	/* borrowed */
	struct dipb_findings	*out;
	const char		*branch;

	/* The first-parent history, oldest first (walk), the index of a
	 * commit in the history being its index here. */
	struct walked		*hist;
	size_t			 ncommits;
	size_t			 caphist;
	/* The commits [win_from, win_from + nwin) of the history made whole
	 * (window_to): the stretch replayed and those after it whose
	 * signatures the checkers verify meanwhile.  Any other is made from
	 * v->hist when a rule asks for it (commit_peek). */
	struct commit		*win;
	size_t			 win_from;
	size_t			 nwin;
	size_t			 capwin;
	struct dipb_hashmap	 on_branch;	/* hex id -> index + 1 (keys:
						 * v->hist) */
	struct dipb_hashmap	 names;	/* the commits' strings (intern) */
	size_t			 since;	/* the first checked */
	size_t			 cur;	/* the one replayed */

	struct tag		*tags;
	size_t			 ntags;
	size_t			 captags;
	struct dipb_hashmap	 tag_targets;	/* hex id -> tags */
	struct dipb_hashmap	 tag_numbers;	/* "<record>/<N>" -> tags */
	int			 have_numbers;	/* tag_numbers is made */
	/* The tags as read under the lock (read_tags); v->tags holds them
	 * all, or those a checkpoint leaves to judge (ckpt_apply), once
	 * tags_read is set. */
	struct dipb_tagsnap	*snap;
	int			 tags_read;
	/* The digest and number of packed-refs' tags, for the checkpoint
	 * at the tip (ckpt_write), from the same pass or the checkpoint
	 * that read the same file; its loose tags (loose_now). */
	char			 tags_digest[DIPB_OID_HEX + 1];
	size_t			 ntags_digest;
	struct side_tag		*lnow;
	size_t			 nlnow;
	int			 have_lnow;

	struct dipb_hashmap	 records;	/* id -> struct recstate */
	struct dipb_board	 board;
	int			 have_board;
	char			 board_blob[DIPB_OID_HEX + 1];

	/* The checkpoint the replay starts from ("": none) and the first
	 * finding of the history (ckpt_write). */
	char			 ckpt[DIPB_OID_HEX + 1];
	/* Its records, read as the replay meets them (recstate), until
	 * ck_all (ckpt_all); the text they are read from. */
	const struct dipb_checkpoint *ck;
	int			 ck_all;
	const char		*ckmap;
	size_t			 cklen;
	size_t			 hist_from;
	char			 tip[DIPB_OID_HEX + 1];

	/* What the commit replayed last changed, from its trees. */
	struct dipb_treediff	*td;

	/* Signing (check_signing). */
	struct dipb_hashmap	 keys_seen;	/* "email\nkey" of every board */
	size_t			 auth_from;	/* index + 1: authenticated since */
	size_t			 unauth;	/* index + 1: latest that is not */
	struct checkers		*checkers;	/* the signatures' threads */
	size_t			 sigs_read;	/* commits whose signatures are */
	/* The signatures the walk queued (walk_sig), by distance from the
	 * tip, until their commit is read into the window. */
	int			 sigs_early;
	struct sigcheck		**early;
	size_t			 nearly;
};

static void
finding(struct verify *v, const char *commit, const char *tag,
    const char *path, const char *rule, const char *fmt, ...)
    DIPB_PRINTF(6, 7);

/* Signing: who signed each state change (the section "signatures"). */
struct dipb_commit;
static int	take_signed(struct verify *, struct commit *, size_t);
static void	remember_keys(struct verify *, const struct dipb_board *);
static void	read_signatures(struct verify *, size_t, size_t);
static void	checkers_queue(struct verify *, struct sigcheck **, size_t);
static void	sig_wait(struct verify *, struct sigcheck *);
static void	checkers_stop(struct verify *);
static void	check_signing(struct verify *, struct commit *,
		    const struct change *);
static void	signing_note(struct verify *);

static void
finding(struct verify *v, const char *commit, const char *tag,
    const char *path, const char *rule, const char *fmt, ...)
{
	struct dipb_findings *o = v->out;
	struct dipb_finding *f;
	va_list ap;
	char *msg;

	if (!is_tag_rule(rule) && v->cur < v->since)
		return;
	xgrow((void **)&o->v, &o->cap, o->n + 1, sizeof(*o->v));
	f = &o->v[o->n++];
	memset(f, 0, sizeof(*f));
	if (commit != NULL)
		snprintf(f->commit, sizeof(f->commit), "%s", commit);
	f->tag = tag != NULL ? clean(tag) : NULL;
	f->path = path != NULL ? clean(path) : NULL;
	f->rule = rule;
	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	f->msg = clean(msg);
	free(msg);
}

void
dipb_findings_release(struct dipb_findings *o)
{
	size_t i;

	for (i = 0; i < o->n; i++) {
		free(o->v[i].tag);
		free(o->v[i].path);
		free(o->v[i].msg);
	}
	free(o->v);
	memset(o, 0, sizeof(*o));
}

static void
recstate_free(void *p)
{
	struct recstate *rs = p;

	if (rs == NULL)
		return;
	dipb_record_free(rs->rec);
	free(rs->id);
	free(rs);
}

/* A record's state from the checkpoint, its file loaded when needed. */
static void
rs_take(struct recstate *rs, const struct dipb_ckpt_record *cr)
{
	rs->exists = cr->exists;
	rs->status = (enum dipb_status)cr->status;
	rs->unknown = cr->unknown;
	rs->ntags = cr->ntags;
	rs->missing = cr->missing;
	memcpy(rs->blob, cr->blob, sizeof(rs->blob));
	rs->lazy = rs->blob[0] != '\0';
}

static struct recstate *
recstate(struct verify *v, const char *id)
{
	struct recstate *rs = dipb_hashmap_get(&v->records, id);
	struct dipb_ckpt_record cr;

	if (rs == NULL) {
		rs = xcalloc(1, sizeof(*rs));
		rs->id = xstrdup(id);
		dipb_hashmap_put(&v->records, id, rs);
		/* As the checkpoint left it, read the first time it is met. */
		if (v->ck != NULL && !v->ck_all &&
		    dipb_checkpoint_find(&cr, v->ck, id)) {
			rs_take(rs, &cr);
			free(cr.id);
		}
	}
	return rs;
}

/* Every record of the checkpoint, for a rule that asks them all. */
static void
ckpt_all(struct verify *v)
{
	struct dipb_ckpt_record cr;
	size_t at = 0;

	if (v->ck == NULL || v->ck_all)
		return;
	v->ck_all = 1;
	while (dipb_checkpoint_next(&cr, v->ck, &at)) {
		if (dipb_hashmap_get(&v->records, cr.id) == NULL)
			rs_take(recstate(v, cr.id), &cr);
		free(cr.id);
	}
}

static void parse_change(struct change *);

/* Where the board as replayed so far keeps record id (record.h). */
static char *
record_path(const struct verify *v, const char *id)
{
	return dipb_record_path_in(v->have_board ? v->board.layout :
	    DIPB_LAYOUT_FLAT, id);
}

/*
 * The record as rs's last change left it: from a checkpoint, it is loaded
 * from its blob the first time it is needed (ckpt_apply).
 */
static struct dipb_record *
rs_rec(struct verify *v, struct recstate *rs)
{
	const struct dipb_error *err;
	struct change ch;

	if (!rs->lazy)
		return rs->rec;
	rs->lazy = 0;
	memset(&ch, 0, sizeof(ch));
	ch.path = record_path(v, rs->id);
	ch.new_mode = DIPB_MODE_BLOB;
	if ((err = dipb_git_object_read(&ch.blob, v->repo, rs->blob,
	    DIPB_OBJECT_BLOB)) != NULL)
		dipb_error_free(err);
	else if (dipb_object_size(ch.blob) <= DIPB_MAX_FILE)
		parse_change(&ch);
	rs->rec = ch.rec;
	if (rs->rec == NULL)
		rs->blob[0] = '\0';
	dipb_object_free(ch.blob);
	free(ch.why);
	free(ch.path);
	return rs->rec;
}

static void
changes_release(struct changes *c)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		free(c->v[i].path);
		free(c->v[i].id);
		dipb_object_free(c->v[i].blob);
		dipb_record_free(c->v[i].rec);
		free(c->v[i].why);
	}
	free(c->v);
	memset(c, 0, sizeof(*c));
}

/* ---- the history ------------------------------------------------------- */

/*
 * s (allocated; taken) as the one copy of its text that v keeps, freed
 * with v: a history has a handful of authors, events and statuses, and
 * each commit and tag of a full replay kept its own copies of their
 * names, emails, events and statuses (and of its record's id).
 */
static const char *
intern(struct verify *v, char *s)
{
	char *have;

	if (s == NULL)
		return NULL;
	if ((have = dipb_hashmap_get(&v->names, s)) != NULL) {
		free(s);
		return have;
	}
	dipb_hashmap_put(&v->names, s, s);
	return s;
}

/* One Dipb-* trailer of c: two of a key make the change unusable. */
static void
take_trailer(struct verify *v, struct commit *c, const char **slot,
    const struct dipb_trailers *t, const char *key)
{
	const char *val;
	size_t n = dipb_trailers_get(&val, t, key);

	if (n == 0)
		return;
	c->dipb = 1;
	if (n > 1 && c->bad == NULL)
		c->bad = xasprintf("two %s trailers", key);
	/* The first of them, as a reader of the message sees it. */
	for (n = 0; n < t->n; n++)
		if (strcasecmp(t->v[n].key, key) == 0)
			break;
	*slot = intern(v, clean(t->v[n].value));
}

/* Reads the Dipb-* trailers of msg into c, by git's rules (trailer.h). */
static void
read_trailers(struct verify *v, struct commit *c, const char *msg,
    size_t len)
{
	struct dipb_trailers t;

	dipb_trailers_parse(&t, msg, len);
	take_trailer(v, c, &c->record, &t, "Dipb-Record");
	take_trailer(v, c, &c->event, &t, "Dipb-Event");
	take_trailer(v, c, &c->status, &t, "Dipb-Status");
	dipb_trailers_release(&t);
	if (!c->dipb || c->bad != NULL)
		return;
	if (c->record == NULL)
		c->bad = xstrdup("no Dipb-Record trailer");
	else if (c->event == NULL)
		c->bad = xstrdup("no Dipb-Event trailer");
	else if (strcmp(c->record, DIPB_BOARD_RECORD) != 0 &&
	    strcmp(c->record, DIPB_MEETING_RECORD) != 0 &&
	    !dipb_id_valid(c->record))
		c->bad = xasprintf("Dipb-Record is not a record id: '%s'",
		    c->record);
	else if (dipb_event_parse(&c->kind, c->record, c->event) < 0)
		c->bad = xasprintf("Dipb-Event is not an event of %s: '%s'",
		    strcmp(c->record, DIPB_BOARD_RECORD) == 0 ? "the board" :
		    strcmp(c->record, DIPB_MEETING_RECORD) == 0 ? "a meeting" :
		    "a record",
		    c->event);
}

static void
sigcheck_free(struct sigcheck *s)
{
	if (s == NULL)
		return;
	free(s->why);
	free(s->key);
	free(s->fp);
	free(s->payload);
	free(s);
}

static void
commit_release(struct commit *c)
{
	changes_release(&c->chs);
	sigcheck_free(c->csig);
	sigcheck_free(c->tsig);
	free(c->bad);
}

/*
 * Takes commit d into c: id, tree, author (cleaned), trailers.  The
 * message is parsed only when "dipb-" (in any case) is in it somewhere.
 */
static void
take_commit(struct verify *v, struct commit *c, const struct dipb_commit *d)
{
	const char *p = d->message, *end = p + d->message_len, *s;

	memcpy(c->id, d->id, sizeof(c->id));
	memcpy(c->tree, d->tree, sizeof(c->tree));
	c->name = intern(v, clean(d->author_name));
	c->email = intern(v, clean(d->author_email));
	dipb_date_ymd(c->date, d->author_time, d->author_offset);
	for (s = p; (s = memchr(s, '-', (size_t)(end - s))) != NULL; s++)
		if (s - p >= 3 && strncasecmp(s - 3, "ipb", 3) == 0)
			break;
	if (s != NULL)
		read_trailers(v, c, p, d->message_len);
}

static struct sigcheck *sig_new(const char *, size_t, const char *,
    size_t, size_t);

/*
 * When every change is to be checked (no --since), the walk queues the
 * signatures of the state changes among the EARLY_SIGS commits nearest
 * the tip for the checkers at once, so that they work while the walk and
 * the scan of the tags go on (the replay reads the others a stretch
 * ahead: read_signatures); a bound on what they hold meanwhile, about a
 * kilobyte each.
 */
#define EARLY_SIGS	8192

/* The signature of commit d (c as taken), depth from the tip, queued. */
static void
walk_sig(struct verify *v, const struct commit *c,
    const struct dipb_commit *d, size_t depth)
{
	if (!c->dipb || c->bad != NULL)
		return;
	if (v->early == NULL) {
		v->early = xcalloc(EARLY_SIGS, sizeof(*v->early));
		v->nearly = EARLY_SIGS;
	}
	v->early[depth] = sig_new(d->signature, d->signature_len, d->payload,
	    d->payload_len, depth);
	checkers_queue(v, &v->early[depth], 1);
}

/* Commit d as taken into c, into w (c's bad taken). */
static void
walked_take(struct verify *v, struct walked *w, struct commit *c,
    const struct dipb_commit *d)
{
	memset(w, 0, sizeof(*w));
	memcpy(w->id, c->id, sizeof(w->id));
	memcpy(w->date, c->date, sizeof(w->date));
	/* The commit's reader took 40 hex digits (dipb_git_commit_read). */
	(void)dipb_unhex(w->tree, c->tree, sizeof(w->tree));
	w->kind = c->kind;
	w->dipb = (unsigned char)c->dipb;
	w->is_signed = d->signature != NULL;
	w->nparents = (unsigned char)(d->nparents < 255 ? d->nparents : 255);
	w->name = c->name;
	w->email = c->email;
	w->record = c->record;
	w->event = c->event;
	w->status = c->status;
	w->committer = d->committer_email != NULL ?
	    intern(v, clean(d->committer_email)) : NULL;
	w->bad = c->bad;
	c->bad = NULL;
}

/*
 * The first-parent history from tip back to its first commit, oldest
 * first, into v->hist.  With stops (commit ids that have a checkpoint),
 * the walk ends at the first of them met at or after since (going back),
 * which v->ckpt names and v->hist leaves out.
 */
static const struct dipb_error *
walk(struct verify *v, const char *tip, const struct dipb_hashmap *stops,
    const char *since)
{
	const struct dipb_error *err;
	struct dipb_commit d;
	struct commit c;
	struct walked t;
	char id[DIPB_OID_HEX + 1];
	size_t i;
	int since_seen = 0;

	v->ckpt[0] = '\0';
	snprintf(id, sizeof(id), "%s", tip);
	while (id[0] != '\0') {
		if (stops != NULL && !since_seen && strcmp(id, since) == 0)
			since_seen = 1;
		if (since_seen && dipb_hashmap_get(stops, id) != NULL) {
			memcpy(v->ckpt, id, sizeof(v->ckpt));
			break;
		}
		if ((err = dipb_git_commit_read(&d, v->repo, id)) != NULL) {
			if (err->code != DIPB_ERR_NOT_FOUND)
				return err;
			dipb_error_free(err);
			/* Judged whole or not at all: no finding for a cut. */
			if (v->ncommits > 0 && dipb_repo_shallow(v->repo))
				return dipb_error_fmt(DIPB_ERR_CORRUPT, "the "
				    "history is cut before commit '%s': this is "
				    "a shallow clone (a clone with --depth, as "
				    "CI checkouts make), and verify judges the "
				    "whole history with its tags; 'git fetch "
				    "--unshallow --tags' fetches them",
				    v->hist[v->ncommits - 1].id);
			if (v->ncommits > 0)
				return dipb_error_fmt(DIPB_ERR_CORRUPT,
				    "history incomplete: commit '%s' is "
				    "missing (a shallow clone? fetch the whole "
				    "history)", id);
			return dipb_error_fmt(DIPB_ERR_GIT, "cannot read "
			    "commit: '%s'", id);
		}
		xgrow((void **)&v->hist, &v->caphist, v->ncommits + 1,
		    sizeof(*v->hist));
		memset(&c, 0, sizeof(c));
		take_commit(v, &c, &d);
		if (v->sigs_early && d.signature != NULL &&
		    v->ncommits < EARLY_SIGS)
			walk_sig(v, &c, &d, v->ncommits);
		walked_take(v, &v->hist[v->ncommits++], &c, &d);
		commit_release(&c);
		if (d.nparents > 0)
			memcpy(id, d.parent, sizeof(id));
		else
			id[0] = '\0';
		dipb_commit_release(&d);
	}
	for (i = 0; i < v->ncommits / 2; i++) {
		t = v->hist[i];
		v->hist[i] = v->hist[v->ncommits - 1 - i];
		v->hist[v->ncommits - 1 - i] = t;
	}
	for (i = 0; i < v->ncommits; i++)
		dipb_hashmap_put_ref(&v->on_branch, v->hist[i].id,
		    (void *)(uintptr_t)(i + 1));
	return NULL;
}

/*
 * Commit k of the history into c, from what the walk kept: with signed,
 * a state change's signature too, read again from the commit when the
 * walk did not queue it (take_signed), for the window only.  Without,
 * nothing is read and nothing fails.
 */
static const struct dipb_error *
read_commit(struct verify *v, struct commit *c, size_t k, int signed_)
{
	const struct dipb_error *err;
	const struct walked *w = &v->hist[k];
	struct dipb_commit d;

	memset(c, 0, sizeof(*c));
	memcpy(c->id, w->id, sizeof(c->id));
	dipb_hex(c->tree, w->tree, sizeof(w->tree));
	memcpy(c->date, w->date, sizeof(c->date));
	c->kind = w->kind;
	c->dipb = w->dipb;
	c->nparents = w->nparents;
	c->name = w->name;
	c->email = w->email;
	c->record = w->record;
	c->event = w->event;
	c->status = w->status;
	c->committer = w->committer;
	c->bad = w->bad != NULL ? xstrdup(w->bad) : NULL;
	/* Only a state change's is checked (read_signatures). */
	if (!signed_ || !w->is_signed || !w->dipb || w->bad != NULL)
		return NULL;
	if (take_signed(v, c, k))
		return NULL;
	if ((err = dipb_git_commit_read(&d, v->repo, w->id)) != NULL)
		return err;
	if (d.signature != NULL)
		c->csig = sig_new(d.signature, d.signature_len, d.payload,
		    d.payload_len, v->ncommits - 1 - k);
	dipb_commit_release(&d);
	return NULL;
}

/* The window of commits read on to commit to (excluded). */
static const struct dipb_error *
window_to(struct verify *v, size_t to)
{
	const struct dipb_error *err;
	size_t k;

	if (to > v->ncommits)
		to = v->ncommits;
	for (k = v->win_from + v->nwin; k < to; k++) {
		xgrow((void **)&v->win, &v->capwin, v->nwin + 1,
		    sizeof(*v->win));
		if ((err = read_commit(v, &v->win[v->nwin], k, 1)) != NULL)
			return err;
		v->nwin++;
	}
	return NULL;
}

/*
 * The commits of the window before commit from released, once no checker
 * holds their signatures (a change the replay did not judge, such as a
 * migration, never waited for its own).
 */
static void
window_drop(struct verify *v, size_t from)
{
	size_t i, n;

	if (from <= v->win_from)
		return;
	n = from - v->win_from < v->nwin ? from - v->win_from : v->nwin;
	for (i = 0; i < n; i++) {
		if (!v->win[i].sigs_done) {
			sig_wait(v, v->win[i].csig);
			sig_wait(v, v->win[i].tsig);
		}
		commit_release(&v->win[i]);
	}
	if (n < v->nwin)
		memmove(v->win, v->win + n, (v->nwin - n) * sizeof(*v->win));
	v->nwin -= n;
	v->win_from = v->nwin > 0 ? v->win_from + n : from;
}

/* Commit k of the history, which the window holds. */
static struct commit *
commit_at(struct verify *v, size_t k)
{
	assert(k >= v->win_from && k < v->win_from + v->nwin);
	return &v->win[k - v->win_from];
}

/*
 * Commit k of the history, from the window or else made into tmp from
 * what the walk kept (then released with commit_release), without its
 * signature; NULL only if that failed, which it does not.
 */
static struct commit *
commit_peek(struct verify *v, size_t k, struct commit *tmp)
{
	const struct dipb_error *err;

	if (k >= v->win_from && k < v->win_from + v->nwin)
		return &v->win[k - v->win_from];
	if ((err = read_commit(v, tmp, k, 0)) != NULL) {
		dipb_error_free(err);
		commit_release(tmp);
		return NULL;
	}
	return tmp;
}

/* ---- the tags ---------------------------------------------------------- */

/*
 * Whether the len bytes at name are a tag name "<record>/<N>-<event>":
 * then *rlen is the record's length, *n its number, *ev the event's
 * offset.  Nothing is allocated: every tag of the repository is asked.
 */
static int
tag_form(const char *name, size_t len, size_t *rlen, unsigned long *n,
    size_t *ev)
{
	const char *end = name + len, *slash = memchr(name, '/', len), *p;
	char rec[DIPB_MAX_ID + 2];
	unsigned long num = 0;

	if (slash == NULL || end - slash < 2 ||
	    !isdigit((unsigned char)slash[1]) || slash[1] == '0')
		return 0;
	for (p = slash + 1; p < end && isdigit((unsigned char)*p); p++) {
		if (num > 1000000000UL)
			return 0;
		num = num * 10 + (unsigned long)(*p - '0');
	}
	if (end - p < 2 || *p != '-' ||
	    memchr(p + 1, '/', (size_t)(end - p - 1)) != NULL ||
	    memchr(name, '\0', len) != NULL)
		return 0;
	*rlen = (size_t)(slash - name);
	if (*rlen >= sizeof(rec))
		return 0;
	memcpy(rec, name, *rlen);
	rec[*rlen] = '\0';
	if (strcmp(rec, DIPB_BOARD_RECORD) != 0 &&
	    strcmp(rec, DIPB_MEETING_RECORD) != 0 && !dipb_id_valid(rec))
		return 0;
	*n = num;
	*ev = (size_t)(p + 1 - name);
	return 1;
}

/*
 * The tag of the len bytes at name, of tag_form's form, into v->tags (see
 * dipb_tag_fn for hex and peeled): the object it leads to read when
 * packed-refs does not say.
 */
static struct tag *
add_tag(struct verify *v, const char *name, size_t len, size_t rlen,
    unsigned long n, size_t ev, const char *hex, const char *peeled)
{
	struct tag *t;

	xgrow((void **)&v->tags, &v->captags, v->ntags + 1, sizeof(*v->tags));
	t = &v->tags[v->ntags++];
	memset(t, 0, sizeof(*t));
	t->name = xstrndup(name, len);
	t->record = intern(v, xstrndup(name, rlen));
	t->event = intern(v, xstrndup(name + ev, len - ev));
	t->n = n;
	t->type = DIPB_OBJECT_NONE;
	if (hex == NULL)
		return t;	/* a broken reference */
	memcpy(t->obj, hex, DIPB_OID_HEX);
	t->obj[DIPB_OID_HEX] = '\0';
	/*
	 * packed-refs as git writes it (git gc, a clone, a fetch) gives the
	 * commit an annotated tag points to: no need to read 10,000 tags.
	 * Its type is checked when the tag is not on a change of the branch.
	 */
	if (peeled != NULL) {
		memcpy(t->target, peeled, DIPB_OID_HEX);
		t->target[DIPB_OID_HEX] = '\0';
		t->type = DIPB_OBJECT_COMMIT;
		t->annotated = t->peeled = 1;
		return t;
	}
	dipb_git_tag_peel(t->target, &t->type, &t->annotated, v->repo,
	    t->obj);
	return t;
}

static void
tag_release(struct tag *t)
{
	free(t->name);
	free(t->extra);
}

/*
 * The tags, as they are under the lock: kept to be read once the walk
 * has found the commits a checkpoint leaves to replay (tags_ready,
 * ckpt_apply).
 */
static const struct dipb_error *
read_tags(struct verify *v)
{
	return dipb_git_tags_snap(&v->snap, v->repo);
}

/*
 * A digest of tags: the SHA-1 of the lines "<name> <object>\n" in byte
 * order of the names, hashed a block at a time.
 */
struct tagdigest {
	struct dipb_sha1	*sha;
	size_t			 n;		/* tags digested */
	char			 buf[8192];
	size_t			 used;
};

static void
digest_put(struct tagdigest *d, const char *p, size_t n)
{
	if (d->used + n > sizeof(d->buf)) {
		dipb_git_sha1_update(d->sha, d->buf, d->used);
		d->used = 0;
	}
	if (n > sizeof(d->buf)) {
		dipb_git_sha1_update(d->sha, p, n);
		return;
	}
	memcpy(d->buf + d->used, p, n);
	d->used += n;
}

static void
digest_tag(struct tagdigest *d, const char *name, size_t len,
    const char *hex)
{
	digest_put(d, name, len);
	digest_put(d, " ", 1);
	if (hex != NULL)
		digest_put(d, hex, DIPB_OID_HEX);
	digest_put(d, "\n", 1);
	d->n++;
}

static void
digest_end(char out[DIPB_OID_HEX + 1], struct tagdigest *d)
{
	dipb_git_sha1_update(d->sha, d->buf, d->used);
	dipb_git_sha1_hex(out, d->sha);
}

static int
is_tag_name(const char *name, size_t len)
{
	unsigned long n;
	size_t rlen, ev;

	return tag_form(name, len, &rlen, &n, &ev);
}

/*
 * The loose tags of the snapshot, of tag_form's form, each with the
 * packed one it overrides, into v->lnow (once): what a checkpoint keeps
 * of them, and what tells them from the packed ones in a scan.
 */
static const struct dipb_error *
loose_now(struct verify *v)
{
	const struct dipb_tagref *l;
	struct side_tag *t;
	const char *peeled;
	size_t i, n, cap = 0;

	if (v->have_lnow)
		return NULL;
	l = dipb_tagsnap_loose(v->snap, &n);
	for (i = 0; i < n; i++) {
		if (!is_tag_name(l[i].name, strlen(l[i].name)))
			continue;
		xgrow((void **)&v->lnow, &cap, v->nlnow + 1, sizeof(*v->lnow));
		t = &v->lnow[v->nlnow++];
		t->name = l[i].name;
		t->len = strlen(l[i].name);
		t->hex = l[i].target[0] != '\0' ? l[i].target : NULL;
		if (dipb_tagsnap_packed(&t->shadowed, &peeled, v->snap,
		    t->name, t->len) < 0)
			return dipb_error_fmt(DIPB_ERR_CORRUPT,
			    "malformed packed-refs");
	}
	v->have_lnow = 1;
	return NULL;
}

/* A list of side_tags, sorted, met in step with a scan in name order. */
struct side {
	const struct side_tag	*v;
	size_t			 n;
	size_t			 i;
};

/* The entry of s named name, if any; those before it are passed. */
static const struct side_tag *
side_at(struct side *s, const char *name, size_t len)
{
	int c;

	for (; s->i < s->n; s->i++) {
		c = dipb_bytes_cmp(s->v[s->i].name, s->v[s->i].len, name,
		    len);
		if (c == 0)
			return &s->v[s->i++];
		if (c > 0)
			break;
	}
	return NULL;
}

/*
 * One pass over every tag (tags_scan): the digest of packed-refs' tags
 * (into v->tags_digest: the loose ones do not count, the packed ones they
 * override do), and into v->tags those a replay judges: every one
 * (keep_all), else those on the commits walked and those named in want.
 * With a checkpoint cp, whether the tags that are not on the commits
 * walked are those it was made with: old, the digest of its packed-refs
 * as they give it (its loose tags' places taken by the packed ones they
 * override, as it keeps them), and its loose tags each as it was.
 */
struct tagscan {
	struct verify		*v;
	int			 keep_all;
	const struct dipb_hashmap *want;
	struct tagdigest	 packed;
	struct side		 loose;		/* v->lnow */
	struct tagdigest	 old;		/* old.sha NULL: no cp */
	struct side		 ck;		/* cp's loose tags */
	int			 changed;	/* one of them is not as it was */
	size_t			 ntags;		/* of tag_form's form */
	struct dipb_buf		 key;
};

/* Passes cp's loose tags before name (none: every one), gone since. */
static void
ck_pass(struct tagscan *s, const char *name, size_t len)
{
	const struct side_tag *c;

	for (; s->ck.i < s->ck.n; s->ck.i++) {
		c = &s->ck.v[s->ck.i];
		if (name != NULL &&
		    dipb_bytes_cmp(c->name, c->len, name, len) >= 0)
			break;
		if (c->shadowed != NULL)
			digest_tag(&s->old, c->name, c->len, c->shadowed);
		s->changed = 1;
	}
}

static int
same_hex(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return memcmp(a, b, DIPB_OID_HEX) == 0;
}

static int
scan_tag(const char *name, size_t len, const char *hex, const char *peeled,
    void *arg)
{
	struct tagscan *s = arg;
	struct verify *v = s->v;
	char target[DIPB_OID_HEX + 1];
	const struct side_tag *l, *c;
	struct tag *t = NULL;
	unsigned long n;
	size_t rlen, ev;
	int new = 0, keep;

	if (!tag_form(name, len, &rlen, &n, &ev))
		return 0;
	s->ntags++;
	/* packed-refs' own: a loose tag's place is the packed one's. */
	if ((l = side_at(&s->loose, name, len)) == NULL)
		digest_tag(&s->packed, name, len, hex);
	else if (l->shadowed != NULL)
		digest_tag(&s->packed, name, len, l->shadowed);
	if (s->keep_all) {
		add_tag(v, name, len, rlen, n, ev, hex, peeled);
		return 0;
	}
	/* On a commit walked: the tag is the replay's to judge. */
	if (peeled != NULL) {
		memcpy(target, peeled, DIPB_OID_HEX);
		target[DIPB_OID_HEX] = '\0';
		new = dipb_hashmap_get(&v->on_branch, target) != NULL;
	} else if (hex != NULL) {
		t = add_tag(v, name, len, rlen, n, ev, hex, peeled);
		new = t->type != DIPB_OBJECT_NONE &&
		    dipb_hashmap_get(&v->on_branch, t->target) != NULL;
	}
	if (s->old.sha != NULL) {
		ck_pass(s, name, len);
		if (s->ck.i < s->ck.n && (c = &s->ck.v[s->ck.i])->len == len &&
		    memcmp(c->name, name, len) == 0) {
			if (new || !same_hex(c->hex, hex))
				s->changed = 1;
			if (c->shadowed != NULL)
				digest_tag(&s->old, name, len, c->shadowed);
			s->ck.i++;
		} else if (!new)
			digest_tag(&s->old, name, len, hex);
	}
	keep = new;
	if (!keep && s->want != NULL && s->want->n > 0) {
		s->key.len = 0;
		dipb_buf_put(&s->key, name, len);
		keep = dipb_hashmap_get(s->want, dipb_buf_cstr(&s->key)) !=
		    NULL;
	}
	if (keep && t == NULL)
		add_tag(v, name, len, rlen, n, ev, hex, peeled);
	else if (!keep && t != NULL)
		tag_release(&v->tags[--v->ntags]);
	return 0;
}

static int
cmp_tag_name(const void *a, const void *b)
{
	return strcmp(((const struct tag *)a)->name,
	    ((const struct tag *)b)->name);
}

/* cp's loose tags as side_tags, into *out (caller frees). */
static size_t
ck_side(struct side_tag **out, const struct dipb_checkpoint *cp)
{
	size_t i;

	*out = xcalloc(cp->nloose + 1, sizeof(**out));
	for (i = 0; i < cp->nloose; i++) {
		(*out)[i].name = cp->loose[i].name;
		(*out)[i].len = strlen(cp->loose[i].name);
		(*out)[i].hex = cp->loose[i].hex[0] != '\0' ?
		    cp->loose[i].hex : NULL;
		(*out)[i].shadowed = cp->loose[i].shadowed[0] != '\0' ?
		    cp->loose[i].shadowed : NULL;
	}
	return cp->nloose;
}

/*
 * One pass over the tags read: see struct tagscan; with cp (never with
 * keep_all), *same 1 when the tags not on the commits walked are those
 * cp was made with.
 */
static const struct dipb_error *
tags_scan(struct verify *v, int keep_all, const struct dipb_hashmap *want,
    const struct dipb_checkpoint *cp, int *same)
{
	const struct dipb_error *err;
	struct side_tag *ck = NULL;
	char old[DIPB_OID_HEX + 1];
	struct tagscan s;
	size_t hint;

	if ((err = loose_now(v)) != NULL)
		return err;
	memset(&s, 0, sizeof(s));
	s.v = v;
	s.keep_all = keep_all;
	s.want = want;
	s.loose.v = v->lnow;
	s.loose.n = v->nlnow;
	dipb_buf_init(&s.key);
	s.packed.sha = dipb_git_sha1_new();
	if (cp != NULL) {
		s.old.sha = dipb_git_sha1_new();
		s.ck.n = ck_side(&ck, cp);
		s.ck.v = ck;
	}
	/* One allocation, not 17 doublings copying 50,000 tags. */
	if (keep_all && (hint = dipb_tagsnap_hint(v->snap)) > 0)
		xgrow((void **)&v->tags, &v->captags, v->ntags + hint,
		    sizeof(*v->tags));
	err = dipb_tagsnap_each(v->snap, scan_tag, &s);
	dipb_buf_release(&s.key);
	digest_end(v->tags_digest, &s.packed);
	v->ntags_digest = s.packed.n;
	if (cp != NULL) {
		ck_pass(&s, NULL, 0);
		digest_end(old, &s.old);
		*same = !s.changed && s.old.n == cp->ntags &&
		    strcmp(old, cp->tags_digest) == 0;
	}
	free(ck);
	if (err == NULL)
		v->out->ntags = s.ntags;
	return err;
}

/*
 * The same without reading packed-refs, when it is the file checkpoint
 * cp was made with (its identity unchanged): its tags are those cp's
 * were, so that only the loose tags, now and then, and the packed ones
 * they override can differ, and of the packed tags only those that no
 * change up to cp claimed (want) can be on a commit walked (the others
 * are on commits before it).  *same as tags_scan says it.
 */
static const struct dipb_error *
tags_known(struct verify *v, const struct dipb_checkpoint *cp,
    const struct dipb_hashmap *want, int *same)
{
	const struct dipb_error *err;
	struct dipb_hashmap seen = DIPB_HASHMAP_INIT;
	struct side_tag *ck = NULL, *a, *b;
	const char *name, *hex, *peeled, *was, *wpeeled;
	size_t i = 0, j = 0, nck, len, rlen, ev, count = cp->ntags;
	unsigned long n;
	struct tag *t;
	int c, now, then, new, bad = 0;
	char *key;

	if ((err = loose_now(v)) != NULL)
		return err;
	nck = ck_side(&ck, cp);
	*same = 1;
	/* The names of a loose tag, now or then. */
	while (i < v->nlnow || j < nck) {
		a = i < v->nlnow ? &v->lnow[i] : NULL;
		b = j < nck ? &ck[j] : NULL;
		c = a == NULL ? 1 : b == NULL ? -1 :
		    dipb_bytes_cmp(a->name, a->len, b->name, b->len);
		name = c <= 0 ? a->name : b->name;
		len = c <= 0 ? a->len : b->len;
		if (c <= 0) {
			i++;
			now = 1;
			hex = a->hex;
			peeled = NULL;
			count += 1 - (a->shadowed != NULL);
		} else if ((now = dipb_tagsnap_packed(&hex, &peeled, v->snap,
		    name, len)) < 0) {
			bad = 1;
			break;
		}
		if (c >= 0) {
			j++;
			then = 1;
			was = b->hex;
		} else if ((then = dipb_tagsnap_packed(&was, &wpeeled,
		    v->snap, name, len)) < 0) {
			bad = 1;
			break;
		}
		new = 0;
		t = NULL;
		if (now && tag_form(name, len, &rlen, &n, &ev)) {
			t = add_tag(v, name, len, rlen, n, ev, hex, peeled);
			new = t->type != DIPB_OBJECT_NONE &&
			    dipb_hashmap_get(&v->on_branch, t->target) != NULL;
		}
		if (then ? !now || new || !same_hex(was, hex) : now && !new)
			*same = 0;
		key = xstrndup(name, len);
		if (t != NULL && !new && dipb_hashmap_get(want, key) == NULL)
			tag_release(&v->tags[--v->ntags]);
		dipb_hashmap_put(&seen, key, (void *)1);
		free(key);
	}
	/* The packed ones no change up to it claimed. */
	for (i = 0; i < want->cap && !bad; i++) {
		if ((key = want->v[i].key) == NULL ||
		    dipb_hashmap_get(&seen, key) != NULL)
			continue;
		len = strlen(key);
		if ((now = dipb_tagsnap_packed(&hex, &peeled, v->snap, key,
		    len)) < 0)
			bad = 1;
		else if (now && tag_form(key, len, &rlen, &n, &ev))
			add_tag(v, key, len, rlen, n, ev, hex, peeled);
	}
	dipb_hashmap_release(&seen, NULL);
	free(ck);
	if (bad)
		return dipb_error_fmt(DIPB_ERR_CORRUPT,
		    "malformed packed-refs");
	memcpy(v->tags_digest, cp->tags_digest, sizeof(v->tags_digest));
	v->ntags_digest = cp->ntags;
	v->out->ntags = count;
	return NULL;
}

/*
 * v->tags in the order of their names, which tag_named searches, and
 * their map by target, complete: pointers into it hold from here on.  A
 * scan of every tag gives them in that order (tags_scan); tags_known
 * gathers the loose ones, then the packed ones, and they are sorted here.
 */
static void
tags_index(struct verify *v)
{
	struct tag *t;
	size_t i;

	for (i = 1; i < v->ntags; i++)
		if (strcmp(v->tags[i - 1].name, v->tags[i].name) > 0)
			break;
	if (i < v->ntags)
		qsort(v->tags, v->ntags, sizeof(*v->tags), cmp_tag_name);
	for (i = 0; i < v->ntags; i++) {
		t = &v->tags[i];
		if (t->type == DIPB_OBJECT_NONE)
			continue;
		t->next = dipb_hashmap_get(&v->tag_targets, t->target);
		dipb_hashmap_put_ref(&v->tag_targets, t->target, t);
	}
	v->tags_read = 1;
}

/*
 * The tag named name, NULL when there is none: a binary search of
 * v->tags, 17 comparisons among 159,000 tags, where a map by name held
 * 8 MB.
 */
static struct tag *
tag_named(struct verify *v, const char *name)
{
	size_t lo = 0, hi = v->ntags, mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((c = strcmp(v->tags[mid].name, name)) == 0)
			return &v->tags[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Every tag into v->tags, unless a checkpoint chose them (ckpt_apply). */
static const struct dipb_error *
tags_ready(struct verify *v)
{
	const struct dipb_error *err;

	if (v->tags_read)
		return NULL;
	if ((err = tags_scan(v, 1, NULL, NULL, NULL)) != NULL)
		return err;
	tags_index(v);
	return NULL;
}

/* Forgets v->tags, to read them again. */
static void
tags_forget(struct verify *v)
{
	size_t i;

	for (i = 0; i < v->ntags; i++)
		tag_release(&v->tags[i]);
	v->ntags = 0;
	dipb_hashmap_release(&v->tag_targets, NULL);
	dipb_hashmap_release(&v->tag_numbers, NULL);
	v->have_numbers = 0;
	v->tags_read = 0;
}

/*
 * 1 when tag t belongs to a later change of the branch: one of the same
 * record and event that bears no other tag of the record (so the change
 * being checked is the one without a tag, not t the one moved).
 */
static int
tag_is_later(struct verify *v, const struct tag *t)
{
	const char *hex = t->target;
	struct commit *c, tmp;
	const struct tag *x;
	uintptr_t at;
	int later = 1;

	if (t->type != DIPB_OBJECT_COMMIT)
		return 0;
	if ((at = (uintptr_t)dipb_hashmap_get(&v->on_branch, hex)) == 0 ||
	    at - 1 <= v->cur)
		return 0;
	if ((c = commit_peek(v, at - 1, &tmp)) == NULL)
		return 0;
	if (!c->dipb || c->bad != NULL || strcmp(c->record, t->record) != 0 ||
	    strcmp(c->event, t->event) != 0)
		later = 0;
	for (x = dipb_hashmap_get(&v->tag_targets, hex); later && x != NULL;
	    x = x->next)
		if (x != t && strcmp(x->record, t->record) == 0)
			later = 0;
	if (c == &tmp)
		commit_release(&tmp);
	return later;
}

/*
 * 1 when each number from..to-1 of record is that of a tag whose commit
 * is not on the branch: tag numbers are the repository's, and a change of
 * the record made on another branch took them (dipb-verify(1),
 * "Branches").  A tag that no branch reaches is reported on its own
 * (check_other_tags).
 */
static int
numbers_elsewhere(struct verify *v, const char *record, unsigned long from,
    unsigned long to)
{
	const struct tag *t;
	struct tag *x;
	unsigned long k;
	size_t i;
	char *key;
	int found = 1;

	if (to - from > v->ntags)
		return 0;
	/* Made the first time a gap is seen: most histories have none. */
	for (i = 0; !v->have_numbers && i < v->ntags; i++) {
		x = &v->tags[i];
		key = xasprintf("%s/%lu", x->record, x->n);
		x->same_n = dipb_hashmap_get(&v->tag_numbers, key);
		dipb_hashmap_put(&v->tag_numbers, key, x);
		free(key);
	}
	v->have_numbers = 1;
	for (k = from; k < to && found; k++) {
		key = xasprintf("%s/%lu", record, k);
		found = 0;
		for (t = dipb_hashmap_get(&v->tag_numbers, key); t != NULL &&
		    !found; t = t->same_n)
			found = t->type == DIPB_OBJECT_COMMIT &&
			    !t->before &&
			    dipb_hashmap_get(&v->on_branch, t->target) == NULL;
		free(key);
	}
	return found;
}

/*
 * The tag of change c (the k-th of its record): the one named
 * <record>/<k>-<event> on c, else another tag of the record on c, else a
 * finding.  Gaps are forgiven where earlier changes had no tag at all (a
 * deleted tag is reported once, as missing).
 */
static void
check_tag(struct verify *v, const struct commit *c, struct recstate *rs)
{
	const char *hex = c->id;
	struct tag *t, *u = NULL, *x;
	unsigned long want = rs->ntags + 1;
	char *name = xasprintf("%s/%lu-%s", c->record, want, c->event);

	t = tag_named(v, name);
	if (t != NULL && !t->claimed && t->type != DIPB_OBJECT_NONE &&
	    strcmp(t->target, c->id) == 0) {
		u = t;
	} else {
		for (x = dipb_hashmap_get(&v->tag_targets, hex); x != NULL;
	    x = x->next)
			if (!x->claimed && strcmp(x->record, c->record) == 0 &&
			    (u == NULL || (strcmp(u->event, c->event) != 0 &&
			    strcmp(x->event, c->event) == 0)))
				u = x;
	}
	if (u != NULL) {
		u->claimed = 1;
		if (strcmp(u->event, c->event) != 0)
			finding(v, c->id, u->name, NULL, "tag-event",
			    "the tag names another event than the commit's "
			    "(%s)", c->event);
		else if (u->n != want && !(u->n > want &&
		    (u->n <= want + rs->missing ||
		    numbers_elsewhere(v, c->record, want, u->n))))
			finding(v, c->id, u->name, NULL, "tag-number",
			    "this is change %lu of %s: tag numbers count a "
			    "record's changes from 1, without gaps", want,
			    c->record);
		if (!u->annotated)
			finding(v, c->id, u->name, NULL, "tag-lightweight",
			    "a lightweight tag, not an annotated one");
		rs->ntags = u->n;
		rs->missing = 0;
	} else if (t != NULL && !t->claimed && !tag_is_later(v, t)) {
		t->reported = 1;
		if (t->type == DIPB_OBJECT_NONE)
			finding(v, c->id, name, NULL, "tag-moved",
			    "the tag points to a missing object, not to this "
			    "commit");
		else
			finding(v, c->id, name, NULL, "tag-moved",
			    "the tag points to %.*s, not to this commit: moved",
			    SHORT_HEX, t->target);
		rs->ntags = want;
		rs->missing = 0;
	} else {
		finding(v, c->id, name, NULL, "tag-missing",
		    "no such tag: deleted, or the commit was not made by "
		    "dipb");
		rs->missing++;
	}
	free(name);
}

/*
 * The references whose commits are branches' (dipb-verify(1),
 * "Branches"): local branches, remote-tracking branches, a forge's pull
 * and merge request refs.  Not refs/tags/ (a tag is what is judged) nor
 * refs/dipb/ (a remote's tags, dropped changes: no branch).
 */
static const char *const branch_refs[] = {
	"refs/heads/*", "refs/remotes/*", "refs/pull/*",
	"refs/merge-requests/*"
};

/*
 * Marks the tags, not on the branch, that another branch has: their
 * commit is reached from a reference of branch_refs[].  One walk from
 * those references, the branch's history hidden, until each is found;
 * none when no tag needs it.
 */
static const struct dipb_error *
find_elsewhere(struct verify *v)
{
	const struct dipb_error *err = NULL;
	struct dipb_hashmap want = DIPB_HASHMAP_INIT;
	struct dipb_walk *w = NULL;
	char id[DIPB_OID_HEX + 1];
	struct tag *t, *x;
	size_t i, left = 0;
	int done = 0;

	for (i = 0; i < v->ntags; i++) {
		t = &v->tags[i];
		if (t->claimed || t->reported ||
		    t->type != DIPB_OBJECT_COMMIT ||
		    t->before ||
		    dipb_hashmap_get(&v->on_branch, t->target) != NULL ||
		    dipb_hashmap_get(&want, t->target) != NULL)
			continue;
		dipb_hashmap_put(&want, t->target, t);
		left++;
	}
	if (left == 0)
		goto done;
	if ((err = dipb_git_walk_new(&w, v->repo)) != NULL)
		goto done;
	for (i = 0; i < sizeof(branch_refs) / sizeof(branch_refs[0]); i++)
		if ((err = dipb_walk_push_refs(w, branch_refs[i])) != NULL)
			goto done;
	if (v->tip[0] != '\0' && (err = dipb_walk_hide(w, v->tip)) != NULL)
		goto done;
	while (left > 0) {
		if ((err = dipb_walk_next(id, &done, w)) != NULL || done)
			break;
		if (dipb_hashmap_get(&want, id) == NULL)
			continue;
		for (x = dipb_hashmap_get(&v->tag_targets, id); x != NULL;
		    x = x->next)
			x->elsewhere = 1;
		left--;
	}
done:
	dipb_walk_free(w);
	dipb_hashmap_release(&want, NULL);
	return err;
}

/*
 * The message of the finding of a tag on commit k of the history, which
 * it is not that commit's.
 */
static char *
extra_msg(struct verify *v, const struct tag *t, size_t k)
{
	struct commit *c, tmp;
	char *msg;

	if ((c = commit_peek(v, k, &tmp)) == NULL || !c->dipb ||
	    c->bad != NULL)
		msg = xasprintf("the tag is on %.*s, which is not a state "
		    "change", SHORT_HEX, t->target);
	else
		msg = xasprintf("the tag is on %.*s, the change '%s %s', which "
		    "has its own tag", SHORT_HEX, t->target, c->record,
		    c->event);
	if (c == &tmp)
		commit_release(&tmp);
	return msg;
}

/*
 * The tags that no change of the branch claimed: those of another branch
 * are not the branch's to judge; the others are findings.
 */
static const struct dipb_error *
check_other_tags(struct verify *v)
{
	const struct dipb_error *err;
	char shorthex[SHORT_HEX + 1];
	struct tag *t;
	uintptr_t at;
	size_t i, len;
	int merged;
	char *msg;

	v->cur = v->ncommits;
	for (i = 0; i < v->ntags; i++) {
		t = &v->tags[i];
		if (!t->claimed && !t->reported && !t->before && t->peeled)
			dipb_git_object_stat(&t->type, &len, v->repo,
			    t->target);
	}
	if ((err = find_elsewhere(v)) != NULL)
		return err;
	for (i = 0; i < v->ntags; i++) {
		t = &v->tags[i];
		if (t->claimed || t->reported || t->elsewhere)
			continue;
		/* On the branch before the checkpoint (ckpt_apply). */
		if (t->before) {
			finding(v, t->target, t->name, NULL, "tag-extra",
			    "%s", t->extra != NULL ? t->extra : "");
			continue;
		}
		if (t->type == DIPB_OBJECT_NONE) {
			finding(v, NULL, t->name, NULL, "tag-outside-branch",
			    "the tag points to a missing object");
			continue;
		}
		memcpy(shorthex, t->target, SHORT_HEX);
		shorthex[SHORT_HEX] = '\0';
		if (t->type != DIPB_OBJECT_COMMIT) {
			finding(v, t->target, t->name, NULL,
			    "tag-outside-branch", "the tag points to a %s, not "
			    "to a commit", dipb_object_type_name(t->type));
			continue;
		}
		at = (uintptr_t)dipb_hashmap_get(&v->on_branch, t->target);
		if (at == 0) {
			merged = v->tip[0] != '\0' && dipb_git_descendant_of(
			    v->repo, v->tip, t->target);
			finding(v, t->target, t->name, NULL,
			    "tag-outside-branch", "the tag points to %s, which "
			    "is not on branch %s%s", shorthex, v->branch,
			    merged ? "'s first-parent history (a merged "
			    "branch)" : ": history rewritten? (no branch, "
			    "remote-tracking or pull request ref reaches it: "
			    "a stray tag)");
			continue;
		}
		msg = extra_msg(v, t, at - 1);
		finding(v, t->target, t->name, NULL, "tag-extra", "%s", msg);
		free(msg);
	}
	return NULL;
}

/* ---- trees ------------------------------------------------------------- */

static int
is_blob_mode(unsigned mode)
{
	return mode == DIPB_MODE_BLOB || mode == DIPB_MODE_EXEC;
}

/*
 * The paths commit c changes against the commit replayed before it
 * (src/git/treediff.c), each with the record id its path names.
 */
static const struct dipb_error *
commit_changes(struct changes *out, struct verify *v, const struct commit *c)
{
	const struct dipb_error *err;
	struct dipb_tree_changes tc = { NULL, 0, 0 };
	struct change *ch;
	char id[DIPB_MAX_ID + 1];
	size_t i;

	if ((err = dipb_treediff_next(&tc, v->td, c->tree)) != NULL)
		goto done;
	for (i = 0; i < tc.n; i++) {
		xgrow((void **)&out->v, &out->cap, out->n + 1, sizeof(*out->v));
		ch = &out->v[out->n++];
		memset(ch, 0, sizeof(*ch));
		ch->path = tc.v[i].path;
		tc.v[i].path = NULL;
		ch->old_mode = tc.v[i].old_mode;
		ch->new_mode = tc.v[i].new_mode;
		memcpy(ch->old_id, tc.v[i].old_id, sizeof(ch->old_id));
		memcpy(ch->new_id, tc.v[i].new_id, sizeof(ch->new_id));
		/* A record's file, in either layout (a folder ends in '/'). */
		if (dipb_record_path_parse(ch->path, strlen(ch->path), id,
		    &ch->layout) == 0)
			ch->id = xstrdup(id);
	}
done:
	dipb_tree_changes_release(&tc);
	return err;
}

/* ---- records ------------------------------------------------------------ */

/*
 * The records the changes of a stretch of history leave are loaded ahead
 * of its replay, LOAD_CHUNK at a time: the blobs read here (objects are
 * read on one thread, repo.h), parsed on up to MAX_THREADS
 * workers of the pool (pool.h), each change on its own.
 */
#define LOAD_CHUNK	1024
#define MAX_THREADS	8

/* Reads the blob of a record change; 1 when it is to be parsed. */
static int
prepare_change(struct verify *v, struct change *ch)
{
	const struct dipb_error *err;

	if (ch->id == NULL || ch->new_mode == 0)
		return 0;
	if (!is_blob_mode(ch->new_mode)) {
		ch->why = xasprintf("%s is not a regular file", ch->path);
		return 0;
	}
	if ((err = dipb_git_object_read(&ch->blob, v->repo, ch->new_id,
	    DIPB_OBJECT_BLOB)) != NULL) {
		ch->why = xstrdup(err->msg);
		dipb_error_free(err);
		return 0;
	}
	if (dipb_object_size(ch->blob) > DIPB_MAX_FILE) {
		ch->why = xasprintf("%s is larger than %d bytes", ch->path,
		    DIPB_MAX_FILE);
		dipb_object_free(ch->blob);
		ch->blob = NULL;
		return 0;
	}
	return 1;
}

static void
parse_change(struct change *ch)
{
	struct dipb_diags diags = DIPB_DIAGS_INIT;
	struct dipb_record *r = xmalloc(sizeof(*r));
	size_t i;

	dipb_record_init(r);
	if (dipb_record_load(r, ch->path, dipb_object_data(ch->blob),
	    dipb_object_size(ch->blob), 0, &diags) != 0 || r->id == NULL) {
		for (i = 0; i < diags.n; i++)
			if (diags.v[i].sev == DIPB_SEV_ERROR)
				break;
		if (i < diags.n)
			ch->why = xasprintf("%s:%u:%u: %s", diags.v[i].path,
			    diags.v[i].line, diags.v[i].col, diags.v[i].msg);
		else
			ch->why = xasprintf("%s does not load", ch->path);
		dipb_record_free(r);
	} else
		ch->rec = r;
	dipb_diags_release(&diags);
}

/* Parses the changes [begin, end) of todo, on a worker of the pool. */
static const struct dipb_error *
load_work(void *arg, size_t worker, size_t begin, size_t end)
{
	struct change **todo = arg;

	(void)worker;
	for (; begin < end; begin++)
		parse_change(todo[begin]);
	return NULL;
}

static void
load_records(struct change **todo, size_t n)
{
	size_t i;

	dipb_error_free(dipb_pool_run(dipb_pool_workers(n, 16, MAX_THREADS),
	    n, 1, load_work, todo));
	for (i = 0; i < n; i++) {
		dipb_object_free(todo[i]->blob);
		todo[i]->blob = NULL;
	}
}

/* Loads dipb.yaml as a change leaves it into out; 0, or -1 with *why. */
static int
load_board(struct dipb_board *out, struct verify *v, const struct change *ch,
    char **why)
{
	struct dipb_diags diags = DIPB_DIAGS_INIT;
	struct dipb_object *obj = NULL;
	const struct dipb_error *err;
	size_t i;
	int rc = 0;

	*why = NULL;
	dipb_board_init(out);
	if (!is_blob_mode(ch->new_mode)) {
		*why = xasprintf("%s is %s", ch->path, ch->new_mode == 0 ?
		    "deleted" : "not a regular file");
		return -1;
	}
	if ((err = dipb_git_object_read(&obj, v->repo, ch->new_id,
	    DIPB_OBJECT_BLOB)) != NULL) {
		*why = xstrdup(err->msg);
		dipb_error_free(err);
		return -1;
	}
	if (dipb_board_load(out, DIPB_BOARD_FILE, dipb_object_data(obj),
	    dipb_object_size(obj), &diags) != 0) {
		for (i = 0; i < diags.n; i++)
			if (diags.v[i].sev == DIPB_SEV_ERROR)
				break;
		*why = i < diags.n ? xasprintf("%s:%u:%u: %s",
		    diags.v[i].path, diags.v[i].line, diags.v[i].col,
		    diags.v[i].msg) : xstrdup("dipb.yaml does not load");
		dipb_board_release(out);
		dipb_board_init(out);
		rc = -1;
	} else
		remember_keys(v, out);
	dipb_diags_release(&diags);
	dipb_object_free(obj);
	return rc;
}

static void check_levels(struct verify *, const struct commit *,
    const char *, const char *, const struct dipb_board *);

/* A change of dipb.yaml: the board as of the next commit. */
static void
take_board(struct verify *v, const struct change *ch)
{
	struct dipb_board b;
	char *why;

	if (ch->new_mode == 0) {
		dipb_board_release(&v->board);
		dipb_board_init(&v->board);
		v->have_board = 0;
		v->board_blob[0] = '\0';
		return;
	}
	if (load_board(&b, v, ch, &why) < 0) {
		free(why);	/* the last good board stays */
		return;
	}
	check_levels(v, commit_at(v, v->cur), ch->path, NULL, &b);
	dipb_board_release(&v->board);
	v->board = b;
	memcpy(v->board_blob, ch->new_id, sizeof(v->board_blob));
	v->have_board = 1;
}

/*
 * A record changed by something other than its own state change: its file
 * is taken as it is, and a stored status that its events do not give is a
 * finding (then believed, so one tampering is reported once).
 */
static void
take_record(struct verify *v, const struct commit *c, struct change *ch)
{
	struct recstate *rs = recstate(v, ch->id);
	struct dipb_record *r = ch->rec;

	ch->rec = NULL;
	dipb_record_free(rs->rec);
	rs->rec = r;
	rs->lazy = 0;
	if (r != NULL)
		memcpy(rs->blob, ch->new_id, sizeof(rs->blob));
	else
		rs->blob[0] = '\0';
	rs->exists = ch->new_mode != 0;
	if (r == NULL)
		return;
	if (rs->status != DIPB_STATUS_NONE && r->status != rs->status)
		finding(v, c->id, NULL, ch->path, "status",
		    "%s's stored status changed from %s to %s without an "
		    "event", ch->id, dipb_status_name(rs->status),
		    dipb_status_name(r->status));
	rs->status = r->status;
}

static int
streq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static int
same_email(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcasecmp(a, b) == 0;
}

static int
review_eq(const struct dipb_review *a, const struct dipb_review *b)
{
	return same_email(a->reviewer, b->reviewer) &&
	    streq(a->date, b->date) && a->verdict == b->verdict &&
	    streq(a->fingerprint, b->fingerprint) &&
	    streq(a->comment, b->comment);
}

static int
is_review_move(enum dipb_move m)
{
	return dipb_move_verdict(NULL, m);
}

static int
strlist_eq(const struct dipb_strlist *a, const struct dipb_strlist *b)
{
	size_t i;

	if (a->n != b->n)
		return 0;
	for (i = 0; i < a->n; i++)
		if (strcmp(a->v[i], b->v[i]) != 0)
			return 0;
	return 1;
}

/* The reviews of a review move (new) against those before it (old). */
static void
check_reviews(struct verify *v, const struct commit *c, const char *path,
    const char *tag, const struct dipb_record *old,
    const struct dipb_record *new, enum dipb_move move)
{
	char fp[DIPB_FINGERPRINT_LEN + 1];
	const struct dipb_review *last;
	size_t i, k, nold = old != NULL ? old->nreviews : 0;
	int same = 1, want;

	if (!is_review_move(move)) {
		if (new->nreviews != nold)
			same = 0;
		for (i = 0; same && i < nold; i++)
			same = review_eq(&old->reviews[i], &new->reviews[i]);
		if (!same)
			finding(v, c->id, tag, path, "review-changed",
			    "the reviews of %s changed in a %s change", new->id,
			    c->event);
		return;
	}
	if (new->nreviews == 0) {
		finding(v, c->id, tag, path, "review-changed",
		    "a %s change of %s adds no review", c->event, new->id);
		return;
	}
	last = &new->reviews[new->nreviews - 1];
	if (!same_email(last->reviewer, c->email)) {
		finding(v, c->id, tag, path, "review-changed",
		    "the review added is by %s, not by the commit's author %s",
		    last->reviewer != NULL ? last->reviewer : "nobody",
		    c->email);
		return;
	}
	/* The others: the earlier ones bar the reviewer's own, in order. */
	for (i = 0, k = 0; same && i < nold; i++) {
		if (same_email(old->reviews[i].reviewer, c->email))
			continue;
		if (k >= new->nreviews - 1 ||
		    !review_eq(&old->reviews[i], &new->reviews[k]))
			same = 0;
		k++;
	}
	if (!same || k != new->nreviews - 1)
		finding(v, c->id, tag, path, "review-changed",
		    "reviews of %s other than %s's changed", new->id, c->email);
	want = move == DIPB_MOVE_ENDORSE ?
	    last->verdict == DIPB_VERDICT_ENDORSE :
	    last->verdict != DIPB_VERDICT_ENDORSE;
	if (!want)
		finding(v, c->id, tag, path, "review-changed",
		    "%s's review says %s, but the event is %s", c->email,
		    dipb_verdict_name(last->verdict), c->event);
	dipb_record_fingerprint(new, fp);
	if (!streq(last->fingerprint, fp))
		finding(v, c->id, tag, path, "fingerprint",
		    "%s's review has fingerprint %s, but the content it "
		    "reviewed has %s", c->email,
		    last->fingerprint != NULL ? last->fingerprint : "none", fp);
}

/* ---- classification (dipb-board(5), "CLASSIFICATIONS") ---------------- */

/*
 * A change of dipb.yaml to nb, judged against the board before it: the
 * levels in use (those of the records as the replay knows them and of
 * their reviews) keep their place, as dipb edit --board makes sure.
 */
static void
check_levels(struct verify *v, const struct commit *c, const char *path,
    const char *tag, const struct dipb_board *nb)
{
	struct dipb_strlist used = DIPB_STRLIST_INIT;
	struct recstate *rs;
	const struct dipb_error *e;
	size_t i;

	if (!v->have_board)
		return;
	ckpt_all(v);
	for (i = 0; i < v->records.cap; i++) {
		if (v->records.v[i].key == NULL)
			continue;
		rs = v->records.v[i].val;
		if (rs != NULL && rs->exists && rs_rec(v, rs) != NULL)
			dipb_board_levels_used(&used, rs->rec);
	}
	if ((e = dipb_board_check_levels(&v->board.classifications,
	    &nb->classifications, &used)) != NULL) {
		finding(v, c->id, tag, path, "classification-order", "%s",
		    e->msg);
		dipb_error_free(e);
	}
	dipb_strlist_release(&used);
}

/*
 * The record's classification: lowered only by declassified, which
 * lowers it and changes nothing but it, 'updated' and the status it
 * keeps; a new review written at the record's level.
 */
static void
check_classification(struct verify *v, const struct commit *c,
    const char *path, const char *tag, const struct dipb_record *old,
    const struct dipb_record *new, enum dipb_move move)
{
	const struct dipb_review *last;
	int was, now;

	if (is_review_move(move) && new->nreviews > 0) {
		last = &new->reviews[new->nreviews - 1];
		/* Absent: a review by a dipb older than the key. */
		if (last->classification != NULL &&
		    !streq(last->classification, new->classification))
			finding(v, c->id, tag, path, "review-classification",
			    "%s's review of %s is marked %s, but the record "
			    "is %s", c->email, c->record, last->classification,
			    new->classification != NULL ?
			    new->classification : "unclassified");
	}
	if (old == NULL || !v->have_board)
		return;
	was = dipb_board_classification_rank(&v->board, old->classification);
	now = dipb_board_classification_rank(&v->board, new->classification);
	if (move != DIPB_MOVE_DECLASSIFY) {
		/* Raised: only by the drafter's own text (the fields table). */
		if (was >= 0 && now > was && move != DIPB_MOVE_EDIT &&
		    move != DIPB_MOVE_RECOMMEND)
			finding(v, c->id, tag, path, "field-changed",
			    "the classification of %s raised from %s to %s in "
			    "%s %s change (only drafted or edited may raise "
			    "it)", c->record, old->classification,
			    new->classification,
			    strchr("aeiou", c->event[0]) != NULL ? "an" : "a",
			    c->event);
		if (was >= 0 && now >= 0 && now < was)
			finding(v, c->id, tag, path, "classification-lowered",
			    "the classification of %s lowered from %s to %s "
			    "in a %s change (only declassified lowers it)",
			    c->record, old->classification,
			    new->classification, c->event);
		return;
	}
	if (was < 0 || now < 0 || now >= was)
		finding(v, c->id, tag, path, "classification-lowered",
		    "a declassified change of %s does not lower its "
		    "classification (%s to %s)", c->record,
		    old->classification != NULL ? old->classification : "none",
		    new->classification != NULL ? new->classification : "none");
}

/* ---- the fields an event may change (state.h) --------------------------- */

/* What check_fields needs to report a field. */
struct fieldck {
	struct verify		*v;
	const struct commit	*c;
	const char		*path;
	const char		*tag;
	const char		*id;
	unsigned		 allowed;	/* dipb_event_fields() */
};

static const char *
article(const char *word)
{
	return strchr("aeiou", word[0]) != NULL ? "an" : "a";
}

/* "drafted or edited": the events whose row of the table has bit. */
static char *
setters(unsigned bit)
{
	struct dipb_buf b = DIPB_BUF_INIT;
	char *out;
	int e, n = 0, last = -1;

	for (e = 0; e < DIPB_EVENT__COUNT; e++)
		if (dipb_event_fields((enum dipb_event_kind)e) & bit)
			n++;
	for (e = 0; e < DIPB_EVENT__COUNT; e++) {
		if (!(dipb_event_fields((enum dipb_event_kind)e) & bit))
			continue;
		last++;
		dipb_buf_printf(&b, "%s%s", last == 0 ? "" : last == n - 1 ?
		    " or " : ", ", dipb_event_name((enum dipb_event_kind)e));
	}
	if (n == 0)
		dipb_buf_puts(&b, "no event");
	out = xstrdup(dipb_buf_cstr(&b));
	dipb_buf_release(&b);
	return out;
}

/* A field other than a date differs: a finding unless the event may. */
static void
field_changed(struct fieldck *k, unsigned bit, const char *field)
{
	char *who;

	if (k->allowed & bit)
		return;
	who = setters(bit);
	finding(k->v, k->c->id, k->tag, k->path, "field-changed",
	    "%s of %s changed in %s %s change (only %s may change it)", field,
	    k->id, article(k->c->event), k->c->event, who);
	free(who);
}

/* A date a, now b: only by an event that may, and only to its own date. */
static void
date_changed(struct fieldck *k, unsigned bit, const char *field,
    const char *a, const char *b)
{
	char *who;

	if (streq(a, b))
		return;
	if (!(k->allowed & bit)) {
		who = setters(bit);
		finding(k->v, k->c->id, k->tag, k->path, "date",
		    "%s of %s changed from %s to %s in %s %s change (only %s "
		    "sets it)", field, k->id, a != NULL ? a : "none",
		    b != NULL ? b : "none", article(k->c->event), k->c->event,
		    who);
		free(who);
	} else if (!streq(b, k->c->date))
		finding(k->v, k->c->id, k->tag, k->path, "date",
		    "%s of %s is %s, not the date of its %s change (%s)", field,
		    k->id, b != NULL ? b : "none", k->c->event, k->c->date);
}

static void
strlist_changed(struct dipb_buf *names, const char *name,
    const struct dipb_strlist *a, const struct dipb_strlist *b)
{
	if (!strlist_eq(a, b))
		dipb_buf_printf(names, "%s%s", names->len > 0 ? ", " : "",
		    name);
}

static void
str_changed(struct dipb_buf *names, const char *name, const char *a,
    const char *b)
{
	if (!streq(a, b))
		dipb_buf_printf(names, "%s%s", names->len > 0 ? ", " : "",
		    name);
}

/*
 * The drafter's fields (classification aside): one content-changed
 * finding naming those that differ, unless the event may change them.
 */
static void
check_draft(struct fieldck *k, const struct dipb_record *a,
    const struct dipb_record *b)
{
	struct dipb_buf names = DIPB_BUF_INIT;
	char field[64], fa[DIPB_FINGERPRINT_LEN + 1],
	    fb[DIPB_FINGERPRINT_LEN + 1];
	size_t i;

	if (k->allowed & DIPB_FIELD_DRAFT)
		return;
	str_changed(&names, "title", a->title, b->title);
	str_changed(&names, "priority", a->priority == DIPB_PRIORITY_NONE ?
	    NULL : dipb_priority_name(a->priority),
	    b->priority == DIPB_PRIORITY_NONE ? NULL :
	    dipb_priority_name(b->priority));
	strlist_changed(&names, "topics", &a->topics, &b->topics);
	str_changed(&names, "summary", a->summary, b->summary);
	str_changed(&names, "rationale", a->rationale, b->rationale);
	if (a->nactions != b->nactions)
		dipb_buf_printf(&names, "%sactions (%zu, were %zu)",
		    names.len > 0 ? ", " : "", b->nactions, a->nactions);
	for (i = 0; i < a->nactions && i < b->nactions; i++) {
		snprintf(field, sizeof(field), "actions[%zu].text", i + 1);
		str_changed(&names, field, a->actions[i].text,
		    b->actions[i].text);
		snprintf(field, sizeof(field), "actions[%zu].owner", i + 1);
		str_changed(&names, field, a->actions[i].owner,
		    b->actions[i].owner);
		snprintf(field, sizeof(field), "actions[%zu].due", i + 1);
		str_changed(&names, field, a->actions[i].due,
		    b->actions[i].due);
	}
	strlist_changed(&names, "references", &a->references, &b->references);
	if (names.len > 0) {
		dipb_record_fingerprint(a, fa);
		dipb_record_fingerprint(b, fb);
		finding(k->v, k->c->id, k->tag, k->path, "content-changed",
		    "the drafter's text of %s changed in %s %s change: %s "
		    "(fingerprint %s -> %s)", k->id, article(k->c->event),
		    k->c->event, dipb_buf_cstr(&names), fa, fb);
	}
	dipb_buf_release(&names);
}

static void
check_submission(struct fieldck *k, const struct dipb_submission *a,
    const struct dipb_submission *b)
{
	static const struct dipb_submission none;
	const unsigned bit = DIPB_FIELD_SUBMISSION;

	if (a == NULL && b == NULL)
		return;
	if (a == NULL || b == NULL)
		field_changed(k, bit, "submission");
	a = a != NULL ? a : &none;
	b = b != NULL ? b : &none;
	date_changed(k, bit, "submission.date", a->date, b->date);
	if (!streq(a->to, b->to))
		field_changed(k, bit, "submission.to");
	if (!streq(a->reference, b->reference))
		field_changed(k, bit, "submission.reference");
}

static void
check_decision(struct fieldck *k, const struct dipb_decision *a,
    const struct dipb_decision *b)
{
	const unsigned bit = DIPB_FIELD_DECISION;

	if (a == NULL && b == NULL)
		return;
	if (a == NULL || b == NULL) {
		field_changed(k, bit, "decision");
		date_changed(k, bit, "decision.date", a != NULL ? a->date :
		    NULL, b != NULL ? b->date : NULL);
		return;
	}
	date_changed(k, bit, "decision.date", a->date, b->date);
	if (a->outcome != b->outcome)
		field_changed(k, bit, "decision.outcome");
	if (!streq(a->note, b->note))
		field_changed(k, bit, "decision.note");
}

static void
check_withdrawal(struct fieldck *k, const struct dipb_withdrawal *a,
    const struct dipb_withdrawal *b)
{
	static const struct dipb_withdrawal none;
	const unsigned bit = DIPB_FIELD_WITHDRAWAL;

	if (a == NULL && b == NULL)
		return;
	if (a == NULL || b == NULL)
		field_changed(k, bit, "withdrawal");
	a = a != NULL ? a : &none;
	b = b != NULL ? b : &none;
	date_changed(k, bit, "withdrawal.date", a->date, b->date);
	if (!same_email(a->by, b->by) && !(a->by == NULL && b->by == NULL))
		field_changed(k, bit, "withdrawal.by");
	if (!streq(a->reason, b->reason))
		field_changed(k, bit, "withdrawal.reason");
}

/*
 * The review thread (dipb-record(5), replies): earlier replies never
 * change; only a replied change adds one, the acting member's, of its own
 * date, to a reviewer of the record.
 */
static void
check_replies(struct fieldck *k, const struct dipb_record *a,
    const struct dipb_record *b)
{
	const struct dipb_reply *x, *y;
	char field[64];
	size_t i;

	for (i = 0; i < a->nreplies; i++) {
		snprintf(field, sizeof(field), "replies[%zu]", i + 1);
		if (i >= b->nreplies) {
			field_changed(k, 0, field);
			return;
		}
		x = &a->replies[i];
		y = &b->replies[i];
		if (!same_email(x->by, y->by) || !streq(x->date, y->date) ||
		    !same_email(x->to, y->to) || !streq(x->text, y->text))
			field_changed(k, 0, field);
	}
	if (b->nreplies <= a->nreplies)
		return;
	field_changed(k, DIPB_FIELD_REPLY, "replies");
	if (!(k->allowed & DIPB_FIELD_REPLY))
		return;
	if (b->nreplies > a->nreplies + 1)
		finding(k->v, k->c->id, k->tag, k->path, "field-changed",
		    "%zu replies added to %s in one replied change",
		    b->nreplies - a->nreplies, k->id);
	y = &b->replies[b->nreplies - 1];
	snprintf(field, sizeof(field), "replies[%zu].date", b->nreplies);
	if (!streq(y->date, k->c->date))
		finding(k->v, k->c->id, k->tag, k->path, "date",
		    "%s of %s is %s, not the date of its %s change (%s)",
		    field, k->id, y->date != NULL ? y->date : "none",
		    k->c->event, k->c->date);
	if (!same_email(y->by, k->c->email))
		finding(k->v, k->c->id, k->tag, k->path, "author",
		    "replies[%zu] of %s is by %s, but %s made the change",
		    b->nreplies, k->id, y->by != NULL ? y->by : "none",
		    k->c->email);
	for (i = 0; i < b->nreviews; i++)
		if (same_email(b->reviews[i].reviewer, y->to))
			return;
	finding(k->v, k->c->id, k->tag, k->path, "field-changed",
	    "replies[%zu] of %s answers %s, who has no review of it",
	    b->nreplies, k->id, y->to != NULL ? y->to : "none");
}

static int
reschedule_eq(const struct dipb_reschedule *x, const struct dipb_reschedule *y)
{
	return streq(x->from, y->from) && streq(x->to, y->to) &&
	    streq(x->date, y->date) && same_email(x->by, y->by) &&
	    streq(x->reason, y->reason);
}

/*
 * The actions' rescheduled lists (dipb-record(5)): earlier entries never
 * change; only an action-rescheduled change adds one, the acting
 * member's, of its own date, to one open action of a decision in force,
 * from the due date in force to a date not before the change.
 */
static void
check_rescheduled(struct fieldck *k, const struct dipb_record *a,
    const struct dipb_record *b)
{
	const struct dipb_reschedule *y;
	const struct dipb_action *was, *now, *moved = NULL;
	char field[64];
	size_t i, j, added = 0, which = 0, nwas;

	for (i = 0; i < b->nactions; i++) {
		now = &b->actions[i];
		was = i < a->nactions ? &a->actions[i] : NULL;
		nwas = was != NULL ? was->nrescheduled : 0;
		for (j = 0; j < nwas; j++) {
			snprintf(field, sizeof(field),
			    "actions[%zu].rescheduled[%zu]", i + 1, j + 1);
			if (j >= now->nrescheduled ||
			    !reschedule_eq(&was->rescheduled[j],
			    &now->rescheduled[j])) {
				field_changed(k, 0, field);
				break;
			}
		}
		if (now->nrescheduled <= nwas)
			continue;
		snprintf(field, sizeof(field), "actions[%zu].rescheduled",
		    i + 1);
		field_changed(k, DIPB_FIELD_ACTION_DUE, field);
		added += now->nrescheduled - nwas;
		if (moved == NULL) {
			moved = now;
			which = i;
		}
	}
	if (!(k->allowed & DIPB_FIELD_ACTION_DUE))
		return;
	if (added != 1 || moved == NULL) {
		finding(k->v, k->c->id, k->tag, k->path, "rescheduled",
		    "an action-rescheduled change of %s adds %zu entries to "
		    "the actions' rescheduled lists, not one", k->id, added);
		return;
	}
	was = which < a->nactions ? &a->actions[which] : NULL;
	y = &moved->rescheduled[moved->nrescheduled - 1];
	if (!streq(y->date, k->c->date))
		finding(k->v, k->c->id, k->tag, k->path, "date",
		    "actions[%zu].rescheduled[%zu].date of %s is %s, not the "
		    "date of its %s change (%s)", which + 1,
		    moved->nrescheduled, k->id, y->date != NULL ? y->date :
		    "none", k->c->event, k->c->date);
	if (!same_email(y->by, k->c->email))
		finding(k->v, k->c->id, k->tag, k->path, "author",
		    "actions[%zu].rescheduled[%zu] of %s is by %s, but %s made "
		    "the change", which + 1, moved->nrescheduled, k->id,
		    y->by != NULL ? y->by : "none", k->c->email);
	if (was == NULL || !dipb_state_action_open(a, was))
		finding(k->v, k->c->id, k->tag, k->path, "rescheduled",
		    "action %zu of %s is not open, or its decision not in "
		    "force, yet its due date moved", which + 1, k->id);
	else if (!streq(y->from, dipb_action_due(was)))
		finding(k->v, k->c->id, k->tag, k->path, "rescheduled",
		    "action %zu of %s moved from %s, but it was due on %s",
		    which + 1, k->id, y->from != NULL ? y->from : "none",
		    dipb_action_due(was) != NULL ? dipb_action_due(was) :
		    "no date");
	if (y->to != NULL && (streq(y->to, y->from) || (y->date != NULL &&
	    strcmp(y->to, y->date) < 0)))
		finding(k->v, k->c->id, k->tag, k->path, "rescheduled",
		    "action %zu of %s moved to %s, %s", which + 1, k->id,
		    y->to, streq(y->to, y->from) ? "the date it had" :
		    "before the day it was moved");
}

/*
 * What the state change c of a record changed, old to new (old NULL: the
 * record is drafted, from nothing), against what its event may change
 * (state.c's table, dipb-workflow(7) "Fields").  The author, the status
 * and the reviews have their own rules; classification is not judged
 * here.
 */
static void
check_fields(struct verify *v, const struct commit *c, const char *path,
    const char *tag, const struct dipb_record *old,
    const struct dipb_record *new, enum dipb_move move)
{
	struct dipb_record none;
	struct fieldck k;
	const struct dipb_review *rv;
	enum dipb_action_state was;
	char field[64];
	size_t i;

	if (old == NULL && move != DIPB_MOVE_RECOMMEND)
		return;		/* after a file that did not load: reported */
	dipb_record_init(&none);
	if (move == DIPB_MOVE_RECOMMEND)
		old = &none;
	k.v = v;
	k.c = c;
	k.path = path;
	k.tag = tag;
	k.id = c->record;
	k.allowed = dipb_event_fields(c->kind);

	check_draft(&k, old, new);
	if (!streq(old->working_group, new->working_group))
		field_changed(&k, DIPB_FIELD_WG, "working_group");
	date_changed(&k, DIPB_FIELD_CREATED, "created", old->created,
	    new->created);
	date_changed(&k, DIPB_FIELD_UPDATED, "updated", old->updated,
	    new->updated);
	/* An action's state: open until action-updated says otherwise. */
	for (i = 0; i < new->nactions; i++) {
		was = i < old->nactions ? old->actions[i].state :
		    DIPB_ACTION_OPEN;
		if (new->actions[i].state == was)
			continue;
		snprintf(field, sizeof(field), "actions[%zu].state", i + 1);
		field_changed(&k, DIPB_FIELD_ACTION_STATE, field);
	}
	/* The acting reviewer's review: check_reviews; here its date. */
	if ((k.allowed & DIPB_FIELD_REVIEW) && is_review_move(move) &&
	    new->nreviews > 0) {
		rv = &new->reviews[new->nreviews - 1];
		if (!streq(rv->date, c->date))
			finding(v, c->id, tag, path, "date",
			    "reviews[%zu].date of %s is %s, not the date of "
			    "its %s change (%s)", new->nreviews, c->record,
			    rv->date != NULL ? rv->date : "none", c->event,
			    c->date);
	}
	check_replies(&k, old, new);
	check_rescheduled(&k, old, new);
	check_submission(&k, old->submission, new->submission);
	check_decision(&k, old->decision, new->decision);
	check_withdrawal(&k, old->withdrawal, new->withdrawal);
}

/* The state change c of its own record, which ch changed. */
static void
check_record_change(struct verify *v, const struct commit *c,
    struct change *ch, const char *tag)
{
	struct recstate *rs = recstate(v, c->record);
	const struct dipb_record *old = rs->exists ? rs_rec(v, rs) : NULL;
	const struct dipb_transition *t;
	const struct dipb_error *e;
	struct dipb_record *new;
	enum dipb_status from = rs->exists ? rs->status : DIPB_STATUS_NONE,
	    to;
	enum dipb_move move;
	char *want;
	unsigned n;
	int flagged = 0, reached;

	if (ch->new_mode == 0) {
		finding(v, c->id, tag, ch->path, "record-deleted",
		    "%s %s deletes %s", c->record, c->event, ch->path);
		dipb_record_free(rs->rec);
		rs->rec = NULL;
		rs->blob[0] = '\0';
		rs->lazy = 0;
		rs->exists = 0;
		return;
	}
	if ((new = ch->rec) == NULL) {
		finding(v, c->id, tag, ch->path, "record-invalid", "%s",
		    ch->why != NULL ? ch->why : "does not load");
		dipb_record_free(rs->rec);
		rs->rec = NULL;
		rs->blob[0] = '\0';
		rs->lazy = 0;
		rs->exists = 1;
		rs->unknown = 1;
		return;
	}
	if (strcmp(new->id, c->record) != 0)
		finding(v, c->id, tag, ch->path, "record-id",
		    "%s holds id %s", ch->path, new->id);

	move = dipb_event_move(c->kind, new);
	/*
	 * After a file that did not load (a finding already), the status it
	 * moves from is not known: the move is not judged, only what follows.
	 */
	if (rs->unknown)
		flagged = 1;
	else if ((e = old != NULL ? dipb_state_check_record(NULL, NULL, move,
	    old) : dipb_state_check(c->record, move, from)) != NULL) {
		finding(v, c->id, tag, ch->path, "transition", "%s: %s",
		    c->event, e->msg);
		dipb_error_free(e);
		flagged = 1;
	}
	/* The row of the table that makes this event (state.c). */
	if ((t = dipb_state_lookup_event(move, from, c->kind)) == NULL)
		t = dipb_state_lookup(move, from);
	to = t != NULL ? t->to : new->status;
	if (new->status != to && !flagged) {
		finding(v, c->id, tag, ch->path, "status",
		    "%s is stored as %s, but the event %s gives %s", c->record,
		    dipb_status_name(new->status), c->event,
		    dipb_status_name(to));
		flagged = 1;
	}
	want = xasprintf("%s -> %s", from == DIPB_STATUS_NONE ? "none" :
	    dipb_status_name(from), dipb_status_name(new->status));
	if (!flagged && (c->status == NULL || strcmp(c->status, want) != 0))
		finding(v, c->id, tag, ch->path, "trailers",
		    "Dipb-Status says '%s', the history gives '%s'",
		    c->status != NULL ? c->status : "", want);
	free(want);

	/* Who: the role as of the parent commit. */
	if (is_review_move(move) && same_email(new->author, c->email))
		finding(v, c->id, tag, ch->path, "self-review",
		    "%s reviews %s, of which they are the author", c->email,
		    c->record);
	else if (!v->have_board)
		finding(v, c->id, tag, ch->path, "role",
		    "no dipb.yaml before this change: nobody holds a role");
	else if ((e = dipb_state_permit(&v->board, c->email, move,
	    move == DIPB_MOVE_RECOMMEND ? NULL : old != NULL ? old : new,
	    move == DIPB_MOVE_RECOMMEND ? new->working_group : NULL)) != NULL) {
		finding(v, c->id, tag, ch->path, "role", "%s", e->msg);
		dipb_error_free(e);
	}

	/* What: only what the move may change. */
	if (move == DIPB_MOVE_RECOMMEND) {
		if (!same_email(new->author, c->email))
			finding(v, c->id, tag, ch->path, "author",
			    "%s drafted by %s, but its author is %s",
			    c->record, c->email,
			    new->author != NULL ? new->author : "none");
	} else if (old != NULL && !same_email(old->author, new->author))
		finding(v, c->id, tag, ch->path, "author",
		    "the author of %s changed from %s to %s", c->record,
		    old->author != NULL ? old->author : "none",
		    new->author != NULL ? new->author : "none");
	check_fields(v, c, ch->path, tag, old, new, move);
	check_reviews(v, c, ch->path, tag, old, new, move);
	check_classification(v, c, ch->path, tag, old, new, move);
	if (move == DIPB_MOVE_ENDORSE && v->have_board && new->nreviews > 0 &&
	    new->reviews[new->nreviews - 1].verdict == DIPB_VERDICT_ENDORSE) {
		reached = dipb_state_quorum(&n, &v->board, new);
		if (dipb_event_reaches_quorum(c->kind) && !reached)
			finding(v, c->id, tag, ch->path, "quorum",
			    "%s endorsed with %u of %u endorsements", c->record,
			    n, v->board.quorum);
		else if (!dipb_event_reaches_quorum(c->kind) && reached)
			finding(v, c->id, tag, ch->path, "quorum",
			    "%s has %u of %u endorsements but is not endorsed",
			    c->record, n, v->board.quorum);
	}
	/* Believe the file from here on: one tampering, one finding. */
	ch->rec = NULL;
	dipb_record_free(rs->rec);
	rs->rec = new;
	memcpy(rs->blob, ch->new_id, sizeof(rs->blob));
	rs->lazy = 0;
	rs->exists = 1;
	rs->unknown = 0;
	rs->status = new->status;
}

/* ---- signatures ------------------------------------------------------- */

/*
 * Who made each state change, proved (dipb-verify(1), "Signatures"): its
 * commit and its tag signed, as git signs them with gpg.format=ssh, by a
 * key the board lists for the acting member as of the parent commit, and
 * its author, committer and tagger the same member.  The signatures are
 * read a stretch ahead of the replay and verified on checker threads
 * beside it (sshsig.h); the replay then only compares keys.
 */

/*
 * A signature to check: the n bytes at sig and the payload it signs, the
 * commit's distance from the tip depth, in one allocation.
 */
static struct sigcheck *
sig_new(const char *sig, size_t n, const char *payload, size_t paylen,
    size_t depth)
{
	struct sigcheck *s = xcalloc(1, sizeof(*s));
	char *p;

	s->payload = p = xmalloc(paylen + n + 2);
	memcpy(p, payload, paylen);
	p[paylen] = '\0';
	memcpy(p + paylen + 1, sig, n);
	p[paylen + 1 + n] = '\0';
	s->text = p + paylen + 1;
	s->paylen = paylen;
	s->depth = depth;
	return s;
}

/* Commit k's signature into c if the walk queued it: 1, else 0. */
static int
take_signed(struct verify *v, struct commit *c, size_t k)
{
	size_t depth = v->ncommits - 1 - k;

	if (depth >= v->nearly || v->early[depth] == NULL)
		return 0;
	c->csig = v->early[depth];
	v->early[depth] = NULL;
	c->csig_queued = 1;
	return 1;
}

/* The keys of board b, as members' keys that were once listed. */
static void
remember_keys(struct verify *v, const struct dipb_board *b)
{
	const struct dipb_member *m;
	size_t i, k;
	char *key, *p;

	for (i = 0; i < b->nmembers; i++) {
		m = &b->members[i];
		for (k = 0; k < m->keys.n; k++) {
			key = xasprintf("%s\n%s", m->email, m->keys.v[k]);
			for (p = key; *p != '\n'; p++)
				*p = (char)tolower((unsigned char)*p);
			dipb_hashmap_put(&v->keys_seen, key, (void *)1);
			free(key);
		}
	}
}

static int
starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/*
 * The keys of the last good signatures a thread checked, as blobs and as
 * text: a board's signatures are by few keys, each made text once a run
 * rather than once a signature (dipb_sshkey_canonical).
 */
#define KEYMEMO	8

struct keymemo {
	struct {
		unsigned char	*blob;
		size_t		 len;
		char		*text;
	}		 v[KEYMEMO];
	size_t		 next;		/* the one to replace */
};

static void
keymemo_release(struct keymemo *m)
{
	size_t i;

	for (i = 0; i < KEYMEMO; i++) {
		free(m->v[i].blob);
		free(m->v[i].text);
	}
	memset(m, 0, sizeof(*m));
}

/* The key blob [blob, blob + n) as text, into *out (caller frees). */
static const struct dipb_error *
key_text(char **out, struct keymemo *m, const unsigned char *blob,
    size_t n)
{
	struct dipb_sshkey key = DIPB_SSHKEY_INIT;
	const struct dipb_error *err;
	size_t i;

	for (i = 0; i < KEYMEMO; i++)
		if (m->v[i].text != NULL && m->v[i].len == n &&
		    memcmp(m->v[i].blob, blob, n) == 0) {
			*out = xstrdup(m->v[i].text);
			return NULL;
		}
	if ((err = dipb_sshkey_parse_blob(&key, blob, n)) != NULL) {
		dipb_sshkey_release(&key);
		return err;
	}
	i = m->next++ % KEYMEMO;
	free(m->v[i].blob);
	free(m->v[i].text);
	m->v[i].blob = xmalloc(n);
	memcpy(m->v[i].blob, blob, n);
	m->v[i].len = n;
	m->v[i].text = dipb_sshkey_canonical(&key);
	dipb_sshkey_release(&key);
	*out = xstrdup(m->v[i].text);
	return NULL;
}

/* Verifies one signature, on a checker or the replay's thread (m its). */
static void
check_sig(struct sigcheck *s, struct keymemo *m)
{
	struct dipb_sshsig sig;
	const struct dipb_error *err;

	if (starts(s->text, "-----BEGIN PGP")) {
		s->why = xstrdup("an OpenPGP signature, not an SSH one: the "
		    "members' keys are SSH keys");
		goto bad;
	}
	if (starts(s->text, "-----BEGIN SIGNED MESSAGE")) {
		s->why = xstrdup("an X.509 signature, not an SSH one: the "
		    "members' keys are SSH keys");
		goto bad;
	}
	if ((err = dipb_sshsig_parse(&sig, s->text, strlen(s->text))) ==
	    NULL && (err = dipb_sshsig_verify(&sig, DIPB_SSHSIG_NAMESPACE,
	    s->payload, s->paylen)) == NULL &&
	    (err = key_text(&s->key, m, sig.key, sig.keylen)) == NULL)
		s->state = SIG_GOOD;
	else {
		s->why = xstrdup(err->msg);
		dipb_error_free(err);
	}
	dipb_sshsig_release(&sig);
	if (s->state == SIG_GOOD)
		goto done;
bad:
	s->state = SIG_BAD;
done:
	free(s->payload);	/* and the text after it */
	s->text = s->payload = NULL;
}

/*
 * The checkers: threads that verify the signatures queued while the walk
 * and the replay go on (the replay is mostly one thread, and a signature
 * costs about as much as replaying its change): the commits' nearest the
 * tip as the walk reads them (walk_sig), the others, like the tags', as
 * read_signatures reads them a stretch ahead of the replay.  A checker
 * takes the queued signature the replay will need first, the deepest in
 * the history (a heap on depth): taken in the order queued, the walk's
 * (newest first) were checked in the opposite order to the replay's,
 * which then found its own not yet reached and checked them itself while
 * the checkers checked those it needs last.
 * The replay needs a change's own signatures only (sig_wait): it checks
 * one itself rather than wait for it to be reached, and while a checker
 * has it, it checks the next queued one instead of sleeping, so that
 * once the replay has caught up with the checkers the signatures are
 * checked on every processor, the replay's too.  Stages of a sigcheck,
 * under lock: 0 nothing to check, then queued, being checked, checked.
 */
enum { SIG_QUEUED = 1, SIG_CHECKING, SIG_CHECKED };

struct checkers {
	pthread_mutex_t		 lock;
	pthread_cond_t		 work;		/* queued, or stop */
	pthread_cond_t		 checked;
	struct sigcheck		**q;		/* a heap, the deepest first
						 * (what the replay took itself
						 * stays until it comes up) */
	size_t			 n;
	size_t			 cap;
	int			 stop;
	pthread_t		*threads;
	size_t			 nthreads;
	struct keymemo		 replay_keys;	/* the replay's thread's */
};

/* Checks s, claimed by the caller (lock held, released meanwhile). */
static void
check_claimed(struct checkers *k, struct sigcheck *s, struct keymemo *m)
{
	s->stage = SIG_CHECKING;
	pthread_mutex_unlock(&k->lock);
	check_sig(s, m);
	pthread_mutex_lock(&k->lock);
	s->stage = SIG_CHECKED;
	pthread_cond_broadcast(&k->checked);
}

static void
heap_push(struct checkers *k, struct sigcheck *s)
{
	size_t i = k->n++, up;

	for (; i > 0; i = up) {
		up = (i - 1) / 2;
		if (k->q[up]->depth >= s->depth)
			break;
		k->q[i] = k->q[up];
	}
	k->q[i] = s;
}

static struct sigcheck *
heap_pop(struct checkers *k)
{
	struct sigcheck *top = k->q[0], *last = k->q[--k->n];
	size_t i = 0, c;

	for (; (c = 2 * i + 1) < k->n; i = c) {
		if (c + 1 < k->n && k->q[c + 1]->depth > k->q[c]->depth)
			c++;
		if (k->q[c]->depth <= last->depth)
			break;
		k->q[i] = k->q[c];
	}
	if (k->n > 0)
		k->q[i] = last;
	return top;
}

/* Checks the deepest queued signature (lock held); 0 when none is. */
static int
check_next(struct checkers *k, struct keymemo *m)
{
	struct sigcheck *s;

	while (k->n > 0)
		if ((s = heap_pop(k))->stage == SIG_QUEUED) {
			check_claimed(k, s, m);
			return 1;
		}
	return 0;
}

static void *
checker(void *arg)
{
	struct checkers *k = arg;
	struct keymemo m;

	memset(&m, 0, sizeof(m));
	pthread_mutex_lock(&k->lock);
	while (!k->stop)
		if (!check_next(k, &m))
			pthread_cond_wait(&k->work, &k->lock);
	pthread_mutex_unlock(&k->lock);
	keymemo_release(&m);
	return NULL;
}

/* Queues the n signatures of todo, starting the checkers first. */
static void
checkers_queue(struct verify *v, struct sigcheck **todo, size_t n)
{
	struct checkers *k = v->checkers;
	size_t i, want;

	if (n == 0)
		return;
	if (k == NULL) {
		k = v->checkers = xcalloc(1, sizeof(*k));
		pthread_mutex_init(&k->lock, NULL);
		pthread_cond_init(&k->work, NULL);
		pthread_cond_init(&k->checked, NULL);
		/* One a processor but the replay's (which helps). */
		want = dipb_pool_workers(SIZE_MAX, 0, MAX_THREADS);
		want = want > 1 ? want - 1 : 1;
		k->threads = xcalloc(want, sizeof(*k->threads));
		for (; k->nthreads < want; k->nthreads++)
			if (pthread_create(&k->threads[k->nthreads], NULL,
			    checker, k) != 0)
				break;
	}
	pthread_mutex_lock(&k->lock);
	xgrow((void **)&k->q, &k->cap, k->n + n, sizeof(*k->q));
	for (i = 0; i < n; i++) {
		todo[i]->stage = SIG_QUEUED;
		heap_push(k, todo[i]);
	}
	pthread_cond_broadcast(&k->work);
	pthread_mutex_unlock(&k->lock);
}

/* s checked, by the caller if no checker has taken it yet. */
static void
sig_wait(struct verify *v, struct sigcheck *s)
{
	struct checkers *k = v->checkers;

	if (k == NULL || s == NULL)
		return;
	pthread_mutex_lock(&k->lock);
	if (s->stage == SIG_QUEUED)
		check_claimed(k, s, &k->replay_keys);
	while (s->stage == SIG_CHECKING)
		if (!check_next(k, &k->replay_keys))
			pthread_cond_wait(&k->checked, &k->lock);
	pthread_mutex_unlock(&k->lock);
}

/*
 * The checkers stopped and joined (what they have not checked is
 * released with its commit).
 */
static void
checkers_stop(struct verify *v)
{
	struct checkers *k = v->checkers;
	size_t i;

	if (k == NULL)
		return;
	pthread_mutex_lock(&k->lock);
	k->stop = 1;
	pthread_cond_broadcast(&k->work);
	pthread_mutex_unlock(&k->lock);
	for (i = 0; i < k->nthreads; i++)
		pthread_join(k->threads[i], NULL);
	pthread_mutex_destroy(&k->lock);
	pthread_cond_destroy(&k->work);
	pthread_cond_destroy(&k->checked);
	keymemo_release(&k->replay_keys);
	free(k->threads);
	free(k->q);
	free(k);
	v->checkers = NULL;
}

/* The tag of state change c, as check_tag will find it; NULL: none. */
static const struct tag *
change_tag(struct verify *v, const struct commit *c)
{
	const struct tag *t, *best = NULL;

	for (t = dipb_hashmap_get(&v->tag_targets, c->id); t != NULL;
	    t = t->next)
		if (strcmp(t->record, c->record) == 0 && (best == NULL ||
		    (strcmp(best->event, c->event) != 0 &&
		    strcmp(t->event, c->event) == 0)))
			best = t;
	return best;
}

/*
 * The signatures of the state changes [from, to) of the history, and of
 * as many after them, so that the checkers have work while the next
 * stretch's records load: the tags' read (one thread reads objects,
 * repo.h), then every signature queued for the checkers.
 */
static void
read_signatures(struct verify *v, size_t from, size_t to)
{
	struct sigcheck **todo = NULL;
	const struct dipb_error *err;
	const struct tag *t;
	struct dipb_tag tg;
	struct commit *c;
	size_t k, n = 0, cap = 0;

	to = to - from < v->ncommits - to ? to + (to - from) : v->ncommits;
	if (to > v->win_from + v->nwin)
		to = v->win_from + v->nwin;	/* as far as the window goes */
	if (from < v->sigs_read)
		from = v->sigs_read;
	if (to > v->sigs_read)
		v->sigs_read = to;
	for (k = from < v->since ? v->since : from; k < to; k++) {
		c = commit_at(v, k);
		if (!c->dipb || c->bad != NULL)
			continue;
		if (c->csig != NULL && !c->csig_queued) {
			xgrow((void **)&todo, &cap, n + 1, sizeof(*todo));
			todo[n++] = c->csig;
		}
		if ((t = change_tag(v, c)) == NULL || !t->annotated)
			continue;
		if ((err = dipb_git_tag_read(&tg, v->repo, t->obj)) != NULL) {
			dipb_error_free(err);	/* check_tag's to report */
			continue;
		}
		c->tagname = t->name;	/* v->tags outlive the replay */
		c->tagger = intern(v, tg.tagger_email != NULL ?
		    clean(tg.tagger_email) : xstrdup(""));
		if (tg.signature != NULL) {
			c->tsig = sig_new(tg.signature, tg.signature_len,
			    tg.payload, tg.payload_len, v->ncommits - 1 - k);
			xgrow((void **)&todo, &cap, n + 1, sizeof(*todo));
			todo[n++] = c->tsig;
		}
		dipb_tag_release(&tg);
	}
	checkers_queue(v, todo, n);
	free(todo);
}

/* The member of b whose key key is; NULL when none. */
static const struct dipb_member *
key_owner(const struct dipb_board *b, const char *key)
{
	size_t i, k;

	for (i = 0; i < b->nmembers; i++)
		for (k = 0; k < b->members[i].keys.n; k++)
			if (strcmp(b->members[i].keys.v[k], key) == 0)
				return &b->members[i];
	return NULL;
}

static int
has_key(const struct dipb_member *m, const char *key)
{
	size_t k;

	for (k = 0; m != NULL && k < m->keys.n; k++)
		if (strcmp(m->keys.v[k], key) == 0)
			return 1;
	return 0;
}

/*
 * The fingerprint of good signature s's key, for a finding: made only
 * then, most signatures needing none.
 */
static const char *
sig_fp(struct sigcheck *s)
{
	struct dipb_sshkey key = DIPB_SSHKEY_INIT;
	const struct dipb_error *err;

	if (s->fp != NULL)
		return s->fp;
	if ((err = dipb_sshkey_parse(&key, s->key)) == NULL)
		s->fp = dipb_sshkey_fingerprint(&key);
	else {
		dipb_error_free(err);	/* made by dipb_sshkey_canonical */
		s->fp = xstrdup(s->key);
	}
	dipb_sshkey_release(&key);
	return s->fp;
}

/*
 * One signature s of change c (its commit, or its tag when is_tag),
 * against board b as of the parent commit and its acting member m: 1
 * when it is a valid signature by one of m's keys.
 */
static int
check_one(struct verify *v, const struct commit *c, int is_tag,
    struct sigcheck *s, const struct dipb_board *b,
    const struct dipb_member *m, const char *need)
{
	const char *tag = c->tagname;
	const char *what = is_tag ? "tag" : "commit";
	const struct dipb_member *o;
	char *seen, *p;
	int removed;

	if (s == NULL || s->state == SIG_NONE) {
		if (need != NULL)
			finding(v, c->id, tag, NULL, "unsigned", "the %s of "
			    "'%s %s' is not signed, but %s", what, c->record,
			    c->event, need);
		return 0;
	}
	if (s->state == SIG_BAD) {
		finding(v, c->id, tag, NULL, "bad-signature", "the %s's "
		    "signature: %s", what, s->why);
		return 0;
	}
	if (has_key(m, s->key)) {
		if (strcmp(c->record, DIPB_BOARD_RECORD) != 0 ||
		    dipb_member_has_role(m, DIPB_ROLE_CHAIR, NULL))
			return 1;
		finding(v, c->id, tag, NULL, "wrong-key", "the %s is signed "
		    "by %s (%s), who is not a chair as of the parent commit: "
		    "board changes are signed by a chair", what, c->email,
		    sig_fp(s));
		return 0;
	}
	seen = xasprintf("%s\n%s", c->email, s->key);
	for (p = seen; *p != '\n'; p++)
		*p = (char)tolower((unsigned char)*p);
	removed = dipb_hashmap_get(&v->keys_seen, seen) != NULL;
	free(seen);
	if (removed) {
		finding(v, c->id, tag, NULL, "key-removed", "the %s is signed "
		    "with %s, a key %s no longer has as of the parent commit "
		    "(removed or rotated out)", what, sig_fp(s), c->email);
		return 0;
	}
	/*
	 * A key no member has, where no signature was due, proves no more
	 * than no signature: a user's own key (commit.gpgSign) on a board
	 * that does not list it.  Another member's key is always a finding.
	 */
	if ((o = key_owner(b, s->key)) == NULL && need == NULL)
		return 0;
	finding(v, c->id, tag, NULL, "wrong-key", "the %s is signed with %s, "
	    "which is not a key of %s as of the parent commit%s%s%s", what,
	    sig_fp(s), c->email, o != NULL ? " (it is " : "",
	    o != NULL ? o->email : "", o != NULL ? "'s)" : "");
	return 0;
}

/*
 * The signatures and identities of state change c, whose own change is
 * own (NULL: none), against the board as of the parent commit (for the
 * board's creation, the board it creates).
 */
static void
check_signing(struct verify *v, struct commit *c, const struct change *own)
{
	struct dipb_board created;
	const struct dipb_board *b = v->have_board ? &v->board : NULL;
	const struct dipb_member *m;
	const char *need = NULL;
	char *why = NULL, *reason = NULL;
	int ok, have_created = 0;

	if (v->cur < v->since)
		return;
	sig_wait(v, c->csig);
	sig_wait(v, c->tsig);
	c->sigs_done = 1;
	if (own != NULL && c->kind == DIPB_EVENT_CREATED &&
	    strcmp(c->record, DIPB_BOARD_RECORD) == 0) {
		if (load_board(&created, v, own, &why) == 0) {
			b = &created;
			have_created = 1;
		}
		free(why);
	}
	if (c->committer != NULL && !same_email(c->email, c->committer))
		finding(v, c->id, c->tagname, NULL, "identity", "'%s %s' is "
		    "authored by %s but committed by %s: one member makes a "
		    "change", c->record, c->event, c->email, c->committer);
	if (c->tagger != NULL && !same_email(c->email, c->tagger))
		finding(v, c->id, c->tagname, NULL, "identity", "'%s %s' is "
		    "authored by %s but tagged by %s: one member makes a "
		    "change", c->record, c->event, c->email,
		    *c->tagger != '\0' ? c->tagger : "nobody");
	m = b != NULL ? dipb_board_member(b, c->email) : NULL;
	if (m != NULL && m->keys.n > 0)
		need = reason = xasprintf("%s has a key as of the parent "
		    "commit", c->email);
	else if (b != NULL && b->signing == DIPB_SIGNING_REQUIRED)
		need = "the board requires signing";
	ok = check_one(v, c, 0, c->csig, b != NULL ? b : &v->board, m,
	    need);
	if (c->tagname != NULL)
		ok &= check_one(v, c, 1, c->tsig, b != NULL ? b : &v->board,
		    m, need);
	else
		ok = 0;		/* no tag: tag-missing says so */
	/* From which change on every change is proved. */
	if (!ok) {
		v->unauth = v->cur + 1;
		v->auth_from = 0;
	} else if (v->auth_from == 0)
		v->auth_from = v->cur + 1;
	free(reason);
	if (have_created)
		dipb_board_release(&created);
}

/* What the text output says of the history's signatures (verify.h). */
static void
signing_note(struct verify *v)
{
	struct dipb_findings *o = v->out;

	o->unauthenticated = v->have_board &&
	    v->board.signing == DIPB_SIGNING_NONE;
	if (o->unauthenticated || v->unauth == 0)
		return;
	if (v->auth_from != 0)
		memcpy(o->authenticated_from, v->hist[v->auth_from - 1].id,
		    sizeof(o->authenticated_from));
	else
		memcpy(o->unauthenticated_tip, v->hist[v->unauth - 1].id,
		    sizeof(o->unauthenticated_tip));
}

/* A change of dipb.yaml by its own state change c. */
static void
check_board_change(struct verify *v, const struct commit *c,
    const struct change *ch, const char *tag)
{
	const struct dipb_member *m;
	struct dipb_board b;
	char *why = NULL;
	int created = c->kind == DIPB_EVENT_CREATED;

	if (created && v->have_board)
		finding(v, c->id, tag, ch->path, "transition",
		    "the board is created again");
	else if (!created && !v->have_board)
		finding(v, c->id, tag, ch->path, "transition",
		    "dipb.yaml changed before the board was created");
	if (load_board(&b, v, ch, &why) < 0) {
		finding(v, c->id, tag, ch->path, "board-invalid", "%s", why);
		free(why);
		if (ch->new_mode == 0)
			take_board(v, ch);
		return;
	}
	check_levels(v, c, ch->path, tag, &b);
	/* The layout changes with the records, by a migration alone. */
	if (c->kind == DIPB_EVENT_CHANGED && v->have_board &&
	    b.layout != v->board.layout)
		finding(v, c->id, tag, ch->path, "migration", "the change "
		    "'board changed' sets layout: %s, which only a migration "
		    "of every record changes (dipb migrate --layout %s)",
		    dipb_layout_name(b.layout), dipb_layout_name(b.layout));
	/* init checks the chair in the new board; edit --board in the old. */
	m = dipb_board_member(created ? &b : &v->board, c->email);
	if ((!created && !v->have_board) || m == NULL ||
	    !dipb_member_has_role(m, DIPB_ROLE_CHAIR, NULL))
		finding(v, c->id, tag, ch->path, "role",
		    "%s may not %s dipb.yaml: needs the chair role%s",
		    c->email, created ? "create" : "change",
		    created ? " in it" : " as of the parent commit");
	dipb_board_release(&v->board);
	v->board = b;
	memcpy(v->board_blob, ch->new_id, sizeof(v->board_blob));
	v->have_board = 1;
}

static int
owned(const char *path)
{
	return strcmp(path, DIPB_BOARD_FILE) == 0 ||
	    strcmp(path, DIPB_MEETING_DIR) == 0 ||
	    strncmp(path, DIPB_MEETING_DIR "/", sizeof(DIPB_MEETING_DIR)) ==
	    0 ||
	    strcmp(path, DIPB_RECORD_DIR) == 0 ||
	    strncmp(path, DIPB_RECORD_DIR "/", sizeof(DIPB_RECORD_DIR)) == 0;
}

static const char *
verb(const struct change *ch)
{
	return ch->old_mode == 0 ? "adds" : ch->new_mode == 0 ? "deletes" :
	    "changes";
}

/*
 * A change of a record or dipb.yaml by a commit without dipb's trailers:
 * a plain commit, or a merge that brings it from the branch it merges
 * (its change against its first parent).  dipb's changes reach a branch
 * with dipb sync; a pull request carries drafts (dipb-verify(1),
 * "Branches").
 */
static void
plain_change(struct verify *v, const struct commit *c,
    const struct change *ch)
{
	if (c->nparents > 1)
		finding(v, c->id, NULL, ch->path, "merge", "merge commit by "
		    "%s <%s> %s %s: dipb changes reach the branch with dipb "
		    "sync, not with a merge (a pull request carries drafts)",
		    c->name, c->email, verb(ch), ch->path);
	else
		finding(v, c->id, NULL, ch->path, "plain-commit", "plain git "
		    "commit by %s <%s> %s %s", c->name, c->email, verb(ch),
		    ch->path);
}

/*
 * The file a meeting's change records: the one meetings/<date>.yaml it
 * changes, else (none, or several: the others are foreign) the first.
 */
static char *
meeting_path(const struct changes *chs)
{
	char date[11];
	size_t i;

	for (i = 0; i < chs->n; i++)
		if (dipb_meeting_path_date(date, chs->v[i].path))
			return xstrdup(chs->v[i].path);
	return xstrdup(DIPB_MEETING_DIR "/?.yaml");
}

/*
 * A meeting recorded by its own state change c (dipb-record(5),
 * "MEETINGS"): a new file that loads and keeps the meeting rules against
 * the board as of the parent, made by a secretary as of the parent.
 */
static void
check_meeting_change(struct verify *v, const struct commit *c,
    const struct change *ch, const char *tag)
{
	struct dipb_diags diags = DIPB_DIAGS_INIT;
	struct dipb_object *obj = NULL;
	const struct dipb_error *err;
	const struct dipb_member *m;
	struct dipb_meeting mt;
	size_t i;

	dipb_meeting_init(&mt);
	if (!v->have_board)
		finding(v, c->id, tag, ch->path, "transition",
		    "a meeting recorded before the board was created");
	m = v->have_board ? dipb_board_member(&v->board, c->email) : NULL;
	if (v->have_board && (m == NULL ||
	    !dipb_member_has_role(m, DIPB_ROLE_SECRETARY, NULL)))
		finding(v, c->id, tag, ch->path, "role",
		    "%s may not record a meeting: needs the secretary role as "
		    "of the parent commit", c->email);
	if (ch->old_mode != 0) {
		finding(v, c->id, tag, ch->path, "meeting-invalid",
		    "%s %s a meeting already recorded: a meeting is recorded "
		    "once", c->event, ch->new_mode == 0 ? "deletes" :
		    "changes");
		goto done;
	}
	if (!is_blob_mode(ch->new_mode)) {
		finding(v, c->id, tag, ch->path, "meeting-invalid",
		    "%s is not a regular file", ch->path);
		goto done;
	}
	if ((err = dipb_git_object_read(&obj, v->repo, ch->new_id,
	    DIPB_OBJECT_BLOB)) != NULL) {
		finding(v, c->id, tag, ch->path, "meeting-invalid", "%s",
		    err->msg);
		dipb_error_free(err);
		goto done;
	}
	if (dipb_object_size(obj) > DIPB_MAX_FILE ||
	    dipb_meeting_load(&mt, ch->path, dipb_object_data(obj),
	    dipb_object_size(obj), &diags) != 0 ||
	    dipb_validate_meeting(&diags, ch->path, &mt,
	    v->have_board ? &v->board : NULL) > 0) {
		for (i = 0; i < diags.n; i++)
			if (diags.v[i].sev == DIPB_SEV_ERROR)
				break;
		if (i < diags.n)
			finding(v, c->id, tag, ch->path, "meeting-invalid",
			    "%s:%u:%u: %s [%s]", diags.v[i].path,
			    diags.v[i].line, diags.v[i].col, diags.v[i].msg,
			    diags.v[i].rule);
		else
			finding(v, c->id, tag, ch->path, "meeting-invalid",
			    "%s is larger than %d bytes", ch->path,
			    DIPB_MAX_FILE);
	}
done:
	dipb_meeting_release(&mt);
	dipb_diags_release(&diags);
	dipb_object_free(obj);
}

/*
 * The record files commit c adds or changes where the board, as the commit
 * leaves it, keeps no record (dipb-board(5), "layout"): in the place of
 * the other layout, or in a shard of another number.
 */
static void
check_places(struct verify *v, const struct commit *c, const char *tag)
{
	const struct change *ch;
	const char *base;
	char *want, *id;
	size_t i, n;
	enum dipb_layout l = v->have_board ? v->board.layout :
	    DIPB_LAYOUT_FLAT;

	for (i = 0; i < c->chs.n; i++) {
		ch = &c->chs.v[i];
		if (ch->new_mode == 0 || strncmp(ch->path, DIPB_RECORD_DIR "/",
		    sizeof(DIPB_RECORD_DIR)) != 0)
			continue;
		if (ch->id != NULL) {
			if (ch->layout == l)
				continue;
			want = dipb_record_path_in(l, ch->id);
			finding(v, c->id, tag, ch->path, "record-path",
			    "%s is in the place of the %s layout; this board "
			    "is %s (dipb.yaml's layout): its place is %s",
			    ch->path, dipb_layout_name(ch->layout),
			    dipb_layout_name(l), want);
			free(want);
			continue;
		}
		/* A file named as a record's, anywhere else below. */
		base = strrchr(ch->path, '/') + 1;
		n = strlen(base);
		if (n <= 5 || n - 5 > DIPB_MAX_ID ||
		    strcmp(base + n - 5, ".yaml") != 0)
			continue;
		id = xstrndup(base, n - 5);
		if (dipb_id_valid(id)) {
			want = dipb_record_path_in(l, id);
			finding(v, c->id, tag, ch->path, "record-path",
			    "%s is no place of a record in either layout "
			    "(a shard of another number?); this board is %s: "
			    "%s's place is %s", ch->path, dipb_layout_name(l),
			    id, want);
			free(want);
		}
		free(id);
	}
}

/*
 * dipb.yaml of a migrated change (dipb-migrate(1)): the board as of the
 * parent with another layout: and nothing else, in dipb_board_emit's
 * canonical form.  Returns the layout it names (the parent's when it
 * does not load).
 */
static enum dipb_layout
check_migrated_board(struct verify *v, const struct commit *c,
    const struct change *own, const char *tag)
{
	struct dipb_buf a = DIPB_BUF_INIT, b = DIPB_BUF_INIT;
	struct dipb_board nb, ob;
	enum dipb_layout was = v->board.layout, l = was;
	char *why = NULL;

	if (own == NULL) {
		finding(v, c->id, tag, DIPB_BOARD_FILE, "migration", "the "
		    "change 'board migrated' does not change %s's layout:",
		    DIPB_BOARD_FILE);
		return l;
	}
	if (!v->have_board || load_board(&nb, v, own, &why) < 0) {
		free(why);
		return l;		/* check_board_change says why */
	}
	l = nb.layout;
	ob = v->board;
	ob.layout = nb.layout;
	dipb_board_emit(&ob, &a);
	dipb_board_emit(&nb, &b);
	if (nb.layout == was)
		finding(v, c->id, tag, own->path, "migration", "the change "
		    "'board migrated' leaves layout: %s as it was",
		    dipb_layout_name(was));
	if (strcmp(dipb_buf_cstr(&a), dipb_buf_cstr(&b)) != 0)
		finding(v, c->id, tag, own->path, "migration", "the change "
		    "'board migrated' changes %s other than its layout: "
		    "(that is 'board changed': dipb edit --board)",
		    DIPB_BOARD_FILE);
	dipb_buf_release(&a);
	dipb_buf_release(&b);
	dipb_board_release(&nb);
	return l;
}

/*
 * The records of a migrated change: each record of the parent deleted at
 * its place in the old layout and added, the same blob and mode, at its
 * place in the new one (to), and nothing else (dipb-migrate(1)).  Moves
 * leave the replay's state of their record as it was; anything else is
 * reported, then taken as a plain change is.
 */
static void
check_migrated_records(struct verify *v, const struct commit *c,
    const struct change *own, const char *tag, enum dipb_layout from,
    enum dipb_layout to)
{
	struct dipb_hashmap gone = DIPB_HASHMAP_INIT;
	struct dipb_hashmap moved = DIPB_HASHMAP_INIT;
	struct change *ch, *del;
	struct recstate *rs;
	size_t i;

	for (i = 0; i < c->chs.n; i++) {
		ch = &c->chs.v[i];
		if (ch != own && ch->id != NULL && ch->new_mode == 0 &&
		    ch->layout == from)
			dipb_hashmap_put(&gone, ch->id, ch);
	}
	for (i = 0; i < c->chs.n; i++) {
		ch = &c->chs.v[i];
		if (ch == own)
			continue;
		if (ch->id == NULL) {
			finding(v, c->id, tag, ch->path, "foreign-path",
			    "the change 'board migrated' also %s %s", verb(ch),
			    ch->path);
			continue;
		}
		if (ch->new_mode == 0 && dipb_hashmap_get(&gone, ch->id) ==
		    ch)
			continue;	/* judged with its addition */
		del = ch->old_mode == 0 ? dipb_hashmap_get(&gone, ch->id) :
		    NULL;
		if (del == NULL)
			finding(v, c->id, tag, ch->path, "migration", "the "
			    "change 'board migrated' %s %s, which is no move "
			    "of a record of the parent", verb(ch), ch->path);
		else if (ch->layout != to)
			finding(v, c->id, tag, ch->path, "migration", "%s is "
			    "moved to %s, not to its place in the %s layout",
			    ch->id, ch->path, dipb_layout_name(to));
		else if (strcmp(del->old_id, ch->new_id) != 0 ||
		    del->old_mode != ch->new_mode)
			finding(v, c->id, tag, ch->path, "migration", "%s "
			    "changes in its move from %s (another blob or "
			    "mode): a move keeps the file byte for byte",
			    ch->id, del->path);
		else {
			dipb_hashmap_put(&moved, ch->id, ch);
			continue;
		}
		if (del != NULL)
			dipb_hashmap_put(&moved, ch->id, ch);
		take_record(v, c, ch);
	}
	/* Deleted and never added again: dropped by the migration. */
	for (i = 0; i < gone.cap; i++) {
		if (gone.v[i].key == NULL ||
		    dipb_hashmap_get(&moved, gone.v[i].key) != NULL)
			continue;
		ch = gone.v[i].val;
		finding(v, c->id, tag, ch->path, "migration", "the change "
		    "'board migrated' deletes %s: a migration moves every "
		    "record, it drops none", ch->path);
		take_record(v, c, ch);
	}
	/* A record of the parent left where it was. */
	ckpt_all(v);
	for (i = 0; i < v->records.cap; i++) {
		if (v->records.v[i].key == NULL)
			continue;
		rs = v->records.v[i].val;
		if (rs->exists && dipb_hashmap_get(&moved, rs->id) == NULL &&
		    dipb_hashmap_get(&gone, rs->id) == NULL)
			finding(v, c->id, tag, NULL, "migration", "%s is not "
			    "moved: the %s layout of %s has no place for where "
			    "it is", rs->id, dipb_layout_name(to),
			    DIPB_BOARD_FILE);
	}
	dipb_hashmap_release(&moved, NULL);
	dipb_hashmap_release(&gone, NULL);
}

/*
 * A migrated change of the board (dipb-migrate(1)): by a chair as of the
 * parent, signed as the board requires (check_signing), dipb.yaml's
 * layout: changed alone, every record moved unchanged to its place in
 * the new layout.
 */
static void
check_migrated(struct verify *v, struct commit *c, const char *tag)
{
	struct change *own = NULL;
	enum dipb_layout from = v->have_board ? v->board.layout :
	    DIPB_LAYOUT_FLAT, to;
	size_t i;

	for (i = 0; i < c->chs.n; i++)
		if (strcmp(c->chs.v[i].path, DIPB_BOARD_FILE) == 0)
			own = &c->chs.v[i];
	check_signing(v, c, own);
	to = check_migrated_board(v, c, own, tag);
	check_migrated_records(v, c, own, tag, from, to);
	if (own != NULL)
		check_board_change(v, c, own, tag);
}

/* One commit of the replay, whose changes c->chs holds. */
static void
check_commit(struct verify *v, struct commit *c)
{
	struct changes chs = c->chs;
	struct change *own = NULL, *ch;
	struct recstate *rs = NULL;
	char *path = NULL, *tag = NULL;
	int board, meeting, state_change = c->dipb && c->bad == NULL;
	size_t i;

	if (c->dipb && c->bad != NULL)
		finding(v, c->id, NULL, NULL, "trailers", "%s", c->bad);
	if (!state_change) {
		for (i = 0; i < chs.n; i++) {
			ch = &chs.v[i];
			if (!owned(ch->path))
				continue;
			if (!c->dipb)
				plain_change(v, c, ch);
			if (strcmp(ch->path, DIPB_BOARD_FILE) == 0)
				take_board(v, ch);
			else if (ch->id != NULL)
				take_record(v, c, ch);
		}
		goto done;
	}

	board = strcmp(c->record, DIPB_BOARD_RECORD) == 0;
	meeting = strcmp(c->record, DIPB_MEETING_RECORD) == 0;
	path = board ? xstrdup(DIPB_BOARD_FILE) : meeting ?
	    meeting_path(&chs) : record_path(v, c->record);
	rs = recstate(v, c->record);
	tag = xasprintf("%s/%lu-%s", c->record, rs->ntags + 1, c->event);
	if (board && c->kind == DIPB_EVENT_MIGRATED) {
		check_migrated(v, c, tag);
		check_tag(v, c, rs);
		goto done;
	}
	for (i = 0; i < chs.n; i++) {
		ch = &chs.v[i];
		if (strcmp(ch->path, path) == 0) {
			own = ch;
			continue;
		}
		if (board && c->kind == DIPB_EVENT_CREATED &&
		    strcmp(ch->path, ".gitattributes") == 0)
			continue;
		finding(v, c->id, tag, ch->path, "foreign-path",
		    "the change '%s %s' also %s %s", c->record, c->event,
		    verb(ch), ch->path);
	}
	/* The change itself is judged by the board as of the parent. */
	check_signing(v, c, own);
	if (own == NULL)
		finding(v, c->id, tag, path, "no-change",
		    "the change '%s %s' does not change %s", c->record,
		    c->event, path);
	else if (board)
		check_board_change(v, c, own, tag);
	else if (meeting)
		check_meeting_change(v, c, own, tag);
	else
		check_record_change(v, c, own, tag);
	for (i = 0; i < chs.n; i++) {
		ch = &chs.v[i];
		if (ch == own)
			continue;
		if (strcmp(ch->path, DIPB_BOARD_FILE) == 0)
			take_board(v, ch);
		else if (ch->id != NULL)
			take_record(v, c, ch);
	}
	check_tag(v, c, rs);
done:
	check_places(v, c, tag);
	free(path);
	free(tag);
}

/*
 * The replay, a stretch of history at a time (at most LOAD_CHUNK commits
 * and about as many records): the commits read, with those of the next
 * stretch, whose signatures the checkers verify meanwhile (window_to);
 * the paths each commit changes (in order: the trees of one commit are
 * the next one's parent trees), then the records they leave, loaded
 * together, then the checks; then the stretch's commits are released.
 * What the replay holds is the state of the board's records and one or
 * two stretches of history, however long the history is.
 */
static const struct dipb_error *
replay(struct verify *v)
{
	const struct dipb_error *err = NULL;
	struct change **todo = NULL;
	struct commit *c;
	size_t i = 0, j, k, ntodo, cap = 0;

	if ((err = tags_ready(v)) != NULL)
		return err;
	/* The checkers start before the first stretch's records load. */
	if ((err = window_to(v, 2 * LOAD_CHUNK)) != NULL)
		return err;
	read_signatures(v, 0, v->ncommits < LOAD_CHUNK ? v->ncommits :
	    LOAD_CHUNK);
	while (i < v->ncommits && err == NULL) {
		window_drop(v, i);
		if ((err = window_to(v, i + 2 * LOAD_CHUNK)) != NULL)
			break;
		ntodo = 0;
		for (j = i; j < v->ncommits && j - i < LOAD_CHUNK &&
		    ntodo < LOAD_CHUNK; j++) {
			c = commit_at(v, j);
			if ((err = commit_changes(&c->chs, v, c)) != NULL)
				break;
			for (k = 0; k < c->chs.n; k++) {
				if (!prepare_change(v, &c->chs.v[k]))
					continue;
				xgrow((void **)&todo, &cap, ntodo + 1,
				    sizeof(*todo));
				todo[ntodo++] = &c->chs.v[k];
			}
		}
		load_records(todo, ntodo);
		read_signatures(v, i, j);
		for (k = i; k < j && err == NULL; k++) {
			v->cur = k;
			c = commit_at(v, k);
			check_commit(v, c);
			changes_release(&c->chs);
		}
		i = j;
	}
	free(todo);
	return err;
}

/* ---- checkpoints ------------------------------------------------------- */

/*
 * The replay's state at a commit, kept as derived data beside the
 * repository (checkpoint.h; dipb-verify(1), "CHECKPOINTS"), so that
 * verify --since replays only the commits after it: every record's
 * status, tag count and file (its blob, loaded when needed), the board
 * and every key it ever listed, the tags that no change up to it claimed,
 * and the findings of tag rules, which --since reports for the whole
 * history.  The findings of a replay from a checkpoint are those of the
 * whole replay: whatever could change what the commits up to it make of
 * the tags (a tag made, moved or deleted there since, or one of its
 * commits now on the branch) makes the tags' digest differ, and the whole
 * history is replayed.
 */

/* The rules' version and names, which a checkpoint is bound to. */
static char *
rules_id(void)
{
	struct dipb_buf b;
	char hex[DIPB_OID_HEX + 1];
	size_t i;

	dipb_buf_init(&b);
	dipb_buf_puts(&b, "");
	for (i = 0; dipb_verify_rules[i].name != NULL; i++)
		dipb_buf_printf(&b, "%s\n", dipb_verify_rules[i].name);
	dipb_git_hash_blob(hex, b.ptr, b.len);
	dipb_buf_release(&b);
	return xasprintf("%d-%s", RULES_VERSION, hex);
}

static const char *
rule_named(const char *name)
{
	size_t i;

	for (i = 0; dipb_verify_rules[i].name != NULL; i++)
		if (strcmp(dipb_verify_rules[i].name, name) == 0)
			return dipb_verify_rules[i].name;
	return NULL;
}

/*
 * Takes checkpoint cp, at v->ckpt, as the state of the replay before
 * v->commits (the walk stopped there); an error, with v unchanged but
 * for its board, when it does not fit the repository as it is.
 */
static const struct dipb_error *
ckpt_apply(struct verify *v, const struct dipb_checkpoint *cp)
{
	const struct dipb_error *err = NULL;
	struct dipb_hashmap missing = DIPB_HASHMAP_INIT;
	struct dipb_hashmap want = DIPB_HASHMAP_INIT;
	struct dipb_fileid id;
	struct dipb_commit d;
	struct change ch;
	struct tag *t;
	size_t i;
	char *why = NULL;
	int same = 0;

	/*
	 * The tags up to the checkpoint are those it was made with, keeping
	 * only those the replay judges (on the commits after it, and those
	 * no change up to it claimed), so that the cost follows the commits
	 * replayed: when packed-refs is the file it was made with, from the
	 * loose tags and a search of the file for each of those (no pass
	 * over 318,000 tags), else in one pass over them all.
	 */
	for (i = 0; i < cp->ntagsu; i++)
		dipb_hashmap_put(&want, cp->tags[i].name, (void *)1);
	dipb_tagsnap_fileid(&id, v->snap);
	if (cp->packed.have && dipb_fileid_eq(&id, &cp->packed.id))
		err = tags_known(v, cp, &want, &same);
	else
		err = tags_scan(v, 0, &want, cp, &same);
	dipb_hashmap_release(&want, NULL);
	if (err != NULL)
		return err;
	tags_index(v);
	if (!same)
		return dipb_error_fmt(DIPB_ERR_CORRUPT, "tags changed");
	for (i = 0; i < cp->nfindings; i++) {
		if (rule_named(cp->findings[i].rule) == NULL)
			return dipb_error_fmt(DIPB_ERR_CORRUPT, "a rule");
		if (strcmp(cp->findings[i].rule, "tag-missing") == 0 &&
		    cp->findings[i].tag != NULL)
			dipb_hashmap_put(&missing, cp->findings[i].tag,
			    (void *)1);
	}
	/* A new tag named as one that a change up to it missed. */
	for (i = 0; i < v->ntags && err == NULL; i++) {
		t = &v->tags[i];
		if (t->type != DIPB_OBJECT_NONE &&
		    dipb_hashmap_get(&v->on_branch, t->target) != NULL &&
		    dipb_hashmap_get(&missing, t->name) != NULL)
			err = dipb_error_fmt(DIPB_ERR_CORRUPT, "a tag made");
	}
	dipb_hashmap_release(&missing, NULL);
	for (i = 0; i < cp->ntagsu && err == NULL; i++) {
		t = tag_named(v, cp->tags[i].name);
		if (t == NULL || (t->type != DIPB_OBJECT_NONE &&
		    dipb_hashmap_get(&v->on_branch, t->target) != NULL))
			err = dipb_error_fmt(DIPB_ERR_CORRUPT, "a tag");
	}
	if (err != NULL)
		return err;
	if (cp->have_board) {
		memset(&ch, 0, sizeof(ch));
		ch.path = (char *)DIPB_BOARD_FILE;
		ch.new_mode = DIPB_MODE_BLOB;
		memcpy(ch.new_id, cp->board_blob, sizeof(ch.new_id));
		if (load_board(&v->board, v, &ch, &why) < 0) {
			free(why);
			return dipb_error_fmt(DIPB_ERR_CORRUPT, "the board");
		}
		v->have_board = 1;
		memcpy(v->board_blob, cp->board_blob, sizeof(v->board_blob));
	}
	/* The trees the first commit after it is compared with. */
	if ((err = dipb_git_commit_read(&d, v->repo, v->ckpt)) != NULL)
		return err;
	err = dipb_treediff_seed(v->td, d.tree);
	dipb_commit_release(&d);
	if (err != NULL)
		return err;

	for (i = 0; i < v->ntags; i++) {
		t = &v->tags[i];
		if (t->type != DIPB_OBJECT_NONE &&
		    dipb_hashmap_get(&v->on_branch, t->target) != NULL)
			continue;
		t->claimed = t->before = 1;
	}
	for (i = 0; i < cp->ntagsu; i++) {
		t = tag_named(v, cp->tags[i].name);
		t->claimed = 0;
		t->reported = cp->tags[i].reported;
		t->before = cp->tags[i].extra != NULL;
		free(t->extra);
		t->extra = cp->tags[i].extra != NULL ?
		    xstrdup(cp->tags[i].extra) : NULL;
	}
	/* The records: each read from it when the replay meets it. */
	v->ck = cp;
	v->ck_all = 0;
	for (i = 0; i < cp->keys.n; i++)
		dipb_hashmap_put(&v->keys_seen, cp->keys.v[i], (void *)1);
	return NULL;
}

/* The findings of tag rules up to the checkpoint, reported again. */
static void
ckpt_findings(struct verify *v, const struct dipb_checkpoint *cp)
{
	struct dipb_findings *o = v->out;
	const struct dipb_ckpt_finding *cf;
	struct dipb_finding *f;
	size_t i;

	for (i = 0; i < cp->nfindings; i++) {
		cf = &cp->findings[i];
		xgrow((void **)&o->v, &o->cap, o->n + 1, sizeof(*o->v));
		f = &o->v[o->n++];
		memset(f, 0, sizeof(*f));
		snprintf(f->commit, sizeof(f->commit), "%s", cf->commit);
		f->tag = cf->tag != NULL ? xstrdup(cf->tag) : NULL;
		f->path = cf->path != NULL ? xstrdup(cf->path) : NULL;
		f->rule = rule_named(cf->rule);
		f->msg = xstrdup(cf->msg);
	}
}

/*
 * The checkpoint at v->ckpt into cp, if there is one made by these rules
 * that fits the repository as it is, applied to v; else an error.
 */
static const struct dipb_error *
ckpt_load(struct dipb_checkpoint *cp, struct verify *v)
{
	const struct dipb_error *err;
	char *name = xasprintf(CKPT_DIR "/%s", v->ckpt), *rules = rules_id();
	const char *data;
	size_t len;

	/* Mapped: its records are read from it while the replay lasts. */
	dipb_repo_derived_map(&data, &len, v->repo, name, CKPT_MAX);
	if (data == NULL) {
		dipb_checkpoint_init(cp);
		err = dipb_error_fmt(DIPB_ERR_NOT_FOUND, "no checkpoint");
	} else if ((err = dipb_checkpoint_parse(cp, data, len, rules,
	    v->ckpt)) == NULL)
		err = ckpt_apply(v, cp);
	if (err == NULL) {
		v->ckmap = data;
		v->cklen = len;
	} else
		dipb_repo_derived_unmap(data, len);
	free(rules);
	free(name);
	return err;
}

/*
 * A checkpoint's text on its way to its file: small pieces gathered, the
 * old checkpoint's runs of lines written as they are, without a copy.
 */
struct ckpt_out {
	struct dipb_derived	*d;
	struct dipb_buf		 b;
};

static void
ckpt_put(void *arg, const char *data, size_t len)
{
	struct ckpt_out *w = arg;

	if (w->b.len + len > 65536) {
		dipb_derived_put(w->d, w->b.ptr, w->b.len);
		dipb_buf_clear(&w->b);
	}
	if (len > 16384)
		dipb_derived_put(w->d, data, len);
	else
		dipb_buf_put(&w->b, data, len);
}

/*
 * Writes the checkpoint of the replay at its last commit (derived data:
 * a checkpoint that cannot be written is none), and keeps the newest
 * CKPT_KEEP.
 */
static void
ckpt_write(struct verify *v)
{
	struct dipb_checkpoint cp;
	struct dipb_findings *o = v->out;
	const struct dipb_finding *f;
	struct dipb_ckpt_record *cr;
	struct dipb_ckpt_finding *cf;
	struct dipb_ckpt_tag *ct;
	struct dipb_ckpt_loose *cl;
	const struct recstate *rs;
	const struct tag *t;
	struct ckpt_out w;
	char *rules, *name;
	uintptr_t at;
	size_t i;

	if (v->ncommits == 0 || loose_now(v) != NULL)
		return;
	dipb_checkpoint_init(&cp);
	memcpy(cp.commit, v->hist[v->ncommits - 1].id, sizeof(cp.commit));
	/* From the pass that read the tags (tags_ready, ckpt_apply). */
	memcpy(cp.tags_digest, v->tags_digest, sizeof(cp.tags_digest));
	cp.ntags = v->ntags_digest;
	cp.packed.have = dipb_tagsnap_settled(v->snap);
	dipb_tagsnap_fileid(&cp.packed.id, v->snap);
	cp.loose = xcalloc(v->nlnow + 1, sizeof(*cp.loose));
	cp.nloose = cp.caploose = v->nlnow;
	for (i = 0; i < v->nlnow; i++) {
		cl = &cp.loose[i];
		cl->name = xstrndup(v->lnow[i].name, v->lnow[i].len);
		if (v->lnow[i].hex != NULL)
			memcpy(cl->hex, v->lnow[i].hex, DIPB_OID_HEX);
		if (v->lnow[i].shadowed != NULL)
			memcpy(cl->shadowed, v->lnow[i].shadowed,
			    DIPB_OID_HEX);
	}
	/* The records the replay did not meet: the old lines, unread. */
	if (v->ck != NULL && !v->ck_all) {
		cp.base = v->ck->base;
		cp.baselen = v->ck->baselen;
	}
	cp.have_board = v->have_board;
	memcpy(cp.board_blob, v->have_board ? v->board_blob : "",
	    v->have_board ? sizeof(cp.board_blob) : 1);
	for (i = 0; i < v->keys_seen.cap; i++)
		if (v->keys_seen.v[i].key != NULL)
			dipb_strlist_push(&cp.keys, v->keys_seen.v[i].key);
	for (i = 0; i < v->records.cap; i++) {
		if (v->records.v[i].key == NULL ||
		    (rs = v->records.v[i].val) == NULL)
			continue;
		xgrow((void **)&cp.records, &cp.caprecords, cp.nrecords + 1,
		    sizeof(*cp.records));
		cr = &cp.records[cp.nrecords++];
		cr->id = xstrdup(rs->id);
		memcpy(cr->blob, rs->lazy || rs->rec != NULL ? rs->blob : "",
		    rs->lazy || rs->rec != NULL ? sizeof(cr->blob) : 1);
		cr->exists = rs->exists;
		cr->status = (int)rs->status;
		cr->unknown = rs->unknown;
		cr->ntags = rs->ntags;
		cr->missing = rs->missing;
	}
	for (i = 0; i < v->ntags; i++) {
		t = &v->tags[i];
		if (t->claimed)
			continue;
		xgrow((void **)&cp.tags, &cp.captags, cp.ntagsu + 1,
		    sizeof(*cp.tags));
		ct = &cp.tags[cp.ntagsu++];
		ct->name = xstrdup(t->name);
		ct->reported = t->reported;
		ct->extra = NULL;
		if (t->before)
			ct->extra = xstrdup(t->extra != NULL ? t->extra : "");
		else if (t->type != DIPB_OBJECT_NONE && (at = (uintptr_t)
		    dipb_hashmap_get(&v->on_branch, t->target)) != 0)
			ct->extra = extra_msg(v, t, at - 1);
	}
	for (i = v->hist_from; i < o->n; i++) {
		f = &o->v[i];
		if (!is_tag_rule(f->rule))
			continue;
		xgrow((void **)&cp.findings, &cp.capfindings,
		    cp.nfindings + 1, sizeof(*cp.findings));
		cf = &cp.findings[cp.nfindings++];
		memcpy(cf->commit, f->commit, sizeof(cf->commit));
		cf->tag = f->tag != NULL ? xstrdup(f->tag) : NULL;
		cf->path = f->path != NULL ? xstrdup(f->path) : NULL;
		cf->rule = xstrdup(f->rule);
		cf->msg = xstrdup(f->msg);
	}
	rules = rules_id();
	name = xasprintf(CKPT_DIR "/%s", cp.commit);
	if ((w.d = dipb_repo_derived_begin(v->repo, name)) != NULL) {
		dipb_buf_init(&w.b);
		dipb_checkpoint_write(&cp, rules, ckpt_put, &w);
		dipb_derived_put(w.d, w.b.ptr, w.b.len);
		dipb_buf_release(&w.b);
		/* Derived data: a file not written is made again next time. */
		dipb_error_free(dipb_derived_end(w.d, 1));
	}
	dipb_repo_derived_prune(v->repo, CKPT_DIR, CKPT_KEEP, cp.commit);
	free(name);
	free(rules);
	dipb_checkpoint_release(&cp);
}

/* ---- the whole --------------------------------------------------------- */

static int
all_zero(const char *s)
{
	size_t n = strlen(s);

	return n == DIPB_OID_HEX && strspn(s, "0") == n;
}

/* Where the commits to report start: after since. */
static const struct dipb_error *
find_since(struct verify *v, const char *since)
{
	const struct dipb_error *err;
	char id[DIPB_OID_HEX + 1];
	uintptr_t at;
	size_t i;

	v->since = 0;
	if (since == NULL || all_zero(since))
		return NULL;
	if ((err = dipb_git_resolve(id, v->repo, since)) != NULL) {
		if (err->code != DIPB_ERR_NOT_FOUND)
			return err;
		dipb_error_free(err);
		/* A commit id pushed away by a force-push is gone, too. */
		if (strlen(since) != DIPB_OID_HEX ||
		    strspn(since, "0123456789abcdef") != DIPB_OID_HEX)
			return dipb_error_fmt(DIPB_ERR_USAGE,
			    "unknown revision: '%s'", since);
		finding(v, NULL, NULL, NULL, "history-rewritten",
		    "%s is not in the repository: its history was rewritten "
		    "(force-pushed?)", since);
		return NULL;
	}
	/* The checkpoint's commit: every commit walked is after it. */
	if (v->ckpt[0] != '\0' && strcmp(id, v->ckpt) == 0)
		return NULL;
	if ((at = (uintptr_t)dipb_hashmap_get(&v->on_branch, id)) != 0) {
		v->since = (size_t)at;
		return NULL;
	}
	/* Merged in from another branch: the newest commit it contains. */
	if (v->ncommits > 0 && dipb_git_descendant_of(v->repo,
	    v->hist[v->ncommits - 1].id, id))
		for (i = v->ncommits; i > 0; i--)
			if (dipb_git_descendant_of(v->repo, id,
			    v->hist[i - 1].id)) {
				v->since = i;
				return NULL;
			}
	v->cur = 0;
	finding(v, id, NULL, NULL, "history-rewritten",
	    "%s is not on branch %s: its history was rewritten (force-pushed?)",
	    since, v->branch);
	return NULL;
}

/*
 * The branch tip and the tags, read under the repository lock so that a
 * change in flight is either whole or not seen.  Without write access to
 * the git dir (a read-only checkout) they are read without it.
 */
static const struct dipb_error *
read_refs(struct verify *v, struct dipb_repo *repo,
    char tip[DIPB_OID_HEX + 1], int *unborn)
{
	const struct dipb_error *err;
	char *ref;
	int found, locked = 0;

	if ((err = dipb_repo_begin(repo)) == NULL)
		locked = 1;
	else if (err->code == DIPB_ERR_IO)
		dipb_error_free(err);
	else
		return err;
	v->branch = dipb_repo_branch(repo);
	/* A detached HEAD is judged as a branch (dipb_repo_branch). */
	ref = dipb_repo_is_detached(repo) ? xstrdup("HEAD") :
	    xasprintf("refs/heads/%s", v->branch);
	err = dipb_git_ref(tip, &found, repo, ref);
	*unborn = err == NULL && !found;
	free(ref);
	if (err == NULL)
		err = read_tags(v);
	if (locked)
		dipb_repo_end(repo);
	return err;
}

/* Forgets the walk and what a checkpoint gave, to walk again. */
static void
unwalk(struct verify *v)
{
	size_t i;

	window_drop(v, SIZE_MAX);
	v->win_from = 0;
	for (i = 0; i < v->ncommits; i++)
		free(v->hist[i].bad);
	v->ncommits = 0;
	dipb_hashmap_release(&v->on_branch, NULL);
	dipb_board_release(&v->board);
	dipb_board_init(&v->board);
	v->have_board = 0;
	v->board_blob[0] = '\0';
	v->ckpt[0] = '\0';
	tags_forget(v);
	dipb_treediff_free(v->td);
	v->td = dipb_treediff_new(v->repo);
}

/*
 * The history from tip, into v: with since, from the newest checkpoint
 * at or before it when there is one that fits (into cp), else whole.
 */
static const struct dipb_error *
walk_from(struct verify *v, struct dipb_checkpoint *cp, const char *tip,
    const char *since)
{
	const struct dipb_error *err;
	struct dipb_strlist names = DIPB_STRLIST_INIT;
	struct dipb_hashmap stops = DIPB_HASHMAP_INIT;
	char id[DIPB_OID_HEX + 1] = "";
	size_t i;

	dipb_checkpoint_init(cp);
	if (since != NULL && !all_zero(since)) {
		if ((err = dipb_git_resolve(id, v->repo, since)) == NULL)
			dipb_repo_derived_list(&names, v->repo, CKPT_DIR);
		dipb_error_free(err);
	}
	for (i = 0; i < names.n; i++)
		if (strlen(names.v[i]) == DIPB_OID_HEX)
			dipb_hashmap_put(&stops, names.v[i], (void *)1);
	err = walk(v, tip, stops.n > 0 ? &stops : NULL, id);
	dipb_hashmap_release(&stops, NULL);
	dipb_strlist_release(&names);
	if (err != NULL || v->ckpt[0] == '\0')
		return err;
	if ((err = ckpt_load(cp, v)) == NULL)
		return NULL;
	/* Not one to trust: the whole history, and a new checkpoint. */
	dipb_error_free(err);
	v->ck = NULL;
	dipb_checkpoint_release(cp);
	unwalk(v);
	return walk(v, tip, NULL, NULL);
}

const struct dipb_error *
dipb_verify(struct dipb_findings *out, struct dipb_repo *repo,
    const char *since)
{
	const struct dipb_error *err = NULL;
	struct dipb_checkpoint cp;
	struct verify v;
	char tip[DIPB_OID_HEX + 1];
	size_t i;
	int unborn = 0, cached;

	memset(&v, 0, sizeof(v));
	dipb_checkpoint_init(&cp);
	v.out = out;
	v.repo = repo;
	v.td = dipb_treediff_new(repo);
	dipb_board_init(&v.board);
	v.sigs_early = since == NULL || all_zero(since);
	/* Each object of the history is read once (repo.h). */
	cached = dipb_repo_cache_objects(0);
	if ((err = read_refs(&v, repo, tip, &unborn)) != NULL)
		goto done;
	/* A partial clone's missing blobs, fetched: never a finding. */
	if ((err = dipb_repo_prefetch(repo)) != NULL)
		goto done;
	memcpy(v.tip, tip, sizeof(v.tip));
	if (!unborn && (err = walk_from(&v, &cp, tip, since)) != NULL)
		goto done;
	if ((err = find_since(&v, since)) != NULL)
		goto done;
	v.hist_from = out->n;
	ckpt_findings(&v, &cp);
	if ((err = replay(&v)) == NULL) {
		ckpt_write(&v);
		err = check_other_tags(&v);
	}
	signing_note(&v);
	out->ncommits = v.ncommits > v.since ? v.ncommits - v.since : 0;
done:
	checkers_stop(&v);
	for (i = 0; i < v.nearly; i++)
		sigcheck_free(v.early[i]);
	free(v.early);
	dipb_treediff_free(v.td);
	dipb_hashmap_release(&v.records, recstate_free);
	dipb_hashmap_release(&v.tag_targets, NULL);
	dipb_hashmap_release(&v.tag_numbers, NULL);
	dipb_hashmap_release(&v.on_branch, NULL);
	dipb_hashmap_release(&v.keys_seen, NULL);
	free(v.lnow);
	for (i = 0; i < v.ntags; i++)
		tag_release(&v.tags[i]);
	free(v.tags);
	dipb_tagsnap_free(v.snap);
	window_drop(&v, SIZE_MAX);
	free(v.win);
	for (i = 0; i < v.ncommits; i++)
		free(v.hist[i].bad);
	free(v.hist);
	dipb_hashmap_release(&v.names, free);
	dipb_board_release(&v.board);
	dipb_checkpoint_release(&cp);
	dipb_repo_derived_unmap(v.ckmap, v.cklen);
	dipb_repo_cache_objects(cached);
	return err;
}

/*
 * record.h - a recommendation record (dipb-record(5)) in memory, its
 * canonical YAML form and its fingerprint.
 *
 * Every string is owned by the record and freed by dipb_record_release();
 * optional strings are NULL when absent.  Dates are "YYYY-MM-DD" strings.
 */
#ifndef DIPB_RECORD_H
#define DIPB_RECORD_H

#include <stddef.h>

#include "diag.h"
#include "util.h"

#define DIPB_MAX_FILE		(1024 * 1024)	/* a record or board file */
#define DIPB_MAX_MARKDOWN	(64 * 1024)	/* one Markdown field */
#define DIPB_MAX_DEPTH		64		/* YAML nesting */
#define DIPB_MAX_ID		32
#define DIPB_FINGERPRINT_LEN	8

enum dipb_status {
	DIPB_STATUS_NONE = 0,	/* not yet a record (before recommend) */
	DIPB_STATUS_DRAFT,
	DIPB_STATUS_IN_REVIEW,
	DIPB_STATUS_RETURNED,
	DIPB_STATUS_ENDORSED,
	DIPB_STATUS_SUBMITTED,
	DIPB_STATUS_DECIDED,
	DIPB_STATUS_WITHDRAWN,
	DIPB_STATUS__COUNT
};

enum dipb_priority {
	DIPB_PRIORITY_NONE = 0,
	DIPB_PRIORITY_HIGH,
	DIPB_PRIORITY_MEDIUM,
	DIPB_PRIORITY_LOW
};

enum dipb_verdict {
	DIPB_VERDICT_ENDORSE,
	DIPB_VERDICT_REQUEST_CHANGES,
	DIPB_VERDICT_OBJECT
};

enum dipb_action_state {
	DIPB_ACTION_OPEN,
	DIPB_ACTION_DONE,
	DIPB_ACTION_DROPPED
};

enum dipb_outcome {
	DIPB_OUTCOME_AGREED,
	DIPB_OUTCOME_NOTED,
	DIPB_OUTCOME_DEFERRED,
	DIPB_OUTCOME_DECLINED
};

/* Top-level keys, in canonical order. */
enum dipb_field {
	DIPB_F_ID,
	DIPB_F_TITLE,
	DIPB_F_WORKING_GROUP,
	DIPB_F_STATUS,
	DIPB_F_CLASSIFICATION,
	DIPB_F_PRIORITY,
	DIPB_F_CREATED,
	DIPB_F_UPDATED,
	DIPB_F_AUTHOR,
	DIPB_F_TOPICS,
	DIPB_F_SUMMARY,
	DIPB_F_RATIONALE,
	DIPB_F_ACTIONS,
	DIPB_F_REFERENCES,
	DIPB_F_REVIEWS,
	DIPB_F_REPLIES,
	DIPB_F_SUBMISSION,
	DIPB_F_DECISION,
	DIPB_F_WITHDRAWAL,
	DIPB_F__COUNT
};

/* A position in the file, 1-based; line 0 when unknown. */
struct dipb_pos {
	unsigned	line;
	unsigned	col;
};

/* The positions of a list's items, in order. */
struct dipb_itempos {
	struct dipb_pos	*v;
	size_t		 n;
};

/*
 * One move of an action's due date after the decision (dipb action
 * --due): an entry of the action's rescheduled list, dipb-record(5).
 */
struct dipb_reschedule {
	char			*from;		/* the date in force; NULL: none */
	char			*to;		/* the new due date */
	char			*date;		/* the day it was moved */
	char			*by;		/* email: who moved it */
	char			*reason;	/* Markdown */
	struct dipb_pos		 pos;
};

struct dipb_action {
	char			*text;
	char			*owner;
	char			*due;		/* optional; as decided */
	enum dipb_action_state	 state;
	struct dipb_reschedule	*rescheduled;	/* oldest first */
	size_t			 nrescheduled;
	struct dipb_pos		 pos;
	struct dipb_pos		 owner_pos;	/* owner's value (0: absent) */
};

/*
 * The due date in force of a: the last rescheduled entry's, else its due
 * (NULL when none).  Borrowed from a.
 */
const char *dipb_action_due(const struct dipb_action *a);

struct dipb_review {
	char			*reviewer;	/* email */
	char			*date;
	enum dipb_verdict	 verdict;
	char			*fingerprint;
	char			*comment;	/* optional Markdown */
	/*
	 * The record's classification when the review was written; NULL
	 * in a review older than the key (dipb-record(5)):
	 * dipb_board_review_rank() (board.h) says which level such a
	 * review has.
	 */
	char			*classification;
	struct dipb_pos		 pos;
	/* Of these keys' values, what their rules find at fault (0:
	 * absent). */
	struct dipb_pos		 reviewer_pos;
	struct dipb_pos		 fingerprint_pos;
	struct dipb_pos		 classification_pos;
};

/*
 * A drafter's answer to a reviewer's comment (dipb review --reply-to): the
 * review thread of dipb-record(5), "replies".
 */
struct dipb_reply {
	char			*by;		/* email: the drafter */
	char			*date;
	char			*to;		/* email: the reviewer answered */
	char			*text;		/* Markdown */
	struct dipb_pos		 pos;
};

struct dipb_submission {
	char	*date;
	char	*to;
	char	*reference;
};

struct dipb_decision {
	char			*date;
	enum dipb_outcome	 outcome;
	char			*note;		/* optional Markdown */
};

/* Set by withdraw: the withdrawal field of dipb-record(5). */
struct dipb_withdrawal {
	char	*date;
	char	*by;		/* email */
	char	*reason;	/* Markdown */
};

/*
 * A field added here is added to src/cache_rec.c too (the records cache
 * keeps every field, and DIPB_CACHE_RECORD_FORMAT is raised), or a cached
 * record loses it.
 */
struct dipb_record {
	char			*id;
	char			*title;
	char			*working_group;
	enum dipb_status	 status;
	char			*classification;
	enum dipb_priority	 priority;	/* NONE when absent */
	char			*created;
	char			*updated;	/* optional */
	char			*author;	/* email */
	struct dipb_strlist	 topics;
	/* Where each item of topics and references was read, when the
	 * record was loaded (n 0 otherwise, or when built). */
	struct dipb_itempos	 topics_at;
	char			*summary;	/* Markdown */
	char			*rationale;	/* optional Markdown */
	struct dipb_action	*actions;
	size_t			 nactions;
	struct dipb_strlist	 references;
	struct dipb_itempos	 references_at;
	struct dipb_review	*reviews;
	size_t			 nreviews;
	struct dipb_reply	*replies;	/* oldest first */
	size_t			 nreplies;
	struct dipb_submission	*submission;	/* optional */
	struct dipb_decision	*decision;	/* optional */
	struct dipb_withdrawal	*withdrawal;	/* optional */

	/* Where each top-level key stood in the loaded file, where its
	 * value did (what the board's rules find at fault, dipb-record(5),
	 * DIAGNOSTICS), and where the record's mapping did (its first key:
	 * a missing key's place); line 0 when absent. */
	struct dipb_pos		 pos[DIPB_F__COUNT];
	struct dipb_pos		 vpos[DIPB_F__COUNT];
	struct dipb_pos		 at;
};

void	 dipb_record_init(struct dipb_record *);
void	 dipb_record_release(struct dipb_record *);
/* Releases and frees r; NULL is fine. */
void	 dipb_record_free(struct dipb_record *);
/*
 * Adds rv to r, which takes its strings, in place of the same reviewer's
 * earlier review (emails compare without regard to case), at the end:
 * what dipb review and sync's replay of a review do (dipb-record(5)).
 */
void	 dipb_record_put_review(struct dipb_record *r, struct dipb_review *rv);
/* Deep copy of src into dst (dst is initialised first). */
void	 dipb_record_copy(struct dipb_record *dst, const struct dipb_record *src);

/* Flags of dipb_record_load. */
#define DIPB_LOAD_INPUT	0x1	/* a --from file: see below */
#define DIPB_LOAD_STRICT 0x2	/* what a user just wrote: see below */

/*
 * Parses a record file (buf, len bytes; need not be NUL-terminated) into
 * out, which must be initialised.  With DIPB_LOAD_INPUT the file is what a
 * drafter hands to 'dipb recommend --from': only the drafter's fields
 * (title, working_group, classification, priority, topics, summary,
 * rationale, actions, references) are allowed and none is required.  Every problem found is added to diags
 * with path and position: YAML syntax, hostile input (size, depth,
 * anchors, aliases, tags, merge keys, several documents, duplicate keys,
 * invalid UTF-8, NUL), types, enum values, required fields, dates,
 * unknown keys: warnings, but errors with DIPB_LOAD_INPUT or
 * DIPB_LOAD_STRICT (an edit), whose text would be dropped unread
 * (dipb-recommend(1), --from).  Board-dependent rules are validate.c's.
 * Returns 0 when no error (warnings allowed) was added, -1 otherwise;
 * out holds whatever could be read either way.
 */
int	 dipb_record_load(struct dipb_record *out, const char *path,
	    const char *buf, size_t len, int flags, struct dipb_diags *diags);

/*
 * Appends the canonical YAML form of r to out: fixed key order, block
 * scalars for Markdown, no anchors, aliases or tags, trailing newline.
 * Loading the output gives back r; emitting a loaded canonical file gives
 * the same bytes.
 */
void	 dipb_record_emit(const struct dipb_record *r, struct dipb_buf *out);
/*
 * The drafter's fields of r (those of the fingerprint, below), canonical:
 * what the fingerprint hashes, and what dipb diff compares.
 */
void	 dipb_record_emit_drafted(const struct dipb_record *r,
	    struct dipb_buf *out);

/*
 * The fingerprint of what the drafter wrote (title, working_group,
 * classification, priority, topics, summary, rationale, the text, owner
 * and due date of each action, references): DIPB_FINGERPRINT_LEN
 * lowercase hex digits of the git blob id of their canonical form (the
 * SHA-1 of a "blob <size>" header, NUL and the text; dipb-record(5)),
 * then NUL.
 */
void	 dipb_record_fingerprint(const struct dipb_record *r,
	    char out[DIPB_FINGERPRINT_LEN + 1]);

/* 1 if p is a record id prefix: ^[A-Z][A-Z0-9]{0,7}$ (NULL: 0). */
int	 dipb_id_prefix_valid(const char *p);
/* 1 if id matches ^[A-Z][A-Z0-9]{0,7}-[0-9]{4,}$ and is at most DIPB_MAX_ID. */
int	 dipb_id_valid(const char *id);
/*
 * Splits a valid id: prefix (NUL-terminated, at most 8 characters) and
 * its number.  Returns -1 for an invalid id or a number that overflows.
 */
int	 dipb_id_split(const char *id, char prefix[9], unsigned long *num);

/*
 * A dipb tag's name, "<record>/<N>-<event>" (dipb-git(7), "Tags of another
 * form"): record an id, "board" or "meeting"; N from 1 to DIPB_TAG_MAX_N
 * in decimal, without a sign or leading zeros; event lowercase letters
 * and '-'.  A tag of any other name is none of dipb's: verify does not
 * judge it, log does not show it, and it numbers no change.
 */
#define DIPB_TAG_MAX_N		999999999UL

/*
 * N of the len bytes at s when they are what follows "<record>/" in a
 * dipb tag's name, "<N>-<event>", with *event the event's offset in s;
 * 0 when they are of another form.
 */
unsigned long dipb_tag_suffix(const char *s, size_t len, size_t *event);

/*
 * N of the len bytes at name when they are a dipb tag's whole name, with
 * *rlen the record's length and *event the event's offset in name; 0
 * when they are of another form.
 */
unsigned long dipb_tag_parse(const char *name, size_t len, size_t *rlen,
	    size_t *event);

/*
 * dipb_tag_parse with any event that holds no '/' (IC-0001/7-Decided): a
 * name that reads as a change's, which dipb verify judges as one (a
 * tag no change claims), though no command counts it.
 */
unsigned long dipb_tag_shape(const char *name, size_t len, size_t *rlen,
	    size_t *event);

/*
 * The N of record's next tag, one more than highest, the highest N of its
 * tags of dipb's form (0: none); an error when that would pass
 * DIPB_TAG_MAX_N.
 */
const struct dipb_error *dipb_tag_next(unsigned long *next,
	    unsigned long highest, const char *record);

/*
 * The command that puts tag (and tag2, unless NULL) back where remote has
 * it, a tag moved here by hand (dipb-verify(1), tag-moved): 'git fetch
 * --force REMOTE tag TAG +refs/tags/TAG:refs/dipb/remote/REMOTE/tags/TAG',
 * each word shell-quoted (dipb_sh_quote): the second refspec keeps dipb
 * sync's copy of the remote's tags as fetched, which a refusal reads
 * (dipb-git(7), "Tags of another form").  Caller frees.
 */
char	*dipb_tag_refetch(const char *remote, const char *tag,
	    const char *tag2);

/*
 * Where a board keeps its records (dipb-board(5), "layout"): flat, every
 * record in recommendations/ itself (recommendations/IC-0150.yaml), or
 * sharded, a folder for each working group's prefix and one in it for
 * each hundred of its numbers, named by the number's digits but the last
 * two (recommendations/IC/01/IC-0150.yaml, IC/123/IC-12345.yaml), so that
 * a change rewrites three small trees instead of one the size of the
 * board.
 */
enum dipb_layout {
	DIPB_LAYOUT_FLAT,
	DIPB_LAYOUT_SHARDED
};

const char *dipb_layout_name(enum dipb_layout);
int	 dipb_layout_parse(const char *, enum dipb_layout *out);

/* The path of record id in layout, from the top; caller frees. id must be
 * valid. */
char	*dipb_record_path_in(enum dipb_layout, const char *id);

/*
 * 1 when the len bytes at path (from the top of the board) name a record
 * file, by the one rule that validate's scan of the working tree, the
 * readers of the records at the tip and in the history, the records cache
 * and verify share (dipb-record(5)): a name ending in .yaml, whatever it
 * is before (a dotfile too: never passed over), in recommendations/ or in
 * a folder below it, DIPB_RECORD_DEPTH folders deep at most; else 0.
 * Whether it is a regular file is the reader's to say (a link is reported,
 * never read); whether it is where a layout keeps a record is
 * dipb_record_path_parse's.
 */
int	 dipb_record_file(const char *path, size_t len);

/*
 * When the len bytes at path are where a record lives in one of the
 * layouts ("recommendations/IC-0150.yaml", or
 * "recommendations/IC/01/IC-0150.yaml" in the right shard), copies its id
 * to id, sets *layout (may be NULL) and returns 0; returns -1 for any
 * other path, a record in the wrong shard included.
 */
int	 dipb_record_path_parse(const char *path, size_t len,
	    char id[DIPB_MAX_ID + 1], enum dipb_layout *layout);

/*
 * How many folders deep below recommendations/ its files are read: every
 * regular *.yaml file of every folder down to this depth is a record file,
 * wherever it lies, for a file out of its layout's place to be reported
 * [record-path] (dipb-record(5)) and never passed over.  A folder deeper
 * still is not read: an error of validate and verify, passed over by the
 * readers of the records.
 */
#define DIPB_RECORD_DEPTH	16

const char *dipb_status_name(enum dipb_status);
int	 dipb_status_parse(const char *, enum dipb_status *out);
const char *dipb_priority_name(enum dipb_priority);
int	 dipb_priority_parse(const char *, enum dipb_priority *out);
const char *dipb_verdict_name(enum dipb_verdict);
int	 dipb_verdict_parse(const char *, enum dipb_verdict *out);
const char *dipb_action_state_name(enum dipb_action_state);
int	 dipb_action_state_parse(const char *, enum dipb_action_state *out);
const char *dipb_outcome_name(enum dipb_outcome);
int	 dipb_outcome_parse(const char *, enum dipb_outcome *out);
const char *dipb_field_name(enum dipb_field);

#endif /* DIPB_RECORD_H */

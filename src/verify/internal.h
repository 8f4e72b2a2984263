/*
 * verify/internal.h - what the files of src/verify/ share, and nothing
 * else includes: the state of a replay (struct verify) and the functions
 * one file offers the others.  The rules are dipb-verify(1)'s.
 *
 *	verify.c	dipb_verify: the refs read, the history walked
 *			(from a checkpoint when one fits), replayed and
 *			judged; a finding; what the replay knows of a record
 *	rules.c		the rules, by name (dipb_verify_rules)
 *	history.c	the walk of the first-parent history, the commits'
 *			trailers, what the walk keeps of them in bounded
 *			memory (v->hist), the window of commits held whole
 *	records.c	what a commit changes (its trees compared), the
 *			records and dipb.yaml it leaves, loaded ahead
 *	replay.c	each commit judged by what it changes (state changes,
 *			board, meetings, migrations, plain commits), a
 *			stretch of history at a time
 *	fields.c	a record's state change: move, role, quorum, reviews,
 *			the fields its event may change, classification; a
 *			change of dipb.yaml: what dipb writes of it
 *	subject.c	a state change's subject: the one dipb writes
 *	tags.c		the tags: read, claimed by their changes, the others
 *			judged
 *	sign.c		signatures, checked on checker threads beside the
 *			replay, and whose keys they are
 *	ckpt.c		checkpoints of the replay's state (checkpoint.h)
 */
#ifndef DIPB_VERIFY_INTERNAL_H
#define DIPB_VERIFY_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "../board.h"
#include "../checkpoint.h"
#include "../error.h"
#include "../hashmap.h"
#include "../idtab.h"
#include "../record.h"
#include "../repo.h"
#include "../spill.h"
#include "../util.h"
#include "../state.h"
#include "../verify.h"

/*
 * The checkpoints: <git dir>/dipb/verify/<commit>, in a shared repository
 * dipb/users/<uid>/verify/<commit> (ckpt.c; dipb-verify(1)).
 */
#define CKPT_DIR	"verify"
/*
 * The replay's stretch of history: the commits whose records are loaded
 * at once (records.c), and half the window of commits held whole
 * (history.c).
 */
#define LOAD_CHUNK	1024
/* The threads that load records, and those that check signatures. */
#define MAX_THREADS	8

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
	 * replay (dipb_vfy_load_records). */
	struct dipb_object *blob;
	struct dipb_record *rec;	/* NULL: deleted, or does not load */
	char		*why;		/* why rec is NULL */
	/* rec holds a control character in a field, whether or not the
	 * record before the change held it (dipb_vfy_parse_change): the
	 * replay then says which the change adds. */
	int		 controls;
};

struct changes {
	struct change	*v;
	size_t		 n;
	size_t		 cap;
};

/*
 * A signature of a state change's commit or tag, read ahead of the replay
 * and checked by checker threads beside it (dipb_vfy_read_signatures); the replay
 * judges whose key it is (dipb_vfy_check_signing).
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
	/* What is checked, until it is (dipb_vfy_sig_new: one allocation, payload
	 * first). */
	const char	*text;		/* the armored signature */
	size_t		 textlen;	/* its length: a NUL may end it */
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
	/* A state change's subject, as dipb log shows it, read for the
	 * window only (dipb_vfy_check_subject); NULL otherwise. */
	char		*subject;
	struct changes	 chs;		/* while replayed */
	/* Who signed and who says they made it (dipb_vfy_check_signing). */
	const char	*committer;	/* email, cleaned (v->names) */
	const char	*tagger;	/* of its tag; NULL: no tag read
					 * (v->names) */
	const char	*tagname;	/* its tag's name (borrowed, or
					 * tagname_own) */
	char		*tagname_own;	/* its own tag's (struct walked) */
	/* The commit's signature and its tag's, NULL where unsigned: each
	 * its own allocation, which the checkers hold while the window of
	 * commits moves (dipb_vfy_window_drop). */
	struct sigcheck	*csig;
	struct sigcheck	*tsig;
	int		 csig_queued;	/* by the walk (walk_sig) */
	int		 sigs_done;	/* both checked (dipb_vfy_check_signing) */
};

/*
 * What the walk keeps of a commit of the history (dipb_vfy_walk): what
 * the replay needs of it but its signature and the paths it changes, in
 * 112 bytes (a struct commit takes 256, and a signature with what it
 * signs about a kilobyte): ids in binary, strings by their number in
 * v->namev.  And its own tag, when it has one: the one tag on a state
 * change, named after its record and event ("<record>/<N>-<event>"),
 * which nearly every tag of a board is.  Held here in 25 bytes, where a
 * struct tag and its name took 170, it is not in v->tags; a second tag
 * on the commit puts both there (tags.c).  They are kept in v->hist, an
 * array in bounded memory (spill.h), read and written by copy
 * (dipb_vfy_hist_get, dipb_vfy_hist_put).
 */
struct walked {
	unsigned char	 id[DIPB_OID_HEX / 2];
	unsigned char	 tree[DIPB_OID_HEX / 2];
	char		 date[11];
	unsigned char	 kind;		/* enum dipb_event_kind */
	unsigned char	 dipb;
	unsigned char	 is_signed;
	unsigned char	 nparents;	/* at most 255 */
	unsigned char	 tagged;	/* WT_* */
	uint32_t	 name;		/* v->namev's index + 1, 0: NULL, as
					 * the next five */
	uint32_t	 email;
	uint32_t	 record;
	uint32_t	 event;
	uint32_t	 status;
	uint32_t	 committer;
	uint32_t	 tag_n;		/* WT_OWN: its own tag's number */
	unsigned char	 tag_obj[DIPB_OID_HEX / 2];	/* WT_OWN: what the
					 * tag's ref names (the tag object) */
	uint32_t	 bad;		/* v->badv's index + 1: why its
					 * trailers are unusable; 0: they are
					 * not */
	uint32_t	 subject;	/* a state change's: its first entry
					 * of v->subjects + 1; 0: none;
					 * UINT32_MAX: read again from the
					 * commit (history.c, SUBJECT_KEPT) */
};

#define WT_OWN		0x01	/* its own tag is here, not in v->tags */
#define WT_ANNOTATED	0x02	/* WT_OWN: an annotated tag */
#define WT_MISNAMED	0x04	/* WT_OWN: of another name (struct tag) */
#define WT_CLAIMED	0x08	/* WT_OWN: its change's (dipb_vfy_check_tag) */
#define WT_OTHERS	0x10	/* v->tags has a tag on it */

/* One tag whose name has the form <record>/<N>-<event>. */
struct tag {
	char		*name;
	const char	*record;	/* (v->names, as event) */
	const char	*event;
	struct tag	*next;		/* on the same target */
	struct tag	*same_n;	/* of the same record and number */
	char		*extra;		/* before, unclaimed: its tag-extra
					 * finding's message */
	unsigned long	 n;
	char		 target[DIPB_OID_HEX + 1];	/* what it leads to */
	unsigned char	 obj[DIPB_OID_HEX / 2];	/* the tag object */
	unsigned char	 type;		/* enum dipb_object_type; NONE: none */
	/* Flags, a byte each: 128 bytes a tag, where ints took 176. */
	unsigned char	 annotated;
	unsigned char	 misnamed;	/* its tag object's 'tag' line names
					 * another tag (tag-name) */
	unsigned char	 claimed;	/* by a change of the branch */
	unsigned char	 reported;
	unsigned char	 elsewhere;	/* another branch has its commit */
	unsigned char	 before;	/* on a commit of the branch at or before
					 * the checkpoint (ckpt_apply) */
};

/*
 * A tag of tag_form's form met in step with the scan of every tag
 * (dipb_vfy_tags_scan), in byte order of the names: a loose one, now or as a
 * checkpoint found it, with the packed one of its name it overrides.
 */
struct side_tag {
	const char	*name;
	size_t		 len;
	const char	*hex;		/* NULL: a broken ref */
	const char	*shadowed;	/* NULL: none */
	char		 packed[DIPB_OID_HEX + 1];	/* shadowed's, read */
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
	/* The first error reading a tag's objects while the tags are
	 * listed (add_tag, in a callback): the listing's error. */
	const struct dipb_error	*tagerr;

	/* The first-parent history (dipb_vfy_walk): ncommits entries in
	 * the order walked, newest first; commit k of the history, oldest
	 * first, is entry ncommits - 1 - k (dipb_vfy_hist_get).  Its
	 * unusable commits' reasons, badv. */
	struct dipb_spill	 hist;
	size_t			 ncommits;
	/* The subjects of its state changes, as the walk read them
	 * (dipb_vfy_check_subject), up to SUBJECT_KEPT bytes: each in
	 * SUBJECT_CHUNK-byte entries that follow one another, its NUL in
	 * the last; nsubject used. */
	struct dipb_spill	 subjects;
	size_t			 nsubject;
	char			**badv;
	size_t			 nbad;
	size_t			 capbad;
	/* The commits [win_from, win_from + nwin) of the history made whole
	 * (dipb_vfy_window_to): the stretch replayed and those after it whose
	 * signatures the checkers verify meanwhile.  Any other is made from
	 * v->hist when a rule asks for it (dipb_vfy_commit_peek). */
	struct commit		*win;
	size_t			 win_from;
	size_t			 nwin;
	size_t			 capwin;
	/* The commits of v->hist by id (dipb_vfy_on_branch): open
	 * addressing, branch_cap slots of a uint32_t, an index + 1 (0:
	 * free), kept at most half full. */
	struct dipb_spill	 on_branch;
	size_t			 branch_cap;
	/* The commits' and tags' strings, one copy of each (dipb_vfy_intern),
	 * and the map from each to its index + 1. */
	char			**namev;
	size_t			 nnames;
	size_t			 capnames;
	struct dipb_hashmap	 names;
	size_t			 since;	/* the first checked */
	size_t			 cur;	/* the one replayed */

	struct tag		*tags;
	size_t			 ntags;
	size_t			 captags;
	struct dipb_idtab	 tag_targets;	/* the first tag of each
						 * target (dipb_vfy_tags_on) */
	struct dipb_hashmap	 tag_numbers;	/* "<record>/<N>" -> tags */
	int			 have_numbers;	/* tag_numbers is made */
	/* The tags as read under the lock (dipb_vfy_read_tags); v->tags holds them
	 * all but the changes' own (struct walked), or those a checkpoint
	 * leaves to judge (ckpt_apply), once tags_read is set. */
	struct dipb_tagsnap	*snap;
	int			 tags_read;
	/* The digest and number of packed-refs' tags, for the checkpoint
	 * at the tip (dipb_vfy_ckpt_write), from the same pass or the checkpoint
	 * that read the same file; its loose tags (dipb_vfy_loose_now). */
	char			 tags_digest[DIPB_OID_HEX + 1];
	size_t			 ntags_digest;
	struct side_tag		*lnow;
	size_t			 nlnow;
	int			 have_lnow;

	struct dipb_hashmap	 records;	/* id -> struct recstate */
	struct dipb_board	 board;
	int			 have_board;
	char			 board_blob[DIPB_OID_HEX + 1];

	/* The checkpoint the replay starts from ("": none). */
	char			 ckpt[DIPB_OID_HEX + 1];
	/* The digest of the shallow file the walk read ("": a whole
	 * clone), which a checkpoint is bound to (dipb_git_shallow_cut). */
	char			 shallow[DIPB_OID_HEX + 1];
	/* Its records, read as the replay meets them (dipb_vfy_recstate), until
	 * ck_all (dipb_vfy_ckpt_all); the text they are read from. */
	const struct dipb_checkpoint *ck;
	int			 ck_all;
	const char		*ckmap;
	size_t			 cklen;
	/* Where the history's findings start (dipb_vfy_ckpt_write). */
	size_t			 hist_from;
	char			 tip[DIPB_OID_HEX + 1];

	/* What the commit replayed last changed, from its trees. */
	struct dipb_treediff	*td;

	/* Signing (dipb_vfy_check_signing). */
	struct dipb_hashmap	 keys_seen;	/* "email\nkey" of every board */
	size_t			 auth_from;	/* index + 1: authenticated since */
	size_t			 unauth;	/* index + 1: latest that is not */
	int			 unauth_untagged; /* it: signed, no tag */
	struct checkers		*checkers;	/* the signatures' threads */
	size_t			 sigs_read;	/* commits whose signatures are */
	/* The signatures the walk queued (walk_sig), by distance from the
	 * tip, until their commit is read into the window. */
	int			 sigs_early;
	struct sigcheck		**early;
	size_t			 nearly;

	/* The first object git could not read but for a missing one (a
	 * corrupt repository: dipb_vfy_blob_read), the run's verdict. */
	const struct dipb_error	*broken;
};

/* verify.c */
void	 dipb_vfy_finding(struct verify *, const char *commit, const char *tag,
	    const char *path, const char *rule, const char *fmt, ...)
	    DIPB_PRINTF(6, 7);
struct recstate *dipb_vfy_recstate(struct verify *, const char *id);
void	 dipb_vfy_ckpt_all(struct verify *);
char	*dipb_vfy_record_path(const struct verify *, const char *id);
struct dipb_record *dipb_vfy_rs_rec(struct verify *, struct recstate *);
void	 dipb_vfy_changes_release(struct changes *);

/* rules.c */
int	 dipb_vfy_is_tag_rule(const char *rule);

/* history.c */
const char *dipb_vfy_intern(struct verify *, char *s);
void	 dipb_vfy_sigcheck_free(struct sigcheck *);
void	 dipb_vfy_commit_release(struct commit *);
const struct dipb_error *dipb_vfy_walk(struct verify *, const char *tip,
	    const struct dipb_hashmap *stops, const char *since);
const struct dipb_error *dipb_vfy_window_to(struct verify *, size_t to);
void	 dipb_vfy_window_drop(struct verify *, size_t from);
struct commit *dipb_vfy_commit_at(struct verify *, size_t k);
struct commit *dipb_vfy_commit_peek(struct verify *, size_t k,
	    struct commit *tmp);
size_t	 dipb_vfy_on_branch(struct verify *, const char *hex);
const char *dipb_vfy_name(const struct verify *, uint32_t k);
void	 dipb_vfy_hist_get(struct walked *, struct verify *, size_t k);
void	 dipb_vfy_hist_put(struct verify *, size_t k, const struct walked *);
const char *dipb_vfy_hist_hex(char out[DIPB_OID_HEX + 1], struct verify *,
	    size_t k);
void	 dipb_vfy_hist_init(struct verify *);
int	 dipb_vfy_hist_failed(const struct verify *);
/*
 * The error of a history cut before commit last: in a shallow clone, at
 * a commit the shallow file lists (git log's end) or a parent not here.
 * Judged whole or not at all: no finding for a cut.
 */
const struct dipb_error *dipb_vfy_cut_error(const char *last);
const struct dipb_error *dipb_vfy_hist_error(const struct verify *);
void	 dipb_vfy_hist_release(struct verify *);

/* records.c */
int	 dipb_vfy_is_blob_mode(unsigned mode);
char	*dipb_vfy_blob_read(struct dipb_object **out, struct verify *,
	    const struct change *, const char *id);
const struct dipb_error *dipb_vfy_commit_changes(struct changes *out,
	    struct verify *, const struct commit *);
int	 dipb_vfy_prepare_change(struct verify *, struct change *);
void	 dipb_vfy_parse_change(struct change *);
void	 dipb_vfy_load_records(struct change **todo, size_t n);
int	 dipb_vfy_load_board(struct dipb_board *out, struct verify *,
	    const struct change *, char **why);
void	 dipb_vfy_take_board(struct verify *, const struct change *);
void	 dipb_vfy_take_record(struct verify *, const struct commit *,
	    struct change *);

/* replay.c */
const struct dipb_error *dipb_vfy_replay(struct verify *);

/* fields.c */
int	 dipb_vfy_same_email(const char *, const char *);
void	 dipb_vfy_check_board(struct verify *, const struct commit *,
	    const char *path, const char *tag, const struct dipb_board *nb);
void	 dipb_vfy_check_record_change(struct verify *, const struct commit *,
	    struct change *, const char *tag);

/* subject.c */
struct dipb_subject;
/*
 * A finding (subject) unless c's subject is the one dipb writes for what
 * s says of the change (dipb_subject_pattern: a NULL string is a gap,
 * any non-empty text).
 */
void	 dipb_vfy_check_subject(struct verify *, const struct commit *c,
	    const char *tag, const char *path, const struct dipb_subject *s);
/* The same for record change c, from its record before (old: NULL when
 * not known) and after. */
void	 dipb_vfy_check_record_subject(struct verify *,
	    const struct commit *c, const char *tag, const char *path,
	    const struct dipb_record *old, const struct dipb_record *new);

/* tags.c */
const struct dipb_error *dipb_vfy_read_tags(struct verify *);
void	 dipb_vfy_tag_release(struct tag *);
const struct dipb_error *dipb_vfy_loose_now(struct verify *);
const struct dipb_error *dipb_vfy_tags_scan(struct verify *, int keep_all,
	    const struct dipb_hashmap *want, const struct dipb_checkpoint *,
	    int *same);
const struct dipb_error *dipb_vfy_tags_known(struct verify *,
	    const struct dipb_checkpoint *, const struct dipb_hashmap *want,
	    int *same);
void	 dipb_vfy_tags_index(struct verify *);
struct tag *dipb_vfy_tag_named(struct verify *, const char *name);
struct tag *dipb_vfy_tags_on(const struct verify *, const char *hex);
const struct dipb_error *dipb_vfy_tags_ready(struct verify *);
void	 dipb_vfy_tags_forget(struct verify *);
void	 dipb_vfy_check_tag(struct verify *, const struct commit *,
	    struct recstate *, const char *path);
int	 dipb_vfy_own_tag(struct tag *out, struct verify *, size_t k);
const struct tag *dipb_vfy_change_tag(struct verify *,
	    const struct commit *, size_t k, struct tag *own);
char	*dipb_vfy_extra_msg(struct verify *, const struct tag *, size_t k);
const struct dipb_error *dipb_vfy_check_other_tags(struct verify *);

/* sign.c */
struct sigcheck *dipb_vfy_sig_new(const char *sig, size_t n,
	    const char *payload, size_t paylen, size_t depth);
int	 dipb_vfy_take_signed(struct verify *, struct commit *, size_t k);
void	 dipb_vfy_remember_keys(struct verify *, const struct dipb_board *);
void	 dipb_vfy_checkers_queue(struct verify *, struct sigcheck **todo,
	    size_t n);
void	 dipb_vfy_sig_wait(struct verify *, struct sigcheck *);
void	 dipb_vfy_checkers_stop(struct verify *);
void	 dipb_vfy_read_signatures(struct verify *, size_t from, size_t to);
void	 dipb_vfy_check_signing(struct verify *, struct commit *,
	    const struct change *own, const char *tag, const char *path);
void	 dipb_vfy_signing_note(struct verify *);

/* ckpt.c */
void	 dipb_vfy_ckpt_findings(struct verify *,
	    const struct dipb_checkpoint *);
const struct dipb_error *dipb_vfy_ckpt_load(struct dipb_checkpoint *,
	    struct verify *);
void	 dipb_vfy_ckpt_write(struct verify *);

#endif

/*
 * session.h - what every command that reads or changes records shares:
 * the board at the tip, the acting identity, loading a record, and making
 * one state change (record -> canonical YAML -> one commit and one tag).
 *
 * A writing command runs (change.h does it for the moves of existing
 * records):
 *
 *	dipb_session_begin(&s, repo, retries);	identity, lock, board
 *	dipb_session_prepare(&rec, &s, id, move); record, role, status
 *	... change rec ...
 *	dipb_session_move(&tag, &s, &rec, move, from, subject, body);
 *	print tag and s.diags on stderr
 *	dipb_session_end(&s);			always
 *
 * session.c prints nothing: the diagnostics of a bad file are left in
 * s.diags and the tag's name is returned, for the command to print.
 */
#ifndef DIPB_SESSION_H
#define DIPB_SESSION_H

#include "board.h"
#include "cache.h"
#include "diag.h"
#include "record.h"
#include "repo.h"
#include "state.h"

struct dipb_session {
	struct dipb_repo		*repo;		/* borrowed */
	struct dipb_board		 board;
	struct dipb_identity		 who;		/* name set by begin */
	char				 today[11];	/* who's date */
	const struct dipb_member	*member;	/* NULL: not a member */
	int				 locked;
	int				 has_who;
	/* 1: this session's changes must be signed (dipb_session_signing),
	 * known once sign_checked is 1: by dipb_session_allow, at the
	 * latest by the first commit. */
	int				 sign;
	int				 sign_checked;
	/* NULL, or the working file committed as the command read it (dipb
	 * edit --no-edit): struct dipb_change's from_worktree. */
	const struct dipb_buf		*from_worktree;
	/* Of a file that failed to load or check (DIPB_ERR_INVALID), sorted;
	 * the command prints them (dipb_diags_print) before the error. */
	struct dipb_diags		 diags;
};

/*
 * Read-only: loads dipb.yaml at the tip into s->board.  An invalid board
 * file gives DIPB_ERR_INVALID, its diagnostics in s->diags.
 */
const struct dipb_error *dipb_session_open(struct dipb_session *s,
	    struct dipb_repo *repo);
/*
 * For writing commands: reads the identity first (no lock is taken for
 * someone who cannot act), then takes the lock, loads the board.  Whether
 * the changes must be signed (dipb_session_signing), checked against the
 * configuration (dipb_repo_check_sign), is judged by dipb_session_allow
 * once the acting identity may make the move (a non-member is told that
 * first), and before anything is written.
 */
const struct dipb_error *dipb_session_begin(struct dipb_session *s,
	    struct dipb_repo *repo, int retries);
/*
 * dipb_session_begin refuses an acting member whose name in dipb.yaml
 * holds a '<' or '>' (dipb-board(5), name), DIPB_ERR_INVALID at its
 * line; this one, for dipb edit --board, lets them mend it, their
 * commit made under the name of their git identity, else their email.
 */
const struct dipb_error *dipb_session_begin_board(struct dipb_session *s,
	    struct dipb_repo *repo, int retries);
/* Unlocks and releases s, s->diags too: print them before. */
void	 dipb_session_end(struct dipb_session *s);

/*
 * Loads record id at the tip into out (initialised).  An id that is not a
 * record id is DIPB_ERR_BAD_ID (before any path is made of it), a missing
 * record DIPB_ERR_NOT_FOUND, a bad file DIPB_ERR_INVALID with its
 * diagnostics in s->diags.
 */
const struct dipb_error *dipb_session_load(struct dipb_record *out,
	    struct dipb_session *s, const char *id);

/*
 * The refusal of path's uncommitted change of a kind no edit commits
 * (dipb_repo_path_dirty): its mode alone (DIPB_DIRTY_MODE), to drop with
 * git checkout; what was staged alone (DIPB_DIRTY_STAGED), to unstage
 * with git restore --staged.  NULL for any other dirty.  The message
 * names the file shown (path, or as the user would open it), its command
 * path as an argument from where dipb runs.
 */
const struct dipb_error *dipb_session_not_an_edit(const struct dipb_repo *,
	    const char *path, const char *shown, int dirty);

/*
 * DIPB_ERR_DIRTY when the file of record r (as at the tip) has uncommitted
 * changes, saying to commit them with dipb edit --no-edit where r's status
 * allows an edit, else to drop them with git checkout (a change no edit
 * commits: dipb_session_not_an_edit); first whatever
 * dipb_repo_check_change() refuses for it, and
 * dipb_session_check_present()'s refusal.
 */
const struct dipb_error *dipb_session_check_clean(struct dipb_session *s,
	    const struct dipb_record *r);
/*
 * DIPB_ERR_DIRTY when the working file of path (a record's, dipb.yaml) is
 * missing or a folder: no dipb change commits that, and git puts the file
 * back.
 */
const struct dipb_error *dipb_session_check_present(struct dipb_session *s,
	    const char *path);

/*
 * Checks that the acting identity may make move on r (r NULL and wg for a
 * new record) and that move is allowed from r's status; then, the first
 * time, that the session's changes can be signed as they must be
 * (dipb_session_begin).
 */
const struct dipb_error *dipb_session_allow(struct dipb_session *s,
	    enum dipb_move move, const struct dipb_record *r, const char *wg);

/*
 * The start of every change to an existing record: loads id, checks that
 * the acting identity may make move (DIPB_ERR_DENIED) and that the move is
 * allowed from its status (DIPB_ERR_TRANSITION), and that the record's
 * file has no uncommitted changes (DIPB_ERR_DIRTY).
 */
const struct dipb_error *dipb_session_prepare(struct dipb_record *out,
	    struct dipb_session *s, const char *id, enum dipb_move move);

/*
 * Writes r (canonical) as one commit and tag for event, moving from status
 * from to r->status; subject and body (optional) as in repo.h.  *out is
 * the tag's name, which dipb-workflow(7) says is printed on standard
 * error; the caller prints and frees it.  A record that dipb would refuse
 * to load, or with a control character the change adds, is not written
 * (dipb_session_check_emitted): DIPB_ERR_INVALID, its diagnostics in
 * s->diags.  A bidirectional control the change adds is written, with a
 * warning in s->diags (dipb-validate(1), bidi).
 */
const struct dipb_error *dipb_session_commit(char **out,
	    struct dipb_session *s, const struct dipb_record *r,
	    enum dipb_event_kind event, enum dipb_status from,
	    const char *subject, const char *body);

/*
 * The check dipb_session_commit makes of yaml, record path emitted: it
 * loads, passes dipb validate's rules that a later dipb.yaml cannot
 * break (validate.h) against board b, and holds no control character
 * that record was (the record before the change, as the tip has it;
 * NULL or empty for a new one) did not hold in the same field
 * (dipb_validate_controls); else DIPB_ERR_INVALID, its diagnostics moved
 * to out.  With bidi, a record it passes gets in out a warning for each
 * field written with a value was did not have there that holds a
 * bidirectional control (dipb_validate_bidi, dipb-validate(1)): said once,
 * by the commit (dipb_session_commit).  dipb sync's replay makes it too,
 * without.
 */
const struct dipb_error *dipb_session_check_emitted(struct dipb_diags *out,
	    const struct dipb_board *b, const char *path,
	    const struct dipb_buf *yaml, const struct dipb_record *was,
	    int bidi);

/*
 * The checks of dipb_session_check_emitted on r as loaded from the bytes
 * the user wrote at path (a record's working file, dipb edit's copy, a
 * draft), with the positions of that parse, so that each problem is said
 * at its line there as dipb validate says it, all of them at once: the
 * rules of validate.h that a later dipb.yaml cannot break against board
 * b (flags added to DIPB_VALIDATE_STABLE: DIPB_VALIDATE_COPY for a copy),
 * the control characters and the owners that r adds to was (NULL: none).
 * The commands run them on what the user wrote before they make the
 * change, whose canonical form is then checked again; r may be partly
 * loaded (what the loader could not read is skipped).  Returns the
 * number of errors, added to diags with the warnings found with them
 * (none when there is none).
 */
size_t	 dipb_session_check_record(struct dipb_diags *diags,
	    const struct dipb_board *b, const char *path,
	    const struct dipb_record *r, const struct dipb_record *was,
	    int flags);

/*
 * The end of every move of a record: sets r->status to where move takes
 * it from status from, with r as changed (dipb_state_next: an endorsement
 * that reaches the quorum makes it endorsed), and writes it as that row's
 * event with dipb_session_commit.
 */
const struct dipb_error *dipb_session_move(char **out,
	    struct dipb_session *s, struct dipb_record *r, enum dipb_move,
	    enum dipb_status from, const char *subject, const char *body);

/* Writes dipb.yaml (bytes as given) as a board change; *out as above. */
const struct dipb_error *dipb_session_commit_board(char **out,
	    struct dipb_session *s, const char *data, size_t len,
	    enum dipb_event_kind event, const char *subject);
/*
 * dipb migrate's change (migrate.h): dipb.yaml as m gives it and every
 * move of m, as one commit and tag board/<N>-migrated; *out as above.
 * A record with uncommitted changes (or a file in the way of a new path)
 * is DIPB_ERR_DIRTY, before anything is written.
 */
struct dipb_migration;
const struct dipb_error *dipb_session_commit_migrate(char **out,
	    struct dipb_session *s, const struct dipb_migration *m,
	    const char *subject, const char *body);
/*
 * Commits a meeting's file path (meetings/<date>.yaml, meeting.h) with
 * data as its one change: Dipb-Record: meeting, Dipb-Event: held, tag
 * meeting/<N>-held (dipb-record(5), "MEETINGS").
 */
const struct dipb_error *dipb_session_commit_meeting(char **out,
	    struct dipb_session *s, const char *path, const char *data,
	    size_t len, const char *subject, const char *body);

/*
 * The name a change's subject gives its acting member ("IC-0003: endorsed
 * by NAME"): the board's name for them, whatever name git was given
 * (GIT_AUTHOR_NAME, user.name), so that the audit trail never names one
 * member for another's change; git's name for someone not on the board;
 * their email for a member whose name holds a '<' or '>'
 * (dipb_session_begin_board).
 */
const char *dipb_session_actor(const struct dipb_session *);

/*
 * Whether a change by member m (NULL: not a member) to board b must be
 * signed, b as of the change's parent (dipb-board(5), "Signing"): *sign
 * is 1 when the board requires it or m has keys (else anyone could act
 * as m unsigned).  The configuration may ask for more (commit.gpgSign,
 * tag.gpgSign: repo.h's struct dipb_change).  A member without a key on
 * a board that requires signing cannot act: DIPB_ERR_DENIED, saying how
 * to get a key listed.
 */
const struct dipb_error *dipb_session_signing(int *sign,
	    const struct dipb_board *b, const struct dipb_member *m);
/*
 * The warning of every change to a board that lists no keys, given to
 * the repository's warnings (dipb_repo_warn) when b has none; a change of
 * dipb.yaml is judged by the board it leaves (dipb-board(5)).
 */
void	 dipb_session_warn_unsigned(struct dipb_repo *repo,
	    const struct dipb_board *b);

/*
 * Parses an id argument: DIPB_ERR_BAD_ID unless it matches the id
 * pattern.
 */
const struct dipb_error *dipb_check_id(const char *id);

/*
 * The records that list, todo and report take: those that load and pass
 * validate's stable rules against board (set by the caller).
 * dipb_records_add is the callback of dipb_repo_each_record_walk and
 * dipb_history_each_record; a record left out (a symbolic link or a
 * gitlink, recommendations/ committed as one, a file
 * that does not load or is invalid) is counted in invalid and its
 * diagnostics moved to diags, which the command prints.
 */
struct dipb_records {
	const struct dipb_board	*board;
	struct dipb_record	*v;
	size_t			 n;
	size_t			 cap;
	size_t			 invalid;
	struct dipb_diags	 diags;
	/*
	 * How much of each record dipb_records_read needs to fill in
	 * (cache.h: DIPB_CACHE_ALL, as initialised, or less): a record
	 * from the cache may hold no more.
	 */
	enum dipb_cache_part	 want;
	/*
	 * Optional: given each record taken before it is added to v, with
	 * take_arg; 1 when it took r (then r is its to release: the
	 * records of a large board need not all be kept whole), 0 to have
	 * it added.
	 */
	int			(*take)(struct dipb_record *r, void *arg);
	/*
	 * Optional, with want DIPB_CACHE_HEAD: given, in place of take, the
	 * head of each record when the cache has them all (cache.h,
	 * dipb_cache_heads), so that no record is made; they come in the
	 * order of dipb_records_sort, and sorted is set.
	 */
	void			(*take_head)(const struct dipb_cache_head *h,
				    void *arg);
	void			*take_arg;
	int			 sorted;
	/*
	 * dipb_records_read's: the cache, the blob id being read, the tree
	 * of recommendations/, and whether a record of the walk was not
	 * taken from the cache or put in it, taken.
	 */
	struct dipb_cache	*cache;
	char			 blob[DIPB_OID_HEX + 1];
	char			 root[DIPB_OID_HEX + 1];
	int			 unclean;
};

const struct dipb_error *dipb_records_add(const char *path, const char *data,
	    size_t len, const char *link, void *records);
/*
 * The tip's records into l (board set), as dipb_repo_each_record with
 * dipb_records_add gives them, through the cache of parsed records
 * (cache.h): a record whose blob is unchanged since an earlier call is
 * neither inflated nor parsed again, nor checked again while the board
 * is the same, and a folder of recommendations/ whose tree is unchanged
 * is not read again.
 */
const struct dipb_error *dipb_records_read(struct dipb_records *,
	    struct dipb_repo *);
/* Sorts by id: prefix, then number (IC-9999 before IC-10000). */
void	 dipb_records_sort(struct dipb_records *);
/*
 * The same order for any array: n items of size bytes at v, the id of
 * each (not NULL) given by id(item, arg); two of one id stay in the
 * order they came.
 */
void	 dipb_sort_by_id(void *v, size_t n, size_t size,
	    const char *(*id)(const void *item, void *arg), void *arg);
void	 dipb_records_release(struct dipb_records *);

/* Parses the argument of --retry: DIPB_ERR_USAGE unless 0..1000. */
const struct dipb_error *dipb_parse_retry(int *out, const char *arg);

/*
 * Adds arg, the text of one -m, to *text (allocated; NULL before the
 * first -m): every -m after the first a paragraph of its own, as git
 * commit joins them (git-commit(1): "If multiple -m options are given,
 * their values are concatenated as separate paragraphs"), so that none
 * is dropped.  One -m stays as given.
 */
void	 dipb_message_add(char **text, const char *arg);

/*
 * Reads a message: text (given as option opt, "-m" or another, which an
 * error names), or the contents of file ("-": stdin), ending in
 * a newline, its CRLF line ends made LF; NULL when it holds blanks only.
 * A UTF-8 byte order mark at the start of file is dropped, as a YAML
 * file's is: no part of the text, and not counted in a column.  A file
 * that is no UTF-8 text (a byte that is none, a NUL) is reported to diags
 * at that byte's line and column [encoding] and DIPB_ERR_INVALID is
 * returned, *out NULL; the caller prints diags (dipb_cmd_read_message).
 * diags may be NULL when file is.
 */
const struct dipb_error *dipb_read_message(char **out, const char *opt,
	    const char *text, const char *file, struct dipb_diags *diags);

/*
 * Adds to used the classification levels in use at the tip: those of the
 * records and of their reviews (dipb-board(5), "CLASSIFICATIONS").  A
 * record that does not load whole still gives what could be read; a
 * record committed as a symbolic link gives nothing.
 */
const struct dipb_error *dipb_session_levels_used(struct dipb_strlist *used,
	    struct dipb_repo *repo);

#endif /* DIPB_SESSION_H */

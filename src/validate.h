/*
 * validate.h - the rules of dipb-validate(1) that go beyond reading one
 * file, which are yaml_load.c's and board.c's: a record against its file
 * name and its board, the board's own consistency, and ids across files
 * (dipb-validate(1), RULES).
 *
 * Pure: no I/O.  Every problem is added to a struct dipb_diags with the
 * position the loader recorded and the rule's name, which dipb-validate(1)
 * documents.  The checks skip what the loader could not read (NULL
 * strings, DIPB_STATUS_NONE), so a file the loader already refused gets no
 * follow-on noise.
 */
#ifndef DIPB_VALIDATE_H
#define DIPB_VALIDATE_H

#include <stddef.h>

#include "board.h"
#include "diag.h"
#include "record.h"

/* Which rules dipb_validate_record() applies. */
#define DIPB_VALIDATE_ALL	0x0
/*
 * Leaves out the rules that a later change of dipb.yaml can break in a
 * record that was valid when it was written (author and reviewers being
 * members with their roles, the quorum of an endorsed record): the other
 * commands load records with this flag, so that a member leaving the
 * board does not lock their records away.  dipb validate checks them,
 * and control characters in fields, which the commands show as '?' and
 * the writing commands refuse in what they write
 * (dipb_validate_controls).
 */
#define DIPB_VALIDATE_STABLE	0x1
/*
 * Leaves out the file-name rule: path is a copy of the record's file
 * under another name (dipb edit's copy in .git/dipb/drafts/,
 * dipb-edit(1)), checked so that each problem is said at its line there.
 */
#define DIPB_VALIDATE_COPY	0x2

/*
 * Checks r, loaded from path (NULL: no file-name rule), against board b
 * (NULL: only the rules that need no board):
 *
 *	file-name	the id is the file's name without .yaml
 *	fingerprint	8 lowercase hexadecimal digits
 *	date-order	'updated' not before 'created' (a warning)
 *	due		an open action of a decided record not due before
 *			the decision (a warning)
 *	self-review	no review by the author
 *	duplicate-review one review per reviewer
 *	status		a returned record has a review that is not an
 *			endorsement, an endorsed one the
 *			board's quorum of counting endorsements (board)
 *	submission	present iff submitted or decided
 *	decision	present iff decided
 *	withdrawal	present iff withdrawn
 *	working-group	known to the board (board)
 *	id-prefix	the id's prefix is its working group's (board)
 *	classification	the record's and its reviews' known to the board
 *			(board)
 *	member		author, reviewers and the owners of actions
 *			written as an email address are members (board)
 *	reviewer-role	reviewers hold the reviewer role (board)
 *	control-character no control character in a field: none in a
 *			single-line one, none but '\n' and '\t' in a
 *			Markdown one (not with DIPB_VALIDATE_STABLE)
 *
 * Returns the number of errors added.
 */
size_t	 dipb_validate_record(struct dipb_diags *diags, const char *path,
	    const struct dipb_record *r, const struct dipb_board *b,
	    int flags);

/*
 * The keys a draft must hold for dipb recommend --from (dipb-recommend(1)):
 * an error [required] for each it lacks, at path and the record's mapping
 * (r->at, as a record's missing key), unless the load that
 * gave r (DIPB_LOAD_INPUT, its result load_rc) failed having read no key
 * at all, which is reported once already.  Returns the errors added.
 */
size_t	 dipb_validate_draft_needed(struct dipb_diags *diags,
	    const char *path, const struct dipb_record *r, int load_rc);

/*
 * [control-character] of dipb_validate_record alone, leaving out each
 * value that record was (NULL: none), r before a change, held in the same
 * field: what a change adds.  A writing command refuses what it would
 * write with one (dipb-validate(1), control-character), dipb verify
 * reports a state change that adds one (dipb-verify(1), record-invalid),
 * and a record that already held one, from before dipb refused it or
 * from a commit made with git, can still move.  line is what a
 * single-line field may hold (text.h, dipb_text_find_control):
 * DIPB_TEXT_LINE for what is written now, DIPB_TEXT_LINE_OLD for what
 * dipb verify reads of history, where older versions of dipb wrote the
 * line and paragraph separators.  Returns the number of errors added.
 */
size_t	 dipb_validate_controls(struct dipb_diags *diags, const char *path,
	    const struct dipb_record *r, const struct dipb_record *was,
	    int line);

/*
 * [bidi] of dipb_validate_record, a warning, for the fields of r that
 * hold a bidirectional control and whose value record was (NULL: none)
 * did not have in the same field: what a writing command says of the
 * text it writes, as dipb validate would (dipb-validate(1), bidi).
 */
void	 dipb_validate_bidi(struct dipb_diags *diags, const char *path,
	    const struct dipb_record *r, const struct dipb_record *was);

/*
 * [member] of dipb_validate_record for the owners of r's actions alone,
 * against board b, leaving out each owner record was (NULL: none), r
 * before a change, had: an owner written as an email address that a
 * change adds is a member.  A writing command never adds one that is not
 * (dipb-record(5), actions), and a record whose owner has since left the
 * board can still move, as DIPB_VALIDATE_STABLE lets it be read.
 * Returns the number of errors added.
 */
size_t	 dipb_validate_owners(struct dipb_diags *diags, const char *path,
	    const struct dipb_record *r, const struct dipb_board *b,
	    const struct dipb_record *was);

/*
 * The board checks board.c's loader leaves to dipb validate, on a board
 * loaded from path: an email address without '@' [email], a member's
 * name with a '<' or '>' [member-name], a member
 * without a role and working groups given to a member who does not draft
 * (warnings) [role], a control character in its text
 * (dipb_validate_board_written) [control-character] or a bidirectional
 * control (warning) [bidi], a board nobody
 * could change again (dipb_state_board_keeper) [chair].  b may be what
 * loaded of a dipb.yaml the loader reported errors in (a member left out,
 * a role unknown): every check of one member or one field still runs, for
 * dipb-validate(1) reports every problem of every file, but not those
 * that what did not load would change: [chair] when b->members_partial,
 * and [role]'s member without a role when the member's roles_bad.
 * Returns the number of errors added.
 */
size_t	 dipb_validate_board(struct dipb_diags *diags, const char *path,
	    const struct dipb_board *b);

/*
 * What a writer of dipb.yaml must not write of dipb_validate_board's
 * errors, the chair rule aside (they say it in their own words): a
 * member's email that is no email address [email], a member's name with
 * a '<' or '>' [member-name] or a control character [control-character],
 * whether the board held it before or not (mending it is the way out:
 * dipb-board(5), name), and a control character in its other text
 * [control-character], as dipb_validate_controls says it in a record
 * (the board's names, its groups' keys, prefixes and names, its levels,
 * its members' emails, nations and groups, each one line).  Another value
 * board was (NULL: none) held in the same field is not the change's, nor
 * an email it held: dipb edit --board leaves what was written before the
 * rule.  dipb init (--config, and the template of
 * git's identity), dipb edit --board and dipb sync's replay of a board
 * change refuse a board with any.  Returns the number of errors added.
 */
size_t	 dipb_validate_board_written(struct dipb_diags *diags,
	    const char *path, const struct dipb_board *b,
	    const struct dipb_board *was);

/*
 * [bidi] of dipb_validate_board, a warning, for each of the fields
 * dipb_validate_board_written looks at that holds a bidirectional control
 * and whose value board was (NULL: none) did not hold in the same field:
 * what dipb init --config and dipb edit --board say of the board they
 * write, as dipb validate would (dipb-validate(1), bidi).
 */
void	 dipb_validate_board_bidi(struct dipb_diags *diags,
	    const char *path, const struct dipb_board *b,
	    const struct dipb_board *was);

/*
 * Of those, the control characters alone: what dipb verify reports of a
 * change of dipb.yaml (board-invalid).  An email that is no address
 * harms no reader, and older versions of dipb init wrote some, so a
 * history keeps them (dipb-verify(1)); so are the line and paragraph
 * separators (DIPB_TEXT_LINE_OLD).
 */
size_t	 dipb_validate_board_controls(struct dipb_diags *diags,
	    const char *path, const struct dipb_board *b,
	    const struct dipb_board *was);

/*
 * A record file or dipb.yaml at path that is a symbolic link [symlink]:
 * dipb never reads through one (in the working tree it could name any
 * file, a device or a FIFO; in git it is a path, not a record).  target
 * is what the link names, shown shortened; NULL when unknown.  The one
 * message of the working tree (scan.h) and of the readers of git trees
 * (dipb_repo_each_record, dipb_repo_read).
 */
void	 dipb_validate_symlink(struct dipb_diags *diags, const char *path,
	    const char *target);
/* That message's text, without the path (caller frees). */
char	*dipb_validate_symlink_what(const char *target);
/*
 * "a symbolic link", with " to 'TARGET'" (shortened) when target is not
 * NULL: how that message, and any of a link (repo.h), names one (caller
 * frees).
 */
char	*dipb_validate_link_what(const char *target);

/*
 * [record-path]: a record file at rel (its path from the board's folder,
 * "recommendations/...") that is not where board b's layout keeps the
 * record its name gives (dipb-board(5), "layout"): in the other layout's
 * place, or in a shard of another number.  A file whose name is no id is
 * left to [file-name] and [id].  Reported at path (as shown); returns the
 * number of errors added.
 */
size_t	 dipb_validate_place(struct dipb_diags *diags, const char *path,
	    const char *rel, const struct dipb_board *b);

/* One record's id, for the duplicate-id rule; nothing is owned. */
struct dipb_idref {
	const char	*id;
	const char	*path;
	struct dipb_pos	 pos;
	int		 group;		/* ids are compared within a group */
};

/*
 * Sorts v[0..n) and reports, within each group, every record whose id an
 * earlier one (by path) already has [duplicate-id].  Returns the number
 * of errors added.
 */
size_t	 dipb_validate_ids(struct dipb_diags *diags, struct dipb_idref *v,
	    size_t n);

/*
 * 1 if the bytes buf[0..len) are exactly the canonical form canon[0..clen);
 * else 0 and *line is the first line (1-based) where they differ.
 */
int	 dipb_validate_canonical(const char *buf, size_t len,
	    const char *canon, size_t clen, unsigned *line);

/*
 * Checks meeting m (meeting.h), loaded from path (NULL: no file-name
 * rule), against board b (NULL: only the rules that need no board):
 *	meeting-date	the file is meetings/<date>.yaml of its own date
 *	meeting-member	attendees and apologies are members (board)
 *	meeting-attendance nobody listed twice, or both present and
 *			apologising
 *	meeting-agenda	the agenda lists recommendation ids, once each
 * Returns the number of errors added.
 */
struct dipb_meeting;
size_t	 dipb_validate_meeting(struct dipb_diags *diags, const char *path,
	    const struct dipb_meeting *m, const struct dipb_board *b);
/*
 * dipb_validate_meeting of the file shown as path, which is where
 * ("meetings/<date>.yaml", struct dipb_scan_file) however path names it.
 * past: the meeting is history, judged when it was recorded (dipb
 * meeting, and dipb verify by the board of its time), as dipb validate
 * reads a meetings/ file: meeting-member is a warning, since a member
 * who has since left changes nothing a command could mend, and a
 * meeting is recorded once (dipb-validate(1)).
 */
size_t	 dipb_validate_meeting_at(struct dipb_diags *diags, const char *path,
	    const char *where, const struct dipb_meeting *m,
	    const struct dipb_board *b, int past);

/*
 * [control-character] of meeting m, loaded from path: none in its title,
 * attendees, apologies or agenda, none but '\n' and '\t' in its notes,
 * as in a record's fields.  Apart from dipb_validate_meeting, as
 * DIPB_VALIDATE_STABLE leaves it out of a record's rules: dipb validate,
 * dipb meeting, which never writes one, sync's replay of a meeting and
 * verify's judgement of a meeting's change (dipb_validate_meeting_written)
 * apply it; the readers (the minutes) read such a meeting and show each
 * control character as '?'.
 * Returns the number of errors added.
 */
size_t	 dipb_validate_meeting_controls(struct dipb_diags *diags,
	    const char *path, const struct dipb_meeting *m);

/*
 * [bidi] of meeting m, loaded from path, a warning for each of the fields
 * dipb_validate_meeting_controls looks at that holds a bidirectional
 * control, as dipb_validate_bidi says it of a record's: dipb validate
 * says it of a meeting file, and dipb meeting of the file it writes.
 */
void	 dipb_validate_meeting_bidi(struct dipb_diags *diags,
	    const char *path, const struct dipb_meeting *m);

/*
 * What a writer of a meeting file must not write: the errors of
 * dipb_validate_meeting against board b (not past: judged now) and of
 * dipb_validate_meeting_controls.  dipb meeting refuses to write a
 * meeting with any, dipb sync's replay of a meeting change drops one
 * (dipb-sync(1)): a meeting file made with git is made again on the
 * remote only as dipb meeting could have written it; and dipb verify
 * reports a meeting's change with any, against the board as of its
 * parent (dipb-verify(1), meeting-invalid).
 * Returns the number of errors added.
 */
size_t	 dipb_validate_meeting_written(struct dipb_diags *diags,
	    const char *path, const struct dipb_meeting *m,
	    const struct dipb_board *b);

/*
 * Every rule dipb validate reports, above and in yaml_load.c, board.c,
 * scan.c and meeting.c, in the order of dipb-validate(1), RULES; ends
 * with a NULL name (validate_rules.c).
 */
extern const struct dipb_rule dipb_validate_rules[];

#endif /* DIPB_VALIDATE_H */

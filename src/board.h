/*
 * board.h - the board configuration, dipb.yaml (dipb-board(5)).
 *
 * Strings are owned by the board and freed by dipb_board_release().
 */
#ifndef DIPB_BOARD_H
#define DIPB_BOARD_H

#include "diag.h"
#include "record.h"
#include "util.h"

#define DIPB_BOARD_FILE	"dipb.yaml"
#define DIPB_RECORD_DIR	"recommendations"

enum dipb_role {
	DIPB_ROLE_DRAFTER	= 1 << 0,
	DIPB_ROLE_REVIEWER	= 1 << 1,
	DIPB_ROLE_SECRETARY	= 1 << 2,
	DIPB_ROLE_CHAIR		= 1 << 3
};

struct dipb_wg {
	char		*key;
	char		*prefix;
	char		*name;
	struct dipb_pos	 pos;
};

struct dipb_member {
	char			*name;
	char			*email;
	char			*nation;	/* optional */
	unsigned		 roles;		/* enum dipb_role bits */
	/* Keys of the groups a drafter drafts for; empty means all. */
	struct dipb_strlist	 working_groups;
	/*
	 * The member's public signing keys, each an OpenSSH public-key line
	 * "<type> <base64>" (the comment dropped): ssh-ed25519,
	 * ecdsa-sha2-nistp256/384/521, ssh-rsa.  Empty: no key.
	 */
	struct dipb_strlist	 keys;
	struct dipb_pos		 pos;		/* of the list's item */
	/* Where name:, email: and nation: are, and each group of
	 * working_groups kept, for the diagnostics of one field (0:
	 * absent). */
	struct dipb_pos		 name_pos;
	struct dipb_pos		 email_pos;
	struct dipb_pos		 nation_pos;
	struct dipb_itempos	 working_groups_at;
	/* 1 when roles: did not load whole (not a list, an item no role
	 * name, a role unknown): roles holds what did, and dipb validate
	 * does not call the member one without a role. */
	int			 roles_bad;
};

/*
 * Whether the board's changes must be signed (dipb-board(5), "Signing"):
 * NONE when no member has a key (the history is unauthenticated),
 * REQUIRED whenever every member has one, else what signing: says.
 */
enum dipb_signing {
	DIPB_SIGNING_NONE,
	DIPB_SIGNING_OPTIONAL,
	DIPB_SIGNING_REQUIRED
};

struct dipb_board {
	char			*board;
	char			*short_name;	/* optional */
	char			*submit_to;
	struct dipb_wg		*wgs;
	size_t			 nwgs;
	struct dipb_strlist	 classifications;	/* lowest first */
	unsigned		 quorum;
	struct dipb_member	*members;
	size_t			 nmembers;
	enum dipb_signing	 signing;
	/* What signing: says; NONE when absent (dipb_board_emit). */
	enum dipb_signing	 signing_declared;
	/* The role of dipb declassify (declassify:, default chair). */
	enum dipb_role		 declassify;
	/* Where records live (layout:, default flat). */
	enum dipb_layout	 layout;
	/* Where members: is, for dipb validate (0: absent). */
	struct dipb_pos		 members_pos;
	/* Where board:, short_name:, submit_to: and classifications: are,
	 * for dipb validate's control-character (0: absent). */
	struct dipb_pos		 board_pos;
	struct dipb_pos		 short_pos;
	struct dipb_pos		 submit_pos;
	struct dipb_pos		 classifications_pos;
	/* Where review:'s quorum: is (0: absent). */
	struct dipb_pos		 quorum_pos;
	/*
	 * 1 when dipb_board_load() did not load members: whole (the file
	 * unparsed or no mapping, members: absent or no list, a member no
	 * mapping, a member's roles_bad): the counts of the members by
	 * role, a chair and the reviewers of the quorum, are then not the
	 * board's, and neither the loader nor dipb validate judges them.
	 */
	int			 members_partial;
};

void	 dipb_board_init(struct dipb_board *);
void	 dipb_board_release(struct dipb_board *);

/*
 * Parses dipb.yaml (same hostile-input rules as records) into out, which
 * must be initialised.  Adds every problem to diags: syntax, types,
 * required keys, unknown roles, duplicate group keys/prefixes/emails/
 * classifications (the emails' case aside) [duplicate] (a name twice is
 * validate's warning, [member-name]), a prefix not matching
 * [A-Z][A-Z0-9]{0,7}, a quorum larger than the number of
 * reviewers, unknown working groups in a member's list, a member's key
 * that dipb_sshkey_parse() refuses [ssh-key], a key given twice, in one
 * member or in two [duplicate], and a signing: that the keys contradict
 * [signing]; computes out->signing.  The quorum's warning is not given
 * when out->members_partial.  Returns 0 when no error was added, -1
 * otherwise.
 */
int	 dipb_board_load(struct dipb_board *out, const char *path,
	    const char *buf, size_t len, struct dipb_diags *diags);

/* Appends the canonical YAML form of b (same conventions as records). */
void	 dipb_board_emit(const struct dipb_board *b, struct dipb_buf *out);

/*
 * Fills out (initialised) with the template of dipb init: the three working
 * groups dipb-init(1) names, the two NATO classifications, quorum 2, and one
 * member, the chair, with the given name and email.
 */
void	 dipb_board_template(struct dipb_board *out, const char *board_name,
	    const char *chair_name, const char *chair_email);

/* Lookups; NULL when absent.  Emails compare case-insensitively. */
const struct dipb_wg	 *dipb_board_wg(const struct dipb_board *,
	    const char *key);
const struct dipb_wg	 *dipb_board_wg_by_prefix(const struct dipb_board *,
	    const char *prefix);
const struct dipb_member *dipb_board_member(const struct dipb_board *,
	    const char *email);
/*
 * 1 when names (or addresses) a and b are one as dipb compares them
 * (dipb-board(5), name): word by word, blanks around them aside, a run
 * of blanks inside one blank, the case of ASCII letters aside.
 */
int	 dipb_name_same(const char *a, const char *b);
/*
 * 1 when name holds a '<' or a '>', which a member's name may not
 * (dipb-board(5), name): it would break "NAME <EMAIL>", the identity of
 * their commits and tags and of the trailers that name them.
 */
int	 dipb_name_angled(const char *name);
/*
 * NULL when name may be a member's (dipb-board(5), name), else what is
 * wrong with it, as a message says it: it is angled (dipb_name_angled,
 * "has a '<' or '>'") or holds a control character as a single-line
 * field may not (dipb_text_find_control, DIPB_TEXT_LINE: C0 with '\n'
 * and '\t', DEL, C1, U+2028 and U+2029; "holds a control character,
 * U+001B"), which a terminal would obey in the subjects and identities
 * that name the member.  Caller frees.
 */
char	*dipb_name_fault(const char *name);
/*
 * The name a change's subject gives member m, the NAME of their commits'
 * "NAME <EMAIL>" when git gives none: m's name, or m's email when the
 * name has a fault (dipb_name_fault), which no subject or identity
 * holds, or is missing; NULL for a NULL m.
 */
const char *dipb_member_subject_name(const struct dipb_member *m);
/*
 * NULL, unless m's name has a fault (dipb_name_fault): then the error that
 * refuses m's own change (dipb-board(5), name), at the name's line,
 * naming 'dipb edit --board' as the way out; caller frees.  NULL for a
 * NULL m.
 */
const struct dipb_error *dipb_member_check_name(const struct dipb_member *m);
/*
 * *out: the member of b whom who names on a command line (dipb review
 * --reply-to, list --author and --owner, todo --member): the member whose
 * email it is, else the one whose name it is, as dipb_name_same compares;
 * NULL when none.  A name that two members share names neither: NULL
 * returned is then DIPB_ERR_USAGE, "'who' names 2 members of the board, a@x,
 * b@x: give the email address", with *out NULL.
 */
const struct dipb_error *dipb_board_member_named(const struct dipb_board *b,
	    const char *who, const struct dipb_member **out);

/*
 * 1 when an action's owner (dipb-record(5), actions) names the member of
 * b (NULL: none) with email and name (name may be NULL), as
 * dipb_name_same compares; else 0:
 *  - an owner with addresses in '<' and '>' ("Name <email>"), by one of
 *    them alone: "A <a@x> and B <b@x>" names both;
 *  - else the owner is the email, or the name unless it is the email of
 *    another member of b: an address is its member's first.
 * Members who share a name each own an action given to that name.  The
 * one matcher of "this member owns this action": dipb todo, list --owner,
 * action --due, sync's replay and report actions all ask it.
 */
int	 dipb_owner_names(const struct dipb_board *b, const char *owner,
	    const char *email, const char *name);
/*
 * 1 when an action's owner names who as dipb list --owner WHO takes it
 * (dipb-list(1)): the owner written as who (as dipb_name_same compares),
 * else as dipb_owner_names has it for the member who names
 * (dipb_board_member_named: by email, else by a name no two share), or
 * else for who as email and name; who "Name <email>" stands for its
 * address, its member's if any.
 */
int	 dipb_owner_is(const struct dipb_board *b, const char *owner,
	    const char *who);
/* The one member of b (NULL: none) that owner names; NULL when none (free
 * text, or someone no longer on the board) or more than one (a name
 * members share, or several addresses): dipb-report(1), actions. */
const struct dipb_member *dipb_board_owner(const struct dipb_board *b,
	    const char *owner);

/* What an action's owner is against a board: dipb-validate(1), member. */
enum dipb_owner_kind {
	DIPB_OWNER_TEXT,	/* free text, a body outside the board */
	DIPB_OWNER_MEMBER,	/* names a member (or members of one name) */
	DIPB_OWNER_NOT_MEMBER,	/* one word with an '@', no member's */
	DIPB_OWNER_MISMATCH,	/* "Name <email>", Name a member's and the
				   address none's or another member's */
	DIPB_OWNER_AMBIGUOUS	/* several addresses, one a member's */
};
enum dipb_owner_kind dipb_board_owner_kind(const struct dipb_board *b,
	    const char *owner);

/* Rank of a classification, lowest 0; -1 when unknown. */
int	 dipb_board_classification_rank(const struct dipb_board *,
	    const char *classification);
/*
 * The rank of the level review rv of r was written at (dipb-record(5)):
 * its classification; for a review without one, the highest level r is
 * known to have had, that is the highest of r's classification and of its
 * reviews' (at least r's current level).  -1 when a level it depends on
 * is unknown to b: a capped report leaves such a review out.
 */
int	 dipb_board_review_rank(const struct dipb_board *b,
	    const struct dipb_record *r, const struct dipb_review *rv);

/* Adds to used the levels r and its reviews use, each once. */
void	 dipb_board_levels_used(struct dipb_strlist *used,
	    const struct dipb_record *r);

/*
 * The order of the levels is fixed once records use them (dipb-board(5),
 * "CLASSIFICATIONS"): NULL when going from the levels old to new keeps
 * every level of used (the levels of the records at the tip and of their
 * reviews; a level may appear more than once) and their relative order in
 * old; else an error naming the first level removed or moved.  Levels may
 * be added anywhere.  Pure: no I/O; both dipb edit --board and dipb
 * verify (rule classification-order) call it.
 */
const struct dipb_error *dipb_board_check_levels(
	    const struct dipb_strlist *old, const struct dipb_strlist *new,
	    const struct dipb_strlist *used);

/*
 * 1 if m holds role; for DIPB_ROLE_DRAFTER with wg_key non-NULL, only when
 * m drafts for that group.  A chair holds every power of a secretary.
 */
int	 dipb_member_has_role(const struct dipb_member *m, enum dipb_role role,
	    const char *wg_key);
const char *dipb_role_name(enum dipb_role);
/* Where group k of m's working_groups was read; m's item when unknown. */
struct dipb_pos dipb_member_group_pos(const struct dipb_member *m, size_t k);
int	 dipb_role_parse(const char *, enum dipb_role *out);

#endif /* DIPB_BOARD_H */

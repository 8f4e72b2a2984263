/*
 * build.h - what the builders of the reports (build_*.c) share:
 * the classification rules, the lines every report starts with, and the
 * board's order of working groups and ids.  Builders read their records
 * and events once and fill the model (model.h); they never write markup.
 */
#ifndef DIPB_REPORT_BUILD_H
#define DIPB_REPORT_BUILD_H

#include "../hashmap.h"
#include "../report.h"
#include "model.h"

/* A report being built. */
struct dipb_rbuild {
	struct dipb_report	*r;
	const struct dipb_board	*board;
	const char		*today;
	int			 max_rank;	/* -1: no limit */
	int			 rank;		/* highest kept; -1: none */
	char			*odd_marking;	/* a kept unknown classification */
	struct dipb_hashmap	 ids;		/* dipb_rbuild_records' */
	struct dipb_hashmap	 out;		/* the ids counted left out */
	/* minutes: the commits left out, plain git's and the board's */
	size_t			 left_plain;
	size_t			 left_board;	/* and the meetings' */
};

/*
 * Starts the report of kind, titled o->title or else title; with
 * heading, the title is also its first heading.
 */
void	 dipb_rbuild_begin(struct dipb_rbuild *, const struct dipb_report_opts *,
	    const char *kind, const char *title, int heading);
/*
 * Whether a record of classification cls goes into the report: not when
 * it is above the maximum (or unknown while there is one).  Counts what
 * is left out and raises the marking to what is kept.
 */
int	 dipb_rbuild_keep(struct dipb_rbuild *, const char *cls);
/*
 * The same for record id, counted once however often it is met: the
 * report says how many recommendations it left out (dipb-report(1)),
 * not how many of their changes.
 */
int	 dipb_rbuild_keep_id(struct dipb_rbuild *, const char *id,
	    const char *cls);
/*
 * Whether a record of classification cls is above the maximum, or of a
 * level not known under one; nothing counted, the marking untouched.
 */
int	 dipb_rbuild_above(const struct dipb_rbuild *, const char *cls);
/* Counts record id as left out, once per id (each time for NULL). */
void	 dipb_rbuild_left_out(struct dipb_rbuild *, const char *id);
/*
 * Whether a part of a kept record written at another level (a review, a
 * comment: dipb-report(1), --max-classification) goes in: rank is the board's
 * rank of its level, -1 when unknown (left out under a maximum; else
 * marked with name).  Raises the marking to what is kept; what is left
 * out is not counted among the records.
 */
int	 dipb_rbuild_keep_part(struct dipb_rbuild *, int rank,
	    const char *name);
/*
 * The highest of the classifications levels[0..n) as the board ranks
 * them: -1 when one is unknown or unknown is set, DIPB_RBUILD_NO_LEVEL
 * when there is none.
 */
#define DIPB_RBUILD_NO_LEVEL	(-2)
int	 dipb_rbuild_levels_rank(const struct dipb_board *,
	    const struct dipb_strlist *levels, int unknown);
/* The line under the title: board, what, date; then what was left out. */
void	 dipb_rbuild_intro(struct dipb_rbuild *, const char *what);
/*
 * The same line where the report's date needs naming, for a report that
 * has a date of its own: "board - what; today_is DATE" ("minutes of the
 * meeting held on 2026-11-04; written on 2026-11-25").  today_is NULL is
 * dipb_rbuild_intro.
 */
void	 dipb_rbuild_intro_dated(struct dipb_rbuild *, const char *what,
	    const char *today_is);
/*
 * rec as data under key of parent, without what dipb_rbuild_record leaves
 * out under the maximum: the reviews written above it, and the decision
 * note and withdrawal reason when the record is known to have been above
 * it (build_record.c).
 */
void	 dipb_rbuild_record_data(struct dipb_rbuild *,
	    struct dipb_rdata *parent, const char *key,
	    const struct dipb_record *rec);
/* Sets the marking and the count left out; returns the report. */
struct dipb_report *dipb_rbuild_finish(struct dipb_rbuild *);

/* Position of working group key in the board; nwgs when unknown. */
size_t	 dipb_rbuild_wg_index(const struct dipb_board *, const char *key);
/*
 * The data of row w of a table by working group (w from
 * dipb_rbuild_wg_index): the member of all named by the group's key, or,
 * for the records of no group the board has, the member other of the
 * report's data, after all.  Any string may be a group's key
 * (dipb-board(5)): no key in all could be kept for them
 * (dipb-report(1), json).
 */
struct dipb_rdata *dipb_rbuild_wg_data(struct dipb_rbuild *,
	    struct dipb_rdata *all, size_t w, const char *other);
/* The working group's name; key itself when unknown, "(none)" for NULL. */
const char *dipb_rbuild_wg_name(const struct dipb_board *, const char *key);
/* The working group of an id, from its prefix; NULL when unknown. */
const struct dipb_wg *dipb_rbuild_wg_of_id(const struct dipb_board *,
	    const char *id);
/* The name of a member by email, else the email itself ("" for NULL). */
const char *dipb_rbuild_who(const struct dipb_board *, const char *email);
/*
 * An action's owner as report agenda, minutes --meeting and actions show
 * it (dipb-report(1), actions): when it names one member of b
 * (dipb_board_owner: by email, by name or as "Name <email>", as dipb todo
 * finds a member's actions), their name as dipb.yaml has it, with their
 * address when another member shares that name, or their address when
 * they have no name; any other owner as written ("" for NULL).  *out is
 * that member, NULL for any other owner.
 * Report package and dipb show print the owner as the record has it:
 * they render the record itself, not the board's view of its actions.
 * Caller frees.
 */
char	*dipb_rbuild_owner(const struct dipb_member **out,
	    const struct dipb_board *b, const char *owner);
/*
 * Under object x: owner as written, and owner_member and owner_email,
 * the name and address of m, the member it names (dipb_rbuild_owner;
 * nulls for NULL).
 */
void	 dipb_rbuild_owner_data(struct dipb_rdata *x, const char *owner,
	    const struct dipb_member *m);
/*
 * The Due cell of action a: the date in force, and the date decided when
 * it moved since ("2027-01-15 (moved from 2026-12-01)", or "(set after
 * the decision)" when it had none); "-" when none.
 * Caller frees.
 */
char	*dipb_rbuild_due(const struct dipb_action *a);
/*
 * Whether a text record rec holds that was written at some point of its
 * life (a decision note, a withdrawal reason, the reason a due date
 * moved) is kept: its level is the highest the record is known to have
 * had, as for a review without a classification (dipb_rbuild_keep_part,
 * which also marks the report with it).
 */
int	 dipb_rbuild_keep_text(struct dipb_rbuild *,
	    const struct dipb_record *rec);
/*
 * Under object x, when a's due date moved (dipb action --due):
 * due_as_decided and the rescheduled list of dipb-record(5), each move's
 * reason only where dipb_rbuild_keep_text keeps rec's texts.
 */
void	 dipb_rbuild_rescheduled_data(struct dipb_rbuild *,
	    struct dipb_rdata *x, const struct dipb_record *rec,
	    const struct dipb_action *a);
/*
 * A paragraph per move of the due date of action n of record rec, then
 * its reason quoted (or said to be left out, as dipb_rbuild_keep_text
 * has it); first a heading "Due dates moved" at level when *head is 0
 * (then set to 1).  Returns the number of moves.
 */
int	 dipb_rbuild_rescheduled(struct dipb_rbuild *, int *head, int level,
	    const struct dipb_record *rec, size_t n,
	    const struct dipb_action *a);
/* An id's place in the board's order: to sort many ids with qsort. */
struct dipb_rbuild_key {
	size_t		 wg;		/* its working group's index */
	int		 ok;		/* a well-formed id */
	char		 prefix[9];
	unsigned long	 num;
	const char	*id;		/* borrowed */
};

void	 dipb_rbuild_key(struct dipb_rbuild_key *out, const struct dipb_board *,
	    const char *id);
int	 dipb_rbuild_key_cmp(const struct dipb_rbuild_key *,
	    const struct dipb_rbuild_key *);
/* qsort's comparator of structs whose first member is their key. */
int	 dipb_rbuild_keyed_cmp(const void *, const void *);
/* <0, 0, >0: ids in board order of their working group, then by number. */
int	 dipb_rbuild_id_cmp(const struct dipb_board *, const char *x,
	    const char *y);
/*
 * Pointers to the records of recs[0..n) that the report would show
 * (shown, or all for NULL) and dipb_rbuild_keep lets in, in id order;
 * *out_n of them.  Only those it would show count as left out
 * (dipb-report(1), --max-classification).  Caller frees the array.
 */
const struct dipb_record **dipb_rbuild_kept(struct dipb_rbuild *,
	    const struct dipb_record *recs, size_t n,
	    int (*shown)(const struct dipb_rbuild *,
	    const struct dipb_record *), size_t *out_n);
/*
 * The records dipb_rbuild_find looks in: recs[0..n), borrowed until
 * dipb_rbuild_finish, in a table by id made once.  A search of them all
 * for each id made minutes quadratic: every path of a plain git commit
 * is looked up, 30,000 of them at once when the board was imported.
 */
void	 dipb_rbuild_records(struct dipb_rbuild *,
	    const struct dipb_record *recs, size_t n);
/* The first of those records whose id is id, or NULL. */
const struct dipb_record *dipb_rbuild_find(const struct dipb_rbuild *,
	    const char *id);

/*
 * The full text of rec under a heading of level (numbered num unless 0),
 * with what is needed to check it when it (it may be NULL) came from a
 * submission: blob and tag (build_record.c).
 */
void	 dipb_rbuild_record(struct dipb_rbuild *, const struct dipb_record *rec,
	    const struct dipb_package_item *it, int level, unsigned num);

#endif /* DIPB_REPORT_BUILD_H */

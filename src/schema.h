/*
 * schema.h - the keys of a record file and of dipb.yaml, one table each,
 * and the JSON Schemas of dipb-schema(1) made from them.
 *
 * The tables are the one statement of which keys a file may hold, which
 * are required, what each value is (text, Markdown, a date, one of a list
 * of names, a list, a mapping of more keys) and which values come from
 * the board.  The loaders (yaml_load.c, board.c) read them to load and
 * check a file, validate.c for the keys a status calls for, and
 * dipb_schema_*() to write the schemas editors use; so a key or a value
 * added for one is added for all (dipb-record(5), dipb-board(5)).
 *
 * Pure: no I/O.
 */
#ifndef DIPB_SCHEMA_H
#define DIPB_SCHEMA_H

#include <stddef.h>

#include "record.h"

struct dipb_board;

/* What the value of a key is (dipb-record(5), dipb-board(5)). */
enum dipb_key_type {
	DIPB_KEY_TEXT,		/* a string: any scalar, as written */
	DIPB_KEY_MARKDOWN,	/* text of at most DIPB_MAX_MARKDOWN bytes */
	DIPB_KEY_DATE,		/* YYYY-MM-DD, a real date */
	DIPB_KEY_ID,		/* a record id (dipb_id_valid) */
	DIPB_KEY_PREFIX,	/* an id prefix (dipb_id_prefix_valid) */
	DIPB_KEY_EMAIL,		/* a member's address: '@', no space */
	DIPB_KEY_FINGERPRINT,	/* DIPB_FINGERPRINT_LEN lowercase hex digits */
	DIPB_KEY_ENUM,		/* one of values */
	DIPB_KEY_LIST,		/* a list of non-empty strings */
	DIPB_KEY_ENUM_LIST,	/* a list of names of values */
	DIPB_KEY_MAP,		/* a mapping of the keys sub */
	DIPB_KEY_MAP_LIST,	/* a list of mappings of the keys sub */
	DIPB_KEY_COUNT		/* a whole number from 1 to max */
};

/* Flags of a key. */
#define DIPB_KEY_REQUIRED	0x01	/* present; a scalar not empty */
#define DIPB_KEY_NONEMPTY	0x02	/* when given: a scalar not "", a
					 * list not empty nor null */
#define DIPB_KEY_DRAFTER	0x04	/* the drafter's: dipb recommend
					 * --from takes it */
/* The board's values, which dipb validate checks against dipb.yaml: */
#define DIPB_KEY_WG		0x10	/* a working group's key */
#define DIPB_KEY_LEVEL		0x20	/* one of classifications: */
#define DIPB_KEY_MEMBER		0x40	/* a member's email (any case) */
#define DIPB_KEY_REVIEWER	0x80	/* a member with the reviewer role */

struct dipb_key {
	const char		*name;
	enum dipb_key_type	 type;
	unsigned		 flags;
	/* ENUM, ENUM_LIST: the names; values[0] is the C enum value first. */
	const char *const	*values;
	size_t			 nvalues;
	int			 first;
	/* MAP, MAP_LIST: the keys of the mapping.  COUNT: max. */
	const struct dipb_key	*sub;
	size_t			 nsub;
	unsigned		 max;
	/*
	 * Set only when the status says whether the key is there: a bit
	 * (1U << status) for each status the key is present in, absent
	 * (or null) in every other ([submission], [decision], [withdrawal]
	 * of dipb-validate(1)).
	 */
	unsigned		 statuses;
	const char		*title;		/* a few words */
	const char		*help;		/* a sentence or two */
};

/* A record's keys, indexed by enum dipb_field (record.c). */
extern const struct dipb_key dipb_record_keys[DIPB_F__COUNT];
/* dipb.yaml's keys, in canonical order (board.c). */
extern const struct dipb_key dipb_board_keys[];
extern const size_t dipb_board_nkeys;

/*
 * What a draft must give (dipb recommend --from takes it from the draft,
 * dipb-validate(1)): every other key of a draft is one of the drafter's
 * (DIPB_KEY_DRAFTER), and optional.
 */
extern const enum dipb_field dipb_draft_needed[3];

/* The most keys one mapping of the tables has. */
#define DIPB_MAX_KEYS	32

/*
 * The JSON Schemas (draft 2020-12) of dipb-schema(1), as indented JSON
 * text with a final newline; caller frees.  dipb_schema_record() with a
 * board b fills in its values (working groups, their prefixes,
 * classifications, members, reviewers); with NULL it is the schema of a
 * record of any board.  dipb_schema_draft(): the same for a draft, the
 * file dipb recommend --from reads (drafts/NAME.yaml).
 */
char	*dipb_schema_record(const struct dipb_board *b);
char	*dipb_schema_draft(const struct dipb_board *b);
char	*dipb_schema_board(void);

#endif /* DIPB_SCHEMA_H */

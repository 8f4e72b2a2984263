/*
 * yaml_tree.h - private to yaml_load.c, yaml_emit.c, record.c, board.c,
 * meeting.c, schema.c and their unit tests.
 *
 * Loading is two steps: dipb_ytree_parse() turns libyaml's events into a
 * small tree, refusing hostile input on the way; record and board loaders
 * then walk the tree with the dipb_yt_* helpers, which add positioned
 * diagnostics.  Writing goes through the dipb_yemit_* helpers, which know
 * the canonical form (dipb-record(5), CANONICAL FORM).
 */
#ifndef DIPB_YAML_TREE_H
#define DIPB_YAML_TREE_H

#include <stddef.h>

#include "diag.h"
#include "record.h"
#include "util.h"

enum dipb_ykind {
	DIPB_YSCALAR,
	DIPB_YSEQ,
	DIPB_YMAP
};

struct dipb_ypair;
struct dipb_arena;

struct dipb_ynode {
	struct dipb_arena	*arena;	/* the root's: the whole tree's memory */
	enum dipb_ykind		 kind;
	struct dipb_pos		 pos;
	char			*str;	/* scalar, NUL-free, NUL-terminated */
	int			 null;	/* plain "", "~" or "null" */
	struct dipb_ynode	**items;	/* sequence */
	size_t			 n;
	size_t			 cap;
	struct dipb_ypair	*pairs;		/* mapping, in file order */
	size_t			 npairs;
	size_t			 pcap;
};

struct dipb_ypair {
	char			*key;
	struct dipb_pos		 pos;	/* of the key */
	struct dipb_ynode	*val;
};

/* Where diagnostics go while a file is read. */
struct dipb_yctx {
	const char		*path;
	struct dipb_diags	*diags;
	int			 strict;	/* unknown keys are errors */
	int			 input;		/* DIPB_LOAD_INPUT's file */
};

/*
 * Parses buf into *out (NULL for a file without a document).  Returns -1
 * when the input was refused (syntax, size, encoding, depth, anchors,
 * aliases, tags, merge keys, several documents): the reason is in diags
 * and *out is NULL.  Duplicate and non-scalar keys are reported, their
 * pairs dropped, and parsing goes on.  The nodes and strings are one
 * allocation, freed with dipb_ytree_free(root): no part of the tree may
 * be freed, or kept, on its own.
 */
int	 dipb_ytree_parse(struct dipb_ynode **out, struct dipb_yctx *,
	    const char *buf, size_t len);
void	 dipb_ytree_free(struct dipb_ynode *);

/*
 * 0 when the len bytes at buf are UTF-8 text; else -1 and an [encoding]
 * error at the first bad byte's line and column, counted as every
 * position (dipb-validate(1)), a byte order mark at the start not
 * counted: a byte that is no UTF-8, a NUL, or a file in UTF-16 or
 * UTF-32.  What dipb_ytree_parse checks first, and dipb_read_message a
 * text file's bytes (session.h).
 */
int	 dipb_yt_check_utf8(struct dipb_yctx *, const char *buf, size_t len);

void	 dipb_yt_error(struct dipb_yctx *, struct dipb_pos, const char *rule,
	    const char *fmt, ...) DIPB_PRINTF(4, 5);
void	 dipb_yt_warn(struct dipb_yctx *, struct dipb_pos, const char *rule,
	    const char *fmt, ...) DIPB_PRINTF(4, 5);
/* A printable, shortened copy of a value for a message; caller frees. */
char	*dipb_yt_show(const char *);

/*
 * A string and the index of what it was read from: a sorted view, which
 * finds the strings given twice (a mapping's keys, dipb.yaml's lists) in
 * n log n.  dipb_ysref_cmp() orders by the string (strcmp), then by the
 * index, so that the first of equal strings stays first (qsort's
 * comparator).
 */
struct dipb_ysref {
	const char	*s;
	size_t		 i;
};

int	 dipb_ysref_cmp(const void *, const void *);

/*
 * Spreads the pairs of map over names[0..n): out[i] is the pair whose key
 * is names[i], NULL when absent.  Keys not in names are warned about, or
 * with ctx->strict are errors [unknown-key], naming the one of names a
 * misspelling of it would be ("did you mean 'rationale'?"); a name whose bit is set in required and is absent is an
 * error [required].  Returns -1 when map is not a mapping ([type], using
 * what, e.g. "'submission'").
 */
int	 dipb_yt_fields(struct dipb_yctx *, const struct dipb_ynode *map,
	    const char *what, const char *const *names, size_t n,
	    unsigned long required, const struct dipb_ypair **out);

struct dipb_key;

/*
 * dipb_yt_fields() with the names and the required keys of a table of
 * keys (schema.h); with required 0, no key is required.
 */
int	 dipb_yt_keys(struct dipb_yctx *, const struct dipb_ynode *map,
	    const char *what, const struct dipb_key *keys, size_t n,
	    int required, const struct dipb_ypair **out);
/* The flags below that key k's value is read with. */
int	 dipb_yt_flags(const struct dipb_key *k);
/* dipb_yt_enum() over k's values; *out is the C enum value. */
int	 dipb_yt_key_enum(struct dipb_yctx *, const struct dipb_ypair *p,
	    const struct dipb_key *k, int flags, int *out);

#define DIPB_YT_REQ	0x1	/* null or "" is an error [empty] */
#define DIPB_YT_MD	0x2	/* Markdown: at most DIPB_MAX_MARKDOWN */
#define DIPB_YT_DATE	0x4	/* YYYY-MM-DD, a real date */

/*
 * The string value of p, owned by the caller; NULL when p is NULL, the
 * value is null (or "") and optional, or on error (reported).
 */
char	*dipb_yt_string(struct dipb_yctx *, const struct dipb_ypair *p,
	    int flags);
/* A sequence of non-empty strings appended to out; null is empty. */
int	 dipb_yt_strlist(struct dipb_yctx *, const struct dipb_ypair *p,
	    struct dipb_strlist *out);
/* dipb_yt_strlist, with where each item kept was read appended to at. */
int	 dipb_yt_strlist_at(struct dipb_yctx *, const struct dipb_ypair *p,
	    struct dipb_strlist *out, struct dipb_itempos *at);
/*
 * Index of the value of p in names[0..n) into *out.  Returns 1 when set,
 * 0 when p is NULL or null and optional, -1 on error (reported [enum]).
 */
int	 dipb_yt_enum(struct dipb_yctx *, const struct dipb_ypair *p,
	    const char *const *names, size_t n, int flags, int *out);
/* 1 if p is absent or null: an optional mapping or list left empty. */
int	 dipb_yt_absent(const struct dipb_ypair *p);

/*
 * The canonical writer.  col is the column of the keys; dash asks for the
 * next key to be written as the first of a block sequence item ("- key:").
 */
struct dipb_yemit {
	struct dipb_buf	*out;
	unsigned	 col;
	int		 dash;
};

/* "key:", indented (or "- key:"); the caller writes what follows. */
void	 dipb_yemit_key(struct dipb_yemit *, const char *key);
/* "key: value"; nothing when value is NULL. */
void	 dipb_yemit_str(struct dipb_yemit *, const char *key, const char *val);
/* "key: 2026-01-31", plain when a valid date; else as dipb_yemit_str(). */
void	 dipb_yemit_date(struct dipb_yemit *, const char *key, const char *val);
/*
 * "key: |" and the text as a literal block, or double-quoted when it
 * cannot be one (control characters, CR, only line breaks, "");
 * nothing when value is NULL.
 */
void	 dipb_yemit_md(struct dipb_yemit *, const char *key, const char *val);
/* "key: [a, b]"; nothing when n is 0 unless always. */
void	 dipb_yemit_flow(struct dipb_yemit *, const char *key,
	    char *const *v, size_t n, int always);
/* "key:" then "  - a" lines; nothing when n is 0. */
void	 dipb_yemit_list(struct dipb_yemit *, const char *key,
	    char *const *v, size_t n);
/* "key: val" with val written as it is (a number). */
void	 dipb_yemit_raw(struct dipb_yemit *, const char *key, const char *val);

/* record.c's names of the enums, indexed by value ([0] of status is "none"). */
extern const char *const dipb_status_names[DIPB_STATUS__COUNT];
extern const char *const dipb_priority_names[4];
extern const char *const dipb_verdict_names[3];
extern const char *const dipb_action_state_names[3];
extern const char *const dipb_outcome_names[4];

#endif /* DIPB_YAML_TREE_H */

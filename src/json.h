/*
 * json.h - records as JSON, built with jansson (never by hand).
 */
#ifndef DIPB_JSON_H
#define DIPB_JSON_H

#include <stdio.h>

#include "record.h"

struct json_t;
struct dipb_board;
struct dipb_buf;

/*
 * A new JSON object with the record's fields, keyed as in YAML; an
 * optional field the record does not hold is left out, but for its lists
 * (topics, actions, references, reviews), given empty.  Caller releases
 * with json_decref().
 */
struct json_t *dipb_record_json(const struct dipb_record *);

/*
 * dipb_record_json, then what board b makes of the record's reviews
 * (dipb-show(1), --format json): "fingerprint", the record's current one;
 * "fresh_endorsements", the endorsements that count towards the quorum,
 * and "stale_endorsements", those that do not (of an earlier text, or by
 * someone who is no longer a reviewer), each an array of objects with
 * reviewer, date and fingerprint; "not_reviewed", the emails of the
 * board's reviewers, the author aside, with no review of the record.
 * Caller releases with json_decref().
 */
struct json_t *dipb_record_json_board(const struct dipb_record *,
	    const struct dipb_board *b);

/*
 * Writes v to fp (indented when pretty, else one line) and a newline,
 * then releases v.  Returns -1 on a write error.
 */
int	 dipb_json_print(FILE *fp, struct json_t *v, int pretty);

/*
 * Appends jansson's text of v (flags as json_dumps takes them) to out,
 * each line after its first indented by indent more blanks: v as it
 * prints nested in a document at that depth.  jansson's own new lines
 * are those of its layout, never of a string (which has "\n").  Returns
 * -1 when jansson fails (out of memory, or v not an array or object
 * without JSON_ENCODE_ANY).
 */
int	 dipb_json_put_indented(struct dipb_buf *out, const struct json_t *v,
	    size_t flags, size_t indent);

/*
 * An array printed as dipb_json_print prints it, an item at a time, so
 * that a long one (dipb list --format json of 30,000 records) is never
 * held whole as a tree nor as text: dipb_json_put_item appends item v
 * to b as that array has it, indentation included, and releases v
 * (-1: jansson failed, out of memory); dipb_json_print_items writes n
 * items so made, in their order, as the array, and a newline (-1 on a
 * write error).
 */
int	 dipb_json_put_item(struct dipb_buf *b, struct json_t *v,
	    int pretty);
int	 dipb_json_print_items(FILE *fp, const char *const *items, size_t n,
	    int pretty);

#endif /* DIPB_JSON_H */

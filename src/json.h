/*
 * json.h - records as JSON, built with jansson (never by hand).
 */
#ifndef DIPB_JSON_H
#define DIPB_JSON_H

#include <stdio.h>

#include "record.h"

struct json_t;

/*
 * A new JSON object with the record's fields, keyed as in YAML; absent
 * optional fields are left out.  Caller releases with json_decref().
 */
struct json_t *dipb_record_json(const struct dipb_record *);

/*
 * Writes v to fp (indented when pretty, else one line) and a newline,
 * then releases v.  Returns -1 on a write error.
 */
int	 dipb_json_print(FILE *fp, struct json_t *v, int pretty);

#endif /* DIPB_JSON_H */

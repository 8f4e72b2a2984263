/*
 * render_json.c - a report model as one JSON document (render.h): the
 * header, then the report's data in its order.
 *
 * The document is written as it is walked, in jansson's pretty-printed
 * form (JSON_INDENT(2)), rather than made a jansson tree and then a
 * string: for a report of many records those were each several times
 * the size of the report, held at once beside the model and the output
 * (dipb-record(5), LIMITS).  jansson still writes every string, and each
 * whole record, one at a time.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "../json.h"
#include "../text.h"
#include "render.h"

#define JSON_FLAGS	(JSON_INDENT(2) | JSON_PRESERVE_ORDER)

static void
indent(struct dipb_buf *out, size_t depth)
{
	dipb_buf_printf(out, "\n%*s", (int)(2 * depth), "");
}

/*
 * s as a JSON string, null for NULL.  Text that is not UTF-8 (a --title
 * typed in another encoding), which jansson refuses, has its bad bytes
 * shown as '?', as the other formats show them (text.h), rather than its
 * key left out of the document.
 */
static json_t *
string_or_null(const char *s)
{
	json_t *v;
	char *c;

	if (s == NULL)
		return json_null();
	if ((v = json_string(s)) != NULL)
		return v;
	c = dipb_text_clean(s, strlen(s));
	v = json_string(c);
	free(c);
	return v != NULL ? v : json_null();
}

/* v written at depth, and released. */
static void
dump(struct dipb_buf *out, json_t *v, size_t depth)
{
	if (v == NULL || dipb_json_put_indented(out, v, JSON_FLAGS |
	    JSON_ENCODE_ANY, 2 * depth) != 0)
		dipb_buf_puts(out, "null");
	json_decref(v);
}

static void	value(struct dipb_buf *, const struct dipb_rdata *, size_t);

/*
 * The members v[0..n) of an object, in their order.  A builder names each
 * member of an object once: a key given again would leave one of the two
 * values out of what a reader of the JSON gets (jansson keeps the last),
 * and the other formats would still show both.  Every key is dipb's own
 * but the working groups' (dipb-board(5): unique), and a group's data is
 * never beside dipb's own keys (build.h, dipb_rbuild_wg_data), so a key
 * given twice is a builder's mistake.  A key that is not UTF-8 is left
 * out (a board's keys are YAML, which is UTF-8).
 */
static void
object(struct dipb_buf *out, struct dipb_rdata *const *v, size_t n,
    size_t depth)
{
	json_t *seen = json_object(), *k;
	size_t i;
	int first = 1;

	dipb_buf_puts(out, "{");
	for (i = 0; i < n; i++) {
		assert(json_object_get(seen, v[i]->key) == NULL);
		if ((k = json_string(v[i]->key)) == NULL ||
		    json_object_set_new(seen, v[i]->key, json_true()) != 0) {
			json_decref(k);
			continue;
		}
		if (!first)
			dipb_buf_puts(out, ",");
		first = 0;
		indent(out, depth + 1);
		dump(out, k, depth + 1);
		dipb_buf_puts(out, ": ");
		value(out, v[i], depth + 1);
	}
	if (!first)
		indent(out, depth);
	dipb_buf_puts(out, "}");
	json_decref(seen);
}

static void
value(struct dipb_buf *out, const struct dipb_rdata *d, size_t depth)
{
	size_t i;

	switch (d->kind) {
	case DIPB_RD_STRING:
		dump(out, string_or_null(d->str), depth);
		return;
	case DIPB_RD_INT:
		dipb_buf_printf(out, "%lld", d->num);
		return;
	case DIPB_RD_BOOL:
		dipb_buf_puts(out, d->num ? "true" : "false");
		return;
	case DIPB_RD_RECORD:
		dump(out, dipb_record_json(d->rec), depth);
		return;
	case DIPB_RD_OBJECT:
		object(out, d->v, d->n, depth);
		return;
	case DIPB_RD_ARRAY:
		dipb_buf_puts(out, "[");
		for (i = 0; i < d->n; i++) {
			if (i > 0)
				dipb_buf_puts(out, ",");
			indent(out, depth + 1);
			value(out, d->v[i], depth + 1);
		}
		if (d->n > 0)
			indent(out, depth);
		dipb_buf_puts(out, "]");
		return;
	case DIPB_RD_NULL:
		break;
	}
	dipb_buf_puts(out, "null");
}

void
dipb_render_json(struct dipb_buf *out, const struct dipb_report *r)
{
	/* The header's members, as the data's (model.h). */
	static char keys[][19] = { "report", "title", "board", "date",
	    "marking", "max_classification", "left_out" };
	char *str[6];
	struct dipb_rdata h[7], **v;
	size_t i;

	str[0] = r->kind;
	str[1] = r->title;
	str[2] = r->board_name;
	str[3] = r->today;
	str[4] = r->marking;
	str[5] = r->max_classification;
	memset(h, 0, sizeof(h));
	v = xcalloc(7 + r->data.n, sizeof(*v));
	for (i = 0; i < 7; i++) {
		h[i].key = keys[i];
		if (i < 6) {
			h[i].kind = str[i] != NULL ? DIPB_RD_STRING :
			    DIPB_RD_NULL;
			h[i].str = str[i];
		}
		v[i] = &h[i];
	}
	h[6].kind = DIPB_RD_INT;
	h[6].num = (long long)r->left_out;
	for (i = 0; i < r->data.n; i++)
		v[7 + i] = r->data.v[i];
	object(out, v, 7 + r->data.n, 0);
	dipb_buf_puts(out, "\n");
	free(v);
}

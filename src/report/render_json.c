/*
 * render_json.c - a report model as one JSON document, built with
 * jansson (render.h): the header, then the report's data in its order.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "../json.h"
#include "../text.h"
#include "render.h"

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

static json_t *
value(const struct dipb_rdata *d)
{
	json_t *v;
	size_t i;

	switch (d->kind) {
	case DIPB_RD_STRING:
		return string_or_null(d->str);
	case DIPB_RD_INT:
		return json_integer((json_int_t)d->num);
	case DIPB_RD_BOOL:
		return json_boolean(d->num);
	case DIPB_RD_RECORD:
		return dipb_record_json(d->rec);
	case DIPB_RD_OBJECT:
		v = json_object();
		for (i = 0; i < d->n; i++)
			json_object_set_new(v, d->v[i]->key, value(d->v[i]));
		return v;
	case DIPB_RD_ARRAY:
		v = json_array();
		for (i = 0; i < d->n; i++)
			json_array_append_new(v, value(d->v[i]));
		return v;
	case DIPB_RD_NULL:
		break;
	}
	return json_null();
}

void
dipb_render_json(struct dipb_buf *out, const struct dipb_report *r)
{
	json_t *o = json_object();
	char *s;
	size_t i;

	json_object_set_new(o, "report", string_or_null(r->kind));
	json_object_set_new(o, "title", string_or_null(r->title));
	json_object_set_new(o, "board", string_or_null(r->board_name));
	json_object_set_new(o, "date", string_or_null(r->today));
	json_object_set_new(o, "marking", string_or_null(r->marking));
	json_object_set_new(o, "max_classification",
	    string_or_null(r->max_classification));
	json_object_set_new(o, "left_out", json_integer((json_int_t)r->left_out));
	for (i = 0; i < r->data.n; i++)
		json_object_set_new(o, r->data.v[i]->key, value(r->data.v[i]));
	s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	dipb_buf_puts(out, s != NULL ? s : "null");
	dipb_buf_puts(out, "\n");
	free(s);
	json_decref(o);
}

/*
 * schema.c - the JSON Schemas of dipb-schema(1), written from the tables
 * of keys the loaders read (record.c, board.c), so that what an editor is
 * told and what dipb validate checks come from one place.
 *
 * Every schema refuses only what dipb validate refuses too (an unknown
 * key is its warning, [unknown-key], which dipb edit refuses): dipb
 * reads every scalar as a string, where an editor's YAML 1.2 reads
 * "2026" as a number and "true" as a boolean, so a text field takes any
 * scalar, and only the fields whose rule no number meets (dates, ids,
 * names of a list) insist on a string.  The rules a schema cannot state
 * are listed in dipb-schema(1), "LIMITS".
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "board.h"
#include "schema.h"
#include "text.h"
#include "yaml_tree.h"

#define DRAFT_2020_12	"https://json-schema.org/draft/2020-12/schema"
#define DATE_PATTERN	"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
#define ID_NUMBER	"-[0-9]{4,}$"
#define PREFIX_PATTERN	"[A-Z][A-Z0-9]{0,7}"
/* What validate's [email] rule asks: no space, '@', not first. */
#define EMAIL_PATTERN	"^[^@ ][^ @]*@[^ ]*$"

/* A new array of the strings given, up to NULL. */
static json_t *
strings(const char *first, ...)
{
	json_t *a = json_array();
	const char *s;
	va_list ap;

	va_start(ap, first);
	for (s = first; s != NULL; s = va_arg(ap, const char *))
		json_array_append_new(a, json_string(s));
	va_end(ap);
	return a;
}

/* The types of a scalar dipb reads as text, with null when optional. */
static json_t *
text_types(int null)
{
	return null ? strings("string", "number", "boolean", "null", NULL) :
	    strings("string", "number", "boolean", NULL);
}

/*
 * A text that must hold more than blanks (spaces, tabs, line ends), as
 * dipb reads a required one (dipb-record(5), FIELDS).
 */
static void
not_blank(json_t *o)
{
	json_object_set_new(o, "minLength", json_integer(1));
	json_object_set_new(o, "pattern", json_string("[^ \\t\\r\\n]"));
}

/* A key that may be left empty (null): absent, to dipb. */
static int
nullable(const struct dipb_key *k)
{
	return !(k->flags & (DIPB_KEY_REQUIRED | DIPB_KEY_NONEMPTY));
}

static json_t *
enum_of(const char *const *v, size_t n, int null)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	if (null)
		json_array_append_new(a, json_null());
	return a;
}

/* c as a regular expression of itself, for ECMA-262 and Python alike. */
static void
regex_char(struct dipb_buf *out, char c)
{
	if (strchr("^$\\.*+?()[]{}|/", c) != NULL)
		dipb_buf_putc(out, '\\');
	dipb_buf_putc(out, c);
}

/* s as a regular expression matching it in any ASCII case (strcasecmp). */
static void
regex_nocase(struct dipb_buf *out, const char *s)
{
	char lo, up;

	for (; *s != '\0'; s++) {
		lo = *s >= 'A' && *s <= 'Z' ? (char)(*s - 'A' + 'a') : *s;
		up = *s >= 'a' && *s <= 'z' ? (char)(*s - 'a' + 'A') : *s;
		if (lo != up)
			dipb_buf_printf(out, "[%c%c]", lo, up);
		else
			regex_char(out, *s);
	}
}

/*
 * The members' emails (with role, those holding it) into o: with pattern,
 * a pattern that matches them in any case, as dipb compares them; else
 * the emails as examples, which editors offer.
 */
static void
members(json_t *o, const struct dipb_board *b, enum dipb_role role,
    int pattern)
{
	struct dipb_buf re = DIPB_BUF_INIT;
	json_t *ex = json_array();
	size_t i;

	for (i = 0; i < b->nmembers; i++) {
		if (b->members[i].email == NULL || (role != 0 &&
		    !dipb_member_has_role(&b->members[i], role, NULL)))
			continue;
		dipb_buf_puts(&re, json_array_size(ex) == 0 ? "^(" : "|");
		regex_nocase(&re, b->members[i].email);
		json_array_append_new(ex, json_string(b->members[i].email));
	}
	dipb_buf_puts(&re, ")$");
	if (!pattern)
		json_object_set_new(o, "examples", ex);
	else {
		/* Nobody can be named: every value is refused. */
		if (json_array_size(ex) == 0)
			json_object_set_new(o, "not", json_object());
		else
			json_object_set_new(o, "pattern",
			    json_string(dipb_buf_cstr(&re)));
		json_decref(ex);
	}
	dipb_buf_release(&re);
}

/* What the board b says a text key k may hold. */
static void
board_values(json_t *o, const struct dipb_key *k, const struct dipb_board *b)
{
	json_t *a;
	size_t i;

	if (k->flags & DIPB_KEY_WG) {
		a = json_array();
		for (i = 0; i < b->nwgs; i++)
			json_array_append_new(a, json_string(b->wgs[i].key));
		if (nullable(k))
			json_array_append_new(a, json_null());
		json_object_del(o, "type");
		json_object_del(o, "minLength");
		json_object_set_new(o, "enum", a);
	} else if (k->flags & DIPB_KEY_LEVEL) {
		json_object_del(o, "type");
		json_object_del(o, "minLength");
		json_object_set_new(o, "enum", enum_of(
		    (const char *const *)b->classifications.v,
		    b->classifications.n, nullable(k)));
	} else if (k->flags & DIPB_KEY_MEMBER)
		members(o, b, 0, 0);	/* the pattern: people_rules */
	else if (k->flags & DIPB_KEY_REVIEWER)
		members(o, b, DIPB_ROLE_REVIEWER, 0);
}

/* The regular expression of an id: of the board's prefixes, with b. */
static char *
id_pattern(const struct dipb_board *b)
{
	struct dipb_buf re = DIPB_BUF_INIT;
	size_t i;

	if (b == NULL || b->nwgs == 0)
		return xstrdup("^" PREFIX_PATTERN ID_NUMBER);
	for (i = 0; i < b->nwgs; i++) {
		dipb_buf_puts(&re, i == 0 ? "^(" : "|");
		dipb_buf_puts(&re, b->wgs[i].prefix);
	}
	dipb_buf_puts(&re, ")" ID_NUMBER);
	return dipb_buf_detach(&re);
}

static json_t *map_schema(const struct dipb_key *, size_t,
    const struct dipb_board *);

static json_t *
key_schema(const struct dipb_key *k, const struct dipb_board *b)
{
	json_t *o = json_object(), *items, *map;
	int null = nullable(k), list_null = !(k->flags & DIPB_KEY_NONEMPTY);
	char *re;

	json_object_set_new(o, "title", json_string(k->title));
	json_object_set_new(o, "description", json_string(k->help));
	switch (k->type) {
	case DIPB_KEY_TEXT:
	case DIPB_KEY_MARKDOWN:
		json_object_set_new(o, "type", text_types(null));
		if (!null)
			not_blank(o);
		/* Characters: never more than bytes, dipb's measure. */
		if (k->type == DIPB_KEY_MARKDOWN)
			json_object_set_new(o, "maxLength",
			    json_integer(DIPB_MAX_MARKDOWN));
		if (b != NULL)
			board_values(o, k, b);
		break;
	case DIPB_KEY_DATE:
		json_object_set_new(o, "type", null ?
		    strings("string", "null", NULL) : json_string("string"));
		json_object_set_new(o, "format", json_string("date"));
		json_object_set_new(o, "pattern", json_string(DATE_PATTERN));
		break;
	case DIPB_KEY_ID:
		json_object_set_new(o, "type", json_string("string"));
		re = id_pattern(b);
		json_object_set_new(o, "pattern", json_string(re));
		free(re);
		json_object_set_new(o, "maxLength", json_integer(DIPB_MAX_ID));
		break;
	case DIPB_KEY_PREFIX:
		json_object_set_new(o, "type", json_string("string"));
		json_object_set_new(o, "pattern",
		    json_string("^" PREFIX_PATTERN "$"));
		break;
	case DIPB_KEY_EMAIL:
		json_object_set_new(o, "type", json_string("string"));
		json_object_set_new(o, "pattern", json_string(EMAIL_PATTERN));
		break;
	case DIPB_KEY_FINGERPRINT:
		/* 12345678 unquoted is a number to an editor, text to dipb. */
		json_object_set_new(o, "type", strings("string", "number",
		    NULL));
		re = xasprintf("^[0-9a-f]{%d}$", DIPB_FINGERPRINT_LEN);
		json_object_set_new(o, "pattern", json_string(re));
		free(re);
		break;
	case DIPB_KEY_ENUM:
		json_object_set_new(o, "enum", enum_of(k->values, k->nvalues,
		    null));
		break;
	case DIPB_KEY_LIST:
	case DIPB_KEY_ENUM_LIST:
	case DIPB_KEY_MAP_LIST:
		json_object_set_new(o, "type", list_null ?
		    strings("array", "null", NULL) : json_string("array"));
		if (!list_null)
			json_object_set_new(o, "minItems", json_integer(1));
		if (k->type == DIPB_KEY_MAP_LIST)
			items = map_schema(k->sub, k->nsub, b);
		else if (k->type == DIPB_KEY_ENUM_LIST) {
			items = json_object();
			json_object_set_new(items, "enum",
			    enum_of(k->values, k->nvalues, 0));
		} else {
			items = json_object();
			json_object_set_new(items, "type", text_types(0));
			not_blank(items);
		}
		json_object_set_new(o, "items", items);
		break;
	case DIPB_KEY_MAP:
		map = map_schema(k->sub, k->nsub, b);
		json_object_update(o, map);
		json_decref(map);
		json_object_set_new(o, "type", null ?
		    strings("object", "null", NULL) : json_string("object"));
		break;
	case DIPB_KEY_COUNT:
		/* dipb reads "2" and 2 alike; the pattern is for strings. */
		json_object_set_new(o, "type", strings("integer", "string",
		    NULL));
		json_object_set_new(o, "minimum", json_integer(1));
		json_object_set_new(o, "maximum", json_integer(k->max));
		json_object_set_new(o, "pattern", json_string("^[0-9]+$"));
		break;
	}
	return o;
}

/* A mapping of keys[0..n): no other key, the required ones present. */
static json_t *
map_schema(const struct dipb_key *keys, size_t n, const struct dipb_board *b)
{
	json_t *o = json_object(), *props = json_object();
	json_t *req = json_array();
	size_t i;

	for (i = 0; i < n; i++) {
		json_object_set_new(props, keys[i].name, key_schema(&keys[i],
		    b));
		if (keys[i].flags & DIPB_KEY_REQUIRED)
			json_array_append_new(req, json_string(keys[i].name));
	}
	json_object_set_new(o, "type", json_string("object"));
	json_object_set_new(o, "properties", props);
	if (json_array_size(req) > 0)
		json_object_set_new(o, "required", req);
	else
		json_decref(req);
	/* An unknown key is a warning of validate, an error of edit. */
	json_object_set_new(o, "additionalProperties", json_false());
	return o;
}

/* {"required": [key], "properties": {key: v}}, v taken. */
static json_t *
with_key(const char *key, json_t *v, int required)
{
	json_t *o = json_object(), *props = json_object();

	if (required)
		json_object_set_new(o, "required", strings(key, NULL));
	json_object_set_new(props, key, v);
	json_object_set_new(o, "properties", props);
	return o;
}

static json_t *
if_then(json_t *cond, json_t *then, json_t *otherwise)
{
	json_t *o = json_object();

	json_object_set_new(o, "if", cond);
	json_object_set_new(o, "then", then);
	if (otherwise != NULL)
		json_object_set_new(o, "else", otherwise);
	return o;
}

/* The status's rules: [submission], [decision], [withdrawal], [status]. */
static void
status_rules(json_t *all)
{
	const struct dipb_key *k;
	json_t *when, *v, *contains;
	size_t f;
	int s;

	for (f = 0; f < DIPB_F__COUNT; f++) {
		k = &dipb_record_keys[f];
		if (k->statuses == 0)
			continue;
		when = json_array();
		for (s = 0; s < DIPB_STATUS__COUNT; s++)
			if ((k->statuses >> s) & 1)
				json_array_append_new(when, json_string(
				    dipb_status_name((enum dipb_status)s)));
		v = json_object();
		json_object_set_new(v, "enum", when);
		json_array_append_new(all, if_then(with_key("status", v, 1),
		    with_key(k->name, json_pack("{s:s}", "type", "object"), 1),
		    with_key(k->name, json_pack("{s:s}", "type", "null"), 0)));
	}
	/* A returned record has a review that is not an endorsement. */
	v = json_array();
	for (s = 0; s < (int)(sizeof(dipb_verdict_names) /
	    sizeof(dipb_verdict_names[0])); s++)
		if (s != DIPB_VERDICT_ENDORSE)
			json_array_append_new(v, json_string(
			    dipb_verdict_name((enum dipb_verdict)s)));
	contains = json_pack("{s:s, s:o}", "type", "object", "properties",
	    json_pack("{s:{s:o}}", "verdict", "enum", v));
	json_object_set_new(contains, "required", strings("verdict", NULL));
	json_array_append_new(all, if_then(with_key("status", json_pack(
	    "{s:s}", "const", dipb_status_name(DIPB_STATUS_RETURNED)), 1),
	    with_key("reviews", json_pack("{s:s, s:o}", "type", "array",
	    "contains", contains), 1), NULL));
}

/* [id-prefix]: the id of a group's record starts with its prefix. */
static void
prefix_rules(json_t *all, const struct dipb_board *b)
{
	char *re;
	size_t i;

	for (i = 0; i < b->nwgs; i++) {
		re = xasprintf("^%s-", b->wgs[i].prefix);
		json_array_append_new(all, if_then(with_key("working_group",
		    json_pack("{s:s}", "const", b->wgs[i].key), 1),
		    with_key("id", json_pack("{s:s}", "pattern", re), 0),
		    NULL));
		free(re);
	}
}

/* {"enum": [...]} of the n statuses v, as "status" of an if. */
static json_t *
status_in(const enum dipb_status *v, size_t n)
{
	json_t *names = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(names, json_string(dipb_status_name(
		    v[i])));
	return with_key("status", json_pack("{s:o}", "enum", names), 1);
}

/*
 * [member] and [reviewer-role]: the author and each reviewer are members,
 * the reviewers with the reviewer role, unless they are history, where
 * dipb validate only warns of them (dipb-validate(1)): the author once
 * the record is submitted, decided or withdrawn, the reviewers from
 * endorsed on, when no review is given any more and the endorsements
 * stand as they were given (validate.c, people_past and reviewers_past).
 */
static void
people_rules(json_t *all, const struct dipb_board *b)
{
	static const enum dipb_status past[] = { DIPB_STATUS_SUBMITTED,
	    DIPB_STATUS_DECIDED, DIPB_STATUS_WITHDRAWN, DIPB_STATUS_ENDORSED };
	json_t *author = json_object(), *reviewer = json_object(), *open;

	members(author, b, 0, 1);
	json_array_append_new(all, if_then(status_in(past, 3), json_true(),
	    with_key("author", author, 0)));
	members(reviewer, b, DIPB_ROLE_REVIEWER, 1);
	open = with_key("reviews", json_pack("{s:{s:{s:o}}}", "items",
	    "properties", "reviewer", reviewer), 0);
	json_array_append_new(all, if_then(status_in(past, 4), json_true(),
	    open));
}

/* The schema s as text; s is released. */
static char *
text(json_t *s)
{
	char *j = json_dumps(s, JSON_INDENT(2) | JSON_PRESERVE_ORDER), *out;

	json_decref(s);
	if (j == NULL)
		dipb_oom();
	out = dipb_text_json(j, strlen(j));
	free(j);
	j = xasprintf("%s\n", out);
	free(out);
	return j;
}

/* "$schema", title and description first, then body's members. */
static json_t *
schema(const char *title, const char *help, json_t *body)
{
	json_t *o = json_object();

	json_object_set_new(o, "$schema", json_string(DRAFT_2020_12));
	json_object_set_new(o, "title", json_string(title));
	json_object_set_new(o, "description", json_string(help));
	json_object_update(o, body);
	json_decref(body);
	return o;
}

/*
 * text(schema(title, ...)) of a file of board b's: its description
 * "BEFORE 'NAME'AFTER", naming b, or any, of any board's (b NULL).
 */
static char *
board_text(const char *title, json_t *body, const struct dipb_board *b,
    const char *before, const char *after, const char *any)
{
	char *help;

	if (b != NULL)
		help = xasprintf("%s '%s'%s", before,
		    b->board != NULL ? b->board : "", after);
	else
		help = xstrdup(any);
	body = schema(title, help, body);
	free(help);
	return text(body);
}

char *
dipb_schema_record(const struct dipb_board *b)
{
	json_t *body = map_schema(dipb_record_keys, DIPB_F__COUNT, b);
	json_t *all = json_array();

	status_rules(all);
	if (b != NULL) {
		prefix_rules(all, b);
		people_rules(all, b);
	}
	json_object_set_new(body, "allOf", all);
	return board_text("dipb recommendation", body, b,
	    "A recommendation of the board", ", recommendations/ID.yaml "
	    "(dipb-record(5)), with the working groups, classifications and "
	    "members of its dipb.yaml: write it again with 'dipb schema "
	    "record' when dipb.yaml changes.  'dipb validate' checks the "
	    "rest.",
	    "A recommendation of a dipb board, recommendations/ID.yaml "
	    "(dipb-record(5)).  'dipb validate' checks the rest, against "
	    "dipb.yaml.");
}

/*
 * The keys of an action in a draft, into out (DIPB_MAX_KEYS), from those
 * of a record: open, its due date never moved (dipb-record(5)), as the
 * loader takes a drafter's input.  Returns how many.
 */
static size_t
draft_action_keys(struct dipb_key *out, const struct dipb_key *action)
{
	size_t k, n = 0;

	for (k = 0; k < action->nsub && n < DIPB_MAX_KEYS; k++) {
		if (strcmp(action->sub[k].name, "rescheduled") == 0)
			continue;
		out[n] = action->sub[k];
		if (strcmp(out[n].name, "state") == 0)
			out[n].nvalues = 1;	/* open, first */
		n++;
	}
	return n;
}

char *
dipb_schema_draft(const struct dipb_board *b)
{
	struct dipb_key keys[DIPB_F__COUNT], akeys[DIPB_MAX_KEYS];
	size_t i, j, n = 0;

	for (i = 0; i < DIPB_F__COUNT; i++) {
		if (!(dipb_record_keys[i].flags & DIPB_KEY_DRAFTER))
			continue;
		keys[n] = dipb_record_keys[i];
		keys[n].flags &= ~(unsigned)DIPB_KEY_REQUIRED;
		if (i == DIPB_F_ACTIONS) {
			keys[n].nsub = draft_action_keys(akeys, &keys[n]);
			keys[n].sub = akeys;
		}
		for (j = 0; j < sizeof(dipb_draft_needed) /
		    sizeof(dipb_draft_needed[0]); j++)
			if (dipb_draft_needed[j] == (enum dipb_field)i)
				keys[n].flags |= DIPB_KEY_REQUIRED;
		n++;
	}
	return board_text("dipb draft", map_schema(keys, n, b), b,
	    "A draft for the board", ", the file 'dipb recommend --from' "
	    "reads (dipb-recommend(1)): the drafter's keys only, with the "
	    "working groups and classifications of its dipb.yaml.",
	    "A draft for a dipb board, the file 'dipb recommend --from' "
	    "reads (dipb-recommend(1)): the drafter's keys only.");
}

char *
dipb_schema_board(void)
{
	return text(schema("dipb board", "The board's configuration, "
	    "dipb.yaml (dipb-board(5)).  'dipb validate' checks the rest.",
	    map_schema(dipb_board_keys, dipb_board_nkeys, NULL)));
}

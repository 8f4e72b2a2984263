/*
 * yaml_emit.c - the canonical YAML form (dipb-record(5), CANONICAL FORM).
 *
 * Written by hand rather than with libyaml's emitter: libyaml writes a
 * block sequence inside a mapping at the mapping's own indentation
 * ("actions:\n- text: ..."), while the documented form indents it
 * ("actions:\n  - text: ..."), and libyaml picks scalar styles by rules of
 * its own.  Every choice below depends on the string alone, so loading a
 * canonical file and writing it again gives the same bytes.
 *
 * Styles: Markdown fields are literal blocks ("|"); other strings are
 * plain when a YAML 1.1 or 1.2 loader would read them back as the same
 * string, else double-quoted.  The date fields are plain on purpose, as
 * dipb-record(5) shows them (a YAML 1.1 loader reads them as dates); a date in any other
 * field is quoted.
 */
#include <string.h>

#include "date.h"
#include "record.h"
#include "yaml_tree.h"

#define BAD_CHAR	0xfffffffful

/* Decodes the character at s into *n bytes; BAD_CHAR for invalid UTF-8. */
static unsigned long
decode(const char *s, size_t *n)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned long c;
	size_t k, len;

	if (u[0] < 0x80) {
		*n = 1;
		return u[0];
	}
	len = u[0] >= 0xf0 ? 4 : u[0] >= 0xe0 ? 3 : 2;
	if (strnlen(s, len) < len || !dipb_utf8_valid(s, len)) {
		*n = 1;
		return BAD_CHAR;
	}
	c = u[0] & (0x3f >> (len - 1));
	for (k = 1; k < len; k++)
		c = (c << 6) | (u[k] & 0x3f);
	*n = len;
	return c;
}

/*
 * Characters that may stand as they are in any style.  Not the C0 and C1
 * controls, DEL, the byte order mark or U+FFFE/U+FFFF (libyaml refuses
 * them in a file), nor NEL, LS and PS, which libyaml reads as line breaks.
 */
static int
raw_ok(unsigned long c)
{
	return (c >= 0x20 && c <= 0x7e) ||
	    (c >= 0xa0 && c <= 0xd7ff && c != 0x2028 && c != 0x2029) ||
	    (c >= 0xe000 && c <= 0xfffd && c != 0xfeff) ||
	    (c >= 0x10000 && c <= 0x10ffff);
}

static int
all_raw(const char *s, int allow_newline_tab)
{
	unsigned long c;
	size_t n;

	for (; *s != '\0'; s += n) {
		c = decode(s, &n);
		if (raw_ok(c))
			continue;
		if (allow_newline_tab && (c == '\n' || c == '\t'))
			continue;
		return 0;
	}
	return 1;
}

static int
one_of(const char *s, const char *const *words)
{
	for (; *words != NULL; words++)
		if (strcmp(s, *words) == 0)
			return 1;
	return 0;
}

/* Null, booleans of YAML 1.1 and 1.2, merge and value keys. */
static int
is_word(const char *s)
{
	static const char *const words[] = { "~", "null", "Null", "NULL",
	    "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
	    "true", "True", "TRUE", "false", "False", "FALSE",
	    "on", "On", "ON", "off", "Off", "OFF", "<<", "=", NULL };

	return one_of(s, words);
}

static int
is_special_float(const char *p)
{
	static const char *const words[] = { ".inf", ".Inf", ".INF", ".nan",
	    ".NaN", ".NAN", NULL };

	return one_of(p, words);
}

/* 1 if the digits-and-dots-and-exponent form of a YAML number. */
static int
is_decimal(const char *p)
{
	size_t digits = strspn(p, "0123456789");
	const char *q = p;

	q += strspn(q, "0123456789_");
	if (*q == '.') {
		q++;
		digits += strspn(q, "0123456789");
		q += strspn(q, "0123456789_");
	}
	if (digits == 0)
		return 0;
	if (*q == 'e' || *q == 'E') {
		q++;
		if (*q == '+' || *q == '-')
			q++;
		if (strspn(q, "0123456789") == 0)
			return 0;
		q += strspn(q, "0123456789");
	}
	return *q == '\0';
}

/*
 * Integers and floats of YAML 1.1 and 1.2: decimal, 0x, 0o, 0b, octal,
 * underscores, exponents, .inf, .nan, sexagesimal (1:20).  Generous: a
 * string of digits, dots, underscores and colons counts as a number.
 */
static int
is_number(const char *s)
{
	const char *p = s;

	if (*p == '+' || *p == '-')
		p++;
	if (is_special_float(p))
		return 1;
	if (p[0] == '0' && p[1] != '\0' && strchr("xXoObB", p[1]) != NULL &&
	    p[2] != '\0' && strspn(p + 2, "0123456789abcdefABCDEF_") ==
	    strlen(p + 2))
		return 1;
	if (*p != '\0' && strspn(p, "0123456789_.:") == strlen(p) &&
	    strpbrk(p, "0123456789.") != NULL)
		return 1;
	return is_decimal(p);
}

/* YYYY-M-D at the start: a YAML 1.1 timestamp. */
static int
is_timestamp(const char *s)
{
	size_t n = strspn(s, "0123456789"), m;

	if (n != 4 || s[4] != '-')
		return 0;
	m = strspn(s + 5, "0123456789");
	if (m < 1 || m > 2 || s[5 + m] != '-')
		return 0;
	return strspn(s + 6 + m, "0123456789") >= 1;
}

static int
plain_ok(const char *s, int flow)
{
	size_t len = strlen(s);

	if (len == 0 || strchr("-?:,[]{}#&*!|>'\"%@` ", s[0]) != NULL)
		return 0;
	if (s[len - 1] == ' ' || s[len - 1] == ':')
		return 0;
	if (strstr(s, ": ") != NULL || strstr(s, " #") != NULL)
		return 0;
	if (flow && strpbrk(s, ",[]{}:?#") != NULL)
		return 0;
	if (!all_raw(s, 0))
		return 0;
	return !is_word(s) && !is_number(s) && !is_timestamp(s);
}

static void
put_escape(struct dipb_buf *b, unsigned long c)
{
	static const char short_esc[] = "0\0\0\0\0\0\0abtnvfr";

	if (c < 0x0e && short_esc[c] != '\0')
		dipb_buf_printf(b, "\\%c", short_esc[c]);
	else if (c == 0x1b)
		dipb_buf_puts(b, "\\e");
	else if (c == 0x85)
		dipb_buf_puts(b, "\\N");
	else if (c == 0x2028)
		dipb_buf_puts(b, "\\L");
	else if (c == 0x2029)
		dipb_buf_puts(b, "\\P");
	else if (c <= 0xff)
		dipb_buf_printf(b, "\\x%02lx", c);
	else
		dipb_buf_printf(b, "\\u%04lx", c);
}

/* Invalid UTF-8 cannot be written in YAML: it becomes U+FFFD. */
static void
put_dquoted(struct dipb_buf *b, const char *s)
{
	unsigned long c;
	size_t n;

	dipb_buf_putc(b, '"');
	for (; *s != '\0'; s += n) {
		c = decode(s, &n);
		if (c == BAD_CHAR)
			put_escape(b, 0xfffd);
		else if (c == '"' || c == '\\') {
			dipb_buf_putc(b, '\\');
			dipb_buf_putc(b, (char)c);
		} else if (raw_ok(c))
			dipb_buf_put(b, s, n);
		else
			put_escape(b, c);
	}
	dipb_buf_putc(b, '"');
}

static void
put_scalar(struct dipb_buf *b, const char *s, int flow)
{
	if (plain_ok(s, flow))
		dipb_buf_puts(b, s);
	else
		put_dquoted(b, s);
}

static void
spaces(struct dipb_buf *b, unsigned n)
{
	while (n-- > 0)
		dipb_buf_putc(b, ' ');
}

/*
 * A literal block needs printable text that is not only line breaks: a
 * block of empty lines reads back as "" under clip chomping.
 */
static int
literal_ok(const char *s)
{
	return s[strspn(s, "\n")] != '\0' && all_raw(s, 1);
}

/*
 * libyaml guesses a block's indentation from its first non-empty line; a
 * line starting with a space would be taken as indentation, and one
 * starting with a tab is an error.  Those need an explicit indicator.
 */
static int
needs_indicator(const char *s)
{
	s += strspn(s, "\n");
	return *s == ' ' || *s == '\t';
}

/* Chomping: strip ("-") without a final newline, keep ("+") for several. */
static void
put_literal(struct dipb_buf *b, unsigned indent, const char *s)
{
	size_t len = strlen(s), trail = 0, n;
	const char *p, *nl;

	while (trail < len && s[len - 1 - trail] == '\n')
		trail++;
	dipb_buf_putc(b, '|');
	if (needs_indicator(s))
		dipb_buf_putc(b, '2');
	if (trail == 0)
		dipb_buf_putc(b, '-');
	else if (trail > 1)
		dipb_buf_putc(b, '+');
	dipb_buf_putc(b, '\n');
	for (p = s; *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		n = nl != NULL ? (size_t)(nl - p) : strlen(p);
		if (n > 0) {
			spaces(b, indent);
			dipb_buf_put(b, p, n);
		}
		dipb_buf_putc(b, '\n');
		if (nl == NULL)
			break;
	}
}

void
dipb_yemit_key(struct dipb_yemit *e, const char *key)
{
	if (e->dash) {
		spaces(e->out, e->col - 2);
		dipb_buf_puts(e->out, "- ");
		e->dash = 0;
	} else
		spaces(e->out, e->col);
	dipb_buf_puts(e->out, key);
	dipb_buf_putc(e->out, ':');
}

void
dipb_yemit_raw(struct dipb_yemit *e, const char *key, const char *val)
{
	dipb_yemit_key(e, key);
	dipb_buf_putc(e->out, ' ');
	dipb_buf_puts(e->out, val);
	dipb_buf_putc(e->out, '\n');
}

void
dipb_yemit_str(struct dipb_yemit *e, const char *key, const char *val)
{
	if (val == NULL)
		return;
	dipb_yemit_key(e, key);
	dipb_buf_putc(e->out, ' ');
	put_scalar(e->out, val, 0);
	dipb_buf_putc(e->out, '\n');
}

void
dipb_yemit_date(struct dipb_yemit *e, const char *key, const char *val)
{
	if (val != NULL && dipb_date_valid(val))
		dipb_yemit_raw(e, key, val);
	else
		dipb_yemit_str(e, key, val);
}

void
dipb_yemit_md(struct dipb_yemit *e, const char *key, const char *val)
{
	if (val == NULL)
		return;
	dipb_yemit_key(e, key);
	dipb_buf_putc(e->out, ' ');
	if (literal_ok(val))
		put_literal(e->out, e->col + 2, val);
	else {
		put_dquoted(e->out, val);
		dipb_buf_putc(e->out, '\n');
	}
}

void
dipb_yemit_flow(struct dipb_yemit *e, const char *key, char *const *v,
    size_t n, int always)
{
	size_t i;

	if (n == 0 && !always)
		return;
	dipb_yemit_key(e, key);
	dipb_buf_puts(e->out, " [");
	for (i = 0; i < n; i++) {
		if (i > 0)
			dipb_buf_puts(e->out, ", ");
		put_scalar(e->out, v[i], 1);
	}
	dipb_buf_puts(e->out, "]\n");
}

void
dipb_yemit_list(struct dipb_yemit *e, const char *key, char *const *v,
    size_t n)
{
	size_t i;

	if (n == 0)
		return;
	dipb_yemit_key(e, key);
	dipb_buf_putc(e->out, '\n');
	for (i = 0; i < n; i++) {
		spaces(e->out, e->col + 2);
		dipb_buf_puts(e->out, "- ");
		put_scalar(e->out, v[i], 0);
		dipb_buf_putc(e->out, '\n');
	}
}

/* Not the drafter's: the moves of the due date (dipb-record(5)). */
static void
emit_rescheduled(struct dipb_yemit *e, const struct dipb_action *a)
{
	struct dipb_yemit item = { e->out, e->col + 4, 0 };
	const struct dipb_reschedule *x;
	size_t i;

	if (a->nrescheduled == 0)
		return;
	dipb_yemit_key(e, "rescheduled");
	dipb_buf_putc(e->out, '\n');
	for (i = 0; i < a->nrescheduled; i++) {
		x = &a->rescheduled[i];
		item.dash = 1;
		dipb_yemit_date(&item, "from", x->from);
		dipb_yemit_date(&item, "to", x->to);
		dipb_yemit_date(&item, "date", x->date);
		dipb_yemit_str(&item, "by", x->by);
		dipb_yemit_md(&item, "reason", x->reason);
	}
}

static void
emit_actions(struct dipb_yemit *e, const struct dipb_record *r, int drafted)
{
	struct dipb_yemit item = { e->out, e->col + 4, 0 };
	const struct dipb_action *a;
	size_t i;

	if (r->nactions == 0)
		return;
	dipb_yemit_key(e, dipb_field_name(DIPB_F_ACTIONS));
	dipb_buf_putc(e->out, '\n');
	for (i = 0; i < r->nactions; i++) {
		a = &r->actions[i];
		item.dash = 1;
		dipb_yemit_str(&item, "text", a->text);
		dipb_yemit_str(&item, "owner", a->owner);
		dipb_yemit_date(&item, "due", a->due);
		if (!drafted)
			dipb_yemit_str(&item, "state",
			    dipb_action_state_name(a->state));
		if (!drafted)
			emit_rescheduled(&item, a);
	}
}

static void
emit_reviews(struct dipb_yemit *e, const struct dipb_record *r)
{
	struct dipb_yemit item = { e->out, e->col + 4, 0 };
	const struct dipb_review *rv;
	size_t i;

	if (r->nreviews == 0)
		return;
	dipb_yemit_key(e, dipb_field_name(DIPB_F_REVIEWS));
	dipb_buf_putc(e->out, '\n');
	for (i = 0; i < r->nreviews; i++) {
		rv = &r->reviews[i];
		item.dash = 1;
		dipb_yemit_str(&item, "reviewer", rv->reviewer);
		dipb_yemit_date(&item, "date", rv->date);
		dipb_yemit_str(&item, "verdict", dipb_verdict_name(rv->verdict));
		dipb_yemit_str(&item, "fingerprint", rv->fingerprint);
		dipb_yemit_str(&item, "classification", rv->classification);
		dipb_yemit_md(&item, "comment", rv->comment);
	}
}

static void
emit_replies(struct dipb_yemit *e, const struct dipb_record *r)
{
	struct dipb_yemit item = { e->out, e->col + 4, 0 };
	const struct dipb_reply *rp;
	size_t i;

	if (r->nreplies == 0)
		return;
	dipb_yemit_key(e, dipb_field_name(DIPB_F_REPLIES));
	dipb_buf_putc(e->out, '\n');
	for (i = 0; i < r->nreplies; i++) {
		rp = &r->replies[i];
		item.dash = 1;
		dipb_yemit_str(&item, "by", rp->by);
		dipb_yemit_date(&item, "date", rp->date);
		dipb_yemit_str(&item, "to", rp->to);
		dipb_yemit_md(&item, "text", rp->text);
	}
}

static void
emit_closing(struct dipb_yemit *e, const struct dipb_record *r)
{
	struct dipb_yemit sub = { e->out, e->col + 2, 0 };

	if (r->submission != NULL) {
		dipb_yemit_key(e, dipb_field_name(DIPB_F_SUBMISSION));
		dipb_buf_putc(e->out, '\n');
		dipb_yemit_date(&sub, "date", r->submission->date);
		dipb_yemit_str(&sub, "to", r->submission->to);
		dipb_yemit_str(&sub, "reference", r->submission->reference);
	}
	if (r->decision != NULL) {
		dipb_yemit_key(e, dipb_field_name(DIPB_F_DECISION));
		dipb_buf_putc(e->out, '\n');
		dipb_yemit_date(&sub, "date", r->decision->date);
		dipb_yemit_str(&sub, "outcome",
		    dipb_outcome_name(r->decision->outcome));
		dipb_yemit_md(&sub, "note", r->decision->note);
	}
	if (r->withdrawal != NULL) {
		dipb_yemit_key(e, dipb_field_name(DIPB_F_WITHDRAWAL));
		dipb_buf_putc(e->out, '\n');
		dipb_yemit_date(&sub, "date", r->withdrawal->date);
		dipb_yemit_str(&sub, "by", r->withdrawal->by);
		dipb_yemit_md(&sub, "reason", r->withdrawal->reason);
	}
}

/* drafted: only what the drafter wrote, actions without their state. */
static void
emit_record(const struct dipb_record *r, struct dipb_buf *out, int drafted)
{
	struct dipb_yemit e = { out, 0, 0 };

	if (!drafted)
		dipb_yemit_str(&e, "id", r->id);
	dipb_yemit_str(&e, "title", r->title);
	dipb_yemit_str(&e, "working_group", r->working_group);
	if (!drafted && r->status != DIPB_STATUS_NONE)
		dipb_yemit_str(&e, "status", dipb_status_name(r->status));
	dipb_yemit_str(&e, "classification", r->classification);
	if (r->priority != DIPB_PRIORITY_NONE)
		dipb_yemit_str(&e, "priority", dipb_priority_name(r->priority));
	if (!drafted) {
		dipb_yemit_date(&e, "created", r->created);
		dipb_yemit_date(&e, "updated", r->updated);
		dipb_yemit_str(&e, "author", r->author);
	}
	dipb_yemit_flow(&e, "topics", r->topics.v, r->topics.n, 0);
	dipb_yemit_md(&e, "summary", r->summary);
	dipb_yemit_md(&e, "rationale", r->rationale);
	emit_actions(&e, r, drafted);
	dipb_yemit_list(&e, "references", r->references.v, r->references.n);
	if (!drafted) {
		emit_reviews(&e, r);
		emit_replies(&e, r);
		emit_closing(&e, r);
	}
}

void
dipb_record_emit(const struct dipb_record *r, struct dipb_buf *out)
{
	emit_record(r, out, 0);
}

void
dipb_record_emit_drafted(const struct dipb_record *r, struct dipb_buf *out)
{
	emit_record(r, out, 1);
}

/*
 * subject.c - the subject of each event's commit (subject.h), in the
 * words of dipb-workflow(7), "Commits and tags".
 */
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "subject.h"
#include "text.h"
#include "util.h"

/*
 * A subject being made: its text, and where a pattern's gaps are (a
 * writer's has none: dipb_subject_make).
 */
struct maker {
	struct dipb_buf	 b;
	int		 pattern;	/* values cleaned, NULL a gap */
	size_t		*gaps;
	size_t		*ngaps;
};

/*
 * The value v of a string of struct dipb_subject, into m.  In a pattern,
 * one holding a line end is a gap: the subject read (dipb_message_subject)
 * has its lines trimmed and joined, and record-invalid reports such a
 * value (dipb-verify(1), subject).
 */
static void
value(struct maker *m, const char *v)
{
	char *c;

	if (v == NULL || (m->pattern && strpbrk(v, "\n\r") != NULL)) {
		/* A writer gives every string its event names. */
		if (!m->pattern)
			dipb_abort("a subject made without its event's names");
		assert(*m->ngaps < DIPB_SUBJECT_GAPS);
		m->gaps[(*m->ngaps)++] = m->b.len;
	} else if (m->pattern) {
		c = dipb_text_clean(v, strlen(v));
		dipb_buf_puts(&m->b, c);
		free(c);
	} else
		dipb_buf_puts(&m->b, v);
}

/*
 * words into m: each "%s" a value, a string of struct dipb_subject
 * (value), from the arguments; any other character as it is.
 */
static void
say(struct maker *m, const char *words, ...)
{
	va_list ap;
	const char *p;

	va_start(ap, words);
	for (p = words; *p != '\0'; p++)
		if (p[0] == '%' && p[1] == 's') {
			value(m, va_arg(ap, const char *));
			p++;
		} else
			dipb_buf_putc(&m->b, *p);
	va_end(ap);
}

/* The words after "ID: ", into m. */
static void
what(struct maker *m, const struct dipb_subject *s)
{
	char n[32];

	switch (s->kind) {
	case DIPB_EVENT_DRAFTED:
		say(m, "drafted by %s", s->by);
		break;
	case DIPB_EVENT_EDITED:
		say(m, "edited by %s", s->by);
		break;
	case DIPB_EVENT_REVIEW_REQUESTED:
		say(m, "review requested by %s", s->by);
		break;
	case DIPB_EVENT_REVIEWED:
	case DIPB_EVENT_ENDORSED:
		say(m, "endorsed by %s (%s)", s->by, s->tally);
		break;
	case DIPB_EVENT_RETURNED:
		say(m, "%s by %s", s->verdict == DIPB_VERDICT_OBJECT ?
		    "objection" : "changes requested", s->by);
		break;
	case DIPB_EVENT_RECALLED:
		say(m, "recalled by %s", s->by);
		break;
	case DIPB_EVENT_SUBMITTED:
		say(m, "submitted to %s (%s)", s->to, s->ref);
		break;
	case DIPB_EVENT_DECIDED:
		say(m, "decided: %s", dipb_outcome_name(s->outcome));
		break;
	case DIPB_EVENT_WITHDRAWN:
		say(m, "withdrawn by %s", s->by);
		break;
	case DIPB_EVENT_ACTION_UPDATED:
		snprintf(n, sizeof(n), "%lu", s->action);
		say(m, "action %s %s", n, dipb_action_state_name(s->state));
		break;
	case DIPB_EVENT_ACTION_RESCHEDULED:
		snprintf(n, sizeof(n), "%lu", s->action);
		say(m, "action %s due %s", n, s->due);
		/* NULL here is no gap: the action had no due date. */
		if (s->was != NULL)
			say(m, ", was %s", s->was);
		break;
	case DIPB_EVENT_DECLASSIFIED:
		say(m, "declassified from %s to %s by %s", s->from, s->level,
		    s->by);
		break;
	case DIPB_EVENT_REPLIED:
		say(m, "reply to %s by %s", s->reviewer, s->by);
		break;
	case DIPB_EVENT_CREATED:
		say(m, "created by %s", s->by);
		break;
	case DIPB_EVENT_CHANGED:
		say(m, "changed by %s", s->by);
		break;
	case DIPB_EVENT_MIGRATED:
		snprintf(n, sizeof(n), "%zu", s->moved);
		say(m, s->moved == 1 ? "%s record moved to the %s layout by %s" :
		    "%s records moved to the %s layout by %s", n, s->layout,
		    s->by);
		break;
	case DIPB_EVENT_HELD:
		say(m, "%s held, recorded by %s", s->date, s->by);
		break;
	case DIPB_EVENT__COUNT:
		break;
	}
}

/* The subject of s into m. */
static void
make(struct maker *m, const struct dipb_subject *s)
{
	say(m, "%s: ", s->id);
	what(m, s);
}

char *
dipb_subject_make(const struct dipb_subject *s)
{
	struct maker m = { DIPB_BUF_INIT, 0, NULL, NULL };

	make(&m, s);
	return dipb_buf_detach(&m.b);
}

void
dipb_subject_pattern(struct dipb_subject_pattern *out,
    const struct dipb_subject *s)
{
	struct maker m = { DIPB_BUF_INIT, 1, out->gaps, &out->ngaps };

	out->ngaps = 0;
	make(&m, s);
	out->text = dipb_buf_detach(&m.b);
}

void
dipb_subject_pattern_release(struct dipb_subject_pattern *p)
{
	free(p->text);
	p->text = NULL;
	p->ngaps = 0;
}

/*
 * As a glob's '*' after a '?', in one pass that goes back only to the
 * last gap: a subject read from git may be long, and its time stays that
 * of its length times the pattern's.
 */
int
dipb_subject_match(const char *subject, const struct dipb_subject_pattern *p)
{
	const char *want = p->text, *star = NULL, *from = NULL;
	size_t gap = 0, star_gap = 0;

	while (*subject != '\0') {
		if (gap < p->ngaps && (size_t)(want - p->text) ==
		    p->gaps[gap]) {
			/* One character at least, then as few as fit. */
			star = want;
			star_gap = ++gap;
			from = ++subject;
		} else if (*want != '\0' && *want == *subject) {
			want++;
			subject++;
		} else if (star != NULL) {
			want = star;
			gap = star_gap;
			subject = ++from;
		} else
			return 0;
	}
	return gap == p->ngaps && *want == '\0';
}

char *
dipb_subject_pattern_show(const struct dipb_subject_pattern *p)
{
	struct dipb_buf b = DIPB_BUF_INIT;
	size_t i, gap = 0;

	for (i = 0;; i++) {
		while (gap < p->ngaps && p->gaps[gap] == i) {
			dipb_buf_putc(&b, '*');
			gap++;
		}
		if (p->text[i] == '\0')
			break;
		if (p->text[i] == '*' || p->text[i] == '\\')
			dipb_buf_putc(&b, '\\');
		dipb_buf_putc(&b, p->text[i]);
	}
	return dipb_buf_detach(&b);
}

/*
 * meeting.c - a board meeting's file, meetings/<date>.yaml (meeting.h,
 * dipb-record(5), "MEETINGS"), read through yaml_load.c's tree as the
 * records and dipb.yaml are, and written in the same canonical form.
 */
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "meeting.h"
#include "record.h"
#include "yaml_tree.h"


void
dipb_meeting_init(struct dipb_meeting *m)
{
	memset(m, 0, sizeof(*m));
}

static void
list_release(struct dipb_meeting_list *l)
{
	dipb_strlist_release(&l->s);
	free(l->pos);
	l->pos = NULL;
}

void
dipb_meeting_release(struct dipb_meeting *m)
{
	if (m == NULL)
		return;
	free(m->date);
	free(m->title);
	list_release(&m->attendees);
	list_release(&m->apologies);
	list_release(&m->agenda);
	free(m->notes);
	memset(m, 0, sizeof(*m));
}

/* A list of non-empty strings, each with its position. */
static void
load_list(struct dipb_yctx *ctx, const struct dipb_ypair *p,
    struct dipb_meeting_list *out)
{
	const struct dipb_ynode *v;
	size_t i;

	if (dipb_yt_absent(p))
		return;
	v = p->val;
	if (v->kind != DIPB_YSEQ) {
		dipb_yt_error(ctx, v->pos, "type", "'%s' must be a list",
		    p->key);
		return;
	}
	out->pos = xcalloc(v->n > 0 ? v->n : 1, sizeof(*out->pos));
	for (i = 0; i < v->n; i++) {
		const struct dipb_ynode *item = v->items[i];

		if (item->kind != DIPB_YSCALAR)
			dipb_yt_error(ctx, item->pos, "type",
			    "items of '%s' must be strings", p->key);
		else if (item->null || item->str[0] == '\0')
			dipb_yt_error(ctx, item->pos, "empty",
			    "empty item in '%s'", p->key);
		else {
			out->pos[out->s.n] = item->pos;
			dipb_strlist_push(&out->s, item->str);
		}
	}
}

/* Keys in canonical order. */
static const char *const keys[] = { "date", "title", "attendees",
    "apologies", "agenda", "notes" };

int
dipb_meeting_load(struct dipb_meeting *m, const char *path, const char *buf,
    size_t len, struct dipb_diags *diags)
{
	struct dipb_pos whole = { 0, 0 };
	const struct dipb_ypair *f[NELEM(keys)];
	struct dipb_yctx ctx;
	struct dipb_ynode *root;
	size_t nerrors = diags->nerrors;

	ctx.path = path;
	ctx.diags = diags;
	ctx.strict = 0;		/* an unknown key is a warning, as a record's */
	ctx.input = 0;
	if (dipb_ytree_parse(&root, &ctx, buf, len) == -1)
		return -1;
	if (root == NULL || (root->kind == DIPB_YSCALAR && root->null))
		dipb_yt_error(&ctx, whole, "empty", "file is empty");
	else if (dipb_yt_fields(&ctx, root, "a meeting", keys, NELEM(keys),
	    0x1 | 0x4, f) == 0) {
		m->date = dipb_yt_string(&ctx, f[0], DIPB_YT_REQ |
		    DIPB_YT_DATE);
		if (f[0] != NULL)
			m->date_pos = f[0]->val->pos;
		if (f[1] != NULL)
			m->title_pos = f[1]->pos;
		m->title = dipb_yt_string(&ctx, f[1], 0);
		load_list(&ctx, f[2], &m->attendees);
		load_list(&ctx, f[3], &m->apologies);
		load_list(&ctx, f[4], &m->agenda);
		if (f[5] != NULL)
			m->notes_pos = f[5]->pos;
		m->notes = dipb_yt_string(&ctx, f[5], DIPB_YT_MD);
	}
	dipb_ytree_free(root);
	return diags->nerrors > nerrors ? -1 : 0;
}

void
dipb_meeting_emit(const struct dipb_meeting *m, struct dipb_buf *out)
{
	struct dipb_yemit e = { out, 0, 0 };

	dipb_yemit_date(&e, "date", m->date);
	dipb_yemit_str(&e, "title", m->title);
	dipb_yemit_list(&e, "attendees", m->attendees.s.v, m->attendees.s.n);
	dipb_yemit_list(&e, "apologies", m->apologies.s.v, m->apologies.s.n);
	dipb_yemit_list(&e, "agenda", m->agenda.s.v, m->agenda.s.n);
	dipb_yemit_md(&e, "notes", m->notes);
}

char *
dipb_meeting_path(const char *date)
{
	return xasprintf(DIPB_MEETING_DIR "/%s.yaml", date);
}

int
dipb_meeting_file(const char *path)
{
	const char *end = strrchr(path, '/'), *dir;
	size_t n = strlen(DIPB_MEETING_DIR);

	if (end == NULL)
		return 0;
	for (dir = end; dir > path && dir[-1] != '/'; dir--)
		;
	return (size_t)(end - dir) == n && strncmp(dir, DIPB_MEETING_DIR,
	    n) == 0;
}

int
dipb_meeting_path_date(char out[11], const char *path)
{
	const char *name;

	if (strncmp(path, DIPB_MEETING_DIR "/",
	    sizeof(DIPB_MEETING_DIR)) != 0)
		return 0;
	name = path + sizeof(DIPB_MEETING_DIR);
	if (strlen(name) != 15 || strcmp(name + 10, ".yaml") != 0)
		return 0;
	memcpy(out, name, 10);
	out[10] = '\0';
	return dipb_date_valid(out);
}

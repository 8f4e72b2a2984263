/*
 * replay.c - each commit of the history judged by what it changes, a
 * stretch at a time.
 */
#include <stdlib.h>
#include <string.h>

#include "../meeting.h"
#include "../subject.h"
#include "../validate.h"
#include "internal.h"

/* A change of dipb.yaml by its own state change c. */
static void
check_board_change(struct verify *v, const struct commit *c,
    const struct change *ch, const char *tag)
{
	const struct dipb_member *m;
	struct dipb_board b;
	char *why = NULL;
	int created = c->kind == DIPB_EVENT_CREATED;
	enum dipb_role role;

	if (c->kind != DIPB_EVENT_MIGRATED)
		dipb_vfy_check_subject(v, c, tag, ch->path,
		    &(struct dipb_subject){ .kind = c->kind, .id = c->record });
	if (created && v->have_board)
		dipb_vfy_finding(v, c->id, tag, ch->path, "transition",
		    "the board is created again");
	else if (!created && !v->have_board)
		dipb_vfy_finding(v, c->id, tag, ch->path, "transition",
		    "dipb.yaml changed before the board was created");
	if (dipb_vfy_load_board(&b, v, ch, &why) < 0) {
		dipb_vfy_finding(v, c->id, tag, ch->path, "board-invalid", "%s",
		    why);
		free(why);
		if (ch->new_mode == 0)
			dipb_vfy_take_board(v, ch);
		return;
	}
	dipb_vfy_check_board(v, c, ch->path, tag, &b);
	/* The layout changes with the records, by a migration alone. */
	if (c->kind == DIPB_EVENT_CHANGED && v->have_board &&
	    b.layout != v->board.layout)
		dipb_vfy_finding(v, c->id, tag, ch->path, "migration", "the "
		    "change 'board changed' sets layout: %s, which only a "
		    "migration of every record changes (dipb migrate --layout "
		    "%s)", dipb_layout_name(b.layout),
		    dipb_layout_name(b.layout));
	/* init checks the chair in the new board; edit --board in the old. */
	m = dipb_board_member(created ? &b : &v->board, c->email);
	role = dipb_event_role(c->kind);
	if ((!created && !v->have_board) || m == NULL ||
	    !dipb_member_has_role(m, role, NULL))
		dipb_vfy_finding(v, c->id, tag, ch->path, "role",
		    "%s may not %s dipb.yaml: needs the %s role%s",
		    c->email, created ? "create" : "change",
		    dipb_role_name(role),
		    created ? " in it" : " as of the parent commit");
	dipb_board_release(&v->board);
	v->board = b;
	memcpy(v->board_blob, ch->new_id, sizeof(v->board_blob));
	v->have_board = 1;
}

static int
owned(const char *path)
{
	return strcmp(path, DIPB_BOARD_FILE) == 0 ||
	    strcmp(path, DIPB_MEETING_DIR) == 0 ||
	    strncmp(path, DIPB_MEETING_DIR "/", sizeof(DIPB_MEETING_DIR)) ==
	    0 ||
	    strcmp(path, DIPB_RECORD_DIR) == 0 ||
	    strncmp(path, DIPB_RECORD_DIR "/", sizeof(DIPB_RECORD_DIR)) == 0;
}

static const char *
verb(const struct change *ch)
{
	return ch->old_mode == 0 ? "adds" : ch->new_mode == 0 ? "deletes" :
	    "changes";
}

/*
 * A change of a record or dipb.yaml by a commit without dipb's trailers:
 * a plain commit, or a merge that brings it from the branch it merges
 * (its change against its first parent).  dipb's changes reach a branch
 * with dipb sync; a pull request carries drafts (dipb-verify(1),
 * "Branches").
 */
static void
plain_change(struct verify *v, const struct commit *c,
    const struct change *ch)
{
	if (c->nparents > 1)
		dipb_vfy_finding(v, c->id, NULL, ch->path, "merge", "merge "
		    "commit by %s <%s> %s %s: dipb changes reach the branch "
		    "with dipb sync, not with a merge (a pull request carries "
		    "drafts)", c->name, c->email, verb(ch), ch->path);
	else
		dipb_vfy_finding(v, c->id, NULL, ch->path, "plain-commit",
		    "plain git commit by %s <%s> %s %s", c->name, c->email,
		    verb(ch), ch->path);
}

/*
 * The file a meeting's change records: the one meetings/<date>.yaml it
 * changes, else (none, or several: the others are foreign) the first.
 */
static char *
meeting_path(const struct changes *chs)
{
	char date[11];
	size_t i;

	for (i = 0; i < chs->n; i++)
		if (dipb_meeting_path_date(date, chs->v[i].path))
			return xstrdup(chs->v[i].path);
	return xstrdup(DIPB_MEETING_DIR "/?.yaml");
}

/*
 * A meeting recorded by its own state change c (dipb-record(5),
 * "MEETINGS"): a new file that loads and keeps the meeting rules against
 * the board as of the parent, made by a secretary as of the parent.
 */
static void
check_meeting_change(struct verify *v, const struct commit *c,
    const struct change *ch, const char *tag)
{
	struct dipb_diags diags = DIPB_DIAGS_INIT;
	struct dipb_object *obj = NULL;
	const struct dipb_member *m;
	struct dipb_meeting mt;
	char *why, date[11];
	size_t i;

	dipb_meeting_init(&mt);
	if (dipb_meeting_path_date(date, ch->path))
		dipb_vfy_check_subject(v, c, tag, ch->path,
		    &(struct dipb_subject){ .kind = c->kind, .id = c->record,
		    .date = date });
	if (!v->have_board)
		dipb_vfy_finding(v, c->id, tag, ch->path, "transition",
		    "a meeting recorded before the board was created");
	m = v->have_board ? dipb_board_member(&v->board, c->email) : NULL;
	if (v->have_board && (m == NULL || !dipb_member_has_role(m,
	    dipb_event_role(DIPB_EVENT_HELD), NULL)))
		dipb_vfy_finding(v, c->id, tag, ch->path, "role",
		    "%s may not record a meeting: needs the %s role as of the "
		    "parent commit", c->email,
		    dipb_role_name(dipb_event_role(DIPB_EVENT_HELD)));
	if (ch->old_mode != 0) {
		dipb_vfy_finding(v, c->id, tag, ch->path, "meeting-invalid",
		    "%s %s a meeting already recorded: a meeting is recorded "
		    "once", c->event, ch->new_mode == 0 ? "deletes" :
		    "changes");
		goto done;
	}
	if (!dipb_vfy_is_blob_mode(ch->new_mode)) {
		dipb_vfy_finding(v, c->id, tag, ch->path, "meeting-invalid",
		    "%s is not a regular file", ch->path);
		goto done;
	}
	if ((why = dipb_vfy_blob_read(&obj, v, ch, ch->new_id)) != NULL) {
		dipb_vfy_finding(v, c->id, tag, ch->path, "meeting-invalid",
		    "%s", why);
		free(why);
		goto done;
	}
	if (dipb_meeting_load(&mt, ch->path, dipb_object_data(obj),
	    dipb_object_size(obj), &diags) != 0 ||
	    dipb_validate_meeting_written(&diags, ch->path, &mt,
	    v->have_board ? &v->board : NULL) > 0) {
		for (i = 0; i < diags.n; i++)
			if (diags.v[i].sev == DIPB_SEV_ERROR)
				break;
		if (i < diags.n)
			dipb_vfy_finding(v, c->id, tag, ch->path,
			    "meeting-invalid", "%s:%u:%u: %s [%s]",
			    diags.v[i].path, diags.v[i].line, diags.v[i].col,
			    diags.v[i].msg, diags.v[i].rule);
		else
			dipb_vfy_finding(v, c->id, tag, ch->path,
			    "meeting-invalid", "%s does not load", ch->path);
	}
done:
	dipb_meeting_release(&mt);
	dipb_diags_release(&diags);
	dipb_object_free(obj);
}

/*
 * The record files commit c adds or changes where the board, as the commit
 * leaves it, keeps no record (dipb-board(5), "layout"): in the place of
 * the other layout, in a shard of another number, or anywhere else below
 * recommendations/, whatever its name (dipb_record_file, the rule every
 * reader shares: a dotfile, or a name no id gives, is a record file no
 * layout keeps, which dipb validate and dipb list report too); and a
 * folder too deep for any reader (dipb-record(5)), which the tree's
 * changes leave named as a folder (src/git/treediff.c).
 */
static void
check_places(struct verify *v, const struct commit *c, const char *tag)
{
	const struct change *ch;
	const char *base;
	char *want, *id;
	size_t i, n;
	enum dipb_layout l = v->have_board ? v->board.layout :
	    DIPB_LAYOUT_FLAT;

	for (i = 0; i < c->chs.n; i++) {
		ch = &c->chs.v[i];
		if (ch->new_mode == 0 || strncmp(ch->path, DIPB_RECORD_DIR "/",
		    sizeof(DIPB_RECORD_DIR)) != 0)
			continue;
		if (ch->id != NULL) {
			if (ch->layout == l)
				continue;
			want = dipb_record_path_in(l, ch->id);
			dipb_vfy_finding(v, c->id, tag, ch->path, "record-path",
			    "%s is in the place of the %s layout; this board "
			    "is %s (dipb.yaml's layout): its place is %s",
			    ch->path, dipb_layout_name(ch->layout),
			    dipb_layout_name(l), want);
			free(want);
			continue;
		}
		if (ch->new_mode == DIPB_MODE_TREE) {
			dipb_vfy_finding(v, c->id, tag, ch->path, "record-path",
			    "%s is a folder more than %d levels below %s/, "
			    "where no record is kept: not read", ch->path,
			    DIPB_RECORD_DEPTH, DIPB_RECORD_DIR);
			continue;
		}
		/* A record file anywhere else below. */
		if (!dipb_record_file(ch->path, strlen(ch->path)))
			continue;
		/* A regular file, as git judges its mode, never a link nor a
		 * gitlink, whatever its name (dipb-record(5)). */
		if ((ch->new_mode & 0170000u) != 0100000u) {
			dipb_vfy_finding(v, c->id, tag, ch->path, "record-path",
			    "%s is %s below %s/, no record file: no command "
			    "reads it", ch->path, ch->new_mode ==
			    DIPB_MODE_LINK ? "a symbolic link" : "a gitlink "
			    "(a submodule's commit)", DIPB_RECORD_DIR);
			continue;
		}
		base = strrchr(ch->path, '/') + 1;
		n = strlen(base);
		id = xstrndup(base, n - 5);
		if (n - 5 <= DIPB_MAX_ID && dipb_id_valid(id)) {
			want = dipb_record_path_in(l, id);
			dipb_vfy_finding(v, c->id, tag, ch->path, "record-path",
			    "%s is no place of a record in either layout "
			    "(a shard of another number?); this board is %s: "
			    "%s's place is %s", ch->path, dipb_layout_name(l),
			    id, want);
			free(want);
		} else
			dipb_vfy_finding(v, c->id, tag, ch->path, "record-path",
			    "%s is a record file (a .yaml file below %s/) "
			    "whose name is no record's: a record's file is "
			    "named by its id", ch->path, DIPB_RECORD_DIR);
		free(id);
	}
}

/*
 * dipb.yaml of a migrated change (dipb-migrate(1)): the board as of the
 * parent with another layout: and nothing else, in dipb_board_emit's
 * canonical form.  Returns the layout it names (the parent's when it
 * does not load).
 */
static enum dipb_layout
check_migrated_board(struct verify *v, const struct commit *c,
    const struct change *own, const char *tag)
{
	struct dipb_buf a = DIPB_BUF_INIT, b = DIPB_BUF_INIT;
	struct dipb_board nb, ob;
	enum dipb_layout was = v->board.layout, l = was;
	char *why = NULL;

	if (own == NULL) {
		dipb_vfy_finding(v, c->id, tag, DIPB_BOARD_FILE, "migration",
		    "the change 'board migrated' does not change %s's layout:",
		    DIPB_BOARD_FILE);
		return l;
	}
	if (!v->have_board || dipb_vfy_load_board(&nb, v, own, &why) < 0) {
		free(why);
		return l;		/* check_board_change says why */
	}
	l = nb.layout;
	ob = v->board;
	ob.layout = nb.layout;
	dipb_board_emit(&ob, &a);
	dipb_board_emit(&nb, &b);
	if (nb.layout == was)
		dipb_vfy_finding(v, c->id, tag, own->path, "migration", "the "
		    "change 'board migrated' leaves layout: %s as it was",
		    dipb_layout_name(was));
	if (strcmp(dipb_buf_cstr(&a), dipb_buf_cstr(&b)) != 0)
		dipb_vfy_finding(v, c->id, tag, own->path, "migration", "the "
		    "change 'board migrated' changes %s other than its layout: "
		    "(that is 'board changed': dipb edit --board)",
		    DIPB_BOARD_FILE);
	dipb_buf_release(&a);
	dipb_buf_release(&b);
	dipb_board_release(&nb);
	return l;
}

/*
 * The records of a migrated change: each record of the parent deleted at
 * its place in the old layout and added, the same blob and mode, at its
 * place in the new one (to), and nothing else (dipb-migrate(1)).  Moves
 * leave the replay's state of their record as it was; anything else is
 * reported, then taken as a plain change is.  Returns the number of
 * records moved.
 */
static size_t
check_migrated_records(struct verify *v, const struct commit *c,
    const struct change *own, const char *tag, enum dipb_layout from,
    enum dipb_layout to)
{
	struct dipb_hashmap gone = DIPB_HASHMAP_INIT;
	struct dipb_hashmap moved = DIPB_HASHMAP_INIT;
	struct change *ch, *del;
	struct recstate *rs;
	size_t i, n;

	for (i = 0; i < c->chs.n; i++) {
		ch = &c->chs.v[i];
		if (ch != own && ch->id != NULL && ch->new_mode == 0 &&
		    ch->layout == from)
			dipb_hashmap_put(&gone, ch->id, ch);
	}
	for (i = 0; i < c->chs.n; i++) {
		ch = &c->chs.v[i];
		if (ch == own)
			continue;
		if (ch->id == NULL) {
			dipb_vfy_finding(v, c->id, tag, ch->path,
			    "foreign-path", "the change 'board migrated' also "
			    "%s %s", verb(ch), ch->path);
			continue;
		}
		if (ch->new_mode == 0 && dipb_hashmap_get(&gone, ch->id) ==
		    ch)
			continue;	/* judged with its addition */
		del = ch->old_mode == 0 ? dipb_hashmap_get(&gone, ch->id) :
		    NULL;
		if (del == NULL)
			dipb_vfy_finding(v, c->id, tag, ch->path, "migration",
			    "the change 'board migrated' %s %s, which is no "
			    "move of a record of the parent", verb(ch),
			    ch->path);
		else if (ch->layout != to)
			dipb_vfy_finding(v, c->id, tag, ch->path, "migration",
			    "%s is moved to %s, not to its place in the %s "
			    "layout", ch->id, ch->path, dipb_layout_name(to));
		else if (strcmp(del->old_id, ch->new_id) != 0 ||
		    del->old_mode != ch->new_mode)
			dipb_vfy_finding(v, c->id, tag, ch->path, "migration",
			    "%s changes in its move from %s (another blob or "
			    "mode): a move keeps the file byte for byte",
			    ch->id, del->path);
		else {
			dipb_hashmap_put(&moved, ch->id, ch);
			continue;
		}
		if (del != NULL)
			dipb_hashmap_put(&moved, ch->id, ch);
		dipb_vfy_take_record(v, c, ch);
	}
	/* Deleted and never added again: dropped by the migration. */
	for (i = 0; i < gone.cap; i++) {
		if (gone.v[i].key == NULL ||
		    dipb_hashmap_get(&moved, gone.v[i].key) != NULL)
			continue;
		ch = gone.v[i].val;
		dipb_vfy_finding(v, c->id, tag, ch->path, "migration", "the "
		    "change 'board migrated' deletes %s: a migration moves "
		    "every record, it drops none", ch->path);
		dipb_vfy_take_record(v, c, ch);
	}
	/* A record of the parent left where it was. */
	dipb_vfy_ckpt_all(v);
	for (i = 0; i < v->records.cap; i++) {
		if (v->records.v[i].key == NULL)
			continue;
		rs = v->records.v[i].val;
		if (rs->exists && dipb_hashmap_get(&moved, rs->id) == NULL &&
		    dipb_hashmap_get(&gone, rs->id) == NULL)
			dipb_vfy_finding(v, c->id, tag, NULL, "migration", "%s "
			    "is not moved: the %s layout of %s has no place "
			    "for where it is", rs->id, dipb_layout_name(to),
			    DIPB_BOARD_FILE);
	}
	n = moved.n;
	dipb_hashmap_release(&moved, NULL);
	dipb_hashmap_release(&gone, NULL);
	return n;
}

/*
 * A migrated change of the board (dipb-migrate(1)): by a chair as of the
 * parent, signed as the board requires (dipb_vfy_check_signing), dipb.yaml's
 * layout: changed alone, every record moved unchanged to its place in
 * the new layout.
 */
static void
check_migrated(struct verify *v, struct commit *c, const char *tag)
{
	struct change *own = NULL;
	enum dipb_layout from = v->have_board ? v->board.layout :
	    DIPB_LAYOUT_FLAT, to;
	size_t i, n;

	for (i = 0; i < c->chs.n; i++)
		if (strcmp(c->chs.v[i].path, DIPB_BOARD_FILE) == 0)
			own = &c->chs.v[i];
	dipb_vfy_check_signing(v, c, own, tag, DIPB_BOARD_FILE);
	to = check_migrated_board(v, c, own, tag);
	n = check_migrated_records(v, c, own, tag, from, to);
	dipb_vfy_check_subject(v, c, tag, DIPB_BOARD_FILE,
	    &(struct dipb_subject){ .kind = c->kind, .id = c->record,
	    .moved = n, .layout = dipb_layout_name(to) });
	if (own != NULL)
		check_board_change(v, c, own, tag);
}

/*
 * The trailers finding of c, whose trailers are unusable (c->bad): the
 * change is not replayed (dipb-verify(1), "trailers"), so no tag is
 * expected of it; the finding names the file of the record its
 * Dipb-Record names, if it names one, and a tag of that record on c, if
 * there is one, as a replayed change's findings do (dipb-verify(1),
 * "Output").
 */
static void
bad_trailers(struct verify *v, const struct commit *c)
{
	const char *id = c->record != NULL ? c->record : "";
	const struct tag *t;
	struct tag own;
	char *path = NULL, *tag = NULL;

	if (strcmp(id, DIPB_BOARD_RECORD) == 0)
		path = xstrdup(DIPB_BOARD_FILE);
	else if (strcmp(id, DIPB_MEETING_RECORD) == 0)
		path = meeting_path(&c->chs);
	else if (dipb_id_valid(id))
		path = dipb_vfy_record_path(v, id);
	if (path != NULL && dipb_vfy_own_tag(&own, v, v->cur))
		tag = own.name;
	else if (path != NULL)
		for (t = dipb_vfy_tags_on(v, c->id); t != NULL && tag == NULL;
		    t = t->next)
			if (strcmp(t->record, id) == 0)
				tag = xstrdup(t->name);
	dipb_vfy_finding(v, c->id, tag, path, "trailers", "%s", c->bad);
	free(path);
	free(tag);
}

/*
 * What every finding of state change c names (dipb-verify(1), "Output"):
 * the tag dipb_vfy_check_tag will claim, annotated or lightweight, else
 * the one it expects (rs: c's record), counting the missing ones before.
 */
static char *
change_tag_name(struct verify *v, const struct commit *c,
    const struct recstate *rs)
{
	const struct tag *t;
	struct tag own;

	own.name = NULL;
	if ((t = dipb_vfy_change_tag(v, c, v->cur, &own)) == &own)
		return own.name;
	if (t != NULL)
		return xstrdup(t->name);
	return xasprintf("%s/%lu-%s", c->record, rs->ntags + rs->missing + 1,
	    c->event);
}

/* One commit of the replay, whose changes c->chs holds. */
static void
check_commit(struct verify *v, struct commit *c)
{
	struct changes chs = c->chs;
	struct change *own = NULL, *ch;
	struct recstate *rs = NULL;
	char *path = NULL, *tag = NULL;
	int board, meeting, state_change = c->dipb && c->bad == NULL;
	size_t i;

	if (c->dipb && c->bad != NULL)
		bad_trailers(v, c);
	if (!state_change) {
		for (i = 0; i < chs.n; i++) {
			ch = &chs.v[i];
			if (!owned(ch->path))
				continue;
			if (!c->dipb)
				plain_change(v, c, ch);
			if (strcmp(ch->path, DIPB_BOARD_FILE) == 0)
				dipb_vfy_take_board(v, ch);
			else if (ch->id != NULL)
				dipb_vfy_take_record(v, c, ch);
		}
		goto done;
	}

	board = strcmp(c->record, DIPB_BOARD_RECORD) == 0;
	meeting = strcmp(c->record, DIPB_MEETING_RECORD) == 0;
	path = board ? xstrdup(DIPB_BOARD_FILE) : meeting ?
	    meeting_path(&chs) : dipb_vfy_record_path(v, c->record);
	rs = dipb_vfy_recstate(v, c->record);
	tag = change_tag_name(v, c, rs);
	if (board && c->kind == DIPB_EVENT_MIGRATED) {
		check_migrated(v, c, tag);
		dipb_vfy_check_tag(v, c, rs, path);
		goto done;
	}
	for (i = 0; i < chs.n; i++) {
		ch = &chs.v[i];
		if (strcmp(ch->path, path) == 0) {
			own = ch;
			continue;
		}
		if (board && c->kind == DIPB_EVENT_CREATED &&
		    strcmp(ch->path, ".gitattributes") == 0)
			continue;
		dipb_vfy_finding(v, c->id, tag, ch->path, "foreign-path",
		    "the change '%s %s' also %s %s", c->record, c->event,
		    verb(ch), ch->path);
	}
	/* The change itself is judged by the board as of the parent. */
	dipb_vfy_check_signing(v, c, own, tag, path);
	if (own == NULL)
		dipb_vfy_finding(v, c->id, tag, path, "no-change",
		    "the change '%s %s' does not change %s", c->record,
		    c->event, path);
	else if (board)
		check_board_change(v, c, own, tag);
	else if (meeting)
		check_meeting_change(v, c, own, tag);
	else
		dipb_vfy_check_record_change(v, c, own, tag);
	for (i = 0; i < chs.n; i++) {
		ch = &chs.v[i];
		if (ch == own)
			continue;
		if (strcmp(ch->path, DIPB_BOARD_FILE) == 0)
			dipb_vfy_take_board(v, ch);
		else if (ch->id != NULL)
			dipb_vfy_take_record(v, c, ch);
	}
	dipb_vfy_check_tag(v, c, rs, path);
done:
	check_places(v, c, tag);
	free(path);
	free(tag);
}

/*
 * The replay, a stretch of history at a time (LOAD_CHUNK commits, or
 * fewer that change as many records; one commit is never split, so a
 * migration of every record is one stretch): the commits read, with
 * those of the next stretch, whose signatures the checkers verify
 * meanwhile (dipb_vfy_window_to); the paths each commit changes (in
 * order: the trees of one commit are the next one's parent trees), then
 * the records they leave, loaded together, then the checks; then the
 * stretch's commits are released.  What the replay holds is the state
 * of the board's records and one or two stretches of history, however
 * long the history is.
 */
const struct dipb_error *
dipb_vfy_replay(struct verify *v)
{
	const struct dipb_error *err = NULL;
	struct change **todo = NULL;
	struct commit *c;
	size_t i = 0, j, k, ntodo, cap = 0;

	if ((err = dipb_vfy_tags_ready(v)) != NULL)
		return err;
	/* The checkers start before the first stretch's records load. */
	if ((err = dipb_vfy_window_to(v, 2 * LOAD_CHUNK)) != NULL)
		return err;
	dipb_vfy_read_signatures(v, 0, v->ncommits < LOAD_CHUNK ? v->ncommits :
	    LOAD_CHUNK);
	while (i < v->ncommits && err == NULL) {
		dipb_vfy_window_drop(v, i);
		if ((err = dipb_vfy_window_to(v, i + 2 * LOAD_CHUNK)) != NULL)
			break;
		ntodo = 0;
		for (j = i; j < v->ncommits && j - i < LOAD_CHUNK &&
		    ntodo < LOAD_CHUNK; j++) {
			c = dipb_vfy_commit_at(v, j);
			err = dipb_vfy_commit_changes(&c->chs, v, c);
			if (err != NULL)
				break;
			for (k = 0; k < c->chs.n; k++) {
				if (!dipb_vfy_prepare_change(v, &c->chs.v[k]))
					continue;
				xgrow((void **)&todo, &cap, ntodo + 1,
				    sizeof(*todo));
				todo[ntodo++] = &c->chs.v[k];
			}
		}
		dipb_vfy_load_records(todo, ntodo);
		dipb_vfy_read_signatures(v, i, j);
		for (k = i; k < j && err == NULL && v->broken == NULL; k++) {
			v->cur = k;
			c = dipb_vfy_commit_at(v, k);
			check_commit(v, c);
			dipb_vfy_changes_release(&c->chs);
		}
		/* An object git cannot read: no verdict from the rest. */
		if (err == NULL && v->broken != NULL) {
			err = v->broken;
			v->broken = NULL;
		}
		i = j;
	}
	free(todo);
	return err;
}


/*
 * history.c - the first-parent history walked, and the window of commits
 * the replay holds whole.
 */
#include <assert.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../date.h"
#include "../history.h"
#include "../meeting.h"
#include "../text.h"
#include "../trailer.h"
#include "internal.h"

/*
 * s (allocated; taken) as the one copy of its text that v keeps, freed
 * with v: a history has a handful of authors, events and statuses, and
 * each commit and tag of a full replay kept its own copies of their
 * names, emails, events and statuses (and of its record's id).  Its
 * number, v->namev's index + 1, is what a struct walked keeps (0: NULL).
 */
static uint32_t
intern_num(struct verify *v, char *s)
{
	uintptr_t k;

	if (s == NULL)
		return 0;
	if ((k = (uintptr_t)dipb_hashmap_get(&v->names, s)) != 0) {
		free(s);
		return (uint32_t)k;
	}
	xgrow((void **)&v->namev, &v->capnames, v->nnames + 1,
	    sizeof(*v->namev));
	v->namev[v->nnames++] = s;
	dipb_hashmap_put_ref(&v->names, s, (void *)(uintptr_t)v->nnames);
	return (uint32_t)v->nnames;
}

/* The string numbered k (struct walked); NULL for 0. */
const char *
dipb_vfy_name(const struct verify *v, uint32_t k)
{
	return k == 0 ? NULL : v->namev[k - 1];
}

const char *
dipb_vfy_intern(struct verify *v, char *s)
{
	return dipb_vfy_name(v, intern_num(v, s));
}

/* The number of a string intern gave, for a struct walked; 0: NULL. */
static uint32_t
name_ref(const struct verify *v, const char *s)
{
	return s == NULL ? 0 :
	    (uint32_t)(uintptr_t)dipb_hashmap_get(&v->names, s);
}

/* One Dipb-* trailer of c: two of a key make the change unusable. */
static void
take_trailer(struct verify *v, struct commit *c, const char **slot,
    const struct dipb_trailers *t, const char *key)
{
	const char *val;
	size_t n = dipb_trailers_get(&val, t, key);

	if (n == 0)
		return;
	c->dipb = 1;
	if (n > 1 && c->bad == NULL)
		c->bad = xasprintf("two %s trailers", key);
	/* The first of them, as a reader of the message sees it. */
	for (n = 0; n < t->n; n++)
		if (strcasecmp(t->v[n].key, key) == 0)
			break;
	*slot = dipb_vfy_intern(v, dipb_text_clean_line(t->v[n].value));
}

/* Reads the Dipb-* trailers of msg into c, by git's rules (trailer.h). */
static void
read_trailers(struct verify *v, struct commit *c, const char *msg,
    size_t len)
{
	struct dipb_trailers t;

	dipb_trailers_parse(&t, msg, len);
	take_trailer(v, c, &c->record, &t, "Dipb-Record");
	take_trailer(v, c, &c->event, &t, "Dipb-Event");
	take_trailer(v, c, &c->status, &t, "Dipb-Status");
	dipb_trailers_release(&t);
	if (!c->dipb || c->bad != NULL)
		return;
	if (c->record == NULL)
		c->bad = xstrdup("no Dipb-Record trailer");
	else if (c->event == NULL)
		c->bad = xstrdup("no Dipb-Event trailer");
	else if (strcmp(c->record, DIPB_BOARD_RECORD) != 0 &&
	    strcmp(c->record, DIPB_MEETING_RECORD) != 0 &&
	    !dipb_id_valid(c->record))
		c->bad = xasprintf("Dipb-Record is not a record id: '%s'",
		    c->record);
	else if (dipb_event_parse(&c->kind, c->record, c->event) < 0)
		c->bad = xasprintf("Dipb-Event is not an event of %s: '%s'",
		    strcmp(c->record, DIPB_BOARD_RECORD) == 0 ? "the board" :
		    strcmp(c->record, DIPB_MEETING_RECORD) == 0 ? "a meeting" :
		    "a record",
		    c->event);
	/* A record's change says its move; the board's and a meeting's
	 * say none (dipb-workflow(7), "Commits and tags"). */
	else if (c->status == NULL &&
	    strcmp(c->record, DIPB_BOARD_RECORD) != 0 &&
	    strcmp(c->record, DIPB_MEETING_RECORD) != 0)
		c->bad = xstrdup("no Dipb-Status trailer");
}

void
dipb_vfy_sigcheck_free(struct sigcheck *s)
{
	if (s == NULL)
		return;
	free(s->why);
	free(s->key);
	free(s->fp);
	free(s->payload);
	free(s);
}

void
dipb_vfy_commit_release(struct commit *c)
{
	dipb_vfy_changes_release(&c->chs);
	dipb_vfy_sigcheck_free(c->csig);
	dipb_vfy_sigcheck_free(c->tsig);
	free(c->tagname_own);
	free(c->bad);
	free(c->subject);
}

/*
 * c's trailers made unusable by d's 'encoding' header, which dipb never
 * writes: git reads the message converted from it, dipb as its bytes
 * (dipb-git(7)), so the two may read other trailers.
 */
static void
other_encoding(struct commit *c, const struct dipb_commit *d)
{
	char *enc = dipb_text_clean_line(d->encoding);

	c->bad = xasprintf("the commit has the header 'encoding %s', which "
	    "dipb never writes: git reads its message converted from it, "
	    "dipb as its bytes", enc);
	free(enc);
}

/*
 * Takes commit d into c: id, tree, author (cleaned), trailers.  The
 * message is parsed only when "ipb-" (in any case) is in it somewhere,
 * as every "dipb-" trailer key has it: a cheap filter, the parser
 * decides.
 */
static void
take_commit(struct verify *v, struct commit *c, const struct dipb_commit *d)
{
	const char *p = d->message, *end = p + d->message_len, *s;

	memcpy(c->id, d->id, sizeof(c->id));
	memcpy(c->tree, d->tree, sizeof(c->tree));
	c->name = dipb_vfy_intern(v, dipb_text_clean_line(d->author_name));
	c->email = dipb_vfy_intern(v, dipb_text_clean_line(d->author_email));
	dipb_date_ymd(c->date, d->author_time, d->author_offset);
	for (s = p; (s = memchr(s, '-', (size_t)(end - s))) != NULL; s++)
		if (s - p >= 3 && strncasecmp(s - 3, "ipb", 3) == 0)
			break;
	if (s != NULL)
		read_trailers(v, c, p, d->message_len);
	if (c->dipb && c->bad == NULL && d->encoding != NULL)
		other_encoding(c, d);
}


/*
 * When every change is to be checked (no --since), the walk queues the
 * signatures of the state changes among the EARLY_SIGS commits nearest
 * the tip for the checkers at once, so that they work while the walk and
 * the scan of the tags go on (the replay reads the others a stretch
 * ahead: dipb_vfy_read_signatures); a bound on what they hold meanwhile, about
 * a kilobyte each.
 */
#define EARLY_SIGS	8192

/* The signature of commit d (c as taken), depth from the tip, queued. */
static void
walk_sig(struct verify *v, const struct commit *c,
    const struct dipb_commit *d, size_t depth)
{
	if (!c->dipb || c->bad != NULL)
		return;
	if (v->early == NULL) {
		v->early = xcalloc(EARLY_SIGS, sizeof(*v->early));
		v->nearly = EARLY_SIGS;
	}
	v->early[depth] = dipb_vfy_sig_new(d->signature, d->signature_len,
	    d->payload, d->payload_len, depth);
	dipb_vfy_checkers_queue(v, &v->early[depth], 1);
}

/*
 * The bytes of an entry of v->subjects: a subject of about 60 bytes
 * ("IC-0001: endorsed by Rolf Reviewer (2/2)") takes two.
 */
#define SUBJECT_CHUNK	32

/*
 * The longest subject the walk keeps, its NUL included: a subject dipb
 * writes is its record's id, the event's words and a few names, dates
 * and references, far shorter; a longer one (a commit may hold up to
 * 8 MiB) is read again from its commit when the rule subject judges it
 * (read_commit), so that a history of such commits fills no temporary
 * file (dipb-verify(1), "Speed").
 */
#define SUBJECT_KEPT	1024

/* A struct walked's subject read again from its commit (SUBJECT_KEPT). */
#define SUBJECT_AGAIN	UINT32_MAX

/*
 * The subject of state change d (c as taken) kept in v->subjects, as
 * dipb log reads it (dipb_message_subject): its first entry + 1; 0 for
 * another commit; SUBJECT_AGAIN for one longer than SUBJECT_KEPT, and
 * past the 2^32 entries a struct walked can number (128 GiB of
 * subjects, beyond any history's).
 */
static uint32_t
keep_subject(struct verify *v, const struct commit *c,
    const struct dipb_commit *d)
{
	char chunk[SUBJECT_CHUNK], *subject;
	size_t len, at, n;
	uint32_t first;

	if (!c->dipb || c->bad != NULL)
		return 0;
	subject = dipb_message_subject(d->message, d->message_len);
	len = strlen(subject) + 1;
	if (len > SUBJECT_KEPT ||
	    v->nsubject + len / SUBJECT_CHUNK + 1 >= SUBJECT_AGAIN) {
		free(subject);
		return SUBJECT_AGAIN;
	}
	first = (uint32_t)v->nsubject + 1;
	for (at = 0; at < len; at += n) {
		n = len - at < SUBJECT_CHUNK ? len - at : SUBJECT_CHUNK;
		memset(chunk, 0, sizeof(chunk));
		memcpy(chunk, subject + at, n);
		dipb_spill_put(&v->subjects, v->nsubject++, chunk);
	}
	free(subject);
	return first;
}

/* The subject kept at first (keep_subject), caller frees; NULL: none. */
static char *
kept_subject(struct verify *v, uint32_t first)
{
	struct dipb_buf b = DIPB_BUF_INIT;
	char chunk[SUBJECT_CHUNK];
	size_t i, n;

	if (first == 0)
		return NULL;
	for (i = first - 1;; i++) {
		dipb_spill_get(chunk, &v->subjects, i);
		n = strnlen(chunk, sizeof(chunk));
		dipb_buf_put(&b, chunk, n);
		if (n < sizeof(chunk))
			break;
	}
	return dipb_buf_detach(&b);
}

/* Commit d as taken into c, into w (c's bad taken). */
static void
walked_take(struct verify *v, struct walked *w, struct commit *c,
    const struct dipb_commit *d)
{
	size_t bad = 0;
	uint32_t subject = keep_subject(v, c, d);

	if (c->bad != NULL) {
		xgrow((void **)&v->badv, &v->capbad, v->nbad + 1,
		    sizeof(*v->badv));
		v->badv[v->nbad++] = c->bad;
		c->bad = NULL;
		bad = v->nbad;
	}
	memset(w, 0, sizeof(*w));
	/* The commit's reader took 40 hex digits (dipb_git_commit_read). */
	(void)dipb_unhex(w->id, c->id, sizeof(w->id));
	(void)dipb_unhex(w->tree, c->tree, sizeof(w->tree));
	memcpy(w->date, c->date, sizeof(w->date));
	w->kind = (unsigned char)c->kind;
	w->dipb = (unsigned char)c->dipb;
	w->is_signed = d->signature != NULL;
	w->nparents = (unsigned char)(d->nparents < 255 ? d->nparents : 255);
	w->name = name_ref(v, c->name);
	w->email = name_ref(v, c->email);
	w->record = name_ref(v, c->record);
	w->event = name_ref(v, c->event);
	w->status = name_ref(v, c->status);
	w->committer = d->committer_email == NULL ? 0 : intern_num(v,
	    dipb_text_clean_line(d->committer_email));
	w->bad = (uint32_t)bad;
	w->subject = subject;
}

/*
 * The memory v->hist with v->subjects, and v->on_branch may take before
 * the rest goes to a temporary file (spill.h): two thirds and a third of
 * 3 MiB, or of what DIPB_VERIFY_MEMORY says in KiB, up to 1 GiB
 * (dipb(1)).  The history of a board of 30,000 records, 159,000 changes,
 * takes 27 MiB at 112 bytes a commit and 64 for most subjects, and its
 * index 2 MiB: held whole, they grew with the history's
 * length; paged, the replay takes about the same time (bench/scale.sh).
 */
#define HIST_MEMORY	((size_t)3 << 20)
#define HIST_MEMORY_MAX	((unsigned long)1 << 20)	/* KiB */

static size_t
hist_memory(void)
{
	const char *env = getenv("DIPB_VERIFY_MEMORY");
	char *end;
	unsigned long kib;

	if (env == NULL || env[0] == '\0')
		return HIST_MEMORY;
	errno = 0;
	kib = strtoul(env, &end, 10);
	if (errno != 0 || end == env || *end != '\0' || env[0] == '-')
		return HIST_MEMORY;
	return (size_t)(kib < HIST_MEMORY_MAX ? kib : HIST_MEMORY_MAX) * 1024;
}

void
dipb_vfy_hist_init(struct verify *v)
{
	size_t m = hist_memory();

	/* The subjects are read once, in order: a few pages do. */
	dipb_spill_init(&v->hist, sizeof(struct walked), m / 3 * 2 - m / 16);
	dipb_spill_init(&v->subjects, SUBJECT_CHUNK, m / 16);
	dipb_spill_init(&v->on_branch, sizeof(uint32_t), m / 3);
	v->nsubject = 0;
	v->branch_cap = 0;
	v->ncommits = 0;
}

void
dipb_vfy_hist_release(struct verify *v)
{
	size_t i;

	dipb_spill_release(&v->hist);
	dipb_spill_release(&v->subjects);
	dipb_spill_release(&v->on_branch);
	v->nsubject = 0;
	v->ncommits = 0;
	v->branch_cap = 0;
	for (i = 0; i < v->nbad; i++)
		free(v->badv[i]);
	free(v->badv);
	v->badv = NULL;
	v->nbad = v->capbad = 0;
}

/* Commit k of the history (oldest first), as the walk kept it. */
void
dipb_vfy_hist_get(struct walked *w, struct verify *v, size_t k)
{
	assert(k < v->ncommits);
	dipb_spill_get(w, &v->hist, v->ncommits - 1 - k);
}

void
dipb_vfy_hist_put(struct verify *v, size_t k, const struct walked *w)
{
	assert(k < v->ncommits);
	dipb_spill_put(&v->hist, v->ncommits - 1 - k, w);
}

/* The id of commit k of the history, into out, which it returns. */
const char *
dipb_vfy_hist_hex(char out[DIPB_OID_HEX + 1], struct verify *v, size_t k)
{
	struct walked w;

	dipb_vfy_hist_get(&w, v, k);
	dipb_hex(out, w.id, sizeof(w.id));
	return out;
}

/* Why commit w's trailers are unusable; NULL: they are not. */
static const char *
hist_bad(const struct verify *v, const struct walked *w)
{
	return w->bad == 0 ? NULL : v->badv[w->bad - 1];
}

/* v->on_branch made of the commits of v->hist. */
static void
branch_index(struct verify *v)
{
	struct walked w;
	uint32_t slot;
	size_t i, at;

	for (v->branch_cap = 64; v->branch_cap < v->ncommits * 2;
	    v->branch_cap *= 2)
		;
	for (i = 0; i < v->ncommits; i++) {
		dipb_vfy_hist_get(&w, v, i);
		for (at = dipb_idtab_hash_raw(w.id) & (v->branch_cap - 1);;
		    at = (at + 1) & (v->branch_cap - 1)) {
			dipb_spill_get(&slot, &v->on_branch, at);
			if (slot == 0)
				break;
		}
		slot = (uint32_t)i + 1;
		dipb_spill_put(&v->on_branch, at, &slot);
	}
}

const struct dipb_error *
dipb_vfy_cut_error(const char *last)
{
	return dipb_error_fmt(DIPB_ERR_CORRUPT, "the history is cut before "
	    "commit '%s': this is a shallow clone (a clone with --depth, as "
	    "CI checkouts make), and verify judges the whole history with "
	    "its tags; 'git fetch --unshallow --tags' fetches them", last);
}

/*
 * The error of commit id not read (err, freed), after last.  The walk
 * ends at a cut before it reads a parent (dipb_git_cut_at): a parent not
 * here is missing, in a shallow clone too, where no fetch brings it back,
 * and the read says why (an alternate gone, a partial clone's remote that
 * did not send it).
 */
static const struct dipb_error *
unread_error(struct verify *v, const struct dipb_error *err,
    const char *last, const char *id)
{
	const struct dipb_error *e;

	if (v->ncommits > 0)
		e = dipb_git_parent_missing(v->repo, last, id);
	else
		e = dipb_error_fmt(DIPB_ERR_GIT, "cannot read the branch's "
		    "tip: %s", err->msg);
	dipb_error_free(err);
	return e;
}

/*
 * The first-parent history from tip back to its first commit, oldest
 * first, into v->hist.  With stops (commit ids that have a checkpoint),
 * the walk ends at the first of them met at or after since (going back),
 * which v->ckpt names and v->hist leaves out.  In a shallow clone it
 * ends where git log's does, at a commit the shallow file lists, even
 * when its parents were fetched since: the history is cut there.
 */
const struct dipb_error *
dipb_vfy_walk(struct verify *v, const char *tip,
    const struct dipb_hashmap *stops, const char *since)
{
	const struct dipb_error *err;
	struct dipb_hashmap cut = DIPB_HASHMAP_INIT;
	struct dipb_commit d;
	struct commit c;
	struct walked w;
	char id[DIPB_OID_HEX + 1], last[DIPB_OID_HEX + 1] = "";
	int since_seen = 0;

	v->ckpt[0] = '\0';
	if ((err = dipb_git_shallow_cut(&cut, v->shallow, v->repo)) != NULL) {
		dipb_hashmap_release(&cut, NULL);
		return err;
	}
	snprintf(id, sizeof(id), "%s", tip);
	while (id[0] != '\0') {
		if (stops != NULL && !since_seen && strcmp(id, since) == 0)
			since_seen = 1;
		if (since_seen && dipb_hashmap_get(stops, id) != NULL) {
			memcpy(v->ckpt, id, sizeof(v->ckpt));
			break;
		}
		if ((err = dipb_git_commit_read(&d, v->repo, id)) != NULL)
			break;
		if (v->ncommits >= UINT32_MAX - 1) {
			dipb_commit_release(&d);
			err = dipb_error_fmt(DIPB_ERR_INTERNAL, "a history "
			    "of more than %lu commits", (unsigned long)
			    (UINT32_MAX - 1));
			break;
		}
		memset(&c, 0, sizeof(c));
		take_commit(v, &c, &d);
		if (v->sigs_early && d.signature != NULL &&
		    v->ncommits < EARLY_SIGS)
			walk_sig(v, &c, &d, v->ncommits);
		walked_take(v, &w, &c, &d);
		dipb_spill_put(&v->hist, v->ncommits++, &w);
		dipb_vfy_commit_release(&c);
		memcpy(last, id, sizeof(last));
		if (dipb_git_cut_at(&cut, &d)) {
			dipb_commit_release(&d);
			err = dipb_vfy_cut_error(last);
			break;
		}
		if (d.nparents > 0)
			memcpy(id, d.parent, sizeof(id));
		else
			id[0] = '\0';
		dipb_commit_release(&d);
	}
	dipb_hashmap_release(&cut, NULL);
	if (err != NULL)
		return err->code == DIPB_ERR_NOT_FOUND ?
		    unread_error(v, err, last, id) : err;
	branch_index(v);
	return dipb_vfy_hist_failed(v) ? dipb_vfy_hist_error(v) : NULL;
}

/* Nonzero when the file of v->hist or v->on_branch failed (spill.h). */
int
dipb_vfy_hist_failed(const struct verify *v)
{
	return dipb_spill_error(&v->hist) != NULL ||
	    dipb_spill_error(&v->subjects) != NULL ||
	    dipb_spill_error(&v->on_branch) != NULL;
}

/* The error of that file, a new one saying what it was for. */
const struct dipb_error *
dipb_vfy_hist_error(const struct verify *v)
{
	const struct dipb_error *e = dipb_spill_error(&v->hist);

	if (e == NULL)
		e = dipb_spill_error(&v->subjects);
	if (e == NULL)
		e = dipb_spill_error(&v->on_branch);
	return dipb_error_fmt(e->code, "the history's commits outgrew "
	    "the memory DIPB_VERIFY_MEMORY allows, and %s (dipb(1), "
	    "ENVIRONMENT)", e->msg);
}

/* Index + 1 in the history of the commit whose id is hex; 0: none. */
size_t
dipb_vfy_on_branch(struct verify *v, const char *hex)
{
	unsigned char id[DIPB_OID_HEX / 2];
	struct walked w;
	uint32_t slot;
	size_t at;

	if (v->branch_cap == 0 || dipb_unhex(id, hex, sizeof(id)) < 0)
		return 0;
	for (at = dipb_idtab_hash_raw(id) & (v->branch_cap - 1);;
	    at = (at + 1) & (v->branch_cap - 1)) {
		dipb_spill_get(&slot, &v->on_branch, at);
		if (slot == 0)
			return 0;
		dipb_vfy_hist_get(&w, v, slot - 1);
		if (memcmp(w.id, id, sizeof(id)) == 0)
			return slot;
	}
}

/*
 * Commit k of the history into c, from what the walk kept: with signed,
 * for the window only, a state change's subject, and its signature; the
 * commit is read again for a subject the walk did not keep
 * (keep_subject) and a signature it did not queue
 * (dipb_vfy_take_signed).  Without, nothing is read and nothing fails.
 */
static const struct dipb_error *
read_commit(struct verify *v, struct commit *c, size_t k, int signed_)
{
	const struct dipb_error *err;
	struct walked ww, *w = &ww;
	struct dipb_commit d;
	int again, sig;

	dipb_vfy_hist_get(w, v, k);
	memset(c, 0, sizeof(*c));
	dipb_hex(c->id, w->id, sizeof(w->id));
	dipb_hex(c->tree, w->tree, sizeof(w->tree));
	memcpy(c->date, w->date, sizeof(c->date));
	c->kind = (enum dipb_event_kind)w->kind;
	c->dipb = w->dipb;
	c->nparents = w->nparents;
	c->name = dipb_vfy_name(v, w->name);
	c->email = dipb_vfy_name(v, w->email);
	c->record = dipb_vfy_name(v, w->record);
	c->event = dipb_vfy_name(v, w->event);
	c->status = dipb_vfy_name(v, w->status);
	c->committer = dipb_vfy_name(v, w->committer);
	c->bad = w->bad != 0 ? xstrdup(hist_bad(v, w)) : NULL;
	if (!signed_)
		return NULL;
	again = w->subject == SUBJECT_AGAIN;
	if (!again)
		c->subject = kept_subject(v, w->subject);
	/* Only a state change's is checked (dipb_vfy_read_signatures). */
	sig = w->is_signed && w->dipb && w->bad == 0 &&
	    !dipb_vfy_take_signed(v, c, k);
	if (!again && !sig)
		return NULL;
	if ((err = dipb_git_commit_read(&d, v->repo, c->id)) != NULL)
		return err;
	if (again)
		c->subject = dipb_message_subject(d.message, d.message_len);
	if (sig && d.signature != NULL)
		c->csig = dipb_vfy_sig_new(d.signature, d.signature_len,
		    d.payload, d.payload_len, v->ncommits - 1 - k);
	dipb_commit_release(&d);
	return NULL;
}

/* The window of commits read on to commit to (excluded). */
const struct dipb_error *
dipb_vfy_window_to(struct verify *v, size_t to)
{
	const struct dipb_error *err;
	size_t k;

	if (to > v->ncommits)
		to = v->ncommits;
	for (k = v->win_from + v->nwin; k < to; k++) {
		xgrow((void **)&v->win, &v->capwin, v->nwin + 1,
		    sizeof(*v->win));
		if ((err = read_commit(v, &v->win[v->nwin], k, 1)) != NULL)
			return err;
		v->nwin++;
	}
	return NULL;
}

/*
 * The commits of the window before commit from released, once no checker
 * holds their signatures (a change the replay did not judge, such as a
 * migration, never waited for its own).
 */
void
dipb_vfy_window_drop(struct verify *v, size_t from)
{
	size_t i, n;

	if (from <= v->win_from)
		return;
	n = from - v->win_from < v->nwin ? from - v->win_from : v->nwin;
	for (i = 0; i < n; i++) {
		if (!v->win[i].sigs_done) {
			dipb_vfy_sig_wait(v, v->win[i].csig);
			dipb_vfy_sig_wait(v, v->win[i].tsig);
		}
		dipb_vfy_commit_release(&v->win[i]);
	}
	if (n < v->nwin)
		memmove(v->win, v->win + n, (v->nwin - n) * sizeof(*v->win));
	v->nwin -= n;
	v->win_from = v->nwin > 0 ? v->win_from + n : from;
}

/* Commit k of the history, which the window holds. */
struct commit *
dipb_vfy_commit_at(struct verify *v, size_t k)
{
	assert(k >= v->win_from && k < v->win_from + v->nwin);
	return &v->win[k - v->win_from];
}

/*
 * Commit k of the history, from the window or else made into tmp from
 * what the walk kept (then released with dipb_vfy_commit_release), without its
 * signature; NULL only if that failed, which it does not.
 */
struct commit *
dipb_vfy_commit_peek(struct verify *v, size_t k, struct commit *tmp)
{
	const struct dipb_error *err;

	if (k >= v->win_from && k < v->win_from + v->nwin)
		return &v->win[k - v->win_from];
	if ((err = read_commit(v, tmp, k, 0)) != NULL) {
		dipb_error_free(err);
		dipb_vfy_commit_release(tmp);
		return NULL;
	}
	return tmp;
}


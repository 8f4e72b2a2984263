/*
 * sign.c - who made each state change, proved by its signatures.
 */
#include <ctype.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../pool.h"
#include "../sshkey.h"
#include "../sshsig.h"
#include "../text.h"
#include "internal.h"

/*
 * Who made each state change, proved (dipb-verify(1), "Signatures"): its
 * commit and its tag signed, as git signs them with gpg.format=ssh, by a
 * key the board lists for the acting member as of the parent commit, and
 * its author, committer and tagger the same member.  The signatures are
 * read a stretch ahead of the replay and verified on checker threads
 * beside it (sshsig.h); the replay then only compares keys.
 */

/*
 * A signature to check: the n bytes at sig and the payload it signs, the
 * commit's distance from the tip depth, in one allocation.
 */
struct sigcheck *
dipb_vfy_sig_new(const char *sig, size_t n, const char *payload, size_t paylen,
    size_t depth)
{
	struct sigcheck *s = xcalloc(1, sizeof(*s));
	char *p;

	s->payload = p = xmalloc(paylen + n + 2);
	memcpy(p, payload, paylen);
	p[paylen] = '\0';
	memcpy(p + paylen + 1, sig, n);
	p[paylen + 1 + n] = '\0';
	s->text = p + paylen + 1;
	s->textlen = n;
	s->paylen = paylen;
	s->depth = depth;
	return s;
}

/* Commit k's signature into c if the walk queued it: 1, else 0. */
int
dipb_vfy_take_signed(struct verify *v, struct commit *c, size_t k)
{
	size_t depth = v->ncommits - 1 - k;

	if (depth >= v->nearly || v->early[depth] == NULL)
		return 0;
	c->csig = v->early[depth];
	v->early[depth] = NULL;
	c->csig_queued = 1;
	return 1;
}

/* The keys of board b, as members' keys that were once listed. */
void
dipb_vfy_remember_keys(struct verify *v, const struct dipb_board *b)
{
	const struct dipb_member *m;
	size_t i, k;
	char *key, *p;

	for (i = 0; i < b->nmembers; i++) {
		m = &b->members[i];
		for (k = 0; k < m->keys.n; k++) {
			key = xasprintf("%s\n%s", m->email, m->keys.v[k]);
			for (p = key; *p != '\n'; p++)
				*p = (char)tolower((unsigned char)*p);
			dipb_hashmap_put(&v->keys_seen, key, (void *)1);
			free(key);
		}
	}
}

static int
starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/*
 * The keys of the last good signatures a thread checked, as blobs and as
 * text: a board's signatures are by few keys, each made text once a run
 * rather than once a signature (dipb_sshkey_canonical).
 */
#define KEYMEMO	8

struct keymemo {
	struct {
		unsigned char	*blob;
		size_t		 len;
		char		*text;
	}		 v[KEYMEMO];
	size_t		 next;		/* the one to replace */
};

static void
keymemo_release(struct keymemo *m)
{
	size_t i;

	for (i = 0; i < KEYMEMO; i++) {
		free(m->v[i].blob);
		free(m->v[i].text);
	}
	memset(m, 0, sizeof(*m));
}

/* The key blob [blob, blob + n) as text, into *out (caller frees). */
static const struct dipb_error *
key_text(char **out, struct keymemo *m, const unsigned char *blob,
    size_t n)
{
	struct dipb_sshkey key = DIPB_SSHKEY_INIT;
	const struct dipb_error *err;
	size_t i;

	for (i = 0; i < KEYMEMO; i++)
		if (m->v[i].text != NULL && m->v[i].len == n &&
		    memcmp(m->v[i].blob, blob, n) == 0) {
			*out = xstrdup(m->v[i].text);
			return NULL;
		}
	if ((err = dipb_sshkey_parse_blob(&key, blob, n)) != NULL) {
		dipb_sshkey_release(&key);
		return err;
	}
	i = m->next++ % KEYMEMO;
	free(m->v[i].blob);
	free(m->v[i].text);
	m->v[i].blob = xmalloc(n);
	memcpy(m->v[i].blob, blob, n);
	m->v[i].len = n;
	m->v[i].text = dipb_sshkey_canonical(&key);
	dipb_sshkey_release(&key);
	*out = xstrdup(m->v[i].text);
	return NULL;
}

/* Verifies one signature, on a checker or the replay's thread (m its). */
static void
check_sig(struct sigcheck *s, struct keymemo *m)
{
	struct dipb_sshsig sig;
	const struct dipb_error *err;

	if (starts(s->text, "-----BEGIN PGP")) {
		s->why = xstrdup("an OpenPGP signature, not an SSH one: the "
		    "members' keys are SSH keys");
		goto bad;
	}
	if (starts(s->text, "-----BEGIN SIGNED MESSAGE")) {
		s->why = xstrdup("an X.509 signature, not an SSH one: the "
		    "members' keys are SSH keys");
		goto bad;
	}
	if ((err = dipb_sshsig_parse(&sig, s->text, s->textlen)) ==
	    NULL && (err = dipb_sshsig_verify(&sig, DIPB_SSHSIG_NAMESPACE,
	    s->payload, s->paylen)) == NULL &&
	    (err = key_text(&s->key, m, sig.key, sig.keylen)) == NULL)
		s->state = SIG_GOOD;
	else {
		s->why = xstrdup(err->msg);
		dipb_error_free(err);
	}
	dipb_sshsig_release(&sig);
	if (s->state == SIG_GOOD)
		goto done;
bad:
	s->state = SIG_BAD;
done:
	free(s->payload);	/* and the text after it */
	s->text = s->payload = NULL;
}

/*
 * The checkers: threads that verify the signatures queued while the walk
 * and the replay go on (the replay is mostly one thread, and a signature
 * costs about as much as replaying its change): the commits' nearest the
 * tip as the walk reads them (walk_sig), the others, like the tags', as
 * dipb_vfy_read_signatures reads them a stretch ahead of the replay.  A checker
 * takes the queued signature the replay will need first, the deepest in
 * the history (a heap on depth): taken in the order queued, the walk's
 * (newest first) were checked in the opposite order to the replay's,
 * which then found its own not yet reached and checked them itself while
 * the checkers checked those it needs last.
 * The replay needs a change's own signatures only (dipb_vfy_sig_wait): it
 * checks one itself rather than wait for it to be reached, and while a checker
 * has it, it checks the next queued one instead of sleeping, so that once the
 * replay has caught up with the checkers the signatures are checked on every
 * processor, the replay's too.  Stages of a sigcheck, under lock: 0 nothing to
 * check, then queued, being checked, checked.
 */
enum { SIG_QUEUED = 1, SIG_CHECKING, SIG_CHECKED };

struct checkers {
	pthread_mutex_t		 lock;
	pthread_cond_t		 work;		/* queued, or stop */
	pthread_cond_t		 checked;
	struct sigcheck		**q;		/* a heap, the deepest first
						 * (what the replay took itself
						 * stays until it comes up) */
	size_t			 n;
	size_t			 cap;
	int			 stop;
	pthread_t		*threads;
	size_t			 nthreads;
	struct keymemo		 replay_keys;	/* the replay's thread's */
};

/* Checks s, claimed by the caller (lock held, released meanwhile). */
static void
check_claimed(struct checkers *k, struct sigcheck *s, struct keymemo *m)
{
	s->stage = SIG_CHECKING;
	pthread_mutex_unlock(&k->lock);
	check_sig(s, m);
	pthread_mutex_lock(&k->lock);
	s->stage = SIG_CHECKED;
	pthread_cond_broadcast(&k->checked);
}

static void
heap_push(struct checkers *k, struct sigcheck *s)
{
	size_t i = k->n++, up;

	for (; i > 0; i = up) {
		up = (i - 1) / 2;
		if (k->q[up]->depth >= s->depth)
			break;
		k->q[i] = k->q[up];
	}
	k->q[i] = s;
}

static struct sigcheck *
heap_pop(struct checkers *k)
{
	struct sigcheck *top = k->q[0], *last = k->q[--k->n];
	size_t i = 0, c;

	for (; (c = 2 * i + 1) < k->n; i = c) {
		if (c + 1 < k->n && k->q[c + 1]->depth > k->q[c]->depth)
			c++;
		if (k->q[c]->depth <= last->depth)
			break;
		k->q[i] = k->q[c];
	}
	if (k->n > 0)
		k->q[i] = last;
	return top;
}

/* Checks the deepest queued signature (lock held); 0 when none is. */
static int
check_next(struct checkers *k, struct keymemo *m)
{
	struct sigcheck *s;

	while (k->n > 0)
		if ((s = heap_pop(k))->stage == SIG_QUEUED) {
			check_claimed(k, s, m);
			return 1;
		}
	return 0;
}

static void *
checker(void *arg)
{
	struct checkers *k = arg;
	struct keymemo m;

	memset(&m, 0, sizeof(m));
	pthread_mutex_lock(&k->lock);
	while (!k->stop)
		if (!check_next(k, &m))
			pthread_cond_wait(&k->work, &k->lock);
	pthread_mutex_unlock(&k->lock);
	keymemo_release(&m);
	return NULL;
}

/* Queues the n signatures of todo, starting the checkers first. */
void
dipb_vfy_checkers_queue(struct verify *v, struct sigcheck **todo, size_t n)
{
	struct checkers *k = v->checkers;
	size_t i, want;

	if (n == 0)
		return;
	if (k == NULL) {
		k = v->checkers = xcalloc(1, sizeof(*k));
		pthread_mutex_init(&k->lock, NULL);
		pthread_cond_init(&k->work, NULL);
		pthread_cond_init(&k->checked, NULL);
		/* One a processor but the replay's (which helps). */
		want = dipb_pool_workers(SIZE_MAX, 0, MAX_THREADS);
		want = want > 1 ? want - 1 : 1;
		k->threads = xcalloc(want, sizeof(*k->threads));
		for (; k->nthreads < want; k->nthreads++)
			if (pthread_create(&k->threads[k->nthreads], NULL,
			    checker, k) != 0)
				break;
	}
	pthread_mutex_lock(&k->lock);
	xgrow((void **)&k->q, &k->cap, k->n + n, sizeof(*k->q));
	for (i = 0; i < n; i++) {
		todo[i]->stage = SIG_QUEUED;
		heap_push(k, todo[i]);
	}
	pthread_cond_broadcast(&k->work);
	pthread_mutex_unlock(&k->lock);
}

/* s checked, by the caller if no checker has taken it yet. */
void
dipb_vfy_sig_wait(struct verify *v, struct sigcheck *s)
{
	struct checkers *k = v->checkers;

	if (k == NULL || s == NULL)
		return;
	pthread_mutex_lock(&k->lock);
	if (s->stage == SIG_QUEUED)
		check_claimed(k, s, &k->replay_keys);
	while (s->stage == SIG_CHECKING)
		if (!check_next(k, &k->replay_keys))
			pthread_cond_wait(&k->checked, &k->lock);
	pthread_mutex_unlock(&k->lock);
}

/*
 * The checkers stopped and joined (what they have not checked is
 * released with its commit).
 */
void
dipb_vfy_checkers_stop(struct verify *v)
{
	struct checkers *k = v->checkers;
	size_t i;

	if (k == NULL)
		return;
	pthread_mutex_lock(&k->lock);
	k->stop = 1;
	pthread_cond_broadcast(&k->work);
	pthread_mutex_unlock(&k->lock);
	for (i = 0; i < k->nthreads; i++)
		pthread_join(k->threads[i], NULL);
	pthread_mutex_destroy(&k->lock);
	pthread_cond_destroy(&k->work);
	pthread_cond_destroy(&k->checked);
	keymemo_release(&k->replay_keys);
	free(k->threads);
	free(k->q);
	free(k);
	v->checkers = NULL;
}

/*
 * The signatures of the state changes [from, to) of the history, and of
 * as many after them, so that the checkers have work while the next
 * stretch's records load: the tags' read (one thread reads objects,
 * repo.h), then every signature queued for the checkers.
 */
void
dipb_vfy_read_signatures(struct verify *v, size_t from, size_t to)
{
	struct sigcheck **todo = NULL;
	const struct dipb_error *err;
	const struct tag *t;
	struct tag own;
	struct dipb_tag tg;
	char obj[DIPB_OID_HEX + 1];
	struct commit *c;
	size_t k, n = 0, cap = 0;

	to = to - from < v->ncommits - to ? to + (to - from) : v->ncommits;
	if (to > v->win_from + v->nwin)
		to = v->win_from + v->nwin;	/* as far as the window goes */
	if (from < v->sigs_read)
		from = v->sigs_read;
	if (to > v->sigs_read)
		v->sigs_read = to;
	for (k = from < v->since ? v->since : from; k < to; k++) {
		c = dipb_vfy_commit_at(v, k);
		if (!c->dipb || c->bad != NULL)
			continue;
		if (c->csig != NULL && !c->csig_queued) {
			xgrow((void **)&todo, &cap, n + 1, sizeof(*todo));
			todo[n++] = c->csig;
		}
		own.name = NULL;
		if ((t = dipb_vfy_change_tag(v, c, k, &own)) == NULL ||
		    !t->annotated) {
			free(own.name);
			continue;
		}
		dipb_hex(obj, t->obj, sizeof(t->obj));
		if ((err = dipb_git_tag_read(&tg, v->repo, obj)) != NULL) {
			/*
			 * A missing one is dipb_vfy_check_tag's to report; one
			 * git reads otherwise is tagged by no member: the
			 * identity check says so, and why.  One git cannot
			 * read is a corrupt repository (dipb_vfy_blob_read).
			 */
			if (err->code == DIPB_ERR_CORRUPT) {
				free(c->tagname_own);
				c->tagname_own = own.name;
				c->tagname = t == &own ? own.name : t->name;
				c->tagger = dipb_vfy_intern(v, xasprintf("no "
				    "one dipb reads (%s)", err->msg));
			} else {
				free(own.name);
				if (err->code != DIPB_ERR_NOT_FOUND &&
				    v->broken == NULL) {
					v->broken = err;
					err = NULL;
				}
			}
			dipb_error_free(err);
			continue;
		}
		/* v->tags outlive the replay; an own tag's name is c's. */
		free(c->tagname_own);
		c->tagname_own = own.name;
		c->tagname = t == &own ? own.name : t->name;
		c->tagger = dipb_vfy_intern(v, tg.tagger_email != NULL ?
		    dipb_text_clean_line(tg.tagger_email) : xstrdup(""));
		if (tg.signature != NULL) {
			c->tsig = dipb_vfy_sig_new(tg.signature,
			    tg.signature_len, tg.payload, tg.payload_len,
			    v->ncommits - 1 - k);
			xgrow((void **)&todo, &cap, n + 1, sizeof(*todo));
			todo[n++] = c->tsig;
		}
		dipb_tag_release(&tg);
	}
	dipb_vfy_checkers_queue(v, todo, n);
	free(todo);
}

/* The member of b whose key key is; NULL when none. */
static const struct dipb_member *
key_owner(const struct dipb_board *b, const char *key)
{
	size_t i, k;

	for (i = 0; i < b->nmembers; i++)
		for (k = 0; k < b->members[i].keys.n; k++)
			if (strcmp(b->members[i].keys.v[k], key) == 0)
				return &b->members[i];
	return NULL;
}

static int
has_key(const struct dipb_member *m, const char *key)
{
	size_t k;

	for (k = 0; m != NULL && k < m->keys.n; k++)
		if (strcmp(m->keys.v[k], key) == 0)
			return 1;
	return 0;
}

/*
 * The fingerprint of good signature s's key, for a finding: made only
 * then, most signatures needing none.
 */
static const char *
sig_fp(struct sigcheck *s)
{
	struct dipb_sshkey key = DIPB_SSHKEY_INIT;
	const struct dipb_error *err;

	if (s->fp != NULL)
		return s->fp;
	if ((err = dipb_sshkey_parse(&key, s->key)) == NULL)
		s->fp = dipb_sshkey_fingerprint(&key);
	else {
		dipb_error_free(err);	/* made by dipb_sshkey_canonical */
		s->fp = xstrdup(s->key);
	}
	dipb_sshkey_release(&key);
	return s->fp;
}

/*
 * One signature s of change c (its commit, or its tag when is_tag),
 * against board b as of the parent commit and its acting member m: 1
 * when it is a valid signature by one of m's keys.  A finding names the
 * tag concerned (the commit's: the one expected) and the change's file
 * path, as the change's other findings do (dipb-verify(1), "Output").
 */
static int
check_one(struct verify *v, const struct commit *c, int is_tag,
    struct sigcheck *s, const struct dipb_board *b,
    const struct dipb_member *m, const char *need, const char *tag,
    const char *path)
{
	const char *what = is_tag ? "tag" : "commit";
	const struct dipb_member *o;
	enum dipb_role role;
	char *seen, *p;
	int removed;

	if (s == NULL || s->state == SIG_NONE) {
		if (need != NULL)
			dipb_vfy_finding(v, c->id, tag, path, "unsigned", "the "
			    "%s of '%s %s' is not signed, but %s", what,
			    c->record, c->event, need);
		return 0;
	}
	if (s->state == SIG_BAD) {
		dipb_vfy_finding(v, c->id, tag, path, "bad-signature", "the "
		    "%s's signature: %s", what, s->why);
		return 0;
	}
	if (has_key(m, s->key)) {
		role = dipb_event_role(c->kind);
		if (strcmp(c->record, DIPB_BOARD_RECORD) != 0 ||
		    dipb_member_has_role(m, role, NULL))
			return 1;
		dipb_vfy_finding(v, c->id, tag, path, "wrong-key", "the %s is "
		    "signed by %s (%s), who is not a %s as of the parent "
		    "commit: board changes are signed by a %s", what,
		    c->email, sig_fp(s), dipb_role_name(role),
		    dipb_role_name(role));
		return 0;
	}
	seen = xasprintf("%s\n%s", c->email, s->key);
	for (p = seen; *p != '\n'; p++)
		*p = (char)tolower((unsigned char)*p);
	removed = dipb_hashmap_get(&v->keys_seen, seen) != NULL;
	free(seen);
	if (removed) {
		dipb_vfy_finding(v, c->id, tag, path, "key-removed", "the %s "
		    "is signed with %s, a key %s no longer has as of the "
		    "parent commit (removed or rotated out)", what, sig_fp(s),
		    c->email);
		return 0;
	}
	/*
	 * A key no member has, where no signature was due, proves no more
	 * than no signature: a user's own key (commit.gpgSign) on a board
	 * that does not list it.  Another member's key is always a finding.
	 */
	if ((o = key_owner(b, s->key)) == NULL && need == NULL)
		return 0;
	dipb_vfy_finding(v, c->id, tag, path, "wrong-key", "the %s is signed "
	    "with %s, which is not a key of %s as of the parent commit%s%s%s",
	    what, sig_fp(s), c->email, o != NULL ? " (it is " : "",
	    o != NULL ? o->email : "", o != NULL ? "'s)" : "");
	return 0;
}

/*
 * The signatures and identities of state change c, whose own change is
 * own (NULL: none), against the board as of the parent commit (for the
 * board's creation, the board it creates).  tag is the tag the change
 * expects, path the file it changes: what its findings name, the tag's
 * own name where they are about its tag.
 */
void
dipb_vfy_check_signing(struct verify *v, struct commit *c,
    const struct change *own, const char *tag, const char *path)
{
	struct dipb_board created;
	const struct dipb_board *b = v->have_board ? &v->board : NULL;
	const struct dipb_member *m;
	const char *need = NULL;
	char *why = NULL, *reason = NULL;
	int ok, untagged, have_created = 0;

	if (v->cur < v->since)
		return;
	dipb_vfy_sig_wait(v, c->csig);
	dipb_vfy_sig_wait(v, c->tsig);
	c->sigs_done = 1;
	if (own != NULL && c->kind == DIPB_EVENT_CREATED &&
	    strcmp(c->record, DIPB_BOARD_RECORD) == 0) {
		if (dipb_vfy_load_board(&created, v, own, &why) == 0) {
			b = &created;
			have_created = 1;
		}
		free(why);
	}
	if (c->committer != NULL &&
	    !dipb_vfy_same_email(c->email, c->committer))
		dipb_vfy_finding(v, c->id, tag, path, "identity", "'%s "
		    "%s' is authored by %s but committed by %s: one member "
		    "makes a change", c->record, c->event, c->email,
		    c->committer);
	if (c->tagger != NULL && !dipb_vfy_same_email(c->email, c->tagger))
		dipb_vfy_finding(v, c->id, c->tagname, path, "identity",
		    "'%s %s' is authored by %s but tagged by %s: one member "
		    "makes a change", c->record, c->event, c->email,
		    *c->tagger != '\0' ? c->tagger : "nobody");
	m = b != NULL ? dipb_board_member(b, c->email) : NULL;
	if (m != NULL && m->keys.n > 0)
		need = reason = xasprintf("%s has a key as of the parent "
		    "commit", c->email);
	else if (b != NULL && b->signing == DIPB_SIGNING_REQUIRED)
		need = "the board requires signing";
	ok = check_one(v, c, 0, c->csig, b != NULL ? b : &v->board, m,
	    need, tag, path);
	untagged = 0;
	if (c->tagname != NULL)
		ok &= check_one(v, c, 1, c->tsig, b != NULL ? b : &v->board,
		    m, need, c->tagname, path);
	else {
		/* No tag: tag-missing says so; the commit may be signed. */
		untagged = ok;
		ok = 0;
	}
	/* From which change on every change is proved. */
	if (!ok) {
		v->unauth = v->cur + 1;
		v->unauth_untagged = untagged;
		v->auth_from = 0;
	} else if (v->auth_from == 0)
		v->auth_from = v->cur + 1;
	free(reason);
	if (have_created)
		dipb_board_release(&created);
}

/* What the text output says of the history's signatures (verify.h). */
void
dipb_vfy_signing_note(struct verify *v)
{
	struct dipb_findings *o = v->out;

	o->unauthenticated = v->have_board &&
	    v->board.signing == DIPB_SIGNING_NONE;
	if (o->unauthenticated || v->unauth == 0)
		return;
	if (v->auth_from != 0)
		dipb_vfy_hist_hex(o->authenticated_from, v, v->auth_from - 1);
	else {
		dipb_vfy_hist_hex(o->unauthenticated_tip, v, v->unauth - 1);
		o->unauthenticated_tip_untagged = v->unauth_untagged;
	}
}

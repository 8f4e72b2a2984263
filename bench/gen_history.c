/*
 * gen_history.c - writes on stdout a git fast-import stream of a board's
 * whole history, for bench/verify.sh: board/1-created, then N records each
 * taken through E state changes (drafted, edited, review-requested,
 * reviewed, endorsed, submitted, decided, then action-updated as often as
 * E asks), one commit and one annotated tag per change with dipb's
 * subject, trailers and identities, and reviews whose fingerprints are
 * right, so that dipb verify finds the history clean.  The drafts come
 * first, then the other changes round-robin over the records, so that the
 * folder has its full size for most of the history.  Built against dipb's
 * own objects, so the records are exactly what dipb writes.
 *
 * "-l N" makes a lived-in board instead (bench/scale.sh): the records
 * have as many changes as a board of some years has, by the cycle of ten
 * in lived[] (from a draft to a decision whose action was updated, 5.3
 * on average: 1 + 5.3 N commits and as many tags), record 1 with seven.
 * "-V" prints the version of what this program writes, which bench/
 * scale.sh keys the boards it keeps by: change GEN_VERSION whenever the
 * stream changes.
 *
 * Signed boards, in two steps, since git fast-import cannot write a
 * commit's signature: "-k DIR" makes an ed25519 key for each member with
 * libcrypto (EVP_PKEY_keygen), puts its public key in the members' keys:
 * of dipb.yaml, writes the private keys (DIR/<email>.pem) and the
 * allowed-signers file git reads (DIR/allowed_signers), and leaves the
 * tags out of the stream; then "-s DIR REPO" rewrites the branch main of
 * the imported repository, signing every commit and making every tag
 * signed, as git does with gpg.format=ssh (a gpgsig header; a signature
 * after the tag's message), in-process: the SSHSIG signed data of
 * src/sshsig.c, signed with EVP_DigestSign.
 *
 * usage: gen_history [-k DIR] N E    (N records, E changes each, 1 to 100)
 *        gen_history [-k DIR] -l N    (N records, the lived-in mix)
 *        gen_history -s DIR REPO
 *        gen_history -V
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <git2.h>
#include <git2/sys/mempack.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "record.h"
#include "sshsig.h"
#include "util.h"

static const char board_head[] =
    "board: Bench Production Board\n"
    "submit_to: National Armaments Directors\n"
    "working_groups:\n"
    "  - key: industrial-capacity\n"
    "    prefix: IC\n"
    "    name: Industrial Capacity\n"
    "classifications:\n"
    "  - NATO UNCLASSIFIED\n"
    "review:\n"
    "  quorum: 2\n"
    "members:\n";

struct who {
	const char	*name;
	const char	*email;
	const char	*role;
};

static const struct who chair = { "Clara Chair", "chair@example.org",
    "chair" };
static const struct who secretary = { "Sam Secretary",
    "secretary@example.org", "secretary" };
static const struct who drafter = { "Dan Drafter", "dan@example.org",
    "drafter" };
static const struct who rev1 = { "Rita Reviewer", "rita@example.org",
    "reviewer" };
static const struct who rev2 = { "Rolf Reviewer", "rolf@example.org",
    "reviewer" };
static const struct who *const members[] = { &chair, &secretary, &drafter,
    &rev1, &rev2 };
#define NMEMBERS	(sizeof(members) / sizeof(members[0]))

#define GEN_VERSION	"1"

/*
 * The changes of record i (from 0) on a lived-in board, by i % 10: still
 * a draft, in review, endorsed, submitted, decided (7) and decided with
 * its action updated (8).
 */
static const unsigned long lived[10] = { 7, 1, 3, 4, 5, 5, 6, 7, 7, 8 };

static long long when = 1767261600;	/* 2026-01-01 10:00 UTC */
static unsigned long mark;
static int with_tags = 1;		/* 0: -k, the tags made by -s */

static void
data(const char *s, size_t len)
{
	printf("data %zu\n", len);
	fwrite(s, 1, len, stdout);
	putchar('\n');
}

/* Seconds between two changes. */
#define STEP	37

/*
 * The date of the next change (change() moves the clock by STEP first):
 * the dates a change writes are its own (dipb verify, rule date).
 */
static char *
today(void)
{
	long long days = (when + STEP) / 86400 - 20454;	/* since 2026-01-01 */
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int m = 0;

	days %= 365;
	while (days >= mdays[m])
		days -= mdays[m++];
	return xasprintf("2026-%02d-%02lld", m + 1, days + 1);
}

/* One commit and its tag: the files (path, content pairs) given. */
static void
change(const struct who *w, const char *record, unsigned long n,
    const char *event, const char *status, const char *subject,
    const char *const *files, size_t nfiles)
{
	struct dipb_buf msg = DIPB_BUF_INIT;
	size_t i;

	when += STEP;
	dipb_buf_printf(&msg, "%s\n\nDipb-Record: %s\nDipb-Event: %s\n",
	    subject, record, event);
	if (status != NULL)
		dipb_buf_printf(&msg, "Dipb-Status: %s\n", status);
	printf("commit refs/heads/main\nmark :%lu\n", ++mark);
	printf("author %s <%s> %lld +0000\n", w->name, w->email, when);
	printf("committer %s <%s> %lld +0000\n", w->name, w->email, when);
	data(msg.ptr, msg.len);
	if (mark > 1)
		printf("from :%lu\n", mark - 1);
	for (i = 0; i < nfiles; i++) {
		printf("M 100644 inline %s\n", files[2 * i]);
		data(files[2 * i + 1], strlen(files[2 * i + 1]));
	}
	if (!with_tags) {
		dipb_buf_release(&msg);
		return;
	}
	printf("tag %s/%lu-%s\nfrom :%lu\n", record, n, event, mark);
	printf("tagger %s <%s> %lld +0000\n", w->name, w->email, when);
	dipb_buf_clear(&msg);
	dipb_buf_printf(&msg, "%s\n", subject);
	data(msg.ptr, msg.len);
	dipb_buf_release(&msg);
}

static void
record_change(struct dipb_record *r, const struct who *w, unsigned long n,
    const char *event, enum dipb_status from, const char *subject)
{
	struct dipb_buf y = DIPB_BUF_INIT;
	const char *files[2];
	char *path = dipb_record_path(r->id), *st;

	free(r->updated);
	r->updated = today();
	dipb_record_emit(r, &y);
	st = xasprintf("%s -> %s", from == DIPB_STATUS_NONE ? "none" :
	    dipb_status_name(from), dipb_status_name(r->status));
	files[0] = path;
	files[1] = y.ptr;
	change(w, r->id, n, event, st, subject, files, 1);
	free(st);
	free(path);
	dipb_buf_release(&y);
}

static void
add_review(struct dipb_record *r, const struct who *w)
{
	char fp[DIPB_FINGERPRINT_LEN + 1];
	struct dipb_review *rv;

	dipb_record_fingerprint(r, fp);
	r->reviews = xrealloc(r->reviews, (r->nreviews + 1) *
	    sizeof(*r->reviews));
	rv = &r->reviews[r->nreviews++];
	memset(rv, 0, sizeof(*rv));
	rv->reviewer = xstrdup(w->email);
	rv->date = today();
	rv->verdict = DIPB_VERDICT_ENDORSE;
	rv->fingerprint = xstrdup(fp);
}

/* Change k (from 1) of record r. */
static void
step(struct dipb_record *r, unsigned long k)
{
	enum dipb_status from = r->status;
	char *s;

	switch (k) {
	case 1:
		r->status = DIPB_STATUS_DRAFT;
		r->created = today();
		s = xasprintf("%s: drafted by %s", r->id, drafter.name);
		record_change(r, &drafter, k, "drafted", DIPB_STATUS_NONE, s);
		break;
	case 2:
		free(r->summary);
		r->summary = xasprintf("Revised summary of %s: the demand "
		    "signal, the framework contracts and the surge options "
		    "that industry asked for in the consultations.\n", r->id);
		s = xasprintf("%s: edited by %s", r->id, drafter.name);
		record_change(r, &drafter, k, "edited", from, s);
		break;
	case 3:
		r->status = DIPB_STATUS_IN_REVIEW;
		s = xasprintf("%s: review requested by %s", r->id,
		    drafter.name);
		record_change(r, &drafter, k, "review-requested", from, s);
		break;
	case 4:
		add_review(r, &rev1);
		s = xasprintf("%s: endorsed by %s (1/2)", r->id, rev1.name);
		record_change(r, &rev1, k, "reviewed", from, s);
		break;
	case 5:
		add_review(r, &rev2);
		r->status = DIPB_STATUS_ENDORSED;
		s = xasprintf("%s: endorsed by %s (2/2)", r->id, rev2.name);
		record_change(r, &rev2, k, "endorsed", from, s);
		break;
	case 6:
		r->status = DIPB_STATUS_SUBMITTED;
		r->submission = xcalloc(1, sizeof(*r->submission));
		r->submission->date = today();
		r->submission->to = xstrdup("National Armaments Directors");
		r->submission->reference = xstrdup("CNAD-2026-05");
		s = xasprintf("%s: submitted to National Armaments Directors "
		    "(CNAD-2026-05)", r->id);
		record_change(r, &secretary, k, "submitted", from, s);
		break;
	case 7:
		r->status = DIPB_STATUS_DECIDED;
		r->decision = xcalloc(1, sizeof(*r->decision));
		r->decision->date = today();
		r->decision->outcome = DIPB_OUTCOME_AGREED;
		s = xasprintf("%s: decided: agreed", r->id);
		record_change(r, &secretary, k, "decided", from, s);
		break;
	default:
		r->actions[0].state = r->actions[0].state == DIPB_ACTION_DONE ?
		    DIPB_ACTION_OPEN : DIPB_ACTION_DONE;
		s = xasprintf("%s: action 1 %s", r->id,
		    dipb_action_state_name(r->actions[0].state));
		record_change(r, &secretary, k, "action-updated", from, s);
		break;
	}
	free(s);
}

/* ---- signing ------------------------------------------------------ */

static void
die(const char *what)
{
	fprintf(stderr, "gen_history: %s\n", what);
	exit(1);
}

/* An ed25519 key's wire blob: string "ssh-ed25519", string key. */
static void
key_blob(struct dipb_buf *out, EVP_PKEY *pkey)
{
	unsigned char pub[32];
	size_t len = sizeof(pub);

	if (EVP_PKEY_get_raw_public_key(pkey, pub, &len) != 1 || len != 32)
		die("cannot read an ed25519 public key");
	dipb_buf_put(out, "\0\0\0\x0bssh-ed25519\0\0\0\x20", 19);
	dipb_buf_put(out, (const char *)pub, len);
}

/* The members' keys made, written to dir; their lines into keys[]. */
static void
make_keys(const char *dir, char *keys[NMEMBERS])
{
	struct dipb_buf blob = DIPB_BUF_INIT;
	EVP_PKEY_CTX *kctx;
	EVP_PKEY *pkey;
	FILE *f, *allowed;
	unsigned char *b64;
	char *path;
	size_t i;

	path = xasprintf("%s/allowed_signers", dir);
	if ((allowed = fopen(path, "w")) == NULL)
		die("cannot write allowed_signers");
	free(path);
	for (i = 0; i < NMEMBERS; i++) {
		pkey = NULL;
		if ((kctx = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, NULL)) ==
		    NULL || EVP_PKEY_keygen_init(kctx) != 1 ||
		    EVP_PKEY_keygen(kctx, &pkey) != 1)
			die("cannot make an ed25519 key");
		EVP_PKEY_CTX_free(kctx);
		path = xasprintf("%s/%s.pem", dir, members[i]->email);
		if ((f = fopen(path, "w")) == NULL ||
		    PEM_write_PrivateKey(f, pkey, NULL, NULL, 0, NULL,
		    NULL) != 1 || fclose(f) != 0)
			die("cannot write a private key");
		free(path);
		dipb_buf_clear(&blob);
		key_blob(&blob, pkey);
		b64 = xmalloc(blob.len * 2 + 4);
		EVP_EncodeBlock(b64, (unsigned char *)blob.ptr, (int)blob.len);
		keys[i] = xasprintf("ssh-ed25519 %s", (char *)b64);
		fprintf(allowed, "%s namespaces=\"git\" %s\n",
		    members[i]->email, keys[i]);
		free(b64);
		EVP_PKEY_free(pkey);
	}
	if (fclose(allowed) != 0)
		die("cannot write allowed_signers");
	dipb_buf_release(&blob);
}

struct signer {
	const char	*email;
	EVP_PKEY	*pkey;
	struct dipb_buf	 blob;
};

/* Appends to out the armored signature of signer s over msg. */
static void
sign(struct dipb_buf *out, struct signer *s, const char *msg, size_t len)
{
	struct dipb_buf data = DIPB_BUF_INIT, sig = DIPB_BUF_INIT;
	unsigned char raw[64];
	size_t rawlen = sizeof(raw);
	EVP_MD_CTX *ctx;

	if (dipb_sshsig_signed_data(&data, DIPB_SSHSIG_NAMESPACE, "sha512",
	    msg, len) < 0 || (ctx = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestSignInit(ctx, NULL, NULL, NULL, s->pkey) != 1 ||
	    EVP_DigestSign(ctx, raw, &rawlen, (unsigned char *)data.ptr,
	    data.len) != 1)
		die("cannot sign");
	EVP_MD_CTX_free(ctx);
	dipb_buf_put(&sig, "\0\0\0\x0bssh-ed25519\0\0\0\x40", 19);
	dipb_buf_put(&sig, (const char *)raw, rawlen);
	dipb_sshsig_armor(out, (unsigned char *)s->blob.ptr, s->blob.len,
	    DIPB_SSHSIG_NAMESPACE, "sha512", (unsigned char *)sig.ptr,
	    sig.len);
	dipb_buf_release(&data);
	dipb_buf_release(&sig);
}

/* The value of header or trailer key (with its ": " or " ") in
 * [p, end), up to the end of its line; NULL when absent. */
static char *
line_value(const char *p, const char *end, const char *key)
{
	size_t n = strlen(key);
	const char *nl;

	for (; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if ((size_t)(nl - p) > n && memcmp(p, key, n) == 0)
			return xstrndup(p + n, (size_t)(nl - p) - n);
	}
	return NULL;
}

static struct signer *
signer_of(struct signer *signers, const char *person)
{
	size_t i;

	for (i = 0; i < NMEMBERS; i++)
		if (strstr(person, signers[i].email) != NULL)
			return &signers[i];
	die("a commit by nobody of the board");
	return NULL;
}

/* A tag made: packed-refs wants them sorted by name. */
struct newtag {
	char	*ref;
	char	 tag[GIT_OID_HEXSZ + 1];
	char	 commit[GIT_OID_HEXSZ + 1];
};

static int
cmp_tag(const void *a, const void *b)
{
	return strcmp(((const struct newtag *)a)->ref,
	    ((const struct newtag *)b)->ref);
}

/*
 * Rewrites the first-parent history of main in repo, signing every
 * commit, and makes the tag <record>/<N>-<event> of each, signed.  The
 * objects are made in memory (libgit2's mempack) and written as one pack,
 * the tags as packed-refs, as git gc leaves them: 20,000 loose objects and
 * 10,000 loose refs would take longer than the rest.
 */
static int
sign_history(const char *dir, const char *path)
{
	struct signer signers[NMEMBERS];
	struct dipb_buf buf = DIPB_BUF_INIT, armor = DIPB_BUF_INIT;
	git_repository *repo;
	git_revwalk *walk;
	git_odb *odb;
	git_odb_backend *mempack;
	git_packbuilder *pb;
	struct newtag *tags = NULL;
	size_t ntags = 0, captags = 0;
	git_odb_object *obj;
	git_reference *ref;
	git_oid id, parent, cid, tid;
	const char *p, *end, *body, *nl;
	char hex[GIT_OID_HEXSZ + 1], *rec, *ev, *who, *name, *pem;
	unsigned long n, *numbers = NULL, nrecs = 0, r;
	size_t i, hlen;
	int have_parent = 0;
	FILE *f;

#ifdef __GLIBC__
	/*
	 * zlib's and libcrypto's buffers, made and freed for each object,
	 * would otherwise go back to the system each time: on a loaded
	 * machine, brk and munmap were most of the time.
	 */
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
	mallopt(M_TRIM_THRESHOLD, 256 << 20);
	mallopt(M_TOP_PAD, 64 << 20);
#endif
	for (i = 0; i < NMEMBERS; i++) {
		signers[i].email = members[i]->email;
		pem = xasprintf("%s/%s.pem", dir, members[i]->email);
		if ((f = fopen(pem, "r")) == NULL ||
		    (signers[i].pkey = PEM_read_PrivateKey(f, NULL, NULL,
		    NULL)) == NULL)
			die("cannot read a private key");
		fclose(f);
		free(pem);
		dipb_buf_init(&signers[i].blob);
		key_blob(&signers[i].blob, signers[i].pkey);
	}
	git_libgit2_init();
	if (git_repository_open(&repo, path) < 0 ||
	    git_repository_odb(&odb, repo) < 0 ||
	    git_mempack_new(&mempack) < 0 ||
	    git_odb_add_backend(odb, mempack, 1000) < 0 ||
	    git_revwalk_new(&walk, repo) < 0 ||
	    git_revwalk_push_ref(walk, "refs/heads/main") < 0)
		die("cannot open the repository");
	if (git_packbuilder_new(&pb, repo) < 0)
		die("cannot make a pack");
	git_revwalk_simplify_first_parent(walk);
	git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE);
	while (git_revwalk_next(&id, walk) == 0) {
		if (git_odb_read(&obj, odb, &id) < 0)
			die("cannot read a commit");
		p = git_odb_object_data(obj);
		end = p + git_odb_object_size(obj);
		body = strstr(p, "\n\n");
		if (body == NULL || (size_t)(body - p) >= git_odb_object_size(obj))
			die("a commit without a message");
		body += 2;
		/* The commit again: its tree, the new parent, the rest. */
		dipb_buf_clear(&buf);
		nl = memchr(p, '\n', (size_t)(end - p));
		dipb_buf_put(&buf, p, (size_t)(nl + 1 - p));
		if (have_parent) {
			git_oid_tostr(hex, sizeof(hex), &parent);
			dipb_buf_printf(&buf, "parent %s\n", hex);
		}
		for (p = nl + 1; p < body - 1; p = nl + 1) {
			nl = memchr(p, '\n', (size_t)(end - p));
			if (strncmp(p, "parent ", 7) != 0)
				dipb_buf_put(&buf, p, (size_t)(nl + 1 - p));
		}
		who = line_value(git_odb_object_data(obj), body, "committer ");
		/* What is signed: the commit without its signature. */
		hlen = buf.len;
		dipb_buf_put(&buf, body - 1, (size_t)(end - body + 1));
		dipb_buf_clear(&armor);
		sign(&armor, signer_of(signers, who), buf.ptr, buf.len);
		/* gpgsig goes after the committer, each further line
		 * indented by a space, as git writes it. */
		{
			struct dipb_buf c = DIPB_BUF_INIT;

			dipb_buf_put(&c, buf.ptr, hlen);
			dipb_buf_puts(&c, "gpgsig ");
			for (p = armor.ptr; *p != '\0'; p++) {
				dipb_buf_putc(&c, *p);
				if (*p == '\n' && p[1] != '\0')
					dipb_buf_putc(&c, ' ');
			}
			dipb_buf_put(&c, body - 1, (size_t)(end - body + 1));
			if (git_odb_write(&cid, odb, c.ptr, c.len,
			    GIT_OBJECT_COMMIT) < 0)
				die("cannot write a commit");
			dipb_buf_release(&c);
		}
		if (git_packbuilder_insert(pb, &cid, NULL) < 0)
			die("cannot pack a commit");
		parent = cid;
		have_parent = 1;
		/* Its tag: <record>/<N>-<event>, N counted per record. */
		rec = line_value(body, end, "Dipb-Record: ");
		ev = line_value(body, end, "Dipb-Event: ");
		if (rec != NULL && ev != NULL) {
			r = strcmp(rec, "board") == 0 ? 0 :
			    strtoul(rec + 3, NULL, 10);
			if (r >= nrecs) {
				numbers = xrealloc(numbers, (r + 1) *
				    sizeof(*numbers));
				memset(numbers + nrecs, 0, (r + 1 - nrecs) *
				    sizeof(*numbers));
				nrecs = r + 1;
			}
			n = ++numbers[r];
			name = xasprintf("%s/%lu-%s", rec, n, ev);
			git_oid_tostr(hex, sizeof(hex), &cid);
			nl = memchr(body, '\n', (size_t)(end - body));
			dipb_buf_clear(&buf);
			dipb_buf_printf(&buf, "object %s\ntype commit\ntag %s\n"
			    "tagger %s\n\n", hex, name, who);
			dipb_buf_put(&buf, body, (size_t)(nl + 1 - body));
			sign(&buf, signer_of(signers, who), buf.ptr, buf.len);
			if (git_odb_write(&tid, odb, buf.ptr, buf.len,
			    GIT_OBJECT_TAG) < 0)
				die("cannot write a tag");
			if (git_packbuilder_insert(pb, &tid, NULL) < 0)
				die("cannot pack a tag");
			free(name);
			xgrow((void **)&tags, &captags, ntags + 1,
			    sizeof(*tags));
			tags[ntags].ref = xasprintf("refs/tags/%s/%lu-%s", rec,
			    n, ev);
			git_oid_tostr(tags[ntags].tag, sizeof(tags[ntags].tag),
			    &tid);
			memcpy(tags[ntags].commit, hex, sizeof(hex));
			ntags++;
		}
		free(rec);
		free(ev);
		free(who);
		git_odb_object_free(obj);
	}
	/* The new objects (not what they point to), as one pack. */
	pem = xasprintf("%s/objects/pack", git_repository_path(repo));
	if (git_packbuilder_write(pb, pem, 0, NULL, NULL) < 0)
		die("cannot write the pack");
	git_packbuilder_free(pb);
	free(pem);
	/* The tags, as packed-refs with their peeled commits. */
	qsort(tags, ntags, sizeof(*tags), cmp_tag);
	pem = xasprintf("%s/packed-refs", git_repository_path(repo));
	if ((f = fopen(pem, "w")) == NULL)
		die("cannot write packed-refs");
	fputs("# pack-refs with: peeled fully-peeled sorted \n", f);
	for (i = 0; i < ntags; i++) {
		fprintf(f, "%s %s\n^%s\n", tags[i].tag, tags[i].ref,
		    tags[i].commit);
		free(tags[i].ref);
	}
	if (fclose(f) != 0)
		die("cannot write packed-refs");
	free(pem);
	free(tags);
	if (!have_parent || git_reference_create(&ref, repo,
	    "refs/heads/main", &parent, 1, NULL) < 0)
		die("cannot move main");
	git_reference_free(ref);
	free(numbers);
	git_revwalk_free(walk);
	git_odb_free(odb);
	git_repository_free(repo);
	git_libgit2_shutdown();
	for (i = 0; i < NMEMBERS; i++) {
		EVP_PKEY_free(signers[i].pkey);
		dipb_buf_release(&signers[i].blob);
	}
	dipb_buf_release(&buf);
	dipb_buf_release(&armor);
	return 0;
}

static void
usage(void)
{
	fprintf(stderr, "usage: gen_history [-k DIR] N E\n"
	    "       gen_history [-k DIR] -l N\n"
	    "       gen_history -s DIR REPO\n"
	    "       gen_history -V\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	struct dipb_buf board = DIPB_BUF_INIT;
	struct dipb_record *recs;
	const char *files[4];
	char *keys[NMEMBERS] = { NULL };
	unsigned long n, e, i, k;
	int mix = 0;
	char *s;

	if (argc == 2 && strcmp(argv[1], "-V") == 0)
		return puts(GEN_VERSION) < 0 || fflush(stdout) != 0;
	if (argc == 4 && strcmp(argv[1], "-s") == 0)
		return sign_history(argv[2], argv[3]);
	if (argc == 5 && strcmp(argv[1], "-k") == 0) {
		make_keys(argv[2], keys);
		with_tags = 0;
		argv += 2;
		argc -= 2;
	}
	if (argc == 3 && strcmp(argv[1], "-l") == 0) {
		mix = 1;
		if ((n = strtoul(argv[2], NULL, 10)) == 0)
			usage();
		e = 8;
	} else if (argc != 3 || (n = strtoul(argv[1], NULL, 10)) == 0 ||
	    (e = strtoul(argv[2], NULL, 10)) == 0 || e > 100)
		usage();
	dipb_buf_puts(&board, board_head);
	for (i = 0; i < NMEMBERS; i++) {
		dipb_buf_printf(&board, "  - name: %s\n    email: %s\n"
		    "    roles: [%s]\n", members[i]->name, members[i]->email,
		    members[i]->role);
		if (keys[i] != NULL)
			dipb_buf_printf(&board, "    keys:\n      - %s\n",
			    keys[i]);
		free(keys[i]);
	}
	files[0] = "dipb.yaml";
	files[1] = board.ptr;
	files[2] = ".gitattributes";
	files[3] = "*.yaml text eol=lf\n";
	s = xasprintf("board: created by %s", chair.name);
	change(&chair, "board", 1, "created", NULL, s, files, 2);
	free(s);

	recs = xcalloc(n, sizeof(*recs));
	for (i = 0; i < n; i++) {
		struct dipb_record *r = &recs[i];

		dipb_record_init(r);
		r->id = xasprintf("IC-%04lu", i + 1);
		r->title = xasprintf("Generated recommendation number %lu",
		    i + 1);
		r->working_group = xstrdup("industrial-capacity");
		r->classification = xstrdup("NATO UNCLASSIFIED");
		r->priority = DIPB_PRIORITY_MEDIUM;
		r->author = xstrdup(drafter.email);
		dipb_strlist_push(&r->topics, "bench");
		r->summary = xasprintf("Generated summary of recommendation "
		    "%lu, long enough to look like prose written by an "
		    "analyst.\n", i + 1);
		r->rationale = xstrdup("Generated rationale.  It explains why, "
		    "with evidence from the working group consultations.\n");
		r->actions = xcalloc(1, sizeof(*r->actions));
		r->actions[0].text = xstrdup("Nations send their demand data "
		    "to the secretariat");
		r->actions[0].owner = xstrdup("National Armaments Directors");
		r->nactions = 1;
		step(r, 1);
	}
	for (k = 2; k <= e; k++)
		for (i = 0; i < n; i++)
			if (!mix || k <= lived[i % 10])
				step(&recs[i], k);
	for (i = 0; i < n; i++)
		dipb_record_release(&recs[i]);
	free(recs);
	dipb_buf_release(&board);
	return fflush(stdout) == 0 ? 0 : 1;
}

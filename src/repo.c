/*
 * repo.c - the board's git repository through libgit2.
 *
 * A state change (dipb_repo_commit) writes its objects first, then a
 * journal, then the tag ref, then moves the branch by compare-and-swap,
 * then brings the working tree and the index in step, then removes the
 * journal.  Every step before the branch moves can be undone, every step
 * after it redone, so a process killed anywhere leaves either no change or
 * a whole one once the next dipb_repo_begin() has read the journal.
 *
 * Three things libgit2 does in time proportional to the board are done
 * here in git's own formats instead, so a change at 10,000 records costs
 * little more than at 1,000: the new tree is spliced from the old one's
 * bytes (and a big one written stored), the index entry is changed in the
 * index file's bytes, and the two refs are written as git's files backend
 * writes them.  Each section says what it replaces and why.
 */
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <git2.h>
/* SHA1_Init and the rest: see sha1() below. */
#define OPENSSL_API_COMPAT 0x10100000L
#include <openssl/sha.h>
#include <zlib.h>

#include "board.h"
#include "error.h"
#include "record.h"
#include "repo.h"
#include "util.h"

#define LOCK_FILE	"dipb.lock"
#define JOURNAL_FILE	"dipb-journal"
#define JOURNAL_MAGIC	"dipb-journal 1"
#define TMP_SUFFIX	".dipb-tmp"
#define DEFAULT_RETRIES	50
#define BACKOFF_MIN_NS	(2L * 1000 * 1000)
#define BACKOFF_MAX_NS	(100L * 1000 * 1000)

#define RAWTREES	4

struct rawtree {
	git_oid		 id;
	char		*data;		/* NULL: an empty slot */
	size_t		 len;
};

struct dipb_repo {
	git_repository	*git;
	char		*workdir;	/* absolute, ends in '/' */
	char		*gitdir;	/* absolute, ends in '/' */
	char		*index_path;
	char		*objdir;	/* ends in '/'; NULL: libgit2 writes */
	char		*branch_ref;	/* "refs/heads/main" */
	int		 unborn;
	git_oid		 tip;
	git_oid		 root;		/* the tip's tree */
	git_odb		*odb;
	struct rawtree	 rt[RAWTREES];
	unsigned	 rt_next;
	int		 lock_fd;	/* -1 unless dipb_repo_begin holds it */
	int		 retries;
	int		 fsync;		/* fsync objects, refs, journal, files */
};

/* One file of a change, as the journal records it. */
struct jfile {
	char	*path;
	git_oid	 old;		/* zero: the path did not exist at the tip */
	git_oid	 new;
};

struct journal {
	char		*branch_ref;
	git_oid		 old;	/* zero: the branch was unborn */
	git_oid		 new;
	char		*tag_ref;
	git_oid		 tag;
	struct jfile	*files;
	size_t		 nfiles;
	size_t		 cap;
};

/*
 * "<what>: <libgit2's last message>" with DIPB_ERR_GIT.  The what is
 * formatted as for printf.
 */
const struct dipb_error *
dipb_error_from_git(const char *fmt, ...)
{
	const git_error *ge = git_error_last();
	const struct dipb_error *err;
	va_list ap;
	char *what;

	va_start(ap, fmt);
	what = xvasprintf(fmt, ap);
	va_end(ap);
	if (ge != NULL && ge->message != NULL && ge->message[0] != '\0')
		err = dipb_error_fmt(DIPB_ERR_GIT, "%s: %s", what,
		    ge->message);
	else
		err = dipb_error_fmt(DIPB_ERR_GIT, "%s", what);
	free(what);
	return err;
}

/*
 * Fault injection, for the tests only: DIPB_FAULT=<point> kills the process
 * with SIGKILL right after that step of dipb_repo_commit, so the tests can
 * check that the next dipb_repo_begin() completes or discards the change;
 * DIPB_FAULT=<point>:stop stops it (SIGSTOP) there, so a test can play
 * another writer before it continues.  Points: blob, commit, tag-object,
 * journal, tag-ref, branch, worktree, index.
 */
static void
fault(const char *point)
{
	const char *f = getenv("DIPB_FAULT");
	size_t n = strlen(point);

	if (f == NULL || strncmp(f, point, n) != 0)
		return;
	if (f[n] == '\0')
		raise(SIGKILL);
	else if (strcmp(f + n, ":stop") == 0)
		raise(SIGSTOP);
}

/*
 * libgit2 built with mbedTLS, as Debian builds it, parses every CA
 * certificate of /etc/ssl/certs/ca-certificates.crt inside
 * git_libgit2_init: 54 million instructions, 7 to 13 ms, more than the
 * rest of a state change at 1,000 records.  No option of libgit2's comes
 * before init, and dipb never opens a network connection (push and fetch
 * are git's), so dipb defines the two mbedTLS functions libgit2 calls to
 * load them: libgit2's references resolve to the executable's definitions
 * first.  Each loads nothing and succeeds, so the store stays empty; TLS
 * through this process could verify no peer, and fails closed.  With
 * libgit2 built on OpenSSL, or without TLS, nothing calls them.  The
 * signatures are mbedTLS's, the chain an opaque pointer.
 */
int mbedtls_x509_crt_parse_file(void *, const char *);
int mbedtls_x509_crt_parse_path(void *, const char *);

int
mbedtls_x509_crt_parse_file(void *chain, const char *path)
{
	(void)chain;
	(void)path;
	return 0;
}

int
mbedtls_x509_crt_parse_path(void *chain, const char *path)
{
	(void)chain;
	(void)path;
	return 0;	/* certificates that failed to parse: none */
}

/*
 * libgit2 counts its own initialisations: the first open initialises it,
 * the last close shuts it down.  Objects, refs, reflogs, the index, the
 * journal and the files written are fsynced unless DIPB_FSYNC=0 (bulk
 * imports).  libgit2 writes loose objects at zlib level 1 (Z_BEST_SPEED)
 * already, so no loose backend of our own; only big trees are written
 * stored (write_stored).  Objects read are not hashed again, as git does
 * not (git fsck and dipb verify check them): at 10,000 records that is a
 * 400 KB tree hashed on every read.
 */
static const struct dipb_error *
lib_init(int *fsync_on)
{
	const char *env = getenv("DIPB_FSYNC");

	if (git_libgit2_init() < 0)
		return dipb_error_from_git("cannot initialise libgit2");
	*fsync_on = !(env != NULL && strcmp(env, "0") == 0);
	if (git_libgit2_opts(GIT_OPT_ENABLE_FSYNC_GITDIR, *fsync_on) < 0 ||
	    git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0) < 0) {
		git_libgit2_shutdown();
		return dipb_error_from_git("cannot set fsync");
	}
	return NULL;
}

static int
oid_is_zero(const git_oid *id)
{
	static const git_oid zero;

	return memcmp(id->id, zero.id, GIT_OID_RAWSZ) == 0;
}

/* ---- trees ------------------------------------------------------- */

/*
 * A new tree is the old one's raw bytes with one entry spliced in, not a
 * git_treebuilder: at 10,000 records the treebuilder's hash map and sort
 * cost several times what hashing and compressing the object does.
 */
struct tree_edit {
	const char	*path;		/* relative to the tree edited */
	const git_oid	*id;
	git_filemode_t	 mode;
	int		 done;
};

/* git's order of tree entries: a tree's name sorts as if it ended in '/'. */
static int
entry_cmp(const char *a, size_t alen, int atree, const char *b, size_t blen,
    int btree)
{
	size_t n = alen < blen ? alen : blen;
	unsigned char ca, cb;
	int c;

	if ((c = memcmp(a, b, n)) != 0)
		return c;
	ca = alen > n ? (unsigned char)a[n] : atree ? '/' : '\0';
	cb = blen > n ? (unsigned char)b[n] : btree ? '/' : '\0';
	return (ca > cb) - (ca < cb);
}

/* One entry of a raw tree: "<octal mode> <name>\0<20-byte id>". */
struct raw_entry {
	const char	*start;
	size_t		 size;		/* of the whole entry */
	const char	*name;
	size_t		 nlen;
	unsigned	 mode;
	const unsigned char *id;
};

/* Reads the entry at *p; -1 when the tree is malformed. */
static int
raw_next(struct raw_entry *e, const char **p, const char *end)
{
	const char *s = *p, *nul;

	e->start = s;
	e->mode = 0;
	while (s < end && *s >= '0' && *s <= '7')
		e->mode = e->mode * 8 + (unsigned)(*s++ - '0');
	if (s == e->start || s >= end || *s++ != ' ')
		return -1;
	if ((nul = memchr(s, '\0', (size_t)(end - s))) == NULL ||
	    nul == s || (size_t)(end - nul - 1) < GIT_OID_RAWSZ)
		return -1;
	e->name = s;
	e->nlen = (size_t)(nul - s);
	e->id = (const unsigned char *)nul + 1;
	*p = nul + 1 + GIT_OID_RAWSZ;
	e->size = (size_t)(*p - e->start);
	return 0;
}

static void
put_entry(struct dipb_buf *b, unsigned mode, const char *name, size_t nlen,
    const git_oid *id)
{
	dipb_buf_printf(b, "%o ", mode);
	dipb_buf_put(b, name, nlen);
	dipb_buf_putc(b, '\0');
	dipb_buf_put(b, (const char *)id->id, GIT_OID_RAWSZ);
}

/*
 * out = raw with the entry called name (of any type) replaced by, or
 * added as, (mode, name, id) in git's order.
 */
static int
splice_entry(struct dipb_buf *out, const char *raw, size_t len,
    const char *name, size_t nlen, unsigned mode, const git_oid *id)
{
	const char *p = raw, *end = raw + len, *run = raw;
	struct raw_entry e;
	int placed = 0, tree = mode == GIT_FILEMODE_TREE;

	dipb_buf_clear(out);
	dipb_buf_grow(out, len + nlen + 32);
	while (p < end) {
		if (raw_next(&e, &p, end) < 0)
			return -1;
		if (e.nlen == nlen && memcmp(e.name, name, nlen) == 0) {
			dipb_buf_put(out, run, (size_t)(e.start - run));
			run = p;	/* the old entry is dropped */
			continue;
		}
		if (!placed && entry_cmp(name, nlen, tree, e.name, e.nlen,
		    e.mode == GIT_FILEMODE_TREE) < 0) {
			dipb_buf_put(out, run, (size_t)(e.start - run));
			put_entry(out, mode, name, nlen, id);
			run = e.start;
			placed = 1;
		}
	}
	dipb_buf_put(out, run, (size_t)(end - run));
	if (!placed)
		put_entry(out, mode, name, nlen, id);
	return 0;
}

/* The entry called name in raw: 1 and its mode and id when there is one. */
static int
find_entry(const char *raw, size_t len, const char *name, size_t nlen,
    unsigned *mode, git_oid *id)
{
	const char *p = raw, *end = raw + len;
	struct raw_entry e;

	while (p < end && raw_next(&e, &p, end) == 0)
		if (e.nlen == nlen && memcmp(e.name, name, nlen) == 0) {
			*mode = e.mode;
			git_oid_fromraw(id, e.id);
			return 1;
		}
	return 0;
}

/*
 * The raw bytes of a few trees, by id: the root and recommendations/ of
 * the tip are read once per command, not once per lookup.  libgit2 would
 * not cache them: its object cache skips trees over 4 KB, and at 10,000
 * records recommendations/ is 400 KB.
 */
static const struct dipb_error *
raw_tree(const char **data, size_t *len, struct dipb_repo *r,
    const git_oid *id)
{
	struct rawtree *t;
	git_odb_object *obj = NULL;
	char hex[GIT_OID_HEXSZ + 1];
	size_t i;

	for (i = 0; i < RAWTREES; i++) {
		t = &r->rt[i];
		if (t->data != NULL && git_oid_equal(&t->id, id)) {
			*data = t->data;
			*len = t->len;
			return NULL;
		}
	}
	if (git_odb_read(&obj, r->odb, id) < 0)
		return dipb_error_from_git("cannot read tree %s",
		    git_oid_tostr(hex, sizeof(hex), id));
	if (git_odb_object_type(obj) != GIT_OBJECT_TREE) {
		git_odb_object_free(obj);
		return dipb_error_fmt(DIPB_ERR_CORRUPT, "not a tree: %s",
		    git_oid_tostr(hex, sizeof(hex), id));
	}
	t = &r->rt[r->rt_next++ % RAWTREES];
	free(t->data);
	t->len = git_odb_object_size(obj);
	t->data = xmalloc(t->len + 1);
	memcpy(t->data, git_odb_object_data(obj), t->len);
	git_oid_cpy(&t->id, id);
	git_odb_object_free(obj);
	*data = t->data;
	*len = t->len;
	return NULL;
}

/*
 * The entry at path below the tree root (NULL: none): *found 1 with its
 * mode and id, 0 when there is none.
 */
static const struct dipb_error *
tree_entry(git_oid *id, unsigned *mode, int *found, struct dipb_repo *r,
    const git_oid *root, const char *path)
{
	const struct dipb_error *err;
	const char *data, *slash;
	git_oid cur;
	size_t len, n;

	*found = 0;
	memset(id, 0, sizeof(*id));
	*mode = 0;
	if (root == NULL)
		return NULL;
	git_oid_cpy(&cur, root);
	for (;;) {
		if ((err = raw_tree(&data, &len, r, &cur)) != NULL)
			return err;
		slash = strchr(path, '/');
		n = slash != NULL ? (size_t)(slash - path) : strlen(path);
		if (n == 0 || !find_entry(data, len, path, n, mode, id))
			break;
		if (slash == NULL) {
			*found = 1;
			return NULL;
		}
		if (*mode != GIT_FILEMODE_TREE)
			break;
		git_oid_cpy(&cur, id);
		path = slash + 1;
	}
	memset(id, 0, sizeof(*id));
	*mode = 0;
	return NULL;
}

/* The tip's tree, NULL while the branch is unborn. */
static const git_oid *
tip_root(const struct dipb_repo *r)
{
	return r->unborn ? NULL : &r->root;
}

/* The file (a blob, not a link) at path at the tip: *found 0 when none. */
static const struct dipb_error *
tree_blob(git_oid *id, git_filemode_t *mode, int *found, struct dipb_repo *r,
    const char *path)
{
	const struct dipb_error *err;
	unsigned m;

	if (mode != NULL)
		*mode = GIT_FILEMODE_BLOB;
	if ((err = tree_entry(id, &m, found, r, tip_root(r), path)) != NULL)
		return err;
	if (*found && m != GIT_FILEMODE_BLOB &&
	    m != GIT_FILEMODE_BLOB_EXECUTABLE) {
		*found = 0;
		memset(id, 0, sizeof(*id));
	} else if (*found && mode != NULL)
		*mode = (git_filemode_t)m;
	return NULL;
}

/*
 * SHA-1, from OpenSSL's libcrypto, of big trees and of the index's
 * trailing checksum: libgit2 keeps its own hash functions private.  The
 * low-level SHA1_* functions (deprecated in OpenSSL 3, hence
 * OPENSSL_API_COMPAT above) rather than EVP_Digest: EVP's first use
 * loads the default provider, 4.3 million instructions, a fifth of a
 * whole state change at 1,000 records, to hash 100 KB in 1.2 million.
 */
static void
sha1(unsigned char out[20], const char *data, size_t len)
{
	SHA_CTX c;

	if (SHA1_Init(&c) != 1 || SHA1_Update(&c, data, len) != 1 ||
	    SHA1_Final(out, &c) != 1) {
		fputs("dipb: libcrypto cannot compute SHA-1\n", stderr);
		abort();
	}
}

/*
 * Trees from this size on (a folder of about 400 records) are written by
 * write_stored(), smaller ones by libgit2 (zlib level 1).  At 1,000
 * records level 1 costs 3.5 million instructions, a sixth of a change.
 */
#define STORED_MIN	(16 * 1024)

/*
 * Writes a tree as a loose object whose zlib stream holds stored blocks
 * (level 0), as git does with core.looseCompression=0.  At 10,000 records
 * compressing the 400 KB tree at libgit2's level 1 took 10 ms, more than
 * the rest of the change; stored, it takes 0.2 ms and 60% more disk until
 * git gc packs it.  libgit2's own loose backend cannot do this: at level 0
 * it writes no zlib stream at all, which nothing can read back.  zlib
 * itself writes the stream (Z_NO_COMPRESSION).
 */
static const struct dipb_error *
write_stored(git_oid *out, struct dipb_repo *r, const char *data, size_t len)
{
	const struct dipb_error *err = NULL;
	struct dipb_buf obj = DIPB_BUF_INIT, z = DIPB_BUF_INIT;
	char hex[GIT_OID_HEXSZ + 1], *dir = NULL, *tmp = NULL, *path = NULL;
	uLongf zlen;

	/*
	 * The object's id is the SHA-1 of header and data, computed here
	 * with the rest of the object: git_odb_hash's collision-detecting
	 * SHA-1 takes 33 instructions a byte, 13 million at 10,000 records,
	 * for bytes dipb built itself from ids already in the repository.
	 */
	dipb_buf_printf(&obj, "tree %zu", len);
	dipb_buf_putc(&obj, '\0');
	dipb_buf_put(&obj, data, len);
	sha1(out->id, obj.ptr, obj.len);
	if (git_odb_exists(r->odb, out)) {
		dipb_buf_release(&obj);
		return NULL;
	}

	zlen = compressBound(obj.len);
	dipb_buf_grow(&z, zlen);
	if (compress2((Bytef *)z.ptr, &zlen, (const Bytef *)obj.ptr, obj.len,
	    Z_NO_COMPRESSION) != Z_OK) {
		err = dipb_error_fmt(DIPB_ERR_INTERNAL, "zlib cannot store a "
		    "tree");
		goto done;
	}
	z.len = zlen;

	git_oid_tostr(hex, sizeof(hex), out);
	dir = xasprintf("%s%.2s", r->objdir, hex);
	path = xasprintf("%s/%s", dir, hex + 2);
	tmp = xasprintf("%s/tmp_obj_dipb_%ld", dir, (long)getpid());
	if (mkdir(dir, 0777) == -1 && errno != EEXIST)
		err = dipb_error_from_errno("%s", dir);
	else
		err = dipb_write_replace(path, tmp, z.ptr, z.len, 0444,
		    r->fsync ? 2 : 0);
done:
	free(dir);
	free(tmp);
	free(path);
	dipb_buf_release(&obj);
	dipb_buf_release(&z);
	return err;
}

/*
 * Writes the tree base (NULL: an empty one) with the n edits applied, each
 * putting a blob at a path below it; *out is the new tree's id.
 */
static const struct dipb_error *
edit_tree(git_oid *out, struct dipb_repo *r, const git_oid *base,
    struct tree_edit *edits, size_t n)
{
	const struct dipb_error *err = NULL;
	struct dipb_buf cur = DIPB_BUF_INIT, next = DIPB_BUF_INIT, tmp;
	struct tree_edit *sub = NULL;
	const char *slash, *data;
	size_t len;
	git_oid sub_id, sub_new;
	unsigned mode = 0;
	size_t i, k, m, clen;
	int have;

	if (base != NULL) {
		if ((err = raw_tree(&data, &len, r, base)) != NULL)
			return err;
		dipb_buf_put(&cur, data, len);
	}
	sub = xcalloc(n, sizeof(*sub));
	for (i = 0; i < n && err == NULL; i++) {
		if (edits[i].done)
			continue;
		if ((slash = strchr(edits[i].path, '/')) == NULL) {
			edits[i].done = 1;
			if (find_entry(dipb_buf_cstr(&cur), cur.len,
			    edits[i].path, strlen(edits[i].path), &mode,
			    &sub_id) && mode == GIT_FILEMODE_TREE) {
				err = dipb_error_fmt(DIPB_ERR_INTERNAL,
				    "a folder, not a file: '%s'", edits[i].path);
				break;
			}
			if (splice_entry(&next, dipb_buf_cstr(&cur), cur.len,
			    edits[i].path, strlen(edits[i].path),
			    (unsigned)edits[i].mode, edits[i].id) < 0)
				err = dipb_error_fmt(DIPB_ERR_CORRUPT,
				    "malformed tree");
		} else {
			/* Every edit below this folder, in one subtree. */
			clen = (size_t)(slash - edits[i].path);
			for (k = i, m = 0; k < n; k++) {
				if (edits[k].done ||
				    strncmp(edits[k].path, edits[i].path, clen) ||
				    edits[k].path[clen] != '/')
					continue;
				sub[m] = edits[k];
				sub[m].path += clen + 1;
				sub[m++].done = 0;
				edits[k].done = 1;
			}
			have = find_entry(dipb_buf_cstr(&cur), cur.len,
			    edits[i].path, clen, &mode, &sub_id);
			if (have && mode != GIT_FILEMODE_TREE) {
				err = dipb_error_fmt(DIPB_ERR_INTERNAL,
				    "not a folder: '%.*s'", (int)clen,
				    edits[i].path);
				break;
			}
			if ((err = edit_tree(&sub_new, r, have ? &sub_id :
			    NULL, sub, m)) != NULL)
				break;
			if (splice_entry(&next, dipb_buf_cstr(&cur), cur.len,
			    edits[i].path, clen, GIT_FILEMODE_TREE, &sub_new) < 0)
				err = dipb_error_fmt(DIPB_ERR_CORRUPT,
				    "malformed tree");
		}
		tmp = cur;
		cur = next;
		next = tmp;
	}
	if (err == NULL && cur.len >= STORED_MIN && r->objdir != NULL)
		err = write_stored(out, r, cur.ptr, cur.len);
	else if (err == NULL && git_odb_write(out, r->odb, dipb_buf_cstr(&cur),
	    cur.len, GIT_OBJECT_TREE) < 0)
		err = dipb_error_from_git("cannot write a tree");
	free(sub);
	dipb_buf_release(&cur);
	dipb_buf_release(&next);
	return err;
}

/*
 * Reads HEAD: the branch it names and that branch's tip.  A detached HEAD
 * is refused; an unborn branch is fine.
 */
static const struct dipb_error *
load_head(struct dipb_repo *r)
{
	const struct dipb_error *err = NULL;
	git_reference *head = NULL;
	git_commit *c = NULL;
	const char *target;
	char hex[GIT_OID_HEXSZ + 1];
	git_oid id;
	int rc;

	if (git_reference_lookup(&head, r->git, "HEAD") < 0)
		return dipb_error_from_git("cannot read HEAD");
	if (git_reference_type(head) != GIT_REFERENCE_SYMBOLIC) {
		err = dipb_error_fmt(DIPB_ERR_NO_REPO,
		    "HEAD is detached: check out a branch first");
		goto done;
	}
	target = git_reference_symbolic_target(head);
	if (strncmp(target, "refs/heads/", 11) != 0 || target[11] == '\0') {
		err = dipb_error_fmt(DIPB_ERR_NO_REPO,
		    "HEAD is not a branch: '%s'", target);
		goto done;
	}
	if (r->branch_ref == NULL || strcmp(r->branch_ref, target) != 0) {
		free(r->branch_ref);
		r->branch_ref = xstrdup(target);
	}
	rc = git_reference_name_to_id(&id, r->git, target);
	if (rc == GIT_ENOTFOUND) {
		git_error_clear();
		r->unborn = 1;
		memset(&r->tip, 0, sizeof(r->tip));
	} else if (rc < 0) {
		err = dipb_error_from_git("cannot read '%s'", target);
	} else if (r->unborn || !git_oid_equal(&id, &r->tip)) {
		if (git_commit_lookup(&c, r->git, &id) < 0) {
			err = dipb_error_fmt(DIPB_ERR_CORRUPT,
			    "branch tip is not a commit: '%s'",
			    git_oid_tostr(hex, sizeof(hex), &id));
			goto done;
		}
		git_oid_cpy(&r->root, git_commit_tree_id(c));
		git_commit_free(c);
		r->unborn = 0;
		git_oid_cpy(&r->tip, &id);
	}
done:
	git_reference_free(head);
	return err;
}

static int
has_board_file(struct dipb_repo *r)
{
	git_oid id;
	struct stat st;
	char *p;
	int found = 0, ok;

	dipb_error_free(tree_blob(&id, NULL, &found, r, DIPB_BOARD_FILE));
	if (found)
		return 1;
	p = xasprintf("%s%s", r->workdir, DIPB_BOARD_FILE);
	ok = lstat(p, &st) == 0 && S_ISREG(st.st_mode);
	free(p);
	return ok;
}

static void recover_left(struct dipb_repo *);

static const struct dipb_error *
open_git(struct dipb_repo **out, git_repository *git, const char *path,
    int need_board, int fsync_on, int from_env)
{
	const struct dipb_error *err = NULL;
	struct dipb_repo *r;
	const char *wd;

	r = xcalloc(1, sizeof(*r));
	r->git = git;
	r->lock_fd = -1;
	r->retries = DEFAULT_RETRIES;
	r->fsync = fsync_on;
	wd = git_repository_workdir(git);
	if (git_repository_is_bare(git) || wd == NULL) {
		err = dipb_error_fmt(DIPB_ERR_NO_REPO,
		    "not a board repository: '%s' is a bare repository",
		    path != NULL ? path : ".");
		goto done;
	}
	r->workdir = xstrdup(wd);
	r->gitdir = xstrdup(git_repository_path(git));
	if (git_repository_odb(&r->odb, git) < 0) {
		err = dipb_error_from_git("cannot open the object database");
		goto done;
	}
	/* GIT_OBJECT_DIRECTORY moves the objects: leave them to libgit2. */
	if (!from_env || getenv("GIT_OBJECT_DIRECTORY") == NULL)
		r->objdir = xasprintf("%sobjects/",
		    git_repository_commondir(git));
	/* As libgit2 opened it: GIT_INDEX_FILE counts only from the env. */
	if (from_env && getenv("GIT_INDEX_FILE") != NULL &&
	    getenv("GIT_INDEX_FILE")[0] != '\0')
		r->index_path = xstrdup(getenv("GIT_INDEX_FILE"));
	else
		r->index_path = xasprintf("%sindex", r->gitdir);
	if ((err = load_head(r)) != NULL)
		goto done;
	if (need_board && !has_board_file(r))
		err = dipb_error_fmt(DIPB_ERR_NO_REPO,
		    "not a board repository (no %s): '%s'", DIPB_BOARD_FILE,
		    r->workdir);
	if (err == NULL)
		recover_left(r);
done:
	if (err != NULL) {
		dipb_repo_close(r);	/* also shuts libgit2 down once */
		return err;
	}
	*out = r;
	return NULL;
}

const struct dipb_error *
dipb_repo_open(struct dipb_repo **out, const char *path, int need_board)
{
	const struct dipb_error *err;
	git_repository *git = NULL;
	int rc, fsync_on = 1;

	*out = NULL;
	if ((err = lib_init(&fsync_on)) != NULL)
		return err;
	/*
	 * Without a path, behave as git does (GIT_DIR, GIT_INDEX_FILE,
	 * GIT_CEILING_DIRECTORIES...); an explicit path is searched from.
	 */
	if (path == NULL)
		rc = git_repository_open_ext(&git, NULL,
		    GIT_REPOSITORY_OPEN_FROM_ENV, NULL);
	else
		rc = git_repository_open_ext(&git, path, 0, NULL);
	if (rc == GIT_ENOTFOUND) {
		git_error_clear();
		git_libgit2_shutdown();
		return dipb_error_fmt(DIPB_ERR_NO_REPO,
		    "not a git repository: '%s'", path != NULL ? path : ".");
	}
	if (rc < 0) {
		err = dipb_error_from_git("cannot open repository '%s'",
		    path != NULL ? path : ".");
		git_libgit2_shutdown();
		return err;
	}
	return open_git(out, git, path, need_board, fsync_on, path == NULL);
}

const struct dipb_error *
dipb_repo_init(struct dipb_repo **out, const char *dir)
{
	const struct dipb_error *err = NULL;
	git_repository_init_options opts;
	git_repository *git = NULL;
	git_oid id;
	int rc, fsync_on = 1, found = 0;

	*out = NULL;
	if ((err = lib_init(&fsync_on)) != NULL)
		return err;
	rc = git_repository_open_ext(&git, dir, GIT_REPOSITORY_OPEN_NO_SEARCH,
	    NULL);
	if (rc == GIT_ENOTFOUND) {
		git_error_clear();
		git_repository_init_options_init(&opts,
		    GIT_REPOSITORY_INIT_OPTIONS_VERSION);
		opts.flags = GIT_REPOSITORY_INIT_MKPATH;
		rc = git_repository_init_ext(&git, dir, &opts);
	}
	if (rc < 0) {
		err = dipb_error_from_git("cannot create repository '%s'",
		    dir);
		git_libgit2_shutdown();
		return err;
	}
	if ((err = open_git(out, git, dir, 0, fsync_on, 0)) != NULL)
		return err;
	err = tree_blob(&id, NULL, &found, *out, DIPB_BOARD_FILE);
	if (err == NULL && found)
		err = dipb_error_fmt(DIPB_ERR_EXISTS,
		    "already a board repository: '%s'", (*out)->workdir);
	if (err != NULL) {
		dipb_repo_close(*out);
		*out = NULL;
	}
	return err;
}

void
dipb_repo_close(struct dipb_repo *r)
{
	size_t i;

	if (r == NULL)
		return;
	dipb_repo_end(r);
	for (i = 0; i < RAWTREES; i++)
		free(r->rt[i].data);
	git_odb_free(r->odb);
	git_repository_free(r->git);
	free(r->workdir);
	free(r->gitdir);
	free(r->index_path);
	free(r->objdir);
	free(r->branch_ref);
	free(r);
	git_libgit2_shutdown();
}

git_repository *
dipb_repo_git(struct dipb_repo *r)
{
	return r->git;
}

const char *
dipb_repo_workdir(const struct dipb_repo *r)
{
	return r->workdir;
}

const char *
dipb_repo_branch(const struct dipb_repo *r)
{
	return r->branch_ref + strlen("refs/heads/");
}

int
dipb_repo_is_unborn(const struct dipb_repo *r)
{
	return r->unborn;
}

/* ---- identity ---------------------------------------------------- */

static int
days_in_month(int y, int m)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return mdays[m - 1] + (m == 2 && leap);
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Hinnant). */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
skip_space(const char **p)
{
	while (**p == ' ' || **p == '\t')
		(*p)++;
}

/* Reads exactly n digits. */
static int
read_digits(const char **p, int n, int *out)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return -1;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return 0;
}

/*
 * A time zone: "Z", "+hh", "+hhmm" or "+hh:mm" (or '-'), in minutes east
 * of UTC.  Returns 1 when one was read, 0 when there is none, -1 when it
 * is malformed.
 */
static int
read_tz(const char **p, int *off)
{
	const char *s = *p;
	int sign, hh, mm = 0;

	skip_space(&s);
	if (*s == 'Z' || *s == 'z') {
		*off = 0;
		*p = s + 1;
		return 1;
	}
	if (*s != '+' && *s != '-')
		return 0;
	sign = *s++ == '-' ? -1 : 1;
	if (read_digits(&s, 2, &hh) < 0)
		return -1;
	if (*s == ':')
		s++;
	if (isdigit((unsigned char)*s) && read_digits(&s, 2, &mm) < 0)
		return -1;
	if (hh > 23 || mm > 59)
		return -1;
	*off = sign * (hh * 60 + mm);
	*p = s;
	return 1;
}

/* "<secs> <tz>" or "@<secs> [<tz>]": git's internal format. */
static int
parse_raw_date(const char *s, int64_t *t, int *off)
{
	const char *p = s;
	int64_t v = 0;
	int at = 0, rc;

	if (*p == '@') {
		at = 1;
		p++;
	}
	if (!isdigit((unsigned char)*p))
		return -1;
	while (isdigit((unsigned char)*p)) {
		if (v > (INT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (*p++ - '0');
	}
	*off = 0;
	rc = read_tz(&p, off);
	if (rc < 0 || (rc == 0 && !at && *p != '\0'))
		return -1;
	skip_space(&p);
	if (*p != '\0')
		return -1;
	/* A bare number without "@" must be a plausible epoch, as git. */
	if (!at && rc == 0 && v < 100000000)
		return -1;
	*t = v;
	return 0;
}

static int
month_number(const char *s)
{
	static const char *const names[] = { "jan", "feb", "mar", "apr",
	    "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec" };
	int i;

	for (i = 0; i < 12; i++)
		if (strncasecmp(s, names[i], 3) == 0)
			return i + 1;
	return 0;
}

/* hh:mm[:ss[.frac]] */
static int
read_clock(const char **p, int *hh, int *mi, int *ss)
{
	if (read_digits(p, 2, hh) < 0 || **p != ':')
		return -1;
	(*p)++;
	if (read_digits(p, 2, mi) < 0)
		return -1;
	*ss = 0;
	if (**p == ':') {
		(*p)++;
		if (read_digits(p, 2, ss) < 0)
			return -1;
		if (**p == '.' || **p == ',') {
			(*p)++;
			while (isdigit((unsigned char)**p))
				(*p)++;
		}
	}
	return *hh > 23 || *mi > 59 || *ss > 60 ? -1 : 0;
}

/*
 * Turns a civil date and time into seconds since the epoch: in the time
 * zone read (have_tz), else in the local time zone.
 */
static int
civil_to_epoch(int y, int mo, int d, int hh, int mi, int ss, int have_tz,
    int tz, int64_t *t, int *off)
{
	struct tm tm, lt;
	time_t tt;

	if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo))
		return -1;
	if (have_tz) {
		*t = days_from_civil(y, mo, d) * 86400 + hh * 3600 + mi * 60 +
		    ss - (int64_t)tz * 60;
		*off = tz;
		return 0;
	}
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = hh;
	tm.tm_min = mi;
	tm.tm_sec = ss;
	tm.tm_isdst = -1;
	if ((tt = mktime(&tm)) == (time_t)-1 || localtime_r(&tt, &lt) == NULL)
		return -1;
	*t = (int64_t)tt;
	*off = (int)(lt.tm_gmtoff / 60);
	return 0;
}

/* ISO 8601: "YYYY-MM-DD[T ]hh:mm[:ss][.frac][ ][tz]". */
static int
parse_iso_date(const char *s, int64_t *t, int *off)
{
	const char *p = s;
	int y, mo, d, hh, mi, ss, tz = 0, rc;

	if (read_digits(&p, 4, &y) < 0 || *p++ != '-' ||
	    read_digits(&p, 2, &mo) < 0 || *p++ != '-' ||
	    read_digits(&p, 2, &d) < 0)
		return -1;
	if (*p != 'T' && *p != 't' && *p != ' ')
		return -1;
	p++;
	if (read_clock(&p, &hh, &mi, &ss) < 0)
		return -1;
	if ((rc = read_tz(&p, &tz)) < 0)
		return -1;
	skip_space(&p);
	if (*p != '\0')
		return -1;
	return civil_to_epoch(y, mo, d, hh, mi, ss, rc, tz, t, off);
}

/* RFC 2822: "[Thu, ]10 Apr 2026 10:00[:00] +0200". */
static int
parse_rfc2822_date(const char *s, int64_t *t, int *off)
{
	const char *p = s;
	int y, mo, d, hh, mi, ss, tz = 0, rc, n;

	skip_space(&p);
	if (isalpha((unsigned char)*p)) {
		while (isalpha((unsigned char)*p))
			p++;
		if (*p == ',')
			p++;
		skip_space(&p);
	}
	for (d = 0, n = 0; isdigit((unsigned char)*p) && n < 2; n++)
		d = d * 10 + (*p++ - '0');
	if (n == 0)
		return -1;
	skip_space(&p);
	if ((mo = month_number(p)) == 0)
		return -1;
	while (isalpha((unsigned char)*p))
		p++;
	skip_space(&p);
	if (read_digits(&p, 4, &y) < 0)
		return -1;
	skip_space(&p);
	if (read_clock(&p, &hh, &mi, &ss) < 0)
		return -1;
	if ((rc = read_tz(&p, &tz)) < 0)
		return -1;
	skip_space(&p);
	if (*p != '\0')
		return -1;
	return civil_to_epoch(y, mo, d, hh, mi, ss, rc, tz, t, off);
}

static int
parse_git_date(const char *s, int64_t *t, int *off)
{
	while (*s == ' ' || *s == '\t')
		s++;
	if (parse_raw_date(s, t, off) == 0 || parse_iso_date(s, t, off) == 0 ||
	    parse_rfc2822_date(s, t, off) == 0)
		return 0;
	return -1;
}

/* The first non-empty of the environment variables, or NULL. */
static const char *
env_first(const char *a, const char *b)
{
	const char *v;

	if ((v = getenv(a)) != NULL && v[0] != '\0')
		return v;
	if (b != NULL && (v = getenv(b)) != NULL && v[0] != '\0')
		return v;
	return NULL;
}

static char *
config_string(git_config *cfg, const char *key)
{
	const char *v = NULL;

	if (cfg == NULL || git_config_get_string(&v, cfg, key) < 0) {
		git_error_clear();
		return NULL;
	}
	return v[0] != '\0' ? xstrdup(v) : NULL;
}

const struct dipb_error *
dipb_repo_identity(struct dipb_identity *out, struct dipb_repo *r)
{
	const struct dipb_error *err = NULL;
	git_config *cfg = NULL;
	const char *v, *var;
	struct tm lt;
	time_t now;

	memset(out, 0, sizeof(*out));
	if (git_repository_config_snapshot(&cfg, r->git) < 0) {
		git_error_clear();
		cfg = NULL;
	}
	if ((v = env_first("GIT_AUTHOR_NAME", "GIT_COMMITTER_NAME")) != NULL)
		out->name = xstrdup(v);
	else
		out->name = config_string(cfg, "user.name");
	if ((v = env_first("GIT_AUTHOR_EMAIL", "GIT_COMMITTER_EMAIL")) != NULL)
		out->email = xstrdup(v);
	else if ((out->email = config_string(cfg, "user.email")) == NULL &&
	    (v = env_first("EMAIL", NULL)) != NULL)
		out->email = xstrdup(v);
	git_config_free(cfg);
	if (out->email == NULL) {
		err = dipb_error_fmt(DIPB_ERR_IDENTITY, "no identity: set "
		    "user.email (git config user.email you@example.org) or "
		    "GIT_AUTHOR_EMAIL");
		goto done;
	}

	var = getenv("GIT_COMMITTER_DATE") != NULL &&
	    getenv("GIT_COMMITTER_DATE")[0] != '\0' ? "GIT_COMMITTER_DATE" :
	    "GIT_AUTHOR_DATE";
	if ((v = env_first(var, NULL)) != NULL) {
		if (parse_git_date(v, &out->time, &out->offset) < 0)
			err = dipb_error_fmt(DIPB_ERR_USAGE,
			    "invalid date in %s: '%s'", var, v);
		goto done;
	}
	now = time(NULL);
	out->time = (int64_t)now;
	out->offset = localtime_r(&now, &lt) != NULL ?
	    (int)(lt.tm_gmtoff / 60) : 0;
done:
	if (err != NULL)
		dipb_identity_release(out);
	return err;
}

void
dipb_identity_release(struct dipb_identity *id)
{
	if (id == NULL)
		return;
	free(id->name);
	free(id->email);
	id->name = id->email = NULL;
}

void
dipb_identity_date(const struct dipb_identity *id, char out[11])
{
	int64_t days = (id->time + (int64_t)id->offset * 60);
	int64_t z, era, doe, yoe, y, doy, mp, d, m;

	/* Civil date from days since the epoch (Hinnant), no time_t limits. */
	days = days >= 0 ? days / 86400 : -((-days + 86399) / 86400);
	z = days + 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	y += m <= 2;
	if (y < 0 || y > 9999)
		y = y < 0 ? 0 : 9999;
	snprintf(out, 11, "%04d-%02d-%02d", (int)y, (int)m, (int)d);
}

/* ---- reads ------------------------------------------------------- */

const struct dipb_error *
dipb_repo_read(struct dipb_buf *out, int *found, struct dipb_repo *r,
    const char *path, size_t max)
{
	const struct dipb_error *err;
	git_blob *blob = NULL;
	git_object_t type;
	git_oid id;
	size_t len;
	int have;

	dipb_buf_clear(out);
	*found = 0;
	if ((err = tree_blob(&id, NULL, &have, r, path)) != NULL)
		return err;
	if (!have)
		return NULL;
	if (max > 0) {
		/* The header alone, so a huge blob is never inflated. */
		if (git_odb_read_header(&len, &type, r->odb, &id) < 0)
			return dipb_error_from_git("cannot read '%s'", path);
		if (len > max)
			return dipb_error_fmt(DIPB_ERR_TOO_LARGE,
			    "%s: file larger than %zu bytes", path, max);
	}
	if (git_blob_lookup(&blob, r->git, &id) < 0)
		return dipb_error_from_git("cannot read '%s'", path);
	dipb_buf_put(out, git_blob_rawcontent(blob),
	    (size_t)git_blob_rawsize(blob));
	git_blob_free(blob);
	*found = 1;
	return NULL;
}

/*
 * A copy of the tip's recommendations/ tree, raw (empty when there is
 * none): callers may read other trees while they walk it.
 */
static const struct dipb_error *
records_tree(struct dipb_buf *out, struct dipb_repo *r)
{
	const struct dipb_error *err;
	const char *data;
	git_oid id;
	unsigned mode;
	size_t len;
	int found;

	dipb_buf_clear(out);
	if ((err = tree_entry(&id, &mode, &found, r, tip_root(r),
	    DIPB_RECORD_DIR)) != NULL || !found || mode != GIT_FILEMODE_TREE)
		return err;
	if ((err = raw_tree(&data, &len, r, &id)) != NULL)
		return err;
	dipb_buf_put(out, data, len);
	return NULL;
}

const struct dipb_error *
dipb_repo_each_record(struct dipb_repo *r, dipb_repo_blob_fn fn, void *arg)
{
	const struct dipb_error *err;
	struct dipb_buf tree = DIPB_BUF_INIT, path = DIPB_BUF_INIT;
	struct raw_entry e;
	const char *p, *end;
	git_odb_object *obj;
	git_oid id;

	if ((err = records_tree(&tree, r)) != NULL)
		goto done;
	p = dipb_buf_cstr(&tree);
	end = p + tree.len;
	/* Tree order is byte order for blobs, which is all we keep. */
	while (p < end && err == NULL) {
		if (raw_next(&e, &p, end) < 0) {
			err = dipb_error_fmt(DIPB_ERR_CORRUPT,
			    "malformed tree: '%s'", DIPB_RECORD_DIR);
			break;
		}
		if ((e.mode != GIT_FILEMODE_BLOB &&
		    e.mode != GIT_FILEMODE_BLOB_EXECUTABLE) || e.nlen <= 5 ||
		    memcmp(e.name + e.nlen - 5, ".yaml", 5) != 0)
			continue;
		dipb_buf_clear(&path);
		dipb_buf_printf(&path, "%s/%.*s", DIPB_RECORD_DIR, (int)e.nlen,
		    e.name);
		git_oid_fromraw(&id, e.id);
		if (git_odb_read(&obj, r->odb, &id) < 0) {
			err = dipb_error_from_git("cannot read '%s'",
			    dipb_buf_cstr(&path));
			break;
		}
		err = fn(dipb_buf_cstr(&path), git_odb_object_data(obj),
		    git_odb_object_size(obj), arg);
		git_odb_object_free(obj);
	}
done:
	dipb_buf_release(&path);
	dipb_buf_release(&tree);
	return err;
}

static int
prefix_valid(const char *p)
{
	size_t i;

	if (p == NULL || !(p[0] >= 'A' && p[0] <= 'Z'))
		return 0;
	for (i = 1; p[i] != '\0'; i++)
		if (i >= 8 || !((p[i] >= 'A' && p[i] <= 'Z') ||
		    (p[i] >= '0' && p[i] <= '9')))
			return 0;
	return 1;
}

const struct dipb_error *
dipb_repo_next_id(char **out, struct dipb_repo *r, const char *prefix)
{
	const struct dipb_error *err;
	struct dipb_buf tree = DIPB_BUF_INIT;
	struct raw_entry e;
	char id[DIPB_MAX_ID + 1], p[9], *ref;
	const char *rp, *end;
	unsigned long num, max = 0;
	size_t plen, nlen;
	git_oid oid;
	int rc;

	*out = NULL;
	if (!prefix_valid(prefix))
		return dipb_error_fmt(DIPB_ERR_BAD_ID,
		    "not a record id prefix: '%s'", prefix);
	plen = strlen(prefix);
	if ((err = records_tree(&tree, r)) != NULL)
		return err;
	rp = dipb_buf_cstr(&tree);
	end = rp + tree.len;
	while (rp < end && raw_next(&e, &rp, end) == 0) {
		if (e.nlen <= plen + 5 || e.nlen - 5 > DIPB_MAX_ID ||
		    memcmp(e.name, prefix, plen) != 0 || e.name[plen] != '-' ||
		    memcmp(e.name + e.nlen - 5, ".yaml", 5) != 0)
			continue;
		nlen = e.nlen - 5;
		memcpy(id, e.name, nlen);
		id[nlen] = '\0';
		if (dipb_id_split(id, p, &num) == 0 && strcmp(p, prefix) == 0 &&
		    num > max)
			max = num;
	}
	dipb_buf_release(&tree);

	/*
	 * Every record's first tag is <ID>/1-drafted: probe the ids after the
	 * highest file, so a deleted or withdrawn id is never reused.  Name
	 * lookups read packed refs too.
	 */
	for (;;) {
		if (max == ULONG_MAX)
			return dipb_error_fmt(DIPB_ERR_INTERNAL,
			    "record numbers of %s exhausted", prefix);
		ref = xasprintf("refs/tags/%s-%04lu/1-drafted", prefix,
		    max + 1);
		rc = git_reference_name_to_id(&oid, r->git, ref);
		free(ref);
		if (rc == GIT_ENOTFOUND) {
			git_error_clear();
			break;
		}
		if (rc < 0)
			return dipb_error_from_git("cannot read tags");
		max++;
	}
	*out = xasprintf("%s-%04lu", prefix, max + 1);
	return NULL;
}

/* ---- the index ----------------------------------------------------- */

/*
 * libgit2 parses and hashes every entry of the index to look at one, and
 * serialises them all again to change one: at 10,000 records that is
 * most of a state change.  For the index git writes by default (versions
 * 2 and 3, no split or sparse index) dipb reads the file as bytes, finds
 * the entry by a scan, and writes the file back with that entry changed,
 * under index.lock as git does.  Any other index goes through libgit2.
 */
#define IDX_HDR		12
#define IDX_FIXED	62	/* ten 32-bit stat fields, id, flags */
#define IDX_EXTENDED	0x4000
#define IDX_NAMEMASK	0x0fff
#define IDX_TRAILER	20

/* One index entry's stat data and id (both kinds of index). */
struct ientry {
	uint32_t	ctime_s, ctime_ns, mtime_s, mtime_ns;
	uint32_t	dev, ino, mode, uid, gid, size;
	git_oid		id;
};

struct rawindex {
	struct dipb_buf	 b;
	unsigned	 version;
	uint32_t	 count;
	size_t		 ents_end;	/* where the extensions start */
	struct stat	 st;		/* of the file read */
};

static uint32_t
get32(const char *p)
{
	const unsigned char *u = (const unsigned char *)p;

	return (uint32_t)u[0] << 24 | (uint32_t)u[1] << 16 |
	    (uint32_t)u[2] << 8 | u[3];
}

static void
put32(char *p, uint32_t v)
{
	p[0] = (char)(v >> 24);
	p[1] = (char)(v >> 16);
	p[2] = (char)(v >> 8);
	p[3] = (char)v;
}

static unsigned
get16(const char *p)
{
	const unsigned char *u = (const unsigned char *)p;

	return (unsigned)u[0] << 8 | u[1];
}

/* The size of the entry at off (its name in *name, *nlen); 0: malformed. */
static size_t
raw_ientry(const struct rawindex *ix, size_t off, const char **name,
    size_t *nlen)
{
	const char *p = ix->b.ptr + off;
	size_t avail = ix->b.len - IDX_TRAILER - off, fixed = IDX_FIXED, n;
	unsigned flags;

	if (off > ix->b.len - IDX_TRAILER || avail < IDX_FIXED + 1)
		return 0;
	flags = get16(p + 60);
	if (flags & IDX_EXTENDED) {
		if (ix->version < 3)
			return 0;
		fixed += 2;
	}
	if (avail <= fixed)
		return 0;
	n = flags & IDX_NAMEMASK;
	if (n == IDX_NAMEMASK) {
		n = strnlen(p + fixed, avail - fixed);
		if (n == avail - fixed)
			return 0;
	}
	if (fixed + n >= avail || p[fixed + n] != '\0' ||
	    ((fixed + n + 8) & ~(size_t)7) > avail)
		return 0;
	*name = p + fixed;
	*nlen = n;
	return (fixed + n + 8) & ~(size_t)7;
}

static void
raw_ientry_get(struct ientry *e, const char *p)
{
	e->ctime_s = get32(p);
	e->ctime_ns = get32(p + 4);
	e->mtime_s = get32(p + 8);
	e->mtime_ns = get32(p + 12);
	e->dev = get32(p + 16);
	e->ino = get32(p + 20);
	e->mode = get32(p + 24);
	e->uid = get32(p + 28);
	e->gid = get32(p + 32);
	e->size = get32(p + 36);
	git_oid_fromraw(&e->id, (const unsigned char *)p + 40);
}

static void
raw_ientry_put(char *p, const struct ientry *e)
{
	put32(p, e->ctime_s);
	put32(p + 4, e->ctime_ns);
	put32(p + 8, e->mtime_s);
	put32(p + 12, e->mtime_ns);
	put32(p + 16, e->dev);
	put32(p + 20, e->ino);
	put32(p + 24, e->mode);
	put32(p + 28, e->uid);
	put32(p + 32, e->gid);
	put32(p + 36, e->size);
	memcpy(p + 40, e->id.id, GIT_OID_RAWSZ);
}

static void
ientry_from_stat(struct ientry *e, const struct stat *st, unsigned mode,
    const git_oid *id)
{
	memset(e, 0, sizeof(*e));
	if (st != NULL) {
		e->ctime_s = (uint32_t)st->st_ctim.tv_sec;
		e->ctime_ns = (uint32_t)st->st_ctim.tv_nsec;
		e->mtime_s = (uint32_t)st->st_mtim.tv_sec;
		e->mtime_ns = (uint32_t)st->st_mtim.tv_nsec;
		e->dev = (uint32_t)st->st_dev;
		e->ino = (uint32_t)st->st_ino;
		e->uid = (uint32_t)st->st_uid;
		e->gid = (uint32_t)st->st_gid;
		e->size = (uint32_t)st->st_size;
	}
	e->mode = mode;
	git_oid_cpy(&e->id, id);
}

/* Path order of the index: bytes, then length. */
static int
ipath_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	int c = memcmp(a, b, alen < blen ? alen : blen);

	if (c != 0)
		return c;
	return (alen > blen) - (alen < blen);
}

/*
 * Reads the index file at path into ix.  *ok is 1 when dipb handles this
 * index itself, 0 when libgit2 must (no index yet, version 4, split or
 * sparse index, anything unexpected).
 */
static const struct dipb_error *
rawindex_load(struct rawindex *ix, int *ok, const char *path)
{
	const struct dipb_error *err;
	const char *name = NULL, *p;
	size_t off, sz, nlen = 0;
	uint32_t i, esz;

	*ok = 0;
	memset(&ix->st, 0, sizeof(ix->st));
	if (stat(path, &ix->st) == -1) {
		if (errno == ENOENT)
			return NULL;
		return dipb_error_from_errno("%s", path);
	}
	if ((err = dipb_read_file(&ix->b, path, 0)) != NULL)
		return err;
	if (ix->b.len < IDX_HDR + IDX_TRAILER ||
	    memcmp(ix->b.ptr, "DIRC", 4) != 0)
		return NULL;
	ix->version = get32(ix->b.ptr + 4);
	ix->count = get32(ix->b.ptr + 8);
	if (ix->version != 2 && ix->version != 3)
		return NULL;
	for (i = 0, off = IDX_HDR; i < ix->count; i++, off += sz)
		if ((sz = raw_ientry(ix, off, &name, &nlen)) == 0)
			return NULL;
	ix->ents_end = off;
	while (off < ix->b.len - IDX_TRAILER) {
		if (ix->b.len - IDX_TRAILER - off < 8)
			return NULL;
		p = ix->b.ptr + off;
		esz = get32(p + 4);
		/* Lower case: an extension git requires ("link", "sdir"). */
		if (p[0] < 'A' || p[0] > 'Z' ||
		    esz > ix->b.len - IDX_TRAILER - off - 8)
			return NULL;
		off += 8 + (size_t)esz;
	}
	*ok = 1;
	return NULL;
}

/*
 * Finds path's stage-0 entry: *at its offset and *found 1, or *at where it
 * would go.  *conflict is set when the path has conflict stages.
 */
static void
rawindex_find(const struct rawindex *ix, const char *path, size_t *at,
    int *found, int *conflict)
{
	const char *name = NULL;
	size_t off, sz, nlen = 0, plen = strlen(path);
	uint32_t i;
	int c;

	*found = *conflict = 0;
	*at = ix->ents_end;
	for (i = 0, off = IDX_HDR; i < ix->count; i++, off += sz) {
		sz = raw_ientry(ix, off, &name, &nlen);
		c = ipath_cmp(name, nlen, path, plen);
		if (c < 0)
			continue;
		if (c > 0) {
			if (!*found)
				*at = off;
			return;
		}
		if (((get16(ix->b.ptr + off + 60) >> 12) & 3) == 0) {
			*found = 1;
			*at = off;
		} else
			*conflict = 1;
	}
}

/*
 * Copies one node of the TREE (cache-tree) extension and its subtrees,
 * invalidating every node on the way to one of paths (relative to the
 * node), so git rebuilds those and keeps the rest.  -1: malformed.
 */
static int
cache_tree_copy(struct dipb_buf *out, const char **p, const char *end,
    const char *const *paths, size_t npaths)
{
	const char *s = *p, *nul, *lf, *name, *rest;
	const char **sub;
	char *num;
	long count, nsub, k;
	size_t i, m, nlen, len;
	int rc = 0;

	if ((nul = memchr(s, '\0', (size_t)(end - s))) == NULL ||
	    (lf = memchr(nul, '\n', (size_t)(end - nul))) == NULL)
		return -1;
	errno = 0;
	count = strtol(nul + 1, &num, 10);
	if (num == nul + 1 || *num != ' ')
		return -1;
	nsub = strtol(num + 1, &num, 10);
	if (errno != 0 || num != lf || nsub < 0)
		return -1;
	s = lf + 1;
	if (count >= 0) {
		if ((size_t)(end - s) < GIT_OID_RAWSZ)
			return -1;
		s += GIT_OID_RAWSZ;
	}
	if (npaths > 0) {
		dipb_buf_put(out, *p, (size_t)(nul - *p) + 1);
		dipb_buf_printf(out, "-1 %ld\n", nsub);
	} else
		dipb_buf_put(out, *p, (size_t)(s - *p));
	sub = xcalloc(npaths + 1, sizeof(*sub));
	for (k = 0; k < nsub && rc == 0; k++) {
		/* The subtree's name is its first field. */
		name = s;
		if ((nul = memchr(s, '\0', (size_t)(end - s))) == NULL) {
			rc = -1;
			break;
		}
		nlen = (size_t)(nul - name);
		for (i = 0, m = 0; i < npaths; i++) {
			if ((rest = strchr(paths[i], '/')) == NULL)
				continue;
			len = (size_t)(rest - paths[i]);
			if (len == nlen && memcmp(paths[i], name, len) == 0)
				sub[m++] = rest + 1;
		}
		rc = cache_tree_copy(out, &s, end, sub, m);
	}
	free(sub);
	*p = s;
	return rc;
}

/*
 * Writes ix to path with each of the n entries set (struct ientry and the
 * path), taking index.lock first as git does.  The extensions that hold
 * entry positions or whole-index state are dropped (git rebuilds them);
 * the cache tree is kept with the changed paths' folders invalidated.
 */
struct iupdate {
	const char	*path;
	struct ientry	 e;
};

static void
rawindex_apply(struct rawindex *ix, const struct iupdate *u)
{
	struct dipb_buf nb = DIPB_BUF_INIT;
	size_t at, plen = strlen(u->path), sz;
	unsigned flags;
	int found, conflict;

	rawindex_find(ix, u->path, &at, &found, &conflict);
	if (conflict)
		return;		/* the user's merge: not ours to resolve */
	if (found) {
		raw_ientry_put(ix->b.ptr + at, &u->e);
		return;
	}
	sz = (IDX_FIXED + plen + 8) & ~(size_t)7;
	dipb_buf_grow(&nb, ix->b.len + sz);
	dipb_buf_put(&nb, ix->b.ptr, at);
	dipb_buf_grow(&nb, sz);
	memset(nb.ptr + nb.len, 0, sz);
	raw_ientry_put(nb.ptr + nb.len, &u->e);
	flags = plen < IDX_NAMEMASK ? (unsigned)plen : IDX_NAMEMASK;
	nb.ptr[nb.len + 60] = (char)(flags >> 8);
	nb.ptr[nb.len + 61] = (char)flags;
	memcpy(nb.ptr + nb.len + IDX_FIXED, u->path, plen);
	nb.len += sz;
	dipb_buf_put(&nb, ix->b.ptr + at, ix->b.len - at);
	dipb_buf_release(&ix->b);
	ix->b = nb;
	ix->count++;
	put32(ix->b.ptr + 8, ix->count);
	ix->ents_end += sz;
}

/*
 * Git's racy-clean rule: an entry whose file changed in the same instant
 * the index was written looks clean by its stat data.  Git smudges such
 * entries (size 0, so their content is compared) when it rewrites the
 * index; so does dipb, for every entry it did not just write.
 */
static void
rawindex_smudge(struct rawindex *ix, const struct iupdate *u, size_t n)
{
	const char *name = NULL;
	char *p;
	size_t off, sz, nlen = 0, k;
	uint32_t i, ms, mns;
	uint32_t is = (uint32_t)ix->st.st_mtim.tv_sec;
	uint32_t ins = (uint32_t)ix->st.st_mtim.tv_nsec;

	for (i = 0, off = IDX_HDR; i < ix->count; i++, off += sz) {
		sz = raw_ientry(ix, off, &name, &nlen);
		p = ix->b.ptr + off;
		ms = get32(p + 8);
		mns = get32(p + 12);
		if (ms < is || (ms == is && mns < ins) || get32(p + 36) == 0 ||
		    (get32(p + 24) & 0170000) == 0160000)
			continue;
		for (k = 0; k < n; k++)
			if (strlen(u[k].path) == nlen &&
			    memcmp(u[k].path, name, nlen) == 0)
				break;
		if (k == n)
			put32(p + 36, 0);
	}
}

static const struct dipb_error *
rawindex_finish(struct dipb_buf *out, const struct rawindex *ix,
    const struct iupdate *u, size_t n)
{
	const char **paths = xcalloc(n + 1, sizeof(*paths));
	const char *p, *q, *end;
	unsigned char sum[IDX_TRAILER];
	size_t off, mark, k;
	uint32_t esz;

	for (k = 0; k < n; k++)
		paths[k] = u[k].path;
	dipb_buf_clear(out);
	dipb_buf_grow(out, ix->b.len + 64);
	dipb_buf_put(out, ix->b.ptr, ix->ents_end);
	for (off = ix->ents_end; off < ix->b.len - IDX_TRAILER;
	    off += 8 + (size_t)esz) {
		p = ix->b.ptr + off;
		esz = get32(p + 4);
		if (memcmp(p, "REUC", 4) == 0)
			dipb_buf_put(out, p, 8 + (size_t)esz);
		else if (memcmp(p, "TREE", 4) == 0) {
			mark = out->len;
			dipb_buf_put(out, p, 8);
			q = p + 8;
			end = q + esz;
			while (q < end)
				if (cache_tree_copy(out, &q, end, paths, n) < 0)
					break;
			if (q != end)		/* unreadable: drop it */
				out->len = mark;
			else
				put32(out->ptr + mark + 4,
				    (uint32_t)(out->len - mark - 8));
		}
		/* UNTR, FSMN, EOIE, IEOT and the unknown: dropped. */
	}
	free(paths);
	sha1(sum, out->ptr, out->len);
	dipb_buf_put(out, (const char *)sum, sizeof(sum));
	return NULL;
}

/* ---- the working tree and the index --------------------------------- */

static const struct dipb_error *
open_index(git_index **out, struct dipb_repo *r)
{
	*out = NULL;
	if (git_repository_index(out, r->git) < 0)
		return dipb_error_from_git("cannot open the index");
	/* Re-read only if another process rewrote it. */
	if (git_index_read(*out, 0) < 0) {
		git_index_free(*out);
		*out = NULL;
		return dipb_error_from_git("cannot read the index");
	}
	return NULL;
}

/*
 * path's entry in the index: *found, *conflict, and in *e its stat data
 * and id; *ist is the index file's own stat (its mtime is the racy limit).
 */
static const struct dipb_error *
index_lookup(struct dipb_repo *r, const char *path, int *found,
    int *conflict, struct ientry *e, struct stat *ist)
{
	const struct dipb_error *err;
	const git_index_entry *ge;
	struct rawindex ix;
	git_index *idx = NULL;
	size_t at;
	int ok, stage;

	memset(&ix, 0, sizeof(ix));
	*found = *conflict = 0;
	if ((err = rawindex_load(&ix, &ok, r->index_path)) == NULL && ok) {
		rawindex_find(&ix, path, &at, found, conflict);
		if (*found)
			raw_ientry_get(e, ix.b.ptr + at);
		*ist = ix.st;
	}
	dipb_buf_release(&ix.b);
	if (err != NULL || ok)
		return err;

	if ((err = open_index(&idx, r)) != NULL)
		return err;
	if ((ge = git_index_get_bypath(idx, path, 0)) != NULL) {
		*found = 1;
		e->ctime_s = (uint32_t)ge->ctime.seconds;
		e->ctime_ns = ge->ctime.nanoseconds;
		e->mtime_s = (uint32_t)ge->mtime.seconds;
		e->mtime_ns = ge->mtime.nanoseconds;
		e->dev = ge->dev;
		e->ino = ge->ino;
		e->mode = ge->mode;
		e->uid = ge->uid;
		e->gid = ge->gid;
		e->size = ge->file_size;
		git_oid_cpy(&e->id, &ge->id);
	}
	for (stage = 1; stage <= 3; stage++)
		if (git_index_get_bypath(idx, path, stage) != NULL)
			*conflict = 1;
	if (git_index_path(idx) == NULL || stat(git_index_path(idx), ist) == -1)
		memset(ist, 0, sizeof(*ist));
	git_index_free(idx);
	return NULL;
}

/*
 * 1 when the index entry's stat data still describe the file, as git's
 * "stat clean", and the file is older than the index (else it is racy and
 * only its content can tell).
 */
static int
stat_clean(const struct ientry *e, const struct stat *st,
    const struct stat *ist)
{
	if ((uint32_t)st->st_size != e->size ||
	    (uint32_t)st->st_mtim.tv_sec != e->mtime_s ||
	    (uint32_t)st->st_mtim.tv_nsec != e->mtime_ns ||
	    (uint32_t)st->st_ctim.tv_sec != e->ctime_s ||
	    (uint32_t)st->st_ctim.tv_nsec != e->ctime_ns ||
	    (uint32_t)st->st_ino != e->ino)
		return 0;
	return st->st_mtim.tv_sec < ist->st_mtim.tv_sec ||
	    (st->st_mtim.tv_sec == ist->st_mtim.tv_sec &&
	    st->st_mtim.tv_nsec < ist->st_mtim.tv_nsec);
}

static const struct dipb_error *
hash_worktree(git_oid *out, struct dipb_repo *r, const char *path)
{
	char *full = xasprintf("%s%s", r->workdir, path);
	int rc;

	/* With the repository's filters (eol), as git status compares. */
	rc = git_repository_hashfile(out, r->git, full, GIT_OBJECT_BLOB,
	    path);
	free(full);
	if (rc < 0)
		return dipb_error_from_git("cannot hash '%s'", path);
	return NULL;
}

const struct dipb_error *
dipb_repo_path_dirty(int *dirty, struct dipb_repo *r, const char *path)
{
	const struct dipb_error *err;
	struct ientry e;
	git_oid tip, wt;
	struct stat st, ist;
	char *full = NULL;
	int have_tip, found, conflict;

	*dirty = 1;
	if ((err = tree_blob(&tip, NULL, &have_tip, r, path)) != NULL ||
	    (err = index_lookup(r, path, &found, &conflict, &e, &ist)) != NULL)
		return err;
	if (conflict || found != have_tip || (found &&
	    !git_oid_equal(&e.id, &tip)))
		return NULL;			/* staged, or a conflict */

	full = xasprintf("%s%s", r->workdir, path);
	if (lstat(full, &st) == -1) {
		if (errno != ENOENT && errno != ENOTDIR)
			err = dipb_error_from_errno("%s", full);
		else
			*dirty = found;		/* deleted, or absent everywhere */
		goto done;
	}
	if (!S_ISREG(st.st_mode) || !found)
		goto done;			/* untracked or not a file */
	if (stat_clean(&e, &st, &ist)) {
		*dirty = 0;
		goto done;
	}
	if ((err = hash_worktree(&wt, r, path)) == NULL)
		*dirty = !git_oid_equal(&wt, &e.id);
done:
	free(full);
	return err;
}

/* ---- the lock ---------------------------------------------------- */

static void
sleep_ns(long ns)
{
	struct timespec ts;

	ts.tv_sec = ns / 1000000000L;
	ts.tv_nsec = ns % 1000000000L;
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/* Exponential backoff with jitter: a delay in [d/2, d]. */
static long
jitter(long d, unsigned *seed)
{
	return d / 2 + (long)(rand_r(seed) % (unsigned)(d / 2 + 1));
}

static const struct dipb_error *recover(struct dipb_repo *);
static char *journal_path(const struct dipb_repo *);

const struct dipb_error *
dipb_repo_begin(struct dipb_repo *r)
{
	const struct dipb_error *err;
	struct timespec now;
	unsigned seed;
	char *path;
	long delay = BACKOFF_MIN_NS;
	int fd, i;

	if (r->lock_fd >= 0)
		return NULL;
	path = xasprintf("%s%s", r->gitdir, LOCK_FILE);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
	if (fd == -1) {
		err = dipb_error_from_errno("%s", path);
		free(path);
		return err;
	}
	clock_gettime(CLOCK_MONOTONIC, &now);
	seed = (unsigned)getpid() ^ (unsigned)now.tv_nsec;
	/*
	 * flock, not a lock file: the kernel drops the lock when its holder
	 * dies, so a killed dipb never blocks the repository.
	 */
	for (i = 0;; ) {
		if (flock(fd, LOCK_EX | LOCK_NB) == 0)
			break;
		if (errno == EINTR)
			continue;
		if (errno != EWOULDBLOCK) {
			err = dipb_error_from_errno("%s", path);
			goto fail;
		}
		if (i++ >= r->retries) {
			err = dipb_error(DIPB_ERR_BUSY);
			goto fail;
		}
		sleep_ns(jitter(delay, &seed));
		delay = delay * 2 > BACKOFF_MAX_NS ? BACKOFF_MAX_NS : delay * 2;
	}
	free(path);
	r->lock_fd = fd;
	if ((err = recover(r)) == NULL)
		err = load_head(r);
	if (err != NULL)
		dipb_repo_end(r);
	return err;
fail:
	close(fd);
	free(path);
	return err;
}

/*
 * The next dipb command completes or discards a change that a killed dipb
 * left, reading commands too: when a journal is left and the lock can be
 * taken at once, its holder is dead (flock locks die with their process),
 * so the change is recovered now.  A live writer holds the lock and
 * finishes its own change; a read-only git dir is left as it is.
 */
static void
recover_left(struct dipb_repo *r)
{
	const struct dipb_error *err;
	char *path = journal_path(r);
	int fd, left = access(path, F_OK) == 0;

	free(path);
	if (!left)
		return;
	path = xasprintf("%s%s", r->gitdir, LOCK_FILE);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
	free(path);
	if (fd == -1)
		return;
	if (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		close(fd);
		return;
	}
	r->lock_fd = fd;
	if ((err = recover(r)) == NULL)
		err = load_head(r);
	if (err != NULL) {
		fprintf(stderr, "dipb: warning: %s\n", err->msg);
		dipb_error_free(err);
	}
	dipb_repo_end(r);
}

void
dipb_repo_end(struct dipb_repo *r)
{
	if (r == NULL || r->lock_fd < 0)
		return;
	flock(r->lock_fd, LOCK_UN);
	close(r->lock_fd);
	r->lock_fd = -1;
}

void
dipb_repo_set_retries(struct dipb_repo *r, int retries)
{
	r->retries = retries < 0 ? 0 : retries;
}

/* ---- files ------------------------------------------------------- */

/*
 * Writes path through "<path>.dipb-tmp" and rename.  The temporary name is
 * fixed, which is safe under the lock and lets recovery remove a leftover.
 */
static const struct dipb_error *
write_atomic(const char *path, const char *data, size_t len, int do_fsync)
{
	const struct dipb_error *err;
	char *tmp = xasprintf("%s%s", path, TMP_SUFFIX);

	err = dipb_write_replace(path, tmp, data, len, 0666, do_fsync ? 2 : 0);
	free(tmp);
	return err;
}

/* mkdir -p for the folders of rel (relative to the working tree). */
static const struct dipb_error *
make_parents(struct dipb_repo *r, const char *rel)
{
	char *full = xasprintf("%s%s", r->workdir, rel);
	char *p = full + strlen(r->workdir);
	const struct dipb_error *err = NULL;

	while ((p = strchr(p, '/')) != NULL) {
		*p = '\0';
		if (mkdir(full, 0777) == -1 && errno != EEXIST) {
			err = dipb_error_from_errno("%s", full);
			break;
		}
		*p++ = '/';
	}
	free(full);
	return err;
}

/* A path dipb may write: relative, '/'-separated, no "." ".." ".git". */
static int
path_ok(const char *path)
{
	const char *p = path, *end;
	size_t n;

	if (path[0] == '\0' || path[0] == '/' || strchr(path, '\n') != NULL ||
	    strchr(path, '\\') != NULL)
		return 0;
	for (;;) {
		end = strchr(p, '/');
		n = end != NULL ? (size_t)(end - p) : strlen(p);
		if (n == 0 || (n == 1 && p[0] == '.') ||
		    (n == 2 && p[0] == '.' && p[1] == '.') ||
		    (n == 4 && strncasecmp(p, ".git", 4) == 0))
			return 0;
		if (end == NULL)
			return 1;
		p = end + 1;
	}
}

/* What the working file holds compared with the change. */
enum wt_state { WT_ABSENT, WT_OLD, WT_NEW, WT_OTHER };

struct wt {
	enum wt_state	 state;
	struct stat	 st;	/* taken before hashing or after writing */
};

static const struct dipb_error *
worktree_state(struct wt *out, struct dipb_repo *r, const struct jfile *f)
{
	const struct dipb_error *err = NULL;
	char *full = xasprintf("%s%s", r->workdir, f->path);
	git_oid id;

	out->state = WT_OTHER;
	/* Stat first: a change made while hashing then shows in the stat. */
	if (lstat(full, &out->st) == -1) {
		if (errno == ENOENT)
			out->state = WT_ABSENT;
		else
			err = dipb_error_from_errno("%s", full);
	} else if (S_ISREG(out->st.st_mode)) {
		if ((err = hash_worktree(&id, r, f->path)) == NULL) {
			if (git_oid_equal(&id, &f->new))
				out->state = WT_NEW;
			else if (!oid_is_zero(&f->old) &&
			    git_oid_equal(&id, &f->old))
				out->state = WT_OLD;
		}
	}
	free(full);
	return err;
}

/*
 * Brings the working file of each path from the old blob to the new one:
 * written when it is absent or still the old blob, left alone when the
 * user changed it.
 */
static const struct dipb_error *
sync_worktree(struct dipb_repo *r, const struct jfile *files, size_t n,
    struct wt *wt)
{
	const struct dipb_error *err = NULL;
	git_blob *blob = NULL;
	char *full, *tmp;
	size_t i;

	for (i = 0; i < n && err == NULL; i++) {
		full = xasprintf("%s%s", r->workdir, files[i].path);
		tmp = xasprintf("%s%s", full, TMP_SUFFIX);
		unlink(tmp);		/* left by a killed dipb */
		free(tmp);
		if ((err = worktree_state(&wt[i], r, &files[i])) == NULL &&
		    (wt[i].state == WT_ABSENT || wt[i].state == WT_OLD)) {
			if ((err = make_parents(r, files[i].path)) != NULL)
				goto next;
			if (git_blob_lookup(&blob, r->git, &files[i].new) < 0) {
				err = dipb_error_from_git("cannot read '%s'",
				    files[i].path);
				goto next;
			}
			err = write_atomic(full, git_blob_rawcontent(blob),
			    (size_t)git_blob_rawsize(blob), r->fsync);
			git_blob_free(blob);
			blob = NULL;
			if (err == NULL && lstat(full, &wt[i].st) == -1)
				err = dipb_error_from_errno("%s", full);
			if (err == NULL)
				wt[i].state = WT_NEW;
		}
next:
		free(full);
	}
	return err;
}

/*
 * Whether path's index entry moves to the new blob: when it held the old
 * one (or none, for a new file), or already holds the new one but with
 * stale stat data.  An entry the user staged something else in stays.
 */
static int
index_wants(int found, const git_oid *id, const struct jfile *f,
    const struct wt *wt)
{
	if (!found)
		return oid_is_zero(&f->old);
	if (!oid_is_zero(&f->old) && git_oid_equal(id, &f->old))
		return 1;
	return git_oid_equal(id, &f->new) && wt->state == WT_NEW;
}

/* Creates index.lock as git does, waiting a little for a git command. */
static const struct dipb_error *
lock_index(int *fd, struct dipb_repo *r, const char *lock)
{
	struct timespec now;
	unsigned seed;
	long delay = BACKOFF_MIN_NS;
	int tries;

	clock_gettime(CLOCK_MONOTONIC, &now);
	seed = (unsigned)getpid() ^ (unsigned)now.tv_nsec;
	for (tries = 0;; tries++) {
		*fd = open(lock, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (*fd != -1)
			return NULL;
		if (errno != EEXIST)
			return dipb_error_from_errno("%s", lock);
		if (tries >= r->retries)
			return dipb_error_fmt(DIPB_ERR_BUSY, "repository busy, "
			    "retry (%s exists: is a git command running?)",
			    lock);
		sleep_ns(jitter(delay, &seed));
		delay = delay * 2 > BACKOFF_MAX_NS ? BACKOFF_MAX_NS : delay * 2;
	}
}

/*
 * The index by bytes (see rawindex_load): *handled 0 when it is one for
 * libgit2.
 */
static const struct dipb_error *
sync_index_raw(int *handled, struct dipb_repo *r, const struct jfile *files,
    size_t n, const struct wt *wt)
{
	const struct dipb_error *err = NULL;
	struct dipb_buf out = DIPB_BUF_INIT;
	struct rawindex ix;
	struct iupdate *u;
	struct ientry e;
	char *lock = xasprintf("%s.lock", r->index_path);
	size_t i, m = 0, at;
	int fd = -1, ok, found, conflict, locked = 0;

	*handled = 0;
	memset(&ix, 0, sizeof(ix));
	memset(&e, 0, sizeof(e));
	u = xcalloc(n, sizeof(*u));
	/* Locked before reading, so no other writer's change is lost. */
	if ((err = lock_index(&fd, r, lock)) != NULL)
		goto done;
	locked = 1;
	if ((err = rawindex_load(&ix, &ok, r->index_path)) != NULL || !ok)
		goto done;
	*handled = 1;
	for (i = 0; i < n; i++) {
		rawindex_find(&ix, files[i].path, &at, &found, &conflict);
		if (found)
			raw_ientry_get(&e, ix.b.ptr + at);
		if (conflict || !index_wants(found, &e.id, &files[i], &wt[i]))
			continue;
		u[m].path = files[i].path;
		ientry_from_stat(&u[m].e, wt[i].state == WT_NEW ? &wt[i].st :
		    NULL, found && e.mode == GIT_FILEMODE_BLOB_EXECUTABLE ?
		    GIT_FILEMODE_BLOB_EXECUTABLE : GIT_FILEMODE_BLOB,
		    &files[i].new);
		m++;
	}
	if (m == 0)
		goto done;
	for (i = 0; i < m; i++)
		rawindex_apply(&ix, &u[i]);
	rawindex_smudge(&ix, u, m);
	if ((err = rawindex_finish(&out, &ix, u, m)) != NULL)
		goto done;
	if ((err = dipb_write_all(fd, lock, out.ptr, out.len, r->fsync)) !=
	    NULL)
		goto done;
	if (close(fd) == -1) {
		fd = -1;
		err = dipb_error_from_errno("%s", lock);
		goto done;
	}
	fd = -1;
	if (rename(lock, r->index_path) == -1)
		err = dipb_error_from_errno("%s", r->index_path);
	else {
		free(lock);
		lock = NULL;
	}
done:
	if (fd != -1)
		close(fd);
	if (locked && lock != NULL)
		unlink(lock);	/* not renamed into place */
	free(lock);
	free(u);
	dipb_buf_release(&ix.b);
	dipb_buf_release(&out);
	return err;
}

/* The same through libgit2, for the indexes dipb does not read itself. */
static const struct dipb_error *
sync_index_git(struct dipb_repo *r, const struct jfile *files, size_t n,
    const struct wt *wt)
{
	const struct dipb_error *err = NULL;
	const git_index_entry *ge;
	git_index_entry ne;
	git_index *idx = NULL;
	struct timespec now;
	unsigned seed;
	long delay = BACKOFF_MIN_NS;
	size_t i;
	int changed = 0, rc, tries;

	if ((err = open_index(&idx, r)) != NULL)
		return err;
	for (i = 0; i < n; i++) {
		ge = git_index_get_bypath(idx, files[i].path, 0);
		if (!index_wants(ge != NULL, ge != NULL ? &ge->id : NULL,
		    &files[i], &wt[i]))
			continue;
		if (wt[i].state == WT_NEW)
			rc = git_index_add_bypath(idx, files[i].path);
		else {
			memset(&ne, 0, sizeof(ne));
			ne.mode = GIT_FILEMODE_BLOB;
			git_oid_cpy(&ne.id, &files[i].new);
			ne.path = files[i].path;
			rc = git_index_add(idx, &ne);
		}
		if (rc < 0) {
			err = dipb_error_from_git("cannot update the index "
			    "for '%s'", files[i].path);
			goto done;
		}
		changed = 1;
	}
	if (!changed)
		goto done;
	/* A git command may hold index.lock for a moment: wait for it. */
	clock_gettime(CLOCK_MONOTONIC, &now);
	seed = (unsigned)getpid() ^ (unsigned)now.tv_nsec;
	for (tries = 0;; tries++) {
		if ((rc = git_index_write(idx)) == 0)
			break;
		if (rc != GIT_ELOCKED || tries >= r->retries) {
			err = dipb_error_from_git("cannot write the index");
			break;
		}
		git_error_clear();
		sleep_ns(jitter(delay, &seed));
		delay = delay * 2 > BACKOFF_MAX_NS ? BACKOFF_MAX_NS : delay * 2;
	}
done:
	if (err != NULL)
		git_index_read(idx, 1);	/* drop the half-made changes */
	git_index_free(idx);
	return err;
}

/*
 * Moves each path's index entry from the old blob to the new one, with
 * the working file's stat data when it holds the new blob (so git status
 * need not hash it), else with none (so git compares the content).
 */
static const struct dipb_error *
sync_index(struct dipb_repo *r, const struct jfile *files, size_t n,
    const struct wt *wt)
{
	const struct dipb_error *err;
	int handled;

	if ((err = sync_index_raw(&handled, r, files, n, wt)) != NULL ||
	    handled)
		return err;
	return sync_index_git(r, files, n, wt);
}

/* ---- refs ------------------------------------------------------- */

/*
 * The two ref updates of a change are made here as git's files backend
 * makes them: <ref>.lock created exclusively, the new id written to it,
 * the reflog appended while it is held, then renamed over the ref.
 * libgit2 would compare the name with every packed ref before each
 * update, 30 million instructions per update at 10,000 tags.
 */

/*
 * The id of name in packed-refs (*found), and whether a packed ref stands
 * in its way (*conflict: one named as a folder of name, or inside it).
 */
static const struct dipb_error *
packed_ref(git_oid *out, int *found, int *conflict, struct dipb_repo *r,
    const char *name)
{
	const struct dipb_error *err = NULL;
	struct dipb_buf b = DIPB_BUF_INIT;
	const char *p, *end, *nl, *ref;
	char *path = xasprintf("%spacked-refs",
	    git_repository_commondir(r->git));
	size_t n = strlen(name), len;

	*found = *conflict = 0;
	if (access(path, F_OK) == -1)
		goto done;
	if ((err = dipb_read_file(&b, path, 0)) != NULL)
		goto done;
	for (p = dipb_buf_cstr(&b), end = p + b.len; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if ((size_t)(nl - p) <= GIT_OID_HEXSZ + 1 || *p == '#' ||
		    *p == '^' || p[GIT_OID_HEXSZ] != ' ')
			continue;
		ref = p + GIT_OID_HEXSZ + 1;
		len = (size_t)(nl - ref);
		if (len == n && memcmp(ref, name, n) == 0) {
			*found = git_oid_fromstrn(out, p, GIT_OID_HEXSZ) == 0;
			if (!*found)
				err = dipb_error_fmt(DIPB_ERR_CORRUPT,
				    "malformed packed-refs: '%s'", path);
		} else if ((len < n && name[len] == '/' &&
		    memcmp(ref, name, len) == 0) || (len > n && ref[n] == '/' &&
		    memcmp(ref, name, n) == 0))
			*conflict = 1;
	}
done:
	free(path);
	dipb_buf_release(&b);
	return err;
}

/* The id name holds, loose or packed; *found 0 when it does not exist. */
static const struct dipb_error *
read_ref(git_oid *out, int *found, int *conflict, struct dipb_repo *r,
    const char *name)
{
	const struct dipb_error *err;
	struct dipb_buf b = DIPB_BUF_INIT;
	char *path = xasprintf("%s%s", git_repository_commondir(r->git), name);
	struct stat st;

	memset(out, 0, sizeof(*out));
	*found = 0;
	if ((err = packed_ref(out, found, conflict, r, name)) != NULL)
		goto done;
	if (lstat(path, &st) == -1) {
		if (errno != ENOENT && errno != ENOTDIR)
			err = dipb_error_from_errno("%s", path);
		else if (errno == ENOTDIR)
			*conflict = 1;
		goto done;
	}
	if (S_ISDIR(st.st_mode)) {
		*conflict = 1;
		goto done;
	}
	/* A loose ref wins over a packed one. */
	if ((err = dipb_read_file(&b, path, 4096)) != NULL)
		goto done;
	if (b.len < GIT_OID_HEXSZ || (b.len > GIT_OID_HEXSZ &&
	    b.ptr[GIT_OID_HEXSZ] != '\n') ||
	    git_oid_fromstrn(out, b.ptr, GIT_OID_HEXSZ) < 0)
		err = dipb_error_fmt(DIPB_ERR_CORRUPT,
		    "not a plain ref (symbolic or malformed): '%s'", name);
	else
		*found = 1;
done:
	free(path);
	dipb_buf_release(&b);
	return err;
}

/*
 * Whether name's updates go to a reflog: core.logAllRefUpdates "always",
 * or true (the default here) for branches and HEAD, or a log that exists.
 */
static int
should_log(struct dipb_repo *r, const char *name, const char *logpath)
{
	git_config *cfg = NULL;
	const char *v = NULL;
	int mode = 1, b;

	if (git_repository_config_snapshot(&cfg, r->git) == 0 &&
	    git_config_get_string(&v, cfg, "core.logallrefupdates") == 0) {
		if (strcasecmp(v, "always") == 0)
			mode = 2;
		else if (git_config_parse_bool(&b, v) == 0)
			mode = b;
	}
	git_error_clear();
	git_config_free(cfg);
	if (mode == 2 || access(logpath, F_OK) == 0)
		return 1;
	return mode == 1 && (strcmp(name, "HEAD") == 0 ||
	    strncmp(name, "refs/heads/", 11) == 0);
}

/* Appends "<old> <new> <who> <time> <tz>\t<msg>" to name's reflog. */
static const struct dipb_error *
reflog_append(struct dipb_repo *r, const char *name, const git_oid *old,
    const git_oid *new, const struct dipb_identity *who, const char *msg)
{
	const struct dipb_error *err = NULL;
	struct dipb_buf line = DIPB_BUF_INIT;
	char h1[GIT_OID_HEXSZ + 1], h2[GIT_OID_HEXSZ + 1], *path, *slash;
	int fd = -1, off = who->offset < 0 ? -who->offset : who->offset;

	/* HEAD's log is the worktree's own, the rest are shared. */
	path = xasprintf("%slogs/%s", strcmp(name, "HEAD") == 0 ?
	    r->gitdir : git_repository_commondir(r->git), name);
	if (!should_log(r, name, path))
		goto done;
	for (slash = strchr(path + strlen(r->gitdir), '/'); slash != NULL;
	    slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (mkdir(path, 0777) == -1 && errno != EEXIST) {
			err = dipb_error_from_errno("%s", path);
			*slash = '/';
			goto done;
		}
		*slash = '/';
	}
	dipb_buf_printf(&line, "%s %s %s <%s> %lld %c%02d%02d\t%s\n",
	    git_oid_tostr(h1, sizeof(h1), old), git_oid_tostr(h2, sizeof(h2),
	    new), who->name, who->email, (long long)who->time,
	    who->offset < 0 ? '-' : '+', off / 60, off % 60, msg);
	if ((fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC,
	    0666)) == -1) {
		err = dipb_error_from_errno("%s", path);
		goto done;
	}
	err = dipb_write_all(fd, path, line.ptr, line.len, r->fsync);
done:
	if (fd != -1 && close(fd) == -1 && err == NULL)
		err = dipb_error_from_errno("%s", path);
	free(path);
	dipb_buf_release(&line);
	return err;
}

/*
 * Sets ref name to id if it holds expect (zero: if it does not exist),
 * logging msg (NULL: no reflog entry; with HEAD's too when HEAD is on
 * this branch).  *moved is 0 when the ref held something else, or
 * another writer holds its lock; nothing is written then.
 */
static const struct dipb_error *
update_ref(int *moved, struct dipb_repo *r, const char *name,
    const git_oid *id, const git_oid *expect, const struct dipb_identity *who,
    const char *msg)
{
	const struct dipb_error *err = NULL;
	const char *common = git_repository_commondir(r->git);
	char *path = xasprintf("%s%s", common, name), *lock, *slash;
	char hex[GIT_OID_HEXSZ + 2];
	git_oid cur;
	int fd = -1, found, conflict = 0, locked = 0;

	*moved = 0;
	lock = xasprintf("%s.lock", path);
	for (slash = strchr(path + strlen(common), '/'); slash != NULL;
	    slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (mkdir(path, 0777) == -1 && errno != EEXIST) {
			*slash = '/';
			if (errno == ENOTDIR)
				goto done;	/* a ref where a folder must be */
			err = dipb_error_from_errno("%s", path);
			goto done;
		}
		*slash = '/';
	}
	if ((fd = open(lock, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0666)) == -1) {
		if (errno != EEXIST && errno != EISDIR && errno != ENOTDIR)
			err = dipb_error_from_errno("%s", lock);
		goto done;	/* another writer's lock */
	}
	locked = 1;
	if ((err = read_ref(&cur, &found, &conflict, r, name)) != NULL)
		goto done;
	if (conflict || (oid_is_zero(expect) ? found :
	    !found || !git_oid_equal(&cur, expect)))
		goto done;
	git_oid_tostr(hex, sizeof(hex) - 1, id);
	hex[GIT_OID_HEXSZ] = '\n';
	if ((err = dipb_write_all(fd, lock, hex, GIT_OID_HEXSZ + 1,
	    r->fsync)) != NULL)
		goto done;
	if (close(fd) == -1) {
		fd = -1;
		err = dipb_error_from_errno("%s", lock);
		goto done;
	}
	fd = -1;
	if (msg != NULL &&
	    ((err = reflog_append(r, name, expect, id, who, msg)) != NULL ||
	    (strcmp(name, r->branch_ref) == 0 &&
	    (err = reflog_append(r, "HEAD", expect, id, who, msg)) != NULL)))
		goto done;
	if (rename(lock, path) == -1) {
		err = dipb_error_from_errno("%s", path);
		goto done;
	}
	free(lock);
	lock = NULL;
	*moved = 1;
	if (r->fsync && dipb_fsync_dir_of(path) == -1)
		err = dipb_error_from_errno("%s", path);
done:
	if (fd != -1)
		close(fd);
	if (locked && lock != NULL)
		unlink(lock);		/* not renamed into place */
	free(path);
	free(lock);
	return err;
}

/* ---- the journal ------------------------------------------------- */

static void
journal_release(struct journal *j)
{
	size_t i;

	free(j->branch_ref);
	free(j->tag_ref);
	for (i = 0; i < j->nfiles; i++)
		free(j->files[i].path);
	free(j->files);
	memset(j, 0, sizeof(*j));
}

static char *
journal_path(const struct dipb_repo *r)
{
	return xasprintf("%s%s", r->gitdir, JOURNAL_FILE);
}

static const struct dipb_error *
journal_write(struct dipb_repo *r, const struct journal *j)
{
	const struct dipb_error *err;
	struct dipb_buf b = DIPB_BUF_INIT;
	char h1[GIT_OID_HEXSZ + 1], h2[GIT_OID_HEXSZ + 1];
	char *path = journal_path(r);
	size_t i;

	dipb_buf_printf(&b, "%s\nbranch %s\n", JOURNAL_MAGIC, j->branch_ref);
	dipb_buf_printf(&b, "old %s\n", git_oid_tostr(h1, sizeof(h1), &j->old));
	dipb_buf_printf(&b, "new %s\n", git_oid_tostr(h1, sizeof(h1), &j->new));
	dipb_buf_printf(&b, "tag-ref %s\n", j->tag_ref);
	dipb_buf_printf(&b, "tag %s\n", git_oid_tostr(h1, sizeof(h1), &j->tag));
	for (i = 0; i < j->nfiles; i++)
		dipb_buf_printf(&b, "file %s %s %s\n",
		    git_oid_tostr(h1, sizeof(h1), &j->files[i].old),
		    git_oid_tostr(h2, sizeof(h2), &j->files[i].new),
		    j->files[i].path);
	dipb_buf_puts(&b, "end\n");
	err = write_atomic(path, b.ptr, b.len, r->fsync);
	dipb_buf_release(&b);
	free(path);
	return err;
}

static void
journal_remove(struct dipb_repo *r)
{
	char *path = journal_path(r);

	unlink(path);
	free(path);
}

static int
parse_oid(git_oid *out, const char *hex, size_t len)
{
	return len == GIT_OID_HEXSZ && git_oid_fromstrn(out, hex, len) == 0 ?
	    0 : -1;
}

/* Parses the journal text; -1 when it is not one dipb wrote whole. */
static int
journal_parse(struct journal *j, char *text)
{
	char *line, *next, *sp;
	int seen = 0, ended = 0;
	struct jfile *f;

	memset(j, 0, sizeof(*j));
	for (line = text; line != NULL && *line != '\0' && !ended;
	    line = next) {
		if ((next = strchr(line, '\n')) == NULL)
			return -1;
		*next++ = '\0';
		if (seen == 0) {
			if (strcmp(line, JOURNAL_MAGIC) != 0)
				return -1;
			seen = 1;
		} else if (strncmp(line, "branch ", 7) == 0)
			j->branch_ref = xstrdup(line + 7);
		else if (strncmp(line, "old ", 4) == 0) {
			if (parse_oid(&j->old, line + 4, strlen(line + 4)) < 0)
				return -1;
		} else if (strncmp(line, "new ", 4) == 0) {
			if (parse_oid(&j->new, line + 4, strlen(line + 4)) < 0)
				return -1;
		} else if (strncmp(line, "tag-ref ", 8) == 0)
			j->tag_ref = xstrdup(line + 8);
		else if (strncmp(line, "tag ", 4) == 0) {
			if (parse_oid(&j->tag, line + 4, strlen(line + 4)) < 0)
				return -1;
		} else if (strncmp(line, "file ", 5) == 0) {
			line += 5;
			xgrow((void **)&j->files, &j->cap, j->nfiles + 1,
			    sizeof(*j->files));
			f = &j->files[j->nfiles];
			memset(f, 0, sizeof(*f));
			if (strlen(line) < 2 * GIT_OID_HEXSZ + 3 ||
			    line[GIT_OID_HEXSZ] != ' ' ||
			    line[2 * GIT_OID_HEXSZ + 1] != ' ' ||
			    parse_oid(&f->old, line, GIT_OID_HEXSZ) < 0 ||
			    parse_oid(&f->new, line + GIT_OID_HEXSZ + 1,
			    GIT_OID_HEXSZ) < 0)
				return -1;
			sp = line + 2 * GIT_OID_HEXSZ + 2;
			if (!path_ok(sp))
				return -1;
			f->path = xstrdup(sp);
			j->nfiles++;
		} else if (strcmp(line, "end") == 0)
			ended = 1;
		else
			return -1;
	}
	if (!ended || j->branch_ref == NULL || j->tag_ref == NULL ||
	    j->nfiles == 0 || oid_is_zero(&j->new) || oid_is_zero(&j->tag))
		return -1;
	return 0;
}

/* 0 and *out when the ref exists; *out zero when it does not. */
static const struct dipb_error *
ref_id(git_oid *out, struct dipb_repo *r, const char *name)
{
	int rc = git_reference_name_to_id(out, r->git, name);

	if (rc == GIT_ENOTFOUND) {
		git_error_clear();
		memset(out, 0, sizeof(*out));
		return NULL;
	}
	if (rc < 0)
		return dipb_error_from_git("cannot read '%s'", name);
	return NULL;
}

/*
 * Finishes the working-tree and index steps of a change whose branch
 * move landed.  Only for the branch checked out: the journal's working
 * tree is this one, but HEAD may have moved to another branch since.
 */
static const struct dipb_error *
finish(struct dipb_repo *r, const struct journal *j)
{
	const struct dipb_error *err;
	struct wt *wt;

	if ((err = load_head(r)) != NULL)
		return err;
	if (strcmp(r->branch_ref, j->branch_ref) != 0)
		return NULL;
	wt = xcalloc(j->nfiles, sizeof(*wt));
	if ((err = sync_worktree(r, j->files, j->nfiles, wt)) == NULL)
		err = sync_index(r, j->files, j->nfiles, wt);
	free(wt);
	return err;
}

/* 1 if the m bytes of needle occur in the n bytes of hay. */
static int
contains(const char *hay, size_t n, const unsigned char *needle, size_t m)
{
	const char *p;
	size_t i;

	for (i = 0; m > 0 && i + m <= n; i = (size_t)(p - hay) + 1) {
		if ((p = memchr(hay + i, needle[0], n - m + 1 - i)) == NULL)
			return 0;
		if (memcmp(p, needle, m) == 0)
			return 1;
	}
	return 0;
}

/*
 * Removes a lock file that the killed dipb of journal j left: libgit2's
 * lock of a ref this change moved, or the index's.  Git never removes a
 * stale lock; dipb may, for its own: one that is empty, or holds what
 * this change was writing (its new id; an index naming one of its new
 * blobs, or unfinished).  Anything else is another program's, and stays.
 */
static void
remove_our_lock(const char *lock, const struct journal *j, const git_oid *id)
{
	const struct dipb_error *err;
	struct dipb_buf b = DIPB_BUF_INIT;
	unsigned char sum[IDX_TRAILER];
	char hex[GIT_OID_HEXSZ + 1];
	size_t i, n;
	int ours = 0;

	if (access(lock, F_OK) == -1)
		return;
	if ((err = dipb_read_file(&b, lock, 0)) != NULL) {
		dipb_error_free(err);
		return;
	}
	if (b.len == 0)
		ours = 1;
	else if (id != NULL) {
		git_oid_tostr(hex, sizeof(hex), id);
		n = b.len < GIT_OID_HEXSZ ? b.len : GIT_OID_HEXSZ;
		ours = memcmp(b.ptr, hex, n) == 0;
	} else {
		for (i = 0; i < j->nfiles && !ours; i++)
			ours = contains(b.ptr, b.len, j->files[i].new.id,
			    GIT_OID_RAWSZ);
		if (!ours && b.len >= IDX_HDR + IDX_TRAILER) {
			sha1(sum, b.ptr, b.len - IDX_TRAILER);
			ours = memcmp(sum, b.ptr + b.len - IDX_TRAILER,
			    IDX_TRAILER) != 0;
		} else if (!ours)
			ours = 1;	/* too short to be a whole index */
	}
	if (ours && unlink(lock) == 0)
		fprintf(stderr, "dipb: warning: removed a lock file left by "
		    "an interrupted dipb: '%s'\n", lock);
	dipb_buf_release(&b);
}

/*
 * Completes or discards the change a killed dipb left in the journal:
 * complete when its branch move landed, discard when it did not.
 */
static const struct dipb_error *
recover(struct dipb_repo *r)
{
	const struct dipb_error *err = NULL;
	struct dipb_buf text = DIPB_BUF_INIT;
	struct journal j;
	git_oid cur, tag;
	char *path = journal_path(r), *tmp;
	size_t i;
	int moved;

	memset(&j, 0, sizeof(j));
	tmp = xasprintf("%s%s", path, TMP_SUFFIX);
	unlink(tmp);
	free(tmp);
	if (access(path, F_OK) == -1 && errno == ENOENT)
		goto done;
	if ((err = dipb_read_file(&text, path, 1024 * 1024)) != NULL)
		goto done;
	if (journal_parse(&j, text.ptr) < 0) {
		fprintf(stderr, "dipb: warning: discarding an unreadable "
		    "journal: '%s'\n", path);
		unlink(path);
		goto done;
	}
	tmp = xasprintf("%s%s.lock", git_repository_commondir(r->git),
	    j.branch_ref);
	remove_our_lock(tmp, &j, &j.new);
	free(tmp);
	tmp = xasprintf("%s%s.lock", git_repository_commondir(r->git),
	    j.tag_ref);
	remove_our_lock(tmp, &j, &j.tag);
	free(tmp);
	tmp = xasprintf("%s.lock", r->index_path);
	remove_our_lock(tmp, &j, NULL);
	free(tmp);
	if ((err = ref_id(&cur, r, j.branch_ref)) != NULL ||
	    (err = ref_id(&tag, r, j.tag_ref)) != NULL)
		goto done;
	if (git_oid_equal(&cur, &j.new)) {
		/* The branch moved: the change is made, finish it. */
		if (oid_is_zero(&tag) && (err = update_ref(&moved, r,
		    j.tag_ref, &j.tag, &tag, NULL, NULL)) != NULL)
			goto done;
		if ((err = finish(r, &j)) != NULL)
			goto done;
	} else if (git_oid_equal(&cur, &j.old)) {
		/* The branch did not move: undo the tag. */
		if (git_oid_equal(&tag, &j.tag) &&
		    git_reference_remove(r->git, j.tag_ref) < 0) {
			err = dipb_error_from_git("cannot delete '%s'",
			    j.tag_ref);
			goto done;
		}
		for (i = 0; i < j.nfiles; i++) {
			tmp = xasprintf("%s%s%s", r->workdir, j.files[i].path,
			    TMP_SUFFIX);
			unlink(tmp);
			free(tmp);
		}
	} else if (git_graph_descendant_of(r->git, &cur, &j.new) == 1) {
		/* Made, then built on with plain git: the tag stays. */
		if (oid_is_zero(&tag) && (err = update_ref(&moved, r,
		    j.tag_ref, &j.tag, &tag, NULL, NULL)) != NULL)
			goto done;
	} else {
		/* Never made, and the branch moved on: its tag goes too. */
		git_error_clear();
		if (git_oid_equal(&tag, &j.tag) &&
		    git_reference_remove(r->git, j.tag_ref) < 0) {
			err = dipb_error_from_git("cannot delete '%s'",
			    j.tag_ref);
			goto done;
		}
		fprintf(stderr, "dipb: warning: an interrupted change (%s) "
		    "was abandoned: %s moved since\n", j.tag_ref + 10,
		    j.branch_ref);
	}
	unlink(path);
done:
	journal_release(&j);
	dipb_buf_release(&text);
	free(path);
	return err;
}

/* ---- the state change -------------------------------------------- */

/* Letters, digits, '-', '_', '.': what a record or event may be. */
static int
name_ok(const char *s)
{
	size_t i;

	if (s == NULL || s[0] == '\0' || s[0] == '.' || s[0] == '-')
		return 0;
	for (i = 0; s[i] != '\0'; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-' &&
		    s[i] != '_' && s[i] != '.')
			return 0;
	return 1;
}

/*
 * The N of the next tag of record: one more than the number of its tags
 * (or than the highest N, should a tag have been deleted by hand).  The
 * tags are read from refs/tags/<record>/ and packed-refs directly:
 * libgit2's glob iterator matches its pattern against every packed ref,
 * 40 million instructions at 10,000 records.
 */
static const struct dipb_error *
next_tag_number(unsigned long *out, struct dipb_repo *r, const char *record)
{
	const struct dipb_error *err = NULL;
	struct dipb_strlist names = DIPB_STRLIST_INIT;
	struct dipb_buf packed = DIPB_BUF_INIT;
	const char *common = git_repository_commondir(r->git), *p, *end, *nl;
	char *prefix = xasprintf("refs/tags/%s/", record), *path, *name, *e;
	size_t i, plen = strlen(prefix), n;
	unsigned long max = 0, v;
	struct dirent *d;
	DIR *dir;

	path = xasprintf("%s%s", common, prefix);
	if ((dir = opendir(path)) != NULL) {
		while ((d = readdir(dir)) != NULL) {
			n = strlen(d->d_name);
			if (d->d_name[0] == '.' || (n > 5 &&
			    strcmp(d->d_name + n - 5, ".lock") == 0))
				continue;
			dipb_strlist_push(&names, d->d_name);
		}
		closedir(dir);
	} else if (errno != ENOENT && errno != ENOTDIR) {
		err = dipb_error_from_errno("%s", path);
		goto done;
	}
	free(path);
	path = xasprintf("%spacked-refs", common);
	if (access(path, F_OK) == 0 &&
	    (err = dipb_read_file(&packed, path, 0)) != NULL)
		goto done;
	/* "<hex id> <name>" lines; "#" a header, "^" a peeled id. */
	for (p = dipb_buf_cstr(&packed), end = p + packed.len; p < end;
	    p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if ((size_t)(nl - p) <= GIT_OID_HEXSZ + 1 + plen ||
		    p[GIT_OID_HEXSZ] != ' ' ||
		    memcmp(p + GIT_OID_HEXSZ + 1, prefix, plen) != 0)
			continue;
		p += GIT_OID_HEXSZ + 1 + plen;
		name = xstrndup(p, (size_t)(nl - p));
		if (strchr(name, '/') != NULL ||
		    dipb_strlist_contains(&names, name))
			free(name);	/* loose and packed: counted once */
		else
			dipb_strlist_push_owned(&names, name);
	}
	for (i = 0; i < names.n; i++) {
		errno = 0;
		v = strtoul(names.v[i], &e, 10);
		if (errno == 0 && e != names.v[i] && *e == '-' && v > max)
			max = v;
	}
	*out = (names.n > max ? names.n : max) + 1;
done:
	free(path);
	free(prefix);
	dipb_buf_release(&packed);
	dipb_strlist_release(&names);
	return err;
}

static void
trailers(struct dipb_buf *b, const struct dipb_change *c)
{
	dipb_buf_printf(b, "Dipb-Record: %s\nDipb-Event: %s\n", c->record,
	    c->event);
	if (c->status_from != NULL)
		dipb_buf_printf(b, "Dipb-Status: %s -> %s\n", c->status_from,
		    c->status_to != NULL ? c->status_to : c->status_from);
}

static void
commit_message(struct dipb_buf *b, const struct dipb_change *c)
{
	size_t n;

	dipb_buf_printf(b, "%s\n\n", c->subject);
	if (c->body != NULL) {
		n = strlen(c->body);
		while (n > 0 && (c->body[n - 1] == '\n' ||
		    c->body[n - 1] == ' ' || c->body[n - 1] == '\t' ||
		    c->body[n - 1] == '\r'))
			n--;
		if (n > 0) {
			dipb_buf_put(b, c->body, n);
			dipb_buf_puts(b, "\n\n");
		}
	}
	trailers(b, c);
}

static const struct dipb_error *
check_change(const struct dipb_repo *r, const struct dipb_change *c)
{
	size_t i, k;

	if (r->lock_fd < 0)
		return dipb_error_fmt(DIPB_ERR_INTERNAL,
		    "commit without the repository lock");
	if (c->nfiles == 0 || c->files == NULL || c->subject == NULL ||
	    c->subject[0] == '\0' || strchr(c->subject, '\n') != NULL ||
	    c->who == NULL || c->who->name == NULL || c->who->email == NULL)
		return dipb_error_fmt(DIPB_ERR_INTERNAL, "incomplete change");
	if (!name_ok(c->record) || !name_ok(c->event))
		return dipb_error_fmt(DIPB_ERR_INTERNAL,
		    "not a tag name: '%s/%s'", c->record ? c->record : "",
		    c->event ? c->event : "");
	for (i = 0; i < c->nfiles; i++) {
		if (c->files[i].path == NULL || !path_ok(c->files[i].path))
			return dipb_error_fmt(DIPB_ERR_INTERNAL,
			    "not a path dipb writes: '%s'",
			    c->files[i].path ? c->files[i].path : "");
		for (k = 0; k < i; k++)
			if (strcmp(c->files[i].path, c->files[k].path) == 0)
				return dipb_error_fmt(DIPB_ERR_INTERNAL,
				    "path twice in one change: '%s'",
				    c->files[i].path);
	}
	return NULL;
}

const struct dipb_error *
dipb_repo_commit(char **out_tag, struct dipb_repo *r,
    const struct dipb_change *c)
{
	const struct dipb_error *err;
	const struct dipb_identity *who = c->who;
	struct journal j;
	struct dipb_buf msg = DIPB_BUF_INIT, log = DIPB_BUF_INIT;
	struct tree_edit *up = NULL;
	git_filemode_t *modes = NULL;
	struct wt *wt = NULL;
	git_signature *sig = NULL;
	git_tree *tree = NULL;
	git_commit *parent = NULL;
	git_object *commit = NULL;
	const git_commit *parents[1];
	static const git_oid zero;
	char hex[GIT_OID_HEXSZ + 1], date[11];
	git_oid tree_id;
	char *tag_name = NULL, *tag_msg = NULL;
	unsigned long n = 0;
	size_t i;
	int have, journaled = 0, tagged = 0, valid = 0, moved;

	*out_tag = NULL;
	memset(&j, 0, sizeof(j));
	if ((err = check_change(r, c)) != NULL)
		return err;
	if ((err = next_tag_number(&n, r, c->record)) != NULL)
		return err;
	tag_name = xasprintf("%s/%lu-%s", c->record, n, c->event);
	j.tag_ref = xasprintf("refs/tags/%s", tag_name);
	j.branch_ref = xstrdup(r->branch_ref);
	git_oid_cpy(&j.old, &r->tip);
	if (git_reference_name_is_valid(&valid, j.tag_ref) < 0 || !valid) {
		err = dipb_error_fmt(DIPB_ERR_INTERNAL, "not a tag name: '%s'",
		    tag_name);
		goto done;
	}

	/* 1. Objects: blobs, tree, commit, tag. */
	j.nfiles = j.cap = c->nfiles;
	j.files = xcalloc(c->nfiles, sizeof(*j.files));
	up = xcalloc(c->nfiles, sizeof(*up));
	modes = xcalloc(c->nfiles, sizeof(*modes));
	wt = xcalloc(c->nfiles, sizeof(*wt));
	for (i = 0; i < c->nfiles; i++) {
		j.files[i].path = xstrdup(c->files[i].path);
		if ((err = tree_blob(&j.files[i].old, &modes[i], &have, r,
		    c->files[i].path)) != NULL)
			goto done;
		if (git_blob_create_from_buffer(&j.files[i].new, r->git,
		    c->files[i].data, c->files[i].len) < 0) {
			err = dipb_error_from_git("cannot write '%s'",
			    c->files[i].path);
			goto done;
		}
		up[i].id = &j.files[i].new;
		up[i].mode = modes[i];
		up[i].path = c->files[i].path;
	}
	fault("blob");
	/* Built from the tip's tree, never from the index. */
	if ((err = edit_tree(&tree_id, r, tip_root(r), up, c->nfiles)) != NULL)
		goto done;
	if (git_tree_lookup(&tree, r->git, &tree_id) < 0) {
		err = dipb_error_from_git("cannot read the new tree");
		goto done;
	}
	if (git_signature_new(&sig, who->name, who->email, (git_time_t)who->time,
	    who->offset) < 0) {
		err = dipb_error_from_git("not a usable identity: '%s <%s>'",
		    who->name, who->email);
		goto done;
	}
	commit_message(&msg, c);
	if (!r->unborn && git_commit_lookup(&parent, r->git, &r->tip) < 0) {
		err = dipb_error_from_git("cannot read the branch tip");
		goto done;
	}
	parents[0] = parent;
	if (git_commit_create(&j.new, r->git, NULL, sig, sig, NULL, msg.ptr,
	    tree, parent != NULL ? 1 : 0, parents) < 0) {
		err = dipb_error_from_git("cannot write the commit");
		goto done;
	}
	fault("commit");
	tag_msg = xasprintf("%s\n", c->subject);
	if (git_object_lookup(&commit, r->git, &j.new, GIT_OBJECT_COMMIT) < 0 ||
	    git_tag_annotation_create(&j.tag, r->git, tag_name, commit, sig,
	    tag_msg) < 0) {
		err = dipb_error_from_git("cannot write the tag");
		goto done;
	}
	fault("tag-object");

	/* 2. The journal, so a kill from here on is completed or undone. */
	if ((err = journal_write(r, &j)) != NULL)
		goto done;
	journaled = 1;
	fault("journal");

	/* 3. The tag ref; one that exists belongs to another writer. */
	dipb_identity_date(who, date);
	dipb_buf_printf(&log, "tag: tagging %.7s (%s, %s)",
	    git_oid_tostr(hex, sizeof(hex), &j.new), c->subject, date);
	if ((err = update_ref(&moved, r, j.tag_ref, &j.tag, &zero, who,
	    log.ptr)) != NULL)
		goto done;
	if (!moved) {
		err = dipb_error_fmt(DIPB_ERR_BUSY,
		    "repository busy, retry (tag %s exists)", tag_name);
		goto done;
	}
	tagged = 1;
	fault("tag-ref");

	/* 4. The branch, by compare-and-swap against the tip read. */
	dipb_buf_clear(&log);
	dipb_buf_printf(&log, "commit%s: %s", r->unborn ? " (initial)" : "",
	    c->subject);
	if ((err = update_ref(&moved, r, j.branch_ref, &j.new, &j.old, who,
	    log.ptr)) != NULL)
		goto done;
	if (!moved) {
		err = dipb_error(DIPB_ERR_CHANGED);
		goto done;
	}
	fault("branch");

	/* The change is made; from here on errors only delay its tidying. */
	tagged = 0;
	r->unborn = 0;
	git_oid_cpy(&r->tip, &j.new);
	git_oid_cpy(&r->root, &tree_id);
	*out_tag = tag_name;
	tag_name = NULL;

	/* 5. The working tree and the index, then the journal goes. */
	err = sync_worktree(r, j.files, j.nfiles, wt);
	fault("worktree");
	if (err == NULL)
		err = sync_index(r, j.files, j.nfiles, wt);
	fault("index");
	if (err != NULL) {
		fprintf(stderr, "dipb: warning: %s made, but the working tree "
		    "is not in step yet (the next dipb command finishes it): "
		    "%s\n", *out_tag, err->msg);
		dipb_error_free(err);
		err = NULL;
		journaled = 0;		/* keep it for the next begin */
	}
done:
	if (tagged && git_reference_remove(r->git, j.tag_ref) < 0)
		git_error_clear();	/* the journal still undoes it */
	else if (journaled)
		journal_remove(r);
	git_object_free(commit);
	git_commit_free(parent);
	git_tree_free(tree);
	git_signature_free(sig);
	dipb_buf_release(&msg);
	dipb_buf_release(&log);
	free(tag_msg);
	free(tag_name);
	free(up);
	free(modes);
	free(wt);
	journal_release(&j);
	return err;
}

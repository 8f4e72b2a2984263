/*
 * git/reflist.c - the refs of a folder listed, loose then packed-refs, as
 * git reads them: a record's tags, every tag, a remote's mirror; and every
 * tag as it is now, kept to be streamed (repo.h's dipb_tagsnap).
 */
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"
#include "packed.h"
#include "../error.h"
#include "../util.h"

/* ---- the refs of a folder --------------------------------------- */

/*
 * What one listing of dipb_git_folder_refs gathers: the refs as dipb_tagrefs
 * (names less strip bytes), the first nloose of them loose.
 */
struct folder_list {
	struct dipb_tagrefs	*out;
	size_t			 first;		/* out->n at the start */
	size_t			 nloose;
	size_t			 flen;		/* of the folder's name */
	size_t			 strip;
	int			 deep;
	int			 ids;
	int			 one;		/* the first loose ref only */
};

static struct dipb_tagref *
list_add(struct dipb_tagrefs *out, const char *name, size_t len)
{
	struct dipb_tagref *t;

	xgrow((void **)&out->v, &out->cap, out->n + 1, sizeof(*out->v));
	t = &out->v[out->n++];
	memset(t, 0, sizeof(*t));
	t->name = xstrndup(name, len);
	return t;
}

/*
 * 1 when git takes the len bytes at ref for a ref's name: one it refuses
 * (refs/tags/IC-0001/2-a..b, a space, a trailing '.'), packed or loose,
 * git's iterators skip ("ignoring ref with broken name"), and so does
 * dipb: it is none of the board's tags.
 */
static int
name_valid(const char *ref, size_t len)
{
	char buf[256], *name = len < sizeof(buf) ? buf : xmalloc(len + 1);
	int valid = 0;

	memcpy(name, ref, len);
	name[len] = '\0';
	if (git_reference_name_is_valid(&valid, name) < 0) {
		git_error_clear();
		valid = 0;
	}
	if (name != buf)
		free(name);
	return valid;
}

/*
 * The id the loose ref name holds into t->target ("" when broken).  A
 * ref that could not be read (too many open files, EIO, out of memory)
 * is an error: taken as naming nothing, its record would have no tags.
 */
static const struct dipb_error *
loose_target(struct dipb_tagref *t, struct dipb_repo *r, const char *name)
{
	const struct dipb_error *err;
	git_oid id;
	int found;

	if ((err = dipb_git_ref_read(&id, &found, r, name)) != NULL) {
		if (err->code != DIPB_ERR_CORRUPT)
			return err;
		/* As libgit2's iterator did: a broken ref names nothing. */
		dipb_error_free(err);
		return NULL;
	}
	if (found)
		git_oid_tostr(t->target, sizeof(t->target), &id);
	return NULL;
}

/* Cuts b back to its first len bytes (b holds at least that). */
static void
buf_cut(struct dipb_buf *b, size_t len)
{
	b->len = len;
	b->ptr[len] = '\0';
}

/* Adds the loose refs below the folder full (a '/' at its end). */
static const struct dipb_error *
loose_walk(struct folder_list *l, struct dipb_repo *r, struct dipb_buf *full)
{
	const struct dipb_error *err = NULL;
	const char *common = git_repository_commondir(r->git);
	size_t len = full->len, n;
	struct dipb_tagref *t;
	struct dirent *d;
	struct stat st;
	char *path = xasprintf("%s%s", common, dipb_buf_cstr(full));
	DIR *dir;
	int isdir, rc = 0, e;

	if ((dir = opendir(path)) == NULL) {
		if (errno != ENOENT && errno != ENOTDIR)
			err = dipb_error_from_errno("%s", path);
		free(path);
		return err;
	}
	while (err == NULL && !(l->one && l->nloose > 0) &&
	    (rc = dipb_readdir(dir, &d)) == 1) {
		n = strlen(d->d_name);
		if (d->d_name[0] == '.' || (n > 5 &&
		    strcmp(d->d_name + n - 5, ".lock") == 0))
			continue;
		buf_cut(full, len);
		dipb_buf_put(full, d->d_name, n);
#ifdef DT_DIR
		if (d->d_type != DT_UNKNOWN && d->d_type != DT_LNK)
			isdir = d->d_type == DT_DIR;
		else
#endif
		{
			free(path);
			path = xasprintf("%s%s", common, dipb_buf_cstr(full));
			if (stat(path, &st) == -1)
				continue;
			isdir = S_ISDIR(st.st_mode);
		}
		if (isdir) {
			if (l->deep) {
				dipb_buf_putc(full, '/');
				err = loose_walk(l, r, full);
			}
			continue;
		}
		/* A name git refuses: a ref git ignores (name_valid). */
		if (!name_valid(full->ptr, full->len))
			continue;
		t = list_add(l->out, dipb_buf_cstr(full) + l->strip,
		    full->len - l->strip);
		l->nloose++;
		if (l->ids)
			err = loose_target(t, r, dipb_buf_cstr(full));
	}
	if (err == NULL && rc == -1) {
		/* Read as its end, a tag would be numbered again. */
		e = errno;
		buf_cut(full, len);
		free(path);
		path = xasprintf("%s%s", common, dipb_buf_cstr(full));
		errno = e;
		err = dipb_error_from_errno("cannot read the folder '%s'",
		    path);
	}
	closedir(dir);
	buf_cut(full, len);
	free(path);
	return err;
}

static int
cmp_tagref(const void *a, const void *b)
{
	return strcmp(((const struct dipb_tagref *)a)->name,
	    ((const struct dipb_tagref *)b)->name);
}

void
dipb_git_tagrefs_sort(struct dipb_tagref *v, size_t n)
{
	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_tagref);
}

/* Whether the len bytes at name are one of l's loose refs (sorted). */
static int
loose_has(const struct folder_list *l, const char *name, size_t len)
{
	const struct dipb_tagref *v = l->out->v + l->first;
	size_t lo = 0, hi = l->nloose, mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strncmp(v[mid].name, name, len);
		if (c == 0 && v[mid].name[len] != '\0')
			c = 1;		/* longer: after name */
		if (c == 0)
			return 1;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* Adds a packed ref of the folder that no loose one overrides. */
static int
packed_add(const char *ref, size_t len, const char *hex, const char *peeled,
    void *arg)
{
	struct folder_list *l = arg;
	struct dipb_tagref *t;
	size_t n = len - l->strip;

	if (!l->deep && memchr(ref + l->flen, '/', len - l->flen) != NULL)
		return 0;
	if (l->nloose > 0 && loose_has(l, ref + l->strip, n))
		return 0;	/* the loose one wins */
	/* Last, as the dearest of the three (a call of libgit2's). */
	if (!name_valid(ref, len))
		return 0;
	(void)peeled;	/* not the tag object's word (dipb-git(7)) */
	t = list_add(l->out, ref + l->strip, n);
	dipb_git_hex_lower(t->target, hex);
	return 0;
}

/*
 * The refs inside folder ("refs/tags/IC-0003/", a '/' at its end), added
 * to out, each once (a loose ref overriding a packed one): their names
 * less their first strip bytes; with ids, their targets (a loose ref's
 * read, "" when broken); *nloose
 * (NULL: not wanted) how many of them are loose.  deep: the
 * refs of the folders inside too, else the folder's own only.  *plain
 * (may be NULL): a ref named as the folder, "loose" or "packed", which
 * stands in its way; NULL when none.  One readdir per folder and one
 * search of packed-refs: libgit2's glob iterator matches its pattern
 * against every packed ref (318,000 at 30,000 records).  The loose refs
 * come first, sorted by name, then the packed ones in packed-refs'
 * order (by name when the file says it is sorted, as git writes it).
 */
const struct dipb_error *
dipb_git_folder_refs(struct dipb_tagrefs *out, size_t *nloose,
    const char **plain, struct dipb_repo *r, const char *folder, size_t strip,
    int ids, int deep)
{
	const struct dipb_error *err;
	struct folder_list l = { out, out->n, 0, strlen(folder), strip, deep,
	    ids, 0 };
	struct dipb_buf full = DIPB_BUF_INIT;
	char *own = xstrndup(folder, l.flen - 1);
	enum dipb_git_loose what = LOOSE_NONE;
	git_oid id;
	int found = 0;

	/* The loose refs first, then packed-refs, as git reads them. */
	dipb_buf_puts(&full, folder);
	/* With none, out->v may be NULL, and NULL + 0 is undefined in C. */
	if ((err = loose_walk(&l, r, &full)) == NULL && l.nloose > 0)
		dipb_git_tagrefs_sort(out->v + l.first, l.nloose);
	if (err != NULL ||
	    (plain != NULL && (err = dipb_git_loose_read(&id, &what, r,
	    own)) != NULL) ||
	    (plain != NULL && (err = dipb_git_packed_lookup(&id, &found, r,
	    own)) != NULL) ||
	    (err = dipb_git_packed_each(r, folder, packed_add, &l)) != NULL)
		goto done;
	if (plain != NULL)
		*plain = what == LOOSE_PLAIN || what == LOOSE_OTHER ? "loose" :
		    found ? "packed" : NULL;
	if (nloose != NULL)
		*nloose = l.nloose;
done:
	dipb_buf_release(&full);
	free(own);
	return err;
}

const struct dipb_error *
dipb_git_tags_in(struct dipb_tagrefs *out, struct dipb_repo *r,
    const char *folder)
{
	char *full = xasprintf("refs/tags/%s", folder);
	char *probe = xasprintf("%sx", full);
	const struct dipb_error *err = NULL;
	int valid = 0;

	/*
	 * A folder no ref can be in (a record id from a commit's trailer
	 * may be anything, "../" included) holds no tag: nothing is read.
	 */
	if (git_reference_name_is_valid(&valid, probe) == 0 && valid &&
	    full[strlen(full) - 1] == '/')
		err = dipb_git_folder_refs(out, NULL, NULL, r, full,
		    strlen("refs/tags/"), 1, 1);
	git_error_clear();
	free(probe);
	free(full);
	return err;
}

const struct dipb_error *
dipb_git_tags(struct dipb_tagrefs *out, struct dipb_repo *r)
{
	/*
	 * Every tag, as dipb_git_tags_in lists a record's: libgit2's
	 * iterator looked for a loose file of each packed tag (an fstatat
	 * per tag) and copied each into a reference of its own.  The list
	 * is made once as long as packed-refs can hold annotated tags (a
	 * ref line and its "^" line take over 84 bytes), not doubled 17
	 * times; lightweight tags may double it further.
	 */
	const struct dipb_error *err;

	if ((err = dipb_git_packed_load(r)) != NULL)
		return err;
	if (r->packed.len / 84 > 0)
		xgrow((void **)&out->v, &out->cap, out->n +
		    r->packed.len / 84, sizeof(*out->v));
	return dipb_git_folder_refs(out, NULL, NULL, r, "refs/tags/",
	    strlen("refs/tags/"), 1, 1);
}

const struct dipb_error *
dipb_git_refs_in(struct dipb_tagrefs *out, size_t *nloose,
    struct dipb_repo *r, const char *folder)
{
	return dipb_git_folder_refs(out, nloose, NULL, r, folder,
	    strlen(folder), 1, 1);
}

/* ---- every tag, as it is now, streamed ---------------------------- */

/*
 * What dipb_git_tags lists, kept to be read later without a copy: the
 * mapping of packed-refs as it was (git replaces the file by a rename,
 * so the mapping's inode never changes under it) and the loose tags,
 * read first as git reads them.
 */
struct dipb_tagsnap {
	struct dipb_repo	*repo;		/* borrowed: for its messages */
	char			*map;
	size_t			 len;
	struct dipb_packed	 pk;
	struct stat		 st;		/* of the file mapped */
	int			 have;		/* a file was there */
	struct dipb_tagrefs	 loose;		/* sorted by name */
};

const struct dipb_error *
dipb_git_tags_snap(struct dipb_tagsnap **out, struct dipb_repo *r)
{
	struct dipb_tagsnap *s = xcalloc(1, sizeof(*s));
	const size_t strip = strlen("refs/tags/");
	struct folder_list l = { &s->loose, 0, 0, strip, strip, 1, 1, 0 };
	struct dipb_buf full = DIPB_BUF_INIT;
	const struct dipb_error *err;

	s->repo = r;
	dipb_buf_puts(&full, "refs/tags/");
	if ((err = loose_walk(&l, r, &full)) == NULL)
		dipb_git_tagrefs_sort(s->loose.v, l.nloose);
	dipb_buf_release(&full);
	if (err == NULL)
		err = dipb_git_packed_load(r);
	if (err != NULL) {
		dipb_tagsnap_free(s);
		return err;
	}
	/* The repository's mapping, taken: it maps the file again. */
	s->map = r->packed.map;
	s->len = r->packed.len;
	s->pk = r->packed.pk;
	s->st = r->packed.st;
	s->have = r->packed.have;
	memset(&r->packed, 0, sizeof(r->packed));
	*out = s;
	return NULL;
}

void
dipb_tagsnap_free(struct dipb_tagsnap *s)
{
	if (s == NULL)
		return;
	if (s->map != NULL)
		munmap(s->map, s->len);
	dipb_tagrefs_release(&s->loose);
	free(s);
}

/* One tag as dipb_tagsnap_each gives it. */
struct snap_ref {
	const char	*name;
	size_t		 len;
	const char	*hex;
	int		 packed;	/* hex is packed-refs' text */
};

static int
cmp_snap_ref(const void *a, const void *b)
{
	const struct snap_ref *x = a, *y = b;

	return dipb_bytes_cmp(x->name, x->len, y->name, y->len);
}

/* What dipb_tagsnap_each's scan of packed-refs carries. */
struct snap_walk {
	const struct dipb_tagsnap *s;
	size_t		 i;		/* the next loose tag to give */
	dipb_tag_fn	 fn;
	void		*arg;
	struct snap_ref	*all;		/* an unsorted file: every tag */
	size_t		 n;
	size_t		 cap;
};

static int
give_loose(struct snap_walk *w, const struct dipb_tagref *t)
{
	return w->fn(t->name, strlen(t->name),
	    t->target[0] != '\0' ? t->target : NULL, w->arg);
}

/* fn of a packed tag: its id lower case (dipb_git_hex_lower). */
static int
give_packed(dipb_tag_fn fn, const char *name, size_t len, const char *hex,
    void *arg)
{
	char id[GIT_OID_HEXSZ + 1];

	dipb_git_hex_lower(id, hex);
	return fn(name, len, id, arg);
}

/* A dipb_packed_fn: packed-refs' peeled line is not the tag object's word. */
static int
snap_packed(const char *ref, size_t len, const char *hex, const char *peeled,
    void *arg)
{
	struct snap_walk *w = arg;
	const size_t strip = strlen("refs/tags/");
	const char *name = ref + strip;
	const struct dipb_tagref *t;
	size_t n = len - strip, lo, hi, mid;
	int c, rc;

	(void)peeled;
	if (!name_valid(ref, len))
		return 0;
	if (w->s->pk.sorted) {
		/* Merged with the loose tags, which come first by name. */
		for (; w->i < w->s->loose.n; w->i++) {
			t = &w->s->loose.v[w->i];
			c = dipb_bytes_cmp(t->name, strlen(t->name), name, n);
			if (c > 0)
				break;
			if ((rc = give_loose(w, t)) != 0)
				return rc;
			if (c == 0) {
				w->i++;
				return 0;	/* the loose one wins */
			}
		}
		return give_packed(w->fn, name, n, hex, w->arg);
	}
	for (lo = 0, hi = w->s->loose.n; lo < hi; ) {
		mid = lo + (hi - lo) / 2;
		t = &w->s->loose.v[mid];
		c = dipb_bytes_cmp(t->name, strlen(t->name), name, n);
		if (c == 0)
			return 0;		/* the loose one wins */
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	xgrow((void **)&w->all, &w->cap, w->n + 1, sizeof(*w->all));
	w->all[w->n].name = name;
	w->all[w->n].len = n;
	w->all[w->n].packed = 1;
	w->all[w->n++].hex = hex;
	return 0;
}

/*
 * The pages of the mapping that a pass over every tag read, let go: a
 * whole replay reads packed-refs once (18 MB at 30,000 records) and then
 * only a line here and there, and the pages it keeps mapped count in its
 * resident size to the end.  Nothing is written to the mapping, so a page
 * read again is the file's, from the page cache.
 */
static void
drop_pages(const struct dipb_tagsnap *s)
{
	if (s->map != NULL)
		(void)madvise(s->map, s->len, MADV_DONTNEED);
}

const struct dipb_error *
dipb_tagsnap_each(const struct dipb_tagsnap *s, dipb_tag_fn fn, void *arg)
{
	struct snap_walk w = { s, 0, fn, arg, NULL, 0, 0 };
	const struct dipb_tagref *t;
	size_t i;
	int rc;

	rc = dipb_packed_each(&s->pk, "refs/tags/", strlen("refs/tags/"),
	    snap_packed, &w);
	if (rc == -1) {
		free(w.all);
		return dipb_git_packed_malformed(s->repo);
	}
	if (rc != 0 || s->pk.sorted) {
		for (; rc == 0 && w.i < s->loose.n; w.i++)
			rc = give_loose(&w, &s->loose.v[w.i]);
		free(w.all);
		drop_pages(s);
		return NULL;
	}
	/* An unsorted file (not git's): every tag, sorted here. */
	for (i = 0; i < s->loose.n; i++) {
		t = &s->loose.v[i];
		xgrow((void **)&w.all, &w.cap, w.n + 1, sizeof(*w.all));
		w.all[w.n].name = t->name;
		w.all[w.n].len = strlen(t->name);
		w.all[w.n].packed = 0;
		w.all[w.n++].hex = t->target[0] != '\0' ? t->target : NULL;
	}
	if (w.n > 1)
		qsort(w.all, w.n, sizeof(*w.all), cmp_snap_ref);
	for (i = 0; i < w.n && rc == 0; i++)
		rc = w.all[i].packed ? give_packed(fn, w.all[i].name,
		    w.all[i].len, w.all[i].hex, arg) : fn(w.all[i].name,
		    w.all[i].len, w.all[i].hex, arg);
	free(w.all);
	drop_pages(s);
	return NULL;
}

static void
fileid_of(struct dipb_fileid *out, const struct stat *st)
{
	memset(out, 0, sizeof(*out));
	out->have = 1;
	out->dev = (unsigned long long)st->st_dev;
	out->ino = (unsigned long long)st->st_ino;
	out->size = (unsigned long long)st->st_size;
	out->mtime_s = (long long)st->st_mtim.tv_sec;
	out->mtime_ns = (long long)st->st_mtim.tv_nsec;
	out->ctime_s = (long long)st->st_ctim.tv_sec;
	out->ctime_ns = (long long)st->st_ctim.tv_nsec;
}

void
dipb_tagsnap_fileid(struct dipb_fileid *out, const struct dipb_tagsnap *s)
{
	memset(out, 0, sizeof(*out));
	if (s->have)
		fileid_of(out, &s->st);
}

int
dipb_fileid_eq(const struct dipb_fileid *a, const struct dipb_fileid *b)
{
	if (!a->have || !b->have)
		return a->have == b->have;
	return a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
	    a->mtime_s == b->mtime_s && a->mtime_ns == b->mtime_ns &&
	    a->ctime_s == b->ctime_s && a->ctime_ns == b->ctime_ns;
}

/* Far above the kernel's tick of file times (1/HZ: 10 ms at most). */
#define SETTLED_NS	100000000LL

int
dipb_tagsnap_settled(const struct dipb_tagsnap *s)
{
	char *path = xasprintf("%spacked-refs",
	    git_repository_commondir(s->repo->git));
	struct timespec now;
	struct stat st;
	long long age;
	int rc;

	rc = stat(path, &st);
	free(path);
	if (!s->have)
		return rc == -1 && errno == ENOENT;
	if (rc == -1 || !dipb_git_same_stat(&st, &s->st) ||
	    clock_gettime(CLOCK_REALTIME, &now) == -1)
		return 0;
	age = ((long long)now.tv_sec - (long long)st.st_ctim.tv_sec) *
	    1000000000LL + ((long long)now.tv_nsec -
	    (long long)st.st_ctim.tv_nsec);
	return age >= SETTLED_NS;
}

const struct dipb_tagref *
dipb_tagsnap_loose(const struct dipb_tagsnap *s, size_t *n)
{
	*n = s->loose.n;
	return s->loose.v;
}

int
dipb_tagsnap_packed(char hex[DIPB_OID_HEX + 1],
    const struct dipb_tagsnap *s, const char *name, size_t len)
{
	struct dipb_buf full = DIPB_BUF_INIT;
	const char *at;
	int rc;

	dipb_buf_puts(&full, "refs/tags/");
	dipb_buf_put(&full, name, len);
	rc = dipb_packed_find(&at, NULL, &s->pk, full.ptr, full.len);
	dipb_buf_release(&full);
	hex[0] = '\0';
	if (rc == 1)
		dipb_git_hex_lower(hex, at);
	return rc;
}

/*
 * The prefix of the names of the replace refs git follows, allocated, as
 * git reads it: GIT_REPLACE_REF_BASE, even empty, else refs/replace/;
 * NULL when git follows none (GIT_NO_REPLACE_OBJECTS set,
 * core.useReplaceRefs false).  A prefix of names, not a folder: git takes
 * refs/alt/ID in under refs/al.
 */
static char *
replace_base(struct dipb_repo *r)
{
	const char *base = getenv("GIT_REPLACE_REF_BASE");
	int use = 1;

	if (getenv("GIT_NO_REPLACE_OBJECTS") != NULL)
		return NULL;
	/* a warning is no place to fail */
	dipb_error_free(dipb_git_repo_bool(&use, r, "core.usereplacerefs", 1));
	if (!use)
		return NULL;
	return xstrdup(base != NULL ? base : "refs/replace/");
}

/*
 * 1 when git follows ref name as a replace ref under base: the last
 * '/'-part of what follows base starts with an object id's 40 hex digits
 * of either case (git's register_replace_ref; git warns of the others,
 * "bad replace ref name", and ignores them).
 */
static int
replaces(const char *name, const char *base)
{
	size_t n = strlen(base);
	const char *last;

	if (strncmp(name, base, n) != 0)
		return 0;
	last = strrchr(name + n, '/');
	last = last != NULL ? last + 1 : name + n;
	return strspn(last, "0123456789abcdefABCDEF") >= DIPB_OID_HEX;
}

/*
 * The replace refs git follows under base into out, sorted by name: those
 * of refs/ (git looks nowhere else) in base's last folder, at any depth.
 */
static void
replace_refs(struct dipb_tagrefs *out, struct dipb_repo *r, const char *base)
{
	const char *slash = strrchr(base, '/');
	size_t n = strlen(base), i, k = 0;
	char *folder;

	if (strncmp(base, "refs/", n < 5 ? n : 5) != 0)
		return;
	folder = slash == NULL ? xstrdup("refs/") :
	    xstrndup(base, (size_t)(slash - base) + 1);
	/* a warning is no place to fail */
	dipb_error_free(dipb_git_folder_refs(out, NULL, NULL, r, folder, 0, 0,
	    1));
	free(folder);
	for (i = 0; i < out->n; i++) {
		if (replaces(out->v[i].name, base))
			out->v[k++] = out->v[i];
		else
			free(out->v[i].name);
	}
	out->n = k;
	dipb_git_tagrefs_sort(out->v, out->n);
}

void
dipb_repo_warn_replaced(struct dipb_repo *r)
{
	struct dipb_tagrefs l = { NULL, 0, 0 };
	struct stat st;
	char *msg, *base = replace_base(r);

	if (base != NULL)
		replace_refs(&l, r, base);
	if (l.n > 0) {
		msg = xasprintf("%zu replace ref%s (%s%s) make%s git log "
		    "and git show give this clone's history otherwise than "
		    "its objects as stored, which dipb verify proves "
		    "(dipb-git(7), \"Replacements\"): "
		    "GIT_NO_REPLACE_OBJECTS=1 git log shows them", l.n,
		    l.n == 1 ? "" : "s", l.v[0].name,
		    l.n == 1 ? "" : ", ...", l.n == 1 ? "s" : "");
		dipb_repo_warn(r, msg);
		free(msg);
	}
	free(base);
	dipb_tagrefs_release(&l);
	msg = xasprintf("%sinfo/grafts", git_repository_commondir(r->git));
	if (lstat(msg, &st) == 0) {
		free(msg);
		msg = xasprintf("%sinfo/grafts makes git log give commits "
		    "other parents than they store (dipb-git(7), "
		    "\"Replacements\")", git_repository_commondir(r->git));
		dipb_repo_warn(r, msg);
	}
	free(msg);
}

const struct dipb_error *
dipb_repo_ref_names(struct dipb_strlist *out, struct dipb_repo *r,
    const char *folder)
{
	const struct dipb_error *err;
	struct dipb_tagrefs l = { NULL, 0, 0 };
	size_t i;

	if (folder[0] == '\0' || folder[strlen(folder) - 1] != '/')
		return dipb_error_fmt(DIPB_ERR_INTERNAL, "not a ref folder: "
		    "'%s'", folder);
	err = dipb_git_folder_refs(&l, NULL, NULL, r, folder, strlen(folder), 0,
	    0);
	for (i = 0; i < l.n && err == NULL; i++)
		dipb_strlist_push(out, l.v[i].name);
	dipb_tagrefs_release(&l);
	return err;
}

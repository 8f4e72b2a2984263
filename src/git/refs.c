/*
 * git/refs.c - refs read (loose, then packed-refs) and written as git's
 * files backend writes them, with their reflogs; tag and record numbers.
 */
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <git2/sys/repository.h>

#include "internal.h"
#include "../board.h"
#include "packed.h"
#include "../error.h"
#include "../meeting.h"
#include "../record.h"
#include "../state.h"
#include "../text.h"
#include "../trailer.h"
#include "../util.h"

/* ---- refs ------------------------------------------------------- */

/*
 * The two ref updates of a change are made here as git's files backend
 * makes them: <ref>.lock created exclusively, the new id written to it,
 * the reflog appended while it is held, then renamed over the ref.
 * libgit2 would compare the name with every packed ref before each
 * update, 30 million instructions per update at 10,000 tags.
 */

/* ---- packed-refs, as bytes (packed.h) ---------------------------- */

/*
 * Every byte, with no branch a byte: 53,000 lines at 10,000 records.
 * Either case, as git's packed-refs reader (parse_oid_hex) takes it.
 */
static int
is_hex(const char *p, size_t n)
{
	static const unsigned char hex[256] = {
		['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1,
		['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
		['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1,
		['f'] = 1, ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1,
		['E'] = 1, ['F'] = 1
	};
	unsigned ok = 1;

	for (; n > 0; n--, p++)
		ok &= hex[(unsigned char)*p];
	return (int)ok;
}

void
dipb_packed_init(struct dipb_packed *pk, const char *data, size_t len)
{
	static const char hdr[] = "# pack-refs with:";
	const char *end, *nl, *p, *q;
	size_t hlen = sizeof(hdr) - 1;

	pk->data = data;
	pk->len = len;
	pk->start = 0;
	pk->sorted = 0;
	/* data may be NULL (packed.h): no arithmetic on it before this. */
	if (len < hlen || memcmp(data, hdr, hlen) != 0)
		return;
	end = data + len;
	if ((nl = memchr(data, '\n', len)) == NULL)
		nl = end;
	pk->start = nl < end ? (size_t)(nl + 1 - data) : len;
	/* The traits, separated by spaces: git looks for " sorted ". */
	for (p = data + hlen; p < nl; p = q) {
		while (p < nl && *p == ' ')
			p++;
		for (q = p; q < nl && *q != ' '; q++)
			continue;
		if (q - p == 6 && memcmp(p, "sorted", 6) == 0)
			pk->sorted = 1;
	}
}

/* The end of the line at p (its '\n', or end). */
static const char *
line_end(const char *p, const char *end)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));

	return nl != NULL ? nl : end;
}

/* The start of the line that holds p, not before begin. */
static const char *
line_start(const char *begin, const char *p)
{
	while (p > begin && p[-1] != '\n')
		p--;
	return p;
}

/*
 * The ref line at p, "<40 hex> <name>": its name, the next record's start
 * (past a "^" line) and its peeled id (NULL: none).  -1: malformed.
 */
static int
ref_record(const char **name, size_t *nlen, const char **peeled,
    const char **next, const char *p, const char *end)
{
	const char *e = line_end(p, end), *pe;

	if (e - p < DIPB_PACKED_HEX + 2 || p[DIPB_PACKED_HEX] != ' ' ||
	    !is_hex(p, DIPB_PACKED_HEX))
		return -1;
	*name = p + DIPB_PACKED_HEX + 1;
	*nlen = (size_t)(e - *name);
	*peeled = NULL;
	*next = e < end ? e + 1 : end;
	if (*next < end && **next == '^') {
		pe = line_end(*next, end);
		if (pe - *next != DIPB_PACKED_HEX + 1 ||
		    !is_hex(*next + 1, DIPB_PACKED_HEX))
			return -1;
		*peeled = *next + 1;
		*next = pe < end ? pe + 1 : end;
	}
	return 0;
}

/*
 * The first ref line whose name is not before the plen bytes of prefix
 * (in byte order; a name that starts with prefix is not before it), or
 * the end, in *at; -1: a malformed line on the way.  git's packed backend
 * (find_reference_location) searches a sorted file the same way, without
 * reading it: a line is found from any byte by going back to the '\n'
 * before it, and a "^" line belongs to the ref line above it.  lo and hi
 * stay at the start of a ref line (or the end).
 */
static int
lower_bound(const char **at, const struct dipb_packed *pk,
    const char *prefix, size_t plen)
{
	const char *end = pk->data + pk->len, *lo = pk->data + pk->start;
	const char *hi = end, *mid, *name, *peeled, *next;
	size_t n;
	int c;

	while (lo < hi) {
		mid = line_start(lo, lo + (hi - lo) / 2);
		if (*mid == '^' && mid > lo)
			mid = line_start(lo, mid - 1);
		if (ref_record(&name, &n, &peeled, &next, mid, end) < 0)
			return -1;
		c = memcmp(name, prefix, n < plen ? n : plen);
		if (c < 0 || (c == 0 && n < plen))
			lo = next;		/* before the prefix's refs */
		else
			hi = mid;
	}
	*at = lo;
	return 0;
}

int
dipb_packed_each(const struct dipb_packed *pk, const char *prefix,
    size_t plen, dipb_packed_fn fn, void *arg)
{
	const char *end, *p, *name, *peeled, *next;
	int sorted = pk->sorted && plen > 0, rc;
	size_t n;

	/* No packed-refs: data is NULL, and NULL + 0 is undefined in C. */
	if (pk->len == 0)
		return 0;
	end = pk->data + pk->len;
	p = pk->data + pk->start;
	if (sorted && lower_bound(&p, pk, prefix, plen) < 0)
		return -1;
	for (; p < end; p = next) {
		if (ref_record(&name, &n, &peeled, &next, p, end) < 0)
			return -1;
		if (n >= plen && memcmp(name, prefix, plen) == 0) {
			if ((rc = fn(name, n, p, peeled, arg)) != 0)
				return rc;
		} else if (sorted)
			break;			/* past them */
	}
	return 0;
}

int
dipb_packed_find(const char **hex, const char **peeled,
    const struct dipb_packed *pk, const char *name, size_t len)
{
	const char *end, *p, *ref, *pl, *next;
	size_t n;

	*hex = NULL;
	if (peeled != NULL)
		*peeled = NULL;
	if (pk->len == 0)
		return 0;
	end = pk->data + pk->len;
	p = pk->data + pk->start;
	if (pk->sorted && lower_bound(&p, pk, name, len) < 0)
		return -1;
	for (; p < end; p = next) {
		if (ref_record(&ref, &n, &pl, &next, p, end) < 0)
			return -1;
		if (n == len && memcmp(ref, name, len) == 0) {
			*hex = p;
			if (peeled != NULL)
				*peeled = pl;
			return 1;
		}
		if (pk->sorted)
			break;		/* the first at or after it is not it */
	}
	return 0;
}

/*
 * The 40 hex digits at hex, lower case, into out with a NUL: an id of
 * packed-refs, which may hold capitals (packed.h), as git writes it and
 * as the rest of dipb compares it.  Every id leaves this file so.
 */
static void
hex_lower(char out[GIT_OID_HEXSZ + 1], const char *hex)
{
	size_t i;

	for (i = 0; i < GIT_OID_HEXSZ; i++)
		out[i] = hex[i] >= 'A' && hex[i] <= 'F' ?
		    (char)(hex[i] - 'A' + 'a') : hex[i];
	out[GIT_OID_HEXSZ] = '\0';
}

/* ---- packed-refs, as this command reads it ----------------------- */

/*
 * packed-refs is mapped once and kept while its stat data stay the same
 * (git's stat_validity_check): every lookup costs a stat(2), and a file
 * that git pack-refs or git tag -d has replaced meanwhile is mapped
 * again.  The mapping kept holds the old file's inode, so a new file is
 * never mistaken for it.  Lookups read the loose refs first, then
 * packed-refs, as git's files backend does: a git pack-refs --prune that
 * moves a ref from the one to the other in between is seen in either.
 */
int
dipb_git_same_stat(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino &&
	    a->st_size == b->st_size &&
	    a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
	    a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
	    a->st_ctim.tv_sec == b->st_ctim.tv_sec &&
	    a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

void
dipb_git_packed_release(struct dipb_repo *r)
{
	struct dipb_git_packed_refs *p = &r->packed;

	if (p->map != NULL)
		munmap(p->map, p->len);
	memset(p, 0, sizeof(*p));
}

/* r->packed.pk: packed-refs as it is now (empty when there is none). */
static const struct dipb_error *
packed_load(struct dipb_repo *r)
{
	struct dipb_git_packed_refs *p = &r->packed;
	char *path = xasprintf("%spacked-refs",
	    git_repository_commondir(r->git));
	const struct dipb_error *err = NULL;
	struct stat st;
	void *map;
	int fd = -1;

	if (stat(path, &st) == -1) {
		if (errno != ENOENT)
			err = dipb_error_from_errno("%s", path);
		else if (!p->loaded || p->have) {
			dipb_git_packed_release(r);
			p->loaded = 1;
		}
		goto done;
	}
	if (p->loaded && p->have && dipb_git_same_stat(&st, &p->st))
		goto done;
	/* Never a FIFO, whose open(2) waits for a writer (git's too). */
	if ((fd = dipb_open_regular(path, 0, &st)) == -2) {
		fd = -1;
		err = dipb_error_fmt(DIPB_ERR_IO, "%s: not a regular file",
		    path);
		goto done;
	}
	if (fd == -1) {
		if (errno != ENOENT)
			err = dipb_error_from_errno("%s", path);
		else {
			dipb_git_packed_release(r);
			p->loaded = 1;
		}
		goto done;
	}
	map = NULL;
	if (st.st_size > 0 && (map = mmap(NULL, (size_t)st.st_size, PROT_READ,
	    MAP_PRIVATE, fd, 0)) == MAP_FAILED) {
		err = dipb_error_from_errno("%s", path);
		goto done;
	}
	dipb_git_packed_release(r);
	p->map = map;
	p->len = (size_t)st.st_size;
	p->st = st;
	p->have = p->loaded = 1;
	dipb_packed_init(&p->pk, p->map, p->len);
done:
	if (fd != -1)
		close(fd);
	free(path);
	return err;
}

static const struct dipb_error *
packed_malformed(struct dipb_repo *r)
{
	return dipb_error_fmt(DIPB_ERR_CORRUPT,
	    "malformed packed-refs: '%spacked-refs'",
	    git_repository_commondir(r->git));
}

/*
 * fn for each packed ref whose name starts with prefix (see
 * dipb_packed_each); fn's nonzero result stops it.
 */
static const struct dipb_error *
packed_each(struct dipb_repo *r, const char *prefix, dipb_packed_fn fn,
    void *arg)
{
	const struct dipb_error *err;

	if ((err = packed_load(r)) != NULL)
		return err;
	if (dipb_packed_each(&r->packed.pk, prefix, strlen(prefix), fn,
	    arg) == -1)
		return packed_malformed(r);
	return NULL;
}

/* The id of name in packed-refs: *found 0 when it is not there. */
static const struct dipb_error *
packed_lookup(git_oid *out, int *found, struct dipb_repo *r, const char *name)
{
	const struct dipb_error *err;
	const char *hex;
	int rc;

	*found = 0;
	if ((err = packed_load(r)) != NULL)
		return err;
	rc = dipb_packed_find(&hex, NULL, &r->packed.pk, name, strlen(name));
	if (rc == 1 && git_oid_fromstrn(out, hex, GIT_OID_HEXSZ) == 0)
		*found = 1;
	else if (rc != 0)
		return packed_malformed(r);
	return NULL;
}

static int
any_ref(const char *ref, size_t len, const char *hex, const char *peeled,
    void *arg)
{
	(void)ref;
	(void)len;
	(void)hex;
	(void)peeled;
	*(int *)arg = 1;
	return 1;
}

/* Whether a packed ref is inside the folder name ("<name>/..."). */
static const struct dipb_error *
packed_inside(int *found, struct dipb_repo *r, const char *name)
{
	const struct dipb_error *err;
	char *folder = xasprintf("%s/", name);

	*found = 0;
	err = packed_each(r, folder, any_ref, found);
	free(folder);
	return err;
}

/*
 * Whether a packed ref stands in name's way: one named as a folder of
 * name (refs/tags/IC-0001 for refs/tags/IC-0001/1-drafted), or one
 * inside it.  Each is one lookup.
 */
static const struct dipb_error *
packed_conflict(int *conflict, struct dipb_repo *r, const char *name)
{
	const struct dipb_error *err = NULL;
	char *n = xstrdup(name), *p;
	git_oid id;

	*conflict = 0;
	for (p = strchr(n, '/'); err == NULL && !*conflict && p != NULL;
	    p = strchr(p + 1, '/')) {
		*p = '\0';
		if (p - n > 5)		/* past "refs/" */
			err = packed_lookup(&id, conflict, r, n);
		*p = '/';
	}
	if (err == NULL && !*conflict)
		err = packed_inside(conflict, r, name);
	free(n);
	return err;
}

/* What a loose ref's file holds. */
enum loose { LOOSE_NONE, LOOSE_PLAIN, LOOSE_OTHER, LOOSE_FOLDER };

/*
 * The loose ref name: LOOSE_PLAIN with its id, LOOSE_OTHER when its file
 * is no plain ref (symbolic or malformed), LOOSE_FOLDER when a folder is
 * there or a file stands where a folder of its path must be.
 */
static const struct dipb_error *
loose_read(git_oid *out, enum loose *what, struct dipb_repo *r,
    const char *name)
{
	const struct dipb_error *err = NULL;
	struct dipb_buf b = DIPB_BUF_INIT;
	char *path = xasprintf("%s%s", git_repository_commondir(r->git), name);
	struct stat st;

	*what = LOOSE_NONE;
	if (lstat(path, &st) == -1) {
		if (errno == ENOTDIR)
			*what = LOOSE_FOLDER;
		else if (errno != ENOENT)
			err = dipb_error_from_errno("%s", path);
		goto done;
	}
	if (S_ISDIR(st.st_mode)) {
		*what = LOOSE_FOLDER;
		goto done;
	}
	if ((err = dipb_read_regular(&b, path, 0, 4096)) != NULL) {
		/*
		 * Longer than a ref git writes: libgit2 reads it whole (or
		 * says it is broken).  Gone since the lstat: deleted by git
		 * tag -d or packed by git pack-refs meanwhile, as if the
		 * lstat had not found it.
		 */
		if (err->code == DIPB_ERR_TOO_LARGE)
			*what = LOOSE_OTHER;
		else if (lstat(path, &st) == -1 && errno == ENOENT)
			*what = LOOSE_NONE;
		else
			goto done;
		dipb_error_free(err);
		err = NULL;
		goto done;
	}
	/* As git's parse_loose_ref_contents: any blank may follow. */
	if (b.len < GIT_OID_HEXSZ || (b.len > GIT_OID_HEXSZ &&
	    !isspace((unsigned char)b.ptr[GIT_OID_HEXSZ])) ||
	    git_oid_fromstrn(out, b.ptr, GIT_OID_HEXSZ) < 0)
		*what = LOOSE_OTHER;
	else
		*what = LOOSE_PLAIN;
done:
	free(path);
	dipb_buf_release(&b);
	return err;
}

/*
 * The id name holds, loose or packed; *found 0 when it does not exist;
 * *conflict when a ref stands in its way (see packed_conflict), or a
 * folder or file in the way of its loose file.
 */
static const struct dipb_error *
read_ref(git_oid *out, int *found, int *conflict, struct dipb_repo *r,
    const char *name)
{
	const struct dipb_error *err;
	enum loose what;

	memset(out, 0, sizeof(*out));
	*found = 0;
	/* The loose ref first, then packed-refs, as git reads them. */
	if ((err = loose_read(out, &what, r, name)) != NULL ||
	    (err = packed_conflict(conflict, r, name)) != NULL)
		return err;
	switch (what) {
	case LOOSE_PLAIN:
		*found = 1;	/* a loose ref wins over a packed one */
		return NULL;
	case LOOSE_OTHER:
		return dipb_error_fmt(DIPB_ERR_CORRUPT,
		    "not a plain ref (symbolic or malformed): '%s'", name);
	case LOOSE_FOLDER:
		*conflict = 1;
		return NULL;
	case LOOSE_NONE:
		break;
	}
	return packed_lookup(out, found, r, name);
}

/* What libgit2 said of the ref name it could not read, as DIPB_ERR_CORRUPT. */
static const struct dipb_error *
broken_ref(const char *name)
{
	const struct dipb_error *err, *git;

	git = dipb_error_from_git("cannot read '%s'", name);
	err = dipb_error_fmt(DIPB_ERR_CORRUPT, "%s", git->msg);
	dipb_error_free(git);
	return err;
}

const struct dipb_error *
dipb_git_ref_read(git_oid *out, int *found, struct dipb_repo *r,
    const char *name)
{
	const struct dipb_error *err;
	enum loose what;
	int rc, valid = 0;

	memset(out, 0, sizeof(*out));
	*found = 0;
	/* A name git would refuse (HEAD may name one) goes to libgit2. */
	if (git_reference_name_is_valid(&valid, name) < 0 || !valid)
		what = LOOSE_OTHER;
	else if ((err = loose_read(out, &what, r, name)) != NULL)
		return err;
	if (what == LOOSE_PLAIN) {
		*found = 1;
		return NULL;
	}
	if (what == LOOSE_NONE || what == LOOSE_FOLDER)
		return packed_lookup(out, found, r, name);
	/* A symbolic ref: libgit2 follows it (or says what is wrong). */
	if ((rc = git_reference_name_to_id(out, r->git, name)) == 0)
		*found = 1;
	else if (rc == GIT_ENOTFOUND)
		git_error_clear();
	else if (dipb_git_failed_system())
		return dipb_error_from_git("cannot read '%s'", name);
	else
		return broken_ref(name);
	return NULL;
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

/* The git dir of name's log: HEAD's is the worktree's own, the rest shared. */
static const char *
reflog_dir(struct dipb_repo *r, const char *name)
{
	return strcmp(name, "HEAD") == 0 ? r->gitdir :
	    git_repository_commondir(r->git);
}

/* The refusal of a log that is no file to read or append to, exit 5. */
static const struct dipb_error *
reflog_not_regular(const char *path)
{
	return dipb_error_fmt(DIPB_ERR_IO, "%s: not a regular file", path);
}

const struct dipb_error *
dipb_git_reflog_read(git_reflog **out, struct dipb_repo *r, const char *name)
{
	const struct dipb_error *err = NULL;
	char *path = xasprintf("%slogs/%s", reflog_dir(r, name), name);
	struct stat st;
	int rc;

	/*
	 * libgit2 opens the log without O_NONBLOCK, and would wait on a FIFO
	 * for ever: one stat, where libgit2 opens it anyway.  A socket fails
	 * its open(2) (ENXIO), a device (/dev/null) reads as no entry.  A
	 * missing log, which libgit2 reads as an empty one, is none.
	 */
	rc = stat(path, &st);
	*out = NULL;
	if (rc == 0 && S_ISFIFO(st.st_mode))
		err = reflog_not_regular(path);
	else if ((rc == 0 || errno != ENOENT) &&
	    git_reflog_read(out, r->git, name) < 0) {
		git_error_clear();
		*out = NULL;
	}
	free(path);
	return err;
}

/*
 * A reflog opened to append to: fd -1 when none is kept; reg 0 for a
 * character device (/dev/null), which fsync(2) refuses (EINVAL).
 */
struct reflog {
	int fd;
	int reg;
	char *path;
};

#define REFLOG_INIT { -1, 0, NULL }

/*
 * A descriptor of the log at path to append to; *made: dipb made it just
 * now (O_EXCL, never through a link at its place), or, -1 returned, the
 * making of it failed.  Never a FIFO, whose
 * open(2) waits for a reader: O_NONBLOCK makes it fail (ENXIO) or open,
 * and the caller refuses it either way, as a socket (ENXIO).  One in
 * place is opened as it is: a character device (/dev/null) or a symbolic
 * link's target is appended to, as git does.
 */
static int
reflog_fd(int *made, const char *path)
{
	int flags = O_WRONLY | O_APPEND | O_NONBLOCK | O_CLOEXEC;
	int fd, i;

	/* Made, or found: a log removed between the two opens, again. */
	for (i = 0; i < 3; i++) {
		*made = 1;
		fd = open(path, flags | O_CREAT | O_EXCL | O_NOFOLLOW, 0666);
		if (fd != -1 || errno != EEXIST)
			return fd;
		*made = 0;
		if ((fd = open(path, flags)) != -1 || errno != ENOENT)
			return fd;
	}
	return -1;
}

/*
 * A log dipb may not append to or make (made: reflog_fd's): one, or the
 * folder that would hold a new one, made before core.sharedRepository
 * was set keeps the mode it had, which dipb never widens; a symbolic
 * link to nothing is named, where git would make its target
 * (dipb-git(7)).  What to give it is said only when the setting lets
 * the group (or all) write: one that does not (0640) is refused so.
 */
static const struct dipb_error *
reflog_refused(const struct dipb_repo *r, const char *path, int made)
{
	const struct dipb_error *err;
	struct stat st;
	mode_t m = dipb_git_perm_mode(r, 0600);
	const char *who = (m & S_IWOTH) != 0 ? "a" : "g";
	char *dir;
	int e = errno;

	if (e == ENOENT && !made && lstat(path, &st) == 0 &&
	    S_ISLNK(st.st_mode))
		return dipb_error_fmt(DIPB_ERR_IO, "%s: a symbolic link to "
		    "nothing: remove it, then retry", path);
	errno = e;
	if (e != EACCES || !dipb_git_perm_shared(r) ||
	    (m & (S_IWGRP | S_IWOTH)) == 0)
		return dipb_error_from_errno("%s", path);
	if (!made)
		return dipb_error_fmt(DIPB_ERR_IO, "%s: %s: a log made before "
		    "core.sharedRepository was set keeps its mode, which dipb "
		    "never changes; its owner or an administrator gives it the "
		    "group's (chmod %s+w), then retry", path, strerror(e), who);
	dir = xstrndup(path, (size_t)(strrchr(path, '/') - path));
	err = dipb_error_fmt(DIPB_ERR_IO, "%s: %s: a folder made before "
	    "core.sharedRepository was set keeps its mode, which dipb never "
	    "changes; its owner or an administrator gives it the group's "
	    "(chmod %s+w%s), then retry", dir, strerror(e), who,
	    who[0] == 'g' ? "s" : ",g+s");
	free(dir);
	return err;
}

/*
 * Opens name's reflog to append to, made if it should be (should_log),
 * nothing written yet: a change opens every log it writes before it
 * writes any, so that one refused leaves no entry in another.
 */
static const struct dipb_error *
reflog_open(struct reflog *log, struct dipb_repo *r, const char *name)
{
	const struct dipb_error *err;
	const char *dir;
	struct stat st;
	int made;

	dir = reflog_dir(r, name);
	log->path = xasprintf("%slogs/%s", dir, name);
	if (!should_log(r, name, log->path))
		return NULL;
	/*
	 * Its folders made from the git dir it is in: a linked worktree's
	 * is longer than the common one, whose logs/ a bare repository
	 * with worktrees (git clone --bare, git worktree add) lacks.
	 */
	if ((err = dipb_git_make_dirs(NULL, r, log->path, strlen(dir), 0)) !=
	    NULL)
		return err;
	if ((log->fd = reflog_fd(&made, log->path)) == -1 && errno != ENXIO)
		return reflog_refused(r, log->path, made);
	if (log->fd != -1 && fstat(log->fd, &st) == -1)
		return dipb_error_from_errno("%s", log->path);
	if (log->fd == -1 || S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode))
		return reflog_not_regular(log->path);
	log->reg = S_ISREG(st.st_mode);
	/*
	 * The log dipb has just made (O_EXCL) in core.sharedRepository's
	 * mode, as git gives it (another log refused after it, it is left
	 * so); one found in place keeps its mode, whoever's it is and
	 * whatever another member who can write the git dir put there (a
	 * link, another's file moved in): dipb-git(7).
	 */
	if (made)
		dipb_error_free(dipb_git_perm_fix(r, log->path, log->fd));
	return NULL;
}

/* Appends "<old> <new> <who> <time> <tz>\t<msg>" to an opened reflog. */
static const struct dipb_error *
reflog_append(struct dipb_repo *r, const struct reflog *log,
    const git_oid *old, const git_oid *new, const struct dipb_identity *who,
    const char *msg)
{
	const struct dipb_error *err;
	struct dipb_buf line = DIPB_BUF_INIT;
	char h1[GIT_OID_HEXSZ + 1], h2[GIT_OID_HEXSZ + 1];
	int off = who->offset < 0 ? -who->offset : who->offset;

	if (log->fd == -1)
		return NULL;
	dipb_buf_printf(&line, "%s %s %s <%s> %lld %c%02d%02d\t%s\n",
	    git_oid_tostr(h1, sizeof(h1), old), git_oid_tostr(h2, sizeof(h2),
	    new), who->name, who->email, (long long)who->time,
	    who->offset < 0 ? '-' : '+', off / 60, off % 60, msg);
	err = dipb_write_all(log->fd, log->path, line.ptr, line.len,
	    r->fsync && log->reg);
	dipb_buf_release(&line);
	return err;
}

/* Closes an opened reflog; err, or close(2)'s failure if none. */
static const struct dipb_error *
reflog_close(struct reflog *log, const struct dipb_error *err)
{
	if (log->fd != -1 && close(log->fd) == -1 && err == NULL)
		err = dipb_error_from_errno("%s", log->path);
	free(log->path);
	*log = (struct reflog)REFLOG_INIT;
	return err;
}

/*
 * The ref that stands in the way of name: one named as a folder of name
 * (refs/tags/IC-0001 for refs/tags/IC-0001/1-drafted), loose or packed,
 * or one inside it.
 */
static const struct dipb_error *
clash(struct dipb_repo *r, const char *name)
{
	const struct dipb_error *err = NULL;
	git_reference_iterator *it = NULL;
	git_reference *ref;
	const char *other, *what = NULL;
	char *n = xstrdup(name), *p;
	size_t len = strlen(name);

	/* A folder of name, named as a ref? */
	for (p = n + 5; what == NULL && (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		if (git_reference_lookup(&ref, r->git, n) == 0) {
			git_reference_free(ref);
			what = n;
		}
		git_error_clear();
		if (what == NULL)
			*p = '/';
	}
	/* A ref inside name? */
	if (what == NULL && git_reference_iterator_glob_new(&it, r->git,
	    "refs/*") == 0)
		while (what == NULL && git_reference_next(&ref, it) == 0) {
			other = git_reference_name(ref);
			if (strncmp(other, name, len) == 0 &&
			    other[len] == '/') {
				free(n);
				n = xstrdup(other);
				what = n;
			}
			git_reference_free(ref);
		}
	git_reference_iterator_free(it);
	git_error_clear();
	if (what != NULL) {
		char *q = dipb_sh_quote(what);

		err = dipb_error_fmt(DIPB_ERR_GIT, "the ref '%s' clashes "
		    "with '%s', which dipb must write: rename or delete it "
		    "(git update-ref -d %s) and retry", what, name, q);
		free(q);
	} else
		err = dipb_error_fmt(DIPB_ERR_GIT, "a file or folder in "
		    "the way of the ref '%s' (in %s): remove it and retry",
		    name, git_repository_commondir(r->git));
	free(n);
	return err;
}

/*
 * Sets ref name to id if it holds expect (zero: if it does not exist),
 * logging msg (NULL: no reflog entry; with HEAD's too when HEAD is on
 * this branch, both logs opened before either is written, so that one
 * refused leaves the other as it was).  *moved is 0 when the ref held
 * something else; nothing is written then, nor when another writer
 * holds its lock or another ref clashes with it (errors).
 */
const struct dipb_error *
dipb_git_update_ref(int *moved, struct dipb_repo *r, const char *name,
    const git_oid *id, const git_oid *expect, const struct dipb_identity *who,
    const char *msg)
{
	const struct dipb_error *err = NULL;
	const char *common = git_repository_commondir(r->git);
	struct dipb_git_lockfile lf = DIPB_GIT_LOCKFILE_INIT;
	struct reflog log = REFLOG_INIT, head_log = REFLOG_INIT;
	char *path = xasprintf("%s%s", common, name);
	char hex[GIT_OID_HEXSZ + 2];
	git_oid cur;
	int found, conflict = 0, blocked;

	*moved = 0;
	if ((err = dipb_git_make_dirs(&blocked, r, path, strlen(common), 0)) !=
	    NULL)
		goto done;
	if (blocked) {
		err = clash(r, name);
		goto done;
	}
	/*
	 * Waited for (--retry), as before the change: git holds a ref's lock
	 * a moment without moving it (git gc's reflog expire), and a writer
	 * that did move it is caught below, expect no longer there.
	 */
	if ((err = dipb_git_lock_hold(&lf, r, path, r->retries)) != NULL)
		goto done;
	if ((err = read_ref(&cur, &found, &conflict, r, name)) != NULL)
		goto done;
	if (conflict) {
		err = clash(r, name);
		goto done;
	}
	if (git_oid_is_zero(expect) ? found :
	    !found || !git_oid_equal(&cur, expect))
		goto done;
	git_oid_tostr(hex, sizeof(hex) - 1, id);
	hex[GIT_OID_HEXSZ] = '\n';
	if ((err = dipb_git_lock_write(&lf, hex, GIT_OID_HEXSZ + 1,
	    r->fsync)) != NULL)
		goto done;
	if (msg != NULL &&
	    ((err = reflog_open(&log, r, name)) != NULL ||
	    (strcmp(name, r->branch_ref) == 0 &&
	    (err = reflog_open(&head_log, r, "HEAD")) != NULL) ||
	    (err = reflog_append(r, &log, expect, id, who, msg)) != NULL ||
	    (err = reflog_append(r, &head_log, expect, id, who, msg)) != NULL))
		goto done;
	if ((err = reflog_close(&head_log, reflog_close(&log, NULL))) != NULL)
		goto done;
	if ((err = dipb_git_lock_commit(&lf)) != NULL)
		goto done;
	/*
	 * The ref holds id from here on, for every reader: a folder that
	 * cannot be synced to disk after the rename is no ref unwritten,
	 * and is said, not undone (an undo would leave a tag without its
	 * commit on the branch, or a branch without its tag).
	 */
	*moved = 1;
	if (r->fsync && dipb_fsync_dir_of(path) == -1)
		dipb_git_warn(r, "%s: its folder cannot be synced to disk "
		    "(%s): the ref is written, but a crash of the system "
		    "could lose it", path, strerror(errno));
done:
	err = reflog_close(&head_log, reflog_close(&log, err));
	dipb_git_lock_rollback(&lf);
	free(path);
	return err;
}

/*
 * libgit2's refs read afresh: a git_reference_remove that failed to
 * write packed-refs has dropped the ref from libgit2's copy of it, which
 * is not read again while the file stays as it was (libgit2 1.5), so
 * every later lookup of this process would miss a ref that is there.
 */
static void
refdb_reload(struct dipb_repo *r)
{
	git_refdb *db;

	if (git_refdb_open(&db, r->git) == 0) {
		git_repository_set_refdb(r->git, db);
		git_refdb_free(db);
	}
	git_error_clear();
}

/*
 * Why git_reference_remove (rc) failed to delete name (packed or not):
 * a lock another program took after dipb_git_delete_ref looked (git
 * pack-refs, git gc, git tag -d), libgit2's GIT_ELOCKED, is named as that
 * check names it (DIPB_ERR_BUSY): packed-refs' when the ref is packed and
 * its own lock is not there (libgit2 takes that one first), else its own.
 * Anything else is said in libgit2's words, whatever lock lies about.
 */
static const struct dipb_error *
delete_failed(struct dipb_repo *r, const char *name, int packed, int rc)
{
	const struct dipb_error *err;
	const char *common = git_repository_commondir(r->git);
	char *lock = xasprintf("%s%s.lock", common, name);
	char *plock = xasprintf("%spacked-refs.lock", common);

	if (rc != GIT_ELOCKED)
		err = dipb_error_from_git("cannot delete '%s'", name);
	else if (packed && access(lock, F_OK) == -1)
		err = dipb_git_lock_busy(r, plock);
	else
		err = dipb_git_lock_busy(r, lock);
	git_error_clear();
	free(lock);
	free(plock);
	return err;
}

/*
 * Deletes ref name.  Another program's lock on it is waited for as
 * dipb_git_update_ref waits, then refused naming it (DIPB_ERR_BUSY,
 * dipb_git_lock_busy), not left to libgit2's "failed to lock file"; so
 * is one on packed-refs when the ref is packed, which is deleted by
 * writing packed-refs again under that lock (git tag -d fails on it too),
 * and one taken after the wait (delete_failed).
 */
const struct dipb_error *
dipb_git_delete_ref(struct dipb_repo *r, const char *name)
{
	const struct dipb_error *err;
	git_oid id;
	int packed, rc;

	if ((err = dipb_git_check_ref_lock(r, name)) != NULL ||
	    (err = packed_lookup(&id, &packed, r, name)) != NULL ||
	    (packed && (err = dipb_git_check_ref_lock(r, "packed-refs")) !=
	    NULL))
		return err;
	if ((rc = git_reference_remove(r->git, name)) < 0) {
		err = delete_failed(r, name, packed, rc);
		refdb_reload(r);
		return err;
	}
	return NULL;
}

const struct dipb_error *
dipb_git_update_refs(struct dipb_repo *r, const struct jref *j, size_t n,
    const char *fault)
{
	const struct dipb_error *err = NULL;
	const char *common = git_repository_commondir(r->git);
	struct dipb_git_lockfile *lf = xcalloc(n + 1, sizeof(*lf));
	char hex[GIT_OID_HEXSZ + 2], *path;
	size_t i, renamed = 0;
	git_oid cur;
	int found, conflict, blocked;

	for (i = 0; i < n; i++)
		lf[i].fd = -1;
	/* 1. Every lock made and written, nothing renamed yet. */
	for (i = 0; i < n && err == NULL; i++) {
		if (git_oid_is_zero(&j[i].new))
			continue;
		path = xasprintf("%s%s", common, j[i].name);
		conflict = 0;
		if ((err = dipb_git_make_dirs(&blocked, r, path,
		    strlen(common), 0)) == NULL && blocked)
			err = clash(r, j[i].name);
		if (err == NULL)	/* waited for, as dipb_git_update_ref */
			err = dipb_git_lock_hold(&lf[i], r, path, r->retries);
		free(path);
		if (err != NULL || (err = read_ref(&cur, &found, &conflict, r,
		    j[i].name)) != NULL)
			break;
		if (conflict) {
			err = clash(r, j[i].name);
			break;
		}
		if (found && git_oid_equal(&cur, &j[i].new)) {
			dipb_git_lock_rollback(&lf[i]);	/* there already */
			continue;
		}
		if (git_oid_is_zero(&j[i].old) ? found : !found ||
		    !git_oid_equal(&cur, &j[i].old)) {
			err = dipb_error_fmt(DIPB_ERR_BUSY, "repository busy, "
			    "retry ('%s' moved during the sync)", j[i].name);
			break;
		}
		git_oid_tostr(hex, sizeof(hex) - 1, &j[i].new);
		hex[GIT_OID_HEXSZ] = '\n';
		err = dipb_git_lock_write(&lf[i], hex, GIT_OID_HEXSZ + 1, 0);
	}
	/* 2. Their content on disk, then their names. */
	if (err == NULL && r->fsync)
		err = dipb_git_flush(r);
	for (i = 0; i < n && err == NULL; i++) {
		if (!lf[i].held)
			continue;
		if ((err = dipb_git_lock_commit(&lf[i])) == NULL &&
		    renamed++ == 0 && fault != NULL)
			dipb_git_fault(fault);
	}
	if (err == NULL && renamed > 0 && r->fsync)
		err = dipb_git_flush(r);
	for (i = 0; i < n; i++)
		dipb_git_lock_rollback(&lf[i]);
	free(lf);
	return err;
}


/* ---- the refs of a folder --------------------------------------- */

/*
 * What one listing of folder_refs gathers: the refs as dipb_tagrefs
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
	hex_lower(t->target, hex);
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
static const struct dipb_error *
folder_refs(struct dipb_tagrefs *out, size_t *nloose, const char **plain,
    struct dipb_repo *r, const char *folder, size_t strip, int ids, int deep)
{
	const struct dipb_error *err;
	struct folder_list l = { out, out->n, 0, strlen(folder), strip, deep,
	    ids, 0 };
	struct dipb_buf full = DIPB_BUF_INIT;
	char *own = xstrndup(folder, l.flen - 1);
	enum loose what = LOOSE_NONE;
	git_oid id;
	int found = 0;

	/* The loose refs first, then packed-refs, as git reads them. */
	dipb_buf_puts(&full, folder);
	/* With none, out->v may be NULL, and NULL + 0 is undefined in C. */
	if ((err = loose_walk(&l, r, &full)) == NULL && l.nloose > 0)
		dipb_git_tagrefs_sort(out->v + l.first, l.nloose);
	if (err != NULL ||
	    (plain != NULL && (err = loose_read(&id, &what, r, own)) != NULL) ||
	    (plain != NULL && (err = packed_lookup(&id, &found, r, own)) !=
	    NULL) ||
	    (err = packed_each(r, folder, packed_add, &l)) != NULL)
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
		err = folder_refs(out, NULL, NULL, r, full,
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

	if ((err = packed_load(r)) != NULL)
		return err;
	if (r->packed.len / 84 > 0)
		xgrow((void **)&out->v, &out->cap, out->n +
		    r->packed.len / 84, sizeof(*out->v));
	return folder_refs(out, NULL, NULL, r, "refs/tags/",
	    strlen("refs/tags/"), 1, 1);
}

const struct dipb_error *
dipb_git_refs_in(struct dipb_tagrefs *out, size_t *nloose,
    struct dipb_repo *r, const char *folder)
{
	return folder_refs(out, nloose, NULL, r, folder, strlen(folder), 1,
	    1);
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
		err = packed_load(r);
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

/* fn of a packed tag: its id lower case (hex_lower). */
static int
give_packed(dipb_tag_fn fn, const char *name, size_t len, const char *hex,
    void *arg)
{
	char id[GIT_OID_HEXSZ + 1];

	hex_lower(id, hex);
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
		return packed_malformed(s->repo);
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
		hex_lower(hex, at);
	return rc;
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
	err = folder_refs(&l, NULL, NULL, r, folder, strlen(folder), 0, 0);
	for (i = 0; i < l.n && err == NULL; i++)
		dipb_strlist_push(out, l.v[i].name);
	dipb_tagrefs_release(&l);
	return err;
}

/*
 * The N of the next tag of record: one more than the highest N of its
 * tags, its changes so far.  Not their count: a tag made by hand beside
 * a change's own (IC-0001/2-edited beside IC-0001/2-review-requested,
 * which dipb verify reports as tag-extra) would have the next change
 * numbered past a gap, for good, and verify report it too (tag-number).
 * Only the tags of dipb's form count (dipb_tag_suffix), those verify
 * judges: one of another (IC-0001/-1-edited, IC-0001/20000000000-edited)
 * is none of the record's changes (dipb-git(7), "Tags of another form").
 */
const struct dipb_error *
dipb_git_next_tag_number(unsigned long *out, struct dipb_repo *r,
    const struct dipb_board *board, const char *record, int sign)
{
	const struct dipb_error *err = NULL;
	struct dipb_tagrefs l = { NULL, 0, 0 };
	char *prefix = xasprintf("refs/tags/%s/", record);
	const char *plain = NULL;
	size_t i, ev;
	unsigned long max = 0, v;

	/* The first step of a change: its checks come first. */
	if ((err = dipb_git_check_locks(r)) != NULL) {
		free(prefix);
		return err;
	}
	if ((err = folder_refs(&l, NULL, &plain, r, prefix, strlen(prefix), 1,
	    0)) != NULL)
		goto done;
	prefix[strlen(prefix) - 1] = '\0';
	/* Refused before the change writes anything. */
	if (plain != NULL) {
		err = dipb_error_fmt(DIPB_ERR_GIT, "the tag '%s' (%s, %s) "
		    "clashes with the folder of %s's tags, %s/: rename it "
		    "(git tag NEW-NAME %s && git tag -d %s) and retry", record,
		    prefix, plain, record, prefix, record, record);
		goto done;
	}
	for (i = 0; i < l.n; i++)
		if ((v = dipb_tag_suffix(l.v[i].name, strlen(l.v[i].name),
		    &ev)) > max)
			max = v;
	if (max == 0 && (err = dipb_git_shallow_untagged(r, record)) != NULL)
		goto done;
	if ((dipb_id_valid(record) || strcmp(record, DIPB_BOARD_RECORD) == 0 ||
	    strcmp(record, DIPB_MEETING_RECORD) == 0) &&
	    ((err = dipb_git_untagged_since(r, board, record, &l, max,
	    sign)) != NULL ||
	    (err = dipb_git_tags_moved(r, record, &l, max)) != NULL))
		goto done;
	err = dipb_tag_next(out, max, record);
done:
	free(prefix);
	dipb_tagrefs_release(&l);
	return err;
}

/* ---- record ids -------------------------------------------------- */

/* What a packed ref inside a record's tag folder is: own or another. */
struct held {
	size_t		 skip;		/* length of "<folder><id>/" */
	const char	*own;		/* the tag that does not count, or NULL */
	int		*held;
};

static int
other_ref(const char *ref, size_t len, const char *hex, const char *peeled,
    void *arg)
{
	struct held *h = arg;

	(void)hex;
	(void)peeled;
	if (h->own != NULL && len - h->skip == strlen(h->own) &&
	    memcmp(ref + h->skip, h->own, len - h->skip) == 0)
		return 0;
	*h->held = 1;
	return 1;
}

const struct dipb_error *
dipb_repo_id_held(int *held, struct dipb_repo *r, const char *folder,
    const char *id, const char *own)
{
	const struct dipb_error *err = NULL;
	char *name = xasprintf("%s%s", folder, id);
	char *path = xasprintf("%s%s", git_repository_commondir(r->git), name);
	char *inside = xasprintf("%s/", name);
	struct held h = { strlen(inside), own, held };
	struct dirent *d;
	struct stat st;
	git_oid oid;
	DIR *dir;
	int rc = 0;

	*held = 0;
	if (lstat(path, &st) == 0) {
		if (!S_ISDIR(st.st_mode))
			*held = 1;
		else if ((dir = opendir(path)) != NULL) {
			while (!*held && (rc = dipb_readdir(dir, &d)) == 1)
				*held = strcmp(d->d_name, ".") != 0 &&
				    strcmp(d->d_name, "..") != 0 &&
				    (own == NULL ||
				    strcmp(d->d_name, own) != 0);
			/* Read as its end, the id would be given again. */
			if (rc == -1)
				err = dipb_error_from_errno("cannot read the "
				    "folder '%s'", path);
			closedir(dir);
		}
	}
	if (err != NULL) {
		free(inside);
		free(path);
		free(name);
		return err;
	}
	if (!*held)
		err = packed_each(r, inside, other_ref, &h);
	if (err == NULL && !*held)
		err = packed_lookup(&oid, held, r, name);
	free(inside);
	free(path);
	free(name);
	return err;
}

/*
 * The next id of prefix after the record files below root, skipping ids
 * with refs in refs/tags/ or in the folder also (NULL: none).
 */
static const struct dipb_error *
next_id(char **out, struct dipb_repo *r, const git_oid *root,
    const char *prefix, const char *also)
{
	const struct dipb_error *err;
	unsigned long max = 0;
	char *id;
	int taken;

	*out = NULL;
	if (!dipb_id_prefix_valid(prefix))
		return dipb_error_fmt(DIPB_ERR_BAD_ID,
		    "not a record id prefix: '%s'", prefix);
	if ((err = dipb_git_records_max(&max, r, root, prefix)) != NULL)
		return err;
	/*
	 * Probe the ids after the highest file: one whose refs exist (its
	 * tags, or a tag of its name in the way of their folder) is taken.
	 */
	for (;;) {
		if (max == ULONG_MAX)
			return dipb_error_fmt(DIPB_ERR_INTERNAL,
			    "record numbers of %s exhausted", prefix);
		id = xasprintf("%s-%04lu", prefix, max + 1);
		if ((err = dipb_repo_id_held(&taken, r, "refs/tags/", id,
		    NULL)) == NULL && !taken && also != NULL)
			err = dipb_repo_id_held(&taken, r, also, id, NULL);
		if (err != NULL || !taken)
			break;
		free(id);
		max++;
	}
	if (err != NULL)
		free(id);
	else
		*out = id;
	return err;
}

const struct dipb_error *
dipb_repo_next_id(char **out, struct dipb_repo *r, const char *prefix)
{
	return next_id(out, r, dipb_git_tip_root(r), prefix, NULL);
}

const struct dipb_error *
dipb_repo_next_id_at(char **out, struct dipb_repo *r, const char *commit,
    const char *prefix, const char *also)
{
	const struct dipb_error *err;
	struct dipb_commit c;
	git_oid root;

	*out = NULL;
	if ((err = dipb_git_commit_read(&c, r, commit)) != NULL)
		return err;
	if (git_oid_fromstr(&root, c.tree) < 0)
		err = dipb_error_fmt(DIPB_ERR_CORRUPT, "not a commit: '%s'",
		    commit);
	dipb_commit_release(&c);
	if (err == NULL)
		err = next_id(out, r, &root, prefix, also);
	return err;
}

/*
 * git/packed.c - packed-refs: its bytes searched by prefix (packed.h, pure:
 * the unit tests drive it without git), and the one mapping of the file a
 * command keeps, in which the other files of git/ look refs up.
 */
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "packed.h"
#include "../error.h"
#include "../util.h"

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
 * as the rest of dipb compares it.  Every id of packed-refs leaves
 * src/git/ so.
 */
void
dipb_git_hex_lower(char out[GIT_OID_HEXSZ + 1], const char *hex)
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
const struct dipb_error *
dipb_git_packed_load(struct dipb_repo *r)
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

const struct dipb_error *
dipb_git_packed_malformed(struct dipb_repo *r)
{
	return dipb_error_fmt(DIPB_ERR_CORRUPT,
	    "malformed packed-refs: '%spacked-refs'",
	    git_repository_commondir(r->git));
}

/*
 * fn for each packed ref whose name starts with prefix (see
 * dipb_packed_each); fn's nonzero result stops it.
 */
const struct dipb_error *
dipb_git_packed_each(struct dipb_repo *r, const char *prefix, dipb_packed_fn fn,
    void *arg)
{
	const struct dipb_error *err;

	if ((err = dipb_git_packed_load(r)) != NULL)
		return err;
	if (dipb_packed_each(&r->packed.pk, prefix, strlen(prefix), fn,
	    arg) == -1)
		return dipb_git_packed_malformed(r);
	return NULL;
}

/* The id of name in packed-refs: *found 0 when it is not there. */
const struct dipb_error *
dipb_git_packed_lookup(git_oid *out, int *found, struct dipb_repo *r,
    const char *name)
{
	const struct dipb_error *err;
	const char *hex;
	int rc;

	*found = 0;
	if ((err = dipb_git_packed_load(r)) != NULL)
		return err;
	rc = dipb_packed_find(&hex, NULL, &r->packed.pk, name, strlen(name));
	if (rc == 1 && git_oid_fromstrn(out, hex, GIT_OID_HEXSZ) == 0)
		*found = 1;
	else if (rc != 0)
		return dipb_git_packed_malformed(r);
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
	err = dipb_git_packed_each(r, folder, any_ref, found);
	free(folder);
	return err;
}

/*
 * Whether a packed ref stands in name's way: one named as a folder of
 * name (refs/tags/IC-0001 for refs/tags/IC-0001/1-drafted), or one
 * inside it.  Each is one lookup.
 */
const struct dipb_error *
dipb_git_packed_conflict(int *conflict, struct dipb_repo *r, const char *name)
{
	const struct dipb_error *err = NULL;
	char *n = xstrdup(name), *p;
	git_oid id;

	*conflict = 0;
	for (p = strchr(n, '/'); err == NULL && !*conflict && p != NULL;
	    p = strchr(p + 1, '/')) {
		*p = '\0';
		if (p - n > 5)		/* past "refs/" */
			err = dipb_git_packed_lookup(&id, conflict, r, n);
		*p = '/';
	}
	if (err == NULL && !*conflict)
		err = packed_inside(conflict, r, name);
	free(n);
	return err;
}

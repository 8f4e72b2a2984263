/*
 * util.c - allocation, an arena, buffers, string lists, files (read,
 * written atomically, temporary ones, fsync of folders), child
 * processes, hex, SHA-256, UTF-8 validity, shell quoting and relative
 * paths.  Dates are date.c's.
 */
#if defined(__linux__) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE		/* O_PATH */
#endif
#include <sys/stat.h>
#include <sys/wait.h>

/* SHA256_Init and the rest: see dipb_sha256() below. */
#define OPENSSL_API_COMPAT 0x10100000L
#include <openssl/sha.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "text.h"
#include "util.h"

/*
 * Bytes to stderr from where nothing else may run: no stdio, no
 * allocation.  A failed write has nowhere to be told; the test only
 * keeps a hardened build's warn_unused_result (-D_FORTIFY_SOURCE) quiet,
 * which a (void) cast does not.
 */
static void
say_raw(const char *s, size_t n)
{
	if (write(STDERR_FILENO, s, n) < 0)
		return;
}

/*
 * _exit, not exit: no atexit handler or stdio buffer runs with the heap
 * exhausted.  It is as safe as the abort it replaces: a change killed at
 * any moment is settled by the next dipb command (dipb-git(7)).
 */
_Noreturn void
dipb_oom(void)
{
	static const char msg[] = "dipb: out of memory\n";

	say_raw(msg, sizeof(msg) - 1);
	_exit(DIPB_EXIT_OTHER);
}

_Noreturn void
dipb_abort(const char *what)
{
	static const char pre[] = "dipb: internal error: ";

	say_raw(pre, sizeof(pre) - 1);
	say_raw(what, strlen(what));
	say_raw("\n", 1);
	abort();
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		dipb_oom();
	return p;
}

void *
xcalloc(size_t n, size_t sz)
{
	void *p = calloc(n ? n : 1, sz ? sz : 1);

	if (p == NULL)
		dipb_oom();
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (p == NULL)
		dipb_oom();
	return p;
}

/* The capacity an array of cap (first when 0) doubles to for need. */
static size_t
grown(size_t cap, size_t first, size_t need, size_t sz)
{
	size_t ncap = cap ? cap : first;

	while (ncap < need) {
		if (ncap > SIZE_MAX / 2)
			dipb_oom();
		ncap *= 2;
	}
	if (ncap > SIZE_MAX / sz)
		dipb_oom();
	return ncap;
}

void
xgrow(void **v, size_t *cap, size_t need, size_t sz)
{
	size_t ncap;

	if (need <= *cap)
		return;
	ncap = grown(*cap, 8, need, sz);
	*v = xrealloc(*v, ncap * sz);
	*cap = ncap;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

static size_t	formatted_len(const char *, va_list) DIPB_PRINTF(1, 0);

/* The length of what fmt and ap print, ap left unused. */
static size_t
formatted_len(const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		dipb_oom();
	return (size_t)n;
}

char *
xvasprintf(const char *fmt, va_list ap)
{
	size_t n = formatted_len(fmt, ap);
	char *p;

	p = xmalloc(n + 1);
	vsnprintf(p, n + 1, fmt, ap);
	return p;
}

char *
xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = xvasprintf(fmt, ap);
	va_end(ap);
	return p;
}

/*
 * The arena's blocks: the first of 16 KiB, each next twice the last up to
 * 1 MiB; an allocation of more than a quarter of that gets a block of its
 * own, put behind the one being filled so that its room is not lost.
 */
#define ARENA_FIRST	(16 * 1024)
#define ARENA_MAX	(1024 * 1024)

struct dipb_ablock {
	struct dipb_ablock	*next;
	size_t			 size;	/* of data */
	size_t			 used;
	max_align_t		 data[];
};

struct dipb_arena {
	struct dipb_ablock	*head;		/* being filled */
	size_t			 next_size;
};

/*
 * Each thread keeps the first block of its last arena for the next one:
 * dipb validate parses thousands of files a thread, each tree in an arena
 * of its own (yaml_tree.h), and a block this size costs malloc more than
 * all of a record's nodes do.  The thread's exit frees it.
 */
static pthread_key_t	spare_key;
static pthread_once_t	spare_once = PTHREAD_ONCE_INIT;
static int		spare_ok;

static void
spare_init(void)
{
	spare_ok = pthread_key_create(&spare_key, free) == 0;
}

static struct dipb_ablock *
ablock_new(size_t size, struct dipb_ablock *next)
{
	struct dipb_ablock *b = NULL;

	if (size == ARENA_FIRST && next == NULL) {
		pthread_once(&spare_once, spare_init);
		if (spare_ok && (b = pthread_getspecific(spare_key)) != NULL)
			pthread_setspecific(spare_key, NULL);
	}
	if (b == NULL) {
		if (size > SIZE_MAX - sizeof(*b))
			dipb_oom();
		b = xmalloc(sizeof(*b) + size);
	}
	b->next = next;
	b->size = size;
	b->used = 0;
	return b;
}

struct dipb_arena *
dipb_arena_new(void)
{
	struct dipb_arena *a = xcalloc(1, sizeof(*a));

	a->next_size = ARENA_FIRST;
	return a;
}

/* n bytes at an offset that is a multiple of al (a power of two). */
static void *
arena_raw(struct dipb_arena *a, size_t n, size_t al)
{
	struct dipb_ablock *b = a->head;
	size_t at;

	if (b != NULL) {
		at = (b->used + al - 1) & ~(al - 1);
		if (at <= b->size && b->size - at >= n) {
			b->used = at + n;
			return (char *)b->data + at;
		}
	}
	if (n > a->next_size / 4) {
		b = ablock_new(n, NULL);
		if (a->head != NULL) {
			b->next = a->head->next;
			a->head->next = b;
		} else
			a->head = b;
		b->used = n;
		return b->data;
	}
	a->head = b = ablock_new(a->next_size, a->head);
	if (a->next_size < ARENA_MAX)
		a->next_size *= 2;
	b->used = n;
	return b->data;
}

void *
dipb_arena_alloc(struct dipb_arena *a, size_t n)
{
	return memset(arena_raw(a, n, _Alignof(max_align_t)), 0, n);
}

char *
dipb_arena_chars(struct dipb_arena *a, size_t n)
{
	return arena_raw(a, n, 1);
}

char *
dipb_arena_strdup(struct dipb_arena *a, const char *s)
{
	return dipb_arena_strndup(a, s, strlen(s));
}

char *
dipb_arena_strndup(struct dipb_arena *a, const char *s, size_t n)
{
	char *p;

	if (n == SIZE_MAX)
		dipb_oom();
	p = arena_raw(a, n + 1, 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
dipb_arena_vasprintf(struct dipb_arena *a, const char *fmt, va_list ap)
{
	size_t n = formatted_len(fmt, ap);
	char *p;

	p = arena_raw(a, n + 1, 1);
	vsnprintf(p, n + 1, fmt, ap);
	return p;
}

void
dipb_arena_grow(struct dipb_arena *a, void **v, size_t *cap, size_t need,
    size_t sz)
{
	size_t ncap;
	void *nv;

	if (need <= *cap)
		return;
	ncap = grown(*cap, 4, need, sz);
	nv = arena_raw(a, ncap * sz, _Alignof(max_align_t));
	if (*cap > 0)
		memcpy(nv, *v, *cap * sz);
	*v = nv;
	*cap = ncap;
}

void
dipb_arena_clear(struct dipb_arena *a)
{
	struct dipb_ablock *b, *next;

	if (a->head == NULL)
		return;
	/* The oldest block stays: a small one, filled again. */
	for (b = a->head; b->next != NULL; b = next) {
		next = b->next;
		free(b);
	}
	b->used = 0;
	a->head = b;
	a->next_size = b->size < ARENA_MAX ? b->size * 2 : ARENA_MAX;
}

void
dipb_arena_free(struct dipb_arena *a)
{
	struct dipb_ablock *b;

	if (a == NULL)
		return;
	dipb_arena_clear(a);
	b = a->head;
	if (b != NULL && b->size == ARENA_FIRST) {
		pthread_once(&spare_once, spare_init);
		if (spare_ok && pthread_getspecific(spare_key) == NULL &&
		    pthread_setspecific(spare_key, b) == 0)
			b = NULL;
	}
	free(b);
	free(a);
}

int
dipb_readdir(DIR *d, struct dirent **de)
{
	errno = 0;
	if ((*de = readdir(d)) != NULL)
		return 1;
	return errno == 0 ? 0 : -1;
}

void
dipb_buf_init(struct dipb_buf *b)
{
	b->ptr = NULL;
	b->len = b->cap = 0;
}

void
dipb_buf_release(struct dipb_buf *b)
{
	free(b->ptr);
	dipb_buf_init(b);
}

void
dipb_buf_grow(struct dipb_buf *b, size_t extra)
{
	if (extra > SIZE_MAX - b->len - 1)
		dipb_oom();
	xgrow((void **)&b->ptr, &b->cap, b->len + extra + 1, 1);
}

/* Room for n more bytes and the NUL, without a call where there is. */
#define BUF_ROOM(b, n) ((b)->cap > (b)->len && (b)->cap - (b)->len > (n))

void
dipb_buf_put(struct dipb_buf *b, const char *s, size_t n)
{
	if (!BUF_ROOM(b, n))
		dipb_buf_grow(b, n);
	if (n > 0)
		memcpy(b->ptr + b->len, s, n);
	b->len += n;
	b->ptr[b->len] = '\0';
}

void
dipb_buf_puts(struct dipb_buf *b, const char *s)
{
	dipb_buf_put(b, s, strlen(s));
}

void
dipb_buf_putc(struct dipb_buf *b, char c)
{
	if (!BUF_ROOM(b, 1))
		dipb_buf_grow(b, 1);
	b->ptr[b->len++] = c;
	b->ptr[b->len] = '\0';
}

void
dipb_buf_printf(struct dipb_buf *b, const char *fmt, ...)
{
	va_list ap, cp;
	int n;

	va_start(ap, fmt);
	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		dipb_oom();
	dipb_buf_grow(b, (size_t)n);
	vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void
dipb_buf_clear(struct dipb_buf *b)
{
	b->len = 0;
	if (b->ptr != NULL)
		b->ptr[0] = '\0';
}

void
dipb_buf_truncate(struct dipb_buf *b, size_t len)
{
	if (len < b->len) {
		b->len = len;
		b->ptr[len] = '\0';
	}
}

char *
dipb_buf_detach(struct dipb_buf *b)
{
	char *p = b->ptr;

	if (p == NULL)
		p = xstrdup("");
	dipb_buf_init(b);
	return p;
}

const char *
dipb_buf_cstr(const struct dipb_buf *b)
{
	return b->ptr != NULL ? b->ptr : "";
}

void
dipb_strlist_init(struct dipb_strlist *l)
{
	l->v = NULL;
	l->n = l->cap = 0;
}

void
dipb_strlist_release(struct dipb_strlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	dipb_strlist_init(l);
}

void
dipb_strlist_push_owned(struct dipb_strlist *l, char *s)
{
	xgrow((void **)&l->v, &l->cap, l->n + 1, sizeof(*l->v));
	l->v[l->n++] = s;
}

void
dipb_strlist_push(struct dipb_strlist *l, const char *s)
{
	dipb_strlist_push_owned(l, xstrdup(s));
}

int
dipb_strlist_contains(const struct dipb_strlist *l, const char *s)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i], s) == 0)
			return 1;
	return 0;
}

static int
cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void
dipb_strlist_sort(struct dipb_strlist *l)
{
	if (l->n > 1)
		qsort(l->v, l->n, sizeof(*l->v), cmpstr);
}

void
dipb_strlist_say(struct dipb_buf *out, const struct dipb_strlist *l,
    size_t few)
{
	size_t i, n = l->n > few + 1 ? few : l->n;

	for (i = 0; i < n; i++)
		dipb_buf_printf(out, "%s%s", i == 0 ? "" : i + 1 < l->n ?
		    ", " : " and ", l->v[i]);
	if (n < l->n)
		dipb_buf_printf(out, " and %zu more", l->n - n);
}

size_t
dipb_strlist_lower_bound(const struct dipb_strlist *l, const char *s)
{
	size_t lo = 0, hi = l->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(l->v[mid], s) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void
dipb_strlist_copy(struct dipb_strlist *dst, const struct dipb_strlist *src)
{
	size_t i;

	dipb_strlist_init(dst);
	for (i = 0; i < src->n; i++)
		dipb_strlist_push(dst, src->v[i]);
}

/* Waits until fd can be read (or is at its end): 0, or -1 with errno. */
static int
wait_readable(int fd)
{
	struct pollfd pf;

	pf.fd = fd;
	pf.events = POLLIN;
	for (;;) {
		if (poll(&pf, 1, -1) >= 0)
			return 0;
		if (errno != EINTR)
			return -1;
	}
}

int
dipb_read_fd(struct dipb_buf *out, int fd, size_t cap)
{
	struct stat st;
	size_t want = 65536, room;
	ssize_t n;

	/*
	 * Straight into the buffer, sized from fstat when it can be (a
	 * regular file), one byte more so that the end is seen in the same
	 * read: one read() for a record, or for packed-refs at 10,000
	 * records (700 KB).
	 */
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
		want = (size_t)st.st_size + 1;
	while (cap == 0 || out->len < cap) {
		room = cap == 0 || want < cap - out->len ? want : cap - out->len;
		dipb_buf_grow(out, room);
		if ((n = read(fd, out->ptr + out->len, room)) == -1) {
			if (errno == EINTR)
				continue;
			/*
			 * A pipe its writer made non-blocking (as Node.js
			 * and some CI runners hand one on): wait for what
			 * is to come, as git's xread does.
			 */
			if ((errno == EAGAIN || errno == EWOULDBLOCK) &&
			    wait_readable(fd) == 0)
				continue;
			out->ptr[out->len] = '\0';
			return -1;
		}
		if (n == 0)
			break;
		out->len += (size_t)n;
		want = 65536;
	}
	dipb_buf_grow(out, 0);
	out->ptr[out->len] = '\0';
	return 0;
}

/* Standard input was closed when dipb started (dipb_stdfds_open). */
static int stdin_closed;

void
dipb_stdfds_open(void)
{
	int fd;

	/* open(2) takes the lowest free descriptor: 0, 1, 2 first. */
	while ((fd = open("/dev/null", O_RDWR)) != -1 && fd <= STDERR_FILENO)
		if (fd == STDIN_FILENO)
			stdin_closed = 1;
	if (fd > STDERR_FILENO)
		close(fd);
}

/*
 * before, path, after: an error whose path is on one line
 * (dipb_text_clean_line), as dipb_error_from_errno shows one: a newline
 * of the user's folders would start a line of its own, a "dipb: ..."
 * forged.
 */
static const struct dipb_error *
path_error(int code, const char *before, const char *path, const char *after)
{
	const struct dipb_error *err;
	char *show = dipb_text_clean_line(path);

	err = dipb_error_fmt(code, "%s%s%s", before, show, after);
	free(show);
	return err;
}

/* path's "file larger than max bytes". */
static const struct dipb_error *
too_large(const char *path, size_t max)
{
	const struct dipb_error *err;
	char *after = xasprintf(": file larger than %zu bytes", max);

	err = path_error(DIPB_ERR_TOO_LARGE, "", path, after);
	free(after);
	return err;
}

const struct dipb_error *
dipb_read_whole(struct dipb_buf *out, int fd, const char *path, size_t max)
{
	/* One byte over max is enough to know it is too large. */
	if (dipb_read_fd(out, fd, max > 0 ? max + 1 : 0) == -1)
		return dipb_error_from_errno("%s", path);
	if (max > 0 && out->len > max)
		return too_large(path, max);
	return NULL;
}

const struct dipb_error *
dipb_read_file(struct dipb_buf *out, const char *path, size_t max)
{
	const struct dipb_error *err;
	int fd;

	dipb_buf_clear(out);
	if (strcmp(path, "-") == 0 && stdin_closed)
		return dipb_error_fmt(DIPB_ERR_IO, "-: standard input is "
		    "closed: nothing to read");
	if (strcmp(path, "-") == 0)
		fd = STDIN_FILENO;
	else if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return dipb_error_from_errno("%s", path);
	err = dipb_read_whole(out, fd, path, max);
	if (fd != STDIN_FILENO)
		close(fd);
	return err;
}

int
dipb_open_regular(const char *path, int flags, struct stat *st)
{
	return dipb_open_regular_at(AT_FDCWD, path, flags, st);
}

int
dipb_open_regular_at(int dir, const char *path, int flags, struct stat *st)
{
	struct stat own;
	int fd, errnum;

	/*
	 * O_NONBLOCK: opening a FIFO to read waits for a writer, for ever
	 * when none comes; a regular file ignores the flag, and
	 * dipb_read_fd waits out an EAGAIN all the same.
	 */
	if ((fd = openat(dir, path, O_RDONLY | O_NONBLOCK | O_CLOEXEC |
	    flags)) == -1)
		return -1;
	if (st == NULL)
		st = &own;
	if (fstat(fd, st) == -1) {
		errnum = errno;
		close(fd);
		errno = errnum;
		return -1;
	}
	if (!S_ISREG(st->st_mode)) {
		close(fd);
		return -2;
	}
	return fd;
}

const struct dipb_error *
dipb_read_regular(struct dipb_buf *out, const char *path, int flags,
    size_t max)
{
	const struct dipb_error *err;
	int fd;

	dipb_buf_clear(out);
	if ((fd = dipb_open_regular(path, flags, NULL)) == -2)
		return path_error(DIPB_ERR_IO, "", path,
		    ": not a regular file");
	if (fd == -1)
		return dipb_error_from_errno("%s", path);
	err = dipb_read_whole(out, fd, path, max);
	close(fd);
	return err;
}

const char *
dipb_tmp_dir(void)
{
	const char *dir = getenv("TMPDIR");

	return dir == NULL || dir[0] == '\0' ? "/tmp" : dir;
}

/*
 * fsync(2), again when a signal interrupts it (POSIX allows EINTR; git's
 * fsync_loop does the same): an interrupted sync is no failed one.
 */
static int
fsync_loop(int fd)
{
	int rc;

	while ((rc = fsync(fd)) == -1 && errno == EINTR)
		;
	return rc;
}

const struct dipb_error *
dipb_write_all(int fd, const char *name, const char *data, size_t len,
    int do_fsync)
{
	size_t off = 0;
	ssize_t n;

	while (off < len) {
		if ((n = write(fd, data + off, len - off)) == -1) {
			if (errno == EINTR)
				continue;
			return dipb_error_from_errno("%s", name);
		}
		off += (size_t)n;
	}
	if (do_fsync && fsync_loop(fd) == -1)
		return dipb_error_from_errno("%s", name);
	return NULL;
}

int
dipb_fsync_dir(const char *dir)
{
	int fd, rc, e;

	if ((fd = open(dir, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	rc = fsync_loop(fd);
	e = errno;
	close(fd);
	errno = e;
	return rc;
}

/*
 * A folder that its file system does not sync (fsync(2) refused with
 * EINVAL or EBADF: some FUSE and network file systems) is no failure:
 * git never syncs a folder and works there, and PostgreSQL ignores these
 * two errors as "not supported" (dipb(1), DIPB_FSYNC).
 */
int
dipb_fsync_dir_of(const char *path)
{
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');
	int rc;

	if (slash == NULL) {
		free(dir);
		dir = xstrdup(".");
	} else if (slash == dir)
		slash[1] = '\0';
	else
		*slash = '\0';
	if ((rc = dipb_fsync_dir(dir)) == -1 && DIPB_DIRSYNC_UNSUPPORTED(errno))
		rc = 0;
	free(dir);
	return rc;
}

/*
 * The temporary files being written (dipb_tmp_watch): at most a few at
 * once (a record and the records cache; a signing program's key, buffer
 * and signature; the index's copy libgit2 reads, without /proc kept for
 * the whole command, and the one it writes through), their names copied
 * where the handler, which may only call async-signal-safe functions,
 * finds them.
 */
#define TMP_SLOTS	16
static char tmp_path[TMP_SLOTS][PATH_MAX];
static int tmp_dir[TMP_SLOTS];		/* the folder tmp_path is in */
static volatile sig_atomic_t tmp_used[TMP_SLOTS];
static const int tmp_signals[] = { SIGHUP, SIGINT, SIGTERM, SIGPIPE };

static void
tmp_on_signal(int sig)
{
	int i, saved = errno;

	for (i = 0; i < TMP_SLOTS; i++)
		if (tmp_used[i])
			(void)unlinkat(tmp_dir[i], tmp_path[i], 0);
	/* Then killed by it, as without the handler. */
	(void)signal(sig, SIG_DFL);
	(void)raise(sig);
	errno = saved;
}

int
dipb_tmp_watch(const char *path)
{
	return dipb_tmp_watch_at(AT_FDCWD, path);
}

int
dipb_tmp_watch_at(int dir, const char *path)
{
	static int installed;
	struct sigaction sa, old;
	size_t i, n = strlen(path);
	int slot;

	if (!installed) {
		installed = 1;
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = tmp_on_signal;
		sigemptyset(&sa.sa_mask);
		for (i = 0; i < NELEM(tmp_signals); i++)
			if (sigaction(tmp_signals[i], NULL, &old) == 0 &&
			    old.sa_handler != SIG_IGN)
				(void)sigaction(tmp_signals[i], &sa, NULL);
	}
	for (slot = 0; slot < TMP_SLOTS && tmp_used[slot]; slot++)
		continue;
	if (slot == TMP_SLOTS || n >= PATH_MAX)
		return -1;
	memcpy(tmp_path[slot], path, n + 1);
	tmp_dir[slot] = dir;
	/* The name whole before the handler may read it. */
	atomic_signal_fence(memory_order_seq_cst);
	tmp_used[slot] = 1;
	return slot;
}

void
dipb_tmp_forget(int slot)
{
	if (slot >= 0 && slot < TMP_SLOTS)
		tmp_used[slot] = 0;
}

int
dipb_wait_child(int pid, int *status)
{
	struct sigaction ign, old_int, old_quit;
	int rc, saved;

	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	(void)sigaction(SIGINT, &ign, &old_int);
	(void)sigaction(SIGQUIT, &ign, &old_quit);
	while ((rc = waitpid((pid_t)pid, status, 0)) == -1 && errno == EINTR)
		continue;
	saved = errno;
	(void)sigaction(SIGINT, &old_int, NULL);
	(void)sigaction(SIGQUIT, &old_quit, NULL);
	errno = saved;
	return rc == -1 ? -1 : 0;
}

int
dipb_pipe_cloexec(int p[2])
{
	int saved;

	if (pipe(p) == -1)
		return -1;
	if (fcntl(p[0], F_SETFD, FD_CLOEXEC) == -1 ||
	    fcntl(p[1], F_SETFD, FD_CLOEXEC) == -1) {
		saved = errno;
		close(p[0]);
		close(p[1]);
		p[0] = p[1] = -1;
		errno = saved;
		return -1;
	}
	return 0;
}

char *
dipb_wait_status(int status)
{
	if (WIFSIGNALED(status))
		return xasprintf("killed by signal %d", WTERMSIG(status));
	if (WIFEXITED(status))
		return xasprintf("exit status %d", WEXITSTATUS(status));
	return xasprintf("wait status %#x", (unsigned)status);
}

/*
 * A temporary file of this process's own beside path, opened for writing
 * and watched (dipb_tmp_watch_at): "<path>.dipb-tmp.<pid>", or with ".<n>"
 * after it while an entry of that name exists, made in folder dir as the
 * same name after base (path's last part).  An entry there is never
 * removed: it may be the user's (a folder, a file git does not track), as
 * git's tempfiles never take one either.  The fd, or -1 with *err.
 */
static int
open_own_tmp(char **tmp, int *slot, const struct dipb_error **err,
    const char *path, int dir, size_t base, int mode)
{
	struct stat st;
	unsigned n;
	int fd = -1;

	for (n = 0; n < 100; n++) {
		*tmp = n == 0 ? xasprintf("%s.dipb-tmp.%ld", path,
		    (long)getpid()) : xasprintf("%s.dipb-tmp.%ld.%u", path,
		    (long)getpid(), n);
		/* Taken already: not watched, so a signal removes none. */
		if (fstatat(dir, *tmp + base, &st, AT_SYMLINK_NOFOLLOW) == 0) {
			free(*tmp);
			*tmp = NULL;
			continue;
		}
		*slot = dipb_tmp_watch_at(dir, *tmp + base);
		fd = openat(dir, *tmp + base, O_WRONLY | O_CREAT | O_EXCL |
		    O_NOFOLLOW | O_CLOEXEC, mode);
		if (fd != -1)
			return fd;
		dipb_tmp_forget(*slot);
		if (errno != EEXIST)
			break;
		free(*tmp);
		*tmp = NULL;
	}
	*err = *tmp != NULL ? dipb_error_from_errno("%s", *tmp) :
	    path_error(DIPB_ERR_IO, "", path, ": no free name for a temporary "
	    "file beside it");
	return -1;
}

/*
 * A temporary file named by the caller (a writer's own, in .git under
 * its lock), name in folder dir: a leftover of a killed writer is removed
 * first, and may be read-only (objects are).
 */
static int
open_named_tmp(int *slot, const struct dipb_error **err, const char *tmp,
    int dir, const char *name, int mode)
{
	int fd;

	if (unlinkat(dir, name, 0) == -1 && errno != ENOENT) {
		*err = dipb_error_from_errno("%s", tmp);
		return -1;
	}
	*slot = dipb_tmp_watch_at(dir, name);
	fd = openat(dir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, mode);
	if (fd == -1) {
		dipb_tmp_forget(*slot);
		*err = dipb_error_from_errno("%s", tmp);
	}
	return fd;
}

const struct dipb_error *
dipb_write_replace(const char *path, const char *tmp, const char *data,
    size_t len, int mode, int sync)
{
	return dipb_write_replace_fix(path, tmp, data, len, mode, sync, NULL,
	    NULL);
}

const struct dipb_error *
dipb_open_folder_of(int *fd, const char *path, size_t *base, int sync)
{
	const struct dipb_error *err = NULL;
	const char *slash = strrchr(path, '/');
	char *dir;

	*base = slash != NULL ? (size_t)(slash - path) + 1 : 0;
	dir = slash == NULL ? xstrdup(".") : xstrndup(path, slash == path ?
	    1 : (size_t)(slash - path));
	*fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
#ifdef O_PATH
	if (*fd == -1 && errno == EACCES && !sync)
		*fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
#else
	(void)sync;
#endif
	if (*fd == -1)
		err = dipb_error_from_errno("%s", dir);
	free(dir);
	return err;
}

/* fsync(2) of folder fd, a folder its file system does not sync (see
 * dipb_fsync_dir_of) no failure. */
static int
fsync_folder(int fd)
{
	if (fsync_loop(fd) == -1 && !DIPB_DIRSYNC_UNSUPPORTED(errno))
		return -1;
	return 0;
}

const struct dipb_error *
dipb_write_replace_fix(const char *path, const char *tmp, const char *data,
    size_t len, int mode, int sync, dipb_tmp_fix fix, const void *arg)
{
	const struct dipb_error *err = NULL;
	const char *name;
	char *own = NULL;
	size_t base;
	int dir, fd, slot = -1;

	if ((err = dipb_open_folder_of(&dir, path, &base, sync > 1)) != NULL)
		return err;
	name = tmp != NULL && strrchr(tmp, '/') != NULL ?
	    strrchr(tmp, '/') + 1 : tmp;
	fd = tmp == NULL ? open_own_tmp(&own, &slot, &err, path, dir, base,
	    mode) : open_named_tmp(&slot, &err, tmp, dir, name, mode);
	if (fd == -1)
		goto done;
	if (tmp == NULL) {
		tmp = own;
		name = own + base;
	}
	err = dipb_write_all(fd, tmp, data, len, sync > 0);
	if (err == NULL && fix != NULL)
		err = fix(arg, tmp, fd);
	if (close(fd) == -1 && err == NULL)
		err = dipb_error_from_errno("%s", tmp);
	if (err == NULL && renameat(dir, name, dir, path + base) == -1)
		err = dipb_error_from_errno("%s", path);
	/* Renamed, the name is path's: no longer the temporary's to remove
	 * at a signal. */
	if (err != NULL)
		(void)unlinkat(dir, name, 0);
	dipb_tmp_forget(slot);
	if (err == NULL && sync > 1 && fsync_folder(dir) == -1)
		err = dipb_error_from_errno("%s", path);
done:
	free(own);
	close(dir);
	return err;
}

/* 1 if path (real, no trailing '/') is top (real, likewise) or below it. */
static int
path_within(const char *path, const char *top)
{
	size_t n = strlen(top);

	if (n == 1 && top[0] == '/')
		return 1;
	return strncmp(path, top, n) == 0 && (path[n] == '\0' ||
	    path[n] == '/');
}

/* dir + '/' + name, with no doubled '/' when dir is "/". */
static char *
path_join(const char *dir, const char *name)
{
	size_t n = strlen(dir);

	return xasprintf("%s%s%s", dir, n > 0 && dir[n - 1] == '/' ? "" : "/",
	    name);
}

/* A file replaced keeps its mode: given it through its descriptor. */
static const struct dipb_error *
keep_mode(const void *arg, const char *tmp, int fd)
{
	mode_t m = *(const mode_t *)arg;

	if (fchmod(fd, m) == -1)
		return dipb_error_from_errno("%s", tmp);
	return NULL;
}

/*
 * dipb_write_file_atomic's last step: next, path's real name in folder
 * dir, written (named as given, path, in an error) unless it is no
 * regular file or one the user may not write.
 */
static const struct dipb_error *
replace_in(const char *dir, const char *next, const char *path,
    const char *data, size_t len, int mode)
{
	struct stat st;
	mode_t m;

	/*
	 * As the shell's '>' would refuse: a folder the user may not
	 * write, a file they may not (read-only, another user's), named
	 * as given, never by the temporary file.
	 */
	if (access(dir, W_OK | X_OK) == -1)
		return dipb_error_from_errno("cannot write '%s'", path);
	if (lstat(next, &st) == -1) {
		if (errno != ENOENT)
			return dipb_error_from_errno("%s", path);
		return dipb_write_replace(next, NULL, data, len, mode, 1);
	}
	if (S_ISLNK(st.st_mode))
		return path_error(DIPB_ERR_IO, "refusing to write '", path,
		    "': it is a symbolic link, and dipb never writes through "
		    "one (a link committed to the board can point anywhere); "
		    "remove it, or name another file");
	if (!S_ISREG(st.st_mode))
		return path_error(DIPB_ERR_IO, "refusing to write '", path,
		    "': not a regular file");
	if (access(next, W_OK) == -1)
		return dipb_error_from_errno("cannot write '%s'", path);
	/*
	 * A file replaced keeps its mode, as '>' keeps it: a report its
	 * owner made private stays private.  The new file is made with that
	 * mode through the umask, never wider, then given it whole through
	 * its descriptor before the rename: by path after it, a link
	 * another user swapped in meanwhile would be followed.
	 */
	m = st.st_mode & 07777;
	return dipb_write_replace_fix(next, NULL, data, len, (int)(m & 0777),
	    1, keep_mode, &m);
}

/* path refused: its first n bytes name a link in the working tree. */
static const struct dipb_error *
link_in_tree(const char *path, size_t n)
{
	const struct dipb_error *err;
	char *link = xstrndup(path, n), *show = dipb_text_clean_line(link);
	char *after = xasprintf("': '%s' is a symbolic link in the working "
	    "tree, and dipb never writes through one (a link committed to "
	    "the board can point anywhere); name a path without it", show);

	err = path_error(DIPB_ERR_IO, "refusing to write '", path, after);
	free(after);
	free(show);
	free(link);
	return err;
}

const struct dipb_error *
dipb_write_file_atomic(const char *path, const char *top, const char *data,
    size_t len, int mode)
{
	const struct dipb_error *err = NULL;
	const char *p, *base, *end;
	char *cur = NULL, *next = NULL, *real = NULL, *rtop = NULL, *name;
	struct stat st;
	size_t n;

	base = strrchr(path, '/') != NULL ? strrchr(path, '/') + 1 : path;
	if (base[0] == '\0' || strcmp(base, ".") == 0 ||
	    strcmp(base, "..") == 0)
		return path_error(DIPB_ERR_USAGE, "not a file name: '", path,
		    "'");
	if (top != NULL && (rtop = realpath(top, NULL)) == NULL)
		return dipb_error_from_errno("%s", top);
	if (path[0] == '/')
		cur = xstrdup("/");
	else if ((cur = getcwd(NULL, 0)) == NULL) {
		err = dipb_error_from_errno("the current folder");
		goto done;
	}
	/*
	 * The folders on the way, one at a time, with lstat: cur is always
	 * a real path, so that ".." is its parent and "inside the working
	 * tree" a comparison of strings.
	 */
	for (p = path; p < base; p = end + 1) {
		end = strchr(p, '/');
		n = (size_t)(end - p);
		if (n == 0 || (n == 1 && p[0] == '.'))
			continue;
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			if ((name = strrchr(cur, '/')) != NULL)
				name[name == cur ? 1 : 0] = '\0';
			continue;
		}
		name = xstrndup(p, n);
		free(next);
		next = path_join(cur, name);
		free(name);
		/* Named as the shell's '>' names it: FILE, then the folder
		 * at fault (dipb-report(1), -o). */
		if (lstat(next, &st) == -1) {
			err = dipb_error_from_errno("cannot write '%s': '%.*s'",
			    path, (int)(end - path), path);
			goto done;
		}
		if (S_ISLNK(st.st_mode) && rtop != NULL &&
		    path_within(cur, rtop)) {
			err = link_in_tree(path, (size_t)(end - path));
			goto done;
		}
		if (S_ISLNK(st.st_mode)) {
			/* The user's own link, outside the working tree. */
			free(real);
			if ((real = realpath(next, NULL)) == NULL) {
				err = dipb_error_from_errno("cannot write "
				    "'%s': '%.*s'", path, (int)(end - path),
				    path);
				goto done;
			}
			free(next);
			next = real;
			real = NULL;
			if (stat(next, &st) == -1)
				st.st_mode = 0;
		}
		if (!S_ISDIR(st.st_mode)) {
			errno = ENOTDIR;
			err = dipb_error_from_errno("cannot write '%s': '%.*s'",
			    path, (int)(end - path), path);
			goto done;
		}
		free(cur);
		cur = next;
		next = NULL;
	}
	next = path_join(cur, base);
	err = replace_in(cur, next, path, data, len, mode);
done:
	free(real);
	free(next);
	free(cur);
	free(rtop);
	return err;
}

int
dipb_bytes_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	int c = memcmp(a, b, alen < blen ? alen : blen);

	if (c != 0)
		return c;
	return alen < blen ? -1 : alen > blen;
}

/*
 * The low-level functions (deprecated in OpenSSL 3, hence
 * OPENSSL_API_COMPAT above) are plain code, with no provider fetched:
 * they return 1 whatever the configuration, as git/hash.c's SHA-1 ones.
 */
void
dipb_sha256(unsigned char out[32], const void *data, size_t len)
{
	SHA256_CTX c;

	if (SHA256_Init(&c) != 1 || SHA256_Update(&c, data, len) != 1 ||
	    SHA256_Final(out, &c) != 1)
		dipb_abort("libcrypto's SHA256_* failed");
}

void
dipb_hex(char *out, const unsigned char *raw, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[raw[i] >> 4];
		out[2 * i + 1] = digits[raw[i] & 15];
	}
	out[2 * n] = '\0';
}

static int
hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	return -1;
}

int
dipb_unhex(unsigned char *raw, const char *hex, size_t n)
{
	size_t i;
	int hi, lo;

	for (i = 0; i < n; i++) {
		if ((hi = hexval(hex[2 * i])) < 0 ||
		    (lo = hexval(hex[2 * i + 1])) < 0)
			return -1;
		raw[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}

int
dipb_utf8_valid(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, n, k;
	uint32_t c, min;
	uint64_t w;

	while (i < len) {
		/* Eight ASCII bytes, none of them NUL, at a time. */
		if (len - i >= 8) {
			memcpy(&w, s + i, 8);
			if ((w & 0x8080808080808080ULL) == 0 &&
			    ((w - 0x0101010101010101ULL) & ~w &
			    0x8080808080808080ULL) == 0) {
				i += 8;
				continue;
			}
		}
		c = s[i];
		if (c == 0)
			return 0;
		if (c < 0x80) {
			i++;
			continue;
		}
		if ((c & 0xe0) == 0xc0) {
			n = 1; c &= 0x1f; min = 0x80;
		} else if ((c & 0xf0) == 0xe0) {
			n = 2; c &= 0x0f; min = 0x800;
		} else if ((c & 0xf8) == 0xf0) {
			n = 3; c &= 0x07; min = 0x10000;
		} else
			return 0;
		if (len - i <= n)
			return 0;
		for (k = 1; k <= n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			c = (c << 6) | (s[i + k] & 0x3f);
		}
		if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
			return 0;
		i += n + 1;
	}
	return 1;
}

char *
dipb_sh_quote(const char *s)
{
	struct dipb_buf b = DIPB_BUF_INIT;
	const char *p;

	if (*s != '\0' && strspn(s, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./:@%+=,-") == strlen(s))
		return xstrdup(s);
	dipb_buf_putc(&b, '\'');
	for (p = s; *p != '\0'; p++)
		if (*p == '\'')
			dipb_buf_puts(&b, "'\\''");
		else
			dipb_buf_putc(&b, *p);
	dipb_buf_putc(&b, '\'');
	return dipb_buf_detach(&b);
}

/*
 * The path from the absolute folder cwd to the absolute path real, by
 * their names (both real paths, no "." or ".." in them): "." for cwd
 * itself, "a/b" below it, "../a" beside it.
 */
char *
dipb_path_from(const char *cwd, const char *real)
{
	struct dipb_buf b = DIPB_BUF_INIT;
	size_t n;

	for (;;) {
		cwd += strspn(cwd, "/");
		real += strspn(real, "/");
		n = strcspn(cwd, "/");
		if (n == 0 || strncmp(cwd, real, n) != 0 ||
		    (real[n] != '/' && real[n] != '\0'))
			break;
		cwd += n;
		real += n;
	}
	for (; *cwd != '\0'; cwd += strspn(cwd, "/")) {
		cwd += strcspn(cwd, "/");
		dipb_buf_puts(&b, b.len > 0 ? "/.." : "..");
	}
	if (*real != '\0')
		dipb_buf_printf(&b, "%s%s", b.len > 0 ? "/" : "", real);
	if (b.len == 0)
		dipb_buf_puts(&b, ".");
	return dipb_buf_detach(&b);
}

int
dipb_terminal_dumb(void)
{
	const char *term = getenv("TERM");

	return term == NULL || strcmp(term, "dumb") == 0;
}

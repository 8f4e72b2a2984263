/*
 * util.h - allocation that cannot fail, an arena, a growable string
 * buffer, a string list, small file helpers (atomic writes, temporary
 * files, fsync of folders), child processes, hex, SHA-256, UTF-8
 * validity, shell quoting and relative paths; dates are date.h's.
 *
 * The x* allocators end the process with a message on out of memory: that
 * is not a user error (mandoc, git).  Everything else returns errors.
 */
#ifndef DIPB_UTIL_H
#define DIPB_UTIL_H

#include <dirent.h>
#include <stdarg.h>
#include <stddef.h>

/* The number of elements of array a. */
#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

#if defined(__GNUC__)
#define DIPB_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define DIPB_PRINTF(a, b)
#endif

struct dipb_error;

/*
 * "dipb: out of memory" on standard error and exit status 5, "anything
 * else" of dipb(1), EXIT STATUS: no signal, no core.  For every
 * allocation that cannot fail, dipb's own or a library's.
 */
_Noreturn void dipb_oom(void);
/*
 * "dipb: internal error: <what>" on standard error, then abort(3): for
 * what cannot happen whatever the user, the files or the environment
 * (each caller says why), never for a failure anyone can cause, which is
 * an error returned (error.h).
 */
_Noreturn void dipb_abort(const char *what);
void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
/* Grows *v (an array of *cap elements of size sz) so it holds at least need. */
void	 xgrow(void **v, size_t *cap, size_t need, size_t sz);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
char	*xasprintf(const char *, ...) DIPB_PRINTF(1, 2);
char	*xvasprintf(const char *, va_list) DIPB_PRINTF(1, 0);

/*
 * readdir(3) that tells the end of a folder from a failure to read it,
 * for which readdir returns NULL as well: 1 with *de the next entry, 0 at
 * the end, -1 with errno set (EIO).  A listing that decides something (a
 * tag's number, whether an id is taken, the files validate reads) must
 * not take a failure for the end.
 */
int	 dipb_readdir(DIR *, struct dirent **de);

/*
 * An arena: many small allocations carved from few big blocks and freed
 * all at once, for a structure of many small nodes that is freed whole
 * (a report's model, src/report/model.h; a YAML tree, yaml_tree.h),
 * where malloc's own header and rounding on each would cost as much as
 * the node.  Allocating cannot fail, as with the x* allocators.
 */
struct dipb_arena;

struct dipb_arena *dipb_arena_new(void);
/* n bytes, zeroed, aligned for any type. */
void	*dipb_arena_alloc(struct dipb_arena *, size_t n);
/* n bytes, not aligned, not zeroed: for text. */
char	*dipb_arena_chars(struct dipb_arena *, size_t n);
char	*dipb_arena_strdup(struct dipb_arena *, const char *);
char	*dipb_arena_strndup(struct dipb_arena *, const char *, size_t n);
char	*dipb_arena_vasprintf(struct dipb_arena *, const char *, va_list)
	    DIPB_PRINTF(2, 0);
/*
 * As xgrow(), in the arena, from 4 elements: the old array is left where
 * it was (at most as much again as the array).
 */
void	 dipb_arena_grow(struct dipb_arena *, void **v, size_t *cap,
	    size_t need, size_t sz);
/* Drops all it holds, keeping one block for reuse. */
void	 dipb_arena_clear(struct dipb_arena *);
/* NULL is fine. */
void	 dipb_arena_free(struct dipb_arena *);

/*
 * A byte buffer, always NUL-terminated after the first write (ptr may be
 * NULL while len is 0).  Release with dipb_buf_release(); dipb_buf_detach()
 * hands ptr to the caller, who frees it with free().
 */
struct dipb_buf {
	char	*ptr;
	size_t	 len;
	size_t	 cap;
};

#define DIPB_BUF_INIT { NULL, 0, 0 }

void	 dipb_buf_init(struct dipb_buf *);
void	 dipb_buf_release(struct dipb_buf *);
void	 dipb_buf_grow(struct dipb_buf *, size_t extra);
void	 dipb_buf_put(struct dipb_buf *, const char *, size_t);
void	 dipb_buf_puts(struct dipb_buf *, const char *);
void	 dipb_buf_putc(struct dipb_buf *, char);
void	 dipb_buf_printf(struct dipb_buf *, const char *, ...) DIPB_PRINTF(2, 3);
void	 dipb_buf_clear(struct dipb_buf *);
/* Keeps the first len bytes (len <= the buffer's length). */
void	 dipb_buf_truncate(struct dipb_buf *, size_t len);
char	*dipb_buf_detach(struct dipb_buf *);
/* Returns ptr, or "" while the buffer is empty; borrowed. */
const char *dipb_buf_cstr(const struct dipb_buf *);

/* A list of owned strings; release frees each string and the array. */
struct dipb_strlist {
	char	**v;
	size_t	  n;
	size_t	  cap;
};

#define DIPB_STRLIST_INIT { NULL, 0, 0 }

void	 dipb_strlist_init(struct dipb_strlist *);
void	 dipb_strlist_release(struct dipb_strlist *);
/* Appends a copy of s. */
void	 dipb_strlist_push(struct dipb_strlist *, const char *s);
/* Appends s itself; the list takes ownership. */
void	 dipb_strlist_push_owned(struct dipb_strlist *, char *s);
int	 dipb_strlist_contains(const struct dipb_strlist *, const char *);
void	 dipb_strlist_sort(struct dipb_strlist *);
/* In a list sorted by dipb_strlist_sort, the first string not below s. */
size_t	 dipb_strlist_lower_bound(const struct dipb_strlist *, const char *s);
void	 dipb_strlist_copy(struct dipb_strlist *dst, const struct dipb_strlist *src);
/*
 * The strings of l said in one line into out, "A, B and C": the first
 * few of them (all when but one more is left), then "and N more".
 */
void	 dipb_strlist_say(struct dipb_buf *out,
	    const struct dipb_strlist *l, size_t few);

/*
 * Appends what fd holds to out, cap bytes at most (0: no limit), in one
 * read(2) for a regular file (sized by fstat); out stays NUL-terminated.
 * 0, or -1 with errno.
 */
int	 dipb_read_fd(struct dipb_buf *out, int fd, size_t cap);
/*
 * Opens /dev/null on each of descriptors 0, 1 and 2 that is closed, as
 * git does at its start: otherwise the next file opened (a lock file,
 * say) would take the number, and get the messages meant for standard
 * error, or be read as standard input.  Called first thing in main.
 */
void	 dipb_stdfds_open(void);
/*
 * Reads the whole file at path into out (cleared first).  A file larger
 * than max bytes is refused with DIPB_ERR_TOO_LARGE; max 0 means no limit.
 * path "-" reads standard input, refused (DIPB_ERR_IO) when it was
 * closed at the start (dipb_stdfds_open).
 */
const struct dipb_error *dipb_read_file(struct dipb_buf *out, const char *path,
	    size_t max);
/*
 * Appends the whole of fd, opened from path (which errors name), to out,
 * refused with DIPB_ERR_TOO_LARGE over max bytes (0: no limit), as
 * dipb_read_file reads a file; for a descriptor already checked.
 */
const struct dipb_error *dipb_read_whole(struct dipb_buf *out, int fd,
	    const char *path, size_t max);
/*
 * Opens path to read if it is a regular file (its stat into st, which may
 * be NULL), never waiting as open(2) does on a FIFO: a file of dipb's or
 * git's, which a mistake or another member of a shared repository's
 * group may have replaced by one.  flags: more open(2) flags
 * (O_NOFOLLOW).  The descriptor; -1 with errno; -2 when path is no
 * regular file (its stat in st all the same).  dipb_read_regular reads
 * the whole of such a file as dipb_read_file does, a file of another
 * type refused with DIPB_ERR_IO.
 * dipb_read_file is for the paths a user names, which may be a pipe.
 * dipb_open_regular_at: path relative to the folder open as dir
 * (openat(2); AT_FDCWD: as dipb_open_regular).
 */
struct stat;
int	 dipb_open_regular(const char *path, int flags, struct stat *st);
int	 dipb_open_regular_at(int dir, const char *path, int flags,
	    struct stat *st);
const struct dipb_error *dipb_read_regular(struct dipb_buf *out,
	    const char *path, int flags, size_t max);

/*
 * Writes len bytes to the file tmp (created with mode; a leftover is
 * removed first), then renames it to path, so that path is the old file
 * or the new one, never a part.  sync: 0, no fsync; 1, the file's data;
 * 2, also path's folder, so that the rename outlives a crash of the
 * machine.  tmp NULL: a name of the process's own in the same folder,
 * "<path>.dipb-tmp.<pid>" or, while an entry of that name exists,
 * "<path>.dipb-tmp.<pid>.<n>": an entry there is never removed nor
 * written, as it may be the user's.  tmp, given, is in path's folder.
 * Both are written relative to their folder, open (openat, renameat):
 * only the folder's name need be within PATH_MAX, as with git.
 */
const struct dipb_error *dipb_write_replace(const char *path,
	    const char *tmp, const char *data, size_t len, int mode, int sync);
/*
 * The same, with fix(arg, tmp, fd) called once the data is written and
 * before the rename (an error stops the write): the file's mode given
 * through its descriptor while it is still dipb's alone.
 */
typedef const struct dipb_error *(*dipb_tmp_fix)(const void *arg,
	    const char *tmp, int fd);
const struct dipb_error *dipb_write_replace_fix(const char *path,
	    const char *tmp, const char *data, size_t len, int mode, int sync,
	    dipb_tmp_fix fix, const void *arg);
/*
 * The folder of path, opened for the *at calls (openat, fstatat,
 * renameat, unlinkat), in *fd, and the offset of path's last part in
 * *base.  Written relative to it, a file is written wherever git can
 * write one: only the folder's name, not the temporary's, need be within
 * PATH_MAX (git works relative to the top).  A folder the user may write
 * but not read (a drop box, mode 0300) is opened O_PATH, which the *at
 * calls take, unless it is to be synced (sync): fsync(2) of an O_PATH
 * descriptor fails, EBADF, which would be taken for a folder its file
 * system does not sync.  An error names the folder.
 */
const struct dipb_error *dipb_open_folder_of(int *fd, const char *path,
	    size_t *base, int sync);
/*
 * A temporary file dipb is writing, removed if a signal (SIGHUP, SIGINT,
 * SIGTERM, SIGPIPE) kills the process before dipb_tmp_forget: its name
 * holds the process id, so no later dipb would ever remove it.  A signal
 * the process ignores (nohup) stays ignored.  Returns a slot for
 * dipb_tmp_forget, or -1 when none is left (the file is then only not
 * watched).  Not thread-safe: called from the main thread only.
 */
int	 dipb_tmp_watch(const char *path);
/* The same, of name in the folder open as fd dir (unlinkat(2)), which
 * stays open until dipb_tmp_forget: a name too long for PATH_MAX from the
 * root is watched too. */
int	 dipb_tmp_watch_at(int dir, const char *path);
void	 dipb_tmp_forget(int slot);
/*
 * Waits for child pid as git waits for an editor or a pager it started:
 * SIGINT and SIGQUIT ignored meanwhile, so that ^C on the terminal is the
 * child's to act on (less cancels a search with it) and dipb is not
 * killed under it, leaving it on the terminal.  0 and *status, or -1
 * with errno.
 */
int	 dipb_wait_child(int pid, int *status);
/*
 * pipe(2) with both ends close-on-exec: a program dipb runs gets an end
 * only as the descriptor it is given (the dup2 of posix_spawn's file
 * actions clears the flag), never as an extra one.  An extra write end
 * would keep the pipe open for as long as anything the program leaves
 * behind lives (a hook's job in the background, a credential cache
 * daemon), and dipb, reading to the end, would wait for it.  0, or -1
 * with errno (nothing left open).
 */
int	 dipb_pipe_cloexec(int p[2]);
/*
 * A child's wait status (waitpid) in words, for an error message:
 * "exit status N" or "killed by signal N".  Caller frees.
 */
char	*dipb_wait_status(int status);
/*
 * dipb_write_replace(path, NULL, data, len, mode, 1), never through a
 * symbolic link: a path that is one, or that is not a regular file, is
 * refused (DIPB_ERR_IO, nothing written), and so is a path with a link
 * among its folders in top (the working tree; NULL: none), where a link
 * committed to the board could point anywhere.  The links among the
 * folders outside top are the user's own, and followed.  A relative path
 * is taken from the current folder.  A file that exists keeps its mode;
 * mode (through the umask) is a new file's.  As the shell's '>': a file
 * the user may not write, or one in a folder they may not, is refused
 * (DIPB_ERR_IO, naming path as given).
 */
const struct dipb_error *dipb_write_file_atomic(const char *path,
	    const char *top, const char *data, size_t len, int mode);
/*
 * Writes all len bytes to fd (again after EINTR), then fsyncs it if
 * do_fsync; an error names name.  fd stays open.
 */
const struct dipb_error *dipb_write_all(int fd, const char *name,
	    const char *data, size_t len, int do_fsync);
/* The folder of temporary files: $TMPDIR, or /tmp when it is unset or empty. */
const char *dipb_tmp_dir(void);
/* fsync(2) of folder dir; -1 with errno on failure, any. */
int	 dipb_fsync_dir(const char *dir);
/* The errors of a folder's fsync(2) that say its file system does not
 * sync folders (dipb(1), DIPB_FSYNC). */
#define DIPB_DIRSYNC_UNSUPPORTED(e)	((e) == EINVAL || (e) == EBADF)
/*
 * fsync(2) of the folder holding path; -1 with errno on failure, 0 where
 * its file system does not sync folders (DIPB_DIRSYNC_UNSUPPORTED).
 */
int	 dipb_fsync_dir_of(const char *path);

/*
 * The order of the alen bytes at a and the blen bytes at b: byte order,
 * a prefix first, as git sorts ref names and as strcmp orders strings.
 */
int	 dipb_bytes_cmp(const char *a, size_t alen, const char *b,
	    size_t blen);

/*
 * The n bytes at raw as 2n lower-case hex digits and a NUL, into out
 * (object ids, digests); dipb_unhex the reverse, of lower-case digits as
 * git writes ids: 0, or -1 at a character that is not one.
 */
void	 dipb_hex(char *out, const unsigned char *raw, size_t n);
/*
 * The SHA-256 of the len bytes at data into out: by libcrypto's own
 * SHA256_* functions, which no provider and no OPENSSL_CONF can take
 * away, where EVP_Digest fails when the configuration loads no provider
 * that has it (a FIPS set-up, a hand's openssl.cnf).
 */
void	 dipb_sha256(unsigned char out[32], const void *data, size_t len);
int	 dipb_unhex(unsigned char *raw, const char *hex, size_t n);

/* 1 if s is valid UTF-8 (no overlong forms, no surrogates) and holds no NUL. */
int	 dipb_utf8_valid(const char *s, size_t len);


/*
 * s as one word of a POSIX shell command, for a command a message
 * advises (a path, a name the user gave): s itself when it is a plain
 * word (letters, digits and _ . / : @ % + = , - only), else in single
 * quotes, each ' as '\''.
 * What a user pastes runs as the one argument it names, never as code.
 * Caller frees.
 */
char	*dipb_sh_quote(const char *s);
/*
 * The path from the absolute folder cwd to the absolute path real, both
 * real paths: "." for cwd itself, "a/b" below it, "../a" beside it.
 * Caller frees.
 */
char	*dipb_path_from(const char *cwd, const char *real);

/*
 * 1 when the terminal cannot move its cursor nor colour (TERM unset or
 * "dumb", as git takes it): no escape sequence is written to it.
 */
int	 dipb_terminal_dumb(void);

#endif /* DIPB_UTIL_H */

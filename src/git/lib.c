/*
 * git/lib.c - libgit2 started and stopped, with the options dipb needs
 * (its fsync of what it writes set here alone: at the start, then turned
 * off and on by dipb_git_lib_fsync), each thread's error state made
 * before libgit2 can fail (libgit2 1.5); the mbedTLS certificate loaders
 * it must not run, and DIPB_FAULT, the tests' fault injection.
 */
#include <sys/mman.h>

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "../error.h"
#include "../util.h"

/*
 * Whether libgit2's last error, ge, is out of memory: its own, or zlib's
 * failing to start a stream, which libgit2 1.5 reports as "failed to
 * initialize zlib" (GIT_ERROR_ZLIB) without zlib's reason; for the valid
 * level it passes, deflateInit fails for want of memory alone
 * (Z_MEM_ERROR).  A stream that runs out of memory later is libgit2's
 * GIT_ERROR_NOMEMORY.
 */
static int
out_of_memory(const git_error *ge)
{
	return ge != NULL && (ge->klass == GIT_ERROR_NOMEMORY ||
	    (ge->klass == GIT_ERROR_ZLIB && ge->message != NULL &&
	    strcmp(ge->message, "failed to initialize zlib") == 0));
}

/*
 * "<what>: <libgit2's last message>" with DIPB_ERR_GIT, or "<what>: out
 * of memory" with DIPB_ERR_NOMEM.  The what is formatted as for
 * printf.  From libgit2 1.8 on, git_error_last() with no error set is a
 * "no error" of class GIT_ERROR_NONE, never NULL: no message either way.
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
	if (out_of_memory(ge))
		err = dipb_error_fmt(DIPB_ERR_NOMEM, "%s: out of memory",
		    what);
	else if (ge != NULL && ge->klass != GIT_ERROR_NONE &&
	    ge->message != NULL && ge->message[0] != '\0')
		err = dipb_error_fmt(DIPB_ERR_GIT, "%s: %s", what,
		    ge->message);
	else
		err = dipb_error_fmt(DIPB_ERR_GIT, "%s", what);
	free(what);
	return err;
}

int
dipb_git_failed_system(void)
{
	const git_error *ge = git_error_last();

	return out_of_memory(ge) || (ge != NULL && ge->klass == GIT_ERROR_OS);
}

/*
 * Fault injection, for the tests only: DIPB_FAULT=<point> kills the process
 * with SIGKILL right after that step of dipb_repo_commit or of dipb sync
 * (publish.c), so the tests can check that the next dipb_repo_begin()
 * completes or discards the change;
 * DIPB_FAULT=<point>:stop stops it (SIGSTOP) there, so a test can play
 * another writer before it continues.  Points: blob, commit, tag-object,
 * journal, tag-ref, branch, worktree, index; dipb sync's sync-journal,
 * sync-refs, sync-branch, sync-worktree; and of either, move, after the
 * first record file renamed in the working tree; locate, a repository
 * looked for found, its owner not yet checked; odb, a repository opened,
 * its objects not yet; dipb init's init, its repository made or found with
 * no board, init-temp, its .git.dipb-new-PID.XXXXXX made, not yet renamed
 * .git, init-probe, its rename tried in a folder of its own, init-claim,
 * its .git made empty, init-found, its .git found, not yet read, and
 * init-wait, a .git another init holds found; as dipb(1) lists.
 * dipb_repo_fault_at (repo.h) is the same variable's other form,
 * DIPB_FAULT=<point>:<subject>, a step made to fail rather than killed.
 */
void
dipb_git_fault(const char *point)
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

int
dipb_repo_fault_at(const char *point, const char *subject)
{
	const char *f = getenv("DIPB_FAULT");
	size_t n = strlen(point);

	return f != NULL && strncmp(f, point, n) == 0 && f[n] == ':' &&
	    strcmp(f + n + 1, subject) == 0;
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
 * through this process could verify no peer, and fails closed.  The
 * signatures are mbedTLS's, the chain an opaque pointer.  libgit2 built
 * on OpenSSL, as Ubuntu builds it, has OpenSSL 3 read and parse the same
 * file in its init instead (SSL_CTX_set_default_verify_paths: 18 ms of
 * CPU a process, more than the rest of dipb list at 1,000 records):
 * defined here too, it loads nothing and succeeds (OpenSSL's 1).  A
 * libgit2 that looks OpenSSL up at run time (GIT_OPENSSL_DYNAMIC) calls
 * OpenSSL's own; without TLS, nothing calls any of them.
 */
int mbedtls_x509_crt_parse_file(void *, const char *);
int mbedtls_x509_crt_parse_path(void *, const char *);
int SSL_CTX_set_default_verify_paths(void *);

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

int
SSL_CTX_set_default_verify_paths(void *ctx)
{
	(void)ctx;
	return 1;
}

/*
 * What a command keeps of the packs and objects it read.  libgit2 maps a
 * pack in windows of 1 GiB, up to 8 GiB, and keeps every commit and
 * small tree it read, up to 256 MiB: a replay of the whole history
 * (dipb verify) read every object of a 266 MB pack and held all of it,
 * 420 MB at 10,000 records.  Windows of 4 MiB, 64 MiB of them mapped
 * at once (the least recently used unmapped first), and 8 MiB of
 * objects bound that whatever the history; what is read once is read
 * from the page cache again if needed.  Small windows, sixteen of them:
 * a reader that goes back and forth in a pack (report package reads
 * each record at its own submission) keeps the places it returns to
 * mapped; with two of 32 MiB it mapped and unmapped them for every
 * record, 79,648 munmaps and 3.4 times the cost a record at 30,000
 * records.  The 16 MiB cache of delta bases is libgit2's own, per pack.
 */
#define PACK_WINDOW	((size_t)4 << 20)
#define PACK_MAPPED	((size_t)64 << 20)
#define OBJECT_CACHE	((ssize_t)8 << 20)

/*
 * libgit2 counts its own initialisations: the first open initialises it,
 * the last close shuts it down.  Objects, refs, reflogs, the index, the
 * journal and the files written are fsynced unless DIPB_FSYNC=0 (bulk
 * imports).  libgit2 writes loose objects at zlib level 1 (Z_BEST_SPEED)
 * already, so no loose backend of our own; only big trees are written by
 * tree.c (write_loose), at git's configured level.  Objects read are not
 * hashed again, as git does not (git fsck and dipb verify check them): at
 * 10,000 records that is a 400 KB tree hashed on every read.  libgit2's
 * check of who owns the repository is off: it reads safe.directory from
 * another configuration than git's, so discover.c checks it as git
 * does.
 */
/*
 * The repository extensions libgit2 1.5 refuses though they are safe for
 * what dipb does (dipb-git(7)): it never prunes, reads only the objects
 * that are there, and reads config.worktree itself (config.c);
 * objectFormat passes here so that config.c can accept sha1 and refuse
 * the rest by name.
 */
static const char *extensions[] = { "preciousobjects", "partialclone",
    "worktreeconfig", "objectformat", "noop-v1" };
#define NEXTENSIONS	(sizeof(extensions) / sizeof(extensions[0]))

const struct dipb_error *
dipb_git_lib_extensions(const struct dipb_strlist *more)
{
	const char **v;
	size_t i, n = more != NULL ? more->n : 0;
	int rc;

	v = xcalloc(NEXTENSIONS + n, sizeof(*v));
	for (i = 0; i < NEXTENSIONS; i++)
		v[i] = extensions[i];
	for (i = 0; i < n; i++)
		v[NEXTENSIONS + i] = more->v[i];
	rc = git_libgit2_opts(GIT_OPT_SET_EXTENSIONS, v, NEXTENSIONS + n);
	free(v);
	if (rc < 0)
		return dipb_error_from_git("cannot set libgit2's extensions");
	return NULL;
}

/*
 * libgit2 1.5 allocates a thread's error state at the first error the
 * thread meets, and when that allocation fails it sets an out-of-memory
 * error, which needs the state: it recurses until the stack runs out,
 * SIGSEGV where "out of memory" was due (fixed in libgit2 1.7).  Its
 * first error can be git_libgit2_init's own, which allocates after it
 * made the state's key.  So room is looked for first: ROOM bytes of
 * address space mapped and unmapped again, or "out of memory" as
 * xmalloc ends dipb (libgit2's start-up here takes some 100 KB of heap,
 * 130 KB of growth).  A probe, not a reservation: it holds against a
 * limit of the address space (ulimit -v) with one thread allocating,
 * not against another thread's allocation in between.  The state is
 * then made at once, git_error_clear() makes it.  libgit2's shutdown
 * frees it: each initialisation makes it again.
 */
#define ROOM	((size_t)256 << 10)

static void
make_room(void)
{
	void *p = mmap(NULL, ROOM, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		dipb_oom();
	(void)munmap(p, ROOM);
}

void
dipb_repo_thread_ready(void)
{
	make_room();
	git_error_clear();
}

const struct dipb_error *
dipb_git_lib_init(int *fsync_on)
{
	const char *env = getenv("DIPB_FSYNC");

	make_room();
	if (git_libgit2_init() < 0)
		return dipb_error_from_git("cannot initialise libgit2");
	git_error_clear();	/* this thread's state made (make_room) */
	*fsync_on = !(env != NULL && strcmp(env, "0") == 0);
	if (git_libgit2_opts(GIT_OPT_ENABLE_FSYNC_GITDIR, *fsync_on) < 0 ||
	    git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0) < 0 ||
	    git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 0) < 0 ||
	    git_libgit2_opts(GIT_OPT_SET_EXTENSIONS, extensions,
	    NEXTENSIONS) < 0 ||
	    git_libgit2_opts(GIT_OPT_SET_MWINDOW_SIZE, PACK_WINDOW) < 0 ||
	    git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT,
	    PACK_MAPPED) < 0 ||
	    git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, OBJECT_CACHE) < 0) {
		git_libgit2_shutdown();
		return dipb_error_from_git("cannot set libgit2's options");
	}
	return NULL;
}

void
dipb_git_lib_fsync(const struct dipb_repo *r, int on)
{
	if (git_libgit2_opts(GIT_OPT_ENABLE_FSYNC_GITDIR,
	    on && r->dirsync >= 0) < 0)
		git_error_clear();
}

/*
 * libgit2 reads the system, xdg and global configuration files itself
 * when it opens a repository, before dipb gives it the configuration git
 * reads (config.c), and fails on one the user cannot read (a HOME of
 * another user's, mode 700; a GIT_CONFIG_GLOBAL file of root's), where
 * git skips the global ones (dipb-git(7)).  What libgit2 needs at the
 * open, core.bare and core.worktree, git reads from the repository's own
 * config alone.  So its search paths are empty while it opens one, and
 * are put back after: they find the xdg and system attributes and
 * ignore files too, and expand "~/" in the configuration's paths.
 */
static const int search_levels[] = { GIT_CONFIG_LEVEL_PROGRAMDATA,
    GIT_CONFIG_LEVEL_SYSTEM, GIT_CONFIG_LEVEL_XDG, GIT_CONFIG_LEVEL_GLOBAL };
#define NLEVELS	(sizeof(search_levels) / sizeof(search_levels[0]))

const struct dipb_error *
dipb_git_paths_hide(struct dipb_git_paths *saved)
{
	const struct dipb_error *err;
	size_t i;

	memset(saved, 0, sizeof(*saved));
	for (i = 0; i < NLEVELS; i++)
		if (git_libgit2_opts(GIT_OPT_GET_SEARCH_PATH, search_levels[i],
		    &saved->v[i]) < 0) {
			err = dipb_error_from_git("cannot read libgit2's "
			    "search paths");
			while (i-- > 0)
				git_buf_dispose(&saved->v[i]);
			return err;
		}
	saved->hidden = 1;
	for (i = 0; i < NLEVELS; i++)
		if (git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, search_levels[i],
		    "") < 0) {
			err = dipb_error_from_git("cannot set libgit2's "
			    "search paths");
			dipb_error_free(dipb_git_paths_restore(saved));
			return err;
		}
	return NULL;
}

const struct dipb_error *
dipb_git_paths_restore(struct dipb_git_paths *saved)
{
	const struct dipb_error *err = NULL;
	size_t i;

	if (!saved->hidden)
		return NULL;
	for (i = 0; i < NLEVELS; i++) {
		if (git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, search_levels[i],
		    saved->v[i].ptr) < 0 && err == NULL)
			err = dipb_error_from_git("cannot set libgit2's "
			    "search paths");
		git_buf_dispose(&saved->v[i]);
	}
	saved->hidden = 0;
	return err;
}

/* libgit2's setting (repo.h); it has no call that reads it. */
static int	cache_on = 1;

int
dipb_repo_cache_objects(int on)
{
	int was = cache_on;

	if (git_libgit2_opts(GIT_OPT_ENABLE_CACHING, on) < 0)
		git_error_clear();	/* the cache stays as it was */
	else
		cache_on = on;
	return was;
}

/*
 * pool.h - a small fixed pool of worker threads over an index range: the
 * one pool that dipb validate (files) and dipb verify (records) share.
 *
 *	n = dipb_pool_workers(nitems, 16, 8);
 *	err = dipb_pool_run(n, nitems, chunk, fn, arg);
 *
 * The calling thread is worker 0; the others are started for the run and
 * joined before it returns.  A thread that cannot start is no loss: the
 * others take its share.  Each worker takes chunk indexes at a time until
 * none are left; fn(arg, worker, begin, end) handles [begin, end), worker
 * (0 <= worker < n) being the caller's index for per-worker state.  The
 * first error fn returns wins: workers take no more chunks, and the
 * others are freed.
 */
#ifndef DIPB_POOL_H
#define DIPB_POOL_H

#include <stddef.h>

struct dipb_error;

typedef const struct dipb_error *(*dipb_pool_fn)(void *arg, size_t worker,
	    size_t begin, size_t end);

/*
 * How many workers for nitems: one per processor online, at most max,
 * and no more than one per per items (at least 1).
 */
size_t	 dipb_pool_workers(size_t nitems, size_t per, size_t max);

const struct dipb_error *dipb_pool_run(size_t nworkers, size_t nitems,
	    size_t chunk, dipb_pool_fn fn, void *arg);

#endif /* DIPB_POOL_H */

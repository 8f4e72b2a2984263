/*
 * pool.c - a small fixed pool of worker threads (pool.h).
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

#include "error.h"
#include "pool.h"
#include "util.h"

struct run {
	dipb_pool_fn		 fn;
	void			*arg;
	size_t			 nitems;
	size_t			 chunk;
	atomic_size_t		 next;
	atomic_int		 stop;
	pthread_mutex_t		 lock;
	const struct dipb_error	*err;		/* the first */
};

struct worker {
	struct run	*run;
	size_t		 index;
	pthread_t	 thread;
};

static void *
work(void *p)
{
	struct worker *w = p;
	struct run *r = w->run;
	const struct dipb_error *err;
	size_t i, end;

	while (!atomic_load(&r->stop)) {
		i = atomic_fetch_add(&r->next, r->chunk);
		if (i >= r->nitems)
			break;
		end = r->nitems - i > r->chunk ? i + r->chunk : r->nitems;
		if ((err = r->fn(r->arg, w->index, i, end)) == NULL)
			continue;
		pthread_mutex_lock(&r->lock);
		if (r->err == NULL)
			r->err = err;
		else
			dipb_error_free(err);
		pthread_mutex_unlock(&r->lock);
		atomic_store(&r->stop, 1);
	}
	return NULL;
}

size_t
dipb_pool_workers(size_t nitems, size_t per, size_t max)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	size_t n = ncpu > 0 ? (size_t)ncpu : 1;

	if (n > max)
		n = max;
	if (per > 0 && n > nitems / per + 1)
		n = nitems / per + 1;
	return n > 0 ? n : 1;
}

const struct dipb_error *
dipb_pool_run(size_t nworkers, size_t nitems, size_t chunk, dipb_pool_fn fn,
    void *arg)
{
	struct worker *w;
	struct run r;
	size_t i, started;

	if (nworkers == 0)
		nworkers = 1;
	r.fn = fn;
	r.arg = arg;
	r.nitems = nitems;
	r.chunk = chunk > 0 ? chunk : 1;
	r.err = NULL;
	atomic_init(&r.next, 0);
	atomic_init(&r.stop, 0);
	pthread_mutex_init(&r.lock, NULL);
	w = xcalloc(nworkers, sizeof(*w));
	for (i = 0; i < nworkers; i++) {
		w[i].run = &r;
		w[i].index = i;
	}
	for (started = 1; started < nworkers; started++)
		if (pthread_create(&w[started].thread, NULL, work,
		    &w[started]) != 0)
			break;
	work(&w[0]);
	for (i = 1; i < started; i++)
		pthread_join(w[i].thread, NULL);
	pthread_mutex_destroy(&r.lock);
	free(w);
	return r.err;
}

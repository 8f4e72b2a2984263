/*
 * gc.c - git gc --auto or git maintenance run --auto after a change,
 * as git commit runs them, and pack-refs when loose tags pile up
 * (repo.h, dipb_repo_auto_gc).
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../error.h"
#include "../util.h"
#include "internal.h"

/* ---- git gc --auto ------------------------------------------------ */

/* The number in cfg of key, or def when unset or not a number. */
static int32_t
config_int(git_config *cfg, const char *key, int32_t def)
{
	int32_t v;

	if (git_config_get_int32(&v, cfg, key) < 0) {
		git_error_clear();
		return def;
	}
	return v;
}

/*
 * 1 when git gc --auto would find work, by git's own estimate (gc.auto in
 * git-config(1)): more loose objects in objects/17 than a 256th of
 * limit, rounded up, or more packs without a .keep than packs.
 */
static int
gc_wanted(const char *objdir, int32_t limit, int32_t packs)
{
	struct dirent *d;
	DIR *dir;
	char *path, *keep;
	size_t n, count = 0, want = ((size_t)limit + 255) / 256;
	struct stat st;

	path = xasprintf("%s17", objdir);
	if ((dir = opendir(path)) != NULL) {
		while (count <= want && (d = readdir(dir)) != NULL)
			if (strlen(d->d_name) == DIPB_OID_HEX - 2 &&
			    strspn(d->d_name, "0123456789abcdef") ==
			    DIPB_OID_HEX - 2)
				count++;
		closedir(dir);
	}
	free(path);
	if (count > want)
		return 1;
	if (packs <= 0)
		return 0;
	count = 0;
	path = xasprintf("%spack", objdir);
	if ((dir = opendir(path)) != NULL) {
		while ((d = readdir(dir)) != NULL) {
			n = strlen(d->d_name);
			if (n <= 5 || strcmp(d->d_name + n - 5, ".pack") != 0)
				continue;
			keep = xasprintf("%s/%.*s.keep", path, (int)n - 5,
			    d->d_name);
			if (stat(keep, &st) == -1)
				count++;
			free(keep);
		}
		closedir(dir);
	}
	free(path);
	return count > (size_t)packs;
}

/* What a change's housekeeping runs (housekeeping). */
#define HK_GC		1	/* git gc --auto, when gc_wanted */
#define HK_TASKS	2	/* git maintenance run --auto: git decides */

/*
 * HK_GC and HK_TASKS as git's 'git maintenance run --auto' would have
 * them, from maintenance.<task>.enabled (git-maintenance(1); true for gc
 * alone by default, maintenance.strategy only for --schedule runs, as
 * in git 2.39 to 2.51):
 * HK_TASKS when a task other than gc that git may run --auto is on
 * (prefetch never is).  0, said once, on a value that is no boolean:
 * git dies on it before it runs any task, after the commit is made.
 */
static int
tasks_enabled(struct dipb_repo *repo, git_config *cfg)
{
	/* In git's order, which names the first bad value; what each on
	 * means to housekeeping (prefetch: nothing, --auto never fetches),
	 * and its default. */
	static const struct {
		const char	*key;
		int		 hk, def;
	} tasks[] = {
		{ "maintenance.prefetch.enabled", 0, 0 },
		{ "maintenance.loose-objects.enabled", HK_TASKS, 0 },
		{ "maintenance.incremental-repack.enabled", HK_TASKS, 0 },
		{ "maintenance.gc.enabled", HK_GC, 1 },
		{ "maintenance.commit-graph.enabled", HK_TASKS, 0 },
		{ "maintenance.pack-refs.enabled", HK_TASKS, 0 },
		/* later git's (2.50 to 2.52); an older one ignores them */
		{ "maintenance.reflog-expire.enabled", HK_TASKS, 0 },
		{ "maintenance.worktree-prune.enabled", HK_TASKS, 0 },
		{ "maintenance.rerere-gc.enabled", HK_TASKS, 0 },
		{ "maintenance.geometric-repack.enabled", HK_TASKS, 0 },
	};
	const struct dipb_error *err;
	size_t i;
	int on, hk = 0;

	for (i = 0; i < sizeof(tasks) / sizeof(tasks[0]); i++) {
		if ((err = dipb_git_config_bool(&on, cfg, repo->git,
		    tasks[i].key, tasks[i].def)) != NULL) {
			dipb_repo_warn(repo, err->msg);
			dipb_error_free(err);
			return 0;
		}
		if (on)
			hk |= tasks[i].hk;
	}
	return hk;
}

/*
 * 1 while a git maintenance run holds objects/maintenance.lock: git's
 * own auto run then runs nothing, and a gc would run into its repack.
 * Any entry at the name holds it, a dangling link too: git makes the
 * lock with O_EXCL, which fails on one.
 */
static int
maintenance_running(const struct dipb_repo *repo)
{
	struct stat st;
	char *path;
	int held;

	path = xasprintf("%smaintenance.lock", repo->objdir);
	held = lstat(path, &st) == 0 || errno != ENOENT;
	free(path);
	return held;
}

/*
 * What git's automatic housekeeping would run after a commit (HK_GC,
 * HK_TASKS; 0 while maintenance.auto is false or a maintenance run is
 * in progress), with gc.auto and gc.autopackLimit into *limit and
 * *packs; HK_GC only while gc.auto is above 0.
 */
static int
housekeeping(struct dipb_repo *repo, int32_t *limit, int32_t *packs)
{
	const struct dipb_error *err;
	git_config *cfg = NULL;
	int on = 1, hk = 0;

	if (repo == NULL || repo->objdir == NULL)
		return 0;
	if ((err = dipb_git_config_open(&cfg, repo->git, &repo->format)) !=
	    NULL) {
		dipb_error_free(err);	/* the command read it already */
		return 0;
	}
	/* As git's own commit, whose 'git maintenance run --auto' dies on
	 * it after the commit is made: the change stands, said once. */
	if ((err = dipb_git_config_bool(&on, cfg, repo->git,
	    "maintenance.auto", 1)) != NULL) {
		dipb_repo_warn(repo, err->msg);
		dipb_error_free(err);
		on = 0;
	}
	if (on)
		hk = tasks_enabled(repo, cfg);
	/* After the values, as git reads them before its lock. */
	if (hk != 0 && maintenance_running(repo))
		hk = 0;
	*limit = config_int(cfg, "gc.auto", 6700);
	*packs = config_int(cfg, "gc.autopacklimit", 50);
	git_config_free(cfg);
	return *limit > 0 ? hk : hk & ~HK_GC;
}

/*
 * Runs git with args, a warning naming what when it fails.  Under the
 * repository lock, taken here unless the command holds it still: git's
 * housekeeping locks what dipb's changes lock (git gc --auto packs the
 * refs and expires the branch's reflog before it goes to the
 * background), so two dipb processes that each finished a change would
 * otherwise run it into each other, or into a third one's change, and
 * warn of a lock file that is no stale one.  When another process holds
 * the lock, nothing is run: that process's change ends with the same
 * check, and the next change finds the same work to do.
 */
static void
housework(struct dipb_repo *repo, const char *what, const char *const *args)
{
	const struct dipb_error *err;
	struct dipb_buf msg = DIPB_BUF_INIT;
	char *w;
	int ok, held = 0, mine = repo->lock_fd < 0;

	if (mine) {
		if ((err = dipb_git_lock_repo(repo, &held, 0)) != NULL) {
			dipb_error_free(err);	/* a read-only git dir */
			return;
		}
		if (!held)
			return;
	}
	if ((err = dipb_git_run(&ok, NULL, &msg, repo, args, NULL,
	    0)) != NULL) {
		w = xasprintf("%s: %s", what, err->msg);
		dipb_error_free(err);
	} else
		w = ok ? NULL : xasprintf("%s failed: %s", what,
		    dipb_git_said(&msg));
	if (mine)
		dipb_repo_end(repo);
	if (w != NULL)
		dipb_repo_warn(repo, w);
	free(w);
	dipb_buf_release(&msg);
}

/*
 * With a task besides gc on, git's own conditions decide (each costs a
 * walk or a count dipb does not repeat), and git's maintenance.lock
 * keeps its run from another; else the estimate spares the git process
 * after most changes.
 */
void
dipb_repo_auto_gc(struct dipb_repo *repo)
{
	static const char *const gc[] = { "gc", "--auto", "--quiet", NULL };
	static const char *const run[] = { "maintenance", "run", "--auto",
	    "--quiet", NULL };
	int32_t limit, packs;
	int hk = housekeeping(repo, &limit, &packs);

	if (hk & HK_TASKS)
		housework(repo, "git maintenance run --auto", run);
	else if ((hk & HK_GC) && gc_wanted(repo->objdir, limit, packs))
		housework(repo, "git gc --auto", gc);
}

void
dipb_git_pack_refs_auto(struct dipb_repo *repo, size_t nloose)
{
	static const char *const args[] = { "pack-refs", "--all", "--prune",
	    NULL };
	int32_t limit, packs;

	if (nloose >= DIPB_GIT_LOOSE_REFS && (housekeeping(repo, &limit,
	    &packs) & HK_GC))
		housework(repo, "git pack-refs", args);
}

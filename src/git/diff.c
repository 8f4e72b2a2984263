/*
 * diff.c - a unified diff of two texts, as libgit2 makes one
 * (repo.h, "Two texts compared").
 *
 * dipb diff compares two versions of a record's canonical YAML, which it
 * builds itself (they are not blobs of the history when only the
 * drafter's fields are compared), so libgit2 diffs the buffers: the same
 * algorithm and hunk layout as git diff, without a temporary file or a
 * blob written.  The file header is the caller's to print: the two sides
 * are versions of one record, not two paths.
 */
#include <stdlib.h>
#include <string.h>

#include "../error.h"
#include "internal.h"

struct print {
	dipb_diff_line_fn	 fn;
	void			*arg;
	int			 stopped;
};

static int
on_line(const git_diff_delta *delta, const git_diff_hunk *hunk,
    const git_diff_line *line, void *payload)
{
	struct print *p = payload;
	enum dipb_diff_origin o;

	(void)delta;
	(void)hunk;
	switch (line->origin) {
	case GIT_DIFF_LINE_HUNK_HDR:
		o = DIPB_DIFF_HUNK;
		break;
	case GIT_DIFF_LINE_CONTEXT:
		o = DIPB_DIFF_CONTEXT;
		break;
	case GIT_DIFF_LINE_ADDITION:
		o = DIPB_DIFF_ADDED;
		break;
	case GIT_DIFF_LINE_DELETION:
		o = DIPB_DIFF_REMOVED;
		break;
	case GIT_DIFF_LINE_CONTEXT_EOFNL:
	case GIT_DIFF_LINE_ADD_EOFNL:
	case GIT_DIFF_LINE_DEL_EOFNL:
		o = DIPB_DIFF_NO_NEWLINE;
		break;
	default:
		return 0;	/* the file header: the caller's */
	}
	if (p->fn(o, line->content, line->content_len, p->arg) != 0) {
		p->stopped = 1;
		return -1;
	}
	return 0;
}

const struct dipb_error *
dipb_repo_diff_text(unsigned *added, unsigned *removed, struct dipb_repo *repo,
    const struct dipb_buf *old, const struct dipb_buf *new,
    unsigned context, dipb_diff_line_fn fn, void *arg)
{
	git_diff_options opts;
	git_patch *patch = NULL;
	size_t ctx_lines, adds, dels;
	struct print p = { fn, arg, 0 };
	const struct dipb_error *err = NULL;

	(void)repo;	/* open: libgit2 is initialised */
	*added = *removed = 0;
	if (git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION) < 0)
		return dipb_error_from_git("cannot compare two versions");
	opts.context_lines = context;
	/* Text, always: a record is UTF-8 without NUL (dipb-record(5)). */
	opts.flags |= GIT_DIFF_FORCE_TEXT;
	/*
	 * git diff's default since git 2.14 (diff.indentHeuristic): of the
	 * places a hunk of repeated lines may start, the one its
	 * indentation suggests, so that the hunks are git's.
	 */
	opts.flags |= GIT_DIFF_INDENT_HEURISTIC;
	if (git_patch_from_buffers(&patch, old->ptr, old->len, "a",
	    new->ptr, new->len, "b", &opts) < 0)
		return dipb_error_from_git("cannot compare two versions");
	if (git_patch_line_stats(&ctx_lines, &adds, &dels, patch) < 0) {
		err = dipb_error_from_git("cannot compare two versions");
		goto done;
	}
	*added = (unsigned)adds;
	*removed = (unsigned)dels;
	if (fn != NULL && git_patch_print(patch, on_line, &p) < 0 &&
	    !p.stopped)
		err = dipb_error_from_git("cannot compare two versions");
done:
	git_patch_free(patch);
	return err;
}

/*
 * editor.h - running the user's editor on a file, as git does.
 */
#ifndef DIPB_EDITOR_H
#define DIPB_EDITOR_H

#include "util.h"

/*
 * Runs $VISUAL, else $EDITOR, else vi on path through sh(1), so that an
 * editor given with arguments ("code --wait") works.  DIPB_ERR_EDITOR when
 * it cannot be run or exits non-zero.
 */
const struct dipb_error *dipb_editor_run(const char *path);

/*
 * Writes initial to a new temporary file (name ending in .yaml), runs the
 * editor on it, and reads it back into out.  The file is removed.
 */
const struct dipb_error *dipb_editor_edit(struct dipb_buf *out,
	    const char *initial, size_t len);

/* Asks "question [Y/n] " on the terminal; 1 for yes. */
int	 dipb_editor_ask(const char *question);

#endif /* DIPB_EDITOR_H */

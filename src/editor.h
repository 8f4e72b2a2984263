/*
 * editor.h - the user's editor, and the drafts written in it.
 *
 * What a user typed is never lost: the editor runs on a draft file that
 * dipb removes only once its text is committed, or when it holds nothing
 * of the user's (the template left as it was, or emptied).  Otherwise the
 * file is kept and the command says where (dipb-recommend(1), FILES).
 */
#ifndef DIPB_EDITOR_H
#define DIPB_EDITOR_H

#include "util.h"

struct dipb_error;

/*
 * core.editor of the repository's configuration (NULL: none), which
 * dipb_editor_program takes after GIT_EDITOR and before VISUAL, as git
 * does, and top, the working tree's top (NULL: none), where git runs the
 * editor, so that a relative one ("./tools/ed.sh") is found from any
 * folder of the working tree; both copied.  A command that opens the
 * editor sets them first.
 */
void	 dipb_editor_set_core(const char *core_editor, const char *top);
/*
 * The editor, as git chooses it (its editor.c): $GIT_EDITOR, then
 * core.editor (dipb_editor_set_core), then $VISUAL unless the terminal is
 * dumb (TERM unset or "dumb"), then $EDITOR, then vi unless the terminal
 * is dumb.  NULL when there is none; borrowed.  *named is set when one of
 * them was set (not the vi of the last resort); named may be NULL.
 */
const char *dipb_editor_program(int *named);

/*
 * NULL when the editor can be opened: there is one (above), and
 * interactive (standard input and standard error are terminals) or, with
 * named_ok, the user named it ($GIT_EDITOR, core.editor, $VISUAL or
 * $EDITOR), so that a script can be the editor as in git.  Otherwise
 * DIPB_ERR_USAGE saying why, then instead: how to give the text without
 * an editor.
 */
const struct dipb_error *dipb_editor_check(int interactive, int named_ok,
	    const char *instead);

/*
 * Runs the editor on path through sh(1), so that an editor given with
 * arguments ("code --wait") works, from the working tree's top as git
 * runs it (dipb_editor_set_core; path is given absolute); its standard
 * output is standard error
 * when only that is a terminal, so that 'id=$(dipb recommend ...)' can
 * still open vi.  DIPB_ERR_EDITOR when it cannot be run or exits
 * non-zero; DIPB_ERR_USAGE when there is no editor (a dumb terminal).
 */
const struct dipb_error *dipb_editor_run(const char *path);

/* Asks "question [Y/n] " on standard error; 1 for yes, 0 for no or EOF. */
int	 dipb_editor_ask(const char *question);
/*
 * A round the user may take up again: says *err as dipb(1) says an error
 * ("dipb: " and its text, control characters shown as '?'), then asks
 * "edit again?".  1 for yes, *err freed and NULL; 0 for no, *err made one
 * of the same code with an empty message, which says nothing more
 * (dipb_draft_kept, main), so that the refusal is said once.
 */
int	 dipb_editor_ask_again(const struct dipb_error **err);

/* A file the user writes in the editor. */
struct dipb_draft {
	char		*path;		/* absolute; NULL until opened */
	struct dipb_buf	 initial;	/* the template */
	struct dipb_buf	 text;		/* what the editor left */
	char		*fixed;		/* dipb_draft_fix's file; or NULL */
};

#define DIPB_DRAFT_INIT { NULL, DIPB_BUF_INIT, DIPB_BUF_INIT, NULL }

/*
 * Makes the draft prefix-XXXXXX.yaml, mode 0600, holding initial, in dir
 * (made, mode 0700, when missing: its parent must be there,
 * dipb_repo_drafts_dir), or in $TMPDIR (else /tmp) when dir
 * cannot be written, or is not the user's alone: a link, another's, one
 * the group or others can write or with an extended ACL, or in a folder
 * like that, or in a git dir like that (dipb-recommend(1), FILES).  d is
 * DIPB_DRAFT_INIT or closed; ends with dipb_draft_close().
 */
const struct dipb_error *dipb_draft_open(struct dipb_draft *,
	    const char *dir, const char *prefix, const char *initial,
	    size_t len);
/*
 * Runs the editor on the draft and reads it back into d->text, even when
 * the editor failed (then its error is returned): a regular file of the
 * user's with no other name, never through a link, or an error.
 */
const struct dipb_error *dipb_draft_edit(struct dipb_draft *);
/* 1 when the text is the template, byte for byte. */
int	 dipb_draft_unchanged(const struct dipb_draft *);
/* 1 when the text holds nothing but blanks and '#' comment lines. */
int	 dipb_draft_empty(const struct dipb_draft *);
/*
 * Writes the draft's text with the value a refusal names put back (text,
 * len: emitted by the caller), which copied as it is would be refused
 * again, to a second file next to the draft, named as the draft and
 * -YYYYYY.yaml, mode 0600; dipb_draft_kept then takes it up instead of
 * the draft.
 */
const struct dipb_error *dipb_draft_fix(struct dipb_draft *,
	    const char *text, size_t len);
/*
 * Ends the draft: keep 0 removes its file (and dipb_draft_fix's), keep 1
 * leaves them where they are.
 * Frees what d holds; d may be closed again.
 */
void	 dipb_draft_close(struct dipb_draft *, int keep);
/*
 * err (freed) with a line saying where the draft is kept and the command
 * that takes it back, resume with its first "%s" for the draft's path
 * (dipb_draft_fix's, when there is one),
 * shell-quoted (dipb_sh_quote; the rest of resume quoted by its caller);
 * or, when no file is there (the editor removed it), a line saying so.
 */
const struct dipb_error *dipb_draft_kept(const struct dipb_error *err,
	    const struct dipb_draft *, const char *resume);

/*
 * Removes the file at path, a draft taken up again and committed, when
 * it is a regular file of the user's with no other name (one link): right
 * in dir, the drafts folder, when dir is the user's alone
 * (dipb_draft_open), or right in $TMPDIR (else /tmp) with the name
 * dipb_draft_open gives a draft of prefix.  The folders by the device and
 * inode of lstat(2), never through a link; nothing is made.
 */
void	 dipb_draft_forget(const char *dir, const char *prefix,
	    const char *path);

#endif /* DIPB_EDITOR_H */

/*
 * text.h - text from outside (git, a record file) made fit for a
 * terminal or for JSON: the one cleaner that history, verify and the
 * commands share.
 */
#ifndef DIPB_TEXT_H
#define DIPB_TEXT_H

#include <stddef.h>

/*
 * A copy of the len bytes at s, cleaned: invalid UTF-8, NUL and control
 * characters other than '\n' and '\t' (C1 controls included) become '?'.
 * Caller frees.
 */
char	*dipb_text_clean(const char *s, size_t len);

/* As dipb_text_clean, and '\n' and '\t' become '?' too: one line.  NULL
 * gives "". */
char	*dipb_text_clean_line(const char *s);

#endif /* DIPB_TEXT_H */

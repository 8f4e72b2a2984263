/*
 * trailer.h - the trailers of a commit message, read by git's own rules
 * (git-interpret-trailers(1), as "git interpret-trailers --parse" reads
 * them): the one parser that dipb log, dipb report and dipb verify share.
 *
 * The trailer block is the last paragraph of the message, never its
 * first (the title), before a line starting "---" and a blank (a patch)
 * or git's cut line "# ------------------------ >8 ------------------------"
 * (what follows it is ignored), and before a trailing run of "#" comment
 * lines, empty lines and an old "Conflicts:" list.  A line "Key: value"
 * is a trailer when Key is letters, digits and '-', with nothing before
 * it and only blanks between it and the colon; a line starting with a
 * blank continues the trailer above it (the value is unfolded to one
 * line).  The paragraph is the trailer block when all its lines are
 * trailers, or when it has a line git itself writes ("Signed-off-by: ",
 * "(cherry picked from commit ") and at least a quarter of its lines are
 * trailers.
 * "#" lines are comments.  Keys compare without regard to case, as git's
 * do: dipb-record is Dipb-Record (dipb-verify(1)).
 *
 * Pure text: no git, no I/O.
 */
#ifndef DIPB_TRAILER_H
#define DIPB_TRAILER_H

#include <stddef.h>

struct dipb_trailer {
	char	*key;		/* as written, trimmed */
	char	*value;		/* trimmed, unfolded; raw bytes */
};

struct dipb_trailers {
	struct dipb_trailer	*v;
	size_t			 n;
	size_t			 cap;
	/* Where the trailer block lies in the message: start == end when
	 * there is none (both the end of the log message then). */
	size_t			 start;
	size_t			 end;
};

#define DIPB_TRAILERS_INIT { NULL, 0, 0, 0, 0 }

/*
 * Parses the trailers of the len bytes at msg into out (which it
 * initialises), in their order.  Release with dipb_trailers_release().
 */
void	 dipb_trailers_parse(struct dipb_trailers *out, const char *msg,
	    size_t len);

/* git's cut line without its newline: a message ends before it. */
#define DIPB_TRAILER_CUT \
	"# ------------------------ >8 ------------------------"

void	 dipb_trailers_release(struct dipb_trailers *);

/*
 * The number of trailers whose key is key (without regard to case), and
 * in *value (may be NULL) the value of the last of them, borrowed.
 */
size_t	 dipb_trailers_get(const char **value,
	    const struct dipb_trailers *, const char *key);

/*
 * A commit message's subject and body, as git log reads them (%s, %b):
 * the subject is the first paragraph after any leading blank lines, each
 * of its lines without its trailing blanks (its indent kept), joined by
 * one space; the body is what lies between that paragraph and the
 * trailer block, from its first line that is not blank (its indent
 * kept), without the blanks at its end.
 * The one split of a message that dipb log, dipb verify and dipb sync's
 * replay share.  Raw bytes: a caller that shows them cleans them (text.h).
 */

/* The subject of the len bytes at msg (caller frees); *rest (may be
 * NULL) the offset where the rest of the message begins. */
char	*dipb_message_title(size_t *rest, const char *msg, size_t len);

/*
 * The body of the len bytes at msg, borrowed, its length in *n (0 when
 * it has none); t, the message's trailers, when the caller has parsed
 * them, else NULL.
 */
const char *dipb_message_body(size_t *n, const char *msg, size_t len,
	    const struct dipb_trailers *t);

#endif /* DIPB_TRAILER_H */

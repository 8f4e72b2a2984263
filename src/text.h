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
 * characters other than '\n' and '\t' (C1 controls included) become '?',
 * and so does each bidirectional control (dipb_text_find_bidi), which
 * would show the text after it in another order than written ("Trojan
 * Source").  Caller frees.
 */
char	*dipb_text_clean(const char *s, size_t len);

/*
 * As dipb_text_clean, but each bidirectional control kept: text that
 * each output cleans again its own way, the text with dipb_text_clean
 * ('?'), the JSON with dipb_text_json ("\u202E"), as dipb show and dipb
 * list do a record's fields (dipb-log(1)).  Caller frees.
 */
char	*dipb_text_clean_keep_bidi(const char *s, size_t len);

/*
 * As dipb_text_clean, and each Unicode noncharacter (U+FDD0..U+FDEF,
 * U+FFFE and U+FFFF of every plane), which an HTML5 parser reports as an
 * error, becomes '?' too: an HTML page (dipb-report(1)).  Caller frees.
 */
char	*dipb_text_clean_html(const char *s, size_t len);
/*
 * The length in bytes of the noncharacter (as above) the avail bytes at
 * s begin with, in valid UTF-8; 0 if they begin with none.
 */
size_t	 dipb_text_nonchar(const char *s, size_t avail);

/*
 * Whether the len bytes at s are all printable ASCII (0x20 to 0x7e):
 * text that dipb_text_clean and a table's field leave as it is.
 */
int	 dipb_text_plain(const char *s, size_t len);

/* As dipb_text_clean, and '\n', '\t', U+2028 and U+2029 (the line and
 * paragraph separators) become '?' too: one line.  NULL gives "". */
char	*dipb_text_clean_line(const char *s);
/*
 * 1 when s is shown as it is on one line of a message (dipb_text_clean_line
 * changes none of it): a byte that is no UTF-8, or a control character, is
 * shown as '?', and a command naming it so cannot work.
 */
int	 dipb_text_shown_as_is(const char *s);
/*
 * 1 when s holds no text: NULL, empty, or blanks (spaces, tabs, line
 * ends) only: a text a command is given that is no value
 * (dipb-record(5), FIELDS).
 */
int	 dipb_text_blank(const char *s);
/*
 * The columns a terminal gives the UTF-8 s, as wcwidth(3) counts them in
 * the C.UTF-8 locale whatever the user's: none for a combining mark or a
 * zero-width character, two for a wide one (East Asian Width W and F:
 * CJK, Hangul, fullwidth forms, emoji), one for any other and for a byte
 * or character shown as '?'; an aligned table pads by it (dipb list).
 */
size_t	 dipb_text_width(const char *s);
/*
 * As dipb_text_clean, and '\n' and '\t' become blanks, U+2028 and U+2029
 * '?': a field of a table or a line of text for a reader (dipb list,
 * dipb todo).
 */
char	*dipb_text_clean_field(const char *s, size_t len);

/*
 * Whether the NUL-terminated s holds a control character as
 * dipb_text_clean sees one, lines saying which are allowed:
 * DIPB_TEXT_LINES '\n', '\t' and the line and paragraph separators
 * U+2028 and U+2029 (a Markdown field); DIPB_TEXT_LINE none of them (a
 * single-line field); DIPB_TEXT_LINE_OLD the separators alone, as a
 * single-line field was before they were controls, for history that
 * older versions of dipb wrote (dipb verify).  Valid UTF-8 only: 1 with
 * the first one's code point in *cp and its index in characters (0-based)
 * in *at, else 0.
 */
enum { DIPB_TEXT_LINE, DIPB_TEXT_LINES, DIPB_TEXT_LINE_OLD };
int	 dipb_text_find_control(size_t *at, unsigned *cp, const char *s,
	    int lines);
/*
 * As dipb_text_find_control, for a bidirectional control: an embedding,
 * override or isolate (U+202A to U+202E, U+2066 to U+2069) or a mark
 * (U+200E, U+200F, U+061C), which makes a terminal or a browser show the
 * text after it in another order than its own ("Trojan Source").
 */
int	 dipb_text_find_bidi(size_t *at, unsigned *cp, const char *s);
/*
 * The code point of the first space other than an ASCII blank in the
 * NUL-terminated UTF-8 s (U+00A0, U+1680, U+2000 to U+200A, U+202F,
 * U+205F, U+3000: Unicode's Zs), which names do not compare as a blank
 * (dipb-board(5), name); 0 when none.
 */
unsigned dipb_text_find_space(const char *s);

/*
 * JSON text (as jansson writes it: UTF-8, C0 controls already escaped)
 * with DEL, the C1 controls U+0080..U+009F and the bidirectional
 * controls (dipb_text_find_bidi) escaped too ("\u009B", "\u202E", its
 * hex digits upper-case as jansson's "\u001B"), which JSON allows raw
 * but a terminal may obey; the value read back is the same.  Caller
 * frees.
 */
char	*dipb_text_json(const char *s, size_t len);

#endif /* DIPB_TEXT_H */

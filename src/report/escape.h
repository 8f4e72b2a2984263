/*
 * escape.h - plain text made safe for each output format of dipb report
 * (dipb-report(1)): the one place where text from records, the board or
 * the command line is escaped.  Each appends the escaped s to out; a NULL
 * s appends nothing but what the format sets before any text (roff's
 * \&, which prints nothing).
 */
#ifndef DIPB_REPORT_ESCAPE_H
#define DIPB_REPORT_ESCAPE_H

#include "../util.h"

/* HTML text and attribute values: & < > " and '. */
void	 dipb_html_escape(struct dipb_buf *out, const char *s);
/*
 * Inline Markdown: s reads as the plain text it is (a backslash before
 * each character CommonMark could take as markup; line breaks and tabs
 * become blanks).
 */
void	 dipb_md_escape(struct dipb_buf *out, const char *s);
/*
 * dipb_md_escape of s at the start of a block (a paragraph, a list item):
 * what CommonMark takes there as a list marker ("1.", "2024)", "-", "+")
 * is escaped too, and the blanks before it, which would make an indented
 * code block, are left out.
 */
void	 dipb_md_escape_lead(struct dipb_buf *out, const char *s);
/*
 * roff text (a tbl cell, a man page line): starts with \& so that a
 * leading '.' or '\'' is no request; backslashes become \e.
 */
void	 dipb_roff_escape(struct dipb_buf *out, const char *s);
/*
 * LaTeX text: its ten special characters, < and >, and what TeX would
 * turn into other characters: a quote or a backquote, and the ligatures
 * "--" and ",,".  The text stays as typed.
 */
void	 dipb_latex_escape(struct dipb_buf *out, const char *s);
/*
 * LaTeX text inside an alltt environment, which keeps every character
 * but '\\', '{' and '}' as typed: those three escaped, '\\' as \char92{}
 * (backslash in the T1, OT1 typewriter and Unicode fonts alike), and
 * an empty group between two characters that the typewriter font would
 * make a ligature of ("!`", ",,", "<<", "--": those LaTeX's verbatim
 * keeps apart).
 */
void	 dipb_latex_alltt_escape(struct dipb_buf *out, const char *s);

#endif /* DIPB_REPORT_ESCAPE_H */

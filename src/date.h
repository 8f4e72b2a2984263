/*
 * date.h - calendar dates and the date formats git accepts, with no
 * time_t limits and no I/O.
 */
#ifndef DIPB_DATE_H
#define DIPB_DATE_H

#include <stdint.h>

/*
 * Parses s as git parses GIT_AUTHOR_DATE and GIT_COMMITTER_DATE, to the
 * seconds and offset git var GIT_AUTHOR_IDENT gives: its internal format
 * ("<secs> <+hhmm>", "@<secs> [<+hhmm>]"), or words and numbers in any
 * order (weekday and month names, zone names, AM/PM, y-m-d, y/m/d, m/d/y,
 * d.m.y, yyyymmddThhmmss, hh:mm[:ss], +hhmm), as ISO 8601, RFC 2822 and
 * git log's default are.  A date without a time zone is in the local
 * one, with the offset git gives it.  *t is seconds since the epoch, *off
 * minutes east of UTC.  -1 when s is no date, or holds something git
 * would skip (an unknown word, a part said twice).
 */
int	 dipb_date_parse_git(const char *s, int64_t *t, int *off);

/*
 * out = "YYYY-MM-DD", the date of t (seconds since the epoch) in the time
 * zone offset minutes east of UTC; a year outside 0..9999 is clamped.
 */
void	 dipb_date_ymd(char out[11], int64_t t, int offset);
/*
 * *t = seconds since the epoch of 00:00 UTC on ymd ("YYYY-MM-DD"); -1
 * when ymd is not a date.
 */
int	 dipb_date_midnight_utc(int64_t *t, const char *ymd);
/*
 * out = "YYYY-MM-DD", today in the local time zone (the default of the
 * reports' and todo's --today); 1970-01-01 if the clock cannot be read.
 */
void	 dipb_date_today(char out[11]);

#endif /* DIPB_DATE_H */

/*
 * date.h - calendar dates and the date formats git accepts, with no
 * time_t limits; no I/O but the clock's and the environment's reading
 * (dipb_date_now).
 */
#ifndef DIPB_DATE_H
#define DIPB_DATE_H

#include <stdint.h>

/* 2100-01-01T00:00:00Z: dates are taken from 1970 to 2099 (dipb(1)). */
#define DIPB_DATE_END	INT64_C(4102444800)

/*
 * Parses s as git parses GIT_AUTHOR_DATE and GIT_COMMITTER_DATE, to the
 * seconds and offset git var GIT_AUTHOR_IDENT gives: its internal format
 * ("<secs> <+hhmm>", "@<secs> [<+hhmm>]"), or words and numbers in any
 * order (weekday and month names, zone names, AM/PM, y-m-d, y/m/d, m/d/y,
 * d.m.y, yyyymmddThhmmss, hh:mm[:ss], +hhmm), as ISO 8601, RFC 2822 and
 * git log's default are.  A date without a time zone is in the local
 * one, with the offset git gives it.  *t is seconds since the epoch, *off
 * minutes east of UTC.  -1 when s is no date, a moment before 1970 or
 * from 2100 on in UTC (DIPB_DATE_END), whatever its zone's year, or
 * holds something git would skip (an unknown word, a part said twice).
 */
int	 dipb_date_parse_git(const char *s, int64_t *t, int *off);

/*
 * t (seconds since the epoch) as the civil time of the zone offset
 * minutes east of UTC, read as if in UTC: t + offset * 60, held within
 * int64_t (git reads dates up to INT64_MAX: dipb-git(7)).
 */
int64_t	 dipb_date_local(int64_t t, int offset);

/*
 * The civil date and time of t (seconds since the epoch) in the time zone
 * offset minutes east of UTC, for every int64_t (the year in as many
 * digits as it takes, as git log --date=iso-strict prints it).
 */
struct dipb_civil {
	int64_t	 y;
	int	 mo, d, hh, mi, ss;
};
void	 dipb_date_civil(struct dipb_civil *c, int64_t t, int offset);

/*
 * out = "YYYY-MM-DD", the date of t (seconds since the epoch) in the time
 * zone offset minutes east of UTC; a date before the year 0 is
 * 0000-01-01, one after 9999 is 9999-12-31, so that dates still sort and
 * a window of days still holds them (dipb-log(1)).
 */
void	 dipb_date_ymd(char out[11], int64_t t, int offset);
/*
 * *t = seconds since the epoch of 00:00 UTC on ymd ("YYYY-MM-DD"); -1
 * when ymd is not a date.
 */
int	 dipb_date_midnight_utc(int64_t *t, const char *ymd);
/* 1 if s (may be NULL) is a real calendar date "YYYY-MM-DD" of the
 * years 0001 to 9999. */
int	 dipb_date_valid(const char *s);
/*
 * Now, as a change made now is dated (dipb(1), ENVIRONMENT): the time of
 * GIT_AUTHOR_DATE, else of GIT_COMMITTER_DATE, else the clock's in the
 * local time zone, as *t and *off of dipb_date_parse_git.  A usage error
 * when the variable holds no date dipb_date_parse_git takes, or the clock
 * is outside 1970 to 2099.
 */
struct dipb_error;
const struct dipb_error *dipb_date_now(int64_t *t, int *off);
/*
 * out = "YYYY-MM-DD", the day of dipb_date_now: the date a change made
 * now has, and the default of --today wherever a command has one.
 */
const struct dipb_error *dipb_date_today(char out[11]);
#endif /* DIPB_DATE_H */

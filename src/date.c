/*
 * date.c - calendar dates (proleptic Gregorian, after Howard Hinnant's
 * days_from_civil) and the date formats of git's GIT_*_DATE variables.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "date.h"
#include "error.h"

static int
days_in_month(int y, int m)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return mdays[m - 1] + (m == 2 && leap);
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Hinnant). */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* Reads exactly n digits. */
static int
read_digits(const char **p, int n, int *out)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return -1;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return 0;
}

/* The proleptic Gregorian date of days since 1970-01-01 (Hinnant). */
static void
civil_from_days(int64_t days, int64_t *y, int *m, int *d)
{
	int64_t z = days + 719468, era, doe, yoe, doy, mp;

	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

/*
 * The offset git gives a date read without a zone: the civil time read
 * as if it were UTC, less what mktime() makes of it in the local zone.
 * In a gap (a daylight-saving change, a skipped day) that is not the
 * offset of any instant mktime() could return, but it is git's, and the
 * commit must carry what 'git var GIT_AUTHOR_IDENT' gives; dipb(1).
 */
static int
local_offset(int64_t y, int mo, int d, int hh, int mi, int ss, int *off)
{
	struct tm tm;
	time_t tt;
	int64_t utc;

	if (y < 1970 || y > 9999)
		return -1;
	utc = days_from_civil(y, mo, d) * 86400 + hh * 3600 + mi * 60 + ss;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = (int)y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = hh;
	tm.tm_min = mi;
	tm.tm_sec = ss;
	tm.tm_isdst = -1;
	if ((tt = mktime(&tm)) == (time_t)-1)
		return -1;
	/* Whole minutes, rounded toward zero as git's division does. */
	*off = (int)((utc - (int64_t)tt) / 60);
	return 0;
}

/*
 * Turns a civil date and time into seconds since the epoch: in the time
 * zone read (have_tz), else in the local time zone.
 */
static int
civil_to_epoch(int y, int mo, int d, int hh, int mi, int ss, int have_tz,
    int tz, int64_t *t, int *off)
{
	if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo))
		return -1;
	if (have_tz) {
		*t = days_from_civil(y, mo, d) * 86400 + hh * 3600 + mi * 60 +
		    ss - (int64_t)tz * 60;
		*off = tz;
		return 0;
	}
	/*
	 * Not mktime()'s time and the offset in force then: in a gap they
	 * differ from git's (local_offset()), an hour or a day apart.
	 */
	if (local_offset(y, mo, d, hh, mi, ss, off) < 0)
		return -1;
	*t = days_from_civil(y, mo, d) * 86400 + hh * 3600 + mi * 60 + ss -
	    (int64_t)*off * 60;
	return 0;
}

/*
 * The zones git knows by name, and their offsets in hours east of UTC;
 * a summer name is the standard offset and an hour (dst), as git reads
 * it, whatever the date.
 */
static const struct zone_name {
	const char	*name;
	int		 hours;
	int		 dst;
} zone_names[] = {
	{ "IDLW", -12, 0 }, { "NT", -11, 0 }, { "CAT", -10, 0 },
	{ "HST", -10, 0 }, { "HDT", -10, 1 }, { "YST", -9, 0 },
	{ "YDT", -9, 1 }, { "PST", -8, 0 }, { "PDT", -8, 1 },
	{ "MST", -7, 0 }, { "MDT", -7, 1 }, { "CST", -6, 0 },
	{ "CDT", -6, 1 }, { "EST", -5, 0 }, { "EDT", -5, 1 },
	{ "AST", -3, 0 }, { "ADT", -3, 1 }, { "WAT", -1, 0 },
	{ "GMT", 0, 0 }, { "UTC", 0, 0 }, { "Z", 0, 0 },
	{ "WET", 0, 0 }, { "BST", 0, 1 }, { "CET", 1, 0 },
	{ "MET", 1, 0 }, { "MEWT", 1, 0 }, { "MEST", 1, 1 },
	{ "CEST", 1, 1 }, { "MESZ", 1, 1 }, { "FWT", 1, 0 },
	{ "FST", 1, 1 }, { "EET", 2, 0 }, { "EEST", 2, 1 },
	{ "WAST", 7, 0 }, { "WADT", 7, 1 }, { "CCT", 8, 0 },
	{ "JST", 9, 0 }, { "EAST", 10, 0 }, { "EADT", 10, 1 },
	{ "GST", 10, 0 }, { "NZT", 12, 0 }, { "NZST", 12, 0 },
	{ "NZDT", 12, 1 }, { "IDLE", 12, 0 },
};

static const char *const month_names[] = { "January", "February",
    "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December" };
static const char *const weekday_names[] = { "Sunday", "Monday",
    "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday" };

/*
 * The word w (n letters) names name as git reads it: a prefix of it, of
 * at least min letters unless it is the whole name.
 */
static int
word_is(const char *w, size_t n, const char *name, size_t min)
{
	size_t len = strlen(name);

	return n <= len && strncasecmp(w, name, n) == 0 &&
	    (n >= min || n == len);
}

/* What a date has said so far; -1 where it has not. */
struct when {
	int	 y, mo, d, hh, mi, ss;
	int	 off, numeric_zone, named_zone;
	int	 weekday, ampm;
	int64_t	 secs;		/* since the epoch, when given as such */
};

/*
 * A two- or four-digit year as git takes it in a date of three numbers:
 * 1970 to 2099, 71 to 99 for 1971 to 1999, below 38 for 2000 to 2037.
 * The short ones only as written, two digits at most: git reads "0001"
 * as 2001, surely not what was meant.
 */
static int
year_of(int64_t v, int digits)
{
	if (v >= 1970 && v < 2100)
		return (int)v;
	if (digits > 2)
		return -1;
	if (v > 70 && v < 100)
		return (int)v + 1900;
	if (v >= 0 && v < 38)
		return (int)v + 2000;
	return -1;
}

/* One of the readings of three numbers (each with its digits' count). */
static int
try_date(struct when *w, int64_t y, int ny, int64_t mo, int nmo, int64_t d,
    int nd)
{
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || nmo > 2 || nd > 2 ||
	    year_of(y, ny) < 0)
		return -1;
	w->y = year_of(y, ny);
	w->mo = (int)mo;
	w->d = (int)d;
	return 0;
}

/* Up to max digits as a number; the count read, 0 when none. */
static int
read_number(const char **p, int max, int64_t *v)
{
	int n = 0;

	*v = 0;
	while (isdigit((unsigned char)**p)) {
		if (++n > max)
			return -1;
		*v = *v * 10 + (*(*p)++ - '0');
	}
	return n;
}

/*
 * Three numbers with one separator: the order git tries, the first that
 * is a date winning.  A year first (over 70) is y-m-d; then m/d/y unless
 * the separator is '.', d/m/y, and m.d.y.  git would read a year first
 * and a month over 12 as y-d-m, but "2026-13-01" is more likely a typo
 * than the 13th of January: refused.  After the time git refuses an
 * m/d/y more than ten days ahead, which depends on the clock: refused.
 */
static int
read_date3(const char **p, struct when *w, int64_t a, int na)
{
	char c = **p;
	int64_t b, e;
	int nb, ne;

	(*p)++;
	if ((nb = read_number(p, 2, &b)) <= 0 || **p != c)
		return -1;
	(*p)++;
	if ((ne = read_number(p, 4, &e)) <= 0 || w->y >= 0 || w->mo >= 0 ||
	    w->d >= 0)
		return -1;
	if (a > 70)
		return try_date(w, a, na, b, nb, e, ne);
	if (w->hh >= 0)
		return -1;
	if (c != '.' && try_date(w, e, ne, a, na, b, nb) == 0)
		return 0;
	if (try_date(w, e, ne, b, nb, a, na) == 0)
		return 0;
	return c == '.' ? try_date(w, e, ne, a, na, b, nb) : -1;
}

/* Digits after hh:mm[:ss] or hhmmss: a fraction of a second, dropped. */
static void
skip_fraction(const char **p)
{
	if ((**p == '.' || **p == ',') && isdigit((unsigned char)(*p)[1]))
		for ((*p)++; isdigit((unsigned char)**p); (*p)++)
			;
}

static int
set_time(struct when *w, int64_t hh, int64_t mi, int64_t ss)
{
	if (w->hh >= 0 || hh > 23 || mi > 59 || ss > 60)
		return -1;
	w->hh = (int)hh;
	w->mi = (int)mi;
	w->ss = (int)ss;
	return 0;
}

/* A number: a time, a date, seconds, a year, a day or a month. */
static int
read_digits_token(const char **p, struct when *w)
{
	int64_t v, mi, ss = 0, y;
	int n, m, d;

	if ((n = read_number(p, 18, &v)) < 0)
		return -1;
	if (**p == ':' && isdigit((unsigned char)(*p)[1])) {
		(*p)++;
		if (read_number(p, 2, &mi) <= 0)
			return -1;
		if (**p == ':' && isdigit((unsigned char)(*p)[1])) {
			(*p)++;
			if (read_number(p, 2, &ss) <= 0)
				return -1;
			skip_fraction(p);
		}
		return n > 2 ? -1 : set_time(w, v, mi, ss);
	}
	if ((**p == '-' || **p == '/' || **p == '.') &&
	    isdigit((unsigned char)(*p)[1]))
		return n > 4 ? -1 : read_date3(p, w, v, n);
	/* Seconds, from nine digits on, before anything else. */
	if (v >= 100000000) {
		if (w->y >= 0 || w->mo >= 0 || w->d >= 0 || w->hh >= 0 ||
		    v >= DIPB_DATE_END)
			return -1;
		civil_from_days(v / 86400, &y, &m, &d);
		w->y = (int)y;
		w->mo = m;
		w->d = d;
		w->hh = (int)(v % 86400 / 3600);
		w->mi = (int)(v % 3600 / 60);
		w->ss = (int)(v % 60);
		w->secs = v;
		return 0;
	}
	switch (n) {
	case 8:		/* yyyymmdd */
		if (w->y >= 0 || w->mo >= 0 || w->d >= 0 ||
		    try_date(w, v / 10000, 4, v / 100 % 100, 2, v % 100, 2) < 0)
			return -1;
		return 0;
	case 6:		/* hhmmss */
		if (set_time(w, v / 10000, v / 100 % 100, v % 100) < 0)
			return -1;
		skip_fraction(p);
		return 0;
	case 4:		/* a year alone */
		if (w->y >= 0 || v < 1970 || v > 2099)
			return -1;
		w->y = (int)v;
		return 0;
	case 2:
	case 1:
		/* A day first, then a two-digit year, then a month. */
		if (v > 0 && v < 32 && w->d < 0)
			w->d = (int)v;
		else if (n == 2 && w->y < 0 && v < 10 && w->d >= 0)
			w->y = 2000 + (int)v;
		else if (n == 2 && w->y < 0 && v >= 70)
			w->y = 1900 + (int)v;
		else if (v > 0 && v < 13 && w->mo < 0)
			w->mo = (int)v;
		else
			return -1;
		return 0;
	}
	return -1;
}

/* A word: a month, a weekday, a zone's name, AM or PM, ISO's T. */
static int
read_word(const char **p, struct when *w)
{
	const char *s = *p;
	size_t n, i;

	while (isalpha((unsigned char)**p))
		(*p)++;
	n = (size_t)(*p - s);
	if (isdigit((unsigned char)**p)) {
		/* "2026-03-08T12:00:00", "20260308T120000" */
		if (n == 1 && (*s == 'T' || *s == 't') && w->d >= 0 &&
		    w->hh < 0)
			return 0;
		return -1;
	}
	for (i = 0; i < 12; i++)
		if (word_is(s, n, month_names[i], 3)) {
			if (w->mo >= 0)
				return -1;
			w->mo = (int)i + 1;
			return 0;
		}
	for (i = 0; i < 7; i++)
		if (word_is(s, n, weekday_names[i], 3)) {
			if (w->weekday)
				return -1;
			w->weekday = 1;
			return 0;
		}
	for (i = 0; i < sizeof(zone_names) / sizeof(zone_names[0]); i++)
		if (word_is(s, n, zone_names[i].name, 3)) {
			if (w->named_zone)
				return -1;
			w->named_zone = 1;
			/* A number says the offset better; git keeps it. */
			if (!w->numeric_zone)
				w->off = (zone_names[i].hours +
				    zone_names[i].dst) * 60;
			return 0;
		}
	if (n == 2 && (strncasecmp(s, "AM", 2) == 0 ||
	    strncasecmp(s, "PM", 2) == 0)) {
		if (w->hh < 0 || w->ampm || w->secs >= 0)
			return -1;
		w->ampm = 1;
		w->hh = w->hh % 12 +
		    (toupper((unsigned char)*s) == 'P' ? 12 : 0);
		return 0;
	}
	return -1;
}

/* "+hhmm", "+hh" or "+hh:mm" (or '-'), as git reads a zone. */
static int
read_zone(const char **p, struct when *w)
{
	int sign = *(*p)++ == '-' ? -1 : 1, n;
	int64_t v, mm = 0;

	if ((n = read_number(p, 4, &v)) == 4) {
		mm = v % 100;
		v /= 100;
	} else if (n != 2)
		return -1;
	else if (**p == ':') {
		(*p)++;
		if (read_number(p, 2, &mm) != 2)
			return -1;
	}
	if (w->numeric_zone || v > 23 || mm > 59)
		return -1;
	w->numeric_zone = 1;
	w->off = sign * (int)(v * 60 + mm);
	return 0;
}

/*
 * git's internal form "@<secs> +hhmm", read whole: any seconds, the
 * zone exactly four digits, hours to 23 and minutes to 59, as every zone
 * here: git takes "+9999" and writes "+10039", a commit git fsck then
 * rejects (badTimezone).
 */
static int
parse_raw_date(const char *s, int64_t *t, int *off)
{
	const char *p = s + 1;
	int64_t v, hhmm;

	if (*s != '@' || read_number(&p, 18, &v) <= 0 ||
	    *p++ != ' ' || (*p != '+' && *p != '-'))
		return -1;
	s = p++;
	if (read_number(&p, 4, &hhmm) != 4 || *p != '\0' ||
	    hhmm / 100 > 23 || hhmm % 100 > 59)
		return -1;
	*t = v;
	*off = (int)(hhmm / 100 * 60 + hhmm % 100) * (*s == '-' ? -1 : 1);
	return 0;
}

/*
 * Read in git's manner (git-commit(1), DATE FORMATS; dipb(1)): words and
 * numbers in any order, each taken for what it can be, so that "Sun Mar
 * 8 12:00:00 2026 +0100", "2026-03-08T12:00:00Z", "20260308T120000Z"
 * and "12:00 8.3.2026 CET" are all dates.  But where git skips what it
 * cannot read, a word it does not know, a stray sign, a number that is
 * none of these, or a part said twice, is refused here: a typo must not
 * become a date other than the one meant.
 */
static int
parse_git(const char *s, int64_t *t, int *off)
{
	struct when w = { -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, -1 };
	const char *p = s;
	int rc, at = 0;

	while (*p == ' ' || *p == '\t')
		p++;
	if (parse_raw_date(p, t, off) == 0)
		return 0;
	/* "@<secs>" without a zone, or with one git's loop reads. */
	if (*p == '@' && isdigit((unsigned char)p[1])) {
		at = 1;
		p++;
	}
	while (*p != '\0') {
		if (strchr(" \t,()", *p) != NULL) {
			p++;
			continue;
		}
		if (isalpha((unsigned char)*p))
			rc = read_word(&p, &w);
		else if (isdigit((unsigned char)*p))
			rc = read_digits_token(&p, &w);
		else if ((*p == '+' || *p == '-') &&
		    isdigit((unsigned char)p[1]))
			rc = read_zone(&p, &w);
		else
			rc = -1;
		if (rc < 0)
			return -1;
	}
	if (w.secs >= 0) {
		*t = w.secs;
		if (w.numeric_zone || w.named_zone) {
			*off = w.off;
			return 0;
		}
		return local_offset(w.y, w.mo, w.d, w.hh, w.mi, w.ss, off);
	}
	if (at || w.y < 0 || w.mo < 0 || w.d < 0 || w.hh < 0)
		return -1;
	return civil_to_epoch(w.y, w.mo, w.d, w.hh, w.mi, w.ss,
	    w.numeric_zone || w.named_zone, w.off, t, off);
}

/*
 * The moment, not the year as written, bounds a date (dipb(1),
 * GIT_AUTHOR_DATE): 2099-12-31T23:59:59-1200 is 2100 in UTC, and a
 * commit dated so late is taken for a wrong clock's by the next change,
 * which would then be dated before it (dipb-git(7), "Commit dates").  A
 * time before the epoch is refused, as git refuses it: a commit or tag
 * that held one would fail git fsck (badDateOverflow) and every git
 * that reads it.
 */
int
dipb_date_parse_git(const char *s, int64_t *t, int *off)
{
	if (parse_git(s, t, off) < 0 || *t < 0 || *t >= DIPB_DATE_END)
		return -1;
	return 0;
}

int64_t
dipb_date_local(int64_t t, int offset)
{
	int64_t o = (int64_t)offset * 60;

	if (o > 0 && t > INT64_MAX - o)
		return INT64_MAX;
	if (o < 0 && t < INT64_MIN + 86400 - o)
		return INT64_MIN + 86400;
	return t + o;
}

void
dipb_date_civil(struct dipb_civil *c, int64_t t, int offset)
{
	int64_t s = dipb_date_local(t, offset), days, secs;

	days = s >= 0 ? s / 86400 : -((-s + 86399) / 86400);
	secs = s - days * 86400;
	civil_from_days(days, &c->y, &c->mo, &c->d);
	c->hh = (int)(secs / 3600);
	c->mi = (int)(secs / 60 % 60);
	c->ss = (int)(secs % 60);
}

void
dipb_date_ymd(char out[11], int64_t t, int offset)
{
	struct dipb_civil c;
	int64_t y;
	int m, d;

	dipb_date_civil(&c, t, offset);
	y = c.y, m = c.mo, d = c.d;
	if (y < 0)
		y = 0, m = 1, d = 1;
	else if (y > 9999)
		y = 9999, m = 12, d = 31;
	snprintf(out, 11, "%04d-%02d-%02d", (int)y, m, d);
}

int
dipb_date_midnight_utc(int64_t *t, const char *ymd)
{
	const char *p = ymd;
	int y, m, d;

	if (read_digits(&p, 4, &y) < 0 || *p++ != '-' ||
	    read_digits(&p, 2, &m) < 0 || *p++ != '-' ||
	    read_digits(&p, 2, &d) < 0 || *p != '\0' ||
	    m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
		return -1;
	*t = days_from_civil(y, m, d) * 86400;
	return 0;
}

int
dipb_date_valid(const char *s)
{
	int64_t t;

	return s != NULL && strncmp(s, "0000", 4) != 0 &&
	    dipb_date_midnight_utc(&t, s) == 0;
}

const struct dipb_error *
dipb_date_now(int64_t *t, int *off)
{
	const char *var = "GIT_AUTHOR_DATE", *v = getenv(var);
	time_t now;
	int64_t secs;
	struct tm lt;

	if (v == NULL || v[0] == '\0')
		v = getenv(var = "GIT_COMMITTER_DATE");
	if (v != NULL && v[0] != '\0') {
		if (dipb_date_parse_git(v, t, off) < 0)
			return dipb_error_fmt(DIPB_ERR_USAGE,
			    "invalid date in %s: '%s'", var, v);
		return NULL;
	}
	/*
	 * Compared as int64_t held in a variable: a 32-bit time_t (a host
	 * without 64-bit time, Makefile) never reaches the end, and a cast
	 * compared in place would be a comparison always false (-Wtype-limits).
	 */
	now = time(NULL);
	secs = (int64_t)now;
	if (secs < 0 || secs >= DIPB_DATE_END ||
	    localtime_r(&now, &lt) == NULL)
		return dipb_error_fmt(DIPB_ERR_USAGE, "the clock says %lld "
		    "seconds since 1970, not a time from 1970 to 2099: set "
		    "it, or the date in GIT_AUTHOR_DATE", (long long)secs);
	*t = secs;
	*off = (int)(lt.tm_gmtoff / 60);
	return NULL;
}

const struct dipb_error *
dipb_date_today(char out[11])
{
	const struct dipb_error *err;
	int64_t t;
	int off;

	if ((err = dipb_date_now(&t, &off)) == NULL)
		dipb_date_ymd(out, t, off);
	return err;
}

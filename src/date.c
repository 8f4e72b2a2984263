/*
 * date.c - calendar dates (proleptic Gregorian, after Howard Hinnant's
 * days_from_civil) and the date formats of git's GIT_*_DATE variables.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "date.h"

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

static void
skip_space(const char **p)
{
	while (**p == ' ' || **p == '\t')
		(*p)++;
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

/*
 * A time zone: "Z", "+hh", "+hhmm" or "+hh:mm" (or '-'), in minutes east
 * of UTC.  Returns 1 when one was read, 0 when there is none, -1 when it
 * is malformed.
 */
static int
read_tz(const char **p, int *off)
{
	const char *s = *p;
	int sign, hh, mm = 0;

	skip_space(&s);
	/* UTC by name, as git's date parser reads it in RFC 2822 dates. */
	if (strncasecmp(s, "GMT", 3) == 0 || strncasecmp(s, "UTC", 3) == 0) {
		*off = 0;
		*p = s + 3;
		return 1;
	}
	if (*s == 'Z' || *s == 'z') {
		*off = 0;
		*p = s + 1;
		return 1;
	}
	if (*s != '+' && *s != '-')
		return 0;
	sign = *s++ == '-' ? -1 : 1;
	if (read_digits(&s, 2, &hh) < 0)
		return -1;
	if (*s == ':')
		s++;
	if (isdigit((unsigned char)*s) && read_digits(&s, 2, &mm) < 0)
		return -1;
	if (hh > 23 || mm > 59)
		return -1;
	*off = sign * (hh * 60 + mm);
	*p = s;
	return 1;
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
 * "<secs> <tz>" or "@<secs> [<tz>]": git's internal format.  Without a
 * zone the seconds stand, and the offset is the local one git gives them
 * (local_offset() of their UTC time).
 */
static int
parse_raw_date(const char *s, int64_t *t, int *off)
{
	const char *p = s;
	int64_t v = 0;
	int at = 0, rc;

	if (*p == '@') {
		at = 1;
		p++;
	}
	if (!isdigit((unsigned char)*p))
		return -1;
	while (isdigit((unsigned char)*p)) {
		if (v > (INT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (*p++ - '0');
	}
	*off = 0;
	rc = read_tz(&p, off);
	if (rc < 0 || (rc == 0 && !at && *p != '\0'))
		return -1;
	skip_space(&p);
	if (*p != '\0')
		return -1;
	/*
	 * Without a zone git reads the number as seconds only from nine
	 * digits on (fewer make a date part, "20260308"), and only up to
	 * 2099, the end of its calendar; with "@" and no zone too.
	 */
	if (rc == 0 && (v < 100000000 || v >= INT64_C(4102444800)))
		return -1;
	if (rc == 0) {
		int64_t y;
		int mo, d;

		civil_from_days(v / 86400, &y, &mo, &d);
		if (local_offset(y, mo, d, (int)(v % 86400 / 3600),
		    (int)(v % 3600 / 60), (int)(v % 60), off) < 0)
			return -1;
	}
	*t = v;
	return 0;
}

static int
month_number(const char *s)
{
	static const char *const names[] = { "jan", "feb", "mar", "apr",
	    "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec" };
	int i;

	for (i = 0; i < 12; i++)
		if (strncasecmp(s, names[i], 3) == 0)
			return i + 1;
	return 0;
}

/* hh:mm[:ss[.frac]] */
static int
read_clock(const char **p, int *hh, int *mi, int *ss)
{
	if (read_digits(p, 2, hh) < 0 || **p != ':')
		return -1;
	(*p)++;
	if (read_digits(p, 2, mi) < 0)
		return -1;
	*ss = 0;
	if (**p == ':') {
		(*p)++;
		if (read_digits(p, 2, ss) < 0)
			return -1;
		if (**p == '.' || **p == ',') {
			(*p)++;
			while (isdigit((unsigned char)**p))
				(*p)++;
		}
	}
	return *hh > 23 || *mi > 59 || *ss > 60 ? -1 : 0;
}

/*
 * Turns a civil date and time into seconds since the epoch: in the time
 * zone read (have_tz), else in the local time zone.  A time before the
 * epoch is refused, as git refuses it: a commit or tag that held one
 * would fail git fsck (badDateOverflow) and every git that reads it.
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
		return *t < 0 ? -1 : 0;
	}
	/*
	 * Not mktime()'s time and the offset in force then: in a gap they
	 * differ from git's (local_offset()), an hour or a day apart.
	 */
	if (local_offset(y, mo, d, hh, mi, ss, off) < 0)
		return -1;
	*t = days_from_civil(y, mo, d) * 86400 + hh * 3600 + mi * 60 + ss -
	    (int64_t)*off * 60;
	return *t < 0 ? -1 : 0;
}

/* The "hh:mm[:ss] [tz]" that ends both formats below, on y-mo-d. */
static int
clock_to_epoch(const char *p, int y, int mo, int d, int64_t *t, int *off)
{
	int hh, mi, ss, tz = 0, rc;

	if (read_clock(&p, &hh, &mi, &ss) < 0)
		return -1;
	if ((rc = read_tz(&p, &tz)) < 0)
		return -1;
	skip_space(&p);
	/* An RFC 2822 comment after the zone: "+0200 (CEST)". */
	if (*p == '(' && rc == 1) {
		while (*p != '\0' && *p != ')')
			p++;
		if (*p++ != ')')
			return -1;
		skip_space(&p);
	}
	if (*p != '\0')
		return -1;
	return civil_to_epoch(y, mo, d, hh, mi, ss, rc, tz, t, off);
}

/*
 * The date part of git's other numeric forms (git-commit(1), DATE
 * FORMATS): "YYYY.MM.DD", "MM/DD/YYYY" and "DD.MM.YYYY".
 */
static int
read_numeric_date(const char **p, int *y, int *mo, int *d)
{
	const char *s = *p;
	int a;

	if (read_digits(&s, 4, y) == 0) {
		if (*s++ != '.' || read_digits(&s, 2, mo) < 0 ||
		    *s++ != '.' || read_digits(&s, 2, d) < 0)
			return -1;
	} else {
		if (read_digits(&s, 2, &a) < 0 || (*s != '/' && *s != '.'))
			return -1;
		if (*s++ == '/') {
			if (read_digits(&s, 2, d) < 0 || *s++ != '/')
				return -1;
			*mo = a;
		} else {
			if (read_digits(&s, 2, mo) < 0 || *s++ != '.')
				return -1;
			*d = a;
		}
		if (read_digits(&s, 4, y) < 0)
			return -1;
	}
	*p = s;
	return 0;
}

/*
 * ISO 8601: "YYYY-MM-DD[T ]hh:mm[:ss][.frac][ ][tz]", or git's other
 * numeric date parts (read_numeric_date) before the time.
 */
static int
parse_iso_date(const char *s, int64_t *t, int *off)
{
	const char *p = s;
	int y, mo, d;

	if ((read_digits(&p, 4, &y) < 0 || *p++ != '-' ||
	    read_digits(&p, 2, &mo) < 0 || *p++ != '-' ||
	    read_digits(&p, 2, &d) < 0) &&
	    (p = s, read_numeric_date(&p, &y, &mo, &d) < 0))
		return -1;
	if (*p != 'T' && *p != 't' && *p != ' ')
		return -1;
	p++;
	return clock_to_epoch(p, y, mo, d, t, off);
}

/* RFC 2822: "[Thu, ]10 Apr 2026 10:00[:00] +0200". */
static int
parse_rfc2822_date(const char *s, int64_t *t, int *off)
{
	const char *p = s;
	int y, mo, d, n;

	skip_space(&p);
	if (isalpha((unsigned char)*p)) {
		while (isalpha((unsigned char)*p))
			p++;
		if (*p == ',')
			p++;
		skip_space(&p);
	}
	for (d = 0, n = 0; isdigit((unsigned char)*p) && n < 2; n++)
		d = d * 10 + (*p++ - '0');
	if (n == 0)
		return -1;
	skip_space(&p);
	if ((mo = month_number(p)) == 0)
		return -1;
	while (isalpha((unsigned char)*p))
		p++;
	skip_space(&p);
	if (read_digits(&p, 4, &y) < 0)
		return -1;
	skip_space(&p);
	return clock_to_epoch(p, y, mo, d, t, off);
}

int
dipb_date_parse_git(const char *s, int64_t *t, int *off)
{
	while (*s == ' ' || *s == '\t')
		s++;
	if (parse_raw_date(s, t, off) == 0 || parse_iso_date(s, t, off) == 0 ||
	    parse_rfc2822_date(s, t, off) == 0)
		return 0;
	return -1;
}

void
dipb_date_ymd(char out[11], int64_t t, int offset)
{
	int64_t s = t + (int64_t)offset * 60, days, y;
	int m, d;

	days = s >= 0 ? s / 86400 : -((-s + 86399) / 86400);
	civil_from_days(days, &y, &m, &d);
	if (y < 0 || y > 9999)
		y = y < 0 ? 0 : 9999;
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

void
dipb_date_today(char out[11])
{
	time_t t = time(NULL);
	struct tm tm;

	if (localtime_r(&t, &tm) == NULL ||
	    strftime(out, 11, "%Y-%m-%d", &tm) != 10)
		strcpy(out, "1970-01-01");
}

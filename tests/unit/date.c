/*
 * Unit tests of date.c: git's date formats, and the calendar both ways,
 * without touching disk.
 */
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include <criterion/criterion.h>

#include "date.h"

/* 2026-04-10 08:00:00 UTC, a Friday. */
#define T0	((int64_t)1775808000)

static void
parses(const char *s, int64_t want_t, int want_off)
{
	int64_t t = 0;
	int off = -1;

	cr_assert_eq(dipb_date_parse_git(s, &t, &off), 0, "'%s'", s);
	cr_expect_eq(t, want_t, "'%s': %lld", s, (long long)t);
	cr_expect_eq(off, want_off, "'%s': %d", s, off);
}

/* A date without a zone is read in TZ, as git reads it. */
static void
in_zone(const char *tz)
{
	cr_assert_eq(setenv("TZ", tz, 1), 0);
	tzset();
}

Test(date, git_formats)
{
	in_zone("UTC");
	parses("1775808000 +0200", T0, 120);
	parses("@1775808000 +0200", T0, 120);
	parses("@1775808000", T0, 0);
	parses("2026-04-10T10:00:00+02:00", T0, 120);
	parses("2026-04-10 08:00 Z", T0, 0);
	parses("Fri, 10 Apr 2026 10:00:00 +0200", T0, 120);
	parses("10 Apr 2026 03:00 -0500", T0, -300);
}

/* Seconds without a zone: the local offset of that time, as git. */
Test(date, epoch_in_the_local_zone)
{
	int64_t t;
	int off;

	in_zone("Pacific/Kiritimati");
	parses("@1772995500", 1772995500, 14 * 60);
	parses("1772995500", 1772995500, 14 * 60);
	parses("@1772995500 -0100", 1772995500, -60);
	in_zone("America/New_York");
	parses("@1772995500", 1772995500, -4 * 60);
	parses("@12345 +0000", 12345, 0);
	cr_expect_eq(dipb_date_parse_git("@12345", &t, &off), -1);
	cr_expect_eq(dipb_date_parse_git("4102444800", &t, &off), -1);
	/* From 2100 on in git's internal form too: the year 10000 was 9999. */
	cr_expect_eq(dipb_date_parse_git("@4102444800 +0000", &t, &off), -1);
	cr_expect_eq(dipb_date_parse_git("@253402300800 +0000", &t, &off),
	    -1);
	parses("@4102444799 +0000", INT64_C(4102444799), 0);
}

/*
 * A local time that never was, in a daylight-saving gap or a skipped day:
 * the time and offset git gives it (the civil time as UTC, less mktime()).
 */
Test(date, in_a_gap)
{
	in_zone("America/New_York");
	parses("2026-03-08 02:30:00", 1772955000, -5 * 60);
	in_zone("Europe/Berlin");
	parses("2026-03-29 02:30:00", 1774747800, 60);
	in_zone("Pacific/Apia");
	parses("2011-12-30 12:00:00", 1325196000, 14 * 60);
}

/* The forms git reads word by word, in any order (dipb(1)). */
Test(date, words_and_numbers)
{
	in_zone("UTC");
	parses("Fri Apr 10 08:00:00 2026 +0000", T0, 0);
	parses("Fri Apr 10 10:00:00 CEST 2026", T0, 120);
	parses("2026-04-10 03:00:00 CDT", T0, -300);
	parses("2026-04-10 17:00:00 JST", T0, 540);
	parses("2026/04/10 08:00:00", T0, 0);
	parses("2026-4-10  08:00", T0, 0);
	parses("08:00:00 2026-04-10", T0, 0);
	parses("20260410T080000Z", T0, 0);
	parses("04/10/26 08:00", T0, 0);
	parses("10.4.2026 08:00", T0, 0);
	parses("April 10 2026 8:00 AM", T0, 0);
	parses("Apr 10, 2026 1:00 AM -0700", T0, -420);
	parses("2026-04-10 08:00:00.5+0000", T0, 0);
	parses("10 Apr 2026 08:00 +0000 (UTC)", T0, 0);
}

/* What git skips, so that a typo would be another date: refused. */
Test(date, git_skips_but_not_here)
{
	static const char *const bad[] = { "2026-04-10 08:00 foo",
	    "2026-04-10 08:00 CETT", "2026-04-10 08:00 +2500",
	    "2026-04-10 08:00 +1", "2026-04-10 08:00 1230",
	    "2026-04-10 08:00 2027", "Apr10 2026 08:00",
	    "2026-04-10 08:00 +0100 +0200", "2026-04-10 08:00 CET EST",
	    "2026-04-10", "08:00", "0001-04-10 08:00", "2026-13-04 08:00",
	    "2100-01-01 00:00 Z",
	    "2026-04-10 08:00 PM PM", "@2026-04-10 08:00" };
	size_t i;
	int64_t t;
	int off;

	in_zone("UTC");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_expect_eq(dipb_date_parse_git(bad[i], &t, &off), -1,
		    "'%s'", bad[i]);
}

Test(date, not_dates)
{
	int64_t t;
	int off;

	cr_expect_eq(dipb_date_parse_git("yesterday", &t, &off), -1);
	cr_expect_eq(dipb_date_parse_git("12345", &t, &off), -1);
	cr_expect_eq(dipb_date_parse_git("2026-02-30 10:00 Z", &t, &off), -1);
	cr_expect_eq(dipb_date_parse_git("2026-04-10 25:00 Z", &t, &off), -1);
}

/* Before the epoch: git refuses it, and fsck a commit that holds one. */
Test(date, not_before_the_epoch)
{
	int64_t t;
	int off;

	cr_expect_eq(dipb_date_parse_git("1969-07-20T20:17:00+00:00", &t,
	    &off), -1);
	cr_expect_eq(dipb_date_parse_git("Sun, 20 Jul 1969 20:17:00 +0000",
	    &t, &off), -1);
	cr_expect_eq(dipb_date_parse_git("0001-01-01T00:00:00+00:00", &t,
	    &off), -1);
	cr_expect_eq(dipb_date_parse_git("1970-01-01T00:00:00+14:00", &t,
	    &off), -1);
	parses("1970-01-01T00:00:00+00:00", 0, 0);
	parses("1970-01-01T14:00:00+14:00", 0, 840);
}

/* From 2100 on in UTC, whatever the year in the date's own zone. */
Test(date, not_from_2100_in_utc)
{
	static const char *const late[] = { "2099-12-31T23:59:59-1200",
	    "2099-12-31T20:30:00-0330", "Thu Dec 31 19:00:00 2099 EST" };
	int64_t t;
	int off;
	size_t i;

	for (i = 0; i < sizeof(late) / sizeof(late[0]); i++)
		cr_expect_eq(dipb_date_parse_git(late[i], &t, &off), -1,
		    "'%s'", late[i]);
	in_zone("Etc/GMT+12");
	cr_expect_eq(dipb_date_parse_git("2099-12-31 23:59:59", &t, &off),
	    -1);
	parses("2099-12-31 11:59:59", INT64_C(4102444799), -720);
	parses("2099-12-31T23:59:59Z", INT64_C(4102444799), 0);
	parses("2099-12-31T20:29:59-0330", INT64_C(4102444799), -210);
}

Test(date, ymd_in_its_zone)
{
	char d[11];

	dipb_date_ymd(d, T0, 0);
	cr_expect_str_eq(d, "2026-04-10");
	dipb_date_ymd(d, T0, -600);		/* 22:00 the day before */
	cr_expect_str_eq(d, "2026-04-09");
	dipb_date_ymd(d, T0, 16 * 60);		/* 00:00 the day after */
	cr_expect_str_eq(d, "2026-04-11");
	dipb_date_ymd(d, 0, 0);
	cr_expect_str_eq(d, "1970-01-01");
	dipb_date_ymd(d, -1, 0);
	cr_expect_str_eq(d, "1969-12-31");
	dipb_date_ymd(d, 951782400, 0);		/* a 400-year leap day */
	cr_expect_str_eq(d, "2000-02-29");
	/* After the year 9999, the last day, whatever the month, up to the
	 * largest date git reads, in any zone. */
	dipb_date_ymd(d, 253402300800 + 86400 * 40, 0);	/* 10000-02-10 */
	cr_expect_str_eq(d, "9999-12-31");
	dipb_date_ymd(d, INT64_MAX, 99 * 60 + 99);
	cr_expect_str_eq(d, "9999-12-31");
	dipb_date_ymd(d, INT64_MAX, -(99 * 60 + 99));
	cr_expect_str_eq(d, "9999-12-31");
}

Test(date, midnight_utc)
{
	int64_t t = 0;

	cr_assert_eq(dipb_date_midnight_utc(&t, "2026-04-10"), 0);
	cr_expect_eq(t, (int64_t)1775779200);
	cr_assert_eq(dipb_date_midnight_utc(&t, "1969-12-31"), 0);
	cr_expect_eq(t, (int64_t)-86400);
	cr_expect_eq(dipb_date_midnight_utc(&t, "2026-02-29"), -1);
	cr_expect_eq(dipb_date_midnight_utc(&t, "2026-4-10"), -1);
	cr_expect_eq(dipb_date_midnight_utc(&t, "2026-04-10x"), -1);
}

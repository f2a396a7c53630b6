/* Conversions between seconds since the epoch and broken-down time (proleptic Gregorian,
 * UTC). Counterpart of drivers/rtc/lib.c and kernel/time/time.c's mktime64. */
#include "rtc.h"

static const unsigned char rtc_days_in_month[] = {
	31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
};

static bool is_leap_year(unsigned int year)
{
	return (!(year % 4) && (year % 100)) || !(year % 400);
}

static int rtc_month_days(unsigned int month, unsigned int year)
{
	return rtc_days_in_month[month] + (is_leap_year(year) && month == 1);
}

/* Days since 1970-01-01 → civil date, counted in 400-year eras that start on March 1st so
 * that the leap day is the last day of a year. */
void rtc_time64_to_tm(time64_t time, struct rtc_time *tm)
{
	s64 days = time / 86400, secs = time % 86400;
	s64 era, doe, yoe, doy, mp, year;
	unsigned int month, mday, m;
	int yday = 0;

	if (secs < 0) {
		secs += 86400;
		days--;
	}
	tm->tm_wday = (int)((days + 4) % 7);	/* 1970-01-01 was a Thursday */
	if (tm->tm_wday < 0)
		tm->tm_wday += 7;
	days += 719468;				/* from 0000-03-01 */
	era = (days >= 0 ? days : days - 146096) / 146097;
	doe = days - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	mday = (unsigned int)(doy - (153 * mp + 2) / 5 + 1);
	month = (unsigned int)(mp < 10 ? mp + 2 : mp - 10);	/* 0..11 */
	year = yoe + era * 400 + (month < 2);

	for (m = 0; m < month; m++)
		yday += rtc_month_days(m, (unsigned int)year);
	tm->tm_year = (int)(year - 1900);
	tm->tm_mon = (int)month;
	tm->tm_mday = (int)mday;
	tm->tm_yday = yday + (int)mday - 1;
	tm->tm_hour = (int)(secs / 3600);
	tm->tm_min = (int)(secs % 3600 / 60);
	tm->tm_sec = (int)(secs % 60);
	tm->tm_isdst = 0;
}

/* mktime64: Gauss's algorithm, with March as the first month. */
time64_t rtc_tm_to_time64(const struct rtc_time *tm)
{
	s64 mon = tm->tm_mon + 1, year = tm->tm_year + 1900;

	if ((mon -= 2) <= 0) {
		mon += 12;
		year -= 1;
	}
	return ((((year / 4 - year / 100 + year / 400 + 367 * mon / 12 + tm->tm_mday) +
		  year * 365 - 719499) * 24 + tm->tm_hour) * 60 + tm->tm_min) * 60 + tm->tm_sec;
}

int rtc_valid_tm(const struct rtc_time *tm)
{
	if (tm->tm_year < 70 || tm->tm_year > (9999 - 1900) || (unsigned int)tm->tm_mon >= 12 ||
	    tm->tm_mday < 1 ||
	    tm->tm_mday > rtc_month_days(tm->tm_mon, (unsigned int)tm->tm_year + 1900) ||
	    (unsigned int)tm->tm_hour >= 24 || (unsigned int)tm->tm_min >= 60 ||
	    (unsigned int)tm->tm_sec >= 60)
		return -EINVAL;
	return 0;
}

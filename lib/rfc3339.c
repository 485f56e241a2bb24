#include "lib/rfc3339.h"

#include <stdio.h>

#define MINUTES_PER_DAY 1440L

/* Reads exactly n decimal digits; false at the first other character (the NUL included). */
static bool digits(const char *s, int n, int *value)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *value = v;
    return true;
}

static int days_in_month(int year, int month)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : days[month - 1];
}

/* Days since 1970-01-01 of a proleptic Gregorian date, and back (H. Hinnant's algorithms). */
static long days_from_civil(long y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, int *y, int *m, int *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

/* The fraction after the '.', 1 to 9 digits, in nanoseconds; *s moves past it. */
static bool fraction(const char **s, long *nanos)
{
    const char *p = *s;
    int n = 0;
    long v = 0;
    for (; *p >= '0' && *p <= '9'; p++, n++) {
        if (n == 9)
            return false;
        v = v * 10 + (*p - '0');
    }
    if (n == 0)
        return false;
    for (; n < 9; n++)
        v *= 10;
    *nanos = v;
    *s = p;
    return true;
}

/* "Z", "z" or +hh:mm / -hh:mm, then the end of the text. */
static bool zone(const char *s, struct rfc3339 *t)
{
    int hours, minutes;
    if ((s[0] == 'Z' || s[0] == 'z') && s[1] == '\0') {
        t->zone = 'Z';
        t->offset_minutes = 0;
        return true;
    }
    if ((s[0] != '+' && s[0] != '-') || !digits(s + 1, 2, &hours) || s[3] != ':' ||
        !digits(s + 4, 2, &minutes) || s[6] != '\0' || hours > 23 || minutes > 59)
        return false;
    t->zone = s[0];
    t->offset_minutes = (hours * 60 + minutes) * (s[0] == '-' ? -1 : 1);
    return true;
}

bool rfc3339_parse(const char *text, struct rfc3339 *out)
{
    struct rfc3339 t = {0};
    const char *s = text;
    if (!s || !digits(s, 4, &t.year) || s[4] != '-' || !digits(s + 5, 2, &t.month) || s[7] != '-' ||
        !digits(s + 8, 2, &t.day) || (s[10] != 'T' && s[10] != 't') ||
        !digits(s + 11, 2, &t.hour) || s[13] != ':' || !digits(s + 14, 2, &t.minute) ||
        s[16] != ':' || !digits(s + 17, 2, &t.second))
        return false;
    if (t.month < 1 || t.month > 12 || t.day < 1 || t.day > days_in_month(t.year, t.month) ||
        t.hour > 23 || t.minute > 59 || t.second > 60)
        return false;
    s += 19;
    if (*s == '.') {
        s++;
        if (!fraction(&s, &t.nanos))
            return false;
    }
    if (!zone(s, &t))
        return false;
    *out = t;
    return true;
}

void rfc3339_to_utc(struct rfc3339 *t)
{
    if (t->offset_minutes != 0) {
        /* Minutes since the epoch, seconds left alone (a leap second stays :60). */
        long minutes = days_from_civil(t->year, t->month, t->day) * MINUTES_PER_DAY +
                       t->hour * 60L + t->minute - t->offset_minutes;
        long days = minutes >= 0 ? minutes / MINUTES_PER_DAY
                                 : -((-minutes + MINUTES_PER_DAY - 1) / MINUTES_PER_DAY);
        long rest = minutes - days * MINUTES_PER_DAY;
        civil_from_days(days, &t->year, &t->month, &t->day);
        t->hour = (int)(rest / 60);
        t->minute = (int)(rest % 60);
    }
    t->offset_minutes = 0;
    t->zone = 'Z';
}

bool rfc3339_format(const struct rfc3339 *t, char *out, size_t size)
{
    int n = -1;
    if (t->year >= 0 && t->year <= 9999) {
        int offset = t->offset_minutes < 0 ? -t->offset_minutes : t->offset_minutes;
        char sign = t->offset_minutes < 0 || (t->offset_minutes == 0 && t->zone == '-') ? '-' : '+';
        if (t->zone == 'Z')
            n = snprintf(out, size, "%04d-%02d-%02dT%02d:%02d:%02dZ", t->year, t->month, t->day,
                         t->hour, t->minute, t->second);
        else
            n = snprintf(out, size, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", t->year, t->month,
                         t->day, t->hour, t->minute, t->second, sign, offset / 60, offset % 60);
    }
    if (n > 0 && (size_t)n < size)
        return true;
    if (size > 0)
        out[0] = '\0';
    return false;
}

/* The widest UTC offset PostgreSQL accepts in a timestamptz literal. */
#define RFC3339_STORABLE_OFFSET_MAX (15 * 60 + 59)

bool rfc3339_storable(const char *text)
{
    struct rfc3339 t;
    return rfc3339_parse(text, &t) && t.year >= 1 &&
           t.offset_minutes <= RFC3339_STORABLE_OFFSET_MAX &&
           t.offset_minutes >= -RFC3339_STORABLE_OFFSET_MAX;
}

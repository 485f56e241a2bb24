/* RFC 3339 date-times (section 5.6, "2026-11-23T14:05:07.123456Z", "...+01:00"): a strict
 * parser, conversion to UTC and formatting to the second. Nothing here reads the clock or the
 * local time zone. */
#ifndef PLI_RFC3339_H
#define PLI_RFC3339_H

#include <stdbool.h>
#include <stddef.h>

/* Bytes that hold any text rfc3339_format writes, "YYYY-MM-DDThh:mm:ss+hh:mm" and its NUL. */
#define RFC3339_FORMAT_SIZE 26

struct rfc3339 {
    int year;           /* 0 to 9999 as parsed; -1 to 10000 after rfc3339_to_utc */
    int month, day;     /* 1 to 12; 1 to the month's last day (leap years counted) */
    int hour, minute;   /* 0 to 23, 0 to 59 */
    int second;         /* 0 to 60 (60 is a leap second) */
    long nanos;         /* the fraction of a second in nanoseconds, 0 to 999999999 */
    int offset_minutes; /* local time minus UTC, -1439 to 1439 (0 for Z) */
    char zone;          /* 'Z' for "Z" or "z", else the offset's sign as written ('+' or '-') */
};

/* Parses a whole RFC 3339 date-time: YYYY-MM-DD, 'T' or 't', hh:mm:ss, an optional fraction of
 * 1 to 9 digits, then 'Z', 'z' or +hh:mm / -hh:mm. Every field is range-checked (days per month
 * with leap years, hours to 23, seconds to 60, offsets to 23:59); nothing may follow. Fills *out
 * and returns true, or returns false and leaves *out alone (text NULL is false). */
bool rfc3339_parse(const char *text, struct rfc3339 *out);
/* True when text parses and PostgreSQL can store it as a timestamptz: year 1 or later and an
 * offset of at most 15:59. */
bool rfc3339_storable(const char *text);
/* Brings a parsed time to UTC (offset 0, zone 'Z'), across days, months and years. The second
 * (so a leap second's 60) and the fraction are kept as they are. */
void rfc3339_to_utc(struct rfc3339 *t);
/* Writes t as "YYYY-MM-DDThh:mm:ss" followed by "Z" or its offset (+hh:mm / -hh:mm, "-00:00"
 * kept), without the fraction: cairo's ISO 8601 subset. False, with out empty when size > 0,
 * when the year is outside 0 to 9999 or out is too small (RFC3339_FORMAT_SIZE always fits). */
bool rfc3339_format(const struct rfc3339 *t, char *out, size_t size);

#endif

/* RFC 3339 date-times: the strict parser, conversion to UTC, formatting to the second. */
#include <criterion/criterion.h>
#include <string.h>

#include "lib/json_spec.h"
#include "lib/rfc3339.h"

static struct rfc3339 parsed(const char *text)
{
    struct rfc3339 t;
    cr_assert(rfc3339_parse(text, &t), "refused: %s", text);
    return t;
}

/* text formatted as it was written, to the second. */
static void expect_format(const char *text, const char *expected)
{
    struct rfc3339 t = parsed(text);
    char out[RFC3339_FORMAT_SIZE];
    cr_assert(rfc3339_format(&t, out, sizeof(out)), "no format for %s", text);
    cr_expect_str_eq(out, expected, "format of %s", text);
}

/* text brought to UTC and formatted. */
static void expect_utc(const char *text, const char *expected)
{
    struct rfc3339 t = parsed(text);
    char out[RFC3339_FORMAT_SIZE];
    rfc3339_to_utc(&t);
    cr_assert(rfc3339_format(&t, out, sizeof(out)), "no format for %s", text);
    cr_expect_str_eq(out, expected, "%s in UTC", text);
    cr_expect_eq(t.offset_minutes, 0);
    cr_expect_eq(t.zone, 'Z');
}

TestSuite(rfc3339);

Test(rfc3339, fields_of_a_proof_time)
{
    struct rfc3339 t = parsed("2026-11-23T10:00:00.000000Z");
    cr_expect_eq(t.year, 2026);
    cr_expect_eq(t.month, 11);
    cr_expect_eq(t.day, 23);
    cr_expect_eq(t.hour, 10);
    cr_expect_eq(t.minute, 0);
    cr_expect_eq(t.second, 0);
    cr_expect_eq(t.nanos, 0);
    cr_expect_eq(t.offset_minutes, 0);
    cr_expect_eq(t.zone, 'Z');

    t = parsed("2026-11-23T14:05:07.123456-09:30");
    cr_expect_eq(t.hour, 14);
    cr_expect_eq(t.minute, 5);
    cr_expect_eq(t.second, 7);
    cr_expect_eq(t.nanos, 123456000);
    cr_expect_eq(t.offset_minutes, -570);
    cr_expect_eq(t.zone, '-');
}

Test(rfc3339, valid_forms)
{
    static const char *const good[] = {
        "2026-11-23T14:05:07Z",           /* UTC */
        "2026-11-23t14:05:07z",           /* lower-case separator and zone */
        "2026-11-23T14:05:07.5Z",         /* one fraction digit */
        "2026-11-23T14:05:07.123456789Z", /* nine */
        "2026-11-23T14:05:07+01:00",      /* an offset east */
        "2026-11-23T14:05:07-00:00",      /* unknown local offset */
        "2026-11-23T14:05:07.25+23:59",   /* the largest offset */
        "2024-02-29T00:00:00Z",           /* leap year */
        "2000-02-29T00:00:00Z",           /* divisible by 400 */
        "2026-01-31T23:59:59Z",           /* last day of a long month */
        "2026-04-30T00:00:00Z",           /* of a short one */
        "2016-12-31T23:59:60Z",           /* leap second */
        "0000-01-01T00:00:00Z",           /* first year */
        "9999-12-31T23:59:59Z",           /* last */
    };
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        struct rfc3339 t;
        cr_expect(rfc3339_parse(good[i], &t), "refused: %s", good[i]);
        cr_expect(json_is_datetime(good[i]), "json_is_datetime refused: %s", good[i]);
    }
    struct rfc3339 t = parsed("2026-11-23T14:05:07.5Z");
    cr_expect_eq(t.nanos, 500000000);
    t = parsed("2026-11-23T14:05:07.123456789Z");
    cr_expect_eq(t.nanos, 123456789);
}

Test(rfc3339, bad_forms)
{
    static const char *const bad[] = {
        "",
        "hier",
        "2026-02-30T00:00:00Z", /* no 30 February */
        "2026-02-29T00:00:00Z", /* not a leap year */
        "1900-02-29T00:00:00Z", /* divisible by 100, not 400 */
        "2026-04-31T00:00:00Z", /* April has 30 days */
        "2026-13-01T00:00:00Z",
        "2026-00-01T00:00:00Z",
        "2026-01-00T00:00:00Z",
        "2026-01-01T24:00:00Z",
        "2026-01-01T00:60:00Z",
        "2026-01-01T00:00:61Z",
        "2026-01-01T00:00:00",             /* no zone */
        "2026-01-01T00:00:00.5",           /* no zone after a fraction */
        "2026-01-01T00:00:00.1234567890Z", /* ten fraction digits */
        "2026-01-01T00:00:00.Z",           /* an empty fraction */
        "2026-01-01T00:00:00,5Z",
        "2026-01-01T00:00:00Zjunk",
        "2026-01-01T00:00:00Z ",
        "2026-01-01T00:00:00+01:00x",
        "2026-01-01T00:00:00+0100",
        "2026-01-01T00:00:00+01",
        "2026-01-01T00:00:00+24:00",
        "2026-01-01T00:00:00+01:60",
        "2026-01-01 00:00:00Z",
        "2026-01-01_00:00:00Z",
        "2026-1-01T00:00:00Z",
        "26-01-01T00:00:00Z",
        "+2026-01-01T00:00:00Z",
        "2026-01-01T0:00:00Z",
        "2026-01-01",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct rfc3339 t = {.year = 42};
        cr_expect(!rfc3339_parse(bad[i], &t), "accepted: %s", bad[i]);
        cr_expect_eq(t.year, 42, "changed on failure: %s", bad[i]);
        cr_expect(!json_is_datetime(bad[i]), "json_is_datetime accepted: %s", bad[i]);
    }
    struct rfc3339 t;
    cr_expect(!rfc3339_parse(NULL, &t));
}

Test(rfc3339, offsets_are_converted_to_utc)
{
    expect_utc("2026-11-23T14:05:07Z", "2026-11-23T14:05:07Z");
    expect_utc("2026-11-23T14:05:07+01:00", "2026-11-23T13:05:07Z");
    expect_utc("2026-11-23T14:05:07-09:30", "2026-11-23T23:35:07Z");
    expect_utc("2026-01-01T00:30:00+01:00", "2025-12-31T23:30:00Z"); /* back a year */
    expect_utc("2026-12-31T23:30:00-01:00", "2027-01-01T00:30:00Z"); /* on a year */
    expect_utc("2024-03-01T00:10:00+14:00", "2024-02-29T10:10:00Z"); /* into a leap day */
    expect_utc("2026-03-01T01:00:00+02:00", "2026-02-28T23:00:00Z");
    expect_utc("2016-12-31T18:59:60-05:00", "2016-12-31T23:59:60Z"); /* the leap second stays */
    expect_utc("2026-06-15T08:09:10-00:00", "2026-06-15T08:09:10Z");
    /* The fraction survives the conversion but is not written. */
    struct rfc3339 t = parsed("2026-06-15T08:09:10.75+05:45");
    rfc3339_to_utc(&t);
    cr_expect_eq(t.nanos, 750000000);
    cr_expect_eq(t.hour, 2);
    cr_expect_eq(t.minute, 24);
}

Test(rfc3339, utc_conversion_may_leave_years_0_to_9999)
{
    struct rfc3339 t = parsed("0000-01-01T00:00:00+00:30");
    rfc3339_to_utc(&t);
    cr_expect_eq(t.year, -1);
    cr_expect_eq(t.month, 12);
    cr_expect_eq(t.day, 31);
    cr_expect_eq(t.hour, 23);
    cr_expect_eq(t.minute, 30);
    char out[RFC3339_FORMAT_SIZE] = "x";
    cr_expect(!rfc3339_format(&t, out, sizeof(out)));
    cr_expect_str_empty(out);

    t = parsed("9999-12-31T23:59:59-00:01");
    rfc3339_to_utc(&t);
    cr_expect_eq(t.year, 10000);
    cr_expect(!rfc3339_format(&t, out, sizeof(out)));
}

Test(rfc3339, format_keeps_the_written_zone)
{
    expect_format("2026-01-01T00:00:00.5+02:00", "2026-01-01T00:00:00+02:00");
    expect_format("2026-06-15t08:09:10.999999999-09:45", "2026-06-15T08:09:10-09:45");
    expect_format("2026-06-15T08:09:10-00:00", "2026-06-15T08:09:10-00:00");
    expect_format("2026-06-15T08:09:10+00:00", "2026-06-15T08:09:10+00:00");
    expect_format("2026-06-15T08:09:10z", "2026-06-15T08:09:10Z");
    expect_format("0000-01-01T00:00:00+23:59", "0000-01-01T00:00:00+23:59");
    /* Too small a buffer fails and leaves it empty. */
    struct rfc3339 t = parsed("2026-06-15T08:09:10+01:00");
    char small[RFC3339_FORMAT_SIZE - 1] = "x";
    cr_expect(!rfc3339_format(&t, small, sizeof(small)));
    cr_expect_str_empty(small);
}

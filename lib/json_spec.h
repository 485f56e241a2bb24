/* Declarative checks of JSON request bodies: one table of fields per body. */
#ifndef PLI_JSON_SPEC_H
#define PLI_JSON_SPEC_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

enum json_field_type {
    JSON_FIELD_STRING,
    JSON_FIELD_BOOL,
    JSON_FIELD_INTEGER,
    JSON_FIELD_OBJECT,
    JSON_FIELD_ARRAY,
    JSON_FIELD_STRING_ARRAY, /* an array whose items are all strings */
    JSON_FIELD__MAX
};

enum json_field_format {
    JSON_FORMAT_NONE,
    JSON_FORMAT_EMAIL,
    JSON_FORMAT_UUID,
    JSON_FORMAT_TEXT, /* free text: line breaks and tabs allowed, other control characters not */
    JSON_FORMAT_DATETIME, /* RFC 3339 date and time with an offset */
    JSON_FORMAT_SHA256,   /* 64 lower-case hex digits */
    JSON_FORMAT__MAX
};

struct json_field {
    const char *name;
    enum json_field_type type;
    bool required;
    long min; /* strings: characters; integers: value; arrays: items */
    long max;
    enum json_field_format format;
    const char *const *one_of; /* strings: the allowed values, NULL-terminated; NULL for any */
};

#define JSON_PROBLEMS_MAX 16

struct json_problem {
    const char *field;
    const char *code;    /* required, unknown_field, wrong_type, too_short, too_long, ... */
    const char *message; /* English, for people */
};

struct json_problems {
    struct json_problem items[JSON_PROBLEMS_MAX];
    size_t count;
};

/* Checks an object against its field table; fills problems and returns true when there are none.
 * A problem's field points into the body (unknown keys) or the table: keep the body alive. */
bool json_spec_check(const json_t *body, const struct json_field *fields, size_t n_fields,
                     struct json_problems *problems);
/* Adds one problem (ignored past JSON_PROBLEMS_MAX). */
void json_problems_add(struct json_problems *problems, const char *field, const char *code,
                       const char *message);
/* True for a plausible e-mail address (RFC 5321 sizes, one @, a dotted domain, no spaces). */
bool json_is_email(const char *s);
/* True for a UUID in canonical 8-4-4-4-12 hex form. */
bool json_is_uuid(const char *s);
/* True for an RFC 3339 date-time ("2026-11-23T14:05:07.25Z", "...+01:00"): a real date, a
 * fraction of at most 9 digits and an offset; see rfc3339_parse. */
bool json_is_datetime(const char *s);
/* True for 64 lower-case hex digits. */
bool json_is_sha256(const char *s);
/* Number of Unicode code points in a valid UTF-8 string. */
size_t json_utf8_length(const char *s);

#endif

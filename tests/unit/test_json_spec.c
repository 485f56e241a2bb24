/* Declarative body checks: presence, unknown fields, types, lengths in characters, formats. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "lib/json_spec.h"

static const struct json_field fields[] = {
    {"name", JSON_FIELD_STRING, true, 2, 5, JSON_FORMAT_NONE, NULL},
    {"title", JSON_FIELD_STRING, false, 1, 0, JSON_FORMAT_NONE, NULL},
    {"email", JSON_FIELD_STRING, false, 0, 254, JSON_FORMAT_EMAIL, NULL},
    {"id", JSON_FIELD_STRING, false, 0, 0, JSON_FORMAT_UUID, NULL},
    {"count", JSON_FIELD_INTEGER, false, 1, 10, JSON_FORMAT_NONE, NULL},
    {"tags", JSON_FIELD_ARRAY, false, 1, 3, JSON_FORMAT_NONE, NULL},
    {"flag", JSON_FIELD_BOOL, false, 0, 0, JSON_FORMAT_NONE, NULL},
    {"extra", JSON_FIELD_OBJECT, false, 0, 0, JSON_FORMAT_NONE, NULL},
};
#define N_FIELDS (sizeof(fields) / sizeof(fields[0]))

static struct json_problems problems;
/* Problems name fields by pointing into the body: it is kept until the next check. */
static json_t *checked_body;

/* Checks a JSON text; returns the code of the only problem, "" when none (fails on several). */
static const char *check(const char *text)
{
    json_error_t error;
    json_decref(checked_body);
    checked_body = json_loads(text, 0, &error);
    cr_assert_not_null(checked_body, "bad test JSON %s: %s", text, error.text);
    bool ok = json_spec_check(checked_body, fields, N_FIELDS, &problems);
    cr_assert_eq(ok, problems.count == 0);
    cr_assert_leq(problems.count, 1, "%s: %zu problems, first %s", text, problems.count,
                  problems.items[0].code);
    return problems.count ? problems.items[0].code : "";
}

Test(json_spec, valid_body_passes)
{
    cr_assert_str_eq(check("{\"name\":\"abc\",\"email\":\"a@b.co\",\"count\":3,\"tags\":[1],"
                           "\"flag\":true,\"extra\":{},\"id\":"
                           "\"0b9e6c3e-7d0a-4c39-9a52-2f6f0b7a1c11\"}"),
                     "");
}

Test(json_spec, missing_or_null_required_field)
{
    cr_assert_str_eq(check("{}"), "required");
    cr_assert_str_eq(problems.items[0].field, "name");
    cr_assert_str_eq(check("{\"name\":null}"), "required");
}

Test(json_spec, unknown_field_is_named)
{
    cr_assert_str_eq(check("{\"name\":\"abc\",\"admin\":true}"), "unknown_field");
    cr_assert_str_eq(problems.items[0].field, "admin");
}

Test(json_spec, wrong_types)
{
    cr_assert_str_eq(check("{\"name\":5}"), "wrong_type");
    cr_assert_str_eq(check("{\"name\":\"abc\",\"flag\":\"yes\"}"), "wrong_type");
    cr_assert_str_eq(check("{\"name\":\"abc\",\"count\":1.5}"), "wrong_type");
    cr_assert_str_eq(check("{\"name\":\"abc\",\"tags\":{}}"), "wrong_type");
    cr_assert_str_eq(check("{\"name\":\"abc\",\"extra\":[]}"), "wrong_type");
    cr_assert_str_eq(check("[]"), "wrong_type");
    cr_assert_str_eq(problems.items[0].field, "");
}

Test(json_spec, lengths_count_characters_not_bytes)
{
    cr_assert_str_eq(check("{\"name\":\"a\"}"), "too_short");
    cr_assert_str_eq(check("{\"name\":\"é\"}"), "too_short"); /* 2 bytes, 1 character */
    cr_assert_str_eq(check("{\"name\":\"ééééé\"}"), ""); /* 10 bytes, 5 characters */
    cr_assert_str_eq(check("{\"name\":\"😀😀😀😀😀\"}"), ""); /* 20 bytes */
    cr_assert_str_eq(check("{\"name\":\"éééééé\"}"), "too_long");
    cr_assert_str_eq(check("{\"name\":\"abcdef\"}"), "too_long");
}

Test(json_spec, empty_string_with_min_one_is_required)
{
    cr_assert_str_eq(check("{\"name\":\"abc\",\"title\":\"\"}"), "required");
    cr_assert_str_eq(problems.items[0].field, "title");
}

Test(json_spec, control_characters_are_refused)
{
    cr_assert_str_eq(check("{\"name\":\"a\\nbc\"}"), "invalid_characters");
    cr_assert_str_eq(check("{\"name\":\"a\\tbc\"}"), "invalid_characters");
    cr_assert_str_eq(check("{\"name\":\"a\\u007fb\"}"), "invalid_characters");
    cr_assert_str_eq(check("{\"name\":\"a\\u001bb\"}"), "invalid_characters");
}

Test(json_spec, email_format)
{
    cr_assert(json_is_email("a@b.co"));
    cr_assert(json_is_email("first.last+tag@sub.example.org"));
    cr_assert_not(json_is_email("no-at.example.org"));
    cr_assert_not(json_is_email("a@localhost"));
    cr_assert_not(json_is_email("a@@b.co"));
    cr_assert_not(json_is_email("a@b@c.co"));
    cr_assert_not(json_is_email("@b.co"));
    cr_assert_not(json_is_email("a b@c.co"));
    cr_assert_not(json_is_email("a@.b.co"));
    cr_assert_not(json_is_email("a@b..co"));
    cr_assert_not(json_is_email("a@b.co."));
    cr_assert_not(json_is_email("<a>@b.co"));
    char local[80];
    memset(local, 'x', 65);
    snprintf(local + 65, sizeof(local) - 65, "%s", "@b.co");
    cr_assert_not(json_is_email(local), "a 65-character local part is too long");
    cr_assert_str_eq(check("{\"name\":\"abc\",\"email\":\"nope\"}"), "invalid_format");
}

Test(json_spec, uuid_format)
{
    cr_assert(json_is_uuid("0b9e6c3e-7d0a-4c39-9a52-2f6f0b7a1c11"));
    cr_assert(json_is_uuid("0B9E6C3E-7D0A-4C39-9A52-2F6F0B7A1C11"));
    cr_assert_not(json_is_uuid("0b9e6c3e-7d0a-4c39-9a52-2f6f0b7a1c1"));
    cr_assert_not(json_is_uuid("0b9e6c3e-7d0a-4c39-9a52-2f6f0b7a1c111"));
    cr_assert_not(json_is_uuid("0b9e6c3e7d0a-4c39-9a52-2f6f0b7a1c11-"));
    cr_assert_not(json_is_uuid("0b9e6c3e-7d0a-4c39-9a52-2f6f0b7a1c1g"));
    cr_assert_not(json_is_uuid(""));
    cr_assert_str_eq(check("{\"name\":\"abc\",\"id\":\"42\"}"), "invalid_format");
}

Test(json_spec, integer_range_is_inclusive)
{
    cr_assert_str_eq(check("{\"name\":\"abc\",\"count\":1}"), "");
    cr_assert_str_eq(check("{\"name\":\"abc\",\"count\":10}"), "");
    cr_assert_str_eq(check("{\"name\":\"abc\",\"count\":0}"), "out_of_range");
    cr_assert_str_eq(check("{\"name\":\"abc\",\"count\":11}"), "out_of_range");
    cr_assert_str_eq(check("{\"name\":\"abc\",\"count\":-9223372036854775808}"), "out_of_range");
}

Test(json_spec, array_item_counts)
{
    cr_assert_str_eq(check("{\"name\":\"abc\",\"tags\":[]}"), "wrong_count");
    cr_assert_str_eq(check("{\"name\":\"abc\",\"tags\":[1,2,3]}"), "");
    cr_assert_str_eq(check("{\"name\":\"abc\",\"tags\":[1,2,3,4]}"), "wrong_count");
}

Test(json_spec, problems_are_capped)
{
    json_t *body = json_pack("{s:s}", "name", "abc");
    for (int i = 0; i < JSON_PROBLEMS_MAX + 8; i++) {
        char key[16];
        snprintf(key, sizeof(key), "k%d", i);
        json_object_set_new(body, key, json_true());
    }
    cr_assert_not(json_spec_check(body, fields, N_FIELDS, &problems));
    cr_assert_eq(problems.count, JSON_PROBLEMS_MAX);
    json_decref(body);
}

Test(json_spec, utf8_length)
{
    cr_assert_eq(json_utf8_length(""), 0);
    cr_assert_eq(json_utf8_length("abc"), 3);
    cr_assert_eq(json_utf8_length("héllo"), 5);
    cr_assert_eq(json_utf8_length("日本語"), 3);
    cr_assert_eq(json_utf8_length("😀"), 1);
}

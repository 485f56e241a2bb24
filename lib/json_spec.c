#include "lib/json_spec.h"

#include <ctype.h>
#include <string.h>

#include "lib/rfc3339.h"

void json_problems_add(struct json_problems *problems, const char *field, const char *code,
                       const char *message)
{
    if (problems->count >= JSON_PROBLEMS_MAX)
        return;
    problems->items[problems->count++] = (struct json_problem){field, code, message};
}

size_t json_utf8_length(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

static bool has_control_chars(const char *s, bool text)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (text && (c == '\n' || c == '\r' || c == '\t'))
            continue;
        if (c < 0x20 || c == 0x7f)
            return true;
    }
    return false;
}

bool json_is_email(const char *s)
{
    size_t len = strlen(s);
    const char *at = strchr(s, '@');
    if (len < 3 || len > 254 || !at || strchr(at + 1, '@'))
        return false;
    size_t local = (size_t)(at - s);
    const char *domain = at + 1;
    if (local < 1 || local > 64 || !*domain || domain[0] == '.' || s[len - 1] == '.')
        return false;
    if (!strchr(domain, '.') || strstr(domain, ".."))
        return false;
    for (const char *p = s; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c <= 0x20 || c == 0x7f || c == '<' || c == '>' || c == '(' || c == ')' ||
            c == ',' || c == ';' || c == ':' || c == '\\' || c == '"' || c == '[' || c == ']')
            return false;
    }
    return true;
}

bool json_is_uuid(const char *s)
{
    static const int dashes[] = {8, 13, 18, 23};
    if (strlen(s) != 36)
        return false;
    for (int i = 0, d = 0; i < 36; i++) {
        if (d < 4 && i == dashes[d]) {
            if (s[i] != '-')
                return false;
            d++;
        } else if (!isxdigit((unsigned char)s[i])) {
            return false;
        }
    }
    return true;
}

static const char *const type_names[JSON_FIELD__MAX] = {
    [JSON_FIELD_STRING] = "a string",   [JSON_FIELD_BOOL] = "a boolean",
    [JSON_FIELD_INTEGER] = "an integer", [JSON_FIELD_OBJECT] = "an object",
    [JSON_FIELD_ARRAY] = "an array", [JSON_FIELD_STRING_ARRAY] = "an array of strings",
};

static bool type_matches(const json_t *v, enum json_field_type type)
{
    switch (type) {
    case JSON_FIELD_STRING:
        return json_is_string(v);
    case JSON_FIELD_BOOL:
        return json_is_boolean(v);
    case JSON_FIELD_INTEGER:
        return json_is_integer(v);
    case JSON_FIELD_OBJECT:
        return json_is_object(v);
    case JSON_FIELD_ARRAY:
        return json_is_array(v);
    case JSON_FIELD_STRING_ARRAY: {
        size_t i;
        const json_t *item;
        if (!json_is_array(v))
            return false;
        json_array_foreach (v, i, item)
            if (!json_is_string(item))
                return false;
        return true;
    }
    case JSON_FIELD__MAX:
        break;
    }
    return false;
}

static bool is_one_of(const char *s, const char *const *allowed)
{
    for (; *allowed; allowed++)
        if (strcmp(s, *allowed) == 0)
            return true;
    return false;
}

static void check_string(const struct json_field *f, const char *s, struct json_problems *p)
{
    size_t len = json_utf8_length(s);
    if (f->min > 0 && len < (size_t)f->min)
        json_problems_add(p, f->name, f->min == 1 ? "required" : "too_short",
                          f->min == 1 ? "must not be empty" : "is too short");
    else if (f->max > 0 && len > (size_t)f->max)
        json_problems_add(p, f->name, "too_long", "is too long");
    else if (has_control_chars(s, f->format == JSON_FORMAT_TEXT))
        json_problems_add(p, f->name, "invalid_characters", "contains control characters");
    else if (f->format == JSON_FORMAT_EMAIL && !json_is_email(s))
        json_problems_add(p, f->name, "invalid_format", "is not a valid e-mail address");
    else if (f->format == JSON_FORMAT_UUID && !json_is_uuid(s))
        json_problems_add(p, f->name, "invalid_format", "is not a valid UUID");
    else if (f->format == JSON_FORMAT_DATETIME && !json_is_datetime(s))
        json_problems_add(p, f->name, "invalid_format", "is not an RFC 3339 date and time");
    else if (f->format == JSON_FORMAT_SHA256 && !json_is_sha256(s))
        json_problems_add(p, f->name, "invalid_format", "is not a lower-case hex SHA-256");
    else if (f->one_of && !is_one_of(s, f->one_of))
        json_problems_add(p, f->name, "not_allowed", "is not one of the allowed values");
}

static void check_field(const struct json_field *f, const json_t *v, struct json_problems *p)
{
    if (!type_matches(v, f->type)) {
        json_problems_add(p, f->name, "wrong_type", type_names[f->type]);
        return;
    }
    if (f->type == JSON_FIELD_STRING) {
        check_string(f, json_string_value(v), p);
    } else if (f->type == JSON_FIELD_INTEGER) {
        json_int_t n = json_integer_value(v);
        if (n < f->min || n > f->max)
            json_problems_add(p, f->name, "out_of_range", "is out of range");
    } else if (f->type == JSON_FIELD_ARRAY || f->type == JSON_FIELD_STRING_ARRAY) {
        size_t n = json_array_size(v);
        if ((f->min > 0 && n < (size_t)f->min) || (f->max > 0 && n > (size_t)f->max))
            json_problems_add(p, f->name, "wrong_count", "has too few or too many items");
    }
}

bool json_spec_check(const json_t *body, const struct json_field *fields, size_t n_fields,
                     struct json_problems *problems)
{
    problems->count = 0;
    if (!json_is_object(body)) {
        json_problems_add(problems, "", "wrong_type", "the body must be a JSON object");
        return false;
    }
    const char *key;
    const json_t *value;
    json_object_foreach ((json_t *)body, key, value) {
        bool known = false;
        for (size_t i = 0; i < n_fields && !known; i++)
            known = strcmp(fields[i].name, key) == 0;
        if (!known)
            json_problems_add(problems, key, "unknown_field", "is not a known field");
    }
    for (size_t i = 0; i < n_fields; i++) {
        const json_t *v = json_object_get(body, fields[i].name);
        if (!v || json_is_null(v)) {
            if (fields[i].required)
                json_problems_add(problems, fields[i].name, "required", "is required");
            continue;
        }
        check_field(&fields[i], v, problems);
    }
    return problems->count == 0;
}

bool json_is_datetime(const char *s)
{
    struct rfc3339 t;
    return rfc3339_parse(s, &t);
}

bool json_is_sha256(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++)
        if (!((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'a' && s[n] <= 'f')))
            return false;
    return n == 64;
}

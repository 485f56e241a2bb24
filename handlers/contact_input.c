/* Reading a contact from an API body, for group contacts and letter recipients alike. */
#include <string.h>

#include "handlers/handlers.h"

static const struct json_field address_fields[] = {
    {"line1", JSON_FIELD_STRING, true, 1, CONTACT_LINE_MAX, JSON_FORMAT_NONE, NULL},
    {"line2", JSON_FIELD_STRING, false, 0, CONTACT_LINE_MAX, JSON_FORMAT_NONE, NULL},
    {"postal_code", JSON_FIELD_STRING, true, 1, CONTACT_POSTAL_CODE_MAX - 1, JSON_FORMAT_NONE,
     NULL},
    {"city", JSON_FIELD_STRING, true, 1, CONTACT_CITY_MAX, JSON_FORMAT_NONE, NULL},
    {"country", JSON_FIELD_STRING, false, 2, 2, JSON_FORMAT_NONE, NULL},
};

const char *const contact_input_statuses[] = {"professional", "individual", NULL};

const struct json_field contact_input_fields[CONTACT_INPUT_FIELDS] = {
    {"email", JSON_FIELD_STRING, false, 0, 254, JSON_FORMAT_NONE, NULL},
    {"last_name", JSON_FIELD_STRING, true, 1, CONTACT_NAME_MAX, JSON_FORMAT_NONE, NULL},
    {"first_name", JSON_FIELD_STRING, true, 1, CONTACT_NAME_MAX, JSON_FORMAT_NONE, NULL},
    {"company", JSON_FIELD_STRING, false, 0, CONTACT_COMPANY_MAX, JSON_FORMAT_NONE, NULL},
    {"status", JSON_FIELD_STRING, true, 1, 20, JSON_FORMAT_NONE, contact_input_statuses},
    {"address", JSON_FIELD_OBJECT, false, 0, 0, JSON_FORMAT_NONE, NULL},
};

static char *field_copy(struct ctx *ctx, const json_t *obj, const char *key, size_t room)
{
    const char *v = json_string_value(json_object_get(obj, key));
    size_t len = v ? strlen(v) : 0;
    char *p = arena_alloc(ctx->req.arena, (len > room ? len : room) + 1);
    if (p && v)
        memcpy(p, v, len + 1);
    return p;
}

static bool from_json(struct ctx *ctx, const json_t *body, struct contact *c)
{
    const json_t *address = json_object_get(body, "address");
    c->email = field_copy(ctx, body, "email", 0);
    c->last_name = field_copy(ctx, body, "last_name", 0);
    c->first_name = field_copy(ctx, body, "first_name", 0);
    c->company = field_copy(ctx, body, "company", 0);
    c->status = contact_parse_status(json_string_value(json_object_get(body, "status")));
    c->line1 = field_copy(ctx, address, "line1", 0);
    c->line2 = field_copy(ctx, address, "line2", 0);
    c->postal_code = field_copy(ctx, address, "postal_code", CONTACT_POSTAL_CODE_MAX);
    c->city = field_copy(ctx, address, "city", 0);
    c->country = field_copy(ctx, address, "country", 3);
    if (!c->email || !c->last_name || !c->first_name || !c->company || !c->line1 || !c->line2 ||
        !c->postal_code || !c->city || !c->country)
        return false;
    contact_normalise(c);
    return true;
}

/* Names a field under a prefix ("recipients[2].email"); the bare name without one. */
static const char *prefixed(struct ctx *ctx, const char *prefix, const char *field)
{
    return prefix ? arena_printf(ctx->req.arena, "%s.%s", prefix, field) : field;
}

/* Adds the problems of a shape check, their fields named under a prefix. */
static void add_shape_problems(struct ctx *ctx, const struct json_problems *shape,
                               const char *prefix, struct json_problems *problems)
{
    for (size_t i = 0; i < shape->count; i++)
        json_problems_add(problems, prefixed(ctx, prefix, shape->items[i].field),
                          shape->items[i].code, shape->items[i].message);
}

bool contact_input_read(struct ctx *ctx, const json_t *body, const char *prefix,
                        const enum letter_kind *kind, struct contact *c,
                        struct json_problems *problems)
{
    size_t before = problems->count;
    struct json_problems shape = {0};
    if (!json_is_object(body)) {
        json_problems_add(problems, prefix ? prefix : "", "wrong_type", "an object");
        return false;
    }
    /* A group contact's top level is checked by its route; a recipient's is checked here. */
    if (prefix && !json_spec_check(body, contact_input_fields, CONTACT_INPUT_FIELDS, &shape))
        add_shape_problems(ctx, &shape, prefix, problems);
    const json_t *address = json_object_get(body, "address");
    if (json_is_object(address) && !json_spec_check(address, address_fields, 5, &shape))
        add_shape_problems(ctx, &shape, prefixed(ctx, prefix, "address"), problems);
    if (problems->count > before)
        return false;
    if (!from_json(ctx, body, c)) {
        json_problems_add(problems, prefix ? prefix : "", "too_large",
                          "the contact does not fit in memory");
        return false;
    }
    struct contact_problems rules;
    contact_validate(c, &rules);
    if (kind)
        letter_check_recipient(*kind, c, &rules);
    for (size_t i = 0; i < rules.count; i++)
        json_problems_add(problems, prefixed(ctx, prefix, contact_field_name(rules.items[i].field)),
                          rules.items[i].code, rules.items[i].message);
    return problems->count == before;
}

/* JSON request bodies as the dispatcher takes them: parsed with the dispatcher's flags and
 * checked against the body spec of a real route; for group contacts and letters, the contact
 * reading the handlers do next. Input: a first line naming the route ("POST /api/v1/teams";
 * any other line picks a JSON route by its bytes), then the body. */
#include <stdint.h>
#include <string.h>

#include "fcgi/ctx.h"
#include "fcgi/router.h"
#include "handlers/handlers.h"
#include "lib/letter_rules.h"
#include "tests/fuzz/common.h"

static const struct route *json_routes[64];
static size_t n_json_routes;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    for (size_t i = 0; i < router_routes_count; i++) {
        const struct route *r = &router_routes[i];
        bool json = r->body == ROUTE_BODY_JSON || r->body == ROUTE_BODY_JSON_OPTIONAL;
        if (json && n_json_routes < sizeof(json_routes) / sizeof(json_routes[0]))
            json_routes[n_json_routes++] = r;
    }
    FUZZ_CHECK(n_json_routes > 0);
    return 0;
}

static const struct route *pick_route(const char *line, size_t len)
{
    for (size_t i = 0; i < n_json_routes; i++) {
        const struct route *r = json_routes[i];
        size_t m = strlen(r->method);
        if (len == m + 1 + strlen(r->pattern) && memcmp(line, r->method, m) == 0 &&
            line[m] == ' ' && memcmp(line + m + 1, r->pattern, len - m - 1) == 0)
            return r;
    }
    size_t sum = 0;
    for (size_t i = 0; i < len; i++)
        sum += (unsigned char)line[i];
    return json_routes[sum % n_json_routes];
}

static void check_problems(const struct json_problems *p)
{
    FUZZ_CHECK(p->count <= JSON_PROBLEMS_MAX);
    for (size_t i = 0; i < p->count; i++)
        FUZZ_CHECK(p->items[i].code && p->items[i].message);
}

/* What contacts_create does with a body that passed its spec (contacts_update does the same
 * with the body laid over the stored contact). */
static void read_contact(struct ctx *ctx, const json_t *body)
{
    struct contact c;
    struct json_problems problems = {0};
    if (contact_input_read(ctx, body, NULL, NULL, &c, &problems)) {
        char key[1024];
        contact_dedupe_key(&c, key, sizeof(key));
        FUZZ_CHECK(text_is_utf8(key, strlen(key))); /* a text parameter for PostgreSQL */
    } else {
        check_problems(&problems);
        problem_set_fields(&ctx->resp, &problems);
    }
}

/* What letters_create does with a body that passed its spec (read_recipients in letters.c). */
static void read_letter(struct ctx *ctx, const json_t *body)
{
    enum letter_kind kind;
    if (!letter_kind_parse(json_string_value(json_object_get(body, "kind")), &kind))
        return;
    json_t *list = json_object_get(body, "recipients");
    size_t count = json_array_size(list);
    struct contact *out = arena_alloc(ctx->req.arena, (count ? count : 1) * sizeof(*out));
    if (!out)
        return;
    struct json_problems problems = {0};
    for (size_t i = 0; i < count; i++)
        contact_input_read(ctx, json_array_get(list, i),
                           arena_printf(ctx->req.arena, "recipients[%zu]", i), &kind, &out[i],
                           &problems);
    check_problems(&problems);
    if (problems.count)
        problem_set_fields(&ctx->resp, &problems);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    const char *newline = memchr(text, '\n', size);
    size_t line_len = newline ? (size_t)(newline - text) : size;
    const struct route *route = pick_route(text, line_len);
    const char *body_text = newline ? newline + 1 : text + size;
    size_t body_len = size - (size_t)(body_text - text);

    struct app app;
    memset(&app, 0, sizeof(app));
    struct ctx ctx;
    memset(&ctx, 0, sizeof(ctx));
    ctx.app = &app;
    ctx.req.arena = arena_new(FUZZ_ARENA_CAP);
    FUZZ_CHECK(ctx.req.arena);
    response_init(&ctx.resp, ctx.req.arena, "fuzz");

    json_t *body = NULL;
    if (body_len == 0) {
        if (route->body == ROUTE_BODY_JSON_OPTIONAL)
            body = ctx_adopt_json(&ctx, json_object());
    } else {
        json_error_t error;
        body = json_loadb(body_text, body_len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &error);
        if (body)
            body = ctx_adopt_json(&ctx, body);
        else
            FUZZ_CHECK(arena_printf(ctx.req.arena, "%s (line %d, column %d)", error.text,
                                    error.line, error.column));
    }
    if (body && route->spec) {
        struct json_problems problems;
        if (!json_spec_check(body, route->spec->fields, route->spec->n_fields, &problems)) {
            FUZZ_CHECK(problems.count > 0);
            check_problems(&problems);
            problem_set_fields(&ctx.resp, &problems);
            FUZZ_CHECK(ctx.resp.status == 422 && ctx.resp.body);
            json_t *answer = json_loadb(ctx.resp.body, ctx.resp.body_len, 0, NULL);
            FUZZ_CHECK(answer);
            json_decref(answer);
        } else {
            FUZZ_CHECK(json_is_object(body));
            if (route->spec == &contacts_create_body || route->spec == &contacts_update_body)
                read_contact(&ctx, body);
            else if (route->spec == &letters_create_body)
                read_letter(&ctx, body);
        }
    }
    arena_free(ctx.req.arena);
    return 0;
}

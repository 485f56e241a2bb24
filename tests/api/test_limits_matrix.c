/* The limits matrix: every bound a route's body spec declares (characters of a string, value of
 * an integer, items of an array), tried through nginx and pli-fcgi at the bound and one past it.
 *
 * The test walks the route table itself, so a route added with a body spec is covered without a
 * line here. Each call sends a body holding only the field under test: the spec is checked
 * before the handler runs, so the answer names every problem of the body, and the test looks
 * for the one this field gets (or must not get). Path ids other than the caller's team and the
 * client user's matter are random: the spec is checked before any object is looked up. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "fcgi/router.h"
#include "support/client.h"
#include "support/offices.h"
#include "support/teams.h"

#define LIMITS_PATH_MAX 512
/* A UUID no object has. */
#define LIMITS_ANY_ID "6c1b2a9e-4f0d-4b7e-9a35-2d8e0f1c7b44"
/* A token-shaped path segment (letters, digits, - and _, 16 to 128 of them). */
#define LIMITS_ANY_TOKEN "limits-matrix-token-0123456789abcdef"
#define LIMITS_PERIOD "2025-Q2"
/* Longest valid e-mail address the test can build (RFC 5321). */
#define LIMITS_EMAIL_MAX 254
#define LIMITS_EMAIL_LOCAL_MAX 64
#define LIMITS_LABEL_MAX 63

/* Who calls: the administrator of a firm for every route but those of client users, which an
 * office's client user calls on its matter. */
struct callers {
    struct teams_user admin;
    char team[TEAMS_ID_MAX];
    struct of_office office;
    char matter[TEAMS_ID_MAX];
    struct of_client client_user;
};

static void callers_setup(struct callers *k)
{
    teams_admin(&k->admin, k->team);
    of_office(&k->office, "Cabinet Limites");
    of_addresses(&k->office, "accueil@cabinet-limites.test", NULL);
    of_matter(&k->office, "LIM-001", NULL, NULL, k->matter);
    of_signed_in_client(&k->office, k->matter, &k->client_user);
}

static struct client *caller_of(struct callers *k, const struct route *route)
{
    return route->team == TEAM_CLIENT_USER ? &k->client_user.c : &k->admin.c;
}

/* The value of a path parameter for the caller of this route. */
static const char *param_value(const struct callers *k, const struct route *route,
                               const char *name, size_t len)
{
    bool client_route = route->team == TEAM_CLIENT_USER;
    if (len == 4 && strncmp(name, "team", 4) == 0)
        return client_route ? k->office.id : k->team;
    if (len == 6 && strncmp(name, "matter", 6) == 0)
        return client_route ? k->matter : LIMITS_ANY_ID;
    if (len == 6 && strncmp(name, "period", 6) == 0)
        return LIMITS_PERIOD;
    if (len == 5 && strncmp(name, "token", 5) == 0)
        return LIMITS_ANY_TOKEN;
    if (len == 7 && strncmp(name, "carrier", 7) == 0)
        return "sandbox";
    return LIMITS_ANY_ID;
}

static void build_path(const struct callers *k, const struct route *route, char *out,
                       size_t size)
{
    size_t n = 0;
    for (const char *p = route->pattern; *p;) {
        const char *value = NULL;
        size_t len = 1;
        if (*p == '{') {
            const char *end = strchr(p, '}');
            cr_assert_not_null(end, "%s: unterminated parameter", route->pattern);
            value = param_value(k, route, p + 1, (size_t)(end - p - 1));
            len = strlen(value);
            p = end + 1;
        } else {
            value = p++;
        }
        cr_assert(n + len < size, "%s: path too long", route->pattern);
        memcpy(out + n, value, len);
        n += len;
    }
    out[n] = '\0';
}

/* n characters of text: "é" (two bytes each) so that a bound counted in bytes would show. */
static json_t *text_of(long n)
{
    size_t bytes = (size_t)n * 2;
    char *s = malloc(bytes + 1);
    cr_assert_not_null(s);
    for (size_t i = 0; i < bytes; i += 2)
        memcpy(s + i, "\xc3\xa9", 2);
    s[bytes] = '\0';
    json_t *v = json_string(s);
    free(s);
    return v;
}

/* A valid e-mail address of exactly n characters (n from 14 to LIMITS_EMAIL_MAX). */
static json_t *email_of(long n)
{
    char s[LIMITS_EMAIL_MAX + 1];
    size_t local = n - 13 <= LIMITS_EMAIL_LOCAL_MAX ? (size_t)n - 13 : LIMITS_EMAIL_LOCAL_MAX;
    memset(s, 'a', local);
    size_t at = local;
    s[at] = '@';
    /* The domain: labels of "b" joined by dots, then "example.test". */
    size_t domain = (size_t)n - local - 1, tail = strlen("example.test"), i = at + 1;
    size_t labels = domain - tail;
    while (labels > 0) {
        size_t label = labels - 1 < LIMITS_LABEL_MAX ? labels - 1 : LIMITS_LABEL_MAX;
        if (labels - label - 1 == 1)
            label--; /* never leave a single character: it could not hold a label and a dot */
        memset(s + i, 'b', label);
        s[i + label] = '.';
        i += label + 1;
        labels -= label + 1;
    }
    memcpy(s + i, "example.test", tail + 1);
    cr_assert_eq(strlen(s), (size_t)n, "built e-mail has %zu characters, not %ld", strlen(s), n);
    return json_string(s);
}

static json_t *items_of(const struct json_field *f, long n)
{
    json_t *a = json_array();
    for (long i = 0; i < n; i++)
        json_array_append_new(a, f->type == JSON_FIELD_STRING_ARRAY ? json_string("x")
                                                                    : json_object());
    return a;
}

/* Whether a value of this field's kind can be built at any length: free strings, e-mails up to
 * what RFC 5321 allows; not values of a fixed form (UUIDs, dates, digests, enumerations). */
static bool string_is_free(const struct json_field *f, long n)
{
    if (f->one_of)
        return false;
    if (f->format == JSON_FORMAT_NONE || f->format == JSON_FORMAT_TEXT)
        return true;
    return f->format == JSON_FORMAT_EMAIL && n >= 14 && n <= LIMITS_EMAIL_MAX;
}

static json_t *value_of(const struct json_field *f, long n)
{
    switch (f->type) {
    case JSON_FIELD_STRING:
        return f->format == JSON_FORMAT_EMAIL && string_is_free(f, n) ? email_of(n) : text_of(n);
    case JSON_FIELD_INTEGER:
        return json_integer(n);
    default:
        return items_of(f, n);
    }
}

/* The code of the problem the answer names this field with, or NULL. */
static const char *field_problem(const struct reply *r, const char *field)
{
    if (r->status != 422 || !r->json)
        return NULL;
    const json_t *errors = json_object_get(r->json, "errors");
    size_t i;
    const json_t *e;
    json_array_foreach (errors, i, e) {
        const char *name = json_string_value(json_object_get(e, "field"));
        if (name && strcmp(name, field) == 0)
            return json_string_value(json_object_get(e, "code"));
    }
    return NULL;
}

/* Sends {field: value of size n} to the route; returns the reply. */
static struct reply *send_field(struct callers *k, const struct route *route,
                                const struct json_field *f, long n)
{
    char path[LIMITS_PATH_MAX];
    build_path(k, route, path, sizeof(path));
    json_t *body = json_object();
    json_object_set_new(body, f->name, value_of(f, n));
    char *text = json_dumps(body, JSON_COMPACT);
    json_decref(body);
    static const char *const json_type[] = {"Content-Type: application/json", NULL};
    struct reply *r = client_send(caller_of(k, route), route->method, path, text, json_type);
    free(text);
    return r;
}

/* The code a value of size n past a bound gets. */
static const char *past_code(const struct json_field *f, long n)
{
    if (f->type == JSON_FIELD_INTEGER)
        return "out_of_range";
    if (f->type != JSON_FIELD_STRING)
        return "wrong_count";
    if (n > f->max && f->max > 0)
        return "too_long";
    return f->min == 1 ? "required" : "too_short";
}

/* A size inside the bounds: the field gets no problem at all when its value can be built
 * valid, else not the bound's code. */
static void expect_inside(struct callers *k, const struct route *route, const struct json_field *f,
                          long n, const char *bound_code)
{
    struct reply *r = send_field(k, route, f, n);
    const char *code = field_problem(r, f->name);
    cr_expect(r->status != 413 && r->status < 500, "%s %s %s=%ld: %ld %s", route->method,
              route->pattern, f->name, n, r->status, r->body);
    bool whole = f->type == JSON_FIELD_INTEGER ||
                 (f->type == JSON_FIELD_STRING && string_is_free(f, n));
    if (whole)
        cr_expect_null(code, "%s %s: %s at %ld got %s", route->method, route->pattern, f->name, n,
                       code);
    else
        cr_expect(!code || strcmp(code, bound_code) != 0, "%s %s: %s at %ld got %s",
                  route->method, route->pattern, f->name, n, code);
    reply_free(r);
}

static void expect_past(struct callers *k, const struct route *route, const struct json_field *f,
                        long n)
{
    struct reply *r = send_field(k, route, f, n);
    const char *want = past_code(f, n);
    const char *code = field_problem(r, f->name);
    cr_expect(r->status == 422 && code && strcmp(code, want) == 0,
              "%s %s: %s at %ld should get 422 %s, got %ld %s", route->method, route->pattern,
              f->name, n, want, r->status, r->body);
    reply_free(r);
}

/* The bounds of one field; returns how many were tried. */
static int try_field(struct callers *k, const struct route *route, const struct json_field *f)
{
    int tried = 0;
    bool string = f->type == JSON_FIELD_STRING;
    bool counted = string || f->type == JSON_FIELD_ARRAY || f->type == JSON_FIELD_STRING_ARRAY;
    if (f->type != JSON_FIELD_INTEGER && !counted)
        return 0;
    if (string && f->format != JSON_FORMAT_NONE && f->format != JSON_FORMAT_TEXT &&
        f->format != JSON_FORMAT_EMAIL)
        return 0; /* a fixed form: its length is its format's */
    if (string && f->one_of)
        return 0;
    bool has_max = f->type == JSON_FIELD_INTEGER || f->max > 0;
    if (has_max) {
        expect_inside(k, route, f, f->max, past_code(f, f->max + 1));
        expect_past(k, route, f, f->max + 1);
        tried++;
    }
    bool has_min = f->type == JSON_FIELD_INTEGER || f->min > 0;
    /* An empty e-mail cannot be built valid; it is still refused as required. */
    if (has_min && !(string && f->format == JSON_FORMAT_EMAIL && f->min > 1)) {
        if (!(string && f->format == JSON_FORMAT_EMAIL))
            expect_inside(k, route, f, f->min, past_code(f, f->min - 1));
        expect_past(k, route, f, f->min - 1);
        tried++;
    }
    return tried;
}

Test(limits_matrix, every_declared_bound_holds_at_the_limit_and_one_past, .timeout = 300)
{
    struct callers k = {0};
    callers_setup(&k);
    int bounds = 0;
    for (size_t i = 0; i < router_routes_count; i++) {
        const struct route *route = &router_routes[i];
        if (!route->spec ||
            (route->body != ROUTE_BODY_JSON && route->body != ROUTE_BODY_JSON_OPTIONAL))
            continue;
        for (size_t j = 0; j < route->spec->n_fields; j++)
            bounds += try_field(&k, route, &route->spec->fields[j]);
    }
    /* The route table declares well over a hundred bounds: a walk that finds few went wrong. */
    cr_expect_geq(bounds, 100, "only %d bounds were tried", bounds);
}

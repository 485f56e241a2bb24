/* The route matcher: parameters, 404 and 405 with Allow. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "fcgi/router.h"

static void noop(struct ctx *ctx)
{
    (void)ctx;
}

static const struct route table[] = {
    {"GET", "/api/v1/things", noop, ROUTE_PUBLIC, ROUTE_BODY_NONE, NULL, TEAM_NONE, PERM__MAX},
    {"POST", "/api/v1/things", noop, ROUTE_USER, ROUTE_BODY_JSON, NULL, TEAM_NONE, PERM__MAX},
    {"DELETE", "/api/v1/things/{id}", noop, ROUTE_USER, ROUTE_BODY_NONE, NULL, TEAM_NONE, PERM__MAX},
    {"GET", "/api/v1/links/{token}", noop, ROUTE_PUBLIC, ROUTE_BODY_NONE, NULL, TEAM_NONE, PERM__MAX},
    {"POST", "/api/v1/hooks/{carrier}", noop, ROUTE_PUBLIC, ROUTE_BODY_NONE, NULL, TEAM_NONE,
     PERM__MAX},
};
#define TABLE_SIZE (sizeof(table) / sizeof(table[0]))

static enum route_match match(const char *method, const char *path, const struct route **found,
                              const char **params, int *n, char *allow)
{
    static char copy[256];
    snprintf(copy, sizeof(copy), "%s", path);
    return router_match(table, TABLE_SIZE, method, copy, found, params, 4, n, allow, 64);
}

Test(router, finds_exact_route)
{
    const struct route *found;
    const char *params[4];
    int n;
    char allow[64];
    cr_assert_eq(match("POST", "/api/v1/things", &found, params, &n, allow), ROUTE_FOUND);
    cr_assert_eq(found, &table[1]);
    cr_assert_eq(n, 0);
}

Test(router, extracts_uuid_parameter)
{
    const struct route *found;
    const char *params[4];
    int n;
    char allow[64];
    const char *id = "0b9e6c3e-7d0a-4c39-9a52-2f6f0b7a1c11";
    char path[128];
    snprintf(path, sizeof(path), "/api/v1/things/%s", id);
    cr_assert_eq(match("DELETE", path, &found, params, &n, allow), ROUTE_FOUND);
    cr_assert_eq(n, 1);
    cr_assert_str_eq(params[0], id);
}

Test(router, rejects_malformed_uuid_as_unknown_path)
{
    const struct route *found;
    const char *params[4];
    int n;
    char allow[64];
    cr_assert_eq(match("DELETE", "/api/v1/things/42", &found, params, &n, allow), ROUTE_NO_PATH);
    cr_assert_eq(match("DELETE", "/api/v1/things/0b9e6c3e-7d0a-4c39-9a52-2f6f0b7a1c1z", &found,
                       params, &n, allow),
                 ROUTE_NO_PATH);
}

Test(router, token_parameter_accepts_base64url)
{
    const struct route *found;
    const char *params[4];
    int n;
    char allow[64];
    cr_assert_eq(match("GET", "/api/v1/links/qLmy3_MNWoPMePje1gn5GDZFihQ2yvPj9OGDurbTCtk", &found,
                       params, &n, allow),
                 ROUTE_FOUND);
    cr_assert_eq(match("GET", "/api/v1/links/short", &found, params, &n, allow), ROUTE_NO_PATH);
}

/* Tokens are 16 to 128 characters, carrier names 1 to 64: one past either bound is no path. */
static enum route_match match_repeated(const char *method, const char *prefix, char c, size_t n)
{
    char path[256];
    const struct route *found;
    const char *params[4];
    int count;
    char allow[64];
    size_t len = strlen(prefix);
    cr_assert_lt(len + n, sizeof(path));
    memcpy(path, prefix, len);
    memset(path + len, c, n);
    path[len + n] = '\0';
    return match(method, path, &found, params, &count, allow);
}

Test(router, token_and_slug_lengths_hold_at_their_bounds)
{
    cr_assert_eq(match_repeated("GET", "/api/v1/links/", 't', 16), ROUTE_FOUND);
    cr_assert_eq(match_repeated("GET", "/api/v1/links/", 't', 15), ROUTE_NO_PATH);
    cr_assert_eq(match_repeated("GET", "/api/v1/links/", 't', 128), ROUTE_FOUND);
    cr_assert_eq(match_repeated("GET", "/api/v1/links/", 't', 129), ROUTE_NO_PATH);
    cr_assert_eq(match_repeated("POST", "/api/v1/hooks/", 'c', 1), ROUTE_FOUND);
    cr_assert_eq(match_repeated("POST", "/api/v1/hooks/", 'c', 64), ROUTE_FOUND);
    cr_assert_eq(match_repeated("POST", "/api/v1/hooks/", 'c', 65), ROUTE_NO_PATH);
}

Test(router, wrong_method_lists_allowed_ones)
{
    const struct route *found;
    const char *params[4];
    int n;
    char allow[64];
    cr_assert_eq(match("PUT", "/api/v1/things", &found, params, &n, allow), ROUTE_NO_METHOD);
    cr_assert_str_eq(allow, "GET, POST");
}

Test(router, trailing_slash_and_empty_segments_are_unknown)
{
    const struct route *found;
    const char *params[4];
    int n;
    char allow[64];
    cr_assert_eq(match("GET", "/api/v1/things/", &found, params, &n, allow), ROUTE_NO_PATH);
    cr_assert_eq(match("GET", "/api/v1//things", &found, params, &n, allow), ROUTE_NO_PATH);
    cr_assert_eq(match("GET", "api/v1/things", &found, params, &n, allow), ROUTE_NO_PATH);
}

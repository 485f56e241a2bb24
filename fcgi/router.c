#include "fcgi/router.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define ROUTER_SEGMENTS_MAX 16
#define ROUTER_TOKEN_MAX 128
#define ROUTER_PARAMS_MAX 8

static bool is_token(const char *s)
{
    size_t n = strlen(s);
    if (n < 16 || n > ROUTER_TOKEN_MAX)
        return false;
    for (; *s; s++) {
        char c = *s;
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '_';
        if (!ok)
            return false;
    }
    return true;
}

#define ROUTER_SLUG_MAX 64

/* A short lower-case name, such as a carrier's in a callback path. */
static bool is_slug(const char *s)
{
    size_t n = strlen(s);
    if (n < 1 || n > ROUTER_SLUG_MAX)
        return false;
    for (; *s; s++) {
        char c = *s;
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
            return false;
    }
    return true;
}

/* A VAT period: a year, a month (2025-03) or a quarter (2025-Q1). */
static bool is_period(const char *s)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < 4; i++)
        if (i >= n || s[i] < '0' || s[i] > '9')
            return false;
    if (n == 4)
        return true;
    if (n != 7 || s[4] != '-')
        return false;
    if (s[5] == 'Q')
        return s[6] >= '1' && s[6] <= '4';
    return (s[5] == '0' && s[6] >= '1' && s[6] <= '9') || (s[5] == '1' && s[6] >= '0' && s[6] <= '2');
}

/* Parameters that are not UUIDs, by name. */
static const struct {
    const char *name;
    bool (*fits)(const char *segment);
} special_params[] = {
    {"{token}", is_token},
    {"{carrier}", is_slug},
    {"{period}", is_period},
};

static bool param_fits(const char *p, size_t len, const char *segment)
{
    for (size_t i = 0; i < sizeof(special_params) / sizeof(special_params[0]); i++) {
        if (strlen(special_params[i].name) == len && strncmp(p, special_params[i].name, len) == 0)
            return special_params[i].fits(segment);
    }
    return json_is_uuid(segment);
}

/* True when segment fits the pattern segment [p, p+len); a parameter is appended to params. */
static bool segment_matches(const char *p, size_t len, const char *segment, const char **params,
                            int max_params, int *n_params)
{
    if (len >= 2 && p[0] == '{' && p[len - 1] == '}') {
        if (!param_fits(p, len, segment))
            return false;
        if (*n_params >= max_params)
            return false;
        params[(*n_params)++] = segment;
        return true;
    }
    return strlen(segment) == len && strncmp(p, segment, len) == 0;
}

static bool pattern_matches(const char *pattern, char *const *segments, int n_segments,
                            const char **params, int max_params, int *n_params)
{
    *n_params = 0;
    const char *p = pattern;
    for (int i = 0; i < n_segments; i++) {
        if (*p != '/')
            return false;
        p++;
        size_t len = strcspn(p, "/");
        if (!segment_matches(p, len, segments[i], params, max_params, n_params))
            return false;
        p += len;
    }
    return *p == '\0';
}

static void allow_add(char *allow, size_t size, const char *method)
{
    if (strstr(allow, method))
        return;
    size_t used = strlen(allow);
    snprintf(allow + used, size - used, "%s%s", used ? ", " : "", method);
}

enum route_match router_match(const struct route *table, size_t n, const char *method,
                              char *path_copy, const struct route **found, const char **params,
                              int max_params, int *n_params, char *allow, size_t allow_size)
{
    char *segments[ROUTER_SEGMENTS_MAX];
    int n_segments = 0;
    *found = NULL;
    *n_params = 0;
    allow[0] = '\0';
    if (path_copy[0] != '/')
        return ROUTE_NO_PATH;
    for (char *s = path_copy + 1;; ) {
        char *slash = strchr(s, '/');
        if (slash)
            *slash = '\0';
        if (!*s || n_segments == ROUTER_SEGMENTS_MAX)
            return ROUTE_NO_PATH; /* empty segment, trailing slash or too deep */
        segments[n_segments++] = s;
        if (!slash)
            break;
        s = slash + 1;
    }
    bool path_known = false;
    for (size_t i = 0; i < n; i++) {
        const char *local[ROUTER_PARAMS_MAX];
        int n_local = 0;
        int cap = max_params < ROUTER_PARAMS_MAX ? max_params : ROUTER_PARAMS_MAX;
        if (!pattern_matches(table[i].pattern, segments, n_segments, local, cap, &n_local))
            continue;
        path_known = true;
        if (strcmp(table[i].method, method) == 0) {
            *found = &table[i];
            memcpy(params, local, sizeof(local[0]) * (size_t)n_local);
            *n_params = n_local;
            return ROUTE_FOUND;
        }
        allow_add(allow, allow_size, table[i].method);
    }
    return path_known ? ROUTE_NO_METHOD : ROUTE_NO_PATH;
}

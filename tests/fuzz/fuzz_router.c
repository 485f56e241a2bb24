/* The router: a method and a path, matched against the application's route table as the
 * dispatcher does. Input: "METHOD PATH" (no space: the whole input is a GET path). */
#include <stdint.h>
#include <string.h>

#include "fcgi/request.h"
#include "fcgi/router.h"
#include "tests/fuzz/common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* FastCGI parameters are C strings: a NUL ends them. */
    char *text = strndup((const char *)data, size);
    if (!text)
        return 0;
    char *space = strchr(text, ' ');
    const char *method = "GET";
    char *path = text;
    if (space) {
        *space = '\0';
        method = text;
        path = space + 1;
    }
    if (strcmp(method, "HEAD") == 0)
        method = "GET";
    size_t path_len = strlen(path);
    const struct route *route;
    const char *params[REQUEST_PATH_PARAMS_MAX];
    int n_params = -1;
    char allow[128];
    enum route_match m =
        router_match(router_routes, router_routes_count, method, path, &route, params,
                     REQUEST_PATH_PARAMS_MAX, &n_params, allow, sizeof(allow));
    FUZZ_CHECK(m < ROUTE_MATCH__MAX);
    FUZZ_CHECK(strlen(allow) < sizeof(allow));
    if (m == ROUTE_FOUND) {
        FUZZ_CHECK(route >= router_routes && route < router_routes + router_routes_count);
        FUZZ_CHECK(strcmp(route->method, method) == 0);
        FUZZ_CHECK(n_params >= 0 && n_params <= REQUEST_PATH_PARAMS_MAX);
        for (int i = 0; i < n_params; i++) {
            /* Parameters point into the caller's copy of the path, at whole segments. */
            FUZZ_CHECK(params[i] > path && params[i] <= path + path_len);
            FUZZ_CHECK(params[i][-1] == '\0' || params[i][-1] == '/');
            FUZZ_CHECK(json_is_uuid(params[i]) || strlen(params[i]) >= 16);
        }
    } else {
        FUZZ_CHECK(route == NULL && n_params == 0);
        FUZZ_CHECK(m == ROUTE_NO_METHOD ? allow[0] != '\0' : allow[0] == '\0');
    }
    free(text);
    return 0;
}

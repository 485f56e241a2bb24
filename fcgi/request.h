/* The request as the dispatcher sees it: FastCGI parameters, body, path parameters, identity. */
#ifndef PLI_REQUEST_H
#define PLI_REQUEST_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "lib/arena.h"
#include "lib/permissions.h"

#define REQUEST_PATH_PARAMS_MAX 4

struct route;

enum auth_method {
    AUTH_NONE,
    AUTH_SESSION, /* cookie */
    AUTH_API_KEY, /* Authorization: Bearer */
    AUTH__MAX
};

struct identity {
    enum auth_method method;
    const char *user_id;
    const char *session_id;    /* AUTH_SESSION only */
    const char *step_up_until; /* AUTH_SESSION only; NULL when no step-up is open */
    bool stepped_up;
    /* Set on routes scoped to a team ({team} first in the path) once membership is checked. */
    const char *team_id;
    const char *role_id;
    const char *team_kind; /* "firm", "company" or "office" */
    bool is_administrator;
    permission_set permissions; /* the role's; the administrator holds them all */
};

struct request {
    struct arena *arena;
    char *const *envp;
    const char *id;
    const char *method;
    const char *path;
    const char *query;
    const char *body;
    size_t body_len;
    json_t *json; /* the parsed body, for routes that take JSON */
    const struct route *route; /* the route that took the request; NULL when none did */
    const char *path_params[REQUEST_PATH_PARAMS_MAX];
    int n_path_params;
    struct identity who;
};

/* Reads the FastCGI parameter (e.g. "HTTP_ORIGIN"); NULL when absent. */
const char *request_param(const struct request *req, const char *name);
/* Finds a cookie by name in the Cookie header; NULL when absent. Result lives in the arena. */
const char *request_cookie(const struct request *req, const char *name);
/* The media type of the body without parameters, lower-cased; "" when absent. */
const char *request_media_type(const struct request *req);
/* The decoded value of a query-string parameter ("" when present and empty); NULL when
 * absent or badly encoded. Result lives in the arena. */
const char *request_query(const struct request *req, const char *name);
/* Percent-decodes [s, s+len) into the arena ('+' as a space in query strings); NULL on a bad
 * escape or a NUL byte. */
char *request_url_decode(struct arena *arena, const char *s, size_t len, bool plus_is_space);
/* True for methods that change state (anything but GET, HEAD and OPTIONS). */
bool request_is_unsafe(const struct request *req);

#endif

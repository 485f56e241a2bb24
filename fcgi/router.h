/* The route table and its matcher: path first, then method (404, then 405 with Allow). */
#ifndef PLI_ROUTER_H
#define PLI_ROUTER_H

#include <stddef.h>

#include "lib/json_spec.h"
#include "lib/permissions.h"

struct ctx;
typedef void (*route_handler)(struct ctx *ctx);

/* Who may call a route; checked centrally before the handler runs. */
enum route_auth {
    ROUTE_PUBLIC,  /* anyone */
    ROUTE_USER,    /* a session cookie or an API key */
    ROUTE_SESSION, /* a session cookie only (API keys get 403 session_required) */
    ROUTE_AUTH__MAX
};

/* What body a route takes; parsed and checked centrally before the handler runs. */
enum route_body {
    ROUTE_BODY_NONE,          /* any body is ignored */
    ROUTE_BODY_JSON,          /* a JSON object is required */
    ROUTE_BODY_JSON_OPTIONAL, /* a JSON object or nothing */
    ROUTE_BODY_IMPORT_FILE,   /* a spreadsheet, up to PLI_IMPORT_MAX_BYTES, read by the handler */
    ROUTE_BODY_ATTACHMENT,    /* a document, up to PLI_ATTACHMENT_MAX_BYTES, read by the handler */
    ROUTE_BODY_DOCUMENT,      /* any file, up to PLI_DOCUMENT_MAX_BYTES, read by the handler */
    ROUTE_BODY_WEBHOOK,       /* signed JSON, up to PLI_WEBHOOK_BODY_MAX, checked by the handler */
    ROUTE_BODY__MAX
};

/* For routes whose first path parameter is {team}: what the caller must be in that team.
 * Someone outside the team gets 404, exactly as for a team that does not exist. */
enum route_team {
    TEAM_NONE,          /* not scoped to a team */
    TEAM_MEMBER,        /* any member */
    TEAM_PERMISSION,    /* a member whose role carries route->permission */
    TEAM_ADMINISTRATOR, /* the administrator only */
    TEAM_CLIENT_USER,   /* an active client user of the office's matter (the second parameter) */
    ROUTE_TEAM__MAX
};

struct body_spec {
    const struct json_field *fields;
    size_t n_fields;
};

struct route {
    const char *method;
    const char *pattern; /* "/api/v1/me/api-keys/{id}": {token} is a token, {carrier} a short
                            lower-case name, {period} a VAT period, any other {x} a UUID */
    route_handler handler;
    enum route_auth auth;
    enum route_body body;
    const struct body_spec *spec; /* checked when a JSON body is present */
    enum route_team team;
    enum permission permission; /* with TEAM_PERMISSION */
};

enum route_match {
    ROUTE_FOUND,
    ROUTE_NO_PATH,
    ROUTE_NO_METHOD,
    ROUTE_MATCH__MAX
};

/* The application's route table. */
extern const struct route router_routes[];
extern const size_t router_routes_count;

/* Matches method and path against a table. On ROUTE_FOUND *found is set and params holds up to
 * max_params pointers into path_copy (a writable copy of the path the caller provides). On
 * ROUTE_NO_METHOD allow receives the allowed methods ("GET, POST"). */
enum route_match router_match(const struct route *table, size_t n, const char *method,
                              char *path_copy, const struct route **found, const char **params,
                              int max_params, int *n_params, char *allow, size_t allow_size);

#endif

/* The one route table: every endpoint, who may call it and what body it takes. */
#include "fcgi/router.h"
#include "handlers/handlers.h"

const struct route router_routes[] = {
    {"GET", "/api/v1/health", service_health, ROUTE_PUBLIC, ROUTE_BODY_NONE, NULL},
    {"GET", "/api/v1/keys", service_keys, ROUTE_PUBLIC, ROUTE_BODY_NONE, NULL},

    {"POST", "/api/v1/auth/signup", auth_signup, ROUTE_PUBLIC, ROUTE_BODY_JSON, &auth_signup_body},
    {"POST", "/api/v1/auth/login", auth_login, ROUTE_PUBLIC, ROUTE_BODY_JSON, &auth_login_body},
    {"POST", "/api/v1/auth/logout", auth_logout, ROUTE_SESSION, ROUTE_BODY_NONE, NULL},
    {"POST", "/api/v1/auth/reauth", auth_reauth, ROUTE_SESSION, ROUTE_BODY_JSON, &auth_reauth_body},

    {"GET", "/api/v1/me", me_get, ROUTE_USER, ROUTE_BODY_NONE, NULL},
    {"GET", "/api/v1/me/api-keys", api_keys_list, ROUTE_USER, ROUTE_BODY_NONE, NULL},
    {"POST", "/api/v1/me/api-keys", api_keys_create, ROUTE_SESSION, ROUTE_BODY_JSON_OPTIONAL,
     &api_keys_create_body},
    {"DELETE", "/api/v1/me/api-keys/{id}", api_keys_delete, ROUTE_USER, ROUTE_BODY_NONE, NULL},
};

const size_t router_routes_count = sizeof(router_routes) / sizeof(router_routes[0]);

#include "fcgi/dispatch.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fcgi/authn.h"
#include "fcgi/authz.h"
#include "fcgi/router.h"
#include "lib/log.h"

/* Reads the body announced by CONTENT_LENGTH, refusing more than cap bytes. */
static bool read_body(struct ctx *ctx, FCGX_Stream *in, long cap)
{
    const char *length = request_param(&ctx->req, "CONTENT_LENGTH");
    if (!length || !*length)
        return true;
    char *end;
    errno = 0;
    unsigned long long n = strtoull(length, &end, 10);
    if (errno || *end || length[0] == '-') {
        problem_set(&ctx->resp, PROBLEM_BAD_REQUEST, "Content-Length is not a number");
        return false;
    }
    if (n > (unsigned long long)cap) {
        const char *detail = arena_printf(ctx->req.arena, "The body may not exceed %ld bytes", cap);
        problem_set(&ctx->resp, PROBLEM_PAYLOAD_TOO_LARGE, detail);
        return false;
    }
    if (n == 0)
        return true;
    char *body = arena_alloc(ctx->req.arena, (size_t)n + 1);
    if (!body) {
        problem_set(&ctx->resp, PROBLEM_PAYLOAD_TOO_LARGE, NULL);
        return false;
    }
    int got = FCGX_GetStr(body, (int)n, in);
    if (got != (int)n) {
        problem_set(&ctx->resp, PROBLEM_BAD_REQUEST, "The body is shorter than announced");
        return false;
    }
    ctx->req.body = body;
    ctx->req.body_len = (size_t)n;
    return true;
}

static bool same_origin_signal(const struct ctx *ctx)
{
    const char *origin = request_param(&ctx->req, "HTTP_ORIGIN");
    if (origin)
        return strcmp(origin, ctx->app->public_origin) == 0;
    const char *site = request_param(&ctx->req, "HTTP_SEC_FETCH_SITE");
    return site && strcmp(site, "same-origin") == 0;
}

/* A cookie alone never authorises an unsafe request: it must come from the app's own origin, and
 * a foreign Origin is refused even without a cookie (sign-in forms). An API key is a credential a
 * browser never adds by itself, so requests that carry one are not cross-site forgeries. */
static bool csrf_allows(const struct ctx *ctx)
{
    if (!request_is_unsafe(&ctx->req) || ctx->req.who.method == AUTH_API_KEY)
        return true;
    const char *origin = request_param(&ctx->req, "HTTP_ORIGIN");
    if (origin && strcmp(origin, ctx->app->public_origin) != 0)
        return false;
    return ctx->req.who.method != AUTH_SESSION || same_origin_signal(ctx);
}

static bool identify(struct ctx *ctx, const struct route *route)
{
    bool presented = false;
    enum db_status st = authn_resolve(ctx, &presented);
    if (st != DB_OK) {
        problem_set_db(&ctx->resp, st);
        return false;
    }
    if (route->auth != ROUTE_PUBLIC && ctx->req.who.method == AUTH_NONE) {
        problem_set(&ctx->resp, PROBLEM_UNAUTHENTICATED,
                    presented ? "The session or API key is invalid or has expired"
                              : "Sign in or send an API key");
        return false;
    }
    if (!csrf_allows(ctx)) {
        problem_set(&ctx->resp, PROBLEM_CSRF_FAILED,
                    "Requests that change data must come from the application's own origin");
        return false;
    }
    if (route->auth == ROUTE_SESSION && ctx->req.who.method != AUTH_SESSION) {
        problem_set(&ctx->resp, PROBLEM_SESSION_REQUIRED,
                    "This action needs a signed-in session, not an API key");
        return false;
    }
    return true;
}

static bool parse_json_body(struct ctx *ctx, const struct route *route)
{
    if (route->body != ROUTE_BODY_JSON && route->body != ROUTE_BODY_JSON_OPTIONAL)
        return true; /* no body, or a file or signed payload the handler reads itself */
    if (ctx->req.body_len == 0) {
        if (route->body == ROUTE_BODY_JSON_OPTIONAL) {
            ctx->req.json = ctx_adopt_json(ctx, json_object());
            return ctx->req.json != NULL;
        }
        problem_set(&ctx->resp, PROBLEM_MALFORMED_JSON, "A JSON object body is required");
        return false;
    }
    if (strcmp(request_media_type(&ctx->req), "application/json") != 0) {
        problem_set(&ctx->resp, PROBLEM_UNSUPPORTED_MEDIA_TYPE,
                    "Send the body as application/json");
        return false;
    }
    json_error_t error;
    json_t *body = json_loadb(ctx->req.body, ctx->req.body_len,
                              JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &error);
    if (!body) {
        const char *detail = arena_printf(ctx->req.arena, "%s (line %d, column %d)", error.text,
                                          error.line, error.column);
        problem_set(&ctx->resp, PROBLEM_MALFORMED_JSON, detail);
        return false;
    }
    ctx->req.json = ctx_adopt_json(ctx, body);
    if (!route->spec)
        return true;
    struct json_problems problems;
    if (!json_spec_check(body, route->spec->fields, route->spec->n_fields, &problems)) {
        problem_set_fields(&ctx->resp, &problems);
        return false;
    }
    return true;
}

void dispatch(struct ctx *ctx, FCGX_Stream *in)
{
    char *path = arena_strdup(ctx->req.arena, ctx->req.path);
    const struct route *route;
    char allow[128];
    /* HEAD is answered as GET without the body (see response_write). */
    const char *method = strcmp(ctx->req.method, "HEAD") == 0 ? "GET" : ctx->req.method;
    enum route_match m =
        router_match(router_routes, router_routes_count, method, path, &route,
                     ctx->req.path_params, REQUEST_PATH_PARAMS_MAX, &ctx->req.n_path_params,
                     allow, sizeof(allow));
    if (m == ROUTE_NO_PATH) {
        problem_set(&ctx->resp, PROBLEM_NOT_FOUND, "No such resource");
        return;
    }
    if (m == ROUTE_NO_METHOD) {
        problem_set(&ctx->resp, PROBLEM_METHOD_NOT_ALLOWED,
                    arena_printf(ctx->req.arena, "Allowed: %s", allow));
        response_header(&ctx->resp, "Allow", allow);
        return;
    }
    ctx->req.route = route;
    long cap = route->body == ROUTE_BODY_IMPORT_FILE ? ctx->app->cfg.import_max_bytes
               : route->body == ROUTE_BODY_ATTACHMENT ? ctx->app->cfg.attachment_max_bytes
               : route->body == ROUTE_BODY_DOCUMENT   ? ctx->app->cfg.document_max_bytes
               : route->body == ROUTE_BODY_WEBHOOK    ? ctx->app->cfg.webhook_body_max
                                                      : ctx->app->cfg.json_body_max;
    if (!read_body(ctx, in, cap) || !identify(ctx, route) ||
        !authz_check(ctx, route) || !parse_json_body(ctx, route))
        return;
    route->handler(ctx);
}

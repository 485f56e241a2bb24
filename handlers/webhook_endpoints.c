/* Webhook endpoints of a team (Standard Webhooks v1): registered with the event types they take
 * and a signing secret shown once, listed, read, deleted, and their delivery log. The messages
 * are emitted by the database in the transaction of each change (webhook_emit) and delivered by
 * pli-jobs (jobs/job_webhook_deliver.c). */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "handlers/handlers.h"
#include "lib/webhook_events.h"
#include "lib/webhook_signature.h"
#include "lib/webhook_url.h"

/* The longest description of an endpoint, in characters. */
#define WEBHOOK_DESCRIPTION_MAX 500
/* Room for the event types as a PostgreSQL array literal. */
#define EVENTS_LITERAL_MAX 512

static const struct json_field create_fields[] = {
    {"url", JSON_FIELD_STRING, true, 1, WEBHOOK_URL_MAX, JSON_FORMAT_NONE, NULL},
    {"events", JSON_FIELD_STRING_ARRAY, true, 1, WEBHOOK_EVENT_TYPES, JSON_FORMAT_NONE, NULL},
    {"description", JSON_FIELD_STRING, false, 1, WEBHOOK_DESCRIPTION_MAX, JSON_FORMAT_TEXT, NULL},
};
const struct body_spec webhook_endpoints_create_body = {create_fields, 3};

/* Fills a problem of its own code that also names the field in errors[]. */
static void refuse(struct ctx *ctx, enum problem p, const char *field, const char *detail)
{
    const char *code = problem_info(p)->code;
    problem_set_ext(&ctx->resp, p, detail,
                    json_pack("{s:[{s:s, s:s, s:s}]}", "errors", "field", field, "code", code,
                              "message", detail));
}

static bool url_acceptable(struct ctx *ctx, const char *url)
{
    switch (webhook_url_check(url, ctx->app->cfg.webhook_allow_loopback)) {
    case WEBHOOK_URL_OK:
        return true;
    case WEBHOOK_URL_NOT_HTTPS:
        refuse(ctx, PROBLEM_WEBHOOK_URL_NOT_HTTPS, "url", "must be an https:// URL");
        return false;
    case WEBHOOK_URL_PRIVATE:
        refuse(ctx, PROBLEM_WEBHOOK_URL_PRIVATE, "url",
               "names a private, loopback, link-local, shared, unique-local, multicast or "
               "unspecified address");
        return false;
    case WEBHOOK_URL_INVALID:
    case WEBHOOK_URL_CHECK__MAX:
        break;
    }
    refuse(ctx, PROBLEM_WEBHOOK_URL_INVALID, "url",
           "must be an absolute URL with a host and no user name or password");
    return false;
}

/* The event types of the body as a PostgreSQL array literal; NULL (with a 422
 * unknown_event_type naming the item) for an unknown or repeated type. */
static const char *events_literal(struct ctx *ctx)
{
    const json_t *events = json_object_get(ctx->req.json, "events");
    char literal[EVENTS_LITERAL_MAX];
    size_t used = (size_t)snprintf(literal, sizeof(literal), "{");
    size_t i;
    const json_t *item;
    json_array_foreach (events, i, item) {
        const char *type = json_string_value(item);
        bool repeated = false;
        for (size_t j = 0; j < i && !repeated; j++)
            repeated = strcmp(json_string_value(json_array_get(events, j)), type) == 0;
        if (!webhook_event_type_known(type) || repeated) {
            refuse(ctx, PROBLEM_UNKNOWN_EVENT_TYPE,
                   arena_printf(ctx->req.arena, "events[%zu]", i),
                   repeated ? "is named twice" : "is not a known event type");
            return NULL;
        }
        /* Known types are short and plain: they always fit, with no quoting. */
        used += (size_t)snprintf(literal + used, sizeof(literal) - used, "%s%s", i ? "," : "",
                                 type);
    }
    snprintf(literal + used, sizeof(literal) - used, "}");
    return arena_strdup(ctx->req.arena, literal);
}

struct creation {
    struct ctx *ctx;
    const char *url, *events, *sealed;
    bool full;        /* the team has as many endpoints as allowed */
    const char *json; /* the endpoint created */
};

static enum db_status create_tx(struct db *db, void *p)
{
    struct creation *c = p;
    struct ctx *ctx = c->ctx;
    const char *team[] = {ctx->req.who.team_id};
    PGresult *r;
    enum db_status st = db_exec(db, ctx->req.arena, SQL_TEAM_LOCK, 1, team, &r);
    if (st != DB_OK)
        return st;
    char max[24];
    snprintf(max, sizeof(max), "%ld", ctx->app->cfg.webhook_endpoints_max);
    const char *params[] = {ctx->req.who.team_id, c->url, ctx_body_string(ctx, "description"),
                            c->events, c->sealed, ctx->req.who.user_id, max};
    if ((st = db_exec(db, ctx->req.arena, SQL_WEBHOOK_ENDPOINT_CREATE, 7, params, &r)) != DB_OK)
        return st;
    if (PQntuples(r) == 0) {
        c->full = true;
        return DB_INVALID;
    }
    c->json = PQgetvalue(r, 0, 1);
    return audit_record(ctx, "webhook_endpoint.created", PQgetvalue(r, 0, 0), NULL, c->json);
}

void webhook_endpoints_create(struct ctx *ctx)
{
    struct creation c = {.ctx = ctx, .url = ctx_body_string(ctx, "url")};
    if (!url_acceptable(ctx, c.url) || !(c.events = events_literal(ctx)))
        return;
    char secret[WEBHOOK_SECRET_TEXT_MAX], sealed[CRYPTO_SEALED_CHARS];
    webhook_secret_generate(secret);
    if (!crypto_secret_seal(ctx->app->master_key, secret, sealed)) {
        sodium_memzero(secret, sizeof(secret));
        problem_set(&ctx->resp, PROBLEM_INTERNAL_ERROR, NULL);
        return;
    }
    c.sealed = sealed;
    enum db_status st = db_transaction(ctx->app->db, create_tx, &c);
    json_t *endpoint = st == DB_OK ? ctx_json_from_db(ctx, c.json) : NULL;
    if (c.full)
        problem_set_ext(&ctx->resp, PROBLEM_WEBHOOK_ENDPOINTS_LIMIT,
                        arena_printf(ctx->req.arena, "A team has at most %ld webhook endpoints",
                                     ctx->app->cfg.webhook_endpoints_max),
                        json_pack("{s:I}", "limit",
                                  (json_int_t)ctx->app->cfg.webhook_endpoints_max));
    else if (st != DB_OK)
        problem_set_db(&ctx->resp, st);
    else if (!endpoint)
        problem_set(&ctx->resp, PROBLEM_INTERNAL_ERROR, NULL);
    else {
        /* The only answer that ever shows the secret. */
        json_object_set_new(endpoint, "secret", json_string(secret));
        response_json(&ctx->resp, 201, json_incref(endpoint));
    }
    sodium_memzero(secret, sizeof(secret));
}

void webhook_endpoints_list(struct ctx *ctx)
{
    struct ctx_page page;
    if (!ctx_page(ctx, &page))
        return;
    const char *params[] = {ctx->req.who.team_id, page.cursor, page.size};
    PGresult *r;
    if (ctx_exec(ctx, SQL_WEBHOOK_ENDPOINT_LIST, 3, params, &r))
        ctx_answer_page(ctx, r);
}

/* The endpoint of the path ({endpoint}, second parameter) as JSON; NULL with a 404 when the
 * team has no such endpoint. */
static PGresult *endpoint_of_path(struct ctx *ctx)
{
    const char *params[] = {ctx->req.who.team_id, ctx->req.path_params[1]};
    PGresult *r;
    if (!ctx_exec(ctx, SQL_WEBHOOK_ENDPOINT_GET, 2, params, &r))
        return NULL;
    if (PQntuples(r) == 0) {
        problem_set(&ctx->resp, PROBLEM_NOT_FOUND, "No such webhook endpoint");
        return NULL;
    }
    return r;
}

void webhook_endpoints_get(struct ctx *ctx)
{
    PGresult *r = endpoint_of_path(ctx);
    if (r)
        ctx_answer_row(ctx, 200, r, "No such webhook endpoint");
}

struct deletion {
    struct ctx *ctx;
    bool missing;
};

static enum db_status delete_tx(struct db *db, void *p)
{
    struct deletion *d = p;
    struct ctx *ctx = d->ctx;
    const char *params[] = {ctx->req.who.team_id, ctx->req.path_params[1]};
    PGresult *r;
    enum db_status st = db_exec(db, ctx->req.arena, SQL_WEBHOOK_ENDPOINT_DELETE, 2, params, &r);
    if (st != DB_OK)
        return st;
    if (PQntuples(r) == 0) {
        d->missing = true;
        return DB_INVALID;
    }
    return audit_record(ctx, "webhook_endpoint.deleted", ctx->req.path_params[1],
                        PQgetvalue(r, 0, 0), NULL);
}

void webhook_endpoints_delete(struct ctx *ctx)
{
    struct deletion d = {.ctx = ctx};
    enum db_status st = db_transaction(ctx->app->db, delete_tx, &d);
    if (d.missing)
        problem_set(&ctx->resp, PROBLEM_NOT_FOUND, "No such webhook endpoint");
    else if (st != DB_OK)
        problem_set_db(&ctx->resp, st);
    else
        response_empty(&ctx->resp, 204);
}

void webhook_endpoints_deliveries(struct ctx *ctx)
{
    struct ctx_page page;
    if (!endpoint_of_path(ctx) || !ctx_page(ctx, &page))
        return;
    const char *params[] = {ctx->req.who.team_id, ctx->req.path_params[1], page.cursor,
                            page.size};
    PGresult *r;
    if (ctx_exec(ctx, SQL_WEBHOOK_ATTEMPT_LIST, 4, params, &r))
        ctx_answer_page(ctx, r);
}

/* Personal API keys for integrations: shown once, stored as a hash, revocable. */
#include <string.h>

#include "handlers/handlers.h"

#define API_KEY_DEFAULT_NAME "API key"

static const struct json_field create_fields[] = {
    {"name", JSON_FIELD_STRING, false, 1, 100, JSON_FORMAT_NONE, NULL},
};
const struct body_spec api_keys_create_body = {create_fields, 1};

void api_keys_list(struct ctx *ctx)
{
    const char *params[] = {ctx->req.who.user_id};
    PGresult *r;
    if (!ctx_exec(ctx, SQL_API_KEY_LIST, 1, params, &r))
        return;
    json_t *items = ctx_json_from_db(ctx, PQgetvalue(r, 0, 0));
    response_json(&ctx->resp, 200, json_pack("{s:O}", "items", items));
}

void api_keys_create(struct ctx *ctx)
{
    const char *name = ctx_body_string(ctx, "name");
    char secret[CRYPTO_TOKEN_CHARS + 1];
    crypto_token_new(secret);
    const char *token = arena_printf(ctx->req.arena, "pli_%s", secret);
    char hash[CRYPTO_TOKEN_HASH_HEX + 1];
    crypto_token_hash(token, strlen(token), hash);
    const char *params[] = {ctx->req.who.user_id, name ? name : API_KEY_DEFAULT_NAME, hash};
    PGresult *r;
    if (!ctx_exec(ctx, SQL_API_KEY_CREATE, 3, params, &r))
        return;
    json_t *key = ctx_json_from_db(ctx, PQgetvalue(r, 0, 0));
    if (key)
        json_object_set_new(key, "token", json_string(token));
    response_json(&ctx->resp, 201, json_incref(key));
}

void api_keys_delete(struct ctx *ctx)
{
    const char *params[] = {ctx->req.path_params[0], ctx->req.who.user_id};
    PGresult *r;
    if (!ctx_exec(ctx, SQL_API_KEY_REVOKE, 2, params, &r))
        return;
    if (PQntuples(r) == 0) {
        problem_set(&ctx->resp, PROBLEM_NOT_FOUND, "No such API key");
        return;
    }
    response_empty(&ctx->resp, 204);
}

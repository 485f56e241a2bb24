#include "fcgi/authn.h"

#include <stdio.h>
#include <string.h>

#include "fcgi/session_cookie.h"
#include "lib/crypto.h"

#define API_KEY_PREFIX "pli_"

static enum db_status resolve_api_key(struct ctx *ctx, const char *token)
{
    if (strncmp(token, API_KEY_PREFIX, strlen(API_KEY_PREFIX)) != 0)
        return DB_OK;
    char hash[CRYPTO_TOKEN_HASH_HEX + 1];
    crypto_token_hash(token, strlen(token), hash);
    const char *params[] = {hash};
    PGresult *r;
    enum db_status st = db_exec(ctx->app->db, ctx->req.arena, SQL_API_KEY_TOUCH, 1, params, &r);
    if (st == DB_OK && PQntuples(r) == 1) {
        ctx->req.who.method = AUTH_API_KEY;
        ctx->req.who.user_id = PQgetvalue(r, 0, 0);
    }
    return st;
}

static enum db_status resolve_session(struct ctx *ctx, const char *token)
{
    char hash[CRYPTO_TOKEN_HASH_HEX + 1];
    crypto_token_hash(token, strlen(token), hash);
    char idle[24], step_up[24];
    snprintf(idle, sizeof(idle), "%ld", ctx->app->cfg.session_idle_seconds);
    snprintf(step_up, sizeof(step_up), "%ld", ctx->app->cfg.step_up_seconds);
    const char *params[] = {hash, idle, step_up};
    PGresult *r;
    enum db_status st = db_exec(ctx->app->db, ctx->req.arena, SQL_SESSION_TOUCH, 3, params, &r);
    if (st == DB_OK && PQntuples(r) == 1) {
        struct identity *who = &ctx->req.who;
        who->method = AUTH_SESSION;
        who->session_id = PQgetvalue(r, 0, 0);
        who->user_id = PQgetvalue(r, 0, 1);
        who->stepped_up = !PQgetisnull(r, 0, 2);
        who->step_up_until = who->stepped_up ? PQgetvalue(r, 0, 2) : NULL;
    }
    return st;
}

enum db_status authn_resolve(struct ctx *ctx, bool *presented)
{
    memset(&ctx->req.who, 0, sizeof(ctx->req.who));
    const char *authorization = request_param(&ctx->req, "HTTP_AUTHORIZATION");
    if (authorization) {
        *presented = true;
        if (strncasecmp(authorization, "Bearer ", 7) != 0)
            return DB_OK;
        return resolve_api_key(ctx, authorization + 7);
    }
    const char *token = request_cookie(&ctx->req, session_cookie_name(ctx->app));
    *presented = token && *token;
    if (!*presented || strlen(token) != CRYPTO_TOKEN_CHARS)
        return DB_OK;
    return resolve_session(ctx, token);
}

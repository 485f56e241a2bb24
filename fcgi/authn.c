#include "fcgi/authn.h"

#include <stdio.h>
#include <string.h>

#include "fcgi/session_cookie.h"
#include "lib/crypto.h"

#define API_KEY_PREFIX "pli_"

static enum db_status resolve_api_key(struct ctx *ctx, const char *token)
{
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

enum authn_credentials authn_credentials(const struct request *req, const char *cookie_name,
                                         const char **token)
{
    *token = NULL;
    const char *authorization = request_param(req, "HTTP_AUTHORIZATION");
    if (authorization) {
        if (strncasecmp(authorization, "Bearer ", 7) != 0)
            return AUTHN_INVALID;
        const char *key = authorization + 7;
        if (strncmp(key, API_KEY_PREFIX, strlen(API_KEY_PREFIX)) != 0)
            return AUTHN_INVALID;
        *token = key;
        return AUTHN_API_KEY;
    }
    const char *cookie = request_cookie(req, cookie_name);
    if (!cookie || !*cookie)
        return AUTHN_NONE;
    if (strlen(cookie) != CRYPTO_TOKEN_CHARS)
        return AUTHN_INVALID;
    *token = cookie;
    return AUTHN_SESSION;
}

enum db_status authn_resolve(struct ctx *ctx, bool *presented)
{
    memset(&ctx->req.who, 0, sizeof(ctx->req.who));
    const char *token;
    enum authn_credentials kind =
        authn_credentials(&ctx->req, session_cookie_name(ctx->app), &token);
    *presented = kind != AUTHN_NONE;
    if (kind == AUTHN_API_KEY)
        return resolve_api_key(ctx, token);
    if (kind == AUTHN_SESSION)
        return resolve_session(ctx, token);
    return DB_OK;
}

#include "fcgi/idempotency.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool idempotency_begin(struct ctx *ctx, struct idempotency *idem)
{
    idem->key = request_param(&ctx->req, "HTTP_IDEMPOTENCY_KEY");
    idem->request_hash[0] = '\0';
    if (!idem->key)
        return true;
    size_t len = strlen(idem->key);
    bool printable = len > 0 && len <= IDEMPOTENCY_KEY_MAX;
    for (const char *p = idem->key; printable && *p; p++)
        printable = *p > 0x20 && *p < 0x7f;
    if (!printable) {
        ctx_field_problem(ctx, "Idempotency-Key", "invalid_format",
                          "must be 1 to 255 visible ASCII characters");
        return false;
    }
    /* What makes two requests the same: method, path and body. */
    const char *head = arena_printf(ctx->req.arena, "%s %s\n", ctx->req.method, ctx->req.path);
    crypto_generichash_state state;
    unsigned char digest[32];
    crypto_generichash_init(&state, NULL, 0, sizeof(digest));
    crypto_generichash_update(&state, (const unsigned char *)head, strlen(head));
    if (ctx->req.body_len)
        crypto_generichash_update(&state, (const unsigned char *)ctx->req.body, ctx->req.body_len);
    crypto_generichash_final(&state, digest, sizeof(digest));
    sodium_bin2hex(idem->request_hash, sizeof(idem->request_hash), digest, sizeof(digest));
    return true;
}

enum db_status idempotency_claim(struct ctx *ctx, struct db *db, const struct idempotency *idem,
                                 enum idempotency_outcome *outcome)
{
    *outcome = IDEMPOTENCY_NEW;
    if (!idem->key)
        return DB_OK;
    const char *lock = arena_printf(ctx->req.arena, "%s:%s:%s", ctx->req.who.team_id,
                                    ctx->req.who.user_id, idem->key);
    const char *lock_params[] = {lock};
    PGresult *r;
    enum db_status st = db_exec(db, ctx->req.arena, SQL_IDEMPOTENCY_LOCK, 1, lock_params, &r);
    if (st != DB_OK)
        return st;
    if (strcmp(PQgetvalue(r, 0, 0), "t") != 0) {
        *outcome = IDEMPOTENCY_REFUSED;
        problem_set(&ctx->resp, PROBLEM_IDEMPOTENCY_IN_FLIGHT, NULL);
        return DB_OK;
    }
    const char *params[] = {ctx->req.who.team_id, ctx->req.who.user_id, idem->key};
    if ((st = db_exec(db, ctx->req.arena, SQL_IDEMPOTENCY_LOOKUP, 3, params, &r)) != DB_OK ||
        PQntuples(r) == 0)
        return st;
    if (strcmp(PQgetvalue(r, 0, 0), idem->request_hash) != 0) {
        *outcome = IDEMPOTENCY_REFUSED;
        problem_set(&ctx->resp, PROBLEM_IDEMPOTENCY_KEY_REUSED, NULL);
        return DB_OK;
    }
    *outcome = IDEMPOTENCY_REPLAY;
    const char *body = PQgetvalue(r, 0, 2);
    response_bytes(&ctx->resp, (int)strtol(PQgetvalue(r, 0, 1), NULL, 10), "application/json",
                   body, strlen(body));
    response_header(&ctx->resp, "Idempotent-Replayed", "true");
    return DB_OK;
}

enum db_status idempotency_store(struct ctx *ctx, struct db *db, const struct idempotency *idem,
                                 int status, const char *body)
{
    if (!idem->key)
        return DB_OK;
    char code[8];
    snprintf(code, sizeof(code), "%d", status);
    const char *params[] = {ctx->req.who.team_id, ctx->req.who.user_id, idem->key,
                            idem->request_hash,   code,                 body};
    PGresult *r;
    return db_exec(db, ctx->req.arena, SQL_IDEMPOTENCY_STORE, 6, params, &r);
}

/* Accounts and sessions: sign-up, sign-in with lockout, sign-out, step-up. */
#include <stdio.h>
#include <string.h>

#include "fcgi/session_cookie.h"
#include "handlers/handlers.h"
#include "lib/log.h"

static const struct json_field signup_fields[] = {
    {"email", JSON_FIELD_STRING, true, 3, 254, JSON_FORMAT_EMAIL, NULL},
    {"password", JSON_FIELD_STRING, true, 8, 1024, JSON_FORMAT_NONE, NULL},
    {"first_name", JSON_FIELD_STRING, true, 1, 100, JSON_FORMAT_NONE, NULL},
    {"last_name", JSON_FIELD_STRING, true, 1, 100, JSON_FORMAT_NONE, NULL},
};
const struct body_spec auth_signup_body = {signup_fields, 4};

static const struct json_field login_fields[] = {
    {"email", JSON_FIELD_STRING, true, 1, 254, JSON_FORMAT_NONE, NULL},
    {"password", JSON_FIELD_STRING, true, 1, 1024, JSON_FORMAT_NONE, NULL},
};
const struct body_spec auth_login_body = {login_fields, 2};

static const struct json_field reauth_fields[] = {
    {"password", JSON_FIELD_STRING, true, 1, 1024, JSON_FORMAT_NONE, NULL},
};
const struct body_spec auth_reauth_body = {reauth_fields, 1};

enum db_status auth_session_insert(struct ctx *ctx, struct db *db, const char *user_id,
                                   char token[CRYPTO_TOKEN_CHARS + 1])
{
    char hash[CRYPTO_TOKEN_HASH_HEX + 1], lifetime[24];
    crypto_token_new(token);
    crypto_token_hash(token, strlen(token), hash);
    snprintf(lifetime, sizeof(lifetime), "%ld", ctx->app->cfg.session_absolute_seconds);
    const char *params[] = {user_id, hash, lifetime};
    PGresult *r;
    return db_exec(db, ctx->req.arena, SQL_SESSION_CREATE, 3, params, &r);
}

struct signup {
    struct ctx *ctx;
    const char *user_id;
    char token[CRYPTO_TOKEN_CHARS + 1];
    const char *email;
    const char *password_hash;
    const char *user_json;
};

static enum db_status signup_tx(struct db *db, void *p)
{
    struct signup *s = p;
    struct ctx *ctx = s->ctx;
    const char *params[] = {s->email, s->password_hash, ctx_body_string(ctx, "first_name"),
                            ctx_body_string(ctx, "last_name")};
    PGresult *r;
    enum db_status st = db_exec(db, ctx->req.arena, SQL_USER_CREATE, 4, params, &r);
    if (st != DB_OK)
        return st;
    s->user_id = PQgetvalue(r, 0, 0);
    s->user_json = PQgetvalue(r, 0, 1);
    return auth_session_insert(ctx, db, s->user_id, s->token);
}

void auth_signup(struct ctx *ctx)
{
    char hash[crypto_pwhash_STRBYTES];
    if (!crypto_password_hash(ctx_body_string(ctx, "password"), hash)) {
        problem_set(&ctx->resp, PROBLEM_INTERNAL_ERROR, NULL);
        return;
    }
    struct signup s = {.ctx = ctx,
                       .email = ctx_email(ctx, ctx_body_string(ctx, "email")),
                       .password_hash = hash};
    enum db_status st = db_transaction(ctx->app->db, signup_tx, &s);
    if (st == DB_CONFLICT) {
        problem_set(&ctx->resp, PROBLEM_EMAIL_TAKEN, "An account already uses this e-mail");
        return;
    }
    if (st != DB_OK) {
        problem_set_db(&ctx->resp, st);
        return;
    }
    session_cookie_set(ctx, s.token);
    json_t *user = ctx_json_from_db(ctx, s.user_json);
    response_json(&ctx->resp, 201, json_pack("{s:O}", "user", user));
}

/* Answers 429 and returns true when the e-mail is locked out; false otherwise (or on error). */
static bool locked_out(struct ctx *ctx, const char *email, bool *failed)
{
    const char *params[] = {email};
    PGresult *r;
    *failed = !ctx_exec(ctx, SQL_LOGIN_THROTTLE_CHECK, 1, params, &r);
    if (*failed || PQntuples(r) == 0)
        return false;
    response_header(&ctx->resp, "Retry-After", PQgetvalue(r, 0, 0));
    problem_set(&ctx->resp, PROBLEM_TOO_MANY_ATTEMPTS,
                "Too many failed attempts: wait before trying again");
    return true;
}

static bool record_failure(struct ctx *ctx, const char *email)
{
    char max[16], window[24];
    snprintf(max, sizeof(max), "%d", ctx->app->cfg.login_max_failures);
    snprintf(window, sizeof(window), "%ld", ctx->app->cfg.login_lock_seconds);
    const char *params[] = {email, max, window};
    PGresult *r;
    return ctx_exec(ctx, SQL_LOGIN_THROTTLE_FAIL, 3, params, &r);
}

static bool clear_failures(struct ctx *ctx, const char *email)
{
    const char *params[] = {email};
    PGresult *r;
    return ctx_exec(ctx, SQL_LOGIN_THROTTLE_CLEAR, 1, params, &r);
}

static void rehash_if_needed(struct ctx *ctx, const char *user_id, const char *stored,
                             const char *password)
{
    char hash[crypto_pwhash_STRBYTES];
    if (!crypto_password_needs_rehash(stored) || !crypto_password_hash(password, hash))
        return;
    const char *params[] = {user_id, hash};
    PGresult *r;
    if (db_exec(ctx->app->db, ctx->req.arena, SQL_USER_SET_PASSWORD_HASH, 2, params, &r) != DB_OK)
        log_warn("auth: could not store a rehashed password");
}

void auth_login(struct ctx *ctx)
{
    const char *email = ctx_email(ctx, ctx_body_string(ctx, "email"));
    const char *password = ctx_body_string(ctx, "password");
    bool failed;
    if (locked_out(ctx, email, &failed) || failed)
        return;
    const char *params[] = {email};
    PGresult *r;
    if (!ctx_exec(ctx, SQL_USER_CREDENTIALS_BY_EMAIL, 1, params, &r))
        return;
    bool known = PQntuples(r) == 1;
    if (!known)
        crypto_password_burn(password);
    if (!known || !crypto_password_verify(PQgetvalue(r, 0, 1), password)) {
        if (record_failure(ctx, email))
            problem_set(&ctx->resp, PROBLEM_INVALID_CREDENTIALS, "Wrong e-mail or password");
        return;
    }
    if (!clear_failures(ctx, email))
        return;
    rehash_if_needed(ctx, PQgetvalue(r, 0, 0), PQgetvalue(r, 0, 1), password);
    char token[CRYPTO_TOKEN_CHARS + 1];
    enum db_status st = auth_session_insert(ctx, ctx->app->db, PQgetvalue(r, 0, 0), token);
    if (st != DB_OK) {
        problem_set_db(&ctx->resp, st);
        return;
    }
    session_cookie_set(ctx, token);
    json_t *user = ctx_json_from_db(ctx, PQgetvalue(r, 0, 2));
    response_json(&ctx->resp, 200, json_pack("{s:O}", "user", user));
}

void auth_logout(struct ctx *ctx)
{
    const char *params[] = {ctx->req.who.session_id};
    PGresult *r;
    if (!ctx_exec(ctx, SQL_SESSION_REVOKE, 1, params, &r))
        return;
    session_cookie_clear(ctx);
    response_empty(&ctx->resp, 204);
}

void auth_reauth(struct ctx *ctx)
{
    const char *params[] = {ctx->req.who.user_id};
    PGresult *r;
    if (!ctx_exec(ctx, SQL_USER_CREDENTIALS_BY_ID, 1, params, &r))
        return;
    if (PQntuples(r) != 1) {
        problem_set(&ctx->resp, PROBLEM_UNAUTHENTICATED, NULL);
        return;
    }
    const char *email = PQgetvalue(r, 0, 0);
    bool failed;
    if (locked_out(ctx, email, &failed) || failed)
        return;
    if (!crypto_password_verify(PQgetvalue(r, 0, 1), ctx_body_string(ctx, "password"))) {
        if (record_failure(ctx, email))
            problem_set(&ctx->resp, PROBLEM_INVALID_PASSWORD, "Wrong password");
        return;
    }
    const char *session[] = {ctx->req.who.session_id};
    PGresult *done;
    if (!clear_failures(ctx, email) || !ctx_exec(ctx, SQL_SESSION_STEP_UP, 1, session, &done))
        return;
    response_empty(&ctx->resp, 204);
}

/* Client users of a matter: creation (the welcome e-mail comes from the cascade sender, who is
 * also in copy), the list, and the welcome link through which a new client user sets the first
 * password. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fcgi/session_cookie.h"
#include "handlers/handlers.h"

#define WELCOME_TOKEN_PURPOSE "welcome"
#define WELCOME_JOB "client_user_welcome"
#define OFFICE_ALIAS_MAX 32

static const struct json_field create_fields[] = {
    {"email", JSON_FIELD_STRING, true, 3, 254, JSON_FORMAT_EMAIL, NULL},
    {"first_name", JSON_FIELD_STRING, true, 1, 100, JSON_FORMAT_NONE, NULL},
    {"last_name", JSON_FIELD_STRING, true, 1, 100, JSON_FORMAT_NONE, NULL},
};
const struct body_spec client_users_create_body = {create_fields, 3};

static const struct json_field password_fields[] = {
    {"password", JSON_FIELD_STRING, true, 8, 1024, JSON_FORMAT_NONE, NULL},
};
const struct body_spec client_users_password_body = {password_fields, 1};

/* "name+office@domain": the alias of an address that names this office (its name's ASCII
 * letters and digits, lower-cased). */
static const char *alias_for(struct ctx *ctx, const char *email, const char *office)
{
    char tag[OFFICE_ALIAS_MAX + 1];
    size_t n = 0;
    for (const char *p = office; *p && n < OFFICE_ALIAS_MAX; p++)
        if (isalnum((unsigned char)*p) && !((unsigned char)*p & 0x80))
            tag[n++] = (char)tolower((unsigned char)*p);
    tag[n] = '\0';
    const char *at = strrchr(email, '@');
    return arena_printf(ctx->req.arena, "%.*s+%s%s", (int)(at - email), email,
                        n ? tag : "bureau", at);
}

struct creation {
    struct ctx *ctx;
    const char *email;
    bool no_sender, elsewhere, exists;
    const char *json;
};

/* The account of the e-mail, created without a password when there is none; *has_password
 * says whether its owner can already sign in. */
static enum db_status account_for(struct creation *c, struct db *db, const char **user_id,
                                  bool *has_password)
{
    struct ctx *ctx = c->ctx;
    const char *email[] = {c->email};
    PGresult *r;
    enum db_status st = db_exec(db, ctx->req.arena, SQL_USER_FOR_CLIENT, 1, email, &r);
    if (st != DB_OK)
        return st;
    if (PQntuples(r) > 0) {
        *user_id = PQgetvalue(r, 0, 0);
        *has_password = strcmp(PQgetvalue(r, 0, 1), "t") == 0;
        return DB_OK;
    }
    const char *params[] = {c->email, ctx_body_string(ctx, "first_name"),
                            ctx_body_string(ctx, "last_name")};
    if ((st = db_exec(db, ctx->req.arena, SQL_USER_CREATE_UNCLAIMED, 3, params, &r)) != DB_OK)
        return st;
    *user_id = PQgetvalue(r, 0, 0);
    *has_password = false;
    return DB_OK;
}

static enum db_status create_tx(struct db *db, void *p)
{
    struct creation *c = p;
    struct ctx *ctx = c->ctx;
    const char *team = ctx->req.who.team_id, *matter = ctx->req.path_params[1];
    const char *where[] = {team, matter};
    PGresult *sender, *r;
    enum db_status st = db_exec(db, ctx->req.arena, SQL_MATTER_SENDER, 2, where, &sender);
    if (st != DB_OK)
        return st;
    c->no_sender = PQntuples(sender) == 0;
    if (c->no_sender)
        return DB_INVALID;
    const char *elsewhere[] = {c->email, team};
    if ((st = db_exec(db, ctx->req.arena, SQL_CLIENT_USER_ELSEWHERE, 2, elsewhere, &r)) != DB_OK)
        return st;
    c->elsewhere = PQntuples(r) > 0;
    if (c->elsewhere)
        return DB_INVALID;
    const char *user_id;
    bool has_password;
    if ((st = account_for(c, db, &user_id, &has_password)) != DB_OK)
        return st;
    char days[16];
    snprintf(days, sizeof(days), "%ld", ctx->app->cfg.invitation_days);
    const char *params[] = {team,
                            matter,
                            user_id,
                            c->email,
                            has_password ? "active" : "invited",
                            days,
                            PQgetvalue(sender, 0, 0),
                            PQgetvalue(sender, 0, 1),
                            PQgetvalue(sender, 0, 2),
                            ctx->req.who.user_id};
    if ((st = db_exec(db, ctx->req.arena, SQL_CLIENT_USER_CREATE, 10, params, &r)) != DB_OK)
        return st;
    c->exists = PQntuples(r) == 0;
    if (c->exists)
        return DB_INVALID;
    const char *id = PQgetvalue(r, 0, 0), *version = PQgetvalue(r, 0, 1);
    char token[CRYPTO_TOKEN_CHARS + 1], hash[CRYPTO_TOKEN_HASH_HEX + 1];
    crypto_link_token(ctx->app->master_key, WELCOME_TOKEN_PURPOSE, id,
                      (int)strtol(version, NULL, 10), token);
    crypto_token_hash(token, strlen(token), hash);
    sodium_memzero(token, sizeof(token));
    const char *token_params[] = {id, has_password ? NULL : hash};
    if ((st = db_exec(db, ctx->req.arena, SQL_CLIENT_USER_TOKEN_SET, 2, token_params, &r)) !=
        DB_OK)
        return st;
    c->json = PQgetvalue(r, 0, 0);
    const char *payload = arena_printf(ctx->req.arena,
                                       "{\"client_user_id\":\"%s\",\"version\":%s,"
                                       "\"team_id\":\"%s\",\"matter_id\":\"%s\"}",
                                       id, version, team, matter);
    const char *job[] = {WELCOME_JOB, payload};
    if ((st = db_exec(db, ctx->req.arena, SQL_JOB_ENQUEUE, 2, job, &r)) != DB_OK)
        return st;
    return audit_record(ctx, "client_user.created", id, NULL, c->json);
}

void client_users_create(struct ctx *ctx)
{
    if (!matters_exists(ctx))
        return;
    struct creation c = {.ctx = ctx, .email = ctx_email(ctx, ctx_body_string(ctx, "email"))};
    enum db_status st = db_transaction(ctx->app->db, create_tx, &c);
    if (c.no_sender) {
        problem_set(&ctx->resp, PROBLEM_SENDER_NOT_CONFIGURED, MATTERS_NO_SENDER);
    } else if (c.elsewhere) {
        const char *params[] = {ctx->req.who.team_id};
        PGresult *r;
        if (!ctx_exec(ctx, SQL_TEAM_KIND, 1, params, &r))
            return;
        problem_set(&ctx->resp, PROBLEM_ALREADY_ACTIVE_ELSEWHERE,
                    arena_printf(ctx->req.arena,
                                 "%s is already a client user at another office, and an address "
                                 "may be active at one office only: create this user with a "
                                 "different address, or with an alias of it such as %s",
                                 c.email, alias_for(ctx, c.email, PQgetvalue(r, 0, 1))));
    } else if (c.exists) {
        problem_set(&ctx->resp, PROBLEM_CLIENT_USER_EXISTS, NULL);
    } else if (st != DB_OK) {
        problem_set_db(&ctx->resp, st);
    } else {
        ctx_answer_json_text(ctx, 201, c.json);
    }
}

void client_users_list(struct ctx *ctx)
{
    if (!matters_exists(ctx))
        return;
    const char *params[] = {ctx->req.who.team_id, ctx->req.path_params[1]};
    ctx_answer_items(ctx, SQL_CLIENT_USER_LIST, 2, params);
}

void client_users_welcome_show(struct ctx *ctx)
{
    char hash[CRYPTO_TOKEN_HASH_HEX + 1];
    ctx_path_token_hash(ctx, hash);
    const char *params[] = {hash};
    PGresult *r;
    if (!ctx_exec(ctx, SQL_WELCOME_SHOW, 1, params, &r))
        return;
    if (PQntuples(r) == 0)
        problem_set(&ctx->resp, PROBLEM_NOT_FOUND, "No such welcome link");
    else if (strcmp(PQgetvalue(r, 0, 1), "t") != 0)
        problem_set(&ctx->resp, PROBLEM_WELCOME_LINK_UNUSABLE, NULL);
    else
        ctx_answer_json_text(ctx, 200, PQgetvalue(r, 0, 0));
}

struct activation {
    struct ctx *ctx;
    const char *hash, *password_hash;
    bool unusable;
    const char *user_json;
    char session_token[CRYPTO_TOKEN_CHARS + 1];
};

static enum db_status activate_tx(struct db *db, void *p)
{
    struct activation *a = p;
    struct ctx *ctx = a->ctx;
    const char *params[] = {a->hash, a->password_hash};
    PGresult *r;
    enum db_status st = db_exec(db, ctx->req.arena, SQL_WELCOME_ACTIVATE, 2, params, &r);
    if (st != DB_OK)
        return st;
    a->unusable = PQntuples(r) == 0;
    if (a->unusable)
        return DB_INVALID;
    a->user_json = PQgetvalue(r, 0, 1);
    return auth_session_insert(ctx, db, PQgetvalue(r, 0, 0), a->session_token);
}

void client_users_welcome_password(struct ctx *ctx)
{
    char hash[CRYPTO_TOKEN_HASH_HEX + 1], password_hash[crypto_pwhash_STRBYTES];
    ctx_path_token_hash(ctx, hash);
    if (!crypto_password_hash(ctx_body_string(ctx, "password"), password_hash)) {
        problem_set(&ctx->resp, PROBLEM_INTERNAL_ERROR, NULL);
        return;
    }
    struct activation a = {.ctx = ctx, .hash = hash, .password_hash = password_hash};
    enum db_status st = db_transaction(ctx->app->db, activate_tx, &a);
    if (a.unusable) {
        const char *params[] = {hash};
        PGresult *r;
        if (ctx_exec(ctx, SQL_WELCOME_SHOW, 1, params, &r))
            problem_set(&ctx->resp,
                        PQntuples(r) ? PROBLEM_WELCOME_LINK_UNUSABLE : PROBLEM_NOT_FOUND,
                        PQntuples(r) ? NULL : "No such welcome link");
        return;
    }
    if (st != DB_OK) {
        problem_set_db(&ctx->resp, st);
        return;
    }
    session_cookie_set(ctx, a.session_token);
    sodium_memzero(a.session_token, sizeof(a.session_token));
    response_json(&ctx->resp, 200,
                  json_pack("{s:O}", "user", ctx_json_from_db(ctx, a.user_json)));
}

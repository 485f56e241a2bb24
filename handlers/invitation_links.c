/* The invitee's side of an invitation, reached with the token from the e-mail: see what it is
 * for, accept it with an existing account, or create the account and join in one step. */
#include <string.h>

#include "fcgi/session_cookie.h"
#include "handlers/handlers.h"

static const struct json_field signup_fields[] = {
    {"password", JSON_FIELD_STRING, true, 8, 1024, JSON_FORMAT_NONE, NULL},
    {"first_name", JSON_FIELD_STRING, true, 1, 100, JSON_FORMAT_NONE, NULL},
    {"last_name", JSON_FIELD_STRING, true, 1, 100, JSON_FORMAT_NONE, NULL},
};
const struct body_spec invitations_signup_body = {signup_fields, 3};

/* Columns of SQL_INVITATION_BY_TOKEN. */
enum {
    LINK_ID,
    LINK_TEAM_ID,
    LINK_EMAIL,
    LINK_CURRENT,
    LINK_STATUS,
    LINK_TEAM_NAME,
    LINK_USER_ID,
    LINK_FIRST_NAME,
    LINK_LAST_NAME,
    LINK_TEAM_KIND,
};

/* Loads what the token leads to; fills the problem and returns NULL unless it can be redeemed. */
static PGresult *redeemable(struct ctx *ctx, const char *hash)
{
    const char *params[] = {hash};
    PGresult *r;
    if (!ctx_exec(ctx, SQL_INVITATION_BY_TOKEN, 1, params, &r))
        return NULL;
    if (PQntuples(r) == 0) {
        problem_set(&ctx->resp, PROBLEM_NOT_FOUND, "No invitation has this link");
        return NULL;
    }
    const char *status = PQgetvalue(r, 0, LINK_STATUS);
    if (strcmp(status, "accepted") == 0)
        problem_set(&ctx->resp, PROBLEM_INVITATION_USED, NULL);
    else if (strcmp(status, "revoked") == 0)
        problem_set(&ctx->resp, PROBLEM_INVITATION_REVOKED, NULL);
    else if (strcmp(PQgetvalue(r, 0, LINK_CURRENT), "t") != 0)
        problem_set(&ctx->resp, PROBLEM_INVITATION_REPLACED,
                    "This link was replaced by a newer e-mail: use the latest one");
    else if (strcmp(status, "expired") == 0)
        problem_set(&ctx->resp, PROBLEM_INVITATION_EXPIRED,
                    "Ask the team's administrator to send the invitation again");
    else
        return r;
    return NULL;
}

void invitation_links_show(struct ctx *ctx)
{
    char hash[CRYPTO_TOKEN_HASH_HEX + 1];
    ctx_path_token_hash(ctx, hash);
    PGresult *r = redeemable(ctx, hash);
    if (!r)
        return;
    bool exists = !PQgetisnull(r, 0, LINK_USER_ID);
    response_json(&ctx->resp, 200,
                  json_pack("{s:{s:s, s:s}, s:s, s:s?, s:s?, s:b}", "team", "name",
                            PQgetvalue(r, 0, LINK_TEAM_NAME), "kind",
                            PQgetvalue(r, 0, LINK_TEAM_KIND), "email", PQgetvalue(r, 0, LINK_EMAIL),
                            "first_name", exists ? PQgetvalue(r, 0, LINK_FIRST_NAME) : NULL,
                            "last_name", exists ? PQgetvalue(r, 0, LINK_LAST_NAME) : NULL,
                            "account_exists", exists));
}

struct redemption {
    struct ctx *ctx;
    const char *hash;
    const char *user_id;
    const char *password_hash; /* sign-up only: the account to create first */
    const char *email;
    const char *user_json;
    char session_token[CRYPTO_TOKEN_CHARS + 1];
    bool lost; /* the conditional update found nothing: someone else redeemed first */
};

static enum db_status create_account(struct redemption *x, struct db *db)
{
    struct ctx *ctx = x->ctx;
    const char *params[] = {x->email, x->password_hash, ctx_body_string(ctx, "first_name"),
                            ctx_body_string(ctx, "last_name")};
    PGresult *r;
    enum db_status st = db_exec(db, ctx->req.arena, SQL_USER_CREATE, 4, params, &r);
    if (st == DB_OK) {
        x->user_id = PQgetvalue(r, 0, 0);
        x->user_json = PQgetvalue(r, 0, 1);
    }
    return st;
}

static enum db_status redeem_tx(struct db *db, void *p)
{
    struct redemption *x = p;
    struct ctx *ctx = x->ctx;
    enum db_status st;
    if (x->password_hash && (st = create_account(x, db)) != DB_OK)
        return st;
    const char *params[] = {x->hash, x->user_id};
    PGresult *r;
    if ((st = db_exec(db, ctx->req.arena, SQL_INVITATION_REDEEM, 2, params, &r)) != DB_OK)
        return st;
    x->lost = PQntuples(r) == 0;
    if (x->lost)
        return DB_INVALID;
    const char *invitation_id = PQgetvalue(r, 0, 0);
    const char *membership[] = {PQgetvalue(r, 0, 1), x->user_id, PQgetvalue(r, 0, 2)};
    ctx->req.who.team_id = membership[0];
    ctx->req.who.user_id = x->user_id;
    const char *after = arena_printf(ctx->req.arena, "{\"user_id\":\"%s\",\"role_id\":\"%s\"}",
                                     x->user_id, membership[2]);
    if ((st = db_exec(db, ctx->req.arena, SQL_MEMBER_ADD, 3, membership, &r)) != DB_OK ||
        (st = audit_record(ctx, "invitation.accepted", invitation_id, NULL, after)) !=
            DB_OK)
        return st;
    if (x->password_hash)
        return auth_session_insert(ctx, db, x->user_id, x->session_token);
    return DB_OK;
}

/* Redeems the token for x->user_id (creating the account first when signing up); fills the
 * problem and returns false when it did not go through. */
static bool redeem(struct ctx *ctx, struct redemption *x)
{
    enum db_status st = db_transaction(ctx->app->db, redeem_tx, x);
    if (st == DB_OK)
        return true;
    if (x->lost) {
        if (redeemable(ctx, x->hash)) /* still pending: the account does not match */
            problem_set(&ctx->resp, PROBLEM_INVITATION_EMAIL_MISMATCH, NULL);
    } else if (st == DB_CONFLICT && x->password_hash) {
        problem_set(&ctx->resp, PROBLEM_EMAIL_TAKEN,
                    "An account already uses this e-mail: sign in, then accept");
    } else if (st == DB_CONFLICT) {
        problem_set(&ctx->resp, PROBLEM_ALREADY_MEMBER, NULL);
    } else {
        problem_set_db(&ctx->resp, st);
    }
    return false;
}

/* Answers with the team as the new member sees it. */
static void answer_membership(struct ctx *ctx, int status, const char *user_json)
{
    const char *params[] = {ctx->req.who.team_id, ctx->req.who.user_id};
    PGresult *r;
    if (!ctx_exec(ctx, SQL_TEAM_JSON_FOR_MEMBER, 2, params, &r))
        return;
    json_t *team = ctx_json_from_db(ctx, PQgetvalue(r, 0, 0));
    json_t *user = user_json ? ctx_json_from_db(ctx, user_json) : NULL;
    response_json(&ctx->resp, status, json_pack("{s:O, s:O*}", "team", team, "user", user));
}

void invitation_links_accept(struct ctx *ctx)
{
    char hash[CRYPTO_TOKEN_HASH_HEX + 1];
    ctx_path_token_hash(ctx, hash);
    PGresult *r = redeemable(ctx, hash);
    if (!r)
        return;
    const char *user = ctx->req.who.user_id;
    if (PQgetisnull(r, 0, LINK_USER_ID) || strcmp(PQgetvalue(r, 0, LINK_USER_ID), user) != 0) {
        problem_set(&ctx->resp, PROBLEM_INVITATION_EMAIL_MISMATCH,
                    "Sign in with the invited e-mail address to accept");
        return;
    }
    struct redemption x = {.ctx = ctx, .hash = hash, .user_id = user};
    if (redeem(ctx, &x))
        answer_membership(ctx, 200, NULL);
}

void invitation_links_signup(struct ctx *ctx)
{
    char hash[CRYPTO_TOKEN_HASH_HEX + 1];
    ctx_path_token_hash(ctx, hash);
    PGresult *r = redeemable(ctx, hash);
    if (!r)
        return;
    if (!PQgetisnull(r, 0, LINK_USER_ID)) {
        problem_set(&ctx->resp, PROBLEM_EMAIL_TAKEN,
                    "An account already uses this e-mail: sign in, then accept");
        return;
    }
    char password_hash[crypto_pwhash_STRBYTES];
    if (!crypto_password_hash(ctx_body_string(ctx, "password"), password_hash)) {
        problem_set(&ctx->resp, PROBLEM_INTERNAL_ERROR, NULL);
        return;
    }
    struct redemption x = {.ctx = ctx,
                           .hash = hash,
                           .password_hash = password_hash,
                           .email = PQgetvalue(r, 0, LINK_EMAIL)};
    if (!redeem(ctx, &x))
        return;
    session_cookie_set(ctx, x.session_token);
    answer_membership(ctx, 201, x.user_json);
}

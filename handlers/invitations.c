/* Invitations: up to 50 addresses at once, e-mailed links that redeem once, revoke, resend. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fcgi/session_cookie.h"
#include "handlers/handlers.h"
#include "lib/log.h"

#define INVITATIONS_PER_REQUEST 50
#define INVITATION_TOKEN_PURPOSE "invitation"
#define INVITATION_EMAIL_JOB "invitation_email"

static const struct json_field create_fields[] = {
    {"emails", JSON_FIELD_STRING_ARRAY, true, 1, INVITATIONS_PER_REQUEST, JSON_FORMAT_NONE, NULL},
    {"role_id", JSON_FIELD_STRING, false, 36, 36, JSON_FORMAT_UUID, NULL},
};
const struct body_spec invitations_create_body = {create_fields, 2};



static const char *const statuses[] = {"pending", "accepted", "revoked", "expired", NULL};

/* Gives the invitation its token for this version, and queues the e-mail that carries it. */
static enum db_status issue_token(struct ctx *ctx, struct db *db, const char *id,
                                  const char *version)
{
    char token[CRYPTO_TOKEN_CHARS + 1], hash[CRYPTO_TOKEN_HASH_HEX + 1];
    crypto_link_token(ctx->app->master_key, INVITATION_TOKEN_PURPOSE, id, (int)strtol(version, NULL, 10),
                      token);
    crypto_token_hash(token, strlen(token), hash);
    sodium_memzero(token, sizeof(token));
    const char *token_params[] = {hash, id, version};
    const char *payload =
        arena_printf(ctx->req.arena, "{\"invitation_id\":\"%s\",\"version\":%s}", id, version);
    const char *job_params[] = {INVITATION_EMAIL_JOB, payload};
    PGresult *r;
    enum db_status st = db_exec(db, ctx->req.arena, SQL_INVITATION_TOKEN_ADD, 3, token_params, &r);
    if (st == DB_OK)
        st = db_exec(db, ctx->req.arena, SQL_JOB_ENQUEUE, 2, job_params, &r);
    return st;
}

enum db_status invitations_issue(struct ctx *ctx, struct db *db, const char *team_id,
                                 const char *email, const char *role_id,
                                 const char **invitation_id)
{
    char days[16];
    snprintf(days, sizeof(days), "%ld", ctx->app->cfg.invitation_days);
    const char *params[] = {team_id, email, role_id, ctx->req.who.user_id, days};
    PGresult *r;
    enum db_status st = db_exec(db, ctx->req.arena, SQL_INVITATION_CREATE, 5, params, &r);
    if (st != DB_OK)
        return st;
    *invitation_id = PQgetvalue(r, 0, 0);
    json_t *after = json_pack("{s:s, s:s}", "email", email, "role_id", role_id);
    char *after_text = json_dumps(after, JSON_COMPACT);
    json_decref(after);
    if ((st = issue_token(ctx, db, *invitation_id, PQgetvalue(r, 0, 1))) == DB_OK)
        st = audit_record_in(ctx, team_id, "invitation.created", *invitation_id, NULL, after_text);
    free(after_text);
    return st;
}

struct batch {
    struct ctx *ctx;
    const char *role_id;
    json_t *results;
};

/* Decides the fate of one address of a batch and records it in results. */
static enum db_status invite_one(struct batch *b, struct db *db, const char *raw, size_t index)
{
    struct ctx *ctx = b->ctx;
    const char *email = ctx_email(ctx, raw);
    const char *status = "invited";
    const char *invitation_id = NULL;
    PGresult *r;
    enum db_status st = DB_OK;
    bool repeated = false;
    for (size_t i = 0; i < index && !repeated; i++)
        repeated = strcmp(json_string_value(json_object_get(json_array_get(b->results, i),
                                                            "email")),
                          email) == 0;
    const char *lookup[] = {ctx->req.who.team_id, email};
    if (!json_is_email(email)) {
        status = "invalid_email";
    } else if (repeated) {
        status = "already_invited";
    } else if ((st = db_exec(db, ctx->req.arena, SQL_INVITATION_MEMBER_EXISTS, 2, lookup, &r)) !=
               DB_OK) {
        return st;
    } else if (PQntuples(r) > 0) {
        status = "already_member";
    } else if ((st = db_exec(db, ctx->req.arena, SQL_INVITATION_PENDING_FOR_EMAIL, 2, lookup,
                             &r)) != DB_OK) {
        return st;
    } else if (PQntuples(r) > 0 && strcmp(PQgetvalue(r, 0, 1), "t") == 0) {
        status = "already_invited";
        invitation_id = PQgetvalue(r, 0, 0);
    } else {
        if (PQntuples(r) > 0) {
            const char *lapsed[] = {PQgetvalue(r, 0, 0)};
            if ((st = db_exec(db, ctx->req.arena, SQL_INVITATION_MARK_EXPIRED, 1, lapsed, &r)) !=
                DB_OK)
                return st;
        }
        if ((st = invitations_issue(ctx, db, ctx->req.who.team_id, email, b->role_id,
                                    &invitation_id)) != DB_OK)
            return st;
    }
    json_array_append_new(b->results, json_pack("{s:s, s:s, s:s*}", "email", email, "status",
                                                 status, "invitation_id", invitation_id));
    return DB_OK;
}

static enum db_status batch_tx(struct db *db, void *p)
{
    struct batch *b = p;
    json_array_clear(b->results); /* a retried transaction starts over */
    json_t *emails = json_object_get(b->ctx->req.json, "emails");
    size_t i;
    json_t *email;
    json_array_foreach (emails, i, email) {
        enum db_status st = invite_one(b, db, json_string_value(email), i);
        if (st != DB_OK)
            return st;
    }
    return DB_OK;
}

void invitations_create(struct ctx *ctx)
{
    const char *role_id = ctx_body_string(ctx, "role_id");
    if (!role_id) {
        const char *params[] = {ctx->req.who.team_id, "member"};
        PGresult *r;
        if (!ctx_exec(ctx, SQL_ROLE_BUILTIN_ID, 2, params, &r))
            return;
        role_id = PQgetvalue(r, 0, 0);
    }
    /* The default member role too: nobody invites people into more than they hold. */
    if (!roles_check_assignable(ctx, role_id, "role_id"))
        return;
    struct batch b = {ctx, role_id, ctx_adopt_json(ctx, json_array())};
    enum db_status st = db_transaction(ctx->app->db, batch_tx, &b);
    if (st == DB_CONFLICT) {
        problem_set(&ctx->resp, PROBLEM_CONFLICT,
                    "Another request invited one of these addresses at the same time; retry");
        return;
    }
    if (st != DB_OK) {
        problem_set_db(&ctx->resp, st);
        return;
    }
    response_json(&ctx->resp, 200, json_pack("{s:O}", "results", b.results));
}

void invitations_list(struct ctx *ctx)
{
    int limit;
    if (!ctx_page_limit(ctx, &limit))
        return;
    const char *status = request_query(&ctx->req, "status");
    const char *cursor = request_query(&ctx->req, "cursor");
    bool known = !status;
    for (const char *const *s = statuses; status && *s && !known; s++)
        known = strcmp(*s, status) == 0;
    if (!known) {
        ctx_field_problem(ctx, "status", "not_allowed",
                          "must be pending, accepted, revoked or expired");
        return;
    }
    if (cursor && !json_is_uuid(cursor)) {
        ctx_field_problem(ctx, "cursor", "invalid_format", "is not a cursor from this list");
        return;
    }
    char size[16];
    snprintf(size, sizeof(size), "%d", limit);
    const char *params[] = {ctx->req.who.team_id, status, cursor, size};
    PGresult *r;
    if (!ctx_exec(ctx, SQL_INVITATION_LIST, 4, params, &r))
        return;
    const char *next = PQgetisnull(r, 0, 1) ? NULL : PQgetvalue(r, 0, 1);
    response_json(&ctx->resp, 200,
                  json_pack("{s:O, s:s?}", "items", ctx_json_from_db(ctx, PQgetvalue(r, 0, 0)),
                            "next_cursor", next));
}

/* After a refused change: 404 when the invitation is not the team's, else 409 not pending. */
static void explain_refusal(struct ctx *ctx)
{
    const char *params[] = {ctx->req.who.team_id, ctx->req.path_params[1]};
    PGresult *r;
    if (!ctx_exec(ctx, SQL_INVITATION_GET, 2, params, &r))
        return;
    if (PQntuples(r) == 0)
        problem_set(&ctx->resp, PROBLEM_NOT_FOUND, "No such invitation");
    else
        problem_set(&ctx->resp, PROBLEM_INVITATION_NOT_PENDING,
                    "Only a pending or expired invitation can be changed");
}

struct change {
    struct ctx *ctx;
    const char *result;
    bool refused;
};

static enum db_status revoke_tx(struct db *db, void *p)
{
    struct change *c = p;
    const char *params[] = {c->ctx->req.who.team_id, c->ctx->req.path_params[1]};
    PGresult *r;
    enum db_status st = db_exec(db, c->ctx->req.arena, SQL_INVITATION_REVOKE, 2, params, &r);
    if (st != DB_OK)
        return st;
    c->refused = PQntuples(r) == 0;
    if (c->refused)
        return DB_INVALID;
    return audit_record(c->ctx, "invitation.revoked", params[1], NULL, PQgetvalue(r, 0, 0));
}

static enum db_status resend_tx(struct db *db, void *p)
{
    struct change *c = p;
    struct ctx *ctx = c->ctx;
    char days[16];
    snprintf(days, sizeof(days), "%ld", ctx->app->cfg.invitation_days);
    const char *params[] = {ctx->req.who.team_id, ctx->req.path_params[1], days};
    PGresult *r;
    enum db_status st = db_exec(db, ctx->req.arena, SQL_INVITATION_RENEW, 3, params, &r);
    if (st != DB_OK)
        return st;
    c->refused = PQntuples(r) == 0;
    if (c->refused)
        return DB_INVALID;
    c->result = PQgetvalue(r, 0, 2);
    st = issue_token(ctx, db, PQgetvalue(r, 0, 0), PQgetvalue(r, 0, 1));
    if (st != DB_OK)
        return st;
    return audit_record(ctx, "invitation.resent", params[1], NULL, c->result);
}

/* Runs a change of an invitation; true when it went through. */
static bool change(struct ctx *ctx, enum db_status (*tx)(struct db *, void *), struct change *c)
{
    enum db_status st = db_transaction(ctx->app->db, tx, c);
    if (st == DB_OK)
        return true;
    if (c->refused)
        explain_refusal(ctx);
    else if (st == DB_CONFLICT)
        problem_set(&ctx->resp, PROBLEM_CONFLICT,
                    "Another pending invitation exists for this address");
    else
        problem_set_db(&ctx->resp, st);
    return false;
}

void invitations_revoke(struct ctx *ctx)
{
    struct change c = {ctx, NULL, false};
    if (change(ctx, revoke_tx, &c))
        response_empty(&ctx->resp, 204);
}

void invitations_resend(struct ctx *ctx)
{
    struct change c = {ctx, NULL, false};
    if (change(ctx, resend_tx, &c))
        ctx_answer_json_text(ctx, 200, c.result);
}

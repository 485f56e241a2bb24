/* Linked accounts: a firm asks that a principal company read what it shares with a secondary
 * one; the principal's administrator accepts (with the partnership of the whole group, if it
 * likes) or refuses; either company may end the link. */
#include <string.h>

#include "handlers/handlers.h"

static const struct json_field request_fields[] = {
    {"secondary_client_id", JSON_FIELD_STRING, true, 36, 36, JSON_FORMAT_UUID, NULL},
    {"principal_client_id", JSON_FIELD_STRING, true, 36, 36, JSON_FORMAT_UUID, NULL},
};
const struct body_spec link_requests_create_body = {request_fields, 2};

static const struct json_field accept_fields[] = {
    {"accept_group", JSON_FIELD_BOOL, false, 0, 0, JSON_FORMAT_NONE, NULL},
};
const struct body_spec link_requests_accept_body = {accept_fields, 1};

static const char *const request_statuses[] = {"pending", "accepted", "refused", "unlinked", NULL};

struct filing {
    struct ctx *ctx;
    const char *secondary, *principal; /* client ids */
    const char *unknown_field;
    enum problem refusal;
    const char *json, *summary;
};

static enum db_status file_tx(struct db *db, void *p)
{
    struct filing *f = p;
    struct ctx *ctx = f->ctx;
    const char *firm = ctx->req.who.team_id;
    const char *pair[] = {firm, f->secondary, f->principal};
    PGresult *r;
    enum db_status st = db_exec(db, ctx->req.arena, SQL_CLIENTS_LOCK_PAIR, 3, pair, &r);
    if (st != DB_OK)
        return st;
    const char *secondary_team = NULL, *principal_team = NULL;
    for (int i = 0; i < PQntuples(r); i++) {
        if (strcmp(PQgetvalue(r, i, 0), f->secondary) == 0)
            secondary_team = PQgetvalue(r, i, 1);
        else
            principal_team = PQgetvalue(r, i, 1);
    }
    f->unknown_field = !secondary_team   ? "secondary_client_id"
                       : !principal_team ? "principal_client_id"
                                         : NULL;
    if (f->unknown_field)
        return DB_INVALID;
    const char *teams[] = {firm, secondary_team, principal_team};
    if ((st = db_exec(db, ctx->req.arena, SQL_LINK_CONFLICTS, 3, teams, &r)) != DB_OK)
        return st;
    f->refusal = strcmp(PQgetvalue(r, 0, 0), "t") == 0   ? PROBLEM_ALREADY_LINKED
                 : strcmp(PQgetvalue(r, 0, 1), "t") == 0 ? PROBLEM_LINK_CHAIN
                                                         : PROBLEM__MAX;
    if (f->refusal != PROBLEM__MAX)
        return DB_INVALID;
    const char *params[] = {firm,           f->secondary,   f->principal,
                            secondary_team, principal_team, ctx->req.who.user_id};
    if ((st = db_exec(db, ctx->req.arena, SQL_LINK_REQUEST_CREATE, 6, params, &r)) != DB_OK)
        return st;
    const char *id = PQgetvalue(r, 0, 0);
    f->json = PQgetvalue(r, 0, 1);
    if ((st = audit_record(ctx, "link_request.created", id, NULL, f->json)) != DB_OK)
        return st;
    const char *summary[] = {firm, f->principal};
    if ((st = db_exec(db, ctx->req.arena, SQL_LINK_SUMMARY, 2, summary, &r)) != DB_OK)
        return st;
    f->summary = PQgetvalue(r, 0, 0);
    return DB_OK;
}

void link_requests_create(struct ctx *ctx)
{
    if (!clients_firm_only(ctx))
        return;
    struct filing f = {.ctx = ctx,
                       .secondary = ctx_body_string(ctx, "secondary_client_id"),
                       .principal = ctx_body_string(ctx, "principal_client_id"),
                       .refusal = PROBLEM__MAX};
    if (strcmp(f.secondary, f.principal) == 0) {
        ctx_field_problem(ctx, "principal_client_id", "same_as_secondary",
                          "must name another client than the secondary");
        return;
    }
    enum db_status st = db_transaction(ctx->app->db, file_tx, &f);
    if (f.unknown_field) {
        ctx_field_problem(ctx, f.unknown_field, "unknown_client", "is not one of the firm's clients");
    } else if (f.refusal != PROBLEM__MAX) {
        problem_set(&ctx->resp, f.refusal, NULL);
    } else if (st == DB_CONFLICT) {
        problem_set(&ctx->resp, PROBLEM_ALREADY_LINKED, NULL);
    } else if (st != DB_OK) {
        problem_set_db(&ctx->resp, st);
    } else {
        json_t *request = ctx_json_from_db(ctx, f.json);
        json_t *summary = ctx_json_from_db(ctx, f.summary);
        if (!request || !summary) {
            problem_set(&ctx->resp, PROBLEM_INTERNAL_ERROR, NULL);
            return;
        }
        json_object_set(request, "summary", summary);
        response_json(&ctx->resp, 201, json_incref(request));
    }
}

void link_requests_list(struct ctx *ctx)
{
    partners_list_requests(ctx, request_statuses, SQL_LINK_REQUEST_LIST);
}

struct answer {
    struct ctx *ctx;
    const char *status;
    bool group;
    bool not_pending;
    const char *json;
};

/* Accepts the firm's waiting partner requests with the principal and its secondaries. */
static enum db_status accept_group(struct ctx *ctx, struct db *db, const char *firm)
{
    const char *params[] = {firm, ctx->req.who.team_id, ctx->req.who.user_id};
    PGresult *r;
    enum db_status st =
        db_exec(db, ctx->req.arena, SQL_PARTNER_REQUESTS_ACCEPT_GROUP, 3, params, &r);
    for (int i = 0; st == DB_OK && i < PQntuples(r); i++)
        st = audit_record(ctx, "partner_request.accepted", PQgetvalue(r, i, 0), NULL,
                          arena_printf(ctx->req.arena, "{\"company_team_id\":\"%s\","
                                                       "\"through_link\":true}",
                                       PQgetvalue(r, i, 1)));
    return st;
}

static enum db_status answer_tx(struct db *db, void *p)
{
    struct answer *a = p;
    struct ctx *ctx = a->ctx;
    const char *id[] = {ctx->req.path_params[0]};
    PGresult *r;
    enum db_status st = db_exec(db, ctx->req.arena, SQL_LINK_REQUEST_LOCK, 1, id, &r);
    if (st != DB_OK)
        return st;
    a->not_pending = PQntuples(r) == 0 || strcmp(PQgetvalue(r, 0, 1), "pending") != 0;
    if (a->not_pending)
        return DB_INVALID;
    const char *firm = PQgetvalue(r, 0, 2);
    bool accepting = strcmp(a->status, "accepted") == 0;
    const char *params[] = {id[0], a->status, ctx->req.who.user_id,
                            accepting ? (a->group ? "true" : "false") : NULL};
    if ((st = db_exec(db, ctx->req.arena, SQL_LINK_REQUEST_ANSWER, 4, params, &r)) != DB_OK)
        return st;
    a->json = PQgetvalue(r, 0, 0);
    if ((st = audit_record(ctx, accepting ? "link_request.accepted" : "link_request.refused",
                           id[0], NULL, a->json)) != DB_OK)
        return st;
    return accepting && a->group ? accept_group(ctx, db, firm) : DB_OK;
}

static void answer(struct ctx *ctx, const char *status, bool group)
{
    if (!partners_enter_answering_team(ctx, SQL_LINK_REQUEST_ANSWERER, "No such link request"))
        return;
    struct answer a = {.ctx = ctx, .status = status, .group = group};
    enum db_status st = db_transaction(ctx->app->db, answer_tx, &a);
    if (a.not_pending)
        problem_set(&ctx->resp, PROBLEM_REQUEST_NOT_PENDING, NULL);
    else if (st != DB_OK)
        problem_set_db(&ctx->resp, st);
    else
        ctx_answer_json_text(ctx, 200, a.json);
}

void link_requests_accept(struct ctx *ctx)
{
    answer(ctx, "accepted", json_is_true(json_object_get(ctx->req.json, "accept_group")));
}

void link_requests_refuse(struct ctx *ctx)
{
    answer(ctx, "refused", false);
}

void linked_accounts_list(struct ctx *ctx)
{
    const char *params[] = {ctx->req.who.team_id};
    ctx_answer_items(ctx, SQL_LINKED_ACCOUNTS_LIST, 1, params);
}

struct unlinking {
    struct ctx *ctx;
    bool missing;
};

static enum db_status unlink_tx(struct db *db, void *p)
{
    struct unlinking *u = p;
    struct ctx *ctx = u->ctx;
    const char *params[] = {ctx->req.who.team_id, ctx->req.path_params[1], ctx->req.who.user_id};
    PGresult *r;
    enum db_status st = db_exec(db, ctx->req.arena, SQL_LINK_UNLINK, 3, params, &r);
    if (st != DB_OK)
        return st;
    u->missing = PQntuples(r) == 0;
    if (u->missing)
        return DB_INVALID;
    return audit_record(ctx, "link.unlinked", params[1], NULL, PQgetvalue(r, 0, 0));
}

void linked_accounts_unlink(struct ctx *ctx)
{
    struct unlinking u = {ctx, false};
    enum db_status st = db_transaction(ctx->app->db, unlink_tx, &u);
    if (u.missing)
        problem_set(&ctx->resp, PROBLEM_NOT_FOUND, "No such linked account");
    else if (st != DB_OK)
        problem_set_db(&ctx->resp, st);
    else
        response_empty(&ctx->resp, 204);
}

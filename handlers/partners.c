/* Partnerships between a firm and its client companies: the firm asks, the company's
 * administrator accepts or refuses; each side lists its partners. */
#include <string.h>

#include "fcgi/authz.h"
#include "handlers/handlers.h"

static const struct json_field request_fields[] = {
    {"company_team_id", JSON_FIELD_STRING, true, 36, 36, JSON_FORMAT_UUID, NULL},
};
const struct body_spec partner_requests_create_body = {request_fields, 1};

static const char *const request_statuses[] = {"pending", "accepted", "refused", NULL};

static bool status_filter(struct ctx *ctx, const char *const *allowed, const char **status)
{
    *status = request_query(&ctx->req, "status");
    for (const char *const *s = allowed; *status && *s; s++)
        if (strcmp(*s, *status) == 0)
            return true;
    if (!*status)
        return true;
    ctx_field_problem(ctx, "status", "not_allowed", "is not one of the statuses of this list");
    return false;
}

struct asking {
    struct ctx *ctx;
    const char *company;
    bool not_a_company;
    const char *open_status, *json;
};

static enum db_status ask_tx(struct db *db, void *p)
{
    struct asking *a = p;
    struct ctx *ctx = a->ctx;
    const char *team[] = {a->company};
    PGresult *r;
    enum db_status st = db_exec(db, ctx->req.arena, SQL_TEAM_KIND, 1, team, &r);
    if (st != DB_OK)
        return st;
    a->not_a_company = PQntuples(r) == 0 || strcmp(PQgetvalue(r, 0, 0), "company") != 0;
    if (a->not_a_company)
        return DB_INVALID;
    const char *pair[] = {ctx->req.who.team_id, a->company};
    if ((st = db_exec(db, ctx->req.arena, SQL_PARTNER_REQUEST_OPEN, 2, pair, &r)) != DB_OK)
        return st;
    if (PQntuples(r) > 0) {
        a->open_status = PQgetvalue(r, 0, 0);
        return DB_INVALID;
    }
    return clients_request_partnership(ctx, db, a->company, &a->json);
}

void partner_requests_create(struct ctx *ctx)
{
    if (!clients_firm_only(ctx))
        return;
    struct asking a = {.ctx = ctx, .company = ctx_body_string(ctx, "company_team_id")};
    enum db_status st = db_transaction(ctx->app->db, ask_tx, &a);
    if (a.not_a_company)
        ctx_field_problem(ctx, "company_team_id", "not_a_company",
                          "is not the id of a company's space");
    else if (a.open_status)
        problem_set(&ctx->resp,
                    strcmp(a.open_status, "accepted") == 0 ? PROBLEM_ALREADY_PARTNERS
                                                           : PROBLEM_PARTNER_REQUEST_PENDING,
                    NULL);
    else if (st == DB_CONFLICT)
        problem_set(&ctx->resp, PROBLEM_PARTNER_REQUEST_PENDING, NULL);
    else if (st != DB_OK)
        problem_set_db(&ctx->resp, st);
    else
        ctx_answer_json_text(ctx, 201, a.json);
}

static bool may_see_requests(struct ctx *ctx)
{
    if (strcmp(ctx->req.who.team_kind, "firm") == 0 ? authz_has(ctx, PERM_CLIENTS_MANAGE)
                                                    : ctx->req.who.is_administrator)
        return true;
    problem_set(&ctx->resp, PROBLEM_FORBIDDEN,
                "Requests are for the firm's client managers and the company's administrator");
    return false;
}

void partners_list_requests(struct ctx *ctx, const char *const *statuses,
                            enum sql_statement page_of)
{
    struct ctx_page page;
    const char *status;
    if (!may_see_requests(ctx) || !status_filter(ctx, statuses, &status) ||
        !ctx_page(ctx, &page))
        return;
    const char *params[] = {ctx->req.who.team_id, status, page.cursor, page.size};
    PGresult *r;
    if (ctx_exec(ctx, page_of, 4, params, &r))
        ctx_answer_page(ctx, r);
}

void partner_requests_list(struct ctx *ctx)
{
    partners_list_requests(ctx, request_statuses, SQL_PARTNER_REQUEST_LIST);
}

bool partners_enter_answering_team(struct ctx *ctx, enum sql_statement lock, const char *what)
{
    const char *params[] = {ctx->req.path_params[0]};
    PGresult *r;
    if (!ctx_exec(ctx, lock, 1, params, &r))
        return false;
    if (PQntuples(r) == 0 ||
        !authz_enter_team(ctx, PQgetvalue(r, 0, 0), TEAM_ADMINISTRATOR, PERM__MAX)) {
        if (ctx->resp.status == 404 || PQntuples(r) == 0)
            problem_set(&ctx->resp, PROBLEM_NOT_FOUND, what);
        return false;
    }
    return true;
}

struct answer {
    struct ctx *ctx;
    const char *status, *json;
};

static enum db_status answer_tx(struct db *db, void *p)
{
    struct answer *a = p;
    struct ctx *ctx = a->ctx;
    const char *params[] = {ctx->req.path_params[0], a->status, ctx->req.who.user_id};
    PGresult *r;
    enum db_status st = db_exec(db, ctx->req.arena, SQL_PARTNER_REQUEST_ANSWER, 3, params, &r);
    if (st != DB_OK)
        return st;
    if (PQntuples(r) == 0)
        return DB_INVALID;
    a->json = PQgetvalue(r, 0, 0);
    return audit_record(ctx, strcmp(a->status, "accepted") == 0 ? "partner_request.accepted"
                                                                : "partner_request.refused",
                        params[0], NULL, a->json);
}

static void answer(struct ctx *ctx, const char *status)
{
    if (!partners_enter_answering_team(ctx, SQL_PARTNER_REQUEST_ANSWERER, "No such partner request"))
        return;
    struct answer a = {ctx, status, NULL};
    enum db_status st = db_transaction(ctx->app->db, answer_tx, &a);
    if (st == DB_INVALID && !a.json)
        problem_set(&ctx->resp, PROBLEM_REQUEST_NOT_PENDING, NULL);
    else if (st != DB_OK)
        problem_set_db(&ctx->resp, st);
    else
        ctx_answer_json_text(ctx, 200, a.json);
}

void partner_requests_accept(struct ctx *ctx)
{
    answer(ctx, "accepted");
}

void partner_requests_refuse(struct ctx *ctx)
{
    answer(ctx, "refused");
}

void partners_list(struct ctx *ctx)
{
    const char *params[] = {ctx->req.who.team_id};
    ctx_answer_items(ctx, SQL_PARTNERS_LIST, 1, params);
}

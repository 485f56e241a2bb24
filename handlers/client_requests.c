/* What a matter's client users send their office (a VAT period complete, a request for another
 * user, a message), each raising the office's automatic e-mail of its type, and the office's
 * lists of them. */
#include <string.h>

#include "handlers/handlers.h"

static const struct json_field user_request_fields[] = {
    {"email", JSON_FIELD_STRING, true, 3, 254, JSON_FORMAT_EMAIL, NULL},
    {"first_name", JSON_FIELD_STRING, true, 1, 100, JSON_FORMAT_NONE, NULL},
    {"last_name", JSON_FIELD_STRING, true, 1, 100, JSON_FORMAT_NONE, NULL},
    {"note", JSON_FIELD_STRING, false, 1, 2000, JSON_FORMAT_TEXT, NULL},
};
const struct body_spec client_requests_user_body = {user_request_fields, 4};

static const struct json_field message_fields[] = {
    {"subject", JSON_FIELD_STRING, true, 1, 200, JSON_FORMAT_NONE, NULL},
    {"body", JSON_FIELD_STRING, true, 1, 20000, JSON_FORMAT_TEXT, NULL},
};
const struct body_spec client_requests_message_body = {message_fields, 2};

struct statement {
    struct ctx *ctx;
    enum sql_statement stmt;
    int n_params;
    const char *const *params;
    const char *json;
    bool created;
};

/* Runs a statement that records what the client user sent and emits the notification. */
static enum db_status record_tx(struct db *db, void *p)
{
    struct statement *s = p;
    PGresult *r;
    enum db_status st = db_exec(db, s->ctx->req.arena, s->stmt, s->n_params, s->params, &r);
    if (st != DB_OK)
        return st;
    s->json = PQgetvalue(r, 0, 0);
    s->created = PQnfields(r) < 2 || strcmp(PQgetvalue(r, 0, 1), "t") == 0;
    return DB_OK;
}

static void record(struct ctx *ctx, enum sql_statement stmt, int n_params,
                   const char *const *params)
{
    struct statement s = {ctx, stmt, n_params, params, NULL, false};
    enum db_status st = db_transaction(ctx->app->db, record_tx, &s);
    if (st != DB_OK)
        problem_set_db(&ctx->resp, st);
    else
        ctx_answer_json_text(ctx, s.created ? 201 : 200, s.json);
}

void client_requests_vat_complete(struct ctx *ctx)
{
    const char *params[] = {ctx->req.who.team_id, ctx->req.path_params[1],
                            ctx->req.path_params[2], ctx->req.who.user_id};
    record(ctx, SQL_VAT_PERIOD_COMPLETE, 4, params);
}

void client_requests_user_create(struct ctx *ctx)
{
    const char *params[] = {ctx->req.who.team_id,
                            ctx->req.path_params[1],
                            ctx_email(ctx, ctx_body_string(ctx, "email")),
                            ctx_body_string(ctx, "first_name"),
                            ctx_body_string(ctx, "last_name"),
                            ctx_body_string(ctx, "note"),
                            ctx->req.who.user_id};
    record(ctx, SQL_USER_REQUEST_CREATE, 7, params);
}

void client_requests_message_create(struct ctx *ctx)
{
    const char *params[] = {ctx->req.who.team_id, ctx->req.path_params[1],
                            ctx_body_string(ctx, "subject"), ctx_body_string(ctx, "body"),
                            ctx->req.who.user_id};
    record(ctx, SQL_MATTER_MESSAGE_CREATE, 5, params);
}

void client_requests_vat_list(struct ctx *ctx)
{
    if (!matters_exists(ctx))
        return;
    const char *params[] = {ctx->req.who.team_id, ctx->req.path_params[1]};
    ctx_answer_items(ctx, SQL_VAT_PERIOD_LIST, 2, params);
}

/* One page of a matter's list (user requests or messages). */
static void page_of_matter(struct ctx *ctx, enum sql_statement stmt)
{
    struct ctx_page page;
    if (!matters_exists(ctx) || !ctx_page(ctx, &page))
        return;
    const char *params[] = {ctx->req.who.team_id, ctx->req.path_params[1], page.cursor,
                            page.size};
    PGresult *r;
    if (ctx_exec(ctx, stmt, 4, params, &r))
        ctx_answer_page(ctx, r);
}

void client_requests_user_list(struct ctx *ctx)
{
    page_of_matter(ctx, SQL_USER_REQUEST_LIST);
}

void client_requests_message_list(struct ctx *ctx)
{
    page_of_matter(ctx, SQL_MATTER_MESSAGE_LIST);
}

/* Recipient groups of a team: named lists of contacts that letters can be sent to. */
#include <string.h>

#include "handlers/handlers.h"

static const struct json_field group_fields[] = {
    {"name", JSON_FIELD_STRING, true, 1, 200, JSON_FORMAT_NONE, NULL},
};
const struct body_spec groups_body = {group_fields, 1};

void groups_list(struct ctx *ctx)
{
    const char *params[] = {ctx->req.who.team_id};
    PGresult *r;
    if (!ctx_exec(ctx, SQL_GROUP_LIST, 1, params, &r))
        return;
    response_json(&ctx->resp, 200,
                  json_pack("{s:O}", "items", ctx_json_from_db(ctx, PQgetvalue(r, 0, 0))));
}

bool groups_exists(struct ctx *ctx)
{
    const char *params[] = {ctx->req.who.team_id, ctx->req.path_params[1]};
    PGresult *r;
    if (!ctx_exec(ctx, SQL_GROUP_GET, 2, params, &r))
        return false;
    if (PQntuples(r) == 0) {
        problem_set(&ctx->resp, PROBLEM_NOT_FOUND, "No such group");
        return false;
    }
    return true;
}

void groups_get(struct ctx *ctx)
{
    const char *params[] = {ctx->req.who.team_id, ctx->req.path_params[1]};
    PGresult *r;
    if (ctx_exec(ctx, SQL_GROUP_GET, 2, params, &r))
        ctx_answer_row(ctx, 200, r, "No such group");
}

/* Runs a statement that names a group; a taken name answers 409 group_name_taken. */
static bool write_group(struct ctx *ctx, enum sql_statement stmt, int n, const char *const *params,
                        PGresult **r)
{
    enum db_status st = db_exec(ctx->app->db, ctx->req.arena, stmt, n, params, r);
    if (st == DB_CONFLICT)
        problem_set(&ctx->resp, PROBLEM_GROUP_NAME_TAKEN, "Another group of the team has this name");
    else if (st != DB_OK)
        problem_set_db(&ctx->resp, st);
    return st == DB_OK;
}

/* The name without surrounding spaces; NULL (with a 422) when nothing is left. */
static const char *group_name(struct ctx *ctx)
{
    const char *name = ctx_body_string(ctx, "name");
    while (*name == ' ' || *name == '\t')
        name++;
    size_t len = strlen(name);
    while (len > 0 && (name[len - 1] == ' ' || name[len - 1] == '\t'))
        len--;
    if (len == 0) {
        ctx_field_problem(ctx, "name", "required", "must not be blank");
        return NULL;
    }
    return arena_strndup(ctx->req.arena, name, len);
}

void groups_create(struct ctx *ctx)
{
    const char *name = group_name(ctx);
    if (!name)
        return;
    const char *params[] = {ctx->req.who.team_id, name, ctx->req.who.user_id};
    PGresult *r;
    if (write_group(ctx, SQL_GROUP_CREATE, 3, params, &r))
        ctx_answer_row(ctx, 201, r, "No such group");
}

void groups_rename(struct ctx *ctx)
{
    const char *name = group_name(ctx);
    if (!name)
        return;
    const char *params[] = {ctx->req.who.team_id, ctx->req.path_params[1], name};
    PGresult *r;
    if (write_group(ctx, SQL_GROUP_RENAME, 3, params, &r))
        ctx_answer_row(ctx, 200, r, "No such group");
}

void groups_delete(struct ctx *ctx)
{
    const char *params[] = {ctx->req.who.team_id, ctx->req.path_params[1]};
    PGresult *r;
    if (!ctx_exec(ctx, SQL_GROUP_DELETE, 2, params, &r))
        return;
    if (PQntuples(r) == 0)
        problem_set(&ctx->resp, PROBLEM_NOT_FOUND, "No such group");
    else
        response_empty(&ctx->resp, 204);
}

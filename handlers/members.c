/* A team's members: list, change of role, removal. The administrator is immutable. */
#include <string.h>

#include "fcgi/authz.h"
#include "handlers/handlers.h"

static const struct json_field update_fields[] = {
    {"role_id", JSON_FIELD_STRING, true, 36, 36, JSON_FORMAT_UUID, NULL},
};
const struct body_spec members_update_body = {update_fields, 1};

void members_list(struct ctx *ctx)
{
    const char *params[] = {ctx->req.who.team_id};
    PGresult *r;
    if (!ctx_exec(ctx, SQL_MEMBER_LIST, 1, params, &r))
        return;
    response_json(&ctx->resp, 200,
                  json_pack("{s:O}", "items", ctx_json_from_db(ctx, PQgetvalue(r, 0, 0))));
}

/* Loads the target member; fills a problem and returns NULL when absent or the administrator. */
static PGresult *target_member(struct ctx *ctx)
{
    const char *params[] = {ctx->req.who.team_id, ctx->req.path_params[1]};
    PGresult *r;
    if (!ctx_exec(ctx, SQL_MEMBER_GET, 2, params, &r))
        return NULL;
    if (PQntuples(r) == 0) {
        problem_set(&ctx->resp, PROBLEM_NOT_FOUND, "No such member");
        return NULL;
    }
    if (strcmp(PQgetvalue(r, 0, 1), "t") == 0) {
        problem_set(&ctx->resp, PROBLEM_ADMINISTRATOR_IMMUTABLE,
                    "The team's administrator keeps that role and cannot be removed");
        return NULL;
    }
    return r;
}

struct role_change {
    struct ctx *ctx;
    const char *before;
    const char *after;
};

static enum db_status role_change_tx(struct db *db, void *p)
{
    struct role_change *c = p;
    struct ctx *ctx = c->ctx;
    const char *params[] = {ctx->req.who.team_id, ctx->req.path_params[1],
                            ctx_body_string(ctx, "role_id")};
    PGresult *r;
    enum db_status st = db_exec(db, ctx->req.arena, SQL_MEMBER_SET_ROLE, 3, params, &r);
    if (st != DB_OK)
        return st;
    return audit_record(ctx, "member.role_changed", ctx->req.path_params[1], c->before, c->after);
}

void members_update(struct ctx *ctx)
{
    PGresult *member = target_member(ctx);
    if (!member)
        return;
    if (strcmp(ctx->req.path_params[1], ctx->req.who.user_id) == 0 &&
        !ctx->req.who.is_administrator) {
        problem_set(&ctx->resp, PROBLEM_FORBIDDEN, "You cannot change your own role");
        return;
    }
    const char *role_id = ctx_body_string(ctx, "role_id");
    if (!roles_check_assignable(ctx, role_id, "role_id"))
        return;
    struct role_change c = {
        ctx, arena_printf(ctx->req.arena, "{\"role_id\":\"%s\"}", PQgetvalue(member, 0, 2)),
        arena_printf(ctx->req.arena, "{\"role_id\":\"%s\"}", role_id)};
    enum db_status st = db_transaction(ctx->app->db, role_change_tx, &c);
    if (st != DB_OK) {
        problem_set_db(&ctx->resp, st);
        return;
    }
    const char *params[] = {ctx->req.who.team_id, ctx->req.path_params[1]};
    PGresult *r;
    if (ctx_exec(ctx, SQL_MEMBER_GET, 2, params, &r))
        ctx_answer_row(ctx, 200, r, "No such member");
}

struct removal {
    struct ctx *ctx;
    const char *before;
};

static enum db_status removal_tx(struct db *db, void *p)
{
    struct removal *m = p;
    struct ctx *ctx = m->ctx;
    const char *params[] = {ctx->req.who.team_id, ctx->req.path_params[1]};
    PGresult *r;
    enum db_status st = db_exec(db, ctx->req.arena, SQL_MEMBER_REMOVE, 2, params, &r);
    if (st != DB_OK)
        return st;
    return audit_record(ctx, "member.removed", ctx->req.path_params[1], m->before, NULL);
}

void members_remove(struct ctx *ctx)
{
    bool self = strcmp(ctx->req.path_params[1], ctx->req.who.user_id) == 0;
    if (!self && !authz_has(ctx, PERM_MEMBERS_MANAGE)) {
        problem_set_ext(&ctx->resp, PROBLEM_FORBIDDEN,
                        "Your role lacks the permission members.manage",
                        json_pack("{s:s}", "required", "members.manage"));
        return;
    }
    PGresult *member = target_member(ctx);
    if (!member)
        return;
    struct removal m = {ctx, PQgetvalue(member, 0, 0)};
    enum db_status st = db_transaction(ctx->app->db, removal_tx, &m);
    if (st != DB_OK) {
        problem_set_db(&ctx->resp, st);
        return;
    }
    response_empty(&ctx->resp, 204);
}

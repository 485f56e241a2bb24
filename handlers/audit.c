/* The team's audit log: who changed memberships, roles, invitations and permissions. */
#include <stdio.h>
#include <stdlib.h>

#include "handlers/handlers.h"

enum db_status audit_record_in(struct ctx *ctx, const char *team_id, const char *action,
                               const char *target, const char *before, const char *after)
{
    const char *params[] = {team_id, ctx->req.who.user_id, action, target, before, after};
    PGresult *r;
    return db_exec(ctx->app->db, ctx->req.arena, SQL_AUDIT_RECORD, 6, params, &r);
}

enum db_status audit_record(struct ctx *ctx, const char *action, const char *target,
                            const char *before, const char *after)
{
    return audit_record_in(ctx, ctx->req.who.team_id, action, target, before, after);
}

void audit_list(struct ctx *ctx)
{
    int limit;
    if (!ctx_page_limit(ctx, &limit))
        return;
    const char *cursor = request_query(&ctx->req, "cursor");
    char *end = NULL;
    if (cursor && (strtoll(cursor, &end, 10) <= 0 || *end)) {
        ctx_field_problem(ctx, "cursor", "invalid_format", "is not a cursor from this list");
        return;
    }
    char size[16];
    snprintf(size, sizeof(size), "%d", limit);
    const char *params[] = {ctx->req.who.team_id, cursor, size};
    PGresult *r;
    if (!ctx_exec(ctx, SQL_AUDIT_LIST, 3, params, &r))
        return;
    json_t *items = ctx_json_from_db(ctx, PQgetvalue(r, 0, 0));
    const char *next = PQgetisnull(r, 0, 1) ? NULL : PQgetvalue(r, 0, 1);
    response_json(&ctx->resp, 200, json_pack("{s:O, s:s?}", "items", items, "next_cursor", next));
}

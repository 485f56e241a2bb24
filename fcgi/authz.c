#include "fcgi/authz.h"

#include <string.h>

bool authz_has(const struct ctx *ctx, enum permission p)
{
    return ctx->req.who.is_administrator || (ctx->req.who.permissions & PERMISSION_BIT(p));
}

static bool load_membership(struct ctx *ctx, const char *team_id)
{
    const char *params[] = {team_id, ctx->req.who.user_id};
    PGresult *r;
    if (!ctx_exec(ctx, SQL_MEMBERSHIP_OF_CALLER, 2, params, &r))
        return false;
    if (PQntuples(r) == 0) {
        problem_set(&ctx->resp, PROBLEM_NOT_FOUND, "No such team");
        return false;
    }
    struct identity *who = &ctx->req.who;
    who->team_id = team_id;
    who->role_id = PQgetvalue(r, 0, 0);
    who->is_administrator = strcmp(PQgetvalue(r, 0, 1), "t") == 0;
    who->team_kind = PQgetvalue(r, 0, 3);
    who->permissions = who->is_administrator ? PERMISSION_ALL
                                             : permission_set_parse(PQgetvalue(r, 0, 2));
    return true;
}

bool authz_enter_team(struct ctx *ctx, const char *team_id, enum route_team need,
                      enum permission permission)
{
    if (!load_membership(ctx, team_id))
        return false;
    if (need == TEAM_ADMINISTRATOR && !ctx->req.who.is_administrator) {
        problem_set_ext(&ctx->resp, PROBLEM_FORBIDDEN, "Only the team's administrator may do this",
                        json_pack("{s:s}", "required", "administrator"));
        return false;
    }
    if (need == TEAM_PERMISSION && !authz_has(ctx, permission)) {
        const char *name = permission_name(permission);
        problem_set_ext(&ctx->resp, PROBLEM_FORBIDDEN,
                        arena_printf(ctx->req.arena, "Your role lacks the permission %s", name),
                        json_pack("{s:s}", "required", name));
        return false;
    }
    return true;
}

/* A client user acts in the office's team for one matter only, with no permission. */
static bool load_client_user(struct ctx *ctx, const char *team_id, const char *matter_id)
{
    const char *params[] = {team_id, matter_id, ctx->req.who.user_id};
    PGresult *r;
    if (!ctx_exec(ctx, SQL_CLIENT_USER_OF_MATTER, 3, params, &r))
        return false;
    if (PQntuples(r) == 0) {
        problem_set(&ctx->resp, PROBLEM_NOT_FOUND, "No such matter");
        return false;
    }
    ctx->req.who.team_id = team_id;
    return true;
}

bool authz_check(struct ctx *ctx, const struct route *route)
{
    if (route->team == TEAM_NONE)
        return true;
    if (route->team == TEAM_CLIENT_USER)
        return load_client_user(ctx, ctx->req.path_params[0], ctx->req.path_params[1]);
    return authz_enter_team(ctx, ctx->req.path_params[0], route->team, route->permission);
}

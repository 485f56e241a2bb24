/* The signed-in user's own view: who they are and what their session allows. */
#include <string.h>

#include "handlers/handlers.h"

/* Columns of SQL_ME_VIEW. */
enum { ME_USER, ME_TEAMS, ME_CLIENT_MATTERS, ME_COMMUNICATOR };

void me_get(struct ctx *ctx)
{
    const char *params[] = {ctx->req.who.user_id};
    PGresult *r;
    if (!ctx_exec(ctx, SQL_ME_VIEW, 1, params, &r))
        return;
    if (PQntuples(r) != 1) {
        problem_set(&ctx->resp, PROBLEM_UNAUTHENTICATED, NULL);
        return;
    }
    response_json(&ctx->resp, 200,
                  json_pack("{s:O, s:O, s:O, s:b, s:s?}", "user",
                            ctx_json_from_db(ctx, PQgetvalue(r, 0, ME_USER)), "teams",
                            ctx_json_from_db(ctx, PQgetvalue(r, 0, ME_TEAMS)), "client_matters",
                            ctx_json_from_db(ctx, PQgetvalue(r, 0, ME_CLIENT_MATTERS)),
                            "communicator", strcmp(PQgetvalue(r, 0, ME_COMMUNICATOR), "t") == 0,
                            "step_up_until", ctx->req.who.step_up_until));
}

/* The signed-in user's own view: who they are and what their session allows. */
#include "handlers/handlers.h"

void me_get(struct ctx *ctx)
{
    const char *params[] = {ctx->req.who.user_id};
    PGresult *r;
    if (!ctx_exec(ctx, SQL_USER_JSON_BY_ID, 1, params, &r))
        return;
    if (PQntuples(r) != 1) {
        problem_set(&ctx->resp, PROBLEM_UNAUTHENTICATED, NULL);
        return;
    }
    json_t *user = ctx_json_from_db(ctx, PQgetvalue(r, 0, 0));
    const char *step_up = ctx->req.who.step_up_until;
    response_json(&ctx->resp, 200,
                  json_pack("{s:O, s:[], s:b, s:s?}", "user", user, "teams", "communicator", 0,
                            "step_up_until", step_up));
}
